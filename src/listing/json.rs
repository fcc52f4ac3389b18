//! The `list --format json` record (DESIGN.md section 3), written by hand into a byte buffer.
//!
//! It used to go through serde_json with a formatter that escaped terminal-hostile characters;
//! on a million messages that took seconds (string serialisation, a `Vec` of files and trailers
//! and a formatted date per row). This writer produces the same bytes, which scripts and tests
//! may compare: serde_json's compact layout and escapes (`\"`, `\\`, `\n`, `\r`, `\t`, `\b`,
//! `\f`, other C0 controls as `\u00XX` in lower-case hex), and besides them every character
//! [`needs_replacing`] flags as `\uXXXX` UTF-16 escapes, so a terminal the JSON is printed on
//! sees only ASCII where they were. Keys come in the old struct's order; a trailer's
//! `given_by` and `not_applied` are left out when absent or false, as `skip_serializing_if`
//! left them out.

use std::sync::Arc;

use crate::index::archive::{Archive, MergedTrailer};
use crate::model::date::{DIGIT_PAIRS, push_padded};
use crate::model::message::Address;
use crate::sanitize::needs_replacing;

/// Starts the next member of an object: `,"name":`, one literal copied at once (a million rows times two dozen keys).
macro_rules! key {
    ($out:expr, $name:literal) => {
        $out.extend_from_slice(concat!(",\"", $name, "\":").as_bytes())
    };
}

/// Appends the JSON object for message `idx`, and a newline.
pub fn write_json(out: &mut Vec<u8>, archive: &Archive, idx: u32) {
    write_json_with(out, &mut Scratch::default(), archive, idx);
}

/// What one writer keeps from row to row: room for a row's trailers, so that merging them
/// allocates nothing once the room has grown.
#[derive(Default)]
pub struct Scratch<'a> {
    trailers: Vec<MergedTrailer<'a>>,
}

/// [`write_json`], in the room `scratch` keeps (the same bytes).
pub fn write_json_with<'a>(
    out: &mut Vec<u8>,
    scratch: &mut Scratch<'a>,
    archive: &'a Archive,
    idx: u32,
) {
    let m = &archive.messages[idx as usize];
    let threads = archive.threads();
    let id_of = |i: u32| archive.messages.get(i as usize).map(|m| &*m.id);

    out.extend_from_slice(b"{\"message_id\":");
    push_string(out, &m.id);
    key!(out, "subject");
    push_string(out, m.subject.raw());
    key!(out, "title");
    push_string(out, m.subject.title());
    key!(out, "tags");
    out.push(b'[');
    for (i, tag) in m.subject.tags.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_string(out, tag);
    }
    out.push(b']');
    key!(out, "version");
    push_opt_u32(out, m.subject.version);
    key!(out, "number");
    push_opt_u32(out, m.subject.number);
    key!(out, "total");
    push_opt_u32(out, m.subject.total);
    key!(out, "kind");
    // A kind is one lower-case word: nothing to escape.
    out.push(b'"');
    out.extend_from_slice(m.kind.as_str().as_bytes());
    out.push(b'"');
    key!(out, "from");
    let from = out.len();
    push_address(out, &m.from);
    key!(out, "author");
    if Arc::ptr_eq(&m.from, &m.author) {
        // The author is the sender (the archive shares one copy): its JSON is written already.
        let written = from..out.len() - r#","author":"#.len();
        out.extend_from_within(written);
    } else {
        push_address(out, &m.author);
    }
    key!(out, "date");
    match m.date {
        Some(date) => {
            // RFC 3339 is digits and `-+:T`: nothing to escape.
            out.push(b'"');
            date.write_rfc3339(out);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    key!(out, "in_reply_to");
    push_opt_string(out, m.in_reply_to());
    key!(out, "list_id");
    push_opt_string(out, m.list_id.as_deref());

    key!(out, "files");
    out.push(b'[');
    for (i, f) in m.summary.files.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"path\":");
        push_string(out, &f.path);
        // `null` when only a diffstat row gave the file (its bar does not split the count).
        key!(out, "added");
        push_opt_u32(out, f.added());
        key!(out, "removed");
        push_opt_u32(out, f.removed());
        key!(out, "binary");
        push_bool(out, f.binary);
        out.push(b'}');
    }
    out.push(b']');
    key!(out, "insertions");
    push_u64(out, u64::from(m.summary.insertions));
    key!(out, "deletions");
    push_u64(out, u64::from(m.summary.deletions));

    // The message's merged trailers: its own, then those given on the list.
    key!(out, "trailers");
    out.push(b'[');
    archive.trailers_into(idx, &mut scratch.trailers);
    for (i, t) in scratch.trailers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"key\":");
        push_string(out, &t.trailer.key);
        key!(out, "value");
        push_string(out, &t.trailer.value);
        // The Message-ID of the reply that gave it; absent for the message's own.
        if let Some(by) = t.given_by.and_then(id_of) {
            key!(out, "given_by");
            push_string(out, by);
        }
        // Given for someone other than the reply's sender: shown, not applied.
        if !t.applies() {
            key!(out, "not_applied");
            push_bool(out, true);
        }
        out.push(b'}');
    }
    out.push(b']');

    key!(out, "series");
    let series = archive
        .series_of(idx)
        .and_then(|s| archive.series(s))
        .and_then(|s| id_of(s.root));
    push_opt_string(out, series);
    // Depth in its thread (0 for the message that starts it), and the Message-ID of the
    // message it hangs under, when the archive holds it.
    key!(out, "depth");
    push_u64(out, u64::from(threads.depth(idx)));
    key!(out, "parent");
    push_opt_string(out, threads.parent(idx).and_then(id_of));
    key!(out, "pull_url");
    push_opt_string(out, m.summary.pull_url.as_deref());
    key!(out, "warnings");
    out.push(b'[');
    for (i, warning) in m.warnings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_string(out, warning);
    }
    out.extend_from_slice(b"]}\n");
}

