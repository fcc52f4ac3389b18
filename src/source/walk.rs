//! Finding mail files under a folder: a Maildir's `cur/` and `new/`, or every file below the
//! folder, recursively, in a stable (sorted) order.

use std::path::{Path, PathBuf};

use super::SourceError;

/// Deeper than this is a symlink loop or a mistake, not a mail folder.
const MAX_DEPTH: usize = 32;

pub fn mail_files(root: &Path, errors: &mut Vec<SourceError>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    visit(root, 0, &mut files, errors);
    files
}

fn visit(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, errors: &mut Vec<SourceError>) {
    if depth > MAX_DEPTH {
        return;
    }
    let is_maildir = dir.join("cur").is_dir() || dir.join("new").is_dir();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            errors.push(SourceError::Io {
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
            visit(&path, depth + 1, files, errors);
        } else if path.is_file() {
            files.push(path);
        }
    }
}
