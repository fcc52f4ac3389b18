//! Engine tests on a handful of hand-written messages.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use super::*;
use crate::index::haystack::SearchDoc;
use crate::model::diff::FileStat;
use crate::model::message::Kind;
use crate::model::trailer::Trailer;

struct Doc {
    title: String,
    tags: Vec<Arc<str>>,
    name: &'static str,
    email: &'static str,
    /// The `From:` header, when someone else than the author sent it.
    sender: Option<(&'static str, &'static str)>,
    kind: Kind,
    version: Option<u32>,
    list: Option<&'static str>,
    files: Vec<FileStat>,
    trailers: Vec<Trailer>,
    date: Option<i64>,
}

fn doc(title: &str, name: &'static str, kind: Kind, version: Option<u32>) -> Doc {
    Doc {
        title: title.to_string(),
        tags: version
            .map(|v| vec![Arc::from("PATCH"), Arc::from(format!("v{v}"))])
            .unwrap_or_default(),
        name,
        email: "someone@kernel.org",
        sender: None,
        kind,
        version,
        list: Some("kvm.vger.kernel.org"),
        files: Vec::new(),
        trailers: Vec::new(),
        date: Some(1_600_000_000),
    }
}

fn sample() -> Vec<Doc> {
    let mut docs = vec![
        doc(
            "media/videobuf2: Mark follow_pfn usage as unsafe",
            "Daniel Vetter",
            Kind::Patch,
            Some(3),
        ),
        doc(
            "KVM: VMX: Forbid userspace MSR filters for x2APIC",
            "Paolo Bonzini",
            Kind::Patch,
            None,
        ),
        doc(
            "media/videobuf2: Mark follow_pfn usage as unsafe",
            "Jason Gunthorpe",
            Kind::Reply,
            Some(3),
        ),
        doc("clk fixes for 6.8", "Stephen Boyd", Kind::Pull, None),
        doc(
            "drm/exynos: Stop using frame_vector helpers",
            "Daniel Vetter",
            Kind::Patch,
            Some(2),
        ),
    ];
    docs[0].files = vec![FileStat {
        path: "drivers/media/common/videobuf2/frame_vector.c".into(),
        ..FileStat::default()
    }];
    docs[2].trailers = vec![Trailer {
        key: "Reviewed-by".into(),
        value: "John Hubbard <jhubbard@nvidia.com>".into(),
    }];
    docs[3].list = None;
    docs[3].tags = vec!["GIT PULL".into()];
    docs[4].date = None;
    docs[1].email = "pbonzini@redhat.com";
    docs[4].sender = Some(("Maxime Ripard", "mripard@kernel.org"));
    docs
}

fn haystacks(docs: &[Doc]) -> Haystacks {
    let search: Vec<SearchDoc<'_>> = docs
        .iter()
        .map(|d| SearchDoc {
            subject: &d.title,
            title: &d.title,
            tags: &d.tags,
            author_name: d.name,
            author_email: d.email,
            sender_name: d.sender.map_or(d.name, |s| s.0),
            sender_email: d.sender.map_or(d.email, |s| s.1),
            kind: d.kind,
            version: d.version,
            list_id: d.list,
            series_title: &d.title,
            files: &d.files,
            trailers: &d.trailers,
            date: d.date,
        })
        .collect();
    Haystacks::build(&search)
}

fn run(q: &str) -> Vec<u32> {
    let hay = haystacks(&sample());
    filter(&hay, q, Order::Archive, None).unwrap_or_else(|e| panic!("{q}: {e}"))
}

