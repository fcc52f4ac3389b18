//! Unit tests of [`super::parse`] on small inline bodies, one construct each.

use super::*;
use crate::model::diff::{Change, FileStatus};

fn keys(body: &PatchBody) -> Vec<String> {
    body.trailers
        .iter()
        .map(|t| format!("{}: {}", t.key, t.value))
        .collect()
}

const PATCH: &str = "\
The model assumes buffers are preallocated.

Fix it.

Fixes: 50ac952d2263 (\"[media] videobuf2\")
Cc: stable@vger.kernel.org # 5.10
Signed-off-by: Daniel Vetter <daniel.vetter@intel.com>
---
v3:
- Reference the commit.
---
 drivers/a.c | 2 +-
 drivers/b.c | 3 ++-
 2 files changed, 3 insertions(+), 2 deletions(-)

diff --git a/drivers/a.c b/drivers/a.c
index 1111111..2222222 100644
--- a/drivers/a.c
+++ b/drivers/a.c
@@ -1,3 +1,3 @@ static int f(void)
 a
-b
+c
 d
diff --git a/drivers/b.c b/drivers/b.c
--- a/drivers/b.c
+++ b/drivers/b.c
@@ -5,2 +5,3 @@
-x
+y
+z
 w
-- 
2.28.0
";

#[test]
fn format_patch_mail_is_split_into_all_parts() {
    let body = parse(PATCH);
    assert_eq!(
        body.message,
        "The model assumes buffers are preallocated.\n\nFix it."
    );
    assert_eq!(
        keys(&body),
        vec![
            "Fixes: 50ac952d2263 (\"[media] videobuf2\")",
            "Cc: stable@vger.kernel.org # 5.10",
            "Signed-off-by: Daniel Vetter <daniel.vetter@intel.com>",
        ]
    );
    assert_eq!(body.changelog, "v3:\n- Reference the commit.");
    assert_eq!(body.diffstat.len(), 2);
    assert_eq!(
        body.diffstat_summary.as_deref(),
        Some("2 files changed, 3 insertions(+), 2 deletions(-)")
    );
    assert!(body.diff_text.starts_with("diff --git a/drivers/a.c"));
    assert!(body.diff_text.ends_with(" w\n"));
    assert_eq!(body.files.len(), 2);
    assert_eq!(body.files[1].start_line, 9);
    assert_eq!(body.files[1].hunks[0].start_line, 12);
    assert_eq!(body.totals(), (3, 2));
    // The diff's counts agree with the diffstat rows, and are what the files report.
    let counted: Vec<_> = body
        .file_stats()
        .iter()
        .map(|f| (f.path.clone(), f.changes()))
        .collect();
    let rows: Vec<_> = body
        .diffstat
        .iter()
        .map(|f| (f.path.clone(), f.changes()))
        .collect();
    assert_eq!(counted, rows);
    assert_eq!(body.file_stats()[1].added(), Some(2));
    assert_eq!(body.pull_url, None);
}

#[test]
fn crlf_bodies_parse_like_lf_ones() {
    let crlf = PATCH.replace('\n', "\r\n");
    assert_eq!(parse(&crlf), parse(PATCH));
}

#[test]
fn in_body_headers_are_taken_out_of_the_message() {
    let body = parse(
        "\n\nFrom: Real Author <ra@x.org>\nSubject: [PATCH] fix the\n thing\nDate: Mon, 1 Jan 2024\n\n\
         Body text.\n\nSigned-off-by: Real Author <ra@x.org>\n",
    );
    assert_eq!(body.in_body_from.as_deref(), Some("Real Author <ra@x.org>"));
    assert_eq!(
        body.in_body_subject.as_deref(),
        Some("[PATCH] fix the thing")
    );
    assert_eq!(body.in_body_date.as_deref(), Some("Mon, 1 Jan 2024"));
    assert_eq!(body.message, "Body text.");
    assert_eq!(keys(&body), vec!["Signed-off-by: Real Author <ra@x.org>"]);
}

#[test]
fn headers_below_the_first_line_of_text_are_message() {
    let body = parse("Hello,\nFrom: not a header\n");
    assert_eq!(body.in_body_from, None);
    assert_eq!(body.message, "Hello,\nFrom: not a header");
}

const SCISSORED: &str = "From: Ignored <i@x>\n\nThanks for the report, does this help?\n\n\
    -- >8 --\nFrom: Fixer <f@x>\nSubject: fix it\n\nReal message.\n---\ndiff --git a/f b/f\n\
    --- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";

#[test]
fn scissors_drop_the_text_above_and_allow_headers() {
    let body = super::parse_with(SCISSORED, super::ReadOptions { scissors: true });
    assert_eq!(body.in_body_from.as_deref(), Some("Fixer <f@x>"));
    assert_eq!(body.in_body_subject.as_deref(), Some("fix it"));
    assert_eq!(body.message, "Real message.");
    assert_eq!(body.files.len(), 1);
}

#[test]
fn scissors_are_text_by_default_as_in_git_am() {
    let body = parse(SCISSORED);
    assert_eq!(body.in_body_from.as_deref(), Some("Ignored <i@x>"));
    assert_eq!(body.in_body_subject, None);
    assert!(body.message.starts_with("Thanks for the report"));
    assert!(body.message.contains("-- >8 --\nFrom: Fixer <f@x>"));
    assert_eq!(body.files.len(), 1);
}

#[test]
fn in_body_headers_follow_check_inbody_header() {
    // Each header is taken once; a second `From:` starts the message.
    let body = parse("From: One <1@x>\nFrom: Two <2@x>\n\nb\n---\n");
    assert_eq!(body.in_body_from.as_deref(), Some("One <1@x>"));
    assert_eq!(body.message, "From: Two <2@x>\n\nb");
    assert!(body.carries_patch);
    // `[PATCH] title` lines give the subject, the last one winning.
    let body = parse("[PATCH]\tx\n[PATCH] y\n\nb\n");
    assert_eq!(body.in_body_subject.as_deref(), Some("[PATCH] y"));
    assert!(!body.carries_patch);
    // A quoted format-patch envelope is dropped; another `>From` line is message.
    let body = parse(
        ">From 0123456789012345678901234567890123456789 Mon Sep 17 00:00:00 2001\n\
         From: Joe <j@x>\n\nbody\n",
    );
    assert_eq!(body.in_body_from.as_deref(), Some("Joe <j@x>"));
    let body = parse(">From nonsense\nFrom: One <1@x>\n\nb\n");
    assert_eq!(body.in_body_from, None);
    assert_eq!(body.message, ">From nonsense\nFrom: One <1@x>\n\nb");
}

#[test]
fn diff_without_separator_ends_the_message() {
    let body = parse(
        "Some words.\n\nSigned-off-by: A <a@x>\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n",
    );
    assert_eq!(body.message, "Some words.");
    assert_eq!(keys(&body), vec!["Signed-off-by: A <a@x>"]);
    assert_eq!(body.files[0].path(), "f");
    assert_eq!(body.changelog, "");
}

#[test]
fn reply_review_trailers_are_collected_but_quotes_are_not() {
    let body = parse(
        "On Mon, A wrote:\n> Signed-off-by: A <a@x>\n> diff --git a/f b/f\n> --- a/f\n> +++ b/f\n\n\
         Looks right to me.\nReviewed-by: R <r@x.org>\n\n> more quote\n\nAcked-by: K <k@x.org>\n\nThanks,\nR\n",
    );
    assert_eq!(
        keys(&body),
        vec!["Reviewed-by: R <r@x.org>", "Acked-by: K <k@x.org>"]
    );
    assert!(body.files.is_empty());
    assert_eq!(body.diff_text, "");
    assert!(body.message.starts_with("On Mon, A wrote:"));
    assert!(body.message.ends_with("Thanks,\nR"));
}

#[test]
fn reply_trailer_repeated_in_the_closing_block_counts_once() {
    let body = parse("> q\n\nReviewed-by: R <r@x>\n\n> q2\n\nReviewed-by: R <r@x>\n");
    assert_eq!(keys(&body), vec!["Reviewed-by: R <r@x>"]);
}

#[test]
fn signature_ends_a_reply() {
    let body = parse("Nice.\n\nTested-by: T <t@x>\n-- \nT, who signs off: with style\n");
    assert_eq!(body.message, "Nice.");
    assert_eq!(keys(&body), vec!["Tested-by: T <t@x>"]);
}

#[test]
fn mixed_trailer_block_keeps_its_notes_in_the_message() {
    let body = parse("Text.\n\nSigned-off-by: A <a@x>\n[ bp: massage ]\nSigned-off-by: B <b@x>\n");
    assert_eq!(body.message, "Text.\n[ bp: massage ]");
    assert_eq!(body.trailers.len(), 2);
}

#[test]
fn diffstat_with_scaled_bars_and_binary_rows() {
    let body = parse(
        "m\n---\n mm/gup.c          | 400 +++++++++++++++++++++++++++++---\n \
         img.png           | Bin 0 -> 142 bytes\n .../deep/x.c      |   2 +-\n \
         3 files changed, 365 insertions(+), 37 deletions(-)\n create mode 100644 img.png\n",
    );
    let rows: Vec<_> = body
        .diffstat
        .iter()
        .map(|r| (&*r.path, r.change.clone(), r.binary))
        .collect();
    // Nothing is invented from the scaled bar: the count and the bar as written.
    let row = |changes, bar: &str| Change::Row {
        changes,
        bar: bar.into(),
    };
    assert_eq!(
        rows,
        vec![
            (
                "mm/gup.c",
                row(400, "+++++++++++++++++++++++++++++---"),
                false
            ),
            ("img.png", row(0, ""), true),
            (".../deep/x.c", row(2, "+-"), false)
        ]
    );
    assert_eq!(
        (body.diffstat[0].added(), body.diffstat[0].removed()),
        (None, None)
    );
    assert_eq!(body.diffstat[0].changes(), 400);
    assert_eq!(body.totals(), (365, 37));
    assert_eq!(body.changelog, "");
}

#[test]
fn changelog_after_the_diffstat_is_kept_too() {
    let body = parse("m\n---\n a | 1 +\n 1 file changed, 1 insertion(+)\n\nChanges in v2: none\n");
    assert_eq!(body.changelog, "Changes in v2: none");
}

#[test]
fn cover_letter_diffstat_is_read_from_the_message() {
    let body = parse(
        "This series fixes things.\n\nA (2):\n  x: one\n  y: two\n\n x.c | 2 +-\n y.c | 1 -\n \
         2 files changed, 1 insertion(+), 2 deletions(-)\n\n-- \n2.40\n",
    );
    assert_eq!(body.diffstat.len(), 2);
    assert_eq!(body.totals(), (1, 2));
    assert!(
        body.message.contains("x.c | 2 +-"),
        "the cover's text stays whole"
    );
    assert!(body.files.is_empty());
}

#[test]
fn two_diffs_with_prose_between() {
    let body = parse(
        "Try this:\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-1\n+2\n\nand this:\n\n\
         --- a/y\n+++ b/y\n@@ -3 +3 @@\n-3\n+4\n\nReviewed-by: Me <me@x.org>\n",
    );
    assert_eq!(body.message, "Try this:");
    assert_eq!(body.files.len(), 2);
    assert_eq!(body.files[1].start_line, 9);
    assert!(body.diff_text.starts_with("diff --git a/x b/x\n"));
    assert!(body.diff_text.ends_with("+4\n"));
    assert_eq!(keys(&body), vec!["Reviewed-by: Me <me@x.org>"]);
    let kinds: Vec<_> = body.diff_lines().map(|(k, _)| k).collect();
    assert_eq!(kinds.len(), 14);
    let other = crate::model::diff::DiffLineKind::Other;
    assert_eq!(kinds[5..10], [kinds[5], other, other, other, kinds[9]]);
    assert_eq!(kinds[9], crate::model::diff::DiffLineKind::FileHeader);
}

#[test]
fn hunk_removed_line_like_a_header_or_signature() {
    let body = parse(
        "m\n---\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n--- a/g\n+++ b/g\n-- \n+kept\n-- \n2.1\n",
    );
    assert_eq!(body.files.len(), 1);
    assert_eq!((body.files[0].added, body.files[0].removed), (2, 2));
}

#[test]
fn binary_and_mode_only_files_have_no_lines() {
    let body = parse(
        "m\n---\ndiff --git a/s.sh b/s.sh\nold mode 100644\nnew mode 100755\n\
         diff --git a/i.png b/i.png\nindex 1..2\nBinary files a/i.png and b/i.png differ\n",
    );
    assert_eq!(body.files[0].status, FileStatus::ModeChange);
    assert!(body.files[1].binary);
    assert_eq!(body.totals(), (0, 0));
}

#[test]
fn pull_request_url_and_no_diff() {
    let body = parse(
        "Hi Linus,\n\nThe following changes since commit abc:\n\n  Linux 6.1\n\n\
         are available in the Git repository at:\n\n  git://git.kernel.org/x.git tags/y\n\n\
         for you to fetch changes up to def:\n\n a.c | 1 +\n 1 file changed, 1 insertion(+)\n",
    );
    assert_eq!(
        body.pull_url.as_deref(),
        Some("git://git.kernel.org/x.git tags/y")
    );
    assert!(body.files.is_empty());
    assert_eq!(body.totals(), (1, 0));
}

#[test]
fn pull_lines_found_whatever_starts_them() {
    // The old one-line form indented by any white space (a no-break space too), and the
    // request-pull text in capitals: each is read, at load as in full.
    for (text, url) in [
        (
            "Please pull:\n\n\u{a0}git pull git://x.org/a.git main\n",
            "git://x.org/a.git main",
        ),
        (
            "Please\n\t git pull ssh://x.org/b.git\n",
            "ssh://x.org/b.git",
        ),
        (
            "THE FOLLOWING CHANGES SINCE COMMIT abc:\n\nARE AVAILABLE IN THE GIT REPOSITORY AT:\n\n  \
             https://x.org/c.git tags/t\n\nchanges since commit\n",
            "https://x.org/c.git tags/t",
        ),
    ] {
        assert_eq!(parse(text).pull_url.as_deref(), Some(url), "{text:?}");
        let brief = crate::model::patch::summarize(text);
        assert_eq!(brief.summary.pull_url.as_deref(), Some(url), "{text:?}");
    }
    assert_eq!(parse("> git pull git://x.org/a.git main\n").pull_url, None);
}

#[test]
fn empty_and_blank_bodies() {
    assert_eq!(parse(""), PatchBody::default());
    // A line of spaces is the start of the message to git (which `git am` then strips).
    let blank = parse("\n\n  \n");
    assert_eq!(blank.commit_message, "  \n");
    assert_eq!(
        PatchBody {
            commit_message: String::new(),
            ..blank
        },
        PatchBody::default()
    );
    let only_sig = parse("-- \nsig\n");
    assert_eq!(only_sig.message, "");
}

#[test]
fn trim_changelog_drops_rules_and_blank_lines() {
    assert_eq!(trim_changelog("\n---\nv2: x\n---\n\n"), "v2: x");
    assert_eq!(trim_changelog("---"), "");
    assert_eq!(trim_changelog("  indented\n"), "  indented");
}

#[test]
fn summary_agrees_with_the_body() {
    let body = parse(PATCH);
    let summary = body.summary();
    assert_eq!(summary.files, body.file_stats().into_boxed_slice());
    assert_eq!((summary.insertions, summary.deletions), (3, 2));
    assert_eq!(summary.trailers, body.trailers.into_boxed_slice());
    assert!(summary.has_diff);
    let stat_only = parse("m\n---\n a | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n");
    let summary = stat_only.summary();
    assert!(!summary.has_diff);
    assert_eq!(summary.files.len(), 1);
    assert_eq!((summary.insertions, summary.deletions), (1, 1));
}

#[test]
fn a_blank_line_ends_in_body_headers() {
    let body = parse("From: A <a@x>\n\nSubject: part of the message\n\nBody.\n");
    assert_eq!(body.in_body_from.as_deref(), Some("A <a@x>"));
    assert_eq!(body.in_body_subject, None);
    assert_eq!(body.message, "Subject: part of the message\n\nBody.");
}

#[test]
fn a_diff_after_the_signature_is_still_read_but_the_signature_is_not() {
    let body = parse(
        "Patch attached.\n-- \nJohn\nReviewed-by: Not A <trailer@x>\n\n\
         diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
    );
    assert_eq!(body.message, "Patch attached.");
    assert!(body.trailers.is_empty());
    assert_eq!(body.files.len(), 1);
    assert!(body.diff_text.starts_with("diff --git"));
}

#[test]
fn spans_kept_in_place_then_in_a_list_read_in_order() {
    let mut spans = super::Spans::default();
    for n in 0..7 {
        spans.push(n..n + 1);
        let got: Vec<_> = spans.iter().cloned().collect();
        let want: Vec<_> = (0..=n).map(|n| n..n + 1).collect();
        assert_eq!(got, want);
    }
    spans.clear();
    assert_eq!(spans.iter().count(), 0);
    spans.push(9..10);
    assert_eq!(spans.iter().cloned().collect::<Vec<_>>(), vec![9..10]);
}
