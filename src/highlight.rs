//! How diff lines are decorated: syntax colours by each file's language, and the words that
//! changed between a removed line and the added line that replaced it.
//!
//! syntect's syntax set and theme are loaded once, lazily, on the first thread that needs them
//! (never the UI thread: decoration runs as an effect on a worker). A [`DiffHighlighter`]
//! belongs to one message and decorates only the lines asked for, so opening a 10,000-line
//! patch costs the visible window, not the whole diff. Results are colour runs and byte ranges
//! over a line's text, turned into spans only when drawn.
//!
//! patchdeck draws no theme background, so a theme's token colours that rely on it (a colour
//! next to or equal to that background) are lifted toward the theme's foreground once, when the
//! theme loads, until they have [`MIN_TEXT_CONTRAST`] on the terminal.

mod diff;

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use ratatui::style::Color;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};

pub use self::diff::{DiffHighlighter, HighlightCache};
use crate::contrast::{DARK_BACKGROUND, LIGHT_BACKGROUND, MIN_TEXT_CONTRAST, Rgb};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The theme whose foreground colours are used when the config names none; backgrounds come
/// from the diff tints.
pub const DEFAULT_SYNTAX_THEME: &str = "base16-eighties.dark";

/// The theme the config chose, set once before the first highlight.
static CHOSEN_THEME: OnceLock<String> = OnceLock::new();

static THEME: LazyLock<Theme> = LazyLock::new(|| {
    load_theme(
        CHOSEN_THEME
            .get()
            .map_or(DEFAULT_SYNTAX_THEME, String::as_str),
    )
});

/// syntect's bundled theme `name` (the default one when there is none of that name), its
/// token colours made readable where they are drawn.
pub(crate) fn load_theme(name: &str) -> Theme {
    let mut themes = ThemeSet::load_defaults().themes;
    let mut theme = themes
        .remove(name)
        .or_else(|| themes.remove(DEFAULT_SYNTAX_THEME))
        .or_else(|| themes.into_values().next())
        .unwrap_or_default();
    lift_token_colors(&mut theme);
    theme
}

/// The backgrounds `theme`'s token colours must be readable on: the terminal's, dark unless
/// the theme is made for a light one (its own background is nearer white than black), and the
/// theme's own background, which a user who chose the theme may well have given the terminal
/// (base16 schemes come for both). The diff's tints are the palette's, darker than either.
pub(crate) fn token_backgrounds(theme: &Theme) -> Vec<Rgb> {
    let own = theme.settings.background.map(rgb);
    let light = own.is_some_and(|bg| bg.contrast(LIGHT_BACKGROUND) < bg.contrast(DARK_BACKGROUND));
    let terminal = if light {
        LIGHT_BACKGROUND
    } else {
        DARK_BACKGROUND
    };
    std::iter::once(terminal).chain(own).collect()
}

/// Moves every token colour of `theme` that is not readable on [`token_backgrounds`] toward the
/// theme's foreground, just far enough: patchdeck draws no theme background, so a colour meant
/// to sit next to it (base16-eighties' `}` is its background, 45,45,45) would vanish.
fn lift_token_colors(theme: &mut Theme) {
    let backgrounds = token_backgrounds(theme);
    let extreme = if backgrounds.first() == Some(&LIGHT_BACKGROUND) {
        DARK_BACKGROUND
    } else {
        LIGHT_BACKGROUND
    };
    let lift = |color: &mut syntect::highlighting::Color, toward: Rgb| {
        let Rgb(r, g, b) = rgb(*color).lifted(toward, &backgrounds, MIN_TEXT_CONTRAST);
        (color.r, color.g, color.b) = (r, g, b);
    };
    if let Some(fg) = theme.settings.foreground.as_mut() {
        lift(fg, extreme);
    }
    let toward = theme.settings.foreground.map_or(extreme, rgb);
    let token_colors = theme
        .scopes
        .iter_mut()
        .filter_map(|item| item.style.foreground.as_mut());
    for color in token_colors {
        lift(color, toward);
    }
}

fn rgb(color: syntect::highlighting::Color) -> Rgb {
    Rgb(color.r, color.g, color.b)
}

/// Highlights with syntect's theme `name` (the config's `[theme] syntax`). Takes effect only
/// before the first highlight, which is when the reader starts.
pub fn use_theme(name: &str) {
    let _ = CHOSEN_THEME.set(name.to_string());
}

/// A run of one colour over bytes `start..end` of a diff line's text, the `+`/`-`/` ` prefix
/// included (the prefix itself is never coloured).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorRun {
    pub start: u32,
    pub end: u32,
    pub fg: Color,
}

