//! Subjects split the way patchwork and b4 read them: `Re:` stripped, bracket tags parsed.
//!
//! `Re: [RFC PATCH net-next v2 3/5] net: dsa: fix x` becomes reply, tags
//! `RFC PATCH net-next v2 3/5`, version 2, number 3 of 5, title `net: dsa: fix x`. The hard cases
//! are the ones patchwork's and b4's tests collect: `[PATCH v6,19/24]`, `[PATCHv3]`,
//! `[PATCH 3/2]`, `[Patch 2/2]:`, `[PATCH n of N]`, `[net-next,v2,1/2]`.

use std::borrow::Cow;
use std::sync::Arc;

use super::date::push_padded;

/// A parsed subject line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// The decoded subject as sent ([`Self::raw`]), then the title ([`Self::title`]) when it
    /// is not the end of it: one string a subject, not two (a list holds a million).
    text: Box<str>,
    /// Where the subject as sent ends in `text`.
    raw_end: u32,
    /// Where the title starts in `text`: inside the subject as sent, or right after it.
    title_start: u32,
    /// Began with `Re:` (or `Aw:`, `Sv:` ...).
    pub reply: bool,
    /// Began with `Fwd:`/`Fw:`.
    pub forward: bool,
    /// Every tag found in the leading bracket groups, as written (`PATCH`, `v3`, `net-next`).
    /// Shared with every other subject of the archive that carries the same tags (see
    /// [`Subject::parse_with_heads`]).
    pub tags: Arc<[Arc<str>]>,
    pub version: Option<u32>,
    pub number: Option<u32>,
    pub total: Option<u32>,
    pub patch: bool,
    pub rfc: bool,
    pub resend: bool,
    pub pull: bool,
}

/// What makes each tag a subject carries ([`Subject::parse_with`]).
type TagMaker<'t> = dyn FnMut(&str) -> Arc<str> + 't;

/// A prefix mail clients put before a subject they answer or pass on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    /// `Re:`, `Aw:`, `Sv:` ...
    Reply,
    /// `Fwd:`, `Fw:`.
    Forward,
}

impl Subject {
    pub fn parse(raw: &str) -> Subject {
        Subject::parse_with(raw, &mut |tag| Arc::from(tag))
    }

    /// A subject `raw` whose title is `title`, nothing else read.
    pub fn with_title(raw: &str, title: &str) -> Subject {
        let mut subject = Subject::default();
        subject.set_text(raw, title);
        subject
    }

    /// The decoded subject as sent.
    pub fn raw(&self) -> &str {
        self.text.get(..self.raw_end as usize).unwrap_or_default()
    }

    /// What is left without `Re:` and bracket tags.
    pub fn title(&self) -> &str {
        self.text
            .get(self.title_start as usize..)
            .unwrap_or_default()
    }

    /// Gives the subject another title (a patch's in-body `Subject:`).
    pub fn set_title(&mut self, title: &str) {
        let raw = self.raw().to_string();
        self.set_text(&raw, title);
    }

    /// Keeps `raw` and `title` in one string, the title shared with the end of `raw` when it
    /// is that (nearly always): one way of keeping each pair, so equal subjects compare equal.
    fn set_text(&mut self, raw: &str, title: &str) {
        let (text, title_start) = if raw.ends_with(title) {
            (Box::from(raw), raw.len() - title.len())
        } else {
            ([raw, title].concat().into_boxed_str(), raw.len())
        };
        // A subject is a header of one mail: never near 4 GiB.
        match (u32::try_from(raw.len()), u32::try_from(title_start)) {
            (Ok(raw_end), Ok(title_start)) => {
                self.text = text;
                self.raw_end = raw_end;
                self.title_start = title_start;
            }
            _ => *self = Subject::default(),
        }
    }

    /// [`Subject::parse`], with each tag made by `tag`: loading hands out one shared copy of
    /// each distinct tag instead of allocating one per subject.
    pub fn parse_with(raw: &str, tag: &mut dyn FnMut(&str) -> Arc<str>) -> Subject {
        let collapsed = collapse_space(raw);
        let text = trim_end(trim_start(&collapsed));
        let (mut subject, title) = Subject::read_head(text, Some(tag));
        subject.set_text(raw, title);
        subject
    }

