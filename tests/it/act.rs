//! Acting on messages through the reader's own state machine, over a real archive: keys go
//! through `update`, the effects it returns run as the event loop runs them (minus handing
//! over the terminal), and what they did is checked on disk, in a command's input and in the
//! bytes sent to the terminal.

use std::borrow::Cow;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use patchdeck::app::{App, ArchiveView, Effect, Event, KeyMap, Loaded, Settings, keyseq, update};
use patchdeck::index::archive::Archive;
use patchdeck::source::Input;
use patchdeck::tui::act::{Programs, run};
use ratatui::layout::Rect;

/// One message of the test archive, in mbox form.
fn mail(id: &str, date: &str, subject: &str, extra: &str, body: &str) -> String {
    format!(
        "From mboxrd@z Thu Jan  1 00:00:00 1970\n\
         From: Daniel Vetter <daniel.vetter@ffwll.ch>\n\
         Date: {date}\n\
         Subject: {subject}\n\
         Message-ID: <{id}>\n\
         {extra}\
         \n\
         {body}\n"
    )
}

fn diff(n: u32) -> String {
    format!(
        "Change {n}.\n\nSigned-off-by: Daniel Vetter <daniel.vetter@ffwll.ch>\n---\n \
         mm/gup.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n\
         diff --git a/mm/gup.c b/mm/gup.c\n--- a/mm/gup.c\n+++ b/mm/gup.c\n\
         @@ -1 +1 @@\n-int step = {};\n+int step = {n};\n-- \n2.28.0\n",
        n - 1
    )
}

/// A v3 series (cover letter, two patches, a review) and an older lone patch whose body has
/// a `From ` line that mboxrd must quote.
fn mbox() -> String {
    let cover_ref = "References: <cover@ffwll.ch>\nIn-Reply-To: <cover@ffwll.ch>\n";
    [
        mail(
            "lone@ffwll.ch",
            "Mon, 19 Oct 2020 09:00:00 +0200",
            "[PATCH] mm: lone fix",
            "",
            // Quoted in the archive, as mboxrd writes it; the raw message has it unquoted.
            &format!(">From the report:\n{}", diff(1)),
        ),
        mail(
            "cover@ffwll.ch",
            "Wed, 21 Oct 2020 10:56:40 +0200",
            "[PATCH v3 0/2] follow_pfn cleanup",
            "",
            "Two steps.\n",
        ),
        mail(
            "p1@ffwll.ch",
            "Wed, 21 Oct 2020 10:56:41 +0200",
            "[PATCH v3 1/2] mm: step one",
            cover_ref,
            &diff(1),
        ),
        mail(
            "p2@ffwll.ch",
            "Wed, 21 Oct 2020 10:56:42 +0200",
            "[PATCH v3 2/2] mm: step two",
            cover_ref,
            &diff(2),
        ),
        mail(
            "review@ffwll.ch",
            "Wed, 21 Oct 2020 12:00:00 +0200",
            "Re: [PATCH v3 1/2] mm: step one",
            "References: <cover@ffwll.ch> <p1@ffwll.ch>\nIn-Reply-To: <p1@ffwll.ch>\n",
            "> Change 1.\n\nReviewed-by: Jason <j@example.org>\n",
        ),
    ]
    .concat()
}

struct Reader {
    app: App,
    archive: Arc<Archive>,
    programs: Programs,
    /// What copies wrote to the terminal.
    terminal: Vec<u8>,
}

impl Reader {
    fn new(programs: Programs) -> Reader {
        let input = Input::Bytes {
            label: "test.mbox".into(),
            bytes: Cow::Owned(mbox().into_bytes()),
        };
        let archive = Arc::new(Archive::load(&[input], &|_| {}).unwrap());
        assert_eq!(archive.len(), 5);
        Reader::with_archive(archive, KeyMap::builtin(), programs)
    }

    fn with_archive(archive: Arc<Archive>, keymap: KeyMap, programs: Programs) -> Reader {
        let settings = Settings {
            keymap,
            color: false,
            ..Settings::default()
        };
        let mut app = App::new(settings, Rect::new(0, 0, 120, 30), "test.mbox".into());
        let view: Arc<dyn ArchiveView> = archive.clone();
        update(
            &mut app,
            Event::Loaded(Ok(Loaded {
                archive: view,
                label: "test.mbox".into(),
                warnings: Vec::new(),
                order: None,
            })),
        );
        Reader {
            app,
            archive,
            programs,
            terminal: Vec::new(),
        }
    }

