//! A query compiled once per keystroke ([`Query`]) and its plan for one run ([`Plan`]).
//!
//! A text term looks at one or more sources (titles, authors, tag sets, series titles,
//! List-Ids, paths, trailers). For each source the plan either tests every distinct string once
//! up front into a bitmask, when there are fewer distinct strings than messages to check, or
//! tests the message's strings directly (a narrowed query re-checking a few hundred matches).
//! Clauses run cheapest first: typed fields, then masks, then direct text, bodies last.

use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;

use crate::index::date_range::DateRange;
use crate::index::haystack::{Haystacks, NO_DATE, NONE};
use crate::index::matcher::TextMatcher;
use crate::index::query::{Ast, Field, Predicate, QueryError};
use crate::model::message::Kind;

/// A parsed and compiled query: parse it once per keystroke, then run it, score with it and
/// highlight with it.
pub struct Query {
    text: String,
    ast: Ast,
    pub(super) clauses: Vec<Clause>,
    /// For highlighting rows on screen (the runs use one scorer per worker thread).
    pub(super) scorer: SkimMatcherV2,
}

pub(super) struct Clause {
    pub(super) alternatives: Vec<Term>,
    pub(super) has_body: bool,
}

pub(super) struct Term {
    pub(super) negated: bool,
    pub(super) test: Test,
}

pub(super) enum Test {
    Kind(Kind),
    Version(u32),
    Date(DateRange),
    Text(Field, Box<TextMatcher>),
}

impl Query {
    /// Parses and compiles `text`.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let ast = Ast::parse(text)?;
        let mut clauses: Vec<Clause> = ast
            .clauses
            .iter()
            .map(|clause| {
                let alternatives: Vec<Term> = clause
                    .alternatives
                    .iter()
                    .filter_map(|term| {
                        let test = match &term.predicate {
                            Predicate::Kind(k) => Test::Kind(*k),
                            Predicate::Version(v) => Test::Version(*v),
                            Predicate::Date(r) => Test::Date(*r),
                            Predicate::Text { field, mode, text } => {
                                Test::Text(*field, Box::new(TextMatcher::new(text, *mode)?))
                            }
                        };
                        Some(Term {
                            negated: term.negated,
                            test,
                        })
                    })
                    .collect();
                let has_body = alternatives
                    .iter()
                    .any(|t| matches!(t.test, Test::Text(Field::Body, _)));
                Clause {
                    alternatives,
                    has_body,
                }
            })
            .collect();
        clauses.sort_by_key(Clause::cost);
        Ok(Query {
            text: text.to_string(),
            ast,
            clauses,
            scorer: SkimMatcherV2::default(),
        })
    }

    /// The query text as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn ast(&self) -> &Ast {
        &self.ast
    }

    /// True when the query constrains nothing and matches every message.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Whether running the query reads message bodies (`body:` terms).
    pub fn reads_bodies(&self) -> bool {
        self.clauses.iter().any(|c| c.has_body)
    }
}

impl Clause {
    fn cost(&self) -> u8 {
        let term_cost = |t: &Term| match t.test {
            Test::Kind(_) | Test::Version(_) | Test::Date(_) => 0,
            Test::Text(Field::Body, _) => 3,
            Test::Text(Field::File | Field::Trailer, _) => 2,
            Test::Text(..) => 1,
        };
        self.alternatives.iter().map(term_cost).max().unwrap_or(0)
    }
}

/// Where a text term looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Titles,
    /// Name and address.
    Authors,
    TagSets,
    Series,
    Lists,
    Paths,
    Trailers,
}

impl Source {
    pub(super) fn of(field: Field) -> &'static [Source] {
        match field {
            Field::Any => &[Source::Titles, Source::Authors, Source::TagSets],
            Field::From => &[Source::Authors],
            Field::Subject => &[Source::Titles],
            Field::File => &[Source::Paths],
            Field::Trailer => &[Source::Trailers],
            Field::Series => &[Source::Series],
            Field::List => &[Source::Lists],
            Field::Tag => &[Source::TagSets],
            Field::Body => &[],
        }
    }

    /// How many distinct entries the source has.
    fn len(self, hay: &Haystacks) -> usize {
        match self {
            Source::Titles => hay.titles.len(),
            Source::Authors => hay.names.len(),
            Source::TagSets => hay.tag_sets.len(),
            Source::Series => hay.series_titles.len(),
            Source::Lists => hay.lists.len(),
            Source::Paths => hay.paths.len(),
            Source::Trailers => hay.trailers.len(),
        }
    }

    /// The source's entries message `doc` refers to.
    pub(super) fn doc_ids(self, hay: &Haystacks, doc: usize) -> &[u32] {
        fn one(column: &[u32], doc: usize) -> &[u32] {
            column.get(doc..=doc).unwrap_or(&[])
        }
        match self {
            Source::Titles => one(&hay.doc_title, doc),
            Source::Authors => one(&hay.doc_author, doc),
            Source::TagSets => one(&hay.doc_tag_set, doc),
            Source::Series => one(&hay.doc_series, doc),
            Source::Lists => match one(&hay.doc_list, doc) {
                [NONE] => &[],
                ids => ids,
            },
            Source::Paths => hay.doc_paths.get(doc),
            Source::Trailers => hay.doc_trailers.get(doc),
        }
    }

    /// Tests entry `id` against the term.
    fn test(self, hay: &Haystacks, m: &TextMatcher, id: u32) -> bool {
        let cs = m.case_sensitive;
        match self {
            Source::Titles => m.is_match(hay.titles.text(id, cs)),
            Source::Authors => {
                m.is_match(hay.names.text(id, cs)) || m.is_match(hay.emails.text(id, cs))
            }
            Source::TagSets => hay
                .tag_sets
                .get(id as usize)
                .iter()
                .any(|&t| m.is_match(hay.tags.text(t, cs))),
            Source::Series => m.is_match(hay.series_titles.text(id, cs)),
            Source::Lists => m.is_match(hay.lists.text(id, cs)),
            Source::Paths => m.is_match(hay.paths.text(id, cs)),
            Source::Trailers => m.is_match(hay.trailers.text(id, cs)),
        }
    }
}

