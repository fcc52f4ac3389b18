//! Fuzzy scores exactly as `SkimMatcherV2::fuzzy_match` computes them, without its overhead.
//!
//! Ranking a keystroke over a million messages scores up to a few hundred thousand distinct
//! titles. skim's matcher spends most of its ~2 µs a call outside the scoring itself: it copies
//! the text into a `Vec<char>`, allocates two vectors per call and looks up three thread-locals.
//! [`Scorer`] computes the same dynamic programme (same constants, same updates, and the
//! two-row matrix's quirks; it follows fuzzy-matcher 0.3.7's `skim.rs`) on ASCII bytes with
//! buffers kept between calls, visiting only the columns where a pattern char is (a title of
//! 70 chars holds a 6-char pattern's letters in a dozen places) and carrying the scores over
//! the others in closed form, which is several times faster. Text or patterns that are not
//! ASCII (rare: folding makes Latin names ASCII) go to a real `SkimMatcherV2`.
//!
//! One wrinkle: skim's matrix lives in a per-thread cache that is not cleared between calls,
//! and for patterns of three chars or more a stale bonus from an earlier call can leak into a
//! score (a few in 100,000 random calls), so one shared matcher is not even a function of its
//! input. The port computes what skim computes on a fresh matcher, deterministically, and the
//! fallback uses a fresh matcher per call. Tests check equality with fresh skim matchers.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = -3;
const GAP_EXTENSION: i32 = -1;
const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;
const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
const PENALTY_CASE_MISMATCH: i32 = GAP_EXTENSION * 2;
const NEG_INFINITY: i32 = i16::MIN as i32;

