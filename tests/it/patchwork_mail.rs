//! Every mail in patchwork's parser test data gives the kind, version, n/m, pull URL and diff
//! facts that patchwork's own tests assert (`../shared/corpora/patchwork/EXPECTED.json`).

use crate::support::corpus as support;

use patchdeck::index::archive::Archive;
use patchdeck::model::diff::FileStatus;
use patchdeck::model::message::Kind;
use patchdeck::source::Input;
use serde_json::Value;

fn load_one(path: &std::path::Path) -> Archive {
    let archive = Archive::load(&[Input::Path(path.to_path_buf())], &|_| {})
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(archive.len(), 1, "{}: one message", path.display());
    archive
}

#[test]
fn kinds_versions_numbers_and_pull_urls() {
    let Some(dir) = support::corpus("patchwork") else {
        return;
    };
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("EXPECTED.json")).unwrap()).unwrap();
    let mails = expected["mail"].as_object().unwrap();
    assert!(mails.len() >= 26);
    for (file, want) in mails {
        let archive = load_one(&dir.join("mail").join(file));
        let m = &archive.messages[0];
        let kind = match want["kind"].as_str().unwrap() {
            "pull_request" | "pull_request_with_diff" => Kind::Pull,
            "patch" => Kind::Patch,
            "comment" => Kind::Reply,
            other => panic!("{file}: unknown expected kind {other}"),
        };
        assert_eq!(m.kind, kind, "{file}: kind");
        let derived = &want["derived"];
        assert_eq!(
            u64::from(m.subject.version.unwrap_or(1)),
            derived["version"].as_u64().unwrap(),
            "{file}: version"
        );
        assert_eq!(
            m.subject.number.map(u64::from),
            derived["number"].as_u64(),
            "{file}: number"
        );
        assert_eq!(
            m.subject.total.map(u64::from),
            derived["total"].as_u64(),
            "{file}: total"
        );
        assert_eq!(
            m.summary.pull_url.as_deref(),
            derived["pull_url"].as_str(),
            "{file}: pull URL"
        );
        let body = archive.body(0);
        let asserts: Vec<&str> = want["asserts"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if asserts.contains(&"diff is None") {
            assert!(!body.patch.has_diff(), "{file}: no diff expected");
        }
        if asserts.contains(&"diff is not None") {
            assert!(body.patch.has_diff(), "{file}: a diff expected");
        }
        if asserts.iter().any(|a| a.contains("'<div' not in")) {
            assert!(!body.patch.message.contains("<div"), "{file}: HTML leaked");
            assert!(
                !body.patch.diff_text.contains("<div"),
                "{file}: HTML leaked"
            );
        }
    }
}

/// The diff shapes patchwork's tests assert, file by file.
#[test]
fn diff_facts() {
    let Some(dir) = support::corpus("patchwork/mail") else {
        return;
    };
    let body = |name: &str| load_one(&dir.join(name)).body(0).patch;

    for name in ["0008-git-rename.mbox", "0009-git-rename-with-diff.mbox"] {
        let p = body(name);
        let renames = p
            .files
            .iter()
            .filter(|f| f.status == FileStatus::Renamed)
            .count();
        assert_eq!(renames, 2, "{name}: renames");
    }
    let p = body("0009-git-rename-with-diff.mbox");
    assert!(p.diff_text.contains("\n-a\n+b"));

    let p = body("0011-no-newline-at-end-of-file.mbox");
    assert!(
        p.diff_text
            .starts_with("diff --git a/tools/testing/selftests/powerpc/Makefile")
    );
    assert!(
        p.diff_text
            .trim_end()
            .ends_with("\\ No newline at end of file")
    );
    let markers: u32 = p
        .files
        .iter()
        .flat_map(|f| &f.hunks)
        .map(|h| h.no_newline)
        .sum();
    assert_eq!(markers, 2);
    assert!(
        !p.message
            .trim_end()
            .ends_with("\\ No newline at end of file")
    );

    let p = body("0007-cvs-format-diff.mbox");
    assert!(
        p.diff_text.starts_with("Index"),
        "{:?}",
        &p.diff_text[..40.min(p.diff_text.len())]
    );
    assert!(p.has_diff());

    let p = body("0021-git-empty-new-file.mbox");
    assert!(
        p.files
            .iter()
            .any(|f| f.status == FileStatus::Added && f.hunks.is_empty())
    );

    let p = body("0022-git-mode-change.mbox");
    assert!(
        p.files
            .iter()
            .any(|f| f.status == FileStatus::ModeChange && f.hunks.is_empty())
    );

    for name in [
        "0025-git-add-binary-file.mbox",
        "0027-git-modify-binary-file.mbox",
    ] {
        let p = body(name);
        assert!(
            p.diff_text.starts_with("diff --git pixel.bmp pixel.bmp"),
            "{name}"
        );
        assert!(p.files.iter().all(|f| f.binary), "{name}: binary");
        assert!(p.diff_text.contains("literal 142\n") && p.diff_text.contains("literal 0\n"));
    }
    let p = body("0026-git-add-mixed-binary-text-files.mbox");
    assert!(p.files.iter().any(|f| f.binary));
    assert!(p.files.iter().any(|f| !f.binary && f.path() == "quit.sh"));

    let p = body("0003-git-pull-request-with-diff.mbox");
    assert!(
        p.diff_text
            .starts_with("diff --git a/arch/x86/include/asm/smp.h")
    );
}

/// Raw UTF-8 headers read as UTF-8; an encoded word with invalid bytes still gives a subject.
#[test]
fn header_decoding() {
    let Some(dir) = support::corpus("patchwork/mail") else {
        return;
    };
    let a = load_one(&dir.join("0014-with-unencoded-utf8-headers.mbox"));
    assert_eq!(
        a.messages[0].subject.title(),
        "MAINTAINERS: Update entry for BCM5301X ARM to include Rafał Miłecki"
    );
    let a = load_one(&dir.join("0015-with-invalid-utf8-headers.mbox"));
    assert!(
        a.messages[0]
            .subject
            .title()
            .starts_with("MAINTAINERS: Update entry for BCM5301X ARM")
    );
    let a = load_one(&dir.join("0016-no-subject.mbox"));
    assert_eq!(a.messages[0].subject.title(), "");
}
