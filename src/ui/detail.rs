//! The detail pane: the lines of the shown document that fit, each styled by its kind, with
//! syntax colours where they have arrived, search matches marked, and the horizontal scroll
//! applied. Only the visible lines are turned into spans, so a 10,000-line patch draws as fast
//! as a short one. A folded run of quoted text draws as one dimmed row saying how many lines it
//! holds; the `In-Reply-To:` line, which Enter follows, is drawn as a link.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthChar;

use super::text::width;
use super::theme::Theme;
use crate::app::detail::doc::{DetailDoc, LineKind};
use crate::app::detail::{DetailState, RowLine, SearchMatch};
use crate::highlight::{ColorRun, LineDecor};
use crate::sanitize::push_sanitized;

pub struct DetailPane<'a> {
    pub detail: &'a DetailState,
    pub theme: Theme,
    /// Shown when there is no document yet.
    pub placeholder: &'a str,
}

impl Widget for &DetailPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(shown) = self.detail.shown.as_ref() else {
            Line::styled(self.placeholder, self.theme.dim()).render(area, buf);
            return;
        };
        let doc = &shown.doc;
        let search = &self.detail.search;
        let current = search.current.and_then(|i| search.matches.get(i)).copied();
        for (y, row) in (area.y..area.bottom()).zip(self.detail.top..) {
            let Some(shows) = self.detail.row(row) else {
                break;
            };
            let row_area = Rect {
                y,
                height: 1,
                ..area
            };
            let line = match shows {
                RowLine::Line(line) => line,
                RowLine::Folded(run) => {
                    let depth = match doc.lines.get(run.start).map(|l| l.kind) {
                        Some(LineKind::Quote { depth }) => depth,
                        _ => 1,
                    };
                    let note = format!("> … {} quoted lines", run.len());
                    let styled =
                        Line::styled(note, self.theme.quote(depth).patch(self.theme.dim()));
                    Line::from(skip_columns(styled.spans, self.detail.left)).render(row_area, buf);
                    continue;
                }
            };
            // Matches are sorted by line.
            let first = search.matches.partition_point(|m| m.line < line);
            let end = search.matches.partition_point(|m| m.line <= line);
            let matches = search.matches.get(first..end).unwrap_or(&[]);
            let decor = doc
                .diff_line(line)
                .and_then(|d| shown.colors.get(&d))
                .map(|d| d.as_ref());
            let marks = Marks {
                decor,
                matches,
                current,
            };
            let styled = doc_line(doc, line, self.theme, marks, usize::from(area.width));
            Line::from(skip_columns(styled.spans, self.detail.left))
                .style(styled.style)
                .render(
                    Rect {
                        y,
                        height: 1,
                        ..area
                    },
                    buf,
                );
        }
    }
}

/// What is drawn over a document line besides its kind's style.
#[derive(Default, Clone, Copy)]
pub struct Marks<'a> {
    /// Syntax colours and changed words, when they have arrived.
    pub decor: Option<&'a LineDecor>,
    /// Search matches on this line.
    pub matches: &'a [SearchMatch],
    /// The match jumped to.
    pub current: Option<SearchMatch>,
}

