use super::*;
use crate::app::testing::{message, threads};

#[path = "../../../tests/it/support/list_reference.rs"]
mod list_reference;
use crate::model::message::Message;

/// Two series and a lone patch:
/// 0 cover of series 7 (day 1), 1 patch 1/2, 2 patch 2/2, 3 a reply to 1/2 (day 5),
/// 4 a lone patch (day 3), 5 patch 1/1 of series 9 (day 2).
fn archive() -> (Vec<Message>, Vec<Option<u32>>) {
    let mut messages = vec![
        message(
            "c",
            "Daniel Vetter",
            1,
            "follow_pfn cleanup",
            Some((0, 2)),
            false,
        ),
        message(
            "p1",
            "Daniel Vetter",
            1,
            "drm/exynos: Stop using frame_vector",
            Some((1, 2)),
            false,
        ),
        message(
            "p2",
            "Daniel Vetter",
            1,
            "media: Mark follow_pfn usage as unsafe",
            Some((2, 2)),
            false,
        ),
        message(
            "r",
            "Jason Gunthorpe",
            5,
            "drm/exynos: Stop using frame_vector",
            None,
            true,
        ),
        message(
            "lone",
            "Paolo Bonzini",
            3,
            "KVM: VMX: Forbid MSR filters",
            None,
            false,
        ),
        message("s9", "Alice Abel", 2, "clk: fix rate", Some((1, 1)), false),
    ];
    messages[3].set_in_reply_to(Some("p1"));
    let series_of = vec![Some(7), Some(7), Some(7), Some(7), None, Some(9)];
    (messages, series_of)
}

fn sorted(sort: SortKey, reversed: bool) -> ListModel {
    let (messages, series_of) = archive();
    let threads = threads(&messages);
    let mut list = ListModel {
        sort,
        reversed,
        ..ListModel::default()
    };
    list.sort(Catalog {
        messages: &messages,
        series_of: &series_of,
        threads: &threads,
    });
    list.rebuild(None);
    list
}

fn model(sort: SortKey) -> ListModel {
    sorted(sort, false)
}

fn msgs(list: &ListModel) -> Vec<u32> {
    list.window(0, list.len()).iter().map(|r| r.msg).collect()
}

fn depths(list: &ListModel) -> Vec<u32> {
    list.window(0, list.len()).iter().map(|r| r.depth).collect()
}

#[test]
fn date_order_is_newest_thread_first_and_reads_a_thread_depth_first() {
    let list = model(SortKey::Date);
    // The lone patch (day 3) is newest, then series 9 (day 2), then series 7 from its cover,
    // the reply right under the patch it answers.
    assert_eq!(msgs(&list), [4, 5, 0, 1, 3, 2]);
    assert_eq!(list.window(0, list.len())[2].fold, Fold::Open);
    assert_eq!(depths(&list), [0, 0, 0, 1, 2, 1]);
}

#[test]
fn reversed_date_order_is_oldest_first_with_threads_still_read_top_down() {
    assert_eq!(msgs(&sorted(SortKey::Date, true)), [0, 1, 3, 2, 5, 4]);
}

#[test]
fn author_and_subject_orders_are_flat() {
    assert_eq!(msgs(&model(SortKey::Author)), [5, 0, 1, 2, 3, 4]);
    let subject = model(SortKey::Subject);
    assert_eq!(msgs(&subject), [5, 1, 3, 0, 4, 2]);
    assert!(
        subject
            .window(0, subject.len())
            .iter()
            .all(|r| r.depth == 0 && r.block.is_none() && r.tree == Tree::default())
    );
}

#[test]
fn series_order_groups_by_title() {
    // "clk: fix rate" < "follow_pfn cleanup" < lone "kvm: ..."
    assert_eq!(msgs(&model(SortKey::Series)), [5, 0, 1, 3, 2, 4]);
}

#[test]
fn tree_lines_say_which_rows_continue() {
    let list = model(SortKey::Date);
    let tree = |i: usize| list.window(0, list.len())[i].tree;
    // Cover: p1 (├─), the reply under p1 (│ └─), p2 (└─).
    assert!(!tree(3).last());
    assert!(tree(4).last() && tree(4).continues(1));
    assert!(tree(5).last() && !tree(5).continues(1));
}

