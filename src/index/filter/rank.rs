//! Ranking matches by fuzzy score, and the char positions a row highlights.
//!
//! Scores are skim's (`SkimMatcherV2`'s algorithm, see `skim_score`), one scorer per worker,
//! and only for messages that already matched. A message's score is the sum over the query's
//! positive text terms on titles, authors, tags and series titles of its best field score.
//! Scores are memoised per distinct string, so the replies that share a title are scored once,
//! and the memo of a term is kept for the next keystroke, so `s:clk` is not scored again while
//! ` v:3` is typed after it. Equal scores keep newer messages first.
//!
//! The first rows can come before the rest ([`First`]): a title's score for a term one char
//! longer than the last keystroke's is bounded from what scoring the shorter term left
//! ([`Tail`]) and the title's [`Shape`], without reading the title, so only the messages whose
//! bound reaches the first rows' scores are scored before those rows are handed out; the
//! others are scored after, and the whole order is the same as scoring everything.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;

use super::Cancel;
use super::plan::{Query, Source, Term, Test};
use super::skim_score::{Scorer, Tail};
use crate::index::bits::{self, for_each_bit};
use crate::index::haystack::Haystacks;
use crate::index::matcher::TextMatcher;
use crate::index::query::{Field, Mode};

/// Not yet scored nor bounded.
const UNSET: i32 = i32::MIN;
/// Longest prefix of a string (bytes) that is scored: keeps a hostile 1 MB subject cheap.
const SCORED_PREFIX: usize = 512;
/// Longest title (bytes) whose highlight positions skim's full alignment finds.
const HIGHLIGHT_SKIM_LIMIT: usize = 4096;
/// Messages, or entries of a source, handled by one parallel task.
const CHUNK: usize = 4096;

/// The first rows of a ranking, handed out as soon as they are known.
pub struct First<'a> {
    /// How many.
    pub rows: usize,
    /// Called once with the best `rows` messages, best first, before the rest are scored.
    pub publish: &'a mut dyn FnMut(Vec<u32>),
}

/// One positive text term of the query and the sources it is scored on.
struct Scored<'a> {
    matcher: &'a TextMatcher,
    sources: Vec<ScoredSource<'a>>,
}

struct ScoredSource<'a> {
    source: Source,
    /// The entry of each message.
    column: &'a [u32],
    memo: Memo,
    /// The memo of the term one char shorter, whose tails bound this one's scores.
    shorter: Option<Memo>,
}

/// The scores of one term over the distinct strings of one source, filled as needed.
pub(super) struct Memo {
    source: Source,
    needle: String,
    case_sensitive: bool,
    /// Per entry: its score when `>= 0`, a bound `b` of it as `-1 - b`, [`UNSET`] when
    /// neither is known.
    values: Vec<i32>,
    /// Per entry: its tail ([`Tail::UNKNOWN`] when not known), for the next keystroke's bounds
    /// (titles only; other sources are small and always scored).
    tails: Vec<Tail>,
    /// The entries filled, so that a memo's memory is reused by clearing only those: a fresh
    /// one for half a million titles is 11 MB of new pages a keystroke.
    touched: Vec<u64>,
}

/// What a memo knows of an entry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Score(i32),
    Bound(i32),
    Nothing,
}

impl Known {
    fn of(value: i32) -> Known {
        match value {
            UNSET => Known::Nothing,
            v if v >= 0 => Known::Score(v),
            v => Known::Bound(-1 - v),
        }
    }

    fn bound(bound: i32) -> i32 {
        -1 - bound.clamp(0, i32::MAX - 1)
    }
}

