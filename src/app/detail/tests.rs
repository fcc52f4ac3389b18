use super::doc::{HeaderSummary, ParentLink, build};
use super::*;
use crate::app::testing::message;
use crate::model::diff::{FileDiff, Hunk};
use crate::model::patch::PatchBody;

/// A document of a two-file patch with 300 diff lines per file.
fn state() -> DetailState {
    let mut diff = String::new();
    let mut files = Vec::new();
    for f in 0..2 {
        let start = diff.lines().count();
        diff.push_str(&format!(
            "diff --git a/f{f}.c b/f{f}.c\n--- a/f{f}.c\n+++ b/f{f}.c\n@@ -1,300 +1,300 @@\n"
        ));
        for i in 0..300 {
            diff.push_str(&format!("+int Line{i} = {i};\n"));
        }
        files.push(FileDiff {
            new_path: Some(format!("f{f}.c")),
            start_line: start,
            hunks: vec![Hunk {
                start_line: start + 3,
                line_count: 300,
                ..Hunk::default()
            }],
            ..FileDiff::default()
        });
    }
    let body = Arc::new(PatchBody {
        message: "Message line\n".into(),
        diff_text: diff,
        files,
        ..PatchBody::default()
    });
    let m = message("a@b", "A", 0, "t", None, false);
    let doc = Arc::new(build(
        4,
        &HeaderSummary {
            message: &m,
            date: None,
            series: None,
            given: Vec::new(),
            parent: None,
            to: String::new(),
            cc: String::new(),
        },
        "",
        body.clone(),
        &[],
    ));
    let mut state = DetailState::default();
    state.show_new(doc);
    state
}

#[test]
fn scrolling_stops_with_the_last_page_full() {
    let mut s = state();
    let len = s.len();
    s.scroll_by(10_000, 20);
    assert_eq!(s.top, len - 20);
    s.scroll_by(-10_000, 20);
    assert_eq!(s.top, 0);
}

#[test]
fn file_and_hunk_jumps() {
    let mut s = state();
    let files = s.doc().unwrap().file_starts.clone();
    s.jump(|d| &d.file_starts, true, 20);
    assert_eq!(s.top, files[0]);
    s.jump(|d| &d.file_starts, true, 20);
    assert_eq!(s.top, files[1]);
    s.jump(|d| &d.file_starts, true, 20);
    assert_eq!(s.top, files[1], "no file after the last");
    s.jump(|d| &d.hunk_starts, false, 20);
    assert_eq!(s.top, files[0] + 3);
}

#[test]
fn colours_are_requested_once_per_chunk_around_the_screen() {
    let mut s = state();
    assert!(s.wanted_colors(5).is_none(), "the header has no diff");
    let diff_start = s.doc().unwrap().diff_start;
    s.scroll_to(diff_start + 100, 20);
    let (_, msg, range) = s.wanted_colors(20).unwrap();
    assert_eq!((msg, range), (4, 0..192));
    assert!(s.wanted_colors(20).is_none());
    s.scroll_by(100, 20);
    let (_, _, range) = s.wanted_colors(20).unwrap();
    assert_eq!(range, 192..320);
}

#[test]
fn search_finds_with_smart_case_and_wraps() {
    let mut s = state();
    s.search.prompt.text = "line1".into();
    s.run_search();
    // "Message line" has no digit; Line1, Line10..19, Line100..199 in two files.
    assert_eq!(s.search.matches.len(), 2 * (1 + 10 + 100));
    s.search.prompt.text = "Line1 ".into();
    s.run_search();
    assert_eq!(s.search.matches.len(), 2, "capital makes it case-sensitive");
    s.search_step(true, 20);
    let first = s.search.matches[0].line;
    assert!(s.top <= first && first < s.top + 20);
    s.search_step(true, 20);
    s.search_step(true, 20);
    assert_eq!(s.search.current, Some(0), "wraps");
    s.search_step(false, 20);
    assert_eq!(s.search.current, Some(1));
}

