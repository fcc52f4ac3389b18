//! The message record as the archive keeps it for a big list, checked on a real list month
//! (linux-clk, January 2026): shared senders really are shared across the parallel read, and
//! `In-Reply-To` (stored once when it is the last reference) reads back as the header says, and
//! a path many patches touch is kept once.

use std::sync::Arc;

use patchdeck::index::archive::Archive;
use patchdeck::model::mime::{self, HeaderBlock};
use patchdeck::source::Input;

use crate::support::corpus::corpus;

const MONTH: &str = "archives/linux-clk-2026-01.mbox";

#[test]
fn equal_senders_and_lists_are_one_shared_value() {
    let Some(path) = corpus(MONTH) else { return };
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    let mut pairs = 0;
    for (i, a) in archive.messages.iter().enumerate() {
        for b in &archive.messages[i + 1..] {
            if a.from == b.from {
                assert!(Arc::ptr_eq(&a.from, &b.from), "{} and {}", a.id, b.id);
                pairs += 1;
            }
            if let (Some(x), Some(y)) = (&a.list_id, &b.list_id)
                && x == y
            {
                assert!(Arc::ptr_eq(x, y), "{} and {}", a.id, b.id);
            }
        }
        if a.author == a.from {
            assert!(Arc::ptr_eq(&a.author, &a.from), "{}", a.id);
        }
    }
    // The month has regular posters: the check above ran on many pairs.
    assert!(pairs > 1_000, "{pairs} pairs of messages from one sender");
}

#[test]
fn a_path_touched_again_is_one_shared_value() {
    let Some(path) = corpus(MONTH) else { return };
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    let mut seen: std::collections::HashMap<&str, &Arc<str>> = std::collections::HashMap::new();
    let mut again = 0;
    for m in &archive.messages {
        for file in &m.summary.files {
            match seen.get(&*file.path) {
                Some(first) => {
                    assert!(Arc::ptr_eq(first, &file.path), "{} in {}", file.path, m.id);
                    again += 1;
                }
                None => {
                    seen.insert(&file.path, &file.path);
                }
            }
        }
    }
    // A clk month touches the same drivers over and over.
    assert!(again > 100, "{again} rows naming a path seen before");
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
