//! `show` (and the pager, which writes the same text) lays a message out as the reader's detail
//! pane does, and nothing from the mail reaches the terminal raw.

use std::io::Write;

use crate::support::reader::{Reader, fixture};
use crate::support::run::patchdeck_stdout;

fn show(args: &[&str]) -> String {
    patchdeck_stdout(&[&["show"], args].concat())
}

#[test]
fn show_writes_the_detail_panes_lines_with_the_diffstat_before_the_diff() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/reader/series.mbox");
    let text = show(&["--color", "never", path, "<p1.v2@example.org>"]);
    assert!(!text.contains('\x1b'));
    // The reader, opened on that message with the detail zoomed, shows the same lines.
    let mut reader = Reader::open_with(fixture("reader/series.mbox"), None, 200, 80, false);
    reader.keys("/'closest<space>is:patch<enter>");
    let screen = reader.screen();
    assert!(screen.contains("Series: v2 1/2"), "{screen}");
    for line in [
        "From: Ada Lovelace <ada@example.org>",
        "Series: v2 1/2 · Reviewed-by 1",
        "[PATCH v2 1/2] clk: foo: round to the closest rate",
        "Reviewed-by: Grace Hopper <grace@example.org>  (given on the list)",
        "v2: use DIV_ROUND_CLOSEST",
        "+       div = DIV_ROUND_CLOSEST(*parent_rate, rate);",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "show lacks {line:?}:\n{text}"
        );
        assert!(
            screen.contains(line),
            "the reader lacks {line:?}:\n{screen}"
        );
    }
    let stat = text.find("1 file, +2 −2").expect("diffstat totals");
    let diff = text.find("diff --git").expect("diff");
    let changelog = text.find("v2: use DIV_ROUND_CLOSEST").unwrap();
    assert!(changelog < stat && stat < diff, "{text}");
}

#[test]
fn hostile_mail_reaches_neither_plain_nor_coloured_output_raw() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.mbox");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(
        b"From x@y Thu Jan  1 00:00:00 1970\n\
From: Mallory \x1b]52;c;ZXZpbA==\x07<m@example.org>\n\
Subject: [PATCH] evil\x1b[2J title\n\
Message-ID: <evil@example.org>\n\
Date: Mon, 4 Mar 2024 10:00:01 +0100\n\
\n\
Body \x1b[31mred\x1b[0m and \x9b2J C1.\n\
---\n\
diff --git a/x.c b/x.c\n\
--- a/x.c\n\
+++ b/x.c\n\
@@ -1 +1 @@\n\
-int a;\x1b]0;title\x07\n\
+int b;\n",
    )
    .unwrap();
    drop(file);
    let path = path.to_str().unwrap();
    let plain = show(&["--color", "never", path, "1"]);
    assert!(!plain.contains(['\x1b', '\x07', '\u{9b}']), "{plain:?}");
    assert!(plain.contains("evil"), "{plain}");
    let coloured = show(&["--color", "always", path, "1"]);
    assert!(!coloured.contains(['\x07', '\u{9b}']), "{coloured:?}");
    // Every escape is one of ours: an SGR sequence, ESC [ digits and ; then m.
    for (at, _) in coloured.match_indices('\x1b') {
        let rest = &coloured[at + 1..];
        let sgr = rest.strip_prefix('[').and_then(|r| {
            let end = r.find(|c: char| !c.is_ascii_digit() && c != ';')?;
            (r.as_bytes()[end] == b'm').then_some(())
        });
        assert!(
            sgr.is_some(),
            "not an SGR sequence at {at}: {:?}",
            &rest[..rest.len().min(12)]
        );
    }
}
