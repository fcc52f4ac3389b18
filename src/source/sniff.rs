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
    Unknown,
}

pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Format::Gzip;
    }
    let start = leading_blank(bytes);
    let head = &bytes[start..];
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

/// Offset past leading blank lines (and a UTF-8 byte-order mark).
pub fn leading_blank(bytes: &[u8]) -> usize {
    let mut pos = if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        3
    } else {
        0
    };
    while let Some(&b) = bytes.get(pos) {
        if b == b'\n' || b == b'\r' {
            pos += 1;
        } else {
            break;
        }
    }
    pos
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
        assert_eq!(sniff(b"Return-Path: <a@b>\n"), Format::Message);
        assert_eq!(sniff(b"#### [PATCH] x\n"), Format::Digest);
        assert_eq!(sniff(b"\x1f\x8b\x08"), Format::Gzip);
        assert_eq!(sniff(b"diff --git a/x b/x\n"), Format::BareDiff);
        assert_eq!(sniff(b"blob\nmark :1\n"), Format::Unknown);
        assert_eq!(sniff(b""), Format::Unknown);
    }
}
