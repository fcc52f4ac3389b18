//! Helpers shared by the integration tests: where the corpora live, and a reader driven
//! without a terminal, and the synthetic archive generator the benchmarks share.

pub mod alloc;
pub mod corpus;
pub mod reader;
pub mod run;
// By path, as the benchmarks include it, so that its own modules resolve the same way.
#[path = "support/synth.rs"]
pub mod synth;
