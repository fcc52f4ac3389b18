//! The diffstat block `git format-patch` writes below `---`: ` path | 12 +++---` rows, the
//! ` 2 files changed, 2 insertions(+), 2 deletions(-)` summary, and the ` create mode …`,
//! ` rename … (100%)` lines after it.
//!
//! A row's count is exact but its bar is scaled to the terminal width git ran in, so the split
//! into added and removed is exact only when the bar is as long as the count; otherwise it is
//! the bar's `+`/`-` ratio applied to the count. The summary line's totals are always exact.

use super::hunk::number;
use crate::model::diff::FileStat;

/// The totals of a diffstat summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffStatTotals {
    pub files: u32,
    pub insertions: u32,
    pub deletions: u32,
}

/// A diffstat found among some lines: its rows, summary, and which lines it spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Block {
    pub rows: Vec<FileStat>,
    pub summary: String,
    pub totals: DiffStatTotals,
    /// First line of the block (its first row, or the summary when it has none).
    pub first: usize,
    /// Line just past the block (past its ` create mode` lines).
    pub end: usize,
}

/// Parses a row: ` path | 12 +++---`, ` img.png | Bin 0 -> 142 bytes`, ` .../f.c | 2 +-`.
pub(crate) fn parse_row(line: &str) -> Option<FileStat> {
    if !line.starts_with(' ') {
        return None;
    }
    let (path, stat) = line.rsplit_once('|')?;
    let path = path.trim();
    let stat = stat.trim();
    if path.is_empty() {
        return None;
    }
    if stat.starts_with("Bin") {
        return Some(FileStat {
            path: path.to_string(),
            binary: true,
            ..FileStat::default()
        });
    }
    let (changes, bar) = number(stat)?;
    let bar = bar.trim_start();
    if !bar.bytes().all(|b| b == b'+' || b == b'-') {
        return None;
    }
    let plus = u32::try_from(bar.bytes().filter(|&b| b == b'+').count()).unwrap_or(u32::MAX);
    let minus = u32::try_from(bar.len())
        .unwrap_or(u32::MAX)
        .saturating_sub(plus);
    let (added, removed) = split_changes(changes, plus, minus);
    Some(FileStat {
        path: path.to_string(),
        added,
        removed,
        binary: false,
    })
}

/// Splits a row's change count by its bar: exact when the bar is unscaled, by ratio otherwise.
/// A count with no bar at all is reported as added.
fn split_changes(changes: u32, plus: u32, minus: u32) -> (u32, u32) {
    let bar = u64::from(plus) + u64::from(minus);
    if bar == u64::from(changes) {
        return (plus, minus);
    }
    if bar == 0 {
        return (changes, 0);
    }
    let added = (u64::from(changes) * u64::from(plus) + bar / 2) / bar;
    let added = u32::try_from(added).unwrap_or(changes).min(changes);
    (added, changes - added)
}

/// Parses ` 2 files changed, 2 insertions(+), 2 deletions(-)` (either count may be missing).
pub(crate) fn parse_summary(line: &str) -> Option<DiffStatTotals> {
    if !line.starts_with(' ') {
        return None;
    }
    let (files, rest) = number(line.trim_start())?;
    let rest = rest
        .strip_prefix(" files changed")
        .or_else(|| rest.strip_prefix(" file changed"))?;
    let mut totals = DiffStatTotals {
        files,
        ..DiffStatTotals::default()
    };
    for part in rest.split(',').skip(1) {
        let (n, what) = number(part.trim_start())?;
        match what.trim_end() {
            " insertion(+)" | " insertions(+)" => totals.insertions = n,
            " deletion(-)" | " deletions(-)" => totals.deletions = n,
            _ => return None,
        }
    }
    rest.split(',')
        .next()
        .is_some_and(|r| r.trim().is_empty())
        .then_some(totals)
}

