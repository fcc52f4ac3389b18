//! The list pane's rows: messages in sort order, series kept together and foldable, narrowed to
//! the filter's matches, with the cursor and scroll position.
//!
//! Sorting happens once per sort key over the whole archive ([`ListModel::sort`], with the
//! index's one ordering, [`crate::index::order`], which `list --sort` uses too); a filter
//! result or a fold only walks that order and marks what is visible ([`ListModel::rebuild`]),
//! so a keystroke in the filter bar costs a linear pass, not a sort. Unless a thread is folded,
//! no row is built then: the rows on screen, and those a move reads, are read off the marks
//! when asked for ([`ListModel::window`]), so a million matches cost bits, not a million rows.
//! In date and series order a thread is one block, read depth-first (a series: its cover, the
//! patches by number, each with its review below it), which folds to its first row; a filter
//! keeps the messages above each match in its thread, dimmed, so a match is read where it was
//! said.

use std::collections::HashSet;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::index::bits;
use crate::index::order::{Catalog, SortKey, Sorted, order};
use marked::Marked;

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

/// Matches a thread of the list's passes places in the order at least.
const SHARE: usize = 1 << 12;

/// No thread block: the flat orders.
const NO_BLOCK: u32 = u32::MAX;

/// The whole archive in sort order, before filtering and folding: a column per fact, so a
/// pass over a million messages reads only what it asks about.
#[derive(Debug, Clone, Default)]
struct Order {
    /// The message at each place.
    msgs: Vec<u32>,
    /// The thread block it is in (the thread's first message) in the threaded orders, else
    /// [`NO_BLOCK`].
    blocks: Vec<u32>,
    /// Its depth in its thread: 0 for the message that starts it (and in the flat orders).
    depths: Vec<u32>,
    /// Where its parent is, in the threaded orders, else [`NO_SLOT`].
    parents: Vec<u32>,
    /// Each message's place.
    slot_of: Vec<u32>,
    /// The places that start a thread, and those whose parent is the place just before them
    /// (made by [`Order::link`]): a shown place of either kind brings no context when the
    /// place before it is shown (a start never does), so the walk up from the matches skips
    /// them a word at a time. Only a shortcut: without them every shown place is walked from.
    starts: Vec<u64>,
    after_parent: Vec<u64>,
}

impl Order {
    fn len(&self) -> usize {
        self.msgs.len()
    }

    /// Marks the places that start a thread and those right after their parent.
    fn link(&mut self) {
        let words = self.len().div_ceil(64);
        self.starts = vec![0u64; words];
        self.after_parent = vec![0u64; words];
        for (at, &parent) in self.parents.iter().enumerate() {
            if parent == NO_SLOT {
                bits::insert(&mut self.starts, at);
            } else if parent as usize + 1 == at {
                bits::insert(&mut self.after_parent, at);
            }
        }
    }

    fn parent(&self, slot: usize) -> u32 {
        self.parents.get(slot).copied().unwrap_or(NO_SLOT)
    }

    fn block(&self, slot: usize) -> Option<u32> {
        self.blocks.get(slot).copied().filter(|&b| b != NO_BLOCK)
    }

    /// The order cut into parts of about [`PART`] places for parallel passes, each starting
    /// where a thread does, so that no thread spans two parts: (first place, end).
    fn parts(&self) -> Vec<(usize, usize)> {
        let len = self.len();
        let mut starts = vec![0];
        let mut at = PART;
        while at < len {
            while self.depths.get(at).is_some_and(|&d| d != 0) {
                at += 1;
            }
            if at < len {
                starts.push(at);
            }
            at += PART;
        }
        starts.push(len);
        starts.windows(2).map(|w| (w[0], w[1])).collect()
    }

