//! The one ordering of an archive's messages, for `list --sort` and the reader's list alike.
//!
//! Each [`SortKey`] has one meaning everywhere:
//! - `date`: newest first, as lore shows a list. A series is one block (its cover letter, or
//!   first patch, heads it; patches follow by number, then the replies, as a maintainer reads a
//!   submission) and the block sits at its head's date.
//! - `author`, `subject`: A to Z (case folded), then oldest first; one row per message, no blocks.
//! - `series`: blocks as for `date`, ordered by series title, then version, so the versions of one
//!   work sit together.
//!
//! `reverse` flips the order of rows (of blocks, for the grouped keys: a series still reads top
//! down).

use crate::model::message::{Kind, Message};

/// What a list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Series blocks by their head's date, newest first.
    #[default]
    Date,
    /// Author name, A to Z, then date.
    Author,
    /// Title, A to Z, then date.
    Subject,
    /// Series blocks by series title, then version.
    Series,
}

impl SortKey {
    /// Every key, in the order `next` cycles through them.
    pub const ALL: [SortKey; 4] = [
        SortKey::Date,
        SortKey::Author,
        SortKey::Subject,
        SortKey::Series,
    ];

    /// The key after this one, wrapping around.
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Date => SortKey::Author,
            SortKey::Author => SortKey::Subject,
            SortKey::Subject => SortKey::Series,
            SortKey::Series => SortKey::Date,
        }
    }

    /// The name a user types (`--sort date`, `sort = "date"`) and sees in the title bar.
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Author => "author",
            SortKey::Subject => "subject",
            SortKey::Series => "series",
        }
    }

    /// One line saying what the order is, for help texts.
    pub fn describe(self) -> &'static str {
        match self {
            SortKey::Date => "newest first, each series one block read top down",
            SortKey::Author => "author A to Z, then oldest first",
            SortKey::Subject => "title A to Z, then oldest first",
            SortKey::Series => "series by title, versions together, each one block",
        }
    }

    /// The key named `name`.
    pub fn from_name(name: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether this order keeps each series together as a block.
    pub fn grouped(self) -> bool {
        matches!(self, SortKey::Date | SortKey::Series)
    }
}

/// What ordering needs to know of an archive.
#[derive(Clone, Copy)]
pub struct Catalog<'a> {
    pub messages: &'a [Message],
    /// The series of each message, by message index (a reply carries its patch's series).
    pub series_of: &'a [Option<u32>],
}

impl Catalog<'_> {
    /// The series block `msg` belongs to under `key` (none when `key` is not grouped).
    pub fn block(&self, key: SortKey, msg: u32) -> Option<u32> {
        if key.grouped() {
            self.series_of.get(msg as usize).copied().flatten()
        } else {
            None
        }
    }

    fn message(&self, msg: u32) -> Option<&Message> {
        self.messages.get(msg as usize)
    }

    fn date(&self, msg: u32) -> i64 {
        self.message(msg)
            .and_then(|m| m.date)
            .map_or(i64::MIN, |d| d.unix)
    }
}

/// An archive's messages in one order, computed where it costs the reader nothing (the loader
/// thread sorts the list's first order) and handed over whole.
#[derive(Debug, Clone)]
pub struct Sorted {
    pub key: SortKey,
    pub reverse: bool,
    /// Message indices in that order.
    pub order: Vec<u32>,
}

/// [`order`], remembering the key and direction it is for.
pub fn sorted(catalog: Catalog<'_>, key: SortKey, reverse: bool) -> Sorted {
    Sorted {
        key,
        reverse,
        order: order(catalog, key, reverse),
    }
}

