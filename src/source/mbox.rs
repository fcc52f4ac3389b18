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
/// The search for envelopes makes the spans as it goes ([`envelopes`]), so no byte is read
/// again after it: a message's body starts after its envelope line, read for the envelope
/// test, and it ends before the next envelope, less the blank line that separates them.
pub fn split(data: &[u8], source: u32) -> Split {
    let mut windows = Windows::new(data, source);
    // One window, the whole file.
    let mut split = Split::default();
    while let Some(window) = windows.next(usize::MAX) {
        if split.spans.is_empty() {
            split.spans = window.spans;
        } else {
            split.spans.extend(window.spans);
        }
        split.quoted_from.extend(window.quoted_from);
    }
    split.mboxrd = windows.finish();
    split
}

/// [`split`] a window of the file at a time, so that a big mbox's messages can be read while
/// the bytes just searched are still in the cache, and reading starts before the search has
/// seen the whole file. What only the whole file tells (whether it is mboxrd, when its first
/// envelope does not say so) is known once the last window is searched ([`Windows::finish`]).
#[derive(Debug)]
pub struct Windows<'a> {
    data: &'a [u8],
    source: u32,
    /// Where the search goes on from.
    searched: usize,
    /// Where the message running into the part not searched yet starts.
    start: usize,
    /// The last window was given.
    done: bool,
    /// The first line: it says whether the file is mboxrd.
    first_line: &'a [u8],
    /// Whether the first line is no envelope, making the file one message.
    one_message: bool,
    bare_from: bool,
    quoted_twice: bool,
}

/// What [`Windows::next`] found in one window of the file.
#[derive(Debug, Default)]
pub struct Window {
    /// The messages that end in the window, in order.
    pub spans: Vec<Location>,
    /// Where `From ` follows a `>` in the window, in order (see [`Split::quoted_from`]).
    pub quoted_from: Vec<usize>,
    /// Where the window ends: the search has seen every byte before it.
    pub end: usize,
}

