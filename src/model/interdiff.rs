//! What changed between two versions of a series, from the mail alone: each patch of the newer
//! version paired with the older version's (by title, then by number), and for a changed pair
//! the changes to its commit message and a diff of the two diffs, in the spirit of
//! `git range-diff`.
//!
//! The two diffs are compared after the parts that move without meaning anything are set
//! aside: `index` lines (blob ids change with every rebase), hunk line numbers (an earlier
//! patch shifts them) and what follows the diff (the signature, `base-commit:`). Review
//! trailers given on the list (`Reviewed-by`, `Acked-by`, `Tested-by`) are left out of the
//! commit message comparison, as a patch that only gained review has not changed. What is
//! left is diffed line by line: a line of the old patch is shown `-`, of the new `+`, three
//! lines of context around, each group under a `@@ file: section` heading naming where it is.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, DiffTag};

use super::diff::DiffLineKind;
use super::patch::PatchBody;
use super::trailer::TrailerKind;

/// One patch of either version, as the comparison needs it.
#[derive(Debug, Clone, Copy)]
pub struct PatchSide<'a> {
    pub number: u32,
    pub title: &'a str,
    /// Message-ID.
    pub id: &'a str,
    pub body: &'a PatchBody,
}

/// What happened to a patch from one version to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Unchanged,
    Changed,
    Added,
    Removed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::Changed => "changed",
            Status::Added => "added",
            Status::Removed => "removed",
        }
    }
}

/// What a line of a patch's changes is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// `commit message` or `diff`: which part of the patch the lines below are from.
    Part,
    /// `@@ file: section`: where the lines below are.
    Heading,
    /// A line only the old version has.
    Old,
    /// A line only the new version has.
    New,
    /// A line both have, shown around changes.
    Context,
}

/// One line of a patch's changes: its kind and the compared line, without the marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    pub kind: ChangeKind,
    pub text: String,
}

impl ChangeLine {
    /// The line as text: `-` old, `+` new, ` ` context, headings as they are.
    pub fn marked(&self) -> String {
        match self.kind {
            ChangeKind::Old => format!("-{}", self.text),
            ChangeKind::New => format!("+{}", self.text),
            ChangeKind::Context => format!(" {}", self.text),
            ChangeKind::Part => format!("## {}", self.text),
            ChangeKind::Heading => self.text.clone(),
        }
    }
}

/// One patch's fate between the two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchChange {
    /// Its number in the newer version (in the older for a removed patch).
    pub number: u32,
    pub title: String,
    pub status: Status,
    /// Message-ID in the older version.
    pub from: Option<String>,
    /// Message-ID in the newer version.
    pub to: Option<String>,
    /// For a changed patch, what changed; empty otherwise.
    pub lines: Vec<ChangeLine>,
}

impl PatchChange {
    /// The changed lines as text, one per line, marked (see [`ChangeLine::marked`]).
    pub fn diff_text(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(&line.marked());
            text.push('\n');
        }
        text
    }
}

/// Lines of context around each change.
const CONTEXT: usize = 3;
/// How long one pair may be diffed before a coarser answer is taken (hostile input).
const DEADLINE: Duration = Duration::from_millis(500);

/// Pairs the patches of `old` and `new` (each in number order) and says what changed.
///
/// Pairs by title first (case and surrounding space ignored), then patches left over with the
/// same number that touch a common file (a reworded title). The result follows the newer
/// version's order, a removed patch placed after the patch it came after.
pub fn compare(old: &[PatchSide<'_>], new: &[PatchSide<'_>]) -> Vec<PatchChange> {
    let pair_of_new = pair(old, new);
    let mut old_taken = vec![false; old.len()];
    for &o in pair_of_new.iter().flatten() {
        old_taken[o] = true;
    }
    let mut out = Vec::with_capacity(new.len() + old.len());
    let mut next_old = 0;
    for (n, side) in new.iter().enumerate() {
        if let Some(o) = pair_of_new[n] {
            // Old patches before this one's partner that found no partner were removed here.
            while next_old < o {
                if !old_taken[next_old] {
                    out.push(removed(&old[next_old]));
                }
                next_old += 1;
            }
            next_old = next_old.max(o + 1);
            out.push(changed(&old[o], side));
        } else {
            out.push(PatchChange {
                number: side.number,
                title: side.title.to_string(),
                status: Status::Added,
                from: None,
                to: Some(side.id.to_string()),
                lines: Vec::new(),
            });
        }
    }
    for (o, side) in old.iter().enumerate().skip(next_old) {
        if !old_taken[o] {
            out.push(removed(side));
        }
    }
    out
}

