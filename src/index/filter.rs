//! The filter engine: runs a [`Query`] over the [`Haystacks`] of an archive, in parallel,
//! cancellably, and incrementally while a query is being typed.
//!
//! One synchronous call, [`Engine::run`], serves both the CLI (`list -q`) and the TUI's worker
//! thread. The engine remembers the last completed query and its matches; when the next query
//! only narrows it (see [`Ast::narrows`]: typing more of the last term, adding a term), just the
//! previous matches are checked again. A run watches a generation counter and gives up, returning
//! `None`, once a newer keystroke has bumped it; results carry their generation so a stale one
//! is dropped. `body:` terms are checked last, only on messages every other term let through,
//! reading bodies through a [`BodySource`] and reporting progress.

mod plan;
mod rank;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

pub use plan::Query;
use plan::{Plan, Verdict};

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
    /// Only these messages (ascending indices) are considered; `None` means all.
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
}

struct LastRun {
    haystacks: u64,
    ast: Ast,
    /// Ascending.
    matches: Vec<u32>,
}

/// Messages checked per parallel task: large enough to amortise scheduling, small enough that
/// cancellation is noticed within a fraction of a millisecond.
const CHUNK: usize = 8192;
/// Marks a message that passed every check but a body one (indices stay below 2^31).
const NEEDS_BODY: u32 = 1 << 31;

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Forgets the remembered run, so the next one checks every message.
    pub fn forget(&mut self) {
        self.last = None;
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
                && query.ast().narrows(&last.ast)
        });
        let sorted_candidates;
        let base: Option<&[u32]> = match (narrowing, options.candidates) {
            (Some(last), _) => Some(&last.matches),
            (None, Some(c)) if c.is_sorted() => Some(c),
            (None, Some(c)) => {
                let mut c = c.to_vec();
                c.sort_unstable();
                c.dedup();
                sorted_candidates = c;
                Some(&sorted_candidates)
            }
            (None, None) => None,
        };
        let matched = self.match_all(hay, query, base, options);
        let Some(matched) = matched else {
            self.last = previous;
            return None;
        };
        let docs = match options.order {
            Order::Archive => matched.clone(),
            Order::Score => match rank::rank(hay, query, &matched, cancel) {
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

    /// The matching messages among `base` (all when `None`), ascending.
    fn match_all(
        &self,
        hay: &Haystacks,
        query: &Query,
        base: Option<&[u32]>,
        options: &RunOptions<'_>,
    ) -> Option<Vec<u32>> {
        let cancel = options.cancel.as_ref();
        let superseded = || cancel.is_some_and(Cancel::is_superseded);
        let n = hay.len();
        if query.is_empty() {
            return Some(base.map_or_else(
                || (0..n).filter_map(|d| u32::try_from(d).ok()).collect(),
                <[u32]>::to_vec,
            ));
        }
        let work = base.map_or(n, <[u32]>::len);
        let plan = Plan::new(hay, query, work);
        if superseded() {
            return None;
        }
        let check = |doc: u32, out: &mut Vec<u32>| match plan.verdict(doc as usize) {
            Verdict::No => {}
            Verdict::Yes => out.push(doc),
            Verdict::NeedsBody => out.push(doc | NEEDS_BODY),
        };
        let chunks: Option<Vec<Vec<u32>>> = match base {
            Some(docs) => docs
                .par_chunks(CHUNK)
                .map(|chunk| {
                    if superseded() {
                        return None;
                    }
                    let mut out = Vec::new();
                    chunk.iter().for_each(|&d| check(d, &mut out));
                    Some(out)
                })
                .collect(),
            None => (0..n.div_ceil(CHUNK))
                .into_par_iter()
                .map(|c| {
                    if superseded() {
                        return None;
                    }
                    let mut out = Vec::new();
                    let end = n.min((c + 1) * CHUNK);
                    (c * CHUNK..end)
                        .filter_map(|d| u32::try_from(d).ok())
                        .for_each(|d| check(d, &mut out));
                    Some(out)
                })
                .collect(),
        };
        let found = chunks?.concat();
        if query.reads_bodies() {
            read_bodies(&plan, found, options)
        } else {
            Some(found)
        }
    }
}

/// Decides the messages marked [`NEEDS_BODY`] by reading their bodies.
fn read_bodies(plan: &Plan<'_>, found: Vec<u32>, options: &RunOptions<'_>) -> Option<Vec<u32>> {
    let cancel = options.cancel.as_ref();
    let total = found.iter().filter(|&&d| d & NEEDS_BODY != 0).count();
    if total == 0 {
        return Some(found);
    }
    let done = AtomicUsize::new(0);
    let chunks: Option<Vec<Vec<u32>>> = found
        .par_chunks(64)
        .map_init(String::new, |folded, chunk| {
            if cancel.is_some_and(Cancel::is_superseded) {
                return None;
            }
            let mut out = Vec::new();
            let mut read = 0;
            for &entry in chunk {
                if entry & NEEDS_BODY == 0 {
                    out.push(entry);
                    continue;
                }
                let doc = entry & !NEEDS_BODY;
                let body = options.bodies.and_then(|b| b.body(doc)).unwrap_or_default();
                folded.clear();
                fold_into(&body, folded);
                if plan.holds_with_body(doc as usize, folded, &body) {
                    out.push(doc);
                }
                read += 1;
            }
            if read > 0 {
                let now = done.fetch_add(read, Ordering::Relaxed) + read;
                if let Some(progress) = options.progress {
                    progress(BodyProgress { done: now, total });
                }
            }
            Some(out)
        })
        .collect();
    Some(chunks?.concat())
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
