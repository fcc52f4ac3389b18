//! Finding mail files under a folder: a Maildir's `cur/` and `new/`, or every file below the
//! folder, recursively, in a stable (sorted) order.
//!
//! Symbolic links are followed, but each directory is entered once (known by device and
//! inode): two links to `.` would otherwise make the walk exponential. Folders deeper than
//! [`MAX_DEPTH`] are skipped with a warning naming them.

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::SourceError;

/// Deeper than this is a mistake, not a mail folder.
pub const MAX_DEPTH: usize = 32;

pub fn mail_files(root: &Path, errors: &mut Vec<SourceError>) -> Vec<PathBuf> {
    let mut walk = Walk {
        files: Vec::new(),
        seen: HashSet::new(),
        errors,
    };
    walk.visit(root, 0);
    walk.files
}

struct Walk<'a> {
    files: Vec<PathBuf>,
    /// Directories entered, by (device, inode).
    seen: HashSet<(u64, u64)>,
    errors: &'a mut Vec<SourceError>,
}

impl Walk<'_> {
    fn visit(&mut self, dir: &Path, depth: usize) {
        match std::fs::metadata(dir) {
            Ok(meta) => {
                if !self.seen.insert((meta.dev(), meta.ino())) {
                    return;
                }
            }
            Err(source) => {
                self.errors.push(SourceError::Io {
                    path: dir.display().to_string(),
                    source,
                });
                return;
            }
        }
        if depth > MAX_DEPTH {
            self.errors.push(SourceError::TooDeep {
                path: dir.display().to_string(),
            });
            return;
        }
        let is_maildir = dir.join("cur").is_dir() || dir.join("new").is_dir();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(source) => {
                self.errors.push(SourceError::Io {
                    path: dir.display().to_string(),
                    source,
                });
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                // A Maildir's tmp/ holds mail still being delivered.
                if is_maildir && name == "tmp" {
                    continue;
                }
                self.visit(&path, depth + 1);
            } else if path.is_file() {
                // Only regular files: a FIFO or device found in a folder would block or never
                // end.
                self.files.push(path);
            }
        }
    }
}
