//! The archive file is mapped for the whole reader session: when it changes on disk after
//! loading, an export (or pipe, pager, editor) is refused with a message naming the file,
//! rather than writing bytes other than the ones indexed; `--no-mmap` reads it into memory,
//! which the change cannot reach.

use std::io::Write;
use std::path::Path;

use patchdeck::app::act::{ActEffect, Acted};
use patchdeck::index::archive::Archive;
use patchdeck::source::Input;
use patchdeck::tui::act::{Programs, run};

/// An mbox of `count` one-patch messages, big enough to be mapped (over 256 KiB).
fn write_mbox(path: &Path, count: usize, title: &str) {
    let mut file = std::fs::File::create(path).unwrap();
    for i in 0..count {
        write!(
            file,
            "From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Ada <ada@example.org>\n\
             Date: Mon, 4 Mar 2024 10:00:00 +0000\nSubject: [PATCH] {title} {i}\n\
             Message-ID: <{i}@example.org>\n\n{}\n---\n\
             diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n\n",
            "Text of the patch. ".repeat(40)
        )
        .unwrap();
    }
}

fn export(archive: &Archive, to: &Path) -> Acted {
    let programs = Programs {
        pager: "cat".into(),
        editor: "true".into(),
    };
    let effect = ActEffect::Export {
        messages: vec![0],
        path: to.display().to_string(),
        force: true,
    };
    run(effect, archive, &programs, &mut std::io::sink())
}

#[test]
fn an_export_after_the_file_changed_is_refused_naming_the_file_unless_read_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = dir.path().join("list.mbox");
    write_mbox(&mbox, 400, "first");
    assert!(std::fs::metadata(&mbox).unwrap().len() > 256 * 1024);
    let mapped = Archive::load(&[Input::Path(mbox.clone())], &|_| {}).unwrap();
    let in_memory = Archive::load(&[Input::ReadPath(mbox.clone())], &|_| {}).unwrap();
    let out = dir.path().join("out.mbox");
    assert!(
        matches!(export(&mapped, &out), Acted::Exported { count: 1, .. }),
        "unchanged: the export runs"
    );

    // A mail client rewrites the mbox (shorter, other messages).
    write_mbox(&mbox, 390, "other");
    match export(&mapped, &out) {
        Acted::Failed(why) => {
            assert!(why.contains(&mbox.display().to_string()), "{why}");
            assert!(why.contains("changed on disk"), "{why}");
        }
        other => panic!("the export ran on a changed file: {other:?}"),
    }
    // Read into memory, the archive still exports what it indexed.
    assert!(matches!(
        export(&in_memory, &out),
        Acted::Exported { count: 1, .. }
    ));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("Subject: [PATCH] first 0"), "{written}");
}
