//! Running the act effects over a loaded [`Archive`]: export on a worker, and the pipe, pager,
//! editor and clipboard copy on the event loop's thread, which owns the terminal.
//!
//! The bytes each program gets are built here: a pipe or editor gets one message's raw bytes
//! exactly as they were sent, or for several messages an mboxrd stream in series order (what
//! `git am` and `b4 am -m -` read); the pager gets messages rendered as `patchdeck show` does.

use std::io::{self, Write};
use std::path::PathBuf;

use super::handover::{InputGate, hand_over, take_back};
use super::terminal::TerminalGuard;
use crate::app::act::{ActEffect, Acted, count};
use crate::export::{self, ExportError};
use crate::external::{self, describe};
use crate::index::archive::Archive;
use crate::ui::theme::Theme;
use crate::{clipboard, show};

/// Writes the patches of `messages` to `path` (a leading `~/` is the home directory).
pub fn export(archive: &Archive, messages: &[u32], path: &str, force: bool) -> Acted {
    let patches = export::patches_for(archive, messages);
    if patches.is_empty() {
        return Acted::Failed(format!(
            "nothing to export: no patches among the {}",
            count(messages.len(), "chosen message")
        ));
    }
    let amend = export::Amend::default();
    match export::write_mbox(archive, &patches, &expand_home(path), force, amend) {
        Ok(count) => Acted::Exported {
            count,
            path: path.to_string(),
        },
        Err(ExportError::Exists(_)) => Acted::ExportExists {
            messages: messages.to_vec(),
            path: path.to_string(),
        },
        Err(error) => Acted::Failed(format!("export failed: {error}")),
    }
}

/// `~/x` as a path under `$HOME`; anything else as written (relative to the working
/// directory).
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) if !home.is_empty() => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// `messages` in the order `git am` wants them: each series by patch number, series by their
/// first message, anything else by archive order.
pub fn ordered(archive: &Archive, messages: &[u32]) -> Vec<u32> {
    let mut out = messages.to_vec();
    out.sort_by_key(|&m| {
        let series = archive.series_of(m).and_then(|s| archive.series(s));
        let number = archive
            .messages
            .get(m as usize)
            .and_then(|msg| msg.subject.number)
            .unwrap_or(0);
        (series.map_or(m, |s| s.root), number, m)
    });
    out.dedup();
    out
}

/// What a pipe command or the editor reads: one message raw, several as mboxrd. With
/// `amend` (a pipe, which usually feeds `git am`), patches go as an export writes them, with
/// the trailers given on the list.
pub fn raw_input(archive: &Archive, messages: &[u32], amend: Option<export::Amend>) -> Vec<u8> {
    let bytes = |m: u32| -> Vec<u8> {
        let raw = archive.raw(m);
        let is_patch = archive
            .messages
            .get(m as usize)
            .is_some_and(|msg| msg.kind == crate::model::message::Kind::Patch);
        match amend.filter(|_| is_patch) {
            Some(amend) => {
                let added = export::amend::added_trailers(archive, m, amend);
                export::amend::amended(&raw, &added).into_owned()
            }
            None => raw.into_owned(),
        }
    };
    if let [one] = messages {
        return bytes(*one);
    }
    let mut out = Vec::new();
    for m in ordered(archive, messages) {
        // Writing to a Vec cannot fail.
        let _ = export::write_message(&mut out, &bytes(m));
    }
    out
}

/// What the pager shows: each message rendered, a rule between them.
pub fn rendered(archive: &Archive, messages: &[u32], color: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, m) in ordered(archive, messages).into_iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(format!("\n{}\n\n", "─".repeat(72)).as_bytes());
        }
        let _ = show::write(&mut out, archive, m, Theme::new(color));
    }
    out
}

/// The programs the pager and editor effects run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programs {
    pub pager: String,
    pub editor: String,
}

impl Programs {
    /// `$PAGER`, and `$VISUAL` or `$EDITOR`, with their defaults.
    pub fn from_env() -> Programs {
        Programs {
            pager: external::pager_program(),
            editor: external::editor_program(),
        }
    }
}

