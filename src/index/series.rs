//! Grouping messages into series, the way patchwork does.
//!
//! A cover letter (`0/n`) opens a series. A numbered patch joins the series of the nearest
//! message it replies to (In-Reply-To, then References from the nearest) when that series has
//! no patch with its number yet and the versions agree (an unlabelled patch joins any version:
//! git send-email puts the version on the cover only when asked); else it joins a series of the
//! same sender, version and total sent within 12 hours with its slot free; else it opens one.
//! A slot already taken means a new round, so a second round threaded to the first becomes a
//! series of its own, with one exception: a patch answering its series' cover letter directly,
//! from the cover's sender and with the cover's version, re-sends that number (a `git
//! send-email` run that broke off and was resumed), and the newer copy takes the slot. An
//! unnumbered patch is a series by itself. Replies belong to the series
//! of what they answer.
//!
//! Series are then linked into works, the versions of one change (see `link_versions`): the
//! same title from the same sender (address or name), the same b4 `change-id:`, or a changelog
//! line linking an earlier version (`- Link to v1: https://lore…/<msgid>`). A backport of one
//! patch to several stable trees and the patches of a pull request are not new versions of it,
//! so series whose subjects name different trees (`[PATCH AUTOSEL 6.12]`, `[PATCH 6.6]`), or
//! of which one is a pull request, are not linked by title.
//!
//! Two rules follow b4 (`LoreMailbox.get_series`): a cover letter that gives no version
//! (`[PATCH 00/15]`) takes the version of the first patches threaded under it
//! (`[PATCH v2 01/15]`), so they are one series; and a partial reroll (a v3 that re-sends only
//! some patches, each in reply to the same number of v2) is completed from the version before
//! it, as `partial_reroll` rebuilds it: the missing patches, and the cover letter when the
//! reroll has none.

use std::hash::{BuildHasher, Hash, Hasher};

use hashbrown::{DefaultHashBuilder, HashMap, HashTable};
use rayon::prelude::*;

use super::ids::IdIndex;
use super::thread::Answer;

use crate::model::message::{Kind, Message};
use crate::model::version_links::VersionLinks;

/// Messages of one submission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Series {
    pub id: u32,
    /// The message the series is known by: its cover letter, else its first patch.
    pub root: u32,
    /// The cover letter's title, else the first patch's.
    pub title: String,
    /// 1 when the subjects give none.
    pub version: u32,
    pub total: Option<u32>,
    pub cover: Option<u32>,
    /// `(number, message)` sorted by number; an unnumbered patch is number 1.
    pub patches: Vec<(u32, u32)>,
    pub replies: Vec<u32>,
    /// Patches whose number was sent again in this series; the newer copy is in `patches`.
    pub superseded: Vec<u32>,
    /// The work this series is a version of: an index into [`Grouping::works`].
    pub work: u32,
    /// A partial reroll: the earlier version its missing patches (and cover) come from.
    pub reroll_from: Option<u32>,
    /// `(number, message)` of the patches taken from `reroll_from`, sorted by number.
    pub rerolled: Vec<(u32, u32)>,
    /// The message that opened it (its cover letter, else the patch that came first): whose
    /// sender the series is by, for linking versions.
    opener: u32,
    last_date: i64,
    /// The version came from a subject (`v2`), not the default of 1.
    version_given: bool,
}

impl Series {
    /// Patch numbers `1..=total` that never arrived.
    pub fn missing(&self) -> Vec<u32> {
        let Some(total) = self.total else {
            return Vec::new();
        };
        (1..=total.min(999))
            .filter(|&n| !self.has_number(n) && !self.rerolled.iter().any(|&(p, _)| p == n))
            .collect()
    }

    /// The patches `git am` gets for this series, by number: its own, and for a partial
    /// reroll those taken from the version before.
    pub fn am_patches(&self) -> Vec<(u32, u32)> {
        let mut all: Vec<(u32, u32)> = self.patches.iter().chain(&self.rerolled).copied().collect();
        all.sort_unstable();
        all
    }

    /// Every patch `1..=total` is here.
    pub fn complete(&self) -> bool {
        self.missing().is_empty()
    }

