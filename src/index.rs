//! The archive: parallel load, lazy bodies, search haystacks, the filter engine.

pub mod date_range;
pub mod filter;
pub mod fold;
pub mod haystack;
pub mod matcher;
pub mod query;
pub mod synth;
pub mod table;