#[test]
fn draw_tree_marks_open_ancestors() {
    let mut rows: Vec<Row> = [0, 1, 2, 3, 2, 1, 2]
        .iter()
        .map(|&depth| Row {
            msg: 0,
            depth,
            fold: Fold::None,
            block: None,
            context: false,
            tree: Tree::default(),
        })
        .collect();
    draw_tree(&mut rows, &mut Vec::new());
    let drawn: Vec<String> = rows
        .iter()
        .map(|r| {
            let mut s = String::new();
            for d in 1..r.depth {
                s.push_str(if r.tree.continues(d) { "│ " } else { "  " });
            }
            if r.depth > 0 {
                s.push_str(if r.tree.last() { "└─" } else { "├─" });
            }
            s
        })
        .collect();
    assert_eq!(drawn, ["", "├─", "│ ├─", "│ │ └─", "│ └─", "└─", "  └─"]);
}

#[test]
fn folding_keeps_the_head_and_counts_what_it_hides() {
    let mut list = model(SortKey::Date);
    list.move_to(3); // patch 1/2 inside series 7
    assert!(list.toggle_fold());
    list.rebuild(None);
    assert_eq!(msgs(&list), [4, 5, 0]);
    assert_eq!(
        list.window(0, list.len())[2].fold,
        Fold::Closed { hidden: 3 }
    );
    assert_eq!(list.selected(), Some(0), "the cursor lands on the head");
    assert!(list.toggle_fold());
    list.rebuild(None);
    assert_eq!(msgs(&list), [4, 5, 0, 1, 3, 2]);
}

#[test]
fn fold_all_then_unfold_one() {
    let mut list = model(SortKey::Date);
    list.toggle_fold_all();
    list.rebuild(None);
    assert_eq!(msgs(&list), [4, 5, 0]);
    assert_eq!(
        list.window(0, list.len())[1].fold,
        Fold::None,
        "a one-message thread has nothing to fold"
    );
    list.move_to(2);
    list.toggle_fold();
    list.rebuild(None);
    assert_eq!(msgs(&list), [4, 5, 0, 1, 3, 2]);
}

#[test]
fn a_filter_shows_matches_under_their_thread_context() {
    let mut list = model(SortKey::Date);
    list.move_to(5); // message 2
    list.rebuild(Some(&[2, 3, 4]));
    // The reply brings 1/2 and the cover above it; 2/2 hangs under the cover.
    assert_eq!(msgs(&list), [4, 0, 1, 3, 2]);
    let context: Vec<bool> = list
        .window(0, list.len())
        .iter()
        .map(|r| r.context)
        .collect();
    assert_eq!(context, [false, true, true, false, false]);
    assert_eq!(
        list.window(0, list.len())[1].fold,
        Fold::Open,
        "the thread's head heads it"
    );
    assert_eq!(depths(&list), [0, 0, 1, 2, 1]);
    assert_eq!(list.selected(), Some(2));
    list.rebuild(Some(&[4]));
    assert_eq!(list.selected(), Some(4));
    list.rebuild(Some(&[]));
    assert_eq!((list.len(), list.selected()), (0, None));
    list.move_by(1);
    list.scroll_to_cursor(10);
    assert_eq!((list.cursor, list.offset), (0, 0));
}

#[test]
fn ranked_rows_follow_the_given_order() {
    let mut list = model(SortKey::Date);
    list.show_ranked(&[3, 0]);
    assert_eq!(msgs(&list), [3, 0]);
}

#[test]
fn scrolling_follows_the_cursor() {
    let mut list = model(SortKey::Date);
    list.move_by(5);
    list.scroll_to_cursor(2);
    assert_eq!((list.cursor, list.offset), (5, 4));
    list.move_by(-100);
    list.scroll_to_cursor(2);
    assert_eq!((list.cursor, list.offset), (0, 0));
}

