//! Loading an archive: every message's headers, kind and body summary, read in parallel from
//! the mapped sources, then de-duplicated, put in date order and grouped into series.

use hashbrown::{HashSet, HashTable};
use std::borrow::Cow;
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::filter::{self, BodySource, Order};
use super::haystack::{Documents, Haystacks};
use super::ids::IdIndex;
use super::intern::{Sender, Shared, SharedSet};
use super::query::QueryError;
use super::rows::Rows;
use super::series::{self, Series, Works};
use super::thread::{self, Threads};
use crate::model::date::MailDate;
use crate::model::diff::FileStat;
use crate::model::message::{Address, Kind, Location, Message, Summary};
use crate::model::mime::{self, Field, HeaderBlock};
use crate::model::patch::{self, PatchBody, ReadOptions};
use crate::model::subject::Subject;
use crate::model::trailer::{self, Folded, Trailer, TrailerCounts};
use crate::model::version_links::VersionLinks;
use crate::source::{self, Input, Loaded, SourceError};

/// How far loading has come, for a progress line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadProgress {
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub messages: usize,
}

/// How many versions the series line lists before it shows only the neighbours.
const MAX_VERSIONS_SHOWN: usize = 10;

/// Nothing at all could be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("no input given")]
    NoInput,
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    NothingRead(Vec<SourceError>),
}

/// A message's body, parsed in full for reading.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The decoded text the parse was made from.
    pub text: String,
    pub patch: PatchBody,
    pub warnings: Vec<String>,
    /// The `To:` and `Cc:` headers, decoded: read here, with the body, rather than kept for
    /// every message (on a real list they are half of what a message's record would hold).
    pub to: String,
    pub cc: String,
}

/// A trailer another message gave on the list (a `Reviewed-by:` in a reply): where it is
/// among that reply's own trailers, not a copy (a big list gives hundreds of thousands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenTrailer {
    /// The reply that gave it.
    pub by: u32,
    /// Which of the reply's trailers ([`Summary::trailers`]) it is.
    pub index: u32,
    /// It names someone other than the reply's sender: b4 does not apply it, so it is shown
    /// ("given by `<sender>` for `<person>`") but neither counted nor exported.
    pub for_other: bool,
}

/// One trailer of a message as every view sees it: the list's counts, the detail pane,
/// `show`, `list --format json` and the export. See [`Archive::trailers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergedTrailer<'a> {
    pub trailer: &'a Trailer,
    /// The reply that gave it on the list; `None` for the message's own trailers.
    pub given_by: Option<u32>,
    /// Given for someone other than the sender of `given_by`: shown, not applied.
    pub for_other: bool,
}

impl MergedTrailer<'_> {
    /// Whether it counts and is exported (every trailer but one given for someone else).
    pub fn applies(&self) -> bool {
        !self.for_other
    }
}

/// A loaded archive: messages in date order, series, and the sources their bytes live in.
pub struct Archive {
    sources: Loaded,
    pub messages: Vec<Message>,
    pub series: Vec<Series>,
    /// For each message, the series it belongs to (a reply: the series of what it answers).
    series_of: Vec<Option<u32>>,
    /// The conversations: which message each one hangs under, in reading order.
    threads: Threads,
    /// The versions of each work (see [`Archive::versions`]).
    works: Works,
    /// For each message, trailers given to it in replies, stored once where they were given:
    /// a cover letter's apply to every patch of its series, resolved in [`Archive::trailers`].
    /// Trailers given on the list, by the message they were given to, each message's in the
    /// order they were given.
    given: Rows<GivenTrailer>,
    by_id: IdIndex,
    /// Problems with inputs that did not stop the load, one line each.
    pub warnings: Vec<String>,
    label: String,
    /// Built on first search, then kept.
    haystacks: OnceLock<Haystacks>,
    /// How [`Archive::body`] reads a message (scissors).
    read: ReadOptions,
}

impl Archive {
    /// Reads every input; `progress` is called as each window of messages (a few megabytes)
    /// has been read, and once at the end.
    pub fn load(
        inputs: &[Input],
        progress: &(dyn Fn(LoadProgress) + Sync),
    ) -> Result<Archive, LoadError> {
        if inputs.is_empty() {
            return Err(LoadError::NoInput);
        }
        let loaded = source::open(inputs);
        let warnings: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
        // An input that held no messages (an empty file) is an empty archive; only when
        // nothing at all could be read is the load an error.
        if loaded.messages.is_empty() && loaded.sources.is_empty() {
            return Err(LoadError::NothingRead(loaded.errors));
        }
        let label = match inputs {
            [one] => short_label(&one.label()),
            _ => format!("{} inputs", inputs.len()),
        };
        Ok(Archive::from_loaded(loaded, label, warnings, progress))
    }

    fn from_loaded(
        mut sources: Loaded,
        label: String,
        warnings: Vec<String>,
        progress: &(dyn Fn(LoadProgress) + Sync),
    ) -> Archive {
        let total = sources.total_bytes();
        let shared = Shared::default();
        // Each message keeps its own location: the list of them (24 bytes a message) goes
        // once they are read, its room taken by what is built next rather than by fresh pages.
        let mut messages: Vec<Message> = sources.read_all(
            |&location, raw| read_message(raw, location, &shared),
            |messages, bytes| {
                progress(LoadProgress {
                    bytes_done: bytes,
                    bytes_total: total,
                    messages,
                })
            },
        );
        // What reading alone needed goes before the rest is built, to make room for it.
        drop(shared);
        let by_id = arrange(&mut messages);
        // What each message answers, looked up once (in parallel) for threads and series.
        let find = |id: &str| by_id.get(id, |j| message_id(&messages, j));
        let answers = thread::Answer::all(&messages, &find);
        // Independent readings of the same messages, in two steps so that neither core waits
        // on the other: the series are gathered on one core while the other finds the trailers
        // given on the list (and, when it is done first, what each message hangs under); then
        // one core links the series' versions while the other hangs the threads from them.
        // Hanging the threads after the rest kept one core idle.
        let ((mut grouping, linked, threads), given) = rayon::join(
            || {
                let (grouping, answered) = rayon::join(
                    || series::gather(&messages, &by_id, &answers),
                    || Threads::answered(&messages, &answers, &find),
                );
                let (linked, threads) = rayon::join(
                    || series::link(&grouping, &messages, &by_id),
                    || Threads::hang(&messages, answered, &grouping.series),
                );
                (grouping, linked, threads)
            },
            || given_trailers(&messages, &by_id, &answers),
        );
        grouping.apply(linked);
        progress(LoadProgress {
            bytes_done: total,
            bytes_total: total,
            messages: messages.len(),
        });
        Archive {
            sources,
            messages,
            series: grouping.series,
            series_of: grouping.series_of,
            threads,
            works: grouping.works,
            given,
            by_id,
            warnings,
            label,
            haystacks: OnceLock::new(),
            read: ReadOptions::default(),
        }
    }

