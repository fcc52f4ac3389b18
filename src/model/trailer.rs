//! Trailers: the `Key: value` lines closing a commit message (`Signed-off-by`, `Reviewed-by`,
//! `Fixes`, ...), as `git interpret-trailers` reads them, and the review trailers a reply gives
//! anywhere in its own text, as b4 collects them.

use crate::model::patch::lines::{Cursor, is_blank};

/// One trailer line, key as written (`Reviewed-by`), value trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}

/// The kinds of trailer that the list counts and the detail pane colours apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrailerKind {
    SignedOff,
    Reviewed,
    Acked,
    Tested,
    Reported,
    Suggested,
    CoDeveloped,
    Fixes,
    Link,
    Cc,
    Other,
}

impl Trailer {
    pub fn kind(&self) -> TrailerKind {
        TrailerKind::of(&self.key)
    }
}

impl TrailerKind {
    pub fn of(key: &str) -> TrailerKind {
        const KINDS: &[(&str, TrailerKind)] = &[
            ("signed-off-by", TrailerKind::SignedOff),
            ("reviewed-by", TrailerKind::Reviewed),
            ("acked-by", TrailerKind::Acked),
            ("tested-by", TrailerKind::Tested),
            ("reported-by", TrailerKind::Reported),
            ("suggested-by", TrailerKind::Suggested),
            ("co-developed-by", TrailerKind::CoDeveloped),
            ("fixes", TrailerKind::Fixes),
            ("link", TrailerKind::Link),
            ("closes", TrailerKind::Link),
            ("cc", TrailerKind::Cc),
        ];
        KINDS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map_or(TrailerKind::Other, |&(_, kind)| kind)
    }
}

/// Counts of the trailers a maintainer scans the list for: Acked, Reviewed, Tested.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrailerCounts {
    pub acked: u16,
    pub reviewed: u16,
    pub tested: u16,
}

impl TrailerCounts {
    pub fn of<'a>(trailers: impl IntoIterator<Item = &'a Trailer>) -> TrailerCounts {
        let mut counts = TrailerCounts::default();
        for t in trailers {
            match t.kind() {
                TrailerKind::Acked => counts.acked += 1,
                TrailerKind::Reviewed => counts.reviewed += 1,
                TrailerKind::Tested => counts.tested += 1,
                _ => {}
            }
        }
        counts
    }

    pub fn add(&mut self, other: TrailerCounts) {
        self.acked += other.acked;
        self.reviewed += other.reviewed;
        self.tested += other.tested;
    }
}

/// Splits a trailer line into key and value: `Key: value` where the key is letters, digits and
/// hyphens. A URL (`https://…`) is not a trailer even though it has a colon.
pub fn parse_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let key_ok = !key.is_empty()
        && !key.starts_with('-')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let value_ok = !value.starts_with("//") && !value.trim().is_empty();
    (key_ok && value_ok).then(|| (key, value.trim()))
}

/// The trailer block closing a message, as `git interpret-trailers` finds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailerBlock<'a> {
    /// Byte offset in the message where the block's paragraph starts.
    pub start: usize,
    pub trailers: Vec<Trailer>,
    /// Lines of the block that are not trailers (`[ tglx: fixed typo ]`), in order.
    pub other_lines: Vec<&'a str>,
}

/// Finds the trailer block: the message's last paragraph, if it is all trailers, or at least a
/// quarter trailers with one of them a known kind (git's rule, with `Signed-off-by`, `Fixes`,
/// `Cc`, ... as the recognised keys). A line starting with whitespace continues the trailer
/// above it; `#` lines are ignored as git ignores comments.
pub fn find_block(message: &str) -> Option<TrailerBlock<'_>> {
    let body = message.trim_end();
    let start = last_paragraph_start(body);
    let paragraph = body.get(start..)?;
    let mut block = TrailerBlock {
        start,
        ..TrailerBlock::default()
    };
    let (mut trailer_lines, mut other_count, mut recognised) = (0usize, 0usize, false);
    let mut after_trailer = false;
    for line in Cursor::new(paragraph).map(|l| l.text) {
        if line.starts_with('#') {
            continue;
        }
        if after_trailer && line.starts_with([' ', '\t']) {
            if let Some(last) = block.trailers.last_mut() {
                last.value.push(' ');
                last.value.push_str(line.trim());
            }
            continue;
        }
        if let Some((key, value)) = parse_line(line) {
            trailer_lines += 1;
            recognised |= TrailerKind::of(key) != TrailerKind::Other;
            block.trailers.push(Trailer {
                key: key.to_string(),
                value: value.to_string(),
            });
            after_trailer = true;
        } else {
            other_count += 1;
            recognised |= line.starts_with("(cherry picked from commit ");
            block.other_lines.push(line);
            after_trailer = false;
        }
    }
    let is_block =
        trailer_lines > 0 && (other_count == 0 || (recognised && trailer_lines * 3 >= other_count));
    is_block.then_some(block)
}

/// Byte offset where the last paragraph of `text` (which ends in a non-blank line) starts:
/// found walking back from the end, so a long reply costs only its last paragraph.
fn last_paragraph_start(text: &str) -> usize {
    let mut end = text.len();
    while let Some(nl) = memchr::memrchr(b'\n', text.as_bytes().get(..end).unwrap_or_default()) {
        if is_blank(text.get(nl + 1..end).unwrap_or_default()) {
            return end + 1;
        }
        end = nl;
    }
    if is_blank(text.get(..end).unwrap_or_default()) && end < text.len() {
        end + 1
    } else {
        0
    }
}

