//! Hostile input of issue 14, each reproduced: inputs that made patchdeck hang, eat memory,
//! wrap a counter, or put raw control characters on the terminal. The time and memory growth
//! of the parsers is checked in `complexity`; the property tests in `hostile_props` keep
//! generating new ones.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use patchdeck::index::archive::Archive;
use patchdeck::source::Input;

/// Runs the release or test build of patchdeck with `args`; kills it after `limit` and fails.
fn run(args: &[&str], env: &[(&str, &str)], limit: Duration) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_patchdeck"));
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    run_command(command, limit)
}

fn run_command(mut command: Command, limit: Duration) -> Output {
    let mut child = command.spawn().expect("spawn patchdeck");
    // Read both pipes on threads, so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("patchdeck {command:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

const MAIL: &str = "From: Ann <ann@example.org>\nMessage-ID: <one@example.org>\n\
Subject: [PATCH] mm: fix it\nDate: Wed, 21 Oct 2020 10:56:49 +0200\n\nbody\n";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("compress");
    enc.finish().expect("compress")
}

/// No byte that would start or end a terminal control sequence.
fn assert_no_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)))
        .collect();
    assert!(
        bad.is_empty(),
        "{what} holds raw controls {bad:?}: {text:?}"
    );
}

#[test]
fn a_diffstat_of_two_maximal_rows_shows_without_wrapping() {
    let mail = format!(
        "{MAIL}---\n a.c | 4294967295 +++++\n b.c | 4294967295 +++++\n \
         2 files changed, 4294967295 insertions(+)\n"
    );
    let input = Input::Bytes {
        label: "big".into(),
        bytes: Cow::Owned(mail.into_bytes()),
    };
    let archive = Archive::load(&[input], &|_| {}).expect("loads");
    let mut out = Vec::new();
    patchdeck::show::write(
        &mut out,
        &archive,
        0,
        patchdeck::ui::theme::Theme::new(false),
    )
    .expect("show");
    let text = String::from_utf8(out).expect("utf-8");
    // Each row as written, and the total as the summary line gives it: a diffstat without a
    // diff has no per-file counts to add up, and a wrapped u32 sum would read 4,294,967,294.
    assert_eq!(text.matches("4294967295").count(), 2, "{text}");
    assert!(
        text.contains("2 files, +4,294,967,295 −0"),
        "the summary line's total, not a wrapped sum: {text}"
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_cap_with_a_warning_and_the_rest_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.mbox.gz");
    let mut expanded = b"From x\n".to_vec();
    expanded.extend_from_slice(MAIL.as_bytes());
    expanded.resize(16 << 20, b'a');
    std::fs::write(&bomb, gzip(&expanded)).expect("write bomb");
    let good = dir.path().join("good.mbox");
    std::fs::write(&good, format!("From x\n{MAIL}")).expect("write mbox");
    let out = run(
        &[
            "list",
            "--format",
            "tsv",
            bomb.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
        &[("PATCHDECK_GZIP_LIMIT", "1M")],
        Duration::from_secs(60),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains("bomb.mbox.gz") && stderr.contains("1 MiB"),
        "names the file and the cap: {stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("mm: fix it"));
}

#[test]
fn symlinks_to_the_folder_itself_are_walked_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("one.eml"), MAIL).expect("write");
    for name in ["a", "b", "c"] {
        std::os::unix::fs::symlink(".", dir.path().join(name)).expect("symlink");
    }
    let out = run(
        &["list", "--format", "tsv", dir.path().to_str().unwrap()],
        &[],
        Duration::from_secs(60),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn files_below_the_depth_cap_are_named_not_dropped_silently() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("top.eml"), MAIL).expect("write");
    let mut deep = dir.path().to_path_buf();
    for _ in 0..40 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).expect("mkdir");
    std::fs::write(
        deep.join("deep.eml"),
        MAIL.replace("one@example", "two@example"),
    )
    .expect("write");
    let out = run(
        &["list", "--format", "tsv", dir.path().to_str().unwrap()],
        &[],
        Duration::from_secs(60),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(
        stderr.contains("deeper than") && stderr.contains("/d/d/d"),
        "names what was skipped: {stderr}"
    );
}

#[test]
fn a_fifo_is_read_once_to_its_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("mail.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(&fifo)
                .expect("open fifo");
            f.write_all(MAIL.as_bytes()).expect("write fifo");
        })
    };
    let out = run(
        &["list", "--format", "tsv", fifo.to_str().unwrap()],
        &[],
        Duration::from_secs(20),
    );
    writer.join().expect("writer");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("mm: fix it"));
}

