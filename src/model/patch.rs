//! The parsed body of a mail: commit message, trailers, changelog below `---`, diffstat and diff,
//! or the request-pull text of a pull request.

use super::diff::{FileDiff, FileStat};
use super::trailer::Trailer;

/// Everything patchdeck reads out of a message body (already MIME-decoded to text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatchBody {
    /// In-body `From:` at the top of the body (a forwarded patch's real author), as written.
    pub in_body_from: Option<String>,
    /// In-body `Subject:` at the top of the body.
    pub in_body_subject: Option<String>,
    /// In-body `Date:` at the top of the body.
    pub in_body_date: Option<String>,
    /// The commit message (or the whole text of a reply), without in-body headers and trailers.
    pub message: String,
    /// Trailers closing the commit message, in order.
    pub trailers: Vec<Trailer>,
    /// Notes and changelog between the `---` line and the diffstat/diff, e.g. `v3: ...`.
    pub changelog: String,
    /// The diffstat rows the mail carried (empty when it had none).
    pub diffstat: Vec<FileStat>,
    /// The diffstat summary line as written (`2 files changed, 2 insertions(+), 2 deletions(-)`).
    pub diffstat_summary: Option<String>,
    /// The diff, from its first header line (`diff --git`, `Index:`, `--- a/`) to its end.
    pub diff_text: String,
    /// The files of [`Self::diff_text`].
    pub files: Vec<FileDiff>,
    /// For a pull request: `URL branch-or-tag`, as patchwork reports it.
    pub pull_url: Option<String>,
}

impl PatchBody {
    /// Per-file stats: computed from the diff when there is one, else the mail's diffstat.
    pub fn file_stats(&self) -> Vec<FileStat> {
        if self.files.is_empty() {
            return self.diffstat.clone();
        }
        self.files
            .iter()
            .map(|f| FileStat {
                path: f.path().to_string(),
                added: f.added,
                removed: f.removed,
                binary: f.binary,
            })
            .collect()
    }

    pub fn has_diff(&self) -> bool {
        !self.files.is_empty()
    }
}

/// TEMPORARY until the body parser lands.
pub fn parse(text: &str) -> PatchBody {
    let mut p = PatchBody::default();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("diff --git ") || line.starts_with("Index: ") {
            p.files.push(FileDiff {
                new_path: Some(line.to_string()),
                start_line: i,
                ..FileDiff::default()
            });
        }
        if line.contains("The following changes since commit") {
            p.pull_url = Some("x".into());
        }
    }
    p
}
impl PatchBody {
    pub fn diff_lines(&self) -> impl Iterator<Item = (crate::model::diff::DiffLineKind, &str)> {
        self.diff_text
            .lines()
            .map(|l| (crate::model::diff::DiffLineKind::Other, l))
    }
}
