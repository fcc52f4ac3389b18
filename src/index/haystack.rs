//! The search haystacks: what the filter engine searches, built once per archive.
//!
//! The index gives each message's fields through [`Documents`] (in archive order; tests and
//! benches give [`SearchDoc`]s), each table of the build reading only the fields it needs;
//! [`Haystacks`] keeps their text interned in [`StringTable`]s (titles, authors, tags, series titles, List-Ids,
//! paths, trailers), each distinct string once, folded for case-insensitive search and as
//! written for smart case. A message is then a row of small ids and typed fields (kind,
//! version, date) in flat columns: about 60 bytes a message plus the distinct strings, so a
//! million messages stay well below 300 MB, and a term is tested once per distinct string.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::filter::{Presence, Shape};
use super::table::{FxHasher, Interner, StringTable};
use crate::model::diff::FileStat;
use crate::model::message::Kind;
use crate::model::trailer::Trailer;

/// What the filter engine sees of one message (built by the index, in archive order).
#[derive(Clone, Copy)]
pub struct SearchDoc<'a> {
    /// Decoded subject as sent. Not searched itself: its title and tags are, separately, so
    /// that `^drm` anchors at the title and `Re:`/brackets do not feed fuzzy matches.
    pub subject: &'a str,
    /// Subject without Re:/bracket tags.
    pub title: &'a str,
    /// Bracket tags as written: "PATCH", "v3", "net-next", "RFC", "3/16".
    pub tags: &'a [Arc<str>],
    /// Author display name (may be empty): `git am`'s author, from an in-body `From:`.
    pub author_name: &'a str,
    pub author_email: &'a str,
    /// The sender (the `From:` header): the same as the author unless someone sent another's
    /// patch. `from:` looks at both.
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub kind: Kind,
    pub version: Option<u32>,
    pub list_id: Option<&'a str>,
    /// The title of the series' cover letter or first patch.
    pub series_title: &'a str,
    /// Paths touched.
    pub files: &'a [FileStat],
    pub trailers: &'a [Trailer],
    /// Unix seconds UTC.
    pub date: Option<i64>,
}

