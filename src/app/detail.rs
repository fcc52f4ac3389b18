//! The detail pane's state: the document of the selected message, where it is scrolled to,
//! the search inside it, and the syntax colours that have arrived for it.
//!
//! Documents of recently read messages are kept with their colours, so going back to a message
//! shows it at once, highlighted, without asking a worker again.
//!
//! The pane scrolls in rows, not document lines: while quotes are folded (the default, as a
//! reader of replies wants the new text), each long run of quoted text is one row saying how
//! many lines it holds. Positions kept in document lines (files, hunks, search matches, the
//! `In-Reply-To:` link) are turned into rows where the pane scrolls to them.

pub mod doc;

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;
use std::sync::Arc;

use self::doc::DetailDoc;
use super::prompt::Prompt;
use crate::highlight::LineDecor;
use crate::model::patch::PatchBody;

/// How many read messages keep their document and colours.
const RECENT: usize = 8;
/// Highlighting is requested in chunks of this many diff lines, one chunk beyond the screen
/// in each direction, so scrolling finds colours already there.
const CHUNK: usize = 64;

/// A message's document with its highlighting so far.
pub struct Shown {
    pub doc: Arc<DetailDoc>,
    /// Colours by diff line.
    pub colors: HashMap<usize, Arc<LineDecor>>,
    requested: HashSet<usize>,
}

/// One search match: bytes `start..end` of document line `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchMatch {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// Search inside the detail.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub prompt: Prompt,
    /// The prompt is open and takes the keys.
    pub editing: bool,
    pub matches: Vec<SearchMatch>,
    /// Index into `matches` of the one jumped to.
    pub current: Option<usize>,
}

/// What one row of the pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowLine {
    /// A document line.
    Line(usize),
    /// A folded run of quoted lines.
    Folded(Range<usize>),
}

/// What the detail pane shows of the selected message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    /// The message itself.
    #[default]
    Message,
    /// What changed in its series since the previous version.
    Interdiff,
}

#[derive(Default)]
pub struct DetailState {
    /// The view asked for; documents of the other view are kept but not shown.
    pub view: View,
    pub shown: Option<Shown>,
    recent: VecDeque<Shown>,
    /// The message whose document is awaited, and the request that will bring it.
    pub pending: Option<(u32, u64)>,
    /// First document line on screen.
    pub top: usize,
    /// Columns scrolled to the right.
    pub left: usize,
    pub search: Search,
    /// Long quoted runs are shown in full (the `toggle_quotes` key); kept across messages.
    pub quotes_shown: bool,
    /// The document line ranges folded to one row each now, in order.
    folds: Vec<Range<usize>>,
}

impl DetailState {
    pub fn doc(&self) -> Option<&Arc<DetailDoc>> {
        self.shown.as_ref().map(|s| &s.doc)
    }

    /// Whether the pane shows (or is about to show) message `msg`.
    pub fn is_for(&self, msg: u32) -> bool {
        self.pending.map(|(m, _)| m) == Some(msg)
            || self.pending.is_none()
                && self
                    .doc()
                    .is_some_and(|d| d.msg == msg && d.view == self.view)
    }

    /// Shows `msg` from the recently read documents; false when it must be loaded.
    pub fn show_recent(&mut self, msg: u32) -> bool {
        let view = self.view;
        let found = self
            .recent
            .iter()
            .position(|s| s.doc.msg == msg && s.doc.view == view);
        let Some(position) = found else {
            return false;
        };
        if let Some(shown) = self.recent.remove(position) {
            self.show(shown);
        }
        self.pending = None;
        true
    }

    /// Shows a freshly built document.
    pub fn show_new(&mut self, doc: Arc<DetailDoc>) {
        self.pending = None;
        self.show(Shown {
            doc,
            colors: HashMap::new(),
            requested: HashSet::new(),
        });
    }

