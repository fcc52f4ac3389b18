//! The list pane: one row per message (or folded series), built only for the rows on screen.
//!
//! A row reads `▶ 2020-10-21 Daniel Vetter   ▾ v3 01/16 drm/exynos: Stop using…  +20 -27 R2`:
//! selection marker, date, author, fold mark, thread tree (`├─`, `└─`, as mutt draws it),
//! tags, title (the filter's matched characters highlighted, cover letters bold, replies after
//! a dimmed `Re:`), +/- totals and the Acked/Reviewed/Tested counts. Rows shown only as the
//! thread context of a filter's matches are dimmed. Narrow panes drop the trailer counts, then
//! the author.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::text::{pad, width};
use super::theme::Theme;
use crate::app::list::{Fold, ListModel, Row};
use crate::app::settings::Column;
use crate::app::{ArchiveView, TitleMarks};
use crate::model::message::{Kind, Message};
use crate::model::trailer::TrailerCounts;
use crate::sanitize::{push_sanitized, sanitize};

pub struct ListPane<'a> {
    pub list: &'a ListModel,
    pub archive: Option<&'a dyn ArchiveView>,
    /// Marks the filter's matches in titles.
    pub marks: Option<&'a TitleMarks>,
    pub focused: bool,
    pub theme: Theme,
    /// Shown when there are no rows.
    pub empty_note: &'a str,
    /// Messages the user marked, shown with a `●`.
    pub marked: &'a std::collections::BTreeSet<u32>,
    /// The columns to show, in order (the config's `[list] columns`).
    pub columns: &'a [Column],
}

impl Widget for &ListPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(archive) = self.archive else {
            Line::styled(self.empty_note, self.theme.dim()).render(area, buf);
            return;
        };
        if self.list.is_empty() {
            Line::styled(self.empty_note, self.theme.dim()).render(area, buf);
            return;
        }
        let rows = self.list.window(self.list.offset, usize::from(area.height));
        let visible = (self.list.offset..).zip(&rows);
        for (y, (index, row)) in (area.y..area.bottom()).zip(visible) {
            let Some(message) = archive.messages().get(row.msg as usize) else {
                continue;
            };
            let selected = index == self.list.cursor;
            let counts = archive.trailer_counts(row.msg);
            let line = self.row(message, row, counts, selected, usize::from(area.width));
            let row_area = Rect {
                y,
                height: 1,
                ..area
            };
            line.render(row_area, buf);
        }
    }
}

impl ListPane<'_> {
    fn row(
        &self,
        m: &Message,
        row: &Row,
        counts: TrailerCounts,
        selected: bool,
        columns: usize,
    ) -> Line<'static> {
        let t = self.theme;
        // Columns named before the title sit left of it, those after it at the right edge.
        let title_at = self
            .columns
            .iter()
            .position(|&c| c == Column::Title)
            .unwrap_or(self.columns.len());
        let before = self.columns.get(..title_at).unwrap_or_default();
        let after = self.columns.get(title_at + 1..).unwrap_or_default();

        let mut right: Vec<Span<'static>> = Vec::new();
        // Room kept for the right-hand columns even on rows that leave them empty, so titles
        // end at the same place on every row.
        let mut reserved = 0;
        for &column in after {
            reserved += match column {
                Column::Stats => 9,
                Column::Trailers if columns >= 100 => 9,
                _ => 0,
            };
            let cell = self.cell(column, m, counts, columns);
            if cell.is_empty() {
                continue;
            }
            if !right.is_empty() {
                right.push(Span::raw(" "));
            }
            right.extend(cell);
        }
        let right_width: usize = right.iter().map(|s| width(&s.content)).sum();
        let right_width = right_width.max(if reserved > 0 { reserved.max(10) } else { 0 });

        let mut left: Vec<Span<'static>> = Vec::new();
        left.push(Span::raw(if selected { "▶" } else { " " }));
        if self.marked.contains(&row.msg) {
            left.push(Span::styled("●", t.marked()));
        } else {
            left.push(Span::raw(" "));
        }
        // The fold mark and `Re:` lead the subject: the tags when they come just before the
        // title, else the title.
        let lead_at = match before.last() {
            Some(Column::Tags) => before.len() - 1,
            _ => before.len(),
        };
        for (i, &column) in before.iter().enumerate() {
            if i == lead_at {
                self.lead(m, row, columns, &mut left);
            }
            let cell = self.cell(column, m, counts, columns);
            if cell.is_empty() {
                continue;
            }
            left.extend(cell);
            left.push(Span::raw(" "));
        }
        if lead_at == before.len() {
            self.lead(m, row, columns, &mut left);
        }
        let used: usize = left.iter().map(|s| width(&s.content)).sum();
        let title_room = columns.saturating_sub(used + right_width + 1);
        let mut title_style = if m.kind == Kind::Cover {
            t.cover_title()
        } else {
            Style::new()
        };
        if m.kind == Kind::Reply {
            title_style = title_style.patch(t.dim());
        }
        let marked = self.marks.map(|marks| marks(row.msg)).unwrap_or_default();
        let mut title = title_spans(
            m.subject.title(),
            &marked,
            title_style,
            t.matched(),
            title_room,
        );
        if let Fold::Closed { hidden } = row.fold {
            let note = format!(" (+{hidden})");
            let title_width: usize = title.iter().map(|s| width(&s.content)).sum();
            if title_width + width(&note) <= title_room {
                title.push(Span::styled(note, t.dim()));
            }
        }
        let title_width: usize = title.iter().map(|s| width(&s.content)).sum();
        left.extend(title);
        let gap = columns.saturating_sub(used + title_width + right_width);
        left.push(Span::raw(" ".repeat(gap)));
        left.extend(right);
        let mut style = if selected {
            t.selected(self.focused)
        } else {
            Style::new()
        };
        if row.context {
            // Shown only to place a match in its thread.
            style = style.patch(t.dim());
        }
        Line::from(left).style(style)
    }

    /// The fold mark, the thread tree (`│ ├─`, `└─`, mutt's glyphs) and a reply's dimmed
    /// `Re:`. A tree deeper than the pane allows keeps its deepest levels, marked with `…`.
    fn lead(&self, m: &Message, row: &Row, columns: usize, left: &mut Vec<Span<'static>>) {
        let t = self.theme;
        let fold = match row.fold {
            Fold::Closed { .. } => "▸ ",
            Fold::Open => "▾ ",
            Fold::None => "  ",
        };
        left.push(Span::styled(fold, t.dim()));
        if row.depth > 0 {
            left.push(Span::styled(tree_prefix(row, columns), t.dim()));
        }
        if m.subject.reply {
            left.push(Span::styled("Re: ", t.dim()));
        }
    }

    /// One column's text; empty when it has nothing to say or the pane is too narrow for it
    /// (the author below 60 columns, trailer counts below 100).
    fn cell(
        &self,
        column: Column,
        m: &Message,
        counts: TrailerCounts,
        columns: usize,
    ) -> Vec<Span<'static>> {
        let t = self.theme;
        match column {
            Column::Date => {
                let date = m.date.map_or_else(|| " ".repeat(10), |d| d.ymd());
                vec![Span::styled(date, t.date())]
            }
            Column::Author if columns >= 60 => {
                let author_width = if columns >= 120 { 20 } else { 14 };
                vec![Span::styled(
                    pad(&sanitize(m.author.display()), author_width),
                    t.author(),
                )]
            }
            Column::Tags => {
                let tags = m.tag_summary();
                if tags.is_empty() {
                    Vec::new()
                } else {
                    vec![Span::styled(tags, t.tags())]
                }
            }
            Column::Stats if m.summary.insertions > 0 || m.summary.deletions > 0 => vec![
                Span::styled(format!("+{}", m.summary.insertions), t.insertions()),
                Span::raw(" "),
                Span::styled(format!("-{}", m.summary.deletions), t.deletions()),
            ],
            Column::Trailers if columns >= 100 => vec![Span::styled(
                format!("{:<8}", trailer_counts(counts)),
                t.tags(),
            )],
            Column::Author | Column::Stats | Column::Trailers | Column::Title => Vec::new(),
        }
    }
}