    /// Presses keys, running the act effects they return and feeding back what came of them.
    fn keys(&mut self, sequence: &str) {
        for key in keyseq::parse(sequence).unwrap() {
            let mut effects = update(&mut self.app, Event::Key(key));
            while let Some(effect) = effects.pop() {
                if let Effect::Act(act) = effect {
                    let acted = run(act, &self.archive, &self.programs, &mut self.terminal);
                    effects.extend(update(&mut self.app, Event::Acted(acted)));
                }
            }
        }
    }

    fn selected_id(&self) -> String {
        self.app
            .list
            .selected()
            .map(|m| self.archive.messages[m as usize].id.to_string())
            .unwrap_or_default()
    }

    /// Moves the cursor to the message with this Message-ID.
    fn select(&mut self, id: &str) {
        self.keys("g");
        for _ in 0..self.archive.len() {
            if self.selected_id() == id {
                return;
            }
            self.keys("j");
        }
        panic!("{id} is not in the list");
    }

    fn note(&self) -> String {
        self.app.note.clone().unwrap_or_default()
    }
}

fn quiet() -> Programs {
    Programs {
        pager: "true".into(),
        editor: "true".into(),
    }
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// Message-IDs of an mbox file, in order.
fn ids_in(mbox: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(mbox)
        .lines()
        .filter_map(|l| l.strip_prefix("Message-ID: <"))
        .map(|id| id.trim_end_matches('>').to_string())
        .collect()
}

#[test]
fn exporting_a_cover_letter_writes_its_series_and_never_overwrites_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.mbox");
    let mut reader = Reader::new(quiet());
    reader.select("cover@ffwll.ch");
    let typed = path.display().to_string().replace(' ', "<space>");
    reader.keys(&format!("w<c-u>{typed}<enter>"));
    assert_eq!(
        reader.note(),
        format!("wrote 2 patches to {}", path.display())
    );
    let written = fs::read(&path).unwrap();
    assert_eq!(ids_in(&written), ["p1@ffwll.ch", "p2@ffwll.ch"]);

    // Again to the same file: refused, and nothing is written unless the answer is y.
    fs::write(&path, b"precious\n").unwrap();
    reader.keys(&format!("w<c-u>{typed}<enter>"));
    let prompt = reader.app.act.prompt.as_ref().map(|p| p.label());
    assert_eq!(
        prompt,
        Some(format!("{} exists. Overwrite? (y/N) ", path.display()))
    );
    reader.keys("n");
    assert_eq!(fs::read(&path).unwrap(), b"precious\n");
    assert_eq!(reader.note(), "export cancelled; nothing written");

    reader.keys(&format!("w<c-u>{typed}<enter>y"));
    assert_eq!(
        ids_in(&fs::read(&path).unwrap()),
        ["p1@ffwll.ch", "p2@ffwll.ch"]
    );
}

#[test]
fn marked_messages_are_exported_in_series_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marked.mbox");
    let mut reader = Reader::new(quiet());
    reader.select("p2@ffwll.ch");
    reader.keys("<space>");
    reader.select("lone@ffwll.ch");
    reader.keys("<space>");
    reader.select("p1@ffwll.ch");
    reader.keys("<space>");
    assert_eq!(reader.app.act.marks.len(), 3);
    let typed = path.display().to_string().replace(' ', "<space>");
    reader.keys(&format!("w<c-u>{typed}<enter>"));
    let written = fs::read(&path).unwrap();
    assert_eq!(
        ids_in(&written),
        ["lone@ffwll.ch", "p1@ffwll.ch", "p2@ffwll.ch"]
    );
    assert!(
        String::from_utf8_lossy(&written).contains("\n>From the report:\n"),
        "a From line in a body is quoted"
    );
}

