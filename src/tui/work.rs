//! The work effects stand for, as plain functions over a loaded [`Archive`]: lay out a
//! message's detail, run a filter. The [`super::runtime`] calls
//! them on its worker threads; tests call them directly.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::app::FilterOutcome;
use crate::app::detail::doc::{self, DetailDoc};
use crate::index::archive::Archive;
use crate::index::filter::{Cancel, Engine, First, Order, Query, RunOptions};

/// The interdiff document of message `msg`: what changed in its series since the previous
/// version.
pub fn interdiff_doc(archive: &Archive, msg: u32) -> DetailDoc {
    let rows = crate::index::interdiff::of_message(archive, msg, None)
        .map(|interdiff| interdiff.rows(archive))
        .map_err(|e| e.to_string());
    doc::build_interdiff(msg, archive.series_line(msg).as_deref(), rows)
}

/// Runs one filter: the matches in archive (date) order, and the parsed query for ranking
/// them next. `None` when a newer generation superseded it while it ran.
pub fn filter(
    engine: &mut Engine,
    archive: &Arc<Archive>,
    text: &str,
    cancel: Option<(&AtomicU64, u64)>,
) -> Option<Result<(FilterOutcome, Arc<Query>), String>> {
    let query = match Query::parse(text) {
        Ok(query) => Arc::new(query),
        Err(error) => return Some(Err(error.to_string())),
    };
    let bodies = |doc: u32| Some(archive.body_text(doc));
    let options = RunOptions {
        order: Order::Archive,
        cancel: cancel.map(|(current, generation)| Cancel {
            current,
            generation,
        }),
        bodies: Some(&bodies),
        ..RunOptions::default()
    };
    let matches = engine.run(archive.haystacks(), &query, &options)?;
    let marks = {
        let archive = Arc::clone(archive);
        let query = Arc::clone(&query);
        Arc::new(move |msg: u32| archive.haystacks().match_positions(msg, &query))
    };
    let outcome = FilterOutcome {
        matched: matches.docs,
        ranked: Vec::new(),
        marks,
    };
    Some(Ok((outcome, query)))
}

/// Orders a filter's matches (archive order) by score, best first; `None` when a newer
/// generation superseded it while it ran. The best `first` rows go to `publish` as soon as
/// they are known, before the others are ranked.
pub fn rank(
    engine: &mut Engine,
    archive: &Archive,
    query: &Query,
    matched: &[u32],
    cancel: Option<(&AtomicU64, u64)>,
    first: usize,
    publish: &mut dyn FnMut(Vec<u32>),
) -> Option<Vec<u32>> {
    let cancel = cancel.map(|(current, generation)| Cancel {
        current,
        generation,
    });
    let first = First {
        rows: first,
        publish,
    };
    engine.rank(
        archive.haystacks(),
        query,
        matched,
        cancel.as_ref(),
        Some(first),
    )
}
