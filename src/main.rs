//! patchdeck's entry point: parse arguments, run the command, exit with a deliberate code:
//! 0 ok, 1 nothing matched (`list`, `export`), 2 error. A closed pipe exits quietly.

use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use patchdeck::cli::{self, Command, Format};
use patchdeck::config::{self, Config, DEFAULT_CONFIG};
use patchdeck::index::archive::Archive;
use patchdeck::index::order::{SortKey, order};
use patchdeck::model::patch::ReadOptions;
use patchdeck::sanitize::sanitize_lines;
use patchdeck::source::Input;
use patchdeck::ui::theme::Theme;
use patchdeck::{export, listing, sample, show};

/// The whole program allocates through mimalloc: loading a list makes tens of millions of small
/// strings from two threads at once, where the system allocator spent a fifth of the load
/// growing and locking its arenas.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// When mimalloc gives freed memory back to the system: at once in the reader, never in the
/// one-shot commands (`list`, `show`, `export`, ...). Both instead of mimalloc's default second.
///
/// The reader stays open for hours: a load frees what its phases built (decoded bodies, the
/// grouping's tables) while the next phase allocates, and with the delay both were resident at
/// once (at 100k messages the reader's peak was 130 MiB instead of 120); no CPU time was
/// measured against giving it back at once (300k list: the same user and system time).
///
/// A one-shot command exits as soon as it has printed, so what it gives back it only faults in
/// again in its next phase: at a million messages the 1M `list --format json` took 250k page
/// faults giving back at once and 203k keeping freed memory (0.75 s of system time against 0.55,
/// 2.65-2.78 s against 2.45-2.60 s), for a peak 1-4% higher (828 MB against 842 MB at 1M,
/// 105 MB against 108 MB at 100k). `MIMALLOC_PURGE_DELAY` in the environment still decides.
fn set_purge_delay(command: &Command) {
    // `mi_option_purge_delay` in mimalloc's `mi_option_e` (include/mimalloc.h, v3).
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    #[allow(unsafe_code)]
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // In milliseconds; -1 is never.
    let delay = match command {
        Command::Open { .. } => 0,
        _ => -1,
    };
    // SAFETY: mimalloc (the global allocator, linked in by the `mimalloc` crate) defines
    // `void mi_option_set(mi_option_t option, long value)`; setting an option is a plain
    // store mimalloc reads at its next purge, allowed at any time from any thread.
    #[allow(unsafe_code)]
    unsafe {
        mi_option_set(MI_OPTION_PURGE_DELAY, delay);
    }
}

fn main() -> ExitCode {
    let command = cli::parse();
    set_purge_delay(&command);
    match run(command) {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            say(&error_text(&err));
            ExitCode::from(2)
        }
    }
}

/// Prints one message to stderr, made safe like mail text: paths, queries and the OS's words
/// can all hold escape sequences.
fn say(text: &str) {
    eprintln!("patchdeck: {}", sanitize_lines(text));
}

/// An error and its causes, each cause added only when the text does not already say it (an
/// error that names its source in its own message is not followed by it again).
fn error_text(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Paths as inputs; none means stdin when it is a pipe, else the bundled sample.
fn inputs(paths: &[String]) -> Vec<Input> {
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            sample::inputs()
        } else {
            vec![Input::Stdin]
        }
    } else {
        paths.iter().map(|p| Input::from_arg(p)).collect()
    }
}

/// Loads the archive, printing input problems (one line each, naming the path) to stderr.
fn load(paths: &[String]) -> anyhow::Result<Archive> {
    let archive = Archive::load(&inputs(paths), &|_| {})?;
    for warning in &archive.warnings {
        say(&warning.to_string());
    }
    Ok(archive)
}

