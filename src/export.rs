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

use std::borrow::Cow;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::index::archive::Archive;

use crate::model::mime::HeaderBlock;
use crate::model::patch;
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
    let raw = exported(archive, idx);
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
    let tmp = Unfinished::register(temp_path(dest));
    // Errors name the file the user asked for: the temporary name is ours, not theirs.
    let io_err = |source| ExportError::Io {
        path: dest.to_path_buf(),
        source,
    };
    let result = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(tmp.path())
            .map_err(io_err)?;
        let mut out = BufWriter::new(file);
        for &idx in patches {
            write_patch(&mut out, archive, idx, amend).map_err(io_err)?;
        }
        let file: File = out.into_inner().map_err(|e| io_err(e.into_error()))?;
        file.sync_all().map_err(io_err)?;
        if force {
            fs::rename(tmp.path(), dest).map_err(io_err)
        } else {
            // A hard link fails if the destination appeared meanwhile: no overwrite race.
            match fs::hard_link(tmp.path(), dest) {
                Ok(()) => fs::remove_file(tmp.path()).map_err(io_err),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    Err(ExportError::Exists(dest.to_path_buf()))
                }
                // Filesystems without hard links: check-then-rename is the best left.
                Err(_) if !dest.exists() => fs::rename(tmp.path(), dest).map_err(io_err),
                Err(e) => Err(io_err(e)),
            }
        }
    })();
    if result.is_err() {
        let _ = fs::remove_file(tmp.path());
    }
    drop(tmp);
    result.map(|()| patches.len())
}

/// Temporary files being written now, so that a signal that ends the process can remove them
/// ([`remove_unfinished`]) instead of leaving `.name.patchdeck-PID.tmp` beside the target.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file listed in [`UNFINISHED`] while it lives.
struct Unfinished(PathBuf);

impl Unfinished {
    /// Lists `path` before the file is created, so no moment exists where it is on disk and
    /// unknown to the signal handler.
    fn register(path: PathBuf) -> Unfinished {
        lock_unfinished().push(path.clone());
        Unfinished(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        lock_unfinished().retain(|p| p != &self.0);
    }
}

fn lock_unfinished() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the temporary files of exports still being written. For exit paths that end the
/// process while an export runs (the reader quitting on SIGTERM).
pub fn remove_unfinished() {
    for path in lock_unfinished().drain(..) {
        let _ = fs::remove_file(path);
    }
}

/// From now on, SIGINT, SIGTERM and SIGHUP remove the temporary files of unfinished exports
/// and then end the process as the signal would have. For `patchdeck export`, whose write of
/// a big mbox takes long enough to be interrupted.
pub fn remove_unfinished_on_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("export-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_unfinished();
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                // Only reached if the default action did not end the process.
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// A message as exported: its bytes as sent, or, when the reader cuts at scissors, without
/// the text above its scissors line, so `git am` records what `git am --scissors` would.
/// A body in quoted-printable, base64 or MIME parts is left whole (its lines are not the
/// text's lines); `git am --scissors` still cuts it.
fn exported(archive: &Archive, idx: u32) -> Cow<'_, [u8]> {
    let raw = archive.raw(idx);
    if !archive.read_options().scissors {
        return raw;
    }
    cut_at_scissors(raw)
}

fn cut_at_scissors(raw: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
    let block = HeaderBlock::parse(&raw);
    let encoding = block
        .value("Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let kind = block
        .value("Content-Type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if encoding.contains("base64")
        || encoding.contains("quoted-printable")
        || kind.contains("multipart")
    {
        return raw;
    }
    let body_start = block.body_start;
    let Some(cut) = std::str::from_utf8(&raw[body_start..])
        .ok()
        .and_then(patch::scissors_cut)
    else {
        return raw;
    };
    let mut out = raw[..body_start].to_vec();
    out.extend_from_slice(&raw[body_start + cut..]);
    Cow::Owned(out)
}

/// What an export holds, for the line that reports it: `12 patches of 2 series: a; b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub patches: usize,
    /// Each series' title (a lone patch's own title), in export order, sanitized.
    pub titles: Vec<String>,
}

/// Most series titles the report names before saying how many more there are.
const TITLES_NAMED: usize = 5;

impl Selection {
    pub fn of(archive: &Archive, patches: &[u32]) -> Selection {
        let mut seen: Vec<(Option<u32>, u32)> = Vec::new();
        let mut titles = Vec::new();
        for &idx in patches {
            let series = archive.series_of(idx);
            let key = (series, if series.is_some() { 0 } else { idx });
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let title = match series.and_then(|s| archive.series(s)) {
                Some(s) => s.title.as_str(),
                None => archive
                    .messages
                    .get(idx as usize)
                    .map_or("", |m| m.subject.title()),
            };
            titles.push(crate::sanitize::sanitize(title).into_owned());
        }
        Selection {
            patches: patches.len(),
            titles,
        }
    }
}

impl Selection {
    /// `12 patches of 2 series`.
    pub fn counts(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{} of {}",
            plural(self.patches, "patch", "patches"),
            plural(self.titles.len(), "series", "series")
        )
    }

    /// The first few series titles, `; `-separated, then how many more there are.
    pub fn named(&self) -> String {
        let mut out = self
            .titles
            .iter()
            .take(TITLES_NAMED)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("; ");
        if self.titles.len() > TITLES_NAMED {
            out.push_str(&format!("; and {} more", self.titles.len() - TITLES_NAMED));
        }
        out
    }
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
    fn scissors_cut_plain_bodies_only() {
        let mail = "Subject: x\n\nThanks.\n-- >8 --\nFrom: F <f@x>\n\nFix.\n---\n-- >8 --\n";
        let cut = cut_at_scissors(Cow::Borrowed(mail.as_bytes()));
        assert_eq!(
            cut.as_ref(),
            b"Subject: x\n\nFrom: F <f@x>\n\nFix.\n---\n-- >8 --\n"
        );
        let qp = format!("Content-Transfer-Encoding: quoted-printable\n{mail}");
        assert_eq!(
            cut_at_scissors(Cow::Borrowed(qp.as_bytes())).as_ref(),
            qp.as_bytes()
        );
        let none = "Subject: x\n\nNo scissors.\n";
        assert!(matches!(
            cut_at_scissors(Cow::Borrowed(none.as_bytes())),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn mboxrd_quoting_and_final_newline() {
        let mut out = Vec::new();
        write_message(&mut out, b"Subject: x\n\nFrom me\n>From you\nno newline").unwrap();
        assert_eq!(
            out,
            b"From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: x\n\n>From me\n>>From you\nno newline\n\n"
        );
    }

    #[test]
    fn a_selection_names_its_series_and_counts_the_rest() {
        let one = Selection {
            patches: 1,
            titles: vec!["clk: fix".into()],
        };
        assert_eq!(
            (one.counts(), one.named()),
            ("1 patch of 1 series".into(), "clk: fix".into())
        );
        let many = Selection {
            patches: 9,
            titles: (1..=7).map(|i| format!("t{i}")).collect(),
        };
        assert_eq!(many.counts(), "9 patches of 7 series");
        assert_eq!(many.named(), "t1; t2; t3; t4; t5; and 2 more");
    }
}
