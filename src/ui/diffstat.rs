//! The diffstat pane: one row per file, `path  12 ++++++------`, the bar scaled so the largest
//! change fills the room left, and a totals line, as `git diff --stat` draws it. A message
//! without a diff shows its mail's diffstat rows with their bars as written (git scaled them;
//! the split of a count is not known) and the totals of its summary line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::text::{fit_left, thousands, width};
use super::theme::Theme;
use crate::app::DiffstatState;
use crate::model::diff::{Change, FileStat};
use crate::sanitize::sanitize;

pub struct DiffstatPane<'a> {
    pub files: &'a [FileStat],
    /// Lines inserted and deleted in all: the diff's, or the diffstat summary line's.
    pub totals: (u32, u32),
    pub state: DiffstatState,
    pub focused: bool,
    pub theme: Theme,
}

impl Widget for &DiffstatPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        if area.height == 0 || area.width == 0 {
            return;
        }
        if self.files.is_empty() {
            Line::styled("no diff", t.dim()).render(area, buf);
            return;
        }
        let layout = Columns::fit(self.files, usize::from(area.width));
        // One row holds the totals.
        let file_rows = usize::from(area.height).saturating_sub(1).max(1);
        let rows = self
            .files
            .iter()
            .enumerate()
            .skip(self.state.offset)
            .take(file_rows);
        for (y, (index, file)) in (area.y..area.bottom()).zip(rows) {
            let style = if index == self.state.cursor && self.focused {
                t.selected(true)
            } else {
                Style::new()
            };
            file_line(file, &layout, t).style(style).render(
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                buf,
            );
        }
        let shown = self
            .files
            .len()
            .saturating_sub(self.state.offset)
            .min(file_rows);
        let totals_y = area
            .y
            .saturating_add(u16::try_from(shown).unwrap_or(u16::MAX))
            .min(area.bottom().saturating_sub(1));
        let totals = totals_line(self.files.len(), self.totals, t);
        totals.render(
            Rect {
                y: totals_y,
                height: 1,
                ..area
            },
            buf,
        );
    }
}

/// The `+` and `-` of a bar as the mail wrote it, cut to `room`.
fn written_bar(bar: &str, room: usize) -> (usize, usize) {
    let shown = bar.len().min(room);
    let plus = bar.bytes().take(shown).filter(|&b| b == b'+').count();
    (plus, shown - plus)
}

/// How a diffstat's columns share a width.
pub struct Columns {
    largest: u32,
    count_width: usize,
    path_width: usize,
    bar_room: usize,
}

impl Columns {
    /// Columns for `files` in `columns` cells.
    pub fn fit(files: &[FileStat], columns: usize) -> Columns {
        let largest = files.iter().map(FileStat::changes).max().unwrap_or(0);
        let count_width = largest.to_string().len().max(3);
        let longest_path = files
            .iter()
            .map(|f| width(&sanitize(&f.path)))
            .max()
            .unwrap_or(0);
        // Paths get what they need as long as the bar keeps a little room; the end of a path
        // says the most, so a cut path loses its beginning.
        let min_bar = usize::try_from(largest.min(8)).unwrap_or(8);
        let path_width = longest_path
            .min(columns.saturating_sub(count_width + 3 + min_bar))
            .max(columns.min(8));
        let bar_room = columns.saturating_sub(path_width + count_width + 3);
        Columns {
            largest,
            count_width,
            path_width,
            bar_room,
        }
    }
}

