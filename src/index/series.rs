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
//! of what they answer. Series with the same title and sender are versions of one work.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use hashbrown::HashMap;

use super::ids::IdIndex;
use crate::model::message::{Kind, Message};

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
    /// Every series that is a version of the same work, this one included, oldest version
    /// first.
    pub versions: Vec<u32>,
    /// The message whose sender sent the series (the one that opened it).
    sender: u32,
    last_date: i64,
}

impl Series {
    /// Patch numbers `1..=total` that never arrived.
    pub fn missing(&self) -> Vec<u32> {
        let Some(total) = self.total else {
            return Vec::new();
        };
        (1..=total.min(999))
            .filter(|n| !self.patches.iter().any(|&(p, _)| p == *n))
            .collect()
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

    fn has_number(&self, n: u32) -> bool {
        self.patches.iter().any(|&(p, _)| p == n)
    }
}

/// The series found in an archive and each message's series.
#[derive(Debug, Default)]
pub struct Grouping {
    pub series: Vec<Series>,
    pub series_of: Vec<Option<u32>>,
}

/// How far apart the patches of one unthreaded series may be sent.
const MARKER_WINDOW_SECS: i64 = 12 * 3600;

/// Groups `messages` (in date order) into series; `by_id` finds a message by Message-ID.
/// Linear in the messages and their references: every lookup is a hash probe on borrowed text.
pub fn group(messages: &[Message], by_id: &IdIndex) -> Grouping {
    let mut g = Grouping {
        series: Vec::new(),
        series_of: vec![None; messages.len()],
    };
    let find = |id: &str| by_id.get(id, |j| messages.get(j as usize).map_or("", |m| &m.id));
    // (sender, version, total) -> series ids, oldest first, for unthreaded patches.
    let mut by_marker: HashMap<Marker<'_>, Vec<u32>> = HashMap::new();
    let date = |i: usize| messages[i].date.map_or(0, |d| d.unix);

    // Covers first, so patches sent (or stored) before their cover still find it.
    for (i, m) in messages.iter().enumerate() {
        if m.kind == Kind::Cover {
            let id = open(&mut g, messages, i);
            g.series[id as usize].cover = Some(i as u32);
            by_marker.entry(marker(m)).or_default().push(id);
        }
    }
    for (i, m) in messages.iter().enumerate() {
        if m.kind != Kind::Patch {
            continue;
        }
        let Some(number) = m.subject.number else {
            let id = open(&mut g, messages, i);
            g.series[id as usize].patches.push((1, i as u32));
            continue;
        };
        let version = m.subject.version;
        let fits = |s: &Series| !s.has_number(number) && version.is_none_or(|v| v == s.version);
        let threaded = ancestors(m)
            .filter_map(|id| find(id))
            .filter_map(|a| g.series_of[a as usize])
            .find(|&s| fits(&g.series[s as usize]));
        if threaded.is_none()
            && let Some(id) = resent_into(&g, messages, &find, m)
        {
            let s = &mut g.series[id as usize];
            if let Some(slot) = s.patches.iter_mut().find(|(n, _)| *n == number) {
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
        s.patches.push((number, i as u32));
        s.last_date = s.last_date.max(date(i));
        g.series_of[i] = Some(id);
    }
    for s in &mut g.series {
        s.patches.sort_unstable();
        if s.cover.is_none()
            && let Some(&(_, first)) = s.patches.first()
        {
            s.root = first;
            s.title.clone_from(&messages[first as usize].subject.title);
        }
    }
    // Replies (and their replies) join the series of what they answer.
    for (i, m) in messages.iter().enumerate() {
        if m.kind != Kind::Reply {
            continue;
        }
        let found = ancestors(m)
            .filter_map(|id| find(id))
            .find_map(|a| g.series_of[a as usize]);
        if let Some(id) = found {
            g.series_of[i] = Some(id);
            g.series[id as usize].replies.push(i as u32);
        }
    }
    link_versions(&mut g.series, messages);
    g
}

/// The series a patch re-sends a number into: its direct parent is the series' cover letter,
/// from the same sender, with the same version (or the patch gives none).
fn resent_into(
    g: &Grouping,
    messages: &[Message],
    find: &impl Fn(&str) -> Option<u32>,
    m: &Message,
) -> Option<u32> {
    let parent = find(m.in_reply_to.as_ref()?)?;
    let cover = &messages[parent as usize];
    let id = g.series_of[parent as usize]?;
    let series = &g.series[id as usize];
    let same_sender = cover.from.email.eq_ignore_ascii_case(&m.from.email);
    let same_version = m.subject.version.is_none_or(|v| v == series.version);
    (cover.kind == Kind::Cover && series.cover == Some(parent) && same_sender && same_version)
        .then_some(id)
}

/// Opens a series rooted at message `i` and assigns `i` to it.
fn open(g: &mut Grouping, messages: &[Message], i: usize) -> u32 {
    let m = &messages[i];
    let id = g.series.len() as u32;
    g.series.push(Series {
        id,
        root: i as u32,
        title: m.subject.title.clone(),
        version: m.subject.version.unwrap_or(1),
        total: m.subject.total,
        sender: i as u32,
        last_date: m.date.map_or(0, |d| d.unix),
        ..Series::default()
    });
    g.series_of[i] = Some(id);
    id
}

/// What unthreaded patches of one series share: sender, version and total.
type Marker<'a> = (Folded<'a>, u32, Option<u32>);

fn marker(m: &Message) -> Marker<'_> {
    (
        Folded(Cow::Borrowed(&m.from.email)),
        m.subject.version.unwrap_or(1),
        m.subject.total,
    )
}

/// Text compared and hashed without ASCII case, borrowed: mail addresses and titles are
/// matched case-insensitively without building a lower-cased copy of each.
#[derive(Debug, Clone)]
struct Folded<'a>(Cow<'a, str>);

