//! Conversations as trees, on a real list month (linux-clk, January 2026): a series with its
//! review threaded under each patch, a reply that names its parent only in `References`, orphan
//! replies, `list --sort series` and its JSON, and the reader's tree drawn at two sizes.
//!
//! The expected orders were written by reading the messages' headers by hand (Message-ID,
//! In-Reply-To, References, Date), not by running patchdeck.

use std::path::{Path, PathBuf};

use patchdeck::index::archive::Archive;
use patchdeck::source::Input;

use crate::support::corpus::corpus;
use crate::support::reader::Reader;
use crate::support::run::patchdeck_stdout as patchdeck;

const MONTH: &str = "archives/linux-clk-2026-01.mbox";

fn load(path: &Path) -> Archive {
    Archive::load(&[Input::Path(path.to_path_buf())], &|_| {}).unwrap()
}

/// The thread under `root`, as `Message-ID@depth`, depth-first.
fn outline(archive: &Archive, root: &str) -> Vec<String> {
    let threads = archive.threads();
    let root = archive.find(root).unwrap();
    threads
        .subtree(root)
        .iter()
        .map(|&m| {
            format!(
                "{}@{}",
                archive.messages[m as usize].id,
                threads.depth(m) - threads.depth(root)
            )
        })
        .collect()
}

/// "[PATCH 0/5] Support enabling interconnect path for GDSC for fixing Milos camcc" (Luca
/// Weiss, 2026-01-16): five patches answering the cover; Dmitry Baryshkov reviewed 1/5, 4/5 and
/// 5/5 the same day, Krzysztof Kozlowski questioned 2/5 the next day, Konrad Dybcio answered him
/// on the 19th and then answered himself, and reviewed 1/5 later that morning.
const MILOS: [&str; 13] = [
    "20260116-milos-camcc-icc-v1-0-400b7fcd156a@fairphone.com@0",
    "20260116-milos-camcc-icc-v1-1-400b7fcd156a@fairphone.com@1",
    "ms355zigf5jkpgzqyq2dtqr6nl2kbcbv7engerqsblmgm4643a@avthixosdvlo@2",
    "919224e3-f28f-49f2-b84d-0ad87f58985d@oss.qualcomm.com@2",
    "20260116-milos-camcc-icc-v1-2-400b7fcd156a@fairphone.com@1",
    "20260117-efficient-fractal-sloth-aaf7c2@quoll@2",
    "59d9f7ff-4111-4304-a76c-40f4000545f5@oss.qualcomm.com@3",
    "9f8619d4-43ac-4bc0-9598-c498d59a27b8@oss.qualcomm.com@4",
    "20260116-milos-camcc-icc-v1-3-400b7fcd156a@fairphone.com@1",
    "20260116-milos-camcc-icc-v1-4-400b7fcd156a@fairphone.com@1",
    "cdtaituwzxzhv653ahzfmrcux6emgmrnpp43xzs45e6dsy3uls@vefliexuk6vk@2",
    "20260116-milos-camcc-icc-v1-5-400b7fcd156a@fairphone.com@1",
    "272itffci5xkelvykfijviarm6np22fvcofj4m4tud7l3fn7c5@n6p77vfid36u@2",
];

const MILOS_COVER: &str = "20260116-milos-camcc-icc-v1-0-400b7fcd156a@fairphone.com";

#[test]
fn a_real_series_reads_with_its_review_under_each_patch() {
    let Some(path) = corpus(MONTH) else { return };
    let archive = load(&path);
    assert_eq!(outline(&archive, MILOS_COVER), MILOS);
    let cover = archive.find(MILOS_COVER).unwrap();
    assert_eq!(archive.threads().parent(cover), None, "the cover starts it");
}

#[test]
fn a_reply_naming_its_parent_only_in_references_sits_in_the_same_place() {
    let Some(path) = corpus(MONTH) else { return };
    // Dmitry Baryshkov's review of 1/5, with its In-Reply-To header taken out: its References
    // still name 1/5.
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let id = "<ms355zigf5jkpgzqyq2dtqr6nl2kbcbv7engerqsblmgm4643a@avthixosdvlo>";
    let at = text.find(&format!("Message-ID: {id}")).unwrap_or_else(|| {
        text.find(&format!("Message-Id: {id}"))
            .expect("the review is in the month")
    });
    let start = text[..at].rfind("\nFrom ").unwrap();
    let header_end = start + text[start..].find("\n\n").unwrap();
    let header = &text[start..header_end];
    let irt = header.find("\nIn-Reply-To:").expect("it has In-Reply-To");
    let irt_end = irt + 1 + header[irt + 1..].find('\n').unwrap();
    let kept = format!("{}{}", &header[..irt], &header[irt_end..]);
    assert!(
        kept.contains("\nReferences: <20260116-milos-camcc-icc-v1-0-")
            && kept.contains(" <20260116-milos-camcc-icc-v1-1-"),
        "its References still name the cover and 1/5: {kept}"
    );
    let edited = format!("{}{}", &text[..start + irt], &text[start + irt_end..]);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("month.mbox");
    std::fs::write(&copy, edited).unwrap();
    let archive = load(&copy);
    let reply = archive.find(id).unwrap();
    assert_eq!(archive.messages[reply as usize].in_reply_to(), None);
    assert_eq!(outline(&archive, MILOS_COVER), MILOS);
}

