//! The one ordering of an archive's messages, for `list --sort` and the reader's list alike.
//!
//! Each [`SortKey`] has one meaning everywhere:
//! - `date`: newest first, as lore shows a list. A thread is one block read depth-first (a
//!   message, then its replies; a series' cover letter, its patches by number, each with the
//!   review under it, as [`super::thread`] lays it out), and the block sits at its first
//!   message's date.
//! - `author`, `subject`: A to Z (case folded), then oldest first; one row per message, no blocks.
//! - `series`: blocks as for `date`, ordered by title, then version, so the versions of one work
//!   sit together.
//!
//! `reverse` flips the order of rows (of blocks, for the grouped keys: a thread still reads top
//! down).

use super::thread::Threads;
use crate::model::message::Message;

/// What a list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Thread blocks by their first message's date, newest first.
    #[default]
    Date,
    /// Author name, A to Z, then date.
    Author,
    /// Title, A to Z, then date.
    Subject,
    /// Thread blocks by title, then version.
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
            SortKey::Date => "newest first, each thread one block read top down",
            SortKey::Author => "author A to Z, then oldest first",
            SortKey::Subject => "title A to Z, then oldest first",
            SortKey::Series => "threads by title, versions together, each one block",
        }
    }

    /// The key named `name`.
    pub fn from_name(name: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether this order keeps each thread together as a block, read depth-first.
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
    /// The conversations: the grouped keys show each as one block, depth-first.
    pub threads: &'a Threads,
}

impl Catalog<'_> {
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
    let folded = |msg: u32, text: fn(&Message) -> &str| {
        catalog
            .message(msg)
            .map(|m| text(m).to_lowercase())
            .unwrap_or_default()
    };
    let threads = catalog.threads;
    if !key.grouped() || threads.len() != count as usize {
        let mut order: Vec<u32> = (0..count).collect();
        let text: fn(&Message) -> &str = match key {
            SortKey::Author => |m| m.author.display(),
            SortKey::Subject => |m| m.subject.title(),
            // No thread tree to follow: plain date order.
            SortKey::Date | SortKey::Series => |_| "",
        };
        order.sort_by_cached_key(|&msg| (folded(msg, text), catalog.date(msg), msg));
        if reverse != (key == SortKey::Date) {
            order.reverse();
        }
        return order;
    }
    // Threads are the blocks, placed by their first message (oldest first here, flipped below
    // for date), each read depth-first.
    let mut roots: Vec<u32> = threads.roots().collect();
    roots.sort_by_key(|&r| (catalog.date(r), r));
    if key == SortKey::Series {
        let version = |msg: u32| {
            catalog
                .message(msg)
                .and_then(|m| m.subject.version)
                .unwrap_or(1)
        };
        roots.sort_by_cached_key(|&r| {
            (
                folded(r, |m| m.subject.title()),
                version(r),
                catalog.date(r),
                r,
            )
        });
    }
    if (key == SortKey::Date) != reverse {
        roots.reverse();
    }
    let mut order = Vec::with_capacity(count as usize);
    for root in roots {
        order.extend_from_slice(threads.subtree(root));
    }
    order
}
