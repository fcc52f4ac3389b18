//! The reader driven by key sequences over real archives, with its real workers: filtering,
//! navigation, folding, resizing down to nothing, and a 10,000-line patch whose detail is
//! decorated only where it is looked at.

use std::io::Write;

use crate::support::reader::{Reader, corpus, fixture, sample};
use patchdeck::app::Pane;
use patchdeck::app::list::Fold;
use patchdeck::model::message::Kind;
use patchdeck::source::Input;

#[test]
fn filtering_the_sample_keeps_the_matches_and_returns_to_the_list() {
    let (inputs, label) = sample();
    let mut reader = Reader::open(inputs, label, 120, 40);
    assert_eq!(reader.app.load.label, "sample archive");
    let total = reader.app.messages().len();
    reader.keys("j j /vetter<enter>");
    let matched = reader.app.filter.matched().expect("a filter result");
    assert!(matched > 0 && matched < total, "{matched} of {total}");
    assert_eq!(reader.app.list.len(), matched);
    assert!(!reader.app.filter.editing);
    assert_eq!(reader.app.focus, Pane::List);
    for row in &reader.app.list.window(0, reader.app.list.len()) {
        let m = &reader.app.messages()[row.msg as usize];
        assert!(
            m.author.name.contains("Vetter") || m.subject.title().to_lowercase().contains('v'),
            "{}",
            m.subject.title()
        );
    }
    assert!(reader.screen().contains(&format!("{matched} / {total}")));
    reader.keys("<esc>");
    assert_eq!(reader.app.list.len(), total);
}

#[test]
fn field_queries_and_errors_in_the_filter_bar() {
    let mut reader = Reader::open(fixture("reader/series.mbox"), None, 100, 30);
    reader.keys("/is:cover<enter>");
    assert_eq!(reader.app.filter.matched(), Some(1));
    let cover = reader.app.list.selected().expect("the cover");
    assert_eq!(reader.app.messages()[cover as usize].kind, Kind::Cover);
    assert_eq!(
        reader.app.detail.doc().map(|d| d.msg),
        Some(cover),
        "the detail follows"
    );

    reader.keys("/<c-u>from:grace");
    assert_eq!(reader.app.filter.matched(), Some(1));
    reader.keys("<space>date:2030..2020");
    assert!(
        reader
            .app
            .filter
            .error
            .as_deref()
            .is_some_and(|e| e.contains("ends before it starts"))
    );
    // The rows of the last query that could run stay (here `date:2030..20`, matching none).
    assert_eq!(reader.app.filter.matched(), Some(reader.app.list.len()));
    reader.keys("<c-w> <enter>");
    assert_eq!(reader.app.filter.error, None);
    assert_eq!(reader.app.filter.matched(), Some(1));
}

#[test]
fn series_fold_under_their_cover() {
    let mut reader = Reader::open(fixture("reader/series.mbox"), None, 100, 30);
    let rows = reader.app.list.window(0, reader.app.list.len());
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1].fold, Fold::Open, "the cover heads its series");
    reader.keys("j j f");
    assert_eq!(reader.app.list.len(), 2);
    assert_eq!(
        reader.app.list.window(0, reader.app.list.len())[1].fold,
        Fold::Closed { hidden: 3 }
    );
    reader.keys("f");
    assert_eq!(reader.app.list.len(), 5);
}

#[test]
fn a_huge_patch_is_decorated_only_where_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.patch");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "From: Big Patch <big@example.org>\nSubject: [PATCH] lib: add a table\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <huge@example.org>\n").unwrap();
    writeln!(file, "Adds a table.\n\nSigned-off-by: Big Patch <big@example.org>\n---\ndiff --git a/lib/table.c b/lib/table.c\nnew file mode 100644\n--- /dev/null\n+++ b/lib/table.c\n@@ -0,0 +1,10000 @@").unwrap();
    for i in 0..10_000 {
        writeln!(file, "+static const int entry_{i} = {i};").unwrap();
    }
    drop(file);
    let mut reader = Reader::open(vec![Input::Path(path)], None, 120, 40);
    let doc_len = reader.app.detail.len();
    assert!(doc_len > 10_000);
    reader.keys("<tab> G");
    let last = reader.app.detail.top;
    reader.until("colours at the end", |app| {
        app.detail
            .shown
            .as_ref()
            .is_some_and(|s| s.colors.contains_key(&(s.doc.len() - 1 - s.doc.diff_start)))
    });
    let decorated = reader
        .app
        .detail
        .shown
        .as_ref()
        .map_or(0, |s| s.colors.len());
    assert!(
        decorated < 300,
        "{decorated} lines decorated for one screen"
    );
    assert_eq!(
        last,
        doc_len - usize::from(reader.app.areas().inner(Pane::Detail).height)
    );
    assert!(
        reader
            .screen()
            .contains("+static const int entry_9999 = 9999;")
    );
}

#[test]
fn a_real_list_archive_browses_and_survives_any_size() {
    let Some(inputs) = corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let mut reader = Reader::open(inputs, None, 160, 45);
    let app = &reader.app;
    assert!(app.messages().len() > 500);
    assert!(
        app.list
            .window(0, app.list.len())
            .iter()
            .any(|r| r.fold == Fold::Open),
        "series are grouped"
    );
    assert!(
        reader
            .screen()
            .starts_with("patchdeck  linux-clk-2026-01.mbox · ")
    );

    reader.keys("/is:cover<enter>");
    let covers = reader.app.filter.matched().unwrap();
    assert!(covers > 0);
    for row in &reader.app.list.window(0, reader.app.list.len()) {
        assert_eq!(reader.app.messages()[row.msg as usize].kind, Kind::Cover);
    }
    reader.keys("<esc> F");
    let folded = reader.app.list.len();
    assert!(folded < reader.app.messages().len());
    reader.keys("G <pgup> <enter> ] } } ] G [ { /clk<enter> n N <tab> <enter> <tab> s s s s S");
    for (width, height) in [(40, 10), (20, 5), (1, 1), (0, 0), (80, 24)] {
        reader.resize(width, height);
        reader.keys("j <c-d> <tab> G z ? j <esc> z");
        let _ = reader.screen();
    }
    reader.keys("q");
    assert!(reader.app.quit);
}
