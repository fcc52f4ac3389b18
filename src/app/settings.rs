//! What the reader is started with: key map, colour, the theme's palette, the list's columns
//! and sort. These are the reader's own types; the config file ([`crate::config`]) sits on top
//! and fills them, so nothing here knows a config file exists.

use ratatui::style::Color;

use super::keymap::KeyMap;
use crate::index::order::SortKey;

/// Everything the reader's state is configured by, given to [`super::App::new`] whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The key bindings: the built-in ones with a user's over them.
    pub keymap: KeyMap,
    /// Draw with colours (off under `NO_COLOR`), which also skips syntax highlighting.
    pub color: bool,
    /// The colours of the theme.
    pub palette: Palette,
    /// The list pane's columns, in order; always holds [`Column::Title`].
    pub columns: Vec<Column>,
    /// The list's sort order at start.
    pub sort: SortKey,
}

impl Default for Settings {
    /// The built-in bindings, colour on, the default palette, every column, date order.
    fn default() -> Settings {
        Settings {
            keymap: KeyMap::builtin(),
            color: true,
            palette: Palette::default(),
            columns: Column::ALL.to_vec(),
            sort: SortKey::Date,
        }
    }
}

/// A column of the list pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// The date, `2020-10-21`.
    Date,
    /// The author's name.
    Author,
    /// Subject tags: `RFC v3 01/16`.
    Tags,
    /// The title (always shown; it takes the room the others leave).
    Title,
    /// `+20 -27` line totals.
    Stats,
    /// Review trailer counts: `R2 A1 T1`.
    Trailers,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::Date,
        Column::Author,
        Column::Tags,
        Column::Title,
        Column::Stats,
        Column::Trailers,
    ];

    /// The name `[list] columns` uses.
    pub fn name(self) -> &'static str {
        match self {
            Column::Date => "date",
            Column::Author => "author",
            Column::Tags => "tags",
            Column::Title => "title",
            Column::Stats => "stats",
            Column::Trailers => "trailers",
        }
    }

    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Declares [`Palette`] with one documented field per slot, its config name and default. The
/// theme draws every coloured thing through one named slot (`author`, `diff_added_bg`, …), so a
/// user's `[colors]` table can change any of them without knowing how the panes are built.
macro_rules! palette {
    ($( $(#[doc = $doc:literal])+ $field:ident = $default:expr, )+) => {
        /// Every colour the theme uses, by slot.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Palette {
            $( $(#[doc = $doc])+ pub $field: Color, )+
        }

        impl Default for Palette {
            fn default() -> Palette {
                Palette { $( $field: $default, )+ }
            }
        }

        impl Palette {
            /// Every slot's config name, in the order `assets/config.toml` lists them.
            pub const SLOTS: &[&str] = &[$(stringify!($field)),+];

            /// The slot called `name` in `[colors]`.
            pub fn slot_mut(&mut self, name: &str) -> Option<&mut Color> {
                match name {
                    $( stringify!($field) => Some(&mut self.$field), )+
                    _ => None,
                }
            }

            /// The colour of the slot called `name`.
            pub fn slot(&self, name: &str) -> Option<Color> {
                match name {
                    $( stringify!($field) => Some(self.$field), )+
                    _ => None,
                }
            }
        }
    };
}

/// The gray of text that recedes (dates, changelogs, `Cc:`): 256-colour 245, #8a8a8a, 6:1 on
/// black. Not `DarkGray`, which many dark schemes draw as, or next to, their background.
const GRAY: Color = Color::Indexed(245);

palette! {
    /// Text of the title bar.
    title_fg = Color::Black,
    /// Background of the title bar.
    title_bg = Color::Cyan,
    /// Border and title of the focused pane.
    accent = Color::Cyan,
    /// Background of the row under the cursor.
    selected_bg = Color::Rgb(0x30, 0x34, 0x46),
    /// Marker and text of marked rows.
    marked = Color::LightMagenta,
    /// Dates in the list.
    date = GRAY,
    /// Authors in the list.
    author = Color::Cyan,
    /// Subject tags (`v3 01/16`, `RFC`) and trailer counts.
    tags = Color::Yellow,
    /// Characters of a title the filter matched.
    matched = Color::LightYellow,
    /// `+N` totals.
    insertions = Color::Green,
    /// `-N` totals.
    deletions = Color::LightRed,
    /// Header labels in the detail (`From:`, `Date:`).
    label = Color::LightBlue,
    /// Warnings in the status line.
    warning = Color::LightRed,
    /// Text of error messages.
    error_fg = Color::White,
    /// Background of error messages.
    error_bg = Color::Red,
    /// Links (the lore link).
    link = Color::LightBlue,
    /// Key names in the help overlay and prompts.
    key = Color::Yellow,
    /// The changelog below `---`.
    changelog = GRAY,
    /// Quoted text, first level.
    quote1 = Color::Cyan,
    /// Quoted text, second level.
    quote2 = Color::Yellow,
    /// Quoted text, third level (then the levels repeat).
    quote3 = Color::Magenta,
    /// `Signed-off-by:` trailers.
    trailer_signed_off = Color::LightGreen,
    /// `Reviewed-by:` trailers.
    trailer_reviewed = Color::LightGreen,
    /// `Acked-by:` trailers.
    trailer_acked = Color::LightCyan,
    /// `Tested-by:` trailers.
    trailer_tested = Color::LightMagenta,
    /// `Reported-by:`, `Suggested-by:`, `Co-developed-by:` trailers.
    trailer_credit = Color::Yellow,
    /// `Fixes:` trailers.
    trailer_fixes = Color::LightRed,
    /// `Link:` and `Closes:` trailers.
    trailer_link = Color::LightBlue,
    /// `Cc:` trailers.
    trailer_cc = GRAY,
    /// Any other trailer.
    trailer_other = Color::Magenta,
    /// `diff --git` file headers.
    diff_file = Color::Yellow,
    /// `@@ … @@` hunk headers.
    diff_hunk = Color::Cyan,
    /// Text of added lines (syntax colours draw over it).
    diff_added = Color::LightGreen,
    /// Background of added lines.
    diff_added_bg = Color::Rgb(0x00, 0x30, 0x00),
    /// Background of the words that changed within an added line.
    diff_added_word_bg = Color::Rgb(0x00, 0x60, 0x00),
    /// Text of removed lines.
    diff_removed = Color::Indexed(203),
    /// Background of removed lines.
    diff_removed_bg = Color::Rgb(0x3f, 0x00, 0x01),
    /// Background of the words that changed within a removed line.
    diff_removed_word_bg = Color::Rgb(0x90, 0x10, 0x11),
    /// `\ No newline at end of file` and binary notes.
    diff_meta = GRAY,
    /// Text of search matches in the detail.
    search_fg = Color::Black,
    /// Background of search matches.
    search_bg = Color::Yellow,
    /// Background of the current search match.
    search_current_bg = Color::LightMagenta,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_addressable_by_name() {
        let mut palette = Palette::default();
        assert_eq!(palette.slot("author"), Some(Color::Cyan));
        *palette.slot_mut("author").unwrap() = Color::White;
        assert_eq!(palette.author, Color::White);
        assert!(palette.slot_mut("autor").is_none());
        assert_eq!(Palette::SLOTS.len(), 42);
        assert!(Palette::SLOTS.iter().all(|s| palette.slot(s).is_some()));
    }
}
