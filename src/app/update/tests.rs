//! `update` driven by key sequences over hand-built messages. Effects are answered in the test
//! by small stand-ins (a substring filter, empty bodies), since what is tested here is how the
//! state follows the user, not loading or filtering.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::*;
use crate::app::detail::doc::{HeaderSummary, ParentLink, build};
use crate::app::testing::message;
use crate::app::{ArchiveView, FilterOutcome, Loaded, Settings, keyseq};
use crate::highlight::HighlightCache;
use crate::model::diff::FileStat;
use crate::model::message::Message;
use crate::model::patch::PatchBody;

struct TestArchive {
    messages: Vec<Message>,
    series: Vec<Option<u32>>,
    threads: crate::index::thread::Threads,
}

impl ArchiveView for TestArchive {
    fn messages(&self) -> &[Message] {
        &self.messages
    }
    fn series_of(&self, msg: u32) -> Option<u32> {
        self.series.get(msg as usize).copied().flatten()
    }
    fn series_count(&self) -> usize {
        1
    }
    fn threads(&self) -> &crate::index::thread::Threads {
        &self.threads
    }
}

/// Twelve messages: a series of a cover and ten patches (two files each) and a lone patch.
fn archive() -> Arc<TestArchive> {
    let mut messages = vec![message(
        "cover",
        "Daniel Vetter",
        1,
        "follow_pfn cleanup",
        Some((0, 10)),
        false,
    )];
    let mut series = vec![Some(1)];
    for n in 1..=10 {
        let mut m = message(
            &format!("p{n}"),
            "Daniel Vetter",
            1,
            &format!("mm: step {n} of pfn work"),
            Some((n, 10)),
            false,
        );
        m.summary.files = vec![FileStat::counted("mm/gup.c", 1, 1, false); 2].into();
        messages.push(m);
        series.push(Some(1));
    }
    messages.push(message(
        "lone",
        "Paolo Bonzini",
        0,
        "KVM: VMX: Forbid MSR filters",
        None,
        false,
    ));
    series.push(None);
    Arc::new(TestArchive {
        threads: crate::app::testing::threads(&messages),
        messages,
        series,
    })
}

/// A body with two files of 100 added lines each.
fn body() -> PatchBody {
    let mut text = String::from("Text.\n---\n");
    for f in 0..2 {
        text.push_str(&format!(
            "diff --git a/f{f}.c b/f{f}.c\n--- a/f{f}.c\n+++ b/f{f}.c\n@@ -0,0 +1,100 @@\n"
        ));
        for i in 0..100 {
            text.push_str(&format!("+line {i}\n"));
        }
    }
    crate::model::patch::parse(&text)
}

/// Answers effects as the event loop would, synchronously.
fn run(app: &mut App, archive: &Arc<TestArchive>, effects: Vec<Effect>) {
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        let event = match effect {
            Effect::LoadDetail { request, msg, .. } => {
                let body = Arc::new(body());
                let m = &archive.messages[msg as usize];
                let doc = build(
                    msg,
                    &HeaderSummary {
                        message: m,
                        date: None,
                        series: None,
                        given: Vec::new(),
                        parent: archive.threads.parent(msg).map(|p| ParentLink {
                            msg: Some(p),
                            text: archive.messages[p as usize].subject.raw().to_string(),
                        }),
                        to: String::new(),
                        cc: String::new(),
                    },
                    "",
                    body.clone(),
                    &[],
                );
                Event::DetailReady {
                    request,
                    doc: Arc::new(doc),
                }
            }
            Effect::Highlight {
                msg,
                body,
                syntax,
                lines,
            } => {
                let lines = HighlightCache::new(1).highlight(msg, &body, syntax, lines);
                Event::Highlighted { msg, lines }
            }
            Effect::Filter {
                generation, query, ..
            } => Event::Filtered {
                generation,
                outcome: fake_filter(archive, &query),
            },
            // Acting on messages is tested in app::act's tests.
            Effect::Act(_) | Effect::Suspend => continue,
        };
        queue.extend(update(app, event));
    }
}

