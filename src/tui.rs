//! The interactive reader: terminal setup and restore, the event loop, and the runtime that
//! runs effects off the UI thread.
//!
//! The loop waits on one channel carrying terminal input, signals and worker results; it feeds
//! each event to [`app::update`], hands the returned effects to the [`runtime::Runtime`], and
//! redraws once the events that arrived together have all been applied. The archive loads on a
//! worker while the first screen is already up with progress in the status line.

pub mod act;
pub mod handover;
pub mod runtime;
pub mod terminal;
pub mod work;

use std::io::{self, IsTerminal};

use anyhow::Context as _;
use ratatui::layout::Rect;

use self::runtime::Runtime;
use self::terminal::TerminalGuard;
use crate::app::{self, App, Settings};
use crate::config::{Config, colors_enabled};
use crate::source::Input;

/// How the reader is started.
#[derive(Debug, Clone, Default)]
pub struct TuiOptions {
    /// Replaces the archive's own name in the title bar (the bundled sample is
    /// "sample archive").
    pub label: Option<String>,
    /// The user's configuration: the reader's settings and the syntax theme. Colour is also
    /// off when `NO_COLOR` is set.
    pub config: Config,
}

/// Runs the reader over `inputs` until the user quits; returns the process exit code. When
/// nothing at all could be read, the terminal is restored and the error returned. When
/// nothing at all could be read, the terminal is restored and the error returned.
pub fn run_tui(inputs: Vec<Input>, options: TuiOptions) -> anyhow::Result<i32> {
    if !io::stdout().is_terminal() {
        anyhow::bail!("the reader needs a terminal; use `patchdeck list` to print messages");
    }
    let Config {
        reader: settings,
        syntax_theme,
        read,
    } = options.config;
    let settings = Settings {
        color: settings.color && colors_enabled(),
        ..settings
    };
    let first_label = options
        .label
        .clone()
        .unwrap_or_else(|| match inputs.as_slice() {
            [one] => one.label(),
            many => format!("{} inputs", many.len()),
        });

    let mut guard = TerminalGuard::enter().context("cannot set up the terminal")?;
    let size = guard
        .terminal
        .size()
        .context("cannot read the terminal size")?;
    let mut app = App::new(
        settings,
        Rect::new(0, 0, size.width, size.height),
        first_label,
    );
    let sort = app.list.sort;
    crate::highlight::use_theme(&syntax_theme);
    let runtime = Runtime::start_with(inputs, options.label, read, sort);
    let gate = std::sync::Arc::new(handover::InputGate::default());
    terminal::spawn_input(runtime.sender(), std::sync::Arc::clone(&gate))
        .context("cannot read the keyboard")?;
    // Without the handler the default action (exit without restoring) stays; still usable.
    let _ = terminal::spawn_signals(runtime.sender());

    guard
        .terminal
        .draw(|frame| crate::ui::draw(frame, &app))
        .context("cannot draw")?;
    while let Some(first) = runtime.recv() {
        let mut event = Some(first);
        while let Some(current) = event.take() {
            // Job control concerns the terminal only; the state does not change.
            if matches!(current, app::Event::Suspend | app::Event::Continued) {
                let _ = if matches!(current, app::Event::Suspend) {
                    handover::suspend(&mut guard, &gate)
                } else {
                    handover::take_back(&mut guard, &gate)
                };
                event = runtime.try_recv();
                continue;
            }
            let (on_terminal, work): (Vec<_>, Vec<_>) = app::update(&mut app, current)
                .into_iter()
                .partition(app::Effect::needs_terminal);
            runtime.dispatch(work);
            for effect in on_terminal {
                match effect {
                    app::Effect::Act(effect) => {
                        let archive = runtime.archive().map(|a| a.as_ref());
                        let acted = act::run_on_terminal(effect, archive, &mut guard, &gate);
                        let _ = runtime.sender().send(app::Event::Acted(acted));
                    }
                    // Stopped here until SIGCONT, whose event takes the terminal back.
                    app::Effect::Suspend => {
                        let _ = handover::suspend(&mut guard, &gate);
                    }
                    _ => {}
                }
            }
            if app.quit {
                break;
            }
            event = runtime.try_recv();
        }
        // Nothing could be read: say why on the shell, where it stays readable.
        if app.quit || app.load.error.is_some() && app.archive.is_none() {
            break;
        }
        guard
            .terminal
            .draw(|frame| crate::ui::draw(frame, &app))
            .context("cannot draw")?;
        if app.load.done {
            runtime.list_shown();
        }
    }
    drop(guard);
    // An export still being written when the reader leaves (SIGTERM) leaves no temp file.
    crate::export::remove_unfinished();
    match (&app.load.error, &app.archive) {
        (Some(error), None) => Err(anyhow::anyhow!("{error}")),
        _ => Ok(0),
    }
}
