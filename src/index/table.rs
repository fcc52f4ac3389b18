//! Interned strings for the search haystacks: each distinct text stored once, folded and original.
//!
//! Mailing-list text repeats a lot: every reply carries its patch's title, a few thousand people
//! write all the mail, paths and trailers recur. A [`StringTable`] keeps each distinct string once
//! in one contiguous buffer (no `String` per entry), and documents refer to it by a `u32` id. The
//! filter can then test a term once per distinct string instead of once per message.

use std::hash::{Hash, Hasher};

use hashbrown::HashMap;
use hashbrown::hash_map::Entry;

use super::fold::fold_into;

/// Distinct strings, each in folded form (for case-insensitive search) and, when that differs,
/// as written (for smart-case terms holding an uppercase letter and for highlighting).
#[derive(Debug, Default)]
pub struct StringTable {
    folded: String,
    folded_ends: Vec<usize>,
    original: String,
    /// An empty original range means "same as the folded text".
    original_ends: Vec<usize>,
}

impl StringTable {
    pub fn len(&self) -> usize {
        self.folded_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.folded_ends.is_empty()
    }

    /// The folded text of entry `id` (empty for an unknown id).
    pub fn folded(&self, id: u32) -> &str {
        let i = id as usize;
        let start = match i.checked_sub(1) {
            Some(p) => self.folded_ends.get(p).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.folded_ends.get(i).copied().unwrap_or(start);
        self.folded.get(start..end).unwrap_or("")
    }

    /// The text of entry `id` as written.
    pub fn original(&self, id: u32) -> &str {
        let i = id as usize;
        let start = match i.checked_sub(1) {
            Some(p) => self.original_ends.get(p).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.original_ends.get(i).copied().unwrap_or(start);
        match self.original.get(start..end) {
            Some(text) if !text.is_empty() => text,
            _ => self.folded(id),
        }
    }

    /// The entry's text the way a term looks at it: as written for case-sensitive terms.
    pub fn text(&self, id: u32, case_sensitive: bool) -> &str {
        if case_sensitive {
            self.original(id)
        } else {
            self.folded(id)
        }
    }

    /// Adds an entry whose text `write` appends (to the originals, where it stays only when
    /// folding changes it: no scratch copy).
    fn push_with(&mut self, write: impl FnOnce(&mut String)) {
        let start = self.original.len();
        write(&mut self.original);
        let text = self.original.get(start..).unwrap_or("");
        let before = self.folded.len();
        fold_into(text, &mut self.folded);
        if self.folded.get(before..) == Some(text) {
            self.original.truncate(start);
        }
        self.folded_ends.push(self.folded.len());
        self.original_ends.push(self.original.len());
    }

    /// Bytes held, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.folded.capacity()
            + self.original.capacity()
            + (self.folded_ends.capacity() + self.original_ends.capacity()) * size_of::<usize>()
    }

    fn shrink(&mut self) {
        self.folded.shrink_to_fit();
        self.original.shrink_to_fit();
        self.folded_ends.shrink_to_fit();
        self.original_ends.shrink_to_fit();
    }
}

/// Builds a [`StringTable`] from keys borrowed from the documents, giving each key its id.
pub struct Interner<K> {
    /// foldhash (hashbrown's default), sixteen bytes a step: titles run to ~80 bytes.
    ids: HashMap<K, u32>,
    table: StringTable,
}

impl<K: Hash + Eq + Copy> Interner<K> {
    pub fn new() -> Self {
        Interner {
            ids: HashMap::default(),
            table: StringTable::default(),
        }
    }

    /// The id of `key`, adding it (with the text `write` gives) when new. Ids run past
    /// `u32::MAX` only with four billion distinct strings, which memory rules out first; they
    /// saturate rather than wrap.
    pub fn intern(&mut self, key: K, write: impl FnOnce(K, &mut String)) -> u32 {
        // One hash whether the key is new or not.
        match self.ids.entry(key) {
            Entry::Occupied(known) => *known.get(),
            Entry::Vacant(new) => {
                let id = u32::try_from(self.table.len()).unwrap_or(u32::MAX);
                self.table.push_with(|out| write(key, out));
                new.insert(id);
                id
            }
        }
    }

    /// How many distinct keys so far.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    pub fn finish(mut self) -> StringTable {
        self.table.shrink();
        self.table
    }
}

impl<K: Hash + Eq + Copy> Default for Interner<K> {
    fn default() -> Self {
        Self::new()
    }
}

/// The multiply-rotate hash rustc uses (FxHash): keys here are short strings from one trusted
/// build pass, where SipHash's flooding resistance only costs time.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word.get_mut(..rest.len())
                .into_iter()
                .for_each(|w| w.copy_from_slice(rest));
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_gives_one_id_per_distinct_text() {
        let mut interner = Interner::new();
        let w = |k: &str, out: &mut String| out.push_str(k);
        let a = interner.intern("Daniel Vetter", w);
        let b = interner.intern("jgg@ziepe.ca", w);
        let c = interner.intern("Daniel Vetter", w);
        assert_eq!((a, b, c), (0, 1, 0));
        let table = interner.finish();
        assert_eq!(table.len(), 2);
        assert_eq!(table.folded(0), "daniel vetter");
        assert_eq!(table.original(0), "Daniel Vetter");
        assert_eq!(table.folded(1), "jgg@ziepe.ca");
        assert_eq!(table.original(1), "jgg@ziepe.ca");
        assert_eq!(table.text(0, true), "Daniel Vetter");
        assert_eq!(table.folded(7), "");
        assert_eq!(table.original(7), "");
    }

    #[test]
    fn empty_strings_are_entries_too() {
        let mut interner = Interner::new();
        let w = |k: &str, out: &mut String| out.push_str(k);
        assert_eq!(interner.intern("", w), 0);
        assert_eq!(interner.intern("Ü", w), 1);
        let table = interner.finish();
        assert_eq!(table.folded(0), "");
        assert_eq!(table.original(1), "Ü");
        assert_eq!(table.folded(1), "u");
    }

    #[test]
    fn hash_tells_tails_apart() {
        let h = |s: &str| {
            let mut f = FxHasher::default();
            f.write(s.as_bytes());
            f.finish()
        };
        assert_ne!(h("a"), h("a\0"));
        assert_ne!(h("abcdefgh1"), h("abcdefgh2"));
    }
}
