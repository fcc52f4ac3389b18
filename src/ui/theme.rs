//! The reader's styles in one place. With colour off (`NO_COLOR`) every style falls back to
//! modifiers only (bold, dim, reversed, underlined), so nothing is conveyed by colour alone.

use ratatui::style::{Modifier, Style};

use crate::app::settings::Palette;
use crate::model::diff::DiffLineKind;
use crate::model::interdiff::Status;
use crate::model::trailer::TrailerKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// The colour of each slot; the defaults are `assets/config.toml`'s `[colors]`, a user's
    /// config changes them.
    pub palette: Palette,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme::with_palette(color, Palette::default())
    }

    pub fn with_palette(color: bool, palette: Palette) -> Theme {
        Theme { color, palette }
    }

    /// The marker of marked rows in the list.
    pub fn marked(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.marked)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn title_bar(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.title_fg)
                .bg(self.palette.title_bg),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn pane_title(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new()
                .fg(self.palette.accent)
                .add_modifier(Modifier::BOLD),
            (true, false) => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            (false, _) => Style::new().add_modifier(Modifier::DIM),
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(self.palette.accent),
            _ => Style::new().add_modifier(Modifier::DIM),
        }
    }

    /// The row under the cursor; focused panes show it more strongly.
    pub fn selected(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new()
                .bg(self.palette.selected_bg)
                .add_modifier(Modifier::BOLD),
            (false, true) => Style::new().bg(self.palette.selected_bg),
            (true, false) => Style::new().add_modifier(Modifier::REVERSED),
            (false, false) => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn date(&self) -> Style {
        self.pick(Style::new().fg(self.palette.date), Style::new())
    }

    pub fn author(&self) -> Style {
        self.pick(Style::new().fg(self.palette.author), Style::new())
    }

    pub fn tags(&self) -> Style {
        self.pick(Style::new().fg(self.palette.tags), Style::new())
    }

    /// Characters of a title that the filter matched.
    pub fn matched(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.matched)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn cover_title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn insertions(&self) -> Style {
        self.pick(Style::new().fg(self.palette.insertions), Style::new())
    }

    pub fn deletions(&self) -> Style {
        self.pick(Style::new().fg(self.palette.deletions), Style::new())
    }

    pub fn label(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.label)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn subject(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.pick(
            Style::new().fg(self.palette.warning),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn error(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.error_fg)
                .bg(self.palette.error_bg),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn link(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.link)
                .add_modifier(Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::UNDERLINED),
        )
    }

    /// Trailers by kind: review and test credit stand out, sign-offs and Cc recede.
    pub fn trailer(&self, kind: TrailerKind) -> Style {
        if !self.color {
            return match kind {
                TrailerKind::Reviewed | TrailerKind::Acked | TrailerKind::Tested => {
                    Style::new().add_modifier(Modifier::BOLD)
                }
                TrailerKind::Cc | TrailerKind::SignedOff => {
                    Style::new().add_modifier(Modifier::DIM)
                }
                _ => Style::new(),
            };
        }
        match kind {
            TrailerKind::SignedOff => Style::new()
                .fg(self.palette.trailer_signed_off)
                .add_modifier(Modifier::DIM),
            TrailerKind::Reviewed => Style::new()
                .fg(self.palette.trailer_reviewed)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Acked => Style::new()
                .fg(self.palette.trailer_acked)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Tested => Style::new()
                .fg(self.palette.trailer_tested)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Reported | TrailerKind::Suggested | TrailerKind::CoDeveloped => {
                Style::new().fg(self.palette.trailer_credit)
            }
            TrailerKind::Fixes => Style::new().fg(self.palette.trailer_fixes),
            TrailerKind::Link => Style::new().fg(self.palette.trailer_link),
            TrailerKind::Cc => Style::new().fg(self.palette.trailer_cc),
            TrailerKind::Other => Style::new().fg(self.palette.trailer_other),
        }
    }

    pub fn changelog(&self) -> Style {
        self.pick(
            Style::new().fg(self.palette.changelog),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    /// Quoted reply text, cycling colours by depth as mutt does.
    pub fn quote(&self, depth: u8) -> Style {
        if !self.color {
            return Style::new().add_modifier(Modifier::DIM);
        }
        match depth % 3 {
            1 => Style::new().fg(self.palette.quote1),
            2 => Style::new().fg(self.palette.quote2),
            _ => Style::new().fg(self.palette.quote3),
        }
    }

    /// A diff line's base style: tinted background for added and removed lines, which syntax
    /// colours then draw over.
    pub fn diff(&self, kind: DiffLineKind) -> Style {
        if !self.color {
            return match kind {
                DiffLineKind::FileHeader | DiffLineKind::HunkHeader => {
                    Style::new().add_modifier(Modifier::BOLD)
                }
                DiffLineKind::Removed => Style::new().add_modifier(Modifier::DIM),
                DiffLineKind::NoNewline | DiffLineKind::Binary => {
                    Style::new().add_modifier(Modifier::DIM)
                }
                _ => Style::new(),
            };
        }
        match kind {
            DiffLineKind::FileHeader => Style::new()
                .fg(self.palette.diff_file)
                .add_modifier(Modifier::BOLD),
            DiffLineKind::HunkHeader => Style::new().fg(self.palette.diff_hunk),
            DiffLineKind::Added => Style::new()
                .fg(self.palette.diff_added)
                .bg(self.palette.diff_added_bg),
            DiffLineKind::Removed => Style::new()
                .fg(self.palette.diff_removed)
                .bg(self.palette.diff_removed_bg),
            DiffLineKind::Context | DiffLineKind::Other => Style::new(),
            DiffLineKind::NoNewline | DiffLineKind::Binary => {
                Style::new().fg(self.palette.diff_meta)
            }
        }
    }

    /// An interdiff's patch line, by what became of the patch: unchanged dimmed, changed in
    /// the warning colour, added and removed as insertions and deletions.
    pub fn patch_status(&self, status: Status) -> Style {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        match status {
            Status::Unchanged => self.dim(),
            Status::Changed => bold.patch(self.warning()),
            Status::Added => bold.patch(self.insertions()),
            Status::Removed => bold.patch(self.deletions()),
        }
    }

    /// The words that changed within an added or removed line.
    pub fn changed_words(&self, kind: DiffLineKind) -> Style {
        match (kind, self.color) {
            (DiffLineKind::Added, true) => Style::new().bg(self.palette.diff_added_word_bg),
            (DiffLineKind::Removed, true) => Style::new().bg(self.palette.diff_removed_word_bg),
            _ => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn search_match(&self, current: bool) -> Style {
        match (current, self.color) {
            (true, true) => Style::new()
                .fg(self.palette.search_fg)
                .bg(self.palette.search_current_bg),
            (false, true) => Style::new()
                .fg(self.palette.search_fg)
                .bg(self.palette.search_bg),
            (_, false) => Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    pub fn key(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.key)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }
}