impl Memo {
    /// An empty memo of `m` on `source`, in `spare`'s memory when given.
    fn new(hay: &Haystacks, source: Source, m: &TextMatcher, spare: Option<Memo>) -> Memo {
        let len = source.len(hay);
        let mut memo = spare.unwrap_or_else(|| Memo {
            source,
            needle: String::new(),
            case_sensitive: false,
            values: vec![UNSET; len],
            tails: vec![Tail::UNKNOWN; len],
            touched: vec![0; len.div_ceil(64)],
        });
        for (w, word) in memo.touched.iter_mut().enumerate() {
            for_each_bit(*word, |b| {
                if let Some(value) = memo.values.get_mut(w * 64 + b) {
                    *value = UNSET;
                }
                if let Some(tail) = memo.tails.get_mut(w * 64 + b) {
                    *tail = Tail::UNKNOWN;
                }
            });
            *word = 0;
        }
        memo.source = source;
        memo.needle.clone_from(&m.needle);
        memo.case_sensitive = m.case_sensitive;
        memo
    }

    fn known(&self, id: u32) -> Known {
        self.values
            .get(id as usize)
            .map_or(Known::Score(0), |&v| Known::of(v))
    }
}

/// The memos of the last ranking, for the haystacks they were made on, and memos no longer
/// needed whose memory the next ones reuse.
#[derive(Default)]
pub(super) struct MemoCache {
    haystacks: u64,
    memos: Vec<Memo>,
    spare: Vec<Memo>,
}

/// Spare memos kept: one a source, about 11 MB for the titles of a million messages.
const SPARE_MEMOS: usize = 3;

impl MemoCache {
    fn take(
        &mut self,
        hay: &Haystacks,
        source: Source,
        m: &TextMatcher,
        needle: &str,
    ) -> Option<Memo> {
        if self.haystacks != hay.id() {
            self.memos.clear();
            self.spare.clear();
            return None;
        }
        let at = self.memos.iter().position(|memo| {
            memo.source == source
                && memo.case_sensitive == m.case_sensitive
                && memo.needle == needle
        })?;
        Some(self.memos.swap_remove(at))
    }

    /// The memo of `m` on `source`, and for titles the memo of the term one char shorter when
    /// it is kept and its tails can be extended by the char typed since.
    fn memo(&mut self, hay: &Haystacks, source: Source, m: &TextMatcher) -> (Memo, Option<Memo>) {
        if let Some(memo) = self.take(hay, source, m, &m.needle) {
            return (memo, None);
        }
        let shorter = m
            .needle
            .len()
            .checked_sub(1)
            .filter(|&n| n > 0 && m.needle.as_bytes().get(n).is_some_and(u8::is_ascii))
            .and_then(|n| m.needle.get(..n))
            .filter(|_| source == Source::Titles)
            .and_then(|shorter| self.take(hay, source, m, shorter));
        let spare = self
            .spare
            .iter()
            .position(|memo| memo.source == source)
            .map(|at| self.spare.swap_remove(at));
        (Memo::new(hay, source, m, spare), shorter)
    }

    /// Keeps `used` for the next ranking, and the memos of this one no longer needed as spares.
    fn keep(&mut self, hay: &Haystacks, used: Vec<Memo>, done: Vec<Memo>) {
        self.haystacks = hay.id();
        let unused = std::mem::replace(&mut self.memos, used);
        self.spare.extend(done.into_iter().chain(unused));
        let excess = self.spare.len().saturating_sub(SPARE_MEMOS);
        self.spare.drain(..excess);
    }
}

/// A message's score, or a bound of it when `exact` is false.
#[derive(Clone, Copy)]
struct Value {
    score: i32,
    exact: bool,
}

/// One ranking's terms and what scoring them needs.
struct Ranking<'a> {
    hay: &'a Haystacks,
    terms: Vec<Scored<'a>>,
}

