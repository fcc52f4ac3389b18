//! Runs effects off the UI thread and brings their results back as events, all on one channel
//! with the terminal's input, so the event loop waits in one place.
//!
//! Three long-lived workers, each draining its queue to the newest job so that a burst of
//! keystrokes costs one run, not one per key: the detail worker (parse a body, lay out its
//! document), the filter worker (owns the filter engine, so a query that extends the previous
//! one re-checks only its matches; a newer query cancels a running one through a shared
//! generation counter), and the highlight worker (owns the syntect highlighters, whose parser
//! state cannot leave its thread). Loading runs on its own thread and hands the archive to the
//! others.

use crate::model::patch::ReadOptions;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use super::work;
use crate::app::act::{ActEffect, Acted};
use crate::app::detail::View;
use crate::app::{ArchiveView, Effect, Event, Loaded, Progress};
use crate::highlight::HighlightCache;
use crate::index::archive::Archive;
use crate::index::filter::Engine;
use crate::index::order::{self, SortKey};
use crate::model::patch::PatchBody;
use crate::source::Input;

/// Loading progress is reported at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);
/// How many messages' highlighters the highlight worker keeps.
const HIGHLIGHTERS_KEPT: usize = 8;
/// The ranked rows handed to the list before the rest of the matches are ranked: a few
/// screens of the tallest list.
const FIRST_RANKED: usize = 256;
/// How long the loader waits for the loaded list to be drawn ([`Runtime::list_shown`]) before
/// it builds the search haystacks anyway: building them takes every core, and on a big list
/// the first drawing of its rows and counts would wait for a core.
const HAYSTACKS_WAIT: Duration = Duration::from_secs(1);

enum FilterJob {
    Ready(Arc<Archive>),
    Run {
        generation: u64,
        query: String,
        ranked: bool,
    },
}

struct HighlightJob {
    msg: u32,
    body: Arc<PatchBody>,
    syntax: bool,
    lines: std::ops::Range<usize>,
}

/// The event channel and the workers that feed it.
pub struct Runtime {
    events: Receiver<Event>,
    sender: Sender<Event>,
    archive: Arc<OnceLock<Arc<Archive>>>,
    details: Sender<(u64, u32, View)>,
    filters: Sender<FilterJob>,
    filter_generation: Arc<AtomicU64>,
    /// Tells the loader the loaded list is on screen.
    shown: SyncSender<()>,
    highlights: Sender<HighlightJob>,
}

impl Runtime {
    /// Starts the workers and loading `inputs`; `label`, when given, replaces the archive's
    /// own name in the title bar (the bundled sample is "sample archive").
    pub fn start(inputs: Vec<Input>, label: Option<String>) -> Runtime {
        Runtime::start_with(inputs, label, ReadOptions::default(), SortKey::default())
    }

    /// [`Runtime::start`] reading message bodies with `read` (the user's `[mail]` settings),
    /// for a list that starts in `sort` order (the loader sorts for it).
    pub fn start_with(
        inputs: Vec<Input>,
        label: Option<String>,
        read: ReadOptions,
        sort: SortKey,
    ) -> Runtime {
        let (sender, events) = mpsc::channel();
        let archive: Arc<OnceLock<Arc<Archive>>> = Arc::new(OnceLock::new());
        let filter_generation = Arc::new(AtomicU64::new(0));
        let details = spawn_detail_worker(sender.clone(), Arc::clone(&archive));
        let filters = spawn_filter_worker(sender.clone(), Arc::clone(&filter_generation));
        let highlights = spawn_highlight_worker(sender.clone());
        let (shown, list_drawn) = mpsc::sync_channel(1);
        spawn_loader(
            inputs,
            label,
            read,
            sort,
            sender.clone(),
            Arc::clone(&archive),
            filters.clone(),
            list_drawn,
        );
        Runtime {
            events,
            sender,
            archive,
            details,
            filters,
            filter_generation,
            highlights,
            shown,
        }
    }

    /// The loaded archive's list has been drawn: the loader may take every core to build the
    /// search haystacks (it does after a second anyway). Call after drawing, once
    /// loading is done; calling again does nothing.
    pub fn list_shown(&self) {
        let _ = self.shown.try_send(());
    }

    /// A sender for other event sources (terminal input, signals).
    pub fn sender(&self) -> Sender<Event> {
        self.sender.clone()
    }

