//! Synthetic kernel-list messages, for benchmarks and tests only: a deterministic generator of
//! archives of any size that look like lore's (series of `[PATCH v3 10/16] subsys: title`
//! patches with cover letters and `Re:` replies, `[GIT PULL]` requests, a few thousand authors
//! of whom a few write most mail, paths from real kernel directories, trailers, List-Ids, dates
//! spread over five years, in chronological order).
//!
//! Nothing here reads real mail; filter benchmarks and the engine's reference test need
//! millions of plausible messages, which no fixture provides.

use std::sync::Arc;

use patchdeck::index::haystack::SearchDoc;
use patchdeck::model::diff::FileStat;
use patchdeck::model::message::Kind;
use patchdeck::model::trailer::{Trailer, TrailerKey};

/// A small, fast, deterministic random source (xorshift64*).
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> XorShift {
        XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len());
        &items[i.min(items.len().saturating_sub(1))]
    }

    /// An index skewed towards 0: a few authors write most mail.
    pub fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(a + 1);
        self.below(b + 1)
    }
}

/// One generated message, owning what a [`SearchDoc`] borrows.
#[derive(Debug, Clone)]
pub struct SynthDoc {
    /// Without angle brackets.
    pub message_id: String,
    /// The index of the message this one answers (a patch answers its series' cover).
    pub in_reply_to: Option<usize>,
    /// The index of the first message of its thread, when it is not the first.
    pub thread_root: Option<usize>,
    pub subject: String,
    pub title: String,
    pub tags: Vec<Arc<str>>,
    pub author: Arc<Author>,
    /// Who sent it: the author, except for the patches a maintainer sent on someone's behalf.
    pub sender: Arc<Author>,
    pub kind: Kind,
    pub version: Option<u32>,
    pub list_id: Option<Arc<str>>,
    pub series_title: Arc<str>,
    pub files: Vec<FileStat>,
    pub trailers: Vec<Trailer>,
    pub date: Option<i64>,
}

#[derive(Debug)]
pub struct Author {
    pub name: String,
    pub email: String,
}

impl Author {
    /// `Name <address>` as a trailer gives it, or `<address>` without a name.
    pub fn address(&self) -> String {
        if self.name.is_empty() {
            format!("<{}>", self.email)
        } else {
            format!("{} <{}>", self.name, self.email)
        }
    }

    /// The name, or the address when there is none.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.email
        } else {
            &self.name
        }
    }
}

impl SynthDoc {
    pub fn as_search_doc(&self) -> SearchDoc<'_> {
        SearchDoc {
            subject: &self.subject,
            title: &self.title,
            tags: &self.tags,
            author_name: &self.author.name,
            author_email: &self.author.email,
            sender_name: &self.sender.name,
            sender_email: &self.sender.email,
            kind: self.kind,
            version: self.version,
            list_id: self.list_id.as_deref(),
            series_title: &self.series_title,
            files: &self.files,
            trailers: &self.trailers,
            date: self.date,
        }
    }

    /// A plausible body for message `index`, for `body:` tests: deterministic, a few lines.
    pub fn body(&self, index: u32) -> String {
        let mut rng = XorShift::new(u64::from(index) ^ 0xB0D1);
        let mut text = match self.kind {
            Kind::Reply => format!(
                "On {}, someone wrote:\n> {}\n\n{}\n",
                index,
                self.title,
                rng.pick(REPLY_LINES)
            ),
            _ => format!(
                "{} {} so that {}.\n",
                rng.pick(BODY_OPENINGS),
                self.title.to_lowercase(),
                rng.pick(BODY_REASONS)
            ),
        };
        for t in &self.trailers {
            text.push_str(&format!("{}: {}\n", t.key, t.value));
        }
        for f in &self.files {
            text.push_str(&format!("diff --git a/{0} b/{0}\n", f.path));
        }
        text
    }
}

