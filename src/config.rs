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

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::app::keymap::KeyProblem;
pub use crate::app::settings::Column;
use crate::app::settings::Settings;
use crate::highlight::DEFAULT_SYNTAX_THEME;
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

/// Everything the configuration decides: the reader's settings (in the reader's own types)
/// and the syntax theme of diff highlighting.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Key map (the built-in bindings with the file's `[keys.*]` over them), palette, list
    /// columns and sort. Colour is on here; `NO_COLOR` is the environment's say, not the file's.
    pub reader: Settings,
    /// The syntect theme of diff highlighting, one of [`SYNTAX_THEMES`].
    pub syntax_theme: String,
    /// How message bodies are read (`[mail] scissors`).
    pub read: ReadOptions,
}

impl Config {
    /// The shipped defaults ([`DEFAULT_CONFIG`]).
    pub fn builtin() -> Config {
        let mut config = Config {
            reader: Settings::default(),
            syntax_theme: DEFAULT_SYNTAX_THEME.to_string(),
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
    /// A mistake in a `[keys.<context>]` table.
    #[error(transparent)]
    Keys(#[from] KeyProblem),
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
