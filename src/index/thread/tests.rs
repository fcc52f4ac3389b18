use super::*;
use crate::index::archive::message_from_bytes;
use crate::index::series;

/// A message from its headers: `(id, minute, subject, in_reply_to, references)`; patches get a
/// one-line diff so they read as patches.
fn mail(id: &str, minute: u32, subject: &str, irt: Option<&str>, refs: &[&str]) -> Message {
    let mut raw = format!(
        "From: Sender <s@example.org>\nMessage-ID: <{id}>\nDate: Mon, 05 Jan 2026 10:{minute:02}:00 +0000\nSubject: {subject}\n"
    );
    if let Some(irt) = irt {
        raw.push_str(&format!("In-Reply-To: <{irt}>\n"));
    }
    if !refs.is_empty() {
        let refs: Vec<String> = refs.iter().map(|r| format!("<{r}>")).collect();
        raw.push_str(&format!("References: {}\n", refs.join(" ")));
    }
    raw.push('\n');
    let is_patch = subject.starts_with("[PATCH") && !subject.contains(" 0/");
    if is_patch {
        raw.push_str("Text.\n---\n a.c | 1 +\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1,2 @@\n a\n+b\n");
    } else {
        raw.push_str("Words.\n");
    }
    message_from_bytes(raw.as_bytes())
}

/// Threads `messages` (already in date order) as the archive does; returns them with the tree.
fn thread(messages: Vec<Message>) -> (Vec<Message>, Threads) {
    let id = |i: u32| messages.get(i as usize).map_or("", |m| &*m.id);
    let by_id = crate::index::ids::IdIndex::build(messages.len(), id);
    let find = |key: &str| by_id.get(key, id);
    let answers = Answer::all(&messages, &find);
    let grouping = series::group(&messages, &by_id, &answers);
    let threads = Threads::build(&messages, &answers, &find, &grouping.series);
    (messages, threads)
}

/// The tree as `id@depth`, depth-first.
fn outline(messages: &[Message], threads: &Threads) -> Vec<String> {
    threads
        .order()
        .iter()
        .map(|&m| format!("{}@{}", messages[m as usize].id, threads.depth(m)))
        .collect()
}

#[test]
fn replies_sit_under_what_they_answer_and_patches_under_their_cover() {
    let (messages, threads) = thread(vec![
        mail("c", 0, "[PATCH 0/3] clk: things", None, &[]),
        mail("p1", 1, "[PATCH 1/3] clk: one", Some("c"), &["c"]),
        mail("p2", 2, "[PATCH 2/3] clk: two", Some("c"), &["c"]),
        mail("p3", 3, "[PATCH 3/3] clk: three", Some("c"), &["c"]),
        mail(
            "r3",
            10,
            "Re: [PATCH 3/3] clk: three",
            Some("p3"),
            &["c", "p3"],
        ),
        mail("rc", 11, "Re: [PATCH 0/3] clk: things", Some("c"), &["c"]),
        mail(
            "r1",
            12,
            "Re: [PATCH 1/3] clk: one",
            Some("p1"),
            &["c", "p1"],
        ),
        mail(
            "r1r",
            13,
            "Re: [PATCH 1/3] clk: one",
            Some("r1"),
            &["c", "p1", "r1"],
        ),
        mail(
            "r3b",
            14,
            "Re: [PATCH 3/3] clk: three",
            Some("p3"),
            &["c", "p3"],
        ),
        mail("q", 5, "how do I clk?", None, &[]),
    ]);
    assert_eq!(
        outline(&messages, &threads),
        [
            "c@0", "p1@1", "r1@2", "r1r@3", "p2@1", "p3@1", "r3@2", "r3b@2", "rc@1", "q@0"
        ]
    );
    assert_eq!(threads.parent(7), Some(6));
    assert_eq!(threads.root(7), 0);
    assert_eq!(threads.subtree(1), [1, 6, 7]);
    assert_eq!(threads.roots().collect::<Vec<_>>(), [0, 9]);
}

#[test]
fn a_deep_threaded_series_still_reads_as_patches_under_the_cover() {
    // git send-email --chain-reply-to: each patch answers the one before.
    let (messages, threads) = thread(vec![
        mail("c", 0, "[PATCH 0/3] x", None, &[]),
        mail("p1", 1, "[PATCH 1/3] one", Some("c"), &["c"]),
        mail("p2", 2, "[PATCH 2/3] two", Some("p1"), &["c", "p1"]),
        mail("p3", 3, "[PATCH 3/3] three", Some("p2"), &["c", "p1", "p2"]),
        mail(
            "r2",
            4,
            "Re: [PATCH 2/3] two",
            Some("p2"),
            &["c", "p1", "p2"],
        ),
    ]);
    assert_eq!(
        outline(&messages, &threads),
        ["c@0", "p1@1", "p2@1", "r2@2", "p3@1"]
    );
}