/// A list of `threads` random threads (one to eight messages, depths stepping by at most one
/// down), in order, without an archive: message `i` sits at place `i`.
fn random_threads(threads: usize, rnd: &mut impl FnMut() -> u64) -> ListModel {
    let depths: Vec<Vec<u32>> = (0..threads)
        .map(|_| {
            let size = 1 + rnd() % 8;
            let mut depths = vec![0];
            for _ in 1..size {
                let deepest = depths.last().map_or(0, |d| d + 1);
                depths.push(1 + (rnd() % u64::from(deepest)) as u32);
            }
            depths
        })
        .collect();
    threads_of_depths(&depths)
}

/// A list of threads given as the depths of their messages, depth-first (each thread starts
/// at 0 and steps down by at most one).
fn threads_of_depths(threads: &[Vec<u32>]) -> ListModel {
    let mut order = Order::default();
    for thread in threads {
        let head = order.msgs.len() as u32;
        let mut stack: Vec<u32> = Vec::new();
        for &depth in thread {
            let at = order.msgs.len() as u32;
            stack.truncate(depth as usize);
            order.msgs.push(at);
            order.blocks.push(head);
            order.depths.push(depth);
            order.parents.push(stack.last().copied().unwrap_or(NO_SLOT));
            stack.push(at);
        }
    }
    order.slot_of = order.msgs.clone();
    order.link();
    ListModel {
        order,
        ..ListModel::default()
    }
}

/// What the rows of `list` filtered to `matches` are, straight from their definitions.
fn reference_rows(list: &ListModel, matches: &[u32]) -> Vec<Row> {
    let order = &list.order;
    let n = order.len();
    let matched: Vec<bool> = (0..n as u32).map(|m| matches.contains(&m)).collect();
    // A place is shown when it matched or a match is below it in its thread.
    let mut wanted = matched.clone();
    for (at, _) in matched.iter().enumerate().filter(|(_, m)| **m) {
        let mut p = order.parents[at];
        while p != NO_SLOT {
            wanted[p as usize] = true;
            p = order.parents[p as usize];
        }
    }
    let shown: Vec<usize> = (0..n).filter(|&at| wanted[at]).collect();
    let mut rows = Vec::new();
    for (i, &at) in shown.iter().enumerate() {
        // In the flat orders no row is in a block, and none heads one.
        let block = order.blocks[at];
        let flat = block == NO_BLOCK;
        let first_of_block = flat || i == 0 || order.blocks[shown[i - 1]] != block;
        let others = if flat {
            0
        } else {
            shown.iter().filter(|&&s| order.blocks[s] == block).count() - 1
        };
        let folded = list.fold_all != list.toggled.contains(&block);
        if !first_of_block && folded {
            continue;
        }
        let fold = match (first_of_block, others, folded) {
            (true, 0, _) | (false, _, _) => Fold::None,
            (true, hidden, true) => Fold::Closed {
                hidden: hidden as u32,
            },
            (true, _, false) => Fold::Open,
        };
        rows.push(Row {
            msg: order.msgs[at],
            depth: order.depths[at],
            fold,
            block: (!flat).then_some(block),
            context: !matched[at],
            tree: Tree::default(),
        });
    }
    list_reference::define_tree_lines(&mut rows);
    rows
}

#[test]
fn filtered_rows_equal_their_definition() {
    let mut rnd = crate::xorshift(0x2545_F491_4F6C_DD1D);
    for round in 0..40u64 {
        let mut list = random_threads(150, &mut rnd);
        let n = list.order.len() as u64;
        list.fold_all = round % 4 == 1;
        for _ in 0..round % 3 {
            list.toggled.insert(list.order.blocks[(rnd() % n) as usize]);
        }
        // From one match in a thousand to all of them.
        let density = [1, 2, 5, 40, 1000][(round % 5) as usize];
        let matches: Vec<u32> = (0..n as u32).filter(|_| rnd() % density == 0).collect();
        list.rebuild(Some(&matches));
        assert_eq!(
            list.window(0, list.len()),
            reference_rows(&list, &matches),
            "round {round}"
        );
        let all: Vec<u32> = (0..n as u32).collect();
        let unfiltered = list.window(0, list.len());
        list.rebuild(None);
        assert_eq!(
            list.window(0, list.len()),
            reference_rows(&list, &all),
            "round {round}, no filter"
        );
        assert!(unfiltered.len() <= list.len());
    }
}