/// How a source is consulted during one run.
enum Lookup {
    /// One bit per distinct entry, computed up front.
    Mask(Vec<u64>),
    /// Test the entry's text when a message refers to it.
    Direct,
}

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
    Text(&'a TextMatcher, Vec<(Source, Lookup)>),
    Body(&'a TextMatcher),
}

/// The outcome of the checks that need no body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    No,
    Yes,
    /// Everything else holds; a `body:` clause decides.
    NeedsBody,
}

impl<'a> Plan<'a> {
    /// Plans `query` for checking about `work` messages: builds the masks worth building.
    pub(super) fn new(hay: &'a Haystacks, query: &'a Query, work: usize) -> Plan<'a> {
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
                        test: match &term.test {
                            Test::Kind(k) => PlannedTest::Kind(*k),
                            Test::Version(v) => PlannedTest::Version(*v),
                            Test::Date(r) => PlannedTest::Date(*r),
                            Test::Text(Field::Body, m) => PlannedTest::Body(m),
                            Test::Text(field, m) => {
                                let sources = Source::of(*field)
                                    .iter()
                                    .map(|&s| (s, lookup(hay, s, m, work)))
                                    .collect();
                                PlannedTest::Text(m, sources)
                            }
                        },
                    })
                    .collect(),
            })
            .collect();
        Plan { hay, clauses }
    }

    /// Checks message `doc` against every clause that needs no body.
    pub(super) fn verdict(&self, doc: usize) -> Verdict {
        let mut needs_body = false;
        for clause in &self.clauses {
            let holds = clause
                .alternatives
                .iter()
                .any(|t| self.term_holds(t, doc, None) == Some(true));
            if !holds {
                if !clause.has_body {
                    return Verdict::No;
                }
                needs_body = true;
            }
        }
        if needs_body {
            Verdict::NeedsBody
        } else {
            Verdict::Yes
        }
    }

    /// Checks message `doc` against the whole query, given its body folded and as written.
    pub(super) fn holds_with_body(&self, doc: usize, folded: &str, original: &str) -> bool {
        self.clauses.iter().all(|clause| {
            clause
                .alternatives
                .iter()
                .any(|t| self.term_holds(t, doc, Some((folded, original))) == Some(true))
        })
    }

    /// Whether the term holds; `None` for a body term when no body is given.
    fn term_holds(
        &self,
        term: &PlannedTerm<'_>,
        doc: usize,
        body: Option<(&str, &str)>,
    ) -> Option<bool> {
        let hay = self.hay;
        let raw = match &term.test {
            PlannedTest::Kind(k) => hay.doc_kind.get(doc) == Some(k),
            PlannedTest::Version(v) => match hay.doc_version.get(doc).copied() {
                Some(NONE) => *v == 1,
                found => found == Some(*v),
            },
            PlannedTest::Date(range) => hay
                .doc_date
                .get(doc)
                .is_some_and(|&d| d != NO_DATE && range.contains(d)),
            PlannedTest::Text(m, sources) => sources.iter().any(|(source, lookup)| {
                source.doc_ids(hay, doc).iter().any(|&id| match lookup {
                    Lookup::Mask(bits) => bit(bits, id),
                    Lookup::Direct => source.test(hay, m, id),
                })
            }),
            PlannedTest::Body(m) => {
                let (folded, original) = body?;
                m.is_match(if m.case_sensitive { original } else { folded })
            }
        };
        Some(raw != term.negated)
    }
}

fn lookup(hay: &Haystacks, source: Source, m: &TextMatcher, work: usize) -> Lookup {
    let len = source.len(hay);
    if len > work {
        return Lookup::Direct;
    }
    let words = len.div_ceil(64);
    let mask = (0..words)
        .into_par_iter()
        .with_min_len(16)
        .map(|w| {
            let mut bits = 0u64;
            for b in 0..64 {
                let id = w * 64 + b;
                if id >= len {
                    break;
                }
                let id = u32::try_from(id).unwrap_or(NONE);
                if source.test(hay, m, id) {
                    bits |= 1 << b;
                }
            }
            bits
        })
        .collect();
    Lookup::Mask(mask)
}

fn bit(bits: &[u64], id: u32) -> bool {
    bits.get(id as usize / 64)
        .is_some_and(|w| w >> (id % 64) & 1 == 1)
}