/// Generates `n` messages in chronological order; the same `seed` gives the same archive, and
/// a prefix of a larger archive is itself a plausible archive. Every cover letter, patch and
/// pull request has a title of its own, as on a real list; replies repeat what they answer.
pub fn generate(n: usize, seed: u64) -> Vec<SynthDoc> {
    let mut rng = XorShift::new(seed);
    let authors = author_pool(&mut rng, 3000);
    let lists: Vec<Arc<str>> = LISTS.iter().map(|l| Arc::from(l.id)).collect();
    let mut titles = Titles::default();
    let mut docs: Vec<SynthDoc> = Vec::with_capacity(n);
    let start = 1_546_300_800i64; // 2019-01-01
    let step = (5 * 365 * 86_400 / i64::try_from(n.max(1)).unwrap_or(1)).max(1);
    let mut clock = start;
    while docs.len() < n {
        let list_no = rng.below(LISTS.len());
        let list = &LISTS[list_no];
        let subsystem = rng.pick(list.subsystems);
        let author = Arc::clone(&authors[rng.skewed(authors.len())]);
        let list_id = (!rng.chance(2)).then(|| Arc::clone(&lists[list_no]));
        if rng.chance(3) {
            let title = titles.pull(&mut rng, subsystem);
            clock += step * 3;
            docs.push(SynthDoc {
                message_id: message_id(docs.len(), clock, 0, &author),
                in_reply_to: None,
                thread_root: None,
                subject: format!("[GIT PULL] {title}"),
                tags: vec![Arc::from("GIT PULL")],
                series_title: Arc::from(title.as_str()),
                title,
                sender: Arc::clone(&author),
                author,
                kind: Kind::Pull,
                version: None,
                list_id,
                files: Vec::new(),
                trailers: Vec::new(),
                date: Some(clock),
            });
            continue;
        }
        let total = match rng.below(100) {
            0..60 => 1,
            60..85 => 2 + rng.below(4),
            _ => 6 + rng.below(15),
        };
        let version = (rng.chance(40)).then(|| 2 + rng.below(4) as u32);
        let mut prefix_tags = Vec::new();
        if rng.chance(5) {
            prefix_tags.push("RFC".to_string());
        }
        prefix_tags.push("PATCH".to_string());
        if rng.chance(3) {
            prefix_tags.push("RESEND".to_string());
        }
        if let Some(tag) = list.tree_tags.get(rng.below(list.tree_tags.len() * 2)) {
            prefix_tags.push((*tag).to_string());
        }
        if let Some(v) = version {
            prefix_tags.push(format!("v{v}"));
        }
        let series_title: Arc<str> = Arc::from(titles.patch(&mut rng, subsystem).as_str());
        let first = if total > 1 { 0 } else { 1 };
        // git send-email threads a series under its cover letter (else its first patch).
        let mut head: Option<usize> = None;
        for number in first..=total {
            let mut tags = prefix_tags.clone();
            if total > 1 {
                tags.push(format!("{number}/{total}"));
            }
            let (title, kind) = match number {
                0 => (series_title.to_string(), Kind::Cover),
                1 if total == 1 => (series_title.to_string(), Kind::Patch),
                _ => (titles.patch(&mut rng, subsystem), Kind::Patch),
            };
            let subject = format!("[{}] {}", tags.join(" "), title);
            let files = if kind == Kind::Patch {
                patch_files(&mut rng, subsystem)
            } else {
                Vec::new()
            };
            let trailers = patch_trailers(&mut rng, &author, &authors, kind);
            clock += step / 2 + i64::try_from(rng.below(2)).unwrap_or(0);
            let date = (!rng.chance(1)).then_some(clock);
            let index = docs.len();
            let original = SynthDoc {
                message_id: message_id(index, clock, number, &author),
                in_reply_to: head,
                thread_root: head,
                subject,
                title,
                tags: tags.iter().map(|t| Arc::from(t.as_str())).collect(),
                author: Arc::clone(&author),
                sender: Arc::clone(&author),
                kind,
                version,
                list_id: list_id.clone(),
                series_title: Arc::clone(&series_title),
                files,
                trailers,
                date,
            };
            head = head.or(Some(index));
            let replies = match rng.below(10) {
                0..4 => 0,
                4..7 => 1,
                7..9 => 2,
                _ => 3 + rng.below(5),
            };
            docs.push(original.clone());
            for _ in 0..replies {
                clock += step;
                let replier = Arc::clone(&authors[rng.skewed(authors.len())]);
                let trailers = if rng.chance(30) {
                    vec![Trailer {
                        key: TrailerKey::from(*rng.pick(&["Reviewed-by", "Acked-by", "Tested-by"])),
                        // A reply's trailers are read as b4 reads them: a bare address
                        // without a name is kept without its angle brackets.
                        value: if replier.name.is_empty() {
                            replier.email.as_str().into()
                        } else {
                            replier.address().into()
                        },
                    }]
                } else {
                    Vec::new()
                };
                docs.push(SynthDoc {
                    message_id: message_id(docs.len(), clock, number, &replier),
                    in_reply_to: Some(index),
                    thread_root: head,
                    subject: format!("Re: {}", original.subject),
                    sender: Arc::clone(&replier),
                    author: replier,
                    kind: Kind::Reply,
                    files: Vec::new(),
                    trailers,
                    date: Some(clock),
                    ..original.clone()
                });
            }
        }
    }
    docs.truncate(n);
    // One patch in ten is sent by someone else than its author (a maintainer passing it on),
    // drawn from a separate random source so the archive is otherwise unchanged.
    let mut senders = XorShift::new(seed ^ 0x5E4D_E125);
    for doc in docs.iter_mut().filter(|d| d.kind == Kind::Patch) {
        if senders.chance(10) {
            doc.sender = Arc::clone(&authors[senders.skewed(authors.len())]);
        }
    }
    docs
}

