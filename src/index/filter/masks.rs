//! Per-source bitmasks of the distinct strings a text term matches, kept between keystrokes.
//!
//! Typing `s:clk` asks for the titles matching `c`, then `cl`, then `clk`. Each is a subset of
//! the one before, so only the titles the previous mask holds are tested again, and for a
//! fuzzy term on a source of one string per entry (titles, series titles, paths...) the mask
//! remembers where each match ended, so the next keystroke looks only for the chars typed
//! since, from there. A term that did not change (`s:clk` while `v:3` is typed after it)
//! reuses its mask outright.

use std::sync::Arc;

use rayon::prelude::*;

use super::plan::Source;
use super::presence::Needs;
use crate::index::bits::{for_each_bit, full_word};
use crate::index::haystack::{Haystacks, NONE};
use crate::index::matcher::TextMatcher;
use crate::index::query::Mode;

/// Which strings of which source matched which term.
#[derive(Clone)]
pub(super) struct Mask {
    source: Source,
    mode: Mode,
    case_sensitive: bool,
    needle: String,
    pub(super) bits: Arc<Vec<u64>>,
    /// For a fuzzy term on a one-string source: where each matching entry's match ends
    /// ([`UNKNOWN_END`] past what a `u16` holds).
    ends: Option<Arc<Vec<u16>>>,
}

/// The end of a match that is not remembered: the next keystroke tests that entry whole.
const UNKNOWN_END: u16 = u16::MAX;

impl Mask {
    /// Whether every string matching `m` on `source` is in this mask.
    fn covers(&self, source: Source, m: &TextMatcher) -> bool {
        self.source == source
            && self.mode == m.mode
            && matches!(m.mode, Mode::Fuzzy | Mode::Substring | Mode::Prefix)
            && (self.case_sensitive == m.case_sensitive || m.case_sensitive)
            && covers_needle(&self.needle, self.case_sensitive, m)
    }

    fn is_for(&self, source: Source, m: &TextMatcher) -> bool {
        self.source == source
            && self.mode == m.mode
            && self.case_sensitive == m.case_sensitive
            && self.needle == m.needle
    }
}

/// A case-sensitive term extends a folded one when its folded form does.
fn covers_needle(old: &str, old_case_sensitive: bool, m: &TextMatcher) -> bool {
    if old_case_sensitive || !m.case_sensitive {
        m.needle.starts_with(old)
    } else {
        crate::index::fold::fold(&m.needle).starts_with(old)
    }
}

/// The masks of the last run, for the haystacks they were built on.
#[derive(Default)]
pub(super) struct MaskCache {
    haystacks: u64,
    masks: Vec<Mask>,
}

impl MaskCache {
    pub(super) fn new(haystacks: u64, masks: Vec<Mask>) -> MaskCache {
        MaskCache { haystacks, masks }
    }

    /// The mask of `m` over `source`, built or reused; `None` when many more of the source's
    /// distinct strings are left to test than there are messages to check (testing per
    /// message is then cheaper).
    pub(super) fn mask(
        &self,
        hay: &Haystacks,
        source: Source,
        m: &TextMatcher,
        work: usize,
    ) -> Option<Mask> {
        let len = source.len(hay);
        let valid = self.haystacks == hay.id();
        if let Some(same) = self.masks.iter().find(|k| valid && k.is_for(source, m)) {
            return Some(same.clone());
        }
        let wider = self.masks.iter().find(|k| valid && k.covers(source, m));
        // Strings lacking a byte of the term are ruled out 64 at a time before any is read;
        // for a one-letter term that is the whole answer.
        let presence = source
            .presence(hay)
            .map(|p| (p, Needs::of(m)))
            .filter(|(_, needs)| !needs.is_empty());
        let candidates = |w: usize| {
            let word = match wider {
                Some(wider) => wider.bits.get(w).copied().unwrap_or(0),
                None => full_word(len, w),
            };
            match &presence {
                Some((p, needs)) if word != 0 => word & p.word(needs, w),
                _ => word,
            }
        };
        let words = len.div_ceil(64);
        let candidates: Vec<u64> = (0..words)
            .into_par_iter()
            .with_min_len(1024)
            .map(&candidates)
            .collect();
        // A fuzzy term on a one-string source remembers its ends; one that extends a term
        // whose ends are known (and looks at the same text) resumes from them.
        let tracks_ends = m.mode == Mode::Fuzzy && source.table(hay).is_some();
        // A one-letter term is answered by presence alone when no ends are wanted. A fuzzy
        // one still reads the strings holding its letter, for their ends: without them the
        // next keystroke would look for both letters in each, which costs it what this one
        // saved, and makes it the slow key instead.
        if !tracks_ends && presence.as_ref().is_some_and(|(_, needs)| needs.exact) {
            return Some(Mask {
                source,
                mode: m.mode,
                case_sensitive: m.case_sensitive,
                needle: m.needle.clone(),
                bits: Arc::new(candidates),
                ends: None,
            });
        }
        let resume = wider
            .filter(|w| tracks_ends && w.case_sensitive == m.case_sensitive)
            .and_then(|w| Some((w.needle.len(), w.ends.as_deref()?)));
        // A mask costs a test per string left but serves the next keystroke too (typing more
        // of the term only re-tests what it holds, from where each match ended) and tests the
        // strings in order, which costs a fraction of testing them in the order messages
        // refer to them, so it pays up to three times the messages, and always when it
        // resumes from the last keystroke's.
        let left = || {
            candidates
                .iter()
                .map(|w| w.count_ones() as usize)
                .sum::<usize>()
        };
        if resume.is_none() && left() > work.saturating_mul(3) {
            return None;
        }
        let holds_rare = presence.as_ref().is_some_and(|(_, n)| n.holds_rare);
        let test = |w: usize, candidates: u64, mut ends: Option<&mut [u16]>| {
            let mut bits = 0u64;
            for_each_bit(candidates, |b| {
                let id = u32::try_from(w * 64 + b).unwrap_or(NONE);
                let matched = match (source.single_text(hay, id, m.case_sensitive), &mut ends) {
                    (Some(text), Some(ends)) => {
                        let from = resume.and_then(|(len, wider)| {
                            let end = *wider.get(id as usize)?;
                            (end != UNKNOWN_END).then_some((len, end))
                        });
                        let end = match from {
                            Some((len, end)) => m.resume(text, len, usize::from(end)),
                            None if holds_rare => m.fuzzy_end_holding_rare(text),
                            None => m.fuzzy_end(text),
                        };
                        if let (Some(end), Some(slot)) = (end, ends.get_mut(b)) {
                            *slot = u16::try_from(end).unwrap_or(UNKNOWN_END);
                        }
                        end.is_some()
                    }
                    _ => source.test(hay, m, id),
                };
                if matched {
                    bits |= 1 << b;
                }
            });
            bits
        };
        let mut ends = vec![UNKNOWN_END; if tracks_ends { len } else { 0 }];
        let bits: Vec<u64> = if tracks_ends {
            ends.par_chunks_mut(64)
                .enumerate()
                .with_min_len(64)
                .map(|(w, ends)| test(w, candidates.get(w).copied().unwrap_or(0), Some(ends)))
                .collect()
        } else {
            (0..words)
                .into_par_iter()
                .with_min_len(64)
                .map(|w| test(w, candidates.get(w).copied().unwrap_or(0), None))
                .collect()
        };
        Some(Mask {
            source,
            mode: m.mode,
            case_sensitive: m.case_sensitive,
            needle: m.needle.clone(),
            bits: Arc::new(bits),
            ends: tracks_ends.then(|| Arc::new(ends)),
        })
    }
}