/// Reads what [`write_json`] reads first of each of `rows`: their records, their entries in
/// the archive's per-message tables, the first bytes of the strings they point to, and the
/// records and Message-IDs of their parents and series, all at once, before the rows are
/// rendered.
///
/// The list goes in thread order, which jumps around the archive, so each row's record and
/// strings are cache misses; `write_json` meets them one after another, between hundreds of
/// instructions of writing, and waits for each. Read here with nothing in between, the
/// misses of a few rows are waited for together, one step of each chain of pointers a pass.
/// (A loop of `write_json` alone spent half its time on the first load of a record or a
/// string; with the records read here, the series and parent lookups were its next stalls.)
pub fn warm(archive: &Archive, rows: &[u32]) {
    let first = |s: &str| s.as_bytes().first().map_or(0, |&b| usize::from(b));
    let threads = archive.threads();
    let record = |i: u32| archive.messages.get(i as usize);
    let mut sum = 0usize;
    let records = rows.iter().filter_map(|&i| Some((i, record(i)?)));
    for (i, m) in records.clone() {
        let lengths = [
            m.id.len(),
            m.subject.raw().len(),
            m.subject.title().len(),
            m.subject.tags.len(),
            usize::from(m.references.is_empty()),
            m.kind as usize,
            m.summary.files.len(),
            m.summary.trailers.len(),
            m.warnings.len(),
            m.list_id.as_ref().map_or(0, |l| l.len()),
            m.summary.pull_url.as_ref().map_or(0, |u| u.len()),
            threads.depth(i) as usize,
            threads.parent(i).map_or(0, |p| p as usize),
            archive.series_of(i).map_or(0, |s| s as usize),
            archive.given_trailers(i).len(),
        ];
        sum = lengths.iter().fold(sum, |a, &b| a.wrapping_add(b));
    }
    let root = |i: u32| {
        let series = archive.series(archive.series_of(i)?)?;
        Some(series.root)
    };
    for (i, m) in records.clone() {
        let firsts = [
            first(&m.id),
            first(m.subject.raw()),
            first(m.subject.title()),
            first(&m.from.name),
            first(&m.from.email),
            first(&m.author.name),
            first(&m.author.email),
            m.in_reply_to().map_or(0, first),
            m.list_id.as_deref().map_or(0, first),
            root(i).map_or(0, |r| r as usize),
            threads.parent(i).and_then(record).map_or(0, |p| p.id.len()),
        ];
        sum = firsts.iter().fold(sum, |a, &b| a.wrapping_add(b));
        let tags = m.subject.tags.iter().map(|t| first(t));
        let paths = m.summary.files.iter().map(|f| first(&f.path));
        let trailers = (m.summary.trailers.iter()).map(|t| first(&t.key) ^ first(&t.value));
        sum = (tags.chain(paths).chain(trailers)).fold(sum, usize::wrapping_add);
    }
    for (i, _) in records {
        let ids = [threads.parent(i), root(i)];
        let ids = ids.iter().flatten().filter_map(|&j| record(j));
        sum = ids.fold(sum, |a, m| a.wrapping_add(first(&m.id)));
    }
    // Kept, so the reads are made.
    std::hint::black_box(sum);
}

