//! [`super::parse`] on real mail: patchwork's parser test mails, checked against the assertions
//! patchwork's own tests make (read from `patchwork/EXPECTED.json`), the seed digest, and
//! never-panic runs over the fuzzed mails and generated garbage.
//!
//! The corpora live beside the checkout (`../shared/corpora`); without them these tests fail
//! when `CI` is set and are skipped with a message otherwise.

use std::path::PathBuf;

use super::*;
use crate::model::diff::{DiffLineKind, FileStatus};
use crate::model::trailer::TrailerKind;

fn corpora() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "corpus missing at {}",
        dir.display()
    );
    eprintln!("skipping: no corpus at {}", dir.display());
    None
}

fn read_lossy(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Splits a whole mail file into its header block and body (after the first blank line),
/// skipping an mbox `From ` envelope line.
fn split_mail(raw: &str) -> (&str, &str) {
    let raw = match raw.strip_prefix("From ") {
        Some(rest) => rest.split_once('\n').map_or("", |(_, r)| r),
        None => raw,
    };
    if raw.starts_with('\n') {
        return ("", raw.get(1..).unwrap_or_default());
    }
    raw.split_once("\n\n").unwrap_or((raw, ""))
}

/// A body these tests may hand to `parse` undecoded: no quoted-printable or base64 transfer
/// encoding and no HTML alternative (MIME decoding is another module's work).
fn needs_mime_decoding(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    lower.contains("content-transfer-encoding: quoted-printable")
        || lower.contains("content-transfer-encoding: base64")
        || lower.contains("multipart/alternative")
}

/// Python's `'…'` literal as EXPECTED.json writes it (`\n`, `\\`, `\'`).
fn py_str(lit: &str) -> String {
    let inner = lit
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or_else(|| panic!("not a string literal: {lit}"));
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Checks one of patchwork's assertions (a Python expression over `diff`, `message` and
/// `pull_url`) against our body. Panics on a form it does not know, so none is skipped.
fn check_assert(file: &str, body: &PatchBody, assertion: &str) {
    let diff = &body.diff_text;
    let message_present = !body.message.is_empty() || !body.trailers.is_empty();
    let ok = match assertion {
        "diff is None" => diff.is_empty() && body.files.is_empty(),
        "diff is not None" => !diff.is_empty() && !body.files.is_empty(),
        "message is not None" => message_present,
        "pull_url is not None" => body.pull_url.is_some(),
        "parse_mail -> exactly 1 Patch" => !body.files.is_empty(),
        a => {
            if let Some(rest) = a.strip_prefix("pull_url == ") {
                body.pull_url.as_deref() == Some(py_str(rest).as_str())
            } else if let Some(rest) = a.strip_prefix("diff.startswith(") {
                diff.starts_with(&py_str(rest.trim_end_matches(')')))
            } else if let Some(rest) = a.strip_prefix("diff.rstrip().endswith(") {
                diff.trim_end()
                    .ends_with(&py_str(rest.trim_end_matches(')')))
            } else if let Some(rest) = a.strip_prefix("not message.rstrip().endswith(") {
                !body
                    .message
                    .trim_end()
                    .ends_with(&py_str(rest.trim_end_matches(')')))
            } else if let Some(rest) = a.strip_prefix("diff.count(") {
                let (lit, n) = rest
                    .split_once(") == ")
                    .unwrap_or_else(|| panic!("{file}: bad count form {a}"));
                let n: usize = n.parse().unwrap_or_else(|_| panic!("{file}: count {n}"));
                diff.matches(&py_str(lit)).count() == n
            } else if let Some((lit, what)) = a.split_once(" not in ") {
                let hay = if what == "diff" { diff } else { &body.message };
                !hay.contains(&py_str(lit))
            } else if let Some((lit, "diff")) = a.split_once(" in ") {
                diff.contains(&py_str(lit))
            } else {
                panic!("{file}: assertion form not understood: {a}");
            }
        }
    };
    assert!(ok, "{file}: patchwork asserts `{assertion}`\n{body:#?}");
}

fn patchwork_mail(dir: &std::path::Path, name: &str) -> PatchBody {
    let raw = read_lossy(&dir.join("patchwork/mail").join(name));
    parse(split_mail(&raw).1)
}

#[test]
fn patchwork_mails_meet_patchworks_assertions() {
    let Some(dir) = corpora() else { return };
    let expected: serde_json::Value =
        serde_json::from_str(&read_lossy(&dir.join("patchwork/EXPECTED.json")))
            .unwrap_or_else(|e| panic!("EXPECTED.json: {e}"));
    let mails = expected["mail"]
        .as_object()
        .unwrap_or_else(|| panic!("EXPECTED.json has no `mail` table"));
    let mut checked = 0;
    for (name, entry) in mails {
        let raw = read_lossy(&dir.join("patchwork/mail").join(name));
        if needs_mime_decoding(&raw) {
            continue;
        }
        let body = parse(split_mail(&raw).1);
        for assertion in entry["asserts"].as_array().into_iter().flatten() {
            check_assert(name, &body, assertion.as_str().unwrap_or_default());
        }
        // Our reading of patchwork's rules for the pull URL, exact for every mail.
        let want = entry["derived"]["pull_url"].as_str();
        assert_eq!(body.pull_url.as_deref(), want, "{name}: pull_url");
        if entry["kind"] == "pull_request" {
            assert!(
                body.files.is_empty(),
                "{name}: a pull request without a diff"
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} plain mails checked");
}

#[test]
fn renames_binaries_and_mode_changes_from_patchwork_mails() {
    let Some(dir) = corpora() else { return };
    for name in ["0008-git-rename.mbox", "0009-git-rename-with-diff.mbox"] {
        let body = patchwork_mail(&dir, name);
        assert_eq!(body.files.len(), 2, "{name}");
        assert!(body.files.iter().all(|f| f.status == FileStatus::Renamed));
        assert_eq!(
            body.files[0].new_path.as_deref(),
            Some("package/rpi-userland/rpi-userland-000-add-pkgconfig-files.patch")
        );
    }
    let renamed = patchwork_mail(&dir, "0009-git-rename-with-diff.mbox");
    assert_eq!((renamed.files[0].added, renamed.files[0].removed), (1, 1));

    let empty = patchwork_mail(&dir, "0021-git-empty-new-file.mbox");
    assert_eq!(empty.files.len(), 1);
    assert_eq!(empty.files[0].status, FileStatus::Added);
    assert_eq!(empty.files[0].path(), "banana");
    assert!(empty.files[0].hunks.is_empty());
    assert_eq!(
        empty.diffstat_summary.as_deref(),
        Some("1 file changed, 0 insertions(+), 0 deletions(-)")
    );

    let mode = patchwork_mail(&dir, "0022-git-mode-change.mbox");
    assert_eq!(mode.files[0].status, FileStatus::ModeChange);
    assert_eq!(mode.files[0].new_mode.as_deref(), Some("100755"));

    for name in [
        "0025-git-add-binary-file.mbox",
        "0027-git-modify-binary-file.mbox",
    ] {
        let body = patchwork_mail(&dir, name);
        assert_eq!(body.files.len(), 1, "{name}");
        assert!(body.files[0].binary);
        assert_eq!(body.files[0].path(), "pixel.bmp");
        assert_eq!(body.totals(), (0, 0));
        assert!(body.diff_lines().any(|(k, _)| k == DiffLineKind::Binary));
    }
    let mixed = patchwork_mail(&dir, "0026-git-add-mixed-binary-text-files.mbox");
    let files: Vec<_> = mixed
        .files
        .iter()
        .map(|f| (f.path(), f.binary, f.added, f.status))
        .collect();
    assert_eq!(
        files,
        vec![
            ("pixel.bmp", true, 0, FileStatus::Added),
            ("quit.sh", false, 3, FileStatus::Added)
        ]
    );
    assert_eq!(mixed.diffstat.len(), 2);
    assert!(mixed.diffstat[0].binary);
}

#[test]
fn no_newline_markers_and_cvs_diffs_from_patchwork_mails() {
    let Some(dir) = corpora() else { return };
    let body = patchwork_mail(&dir, "0011-no-newline-at-end-of-file.mbox");
    let markers: u32 = body
        .files
        .iter()
        .flat_map(|f| &f.hunks)
        .map(|h| h.no_newline)
        .sum();
    assert_eq!(markers, 2);
    assert_eq!(body.files.len(), 3);
    assert_eq!(
        body.diff_lines().last().map(|(k, _)| k),
        Some(DiffLineKind::NoNewline)
    );

    let cvs = patchwork_mail(&dir, "0007-cvs-format-diff.mbox");
    let paths: Vec<_> = cvs.files.iter().map(|f| f.path()).collect();
    assert_eq!(
        paths,
        vec!["bfd/elf-bfd.h", "bfd/elflink.c", "bfd/elfxx-mips.c"]
    );
    let added: u32 = cvs.files.iter().map(|f| f.added).sum();
    assert_eq!(added, 6);
}

/// The archived mail was cut after its third file: the diffstat announces six, the diff holds
/// three, and the diff's own counts are what the totals report.
#[test]
fn pull_request_with_truncated_diff_keeps_both() {
    let Some(dir) = corpora() else { return };
    let body = patchwork_mail(&dir, "0003-git-pull-request-with-diff.mbox");
    assert_eq!(body.files.len(), 3);
    assert_eq!(body.diffstat.len(), 6);
    assert_eq!(
        body.diffstat_totals.map(|t| (t.insertions, t.deletions)),
        Some((26, 33))
    );
    for (file, row) in body.files.iter().zip(&body.diffstat) {
        // The row's count is the diff's; its split is the diff's to give, not the bar's.
        assert_eq!(
            (file.path(), file.added + file.removed, None),
            (&*row.path, row.changes(), row.added())
        );
    }
    assert_eq!(body.totals(), (11, 6));
    assert_eq!(body.file_stats().len(), 3);
}

/// The first entry of the seed digest: a patch whose diff the digest cut off, leaving the
/// changelog and diffstat. See: seeds/000_a1b0f8f8c0a5d89a.txt
#[test]
fn seed_digest_follow_pfn_patch() {
    let Some(dir) = corpora() else { return };
    let seed = read_lossy(&dir.join("../seeds/000_a1b0f8f8c0a5d89a.txt"));
    let fenced = seed
        .split_once("```c\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .map(|(mail, _)| mail)
        .unwrap_or_else(|| panic!("seed digest has no fenced mail"));
    let body = parse(split_mail(fenced).1);
    assert_eq!(
        body.diffstat_summary.as_deref(),
        Some("2 files changed, 2 insertions(+), 2 deletions(-)")
    );
    let rows: Vec<_> = body
        .diffstat
        .iter()
        .map(|r| (&*r.path, r.changes(), r.added(), r.removed()))
        .collect();
    // No diff: the counts are the rows', the split unknown.
    assert_eq!(
        rows,
        vec![
            (
                "drivers/media/common/videobuf2/frame_vector.c",
                2,
                None,
                None
            ),
            (
                "drivers/media/v4l2-core/videobuf-dma-contig.c",
                2,
                None,
                None
            )
        ]
    );
    assert!(
        body.changelog
            .starts_with("v3:\n- Reference the commit that enabled")
    );
    assert!(body.changelog.ends_with("not clear\n  enough."));
    assert!(body.message.starts_with("The media model assumes"));
    assert!(body.message.ends_with("on io memory\")."));
    let count = |kind| body.trailers.iter().filter(|t| t.kind() == kind).count();
    assert_eq!(count(TrailerKind::SignedOff), 2);
    assert_eq!(count(TrailerKind::Cc), 20);
    assert_eq!(body.totals(), (2, 2));
    assert!(body.files.is_empty());
}

/// xorshift64: deterministic noise without a crate.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// Fragments that steer the parser into every state.
const PIECES: &[&str] = &[
    "diff --git a/x b/x\n",
    "diff --git \"a/q\\303\" b/q\n",
    "--- a/x\n",
    "+++ b/x\n",
    "@@ -1,2 +1,3 @@ f\n",
    "@@ -1 +1 @@\n",
    "@@ -4294967295,9 +0 @@\n",
    "+",
    "-",
    " ",
    "\n",
    "---\n",
    "-- \n",
    "\\ No newline at end of file\n",
    "GIT binary patch\n",
    "literal 5\n",
    "delta 9\n",
    "Index: x\n",
    "=====\n",
    "> ",
    "Signed-off-by: A <a@b>\n",
    "Reviewed-by: R\n",
    "\r\n",
    "é",
    "\"",
    "-- >8 --\n",
    "From: x\n",
    "Subject: y\n",
    " z\n",
    "The following changes since commit x\n",
    "are available in the git repository at:\n",
    "  git://h/r.git b\n",
    " a | 3 ++-\n",
    " f | Bin\n",
    " 1 file changed, 1 insertion(+)\n",
    "rename from a\n",
    "rename to b\n",
    "new file mode 100644\n",
    "old mode 1\n",
    "Binary files a/x and /dev/null differ\n",
    "_______________________\n",
    "\t",
    "|",
    ":",
];

fn check_invariants(body: &PatchBody) {
    let lines = body.diff_lines().count();
    for f in &body.files {
        assert!(
            f.start_line <= f.end_line && f.end_line <= lines,
            "{f:?} / {lines}"
        );
        for h in &f.hunks {
            assert!(
                h.start_line >= f.start_line && h.start_line + h.line_count < f.end_line.max(1) + 1
            );
        }
    }
    let _ = body.file_stats();
    let _ = body.totals();
}

/// `summarize` reads what `parse(..).summary()` reads, on every body of a real list month, the
/// patchwork mails and the fuzzed ones.
#[test]
fn summarize_gives_what_parse_summarises() {
    let Some(dir) = corpora() else { return };
    let check = |text: &str, what: &dyn std::fmt::Display| {
        let full = parse(text);
        let brief = summarize(text);
        assert_eq!(brief.summary, full.summary(), "{what}");
        assert_eq!(brief.in_body_from, full.in_body_from, "{what}");
        assert_eq!(brief.in_body_subject, full.in_body_subject, "{what}");
        assert_eq!(brief.carries_patch, full.carries_patch, "{what}");
        if full.changelog.contains("://") {
            assert_eq!(brief.changelog, full.changelog, "{what}");
        }
        // Without its trailers (how a `Re:` is read at load), the rest is the same.
        let skipped = summarize_with(text, Trailers::Skip, &mut |p| std::sync::Arc::from(p));
        assert!(skipped.summary.trailers.is_empty(), "{what}");
        let mut without = full.summary();
        without.trailers = Box::default();
        assert_eq!(skipped.summary, without, "{what}");
        assert_eq!(skipped.in_body_from, full.in_body_from, "{what}");
        assert_eq!(skipped.in_body_subject, full.in_body_subject, "{what}");
        assert_eq!(skipped.carries_patch, full.carries_patch, "{what}");
    };
    let month = dir.join("archives/linux-clk-2026-01.mbox");
    let loaded = crate::source::read(&[crate::source::Input::Path(month)]);
    assert_eq!(loaded.messages.len(), 918);
    for (i, at) in loaded.messages.iter().enumerate() {
        let decoded = crate::model::mime::body_text(loaded.bytes(at));
        check(&decoded.text, &format!("message {i} of the month"));
    }
    for sub in [
        "patchwork/mail",
        "patchwork/patches",
        "patchwork/series",
        "patchwork/fuzz",
    ] {
        let entries = std::fs::read_dir(dir.join(sub)).unwrap_or_else(|e| panic!("{sub}: {e}"));
        for entry in entries.flatten().filter(|e| e.path().is_file()) {
            let text = read_lossy(&entry.path());
            check(split_mail(&text).1, &entry.path().display());
            check(&text, &entry.path().display());
        }
    }
}

#[test]
fn never_panics_on_fuzzed_mails() {
    let Some(dir) = corpora() else { return };
    let entries =
        std::fs::read_dir(dir.join("patchwork/fuzz")).unwrap_or_else(|e| panic!("fuzz dir: {e}"));
    let mut seen = 0;
    for entry in entries.flatten() {
        let text = read_lossy(&entry.path());
        check_invariants(&parse(&text));
        check_invariants(&parse(split_mail(&text).1));
        seen += 1;
    }
    assert!(seen >= 17);
}

#[test]
fn never_panics_on_generated_and_truncated_input() {
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..noise.below(60) {
            let piece = PIECES.get(noise.below(PIECES.len())).copied().unwrap_or("");
            text.push_str(piece);
        }
        check_invariants(&parse(&text));
        let bytes: Vec<u8> = (0..noise.below(200)).map(|_| noise.next() as u8).collect();
        check_invariants(&parse(&String::from_utf8_lossy(&bytes)));
    }
    let Some(dir) = corpora() else { return };
    for name in [
        "0003-git-pull-request-with-diff.mbox",
        "0026-git-add-mixed-binary-text-files.mbox",
        "0011-no-newline-at-end-of-file.mbox",
    ] {
        let text = read_lossy(&dir.join("patchwork/mail").join(name));
        let mut cut = 0;
        while cut < text.len() {
            if let Some(head) = text.get(..cut) {
                check_invariants(&parse(head));
            }
            cut += 1 + noise.below(97);
        }
    }
}

/// This thread's time on a CPU (Linux `schedstat`), else wall time since the first call.
fn cpu_seconds() -> f64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let on_cpu_ns = std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok());
    match on_cpu_ns {
        Some(ns) => ns as f64 / 1e9,
        None => EPOCH
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64(),
    }
}

/// Throughput of `parse` over a real list archive (run by hand:
/// `cargo test --release --lib parse_throughput -- --ignored --nocapture`). Prints, never
/// asserts a time: timings belong to benchmarks, not to pass/fail.
#[test]
#[ignore = "measurement; run by hand in release mode"]
fn parse_throughput_on_list_archive() {
    use std::io::Read;
    let Some(dir) = corpora() else { return };
    let file = std::fs::File::open(dir.join("archives/linux-clk-2025.mbox.gz"))
        .unwrap_or_else(|e| panic!("archive: {e}"));
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("gunzip: {e}"));
    let text = String::from_utf8_lossy(&raw);
    let bodies: Vec<&str> = text
        .split("\nFrom ")
        .map(|mail| split_mail(mail).1)
        .collect();
    let total: usize = bodies.iter().map(|b| b.len()).sum();
    let files: usize = bodies.iter().map(|b| parse(b).files.len()).sum();
    // Best of several runs of on-CPU time: the machine is shared, so wall time is noise.
    let mut best = f64::MAX;
    for _ in 0..10 {
        let start = cpu_seconds();
        let parsed: usize = bodies.iter().map(|b| parse(b).files.len()).sum();
        best = best.min(cpu_seconds() - start);
        assert_eq!(parsed, files);
    }
    let rate = |secs: f64| total as f64 / 1e6 / secs;
    eprintln!(
        "{} bodies, {:.1} MB, {files} diff files: parse takes {best:.3} s of CPU on one core \
         (best of 10) = {:.0} MB/s",
        bodies.len(),
        total as f64 / 1e6,
        rate(best),
    );
}
