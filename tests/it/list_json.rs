//! `list --format json` is written by hand (src/listing/json.rs) for speed; scripts and tests
//! compare its bytes, so it must print exactly what the serde_json structs it replaced
//! printed. The reference here is those structs and their formatter, kept as they were: every
//! record of a real archive, every escape class and random strings are checked against it.

use std::io::{self, Write};

use proptest::prelude::*;
use serde::Serialize;
use serde_json::Value;

use patchdeck::index::archive::Archive;
use patchdeck::model::message::Address;
use patchdeck::source::Input;

use patchdeck::listing::{Style, write_rows};

use crate::support::corpus::{corpus, corpus_archive};
use crate::support::run::patchdeck_stdout;

#[derive(Serialize)]
struct JsonAddress<'a> {
    name: &'a str,
    email: &'a str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    added: Option<u32>,
    removed: Option<u32>,
    binary: bool,
}

#[derive(Serialize)]
struct JsonTrailer<'a> {
    key: &'a str,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    given_by: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    not_applied: bool,
}

#[derive(Serialize)]
struct JsonMessage<'a> {
    message_id: &'a str,
    subject: &'a str,
    title: &'a str,
    tags: &'a [std::sync::Arc<str>],
    version: Option<u32>,
    number: Option<u32>,
    total: Option<u32>,
    kind: &'static str,
    from: JsonAddress<'a>,
    author: JsonAddress<'a>,
    date: Option<String>,
    in_reply_to: Option<&'a str>,
    list_id: Option<&'a str>,
    files: Vec<JsonFile<'a>>,
    insertions: u32,
    deletions: u32,
    trailers: Vec<JsonTrailer<'a>>,
    series: Option<&'a str>,
    depth: u32,
    parent: Option<&'a str>,
    pull_url: Option<&'a str>,
    warnings: &'a [String],
}

fn address(a: &Address) -> JsonAddress<'_> {
    JsonAddress {
        name: &a.name,
        email: &a.email,
    }
}

/// The record for message `idx`, built as the serde writer built it.
fn record(archive: &Archive, idx: u32) -> JsonMessage<'_> {
    let m = &archive.messages[idx as usize];
    let series = archive
        .series_of(idx)
        .and_then(|s| archive.series(s))
        .map(|s| archive.messages[s.root as usize].id.as_ref());
    let threads = archive.threads();
    let parent = threads
        .parent(idx)
        .and_then(|p| archive.messages.get(p as usize))
        .map(|p| p.id.as_ref());
    JsonMessage {
        message_id: &m.id,
        subject: m.subject.raw(),
        title: m.subject.title(),
        tags: &m.subject.tags,
        version: m.subject.version,
        number: m.subject.number,
        total: m.subject.total,
        kind: m.kind.as_str(),
        from: address(&m.from),
        author: address(&m.author),
        date: m.date.map(|d| d.rfc3339()),
        in_reply_to: m.in_reply_to(),
        list_id: m.list_id.as_deref(),
        files: m
            .summary
            .files
            .iter()
            .map(|f| JsonFile {
                path: &f.path,
                added: f.added(),
                removed: f.removed(),
                binary: f.binary,
            })
            .collect(),
        insertions: m.summary.insertions,
        deletions: m.summary.deletions,
        trailers: archive
            .trailers(idx)
            .iter()
            .map(|t| JsonTrailer {
                key: &t.trailer.key,
                value: &t.trailer.value,
                given_by: t
                    .given_by
                    .and_then(|by| archive.messages.get(by as usize))
                    .map(|by| by.id.as_ref()),
                not_applied: !t.applies(),
            })
            .collect(),
        series,
        depth: threads.depth(idx),
        parent,
        pull_url: m.summary.pull_url.as_deref(),
        warnings: &m.warnings,
    }
}

/// serde_json's compact output, with every character `needs_replacing` flags written as
/// `\uXXXX` escapes: the formatter `list` used before it was written by hand.
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if patchdeck::sanitize::is_clean(fragment) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut plain = 0;
        for (i, c) in fragment.char_indices() {
            if !patchdeck::sanitize::needs_replacing(c) {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[plain..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            plain = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[plain..])
    }
}

fn serde_bytes(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, TerminalSafe);
    value.serialize(&mut serializer).unwrap();
    String::from_utf8(out).unwrap()
}

/// The line the serde writer printed for message `idx`.
pub fn reference_json(archive: &Archive, idx: u32) -> String {
    serde_bytes(&record(archive, idx)) + "\n"
}

fn hand_written(s: &str) -> String {
    let mut out = Vec::new();
    patchdeck::listing::json::push_string(&mut out, s);
    String::from_utf8(out).unwrap()
}

