//! patchdeck's integration tests, as one binary (one link instead of one per file): each
//! module is what a file of `tests/` used to be. The pseudo-terminal tests are `tests/pty`.

mod act;
mod archives;
mod config;
mod export;
mod external;
mod filter_reference;
mod patchwork_mail;
mod patchwork_series;
mod robustness;
mod seeds;
mod support;
mod synth_archive;
mod tui_app;
mod tui_snapshots;
mod tui_styles;
