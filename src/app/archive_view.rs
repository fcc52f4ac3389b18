//! What the reader's state needs of a loaded archive, and nothing more.
//!
//! The index's `Archive` implements this; unit tests implement it over hand-built messages.
//! Keeping `app` to this narrow view means its logic is tested without loading mail, and the
//! heavier parts of the archive (bodies, haystacks) are only touched by effects on workers.

use crate::model::message::Message;

/// The read-only facts of an archive that list rows and sorting use.
pub trait ArchiveView: Send + Sync {
    /// How the title bar names the archive (`kvm.mbox`, `sample archive`).
    fn label(&self) -> String;
    /// Every message, in archive order; indices into this are message ids everywhere.
    fn messages(&self) -> &[Message];
    /// The series a message belongs to (a reply carries the series of the patch it answers).
    fn series_of(&self, msg: u32) -> Option<u32>;
    /// How many series the archive holds.
    fn series_count(&self) -> usize;
}