    fn show(&mut self, shown: Shown) {
        if let Some(previous) = self.shown.replace(shown) {
            self.recent.push_front(previous);
            self.recent.truncate(RECENT);
        }
        self.top = 0;
        self.left = 0;
        self.refold();
        self.run_search();
        self.search.current = None;
    }

    fn refold(&mut self) {
        self.folds = match (self.quotes_shown, self.doc()) {
            (false, Some(doc)) => doc.quote_folds.clone(),
            _ => Vec::new(),
        };
    }

    /// Folds or unfolds long quoted runs, keeping the line at the top of the pane there.
    pub fn toggle_quotes(&mut self, height: usize) {
        let line = self.line_at(self.top);
        self.quotes_shown = !self.quotes_shown;
        self.refold();
        self.top = self.row_of(line);
        self.clamp(height);
    }

    /// Whether the shown document has quoted runs that fold.
    pub fn has_quote_folds(&self) -> bool {
        self.doc().is_some_and(|d| !d.quote_folds.is_empty())
    }

    /// What row `row` shows.
    pub fn row(&self, row: usize) -> Option<RowLine> {
        let mut hidden = 0usize;
        for fold in &self.folds {
            let folded_row = fold.start - hidden;
            if row < folded_row {
                break;
            }
            if row == folded_row {
                return Some(RowLine::Folded(fold.clone()));
            }
            hidden += fold.len() - 1;
        }
        let line = row + hidden;
        (line < self.doc()?.len()).then_some(RowLine::Line(line))
    }

    /// The document line where row `row` starts (the document's length past the end).
    pub fn line_at(&self, row: usize) -> usize {
        match self.row(row) {
            Some(RowLine::Line(line)) => line,
            Some(RowLine::Folded(run)) => run.start,
            None => self.doc().map_or(0, |d| d.len()),
        }
    }

    /// The row showing document line `line` (a folded line: its fold's row).
    pub fn row_of(&self, line: usize) -> usize {
        let mut hidden = 0usize;
        for fold in &self.folds {
            if line < fold.start {
                break;
            }
            if line < fold.end {
                return fold.start - hidden;
            }
            hidden += fold.len() - 1;
        }
        line - hidden
    }

    /// Stores colours that arrived for message `msg`, wherever that document now is.
    pub fn add_colors(&mut self, msg: u32, lines: Vec<(usize, Arc<LineDecor>)>) {
        let target = self
            .shown
            .iter_mut()
            .chain(self.recent.iter_mut())
            .find(|s| s.doc.msg == msg && s.doc.view == View::Message);
        if let Some(shown) = target {
            shown.colors.extend(lines);
        }
    }

    /// How many rows the document takes.
    pub fn len(&self) -> usize {
        let hidden: usize = self.folds.iter().map(|f| f.len() - 1).sum();
        self.doc().map_or(0, |d| d.len()).saturating_sub(hidden)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        self.top = self.top.saturating_add_signed(delta);
        self.clamp(height);
    }

    /// Scrolls so document line `line` is at the top.
    pub fn scroll_to(&mut self, line: usize, height: usize) {
        self.top = self.row_of(line);
        self.clamp(height);
    }

    /// Whether the last row is on screen, in a pane `height` rows tall.
    pub fn at_end(&self, height: usize) -> bool {
        self.top.saturating_add(height.max(1)) >= self.len()
    }

    /// The message the `In-Reply-To:` line links to, when that line is on screen.
    pub fn parent_link(&self, height: usize) -> Option<u32> {
        let (line, msg) = self.doc()?.parent?;
        let row = self.row_of(line);
        (self.top <= row && row < self.top.saturating_add(height)).then_some(msg)
    }

    /// Keeps the last page full: the document's end never scrolls above the pane's bottom.
    fn clamp(&mut self, height: usize) {
        self.top = self.top.min(self.len().saturating_sub(height.max(1)));
    }

