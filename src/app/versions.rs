//! Versions in the reader: stepping to the previous or next version of the selected series
//! (the list goes to that version's first message, clearing a filter that hides it), and
//! switching the detail between the message and the interdiff since the previous version.

use super::detail::View;
use super::{Action, App, Pane};

pub(super) fn apply(app: &mut App, action: Action) {
    match action {
        Action::PrevVersion => step(app, false),
        Action::NextVersion => step(app, true),
        Action::ToggleInterdiff => {
            app.detail.view = match app.detail.view {
                View::Message => View::Interdiff,
                View::Interdiff => View::Message,
            };
            // The document of the other view is loaded (or found among the recent ones) by
            // `follow_selection`.
            app.detail.pending = None;
            app.note = Some(
                match app.detail.view {
                    View::Interdiff => "interdiff since the previous version",
                    View::Message => "message",
                }
                .into(),
            );
        }
        _ => {}
    }
}

fn step(app: &mut App, forward: bool) {
    let Some(archive) = app.archive.clone() else {
        return;
    };
    let Some(msg) = app.list.selected() else {
        return;
    };
    let Some((target, version)) = archive.version_step(msg, forward) else {
        app.note = Some(
            if forward {
                "no later version"
            } else {
                "no earlier version"
            }
            .into(),
        );
        return;
    };
    let mut note = format!("v{version}");
    if !app.list.select_message(target) {
        super::update::clear_filter(app);
        if !app.list.select_message(target) {
            app.note = Some(format!("v{version} is not in the list"));
            return;
        }
        note.push_str(" (filter cleared to show it)");
    }
    if app.focus == Pane::Diffstat {
        app.focus = Pane::Detail;
    }
    app.note = Some(note);
}