impl Ranking<'_> {
    /// Makes sure every entry `docs` refer to is scored, or with `bounded` at least bounded
    /// when a bound can be had without reading it. Entries are visited in id order, each
    /// parallel task owning a range of them. `None` when cancelled.
    fn fill(&mut self, docs: &[u32], bounded: bool, cancel: Option<&Cancel<'_>>) -> Option<()> {
        let hay = self.hay;
        // The entries each source's memo needs, found for all sources at once. A newer
        // keystroke waits for this ranking to give up, so it looks for one as it goes.
        let wanted: Option<Vec<Vec<u64>>> = self
            .terms
            .iter()
            .flat_map(|t| &t.sources)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|scored| {
                let mut wanted = vec![0u64; scored.memo.values.len().div_ceil(64)];
                for part in docs.chunks(CHUNK * 4) {
                    if cancel.is_some_and(Cancel::is_superseded) {
                        return None;
                    }
                    for &doc in part {
                        if let Some(&id) = scored.column.get(doc as usize) {
                            bits::insert(&mut wanted, id as usize);
                        }
                    }
                }
                Some(wanted)
            })
            .collect();
        let wanted = wanted?;
        let mut wanted = wanted.into_iter();
        for term in &mut self.terms {
            let m = term.matcher;
            for scored in &mut term.sources {
                let wanted = wanted.next().unwrap_or_default();
                let source = scored.source;
                let shorter = scored.shorter.as_ref().filter(|_| bounded);
                let memo = &mut scored.memo;
                for (touched, &word) in memo.touched.iter_mut().zip(&wanted) {
                    *touched |= word;
                }
                let done = memo
                    .values
                    .par_chunks_mut(CHUNK)
                    .zip(memo.tails.par_chunks_mut(CHUNK))
                    .enumerate()
                    .map_init(Scorer::default, |skim, (c, (values, tails))| {
                        if cancel.is_some_and(Cancel::is_superseded) {
                            return false;
                        }
                        let base = c * CHUNK;
                        let words = wanted.get(base / 64..(base + values.len()).div_ceil(64));
                        for (w, &word) in words.unwrap_or_default().iter().enumerate() {
                            for_each_bit(word, |b| {
                                let i = w * 64 + b;
                                let id = u32::try_from(base + i).unwrap_or(u32::MAX);
                                if let (Some(value), Some(tail)) =
                                    (values.get_mut(i), tails.get_mut(i))
                                {
                                    fill_entry(
                                        hay, skim, m, source, shorter, bounded, id, value, tail,
                                    );
                                }
                            });
                        }
                        true
                    })
                    .all(|done| done);
                if !done {
                    return None;
                }
            }
        }
        Some(())
    }

    /// Message `doc`'s score summed over the terms, or a bound of it.
    fn value(&self, doc: u32) -> Value {
        let mut sum = 0i32;
        let mut exact = true;
        for term in &self.terms {
            // The best score and the best bound over the term's sources.
            let (mut score, mut bound) = (0i32, 0i32);
            for scored in &term.sources {
                let Some(&id) = scored.column.get(doc as usize) else {
                    continue;
                };
                match scored.memo.known(id) {
                    Known::Score(s) => score = score.max(s),
                    Known::Bound(b) => bound = bound.max(b),
                    // Every entry is filled before it is read; should one not be, it is
                    // treated as unknown, so the message gets scored.
                    Known::Nothing => bound = i32::MAX,
                }
            }
            exact &= bound <= score;
            sum = sum.saturating_add(score.max(bound));
        }
        Value { score: sum, exact }
    }

    /// The values of `docs`, in parallel; `None` when cancelled.
    fn values(&self, docs: &[u32], cancel: Option<&Cancel<'_>>) -> Option<Vec<Value>> {
        let chunks: Option<Vec<Vec<Value>>> = docs
            .par_chunks(CHUNK)
            .map(|chunk| {
                if cancel.is_some_and(Cancel::is_superseded) {
                    return None;
                }
                Some(chunk.iter().map(|&d| self.value(d)).collect())
            })
            .collect();
        Some(chunks?.concat())
    }

    /// Scores the messages of `matches` whose values `pick` chooses and updates their values;
    /// `None` when cancelled.
    fn settle(
        &mut self,
        matches: &[u32],
        values: &mut [Value],
        pick: impl Fn(&Value) -> bool + Sync,
        cancel: Option<&Cancel<'_>>,
    ) -> Option<()> {
        if cancel.is_some_and(Cancel::is_superseded) {
            return None;
        }
        let pending: Vec<usize> = values
            .par_iter()
            .enumerate()
            .filter(|(_, v)| pick(v))
            .map(|(i, _)| i)
            .collect();
        self.settle_at(matches, values, &pending, cancel)
    }

    /// Scores the messages at places `pending` of `matches` and updates their values; `None`
    /// when cancelled.
    fn settle_at(
        &mut self,
        matches: &[u32],
        values: &mut [Value],
        pending: &[usize],
        cancel: Option<&Cancel<'_>>,
    ) -> Option<()> {
        let docs: Vec<u32> = pending
            .iter()
            .filter_map(|&i| matches.get(i).copied())
            .collect();
        self.fill(&docs, false, cancel)?;
        for (&i, value) in pending.iter().zip(self.values(&docs, cancel)?) {
            if let Some(slot) = values.get_mut(i) {
                *slot = value;
            }
        }
        Some(())
    }
}

