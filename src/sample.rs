//! The bundled sample archive, built into the binary so `patchdeck` with no path always opens
//! something that shows what it is for: the two patch digests the project started from, and
//! `assets/sample/linux-clk-2026-01.mbox`, 25 messages copied unchanged from lore's linux-clk archive of January
//! 2026: a series in two versions (`clk: rs9`, v1 and v2, each reviewed), a cover-letter series
//! with nested review replies and their Acked-by/Reviewed-by (`clk: imx: fracn-gppll` v3), and
//! the two clk patches of a 13- then 16-patch treewide series (`MIPS: move pic32.h`, v1 and v2)
//! with their replies, all with real diffs.

use std::borrow::Cow;

use crate::source::Input;

const FILES: [(&str, &[u8]); 3] = [
    (
        "sample/000_a1b0f8f8c0a5d89a.txt",
        include_bytes!("../assets/sample/000_a1b0f8f8c0a5d89a.txt"),
    ),
    (
        "sample/004_2b7edee92d3ad7d8.txt",
        include_bytes!("../assets/sample/004_2b7edee92d3ad7d8.txt"),
    ),
    (
        "sample/linux-clk-2026-01.mbox",
        include_bytes!("../assets/sample/linux-clk-2026-01.mbox"),
    ),
];

/// What the title bar calls the sample.
pub const LABEL: &str = "sample archive";

/// The sample as inputs.
pub fn inputs() -> Vec<Input> {
    FILES
        .iter()
        .map(|&(label, bytes)| Input::Bytes {
            label: label.to_string(),
            bytes: Cow::Borrowed(bytes),
        })
        .collect()
}
