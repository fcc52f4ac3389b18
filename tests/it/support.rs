//! Helpers shared by the integration tests: where the corpora live, and a reader driven
//! without a terminal.

pub mod alloc;
pub mod corpus;
pub mod reader;
