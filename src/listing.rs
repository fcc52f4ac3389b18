//! `patchdeck list` output: one line per message as a table, TSV, or JSON (the schema of
//! DESIGN.md section 3, which tests and other tools rely on).
//!
//! A row's number is the message's place in date order over the whole archive (its index plus
//! one), whatever the query or sort, so the number a script reads is the one `show N` opens.

use std::io::{self, Write};

use serde::Serialize;

use crate::index::archive::Archive;
use crate::model::message::{Address, Message};
use crate::sanitize::sanitize;
use crate::ui::text::pad;

#[derive(Serialize)]
struct JsonAddress<'a> {
    name: &'a str,
    email: &'a str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    /// `null` when only a diffstat row gave the file (its bar does not split the count).
    added: Option<u32>,
    removed: Option<u32>,
    binary: bool,
}

/// One of the message's merged trailers (see `Archive::trailers`).
#[derive(Serialize)]
struct JsonTrailer<'a> {
    key: &'a str,
    value: &'a str,
    /// The Message-ID of the reply that gave it on the list; absent for the message's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    given_by: Option<&'a str>,
    /// `true` for a trailer a reply gave for someone other than its sender (shown, not
    /// applied); absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    not_applied: bool,
}

/// One message as `list --format json` prints it.
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
    /// Depth in its thread (0 for the message that starts it).
    depth: u32,
    /// The Message-ID of the message it hangs under in its thread, when the archive holds it.
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

/// How `list` prints its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Json,
    Tsv,
    /// Fitted to `width` columns when given (a terminal).
    Table {
        width: Option<usize>,
    },
}

/// Rows rendered at once: enough to keep every core busy, few enough that the output is never
/// held in memory whole (a million JSON records are 700 MB; a window of them is about 4 MB).
const WINDOW: usize = 1 << 12;
/// Rows one task renders.
const TASK: usize = 512;

/// Writes `rows` (message indices) in order, streaming: each window of rows is rendered in
/// parallel tasks, written, and dropped before the next.
pub fn write_rows(
    out: &mut impl Write,
    archive: &Archive,
    rows: &[u32],
    style: Style,
) -> io::Result<()> {
    use rayon::prelude::*;
    for window in rows.chunks(WINDOW) {
        let rendered: Vec<io::Result<Vec<u8>>> = window
            .par_chunks(TASK)
            .map(|task| {
                let mut buf = Vec::with_capacity(task.len() * 256);
                for &idx in task {
                    match style {
                        Style::Json => write_json(&mut buf, archive, idx)?,
                        Style::Tsv => write_tsv(&mut buf, archive, idx)?,
                        Style::Table { width } => write_table(&mut buf, archive, idx, width)?,
                    }
                }
                Ok(buf)
            })
            .collect();
        for part in rendered {
            out.write_all(&part?)?;
        }
    }
    Ok(())
}

/// Writes one JSON object for message `idx`, and a newline.
pub fn write_json(out: &mut impl Write, archive: &Archive, idx: u32) -> io::Result<()> {
    let m = &archive.messages[idx as usize];
    let series = archive
        .series_of(idx)
        .and_then(|s| archive.series(s))
        .map(|s| archive.messages[s.root as usize].id.as_str());
    let threads = archive.threads();
    let parent = threads
        .parent(idx)
        .and_then(|p| archive.messages.get(p as usize))
        .map(|p| p.id.as_str());
    let record = JsonMessage {
        message_id: &m.id,
        subject: &m.subject.raw,
        title: &m.subject.title,
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
                    .map(|by| by.id.as_str()),
                not_applied: !t.applies(),
            })
            .collect(),
        series,
        depth: threads.depth(idx),
        parent,
        pull_url: m.summary.pull_url.as_deref(),
        warnings: &m.warnings,
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, TerminalSafe);
    record.serialize(&mut serializer)?;
    out.write_all(b"\n")
}

/// serde_json's compact output, with every character [`sanitize`] would replace written as a
/// `\uXXXX` escape instead of raw (serde_json escapes only C0 controls): C1 controls, DEL,
/// bidirectional controls and invisible format characters. The JSON means the same; a
/// terminal it is printed on sees only ASCII where they were.
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if crate::sanitize::is_clean(fragment) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut plain = 0;
        for (i, c) in fragment.char_indices() {
            if !crate::sanitize::needs_replacing(c) {
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

/// The number `list` prints for message `idx`, and `show N` takes.
pub fn number(idx: u32) -> u64 {
    u64::from(idx) + 1
}

/// Writes a tab-separated line: number, date, author, email, kind, tags, title, +, -, id.
/// TSV has no header row: its columns are fixed (and documented in `list --help`).
pub fn write_tsv(out: &mut impl Write, archive: &Archive, idx: u32) -> io::Result<()> {
    let m = &archive.messages[idx as usize];
    let clean = |s: &str| sanitize(s).replace('\t', " ");
    writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        number(idx),
        m.date.map(|d| d.rfc3339()).unwrap_or_default(),
        clean(&m.author.name),
        clean(&m.author.email),
        m.kind.as_str(),
        clean(&m.tag_summary()),
        clean(&m.subject.title),
        m.summary.insertions,
        m.summary.deletions,
        clean(&m.id),
    )
}

/// Width of the number column: room for 999,999 messages before the columns shift.
const NUMBER_WIDTH: usize = 6;

/// Writes the table's header row, aligned with [`write_table`]'s columns.
pub fn write_table_header(out: &mut impl Write, width: Option<usize>) -> io::Result<()> {
    let title_width = table_title_width(width, "title".len());
    writeln!(
        out,
        "{:>NUMBER_WIDTH$} {} {} {} {} +/-",
        "#",
        pad("date", 10),
        pad("author", 20),
        pad("tags", 12),
        pad("title", title_width),
    )
}

/// How wide the title column is: what the terminal leaves, or the title's own length.
fn table_title_width(width: Option<usize>, title_chars: usize) -> usize {
    let fixed = NUMBER_WIDTH + 1 + 10 + 1 + 20 + 1 + 12 + 1 + 1 + 12;
    match width {
        Some(width) => width.saturating_sub(fixed).max(20),
        None => title_chars.max(60),
    }
}

/// Writes an aligned table row, fitted to `width` columns when given (a terminal); titles are
/// never cut otherwise.
pub fn write_table(
    out: &mut impl Write,
    archive: &Archive,
    idx: u32,
    width: Option<usize>,
) -> io::Result<()> {
    let m = &archive.messages[idx as usize];
    let date = m.date.map_or_else(|| "----------".to_string(), |d| d.ymd());
    let author = pad(&sanitize(m.author.display()), 20);
    let tags = pad(&tag_column(m), 12);
    let stats = if m.summary.has_diff {
        format!("+{} -{}", m.summary.insertions, m.summary.deletions)
    } else {
        String::new()
    };
    let title = sanitize(&m.subject.title);
    let title = pad(&title, table_title_width(width, title.chars().count()));
    writeln!(
        out,
        "{:>NUMBER_WIDTH$} {date} {author} {tags} {title} {stats}",
        number(idx)
    )
}

/// The tags column: `Re:` for replies, `PULL`, `cover`, and version and n/m.
fn tag_column(m: &Message) -> String {
    let tags = m.tag_summary();
    match (m.subject.reply, tags.is_empty()) {
        (true, true) => "Re:".to_string(),
        (true, false) => format!("Re: {tags}"),
        _ => tags,
    }
}
