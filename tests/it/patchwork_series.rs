//! Every thread in patchwork's series test data gives the counts of cover letters, patches and
//! comments, and the grouping into series, that patchwork's own tests assert
//! (`../shared/corpora/patchwork/EXPECTED.json`).

use crate::support::corpus as support;

use patchdeck::index::archive::Archive;
use patchdeck::model::message::Kind;
use patchdeck::source::Input;
use serde_json::Value;

fn numbers(v: &Value) -> Option<Vec<u64>> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
}

#[test]
fn counts_and_grouping() {
    let Some(dir) = support::corpus("patchwork") else {
        return;
    };
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("EXPECTED.json")).unwrap()).unwrap();
    let mut checked = 0;
    for (file, want) in expected["series"].as_object().unwrap() {
        if file.ends_with(".template") {
            continue;
        }
        let path = dir.join("series").join(file);
        let archive = Archive::load(&[Input::Path(path.clone())], &|_| {})
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            archive.len() as u64,
            want["messages"].as_u64().unwrap(),
            "{file}: messages"
        );
        if let Some(counts) = numbers(&want["counts"]) {
            let [patch, cover, reply, ..] = archive.kind_counts();
            assert_eq!(
                vec![cover as u64, patch as u64, reply as u64],
                counts,
                "{file}: [covers, patches, comments]"
            );
        }
        // Series in date order of their first message.
        let mut series: Vec<_> = archive.series.iter().collect();
        series.sort_by_key(|s| s.members().min());
        if let Some(per_series) = numbers(&want["series_patches"]) {
            let got: Vec<u64> = series.iter().map(|s| s.patches.len() as u64).collect();
            assert_eq!(got, per_series, "{file}: patches per series");
        }
        if let Some(covers) = numbers(&want["series_covers"]) {
            let got: Vec<u64> = series
                .iter()
                .map(|s| u64::from(s.cover.is_some()))
                .collect();
            assert_eq!(got, covers, "{file}: covers per series");
        }
        if let Some(all) = want["received_all"].as_bool() {
            assert_eq!(series[0].complete(), all, "{file}: received all");
        }
        if let Some(name) = want["series_name"].as_str() {
            assert_eq!(series[0].title, name, "{file}: series name");
        }
        // Every reply belongs to the series of the patch it answers.
        for (i, m) in archive.messages.iter().enumerate() {
            if m.kind == Kind::Reply {
                assert!(
                    archive.series_of(i as u32).is_some(),
                    "{file}: reply {i} has no series"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 28, "only {checked} series files checked");
}