/// Every message index of `catalog`, ordered by `key` (reversed when `reverse`).
pub fn order(catalog: Catalog<'_>, key: SortKey, reverse: bool) -> Vec<u32> {
    let count = u32::try_from(catalog.messages.len()).unwrap_or(u32::MAX);
    let mut order: Vec<u32> = (0..count).collect();
    let folded = |msg: u32, text: fn(&Message) -> &str| {
        catalog
            .message(msg)
            .map(|m| text(m).to_lowercase())
            .unwrap_or_default()
    };
    if !key.grouped() {
        let text: fn(&Message) -> &str = match key {
            SortKey::Author => |m| m.author.display(),
            _ => |m| &m.subject.title,
        };
        order.sort_by_cached_key(|&msg| (folded(msg, text), catalog.date(msg), msg));
        if reverse {
            order.reverse();
        }
        return order;
    }
    let heads = block_heads(catalog, key);
    let head_of = |msg: u32| {
        catalog
            .block(key, msg)
            .and_then(|b| heads.get(b as usize).copied())
            .filter(|&h| h != NO_HEAD)
            .unwrap_or(msg)
    };
    // Series order puts blocks by title: the heads' titles are ranked once, so that the sort
    // itself compares integers (a String key per message took seconds at a million).
    let title_rank = match key {
        SortKey::Series => title_ranks(catalog, (0..count).map(head_of)),
        _ => Vec::new(),
    };
    let version = |msg: u32| {
        catalog
            .message(msg)
            .and_then(|m| m.subject.version)
            .unwrap_or(1)
    };
    // Block key first (oldest first here, flipped below for date), then reading order inside.
    order.sort_by_cached_key(|&msg| {
        let head = head_of(msg);
        let block_key = match title_rank.get(head as usize) {
            Some(&rank) => (rank, version(head)),
            None => (0, 0),
        };
        (
            block_key,
            catalog.date(head),
            head,
            member_rank(catalog, msg),
            catalog.date(msg),
            msg,
        )
    });
    if (key == SortKey::Date) != reverse {
        reverse_blocks(catalog, key, &mut order);
    }
    order
}

/// Marks a block without a head in [`block_heads`].
const NO_HEAD: u32 = u32::MAX;

/// The head of each series block, by block id: the cover letter, else the lowest-numbered
/// patch, else the earliest message.
fn block_heads(catalog: Catalog<'_>, key: SortKey) -> Vec<u32> {
    let count = u32::try_from(catalog.messages.len()).unwrap_or(u32::MAX);
    let blocks = (0..count)
        .filter_map(|msg| catalog.block(key, msg))
        .max()
        .map_or(0, |b| b as usize + 1);
    let mut heads = vec![NO_HEAD; blocks];
    let rank = |msg: u32| (member_rank(catalog, msg), catalog.date(msg), msg);
    for msg in 0..count {
        let Some(head) = catalog
            .block(key, msg)
            .and_then(|b| heads.get_mut(b as usize))
        else {
            continue;
        };
        if *head == NO_HEAD || rank(msg) < rank(*head) {
            *head = msg;
        }
    }
    heads
}

/// For each message among `heads`, the rank of its case-folded title among theirs (indexed by
/// message; 0 for messages that head nothing).
fn title_ranks(catalog: Catalog<'_>, heads: impl Iterator<Item = u32>) -> Vec<u32> {
    let title = |msg: u32| {
        catalog
            .message(msg)
            .map(|m| m.subject.title.to_lowercase())
            .unwrap_or_default()
    };
    let mut distinct: Vec<u32> = heads.collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut titled: Vec<(String, u32)> = distinct.into_iter().map(|m| (title(m), m)).collect();
    titled.sort_unstable();
    let mut ranks = vec![0; catalog.messages.len()];
    let mut rank = 0u32;
    for (i, (text, msg)) in titled.iter().enumerate() {
        if i > 0
            && titled
                .get(i - 1)
                .is_some_and(|(previous, _)| previous != text)
        {
            rank += 1;
        }
        if let Some(slot) = ranks.get_mut(*msg as usize) {
            *slot = rank;
        }
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

/// Reverses the order of runs of one block (and of blockless messages), keeping each run's
/// inside order, so newest-first still reads a series from its cover down.
fn reverse_blocks(catalog: Catalog<'_>, key: SortKey, order: &mut [u32]) {
    order.reverse();
    let mut start = 0;
    while start < order.len() {
        let block = order.get(start).and_then(|&m| catalog.block(key, m));
        let mut end = start + 1;
        if block.is_some() {
            while order
                .get(end)
                .is_some_and(|&m| catalog.block(key, m) == block)
            {
                end += 1;
            }
        }
        if let Some(run) = order.get_mut(start..end) {
            run.reverse();
        }
        start = end;
    }
}
