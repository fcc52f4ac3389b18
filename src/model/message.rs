//! What patchdeck knows of one mail after loading: decoded headers, parsed subject, kind, where
//! its bytes are, and the body summary the list shows.

use std::sync::Arc;

use super::date::MailDate;
use super::diff::FileStat;
use super::subject::Subject;
use super::trailer::Trailer;
use super::version_links::VersionLinks;

/// What a message is, as patchwork and b4 tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Patch,
    Cover,
    Reply,
    Pull,
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Patch => "patch",
            Kind::Cover => "cover",
            Kind::Reply => "reply",
            Kind::Pull => "pull",
            Kind::Other => "other",
        }
    }
}

/// A decoded mail address: display name (empty when none) and bare address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Address {
    pub name: String,
    pub email: String,
}

impl Address {
    /// The name if there is one, else the address: what a list row shows.
    pub fn display(&self) -> &str {
        if self.name.is_empty() {
            &self.email
        } else {
            &self.name
        }
    }
}

/// The Message-IDs of a `References` header, oldest first, kept in one string (one
/// allocation a message, not one an ID: a reply deep in a thread names a dozen).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    /// The IDs, a space between two (an ID holds no white space).
    ids: Box<str>,
}

impl References {
    /// The IDs, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + Clone {
        (!self.ids.is_empty())
            .then(|| self.ids.split(' '))
            .into_iter()
            .flatten()
    }

    /// The newest ID: the message answered, when `In-Reply-To` does not say. Found from the
    /// end, not kept: a list holds a million of these.
    pub fn last(&self) -> Option<&str> {
        let start = memchr::memrchr(b' ', self.ids.as_bytes()).map_or(0, |space| space + 1);
        self.ids.get(start..).filter(|id| !id.is_empty())
    }

    /// The oldest ID: the one an `In-Reply-To` holding the same as `References` names.
    pub fn first(&self) -> Option<&str> {
        let end = memchr::memchr(b' ', self.ids.as_bytes()).unwrap_or(self.ids.len());
        self.ids.get(..end).filter(|id| !id.is_empty())
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// IDs joined the way these are kept, a space between two.
    pub(crate) fn from_joined(ids: String) -> References {
        References {
            ids: ids.into_boxed_str(),
        }
    }
}

impl<S: AsRef<str>> FromIterator<S> for References {
    /// IDs (none empty or holding white space), oldest first.
    fn from_iter<I: IntoIterator<Item = S>>(ids: I) -> References {
        let mut all = String::new();
        for id in ids {
            if !all.is_empty() {
                all.push(' ');
            }
            all.push_str(id.as_ref());
        }
        References::from_joined(all)
    }
}

/// Where a message's `In-Reply-To` is kept: none, the ID itself, or (an empty ID, which no
/// header gives) the same ID as the last of `references`, not stored twice. Two words, where
/// an enum of the three would take three.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Reply(Option<Box<str>>);

impl Reply {
    const NONE: Reply = Reply(None);

    fn last_reference() -> Reply {
        Reply(Some(Box::default()))
    }
}

impl Message {
    /// A message with these headers and the rest empty; [`crate::index::archive`] fills it
    /// in as it reads a mail.
    // Inlined into loading, the message is built where it is kept instead of built and
    // copied there.
    #[inline]
    pub fn new(
        id: String,
        in_reply_to: Option<&str>,
        references: References,
        from: Arc<Address>,
        subject: Subject,
    ) -> Message {
        let mut message = Message {
            id: id.into(),
            reply: Reply::NONE,
            references,
            author: Arc::clone(&from),
            from,
            date: None,
            list_id: None,
            subject,
            kind: Kind::Other,
            location: Location::default(),
            summary: Summary::default(),
            warnings: Box::default(),
        };
        message.set_in_reply_to(in_reply_to);
        message
    }

    /// The Message-ID this message's `In-Reply-To` names.
    pub fn in_reply_to(&self) -> Option<&str> {
        match &self.reply {
            Reply(None) => None,
            Reply(Some(id)) if id.is_empty() => self.references.last(),
            Reply(Some(id)) => Some(id),
        }
    }

    pub fn set_in_reply_to(&mut self, id: Option<&str>) {
        self.reply = match id {
            None | Some("") => Reply::NONE,
            Some(id) if self.references.last() == Some(id) => Reply::last_reference(),
            Some(id) => Reply(Some(id.into())),
        };
    }

    /// [`Self::set_in_reply_to`] the first of [`Self::references`] (what an `In-Reply-To`
    /// holding the same text as `References` names).
    pub fn reply_to_first_reference(&mut self) {
        // One ID (a first reply's `References`, nearly half a list) is its own last: told by
        // the one search for a space, without finding and comparing the last.
        let ids = self.references.ids.as_bytes();
        if !ids.is_empty() && memchr::memchr(b' ', ids).is_none() {
            self.reply = Reply::last_reference();
            return;
        }
        let first = self.references.first();
        self.reply = match first {
            None => Reply::NONE,
            Some(id) if self.references.last() == Some(id) => Reply::last_reference(),
            Some(id) => Reply(Some(id.into())),
        };
    }

