//! The message record as the archive keeps it for a big list, checked on a real list month
//! (linux-clk, January 2026): shared senders really are shared (a copy per reading thread at
//! most), and
//! `In-Reply-To` (stored once when it is the last reference) reads back as the header says, and
//! a path many patches touch is kept once.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use patchdeck::index::archive::Archive;
use patchdeck::model::mime::{self, HeaderBlock};
use patchdeck::source::Input;

use crate::support::corpus::corpus;

const MONTH: &str = "archives/linux-clk-2026-01.mbox";

/// How many copies of each distinct value the load may keep: one per thread that reads
/// messages, and one for the threads outside the pool (see `index::intern`).
fn copies_allowed() -> usize {
    rayon::current_num_threads() + 1
}

/// For each distinct value among `values`, how many different shared copies hold it.
fn copies_of<'a, T: ?Sized + Eq + std::hash::Hash + 'a>(
    values: impl Iterator<Item = &'a Arc<T>>,
) -> HashMap<&'a T, HashSet<*const T>> {
    let mut copies: HashMap<&T, HashSet<*const T>> = HashMap::new();
    for v in values {
        copies.entry(&**v).or_default().insert(Arc::as_ptr(v));
    }
    copies
}

#[test]
fn equal_senders_and_lists_are_shared_values() {
    let Some(path) = corpus(MONTH) else { return };
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    let senders = copies_of(archive.messages.iter().map(|m| &m.from));
    let lists = copies_of(archive.messages.iter().filter_map(|m| m.list_id.as_ref()));
    for (sender, copies) in &senders {
        assert!(copies.len() <= copies_allowed(), "{sender:?}: {copies:?}");
    }
    for (list, copies) in &lists {
        assert!(copies.len() <= copies_allowed(), "{list}: {copies:?}");
    }
    for m in &archive.messages {
        // Read on one thread, an author who is the sender is the sender's copy.
        if m.author == m.from {
            assert!(Arc::ptr_eq(&m.author, &m.from), "{}", m.id);
        }
    }
    // The month has regular posters and one list: far fewer copies than messages.
    let copies: usize = senders.values().map(HashSet::len).sum();
    assert!(
        archive.messages.len() > 4 * copies,
        "{copies} copies of senders for {} messages",
        archive.messages.len()
    );
    assert!(!lists.is_empty());
}

#[test]
fn a_path_touched_again_is_a_shared_value() {
    let Some(path) = corpus(MONTH) else { return };
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    let paths = copies_of(
        archive
            .messages
            .iter()
            .flat_map(|m| m.summary.files.iter().map(|f| &f.path)),
    );
    for (path, copies) in &paths {
        assert!(copies.len() <= copies_allowed(), "{path}: {copies:?}");
    }
    // A clk month touches the same drivers over and over.
    let rows: usize = archive.messages.iter().map(|m| m.summary.files.len()).sum();
    let copies: usize = paths.values().map(HashSet::len).sum();
    assert!(rows > copies + 100, "{rows} rows, {copies} copies of paths");
}

#[test]
fn in_reply_to_reads_back_as_the_header_gives_it() {
    let Some(path) = corpus(MONTH) else { return };
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    let (mut last_reference, mut other) = (0, 0);
    for (i, m) in archive.messages.iter().enumerate() {
        let raw = archive.raw(i as u32);
        let block = HeaderBlock::parse(&raw);
        let ids = |name: &str| {
            block
                .get(name)
                .map(|h| mime::message_ids(h.raw_value()))
                .unwrap_or_default()
        };
        let header = ids("In-Reply-To").iter().next().map(str::to_string);
        assert_eq!(m.in_reply_to(), header.as_deref(), "{}", m.id);
        assert_eq!(m.references, ids("References"), "{}", m.id);
        match header {
            Some(h) if m.references.last() == Some(h.as_str()) => last_reference += 1,
            Some(_) => other += 1,
            None => {}
        }
    }
    // Both ways of keeping it are exercised by the month.
    assert!(last_reference > 100, "{last_reference}");
    assert!(other > 0, "{other}");
}