/// One file's row: `path  12 ++++++------`.
pub fn file_line(file: &FileStat, columns: &Columns, t: Theme) -> Line<'static> {
    let Columns {
        largest,
        count_width,
        path_width,
        bar_room,
    } = *columns;
    let path = fit_left(&sanitize(&file.path), path_width);
    let pad = path_width.saturating_sub(width(&path));
    let mut spans = vec![Span::raw(format!("{path}{} ", " ".repeat(pad)))];
    if file.binary {
        spans.push(Span::styled(format!("{:>count_width$} ", "Bin"), t.dim()));
    } else {
        spans.push(Span::raw(format!("{:>count_width$} ", file.changes())));
        let (plus, minus) = match &file.change {
            Change::Counted { added, removed } => bar(*added, *removed, largest, bar_room),
            Change::Row { bar, .. } => written_bar(bar, bar_room),
        };
        spans.push(Span::styled("+".repeat(plus), t.insertions()));
        spans.push(Span::styled("-".repeat(minus), t.deletions()));
    }
    Line::from(spans)
}

/// The totals row: `3 files, +16 −1`, from the diff's counts or the diffstat's summary line.
pub fn totals_line(files: usize, (added, removed): (u32, u32), t: Theme) -> Line<'static> {
    let noun = if files == 1 { "file" } else { "files" };
    Line::from(vec![
        Span::styled(format!("{} {noun}, ", thousands(files)), t.dim()),
        Span::styled(format!("+{}", thousands(added as usize)), t.insertions()),
        Span::raw(" "),
        Span::styled(format!("−{}", thousands(removed as usize)), t.deletions()),
    ])
}

/// How many `+` and `-` to draw for a file, scaled so `largest` fills `room`; a file with any
/// change gets at least one mark of each kind it has, as git does.
fn bar(added: u32, removed: u32, largest: u32, room: usize) -> (usize, usize) {
    let total = u64::from(added) + u64::from(removed);
    if total == 0 || room == 0 {
        return (0, 0);
    }
    let scaled = if u64::from(largest) <= room as u64 {
        total as usize
    } else {
        ((total * room as u64) / u64::from(largest).max(1)).max(1) as usize
    };
    let mut plus = ((u64::from(added) * scaled as u64) / total) as usize;
    if added > 0 && plus == 0 {
        plus = 1;
    }
    let mut minus = scaled.saturating_sub(plus);
    if removed > 0 && minus == 0 {
        minus = 1;
        plus = plus.saturating_sub(1).max(usize::from(added > 0));
    }
    (plus, minus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_room() {
        assert_eq!(bar(2, 0, 2, 20), (2, 0));
        assert_eq!(bar(1, 1, 2, 20), (1, 1));
        assert_eq!(bar(100, 100, 200, 20), (10, 10));
        assert_eq!(bar(1, 0, 1000, 20), (1, 0), "a small change still shows");
        assert_eq!(bar(0, 1, 1000, 20), (0, 1));
        assert_eq!(bar(999, 1, 1000, 10), (9, 1));
        assert_eq!(bar(5, 5, 10, 0), (0, 0));
        let _ = bar(u32::MAX, u32::MAX, u32::MAX, 30);
    }

    #[test]
    fn a_diffstat_row_keeps_its_bar_and_the_totals_are_the_summary_lines() {
        let files = [
            FileStat {
                path: "mm/gup.c".into(),
                change: Change::Row {
                    changes: 400,
                    bar: "+++++++++---".into(),
                },
                binary: false,
            },
            FileStat {
                path: "mm/x.c".into(),
                change: Change::Row {
                    changes: 2,
                    bar: "+-".into(),
                },
                binary: false,
            },
        ];
        let pane = DiffstatPane {
            files: &files,
            totals: (365, 37),
            state: DiffstatState::default(),
            focused: false,
            theme: Theme::new(false),
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 3));
        (&pane).render(buf.area, &mut buf);
        let line = |y: u16| -> String {
            (0..30)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        };
        assert_eq!(line(0).trim_end(), "mm/gup.c 400 +++++++++---");
        assert_eq!(line(1).trim_end(), "mm/x.c     2 +-");
        assert_eq!(line(2).trim_end(), "2 files, +365 −37");
        assert_eq!(written_bar("+++---", 4), (3, 1));
    }
}
