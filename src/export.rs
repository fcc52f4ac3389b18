//! Exporting patches as an mbox that `git am` applies, as `b4 am` prepares one.
//!
//! Patches are written in series order (each series' patches by number, cover letters and
//! replies left out), each with the trailers given on the list appended to its commit
//! message ([`amend`]), every other byte as sent, mboxrd-quoted (`From ` lines in a body gain
//! a `>`, as `git am --patch-format=mboxrd` and b4 expect, and plain `git am` tolerates since
//! it splits only at the envelope lines it wrote). Which patches: [`select`]. The file is
//! written beside its destination under a temporary name and moved into place, so a failed
//! export never leaves a half-written mbox, and an existing file is never replaced unless
//! asked. Both `patchdeck export` and the reader's `w` and `|` come here.

pub mod amend;
pub mod select;

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::index::archive::Archive;

pub use amend::Amend;
pub use select::{patches_for, series_for};

/// The envelope line every exported message starts with (lore and b4 use the same).
const ENVELOPE: &[u8] = b"From mboxrd@z Thu Jan  1 00:00:00 1970\n";

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{}: already exists (use --force to overwrite)", .0.display())]
    Exists(PathBuf),
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("nothing to export: no patches among the chosen messages")]
    Nothing,
    #[error(
        "the selection holds v{} of \"{title}\"; export one version (-v N, or a narrower query), or pass --all-versions",
        versions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", v")
    )]
    SeveralVersions { title: String, versions: Vec<u32> },
    #[error(
        "no v{version} of this series here (versions: v{})",
        have.iter().map(ToString::to_string).collect::<Vec<_>>().join(", v")
    )]
    NoSuchVersion { version: u32, have: Vec<u32> },
}

/// Appends one message to `out` in mboxrd form.
pub fn write_message(out: &mut impl Write, raw: &[u8]) -> io::Result<()> {
    out.write_all(ENVELOPE)?;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        let arrows = line.iter().take_while(|&&b| b == b'>').count();
        if line[arrows..].starts_with(b"From ") {
            out.write_all(b">")?;
        }
        out.write_all(line)?;
    }
    if !raw.ends_with(b"\n") {
        out.write_all(b"\n")?;
    }
    out.write_all(b"\n")
}

/// Appends patch `idx` as an export writes it: amended as `amend` asks, mboxrd-quoted.
pub fn write_patch(
    out: &mut impl Write,
    archive: &Archive,
    idx: u32,
    amend: Amend,
) -> io::Result<()> {
    let raw = archive.raw(idx);
    let added = amend::added_trailers(archive, idx, amend);
    write_message(out, &amend::amended(&raw, &added))
}

/// Writes `patches` to `dest` (or stdout for `-`), never overwriting unless `force`.
pub fn write_mbox(
    archive: &Archive,
    patches: &[u32],
    dest: &Path,
    force: bool,
    amend: Amend,
) -> Result<usize, ExportError> {
    if patches.is_empty() {
        return Err(ExportError::Nothing);
    }
    if dest == Path::new("-") {
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let io_err = |source| ExportError::Io {
            path: dest.to_path_buf(),
            source,
        };
        for &idx in patches {
            write_patch(&mut out, archive, idx, amend).map_err(io_err)?;
        }
        out.flush().map_err(io_err)?;
        return Ok(patches.len());
    }
    if !force && dest.exists() {
        return Err(ExportError::Exists(dest.to_path_buf()));
    }
    let tmp = temp_path(dest);
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ExportError::Io { path, source }
    };
    let result = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io_err(&tmp))?;
        let mut out = BufWriter::new(file);
        for &idx in patches {
            write_patch(&mut out, archive, idx, amend).map_err(io_err(&tmp))?;
        }
        let file: File = out.into_inner().map_err(|e| io_err(&tmp)(e.into_error()))?;
        file.sync_all().map_err(io_err(&tmp))?;
        if force {
            fs::rename(&tmp, dest).map_err(io_err(dest))
        } else {
            // A hard link fails if the destination appeared meanwhile: no overwrite race.
            match fs::hard_link(&tmp, dest) {
                Ok(()) => fs::remove_file(&tmp).map_err(io_err(&tmp)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    Err(ExportError::Exists(dest.to_path_buf()))
                }
                // Filesystems without hard links: check-then-rename is the best left.
                Err(_) if !dest.exists() => fs::rename(&tmp, dest).map_err(io_err(dest)),
                Err(e) => Err(io_err(dest)(e)),
            }
        }
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| patches.len())
}

fn temp_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    dest.with_file_name(format!(".{name}.patchdeck-{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mboxrd_quoting_and_final_newline() {
        let mut out = Vec::new();
        write_message(&mut out, b"Subject: x\n\nFrom me\n>From you\nno newline").unwrap();
        assert_eq!(
            out,
            b"From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: x\n\n>From me\n>>From you\nno newline\n\n"
        );
    }
}
