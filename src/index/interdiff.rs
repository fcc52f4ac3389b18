//! The interdiff of two versions of a series in a loaded archive: which series are compared
//! (the one asked for and, unless told, the version before it), their patches' bodies parsed,
//! and the comparison of [`crate::model::interdiff`]. `patchdeck interdiff` and the reader's
//! interdiff view both print what this returns.

use super::archive::Archive;
use crate::model::interdiff::{self, ChangeKind, PatchChange, PatchSide, Status};
use crate::model::patch::PatchBody;

/// What changed from one version of a series to another.
#[derive(Debug, Clone)]
pub struct Interdiff {
    /// The older series.
    pub from: u32,
    /// The newer series.
    pub to: u32,
    pub changes: Vec<PatchChange>,
}

/// Why there is nothing to compare.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterdiffError {
    #[error("the message is in no series")]
    NoSeries,
    #[error("this is the first known version of its series; nothing to compare it with")]
    NoEarlierVersion,
}

/// Compares the series of message `msg` with the series of message `against`, or with the
/// version before it when `against` is `None`.
pub fn of_message(
    archive: &Archive,
    msg: u32,
    against: Option<u32>,
) -> Result<Interdiff, InterdiffError> {
    let to = archive.series_of(msg).ok_or(InterdiffError::NoSeries)?;
    let from = match against {
        Some(other) => archive.series_of(other).ok_or(InterdiffError::NoSeries)?,
        None => archive
            .version_step(to, false)
            .ok_or(InterdiffError::NoEarlierVersion)?,
    };
    Ok(between(archive, from, to))
}

/// Compares series `from` (older) with series `to` (newer).
pub fn between(archive: &Archive, from: u32, to: u32) -> Interdiff {
    let patches = |series: u32| -> Vec<(u32, u32)> {
        archive
            .series(series)
            .map(|s| s.patches.clone())
            .unwrap_or_default()
    };
    let (old, new) = (patches(from), patches(to));
    let bodies = |list: &[(u32, u32)]| -> Vec<_> {
        list.iter().map(|&(_, m)| archive.body(m).patch).collect()
    };
    let (old_bodies, new_bodies) = (bodies(&old), bodies(&new));
    let changes = interdiff::compare(
        &sides(archive, &old, &old_bodies),
        &sides(archive, &new, &new_bodies),
    );
    Interdiff { from, to, changes }
}

/// The patches `(number, message)` of a series with their parsed bodies, for comparing.
fn sides<'a>(
    archive: &'a Archive,
    patches: &[(u32, u32)],
    bodies: &'a [PatchBody],
) -> Vec<PatchSide<'a>> {
    patches
        .iter()
        .zip(bodies)
        .map(|(&(number, m), body)| {
            let message = &archive.messages[m as usize];
            PatchSide {
                number,
                title: message.subject.title(),
                id: &message.id,
                body,
            }
        })
        .collect()
}

/// What a row of an interdiff's layout is, which decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Which versions are compared.
    Title,
    /// A patch's status line: `[2/4] changed    clk: foo: Fix bar`.
    Patch(Status),
    /// A line of a changed patch's changes.
    Change(ChangeKind),
    Blank,
}

/// One row of an interdiff as the reader and `patchdeck interdiff` show it. Text comes from
/// mail: whoever draws or prints it sanitises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub kind: RowKind,
    pub text: String,
}

impl Interdiff {
    /// The interdiff laid out for reading: which versions, a count by status, then each patch's
    /// status line followed by its changes, indented.
    pub fn rows(&self, archive: &Archive) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut push = |kind, text: String| rows.push(Row { kind, text });
        let describe = |id: u32| {
            archive.series(id).map_or_else(String::new, |s| {
                let m = &archive.messages[s.root as usize];
                let date = m.date.map(|d| d.rfc2822()).unwrap_or_default();
                format!("v{} <{}> {}", s.version, m.id, date)
            })
        };
        let title = archive.series(self.to).map_or("", |s| s.title.as_str());
        push(RowKind::Title, format!("Interdiff: {title}"));
        push(RowKind::Title, format!("from {}", describe(self.from)));
        push(RowKind::Title, format!("to   {}", describe(self.to)));
        let count = |status| self.changes.iter().filter(|c| c.status == status).count();
        push(
            RowKind::Title,
            format!(
                "{} unchanged, {} changed, {} added, {} removed",
                count(Status::Unchanged),
                count(Status::Changed),
                count(Status::Added),
                count(Status::Removed)
            ),
        );
        let total = |series: u32| archive.series(series).and_then(|s| s.total);
        let width = self
            .changes
            .iter()
            .map(|c| c.number)
            .max()
            .unwrap_or(0)
            .to_string()
            .len();
        for change in &self.changes {
            push(RowKind::Blank, String::new());
            let of = match change.status {
                Status::Removed => total(self.from),
                _ => total(self.to),
            };
            let position = match of {
                Some(of) => format!("{:0width$}/{of}", change.number),
                None => format!("{:0width$}", change.number),
            };
            push(
                RowKind::Patch(change.status),
                format!(
                    "[{position}] {:<9} {}",
                    change.status.as_str(),
                    change.title
                ),
            );
            for line in &change.lines {
                push(RowKind::Change(line.kind), format!("    {}", line.marked()));
            }
        }
        rows
    }
}