#[test]
fn terms_fields_and_modifiers() {
    assert_eq!(run(""), vec![0, 1, 2, 3, 4]);
    assert_eq!(run("pfn"), vec![0, 2]);
    assert_eq!(run("from:vetter pfn"), vec![0]);
    assert_eq!(run("!from:vetter"), vec![1, 2, 3]);
    assert_eq!(run("from:!vetter"), vec![1, 2, 3]);
    assert_eq!(run("Vetter"), vec![0, 4]);
    assert_eq!(run("VETTER"), Vec::<u32>::new());
    assert_eq!(run("'follow pfn"), vec![0, 2]);
    assert_eq!(run("'\"follow pfn\""), Vec::<u32>::new());
    assert_eq!(run("s:\"follow_pfn usage\""), vec![0, 2]);
    assert_eq!(run("^drm"), vec![4]);
    assert_eq!(run("unsafe$"), vec![0, 2]);
    assert_eq!(run("f:frame_vector.c"), vec![0]);
    assert_eq!(run("f:.c$"), vec![0]);
    assert_eq!(run("t:reviewed-by"), vec![2]);
    assert_eq!(run("t:hubbard"), vec![2]);
    assert_eq!(run("a:redhat"), vec![1]);
    assert_eq!(run("list:kvm"), vec![0, 1, 2, 4]);
    assert_eq!(run("!list:kvm"), vec![3]);
    assert_eq!(run("tag:patch"), vec![0, 2, 4]);
    assert_eq!(run("tag:git"), Vec::<u32>::new());
    assert_eq!(run("tag:'git"), vec![3]);
    assert_eq!(run("series:exynos"), vec![4]);
}

#[test]
fn fields_are_substrings_and_words_fuzzy() {
    // A named field means its text literally: "pmu" scattered over a title is no match.
    assert_eq!(run("s:mfu"), Vec::<u32>::new());
    assert_eq!(run("s:~mfu"), vec![0, 1, 2]);
    assert_eq!(run("mfu"), vec![0, 1, 2]);
    assert_eq!(run("s:follow_pfn"), vec![0, 2]);
    assert_eq!(run("s:Follow_pfn"), Vec::<u32>::new(), "smart case");
    assert_eq!(run("from:vtr"), Vec::<u32>::new());
    assert_eq!(run("from:~vtr"), vec![0, 4]);
    assert_eq!(run("series:xynos"), vec![4]);
    assert_eq!(run("series:xnos"), Vec::<u32>::new());
}

#[test]
fn from_looks_at_the_sender_and_the_author() {
    assert_eq!(run("from:ripard"), vec![4]);
    assert_eq!(run("from:mripard@"), vec![4]);
    assert_eq!(run("from:vetter"), vec![0, 4]);
    assert_eq!(run("-from:ripard"), vec![0, 1, 2, 3]);
    // A plain word looks at the author only.
    assert_eq!(run("ripard"), Vec::<u32>::new());
}

#[test]
fn operators_and_groups() {
    assert_eq!(run("media AND NOT is:reply"), run("media !is:reply"));
    assert_eq!(run("s:vmx OR s:exynos"), vec![1, 4]);
    assert_eq!(run("(s:media from:gunthorpe) OR is:pull"), vec![2, 3]);
    assert_eq!(run("-(s:media OR is:pull)"), vec![1, 4]);
    assert_eq!(run("NOT (s:media is:patch)"), vec![1, 2, 3, 4]);
}

#[test]
fn typed_fields() {
    assert_eq!(run("v:3"), vec![0, 2]);
    assert_eq!(run("v:1"), vec![1, 3]);
    assert_eq!(run("is:reply"), vec![2]);
    assert_eq!(run("is:patch|pull"), vec![0, 1, 3, 4]);
    assert_eq!(run("date:2020-09"), vec![0, 1, 2, 3]);
    assert_eq!(run("!date:2020-09"), vec![4]);
    assert_eq!(run("date:..2020-08"), Vec::<u32>::new());
}

#[test]
fn or_binds_tighter_than_and() {
    assert_eq!(run("media exynos|vmx"), Vec::<u32>::new());
    assert_eq!(run("mark|vmx usage|forbid"), vec![0, 1, 2]);
}

