//! Where each pane goes for a terminal size: a pure function of the size, the focus and the
//! zoom, shared by drawing and by mouse hit-testing and paging in `update`, so a click lands on
//! what was drawn.
//!
//! Wide terminals (160 columns and more) put the list on the left with the diffstat under it and
//! the detail on the right; narrower ones stack the list over the detail, with the diffstat
//! beside the detail from 100 columns, under it below that. One row of title at the top, one of
//! filter and status at the bottom.

use std::cell::Cell;

use ratatui::layout::{Constraint, Layout, Rect};

/// The three panes that can hold the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Pane {
    #[default]
    List,
    Detail,
    Diffstat,
}

impl Pane {
    pub fn name(self) -> &'static str {
        match self {
            Pane::List => "list",
            Pane::Detail => "detail",
            Pane::Diffstat => "diffstat",
        }
    }
}

/// Where everything is. A pane that is not shown has an empty rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub title: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub diffstat: Rect,
    pub status: Rect,
    /// List left, detail right.
    pub wide: bool,
}

/// Columns from which the list and the detail sit side by side.
pub const WIDE_COLUMNS: u16 = 160;
/// The detail's least width in the wide layout.
const DETAIL_COLUMNS: u16 = 84;
/// Columns from which the diffstat sits beside the detail rather than under it.
const DIFFSTAT_BESIDE: u16 = 100;

impl Areas {
    pub fn pane(&self, pane: Pane) -> Rect {
        match pane {
            Pane::List => self.list,
            Pane::Detail => self.detail,
            Pane::Diffstat => self.diffstat,
        }
    }

    /// The part of a pane inside its borders: the detail and the diffstat have a title row on
    /// top, and a separator column on their left when something is beside them.
    pub fn inner(&self, pane: Pane) -> Rect {
        let outer = self.pane(pane);
        match pane {
            Pane::List => outer,
            Pane::Detail | Pane::Diffstat => {
                let left = u16::from(outer.x > self.title.x);
                Rect {
                    x: outer.x.saturating_add(left),
                    y: outer.y.saturating_add(1).min(outer.bottom()),
                    width: outer.width.saturating_sub(left),
                    height: outer.height.saturating_sub(1),
                }
            }
        }
    }

    /// The pane at a screen cell.
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let position = ratatui::layout::Position { x: column, y: row };
        [Pane::List, Pane::Detail, Pane::Diffstat]
            .into_iter()
            .find(|&p| self.pane(p).contains(position))
    }
}

/// Lays out a terminal of `area`. `diffstat_rows` is how many rows the diffstat would like
/// (its files plus a totals line); `zoom` gives the whole middle to that one pane.
///
/// Solving the layout's constraints takes a good part of a millisecond, and `update` and the
/// drawing ask for the same layout several times a keystroke, so the last one is kept (for
/// each thread, as ratatui's own layout cache does).
pub fn areas(area: Rect, zoom: Option<Pane>, diffstat_rows: u16) -> Areas {
    type Asked = (Rect, Option<Pane>, u16);
    thread_local! {
        static LAST: Cell<Option<(Asked, Areas)>> = const { Cell::new(None) };
    }
    let asked = (area, zoom, diffstat_rows);
    if let Some((last, areas)) = LAST.get()
        && last == asked
    {
        return areas;
    }
    let areas = solve(area, zoom, diffstat_rows);
    LAST.set(Some((asked, areas)));
    areas
}

