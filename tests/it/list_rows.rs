//! The list's rows as the reader reads them off its marks (an unfolded list builds only the
//! rows asked for: the screen, a move) against the rows defined from the archive: the sort
//! order, each match with the messages above it in its thread as context, a thread's first
//! row marked open when more of it shows, and the tree lines. Checked at every key of queries
//! typed into the filter bar, at windows all down the list, at its end, and through folding.

use std::collections::HashSet;

use crate::support::reader::Reader;
use crate::support::synth::{generate, mbox::write_mbox};
use patchdeck::app::list::{Brief, Fold, ListModel, Row, Tree};

#[path = "support/list_reference.rs"]
mod list_reference;
use list_reference::{assert_briefs_around, define_tree_lines};
use patchdeck::index::order::{Catalog, order};
use patchdeck::source::Input;

/// The messages the filter applied last matched.
fn matched(reader: &Reader) -> Vec<u32> {
    let applied = reader
        .app
        .filter
        .applied
        .as_ref()
        .expect("a filter applied");
    applied.1.matched.clone()
}

/// The rows the list must show for `matched` (`None`: every message), from their definitions.
fn defined_rows(reader: &Reader, matched: Option<&[u32]>) -> Vec<Row> {
    let app = &reader.app;
    let archive = app.archive.as_ref().expect("loaded");
    let threads = archive.threads();
    let messages = archive.messages();
    let count = messages.len() as u32;
    let series_of: Vec<Option<u32>> = (0..count).map(|m| app.series_of(m)).collect();
    let catalog = Catalog {
        messages,
        series_of: &series_of,
        threads,
    };
    let msgs = order(catalog, app.list.sort, app.list.reversed);
    let threaded = app.list.sort.grouped();
    // Shown: the matches, and in a threaded order the messages above each.
    let mut shown = vec![matched.is_none(); messages.len()];
    let mut matches = vec![matched.is_none(); messages.len()];
    for &m in matched.unwrap_or_default() {
        matches[m as usize] = true;
        let mut at = Some(m);
        while let Some(m) = at {
            shown[m as usize] = true;
            at = threaded.then(|| threads.parent(m)).flatten();
        }
    }
    // Each message's thread: the message at depth 0 above it in the order.
    let mut root = 0;
    let mut rows: Vec<Row> = Vec::new();
    for &m in &msgs {
        let depth = if threaded { threads.depth(m) } else { 0 };
        if depth == 0 {
            root = m;
        }
        if !shown[m as usize] {
            continue;
        }
        let block = threaded.then_some(root);
        if let Some(head) = rows.iter_mut().rev().find(|r| r.depth == 0)
            && block.is_some()
            && head.block == block
        {
            head.fold = Fold::Open;
        }
        rows.push(Row {
            msg: m,
            depth,
            fold: Fold::None,
            block,
            context: !matches[m as usize],
            tree: Tree::default(),
        });
    }
    define_tree_lines(&mut rows);
    rows
}

/// Checks the list against `want`: windows of a screen's height all down it, every row's
/// brief forward and back from a few rows, each shown message's row, and the screen drawn.
fn assert_list_is(reader: &Reader, want: &[Row], what: &str) {
    let list = &reader.app.list;
    assert_eq!(list.len(), want.len(), "{what}: rows");
    assert_eq!(list.window(0, list.len()), want, "{what}: every row");
    let height = 37;
    for from in (0..want.len()).step_by(height / 2 + 1) {
        let end = (from + height).min(want.len());
        assert_eq!(
            list.window(from, height),
            want[from..end],
            "{what}: at {from}"
        );
    }
    for from in [0, want.len() / 3, want.len().saturating_sub(2), want.len()] {
        assert_briefs_around(list, want, from, what);
    }
    for (at, row) in want.iter().enumerate().step_by(7) {
        assert_eq!(
            list.position(row.msg),
            Some(at),
            "{what}: message {}",
            row.msg
        );
    }
    let selected = list.selected();
    assert_eq!(
        selected,
        want.get(list.cursor).map(|r| r.msg),
        "{what}: cursor"
    );
}

fn synthetic_reader(count: usize, seed: u64) -> (Reader, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synth.mbox");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_mbox(&generate(count, seed), &mut file).unwrap();
    drop(file);
    let reader = Reader::open_with(vec![Input::Path(path)], None, 120, 40, false);
    (reader, dir)
}

#[test]
fn the_rows_read_off_the_marks_are_the_defined_rows_at_every_key() {
    let (mut reader, _dir) = synthetic_reader(3000, 5);
    let all = defined_rows(&reader, None);
    assert!(
        all.iter().any(|r| r.depth > 1),
        "threads deep enough to draw"
    );
    assert_list_is(&reader, &all, "unfiltered");
    for query in ["rate rounding", "qcom gdsc", "from:v s:clk"] {
        reader.keys("/<c-u>");
        for c in query.chars() {
            reader.keys(&if c == ' ' {
                "<space>".to_string()
            } else {
                c.to_string()
            });
            let matched = matched(&reader);
            let want = defined_rows(&reader, Some(&matched));
            let typed = format!("{query:?} up to {c:?}");
            assert_list_is(&reader, &want, &typed);
            // Whatever the key, the cursor is on a match, not on context.
            let at = reader.app.list.cursor;
            assert!(want.get(at).is_none_or(|r| !r.context), "{typed}");
        }
        // To the end of the list and back: the screen shows the last rows.
        reader.keys("<enter> G");
        let want = defined_rows(&reader, Some(&matched(&reader)));
        assert_eq!(
            reader.app.list.cursor,
            want.len().saturating_sub(1),
            "{query}"
        );
        let last = want.last().map(|r| r.msg);
        assert_eq!(reader.app.list.selected(), last, "{query}");
        assert!(
            reader.app.list.offset + 37 >= want.len(),
            "{query}: scrolled"
        );
        reader.keys("g");
        assert_eq!(reader.app.list.cursor, 0);
    }
}

#[test]
fn folding_and_unfolding_come_back_to_the_defined_rows() {
    let (mut reader, _dir) = synthetic_reader(2000, 9);
    reader.keys("/clk<enter>");
    let matched = matched(&reader);
    let want = defined_rows(&reader, Some(&matched));
    // Onto an answer deep in a thread, then fold everything: the list shows one row a thread
    // and the cursor its thread's first row.
    let deep = want
        .iter()
        .position(|r| r.depth > 1)
        .expect("a deep answer");
    let msg = want[deep].msg;
    assert!(reader.app.list.select_message(msg));
    reader.keys("F");
    let heads: Vec<u32> = want
        .iter()
        .filter(|r| r.depth == 0)
        .map(|r| r.msg)
        .collect();
    let folded = reader.app.list.window(0, reader.app.list.len());
    assert_eq!(folded.iter().map(|r| r.msg).collect::<Vec<_>>(), heads);
    let head = want[..=deep]
        .iter()
        .rev()
        .find(|r| r.depth == 0)
        .unwrap()
        .msg;
    assert_eq!(reader.app.list.selected(), Some(head));
    let blocks: HashSet<Option<u32>> = folded.iter().map(|r| r.block).collect();
    assert_eq!(blocks.len(), folded.len(), "one row a thread");
    // Unfolded again: the rows are those defined, read off the marks.
    reader.keys("F");
    assert_list_is(&reader, &want, "unfolded");
    assert_eq!(reader.app.list.selected(), Some(head));
}