/// Fills one entry of a memo: scores it, or with `bounded` bounds it from the shorter term's
/// tail when that is known (a bound of 0 is the score: nothing scores below it).
#[allow(clippy::too_many_arguments)]
fn fill_entry(
    hay: &Haystacks,
    skim: &mut Scorer,
    m: &TextMatcher,
    source: Source,
    shorter: Option<&Memo>,
    bounded: bool,
    id: u32,
    value: &mut i32,
    tail: &mut Tail,
) {
    match Known::of(*value) {
        Known::Score(_) => return,
        Known::Bound(_) if bounded => return,
        _ => {}
    }
    if bounded && source == Source::Titles {
        let extended =
            hay.title_shapes
                .get(id as usize)
                .and_then(|&shape| match *m.needle.as_bytes() {
                    [c] => Tail::start(c, m.case_sensitive, shape),
                    [.., prev, next] => {
                        let known = shorter?.tails.get(id as usize)?.known()?;
                        known.extend(prev, next, m.case_sensitive, shape)
                    }
                    [] => None,
                });
        if let Some(extended) = extended {
            *tail = extended;
            *value = match extended.bound() {
                0 => 0,
                bound => Known::bound(bound),
            };
            return;
        }
    }
    let (score, scored_tail) = entry_score(hay, skim, m, source, id);
    *value = score;
    if let Some(scored_tail) = scored_tail {
        *tail = scored_tail;
    }
}

/// Orders `matches` (ascending message indices) by descending score, newer first on ties.
/// `None` when cancelled. `memos` holds the scores of the last ranking and gets this one's.
/// With `first`, the best of them are handed out before the others are scored.
pub(super) fn rank(
    hay: &Haystacks,
    query: &Query,
    matches: &[u32],
    cancel: Option<&Cancel<'_>>,
    memos: &mut MemoCache,
    first: Option<First<'_>>,
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
                        .filter_map(|&source| {
                            let column = source.column(hay)?;
                            let (memo, shorter) = memos.memo(hay, source, m);
                            Some(ScoredSource {
                                source,
                                column,
                                memo,
                                shorter,
                            })
                        })
                        .collect(),
                })
            }
            _ => None,
        })
        .collect();
    let mut ranking = Ranking { hay, terms };
    let ranked = rank_with(&mut ranking, matches, cancel, first);
    // The memos are kept for the next keystroke, even those of a cancelled ranking: what
    // they hold is right as far as it goes.
    let (mut used, mut done) = (Vec::new(), Vec::new());
    for scored in ranking.terms.into_iter().flat_map(|t| t.sources) {
        used.push(scored.memo);
        done.extend(scored.shorter);
    }
    memos.keep(hay, used, done);
    ranked
}

