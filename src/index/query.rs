//! The filter bar's query language, parsed into an [`Ast`] with errors that say what and where.
//!
//! Space-separated terms must all match (`AND` may be written); `|` or `OR` between terms means
//! either, and binds tighter than the space (`a b|c d` is a AND (b OR c) AND d); `NOT x`, `-x`
//! and `!x` negate; parentheses group (`(a b) OR c`, `-(rfc OR resend)`). Operators are upper
//! case; `and`, `or`, `not` are plain words.
//!
//! A plain word is a fuzzy match over subject, author and tags. A field qualifier (`from:`/`a:`,
//! `subject:`/`s:`, `file:`/`f:`, `body:`/`b:`, `trailer:`/`t:`, `series:`, `list:`) matches its
//! text as a substring: a field someone names is meant literally. `'term` is an exact substring,
//! `^term` a prefix, `term$` a suffix, `^term$` the whole text, `~term` a fuzzy match (the
//! default for plain words, asked for explicitly in a field: `s:~pmu`). `tag:` matches a whole
//! tag; `v:`, `is:` and `date:` take typed values. Values take double quotes (`s:"follow pfn"`)
//! and the modifiers (`!from:vetter` and `from:!vetter` both negate). All text matches are smart
//! case: a term without an upper-case letter ignores case.
//!
//! An empty term (`from:` while it is being typed, a lone `'`) constrains nothing. Structural
//! mistakes are errors: an unterminated quote, a dangling operator (`a OR`), an empty or
//! unclosed group. After `is:x|` and `v:3|` a bare kind or number keeps the field:
//! `is:patch|cover`, `v:2|3`.
//!
//! The query as written is an [`Expr`] tree; the engine runs its conjunctive normal form, the
//! [`Ast::clauses`] (every clause must hold, a clause holds when one of its terms does), which
//! is what lets it check a word of 64 messages clause by clause and narrow incrementally.

mod expr;
mod lexer;

use std::ops::Range;

use super::date_range::{DateError, DateRange, parse_date_range};
use crate::model::message::Kind;
pub use expr::Expr;

/// A parsed query: the tree as written, and the clauses the engine runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ast {
    /// The query as written, negations pushed down to the terms; `None` when it constrains
    /// nothing.
    pub expr: Option<Expr>,
    /// The same query in conjunctive normal form: every clause must match.
    pub clauses: Vec<Clause>,
}

/// Terms joined by OR: at least one must match. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub alternatives: Vec<Term>,
}

/// One term: a predicate over a message, maybe negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub negated: bool,
    pub predicate: Predicate,
    /// Where the term is in the query text (bytes).
    pub span: Range<usize>,
}

/// What a term asks of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Predicate {
    /// Text `text` (as typed, never empty) matched in `field` the way `mode` says.
    Text {
        field: Field,
        mode: Mode,
        text: String,
    },
    /// `v:N`: the subject's version is N (`v:1` also takes messages without a version).
    Version(u32),
    /// `is:kind`.
    Kind(Kind),
    /// `date:...`: sent inside the range (messages without a date never are).
    Date(DateRange),
}

/// Which text a [`Predicate::Text`] looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// A plain term: subject, author name, author address, tags.
    Any,
    /// `from:`/`a:`: the sender and the author (`git am`'s, from an in-body `From:`), each by
    /// name and address.
    From,
    /// `subject:`/`s:`: the subject (prefixes and whole-text matches look at the title).
    Subject,
    /// `file:`/`f:`: each path the patch touches.
    File,
    /// `body:`/`b:`: the message body, read on demand.
    Body,
    /// `trailer:`/`t:`: each trailer as `Key: value`.
    Trailer,
    /// `series:`: the title of the series' cover letter or first patch.
    Series,
    /// `list:`: the List-Id.
    List,
    /// `tag:`: each bracket tag (`RFC`, `v3`, `net-next`); whole tag unless a modifier says else.
    Tag,
}

/// How a text term matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The term's chars appear in order (a subsequence): plain words, and `~term`.
    Fuzzy,
    /// The term appears as written: fields, and `'term`.
    Substring,
    /// `^term`.
    Prefix,
    /// `term$`.
    Suffix,
    /// `^term$`, and `tag:` by default.
    Exact,
}

