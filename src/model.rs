//! The patch model: pure data parsed from mail, with no terminal types.
//!
//! A [`message::Message`] is what the list needs of one mail, read cheaply at load; its
//! [`patch::PatchBody`] (commit message, trailers, changelog, diffstat, diff) is parsed from
//! the decoded body text on demand.

pub mod date;
pub mod diff;
pub mod interdiff;
pub mod message;
pub mod mime;
pub mod patch;
pub mod subject;
pub mod trailer;
pub mod version_links;
pub mod worddiff;