    /// [`Subject::parse_with`], with what the subject's head (its `Re:` and bracket groups,
    /// `Re: [PATCH v2 3/5] `) says taken from `heads`: `heads(head, read)` gives the subject
    /// (without text) that `head` begins, made by `read` the first time. What a head says
    /// depends on the head alone, and a list's subjects begin with a few thousand heads: a
    /// load reads each once and shares its tags, instead of reading and keeping the tags of
    /// every subject.
    pub fn parse_with_heads(
        raw: &str,
        heads: &mut dyn FnMut(&str, &mut dyn FnMut() -> Subject) -> Subject,
        tag: &mut dyn FnMut(&str) -> Arc<str>,
    ) -> Subject {
        let collapsed = collapse_space(raw);
        let text = trim_end(trim_start(&collapsed));
        // The `Re:`s and `Fwd:`s a head begins with only set the flags: the rest of it is
        // the key, so that a patch and the replies to it share one reading.
        let (reply, forward, text) = Subject::read_prefixes(text);
        let (_, title) = Subject::read_head(text, None);
        let head = text.get(..text.len() - title.len()).unwrap_or_default();
        let mut subject = if head.is_empty() {
            Subject::default()
        } else {
            // Read from the whole text, as `parse_with` reads it: a `(subset)` is a tag only
            // where a bracket group follows it.
            heads(head, &mut || Subject::read_head(text, Some(&mut *tag)).0)
        };
        subject.reply |= reply;
        subject.forward |= forward;
        subject.set_text(raw, title);
        subject
    }

    /// The reply and forward prefixes `text` begins with, as [`Self::read_head`] reads them:
    /// whether there was a reply one and a forward one, and what follows them.
    fn read_prefixes(mut text: &str) -> (bool, bool, &str) {
        let (mut reply, mut forward) = (false, false);
        while let Some((prefix, after)) = split_prefix(text) {
            match prefix {
                Prefix::Reply => reply = true,
                Prefix::Forward => forward = true,
            }
            text = after;
        }
        (reply, forward, text)
    }

