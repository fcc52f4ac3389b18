//! One run of a query: its plan ([`Plan`]) and the evaluation of 64 messages at a time.
//!
//! For each source of a text term the plan either tests every distinct string once up front
//! into a bitmask (kept between keystrokes, see `masks`), when there are fewer distinct strings
//! than messages to check, or tests a message's strings when it is reached (a narrowed query
//! re-checking a few hundred matches). Evaluation goes term by term over a word of 64 messages,
//! only for the messages still alive in it, so the dispatch on a term's kind happens once per
//! word instead of once per message, and a word whose messages all failed stops early.

use super::masks::{Mask, MaskCache};
use super::plan::{Query, Source, Test};
use crate::index::bits::{contains, for_each_bit};
use crate::index::date_range::DateRange;
use crate::index::haystack::{Haystacks, IdLists, NO_DATE, NONE};
use crate::index::matcher::TextMatcher;
use crate::index::query::Field;
use crate::model::message::Kind;

/// What one run of a query does per message.
pub(super) struct Plan<'a> {
    hay: &'a Haystacks,
    clauses: Vec<PlannedClause<'a>>,
}

struct PlannedClause<'a> {
    alternatives: Vec<PlannedTerm<'a>>,
    has_body: bool,
}

struct PlannedTerm<'a> {
    negated: bool,
    test: PlannedTest<'a>,
}

enum PlannedTest<'a> {
    Kind(Kind),
    Version(u32),
    Date(DateRange),
    Text(&'a TextMatcher, Vec<Lookup<'a>>),
    Body(&'a TextMatcher),
}

/// How one source of a text term is consulted.
struct Lookup<'a> {
    source: Source,
    refs: Refs<'a>,
    /// `None`: test the strings when a message refers to them.
    mask: Option<Mask>,
}

/// Which entries of the source a message refers to.
enum Refs<'a> {
    One(&'a [u32]),
    /// Two columns: a message matches when either entry does.
    Two(&'a [u32], &'a [u32]),
    Many(&'a IdLists),
}

impl<'a> Plan<'a> {
    /// Plans `query` for checking about `work` messages: builds the masks worth building,
    /// starting from those of the last run.
    pub(super) fn new(
        hay: &'a Haystacks,
        query: &'a Query,
        work: usize,
        cache: &MaskCache,
    ) -> Plan<'a> {
        let plan_test = |test: &'a Test| match test {
            Test::Kind(k) => PlannedTest::Kind(*k),
            Test::Version(v) => PlannedTest::Version(*v),
            Test::Date(r) => PlannedTest::Date(*r),
            Test::Text(Field::Body, m) => PlannedTest::Body(m),
            Test::Text(field, m) => PlannedTest::Text(
                m,
                Source::of(*field)
                    .iter()
                    .map(|&source| Lookup {
                        source,
                        refs: refs(hay, source),
                        mask: cache.mask(hay, source, m, work),
                    })
                    .collect(),
            ),
        };
        let clauses = query
            .clauses
            .iter()
            .map(|clause| PlannedClause {
                has_body: clause.has_body,
                alternatives: clause
                    .alternatives
                    .iter()
                    .map(|term| PlannedTerm {
                        negated: term.negated,
                        test: plan_test(&term.test),
                    })
                    .collect(),
            })
            .collect();
        Plan { hay, clauses }
    }

    /// The masks this run built or reused, for the next keystroke.
    pub(super) fn masks(&self) -> MaskCache {
        let masks = self
            .clauses
            .iter()
            .flat_map(|c| &c.alternatives)
            .filter_map(|t| match &t.test {
                PlannedTest::Text(_, lookups) => Some(lookups),
                _ => None,
            })
            .flatten()
            .filter_map(|l| l.mask.clone())
            .collect();
        MaskCache::new(self.hay.id(), masks)
    }

    /// Checks the messages of word `w` (messages `64 w ..`) whose bits are set in `live`.
    /// Returns those passing every clause, and those passing every clause but a `body:` one
    /// that only their body can decide.
    pub(super) fn word(&self, w: usize, live: u64) -> (u64, u64) {
        let mut alive = live;
        let mut needs_body = 0u64;
        for clause in &self.clauses {
            if alive == 0 {
                break;
            }
            let mut holds = 0u64;
            for term in &clause.alternatives {
                let rest = alive & !holds;
                if rest == 0 {
                    break;
                }
                if let Some(raw) = self.raw(&term.test, w, rest) {
                    holds |= if term.negated { rest & !raw } else { raw };
                }
            }
            if clause.has_body {
                needs_body |= alive & !holds;
            } else {
                alive &= holds;
            }
        }
        (alive & !needs_body, alive & needs_body)
    }

    /// Checks message `doc` against the whole query, given its body folded and as written.
    pub(super) fn holds_with_body(&self, doc: usize, folded: &str, original: &str) -> bool {
        let (w, bit) = (doc / 64, 1u64 << (doc % 64));
        self.clauses.iter().all(|clause| {
            clause.alternatives.iter().any(|term| {
                let raw = match &term.test {
                    PlannedTest::Body(m) => {
                        m.is_match(if m.case_sensitive { original } else { folded })
                    }
                    test => self.raw(test, w, bit) == Some(bit),
                };
                raw != term.negated
            })
        })
    }

    /// The messages among `docs` (bits of word `w`) for which the test holds, negation aside;
    /// `None` for a body test.
    fn raw(&self, test: &PlannedTest<'_>, w: usize, docs: u64) -> Option<u64> {
        let hay = self.hay;
        let base = w * 64;
        Some(match test {
            PlannedTest::Kind(k) => select(docs, base, |d| hay.doc_kind.get(d) == Some(k)),
            PlannedTest::Version(v) => select(docs, base, |d| match hay.doc_version.get(d) {
                Some(&NONE) => *v == 1,
                found => found == Some(v),
            }),
            PlannedTest::Date(range) => select(docs, base, |d| {
                hay.doc_date
                    .get(d)
                    .is_some_and(|&date| date != NO_DATE && range.contains(date))
            }),
            PlannedTest::Text(m, lookups) => {
                let mut found = 0u64;
                for lookup in lookups {
                    let rest = docs & !found;
                    if rest == 0 {
                        break;
                    }
                    found |= lookup.select(hay, m, base, rest);
                }
                found
            }
            PlannedTest::Body(_) => return None,
        })
    }
}