/// A fuzzy scorer with its buffers; keep one per worker thread.
#[derive(Default)]
pub(super) struct Scorer {
    /// Where each pattern char first matches, left to right.
    first_matches: Vec<usize>,
    /// Each pattern char's row of skim's matrix at the column reached.
    rows: Vec<Row>,
    /// The bytes equal to a char of `hits_for` (either case when it is case-insensitive).
    hits: Vec<bool>,
    hits_for: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

/// skim's `CharType::of` for every byte (non-ASCII bytes never reach it).
const CHAR_TYPES: [CharType; 256] = {
    let mut table = [CharType::Lower; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = match c as u8 {
            0 => CharType::Empty,
            b' ' | b'/' | b'\\' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => {
                CharType::HardSep
            }
            b'!'..=b'\'' | b'*'..=b'.' | b':'..=b'@' | b'^'..=b'`' | b'~' => CharType::SoftSep,
            b'0'..=b'9' => CharType::Number,
            b'A'..=b'Z' => CharType::Upper,
            _ => CharType::Lower,
        };
        c += 1;
    }
    table
};

#[inline]
fn char_type(c: u8) -> CharType {
    CHAR_TYPES[c as usize]
}

#[inline]
fn in_place_bonus(prev: CharType, cur: CharType) -> i32 {
    match (prev, cur) {
        (CharType::Empty | CharType::HardSep, _) => BONUS_HEAD,
        (CharType::SoftSep, _) => BONUS_BREAK,
        (CharType::Lower | CharType::Number, CharType::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

impl Scorer {
    /// skim's score of `pattern` in `choice` (`None` when it does not match), as
    /// `SkimMatcherV2::default().fuzzy_match(choice, pattern)` gives it.
    pub(super) fn score(&mut self, choice: &str, pattern: &str) -> Option<i64> {
        self.score_with_tail(choice, pattern)
            .map(|(score, _)| score)
    }

    /// [`Scorer::score`], with what its last two rows held ([`Tail`]) when the port computed
    /// it (`None` for text or a pattern that is not ASCII, which skim itself scores).
    pub(super) fn score_with_tail(
        &mut self,
        choice: &str,
        pattern: &str,
    ) -> Option<(i64, Option<Tail>)> {
        // One ASCII char scores from its position's neighbour alone, which a byte reads as
        // skim's char does (a non-ASCII neighbour is "lower" either way): no ASCII check.
        if let [p] = *pattern.as_bytes() {
            if p.is_ascii() {
                let score = single_char_score(choice.as_bytes(), p)?;
                let tail = choice.is_ascii().then(|| Tail::of_one_char(score));
                return Some((i64::from(score), tail));
            }
        }
        if !choice.is_ascii() || !pattern.is_ascii() {
            return fresh_skim_score(choice, pattern).map(|score| (score, None));
        }
        self.score_ascii(choice.as_bytes(), pattern.as_bytes())
            .map(|(score, tail)| (i64::from(score), Some(tail)))
    }

    /// skim's score over ASCII text in one pass over the columns where a pattern char is.
    ///
    /// skim fills a matrix of pattern rows by text columns; in each row a column either
    /// matches the row's char or carries the row's (match, skip) scores one column on, which
    /// [`age`] does for a run of columns at once, so only the columns holding a pattern char
    /// are visited, each row updated there from the row above at the column before. Two of
    /// skim's quirks are kept (the port keeps two rows, as skim's compressed matrix does):
    /// a row starts, at the column of its char's first match, from the scores skim finds left
    /// in that cell, the ones of the row two above (the first row from nothing, the second
    /// from the row above the first); and the last row's best includes that start. skim's
    /// consecutive bonus, read from a cell it may not have written in this row, is never
    /// more than the column's own bonus or [`BONUS_CONSECUTIVE`], so it is their larger.
    fn score_ascii(&mut self, choice: &[u8], pattern: &[u8]) -> Option<(i32, Tail)> {
        let Some(last) = pattern.len().checked_sub(1) else {
            return Some((0, Tail::EMPTY));
        };
        let chars = Chars {
            case_sensitive: pattern.iter().any(u8::is_ascii_uppercase),
        };
        let first = &mut self.first_matches;
        first.clear();
        let mut from = 0;
        for &p in pattern {
            let rest = choice.get(from..).unwrap_or_default();
            let found = if chars.case_sensitive || !p.is_ascii_alphabetic() {
                memchr::memchr(p, rest)
            } else {
                memchr::memchr2(p.to_ascii_lowercase(), p.to_ascii_uppercase(), rest)
            };
            let at = from + found?;
            first.push(at);
            from = at + 1;
        }
        if self.hits_for != pattern || self.hits.len() != 256 {
            self.hits.clear();
            self.hits.resize(256, false);
            for &p in pattern {
                for b in [p, p.to_ascii_lowercase(), p.to_ascii_uppercase()] {
                    if chars.case_sensitive && b != p {
                        continue;
                    }
                    if let Some(hit) = self.hits.get_mut(b as usize) {
                        *hit = true;
                    }
                }
            }
            self.hits_for.clear();
            self.hits_for.extend_from_slice(pattern);
        }
        let rows = &mut self.rows;
        rows.clear();
        let start = first.first().copied().unwrap_or(0);
        let mut col = start;
        let mut best = NEG_INFINITY;
        // The highest (match, skip) scores the last row and the one above it took.
        let mut tail = Tail {
            last: (NEG_INFINITY, NEG_INFINITY - 4),
            above: if last == 0 {
                ABOVE_FIRST
            } else {
                (NEG_INFINITY, NEG_INFINITY - 4)
            },
            best: NEG_INFINITY,
        };
        let columns = choice.iter().enumerate().skip(start);
        for (j, &c) in columns.filter(|&(_, &c)| self.hits.get(c as usize) == Some(&true)) {
            if j > col {
                for row in rows.iter_mut() {
                    *row = age(*row, j - col);
                }
            }
            if first.get(rows.len()) == Some(&j) {
                let begun = match rows.len() {
                    0 => (NEG_INFINITY, NEG_INFINITY),
                    1 => ABOVE_FIRST,
                    n => rows.get(n - 2).copied().unwrap_or(ABOVE_FIRST),
                };
                if rows.len() == last {
                    best = best.max(begun.0);
                }
                rows.push(begun);
            }
            let at = At::new(choice, j, c, chars);
            // Bottom row first: each reads the row above at the column before.
            for i in (0..rows.len()).rev() {
                let above = match i.checked_sub(1) {
                    Some(up) => rows.get(up).copied().unwrap_or(ABOVE_FIRST),
                    None => ABOVE_FIRST,
                };
                let p = pattern.get(i).copied().unwrap_or(0);
                let matched = at.matched(above, p);
                if i == last {
                    if let Some(score) = matched {
                        best = best.max(score);
                    }
                }
                if let Some(row) = rows.get_mut(i) {
                    *row = step(*row, matched);
                    let kept = if i == last {
                        Some(&mut tail.last)
                    } else if i + 1 == last {
                        Some(&mut tail.above)
                    } else {
                        None
                    };
                    if let Some(kept) = kept {
                        *kept = (kept.0.max(row.0), kept.1.max(row.1));
                    }
                }
            }
            col = j + 1;
        }
        Some((best, tail.settled(best)))
    }
}

/// skim's score from a matcher with a clean cache (see the module notes).
pub(super) fn fresh_skim_score(choice: &str, pattern: &str) -> Option<i64> {
    SkimMatcherV2::default().fuzzy_match(choice, pattern)
}

/// skim's score of a one-char pattern, which its matrix reduces to: the best over the
/// matching positions of the position's in-place bonus (doubled on the first char), less one
/// gap extension, plus the match score (less the case-mismatch penalty). Only the positions
/// `memchr` finds are looked at.
fn single_char_score(choice: &[u8], p: u8) -> Option<i32> {
    let case_sensitive = p.is_ascii_uppercase();
    let (a, b) = if case_sensitive {
        (p, p)
    } else {
        (p.to_ascii_lowercase(), p.to_ascii_uppercase())
    };
    let mut best = None;
    for j in memchr::memchr2_iter(a, b, choice) {
        let c = choice.get(j).copied().unwrap_or(p);
        let prev = match j.checked_sub(1).and_then(|i| choice.get(i)) {
            Some(&before) => char_type(before),
            None => CharType::Empty,
        };
        let mut bonus = in_place_bonus(prev, char_type(c));
        if j == 0 {
            bonus *= BONUS_FIRST_CHAR_MULTIPLIER;
        }
        let penalty = if p != c { PENALTY_CASE_MISMATCH } else { 0 };
        let score = GAP_EXTENSION + bonus + (SCORE_MATCH + penalty).max(0);
        best = Some(best.map_or(score, |b: i32| b.max(score)));
    }
    best
}

/// How a closed form compares and scores chars: skim's rules for one case sensitivity.
#[derive(Clone, Copy)]
struct Chars {
    case_sensitive: bool,
}

impl Chars {
    #[inline]
    fn equal(self, c: u8, p: u8) -> bool {
        if self.case_sensitive {
            c == p
        } else {
            c.eq_ignore_ascii_case(&p)
        }
    }

    #[inline]
    fn match_score(self, c: u8, p: u8) -> i32 {
        let penalty = if !self.case_sensitive && p != c {
            PENALTY_CASE_MISMATCH
        } else {
            0
        };
        (SCORE_MATCH + penalty).max(0)
    }
}

/// Char `j`'s in-place bonus (skim's `in_place_bonuses[j + 1]`).
#[inline]
fn in_place_at(choice: &[u8], j: usize) -> i32 {
    let prev = match j.checked_sub(1).and_then(|i| choice.get(i)) {
        Some(&c) => char_type(c),
        None => CharType::Empty,
    };
    let cur = choice.get(j).map_or(CharType::Empty, |&c| char_type(c));
    let bonus = in_place_bonus(prev, cur);
    if j == 0 {
        bonus * BONUS_FIRST_CHAR_MULTIPLIER
    } else {
        bonus
    }
}

/// A row's running (match, skip) scores moved over `gap` columns where its char does not
/// match: the first gap column turns a match into a gap, the others extend it (skim's scores
/// bottom out four below its "minus infinity").
#[inline]
fn age(row: (i32, i32), gap: usize) -> (i32, i32) {
    if gap == 0 {
        return row;
    }
    let skip = (GAP_START + GAP_EXTENSION + row.0).max(GAP_EXTENSION + row.1);
    let rest = i32::try_from(gap - 1).unwrap_or(i32::MAX);
    (
        NEG_INFINITY,
        skip.saturating_sub(rest).max(NEG_INFINITY - 4),
    )
}

/// The (match, skip) scores of one row of skim's matrix at a column, as the closed forms keep
/// them: the best score of the row's pattern char matching there, and of it matching before.
type Row = (i32, i32);

/// The row above the first pattern char's: skim's row 0, where nothing has matched and a skip
/// costs one gap extension.
const ABOVE_FIRST: Row = (NEG_INFINITY, GAP_EXTENSION);

/// What the last two rows of skim's matrix held over a whole text: for each, the highest
/// match score and an upper bound of every skip score it carried (carrying a row over columns
/// only lowers its skip below `max(match - 4, skip - 1)`, which the bound holds). The rows of a
/// pattern do not depend on the rows below them, so a pattern one char longer has these same
/// rows above its new last one; [`Tail::extend`] bounds what that new row can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tail {
    last: Row,
    above: Row,
    /// The pattern's score, or a bound of it.
    best: i32,
}

/// What a text may hold, for bounding scores without reading it: see [`Tail::extend`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Shape {
    /// The byte classes ([`byte_class`]) that follow a separator, or open the text: where a
    /// char may earn a head or break bonus.
    heads: u64,
    /// The pairs of adjacent byte classes, hashed to a bit ([`pair_bit`]).
    pairs: u64,
    /// The class of the text's first byte, as a bit (all bits: any).
    opens: u64,
    /// Whether the text holds an uppercase letter (a case-insensitive char may match it).
    upper: bool,
    /// Whether the port scores the text (it is ASCII): tails are only for such texts.
    ascii: bool,
}

impl Shape {
    /// A shape that may hold anything: for text the port does not score.
    pub(crate) const ANY: Shape = Shape {
        heads: u64::MAX,
        pairs: u64::MAX,
        opens: u64::MAX,
        upper: true,
        ascii: false,
    };

    /// The shape of `text` (`None` when it is not ASCII: skim scores those itself), and the
    /// byte classes it holds as bits (what `Presence` keeps of it), both in one walk.
    pub(crate) fn of(text: &str) -> (Option<Shape>, u64) {
        let bytes = text.as_bytes();
        if !text.is_ascii() {
            let classes = bytes.iter().fold(0, |held, &b| held | 1 << byte_class(b));
            return (None, classes);
        }
        let Some((&first, rest)) = bytes.split_first() else {
            let empty = Shape {
                ascii: true,
                ..Shape::default()
            };
            return (Some(empty), 0);
        };
        // One walk, each byte's class and type read once from tables.
        let mut prev = first;
        let mut prev_class = byte_class(first);
        let opens = 1 << prev_class;
        let mut classes = opens;
        let mut shape = Shape {
            heads: opens,
            pairs: 0,
            opens,
            upper: first.is_ascii_uppercase(),
            ascii: true,
        };
        for &b in rest {
            let class = byte_class(b);
            classes |= 1 << class;
            if matches!(char_type(prev), CharType::HardSep | CharType::SoftSep) {
                shape.heads |= 1 << class;
            }
            shape.pairs |= 1 << class_pair_bit(prev_class, class);
            shape.upper |= b.is_ascii_uppercase();
            prev = b;
            prev_class = class;
        }
        (Some(shape), classes)
    }
}

/// [`byte_class`] of every byte.
const BYTE_CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match (b as u8).to_ascii_lowercase() {
            c @ b'a'..=b'z' => c - b'a',
            c @ b'0'..=b'9' => 26 + (c - b'0'),
            c => 36 + c % 28,
        };
        b += 1;
    }
    table
};

