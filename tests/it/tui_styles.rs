//! What colours and emphasis the reader puts on cells, which text snapshots cannot show:
//! filter matches, trailer kinds, tinted +/- lines and changed words, colour off under
//! NO_COLOR, and mail's control characters made visible and never sent to the terminal.

use crate::support::reader as support;

use crate::support::reader::{Reader, find, fixture};
use patchdeck::app::detail::doc::LineKind;
use patchdeck::model::diff::DiffLineKind;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::{TerminalOptions, Viewport};

fn series(width: u16, height: u16) -> Reader {
    Reader::open(fixture("reader/series.mbox"), None, width, height)
}

fn cell_at(buffer: &Buffer, text: &str) -> (u16, u16) {
    find(buffer, text)
        .unwrap_or_else(|| panic!("{text:?} not on screen:\n{}", support::screen_text(buffer)))
}

#[test]
fn filter_matches_are_highlighted_in_titles() {
    let mut reader = series(120, 40);
    reader.keys("/closest<enter>");
    let buffer = reader.buffer();
    let (x, y) = cell_at(&buffer, "closest rate");
    for i in 0..7 {
        let cell = &buffer[(x + i, y)];
        assert!(
            cell.modifier
                .contains(Modifier::UNDERLINED | Modifier::BOLD),
            "{} not marked",
            cell.symbol()
        );
    }
    let after = &buffer[(x + 8, y)];
    assert!(
        !after.modifier.contains(Modifier::UNDERLINED),
        "`rate` is not part of the match"
    );
    let (rx, ry) = cell_at(&buffer, "round to");
    assert!(!buffer[(rx, ry)].modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn trailers_are_coloured_by_kind() {
    let mut reader = series(120, 40);
    reader.keys("j j");
    let buffer = reader.buffer();
    let reviewed = cell_at(&buffer, "Reviewed-by: Grace");
    assert_eq!(buffer[reviewed].fg, Color::LightGreen);
    assert!(buffer[reviewed].modifier.contains(Modifier::BOLD));
    let signed = cell_at(&buffer, "Signed-off-by: Ada");
    assert_eq!(buffer[signed].fg, Color::LightGreen);
    assert!(
        buffer[signed].modifier.contains(Modifier::DIM),
        "sign-offs recede"
    );
    assert_eq!(buffer[cell_at(&buffer, "Fixes: 0123")].fg, Color::LightRed);
    assert_eq!(
        buffer[cell_at(&buffer, "v2: use DIV")].fg,
        Color::Indexed(245),
        "changelog in a gray, quieter than the message"
    );
}

/// The document line on screen of the first line of `kind` in the detail, with its row.
fn first_line_of(reader: &Reader, kind: DiffLineKind) -> (usize, u16) {
    let doc = reader.app.detail.doc().expect("a document");
    let line = (0..doc.len())
        .find(|&i| doc.lines[i].kind == LineKind::Diff(kind))
        .expect("such a line");
    let inner = reader.app.areas().inner(patchdeck::app::Pane::Detail);
    let row = inner.y + u16::try_from(line - reader.app.detail.top).unwrap();
    (line, row)
}

#[test]
fn added_and_removed_lines_are_tinted_and_changed_words_marked() {
    let mut reader = series(120, 40);
    reader.keys("j j <tab> ]");
    let (removed_line, removed_row) = first_line_of(&reader, DiffLineKind::Removed);
    let (_, added_row) = first_line_of(&reader, DiffLineKind::Added);
    let diff_line = reader
        .app
        .detail
        .doc()
        .unwrap()
        .diff_line(removed_line)
        .unwrap();
    reader.until("changed words", |app| {
        app.detail.shown.as_ref().is_some_and(|s| {
            s.colors
                .get(&diff_line)
                .is_some_and(|d| !d.changed.is_empty())
        })
    });
    let buffer = reader.buffer();
    let x = reader.app.areas().inner(patchdeck::app::Pane::Detail).x;
    assert_eq!(buffer[(x, removed_row)].bg, Color::Rgb(0x3f, 0x00, 0x01));
    assert_eq!(buffer[(x, added_row)].bg, Color::Rgb(0x00, 0x30, 0x00));
    // The tint runs to the pane's edge, past the text.
    assert_eq!(buffer[(x + 70, added_row)].bg, Color::Rgb(0x00, 0x30, 0x00));
    // `div = *parent_rate / rate;` became `div = DIV_ROUND_CLOSEST(*parent_rate, rate);`:
    // `DIV_ROUND_CLOSEST(` is new; `div = ` is not.
    let (cx, cy) = cell_at(&buffer, "DIV_ROUND_CLOSEST(*parent_rate, rate)");
    assert_eq!(cy, added_row);
    assert_eq!(buffer[(cx, cy)].bg, Color::Rgb(0x00, 0x60, 0x00));
    let (dx, dy) = cell_at(&buffer, "div = DIV");
    assert_eq!(buffer[(dx, dy)].bg, Color::Rgb(0x00, 0x30, 0x00));
    // Syntax colours arrived too: the C keyword `return` is not the plain added-line green.
    let (kx, ky) = cell_at(&buffer, "return DIV");
    assert!(
        matches!(buffer[(kx, ky)].fg, Color::Rgb(..)),
        "syntax colour on `return`"
    );
}

#[test]
fn no_color_uses_emphasis_only() {
    let mut reader = Reader::open_with(fixture("reader/series.mbox"), None, 120, 40, false);
    reader.keys("j j <tab> ]");
    let buffer = reader.buffer();
    for cell in buffer.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "colour on {:?}",
            cell.symbol()
        );
    }
    let (_, added_row) = first_line_of(&reader, DiffLineKind::Added);
    let (cx, cy) = cell_at(&buffer, "DIV_ROUND_CLOSEST(*parent_rate, rate)");
    assert_eq!(cy, added_row);
    reader.until("changed words", |app| {
        app.detail
            .shown
            .as_ref()
            .is_some_and(|s| s.colors.values().any(|d| !d.changed.is_empty()))
    });
    let buffer = reader.buffer();
    assert!(
        buffer[(cx, cy)].modifier.contains(Modifier::UNDERLINED),
        "changed words underlined"
    );
}