    /// What the title bar calls this archive: the file name, or `N inputs`.
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Index of the message with this Message-ID (angle brackets optional).
    pub fn find(&self, id: &str) -> Option<u32> {
        let id = id.trim().trim_start_matches('<').trim_end_matches('>');
        self.by_id.get(id, |i| message_id(&self.messages, i))
    }

    /// Refuses when a mapped file of the archive changed on disk since it was loaded: its
    /// bytes may no longer be the messages that were indexed (see `source::mapped`).
    pub fn check_unchanged(&self) -> Result<(), SourceError> {
        match self.sources.changed() {
            Some(path) => Err(SourceError::Changed {
                path: path.display().to_string(),
            }),
            None => Ok(()),
        }
    }

    /// The message's bytes as they were sent (an mboxrd file's `>From ` quoting undone).
    pub fn raw(&self, idx: u32) -> Cow<'_, [u8]> {
        match self.messages.get(idx as usize) {
            Some(m) => self.sources.message(&m.location),
            None => Cow::Borrowed(&[]),
        }
    }

    /// Which input file a message came from.
    pub fn source_label(&self, idx: u32) -> &str {
        self.messages
            .get(idx as usize)
            .and_then(|m| self.sources.sources.get(m.location.source as usize))
            .map_or("", |s| s.label.as_str())
    }

    /// Reads bodies with `read` from now on: what show, the detail pane and export see. The
    /// list's author and title stay what plain `git am` records.
    pub fn set_read_options(&mut self, read: ReadOptions) {
        self.read = read;
    }

    /// How bodies are read.
    pub fn read_options(&self) -> ReadOptions {
        self.read
    }

    /// The full parsed body, for reading.
    pub fn body(&self, idx: u32) -> Body {
        let raw = self.raw(idx);
        let block = HeaderBlock::parse(&raw);
        let decoded = mime::body_text_with(&raw, &block);
        let patch = patch::parse_with(&decoded.text, self.read);
        Body {
            text: decoded.text.into_owned(),
            patch,
            warnings: decoded.warnings,
            to: block.value("To").unwrap_or_default(),
            cc: block.value("Cc").unwrap_or_default(),
        }
    }

    /// The messages, their series and threads, as [`super::order::order`] reads them.
    pub fn catalog(&self) -> super::order::Catalog<'_> {
        super::order::Catalog {
            messages: &self.messages,
            series_of: &self.series_of,
            threads: &self.threads,
        }
    }

    pub fn series_of(&self, idx: u32) -> Option<u32> {
        self.series_of.get(idx as usize).copied().flatten()
    }

    pub fn series(&self, id: u32) -> Option<&Series> {
        self.series.get(id as usize)
    }

    /// Every series that is a version of the same work as series `id`, this one included,
    /// oldest version first.
    pub fn versions(&self, id: u32) -> &[u32] {
        self.series(id).map_or(&[], |s| self.works.versions(s.work))
    }

    /// The series one version before (`forward` false) or after series `id`.
    pub fn version_step(&self, id: u32, forward: bool) -> Option<u32> {
        let versions = self.versions(id);
        let at = versions.iter().position(|&s| s == id)?;
        let to = if forward {
            at.checked_add(1)?
        } else {
            at.checked_sub(1)?
        };
        versions.get(to).copied()
    }

    /// `v3 10/16 · Reviewed-by 2 · Acked-by 1 · missing 4/16 · versions v1 v2 v3`: where a
    /// patch stands in its series and what review it has, given on the list included (kinds
    /// it has none of are left out). On a cover letter the review is the series' totals:
    /// `6/10 patches reviewed · 10/10 acked`. What the reader's detail and `show` print as the
    /// series line.
    pub fn series_line(&self, msg: u32) -> Option<String> {
        let message = self.messages.get(msg as usize)?;
        let series = self.series(self.series_of(msg)?)?;
        let mut parts = Vec::new();
        let position = message.tag_summary();
        if !position.is_empty() {
            parts.push(position);
        } else if series.version > 1 {
            parts.push(format!("v{}", series.version));
        }
        if series.cover == Some(msg) {
            let patches = series.am_patches();
            let mut with = TrailerCounts::default();
            for &(_, p) in &patches {
                let c = self.trailer_counts(p);
                with.reviewed += u32::from(c.reviewed > 0);
                with.acked += u32::from(c.acked > 0);
                with.tested += u32::from(c.tested > 0);
            }
            let n = patches.len();
            let mut first = true;
            for (count, what) in [
                (with.reviewed, "reviewed"),
                (with.acked, "acked"),
                (with.tested, "tested"),
            ] {
                if count > 0 {
                    let noun = if first { " patches" } else { "" };
                    parts.push(format!("{count}/{n}{noun} {what}"));
                    first = false;
                }
            }
        } else if message.kind != Kind::Reply {
            let counts = self.trailer_counts(msg);
            for (count, what) in [
                (counts.reviewed, "Reviewed-by"),
                (counts.acked, "Acked-by"),
                (counts.tested, "Tested-by"),
            ] {
                if count > 0 {
                    parts.push(format!("{what} {count}"));
                }
            }
        }
        let missing = series.missing();
        if let (false, Some(total)) = (missing.is_empty(), series.total) {
            const SHOWN: usize = 8;
            let mut list: Vec<String> = missing
                .iter()
                .take(SHOWN)
                .map(|n| format!("{n}/{total}"))
                .collect();
            if missing.len() > SHOWN {
                list.push(format!("+{} more", missing.len() - SHOWN));
            }
            parts.push(format!("missing {}", list.join(" ")));
        }
        if let Some(from) = series.reroll_from.and_then(|f| self.series(f))
            && !series.rerolled.is_empty()
        {
            let numbers: Vec<String> = series.rerolled.iter().map(|(n, _)| n.to_string()).collect();
            parts.push(format!(
                "partial reroll: {} from v{}",
                numbers.join(","),
                from.version
            ));
        }
        let versions = self.versions(series.id);
        if versions.len() > 1 {
            let label = |id: u32| {
                let version = self.series(id).map_or(1, |s| s.version);
                if id == series.id {
                    format!("[v{version}]")
                } else {
                    format!("v{version}")
                }
            };
            // A long list (hostile mail: thousands of same-titled series) shows the neighbours.
            let shown: Vec<String> = match versions.iter().position(|&id| id == series.id) {
                Some(at) if versions.len() > MAX_VERSIONS_SHOWN => {
                    let near = at.saturating_sub(1)..(at + 2).min(versions.len());
                    let mut shown = vec![format!("{}/{}:", at + 1, versions.len())];
                    shown.extend(versions[near].iter().map(|&id| label(id)));
                    shown
                }
                _ => versions.iter().map(|&id| label(id)).collect(),
            };
            parts.push(format!("versions {}", shown.join(" ")));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// The thread tree: what each message hangs under and the depth-first reading order.
    pub fn threads(&self) -> &Threads {
        &self.threads
    }

    /// The message `idx` answers by its own headers (`In-Reply-To`, else the nearest of its
    /// `References`), when the archive holds it.
    pub fn answers(&self, idx: u32) -> Option<u32> {
        let m = self.messages.get(idx as usize)?;
        thread::answers(m, idx, &|id: &str| {
            self.by_id.get(id, |j| message_id(&self.messages, j))
        })
    }

    /// Trailers given on the list to exactly this message (not those given to its cover).
    pub fn given_trailers(&self, idx: u32) -> &[GivenTrailer] {
        self.given.row(idx)
    }

    /// The cover letter whose trailers apply to patch `idx`: its series' cover, or for a
    /// partial reroll without one the cover of the version it completes.
    fn cover_for(&self, idx: u32) -> Option<u32> {
        let m = self.messages.get(idx as usize)?;
        if m.kind != Kind::Patch {
            return None;
        }
        let series = self.series(self.series_of(idx)?)?;
        series.cover.or_else(|| {
            series
                .reroll_from
                .and_then(|f| self.series(f))
                .and_then(|s| s.cover)
        })
    }

    /// The trailer `g` stands for.
    pub fn given_trailer(&self, g: &GivenTrailer) -> Option<&Trailer> {
        given_trailer(&self.messages, g)
    }

    /// THE trailers of a message: its own (in the order written), then those given on the
    /// list in the order they were given, first to the message itself and then to its cover
    /// letter (b4's order). A trailer already there (key and value, ignoring case) is not
    /// added twice; one given for someone other than the reply's sender is listed but does
    /// not [apply](MergedTrailer::applies). A reply's trailers are its own only. The list's
    /// counts, the detail pane, `show`, JSON and the export all read this.
    pub fn trailers(&self, idx: u32) -> Vec<MergedTrailer<'_>> {
        let mut out = Vec::new();
        self.trailers_into(idx, &mut out);
        out
    }

    /// [`Self::trailers`] into `out` (cleared first), whose room is kept: `list --format json`
    /// reads the trailers of every message.
    pub fn trailers_into<'a>(&'a self, idx: u32, out: &mut Vec<MergedTrailer<'a>>) {
        out.clear();
        let Some(m) = self.messages.get(idx as usize) else {
            return;
        };
        let own = m.summary.trailers.iter().map(|t| MergedTrailer {
            trailer: t,
            given_by: None,
            for_other: false,
        });
        out.extend(own);
        if m.kind == Kind::Reply {
            return;
        }
        let given = self.given_trailers(idx);
        let from_cover = self
            .cover_for(idx)
            .map_or(&[][..], |c| self.given_trailers(c));
        if given.is_empty() && from_cover.is_empty() {
            // Nothing was given on the list (most messages): the own trailers as they are.
            return;
        }
        let given = given.iter().chain(from_cover).filter_map(|g| {
            Some(MergedTrailer {
                trailer: self.given_trailer(g)?,
                given_by: Some(g.by),
                for_other: g.for_other,
            })
        });
        merge_given(out, given, MERGED_SEARCHED);
    }

    /// What the reader and `show` print beside a trailer given on the list: `given on the
    /// list`, or for one naming someone else `given by <sender> for <person>, not applied`.
    /// `None` for the message's own trailers.
    pub fn given_note(&self, t: &MergedTrailer<'_>) -> Option<String> {
        let by = self.messages.get(t.given_by? as usize)?;
        if !t.for_other {
            return Some("given on the list".into());
        }
        let person = trailer::person(&t.trailer.value)
            .map(|(name, email)| if name.is_empty() { email } else { name })
            .unwrap_or(&t.trailer.value);
        Some(format!(
            "given by {} for {person}, not applied",
            format_address(&by.from)
        ))
    }

    /// Acked/Reviewed/Tested counts of [`Archive::trailers`] (none for a reply).
    pub fn trailer_counts(&self, idx: u32) -> TrailerCounts {
        if self
            .messages
            .get(idx as usize)
            .is_none_or(|m| m.kind == Kind::Reply)
        {
            return TrailerCounts::default();
        }
        let mut counts = TrailerCounts::default();
        for t in self.trailers(idx).iter().filter(|t| t.applies()) {
            counts.count(t.trailer);
        }
        counts
    }

    /// How many given trailers the archive stores (each stored once, where it was given).
    pub fn given_trailer_entries(&self) -> usize {
        self.given.items()
    }

    /// The search haystacks, built (in parallel) on first use.
    pub fn haystacks(&self) -> &Haystacks {
        self.haystacks.get_or_init(|| Haystacks::build_with(self))
    }

    /// The decoded body text of a message, for `body:` terms.
    pub fn body_text(&self, idx: u32) -> String {
        mime::body_text(&self.raw(idx)).text.into_owned()
    }

    /// Messages matching `query`, in archive (date) order or by score.
    pub fn filter(&self, query: &str, order: Order) -> Result<Vec<u32>, QueryError> {
        let bodies = |i: u32| Some(self.body_text(i));
        filter::filter(
            self.haystacks(),
            query,
            order,
            Some(&bodies as &dyn BodySource),
        )
    }

    /// Count of messages of each kind, in `Kind` order: patch, cover, reply, pull, other.
    pub fn kind_counts(&self) -> [usize; 5] {
        let mut counts = [0; 5];
        for m in &self.messages {
            counts[m.kind as usize] += 1;
        }
        counts
    }
}

