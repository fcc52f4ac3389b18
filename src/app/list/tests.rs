use super::*;
use crate::app::testing::message;
use crate::model::message::Message;

/// Two series and a lone patch:
/// 0 cover of series 7 (day 1), 1 patch 1/2, 2 patch 2/2, 3 a reply to 1/2 (day 5),
/// 4 a lone patch (day 3), 5 patch 1/1 of series 9 (day 2).
fn archive() -> (Vec<Message>, Vec<Option<u32>>) {
    let messages = vec![
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
    let series_of = vec![Some(7), Some(7), Some(7), Some(7), None, Some(9)];
    (messages, series_of)
}

fn model(sort: SortKey) -> ListModel {
    let (messages, series_of) = archive();
    let mut list = ListModel {
        sort,
        ..ListModel::default()
    };
    list.sort(Catalog {
        messages: &messages,
        series_of: &series_of,
    });
    list.rebuild(None);
    list
}

fn msgs(list: &ListModel) -> Vec<u32> {
    list.rows.iter().map(|r| r.msg).collect()
}

#[test]
fn date_order_is_newest_block_first_and_reads_a_series_top_down() {
    let list = model(SortKey::Date);
    // The lone patch (day 3) is newest, then series 9 (day 2), then series 7 headed by its cover.
    assert_eq!(msgs(&list), [4, 5, 0, 1, 2, 3]);
    assert_eq!(list.rows[2].fold, Fold::Open);
    assert_eq!(
        list.rows.iter().map(|r| r.depth).collect::<Vec<_>>(),
        [0, 0, 0, 1, 1, 1]
    );
}

#[test]
fn reversed_date_order_is_oldest_first_with_series_still_in_reading_order() {
    let (messages, series_of) = archive();
    let mut list = ListModel {
        reversed: true,
        ..ListModel::default()
    };
    list.sort(Catalog {
        messages: &messages,
        series_of: &series_of,
    });
    list.rebuild(None);
    assert_eq!(msgs(&list), [0, 1, 2, 3, 5, 4]);
}

#[test]
fn author_and_subject_orders_are_flat() {
    assert_eq!(msgs(&model(SortKey::Author)), [5, 0, 1, 2, 3, 4]);
    let subject = model(SortKey::Subject);
    assert_eq!(msgs(&subject), [5, 1, 3, 0, 4, 2]);
    assert!(
        subject
            .rows
            .iter()
            .all(|r| r.depth == 0 && r.block.is_none())
    );
}

#[test]
fn series_order_groups_by_title() {
    // "clk: fix rate" < "follow_pfn cleanup" < lone "kvm: ..."
    assert_eq!(msgs(&model(SortKey::Series)), [5, 0, 1, 2, 3, 4]);
}

#[test]
fn folding_keeps_the_head_and_counts_what_it_hides() {
    let mut list = model(SortKey::Date);
    list.move_to(3); // patch 1/2 inside series 7
    assert!(list.toggle_fold());
    list.rebuild(None);
    assert_eq!(msgs(&list), [4, 5, 0]);
    assert_eq!(list.rows[2].fold, Fold::Closed { hidden: 3 });
    assert_eq!(list.selected(), Some(0), "the cursor lands on the head");
    assert!(list.toggle_fold());
    list.rebuild(None);
    assert_eq!(msgs(&list), [4, 5, 0, 1, 2, 3]);
}

#[test]
fn fold_all_then_unfold_one() {
    let mut list = model(SortKey::Date);
    list.toggle_fold_all();
    list.rebuild(None);
    assert_eq!(msgs(&list), [4, 5, 0]);
    assert_eq!(
        list.rows[1].fold,
        Fold::None,
        "a one-message series has nothing to fold"
    );
    list.move_to(2);
    list.toggle_fold();
    list.rebuild(None);
    assert_eq!(msgs(&list), [4, 5, 0, 1, 2, 3]);
}

#[test]
fn filtering_keeps_the_selected_message_and_heads_partial_blocks() {
    let mut list = model(SortKey::Date);
    list.move_to(4); // message 2
    list.rebuild(Some(&|m| m == 2 || m == 3 || m == 4));
    assert_eq!(msgs(&list), [4, 2, 3]);
    assert_eq!(
        list.rows[1].fold,
        Fold::Open,
        "first visible member heads the block"
    );
    assert_eq!(list.selected(), Some(2));
    list.rebuild(Some(&|m| m == 4));
    assert_eq!(list.selected(), Some(4));
    list.rebuild(Some(&|_| false));
    assert_eq!((list.rows.len(), list.selected()), (0, None));
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