fn run(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::List {
            paths,
            query,
            format,
            sort,
            reverse,
        } => list(&paths, query.as_deref(), format, sort, reverse),
        Command::Show {
            paths,
            id,
            color,
            scissors,
        } => {
            let Some(read) = read_options(scissors) else {
                return Ok(2);
            };
            let mut archive = load(&paths)?;
            archive.set_read_options(read);
            if archive.is_empty() {
                say(&format!(
                    "nothing to show: {} holds no messages",
                    archive.label()
                ));
                return Ok(1);
            }
            let idx = resolve(&archive, &id)?;
            let colour = match color {
                cli::ColorChoice::Always => true,
                cli::ColorChoice::Never => false,
                cli::ColorChoice::Auto => io::stdout().is_terminal() && config::colors_enabled(),
            };
            let mut out = io::BufWriter::new(io::stdout().lock());
            show::write(&mut out, &archive, idx, Theme::new(colour))?;
            out.flush()?;
            Ok(0)
        }
        Command::Interdiff {
            paths,
            id,
            to,
            format,
            color,
        } => {
            let archive = load(&paths)?;
            let idx = resolve(&archive, &id)?;
            let against = to.map(|to| resolve(&archive, &to)).transpose()?;
            let interdiff = patchdeck::index::interdiff::of_message(&archive, idx, against)?;
            let mut out = io::BufWriter::new(io::stdout().lock());
            match format {
                cli::InterdiffFormat::Json => show::interdiff::write_json(&mut out, &interdiff)?,
                cli::InterdiffFormat::Text => {
                    let colour = match color {
                        cli::ColorChoice::Always => true,
                        cli::ColorChoice::Never => false,
                        cli::ColorChoice::Auto => {
                            io::stdout().is_terminal() && config::colors_enabled()
                        }
                    };
                    show::interdiff::write_text(
                        &mut out,
                        &archive,
                        idx,
                        &interdiff,
                        Theme::new(colour),
                    )?;
                }
            }
            out.flush()?;
            Ok(0)
        }
        Command::Completions(shell) => {
            clap_complete::generate(shell, &mut cli::command(), "patchdeck", &mut io::stdout());
            Ok(0)
        }
        Command::Man => {
            clap_mangen::Man::new(cli::command()).render(&mut io::stdout())?;
            Ok(0)
        }
        Command::Export(args) => export(args),
        Command::Open {
            paths,
            config,
            no_mmap,
            scissors,
        } => {
            // A broken config stops here, before the terminal is taken, naming its line.
            let config = match Config::load(config.as_deref()) {
                Ok(mut config) => {
                    config.read.scissors |= scissors;
                    config
                }
                Err(err) => {
                    say(&err.to_string());
                    return Ok(2);
                }
            };
            let sample = paths.is_empty() && io::stdin().is_terminal();
            let options = patchdeck::tui::TuiOptions {
                label: sample.then(|| sample::LABEL.to_string()),
                config,
            };
            let mut inputs = inputs(&paths);
            if no_mmap {
                inputs = inputs.into_iter().map(Input::into_memory).collect();
            }
            let code = patchdeck::tui::run_tui(inputs, options)?;
            Ok(u8::try_from(code).unwrap_or(2))
        }
        Command::PrintDefaultConfig => {
            let mut out = io::stdout().lock();
            out.write_all(DEFAULT_CONFIG.as_bytes())?;
            out.flush()?;
            Ok(0)
        }
    }
}

