//! RFC 2047 encoded words (`=?utf-8?q?Rafa=C5=82?=`) in header values, decoded in one pass.
//!
//! The rules are mailparse's, which the corpora were read with until it showed quadratic time
//! on hostile headers (a megabyte of `=?` took half a minute: its boundary check walks the
//! line from the start for every token, and every unclosed `=?` searched the rest of the line
//! again). Here each byte is looked at a bounded number of times: the search for a word's end
//! resumes where the previous search stopped, since the ends that qualify do not depend on
//! where the word began.
//!
//! Encoded words are recognised where mailparse recognises them: `=?` at the start of a line
//! or after white space or one of `"()<>,`, up to the first `?=` that is followed by the same
//! kind of boundary. White space between two adjacent encoded words is dropped (RFC 2047
//! section 6.2), folded lines are joined with a space. Broken words are decoded as far as they
//! go: an unknown charset falls back to UTF-8, then Windows-1252, as bodies do; damaged base64
//! decodes its whole groups; a word that yields nothing stays as it was written.

use memchr::memmem;

use super::{decode_charset, decode_quoted_printable};

/// Decodes the encoded words in a header value (the bytes after the colon, folding included).
/// Raw 8-bit bytes are read as UTF-8, else Windows-1252. Linear in the length of `raw`.
pub fn decode(raw: &[u8]) -> String {
    let text = match std::str::from_utf8(raw) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => std::borrow::Cow::Owned(decode_charset(raw, "")),
    };
    let mut out = Joiner::new(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.newline();
        }
        tokenize_line(line.trim_start(), &mut out);
    }
    out.text
}

/// Where a `=?` may start or a `?=` may end an encoded word.
fn is_boundary(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '(' | ')' | '<' | '>' | ','))
}

/// The first `?=` at or after `from` that ends a word, remembered across the words of a line.
struct EndFinder<'a> {
    line: &'a str,
    finder: memmem::Finder<'static>,
    /// The last end found; valid for any search starting at or before it.
    found: Option<usize>,
    /// Nothing before this position (other than `found`) can end a word.
    scanned: usize,
}

impl<'a> EndFinder<'a> {
    fn new(line: &'a str) -> EndFinder<'a> {
        EndFinder {
            line,
            finder: memmem::Finder::new(b"?="),
            found: None,
            scanned: 0,
        }
    }

    fn next_end(&mut self, from: usize) -> Option<usize> {
        if let Some(end) = self.found {
            if end >= from {
                return Some(end);
            }
            self.found = None;
        }
        let mut pos = from.max(self.scanned);
        let bytes = self.line.as_bytes();
        while pos < bytes.len() {
            let Some(i) = self.finder.find(&bytes[pos..]) else {
                break;
            };
            let end = pos + i;
            // `?=` cannot overlap itself, so the next candidate starts past this one.
            pos = end + 2;
            if is_boundary(self.line[end + 2..].chars().next()) {
                self.found = Some(end);
                self.scanned = pos;
                return Some(end);
            }
        }
        self.scanned = bytes.len();
        None
    }
}

fn tokenize_line(line: &str, out: &mut Joiner) {
    let starts = memmem::Finder::new(b"=?");
    let mut ends = EndFinder::new(line);
    let mut search = 0;
    loop {
        let Some(found) = starts.find(&line.as_bytes()[search..]) else {
            out.text_or_space(&line[search..]);
            return;
        };
        let open = search + found;
        let begin = open + 2;
        if !is_boundary(line[..open].chars().next_back()) {
            out.text(&line[search..begin]);
            search = begin;
            continue;
        }
        out.text_or_space(&line[search..open]);
        match ends.next_end(begin) {
            Some(end) => {
                match decode_word(&line[begin..end]) {
                    Some(word) => out.word(&word),
                    None => out.text(&line[open..end + 2]),
                }
                search = end + 2;
            }
            None => {
                out.text("=?");
                search = begin;
            }
        }
    }
}

/// Decodes the inside of one encoded word, `charset?encoding?text`; `None` when it is not one.
fn decode_word(inner: &str) -> Option<String> {
    let (charset, rest) = inner.split_once('?')?;
    let (encoding, text) = rest.split_once('?')?;
    let bytes = match encoding {
        "B" | "b" => decode_base64(text)?,
        "Q" | "q" => decode_quoted_printable(text.replace('_', " ").as_bytes()),
        _ => return None,
    };
    // RFC 2231 lets a word name its language: `=?utf-8*en?q?...?=`.
    let charset = charset.split_once('*').map_or(charset, |(c, _)| c);
    Some(decode_charset(&bytes, charset))
}

/// Base64 decoded as far as it is whole: characters outside the alphabet are skipped, the
/// text ends at the first `=`, and a last partial group gives the bytes it holds. `None` when
/// there is text but nothing decodes from it.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn value(b: u8) -> Option<u32> {
        match b {
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut group = 0u32;
    let mut count = 0;
    for b in text.bytes().take_while(|&b| b != b'=') {
        let Some(v) = value(b) else { continue };
        group = (group << 6) | v;
        count += 1;
        if count == 4 {
            out.extend_from_slice(&group.to_be_bytes()[1..]);
            group = 0;
            count = 0;
        }
    }
    match count {
        2 => out.push((group >> 4) as u8),
        3 => out.extend_from_slice(&((group >> 2) as u16).to_be_bytes()),
        _ => {}
    }
    if out.is_empty() && !text.is_empty() {
        return None;
    }
    Some(out)
}

/// Builds the decoded value, applying RFC 2047's white-space rules as tokens arrive.
struct Joiner {
    text: String,
    pending: Pending,
}

/// White space held back until the next token says whether it is kept.
enum Pending {
    None,
    /// The last token was an encoded word.
    Word,
    /// White space after an encoded word: dropped if another word follows.
    Space(String),
    /// A line break after an encoded word, with the white space it unfolds to.
    Newline(String),
}

impl Joiner {
    fn new(capacity: usize) -> Joiner {
        Joiner {
            text: String::with_capacity(capacity),
            pending: Pending::None,
        }
    }

