//! The filter engine against an obviously correct reference: random queries over a synthetic
//! archive, typed one character at a time through one incremental engine, must give exactly
//! the messages (and, ranked, the order) that naive per-message string checks give.
//!
//! The reference shares only the parser and the one-char folding function with the engine: no
//! interning, masks, prefilters, memoised scores, narrowing or counting sort. It evaluates the
//! query tree as written ([`Ast::expr`]: AND, OR, negated terms), not the normal form the
//! engine runs, so the expansion of groups is checked too.

use crate::support::synth::{SynthDoc, XorShift, generate};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use patchdeck::index::filter::{BodySource, Engine, Matches, Order, Query, RunOptions};
use patchdeck::index::fold::{fold, is_case_sensitive};
use patchdeck::index::haystack::Haystacks;
use patchdeck::index::query::{Ast, Expr, Field, Mode, Predicate, Term};

/// A message as the reference sees it: the strings each field looks at (as written and
/// folded), plus typed fields.
struct RefDoc<'a> {
    doc: &'a SynthDoc,
    any: Vec<Text>,
    /// Author and sender, by name and address.
    from: Vec<Text>,
    /// The author alone: what ranking scores a `from:` term on.
    author: Vec<Text>,
    subject: Vec<Text>,
    files: Vec<Text>,
    body: Vec<Text>,
    trailers: Vec<Text>,
    series: Vec<Text>,
    list: Vec<Text>,
    tags: Vec<Text>,
}

struct Text {
    original: String,
    folded: String,
}

fn texts(strings: Vec<String>) -> Vec<Text> {
    strings
        .into_iter()
        .map(|original| Text {
            folded: fold(&original),
            original,
        })
        .collect()
}

impl<'a> RefDoc<'a> {
    fn new(doc: &'a SynthDoc, index: u32) -> RefDoc<'a> {
        let author = vec![doc.author.name.clone(), doc.author.email.clone()];
        RefDoc {
            doc,
            any: texts(
                [
                    vec![doc.title.clone()],
                    author.clone(),
                    doc.tags.iter().map(|t| t.to_string()).collect(),
                ]
                .concat(),
            ),
            from: texts(
                [
                    author.clone(),
                    vec![doc.sender.name.clone(), doc.sender.email.clone()],
                ]
                .concat(),
            ),
            author: texts(author),
            subject: texts(vec![doc.title.clone()]),
            files: texts(doc.files.iter().map(|f| f.path.to_string()).collect()),
            body: texts(vec![doc.body(index)]),
            trailers: texts(
                doc.trailers
                    .iter()
                    .map(|t| format!("{}: {}", t.key, t.value))
                    .collect(),
            ),
            series: texts(vec![doc.series_title.to_string()]),
            list: texts(doc.list_id.iter().map(|l| l.to_string()).collect()),
            tags: texts(doc.tags.iter().map(|t| t.to_string()).collect()),
        }
    }

    /// The strings a text term on `field` looks at.
    fn strings(&self, field: Field) -> &[Text] {
        match field {
            Field::Any => &self.any,
            Field::From => &self.from,
            Field::Subject => &self.subject,
            Field::File => &self.files,
            Field::Body => &self.body,
            Field::Trailer => &self.trailers,
            Field::Series => &self.series,
            Field::List => &self.list,
            Field::Tag => &self.tags,
        }
    }
}

/// A term with its text the way smart case compares it: folded unless it holds an uppercase
/// letter, in which case it is compared with the text as written.
struct Prepared<'q> {
    term: &'q Term,
    needle: String,
    case_sensitive: bool,
}

impl<'q> Prepared<'q> {
    fn new(term: &'q Term) -> Prepared<'q> {
        let text = match &term.predicate {
            Predicate::Text { text, .. } => text.as_str(),
            _ => "",
        };
        let case_sensitive = is_case_sensitive(text);
        let needle = if case_sensitive {
            text.to_string()
        } else {
            fold(text)
        };
        Prepared {
            term,
            needle,
            case_sensitive,
        }
    }

    fn hay<'t>(&self, text: &'t Text) -> &'t str {
        if self.case_sensitive {
            &text.original
        } else {
            &text.folded
        }
    }

    fn text_matches(&self, mode: Mode, text: &Text) -> bool {
        let (n, h) = (self.needle.as_str(), self.hay(text));
        match mode {
            Mode::Fuzzy => {
                let mut hay_chars = h.chars();
                n.chars().all(|c| hay_chars.any(|x| x == c))
            }
            Mode::Substring => h.contains(n),
            Mode::Prefix => h.starts_with(n),
            Mode::Suffix => h.ends_with(n),
            Mode::Exact => h == n,
        }
    }

    fn holds(&self, r: &RefDoc<'_>) -> bool {
        let doc = r.doc;
        let holds = match &self.term.predicate {
            Predicate::Text { field, mode, .. } => r
                .strings(*field)
                .iter()
                .any(|s| self.text_matches(*mode, s)),
            Predicate::Version(v) => doc.version == Some(*v) || (*v == 1 && doc.version.is_none()),
            Predicate::Kind(k) => doc.kind == *k,
            Predicate::Date(range) => doc.date.is_some_and(|d| range.contains(d)),
        };
        holds != self.term.negated
    }
}