/// Every record of a real archive, byte for byte; and the binary's output, parsed, holds the
/// values serde_json gives the old struct.
#[test]
fn records_of_a_real_archive_match_the_serde_writer() {
    let Some(path) = corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let archive = Archive::load(&[Input::Path(path.clone())], &|_| {}).unwrap();
    let mut expected: Vec<String> = Vec::new();
    for idx in 0..archive.len() as u32 {
        let mut line = Vec::new();
        patchdeck::listing::write_json(&mut line, &archive, idx);
        let line = String::from_utf8(line).unwrap();
        let reference = reference_json(&archive, idx);
        assert_eq!(line, reference, "message {idx}");
        expected.push(reference);
    }

    let printed = patchdeck_stdout(&["list", "--format", "json", path.to_str().unwrap()]);
    let mut lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), archive.len());
    // `list` prints in its sort order; compare as sets of lines, then value by value.
    let by_line: std::collections::HashMap<&str, u32> = expected
        .iter()
        .enumerate()
        .map(|(idx, line)| (line.trim_end(), idx as u32))
        .collect();
    for line in &lines {
        let idx = *by_line
            .get(line)
            .unwrap_or_else(|| panic!("not what serde wrote: {line}"));
        let parsed: Value = serde_json::from_str(line).unwrap();
        let reference = serde_json::to_value(record(&archive, idx)).unwrap();
        assert_eq!(parsed, reference, "message {idx}");
    }
    lines.sort_unstable();
    let mut expected: Vec<&str> = expected.iter().map(|l| l.trim_end()).collect();
    expected.sort_unstable();
    assert_eq!(lines, expected);
}

/// Rows written as `list` writes them (many to a task, which remembers the strings it found
/// needing no escape), each row twice and in two orders so that strings come back: the serde
/// writer's lines, on a real archive and on fuzzed mail.
#[test]
fn rows_written_together_match_the_serde_writer() {
    for rel in ["archives/linux-clk-2026-01.mbox", "patchwork/fuzz"] {
        let Some(archive) = corpus_archive(rel) else {
            continue;
        };
        let n = archive.len() as u32;
        let rows: Vec<u32> = (0..n).chain((0..n).rev()).collect();
        let mut out = Vec::new();
        write_rows(&mut out, &archive, &rows, Style::Json).unwrap();
        let printed = String::from_utf8(out).unwrap();
        assert_eq!(printed.lines().count(), rows.len(), "{rel}");
        for (line, &idx) in printed.split_inclusive('\n').zip(&rows) {
            assert_eq!(line, reference_json(&archive, idx), "{rel}: message {idx}");
        }
    }
}

/// Rows longer than the room made for one before it is written (a few KB): written again into
/// more room, as serde_json writes them, alone or among other rows.
#[test]
fn rows_longer_than_their_room_match_the_serde_writer() {
    let long = "a \"quoted\" \\ word\u{202e} ".repeat(300);
    let mut mbox = String::new();
    for i in 0..3 {
        mbox += &format!(
            "From x@y Thu Jan  1 00:00:00 2025\nFrom: A <a@b.c>\nSubject: [PATCH {i}/3] {long}\n\
             Message-ID: <{i}@x>\nDate: Thu, 1 Jan 2025 00:00:0{i} +0000\n\nbody\n\n"
        );
    }
    let input = Input::Bytes {
        label: "long".into(),
        bytes: std::borrow::Cow::Owned(mbox.into_bytes()),
    };
    let archive = Archive::load(&[input], &|_| {}).unwrap();
    assert_eq!(archive.len(), 3);
    for idx in 0..3 {
        let mut line = Vec::new();
        patchdeck::listing::write_json(&mut line, &archive, idx);
        assert!(line.len() > 16 << 10, "{}", line.len());
        assert_eq!(
            String::from_utf8(line).unwrap(),
            reference_json(&archive, idx)
        );
    }
    let rows = [0, 1, 2, 1];
    let mut out = Vec::new();
    write_rows(&mut out, &archive, &rows, Style::Json).unwrap();
    let expected: String = rows
        .iter()
        .map(|&idx| reference_json(&archive, idx))
        .collect();
    assert_eq!(String::from_utf8(out).unwrap(), expected);
}

/// Each escape class: what JSON requires (quotes, backslash, C0 with and without a short
/// form), what a terminal must not see (DEL, C1, bidi controls, zero-width and tag characters,
/// the last two beyond one UTF-16 unit), and what stays raw (emoji, CJK, text that looks like
/// an escape).
#[test]
fn every_escape_class_matches_the_serde_writer() {
    let samples = [
        "",
        "plain",
        "\"quoted\" and \\back\\slashed\\",
        "\0\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1f",
        "del\x7fdel",
        "c1 \u{80}\u{85}\u{9b}\u{9f} nbsp\u{a0}",
        "soft\u{ad}hyphen",
        "bidi \u{202a}\u{202e}\u{2066}\u{2069}\u{61c}",
        "zero\u{200b}\u{200c}\u{200d}\u{200e}\u{200f}width\u{2060}\u{2064}\u{feff}",
        "lines\u{2028}\u{2029}",
        "tags \u{e0000}\u{e0041}\u{e007f} \u{e0080}",
        "emoji 👍🏽 \u{1f468}\u{200d}\u{1f469} 日本語 café",
        "looks escaped: \\u202e \\n \\\" %0a &#x1b;",
        "\u{10ffff}\u{fffd}\u{fffe}",
        "\x1b]0;PWNED\x07 after",
    ];
    for s in samples {
        assert_eq!(hand_written(s), serde_bytes(&s), "{s:?}");
        let back: String = serde_json::from_str(&hand_written(s)).unwrap();
        assert_eq!(back, s);
    }
    // Every character of the first planes, and the ends of the rest, in one string.
    let all: String = (0u32..0x3000)
        .chain(0xfe00..0x10000)
        .chain(0xe0000..0xe0100)
        .chain(0x10fff0..0x110000)
        .filter_map(char::from_u32)
        .collect();
    assert_eq!(hand_written(&all), serde_bytes(&all));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_string_matches_the_serde_writer(s in any::<String>()) {
        prop_assert_eq!(hand_written(&s), serde_bytes(&s));
    }
}
