//! The ranking's first rows, handed out before the other matches are scored (from bounds of
//! each title's score, see `index::filter::rank`), against the exact path: typed one key at a
//! time through one engine, as the reader does, the first rows must be the first rows of the
//! full ranking, which must be the reference's (skim on every match) or the exact engine's.
//! Half the keystrokes are cancelled as soon as their first rows are out, so the next one's
//! bounds are extended from bounds rather than from scores, as when a person types fast.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::support::corpus::corpus_archive;
use crate::support::synth::{SynthDoc, XorShift, generate};
use patchdeck::index::filter::{Cancel, Engine, First, Order, Query, RunOptions};
use patchdeck::index::haystack::Haystacks;

/// Types `text` a key at a time through one engine, ranking each key's matches with their
/// first `rows` handed out first; checks them against a fresh engine's exact ranking. Returns
/// how many keys had more matches than first rows (the bounded path).
fn type_and_check(hay: &Haystacks, text: &str, rows: usize, rng: &mut XorShift) -> usize {
    let mut engine = Engine::new();
    let current = AtomicU64::new(0);
    let mut bounded = 0;
    for (end, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
        let typed = &text[..end];
        let Ok(query) = Query::parse(typed) else {
            continue;
        };
        let generation = current.fetch_add(1, Ordering::Relaxed) + 1;
        let cancel = Cancel {
            current: &current,
            generation,
        };
        let options = RunOptions {
            cancel: Some(cancel),
            ..RunOptions::default()
        };
        let matches = engine.run(hay, &query, &options).expect("not cancelled");
        let want = Engine::new()
            .run(
                hay,
                &query,
                &RunOptions {
                    order: Order::Score,
                    ..RunOptions::default()
                },
            )
            .expect("not cancelled")
            .docs;
        let stop_after_first = rng.chance(50);
        let mut first = None;
        let mut publish = |best: Vec<u32>| {
            first = Some(best);
            if stop_after_first {
                current.fetch_add(1, Ordering::Relaxed);
            }
        };
        let ranked = engine.rank(
            hay,
            &query,
            &matches.docs,
            Some(&cancel),
            Some(First {
                rows,
                publish: &mut publish,
            }),
        );
        let first = first.expect("the first rows are handed out");
        let shown = rows.min(want.len());
        assert_eq!(first, want[..shown], "first {rows} rows of {typed:?}");
        match ranked {
            Some(all) => assert_eq!(all, want, "all of {typed:?}"),
            None => assert!(stop_after_first, "{typed:?} cancelled"),
        }
        bounded += usize::from(want.len() > rows);
    }
    bounded
}

/// Plain words and field queries from `words`, some with an uppercase letter (smart case).
fn queries(rng: &mut XorShift, words: &[&str], count: usize) -> Vec<String> {
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for n in 0..1 + rng.below(3) {
                if n > 0 {
                    text.push(' ');
                }
                let fields: [&str; 6] = ["", "", "", "s:", "from:", "series:"];
                let field: &&str = rng.pick(&fields);
                text.push_str(field);
                let word = *rng.pick(words);
                if rng.chance(20) {
                    let mut chars = word.chars();
                    text.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                    text.push_str(chars.as_str());
                } else {
                    text.push_str(word);
                }
            }
            text
        })
        .collect()
}

#[test]
fn first_rows_are_the_exact_rankings_first_rows_on_synthetic_titles() {
    let docs = generate(3000, 8);
    let search: Vec<_> = docs.iter().map(SynthDoc::as_search_doc).collect();
    let hay = Haystacks::build(&search);
    let mut words: Vec<&str> = docs
        .iter()
        .step_by(11)
        .flat_map(|d| d.title.split([' ', ':', '/']))
        .filter(|w| w.len() > 2)
        .collect();
    words.extend(["vetter", "rate rounding", "qcom gdsc", "pfn", "clk", "x"]);
    let mut rng = XorShift::new(5);
    let mut bounded = 0;
    for text in queries(&mut rng, &words, 80) {
        let rows = 1 + rng.below(40);
        bounded += type_and_check(&hay, &text, rows, &mut rng);
    }
    assert!(
        bounded > 300,
        "{bounded} keys ranked their first rows first"
    );
}

#[test]
fn first_rows_are_the_exact_rankings_first_rows_on_a_real_list_month() {
    let Some(archive) = corpus_archive("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let hay = archive.haystacks();
    let titles: Vec<String> = (0..hay.len())
        .step_by(5)
        .map(|doc| hay.title(u32::try_from(doc).unwrap_or(0)).to_string())
        .collect();
    let mut words: Vec<&str> = titles
        .iter()
        .flat_map(|t| t.split([' ', ':', '/']))
        .filter(|w| w.len() > 2)
        .collect();
    words.extend(["clk qcom", "renesas", "Add", "dt-bindings", "pll rate"]);
    let mut rng = XorShift::new(9);
    let mut bounded = 0;
    for text in queries(&mut rng, &words, 60) {
        let rows = 1 + rng.below(30);
        bounded += type_and_check(hay, &text, rows, &mut rng);
    }
    assert!(
        bounded > 200,
        "{bounded} keys ranked their first rows first"
    );
}
