//! patchdeck reads mail as `git am` does: the author, address, subject and commit message of a
//! patch are what `git mailinfo -u` records, and an mbox splits where `git mailsplit` splits it.
//! git is the oracle: every case is run through git by the test itself, on the same bytes.
//!
//! The cases are written from git's rules (`builtin/mailsplit.c`, `mailinfo.c`); each row also
//! says what the rule gives, so a change in either side is seen.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use patchdeck::index::archive::Archive;
use patchdeck::model::patch::ReadOptions;
use patchdeck::source::{self, Input};
use serde_json::Value;

use crate::support::corpus;
use crate::support::reader::Reader;

/// Runs git with a clean configuration (no user or system config can turn scissors on).
fn git(args: &[&str], dir: &Path, stdin: &[u8]) -> std::process::Output {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("git is installed (the oracle of these tests)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write to git");
    child.wait_with_output().expect("git runs")
}

/// What `git mailinfo -u` records for one message.
#[derive(Debug, Default, PartialEq, Eq)]
struct Info {
    author: String,
    email: String,
    subject: String,
    /// The commit message after `git stripspace`, as `git am` commits it.
    message: String,
}

fn git_mailinfo(dir: &Path, mail: &[u8]) -> Info {
    let out = git(
        &["mailinfo", "-u", "--no-scissors", "msg", "patch"],
        dir,
        mail,
    );
    assert!(
        out.status.success(),
        "git mailinfo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut info = Info::default();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some(v) = line.strip_prefix("Author: ") {
            info.author = v.to_string();
        } else if let Some(v) = line.strip_prefix("Email: ") {
            info.email = v.to_string();
        } else if let Some(v) = line.strip_prefix("Subject: ") {
            info.subject = v.to_string();
        }
    }
    let msg = std::fs::read(dir.join("msg")).expect("mailinfo wrote msg");
    info.message = stripspace(dir, &msg);
    info
}

/// `git stripspace`: how `git am` cleans a commit message; used on both sides alike.
fn stripspace(dir: &Path, text: &[u8]) -> String {
    let out = git(&["stripspace"], dir, text);
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What patchdeck reads from the same bytes.
fn patchdeck_info(dir: &Path, mail: &[u8]) -> Info {
    let archive = Archive::load(
        &[Input::Bytes {
            label: "case".into(),
            bytes: Cow::Owned(mail.to_vec()),
        }],
        &|_| {},
    )
    .expect("loads");
    assert_eq!(archive.len(), 1);
    let m = &archive.messages[0];
    Info {
        author: m.author.name.clone(),
        email: m.author.email.clone(),
        subject: m.subject.title().to_string(),
        message: stripspace(dir, archive.body(0).patch.commit_message.as_bytes()),
    }
}

/// Where patchdeck parts from git on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Git {
    /// git records the same.
    Agrees,
    /// git records no author at all (`git am` then stops: "Patch does not have a valid e-mail
    /// address"); patchdeck keeps the mail's sender, which is who a reader wants to see.
    RecordsNoAuthor,
}

struct Case {
    name: &'static str,
    mail: &'static str,
    author: &'static str,
    email: &'static str,
    subject: &'static str,
    message: &'static str,
    git: Git,
}

const DIFF: &str = "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";

/// A mail of `headers`, then `body`, then a `---` line and a one-line diff.
fn with_patch(mail: &str) -> String {
    format!("{mail}---\n f | 2 +-\n\n{DIFF}")
}