/// Every term a substring of the title; `(` is a syntax error.
fn fake_filter(archive: &TestArchive, query: &str) -> Result<FilterOutcome, String> {
    if query.contains('(') {
        return Err("unbalanced (".into());
    }
    let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let matched: Vec<u32> = (0..archive.messages.len() as u32)
        .filter(|&i| {
            terms.iter().all(|t| {
                archive.messages[i as usize]
                    .subject
                    .title()
                    .to_lowercase()
                    .contains(t)
            })
        })
        .collect();
    let first = terms.first().cloned().unwrap_or_default();
    let ranked = matched.iter().rev().copied().collect();
    let titles: Vec<String> = archive
        .messages
        .iter()
        .map(|m| m.subject.title().to_lowercase())
        .collect();
    let marks = Arc::new(move |msg: u32| {
        let title = &titles[msg as usize];
        title
            .find(&first)
            .map(|at| (at..at + first.len()).collect())
            .unwrap_or_default()
    });
    Ok(FilterOutcome {
        matched,
        ranked,
        marks,
    })
}

fn loaded_app() -> (App, Arc<TestArchive>) {
    loaded_with(archive())
}

fn loaded_with(archive: Arc<TestArchive>) -> (App, Arc<TestArchive>) {
    let mut app = App::new(
        Settings::default(),
        Rect::new(0, 0, 100, 30),
        "test.mbox".into(),
    );
    let view: Arc<dyn ArchiveView> = archive.clone();
    let effects = update(
        &mut app,
        Event::Loaded(Ok(Loaded {
            archive: view,
            label: "test.mbox".into(),
            warnings: vec![],
            order: None,
        })),
    );
    run(&mut app, &archive, effects);
    (app, archive)
}

fn keys(app: &mut App, archive: &Arc<TestArchive>, sequence: &str) {
    for key in keyseq::parse(sequence).unwrap() {
        let effects = update(app, Event::Key(key));
        run(app, archive, effects);
    }
}

fn selected_id(app: &App) -> String {
    app.list
        .selected()
        .map(|m| app.messages()[m as usize].id.to_string())
        .unwrap_or_default()
}

#[test]
fn loading_shows_the_newest_block_and_its_detail() {
    let (app, _) = loaded_app();
    assert_eq!(app.load.label, "test.mbox");
    assert_eq!(
        selected_id(&app),
        "cover",
        "the series (day 1) is newer than the lone patch"
    );
    assert_eq!(app.list.len(), 12);
    assert_eq!(app.detail.doc().map(|d| d.msg), Some(0));
}

#[test]
fn moving_the_cursor_follows_with_the_detail() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "j j");
    assert_eq!(selected_id(&app), "p2");
    assert_eq!(app.detail.doc().map(|d| d.msg), Some(2));
    keys(&mut app, &archive, "G");
    assert_eq!(selected_id(&app), "lone");
    keys(&mut app, &archive, "g <down> <pgdn>");
    assert!(app.list.cursor > 1);
}

#[test]
fn the_filter_bar_narrows_the_list_and_keeps_it_on_enter() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "/step<space>1");
    assert!(app.filter.editing);
    // "step 1" and "step 10", under their cover letter, which is shown as their context.
    assert_eq!(app.filter.matched(), Some(2));
    let rows = |app: &App| {
        app.list
            .window(0, app.list.len())
            .iter()
            .map(|r| (r.msg, r.context))
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&app), [(0, true), (1, false), (10, false)]);
    assert_eq!(selected_id(&app), "p1", "a match, not the context");
    keys(&mut app, &archive, "<down>");
    assert_eq!(selected_id(&app), "p10", "Down moves the list while typing");
    keys(&mut app, &archive, "<enter>");
    assert!(!app.filter.editing);
    assert_eq!(app.focus, Pane::List);
    assert_eq!(app.list.len(), 3);
    keys(&mut app, &archive, "<c-s>");
    assert_eq!(
        app.list
            .window(0, app.list.len())
            .iter()
            .map(|r| r.msg)
            .collect::<Vec<_>>(),
        [10, 1],
        "ranked by score (here: last first)"
    );
    keys(&mut app, &archive, "s");
    assert_eq!(
        rows(&app),
        [(0, true), (1, false), (10, false)],
        "s goes back to the sort key's order"
    );
    assert_eq!(app.list.sort.name(), "date");
    keys(&mut app, &archive, "s");
    assert_eq!(app.list.sort.name(), "author");
    assert_eq!(
        rows(&app),
        [(1, false), (10, false)],
        "a flat order shows no context"
    );
    keys(&mut app, &archive, "<esc>");
    assert_eq!(app.list.len(), 12);
    assert_eq!(app.filter.prompt.text, "");
}