/// `patchdeck export`: chooses the patches (a series, a query's matches), refuses two versions
/// of one series unless asked, and writes them amended as `b4 am` would.
fn export(args: cli::ExportArgs) -> anyhow::Result<u8> {
    if args.series.is_none() && args.query.is_none() {
        anyhow::bail!("export needs --series ID or -q QUERY naming what to export");
    }
    let Some(read) = read_options(args.scissors) else {
        return Ok(2);
    };
    let mut archive = load(&args.paths)?;
    archive.set_read_options(read);
    if archive.is_empty() {
        say(&format!(
            "nothing to export: {} holds no messages",
            archive.label()
        ));
        return Ok(1);
    }
    let mut patches = Vec::new();
    if let Some(id) = &args.series {
        let idx = resolve(&archive, id)?;
        let (_, series) = export::series_for(&archive, idx, args.version)?;
        patches.extend(series);
    }
    if let Some(query) = &args.query {
        let chosen = filter(&archive, query)?;
        if chosen.is_empty() {
            say(&format!("nothing to export: no message matches {query:?}"));
            return Ok(1);
        }
        let mut matched = export::patches_for(&archive, &chosen);
        if let Some(v) = args.version {
            matched.retain(|&p| {
                archive
                    .series_of(p)
                    .and_then(|s| archive.series(s))
                    .is_some_and(|s| s.version == v)
            });
        }
        for p in matched {
            if !patches.contains(&p) {
                patches.push(p);
            }
        }
    }
    if patches.is_empty() {
        say("nothing to export: no patches among the chosen messages");
        return Ok(1);
    }
    if !args.all_versions {
        export::select::check_one_version(&archive, &patches)?;
    }
    let amend = export::Amend {
        trailers: !args.no_trailers,
        link: args.add_link,
    };
    // Interrupted, the export removes its temporary file before it ends.
    export::remove_unfinished_on_signals()?;
    archive.check_unchanged()?;
    export::write_mbox(&archive, &patches, &args.output, args.force, amend)?;
    let dest = if args.output.as_os_str() == "-" {
        "stdout".to_string()
    } else {
        args.output.display().to_string()
    };
    let selection = export::Selection::of(&archive, &patches);
    say(&format!(
        "wrote {} to {dest}: {}",
        selection.counts(),
        selection.named()
    ));
    Ok(0)
}

/// How `show` and `export` read bodies: the config file's `[mail]` settings, `--scissors` on
/// top. A broken config file is reported (with its line) and gives `None`: exit 2.
fn read_options(scissors: bool) -> Option<ReadOptions> {
    match Config::load(None) {
        Ok(config) => Some(ReadOptions {
            scissors: config.read.scissors || scissors,
        }),
        Err(err) => {
            say(&err.to_string());
            None
        }
    }
}

/// A Message-ID (with or without `<>`) or a message's 1-based index, as `list` prints it.
fn resolve(archive: &Archive, id: &str) -> anyhow::Result<u32> {
    if let Some(idx) = archive.find(id) {
        return Ok(idx);
    }
    if let Ok(n) = id.parse::<usize>()
        && (1..=archive.len()).contains(&n)
    {
        return Ok((n - 1) as u32);
    }
    anyhow::bail!(
        "no message {id} in {} ({} messages)",
        archive.label(),
        archive.len()
    )
}

fn list(
    paths: &[String],
    query: Option<&str>,
    format: Option<Format>,
    sort: SortKey,
    reverse: bool,
) -> anyhow::Result<u8> {
    let archive = load(paths)?;
    let mut rows = order(archive.catalog(), sort, reverse);
    if let Some(q) = query {
        let wanted: HashSet<u32> = filter(&archive, q)?.into_iter().collect();
        rows.retain(|m| wanted.contains(m));
    }
    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let format = format.unwrap_or(if tty { Format::Table } else { Format::Tsv });
    // On a terminal the table fits its width; into a pipe or file, titles are never cut.
    let width = if tty {
        Some(terminal_width().unwrap_or(120))
    } else {
        None
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    if format == Format::Table && !rows.is_empty() {
        listing::write_table_header(&mut out, width)?;
    }
    let style = match format {
        Format::Json => listing::Style::Json,
        Format::Tsv => listing::Style::Tsv,
        _ => listing::Style::Table { width },
    };
    listing::write_rows(&mut out, &archive, &rows, style)?;
    out.flush()?;
    // The process ends next: the OS takes the archive back faster than freeing it piece by
    // piece would (a tenth of a second on a big list).
    std::mem::forget(archive);
    Ok(if rows.is_empty() { 1 } else { 0 })
}

/// The terminal's width, when stdout is one.
fn terminal_width() -> Option<usize> {
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
}

/// Messages matching a query, in date order.
fn filter(archive: &Archive, query: &str) -> anyhow::Result<Vec<u32>> {
    archive
        .filter(query, patchdeck::index::filter::Order::Archive)
        .map_err(|e| anyhow::anyhow!("query {query:?}: {e}"))
}
