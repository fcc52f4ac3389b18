//! A cursor over the lines of a body, for the single pass of the body parser.
//!
//! Splitting uses `memchr` and allocates nothing: each [`Line`] borrows its text and knows its
//! byte span and its index, so the parser can cut `message`, `changelog` and `diff_text` out of
//! the body as slices and number diff lines without a second pass.

/// One line of the body, without its `\n`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub text: &'a str,
    /// Byte offset of the line's first byte.
    pub start: usize,
    /// Byte offset just past the line's `\n` (or the end of the text).
    pub end: usize,
    /// Zero-based line number.
    pub index: usize,
}

/// Searches for one byte, over and over in short stretches (a body is read a line at a time).
/// On stretches this short `memchr::memchr`'s choice of routine on every call costs about a
/// quarter of the search: the AVX2 routine is chosen once (where the CPU has it) and called
/// directly.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ByteSearch {
    byte: u8,
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::One>,
}

impl ByteSearch {
    pub fn new(byte: u8) -> Self {
        ByteSearch {
            byte,
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::One::new(byte),
        }
    }

    /// Where the byte first is in `haystack`.
    #[inline(always)]
    pub fn find(&self, haystack: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = &self.avx2 {
            return avx2.find(haystack);
        }
        memchr::memchr(self.byte, haystack)
    }

    /// Where the byte last is in `haystack`.
    #[inline]
    pub fn rfind(&self, haystack: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = &self.avx2 {
            return avx2.rfind(haystack);
        }
        memchr::memrchr(self.byte, haystack)
    }
}

/// Walks a text line by line, with one line of lookahead.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    index: usize,
    newlines: ByteSearch,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Cursor {
            text,
            pos: 0,
            index: 0,
            newlines: ByteSearch::new(b'\n'),
        }
    }

    /// Byte offset of the next line.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Index of the next line.
    pub fn index(&self) -> usize {
        self.index
    }

    #[inline(always)]
    fn line_at(&self, pos: usize, index: usize) -> Option<Line<'a>> {
        let rest = self.text.get(pos..)?;
        if rest.is_empty() {
            return None;
        }
        let (len, end) = match self.newlines.find(rest.as_bytes()) {
            Some(n) => (n, pos + n + 1),
            None => (rest.len(), self.text.len()),
        };
        // `\n` is ASCII, so both cuts fall on char boundaries.
        let text = rest.get(..len).unwrap_or_default();
        Some(Line {
            text,
            start: pos,
            end,
            index,
        })
    }

    /// The next line, without moving.
    #[inline(always)]
    pub fn peek(&self) -> Option<Line<'a>> {
        self.line_at(self.pos, self.index)
    }

    /// The line after `line` (the one [`Self::peek`] returned), without moving.
    #[inline(always)]
    pub fn peek_after(&self, line: Line<'a>) -> Option<Line<'a>> {
        self.line_at(line.end, line.index + 1)
    }

    /// Moves past the next lines while `take` says so of each line's first byte (`None` for
    /// an empty line) and returns how many it moved past: a diff's body read a line at a
    /// time without cutting each line out.
    pub fn skip_while(&mut self, mut take: impl FnMut(Option<u8>) -> bool) -> usize {
        let bytes = self.text.as_bytes();
        let mut pos = self.pos;
        let mut taken = 0;
        while pos < bytes.len() {
            let first = Some(bytes[pos]).filter(|&b| b != b'\n');
            if !take(first) {
                break;
            }
            pos = self
                .newlines
                .find(&bytes[pos..])
                .map_or(bytes.len(), |n| pos + n + 1);
            taken += 1;
        }
        self.pos = pos;
        self.index += taken;
        taken
    }

    /// Moves past `line`, which must be the line [`Self::peek`] returned.
    #[inline(always)]
    pub fn advance(&mut self, line: Line<'a>) {
        self.pos = line.end;
        self.index = line.index + 1;
    }
}

impl<'a> Iterator for Cursor<'a> {
    type Item = Line<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Line<'a>> {
        let line = self.peek()?;
        self.advance(line);
        Some(line)
    }
}

/// Iterates the lines of `text` without their `\n` (like `str::lines`, but `\r` is kept: bodies
/// are normalised to LF before parsing).
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    Cursor::new(text).map(|l| l.text)
}

/// True for a line holding nothing but whitespace.
pub(crate) fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b.is_ascii_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_with_spans_and_indexes() {
        let text = "a\nbc\n\nd";
        let got: Vec<_> = Cursor::new(text)
            .map(|l| (l.text, l.start, l.end, l.index))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a", 0, 2, 0),
                ("bc", 2, 5, 1),
                ("", 5, 6, 2),
                ("d", 6, 7, 3)
            ]
        );
    }

    #[test]
    fn bytes_found_as_memchr_finds_them() {
        let newlines = ByteSearch::new(b'\n');
        let mut next = crate::xorshift(0x0a0a_1234_5678_9abc);
        for _ in 0..5_000 {
            let len = (next() % 100) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| [b'\n', b'x', 0x8a, b' '][(next() % 4) as usize])
                .collect();
            for from in 0..=len {
                let rest = &bytes[from..];
                assert_eq!(newlines.find(rest), memchr::memchr(b'\n', rest), "{rest:?}");
                assert_eq!(
                    newlines.rfind(rest),
                    memchr::memrchr(b'\n', rest),
                    "{rest:?}"
                );
            }
        }
    }

    #[test]
    fn trailing_newline_gives_no_empty_last_line() {
        assert_eq!(lines("x\ny\n").collect::<Vec<_>>(), vec!["x", "y"]);
        assert_eq!(lines("").count(), 0);
    }

    #[test]
    fn peeks_two_lines_ahead_without_moving() {
        let mut c = Cursor::new("1\n2\n3\n");
        let first = c.peek();
        assert_eq!(first.map(|l| l.text), Some("1"));
        let second = first.and_then(|l| c.peek_after(l));
        assert_eq!(second.map(|l| (l.text, l.index)), Some(("2", 1)));
        if let Some(l) = first {
            c.advance(l);
        }
        assert_eq!(c.index(), 1);
        assert_eq!(c.pos(), 2);
        let third = c.peek().and_then(|l| c.peek_after(l));
        assert_eq!(third.map(|l| (l.text, l.start, l.index)), Some(("3", 4, 2)));
        assert!(third.and_then(|l| c.peek_after(l)).is_none());
    }
}
