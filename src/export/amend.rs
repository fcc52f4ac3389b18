//! A patch as `b4 am` would hand it to `git am`: the trailers given on the list appended to
//! its commit message's trailer block, everything else as sent.
//!
//! The commit message ends where `git mailinfo` ends it (its `patchbreak`: a `---` line, a
//! `diff -` or `Index: ` line). New trailers go right after the last line of the message when
//! its last paragraph is a trailer block, else after a blank line, as b4's `fix_trailers`
//! writes them. A body sent as plain 7bit/8bit text is edited in place, so every other byte
//! stays as it was; a quoted-printable, base64 or multipart body is decoded and the message
//! re-sent as 8bit UTF-8 text with its other headers unchanged.

use std::borrow::Cow;

use crate::index::archive::Archive;
use crate::model::message::lore_link;
use crate::model::mime::{self, HeaderBlock};
use crate::model::trailer::{self, Trailer};

/// What an export adds to each patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amend {
    /// Append the trailers given on the list (b4's default; `--no-trailers` turns it off).
    pub trailers: bool,
    /// Append `Link: https://lore.kernel.org/r/<msgid>` (b4's `-l`, `--add-link`).
    pub link: bool,
}

impl Default for Amend {
    fn default() -> Amend {
        Amend {
            trailers: true,
            link: false,
        }
    }
}

/// The trailers an export appends to patch `idx`, in b4's order: those given on the list
/// (to the patch, then to its cover letter) that are not already in it, then the link.
pub fn added_trailers(archive: &Archive, idx: u32, amend: Amend) -> Vec<Trailer> {
    let merged = archive.trailers(idx);
    let mut out: Vec<Trailer> = Vec::new();
    if amend.trailers {
        out.extend(
            merged
                .iter()
                .filter(|t| t.given_by.is_some() && t.applies())
                .map(|t| t.trailer.clone()),
        );
    }
    if amend.link
        && let Some(m) = archive.messages.get(idx as usize)
    {
        let link = Trailer {
            key: "Link".into(),
            value: lore_link(&m.id).into(),
        };
        let present = merged.iter().any(|t| trailer::same(t.trailer, &link))
            || out.iter().any(|t| trailer::same(t, &link));
        if !present {
            out.push(link);
        }
    }
    out
}

/// The bytes to export for patch `idx`: as sent, or with `added` appended to its trailers.
pub fn amended<'a>(raw: &'a [u8], added: &[Trailer]) -> Cow<'a, [u8]> {
    if added.is_empty() {
        return Cow::Borrowed(raw);
    }
    let block = HeaderBlock::parse(raw);
    let body_start = block.body_start.min(raw.len());
    let ctype = block
        .value("Content-Type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let encoding = block
        .value("Content-Transfer-Encoding")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let plain = matches!(encoding.as_str(), "" | "7bit" | "8bit" | "binary")
        && (ctype.trim().is_empty() || ctype.trim_start().starts_with("text/plain"))
        && !ctype.contains("format=flowed");
    let lines_ascii = added.iter().all(|t| t.key.is_ascii() && t.value.is_ascii());
    let body = raw.get(body_start..).unwrap_or_default();
    let utf8 = std::str::from_utf8(body).ok();
    let charset_ok = lines_ascii
        || ctype.is_empty()
        || ctype.contains("utf-8")
        || ctype.contains("utf8")
        || ctype.contains("us-ascii");
    if let (true, true, Some(text)) = (plain, charset_ok, utf8) {
        let (at, insert) = insertion(text, added);
        let mut out = Vec::with_capacity(raw.len() + insert.len());
        out.extend_from_slice(raw.get(..body_start + at).unwrap_or_default());
        out.extend_from_slice(insert.as_bytes());
        out.extend_from_slice(raw.get(body_start + at..).unwrap_or_default());
        return Cow::Owned(out);
    }
    // Encoded or multipart: re-send the decoded text as 8bit UTF-8.
    let text = mime::body_text_with(raw, &block).text;
    let (at, insert) = insertion(&text, added);
    let mut out = Vec::with_capacity(raw.len() + insert.len());
    for h in block.headers() {
        let mime_header = ["Content-Type", "Content-Transfer-Encoding", "MIME-Version"]
            .iter()
            .any(|n| h.is(n));
        if !mime_header {
            out.extend_from_slice(h.line);
            out.push(b'\n');
        }
    }
    out.extend_from_slice(
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n",
    );
    out.extend_from_slice(text.get(..at).unwrap_or_default().as_bytes());
    out.extend_from_slice(insert.as_bytes());
    out.extend_from_slice(text.get(at..).unwrap_or_default().as_bytes());
    Cow::Owned(out)
}

