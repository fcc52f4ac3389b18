//! The MIME tree of a message body: parts split at their boundaries, each part's headers read
//! with [`HeaderBlock`] (so its values go through the linear RFC 2047 scanner), its body
//! decoded from quoted-printable or base64.
//!
//! mailparse's tree parser decoded every part's `Content-Type` with its quadratic header
//! decoder; this one is linear in the body, and stops descending at [`MAX_DEPTH`] nested
//! multiparts (a ten-thousand-deep tree is a hostile mail, not a message).

use memchr::memmem;

use super::{HeaderBlock, decode_quoted_printable};

/// Nested multiparts deeper than this are not opened.
pub const MAX_DEPTH: usize = 64;

/// One part of a MIME tree.
pub struct Part<'a> {
    pub ctype: mailparse::ParsedContentType,
    pub disposition: mailparse::ParsedContentDisposition,
    /// `Content-Transfer-Encoding`, lower-cased.
    pub encoding: String,
    /// The body as sent, still transfer-encoded.
    pub body: &'a [u8],
    pub subparts: Vec<Part<'a>>,
    /// A multipart nested deeper than [`MAX_DEPTH`], left unopened.
    pub too_deep: bool,
}

impl<'a> Part<'a> {
    /// A part from its header values and body (the message itself, whose headers are read
    /// already).
    pub fn new(ctype: &str, disposition: &str, encoding: &str, body: &'a [u8]) -> Part<'a> {
        Part::build(ctype, disposition, encoding, body, 0)
    }

    fn build(
        ctype: &str,
        disposition: &str,
        encoding: &str,
        body: &'a [u8],
        depth: usize,
    ) -> Part<'a> {
        let ctype = if ctype.trim().is_empty() {
            mailparse::parse_content_type("text/plain")
        } else {
            mailparse::parse_content_type(ctype)
        };
        let mut part = Part {
            disposition: mailparse::parse_content_disposition(disposition),
            encoding: encoding.trim().to_ascii_lowercase(),
            body,
            subparts: Vec::new(),
            too_deep: false,
            ctype,
        };
        part.too_deep = part.ctype.mimetype.starts_with("multipart/") && depth >= MAX_DEPTH;
        if part.ctype.mimetype.starts_with("multipart/") && depth < MAX_DEPTH {
            if let Some(boundary) = part.ctype.params.get("boundary").cloned() {
                part.subparts = split(body, boundary.as_bytes())
                    .into_iter()
                    .map(|raw| Part::parse(raw, depth + 1))
                    .collect();
            }
        }
        part
    }

    /// A part with its own header block.
    fn parse(raw: &'a [u8], depth: usize) -> Part<'a> {
        let block = HeaderBlock::parse(raw);
        let value = |name| block.value(name).unwrap_or_default();
        Part::build(
            &value("Content-Type"),
            &value("Content-Disposition"),
            &value("Content-Transfer-Encoding"),
            &raw[block.body_start.min(raw.len())..],
            depth,
        )
    }

    /// The body without its transfer encoding. Damaged base64 is an error; the caller shows
    /// the body as sent.
    pub fn decoded(&self) -> Result<Vec<u8>, data_encoding::DecodeError> {
        match self.encoding.as_str() {
            "quoted-printable" => Ok(decode_quoted_printable(self.body)),
            "base64" => {
                let compact: Vec<u8> = self
                    .body
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                data_encoding::BASE64_MIME_PERMISSIVE.decode(&compact)
            }
            _ => Ok(self.body.to_vec()),
        }
    }
}

/// The parts of a multipart body: what lies between lines starting `--boundary`, up to the
/// closing `--boundary--` (or the end). The line break before a boundary line belongs to it.
fn split<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut marker = Vec::with_capacity(boundary.len() + 2);
    marker.extend_from_slice(b"--");
    marker.extend_from_slice(boundary);
    let finder = memmem::Finder::new(&marker);
    let mut parts = Vec::new();
    // Where the current part began, once a first boundary line has been seen.
    let mut open: Option<usize> = None;
    let mut pos = 0;
    while let Some(found) = finder.find(&body[pos..]) {
        let at = pos + found;
        pos = at + marker.len();
        if at > 0 && body[at - 1] != b'\n' {
            continue;
        }
        let line_end = memchr::memchr(b'\n', &body[pos..]).map_or(body.len(), |i| pos + i + 1);
        if let Some(start) = open {
            let mut end = at;
            if end > start && body[end - 1] == b'\n' {
                end -= 1;
                if end > start && body[end - 1] == b'\r' {
                    end -= 1;
                }
            }
            parts.push(&body[start..end.max(start)]);
        }
        if body[pos..].starts_with(b"--") {
            return parts;
        }
        open = Some(line_end);
        pos = line_end;
    }
    if let Some(start) = open {
        parts.push(&body[start.min(body.len())..]);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_between_boundaries() {
        let body =
            b"preamble\n--b\nContent-Type: text/plain\n\none\n--b\r\n\r\ntwo\r\n--b--\nepilogue";
        let parts = split(body, b"b");
        assert_eq!(parts, [&b"Content-Type: text/plain\n\none"[..], b"\r\ntwo"]);
        let part = Part::new("multipart/mixed; boundary=b", "", "", body);
        assert_eq!(part.subparts.len(), 2);
        assert_eq!(part.subparts[0].ctype.mimetype, "text/plain");
        assert_eq!(part.subparts[0].body, b"one");
    }

    #[test]
    fn an_unclosed_multipart_runs_to_the_end_and_deep_trees_stop() {
        assert_eq!(split(b"--b\n\nlast", b"b"), [&b"\nlast"[..]]);
        assert_eq!(split(b"x--b\n", b"b"), Vec::<&[u8]>::new());
        let mut deep = String::new();
        for _ in 0..10_000 {
            deep.push_str("--b\nContent-Type: multipart/mixed; boundary=b\n\n");
        }
        let part = Part::new("multipart/mixed; boundary=b", "", "", deep.as_bytes());
        let mut depth = 0;
        let mut at = &part;
        while let Some(next) = at.subparts.first() {
            at = next;
            depth += 1;
        }
        assert!(depth <= MAX_DEPTH);
    }
}