    /// The places shown: every one when `matches` is `None`, else those of `matches`
    /// (message indices, ascending as a filter gives them, or in any order), and, as
    /// context, the places above them in their thread. Two sets of places, shown and context.
    fn visible(&self, matches: Option<&[u32]>) -> (Vec<u64>, Vec<u64>) {
        let len = self.len();
        let words = len.div_ceil(64);
        let mut context = vec![0u64; words];
        let Some(matches) = matches else {
            let mut shown = vec![0u64; words];
            shown
                .par_iter_mut()
                .enumerate()
                .for_each(|(w, word)| *word = bits::full_word(len, w));
            return (shown, context);
        };
        // Each match straight to its place in the order. Finding a place waits on memory
        // (a read of a 4 MB table a match, in no order a prefetcher follows), so each thread
        // places a share of the matches in a set of its own, and the sets are merged. Even
        // with most messages matching this beats a pass down the order asking a set of the
        // matches about each place (1.2 against 2.3 ms at a million, in the reader bench).
        let share = matches
            .len()
            .div_ceil(rayon::current_num_threads().max(1))
            .max(SHARE);
        let placed: Vec<Vec<u64>> = matches
            .par_chunks(share)
            .map(|matches| {
                let mut set = vec![0u64; words];
                for &m in matches {
                    if let Some(&slot) = self.slot_of.get(m as usize) {
                        bits::insert(&mut set, slot as usize);
                    }
                }
                set
            })
            .collect();
        let mut placed = placed.into_iter();
        let mut shown = placed.next().unwrap_or_else(|| vec![0u64; words]);
        for set in placed {
            for (word, bits) in shown.iter_mut().zip(set) {
                *word |= bits;
            }
        }
        // Each match brings the messages above it; a walk stops at one already shown. In
        // order, so a walk goes back over places just read. Walks stay in their thread, so
        // each part of the order walks its own, into a set of its own words, and the sets
        // are merged (two parts may share a word where one ends and the next starts).
        let parts = self.parts();
        let walked: Vec<(usize, Vec<u64>)> = parts
            .par_iter()
            .map(|&(from, to)| {
                let first = from / 64;
                let mut mine = vec![0u64; to.div_ceil(64).saturating_sub(first)];
                let above = |p: u32| bits::contains(&shown, p as usize);
                let walked = |mine: &[u64], p: u32| {
                    (p as usize)
                        .checked_sub(first * 64)
                        .is_some_and(|at| bits::contains(mine, at))
                };
                let word = |set: &[u64], w: usize| set.get(w).copied().unwrap_or(0);
                for w in first..to.div_ceil(64) {
                    let s = word(&shown, w);
                    // Which places have the place before them shown.
                    let before = s << 1 | w.checked_sub(1).map_or(0, |v| word(&shown, v) >> 63);
                    let idle = word(&self.starts, w) | (word(&self.after_parent, w) & before);
                    bits::for_each_bit(visible_word(s & !idle, w, from, to), |b| {
                        let mut p = self.parent(w * 64 + b);
                        while p != NO_SLOT && !above(p) && !walked(&mine, p) {
                            bits::insert(&mut mine, p as usize - first * 64);
                            p = self.parent(p as usize);
                        }
                    });
                }
                (first, mine)
            })
            .collect();
        for (first, mine) in walked {
            for (word, bits) in context.iter_mut().skip(first).zip(mine) {
                *word |= bits;
            }
        }
        (shown, context)
    }
}

/// Runs `pass` on the threads the list's parallel passes use, one a core, apart from the pool
/// the filter ranks on: a pass asked of that pool while it ranks the last key's matches would
/// wait in its queue behind the ranking's tasks, while threads of their own share the cores.
fn on_list_threads<T: Send>(pass: impl FnOnce() -> T + Send) -> T {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("list-{i}"))
            .build()
            .ok()
    });
    // No threads could be started: the pass runs on the shared pool.
    match pool {
        Some(pool) => pool.install(pass),
        None => pass(),
    }
}

/// Places a part of the unfolded rows spans at least, before it ends at a thread's start
/// (small under test, so that the tests' lists are cut into many parts).
const PART: usize = if cfg!(test) { 37 } else { 1 << 16 };

/// Where the selected message's row is, and the first row of its thread block.
#[derive(Debug, Default, Clone, Copy)]
struct Found {
    selected: Option<usize>,
    block: Option<usize>,
}

/// How many places from `from` to `to` (excluded) are in `shown` or `context` (which may be
/// empty), counted a word at a time.
fn count_visible(shown: &[u64], context: &[u64], from: usize, to: usize) -> usize {
    if from >= to {
        return 0;
    }
    let mut count = 0;
    for w in from / 64..to.div_ceil(64) {
        let Some(&s) = shown.get(w) else {
            break;
        };
        count += visible_word(s | context.get(w).copied().unwrap_or(0), w, from, to).count_ones()
            as usize;
    }
    count
}

