//! The archive: parallel load, lazy bodies, search haystacks, the filter engine.
//!
//! [`archive::Archive::load`] turns inputs into messages in chronological order, each read in
//! parallel (headers, kind, body summary); [`series`] groups them into series the way
//! patchwork does; bodies are parsed again on demand for the detail view. [`haystack`] and
//! [`filter`] run the query language of [`query`] over them.

pub mod archive;
pub mod bits;
pub mod date_range;
pub mod filter;
pub mod fold;
pub mod haystack;
pub mod ids;
pub mod interdiff;
pub mod intern;
pub mod matcher;
pub mod order;
pub mod query;
pub(crate) mod rows;
pub mod series;
pub mod table;
pub mod thread;
