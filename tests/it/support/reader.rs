//! Drives the reader without a terminal: the real [`App`] and [`Runtime`] (loading, detail,
//! filter and highlight workers), keys typed through the key map, the screen rendered into a
//! buffer. Waiting on background work polls the app's state with a deadline, never sleeps.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use patchdeck::app::{self, App, Event, Settings, keyseq};
use patchdeck::model::patch::ReadOptions;
use patchdeck::source::Input;
use patchdeck::tui::runtime::Runtime;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// How long background work may take before a test fails.
const DEADLINE: Duration = Duration::from_secs(20);

pub struct Reader {
    pub app: App,
    pub runtime: Runtime,
}

/// The bundled sample archive (the two seed digests).
pub fn sample() -> (Vec<Input>, Option<String>) {
    (
        patchdeck::sample::inputs(),
        Some(patchdeck::sample::LABEL.to_string()),
    )
}

/// A fixture of this crate.
pub fn fixture(name: &str) -> Vec<Input> {
    vec![Input::Path(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name),
    )]
}

/// A file of the shared corpora as the reader's input, or `None` (with a note) when it is
/// missing outside CI.
pub fn corpus(relative: &str) -> Option<Vec<Input>> {
    super::corpus::corpus(relative).map(|path| vec![Input::Path(path)])
}

impl Reader {
    /// Opens the reader on `inputs` in a terminal of `width` x `height`, colour on, and waits
    /// until the archive is loaded and the first message shown.
    pub fn open(inputs: Vec<Input>, label: Option<String>, width: u16, height: u16) -> Reader {
        Reader::open_with(inputs, label, width, height, true)
    }

    pub fn open_with(
        inputs: Vec<Input>,
        label: Option<String>,
        width: u16,
        height: u16,
        color: bool,
    ) -> Reader {
        Reader::open_reading(inputs, label, width, height, color, ReadOptions::default())
    }

    /// [`Reader::open_with`] reading bodies with `read` (the config's `[mail]` settings).
    pub fn open_reading(
        inputs: Vec<Input>,
        label: Option<String>,
        width: u16,
        height: u16,
        color: bool,
        read: ReadOptions,
    ) -> Reader {
        let first = label.clone().unwrap_or_else(|| "archive".into());
        let settings = Settings {
            color,
            ..Settings::default()
        };
        let app = App::new(settings, Rect::new(0, 0, width, height), first);
        let sort = app.list.sort;
        let runtime = Runtime::start_with(inputs, label, read, sort);
        let mut reader = Reader { app, runtime };
        reader.settle();
        reader
    }

    /// Types a key sequence (`j j /pfn<enter>`), letting background work finish after each key.
    pub fn keys(&mut self, sequence: &str) {
        for key in keyseq::parse(sequence).unwrap_or_else(|e| panic!("{e}")) {
            self.send(Event::Key(key));
        }
    }

    /// Feeds one event and lets what it started finish.
    pub fn send(&mut self, event: Event) {
        let effects = app::update(&mut self.app, event);
        self.runtime.dispatch(effects);
        self.settle();
    }

    /// Waits until loading, the detail and the filter are all done.
    pub fn settle(&mut self) {
        self.until("the reader to settle", |app| {
            app.load.done
                && app.detail.pending.is_none()
                && !app.filter.running
                && !app.filter.ranking
                && (app.list.selected().is_none() || app.detail.doc().is_some())
        });
    }

    /// Applies events until `ready` holds; fails the test at the deadline.
    pub fn until(&mut self, what: &str, ready: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            while let Some(event) = self.runtime.try_recv() {
                let effects = app::update(&mut self.app, event);
                self.runtime.dispatch(effects);
            }
            // The screen is drawn on demand here: the list counts as shown once loaded.
            if self.app.load.done {
                self.runtime.list_shown();
            }
            if ready(&self.app) {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}");
            if let Some(event) = self
                .runtime
                .recv_timeout(left.min(Duration::from_millis(50)))
            {
                let effects = app::update(&mut self.app, event);
                self.runtime.dispatch(effects);
            }
        }
    }

    /// The screen as drawn now.
    pub fn buffer(&self) -> Buffer {
        let mut buffer = Buffer::empty(self.app.size);
        patchdeck::ui::render(&self.app, self.app.size, &mut buffer);
        buffer
    }

    /// The screen as text, one line per row, trailing blanks trimmed.
    pub fn screen(&self) -> String {
        screen_text(&self.buffer())
    }

    /// Resizes the terminal.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.send(Event::Resize { width, height });
    }
}

pub fn screen_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        for x in area.left()..area.right() {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The row of the screen holding `text`, and the column where it starts.
pub fn find(buffer: &Buffer, text: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut columns = Vec::new();
        for x in area.left()..area.right() {
            let symbol = buffer[(x, y)].symbol();
            for _ in symbol.chars() {
                columns.push(x);
            }
            line.push_str(symbol);
        }
        if let Some(byte) = line.find(text) {
            let char_index = line[..byte].chars().count();
            return Some((columns[char_index], y));
        }
    }
    None
}