/// A byte's class for [`Shape`]: letters of either case and digits each their own, other
/// bytes sharing the rest. Sharing only makes a shape say "maybe" more often.
#[inline]
pub(super) fn byte_class(b: u8) -> u32 {
    u32::from(BYTE_CLASSES[usize::from(b)])
}

fn pair_bit(a: u8, b: u8) -> u32 {
    class_pair_bit(byte_class(a), byte_class(b))
}

#[inline]
fn class_pair_bit(a: u32, b: u32) -> u32 {
    (a * 37 + b * 11) % 64
}

impl Tail {
    const EMPTY: Tail = Tail {
        last: ABOVE_FIRST,
        above: ABOVE_FIRST,
        best: 0,
    };

    /// The tail of a pattern the text does not match: no longer pattern matches it either,
    /// and every extension of it bounds the score at 0.
    pub(super) const NO_MATCH: Tail = Tail {
        last: (NEG_INFINITY, NEG_INFINITY - 4),
        above: (NEG_INFINITY, NEG_INFINITY - 4),
        best: NEG_INFINITY,
    };

    /// No tail known: stands in for one in a memo.
    pub(super) const UNKNOWN: Tail = Tail {
        last: (0, 0),
        above: (0, 0),
        best: i32::MIN,
    };

    /// The tail, unless it is [`Tail::UNKNOWN`].
    pub(super) fn known(self) -> Option<Tail> {
        (self.best != i32::MIN).then_some(self)
    }