/// For each new patch, the index of its old partner.
fn pair(old: &[PatchSide<'_>], new: &[PatchSide<'_>]) -> Vec<Option<usize>> {
    let key = |title: &str| title.trim().to_lowercase();
    let mut by_title: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (o, side) in old.iter().enumerate().rev() {
        by_title.entry(key(side.title)).or_default().push(o);
    }
    let mut taken = vec![false; old.len()];
    let mut pairs: Vec<Option<usize>> = new
        .iter()
        .map(|side| {
            let o = by_title.get_mut(&key(side.title))?.pop()?;
            taken[o] = true;
            Some(o)
        })
        .collect();
    for (n, side) in new.iter().enumerate() {
        if pairs[n].is_some() {
            continue;
        }
        let partner = old.iter().enumerate().position(|(o, other)| {
            !taken[o] && other.number == side.number && share_a_file(other.body, side.body)
        });
        if let Some(o) = partner {
            taken[o] = true;
            pairs[n] = Some(o);
        }
    }
    pairs
}

fn share_a_file(a: &PatchBody, b: &PatchBody) -> bool {
    a.files
        .iter()
        .any(|f| b.files.iter().any(|g| f.path() == g.path()))
}

fn removed(side: &PatchSide<'_>) -> PatchChange {
    PatchChange {
        number: side.number,
        title: side.title.to_string(),
        status: Status::Removed,
        from: Some(side.id.to_string()),
        to: None,
        lines: Vec::new(),
    }
}

fn changed(old: &PatchSide<'_>, new: &PatchSide<'_>) -> PatchChange {
    let mut lines = Vec::new();
    let (old_message, new_message) = (message_lines(old.body), message_lines(new.body));
    if old_message != new_message {
        lines.push(ChangeLine {
            kind: ChangeKind::Part,
            text: "commit message".into(),
        });
        diff_lines(&old_message, &new_message, |_, _| None, &mut lines);
    }
    let (old_diff, new_diff) = (compared_diff(old.body), compared_diff(new.body));
    if old_diff != new_diff {
        lines.push(ChangeLine {
            kind: ChangeKind::Part,
            text: "diff".into(),
        });
        diff_lines(&old_diff, &new_diff, diff_heading, &mut lines);
    }
    PatchChange {
        number: new.number,
        title: new.title.to_string(),
        status: if lines.is_empty() {
            Status::Unchanged
        } else {
            Status::Changed
        },
        from: Some(old.id.to_string()),
        to: Some(new.id.to_string()),
        lines,
    }
}

/// The commit message and its trailers, review given on the list left out.
fn message_lines(body: &PatchBody) -> Vec<String> {
    let mut lines: Vec<String> = body
        .message
        .trim_end()
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect();
    let authored = body.trailers.iter().filter(|t| {
        !matches!(
            t.kind(),
            TrailerKind::Reviewed | TrailerKind::Acked | TrailerKind::Tested
        )
    });
    let mut first = true;
    for t in authored {
        if first && !lines.is_empty() {
            lines.push(String::new());
        }
        first = false;
        lines.push(format!("{}: {}", t.key, t.value));
    }
    lines
}

/// The diff as compared: header, hunk and body lines; `index` lines dropped, hunk headers
/// reduced to their section, what is not part of a file left out.
fn compared_diff(body: &PatchBody) -> Vec<String> {
    body.diff_lines()
        .filter_map(|(kind, line)| match kind {
            DiffLineKind::FileHeader if line.starts_with("index ") => None,
            DiffLineKind::HunkHeader => Some(match hunk_section(line) {
                "" => "@@".to_string(),
                section => format!("@@ {section}"),
            }),
            DiffLineKind::Other => None,
            _ => Some(line.trim_end_matches('\r').to_string()),
        })
        .collect()
}

/// What follows the closing `@@` of a hunk header.
fn hunk_section(line: &str) -> &str {
    line.strip_prefix("@@")
        .and_then(|rest| rest.find("@@").map(|end| rest[end + 2..].trim()))
        .unwrap_or("")
}

/// The `@@ file: section` heading for changes starting at line `at` of `lines` (a compared
/// diff): the file and hunk they are in.
fn diff_heading(lines: &[String], at: usize) -> Option<String> {
    let before = lines.get(..=at.min(lines.len().saturating_sub(1)))?;
    let mut section = None;
    let mut file = None;
    for line in before.iter().rev() {
        if section.is_none()
            && let Some(s) = line.strip_prefix("@@")
        {
            section = Some(s.trim());
        }
        if let Some(rest) = line.strip_prefix("diff --git ") {
            file = Some(
                rest.rsplit_once(" b/")
                    .map_or(rest, |(_, path)| path)
                    .to_string(),
            );
            break;
        }
        if let Some(path) = line
            .strip_prefix("+++ ")
            .or_else(|| line.strip_prefix("Index: "))
        {
            file = Some(path.trim_start_matches("b/").to_string());
            break;
        }
    }
    let file = file?;
    Some(match section {
        Some(s) if !s.is_empty() => format!("@@ {file}: {s}"),
        _ => format!("@@ {file}"),
    })
}