#[test]
fn ranked_order_puts_the_best_match_first_and_newer_on_ties() {
    let hay = haystacks(&sample());
    let ranked = filter(&hay, "pfn", Order::Score, None).unwrap();
    assert_eq!(ranked, vec![2, 0], "same title, so newer first");
    let ranked = filter(&hay, "vetter", Order::Score, None).unwrap();
    assert_eq!(ranked, vec![4, 0]);
    let ranked = filter(&hay, "", Order::Score, None).unwrap();
    assert_eq!(ranked, vec![4, 3, 2, 1, 0]);
}

#[test]
fn narrowing_rechecks_only_previous_matches() {
    let hay = haystacks(&sample());
    let mut engine = Engine::new();
    let options = RunOptions::default();
    let mut typed = |q: &str| {
        let m = engine
            .run(&hay, &Query::parse(q).unwrap(), &options)
            .unwrap();
        (m.docs, m.narrowed)
    };
    assert_eq!(typed("m"), (vec![0, 1, 2, 3, 4], false));
    assert_eq!(typed("me"), (vec![0, 1, 2, 3, 4], true));
    assert_eq!(typed("med"), (vec![0, 2], true));
    assert_eq!(typed("me"), (vec![0, 1, 2, 3, 4], false));
    assert_eq!(typed("me !x"), (vec![0, 2], true));
    // A fuzzy term matches within one field: "xy" is not in "clk fixes" nor in "Stephen Boyd".
    assert_eq!(typed("me !xy"), (vec![0, 1, 2, 3], false));
}

#[test]
fn typing_a_word_resumes_where_each_title_matched_with_the_same_answers() {
    // Titles where the remembered end is unusual: past what 16 bits hold, after multi-byte
    // chars, in text as written once an uppercase letter makes the term case-sensitive.
    let mut docs = sample();
    let long = format!("{}vetter pfn", "a ".repeat(40_000));
    for title in [
        long.as_str(),
        "vé tter: pfñ",
        "Vetter vEtter pfn",
        "v e t t e r",
        "rettev",
    ] {
        docs.push(doc(title, "Nobody", Kind::Patch, None));
    }
    let hay = haystacks(&docs);
    let mut typing = Engine::new();
    for text in [
        "vetter pfn",
        "s:vetter pf",
        "vé tter pfñ",
        "vEtter",
        "VETTER",
    ] {
        for (end, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
            let q = Query::parse(&text[..end]).unwrap();
            let options = RunOptions::default();
            let typed = typing.run(&hay, &q, &options).unwrap().docs;
            let fresh = Engine::new().run(&hay, &q, &options).unwrap().docs;
            assert_eq!(typed, fresh, "{:?}", &text[..end]);
        }
    }
    let vetter = Query::parse("vetter").unwrap();
    let found = typing.run(&hay, &vetter, &RunOptions::default()).unwrap();
    assert_eq!(found.docs, vec![0, 4, 5, 6, 7, 8]);
}

#[test]
fn a_superseded_run_gives_up_and_keeps_the_old_state() {
    let hay = haystacks(&sample());
    let mut engine = Engine::new();
    let current = AtomicU64::new(7);
    assert!(
        engine
            .run(&hay, &Query::parse("pf").unwrap(), &RunOptions::default())
            .is_some()
    );
    let stale = RunOptions {
        cancel: Some(Cancel {
            current: &current,
            generation: 6,
        }),
        ..RunOptions::default()
    };
    assert_eq!(
        engine.run(&hay, &Query::parse("pfn").unwrap(), &stale),
        None
    );
    let fresh = RunOptions {
        cancel: Some(Cancel {
            current: &current,
            generation: 7,
        }),
        ..RunOptions::default()
    };
    let m = engine
        .run(&hay, &Query::parse("pfn").unwrap(), &fresh)
        .unwrap();
    assert_eq!((m.generation, m.docs, m.narrowed), (7, vec![0, 2], true));
}