    /// The tail of a one-char pattern scoring `score`: its row matched at best `score` and
    /// skipped from there; the row above it is skim's row 0.
    fn of_one_char(score: i32) -> Tail {
        Tail {
            last: (score, (score - 4).max(NEG_INFINITY - 1)),
            above: ABOVE_FIRST,
            best: score,
        }
    }

    /// The tail of a scoring that ended with `best`, skip bounds made to hold for the
    /// columns carried after the last one visited too.
    fn settled(self, best: i32) -> Tail {
        let settle = |(m, s): Row| (m, s.max(m - 4).max(NEG_INFINITY - 4));
        Tail {
            last: settle(self.last),
            above: settle(self.above),
            best,
        }
    }

    /// The highest score the pattern of this tail can have, as ranking counts it (a missing
    /// or negative score counts 0).
    pub(super) fn bound(self) -> i32 {
        self.best.max(0)
    }

    /// An upper bound of the tail of the one-char pattern `c` (ASCII) on a text of `shape`,
    /// without reading the text: a char scores from its column's in-place bonus alone,
    /// doubled at the text's start (see [`single_char_score`]). `None` for an uppercase char
    /// when the pattern ignores case (it cannot: such a pattern is case-sensitive) and for a
    /// text the port does not score.
    pub(super) fn start(c: u8, case_sensitive: bool, shape: Shape) -> Option<Tail> {
        if !shape.ascii || !c.is_ascii() || c.is_ascii_uppercase() && !case_sensitive {
            return None;
        }
        let class = 1 << byte_class(c);
        let may_be_upper = if case_sensitive {
            c.is_ascii_uppercase()
        } else {
            shape.upper && c.is_ascii_alphabetic()
        };
        let bonus = if shape.opens & class != 0 {
            BONUS_HEAD * BONUS_FIRST_CHAR_MULTIPLIER
        } else if shape.heads & class != 0 {
            BONUS_HEAD
        } else if may_be_upper {
            BONUS_CAMEL
        } else {
            0
        };
        Some(Tail::of_one_char(GAP_EXTENSION + bonus + SCORE_MATCH))
    }