/// A query that could not be read: what is wrong and at which byte of the query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (at byte {pos})")]
pub struct QueryError {
    pub pos: usize,
    pub kind: QueryErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryErrorKind {
    #[error(
        "unknown field `{0}:`; fields are from: a: subject: s: file: f: body: b: trailer: t: \
         series: list: tag: v: is: date: (to search for the text itself write '{0}:)"
    )]
    UnknownField(String),
    #[error("`{0}` is not a version number; write v:3")]
    BadVersion(String),
    #[error("`{0}` is not a kind; write is:patch, is:cover, is:reply, is:pull or is:other")]
    UnknownKind(String),
    #[error("`{0}` is not a date; write 2020, 2020-10 or 2020-10-21, or a range 2020-10..2021")]
    BadDate(String),
    #[error("the date range ends before it starts")]
    ReversedDateRange,
    #[error("`{modifier}` cannot be used with `{field}:`, which takes a plain value")]
    ModifierNotAllowed { modifier: char, field: &'static str },
    #[error("`~` (fuzzy) cannot be combined with `'`, `^` or `$`")]
    FuzzyAnchored,
    #[error("unterminated quote: close it with another \"")]
    UnterminatedQuote,
    #[error("`{0}` needs a term on each side (NOT: after it); to search for the word write '{0}")]
    DanglingOperator(&'static str),
    #[error("empty group: `()` holds no terms")]
    EmptyGroup,
    #[error("unclosed group: this `(` has no `)`")]
    UnclosedGroup,
    #[error("unmatched `)`")]
    UnmatchedClose,
    #[error("the query is too complex: its groups expand to over {0} clauses")]
    TooComplex(usize),
}

impl Ast {
    /// Reads a query. An empty or blank query has no clauses and matches everything.
    pub fn parse(text: &str) -> Result<Ast, QueryError> {
        let tokens = lexer::tokens(text)?;
        let expr = expr::parse(&tokens)?;
        let clauses = match &expr {
            Some(e) => e.clauses()?,
            None => Vec::new(),
        };
        Ok(Ast { expr, clauses })
    }

    /// Whether every message this query matches is also matched by `previous` (so only the
    /// previous matches need checking). True when each clause of `previous` is kept or grew
    /// narrower by typing (a positive fuzzy, substring or prefix term whose text was
    /// extended, with the same terms around it), and clauses may have been added after them.
    pub fn narrows(&self, previous: &Ast) -> bool {
        self.clauses.len() >= previous.clauses.len()
            && previous
                .clauses
                .iter()
                .zip(&self.clauses)
                .all(|(old, new)| clause_narrows(old, new))
    }
}

/// Whether `new` holds only where `old` does: term by term, each narrower or the same.
fn clause_narrows(old: &Clause, new: &Clause) -> bool {
    old.alternatives.len() == new.alternatives.len()
        && old
            .alternatives
            .iter()
            .zip(&new.alternatives)
            .all(|(o, n)| term_narrows(o, n))
}

fn term_narrows(old: &Term, new: &Term) -> bool {
    if old.negated != new.negated {
        return false;
    }
    if old.predicate == new.predicate {
        return true;
    }
    match (&old.predicate, &new.predicate) {
        (
            Predicate::Text {
                field: f1,
                mode: m1,
                text: t1,
            },
            Predicate::Text {
                field: f2,
                mode: m2,
                text: t2,
            },
        ) => {
            !old.negated
                && f1 == f2
                && m1 == m2
                && matches!(m1, Mode::Fuzzy | Mode::Substring | Mode::Prefix)
                && t2.starts_with(t1.as_str())
        }
        _ => false,
    }
}

/// The field a `name:` prefix names.
fn field_named(name: &str) -> Option<FieldName> {
    Some(match name.to_ascii_lowercase().as_str() {
        "from" | "a" | "author" => FieldName::Text(Field::From),
        "subject" | "s" => FieldName::Text(Field::Subject),
        "file" | "f" => FieldName::Text(Field::File),
        "body" | "b" => FieldName::Text(Field::Body),
        "trailer" | "t" => FieldName::Text(Field::Trailer),
        "series" => FieldName::Text(Field::Series),
        "list" => FieldName::Text(Field::List),
        "tag" => FieldName::Text(Field::Tag),
        "v" | "version" => FieldName::Typed(Typed::Version),
        "is" => FieldName::Typed(Typed::Kind),
        "date" => FieldName::Typed(Typed::Date),
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldName {
    Text(Field),
    Typed(Typed),
}

/// The fields whose values are not text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Typed {
    Version,
    Kind,
    Date,
}

impl Typed {
    fn label(self) -> &'static str {
        match self {
            Typed::Version => "v",
            Typed::Kind => "is",
            Typed::Date => "date",
        }
    }
}

/// The modifiers and value of one term.
struct Parts<'a> {
    negated: bool,
    substring: bool,
    prefix: bool,
    suffix: bool,
    fuzzy: bool,
    /// The value with its quotes removed.
    value: String,
    raw_value: &'a str,
    value_pos: usize,
}

fn split_parts(raw: &str, pos: usize) -> Parts<'_> {
    let (mut negated, mut substring, mut prefix, mut fuzzy) = (false, false, false, false);
    let mut rest = raw;
    let mut at = pos;
    loop {
        let flag = match rest.as_bytes().first() {
            Some(b'!') => &mut negated,
            Some(b'\'') => &mut substring,
            Some(b'^') => &mut prefix,
            Some(b'~') => &mut fuzzy,
            _ => break,
        };
        if *flag {
            break;
        }
        *flag = true;
        rest = rest.get(1..).unwrap_or("");
        at += 1;
    }
    // A trailing `$` is the suffix modifier unless it sits inside quotes.
    let body = rest
        .strip_suffix('$')
        .filter(|b| b.matches('"').count() % 2 == 0);
    let suffix = body.is_some();
    let body = body.unwrap_or(rest);
    Parts {
        negated,
        substring,
        prefix,
        suffix,
        fuzzy,
        value: body.replace('"', ""),
        raw_value: rest,
        value_pos: at,
    }
}

