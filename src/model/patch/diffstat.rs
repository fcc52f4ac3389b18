//! The diffstat block `git format-patch` writes below `---`: ` path | 12 +++---` rows, the
//! ` 2 files changed, 2 insertions(+), 2 deletions(-)` summary, and the ` create mode …`,
//! ` rename … (100%)` lines after it.
//!
//! A row's count is exact but its bar is scaled to the terminal width git ran in, so the split
//! into added and removed is not known: a row keeps its count and its bar as written
//! ([`Change::Row`]), and nothing is guessed from the bar. The summary line's totals are exact.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::hunk::number;
use crate::model::diff::{Change, FileStat};

/// The totals of a diffstat summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffStatTotals {
    pub files: u32,
    pub insertions: u32,
    pub deletions: u32,
}

/// A diffstat found in a text: its rows, summary, and which lines it spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Block {
    pub rows: Vec<FileStat>,
    pub summary: String,
    pub totals: DiffStatTotals,
    /// Bytes of the text the block's lines take: from the start of its first line (its first
    /// row, or the summary when it has none) to the start of the line after it (past its
    /// ` create mode` lines), or the text's end.
    pub span: std::ops::Range<usize>,
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
            path: path.into(),
            change: Change::Row {
                changes: 0,
                bar: Box::default(),
            },
            binary: true,
        });
    }
    let (changes, bar) = number(stat)?;
    let bar = bar.trim_start();
    if !bar.bytes().all(|b| b == b'+' || b == b'-') {
        return None;
    }
    Some(FileStat {
        path: path.into(),
        change: Change::Row {
            changes,
            bar: bar.into(),
        },
        binary: false,
    })
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

/// Whether `line` may be a summary line ([`parse_summary`]): a space, then a number after the
/// white space. A text without one holds no diffstat ([`find`] finds none).
#[inline]
pub(crate) fn may_be_summary(line: &str) -> bool {
    let Some(rest) = line.strip_prefix(' ') else {
        return false;
    };
    // Told by the byte after the space, but for more white space (Unicode's too).
    match rest.as_bytes().first() {
        Some(b) if b.is_ascii_digit() => true,
        Some(&b) if b.is_ascii() && !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') => {
            false
        }
        _ => rest
            .trim_start()
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_digit),
    }
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

/// Finds the first diffstat in `text` (lines cut at `\n`): the first summary line, with the
/// run of rows just above it and its followers below.
pub(crate) fn find(text: &str) -> Option<Block> {
    // A summary line says ` changed`: only the lines that do are read, found by one search
    // over the text rather than line by line (notes and cover letters can be long).
    static CHANGED: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b" changed"));
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let mut from = 0;
    let (start, summary, next, totals) = loop {
        let hit = from + CHANGED.find(bytes.get(from..)?)?;
        let start = memchr::memrchr(b'\n', bytes.get(..hit)?).map_or(0, |n| n + 1);
        let (end, next) = line_end(bytes, hit);
        let line = text.get(start..end).unwrap_or_default();
        if let Some(totals) = parse_summary(line) {
            break (start, line.trim(), next, totals);
        }
        from = next;
    };
    // Rows, walking up from the summary.
    let mut rows = Vec::new();
    let mut first = start;
    while let Some(above_end) = first.checked_sub(1) {
        let above = memchr::memrchr(b'\n', bytes.get(..above_end)?).map_or(0, |n| n + 1);
        let Some(row) = text.get(above..above_end).and_then(parse_row) else {
            break;
        };
        rows.push(row);
        first = above;
    }
    rows.reverse();
    // Followers, walking down.
    let mut end = next;
    while end < bytes.len() {
        let (line_end, line_next) = line_end(bytes, end);
        if !text.get(end..line_end).is_some_and(is_summary_follower) {
            break;
        }
        end = line_next;
    }
    Some(Block {
        rows,
        summary: summary.to_string(),
        totals,
        span: first..end,
    })
}