#[test]
fn candidates_restrict_the_run() {
    let hay = haystacks(&sample());
    let options = RunOptions {
        candidates: Some(&[4, 0, 1]),
        ..RunOptions::default()
    };
    let m = Engine::new()
        .run(&hay, &Query::parse("vetter").unwrap(), &options)
        .unwrap();
    assert_eq!(m.docs, vec![0, 4]);
}

#[test]
fn bodies_are_read_last_and_only_when_needed() {
    let hay = haystacks(&sample());
    let asked = std::sync::Mutex::new(Vec::new());
    let bodies = |doc: u32| {
        asked.lock().unwrap().push(doc);
        Some(format!("body of message {doc}, GUP and follow_pfn()"))
    };
    let seen = std::sync::Mutex::new(None);
    let progress = |p: BodyProgress| *seen.lock().unwrap() = Some(p);
    let options = RunOptions {
        bodies: Some(&bodies),
        progress: Some(&progress),
        ..RunOptions::default()
    };
    let mut engine = Engine::new();
    let m = engine.run(
        &hay,
        &Query::parse("from:vetter b:\"message 4\"").unwrap(),
        &options,
    );
    assert_eq!(m.unwrap().docs, vec![4]);
    let mut asked_docs = asked.lock().unwrap().clone();
    asked_docs.sort_unstable();
    assert_eq!(asked_docs, vec![0, 4], "only Vetter's messages are read");
    assert_eq!(
        *seen.lock().unwrap(),
        Some(BodyProgress { done: 2, total: 2 })
    );
    engine.forget();
    let m = engine.run(
        &hay,
        &Query::parse("b:GUP|is:pull !b:message").unwrap(),
        &options,
    );
    assert_eq!(m.unwrap().docs, Vec::<u32>::new());
    let m = engine.run(&hay, &Query::parse("b:GUP|is:pull").unwrap(), &options);
    assert_eq!(m.unwrap().docs, vec![0, 1, 2, 3, 4]);
}

#[test]
fn positions_highlight_the_title() {
    let hay = haystacks(&sample());
    let q = Query::parse("pfn 'mark from:vetter").unwrap();
    let title = hay.title(0);
    let marked: String = hay
        .match_positions(0, &q)
        .iter()
        .filter_map(|&i| title.chars().nth(i))
        .collect();
    assert_eq!(marked, "Markpfn");
    assert!(hay.match_positions(1, &q).is_empty());
    assert!(hay.match_positions(99, &q).is_empty());
}

#[test]
fn hostile_text_never_panics() {
    let long = "ä".repeat(300_000) + "x";
    let titles = [
        long.as_str(),
        "\0\u{1b}[31mred",
        "",
        "İİİ ǅ ß",
        "\u{feff}BOM",
    ];
    let docs: Vec<Doc> = titles
        .iter()
        .map(|&title| {
            let mut d = doc(title, "\u{7}", Kind::Other, Some(u32::MAX));
            d.tags = vec![Arc::from(""), Arc::from("\u{0}"), Arc::from("ÄÖ")];
            d.date = Some(i64::MIN + 1);
            d
        })
        .collect();
    let hay = haystacks(&docs);
    for q in [
        "x",
        "ä",
        "'ää",
        "^\0",
        "İ",
        "ǅ$",
        "ß",
        "s:x",
        "\u{1b}",
        "äx",
        "v:4294967295",
        "date:..1970",
    ] {
        for order in [Order::Archive, Order::Score] {
            let found = filter(&hay, q, order, None).unwrap_or_else(|e| panic!("{q:?}: {e}"));
            let query = Query::parse(q).unwrap();
            for &d in &found {
                let chars = hay.title(d).chars().count();
                assert!(
                    hay.match_positions(d, &query).iter().all(|&p| p < chars),
                    "{q:?}"
                );
            }
        }
    }
    assert_eq!(filter(&hay, "äx", Order::Archive, None).unwrap(), vec![0]);
}
