//! Subjects split the way patchwork and b4 read them: `Re:` stripped, bracket tags parsed.

/// A parsed subject line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// The decoded subject as sent.
    pub raw: String,
    /// Began with `Re:` (or `Aw:`, `Sv:` ...).
    pub reply: bool,
    /// Began with `Fwd:`/`Fw:`.
    pub forward: bool,
    /// Every tag found in the leading bracket groups, as written (`PATCH`, `v3`, `net-next`).
    pub tags: Vec<String>,
    pub version: Option<u32>,
    pub number: Option<u32>,
    pub total: Option<u32>,
    pub patch: bool,
    pub rfc: bool,
    pub resend: bool,
    pub pull: bool,
    /// What is left without `Re:` and bracket tags.
    pub title: String,
}
