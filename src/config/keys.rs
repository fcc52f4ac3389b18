//! The `[keys.<context>]` tables of a config file: `key = "action"`, in the form of
//! `assets/keys.toml`, laid over the built-in bindings one key at a time by the key map's own
//! reader ([`KeyMap::read_tables`]), so both files have one parser and one error.

use toml::de::DeTable;

use super::Problem;
use super::read::Found;
use crate::app::keymap::KeyMap;

/// Reads every `[keys.<context>]` table of `keys` into `map`, recording problems in `found`.
pub(super) fn read(map: &mut KeyMap, keys: &DeTable<'_>, found: &mut Vec<Found>) {
    found.extend(
        map.read_tables(keys, "keys.")
            .into_iter()
            .map(|(at, problem)| (at, Problem::Keys(problem))),
    );
}