const CASES: &[Case] = &[
    Case {
        name: "comments in From are kept, with their parentheses",
        mail: "From: A (zzz) U Thor (Comment) <a.u.thor@example.com>\nSubject: [PATCH] a\n\nBody.\n",
        author: "A (zzz) U Thor (Comment)",
        email: "a.u.thor@example.com",
        subject: "a",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "nested comments with quotes are kept whole",
        mail: "From: (this is (really) a \"comment\" (honestly)) A U Thor <a@example.com>\n\
               Subject: [PATCH] b\n\nBody.\n",
        author: "(this is (really) a \"comment\" (honestly)) A U Thor",
        email: "a@example.com",
        subject: "b",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "address then name in parentheses",
        mail: "From: a.u.thor@example.com (A U Thor)\nSubject: [PATCH] c\n\nBody.\n",
        author: "A U Thor",
        email: "a.u.thor@example.com",
        subject: "c",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "a bare address is its own name",
        mail: "From: a.u.thor@example.com\nSubject: [PATCH] d\n\nBody.\n",
        author: "a.u.thor@example.com",
        email: "a.u.thor@example.com",
        subject: "d",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "an address in angle brackets alone is its own name",
        mail: "From: <a@example.com>\nSubject: [PATCH] e\n\nBody.\n",
        author: "a@example.com",
        email: "a@example.com",
        subject: "e",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "quoted names lose quotes and escapes",
        mail: "From: \"Thor, A. \\\"U\\\"\" <a@example.com>\nSubject: [PATCH] f\n\nBody.\n",
        author: "Thor, A. \"U\"",
        email: "a@example.com",
        subject: "f",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "encoded words are decoded, white space collapsed",
        mail: "From: =?UTF-8?q?J=C3=B6rg_R=C3=B6del?=   <joro@example.org>\n\
               Subject: [PATCH]   g\n  folded\n\nBody.\n",
        author: "Jörg Rödel",
        email: "joro@example.org",
        subject: "g folded",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "a name over 60 bytes gives way to the address",
        mail: "From: Aaaaaaaaaa Bbbbbbbbbb Cccccccccc Dddddddddd Eeeeeeeeee Ffffffffff G <g@example.com>\n\
               Subject: [PATCH] h\n\nBody.\n",
        author: "g@example.com",
        email: "g@example.com",
        subject: "h",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "subject tags and Re: are cut as cleanup_subject does",
        mail: "From: A <a@example.com>\nSubject: Re: [PATCH RESEND v3 2/7] clk: qcom: fix it\n\nBody.\n",
        author: "A",
        email: "a@example.com",
        subject: "clk: qcom: fix it",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "in-body From and Subject override when the mail carries a patch",
        mail: "From: Sender <s@example.com>\nSubject: [PATCH 1/2] header title\n\n\n\
               From: Real Author <ra@example.com>\nSubject: body title\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\n\
               Message.\n\nSigned-off-by: Real Author <ra@example.com>\n---\n",
        author: "Real Author",
        email: "ra@example.com",
        subject: "body title",
        message: "Message.\n\nSigned-off-by: Real Author <ra@example.com>\n",
        git: Git::Agrees,
    },
    Case {
        name: "in-body headers do not override without a patch",
        mail: "From: Sender <s@example.com>\nSubject: Re: header title\n\n\
               From: Someone Else <se@example.com>\nSubject: body title\n\nJust a reply.\n",
        author: "Sender",
        email: "s@example.com",
        subject: "header title",
        message: "Just a reply.\n",
        git: Git::Agrees,
    },
    Case {
        name: "an in-body From without an address keeps the sender",
        mail: "From: Sender <s@example.com>\nSubject: [PATCH] i\n\nFrom: Nobody In Particular\n\nBody.\n---\n",
        author: "Sender",
        email: "s@example.com",
        subject: "i",
        message: "Body.\n",
        git: Git::RecordsNoAuthor,
    },
    Case {
        name: "a [PATCH] line at the top of the body is the subject",
        mail: "From: A <a@example.com>\nSubject: a forwarded patch\n\n[PATCH] clk: the real title\n\nBody.\n---\n",
        author: "A",
        email: "a@example.com",
        subject: "clk: the real title",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "a quoted format-patch envelope before in-body headers is dropped",
        mail: "From: A <a@example.com>\nSubject: [PATCH] j\n\n\
               >From e6807f3efca28b30decfecb1732a56c7db1137ee Mon Sep 17 00:00:00 2001\n\
               From: Joe <joe@example.com>\n\nBody.\n---\n",
        author: "Joe",
        email: "joe@example.com",
        subject: "j",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "any other >From line starts the message",
        mail: "From: A <a@example.com>\nSubject: [PATCH] k\n\n>From the manual page:\nFrom: Joe <joe@example.com>\n\nBody.\n---\n",
        author: "A",
        email: "a@example.com",
        subject: "k",
        message: ">From the manual page:\nFrom: Joe <joe@example.com>\n\nBody.\n",
        git: Git::Agrees,
    },
    Case {
        name: "each in-body header is taken once; a second one is message",
        mail: "From: A <a@example.com>\nSubject: [PATCH] l\n\nfrom: One <one@example.com>\nFrom: Two <two@example.com>\n\nBody.\n---\n",
        author: "One",
        email: "one@example.com",
        subject: "l",
        message: "From: Two <two@example.com>\n\nBody.\n",
        git: Git::Agrees,
    },
    Case {
        name: "an in-body header continues on indented lines",
        mail: "From: A <a@example.com>\nSubject: [PATCH] m\n\nSubject: a long\n  title\n\nBody.\n---\n",
        author: "A",
        email: "a@example.com",
        subject: "a long title",
        message: "Body.\n",
        git: Git::Agrees,
    },
    Case {
        name: "a line of spaces is no blank line: the message starts there",
        mail: "From: A <a@example.com>\nSubject: [PATCH] p\n\n \nFrom: X <x@example.com>\n\nBody.\n---\n",
        author: "A",
        email: "a@example.com",
        subject: "p",
        message: "From: X <x@example.com>\n\nBody.\n",
        git: Git::Agrees,
    },
    Case {
        name: "scissors are text unless asked for",
        mail: "From: A <a@example.com>\nSubject: [PATCH] n\n\nThanks, does this help?\n\n-- >8 --\n\
               From: Fixer <fixer@example.com>\nSubject: fix it\n\nReal message.\n---\n",
        author: "A",
        email: "a@example.com",
        subject: "n",
        message: "Thanks, does this help?\n\n-- >8 --\nFrom: Fixer <fixer@example.com>\nSubject: fix it\n\nReal message.\n",
        git: Git::Agrees,
    },
    Case {
        name: "a --- line with text after it ends the message too",
        mail: "From: A <a@example.com>\nSubject: [PATCH] o\n\nBody.\n--- v2: reworded\n",
        author: "A",
        email: "a@example.com",
        subject: "o",
        message: "Body.\n",
        git: Git::Agrees,
    },
];

