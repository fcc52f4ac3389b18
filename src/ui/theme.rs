//! The reader's styles in one place. With colour off (`NO_COLOR`) every style falls back to
//! modifiers only (bold, dim, reversed, underlined), so nothing is conveyed by colour alone.

use ratatui::style::{Color, Modifier, Style};

use crate::model::diff::DiffLineKind;
use crate::model::trailer::TrailerKind;

/// Background tints of added and removed lines, and the stronger tints of the words that
/// changed within them (delta's defaults, which read on dark and mid-grey terminals).
const ADDED_BG: Color = Color::Rgb(0x00, 0x30, 0x00);
const REMOVED_BG: Color = Color::Rgb(0x3f, 0x00, 0x01);
const ADDED_WORD_BG: Color = Color::Rgb(0x00, 0x60, 0x00);
const REMOVED_WORD_BG: Color = Color::Rgb(0x90, 0x10, 0x11);
const SELECTED_BG: Color = Color::Rgb(0x30, 0x34, 0x46);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme { color }
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn title_bar(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn pane_title(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            (true, false) => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            (false, _) => Style::new().add_modifier(Modifier::DIM),
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan),
            _ => Style::new().add_modifier(Modifier::DIM),
        }
    }

    /// The row under the cursor; focused panes show it more strongly.
    pub fn selected(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().bg(SELECTED_BG).add_modifier(Modifier::BOLD),
            (false, true) => Style::new().bg(SELECTED_BG),
            (true, false) => Style::new().add_modifier(Modifier::REVERSED),
            (false, false) => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn date(&self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    pub fn author(&self) -> Style {
        self.pick(Style::new().fg(Color::Cyan), Style::new())
    }

    pub fn tags(&self) -> Style {
        self.pick(Style::new().fg(Color::Yellow), Style::new())
    }

    /// Characters of a title that the filter matched.
    pub fn matched(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn cover_title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn insertions(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    pub fn deletions(&self) -> Style {
        self.pick(Style::new().fg(Color::Red), Style::new())
    }

    pub fn label(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn subject(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.pick(
            Style::new().fg(Color::LightRed),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn error(&self) -> Style {
        self.pick(
            Style::new().fg(Color::White).bg(Color::Red),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn link(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Blue)
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
            TrailerKind::SignedOff => Style::new().fg(Color::Green).add_modifier(Modifier::DIM),
            TrailerKind::Reviewed => Style::new()
                .fg(Color::LightGreen)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Acked => Style::new()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Tested => Style::new()
                .fg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Reported | TrailerKind::Suggested | TrailerKind::CoDeveloped => {
                Style::new().fg(Color::Yellow)
            }
            TrailerKind::Fixes => Style::new().fg(Color::LightRed),
            TrailerKind::Link => Style::new().fg(Color::Blue),
            TrailerKind::Cc => Style::new().fg(Color::DarkGray),
            TrailerKind::Other => Style::new().fg(Color::Magenta),
        }
    }

    pub fn changelog(&self) -> Style {
        self.pick(
            Style::new().fg(Color::DarkGray),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    /// Quoted reply text, cycling colours by depth as mutt does.
    pub fn quote(&self, depth: u8) -> Style {
        if !self.color {
            return Style::new().add_modifier(Modifier::DIM);
        }
        match depth % 3 {
            1 => Style::new().fg(Color::Cyan),
            2 => Style::new().fg(Color::Yellow),
            _ => Style::new().fg(Color::Magenta),
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
            DiffLineKind::FileHeader => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            DiffLineKind::HunkHeader => Style::new().fg(Color::Cyan),
            DiffLineKind::Added => Style::new().fg(Color::LightGreen).bg(ADDED_BG),
            DiffLineKind::Removed => Style::new().fg(Color::LightRed).bg(REMOVED_BG),
            DiffLineKind::Context | DiffLineKind::Other => Style::new(),
            DiffLineKind::NoNewline | DiffLineKind::Binary => Style::new().fg(Color::DarkGray),
        }
    }

    /// The words that changed within an added or removed line.
    pub fn changed_words(&self, kind: DiffLineKind) -> Style {
        match (kind, self.color) {
            (DiffLineKind::Added, true) => Style::new().bg(ADDED_WORD_BG),
            (DiffLineKind::Removed, true) => Style::new().bg(REMOVED_WORD_BG),
            _ => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn search_match(&self, current: bool) -> Style {
        match (current, self.color) {
            (true, true) => Style::new().fg(Color::Black).bg(Color::LightMagenta),
            (false, true) => Style::new().fg(Color::Black).bg(Color::Yellow),
            (_, false) => Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    pub fn key(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }
}
