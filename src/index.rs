//! The archive: parallel load, lazy bodies, search haystacks, the filter engine.

pub mod date_range;
pub mod fold;
pub mod query;
