//! Making mail text safe to put on a terminal.
//!
//! Every string that comes from a mail (subjects, names, bodies, diffs) passes through here
//! before it reaches a widget. Control characters are hostile: a subject holding
//! `ESC ] 0 ; … BEL` would retitle the window, `ESC [ 2 J` would clear the screen, OSC 52 would
//! write the clipboard. They are replaced by a visible form a reader can still recognise, the
//! way `cat -v` and `less` show them: C0 controls in caret notation (`^[` for ESC, `^A`…), DEL as
//! `^?`, C1 controls and the bidirectional overrides behind "Trojan Source" attacks as
//! `\u{9b}`-style escapes, and so are the invisible format characters (soft hyphen, zero-width
//! spaces and joiners, tag characters) that would make a row draw narrower than it was laid
//! out. Tabs are expanded to spaces at 8-column stops, since a terminal cell cannot hold a tab
//! and widths must be known to lay out columns. Paths, warnings and errors printed to stderr
//! pass through here too ([`sanitize_lines`]).

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Columns between tab stops, as terminals and `less` use.
pub const TAB_WIDTH: usize = 8;

/// One-line text made safe: controls visible, tabs expanded, newlines shown as `^J`.
///
/// For fields that are one line by nature (subject, author, Message-ID). Returns the input
/// unchanged, without allocating, when it holds nothing to replace.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if is_clean(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut column = 0;
    push_sanitized(&mut out, text, &mut column);
    Cow::Owned(out)
}

/// Text of several lines made safe, line by line: what patchdeck prints to stderr (paths,
/// warnings, errors) goes through here, since a file name can hold an escape sequence as
/// easily as a subject can.
pub fn sanitize_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && needs_replacing(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut column = 0;
        push_sanitized(&mut out, line, &mut column);
    }
    Cow::Owned(out)
}

/// Appends `text` made safe to `out`, expanding tabs relative to `*column`, the display column
/// where `text` starts; advances `*column` past what was written.
///
/// Callers that build one line from several styled pieces (a highlighted diff line) call this
/// once per piece with the same `column`, so tab stops fall where they would in the whole line.
pub fn push_sanitized(out: &mut String, text: &str, column: &mut usize) {
    for c in text.chars() {
        match c {
            '\t' => {
                let spaces = TAB_WIDTH - *column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', spaces));
                *column += spaces;
            }
            c if needs_replacing(c) => {
                let start = out.len();
                push_visible(out, c);
                *column += out.len() - start;
            }
            c => {
                out.push(c);
                *column += c.width().unwrap_or(0);
            }
        }
    }
}

/// Whether `text` holds nothing [`needs_replacing`] would replace.
///
/// Printable ASCII, what nearly every subject, name and Message-ID is, is settled a byte at a
/// time without decoding characters; the rest is checked character by character.
pub fn is_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most text at once, a block of bytes at a time (quotes and backslashes, which it turns
    // down, are clean too, and found below).
    if is_plain(bytes) {
        return true;
    }
    let printable = |b: u8| (0x20..0x7f).contains(&b);
    // Whole blocks of printable ASCII first, each tested without a branch per byte (the
    // compiler makes a few vector instructions of it), then byte by byte.
    let blocks = bytes.chunks_exact(16);
    let ascii_blocks = 16
        * blocks
            .take_while(|block| block.iter().fold(true, |all, &b| all & printable(b)))
            .count();
    let ascii = bytes[ascii_blocks..]
        .iter()
        .position(|&b| !printable(b))
        .map_or(bytes.len(), |at| ascii_blocks + at);
    // The byte found is a control, DEL, or the first byte of a multi-byte character, so
    // `ascii` is a character boundary.
    text.get(ascii..)
        .is_some_and(|rest| !rest.chars().any(needs_replacing))
}

/// Whether every byte of `bytes` is printable ASCII other than a quote or a backslash, so
/// that a JSON string holds it as it is (`list --format json` copies such strings whole), and
/// [`is_clean`] says yes to it without decoding a character.
///
/// Strings of 16 bytes or more are marked 16 bytes at a time into one block of flags
/// ([`mark`]), the last block overlapping the one before it, and the flags looked at once at
/// the end; the compiler makes a dozen vector instructions of each block. Shorter strings are
/// tested as one 8-byte word ([`escape_bits`]) or two overlapping ones: a string of 4 to 7
/// bytes as its first and last 4 bytes side by side, one of 1 to 3 as its first, middle and
/// last byte beside plain filler. No branch depends on the bytes until the end (a string's
/// length is not predictable; a loop that left at its first odd byte was).
#[inline]
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    if let Some(last) = bytes.last_chunk::<16>() {
        let mut flags = [0u8; 16];
        for block in bytes.chunks_exact(16).filter_map(|b| b.first_chunk::<16>()) {
            mark(&mut flags, block);
        }
        mark(&mut flags, last);
        return u128::from_ne_bytes(flags) == 0;
    }
    const FILLER: u64 = u64::from_le_bytes(*b"aaaaaaaa");
    let bits = if let (Some(&first), Some(&last)) =
        (bytes.first_chunk::<8>(), bytes.last_chunk::<8>())
    {
        escape_bits(u64::from_le_bytes(first)) | escape_bits(u64::from_le_bytes(last))
    } else if let (Some(&first), Some(&last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>())
    {
        let halves =
            u64::from(u32::from_le_bytes(first)) | u64::from(u32::from_le_bytes(last)) << 32;
        escape_bits(halves)
    } else if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) {
        let middle = bytes.get(bytes.len() / 2).copied().unwrap_or(first);
        let three = u64::from(first) | u64::from(middle) << 8 | u64::from(last) << 16;
        escape_bits(three | FILLER << 24)
    } else {
        0
    };
    bits == 0
}

