//! Queries a script can trust, on a real list month (`linux-clk-2026-01.mbox`, 918 messages),
//! through the real binary: a named field selects exactly the rows a plain substring scan of
//! `list --format json` selects; the word operators are the symbols; the number `list` prints
//! is the message `show N` opens; an export that matches nothing writes nothing and exits 1.

use std::path::{Path, PathBuf};
use std::process::Output;

use patchdeck::index::fold::{fold, is_case_sensitive};
use serde_json::Value;

use crate::support::corpus::corpus;
use crate::support::run::patchdeck;

const MONTH: &str = "archives/linux-clk-2026-01.mbox";

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The numbers (first TSV column) `list -q query` prints, in its order, and its exit code
/// (an empty query lists everything).
fn listed(mbox: &Path, query: &str) -> (Vec<usize>, Option<i32>) {
    let path = mbox.to_string_lossy();
    let mut args = vec!["list", &path, "--format", "tsv"];
    if !query.is_empty() {
        args.extend(["-q", query]);
    }
    let out = patchdeck(&args);
    let rows = stdout(&out)
        .lines()
        .map(|l| {
            l.split('\t')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{query}: no number in {l:?}"))
        })
        .collect();
    (rows, out.status.code())
}

/// Every message as `list --format json` prints it, with the number `list` gives it (the
/// TSV's first column, printed in the same order): `(number, record)`.
fn records(mbox: &Path) -> Vec<(usize, Value)> {
    let out = patchdeck(&["list", &mbox.to_string_lossy(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let numbers = listed(mbox, "").0;
    let records: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record per line"))
        .collect();
    assert_eq!(
        numbers.len(),
        records.len(),
        "TSV and JSON list the same rows"
    );
    numbers.into_iter().zip(records).collect()
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter()
        .fold(v, |v, key| &v[*key])
        .as_str()
        .unwrap_or("")
}

/// The strings of a record a field qualifier looks at.
fn field_texts(record: &Value, field: &str) -> Vec<String> {
    match field {
        "s" => vec![str_at(record, &["title"]).to_string()],
        "from" => [
            ["from", "name"],
            ["from", "email"],
            ["author", "name"],
            ["author", "email"],
        ]
        .iter()
        .map(|p| str_at(record, p).to_string())
        .collect(),
        "f" => record["files"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| str_at(f, &["path"]).to_string())
            .collect(),
        // `t:` searches the message's own trailers: those without a `given_by`.
        "t" => record["trailers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t.get("given_by").is_none())
            .map(|t| format!("{}: {}", str_at(t, &["key"]), str_at(t, &["value"])))
            .collect(),
        other => panic!("no scan for {other}:"),
    }
}

/// The numbers of the records whose `field` holds `needle` (smart case: a needle without an
/// upper-case letter ignores case).
fn scanned(records: &[(usize, Value)], field: &str, needle: &str) -> Vec<usize> {
    let cased = is_case_sensitive(needle);
    let needle = if cased {
        needle.to_string()
    } else {
        fold(needle)
    };
    let mut numbers: Vec<usize> = records
        .iter()
        .filter(|(_, r)| {
            field_texts(r, field).iter().any(|text| {
                if cased {
                    text.contains(&needle)
                } else {
                    fold(text).contains(&needle)
                }
            })
        })
        .map(|(n, _)| *n)
        .collect();
    numbers.sort_unstable();
    numbers
}

/// `list -q query`'s numbers as a sorted set, and its exit code.
fn selected(mbox: &Path, query: &str) -> (Vec<usize>, Option<i32>) {
    let (mut rows, code) = listed(mbox, query);
    rows.sort_unstable();
    (rows, code)
}

#[test]
fn named_fields_select_exactly_what_a_substring_scan_of_the_json_selects() {
    let Some(mbox) = corpus(MONTH) else { return };
    let records = records(&mbox);
    assert_eq!(records.len(), 918);
    let cases = [
        ("s", "qcom"),
        ("s", "PLL"),
        ("s", "pmu"),
        ("s", "clk: renesas"),
        ("from", "kernel.org"),
        ("from", "Dmitry"),
        ("from", "linaro"),
        ("f", "drivers/clk/qcom"),
        ("f", ".yaml"),
        ("t", "reviewed-by"),
        ("t", "Acked-by: Rob"),
    ];
    for (field, needle) in cases {
        let query = if needle.contains(' ') {
            format!("{field}:\"{needle}\"")
        } else {
            format!("{field}:{needle}")
        };
        let want = scanned(&records, field, needle);
        let (got, code) = selected(&mbox, &query);
        assert_eq!(got, want, "{query}");
        assert_eq!(code, Some(if want.is_empty() { 1 } else { 0 }), "{query}");
        if needle != "pmu" {
            assert!(
                !want.is_empty() && want.len() < records.len(),
                "{query} should select some rows, not all: {}",
                want.len()
            );
        }
    }
    // The case the issue was filed for: a fuzzy `s:pmu` took titles merely holding p, m, u.
    let (fuzzy, _) = listed(&mbox, "s:~pmu");
    assert!(
        fuzzy.len() > scanned(&records, "s", "pmu").len() + 10,
        "s:~pmu is the fuzzy form: {}",
        fuzzy.len()
    );
}

#[test]
fn word_operators_and_negations_are_the_symbols() {
    let Some(mbox) = corpus(MONTH) else { return };
    let pairs = [
        ("s:qcom AND NOT is:reply", "s:qcom !is:reply"),
        ("s:qcom -is:reply", "s:qcom !is:reply"),
        ("s:qcom OR s:renesas", "s:qcom|s:renesas"),
        ("f:qcom OR f:samsung is:patch", "f:qcom|f:samsung is:patch"),
        ("NOT (is:reply OR is:cover)", "!is:reply !is:cover"),
        (
            "(s:qcom OR s:renesas) -is:reply",
            "s:qcom|s:renesas !is:reply",
        ),
    ];
    for (words, symbols) in pairs {
        let (a, code) = listed(&mbox, words);
        let (b, _) = listed(&mbox, symbols);
        assert_eq!(code, Some(0), "{words}");
        assert_eq!(a, b, "{words} vs {symbols}");
    }
    let (qcom, _) = listed(&mbox, "s:qcom");
    let (without_replies, _) = listed(&mbox, "s:qcom -is:reply");
    assert!(without_replies.len() < qcom.len() && !without_replies.is_empty());
    let (either, _) = listed(&mbox, "s:qcom OR s:renesas");
    assert!(either.len() > qcom.len());
}

#[test]
fn a_query_starting_with_a_hyphen_reaches_the_query() {
    let Some(mbox) = corpus(MONTH) else { return };
    let records = records(&mbox);
    let mut want: Vec<usize> = records
        .iter()
        .filter(|(_, r)| r["kind"] != "reply")
        .map(|(n, _)| *n)
        .collect();
    want.sort_unstable();
    let (got, code) = selected(&mbox, "-is:reply");
    assert_eq!(code, Some(0));
    assert_eq!(got, want);
    assert!(want.len() < records.len());
}

#[test]
fn query_mistakes_are_reported_with_exit_2() {
    let Some(mbox) = corpus(MONTH) else { return };
    for (query, says) in [
        ("s:\"pmu", "unterminated quote"),
        ("s:qcom OR", "`OR` needs a term"),
        ("s:qcom ()", "empty group"),
        ("(s:qcom", "unclosed group"),
        ("foo:bar", "unknown field"),
    ] {
        let out = patchdeck(&["list", &mbox.to_string_lossy(), "-q", query]);
        assert_eq!(out.status.code(), Some(2), "{query}");
        assert!(stderr(&out).contains(says), "{query}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{query}");
    }
}

#[test]
fn list_numbers_are_what_show_opens() {
    let Some(mbox) = corpus(MONTH) else { return };
    let path = mbox.to_string_lossy();
    let out = patchdeck(&["list", &path, "-q", "f:qcom -is:reply", "--format", "tsv"]);
    let rows: Vec<(String, String)> = stdout(&out)
        .lines()
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[0].to_string(), cols[cols.len() - 1].to_string())
        })
        .collect();
    assert!(rows.len() >= 5, "{} rows", rows.len());
    // The numbers are the archive's, not 1..n of the filtered rows.
    assert_ne!(rows[0].0, "1");
    let picks = [
        0,
        rows.len() / 4,
        rows.len() / 2,
        rows.len() * 3 / 4,
        rows.len() - 1,
    ];
    for i in picks {
        let (number, id) = &rows[i];
        let shown = patchdeck(&["show", &path, number, "--color", "never"]);
        assert_eq!(shown.status.code(), Some(0), "show {number}");
        assert!(
            stdout(&shown)
                .lines()
                .any(|l| l.starts_with("Message-ID:") && l.contains(&format!("<{id}>"))),
            "show {number} should open <{id}>"
        );
    }
    // A sort keeps the numbers too.
    let sorted = patchdeck(&[
        "list",
        &path,
        "-q",
        "f:qcom -is:reply",
        "--format",
        "tsv",
        "--sort",
        "author",
    ]);
    let mut numbers: Vec<String> = stdout(&sorted)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect();
    numbers.sort();
    let mut expected: Vec<String> = rows.iter().map(|(n, _)| n.clone()).collect();
    expected.sort();
    assert_eq!(numbers, expected);
}

#[test]
fn the_table_has_a_header_and_tsv_has_none() {
    let Some(mbox) = corpus(MONTH) else { return };
    let path = mbox.to_string_lossy();
    let table = patchdeck(&["list", &path, "-q", "s:qcom", "--format", "table"]);
    let first = stdout(&table).lines().next().unwrap_or("").to_string();
    assert!(
        first.trim_start().starts_with('#') && first.contains("title"),
        "{first:?}"
    );
    let tsv = patchdeck(&["list", &path, "-q", "s:qcom", "--format", "tsv"]);
    let first = stdout(&tsv).lines().next().unwrap_or("").to_string();
    assert!(
        first
            .split('\t')
            .next()
            .is_some_and(|n| n.parse::<u32>().is_ok()),
        "{first:?}"
    );
    // Nothing matched: no header either.
    let none = patchdeck(&["list", &path, "-q", "s:zzzqqqx", "--format", "table"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(none.stdout.is_empty());
}

fn export(mbox: &Path, query: &str, dest: &Path) -> Output {
    patchdeck(&[
        "export",
        &mbox.to_string_lossy(),
        "-q",
        query,
        "-o",
        &dest.to_string_lossy(),
    ])
}

#[test]
fn an_export_matching_nothing_exits_1_and_writes_nothing() {
    let Some(mbox) = corpus(MONTH) else { return };
    let dir = tempfile::tempdir().unwrap();
    let dest: PathBuf = dir.path().join("none.mbox");
    for query in ["zzqqxx", "s:pmu v:3 is:cover"] {
        let out = export(&mbox, query, &dest);
        assert_eq!(out.status.code(), Some(1), "{query}: {}", stderr(&out));
        assert!(!dest.exists(), "{query} wrote a file");
        assert!(
            stderr(&out).contains("nothing to export"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn an_export_says_what_it_wrote() {
    let Some(mbox) = corpus(MONTH) else { return };
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("qcom.mbox");
    let query = "s:\"clk: qcom\" is:cover";
    let out = export(&mbox, query, &dest);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mbox_text = std::fs::read_to_string(&dest).unwrap();
    let patches = mbox_text.matches("\nFrom mboxrd@z ").count() + 1;
    let said = stderr(&out);
    assert!(
        said.starts_with(&format!("patchdeck: wrote {patches} patches of ")),
        "{said}"
    );
    let records = records(&mbox);
    let qcom = scanned(&records, "s", "clk: qcom");
    let covers: Vec<&Value> = records
        .iter()
        .filter(|(n, r)| qcom.contains(n) && r["kind"] == "cover")
        .map(|(_, r)| r)
        .collect();
    let series: usize = said
        .split(" of ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert!(series >= 1 && series <= covers.len(), "{said}");
    // The first series named is a matching cover letter's title.
    let named = said
        .split_once("qcom.mbox: ")
        .map_or("", |(_, titles)| titles);
    assert!(
        covers
            .iter()
            .any(|c| named.starts_with(str_at(c, &["title"]))),
        "{said}"
    );
}

#[test]
fn per_file_counts_are_counted_or_null_never_guessed() {
    let Some(mbox) = corpus(MONTH) else { return };
    let records = records(&mbox);
    let mut from_diffstat = 0;
    for (_, record) in &records {
        let files = record["files"].as_array().cloned().unwrap_or_default();
        let nulls = files.iter().filter(|f| f["added"].is_null()).count();
        if nulls == 0 {
            let sum = |key: &str| -> u64 { files.iter().filter_map(|f| f[key].as_u64()).sum() };
            assert_eq!(
                (sum("added"), sum("removed")),
                (
                    record["insertions"].as_u64().unwrap_or(0),
                    record["deletions"].as_u64().unwrap_or(0)
                ),
                "{}",
                record["message_id"]
            );
            continue;
        }
        // A diffstat without a diff: every file unsplit, the totals the summary line's.
        assert_eq!(nulls, files.len(), "{}", record["message_id"]);
        assert!(files.iter().all(|f| f["removed"].is_null()));
        from_diffstat += 1;
    }
    assert!(
        from_diffstat > 10,
        "{from_diffstat} messages with only a diffstat"
    );
    // One of them, shown: its summary line is the JSON's totals.
    let (n, record) = records
        .iter()
        .find(|(_, r)| {
            r["kind"] == "cover"
                && r["files"]
                    .as_array()
                    .is_some_and(|f| f.len() > 1 && f[0]["added"].is_null())
        })
        .expect("a cover letter with a diffstat");
    let shown = patchdeck(&[
        "show",
        &mbox.to_string_lossy(),
        &n.to_string(),
        "--color",
        "never",
    ]);
    let (ins, del) = (
        record["insertions"].as_u64().unwrap(),
        record["deletions"].as_u64().unwrap(),
    );
    let summary = format!(
        " {} files changed, {ins} insertion{}(+), {del} deletion{}(-)",
        record["files"].as_array().map_or(0, Vec::len),
        if ins == 1 { "" } else { "s" },
        if del == 1 { "" } else { "s" }
    );
    assert!(
        stdout(&shown).lines().any(|l| l == summary),
        "show {n} lacks {summary:?}"
    );
}