#[test]
fn a_device_is_refused_not_read_forever() {
    // The memory limit keeps a regression from eating the machine.
    let mut command = Command::new("sh");
    command
        .args([
            "-c",
            "ulimit -v 2000000; exec \"$0\" list --format tsv /dev/zero",
            env!("CARGO_BIN_EXE_patchdeck"),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = run_command(command, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("/dev/zero") && stderr.contains("not a file"),
        "{stderr}"
    );
}

#[test]
fn a_file_name_with_escapes_is_printed_sanitised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "x\x1b]0;PWNED\x07.gz";
    let path = dir.path().join(name);
    std::fs::write(&path, b"\x1f\x8b\x08\x00garbage").expect("write");
    let out = run(
        &["list", path.to_str().unwrap()],
        &[],
        Duration::from_secs(20),
    );

    assert!(String::from_utf8_lossy(&out.stderr).contains("PWNED"));
    assert_no_controls("stderr", &out.stderr);
}

#[test]
fn a_query_error_with_escapes_is_printed_sanitised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("one.eml");
    std::fs::write(&path, MAIL).expect("write");
    let out = run(
        &[
            "list",
            path.to_str().unwrap(),
            "-q",
            "date:\x1b]0;PWNED\x07",
        ],
        &[],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_no_controls("stderr", &out.stderr);
}

#[test]
fn json_escapes_c1_del_and_bidi_controls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("one.eml");
    let subject = "a\u{85}b\u{7f}c\u{9b}d\u{202e}e\u{2066}f\u{200b}g\u{e0041}h";
    std::fs::write(&path, MAIL.replace("mm: fix it", subject)).expect("write");
    let out = run(
        &["list", "--format", "json", path.to_str().unwrap()],
        &[],
        Duration::from_secs(20),
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for c in subject.chars().filter(|c| !c.is_ascii_alphabetic()) {
        assert!(!text.contains(c), "raw {c:?} in {text:?}");
    }
    assert!(text.contains("\\u202e") && text.contains("\\u0085") && text.contains("\\u007f"));
    let value: serde_json::Value = serde_json::from_str(text.trim()).expect("valid JSON");
    assert_eq!(
        value["title"], subject,
        "escapes decode back to the subject"
    );
}

#[test]
fn format_characters_are_visible_and_widths_match_what_is_drawn() {
    use unicode_width::UnicodeWidthStr;
    let invisible = [
        '\u{ad}',
        '\u{200b}',
        '\u{200c}',
        '\u{200d}',
        '\u{200e}',
        '\u{200f}',
        '\u{2028}',
        '\u{2029}',
        '\u{2060}',
        '\u{feff}',
        '\u{61c}',
        '\u{e0001}',
        '\u{e0041}',
        '\u{e007f}',
    ];
    for c in invisible {
        let text = format!("a{c}b");
        let clean = patchdeck::sanitize::sanitize(&text);
        assert!(!clean.contains(c), "{c:?} passed: {clean:?}");
        // Every character drawn takes the columns the layout counted for it.
        assert!(
            clean
                .chars()
                .all(|d| unicode_width::UnicodeWidthChar::width(d) == Some(1)),
            "{c:?}: {clean:?}"
        );
        assert_eq!(clean.width(), clean.chars().count());
    }
}

#[test]
fn an_export_error_names_the_target_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("one.eml");
    let patch = format!(
        "{MAIL}---\n a.c | 1 +\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1,2 @@\n a\n+b\n"
    );
    std::fs::write(&path, patch).expect("write");
    let target = dir.path().join("missing").join("out.mbox");
    let out = run(
        &[
            "export",
            path.to_str().unwrap(),
            "-q",
            "fix",
            "-o",
            target.to_str().unwrap(),
        ],
        &[],
        Duration::from_secs(20),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(target.to_str().unwrap()), "{stderr}");
    assert!(
        !stderr.contains(".patchdeck-"),
        "names the temp file: {stderr}"
    );
    assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
}

