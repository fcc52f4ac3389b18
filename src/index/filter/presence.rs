//! Which strings of a table hold which bytes: a prefilter that rules strings out a word of 64
//! at a time, before any of them is read.
//!
//! A term's first letter over a million titles used to read every title: `v` is in 80% of
//! them, so nothing could be skipped, and 30-80 ns a title made the first key the slowest.
//! Every match of a term (fuzzy, substring, prefix, suffix or exact) holds each of the term's
//! bytes, so a string lacking one of them cannot match. [`Presence`] keeps, for each 64
//! strings, one word per byte class ([`byte_class`]: each letter and digit its own, other
//! bytes sharing the rest) saying which of them hold a byte of that class; the words a term
//! needs are ANDed, and only the strings left are tested. For a one-letter term matched
//! ignoring case that AND is the answer itself, and no string needs reading (a fuzzy one
//! still reads those holding its letter, for where its match ends; see `masks`).
//!
//! Classes are taken over the folded text. A term's ASCII byte in the text as written is, lower
//! cased, in the folded text at the same place, so the classes of its lower-cased ASCII bytes
//! are needed whichever text the term is matched against; its other bytes are not used.

use rayon::prelude::*;

use super::skim_score::byte_class;
use crate::index::matcher::TextMatcher;
use crate::index::query::Mode;

/// Byte classes: one bit of a `u64` each.
const CLASSES: usize = 64;

/// For every 64 strings of a table (a word), which of them hold each byte class.
#[derive(Debug, Default)]
pub(crate) struct Presence {
    /// Word `w`'s class `c` at `w * CLASSES + c`: the bits of the strings `64 w ..` holding a
    /// byte of class `c`. The classes of a word sit together, so a term's few classes are read
    /// from one small block per word.
    sets: Vec<u64>,
}

/// The byte classes a term's matches hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Needs {
    classes: Vec<u8>,
    /// The classes alone decide the match: a one-letter or one-digit term matching anywhere
    /// in the folded text.
    pub(crate) exact: bool,
    /// A string passing holds the fuzzy term's rarest byte ([`TextMatcher::rare_byte`]): its
    /// class is a letter's or digit's, and the term ignores case.
    pub(crate) holds_rare: bool,
}

impl Presence {
    /// The presence of every byte class in each string of a table, given each string's
    /// classes as bits (string `i`'s at `classes[i]`, as [`Shape::of`](super::skim_score::Shape::of) gives them while it
    /// walks the string for its shape), in parallel.
    pub(crate) fn of_classes(classes: &[u64]) -> Presence {
        let mut sets = vec![0u64; classes.len().div_ceil(64) * CLASSES];
        sets.par_chunks_mut(CLASSES)
            .zip(classes.par_chunks(64))
            .with_min_len(64)
            .for_each(|(words, held)| {
                for (b, &held) in held.iter().enumerate() {
                    let mut rest = held;
                    while rest != 0 {
                        let c = rest.trailing_zeros() as usize;
                        if let Some(word) = words.get_mut(c) {
                            *word |= 1 << b;
                        }
                        rest &= rest - 1;
                    }
                }
            });
        Presence { sets }
    }

    /// Bytes on the heap, for memory accounting.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.sets.capacity() * size_of::<u64>()
    }

    /// Of the strings `64 w ..`, those holding every class `needs` asks for (all the strings
    /// of the word when it asks for none).
    #[inline]
    pub(crate) fn word(&self, needs: &Needs, w: usize) -> u64 {
        let block = self.sets.get(w * CLASSES..(w + 1) * CLASSES).unwrap_or(&[]);
        needs.classes.iter().fold(u64::MAX, |word, &c| {
            word & block.get(usize::from(c)).copied().unwrap_or(0)
        })
    }
}

impl Needs {
    /// The classes every match of `m` holds.
    pub(crate) fn of(m: &TextMatcher) -> Needs {
        let mut seen = 0u64;
        let mut classes = Vec::new();
        for b in m.needle.bytes().filter(u8::is_ascii) {
            let c = byte_class(b.to_ascii_lowercase());
            if seen & 1 << c == 0 {
                seen |= 1 << c;
                classes.push(u8::try_from(c).unwrap_or(0));
            }
        }
        let exact = match *m.needle.as_bytes() {
            [b] => {
                !m.case_sensitive
                    && b.is_ascii_alphanumeric()
                    && matches!(m.mode, Mode::Fuzzy | Mode::Substring)
            }
            _ => false,
        };
        let holds_rare =
            !m.case_sensitive && m.rare_byte().is_some_and(|b| b.is_ascii_alphanumeric());
        Needs {
            classes,
            exact,
            holds_rare,
        }
    }

    /// Whether the classes say anything: a term with no ASCII byte needs none.
    pub(crate) fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::filter::skim_score::Shape;
    use crate::index::table::Interner;

    /// The presence of the folded `texts`, as the haystacks build it.
    fn presence(texts: &[&str]) -> Presence {
        let mut interner = Interner::new();
        for text in texts {
            interner.intern(*text, |k, out| out.push_str(k));
        }
        let table = interner.finish();
        let classes: Vec<u64> = (0..texts.len())
            .map(|id| Shape::of(table.folded(id as u32)).1)
            .collect();
        Presence::of_classes(&classes)
    }

    fn passing(presence: &Presence, len: usize, needs: &Needs) -> Vec<usize> {
        let mut out = Vec::new();
        for w in 0..len.div_ceil(64) {
            let word = presence.word(needs, w) & crate::index::bits::full_word(len, w);
            crate::index::bits::for_each_bit(word, |b| out.push(w * 64 + b));
        }
        out
    }

    #[test]
    fn a_letter_term_is_decided_by_presence_alone() {
        let titles = ["clk: qcom: gdsc", "Vetter PFN", "", "ünïcode vé", "x86/mm"];
        let presence = presence(&titles);
        let m = |t: &str, mode| TextMatcher::new(t, mode).unwrap();
        let v = Needs::of(&m("v", Mode::Fuzzy));
        assert!(v.exact);
        assert_eq!(passing(&presence, titles.len(), &v), [1, 3]);
        assert!(!Needs::of(&m("V", Mode::Fuzzy)).exact, "case-sensitive");
        assert!(!Needs::of(&m("v", Mode::Prefix)).exact);
        assert!(!Needs::of(&m("-", Mode::Fuzzy)).exact, "classes shared");
        assert!(!Needs::of(&m("vp", Mode::Fuzzy)).exact);
        let x86 = Needs::of(&m("x8/", Mode::Substring));
        assert_eq!(passing(&presence, titles.len(), &x86), [4]);
        let none = Needs::of(&m("ß", Mode::Fuzzy));
        assert!(none.is_empty());
        assert_eq!(passing(&presence, titles.len(), &none), [0, 1, 2, 3, 4]);
    }
}
