//! The list pane's rows: messages in sort order, series kept together and foldable, narrowed to
//! the filter's matches, with the cursor and scroll position.
//!
//! Sorting happens once per sort key over the whole archive ([`ListModel::sort`], with the
//! index's one ordering, [`crate::index::order`], which `list --sort` uses too); a filter
//! result or a fold only walks that order and keeps what is visible ([`ListModel::rebuild`]),
//! so a keystroke in the filter bar costs a linear pass, not a sort. In date and series order
//! a thread is one block, read depth-first (a series: its cover, the patches by number, each
//! with its review below it), which folds to its first row; a filter keeps the messages above
//! each match in its thread, dimmed, so a match is read where it was said.

use std::collections::HashSet;

use crate::index::order::{Catalog, SortKey, Sorted, order};

/// How a row relates to its thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Not the first visible row of a thread with more than one visible row.
    None,
    /// Heads a thread whose other rows are shown.
    Open,
    /// Heads a thread whose other `hidden` rows are folded away.
    Closed { hidden: u32 },
}

/// One visible row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Message index in the archive.
    pub msg: u32,
    /// Depth in its thread: 0 for the message that starts it (and in the flat orders).
    pub depth: u32,
    pub fold: Fold,
    /// The thread this row belongs to (its first message), in the threaded orders.
    pub block: Option<u32>,
    /// Shown only as the thread context of a filter's matches, not a match itself.
    pub context: bool,
    /// What the tree drawing needs: [`Tree::LAST`] when no later row shares this row's parent,
    /// and for each ancestor depth below 32, whether a line continues past this row there.
    pub tree: Tree,
}

/// The tree lines of one row, as bits: bit 0 says the row is its parent's last shown child;
/// bit `d` (1..32) says the ancestor at depth `d` has a later sibling, so a `│` runs through
/// this row at that depth's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tree(pub u32);

impl Tree {
    pub const LAST: u32 = 1;

    /// This row is the last shown answer to its parent (`└─`, else `├─`).
    pub fn last(self) -> bool {
        self.0 & Tree::LAST != 0
    }

    /// A line runs through this row at the column of depth `depth` (1..32).
    pub fn continues(self, depth: u32) -> bool {
        depth > 0 && depth < 32 && self.0 & (1 << depth) != 0
    }
}

/// No parent in the sorted order.
const NO_SLOT: u32 = u32::MAX;

/// A message's position in the sorted archive, before filtering and folding.
#[derive(Debug, Clone, Copy)]
struct Slot {
    msg: u32,
    block: Option<u32>,
    depth: u32,
    /// Where its parent is in the order, in the threaded orders.
    parent: u32,
}

/// The rows of the list and where the cursor is.
#[derive(Debug, Clone, Default)]
pub struct ListModel {
    pub sort: SortKey,
    /// Opposite of the sort key's natural direction.
    pub reversed: bool,
    /// Every message in sort order.
    order: Vec<Slot>,
    /// Fold state: threads in this set are the exception to `fold_all`.
    pub fold_all: bool,
    toggled: HashSet<u32>,
    pub rows: Vec<Row>,
    /// Index into `rows`.
    pub cursor: usize,
    /// First row on screen.
    pub offset: usize,
    /// The message under the cursor, kept across rebuilds.
    selected: Option<u32>,
}

impl ListModel {
    /// An empty list that will be ordered by `sort`.
    pub fn sorted_by(sort: SortKey) -> ListModel {
        ListModel {
            sort,
            ..ListModel::default()
        }
    }

    /// Orders the whole archive by `self.sort` ([`order`]); call [`Self::rebuild`] afterwards.
    pub fn sort(&mut self, catalog: Catalog<'_>) {
        let order = order(catalog, self.sort, self.reversed);
        self.take_order(order, catalog);
    }