#[test]
fn orphan_replies_join_an_earlier_reply_of_their_subject_never_a_later_version() {
    let Some(path) = corpus(MONTH) else { return };
    let archive = load(&path);
    let threads = archive.threads();
    // Two replies to "[PATCH 2/3] clk: qcom: gcc-x1e80100: Add missing UFS symbol mux clocks"
    // of December, which the month does not hold: Dmitry Baryshkov's (Jan 1) and one answering
    // a third message (Jan 2). They read as one conversation, in date order.
    let first = "32gaiw6k3pwzdiqxbvdga76rj5bfyuhkfq3xxnfad3eb5yhagi@rvial4rz27qu";
    let second = "d9a8dc0a-c0ee-4295-a4bc-ac19cc393a43@oss.qualcomm.com";
    assert_eq!(
        outline(&archive, first),
        [format!("{first}@0"), format!("{second}@1")]
    );
    assert_eq!(threads.parent(archive.find(first).unwrap()), None);
    // The v2 of that patch came on Jan 3: the December replies do not hang under it.
    let v2 = archive
        .find("20260103-ufs_symbol_clk-v2-2-51828cc76236@oss.qualcomm.com")
        .unwrap();
    assert!(!threads.subtree(v2).contains(&archive.find(first).unwrap()));
    // Jerome Brunet's reply to v4 5/8 (Jan 5) stays apart from v5 5/8 (Jan 8).
    let v4_reply = archive
        .find("1jldice808.fsf@starbuckisacylon.baylibre.com")
        .unwrap();
    assert_eq!(threads.parent(v4_reply), None);
}

#[test]
fn every_message_is_in_the_tree_once_with_its_parent_above_it() {
    let Some(path) = corpus(MONTH) else { return };
    let archive = load(&path);
    let threads = archive.threads();
    let order = threads.order();
    assert_eq!(order.len(), archive.len());
    let mut seen = vec![false; archive.len()];
    for &m in order {
        if let Some(p) = threads.parent(m) {
            assert!(seen[p as usize], "{} before its parent", m);
            assert_eq!(threads.depth(m), threads.depth(p) + 1);
        }
        assert!(!std::mem::replace(&mut seen[m as usize], true));
    }
}

#[test]
fn list_sort_series_prints_the_tree_depth_first_with_depth_and_parent() {
    let Some(path) = corpus(MONTH) else { return };
    let path = path.to_str().unwrap();
    let out = patchdeck(&[
        "list",
        path,
        "--sort",
        "series",
        "--format",
        "json",
        "-q",
        "series:milos",
    ]);
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outline: Vec<String> = records
        .iter()
        .map(|r| format!("{}@{}", r["message_id"].as_str().unwrap(), r["depth"]))
        .collect();
    assert_eq!(outline, MILOS);
    let parent = |i: usize| records[i]["parent"].as_str().map(str::to_string);
    assert_eq!(parent(0), None);
    assert_eq!(parent(1).as_deref(), Some(MILOS_COVER));
    assert_eq!(
        parent(7).as_deref(),
        Some("59d9f7ff-4111-4304-a76c-40f4000545f5@oss.qualcomm.com")
    );
}

fn month_reader(width: u16, height: u16) -> Option<Reader> {
    let path: PathBuf = corpus(MONTH)?;
    let mut reader = Reader::open(vec![Input::Path(path)], None, width, height);
    // The whole thread (replies carry the series of what they answer), then Konrad Dybcio's
    // answer to himself, four levels down.
    reader.keys("/series:milos<enter>");
    reader.keys("g j j j j j j j");
    Some(reader)
}

#[test]
fn thread_tree_120x40() {
    let Some(reader) = month_reader(120, 40) else {
        return;
    };
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn thread_tree_80x24() {
    let Some(reader) = month_reader(80, 24) else {
        return;
    };
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn reading_the_thread_in_order_from_the_detail() {
    let Some(mut reader) = month_reader(120, 40) else {
        return;
    };
    let id = |r: &Reader| {
        let m = r.app.list.selected().unwrap();
        r.app.messages()[m as usize].id.to_string()
    };
    assert_eq!(
        id(&reader),
        "9f8619d4-43ac-4bc0-9598-c498d59a27b8@oss.qualcomm.com"
    );
    reader.keys("<enter>");
    // Enter on In-Reply-To goes to what it answers; twice more up to 2/5.
    reader.keys("<enter>");
    assert_eq!(
        id(&reader),
        "59d9f7ff-4111-4304-a76c-40f4000545f5@oss.qualcomm.com"
    );
    reader.keys("P P");
    assert_eq!(
        id(&reader),
        "20260116-milos-camcc-icc-v1-2-400b7fcd156a@fairphone.com"
    );
    // Krzysztof's question quotes the patch at length: folded, it reads in one screen.
    reader.keys("J");
    let screen = reader.screen();
    assert!(screen.contains("quoted lines"), "{screen}");
    reader.keys("T");
    assert!(!reader.screen().contains("quoted lines"));
    // Next at this depth from 2/5's review: none; from 2/5 itself, 3/5.
    reader.keys("P <m-n>");
    assert_eq!(
        id(&reader),
        "20260116-milos-camcc-icc-v1-3-400b7fcd156a@fairphone.com"
    );
}
