//! The filter engine: runs a [`Query`] over the [`Haystacks`] of an archive, in parallel,
//! cancellably, and incrementally while a query is being typed.
//!
//! One synchronous call, [`Engine::run`], serves both the CLI (`list -q`) and the TUI's worker
//! thread. The engine remembers the last completed query and its matches; when the next query
//! only narrows it (see [`Ast::narrows`]: typing more of the last term, adding a term), just the
//! previous matches are checked again; it also keeps the last keystroke's masks of matching
//! strings and memoised scores. A run watches a generation counter and gives up, returning
//! `None`, once a newer keystroke has bumped it; results carry their generation so a stale one
//! is dropped. `body:` terms are checked last, only on messages every other term let through,
//! reading bodies through a [`BodySource`] and reporting progress.

mod docset;
mod eval;
mod masks;
mod plan;
mod presence;
mod rank;
mod skim_score;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use docset::{DocSet, TASK_WORDS};
use eval::Plan;
use masks::MaskCache;
pub use plan::Query;
pub(crate) use presence::Presence;
pub use rank::First;
pub(crate) use skim_score::Shape;

use super::bits::full_word;
use super::fold::fold_into;
use super::haystack::Haystacks;
use super::query::{Ast, QueryError};

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Archive order (chronological): ascending message index.
    #[default]
    Archive,
    /// Best fuzzy score first; equal scores newer first.
    Score,
}

/// A run's place in the stream of keystrokes: the run stops once `current` moves past
/// `generation`.
#[derive(Debug, Clone, Copy)]
pub struct Cancel<'a> {
    pub current: &'a AtomicU64,
    pub generation: u64,
}

impl Cancel<'_> {
    pub fn is_superseded(&self) -> bool {
        self.current.load(Ordering::Relaxed) != self.generation
    }
}

/// Gives the decoded text of a message's body, on demand (for `body:` terms). `None` reads as
/// an empty body.
pub trait BodySource: Sync {
    fn body(&self, doc: u32) -> Option<String>;
}

impl<F: Fn(u32) -> Option<String> + Sync> BodySource for F {
    fn body(&self, doc: u32) -> Option<String> {
        self(doc)
    }
}

/// How far the body pass has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyProgress {
    pub done: usize,
    pub total: usize,
}

/// What a run is asked to do besides matching.
#[derive(Clone, Copy, Default)]
pub struct RunOptions<'a> {
    pub order: Order,
    /// Only these messages (indices, any order) are considered; `None` means all. A run with
    /// candidates is not remembered for narrowing.
    pub candidates: Option<&'a [u32]>,
    pub cancel: Option<Cancel<'a>>,
    /// Message bodies for `body:` terms; without it every body reads as empty.
    pub bodies: Option<&'a dyn BodySource>,
    /// Called from worker threads while bodies are read.
    pub progress: Option<&'a (dyn Fn(BodyProgress) + Sync)>,
}

/// The messages a query matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matches {
    /// The generation of the run (0 without a [`Cancel`]).
    pub generation: u64,
    pub order: Order,
    /// Message indices in `order`.
    pub docs: Vec<u32>,
    /// True when only the previous query's matches were checked.
    pub narrowed: bool,
}

/// The filter engine. Keep one per filter bar: it remembers the last completed run.
#[derive(Default)]
pub struct Engine {
    last: Option<LastRun>,
    masks: MaskCache,
    scores: rank::MemoCache,
}

struct LastRun {
    haystacks: u64,
    ast: Ast,
    matches: DocSet,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Forgets the remembered run, so the next one checks every message.
    pub fn forget(&mut self) {
        self.last = None;
        self.masks = MaskCache::default();
        self.scores = rank::MemoCache::default();
    }

    /// Runs `query` over `hay`. `None` when cancelled (the remembered run is kept then).
    pub fn run(
        &mut self,
        hay: &Haystacks,
        query: &Query,
        options: &RunOptions<'_>,
    ) -> Option<Matches> {
        let cancel = options.cancel.as_ref();
        let previous = self.last.take();
        let narrowing = previous.as_ref().filter(|last| {
            options.candidates.is_none()
                && last.haystacks == hay.id()
                && last.matches.universe() == hay.len()
                && query.ast().narrows(&last.ast)
        });
        let given;
        let base = match (narrowing, options.candidates) {
            (Some(last), _) => Some(&last.matches),
            (None, Some(c)) => {
                given = DocSet::from_indices(hay.len(), c);
                Some(&given)
            }
            (None, None) => None,
        };
        let Some(matched) = match_all(hay, query, base, options, &mut self.masks) else {
            self.last = previous;
            return None;
        };
        let list = matched.to_vec();
        let docs = match options.order {
            Order::Archive => list,
            Order::Score => match rank::rank(hay, query, &list, cancel, &mut self.scores, None) {
                Some(ranked) => ranked,
                None => {
                    self.last = previous;
                    return None;
                }
            },
        };
        let narrowed = narrowing.is_some();
        self.last = options.candidates.is_none().then(|| LastRun {
            haystacks: hay.id(),
            ast: query.ast().clone(),
            matches: matched,
        });
        Some(Matches {
            generation: cancel.map_or(0, |c| c.generation),
            order: options.order,
            docs,
            narrowed,
        })
    }
}

