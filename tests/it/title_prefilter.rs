//! The titles' presence prefilter (see `index::filter::presence`) never drops a true match:
//! `subject:` terms in every mode, typed a key at a time through one engine (so masks narrow,
//! resume from where a shorter term matched, or come from presence alone for one letter), must
//! find exactly the messages whose title the term's matcher accepts when asked directly.
//!
//! Terms are cut from the real titles of a month of linux-clk (so most keys have matches),
//! mixed with random bytes, punctuation, digits, uppercase letters and non-ASCII chars.

use crate::support::corpus::corpus_archive;
use crate::support::synth::XorShift;
use patchdeck::index::filter::{Engine, Query, RunOptions};
use patchdeck::index::fold::fold;
use patchdeck::index::haystack::Haystacks;
use patchdeck::index::matcher::TextMatcher;
use patchdeck::index::query::Mode;

/// How each kind of term is written around its text (`s:` takes a substring by default).
const MODES: [(&str, &str, Mode); 5] = [
    ("~", "", Mode::Fuzzy),
    ("'", "", Mode::Substring),
    ("^", "", Mode::Prefix),
    ("", "$", Mode::Suffix),
    ("^", "$", Mode::Exact),
];

/// The messages whose title `m` accepts, asked title by title.
fn unfiltered(hay: &Haystacks, m: &TextMatcher) -> Vec<u32> {
    (0..u32::try_from(hay.len()).unwrap_or(0))
        .filter(|&doc| {
            let title = hay.title(doc);
            let text = if m.case_sensitive {
                title.to_string()
            } else {
                fold(title)
            };
            m.is_match(&text)
        })
        .collect()
}

/// A term: a piece of a real title, sometimes changed, sometimes random.
fn term(rng: &mut XorShift, titles: &[String]) -> String {
    const ODD: [&str; 10] = ["q", "z", "-", "/", "ü", "É", "σ", "9", "x86", "_"];
    let title = &titles[rng.below(titles.len())];
    let chars: Vec<char> = title.chars().collect();
    let start = rng.below(chars.len());
    let len = 1 + rng.below(8);
    let mut term: String = chars.iter().skip(start).take(len).collect();
    if rng.chance(20) {
        term.insert_str(
            rng.below(term.len() + 1).min(term.len()),
            ODD[rng.below(ODD.len())],
        );
        if !term.is_char_boundary(term.len()) {
            term.clear();
        }
    }
    if rng.chance(15) {
        term = term.to_uppercase();
    }
    if rng.chance(10) {
        let a = char::from(b'a' + u8::try_from(rng.below(26)).unwrap_or(0));
        let b = char::from(b'0' + u8::try_from(rng.below(10)).unwrap_or(0));
        term = format!("{a}{b}");
    }
    term.split_whitespace().collect::<Vec<_>>().join("")
}

#[test]
fn typed_subject_terms_find_every_title_the_matcher_accepts() {
    let Some(archive) = corpus_archive("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let hay = archive.haystacks();
    let titles: Vec<String> = (0..u32::try_from(hay.len()).unwrap_or(0))
        .map(|doc| hay.title(doc).to_string())
        .filter(|t| !t.is_empty())
        .collect();
    assert!(titles.len() > 500, "the month has its titles");
    let mut rng = XorShift::new(11);
    let mut checked = 0;
    let mut matched_some = 0;
    for _ in 0..300 {
        let word = term(&mut rng, &titles);
        if word.is_empty() || word.contains(['"', '(', ')', '\'', '^', '~', '$', '!', '\\']) {
            continue;
        }
        let (prefix, suffix, mode) = MODES[rng.below(MODES.len())];
        // One engine per word: each key narrows the last.
        let mut engine = Engine::new();
        for (end, c) in word.char_indices() {
            let typed = &word[..end + c.len_utf8()];
            let text = format!("s:{prefix}{typed}{suffix}");
            let query = Query::parse(&text).expect("a subject term parses");
            let found = engine
                .run(hay, &query, &RunOptions::default())
                .expect("not cancelled")
                .docs;
            let m = TextMatcher::new(typed, mode).expect("a term");
            let want = unfiltered(hay, &m);
            assert_eq!(found, want, "{text:?}");
            checked += 1;
            matched_some += usize::from(!want.is_empty());
        }
    }
    assert!(checked > 500, "{checked} keys checked");
    assert!(
        matched_some > checked / 3,
        "{matched_some} of {checked} keys matched"
    );
}
