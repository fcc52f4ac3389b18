//! Versions of a series: linked by title and sender, b4's change-id and changelog links, kept
//! apart for stable backports and pull requests; and the interdiff of two versions git itself
//! wrote, from `patchdeck interdiff` in text and JSON.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Output;

use patchdeck::index::archive::Archive;
use patchdeck::source::Input;

use crate::support::reader::{Reader, fixture};
use crate::support::run::{self, patchdeck};

fn git(dir: &Path, args: &[&str]) -> Output {
    let ada = [
        ("GIT_AUTHOR_NAME", "Ada Lovelace"),
        ("GIT_AUTHOR_EMAIL", "ada@example.org"),
        ("GIT_COMMITTER_NAME", "Ada Lovelace"),
        ("GIT_COMMITTER_EMAIL", "ada@example.org"),
    ];
    run::git(dir, args, &ada)
}

fn commit(repo: &Path, file: &str, content: &str, message: &str) {
    std::fs::write(repo.join(file), content).unwrap();
    git(repo, &["add", file]);
    git(repo, &["commit", "-q", "-m", message]);
}

/// A v1 of three patches and a v2 of four, written by `git format-patch` with cover letters:
/// `clk: a` the same commit in both, `clk: b` with other code, `clk: c` with a reworded
/// message, `clk: d` new in v2. Returns the path of one mbox holding both.
fn two_versions(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    for f in ["a.c", "b.c", "c.c", "d.c"] {
        std::fs::write(repo.join(f), "int x;\n\nint y;\n").unwrap();
    }
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let signed = "\n\nSigned-off-by: Ada Lovelace <ada@example.org>";
    commit(
        &repo,
        "a.c",
        "int x;\nint a;\n\nint y;\n",
        &format!("clk: a: Add a{signed}"),
    );
    git(&repo, &["branch", "after-a"]);
    commit(
        &repo,
        "b.c",
        "int x;\nint b = 1;\n\nint y;\n",
        &format!("clk: b: Add b{signed}"),
    );
    commit(
        &repo,
        "c.c",
        "int x;\nint c;\n\nint y;\n",
        &format!("clk: c: Add c\n\nOld reason.{signed}"),
    );
    let out = dir.join("out");
    git(
        &repo,
        &[
            "format-patch",
            "-q",
            "--cover-letter",
            "-3",
            "-o",
            out.join("v1").to_str().unwrap(),
        ],
    );
    git(&repo, &["checkout", "-q", "-b", "v2", "after-a"]);
    commit(
        &repo,
        "b.c",
        "int x;\nint b = 2;\n\nint y;\n",
        &format!("clk: b: Add b{signed}"),
    );
    commit(
        &repo,
        "c.c",
        "int x;\nint c;\n\nint y;\n",
        &format!("clk: c: Add c\n\nNew reason, better told.{signed}"),
    );
    commit(
        &repo,
        "d.c",
        "int x;\nint d;\n\nint y;\n",
        &format!("clk: d: Add d{signed}"),
    );
    git(
        &repo,
        &[
            "format-patch",
            "-q",
            "--cover-letter",
            "-v2",
            "-4",
            "-o",
            out.join("v2").to_str().unwrap(),
        ],
    );
    // One mbox: v1's files, then v2's, the covers given a real title.
    let mut mbox = String::new();
    for version in ["v1", "v2"] {
        let mut files: Vec<_> = std::fs::read_dir(out.join(version))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(f).unwrap();
            mbox.push_str(&text.replace("*** SUBJECT HERE ***", "clk: four small things"));
        }
    }
    let path = dir.join("versions.mbox");
    std::fs::write(&path, mbox).unwrap();
    path
}

fn load(path: &Path) -> Archive {
    Archive::load(&[Input::Path(path.to_path_buf())], &|_| {}).unwrap()
}

/// The Message-ID of the message whose subject is `subject`.
fn id_of(archive: &Archive, subject: &str) -> String {
    archive
        .messages
        .iter()
        .find(|m| m.subject.raw() == subject)
        .unwrap_or_else(|| panic!("no {subject}"))
        .id
        .to_string()
}