    /// An upper bound of the tail of this tail's pattern followed by `next` (an ASCII byte,
    /// `prev` being the pattern's last char; `case_sensitive` when the pattern holds an
    /// uppercase letter) on a text of `shape`, without reading the text. `None` when `next`
    /// is an uppercase letter the pattern did not hold: the longer pattern is case-sensitive,
    /// so its rows are not this one's.
    ///
    /// The new row matches `next` at a column either right after the last row's match, with
    /// the consecutive bonus (which the two chars decide, as the text holds them there, in
    /// either case when the match ignores case), or after a skip, with the column's in-place
    /// bonus (a head or break bonus only where `next` follows a separator in the text, a
    /// camel bonus only where the text may hold it uppercase). It starts from the row two
    /// above (skim's quirk, see `score_ascii`), whose match also counts in the last row's
    /// best.
    pub(super) fn extend(
        self,
        prev: u8,
        next: u8,
        case_sensitive: bool,
        shape: Shape,
    ) -> Option<Tail> {
        if !shape.ascii || !next.is_ascii() || next.is_ascii_uppercase() && !case_sensitive {
            return None;
        }
        let either_case = !case_sensitive && shape.upper;
        let types = |c: u8| {
            let as_written = char_type(c);
            if either_case && c.is_ascii_alphabetic() {
                [CharType::Lower, CharType::Upper]
            } else {
                [as_written, as_written]
            }
        };
        let consecutive = (shape.pairs & 1 << pair_bit(prev, next) != 0).then(|| {
            let bonus = types(prev)
                .into_iter()
                .flat_map(|p| types(next).map(|n| in_place_bonus(p, n)))
                .max()
                .unwrap_or(0);
            self.last.0 + bonus.max(BONUS_CONSECUTIVE)
        });
        let in_place = if shape.heads & 1 << byte_class(next) != 0 {
            BONUS_HEAD
        } else if types(next).contains(&CharType::Upper) {
            BONUS_CAMEL
        } else {
            0
        };
        let skipped = self.last.1 + in_place;
        let matched = consecutive.map_or(skipped, |c| c.max(skipped)) + SCORE_MATCH;
        let skip = (matched - 4)
            .max(self.above.0 - 4)
            .max(self.above.1 - 1)
            .max(NEG_INFINITY - 4);
        Some(Tail {
            last: (matched, skip),
            above: self.last,
            best: matched.max(self.above.0),
        })
    }
}

/// A column of the text as the closed forms step over it: its char and bonuses.
#[derive(Clone, Copy)]
struct At {
    c: u8,
    in_place: i32,
    consecutive: i32,
    chars: Chars,
}

impl At {
    #[inline]
    fn new(choice: &[u8], j: usize, c: u8, chars: Chars) -> At {
        let in_place = in_place_at(choice, j);
        At {
            c,
            in_place,
            consecutive: in_place.max(BONUS_CONSECUTIVE),
            chars,
        }
    }

    /// The score of pattern char `p` matching here, after the row above's `above` scores at
    /// the column before (its match earns the consecutive bonus, its skip the in-place one);
    /// `None` when `p` is not here.
    #[inline]
    fn matched(self, above: Row, p: u8) -> Option<i32> {
        if !self.chars.equal(self.c, p) {
            return None;
        }
        let entered = (above.0 + self.consecutive).max(above.1 + self.in_place);
        Some(entered + self.chars.match_score(self.c, p))
    }
}