#[test]
fn tree_lines_of_threads_deeper_than_64() {
    // A chain 100 deep with answers branching off at 90, 70, 64, 63 and 2.
    let mut deep: Vec<u32> = (0..100).collect();
    deep.extend([90, 91, 70, 64, 65, 66, 63, 64, 2, 3]);
    let mut list = threads_of_depths(&[vec![0, 1, 1], deep, vec![0, 1, 2, 1]]);
    let n = list.order.len() as u32;
    for keep in [1, 2, 3, 7] {
        let matches: Vec<u32> = (0..n).filter(|m| m % keep == 0).collect();
        list.rebuild(Some(&matches));
        assert_eq!(
            list.window(0, list.len()),
            reference_rows(&list, &matches),
            "every {keep}th"
        );
    }
}

#[test]
fn the_cursor_follows_its_message_through_rebuilds() {
    let mut rnd = crate::xorshift(7);
    let mut list = random_threads(200, &mut rnd);
    list.rebuild(None);
    let n = list.order.len() as u32;
    for _ in 0..50 {
        list.move_to((rnd() % u64::from(n)) as usize);
        let before = list.selected().unwrap();
        let matches: Vec<u32> = (0..n).filter(|&m| m == before || rnd() % 3 == 0).collect();
        list.rebuild(Some(&matches));
        assert_eq!(list.selected(), Some(before));
        list.show_ranked(&matches);
        assert_eq!(list.selected(), Some(before));
        list.rebuild(None);
        assert_eq!(list.selected(), Some(before));
    }
}

/// Reads `list` every way the reader does (a screen's window at every offset, one row, the
/// moves' rows forward and back from every row, a message's row, a thread's first row) and
/// checks each against `full`, its rows built all at once.
fn assert_reads_as(list: &ListModel, full: &[Row], what: &str) {
    assert_eq!(list.len(), full.len(), "{what}: length");
    for from in 0..=full.len() + 1 {
        for count in [1, 2, 5, 40] {
            let end = (from + count).min(full.len());
            let want = full.get(from..end).unwrap_or_default();
            assert_eq!(
                list.window(from, count),
                want,
                "{what}: rows {from}+{count}"
            );
        }
        assert_eq!(
            list.row(from),
            full.get(from).copied(),
            "{what}: row {from}"
        );
        list_reference::assert_briefs_around(list, full, from, what);
    }
    for msg in 0..list.order.len() as u32 {
        let at = full.iter().position(|r| r.msg == msg);
        assert_eq!(list.position(msg), at, "{what}: message {msg}");
        let block = list.block_of(msg);
        if let Some(block) = block {
            let start = full.iter().position(|r| r.block == Some(block));
            assert_eq!(list.block_start(block), start, "{what}: block {block}");
        }
    }
    assert_eq!(
        list.first_match(),
        full.iter().position(|r| !r.context),
        "{what}: first match"
    );
}

#[test]
fn rows_read_off_the_marks_are_the_rows_built_at_once() {
    let mut rnd = crate::xorshift(0x9E37_79B9_7F4A_7C15);
    for round in 0..24u64 {
        let mut list = random_threads(40, &mut rnd);
        if round % 6 == 5 {
            // A flat order: no blocks, every depth 0.
            let n = list.order.len();
            list.order.blocks = vec![NO_BLOCK; n];
            list.order.depths = vec![0; n];
            list.order.parents = vec![NO_SLOT; n];
            list.order.link();
        }
        let n = list.order.len() as u32;
        let density = [1, 2, 3, 10, 50][(round % 5) as usize];
        let matches: Vec<u32> = (0..n).filter(|_| rnd() % density == 0).collect();
        list.rebuild(Some(&matches));
        let full = reference_rows(&list, &matches);
        assert_reads_as(&list, &full, &format!("round {round}"));
        // The same marks, every row built at once as a folded list builds them.
        let Rows::Marked(marked) = &list.rows else {
            panic!("an unfolded list reads its rows off the marks");
        };
        let mut built = Vec::new();
        list.fill_folding(&marked.shown, &marked.context, &mut built, None, None);
        assert_eq!(built, full, "round {round}: built at once");
        list.rebuild(None);
        let all: Vec<u32> = (0..n).collect();
        assert_reads_as(
            &list,
            &reference_rows(&list, &all),
            &format!("round {round}, all"),
        );
    }
}

