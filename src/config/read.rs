//! Reading a config file's TOML into a [`Config`], keeping each value's position so that a
//! mistake is reported on its line.
//!
//! The file is parsed into toml's spanned document form rather than deserialised into
//! structs, since serde's unknown-field and bad-value errors do not say where the value was.
//! Every problem found is collected and the first in the file is reported, so fixing errors
//! top to bottom works as a user expects.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::colors::{Palette, color_names, parse_color};
use super::{Column, Config, Problem, SYNTAX_THEMES, keys};
use crate::diagnostic::{hint, line_of};
use crate::index::order::SortKey;
use ratatui::style::Color;

/// A problem and the byte offset it is at.
pub(super) type Found = (usize, Problem);

/// Reads `text` into `config`, changing only what the file sets. On a mistake, returns the
/// first one's line and leaves `config` partly updated (callers discard it).
pub fn apply(config: &mut Config, text: &str) -> Result<(), (usize, Problem)> {
    let root = DeTable::parse(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        (
            line_of(text, offset),
            Problem::Syntax(e.message().trim().to_string()),
        )
    })?;
    let mut found: Vec<Found> = Vec::new();
    for (name, value) in root.get_ref() {
        let at = name.span().start;
        let Some(table) = value.get_ref().as_table() else {
            found.push((at, not_a_table(name.get_ref())));
            continue;
        };
        match name.get_ref().as_ref() {
            "keys" => keys::read(&mut config.reader.keymap, table, &mut found),
            "colors" => read_colors(&mut config.reader.palette, table, &mut found),
            "theme" => read_theme(config, table, &mut found),
            "list" => read_list(config, table, &mut found),
            "mail" => read_mail(config, table, &mut found),
            other => found.push((
                at,
                Problem::UnknownSection {
                    name: other.to_string(),
                    hint: hint(other, ["keys", "colors", "theme", "list", "mail"]),
                },
            )),
        }
    }
    match found.into_iter().min_by_key(|(at, _)| *at) {
        Some((at, problem)) => Err((line_of(text, at), problem)),
        None => Ok(()),
    }
}

fn not_a_table(name: &str) -> Problem {
    match name {
        "keys" | "colors" | "theme" | "list" | "mail" => Problem::WrongType {
            what: name.to_string(),
            expected: "a table (a [section])",
        },
        other => Problem::UnknownSection {
            name: other.to_string(),
            hint: hint(other, ["keys", "colors", "theme", "list", "mail"]),
        },
    }
}

/// A string value, or a problem saying `what` must be one.
pub(super) fn string<'a>(
    value: &'a Spanned<DeValue<'_>>,
    what: &str,
    found: &mut Vec<Found>,
) -> Option<&'a str> {
    let text = value.get_ref().as_str();
    if text.is_none() {
        found.push((
            value.span().start,
            Problem::WrongType {
                what: what.to_string(),
                expected: "a string in quotes",
            },
        ));
    }
    text
}

fn unknown_key(section: &str, key: &Spanned<std::borrow::Cow<'_, str>>, known: &[&str]) -> Found {
    (
        key.span().start,
        Problem::UnknownKey {
            section: section.to_string(),
            key: key.get_ref().to_string(),
            hint: hint(key.get_ref(), known.iter().copied()),
        },
    )
}

fn read_colors(palette: &mut Palette, table: &DeTable<'_>, found: &mut Vec<Found>) {
    for (slot, value) in table {
        let name = slot.get_ref().as_ref();
        let Some(target) = palette.slot_mut(name) else {
            found.push((
                slot.span().start,
                Problem::UnknownSlot {
                    name: name.to_string(),
                    hint: hint(name, Palette::SLOTS.iter().copied()),
                },
            ));
            continue;
        };
        match color_value(value) {
            Ok(color) => *target = color,
            Err(problem) => found.push((value.span().start, problem)),
        }
    }
}