/// Where the line holding byte `at` ends (its `\n`, or the text's end) and where the next one
/// starts.
fn line_end(bytes: &[u8], at: usize) -> (usize, usize) {
    match bytes.get(at..).and_then(|rest| memchr::memchr(b'\n', rest)) {
        Some(n) => (at + n, at + n + 1),
        None => (bytes.len(), bytes.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Path, count, bar as written, binary.
    fn row(line: &str) -> Option<(String, u32, String, bool)> {
        parse_row(line).map(|r| match r.change {
            Change::Row { changes, bar } => (r.path.to_string(), changes, bar.into(), r.binary),
            Change::Counted { .. } => panic!("a diffstat row is never counted: {line}"),
        })
    }

    #[test]
    fn rows_keep_their_count_and_bar_whatever_the_scale() {
        let r = |p: &str, n, bar: &str, bin| Some((p.to_string(), n, bar.to_string(), bin));
        assert_eq!(row(" x.c | 3 ++-"), r("x.c", 3, "++-", false));
        assert_eq!(row(" a/b.c | 12 +++---"), r("a/b.c", 12, "+++---", false));
        assert_eq!(
            row(" mm/gup.c | 400 +++++++++++++++++++++++++++++---"),
            r("mm/gup.c", 400, "+++++++++++++++++++++++++++++---", false)
        );
        assert_eq!(
            row(" .../long/path.c | 2 +-"),
            r(".../long/path.c", 2, "+-", false)
        );
        assert_eq!(
            row(" bin.png | Bin 0 -> 142 bytes"),
            r("bin.png", 0, "", true)
        );
        assert_eq!(row(" f | 0"), r("f", 0, "", false));
        assert_eq!(row(" f | 5"), r("f", 5, "", false));
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
        let text = lines.join("\n");
        let block = find(&text).unwrap_or_default();
        assert_eq!(&text[block.span.clone()], lines[2..7].join("\n") + "\n");
        assert_eq!(block.rows.len(), 2);
        assert_eq!(&*block.rows[1].path, "b.c");
        assert_eq!(block.totals.deletions, 1);
        assert_eq!(
            block.summary,
            "2 files changed, 2 insertions(+), 1 deletion(-)"
        );
        assert!(find("no\nstat changed").is_none());
    }

    /// The block as it was found on a list of the text's lines: the first line that parses as
    /// a summary, rows above, followers below (as line indexes).
    fn find_on_lines(
        lines: &[&str],
    ) -> Option<(Vec<FileStat>, String, DiffStatTotals, usize, usize)> {
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
        Some((rows, lines[at].trim().to_string(), totals, first, end))
    }

    #[test]
    fn found_only_where_a_line_may_be_a_summary() {
        const PIECES: &[&str] = &[
            "\n",
            " 1 file changed",
            " 2 files changed, 1 insertion(+)",
            "1 file changed",
            " a.c | 2 +-",
            " ",
            "\t",
            "\u{b}",
            "\u{a0}",
            "\u{3000}",
            "x",
            "1",
        ];
        for text in crate::random_texts(0xd1ff_57a7_0000_0002, PIECES, 10) {
            if find(&text).is_some() {
                assert!(
                    super::super::lines::lines(&text).any(may_be_summary),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn found_in_the_text_as_on_its_lines() {
        const PIECES: &[&str] = &[
            "\n",
            "\n",
            "\n",
            " a.c | 2 +-",
            " b | 1 +",
            " 2 files changed, 2 insertions(+), 1 deletion(-)",
            " 1 file changed",
            "1 file changed",
            " changed",
            " create mode 100644 b.c",
            " rename x => y (100%)",
            "prose",
            " ",
            "é",
        ];
        for text in crate::random_texts(0xd1ff_57a7_0000_0001, PIECES, 12) {
            let lines: Vec<&str> = super::super::lines::lines(&text).collect();
            let want = find_on_lines(&lines);
            let got = find(&text).map(|b| {
                // The span's lines, as indexes into the text's lines.
                let first = super::super::lines::lines(&text[..b.span.start]).count();
                let end = first + super::super::lines::lines(&text[b.span.clone()]).count();
                (b.rows, b.summary, b.totals, first, end)
            });
            assert_eq!(got, want, "{text:?}");
        }
    }
}
