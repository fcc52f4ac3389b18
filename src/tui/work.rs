//! The work effects stand for, as plain functions over a loaded [`Archive`]: lay out a
//! message's detail, run a filter. The [`super::runtime`] calls
//! them on its worker threads; tests call them directly.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::app::FilterOutcome;
use crate::app::detail::doc::{self, DetailDoc};
use crate::index::archive::Archive;
use crate::index::filter::{Cancel, Engine, Order, Query, RunOptions};

/// The interdiff document of message `msg`: what changed in its series since the previous
/// version.
pub fn interdiff_doc(archive: &Archive, msg: u32) -> DetailDoc {
    let rows = crate::index::interdiff::of_message(archive, msg, None)
        .map(|interdiff| interdiff.rows(archive))
        .map_err(|e| e.to_string());
    doc::build_interdiff(msg, archive.series_line(msg).as_deref(), rows)
}

/// Runs one filter; `None` when a newer generation superseded it while it ran.
pub fn filter(
    engine: &mut Engine,
    archive: &Arc<Archive>,
    text: &str,
    ranked: bool,
    cancel: Option<(&AtomicU64, u64)>,
) -> Option<Result<FilterOutcome, String>> {
    let query = match Query::parse(text) {
        Ok(query) => Arc::new(query),
        Err(error) => return Some(Err(error.to_string())),
    };
    let bodies = |doc: u32| Some(archive.body_text(doc));
    let options = RunOptions {
        order: if ranked { Order::Score } else { Order::Archive },
        cancel: cancel.map(|(current, generation)| Cancel {
            current,
            generation,
        }),
        bodies: Some(&bodies),
        ..RunOptions::default()
    };
    let matches = engine.run(archive.haystacks(), &query, &options)?;
    let (matched, ranked) = if ranked {
        let mut matched = matches.docs.clone();
        matched.sort_unstable();
        (matched, matches.docs)
    } else {
        (matches.docs, Vec::new())
    };
    let archive = Arc::clone(archive);
    let marks = Arc::new(move |msg: u32| archive.haystacks().match_positions(msg, &query));
    Some(Ok(FilterOutcome {
        matched,
        ranked,
        marks,
    }))
}
