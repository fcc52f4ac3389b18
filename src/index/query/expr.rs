//! The query as written: a tree of AND, OR and negated terms ([`Expr`]), parsed from tokens
//! by recursive descent, and its conjunctive normal form for the engine.
//!
//! Precedence, loosest first: AND (a space or `AND`), OR (`|` or `OR`), NOT (`NOT`, `-`, `!`),
//! then terms and groups. Negations are pushed down to the terms as the tree is built (De
//! Morgan), so the tree's leaves are the terms the engine tests.

use super::lexer::Token;
use super::{Clause, QueryError, QueryErrorKind, Term, parse_term};

/// Most clauses a query may expand to: an OR of groups multiplies their clauses.
pub const MAX_CLAUSES: usize = 256;

/// A query as written, with every negation on a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Term(Term),
    /// Every part holds (two or more).
    And(Vec<Expr>),
    /// At least one part holds (two or more).
    Or(Vec<Expr>),
}

impl Expr {
    /// Whether the query holds, given whether each term (negation aside) holds.
    pub fn holds(&self, term: &mut impl FnMut(&Term) -> bool) -> bool {
        match self {
            Expr::Term(t) => term(t) != t.negated,
            Expr::And(parts) => parts.iter().all(|p| p.holds(term)),
            Expr::Or(parts) => parts.iter().any(|p| p.holds(term)),
        }
    }

    /// The expression negated, the negation pushed down to its terms.
    fn negate(self) -> Expr {
        match self {
            Expr::Term(mut t) => {
                t.negated = !t.negated;
                Expr::Term(t)
            }
            Expr::And(parts) => Expr::Or(parts.into_iter().map(Expr::negate).collect()),
            Expr::Or(parts) => Expr::And(parts.into_iter().map(Expr::negate).collect()),
        }
    }

    /// The conjunctive normal form: clauses that must all hold.
    pub(super) fn clauses(&self) -> Result<Vec<Clause>, QueryError> {
        let too_complex = || QueryError {
            pos: 0,
            kind: QueryErrorKind::TooComplex(MAX_CLAUSES),
        };
        Ok(match self {
            Expr::Term(t) => vec![Clause {
                alternatives: vec![t.clone()],
            }],
            Expr::And(parts) => {
                let mut out = Vec::new();
                for part in parts {
                    out.extend(part.clauses()?);
                    if out.len() > MAX_CLAUSES {
                        return Err(too_complex());
                    }
                }
                out
            }
            Expr::Or(parts) => {
                let mut out: Vec<Clause> = vec![Clause {
                    alternatives: Vec::new(),
                }];
                for part in parts {
                    let theirs = part.clauses()?;
                    if out.len().saturating_mul(theirs.len()) > MAX_CLAUSES {
                        return Err(too_complex());
                    }
                    out = out
                        .iter()
                        .flat_map(|mine| {
                            theirs.iter().map(move |other| Clause {
                                alternatives: [&mine.alternatives[..], &other.alternatives[..]]
                                    .concat(),
                            })
                        })
                        .collect();
                }
                out
            }
        })
    }
}

/// Builds an AND or OR of `parts`: `None` for none, the part itself for one.
fn join(mut parts: Vec<Expr>, make: fn(Vec<Expr>) -> Expr) -> Option<Expr> {
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(make(parts)),
    }
}

/// Parses the tokens; `None` when the query constrains nothing.
pub(super) fn parse(tokens: &[Token<'_>]) -> Result<Option<Expr>, QueryError> {
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.and(None)?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(error(token.pos(), QueryErrorKind::UnmatchedClose)),
    }
}

fn error(pos: usize, kind: QueryErrorKind) -> QueryError {
    QueryError { pos, kind }
}

struct Parser<'t, 'a> {
    tokens: &'t [Token<'a>],
    at: usize,
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.at).copied()
    }

    /// Whether the next token can start an operand.
    fn operand_next(&self) -> bool {
        matches!(
            self.peek(),
            Some(Token::Term(..) | Token::Not(..) | Token::Open(_))
        )
    }

    /// Terms and groups joined by AND, up to the `)` of the group opened at `group` (or the end).
    fn and(&mut self, group: Option<usize>) -> Result<Option<Expr>, QueryError> {
        let mut parts = Vec::new();
        let mut any = false;
        while let Some(token) = self.peek() {
            match token {
                Token::Close(_) if group.is_some() => break,
                Token::Close(pos) => return Err(error(pos, QueryErrorKind::UnmatchedClose)),
                Token::And(pos) => {
                    self.at += 1;
                    if !any || !self.operand_next() {
                        return Err(error(pos, QueryErrorKind::DanglingOperator("AND")));
                    }
                }
                Token::Or(pos, op) => {
                    return Err(error(pos, QueryErrorKind::DanglingOperator(op)));
                }
                _ => {
                    any = true;
                    if let Some(e) = self.or()? {
                        parts.push(e);
                    }
                }
            }
        }
        Ok(join(parts, Expr::And))
    }

    /// Operands joined by OR.
    fn or(&mut self) -> Result<Option<Expr>, QueryError> {
        let mut previous: Option<Term> = None;
        let mut parts = Vec::new();
        loop {
            let part = self.unary(previous.as_ref())?;
            previous = match &part {
                Some(Expr::Term(t)) => Some(t.clone()),
                _ => None,
            };
            parts.extend(part);
            match self.peek() {
                Some(Token::Or(pos, op)) => {
                    self.at += 1;
                    if !self.operand_next() {
                        return Err(error(pos, QueryErrorKind::DanglingOperator(op)));
                    }
                }
                _ => break,
            }
        }
        Ok(join(parts, Expr::Or))
    }

    /// A term, a group, or either negated.
    fn unary(&mut self, previous: Option<&Term>) -> Result<Option<Expr>, QueryError> {
        match self.peek() {
            Some(Token::Term(pos, raw)) => {
                self.at += 1;
                Ok(parse_term(raw, pos, previous)?.map(Expr::Term))
            }
            Some(Token::Not(pos, op)) => {
                self.at += 1;
                if !self.operand_next() {
                    return Err(error(pos, QueryErrorKind::DanglingOperator(op)));
                }
                Ok(self.unary(None)?.map(Expr::negate))
            }
            Some(Token::Open(pos)) => {
                self.at += 1;
                let first = self.at;
                let inner = self.and(Some(pos))?;
                match self.peek() {
                    Some(Token::Close(_)) if self.at == first => {
                        Err(error(pos, QueryErrorKind::EmptyGroup))
                    }
                    Some(Token::Close(_)) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => Err(error(pos, QueryErrorKind::UnclosedGroup)),
                }
            }
            Some(token) => Err(error(token.pos(), QueryErrorKind::UnmatchedClose)),
            None => Ok(None),
        }
    }
}
