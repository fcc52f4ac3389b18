//! Which patches an export writes: a whole series for any message of it (b4's `am <msgid>`),
//! the newest version a thread holds unless a version is asked for, and never two versions
//! of one series in one mbox by accident.

use std::collections::{BTreeMap, BTreeSet};

use super::ExportError;
use crate::index::archive::Archive;
use crate::model::message::Kind;

/// The patches of the series message `idx` belongs to (a cover letter, a patch or a reply),
/// as b4 picks them from a thread: of the versions the thread holds, the newest (by date, as
/// `get_latest_revision`), or `version` when given (looked for among the thread's versions,
/// then among other threads' versions of the same work). A partial reroll comes with the
/// patches it takes from the version before. Returns the series id and its patches.
pub fn series_for(
    archive: &Archive,
    idx: u32,
    version: Option<u32>,
) -> Result<(Option<u32>, Vec<u32>), ExportError> {
    let Some(own) = archive.series_of(idx) else {
        let lone = archive
            .messages
            .get(idx as usize)
            .is_some_and(|m| m.kind == Kind::Patch);
        return match (lone, version) {
            (true, None | Some(1)) => Ok((None, vec![idx])),
            _ => Err(ExportError::Nothing),
        };
    };
    let in_thread = thread_versions(archive, own);
    let chosen = match version {
        None => in_thread
            .iter()
            .copied()
            .max_by_key(|&s| (series_date(archive, s), s))
            .unwrap_or(own),
        Some(v) => {
            let linked = archive.versions(own);
            let found = in_thread
                .iter()
                .chain(linked)
                .copied()
                .find(|&s| archive.series(s).is_some_and(|s| s.version == v));
            match found {
                Some(s) => s,
                None => {
                    let have: BTreeSet<u32> = in_thread
                        .iter()
                        .chain(linked)
                        .filter_map(|&s| archive.series(s))
                        .map(|s| s.version)
                        .collect();
                    return Err(ExportError::NoSuchVersion {
                        version: v,
                        have: have.into_iter().collect(),
                    });
                }
            }
        }
    };
    Ok((Some(chosen), am_patches(archive, chosen)))
}

/// The patches of series `id` in order, those a partial reroll takes from before included.
pub fn am_patches(archive: &Archive, id: u32) -> Vec<u32> {
    archive
        .series(id)
        .map(|s| s.am_patches().into_iter().map(|(_, m)| m).collect())
        .unwrap_or_default()
}

/// The series of one thread that are versions of one submission with `id` (itself
/// included): those whose first message sits in the same thread, as the reader threads it.
fn thread_versions(archive: &Archive, id: u32) -> Vec<u32> {
    let Some(series) = archive.series(id) else {
        return Vec::new();
    };
    let threads = archive.threads();
    let root = threads.root(series.root);
    let mut out: Vec<u32> = archive
        .series
        .iter()
        .filter(|s| s.total == series.total || s.id == id)
        .filter(|s| s.id == id || threads.root(s.root) == root)
        .map(|s| s.id)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn series_date(archive: &Archive, id: u32) -> i64 {
    let Some(s) = archive.series(id) else {
        return i64::MIN;
    };
    s.am_patches()
        .into_iter()
        .map(|(_, m)| m)
        .chain(s.cover)
        .filter_map(|m| archive.messages.get(m as usize)?.date.map(|d| d.unix))
        .max()
        .unwrap_or(i64::MIN)
}

/// The patches to export for a selection: every patch chosen, plus for a cover letter or a
/// reply the patches of its own series; in series order, each series by patch number.
pub fn patches_for(archive: &Archive, chosen: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for &idx in chosen {
        let Some(m) = archive.messages.get(idx as usize) else {
            continue;
        };
        match m.kind {
            Kind::Patch => out.push(idx),
            Kind::Cover | Kind::Reply => {
                if let Some(s) = archive.series_of(idx) {
                    out.extend(am_patches(archive, s));
                }
            }
            Kind::Pull | Kind::Other => {}
        }
    }
    order(archive, &mut out);
    out
}

/// Series order: by the series' root message (its date), then patch number; duplicates
/// dropped.
fn order(archive: &Archive, patches: &mut Vec<u32>) {
    patches.sort_by_key(|&i| {
        let series = archive.series_of(i).and_then(|s| archive.series(s));
        let root = series.map_or(i, |s| s.root);
        let number = archive.messages[i as usize].subject.number.unwrap_or(1);
        (root, number, i)
    });
    patches.dedup();
}

/// Refuses a set of patches holding two versions of one series (linked versions of one work,
/// or rounds of one thread): names the series and its versions.
pub fn check_one_version(archive: &Archive, patches: &[u32]) -> Result<(), ExportError> {
    let series = owning_series(archive, patches);
    // Group the series by work: the oldest linked version stands for the work.
    let mut works: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for &id in &series {
        if archive.series(id).is_none() {
            continue;
        }
        let work = archive.versions(id).first().copied().unwrap_or(id);
        works.entry(work).or_default().insert(id);
    }
    for ids in works.values() {
        let versions: BTreeSet<u32> = ids
            .iter()
            .filter_map(|&id| archive.series(id))
            .map(|s| s.version)
            .collect();
        if versions.len() > 1
            && let Some(s) = ids.iter().next().and_then(|&id| archive.series(id))
        {
            return Err(ExportError::SeveralVersions {
                title: s.title.clone(),
                versions: versions.into_iter().collect(),
            });
        }
    }
    Ok(())
}

/// `10 patches of v2`, `3 patches of 2 series`: what an export of `patches` writes.
pub fn describe(archive: &Archive, patches: &[u32]) -> String {
    let n = patches.len();
    let noun = if n == 1 { "patch" } else { "patches" };
    let series = owning_series(archive, patches);
    let versions: BTreeSet<u32> = series
        .iter()
        .filter_map(|&s| archive.series(s))
        .map(|s| s.version)
        .collect();
    match (series.len(), versions.iter().next()) {
        (0 | 1, Some(&v)) => format!("{n} {noun} of v{v}"),
        (0 | 1, None) => format!("{n} {noun}"),
        (k, _) => format!("{n} {noun} of {k} series"),
    }
}

/// The series `patches` are exported as: each patch's own, except that a patch a partial
/// reroll in the set took from the version before counts as the reroll's.
fn owning_series(archive: &Archive, patches: &[u32]) -> BTreeSet<u32> {
    let all: BTreeSet<u32> = patches
        .iter()
        .filter_map(|&p| archive.series_of(p))
        .collect();
    let borrowed: BTreeSet<u32> = all
        .iter()
        .filter_map(|&s| archive.series(s))
        .flat_map(|s| s.rerolled.iter().map(|&(_, m)| m))
        .collect();
    patches
        .iter()
        .filter(|p| !borrowed.contains(p))
        .filter_map(|&p| archive.series_of(p))
        .collect()
}
