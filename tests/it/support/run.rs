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