    /// Hands effects to their workers.
    pub fn dispatch(&self, effects: Vec<Effect>) {
        for effect in effects {
            // A worker gone means the process is ending; nothing to report to.
            let _ = match effect {
                Effect::LoadDetail { request, msg, view } => {
                    self.details.send((request, msg, view)).map_err(drop)
                }
                Effect::Highlight {
                    msg,
                    body,
                    syntax,
                    lines,
                } => self
                    .highlights
                    .send(HighlightJob {
                        msg,
                        body,
                        syntax,
                        lines,
                    })
                    .map_err(drop),
                Effect::Act(ActEffect::Export {
                    messages,
                    path,
                    force,
                }) => {
                    self.export(messages, path, force);
                    Ok(())
                }
                // The event loop runs the others itself: they need the terminal.
                Effect::Act(_) | Effect::Suspend => Ok(()),
                Effect::Filter {
                    generation,
                    query,
                    ranked,
                } => {
                    self.filter_generation.store(generation, Ordering::Relaxed);
                    self.filters
                        .send(FilterJob::Run {
                            generation,
                            query,
                            ranked,
                        })
                        .map_err(drop)
                }
            };
        }
    }

    /// Writes an export on a thread of its own and reports how it went.
    fn export(&self, messages: Vec<u32>, path: String, force: bool) {
        let events = self.sender.clone();
        let Some(archive) = self.archive.get().cloned() else {
            let _ = events.send(Event::Acted(Acted::Failed(
                "the archive is still loading".into(),
            )));
            return;
        };
        let spawned = thread::Builder::new().name("export".into()).spawn({
            let events = events.clone();
            move || {
                let acted = super::act::export(&archive, &messages, &path, force);
                let _ = events.send(Event::Acted(acted));
            }
        });
        if let Err(error) = spawned {
            let _ = events.send(Event::Acted(Acted::Failed(format!(
                "cannot start the export: {error}"
            ))));
        }
    }

    /// The next event, waiting at most `timeout`.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }

    /// The next event, waiting for it.
    pub fn recv(&self) -> Option<Event> {
        self.events.recv().ok()
    }

    /// An event already waiting, if any.
    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// The loaded archive, once loading is done.
    pub fn archive(&self) -> Option<&Arc<Archive>> {
        self.archive.get()
    }
}

fn spawn_loader(
    inputs: Vec<Input>,
    label: Option<String>,
    read: ReadOptions,
    sort: SortKey,
    events: Sender<Event>,
    slot: Arc<OnceLock<Arc<Archive>>>,
    filters: Sender<FilterJob>,
    list_drawn: Receiver<()>,
) {
    let failed = events.clone();
    let spawned = thread::Builder::new().name("load".into()).spawn(move || {
        let last = Mutex::new(Instant::now() - PROGRESS_EVERY);
        let progress_events = events.clone();
        let progress = move |p: crate::index::archive::LoadProgress| {
            let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() >= PROGRESS_EVERY {
                *last = Instant::now();
                let _ = progress_events.send(Event::Progress(Progress {
                    bytes_done: p.bytes_done,
                    bytes_total: p.bytes_total,
                    messages: p.messages,
                }));
            }
        };
        match Archive::load(&inputs, &progress) {
            Ok(mut archive) => {
                archive.set_read_options(read);
                let label = label.unwrap_or_else(|| archive.label().to_string());
                let warnings = archive.warnings.clone();
                let archive = Arc::new(archive);
                let _ = slot.set(Arc::clone(&archive));
                let order = order::sorted(archive.catalog(), sort, false);
                let view: Arc<dyn ArchiveView> = archive.clone();
                let _ = events.send(Event::Loaded(Ok(Loaded {
                    archive: view,
                    label,
                    warnings,
                    order: Some(order),
                })));
                // The haystacks follow for the filter bar, once the list is on screen.
                let _ = list_drawn.recv_timeout(HAYSTACKS_WAIT);
                archive.haystacks();
                let _ = filters.send(FilterJob::Ready(archive));
            }
            Err(error) => {
                let _ = events.send(Event::Loaded(Err(error.to_string())));
            }
        }
    });
    if let Err(error) = spawned {
        let _ = failed.send(Event::Loaded(Err(format!("cannot start loading: {error}"))));
    }
}