fn push_address(out: &mut Vec<u8>, a: &Address) {
    out.extend_from_slice(b"{\"name\":");
    push_string(out, &a.name);
    key!(out, "email");
    push_string(out, &a.email);
    out.push(b'}');
}

#[inline]
fn push_opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => push_string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

#[inline]
fn push_opt_u32(out: &mut Vec<u8>, n: Option<u32>) {
    match n {
        Some(n) => push_u64(out, u64::from(n)),
        None => out.extend_from_slice(b"null"),
    }
}

#[inline]
fn push_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Appends `n` in decimal. Most numbers of a row (version, n/m, counts, depth) are under
/// 100, and written without the general loop.
#[inline]
pub(crate) fn push_u64(out: &mut Vec<u8>, n: u64) {
    match n {
        0..10 => out.push(b'0' + n as u8),
        10..100 => out.extend_from_slice(&DIGIT_PAIRS[n as usize]),
        _ => push_padded(out, n, 0),
    }
}

/// What [`push_string`] does with a byte: copy it ([`PLAIN`]), decode the character it starts
/// ([`LEAD`]), or write the escape whose letter the table holds (`b'u'` for `\u00XX`).
const PLAIN: u8 = 0;
const LEAD: u8 = 1;
static ESCAPE: [u8; 256] = {
    let mut table = [PLAIN; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    // DEL: JSON allows it raw, a terminal should not see it.
    table[0x7f] = b'u';
    // Bytes from 0x80 start a multi-byte character (or continue one, but the scan steps over
    // whole characters and never lands inside one).
    let mut b = 0x80;
    while b < 0x100 {
        table[b] = LEAD;
        b += 1;
    }
    table
};

/// Appends `s` as a JSON string, escaped as the module doc says.
///
/// Nearly every string `list` prints needs no escape: those are recognised by `is_plain`
/// and copied whole, with the quotes, under one capacity check. The others go to
/// `push_escaped`. Always inlined: the call cost as much as the copy of a short string,
/// and a plain `#[inline]` was kept or not depending on how the crate was split for codegen.
#[inline(always)]
pub fn push_string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if is_plain(bytes) {
        out.extend_from_slice(bytes);
    } else {
        push_escaped(out, s);
    }
    out.push(b'"');
}

/// Appends the inside of the JSON string for `s`, which holds a byte [`ESCAPE`] flags: one
/// pass over the bytes, 8 at a time while they are all plain. Runs of plain bytes are copied
/// whole, and characters are decoded only where a byte is not ASCII, since only there can
/// [`needs_replacing`] say more than the table does.
#[inline(never)]
fn push_escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Where the plain run not yet copied starts.
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(&word) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
            if escape_bits(u64::from_le_bytes(word)) == 0 {
                i += 8;
                continue;
            }
        }
        let action = ESCAPE[usize::from(bytes[i])];
        if action == PLAIN {
            i += 1;
            continue;
        }
        if action == LEAD {
            let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            if !needs_replacing(c) {
                i += c.len_utf8();
                continue;
            }
            out.extend_from_slice(&bytes[plain..i]);
            let mut units = [0u16; 2];
            for &unit in c.encode_utf16(&mut units).iter() {
                push_unicode_escape(out, unit);
            }
            i += c.len_utf8();
        } else {
            out.extend_from_slice(&bytes[plain..i]);
            if action == b'u' {
                push_unicode_escape(out, u16::from(bytes[i]));
            } else {
                out.extend_from_slice(&[b'\\', action]);
            }
            i += 1;
        }
        plain = i;
    }
    out.extend_from_slice(&bytes[plain..]);
}