/// Adds to `out` (a message's trailers) each of `given` not there already, as b4 tells
/// trailers apart ([`Folded`]): among the applied ones for one that applies, among all of them
/// for one given for someone else.
///
/// A message has a handful, so `out` itself is searched; past `searched` entries (hostile
/// mail can give thousands) they are put in sets once, so a merge stays linear. Hashing every
/// trailer of every row took a fifth of `list --format json`'s time on a big list.
fn merge_given<'a>(
    out: &mut Vec<MergedTrailer<'a>>,
    given: impl Iterator<Item = MergedTrailer<'a>>,
    searched: usize,
) {
    // Once `out` is long: its applied trailers, and those given for someone else.
    let mut sets: Option<(HashSet<Folded<'a>>, HashSet<Folded<'a>>)> = None;
    for g in given {
        if sets.is_none() && out.len() > searched {
            let mut applied = HashSet::new();
            let mut other = HashSet::new();
            for t in out.iter() {
                let set = if t.for_other {
                    &mut other
                } else {
                    &mut applied
                };
                set.insert(Folded(t.trailer));
            }
            sets = Some((applied, other));
        }
        let folded = Folded(g.trailer);
        let fresh = match &mut sets {
            Some((applied, other)) if g.for_other => {
                !applied.contains(&folded) && other.insert(folded)
            }
            Some((applied, _)) => applied.insert(folded),
            None => !out
                .iter()
                .any(|t| (g.for_other || !t.for_other) && Folded(t.trailer) == folded),
        };
        if fresh {
            out.push(g);
        }
    }
}

/// How many merged trailers [`merge_given`] searches in place before it puts them in sets.
const MERGED_SEARCHED: usize = 16;

/// The Message-ID of message `i` (empty past the end).
fn message_id(messages: &[Message], i: u32) -> &str {
    messages.get(i as usize).map_or("", |m| &*m.id)
}

