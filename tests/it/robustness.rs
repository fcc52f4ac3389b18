//! No input makes patchdeck panic or hang: patchwork's fuzzed mails, MIME edge cases, random
//! bytes, truncations, NUL bytes, megabyte lines and 10,000-deep MIME nesting. A broken message
//! is loaded with a warning; the rest of the archive loads.

use crate::support::corpus as support;

use std::borrow::Cow;
use std::path::Path;

use patchdeck::index::archive::Archive;
use patchdeck::source::Input;

fn load_bytes(bytes: Vec<u8>) -> Option<Archive> {
    let input = Input::Bytes {
        label: "test".into(),
        bytes: Cow::Owned(bytes),
    };
    Archive::load(&[input], &|_| {}).ok()
}

/// Loads the archive and reads every message in full, as a reader scrolling through would.
fn read_all(archive: &Archive) {
    for i in 0..archive.len() as u32 {
        let body = archive.body(i);
        let _ = body.patch.file_stats();
        let _ = archive.raw(i);
    }
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_loads_without_panic() {
    let mut files = Vec::new();
    for dir in [
        "patchwork/fuzz",
        "mailparse",
        "public-inbox",
        "patchwork/mail",
        "patchwork/series",
    ] {
        let Some(path) = support::corpus(dir) else {
            return;
        };
        files_under(&path, &mut files);
    }
    assert!(files.len() > 80, "{}", files.len());
    for file in &files {
        if let Ok(archive) = Archive::load(&[Input::Path(file.clone())], &|_| {}) {
            read_all(&archive);
        }
    }
}

#[test]
fn fuzzed_mails_each_give_a_message() {
    let Some(dir) = support::corpus("patchwork/fuzz") else {
        return;
    };
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let archive = Archive::load(&[Input::Path(path.clone())], &|_| {})
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!archive.is_empty(), "{}", path.display());
        read_all(&archive);
    }
}

#[test]
fn mime_nesting_past_the_limit_is_a_warning_on_that_message() {
    let Some(path) = support::corpus("mailparse/nested.eml") else {
        return;
    };
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    assert_eq!(archive.len(), 1);
    let body = archive.body(0);
    assert!(
        !body.warnings.is_empty(),
        "expected a warning for the nesting"
    );
    assert_eq!(archive.messages[0].subject.title(), "recursion test");
}

#[test]
fn ten_thousand_deep_nesting_and_big_lines() {
    let mut mail = b"From: a@b\nSubject: deep\nMessage-ID: <deep@x>\n".to_vec();
    for i in 0..10_000 {
        mail.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n").as_bytes(),
        );
    }
    mail.extend_from_slice(b"Content-Type: text/plain\n\nhello\n");
    let archive = load_bytes(mail).unwrap();
    read_all(&archive);

    let mut big = b"From: a@b\nSubject: big\n\n".to_vec();
    big.extend(std::iter::repeat_n(b'x', 1 << 20));
    big.extend_from_slice(b"\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-");
    big.extend(std::iter::repeat_n(b'y', 1 << 20));
    big.push(b'\n');
    let archive = load_bytes(big).unwrap();
    read_all(&archive);
}

#[test]
fn random_truncated_and_nul_bytes() {
    let Some(path) = support::corpus("archives/linux-clk-2026-01.mbox") else {
        return;
    };
    let real = std::fs::read(path).unwrap();
    let sample = &real[..real.len().min(400_000)];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..40 {
        let cut = (next() as usize) % sample.len();
        let mut bytes = sample[..cut].to_vec();
        for _ in 0..(round * 50) {
            let at = (next() as usize) % bytes.len().max(1);
            if let Some(b) = bytes.get_mut(at) {
                *b = (next() & 0xff) as u8;
            }
        }
        if round % 5 == 0 {
            bytes.extend((0..10_000).map(|_| (next() & 0xff) as u8));
        }
        if let Some(archive) = load_bytes(bytes) {
            read_all(&archive);
        }
    }
    for bytes in [
        vec![],
        vec![0u8; 1000],
        b"From \n\n\n".to_vec(),
        b"From x\n".to_vec(),
    ] {
        if let Some(archive) = load_bytes(bytes) {
            read_all(&archive);
        }
    }
}

#[test]
fn unreadable_paths_name_the_path() {
    let err = match Archive::load(&[Input::Path("/nonexistent/kvm.mbox".into())], &|_| {}) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("loaded a missing file"),
    };
    assert!(err.contains("/nonexistent/kvm.mbox"), "{err}");
}