/// Reads one term (`raw` at byte `pos` of the query); `None` when it is empty. `previous` is
/// the term before it in the same `|` chain.
fn parse_term(raw: &str, pos: usize, previous: Option<&Term>) -> Result<Option<Term>, QueryError> {
    let span = pos..pos + raw.len();
    let (outer_negated, rest, rest_pos) = match raw.strip_prefix(['!', '-']) {
        Some(r) => (true, r, pos + 1),
        None => (false, raw, pos),
    };
    let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let named = if letters > 0 && rest.as_bytes().get(letters) == Some(&b':') {
        let name = rest.get(..letters).unwrap_or("");
        Some(field_named(name).ok_or_else(|| QueryError {
            pos: rest_pos,
            kind: QueryErrorKind::UnknownField(name.to_string()),
        })?)
    } else {
        None
    };
    let value_raw = if named.is_some() {
        rest.get(letters + 1..).unwrap_or("")
    } else {
        rest
    };
    let value_at = rest_pos + if named.is_some() { letters + 1 } else { 0 };
    let parts = split_parts(value_raw, value_at);
    let negated = outer_negated ^ parts.negated;
    if parts.value.is_empty() {
        return Ok(None);
    }
    let plain =
        !parts.substring && !parts.prefix && !parts.suffix && !parts.negated && !parts.fuzzy;
    let named = match (named, previous.map(|t| &t.predicate)) {
        (None, Some(Predicate::Kind(_))) if plain && kind_named(&parts.value).is_some() => {
            Some(FieldName::Typed(Typed::Kind))
        }
        (None, Some(Predicate::Version(_))) if plain && version_value(&parts.value).is_some() => {
            Some(FieldName::Typed(Typed::Version))
        }
        (named, _) => named,
    };
    let field = match named {
        None => Field::Any,
        Some(FieldName::Text(f)) => f,
        Some(FieldName::Typed(typed)) => {
            let predicate = typed_predicate(typed, &parts)?;
            return Ok(Some(Term {
                negated,
                predicate,
                span,
            }));
        }
    };
    if parts.fuzzy && (parts.substring || parts.prefix || parts.suffix) {
        return Err(QueryError {
            pos: parts.value_pos,
            kind: QueryErrorKind::FuzzyAnchored,
        });
    }
    let mode = match (parts.prefix, parts.suffix, parts.substring) {
        (true, true, _) => Mode::Exact,
        (true, false, _) => Mode::Prefix,
        (false, true, _) => Mode::Suffix,
        (false, false, true) => Mode::Substring,
        (false, false, false) if parts.fuzzy => Mode::Fuzzy,
        (false, false, false) => match field {
            Field::Any => Mode::Fuzzy,
            Field::Tag => Mode::Exact,
            _ => Mode::Substring,
        },
    };
    Ok(Some(Term {
        negated,
        predicate: Predicate::Text {
            field,
            mode,
            text: parts.value,
        },
        span,
    }))
}

fn typed_predicate(name: Typed, parts: &Parts<'_>) -> Result<Predicate, QueryError> {
    let error = |kind| QueryError {
        pos: parts.value_pos,
        kind,
    };
    for (set, modifier) in [
        (parts.substring, '\''),
        (parts.prefix, '^'),
        (parts.suffix, '$'),
        (parts.fuzzy, '~'),
    ] {
        if set {
            return Err(error(QueryErrorKind::ModifierNotAllowed {
                modifier,
                field: name.label(),
            }));
        }
    }
    let value = parts.value.as_str();
    match name {
        Typed::Version => version_value(value)
            .map(Predicate::Version)
            .ok_or_else(|| error(QueryErrorKind::BadVersion(value.to_string()))),
        Typed::Kind => kind_named(value)
            .map(Predicate::Kind)
            .ok_or_else(|| error(QueryErrorKind::UnknownKind(value.to_string()))),
        Typed::Date => match parse_date_range(value) {
            Ok(range) => Ok(Predicate::Date(range)),
            Err(DateError::Reversed) => Err(error(QueryErrorKind::ReversedDateRange)),
            Err(DateError::BadDate { offset, text }) => Err(QueryError {
                pos: parts.value_pos + offset.min(parts.raw_value.len()),
                kind: QueryErrorKind::BadDate(text),
            }),
        },
    }
}

fn version_value(value: &str) -> Option<u32> {
    let digits = value
        .strip_prefix('v')
        .or_else(|| value.strip_prefix('V'))
        .unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn kind_named(value: &str) -> Option<Kind> {
    Some(match value.to_ascii_lowercase().as_str() {
        "patch" => Kind::Patch,
        "cover" => Kind::Cover,
        "reply" => Kind::Reply,
        "pull" => Kind::Pull,
        "other" => Kind::Other,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
