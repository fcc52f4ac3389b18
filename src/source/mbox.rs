//! Splitting an mbox (mboxo or mboxrd) into messages, at the lines `git mailsplit` splits at.
//!
//! Leading white space is skipped. A message starts at a `From ` line that passes git's
//! `is_from_line` test: the line ends in something shaped like an asctime date (`hh:mm:ss`
//! then a year), which every envelope line has (`From mboxrd@z Thu Jan  1 00:00:00 1970`,
//! `From <sha> Mon Sep 17 00:00:00 2001`). No blank line is needed before it, and a body line
//! such as `From the manual page:` never splits. The blank line before an envelope belongs to
//! the separator. CRLF files split the same way.
//!
//! `>From ` quoting is undone only in mboxrd files (see [`Split::mboxrd`]); an mboxo file's
//! `>From ` lines are kept as written, as `git mailsplit` does without `--mboxrd`. Unquoting
//! happens when a message's bytes are taken (see [`unquote`]), so the split itself never copies.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;

use crate::model::message::Location;

/// Where the messages of an mbox are, and how to read their bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// Where the messages are (in source `source`, as [`split`] was told), envelope lines and
    /// separating blank lines excluded.
    pub spans: Vec<Location>,
    /// The file is mboxrd, so a body's `>From ` (`>>From `, ...) loses one `>` when read: lore's
    /// `From mboxrd@z` envelopes say so, and so does quoting that only mboxrd writes (a
    /// `>>From ` line, and no body line starting with a bare `From `).
    pub mboxrd: bool,
    /// Where `From ` follows a `>` (the `F`), in order: only a message holding one of these
    /// can have a line to unquote, so the others are read as stored without a search.
    pub quoted_from: Vec<usize>,
}

/// Splits `data` (which starts, after white space, with a `From ` line) into messages, located
/// in source number `source`.
///
/// The spans are made as the archive keeps them, each written once into a vector of their
/// exact number: at a million messages, pairs made first and copied into locations after, and
/// vectors grown by doubling, were tens of megabytes on top of the whole file, which the
/// search has just mapped (the load's peak).
pub fn split(data: &[u8], source: u32) -> Split {
    let first = super::sniff::leading_space(data);
    let rest = &data[first..];
    if !rest.starts_with(b"From ") {
        return Split::default();
    }
    let first_line = &rest[..line_len(rest)];
    let scan = if is_from_line(first_line) {
        envelopes(data, first, first + first_line.len())
    } else {
        // Like `git mailsplit -b` (what `git am` runs), a file whose first `From ` line is not
        // an envelope is one message.
        Scan {
            envelopes: vec![first],
            ..Scan::default()
        }
    };
    let starts = &scan.envelopes;
    // Each message's envelope line and end are read once more here: a big file's million
    // messages are cut on every core. An empty message is cut to nothing, and dropped after.
    let span = |i: usize| {
        let envelope = starts[i];
        let body_start = envelope + line_len(&data[envelope..]);
        let end = starts.get(i + 1).copied().unwrap_or(data.len());
        let end = drop_separator_blank(data, body_start, end);
        Location {
            source,
            start: body_start as u64,
            end: end as u64,
        }
    };
    let mut spans: Vec<Location> = if data.len() < PARALLEL_BYTES {
        (0..starts.len()).map(span).collect()
    } else {
        use rayon::prelude::*;
        let mut spans = Vec::new();
        (0..starts.len())
            .into_par_iter()
            .map(span)
            .collect_into_vec(&mut spans);
        spans
    };
    spans.retain(|l| l.end > l.start);
    let mboxrd = first_line.starts_with(b"From mboxrd@")
        || (!scan.bare_from
            && (data.starts_with(b">>From ") || memmem::find(data, b"\n>>From ").is_some()));
    Split {
        spans,
        mboxrd,
        quoted_from: scan.quoted_from,
    }
}

/// Length of the first line of `data`, its `\n` included.
fn line_len(data: &[u8]) -> usize {
    memchr::memchr(b'\n', data).map_or(data.len(), |n| n + 1)
}

