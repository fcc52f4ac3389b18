//! Application state and `update`: what the reader shows and how user intents change it.

pub mod action;
pub mod detail;
pub mod keymap;
pub mod list;
#[cfg(test)]
pub mod testing;