#[test]
fn rows_of_threads_deeper_than_64_read_off_the_marks() {
    let mut deep: Vec<u32> = (0..100).collect();
    deep.extend([90, 91, 70, 64, 65, 66, 63, 64, 2, 3, 1]);
    let mut list = threads_of_depths(&[vec![0, 1, 1], deep, vec![0, 1, 2, 1]]);
    let n = list.order.len() as u32;
    for keep in [1, 2, 5] {
        let matches: Vec<u32> = (0..n).filter(|m| m % keep == 0).collect();
        list.rebuild(Some(&matches));
        assert_reads_as(
            &list,
            &reference_rows(&list, &matches),
            &format!("every {keep}th"),
        );
    }
}

#[test]
fn folding_builds_the_rows_and_unfolding_reads_them_off_the_marks_again() {
    let mut rnd = crate::xorshift(11);
    let mut list = random_threads(30, &mut rnd);
    let n = list.order.len() as u32;
    let matches: Vec<u32> = (0..n).filter(|_| rnd() % 3 == 0).collect();
    list.rebuild(Some(&matches));
    let unfolded = reference_rows(&list, &matches);
    // Fold the thread of a row in the middle: the cursor lands on its head.
    let at = unfolded.len() / 2;
    list.move_to(at);
    let head = list.block_start(unfolded[at].block.unwrap()).unwrap();
    assert!(list.toggle_fold());
    list.rebuild(Some(&matches));
    assert!(matches!(list.rows, Rows::Built(_)));
    assert_eq!(list.window(0, list.len()), reference_rows(&list, &matches));
    assert_eq!(list.selected(), Some(unfolded[head].msg));
    assert!(list.toggle_fold());
    list.rebuild(Some(&matches));
    assert!(matches!(list.rows, Rows::Marked(_)));
    assert_reads_as(&list, &unfolded, "unfolded again");
    assert_eq!(list.selected(), Some(unfolded[head].msg));
}

#[test]
fn ranked_rows_are_flat_rows_in_the_given_order() {
    let mut rnd = crate::xorshift(23);
    let mut list = random_threads(30, &mut rnd);
    let n = list.order.len() as u32;
    let mut ranked: Vec<u32> = (0..n).filter(|_| rnd() % 3 != 0).collect();
    // Any order: a few swaps.
    for i in 0..ranked.len() {
        let j = (rnd() % ranked.len() as u64) as usize;
        ranked.swap(i, j);
    }
    list.show_ranked(&ranked);
    let full: Vec<Row> = ranked.iter().map(|&msg| Row::ranked(msg)).collect();
    assert_reads_as(&list, &full, "ranked");
    assert!(!list.toggle_fold(), "a ranked row is in no thread to fold");
}

#[test]
fn scattered_matches_placed_in_shares_land_on_their_places() {
    // Enough matches to be placed in several shares.
    let mut rnd = crate::xorshift(31);
    let list = random_threads(60_000, &mut rnd);
    let n = list.order.len();
    let matches: Vec<u32> = (0..n as u32).filter(|_| rnd() % 20 == 0).collect();
    assert!(matches.len() > 3 * SHARE);
    let (shown, _) = list.order.visible(Some(&matches));
    let mut want = vec![0u64; n.div_ceil(64)];
    for &m in &matches {
        bits::insert(&mut want, list.order.slot_of[m as usize] as usize);
    }
    assert_eq!(shown, want);
}

#[test]
fn the_walk_skips_only_places_that_bring_no_context() {
    let mut rnd = crate::xorshift(41);
    for round in 0..30u64 {
        let list = random_threads(80, &mut rnd);
        let n = list.order.len() as u32;
        let density = [1, 2, 3, 7, 30][(round % 5) as usize];
        let matches: Vec<u32> = (0..n).filter(|_| rnd() % density == 0).collect();
        let mut unlinked = list.order.clone();
        unlinked.starts.clear();
        unlinked.after_parent.clear();
        assert_eq!(
            list.order.visible(Some(&matches)),
            unlinked.visible(Some(&matches)),
            "round {round}"
        );
    }
}
