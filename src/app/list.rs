//! The list pane's rows: messages in sort order, series kept together and foldable, narrowed to
//! the filter's matches, with the cursor and scroll position.
//!
//! Sorting happens once per sort key over the whole archive ([`ListModel::sort`]); a filter
//! result or a fold only walks that order and keeps what is visible ([`ListModel::rebuild`]),
//! so a keystroke in the filter bar costs a linear pass, not a sort. In date and series order a
//! series is one block: its cover letter (or first patch) heads it, patches follow by number,
//! then the replies, as a maintainer reads a submission, and the block sits at its head's date.
//! Date order is newest first, as lore shows an archive; `reverse_sort` flips it.

use std::collections::HashSet;

use crate::model::message::{Kind, Message};

/// What the list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Series blocks by their head's date, newest first.
    #[default]
    Date,
    /// Author name, A to Z, then date.
    Author,
    /// Title, A to Z, then date.
    Subject,
    /// Series blocks by series title, so the versions of one work sit together.
    Series,
}

impl SortKey {
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Date => SortKey::Author,
            SortKey::Author => SortKey::Subject,
            SortKey::Subject => SortKey::Series,
            SortKey::Series => SortKey::Date,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Author => "author",
            SortKey::Subject => "subject",
            SortKey::Series => "series",
        }
    }

    /// Whether this order keeps each series together as a block.
    fn grouped(self) -> bool {
        matches!(self, SortKey::Date | SortKey::Series)
    }
}

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

/// Every message in one sort order, from [`sorted`].
#[derive(Debug, Clone)]
pub struct SortedOrder {
    sort: SortKey,
    reversed: bool,
    slots: Vec<Slot>,
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

/// What the list needs to know of the archive to order it.
#[derive(Clone, Copy)]
pub struct Catalog<'a> {
    pub messages: &'a [Message],
    /// The series of each message, by message index (a reply carries its patch's series).
    pub series_of: &'a [Option<u32>],
}

impl Catalog<'_> {
    fn series(&self, msg: u32) -> Option<u32> {
        self.series_of.get(msg as usize).copied().flatten()
    }

    fn message(&self, msg: u32) -> Option<&Message> {
        self.messages.get(msg as usize)
    }
}

impl ListModel {
    /// Orders the whole archive by `self.sort`; call [`Self::rebuild`] afterwards.
    pub fn sort(&mut self, catalog: Catalog<'_>) {
        self.order = sorted(catalog, self.sort, self.reversed).slots;
    }

