//! Splitting an mbox (mboxo or mboxrd) into messages.
//!
//! A message starts after a `From ` line that begins the file (after blank lines) or follows
//! a blank line; lore's `From mboxrd@z Thu Jan  1 00:00:00 1970` separators are such lines.
//! CRLF files split the same way. `>From ` unquoting happens when a message's bytes are taken
//! (see [`unquote`]), so the split itself never copies.

use std::borrow::Cow;

use memchr::memmem;

/// Byte ranges of the messages in `data`, envelope lines and separating blank lines excluded.
pub fn split(data: &[u8]) -> Vec<(usize, usize)> {
    let mut starts = Vec::new(); // offsets of `From ` envelope lines
    let first = super::sniff::leading_blank(data);
    if data[first..].starts_with(b"From ") {
        starts.push(first);
    }
    starts.extend(envelopes(data));
    let mut spans = Vec::with_capacity(starts.len());
    for (i, &envelope) in starts.iter().enumerate() {
        let body_start =
            memchr::memchr(b'\n', &data[envelope..]).map_or(data.len(), |n| envelope + n + 1);
        let mut end = starts.get(i + 1).copied().unwrap_or(data.len());
        // The blank line before the next envelope belongs to the separator.
        if end < data.len() || data.ends_with(b"\n\n") || data.ends_with(b"\r\n\r\n") {
            end = trim_one_newline(data, body_start, end);
        }
        if end > body_start {
            spans.push((body_start, end));
        }
    }
    spans
}

/// Below this a file is searched on one thread: splitting the work costs more than it saves.
const PARALLEL_BYTES: usize = 8 << 20;

/// Offsets of the envelope lines after the first: `From ` lines that follow a blank line.
/// Big files are searched in parallel slices (which also spreads the page faults of a fresh
/// memory map over the cores).
fn envelopes(data: &[u8]) -> Vec<usize> {
    const NEEDLE: &[u8] = b"\nFrom ";
    let scan = |from: usize, to: usize| -> Vec<usize> {
        // Hits must start inside [from, to); the window reaches past `to` by the needle.
        let window = &data[from..(to + NEEDLE.len() - 1).min(data.len())];
        memmem::find_iter(window, NEEDLE)
            .map(|hit| from + hit)
            .filter(|&hit| hit < to && follows_blank_line(data, hit))
            .map(|hit| hit + 1)
            .collect()
    };
    if data.len() < PARALLEL_BYTES {
        return scan(0, data.len());
    }
    use rayon::prelude::*;
    let slices = rayon::current_num_threads().max(1) * 8;
    let step = data.len().div_ceil(slices);
    (0..slices)
        .into_par_iter()
        .map(|i| scan((i * step).min(data.len()), ((i + 1) * step).min(data.len())))
        .collect::<Vec<_>>()
        .concat()
}

/// Is the `\n` at `newline` the end of an empty line (`\n\n` or `\n\r\n`)?
fn follows_blank_line(data: &[u8], newline: usize) -> bool {
    match newline {
        0 => true,
        n if data[n - 1] == b'\n' => true,
        n if data[n - 1] == b'\r' => n == 1 || data[n - 2] == b'\n',
        _ => false,
    }
}

fn trim_one_newline(data: &[u8], start: usize, mut end: usize) -> usize {
    if end > start && data[end - 1] == b'\n' {
        end -= 1;
        if end > start && data[end - 1] == b'\r' {
            end -= 1;
        }
    }
    end
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
    for hit in memmem::find_iter(message, b"From ") {
        if hit == 0 || message[hit - 1] != b'>' {
            continue;
        }
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

    #[test]
    fn splits_at_envelopes_after_blank_lines() {
        let data =
            b"From a\nSubject: 1\n\nbody\nFrom here is not a split\n\nFrom b\nSubject: 2\n\nx\n";
        let spans = split(data);
        assert_eq!(spans.len(), 2);
        assert_eq!(
            &data[spans[0].0..spans[0].1],
            b"Subject: 1\n\nbody\nFrom here is not a split\n"
        );
        assert_eq!(&data[spans[1].0..spans[1].1], b"Subject: 2\n\nx\n");
    }

    #[test]
    fn parallel_split_matches_sequential() {
        let mut data = Vec::new();
        for i in 0..200_000 {
            data.extend_from_slice(
                format!("From x\nSubject: {i}\n\ntext\nFrom body\n>From q\n\n").as_bytes(),
            );
        }
        assert!(data.len() > PARALLEL_BYTES);
        let spans = split(&data);
        assert_eq!(spans.len(), 200_000);
        let sequential: Vec<usize> = memmem::find_iter(&data, b"\nFrom ")
            .filter(|&h| follows_blank_line(&data, h))
            .map(|h| h + 1)
            .collect();
        assert_eq!(envelopes(&data), sequential);
    }

    #[test]
    fn crlf_and_leading_blank_lines() {
        let data = b"\r\nFrom a\r\nS: 1\r\n\r\nb\r\n\r\nFrom b\r\nS: 2\r\n";
        let spans = split(data);
        assert_eq!(spans.len(), 2);
        assert_eq!(&data[spans[0].0..spans[0].1], b"S: 1\r\n\r\nb\r\n");
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