/// Starts an export of a big archive, signals it while its temporary file exists, and
/// checks that nothing is left beside the target.
fn interrupted_export_leaves_no_temp_file(signal: &str) {
    let Some(big) = big_mbox() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("out.mbox");
    let mut child = Command::new(env!("CARGO_BIN_EXE_patchdeck"))
        .args(["export", big.to_str().unwrap(), "-q", "is:patch", "-o"])
        .arg(&target)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(120);
    let temp_seen = loop {
        let temp = std::fs::read_dir(dir.path())
            .expect("read dir")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
        if temp {
            break true;
        }
        if child.try_wait().expect("wait").is_some() || Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    assert!(
        temp_seen,
        "the export finished before it could be interrupted"
    );
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let _ = child.wait();
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "left behind after {signal}: {left:?}");
}

/// A synthetic mbox of 60,000 small patches (about 50 MB), written once and shared by the
/// tests: big enough that its export takes long enough to be interrupted.
fn big_mbox() -> Option<std::path::PathBuf> {
    let out = std::env::temp_dir().join(format!("patchdeck-test-big-{}.mbox", std::process::id()));
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let mut mbox = Vec::with_capacity(60 << 20);
        for i in 0..60_000 {
            write!(
                mbox,
                "From x\nFrom: Ann <ann@example.org>\nMessage-ID: <{i}@example.org>\n\
                 Subject: [PATCH {n}/10] mm: fix {i}\nDate: Wed, 21 Oct 2020 10:56:49 +0200\n\n\
                 text {}\n---\n a.c | 1 +\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n\
                 @@ -1 +1,2 @@\n a\n+b\n",
                "x".repeat(600),
                n = i % 10 + 1
            )
            .expect("write to memory");
        }
        std::fs::write(&out, mbox).expect("write mbox");
    });
    Some(out)
}

#[test]
fn sigint_sigterm_or_sighup_during_export_removes_the_temp_file() {
    for signal in ["-INT", "-TERM", "-HUP"] {
        interrupted_export_leaves_no_temp_file(signal);
    }
    if let Some(big) = big_mbox() {
        let _ = std::fs::remove_file(big);
    }
}

/// The linear RFC 2047 scanner reads the real corpora as mailparse did: every encoded header
/// of patchwork's mail, mailparse's test mail and a month of linux-clk decodes the same, except
/// where mailparse gave up (an unknown charset or damaged base64 left as `=?...?=`, or bytes
/// replaced by U+FFFD) and the scanner decodes as far as it goes.
#[test]
fn encoded_headers_of_the_corpora_decode_as_mailparse_did() {
    use patchdeck::model::mime::HeaderBlock;
    let mut files = Vec::new();
    for rel in ["patchwork", "mailparse", "archives/linux-clk-2026-01.mbox"] {
        let Some(path) = crate::support::corpus::corpus(rel) else {
            return;
        };
        collect_files(&path, &mut files);
    }
    let (mut same, mut improved, mut differ) = (0, 0, Vec::new());
    for file in files {
        let Ok(archive) = Archive::load(&[Input::Path(file)], &|_| {}) else {
            continue;
        };
        for i in 0..archive.len() as u32 {
            let raw = archive.raw(i);
            let block = HeaderBlock::parse(&raw);
            for header in block.headers() {
                if !header.line.windows(2).any(|w| w == b"=?") {
                    continue;
                }
                let ours = header.value();
                let Ok((parsed, _)) = mailparse::parse_header(header.line) else {
                    continue;
                };
                let theirs = parsed.get_value();
                if ours == theirs {
                    same += 1;
                } else if theirs.contains("=?") || theirs.contains('\u{fffd}') {
                    improved += 1;
                } else {
                    differ.push((theirs, ours));
                }
            }
        }
    }
    assert!(same > 100, "too few encoded headers found: {same}");
    assert!(
        differ.is_empty(),
        "{same} same, {improved} decoded further, {} differ: {:#?}",
        differ.len(),
        &differ[..differ.len().min(10)]
    );
}

fn collect_files(path: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("read dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            collect_files(&entry, out);
        }
    } else {
        out.push(path.to_path_buf());
    }
}
