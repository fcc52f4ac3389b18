//! Application state and `update`: what the reader shows and how user intents change it.

pub mod action;
pub mod keymap;
