//! An unfolded list's rows without building them: which places of the sorted order are shown
//! (as matches or as thread context), and how many rows come before each word of places, so
//! that row `n` is found by a binary search and a few bit steps, a message's row by a count of
//! bits, and the rows on screen are built when drawn, with their fold marks and tree lines.

use super::{Fold, NO_BLOCK, Order, Row, Tree, draw_tree};
use crate::index::bits;

/// The rows of an unfolded list, read off the order when asked for: which places are shown
/// (bit sets over the sorted order, as [`Order::visible`] marks them) and how many rows come
/// before each word of places. Nothing is built per row, so a filter's keystroke that matches
/// a million messages costs the marking, and the screen builds the rows it shows.
#[derive(Debug, Clone, Default)]
pub(super) struct Marked {
    /// The places shown as matches (every place, unfiltered).
    pub(super) shown: Vec<u64>,
    /// The places shown only as the thread context of a match (empty, or as long as `shown`).
    pub(super) context: Vec<u64>,
    /// The rows before each word of places, then how many rows there are.
    starts: Vec<u32>,
}

impl Marked {
    pub(super) fn new(shown: Vec<u64>, context: Vec<u64>) -> Marked {
        let mut starts = Vec::with_capacity(shown.len() + 1);
        let mut rows = 0u32;
        for (w, &s) in shown.iter().enumerate() {
            starts.push(rows);
            rows = rows.saturating_add((s | context.get(w).copied().unwrap_or(0)).count_ones());
        }
        starts.push(rows);
        Marked {
            shown,
            context,
            starts,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.starts.last().map_or(0, |&n| n as usize)
    }

    /// Word `w` of the places shown, as matches or context.
    fn word(&self, w: usize) -> u64 {
        self.shown.get(w).copied().unwrap_or(0) | self.context.get(w).copied().unwrap_or(0)
    }

    /// The place of row `row`.
    pub(super) fn place(&self, row: usize) -> Option<usize> {
        if row >= self.len() {
            return None;
        }
        // The last word whose rows start at or before `row` holds it (words without rows
        // start where the next one does).
        let w = self
            .starts
            .partition_point(|&s| s as usize <= row)
            .checked_sub(1)?;
        let mut word = self.word(w);
        for _ in 0..row - *self.starts.get(w)? as usize {
            word &= word.wrapping_sub(1);
        }
        (word != 0).then(|| w * 64 + word.trailing_zeros() as usize)
    }

    /// The row showing place `place`, if one does.
    pub(super) fn row_of(&self, place: usize) -> Option<usize> {
        let (w, b) = (place / 64, place % 64);
        let word = self.word(w);
        if word >> b & 1 == 0 {
            return None;
        }
        let before = (word & ((1u64 << b) - 1)).count_ones() as usize;
        Some(*self.starts.get(w)? as usize + before)
    }

    /// Whether place `place` is shown only as context.
    pub(super) fn is_context(&self, place: usize) -> bool {
        !bits::contains(&self.shown, place)
    }

    /// The places shown from `place` on, in order.
    pub(super) fn places_from(&self, place: usize) -> impl Iterator<Item = usize> + '_ {
        let mut w = place / 64;
        let mut word = self.word(w) & (u64::MAX << (place % 64));
        std::iter::from_fn(move || {
            while word == 0 {
                w += 1;
                if w >= self.shown.len() {
                    return None;
                }
                word = self.word(w);
            }
            let b = word.trailing_zeros() as usize;
            word &= word - 1;
            Some(w * 64 + b)
        })
    }

    /// The places shown before `place`, last first.
    pub(super) fn places_before(&self, place: usize) -> impl Iterator<Item = usize> + '_ {
        let mut w = place / 64;
        let below = (1u64 << (place % 64)) - 1;
        let mut word = self.word(w) & below;
        std::iter::from_fn(move || {
            while word == 0 {
                w = w.checked_sub(1)?;
                word = self.word(w);
            }
            let b = 63 - word.leading_zeros() as usize;
            word &= !(1u64 << b);
            Some(w * 64 + b)
        })
    }

    /// Rows `from..from + count` (fewer at the end), with their fold marks and tree lines.
    /// A row's tree lines depend on the rows below it in its thread, down to the next answer
    /// at depth 1 or the next thread (past which nothing tells a row anything), so those are
    /// read too; a head's fold mark on whether the row after it is in its block.
    pub(super) fn window(&self, order: &Order, from: usize, count: usize) -> Vec<Row> {
        let Some(first) = self.place(from).filter(|_| count > 0) else {
            return Vec::new();
        };
        // The block of the row above: a block that began there is not headed in the window.
        let mut block = from
            .checked_sub(1)
            .and_then(|r| self.place(r))
            .and_then(|p| order.blocks.get(p).copied())
            .unwrap_or(NO_BLOCK);
        let mut head: Option<usize> = None;
        let mut rows: Vec<Row> = Vec::with_capacity(count + 1);
        for place in self.places_from(first) {
            let (Some(&msg), Some(&depth), Some(&id)) = (
                order.msgs.get(place),
                order.depths.get(place),
                order.blocks.get(place),
            ) else {
                break;
            };
            if id == NO_BLOCK || id != block {
                block = id;
                head = Some(rows.len());
            } else if let Some(head_row) = head.and_then(|h| rows.get_mut(h)) {
                head_row.fold = Fold::Open;
            }
            rows.push(Row {
                msg,
                depth,
                fold: Fold::None,
                block: (id != NO_BLOCK).then_some(id),
                context: self.is_context(place),
                tree: Tree::default(),
            });
            if rows.len() > count && depth <= 1 {
                break;
            }
        }
        draw_tree(&mut rows, &mut Vec::new());
        rows.truncate(count);
        rows
    }
}
