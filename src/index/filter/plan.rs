//! A query compiled once per keystroke ([`Query`]), and the sources its text terms look at.
//!
//! A text term looks at one or more sources (titles, authors, tag sets, series titles,
//! List-Ids, paths, trailers), each a table of distinct strings that messages refer to by id.
//! Clauses are ordered cheapest first: typed fields, then titles and authors, then paths and
//! trailers, bodies last.

use super::presence::Presence;
use crate::index::date_range::DateRange;
use crate::index::haystack::Haystacks;
use crate::index::matcher::TextMatcher;
use crate::index::query::{Ast, Field, Predicate, QueryError};
use crate::index::table::StringTable;
use crate::model::message::Kind;

/// A parsed and compiled query: parse it once per keystroke, then run it, score with it and
/// highlight with it.
pub struct Query {
    text: String,
    ast: Ast,
    pub(super) clauses: Vec<Clause>,
}

pub(super) struct Clause {
    pub(super) alternatives: Vec<Term>,
    pub(super) has_body: bool,
}

pub(super) struct Term {
    pub(super) negated: bool,
    pub(super) test: Test,
}

impl Term {
    /// Whether both are the same text test (field, mode and needle), negation aside.
    pub(super) fn same_text(&self, other: &Term) -> bool {
        match (&self.test, &other.test) {
            (Test::Text(f1, m1), Test::Text(f2, m2)) => {
                f1 == f2
                    && m1.mode == m2.mode
                    && m1.case_sensitive == m2.case_sensitive
                    && m1.needle == m2.needle
            }
            _ => false,
        }
    }
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
    /// Name and address of the author.
    Authors,
    /// Name and address of the author and of the sender (one table, two columns).
    People,
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
            Field::From => &[Source::People],
            Field::Subject => &[Source::Titles],
            Field::File => &[Source::Paths],
            Field::Trailer => &[Source::Trailers],
            Field::Series => &[Source::Series],
            Field::List => &[Source::Lists],
            Field::Tag => &[Source::TagSets],
            Field::Body => &[],
        }
    }

    /// Where a term on `field` is scored when ranking: the sources with one entry per
    /// message; `from:` is scored on the author.
    pub(super) fn ranked(field: Field) -> &'static [Source] {
        match field {
            Field::From => &[Source::Authors],
            _ => Source::of(field),
        }
    }

    /// How many distinct entries the source has.
    pub(super) fn len(self, hay: &Haystacks) -> usize {
        match self {
            Source::Titles => hay.titles.len(),
            Source::Authors | Source::People => hay.names.len(),
            Source::TagSets => hay.tag_sets.len(),
            Source::Series => hay.series_titles.len(),
            Source::Lists => hay.lists.len(),
            Source::Paths => hay.paths.len(),
            Source::Trailers => hay.trailers.len(),
        }
    }

    /// The entry each message refers to, for sources with one entry per message.
    pub(super) fn column(self, hay: &Haystacks) -> Option<&[u32]> {
        match self {
            Source::Titles => Some(&hay.doc_title),
            Source::Authors => Some(&hay.doc_author),
            Source::TagSets => Some(&hay.doc_tag_set),
            Source::Series => Some(&hay.doc_series),
            Source::Lists => Some(&hay.doc_list),
            Source::People | Source::Paths | Source::Trailers => None,
        }
    }

    /// Which entries hold which bytes, for the sources that keep it (titles).
    pub(super) fn presence(self, hay: &Haystacks) -> Option<&Presence> {
        match self {
            Source::Titles => Some(&hay.title_presence),
            _ => None,
        }
    }

    /// The table of a source whose entries are one string each.
    pub(super) fn table(self, hay: &Haystacks) -> Option<&StringTable> {
        match self {
            Source::Titles => Some(&hay.titles),
            Source::Series => Some(&hay.series_titles),
            Source::Lists => Some(&hay.lists),
            Source::Paths => Some(&hay.paths),
            Source::Trailers => Some(&hay.trailers),
            Source::Authors | Source::People | Source::TagSets => None,
        }
    }

    /// Entry `id`'s string as a term looks at it, for sources whose entries are one string.
    pub(super) fn single_text(
        self,
        hay: &Haystacks,
        id: u32,
        case_sensitive: bool,
    ) -> Option<&str> {
        self.table(hay).map(|t| t.text(id, case_sensitive))
    }

    /// Tests entry `id` against the term.
    pub(super) fn test(self, hay: &Haystacks, m: &TextMatcher, id: u32) -> bool {
        let cs = m.case_sensitive;
        if let Some(text) = self.single_text(hay, id, cs) {
            return m.is_match(text);
        }
        match self {
            Source::Authors | Source::People => {
                m.is_match(hay.names.text(id, cs)) || m.is_match(hay.emails.text(id, cs))
            }
            Source::TagSets => hay
                .tag_sets
                .get(id as usize)
                .iter()
                .any(|&t| m.is_match(hay.tags.text(t, cs))),
            _ => false,
        }
    }
}
