//! Syntax highlighting of a patch's diff, by each file's language, a window at a time.
//!
//! syntect's syntax set and theme are loaded once, lazily, on the first thread that needs them
//! (never the UI thread: highlighting runs as an effect on a worker). A [`DiffHighlighter`]
//! belongs to one message and highlights only the lines asked for, so opening a 10,000-line
//! patch costs the visible window, not the whole diff. Hunks are highlighted independently
//! (each is a fragment of its file, so parser state from the previous hunk would be wrong), each
//! from its first line, keeping the parser state where it stopped so that scrolling further
//! continues rather than restarts. With the Oniguruma engine that parser state cannot move
//! between threads, so highlighters live in a [`HighlightCache`] owned by one worker thread. Removed and context lines go through one parser and added and
//! context lines through another, so each side is parsed as the code it came from.
//! Results are colour runs over a line's text, turned into spans only when drawn.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use ratatui::style::Color;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};

use crate::model::patch::PatchBody;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The theme whose foreground colours are used; backgrounds come from the diff tints.
const THEME_NAME: &str = "base16-eighties.dark";

static THEME: LazyLock<Theme> = LazyLock::new(|| {
    let mut themes = ThemeSet::load_defaults().themes;
    themes
        .remove(THEME_NAME)
        .or_else(|| themes.into_values().next())
        .unwrap_or_default()
});

/// Diff lines longer than this are left plain: regex parsing of a minified megabyte line
/// would stall the worker for no reader's benefit.
const MAX_LINE_BYTES: usize = 4096;

/// The highlighters of recently shown messages, by message index, on the thread that owns them.
pub struct HighlightCache {
    entries: std::collections::VecDeque<(u32, DiffHighlighter)>,
    capacity: usize,
}

impl HighlightCache {
    pub fn new(capacity: usize) -> HighlightCache {
        HighlightCache {
            entries: std::collections::VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Colours for diff lines `wanted` of message `msg`, whose parsed body is `body`.
    pub fn highlight(
        &mut self,
        msg: u32,
        body: &Arc<PatchBody>,
        wanted: Range<usize>,
    ) -> Vec<(usize, Arc<LineColors>)> {
        let position = self
            .entries
            .iter()
            .position(|(m, h)| *m == msg && Arc::ptr_eq(&h.body, body));
        let mut entry = match position.and_then(|p| self.entries.remove(p)) {
            Some(entry) => entry,
            None => (msg, DiffHighlighter::new(Arc::clone(body))),
        };
        let colors = entry.1.highlight(wanted);
        self.entries.push_front(entry);
        self.entries.truncate(self.capacity);
        colors
    }
}

/// A run of one colour over bytes `start..end` of a diff line's text, the `+`/`-`/` ` prefix
/// included (the prefix itself is never coloured).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorRun {
    pub start: u32,
    pub end: u32,
    pub fg: Color,
}

/// The colour runs of one diff line; empty when it has none.
pub type LineColors = Vec<ColorRun>;

/// The syntax for a path by its file name or extension (`Makefile`, `foo.c`), if syntect has one.
pub fn syntax_for_path(path: &str) -> Option<&'static SyntaxReference> {
    let name = path.rsplit('/').next().unwrap_or(path);
    SYNTAXES.find_syntax_by_extension(name).or_else(|| {
        let (_, extension) = name.rsplit_once('.')?;
        SYNTAXES.find_syntax_by_extension(extension)
    })
}

/// Where a hunk's body lines are and which language they are in.
struct HunkSpan {
    lines: Range<usize>,
    syntax: &'static SyntaxReference,
}

/// Parsers positioned after the last line highlighted in one hunk.
struct Checkpoint {
    next: usize,
    old: HighlightLines<'static>,
    new: HighlightLines<'static>,
}

/// Highlights one message's diff on demand, remembering what it has done.
pub struct DiffHighlighter {
    body: Arc<PatchBody>,
    /// Byte range of every line of `body.diff_text`, without its line break.
    line_ranges: Vec<Range<usize>>,
    hunks: Vec<HunkSpan>,
    checkpoints: Vec<Option<Checkpoint>>,
    /// Highlighted lines so far, by diff line index.
    done: Vec<Option<Arc<LineColors>>>,
}

