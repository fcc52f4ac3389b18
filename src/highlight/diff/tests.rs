// Expected changed-word ranges are lists that often hold one range.
#![allow(clippy::single_range_in_vec_init)]

use super::*;
use crate::model::patch::parse;

/// A patch of one C file whose single hunk holds `hunk_lines`.
fn c_body(hunk_lines: &[&str]) -> Arc<PatchBody> {
    let removed = hunk_lines.iter().filter(|l| !l.starts_with('+')).count();
    let added = hunk_lines.iter().filter(|l| !l.starts_with('-')).count();
    let mut text = format!(
        "msg\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,{removed} +1,{added} @@\n"
    );
    for line in hunk_lines {
        text.push_str(line);
        text.push('\n');
    }
    Arc::new(parse(&text))
}

fn first_hunk_line(body: &PatchBody) -> usize {
    body.files[0].hunks[0].start_line + 1
}

#[test]
fn only_the_requested_window_is_highlighted() {
    let lines: Vec<String> = (0..200).map(|i| format!("+int x{i} = {i};")).collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let body = c_body(&refs);
    let first = first_hunk_line(&body);
    let mut h = DiffHighlighter::new(body, true);
    let got = h.highlight(first + 10..first + 20);
    let indices: Vec<usize> = got.iter().map(|(i, _)| *i).collect();
    assert_eq!(indices, (first + 10..first + 20).collect::<Vec<_>>());
    assert!(
        h.done.iter().skip(first + 21).all(Option::is_none),
        "nothing past the window"
    );
    // The keyword `int` (bytes 1..4, after the `+`) gets a colour of its own.
    let (_, decor) = &got[0];
    assert!(
        decor
            .colors
            .iter()
            .any(|run| run.start == 1 && run.end == 4)
    );
    assert!(
        decor.colors.iter().all(|run| run.start >= 1),
        "the prefix stays uncoloured"
    );
}

#[test]
fn headers_get_nothing_and_unknown_languages_only_word_marks() {
    let body = c_body(&[" a;", "-b = 1;", "+b = 2;"]);
    let first = first_hunk_line(&body);
    let mut h = DiffHighlighter::new(Arc::clone(&body), true);
    let got: Vec<usize> = h.highlight(0..100).iter().map(|(i, _)| *i).collect();
    assert_eq!(got, [first, first + 1, first + 2]);

    let mut plain = (*body).clone();
    plain.files[0].new_path = Some("x.unknownext".into());
    let got = DiffHighlighter::new(Arc::new(plain), true).highlight(0..100);
    assert!(got.iter().all(|(_, d)| d.colors.is_empty()));
    assert_eq!(got[2].1.changed, [5..6], "`2` changed, after the prefix");
}

#[test]
fn paired_lines_mark_the_changed_words() {
    let body = c_body(&[
        " ctx",
        "-\tfoo(a, b);",
        "-\tbar();",
        "+\tfoo(a, c);",
        "+\tbaz();",
        " end",
    ]);
    let first = first_hunk_line(&body);
    let got = DiffHighlighter::new(body, false).highlight(first..first + 6);
    let changed: Vec<Vec<Range<u32>>> = got.iter().map(|(_, d)| d.changed.clone()).collect();
    assert_eq!(
        changed,
        [
            vec![],
            vec![9..10],
            vec![2..5],
            vec![9..10],
            vec![2..5],
            vec![]
        ]
    );
    assert!(got.iter().all(|(_, d)| d.colors.is_empty()), "syntax off");
}

#[test]
fn a_run_is_paired_even_when_the_window_ends_inside_it() {
    let body = c_body(&["-a = 1;", "-b = 1;", "+a = 2;", "+b = 2;"]);
    let first = first_hunk_line(&body);
    let mut h = DiffHighlighter::new(body, false);
    let got = h.highlight(first..first + 1);
    assert_eq!(got[0].1.changed, [5..6]);
}

#[test]
fn rewrites_of_unequal_length_are_not_marked() {
    let body = c_body(&["-a = 1;", "+a = 2;", "+b = 3;"]);
    let first = first_hunk_line(&body);
    let got = DiffHighlighter::new(body, false).highlight(first..first + 3);
    assert!(got.iter().all(|(_, d)| d.changed.is_empty()));
}

#[test]
fn hostile_hunk_bounds_do_not_panic() {
    let mut body = (*c_body(&["+é", "-\u{1b}[2J"])).clone();
    body.files[0].hunks[0].line_count = usize::MAX;
    let mut extra = body.files[0].hunks[0].clone();
    extra.start_line = usize::MAX;
    body.files[0].hunks.push(extra);
    let mut h = DiffHighlighter::new(Arc::new(body), true);
    assert!(!h.highlight(0..usize::MAX).is_empty());
}

#[test]
fn the_cache_continues_where_it_stopped() {
    let lines: Vec<String> = (0..100).map(|i| format!("+int x{i};")).collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let body = c_body(&refs);
    let first = first_hunk_line(&body);
    let mut cache = HighlightCache::new(2);
    assert_eq!(cache.highlight(1, &body, true, 0..first + 50).len(), 50);
    assert_eq!(
        cache
            .highlight(1, &body, true, first + 50..first + 60)
            .len(),
        10
    );
    let kept = &cache.entries[0].1;
    assert!(
        kept.checkpoints[0]
            .as_ref()
            .is_some_and(|c| c.next == first + 60)
    );
    cache.highlight(2, &body, true, 0..5);
    cache.highlight(3, &body, true, 0..5);
    assert_eq!(
        cache.entries.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
        [3, 2]
    );
}
