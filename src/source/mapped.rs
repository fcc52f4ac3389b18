//! Source bytes: a read-only memory map for files (the archive is mapped, not copied, so a
//! 185 MB mbox costs no copy and no heap), or an owned buffer for gzip, stdin, pipes and
//! digests.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

/// Files smaller than this are read into memory: a map per small Maildir file costs more than
/// the copy.
const MAP_THRESHOLD: u64 = 256 * 1024;

#[derive(Debug)]
pub enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
    Static(&'static [u8]),
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
    /// Opens `path` once and reads it: a regular file is mapped (or read, when small), a pipe
    /// is read to its end; anything else is refused.
    pub fn open(path: &Path) -> Result<Bytes, OpenError> {
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
        if len < MAP_THRESHOLD {
            let mut buf = Vec::with_capacity(len as usize);
            file.read_to_end(&mut buf)?;
            return Ok(Bytes::Owned(buf));
        }
        // SAFETY: the map is read-only and private to this process. patchdeck never writes its
        // inputs; another process truncating the file while it is open is the one case that
        // can fault (SIGBUS), the same trade ripgrep and every mmap-based reader make.
        // `populate` maps every page up front, in one pass in the kernel: an archive is read
        // whole at load, and 45,000 separate page faults cost more than that.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::MmapOptions::new().populate().map(&file)? };
        Ok(Bytes::Mapped(map))
    }

    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Mapped(map) => map,
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
