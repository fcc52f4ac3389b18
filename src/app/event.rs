//! What comes into `update` ([`Event`]: input, and results of background work) and what goes
//! out of it ([`Effect`]: work for the event loop to run off the UI thread).
//!
//! Every result carries the request id or generation it answers, so `update` can drop a result
//! that a later request has made stale: scrolling fast through the list never shows the wrong
//! message, and typing fast never shows an old filter's matches.

use std::ops::Range;
use std::sync::Arc;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::act::{ActEffect, Acted};
use super::archive_view::ArchiveView;
use super::detail::doc::DetailDoc;
use crate::highlight::LineDecor;
use crate::model::patch::PatchBody;

/// Input to [`super::update`].
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// Loading is under way.
    Progress(Progress),
    /// Loading finished: the archive and what could not be read, or why nothing could be.
    Loaded(Result<Loaded, String>),
    /// The document for the detail pane, answering [`Effect::LoadDetail`].
    DetailReady {
        request: u64,
        doc: Arc<DetailDoc>,
    },
    /// Decorations (syntax colours, changed words) for some diff lines of message `msg`.
    Highlighted {
        msg: u32,
        lines: Vec<(usize, Arc<LineDecor>)>,
    },
    /// A filter result, answering [`Effect::Filter`].
    Filtered {
        generation: u64,
        outcome: Result<FilterOutcome, String>,
    },
    /// The matches of filter `generation` ordered by score, best first: the second answer to
    /// an [`Effect::Filter`] asking for ranking, after its [`Event::Filtered`]. It comes twice:
    /// first only the best rows (`complete` false), as soon as they are known, then all.
    Ranked {
        generation: u64,
        ranked: Vec<u32>,
        complete: bool,
    },
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: leave now, restoring the terminal.
    Terminate,
    /// SIGTSTP (Ctrl-Z from a shell, `kill -TSTP`): give the terminal back and stop. Handled
    /// by the event loop, which owns the terminal; the state does not change.
    Suspend,
    /// SIGCONT: the process runs again; the event loop takes the terminal back and redraws.
    Continued,
    /// An export, pipe, pager, editor or copy finished, answering the act effects.
    Acted(Acted),
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::Key(key) => write!(f, "Key({key:?})"),
            Event::Mouse(mouse) => write!(f, "Mouse({mouse:?})"),
            Event::Resize { width, height } => write!(f, "Resize({width}x{height})"),
            Event::Progress(p) => write!(f, "Progress({p:?})"),
            Event::Loaded(r) => write!(f, "Loaded(ok: {})", r.is_ok()),
            Event::DetailReady { request, .. } => write!(f, "DetailReady({request})"),
            Event::Highlighted { msg, lines } => {
                write!(f, "Highlighted({msg}, {} lines)", lines.len())
            }
            Event::Filtered { generation, .. } => write!(f, "Filtered({generation})"),
            Event::Ranked {
                generation,
                ranked,
                complete,
            } => {
                let part = if *complete { "" } else { " first" };
                write!(f, "Ranked({generation}, {}{part} matches)", ranked.len())
            }
            Event::Terminate => write!(f, "Terminate"),
            Event::Suspend => write!(f, "Suspend"),
            Event::Continued => write!(f, "Continued"),
            Event::Acted(acted) => write!(f, "Acted({acted:?})"),
        }
    }
}

/// How far loading has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub messages: usize,
}

/// A loaded archive and the warnings of loading it.
pub struct Loaded {
    pub archive: Arc<dyn ArchiveView>,
    /// What the title bar calls it.
    pub label: String,
    pub warnings: Vec<String>,
    /// The list's first order, sorted by the loader so the UI thread does not; used when it is
    /// for the list's key and direction.
    pub order: Option<crate::index::order::Sorted>,
}

/// Marks the characters of a message's title (by message index) that a filter matched, as
/// char indices, for the list to highlight; built by the filter worker around its query.
pub type TitleMarks = Arc<dyn Fn(u32) -> Vec<usize> + Send + Sync>;

/// The messages a query matched.
#[derive(Clone)]
pub struct FilterOutcome {
    /// Matching message indices in archive order.
    pub matched: Vec<u32>,
    /// The same, best match first; empty when ranking was not asked for, only the best rows
    /// while the rest are being ranked ([`crate::app::FilterState::ranking_rest`]).
    pub ranked: Vec<u32>,
    pub marks: TitleMarks,
}

/// Work `update` asks the event loop to do off the UI thread.
#[derive(Debug)]
pub enum Effect {
    /// Parse message `msg`'s body and lay out its detail document in `view`.
    LoadDetail {
        request: u64,
        msg: u32,
        view: super::detail::View,
    },
    /// Decorate diff lines `lines` of message `msg`, whose parsed body is `body`: changed
    /// words, and syntax colours when `syntax`.
    Highlight {
        msg: u32,
        body: Arc<PatchBody>,
        syntax: bool,
        lines: Range<usize>,
    },
    /// Run `query` over the archive; `ranked` asks for the matches by score as well.
    Filter {
        generation: u64,
        query: String,
        ranked: bool,
    },
    /// Export, pipe, open in the pager or editor, or copy (see [`ActEffect`]).
    Act(ActEffect),
    /// Ctrl-Z typed in the reader (raw mode delivers it as a key, not as SIGTSTP): give the
    /// terminal back and stop, as job control does; SIGCONT (`fg`) takes it back.
    Suspend,
}

impl Effect {
    /// Whether the effect needs the terminal (it writes to it or hands it to a program), so
    /// the event loop runs it itself rather than on a worker.
    pub fn needs_terminal(&self) -> bool {
        match self {
            Effect::Act(act) => act.needs_terminal(),
            Effect::Suspend => true,
            _ => false,
        }
    }
}