/// Word `w` of a set of places with the places outside `from..to` taken out.
#[inline]
fn visible_word(mut word: u64, w: usize, from: usize, to: usize) -> u64 {
    let start = w * 64;
    if from > start {
        word &= u64::MAX << (from - start);
    }
    if to < start + 64 {
        word &= (1u64 << (to - start)) - 1;
    }
    word
}

/// The rows on show: unfolded (what every keystroke of a filter gives), only which places are
/// shown, each row read off the order when asked for; ranked by score, the messages in that
/// order, each a flat row; with folded threads, every row built.
#[derive(Debug, Clone)]
enum Rows {
    Marked(Marked),
    Ranked(Vec<u32>),
    Built(Vec<Row>),
}

impl Default for Rows {
    fn default() -> Self {
        Rows::Built(Vec::new())
    }
}

/// What a row says of its message without its fold mark and tree lines, as the moves through
/// the list read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brief {
    /// The row's index.
    pub at: usize,
    pub msg: u32,
    pub depth: u32,
    pub context: bool,
}

impl Row {
    /// The row of message `msg` in a flat list ranked by score.
    fn ranked(msg: u32) -> Row {
        Row {
            msg,
            depth: 0,
            fold: Fold::None,
            block: None,
            context: false,
            tree: Tree::default(),
        }
    }
}

impl Brief {
    fn of(at: usize, row: &Row) -> Brief {
        Brief {
            at,
            msg: row.msg,
            depth: row.depth,
            context: row.context,
        }
    }
}

