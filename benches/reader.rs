//! What a person feels at a million messages: the reader started on a synthetic archive (every
//! cover, patch and pull request with a title of its own), then queries typed into its filter
//! bar one key at a time. Everything is the real thing except the terminal: the [`App`] and its
//! `update`, the [`Runtime`]'s loader, filter, detail and highlight workers, and a full render
//! into ratatui's `TestBackend` after each key.
//!
//! A key's time runs from the key event to the first frame that shows its answer (the match
//! count and rows); ranked, a second time runs to the frame with the rows ordered by score.
//! Printed: time to the first screen and to the full counts in the title, then per query and
//! order the median and the worst key, the CPU time all keys took (which, unlike their wall
//! times, another process's load does not stretch), and the load average to read them against.
//!
//! `cargo bench --bench reader`; `PATCHDECK_BENCH_SIZE=300000` for another size (the mbox is
//! written once into the temporary folder); `PATCHDECK_BENCH_WRITE_ONLY=1` only writes it, for
//! `benches/compare.sh`; `PATCHDECK_BENCH_KEYS=1` also prints every key's times.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/support/synth.rs"]
#[allow(dead_code, unused_imports)]
mod synth;

use std::time::{Duration, Instant};

use patchdeck::app::{self, App, Event, Settings, keyseq};
use patchdeck::source::Input;
use patchdeck::tui::runtime::Runtime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

/// The allocator the `patchdeck` binary uses, so the bench measures what users run.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PLAIN: [&str; 3] = ["vetter pfn", "rate rounding", "qcom gdsc"];
const FIELDS: [&str; 4] = [
    "from:vetter pfn",
    "s:clk v:3",
    "f:drivers/clk 'qcom",
    "t:reviewed-by kvm",
];
const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;
/// Longest a key may take before the bench gives up on it.
const DEADLINE: Duration = Duration::from_secs(60);

struct Reader {
    app: App,
    runtime: Runtime,
    terminal: Terminal<TestBackend>,
}

impl Reader {
    fn apply(&mut self, event: Event) {
        let effects = app::update(&mut self.app, event);
        self.runtime.dispatch(effects);
    }

    fn draw(&mut self) {
        let app = &self.app;
        let drawn = self
            .terminal
            .draw(|frame| patchdeck::ui::render(app, frame.area(), frame.buffer_mut()));
        drawn.expect("a test backend draws");
    }

    /// Applies events until `done` holds, then draws; the time it took from `start`.
    fn until(&mut self, start: Instant, done: impl Fn(&App) -> bool) -> Duration {
        while !done(&self.app) {
            assert!(start.elapsed() < DEADLINE, "the reader stopped answering");
            if let Some(event) = self.runtime.recv_timeout(Duration::from_millis(100)) {
                self.apply(event);
                while let Some(event) = self.runtime.try_recv() {
                    self.apply(event);
                }
            }
        }
        self.draw();
        if self.app.load.done {
            self.runtime.list_shown();
        }
        start.elapsed()
    }

    fn key(&mut self, keys: &str) {
        for key in keyseq::parse(keys).unwrap_or_else(|e| panic!("{e}")) {
            self.apply(Event::Key(key));
        }
    }
}

/// One key's times: to the count and date-ordered rows, and (ranked) to the ranked rows; and
/// the CPU time all threads spent until then, which a loaded machine does not stretch.
struct Key {
    counted: Duration,
    ranked: Duration,
    cpu: Duration,
}

