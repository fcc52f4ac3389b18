//! Conversations as trees: which message each one answers, and the depth-first reading order
//! of every thread.
//!
//! Threading follows Jamie Zawinski's algorithm as mail readers use it (mutt, notmuch): a
//! message hangs under its `In-Reply-To`, else under the nearest of its `References` that is in
//! the archive; when none of its own headers names a message we have, the chain other
//! messages' `References` record for the missing parent bridges the gap; a `Re:` that still
//! has no parent (the orphans a list archive always holds, answering mail from before the
//! archive starts) joins an earlier message with its subject, version and n/m position. Patch series then keep their shape
//! whatever threading style the sender used (shallow, `--chain-reply-to` deep, or none):
//! every patch of a series hangs under the series' head (its cover letter, else its first
//! patch), in n/m order before the other answers, so a 10-patch series reads as a cover with
//! ten children and each review under the patch it answers. Other children follow in date
//! order (the archive's order).
//!
//! Built once at load in linear time: Message-IDs are looked up through the archive's map,
//! only missing ids and orphan subjects get maps of their own, children are laid out in one
//! flat array, and the walk is iterative, so a hostile 100,000-deep reply chain costs what a
//! flat list does.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::rows::Rows;
use super::series::Series;
use super::table::FxHasher;
use crate::model::message::Message;

/// No parent: the message starts a thread.
const NONE: u32 = u32::MAX;

type FxBuild = BuildHasherDefault<FxHasher>;

/// The thread tree of an archive, by message index.
#[derive(Debug, Default, Clone)]
pub struct Threads {
    parent: Vec<u32>,
    depth: Vec<u32>,
    /// Every message, depth-first: each thread (oldest root first) as its root followed by its
    /// subtree, children in reading order.
    order: Vec<u32>,
    /// Where each message is in `order`.
    position: Vec<u32>,
    /// How many messages each subtree holds, the message itself included.
    size: Vec<u32>,
}

impl Threads {
    /// Threads `messages` (in archive order); `answers` is what each answers ([`Answer::all`]),
    /// `find` looks a Message-ID up, `series` are the archive's series (their members keep n/m
    /// order under their head).
    pub fn build(
        messages: &[Message],
        answers: &[Answer],
        find: &(dyn Fn(&str) -> Option<u32> + Sync),
        series: &[Series],
    ) -> Threads {
        Threads::hang(messages, Threads::answered(messages, answers, find), series)
    }

    /// What each message hangs under before series are known (see [`Threads::hang`]): what
    /// it answers (`answers`, from [`Answer::all`]), through a missing message when it must,
    /// or an orphan `Re:`'s subject. The load finds these while series are grouped on another
    /// core.
    pub fn answered(
        messages: &[Message],
        answers: &[Answer],
        find: &(dyn Fn(&str) -> Option<u32> + Sync),
    ) -> Vec<u32> {
        let mut parent: Vec<u32> = answers.iter().map(|a| a.message).collect();
        let bridges = missing_parents(messages, &parent);
        for (i, m) in messages.iter().enumerate() {
            if parent[i] == NONE {
                parent[i] = bridged(messages, m, i as u32, find, &bridges).unwrap_or(NONE);
            }
        }
        join_orphans_by_subject(messages, &mut parent);
        parent
    }

