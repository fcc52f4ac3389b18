//! Key bindings: which key, in which context, asks for which [`Action`].
//!
//! The defaults live in `assets/keys.toml`, embedded in the binary; a user's file in the same
//! form is layered on top with [`KeyMap::overlay`]. Parsing reports the line of every mistake
//! (unknown section, key or action), because a config error that says only "invalid" sends the
//! user bisecting their file. The map also answers the reverse question, which keys run an
//! action, so the help overlay is generated from it.

use std::collections::HashMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use toml::de::DeTable;

use super::action::Action;
use crate::diagnostic::{hint, line_of};

/// The default bindings, as shipped.
pub const DEFAULT_KEYS: &str = include_str!("../../assets/keys.toml");

/// Where a binding applies. Pane contexts win over [`Context::Global`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Detail,
    Diffstat,
    /// Typing into the filter bar or the detail search.
    Prompt,
    /// The help overlay is open.
    Help,
}

impl Context {
    pub const ALL: [Context; 6] = [
        Context::Global,
        Context::List,
        Context::Detail,
        Context::Diffstat,
        Context::Prompt,
        Context::Help,
    ];

    /// The table name in `keys.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Detail => "detail",
            Context::Diffstat => "diffstat",
            Context::Prompt => "prompt",
            Context::Help => "help",
        }
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A key with its modifiers, normalised so that what a terminal reports compares equal to what
/// a key map names (`G` is `G`, not `Shift-G`; `Ctrl-D` is `Ctrl-d`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                // The character already says whether Shift was held.
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }

    /// The key a terminal event stands for; `None` for releases, which never trigger actions.
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        (event.kind != KeyEventKind::Release).then(|| Key::new(event.code, event.modifiers))
    }

    /// Parses a key name as `keys.toml` writes it: `j`, `G`, `?`, `Ctrl-d`, `Alt-Enter`, `PgDn`.
    pub fn parse(text: &str) -> Option<Key> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            if rest.chars().count() <= 1 {
                break;
            }
            let Some(split) = rest.find(['-', '+']) else {
                break;
            };
            let (prefix, tail) = (&rest[..split], &rest[split + 1..]);
            let modifier = match prefix.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => KeyModifiers::CONTROL,
                "alt" | "m" => KeyModifiers::ALT,
                "shift" | "s" => KeyModifiers::SHIFT,
                _ => break,
            };
            if tail.is_empty() {
                break;
            }
            modifiers |= modifier;
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => named_code(rest)?,
        };
        Some(Key::new(code, modifiers))
    }
}

const NAMED_KEYS: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Space", KeyCode::Char(' ')),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PgUp", KeyCode::PageUp),
    ("PgDn", KeyCode::PageDown),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Insert", KeyCode::Insert),
    ("Delete", KeyCode::Delete),
];

fn named_code(name: &str) -> Option<KeyCode> {
    if let Some(&(_, code)) = NAMED_KEYS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        return Some(code);
    }
    let number = name.strip_prefix(['F', 'f'])?.parse::<u8>().ok()?;
    (1..=24).contains(&number).then_some(KeyCode::F(number))
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            code => {
                let name = NAMED_KEYS
                    .iter()
                    .find(|(_, c)| *c == code)
                    .map_or("?", |(n, _)| n);
                f.write_str(name)
            }
        }
    }
}

/// A mistake in a key table, the one error of both the shipped key map and a config file's
/// `[keys.<context>]` tables.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyProblem {
    #[error("{0}")]
    Syntax(String),
    #[error(
        "unknown key context [{prefix}{name}] (contexts: global, list, detail, diffstat, prompt, help){hint}"
    )]
    UnknownContext {
        prefix: &'static str,
        name: String,
        hint: String,
    },
    #[error("{what} must be {expected}")]
    WrongType {
        what: String,
        expected: &'static str,
    },
    #[error("cannot read key \"{0}\" (write keys like j, G, Ctrl-d, PgDn, Enter, Space)")]
    BadKey(String),
    #[error("unknown action \"{name}\"{hint}")]
    UnknownAction { name: String, hint: String },
}

/// A mistake in a key map file, with the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("key map line {line}: {problem}")]
pub struct KeyMapError {
    pub line: usize,
    pub problem: KeyProblem,
}

