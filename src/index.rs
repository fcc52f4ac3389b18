//! The archive: parallel load, lazy bodies, search haystacks, the filter engine.
//!
//! [`archive::Archive::load`] turns inputs into messages in chronological order, each read in
//! parallel (headers, kind, body summary); [`series`] groups them into series the way
//! patchwork does; bodies are parsed again on demand for the detail view.

pub mod archive;
pub mod order;
pub mod series;