/// The rows of the list and where the cursor is.
#[derive(Debug, Clone, Default)]
pub struct ListModel {
    pub sort: SortKey,
    /// Opposite of the sort key's natural direction.
    pub reversed: bool,
    /// Every message in sort order.
    order: Order,
    /// Fold state: threads in this set are the exception to `fold_all`.
    pub fold_all: bool,
    toggled: HashSet<u32>,
    rows: Rows,
    /// The row under the cursor.
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
    fn take_order(&mut self, msgs: Vec<u32>, catalog: Catalog<'_>) {
        let len = msgs.len();
        let mut slot_of = vec![NO_SLOT; len];
        for (at, &msg) in msgs.iter().enumerate() {
            if let Some(slot) = slot_of.get_mut(msg as usize) {
                *slot = at as u32;
            }
        }
        let threads = catalog.threads;
        if !self.sort.grouped() || threads.len() != len {
            self.order = Order {
                msgs,
                blocks: vec![NO_BLOCK; len],
                depths: vec![0; len],
                parents: vec![NO_SLOT; len],
                slot_of,
                ..Order::default()
            };
            self.order.link();
            return;
        }
        // Threads come whole and depth-first: a depth-0 message opens a block, and a
        // message's parent is the last one seen a level up.
        let mut last_at_depth: Vec<u32> = Vec::new();
        let mut block = 0;
        let mut blocks = Vec::with_capacity(len);
        let mut depths = Vec::with_capacity(len);
        let mut parents = Vec::with_capacity(len);
        for (at, &msg) in msgs.iter().enumerate() {
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
            blocks.push(block);
            depths.push(depth);
            parents.push(parent);
        }
        self.order = Order {
            msgs,
            blocks,
            depths,
            parents,
            slot_of,
            ..Order::default()
        };
        self.order.link();
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

    /// Rebuilds the visible rows from the sorted order: every message when `matches` is `None`,
    /// else the messages in `matches` (indices, any order) with, in the threaded orders, the
    /// messages above them in their thread as context; folded threads reduced to their first
    /// row. The cursor stays on the same message when it is still visible, else on the row
    /// that took its place.
    ///
    /// A filter's answer costs its matches and their context, plus a bit per message: the
    /// rows shown are marked in bit sets over the sorted order. Unless a thread is folded,
    /// that is all; rows are read off the marks when shown ([`Self::window`]).
    pub fn rebuild(&mut self, matches: Option<&[u32]>) {
        let selected = self.selected;
        let selected_block = selected.and_then(|m| self.block_of(m));
        let folding = self.fold_all || !self.toggled.is_empty();
        // The last rows' memory is reused: a million rows are 32 MB of fresh pages otherwise.
        let mut rows = match std::mem::take(&mut self.rows) {
            Rows::Built(rows) => rows,
            Rows::Marked(_) | Rows::Ranked(_) => Vec::new(),
        };
        let (shown, context) = on_list_threads(|| self.order.visible(matches));
        let position = if folding {
            let found = self.fill_folding(&shown, &context, &mut rows, selected, selected_block);
            self.rows = Rows::Built(rows);
            found.selected.or(found.block)
        } else {
            self.rows = Rows::Marked(Marked::new(shown, context));
            selected
                .and_then(|msg| self.position(msg))
                .or_else(|| self.block_start(selected_block?))
        };
        // Folded away: land on the head of its block.
        self.restore_cursor(position);
    }

    /// The rows of the places in `shown` or `context`, each block folded or not as the fold
    /// state says, one place after the other.
    fn fill_folding(
        &self,
        shown: &[u64],
        context: &[u64],
        rows: &mut Vec<Row>,
        selected: Option<u32>,
        selected_block: Option<u32>,
    ) -> Found {
        let order = &self.order;
        let count = count_visible(shown, context, 0, shown.len() * 64);
        let mut found = Found::default();
        rows.clear();
        rows.reserve(count);
        // The block being read, the index of its head row, and whether it is folded (asked
        // once the block has a second row).
        let mut block = NO_BLOCK;
        let mut head = 0;
        let mut folded: Option<bool> = None;
        // Tree lines are drawn a thread at a time, while its rows are still in the cache.
        let mut tree = TreeDrawer::default();
        let columns = order
            .msgs
            .chunks(64)
            .zip(order.depths.chunks(64))
            .zip(order.blocks.chunks(64));
        for ((&s, &c), ((msgs, depths), blocks)) in shown.iter().zip(context).zip(columns) {
            bits::for_each_bit(s | c, |b| {
                let (Some(&msg), Some(&depth), Some(&id)) =
                    (msgs.get(b), depths.get(b), blocks.get(b))
                else {
                    return;
                };
                if depth == 0 {
                    tree.draw(rows);
                }
                let row = Row {
                    msg,
                    depth,
                    fold: Fold::None,
                    block: (id != NO_BLOCK).then_some(id),
                    context: s >> b & 1 == 0,
                    tree: Tree::default(),
                };
                if id == NO_BLOCK || id != block {
                    block = id;
                    head = rows.len();
                    folded = None;
                    if id != NO_BLOCK && Some(id) == selected_block && found.block.is_none() {
                        found.block = Some(rows.len());
                    }
                    if Some(msg) == selected {
                        found.selected = Some(rows.len());
                    }
                    rows.push(row);
                    return;
                }
                let folded =
                    *folded.get_or_insert_with(|| self.fold_all != self.toggled.contains(&id));
                let Some(head_row) = rows.get_mut(head) else {
                    return;
                };
                if folded {
                    let hidden = match head_row.fold {
                        Fold::Closed { hidden } => hidden.saturating_add(1),
                        _ => 1,
                    };
                    head_row.fold = Fold::Closed { hidden };
                } else {
                    head_row.fold = Fold::Open;
                    if Some(msg) == selected {
                        found.selected = Some(rows.len());
                    }
                    rows.push(row);
                }
            });
        }
        tree.draw(rows);
        found
    }

    /// Shows exactly `order` (a filter's matches ranked by score), flat, in that order.
    pub fn show_ranked(&mut self, order: &[u32]) {
        let selected_row = self
            .selected
            .and_then(|selected| order.iter().position(|&m| m == selected));
        let mut msgs = match std::mem::take(&mut self.rows) {
            Rows::Ranked(msgs) => msgs,
            Rows::Marked(_) | Rows::Built(_) => Vec::new(),
        };
        msgs.clear();
        msgs.extend_from_slice(order);
        self.rows = Rows::Ranked(msgs);
        self.restore_cursor(selected_row);
    }

    /// Puts the cursor on row `position` (where the selected message went), else keeps its
    /// row number within the list.
    fn restore_cursor(&mut self, position: Option<usize>) {
        if let Some(position) = position {
            self.cursor = position;
        }
        self.cursor = self.cursor.min(self.len().saturating_sub(1));
        self.selected = self.selected();
    }

    /// The thread block message `msg` is in, in the threaded orders.
    fn block_of(&self, msg: u32) -> Option<u32> {
        let &slot = self.order.slot_of.get(msg as usize)?;
        self.order.block(slot as usize)
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        match &self.rows {
            Rows::Marked(marked) => marked.len(),
            Rows::Ranked(msgs) => msgs.len(),
            Rows::Built(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Rows `from..from + count`, fewer at the end of the list: what a screen shows.
    pub fn window(&self, from: usize, count: usize) -> Vec<Row> {
        match &self.rows {
            Rows::Marked(marked) => marked.window(&self.order, from, count),
            Rows::Ranked(msgs) => {
                let shown = msgs.iter().skip(from).take(count);
                shown.map(|&msg| Row::ranked(msg)).collect()
            }
            Rows::Built(rows) => rows.iter().skip(from).take(count).copied().collect(),
        }
    }

    /// Row `at`.
    pub fn row(&self, at: usize) -> Option<Row> {
        self.window(at, 1).pop()
    }

    /// The message of row `at`.
    fn msg_at(&self, at: usize) -> Option<u32> {
        match &self.rows {
            Rows::Marked(marked) => self.order.msgs.get(marked.place(at)?).copied(),
            Rows::Ranked(msgs) => msgs.get(at).copied(),
            Rows::Built(rows) => rows.get(at).map(|r| r.msg),
        }
    }

    /// What the row at `place` of the order says, as row `at` of the marked rows.
    fn brief_at(&self, marked: &Marked, at: usize, place: usize) -> Brief {
        Brief {
            at,
            msg: self.order.msgs.get(place).copied().unwrap_or(0),
            depth: self.order.depths.get(place).copied().unwrap_or(0),
            context: marked.is_context(place),
        }
    }

    /// Rows `at`, `at + 1`, … to the last, briefly.
    pub fn briefs_from(&self, at: usize) -> Box<dyn Iterator<Item = Brief> + '_> {
        match &self.rows {
            Rows::Marked(marked) => {
                let Some(first) = marked.place(at) else {
                    return Box::new(std::iter::empty());
                };
                Box::new(
                    marked
                        .places_from(first)
                        .zip(at..)
                        .map(move |(place, at)| self.brief_at(marked, at, place)),
                )
            }
            Rows::Ranked(msgs) => Box::new(
                msgs.iter()
                    .enumerate()
                    .skip(at)
                    .map(|(at, &msg)| Brief::of(at, &Row::ranked(msg))),
            ),
            Rows::Built(rows) => Box::new(
                rows.iter()
                    .enumerate()
                    .skip(at)
                    .map(|(at, row)| Brief::of(at, row)),
            ),
        }
    }

    /// Rows `at - 1`, `at - 2`, … to the first, briefly.
    pub fn briefs_before(&self, at: usize) -> Box<dyn Iterator<Item = Brief> + '_> {
        let at = at.min(self.len());
        match &self.rows {
            Rows::Marked(marked) => {
                // The place after the last row before `at`.
                let end = match marked.place(at) {
                    Some(place) => place,
                    None => marked.shown.len() * 64,
                };
                Box::new(
                    marked
                        .places_before(end)
                        .zip((0..at).rev())
                        .map(move |(place, at)| self.brief_at(marked, at, place)),
                )
            }
            Rows::Ranked(msgs) => Box::new(
                msgs.iter()
                    .enumerate()
                    .take(at)
                    .rev()
                    .map(|(at, &msg)| Brief::of(at, &Row::ranked(msg))),
            ),
            Rows::Built(rows) => Box::new(
                rows.iter()
                    .enumerate()
                    .take(at)
                    .rev()
                    .map(|(at, row)| Brief::of(at, row)),
            ),
        }
    }

    /// The row showing message `msg`; none when the filter or a fold left it out.
    pub fn position(&self, msg: u32) -> Option<usize> {
        match &self.rows {
            Rows::Marked(marked) => {
                let &place = self.order.slot_of.get(msg as usize)?;
                marked.row_of(place as usize)
            }
            Rows::Ranked(msgs) => msgs.iter().position(|&m| m == msg),
            Rows::Built(rows) => rows.iter().position(|r| r.msg == msg),
        }
    }

    /// Whether row `at` is there only as the thread context of a filter's matches.
    pub fn row_is_context(&self, at: usize) -> bool {
        self.briefs_from(at).next().is_some_and(|r| r.context)
    }

    /// The first row that is not context: the first match, when filtered.
    pub fn first_match(&self) -> Option<usize> {
        self.briefs_from(0).find(|r| !r.context).map(|r| r.at)
    }

    /// The first row of thread block `block`.
    fn block_start(&self, block: u32) -> Option<usize> {
        match &self.rows {
            Rows::Marked(marked) => {
                // The block starts at its first message's place; its first row is the first
                // place shown from there, if still in the block.
                let &start = self.order.slot_of.get(block as usize)?;
                let place = marked.places_from(start as usize).next()?;
                (self.order.block(place) == Some(block)).then(|| marked.row_of(place))?
            }
            // Ranked rows are in no block.
            Rows::Ranked(_) => None,
            Rows::Built(rows) => rows.iter().position(|r| r.block == Some(block)),
        }
    }

    /// The message under the cursor.
    pub fn selected(&self) -> Option<u32> {
        self.msg_at(self.cursor)
    }

    /// Moves the cursor by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.selected();
    }

    pub fn move_to(&mut self, row: usize) {
        self.cursor = row.min(self.len().saturating_sub(1));
        self.selected = self.selected();
    }

    /// Puts the cursor on message `msg`'s row; false when no row shows it.
    pub fn select_message(&mut self, msg: u32) -> bool {
        let Some(row) = self.position(msg) else {
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
        self.offset = self.offset.min(self.len().saturating_sub(height));
    }

    /// Folds or unfolds the block under the cursor; false when the row is in no block.
    pub fn toggle_fold(&mut self) -> bool {
        let Some(block) = self.row(self.cursor).and_then(|r| r.block) else {
            return false;
        };
        if !self.toggled.remove(&block) {
            self.toggled.insert(block);
        }
        // The cursor goes to the block's head, which stays visible either way.
        self.selected = self.block_start(block).and_then(|at| self.msg_at(at));
        true
    }

    /// Folds every block, or unfolds every block when all were folded.
    pub fn toggle_fold_all(&mut self) {
        self.fold_all = !self.fold_all;
        self.toggled.clear();
        let block = self.row(self.cursor).and_then(|r| r.block);
        if let Some(block) = block {
            self.selected = self.block_start(block).and_then(|at| self.msg_at(at));
        }
    }
}

/// Draws the tree lines of the rows pushed since its last call, once a row of depth 0 (or the
/// end) shows those rows are all in the threads above. Lines never cross a row of depth 0, so
/// drawing thread by thread draws what one pass over all the rows would.
#[derive(Default)]
struct TreeDrawer {
    /// Where the rows not yet drawn start.
    start: usize,
    later: Vec<bool>,
}

impl TreeDrawer {
    #[inline]
    fn draw(&mut self, rows: &mut [Row]) {
        let fresh = rows.get_mut(self.start..).unwrap_or_default();
        // A lone row of depth 0 has no lines.
        if fresh.len() > 1 || fresh.first().is_some_and(|r| r.depth > 0) {
            draw_tree(fresh, &mut self.later);
        }
        self.start = rows.len();
    }
}

/// Sets each row's tree lines from the depths of the rows shown (a parent is always shown
/// above its children, as a match or as context, so depths step by one), in one pass from the
/// last row up: a row is last when no later row of its depth comes before one shallower, and
/// a line runs through it at the depth of each ancestor that is not last, which is a later row
/// at that depth before one shallower too. So a row's lines depend only on the rows below it
/// down to the next one at depth 1 or 0. `deep` is scratch.
fn draw_tree(rows: &mut [Row], deep: &mut Vec<bool>) {
    // Which depths have a later row before a shallower one: a bit each below 64, `deep` for
    // the rest.
    let mut later: u64 = 0;
    deep.clear();
    for row in rows.iter_mut().rev() {
        let d = row.depth as usize;
        // The ancestors' lines: depths 1 to 31 above this row's.
        let open = (later & ((1u64 << d.min(32)) - 1)) as u32 & !Tree::LAST;
        let last = if d < 64 {
            let last = later >> d & 1 == 0;
            later |= 1 << d;
            // What was seen deeper belongs to other parents.
            later &= u64::MAX >> (63 - d);
            deep.clear();
            last
        } else {
            let i = d - 64;
            if deep.len() <= i {
                deep.resize(i + 1, false);
            }
            let last = !deep[i];
            deep[i] = true;
            deep.truncate(i + 1);
            last
        };
        row.tree = Tree(u32::from(last && d > 0) | open);
    }
}

mod marked;

#[cfg(test)]
mod tests;
