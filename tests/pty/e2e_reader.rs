//! The real binary in a pseudo-terminal, its output read back through a terminal emulator
//! (vt100): what a person sees when they open an archive, filter it, move and switch panes,
//! and quit, and that the terminal is theirs again afterwards.

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Session;

const COLUMNS: u16 = 100;
const ROWS: u16 = 30;

/// Records what the program asked the terminal to do besides drawing.
#[derive(Default)]
struct Watch {
    titles: Vec<Vec<u8>>,
    clipboard: usize,
}

impl vt100::Callbacks for Watch {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }

    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], _: &[u8]) {
        self.clipboard += 1;
    }
}

struct Pty {
    session: expectrl::session::OsSession,
    screen: vt100::Parser<Watch>,
}

impl Pty {
    fn spawn(args: &[&str]) -> Pty {
        let mut command = Command::new(env!("CARGO_BIN_EXE_patchdeck"));
        command.args(args);
        Pty::spawn_command(command)
    }

    fn spawn_command(mut command: Command) -> Pty {
        command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("NO_COLOR");
        let mut session = Session::spawn(command).expect("spawn patchdeck in a pty");
        session
            .get_process_mut()
            .set_window_size(COLUMNS, ROWS)
            .expect("set the pty size");
        Pty {
            session,
            screen: vt100::Parser::new_with_callbacks(ROWS, COLUMNS, 0, Watch::default()),
        }
    }

    /// Reads what the program wrote until `ready` holds for the screen; fails after a while.
    fn wait_for(&mut self, what: &str, ready: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut buf = [0u8; 65536];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => {}
                Ok(n) => self.screen.process(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                // The pty closes when the program exits.
                Err(_) => {}
            }
            if ready(self.screen.screen()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{}",
                self.screen.screen().contents()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_for_text(&mut self, text: &str) {
        let owned = text.to_string();
        self.wait_for(text, move |s| s.contents().contains(&owned));
    }

    fn send(&mut self, keys: &str) {
        self.session
            .write_all(keys.as_bytes())
            .expect("type into the pty");
        self.session.flush().expect("flush the pty");
    }
}

/// The program ended by itself with status 0.
fn assert_exited_cleanly(pty: &Pty) {
    let status = pty.session.get_process().wait().expect("patchdeck exits");
    let status = format!("{status:?}");
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 0)"),
        "{status}"
    );
}

#[test]
fn filter_move_switch_panes_and_quit_restores_the_terminal() {
    let mut pty = Pty::spawn(&["fixtures/reader/series.mbox"]);
    pty.wait_for_text("patchdeck  series.mbox · 5 messages");
    pty.wait_for("the reader on the alternate screen", |s| {
        s.alternate_screen() && s.hide_cursor()
    });
    let first = pty.screen.screen().contents();
    assert!(
        first.contains("evil: ^[]0;pwned^Gtitle ^[[2Jclear"),
        "{first}"
    );

    pty.send("/");
    pty.wait_for_text("/ █");
    pty.send("closest");
    pty.wait_for_text("/ closest");
    pty.send("\r");
    pty.wait_for("the filter kept", |s| {
        s.contents().contains("2 / 5") && !s.contents().contains('█')
    });
    // In thread order, under the cover letter (dimmed context); the cursor lands on the first
    // match, the patch, and its review follows it.
    pty.wait_for_text("From: Ada Lovelace <ada@example.org>");
    pty.send("\t");
    pty.send("G");
    pty.wait_for_text(" static const struct clk_ops foo_ops = {");

    let screen = pty.screen.screen().contents();
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[0].starts_with("patchdeck  series.mbox · 5 messages · 3 patches · 2 series"),
        "{screen}"
    );
    assert!(
        lines[1].contains("v2 0/2 clk: foo: fix rate rounding"),
        "{screen}"
    );
    assert!(
        lines[2].starts_with("▶ 2024-03-04 Ada Lovelace")
            && lines[2].contains("v2 1/2 clk: foo: round to the closest"),
        "{screen}"
    );
    assert!(
        lines[3].contains("Re: v2 1/2 clk: foo: round to the closest rate"),
        "{screen}"
    );
    // The tab after `+` expands to the next 8-column stop.
    assert!(
        screen.contains("+       div = DIV_ROUND_CLOSEST(*parent_rate, rate);"),
        "{screen}"
    );
    assert!(
        screen.contains("drivers/clk/clk-foo.c   4 ++--"),
        "{screen}"
    );
    assert!(
        lines[ROWS as usize - 1].starts_with("/ closest")
            && lines[ROWS as usize - 1].contains("2 / 5"),
        "{screen}"
    );

    pty.send("q");
    pty.wait_for("the terminal restored", |s| {
        !s.alternate_screen() && !s.hide_cursor()
    });
    assert_exited_cleanly(&pty);
    let watch = pty.screen.callbacks();
    assert!(
        watch.titles.is_empty(),
        "the window title was set: {:?}",
        watch.titles
    );
    assert_eq!(watch.clipboard, 0, "the clipboard was written");
    assert_eq!(
        pty.screen.screen().mouse_protocol_mode(),
        vt100::MouseProtocolMode::None
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut pty = Pty::spawn(&["fixtures/reader/series.mbox"]);
    pty.wait_for("the reader on the alternate screen", |s| {
        s.alternate_screen() && s.hide_cursor()
    });
    pty.wait_for_text("5 messages");
    let pid = pty.session.get_process().pid().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(killed.success());
    pty.wait_for("the terminal restored", |s| {
        !s.alternate_screen() && !s.hide_cursor()
    });
    assert_exited_cleanly(&pty);
}

