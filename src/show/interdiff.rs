//! `patchdeck interdiff`: what changed between two versions of a series, on stdout as the
//! reader lays it out (the detail pane's interdiff document, coloured with ANSI on a terminal)
//! or as JSON, one array of
//! `{number, title, status, from, to, diff}`. Every string from mail is sanitised.

use std::io::{self, Write};

use super::write_line;
use crate::app::detail::doc;
use crate::index::archive::Archive;
use crate::index::interdiff::Interdiff;
use crate::ui::detail::{Marks, doc_line};
use crate::ui::theme::Theme;

/// The text layout: the reader's interdiff document for message `msg`, line by line, styled
/// by `theme` (plain when its colour is off).
pub fn write_text(
    out: &mut impl Write,
    archive: &Archive,
    msg: u32,
    interdiff: &Interdiff,
    theme: Theme,
) -> io::Result<()> {
    let doc = doc::build_interdiff(msg, None, Ok(interdiff.rows(archive)));
    for line in 0..doc.len() {
        let styled = doc_line(&doc, line, theme, Marks::default(), usize::MAX);
        write_line(out, &styled, theme.color)?;
    }
    Ok(())
}

/// One JSON array, an object per patch.
pub fn write_json(out: &mut impl Write, interdiff: &Interdiff) -> io::Result<()> {
    let patches: Vec<serde_json::Value> = interdiff
        .changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "number": c.number,
                "title": c.title,
                "status": c.status.as_str(),
                "from": c.from,
                "to": c.to,
                "diff": c.diff_text(),
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &patches)?;
    writeln!(out)
}
