//! The list pane's rows: messages in sort order, series kept together and foldable, narrowed to
//! the filter's matches, with the cursor and scroll position.
//!
//! Sorting happens once per sort key over the whole archive ([`ListModel::sort`], with the
//! index's one ordering, [`crate::index::order`], which `list --sort` uses too); a filter
//! result or a fold only walks that order and keeps what is visible ([`ListModel::rebuild`]),
//! so a keystroke in the filter bar costs a linear pass, not a sort. In date and series order a
//! series is one block, which folds to its head's row.

use std::collections::HashSet;

use crate::index::order::{Catalog, SortKey, Sorted, order};

/// How a row relates to its series block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Not the first visible row of a block with more than one visible row.
    None,
    /// Heads a block whose other rows are shown.
    Open,
    /// Heads a block whose other `hidden` rows are folded away.
    Closed { hidden: u32 },
}

/// One visible row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Message index in the archive.
    pub msg: u32,
    /// 0 for a block head or a message on its own, 1 for the rest of a block.
    pub depth: u8,
    pub fold: Fold,
    /// The series block this row belongs to, when grouped.
    pub block: Option<u32>,
}

/// A message's position in the sorted archive, before filtering and folding.
#[derive(Debug, Clone, Copy)]
struct Slot {
    msg: u32,
    block: Option<u32>,
}

/// The rows of the list and where the cursor is.
#[derive(Debug, Clone, Default)]
pub struct ListModel {
    pub sort: SortKey,
    /// Opposite of the sort key's natural direction.
    pub reversed: bool,
    /// Every message in sort order.
    order: Vec<Slot>,
    /// Fold state: series in this set are the exception to `fold_all`.
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
    /// Orders the whole archive by `self.sort` ([`order`]); call [`Self::rebuild`] afterwards.
    pub fn sort(&mut self, catalog: Catalog<'_>) {
        self.order = order(catalog, self.sort, self.reversed)
            .into_iter()
            .map(|msg| Slot {
                msg,
                block: catalog.block(self.sort, msg),
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
        self.order = sorted
            .order
            .into_iter()
            .map(|msg| Slot {
                msg,
                block: catalog.block(self.sort, msg),
            })
            .collect();
        true
    }

    /// Rebuilds the visible rows from the sorted order: only messages `visible` says are in
    /// (all when `None`), folded blocks reduced to their head. The cursor stays on the same
    /// message when it is still visible, else on the row that took its place.
    pub fn rebuild(&mut self, visible: Option<&dyn Fn(u32) -> bool>) {
        let mut rows: Vec<Row> = Vec::with_capacity(self.order.len());
        let mut current: Option<(u32, usize)> = None; // (block, index of its head row)
        for slot in &self.order {
            if visible.is_some_and(|is_visible| !is_visible(slot.msg)) {
                continue;
            }
            let same_block =
                slot.block.is_some() && current.is_some_and(|(b, _)| Some(b) == slot.block);
            if !same_block {
                current = slot.block.map(|b| (b, rows.len()));
                rows.push(Row {
                    msg: slot.msg,
                    depth: 0,
                    fold: Fold::None,
                    block: slot.block,
                });
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
                rows.push(Row {
                    msg: slot.msg,
                    depth: 1,
                    fold: Fold::None,
                    block: slot.block,
                });
            }
        }
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

#[cfg(test)]
mod tests;
