//! How a config names colours: a name (`light_red`, `dark-gray`, `Cyan`), `#rrggbb`, a
//! 256-colour index (an integer 0–255), or `default` for the terminal's own colour. The slots
//! they fill are the reader's [`Palette`], whose defaults `assets/config.toml` documents; a
//! unit test keeps the two equal.

use std::fmt;
use std::str::FromStr;

use ratatui::style::Color;

pub use crate::app::settings::Palette;

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

/// Reads a colour name, `#rrggbb` or an index 0-255, as ratatui's [`Color::from_str`] does
/// (case, `-`, `_`, spaces and `grey` spelled either way), plus `default` for the terminal's
/// own colour.
pub fn parse_color(text: &str) -> Option<Color> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("default") {
        return Some(Color::Reset);
    }
    Color::from_str(text).ok()
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
}