#[test]
fn patches_come_in_number_order_before_the_replies_to_the_cover() {
    // Stored out of order: 2/2 arrived before 1/2, a reply to the cover before both.
    let (messages, threads) = thread(vec![
        mail("c", 0, "[PATCH 0/2] x", None, &[]),
        mail("rc", 1, "Re: [PATCH 0/2] x", Some("c"), &["c"]),
        mail("p2", 2, "[PATCH 2/2] two", Some("c"), &["c"]),
        mail("p1", 3, "[PATCH 1/2] one", Some("c"), &["c"]),
    ]);
    assert_eq!(
        outline(&messages, &threads),
        ["c@0", "p1@1", "p2@1", "rc@1"]
    );
}

#[test]
fn a_reply_with_only_references_hangs_under_the_nearest_one_present() {
    let (messages, threads) = thread(vec![
        mail("a", 0, "question", None, &[]),
        mail("b", 1, "Re: question", Some("a"), &["a"]),
        // No In-Reply-To; its last reference is not in the archive, the one before is.
        mail("c", 2, "Re: question", None, &["a", "b", "gone"]),
    ]);
    assert_eq!(outline(&messages, &threads), ["a@0", "b@1", "c@2"]);
}

#[test]
fn a_missing_parent_is_bridged_through_another_messages_references() {
    let (messages, threads) = thread(vec![
        mail("a", 0, "question", None, &[]),
        // Answers "gone" (not archived) and records no more ancestry.
        mail("x", 1, "Re: other words", Some("gone"), &[]),
        // Another reply records that "gone" answered "a".
        mail("y", 2, "Re: question", Some("gone"), &["a", "gone"]),
    ]);
    assert_eq!(outline(&messages, &threads), ["a@0", "x@1", "y@1"]);
}

#[test]
fn orphan_replies_join_an_earlier_message_with_their_subject_and_version() {
    let (messages, threads) = thread(vec![
        // Answers a v4 that is not in the archive; the v4 below came later.
        mail(
            "early",
            0,
            "Re: [PATCH v4] clk: fix rate",
            Some("lost0"),
            &[],
        ),
        mail("v1", 1, "[PATCH] clk: fix rate", None, &[]),
        mail("v2", 2, "[PATCH v2] clk: fix rate", None, &[]),
        mail("n", 3, "unrelated", None, &[]),
        // Their parents are not in the archive.
        mail("o1", 4, "Re: [PATCH]  clk: Fix rate", Some("lost1"), &[]),
        mail("o2", 5, "Re: [PATCH v2] clk: fix rate", Some("lost2"), &[]),
        mail("o3", 6, "Re: an old thread", Some("lost3"), &[]),
        mail("o4", 7, "Re: an old thread", Some("lost4"), &[]),
        mail("o5", 8, "Re: [PATCH v3] clk: fix rate", Some("lost5"), &[]),
        mail("v4", 9, "[PATCH v4] clk: fix rate", None, &[]),
    ]);
    assert_eq!(
        outline(&messages, &threads),
        [
            "early@0", "v1@0", "o1@1", "v2@0", "o2@1", "n@0", "o3@0", "o4@1", "o5@0", "v4@0"
        ]
    );
}

#[test]
fn mail_claiming_to_answer_its_own_answer_still_threads() {
    let (messages, threads) = thread(vec![
        mail("a", 0, "one", Some("b"), &["b"]),
        mail("b", 1, "Re: one", Some("a"), &["a"]),
        mail("s", 2, "Re: self", Some("s"), &["s"]),
    ]);
    let mut seen: Vec<u32> = threads.order().to_vec();
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2], "every message once");
    assert_eq!(outline(&messages, &threads), ["a@0", "b@1", "s@0"]);
}

#[test]
fn a_hundred_thousand_deep_chain_costs_no_stack() {
    let count = 100_000u32;
    let messages: Vec<Message> = (0..count)
        .map(|i| {
            let mut m = mail(&format!("m{i}"), 0, "Re: chain", None, &[]);
            if i > 0 {
                m.set_in_reply_to(Some(&format!("m{}", i - 1)));
            }
            m
        })
        .collect();
    let (_, threads) = thread(messages);
    assert_eq!(threads.depth(count - 1), count - 1);
    assert_eq!(threads.root(count - 1), 0);
    assert_eq!(threads.subtree(0).len(), count as usize);
}