/// Document line `line` styled by its kind, with `marks` drawn over it and every piece of mail
/// text sanitised; a `To:`/`Cc:` list is folded to `columns`. The one layout of a message: the
/// pane draws these lines, and `show` and the pager write them as ANSI text.
pub fn doc_line(
    doc: &DetailDoc,
    line: usize,
    theme: Theme,
    marks: Marks<'_>,
    columns: usize,
) -> Line<'static> {
    let Marks {
        decor,
        matches,
        current,
    } = marks;
    let t = theme;
    let text = doc.line_text(line);
    let kind = doc.lines.get(line).map_or(LineKind::Blank, |l| l.kind);
    // The In-Reply-To line is a link to the parent, as the lore link is to lore.
    let link = doc
        .parent
        .is_some_and(|(parent_line, _)| parent_line == line);
    let (base, value_style) = match kind {
        LineKind::Header { .. } if link || text.starts_with("Link: ") => (t.label(), t.link()),
        LineKind::Header { .. } | LineKind::Addresses { .. } => (t.label(), Style::new()),
        LineKind::Subject => (t.subject(), t.subject()),
        LineKind::Warning => (t.warning(), t.warning()),
        LineKind::Blank | LineKind::Text => (Style::new(), Style::new()),
        LineKind::Quote { depth } => (t.quote(depth), t.quote(depth)),
        LineKind::Trailer(kind) => (t.trailer(kind), t.trailer(kind)),
        LineKind::Changelog => (t.changelog(), t.changelog()),
        LineKind::Diff(kind) => (t.diff(kind), t.diff(kind)),
        LineKind::PatchStatus(status) => {
            let style = t.patch_status(status);
            (style, style)
        }
    };
    // Style runs over byte ranges of the raw text: label, value, then syntax colours and
    // search matches drawn over them.
    let label_end = kind.label_len().unwrap_or(0).min(text.len());
    let folded;
    let text = if let LineKind::Addresses { .. } = kind {
        folded = fold_addresses(text, label_end, columns);
        folded.as_str()
    } else {
        text
    };
    let colors: &[ColorRun] = decor.map_or(&[], |d| d.colors.as_slice());
    let changed = decor.map_or(&[][..], |d| d.changed.as_slice());
    let mut cuts: Vec<usize> = vec![0, label_end, text.len()];
    for run in colors {
        cuts.extend([run.start as usize, run.end as usize]);
    }
    for range in changed {
        cuts.extend([range.start as usize, range.end as usize]);
    }
    for m in matches {
        cuts.extend([m.start, m.end]);
    }
    cuts.retain(|&c| c <= text.len() && text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut column = 0usize;
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let Some(piece) = text.get(a..b) else {
            continue;
        };
        let mut style = if a < label_end { base } else { value_style };
        if let Some(run) = colors
            .iter()
            .find(|r| covers(r.start as usize..r.end as usize, a))
        {
            style = style.fg(run.fg);
        }
        if let LineKind::Diff(diff_kind) = kind {
            if changed
                .iter()
                .any(|r| covers(r.start as usize..r.end as usize, a))
            {
                style = style.patch(t.changed_words(diff_kind));
            }
        }
        if let Some(m) = matches.iter().find(|m| covers(m.start..m.end, a)) {
            style = style.patch(t.search_match(Some(*m) == current));
        }
        let mut out = String::new();
        push_sanitized(&mut out, piece, &mut column);
        spans.push(Span::styled(out, style));
    }
    let whole_line_match = matches.iter().any(|m| m.start == m.end);
    let line_style = match kind {
        LineKind::Diff(_) | LineKind::Subject | LineKind::Warning => base,
        _ if whole_line_match => t.search_match(false),
        _ => Style::new(),
    };
    Line::from(spans).style(line_style)
}

fn covers(range: Range<usize>, at: usize) -> bool {
    range.start <= at && at < range.end
}

/// `Cc: a, b, c, d` cut to the addresses that fit in `columns`, then `+N more`.
fn fold_addresses(text: &str, label_end: usize, columns: usize) -> String {
    if width(text) <= columns {
        return text.to_string();
    }
    let (label, value) = text.split_at(label_end.min(text.len()));
    let addresses = split_addresses(value);
    let mut out = label.to_string();
    for (i, address) in addresses.iter().enumerate() {
        let rest = addresses.len() - i - 1;
        let separator = if i == 0 { "" } else { ", " };
        let tail = if rest > 0 {
            format!(", +{rest} more")
        } else {
            String::new()
        };
        if i > 0 && width(&out) + width(separator) + width(address) + width(&tail) > columns {
            out.push_str(&format!(", +{} more", addresses.len() - i));
            return out;
        }
        out.push_str(separator);
        out.push_str(address);
    }
    out
}

/// Splits an address list at commas outside quotes and angle brackets.
fn split_addresses(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quoted, mut angle, mut start) = (false, false, 0);
    for (i, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                parts.push(value[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(value[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Drops the first `skip` columns of a line (horizontal scroll).
fn skip_columns(spans: Vec<Span<'static>>, skip: usize) -> Vec<Span<'static>> {
    if skip == 0 {
        return spans;
    }
    let mut left = skip;
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        if left == 0 {
            out.push(span);
            continue;
        }
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if left >= w && left > 0 {
                left -= w;
            } else {
                // A wide character cut in half leaves a blank.
                if left > 0 {
                    kept.push(' ');
                    left = 0;
                    continue;
                }
                kept.push(c);
            }
        }
        if !kept.is_empty() {
            out.push(Span::styled(kept, span.style));
        }
    }
    out
}