/// The tree drawn before a row at depth 1 and below: `│ ` or `  ` for each ancestor level,
/// then `├─ ` (more answers to the same parent follow) or `└─ `. At most a twelfth of the
/// pane's width in levels; deeper rows keep their deepest levels after a `…`.
fn tree_prefix(row: &Row, columns: usize) -> String {
    let levels = (columns / 12).max(2) as u32;
    let first = row.depth.saturating_sub(levels - 1).max(1);
    let mut out = String::new();
    if first > 1 {
        out.push('…');
    }
    for depth in first..row.depth {
        out.push_str(if row.tree.continues(depth) {
            "│ "
        } else {
            "  "
        });
    }
    out.push_str(if row.tree.last() {
        "└─ "
    } else {
        "├─ "
    });
    out
}

/// `R2 A1 T1`: only the kinds given, so a bare row stays quiet.
fn trailer_counts(counts: TrailerCounts) -> String {
    let parts: Vec<String> = [
        ("R", counts.reviewed),
        ("A", counts.acked),
        ("T", counts.tested),
    ]
    .into_iter()
    .filter(|&(_, n)| n > 0)
    .map(|(k, n)| format!("{k}{n}"))
    .collect();
    parts.join(" ")
}

/// The title as spans, sanitized, with the characters at `marked` (char indices into the raw
/// title) in `mark_style`, cut to `room` columns.
fn title_spans(
    title: &str,
    marked: &[usize],
    style: Style,
    mark_style: Style,
    room: usize,
) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut current = String::new();
    let mut current_marked = false;
    let mut column = 0usize;
    let total = width(&sanitize(title));
    let limit = if total > room {
        room.saturating_sub(1)
    } else {
        room
    };
    for (i, c) in title.chars().enumerate() {
        let is_marked = marked.contains(&i);
        let mut piece = String::new();
        let mut piece_column = column;
        let mut buf = [0u8; 4];
        push_sanitized(&mut piece, c.encode_utf8(&mut buf), &mut piece_column);
        if piece_column > limit {
            break;
        }
        column = piece_column;
        if is_marked != current_marked && !current.is_empty() {
            let s = if current_marked {
                style.patch(mark_style)
            } else {
                style
            };
            spans.push(Span::styled(std::mem::take(&mut current), s));
        }
        current_marked = is_marked;
        current.push_str(&piece);
    }
    if !current.is_empty() {
        let s = if current_marked {
            style.patch(mark_style)
        } else {
            style
        };
        spans.push(Span::styled(current, s));
    }
    if total > room && room > 0 {
        spans.push(Span::styled("…", style));
    }
    spans
}