impl Lookup<'_> {
    /// The messages among `docs` (bits above `base`) referring to a matching entry.
    fn select(&self, hay: &Haystacks, m: &TextMatcher, base: usize, docs: u64) -> u64 {
        let source = self.source;
        match (&self.refs, &self.mask) {
            (Refs::One(column), Some(mask)) => select(docs, base, |d| {
                column
                    .get(d)
                    .is_some_and(|&id| contains(&mask.bits, id as usize))
            }),
            (Refs::One(column), None) => select(docs, base, |d| {
                column
                    .get(d)
                    .is_some_and(|&id| id != NONE && source.test(hay, m, id))
            }),
            (Refs::Two(a, b), Some(mask)) => select(docs, base, |d| {
                [a, b].iter().any(|c| {
                    c.get(d)
                        .is_some_and(|&id| contains(&mask.bits, id as usize))
                })
            }),
            (Refs::Two(a, b), None) => select(docs, base, |d| {
                [a, b].iter().any(|c| {
                    c.get(d)
                        .is_some_and(|&id| id != NONE && source.test(hay, m, id))
                })
            }),
            (Refs::Many(lists), Some(mask)) => select(docs, base, |d| {
                lists
                    .get(d)
                    .iter()
                    .any(|&id| contains(&mask.bits, id as usize))
            }),
            (Refs::Many(lists), None) => select(docs, base, |d| {
                lists.get(d).iter().any(|&id| source.test(hay, m, id))
            }),
        }
    }
}

fn refs(hay: &Haystacks, source: Source) -> Refs<'_> {
    match (source, source.column(hay)) {
        (_, Some(column)) => Refs::One(column),
        (Source::People, None) => Refs::Two(&hay.doc_author, &hay.doc_sender),
        (Source::Trailers, None) => Refs::Many(&hay.doc_trailers),
        (_, None) => Refs::Many(&hay.doc_paths),
    }
}

/// The bits of `docs` whose message (`base` + bit) passes `test`.
#[inline]
fn select(docs: u64, base: usize, mut test: impl FnMut(usize) -> bool) -> u64 {
    let mut out = 0u64;
    for_each_bit(docs, |b| {
        if test(base + b) {
            out |= 1 << b;
        }
    });
    out
}