/// Whether no byte of `bytes` needs [`ESCAPE`]'s attention.
///
/// Strings of 16 bytes or more are marked 16 bytes at a time into one block of flags
/// ([`mark`]), the last block overlapping the one before it, and the flags looked at once at
/// the end; the compiler makes a dozen vector instructions of each block. Shorter strings are
/// tested as one or two overlapping 8-byte words ([`escape_bits`]), or byte by byte under 8.
/// No branch depends on the bytes until the end (a string's length is not predictable; a loop
/// that left at its first odd byte was).
fn is_plain(bytes: &[u8]) -> bool {
    if let Some(last) = bytes.last_chunk::<16>() {
        let mut flags = [0u8; 16];
        for block in bytes.chunks_exact(16).filter_map(|b| b.first_chunk::<16>()) {
            mark(&mut flags, block);
        }
        mark(&mut flags, last);
        return u128::from_ne_bytes(flags) == 0;
    }
    match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        (Some(&first), Some(&last)) => {
            escape_bits(u64::from_le_bytes(first)) | escape_bits(u64::from_le_bytes(last)) == 0
        }
        _ => bytes.iter().fold(0, |a, &b| a | ESCAPE[usize::from(b)]) == PLAIN,
    }
}

/// Leaves a non-zero byte in `flags` where a byte of `block` needs [`ESCAPE`]'s attention: a
/// byte above `~` (DEL, or part of a multi-byte character) or below a space (a control),
/// which saturating subtractions find, or a quote or backslash.
#[inline(always)]
fn mark(flags: &mut [u8; 16], block: &[u8; 16]) {
    for (flag, &b) in flags.iter_mut().zip(block) {
        let quote = 0u8.wrapping_sub(u8::from(b == b'"'));
        let backslash = 0u8.wrapping_sub(u8::from(b == b'\\'));
        *flag |= b.saturating_sub(b'~') | b' '.saturating_sub(b) | quote | backslash;
    }
}

