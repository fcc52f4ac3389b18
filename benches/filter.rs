//! Filter benchmark ("instant at any size"): haystack build time and per-keystroke latency
//! over synthetic kernel-list archives of 100k, 300k and 1M messages.
//!
//! Queries are typed one char at a time through one engine, as a person types them, in
//! archive order and ranked by score. Before criterion's runs a plain timing pass prints a
//! per-keystroke table (median of five typings) and min/median/max per query, which the README
//! quotes. The bar (DESIGN section 5): median keystroke under 16 ms in archive order and under
//! 50 ms ranked, at 1M messages on a 2-core machine.
//!
//! `cargo bench --bench filter`; `PATCHDECK_BENCH_TABLE_ONLY=1` skips criterion's runs;
//! `PATCHDECK_BENCH_PROFILE='s:clk v:3'` only types that query over 1M messages, 20 times in
//! each order (`PATCHDECK_BENCH_ORDER=archive` or `score` for one), for a profiler.

// Test and benchmark code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use patchdeck::index::filter::{Engine, Order, Query, RunOptions};
use patchdeck::index::haystack::{Haystacks, SearchDoc};

#[path = "../tests/it/support/synth.rs"]
#[allow(dead_code, unused_imports)]
mod synth;
use synth::{SynthDoc, generate};

/// The allocator the `patchdeck` binary uses, so the bench measures what users run.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 3] = [100_000, 300_000, 1_000_000];
const QUERIES: [&str; 4] = [
    "from:vetter pfn",
    "s:clk v:3",
    "f:drivers/clk 'qcom",
    "t:reviewed-by kvm",
];
const TYPINGS: usize = 5;

/// Every prefix of `query`, ending on char boundaries: what the filter bar holds after each key.
fn keystrokes(query: &str) -> Vec<&str> {
    query
        .char_indices()
        .skip(1)
        .map(|(i, _)| &query[..i])
        .chain([query])
        .collect()
}

/// One keystroke's cost: wall time, CPU time of all threads, matches.
#[derive(Clone, Copy, Default)]
struct Key {
    wall: Duration,
    cpu: Duration,
    found: usize,
}

