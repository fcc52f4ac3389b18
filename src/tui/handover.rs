//! Handing the terminal to another program (a pipe command, `$PAGER`, `$EDITOR`) and taking
//! it back.
//!
//! Two things must stop while the other program runs: the reader's screen modes (raw mode,
//! the alternate screen, mouse reporting), which are undone and redone around it, and the
//! input thread, which would otherwise read the keys meant for the pager. The thread never
//! blocks in a read: it polls with a short timeout and passes an [`InputGate`] checkpoint
//! between polls, where it parks while the terminal is handed over. [`hand_over`] waits for
//! it to park before the program starts, so not one keystroke is stolen.

use std::io::{self, Write};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::EnableMouseCapture;
use ratatui::crossterm::terminal::{self as term, EnterAlternateScreen};
use ratatui::crossterm::{cursor, execute};

use super::terminal::{self, TerminalGuard};

/// How long [`InputGate::pause`] waits for the input thread to park; it polls in shorter
/// steps than this, so only a thread that is gone makes the wait run out.
const PARK_WAIT: Duration = Duration::from_millis(500);

#[derive(Debug, Default)]
struct GateState {
    paused: bool,
    parked: bool,
}

/// Lets the event loop stop the input thread reading from the terminal, and start it again.
#[derive(Debug, Default)]
pub struct InputGate {
    state: Mutex<GateState>,
    changed: Condvar,
}

impl InputGate {
    /// Called by the input thread before each poll: returns at once unless the terminal is
    /// handed over, else parks until it is taken back.
    pub fn checkpoint(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.paused {
            state.parked = true;
            self.changed.notify_all();
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.parked = false;
    }

    /// Asks the input thread to stop reading and waits until it has (or `PARK_WAIT`).
    pub fn pause(&self) {
        let deadline = Instant::now() + PARK_WAIT;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.paused = true;
        self.changed.notify_all();
        while !state.parked {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            state = self
                .changed
                .wait_timeout(state, left)
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Lets the input thread read again.
    pub fn resume(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.paused = false;
        self.changed.notify_all();
    }
}

/// Puts the terminal back as the shell had it, with the input thread parked, so another
/// program can use it.
pub fn hand_over(gate: &InputGate) {
    gate.pause();
    terminal::restore();
}

/// Takes the terminal back after [`hand_over`]: the reader's modes again, a full redraw on the
/// next frame, and the input thread reading.
pub fn take_back(guard: &mut TerminalGuard, gate: &InputGate) -> io::Result<()> {
    let result = (|| {
        term::enable_raw_mode()?;
        let mut out = io::stdout();
        execute!(
            out,
            EnterAlternateScreen,
            term::Clear(term::ClearType::All),
            EnableMouseCapture,
            cursor::Hide
        )?;
        out.flush()?;
        force_full_redraw(guard);
        Ok(())
    })();
    gate.resume();
    result
}

/// Stops the process as SIGTSTP would, with the terminal given back to the shell first, and
/// takes it back when the process continues (`fg`, SIGCONT). SIGSTOP is raised rather than
/// SIGTSTP, which the handler catches and which a process group without a parent shell would
/// ignore.
pub fn suspend(guard: &mut TerminalGuard, gate: &InputGate) -> io::Result<()> {
    hand_over(gate);
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    take_back(guard, gate)
}

/// Makes ratatui's record of the screen wrong in every cell, so its next draw repaints them
/// all. (`Terminal::clear` would do this too, but it first asks the terminal where the cursor
/// is, and not every terminal answers.)
fn force_full_redraw(guard: &mut TerminalGuard) {
    let mut frame = guard.terminal.get_frame();
    let area = frame.area();
    *frame.buffer_mut() = Buffer::filled(area, Cell::new("\u{fffd}"));
    guard.terminal.swap_buffers();
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    use super::*;

    #[test]
    fn pause_waits_for_the_reader_to_park_and_resume_frees_it() {
        let gate = Arc::new(InputGate::default());
        let polls = Arc::new(AtomicUsize::new(0));
        let reader = {
            let (gate, polls) = (Arc::clone(&gate), Arc::clone(&polls));
            thread::spawn(move || {
                for _ in 0..200 {
                    gate.checkpoint();
                    polls.fetch_add(1, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(1));
                }
            })
        };
        gate.pause();
        let parked_at = polls.load(Ordering::SeqCst);
        thread::sleep(Duration::from_millis(30));
        assert_eq!(
            polls.load(Ordering::SeqCst),
            parked_at,
            "no polling while paused"
        );
        gate.resume();
        reader.join().unwrap();
        assert_eq!(polls.load(Ordering::SeqCst), 200);
    }

    #[test]
    fn pause_without_a_reader_gives_up() {
        let gate = InputGate::default();
        let start = Instant::now();
        gate.pause();
        assert!(start.elapsed() >= PARK_WAIT);
        gate.resume();
        gate.checkpoint();
    }
}