impl std::fmt::Debug for DiffHighlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "DiffHighlighter({} lines, {} hunks)",
            self.line_ranges.len(),
            self.hunks.len()
        )
    }
}

impl DiffHighlighter {
    pub fn new(body: Arc<PatchBody>) -> DiffHighlighter {
        let line_ranges = line_ranges(&body.diff_text);
        let line_count = line_ranges.len();
        let hunks: Vec<HunkSpan> = body
            .files
            .iter()
            .filter(|file| !file.binary)
            .filter_map(|file| Some((file, syntax_for_path(file.path())?)))
            .flat_map(|(file, syntax)| {
                file.hunks.iter().map(move |hunk| {
                    let first = hunk.start_line.saturating_add(1).min(line_count);
                    let end = first.saturating_add(hunk.line_count).min(line_count);
                    HunkSpan {
                        lines: first..end,
                        syntax,
                    }
                })
            })
            .collect();
        DiffHighlighter {
            checkpoints: hunks.iter().map(|_| None).collect(),
            hunks,
            done: vec![None; line_count],
            line_ranges,
            body,
        }
    }

    /// Number of lines in the diff text.
    pub fn line_count(&self) -> usize {
        self.line_ranges.len()
    }

    /// Colours for the diff lines in `wanted` that lie in a highlightable hunk, as
    /// `(diff line index, colours)`. Lines outside any hunk (headers) or in a file whose
    /// language is unknown are not returned.
    pub fn highlight(&mut self, wanted: Range<usize>) -> Vec<(usize, Arc<LineColors>)> {
        let wanted = wanted.start.min(self.line_count())..wanted.end.min(self.line_count());
        let mut out = Vec::new();
        for hunk_index in 0..self.hunks.len() {
            let Some(hunk) = self.hunks.get(hunk_index) else {
                break;
            };
            let overlap = hunk.lines.start.max(wanted.start)..hunk.lines.end.min(wanted.end);
            if overlap.is_empty() {
                continue;
            }
            self.advance(hunk_index, overlap.end);
            out.extend(overlap.filter_map(|i| Some((i, self.done.get(i)?.clone()?))));
        }
        out
    }

    /// Runs hunk `hunk_index`'s parsers up to (not including) diff line `until`.
    fn advance(&mut self, hunk_index: usize, until: usize) {
        let (Some(hunk), Some(slot)) = (
            self.hunks.get(hunk_index),
            self.checkpoints.get_mut(hunk_index),
        ) else {
            return;
        };
        let mut checkpoint = slot.take().unwrap_or_else(|| Checkpoint {
            next: hunk.lines.start,
            old: HighlightLines::new(hunk.syntax, &THEME),
            new: HighlightLines::new(hunk.syntax, &THEME),
        });
        let mut text = String::new();
        while checkpoint.next < until {
            let index = checkpoint.next;
            checkpoint.next += 1;
            let line = self
                .line_ranges
                .get(index)
                .and_then(|r| self.body.diff_text.get(r.clone()))
                .unwrap_or("");
            let Some(prefix) = line.chars().next() else {
                continue;
            };
            let content = &line[prefix.len_utf8()..];
            if content.len() > MAX_LINE_BYTES {
                continue;
            }
            text.clear();
            text.push_str(content);
            text.push('\n');
            let offset = prefix.len_utf8();
            let colors = match prefix {
                '+' => colorize(&mut checkpoint.new, &text, offset),
                '-' => colorize(&mut checkpoint.old, &text, offset),
                ' ' => {
                    colorize(&mut checkpoint.old, &text, offset);
                    colorize(&mut checkpoint.new, &text, offset)
                }
                _ => continue,
            };
            if let Some(done) = self.done.get_mut(index) {
                *done = Some(Arc::new(colors));
            }
        }
        *slot = Some(checkpoint);
    }
}

