//! Decorating one message's diff a window at a time.
//!
//! Hunks are worked through independently (each is a fragment of its file, so parser state
//! from the previous hunk would be wrong), each from its first line, keeping the parser state
//! where it stopped so that scrolling further continues rather than restarts. Removed and
//! context lines go through one parser and added and context lines through another, so each
//! side is parsed as the code it came from. With the Oniguruma engine that parser state cannot
//! move between threads, so highlighters live in a [`HighlightCache`] owned by one worker.
//!
//! Changed words are marked as git's `diff-highlight` does: within a run of removed lines
//! followed by added lines of the same count, each removed line is paired with its added line
//! and [`word_diff`] finds what changed; runs of unequal counts are rewrites, left unmarked.

use std::collections::VecDeque;
use std::ops::Range;
use std::sync::Arc;

use syntect::easy::HighlightLines;
use syntect::parsing::SyntaxReference;

use super::{LineDecor, colorize, line_ranges, parser, syntax_for_path, to_u32};
use crate::model::patch::PatchBody;
use crate::model::worddiff::word_diff;

/// Diff lines longer than this are not syntax-highlighted: regex parsing of a minified
/// megabyte line would stall the worker for no reader's benefit.
const MAX_LINE_BYTES: usize = 4096;

/// Where a hunk's body lines are and which language they are in.
struct HunkSpan {
    lines: Range<usize>,
    syntax: Option<&'static SyntaxReference>,
}

/// A hunk's state after the last line decorated.
struct Checkpoint {
    next: usize,
    /// Old-side and new-side parsers, when the language is known and colour is wanted.
    parsers: Option<(HighlightLines<'static>, HighlightLines<'static>)>,
    /// The current run of removed lines and the added lines after it, not yet paired.
    removed: Vec<usize>,
    added: Vec<usize>,
}

