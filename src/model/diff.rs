//! A unified diff parsed into files, hunks and lines, plus the diffstat a mail carries.
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

/// One row of a diffstat: as the mail's `---` section gives it, or as computed from the diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileStat {
    pub path: String,
    pub added: u32,
    pub removed: u32,
    pub binary: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffLineKind {
    FileHeader,
    HunkHeader,
    Added,
    Removed,
    Context,
    NoNewline,
    Binary,
    Other,
}