/// The summary's followers: ` create mode 100644 f`, ` delete mode`, ` rename …`, ` copy …`,
/// ` mode change …`, ` rewrite …`.
fn is_summary_follower(line: &str) -> bool {
    let Some(t) = line.strip_prefix(' ') else {
        return false;
    };
    let t = t.trim_start();
    [
        "create mode ",
        "delete mode ",
        "rename ",
        "copy ",
        "mode change ",
        "rewrite ",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// Finds the first diffstat among `lines`: a summary line with the run of rows just above it.
pub(crate) fn find(lines: &[&str]) -> Option<Block> {
    let (at, totals) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| parse_summary(l).map(|t| (i, t)))?;
    let mut rows = Vec::new();
    let mut first = at;
    while let Some(row) = first
        .checked_sub(1)
        .and_then(|i| lines.get(i))
        .and_then(|l| parse_row(l))
    {
        rows.push(row);
        first -= 1;
    }
    rows.reverse();
    let mut end = at + 1;
    while lines.get(end).is_some_and(|l| is_summary_follower(l)) {
        end += 1;
    }
    Some(Block {
        rows,
        summary: lines
            .get(at)
            .map(|l| l.trim().to_string())
            .unwrap_or_default(),
        totals,
        first,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: &str) -> Option<(String, u32, u32, bool)> {
        parse_row(line).map(|r| (r.path, r.added, r.removed, r.binary))
    }

    #[test]
    fn rows_exact_scaled_binary_and_abbreviated() {
        assert_eq!(row(" x.c | 3 ++-"), Some(("x.c".into(), 2, 1, false)));
        assert_eq!(
            row(" a/b.c | 12 +++---"),
            Some(("a/b.c".into(), 6, 6, false))
        );
        assert_eq!(
            row(" mm/gup.c | 400 +++++++++++++++++++++++++++++---"),
            Some(("mm/gup.c".into(), 363, 37, false))
        );
        assert_eq!(
            row(" .../long/path.c | 2 +-"),
            Some((".../long/path.c".into(), 1, 1, false))
        );
        assert_eq!(
            row(" bin.png | Bin 0 -> 142 bytes"),
            Some(("bin.png".into(), 0, 0, true))
        );
        assert_eq!(row(" f | 0"), Some(("f".into(), 0, 0, false)));
        assert_eq!(row(" f | 5"), Some(("f".into(), 5, 0, false)));
        assert_eq!(row("not | 2 +-"), None, "rows are indented");
        assert_eq!(row(" a | b | words"), None);
        assert_eq!(row(" | 2 +-"), None);
    }

    #[test]
    fn summaries_with_and_without_counts() {
        let t = |f, i, d| {
            Some(DiffStatTotals {
                files: f,
                insertions: i,
                deletions: d,
            })
        };
        assert_eq!(
            parse_summary(" 2 files changed, 2 insertions(+), 2 deletions(-)"),
            t(2, 2, 2)
        );
        assert_eq!(parse_summary(" 1 file changed, 1 insertion(+)"), t(1, 1, 0));
        assert_eq!(
            parse_summary(" 3 files changed, 9 deletions(-)"),
            t(3, 0, 9)
        );
        assert_eq!(parse_summary("  1 file changed"), t(1, 0, 0));
        assert_eq!(parse_summary(" 2 files changed, lots of fun"), None);
        assert_eq!(parse_summary("2 files changed, 1 insertion(+)"), None);
    }

    #[test]
    fn finds_the_block_with_its_followers() {
        let lines = [
            "v2: fix",
            "",
            " a.c | 2 +-",
            " b.c | 1 +",
            " 2 files changed, 2 insertions(+), 1 deletion(-)",
            " create mode 100644 b.c",
            " mode change 100644 => 100755 a.c",
            "",
        ];
        let block = find(&lines).unwrap_or_default();
        assert_eq!((block.first, block.end), (2, 7));
        assert_eq!(block.rows.len(), 2);
        assert_eq!(block.rows[1].path, "b.c");
        assert_eq!(block.totals.deletions, 1);
        assert_eq!(
            block.summary,
            "2 files changed, 2 insertions(+), 1 deletion(-)"
        );
        assert!(find(&["no", "stat"]).is_none());
    }
}
