//! Ranking matches by fuzzy score, and the char positions a row highlights.
//!
//! Scores are skim's (`SkimMatcherV2`'s algorithm, see `skim_score`), one scorer per worker,
//! and only for messages that already matched. A message's score is the sum over the query's
//! positive text terms on titles, authors, tags and series titles of its best field score.
//! Scores are memoised per distinct string, so the replies that share a title are scored once,
//! and the memo of a term is kept for the next keystroke, so `s:clk` is not scored again while
//! ` v:3` is typed after it. Equal scores keep newer messages first.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;

use super::Cancel;
use super::plan::{Query, Source, Term, Test};
use super::skim_score::Scorer;
use crate::index::haystack::Haystacks;
use crate::index::matcher::TextMatcher;
use crate::index::query::{Field, Mode};

/// Not yet scored.
const UNSET: i32 = i32::MIN;
/// Longest prefix of a string (bytes) that is scored: keeps a hostile 1 MB subject cheap.
const SCORED_PREFIX: usize = 512;
/// Longest title (bytes) whose highlight positions skim's full alignment finds.
const HIGHLIGHT_SKIM_LIMIT: usize = 4096;

struct Scored<'a> {
    matcher: &'a TextMatcher,
    /// Each scored source with the entry of each message and the memo of entry scores.
    sources: Vec<(Source, &'a [u32], Arc<Memo>)>,
}

/// The scores of one term over the distinct strings of one source, filled as needed.
pub(super) struct Memo {
    source: Source,
    needle: String,
    case_sensitive: bool,
    scores: Vec<AtomicI32>,
}

/// The memos of the last ranking, for the haystacks they were made on.
#[derive(Default)]
pub(super) struct MemoCache {
    haystacks: u64,
    memos: Vec<Arc<Memo>>,
}

impl MemoCache {
    fn memo(&self, hay: &Haystacks, source: Source, m: &TextMatcher) -> Arc<Memo> {
        let kept = self.memos.iter().find(|memo| {
            self.haystacks == hay.id()
                && memo.source == source
                && memo.case_sensitive == m.case_sensitive
                && memo.needle == m.needle
        });
        match kept {
            Some(memo) => Arc::clone(memo),
            None => Arc::new(Memo {
                source,
                needle: m.needle.clone(),
                case_sensitive: m.case_sensitive,
                scores: (0..source.len(hay))
                    .map(|_| AtomicI32::new(UNSET))
                    .collect(),
            }),
        }
    }
}

/// Orders `matches` (ascending message indices) by descending score, newer first on ties.
/// `None` when cancelled. `memos` holds the scores of the last ranking and gets this one's.
pub(super) fn rank(
    hay: &Haystacks,
    query: &Query,
    matches: &[u32],
    cancel: Option<&Cancel<'_>>,
    memos: &mut MemoCache,
) -> Option<Vec<u32>> {
    // A term the normal form repeats (`(a b) OR c` holds `c` twice) is scored once.
    let mut positive: Vec<&Term> = Vec::new();
    for term in query.clauses.iter().flat_map(|c| &c.alternatives) {
        if !term.negated && !positive.iter().any(|t| t.same_text(term)) {
            positive.push(term);
        }
    }
    let terms: Vec<Scored<'_>> = positive
        .into_iter()
        .filter_map(|t| match &t.test {
            Test::Text(field @ (Field::Any | Field::From | Field::Subject | Field::Series), m) => {
                Some(Scored {
                    matcher: m,
                    sources: Source::ranked(*field)
                        .iter()
                        .filter_map(|&s| Some((s, s.column(hay)?, memos.memo(hay, s, m))))
                        .collect(),
                })
            }
            _ => None,
        })
        .collect();
    *memos = MemoCache {
        haystacks: hay.id(),
        memos: terms
            .iter()
            .flat_map(|t| t.sources.iter().map(|(_, _, memo)| Arc::clone(memo)))
            .collect(),
    };
    let chunks: Option<Vec<Vec<i32>>> = matches
        .par_chunks(2048)
        .map_init(Scorer::default, |skim, chunk| {
            if cancel.is_some_and(Cancel::is_superseded) {
                return None;
            }
            let mut sums = vec![0i32; chunk.len()];
            let mut best = vec![0i32; chunk.len()];
            for term in &terms {
                best.fill(0);
                for (source, column, memo) in &term.sources {
                    // Source by source over the chunk: one tight loop per memo.
                    for (best, &doc) in best.iter_mut().zip(chunk) {
                        let score =
                            entry_score_memo(hay, skim, term.matcher, *source, column, memo, doc);
                        *best = (*best).max(score);
                    }
                }
                for (sum, &b) in sums.iter_mut().zip(&best) {
                    *sum = sum.saturating_add(b);
                }
            }
            Some(sums)
        })
        .collect();
    let scores: Vec<i32> = chunks?.concat();
    Some(sort_by_score(matches, &scores))
}