/// Whether the tree holds for `doc`, term by term as written.
fn tree_holds(expr: &Expr, doc: &RefDoc<'_>) -> bool {
    match expr {
        Expr::Term(term) => Prepared::new(term).holds(doc),
        Expr::And(parts) => parts.iter().all(|p| tree_holds(p, doc)),
        Expr::Or(parts) => parts.iter().any(|p| tree_holds(p, doc)),
    }
}

fn reference(ast: &Ast, docs: &[RefDoc<'_>]) -> Vec<u32> {
    (0u32..)
        .zip(docs)
        .filter(|(_, doc)| ast.expr.as_ref().is_none_or(|e| tree_holds(e, doc)))
        .map(|(i, _)| i)
        .collect()
}

/// The positive text terms a ranking scores: each distinct (field, mode, needle) once.
fn scored_terms(ast: &Ast) -> Vec<&Term> {
    fn leaves<'a>(expr: &'a Expr, out: &mut Vec<&'a Term>) {
        match expr {
            Expr::Term(t) => out.push(t),
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| leaves(p, out)),
        }
    }
    let mut all = Vec::new();
    if let Some(e) = &ast.expr {
        leaves(e, &mut all);
    }
    let mut out: Vec<&Term> = Vec::new();
    for t in all {
        let Predicate::Text { field, mode, .. } = &t.predicate else {
            continue;
        };
        let p = Prepared::new(t);
        let seen = out.iter().any(|o| {
            let q = Prepared::new(o);
            matches!(&o.predicate, Predicate::Text { field: f, mode: m, .. } if f == field && m == mode)
                && q.needle == p.needle
                && q.case_sensitive == p.case_sensitive
        });
        if !t.negated && !seen {
            out.push(t);
        }
    }
    out
}