/// Receives everything waiting on `jobs` after `first`, returning all of them in order.
fn drain<T>(first: T, jobs: &Receiver<T>) -> Vec<T> {
    let mut all = vec![first];
    all.extend(jobs.try_iter());
    all
}

fn spawn_detail_worker(
    events: Sender<Event>,
    archive: Arc<OnceLock<Arc<Archive>>>,
) -> Sender<(u64, u32, View)> {
    let (sender, jobs) = mpsc::channel::<(u64, u32, View)>();
    let _ = thread::Builder::new().name("detail".into()).spawn(move || {
        while let Ok(first) = jobs.recv() {
            // Only the newest request matters: the cursor has moved on from the others.
            let Some((request, msg, view)) = drain(first, &jobs).pop() else {
                continue;
            };
            let Some(archive) = archive.get() else {
                continue;
            };
            let doc = Arc::new(match view {
                View::Message => crate::app::detail::doc::for_message(archive, msg),
                View::Interdiff => work::interdiff_doc(archive, msg),
            });
            if events.send(Event::DetailReady { request, doc }).is_err() {
                break;
            }
        }
    });
    sender
}

fn spawn_filter_worker(events: Sender<Event>, current: Arc<AtomicU64>) -> Sender<FilterJob> {
    let (sender, jobs) = mpsc::channel::<FilterJob>();
    let _ = thread::Builder::new().name("filter".into()).spawn(move || {
        let mut engine = Engine::new();
        let mut ready: Option<Arc<Archive>> = None;
        let mut waiting: Option<(u64, String, bool)> = None;
        while let Ok(first) = jobs.recv() {
            for job in drain(first, &jobs) {
                match job {
                    FilterJob::Ready(archive) => ready = Some(archive),
                    FilterJob::Run {
                        generation,
                        query,
                        ranked,
                    } => waiting = Some((generation, query, ranked)),
                }
            }
            let (Some(archive), Some((generation, query, ranked))) = (&ready, &waiting) else {
                continue;
            };
            let (generation, ranked) = (*generation, *ranked);
            let cancel = Some((current.as_ref(), generation));
            let outcome = work::filter(&mut engine, archive, query, cancel);
            waiting = None;
            // Cancelled: a newer query is already queued and will answer instead.
            let Some(outcome) = outcome else {
                continue;
            };
            // The count and the date-ordered rows go out first; ranking follows, as a second
            // result a newer keystroke cancels.
            let (outcome, to_rank) = match outcome {
                Ok((outcome, query)) => {
                    let to_rank = (ranked && !outcome.matched.is_empty())
                        .then(|| (query, outcome.matched.clone()));
                    (Ok(outcome), to_rank)
                }
                Err(error) => (Err(error), None),
            };
            if events
                .send(Event::Filtered {
                    generation,
                    outcome,
                })
                .is_err()
            {
                break;
            }
            let Some((query, matched)) = to_rank else {
                continue;
            };
            // The best rows first, as soon as they are known; then the whole order.
            let mut gone = false;
            let mut publish = |ranked: Vec<u32>| {
                let first = Event::Ranked {
                    generation,
                    ranked,
                    complete: false,
                };
                gone |= events.send(first).is_err();
            };
            let ranked = work::rank(
                &mut engine,
                archive,
                &query,
                &matched,
                cancel,
                FIRST_RANKED,
                &mut publish,
            );
            if gone {
                break;
            }
            if let Some(ranked) = ranked {
                let all = Event::Ranked {
                    generation,
                    ranked,
                    complete: true,
                };
                if events.send(all).is_err() {
                    break;
                }
            }
        }
    });
    sender
}

fn spawn_highlight_worker(events: Sender<Event>) -> Sender<HighlightJob> {
    let (sender, jobs) = mpsc::channel::<HighlightJob>();
    let _ = thread::Builder::new()
        .name("highlight".into())
        .spawn(move || {
            let mut cache = HighlightCache::new(HIGHLIGHTERS_KEPT);
            while let Ok(first) = jobs.recv() {
                // Every job is kept: the app asks for each chunk of a message once, so a skipped
                // one would stay grey when the reader comes back to that message.
                for job in drain(first, &jobs) {
                    let lines = cache.highlight(job.msg, &job.body, job.syntax, job.lines);
                    if events
                        .send(Event::Highlighted {
                            msg: job.msg,
                            lines,
                        })
                        .is_err()
                    {
                        return;
                    }
                }
            }
        });
    sender
}