/// Leaves a non-zero byte in `flags` where a byte of `block` is not one [`is_plain`] accepts: a
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

/// Non-zero when one of the 8 bytes of `word` is not one [`is_plain`] accepts: no control, quote,
/// backslash, DEL or non-ASCII byte.
///
/// Testing 8 bytes at once with the classic bit tricks (`haszero`, `hasless`, `hasmore` from
/// "Bit Twiddling Hacks") took a third off the escaper's time per string against the table
/// alone. Each test is exact as a yes/no answer, and so is the lowest byte it flags: a false
/// flag comes only from a borrow or carry out of a byte below, itself flagged. So the
/// trailing zeros find the first byte that needs a look.
pub(crate) fn escape_bits(word: u64) -> u64 {
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

/// Whether `c` cannot go to a terminal as it is.
pub fn needs_replacing(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible_format(c)
}

/// Format characters that draw nothing, or draw differently on each terminal, yet change what
/// text means or how it lays out: the soft hyphen, zero-width spaces and joiners, the
/// left-to-right and right-to-left marks, line and paragraph separators, the word joiner and
/// invisible operators, the byte-order mark, the Arabic letter mark, and the tag characters
/// that can hide a whole message. They are shown as escapes, so every character drawn is as
/// wide as the layout counted it.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{2029}'
            | '\u{2060}'..='\u{2064}'
            | '\u{feff}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// The Unicode bidirectional embedding, override and isolate controls, which can make source
/// code read differently from how it compiles (CVE-2021-42574).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes the visible form of a control character: ASCII only, so its width is its length.
fn push_visible(out: &mut String, c: char) {
    match c {
        // C0 controls in caret notation: 0x1b is `^[`, 0x01 is `^A`, 0x00 is `^@`.
        '\0'..='\x1f' => {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        }
        '\x7f' => out.push_str("^?"),
        _ => {
            use std::fmt::Write;
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "[PATCH v3 10/16] media/videbuf1|2: Mark follow_pfn usage as unsafe";
        assert!(matches!(sanitize(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(sanitize("a\x1b]0;pwned\x07b"), "a^[]0;pwned^Gb");
        assert_eq!(sanitize("\x1b[2Jclear"), "^[[2Jclear");
        assert_eq!(sanitize("nul\0del\x7f"), "nul^@del^?");
        assert_eq!(sanitize("two\r\nlines"), "two^M^Jlines");
    }

    #[test]
    fn c1_and_bidi_controls_become_escapes() {
        assert_eq!(sanitize("csi\u{9b}2J"), "csi\\u{9b}2J");
        assert_eq!(sanitize("if (a\u{202e} && b)"), "if (a\\u{202e} && b)");
        assert_eq!(sanitize("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    #[test]
    fn is_clean_agrees_with_needs_replacing() {
        for text in [
            "",
            "plain ascii",
            "tab\there",
            "del\x7f",
            "日本",
            "x\u{9b}",
            "a\u{200b}b",
            "é\u{1b}",
        ] {
            assert_eq!(
                is_clean(text),
                !text.chars().any(needs_replacing),
                "{text:?}"
            );
        }
    }

    /// Past the blocks of 16 bytes too: an odd character at every position of every length.
    #[test]
    fn is_clean_sees_every_position() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789ABCD";
        for len in 0..=text.len() {
            assert!(is_clean(&text[..len]));
            for odd in ['\t', '\x7f', '\x1b', 'é', '\u{9b}', '\u{200b}'] {
                for at in 0..len {
                    let mut s = text[..len].to_string();
                    s.replace_range(at..=at, odd.encode_utf8(&mut [0; 4]));
                    assert_eq!(is_clean(&s), !s.chars().any(needs_replacing), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn no_control_character_survives() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let clean = sanitize(&all);
        assert!(!clean.chars().any(|c| c != ' ' && needs_replacing(c)));
    }

    #[test]
    fn tabs_expand_to_the_next_stop() {
        assert_eq!(sanitize("\tx"), "        x");
        assert_eq!(sanitize("ab\tc"), "ab      c");
        assert_eq!(sanitize("12345678\tc"), "12345678        c");
    }

    #[test]
    fn tab_stops_count_wide_characters_and_earlier_pieces() {
        // "日本" is four columns wide, so the tab fills four more.
        assert_eq!(sanitize("日本\tx"), "日本    x");
        let mut out = String::new();
        let mut column = 0;
        push_sanitized(&mut out, "+", &mut column);
        push_sanitized(&mut out, "\tint x;", &mut column);
        assert_eq!(out, "+       int x;");
        assert_eq!(column, 14);
    }

    #[test]
    fn replaced_controls_advance_the_column_by_their_visible_width() {
        let mut out = String::new();
        let mut column = 0;
        push_sanitized(&mut out, "\x1b\t|", &mut column);
        assert_eq!(out, "^[      |");
        assert_eq!(column, 9);
    }
}
