//! Exports are mboxes `git am` applies: a series git itself wrote comes back as the same
//! commits; real series keep every message's bytes; existing files are never overwritten.

use crate::support::corpus as support;
use crate::support::run::{self, patchdeck};

use std::path::Path;
use std::process::Output;

use patchdeck::index::archive::Archive;
use patchdeck::model::message::Kind;
use patchdeck::source::Input;

fn git(dir: &Path, args: &[&str]) -> Output {
    run::git(dir, args, &[])
}

/// Author, subject and body (trailers included) of the last `n` commits.
fn log(dir: &Path, n: usize) -> String {
    let out = git(
        dir,
        &["log", &format!("-{n}"), "--format=%an <%ae>%n%s%n%b%n--"],
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn git_am_applies_an_exported_series() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.name", "Base Author"]);
    git(&repo, &["config", "user.email", "base@example.org"]);
    std::fs::write(repo.join("clk.c"), "int rate;\n").unwrap();
    git(&repo, &["add", "clk.c"]);
    git(&repo, &["commit", "-q", "-m", "clk: base"]);
    let authors = [
        ("Ada Lovelace", "ada@example.org"),
        ("Rafał Miłecki", "rafal@example.org"),
        ("Linus Torvalds", "torvalds@example.org"),
    ];
    for (n, (name, email)) in authors.iter().enumerate() {
        std::fs::write(
            repo.join("clk.c"),
            format!("int rate;\nint step{n};\nFrom the start\n"),
        )
        .unwrap();
        git(&repo, &["add", "clk.c"]);
        let msg = format!(
            "clk: add step {n}\n\nExplain step {n}.\n\nFixes: 0123456789ab (\"clk: base\")\nSigned-off-by: {name} <{email}>\n"
        );
        git(
            &repo,
            &[
                "-c",
                &format!("user.name={name}"),
                "-c",
                &format!("user.email={email}"),
                "commit",
                "-q",
                "-m",
                &msg,
            ],
        );
    }
    let before = log(&repo, 3);
    let out = git(
        &repo,
        &[
            "format-patch",
            "--cover-letter",
            "--thread",
            "--stdout",
            "-3",
        ],
    );
    let mut mbox = String::from_utf8(out.stdout).unwrap();
    // A review reply to patch 2, as a list would carry it.
    let ids: Vec<String> = mbox
        .lines()
        .filter_map(|l| {
            l.strip_prefix("Message-ID: ")
                .or_else(|| l.strip_prefix("Message-Id: "))
        })
        .map(str::to_string)
        .collect();
    assert_eq!(ids.len(), 4, "cover + 3 patches");
    mbox.push_str(&format!(
        "\nFrom reviewer Mon Sep 17 00:00:00 2001\nFrom: Reviewer <rev@example.org>\nSubject: Re: [PATCH 2/3] clk: add step 1\nMessage-ID: <review@example.org>\nIn-Reply-To: {}\nReferences: {} {}\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\n> Explain step 1.\n\nReviewed-by: Reviewer <rev@example.org>\n",
        ids[2], ids[0], ids[2]
    ));
    let series_path = tmp.path().join("series.mbox");
    std::fs::write(&series_path, &mbox).unwrap();
    git(&repo, &["reset", "-q", "--hard", "HEAD~3"]);

    let archive = Archive::load(&[Input::Path(series_path.clone())], &|_| {}).unwrap();
    assert_eq!(archive.len(), 5);
    let patch2 = archive.find(ids[2].trim_matches(['<', '>'])).unwrap();
    assert_eq!(archive.trailer_counts(patch2).reviewed, 1);

    let export = tmp.path().join("export.mbox");
    let cover = ids[0].trim_matches(['<', '>']).to_string();
    let out = patchdeck(&[
        "export",
        series_path.to_str().unwrap(),
        "--series",
        &cover,
        "-o",
        export.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(&repo, &["am", "-q", export.to_str().unwrap()]);
    // The review given on the list is applied, as `b4 am` applies it.
    let reviewed = before.replace(
        "Signed-off-by: Rafał Miłecki <rafal@example.org>\n",
        "Signed-off-by: Rafał Miłecki <rafal@example.org>\nReviewed-by: Reviewer <rev@example.org>\n",
    );
    assert_ne!(reviewed, before);
    assert_eq!(log(&repo, 3), reviewed);

    // --no-trailers gives the commits back exactly as they were sent.
    git(&repo, &["reset", "-q", "--hard", "HEAD~3"]);
    let plain = tmp.path().join("plain.mbox");
    let out = patchdeck(&[
        "export",
        series_path.to_str().unwrap(),
        "--series",
        &cover,
        "--no-trailers",
        "-o",
        plain.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    git(&repo, &["am", "-q", plain.to_str().unwrap()]);
    assert_eq!(log(&repo, 3), before);

    // The same export again must refuse to overwrite, and leave the file alone.
    let first = std::fs::read(&export).unwrap();
    let out = patchdeck(&[
        "export",
        series_path.to_str().unwrap(),
        "--series",
        &cover,
        "-o",
        export.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&export).unwrap(), first);
    let out = patchdeck(&[
        "export",
        series_path.to_str().unwrap(),
        "--series",
        &cover,
        "-o",
        export.to_str().unwrap(),
        "--force",
    ]);
    assert!(out.status.success());
}

/// With `--no-trailers`, every exported message is the original, byte for byte.
#[test]
fn real_series_keep_their_bytes_in_order() {
    let Some(path) = support::corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let archive = Archive::load(&[Input::Path(path.clone())], &|_| {}).unwrap();
    let series: Vec<_> = archive
        .series
        .iter()
        .filter(|s| s.cover.is_some() && s.patches.len() >= 3)
        .take(5)
        .collect();
    assert_eq!(series.len(), 5);
    let tmp = tempfile::tempdir().unwrap();
    for s in series {
        let root_id = archive.messages[s.root as usize].id.clone();
        let out_path = tmp.path().join(format!("{}.mbox", s.id));
        let out = patchdeck(&[
            "export",
            path.to_str().unwrap(),
            "--series",
            &root_id,
            "--no-trailers",
            "-o",
            out_path.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let exported = run::split_export(&std::fs::read(&out_path).unwrap());
        assert_eq!(exported.len(), s.patches.len());
        let mut last = 0;
        for (bytes, &(number, idx)) in exported.iter().zip(&s.patches) {
            assert!(number >= last, "n/m order");
            last = number;
            let mut want = archive.raw(idx).into_owned();
            if !want.ends_with(b"\n") {
                want.push(b'\n');
            }
            assert_eq!(bytes, &want, "bytes of patch {number} of {}", s.title);
            assert_eq!(archive.messages[idx as usize].kind, Kind::Patch);
        }
    }
}
