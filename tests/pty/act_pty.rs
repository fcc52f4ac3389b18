//! The real binary in a pseudo-terminal: the pager and a pipe command get the terminal and
//! the message, the reader takes the terminal back afterwards and still answers keys.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Session;
use expectrl::process::Healthcheck;
use expectrl::session::OsSession;

/// One message, as it would be sent.
const MESSAGE: &str = "From: Ada Lovelace <ada@example.org>\n\
Date: Wed, 21 Oct 2020 10:56:49 +0200\n\
Subject: [PATCH] clk: keep the rate\n\
Message-ID: <rate@example.org>\n\
\n\
Keep it.\n\
\n\
Signed-off-by: Ada Lovelace <ada@example.org>\n\
---\n\
diff --git a/clk.c b/clk.c\n\
--- a/clk.c\n\
+++ b/clk.c\n\
@@ -1 +1 @@\n\
-int rate;\n\
+int rate = 1;\n";

const WAIT: Duration = Duration::from_secs(20);

struct Pty {
    session: OsSession,
    screen: vt100::Parser,
}

impl Pty {
    fn spawn(mbox: &Path, home: &Path, pager: &str) -> Pty {
        let mut command = Command::new(env!("CARGO_BIN_EXE_patchdeck"));
        command
            .arg(mbox)
            .env("TERM", "xterm-256color")
            .env("HOME", home)
            .env("PAGER", pager)
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("TMUX");
        let mut session = Session::spawn(command).unwrap();
        session.get_process_mut().set_window_size(100, 30).unwrap();
        Pty {
            session,
            screen: vt100::Parser::new(30, 100, 0),
        }
    }

    /// Reads what the program has drawn so far.
    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        while let Ok(n) = self.session.try_read(&mut buf) {
            if n == 0 {
                break;
            }
            self.screen.process(buf.get(..n).unwrap_or_default());
        }
    }

    fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    /// Waits until `done` holds, reading the screen meanwhile; fails after [`WAIT`].
    fn until(&mut self, what: &str, mut done: impl FnMut(&mut Pty) -> bool) {
        let start = Instant::now();
        loop {
            self.pump();
            if done(self) {
                return;
            }
            assert!(
                start.elapsed() < WAIT,
                "timed out waiting for {what}; screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, bytes: &str) {
        self.session.write_all(bytes.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }
}

#[test]
fn pager_and_pipe_get_the_terminal_and_the_reader_gets_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = dir.path().join("one.mbox");
    fs::write(
        &mbox,
        format!("From mboxrd@z Thu Jan  1 00:00:00 1970\n{MESSAGE}"),
    )
    .unwrap();
    let paged = dir.path().join("paged");
    let piped = dir.path().join("piped");
    let pager = format!("sh -c 'cp \"$1\" {}' sh", paged.display());
    let mut pty = Pty::spawn(&mbox, dir.path(), &pager);
    pty.until("the list", |p| p.contents().contains("clk: keep the rate"));

    pty.send("v");
    // Read what the pager wrote once it has exited (the reader's note says so): the file
    // exists as soon as `cp` opens it, before it holds anything.
    pty.until("the note after the pager", |p| {
        p.contents().contains("pager closed")
    });
    // The pager gets the detail pane's lines, coloured: compare the text without the escapes.
    let page = without_escapes(&fs::read_to_string(&paged).unwrap());
    assert!(page.contains("+int rate = 1;"), "{page}");

    pty.send(&format!("|cat > {}\r", piped.display()));
    pty.until("the pipe's end", |p| {
        p.contents().contains("Press Enter to return")
    });
    assert_eq!(fs::read_to_string(&piped).unwrap(), MESSAGE);
    pty.send("\r");
    pty.until("the reader back with the pipe's status", |p| {
        p.contents().contains("piped to `cat >") && p.contents().contains("exited 0")
    });

    // Keys reach the reader again once the terminal is back.
    pty.send("?");
    pty.until("the help overlay", |p| {
        p.contents().contains("Quit patchdeck.")
    });
    pty.send("q");
    pty.send("q");
    pty.until("the reader to quit", |p| {
        !p.session.get_process().is_alive().unwrap_or(false)
    });
    let mut rest = Vec::new();
    let _ = pty.session.read_to_end(&mut rest);
}

/// `text` without its CSI colour sequences (`ESC [ ... m`).
fn without_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Skip `[`, parameters, and the final letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
