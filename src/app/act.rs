//! Acting on what the user reads: marks, and the prompts and effects of export, pipe, pager,
//! editor and copy.
//!
//! Every action here applies to the marked messages, or when none are marked to the selected
//! one. Nothing here touches a file or the terminal: export and pipe ask for a path or a
//! command in the status bar and then return an [`Effect`]; the event loop runs it (handing the
//! terminal to the pipe, the pager or the editor) and reports back with [`Event::Acted`], which
//! [`acted`] turns into a note, or into the overwrite question when an export target exists.
//!
//! [`Event::Acted`]: super::Event::Acted

use std::collections::BTreeSet;

use super::prompt::Prompt;
use super::{Action, App, Effect};
use crate::model::message::Kind;
use crate::sanitize::sanitize;

/// Marks and the open act prompt.
#[derive(Debug, Clone, Default)]
pub struct ActState {
    /// Marked messages, by message index.
    pub marks: BTreeSet<u32>,
    /// The status-bar prompt of an action under way, which has the keys while open.
    pub prompt: Option<ActPrompt>,
    /// The last pipe command run, offered again the next time.
    pub last_pipe: Option<String>,
}

/// A question in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActPrompt {
    /// Where to write `messages` as an mbox; `what` names what that writes (`10 patches of
    /// v2`).
    ExportPath {
        messages: Vec<u32>,
        what: String,
        input: Prompt,
    },
    /// Which command to pipe `messages` to.
    PipeCommand { messages: Vec<u32>, input: Prompt },
    /// `path` exists: write `messages` over it? Only `y` says yes.
    ConfirmOverwrite { messages: Vec<u32>, path: String },
}

impl ActPrompt {
    /// What the status bar shows before the typed text.
    pub fn label(&self) -> String {
        match self {
            ActPrompt::ExportPath { what, .. } => format!("export {what} to: "),
            ActPrompt::PipeCommand { messages, .. } => {
                format!("pipe {} to: ", count(messages.len(), "message"))
            }
            ActPrompt::ConfirmOverwrite { path, .. } => {
                format!("{} exists. Overwrite? (y/N) ", sanitize(path))
            }
        }
    }

    /// The text typed so far, for the prompts that take text.
    pub fn input(&self) -> Option<&Prompt> {
        match self {
            ActPrompt::ExportPath { input, .. } | ActPrompt::PipeCommand { input, .. } => {
                Some(input)
            }
            ActPrompt::ConfirmOverwrite { .. } => None,
        }
    }
}

/// Work an action asks of the event loop; it answers with [`Acted`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActEffect {
    /// Write the patches of `messages` (a cover letter standing for its series) to `path` as
    /// an mbox; an existing file is only replaced when `force`.
    Export {
        messages: Vec<u32>,
        path: String,
        force: bool,
    },
    /// Run `command` through `sh -c` with the raw `messages` on its stdin, terminal handed
    /// over.
    Pipe { messages: Vec<u32>, command: String },
    /// Show `messages` rendered (with ANSI colours when `color`) in $PAGER.
    Pager { messages: Vec<u32>, color: bool },
    /// Open a temporary copy of the raw `messages` in $VISUAL/$EDITOR.
    Editor { messages: Vec<u32> },
    /// Put `text` on the clipboard with OSC 52; `what` names it for the note.
    Copy { text: String, what: String },
}

impl ActEffect {
    /// Whether it writes to the terminal or hands it to a program (all but export).
    pub fn needs_terminal(&self) -> bool {
        !matches!(self, ActEffect::Export { .. })
    }
}

/// What an act effect came to, sent back by the event loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acted {
    /// `count` patches were written to `path`.
    Exported { count: usize, path: String },
    /// The export target exists and was left alone; the user is asked.
    ExportExists { messages: Vec<u32>, path: String },
    /// A pipe, pager or editor ran; `what` names it, `how` says how it ended.
    Ran { what: String, how: String },
    /// The text was sent to the terminal's clipboard.
    Copied { what: String },
    /// It could not be done: why.
    Failed(String),
}

