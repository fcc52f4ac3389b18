//! patchdeck's integration tests, as one binary (one link instead of one per file): each
//! module is what a file of `tests/` used to be. The pseudo-terminal tests are `tests/pty`.

// Test and benchmark code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod act;
mod archives;
mod complexity;
mod config;
mod export;
mod external;
mod filter_reference;
mod hostile;
mod hostile_props;
mod list_json;
mod list_order;
mod list_rows;
mod mailinfo;
mod mapped;
mod patchwork_mail;
mod patchwork_series;
mod query_cli;
mod ranked_first;
mod record;
mod review_trailers;
mod robustness;
mod seeds;
mod show;
mod support;
mod synth_archive;
mod threads;
mod title_prefilter;
mod tui_app;
mod tui_snapshots;
mod tui_styles;
mod versions;

#[global_allocator]
static ALLOCATOR: support::alloc::Counting = support::alloc::Counting;