#[test]
fn a_key_that_keeps_the_matches_keeps_the_rows_a_rebuild_would_give() {
    let (mut app, archive) = loaded_app();
    let rebuilt = |app: &App| {
        let mut list = app.list.clone();
        let matched = app.filter.applied.as_ref().map(|(_, o)| o.matched.clone());
        list.rebuild(matched.as_deref());
        list.window(0, list.len())
    };
    keys(&mut app, &archive, "/step<enter>");
    let before = app.list.window(0, app.list.len());
    // Folded, and in another order, since the last matches came.
    keys(&mut app, &archive, "f s");
    assert_ne!(app.list.window(0, app.list.len()), before);
    keys(&mut app, &archive, "/<space>");
    assert_eq!(
        app.filter.applied.as_ref().map(|(q, _)| q.as_str()),
        Some("step ")
    );
    assert_eq!(
        app.list.window(0, app.list.len()),
        rebuilt(&app),
        "same matches in author order"
    );
    keys(&mut app, &archive, "<enter> s s s");
    assert_eq!(app.list.sort.name(), "date");
    keys(&mut app, &archive, "/<space>");
    assert_eq!(
        app.list.window(0, app.list.len()),
        rebuilt(&app),
        "same matches, folded, in date order"
    );
    keys(&mut app, &archive, "1");
    assert_eq!(app.filter.matched(), Some(2));
    assert_eq!(
        app.list.window(0, app.list.len()),
        rebuilt(&app),
        "fewer matches"
    );
}

#[test]
fn esc_in_the_filter_bar_clears_it() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "/kvm<esc>");
    assert!(!app.filter.editing);
    assert_eq!(app.list.len(), 12);
}

#[test]
fn a_query_error_is_shown_and_the_rows_stay() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "/step<space>3");
    keys(&mut app, &archive, "(");
    assert_eq!(app.filter.error.as_deref(), Some("unbalanced ("));
    assert_eq!(app.list.len(), 2, "step 3 under its cover");
    keys(&mut app, &archive, "<backspace>");
    assert_eq!(app.filter.error, None);
}

#[test]
fn stale_filter_results_are_dropped() {
    let (mut app, archive) = loaded_app();
    let mut pending = Vec::new();
    for key in keyseq::parse("/step").unwrap() {
        pending.extend(update(&mut app, Event::Key(key)));
    }
    let filters: Vec<(u64, String)> = pending
        .into_iter()
        .filter_map(|e| match e {
            Effect::Filter {
                generation, query, ..
            } => Some((generation, query)),
            _ => None,
        })
        .collect();
    assert_eq!(filters.len(), 4);
    // The first keystroke's result ("s") arrives last: it must not replace "step".
    let (last_generation, last_query) = filters[3].clone();
    update(
        &mut app,
        Event::Filtered {
            generation: last_generation,
            outcome: fake_filter(&archive, &last_query),
        },
    );
    update(
        &mut app,
        Event::Filtered {
            generation: filters[0].0,
            outcome: fake_filter(&archive, "s"),
        },
    );
    assert_eq!(app.filter.matched(), Some(10));
    assert_eq!(
        app.filter.applied.as_ref().map(|(q, _)| q.as_str()),
        Some("step")
    );
}

#[test]
fn stale_details_are_dropped() {
    let (mut app, archive) = loaded_app();
    let first = update(&mut app, Event::Key(keyseq::parse("j").unwrap()[0]));
    let second = update(&mut app, Event::Key(keyseq::parse("j").unwrap()[0]));
    run(&mut app, &archive, second);
    run(&mut app, &archive, first);
    assert_eq!(app.detail.doc().map(|d| d.msg), Some(2));
}

#[test]
fn tab_cycles_panes_and_diff_keys_jump() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "j <tab>");
    assert_eq!(app.focus, Pane::Detail);
    let files = app.detail.doc().unwrap().file_starts.clone();
    keys(&mut app, &archive, "]");
    assert_eq!(app.detail.top, files[0]);
    keys(&mut app, &archive, "] [");
    assert_eq!(app.detail.top, files[0]);
    keys(&mut app, &archive, "<tab>");
    assert_eq!(app.focus, Pane::Diffstat);
    keys(&mut app, &archive, "j <enter>");
    assert_eq!(
        app.detail.top,
        files[1].min(app.detail.len() - height(&app, Pane::Detail))
    );
    keys(&mut app, &archive, "<tab>");
    assert_eq!(app.focus, Pane::List);
    keys(&mut app, &archive, "<backtab>");
    assert_eq!(app.focus, Pane::Diffstat);
    keys(&mut app, &archive, "<esc>");
    assert_eq!(app.focus, Pane::List, "Esc goes back to the list");
}

