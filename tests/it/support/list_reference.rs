//! The list's rows as their definitions give them, for the checks of the rows the list reads
//! off its marks: shared by the list's unit tests (`src/app/list/tests.rs`) and the reader's
//! (`tests/it/list_rows.rs`), each of which includes this file with `#[path]` beside its own
//! imports of `Brief`, `ListModel`, `Row` and `Tree`.

use super::{Brief, ListModel, Row, Tree};

/// Gives `rows` their tree lines from their depths alone, as the list's definition says: a
/// row is its parent's last shown answer when no row of its depth follows before a shallower
/// one, and a line runs through it at each depth whose ancestor there is not last. The
/// reference the list's rows are checked against, by its unit tests and the reader's.
pub fn define_tree_lines(rows: &mut [Row]) {
    let last = |rows: &[Row], i: usize| {
        let d = rows[i].depth;
        rows[i + 1..]
            .iter()
            .take_while(|r| r.depth >= d)
            .all(|r| r.depth != d)
    };
    let mut trees = Vec::with_capacity(rows.len());
    for i in 0..rows.len() {
        let d = rows[i].depth;
        let mut bits = u32::from(d > 0 && last(rows, i));
        for k in 1..d.min(32) {
            let ancestor = (0..i).rev().find(|&j| rows[j].depth == k);
            if ancestor.is_some_and(|j| !last(rows, j)) {
                bits |= 1 << k;
            }
        }
        trees.push(Tree(bits));
    }
    for (row, tree) in rows.iter_mut().zip(trees) {
        row.tree = tree;
    }
}

/// Checks the rows a move reads forward and back from row `from` of `list` against `full`,
/// its rows built all at once.
pub fn assert_briefs_around(list: &ListModel, full: &[Row], from: usize, what: &str) {
    let brief = |(at, r): (usize, &Row)| Brief {
        at,
        msg: r.msg,
        depth: r.depth,
        context: r.context,
    };
    let after: Vec<Brief> = full.iter().enumerate().skip(from).map(brief).collect();
    assert_eq!(
        list.briefs_from(from).collect::<Vec<_>>(),
        after,
        "{what}: after {from}"
    );
    let before: Vec<Brief> = full
        .iter()
        .enumerate()
        .take(from)
        .rev()
        .map(brief)
        .collect();
    assert_eq!(
        list.briefs_before(from).collect::<Vec<_>>(),
        before,
        "{what}: before {from}"
    );
}
