//! Application state and `update`: what the reader shows and how user intents change it.

pub mod act;
pub mod action;
pub mod archive_view;
pub mod detail;
pub mod event;
pub mod keymap;
pub mod keyseq;
pub mod layout;
pub mod list;
pub mod prompt;
pub mod reading;
pub mod settings;
#[cfg(test)]
pub mod testing;
mod update;
mod versions;

use std::sync::Arc;

use ratatui::layout::Rect;

pub use self::action::Action;
pub use self::archive_view::ArchiveView;
pub use self::event::{Effect, Event, FilterOutcome, Loaded, Progress, TitleMarks};
pub use self::keymap::KeyMap;
pub use self::layout::Pane;
pub use self::update::update;

use self::detail::DetailState;
use self::layout::Areas;
use self::list::ListModel;
use self::prompt::Prompt;
pub use self::settings::Settings;
use self::settings::{Column, Palette};
use crate::model::diff::FileStat;

/// Where loading is.
#[derive(Default)]
pub struct LoadState {
    /// What was asked for, shown until the archive names itself.
    pub label: String,
    pub progress: Option<Progress>,
    pub done: bool,
    /// Nothing could be read: the reason.
    pub error: Option<String>,
    pub warnings: Vec<String>,
    /// How many of the loaded messages are patches, for the title bar.
    pub patches: usize,
}

/// The filter bar.
#[derive(Default)]
pub struct FilterState {
    pub prompt: Prompt,
    /// The bar has the keys.
    pub editing: bool,
    /// Generation of the latest filter requested; results of earlier ones are dropped.
    pub generation: u64,
    /// Whether a requested filter has not answered yet.
    pub running: bool,
    /// The shown matches wait for their order by score (the filter's second answer).
    pub ranking: bool,
    /// The best matches by score are shown, and the others wait for their order.
    pub ranking_rest: bool,
    /// The query of the rows shown and its matches; `None` shows every message.
    pub applied: Option<(String, FilterOutcome)>,
    /// Why the query could not run, shown in red in the bar.
    pub error: Option<String>,
    /// Order matches by score rather than by the sort key.
    pub by_score: bool,
}

impl FilterState {
    /// How many messages the shown filter matched.
    pub fn matched(&self) -> Option<usize> {
        self.applied.as_ref().map(|(_, o)| o.matched.len())
    }
}

/// The diffstat pane's cursor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffstatState {
    pub cursor: usize,
    pub offset: usize,
}

/// Everything the reader shows. `ui` draws it; [`update`] changes it.
pub struct App {
    pub keymap: KeyMap,
    /// Draw with colours (off under `NO_COLOR`), which also skips syntax highlighting.
    pub color: bool,
    pub archive: Option<Arc<dyn ArchiveView>>,
    series_of: Vec<Option<u32>>,
    pub load: LoadState,
    pub list: ListModel,
    pub detail: DetailState,
    pub diffstat: DiffstatState,
    pub filter: FilterState,
    pub focus: Pane,
    pub zoom: Option<Pane>,
    /// The help overlay is open, scrolled this many lines.
    pub help: Option<usize>,
    /// The terminal's size.
    pub size: Rect,
    /// A one-off note for the status line (`sorted by author`), cleared by the next key.
    pub note: Option<String>,
    /// Marks and the export/pipe prompt.
    pub act: act::ActState,
    /// The colours of the theme.
    pub palette: Palette,
    /// The list pane's columns.
    pub columns: Vec<Column>,
    /// Messages read in the detail pane this session.
    pub read: reading::ReadMarks,
    pub quit: bool,
    next_request: u64,
}

impl App {
    /// A reader configured by `settings` for an archive still loading, named `label` until it
    /// is loaded, in a terminal of `size`.
    pub fn new(settings: Settings, size: Rect, label: String) -> App {
        let Settings {
            keymap,
            color,
            palette,
            columns,
            sort,
        } = settings;
        App {
            keymap,
            color,
            archive: None,
            series_of: Vec::new(),
            load: LoadState {
                label,
                ..LoadState::default()
            },
            list: ListModel::sorted_by(sort),
            detail: DetailState::default(),
            diffstat: DiffstatState::default(),
            filter: FilterState::default(),
            focus: Pane::List,
            zoom: None,
            help: None,
            size,
            note: None,
            act: act::ActState::default(),
            palette,
            columns,
            read: reading::ReadMarks::default(),
            quit: false,
            next_request: 0,
        }
    }

    /// Where the panes are now.
    pub fn areas(&self) -> Areas {
        let rows = u16::try_from(self.diffstat_files().len().saturating_add(1)).unwrap_or(u16::MAX);
        layout::areas(self.size, self.zoom, rows)
    }

    /// The messages of the archive (none while loading).
    pub fn messages(&self) -> &[crate::model::message::Message] {
        self.archive.as_ref().map_or(&[], |a| a.messages())
    }

    /// The files the diffstat pane lists: the shown document's, or before it arrives, those
    /// the selected message's summary recorded at load.
    pub fn diffstat_files(&self) -> &[FileStat] {
        if let Some(doc) = self.detail.doc() {
            if self.list.selected() == Some(doc.msg) {
                return &doc.stats;
            }
        }
        self.list
            .selected()
            .and_then(|msg| self.messages().get(msg as usize))
            .map_or(&[], |m| &m.summary.files)
    }

    /// The totals under the diffstat pane: the selected message's insertions and deletions
    /// (its diff's, or its diffstat summary line's).
    pub fn diffstat_totals(&self) -> (u32, u32) {
        self.list
            .selected()
            .and_then(|msg| self.messages().get(msg as usize))
            .map_or((0, 0), |m| (m.summary.insertions, m.summary.deletions))
    }

    /// The series a message belongs to.
    pub fn series_of(&self, msg: u32) -> Option<u32> {
        self.series_of.get(msg as usize).copied().flatten()
    }

    fn request_id(&mut self) -> u64 {
        self.next_request += 1;
        self.next_request
    }
}
