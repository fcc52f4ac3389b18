//! The review loop, checked the way `b4 am` defines it: series written by git itself
//! (`git format-patch` in a scratch repository), replies written by hand, exported by
//! `patchdeck export`, and each exported message read back by `git mailinfo`. Every test
//! compares the commit message `git am` would record with the exact text b4 0.16 writes for
//! the same mbox (the expected texts were confirmed by running `b4 am -m` on the scenario;
//! set `PATCHDECK_KEEP_SCENARIO=<dir>` to keep the mbox and try it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use patchdeck::index::archive::Archive;
use patchdeck::source::Input;

use crate::support::run::{self, patchdeck};

fn git(dir: &Path, args: &[&str], date: &str) -> Output {
    run::git(
        dir,
        args,
        &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
    )
}

/// One mail of the scenario: its Message-ID and text.
#[derive(Clone)]
struct Mail {
    id: String,
    text: String,
}

/// A scratch repository whose commits become series.
struct Repo {
    dir: PathBuf,
    day: u32,
    batches: u32,
}

const AUTHOR: &str = "Ada Author <ada@example.org>";

impl Repo {
    fn new(root: &Path) -> Repo {
        let dir = root.join("repo");
        std::fs::create_dir(&dir).unwrap();
        let repo = Repo {
            dir,
            day: 1,
            batches: 0,
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Ada Author"]);
        repo.git(&["config", "user.email", "ada@example.org"]);
        std::fs::write(repo.dir.join("clk.c"), "int base;\n").unwrap();
        repo.git(&["add", "clk.c"]);
        repo.git(&["commit", "-q", "-m", "clk: base"]);
        repo
    }

    fn date(&self) -> String {
        format!("2024-01-{:02}T10:00:00+0000", self.day)
    }

    fn git(&self, args: &[&str]) -> Output {
        git(&self.dir, args, &self.date())
    }

    /// Commits `line` appended to `file` with message `msg`.
    fn commit(&mut self, file: &str, line: &str, msg: &str) {
        let path = self.dir.join(file);
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str(line);
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        self.git(&["add", file]);
        self.git(&["commit", "-q", "-m", msg]);
    }

    /// `git format-patch --stdout` of `args`, split into mails. git names a cover letter
    /// `cover.<now>.git.<email>`, so a later batch's cover is renamed to stay unique.
    fn format_patch(&mut self, args: &[&str]) -> Vec<Mail> {
        self.day += 1;
        self.batches += 1;
        let mut all = vec!["format-patch", "--thread", "--stdout"];
        all.extend_from_slice(args);
        let mut out = String::from_utf8(self.git(&all).stdout).unwrap();
        if self.batches > 1 {
            out = out.replace("<cover.", &format!("<cover-{}.", self.batches));
        }
        let mut mails: Vec<Mail> = Vec::new();
        for line in out.split_inclusive('\n') {
            if line.starts_with("From ") && line.ends_with("Mon Sep 17 00:00:00 2001\n") {
                mails.push(Mail {
                    id: String::new(),
                    text: String::new(),
                });
            }
            let Some(mail) = mails.last_mut() else {
                continue;
            };
            if mail.id.is_empty()
                && let Some(id) = line
                    .strip_prefix("Message-ID: ")
                    .or_else(|| line.strip_prefix("Message-Id: "))
            {
                mail.id = id.trim().trim_matches(['<', '>']).to_string();
            }
            mail.text.push_str(line);
        }
        mails
    }

    /// The commit message of `HEAD~n` (subject line excluded), as git stores it.
    fn message(&self, n: usize) -> String {
        let out = self.git(&["log", "-1", "--format=%b", &format!("HEAD~{n}")]);
        let text = String::from_utf8(out.stdout).unwrap();
        format!("{}\n", text.trim_end())
    }
}

/// A reply as a list carries it.
fn reply(
    from: &str,
    subject: &str,
    to: Option<&Mail>,
    refs: &[&Mail],
    day: u32,
    body: &str,
) -> Mail {
    let id = format!("reply-{day}-{}@example.org", body.len() + subject.len());
    let mut text = format!(
        "From reply Mon Sep 17 00:00:00 2001\nFrom: {from}\nSubject: Re: {subject}\nDate: Mon, {day} Feb 2024 10:00:00 +0000\nMessage-ID: <{id}>\n"
    );
    if let Some(to) = to {
        text.push_str(&format!("In-Reply-To: <{}>\n", to.id));
    }
    if !refs.is_empty() {
        let refs: Vec<String> = refs.iter().map(|m| format!("<{}>", m.id)).collect();
        text.push_str(&format!("References: {}\n", refs.join(" ")));
    }
    text.push('\n');
    text.push_str(body);
    Mail { id, text }
}

fn write_mbox(dir: &Path, name: &str, mails: &[&Mail]) -> PathBuf {
    let path = dir.join(name);
    let mut text = String::new();
    for m in mails {
        text.push_str(&m.text);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    if let Some(keep) = std::env::var_os("PATCHDECK_KEEP_SCENARIO") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&path, Path::new(&keep).join(name)).unwrap();
    }
    path
}