/// A colour written as a name, `#rrggbb` or an index 0–255.
fn color_value(value: &Spanned<DeValue<'_>>) -> Result<Color, Problem> {
    match value.get_ref() {
        DeValue::String(text) => parse_color(text).ok_or_else(|| Problem::UnknownColor {
            value: text.to_string(),
            hint: hint(text, color_names()),
        }),
        DeValue::Integer(n) => u8::from_str_radix(n.as_str(), n.radix())
            .map(Color::Indexed)
            .map_err(|_| Problem::UnknownColor {
                value: n.as_str().to_string(),
                hint: String::new(),
            }),
        _ => Err(Problem::WrongType {
            what: "a colour".to_string(),
            expected: "a string (a name or \"#rrggbb\") or a number 0-255",
        }),
    }
}

fn read_theme(config: &mut Config, table: &DeTable<'_>, found: &mut Vec<Found>) {
    for (key, value) in table {
        if key.get_ref() != "syntax" {
            found.push(unknown_key("theme", key, &["syntax"]));
            continue;
        }
        let Some(name) = string(value, "theme.syntax", found) else {
            continue;
        };
        match SYNTAX_THEMES.iter().find(|t| **t == name) {
            Some(theme) => config.syntax_theme = (*theme).to_string(),
            None => found.push((
                value.span().start,
                Problem::UnknownSyntaxTheme {
                    name: name.to_string(),
                    hint: hint(name, SYNTAX_THEMES.iter().copied()),
                },
            )),
        }
    }
}

fn read_list(config: &mut Config, table: &DeTable<'_>, found: &mut Vec<Found>) {
    for (key, value) in table {
        match key.get_ref().as_ref() {
            "columns" => {
                if let Some(columns) = read_columns(value, found) {
                    config.reader.columns = columns;
                }
            }
            "sort" => {
                let Some(name) = string(value, "list.sort", found) else {
                    continue;
                };
                match SortKey::from_name(name) {
                    Some(sort) => config.reader.sort = sort,
                    None => found.push((
                        value.span().start,
                        Problem::UnknownSort {
                            name: name.to_string(),
                            hint: hint(name, SortKey::ALL.map(SortKey::name)),
                        },
                    )),
                }
            }
            _ => found.push(unknown_key("list", key, &["columns", "sort"])),
        }
    }
}

fn read_mail(config: &mut Config, table: &DeTable<'_>, found: &mut Vec<Found>) {
    for (key, value) in table {
        if key.get_ref() != "scissors" {
            found.push(unknown_key("mail", key, &["scissors"]));
            continue;
        }
        match value.get_ref().as_bool() {
            Some(on) => config.read.scissors = on,
            None => found.push((
                value.span().start,
                Problem::WrongType {
                    what: "mail.scissors".to_string(),
                    expected: "true or false",
                },
            )),
        }
    }
}

fn read_columns(value: &Spanned<DeValue<'_>>, found: &mut Vec<Found>) -> Option<Vec<Column>> {
    let Some(items) = value.get_ref().as_array() else {
        found.push((
            value.span().start,
            Problem::WrongType {
                what: "list.columns".to_string(),
                expected: "a list like [\"date\", \"author\", \"title\"]",
            },
        ));
        return None;
    };
    let before = found.len();
    let mut columns = Vec::new();
    for item in items {
        let Some(name) = string(item, "a column", found) else {
            continue;
        };
        let at = item.span().start;
        match Column::from_name(name) {
            Some(column) if columns.contains(&column) => {
                found.push((at, Problem::DuplicateColumn(name.to_string())));
            }
            Some(column) => columns.push(column),
            None => found.push((
                at,
                Problem::UnknownColumn {
                    name: name.to_string(),
                    hint: hint(name, Column::ALL.iter().map(|c| c.name())),
                },
            )),
        }
    }
    if found.len() > before {
        return None;
    }
    if !columns.contains(&Column::Title) {
        found.push((value.span().start, Problem::NoTitleColumn));
        return None;
    }
    Some(columns)
}