/// git mailsplit's `is_from_line`: a line (its line ending included) of at least 20 bytes
/// starting `From ` whose last colon (before the final byte) sits in a time (`d:dd:dd`) that
/// is followed by a year above 90.
///
/// Nearly every envelope ends in a time and a four-digit year, as lore's `… 00:00:00 1970`
/// and git's `… 00:00:00 2001` do: such a line is told at once from its last 13 bytes.
pub(crate) fn is_from_line(line: &[u8]) -> bool {
    if line.len() < 20 || !line.starts_with(b"From ") {
        return false;
    }
    line.last_chunk::<13>().is_some_and(ends_in_time_and_year) || has_time_and_year(line)
}

/// [`is_from_line`]'s test on a line of at least 20 bytes: its last colon (before the final
/// byte) sits in a time that is followed by a year above 90.
fn has_time_and_year(line: &[u8]) -> bool {
    let Some(colon) = line[5..line.len() - 2]
        .iter()
        .rposition(|&b| b == b':')
        .map(|i| i + 5)
    else {
        return false;
    };
    let digit = |i: usize| line[i].is_ascii_digit();
    digit(colon - 4)
        && digit(colon - 2)
        && digit(colon - 1)
        && digit(colon + 1)
        && digit(colon + 2)
        && leading_number(&line[colon + 3..]) > 90
}

/// `tail` (a line's last 13 bytes) is `d?dd:dd dddd\n`, the end of `hh:mm:ss yyyy`, with a
/// year above 90: then the line's last colon is the one before the seconds, and
/// [`is_from_line`]'s test passes on the digits around it and the year after.
fn ends_in_time_and_year(tail: &[u8; 13]) -> bool {
    let [h, _, m1, m2, colon, s1, s2, space, year @ .., newline] = *tail;
    let digits = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    let value = year
        .iter()
        .fold(0u32, |n, &d| n * 10 + u32::from(d.wrapping_sub(b'0')));
    digits(&[h, m1, m2, s1, s2])
        && digits(&year)
        && value > 90
        && colon == b':'
        && space == b' '
        && newline == b'\n'
}