/// Non-zero when one of the 8 bytes of `word` needs [`ESCAPE`]'s attention: no control, quote,
/// backslash, DEL or non-ASCII byte.
///
/// Testing 8 bytes at once with the classic bit tricks (`haszero`, `hasless`, `hasmore` from
/// "Bit Twiddling Hacks") took a third off the escaper's time per string against the table
/// alone. Each test is exact as a yes/no answer, which is all this asks.
fn escape_bits(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let quote = has_zero(word ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
    // A byte above 0x7e: DEL, or part of a multi-byte character.
    let del_or_high = (word.wrapping_add(ONES) | word) & HIGH;
    control | quote | backslash | del_or_high
}

/// `\uXXXX` in lower-case hex, as serde_json writes it.
fn push_unicode_escape(out: &mut Vec<u8>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(&[
        b'\\',
        b'u',
        HEX[usize::from(unit >> 12)],
        HEX[usize::from(unit >> 8 & 0xf)],
        HEX[usize::from(unit >> 4 & 0xf)],
        HEX[usize::from(unit & 0xf)],
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> String {
        let mut out = Vec::new();
        push_string(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_text_is_only_quoted() {
        assert_eq!(json(""), r#""""#);
        assert_eq!(
            json("clk: qcom: Add GCC 日本"),
            r#""clk: qcom: Add GCC 日本""#
        );
    }

    #[test]
    fn json_escapes_are_serde_jsons() {
        assert_eq!(json("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            json("\n\r\t\x08\x0c\0\x1b\x1f"),
            r#""\n\r\t\b\f\u0000\u001b\u001f""#
        );
    }

    #[test]
    fn terminal_hostile_characters_become_utf16_escapes() {
        assert_eq!(json("del\x7f"), r#""del\u007f""#);
        assert_eq!(json("\u{85}\u{9b}2J"), r#""\u0085\u009b2J""#);
        assert_eq!(json("if (a\u{202e} && b)"), r#""if (a\u202e && b)""#);
        assert_eq!(json("zero\u{200b}width"), r#""zero\u200bwidth""#);
        // Tag characters lie beyond the BMP: a surrogate pair, lower-case.
        assert_eq!(json("\u{e0041}"), r#""\udb40\udc41""#);
        // Emoji are printable: raw.
        assert_eq!(json("ok 👍"), "\"ok 👍\"");
    }

    /// The 8-byte test agrees with the table on every byte in every position.
    #[test]
    fn word_test_agrees_with_the_table() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = *b"abcdefgh";
                word[at] = b;
                let plain = ESCAPE[usize::from(b)] == PLAIN;
                assert_eq!(
                    escape_bits(u64::from_le_bytes(word)) == 0,
                    plain,
                    "{b:#x} at {at}"
                );
            }
        }
    }

    const TEXT: &[u8; 40] = b"abcdefghijklmnopqrstuvwxyz0123456789ABCD";

    /// The whole-string test agrees with the table at every length, on every byte in every
    /// position (blocks of 16 and words of 8, the last overlapping the one before it, or the
    /// bytes one by one).
    #[test]
    fn string_test_agrees_with_the_table() {
        for len in 0..=40 {
            assert!(is_plain(&TEXT[..len]));
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut bytes = TEXT[..len].to_vec();
                    bytes[at] = b;
                    let plain = ESCAPE[usize::from(b)] == PLAIN;
                    assert_eq!(is_plain(&bytes), plain, "{b:#x} at {at} of {len}");
                }
            }
        }
    }

    /// Hostile characters at every position of strings long enough for the 16-byte blocks:
    /// serde_json reads back the string written, and nothing a terminal must not see is left
    /// raw in it (bytes that were not UTF-8 arrive as U+FFFD, which stays as it is).
    #[test]
    fn hostile_strings_read_back_through_serde_json() {
        let hostile = [
            "\"",
            "\\",
            "\0",
            "\x01",
            "\x1b",
            "\x1f",
            "\t",
            "\n",
            "\x7f",
            "\u{85}",
            "\u{9b}",
            "\u{2028}",
            "\u{2029}",
            "\u{202e}",
            "\u{200b}",
            "\u{feff}",
            "\u{e0041}",
            "é",
            "日",
            "👍",
            "\u{fffd}",
        ];
        let lossy = String::from_utf8_lossy(b"bad \xff\xfe bytes \xc3 end").into_owned();
        for len in 0..40 {
            let plain: String = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"
                .chars()
                .take(len)
                .collect();
            for h in hostile {
                for at in 0..=len {
                    let s = format!("{}{h}{}", &plain[..at], &plain[at..]);
                    let written = json(&s);
                    let back: String = serde_json::from_str(&written).unwrap();
                    assert_eq!(back, s);
                    let inside = &written[1..written.len() - 1];
                    assert!(!inside.chars().any(needs_replacing), "{written}");
                }
            }
        }
        let back: String = serde_json::from_str(&json(&lossy)).unwrap();
        assert_eq!(back, lossy);
        assert!(json(&lossy).contains('\u{fffd}'));
    }

    /// `kind` is written without the escape check: each is plain.
    #[test]
    fn kinds_need_no_escape() {
        use crate::model::message::Kind;
        for kind in [
            Kind::Patch,
            Kind::Cover,
            Kind::Reply,
            Kind::Pull,
            Kind::Other,
        ] {
            assert!(is_plain(kind.as_str().as_bytes()), "{kind:?}");
        }
    }

    #[test]
    fn numbers_are_decimal() {
        for n in (0..1000).chain([4_294_967_295, u64::MAX - 1, u64::MAX]) {
            let mut out = Vec::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }
}