#[test]
fn recent_documents_come_back_with_their_colours() {
    let mut s = state();
    s.add_colors(
        4,
        vec![(7, Arc::new(crate::highlight::LineDecor::default()))],
    );
    let mut other_doc = DetailDoc::default();
    other_doc.msg = 9;
    s.show_new(Arc::new(other_doc));
    assert!(s.is_for(9));
    assert!(s.show_recent(4));
    assert!(s.shown.as_ref().unwrap().colors.contains_key(&7));
    assert!(!s.show_recent(77));
}

/// A reply: an attribution, 10 quoted lines, an answer, 3 quoted lines, an answer.
fn reply_state() -> DetailState {
    let mut text = String::from("On Mon, A wrote:\n");
    for i in 0..10 {
        text.push_str(&format!("> quoted line {i}\n"));
    }
    text.push_str("\nAnswer one.\n\n> short 1\n> short 2\n> short 3\n\nAnswer two.\n");
    let m = message("r@b", "B", 0, "t", None, true);
    let doc = Arc::new(build(
        5,
        &HeaderSummary {
            message: &m,
            date: None,
            series: None,
            given: Vec::new(),
            parent: Some(ParentLink {
                msg: Some(4),
                text: "[PATCH] t (A)".into(),
            }),
            to: String::new(),
            cc: String::new(),
        },
        &text,
        Arc::new(PatchBody::default()),
        &[],
    ));
    let mut state = DetailState::default();
    state.show_new(doc);
    state
}

fn row_texts(s: &DetailState) -> Vec<String> {
    let doc = s.doc().unwrap().clone();
    (0..s.len())
        .map(|row| match s.row(row) {
            Some(RowLine::Line(line)) => doc.line_text(line).to_string(),
            Some(RowLine::Folded(run)) => format!("[{} folded]", run.len()),
            None => "[none]".into(),
        })
        .collect()
}

#[test]
fn long_quotes_fold_to_one_row_keeping_their_last_lines() {
    let mut s = reply_state();
    let rows = row_texts(&s);
    let start = rows.iter().position(|r| r == "On Mon, A wrote:").unwrap();
    assert_eq!(
        rows[start..],
        [
            "On Mon, A wrote:",
            "[7 folded]",
            "> quoted line 7",
            "> quoted line 8",
            "> quoted line 9",
            "",
            "Answer one.",
            "",
            "> short 1",
            "> short 2",
            "> short 3",
            "",
            "Answer two.",
        ]
    );
    let folded_len = s.len();
    s.toggle_quotes(20);
    assert!(s.quotes_shown);
    assert_eq!(s.len(), folded_len + 6);
    assert!(row_texts(&s).contains(&"> quoted line 0".to_string()));
    s.toggle_quotes(20);
    assert_eq!(s.len(), folded_len);
}

#[test]
fn rows_and_lines_map_both_ways_around_a_fold() {
    let s = reply_state();
    let doc = s.doc().unwrap().clone();
    let fold = doc.quote_folds[0].clone();
    let fold_row = s.row_of(fold.start);
    assert_eq!(s.row(fold_row), Some(RowLine::Folded(fold.clone())));
    assert_eq!(
        s.row_of(fold.start + 3),
        fold_row,
        "a folded line shows as its fold"
    );
    assert_eq!(s.row_of(fold.end), fold_row + 1);
    assert_eq!(s.line_at(fold_row + 1), fold.end);
    assert_eq!(s.line_at(s.len()), doc.len());
}

#[test]
fn a_search_match_inside_folded_quotes_unfolds_them() {
    let mut s = reply_state();
    "quoted line 2"
        .chars()
        .for_each(|c| s.search.prompt.push(c));
    s.run_search();
    s.search_step(true, 10);
    assert!(s.quotes_shown);
    let line = s.search.matches[0].line;
    assert_eq!(s.row(s.row_of(line)), Some(RowLine::Line(line)));
}

#[test]
fn the_in_reply_to_line_links_while_it_is_on_screen() {
    let mut s = reply_state();
    let doc = s.doc().unwrap().clone();
    let (line, msg) = doc.parent.unwrap();
    assert_eq!(msg, 4);
    assert!(
        doc.line_text(line)
            .starts_with("In-Reply-To: [PATCH] t (A)")
    );
    assert_eq!(s.parent_link(20), Some(4));
    s.scroll_to(line + 1, 3);
    assert_eq!(s.parent_link(3), None, "scrolled past it");
}
