//! What the reader's state needs of a loaded archive, and nothing more.
//!
//! The index's [`Archive`] implements this; unit tests implement it over hand-built messages.
//! Keeping `app` to this narrow view means its logic is tested without loading mail, and the
//! heavier parts of the archive (bodies, haystacks) are only touched by effects on workers.

use crate::index::archive::Archive;
use crate::index::thread::Threads;
use crate::model::message::{Kind, Message};
use crate::model::trailer::TrailerCounts;

/// The read-only facts of an archive that list rows, sorting and the title bar use.
pub trait ArchiveView: Send + Sync {
    /// Every message, in archive order; indices into this are message ids everywhere.
    fn messages(&self) -> &[Message];
    /// The series a message belongs to (a reply carries the series of the patch it answers).
    fn series_of(&self, msg: u32) -> Option<u32>;
    /// How many series the archive holds.
    fn series_count(&self) -> usize;
    /// The conversations as trees.
    fn threads(&self) -> &Threads;
    /// The first message of the version before (`forward` false) or after the series of `msg`,
    /// and that version's number.
    fn version_step(&self, msg: u32, forward: bool) -> Option<(u32, u32)> {
        let _ = (msg, forward);
        None
    }
    /// Acked/Reviewed/Tested counts of a message, those given in replies included.
    fn trailer_counts(&self, msg: u32) -> TrailerCounts {
        self.messages()
            .get(msg as usize)
            .filter(|m| m.kind != Kind::Reply)
            .map(|m| TrailerCounts::of(&m.summary.trailers))
            .unwrap_or_default()
    }
    /// What exporting `chosen` writes, for the export prompt: `10 patches of v2`.
    fn export_summary(&self, chosen: &[u32]) -> String {
        super::act::count(chosen.len(), "message")
    }
}

impl ArchiveView for Archive {
    fn messages(&self) -> &[Message] {
        &self.messages
    }

    fn series_of(&self, msg: u32) -> Option<u32> {
        Archive::series_of(self, msg)
    }

    fn series_count(&self) -> usize {
        self.series.len()
    }

    fn threads(&self) -> &Threads {
        Archive::threads(self)
    }

    fn trailer_counts(&self, msg: u32) -> TrailerCounts {
        Archive::trailer_counts(self, msg)
    }

    fn export_summary(&self, chosen: &[u32]) -> String {
        let patches = crate::export::patches_for(self, chosen);
        crate::export::select::describe(self, &patches)
    }

    fn version_step(&self, msg: u32, forward: bool) -> Option<(u32, u32)> {
        let series = Archive::series_of(self, msg)?;
        let to = self.series(Archive::version_step(self, series, forward)?)?;
        Some((to.root, to.version))
    }
}
