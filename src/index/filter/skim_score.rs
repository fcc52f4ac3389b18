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

/// skim's score of a two-char pattern in one left-to-right pass. In skim's matrix the
/// consecutive bonus kept in the previous column is always zero in the first two rows, so the
/// two rows reduce to the running match/skip scores of the first char.
fn two_char_score(choice: &[u8], pattern: [u8; 2], skips: [usize; 2], case_sensitive: bool) -> i32 {
    let equal = |c: u8, p: u8| {
        if case_sensitive {
            c == p
        } else {
            c.eq_ignore_ascii_case(&p)
        }
    };
    let match_score = |c: u8, p: u8| {
        let penalty = if !case_sensitive && p != c {
            PENALTY_CASE_MISMATCH
        } else {
            0
        };
        (SCORE_MATCH + penalty).max(0)
    };
    let [p0, p1] = pattern;
    let [skip0, skip1] = skips;
    // Match and skip scores of the first char's row, at the current column.
    let (mut m1, mut s1) = (NEG_INFINITY, NEG_INFINITY);
    let mut best = NEG_INFINITY;
    let mut prev = match skip0.checked_sub(1).and_then(|i| choice.get(i)) {
        Some(&c) => char_type(c),
        None => CharType::Empty,
    };
    for (j, &c) in choice.iter().enumerate().skip(skip0) {
        let cur = char_type(c);
        let mut in_place = in_place_bonus(prev, cur);
        if j == 0 {
            in_place *= BONUS_FIRST_CHAR_MULTIPLIER;
        }
        prev = cur;
        if j >= skip1 && equal(c, p1) {
            let consecutive = in_place.max(BONUS_CONSECUTIVE);
            let score = (m1 + consecutive).max(s1 + in_place) + match_score(c, p1);
            best = best.max(score);
        }
        let next_m = if equal(c, p0) {
            (NEG_INFINITY + in_place.max(BONUS_CONSECUTIVE)).max(GAP_EXTENSION + in_place)
                + match_score(c, p0)
        } else {
            NEG_INFINITY
        };
        s1 = (GAP_START + GAP_EXTENSION + m1).max(GAP_EXTENSION + s1);
        m1 = next_m;
    }
    best
}

/// skim's score of a three-char pattern in one left-to-right pass: the running scores of the
/// first two rows, plus skim's quirks for the third: it starts from the first row's scores at
/// its first column (the matrix keeps two rows and reuses them), and its consecutive bonus may
/// come from what the first row left in the column.
fn three_char_score(
    choice: &[u8],
    pattern: [u8; 3],
    skips: [usize; 3],
    case_sensitive: bool,
) -> i32 {
    let equal = |c: u8, p: u8| {
        if case_sensitive {
            c == p
        } else {
            c.eq_ignore_ascii_case(&p)
        }
    };
    let match_score = |c: u8, p: u8| {
        let penalty = if !case_sensitive && p != c {
            PENALTY_CASE_MISMATCH
        } else {
            0
        };
        (SCORE_MATCH + penalty).max(0)
    };
    let [p0, p1, p2] = pattern;
    let [skip0, skip1, skip2] = skips;
    let (mut m1, mut s1) = (NEG_INFINITY, NEG_INFINITY);
    let (mut m2, mut s2) = (NEG_INFINITY, GAP_EXTENSION);
    let mut third_matched_before = false;
    let mut best = NEG_INFINITY;
    let mut prev = match skip0.checked_sub(1).and_then(|i| choice.get(i)) {
        Some(&c) => char_type(c),
        None => CharType::Empty,
    };
    for (j, &c) in choice.iter().enumerate().skip(skip0) {
        let cur = char_type(c);
        let mut in_place = in_place_bonus(prev, cur);
        if j == 0 {
            in_place *= BONUS_FIRST_CHAR_MULTIPLIER;
        }
        prev = cur;
        let consecutive = in_place.max(BONUS_CONSECUTIVE);
        let first_matches = equal(c, p0);
        if j == skip2 {
            best = best.max(m1);
        }
        if j >= skip2 {
            let first_row_bonus = if first_matches { consecutive } else { 0 };
            let kept = if j == skip2 || third_matched_before {
                first_row_bonus
            } else {
                0
            };
            third_matched_before = equal(c, p2);
            if third_matched_before {
                let score = (m2 + kept.max(consecutive)).max(s2 + in_place) + match_score(c, p2);
                best = best.max(score);
            }
        }
        if j >= skip1 {
            let next_m2 = if equal(c, p1) {
                (m1 + consecutive).max(s1 + in_place) + match_score(c, p1)
            } else {
                NEG_INFINITY
            };
            s2 = (GAP_START + GAP_EXTENSION + m2).max(GAP_EXTENSION + s2);
            m2 = next_m2;
        }
        let next_m1 = if first_matches {
            (NEG_INFINITY + consecutive).max(GAP_EXTENSION + in_place) + match_score(c, p0)
        } else {
            NEG_INFINITY
        };
        s1 = (GAP_START + GAP_EXTENSION + m1).max(GAP_EXTENSION + s1);
        m1 = next_m1;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::synth::XorShift;

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
        let alphabet = b"abAB0 /:-_.(x";
        for _ in 0..100_000 {
            let choice = random_text(&mut rng, alphabet, 30);
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