/// `1 message`, `3 messages`, `2 patches`.
pub fn count(n: usize, thing: &str) -> String {
    match n {
        1 => format!("1 {thing}"),
        _ if thing.ends_with("ch") || thing.ends_with('s') => format!("{n} {thing}es"),
        _ => format!("{n} {thing}s"),
    }
}

/// The messages an action applies to: the marked ones, else the selected one.
pub fn chosen(app: &App) -> Vec<u32> {
    if app.act.marks.is_empty() {
        app.list.selected().into_iter().collect()
    } else {
        app.act.marks.iter().copied().collect()
    }
}

/// Applies one of the acting actions; returns false for any other action.
pub fn apply(app: &mut App, action: Action, effects: &mut Vec<Effect>) -> bool {
    match action {
        Action::ToggleMark => toggle_mark(app),
        Action::MarkSeries => mark_series(app),
        Action::ClearMarks => {
            let n = app.act.marks.len();
            app.act.marks.clear();
            app.note = Some(format!("{} unmarked", count(n, "message")));
        }
        Action::Export => {
            let messages = chosen(app);
            if messages.is_empty() {
                app.note = Some("nothing to export".into());
            } else {
                let mut input = Prompt::default();
                for c in suggested_file_name(app, &messages).chars() {
                    input.push(c);
                }
                let what = app.archive.as_ref().map_or_else(
                    || count(messages.len(), "message"),
                    |a| a.export_summary(&messages),
                );
                app.act.prompt = Some(ActPrompt::ExportPath {
                    messages,
                    what,
                    input,
                });
            }
        }
        Action::Pipe => {
            let messages = chosen(app);
            if messages.is_empty() {
                app.note = Some("nothing to pipe".into());
            } else {
                let mut input = Prompt::default();
                for c in app.act.last_pipe.iter().flat_map(|s| s.chars()) {
                    input.push(c);
                }
                app.act.prompt = Some(ActPrompt::PipeCommand { messages, input });
            }
        }
        Action::OpenPager => {
            let messages = chosen(app);
            if !messages.is_empty() {
                effects.push(Effect::Act(ActEffect::Pager {
                    messages,
                    color: app.color,
                }));
            }
        }
        Action::OpenEditor => {
            let messages = chosen(app);
            if !messages.is_empty() {
                effects.push(Effect::Act(ActEffect::Editor { messages }));
            }
        }
        Action::CopyId | Action::CopyLink => copy(app, action == Action::CopyLink, effects),
        _ => return false,
    }
    true
}

/// Handles a key while an act prompt is open: typing edits it, Enter runs it, Esc leaves it.
pub fn on_prompt(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
    let Some(prompt) = app.act.prompt.take() else {
        return;
    };
    if let ActPrompt::ConfirmOverwrite { messages, path } = prompt {
        if matches!(action, Action::Input('y' | 'Y')) {
            effects.push(Effect::Act(ActEffect::Export {
                messages,
                path,
                force: true,
            }));
        } else {
            app.note = Some("export cancelled; nothing written".into());
        }
        return;
    }
    let (messages, mut input, export_what) = match prompt {
        ActPrompt::ExportPath {
            messages,
            what,
            input,
        } => (messages, input, Some(what)),
        ActPrompt::PipeCommand { messages, input } => (messages, input, None),
        ActPrompt::ConfirmOverwrite { .. } => return,
    };
    match action {
        Action::PromptAccept => {
            let text = input.text.trim().to_string();
            if text.is_empty() {
                app.note = Some("cancelled".into());
            } else if export_what.is_some() {
                effects.push(Effect::Act(ActEffect::Export {
                    messages,
                    path: text,
                    force: false,
                }));
            } else {
                app.act.last_pipe = Some(text.clone());
                effects.push(Effect::Act(ActEffect::Pipe {
                    messages,
                    command: text,
                }));
            }
            return;
        }
        Action::PromptCancel => {
            app.note = Some("cancelled".into());
            return;
        }
        Action::PromptBackspace => input.backspace(),
        Action::PromptDeleteWord => input.delete_word(),
        Action::PromptClear => input.clear(),
        Action::Input(c) => input.push(c),
        // Anything else (a movement key bound in the prompt) leaves the prompt as it is.
        _ => {}
    }
    app.act.prompt = Some(if let Some(what) = export_what {
        ActPrompt::ExportPath {
            messages,
            what,
            input,
        }
    } else {
        ActPrompt::PipeCommand { messages, input }
    });
}