    /// Cover first, then patches in order: the messages a series export or fold shows.
    pub fn members(&self) -> impl Iterator<Item = u32> + '_ {
        self.cover
            .into_iter()
            .chain(self.patches.iter().map(|&(_, m)| m))
    }

    /// Whether patch number `n` is here: [`Series::patches`] is kept in number order from the
    /// first patch on, so a series of thousands (hostile mail) is not searched through for
    /// every patch that joins it.
    fn has_number(&self, n: u32) -> bool {
        self.slot(n).is_ok()
    }

    /// Where number `n` is among the patches, or where it would go.
    fn slot(&self, n: u32) -> Result<usize, usize> {
        self.patches.binary_search_by_key(&n, |&(p, _)| p)
    }
}

/// The series found in an archive and each message's series.
#[derive(Debug, Default)]
pub struct Grouping {
    pub series: Vec<Series>,
    pub series_of: Vec<Option<u32>>,
    /// The versions of each work, one list shared by the series of that work.
    pub works: Works,
}

/// Series grouped by work, each work's series oldest version first, all in one vector: one
/// entry per series however many versions a work has.
#[derive(Debug, Default)]
pub struct Works {
    /// Where each work's series start in `members`; one more entry than there are works.
    starts: Vec<u32>,
    members: Vec<u32>,
}

