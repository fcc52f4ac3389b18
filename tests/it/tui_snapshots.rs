//! Whole screens of the reader, as text, at the sizes people use: the bundled sample at 120x40
//! and 80x24 (list, detail, diffstat, filter bar, help), and a small series fixture in the
//! stacked and the wide layout. Dates come from the mail, so nothing needs masking. Colours are
//! checked separately (tui_styles.rs), since text snapshots drop them.

use crate::support::reader::{Reader, fixture, sample};

fn sample_reader(width: u16, height: u16) -> Reader {
    let (inputs, label) = sample();
    Reader::open(inputs, label, width, height)
}

#[test]
fn sample_list_120x40() {
    let reader = sample_reader(120, 40);
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn sample_list_80x24() {
    let reader = sample_reader(80, 24);
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn sample_detail_focused_120x40() {
    let mut reader = sample_reader(120, 40);
    // The first version of a reviewed patch, jumped to its diff.
    reader.keys("j j <tab> ]");
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn sample_diffstat_focused_80x24() {
    let mut reader = sample_reader(80, 24);
    reader.keys("<tab> <tab> j");
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn sample_filter_bar_typing_120x40() {
    let mut reader = sample_reader(120, 40);
    reader.keys("/vetter<space>pfn");
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn sample_filter_error_80x24() {
    let mut reader = sample_reader(80, 24);
    reader.keys("/v:x");
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn sample_help_80x24() {
    let mut reader = sample_reader(80, 24);
    reader.keys("?");
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn series_patch_with_review_120x40() {
    let mut reader = Reader::open(fixture("reader/series.mbox"), None, 120, 40);
    // Newest first: the lone patch, then the series from its cover; 1/2 is the third row.
    reader.keys("j j");
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn series_wide_layout_170x45() {
    let mut reader = Reader::open(fixture("reader/series.mbox"), None, 170, 45);
    reader.keys("j j <tab> }");
    insta::assert_snapshot!(reader.screen());
}

#[test]
fn series_folded_80x24() {
    let mut reader = Reader::open(fixture("reader/series.mbox"), None, 80, 24);
    reader.keys("F");
    insta::assert_snapshot!(reader.screen());
}
