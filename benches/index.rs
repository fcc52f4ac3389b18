//! Load benchmarks on the reference archive (DESIGN.md section 5): the decompressed
//! `linux-clk-2025.mbox.gz`, 185 MB and 15,562 real messages.
//!
//! - `split`: finding message boundaries in the mapped file.
//! - `headers`: the header block and the decoded header values the list needs, per message.
//! - `bodies`: MIME-decoding and parsing every body (message, trailers, diffstat, diff).
//! - `load`: the whole index, as `patchdeck` builds it before the first full screen.
//!
//! Run with `cargo bench --bench index`. The archive is decompressed once into the system's
//! temporary folder.

// Test and benchmark code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use patchdeck::index::archive::Archive;
use patchdeck::model::{mime, patch};
use patchdeck::source::{self, Input};

/// The allocator the `patchdeck` binary uses, so the bench measures what users run.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The decompressed reference archive, or `None` when the corpus is not beside the checkout.
fn reference_archive() -> Option<PathBuf> {
    let gz = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/archives/linux-clk-2025.mbox.gz");
    let out = std::env::temp_dir().join("patchdeck-bench-linux-clk-2025.mbox");
    if out.exists() {
        return Some(out);
    }
    let file = std::fs::File::open(&gz).ok()?;
    let mut bytes = Vec::new();
    flate2::read::MultiGzDecoder::new(file)
        .read_to_end(&mut bytes)
        .ok()?;
    std::fs::write(&out, bytes).ok()?;
    Some(out)
}

fn benches(c: &mut Criterion) {
    let Some(path) = reference_archive() else {
        eprintln!("index bench: ../shared/corpora/archives/linux-clk-2025.mbox.gz not found");
        return;
    };
    let inputs = [Input::Path(path.clone())];
    let loaded = source::read(&inputs);
    let raws: Vec<&[u8]> = loaded.messages.iter().map(|l| loaded.bytes(l)).collect();
    let texts: Vec<String> = raws
        .iter()
        .map(|raw| mime::body_text(raw).text.into_owned())
        .collect();

    let mut group = c.benchmark_group("clk-2025");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("split", |b| {
        b.iter(|| black_box(source::read(&inputs).messages.len()))
    });
    group.bench_function("headers", |b| {
        b.iter(|| {
            for raw in &raws {
                let block = mime::HeaderBlock::parse(raw);
                for name in [
                    "From",
                    "Subject",
                    "Date",
                    "To",
                    "Cc",
                    "List-Id",
                    "Message-ID",
                ] {
                    black_box(block.value(name));
                }
            }
        })
    });
    group.bench_function("bodies", |b| {
        b.iter(|| {
            for raw in &raws {
                black_box(patch::parse(&mime::body_text(raw).text));
            }
        })
    });
    group.bench_function("bodies-parse-only", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(patch::parse(text));
            }
        })
    });
    group.bench_function("load", |b| {
        b.iter(|| {
            let archive = Archive::load(&inputs, &|_| {}).map(|a| a.len());
            black_box(archive.ok())
        })
    });
    group.finish();
}

criterion_group!(index, benches);
criterion_main!(index);