#[test]
fn escape_sequences_in_mail_are_shown_not_executed() {
    let mut reader = series(120, 40);
    // The hostile message is the newest, so it is selected and shown.
    let buffer = reader.buffer();
    let screen = support::screen_text(&buffer);
    assert!(
        screen.contains("evil: ^[]0;pwned^Gtitle ^[[2Jclear"),
        "{screen}"
    );
    assert!(
        screen
            .contains("Body with an escape ^[[31mred^[[0m and a bell ^G and a C1 \\u{9b} control."),
        "{screen}"
    );
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "control character in a cell"
        );
    }
    reader.keys("<tab> G");
    let screen = reader.screen();
    assert!(
        screen.contains("+int b; /* ^[]52;c;cHduZWQ=^G */"),
        "{screen}"
    );

    // What actually goes to the terminal: crossterm's own escapes, none from the mail.
    let written = Shared::default();
    let backend = CrosstermBackend::new(written.clone());
    let viewport = Viewport::Fixed(Rect::new(0, 0, 120, 40));
    let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
    reader.keys("g <tab> <tab>");
    terminal
        .draw(|frame| patchdeck::ui::draw(frame, &reader.app))
        .unwrap();
    let bytes = written.0.lock().unwrap().clone();
    let output = String::from_utf8_lossy(&bytes);
    assert!(output.contains("pwned"), "the subject was drawn");
    assert!(
        !output.contains("\x1b]0;"),
        "window title sequence reached the terminal"
    );
    assert!(
        !output.contains("\x1b]52;"),
        "clipboard sequence reached the terminal"
    );
    assert!(
        !output.contains("\x1b[2J"),
        "clear-screen sequence reached the terminal"
    );
    assert!(!output.contains('\x07'), "bell reached the terminal");
    assert!(
        !output.contains('\u{9b}'),
        "C1 control reached the terminal"
    );
}

/// A writer whose bytes the test can read after the backend took it.
#[derive(Clone, Default)]
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