/// How one diff line is decorated. Byte ranges count the line's `+`/`-` prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDecor {
    /// Syntax colours; empty when the language is unknown or colour is off.
    pub colors: Vec<ColorRun>,
    /// The words that changed against the paired line, sorted and disjoint.
    pub changed: Vec<Range<u32>>,
}

/// The syntax for a path by its file name or extension (`Makefile`, `foo.c`), if syntect has one.
pub fn syntax_for_path(path: &str) -> Option<&'static SyntaxReference> {
    let name = path.rsplit('/').next().unwrap_or(path);
    SYNTAXES.find_syntax_by_extension(name).or_else(|| {
        let (_, extension) = name.rsplit_once('.')?;
        SYNTAXES.find_syntax_by_extension(extension)
    })
}

/// A parser positioned in a file's code, highlighting line after line.
fn parser(syntax: &'static SyntaxReference) -> HighlightLines<'static> {
    HighlightLines::new(syntax, &THEME)
}

/// Highlights one line (with its `\n`) and turns syntect's styles into colour runs shifted by
/// `offset`, the length of the diff prefix.
fn colorize(lines: &mut HighlightLines<'static>, text: &str, offset: usize) -> Vec<ColorRun> {
    let Ok(pieces) = lines.highlight_line(text, &SYNTAXES) else {
        return Vec::new();
    };
    let content_len = text.len().saturating_sub(1);
    let mut runs: Vec<ColorRun> = Vec::new();
    let mut at = 0usize;
    for (style, piece) in pieces {
        let start = at;
        at += piece.len();
        let end = at.min(content_len);
        if start >= end {
            continue;
        }
        let fg = Color::Rgb(style.foreground.r, style.foreground.g, style.foreground.b);
        let (start, end) = (to_u32(start + offset), to_u32(end + offset));
        match runs.last_mut() {
            Some(last) if last.fg == fg && last.end == start => last.end = end,
            _ => runs.push(ColorRun { start, end, fg }),
        }
    }
    runs
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The byte ranges of the lines of `text`, without their `\n` (or `\r\n`).
pub fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let trimmed = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        ranges.push(start..trimmed);
        start = end + 1;
    }
    if start < text.len() {
        ranges.push(start..text.len());
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_come_from_names_and_extensions() {
        assert_eq!(
            syntax_for_path("drivers/clk/clk.c").map(|s| s.name.as_str()),
            Some("C")
        );
        assert_eq!(
            syntax_for_path("a/Makefile").map(|s| s.name.as_str()),
            Some("Makefile")
        );
        assert_eq!(
            syntax_for_path("rust/kernel/lib.rs").map(|s| s.name.as_str()),
            Some("Rust")
        );
        assert!(syntax_for_path("Documentation/devicetree/bindings/clock/x.unknownext").is_none());
    }

    /// Every colour a theme can give a token: its foreground and its scopes' colours.
    fn token_colors(theme: &Theme) -> Vec<Rgb> {
        let scopes = theme.scopes.iter().filter_map(|item| item.style.foreground);
        theme
            .settings
            .foreground
            .into_iter()
            .chain(scopes)
            .map(rgb)
            .collect()
    }

    #[test]
    fn every_bundled_theme_is_lifted_to_be_readable() {
        for (name, raw) in ThemeSet::load_defaults().themes {
            let theme = load_theme(&name);
            let backgrounds = token_backgrounds(&theme);
            let light = name.contains("light") || name == "InspiredGitHub";
            let terminal = if light {
                LIGHT_BACKGROUND
            } else {
                DARK_BACKGROUND
            };
            assert!(
                backgrounds.contains(&terminal),
                "{name} measured on {backgrounds:?}"
            );
            for (before, after) in token_colors(&raw).into_iter().zip(token_colors(&theme)) {
                for &bg in &backgrounds {
                    let contrast = after.contrast(bg);
                    assert!(
                        contrast >= MIN_TEXT_CONTRAST,
                        "{name}: {after:?} on {bg:?} {contrast:.2}:1"
                    );
                }
                let readable = backgrounds
                    .iter()
                    .all(|&bg| before.contrast(bg) >= MIN_TEXT_CONTRAST);
                if readable {
                    assert_eq!(before, after, "{name}: a readable colour is left as it is");
                }
            }
        }
    }

    #[test]
    fn line_ranges_drop_line_breaks() {
        assert_eq!(line_ranges("a\r\nbc\n\nd"), [0..1, 3..5, 6..6, 7..8]);
        assert_eq!(line_ranges(""), Vec::<Range<usize>>::new());
    }
}
