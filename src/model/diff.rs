//! A unified diff parsed into files, hunks and lines, plus the diffstat a mail carries, and
//! the kind of each diff line (header, hunk, added, removed, ...) a viewer colours it by.
//!
//! Handles `git diff` (renames, copies, mode changes, new/deleted files, `GIT binary patch`),
//! plain unified diffs, CVS/SVN `Index:` diffs and `\ No newline at end of file` markers.

/// One file's part of a diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileDiff {
    /// Path before the change (`None` for a new file), without the `a/` prefix.
    pub old_path: Option<String>,
    /// Path after the change (`None` for a deleted file), without the `b/` prefix.
    pub new_path: Option<String>,
    pub status: FileStatus,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    /// `GIT binary patch` or `Binary files ... differ`.
    pub binary: bool,
    pub hunks: Vec<Hunk>,
    pub added: u32,
    pub removed: u32,
    /// Line index (into [`crate::model::patch::PatchBody::diff_text`] lines) where this file's
    /// header starts, so a viewer can jump to it.
    pub start_line: usize,
    /// Line index just past this file's last line (its last hunk line, or its last header line
    /// when it has no hunks).
    pub end_line: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FileStatus {
    #[default]
    Modified,
    Added,
    Deleted,
    Renamed,
    Copied,
    /// Only the mode changed.
    ModeChange,
}

/// One `@@ -a,b +c,d @@ section` hunk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hunk {
    pub old_start: u32,
    pub old_len: u32,
    pub new_start: u32,
    pub new_len: u32,
    /// The text after the closing `@@` (usually the enclosing function).
    pub section: String,
    /// Line index of the `@@` line in the diff text.
    pub start_line: usize,
    /// Number of body lines (context, added, removed, no-newline markers).
    pub line_count: usize,
    /// How many `\ No newline at end of file` markers the hunk holds.
    pub no_newline: u32,
}

impl FileDiff {
    /// The path a reader knows the file by: the new path, else the old one.
    pub fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or("")
    }
}

/// One row of a diffstat: as computed from the diff, or as the mail's `---` section gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileStat {
    /// Shared with every other row of the archive naming the same path.
    pub path: std::sync::Arc<str>,
    pub change: Change,
    pub binary: bool,
}

/// How much a file changed, as far as the mail tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Lines added and removed, counted in the diff.
    Counted { added: u32, removed: u32 },
    /// A diffstat row without a diff: its count of changed lines is exact, but its bar is
    /// scaled to the width git ran in, so how many were added and how many removed is not
    /// known. The bar is kept as written (`+++---`).
    Row { changes: u32, bar: Box<str> },
}

impl Default for Change {
    fn default() -> Change {
        Change::Counted {
            added: 0,
            removed: 0,
        }
    }
}

impl FileStat {
    /// A file counted in the diff.
    pub fn counted(
        path: impl Into<std::sync::Arc<str>>,
        added: u32,
        removed: u32,
        binary: bool,
    ) -> FileStat {
        FileStat {
            path: path.into(),
            change: Change::Counted { added, removed },
            binary,
        }
    }

    /// Lines added, when counted; `None` for a diffstat row.
    pub fn added(&self) -> Option<u32> {
        match self.change {
            Change::Counted { added, .. } => Some(added),
            Change::Row { .. } => None,
        }
    }

    /// Lines removed, when counted; `None` for a diffstat row.
    pub fn removed(&self) -> Option<u32> {
        match self.change {
            Change::Counted { removed, .. } => Some(removed),
            Change::Row { .. } => None,
        }
    }

    /// Lines changed (added plus removed): always known.
    pub fn changes(&self) -> u32 {
        match self.change {
            Change::Counted { added, removed } => added.saturating_add(removed),
            Change::Row { changes, .. } => changes,
        }
    }
}

/// What one line of [`crate::model::patch::PatchBody::diff_text`] is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiffLineKind {
    /// `diff --git`, `index`, `---`/`+++`, mode, rename and `Index:` lines.
    FileHeader,
    /// `@@ -a,b +c,d @@ section`.
    HunkHeader,
    Added,
    Removed,
    Context,
    /// `\ No newline at end of file`.
    NoNewline,
    /// `GIT binary patch`, its `literal`/`delta` blocks, `Binary files … differ`.
    Binary,
    /// Anything else: blank separators, prose between two diffs.
    Other,
}

const FILE_HEADER_PREFIXES: &[&str] = &[
    "diff ",
    "index ",
    "--- ",
    "+++ ",
    "old mode ",
    "new mode ",
    "new file mode ",
    "deleted file mode ",
    "similarity index ",
    "dissimilarity index ",
    "rename from ",
    "rename to ",
    "rename old ",
    "rename new ",
    "copy from ",
    "copy to ",
    "Index: ",
    "====",
    "RCS file: ",
    "retrieving revision ",
];

const BINARY_PREFIXES: &[&str] = &["GIT binary patch", "literal ", "delta ", "Binary files "];

