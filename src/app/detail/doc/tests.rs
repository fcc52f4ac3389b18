use super::*;
use crate::app::testing::message;
use crate::model::diff::{FileDiff, Hunk};
use crate::model::trailer::Trailer;

/// A body as the parser would give it for a one-file, one-hunk patch whose hunk holds a
/// `-- ` line (removed `- `), which only the hunk table tells from a signature separator.
fn body() -> PatchBody {
    let diff_text = "diff --git a/mm/gup.c b/mm/gup.c\nindex 1..2 100644\n--- a/mm/gup.c\n+++ b/mm/gup.c\n@@ -1,3 +1,3 @@ int f(void)\n ctx\n-- \n+new\n-- \n2.28.0\n".to_string();
    PatchBody {
        message: "mm: do the thing\n\nBecause.\n".into(),
        trailers: vec![
            Trailer {
                key: "Reviewed-by".into(),
                value: "A <a@x>".into(),
            },
            Trailer {
                key: "Signed-off-by".into(),
                value: "B <b@x>".into(),
            },
        ],
        changelog: "v3: rebased\n".into(),
        files: vec![FileDiff {
            new_path: Some("mm/gup.c".into()),
            old_path: Some("mm/gup.c".into()),
            hunks: vec![Hunk {
                start_line: 4,
                line_count: 3,
                ..Hunk::default()
            }],
            added: 1,
            removed: 1,
            ..FileDiff::default()
        }],
        diff_text,
        ..PatchBody::default()
    }
}

fn kinds(doc: &DetailDoc) -> Vec<(LineKind, &str)> {
    (0..doc.len())
        .map(|i| (doc.lines[i].kind, doc.line_text(i)))
        .collect()
}

#[test]
fn a_patch_reads_header_message_trailers_changelog_diff() {
    let mut m = message(
        "id@x",
        "Daniel Vetter",
        0,
        "mm: do the thing",
        Some((10, 16)),
        false,
    );
    m.cc = "a@x,\n b@x".into();
    let header = HeaderSummary {
        message: &m,
        date: Some("Thu, 1 Oct 2020".into()),
        series: Some("v3 10/16".into()),
    };
    let doc = build(
        3,
        &header,
        "",
        Arc::new(body()),
        &["odd charset".to_string()],
    );
    let lines = kinds(&doc);
    let texts: Vec<&str> = lines.iter().map(|(_, t)| *t).collect();
    assert_eq!(
        texts[..9],
        [
            "From: Daniel Vetter <daniel.vetter@example.org>",
            "Date: Thu, 1 Oct 2020",
            "To: kvm@vger.kernel.org",
            "Cc: a@x, b@x",
            "Message-ID: <id@x>",
            "List-Id: <kvm.vger.kernel.org>",
            "Link: https://lore.kernel.org/r/id@x",
            "Series: v3 10/16",
            "warning: odd charset",
        ]
    );
    assert_eq!(lines[0].0, LineKind::Header { label_len: 6 });
    assert_eq!(lines[3].0, LineKind::Addresses { label_len: 4 });
    let at = |text: &str| lines.iter().find(|(_, t)| *t == text).map(|(k, _)| *k);
    assert_eq!(at("mm: do the thing"), Some(LineKind::Subject));
    assert_eq!(at("Because."), Some(LineKind::Text));
    assert_eq!(
        at("Reviewed-by: A <a@x>"),
        Some(LineKind::Trailer(TrailerKind::Reviewed))
    );
    assert_eq!(at("v3: rebased"), Some(LineKind::Changelog));
    let diff: Vec<LineKind> = lines[doc.diff_start..].iter().map(|(k, _)| *k).collect();
    use LineKind::*;
    assert_eq!(
        diff,
        [
            FileHeader, FileHeader, FileHeader, FileHeader, HunkHeader, Context, Removed, Added,
            FileHeader, FileHeader
        ]
    );
    assert_eq!(doc.file_starts, [doc.diff_start]);
    assert_eq!(doc.hunk_starts, [doc.diff_start + 4]);
    assert_eq!(doc.diff_line(doc.diff_start + 5), Some(5));
    assert_eq!(doc.diff_line(0), None);
    assert_eq!(doc.msg, 3);
}

#[test]
fn a_reply_shows_its_text_with_quotes_and_given_trailers() {
    let m = message("r@x", "Jason Gunthorpe", 0, "mm: do the thing", None, true);
    let header = HeaderSummary {
        message: &m,
        date: None,
        series: None,
    };
    let text = "On Mon, Daniel wrote:\n> > old\n> quoted\n\nLooks right.\n\nReviewed-by: Jason Gunthorpe <jgg@x>\n";
    let doc = build(0, &header, text, Arc::new(PatchBody::default()), &[]);
    let lines = kinds(&doc);
    let tail: Vec<LineKind> = lines.iter().rev().take(6).rev().map(|(k, _)| *k).collect();
    use LineKind::*;
    assert_eq!(
        tail,
        [
            Quote { depth: 2 },
            Quote { depth: 1 },
            Blank,
            Text,
            Blank,
            Trailer(TrailerKind::Reviewed)
        ]
    );
    assert_eq!(doc.diff_start, doc.len());
}

#[test]
fn a_diff_without_hunk_table_is_classified_by_its_first_characters() {
    let body = PatchBody {
        diff_text:
            "Index: a.c\n--- a.c\n+++ a.c\n@@ -1 +1 @@\n-x\n+y\n\\ No newline at end of file\n"
                .into(),
        ..PatchBody::default()
    };
    let m = message("i@x", "A", 0, "t", None, false);
    let doc = build(
        0,
        &HeaderSummary {
            message: &m,
            date: None,
            series: None,
        },
        "",
        Arc::new(body),
        &[],
    );
    use LineKind::*;
    let diff: Vec<LineKind> = doc.lines[doc.diff_start..].iter().map(|l| l.kind).collect();
    assert_eq!(
        diff,
        [
            FileHeader, FileHeader, FileHeader, HunkHeader, Removed, Added, NoNewline
        ]
    );
}

#[test]
fn hostile_positions_from_the_parser_do_not_panic() {
    let mut b = body();
    b.files[0].start_line = usize::MAX;
    b.files[0].hunks[0].line_count = usize::MAX;
    b.files[0].hunks.push(Hunk {
        start_line: usize::MAX - 1,
        line_count: 9,
        ..Hunk::default()
    });
    let m = message("h@x", "A", 0, "t", None, false);
    let doc = build(
        0,
        &HeaderSummary {
            message: &m,
            date: None,
            series: None,
        },
        "",
        Arc::new(b),
        &[],
    );
    assert!(doc.file_starts.iter().all(|&s| s == usize::MAX));
    assert_eq!(doc.line_text(usize::MAX), "");
}

#[test]
fn quote_and_trailer_detection() {
    assert_eq!(quote_depth(">> a"), Some(2));
    assert_eq!(quote_depth("> > a"), Some(2));
    assert_eq!(quote_depth("a > b"), None);
    assert_eq!(trailer_kind("Acked-by: X <x@y>"), Some(TrailerKind::Acked));
    assert_eq!(trailer_kind("Note: this is prose"), None);
    assert_eq!(trailer_kind("Fixes-by:"), None);
}