/// The memoised score of the entry message `doc` refers to, computed on first use.
#[inline]
fn entry_score_memo(
    hay: &Haystacks,
    skim: &mut Scorer,
    m: &TextMatcher,
    source: Source,
    column: &[u32],
    memo: &Memo,
    doc: u32,
) -> i32 {
    let Some(&id) = column.get(doc as usize) else {
        return 0;
    };
    let Some(slot) = memo.scores.get(id as usize) else {
        return 0;
    };
    let mut score = slot.load(Ordering::Relaxed);
    if score == UNSET {
        // Two workers may score the same string at once; both store the same value.
        score = entry_score(hay, skim, m, source, id);
        slot.store(score, Ordering::Relaxed);
    }
    score
}

fn entry_score(
    hay: &Haystacks,
    skim: &mut Scorer,
    m: &TextMatcher,
    source: Source,
    id: u32,
) -> i32 {
    let cs = m.case_sensitive;
    let mut score = |text: &str| {
        let text = prefix(text, SCORED_PREFIX);
        skim.score(text, &m.needle)
            .map_or(0, |s| i32::try_from(s.max(0)).unwrap_or(i32::MAX))
    };
    if let Some(text) = source.single_text(hay, id, cs) {
        return score(text);
    }
    match source {
        Source::Authors | Source::People => {
            score(hay.names.text(id, cs)).max(score(hay.emails.text(id, cs)))
        }
        Source::TagSets => hay
            .tag_sets
            .get(id as usize)
            .iter()
            .map(|&t| score(hay.tags.text(t, cs)))
            .max()
            .unwrap_or(0),
        _ => 0,
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// Descending score, then descending index. A counting sort when the scores span a small
/// range (the usual case), else a comparison sort.
fn sort_by_score(docs: &[u32], scores: &[i32]) -> Vec<u32> {
    let (Some(&min), Some(&max)) = (scores.iter().min(), scores.iter().max()) else {
        return Vec::new();
    };
    let span = i64::from(max) - i64::from(min) + 1;
    if span > 1 << 16 {
        let mut keyed: Vec<(i32, u32)> = scores.iter().copied().zip(docs.iter().copied()).collect();
        keyed.par_sort_unstable_by(|a, b| b.cmp(a));
        return keyed.into_iter().map(|(_, d)| d).collect();
    }
    let bucket = |s: i32| usize::try_from(i64::from(max) - i64::from(s)).unwrap_or(0);
    let mut starts = vec![0usize; usize::try_from(span).unwrap_or(0) + 1];
    for &s in scores {
        if let Some(c) = starts.get_mut(bucket(s) + 1) {
            *c += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut out = vec![0u32; docs.len()];
    for (&doc, &s) in docs.iter().zip(scores).rev() {
        if let Some(at) = starts.get_mut(bucket(s)) {
            if let Some(slot) = out.get_mut(*at) {
                *slot = doc;
            }
            *at += 1;
        }
    }
    out
}

impl Haystacks {
    /// The char indices of message `doc`'s title that `query` matched, sorted, for highlighting
    /// the rows on screen: the positive plain and `subject:` terms, fuzzy ones where skim's best
    /// alignment puts them.
    pub fn match_positions(&self, doc: u32, query: &Query) -> Vec<usize> {
        let Some(&title) = self.doc_title.get(doc as usize) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for term in query.clauses.iter().flat_map(|c| &c.alternatives) {
            let Test::Text(Field::Any | Field::Subject, m) = &term.test else {
                continue;
            };
            if term.negated {
                continue;
            }
            let text = self.titles.text(title, m.case_sensitive);
            if !m.is_match(text) {
                continue;
            }
            // skim's alignment needs a matrix of title x term cells: only for a title of
            // sane length (a hostile one gets the leftmost match).
            let found = match m.mode {
                Mode::Fuzzy if text.len() <= HIGHLIGHT_SKIM_LIMIT => SkimMatcherV2::default()
                    .fuzzy_indices(text, &m.needle)
                    .map(|(_, p)| p)
                    .or_else(|| m.span_positions(text)),
                _ => m.span_positions(text),
            };
            out.extend(found.unwrap_or_default());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_sort_orders_by_score_then_newest() {
        let docs = [1, 2, 3, 4, 5];
        let scores = [10, 30, 10, 30, 20];
        assert_eq!(sort_by_score(&docs, &scores), vec![4, 2, 5, 3, 1]);
    }

    #[test]
    fn wide_scores_fall_back_to_a_comparison_sort() {
        let docs = [1, 2, 3, 4];
        let scores = [0, i32::MAX, -5, i32::MAX];
        assert_eq!(sort_by_score(&docs, &scores), vec![4, 2, 1, 3]);
        assert!(sort_by_score(&[], &[]).is_empty());
    }
}
