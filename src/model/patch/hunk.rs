//! Hunks: the `@@ -a,b +c,d @@ section` header and the body lines it counts.
//!
//! A body is consumed by the counts in its header, as `git apply` and patchwork do, so a
//! removed line that reads `--- x` or `-- ` inside a hunk is never taken for a new file or the
//! mail signature. Nothing per line is stored: a hunk keeps counts and its first line.

use super::lines::Cursor;
use crate::model::diff::Hunk;

/// Parses `@@ -a,b +c,d @@ section` (a missing length means 1). The section is given beside
/// the hunk, not in it: a reading that needs only the counts (the load's summary of every
/// body) does not copy it.
pub(crate) fn parse_hunk_header(t: &str) -> Option<(Hunk, &str)> {
    // Read on bytes, a cut at a time: every byte looked at is ASCII, so the section starts
    // on a char boundary.
    let mut rest = t.as_bytes().strip_prefix(b"@@ -")?;
    let (old_start, old_len) = range(&mut rest)?;
    rest = rest.strip_prefix(b" +")?;
    let (new_start, new_len) = range(&mut rest)?;
    rest = rest.strip_prefix(b" @@")?;
    let rest = t.get(t.len() - rest.len()..)?;
    let section = rest.strip_prefix(' ').unwrap_or(rest).trim_end();
    let hunk = Hunk {
        old_start,
        old_len,
        new_start,
        new_len,
        ..Hunk::default()
    };
    Some((hunk, section))
}

/// `a,b` (or `a`, meaning `a,1`) at the start of `rest`, which is moved past it.
fn range(rest: &mut &[u8]) -> Option<(u32, u32)> {
    let start = digits(rest)?;
    match rest.strip_prefix(b",") {
        Some(after) => {
            *rest = after;
            Some((start, digits(rest)?))
        }
        None => Some((start, 1)),
    }
}

/// The decimal number at the start of `rest` (saturating at `u32::MAX`), which is moved past
/// it; `None` when there is none.
fn digits(rest: &mut &[u8]) -> Option<u32> {
    // Read in the one pass that finds the number's end (every hunk header has four).
    let mut value = 0u32;
    let mut count = 0;
    while let Some(&d) = rest.get(count)
        && d.is_ascii_digit()
    {
        value = value.saturating_mul(10).saturating_add(u32::from(d - b'0'));
        count += 1;
    }
    if count == 0 {
        return None;
    }
    *rest = rest.get(count..).unwrap_or_default();
    Some(value)
}

/// Leading decimal digits of `s` (saturating at `u32::MAX`) and what follows them.
pub(crate) fn number(s: &str) -> Option<(u32, &str)> {
    let mut rest = s.as_bytes();
    let value = digits(&mut rest)?;
    Some((value, s.get(s.len() - rest.len()..)?))
}

