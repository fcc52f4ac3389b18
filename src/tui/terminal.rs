//! The terminal, put into the reader's mode and always put back: raw mode, the alternate
//! screen, mouse reporting and a hidden cursor are undone when the guard drops (quit, error),
//! from the panic hook (a bug), and on SIGTERM, SIGHUP, SIGINT and SIGQUIT (which arrive as an
//! event, so the normal path restores). SIGTSTP gives the terminal back before the process
//! stops; SIGCONT takes it again. Keys are read from the terminal itself, so when stdin is a pipe holding the
//! archive, crossterm reads `/dev/tty` instead.

use std::io::{self, Stdout, Write};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Once};
use std::thread;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::crossterm::{cursor, execute};

use super::handover::InputGate;
use crate::app::Event;

pub type Backend = CrosstermBackend<Stdout>;

/// The terminal in reader mode; restores it when dropped.
pub struct TerminalGuard {
    pub terminal: Terminal<Backend>,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        terminal::enable_raw_mode()?;
        let entered = execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            cursor::Hide
        );
        if let Err(error) = entered {
            restore();
            return Err(error);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(error) => {
                restore();
                Err(error)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as the shell had it. Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal before a panic message is printed, so the message is readable and
/// the shell usable.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// How long the input thread waits for a key before passing its gate again.
const INPUT_POLL: std::time::Duration = std::time::Duration::from_millis(40);

/// Reads terminal events on a thread of their own and sends them on `events`; parks at
/// `gate` while the terminal is handed to another program.
pub fn spawn_input(events: Sender<Event>, gate: Arc<InputGate>) -> io::Result<()> {
    thread::Builder::new().name("input".into()).spawn(move || {
        loop {
            gate.checkpoint();
            match event::poll(INPUT_POLL) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(_) => {
                    let _ = events.send(Event::Terminate);
                    break;
                }
            }
            let translated = match event::read() {
                Ok(event::Event::Key(key)) => Event::Key(key),
                Ok(event::Event::Mouse(mouse)) => Event::Mouse(mouse),
                Ok(event::Event::Resize(width, height)) => Event::Resize { width, height },
                Ok(_) => continue,
                // The terminal is gone (hangup): leave as on SIGHUP.
                Err(_) => Event::Terminate,
            };
            let terminate = matches!(translated, Event::Terminate);
            if events.send(translated).is_err() || terminate {
                break;
            }
        }
    })?;
    Ok(())
}

/// Turns SIGTERM, SIGHUP, SIGINT and SIGQUIT into [`Event::Terminate`], so the event loop
/// leaves normally and the guard restores the terminal; SIGTSTP and SIGCONT into
/// [`Event::Suspend`] and [`Event::Continued`], so the loop gives the terminal back before the
/// process stops and takes it back when it runs again.
pub fn spawn_signals(events: Sender<Event>) -> io::Result<()> {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])?;
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                let event = match signal {
                    SIGTSTP => Event::Suspend,
                    SIGCONT => Event::Continued,
                    _ => Event::Terminate,
                };
                let last = matches!(event, Event::Terminate);
                if events.send(event).is_err() || last {
                    break;
                }
            }
        })?;
    Ok(())
}
