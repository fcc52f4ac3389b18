//! The patch model: pure data parsed from mail, with no terminal types.
//!
//! A [`message::Message`] is what the list needs of one mail, read cheaply at load; its
//! [`patch::PatchBody`] (commit message, trailers, changelog, diffstat, diff) is parsed from
//! the decoded body text on demand.

pub mod date;
pub mod diff;
pub mod interdiff;
pub mod message;
pub mod mime;
pub mod patch;
pub mod subject;
pub mod trailer;
pub mod version_links;
pub mod worddiff;

/// Feeds `bytes` to `state` lower-cased (ASCII only), a chunk at a time: for the hash of a key
/// compared with `eq_ignore_ascii_case`. A hasher call per byte cost more than the grouping
/// or merging the hash served.
pub fn hash_ascii_caseless<H: std::hash::Hasher>(bytes: &[u8], state: &mut H) {
    let mut chunk = [0u8; 64];
    for part in bytes.chunks(chunk.len()) {
        let folded = &mut chunk[..part.len()];
        folded.copy_from_slice(part);
        folded.make_ascii_lowercase();
        state.write(folded);
    }
}