    /// The threads, from [`Threads::answered`]'s parents and the series: patches hang under
    /// their series' head.
    pub fn hang(messages: &[Message], mut parent: Vec<u32>, series: &[Series]) -> Threads {
        let count = messages.len();
        // Series members hang under their head, whatever the sender's threading style.
        let mut member = vec![false; count];
        for s in series {
            for &(_, p) in &s.patches {
                if p != s.root && (p as usize) < count && (s.root as usize) < count {
                    parent[p as usize] = s.root;
                    member[p as usize] = true;
                }
            }
        }
        break_cycles(&mut parent);
        let children = children(&parent, &member, series);
        let (order, depth, size) = walk(&parent, &children);
        let mut position = vec![0u32; count];
        for (at, &msg) in order.iter().enumerate() {
            position[msg as usize] = at as u32;
        }
        Threads {
            parent,
            depth,
            order,
            position,
            size,
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The message `msg` hangs under in the tree: what it answers, or its series' head for a
    /// patch, or the message whose subject an orphan `Re:` shares.
    pub fn parent(&self, msg: u32) -> Option<u32> {
        self.parent
            .get(msg as usize)
            .copied()
            .filter(|&p| p != NONE)
    }

    /// How many ancestors `msg` has: 0 for the message that starts a thread.
    pub fn depth(&self, msg: u32) -> u32 {
        self.depth.get(msg as usize).copied().unwrap_or(0)
    }

    /// Where `msg` is in [`Self::order`].
    pub fn position(&self, msg: u32) -> u32 {
        self.position.get(msg as usize).copied().unwrap_or(0)
    }

    /// Every message depth-first, threads oldest first.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// `msg` followed by everything below it, in reading order.
    pub fn subtree(&self, msg: u32) -> &[u32] {
        let Some(&start) = self.position.get(msg as usize) else {
            return &[];
        };
        let size = self.size.get(msg as usize).copied().unwrap_or(1);
        let start = start as usize;
        self.order
            .get(start..start.saturating_add(size as usize))
            .unwrap_or(&[])
    }

    /// The messages that start threads, oldest first.
    pub fn roots(&self) -> impl Iterator<Item = u32> + '_ {
        let mut at = 0usize;
        std::iter::from_fn(move || {
            let &root = self.order.get(at)?;
            at += self.size.get(root as usize).copied().unwrap_or(1).max(1) as usize;
            Some(root)
        })
    }

    /// The message that starts `msg`'s thread.
    pub fn root(&self, msg: u32) -> u32 {
        let mut at = msg;
        // Depth bounds the walk; the tree has no cycles.
        for _ in 0..=self.depth(msg) {
            match self.parent(at) {
                Some(p) => at = p,
                None => break,
            }
        }
        at
    }
}

/// The message `m` answers by its own headers: its `In-Reply-To`, else the nearest of its
/// `References` that is in the archive (never itself).
pub fn answers(m: &Message, idx: u32, find: &dyn Fn(&str) -> Option<u32>) -> Option<u32> {
    Answer::of(m, idx, find).message()
}

/// The Message-IDs `m` answers, nearest first: its `In-Reply-To`, then its `References` from
/// the last.
pub fn named(m: &Message) -> impl Iterator<Item = &str> {
    m.in_reply_to().into_iter().chain(m.references.iter().rev())
}

/// What a message answers by its own headers (see [`answers`]), and where among the IDs it
/// [names](named) that one is: threading reads the first, series grouping looks further up
/// when it must. Found for every message of an archive at once, in parallel
/// ([`Answer::all`]): looking Message-IDs up is most of the work of both at a million
/// messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    /// `NONE` when it answers nothing the archive holds.
    message: u32,
    /// Which of the named IDs gave `message`.
    step: u32,
}

impl Answer {
    /// Every message's answer, in the messages' order.
    pub fn all(messages: &[Message], find: &(dyn Fn(&str) -> Option<u32> + Sync)) -> Vec<Answer> {
        use rayon::prelude::*;
        messages
            .par_iter()
            .enumerate()
            .map(|(i, m)| Answer::of(m, i as u32, find))
            .collect()
    }

    /// What message `idx`, `m`, answers.
    pub fn of(m: &Message, idx: u32, find: &dyn Fn(&str) -> Option<u32>) -> Answer {
        let found = named(m)
            .enumerate()
            .filter_map(|(step, id)| Some((find(id)?, step)))
            .find(|&(p, _)| p != idx);
        match found {
            Some((message, step)) => Answer {
                message,
                step: u32::try_from(step).unwrap_or(u32::MAX),
            },
            None => Answer {
                message: NONE,
                step: u32::MAX,
            },
        }
    }

    /// The message answered, when the archive holds it.
    pub fn message(self) -> Option<u32> {
        (self.message != NONE).then_some(self.message)
    }

