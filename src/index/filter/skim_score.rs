//! Fuzzy scores exactly as `SkimMatcherV2::fuzzy_match` computes them, without its overhead.
//!
//! Ranking a keystroke over a million messages scores up to a few hundred thousand distinct
//! titles. skim's matcher spends most of its ~2 µs a call outside the scoring itself: it copies
//! the text into a `Vec<char>`, allocates two vectors per call and looks up three thread-locals.
//! [`Scorer`] runs the same dynamic programme (same constants, same two-row matrix, same order
//! of updates; it is a port of fuzzy-matcher 0.3.7's `skim.rs`) on ASCII bytes with buffers kept
//! between calls, with closed forms for patterns of one to three chars (what most keystrokes
//! type), which is several times faster. Text or patterns that are not ASCII (rare: folding
//! makes Latin names ASCII) go to a real `SkimMatcherV2`.
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

#[derive(Clone, Copy)]
struct Cell {
    m_score: i32,
    p_score: i32,
    bonus: i32,
}

const RESET: Cell = Cell {
    m_score: NEG_INFINITY,
    p_score: NEG_INFINITY,
    bonus: 0,
};

/// A fuzzy scorer with its buffers; keep one per worker thread.
#[derive(Default)]
pub(super) struct Scorer {
    first_matches: Vec<usize>,
    bonuses: Vec<i32>,
    cells: Vec<Cell>,
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
        // One ASCII char scores from its position's neighbour alone, which a byte reads as
        // skim's char does (a non-ASCII neighbour is "lower" either way): no ASCII check.
        if let [p] = *pattern.as_bytes() {
            if p.is_ascii() {
                return single_char_score(choice.as_bytes(), p).map(i64::from);
            }
        }
        if !choice.is_ascii() || !pattern.is_ascii() {
            return fresh_skim_score(choice, pattern);
        }
        self.score_ascii(choice.as_bytes(), pattern.as_bytes())
            .map(i64::from)
    }

    fn score_ascii(&mut self, choice: &[u8], pattern: &[u8]) -> Option<i32> {
        if pattern.is_empty() {
            return Some(0);
        }
        let case_sensitive = pattern.iter().any(u8::is_ascii_uppercase);
        let equal = |c: u8, p: u8| {
            if case_sensitive {
                c == p
            } else {
                c.eq_ignore_ascii_case(&p)
            }
        };
        let first = &mut self.first_matches;
        first.clear();
        for (i, &c) in choice.iter().enumerate() {
            match pattern.get(first.len()) {
                Some(&p) if equal(c, p) => first.push(i),
                Some(_) => {}
                None => break,
            }
        }
        if first.len() < pattern.len() {
            return None;
        }
        match *pattern {
            [p0, p1] => {
                if let [skip0, skip1] = **first {
                    return Some(two_char_score(
                        choice,
                        [p0, p1],
                        [skip0, skip1],
                        case_sensitive,
                    ));
                }
            }
            [p0, p1, p2] => {
                if let [s0, s1, s2] = **first {
                    return Some(three_char_score(
                        choice,
                        [p0, p1, p2],
                        [s0, s1, s2],
                        case_sensitive,
                    ));
                }
            }
            _ => {}
        }
        let cols = choice.len() + 1;
        let bonuses = &mut self.bonuses;
        bonuses.clear();
        bonuses.push(0);
        let mut prev = CharType::Empty;
        for &c in choice {
            let cur = char_type(c);
            bonuses.push(in_place_bonus(prev, cur));
            prev = cur;
        }
        if let Some(b) = bonuses.get_mut(1) {
            *b *= BONUS_FIRST_CHAR_MULTIPLIER;
        }
        let cells = &mut self.cells;
        cells.clear();
        cells.resize(2 * cols, RESET);
        let (row0, row1) = cells.split_at_mut(cols);
        for cell in row0.iter_mut() {
            cell.p_score = GAP_EXTENSION;
        }
        for (i, &p) in pattern.iter().enumerate() {
            // Row i + 1 of skim's matrix lives in row (i + 1) % 2 of ours.
            let (cur_row, prev_row): (&mut [Cell], &[Cell]) = if i % 2 == 0 {
                (&mut *row1, &*row0)
            } else {
                (&mut *row0, &*row1)
            };
            let skip = first.get(i).copied().unwrap_or(0);
            let (head, tail) = cur_row.split_at_mut((skip + 1).min(cols));
            let mut last_slot = head.last_mut()?;
            let columns = choice
                .get(skip..)
                .unwrap_or_default()
                .iter()
                .zip(bonuses.get(skip + 1..).unwrap_or_default())
                .zip(prev_row.get(skip..).unwrap_or_default());
            for (cur_slot, ((&c, &in_place), prev)) in tail.iter_mut().zip(columns) {
                let last = *last_slot;
                let mut cur = *cur_slot;
                if equal(c, p) {
                    let penalty = if !case_sensitive && p != c {
                        PENALTY_CASE_MISMATCH
                    } else {
                        0
                    };
                    // skim keeps the consecutive bonus in the previous column's cell, where
                    // the next pass over this row reads it back; kept for identical scores.
                    let consecutive = last.bonus.max(in_place.max(BONUS_CONSECUTIVE));
                    last_slot.bonus = consecutive;
                    let score_match = prev.m_score + consecutive;
                    let score_skip = prev.p_score + in_place;
                    cur.m_score = score_match.max(score_skip) + (SCORE_MATCH + penalty).max(0);
                } else {
                    cur.m_score = NEG_INFINITY;
                    cur.bonus = 0;
                }
                cur.p_score =
                    (GAP_START + GAP_EXTENSION + last.m_score).max(GAP_EXTENSION + last.p_score);
                *cur_slot = cur;
                last_slot = cur_slot;
            }
        }
        let last_row = (pattern.len() & 1) * cols;
        let from = first.last().copied().unwrap_or(0);
        cells
            .get(last_row + from..last_row + cols)?
            .iter()
            .map(|c| c.m_score)
            .max()
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

/// The columns from `from` where any of `needles` is, ascending; every column when the text
/// could hold a char `memchr` would miss (an uppercase letter for a case-insensitive pattern).
enum Columns<'c> {
    Two(memchr::Memchr2<'c>, usize),
    Three(memchr::Memchr3<'c>, usize),
    All(std::ops::Range<usize>),
}

impl<'c> Columns<'c> {
    fn new(choice: &'c [u8], needles: &[u8], from: usize, chars: Chars) -> Columns<'c> {
        let rest = choice.get(from..).unwrap_or_default();
        if !chars.case_sensitive && rest.iter().any(u8::is_ascii_uppercase) {
            return Columns::All(from..choice.len());
        }
        let lower = |i: usize| {
            let n = needles.get(i).copied().unwrap_or(0);
            if chars.case_sensitive {
                n
            } else {
                n.to_ascii_lowercase()
            }
        };
        match needles.len() {
            2 => Columns::Two(memchr::memchr2_iter(lower(0), lower(1), rest), from),
            _ => Columns::Three(
                memchr::memchr3_iter(lower(0), lower(1), lower(2), rest),
                from,
            ),
        }
    }
}

impl Iterator for Columns<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self {
            Columns::Two(it, from) => it.next().map(|j| j + *from),
            Columns::Three(it, from) => it.next().map(|j| j + *from),
            Columns::All(range) => range.next(),
        }
    }
}

/// The (match, skip) scores of one row of skim's matrix at a column, as the closed forms keep
/// them: the best score of the row's pattern char matching there, and of it matching before.
type Row = (i32, i32);

/// The row above the first pattern char's: skim's row 0, where nothing has matched and a skip
/// costs one gap extension.
const ABOVE_FIRST: Row = (NEG_INFINITY, GAP_EXTENSION);

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

/// skim's score of a two-char pattern in one left-to-right pass over the columns where a
/// pattern char is. In skim's matrix the consecutive bonus kept in the previous column is
/// always zero in the first two rows, so they reduce to the running match/skip scores of the
/// first char's row.
fn two_char_score(choice: &[u8], pattern: [u8; 2], skips: [usize; 2], case_sensitive: bool) -> i32 {
    let chars = Chars { case_sensitive };
    let [p0, p1] = pattern;
    let [skip0, skip1] = skips;
    // The first char's row at column `col`.
    let mut first = (NEG_INFINITY, NEG_INFINITY);
    let mut col = skip0;
    let mut best = NEG_INFINITY;
    for j in Columns::new(choice, &pattern, skip0, chars) {
        let Some(&c) = choice.get(j) else { break };
        first = age(first, j - col);
        let at = At::new(choice, j, c, chars);
        if j >= skip1 {
            if let Some(score) = at.matched(first, p1) {
                best = best.max(score);
            }
        }
        first = step(first, at.matched(ABOVE_FIRST, p0));
        col = j + 1;
    }
    best
}

/// skim's score of a three-char pattern in one pass, like [`two_char_score`], plus skim's
/// quirk for the third row: it starts from the first row's scores at its first column (the
/// matrix keeps two rows and reuses them). The consecutive bonus skim may find left in the
/// column by the first row is never more than the column's own, so it changes no score.
fn three_char_score(
    choice: &[u8],
    pattern: [u8; 3],
    skips: [usize; 3],
    case_sensitive: bool,
) -> i32 {
    let chars = Chars { case_sensitive };
    let [p0, p1, p2] = pattern;
    let [skip0, skip1, skip2] = skips;
    let mut first = (NEG_INFINITY, NEG_INFINITY);
    let mut second = ABOVE_FIRST;
    let mut col = skip0;
    let mut best = NEG_INFINITY;
    for j in Columns::new(choice, &pattern, skip0, chars) {
        let Some(&c) = choice.get(j) else { break };
        first = age(first, j - col);
        if col >= skip1 {
            second = age(second, j - col);
        }
        let at = At::new(choice, j, c, chars);
        if j == skip2 {
            best = best.max(first.0);
        }
        if j >= skip2 {
            if let Some(score) = at.matched(second, p2) {
                best = best.max(score);
            }
        }
        if j >= skip1 {
            second = step(second, at.matched(first, p1));
        }
        first = step(first, at.matched(ABOVE_FIRST, p0));
        col = j + 1;
    }
    best
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

    #[test]
    fn short_pattern_closed_forms_equal_skims() {
        let mut scorer = Scorer::default();
        let mut rng = XorShift::new(11);
        for round in 0..150_000 {
            // Lower-case texts take the memchr path, mixed ones the column-by-column one.
            let alphabet: &[u8] = if round % 2 == 0 {
                b"abcab0 /:-_.(x"
            } else {
                b"abAB0 /:-_.(x"
            };
            let choice = random_text(&mut rng, alphabet, 40);
            let len = 2 + rng.below(2);
            let pattern: String = (0..len).map(|_| char::from(*rng.pick(alphabet))).collect();
            assert_eq!(
                scorer.score(&choice, &pattern),
                fresh_skim_score(&choice, &pattern),
                "{choice:?} / {pattern:?}"
            );
        }
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
