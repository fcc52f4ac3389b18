//! The title bar (what is loaded: `patchdeck  kvm.mbox · 21,367 messages · 8,604 patches ·
//! 1,204 series`) and the bottom bar: the filter prompt or detail search while typing, else
//! notes and loading progress, with `matches / total` and the help hint on the right.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::text::{fit, thousands, width};
use super::theme::Theme;
use crate::app::App;
use crate::sanitize::sanitize;

pub struct TitleBar<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Widget for &TitleBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let mut text = format!("patchdeck  {}", sanitize(&app.load.label));
        if let Some(archive) = &app.archive {
            text.push_str(&format!(
                " · {} messages · {} patches · {} series",
                thousands(archive.messages().len()),
                thousands(app.load.patches),
                thousands(archive.series_count())
            ));
        }
        let direction = if app.list.reversed { "↑" } else { "↓" };
        let sort = format!("sort: {} {direction} ", app.list.sort.name());
        let room = usize::from(area.width).saturating_sub(width(&sort) + 1);
        let left = fit(&text, room);
        let gap = usize::from(area.width).saturating_sub(width(&left) + width(&sort));
        Line::from(vec![
            Span::styled(left, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" ".repeat(gap)),
            Span::raw(sort),
        ])
        .style(self.theme.title_bar())
        .render(area, buf);
    }
}

pub struct StatusBar<'a> {
    pub app: &'a App,
    pub theme: Theme,
}

impl Widget for &StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = self.theme;
        let total = app.messages().len();
        let mut right = match app.filter.matched() {
            Some(matched) => format!("{} / {}", thousands(matched), thousands(total)),
            None if app.archive.is_some() => thousands(total),
            None => String::new(),
        };
        if !app.act.marks.is_empty() {
            right = format!("{} marked · {right}", thousands(app.act.marks.len()));
        }
        right.push_str("   ? help ");
        let mut left: Vec<Span<'static>> = Vec::new();
        if let Some(prompt) = &app.act.prompt {
            left.push(Span::styled(prompt.label(), t.key()));
            if let Some(input) = prompt.input() {
                left.push(Span::raw(sanitize(&input.text).into_owned()));
            }
            left.push(Span::styled(
                "█",
                Style::new().add_modifier(Modifier::SLOW_BLINK),
            ));
        } else if app.filter.editing
            || !app.filter.prompt.text.is_empty()
                && !app.detail.search.editing
                && app.note.is_none()
        {
            left.push(Span::styled("/ ", t.key()));
            left.push(Span::raw(sanitize(&app.filter.prompt.text).into_owned()));
            if app.filter.editing {
                left.push(Span::styled(
                    "█",
                    Style::new().add_modifier(Modifier::SLOW_BLINK),
                ));
            }
            if let Some(error) = &app.filter.error {
                left.push(Span::raw("  "));
                left.push(Span::styled(sanitize(error).into_owned(), t.error()));
            } else if app.filter.running {
                left.push(Span::styled("  …", t.dim()));
            }
        } else if app.detail.search.editing {
            left.push(Span::styled("search: ", t.key()));
            left.push(Span::raw(
                sanitize(&app.detail.search.prompt.text).into_owned(),
            ));
            left.push(Span::styled(
                "█",
                Style::new().add_modifier(Modifier::SLOW_BLINK),
            ));
            let found = app.detail.search.matches.len();
            left.push(Span::styled(format!("  {found} found"), t.dim()));
        } else if let Some(error) = &app.load.error {
            left.push(Span::styled(sanitize(error).into_owned(), t.error()));
        } else if let Some(note) = &app.note {
            left.push(Span::raw(note.clone()));
        } else if !app.load.done {
            left.push(Span::styled(loading(app), t.dim()));
        } else if !app.load.warnings.is_empty() {
            let n = app.load.warnings.len();
            let first = sanitize(app.load.warnings.first().map_or("", String::as_str)).into_owned();
            left.push(Span::styled(
                format!("{n} warning{}: {first}", if n == 1 { "" } else { "s" }),
                t.warning(),
            ));
        } else if app.detail.search.matches.is_empty() {
            left.push(Span::styled(hint(app), t.dim()));
        } else {
            let found = app.detail.search.matches.len();
            let at = app.detail.search.current.map_or(0, |c| c + 1);
            left.push(Span::styled(
                format!("search: {at}/{found}   n next, N previous"),
                t.dim(),
            ));
        }
        let room = usize::from(area.width).saturating_sub(width(&right));
        let mut used = 0;
        let mut spans: Vec<Span<'static>> = Vec::new();
        for span in left {
            let w = width(&span.content);
            if used + w > room {
                spans.push(Span::styled(
                    fit(&span.content, room.saturating_sub(used)),
                    span.style,
                ));
                used = room;
                break;
            }
            used += w;
            spans.push(span);
        }
        spans.push(Span::raw(" ".repeat(room.saturating_sub(used))));
        spans.push(Span::styled(right, t.dim()));
        Line::from(spans).render(area, buf);
    }
}

fn loading(app: &App) -> String {
    match app.load.progress {
        Some(p) if p.bytes_total > 0 => {
            let percent = p.bytes_done.saturating_mul(100) / p.bytes_total;
            format!(
                "loading {}… {percent}% · {} messages",
                sanitize(&app.load.label),
                thousands(p.messages)
            )
        }
        _ => format!("loading {}…", sanitize(&app.load.label)),
    }
}

/// A reminder of the keys that matter in the focused pane, read from the key map so it
/// names the user's bindings.
fn hint(app: &App) -> String {
    use crate::app::keymap::Context;
    use crate::app::{Action, Pane};
    let (context, actions): (Context, &[(Action, &str)]) = match app.focus {
        Pane::List => (
            Context::List,
            &[
                (Action::StartFilter, "filter"),
                (Action::Open, "read"),
                (Action::ToggleFold, "fold"),
                (Action::SortNext, "sort"),
                (Action::FocusNextPane, "next pane"),
            ],
        ),
        Pane::Detail => (
            Context::Detail,
            &[
                (Action::SearchDetail, "search"),
                (Action::NextFile, "next file"),
                (Action::NextHunk, "next hunk"),
                (Action::PageDownOrNext, "page"),
                (Action::FocusNextPane, "next pane"),
            ],
        ),
        Pane::Diffstat => (
            Context::Diffstat,
            &[
                (Action::Open, "show file"),
                (Action::FocusNextPane, "next pane"),
            ],
        ),
    };
    let parts: Vec<String> = actions
        .iter()
        .filter_map(|&(action, label)| {
            let key = app
                .keymap
                .keys_for(context, action)
                .into_iter()
                .chain(app.keymap.keys_for(Context::Global, action))
                .next()?;
            Some(format!("{key} {label}"))
        })
        .collect();
    parts.join("  ")
}