/// Types `query` into an empty filter bar, one key at a time, waiting for each key's answer.
fn type_query(reader: &mut Reader, query: &str, ranked: bool) -> Vec<Key> {
    reader.key("<esc>");
    reader.app.filter.by_score = ranked;
    reader.key("/");
    let mut keys = Vec::new();
    for (at, c) in query.char_indices() {
        // The key DSL reads whitespace as a separator and `<` as a key's start.
        let written = match c {
            ' ' => "<space>".to_string(),
            '<' => "<lt>".to_string(),
            c => c.to_string(),
        };
        let keys_typed = keyseq::parse(&written).unwrap_or_else(|e| panic!("{e}"));
        let cpu_before = cpu_time();
        let start = Instant::now();
        for key in keys_typed {
            reader.apply(Event::Key(key));
        }
        let counted = reader.until(start, |app| !app.filter.running);
        let to_rank = if ranked {
            reader.until(start, |app| !app.filter.ranking)
        } else {
            counted
        };
        let cpu = cpu_time().saturating_sub(cpu_before);
        if std::env::var_os("PATCHDECK_BENCH_KEYS").is_some() {
            let typed = &query[..at + c.len_utf8()];
            println!(
                "key {typed:?} ({}): {:.1} ms, ranked {:.1} ms, cpu {:.1} ms, {} matches",
                if ranked { "ranked" } else { "date" },
                ms(counted),
                ms(to_rank),
                ms(cpu),
                reader
                    .app
                    .filter
                    .applied
                    .as_ref()
                    .map_or(0, |(_, o)| o.matched.len())
            );
        }
        keys.push(Key {
            counted,
            ranked: to_rank,
            cpu,
        });
    }
    keys
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// CPU time of all the process's threads so far (Linux; zero elsewhere).
fn cpu_time() -> Duration {
    let tasks = std::fs::read_dir("/proc/self/task").into_iter().flatten();
    let nanos = tasks
        .filter_map(|task| {
            let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
            stat.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum();
    Duration::from_nanos(nanos)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

fn main() {
    let size = std::env::var("PATCHDECK_BENCH_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let made = Instant::now();
    let path = synth::mbox::mbox_file(size).expect("the synthetic mbox can be written");
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "{}: {size} messages, {:.0} MB (ready in {:.1} s)",
        path.display(),
        bytes as f64 / 1e6,
        made.elapsed().as_secs_f64()
    );
    if std::env::var_os("PATCHDECK_BENCH_WRITE_ONLY").is_some() {
        return;
    }

    let start = Instant::now();
    let app = App::new(
        Settings::default(),
        Rect::new(0, 0, WIDTH, HEIGHT),
        "archive".into(),
    );
    let runtime = Runtime::start(vec![Input::Path(path)], None);
    let terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test backend");
    let mut reader = Reader {
        app,
        runtime,
        terminal,
    };
    reader.draw();
    let first_screen = start.elapsed();
    let indexed = reader.until(start, |app| app.load.done);
    println!(
        "first screen {:.1} ms; full counts in the title {:.2} s (load average {})",
        ms(first_screen),
        indexed.as_secs_f64(),
        load_average()
    );
    // The filter worker gets the archive once the haystacks are built: wait for one answer.
    let ready = Instant::now();
    reader.key("/x");
    reader.until(ready, |app| !app.filter.running && !app.filter.ranking);
    println!(
        "filter ready {:.2} s after the counts",
        ready.elapsed().as_secs_f64()
    );

    println!(
        "\n| queries | order | median key ms | worst key ms | median to ranked rows ms | worst to ranked ms |\n\
         |---|---|---:|---:|---:|---:|"
    );
    let mut cpu = Vec::new();
    for (name, queries) in [("plain words", &PLAIN[..]), ("field queries", &FIELDS[..])] {
        for ranked in [false, true] {
            let keys: Vec<Key> = queries
                .iter()
                .flat_map(|q| type_query(&mut reader, q, ranked))
                .collect();
            let counted: Vec<Duration> = keys.iter().map(|k| k.counted).collect();
            let to_rank: Vec<Duration> = keys.iter().map(|k| k.ranked).collect();
            cpu.push((name, ranked, keys.iter().map(|k| k.cpu).sum::<Duration>()));
            let worst = |v: &[Duration]| v.iter().max().copied().unwrap_or_default();
            println!(
                "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
                if ranked { "ranked" } else { "date" },
                ms(median(counted.clone())),
                ms(worst(&counted)),
                ms(median(to_rank.clone())),
                ms(worst(&to_rank)),
            );
        }
    }
    println!();
    for (name, ranked, total) in cpu {
        let order = if ranked { "ranked" } else { "date" };
        println!("CPU of all keys, {name} {order}: {:.0} ms", ms(total));
    }
    println!("\nload average after: {}", load_average());
}