fn rank_with(
    ranking: &mut Ranking<'_>,
    matches: &[u32],
    cancel: Option<&Cancel<'_>>,
    first: Option<First<'_>>,
) -> Option<Vec<u32>> {
    let first = match first {
        Some(first) if matches.len() > first.rows => {
            ranking.fill(matches, true, cancel)?;
            let mut values = ranking.values(matches, cancel)?;
            let best = best_first(ranking, matches, &mut values, first.rows, cancel)?;
            (first.publish)(best);
            ranking.settle(matches, &mut values, |v| !v.exact, cancel)?;
            if cancel.is_some_and(Cancel::is_superseded) {
                return None;
            }
            let scores: Vec<i32> = values.iter().map(|v| v.score).collect();
            return Some(sort_by_score(matches, &scores));
        }
        first => first,
    };
    ranking.fill(matches, false, cancel)?;
    let values = ranking.values(matches, cancel)?;
    let scores: Vec<i32> = values.iter().map(|v| v.score).collect();
    let ranked = sort_by_score(matches, &scores);
    if let Some(first) = first {
        (first.publish)(ranked.iter().take(first.rows).copied().collect());
    }
    Some(ranked)
}

/// The best `rows` of `matches`, best first, newer first on ties, scoring exactly only the
/// messages that may be among them. Rows are ordered by (score, message) and a message's value
/// bounds its score, so once `rows` scored messages stand above every unscored message's
/// (bound, message), they are the best. Each round scores the unscored messages with the
/// highest (bound, message), twice as many as the round before: when thousands of titles tie
/// at the best score, the newest of them settle the first rows in a round or two, and when the
/// bounds are loose, a few rounds reach them. The unscored messages are put in that order
/// once, and the best scored ones are kept as they come, so a round costs what it scores, not
/// a pass over all the matches. `None` when cancelled.
fn best_first(
    ranking: &mut Ranking<'_>,
    matches: &[u32],
    values: &mut [Value],
    rows: usize,
    cancel: Option<&Cancel<'_>>,
) -> Option<Vec<u32>> {
    if rows == 0 {
        return Some(Vec::new());
    }
    let mut top = TopRows::new(rows);
    // Newest first: of many equal scores (every match of a term nothing scores is 0) the
    // first `rows` are kept and the others fail one comparison each.
    for (v, &doc) in values.iter().zip(matches).rev() {
        if v.exact {
            top.offer((v.score, doc));
        }
    }
    let open = by_bound(values, top.kth());
    let mut rest = open.as_slice();
    let mut batch = rows.saturating_mul(4).max(64);
    loop {
        // The unscored messages come best bound first, so those that may still rank above
        // the `rows`-th scored one are the first of them.
        let above = match top.kth() {
            Some(kth) => rest.partition_point(|&i| {
                let i = i as usize;
                let value = values.get(i).map_or(0, |v| v.score);
                (value, matches.get(i).copied().unwrap_or(0)) > kth
            }),
            None => rest.len(),
        };
        if above == 0 {
            break;
        }
        let (picked, later) = rest.split_at(above.min(batch));
        let picked: Vec<usize> = picked.iter().map(|&i| i as usize).collect();
        ranking.settle_at(matches, values, &picked, cancel)?;
        for &i in &picked {
            if let (Some(v), Some(&doc)) = (values.get(i), matches.get(i)) {
                top.offer((v.score, doc));
            }
        }
        rest = later;
        batch = batch.saturating_mul(2);
    }
    Some(top.into_best().into_iter().map(|(_, doc)| doc).collect())
}

/// The places in `values` not scored exactly whose (bound, place) is above `floor` (all when
/// `None`), highest first: the order in which [`best_first`] scores them. Places stand for
/// messages, which `matches` holds ascending.
fn by_bound(values: &[Value], floor: Option<(i32, u32)>) -> Vec<u32> {
    let open: Vec<(u32, i32)> = values
        .par_iter()
        .enumerate()
        .filter(|(_, v)| !v.exact && floor.is_none_or(|(score, _)| v.score >= score))
        .filter_map(|(i, v)| Some((u32::try_from(i).ok()?, v.score)))
        .collect();
    let (places, bounds): (Vec<u32>, Vec<i32>) = open.into_iter().unzip();
    sort_by_score(&places, &bounds)
}

