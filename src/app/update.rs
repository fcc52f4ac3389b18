//! `update`: the one place state changes. An [`Event`] comes in, the [`App`] changes, and the
//! work it calls for comes back as [`Effect`]s for the event loop to run; nothing here blocks,
//! draws or touches the terminal.

use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::keymap::{Context, Key};
use super::{Action, App, Effect, Event, Pane};
use crate::index::order::Catalog;
use crate::model::message::Kind;

/// Lines the mouse wheel scrolls per notch.
const WHEEL_LINES: isize = 3;
/// Columns `scroll_left`/`scroll_right` move the detail.
const SIDEWAYS_COLUMNS: usize = 8;

/// Applies one event to the app and returns the background work it needs.
pub fn update(app: &mut App, event: Event) -> Vec<Effect> {
    let mut effects = Vec::new();
    match event {
        Event::Key(key) => {
            app.note = None;
            if let Some(action) = Key::from_event(&key).and_then(|k| action_for(app, k)) {
                apply(app, action, &mut effects);
            }
        }
        Event::Mouse(mouse) => on_mouse(app, mouse),
        Event::Resize { width, height } => app.size = Rect::new(0, 0, width, height),
        Event::Progress(progress) => app.load.progress = Some(progress),
        Event::Loaded(Ok(loaded)) => {
            app.load.done = true;
            app.load.warnings = loaded.warnings;
            app.load.label = loaded.label;
            app.load.patches = loaded
                .archive
                .messages()
                .iter()
                .filter(|m| m.kind == Kind::Patch)
                .count();
            let count = u32::try_from(loaded.archive.messages().len()).unwrap_or(u32::MAX);
            if count == 0 {
                // An empty file is an empty archive: say so, rather than show a bare screen.
                app.note = Some(format!("{} holds no messages", app.load.label));
            }
            app.series_of = (0..count).map(|m| loaded.archive.series_of(m)).collect();
            let presorted = loaded.order.is_some_and(|order| {
                let catalog = Catalog {
                    messages: loaded.archive.messages(),
                    series_of: &app.series_of,
                    threads: loaded.archive.threads(),
                };
                app.list.use_sorted(order, catalog)
            });
            app.archive = Some(loaded.archive);
            if presorted {
                rebuild(app);
            } else {
                resort(app);
            }
            if !app.filter.prompt.text.is_empty() {
                request_filter(app, &mut effects);
            }
        }
        Event::Loaded(Err(error)) => {
            app.load.done = true;
            app.load.error = Some(error);
        }
        Event::DetailReady { request, doc } => {
            if app.detail.pending.is_some_and(|(_, r)| r == request) {
                app.detail.show_new(doc);
                app.diffstat = super::DiffstatState::default();
            }
        }
        Event::Highlighted { msg, lines } => app.detail.add_colors(msg, lines),
        Event::Filtered {
            generation,
            outcome,
        } => {
            if generation == app.filter.generation {
                app.filter.running = false;
                match outcome {
                    Ok(outcome) => {
                        app.filter.error = None;
                        if outcome.matched.is_empty() || !outcome.ranked.is_empty() {
                            app.filter.ranking = false;
                        }
                        // In the list's order the rows are those of the matches applied (every
                        // change of order or folds rebuilds them), so a keystroke that kept the
                        // same matches (a space, a term every match holds) keeps its rows.
                        let same_rows = !app.filter.by_score
                            && app
                                .filter
                                .applied
                                .as_ref()
                                .is_some_and(|(_, shown)| shown.matched == outcome.matched);
                        app.filter.applied = Some((app.filter.prompt.text.clone(), outcome));
                        if !same_rows {
                            rebuild(app);
                        }
                        // Ranked, the best match is what the user is looking for, as in fzf;
                        // in thread order, a match rather than the context above it.
                        if app.filter.by_score {
                            app.list.move_to(0);
                        } else if app.list.row_is_context(app.list.cursor)
                            && let Some(first) = app.list.first_match()
                        {
                            app.list.move_to(first);
                        }
                    }
                    Err(error) => {
                        app.filter.ranking = false;
                        app.filter.error = Some(error);
                    }
                }
            }
        }
        Event::Ranked {
            generation,
            ranked,
            complete,
        } => {
            if generation == app.filter.generation {
                // The first answer puts the cursor on the best match; the whole order that
                // follows keeps it where the reader has moved it since.
                let first = app.filter.ranking;
                app.filter.ranking = false;
                app.filter.ranking_rest = !complete;
                if let Some((_, outcome)) = app.filter.applied.as_mut() {
                    outcome.ranked = ranked;
                }
                if app.filter.by_score {
                    rebuild(app);
                    if first {
                        app.list.move_to(0);
                    }
                }
            }
        }
        Event::Terminate => app.quit = true,
        // The terminal's business: the event loop suspends and redraws.
        Event::Suspend | Event::Continued => {}
        Event::Acted(outcome) => super::act::acted(app, outcome),
    }
    follow_selection(app, &mut effects);
    effects
}