    /// Makes the list's slots from `order` (as [`order`] gives it for `self.sort`): in the
    /// threaded orders each thread's block, depth and parent row.
    fn take_order(&mut self, order: Vec<u32>, catalog: Catalog<'_>) {
        let threads = catalog.threads;
        if !self.sort.grouped() || threads.len() != order.len() {
            self.order = order
                .into_iter()
                .map(|msg| Slot {
                    msg,
                    block: None,
                    depth: 0,
                    parent: NO_SLOT,
                })
                .collect();
            return;
        }
        // Threads come whole and depth-first: a depth-0 message opens a block, and a
        // message's parent is the last one seen a level up.
        let mut last_at_depth: Vec<u32> = Vec::new();
        let mut block = 0;
        self.order = order
            .into_iter()
            .enumerate()
            .map(|(at, msg)| {
                let depth = threads.depth(msg);
                if depth == 0 {
                    block = msg;
                }
                let d = depth as usize;
                last_at_depth.truncate(d);
                let parent = d
                    .checked_sub(1)
                    .and_then(|up| last_at_depth.get(up).copied())
                    .unwrap_or(NO_SLOT);
                last_at_depth.push(at as u32);
                Slot {
                    msg,
                    block: Some(block),
                    depth,
                    parent,
                }
            })
            .collect();
    }

    /// Takes an order sorted elsewhere ([`crate::index::order::sorted`], on the loader thread)
    /// when it is for this list's key and direction, and returns true; call [`Self::rebuild`]
    /// afterwards.
    pub fn use_sorted(&mut self, sorted: Sorted, catalog: Catalog<'_>) -> bool {
        if sorted.key != self.sort || sorted.reverse != self.reversed {
            return false;
        }
        self.take_order(sorted.order, catalog);
        true
    }

    /// Rebuilds the visible rows from the sorted order: only messages `visible` says are in
    /// (all when `None`) with, in the threaded orders, the messages above them in their thread
    /// as context; folded threads reduced to their first row. The cursor stays on the same
    /// message when it is still visible, else on the row that took its place.
    pub fn rebuild(&mut self, visible: Option<&dyn Fn(u32) -> bool>) {
        const HIDDEN: u8 = 0;
        const CONTEXT: u8 = 1;
        const SHOWN: u8 = 2;
        let mut show: Vec<u8> = match visible {
            None => vec![SHOWN; self.order.len()],
            Some(is_visible) => self
                .order
                .iter()
                .map(|s| if is_visible(s.msg) { SHOWN } else { HIDDEN })
                .collect(),
        };
        if visible.is_some() {
            // Each match brings the messages above it; a walk stops at one already shown.
            for i in 0..self.order.len() {
                if show[i] != SHOWN {
                    continue;
                }
                let mut p = self.order[i].parent;
                while let Some(s) = show.get_mut(p as usize) {
                    if *s != HIDDEN {
                        break;
                    }
                    *s = CONTEXT;
                    p = self.order[p as usize].parent;
                }
            }
        }
        let mut rows: Vec<Row> = Vec::with_capacity(self.order.len());
        let mut current: Option<(u32, usize)> = None; // (block, index of its head row)
        for (slot, &state) in self.order.iter().zip(&show) {
            if state == HIDDEN {
                continue;
            }
            let row = Row {
                msg: slot.msg,
                depth: slot.depth,
                fold: Fold::None,
                block: slot.block,
                context: state == CONTEXT,
                tree: Tree::default(),
            };
            let same_block =
                slot.block.is_some() && current.is_some_and(|(b, _)| Some(b) == slot.block);
            if !same_block {
                current = slot.block.map(|b| (b, rows.len()));
                rows.push(row);
                continue;
            }
            let Some((block, head)) = current else {
                continue;
            };
            let folded = self.fold_all != self.toggled.contains(&block);
            let Some(head_row) = rows.get_mut(head) else {
                continue;
            };
            if folded {
                let hidden = match head_row.fold {
                    Fold::Closed { hidden } => hidden.saturating_add(1),
                    _ => 1,
                };
                head_row.fold = Fold::Closed { hidden };
            } else {
                head_row.fold = Fold::Open;
                rows.push(row);
            }
        }
        draw_tree(&mut rows);
        self.rows = rows;
        self.restore_cursor();
    }