/// Turns the outcome of an act effect into what the user sees next.
pub fn acted(app: &mut App, outcome: Acted) {
    app.note = Some(match outcome {
        Acted::Exported { count: n, path } => {
            format!("wrote {} to {}", count(n, "patch"), sanitize(&path))
        }
        Acted::ExportExists { messages, path } => {
            app.act.prompt = Some(ActPrompt::ConfirmOverwrite { messages, path });
            return;
        }
        Acted::Ran { what, how } => format!("{} {how}", sanitize(&what)),
        Acted::Copied { what } => format!("copied {}", sanitize(&what)),
        Acted::Failed(why) => sanitize(&why).into_owned(),
    });
}

/// Marks or unmarks the selected message and moves to the next row, as mutt's tag does, so a
/// run of messages is marked by holding the key.
fn toggle_mark(app: &mut App) {
    let Some(msg) = app.list.selected() else {
        return;
    };
    if !app.act.marks.remove(&msg) {
        app.act.marks.insert(msg);
    }
    app.list.move_by(1);
}

/// Marks the patches of the selected message's series (cover letter and replies left out,
/// since `git am` applies patches); unmarks them when all already are.
fn mark_series(app: &mut App) {
    let Some(msg) = app.list.selected() else {
        return;
    };
    let patches: Vec<u32> = match app.series_of(msg) {
        Some(series) => (0..u32::try_from(app.messages().len()).unwrap_or(u32::MAX))
            .filter(|&m| app.series_of(m) == Some(series))
            .filter(|&m| {
                app.messages()
                    .get(m as usize)
                    .is_some_and(|m| m.kind == Kind::Patch)
            })
            .collect(),
        None => vec![msg],
    };
    if patches.iter().all(|m| app.act.marks.contains(m)) {
        for m in &patches {
            app.act.marks.remove(m);
        }
        app.note = Some(format!("{} unmarked", count(patches.len(), "patch")));
    } else {
        app.act.marks.extend(patches.iter().copied());
        app.note = Some(format!("{} marked", count(patches.len(), "patch")));
    }
}

/// Copies the Message-IDs (or lore links) of the chosen messages, space-separated.
fn copy(app: &mut App, link: bool, effects: &mut Vec<Effect>) {
    let ids: Vec<&str> = chosen(app)
        .into_iter()
        .filter_map(|m| app.messages().get(m as usize))
        .map(|m| &*m.id)
        .collect();
    if ids.is_empty() {
        app.note = Some("nothing to copy".into());
        return;
    }
    let items: Vec<String> = if link {
        ids.iter()
            .map(|id| crate::model::message::lore_link(id))
            .collect()
    } else {
        ids.iter().map(|id| (*id).to_string()).collect()
    };
    let what = if items.len() == 1 {
        items.first().cloned().unwrap_or_default()
    } else if link {
        count(items.len(), "lore link")
    } else {
        count(items.len(), "Message-ID")
    };
    effects.push(Effect::Act(ActEffect::Copy {
        text: items.join(" "),
        what,
    }));
}

/// A file name for exporting `messages`, from the first one's version and title, as b4
/// names its mboxes: `v3-mm-mark-follow_pfn-usage.mbox`.
fn suggested_file_name(app: &App, messages: &[u32]) -> String {
    let Some(first) = messages
        .first()
        .and_then(|&m| app.messages().get(m as usize))
    else {
        return "patches.mbox".into();
    };
    let mut slug = String::new();
    if let Some(v) = first.subject.version.filter(|&v| v > 1) {
        slug.push_str(&format!("v{v}-"));
    }
    let mut dash = false;
    for c in first.subject.title().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if dash && !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            slug.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
        if slug.len() >= 48 {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "patches.mbox".into()
    } else {
        format!("{slug}.mbox")
    }
}

#[cfg(test)]
mod tests;