    /// Reads the head of `text` (trimmed, its space collapsed): the `Re:`/`Fwd:` prefixes and
    /// bracket groups, into a subject without text; and what follows, the title. Without
    /// `tag`, only where the head ends is found.
    fn read_head<'t>(mut text: &'t str, mut tag: Option<&mut TagMaker<'_>>) -> (Subject, &'t str) {
        let mut subject = Subject::default();
        let mut tags = Vec::new();
        loop {
            if let Some((prefix, after)) = split_prefix(text) {
                match prefix {
                    Prefix::Reply => subject.reply = true,
                    Prefix::Forward => subject.forward = true,
                }
                text = after;
                continue;
            }
            // b4's thank-you replies: `Re: (subset) [PATCH 0/3] ...`.
            if let Some(after) = text.strip_prefix('(')
                && let Some(close) = after.bytes().take(17).position(|b| b == b')')
                && trim_start(&after[close + 1..]).starts_with('[')
            {
                if let Some(tag) = tag.as_deref_mut() {
                    tags.push(tag(&text[..close + 2]));
                }
                text = trim_start(&after[close + 1..]);
                continue;
            }
            if let Some(after) = text.strip_prefix('[') {
                let Some(close) = memchr::memchr(b']', after.as_bytes()) else {
                    break;
                };
                if let Some(tag) = tag.as_deref_mut() {
                    subject.read_group(&after[..close], &mut tags, tag);
                }
                text = trim_start(&after[close + 1..]);
                // `[Patch 2/2]: title` puts a stray colon after the group.
                if let Some(after_colon) = text.strip_prefix(':') {
                    text = trim_start(after_colon);
                }
                continue;
            }
            break;
        }
        if !tags.is_empty() {
            subject.tags = tags.into();
        }
        (subject, text)
    }

    /// The subsystem prefix of the title: `KVM: x86:` of `KVM: x86: Fix foo`.
    pub fn prefix(&self) -> &str {
        let mut end = 0;
        let title = self.title();
        let mut pos = 0;
        while let Some(i) = title[pos..].find(": ") {
            let word = &title[pos..pos + i];
            if word.is_empty() || word.contains(' ') && word.split(' ').count() > 3 {
                break;
            }
            end = pos + i + 1;
            pos = pos + i + 2;
        }
        &title[..end]
    }

    /// True for `n/m` with n = 0: the series' cover letter.
    pub fn is_cover(&self) -> bool {
        self.number == Some(0)
    }

    /// The compact tags a list shows: `RFC RESEND v3 01/16`, numbers zero-padded to the
    /// width of the total so a series lines up; `v1` is left out, as it says nothing.
    pub fn tag_summary(&self) -> String {
        let mut out = Vec::new();
        self.write_tag_summary(&mut out);
        // Only ASCII letters, digits, `/` and spaces were written.
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Appends [`Self::tag_summary`] to `out` without building it: `list --format tsv` prints
    /// one on every row.
    pub fn write_tag_summary(&self, out: &mut Vec<u8>) {
        let start = out.len();
        let separate = |out: &mut Vec<u8>| {
            if out.len() > start {
                out.push(b' ');
            }
        };
        for (flag, word) in [
            (self.pull, "PULL"),
            (self.rfc, "RFC"),
            (self.resend, "RESEND"),
        ] {
            if flag {
                separate(out);
                out.extend_from_slice(word.as_bytes());
            }
        }
        if let Some(v) = self.version.filter(|&v| v > 1) {
            separate(out);
            out.push(b'v');
            push_padded(out, u64::from(v), 0);
        }
        if let (Some(n), Some(t)) = (self.number, self.total) {
            separate(out);
            let width = t.checked_ilog10().map_or(1, |digits| digits as usize + 1);
            push_padded(out, u64::from(n), width);
            out.push(b'/');
            push_padded(out, u64::from(t), 0);
        }
    }

    /// Reads one bracket group's words into the flags and numbers, adding its tags to `tags`.
    fn read_group(
        &mut self,
        group: &str,
        tags: &mut Vec<Arc<str>>,
        tag: &mut dyn FnMut(&str) -> Arc<str>,
    ) {
        if !group.is_ascii() {
            let words = group.split(|c: char| c == ',' || c.is_whitespace());
            return self.read_words(words, tags, tag);
        }
        // An ASCII group (nearly every one) is split on bytes: no chars decoded, and every
        // cut is between two chars. A separator is `,` or what `char::is_whitespace` takes
        // in ASCII (the vertical tab too): all at most `,`, which letters and digits are not.
        let separator =
            |b: u8| b <= b',' && (b == b',' || b == b' ' || (b'\t'..=b'\r').contains(&b));
        let bytes = group.as_bytes();
        let mut at = 0;
        let words = std::iter::from_fn(move || {
            while at < bytes.len() {
                let start = at;
                while at < bytes.len() && !separator(bytes[at]) {
                    at += 1;
                }
                let end = at;
                at += 1;
                if end > start {
                    return group.get(start..end);
                }
            }
            None
        });
        self.read_words(words, tags, tag);
    }

    fn read_words<'w>(
        &mut self,
        words: impl Iterator<Item = &'w str> + Clone,
        tags: &mut Vec<Arc<str>>,
        tag: &mut dyn FnMut(&str) -> Arc<str>,
    ) {
        let mut words = words.filter(|w| !w.is_empty());
        while let Some(word) = words.next() {
            // Mercurial's `[PATCH 2 of 5]`.
            if matches!(word.as_bytes()[0], b'0'..=b'9' | b'+')
                && let Ok(n) = word.parse::<u32>()
            {
                let mut ahead = words.clone();
                if ahead.next().is_some_and(|w| w.eq_ignore_ascii_case("of"))
                    && let Some(Ok(t)) = ahead.next().map(str::parse::<u32>)
                {
                    self.set_number(n, t);
                    tags.push(tag(&format!("{n}/{t}")));
                    words = ahead;
                    continue;
                }
            }
            self.read_word(word);
            tags.push(tag(word));
        }
    }

    fn read_word(&mut self, word: &str) {
        // Compared ignoring ASCII case where each test looks, not lower-cased first: tags
        // are short, and most are one of the first four.
        let word = word.as_bytes();
        let is = |name: &[u8]| word.eq_ignore_ascii_case(name);
        if is(b"patch") {
            self.patch = true;
        } else if is(b"rfc") {
            self.rfc = true;
        } else if is(b"resend") {
            self.resend = true;
        } else if is(b"pull") {
            self.pull = true;
        } else if let Some((n, t)) = number_of_total(word) {
            self.set_number(n, t);
        } else if let Some(v) = version_of(word) {
            self.version = Some(v);
            if starts_with_patch(word) {
                self.patch = true;
            }
        } else if starts_with_patch(word) && word.len() > 5 {
            // `PATCHv3` handled above; `PATCH-next`-like words just mark a patch.
            self.patch = true;
        }
    }

    fn set_number(&mut self, n: u32, total: u32) {
        if self.number.is_none() {
            self.number = Some(n);
            self.total = Some(total);
        }
    }
}

