//! patchdeck's configuration file: key bindings, colours, the syntax theme and the list pane.
//!
//! The file is `$XDG_CONFIG_HOME/patchdeck/config.toml` (`~/.config/patchdeck/config.toml`
//! when that is unset), or the one named by `--config FILE`. Its defaults are
//! `assets/config.toml`, embedded in the binary and printed by `--print-default-config`; a
//! user's file is read over them, so it holds only what it changes. Every mistake is reported
//! with the line it is on (`config.toml:12: unknown action "selct_next" (did you mean
//! "select_next"?)`), because a config error that only says "invalid" sends the user
//! bisecting their file; the program then exits 2 rather than open with half a config.

pub mod colors;
pub mod keys;
mod read;
pub mod suggest;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use self::colors::Palette;
use crate::app::KeyMap;
use crate::index::order::SortKey;
use crate::model::patch::ReadOptions;

/// The default configuration, as shipped and documented.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.toml");

/// The syntect themes bundled with syntect's default theme set, the ones `[theme] syntax` may
/// name. A unit test keeps this list equal to what syntect ships.
pub const SYNTAX_THEMES: &[&str] = &[
    "InspiredGitHub",
    "Solarized (dark)",
    "Solarized (light)",
    "base16-eighties.dark",
    "base16-mocha.dark",
    "base16-ocean.dark",
    "base16-ocean.light",
];

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

/// Everything the configuration decides.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The bindings the file gives, to lay over the built-in key map.
    pub keys: KeyMap,
    pub palette: Palette,
    /// The syntect theme of diff highlighting, one of [`SYNTAX_THEMES`].
    pub syntax_theme: String,
    /// The list pane's columns, in order; always holds [`Column::Title`].
    pub columns: Vec<Column>,
    /// The list's sort order at start.
    pub sort: SortKey,
    /// How message bodies are read (`[mail] scissors`).
    pub read: ReadOptions,
}

impl Config {
    /// The shipped defaults ([`DEFAULT_CONFIG`]).
    pub fn builtin() -> Config {
        let mut config = Config {
            keys: KeyMap::default(),
            palette: Palette::default(),
            syntax_theme: "base16-eighties.dark".to_string(),
            columns: Column::ALL.to_vec(),
            sort: SortKey::Date,
            read: ReadOptions::default(),
        };
        // The embedded file is checked by a unit test; the values above are its contents,
        // so a broken embed could only ever leave these defaults in place.
        let _ = read::apply(&mut config, DEFAULT_CONFIG);
        config
    }

    /// Reads `text` (a config file called `origin` in errors) over the defaults.
    pub fn parse(text: &str, origin: &str) -> Result<Config, ConfigError> {
        let mut config = Config::builtin();
        read::apply(&mut config, text).map_err(|(line, problem)| ConfigError {
            file: origin.to_string(),
            line: Some(line),
            problem,
        })?;
        Ok(config)
    }

    /// Reads the file named by `--config` (which must exist), else the user's file when there
    /// is one, else the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => match default_path(|name| std::env::var_os(name)) {
                Some(path) if path.exists() => path,
                _ => return Ok(Config::builtin()),
            },
        };
        let origin = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| ConfigError {
            file: origin.clone(),
            line: None,
            problem: Problem::Read(e.to_string()),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e
                .as_bytes()
                .get(..e.utf8_error().valid_up_to())
                .unwrap_or(&[]);
            ConfigError {
                file: origin.clone(),
                line: Some(memchr::memchr_iter(b'\n', valid).count() + 1),
                problem: Problem::Read("not UTF-8 text".into()),
            }
        })?;
        Config::parse(&text, &origin)
    }
}

impl Default for Config {
    fn default() -> Config {
        Config::builtin()
    }
}

/// Where the user's config lives: `$XDG_CONFIG_HOME/patchdeck/config.toml`, else
/// `$HOME/.config/patchdeck/config.toml`; `lookup` reads the environment. A relative
/// `XDG_CONFIG_HOME` is ignored, as the XDG spec says.
pub fn default_path(lookup: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| lookup(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = set("XDG_CONFIG_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| set("HOME").map(|home| home.join(".config")))?;
    Some(base.join("patchdeck").join("config.toml"))
}

/// Whether `NO_COLOR` asks for no colour: set to anything non-empty (<https://no-color.org>).
pub fn no_color(lookup: impl Fn(&str) -> Option<OsString>) -> bool {
    lookup("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether this process should draw colours, as far as the environment says.
pub fn colors_enabled() -> bool {
    !no_color(|name| std::env::var_os(name))
}

/// A config that cannot be used: the file, the line when known, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub file: String,
    pub line: Option<usize>,
    pub problem: Problem,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

/// What is wrong with a config file. Suggestions (`hint`) are ` (did you mean "x"?)` or empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("cannot read: {0}")]
    Read(String),
    #[error("{0}")]
    Syntax(String),
    #[error("unknown section [{name}] (sections: keys, colors, theme, list){hint}")]
    UnknownSection { name: String, hint: String },
    #[error("unknown setting \"{key}\" in [{section}]{hint}")]
    UnknownKey {
        section: String,
        key: String,
        hint: String,
    },
    #[error("{what} must be {expected}")]
    WrongType {
        what: String,
        expected: &'static str,
    },
    #[error(
        "unknown key context [keys.{name}] (contexts: global, list, detail, diffstat, prompt, help){hint}"
    )]
    UnknownContext { name: String, hint: String },
    #[error("cannot read key \"{0}\" (write keys like j, G, Ctrl-d, PgDn, Enter, Space)")]
    BadKey(String),
    #[error("unknown action \"{name}\"{hint}")]
    UnknownAction { name: String, hint: String },
    #[error("unknown colour slot \"{name}\"{hint}")]
    UnknownSlot { name: String, hint: String },
    #[error("unknown colour \"{value}\" (write a name like light_red, \"#rrggbb\" or 0-255){hint}")]
    UnknownColor { value: String, hint: String },
    #[error("unknown syntax theme \"{name}\" (themes: {}){hint}", SYNTAX_THEMES.join(", "))]
    UnknownSyntaxTheme { name: String, hint: String },
    #[error(
        "unknown column \"{name}\" (columns: date, author, tags, title, stats, trailers){hint}"
    )]
    UnknownColumn { name: String, hint: String },
    #[error("column \"{0}\" is listed twice")]
    DuplicateColumn(String),
    #[error("the list columns must include \"title\"")]
    NoTitleColumn,
    #[error("unknown sort \"{name}\" (sorts: date, author, subject, series){hint}")]
    UnknownSort { name: String, hint: String },
}

#[cfg(test)]
mod tests;