/// Runs an act effect (export, pipe, pager, editor, copy) to its end and says how it went.
/// A copy's OSC 52 bytes go to `terminal`; programs inherit the process's terminal, which the
/// caller has handed over.
pub fn run(
    effect: ActEffect,
    archive: &Archive,
    programs: &Programs,
    terminal: &mut dyn Write,
) -> Acted {
    let reads_the_archive = !matches!(effect, ActEffect::Copy { .. });
    if let (true, Err(changed)) = (reads_the_archive, archive.check_unchanged()) {
        return Acted::Failed(changed.to_string());
    }
    match effect {
        ActEffect::Export {
            messages,
            path,
            force,
        } => export(archive, &messages, &path, force),
        ActEffect::Copy { text, what } => {
            match clipboard::copy(terminal, &text, clipboard::inside_tmux()) {
                Ok(()) => Acted::Copied { what },
                Err(error) => Acted::Failed(format!("cannot copy: {error}")),
            }
        }
        ActEffect::Pipe { messages, command } => {
            match external::run_pipe(
                &command,
                &raw_input(archive, &messages, Some(export::Amend::default())),
            ) {
                Ok(status) => Acted::Ran {
                    what: format!("{} piped to `{command}`:", count(messages.len(), "message")),
                    how: describe(status),
                },
                Err(error) => Acted::Failed(format!("cannot run `{command}`: {error}")),
            }
        }
        ActEffect::Pager { messages, color } => {
            let program = &programs.pager;
            match external::run_pager(program, &rendered(archive, &messages, color)) {
                Ok(status) if status.success() => Acted::Ran {
                    what: "pager".into(),
                    how: "closed".into(),
                },
                Ok(status) => Acted::Ran {
                    what: format!("pager `{program}`"),
                    how: describe(status),
                },
                Err(error) => Acted::Failed(format!("cannot run pager `{program}`: {error}")),
            }
        }
        ActEffect::Editor { messages } => {
            let program = &programs.editor;
            match external::run_editor(program, &raw_input(archive, &messages, None)) {
                Ok(outcome) => Acted::Ran {
                    what: format!("editor `{program}`"),
                    how: if outcome.changed {
                        format!(
                            "{}; the edited copy was thrown away (the archive is never written)",
                            describe(outcome.status)
                        )
                    } else {
                        describe(outcome.status)
                    },
                },
                Err(error) => Acted::Failed(format!("cannot run editor `{program}`: {error}")),
            }
        }
    }
}

/// Runs an effect that needs the terminal from the event loop: a copy writes to it; a pipe,
/// pager or editor gets it handed over, and a pipe's output stays up until Enter.
pub fn run_on_terminal(
    effect: ActEffect,
    archive: Option<&Archive>,
    guard: &mut TerminalGuard,
    gate: &InputGate,
) -> Acted {
    let Some(archive) = archive else {
        return Acted::Failed("the archive is still loading".into());
    };
    let programs = Programs::from_env();
    let mut stdout = io::stdout();
    if !effect.needs_terminal() || matches!(effect, ActEffect::Copy { .. }) {
        return run(effect, archive, &programs, &mut stdout);
    }
    let pipe = match &effect {
        ActEffect::Pipe { command, .. } => Some(command.clone()),
        _ => None,
    };
    hand_over(gate);
    let acted = run(effect, archive, &programs, &mut stdout);
    if let (Some(command), Acted::Ran { how, .. }) = (&pipe, &acted) {
        let _ = external::wait_for_enter(command, how);
    }
    match take_back(guard, gate) {
        Ok(()) => acted,
        Err(error) => Acted::Failed(format!("cannot take the terminal back: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_expands_only_at_the_start() {
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
        if let Some(home) = home {
            assert_eq!(
                expand_home("~/v3.mbox"),
                PathBuf::from(home).join("v3.mbox")
            );
        }
        assert_eq!(expand_home("a/~/b"), PathBuf::from("a/~/b"));
        assert_eq!(expand_home("~user/x"), PathBuf::from("~user/x"));
    }
}