#[test]
fn author_subject_and_message_are_what_git_mailinfo_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut agree = 0;
    for case in CASES {
        for mail in [case.mail.to_string(), with_patch(case.mail)] {
            let ours = patchdeck_info(dir.path(), mail.as_bytes());
            let rule = Info {
                author: case.author.into(),
                email: case.email.into(),
                subject: case.subject.into(),
                message: case.message.into(),
            };
            let carries_patch = mail.contains("\n---\n");
            // The in-body rules are only about mail with a patch; the plain form of those
            // cases is checked against git alone.
            if carries_patch == case.mail.contains("\n---\n") {
                assert_eq!(ours, rule, "{}: patchdeck against the rule", case.name);
            }
            let theirs = git_mailinfo(dir.path(), mail.as_bytes());
            match case.git {
                Git::Agrees => assert_eq!(ours, theirs, "{}: patchdeck against git", case.name),
                Git::RecordsNoAuthor => {
                    assert_eq!((theirs.author.as_str(), theirs.email.as_str()), ("", ""));
                    assert_eq!(
                        (&ours.subject, &ours.message),
                        (&theirs.subject, &theirs.message),
                        "{}",
                        case.name
                    );
                }
            }
            agree += 1;
        }
    }
    assert_eq!(agree, CASES.len() * 2);
}

/// A patch sent as a reply, below scissors, with the real author and subject after them.
const SCISSORED: &str = "From: Maintainer <m@example.com>\nSubject: [PATCH] clk: bad\n\
    Message-ID: <scissors@example.com>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\n\
    Thanks, does this help?\n\n-- >8 --\nFrom: Fixer <fixer@example.com>\n\
    Subject: clk: fix the divider\n\nUse the right divider.\n\n\
    Signed-off-by: Fixer <fixer@example.com>\n---\n f | 2 +-\n\n";

fn scissored_mbox(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("scissors.mbox");
    std::fs::write(&path, format!("{ENVELOPE}{SCISSORED}{DIFF}")).unwrap();
    path
}

