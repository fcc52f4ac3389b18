//! Sort orders for a list of messages: date (the archive's own order), author, subject, series.

use crate::cli::SortKey;
use crate::index::archive::Archive;

/// Sorts message indices in place; ties keep date order.
pub fn sort(archive: &Archive, rows: &mut [u32], key: SortKey) {
    let m = |i: u32| &archive.messages[i as usize];
    match key {
        SortKey::Date => rows.sort_unstable(),
        SortKey::Author => rows.sort_by_cached_key(|&i| (m(i).author.display().to_lowercase(), i)),
        SortKey::Subject => rows.sort_by_cached_key(|&i| (m(i).subject.title.to_lowercase(), i)),
        SortKey::Series => rows.sort_by_cached_key(|&i| {
            // A series sorts at its root's date, its members by number, replies after them.
            match archive.series_of(i).and_then(|s| archive.series(s)) {
                Some(s) => (s.root, m(i).subject.number.map_or(u32::MAX, |n| n), i),
                None => (i, 0, i),
            }
        }),
    }
}
