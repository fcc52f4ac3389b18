//! Real list archives load completely, and `list --format json` prints valid JSON for every
//! message.

use crate::support::corpus as support;

use patchdeck::index::archive::Archive;
use patchdeck::model::message::Kind;
use patchdeck::source::Input;
use serde_json::Value;

/// Counts lore's `From mboxrd@z` separators: the number of messages the file holds.
fn separators(bytes: &[u8]) -> usize {
    memchr::memmem::find_iter(bytes, b"From mboxrd@z ").count()
}

#[test]
fn clk_january_loads_every_message() {
    let Some(path) = support::corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(separators(&bytes), 918);
    let a = Archive::load(&[Input::Path(path.clone())], &|_| {}).unwrap();
    assert_eq!(a.len(), 918);
    let [patch, cover, reply, ..] = a.kind_counts();
    assert!(
        patch > 200 && cover > 20 && reply > 300,
        "{:?}",
        a.kind_counts()
    );
    // Dates are read for every real message, and the order is chronological.
    assert!(a.messages.iter().all(|m| m.date.is_some()));
    assert!(
        a.messages
            .windows(2)
            .all(|w| w[0].date.unwrap().unix <= w[1].date.unwrap().unix)
    );
    // Patches with a diff have files; series have their patches.
    let patches = a.messages.iter().filter(|m| m.kind == Kind::Patch);
    assert!(patches.clone().all(|m| !m.summary.files.is_empty()));
    let covered = a
        .series
        .iter()
        .filter(|s| s.cover.is_some() && !s.patches.is_empty());
    assert!(covered.count() > 20);
}

#[test]
fn clk_2025_gz_loads_every_message_and_lists_valid_json() {
    let Some(path) = support::corpus("archives/linux-clk-2025.mbox.gz") else {
        return;
    };
    let text = crate::support::run::patchdeck_stdout(&[
        "list",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    let mut lines = 0;
    let mut kinds = std::collections::HashMap::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        for key in [
            "message_id",
            "subject",
            "title",
            "tags",
            "version",
            "number",
            "total",
            "kind",
            "from",
            "author",
            "date",
            "in_reply_to",
            "list_id",
            "files",
            "insertions",
            "deletions",
            "trailers",
            "series",
        ] {
            assert!(v.get(key).is_some(), "missing {key} in {line}");
        }
        *kinds
            .entry(v["kind"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
        lines += 1;
    }
    assert_eq!(lines, 15_562);
    assert!(kinds["pull"] >= 88, "{kinds:?}"); // 88 `[GIT PULL]` subjects; the rest are replies
    assert!(kinds["cover"] >= 800, "{kinds:?}");
}

/// Every message of a real month opens in the reader: the detail document the reader builds
/// for it has its header, and every patch shows its diff.
#[test]
fn every_clk_january_message_opens_in_the_reader() {
    let Some(path) = support::corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let a = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    for msg in 0..a.len() as u32 {
        let doc = patchdeck::app::detail::doc::for_message(&a, msg);
        assert_eq!(doc.msg, msg);
        assert!(doc.len() > 3, "message {msg} shows almost nothing");
        assert!(
            doc.line_text(0).starts_with("From: "),
            "message {msg}: {:?}",
            doc.line_text(0)
        );
        let m = &a.messages[msg as usize];
        if m.kind == Kind::Patch {
            assert!(!doc.file_starts.is_empty(), "patch {msg} shows no diff");
        }
    }
}

/// A series whose sending broke off after 07/19 and was resumed an hour later from 07/19,
/// answering the cover letter, is one series; the re-sent 07 takes the slot. (06/19 never
/// reached this list.)
/// See: linux-clk-2026-01.mbox, "[PATCH v3 00/19] Microchip OTPC driver on SAM9X60".
#[test]
fn resumed_send_stays_one_series() {
    let Some(path) = support::corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let a = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    let cover = a.find("20260120143759.904013-1-ada@thorsis.com").unwrap();
    let first_07 = a.find("20260120143759.904013-8-ada@thorsis.com").unwrap();
    let resent_07 = a.find("20260120154502.1280938-1-ada@thorsis.com").unwrap();
    let last = a.find("20260120154502.1280938-13-ada@thorsis.com").unwrap();
    let s = a.series(a.series_of(cover).unwrap()).unwrap();
    assert_eq!(s.patches.len(), 18);
    assert_eq!(s.missing(), [6]);
    assert!(s.patches.contains(&(7, resent_07)));
    assert_eq!(s.superseded, [first_07]);
    assert_eq!(a.series_of(first_07), Some(s.id));
    assert_eq!(a.series_of(last), Some(s.id));
}