    /// Every message `m` (message `idx`, whose answer this is) answers that the archive
    /// holds, nearest first: this one, then those named further up, looked up only as the
    /// iterator is read. `m` itself is read only past the first, and not at all when it
    /// answers nothing the archive holds (none of the IDs it names is there): most readers
    /// stop at the first, and reading a million messages' headers again cost a cache miss
    /// each.
    pub fn chain<'a>(
        self,
        m: &'a Message,
        idx: u32,
        find: &'a dyn Fn(&str) -> Option<u32>,
    ) -> impl Iterator<Item = u32> + 'a {
        let skip = (self.step as usize).saturating_add(1);
        let further = self.message().map(|_| m).into_iter().flat_map(move |m| {
            named(m)
                .skip(skip)
                .filter_map(find)
                .filter(move |&p| p != idx)
        });
        self.message().into_iter().chain(further)
    }

    /// The message `m`'s `In-Reply-To` names, when the archive holds it (and it is not `m`).
    pub fn replied_to(self, m: &Message) -> Option<u32> {
        self.message()
            .filter(|_| self.step == 0 && m.in_reply_to().is_some())
    }
}

/// Where other messages' `References` name the Message-IDs some messages answer but the
/// archive lacks: for each such id, a message whose chain holds it and the position there, so
/// the ids before it (that sender's record of its ancestors) can bridge the gap.
fn missing_parents<'a>(
    messages: &'a [Message],
    parent: &[u32],
) -> HashMap<&'a str, (u32, usize), FxBuild> {
    let mut bridges: HashMap<&str, (u32, usize), FxBuild> = HashMap::default();
    for (i, m) in messages.iter().enumerate() {
        if parent[i] == NONE
            && let Some(id) = nearest_named(m)
        {
            bridges.insert(id, (u32::MAX, 0));
        }
    }
    if bridges.is_empty() {
        return bridges;
    }
    for (i, m) in messages.iter().enumerate() {
        for (at, id) in chain(m).enumerate().skip(1) {
            // The longest record of the missing message's ancestry wins.
            if let Some(slot) = bridges.get_mut(id)
                && (slot.0 == u32::MAX || at > slot.1)
            {
                *slot = (i as u32, at);
            }
        }
    }
    bridges.retain(|_, (msg, _)| *msg != u32::MAX);
    bridges
}

/// The Message-ID a message says it answers first: `In-Reply-To`, else its last reference.
fn nearest_named(m: &Message) -> Option<&str> {
    m.in_reply_to().or(m.references.last())
}

/// A message's ancestry as its headers record it, oldest first: `References`, then
/// `In-Reply-To` when it is not already the last reference.
fn chain(m: &Message) -> impl Iterator<Item = &str> {
    m.references.iter().chain(
        m.in_reply_to()
            .filter(|irt| m.references.last() != Some(*irt)),
    )
}

/// The nearest ancestor in the archive of `m`'s missing parent, as another message's
/// `References` record it.
fn bridged(
    messages: &[Message],
    m: &Message,
    idx: u32,
    find: &dyn Fn(&str) -> Option<u32>,
    bridges: &HashMap<&str, (u32, usize), FxBuild>,
) -> Option<u32> {
    let &(witness, at) = bridges.get(nearest_named(m)?)?;
    let recorded: Vec<&str> = chain(messages.get(witness as usize)?).take(at).collect();
    recorded
        .into_iter()
        .rev()
        .filter_map(find)
        .find(|&p| p != idx)
}

/// A subject as orphans are matched on it: the title's words, case folded, hashed (so the
/// millions of messages that are not candidates cost no allocation).
fn subject_key(m: &Message) -> Option<u64> {
    let mut hasher = FxHasher::default();
    let mut any = false;
    for word in m.subject.title().split_whitespace() {
        any = true;
        for c in word.chars().flat_map(char::to_lowercase) {
            hasher.write_u32(u32::from(c));
        }
        hasher.write_u8(b' ');
    }
    any.then(|| hasher.finish())
}