/// `show` and `export` cut at scissors only when asked (flag or config), and then the mbox
/// exported gives plain `git am` what `git am --scissors` takes from the original.
#[test]
fn scissors_apply_to_show_and_export_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = scissored_mbox(dir.path());
    let config_home = dir.path().join("config");
    std::fs::create_dir_all(config_home.join("patchdeck")).unwrap();
    let patchdeck = |args: &[&str], config: &str| {
        std::fs::write(config_home.join("patchdeck/config.toml"), config).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_patchdeck"))
            .args(args)
            .env("XDG_CONFIG_HOME", &config_home)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let path = mbox.to_str().unwrap();
    let above = "Thanks, does this help?";
    let plain = patchdeck(&["show", "--color", "never", path, "1"], "");
    assert!(plain.contains(above), "{plain}");
    for (flag, config) in [(true, ""), (false, "[mail]\nscissors = true\n")] {
        let mut args = vec!["show", "--color", "never", path, "1"];
        if flag {
            args.push("--scissors");
        }
        let cut = patchdeck(&args, config);
        assert!(!cut.contains(above), "{cut}");
        assert!(cut.contains("Use the right divider."), "{cut}");
    }
    let whole = patchdeck(&["export", path, "-q", "is:patch", "-o", "-"], "");
    let cut = patchdeck(
        &["export", "--scissors", path, "-q", "is:patch", "-o", "-"],
        "",
    );
    // git's full record (Author, Email, Subject, Date lines) and its commit message.
    let record = |args: &[&str], mail: &[u8]| {
        let out = git(args, dir.path(), mail);
        assert!(out.status.success());
        let msg = stripspace(dir.path(), &std::fs::read(dir.path().join("msg")).unwrap());
        (String::from_utf8(out.stdout).unwrap(), msg)
    };
    let original = format!("{SCISSORED}{DIFF}");
    let with_scissors = record(
        &["mailinfo", "-u", "--scissors", "msg", "patch"],
        original.as_bytes(),
    );
    let exported = |mbox: &str| {
        let message = &mbox[mbox.find('\n').unwrap() + 1..];
        record(&["mailinfo", "-u", "msg", "patch"], message.as_bytes())
    };
    assert_eq!(exported(&cut), with_scissors);
    assert_ne!(exported(&whole), with_scissors);
    assert!(exported(&whole).1.contains(above));
}

#[test]
fn the_detail_pane_cuts_at_scissors_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = scissored_mbox(dir.path());
    for scissors in [false, true] {
        let reader = Reader::open_reading(
            vec![Input::Path(mbox.clone())],
            None,
            140,
            40,
            false,
            ReadOptions { scissors },
        );
        let screen = reader.screen();
        assert!(screen.contains("Use the right divider."), "{screen}");
        assert_eq!(
            screen.contains("Thanks, does this help?"),
            !scissors,
            "{screen}"
        );
    }
}

/// A `git format-patch` envelope line.
const ENVELOPE: &str = "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n";

struct SplitCase {
    name: &'static str,
    mbox: String,
    /// Messages the rule gives.
    messages: usize,
    /// Run `git mailsplit --mboxrd` (the file is mboxrd) rather than plain mailsplit.
    mboxrd: bool,
}

fn mail(n: usize, body: &str) -> String {
    format!("From: A <a@example.com>\nSubject: [PATCH] {n}\n\n{body}")
}