impl Works {
    /// The series of work `work`, oldest version first (empty for an unknown work).
    pub fn versions(&self, work: u32) -> &[u32] {
        let w = work as usize;
        match (self.starts.get(w), self.starts.get(w + 1)) {
            (Some(&a), Some(&b)) => self.members.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many works there are.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How far apart the patches of one unthreaded series may be sent.
const MARKER_WINDOW_SECS: i64 = 12 * 3600;

/// No message.
const NONE: u32 = u32::MAX;

/// Groups `messages` (in date order) into series; `by_id` finds a message by Message-ID and
/// `answers` ([`Answer::all`]) is what each message answers. Linear in the messages and
/// their references: every lookup is a hash probe, most of them made before, in parallel.
pub fn group(messages: &[Message], by_id: &IdIndex, answers: &[Answer]) -> Grouping {
    let mut g = gather(messages, by_id, answers);
    let linked = link(&g, messages, by_id);
    g.apply(linked);
    g
}

/// What [`link`] finds from gathered series: partial rerolls completed, and works. Kept apart
/// from the series until [`Grouping::apply`] so that the threads, which read only the series'
/// patches and heads, can be hung from the same series meanwhile, on the other core.
#[derive(Debug, Default)]
pub struct Linked {
    rerolls: Vec<Reroll>,
    /// Each series' work.
    work_of: Vec<u32>,
    works: Works,
}

/// A partial reroll completed: series `series` takes patches `taken` from version `from`.
#[derive(Debug)]
struct Reroll {
    series: u32,
    from: u32,
    taken: Vec<(u32, u32)>,
}

impl Grouping {
    /// Puts what [`link`] found into the series.
    pub fn apply(&mut self, linked: Linked) {
        for Reroll {
            series,
            from,
            taken,
        } in linked.rerolls
        {
            if let Some(s) = self.series.get_mut(series as usize) {
                s.reroll_from = Some(from);
                s.rerolled = taken;
            }
        }
        for (s, work) in self.series.iter_mut().zip(linked.work_of) {
            s.work = work;
        }
        self.works = linked.works;
    }
}

/// Completes partial rerolls and links the series [`gather`] found into works (see
/// [`group`]), reading them only.
pub fn link(g: &Grouping, messages: &[Message], by_id: &IdIndex) -> Linked {
    let find = |id: &str| by_id.get(id, |j| messages.get(j as usize).map_or("", |m| &m.id));
    let rerolls = complete_rerolls(g, messages, &find);
    let (work_of, works) = link_versions(&g.series, &g.series_of, messages, &find);
    Linked {
        rerolls,
        work_of,
        works,
    }
}

/// The series of `messages`, each message's series and the series' titles, before partial
/// rerolls are completed and versions linked ([`link`]): see [`group`].
pub fn gather(messages: &[Message], by_id: &IdIndex, answers: &[Answer]) -> Grouping {
    let find = |id: &str| by_id.get(id, |j| messages.get(j as usize).map_or("", |m| &m.id));
    let answer = |i: usize| {
        answers
            .get(i)
            .copied()
            .unwrap_or_else(|| Answer::of(&messages[i], i as u32, &find))
    };
    let mut g = Grouping {
        series: Vec::new(),
        series_of: vec![None; messages.len()],
        works: Works::default(),
    };
    // (sender, version, total) -> series ids, oldest first, for unthreaded patches.
    let mut by_marker: HashMap<Marker<'_>, Vec<u32>> = HashMap::new();
    let date = |i: usize| messages[i].date.map_or(0, |d| d.unix);
    // The passes below each look for one kind: read once, in parallel, rather than reading
    // every message (each on a cache line of its own) three times over.
    let kinds: &[Kind] = &messages.par_iter().map(|m| m.kind).collect::<Vec<_>>();
    let of_kind = |kind: Kind| {
        (0..messages.len())
            .filter(move |&i| kinds[i] == kind)
            .map(|i| (i, &messages[i]))
    };

    // Room for as many series as there are covers and patches, the most there can be, made
    // once: growing the vector as series open copied it whole each time it doubled, onto
    // pages the system had to fault in afresh (a quarter of a kilobyte a series).
    g.series.reserve(
        kinds
            .iter()
            .filter(|k| matches!(k, Kind::Cover | Kind::Patch))
            .count(),
    );
    // Covers first, so patches sent (or stored) before their cover still find it.
    for (i, m) in of_kind(Kind::Cover) {
        let id = open(&mut g, messages, i);
        g.series[id as usize].cover = Some(i as u32);
        by_marker.entry(marker(m)).or_default().push(id);
    }
    for (i, m) in of_kind(Kind::Patch) {
        let Some(number) = m.subject.number else {
            let id = open(&mut g, messages, i);
            g.series[id as usize].patches.push((1, i as u32));
            continue;
        };
        let version = m.subject.version;
        let fits = |s: &Series| !s.has_number(number) && version.is_none_or(|v| v == s.version);
        // A cover without a version whose first threaded patches give one takes theirs.
        let adopts = |s: &Series| {
            s.cover.is_some()
                && !s.version_given
                && s.patches.is_empty()
                && s.total == m.subject.total
                && version.is_some()
        };
        let threaded = answer(i)
            .chain(m, i as u32, &find)
            .filter_map(|a| g.series_of[a as usize])
            .find(|&s| fits(&g.series[s as usize]) || adopts(&g.series[s as usize]));
        if let (Some(id), Some(v)) = (threaded, version) {
            let s = &mut g.series[id as usize];
            if !s.version_given {
                s.version = v;
                s.version_given = true;
            }
        }
        if threaded.is_none()
            && let Some(id) = resent_into(&g, messages, answer(i).replied_to(m), m)
        {
            let s = &mut g.series[id as usize];
            if let Some(slot) = s.slot(number).ok().and_then(|at| s.patches.get_mut(at)) {
                s.superseded.push(slot.1);
                slot.1 = i as u32;
            }
            s.last_date = s.last_date.max(date(i));
            g.series_of[i] = Some(id);
            continue;
        }
        let series = threaded.or_else(|| {
            by_marker.get(&marker(m)).and_then(|ids| {
                ids.iter().rev().copied().find(|&s| {
                    let s = &g.series[s as usize];
                    fits(s) && (date(i) - s.last_date).abs() <= MARKER_WINDOW_SECS
                })
            })
        });
        let id = match series {
            Some(id) => id,
            None => {
                let id = open(&mut g, messages, i);
                by_marker.entry(marker(m)).or_default().push(id);
                id
            }
        };
        let s = &mut g.series[id as usize];
        // A number not there yet (`fits`), put in its place.
        let at = s.slot(number).unwrap_or_else(|at| at);
        s.patches.insert(at, (number, i as u32));
        s.last_date = s.last_date.max(date(i));
        g.series_of[i] = Some(id);
    }
    // A series is known by its cover letter, else its first patch, and by that one's title.
    g.series.par_iter_mut().for_each(|s| {
        if s.cover.is_none()
            && let Some(&(_, first)) = s.patches.first()
        {
            s.root = first;
        }
        s.title = messages[s.root as usize].subject.title().to_string();
    });
    // Replies (and their replies) join the series of what they answer.
    for (i, m) in of_kind(Kind::Reply) {
        let found = answer(i)
            .chain(m, i as u32, &find)
            .find_map(|a| g.series_of[a as usize]);
        if let Some(id) = found {
            g.series_of[i] = Some(id);
            g.series[id as usize].replies.push(i as u32);
        }
    }
    g
}

/// Completes partial rerolls as b4's `partial_reroll` does: a series of version N > 1 with
/// patches missing, every patch of which answers (directly or up its In-Reply-To chain) a
/// patch of the same number and total, one of them in a series of version N - 1, takes the
/// missing numbers from that series.
fn complete_rerolls(
    g: &Grouping,
    messages: &[Message],
    find: &impl Fn(&str) -> Option<u32>,
) -> Vec<Reroll> {
    let mut rerolls = Vec::new();
    for id in 0..g.series.len() {
        let s = &g.series[id];
        if s.version <= 1 || s.patches.is_empty() || s.missing().is_empty() {
            continue;
        }
        let mut earlier = None;
        let sane = s.patches.iter().all(|&(_, p)| {
            let m = &messages[p as usize];
            let mut steps = 0;
            let mut up = m.in_reply_to().and_then(find);
            while let Some(a) = up.filter(|_| steps < 1000) {
                let am = &messages[a as usize];
                if am.subject.number == m.subject.number && am.subject.total == m.subject.total {
                    if let Some(found) = g.series_of[a as usize]
                        .filter(|&f| g.series[f as usize].version + 1 == s.version)
                    {
                        earlier = Some(found);
                    }
                    return true;
                }
                steps += 1;
                up = am.in_reply_to().and_then(find);
            }
            false
        });
        let Some(from) = earlier.filter(|_| sane) else {
            continue;
        };
        let missing = s.missing();
        let taken: Vec<(u32, u32)> = g.series[from as usize]
            .patches
            .iter()
            .filter(|(n, _)| missing.contains(n))
            .copied()
            .collect();
        rerolls.push(Reroll {
            series: id as u32,
            from,
            taken,
        });
    }
    rerolls
}

/// The series a patch re-sends a number into: its direct parent (`parent`, what its
/// In-Reply-To names) is the series' cover letter, from the same sender, with the same version
/// (or the patch gives none).
fn resent_into(
    g: &Grouping,
    messages: &[Message],
    parent: Option<u32>,
    m: &Message,
) -> Option<u32> {
    let parent = parent?;
    let cover = &messages[parent as usize];
    let id = g.series_of[parent as usize]?;
    let series = &g.series[id as usize];
    let same_sender = cover.from.email.eq_ignore_ascii_case(&m.from.email);
    let same_version = m.subject.version.is_none_or(|v| v == series.version);
    (cover.kind == Kind::Cover && series.cover == Some(parent) && same_sender && same_version)
        .then_some(id)
}

/// Opens a series rooted at message `i` and assigns `i` to it. Its title is set once its
/// root is known, after all patches found their series.
fn open(g: &mut Grouping, messages: &[Message], i: usize) -> u32 {
    let m = &messages[i];
    let id = g.series.len() as u32;
    g.series.push(Series {
        id,
        root: i as u32,
        version: m.subject.version.unwrap_or(1),
        version_given: m.subject.version.is_some(),
        total: m.subject.total,
        opener: i as u32,
        last_date: m.date.map_or(0, |d| d.unix),
        ..Series::default()
    });
    g.series_of[i] = Some(id);
    id
}

/// What unthreaded patches of one series share: sender, version and total.
type Marker<'a> = (Caseless<'a>, u32, Option<u32>);

fn marker(m: &Message) -> Marker<'_> {
    (
        Caseless(&m.from.email),
        m.subject.version.unwrap_or(1),
        m.subject.total,
    )
}

/// Links series into works: gives each series' work, and each work's series, oldest version
/// first. Near-linear: what links each series is read and hashed in parallel, then one hash
/// probe per key and a union-find over series ids.
fn link_versions(
    series: &[Series],
    series_of: &[Option<u32>],
    messages: &[Message],
    find: &impl Fn(&str) -> Option<u32>,
) -> (Vec<u32>, Works) {
    let hasher = DefaultHashBuilder::default();
    let keys: Vec<Links<'_>> = series
        .par_iter()
        .map(|s| Links::of(s, messages, &hasher))
        .collect();
    let mut links = UnionFind::new(series.len());
    // Each title key's first series, by where that key is in `keys`: up to two keys a series
    // (room for one a series had the table grown, rehashing every key, halfway through).
    let mut by_title: HashTable<(u32, usize)> = HashTable::with_capacity(2 * series.len());
    let mut by_change_id: HashMap<&str, u32> = HashMap::new();
    for (id, key) in (0u32..).zip(&keys) {
        for (at, (hash, title)) in key.titles.iter().enumerate() {
            let Some(title) = title else {
                continue;
            };
            let same = |&(j, k): &(u32, usize)| {
                keys[j as usize].titles[k]
                    .1
                    .as_ref()
                    .is_some_and(|held| held == title)
            };
            let rehash = |&(j, k): &(u32, usize)| keys[j as usize].titles[k].0;
            let first = by_title
                .entry(*hash, same, rehash)
                .or_insert((id, at))
                .get()
                .0;
            links.union(first, id);
        }
        let Some(found) = key.version_links else {
            continue;
        };
        if let Some(change_id) = found.change_id.as_deref() {
            let first = *by_change_id.entry(change_id).or_insert(id);
            links.union(first, id);
        }
        for earlier_id in &found.earlier {
            let earlier = find(earlier_id.as_str())
                .and_then(|m| series_of.get(m as usize).copied().flatten());
            if let Some(earlier) = earlier {
                links.union(earlier, id);
            }
        }
    }
    drop(by_title);
    drop(by_change_id);
    drop(keys);
    // Number the works by their first series, then lay their members out oldest first.
    let mut work_of_root: Vec<u32> = vec![NONE; series.len()];
    let mut work_of: Vec<u32> = vec![0; series.len()];
    let mut counts: Vec<u32> = Vec::new();
    for id in 0..series.len() as u32 {
        let root = links.find(id) as usize;
        if work_of_root[root] == NONE {
            work_of_root[root] = counts.len() as u32;
            counts.push(0);
        }
        let work = work_of_root[root];
        counts[work as usize] += 1;
        work_of[id as usize] = work;
    }
    let mut starts = Vec::with_capacity(counts.len() + 1);
    let mut at = 0u32;
    starts.push(0);
    for count in &counts {
        at += count;
        starts.push(at);
    }
    let mut fill: Vec<u32> = starts[..counts.len()].to_vec();
    let mut members = vec![0u32; series.len()];
    for (s, &work) in series.iter().zip(&work_of) {
        let slot = &mut fill[work as usize];
        members[*slot as usize] = s.id;
        *slot += 1;
    }
    for w in 0..counts.len() {
        let range = starts[w] as usize..starts[w + 1] as usize;
        if range.len() > 1 {
            members[range].sort_by_key(|&id| {
                let s = &series[id as usize];
                (s.version, s.last_date, s.id)
            });
        }
    }
    (work_of, Works { starts, members })
}

/// What may link a series to other versions of its work: its title keys (by the sender's
/// address and by their name), hashed, and the version links its root's text gives.
struct Links<'a> {
    titles: [(u64, Option<TitleKey<'a>>); 2],
    version_links: Option<&'a VersionLinks>,
}

impl<'a> Links<'a> {
    fn of(s: &'a Series, messages: &'a [Message], hasher: &DefaultHashBuilder) -> Links<'a> {
        let mut links = Links {
            titles: [(0, None), (0, None)],
            version_links: None,
        };
        let Some(root) = messages.get(s.root as usize) else {
            return links;
        };
        links.version_links = root.summary.version_links.as_deref();
        let title = s.title.trim();
        if title.is_empty() {
            return links;
        }
        let target = target(root);
        let address = messages
            .get(s.opener as usize)
            .map_or("", |m| &m.from.email);
        let name = root.from.name.trim();
        let senders = [
            Some(address),
            (!name.is_empty() && !name.contains('@')).then_some(name),
        ];
        for ((who, sender), slot) in senders.into_iter().enumerate().zip(&mut links.titles) {
            let Some(sender) = sender.filter(|x| !x.is_empty()) else {
                continue;
            };
            let key = TitleKey {
                by_name: who == 1,
                sender: Caseless(sender),
                title: Caseless(title),
                target,
            };
            *slot = (hasher.hash_one(&key), Some(key));
        }
        links
    }
}

/// What two series must share to be versions of one work by their title.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TitleKey<'a> {
    /// `sender` is a display name rather than an address.
    by_name: bool,
    sender: Caseless<'a>,
    title: Caseless<'a>,
    target: u64,
}