/// Hangs each `Re:` that still starts a thread under the latest earlier message with its
/// subject, version and n/m position that is not a reply; else under the first earlier orphan
/// `Re:` with them (replies to the same lost message). A reply never hangs under mail sent after
/// it, nor under another version: a reply to a v1 outside the archive is not about the v2 in it.
fn join_orphans_by_subject(messages: &[Message], parent: &mut [u32]) {
    type Key = (u64, u32, Option<u32>);
    let key_of =
        |m: &Message| subject_key(m).map(|k| (k, m.subject.version.unwrap_or(1), m.subject.number));
    let mut orphans: HashMap<Key, Vec<u32>, FxBuild> = HashMap::default();
    let mut wanted: Vec<(u32, Key)> = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        if parent[i] == NONE
            && m.subject.reply
            && let Some(key) = key_of(m)
        {
            wanted.push((i as u32, key));
            orphans.entry(key).or_default().push(i as u32);
        }
    }
    if wanted.is_empty() {
        return;
    }
    let mut originals: HashMap<Key, Vec<u32>, FxBuild> = HashMap::default();
    for &(_, key) in &wanted {
        originals.entry(key).or_default();
    }
    for (i, m) in messages.iter().enumerate() {
        if m.subject.reply {
            continue;
        }
        if let Some(list) = key_of(m).and_then(|key| originals.get_mut(&key)) {
            list.push(i as u32);
        }
    }
    for (i, key) in wanted {
        let before = |candidates: &Vec<u32>| {
            let at = candidates.partition_point(|&c| c < i);
            at.checked_sub(1).and_then(|at| candidates.get(at).copied())
        };
        let target = originals.get(&key).and_then(before).or_else(|| {
            orphans
                .get(&key)
                .and_then(|c| c.first().copied())
                .filter(|&first| first < i)
        });
        if let Some(target) = target {
            parent[i as usize] = target;
        }
    }
}

/// Cuts each cycle (mail that claims to answer its own answer) at its oldest message, so every
/// message reaches a root.
fn break_cycles(parent: &mut [u32]) {
    const UNSEEN: u32 = 0;
    const DONE: u32 = u32::MAX;
    // Each walk stamps what it passes with its own number; meeting the stamp again is a cycle.
    let mut stamp = vec![UNSEEN; parent.len()];
    for start in 0..parent.len() {
        if stamp[start] != UNSEEN {
            continue;
        }
        let walk = start as u32 + 1;
        let mut at = start;
        loop {
            stamp[at] = walk;
            let p = parent[at];
            if p == NONE || p as usize >= parent.len() {
                parent[at] = NONE;
                break;
            }
            match stamp[p as usize] {
                DONE => break,
                s if s == walk => {
                    // The cycle runs p -> ... -> at -> p: its oldest message starts the thread.
                    let mut oldest = at;
                    let mut node = p as usize;
                    while node != at {
                        oldest = oldest.min(node);
                        node = parent[node] as usize;
                    }
                    parent[oldest] = NONE;
                    break;
                }
                UNSEEN => at = p as usize,
                _ => break,
            }
        }
        let mut at = start;
        while stamp[at] == walk {
            stamp[at] = DONE;
            match parent[at] {
                NONE => break,
                p => at = p as usize,
            }
        }
    }
}

/// Every message's children: a series head's patches first, by number, then the other
/// children in archive (date) order.
fn children(parent: &[u32], member: &[bool], series: &[Series]) -> Rows<u32> {
    Rows::fill(parent.len(), |put| {
        for s in series {
            for &(_, p) in &s.patches {
                if member.get(p as usize) == Some(&true) && parent[p as usize] == s.root {
                    put(s.root, p);
                }
            }
        }
        for (i, &p) in (0u32..).zip(parent) {
            if p != NONE && !member[i as usize] {
                put(p, i);
            }
        }
    })
}

fn walk(parent: &[u32], children: &Rows<u32>) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let count = parent.len();
    let mut order = Vec::with_capacity(count);
    let mut depth = vec![0u32; count];
    let mut size = vec![1u32; count];
    let mut stack: Vec<u32> = Vec::new();
    for root in 0..count as u32 {
        if parent[root as usize] != NONE {
            continue;
        }
        stack.push(root);
        while let Some(msg) = stack.pop() {
            order.push(msg);
            let d = depth[msg as usize];
            for &child in children.row(msg).iter().rev() {
                depth[child as usize] = d.saturating_add(1);
                stack.push(child);
            }
        }
    }
    // Sizes bottom up: a child comes after its parent in `order`.
    for &msg in order.iter().rev() {
        let p = parent[msg as usize];
        if p != NONE {
            size[p as usize] = size[p as usize].saturating_add(size[msg as usize]);
        }
    }
    (order, depth, size)
}

#[cfg(test)]
mod tests;
