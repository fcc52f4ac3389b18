//! Any bytes as an input archive (mbox, gzip, digest, single mail): loading and reading every
//! message in full never panics.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use patchdeck::index::archive::Archive;
use patchdeck::source::Input;

fuzz_target!(|data: &[u8]| {
    let input = Input::Bytes {
        label: "fuzz".into(),
        bytes: Cow::Owned(data.to_vec()),
    };
    if let Ok(archive) = Archive::load(&[input], &|_| {}) {
        for i in 0..archive.len() as u32 {
            let body = archive.body(i);
            let _ = body.patch.file_stats();
        }
    }
});