/// Text compared and hashed without regard to ASCII case, borrowed rather than lower-cased
/// into a new string per series.
#[derive(Debug, Clone, Copy)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl Hash for Caseless<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        crate::model::hash_ascii_caseless(self.0.as_bytes(), state);
        state.write_u8(0xff);
    }
}

/// Where a series is meant to go, as its subject says: whether it is a pull request, and the
/// stable trees it is a backport to (`AUTOSEL`, `6.12`, `5.15.y`, `stable`), hashed. Series
/// with different targets are not versions of each other however alike their titles.
fn target(root: &Message) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (root.subject.pull || root.kind == Kind::Pull).hash(&mut h);
    for tag in root.subject.tags.iter() {
        if is_tree_tag(tag) {
            Caseless(tag).hash(&mut h);
        }
    }
    h.finish()
}

/// A subject tag naming a stable tree or a backport: `AUTOSEL`, `stable`, `6.12`, `5.15.y`,
/// `6.6.y-rc1`, `linux-6.1.y`.
fn is_tree_tag(tag: &str) -> bool {
    // Compared without regard to ASCII case, in place: a lower-cased copy of every tag of
    // every series cost an allocation each.
    let has = |word: &str| {
        tag.as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    if has("autosel") || has("stable") {
        return true;
    }
    let version = tag
        .get(..6)
        .filter(|prefix| prefix.eq_ignore_ascii_case("linux-"))
        .and_then(|_| tag.get(6..))
        .unwrap_or(tag);
    let mut parts = version.split('.');
    let major = parts.next().unwrap_or("");
    let minor = parts.next().unwrap_or("");
    let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    numeric(major) && minor.split('-').next().is_some_and(numeric)
}

/// Disjoint sets of series ids; the smaller id represents a set.
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b) as usize] = a.min(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::archive::message_from_bytes;

    /// [`is_tree_tag`] as first written, on a lower-cased copy.
    fn is_tree_tag_lowered(tag: &str) -> bool {
        let lower = tag.to_ascii_lowercase();
        if lower.contains("autosel") || lower.contains("stable") {
            return true;
        }
        let version = lower.strip_prefix("linux-").unwrap_or(&lower);
        let mut parts = version.split('.');
        let major = parts.next().unwrap_or("");
        let minor = parts.next().unwrap_or("");
        let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        numeric(major) && minor.split('-').next().is_some_and(numeric)
    }

    #[test]
    fn tree_tags_are_found_in_place_as_on_a_lower_cased_copy() {
        const PIECES: &[&str] = &[
            "6", "12", ".", "-", "y", "Y", "rc1", "linux", "LINUX", "Linux-", "auto", "SEL", "sel",
            "sta", "BLE", "ble", "stable", "AutoSel", "é", "İ", "K", "ß", "x", " ",
        ];
        for tag in crate::random_texts(0x7ee7_a65e_0000_0006, PIECES, 8) {
            assert_eq!(is_tree_tag(&tag), is_tree_tag_lowered(&tag), "{tag:?}");
        }
        for tag in [
            "AUTOSEL",
            "6.12",
            "5.15.y",
            "6.6.y-rc1",
            "linux-6.1.y",
            "LINUX-6.1",
            "net",
        ] {
            assert_eq!(is_tree_tag(tag), is_tree_tag_lowered(tag), "{tag:?}");
        }
    }

    /// Patches of one unthreaded series arriving in no order of number: one series, its
    /// patches in number order (kept so while grouping), and a number sent twice opens the
    /// next round.
    #[test]
    fn patches_arriving_in_any_order_are_kept_in_number_order() {
        let n = 40;
        let mut next = crate::xorshift(3);
        let mut numbers: Vec<usize> = (1..=n).collect();
        for k in (1..numbers.len()).rev() {
            numbers.swap(k, usize::try_from(next()).unwrap() % (k + 1));
        }
        numbers.push(numbers[0]);
        let messages: Vec<Message> = (0..)
            .zip(&numbers)
            .map(|(k, number)| {
                message_from_bytes(
                    format!(
                        "From: A <a@b>\nMessage-ID: <p{k}@x>\n\
                         Date: Mon, 1 Jan 2024 00:{k:02}:00 +0000\n\
                         Subject: [PATCH {number}/{n}] change\n\n---\n a.c | 1 +\n\
                         diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1,2 @@\n x\n+y\n"
                    )
                    .as_bytes(),
                )
            })
            .collect();
        let by_id = IdIndex::build(messages.len(), |i| &*messages[i as usize].id);
        let find = |id: &str| by_id.get(id, |i| &*messages[i as usize].id);
        let answers = Answer::all(&messages, &find);
        let g = group(&messages, &by_id, &answers);
        assert_eq!(g.series.len(), 2);
        let first = &g.series[0];
        let held: Vec<u32> = first.patches.iter().map(|&(number, _)| number).collect();
        assert_eq!(held, (1..=n as u32).collect::<Vec<_>>());
        for &(number, msg) in &first.patches {
            assert_eq!(numbers[msg as usize], number as usize);
        }
        assert!(first.complete());
        assert_eq!(g.series[1].patches, vec![(numbers[0] as u32, n as u32)]);
        assert_eq!(g.series[1].missing().len(), n - 1);
    }
}
