//! End-to-end tests: the real binary in a pseudo-terminal, keys sent, the screen read back
//! through a terminal emulator.

mod act_pty;
mod e2e_reader;
