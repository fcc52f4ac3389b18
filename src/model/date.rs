//! Mail dates (RFC 5322 `Date:`), parsed leniently and kept with their zone.

/// A point in time with the sender's UTC offset, as the `Date:` header gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MailDate {
    /// Seconds since the Unix epoch, UTC.
    pub unix: i64,
    /// The sender's offset from UTC in minutes (`+0200` is 120).
    pub offset_minutes: i16,
}