/// Puts `messages` in date order (undated mail first, file order breaking ties), keeps the
/// same message from two files once (the first), and indexes them by Message-ID.
///
/// Inside one archive file a double delivery is real list history (lore keeps both), so both
/// stay, the later one marked; lookups by Message-ID find the first.
///
/// Indexing and moving the records share the cores: the Message-IDs are hashed (and the
/// dates read) in one parallel pass, then one core builds the index from the hashes alone
/// while the other moves the records into date order; only the messages whose hash came
/// before (their ID again, nearly always) are looked at by ID after. Building the index and
/// then sorting took one core each time in turn.
fn arrange(messages: &mut Vec<Message>) -> IdIndex {
    let mut index = IdIndex::with_capacity(messages.len());
    let (hashes, dates): (Vec<u64>, Vec<i64>) = messages
        .par_iter()
        .map(|m| (index.hash(&m.id), m.date.map_or(i64::MIN, |d| d.unix)))
        .unzip();
    let (left, order) = rayon::join(
        || index.insert_hashes(&hashes),
        || in_date_order(messages, &dates),
    );
    drop(hashes);
    // Where the message first at each position is now.
    let mut place: Vec<u32> = (0..u32::try_from(messages.len()).unwrap_or(u32::MAX)).collect();
    if let Some(order) = &order {
        for (k, &from) in (0u32..).zip(order) {
            if let Some(slot) = place.get_mut(from as usize) {
                *slot = k;
            }
        }
        index.renumber(|i| place.get(i as usize).copied().unwrap_or(i));
    }
    let now = |i: u32| place.get(i as usize).copied().unwrap_or(i);
    let left: Vec<u32> = left.into_iter().map(now).collect();
    let mut duplicates = Vec::new();
    index.insert_each(
        &left,
        |i| message_id(messages, i),
        |first, i| duplicates.push((first as usize, i as usize)),
    );
    let mut dropped = vec![false; messages.len()];
    for (first, i) in duplicates {
        let source = |k: usize| messages.get(k).map(|m| m.location.source);
        if source(first) == source(i) {
            if let Some(m) = messages.get_mut(i) {
                m.warn("the archive holds this Message-ID more than once".into());
            }
        } else if let Some(slot) = dropped.get_mut(i) {
            *slot = true;
        }
    }
    if !dropped.contains(&true) {
        return index;
    }
    // Dropping renumbers the messages after each one dropped: the index is made again.
    let mut i = 0;
    messages.retain(|_| {
        i += 1;
        !dropped.get(i - 1).copied().unwrap_or(false)
    });
    IdIndex::build(messages.len(), |i| message_id(messages, i))
}

/// Puts `messages` in order of `dates` (one key per message: chronological; undated mail,
/// `i64::MIN`, first; file order breaking ties). The order is found on the keys and applied by
/// moving each message once, in place: sorting the messages themselves moved 500-byte records
/// around and held half the archive again as scratch.
///
/// An archive is nearly in date order already: the longest run of messages in order stays
/// in that order, and only the others (at a million messages a few thousand, most of them
/// undated) are sorted, then merged with it. Sorting all million indices by date cost more
/// than finding the run.
///
/// Gives the order applied (`order[k]` is where the message now at `k` was), `None` when the
/// messages were in order already.
fn in_date_order(messages: &mut [Message], dates: &[i64]) -> Option<Vec<u32>> {
    if dates.is_sorted() {
        return None;
    }
    let kept = longest_rising(dates);
    let order = merged_order(dates, &kept);
    let filler = Message::new(
        String::new(),
        None,
        Default::default(),
        Arc::default(),
        Subject::default(),
    );
    apply_order_keeping(messages, &order, kept, &filler);
    Some(order)
}

/// The stable sort of positions by `keys`, given a run of them already in order (`kept`, by
/// position: keys that never go down along it): the others sorted, then merged with the run.
fn merged_order<K: Ord + Copy + Sync>(keys: &[K], kept: &[bool]) -> Vec<u32> {
    let count = u32::try_from(keys.len()).unwrap_or(u32::MAX);
    let key = |i: u32| keys.get(i as usize).copied();
    let is_kept = |i: u32| kept.get(i as usize).copied().unwrap_or(false);
    let mut others: Vec<u32> = (0..count).filter(|&i| !is_kept(i)).collect();
    others.par_sort_by_key(|&i| key(i));
    let mut order = Vec::with_capacity(keys.len());
    let mut others = others.into_iter().peekable();
    for i in (0..count).filter(|&i| is_kept(i)) {
        // Before the run's next, the others that sort before it: a smaller key, or the same
        // one earlier in the file.
        while let Some(o) = others.next_if(|&o| (key(o), o) < (key(i), i)) {
            order.push(o);
        }
        order.push(i);
    }
    order.extend(others);
    order
}

/// At most one item in this many is taken out by [`apply_order_keeping`]; past that it
/// follows the permutation's cycles, which needs no room.
const TAKEN_OUT_AT_MOST: usize = 8;

/// Rearranges `items` so that position `k` holds what was at `order[k]` (a permutation of
/// the positions; anything else leaves `items` as they are).
#[cfg(test)]
fn apply_order<T: Clone + Send>(items: &mut [T], order: &[u32], filler: &T) {
    apply_order_keeping(items, order, kept_in_order(order), filler);
}

/// Rearranges `items` so that position `k` holds what was at `order[k]` (a permutation of
/// the positions; anything else leaves `items` as they are), where `kept` (by position
/// before) is a run of items that `order` keeps in the same order ([`longest_rising`]).
///
/// The run stays in that order, and only the others are taken out and put back where they
/// go (`filler` holds their places meanwhile). The run's items each move once, straight to
/// their place: those going down first, from the front, then those going up, from the back
/// (every slot one of them lands on is empty by then: whatever was there went before it,
/// the same way). Following the permutation's cycles instead jumps across the archive at
/// every step: a few thousand undated messages put first make every cycle a stride of
/// megabytes, a cache and TLB miss per move, 0.6 s at a million messages. When much is out
/// of order (a folder's files read in no order), taking it out would hold most of the
/// archive twice: the cycles are followed.
///
/// The two halves of the archive are moved on two cores: the few items of the run that
/// would cross from one half to the other (as many as the items are shifted there) are
/// taken out with the others, so that each half's moves stay inside it.
fn apply_order_keeping<T: Clone + Send>(
    items: &mut [T],
    order: &[u32],
    mut kept: Vec<bool>,
    filler: &T,
) {
    let n = items.len();
    let mut place = vec![u32::MAX; n];
    for (k, &from) in (0u32..).zip(order) {
        match place.get_mut(from as usize) {
            Some(slot) if *slot == u32::MAX => *slot = k,
            _ => return,
        }
    }
    if order.len() != n || kept.len() != n {
        return;
    }
    let half = n / 2;
    for (from, keep) in kept.iter_mut().enumerate() {
        let to = place.get(from).map_or(from, |&p| p as usize);
        if (from < half) != (to < half) {
            *keep = false;
        }
    }
    let taken_count = kept.iter().filter(|&&k| !k).count();
    if taken_count > n / TAKEN_OUT_AT_MOST {
        permute(items, order);
        return;
    }
    let mut taken: Vec<(usize, T)> = Vec::with_capacity(taken_count);
    for (from, item) in items.iter_mut().enumerate() {
        if !kept.get(from).copied().unwrap_or(true) {
            let to = place.get(from).map_or(from, |&p| p as usize);
            taken.push((to, std::mem::replace(item, filler.clone())));
        }
    }
    let (front, back) = items.split_at_mut(half);
    rayon::join(
        || move_kept(front, 0, &place, &kept),
        || move_kept(back, half, &place, &kept),
    );
    for (to, item) in taken {
        if let Some(slot) = items.get_mut(to) {
            *slot = item;
        }
    }
}