/// [`areas`], worked out.
fn solve(area: Rect, zoom: Option<Pane>, diffstat_rows: u16) -> Areas {
    let [title, middle, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut out = Areas {
        title,
        status,
        wide: area.width >= WIDE_COLUMNS,
        ..Areas::default()
    };
    if let Some(pane) = zoom {
        match pane {
            Pane::List => out.list = middle,
            Pane::Detail => out.detail = middle,
            Pane::Diffstat => out.diffstat = middle,
        }
        return out;
    }
    // The diffstat's own title border adds a row.
    let wanted_stat = diffstat_rows.saturating_add(1);
    if out.wide {
        // The detail gets room for 80-column code plus the diff prefix and its border; the
        // list, which is read by scanning titles, gets the rest.
        let detail_width = (area.width / 2).max(DETAIL_COLUMNS);
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(detail_width)])
                .areas(middle);
        let stat_rows = wanted_stat.min(left.height / 3);
        let [list, diffstat] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(stat_rows)]).areas(left);
        out.list = list;
        out.diffstat = diffstat;
        out.detail = right;
        return out;
    }
    let list_rows = (middle.height * 2 / 5).max(middle.height.min(4));
    let [list, lower] =
        Layout::vertical([Constraint::Length(list_rows), Constraint::Fill(1)]).areas(middle);
    out.list = list;
    if area.width >= DIFFSTAT_BESIDE {
        let [detail, diffstat] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(36)]).areas(lower);
        out.detail = detail;
        out.diffstat = diffstat;
    } else {
        let stat_rows = wanted_stat.min(lower.height / 3);
        let [detail, diffstat] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(stat_rows)]).areas(lower);
        out.detail = detail;
        out.diffstat = diffstat;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_stack_list_over_detail() {
        let a = areas(Rect::new(0, 0, 80, 24), None, 3);
        assert_eq!(a.title, Rect::new(0, 0, 80, 1));
        assert_eq!(a.status, Rect::new(0, 23, 80, 1));
        assert_eq!(a.list, Rect::new(0, 1, 80, 8));
        assert_eq!(a.detail.y, 9);
        assert_eq!(a.diffstat.width, 80, "under the detail below 100 columns");
        assert_eq!(a.diffstat.height, 4);
        assert_eq!(a.detail.height + a.diffstat.height, 14);
    }

    #[test]
    fn medium_terminals_put_the_diffstat_beside_the_detail() {
        let a = areas(Rect::new(0, 0, 120, 40), None, 3);
        assert_eq!(a.list.width, 120);
        assert_eq!(a.diffstat.width, 36);
        assert_eq!(a.detail.width, 84);
        assert_eq!(a.detail.y, a.diffstat.y);
        assert_eq!(
            a.inner(Pane::Diffstat),
            Rect::new(85, a.diffstat.y + 1, 35, a.diffstat.height - 1)
        );
        assert_eq!(
            a.inner(Pane::Detail),
            Rect::new(0, a.detail.y + 1, 84, a.detail.height - 1)
        );
    }

    #[test]
    fn wide_terminals_put_the_detail_on_the_right() {
        let a = areas(Rect::new(0, 0, 160, 45), None, 5);
        assert!(a.wide);
        assert_eq!(a.list.x, 0);
        assert_eq!(a.detail.x, a.list.width);
        assert_eq!(a.detail.height, 43);
        assert_eq!(a.diffstat.x, 0);
        assert_eq!(a.pane_at(150, 10), Some(Pane::Detail));
        assert_eq!(a.pane_at(5, 2), Some(Pane::List));
        assert_eq!(a.pane_at(5, 0), None);
    }

    #[test]
    fn zoom_gives_the_middle_to_one_pane() {
        let a = areas(Rect::new(0, 0, 80, 24), Some(Pane::Detail), 3);
        assert_eq!(a.detail, Rect::new(0, 1, 80, 22));
        assert!(a.list.is_empty() && a.diffstat.is_empty());
    }

    #[test]
    fn a_kept_layout_is_the_one_asked_for() {
        let asked = [
            (Rect::new(0, 0, 120, 40), None, 3),
            (Rect::new(0, 0, 120, 40), None, 9),
            (Rect::new(0, 0, 120, 40), Some(Pane::List), 9),
            (Rect::new(0, 0, 200, 50), None, 9),
            (Rect::new(0, 0, 120, 40), None, 3),
        ];
        for (area, zoom, rows) in asked.into_iter().chain(asked) {
            assert_eq!(areas(area, zoom, rows), solve(area, zoom, rows));
            assert_eq!(areas(area, zoom, rows), solve(area, zoom, rows), "kept");
        }
    }

    #[test]
    fn tiny_terminals_lay_out_without_panicking() {
        for width in 0..50 {
            for height in 0..12 {
                for zoom in [None, Some(Pane::List)] {
                    let a = areas(Rect::new(0, 0, width, height), zoom, 40);
                    assert!(a.list.bottom() <= height.max(1));
                }
            }
        }
    }
}