    /// Takes an order [`sorted`] elsewhere when it is for this list's key and direction (and
    /// returns true); call [`Self::rebuild`] afterwards.
    pub fn use_sorted(&mut self, order: SortedOrder) -> bool {
        if order.sort != self.sort || order.reversed != self.reversed {
            return false;
        }
        self.order = order.slots;
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

/// The whole archive in `sort` order (flipped when `reversed`): what [`ListModel::sort`]
/// computes, callable off the UI thread (the loader sorts for the first screen).
pub fn sorted(catalog: Catalog<'_>, sort: SortKey, reversed: bool) -> SortedOrder {
    let count = u32::try_from(catalog.messages.len()).unwrap_or(u32::MAX);
    let mut order: Vec<Slot> = (0..count)
        .map(|msg| Slot {
            msg,
            block: catalog.series(msg).filter(|_| sort.grouped()),
        })
        .collect();
    let heads = block_heads(catalog, &order);
    let date = |msg: u32| {
        catalog
            .message(msg)
            .and_then(|m| m.date)
            .map_or(i64::MIN, |d| d.unix)
    };
    match sort {
        SortKey::Date | SortKey::Series => {
            let head_of = |slot: &Slot| {
                slot.block
                    .and_then(|b| heads.get(b as usize).copied())
                    .filter(|&h| h != NO_HEAD)
                    .unwrap_or(slot.msg)
            };
            // Series order puts blocks by title: rank the heads' titles once, so that the
            // sort itself compares integers.
            let title_rank = match sort {
                SortKey::Series => title_ranks(catalog, order.iter().map(head_of)),
                _ => Vec::new(),
            };
            let version = |msg: u32| {
                catalog
                    .message(msg)
                    .and_then(|m| m.subject.version)
                    .unwrap_or(1)
            };
            // Block key first (newest first for date, so reversed), then reading order inside.
            order.sort_by_cached_key(|slot| {
                let head = head_of(slot);
                let block_key = match title_rank.get(head as usize) {
                    Some(&rank) => (rank, version(head), date(head)),
                    None => (0, 0, date(head)),
                };
                (
                    block_key,
                    head,
                    member_rank(catalog, slot.msg),
                    date(slot.msg),
                    slot.msg,
                )
            });
            let descending = (sort == SortKey::Date) != reversed;
            if descending {
                reverse_blocks(&mut order);
            }
        }
        SortKey::Author | SortKey::Subject => {
            let text = |msg: u32| {
                catalog
                    .message(msg)
                    .map_or_else(String::new, |m| match sort {
                        SortKey::Author => m.author.display().to_lowercase(),
                        _ => m.subject.title.to_lowercase(),
                    })
            };
            order.sort_by_cached_key(|slot| (text(slot.msg), date(slot.msg), slot.msg));
            if reversed {
                order.reverse();
            }
        }
    }
    SortedOrder {
        sort,
        reversed,
        slots: order,
    }
}

/// Marks a block without a head in [`block_heads`].
const NO_HEAD: u32 = u32::MAX;

/// The head of each series block, by block id: the cover letter, else the lowest-numbered
/// patch, else the earliest message.
fn block_heads(catalog: Catalog<'_>, order: &[Slot]) -> Vec<u32> {
    let blocks = order
        .iter()
        .filter_map(|s| s.block)
        .max()
        .map_or(0, |b| b as usize + 1);
    let mut heads = vec![NO_HEAD; blocks];
    let key = |msg: u32| {
        let date = catalog
            .message(msg)
            .and_then(|m| m.date)
            .map_or(i64::MIN, |d| d.unix);
        (member_rank(catalog, msg), date, msg)
    };
    for slot in order {
        let Some(head) = slot.block.and_then(|b| heads.get_mut(b as usize)) else {
            continue;
        };
        if *head == NO_HEAD || key(slot.msg) < key(*head) {
            *head = slot.msg;
        }
    }
    heads
}

/// For each message among `heads`, the rank of its lower-cased title among theirs (indexed by
/// message; 0 for messages that head nothing).
fn title_ranks(catalog: Catalog<'_>, heads: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut distinct: Vec<u32> = heads.collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.sort_by_cached_key(|&msg| {
        catalog
            .message(msg)
            .map(|m| m.subject.title.to_lowercase())
            .unwrap_or_default()
    });
    let mut ranks = vec![0; catalog.messages.len()];
    let title = |msg: u32| catalog.message(msg).map(|m| m.subject.title.to_lowercase());
    let mut rank = 0u32;
    let mut previous: Option<String> = None;
    for &msg in &distinct {
        let this = title(msg);
        if previous.is_some() && this != previous {
            rank += 1;
        }
        if let Some(slot) = ranks.get_mut(msg as usize) {
            *slot = rank;
        }
        previous = this;
    }
    ranks
}

/// Reading order inside a series: cover letter, patches by number, then replies and the rest.
fn member_rank(catalog: Catalog<'_>, msg: u32) -> (u8, u32) {
    let Some(m) = catalog.message(msg) else {
        return (3, 0);
    };
    match m.kind {
        Kind::Cover => (0, 0),
        Kind::Patch | Kind::Pull => (1, m.subject.number.unwrap_or(0)),
        Kind::Reply | Kind::Other => (2, 0),
    }
}

/// Reverses the order of runs of equal `block` (and of blockless slots), keeping each run's
/// inside order, so newest-first still reads a series from its cover down.
fn reverse_blocks(order: &mut [Slot]) {
    order.reverse();
    let mut start = 0;
    while start < order.len() {
        let block = order.get(start).and_then(|s| s.block);
        let mut end = start + 1;
        if block.is_some() {
            while order.get(end).is_some_and(|s| s.block == block) {
                end += 1;
            }
        }
        if let Some(run) = order.get_mut(start..end) {
            run.reverse();
        }
        start = end;
    }
}

#[cfg(test)]
mod tests;
