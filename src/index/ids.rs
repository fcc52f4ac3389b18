//! Finding a message by its Message-ID without a second copy of every ID.
//!
//! A map from `String` to index cloned each ID (a million allocations at a million messages)
//! and hashed it with SipHash. [`IdIndex`] is a `hashbrown::HashTable` of message indices
//! instead: an entry is 4 bytes, hashed with foldhash and compared through the ID the message
//! already holds.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};
use rayon::prelude::*;

/// Message indices by Message-ID; the first message given an ID keeps it.
#[derive(Default)]
pub struct IdIndex {
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl IdIndex {
    /// An empty index with room for `count` messages.
    pub fn with_capacity(count: usize) -> IdIndex {
        IdIndex {
            table: HashTable::with_capacity(count),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// Indexes `count` messages whose IDs `id` gives; an ID seen before keeps its first index.
    pub fn build<'a>(count: usize, id: impl Fn(u32) -> &'a str + Sync) -> IdIndex {
        IdIndex::build_noting(count, id, |_, _| {})
    }

    /// [`IdIndex::build`], telling `duplicate(first, i)` of each message `i` whose ID message
    /// `first` holds already, in order. The IDs are hashed in parallel first: hashing is most
    /// of the work, and only the inserts need to be made one after another.
    pub fn build_noting<'a>(
        count: usize,
        id: impl Fn(u32) -> &'a str + Sync,
        duplicate: impl FnMut(u32, u32),
    ) -> IdIndex {
        let mut index = IdIndex::with_capacity(count);
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        let hashes: Vec<u64> = (0..count)
            .into_par_iter()
            .map(|i| index.hash(id(i)))
            .collect();
        let left = index.insert_hashes(&hashes);
        index.insert_each(&left, id, duplicate);
        index
    }

    /// The hash [`IdIndex::insert_hashes`] takes for a Message-ID.
    pub fn hash(&self, id: &str) -> u64 {
        self.hasher.hash_one(id)
    }

    /// Adds messages `0..hashes.len()` by their IDs' hashes ([`IdIndex::hash`]) alone, without
    /// reading an ID, so the messages can be moved meanwhile. A message whose hash one before
    /// it has (its ID again, nearly always) is left out: gives those, in order, for
    /// [`IdIndex::insert_each`] to settle by their IDs.
    pub fn insert_hashes(&mut self, hashes: &[u64]) -> Vec<u32> {
        let mut left = Vec::new();
        for (i, &hash) in (0u32..).zip(hashes) {
            let same = |&j: &u32| hashes.get(j as usize) == Some(&hash);
            if self.table.find(hash, same).is_some() {
                left.push(i);
                continue;
            }
            let rehash = |&j: &u32| hashes.get(j as usize).copied().unwrap_or(0);
            self.table.insert_unique(hash, i, rehash);
        }
        left
    }

    /// Adds messages `each`, in that order, by their IDs (which `id` gives for every message
    /// the index holds), telling `duplicate(first, i)` of each message `i` whose ID message
    /// `first` holds already.
    pub fn insert_each<'a>(
        &mut self,
        each: &[u32],
        id: impl Fn(u32) -> &'a str,
        mut duplicate: impl FnMut(u32, u32),
    ) {
        for &i in each {
            let key = id(i);
            let hash = self.hasher.hash_one(key);
            if let Some(&held) = self.table.find(hash, |&j| id(j) == key) {
                duplicate(held, i);
                continue;
            }
            let hasher = &self.hasher;
            self.table
                .insert_unique(hash, i, |&j| hasher.hash_one(id(j)));
        }
    }

    /// The index of the message with ID `key`.
    pub fn get<'a>(&self, key: &str, id: impl Fn(u32) -> &'a str) -> Option<u32> {
        let hash = self.hasher.hash_one(key);
        self.table.find(hash, |&j| id(j) == key).copied()
    }

    /// Gives every entry a new number, `to(old)`: for when the items were reordered. The ids
    /// must be those of the renumbered items (the hashes are kept, not recomputed).
    pub fn renumber(&mut self, to: impl Fn(u32) -> u32) {
        for i in self.table.iter_mut() {
            *i = to(*i);
        }
    }

    /// Bytes held, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.table.allocation_size()
    }
}

#[cfg(test)]
mod tests {
    use super::IdIndex;

    #[test]
    fn first_index_of_an_id_wins() {
        let ids = ["a@x", "b@x", "a@x", "c@x"];
        let id = |i: u32| ids[i as usize];
        let index = IdIndex::build(ids.len(), id);
        assert_eq!(index.get("a@x", id), Some(0));
        assert_eq!(index.get("c@x", id), Some(3));
        assert_eq!(index.get("d@x", id), None);
    }

    #[test]
    fn each_repeated_id_is_noted_against_its_first_holder_in_order() {
        let ids: Vec<String> = (0..1000).map(|i| format!("{}@x", i % 300)).collect();
        let id = |i: u32| ids[i as usize].as_str();
        let mut noted = Vec::new();
        let index = IdIndex::build_noting(ids.len(), id, |first, i| noted.push((first, i)));
        let expected: Vec<(u32, u32)> = (300..1000).map(|i| (i % 300, i)).collect();
        assert_eq!(noted, expected);
        assert_eq!(index.get("299@x", id), Some(299));
    }
}
