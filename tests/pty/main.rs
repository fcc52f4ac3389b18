//! End-to-end tests: the real binary in a pseudo-terminal, keys sent, the screen read back
//! through a terminal emulator.

// Test and benchmark code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod act_pty;
mod e2e_reader;