/// Types `query` once through a fresh engine; the cost of each keystroke.
fn type_query(hay: &Haystacks, query: &str, order: Order) -> Vec<Key> {
    let mut engine = Engine::new();
    let options = RunOptions {
        order,
        ..RunOptions::default()
    };
    keystrokes(query)
        .into_iter()
        .map(|typed| {
            let cpu = cpu_time();
            let start = Instant::now();
            let found = Query::parse(typed)
                .ok()
                .and_then(|q| engine.run(hay, &q, &options))
                .map_or(0, |m| m.docs.len());
            let wall = start.elapsed();
            let cpu = cpu_time()
                .zip(cpu)
                .map_or(Duration::ZERO, |(b, a)| b.saturating_sub(a));
            Key { wall, cpu, found }
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// The plain timing pass: per-keystroke table and summary for one archive size. CPU is the
/// time all threads of the process ran: on a busy machine wall time grows, CPU time hardly.
fn timing_table(hay: &Haystacks) {
    println!(
        "\n## {} messages: per-keystroke latency, median of {TYPINGS} typings (load {})",
        hay.len(),
        load_average()
    );
    let mut summary = Vec::new();
    for query in QUERIES {
        println!(
            "\n| typed | matches | archive ms | archive CPU ms | ranked ms | ranked CPU ms |\n\
             |---|---:|---:|---:|---:|---:|"
        );
        let mut per_order: Vec<Vec<Key>> = Vec::new();
        for order in [Order::Archive, Order::Score] {
            let runs: Vec<Vec<Key>> = (0..TYPINGS)
                .map(|_| type_query(hay, query, order))
                .collect();
            let keys = runs.first().map_or(0, Vec::len);
            let per_key = (0..keys)
                .map(|k| Key {
                    wall: median(runs.iter().map(|r| r[k].wall).collect()),
                    cpu: median(runs.iter().map(|r| r[k].cpu).collect()),
                    found: runs[0][k].found,
                })
                .collect();
            per_order.push(per_key);
        }
        for (k, typed) in keystrokes(query).iter().enumerate() {
            let (a, r) = (per_order[0][k], per_order[1][k]);
            println!(
                "| `{typed}` | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
                a.found,
                ms(a.wall),
                ms(a.cpu),
                ms(r.wall),
                ms(r.cpu)
            );
        }
        for (order, keys) in ["archive", "ranked"].iter().zip(&per_order) {
            let walls: Vec<Duration> = keys.iter().map(|k| k.wall).collect();
            let min = walls.iter().min().copied().unwrap_or_default();
            let max = walls.iter().max().copied().unwrap_or_default();
            let cpu = median(keys.iter().map(|k| k.cpu).collect());
            summary.push(format!(
                "| `{query}` | {order} | {:.2} | {:.2} | {:.2} | {:.2} |",
                ms(min),
                ms(median(walls)),
                ms(max),
                ms(cpu)
            ));
        }
    }
    println!(
        "\n| query | order | min ms | median ms | max ms | median CPU ms |\n|---|---|---:|---:|---:|---:|"
    );
    summary.iter().for_each(|line| println!("{line}"));
}

/// CPU time all threads of this process have run, from `/proc/self/task/*/schedstat` (Linux).
fn cpu_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

/// The 1-minute load average, to read the timings against (Linux; `?` elsewhere).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

fn build(docs: &[SearchDoc<'_>]) -> (Haystacks, Duration) {
    let start = Instant::now();
    let hay = Haystacks::build(docs);
    (hay, start.elapsed())
}

fn main() {
    let start = Instant::now();
    let synth: Vec<SynthDoc> = generate(SIZES[2], 1);
    let docs: Vec<SearchDoc<'_>> = synth.iter().map(SynthDoc::as_search_doc).collect();
    println!(
        "generated {} synthetic messages in {:.1} s",
        docs.len(),
        start.elapsed().as_secs_f64()
    );
    if let Some(query) = std::env::var_os("PATCHDECK_BENCH_PROFILE") {
        let query = query.to_string_lossy();
        let (hay, _) = build(&docs);
        let ranked = std::env::var("PATCHDECK_BENCH_ORDER").map_or(true, |o| o != "archive");
        let archive = std::env::var("PATCHDECK_BENCH_ORDER").map_or(true, |o| o != "score");
        let orders = [(Order::Archive, archive), (Order::Score, ranked)];
        for order in orders.into_iter().filter_map(|(o, on)| on.then_some(o)) {
            let start = Instant::now();
            let cpu = cpu_time();
            for _ in 0..20 {
                black_box(type_query(&hay, &query, order));
            }
            let cpu = cpu_time()
                .zip(cpu)
                .map_or(0.0, |(b, a)| ms(b.saturating_sub(a)) / 20.0);
            let wall = ms(start.elapsed()) / 20.0;
            println!("{query:?} {order:?}: {wall:.1} ms a typing, {cpu:.1} ms of CPU");
        }
        return;
    }
    let mut built = Vec::new();
    for size in SIZES {
        let (hay, took) = build(&docs[..size]);
        println!(
            "haystacks for {size} messages: built in {:.0} ms, {:.1} MB on the heap; distinct {:?}",
            ms(took),
            hay.heap_bytes() as f64 / 1e6,
            hay.table_sizes()
        );
        built.push(hay);
    }
    for hay in &built {
        timing_table(hay);
    }
    if std::env::var_os("PATCHDECK_BENCH_TABLE_ONLY").is_some() {
        return;
    }

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let mut group = c.benchmark_group("haystack_build");
    for size in SIZES {
        group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, &size| {
            b.iter(|| black_box(Haystacks::build(&docs[..size])).len());
        });
    }
    group.finish();
    for (order, name) in [
        (Order::Archive, "keystroke_archive"),
        (Order::Score, "keystroke_ranked"),
    ] {
        let mut group = c.benchmark_group(name);
        for hay in &built {
            for query in QUERIES {
                let id = BenchmarkId::new(query, hay.len());
                // One iteration is one keystroke; the engine carries over between keystrokes
                // of a typing, as in the filter bar, and starts afresh with each typing.
                group.bench_function(id, |b| {
                    let keys = keystrokes(query);
                    let options = RunOptions {
                        order,
                        ..RunOptions::default()
                    };
                    b.iter_custom(|iters| {
                        let mut engine = Engine::new();
                        let mut total = Duration::ZERO;
                        for i in 0..iters {
                            let k = usize::try_from(i).unwrap_or(0) % keys.len();
                            if k == 0 {
                                engine = Engine::new();
                            }
                            let start = Instant::now();
                            let found = Query::parse(keys[k])
                                .ok()
                                .and_then(|q| engine.run(hay, &q, &options));
                            total += start.elapsed();
                            black_box(found);
                        }
                        total
                    });
                });
            }
        }
        group.finish();
    }
    c.final_summary();
}