/// A Message-ID as git send-email makes them: time, a serial, the patch number, the sender.
fn message_id(index: usize, clock: i64, number: usize, author: &Author) -> String {
    format!("{clock}.{index}-{number}-{}", author.email)
}

/// The titles given so far, so that each new one is distinct.
#[derive(Default)]
struct Titles {
    seen: std::collections::HashSet<String>,
}

impl Titles {
    /// A patch or cover title not used before.
    fn patch(&mut self, rng: &mut XorShift, subsystem: &Subsystem) -> String {
        self.distinct(|rng| patch_title(rng, subsystem), rng)
    }

    /// A pull request title not used before.
    fn pull(&mut self, rng: &mut XorShift, subsystem: &Subsystem) -> String {
        self.distinct(
            |rng| {
                format!(
                    "{} {} for {}",
                    subsystem.name,
                    rng.pick(PULL_KINDS),
                    release(rng)
                )
            },
            rng,
        )
    }

    /// Draws until a new title comes up; after a few tries the last draw gets a part number,
    /// as a second pull request for one release says `part 2`.
    fn distinct(&mut self, draw: impl Fn(&mut XorShift) -> String, rng: &mut XorShift) -> String {
        let mut title = String::new();
        for _ in 0..8 {
            title = draw(rng);
            if self.seen.insert(title.clone()) {
                return title;
            }
        }
        for part in 2.. {
            let numbered = format!("{title}, part {part}");
            if self.seen.insert(numbered.clone()) {
                return numbered;
            }
        }
        title
    }
}

fn release(rng: &mut XorShift) -> String {
    match rng.below(3) {
        0 => format!("{}.{}", 5 + rng.below(2), rng.below(20)),
        _ => format!(
            "v{}.{}-rc{}",
            5 + rng.below(2),
            rng.below(20),
            1 + rng.below(8)
        ),
    }
}

/// A kernel identifier: `rk3588_pll_set_rate`, from the subsystem's files and chips.
fn identifier(rng: &mut XorShift, subsystem: &Subsystem) -> String {
    if rng.chance(15) {
        return rng.pick(FUNCTIONS).to_string();
    }
    let stem = if rng.chance(50) {
        rng.pick(subsystem.files)
    } else {
        rng.pick(subsystem.chips)
    };
    let stem: String = stem
        .chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            'a'..='z' | '0'..='9' => c,
            _ => '_',
        })
        .collect();
    format!("{stem}_{}_{}", rng.pick(IDENT_PARTS), rng.pick(IDENT_OPS))
}