/// "No value" in the id and version columns.
pub(crate) const NONE: u32 = u32::MAX;
/// "No date" in the date column.
pub(crate) const NO_DATE: i64 = i64::MIN;
/// The most messages one haystack holds: ids are `u32` and the top bit is the engine's.
pub const MAX_DOCS: usize = (1 << 31) - 1;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A list of ids per row (a message's paths, a tag set's tags), flattened.
#[derive(Debug, Default)]
pub(crate) struct IdLists {
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl IdLists {
    pub(crate) fn get(&self, row: usize) -> &[u32] {
        let start = self.starts.get(row).copied().unwrap_or(0) as usize;
        let end = self.starts.get(row + 1).copied().unwrap_or(0) as usize;
        self.ids.get(start..end).unwrap_or(&[])
    }

    pub(crate) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn new() -> IdLists {
        IdLists {
            starts: vec![0],
            ids: Vec::new(),
        }
    }

    fn push(&mut self, id: u32) {
        // Past four billion ids a row is cut short rather than wrapping the offsets.
        if self.ids.len() < u32::MAX as usize {
            self.ids.push(id);
        }
    }

    fn end_row(&mut self) {
        self.starts
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
    }

    fn shrink(mut self) -> IdLists {
        self.starts.shrink_to_fit();
        self.ids.shrink_to_fit();
        self
    }

    fn heap_bytes(&self) -> usize {
        (self.starts.capacity() + self.ids.capacity()) * size_of::<u32>()
    }
}

/// The searchable form of an archive's messages.
#[derive(Debug)]
pub struct Haystacks {
    id: u64,
    pub(crate) titles: StringTable,
    /// What each title (folded) holds where fuzzy scores earn bonuses, for bounding a
    /// title's score without reading it.
    pub(crate) title_shapes: Vec<Shape>,
    /// Which titles hold which bytes, to rule titles out before reading them.
    pub(crate) title_presence: Presence,
    pub(crate) names: StringTable,
    pub(crate) emails: StringTable,
    pub(crate) tags: StringTable,
    pub(crate) series_titles: StringTable,
    pub(crate) lists: StringTable,
    pub(crate) paths: StringTable,
    pub(crate) trailers: StringTable,
    /// The tags of each distinct tag set.
    pub(crate) tag_sets: IdLists,
    pub(crate) doc_title: Vec<u32>,
    /// Index into both `names` and `emails`.
    pub(crate) doc_author: Vec<u32>,
    /// The sender, in the same tables as the authors.
    pub(crate) doc_sender: Vec<u32>,
    pub(crate) doc_tag_set: Vec<u32>,
    pub(crate) doc_series: Vec<u32>,
    pub(crate) doc_list: Vec<u32>,
    pub(crate) doc_kind: Vec<Kind>,
    pub(crate) doc_version: Vec<u32>,
    pub(crate) doc_date: Vec<i64>,
    pub(crate) doc_paths: IdLists,
    pub(crate) doc_trailers: IdLists,
}

impl Haystacks {
    /// Builds the haystacks of `docs` (at most [`MAX_DOCS`]), the tables in parallel.
    pub fn build(docs: &[SearchDoc<'_>]) -> Haystacks {
        let docs = docs.get(..MAX_DOCS).unwrap_or(docs);
        Haystacks::build_with(&docs)
    }

    /// [`Haystacks::build`] over messages that `docs` gives a field at a time: each table
    /// reads only the fields it needs, and no list of all the documents is ever held (at a
    /// million messages that list alone was 200 MB).
    pub fn build_with(docs: &dyn Documents) -> Haystacks {
        let docs = Docs {
            count: u32::try_from(docs.count().min(MAX_DOCS)).unwrap_or(u32::MAX),
            docs,
        };
        let ((titles, (authors, tags)), ((series, lists), (paths, (trailers, scalars)))) =
            rayon::join(
                || {
                    rayon::join(
                        || intern_each(docs, |d, i| d.title(i)),
                        || rayon::join(|| intern_authors(docs), || intern_tags(docs)),
                    )
                },
                || {
                    rayon::join(
                        || rayon::join(|| intern_series(docs), || intern_lists(docs)),
                        || {
                            rayon::join(
                                || intern_paths(docs),
                                || rayon::join(|| intern_trailers(docs), || scalars(docs)),
                            )
                        },
                    )
                },
            );
        let (lists, doc_list) = lists;
        let (doc_kind, doc_version, doc_date) = scalars;
        let (title_shapes, classes): (Vec<Shape>, Vec<u64>) = (0..u32::try_from(titles.0.len())
            .unwrap_or(u32::MAX))
            .into_par_iter()
            .with_min_len(4096)
            .map(|id| {
                let (shape, classes) = Shape::of(titles.0.folded(id));
                (shape.unwrap_or(Shape::ANY), classes)
            })
            .unzip();
        let title_presence = Presence::of_classes(&classes);
        Haystacks {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            title_shapes,
            title_presence,
            titles: titles.0,
            doc_title: titles.1,
            names: authors.0,
            emails: authors.1,
            doc_author: authors.2,
            doc_sender: authors.3,
            tags: tags.0,
            tag_sets: tags.1,
            doc_tag_set: tags.2,
            series_titles: series.0,
            doc_series: series.1,
            lists,
            doc_list,
            paths: paths.0,
            doc_paths: paths.1,
            trailers: trailers.0,
            doc_trailers: trailers.1,
            doc_kind,
            doc_version,
            doc_date,
        }
    }

    /// How many messages the haystacks hold.
    pub fn len(&self) -> usize {
        self.doc_title.len()
    }

    pub fn is_empty(&self) -> bool {
        self.doc_title.is_empty()
    }

    /// Unique per build, so a filter engine knows when its remembered matches are stale.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The title of message `doc` as written.
    pub fn title(&self, doc: u32) -> &str {
        self.titles
            .original(self.doc_title.get(doc as usize).copied().unwrap_or(NONE))
    }

    /// Bytes on the heap, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        let tables = [
            &self.titles,
            &self.names,
            &self.emails,
            &self.tags,
            &self.series_titles,
            &self.lists,
            &self.paths,
            &self.trailers,
        ];
        let columns = [
            &self.doc_title,
            &self.doc_author,
            &self.doc_sender,
            &self.doc_tag_set,
            &self.doc_series,
            &self.doc_list,
            &self.doc_version,
        ];
        tables.iter().map(|t| t.heap_bytes()).sum::<usize>()
            + columns.iter().map(|c| c.capacity() * 4).sum::<usize>()
            + self.doc_kind.capacity() * size_of::<Kind>()
            + self.title_shapes.capacity() * size_of::<Shape>()
            + self.title_presence.heap_bytes()
            + self.doc_date.capacity() * 8
            + self.tag_sets.heap_bytes()
            + self.doc_paths.heap_bytes()
            + self.doc_trailers.heap_bytes()
    }