/// The reply or forward prefix `text` starts with (`re:`, `Fwd:`: a word of one to four
/// ASCII letters, in any case, and a colon) and what follows it.
///
/// Only the first few bytes are looked at: a subject of thousands of `[x]` groups must not be
/// searched to its end for every group.
fn split_prefix(text: &str) -> Option<(Prefix, &str)> {
    let bytes = text.as_bytes();
    // The word ends at the first byte that is no letter, which must be the colon: most texts
    // are ruled out by their first byte (`[`) or their first word (`net:` is no prefix).
    let colon = bytes
        .iter()
        .take(5)
        .position(|b| !b.is_ascii_alphabetic())?;
    if colon == 0 || bytes[colon] != b':' {
        return None;
    }
    // Letters, lower-cased by their 0x20 bit.
    let mut word = [0; 4];
    for (w, b) in word.iter_mut().zip(&bytes[..colon]) {
        *w = b | 0x20;
    }
    let prefix = match &word[..colon] {
        b"re" | b"aw" | b"sv" | b"antw" | b"vs" | b"odp" | b"r" => Prefix::Reply,
        b"fwd" | b"fw" => Prefix::Forward,
        _ => return None,
    };
    Some((prefix, trim_start(&text[colon + 1..])))
}

/// `3/16` -> (3, 16). Numbers must be short: `2020/10` in a tag is not a patch number.
#[inline]
fn number_of_total(word: &[u8]) -> Option<(u32, u32)> {
    // Both numbers are digits after an optional `+`: most words are ruled out by their
    // first byte. A tag is a few bytes: a search would cost more to start than it saves.
    if !matches!(word.first(), Some(b'0'..=b'9' | b'+')) {
        return None;
    }
    let slash = word.iter().position(|&b| b == b'/')?;
    let number = |part: &[u8]| {
        // `str::parse` takes a leading `+`; the length counts it.
        let digits = part.strip_prefix(b"+").unwrap_or(part);
        (part.len() <= 4).then(|| short_number(digits))?
    };
    Some((number(&word[..slash])?, number(&word[slash + 1..])?))
}

/// `v3`, `V3`, `PATCHv3`, `patch-v3` -> 3 (in any case).
fn version_of(word: &[u8]) -> Option<u32> {
    let rest = match word.split_at_checked(5) {
        Some((patch, after)) if patch.eq_ignore_ascii_case(b"patch") => {
            &after[after.iter().take_while(|&&b| b == b'-').count()..]
        }
        _ => word,
    };
    match rest {
        [b'v' | b'V', digits @ ..] => short_number(digits),
        _ => None,
    }
}