/// C's `strtol(s, NULL, 10)`: white space, a sign, digits; 0 when there are none.
fn leading_number(s: &[u8]) -> i64 {
    let s = &s[s
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .count()..];
    let (negative, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let value = digits
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0i64, |n, &d| {
            n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    if negative { -value } else { value }
}

/// Below this a file is searched on one thread: splitting the work costs more than it saves.
const PARALLEL_BYTES: usize = 8 << 20;

/// What the search for envelopes found.
#[derive(Debug, Default)]
struct Scan {
    /// Offsets of the envelope lines.
    envelopes: Vec<usize>,
    /// A line starts with `From ` but is no envelope (mboxrd would have quoted it).
    bare_from: bool,
    /// See [`Split::quoted_from`].
    quoted_from: Vec<usize>,
}

/// The envelope lines: `first`, then those at or after `from`. Big files are searched in
/// parallel slices (which also spreads the page faults of a fresh memory map over the cores).
fn envelopes(data: &[u8], first: usize, from: usize) -> Scan {
    // One search finds both the lines that may start a message (`From ` after a newline) and
    // mboxrd's quoted ones (`From ` after a `>`), so the file is searched once, not once here
    // and again in every message as it is read.
    const NEEDLE: &[u8] = b"From ";
    let scan = |lo: usize, hi: usize| -> Scan {
        // Hits must start inside [lo, hi); the window reaches past `hi` by the needle.
        let window = &data[lo..(hi + NEEDLE.len() - 1).min(data.len())];
        // Room for a message every [`BYTES_PER_ENVELOPE`] up front: more than a slice holds
        // is only address space, pages never touched.
        let mut out = Scan {
            envelopes: Vec::with_capacity(window.len() / BYTES_PER_ENVELOPE),
            ..Scan::default()
        };
        for start in memmem::find_iter(window, NEEDLE).map(|hit| lo + hit) {
            if start >= hi {
                break;
            }
            match start.checked_sub(1).map(|before| data[before]) {
                Some(b'\n') => {
                    if is_from_line(&data[start..start + line_len(&data[start..])]) {
                        out.envelopes.push(start);
                    } else {
                        out.bare_from = true;
                    }
                }
                Some(b'>') => out.quoted_from.push(start),
                _ => {}
            }
        }
        out
    };
    let parts: Vec<Scan> = if data.len() - from < PARALLEL_BYTES {
        vec![scan(from, data.len())]
    } else {
        use rayon::prelude::*;
        let slices = rayon::current_num_threads().max(1) * 8;
        let step = (data.len() - from).div_ceil(slices);
        (0..slices)
            .into_par_iter()
            .map(|i| {
                scan(
                    (from + i * step).min(data.len()),
                    (from + (i + 1) * step).min(data.len()),
                )
            })
            .collect()
    };
    let mut envelopes =
        Vec::with_capacity(1 + parts.iter().map(|p| p.envelopes.len()).sum::<usize>());
    envelopes.push(first);
    let mut all = Scan {
        envelopes,
        ..Scan::default()
    };
    for part in parts {
        all.envelopes.extend(part.envelopes);
        all.bare_from |= part.bare_from;
        all.quoted_from.extend(part.quoted_from);
    }
    all
}

/// Fewest bytes a message is expected to take, envelope included, for the room a slice's
/// envelopes are given before they are searched for.
const BYTES_PER_ENVELOPE: usize = 256;

/// `end` moved before the blank line that ends the message at `start..end`, if there is one:
/// that line separates it from the next envelope.
fn drop_separator_blank(data: &[u8], start: usize, end: usize) -> usize {
    let text = &data[start..end];
    if text.ends_with(b"\n\n") {
        end - 1
    } else if text.ends_with(b"\n\r\n") {
        end - 2
    } else if text == b"\n" || text == b"\r\n" {
        start
    } else {
        end
    }
}

/// Undoes mboxrd quoting: a line `>From `, `>>From ` ... loses one `>`. Borrows when there is
/// nothing to undo, which is nearly always.
pub fn unquote(message: &[u8]) -> Cow<'_, [u8]> {
    let quoted = |at: usize| -> Option<usize> {
        // `at` is a line start; returns the index of the `>` to drop.
        let rest = &message[at..];
        let arrows = rest.iter().take_while(|&&b| b == b'>').count();
        (arrows > 0 && rest[arrows..].starts_with(b"From ")).then_some(at)
    };
    let mut drops = Vec::new();
    if let Some(at) = quoted(0) {
        drops.push(at);
    }
    // Built once: a million messages each building its own searcher cost more than the search.
    static QUOTED_FROM: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b">From "));
    for arrow in QUOTED_FROM.find_iter(message) {
        let hit = arrow + 1;
        let mut line = hit;
        while line > 0 && message[line - 1] == b'>' {
            line -= 1;
        }
        if line > 0
            && message[line - 1] == b'\n'
            && let Some(at) = quoted(line)
        {
            drops.push(at);
        }
    }
    if drops.is_empty() {
        return Cow::Borrowed(message);
    }
    let mut out = Vec::with_capacity(message.len());
    let mut prev = 0;
    for at in drops {
        out.extend_from_slice(&message[prev..at]);
        prev = at + 1;
    }
    out.extend_from_slice(&message[prev..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENVELOPE: &str = "From x@y Mon Sep 17 00:00:00 2001\n";

    #[test]
    fn splits_at_envelope_lines_only() {
        let data = format!(
            "{ENVELOPE}Subject: 1\n\nbody\n\nFrom the manual page:\nx\n{ENVELOPE}Subject: 2\n\nx\n"
        );
        let data = data.as_bytes();
        let split = split(data, 0);
        assert_eq!(split.spans.len(), 2);
        let text = |l: Location| &data[l.start as usize..l.end as usize];
        assert_eq!(
            text(split.spans[0]),
            b"Subject: 1\n\nbody\n\nFrom the manual page:\nx\n"
        );
        assert_eq!(text(split.spans[1]), b"Subject: 2\n\nx\n");
        assert!(!split.mboxrd);
    }

    #[test]
    fn from_line_test_is_gits() {
        for yes in [
            "From mboxrd@z Thu Jan  1 00:00:00 1970\n",
            "From e6807f3efca28b30decfecb1732a56c7db1137ee Mon Sep 17 00:00:00 2001\n",
            "From a@b Sat Nov 28 09:14:56 2026",
            "From a@b Sat Nov 28 09:14:56 2026\r\n",
        ] {
            assert!(is_from_line(yes.as_bytes()), "{yes:?}");
        }
        for no in [
            "From the manual page:\n",
            "From a@b Sat Nov 28 09:14:56 90\n",
            "From a@b Sat Nov 28 09:14:56 0090\n",
            "From: x@y Mon Sep 17 00:00:00 2001\n",
            "From a@b 1:2:3 2001\n",
            "From :::::::::::::::::\n",
            "From 12:34\n",
        ] {
            assert!(!is_from_line(no.as_bytes()), "{no:?}");
        }
    }

    /// Lines ending in a time and a year are told from their end as from their last colon,
    /// whatever comes before: times and years of every shape, line endings, other colons.
    #[test]
    fn envelope_ends_read_as_the_last_colon_reads_them() {
        let pieces = [
            "From ",
            "a@b",
            " ",
            "  ",
            ":",
            "0",
            "7",
            "9",
            "00:00:00",
            "1:2:3",
            " 1970",
            " 2001",
            " 0090",
            " 0091",
            " 90",
            "19",
            "x",
            "\r",
            "\n",
            "\t",
            "-",
            "+",
            "00:00:00 1970\n",
            "12:34:56 0091\n",
            "9:59:59 2026\n",
        ];
        let lines = crate::random_texts(0xe4e1_09e5_0000_0001, &pieces, 12);
        for line in lines.map(|l| format!("From {l}")) {
            let line = line.as_bytes();
            let general = line.len() >= 20 && has_time_and_year(line);
            assert_eq!(
                is_from_line(line),
                general,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn parallel_split_matches_sequential() {
        let mut data = Vec::new();
        for i in 0..200_000 {
            data.extend_from_slice(
                format!("{ENVELOPE}Subject: {i}\n\ntext\nFrom body\n>From q\n\n").as_bytes(),
            );
        }
        assert!(data.len() > PARALLEL_BYTES);
        let spans = split(&data, 0).spans;
        assert_eq!(spans.len(), 200_000);
        let sequential: Vec<usize> = std::iter::once(0)
            .chain(memmem::find_iter(&data, b"\nFrom x@y").map(|h| h + 1))
            .collect();
        assert_eq!(envelopes(&data, 0, ENVELOPE.len()).envelopes, sequential);
    }

    #[test]
    fn crlf_and_leading_white_space() {
        let data = b" \t\r\nFrom a Sat Nov 28 09:14:56 2026\r\nS: 1\r\n\r\nb\r\n\r\nFrom b Sat Nov 28 09:14:56 2026\r\nS: 2\r\n";
        let spans = split(data, 0).spans;
        assert_eq!(spans.len(), 2);
        assert_eq!(
            &data[spans[0].start as usize..spans[0].end as usize],
            b"S: 1\r\n\r\nb\r\n"
        );
    }

    #[test]
    fn a_bare_first_from_line_makes_one_message() {
        let data = b"From here on\nSubject: x\n\nFrom a Sat Nov 28 09:14:56 2026\n";
        let spans = split(data, 0).spans;
        assert_eq!(spans.len(), 1);
    }

    #[test]
    fn mboxrd_is_told_from_mboxo() {
        let lore = b"From mboxrd@z Thu Jan  1 00:00:00 1970\nS: x\n\n>From y\n";
        assert!(split(lore, 0).mboxrd);
        let quoted = format!("{ENVELOPE}S: x\n\n>>From y\n>From z\n");
        assert!(split(quoted.as_bytes(), 0).mboxrd);
        let mboxo = format!("{ENVELOPE}S: x\n\n>>From y\nFrom z\n");
        assert!(!split(mboxo.as_bytes(), 0).mboxrd);
        let plain = format!("{ENVELOPE}S: x\n\n>From y\n");
        assert!(!split(plain.as_bytes(), 0).mboxrd);
    }

    #[test]
    fn mboxrd_unquoting() {
        assert_eq!(
            unquote(b"a\n>From x\n>>From y\n>Fromage\n").as_ref(),
            b"a\nFrom x\n>From y\n>Fromage\n"
        );
        assert!(matches!(unquote(b"no quoting\n"), Cow::Borrowed(_)));
        assert_eq!(unquote(b">From start").as_ref(), b"From start");
    }
}
