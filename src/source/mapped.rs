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

/// How much of a mapped file one read-ahead request covers: the kernel reads at most its
/// read-ahead window (typically 128 KiB to 8 MiB) per request, so the file is asked for in steps.
const READ_AHEAD_STEP: usize = 8 << 20;

/// Asks the kernel to bring every page of `map` that is not in the page cache in from the disk
/// now, in the background, rather than page fault by page fault as loading reaches it.
///
/// A file read a while ago may have been paged out in part (a machine under memory pressure,
/// or one that reclaims cold page cache). Reading its missing pages a fault at a time is a
/// sequential read, one request in flight per thread; asked for all at once, the device gets a
/// deep queue. On this project's VM a fully evicted 795 MB mbox comes back in 0.5 s this way
/// against 4-6 s read in order. Pages already cached cost a lookup: about 5-15 ms for that file.
///
/// A file bigger than half the memory the system has available is left to be read as it is
/// reached: read ahead whole, its first pages would be evicted to make room for its last ones
/// before loading got to them.
fn read_ahead(map: &memmap2::Mmap) {
    if available_memory().is_some_and(|bytes| map.len() as u64 > bytes / 2) {
        return;
    }
    let mut start = 0;
    while start < map.len() {
        let len = READ_AHEAD_STEP.min(map.len() - start);
        // A hint: an error (an old kernel, a file system without read-ahead) changes nothing.
        let _ = map.advise_range(memmap2::Advice::WillNeed, start, len);
        start += len;
    }
}

/// `MemAvailable` from `/proc/meminfo`, in bytes: memory the system can give without swapping,
/// page cache it could drop included. `None` where there is no such file.
fn available_memory() -> Option<u64> {
    mem_available(&std::fs::read_to_string("/proc/meminfo").ok()?)
}

/// The `MemAvailable:` line of a `/proc/meminfo` text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line
        .trim_start_matches("MemAvailable:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kib.checked_mul(1024)
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
        read_ahead(&map);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn available_memory_is_read_from_meminfo() {
        let info = "MemTotal:       24684172 kB\nMemFree:        20623544 kB\nMemAvailable:   23899868 kB\nBuffers:          123 kB\n";
        assert_eq!(mem_available(info), Some(23_899_868 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
        assert_eq!(mem_available("MemAvailable: lots kB\n"), None);
        // This machine's own, read as loading reads it.
        if cfg!(target_os = "linux") {
            assert!(available_memory().is_some_and(|bytes| bytes > 0));
        }
    }

    #[test]
    fn a_mapped_file_reads_the_same_after_read_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.mbox");
        let body: Vec<u8> = (0..(READ_AHEAD_STEP + 4096 * 3))
            .map(|i| (i % 251) as u8)
            .collect();
        std::fs::write(&path, &body).unwrap();
        let bytes = Bytes::open(&path, ReadMode::MapLarge).unwrap();
        assert!(matches!(bytes, Bytes::Mapped { .. }));
        assert_eq!(bytes.as_slice(), body.as_slice());
    }
}