fn patch_title(rng: &mut XorShift, subsystem: &Subsystem) -> String {
    let object = match rng.below(4) {
        0 => format!("{} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS)),
        1 => format!("{}() {}", identifier(rng, subsystem), rng.pick(NOUNS)),
        2 => format!("{} {}", rng.pick(NOUNS), rng.pick(IDENT_PARTS)),
        _ => rng.pick(NOUNS).to_string(),
    };
    let tail = match rng.below(8) {
        0..3 => format!(" in {}()", identifier(rng, subsystem)),
        3..5 => format!(" for {}", rng.pick(subsystem.chips)),
        5 => format!(
            " on {} {}",
            rng.pick(subsystem.chips),
            rng.pick(IDENT_PARTS)
        ),
        _ => String::new(),
    };
    format!("{}: {} {}{}", subsystem.name, rng.pick(VERBS), object, tail)
}

fn patch_files(rng: &mut XorShift, subsystem: &Subsystem) -> Vec<FileStat> {
    let count = 1 + rng.skewed(6);
    (0..count)
        .map(|_| {
            let dir = rng.pick(subsystem.dirs);
            let path = if dir.starts_with("Documentation") {
                format!("{dir}{}.yaml", rng.pick(subsystem.chips))
            } else {
                let ext = if rng.chance(20) { "h" } else { "c" };
                format!("{dir}{}.{ext}", rng.pick(subsystem.files))
            };
            let added = u32::try_from(rng.skewed(24)).unwrap_or(0);
            let removed = u32::try_from(rng.skewed(12)).unwrap_or(0);
            FileStat::counted(path, added, removed, false)
        })
        .collect()
}

fn patch_trailers(
    rng: &mut XorShift,
    author: &Author,
    authors: &[Arc<Author>],
    kind: Kind,
) -> Vec<Trailer> {
    let mut out = Vec::new();
    let mut add = |key: &str, value: String| {
        out.push(Trailer {
            key: key.into(),
            value: value.into(),
        })
    };
    if kind == Kind::Patch {
        if rng.chance(10) {
            add(
                "Fixes",
                format!("{:012x} (\"{}\")", rng.next_u64() >> 16, rng.pick(NOUNS)),
            );
        }
        if rng.chance(5) {
            let who = &authors[rng.skewed(authors.len())];
            add("Reported-by", who.address());
        }
        for (key, percent) in [("Reviewed-by", 30), ("Acked-by", 15), ("Tested-by", 8)] {
            if rng.chance(percent) {
                let who = &authors[rng.skewed(authors.len())];
                add(key, who.address());
            }
        }
        if rng.chance(5) {
            add("Cc", "stable@vger.kernel.org".to_string());
        }
        if rng.chance(4) {
            add(
                "Link",
                format!("https://lore.kernel.org/r/{:x}@kernel.org", rng.next_u64()),
            );
        }
    }
    add("Signed-off-by", author.address());
    out
}

fn author_pool(rng: &mut XorShift, size: usize) -> Vec<Arc<Author>> {
    let mut pool: Vec<Arc<Author>> = KNOWN_AUTHORS
        .iter()
        .map(|(name, email)| {
            Arc::new(Author {
                name: (*name).to_string(),
                email: (*email).to_string(),
            })
        })
        .collect();
    while pool.len() < size {
        let first = rng.pick(FIRST_NAMES);
        let last = rng.pick(LAST_NAMES);
        let domain = rng.pick(DOMAINS);
        let email = match rng.below(3) {
            0 => format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase()),
            1 => {
                let initial: String = first.to_lowercase().chars().take(1).collect();
                format!("{initial}{}@{domain}", last.to_lowercase())
            }
            _ => format!("{}@{domain}", first.to_lowercase()),
        };
        let name = if rng.chance(3) {
            String::new()
        } else {
            format!("{first} {last}")
        };
        pool.push(Arc::new(Author { name, email }));
    }
    pool
}

#[path = "synth/mbox.rs"]
pub mod mbox;
#[path = "synth/words.rs"]
mod words;
use words::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_sized() {
        let a = generate(500, 7);
        let b = generate(500, 7);
        assert_eq!(a.len(), 500);
        assert!(a.iter().zip(&b).all(|(x, y)| x.subject == y.subject));
        assert!(generate(0, 7).is_empty());
    }

    #[test]
    fn archives_look_like_kernel_lists() {
        let docs = generate(5000, 1);
        let kinds = |k| docs.iter().filter(|d| d.kind == k).count();
        assert!(kinds(Kind::Patch) > 1000, "{}", kinds(Kind::Patch));
        assert!(kinds(Kind::Reply) > 1000);
        assert!(kinds(Kind::Cover) > 50);
        assert!(kinds(Kind::Pull) > 10);
        assert!(docs.iter().any(|d| d.subject.starts_with("[PATCH v")));
        assert!(docs.iter().any(|d| d.subject.starts_with("Re: [")));
        assert!(docs.iter().any(|d| d.author.name == "Daniel Vetter"));
        let dates: Vec<i64> = docs.iter().filter_map(|d| d.date).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "chronological");
        assert!(docs.iter().all(|d| !d.title.is_empty()));
    }
}