    /// How many distinct strings each table holds, for tuning and the benchmark's report.
    pub fn table_sizes(&self) -> [(&'static str, usize); 8] {
        [
            ("titles", self.titles.len()),
            ("authors", self.names.len()),
            ("tags", self.tags.len()),
            ("tag sets", self.tag_sets.len()),
            ("series", self.series_titles.len()),
            ("lists", self.lists.len()),
            ("paths", self.paths.len()),
            ("trailers", self.trailers.len()),
        ]
    }
}

/// What a build reads of each message, one field at a time, so that each table reads only
/// what it needs (the index answers from its messages; a slice of [`SearchDoc`]s from those).
pub trait Documents: Sync {
    /// How many messages.
    fn count(&self) -> usize;
    /// See [`SearchDoc::title`].
    fn title(&self, doc: u32) -> &str;
    fn tags(&self, doc: u32) -> &[Arc<str>];
    /// The author's (name, address).
    fn author(&self, doc: u32) -> (&str, &str);
    /// The sender's (name, address).
    fn sender(&self, doc: u32) -> (&str, &str);
    fn kind(&self, doc: u32) -> Kind;
    fn version(&self, doc: u32) -> Option<u32>;
    fn list_id(&self, doc: u32) -> Option<&str>;
    /// The series message `doc` belongs to, an id below [`Documents::series_count`] (`None`
    /// for a message in none, whose series title is empty).
    fn series(&self, doc: u32) -> Option<u32>;
    fn series_count(&self) -> usize;
    /// See [`SearchDoc::series_title`]: the title every message of series `series` has.
    fn series_title(&self, series: u32) -> &str;
    fn files(&self, doc: u32) -> &[FileStat];
    fn trailers(&self, doc: u32) -> &[Trailer];
    /// Unix seconds UTC.
    fn date(&self, doc: u32) -> Option<i64>;
}

/// Each document is its own series: series titles are interned per message.
impl Documents for &[SearchDoc<'_>] {
    fn count(&self) -> usize {
        self.len()
    }
    fn title(&self, doc: u32) -> &str {
        self.get(doc as usize).map_or("", |d| d.title)
    }
    fn tags(&self, doc: u32) -> &[Arc<str>] {
        self.get(doc as usize).map_or(&[], |d| d.tags)
    }
    fn author(&self, doc: u32) -> (&str, &str) {
        self.get(doc as usize)
            .map_or(("", ""), |d| (d.author_name, d.author_email))
    }
    fn sender(&self, doc: u32) -> (&str, &str) {
        self.get(doc as usize)
            .map_or(("", ""), |d| (d.sender_name, d.sender_email))
    }
    fn kind(&self, doc: u32) -> Kind {
        self.get(doc as usize).map_or(Kind::Other, |d| d.kind)
    }
    fn version(&self, doc: u32) -> Option<u32> {
        self.get(doc as usize).and_then(|d| d.version)
    }
    fn list_id(&self, doc: u32) -> Option<&str> {
        self.get(doc as usize).and_then(|d| d.list_id)
    }
    fn series(&self, doc: u32) -> Option<u32> {
        Some(doc)
    }
    fn series_count(&self) -> usize {
        self.len()
    }
    fn series_title(&self, series: u32) -> &str {
        self.get(series as usize).map_or("", |d| d.series_title)
    }
    fn files(&self, doc: u32) -> &[FileStat] {
        self.get(doc as usize).map_or(&[], |d| d.files)
    }
    fn trailers(&self, doc: u32) -> &[Trailer] {
        self.get(doc as usize).map_or(&[], |d| d.trailers)
    }
    fn date(&self, doc: u32) -> Option<i64> {
        self.get(doc as usize).and_then(|d| d.date)
    }
}

/// The documents a build reads, and how many of them it reads.
#[derive(Clone, Copy)]
struct Docs<'s> {
    count: u32,
    docs: &'s dyn Documents,
}

