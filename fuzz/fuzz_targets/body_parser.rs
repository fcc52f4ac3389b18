//! Any bytes as one message: MIME decoding, RFC 2047 headers and the patch body parser never
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patchdeck::model::mime::{HeaderBlock, body_text};

fuzz_target!(|data: &[u8]| {
    let block = HeaderBlock::parse(data);
    for header in &block.headers {
        let _ = header.value();
    }
    let body = body_text(data);
    let patch = patchdeck::model::patch::parse(&body.text);
    let _ = patch.file_stats();
    let _ = patch.summary();
});
