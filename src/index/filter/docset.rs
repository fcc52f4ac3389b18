//! A set of messages as one bit per message.
//!
//! A run of the filter reads its candidates from one and writes its matches into another, each
//! parallel task owning a disjoint range of words: no locks, no allocation per task, no
//! concatenation of partial results. A million messages take 125 KB, so the engine can keep the
//! last matches around for narrowing at no real cost; the list of indices the caller gets is
//! made once at the end, in parallel.

use rayon::prelude::*;

use crate::index::bits::{self, for_each_bit};

/// Words handled by one parallel task: 8,192 messages.
pub(super) const TASK_WORDS: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DocSet {
    pub(super) words: Vec<u64>,
    len: usize,
}

impl DocSet {
    /// No message of `len`.
    pub(super) fn empty(len: usize) -> DocSet {
        DocSet {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// The given message indices (any order; those `>= len` are ignored).
    pub(super) fn from_indices(len: usize, docs: &[u32]) -> DocSet {
        let mut set = DocSet::empty(len);
        for &d in docs {
            let d = d as usize;
            if d < len {
                bits::insert(&mut set.words, d);
            }
        }
        set
    }

    /// How many messages the set is over (not how many are in it).
    pub(super) fn universe(&self) -> usize {
        self.len
    }

    pub(super) fn count(&self) -> usize {
        self.words.par_iter().map(|w| w.count_ones() as usize).sum()
    }

    pub(super) fn insert(&mut self, doc: u32) {
        if (doc as usize) < self.len {
            bits::insert(&mut self.words, doc as usize);
        }
    }

    /// The messages in the set, ascending.
    pub(super) fn to_vec(&self) -> Vec<u32> {
        let chunks: Vec<&[u64]> = self.words.chunks(TASK_WORDS).collect();
        let counts: Vec<usize> = chunks
            .par_iter()
            .map(|c| c.iter().map(|w| w.count_ones() as usize).sum())
            .collect();
        let mut out = vec![0u32; counts.iter().sum()];
        let mut slices = Vec::with_capacity(chunks.len());
        let mut rest = out.as_mut_slice();
        for &n in &counts {
            let (head, tail) = rest.split_at_mut(n.min(rest.len()));
            slices.push(head);
            rest = tail;
        }
        chunks
            .into_par_iter()
            .zip(slices)
            .enumerate()
            .for_each(|(t, (words, slots))| {
                let mut slots = slots.iter_mut();
                for (i, &word) in words.iter().enumerate() {
                    let base = (t * TASK_WORDS + i) * 64;
                    for_each_bit(word, |b| {
                        if let (Some(slot), Ok(doc)) = (slots.next(), u32::try_from(base + b)) {
                            *slot = doc;
                        }
                    });
                }
            });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_indices() {
        let docs: Vec<u32> = (0..20_000).filter(|d| d % 3 == 0 || d % 7 == 1).collect();
        let set = DocSet::from_indices(20_000, &docs);
        assert_eq!(set.count(), docs.len());
        assert_eq!(set.to_vec(), docs);
        assert_eq!(DocSet::from_indices(5, &[9, 4, 4]).to_vec(), vec![4]);
        assert!(DocSet::empty(0).to_vec().is_empty());
    }

    #[test]
    fn inserting() {
        let mut set = DocSet::from_indices(100, &[1, 99]);
        set.insert(64);
        set.insert(500);
        assert_eq!(set.to_vec(), vec![1, 64, 99]);
    }
}