/// A review trailer as given on a list, on a line of its own anywhere in a reply's text:
/// `Reviewed-by:`, `Acked-by:`, `Tested-by:`, `Reported-by:`, `Suggested-by:`,
/// `Signed-off-by:`, `Co-developed-by:` or `Nacked-by:` and a value. Quoted lines never match.
pub fn review_trailer(line: &str) -> Option<Trailer> {
    const KEYS: &[&str] = &[
        "Reviewed-by",
        "Acked-by",
        "Tested-by",
        "Reported-by",
        "Suggested-by",
        "Signed-off-by",
        "Co-developed-by",
        "Nacked-by",
    ];
    // Cheap rejection first: this runs on every line of every reply at load.
    let first = line.as_bytes().first()?.to_ascii_uppercase();
    if !matches!(first, b'R' | b'A' | b'T' | b'S' | b'C' | b'N') {
        return None;
    }
    let colon = line.bytes().take(16).position(|b| b == b':')?;
    let key = line.get(..colon)?;
    let value = line.get(colon + 1..)?.strip_prefix(' ')?.trim();
    let known = KEYS.iter().any(|k| k.eq_ignore_ascii_case(key));
    (known && !value.is_empty()).then(|| Trailer {
        key: key.to_string(),
        value: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(block: &TrailerBlock<'_>) -> Vec<String> {
        block
            .trailers
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect()
    }

    #[test]
    fn trailer_lines_and_non_trailers() {
        assert_eq!(
            parse_line("Signed-off-by: A <a@b>"),
            Some(("Signed-off-by", "A <a@b>"))
        );
        assert_eq!(
            parse_line("Cc: stable@vger.kernel.org # 5.10"),
            Some(("Cc", "stable@vger.kernel.org # 5.10"))
        );
        assert_eq!(parse_line("Not a trailer: has spaces"), None);
        assert_eq!(parse_line("https://lore.kernel.org/x"), None);
        assert_eq!(parse_line("Empty:"), None);
        assert_eq!(parse_line("-x: y"), None);
    }

    #[test]
    fn last_paragraph_of_trailers_is_the_block() {
        let msg = "Fix it.\n\nMore words: here.\n\nFixes: abc (\"x\")\nCc: stable@vger.kernel.org # 5.10\n\
                   Signed-off-by: A <a@b>\n\n";
        let block = find_block(msg);
        assert!(block.is_some());
        let block = block.unwrap_or_default();
        assert_eq!(&msg[..block.start], "Fix it.\n\nMore words: here.\n\n");
        assert_eq!(
            keys(&block),
            vec![
                "Fixes=abc (\"x\")",
                "Cc=stable@vger.kernel.org # 5.10",
                "Signed-off-by=A <a@b>"
            ]
        );
    }

    #[test]
    fn continuation_lines_join_and_notes_are_kept_aside() {
        let msg = "Body.\n\nReported-by: A very long\n  name <a@b>\n[ tglx: reworded ]\nSigned-off-by: T <t@x>";
        let block = find_block(msg).unwrap_or_default();
        assert_eq!(
            keys(&block),
            vec![
                "Reported-by=A very long name <a@b>",
                "Signed-off-by=T <t@x>"
            ]
        );
        assert_eq!(block.other_lines, vec!["[ tglx: reworded ]"]);
    }

    #[test]
    fn git_quarter_rule_needs_a_known_key() {
        let prose = "Body.\n\nline one\nline two\nline three\n";
        assert!(find_block(&format!("{prose}Signed-off-by: A <a@b>")).is_some());
        assert!(find_block(&format!("{prose}Custom-tag: A <a@b>")).is_none());
        assert!(find_block("Body.\n\nCustom-tag: x\nOther-thing: y").is_some());
        assert!(find_block("Just a paragraph.\nNote: this is prose").is_none());
        assert!(find_block("").is_none());
        assert!(find_block("Signed-off-by: Only <o@x>").is_some_and(|b| b.start == 0));
    }

    #[test]
    fn last_paragraph_is_found_from_the_end() {
        assert_eq!(last_paragraph_start("a\n\nb\nc"), 3);
        assert_eq!(last_paragraph_start("a\n \t\nb"), 5);
        assert_eq!(last_paragraph_start("one paragraph\nonly"), 0);
        assert_eq!(last_paragraph_start("x"), 0);
        assert_eq!(last_paragraph_start("\nx"), 1);
        assert_eq!(last_paragraph_start(""), 0);
    }

    #[test]
    fn review_trailers_given_in_replies() {
        assert_eq!(
            review_trailer("Reviewed-by: R <r@x>"),
            Some(Trailer {
                key: "Reviewed-by".into(),
                value: "R <r@x>".into()
            })
        );
        assert!(review_trailer("acked-by: A").is_some());
        assert!(review_trailer("> Reviewed-by: R <r@x>").is_none());
        assert!(review_trailer("Reviewed-by:").is_none());
        assert!(review_trailer("Fixes: abc").is_none());
    }
}