#[test]
fn pipe_gives_the_command_exactly_the_raw_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("received");
    let mut reader = Reader::new(quiet());
    reader.select("lone@ffwll.ch");
    let command = format!("cat > {}", quoted(&out)).replace(' ', "<space>");
    reader.keys(&format!("|{command}<enter>"));
    let lone = reader.archive.find("lone@ffwll.ch").unwrap();
    assert_eq!(fs::read(&out).unwrap(), reader.archive.raw(lone).as_ref());
    assert!(reader.note().ends_with("exited 0"), "{}", reader.note());
    assert!(
        fs::read(&out).unwrap().starts_with(b"From: Daniel Vetter"),
        "one message goes as sent, without an mbox envelope"
    );

    // Several marked messages go as one mbox, in series order, for git am.
    reader.select("p2@ffwll.ch");
    reader.keys("M");
    reader.keys(&format!("|<c-u>{command}<enter>"));
    let received = fs::read(&out).unwrap();
    assert!(received.starts_with(b"From mboxrd@z "));
    assert_eq!(ids_in(&received), ["p1@ffwll.ch", "p2@ffwll.ch"]);
}

#[test]
fn pipe_reports_a_failing_command() {
    let mut reader = Reader::new(quiet());
    reader.keys("|exit<space>3<enter>");
    assert!(reader.note().ends_with("exited 3"), "{}", reader.note());
}

#[test]
fn copy_writes_osc52_with_the_message_id_or_lore_link() {
    let mut reader = Reader::new(quiet());
    reader.select("p1@ffwll.ch");
    reader.keys("y");
    // base64("p1@ffwll.ch")
    let expected: &[u8] = b"\x1b]52;c;cDFAZmZ3bGwuY2g=\x07";
    let tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    let wrapped: Vec<u8> = if tmux {
        let mut w = b"\x1bPtmux;\x1b".to_vec();
        w.extend_from_slice(&expected[1..]);
        w.extend_from_slice(b"\x1b\\");
        w
    } else {
        expected.to_vec()
    };
    assert_eq!(reader.terminal, wrapped);
    assert_eq!(reader.note(), "copied p1@ffwll.ch");

    reader.terminal.clear();
    reader.keys("Y");
    let text = String::from_utf8(reader.terminal.clone()).unwrap();
    // base64("https://lore.kernel.org/r/p1@ffwll.ch")
    assert!(
        text.contains("aHR0cHM6Ly9sb3JlLmtlcm5lbC5vcmcvci9wMUBmZndsbC5jaA=="),
        "{text:?}"
    );
}

#[test]
fn pager_and_editor_get_the_rendered_and_the_raw_message() {
    let dir = tempfile::tempdir().unwrap();
    let paged = dir.path().join("paged");
    let edited = dir.path().join("edited");
    let programs = Programs {
        pager: format!("sh -c 'cp \"$1\" {}' sh", quoted(&paged)),
        editor: format!("sh -c 'cp \"$1\" {}; echo x >> \"$1\"' sh", quoted(&edited)),
    };
    let mut reader = Reader::new(programs);
    reader.select("p2@ffwll.ch");
    reader.keys("v");
    let page = String::from_utf8(fs::read(&paged).unwrap()).unwrap();
    assert!(page.contains("mm: step two"), "{page}");
    assert!(page.contains("+int step = 2;"), "{page}");
    reader.keys("e");
    let p2 = reader.archive.find("p2@ffwll.ch").unwrap();
    assert_eq!(fs::read(&edited).unwrap(), reader.archive.raw(p2).as_ref());
    assert!(reader.note().contains("thrown away"), "{}", reader.note());
}

/// The export prompt names what it writes, and the note saying what was written stays on the
/// status bar while a filter is active.
#[test]
fn the_export_prompt_names_what_it_writes_and_its_note_shows_over_a_filter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.mbox");
    let mut reader = Reader::new(quiet());
    reader.keys("/follow<enter>");
    reader.select("cover@ffwll.ch");
    reader.keys("w");
    let prompt = reader.app.act.prompt.as_ref().map(|p| p.label());
    assert_eq!(prompt.as_deref(), Some("export 2 patches of v3 to: "));
    let typed = path.display().to_string().replace(' ', "<space>");
    reader.keys(&format!("<c-u>{typed}<enter>"));
    assert!(
        reader.note().starts_with("wrote 2 patches"),
        "{}",
        reader.note()
    );
    let area = ratatui::layout::Rect::new(0, 0, 120, 1);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let bar = patchdeck::ui::bars::StatusBar {
        app: &reader.app,
        theme: patchdeck::ui::theme::Theme::new(false),
    };
    ratatui::widgets::Widget::render(&bar, area, &mut buf);
    let line: String = (0..area.width)
        .map(|x| buf[(x, 0)].symbol().to_string())
        .collect();
    assert!(line.contains("wrote 2 patches"), "{line}");
}