/// Classifies a diff line on its own text, header forms first: right for header lines and for
/// hunk lines that do not look like headers. When it is known whether the line is inside a
/// hunk, [`hunk_line_kind`] or [`PatchBody::diff_lines`] are exact.
///
/// [`PatchBody::diff_lines`]: crate::model::patch::PatchBody::diff_lines
pub fn line_kind(line: &str) -> DiffLineKind {
    if line.starts_with("@@ ") {
        DiffLineKind::HunkHeader
    } else if FILE_HEADER_PREFIXES.iter().any(|p| line.starts_with(p)) {
        DiffLineKind::FileHeader
    } else if BINARY_PREFIXES.iter().any(|p| line.starts_with(p)) {
        DiffLineKind::Binary
    } else {
        hunk_line_kind(line)
    }
}

/// Classifies a line known to be inside a hunk body, by its first byte.
pub fn hunk_line_kind(line: &str) -> DiffLineKind {
    match line.as_bytes().first() {
        Some(b'+') => DiffLineKind::Added,
        Some(b'-') => DiffLineKind::Removed,
        Some(b' ') | None => DiffLineKind::Context,
        Some(b'\\') => DiffLineKind::NoNewline,
        Some(_) => DiffLineKind::Other,
    }
}

/// Classifies a line of a file's header (before its first hunk).
fn header_line_kind(line: &str, binary: bool) -> DiffLineKind {
    if FILE_HEADER_PREFIXES.iter().any(|p| line.starts_with(p)) {
        DiffLineKind::FileHeader
    } else if BINARY_PREFIXES.iter().any(|p| line.starts_with(p)) || (binary && !line.is_empty()) {
        // A binary file's header holds its base85 data lines too.
        DiffLineKind::Binary
    } else {
        DiffLineKind::Other
    }
}

/// The lines of a diff text with their exact kinds, found by walking the parsed files and
/// hunks alongside (see [`diff_lines`]).
#[derive(Debug, Clone)]
pub struct DiffLines<'a> {
    rest: &'a str,
    index: usize,
    files: &'a [FileDiff],
    file: usize,
    hunk: usize,
}

/// Walks `diff_text` line by line, classifying each with the help of `files` (parsed from that
/// same text): a `---` line inside a hunk is `Removed`, not a header.
pub fn diff_lines<'a>(diff_text: &'a str, files: &'a [FileDiff]) -> DiffLines<'a> {
    DiffLines {
        rest: diff_text,
        index: 0,
        files,
        file: 0,
        hunk: 0,
    }
}

impl<'a> DiffLines<'a> {
    fn kind(&mut self, line: &str) -> DiffLineKind {
        let i = self.index;
        while self.files.get(self.file).is_some_and(|f| f.end_line <= i) {
            self.file += 1;
            self.hunk = 0;
        }
        let Some(file) = self.files.get(self.file).filter(|f| f.start_line <= i) else {
            return DiffLineKind::Other;
        };
        while file
            .hunks
            .get(self.hunk)
            .is_some_and(|h| h.start_line + h.line_count < i)
        {
            self.hunk += 1;
        }
        match file.hunks.get(self.hunk) {
            Some(h) if h.start_line == i => DiffLineKind::HunkHeader,
            Some(h) if h.start_line < i => hunk_line_kind(line),
            _ if file.hunks.is_empty() || self.hunk == 0 => header_line_kind(line, file.binary),
            _ => DiffLineKind::Other,
        }
    }
}

impl<'a> Iterator for DiffLines<'a> {
    type Item = (DiffLineKind, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = match memchr::memchr(b'\n', self.rest.as_bytes()) {
            Some(n) => (
                self.rest.get(..n).unwrap_or_default(),
                self.rest.get(n + 1..).unwrap_or_default(),
            ),
            None => (self.rest, ""),
        };
        self.rest = rest;
        let kind = self.kind(line);
        self.index += 1;
        Some((kind, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patch::parse;

    #[test]
    fn line_kind_reads_headers_before_signs() {
        assert_eq!(line_kind("diff --git a/x b/x"), DiffLineKind::FileHeader);
        assert_eq!(line_kind("--- a/x"), DiffLineKind::FileHeader);
        assert_eq!(line_kind("@@ -1 +1 @@ f()"), DiffLineKind::HunkHeader);
        assert_eq!(line_kind("+x"), DiffLineKind::Added);
        assert_eq!(line_kind("-x"), DiffLineKind::Removed);
        assert_eq!(line_kind(" x"), DiffLineKind::Context);
        assert_eq!(
            line_kind("\\ No newline at end of file"),
            DiffLineKind::NoNewline
        );
        assert_eq!(line_kind("GIT binary patch"), DiffLineKind::Binary);
        assert_eq!(line_kind("prose"), DiffLineKind::Other);
        assert_eq!(hunk_line_kind("--- a/x"), DiffLineKind::Removed);
    }

    #[test]
    fn diff_lines_walks_files_and_hunks() {
        let body = parse(
            "msg\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n--- a/y\n+b\n c\n\
             \\ No newline at end of file\nchatter\ndiff --git a/p b/p\nGIT binary patch\nliteral 1\nzz\n\n",
        );
        let kinds: Vec<_> = body.diff_lines().map(|(k, _)| k).collect();
        use DiffLineKind::*;
        assert_eq!(
            kinds,
            vec![
                FileHeader, FileHeader, FileHeader, HunkHeader, Removed, Added, Context, NoNewline,
                Other, FileHeader, Binary, Binary, Binary, Other
            ]
        );
    }
}
