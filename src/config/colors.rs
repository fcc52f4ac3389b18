//! The colour slots of the reader's theme and how a config names colours.
//!
//! The theme draws every coloured thing through one named slot (`author`, `diff_added_bg`, …),
//! so a user's `[colors]` table can change any of them without knowing how the panes are
//! built. A colour is written as a name (`light_red`, `dark-gray`, `Cyan`), `#rrggbb`, a
//! 256-colour index (an integer 0–255), or `default` for the terminal's own colour. The
//! defaults here are the ones `assets/config.toml` documents; a unit test keeps the two equal.

use std::fmt;

use ratatui::style::Color;

/// Colour names a config may use, in the form [`Color`]'s variants print as.
const NAMES: &[(&str, Color)] = &[
    ("default", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark_gray", Color::DarkGray),
    ("light_red", Color::LightRed),
    ("light_green", Color::LightGreen),
    ("light_yellow", Color::LightYellow),
    ("light_blue", Color::LightBlue),
    ("light_magenta", Color::LightMagenta),
    ("light_cyan", Color::LightCyan),
    ("white", Color::White),
];

/// The names [`parse_color`] accepts, for suggestions.
pub fn color_names() -> impl Iterator<Item = &'static str> {
    NAMES.iter().map(|(name, _)| *name)
}

/// Reads a colour name or `#rrggbb`; case, `-`, `_`, spaces and `grey` spelled either way.
pub fn parse_color(text: &str) -> Option<Color> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        return Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?));
    }
    let folded: String = text
        .to_ascii_lowercase()
        .replace("grey", "gray")
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .collect();
    NAMES
        .iter()
        .find(|(name, _)| name.replace('_', "") == folded)
        .map(|&(_, color)| color)
}

/// A colour as a config would write it.
pub struct ColorName(pub Color);

impl fmt::Display for ColorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Color::Rgb(r, g, b) => write!(f, "#{r:02x}{g:02x}{b:02x}"),
            Color::Indexed(i) => write!(f, "{i}"),
            color => {
                let name = NAMES
                    .iter()
                    .find(|(_, c)| *c == color)
                    .map_or("default", |(n, _)| n);
                f.write_str(name)
            }
        }
    }
}

/// Declares [`Palette`] with one documented field per slot, its config name and default.
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
    date = Color::DarkGray,
    /// Authors in the list.
    author = Color::Cyan,
    /// Subject tags (`v3 01/16`, `RFC`) and trailer counts.
    tags = Color::Yellow,
    /// Characters of a title the filter matched.
    matched = Color::LightYellow,
    /// `+N` totals.
    insertions = Color::Green,
    /// `-N` totals.
    deletions = Color::Red,
    /// Header labels in the detail (`From:`, `Date:`).
    label = Color::Blue,
    /// Warnings in the status line.
    warning = Color::LightRed,
    /// Text of error messages.
    error_fg = Color::White,
    /// Background of error messages.
    error_bg = Color::Red,
    /// Links (the lore link).
    link = Color::Blue,
    /// Key names in the help overlay and prompts.
    key = Color::Yellow,
    /// The changelog below `---`.
    changelog = Color::DarkGray,
    /// Quoted text, first level.
    quote1 = Color::Cyan,
    /// Quoted text, second level.
    quote2 = Color::Yellow,
    /// Quoted text, third level (then the levels repeat).
    quote3 = Color::Magenta,
    /// `Signed-off-by:` trailers.
    trailer_signed_off = Color::Green,
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
    trailer_link = Color::Blue,
    /// `Cc:` trailers.
    trailer_cc = Color::DarkGray,
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
    diff_removed = Color::LightRed,
    /// Background of removed lines.
    diff_removed_bg = Color::Rgb(0x3f, 0x00, 0x01),
    /// Background of the words that changed within a removed line.
    diff_removed_word_bg = Color::Rgb(0x90, 0x10, 0x11),
    /// `\ No newline at end of file` and binary notes.
    diff_meta = Color::DarkGray,
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
    fn names_hex_and_spellings() {
        assert_eq!(parse_color("light_red"), Some(Color::LightRed));
        assert_eq!(parse_color("Light-Red"), Some(Color::LightRed));
        assert_eq!(parse_color("dark grey"), Some(Color::DarkGray));
        assert_eq!(parse_color("DarkGray"), Some(Color::DarkGray));
        assert_eq!(parse_color("default"), Some(Color::Reset));
        assert_eq!(parse_color("#3f0001"), Some(Color::Rgb(0x3f, 0, 1)));
        assert_eq!(parse_color("#ABCDEF"), Some(Color::Rgb(0xab, 0xcd, 0xef)));
        for bad in [
            "#12345", "#1234567", "#gg0000", "#ééé", "purple", "", "lightish",
        ] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn colours_print_as_they_are_written() {
        for text in ["light_magenta", "#003000", "default", "200"] {
            let color = match text.parse::<u8>() {
                Ok(i) => Color::Indexed(i),
                Err(_) => parse_color(text).unwrap(),
            };
            assert_eq!(ColorName(color).to_string(), text);
        }
    }

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
