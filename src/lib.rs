//! patchdeck: a terminal reader for emailed patches.
//!
//! Data flows one way: input bytes -> [`source`] (raw messages with byte ranges) -> [`index`]
//! (parsed headers, list rows, search haystacks; bodies on demand) -> `app` state -> `ui`
//! render. [`model`], [`source`] and [`index`] know nothing of terminals, so parsing and
//! filtering are tested and benchmarked without a screen.

pub mod app;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod contrast;
pub mod diagnostic;
pub mod export;
pub mod external;
pub mod highlight;
pub mod index;
pub mod listing;
pub mod model;
pub mod sample;
pub mod sanitize;
pub mod show;
pub mod source;
pub mod tui;
pub mod ui;

/// Up to `most` of `pieces` strung together at random: inputs for tests that hold a fast
/// reading to a plain one.
#[cfg(test)]
pub(crate) fn random_text(next: &mut impl FnMut() -> u64, pieces: &[&str], most: u64) -> String {
    let len = next() % (most + 1);
    (0..len)
        .map(|_| pieces[(next() % pieces.len() as u64) as usize])
        .collect()
}

/// The inputs of a differential test: [`random_text`]s of up to `most` of `pieces`, as many as
/// such a test reads (20,000), the same ones on every run of the same `seed`.
#[cfg(test)]
pub(crate) fn random_texts<'p>(
    seed: u64,
    pieces: &'p [&'p str],
    most: u64,
) -> impl Iterator<Item = String> + 'p {
    let mut next = xorshift(seed);
    (0..20_000).map(move |_| random_text(&mut next, pieces, most))
}

/// xorshift64: repeatable noise for unit tests, without a crate.
#[cfg(test)]
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