/// The word starts with `patch`, in any case.
fn starts_with_patch(word: &[u8]) -> bool {
    word.get(..5)
        .is_some_and(|start| start.eq_ignore_ascii_case(b"patch"))
}

/// One to four ASCII digits, read as a number (what `str::parse` accepts of them).
fn short_number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// The white space `char::is_whitespace` takes in ASCII (the vertical tab too).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// `str::trim_start`, the ASCII white space nearly every subject has cut as bytes: `str`'s
/// char by char reading is asked only where a non-ASCII char follows it.
fn trim_start(text: &str) -> &str {
    let spaces = text.bytes().take_while(|&b| is_ascii_space(b)).count();
    let rest = text.get(spaces..).unwrap_or_default();
    if rest.as_bytes().first().is_some_and(|b| !b.is_ascii()) {
        rest.trim_start()
    } else {
        rest
    }
}

/// `str::trim_end`, as [`trim_start`] reads the start.
fn trim_end(text: &str) -> &str {
    let spaces = text
        .bytes()
        .rev()
        .take_while(|&b| is_ascii_space(b))
        .count();
    let rest = text.get(..text.len() - spaces).unwrap_or_default();
    if rest.as_bytes().last().is_some_and(|b| !b.is_ascii()) {
        rest.trim_end()
    } else {
        rest
    }
}