/// What a key means here: the help overlay, a prompt, or the focused pane decide.
fn action_for(app: &App, key: Key) -> Option<Action> {
    let context = if app.help.is_some() {
        Context::Help
    } else if app.filter.editing || app.detail.search.editing || app.act.prompt.is_some() {
        Context::Prompt
    } else {
        match app.focus {
            Pane::List => Context::List,
            Pane::Detail => Context::Detail,
            Pane::Diffstat => Context::Diffstat,
        }
    };
    app.keymap.action(context, key).or_else(|| match key.code {
        ratatui::crossterm::event::KeyCode::Char(c)
            if context == Context::Prompt
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Input(c))
        }
        _ => None,
    })
}

/// Rows a pane shows.
fn height(app: &App, pane: Pane) -> usize {
    usize::from(app.areas().inner(pane).height)
}

fn apply(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
    if let Some(scroll) = app.help.as_mut() {
        match action {
            Action::SelectNext => *scroll = scroll.saturating_add(1),
            Action::SelectPrev => *scroll = scroll.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => *scroll = scroll.saturating_add(10),
            Action::PageUp | Action::HalfPageUp => *scroll = scroll.saturating_sub(10),
            Action::First => *scroll = 0,
            Action::Quit => app.quit = true,
            _ => app.help = None,
        }
        return;
    }
    if app.act.prompt.is_some() {
        super::act::on_prompt(app, action, effects);
        return;
    }
    let page = |app: &App, pane| height(app, pane).saturating_sub(1).max(1);
    match action {
        Action::Quit => app.quit = true,
        Action::Suspend => effects.push(Effect::Suspend),
        Action::Help => app.help = Some(0),
        Action::FocusNextPane => cycle_focus(app, true),
        Action::FocusPrevPane => cycle_focus(app, false),
        Action::Zoom => {
            app.zoom = if app.zoom.is_some() {
                None
            } else {
                Some(app.focus)
            }
        }
        Action::Back => {
            app.focus = Pane::List;
            if app.zoom.is_some() {
                app.zoom = Some(Pane::List);
            }
        }
        Action::SelectNext => move_in_pane(app, 1),
        Action::SelectPrev => move_in_pane(app, -1),
        Action::PageDown => move_in_pane(app, signed(page(app, app.focus))),
        Action::PageUp => move_in_pane(app, -signed(page(app, app.focus))),
        Action::HalfPageDown => move_in_pane(app, signed(height(app, app.focus) / 2).max(1)),
        Action::HalfPageUp => move_in_pane(app, -signed(height(app, app.focus) / 2).max(1)),
        Action::First => move_in_pane(app, isize::MIN),
        Action::Last => move_in_pane(app, isize::MAX),
        Action::Open => match app.focus {
            Pane::List => app.focus = Pane::Detail,
            Pane::Diffstat => jump_to_file(app),
            Pane::Detail => super::reading::apply(app, action, height(app, Pane::Detail)),
        },
        Action::NextMessage
        | Action::PrevMessage
        | Action::PageDownOrNext
        | Action::Parent
        | Action::NextInThread
        | Action::PrevInThread
        | Action::NextThread
        | Action::PrevThread
        | Action::FirstUnread
        | Action::ToggleQuotes => super::reading::apply(app, action, height(app, Pane::Detail)),
        Action::StartFilter => {
            app.filter.editing = true;
            app.focus = Pane::List;
        }
        Action::ClearFilter => clear_filter(app),
        Action::ToggleFold => {
            if app.list.toggle_fold() {
                rebuild(app);
            }
        }
        Action::ToggleFoldAll => {
            app.list.toggle_fold_all();
            rebuild(app);
            app.note = Some(
                if app.list.fold_all {
                    "series folded"
                } else {
                    "series unfolded"
                }
                .into(),
            );
        }
        // Ranked matches have no sort key: the first `s` or `S` goes back to the key's order.
        Action::SortNext if ranking_shown(app) => {
            app.filter.by_score = false;
            rebuild(app);
            app.note = Some(format!("matches sorted by {}", app.list.sort.name()));
        }
        Action::SortNext => {
            app.list.sort = app.list.sort.next();
            resort(app);
            app.note = Some(format!("sorted by {}", app.list.sort.name()));
        }
        Action::ReverseSort => {
            app.filter.by_score = false;
            app.list.reversed = !app.list.reversed;
            resort(app);
        }
        Action::ToggleScoreOrder => {
            app.filter.by_score = !app.filter.by_score;
            let needs_ranking = app.filter.by_score
                && app
                    .filter
                    .applied
                    .as_ref()
                    .is_some_and(|(_, o)| o.ranked.is_empty());
            if needs_ranking {
                request_filter(app, effects);
            } else {
                rebuild(app);
            }
            let order = if app.filter.by_score {
                "match score"
            } else {
                app.list.sort.name()
            };
            app.note = Some(format!("matches ordered by {order}"));
        }
        Action::ScrollLeft => app.detail.left = app.detail.left.saturating_sub(SIDEWAYS_COLUMNS),
        Action::ScrollRight => app.detail.left = app.detail.left.saturating_add(SIDEWAYS_COLUMNS),
        Action::NextFile => app
            .detail
            .jump(|d| &d.file_starts, true, height(app, Pane::Detail)),
        Action::PrevFile => app
            .detail
            .jump(|d| &d.file_starts, false, height(app, Pane::Detail)),
        Action::NextHunk => app
            .detail
            .jump(|d| &d.hunk_starts, true, height(app, Pane::Detail)),
        Action::PrevHunk => app
            .detail
            .jump(|d| &d.hunk_starts, false, height(app, Pane::Detail)),
        Action::SearchDetail => {
            app.detail.search.editing = true;
            app.detail.search.prompt.clear();
            app.detail.run_search();
            app.focus = Pane::Detail;
        }
        Action::SearchNext => app.detail.search_step(true, height(app, Pane::Detail)),
        Action::SearchPrev => app.detail.search_step(false, height(app, Pane::Detail)),
        Action::PromptAccept => {
            if app.filter.editing {
                app.filter.editing = false;
                app.focus = Pane::List;
            } else if app.detail.search.editing {
                app.detail.search.editing = false;
                app.detail.search.current = None;
                app.detail.search_step(true, height(app, Pane::Detail));
            }
        }
        Action::PromptCancel => {
            if app.filter.editing {
                app.filter.editing = false;
                clear_filter(app);
            } else {
                app.detail.search.editing = false;
                app.detail.search.prompt.clear();
                app.detail.run_search();
            }
        }
        Action::PromptBackspace => edit_prompt(app, effects, |p| p.backspace()),
        Action::PromptDeleteWord => edit_prompt(app, effects, |p| p.delete_word()),
        Action::PromptClear => edit_prompt(app, effects, |p| p.clear()),
        Action::Input(c) => edit_prompt(app, effects, |p| p.push(c)),
        Action::ToggleMark
        | Action::MarkSeries
        | Action::ClearMarks
        | Action::Export
        | Action::Pipe
        | Action::OpenPager
        | Action::OpenEditor
        | Action::CopyId
        | Action::CopyLink => {
            super::act::apply(app, action, effects);
        }
        Action::PrevVersion | Action::NextVersion | Action::ToggleInterdiff => {
            super::versions::apply(app, action);
        }
    }
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

/// Moves within the focused pane: the list cursor, the detail scroll, the diffstat cursor.
/// `isize::MIN`/`MAX` go to the first/last row.
fn move_in_pane(app: &mut App, delta: isize) {
    match app.focus {
        Pane::List => app.list.move_by(delta),
        Pane::Detail => app.detail.scroll_by(delta, height(app, Pane::Detail)),
        Pane::Diffstat => {
            let last = app.diffstat_files().len().saturating_sub(1);
            app.diffstat.cursor = app.diffstat.cursor.saturating_add_signed(delta).min(last);
        }
    }
}

/// The next pane that is on screen, in the order list, detail, diffstat.
fn cycle_focus(app: &mut App, forward: bool) {
    let order = [Pane::List, Pane::Detail, Pane::Diffstat];
    let has_stat = !app.diffstat_files().is_empty();
    let at = order.iter().position(|&p| p == app.focus).unwrap_or(0);
    for step in 1..=order.len() {
        let index = if forward {
            at + step
        } else {
            at + order.len() * 2 - step
        } % order.len();
        let Some(&pane) = order.get(index) else {
            continue;
        };
        if pane != Pane::Diffstat || has_stat {
            app.focus = pane;
            break;
        }
    }
    if app.zoom.is_some() {
        app.zoom = Some(app.focus);
    }
}

fn jump_to_file(app: &mut App) {
    let target = app
        .detail
        .doc()
        .and_then(|d| d.file_starts.get(app.diffstat.cursor).copied());
    if let Some(line) = target {
        app.detail.scroll_to(line, height(app, Pane::Detail));
    }
}

/// Edits whichever prompt is open; the filter re-runs on every keystroke, the detail search
/// re-marks its matches.
fn edit_prompt(
    app: &mut App,
    effects: &mut Vec<Effect>,
    edit: impl FnOnce(&mut super::prompt::Prompt),
) {
    if app.filter.editing {
        edit(&mut app.filter.prompt);
        request_filter(app, effects);
    } else if app.detail.search.editing {
        edit(&mut app.detail.search.prompt);
        app.detail.run_search();
        app.detail.search.current = None;
    }
}

/// Asks for the filter of the prompt's query; an empty query shows everything at once.
fn request_filter(app: &mut App, effects: &mut Vec<Effect>) {
    app.filter.generation += 1;
    if app.filter.prompt.text.trim().is_empty() {
        app.filter.running = false;
        app.filter.ranking = false;
        app.filter.ranking_rest = false;
        app.filter.error = None;
        app.filter.applied = None;
        rebuild(app);
    } else if app.archive.is_some() {
        app.filter.running = true;
        app.filter.ranking = app.filter.by_score;
        app.filter.ranking_rest = false;
        effects.push(Effect::Filter {
            generation: app.filter.generation,
            query: app.filter.prompt.text.clone(),
            ranked: app.filter.by_score,
        });
    }
}

pub(super) fn clear_filter(app: &mut App) {
    app.filter.prompt.clear();
    app.filter.generation += 1;
    app.filter.running = false;
    app.filter.ranking = false;
    app.filter.ranking_rest = false;
    app.filter.error = None;
    if app.filter.applied.take().is_some() {
        rebuild(app);
    }
}

/// Whether the list shows a filter's matches ranked by score.
fn ranking_shown(app: &App) -> bool {
    app.filter.by_score
        && app
            .filter
            .applied
            .as_ref()
            .is_some_and(|(_, o)| !o.ranked.is_empty())
}

/// Sorts the whole archive again (sort key changed, or it just loaded) and rebuilds the rows.
fn resort(app: &mut App) {
    if let Some(archive) = app.archive.clone() {
        app.list.sort(Catalog {
            messages: archive.messages(),
            series_of: &app.series_of,
            threads: archive.threads(),
        });
        rebuild(app);
    }
}

/// Rebuilds the rows from the sorted order and the filter's matches.
fn rebuild(app: &mut App) {
    match &app.filter.applied {
        None => app.list.rebuild(None),
        Some((_, outcome)) if app.filter.by_score && !outcome.ranked.is_empty() => {
            app.list.show_ranked(&outcome.ranked);
        }
        Some((_, outcome)) => app.list.rebuild(Some(&outcome.matched)),
    }
}

/// After any change: keep the list cursor on screen, load the selected message into the
/// detail, and ask for decorations of the detail's visible lines.
fn follow_selection(app: &mut App, effects: &mut Vec<Effect>) {
    app.list.scroll_to_cursor(height(app, Pane::List));
    if let Some(msg) = app.list.selected() {
        if !app.detail.is_for(msg) && !app.detail.show_recent(msg) {
            let request = app.request_id();
            app.detail.pending = Some((msg, request));
            effects.push(Effect::LoadDetail {
                request,
                msg,
                view: app.detail.view,
            });
        }
        if app.detail.doc().is_some_and(|d| d.msg == msg) && app.detail.pending.is_none() {
            let rows = height(app, Pane::Detail);
            app.detail.scroll_by(0, rows);
            if let Some((body, msg, lines)) = app.detail.wanted_colors(rows) {
                effects.push(Effect::Highlight {
                    msg,
                    body,
                    syntax: app.color,
                    lines,
                });
            }
        }
    }
    super::reading::mark_shown(app);
    let files = app.diffstat_files().len();
    let rows = height(app, Pane::Diffstat).max(1);
    let stat = &mut app.diffstat;
    stat.cursor = stat.cursor.min(files.saturating_sub(1));
    if stat.cursor < stat.offset {
        stat.offset = stat.cursor;
    } else if stat.cursor >= stat.offset + rows {
        stat.offset = stat.cursor + 1 - rows;
    }
}

/// Wheel scrolls the pane under the pointer; a click focuses it and selects the row.
fn on_mouse(app: &mut App, mouse: MouseEvent) {
    if app.help.is_some() {
        match mouse.kind {
            MouseEventKind::ScrollDown => apply_help_scroll(app, WHEEL_LINES),
            MouseEventKind::ScrollUp => apply_help_scroll(app, -WHEEL_LINES),
            MouseEventKind::Down(_) => app.help = None,
            _ => {}
        }
        return;
    }
    let areas = app.areas();
    let Some(pane) = areas.pane_at(mouse.column, mouse.row) else {
        return;
    };
    let inner = areas.inner(pane);
    let row = usize::from(mouse.row.saturating_sub(inner.y));
    match mouse.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let delta = if mouse.kind == MouseEventKind::ScrollDown {
                WHEEL_LINES
            } else {
                -WHEEL_LINES
            };
            match pane {
                Pane::List => {
                    let rows = usize::from(inner.height).max(1);
                    let list = &mut app.list;
                    list.offset = list
                        .offset
                        .saturating_add_signed(delta)
                        .min(list.len().saturating_sub(rows));
                    let cursor = list.cursor.clamp(list.offset, list.offset + rows - 1);
                    list.move_to(cursor);
                }
                Pane::Detail => app.detail.scroll_by(delta, usize::from(inner.height)),
                Pane::Diffstat => {
                    app.diffstat.offset = app.diffstat.offset.saturating_add_signed(delta);
                    let last = app
                        .diffstat_files()
                        .len()
                        .saturating_sub(usize::from(inner.height));
                    app.diffstat.offset = app.diffstat.offset.min(last);
                }
            }
        }
        MouseEventKind::Down(MouseButton::Left) => {
            app.focus = pane;
            if !inner.contains(ratatui::layout::Position {
                x: mouse.column,
                y: mouse.row,
            }) {
                return;
            }
            match pane {
                Pane::List => {
                    let target = app.list.offset + row;
                    if target < app.list.len() {
                        app.list.move_to(target);
                    }
                }
                Pane::Diffstat => {
                    let target = app.diffstat.offset + row;
                    if target < app.diffstat_files().len() {
                        app.diffstat.cursor = target;
                        jump_to_file(app);
                    }
                }
                Pane::Detail => {
                    // A click on the In-Reply-To line goes to the message it names.
                    let clicked = app.detail.top + row;
                    let target = app
                        .detail
                        .doc()
                        .and_then(|d| d.parent)
                        .filter(|&(line, _)| app.detail.row_of(line) == clicked);
                    if let Some((_, msg)) = target
                        && let Some(at) = app.list.position(msg)
                    {
                        app.list.move_to(at);
                    }
                }
            }
        }
        _ => {}
    }
}

fn apply_help_scroll(app: &mut App, delta: isize) {
    if let Some(scroll) = app.help.as_mut() {
        *scroll = scroll.saturating_add_signed(delta);
    }
}

#[cfg(test)]
mod tests;