impl<'a> Folded<'a> {
    /// `text` as [`str::to_lowercase`] compares it: borrowed when it is ASCII.
    fn lowercase(text: &'a str) -> Folded<'a> {
        if text.is_ascii() {
            Folded(Cow::Borrowed(text))
        } else {
            Folded(Cow::Owned(text.to_lowercase()))
        }
    }
}

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Folded<'_> {}

impl Hash for Folded<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut chunk = [0u8; 64];
        let bytes = self.0.as_bytes();
        for part in bytes.chunks(chunk.len()) {
            let folded = &mut chunk[..part.len()];
            folded.copy_from_slice(part);
            folded.make_ascii_lowercase();
            state.write(folded);
        }
        state.write_usize(bytes.len());
    }
}

/// Message-IDs a message answers, nearest first.
fn ancestors(m: &Message) -> impl Iterator<Item = &String> {
    m.in_reply_to.iter().chain(m.references.iter().rev())
}

fn link_versions(series: &mut [Series], messages: &[Message]) {
    let mut works: HashMap<(Folded<'_>, Folded<'_>), Vec<u32>> = HashMap::new();
    for s in series.iter() {
        let title = s.title.trim();
        if title.is_empty() {
            continue;
        }
        let sender = messages
            .get(s.sender as usize)
            .map_or("", |m| &m.from.email);
        works
            .entry((Folded(Cow::Borrowed(sender)), Folded::lowercase(title)))
            .or_default()
            .push(s.id);
    }
    let linked: Vec<Vec<u32>> = works.into_values().filter(|ids| ids.len() > 1).collect();
    for mut ids in linked {
        ids.sort_by_key(|&id| (series[id as usize].version, series[id as usize].last_date));
        for &id in &ids {
            series[id as usize].versions = ids.clone();
        }
    }
    for s in series.iter_mut() {
        if s.versions.is_empty() {
            s.versions.push(s.id);
        }
    }
}
