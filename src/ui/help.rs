//! The `?` overlay: every binding of the key map, grouped by where it applies, each with the
//! first line of its action's doc comment. Generated, so it lists exactly what the keys do,
//! user overrides included.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::app::Action;
use crate::app::keymap::{Context, KeyMap};

pub struct HelpOverlay<'a> {
    pub keymap: &'a KeyMap,
    pub scroll: usize,
    pub theme: Theme,
}

/// Where each group of bindings applies, in reading order.
const GROUPS: [(Context, &str); 5] = [
    (Context::Global, "Everywhere"),
    (Context::List, "List"),
    (Context::Detail, "Detail"),
    (Context::Diffstat, "Diffstat"),
    (
        Context::Prompt,
        "Prompts: filter, search, export path, pipe command",
    ),
];

/// Width of the keys column.
const KEYS_WIDTH: usize = 18;

/// The overlay's text.
pub fn help_lines(keymap: &KeyMap, theme: Theme) -> Vec<Line<'static>> {
    let heading = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut lines = Vec::new();
    for (context, title) in GROUPS {
        let bound: Vec<(Action, String)> = Action::BINDABLE
            .iter()
            .filter_map(|&action| {
                let keys = keymap.keys_for(context, action);
                let names: Vec<String> = keys.iter().map(ToString::to_string).collect();
                (!names.is_empty()).then(|| (action, names.join(" ")))
            })
            .collect();
        if bound.is_empty() {
            continue;
        }
        lines.push(Line::styled(title.to_string(), heading));
        for (action, keys) in bound {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<KEYS_WIDTH$}"), theme.key()),
                Span::raw(action.summary().to_string()),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::styled("Mouse", heading));
    lines.push(Line::raw(
        "  wheel scrolls the pane under the pointer; a click selects (on In-Reply-To: goes there)",
    ));
    lines.push(Line::default());
    lines.push(Line::styled("Filter queries", heading));
    for (example, meaning) in [
        (
            "pfn vetter",
            "every term must match, fuzzily, subject + author + tags",
        ),
        ("a | b", "either term"),
        (
            "'exact ^prefix suffix$ !not",
            "exact substring, prefix, suffix, negation",
        ),
        (
            "from: subject: file: body:",
            "search one field (a: s: f: b:)",
        ),
        ("trailer:reviewed-by v:3 tag:rfc", "trailers, version, tags"),
        ("is:patch|cover|reply|pull", "kind of message"),
        ("list:kvm series:pfn", "mailing list, series title"),
        ("date:2020-10..2020-11", "date range"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {example:<32}"), theme.key()),
            Span::raw(meaning),
        ]));
    }
    lines
}

impl Widget for &HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let [vertical] = Layout::vertical([Constraint::Percentage(90)])
            .flex(Flex::Center)
            .areas(area);
        let [popup] = Layout::horizontal([Constraint::Max(84)])
            .flex(Flex::Center)
            .areas(vertical);
        Clear.render(popup, buf);
        let lines = help_lines(self.keymap, self.theme);
        let inner_rows = usize::from(popup.height.saturating_sub(2));
        let scroll = self.scroll.min(lines.len().saturating_sub(inner_rows));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(self.theme.border(true))
            .title(Span::styled(" keys ", self.theme.pane_title(true)))
            .title_bottom(Line::from(" j/k scroll · Esc or ? close ").right_aligned());
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
            .render(popup, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bound_action_is_listed_with_its_keys() {
        let keymap = KeyMap::builtin();
        let text: Vec<String> = help_lines(&keymap, Theme::new(false))
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        let all = text.join("\n");
        for &action in Action::BINDABLE {
            assert!(
                all.contains(action.summary()),
                "{} missing from help",
                action.name()
            );
        }
        assert!(
            text.iter()
                .any(|l| l.starts_with("  j Down") && l.ends_with(Action::SelectNext.summary()))
        );
        assert!(text.iter().any(|l| l.starts_with("  Ctrl-d")));
    }

    #[test]
    fn user_bindings_show_in_the_help() {
        let mut keymap = KeyMap::builtin();
        keymap.overlay(KeyMap::from_toml("[list]\nx = \"toggle_fold\"\n").unwrap());
        let lines = help_lines(&keymap, Theme::new(false));
        let found = lines.iter().any(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            text.starts_with("  f x") && text.contains("Fold or unfold the series")
        });
        assert!(found);
    }
}