fn split_cases() -> Vec<SplitCase> {
    let lore = "From mboxrd@z Thu Jan  1 00:00:00 1970\n";
    vec![
        SplitCase {
            name: "leading blank and white-space lines are skipped",
            mbox: format!(
                "\n  \n\t\n{ENVELOPE}{}\n{ENVELOPE}{}",
                mail(1, "a\n"),
                mail(2, "b\n")
            ),
            messages: 2,
            mboxrd: false,
        },
        SplitCase {
            name: "an envelope needs no blank line before it",
            mbox: format!("{ENVELOPE}{}{ENVELOPE}{}", mail(1, "a\n"), mail(2, "b\n")),
            messages: 2,
            mboxrd: false,
        },
        SplitCase {
            name: "a body line From the manual page: never splits",
            mbox: format!(
                "{ENVELOPE}{}\n{ENVELOPE}{}",
                mail(
                    1,
                    "Quoting it:\n\nFrom the manual page: fine\n\nFrom me, 12:30 too\n"
                ),
                mail(2, "b\n")
            ),
            messages: 2,
            mboxrd: false,
        },
        SplitCase {
            name: "an mboxo file keeps >From as written",
            mbox: format!(
                "{ENVELOPE}{}\n{ENVELOPE}{}",
                mail(1, ">From quoted\n>>From twice\nFrom bare\n"),
                mail(2, "b\n")
            ),
            messages: 2,
            mboxrd: false,
        },
        SplitCase {
            name: "lore's mboxrd loses one > of each >From",
            mbox: format!(
                "{lore}{}\n{lore}{}",
                mail(1, ">From quoted\n>>From twice\n"),
                mail(2, "b\n")
            ),
            messages: 2,
            mboxrd: true,
        },
        SplitCase {
            name: "CRLF mail splits the same",
            mbox: format!("{ENVELOPE}{}\n{ENVELOPE}{}", mail(1, "a\n"), mail(2, "b\n"))
                .replace('\n', "\r\n"),
            messages: 2,
            mboxrd: false,
        },
        SplitCase {
            name: "a first From line that is no envelope makes one message",
            mbox: format!(
                "From here on\n{}{ENVELOPE}{}",
                mail(1, "a\n"),
                mail(2, "b\n")
            ),
            messages: 1,
            mboxrd: false,
        },
        SplitCase {
            name: "an empty file is an empty archive",
            mbox: String::new(),
            messages: 0,
            mboxrd: false,
        },
        SplitCase {
            name: "a file of white-space lines is an empty archive",
            mbox: "\n \n\t\n\n".into(),
            messages: 0,
            mboxrd: false,
        },
    ]
}

/// The messages `git mailsplit -b` (as `git am` runs it) writes, envelope lines dropped.
fn git_mailsplit(dir: &Path, mbox: &[u8], mboxrd: bool) -> Vec<Vec<u8>> {
    let out_dir = dir.join("split");
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut args = vec!["mailsplit", "-b", "-osplit"];
    if mboxrd {
        args.push("--mboxrd");
    }
    // From stdin, where git takes an empty input as no messages rather than an error.
    let out = git(&args, dir, mbox);
    assert!(
        out.status.success(),
        "git mailsplit: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let count: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    (1..=count)
        .map(|i| {
            let file = std::fs::read(out_dir.join(format!("{i:04}"))).unwrap();
            let first = file
                .iter()
                .position(|&b| b == b'\n')
                .map_or(file.len(), |n| n + 1);
            file[first..].to_vec()
        })
        .collect()
}

/// Compares two messages as `git mailinfo` would read them: CRLF and the blank line that
/// separated a message from the next do not count.
fn same_message(ours: &[u8], theirs: &[u8]) -> bool {
    let norm = |b: &[u8]| {
        let text = String::from_utf8_lossy(b).replace("\r\n", "\n");
        text.trim_end_matches('\n').to_string()
    };
    norm(ours) == norm(theirs)
}

#[test]
fn mboxes_split_where_git_mailsplit_splits_them() {
    let dir = tempfile::tempdir().unwrap();
    for case in split_cases() {
        let loaded = source::read(&[Input::Bytes {
            label: "case".into(),
            bytes: Cow::Owned(case.mbox.clone().into_bytes()),
        }]);
        assert!(
            loaded.errors.is_empty(),
            "{}: {:?}",
            case.name,
            loaded.errors
        );
        let ours: Vec<Vec<u8>> = loaded
            .messages
            .iter()
            .map(|at| loaded.message(at).into_owned())
            .collect();
        assert_eq!(ours.len(), case.messages, "{}: against the rule", case.name);
        let theirs = git_mailsplit(dir.path(), case.mbox.as_bytes(), case.mboxrd);
        assert_eq!(ours.len(), theirs.len(), "{}: against git", case.name);
        for (a, b) in ours.iter().zip(&theirs) {
            assert!(
                same_message(a, b),
                "{}:\n{}\n---- git:\n{}",
                case.name,
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(b)
            );
        }
    }
}

#[test]
fn an_empty_archive_lists_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [("empty.mbox", ""), ("blank.mbox", "\n  \n\t\n")] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let run = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_patchdeck"))
                .args(args)
                .arg(&path)
                .output()
                .unwrap()
        };
        let list = run(&["list"]);
        assert_eq!(list.status.code(), Some(1), "{name}");
        assert!(list.stdout.is_empty(), "{name}");
        assert!(
            !String::from_utf8_lossy(&list.stderr).contains("not a mail archive"),
            "{name}"
        );
        let json = run(&["list", "--format", "json"]);
        assert_eq!(json.status.code(), Some(1), "{name}");
        assert!(json.stdout.is_empty(), "{name}");
        let archive = Archive::load(&[Input::Path(path.clone())], &|_| {}).expect("loads");
        assert!(archive.is_empty());
        assert!(archive.warnings.is_empty());
    }
}