/// Runs `patchdeck export <mbox> <args> -o -` and returns each exported message.
fn export(mbox: &Path, args: &[&str]) -> Vec<Vec<u8>> {
    let mut all = vec!["export", mbox.to_str().unwrap()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", "-"]);
    let out = patchdeck(&all);
    assert!(
        out.status.success(),
        "export {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    crate::support::run::split_export(&out.stdout)
}

/// `git mailinfo` on one message: `(subject, commit message)`.
fn mailinfo(message: &[u8]) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let msg = tmp.path().join("msg");
    let patch = tmp.path().join("patch");
    let mut child = Command::new("git")
        .args(["mailinfo", "-k"])
        .arg(&msg)
        .arg(&patch)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(message).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = String::from_utf8(out.stdout).unwrap();
    let subject = info
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or_default()
        .to_string();
    (subject, std::fs::read_to_string(&msg).unwrap())
}

/// The commit messages of an export, by `git mailinfo`.
fn messages(exported: &[Vec<u8>]) -> Vec<String> {
    exported.iter().map(|m| mailinfo(m).1).collect()
}

/// A series with a cover letter and every kind of review reply b4 handles.
struct Review {
    _tmp: tempfile::TempDir,
    mbox: PathBuf,
    cover: Mail,
    patches: Vec<Mail>,
    replies: Vec<Mail>,
    /// The two commit messages as git wrote them.
    original: Vec<String>,
}

fn review_scenario() -> Review {
    let tmp = tempfile::tempdir().unwrap();
    let mut repo = Repo::new(tmp.path());
    repo.commit(
        "clk.c",
        "int one;",
        "clk: add one\n\nOne is needed.\n\nSigned-off-by: Ada Author <ada@example.org>",
    );
    repo.commit(
        "clk.c",
        "int two;",
        "clk: add two\n\nTwo follows one.\n\nReviewed-by: Early Bird <early@example.org>\nSigned-off-by: Ada Author <ada@example.org>",
    );
    let original = vec![repo.message(1), repo.message(0)];
    let mails = repo.format_patch(&["--cover-letter", "-2"]);
    let (cover, p1, p2) = (mails[0].clone(), mails[1].clone(), mails[2].clone());
    let s1 = "[PATCH 1/2] clk: add one";
    let s2 = "[PATCH 2/2] clk: add two";
    // Nested: a reviewer comments, the author answers, the reviewer gives the tag there.
    let r1 = reply(
        "Maz Reviewer <maz@example.org>",
        s1,
        Some(&p1),
        &[&cover, &p1],
        1,
        "> One is needed.\n\nWhy?\n",
    );
    let r2 = reply(
        AUTHOR,
        s1,
        Some(&r1),
        &[&cover, &p1, &r1],
        2,
        "> Why?\n\nBecause.\n",
    );
    let r3 = reply(
        "Maz Reviewer <maz@example.org>",
        s1,
        Some(&r2),
        &[&cover, &p1, &r1, &r2],
        3,
        "> Because.\n\nFair enough.\n\nReviewed-by: Maz Reviewer <maz@example.org>\n",
    );
    // References only, no In-Reply-To: b4 takes the first known reference (the cover).
    let r4 = reply(
        "Tess Tester <tess@example.org>",
        s2,
        None,
        &[&cover, &p2],
        4,
        "Tested-by: Tess Tester <tess@example.org>\n",
    );
    // A trailer for someone else, and one for the sender; an invalid address.
    let r5 = reply(
        "Hal Helper <hal@example.org>",
        s2,
        Some(&p2),
        &[&cover, &p2],
        5,
        "Acked-by: Big Boss <boss@example.org>\nReviewed-by: Hal Helper <hal@example.org>\nAcked-by: Marc Zyngier <maz:kernel.org>\n",
    );
    // Already in the patch.
    let r6 = reply(
        "Early Bird <early@example.org>",
        s2,
        Some(&p2),
        &[&cover, &p2],
        6,
        "Still fine.\n\nReviewed-by: Early Bird <early@example.org>\n",
    );
    // HTML mail junk, an odd name, a combined tag.
    let r7 = reply(
        "Jun Kmail <jun@example.org>",
        s1,
        Some(&p1),
        &[&cover, &p1],
        7,
        "Acked-by: Jun Kmail <jun@example.org<mailto:jun@example.org>>\n",
    );
    let r8 = reply(
        "\"Odd (Team), Name\" <odd@example.org>",
        s1,
        Some(&p1),
        &[&cover, &p1],
        8,
        "Reviewed-by: Odd (Team), Name [x] <odd@example.org>\n",
    );
    let r9 = reply(
        "Rita Both <rita@example.org>",
        s2,
        Some(&p2),
        &[&cover, &p2],
        9,
        "Reviewed-and-Tested-by: Rita Both <rita@example.org>\n",
    );
    // On the cover: for every patch.
    let r10 = reply(
        "Cora Cover <cora@example.org>",
        "[PATCH 0/2] *** SUBJECT HERE ***",
        Some(&cover),
        &[&cover],
        10,
        "For the series:\nAcked-by: Cora Cover <cora@example.org>\n",
    );
    let replies = vec![r1, r2, r3, r4, r5, r6, r7, r8, r9, r10];
    let mut all: Vec<&Mail> = vec![&cover, &p1, &p2];
    all.extend(replies.iter());
    let mbox = write_mbox(tmp.path(), "review.mbox", &all);
    Review {
        _tmp: tmp,
        mbox,
        cover,
        patches: vec![p1, p2],
        replies,
        original,
    }
}

/// What b4 0.16 writes for the review scenario (`b4 am -m review.mbox <cover>`).
fn b4_messages(s: &Review) -> Vec<String> {
    vec![
        format!(
            "{}Reviewed-by: Maz Reviewer <maz@example.org>\nAcked-by: Jun Kmail <jun@example.org>\nReviewed-by: Odd (Team), Name [x] <odd@example.org>\nTested-by: Tess Tester <tess@example.org>\nAcked-by: Cora Cover <cora@example.org>\n",
            s.original[0]
        ),
        format!(
            "{}Reviewed-by: Hal Helper <hal@example.org>\nReviewed-and-Tested-by: Rita Both <rita@example.org>\nTested-by: Tess Tester <tess@example.org>\nAcked-by: Cora Cover <cora@example.org>\n",
            s.original[1]
        ),
    ]
}

#[test]
fn an_export_carries_the_review_b4_collects() {
    let s = review_scenario();
    for id in [&s.cover.id, &s.patches[1].id, &s.replies[2].id] {
        let exported = export(&s.mbox, &["--series", id]);
        assert_eq!(messages(&exported), b4_messages(&s), "--series {id}");
    }
}

#[test]
fn no_trailers_keeps_the_bytes_and_add_link_adds_lore() {
    let s = review_scenario();
    let exported = export(&s.mbox, &["--series", &s.cover.id, "--no-trailers"]);
    assert_eq!(messages(&exported), s.original);
    let archive = Archive::load(&[Input::Path(s.mbox.clone())], &|_| {}).unwrap();
    for (bytes, mail) in exported.iter().zip(&s.patches) {
        let want = archive.raw(archive.find(&mail.id).unwrap());
        assert_eq!(bytes, &*want);
    }
    let linked = export(&s.mbox, &["--series", &s.cover.id, "--add-link"]);
    let b4 = b4_messages(&s);
    for ((got, want), mail) in messages(&linked).iter().zip(&b4).zip(&s.patches) {
        assert_eq!(
            got,
            &format!("{want}Link: https://lore.kernel.org/r/{}\n", mail.id)
        );
    }
}

#[test]
fn every_view_reads_the_one_merged_list() {
    let s = review_scenario();
    let archive = Archive::load(&[Input::Path(s.mbox.clone())], &|_| {}).unwrap();
    let p2 = archive.find(&s.patches[1].id).unwrap();
    // Own: Reviewed-by Early (given again, not added), Signed-off-by; given: Hal, Rita;
    // Acked-by Big Boss is shown but not applied; cover: Tess, Cora.
    let merged: Vec<String> = archive
        .trailers(p2)
        .iter()
        .map(|t| {
            let note = archive.given_note(t).unwrap_or_default();
            format!("{}: {} {note}", t.trailer.key, t.trailer.value)
        })
        .collect();
    assert_eq!(
        merged,
        [
            "Reviewed-by: Early Bird <early@example.org> ",
            "Signed-off-by: Ada Author <ada@example.org> ",
            "Acked-by: Big Boss <boss@example.org> given by Hal Helper <hal@example.org> for Big Boss, not applied",
            "Reviewed-by: Hal Helper <hal@example.org> given on the list",
            "Reviewed-and-Tested-by: Rita Both <rita@example.org> given on the list",
            "Tested-by: Tess Tester <tess@example.org> given on the list",
            "Acked-by: Cora Cover <cora@example.org> given on the list",
        ]
    );
    let counts = archive.trailer_counts(p2);
    assert_eq!((counts.reviewed, counts.acked, counts.tested), (3, 1, 2));
    assert_eq!(
        archive.series_line(p2).as_deref(),
        Some("2/2 · Reviewed-by 3 · Acked-by 1 · Tested-by 2")
    );
    let cover = archive.find(&s.cover.id).unwrap();
    assert_eq!(
        archive.series_line(cover).as_deref(),
        Some("0/2 · 2/2 patches reviewed · 2/2 acked · 2/2 tested")
    );

    // `show` prints the same list, once each.
    let out = patchdeck(&["show", s.mbox.to_str().unwrap(), &s.patches[1].id]);
    let shown = String::from_utf8(out.stdout).unwrap();
    // The detail layout pads the note away from the value: compare words, not spacing.
    let shown = shown
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(shown.matches("Reviewed-by: Early Bird").count(), 1);
    assert!(shown.contains("Acked-by: Big Boss <boss@example.org> (given by Hal Helper <hal@example.org> for Big Boss, not applied)"));
    assert!(shown.contains("Acked-by: Cora Cover <cora@example.org> (given on the list)"));

    // JSON: the merged list, `given_by` naming the reply.
    let out = patchdeck(&["list", s.mbox.to_str().unwrap(), "--format", "json"]);
    let line = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find(|l| l.contains(&format!("\"message_id\":\"{}\"", s.patches[1].id)))
        .unwrap()
        .to_string();
    let json: serde_json::Value = serde_json::from_str(&line).unwrap();
    let trailers = json["trailers"].as_array().unwrap();
    assert_eq!(trailers.len(), 7);
    assert!(trailers[0].get("given_by").is_none());
    assert_eq!(trailers[2]["not_applied"], true);
    assert_eq!(trailers[6]["given_by"], s.replies[9].id.as_str());
    assert_eq!(trailers[6]["value"], "Cora Cover <cora@example.org>");
}

/// v2 with a cover and 2 patches; v3 re-sends only 2/2, in reply to v2's 2/2.
#[test]
fn a_partial_reroll_is_completed_from_the_version_before() {
    let tmp = tempfile::tempdir().unwrap();
    let mut repo = Repo::new(tmp.path());
    repo.commit(
        "a.c",
        "int a;",
        "clk: a\n\nA.\n\nSigned-off-by: Ada Author <ada@example.org>",
    );
    repo.commit(
        "b.c",
        "int b;",
        "clk: b\n\nB.\n\nSigned-off-by: Ada Author <ada@example.org>",
    );
    let one = repo.message(1);
    let v2 = repo.format_patch(&["--cover-letter", "-v2", "-2"]);
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.commit(
        "b.c",
        "int b = 2;",
        "clk: b\n\nB, fixed.\n\nSigned-off-by: Ada Author <ada@example.org>",
    );
    let two = repo.message(0);
    let in_reply = format!("--in-reply-to={}", v2[2].id);
    let v3 = repo.format_patch(&["-v3", "-n", "--start-number=2", "-1", &in_reply]);
    assert!(v3[0].text.contains("[PATCH v3 2/2]"), "{}", v3[0].text);
    let on_cover = reply(
        "Cora Cover <cora@example.org>",
        "[PATCH v2 0/2] *** SUBJECT HERE ***",
        Some(&v2[0]),
        &[&v2[0]],
        1,
        "Acked-by: Cora Cover <cora@example.org>\n",
    );
    let on_one = reply(
        "Oona One <oona@example.org>",
        "[PATCH v2 1/2] clk: a",
        Some(&v2[1]),
        &[&v2[0], &v2[1]],
        2,
        "Reviewed-by: Oona One <oona@example.org>\n",
    );
    let on_old_two = reply(
        "Otto Old <otto@example.org>",
        "[PATCH v2 2/2] clk: b",
        Some(&v2[2]),
        &[&v2[0], &v2[2]],
        3,
        "Tested-by: Otto Old <otto@example.org>\n",
    );
    let mbox = write_mbox(
        tmp.path(),
        "reroll.mbox",
        &[
            &v2[0],
            &v2[1],
            &v2[2],
            &on_cover,
            &on_one,
            &on_old_two,
            &v3[0],
        ],
    );
    // b4 am -m reroll.mbox <v2 cover>: v3 is the newest; 1/2 comes from v2 with its review,
    // the cover's Acked-by reaches both; v2's old 2/2 keeps its Tested-by to itself.
    let want = vec![
        format!(
            "{one}Reviewed-by: Oona One <oona@example.org>\nAcked-by: Cora Cover <cora@example.org>\n"
        ),
        format!("{two}Acked-by: Cora Cover <cora@example.org>\n"),
    ];
    for id in [&v2[0].id, &v3[0].id] {
        let exported = export(&mbox, &["--series", id]);
        assert_eq!(messages(&exported), want, "--series {id}");
    }
    let old = export(&mbox, &["--series", &v2[0].id, "-v", "2"]);
    assert_eq!(
        messages(&old)[1],
        format!(
            "{}Tested-by: Otto Old <otto@example.org>\nAcked-by: Cora Cover <cora@example.org>\n",
            repo_message_v2_two()
        )
    );
    let archive = Archive::load(&[Input::Path(mbox)], &|_| {}).unwrap();
    let v3_two = archive.find(&v3[0].id).unwrap();
    assert_eq!(
        archive.series_line(v3_two).as_deref(),
        Some("v3 2/2 · Acked-by 1 · partial reroll: 1 from v2")
    );
}

fn repo_message_v2_two() -> String {
    "B.\n\nSigned-off-by: Ada Author <ada@example.org>\n".into()
}

/// Two rounds in one thread (v2 sent in reply to v1's cover), and a cover that gives no
/// version over patches that do.
#[test]
fn versions_in_one_thread() {
    let tmp = tempfile::tempdir().unwrap();
    let mut repo = Repo::new(tmp.path());
    repo.commit(
        "c.c",
        "int c;",
        "clk: c\n\nC.\n\nSigned-off-by: Ada Author <ada@example.org>",
    );
    repo.commit(
        "d.c",
        "int d;",
        "clk: d\n\nD.\n\nSigned-off-by: Ada Author <ada@example.org>",
    );
    let v1 = repo.format_patch(&["--cover-letter", "-2"]);
    repo.git(&["reset", "-q", "--hard", "HEAD~2"]);
    repo.commit(
        "c.c",
        "int c = 1;",
        "clk: c\n\nC, v2.\n\nSigned-off-by: Ada Author <ada@example.org>",
    );
    repo.commit(
        "d.c",
        "int d = 1;",
        "clk: d\n\nD, v2.\n\nSigned-off-by: Ada Author <ada@example.org>",
    );
    let (c2, d2) = (repo.message(1), repo.message(0));
    // Sent in reply to v1's cover letter.
    let mut v2 = repo.format_patch(&["--cover-letter", "-v2", "-2"]);
    let threaded = format!("In-Reply-To: <{0}>\nReferences: <{0}>\nSubject:", v1[0].id);
    v2[0].text = v2[0].text.replacen("Subject:", &threaded, 1);
    for m in &mut v2[1..] {
        m.text = m
            .text
            .replacen("References: <", &format!("References: <{}> <", v1[0].id), 1);
    }
    let ack = reply(
        "Cora Cover <cora@example.org>",
        "[PATCH v2 2/2] clk: d",
        Some(&v2[2]),
        &[&v1[0], &v2[0], &v2[2]],
        1,
        "Acked-by: Cora Cover <cora@example.org>\n",
    );
    let mut all: Vec<&Mail> = v1.iter().chain(&v2).collect();
    all.push(&ack);
    let mbox = write_mbox(tmp.path(), "versions.mbox", &all);

    // Newest by default, from any message of the thread; -v 1 picks the first round.
    let newest = vec![
        c2.clone(),
        format!("{d2}Acked-by: Cora Cover <cora@example.org>\n"),
    ];
    for id in [&v1[0].id, &v1[1].id, &v2[0].id] {
        assert_eq!(
            messages(&export(&mbox, &["--series", id])),
            newest,
            "--series {id}"
        );
    }
    let first = messages(&export(&mbox, &["--series", &v2[0].id, "-v", "1"]));
    assert_eq!(
        first,
        [
            "C.\n\nSigned-off-by: Ada Author <ada@example.org>\n",
            "D.\n\nSigned-off-by: Ada Author <ada@example.org>\n"
        ]
    );
    let out = patchdeck(&[
        "export",
        mbox.to_str().unwrap(),
        "--series",
        &v1[0].id,
        "-v",
        "7",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no v7 of this series here (versions: v1, v2)")
    );

    // A query matching both rounds is refused, naming them, unless asked.
    let out = patchdeck(&[
        "export",
        mbox.to_str().unwrap(),
        "-q",
        "is:patch",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("v1, v2 of \"*** SUBJECT HERE ***\""), "{err}");
    let all_versions = export(&mbox, &["-q", "is:patch", "--all-versions"]);
    assert_eq!(all_versions.len(), 4);
    assert_eq!(export(&mbox, &["-q", "is:patch", "-v", "2"]).len(), 2);

    // `[PATCH 0/2]` over `[PATCH v2 n/2]` is one series of version 2.
    let relabelled: Vec<Mail> = v1
        .iter()
        .map(|m| Mail {
            id: m.id.clone(),
            text: m
                .text
                .replace("[PATCH 1/2]", "[PATCH v2 1/2]")
                .replace("[PATCH 2/2]", "[PATCH v2 2/2]"),
        })
        .collect();
    let mbox = write_mbox(
        tmp.path(),
        "relabelled.mbox",
        &relabelled.iter().collect::<Vec<_>>(),
    );
    let exported = export(&mbox, &["--series", &relabelled[0].id]);
    assert_eq!(exported.len(), 2);
    let archive = Archive::load(&[Input::Path(mbox)], &|_| {}).unwrap();
    let cover = archive.find(&relabelled[0].id).unwrap();
    let series = archive.series(archive.series_of(cover).unwrap()).unwrap();
    assert_eq!((series.version, series.patches.len()), (2, 2));
}

/// `git interpret-trailers` appending `trailers` to `message` (git's own trailer-block rule).
fn appended(message: &str, trailers: &[String]) -> String {
    let mut cmd = Command::new("git");
    cmd.args(["interpret-trailers", "--if-exists", "add", "--where", "end"]);
    for t in trailers {
        cmd.arg("--trailer").arg(t);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(message.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Five real series of a list month that got review on the list: each exported message,
/// read by `git mailinfo`, is the original commit message with exactly the trailers the
/// reader shows as given (and applied) appended, as `git interpret-trailers` appends them.
#[test]
fn real_reviewed_series_export_with_the_trailers_the_reader_shows() {
    let Some(path) = crate::support::corpus::corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let archive = Archive::load(&[Input::Path(path.clone())], &|_| {}).unwrap();
    let given = |p: u32| -> Vec<String> {
        archive
            .trailers(p)
            .iter()
            .filter(|t| t.given_by.is_some() && t.applies())
            .map(|t| format!("{}: {}", t.trailer.key, t.trailer.value))
            .collect()
    };
    let reviewed: Vec<_> = archive
        .series
        .iter()
        .filter(|s| s.cover.is_some() && s.patches.len() >= 2 && s.rerolled.is_empty())
        .filter(|s| s.patches.iter().any(|&(_, p)| !given(p).is_empty()))
        .take(5)
        .collect();
    assert_eq!(reviewed.len(), 5);
    let mut added = 0;
    for s in reviewed {
        let cover = &archive.messages[s.cover.unwrap() as usize].id;
        let exported = export(&path, &["--series", cover, "-v", &s.version.to_string()]);
        assert_eq!(exported.len(), s.patches.len(), "{}", s.title);
        for (bytes, &(_, p)) in exported.iter().zip(&s.patches) {
            let (_, original) = mailinfo(&archive.raw(p));
            let trailers = given(p);
            added += trailers.len();
            let (_, got) = mailinfo(bytes);
            assert_eq!(
                got,
                appended(&original, &trailers),
                "{}",
                archive.messages[p as usize].id
            );
        }
    }
    assert!(added >= 5, "{added} trailers added");
}

/// A cover letter with many patches and a reply giving many trailers: the trailers are
/// stored once (on the cover), not once per patch, and still reach every patch.
#[test]
fn cover_trailers_are_stored_once_per_series() {
    const PATCHES: usize = 1500;
    const TRAILERS: usize = 1500;
    let tmp = tempfile::tempdir().unwrap();
    let mut mbox = String::new();
    let mail = |mbox: &mut String, id: &str, subject: &str, irt: Option<&str>, body: &str| {
        mbox.push_str(&format!(
            "From x Mon Sep 17 00:00:00 2001\nFrom: Ada Author <ada@example.org>\nSubject: {subject}\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <{id}>\n"
        ));
        if let Some(irt) = irt {
            mbox.push_str(&format!("In-Reply-To: <{irt}>\nReferences: <{irt}>\n"));
        }
        mbox.push_str(&format!("\n{body}\n"));
    };
    mail(
        &mut mbox,
        "cover@x",
        &format!("[PATCH 0/{PATCHES}] many"),
        None,
        "Cover.\n",
    );
    for n in 1..=PATCHES {
        mail(
            &mut mbox,
            &format!("p{n}@x"),
            &format!("[PATCH {n}/{PATCHES}] many: {n}"),
            Some("cover@x"),
            &format!(
                "Do {n}.\n\nSigned-off-by: Ada Author <ada@example.org>\n---\ndiff --git a/f{n} b/f{n}\n--- a/f{n}\n+++ b/f{n}\n@@ -1 +1 @@\n-a\n+b\n"
            ),
        );
    }
    let review: String = (0..TRAILERS)
        .map(|i| format!("Reviewed-by: Ada Author <ada+{i}@example.org>\n"))
        .collect();
    mail(
        &mut mbox,
        "r@x",
        &format!("Re: [PATCH 0/{PATCHES}] many"),
        Some("cover@x"),
        &review,
    );
    let path = tmp.path().join("many.mbox");
    std::fs::write(&path, mbox).unwrap();
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    assert_eq!(archive.given_trailer_entries(), TRAILERS);
    let last = archive.find(&format!("p{PATCHES}@x")).unwrap();
    assert_eq!(archive.trailer_counts(last).reviewed as usize, TRAILERS);
}

/// Review counts are wide: 70,000 `Reviewed-by` lines count as 70,000, not 70,000 - 65,536.
#[test]
fn review_counts_do_not_wrap_at_65536() {
    const TRAILERS: usize = 70_000;
    let tmp = tempfile::tempdir().unwrap();
    let review: String = (0..TRAILERS)
        .map(|i| format!("Reviewed-by: R <r{i}@example.org>\n"))
        .collect();
    let mbox = format!(
        "From x Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nSubject: [PATCH] x\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <p@x>\n\nX.\n---\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n\n\
         From y Mon Sep 17 00:00:00 2001\nFrom: R <r0@example.org>\nSubject: Re: [PATCH] x\nDate: Mon, 1 Jan 2024 11:00:00 +0000\nMessage-ID: <r@x>\nIn-Reply-To: <p@x>\n\n{review}"
    );
    let path = tmp.path().join("wide.mbox");
    std::fs::write(&path, mbox).unwrap();
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    let p = archive.find("p@x").unwrap();
    // Every value names "R", the sender's name, so each is the sender's and counts.
    assert_eq!(archive.trailers(p).len(), TRAILERS);
    assert_eq!(archive.trailer_counts(p).reviewed as usize, TRAILERS);
}
