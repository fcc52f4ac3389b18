//! Running the tools the tests compare against: git in a scratch repository (no system or user
//! config, a fixed committer), and the real patchdeck binary.

use std::path::Path;
use std::process::{Command, Output};

/// `git args` in `dir`, which must succeed; `env` is set after the defaults, so a test can name
/// its own author, committer or dates.
pub fn git(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_COMMITTER_NAME", "Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.org")
        .envs(env.iter().copied())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The patchdeck binary with `args`, its output captured.
pub fn patchdeck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patchdeck"))
        .args(args)
        .output()
        .expect("patchdeck runs")
}

/// Splits an mboxrd that `export` wrote back into its messages, as sent: `>From` unquoted, the
/// blank line separating each from the next envelope dropped.
pub fn split_export(text: &[u8]) -> Vec<Vec<u8>> {
    let envelope = b"From mboxrd@z Thu Jan  1 00:00:00 1970\n";
    let mut out: Vec<Vec<u8>> = Vec::new();
    for line in text.split_inclusive(|&b| b == b'\n') {
        if line == envelope {
            out.push(Vec::new());
            continue;
        }
        let Some(cur) = out.last_mut() else { continue };
        let arrows = line.iter().take_while(|&&b| b == b'>').count();
        if arrows > 0 && line[arrows..].starts_with(b"From ") {
            cur.extend_from_slice(&line[1..]);
        } else {
            cur.extend_from_slice(line);
        }
    }
    for m in &mut out {
        // The blank separator line after each message.
        if m.ends_with(b"\n\n") {
            m.pop();
        }
    }
    out
}

/// What the patchdeck binary with `args` prints, having succeeded (else the test fails with
/// its stderr).
pub fn patchdeck_stdout(args: &[&str]) -> String {
    let out = patchdeck(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("patchdeck prints UTF-8")
}
