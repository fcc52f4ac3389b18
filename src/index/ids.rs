//! Finding a message by its Message-ID without a second copy of every ID.
//!
//! A map from `String` to index cloned each ID (a million allocations at a million messages)
//! and hashed it with SipHash. [`IdIndex`] is a `hashbrown::HashTable` of message indices
//! instead: an entry is 4 bytes, hashed with foldhash and compared through the ID the message
//! already holds.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

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
    pub fn build<'a>(count: usize, id: impl Fn(u32) -> &'a str) -> IdIndex {
        let mut index = IdIndex::with_capacity(count);
        for i in 0..u32::try_from(count).unwrap_or(u32::MAX) {
            index.insert(i, &id);
        }
        index
    }

    /// Adds message `i` under its ID; returns the index already holding that ID, if any.
    pub fn insert<'a>(&mut self, i: u32, id: &impl Fn(u32) -> &'a str) -> Option<u32> {
        let key = id(i);
        let hash = self.hasher.hash_one(key);
        if let Some(&held) = self.table.find(hash, |&j| id(j) == key) {
            return Some(held);
        }
        let hasher = &self.hasher;
        self.table
            .insert_unique(hash, i, |&j| hasher.hash_one(id(j)));
        None
    }

    /// The index of the message with ID `key`.
    pub fn get<'a>(&self, key: &str, id: impl Fn(u32) -> &'a str) -> Option<u32> {
        let hash = self.hasher.hash_one(key);
        self.table.find(hash, |&j| id(j) == key).copied()
    }

    /// Bytes held, for memory accounting.
    /// Gives every entry a new number, `to(old)`: for when the items were reordered. The ids
    /// must be those of the renumbered items (the hashes are kept, not recomputed).
    pub fn renumber(&mut self, to: impl Fn(u32) -> u32) {
        for i in self.table.iter_mut() {
            *i = to(*i);
        }
    }

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
}
