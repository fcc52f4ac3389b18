//! Cuts a query into tokens: terms, `|`, the `AND`/`OR`/`NOT` operators and parentheses.
//!
//! Words are split at whitespace outside double quotes, then at `|` outside quotes. A `(` that
//! opens a word (also after a `-` or `!`: `-(a OR b)`) opens a group; `)`s that end a word close
//! as many open groups as they can, so `s:foo()` outside a group stays text. An unterminated
//! quote is an error here, before anything else is read.

use super::{QueryError, QueryErrorKind};

/// One token, with the byte offset where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// A term as written (modifiers, field, value), never empty.
    Term(usize, &'a str),
    /// `|` or `OR`.
    Or(usize, &'static str),
    /// `AND`.
    And(usize),
    /// `NOT`, or the `-`/`!` before a `(`.
    Not(usize, &'static str),
    Open(usize),
    Close(usize),
}

impl Token<'_> {
    pub(super) fn pos(&self) -> usize {
        match *self {
            Token::Term(p, _)
            | Token::Or(p, _)
            | Token::And(p)
            | Token::Not(p, _)
            | Token::Open(p)
            | Token::Close(p) => p,
        }
    }
}

/// The tokens of `text`.
pub(super) fn tokens(text: &str) -> Result<Vec<Token<'_>>, QueryError> {
    let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    if quotes.len() % 2 == 1 {
        return Err(QueryError {
            pos: quotes.last().copied().unwrap_or(0),
            kind: QueryErrorKind::UnterminatedQuote,
        });
    }
    let mut out = Vec::new();
    let mut depth = 0usize;
    for (start, word) in words(text) {
        for (i, (at, piece)) in pieces(word, start).into_iter().enumerate() {
            if i > 0 {
                out.push(Token::Or(at - 1, "|"));
            }
            piece_tokens(at, piece, &mut depth, &mut out);
        }
    }
    Ok(out)
}

/// The tokens of one `|`-free piece of a word.
fn piece_tokens<'a>(
    mut at: usize,
    mut piece: &'a str,
    depth: &mut usize,
    out: &mut Vec<Token<'a>>,
) {
    loop {
        if let Some(rest) = piece.strip_prefix('(') {
            out.push(Token::Open(at));
            *depth += 1;
            (piece, at) = (rest, at + 1);
        } else if let Some(rest) = piece
            .strip_prefix("-(")
            .or_else(|| piece.strip_prefix("!("))
        {
            let sign = if piece.starts_with('-') { "-" } else { "!" };
            out.push(Token::Not(at, sign));
            out.push(Token::Open(at + 1));
            *depth += 1;
            (piece, at) = (rest, at + 2);
        } else {
            break;
        }
    }
    let trailing = piece.len() - piece.trim_end_matches(')').len();
    let closing = if trailing == piece.len() {
        // Only `)`s: every one is structural, an unmatched one an error for the parser.
        trailing
    } else {
        trailing.min(*depth)
    };
    let (text, closers) = piece.split_at(piece.len() - closing);
    match text {
        "" => {}
        "AND" => out.push(Token::And(at)),
        "OR" => out.push(Token::Or(at, "OR")),
        "NOT" => out.push(Token::Not(at, "NOT")),
        _ => out.push(Token::Term(at, text)),
    }
    for i in 0..closers.len() {
        out.push(Token::Close(at + text.len() + i));
        *depth = depth.saturating_sub(1);
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

/// Splits a word at `|` outside quotes, with each piece's byte offset (pieces may be empty).
fn pieces(word: &str, offset: usize) -> Vec<(usize, &str)> {
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
    out
}
