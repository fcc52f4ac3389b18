//! The `[keys.<context>]` tables of a config file: `key = "action"`, in the form of
//! `assets/keys.toml`, laid over the built-in bindings one key at a time.

use toml::de::DeTable;

use super::Problem;
use super::read::{Found, string};
use super::suggest::hint;
use crate::app::Action;
use crate::app::keymap::{Context, Key, KeyMap};

/// Reads every `[keys.<context>]` table of `keys` into `map`, recording problems in `found`.
pub(super) fn read(map: &mut KeyMap, keys: &DeTable<'_>, found: &mut Vec<Found>) {
    for (context_name, table) in keys {
        let name = context_name.get_ref().as_ref();
        let Some(context) = Context::ALL.into_iter().find(|c| c.name() == name) else {
            found.push((
                context_name.span().start,
                Problem::UnknownContext {
                    name: name.to_string(),
                    hint: hint(name, Context::ALL.iter().map(|c| c.name())),
                },
            ));
            continue;
        };
        let Some(table) = table.get_ref().as_table() else {
            found.push((
                table.span().start,
                Problem::WrongType {
                    what: format!("keys.{name}"),
                    expected: "a table of key = \"action\" lines",
                },
            ));
            continue;
        };
        for (key_name, action_name) in table {
            let Some(key) = Key::parse(key_name.get_ref()) else {
                found.push((
                    key_name.span().start,
                    Problem::BadKey(key_name.get_ref().to_string()),
                ));
                continue;
            };
            let Some(action_text) = string(action_name, "an action", found) else {
                continue;
            };
            match Action::from_name(action_text) {
                Some(action) => map.bind(context, key, action),
                None => found.push((
                    action_name.span().start,
                    Problem::UnknownAction {
                        name: action_text.to_string(),
                        hint: hint(action_text, Action::BINDABLE.iter().map(|a| a.name())),
                    },
                )),
            }
        }
    }
}
