//! Pipe, pager and editor run real programs: mail travels only on stdin or in a temporary
//! file, paths reach the shell as arguments, and the archive's bytes are never changed.

use std::fs;
use std::path::Path;

use patchdeck::external::{file_command, run_editor, run_pager, run_pipe};

/// A message whose bytes would do damage if they were ever read as shell code.
const HOSTILE: &[u8] = b"From: Mallory <m@example.org>\n\
Subject: [PATCH] $(touch PWNED) `touch PWNED` '; touch PWNED; '\n\
\n\
\"$(touch PWNED)\"\n\
\x1b]52;c;aGk=\x07\x00 NUL and \xff\xfe invalid UTF-8\n";

fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("patchdeck-{name}-"))
        .tempdir()
        .unwrap()
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

#[test]
fn pipe_gives_the_command_exactly_the_raw_bytes() {
    let dir = scratch("pipe");
    let out = dir.path().join("received");
    let command = format!("cd {} && cat > {}", quoted(dir.path()), quoted(&out));
    let status = run_pipe(&command, HOSTILE).unwrap();
    assert!(status.success());
    assert_eq!(fs::read(&out).unwrap(), HOSTILE);
    assert!(!dir.path().join("PWNED").exists());
}

#[test]
fn pipe_reports_the_commands_status() {
    let status = run_pipe("cat >/dev/null; exit 7", b"x\n").unwrap();
    assert_eq!(status.code(), Some(7));
}

#[test]
fn a_command_that_reads_nothing_is_not_an_error() {
    // Far more than a pipe buffer, to a command that never reads it.
    let big = vec![b'a'; 4 << 20];
    let status = run_pipe("exit 0", &big).unwrap();
    assert!(status.success());
    let status = run_pipe("head -c 10 >/dev/null", &big).unwrap();
    assert!(status.success());
}

#[test]
fn pager_values_with_arguments_get_the_file_as_one_argument() {
    let dir = scratch("pager");
    let file = dir.path().join("it's a $(touch PWNED) \"file\".patch");
    fs::write(&file, "line one\nline two\n").unwrap();
    let output = file_command("head -n 1", &file)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stdout, b"line one\n");
    assert!(!dir.path().join("PWNED").exists());
}

#[test]
fn pager_sees_the_text_it_is_given() {
    let dir = scratch("pager-text");
    let out = dir.path().join("shown");
    // A "pager" that copies its file; `$1` inside is the pager's own argument.
    let program = format!("sh -c 'cp \"$1\" {}' sh", quoted(&out));
    let status = run_pager(&program, b"\x1b[1mbold\x1b[0m diff\n").unwrap();
    assert!(status.success());
    assert_eq!(fs::read(&out).unwrap(), b"\x1b[1mbold\x1b[0m diff\n");
}

#[test]
fn editor_works_on_a_copy_that_is_thrown_away() {
    let dir = scratch("editor");
    let seen = dir.path().join("path");
    let program = format!(
        "sh -c 'printf %s \"$1\" > {}; printf edited >> \"$1\"' sh",
        quoted(&seen)
    );
    let original = HOSTILE.to_vec();
    let outcome = run_editor(&program, &original).unwrap();
    assert!(outcome.status.success());
    assert!(outcome.changed);
    assert_eq!(original, HOSTILE);
    let copy = fs::read_to_string(&seen).unwrap();
    assert!(copy.ends_with(".eml"), "{copy}");
    assert!(!Path::new(&copy).exists(), "the temporary copy is removed");

    let untouched = run_editor("true", &original).unwrap();
    assert!(!untouched.changed);
}

#[test]
fn a_missing_program_is_a_failed_status_not_a_panic() {
    let status = run_pipe("no-such-program-patchdeck-test", b"x").unwrap();
    assert_eq!(status.code(), Some(127));
    let status = run_pager("no-such-pager-patchdeck-test", b"x").unwrap();
    assert_eq!(status.code(), Some(127));
}
