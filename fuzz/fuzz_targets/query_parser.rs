//! Any text as a filter query: parsing, and filtering a small archive with it, never panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use patchdeck::index::archive::Archive;
use patchdeck::index::filter::Order;

static ARCHIVE: LazyLock<Archive> = LazyLock::new(|| {
    Archive::load(&patchdeck::sample::inputs(), &|_| {}).expect("the bundled sample loads")
});

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let _ = patchdeck::index::query::Ast::parse(query);
    let _ = ARCHIVE.filter(query, Order::Archive);
});
