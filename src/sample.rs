//! The bundled sample archive: the two patch digests the project started from, built into the
//! binary so `patchdeck` with no path always opens something to read.

use std::borrow::Cow;

use crate::source::Input;

const DIGESTS: [(&str, &[u8]); 2] = [
    (
        "sample/000_a1b0f8f8c0a5d89a.txt",
        include_bytes!("../fixtures/sample/000_a1b0f8f8c0a5d89a.txt"),
    ),
    (
        "sample/004_2b7edee92d3ad7d8.txt",
        include_bytes!("../fixtures/sample/004_2b7edee92d3ad7d8.txt"),
    ),
];

/// What the title bar calls the sample.
pub const LABEL: &str = "sample archive";

/// The sample as inputs.
pub fn inputs() -> Vec<Input> {
    DIGESTS
        .iter()
        .map(|&(label, bytes)| Input::Bytes {
            label: label.to_string(),
            bytes: Cow::Borrowed(bytes),
        })
        .collect()
}