/// Ranked order: skim scores summed over the positive text terms of the scored fields. A fresh
/// matcher per call, since skim's cache leaks between calls (see `skim_score` in the engine).
fn reference_ranked(ast: &Ast, docs: &[RefDoc<'_>], matches: &[u32]) -> Vec<u32> {
    let mut scored: Vec<(i64, u32)> = matches
        .iter()
        .map(|&i| {
            let doc = &docs[i as usize];
            let score: i64 = scored_terms(ast)
                .into_iter()
                .filter_map(|t| match &t.predicate {
                    Predicate::Text { field, .. }
                        if matches!(
                            field,
                            Field::Any | Field::From | Field::Subject | Field::Series
                        ) =>
                    {
                        let p = Prepared::new(t);
                        let strings = match field {
                            Field::From => &doc.author,
                            _ => doc.strings(*field),
                        };
                        strings
                            .iter()
                            .map(|s| {
                                SkimMatcherV2::default()
                                    .fuzzy_match(p.hay(s), &p.needle)
                                    .unwrap_or(0)
                                    .max(0)
                            })
                            .max()
                    }
                    _ => None,
                })
                .sum();
            (score, i)
        })
        .collect();
    scored.sort_by(|a, b| b.cmp(a));
    scored.into_iter().map(|(_, i)| i).collect()
}

/// Words the random queries are made of, drawn from the archive itself.
fn vocabulary(docs: &[SynthDoc]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for (i, doc) in docs.iter().enumerate().step_by(7) {
        let mut texts = vec![
            doc.title.clone(),
            doc.author.name.clone(),
            doc.author.email.clone(),
        ];
        texts.extend(doc.files.iter().map(|f| f.path.to_string()));
        texts.extend(doc.trailers.iter().map(|t| t.key.to_string()));
        texts.extend(doc.tags.iter().map(|t| t.to_string()));
        texts.extend(doc.list_id.iter().map(|l| l.to_string()));
        if i % 5 == 0 {
            texts.push(doc.body(u32::try_from(i).unwrap_or(0)));
        }
        for text in texts {
            words.extend(
                text.split(|c: char| c.is_whitespace() || "()<>\":|".contains(c))
                    .filter(|w| !w.is_empty() && w.chars().count() < 24)
                    .map(str::to_string),
            );
        }
    }
    words.sort();
    words.dedup();
    words
}

fn random_term(rng: &mut XorShift, words: &[String]) -> String {
    const FIELDS: &[&str] = &[
        "from:", "a:", "s:", "f:", "t:", "series:", "list:", "tag:", "b:", "subject:", "file:",
    ];
    let mut term = String::new();
    if rng.chance(15) {
        term.push(if rng.chance(50) { '!' } else { '-' });
    }
    match rng.below(100) {
        0..8 => return format!("{term}v:{}", 1 + rng.below(5)),
        8..14 => {
            let kind = rng.pick(&["patch", "cover", "reply", "pull", "other"]);
            return format!("{term}is:{kind}");
        }
        14..18 => {
            let year = 2019 + rng.below(6);
            let month = 1 + rng.below(12);
            let shape = rng.below(4);
            let value = match shape {
                0 => format!("{year}"),
                1 => format!("{year}-{month:02}..{}", year + rng.below(2)),
                2 => format!("..{year}-{month:02}-{:02}", 1 + rng.below(28)),
                _ => format!("{year}-{month:02}.."),
            };
            return format!("{term}date:{value}");
        }
        18..60 => {
            let field: &&str = rng.pick(FIELDS);
            term.push_str(field);
        }
        _ => {}
    }
    if rng.chance(15) {
        term.push('\'');
    } else if rng.chance(10) {
        term.push('^');
    } else if rng.chance(8) {
        term.push('~');
    }
    let word = rng.pick(words);
    let mut word: String = match rng.below(3) {
        0 => word.chars().take(1 + rng.below(4)).collect(),
        _ => word.clone(),
    };
    if rng.chance(10) {
        word = word.to_uppercase();
    } else if rng.chance(10) {
        word = word.to_lowercase();
    }
    if word.contains(' ') || rng.chance(3) {
        term.push_str(&format!("\"{word}\""));
    } else {
        term.push_str(&word);
    }
    if rng.chance(10) {
        term.push('$');
    }
    term
}

/// A query of up to three AND-ed parts, each a term or an OR of terms (`|`, ` | `, ` OR `),
/// joined by a space or ` AND `; `depth` more levels of parenthesised groups, maybe negated.
fn random_query(rng: &mut XorShift, words: &[String]) -> String {
    random_group(rng, words, 2)
}

fn random_group(rng: &mut XorShift, words: &[String], depth: usize) -> String {
    let clauses = 1 + rng.below(3);
    let mut parts = Vec::new();
    for _ in 0..clauses {
        let mut clause = random_operand(rng, words, depth);
        while rng.chance(20) {
            clause.push_str(rng.pick::<&str>(&["|", " | ", " OR "]));
            clause.push_str(&random_operand(rng, words, depth));
        }
        parts.push(clause);
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(if rng.chance(20) { " AND " } else { " " });
        }
        out.push_str(part);
    }
    out
}

/// A term, or with `depth` left sometimes a group; either maybe negated by `NOT `.
fn random_operand(rng: &mut XorShift, words: &[String], depth: usize) -> String {
    let not = if rng.chance(8) { "NOT " } else { "" };
    if depth > 0 && rng.chance(12) {
        let sign = rng.pick::<&str>(&["", "", "-", "!"]);
        return format!("{not}{sign}({})", random_group(rng, words, depth - 1));
    }
    format!("{not}{}", random_term(rng, words))
}

/// A synthetic archive seen both ways: the engine's haystacks and the reference's documents,
/// with the words random queries over it are made of.
struct Seen<'a> {
    refs: &'a [RefDoc<'a>],
    hay: &'a Haystacks,
    words: &'a [String],
    bodies: &'a dyn BodySource,
}

/// Runs `test` on `count` synthetic messages generated from `seed`.
fn with_archive(count: usize, seed: u64, test: impl FnOnce(&Seen<'_>)) {
    let docs = generate(count, seed);
    let refs: Vec<RefDoc<'_>> = (0u32..)
        .zip(&docs)
        .map(|(i, d)| RefDoc::new(d, i))
        .collect();
    let search: Vec<_> = docs.iter().map(SynthDoc::as_search_doc).collect();
    let hay = Haystacks::build(&search);
    let words = vocabulary(&docs);
    let bodies = |i: u32| docs.get(i as usize).map(|d| d.body(i));
    test(&Seen {
        refs: &refs,
        hay: &hay,
        words: &words,
        bodies: &bodies,
    });
}

impl Seen<'_> {
    /// The engine's answer to `query` in `order`, and the reference's: its matches in archive
    /// order, or ranked by score.
    fn run(&self, engine: &mut Engine, query: &Query, order: Order) -> (Matches, Vec<u32>) {
        let options = RunOptions {
            order,
            bodies: Some(self.bodies),
            ..RunOptions::default()
        };
        let got = engine
            .run(self.hay, query, &options)
            .expect("not cancelled");
        let mut want = reference(query.ast(), self.refs);
        if order == Order::Score {
            want = reference_ranked(query.ast(), self.refs, &want);
        }
        (got, want)
    }
}

