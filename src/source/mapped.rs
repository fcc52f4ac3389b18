//! Source bytes: a read-only memory map for files (the archive is mapped, not copied, so a
//! 185 MB mbox costs no copy and no heap), or an owned buffer for gzip, stdin, pipes and
//! digests.

use std::fs::{File, Metadata};
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Files smaller than this are read into memory: a map per small Maildir file costs more than
/// the copy.
const MAP_THRESHOLD: u64 = 256 * 1024;

#[derive(Debug)]
pub enum Bytes {
    /// A file mapped into memory, with what it was when mapped.
    Mapped {
        map: memmap2::Mmap,
        path: PathBuf,
        stamp: Stamp,
    },
    Owned(Vec<u8>),
    Static(&'static [u8]),
}

/// A file's length and modification time: what says it was rewritten since it was mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// Mapped when it is big enough to be worth it.
    MapLarge,
    /// Always read into memory (`--no-mmap`): immune to the file changing while it is open.
    IntoMemory,
}

/// Why a path could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A device or socket: `/dev/zero` would be read forever.
    #[error("not a file, folder or pipe")]
    NotAFile,
}

impl Bytes {
    /// Opens `path` once and reads it: a regular file is mapped (or read, when small or when
    /// `read` says so), a pipe is read to its end; anything else is refused.
    pub fn open(path: &Path, read: ReadMode) -> Result<Bytes, OpenError> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        let kind = meta.file_type();
        if kind.is_fifo() {
            let mut buf = Vec::new();
            file.read_to_end(&mut buf)?;
            return Ok(Bytes::Owned(buf));
        }
        if !kind.is_file() {
            return Err(OpenError::NotAFile);
        }
        let len = meta.len();
        if len < MAP_THRESHOLD || read == ReadMode::IntoMemory {
            let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            file.read_to_end(&mut buf)?;
            return Ok(Bytes::Owned(buf));
        }
        // SAFETY: the map is read-only and private to this process, and patchdeck never writes
        // its inputs. What is covered: before anything leaves the process from these bytes (an
        // export, a pipe, the pager, the editor), `changed` compares the file's length and
        // mtime with the ones recorded here and the action is refused when they differ, so a
        // mail client or mbsync rewriting the mbox cannot make patchdeck export bytes other than
        // the ones it indexed. What is not covered: a file shrunk *while* pages are being read
        // (at load, or between that check and the copy, or while the reader draws a message)
        // still faults with SIGBUS, as for ripgrep and every mmap-based reader; and an edit in
        // place that keeps both length and mtime goes unseen. `--no-mmap` reads the file into
        // memory instead and is immune to both.
        // Pages are not populated here: the mbox split maps them as it searches, and loading
        // lets them go a window at a time once read ([`Self::release`]), so a big archive is
        // never resident whole on top of the index built from it.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::MmapOptions::new().map(&file)? };
        Ok(Bytes::Mapped {
            map,
            path: path.to_path_buf(),
            stamp: Stamp::of(&meta),
        })
    }

    /// The mapped file, when it changed (or vanished) since it was mapped; `None` for bytes in
    /// memory, which nothing outside can change.
    pub fn changed(&self) -> Option<&Path> {
        let Bytes::Mapped { path, stamp, .. } = self else {
            return None;
        };
        let now = std::fs::metadata(path).map(|m| Stamp::of(&m));
        (now.ok() != Some(*stamp)).then_some(path.as_path())
    }

    /// Takes the pages of `range` out of this process's resident set once they have been read:
    /// the page cache keeps them, and reading them again maps them again. Only for mapped
    /// files; a hint, so errors are ignored.
    pub fn release(&self, range: std::ops::Range<usize>) {
        if let Bytes::Mapped { map, .. } = self {
            let len = range.end.min(map.len()).saturating_sub(range.start);
            // SAFETY: memmap2 marks MADV_DONTNEED unsafe because on a private writable
            // (copy-on-write) map it throws away what was written. This map is a read-only
            // shared map of a file nobody here writes: dropping its pages unmaps them, the
            // virtual range stays valid, and the next read faults the same bytes back in from
            // the page cache. No slice into it changes.
            #[allow(unsafe_code)]
            let _ = unsafe {
                map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, range.start, len)
            };
        }
    }

    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Mapped { map, .. } => map,
            Bytes::Owned(v) => v,
            Bytes::Static(s) => s,
        }
    }

    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