    /// Jumps to the next (or previous) position in `starts` after (before) the top line.
    pub fn jump(&mut self, starts: impl Fn(&DetailDoc) -> &[usize], forward: bool, height: usize) {
        let Some(doc) = self.doc() else { return };
        let starts = starts(doc);
        let top = self.line_at(self.top);
        let target = if forward {
            starts.iter().copied().find(|&s| s > top)
        } else {
            starts.iter().copied().rev().find(|&s| s < top)
        };
        if let Some(target) = target {
            self.scroll_to(target, height);
        }
    }

    /// The diff lines to highlight so the screen and a chunk around it have colours, marking
    /// them requested; `None` when all are.
    pub fn wanted_colors(&mut self, height: usize) -> Option<(Arc<PatchBody>, u32, Range<usize>)> {
        let top = self.line_at(self.top);
        let bottom = self.line_at(self.top.saturating_add(height));
        let shown = self.shown.as_mut()?;
        let doc = &shown.doc;
        let first = top.max(doc.diff_start).checked_sub(doc.diff_start)?;
        let last = bottom.min(doc.len()).checked_sub(doc.diff_start)?;
        if first >= last {
            return None;
        }
        let chunks = (first / CHUNK).saturating_sub(1)..=(last / CHUNK).saturating_add(1);
        let missing: Vec<usize> = chunks.filter(|c| !shown.requested.contains(c)).collect();
        let (&lo, &hi) = (missing.first()?, missing.last()?);
        shown.requested.extend(lo..=hi);
        let range = lo.saturating_mul(CHUNK)..hi.saturating_add(1).saturating_mul(CHUNK);
        Some((Arc::clone(&doc.body), doc.msg, range))
    }

    /// Finds the search prompt's text in the document: smart case (case-sensitive only when the
    /// text has a capital), as vim's `smartcase` and `less -i`.
    pub fn run_search(&mut self) {
        self.search.matches.clear();
        let needle = self.search.prompt.text.as_str();
        let Some(doc) = self.shown.as_ref().map(|s| s.doc.clone()) else {
            return;
        };
        if needle.is_empty() {
            return;
        }
        let fold = !needle.chars().any(char::is_uppercase);
        let needle = if fold {
            needle.to_lowercase()
        } else {
            needle.to_string()
        };
        for line in 0..doc.len() {
            let text = doc.line_text(line);
            // Lower-casing can change byte lengths; search ASCII-folded text when it does not.
            let hay = if fold {
                text.to_lowercase()
            } else {
                text.to_string()
            };
            if hay.len() != text.len() {
                if hay.contains(&needle) {
                    self.search.matches.push(SearchMatch {
                        line,
                        start: 0,
                        end: 0,
                    });
                }
                continue;
            }
            for (start, _) in hay.match_indices(&needle) {
                self.search.matches.push(SearchMatch {
                    line,
                    start,
                    end: start + needle.len(),
                });
            }
        }
    }

    /// Jumps to the next (or previous) match from the top line, wrapping around.
    pub fn search_step(&mut self, forward: bool, height: usize) {
        let matches = &self.search.matches;
        if matches.is_empty() {
            return;
        }
        let next = match self.search.current {
            Some(current) if forward => (current + 1) % matches.len(),
            Some(current) => current.checked_sub(1).unwrap_or(matches.len() - 1),
            None if forward => matches
                .iter()
                .position(|m| self.row_of(m.line) >= self.top)
                .unwrap_or(0),
            None => matches
                .iter()
                .rposition(|m| self.row_of(m.line) < self.top)
                .unwrap_or(matches.len() - 1),
        };
        self.search.current = Some(next);
        if let Some(line) = matches.get(next).map(|m| m.line) {
            // A match inside folded quotes unfolds them: the match is what the user looks for.
            if self.folds.iter().any(|f| f.contains(&line)) {
                self.quotes_shown = true;
                self.refold();
            }
            let row = self.row_of(line);
            // Keep a few lines of context above the match.
            if row < self.top || row >= self.top + height.max(1) {
                self.top = row.saturating_sub(3);
                self.clamp(height);
            }
        }
    }
}

#[cfg(test)]
mod tests;