#[test]
fn interdiff_of_git_written_versions_says_what_changed_in_json() {
    let tmp = tempfile::tempdir().unwrap();
    let mbox = two_versions(tmp.path());
    let archive = load(&mbox);
    // Any message of v2 names it: here its third patch.
    let v2_c = id_of(&archive, "[PATCH v2 3/4] clk: c: Add c");
    let out = patchdeck(&[
        "interdiff",
        mbox.to_str().unwrap(),
        &v2_c,
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let patches = json.as_array().unwrap();
    let got: Vec<(u64, &str, &str)> = patches
        .iter()
        .map(|p| {
            (
                p["number"].as_u64().unwrap(),
                p["title"].as_str().unwrap(),
                p["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "clk: a: Add a", "unchanged"),
            (2, "clk: b: Add b", "changed"),
            (3, "clk: c: Add c", "changed"),
            (4, "clk: d: Add d", "added"),
        ]
    );
    let ids = |s: &str| id_of(&archive, s);
    assert_eq!(patches[0]["from"], ids("[PATCH 1/3] clk: a: Add a"));
    assert_eq!(patches[0]["to"], ids("[PATCH v2 1/4] clk: a: Add a"));
    assert_eq!(patches[3]["from"], serde_json::Value::Null);
    assert_eq!(patches[3]["to"], ids("[PATCH v2 4/4] clk: d: Add d"));
    assert_eq!(patches[0]["diff"], "");
    // The code change: the old patch's line marked -, the new one's +, context kept, no
    // message section.
    let b = patches[1]["diff"].as_str().unwrap();
    assert!(!b.contains("## commit message"), "{b}");
    let changed: Vec<&str> = b.lines().filter(|l| l.starts_with(['-', '+'])).collect();
    assert_eq!(changed, ["-+int b = 1;", "++int b = 2;"], "{b}");
    assert!(b.contains("@@ b.c"), "the file is named: {b}");
    assert!(b.contains("  int x;"), "context is kept: {b}");
    // The reworded message: only the message section.
    let c = patches[2]["diff"].as_str().unwrap();
    let changed: Vec<&str> = c.lines().filter(|l| l.starts_with(['-', '+'])).collect();
    assert_eq!(
        changed,
        ["-Old reason.", "+New reason, better told."],
        "{c}"
    );
    assert!(c.starts_with("## commit message\n"), "{c}");
    assert!(!c.contains("## diff"), "{c}");
}

#[test]
fn interdiff_of_git_written_versions_in_text() {
    let tmp = tempfile::tempdir().unwrap();
    let mbox = two_versions(tmp.path());
    let archive = load(&mbox);
    let v2 = id_of(&archive, "[PATCH v2 0/4] clk: four small things");
    let v1 = id_of(&archive, "[PATCH 0/3] clk: four small things");
    let path = mbox.to_str().unwrap();
    let text = |args: &[&str]| {
        let out = patchdeck(args);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let implicit = text(&["interdiff", path, &v2, "--color", "never"]);
    let explicit = text(&["interdiff", path, &v2, "--to", &v1]);
    assert_eq!(implicit, explicit, "--to names the previous version");
    let status: Vec<&str> = implicit.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(
        status,
        [
            "[1/4] unchanged clk: a: Add a",
            "[2/4] changed   clk: b: Add b",
            "[3/4] changed   clk: c: Add c",
            "[4/4] added     clk: d: Add d",
        ],
        "{implicit}"
    );
    assert!(implicit.contains("1 unchanged, 2 changed, 1 added, 0 removed"));
    assert!(implicit.contains("\n    -+int b = 1;\n    ++int b = 2;\n"));
    assert!(implicit.contains("\n    -Old reason.\n    +New reason, better told.\n"));
    // The first version has nothing before it.
    let out = patchdeck(&["interdiff", path, &v1]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("first known version"));
}

/// An mbox message.
fn mail(id: &str, from: &str, date: &str, subject: &str, body: &str) -> String {
    format!(
        "From x@y Thu Jan  1 00:00:00 2026\nFrom: {from}\nDate: {date}\nSubject: {subject}\n\
Message-ID: <{id}>\n\n{body}\n\n"
    )
}

const DIFF: &str = "---\n clk.c | 1 +\n 1 file changed, 1 insertion(+)\n\n\
diff --git a/clk.c b/clk.c\nindex 1111111..2222222 100644\n--- a/clk.c\n+++ b/clk.c\n\
@@ -1,1 +1,2 @@\n int x;\n+int y;\n";

/// The series of the message with this Message-ID, and the series it is linked with.
fn versions_of(archive: &Archive, id: &str) -> Vec<u32> {
    let series = archive.series_of(archive.find(id).unwrap()).unwrap();
    archive.versions(series).to_vec()
}

fn archive_of(dir: &Path, mbox: &str) -> Archive {
    let path = dir.join("a.mbox");
    std::fs::write(&path, mbox).unwrap();
    load(&path)
}

#[test]
fn b4_change_id_and_link_to_v1_link_reworded_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let v1 = "Add the bar clock.\n\n---\nbase-commit: 98e506ee7d10390b527aeddee7bbeaf667129646";
    let v2 = "Add the bar clock, now with a rate table.\n\n---\nChanges in v2:\n\
- Table of rates\n- Link to v1: https://lore.kernel.org/r/v1-cover@example.org\n";
    let change_id = "\nchange-id: 20260102-bar-1dcf08223922\n\nBest regards,\n-- \nAda";
    let pair = |v1_extra: &str, v2_extra: &str| {
        let mut mbox = String::new();
        mbox += &mail(
            "v1-cover@example.org",
            "Ada Lovelace <ada@old.example.org>",
            "Thu, 1 Jan 2026 10:00:00 +0000",
            "[PATCH 0/1] clk: foo: Add bar",
            &format!("{v1}{v1_extra}"),
        );
        mbox += &mail(
            "v2-cover@example.org",
            "Ada Lovelace <ada@new.example.org>",
            "Thu, 8 Jan 2026 10:00:00 +0000",
            "[PATCH v2 0/1] clk: foo: Add the bar clock with rates",
            &format!("{v2}{v2_extra}"),
        );
        mbox
    };
    // Only the change-id: v2's changelog without its link.
    let v2_unlinked = "Add the bar clock, now with a rate table.\n\n---\n";
    let mut by_change_id = pair(change_id, change_id);
    by_change_id = by_change_id.replace(v2, v2_unlinked);
    let a = archive_of(tmp.path(), &by_change_id);
    assert_eq!(versions_of(&a, "v2-cover@example.org").len(), 2);
    assert_eq!(
        versions_of(&a, "v1-cover@example.org"),
        versions_of(&a, "v2-cover@example.org")
    );
    let line = a
        .series_line(a.find("v2-cover@example.org").unwrap())
        .unwrap();
    assert!(line.ends_with("versions v1 [v2]"), "{line}");

    // Only the `Link to v1:` line.
    let a = archive_of(tmp.path(), &pair("", ""));
    let linked = versions_of(&a, "v2-cover@example.org");
    assert_eq!(linked.len(), 2);
    assert_eq!(a.series(linked[0]).unwrap().version, 1);

    // Neither: a reworded title from a new address is another work.
    let a = archive_of(tmp.path(), &pair("", "").replace(v2, v2_unlinked));
    assert_eq!(versions_of(&a, "v2-cover@example.org").len(), 1);
}

#[test]
fn the_same_name_from_a_new_address_is_the_same_sender() {
    let tmp = tempfile::tempdir().unwrap();
    let body = format!("Fix it.\n\nSigned-off-by: Marc Zyngier <maz@kernel.org>\n{DIFF}");
    let mut mbox = mail(
        "v1@arm.com",
        "Marc Zyngier <marc.zyngier@arm.com>",
        "Thu, 1 Jan 2026 10:00:00 +0000",
        "[PATCH] irqchip: Fix the thing",
        &body,
    );
    mbox += &mail(
        "v2@kernel.org",
        "Marc Zyngier <maz@kernel.org>",
        "Thu, 8 Jan 2026 10:00:00 +0000",
        "[PATCH v2] irqchip: Fix the thing",
        &body,
    );
    let a = archive_of(tmp.path(), &mbox);
    assert_eq!(versions_of(&a, "v2@kernel.org").len(), 2);
    let other = mbox.replace(
        "Marc Zyngier <maz@kernel.org>\nDate",
        "Someone Else <maz@kernel.org>\nDate",
    );
    let other = other.replace(
        "Marc Zyngier <marc.zyngier@arm.com>",
        "Marc <marc.zyngier@arm.com>",
    );
    let a = archive_of(tmp.path(), &other);
    assert_eq!(versions_of(&a, "v2@kernel.org").len(), 1);
}

#[test]
fn autosel_copies_and_pull_request_patches_are_not_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let body = format!("Make it depend.\n\nSigned-off-by: Sasha Levin <sashal@kernel.org>\n{DIFF}");
    let title = "clk: qcom: Make GCC_8150 depend on QCOM_GDSC";
    let mut mbox = String::new();
    for (id, tree, n) in [("a612", "6.12", "10/29"), ("a66", "6.6", "08/19")] {
        mbox += &mail(
            &format!("{id}@kernel.org"),
            "Sasha Levin <sashal@kernel.org>",
            "Thu, 1 Jan 2026 10:00:00 +0000",
            &format!("[PATCH AUTOSEL {tree} {n}] {title}"),
            &body,
        );
    }
    // A patch, then the same patch inside a pull request's series, from the same maintainer.
    mbox += &mail(
        "single@kernel.org",
        "Stephen Boyd <sboyd@kernel.org>",
        "Thu, 1 Jan 2026 11:00:00 +0000",
        "[PATCH] clk: Fix the rate",
        &body,
    );
    mbox += &mail(
        "pull@kernel.org",
        "Stephen Boyd <sboyd@kernel.org>",
        "Thu, 8 Jan 2026 11:00:00 +0000",
        "[GIT PULL 1/1] clk: Fix the rate",
        &body,
    );
    // The control: a plain v1 and v2 of one title are linked.
    mbox += &mail(
        "v1@kernel.org",
        "Sasha Levin <sashal@kernel.org>",
        "Thu, 1 Jan 2026 12:00:00 +0000",
        &format!("[PATCH] {title}"),
        &body,
    );
    mbox += &mail(
        "v2@kernel.org",
        "Sasha Levin <sashal@kernel.org>",
        "Thu, 2 Jan 2026 12:00:00 +0000",
        &format!("[PATCH v2] {title}"),
        &body,
    );
    let a = archive_of(tmp.path(), &mbox);
    assert_eq!(versions_of(&a, "a612@kernel.org").len(), 1);
    assert_eq!(versions_of(&a, "a66@kernel.org").len(), 1);
    assert_eq!(versions_of(&a, "single@kernel.org").len(), 1);
    assert_eq!(versions_of(&a, "pull@kernel.org").len(), 1);
    assert_eq!(versions_of(&a, "v2@kernel.org").len(), 2);
    let line = a.series_line(a.find("a66@kernel.org").unwrap()).unwrap();
    assert!(!line.contains("versions"), "{line}");
}

/// Issue 14: thousands of same-title series from one sender kept a copy of the version list
/// in every series (5.4 MB of mail took 1.57 GB). Every series of a work now shares one list,
/// so what is stored grows with the series, not with their square.
#[test]
fn same_title_series_share_one_version_list() {
    let tmp = tempfile::tempdir().unwrap();
    let stored = |n: usize| {
        let mut mbox = String::new();
        for i in 0..n {
            let _ = write!(
                mbox,
                "{}",
                mail(
                    &format!("{i}@example.org"),
                    "Mallory <m@example.org>",
                    &format!("Thu, 1 Jan 2026 {:02}:{:02}:00 +0000", i / 60 % 24, i % 60),
                    "[PATCH] same title",
                    &format!("x\n{DIFF}"),
                )
            );
        }
        let a = archive_of(tmp.path(), &mbox);
        assert_eq!(a.series.len(), n);
        let lists: std::collections::HashSet<*const u32> = (0..n as u32)
            .map(|s| {
                let versions = a.versions(s);
                assert_eq!(versions.len(), n);
                versions.as_ptr()
            })
            .collect();
        // Entries held: each distinct list once.
        lists.len() * n
    };
    let (small, large) = (stored(300), stored(600));
    assert_eq!(small, 300, "one list for the 300 series");
    assert!(
        large <= 2 * small + 2,
        "stored entries grew {small} -> {large} for twice the series"
    );
}

/// The reader on two versions git wrote (`fixtures/reader/versions.mbox`: v1 of three
/// patches, v2 of four with a reworded cover title linked by `Link to v1:`), the v2 cover
/// selected, its interdiff shown.
fn reader_on_interdiff(width: u16, height: u16) -> Reader {
    let mut reader = Reader::open(fixture("reader/versions.mbox"), None, width, height);
    let selected = |r: &Reader| {
        r.app
            .list
            .selected()
            .map(|m| r.app.messages()[m as usize].subject.raw().to_string())
    };
    assert_eq!(
        selected(&reader).as_deref(),
        Some("[PATCH v2 0/4] clk: foo, bar, gate and mux fixes"),
        "newest first: the v2 cover"
    );
    reader.keys("I");
    reader
}

#[test]
fn interdiff_view_120x40() {
    let reader = reader_on_interdiff(120, 40);
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn interdiff_view_80x24() {
    let mut reader = reader_on_interdiff(80, 24);
    // Zoomed into the detail, as one reads a long interdiff on a small terminal.
    reader.keys("<tab> z");
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn version_keys_jump_between_versions_and_the_interdiff_toggles() {
    let mut reader = reader_on_interdiff(120, 40);
    let subject = |r: &Reader| {
        r.app
            .list
            .selected()
            .map(|m| r.app.messages()[m as usize].subject.raw().to_string())
            .unwrap_or_default()
    };
    let screen = reader.screen();
    assert!(
        screen.contains("[2/4] changed   clk: foo: Refuse negative rates"),
        "{screen}"
    );
    assert!(screen.contains("versions v1 [v2]"), "{screen}");
    // Back to the message, then to v1: the list moves there.
    reader.keys("I <");
    assert_eq!(
        subject(&reader),
        "[PATCH 0/3] clk: fixes for foo, bar and gate"
    );
    assert!(reader.screen().contains("versions [v1] v2"));
    reader.keys("<");
    assert_eq!(reader.app.note.as_deref(), Some("no earlier version"));
    // Even when a filter hides it, the next version is reached.
    reader.keys("/fixes<space>for<enter>");
    reader.keys(">");
    assert_eq!(
        subject(&reader),
        "[PATCH v2 0/4] clk: foo, bar, gate and mux fixes"
    );
}
