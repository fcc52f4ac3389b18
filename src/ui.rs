//! Drawing: a pure function of the [`App`] state onto a buffer. Each pane is a widget over a
//! borrowed slice of state (`impl Widget for &ListPane`), so a frame clones nothing and builds
//! rows only for what is on screen. Every string from mail passes through
//! [`crate::sanitize`] on its way to a cell.

pub mod bars;
pub mod detail;
pub mod diffstat;
pub mod help;
pub mod list;
pub mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use self::bars::{StatusBar, TitleBar};
use self::detail::DetailPane;
use self::diffstat::DiffstatPane;
use self::help::HelpOverlay;
use self::list::ListPane;
use self::text::thousands;
use self::theme::Theme;
use crate::app::{App, Pane};

/// Draws the whole screen for a frame.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    render(app, area, frame.buffer_mut());
}

/// Draws the whole screen into `buf`; `area` is the terminal.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = Theme::with_palette(app.color, app.palette);
    let areas = crate::app::layout::areas(area, app.zoom, diffstat_rows(app));
    TitleBar { app, theme }.render(areas.title, buf);

    if !areas.list.is_empty() {
        let empty_note = if !app.load.done {
            "loading…"
        } else if app.filter.applied.is_some() {
            "no message matches the filter"
        } else {
            "no messages"
        };
        let list = ListPane {
            list: &app.list,
            archive: app.archive.as_deref(),
            marks: app.filter.applied.as_ref().map(|(_, o)| &o.marks),
            marked: &app.act.marks,
            columns: &app.columns,
            focused: app.focus == Pane::List,
            theme,
            empty_note,
        };
        list.render(areas.inner(Pane::List), buf);
    }

    if !areas.detail.is_empty() {
        let position = app.detail.doc().map(|_| {
            let rows = app.detail.len();
            let last = (app.detail.top + usize::from(areas.inner(Pane::Detail).height)).min(rows);
            format!(" {}/{} ", thousands(last), thousands(rows))
        });
        pane_frame(&areas, Pane::Detail, app, theme, position).render(areas.detail, buf);
        let placeholder = if !app.load.done {
            "loading…"
        } else if app.list.selected().is_none() {
            "no message selected"
        } else {
            "…"
        };
        DetailPane {
            detail: &app.detail,
            theme,
            placeholder,
        }
        .render(areas.inner(Pane::Detail), buf);
    }

    if !areas.diffstat.is_empty() {
        pane_frame(&areas, Pane::Diffstat, app, theme, None).render(areas.diffstat, buf);
        let pane = DiffstatPane {
            files: app.diffstat_files(),
            totals: app.diffstat_totals(),
            state: app.diffstat,
            focused: app.focus == Pane::Diffstat,
            theme,
        };
        pane.render(areas.inner(Pane::Diffstat), buf);
    }

    StatusBar { app, theme }.render(areas.status, buf);

    if let Some(scroll) = app.help {
        HelpOverlay {
            keymap: &app.keymap,
            scroll,
            theme,
        }
        .render(area, buf);
    }
}

/// Rows the diffstat pane would like: its files and the totals line.
fn diffstat_rows(app: &App) -> u16 {
    u16::try_from(app.diffstat_files().len().saturating_add(1)).unwrap_or(u16::MAX)
}

/// The title row (and left separator) of the detail and diffstat panes.
fn pane_frame(
    areas: &crate::app::layout::Areas,
    pane: Pane,
    app: &App,
    theme: Theme,
    right: Option<String>,
) -> Block<'static> {
    let focused = app.focus == pane;
    let mut borders = Borders::TOP;
    if areas.pane(pane).x > areas.title.x {
        borders |= Borders::LEFT;
    }
    let mut block = Block::default()
        .borders(borders)
        .border_style(theme.border(focused))
        .title(Span::styled(
            format!(" {} ", pane.name()),
            theme.pane_title(focused),
        ));
    if let Some(right) = right {
        block = block.title(Line::styled(right, theme.dim()).right_aligned());
    }
    block
}