/// Folded header lines leave runs of white space; a subject reads with single spaces.
fn collapse_space(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    // A tab, a line break, two spaces in a row or a space at either end needs collapsing.
    // One pass over the pairs of neighbours (the last byte is no first of one) without early
    // exit, which the compiler does many bytes at a time.
    let odd = |b: u8| matches!(b, b'\t' | b'\n' | b'\r');
    let pairs = bytes
        .iter()
        .zip(bytes.get(1..).unwrap_or_default())
        .fold(false, |found, (&a, &b)| {
            found | odd(a) | ((a == b' ') & (b == b' '))
        });
    let plain = !pairs
        && !bytes.last().is_some_and(|&b| odd(b))
        && !bytes.starts_with(b" ")
        && !bytes.ends_with(b" ");
    if plain {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c == '\t' || c == '\n' || c == '\r' || c == ' ' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        raw: &'static str,
        reply: bool,
        version: Option<u32>,
        number: Option<u32>,
        total: Option<u32>,
        title: &'static str,
    }

    const CASES: &[Case] = &[
        Case {
            raw: "[PATCH v6,19/24] x86/sgx: Add a page reclaimer",
            reply: false,
            version: Some(6),
            number: Some(19),
            total: Some(24),
            title: "x86/sgx: Add a page reclaimer",
        },
        Case {
            raw: "[PATCHv3] mm: fix it",
            reply: false,
            version: Some(3),
            number: None,
            total: None,
            title: "mm: fix it",
        },
        Case {
            raw: "[PATCH 3/2] test: Remove Markdown formatting",
            reply: false,
            version: None,
            number: Some(3),
            total: Some(2),
            title: "test: Remove Markdown formatting",
        },
        Case {
            raw: "[Patch 2/2]: powerpc/hotplug/mm: Fix hot-add memory node assoc",
            reply: false,
            version: None,
            number: Some(2),
            total: Some(2),
            title: "powerpc/hotplug/mm: Fix hot-add memory node assoc",
        },
        Case {
            raw: "[PATCH 2 of 5] hg: do a thing",
            reply: false,
            version: None,
            number: Some(2),
            total: Some(5),
            title: "hg: do a thing",
        },
        Case {
            raw: "[net-next,v2,1/2] net: ieee802154: remove explicit set skb->sk",
            reply: false,
            version: Some(2),
            number: Some(1),
            total: Some(2),
            title: "net: ieee802154: remove explicit set skb->sk",
        },
        Case {
            raw: "Re: [PATCH] KVM: x86: fix",
            reply: true,
            version: None,
            number: None,
            total: None,
            title: "KVM: x86: fix",
        },
        Case {
            raw: "[RFC PATCH v2 0/5] a series",
            reply: false,
            version: Some(2),
            number: Some(0),
            total: Some(5),
            title: "a series",
        },
        Case {
            raw: "RE: Re: [PATCH V2 1/4] PM / OPP: Reorganize",
            reply: true,
            version: Some(2),
            number: Some(1),
            total: Some(4),
            title: "PM / OPP: Reorganize",
        },
        Case {
            raw: "[PATCH] [v2] [2/3] split groups",
            reply: false,
            version: Some(2),
            number: Some(2),
            total: Some(3),
            title: "split groups",
        },
        Case {
            raw: "Re: Re:   [PATCH\n v3 10/16]  media: folded",
            reply: true,
            version: Some(3),
            number: Some(10),
            total: Some(16),
            title: "media: folded",
        },
        Case {
            raw: "",
            reply: false,
            version: None,
            number: None,
            total: None,
            title: "",
        },
        Case {
            raw: "[PATCH",
            reply: false,
            version: None,
            number: None,
            total: None,
            title: "[PATCH",
        },
        Case {
            raw: "Fwd: [PATCH v18 07/12] clk: add",
            reply: false,
            version: Some(18),
            number: Some(7),
            total: Some(12),
            title: "clk: add",
        },
    ];

    #[test]
    fn known_hard_subjects() {
        for case in CASES {
            let s = Subject::parse(case.raw);
            assert_eq!(s.reply, case.reply, "reply of {:?}", case.raw);
            assert_eq!(s.version, case.version, "version of {:?}", case.raw);
            assert_eq!(s.number, case.number, "number of {:?}", case.raw);
            assert_eq!(s.total, case.total, "total of {:?}", case.raw);
            assert_eq!(s.title(), case.title, "title of {:?}", case.raw);
        }
    }

    /// Tags past the few kept on the stack keep their order after them.
    #[test]
    fn many_tags_keep_their_order() {
        for count in [0, 1, 7, 8, 9, 20] {
            let words: Vec<String> = (0..count).map(|i| format!("t{i}")).collect();
            let s = Subject::parse(&format!("[{}] [x] title", words.join(" ")));
            let tags: Vec<&str> = s.tags.iter().map(|t| &**t).collect();
            let mut expected: Vec<&str> = words.iter().map(String::as_str).collect();
            expected.push("x");
            assert_eq!(tags, expected);
            assert_eq!(s.title(), "title");
        }
    }

    /// The trims that cut ASCII white space as bytes trim as `str`'s do, whatever white
    /// space, Unicode or ASCII, is at the ends.
    #[test]
    fn trims_are_str_trims() {
        let pieces = [
            " ", "\t", "\u{b}", "\u{c}", "\r", "\n", "\u{a0}", "\u{2003}", "\u{85}", "a", "é",
            "x y", "\u{1c}",
        ];
        for text in crate::random_texts(0x7a1d_5ace, &pieces, 6) {
            assert_eq!(trim_start(&text), text.trim_start(), "{text:?}");
            assert_eq!(trim_end(&text), text.trim_end(), "{text:?}");
        }
    }

    #[test]
    fn flags_and_tags() {
        let s = Subject::parse("[RFC PATCH RESEND net-next v2 0/5] net: things");
        assert!(s.rfc && s.resend && s.patch && !s.pull);
        assert!(s.is_cover());
        let tags: Vec<&str> = s.tags.iter().map(|t| &**t).collect();
        assert_eq!(tags, ["RFC", "PATCH", "RESEND", "net-next", "v2", "0/5"]);
        assert_eq!(s.tag_summary(), "RFC RESEND v2 0/5");
        let pull = Subject::parse("[GIT PULL] clk fixes for v6.19");
        assert!(pull.pull);
        assert_eq!(pull.title(), "clk fixes for v6.19");
        assert!(Subject::parse("[git,pull] Please pull powerpc.git next branch").pull);
    }

    #[test]
    fn space_collapses_as_the_general_loop_collapses_it() {
        let general = |s: &str| {
            let words: Vec<&str> = s
                .split([' ', '\t', '\n', '\r'])
                .filter(|w| !w.is_empty())
                .collect();
            words.join(" ")
        };
        let cases = [
            "",
            " ",
            "  ",
            "a",
            " a",
            "a ",
            "a  b",
            "a b  ",
            "a\tb",
            "a\r\n b",
            "[PATCH v2 1/3] x: y",
            " [PATCH] lead",
            "\u{a0}a b",
            "é  é",
        ];
        for case in cases {
            assert_eq!(collapse_space(case), general(case), "{case:?}");
        }
    }

    #[test]
    fn prefix_is_the_subsystem() {
        assert_eq!(
            Subject::parse("[PATCH] KVM: x86: Fix foo").prefix(),
            "KVM: x86:"
        );
        assert_eq!(Subject::parse("[PATCH] no prefix here").prefix(), "");
    }

    /// The summary written byte by byte is the one `format!` and `join` built.
    #[test]
    fn tag_summary_is_the_formatted_one() {
        let formatted = |s: &Subject| {
            let mut parts: Vec<String> = Vec::new();
            for (flag, word) in [(s.pull, "PULL"), (s.rfc, "RFC"), (s.resend, "RESEND")] {
                if flag {
                    parts.push(word.into());
                }
            }
            if let Some(v) = s.version.filter(|&v| v > 1) {
                parts.push(format!("v{v}"));
            }
            if let (Some(n), Some(t)) = (s.number, s.total) {
                let width = t.to_string().len();
                parts.push(format!("{n:0width$}/{t}"));
            }
            parts.join(" ")
        };
        let numbers = [
            None,
            Some(0),
            Some(1),
            Some(2),
            Some(9),
            Some(10),
            Some(99),
            Some(100),
        ];
        let big = [Some(12_345), Some(u32::MAX)];
        let mut s = Subject::parse("x");
        for flags in 0..8 {
            (s.pull, s.rfc, s.resend) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0);
            for version in numbers.iter().chain(&big) {
                for number in numbers.iter().chain(&big) {
                    for total in numbers.iter().chain(&big) {
                        (s.version, s.number, s.total) = (*version, *number, *total);
                        assert_eq!(s.tag_summary(), formatted(&s), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn tag_summary_pads_numbers() {
        assert_eq!(
            Subject::parse("[PATCH v3 1/16] x").tag_summary(),
            "v3 01/16"
        );
    }

    /// The tag reading as it was written on chars and `str::parse`: the byte reading must
    /// tell the same tags, numbers and flags on every group.
    fn read_group_on_chars(subject: &mut Subject, group: &str) {
        fn number_of_total(word: &str) -> Option<(u32, u32)> {
            let (n, t) = word.split_once('/')?;
            if n.is_empty() || t.is_empty() || n.len() > 4 || t.len() > 4 {
                return None;
            }
            Some((n.parse().ok()?, t.parse().ok()?))
        }
        fn version_of(word: &str) -> Option<u32> {
            let digits = word
                .strip_prefix("patch")
                .map(|w| w.trim_start_matches('-'))
                .unwrap_or(word)
                .strip_prefix('v')?;
            if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            digits.parse().ok()
        }
        let mut tags = subject.tags.to_vec();
        let mut words = group
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty());
        while let Some(word) = words.next() {
            if let Ok(n) = word.parse::<u32>() {
                let mut ahead = words.clone();
                if ahead.next().is_some_and(|w| w.eq_ignore_ascii_case("of"))
                    && let Some(Ok(t)) = ahead.next().map(str::parse::<u32>)
                {
                    subject.set_number(n, t);
                    tags.push(Arc::from(format!("{n}/{t}")));
                    words = ahead;
                    continue;
                }
            }
            let lower = word.to_ascii_lowercase();
            match lower.as_str() {
                "patch" => subject.patch = true,
                "rfc" => subject.rfc = true,
                "resend" => subject.resend = true,
                "pull" => subject.pull = true,
                _ => {
                    if let Some((n, t)) = number_of_total(&lower) {
                        subject.set_number(n, t);
                    } else if let Some(v) = version_of(&lower) {
                        subject.version = Some(v);
                        if lower.starts_with("patch") {
                            subject.patch = true;
                        }
                    } else if lower.starts_with("patch") && lower.len() > 5 {
                        subject.patch = true;
                    }
                }
            }
            tags.push(Arc::from(word));
        }
        subject.tags = tags.into();
    }

    /// Subjects read with their heads shared read as subjects read alone: the same heads
    /// come back with other titles after them (and titles that look like heads).
    #[test]
    fn subjects_with_shared_heads_read_as_alone() {
        const PIECES: &[&str] = &[
            "[PATCH v2 1/3] ",
            "[PATCH]",
            "[RFC",
            "]",
            "Re: ",
            "RE:",
            "Fwd: ",
            "(subset) ",
            "(x)",
            "[",
            ": ",
            " ",
            "  ",
            "\t",
            "net: ",
            "fix ",
            "é",
            "[v3] ",
            "[1/2]",
        ];
        let mut heads: std::collections::HashMap<String, Subject> = Default::default();
        let mut read = 0;
        for raw in crate::random_texts(0x4ead_5eed_0002, PIECES, 7) {
            let mut shared = |head: &str, make: &mut dyn FnMut() -> Subject| {
                heads
                    .entry(head.to_string())
                    .or_insert_with(|| {
                        read += 1;
                        make()
                    })
                    .clone()
            };
            let with_heads = Subject::parse_with_heads(&raw, &mut shared, &mut |t| Arc::from(t));
            assert_eq!(with_heads, Subject::parse(&raw), "{raw:?}");
        }
        // Most were read once and shared after.
        assert!(read < 10_000, "{read}");
    }

    /// Prefixes are the words of the lists mail clients use, compared ignoring ASCII case
    /// after the first colon of the first five bytes.
    #[test]
    fn prefixes_are_the_listed_words() {
        const PIECES: &[&str] = &[
            "re", "RE", "Re", "aw", "SV", "antw", "vs", "odp", "r", "fwd", "Fw", "x", ":", " ",
            "[", "é", "1", "@", "`",
        ];
        fn by_list(text: &str) -> Option<(Prefix, &str)> {
            const REPLY: &[&str] = &["re", "aw", "sv", "antw", "vs", "odp", "r"];
            const FORWARD: &[&str] = &["fwd", "fw"];
            let colon = text.bytes().take(5).position(|b| b == b':')?;
            let word = &text[..colon];
            if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
                return None;
            }
            let is = |list: &[&str]| list.iter().any(|w| w.eq_ignore_ascii_case(word));
            let prefix = if is(REPLY) {
                Prefix::Reply
            } else if is(FORWARD) {
                Prefix::Forward
            } else {
                return None;
            };
            Some((prefix, trim_start(&text[colon + 1..])))
        }
        for text in crate::random_texts(0x9e_f1c5, PIECES, 5) {
            assert_eq!(split_prefix(&text), by_list(&text), "{text:?}");
        }
    }

    #[test]
    fn tags_read_on_bytes_as_on_chars() {
        // The pieces tags are made of, and the separators and odd bytes around them.
        const PIECES: &[&str] = &[
            "PATCH", "patch", "Patch", "v", "V", "3", "12", "0", "99999", "+", "-", "/", "of",
            "OF", "rfc", "RESEND", "pull", "net-next", " ", ",", "\t", "\u{b}", "\u{c}", "\r",
            "\u{a0}", "é", "x",
        ];
        for group in crate::random_texts(0x5151_7e55_0bad_cafe, PIECES, 8) {
            let mut on_bytes = Subject::default();
            let mut tags = Vec::new();
            on_bytes.read_group(&group, &mut tags, &mut |t| Arc::from(t));
            if !tags.is_empty() {
                on_bytes.tags = tags.into();
            }
            let mut on_chars = Subject::default();
            read_group_on_chars(&mut on_chars, &group);
            assert_eq!(on_bytes, on_chars, "{group:?}");
        }
    }
}