#[test]
fn detail_search_jumps_between_matches() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "<enter>");
    assert_eq!(app.focus, Pane::Detail);
    keys(&mut app, &archive, "/line<space>50<enter>");
    assert_eq!(app.detail.search.matches.len(), 2);
    let first = app.detail.search.matches[0].line;
    assert!(app.detail.top <= first && first < app.detail.top + height(&app, Pane::Detail));
    keys(&mut app, &archive, "n");
    assert_eq!(app.detail.search.current, Some(1));
    keys(&mut app, &archive, "N");
    assert_eq!(app.detail.search.current, Some(0));
}

#[test]
fn visible_diff_lines_get_colours() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "<tab> ]");
    let shown = app.detail.shown.as_ref().unwrap();
    let first_added = (0..shown.doc.len())
        .find(|&i| {
            shown.doc.lines[i].kind
                == crate::app::detail::doc::LineKind::Diff(crate::model::diff::DiffLineKind::Added)
        })
        .and_then(|i| shown.doc.diff_line(i))
        .unwrap();
    assert!(shown.colors.contains_key(&first_added));
}

#[test]
fn help_opens_scrolls_and_closes() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "? j j");
    assert_eq!(app.help, Some(2));
    keys(&mut app, &archive, "q");
    assert_eq!(app.help, None);
    assert!(!app.quit, "q closes the help first");
    keys(&mut app, &archive, "q");
    assert!(app.quit);
}

#[test]
fn folding_and_sorting() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "j f");
    assert_eq!(app.list.len(), 2);
    assert_eq!(selected_id(&app), "cover");
    keys(&mut app, &archive, "s");
    assert_eq!(app.list.sort.name(), "author");
    assert_eq!(app.note.as_deref(), Some("sorted by author"));
    assert_eq!(app.list.len(), 12, "author order is flat");
}

#[test]
fn zoom_follows_focus() {
    let (mut app, archive) = loaded_app();
    keys(&mut app, &archive, "z");
    assert_eq!(app.zoom, Some(Pane::List));
    keys(&mut app, &archive, "<tab>");
    assert_eq!(app.zoom, Some(Pane::Detail));
    keys(&mut app, &archive, "z");
    assert_eq!(app.zoom, None);
}

#[test]
fn mouse_clicks_select_and_the_wheel_scrolls_the_pane_below() {
    let (mut app, archive) = loaded_app();
    let areas = app.areas();
    let click = |column, row| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    let effects = update(&mut app, Event::Mouse(click(5, areas.list.y + 3)));
    run(&mut app, &archive, effects);
    assert_eq!(selected_id(&app), "p3");
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 5,
        row: areas.detail.y + 3,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut app, Event::Mouse(wheel));
    assert_eq!(app.detail.top, 3);
    assert_eq!(app.focus, Pane::List, "the wheel does not move the focus");
}

#[test]
fn tiny_and_zero_sizes_survive_every_key() {
    let (mut app, archive) = loaded_app();
    for (width, height) in [(0, 0), (1, 1), (40, 10), (10, 3)] {
        update(&mut app, Event::Resize { width, height });
        keys(
            &mut app,
            &archive,
            "j G g <c-d> <pgdn> <tab> ] } <pgdn> <tab> <enter> <tab> z z ? ? /x<enter> <esc>",
        );
    }
}

#[test]
fn keys_before_loading_do_not_fail() {
    let archive = archive();
    let mut app = App::new(Settings::default(), Rect::new(0, 0, 80, 24), "x".into());
    keys(&mut app, &archive, "j k G /pfn");
    assert!(app.filter.editing);
    let view: Arc<dyn ArchiveView> = archive.clone();
    let effects = update(
        &mut app,
        Event::Loaded(Ok(Loaded {
            archive: view,
            label: "test.mbox".into(),
            warnings: vec![],
            order: None,
        })),
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Filter { query, .. } if query == "pfn"))
    );
}

/// A lone patch (day 0), then a cover with two patches (day 1), a reply to 1/2 (day 2) with its
/// own reply (day 3), and a reply to 2/2 (day 4). Newest thread first, the list reads:
/// cover, 1/2, reply, its reply, 2/2, reply, lone.
fn thread_archive() -> Arc<TestArchive> {
    let author = "Daniel Vetter";
    let mut messages = vec![
        message("lone", "Paolo Bonzini", 0, "KVM: lone", None, false),
        message("cover", author, 1, "pfn cleanup", Some((0, 2)), false),
        message("p1", author, 1, "mm: one", Some((1, 2)), false),
        message("p2", author, 1, "mm: two", Some((2, 2)), false),
        message("r1", "Jason", 2, "mm: one", None, true),
        message("r1r", author, 3, "mm: one", None, true),
        message("r2", "Jason", 4, "mm: two", None, true),
    ];
    for (i, parent) in [(4, "p1"), (5, "r1"), (6, "p2")] {
        messages[i].set_in_reply_to(Some(parent));
    }
    let series = vec![None, Some(0), Some(0), Some(0), Some(0), Some(0), Some(0)];
    Arc::new(TestArchive {
        threads: crate::app::testing::threads(&messages),
        messages,
        series,
    })
}

