//! Reading config files: the shipped defaults, a user's changes over them, and a line-numbered
//! error for each kind of mistake.

use std::ffi::OsString;
use std::path::PathBuf;

use ratatui::style::Color;

use super::*;
use crate::app::Action;
use crate::app::KeyMap;
use crate::app::keymap::{Context, Key};
use crate::app::settings::Palette;
use crate::index::order::SortKey;

fn key(name: &str) -> Key {
    Key::parse(name).unwrap_or_else(|| panic!("cannot parse key {name}"))
}

fn error(text: &str) -> ConfigError {
    match Config::parse(text, "config.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn shipped_defaults_are_valid_and_match_the_code() {
    let parsed = Config::parse(DEFAULT_CONFIG, "assets/config.toml").unwrap();
    // What the embedded file says is what the code falls back on, slot for slot.
    assert_eq!(parsed.reader.palette, Palette::default());
    assert_eq!(parsed.syntax_theme, crate::highlight::DEFAULT_SYNTAX_THEME);
    assert_eq!(parsed.reader.columns, Column::ALL.to_vec());
    assert_eq!(parsed.reader.sort, SortKey::Date);
    assert!(
        !parsed.read.scissors,
        "scissors are off by default, as in git am"
    );
    assert_eq!(
        parsed.reader.keymap,
        KeyMap::builtin(),
        "defaults bind no keys of their own"
    );
    assert_eq!(parsed, Config::builtin());
}

#[test]
fn default_file_lists_every_colour_slot() {
    for slot in Palette::SLOTS {
        let line = format!("\n{slot} = ");
        assert!(
            DEFAULT_CONFIG.contains(&line),
            "{slot} not in assets/config.toml"
        );
    }
}

#[test]
fn syntax_theme_names_are_syntects() {
    let mut shipped: Vec<String> = syntect::highlighting::ThemeSet::load_defaults()
        .themes
        .into_keys()
        .collect();
    shipped.sort();
    let mut ours: Vec<String> = SYNTAX_THEMES.iter().map(|s| s.to_string()).collect();
    ours.sort();
    assert_eq!(ours, shipped);
}

#[test]
fn a_user_file_changes_only_what_it_sets() {
    let text = r##"
[keys.list]
x = "quit"
[keys.global]
Ctrl-n = "select_next"

[colors]
author = "#ff8800"
date = 244

[theme]
syntax = "Solarized (dark)"

[list]
columns = ["title", "date"]
sort = "author"
"##;
    let config = Config::parse(text, "config.toml").unwrap();
    assert_eq!(
        config.reader.keymap.action(Context::List, key("x")),
        Some(Action::Quit)
    );
    assert_eq!(
        config.reader.keymap.action(Context::Detail, key("Ctrl-n")),
        Some(Action::SelectNext)
    );
    assert_eq!(config.reader.palette.author, Color::Rgb(0xff, 0x88, 0x00));
    assert_eq!(config.reader.palette.date, Color::Indexed(244));
    assert_eq!(config.reader.palette.tags, Palette::default().tags);
    assert_eq!(config.syntax_theme, "Solarized (dark)");
    assert_eq!(config.reader.columns, [Column::Title, Column::Date]);
    assert_eq!(config.reader.sort, SortKey::Author);
}

#[test]
fn an_empty_file_is_the_defaults() {
    assert_eq!(Config::parse("", "c.toml").unwrap(), Config::builtin());
    assert_eq!(
        Config::parse("# nothing\n\n", "c.toml").unwrap(),
        Config::builtin()
    );
}

#[test]
fn unknown_action_names_its_line_and_the_likely_fix() {
    let text = "# mine\n\n[keys.list]\nj = \"select_next\"\nk = \"selct_next\"\n";
    let err = error(text);
    assert_eq!(err.line, Some(5));
    assert_eq!(
        err.to_string(),
        "config.toml:5: unknown action \"selct_next\" (did you mean \"select_next\"?)"
    );
}

#[test]
fn every_kind_of_mistake_names_its_line() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "[keys.list]\n\"Hyper-x\" = \"quit\"\n",
            2,
            "cannot read key \"Hyper-x\"",
        ),
        (
            "[keys.sidebar]\nx = \"quit\"\n",
            1,
            "unknown key context [keys.sidebar]",
        ),
        ("[keys.list]\nx = 3\n", 2, "an action must be a string"),
        (
            "\n[colours]\nauthor = \"red\"\n",
            2,
            "unknown section [colours]",
        ),
        (
            "[colors]\n\nauthr = \"red\"\n",
            3,
            "unknown colour slot \"authr\" (did you mean \"author\"?)",
        ),
        (
            "[colors]\nauthor = \"purple\"\n",
            2,
            "unknown colour \"purple\"",
        ),
        (
            "[colors]\nauthor = \"#12345\"\n",
            2,
            "unknown colour \"#12345\"",
        ),
        ("[colors]\nauthor = 300\n", 2, "unknown colour \"300\""),
        ("[colors]\nauthor = true\n", 2, "a colour must be"),
        (
            "[theme]\nsyntax = \"base16-ocean.drak\"\n",
            2,
            "unknown syntax theme \"base16-ocean.drak\"",
        ),
        (
            "[theme]\nsyntx = \"x\"\n",
            2,
            "unknown setting \"syntx\" in [theme] (did you mean \"syntax\"?)",
        ),
        (
            "[list]\ncolumns = [\"date\",\n  \"autor\", \"title\"]\n",
            3,
            "unknown column \"autor\"",
        ),
        (
            "[list]\ncolumns = [\"date\", \"title\", \"date\"]\n",
            2,
            "column \"date\" is listed twice",
        ),
        (
            "[list]\ncolumns = [\"date\", \"author\"]\n",
            2,
            "must include \"title\"",
        ),
        (
            "[list]\ncolumns = \"date\"\n",
            2,
            "list.columns must be a list",
        ),
        ("[list]\nsort = \"newest\"\n", 2, "unknown sort \"newest\""),
        ("[list]\nsort = \"dates\"\n", 2, "(did you mean \"date\"?)"),
        ("theme = \"dark\"\n", 1, "theme must be a table"),
        (
            "[list]\nsort = \"date\"\nsort = \"author\"\n",
            3,
            "duplicate key",
        ),
        ("[list\n", 1, ""),
    ];
    for &(text, line, message) in cases {
        let err = error(text);
        assert_eq!(err.line, Some(line), "{text:?}: {err}");
        assert!(
            err.to_string()
                .starts_with(&format!("config.toml:{line}: ")),
            "{err}"
        );
        assert!(err.to_string().contains(message), "{text:?}: {err}");
    }
}