#[test]
fn typed_queries_match_the_reference_at_every_keystroke() {
    with_archive(1500, 42, typed_at_every_keystroke);
}

fn typed_at_every_keystroke(seen: &Seen<'_>) {
    let mut rng = XorShift::new(2024);
    let (mut checked, mut narrowed, mut ranked) = (0, 0, 0);
    let (mut grouped, mut operators, mut minus) = (0, 0, 0);
    for _ in 0..120 {
        let text = random_query(&mut rng, seen.words);
        let mut engine = Engine::new();
        for (end, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
            let typed = &text[..end];
            let Ok(query) = Query::parse(typed) else {
                continue;
            };
            let order = if rng.chance(25) {
                Order::Score
            } else {
                Order::Archive
            };
            let (got, want) = seen.run(&mut engine, &query, order);
            if order == Order::Score {
                ranked += 1;
                assert_eq!(got.docs, want, "ranked {typed:?} (from {text:?})");
            } else {
                assert_eq!(got.docs, want, "{typed:?} (from {text:?})");
            }
            checked += 1;
            narrowed += usize::from(got.narrowed);
            grouped += usize::from(typed.contains('(') && query.ast().clauses.len() > 1);
            operators += usize::from(["AND ", "OR ", "NOT "].iter().any(|o| typed.contains(o)));
            minus += usize::from(typed.contains(" -") || typed.starts_with('-'));
        }
    }
    assert!(checked > 1000, "{checked} prefixes checked");
    assert!(
        narrowed > checked / 3,
        "narrowing exercised: {narrowed} of {checked}"
    );
    assert!(ranked > 200, "{ranked} ranked");
    assert!(
        grouped > 200 && operators > 400 && minus > 200,
        "groups {grouped}, word operators {operators}, `-` {minus} of {checked}"
    );
}

#[test]
fn candidate_subsets_match_the_reference() {
    with_archive(800, 9, candidate_subsets);
}

fn candidate_subsets(seen: &Seen<'_>) {
    let mut rng = XorShift::new(77);
    for _ in 0..60 {
        let text = random_query(&mut rng, seen.words);
        let Ok(query) = Query::parse(&text) else {
            continue;
        };
        let candidates: Vec<u32> = (0..800).filter(|_| rng.chance(30)).collect();
        let options = RunOptions {
            candidates: Some(&candidates),
            bodies: Some(seen.bodies),
            ..RunOptions::default()
        };
        let got = Engine::new()
            .run(seen.hay, &query, &options)
            .expect("not cancelled");
        let want: Vec<u32> = reference(query.ast(), seen.refs)
            .into_iter()
            .filter(|i| candidates.binary_search(i).is_ok())
            .collect();
        assert_eq!(got.docs, want, "{text:?}");
    }
}

/// Queries typed, their last word pasted alone, taken back a key at a time to some point
/// and typed on differently, through one engine: what a run kept for the next keystroke
/// (its matches, masks and where each title's match ended, scores) must never answer a run
/// it does not hold for.
#[test]
fn edited_queries_match_the_reference_at_every_keystroke() {
    with_archive(1200, 11, edited_at_every_keystroke);
}

fn edited_at_every_keystroke(seen: &Seen<'_>) {
    let mut rng = XorShift::new(31);
    let mut checked = 0;
    for _ in 0..60 {
        let first = random_query(&mut rng, seen.words);
        let cuts: Vec<usize> = first.char_indices().map(|(at, _)| at).skip(1).collect();
        let keep = cuts.get(rng.below(cuts.len().max(1))).copied().unwrap_or(0);
        let then = format!("{}{}", &first[..keep], random_query(&mut rng, seen.words));
        // Its last word pasted on a cleared line.
        let last = first.rsplit(' ').next().unwrap_or_default();
        // Typed to the end, its last word alone, the whole again, back to `keep`, then on to
        // the end of `then`.
        let forward = cuts.iter().copied().chain([first.len()]);
        let back = cuts.iter().rev().copied().filter(|&at| at >= keep);
        let on = then
            .char_indices()
            .map(|(at, _)| at)
            .filter(|&at| at > keep);
        let mut engine = Engine::new();
        for text in forward
            .clone()
            .map(|at| &first[..at])
            .chain([last])
            .chain(forward.map(|at| &first[..at]))
            .chain(back.map(|at| &first[..at]))
            .chain(on.map(|at| &then[..at]).chain([then.as_str()]))
        {
            let Ok(query) = Query::parse(text) else {
                continue;
            };
            let order = if rng.chance(20) {
                Order::Score
            } else {
                Order::Archive
            };
            let (got, want) = seen.run(&mut engine, &query, order);
            assert_eq!(got.docs, want, "{text:?} ({first:?} then {then:?})");
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked} keystrokes checked");
}