impl<'s> Docs<'s> {
    fn ids(self) -> std::ops::Range<u32> {
        0..self.count
    }

    fn len(self) -> usize {
        self.count as usize
    }
}

fn intern_each<'s>(
    docs: Docs<'s>,
    key: impl Fn(&'s dyn Documents, u32) -> &'s str,
) -> (StringTable, Vec<u32>) {
    let mut interner = Interner::new();
    let ids = docs
        .ids()
        .map(|i| interner.intern(key(docs.docs, i), |k, out| out.push_str(k)))
        .collect();
    (interner.finish(), ids)
}

/// Series titles, read once per series: a message's id is its series' (ids in the order the
/// messages first show each title, as interning every message's title would give).
fn intern_series(docs: Docs<'_>) -> (StringTable, Vec<u32>) {
    let mut interner = Interner::new();
    let mut of_series = vec![NONE; docs.docs.series_count()];
    let ids = docs
        .ids()
        .map(|i| {
            let Some(slot) = docs
                .docs
                .series(i)
                .and_then(|s| Some((s, of_series.get_mut(s as usize)?)))
            else {
                return interner.intern("", |k, out| out.push_str(k));
            };
            let (s, slot) = slot;
            if *slot == NONE {
                *slot = interner.intern(docs.docs.series_title(s), |k, out| out.push_str(k));
            }
            *slot
        })
        .collect();
    (interner.finish(), ids)
}

/// List-Ids: a message without one has [`NONE`]. Looked up first by where the text lies,
/// as [`intern_authors`] does: the index shares one text per list.
fn intern_lists(docs: Docs<'_>) -> (StringTable, Vec<u32>) {
    let mut interner = Interner::new();
    let mut by_place: HashMap<[usize; 2], u32, BuildHasherDefault<FxHasher>> = HashMap::default();
    let ids = docs
        .ids()
        .map(|i| {
            let list = docs.docs.list_id(i);
            let text = list.unwrap_or("");
            let place = [text.as_ptr() as usize, text.len()];
            let id = *by_place
                .entry(place)
                .or_insert_with(|| interner.intern(text, |k, out| out.push_str(k)));
            if list.is_some() { id } else { NONE }
        })
        .collect();
    (interner.finish(), ids)
}