    /// Adds what could not be read cleanly (rare: the list keeps no spare room for it).
    pub fn warn(&mut self, warning: String) {
        let mut warnings = Vec::from(std::mem::take(&mut self.warnings));
        warnings.push(warning);
        self.warnings = warnings.into_boxed_slice();
    }

    /// The tags a list shows: the subject's, with `PULL` for a pull request whose subject
    /// does not say so.
    pub fn tag_summary(&self) -> String {
        let mut out = Vec::new();
        self.write_tag_summary(&mut out);
        // Only ASCII letters, digits, `/` and spaces were written.
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Appends [`Self::tag_summary`] to `out` without building it.
    pub fn write_tag_summary(&self, out: &mut Vec<u8>) {
        if self.kind != Kind::Pull || self.subject.pull {
            return self.subject.write_tag_summary(out);
        }
        out.extend_from_slice(b"PULL ");
        let tags = out.len();
        self.subject.write_tag_summary(out);
        if out.len() == tags {
            out.pop();
        }
    }
}

/// Where a message's bytes live: which loaded source, and the byte range inside it (the
/// envelope `From ` line excluded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Location {
    pub source: u32,
    pub start: u64,
    pub end: u64,
}

/// One message of an archive.
#[derive(Debug, Clone)]
pub struct Message {
    /// Message-ID without the angle brackets (synthesised when the mail has none).
    pub id: Box<str>,
    /// `In-Reply-To`, through [`Message::in_reply_to`]: nearly always the last of the
    /// references, and then not stored twice.
    reply: Reply,
    pub references: References,
    /// The sender, shared with every other message of the archive from the same address.
    pub from: Arc<Address>,
    /// Who wrote the patch as `git am` records it: an in-body `From:` overrides the header.
    pub author: Arc<Address>,
    pub date: Option<MailDate>,
    pub list_id: Option<Arc<str>>,
    pub subject: Subject,
    pub kind: Kind,
    pub location: Location,
    /// Body facts the list and the filter need, filled at load.
    pub summary: Summary,
    /// What could not be read cleanly: shown with the message, never fatal.
    pub warnings: Box<[String]>,
}

/// The parts of the parsed body that the list, the filter and `list --format json` use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: Box<[FileStat]>,
    pub insertions: u32,
    pub deletions: u32,
    pub trailers: Box<[Trailer]>,
    pub pull_url: Option<Box<str>>,
    pub has_diff: bool,
    /// b4's change-id and the changelog's links to earlier versions (covers and patches).
    pub version_links: Option<Box<VersionLinks>>,
}

/// The lore.kernel.org link for a Message-ID (`%`, `/`, `?` and `#` escaped, as lore expects).
pub fn lore_link(id: &str) -> String {
    let escaped: String = id
        .chars()
        .map(|c| match c {
            '%' => "%25".to_string(),
            '/' => "%2F".to_string(),
            '?' => "%3F".to_string(),
            '#' => "%23".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("https://lore.kernel.org/r/{escaped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replying to the first reference is `set_in_reply_to` of the first ID, found as the
    /// IDs are iterated.
    #[test]
    fn first_reference_is_the_first_of_the_ids() {
        for ids in [&[][..], &["a@b"], &["a@b", "c@d"], &["a@b", "c@d", "a@b"]] {
            let references: References = ids.iter().collect();
            assert_eq!(references.first(), references.iter().next(), "{ids:?}");
            let new = || {
                let from = Arc::new(Address::default());
                Message::new(
                    "m@x".into(),
                    None,
                    references.clone(),
                    from,
                    Subject::default(),
                )
            };
            let mut first = new();
            first.reply_to_first_reference();
            let mut set = new();
            set.set_in_reply_to(references.iter().next());
            assert_eq!(first.reply, set.reply, "{ids:?}");
            assert_eq!(first.in_reply_to(), ids.first().copied(), "{ids:?}");
        }
    }

    /// A list of a million messages keeps a million of these: each byte here is a megabyte
    /// there. The sizes a message's record is made of, so growing one is a choice.
    #[test]
    fn records_stay_small() {
        let sizes = [
            ("Message", size_of::<Message>()),
            ("Summary", size_of::<Summary>()),
            ("Subject", size_of::<Subject>()),
            ("FileStat", size_of::<FileStat>()),
            ("Trailer", size_of::<Trailer>()),
            ("Option<MailDate>", size_of::<Option<MailDate>>()),
        ];
        let expected = [
            ("Message", 288),
            ("Summary", 72),
            ("Subject", 72),
            ("FileStat", 48),
            ("Trailer", 32),
            ("Option<MailDate>", 16),
        ];
        assert_eq!(sizes, expected);
    }
}
