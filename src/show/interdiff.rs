//! `patchdeck interdiff`: what changed between two versions of a series, on stdout as the
//! reader lays it out (coloured with ANSI on a terminal) or as JSON, one array of
//! `{number, title, status, from, to, diff}`. Every string from mail is sanitised.

use std::io::{self, Write};

use super::Paint;
use crate::index::archive::Archive;
use crate::index::interdiff::{Interdiff, RowKind};
use crate::model::interdiff::{ChangeKind, Status};
use crate::sanitize::sanitize;

/// The text layout, one row a line.
pub fn write_text(
    out: &mut impl Write,
    archive: &Archive,
    interdiff: &Interdiff,
    colour: bool,
) -> io::Result<()> {
    let p = Paint { on: colour };
    for row in interdiff.rows(archive) {
        let code = match row.kind {
            RowKind::Title => "1",
            RowKind::Patch(Status::Unchanged) => "2",
            RowKind::Patch(Status::Changed) => "33;1",
            RowKind::Patch(Status::Added) => "32;1",
            RowKind::Patch(Status::Removed) => "31;1",
            RowKind::Change(ChangeKind::Part) => "1",
            RowKind::Change(ChangeKind::Heading) => "36",
            RowKind::Change(ChangeKind::Old) => "31",
            RowKind::Change(ChangeKind::New) => "32",
            RowKind::Change(ChangeKind::Context) | RowKind::Blank => "",
        };
        let text = sanitize(&row.text);
        if code.is_empty() {
            writeln!(out, "{text}")?;
        } else {
            writeln!(out, "{}", p.wrap(code, &text))?;
        }
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