/// Appends the line diff of `old` and `new` in groups with context, each group opened by the
/// heading `heading` gives for its first line.
fn diff_lines(
    old: &[String],
    new: &[String],
    heading: impl Fn(&[String], usize) -> Option<String>,
    out: &mut Vec<ChangeLine>,
) {
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        old,
        new,
        Some(Instant::now() + DEADLINE),
    );
    for group in similar::group_diff_ops(ops, CONTEXT) {
        let first_new = group.first().map_or(0, |op| op.new_range().start);
        let first_old = group.first().map_or(0, |op| op.old_range().start);
        let title = heading(new, first_new).or_else(|| heading(old, first_old));
        if let Some(title) = title {
            out.push(ChangeLine {
                kind: ChangeKind::Heading,
                text: title,
            });
        }
        for op in &group {
            push_op(op, old, new, out);
        }
    }
}

fn push_op(op: &DiffOp, old: &[String], new: &[String], out: &mut Vec<ChangeLine>) {
    let (tag, old_range, new_range) = op.as_tag_tuple();
    let mut push = |kind, lines: &[String]| {
        out.extend(lines.iter().map(|text| ChangeLine {
            kind,
            text: text.clone(),
        }));
    };
    match tag {
        DiffTag::Equal => push(ChangeKind::Context, &old[old_range]),
        DiffTag::Delete => push(ChangeKind::Old, &old[old_range]),
        DiffTag::Insert => push(ChangeKind::New, &new[new_range]),
        DiffTag::Replace => {
            push(ChangeKind::Old, &old[old_range]);
            push(ChangeKind::New, &new[new_range]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patch;

    fn body(message: &str, code: &str) -> PatchBody {
        patch::parse(&format!(
            "{message}\n\nSigned-off-by: A <a@example.org>\n---\n foo.c | 1 +\n\n\
diff --git a/foo.c b/foo.c\nindex 1111111..2222222 100644\n--- a/foo.c\n+++ b/foo.c\n\
@@ -10,3 +10,4 @@ int main(void)\n a\n b\n+{code}\n c\n-- \n2.43.0\n"
        ))
    }

    fn side<'a>(number: u32, title: &'a str, id: &'a str, body: &'a PatchBody) -> PatchSide<'a> {
        PatchSide {
            number,
            title,
            id,
            body,
        }
    }

    #[test]
    fn pairs_by_title_then_by_number_and_keeps_the_new_order() {
        let same = body("Same.", "same");
        let old_code = body("Code.", "old");
        let new_code = body("Code.", "new");
        let gone = body("Gone.", "gone");
        let old = [
            side(1, "foo: gone", "o1", &gone),
            side(2, "foo: same", "o2", &same),
            side(3, "foo: old title", "o3", &old_code),
        ];
        let new = [
            side(1, "foo: same", "n1", &same),
            side(2, "foo: added", "n2", &gone),
            side(3, "foo: new title", "n3", &new_code),
        ];
        let changes = compare(&old, &new);
        let got: Vec<(u32, Status, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| (c.number, c.status, c.from.as_deref(), c.to.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (1, Status::Removed, Some("o1"), None),
                (1, Status::Unchanged, Some("o2"), Some("n1")),
                (2, Status::Added, None, Some("n2")),
                (3, Status::Changed, Some("o3"), Some("n3")),
            ]
        );
        assert_eq!(
            changes[3].diff_text(),
            "## diff\n@@ foo.c: int main(void)\n @@ int main(void)\n  a\n  b\n-+old\n++new\n  c\n"
        );
    }

    #[test]
    fn moved_hunks_new_blob_ids_and_review_are_no_change() {
        let old = body("Msg.", "x");
        let mut text = old
            .diff_text
            .replace("@@ -10,3 +10,4 @@", "@@ -20,3 +20,4 @@");
        text = text.replace("1111111..2222222", "3333333..4444444");
        let new = patch::parse(&format!(
            "Msg.\n\nSigned-off-by: A <a@example.org>\nReviewed-by: R <r@example.org>\n---\n{text}"
        ));
        let changes = compare(&[side(1, "t", "o", &old)], &[side(1, "t", "n", &new)]);
        assert_eq!(changes[0].status, Status::Unchanged, "{:?}", changes[0]);
    }

    #[test]
    fn a_reworded_message_shows_its_lines() {
        let old = body("Fix the clock.\n\nIt was wrong.", "x");
        let new = body("Fix the clock.\n\nIt was very wrong.", "x");
        let changes = compare(&[side(1, "t", "o", &old)], &[side(1, "t", "n", &new)]);
        assert_eq!(
            changes[0].diff_text(),
            "## commit message\n Fix the clock.\n \n-It was wrong.\n+It was very wrong.\n \n  Signed-off-by: A <a@example.org>\n"
                .replace("  Signed", " Signed")
        );
    }
}