    /// Shows exactly `order` (a filter's matches ranked by score), flat, in that order.
    pub fn show_ranked(&mut self, order: &[u32]) {
        self.rows = order
            .iter()
            .map(|&msg| Row {
                msg,
                depth: 0,
                fold: Fold::None,
                block: None,
                context: false,
                tree: Tree::default(),
            })
            .collect();
        self.restore_cursor();
    }

    fn restore_cursor(&mut self) {
        let block_of = |msg: u32| {
            self.order
                .iter()
                .find(|s| s.msg == msg)
                .and_then(|s| s.block)
        };
        if let Some(selected) = self.selected {
            let position = self
                .rows
                .iter()
                .position(|r| r.msg == selected)
                .or_else(|| {
                    // Folded away: land on the head of its block.
                    let block = block_of(selected)?;
                    self.rows.iter().position(|r| r.block == Some(block))
                });
            if let Some(position) = position {
                self.cursor = position;
            }
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
        self.selected = self.rows.get(self.cursor).map(|r| r.msg);
    }

    /// The message under the cursor.
    pub fn selected(&self) -> Option<u32> {
        self.rows.get(self.cursor).map(|r| r.msg)
    }

    /// Moves the cursor by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.selected();
    }

    pub fn move_to(&mut self, row: usize) {
        self.cursor = row.min(self.rows.len().saturating_sub(1));
        self.selected = self.selected();
    }

    /// Puts the cursor on message `msg`'s row; false when no row shows it.
    pub fn select_message(&mut self, msg: u32) -> bool {
        let Some(row) = self.rows.iter().position(|r| r.msg == msg) else {
            return false;
        };
        self.move_to(row);
        true
    }

    /// Scrolls so the cursor is on screen in a pane `height` rows tall.
    pub fn scroll_to_cursor(&mut self, height: usize) {
        let height = height.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 - height;
        }
        self.offset = self.offset.min(self.rows.len().saturating_sub(height));
    }

    /// Folds or unfolds the block under the cursor; false when the row is in no block.
    pub fn toggle_fold(&mut self) -> bool {
        let Some(block) = self.rows.get(self.cursor).and_then(|r| r.block) else {
            return false;
        };
        if !self.toggled.remove(&block) {
            self.toggled.insert(block);
        }
        // The cursor goes to the block's head, which stays visible either way.
        self.selected = self
            .rows
            .iter()
            .find(|r| r.block == Some(block))
            .map(|r| r.msg);
        true
    }

    /// Folds every block, or unfolds every block when all were folded.
    pub fn toggle_fold_all(&mut self) {
        self.fold_all = !self.fold_all;
        self.toggled.clear();
        let block = self.rows.get(self.cursor).and_then(|r| r.block);
        if let Some(block) = block {
            self.selected = self
                .rows
                .iter()
                .find(|r| r.block == Some(block))
                .map(|r| r.msg);
        }
    }
}

/// Sets each row's tree lines from the depths of the rows shown (a parent is always shown
/// above its children, as a match or as context, so depths step by one).
fn draw_tree(rows: &mut [Row]) {
    // Backwards: a row is last when no later row of its depth comes before one shallower.
    let mut later: Vec<bool> = Vec::new();
    for row in rows.iter_mut().rev() {
        let d = row.depth as usize;
        if later.len() <= d {
            later.resize(d + 1, false);
        }
        let last = !later[d];
        later[d] = true;
        later.truncate(d + 1);
        row.tree = Tree(u32::from(last && d > 0));
    }
    // Forwards: the lines of the ancestors still open.
    let mut open: u32 = 0;
    for row in rows.iter_mut() {
        let d = row.depth;
        let below = if d >= 32 { u32::MAX } else { (1u32 << d) - 1 };
        open &= below;
        row.tree.0 |= open & !1;
        if (1..32).contains(&d) && !row.tree.last() {
            open |= 1 << d;
        }
    }
}

#[cfg(test)]
mod tests;
