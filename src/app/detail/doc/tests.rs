use super::*;
use crate::app::testing::message;
use crate::model::patch::parse;

/// A one-file patch whose hunk holds a `-- ` line (a removed `- `), which only the hunk's
/// line count tells apart from the signature separator after the diff.
const PATCH: &str = "\
Because.

Reviewed-by: A <a@x>
Signed-off-by: B <b@x>
---
v3: rebased

 mm/gup.c | 3 ++-
 1 file changed, 2 insertions(+), 1 deletion(-)

diff --git a/mm/gup.c b/mm/gup.c
index 1..2 100644
--- a/mm/gup.c
+++ b/mm/gup.c
@@ -1,3 +1,4 @@ int f(void)
 ctx
-- 
+new
+-- 
 end
-- 
2.28.0
";

fn kinds(doc: &DetailDoc) -> Vec<(LineKind, &str)> {
    (0..doc.len())
        .map(|i| (doc.lines[i].kind, doc.line_text(i)))
        .collect()
}

fn summary(m: &Message) -> HeaderSummary<'_> {
    HeaderSummary {
        message: m,
        date: None,
        series: None,
        given: Vec::new(),
        parent: None,
        to: String::new(),
        cc: String::new(),
    }
}

#[test]
fn a_patch_reads_header_message_trailers_changelog_diff() {
    let m = message(
        "id@x",
        "Daniel Vetter",
        0,
        "mm: do the thing",
        Some((10, 16)),
        false,
    );
    let header = HeaderSummary {
        message: &m,
        date: Some("Thu, 1 Oct 2020".into()),
        series: Some("v3 10/16".into()),
        given: Vec::new(),
        parent: None,
        to: "kvm@vger.kernel.org".into(),
        cc: "a@x,\n b@x".into(),
    };
    let doc = build(
        3,
        &header,
        PATCH,
        Arc::new(parse(PATCH)),
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
    let diff: Vec<DiffLineKind> = lines[doc.diff_start..]
        .iter()
        .map(|(k, _)| match k {
            LineKind::Diff(d) => *d,
            other => panic!("{other:?} in the diff"),
        })
        .collect();
    use DiffLineKind as D;
    // The signature after the diff is not part of it.
    assert_eq!(
        diff,
        [
            D::FileHeader,
            D::FileHeader,
            D::FileHeader,
            D::FileHeader,
            D::HunkHeader,
            D::Context,
            D::Removed,
            D::Added,
            D::Added,
            D::Context,
        ]
    );
    assert_eq!(doc.file_starts, [doc.diff_start]);
    assert_eq!(doc.hunk_starts, [doc.diff_start + 4]);
    assert_eq!(doc.diff_line(doc.diff_start + 5), Some(5));
    assert_eq!(doc.diff_line(0), None);
    assert_eq!(doc.stats.len(), 1);
    assert_eq!(doc.msg, 3);
}

#[test]
fn a_reply_shows_its_text_with_quotes_and_given_trailers() {
    let m = message("r@x", "Jason Gunthorpe", 0, "mm: do the thing", None, true);
    let text = "On Mon, Daniel wrote:\n> > old\n> quoted\n\nLooks right.\n\nReviewed-by: Jason Gunthorpe <jgg@x>\n";
    let doc = build(0, &summary(&m), text, Arc::new(parse(text)), &[]);
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
fn hostile_positions_from_the_parser_do_not_panic() {
    let mut body = parse(PATCH);
    body.files[0].start_line = usize::MAX;
    body.files[0].hunks[0].line_count = usize::MAX;
    let m = message("h@x", "A", 0, "t", None, false);
    let doc = build(0, &summary(&m), "", Arc::new(body), &[]);
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