/// Key bindings per context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyMap {
    bindings: HashMap<(Context, Key), Action>,
}

impl KeyMap {
    /// Parses a key map in the `keys.toml` form; the first mistake is reported with its line.
    pub fn from_toml(text: &str) -> Result<KeyMap, KeyMapError> {
        let root = DeTable::parse(text).map_err(|e| KeyMapError {
            line: line_of(text, e.span().map_or(0, |s| s.start)),
            problem: KeyProblem::Syntax(e.message().trim().to_string()),
        })?;
        let mut map = KeyMap::default();
        match map.read_tables(root.get_ref(), "").into_iter().next() {
            Some((at, problem)) => Err(KeyMapError {
                line: line_of(text, at),
                problem,
            }),
            None => Ok(map),
        }
    }

    /// Lays `[<context>]` tables of `key = "action"` lines over this map, one key at a time.
    /// Every mistake is returned with its byte offset in the parsed text, first in the file
    /// first; `prefix` is how the tables are named there (`keys.` in a config file).
    pub fn read_tables(
        &mut self,
        tables: &DeTable<'_>,
        prefix: &'static str,
    ) -> Vec<(usize, KeyProblem)> {
        let mut found = Vec::new();
        for (context_name, table) in tables {
            let name = context_name.get_ref().as_ref();
            let Some(context) = Context::from_name(name) else {
                found.push((
                    context_name.span().start,
                    KeyProblem::UnknownContext {
                        prefix,
                        name: name.to_string(),
                        hint: hint(name, Context::ALL.map(Context::name)),
                    },
                ));
                continue;
            };
            let Some(table) = table.get_ref().as_table() else {
                found.push((
                    table.span().start,
                    KeyProblem::WrongType {
                        what: format!("{prefix}{name}"),
                        expected: "a table of key = \"action\" lines",
                    },
                ));
                continue;
            };
            for (key_name, action_name) in table {
                let Some(key) = Key::parse(key_name.get_ref()) else {
                    found.push((
                        key_name.span().start,
                        KeyProblem::BadKey(key_name.get_ref().to_string()),
                    ));
                    continue;
                };
                let Some(action_text) = action_name.get_ref().as_str() else {
                    found.push((
                        action_name.span().start,
                        KeyProblem::WrongType {
                            what: "an action".to_string(),
                            expected: "a string in quotes",
                        },
                    ));
                    continue;
                };
                match Action::from_name(action_text) {
                    Some(action) => self.bind(context, key, action),
                    None => found.push((
                        action_name.span().start,
                        KeyProblem::UnknownAction {
                            name: action_text.to_string(),
                            hint: hint(action_text, Action::BINDABLE.iter().map(|a| a.name())),
                        },
                    )),
                }
            }
        }
        found.sort_by_key(|(at, _)| *at);
        found
    }

    /// The bindings shipped in `assets/keys.toml`.
    pub fn builtin() -> KeyMap {
        // The embedded map is checked by a unit test; were it broken, no keys would work,
        // which that test reports long before a user could see it.
        KeyMap::from_toml(DEFAULT_KEYS).unwrap_or_default()
    }

    /// Binds `key` to `action` in `context`, replacing what it ran there before.
    pub fn bind(&mut self, context: Context, key: Key, action: Action) {
        self.bindings.insert((context, key), action);
    }

    /// Layers `other` on top: its bindings replace those of the same key and context.
    pub fn overlay(&mut self, other: KeyMap) {
        self.bindings.extend(other.bindings);
    }

    /// The action `key` runs in `context`, falling back to the global bindings (except while
    /// typing into a prompt, where an unbound key is text, not a command).
    pub fn action(&self, context: Context, key: Key) -> Option<Action> {
        self.bindings
            .get(&(context, key))
            .copied()
            .or_else(|| match context {
                Context::Prompt => None,
                _ => self.bindings.get(&(Context::Global, key)).copied(),
            })
    }

    /// The keys bound to `action` in `context` (its own table only), in a stable order.
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .bindings
            .iter()
            .filter(|((c, _), a)| *c == context && **a == action)
            .map(|((_, k), _)| *k)
            .collect();
        keys.sort_by_key(|k| (k.modifiers.bits(), key_rank(k.code), k.to_string()));
        keys
    }
}