/// Authors and senders, one table of (name, address) pairs: an id indexes both `names` and
/// `emails`. Returns the tables and each message's author and sender ids.
///
/// The index shares one address among all the messages from it, so a pair is first looked up
/// by where its text lies (text at the same place is the same text), and its bytes are read
/// only the first time a place is seen: ids are those interning every pair's text would give.
fn intern_authors<'s>(docs: Docs<'s>) -> (StringTable, StringTable, Vec<u32>, Vec<u32>) {
    let mut names = Interner::new();
    let mut emails = Interner::new();
    let mut by_place: HashMap<[usize; 4], u32, BuildHasherDefault<FxHasher>> = HashMap::default();
    let mut intern = |(name, email): (&'s str, &'s str)| {
        let place = [
            name.as_ptr() as usize,
            name.len(),
            email.as_ptr() as usize,
            email.len(),
        ];
        *by_place.entry(place).or_insert_with(|| {
            names.intern((name, email), |(name, email), out| {
                out.push_str(name);
                // Interned in step with the names, so an author's id indexes both tables.
                emails.intern((name, email), |(_, e), out| out.push_str(e));
            })
        })
    };
    let mut senders = Vec::with_capacity(docs.len());
    let authors = docs
        .ids()
        .map(|i| {
            let author = intern(docs.docs.author(i));
            senders.push(intern(docs.docs.sender(i)));
            author
        })
        .collect();
    (names.finish(), emails.finish(), authors, senders)
}

/// Tag sets, each message's looked up first by where its tags lie: the index shares one text
/// per distinct tag, so the same places are the same tags, and a set's text is read only the
/// first time its places are seen (ids are those interning every set's text would give).
fn intern_tags<'s>(docs: Docs<'s>) -> (StringTable, IdLists, Vec<u32>) {
    let mut tags = Interner::new();
    let mut sets: Interner<&'s [Arc<str>]> = Interner::new();
    let mut by_place: HashMap<TagPlaces<'s>, u32, BuildHasherDefault<FxHasher>> =
        HashMap::default();
    let mut set_tags = IdLists::new();
    let ids = docs
        .ids()
        .map(|i| {
            let doc_tags = docs.docs.tags(i);
            *by_place.entry(TagPlaces(doc_tags)).or_insert_with(|| {
                let before = sets.len();
                let id = sets.intern(doc_tags, |_, _| {});
                if sets.len() > before {
                    for tag in doc_tags {
                        set_tags.push(tags.intern(&**tag, |k, out| out.push_str(k)));
                    }
                    set_tags.end_row();
                }
                id
            })
        })
        .collect();
    (tags.finish(), set_tags.shrink(), ids)
}

/// Tags compared and hashed by where each lies, not by its text.
#[derive(Clone, Copy)]
struct TagPlaces<'s>(&'s [Arc<str>]);

impl PartialEq for TagPlaces<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(other.0).all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

impl Eq for TagPlaces<'_> {}

impl Hash for TagPlaces<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for tag in self.0 {
            state.write_usize(Arc::as_ptr(tag).cast::<u8>() as usize);
        }
    }
}

fn intern_paths(docs: Docs<'_>) -> (StringTable, IdLists) {
    let mut interner = Interner::new();
    let mut lists = IdLists::new();
    for i in docs.ids() {
        for file in docs.docs.files(i) {
            lists.push(interner.intern(&*file.path, |k, out| out.push_str(k)));
        }
        lists.end_row();
    }
    (interner.finish(), lists.shrink())
}

fn intern_trailers(docs: Docs<'_>) -> (StringTable, IdLists) {
    let mut interner = Interner::new();
    let mut lists = IdLists::new();
    for i in docs.ids() {
        for t in docs.docs.trailers(i) {
            let key = (t.key.as_str(), &*t.value);
            lists.push(interner.intern(key, |(k, v), out| {
                out.push_str(k);
                out.push_str(": ");
                out.push_str(v);
            }));
        }
        lists.end_row();
    }
    (interner.finish(), lists.shrink())
}

fn scalars(docs: Docs<'_>) -> (Vec<Kind>, Vec<u32>, Vec<i64>) {
    let d = docs.docs;
    (
        docs.ids().map(|i| d.kind(i)).collect(),
        docs.ids()
            .map(|i| d.version(i).map_or(NONE, |v| v.min(NONE - 1)))
            .collect(),
        docs.ids().map(|i| d.date(i).unwrap_or(NO_DATE)).collect(),
    )
}