/// Decorates one message's diff on demand, remembering what it has done.
pub struct DiffHighlighter {
    body: Arc<PatchBody>,
    /// Byte range of every line of `body.diff_text`, without its line break.
    line_ranges: Vec<Range<usize>>,
    hunks: Vec<HunkSpan>,
    checkpoints: Vec<Option<Checkpoint>>,
    /// Decorated lines so far, by diff line index.
    done: Vec<Option<LineDecor>>,
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
    /// A highlighter for `body`'s diff; `syntax` false marks changed words only.
    pub fn new(body: Arc<PatchBody>, syntax: bool) -> DiffHighlighter {
        let line_ranges = line_ranges(&body.diff_text);
        let line_count = line_ranges.len();
        let hunks: Vec<HunkSpan> = body
            .files
            .iter()
            .filter(|file| !file.binary)
            .flat_map(|file| {
                let language = if syntax {
                    syntax_for_path(file.path())
                } else {
                    None
                };
                file.hunks.iter().map(move |hunk| {
                    let first = hunk.start_line.saturating_add(1).min(line_count);
                    let end = first.saturating_add(hunk.line_count).min(line_count);
                    HunkSpan {
                        lines: first..end,
                        syntax: language,
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

    pub fn line_count(&self) -> usize {
        self.line_ranges.len()
    }

    /// Decorations of the diff lines in `wanted` that lie inside hunks, as
    /// `(diff line index, decoration)`; header lines are not returned.
    pub fn highlight(&mut self, wanted: Range<usize>) -> Vec<(usize, Arc<LineDecor>)> {
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
            out.extend(overlap.filter_map(|i| Some((i, Arc::new(self.done.get(i)?.clone()?)))));
        }
        out
    }

    fn line(&self, index: usize) -> &str {
        self.line_ranges
            .get(index)
            .and_then(|r| self.body.diff_text.get(r.clone()))
            .unwrap_or("")
    }

    /// Works through hunk `hunk_index` up to (not including) diff line `until`, and on to the
    /// end of the change run it is in, so its lines can be paired.
    fn advance(&mut self, hunk_index: usize, until: usize) {
        let Some(hunk) = self.hunks.get(hunk_index) else {
            return;
        };
        let (end, syntax) = (hunk.lines.end, hunk.syntax);
        let mut at = match self.checkpoints.get_mut(hunk_index).and_then(Option::take) {
            Some(checkpoint) => checkpoint,
            None => Checkpoint {
                next: hunk.lines.start,
                parsers: syntax.map(|s| (parser(s), parser(s))),
                removed: Vec::new(),
                added: Vec::new(),
            },
        };
        let body = Arc::clone(&self.body);
        let mut text = String::new();
        while at.next < end && (at.next < until || !at.removed.is_empty()) {
            let index = at.next;
            at.next += 1;
            let range = self.line_ranges.get(index).cloned();
            let line = range.and_then(|r| body.diff_text.get(r)).unwrap_or("");
            let prefix = line.chars().next().unwrap_or(' ');
            match prefix {
                '-' => {
                    if !at.added.is_empty() {
                        self.pair(&mut at);
                    }
                    at.removed.push(index);
                }
                '+' => at.added.push(index),
                _ => self.pair(&mut at),
            }
            let content = line.get(prefix.len_utf8()..).unwrap_or("");
            let mut decor = LineDecor::default();
            if let (Some((old, new)), true) = (at.parsers.as_mut(), content.len() <= MAX_LINE_BYTES)
            {
                text.clear();
                text.push_str(content);
                text.push('\n');
                let offset = prefix.len_utf8();
                decor.colors = match prefix {
                    '+' => colorize(new, &text, offset),
                    '-' => colorize(old, &text, offset),
                    ' ' => {
                        colorize(old, &text, offset);
                        colorize(new, &text, offset)
                    }
                    _ => Vec::new(),
                };
            }
            if let Some(slot) = self.done.get_mut(index) {
                *slot = Some(decor);
            }
        }
        if at.next >= end {
            self.pair(&mut at);
        }
        if let Some(slot) = self.checkpoints.get_mut(hunk_index) {
            *slot = Some(at);
        }
    }

    /// Marks the changed words of a finished run of removed and added lines, and clears it.
    fn pair(&mut self, at: &mut Checkpoint) {
        let removed = std::mem::take(&mut at.removed);
        let added = std::mem::take(&mut at.added);
        if removed.len() != added.len() {
            return;
        }
        for (&old, &new) in removed.iter().zip(&added) {
            let (old_text, new_text) = (self.line(old), self.line(new));
            let (old_changed, new_changed) = word_diff(
                old_text.get(1..).unwrap_or(""),
                new_text.get(1..).unwrap_or(""),
            );
            for (index, changed) in [(old, old_changed), (new, new_changed)] {
                if let Some(Some(decor)) = self.done.get_mut(index) {
                    decor.changed = changed
                        .into_iter()
                        .map(|r| to_u32(r.start + 1)..to_u32(r.end + 1))
                        .collect();
                }
            }
        }
    }
}

/// The highlighters of recently shown messages, by message index, on the thread that owns them.
pub struct HighlightCache {
    entries: VecDeque<(u32, DiffHighlighter)>,
    capacity: usize,
}

impl HighlightCache {
    pub fn new(capacity: usize) -> HighlightCache {
        HighlightCache {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Decorations for diff lines `wanted` of message `msg`, whose parsed body is `body`;
    /// `syntax` false marks changed words only.
    pub fn highlight(
        &mut self,
        msg: u32,
        body: &Arc<PatchBody>,
        syntax: bool,
        wanted: Range<usize>,
    ) -> Vec<(usize, Arc<LineDecor>)> {
        let position = self
            .entries
            .iter()
            .position(|(m, h)| *m == msg && Arc::ptr_eq(&h.body, body));
        let mut entry = match position.and_then(|p| self.entries.remove(p)) {
            Some(entry) => entry,
            None => (msg, DiffHighlighter::new(Arc::clone(body), syntax)),
        };
        let decorations = entry.1.highlight(wanted);
        self.entries.push_front(entry);
        self.entries.truncate(self.capacity);
        decorations
    }
}

#[cfg(test)]
mod tests;
