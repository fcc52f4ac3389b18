//! Source bytes: a read-only memory map for files (the archive is mapped, not copied, so a
//! 185 MB mbox costs no copy and no heap), or an owned buffer for gzip, stdin and digests.

use std::fs::File;
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

impl Bytes {
    pub fn open(path: &Path) -> std::io::Result<Bytes> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        if len < MAP_THRESHOLD {
            return std::fs::read(path).map(Bytes::Owned);
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