#[test]
fn the_first_mistake_in_the_file_is_reported() {
    // Sections are read in name order; the report still follows the file's order.
    let text = "[list]\nsort = \"nope\"\n[colors]\nauthor = \"nope\"\n";
    assert_eq!(error(text).line, Some(2));
    let text = "[colors]\nauthor = \"nope\"\n[list]\nsort = \"nope\"\n";
    assert_eq!(error(text).line, Some(2));
}

#[test]
fn config_path_follows_xdg() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    };
    assert_eq!(
        default_path(env(&[("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")])),
        Some(PathBuf::from("/x/patchdeck/config.toml"))
    );
    assert_eq!(
        default_path(env(&[("XDG_CONFIG_HOME", ""), ("HOME", "/h")])),
        Some(PathBuf::from("/h/.config/patchdeck/config.toml"))
    );
    assert_eq!(
        default_path(env(&[("XDG_CONFIG_HOME", "relative"), ("HOME", "/h")])),
        Some(PathBuf::from("/h/.config/patchdeck/config.toml"))
    );
    assert_eq!(default_path(env(&[])), None);
}

#[test]
fn no_color_needs_a_non_empty_value() {
    let set = |v: &'static str| move |name: &str| (name == "NO_COLOR").then(|| OsString::from(v));
    assert!(no_color(set("1")));
    assert!(!no_color(set("")));
    assert!(!no_color(|_| None));
}

#[test]
fn loading_reports_unreadable_and_non_utf8_files() {
    let dir = std::env::temp_dir().join(format!("patchdeck-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("missing.toml");
    let err = Config::load(Some(&missing)).unwrap_err();
    assert_eq!(err.line, None);
    assert!(err.to_string().starts_with(&missing.display().to_string()));
    let latin1 = dir.join("latin1.toml");
    std::fs::write(&latin1, b"# ok\n# caf\xe9\n").unwrap();
    let err = Config::load(Some(&latin1)).unwrap_err();
    assert_eq!(err.line, Some(2));
    assert!(err.to_string().contains("not UTF-8"));
    let good = dir.join("good.toml");
    std::fs::write(&good, "[list]\nsort = \"series\"\n").unwrap();
    assert_eq!(
        Config::load(Some(&good)).unwrap().reader.sort,
        SortKey::Series
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_key_table_mistake_reads_the_same_in_a_config_and_in_a_key_map() {
    use crate::app::keymap::KeyMap;
    let cases = [
        ("j = \"selct_next\"\n", "unknown action \"selct_next\""),
        ("\"Hyper-x\" = \"quit\"\n", "cannot read key \"Hyper-x\""),
        ("j = 3\n", "an action must be a string in quotes"),
    ];
    for (lines, message) in cases {
        let config = error(&format!("[keys.list]\n{lines}"));
        let keymap = KeyMap::from_toml(&format!("[list]\n{lines}")).unwrap_err();
        assert_eq!((config.line, keymap.line), (Some(2), 2), "{lines:?}");
        let config = config.to_string();
        let keymap = keymap.to_string();
        let config = config.trim_start_matches("config.toml:2: ");
        let keymap = keymap.trim_start_matches("key map line 2: ");
        assert_eq!(config, keymap);
        assert!(config.starts_with(message), "{config}");
    }
}

#[test]
fn mail_scissors_is_a_boolean() {
    let on = Config::parse("[mail]\nscissors = true\n", "c.toml").unwrap();
    assert!(on.read.scissors);
    let err = Config::parse("[mail]\nscissors = \"yes\"\n", "c.toml").unwrap_err();
    assert_eq!(err.line, Some(2));
    let err = Config::parse("\n[mail]\nsissors = true\n", "c.toml").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(err.to_string().contains("scissors"), "{err}");
}
