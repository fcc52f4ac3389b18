//! What patchdeck knows of one mail after loading: decoded headers, parsed subject, kind, where
//! its bytes are, and the body summary the list shows.

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

impl Message {
    /// The tags a list shows: the subject's, with `PULL` for a pull request whose subject
    /// does not say so.
    pub fn tag_summary(&self) -> String {
        let tags = self.subject.tag_summary();
        match (
            self.kind == Kind::Pull && !self.subject.pull,
            tags.is_empty(),
        ) {
            (false, _) => tags,
            (true, true) => "PULL".into(),
            (true, false) => format!("PULL {tags}"),
        }
    }
}

/// Where a message's bytes live: which loaded source, and the byte range inside it (the
/// envelope `From ` line excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub source: u32,
    pub start: u64,
    pub end: u64,
}

/// One message of an archive.
#[derive(Debug, Clone)]
pub struct Message {
    /// Message-ID without the angle brackets (synthesised when the mail has none).
    pub id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub from: Address,
    /// Who wrote the patch as `git am` records it: an in-body `From:` overrides the header.
    pub author: Address,
    pub date: Option<MailDate>,
    pub to: String,
    pub cc: String,
    pub list_id: Option<String>,
    pub patchwork_id: Option<String>,
    pub subject: Subject,
    pub kind: Kind,
    pub location: Location,
    /// Body facts the list and the filter need, filled at load.
    pub summary: Summary,
    /// What could not be read cleanly: shown with the message, never fatal.
    pub warnings: Vec<String>,
}

/// The parts of the parsed body that the list, the filter and `list --format json` use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: Vec<FileStat>,
    pub insertions: u32,
    pub deletions: u32,
    pub trailers: Vec<Trailer>,
    pub pull_url: Option<String>,
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
