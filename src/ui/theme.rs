//! The reader's styles in one place. With colour off (`NO_COLOR`) every style falls back to
//! modifiers only (bold, dim, reversed, underlined), so nothing is conveyed by colour alone.

use ratatui::style::{Modifier, Style};

use crate::app::settings::Palette;
use crate::model::diff::DiffLineKind;
use crate::model::interdiff::Status;
use crate::model::trailer::TrailerKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// The colour of each slot; the defaults are `assets/config.toml`'s `[colors]`, a user's
    /// config changes them.
    pub palette: Palette,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme::with_palette(color, Palette::default())
    }

    pub fn with_palette(color: bool, palette: Palette) -> Theme {
        Theme { color, palette }
    }

    /// The marker of marked rows in the list.
    pub fn marked(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.marked)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn title_bar(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.title_fg)
                .bg(self.palette.title_bg),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn pane_title(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new()
                .fg(self.palette.accent)
                .add_modifier(Modifier::BOLD),
            (true, false) => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            (false, _) => Style::new().add_modifier(Modifier::DIM),
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(self.palette.accent),
            _ => Style::new().add_modifier(Modifier::DIM),
        }
    }

    /// The row under the cursor; focused panes show it more strongly.
    pub fn selected(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new()
                .bg(self.palette.selected_bg)
                .add_modifier(Modifier::BOLD),
            (false, true) => Style::new().bg(self.palette.selected_bg),
            (true, false) => Style::new().add_modifier(Modifier::REVERSED),
            (false, false) => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn date(&self) -> Style {
        self.pick(Style::new().fg(self.palette.date), Style::new())
    }

    pub fn author(&self) -> Style {
        self.pick(Style::new().fg(self.palette.author), Style::new())
    }

    pub fn tags(&self) -> Style {
        self.pick(Style::new().fg(self.palette.tags), Style::new())
    }

    /// Characters of a title that the filter matched.
    pub fn matched(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.matched)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn cover_title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn insertions(&self) -> Style {
        self.pick(Style::new().fg(self.palette.insertions), Style::new())
    }

    pub fn deletions(&self) -> Style {
        self.pick(Style::new().fg(self.palette.deletions), Style::new())
    }

    pub fn label(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.label)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn subject(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.pick(
            Style::new().fg(self.palette.warning),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn error(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.error_fg)
                .bg(self.palette.error_bg),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn link(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.link)
                .add_modifier(Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::UNDERLINED),
        )
    }

    /// Trailers by kind: review and test credit stand out, sign-offs and Cc recede.
    pub fn trailer(&self, kind: TrailerKind) -> Style {
        if !self.color {
            return match kind {
                TrailerKind::Reviewed | TrailerKind::Acked | TrailerKind::Tested => {
                    Style::new().add_modifier(Modifier::BOLD)
                }
                TrailerKind::Cc | TrailerKind::SignedOff => {
                    Style::new().add_modifier(Modifier::DIM)
                }
                _ => Style::new(),
            };
        }
        match kind {
            TrailerKind::SignedOff => Style::new()
                .fg(self.palette.trailer_signed_off)
                .add_modifier(Modifier::DIM),
            TrailerKind::Reviewed => Style::new()
                .fg(self.palette.trailer_reviewed)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Acked => Style::new()
                .fg(self.palette.trailer_acked)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Tested => Style::new()
                .fg(self.palette.trailer_tested)
                .add_modifier(Modifier::BOLD),
            TrailerKind::Reported | TrailerKind::Suggested | TrailerKind::CoDeveloped => {
                Style::new().fg(self.palette.trailer_credit)
            }
            TrailerKind::Fixes => Style::new().fg(self.palette.trailer_fixes),
            TrailerKind::Link => Style::new().fg(self.palette.trailer_link),
            TrailerKind::Cc => Style::new().fg(self.palette.trailer_cc),
            TrailerKind::Other => Style::new().fg(self.palette.trailer_other),
        }
    }

    pub fn changelog(&self) -> Style {
        self.pick(
            Style::new().fg(self.palette.changelog),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    /// Quoted reply text, cycling colours by depth as mutt does.
    pub fn quote(&self, depth: u8) -> Style {
        if !self.color {
            return Style::new().add_modifier(Modifier::DIM);
        }
        match depth % 3 {
            1 => Style::new().fg(self.palette.quote1),
            2 => Style::new().fg(self.palette.quote2),
            _ => Style::new().fg(self.palette.quote3),
        }
    }

    /// A diff line's base style: tinted background for added and removed lines, which syntax
    /// colours then draw over.
    pub fn diff(&self, kind: DiffLineKind) -> Style {
        if !self.color {
            return match kind {
                DiffLineKind::FileHeader | DiffLineKind::HunkHeader => {
                    Style::new().add_modifier(Modifier::BOLD)
                }
                DiffLineKind::Removed => Style::new().add_modifier(Modifier::DIM),
                DiffLineKind::NoNewline | DiffLineKind::Binary => {
                    Style::new().add_modifier(Modifier::DIM)
                }
                _ => Style::new(),
            };
        }
        match kind {
            DiffLineKind::FileHeader => Style::new()
                .fg(self.palette.diff_file)
                .add_modifier(Modifier::BOLD),
            DiffLineKind::HunkHeader => Style::new().fg(self.palette.diff_hunk),
            DiffLineKind::Added => Style::new()
                .fg(self.palette.diff_added)
                .bg(self.palette.diff_added_bg),
            DiffLineKind::Removed => Style::new()
                .fg(self.palette.diff_removed)
                .bg(self.palette.diff_removed_bg),
            DiffLineKind::Context | DiffLineKind::Other => Style::new(),
            DiffLineKind::NoNewline | DiffLineKind::Binary => {
                Style::new().fg(self.palette.diff_meta)
            }
        }
    }

    /// An interdiff's patch line, by what became of the patch: unchanged dimmed, changed in
    /// the warning colour, added and removed as insertions and deletions.
    pub fn patch_status(&self, status: Status) -> Style {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        match status {
            Status::Unchanged => self.dim(),
            Status::Changed => bold.patch(self.warning()),
            Status::Added => bold.patch(self.insertions()),
            Status::Removed => bold.patch(self.deletions()),
        }
    }

    /// The words that changed within an added or removed line.
    pub fn changed_words(&self, kind: DiffLineKind) -> Style {
        match (kind, self.color) {
            (DiffLineKind::Added, true) => Style::new().bg(self.palette.diff_added_word_bg),
            (DiffLineKind::Removed, true) => Style::new().bg(self.palette.diff_removed_word_bg),
            _ => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn search_match(&self, current: bool) -> Style {
        match (current, self.color) {
            (true, true) => Style::new()
                .fg(self.palette.search_fg)
                .bg(self.palette.search_current_bg),
            (false, true) => Style::new()
                .fg(self.palette.search_fg)
                .bg(self.palette.search_bg),
            (_, false) => Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    pub fn key(&self) -> Style {
        self.pick(
            Style::new()
                .fg(self.palette.key)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }
}

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Modifier, Style};

    use super::*;
    use crate::contrast::{DARK_BACKGROUND, MIN_TEXT_CONTRAST, Rgb};
    use crate::highlight::{DEFAULT_SYNTAX_THEME, load_theme};

    /// The text colour of the dark terminal the default colours are chosen for: xterm's gray,
    /// ANSI colour 7 (what `Color::Reset` and unstyled text show).
    const DARK_FOREGROUND: Rgb = Rgb(0xe5, 0xe5, 0xe5);

    /// xterm's values for the 16 named ANSI colours, in ANSI order (ratatui's `Black`, `Red`,
    /// … `Gray`, then `DarkGray`, `LightRed`, … `White`).
    const XTERM_16: [Rgb; 16] = [
        Rgb(0x00, 0x00, 0x00),
        Rgb(0xcd, 0x00, 0x00),
        Rgb(0x00, 0xcd, 0x00),
        Rgb(0xcd, 0xcd, 0x00),
        Rgb(0x00, 0x00, 0xee),
        Rgb(0xcd, 0x00, 0xcd),
        Rgb(0x00, 0xcd, 0xcd),
        Rgb(0xe5, 0xe5, 0xe5),
        Rgb(0x7f, 0x7f, 0x7f),
        Rgb(0xff, 0x00, 0x00),
        Rgb(0x00, 0xff, 0x00),
        Rgb(0xff, 0xff, 0x00),
        Rgb(0x5c, 0x5c, 0xff),
        Rgb(0xff, 0x00, 0xff),
        Rgb(0x00, 0xff, 0xff),
        Rgb(0xff, 0xff, 0xff),
    ];

    /// The ANSI index of a named colour.
    fn ansi_index(color: Color) -> Option<u8> {
        Some(match color {
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::Gray => 7,
            Color::DarkGray => 8,
            Color::LightRed => 9,
            Color::LightGreen => 10,
            Color::LightYellow => 11,
            Color::LightBlue => 12,
            Color::LightMagenta => 13,
            Color::LightCyan => 14,
            Color::White => 15,
            Color::Indexed(i) => i,
            Color::Reset | Color::Rgb(..) => return None,
        })
    }

    /// What xterm shows for `color`; `default` for the terminal's own colour.
    fn xterm(color: Color, default: Rgb) -> Rgb {
        const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        let level = |i: u8| LEVELS[usize::from(i % 6)];
        match (color, ansi_index(color)) {
            (Color::Rgb(r, g, b), _) => Rgb(r, g, b),
            (_, Some(i @ 0..16)) => XTERM_16[usize::from(i)],
            (_, Some(i @ 16..232)) => {
                let i = i - 16;
                Rgb(level(i / 36), level(i / 6), level(i))
            }
            (_, Some(i)) => {
                let gray = 8 + 10 * (i - 232);
                Rgb(gray, gray, gray)
            }
            (_, None) => default,
        }
    }

    /// The text and background colours a terminal shows for `style` drawn on `under`: the
    /// style's own background if it has one, swapped when reversed, and faint text at half
    /// intensity, halfway to the background (xterm's default, and what VTE does).
    fn shown(style: Style, under: Rgb) -> (Rgb, Rgb) {
        let mut fg = style
            .fg
            .map_or(DARK_FOREGROUND, |c| xterm(c, DARK_FOREGROUND));
        let mut bg = style.bg.map_or(under, |c| xterm(c, under));
        if style.add_modifier.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fg, &mut bg);
        }
        if style.add_modifier.contains(Modifier::DIM) {
            fg = fg.mix(bg, 0.5);
        }
        (fg, bg)
    }

    /// Every style the theme draws text (or a border) in, by name, and whether it is drawn in
    /// list and diffstat rows, where the selected row's background lies under it.
    fn styles(t: &Theme) -> Vec<(String, Style, bool)> {
        let mut out: Vec<(String, Style, bool)> = Vec::new();
        let mut add = |name: &str, style: Style, in_rows: bool| {
            out.push((name.to_string(), style, in_rows));
        };
        for (name, style) in [
            ("plain text", Style::new()),
            ("marked", t.marked()),
            ("date", t.date()),
            ("author", t.author()),
            ("tags", t.tags()),
            ("matched", t.matched()),
            ("cover_title", t.cover_title()),
            ("insertions", t.insertions()),
            ("deletions", t.deletions()),
            ("dim", t.dim()),
        ] {
            add(name, style, true);
        }
        for (name, style) in [
            ("title_bar", t.title_bar()),
            ("label", t.label()),
            ("subject", t.subject()),
            ("warning", t.warning()),
            ("error", t.error()),
            ("link", t.link()),
            ("changelog", t.changelog()),
            ("key", t.key()),
        ] {
            add(name, style, false);
        }
        for focused in [true, false] {
            add(
                &format!("pane_title({focused})"),
                t.pane_title(focused),
                false,
            );
            add(&format!("border({focused})"), t.border(focused), false);
            add(&format!("selected({focused})"), t.selected(focused), false);
            add(
                &format!("search_match({focused})"),
                t.search_match(focused),
                false,
            );
        }
        for depth in 1..=3 {
            add(&format!("quote({depth})"), t.quote(depth), false);
        }
        use TrailerKind as K;
        for kind in [
            K::SignedOff,
            K::Reviewed,
            K::Acked,
            K::Tested,
            K::Reported,
            K::Suggested,
            K::CoDeveloped,
            K::Fixes,
            K::Link,
            K::Cc,
            K::Other,
        ] {
            add(&format!("trailer({kind:?})"), t.trailer(kind), false);
        }
        use DiffLineKind as D;
        for kind in [
            D::FileHeader,
            D::HunkHeader,
            D::Added,
            D::Removed,
            D::Context,
            D::NoNewline,
            D::Binary,
            D::Other,
        ] {
            add(&format!("diff({kind:?})"), t.diff(kind), false);
            // Changed words are marked within their diff line, over its style.
            let words = t.diff(kind).patch(t.changed_words(kind));
            add(&format!("changed_words({kind:?})"), words, false);
        }
        for status in [
            Status::Unchanged,
            Status::Changed,
            Status::Added,
            Status::Removed,
        ] {
            add(
                &format!("patch_status({status:?})"),
                t.patch_status(status),
                false,
            );
        }
        out
    }

    /// Why `style` is hard to read on `under`, if it is.
    fn unreadable(style: Style, under: Rgb) -> Option<String> {
        // Schemes tune the named colours to their own background, so only their xterm values
        // can be measured; but black and "bright black" are the two that dark schemes set to
        // (nearly) the background: Solarized's bright black is its background, Nord's is
        // 1.7:1 on it.
        let fg_named = style.fg.and_then(ansi_index);
        if style.bg.is_none() && matches!(fg_named, Some(0 | 8)) {
            return Some(format!(
                "{:?} text on the terminal's background vanishes in many dark schemes",
                style.fg
            ));
        }
        let (fg, bg) = shown(style, under);
        let contrast = fg.contrast(bg);
        (contrast < MIN_TEXT_CONTRAST).then(|| format!("{fg:?} on {bg:?}: {contrast:.2}:1"))
    }

    #[test]
    fn every_style_is_readable_on_a_dark_terminal() {
        let theme = Theme::new(true);
        let selected = xterm(theme.palette.selected_bg, DARK_BACKGROUND);
        let mut failures = Vec::new();
        for (name, style, in_rows) in styles(&theme) {
            if let Some(why) = unreadable(style, DARK_BACKGROUND) {
                failures.push(format!("{name}: {why}"));
            }
            if in_rows {
                let on_selected = theme.selected(true).patch(style);
                if let Some(why) = unreadable(on_selected, selected) {
                    failures.push(format!("{name} on the selected row: {why}"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "below {MIN_TEXT_CONTRAST}:1:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn the_measured_styles_use_every_colour_of_the_palette() {
        // A slot whose colour no measured style shows would escape the test above.
        let sentinel = Color::Rgb(1, 2, 3);
        for slot in Palette::SLOTS {
            let mut palette = Palette::default();
            if let Some(color) = palette.slot_mut(slot) {
                *color = sentinel;
            }
            let uses = styles(&Theme::with_palette(true, palette))
                .into_iter()
                .any(|(_, s, _)| s.fg == Some(sentinel) || s.bg == Some(sentinel));
            assert!(uses, "no measured style draws in `{slot}`");
        }
    }

    #[test]
    fn every_syntax_colour_of_the_default_theme_is_readable() {
        let syntax = load_theme(DEFAULT_SYNTAX_THEME);
        let palette = Palette::default();
        let own = syntax.settings.background.map(|c| Rgb(c.r, c.g, c.b));
        // Tokens are drawn on the terminal's background (context lines), on the tints of
        // added and removed lines, and perhaps on a terminal the user gave the theme's colours.
        let backgrounds: Vec<(&str, Rgb)> = [
            ("terminal", Some(DARK_BACKGROUND)),
            (
                "diff_added_bg",
                Some(xterm(palette.diff_added_bg, DARK_BACKGROUND)),
            ),
            (
                "diff_removed_bg",
                Some(xterm(palette.diff_removed_bg, DARK_BACKGROUND)),
            ),
            ("the theme's own background", own),
        ]
        .into_iter()
        .filter_map(|(name, bg)| Some((name, bg?)))
        .collect();
        let default = syntax
            .settings
            .foreground
            .map(|c| ("default".to_string(), c));
        let tokens = syntax.scopes.iter().filter_map(|item| {
            let color = item.style.foreground?;
            let scopes: Vec<String> = item
                .scope
                .selectors
                .iter()
                .flat_map(|s| s.path.as_slice())
                .map(|s| s.build_string())
                .collect();
            Some((scopes.join(", "), color))
        });
        let mut failures = Vec::new();
        for (what, color) in default.into_iter().chain(tokens) {
            let fg = Rgb(color.r, color.g, color.b);
            for &(name, bg) in &backgrounds {
                let contrast = fg.contrast(bg);
                if contrast < MIN_TEXT_CONTRAST {
                    failures.push(format!("{what} {fg:?} on {name}: {contrast:.2}:1"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "below {MIN_TEXT_CONTRAST}:1:\n{}",
            failures.join("\n")
        );
    }
}