/// Letters before named keys in help listings, so `j Down` rather than `Down j`.
fn key_rank(code: KeyCode) -> u8 {
    match code {
        KeyCode::Char(c) if c.is_ascii_alphanumeric() => 0,
        KeyCode::Char(_) => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Key {
        Key::parse(text).unwrap_or_else(|| panic!("cannot parse {text}"))
    }

    #[test]
    fn default_map_parses_and_binds_vim_and_arrows() {
        let map = KeyMap::from_toml(DEFAULT_KEYS).unwrap();
        for name in ["j", "Down"] {
            assert_eq!(
                map.action(Context::List, key(name)),
                Some(Action::SelectNext)
            );
        }
        assert_eq!(
            map.action(Context::List, key("/")),
            Some(Action::StartFilter)
        );
        assert_eq!(
            map.action(Context::Detail, key("/")),
            Some(Action::SearchDetail)
        );
        assert_eq!(
            map.action(Context::Detail, key("Ctrl-d")),
            Some(Action::HalfPageDown)
        );
        assert_eq!(
            map.action(Context::Prompt, key("j")),
            None,
            "j is text in a prompt"
        );
        assert_eq!(KeyMap::builtin(), map);
    }

    #[test]
    fn terminal_events_normalise_to_key_map_names() {
        let shifted_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shifted_g), Some(key("G")));
        let back_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&back_tab), Some(key("BackTab")));
        assert_eq!(key("Ctrl-D"), key("ctrl-d"));
        assert_eq!(key("C-d"), key("Ctrl+d"));
        assert_eq!(key("-"), Key::new(KeyCode::Char('-'), KeyModifiers::NONE));
        assert_eq!(
            key("Ctrl--"),
            Key::new(KeyCode::Char('-'), KeyModifiers::CONTROL)
        );
        assert_eq!(key("pgdn").code, KeyCode::PageDown);
        assert_eq!(key("F12").code, KeyCode::F(12));
        assert_eq!(Key::parse("Hyper-x"), None);
        assert_eq!(Key::parse("F99"), None);
    }

    #[test]
    fn keys_display_as_written() {
        for name in [
            "j",
            "G",
            "?",
            "Ctrl-d",
            "PgDn",
            "BackTab",
            "Space",
            "F1",
            "Alt-Enter",
        ] {
            assert_eq!(key(name).to_string(), name);
        }
    }

    #[test]
    fn errors_name_the_line() {
        let bad_action = "[list]\nj = \"select_next\"\nk = \"fly_away\"\n";
        let err = KeyMap::from_toml(bad_action).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            matches!(&err.problem, KeyProblem::UnknownAction { name, .. } if name == "fly_away"),
            "{err}"
        );

        let bad_key = "[global]\n\n\"Hyper-x\" = \"quit\"\n";
        assert_eq!(KeyMap::from_toml(bad_key).unwrap_err().line, 3);

        let bad_section = "[global]\nq = \"quit\"\n[sidebar]\nx = \"quit\"\n";
        let err = KeyMap::from_toml(bad_section).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            matches!(&err.problem, KeyProblem::UnknownContext { name, .. } if name == "sidebar"),
            "{err}"
        );

        let err = KeyMap::from_toml("[list]\nj = \n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().starts_with("key map line 2: "));
    }

    #[test]
    fn a_user_map_overrides_single_keys() {
        let mut map = KeyMap::from_toml(DEFAULT_KEYS).unwrap();
        map.overlay(KeyMap::from_toml("[list]\nj = \"last\"\n").unwrap());
        assert_eq!(map.action(Context::List, key("j")), Some(Action::Last));
        assert_eq!(
            map.action(Context::Detail, key("j")),
            Some(Action::SelectNext)
        );
        assert_eq!(
            map.action(Context::List, key("k")),
            Some(Action::SelectPrev)
        );
    }

    #[test]
    fn reverse_lookup_lists_letters_first() {
        let map = KeyMap::from_toml(DEFAULT_KEYS).unwrap();
        let keys: Vec<String> = map
            .keys_for(Context::Global, Action::SelectNext)
            .iter()
            .map(Key::to_string)
            .collect();
        assert_eq!(keys, ["j", "Down"]);
    }
}
