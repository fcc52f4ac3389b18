//! `patchdeck show` and the pager's text: one message in the reader's layout, the detail
//! document ([`crate::app::detail::doc`]) drawn line by line as the detail pane draws it (same
//! styles, syntax colours and changed words, every string from the mail sanitised), written
//! as ANSI text, or as plain text when colour is off. The diffstat pane's rows sit between the
//! message and the diff, as `git show --stat -p` places them.

pub mod interdiff;

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use ratatui::backend::IntoCrossterm;
use ratatui::crossterm::style::StyledContent;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::app::detail::doc::{self, DetailDoc};
use crate::highlight::{DiffHighlighter, LineDecor};
use crate::index::archive::Archive;
use crate::ui::detail::{Marks, doc_line};
use crate::ui::diffstat::{Columns, file_line, totals_line};
use crate::ui::theme::Theme;

/// How wide the diffstat is drawn (git's `--stat` default).
const DIFFSTAT_COLUMNS: usize = 80;

/// Writes message `idx` of `archive` in the reader's layout, styled by `theme` (plain text when
/// its colour is off).
pub fn write(out: &mut impl Write, archive: &Archive, idx: u32, theme: Theme) -> io::Result<()> {
    let doc = doc::for_message(archive, idx);
    let decor = decorations(&doc, theme);
    let line = |line: usize| {
        let decor = doc.diff_line(line).and_then(|d| decor.get(&d));
        let marks = Marks {
            decor: decor.map(Arc::as_ref),
            ..Marks::default()
        };
        // Address lists are written whole: a pager or a script has no width to fold them to.
        doc_line(&doc, line, theme, marks, usize::MAX)
    };
    for n in 0..doc.diff_start {
        write_line(out, &line(n), theme.color)?;
    }
    if !doc.stats.is_empty() {
        let columns = Columns::fit(&doc.stats, DIFFSTAT_COLUMNS);
        for file in &doc.stats {
            write_line(out, &file_line(file, &columns, theme), theme.color)?;
        }
        let totals = totals_line(doc.stats.len(), doc.body.totals(), theme);
        write_line(out, &totals, theme.color)?;
        writeln!(out)?;
    }
    for n in doc.diff_start..doc.len() {
        write_line(out, &line(n), theme.color)?;
    }
    Ok(())
}

/// Syntax colours and changed words of every diff line, when colour is on.
fn decorations(doc: &DetailDoc, theme: Theme) -> HashMap<usize, Arc<LineDecor>> {
    if !theme.color || !doc.body.has_diff() {
        return HashMap::new();
    }
    let mut highlighter = DiffHighlighter::new(Arc::clone(&doc.body), true);
    let lines = highlighter.line_count();
    highlighter.highlight(0..lines).into_iter().collect()
}

/// Writes one styled line and a newline: each span in its style (the line's style beneath),
/// or the bare text when `color` is off.
pub fn write_line(out: &mut impl Write, line: &Line<'_>, color: bool) -> io::Result<()> {
    for span in &line.spans {
        let style = line.style.patch(span.style);
        if color && style != Style::new() {
            let text: &str = &span.content;
            write!(out, "{}", StyledContent::new(style.into_crossterm(), text))?;
        } else {
            out.write_all(span.content.as_bytes())?;
        }
    }
    writeln!(out)
}
