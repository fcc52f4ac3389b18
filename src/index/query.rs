//! The filter bar's query language, parsed into an [`Ast`] with errors that say what and where.
//!
//! fzf-like: space-separated terms must all match; `|` between terms means OR and binds tighter
//! than the space (`a b|c d` is a AND (b OR c) AND d; `b | c` works too). A plain term is a
//! fuzzy match over subject, author and tags; `'term` is an exact substring, `^term` a prefix,
//! `term$` a suffix, `^term$` the whole text, `!term` a negation. Field qualifiers:
//! `from:`/`a:`, `subject:`/`s:`, `file:`/`f:`, `body:`/`b:`, `trailer:`/`t:`, `series:`,
//! `list:`, `tag:`, `v:`, `is:` and `date:`; their values take the same modifiers
//! (`!from:vetter` and `from:!vetter` both negate) and double quotes (`s:"follow pfn"`).
//! An empty term (`from:` while it is being typed, a lone `'`) constrains nothing, so a query
//! being typed never fails just for being unfinished. After `is:x|` and `v:3|` a bare kind or
//! number keeps the field: `is:patch|cover`, `v:2|3`.

use std::ops::Range;

use super::date_range::{DateError, DateRange, parse_date_range};
use crate::model::message::Kind;

/// A parsed query: every clause must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ast {
    pub clauses: Vec<Clause>,
}

/// Terms joined by `|`: at least one must match. Never empty.
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
    /// `from:`/`a:`: author name and address.
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
    /// The term's chars appear in order (a subsequence).
    Fuzzy,
    /// `'term`: the term appears as written.
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
}

impl Ast {
    /// Reads a query. An empty or blank query has no clauses and matches everything.
    pub fn parse(text: &str) -> Result<Ast, QueryError> {
        let mut groups: Vec<Vec<(usize, &str)>> = Vec::new();
        let mut join_next = false;
        for (start, word) in words(text) {
            let (alternatives, leading_bar, trailing_bar) = split_alternatives(word, start);
            match groups.last_mut() {
                Some(last) if join_next || leading_bar => last.extend(alternatives),
                _ => groups.push(alternatives),
            }
            join_next = trailing_bar;
        }
        let mut clauses = Vec::new();
        for group in groups {
            let mut alternatives: Vec<Term> = Vec::new();
            for (pos, raw) in group {
                if let Some(term) = parse_term(raw, pos, alternatives.last())? {
                    alternatives.push(term);
                }
            }
            if !alternatives.is_empty() {
                clauses.push(Clause { alternatives });
            }
        }
        Ok(Ast { clauses })
    }

    /// Whether every message this query matches is also matched by `previous` (so only the
    /// previous matches need checking). True when the clauses of `previous` are kept, except
    /// that the alternatives of its last clause may each have grown by typing (a positive fuzzy,
    /// substring or prefix term whose text was extended), and clauses may have been added.
    pub fn narrows(&self, previous: &Ast) -> bool {
        let Some((last, head)) = previous.clauses.split_last() else {
            return true;
        };
        if self.clauses.len() < previous.clauses.len() {
            return false;
        }
        let same_head = head.iter().zip(&self.clauses).all(|(a, b)| clause_eq(a, b));
        let Some(new_last) = self.clauses.get(head.len()) else {
            return false;
        };
        same_head
            && last.alternatives.len() == new_last.alternatives.len()
            && last
                .alternatives
                .iter()
                .zip(&new_last.alternatives)
                .all(|(old, new)| term_narrows(old, new))
    }
}

fn clause_eq(a: &Clause, b: &Clause) -> bool {
    a.alternatives.len() == b.alternatives.len()
        && a.alternatives
            .iter()
            .zip(&b.alternatives)
            .all(|(x, y)| x.negated == y.negated && x.predicate == y.predicate)
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

/// Splits at ASCII whitespace outside double quotes, with each word's byte offset.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, b) in text.bytes().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        }
        if b.is_ascii_whitespace() && !quoted {
            if let Some(s) = start.take() {
                out.push((s, text.get(s..i).unwrap_or("")));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, text.get(s..).unwrap_or("")));
    }
    out
}

/// Splits a word at `|` outside quotes; also says whether it began or ended with a bar.
fn split_alternatives(word: &str, offset: usize) -> (Vec<(usize, &str)>, bool, bool) {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, b) in word.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'|' if !quoted => {
                out.push((offset + start, word.get(start..i).unwrap_or("")));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((offset + start, word.get(start..).unwrap_or("")));
    let leading = word.starts_with('|');
    let trailing = out.len() > 1 && out.last().is_some_and(|(_, s)| s.is_empty());
    (out, leading, trailing)
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

/// The modifiers and value of one alternative.
struct Parts<'a> {
    negated: bool,
    substring: bool,
    prefix: bool,
    suffix: bool,
    /// The value with its quotes removed.
    value: String,
    raw_value: &'a str,
    value_pos: usize,
}

fn split_parts(raw: &str, pos: usize) -> Parts<'_> {
    let (mut negated, mut substring, mut prefix) = (false, false, false);
    let mut rest = raw;
    let mut at = pos;
    loop {
        let flag = match rest.as_bytes().first() {
            Some(b'!') => &mut negated,
            Some(b'\'') => &mut substring,
            Some(b'^') => &mut prefix,
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
        value: body.replace('"', ""),
        raw_value: rest,
        value_pos: at,
    }
}

fn parse_term(raw: &str, pos: usize, previous: Option<&Term>) -> Result<Option<Term>, QueryError> {
    let span = pos..pos + raw.len();
    let (outer_negated, rest, rest_pos) = match raw.strip_prefix('!') {
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
    let plain = !parts.substring && !parts.prefix && !parts.suffix && !parts.negated;
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
    let mode = match (parts.prefix, parts.suffix, parts.substring) {
        (true, true, _) => Mode::Exact,
        (true, false, _) => Mode::Prefix,
        (false, true, _) => Mode::Suffix,
        (false, false, true) => Mode::Substring,
        (false, false, false) => match field {
            Field::Any | Field::From | Field::Subject | Field::Series => Mode::Fuzzy,
            Field::File | Field::Body | Field::Trailer | Field::List => Mode::Substring,
            Field::Tag => Mode::Exact,
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