/// The best `rows` (score, message) pairs offered so far.
struct TopRows {
    rows: usize,
    /// The worst of them on top.
    heap: std::collections::BinaryHeap<std::cmp::Reverse<(i32, u32)>>,
}

impl TopRows {
    fn new(rows: usize) -> TopRows {
        TopRows {
            rows,
            heap: std::collections::BinaryHeap::with_capacity(rows.min(1 << 16) + 1),
        }
    }

    fn offer(&mut self, row: (i32, u32)) {
        if self.heap.len() < self.rows {
            self.heap.push(std::cmp::Reverse(row));
        } else if self.heap.peek().is_some_and(|worst| row > worst.0) {
            self.heap.pop();
            self.heap.push(std::cmp::Reverse(row));
        }
    }

    /// The `rows`-th best pair, once that many were offered.
    fn kth(&self) -> Option<(i32, u32)> {
        (self.heap.len() >= self.rows)
            .then(|| self.heap.peek().map(|worst| worst.0))
            .flatten()
    }

    /// The pairs kept, best first.
    fn into_best(self) -> Vec<(i32, u32)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|std::cmp::Reverse(row)| row)
            .collect()
    }
}

/// Entry `id`'s score for `m` and, for a title the port scored, its tail.
fn entry_score(
    hay: &Haystacks,
    skim: &mut Scorer,
    m: &TextMatcher,
    source: Source,
    id: u32,
) -> (i32, Option<Tail>) {
    let cs = m.case_sensitive;
    let clamp = |s: i64| i32::try_from(s.max(0)).unwrap_or(i32::MAX);
    if source == Source::Titles {
        let text = prefix(hay.titles.text(id, cs), SCORED_PREFIX);
        return match skim.score_with_tail(text, &m.needle) {
            Some((score, tail)) => (clamp(score), tail),
            None => (0, Some(Tail::NO_MATCH)),
        };
    }
    let mut score = |text: &str| {
        let text = prefix(text, SCORED_PREFIX);
        skim.score(text, &m.needle).map_or(0, clamp)
    };
    let score = if let Some(text) = source.single_text(hay, id, cs) {
        score(text)
    } else {
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
    };
    (score, None)
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
    fn top_rows_keep_the_best_pairs_as_a_full_sort_would() {
        let pairs: Vec<(i32, u32)> = (0..500u32).map(|d| ((d * 37 % 23) as i32, d)).collect();
        for rows in [1, 7, 64, 500, 900] {
            let mut top = TopRows::new(rows);
            for &pair in &pairs {
                top.offer(pair);
            }
            let mut sorted = pairs.clone();
            sorted.sort_unstable_by(|a, b| b.cmp(a));
            sorted.truncate(rows);
            assert_eq!(top.kth(), (rows <= pairs.len()).then(|| sorted[rows - 1]));
            assert_eq!(top.into_best(), sorted, "{rows} rows");
        }
    }

    #[test]
    fn unscored_places_come_best_bound_first_above_the_floor() {
        let value = |score, exact| Value { score, exact };
        let values = [
            value(5, false),
            value(9, true),
            value(7, false),
            value(5, false),
            value(2, false),
        ];
        assert_eq!(by_bound(&values, None), vec![2, 3, 0, 4]);
        assert_eq!(by_bound(&values, Some((5, 0))), vec![2, 3, 0]);
    }

    #[test]
    fn wide_scores_fall_back_to_a_comparison_sort() {
        let docs = [1, 2, 3, 4];
        let scores = [0, i32::MAX, -5, i32::MAX];
        assert_eq!(sort_by_score(&docs, &scores), vec![4, 2, 1, 3]);
        assert!(sort_by_score(&[], &[]).is_empty());
    }
}