    fn text_or_space(&mut self, text: &str) {
        if text.trim_end().is_empty() {
            self.space(text);
        } else {
            self.text(text);
        }
    }

    fn text(&mut self, text: &str) {
        if let Pending::Space(ws) | Pending::Newline(ws) =
            std::mem::replace(&mut self.pending, Pending::None)
        {
            self.text.push_str(&ws);
        }
        self.text.push_str(text);
    }

    fn space(&mut self, ws: &str) {
        if matches!(self.pending, Pending::Word) {
            self.pending = Pending::Space(ws.to_string());
        } else {
            self.text.push_str(ws);
            self.pending = Pending::None;
        }
    }

    fn newline(&mut self) {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::Space(mut ws) => {
                ws.push(' ');
                self.pending = Pending::Newline(ws);
            }
            Pending::Word => self.pending = Pending::Newline(" ".into()),
            Pending::None | Pending::Newline(_) => self.text.push(' '),
        }
    }

    fn word(&mut self, word: &str) {
        self.pending = Pending::Word;
        self.text.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_text_and_the_space_between_words() {
        assert_eq!(decode(b" =?utf-8?q?Rafa=C5=82?="), "Rafał");
        assert_eq!(decode(b" =?utf-8?q?a?= =?utf-8?q?b?="), "ab");
        assert_eq!(decode(b" x =?utf-8?q?a_b?= y"), "x a b y");
        assert_eq!(
            decode(b" =?utf-8?b?w6k=?=\n =?utf-8?q?t=C3=A9?="),
            "\u{e9}t\u{e9}"
        );
        assert_eq!(decode(b" a\n\tb =?utf-8?q?c?=\n d"), "a b c d");
        assert_eq!(decode(b" (=?utf-8?q?x?=)"), "(x)");
    }

    #[test]
    fn not_words_stay_as_written() {
        assert_eq!(decode(b" a=?utf-8?q?x?="), "a=?utf-8?q?x?=");
        assert_eq!(decode(b" =?utf-8?q?x?=b"), "=?utf-8?q?x?=b");
        assert_eq!(decode(b" =?utf-8?x?y?="), "=?utf-8?x?y?=");
        assert_eq!(decode(b" =? =? =?"), "=? =? =?");
        assert_eq!(decode(b" =?=?"), "=?=?");
    }

    #[test]
    fn broken_words_decode_as_far_as_they_go() {
        // Unknown charset: UTF-8, else Windows-1252.
        assert_eq!(decode(b" =?x-unknown?q?caf=C3=A9?="), "caf\u{e9}");
        assert_eq!(decode(b" =?x-unknown?q?caf=E9?="), "caf\u{e9}");
        // Base64 without padding, with junk, cut mid-group.
        assert_eq!(decode(b" =?utf-8?b?Y2Fmw6k?="), "caf\u{e9}");
        assert_eq!(decode(b" =?utf-8?b?Y2F!mw6k=?="), "caf\u{e9}");
        assert_eq!(decode(b" =?utf-8?b?!!?="), "=?utf-8?b?!!?=");
        // RFC 2231 language tag.
        assert_eq!(decode(b" =?utf-8*en?q?hi?="), "hi");
    }

    #[test]
    fn a_megabyte_of_openers_is_text() {
        let raw = "=?".repeat(500_000);
        assert_eq!(decode(raw.as_bytes()), raw);
        let raw = "=?a?x?".repeat(100_000) + "?=";
        assert_eq!(decode(raw.as_bytes()), raw);
    }
}