#[test]
fn an_empty_archive_opens_an_empty_reader_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blank.mbox");
    std::fs::write(&path, "\n \n").unwrap();
    let reader = Reader::open(vec![Input::Path(path)], None, 100, 20);
    assert!(reader.app.load.error.is_none());
    assert!(reader.app.messages().is_empty());
    let screen = reader.screen();
    assert!(screen.contains("blank.mbox holds no messages"), "{screen}");
}

#[test]
fn show_and_export_say_there_is_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.mbox");
    std::fs::write(&path, "").unwrap();
    let out = dir.path().join("out.mbox");
    for (args, what) in [
        (vec!["show", path.to_str().unwrap(), "1"], "nothing to show"),
        (
            vec![
                "export",
                path.to_str().unwrap(),
                "-q",
                "x",
                "-o",
                out.to_str().unwrap(),
            ],
            "nothing to export",
        ),
    ] {
        let run = Command::new(env!("CARGO_BIN_EXE_patchdeck"))
            .args(&args)
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1), "{args:?}");
        assert!(run.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(what), "{stderr}");
    }
    assert!(!out.exists());
}

/// Splits `path` with git into `dir/split`, returning the files in order.
fn split_files(dir: &Path, path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    git_mailsplit(dir, &bytes, true)
}

/// The Message-ID of a raw message, for pairing git's files with patchdeck's rows.
fn message_id(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            return None;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if !name.eq_ignore_ascii_case("message-id") {
            continue;
        }
        let mut value = value.trim().to_string();
        if value.is_empty() {
            value = lines.next().unwrap_or_default().trim().to_string();
        }
        return Some(
            value
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string(),
        );
    }
    None
}

/// Every message of a real list month, split by git and read by `git mailinfo`, against
/// `list --format json`: the author of every message and the title of every patch, cover and
/// other mail are git's. A reply's title is patchdeck's own reading (b4's `Re: (subset)
/// [PATCH]` marker is cut, where git keeps `(subset)`), so replies are compared by author only.
#[test]
fn clk_january_authors_and_titles_are_git_mailinfos() {
    let Some(path) = corpus::corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = split_files(dir.path(), &path);
    assert_eq!(files.len(), 918, "git mailsplit --mboxrd count");
    let out = Command::new(env!("CARGO_BIN_EXE_patchdeck"))
        .args(["list", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 918, "patchdeck's count");
    let mut by_id: HashMap<&str, &Value> = HashMap::new();
    for row in &rows {
        by_id
            .entry(row["message_id"].as_str().unwrap())
            .or_insert(row);
    }
    let (mut authors, mut titles, mut patches) = (0, 0, 0);
    let mut differ = Vec::new();
    for file in &files {
        let id = message_id(file).expect("every message has a Message-ID");
        let row = by_id[id.as_str()];
        let git = git_mailinfo(dir.path(), file);
        let author = (
            row["author"]["name"].as_str().unwrap(),
            row["author"]["email"].as_str().unwrap(),
        );
        if author == (git.author.as_str(), git.email.as_str()) {
            authors += 1;
        } else {
            differ.push(format!(
                "{id}: author {author:?}, git {:?}",
                (&git.author, &git.email)
            ));
        }
        if row["kind"] == "reply" {
            continue;
        }
        patches += usize::from(row["kind"] == "patch");
        let title = row["title"].as_str().unwrap();
        if title == git.subject {
            titles += 1;
        } else {
            differ.push(format!("{id}: title {title:?}, git {:?}", git.subject));
        }
    }
    eprintln!(
        "git mailinfo agrees on {authors} of {} authors and {titles} titles of non-replies \
         ({patches} patches)",
        files.len()
    );
    assert!(patches > 300, "{patches} patches");
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