/// Consumes a hunk's body lines: as many as its header's lengths call for, plus any
/// `\ No newline at end of file` marker. Stops early at a line no hunk can hold (a damaged
/// count), leaving it unread. Gives the lines it added and removed.
pub(crate) fn read_hunk_body(cursor: &mut Cursor<'_>, hunk: &mut Hunk) -> (u32, u32) {
    // Lines read of each kind: the hunk is counted out once its context and removed lines
    // make up its old length and its context and added lines its new one. (Wide: a count
    // cannot wrap however many lines a hostile hunk has.)
    let (old_len, new_len) = (u64::from(hunk.old_len), u64::from(hunk.new_len));
    let (mut context, mut added, mut removed, mut no_newline) = (0u64, 0u64, 0u64, 0u32);
    let taken = cursor.skip_while(|first| {
        if context + removed >= old_len && context + added >= new_len {
            // Counted out: only the `\ No newline` markers of its last lines follow.
            if first != Some(b'\\') {
                return false;
            }
            no_newline = no_newline.saturating_add(1);
            return true;
        }
        match first {
            // Mailers strip the space of an empty context line; `git apply` accepts that too.
            None | Some(b' ') => context += 1,
            Some(b'-') => removed += 1,
            Some(b'+') => added += 1,
            Some(b'\\') => no_newline = no_newline.saturating_add(1),
            Some(_) => return false,
        }
        true
    });
    hunk.no_newline = hunk.no_newline.saturating_add(no_newline);
    hunk.line_count += taken;
    let wide = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    (wide(added), wide(removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_headers_parse_with_default_lengths() {
        let (h, section) = parse_hunk_header("@@ -7 +8,0 @@ fn x()  ").unwrap_or_default();
        assert_eq!(section, "fn x()");
        assert_eq!(
            (h.old_start, h.old_len, h.new_start, h.new_len),
            (7, 1, 8, 0)
        );
        let (h, section) = parse_hunk_header("@@ -0,0 +1,12 @@ fn é() ").unwrap_or_default();
        assert_eq!(section, "fn é()");
        assert_eq!((h.old_len, h.new_start, h.new_len), (0, 1, 12));
        assert!(parse_hunk_header("@@ -1, +1 @@").is_none());
        assert!(parse_hunk_header("@@ -x +1 @@").is_none());
        assert!(parse_hunk_header("@@ -1 +1").is_none());
        let (big, _) = parse_hunk_header("@@ -99999999999 +1 @@").unwrap_or_default();
        assert_eq!(big.old_start, u32::MAX);
    }

    #[test]
    fn body_is_read_by_count_and_markers_follow() {
        let text = "-- \n+x\n\\ No newline at end of file\n-- \nsig\n";
        let mut cursor = Cursor::new(text);
        let (mut hunk, _) = parse_hunk_header("@@ -1 +1 @@").unwrap_or_default();
        assert_eq!(read_hunk_body(&mut cursor, &mut hunk), (1, 1));
        assert_eq!((hunk.line_count, hunk.no_newline), (3, 1));
        assert_eq!(cursor.index(), 3);
    }

    #[test]
    fn body_read_to_the_text_end_with_and_without_markers() {
        // Counted out on the text's last line (no `\n` after it), markers or not.
        for (text, counts, lines, markers) in [
            ("-a\n+b", (1, 1), 2, 0),
            ("-a\n+b\n\\ No newline at end of file", (1, 1), 3, 1),
            ("-a\n\\ x\n+b\n\\ y\n\\ z\nprose", (1, 1), 5, 3),
            ("-a", (0, 1), 1, 0),
        ] {
            let mut cursor = Cursor::new(text);
            let (mut hunk, _) = parse_hunk_header("@@ -1 +1 @@").unwrap_or_default();
            assert_eq!(read_hunk_body(&mut cursor, &mut hunk), counts, "{text:?}");
            assert_eq!(
                (hunk.line_count, hunk.no_newline),
                (lines, markers),
                "{text:?}"
            );
            assert_eq!(cursor.index(), lines, "{text:?}");
        }
    }

    /// The hunk body read a line at a time, each length counted down as `git apply` does.
    fn counted_down(text: &str, old_len: u32, new_len: u32) -> (u32, u32, u32, usize) {
        let (mut old, mut new) = (old_len, new_len);
        let (mut added, mut removed, mut markers, mut lines) = (0, 0, 0, 0);
        for line in super::super::lines::lines(text) {
            let first = line.bytes().next();
            if old == 0 && new == 0 {
                if first != Some(b'\\') {
                    break;
                }
            } else {
                match first {
                    None | Some(b' ') => {
                        (old, new) = (old.saturating_sub(1), new.saturating_sub(1))
                    }
                    Some(b'-') => (old, removed) = (old.saturating_sub(1), removed + 1),
                    Some(b'+') => (new, added) = (new.saturating_sub(1), added + 1),
                    Some(b'\\') => {}
                    Some(_) => break,
                }
            }
            markers += u32::from(first == Some(b'\\'));
            lines += 1;
        }
        (added, removed, markers, lines)
    }

    #[test]
    fn bodies_read_by_counts_as_counted_down() {
        const PIECES: &[&str] = &[
            "\n", " a\n", "-b\n", "+c\n", "\\ x\n", "x\n", "+", "-", "\n\n",
        ];
        let mut next = crate::xorshift(0x6a2c_0000_0000_0001);
        for text in crate::random_texts(0x6a2c_0000_0000_0002, PIECES, 12) {
            let (old_len, new_len) = ((next() % 6) as u32, (next() % 6) as u32);
            let mut hunk = Hunk {
                old_len,
                new_len,
                ..Hunk::default()
            };
            let mut cursor = Cursor::new(&text);
            let (added, removed) = read_hunk_body(&mut cursor, &mut hunk);
            let got = (added, removed, hunk.no_newline, hunk.line_count);
            assert_eq!(
                got,
                counted_down(&text, old_len, new_len),
                "{text:?} {old_len} {new_len}"
            );
            assert_eq!(cursor.index(), hunk.line_count);
        }
    }

    #[test]
    fn numbers_saturate() {
        assert_eq!(number("12ab"), Some((12, "ab")));
        assert_eq!(number("x"), None);
        assert_eq!(number("99999999999999"), Some((u32::MAX, "")));
    }
}
