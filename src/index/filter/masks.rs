//! Per-source bitmasks of the distinct strings a text term matches, kept between keystrokes.
//!
//! Typing `s:clk` asks for the titles matching `c`, then `cl`, then `clk`. Each is a subset of
//! the one before, so only the titles the previous mask holds are tested again; a term that
//! did not change (`s:clk` while `v:3` is typed after it) reuses its mask outright.

use std::sync::Arc;

use rayon::prelude::*;

use super::plan::Source;
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
}

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

    /// The mask of `m` over `source`, built or reused; `None` when the source has many more
    /// distinct strings than there are messages to check (testing per message is then cheaper).
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
        // A mask costs a test per distinct string but serves the next keystroke too (typing
        // more of the term only re-tests what it holds), so it pays up to twice the messages.
        if len > work.saturating_mul(2) && wider.is_none() {
            return None;
        }
        let words = len.div_ceil(64);
        let test = |w: usize, candidates: u64| {
            let mut bits = 0u64;
            for_each_bit(candidates, |b| {
                let id = u32::try_from(w * 64 + b).unwrap_or(NONE);
                if source.test(hay, m, id) {
                    bits |= 1 << b;
                }
            });
            bits
        };
        let bits: Vec<u64> = match wider {
            Some(wider) => wider
                .bits
                .par_iter()
                .enumerate()
                .with_min_len(64)
                .map(|(w, &c)| test(w, c))
                .collect(),
            None => (0..words)
                .into_par_iter()
                .with_min_len(64)
                .map(|w| test(w, full_word(len, w)))
                .collect(),
        };
        Some(Mask {
            source,
            mode: m.mode,
            case_sensitive: m.case_sensitive,
            needle: m.needle.clone(),
            bits: Arc::new(bits),
        })
    }
}
