//! Load benchmarks on the reference archive (DESIGN.md section 5): the decompressed
//! `linux-clk-2025.mbox.gz`, 185 MB and 15,562 real messages.
//!
//! - `split`: finding message boundaries in the mapped file.
//! - `headers`: the header block and the decoded header values the list needs, per message.
//! - `bodies`: MIME-decoding and parsing every body (message, trailers, diffstat, diff).
//! - `load`: the whole index, as `patchdeck` builds it before the first full screen.
//!
//! Then how loading grows (issue 11): `synth-load/load/N`, the whole index of a synthetic
//! archive of N messages (the generator of the filter and reader benches, every title
//! distinct), reported per load, as messages per second, and as a printed cost per message.
//! By default N is 100,000 and 300,000 (10 loads each, a few minutes in all);
//! `PATCHDECK_BENCH_SIZE` gives other sizes, comma-separated: `PATCHDECK_BENCH_SIZE=1000000`
//! for the million (10 loads of 800 MB, several minutes on its own).
//!
//! Run with `cargo bench --bench index` (`-- load` for the loads alone). The archives are
//! written once into the system's temporary folder (the reference one decompressed, the
//! synthetic ones as `patchdeck-synth-N.mbox`, shared with the reader bench).

// Test and benchmark code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/support/synth.rs"]
#[allow(dead_code, unused_imports)]
mod synth;

use std::cell::RefCell;
use std::hint::black_box;
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
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

/// Synthetic archive sizes loaded when `PATCHDECK_BENCH_SIZE` does not name others.
const SIZES: [usize; 2] = [100_000, 300_000];

/// About what loading costs a message on this 2-core machine, to size the measurement.
const GUESS_PER_MESSAGE: Duration = Duration::from_micros(10);

fn sizes() -> Vec<usize> {
    match std::env::var("PATCHDECK_BENCH_SIZE") {
        Ok(list) => list
            .split(',')
            .filter_map(|n| n.trim().replace('_', "").parse().ok())
            .collect(),
        Err(_) => SIZES.to_vec(),
    }
}

fn synthetic(c: &mut Criterion) {
    let mut group = c.benchmark_group("synth-load");
    group.sample_size(10);
    // A load takes seconds: one per sample, and no more warm-up than one load.
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(100));
    for n in sizes() {
        let path = synth::mbox::mbox_file(n).expect("the synthetic mbox can be written");
        let inputs = [Input::Path(path)];
        let per_message: RefCell<Vec<f64>> = RefCell::new(Vec::new());
        group.throughput(Throughput::Elements(n as u64));
        group.measurement_time(GUESS_PER_MESSAGE * u32::try_from(n * 10).unwrap_or(u32::MAX));
        group.bench_function(BenchmarkId::new("load", n), |b| {
            b.iter_custom(|loads| {
                let start = Instant::now();
                for _ in 0..loads {
                    let archive = Archive::load(&inputs, &|_| {}).map(|a| a.len());
                    black_box(archive.ok());
                }
                let took = start.elapsed();
                let messages = loads as f64 * n as f64;
                per_message.borrow_mut().push(took.as_secs_f64() / messages);
                took
            })
        });
        let mut costs = per_message.into_inner();
        costs.sort_by(f64::total_cmp);
        if let Some(median) = costs.get(costs.len() / 2) {
            println!(
                "synth-load/load/{n}: {:.2} µs per message (median of {} samples)",
                median * 1e6,
                costs.len()
            );
        }
    }
    group.finish();
}

criterion_group!(index, benches, synthetic);
criterion_main!(index);
