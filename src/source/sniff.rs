//! Telling formats apart by their first bytes, never by file name.

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// gzip-compressed: decompressed and sniffed again.
    Gzip,
    /// mboxo/mboxrd: messages after `From ` envelope lines (also one `git format-patch` file).
    Mbox,
    /// One message starting directly with headers (`.eml`, Maildir files).
    Message,
    /// The Markdown patch digest of `seeds/`.
    Digest,
    /// A bare diff with no mail headers.
    BareDiff,
    /// Nothing but white space: an archive of no messages (`git mailsplit` reads it so too).
    Empty,
    Unknown,
}

pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Format::Gzip;
    }
    let start = leading_space(bytes);
    let head = &bytes[start..];
    if head.is_empty() {
        return Format::Empty;
    }
    if head.starts_with(b"From ") {
        return Format::Mbox;
    }
    if head.starts_with(b"#### ") {
        return Format::Digest;
    }
    if head.starts_with(b"diff --git ") || head.starts_with(b"Index: ") || head.starts_with(b"--- ")
    {
        return Format::BareDiff;
    }
    if looks_like_header(head) {
        return Format::Message;
    }
    Format::Unknown
}

/// git's `isspace()` (its own ctype table: space, tab, LF, CR; not `\v` or `\f`).
pub fn is_git_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Offset past a UTF-8 byte-order mark and every leading white-space byte, as `git mailsplit`
/// and `git mailinfo` skip them before the first line they read.
pub fn leading_space(bytes: &[u8]) -> usize {
    let start = if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        3
    } else {
        0
    };
    start
        + bytes[start..]
            .iter()
            .take_while(|&&b| is_git_space(b))
            .count()
}

/// A first line of the form `Field-Name: value`, as every mail header block starts.
fn looks_like_header(head: &[u8]) -> bool {
    let line_end = memchr::memchr(b'\n', head).unwrap_or(head.len());
    let line = &head[..line_end];
    let Some(colon) = memchr::memchr(b':', line) else {
        return false;
    };
    colon > 0
        && line[..colon]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            sniff(b"\n\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\n"),
            Format::Mbox
        );
        assert_eq!(sniff(b" \t\n  \r\nFrom x\n"), Format::Mbox);
        assert_eq!(sniff(b"Return-Path: <a@b>\n"), Format::Message);
        assert_eq!(sniff(b"#### [PATCH] x\n"), Format::Digest);
        assert_eq!(sniff(b"\x1f\x8b\x08"), Format::Gzip);
        assert_eq!(sniff(b"diff --git a/x b/x\n"), Format::BareDiff);
        assert_eq!(sniff(b"blob\nmark :1\n"), Format::Unknown);
        assert_eq!(sniff(b""), Format::Empty);
        assert_eq!(sniff(b"\n \n\t\r\n"), Format::Empty);
        assert_eq!(sniff(b"\xef\xbb\xbf\n"), Format::Empty);
    }
}