/// Moves each kept item of `items` (the positions from `base` on) to its place (`place`,
/// by position), which is among them too: those going down first, from the front, then
/// those going up, from the back.
fn move_kept<T>(items: &mut [T], base: usize, place: &[u32], kept: &[bool]) {
    let len = items.len();
    let moves = |at: usize| {
        let from = base + at;
        let to = (place.get(from).copied()? as usize).checked_sub(base)?;
        (kept.get(from).copied().unwrap_or(false) && to != at && to < len).then_some(to)
    };
    for at in 0..len {
        if let Some(to) = moves(at).filter(|&to| to < at) {
            items.swap(at, to);
        }
    }
    for at in (0..len).rev() {
        if let Some(to) = moves(at).filter(|&to| to > at) {
            items.swap(at, to);
        }
    }
}

/// Which items (by position before the rearrangement) a longest run of `order` that keeps
/// their order holds.
#[cfg(test)]
fn kept_in_order(order: &[u32]) -> Vec<bool> {
    let mut kept = vec![false; order.len()];
    for (&from, run) in order.iter().zip(longest_rising(order)) {
        if let Some(slot) = kept.get_mut(from as usize) {
            *slot = run;
        }
    }
    kept
}

/// Which of `keys` a longest run of them that never goes down holds: found in O(n log n),
/// most keys extending the run at its end, without a search.
fn longest_rising<K: Ord + Copy>(keys: &[K]) -> Vec<bool> {
    const NONE: u32 = u32::MAX;
    // For each length, the smallest key a run of that length can end with, and where.
    let mut tail_keys: Vec<K> = Vec::with_capacity(keys.len());
    let mut tail_at: Vec<u32> = Vec::with_capacity(keys.len());
    // For each position, the position before it in the run it ends.
    let mut before = vec![NONE; keys.len()];
    for (k, &key) in (0u32..).zip(keys) {
        let len = match tail_keys.last() {
            Some(&last) if last <= key => tail_keys.len(),
            _ => tail_keys.partition_point(|&t| t <= key),
        };
        if let (Some(slot), Some(len)) = (before.get_mut(k as usize), len.checked_sub(1)) {
            *slot = tail_at.get(len).copied().unwrap_or(NONE);
        }
        if len == tail_keys.len() {
            tail_keys.push(key);
            tail_at.push(k);
        } else if let (Some(t), Some(at)) = (tail_keys.get_mut(len), tail_at.get_mut(len)) {
            *t = key;
            *at = k;
        }
    }
    let mut run = vec![false; keys.len()];
    let mut at = tail_at.last().copied().unwrap_or(NONE);
    while let Some(slot) = run.get_mut(at as usize) {
        *slot = true;
        at = before.get(at as usize).copied().unwrap_or(NONE);
    }
    run
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`, following each cycle
/// of the permutation with swaps.
fn permute<T>(items: &mut [T], order: &[u32]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut k = start;
        loop {
            if let Some(p) = placed.get_mut(k) {
                *p = true;
            }
            let from = order.get(k).map_or(start, |&f| f as usize);
            if from == start || from >= items.len() {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
}

fn short_label(label: &str) -> String {
    std::path::Path::new(label)
        .file_name()
        .map_or_else(|| label.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Reads one message (its bytes as sent, mboxrd quoting undone): headers, subject, kind, and
/// the body summary. Never fails.
pub fn read_message(raw: &[u8], location: Location, shared: &Shared) -> Message {
    let block = HeaderBlock::parse(raw);
    let mut warnings = Vec::new();
    if block.malformed > 0 {
        warnings.push(format!(
            "{} malformed header lines skipped",
            block.malformed
        ));
    }
    let first_id = |field: Field| {
        block
            .field(field)
            .and_then(mime::RawHeader::first_message_id)
    };
    let id = first_id(Field::MessageId)
        .map(Cow::into_owned)
        .unwrap_or_else(|| {
            warnings.push("no Message-ID; one was made up".into());
            format!("patchdeck-{}-{}@local", location.source, location.start)
        });
    let references = block
        .field(Field::References)
        .map(mime::RawHeader::message_ids)
        .unwrap_or_default();
    // A first reply's `In-Reply-To` nearly always holds what its `References` holds: the
    // first of those IDs is the one it names, read once.
    let raw_value = |field: Field| block.field(field).map(mime::RawHeader::raw_value);
    let replies_to_first = raw_value(Field::InReplyTo)
        .is_some_and(|value| Some(value) == raw_value(Field::References));
    let in_reply_to = if replies_to_first {
        None
    } else {
        first_id(Field::InReplyTo)
    };
    let from_value = block.field_text(Field::From).unwrap_or_default();
    let sender = shared
        .senders
        .get(&from_value, || read_sender(&from_value, &shared.people));
    // Nearly every date is of the common form in plain ASCII: read from the bytes, the
    // same date the text gives.
    let date_header = block.field(Field::Date);
    let date = date_header
        .and_then(mime::RawHeader::plain_value)
        .and_then(MailDate::parse_common)
        .or_else(|| {
            let date_text = date_header.map(mime::RawHeader::text);
            let date = date_text.as_deref().and_then(MailDate::parse);
            if date.is_none() {
                warnings.push(match date_text {
                    Some(d) => format!("unreadable Date: {d}"),
                    None => "no Date header".into(),
                });
            }
            date
        });
    let list_id = block.field_text(Field::ListId).map(|v| {
        let v = v.trim();
        // Searched as bytes: both are ASCII, so where they are is a char boundary.
        let last = |b: u8| memchr::memrchr(b, v.as_bytes());
        let id = match (last(b'<'), last(b'>')) {
            (Some(a), Some(b)) if a < b => &v[a + 1..b],
            _ => v,
        };
        shared.lists.get_or_insert(id, || Arc::from(id))
    });
    let mut subject = Subject::parse_with_heads(
        &block.field_text(Field::Subject).unwrap_or_default(),
        &mut |head, read| shared.heads.get(head, read),
        &mut |tag| shared.tags.get_or_insert(tag, || Arc::from(tag)),
    );

    let decoded = mime::body_text_with(raw, &block);
    warnings.extend(decoded.warnings);
    // A `Re:` is a reply whatever its body holds (see `kind_of`), and a reply's trailers are
    // read from its whole text below: the summary need not read them too.
    let trailers = if subject.reply {
        patch::Trailers::Skip
    } else {
        patch::Trailers::Read
    };
    let body = patch::summarize_with(&decoded.text, trailers, &mut |path| {
        shared.paths.get_or_insert(path, || Arc::from(path))
    });
    // Who `git am` records: an in-body `From:` with an address when the mail carries a patch,
    // else the header's sender (with git's stand-in name); a sender with no address at all
    // stays as written, where git would record nobody.
    let in_body = |value: &Option<String>| {
        value
            .as_deref()
            .filter(|_| body.carries_patch)
            .map(decode_in_body)
    };
    let author = match in_body(&body.in_body_from).and_then(|f| mime::author_address(&f)) {
        Some(a) => shared.people.intern(a),
        None => sender.author,
    };
    if let Some(in_body) = in_body(&body.in_body_subject) {
        let in_body = Subject::parse(&in_body);
        if !in_body.title().is_empty() {
            subject.set_title(in_body.title());
        }
    }
    let mut summary = body.summary;
    let kind = kind_of(
        &subject,
        &summary,
        replies_to_first || in_reply_to.is_some() || !references.is_empty(),
    );
    if kind == Kind::Reply {
        // What a reply gives is read as b4 reads it, from its whole text.
        let mut lines = |line: &str, read: &mut dyn FnMut() -> Option<Trailer>| {
            shared.trailer_lines.get(line, read)
        };
        summary.trailers =
            trailer::followup_trailers_with(&decoded.text, &mut lines).into_boxed_slice();
    }
    summary.version_links = match kind {
        Kind::Cover => VersionLinks::read(&decoded.text, &decoded.text),
        Kind::Patch => VersionLinks::read(&decoded.text, &body.changelog),
        _ => None,
    };
    let mut message = Message::new(id, in_reply_to.as_deref(), references, sender.from, subject);
    if replies_to_first {
        message.reply_to_first_reference();
    }
    message.author = author;
    message.date = date;
    message.list_id = list_id;
    message.kind = kind;
    message.location = location;
    message.summary = summary;
    message.warnings = warnings.into_boxed_slice();
    message
}

/// A `From:` value (decoded) as loading keeps it: the sender shared from `people`, and the
/// author `git am` records for it (the same address unless git would put the email where
/// the name is).
fn read_sender(value: &str, people: &SharedSet<Address>) -> Sender {
    let (from, has_address) = match mime::common_sender(value) {
        Some((name, email)) => (people.intern_parts(name, email), true),
        None => {
            let (from, has_address) = mime::read_from(value);
            (people.intern(from), has_address)
        }
    };
    let author = match mime::sane_author(&from).filter(|_| has_address) {
        Some(a) => people.intern(a),
        None => Arc::clone(&from),
    };
    Sender { from, author }
}

/// An in-body header's value with its RFC 2047 words decoded, as `git mailinfo` decodes them.
fn decode_in_body(value: &str) -> String {
    let line = format!("X: {value}");
    mime::RawHeader::new(b"X", line.as_bytes()).value()
}

/// Patchwork's reading: a `Re:` is a comment; `0/n` a cover letter; a request-pull a pull
/// request; a diff (or a `[PATCH]` with a diffstat) a patch; anything else answering a thread a reply.
fn kind_of(subject: &Subject, summary: &Summary, in_reply: bool) -> Kind {
    if subject.reply {
        Kind::Reply
    } else if subject.is_cover() {
        Kind::Cover
    } else if summary.pull_url.is_some() || (subject.pull && !summary.has_diff) {
        Kind::Pull
    } else if summary.has_diff
        || ((subject.patch || subject.number.is_some()) && !summary.files.is_empty())
    {
        // A `[PATCH]` whose diff was cut off (digests keep only the diffstat) is still a patch.
        Kind::Patch
    } else if in_reply {
        Kind::Reply
    } else {
        Kind::Other
    }
}

/// The trailer `g` stands for, among `messages`.
fn given_trailer<'m>(messages: &'m [Message], g: &GivenTrailer) -> Option<&'m Trailer> {
    messages
        .get(g.by as usize)?
        .summary
        .trailers
        .get(g.index as usize)
}

/// Replies' trailers as [`given_trailers`] reads them: for each, whether it names someone
/// other than the reply's sender, and its [`Folded`] hash.
type Giving = Vec<(bool, u64)>;

/// Replies whose trailers one task of [`given_trailers`] reads.
const GIVERS_A_TASK: usize = 1024;

fn given_trailers(
    messages: &[Message],
    by_id: &IdIndex,
    answers: &[thread::Answer],
) -> Rows<GivenTrailer> {
    let find = |id: &str| by_id.get(id, |j| message_id(messages, j));
    // What a message's In-Reply-To names, found already for threading.
    let replied_to = |at: u32| {
        let m = messages.get(at as usize)?;
        answers.get(at as usize)?.replied_to(m)
    };
    // Top of the sub-thread above each reply, reached by In-Reply-To only (memoised, so a
    // deep thread costs linear time; a cycle ends the walk with no top). One word a message:
    // the top, or `UNKNOWN`, or `NO_TOP` (also marking a message on the walk under way).
    const UNKNOWN: u32 = u32::MAX;
    const NO_TOP: u32 = u32::MAX - 1;
    let mut top: Vec<u32> = vec![UNKNOWN; messages.len()];
    let top_of = |start: u32, top: &mut Vec<u32>| -> Option<u32> {
        let mut path = Vec::new();
        let mut at = start;
        let found = loop {
            match top[at as usize] {
                UNKNOWN => {}
                // Known, or on this walk already (a cycle).
                known => break known,
            }
            if messages[at as usize].kind != Kind::Reply {
                break at;
            }
            top[at as usize] = NO_TOP;
            path.push(at);
            match replied_to(at) {
                Some(up) => at = up,
                None => break NO_TOP,
            }
        };
        for p in path {
            top[p as usize] = found;
        }
        (found != NO_TOP).then_some(found)
    };
    // b4 reads the follow-ups in mailbox order, which decides the order trailers are given in.
    // Only replies with trailers give any: they alone are put in that order, on keys read once.
    let mut order: Vec<(u32, u64, u32)> = (0u32..)
        .zip(messages)
        .filter(|(_, m)| m.kind == Kind::Reply && !m.summary.trailers.is_empty())
        .map(|(i, m)| (m.location.source, m.location.start, i))
        .collect();
    order.sort_unstable();
    // What each of those replies gives, read in parallel: whom each trailer names (a few
    // lower-cased copies each) and its hash, most of the work. One vector for them all, each
    // reply's trailers in a run, rather than a vector a reply.
    let hasher = hashbrown::DefaultHashBuilder::default();
    let giving: Giving = order
        .par_chunks(GIVERS_A_TASK)
        .map(|chunk| {
            let trailers = chunk.iter().flat_map(|&(_, _, i)| {
                let m = &messages[i as usize];
                m.summary.trailers.iter().map(|t| {
                    let for_other = !trailer::names_sender(t, &m.from.name, &m.from.email);
                    (for_other, hasher.hash_one(Folded(t)))
                })
            });
            trailers.collect::<Giving>()
        })
        .flatten_iter()
        .collect();
    // Where each reply's run in `giving` starts.
    let mut giving_at = vec![u32::MAX; messages.len()];
    let mut at = 0u32;
    for &(_, _, i) in &order {
        if let Some(slot) = giving_at.get_mut(i as usize) {
            *slot = at;
        }
        let count = messages
            .get(i as usize)
            .map_or(0, |m| m.summary.trailers.len());
        at = at.saturating_add(u32::try_from(count).unwrap_or(u32::MAX));
    }
    // Each (target, trailer, for someone else) is stored once, the first time it is given.
    // As many as the replies give, nearly: made that size at once rather than grown (and
    // rehashed) a dozen times.
    let mut stored: HashTable<(u32, bool, u64, &Trailer)> = HashTable::with_capacity(giving.len());
    let mut given: Vec<(u32, GivenTrailer)> = Vec::new();
    let mut give = |given: &mut Vec<(u32, GivenTrailer)>, target: u32, by: u32| {
        let m = &messages[by as usize];
        let Some(reads) = giving_at.get(by as usize).and_then(|&at| {
            let at = at as usize;
            giving.get(at..at.checked_add(m.summary.trailers.len())?)
        }) else {
            return;
        };
        for ((index, t), &(for_other, folded)) in (0u32..).zip(&m.summary.trailers).zip(reads) {
            let hash = hasher.hash_one((target, for_other, folded));
            let same = |&(to, other, _, held): &(u32, bool, u64, &Trailer)| {
                to == target && other == for_other && Folded(held) == Folded(t)
            };
            if stored.find(hash, same).is_none() {
                stored.insert_unique(hash, (target, for_other, hash, t), |e| e.2);
                given.push((
                    target,
                    GivenTrailer {
                        by,
                        index,
                        for_other,
                    },
                ));
            }
        }
    };
    for &(_, _, i) in &order {
        let m = &messages[i as usize];
        let parent = match m.in_reply_to() {
            Some(_) => replied_to(i),
            None => m.references.iter().filter(|r| **r != *m.id).find_map(&find),
        };
        let Some(parent) = parent else {
            continue;
        };
        let Some(target) = top_of(parent, &mut top) else {
            continue;
        };
        if !matches!(messages[target as usize].kind, Kind::Patch | Kind::Cover) {
            continue;
        }
        give(&mut given, target, i);
        // As b4 does, the replies walked through on the way up give theirs again after it
        // (which only changes the order when a nested reply comes first in the mailbox).
        let mut at = parent;
        for _ in 0..MAX_WALK_GIVING {
            if at == target || messages[at as usize].kind != Kind::Reply {
                break;
            }
            give(&mut given, target, at);
            match replied_to(at) {
                Some(up) => at = up,
                None => break,
            }
        }
    }
    Rows::group(messages.len(), &given)
}

/// How many replies up a thread give their trailers again (b4's walk, bounded: hostile mail
/// can nest replies without end).
const MAX_WALK_GIVING: usize = 64;

/// Builds a message directly from bytes (tests, benches): one message, location 0.
pub fn message_from_bytes(raw: &[u8]) -> Message {
    read_message(
        raw,
        Location {
            source: 0,
            start: 0,
            end: raw.len() as u64,
        },
        &Shared::default(),
    )
}

/// Makes an [`Address`] display-ready: `Name <email>`.
pub fn format_address(a: &Address) -> String {
    match (a.name.is_empty(), a.email.is_empty()) {
        (true, _) => a.email.clone(),
        (false, true) => a.name.clone(),
        (false, false) => format!("{} <{}>", a.name, a.email),
    }
}

/// What the filter engine sees of each message: read a field at a time by the haystacks'
/// build.
impl Documents for Archive {
    fn count(&self) -> usize {
        self.len()
    }
    fn title(&self, doc: u32) -> &str {
        self.messages
            .get(doc as usize)
            .map_or("", |m| m.subject.title())
    }
    fn tags(&self, doc: u32) -> &[Arc<str>] {
        self.messages
            .get(doc as usize)
            .map_or(&[], |m| &m.subject.tags)
    }
    fn author(&self, doc: u32) -> (&str, &str) {
        self.messages
            .get(doc as usize)
            .map_or(("", ""), |m| (&m.author.name, &m.author.email))
    }
    fn sender(&self, doc: u32) -> (&str, &str) {
        self.messages
            .get(doc as usize)
            .map_or(("", ""), |m| (&m.from.name, &m.from.email))
    }
    fn kind(&self, doc: u32) -> Kind {
        self.messages
            .get(doc as usize)
            .map_or(Kind::Other, |m| m.kind)
    }
    fn version(&self, doc: u32) -> Option<u32> {
        self.messages.get(doc as usize)?.subject.version
    }
    fn list_id(&self, doc: u32) -> Option<&str> {
        self.messages.get(doc as usize)?.list_id.as_deref()
    }
    fn series(&self, doc: u32) -> Option<u32> {
        self.series_of(doc)
    }
    fn series_count(&self) -> usize {
        self.series.len()
    }
    fn series_title(&self, series: u32) -> &str {
        self.series(series).map_or("", |s| s.title.as_str())
    }
    fn files(&self, doc: u32) -> &[FileStat] {
        self.messages
            .get(doc as usize)
            .map_or(&[], |m| &m.summary.files)
    }
    fn trailers(&self, doc: u32) -> &[Trailer] {
        self.messages
            .get(doc as usize)
            .map_or(&[], |m| &m.summary.trailers)
    }
    fn date(&self, doc: u32) -> Option<i64> {
        Some(self.messages.get(doc as usize)?.date?.unix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The merge as it was first written, with two sets from the start: what
    /// [`merge_given`] must agree with whether it searches the list or its sets.
    fn merged_with_sets<'a>(
        own: &[MergedTrailer<'a>],
        given: &[MergedTrailer<'a>],
    ) -> Vec<MergedTrailer<'a>> {
        let mut out = own.to_vec();
        let mut seen: HashSet<Folded<'_>> = out.iter().map(|t| Folded(t.trailer)).collect();
        let mut seen_other: HashSet<Folded<'_>> = HashSet::new();
        for g in given {
            let fresh = if g.for_other {
                seen_other.insert(Folded(g.trailer)) && !seen.contains(&Folded(g.trailer))
            } else {
                seen.insert(Folded(g.trailer))
            };
            if fresh {
                out.push(*g);
            }
        }
        out
    }

    /// Both ways of applying an order agree with a plain gather, on orders mostly kept (a
    /// few items moved far, as undated mail is) and on shuffled ones.
    #[test]
    fn applying_an_order_moves_each_item_where_it_goes() {
        let mut next = crate::xorshift(5);
        for n in [0usize, 1, 2, 3, 10, 100, 1000] {
            for moved_per_mille in [0u64, 10, 100, 1000] {
                let mut keys: Vec<u64> = (0..n as u64).map(|i| i * 2).collect();
                for key in &mut keys {
                    if next() % 1000 < moved_per_mille {
                        *key = next() % (n as u64 * 2 + 1);
                    }
                }
                let mut order: Vec<u32> = (0..n as u32).collect();
                order.sort_by_key(|&i| keys[i as usize]);
                let expected: Vec<String> = order.iter().map(|i| format!("m{i}")).collect();
                let mut items: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
                apply_order(&mut items, &order, &String::new());
                assert_eq!(items, expected, "{n} items, {moved_per_mille}/1000 moved");
                let mut items: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
                permute(&mut items, &order);
                assert_eq!(
                    items, expected,
                    "cycles: {n} items, {moved_per_mille}/1000 moved"
                );
                // The run kept is increasing, and none longer exists (checked by brute force
                // on small cases).
                let kept = kept_in_order(&order);
                let run: Vec<u32> = order
                    .iter()
                    .copied()
                    .filter(|&i| kept[i as usize])
                    .collect();
                assert!(run.is_sorted());
                if n <= 100 {
                    let mut best = vec![1usize; n];
                    for j in 0..n {
                        for i in 0..j {
                            if order[i] < order[j] {
                                best[j] = best[j].max(best[i] + 1);
                            }
                        }
                    }
                    assert_eq!(run.len(), best.iter().copied().max().unwrap_or(0));
                }
            }
        }
    }

    /// The date order found from the run already in order, and applied around it, is the
    /// stable sort, on dates nearly in order (a few undated or late) and on shuffled ones.
    #[test]
    fn merging_around_the_run_in_order_is_the_stable_sort() {
        let mut next = crate::xorshift(23);
        for n in [0usize, 1, 2, 3, 7, 100, 1000, 5000] {
            for moved_per_mille in [0u64, 5, 50, 300, 1000] {
                let dates: Vec<i64> = (0..n as i64)
                    .map(|i| match next() % 1000 {
                        r if r < moved_per_mille / 2 => i64::MIN,
                        r if r < moved_per_mille => (next() % (n as u64 + 1)) as i64,
                        _ => i / 3,
                    })
                    .collect();
                let mut expected: Vec<u32> = (0..n as u32).collect();
                expected.sort_by_key(|&i| dates[i as usize]);
                let kept = longest_rising(&dates);
                let order = merged_order(&dates, &kept);
                assert_eq!(order, expected, "{n} dates, {moved_per_mille}/1000 moved");
                let mut items: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
                apply_order_keeping(&mut items, &order, kept, &String::new());
                let sorted: Vec<String> = expected.iter().map(|i| format!("m{i}")).collect();
                assert_eq!(items, sorted, "{n} dates, {moved_per_mille}/1000 moved");
            }
        }
    }

    /// Date order, duplicates and the Message-ID index as [`arrange`] makes them, against the
    /// plain reading: duplicates settled in file order (a second file's copy dropped, one file's
    /// own second copy kept and marked), then a stable sort on the date, undated first.
    #[test]
    fn arranging_sorts_by_date_and_settles_duplicates_in_file_order() {
        let mut next = crate::xorshift(17);
        for n in [0usize, 1, 2, 5, 40, 300] {
            for dup_per_mille in [0u64, 50, 400] {
                let messages: Vec<Message> = (0..n)
                    .map(|k| {
                        let id = if k > 0 && next() % 1000 < dup_per_mille {
                            next() % k as u64
                        } else {
                            k as u64
                        };
                        let date = match next() % 10 {
                            0 => String::new(),
                            _ => format!("Date: Mon, 1 Jan 2024 {:02}:00:00 +0000\n", next() % 24),
                        };
                        let mut m = message_from_bytes(
                            format!("Message-ID: <m{id}@x>\n{date}Subject: s{k}\n\nbody\n")
                                .as_bytes(),
                        );
                        m.location.source = u32::from(next() % 4 == 0);
                        m.location.start = k as u64;
                        m
                    })
                    .collect();
                // The plain reading.
                let mut expected: Vec<Message> = Vec::new();
                let mut dropped = false;
                for m in &messages {
                    let mut m = m.clone();
                    match expected.iter().find(|e| e.id == m.id) {
                        Some(first) if first.location.source != m.location.source => {
                            dropped = true;
                            continue;
                        }
                        Some(_) => {
                            m.warn("the archive holds this Message-ID more than once".into())
                        }
                        None => {}
                    }
                    expected.push(m);
                }
                expected.sort_by_key(|m| m.date.map_or(i64::MIN, |d| d.unix));
                let mut arranged = messages.clone();
                let index = arrange(&mut arranged);
                let seen = |ms: &[Message]| -> Vec<(Box<str>, u64, Box<[String]>)> {
                    ms.iter()
                        .map(|m| (m.id.clone(), m.location.start, m.warnings.clone()))
                        .collect()
                };
                assert_eq!(seen(&arranged), seen(&expected), "{n} messages");
                for (k, m) in (0u32..).zip(&arranged) {
                    let first = index.get(&m.id, |i| message_id(&arranged, i));
                    // The copy first in the file, wherever the dates put it; when copies were
                    // dropped, the index is made again over the date order, and the first
                    // there wins.
                    let held = (0..arranged.len())
                        .filter(|&e| arranged[e].id == m.id)
                        .min_by_key(|&e| {
                            if dropped {
                                e as u64
                            } else {
                                arranged[e].location.start
                            }
                        });
                    assert_eq!(first.map(|f| f as usize), held, "{n}: message {k}");
                }
            }
        }
    }

    #[test]
    fn merging_given_trailers_agrees_searched_or_hashed() {
        // Few distinct trailers, written in two cases: most given ones repeat one before.
        let pool: Vec<Trailer> = ["Reviewed-by", "Acked-by", "reviewed-BY", "Tested-by"]
            .iter()
            .flat_map(|key| {
                [
                    "Ann <a@x>",
                    "Bob <b@x>",
                    "ANN <A@X>",
                    "Émile <e@x>",
                    "émile <E@x>",
                ]
                .map(|value| Trailer {
                    key: (*key).into(),
                    value: value.into(),
                })
            })
            .collect();
        let mut next = crate::xorshift(11);
        let mut counts = crate::xorshift(12);
        for _ in 0..500 {
            let mut take = |count: u64, given: bool| -> Vec<MergedTrailer<'_>> {
                let mut pick = |n: usize| usize::try_from(next()).unwrap() % n;
                (0..count)
                    .map(|k| MergedTrailer {
                        trailer: &pool[pick(pool.len())],
                        given_by: given.then_some(u32::try_from(k).unwrap()),
                        for_other: given && pick(3) == 0,
                    })
                    .collect()
            };
            let own = take(counts() % 24, false);
            let given = take(counts() % 40, true);
            let expected = merged_with_sets(&own, &given);
            for searched in [0, 3, MERGED_SEARCHED, usize::MAX] {
                let mut out = own.clone();
                merge_given(&mut out, given.iter().copied(), searched);
                assert_eq!(out, expected, "searched {searched}");
            }
        }
    }
}