impl Engine {
    /// Orders `matches` (ascending message indices, as a run in archive order gives them) by
    /// score for `query`, best first, newer first on ties; `None` when cancelled. The reader
    /// shows a keystroke's matches in date order first and asks for this next; with `first`,
    /// the first rows of the order are handed out before the others are scored.
    pub fn rank(
        &mut self,
        hay: &Haystacks,
        query: &Query,
        matches: &[u32],
        cancel: Option<&Cancel<'_>>,
        first: Option<First<'_>>,
    ) -> Option<Vec<u32>> {
        rank::rank(hay, query, matches, cancel, &mut self.scores, first)
    }
}

/// The matching messages among `base` (all when `None`); `None` when cancelled.
fn match_all(
    hay: &Haystacks,
    query: &Query,
    base: Option<&DocSet>,
    options: &RunOptions<'_>,
    masks: &mut MaskCache,
) -> Option<DocSet> {
    let cancel = options.cancel.as_ref();
    let superseded = || cancel.is_some_and(Cancel::is_superseded);
    let n = hay.len();
    let candidate_word = |w: usize| match base {
        Some(set) => set.words.get(w).copied().unwrap_or(0),
        None => full_word(n, w),
    };
    if query.is_empty() {
        let mut all = DocSet::empty(n);
        all.words
            .iter_mut()
            .enumerate()
            .for_each(|(w, word)| *word = candidate_word(w));
        return Some(all);
    }
    let work = base.map_or(n, DocSet::count);
    let plan = Plan::new(hay, query, work, masks);
    *masks = plan.masks();
    if superseded() {
        return None;
    }
    let mut found = DocSet::empty(n);
    let mut needs_body = DocSet::empty(n);
    let tasks = found
        .words
        .par_chunks_mut(TASK_WORDS)
        .zip(needs_body.words.par_chunks_mut(TASK_WORDS))
        .enumerate();
    let finished = tasks
        .map(|(t, (words, body))| {
            if superseded() {
                return false;
            }
            for (i, word) in words.iter_mut().enumerate() {
                let w = t * TASK_WORDS + i;
                let live = candidate_word(w);
                if live == 0 {
                    continue;
                }
                let (yes, pending) = plan.word(w, live);
                *word = yes;
                if let Some(slot) = body.get_mut(i) {
                    *slot = pending;
                }
            }
            true
        })
        .all(|done| done);
    if !finished {
        return None;
    }
    if query.reads_bodies() {
        read_bodies(&plan, &mut found, &needs_body, options)?;
    }
    Some(found)
}

/// Adds the messages of `needs_body` whose bodies satisfy the query to `found`.
fn read_bodies(
    plan: &Plan<'_>,
    found: &mut DocSet,
    needs_body: &DocSet,
    options: &RunOptions<'_>,
) -> Option<()> {
    let cancel = options.cancel.as_ref();
    let pending = needs_body.to_vec();
    let total = pending.len();
    let done = AtomicUsize::new(0);
    let kept: Option<Vec<Vec<u32>>> = pending
        .par_chunks(64)
        .map_init(String::new, |folded, chunk| {
            if cancel.is_some_and(Cancel::is_superseded) {
                return None;
            }
            let mut kept = Vec::new();
            for &doc in chunk {
                let body = options.bodies.and_then(|b| b.body(doc)).unwrap_or_default();
                folded.clear();
                fold_into(&body, folded);
                if plan.holds_with_body(doc as usize, folded, &body) {
                    kept.push(doc);
                }
            }
            let now = done.fetch_add(chunk.len(), Ordering::Relaxed) + chunk.len();
            if let Some(progress) = options.progress {
                progress(BodyProgress { done: now, total });
            }
            Some(kept)
        })
        .collect();
    for doc in kept?.into_iter().flatten() {
        found.insert(doc);
    }
    Some(())
}

/// Runs `text` once over all of `hay`: the CLI's `list -q`. Bodies as in [`RunOptions`].
pub fn filter(
    hay: &Haystacks,
    text: &str,
    order: Order,
    bodies: Option<&dyn BodySource>,
) -> Result<Vec<u32>, QueryError> {
    let query = Query::parse(text)?;
    let options = RunOptions {
        order,
        bodies,
        ..RunOptions::default()
    };
    Ok(Engine::new()
        .run(hay, &query, &options)
        .map(|m| m.docs)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests;
