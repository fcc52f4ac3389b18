//! `list --sort` and the reader order an archive the same way, and `list`'s number column is
//! what `show N` opens, whatever the order or query.

use std::path::PathBuf;

use crate::support::reader::{Reader, fixture};
use crate::support::run::patchdeck_stdout as patchdeck;
use patchdeck::index::order::SortKey;

fn series_mbox() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/reader/series.mbox")
}

/// `list` in TSV: (number, Message-ID) per line.
fn listed(args: &[&str]) -> Vec<(u32, String)> {
    patchdeck(args)
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields[0].parse().unwrap(), fields[9].to_string())
        })
        .collect()
}

#[test]
fn list_sorts_as_the_reader_does_for_every_key_and_direction() {
    let path = series_mbox();
    let path = path.to_str().unwrap();
    let mut reader = Reader::open(fixture("reader/series.mbox"), None, 120, 40);
    for key in SortKey::ALL {
        for reverse in [false, true] {
            assert_eq!(reader.app.list.sort, key);
            assert_eq!(reader.app.list.reversed, reverse);
            let mut args = vec!["list", "--format", "tsv", "--sort", key.name(), path];
            if reverse {
                args.push("--reverse");
            }
            let numbers: Vec<u32> = listed(&args).into_iter().map(|(n, _)| n - 1).collect();
            let rows: Vec<u32> = reader
                .app
                .list
                .window(0, reader.app.list.len())
                .iter()
                .map(|r| r.msg)
                .collect();
            assert_eq!(numbers, rows, "{} reverse={reverse}", key.name());
            reader.keys("S");
        }
        reader.keys("s");
    }
}

#[test]
fn list_numbers_open_the_same_message_with_show_under_any_order_and_query() {
    let path = series_mbox();
    let path = path.to_str().unwrap();
    let rows = listed(&[
        "list", "--format", "tsv", "--sort", "author", "-q", "is:patch", path,
    ]);
    assert!(rows.len() > 1);
    for (number, id) in rows {
        let shown = patchdeck(&["show", "--color", "never", path, &number.to_string()]);
        assert!(
            shown.contains(&format!("Message-ID: <{id}>")),
            "show {number} is not {id}:\n{shown}"
        );
    }
}
