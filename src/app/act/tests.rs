//! Marks, prompts and the effects they return, driven by keys over hand-built messages. The
//! effects themselves (files written, programs run) are tested in `tests/act.rs`.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::*;
use crate::app::testing::message;
use crate::app::{ArchiveView, Event, Loaded, Settings, keyseq, update};
use crate::model::message::Message;

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

/// A v2 series (cover, three patches, a reply) on day 2 and a lone patch on day 1.
fn app() -> App {
    let mut messages = vec![message(
        "cover",
        "Daniel Vetter",
        2,
        "mm: follow_pfn cleanup",
        Some((0, 3)),
        false,
    )];
    for n in 1..=3 {
        messages.push(message(
            &format!("p{n}"),
            "Daniel Vetter",
            2,
            &format!("mm: step {n}"),
            Some((n, 3)),
            false,
        ));
    }
    let mut reply = message("reply", "Jason", 2, "mm: step 1", None, true);
    reply.set_in_reply_to(Some("p1"));
    messages.push(reply);
    messages.push(message(
        "lone",
        "Paolo Bonzini",
        1,
        "KVM: VMX: Forbid MSR filters",
        None,
        false,
    ));
    for m in &mut messages[..4] {
        m.subject.version = Some(2);
    }
    let series = vec![Some(0), Some(0), Some(0), Some(0), Some(0), None];
    let archive: Arc<dyn ArchiveView> = Arc::new(TestArchive {
        threads: crate::app::testing::threads(&messages),
        messages,
        series,
    });
    let mut app = App::new(plain(), Rect::new(0, 0, 120, 30), "test".into());
    update(
        &mut app,
        Event::Loaded(Ok(Loaded {
            archive,
            label: "test".into(),
            warnings: Vec::new(),
            order: None,
        })),
    );
    app
}

/// Feeds keys; returns the act effects they asked for (the rest need no answer here).
fn keys(app: &mut App, sequence: &str) -> Vec<ActEffect> {
    let mut acts = Vec::new();
    for key in keyseq::parse(sequence).unwrap() {
        for effect in update(app, Event::Key(key)) {
            if let Effect::Act(act) = effect {
                acts.push(act);
            }
        }
    }
    acts
}

fn ids(app: &App, messages: &[u32]) -> Vec<String> {
    messages
        .iter()
        .map(|&m| app.messages()[m as usize].id.to_string())
        .collect()
}

fn marked(app: &App) -> Vec<String> {
    let marks: Vec<u32> = app.act.marks.iter().copied().collect();
    ids(app, &marks)
}

fn selected(app: &App) -> String {
    ids(app, &app.list.selected().into_iter().collect::<Vec<_>>()).concat()
}