#[test]
fn with_no_path_the_sample_opens() {
    let mut pty = Pty::spawn(&[]);
    pty.wait_for_text("patchdeck  sample archive · 39 messages");
    pty.send("?");
    pty.wait_for_text("Quit patchdeck.");
    pty.send("q");
    pty.wait_for("the help closed", |s| {
        !s.contents().contains("Quit patchdeck.")
    });
    pty.send("q");
    pty.wait_for("the terminal restored", |s| !s.alternate_screen());
}

#[test]
fn an_archive_piped_in_is_read_while_keys_come_from_the_terminal() {
    let mut command = Command::new("sh");
    let pipeline = format!(
        "cat fixtures/reader/series.mbox | exec '{}'",
        env!("CARGO_BIN_EXE_patchdeck")
    );
    command.args(["-c", &pipeline]);
    let mut pty = Pty::spawn_command(command);
    pty.wait_for_text("patchdeck  stdin · 5 messages");
    pty.send("G");
    // Five messages: the fifth row (below the title bar) is the last, whatever the order.
    pty.wait_for("the last row selected", |s| {
        s.contents()
            .lines()
            .nth(5)
            .is_some_and(|l| l.starts_with("▶ "))
    });
    pty.send("q");
    pty.wait_for("the terminal restored", |s| !s.alternate_screen());
}

#[test]
fn an_unreadable_path_is_named_on_the_shell_with_status_2() {
    let mut pty = Pty::spawn(&["/nonexistent/kvm.mbox"]);
    pty.wait_for_text("/nonexistent/kvm.mbox");
    pty.wait_for("the terminal restored", |s| {
        !s.alternate_screen() && !s.hide_cursor()
    });
    let status = format!(
        "{:?}",
        pty.session.get_process().wait().expect("patchdeck exits")
    );
    assert!(status.ends_with(", 2)"), "{status}");
    let screen = pty.screen.screen().contents();
    assert!(
        screen.contains("patchdeck: /nonexistent/kvm.mbox"),
        "{screen}"
    );
}

/// Sends `signal` to the reader and waits until the terminal is the shell's again.
fn signal_restores_the_terminal(signal: &str) {
    let mut pty = Pty::spawn(&["fixtures/reader/series.mbox"]);
    pty.wait_for("the reader on the alternate screen", |s| {
        s.alternate_screen() && s.hide_cursor()
    });
    pty.wait_for_text("5 messages");
    let pid = pty.session.get_process().pid().to_string();
    let killed = Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("run kill");
    assert!(killed.success());
    pty.wait_for("the terminal restored", |s| {
        !s.alternate_screen()
            && !s.hide_cursor()
            && s.mouse_protocol_mode() == vt100::MouseProtocolMode::None
    });
}

#[test]
fn sigint_restores_the_terminal() {
    signal_restores_the_terminal("-INT");
}

#[test]
fn sigquit_restores_the_terminal() {
    signal_restores_the_terminal("-QUIT");
}

/// The process state letter of `pid` (`T` when stopped).
fn process_state(pid: &str) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The state follows the command name, which is in parentheses.
    stat.rsplit_once(") ")
        .and_then(|(_, rest)| rest.chars().next())
        .unwrap_or('?')
}

#[test]
fn sigtstp_restores_the_terminal_and_sigcont_takes_it_back() {
    let mut pty = Pty::spawn(&["fixtures/reader/series.mbox"]);
    pty.wait_for_text("5 messages");
    let pid = pty.session.get_process().pid().to_string();
    assert!(
        Command::new("kill")
            .args(["-TSTP", &pid])
            .status()
            .expect("kill")
            .success()
    );
    pty.wait_for("the terminal restored", |s| {
        !s.alternate_screen() && !s.hide_cursor()
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while process_state(&pid) != 'T' {
        assert!(Instant::now() < deadline, "the reader did not stop");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        Command::new("kill")
            .args(["-CONT", &pid])
            .status()
            .expect("kill")
            .success()
    );
    pty.wait_for("the reader redrawn on the alternate screen", |s| {
        s.alternate_screen() && s.hide_cursor() && s.contents().contains("5 messages")
    });
    // Raw mode again: one key acts without Enter.
    pty.send("q");
    pty.wait_for("the terminal restored after q", |s| !s.alternate_screen());
    assert_exited_cleanly(&pty);
}