/// Highlights one line (with its `\n`) and turns syntect's styles into colour runs shifted by
/// `offset`, the length of the diff prefix.
fn colorize(lines: &mut HighlightLines<'static>, text: &str, offset: usize) -> LineColors {
    let Ok(pieces) = lines.highlight_line(text, &SYNTAXES) else {
        return Vec::new();
    };
    let content_len = text.len().saturating_sub(1);
    let mut runs: LineColors = Vec::new();
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
        let trimmed = if text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
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
    use crate::model::diff::{FileDiff, Hunk};

    /// A body whose diff has one C file with one hunk starting at line 3.
    fn c_body(hunk_lines: &[&str]) -> PatchBody {
        let mut diff =
            String::from("diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n");
        for line in hunk_lines {
            diff.push_str(line);
            diff.push('\n');
        }
        PatchBody {
            files: vec![FileDiff {
                old_path: Some("x.c".into()),
                new_path: Some("x.c".into()),
                hunks: vec![Hunk {
                    start_line: 3,
                    line_count: hunk_lines.len(),
                    ..Hunk::default()
                }],
                ..FileDiff::default()
            }],
            diff_text: diff,
            ..PatchBody::default()
        }
    }

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

    #[test]
    fn only_the_requested_window_is_highlighted() {
        let lines: Vec<String> = (0..200).map(|i| format!("+int x{i} = {i};")).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut h = DiffHighlighter::new(Arc::new(c_body(&refs)));
        let got = h.highlight(10..20);
        assert_eq!(
            got.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            (10..20).collect::<Vec<_>>()
        );
        assert!(
            h.done.iter().skip(21).all(Option::is_none),
            "nothing past the window"
        );
        // The keyword `int` (bytes 1..4, after the `+`) gets a colour of its own.
        let (_, colors) = &got[0];
        assert!(colors.iter().any(|run| run.start == 1 && run.end == 4));
        assert!(
            colors.iter().all(|run| run.start >= 1),
            "the prefix stays uncoloured"
        );
    }

    #[test]
    fn headers_and_unknown_languages_get_no_colours() {
        let mut h = DiffHighlighter::new(Arc::new(c_body(&[" a;", "-b;", "+c;"])));
        let got: Vec<usize> = h.highlight(0..100).iter().map(|(i, _)| *i).collect();
        assert_eq!(got, [4, 5, 6]);
        let mut body = c_body(&["+x"]);
        body.files[0].new_path = Some("x.unknownext".into());
        assert!(
            DiffHighlighter::new(Arc::new(body))
                .highlight(0..100)
                .is_empty()
        );
    }

    #[test]
    fn hostile_hunk_bounds_do_not_panic() {
        let mut body = c_body(&["+é", "-\u{1b}[2J"]);
        body.files[0].hunks[0].line_count = usize::MAX;
        body.files[0].hunks.push(Hunk {
            start_line: usize::MAX,
            line_count: 5,
            ..Hunk::default()
        });
        let mut h = DiffHighlighter::new(Arc::new(body));
        assert_eq!(h.highlight(0..usize::MAX).len(), 2);
    }

    #[test]
    fn the_cache_continues_where_it_stopped() {
        let lines: Vec<String> = (0..100).map(|i| format!("+int x{i};")).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let body = Arc::new(c_body(&refs));
        let mut cache = HighlightCache::new(2);
        assert_eq!(cache.highlight(1, &body, 0..50).len(), 46);
        assert_eq!(cache.highlight(1, &body, 50..60).len(), 10);
        let kept = &cache.entries[0].1;
        assert!(kept.checkpoints[0].as_ref().is_some_and(|c| c.next == 60));
        cache.highlight(2, &body, 0..5);
        cache.highlight(3, &body, 0..5);
        assert_eq!(
            cache.entries.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
            [3, 2]
        );
    }

    #[test]
    fn line_ranges_drop_line_breaks() {
        assert_eq!(line_ranges("a\r\nbc\n\nd"), [0..1, 3..5, 6..6, 7..8]);
        assert_eq!(line_ranges(""), Vec::<Range<usize>>::new());
    }
}