#[test]
fn the_list_reads_threads_depth_first() {
    let (app, _) = loaded_with(thread_archive());
    let ids: Vec<String> = app
        .list
        .window(0, app.list.len())
        .iter()
        .map(|r| format!("{}@{}", app.messages()[r.msg as usize].id, r.depth))
        .collect();
    assert_eq!(
        ids,
        ["cover@0", "p1@1", "r1@2", "r1r@3", "p2@1", "r2@2", "lone@0"]
    );
}

#[test]
fn reading_in_order_from_the_detail() {
    let (mut app, archive) = loaded_with(thread_archive());
    keys(&mut app, &archive, "<enter>");
    assert_eq!(app.focus, Pane::Detail);
    keys(&mut app, &archive, "J J");
    assert_eq!(selected_id(&app), "r1");
    assert_eq!(app.focus, Pane::Detail, "reading stays in the detail");
    keys(&mut app, &archive, "P");
    assert_eq!(selected_id(&app), "p1", "P: the message it answers");
    keys(&mut app, &archive, "<m-n>");
    assert_eq!(
        selected_id(&app),
        "p2",
        "next at this depth skips 1/2's replies"
    );
    keys(&mut app, &archive, "<m-p>");
    assert_eq!(selected_id(&app), "p1");
    keys(&mut app, &archive, "<c-n>");
    assert_eq!(selected_id(&app), "lone", "next thread");
    keys(&mut app, &archive, "<c-p> K");
    assert_eq!(selected_id(&app), "cover");
    assert_eq!(
        app.note.as_deref(),
        Some("the first message of the list"),
        "nothing above: said, not moved"
    );
    keys(&mut app, &archive, "<m-n>");
    assert_eq!(selected_id(&app), "lone", "threads are siblings at depth 0");
}

#[test]
fn space_pages_then_goes_on_to_the_next_message() {
    let (mut app, archive) = loaded_with(thread_archive());
    keys(&mut app, &archive, "J <enter>");
    assert_eq!(selected_id(&app), "p1");
    let mut presses = 0;
    while selected_id(&app) == "p1" {
        keys(&mut app, &archive, "<space>");
        presses += 1;
        assert!(presses < 50, "Space never left the message");
    }
    assert!(presses > 2, "the 200-line diff takes pages first");
    assert_eq!(selected_id(&app), "r1");
    assert_eq!(app.detail.top, 0, "the next message starts at its top");
}

#[test]
fn enter_on_in_reply_to_goes_to_the_parent_and_u_to_the_first_unread() {
    let (mut app, archive) = loaded_with(thread_archive());
    keys(&mut app, &archive, "j j j <enter>");
    assert_eq!(selected_id(&app), "r1r");
    keys(&mut app, &archive, "<enter>");
    assert_eq!(selected_id(&app), "r1", "Enter follows In-Reply-To");
    keys(&mut app, &archive, "<enter>");
    assert_eq!(selected_id(&app), "p1");
    // Read so far: r1r, r1, p1. The first unread is the cover, then 2/2.
    keys(&mut app, &archive, "u");
    assert_eq!(selected_id(&app), "cover");
    keys(&mut app, &archive, "u");
    assert_eq!(selected_id(&app), "p2");
    assert!(app.read.is_read(1) && !app.read.is_read(6));
}

#[test]
fn moving_in_the_list_reads_nothing() {
    let (mut app, archive) = loaded_with(thread_archive());
    keys(&mut app, &archive, "j j J");
    keys(&mut app, &archive, "u");
    assert_eq!(selected_id(&app), "cover");
}

#[test]
fn ctrl_z_asks_the_event_loop_to_suspend() {
    // Raw mode delivers Ctrl-Z as a key, so no SIGTSTP comes: the key must stop the reader.
    let (mut app, _archive) = loaded_app();
    let key = keyseq::parse("<c-z>").unwrap()[0];
    let effects = update(&mut app, Event::Key(key));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Suspend)),
        "{effects:?}"
    );
    assert!(effects.iter().all(Effect::needs_terminal));
    assert!(!app.quit);
}