/// A row's scores one column on: `matched` from [`At::matched`], and a skip carried from its
/// own scores.
#[inline]
fn step(row: Row, matched: Option<i32>) -> Row {
    (
        matched.unwrap_or(NEG_INFINITY),
        (GAP_START + GAP_EXTENSION + row.0).max(GAP_EXTENSION + row.1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64*: deterministic random text without a dependency.
    struct XorShift(u64);

    impl XorShift {
        fn new(seed: u64) -> XorShift {
            XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }

        fn below(&mut self, n: usize) -> usize {
            let mut x = self.0;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0 = x;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
        }

        fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    fn random_text(rng: &mut XorShift, alphabet: &[u8], max: usize) -> String {
        let len = rng.below(max + 1);
        (0..len).map(|_| char::from(*rng.pick(alphabet))).collect()
    }

    /// The shape of `text` and its classes from their definition, each pair and class
    /// spelled out.
    fn shape_by_definition(text: &str) -> (Option<Shape>, u64) {
        let class = |b: u8| match b.to_ascii_lowercase() {
            c @ b'a'..=b'z' => u32::from(c - b'a'),
            c @ b'0'..=b'9' => 26 + u32::from(c - b'0'),
            c => 36 + u32::from(c) % 28,
        };
        let separator = |b: u8| b" /\\|()[]{}!\"#$%&'*+,-.:;<=>?@^_`~".contains(&b);
        let bytes = text.as_bytes();
        let classes = bytes.iter().fold(0u64, |held, &b| held | 1 << class(b));
        let mut shape = Shape {
            ascii: true,
            ..Shape::default()
        };
        for (i, &b) in bytes.iter().enumerate() {
            if !b.is_ascii() {
                return (None, classes);
            }
            shape.upper |= b.is_ascii_uppercase();
            match i.checked_sub(1).map(|p| bytes[p]) {
                None => {
                    shape.opens = 1 << class(b);
                    shape.heads |= 1 << class(b);
                }
                Some(a) => {
                    if separator(a) {
                        shape.heads |= 1 << class(b);
                    }
                    shape.pairs |= 1 << ((class(a) * 37 + class(b) * 11) % 64);
                }
            }
        }
        (Some(shape), classes)
    }

    #[test]
    fn shapes_hold_what_their_texts_hold() {
        let mut rng = XorShift::new(11);
        let alphabet: Vec<u8> = (1..=127).collect();
        for _ in 0..20_000 {
            let text = random_text(&mut rng, &alphabet, 12);
            assert_eq!(Shape::of(&text), shape_by_definition(&text), "{text:?}");
        }
        for text in [
            "",
            "A",
            "clk: qcom: Fix PLL0",
            "x86/mm",
            "Jérôme",
            "a\u{0}b",
        ] {
            assert_eq!(Shape::of(text), shape_by_definition(text), "{text:?}");
        }
    }

    #[test]
    fn scores_equal_skims_on_random_ascii() {
        let mut scorer = Scorer::default();
        let mut rng = XorShift::new(5);
        let alphabet = b"abcdeABCDE01 /:_-.()[]|\\xyzXYZ\t!~@`";
        for round in 0..40_000 {
            let choice = random_text(&mut rng, alphabet, 40);
            let max = [1, 2, 6, 3][round % 4];
            let pattern = random_text(&mut rng, alphabet, max);
            assert_eq!(
                scorer.score(&choice, &pattern),
                fresh_skim_score(&choice, &pattern),
                "{choice:?} / {pattern:?}"
            );
        }
    }

    /// Scores `rounds` random patterns of `lengths` chars on random texts up to `text` chars
    /// long as fresh skim does: lower-case texts, and mixed ones where a case-insensitive
    /// char matches either (`mixed`, which may carry a char the lower-case one lacks).
    fn random_patterns_equal_skims(
        seed: u64,
        rounds: usize,
        mixed: &[u8],
        text: usize,
        lengths: std::ops::Range<usize>,
    ) {
        let mut scorer = Scorer::default();
        let mut rng = XorShift::new(seed);
        for round in 0..rounds {
            let alphabet: &[u8] = if round % 2 == 0 {
                b"abcab0 /:-_.(x"
            } else {
                mixed
            };
            let choice = random_text(&mut rng, alphabet, text);
            let len = lengths.start + rng.below(lengths.len());
            let pattern: String = (0..len).map(|_| char::from(*rng.pick(alphabet))).collect();
            assert_eq!(
                scorer.score(&choice, &pattern),
                fresh_skim_score(&choice, &pattern),
                "{choice:?} / {pattern:?}"
            );
        }
    }

    #[test]
    fn short_patterns_equal_skims() {
        random_patterns_equal_skims(11, 150_000, b"abAB0 /:-_.(x", 40, 2..4);
    }

    /// Real subjects from linux-clk (January 2026), as written and folded.
    const REAL_TITLES: [&str; 16] = [
        "clk: renesas: cpg-mssr: simplify pointer math in cpg_rzt2h_mstp_read()",
        "drm/bridge: fsl-ldb: Parse register offsets from DT",
        "dt-bindings: display: renesas,rzg2l-du: Add support",
        "Revert \"treewide: Fix probing of devices in DT",
        "MAINTAINERS: Add entry for Mobileye RISC-V SoCs",
        "nvmem: microchip-otpc: Expose UID registers as 2nd nvmem device",
        "RE: dt-bindings: PCI: renesas,r9a08g045s33-pcie:",
        "clk: st: clkgen-pll: Add a cleaup in clkgen_c32_pll_setup()",
        "arm64: dts: renesas: r9a09g047: Add fcpvd1 node",
        "Fix CPG suspend/resume on RZ/T2H and RZ/N2H",
        "clk: qcom: gcc-sm8550: Fix rate rounding for PLL0 in clk_rcg2_set_rate()",
        "media/videobuf2: Mark follow_pfn usage as unsafe",
        "KVM: selftests: Rework early IOMMU mapping in kvm_util_mux_stop()",
        "[PATCH v3 2/9] clk: qcom: Mark sm8550_desc_probe() follow_pfn usage as unsafe",
        "cdx: Use mutex guard to simplify error handling",
        "a-b_c d/e.f(g)h[i]j{k}l|m\\n:o;p<q>r?s@t^u`v~w!x",
    ];

    /// A real title (folded two rounds in three) and a pattern of 2 to 12 of its chars picked
    /// out of it, so that nearly every one matches: a run of neighbours, as a typed word is,
    /// every `neighbours_every` rounds; lower-cased every fifth round.
    fn picked_from_real_title(
        rng: &mut XorShift,
        round: usize,
        neighbours_every: usize,
    ) -> (String, String) {
        let title = *rng.pick(&REAL_TITLES);
        let choice = if round % 3 == 0 {
            title.to_string()
        } else {
            crate::index::fold::fold(title)
        };
        let bytes = choice.as_bytes();
        let len = 2 + rng.below(11);
        let mut picks: Vec<usize> = (0..len).map(|_| rng.below(bytes.len())).collect();
        if round % neighbours_every == 0 {
            let at = rng.below(bytes.len());
            picks = (at..(at + len).min(bytes.len())).collect();
        }
        picks.sort_unstable();
        let mut pattern: String = picks.iter().map(|&i| char::from(bytes[i])).collect();
        if round % 5 == 0 {
            pattern = pattern.to_ascii_lowercase();
        }
        (choice, pattern)
    }

    #[test]
    fn scores_equal_skims_for_patterns_found_in_real_titles() {
        // Patterns picked out of the title itself, so that nearly every one matches and the
        // whole alignment is exercised, at lengths typing reaches (2 to 12 chars).
        let mut scorer = Scorer::default();
        let mut rng = XorShift::new(17);
        let mut matched = 0;
        for round in 0..60_000 {
            let (choice, mut pattern) = picked_from_real_title(&mut rng, round, 4);
            let choice = choice.as_str();
            if round % 7 == 0 {
                pattern.push(char::from(*rng.pick(b"aez ")));
            }
            let want = fresh_skim_score(choice, &pattern);
            matched += usize::from(want.is_some());
            assert_eq!(
                scorer.score(choice, &pattern),
                want,
                "{choice:?} / {pattern:?}"
            );
        }
        assert!(matched > 45_000, "{matched} patterns matched");
    }

    /// Checks that a tail extended char by char, from the exact tail of every prefix of
    /// `pattern`, bounds the exact score of each longer prefix on `choice`.
    fn tails_bound_longer_patterns(scorer: &mut Scorer, choice: &str, pattern: &str) -> usize {
        let (Some(shape), _) = Shape::of(choice) else {
            return 0;
        };
        let exact: Vec<i32> = (1..=pattern.len())
            .map(|n| {
                let s = scorer.score(choice, &pattern[..n]).unwrap_or(0);
                i32::try_from(s.max(0)).unwrap_or(i32::MAX)
            })
            .collect();
        let bytes = pattern.as_bytes();
        let mut checked = 0;
        // From nothing: the first char's bound from the shape alone, then extended.
        if let Some(&c) = bytes.first() {
            let mut tail = Tail::start(c, c.is_ascii_uppercase(), shape);
            for n in 1..=pattern.len() {
                let Some(known) = tail else {
                    break;
                };
                assert!(
                    known.bound() >= exact[n - 1],
                    "{choice:?} / {:?} from nothing: bound {} < score {}",
                    &pattern[..n],
                    known.bound(),
                    exact[n - 1]
                );
                checked += 1;
                let case_sensitive = bytes[..n].iter().any(u8::is_ascii_uppercase);
                tail = bytes
                    .get(n)
                    .and_then(|&next| known.extend(bytes[n - 1], next, case_sensitive, shape));
            }
        }
        for from in 1..pattern.len() {
            let Some((score, Some(mut tail))) = scorer.score_with_tail(choice, &pattern[..from])
            else {
                continue;
            };
            assert_eq!(i64::from(tail.bound()), score.max(0));
            let case_sensitive = bytes[..from].iter().any(u8::is_ascii_uppercase);
            for n in from + 1..=pattern.len() {
                let Some(longer) = tail.extend(bytes[n - 2], bytes[n - 1], case_sensitive, shape)
                else {
                    assert!(bytes[n - 1].is_ascii_uppercase() && !case_sensitive);
                    break;
                };
                tail = longer;
                assert!(
                    tail.bound() >= exact[n - 1],
                    "{choice:?} / {:?} from {:?}: bound {} < score {}",
                    &pattern[..n],
                    &pattern[..from],
                    tail.bound(),
                    exact[n - 1]
                );
                checked += 1;
            }
        }
        checked
    }

    #[test]
    fn extended_tails_bound_the_scores_of_longer_patterns_on_random_ascii() {
        let mut scorer = Scorer::default();
        let mut rng = XorShift::new(29);
        let mut checked = 0;
        for round in 0..60_000 {
            let alphabet: &[u8] = match round % 3 {
                0 => b"abcab0 /:-_.(x",
                1 => b"abAB0 /:-_.(xY",
                _ => b"aabbc  -/",
            };
            let choice = random_text(&mut rng, alphabet, 60);
            let len = 2 + rng.below(8);
            let mut pattern: String = (0..len).map(|_| char::from(*rng.pick(alphabet))).collect();
            if round % 4 == 0 && !choice.is_empty() {
                // Picked out of the text, so that it matches.
                let bytes = choice.as_bytes();
                let mut picks: Vec<usize> = (0..len).map(|_| rng.below(bytes.len())).collect();
                picks.sort_unstable();
                pattern = picks.iter().map(|&i| char::from(bytes[i])).collect();
            }
            checked += tails_bound_longer_patterns(&mut scorer, &choice, &pattern);
        }
        assert!(checked > 100_000, "{checked} bounds checked");
    }

    #[test]
    fn extended_tails_bound_the_scores_of_longer_patterns_on_real_titles() {
        let mut scorer = Scorer::default();
        let mut rng = XorShift::new(31);
        let mut checked = 0;
        for round in 0..20_000 {
            let (choice, pattern) = picked_from_real_title(&mut rng, round, 2);
            checked += tails_bound_longer_patterns(&mut scorer, &choice, &pattern);
        }
        assert!(checked > 50_000, "{checked} bounds checked");
    }

    #[test]
    fn long_patterns_equal_skims_on_random_ascii() {
        random_patterns_equal_skims(23, 40_000, b"abAB0 /:-_.(xY", 120, 4..12);
    }

    #[test]
    fn a_shared_skim_matcher_is_not_a_function() {
        // Found by the random test: the same call on a matcher that scored other strings
        // before gives another score. The port follows the fresh matcher.
        let shared = SkimMatcherV2::default();
        let mut rng = XorShift::new(11);
        let alphabet = b"abAB0 /:-_.(x";
        let mut differ = 0;
        for _ in 0..100_000 {
            let choice = random_text(&mut rng, alphabet, 30);
            let len = 3 + rng.below(2);
            let pattern: String = (0..len).map(|_| char::from(*rng.pick(alphabet))).collect();
            differ += usize::from(
                shared.fuzzy_match(&choice, &pattern) != fresh_skim_score(&choice, &pattern),
            );
        }
        assert!(
            differ > 0,
            "skim's cache no longer leaks: the port's notes can go"
        );
    }

    #[test]
    fn one_char_scores_equal_skims_on_any_text() {
        let mut scorer = Scorer::default();
        let mut rng = XorShift::new(3);
        let alphabet = ["a", "A", "b", " ", "/", "-", "é", "É", "日", "0", "(", "_"];
        for _ in 0..50_000 {
            let choice: String = (0..rng.below(20)).map(|_| *rng.pick(&alphabet)).collect();
            let pattern = *rng.pick(&["a", "A", "b", "-", "0", " "]);
            assert_eq!(
                scorer.score(&choice, pattern),
                fresh_skim_score(&choice, pattern),
                "{choice:?} / {pattern:?}"
            );
        }
    }

    #[test]
    fn scores_equal_skims_on_titles() {
        let mut scorer = Scorer::default();
        let titles = [
            "media/videobuf2: Mark follow_pfn usage as unsafe",
            "clk: qcom: gcc-sm8550: Fix rate rounding for PLL0 in clk_rcg2_set_rate()",
            "KVM: VMX: Forbid userspace MSR filters for x2APIC",
            "daniel.vetter@ffwll.ch",
            "",
            "Jérôme Glisse",
        ];
        for title in titles {
            for pattern in [
                "c",
                "clk",
                "pfn",
                "Vet",
                "vetter",
                "x2",
                "é",
                "mark unsafe",
                "zz",
                "",
            ] {
                assert_eq!(
                    scorer.score(title, pattern),
                    fresh_skim_score(title, pattern),
                    "{title:?} / {pattern:?}"
                );
            }
        }
    }
}