fn screen(app: &App) -> String {
    let area = Rect::new(0, 0, 120, 30);
    let mut buf = Buffer::empty(area);
    crate::ui::render(app, area, &mut buf);
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn space_marks_and_moves_on_and_the_status_line_counts() {
    let mut app = app();
    assert_eq!(selected(&app), "cover");
    // The reply sits under 1/3, which it answers: j steps over it.
    keys(&mut app, "j <space> j <space>");
    assert_eq!(marked(&app), ["p1", "p2"]);
    assert_eq!(selected(&app), "p3");
    let text = screen(&app);
    assert!(text.contains("2 marked"), "{text}");
    assert_eq!(text.matches('●').count(), 2, "{text}");
    keys(&mut app, "k <space>");
    assert_eq!(marked(&app), ["p1"], "a second press unmarks");
    keys(&mut app, "U");
    assert!(app.act.marks.is_empty());
    assert!(!screen(&app).contains("marked ·"));
}

#[test]
fn mark_series_takes_its_patches_only_and_toggles() {
    let mut app = app();
    keys(&mut app, "j j M");
    assert_eq!(marked(&app), ["p1", "p2", "p3"]);
    assert_eq!(app.note.as_deref(), Some("3 patches marked"));
    keys(&mut app, "M");
    assert!(app.act.marks.is_empty());
}

#[test]
fn actions_apply_to_the_marks_else_the_selection() {
    let mut app = app();
    let effects = keys(&mut app, "y");
    assert_eq!(
        effects,
        [ActEffect::Copy {
            text: "cover".into(),
            what: "cover".into()
        }]
    );
    let effects = keys(&mut app, "j <space> j <space> Y");
    let Some(ActEffect::Copy { text, what }) = effects.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(
        text,
        "https://lore.kernel.org/r/p1 https://lore.kernel.org/r/p2"
    );
    assert_eq!(what, "2 lore links");
    // In the list `o` folds; `v` opens the pager there, `o` everywhere else.
    let effects = keys(&mut app, "v e");
    assert_eq!(
        effects,
        [
            ActEffect::Pager {
                messages: vec![1, 2],
                color: false
            },
            ActEffect::Editor {
                messages: vec![1, 2]
            }
        ]
    );
    let effects = keys(&mut app, "<tab> o");
    assert_eq!(
        effects,
        [ActEffect::Pager {
            messages: vec![1, 2],
            color: false
        }]
    );
}

#[test]
fn export_asks_for_a_path_then_returns_the_effect() {
    let mut app = app();
    let effects = keys(&mut app, "w");
    assert!(effects.is_empty());
    let Some(prompt) = &app.act.prompt else {
        panic!("no prompt");
    };
    assert_eq!(prompt.label(), "export 1 message to: ");
    assert_eq!(
        prompt.input().map(|p| p.text.as_str()),
        Some("v2-mm-follow_pfn-cleanup.mbox"),
        "a name is suggested from the series"
    );
    assert!(screen(&app).contains("export 1 message to: v2-mm-follow_pfn-cleanup.mbox"));
    // Keys are text while the prompt is open: q does not quit, j does not move.
    let effects = keys(&mut app, "<c-u>/tmp/q<space>j.mbox<enter>");
    assert!(!app.quit);
    assert_eq!(
        effects,
        [ActEffect::Export {
            messages: vec![0],
            path: "/tmp/q j.mbox".into(),
            force: false
        }]
    );
    assert!(app.act.prompt.is_none());
}

#[test]
fn an_existing_file_is_only_overwritten_after_yes() {
    let mut app = app();
    let exists = || Acted::ExportExists {
        messages: vec![1],
        path: "v2.mbox".into(),
    };
    update(&mut app, Event::Acted(exists()));
    assert!(screen(&app).contains("v2.mbox exists. Overwrite? (y/N)"));
    for no in ["n", "<enter>", "<esc>", "q"] {
        update(&mut app, Event::Acted(exists()));
        assert!(keys(&mut app, no).is_empty(), "{no}");
        assert!(app.act.prompt.is_none());
        assert!(!app.quit);
        assert_eq!(
            app.note.as_deref(),
            Some("export cancelled; nothing written")
        );
    }
    update(&mut app, Event::Acted(exists()));
    assert_eq!(
        keys(&mut app, "y"),
        [ActEffect::Export {
            messages: vec![1],
            path: "v2.mbox".into(),
            force: true
        }]
    );
    update(
        &mut app,
        Event::Acted(Acted::Exported {
            count: 1,
            path: "v2.mbox".into(),
        }),
    );
    assert_eq!(app.note.as_deref(), Some("wrote 1 patch to v2.mbox"));
}

#[test]
fn pipe_asks_for_a_command_and_offers_the_last_one_again() {
    let mut app = app();
    let effects = keys(&mut app, "|git<space>am<space>-3<enter>");
    assert_eq!(
        effects,
        [ActEffect::Pipe {
            messages: vec![0],
            command: "git am -3".into()
        }]
    );
    keys(&mut app, "|");
    let text = app
        .act
        .prompt
        .as_ref()
        .and_then(|p| p.input())
        .map(|p| p.text.clone());
    assert_eq!(text.as_deref(), Some("git am -3"));
    assert!(keys(&mut app, "<esc>").is_empty());
    assert_eq!(app.note.as_deref(), Some("cancelled"));
    // An empty command runs nothing.
    assert!(keys(&mut app, "|<c-u><enter>").is_empty());
}

#[test]
fn outcomes_from_mail_are_sanitised_in_notes() {
    let mut app = app();
    update(
        &mut app,
        Event::Acted(Acted::Copied {
            what: "evil\u{1b}]0;x\u{7}".into(),
        }),
    );
    let note = app.note.clone().unwrap_or_default();
    assert!(!note.contains('\u{1b}'), "{note:?}");
    assert!(note.starts_with("copied evil^["));
}

#[test]
fn nothing_selected_means_nothing_to_do() {
    let mut app = App::new(plain(), Rect::new(0, 0, 80, 24), "x".into());
    assert!(keys(&mut app, "w | o e y Y <space> M").is_empty());
    assert!(app.act.prompt.is_none());
}

/// The default settings with colour off.
fn plain() -> Settings {
    Settings {
        color: false,
        ..Settings::default()
    }
}