impl<'a> Windows<'a> {
    pub fn new(data: &'a [u8], source: u32) -> Windows<'a> {
        let first = super::sniff::leading_space(data);
        let rest = &data[first..];
        let mail = rest.starts_with(b"From ");
        let first_line = if mail { &rest[..line_len(rest)] } else { &[] };
        let body = first + first_line.len();
        // Like `git mailsplit -b` (what `git am` runs), a file whose first `From ` line is not
        // an envelope is one message.
        let one_message = mail && !is_from_line(first_line);
        Windows {
            data,
            source,
            searched: body,
            start: body,
            done: !mail,
            first_line,
            one_message,
            bare_from: false,
            quoted_twice: one_message && memmem::find(data, b"\n>>From ").is_some(),
        }
    }

    /// Whether the file is mboxrd, when that is known before the whole file is searched:
    /// lore's `From mboxrd@z` envelopes say so at once.
    pub fn mboxrd_at_once(&self) -> bool {
        self.first_line.starts_with(b"From mboxrd@")
    }

    /// Searches the next `bytes` bytes (at least one) and gives the messages that end in them,
    /// in order (the last window gives the last message, ending the file); `None` once the
    /// whole file was given.
    pub fn next(&mut self, bytes: usize) -> Option<Window> {
        if self.done {
            return None;
        }
        let data = self.data;
        let to = if self.one_message {
            data.len()
        } else {
            self.searched.saturating_add(bytes.max(1)).min(data.len())
        };
        let mut spans = Vec::new();
        let mut quoted_from = Vec::new();
        if !self.one_message {
            let scan = envelopes(data, self.searched, to);
            self.bare_from |= scan.bare_from;
            self.quoted_twice |= scan.quoted_twice;
            quoted_from = scan.quoted_from;
            let count = scan.parts.iter().map(|p| p.bodies.len()).sum::<usize>();
            spans.reserve_exact(count + usize::from(to == data.len()));
            // Each part's first envelope ends the message before it.
            for part in &scan.parts {
                for (&end, &next) in part.ends.iter().zip(&part.bodies) {
                    self.push(&mut spans, end);
                    self.start = next;
                }
            }
        }
        self.searched = to;
        if to == data.len() {
            // The last message ends the file.
            self.push(&mut spans, before_separator(data, data.len()));
            self.done = true;
        }
        Some(Window {
            spans,
            quoted_from,
            end: to,
        })
    }

    /// Adds the message from `self.start` to `end`, unless it is cut to nothing: an empty
    /// message is dropped.
    fn push(&self, spans: &mut Vec<Location>, end: usize) {
        if end > self.start {
            spans.push(Location {
                source: self.source,
                start: self.start as u64,
                end: end as u64,
            });
        }
    }

    /// Whether the file is mboxrd (see [`Split::mboxrd`]): known once every window was
    /// given.
    pub fn finish(self) -> bool {
        self.mboxrd_at_once() || (!self.bare_from && self.quoted_twice)
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
    /// What each slice searched found, in order.
    parts: Vec<Part>,
    /// A line starts with `From ` but is no envelope (mboxrd would have quoted it).
    bare_from: bool,
    /// A line starts with `>>From `, quoting that only mboxrd writes.
    quoted_twice: bool,
    /// See [`Split::quoted_from`].
    quoted_from: Vec<usize>,
}

/// The envelopes one slice of the file holds: for each, where the message before it ends
/// (before the blank line that separates them, if there is one) and where its own body starts
/// (after its envelope line).
#[derive(Debug, Default)]
struct Part {
    ends: Vec<usize>,
    bodies: Vec<usize>,
    bare_from: bool,
    quoted_twice: bool,
    quoted_from: Vec<usize>,
}

/// The envelope lines starting at or after `from` and before `to` (the lines themselves may
/// run on past `to`). Big spans are searched in parallel slices (which also spreads the page
/// faults of a fresh memory map over the cores).
fn envelopes(data: &[u8], from: usize, to: usize) -> Scan {
    // One search finds both the lines that may start a message (`From ` after a newline) and
    // mboxrd's quoted ones (`From ` after a `>`), so the file is searched once, not once here
    // and again in every message as it is read.
    const NEEDLE: &[u8] = b"From ";
    let scan = |lo: usize, hi: usize| -> Part {
        // Hits must start inside [lo, hi); the window reaches past `hi` by the needle.
        let window = &data[lo..(hi + NEEDLE.len() - 1).min(data.len())];
        // Room for a message every [`BYTES_PER_ENVELOPE`] up front: more than a slice holds
        // is only address space, pages never touched.
        let room = window.len() / BYTES_PER_ENVELOPE;
        let mut out = Part {
            ends: Vec::with_capacity(room),
            bodies: Vec::with_capacity(room),
            ..Part::default()
        };
        for start in memmem::find_iter(window, NEEDLE).map(|hit| lo + hit) {
            if start >= hi {
                break;
            }
            match start.checked_sub(1).map(|before| data[before]) {
                Some(b'\n') => {
                    let line = line_len(&data[start..]);
                    if is_from_line(&data[start..start + line]) {
                        out.ends.push(before_separator(data, start));
                        out.bodies.push(start + line);
                    } else {
                        out.bare_from = true;
                    }
                }
                Some(b'>') => {
                    out.quoted_from.push(start);
                    // `>>From ` at the start of a line (or of the file).
                    if let Some(arrows) = start.checked_sub(2)
                        && data[arrows] == b'>'
                        && arrows.checked_sub(1).is_none_or(|b| data[b] == b'\n')
                    {
                        out.quoted_twice = true;
                    }
                }
                _ => {}
            }
        }
        out
    };
    let parts: Vec<Part> = if to - from < PARALLEL_BYTES {
        vec![scan(from, to)]
    } else {
        use rayon::prelude::*;
        let slices = rayon::current_num_threads().max(1) * 8;
        let step = (to - from).div_ceil(slices);
        (0..slices)
            .into_par_iter()
            .map(|i| scan((from + i * step).min(to), (from + (i + 1) * step).min(to)))
            .collect()
    };
    let mut all = Scan::default();
    for part in &parts {
        all.bare_from |= part.bare_from;
        all.quoted_twice |= part.quoted_twice;
        all.quoted_from.extend(&part.quoted_from);
    }
    all.parts = parts;
    all
}

/// Fewest bytes a message is expected to take, envelope included, for the room a slice's
/// envelopes are given before they are searched for.
const BYTES_PER_ENVELOPE: usize = 256;

/// `end` (an envelope, or the end of the file) moved before the blank line that separates the
/// message running up to it from what follows, if there is one. A message whose body is that
/// blank line alone comes out empty: its envelope line's own newline precedes it.
fn before_separator(data: &[u8], end: usize) -> usize {
    let text = &data[..end];
    if text.ends_with(b"\n\n") {
        end - 1
    } else if text.ends_with(b"\n\r\n") {
        end - 2
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

    /// The split as first written: the envelopes found first, then each message cut out
    /// between two of them, less the blank line before the next.
    fn split_between_envelopes(data: &[u8]) -> (Vec<(usize, usize)>, bool, Vec<usize>) {
        let first = super::super::sniff::leading_space(data);
        let rest = &data[first..];
        if !rest.starts_with(b"From ") {
            return (Vec::new(), false, Vec::new());
        }
        let first_line = &rest[..line_len(rest)];
        let mut starts = vec![first];
        let mut bare_from = false;
        let mut quoted_from = Vec::new();
        if is_from_line(first_line) {
            let from = first + first_line.len();
            for at in memmem::find_iter(&data[from..], b"From ").map(|h| from + h) {
                match data[at - 1] {
                    b'\n' if is_from_line(&data[at..at + line_len(&data[at..])]) => starts.push(at),
                    b'\n' => bare_from = true,
                    b'>' => quoted_from.push(at),
                    _ => {}
                }
            }
        }
        let spans = (0..starts.len())
            .filter_map(|i| {
                let body = starts[i] + line_len(&data[starts[i]..]);
                let end = starts.get(i + 1).copied().unwrap_or(data.len());
                let text = &data[body..end];
                let end = if text.ends_with(b"\n\n") {
                    end - 1
                } else if text.ends_with(b"\n\r\n") {
                    end - 2
                } else if text == b"\n" || text == b"\r\n" {
                    body
                } else {
                    end
                };
                (end > body).then_some((body, end))
            })
            .collect();
        let mboxrd = first_line.starts_with(b"From mboxrd@")
            || (!bare_from
                && (data.starts_with(b">>From ") || memmem::find(data, b"\n>>From ").is_some()));
        (spans, mboxrd, quoted_from)
    }

    /// Messages cut as the envelopes are found are those cut between the envelopes after:
    /// empty messages, blank lines and CRLF around envelopes, quoted and bare `From ` lines.
    #[test]
    fn split_as_found_is_split_between_envelopes() {
        let pieces = [
            "From a@b Sat Nov 28 09:14:56 2026\n",
            "From mboxrd@z Thu Jan  1 00:00:00 1970\n",
            "From a@b Sat Nov 28 09:14:56 2026\r\n",
            "From the manual\n",
            "From ",
            ">From x\n",
            ">>From y\n",
            ">>>From z\n",
            "\n",
            "\r\n",
            "\r",
            " ",
            "S: 1\n",
            "body",
            ">",
        ];
        for text in crate::random_texts(0x5b11_7a5f_0000_0001, &pieces, 10) {
            let data = text.as_bytes();
            let split = split(data, 3);
            let spans: Vec<(usize, usize)> = (split.spans.iter())
                .map(|l| (l.start as usize, l.end as usize))
                .collect();
            let expected = split_between_envelopes(data);
            assert_eq!(
                (spans, split.mboxrd, split.quoted_from),
                expected,
                "{text:?}"
            );
            assert!(split.spans.iter().all(|l| l.source == 3));
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
        let sequential: Vec<usize> = memmem::find_iter(&data, b"\nFrom x@y")
            .map(|h| h + 1 + ENVELOPE.len())
            .collect();
        let scan = envelopes(&data, ENVELOPE.len(), data.len());
        assert!(scan.parts.len() > 1);
        let bodies: Vec<usize> = scan.parts.iter().flat_map(|p| p.bodies.clone()).collect();
        assert_eq!(bodies, sequential);
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