/// Where in `body` the new trailer lines go, and the text to insert there.
fn insertion(body: &str, added: &[Trailer]) -> (usize, String) {
    let lines = line_spans(body);
    let crlf = lines
        .first()
        .is_some_and(|&(s, e)| body.get(s..e).is_some_and(|l| l.ends_with("\r\n")));
    let nl = if crlf { "\r\n" } else { "\n" };
    // Skip blank lines and in-body headers at the top, as git mailinfo does.
    let mut i = 0;
    while lines
        .get(i)
        .is_some_and(|&(s, e)| text(body, s, e).trim().is_empty())
    {
        i += 1;
    }
    let header_start = i;
    while lines.get(i).is_some_and(|&(s, e)| {
        let t = text(body, s, e);
        ["From:", "Subject:", "Date:"]
            .iter()
            .any(|h| t.len() >= h.len() && t[..h.len()].eq_ignore_ascii_case(h))
            || (i > header_start && t.starts_with([' ', '\t']) && !t.trim().is_empty())
    }) {
        i += 1;
    }
    if i > header_start
        && lines
            .get(i)
            .is_some_and(|&(s, e)| text(body, s, e).trim().is_empty())
    {
        i += 1;
    } else {
        i = header_start;
    }
    let message_start = lines.get(i).map_or(body.len(), |&(s, _)| s);
    let end_line = (i..lines.len())
        .find(|&j| {
            let (s, e) = lines[j];
            patchbreak(text(body, s, e))
        })
        .unwrap_or(lines.len());
    // The end of the message's last non-blank line.
    let last = (i..end_line)
        .rev()
        .find(|&j| !text(body, lines[j].0, lines[j].1).trim().is_empty());
    let mut insert = String::new();
    let at = match last {
        Some(j) => {
            let (_, e) = lines[j];
            let message = body.get(message_start..e).unwrap_or_default();
            if !body.get(..e).unwrap_or_default().ends_with('\n') {
                insert.push_str(nl);
            }
            if trailer::find_block(message).is_none() {
                insert.push_str(nl);
            }
            e
        }
        None => message_start,
    };
    for t in added {
        insert.push_str(&format!("{}: {}{nl}", t.key, t.value));
    }
    (at, insert)
}

/// `(start, end)` of each line of `text`, the end past its newline.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, start + line.len()));
        start += line.len();
    }
    out
}

/// A line without its line ending.
fn text(body: &str, s: usize, e: usize) -> &str {
    body.get(s..e)
        .unwrap_or_default()
        .trim_end_matches('\n')
        .trim_end_matches('\r')
}

/// git mailinfo's `patchbreak`: where the commit message ends.
fn patchbreak(line: &str) -> bool {
    if line.starts_with("diff -") || line.starts_with("Index: ") {
        return true;
    }
    let Some(rest) = line.strip_prefix("---") else {
        return false;
    };
    match rest.as_bytes() {
        [b' ', next, ..] if !next.is_ascii_whitespace() => true,
        _ => rest.bytes().all(|b| b.is_ascii_whitespace()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(key: &str, value: &str) -> Trailer {
        Trailer {
            key: key.into(),
            value: value.into(),
        }
    }

    fn amend(raw: &str, added: &[Trailer]) -> String {
        String::from_utf8(amended(raw.as_bytes(), added).into_owned()).unwrap()
    }

    #[test]
    fn appended_to_the_trailer_block() {
        let raw = "Subject: [PATCH] x\n\nBody.\n\nSigned-off-by: A <a@x.org>\n---\n f | 1 +\n\ndiff --git a/f b/f\n";
        assert_eq!(
            amend(raw, &[t("Reviewed-by", "R <r@x.org>")]),
            "Subject: [PATCH] x\n\nBody.\n\nSigned-off-by: A <a@x.org>\nReviewed-by: R <r@x.org>\n---\n f | 1 +\n\ndiff --git a/f b/f\n"
        );
    }

    #[test]
    fn a_message_without_trailers_gets_a_blank_line_first() {
        let raw = "Subject: x\n\nBody only.\n\n---\ndiff --git a/f b/f\n";
        assert_eq!(
            amend(raw, &[t("Acked-by", "a@x.org")]),
            "Subject: x\n\nBody only.\n\nAcked-by: a@x.org\n\n---\ndiff --git a/f b/f\n"
        );
    }

    #[test]
    fn crlf_and_in_body_headers() {
        let raw =
            "Subject: x\r\n\r\nFrom: B <b@x.org>\r\n\r\nSigned-off-by: B <b@x.org>\r\n---\r\n";
        assert_eq!(
            amend(raw, &[t("Tested-by", "T <t@x.org>")]),
            "Subject: x\r\n\r\nFrom: B <b@x.org>\r\n\r\nSigned-off-by: B <b@x.org>\r\nTested-by: T <t@x.org>\r\n---\r\n"
        );
    }

    #[test]
    fn nothing_added_keeps_the_bytes() {
        let raw = b"Subject: x\n\nBody\n";
        assert!(matches!(amended(raw, &[]), Cow::Borrowed(_)));
    }

    #[test]
    fn quoted_printable_is_re_sent_as_8bit() {
        let raw = "Subject: x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9.\n\nSigned-off-by: A <a@x.org>\n---\ndiff --git a/f b/f\n";
        assert_eq!(
            amend(raw, &[t("Acked-by", "Zoë <z@x.org>")]),
            "Subject: x\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\nCafé.\n\nSigned-off-by: A <a@x.org>\nAcked-by: Zoë <z@x.org>\n---\ndiff --git a/f b/f\n"
        );
    }

    #[test]
    fn patchbreak_is_gits() {
        assert!(patchbreak("---"));
        assert!(patchbreak("--- "));
        assert!(patchbreak("--- a/f"));
        assert!(patchbreak("diff --git a/f b/f"));
        assert!(!patchbreak("----"));
        assert!(!patchbreak("---x"));
    }
}
