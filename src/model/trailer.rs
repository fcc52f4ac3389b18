//! Trailers: the `Key: value` lines closing a commit message (`Signed-off-by`, `Reviewed-by`,
//! `Fixes`, ...), as `git interpret-trailers` reads them.

/// One trailer line, key as written (`Reviewed-by`), value trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}

/// The kinds of trailer that the list counts and the detail pane colours apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrailerKind {
    SignedOff,
    Reviewed,
    Acked,
    Tested,
    Reported,
    Suggested,
    CoDeveloped,
    Fixes,
    Link,
    Cc,
    Other,
}

impl Trailer {
    pub fn kind(&self) -> TrailerKind {
        TrailerKind::of(&self.key)
    }
}

impl TrailerKind {
    pub fn of(key: &str) -> TrailerKind {
        const KINDS: &[(&str, TrailerKind)] = &[
            ("signed-off-by", TrailerKind::SignedOff),
            ("reviewed-by", TrailerKind::Reviewed),
            ("acked-by", TrailerKind::Acked),
            ("tested-by", TrailerKind::Tested),
            ("reported-by", TrailerKind::Reported),
            ("suggested-by", TrailerKind::Suggested),
            ("co-developed-by", TrailerKind::CoDeveloped),
            ("fixes", TrailerKind::Fixes),
            ("link", TrailerKind::Link),
            ("closes", TrailerKind::Link),
            ("cc", TrailerKind::Cc),
        ];
        KINDS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map_or(TrailerKind::Other, |&(_, kind)| kind)
    }
}

/// Counts of the trailers a maintainer scans the list for: Acked, Reviewed, Tested.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrailerCounts {
    pub acked: u16,
    pub reviewed: u16,
    pub tested: u16,
}

impl TrailerCounts {
    pub fn of<'a>(trailers: impl IntoIterator<Item = &'a Trailer>) -> TrailerCounts {
        let mut counts = TrailerCounts::default();
        for t in trailers {
            match t.kind() {
                TrailerKind::Acked => counts.acked += 1,
                TrailerKind::Reviewed => counts.reviewed += 1,
                TrailerKind::Tested => counts.tested += 1,
                _ => {}
            }
        }
        counts
    }

    pub fn add(&mut self, other: TrailerCounts) {
        self.acked += other.acked;
        self.reviewed += other.reviewed;
        self.tested += other.tested;
    }
}
