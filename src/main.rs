//! patchdeck's entry point: parse arguments, run the command, exit with a deliberate code:
//! 0 ok, 1 nothing matched (`list`, `export`), 2 error. A closed pipe exits quietly.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use patchdeck::cli::{self, Command, Format, SortKey};
use patchdeck::config::{self, Config, DEFAULT_CONFIG};
use patchdeck::index::archive::Archive;
use patchdeck::source::Input;
use patchdeck::{export, listing, sample, show};

fn main() -> ExitCode {
    let command = cli::parse();
    match run(command) {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("patchdeck: {err:#}");
            ExitCode::from(2)
        }
    }
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
        eprintln!("patchdeck: {warning}");
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
        Command::Show { paths, id, color } => {
            let archive = load(&paths)?;
            let idx = resolve(&archive, &id)?;
            let colour = match color {
                cli::ColorChoice::Always => true,
                cli::ColorChoice::Never => false,
                cli::ColorChoice::Auto => io::stdout().is_terminal() && config::colors_enabled(),
            };
            let mut out = io::BufWriter::new(io::stdout().lock());
            show::write(&mut out, &archive, idx, colour)?;
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
        Command::Export {
            paths,
            query,
            series,
            output,
            force,
        } => {
            let archive = load(&paths)?;
            let mut chosen = Vec::new();
            if let Some(id) = series {
                chosen.push(resolve(&archive, &id)?);
            }
            if let Some(query) = query {
                chosen.extend(filter(&archive, &query)?);
            }
            if chosen.is_empty() {
                anyhow::bail!("export needs --series ID or -q QUERY naming what to export");
            }
            let patches = export::patches_for(&archive, &chosen);
            if patches.is_empty() {
                eprintln!("patchdeck: nothing to export: no patches among the chosen messages");
                return Ok(1);
            }
            let n = export::write_mbox(&archive, &patches, &output, force)?;
            if output.as_os_str() != "-" {
                eprintln!("patchdeck: wrote {n} patches to {}", output.display());
            }
            Ok(0)
        }
        Command::Open { paths, config } => {
            // A broken config stops here, before the terminal is taken, naming its line.
            let config = match Config::load(config.as_deref()) {
                Ok(config) => config,
                Err(err) => {
                    eprintln!("patchdeck: {err}");
                    return Ok(2);
                }
            };
            let sample = paths.is_empty() && io::stdin().is_terminal();
            let options = patchdeck::tui::TuiOptions {
                label: sample.then(|| sample::LABEL.to_string()),
                keys: Some(config.keys.clone()),
                config,
                ..Default::default()
            };
            let code = patchdeck::tui::run_tui(inputs(&paths), options)?;
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

/// A Message-ID (with or without `<>`) or a 1-based index into `list`'s date order.
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
    let mut rows: Vec<u32> = match query {
        Some(q) => filter(&archive, q)?,
        None => (0..archive.len() as u32).collect(),
    };
    if sort == SortKey::Date {
        if reverse {
            rows.reverse();
        }
    } else {
        rows = sorted_like_the_reader(&archive, &rows, sort, reverse);
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

/// `rows` in the reader's order for `sort` (one ordering for both front ends).
fn sorted_like_the_reader(
    archive: &Archive,
    rows: &[u32],
    sort: SortKey,
    reverse: bool,
) -> Vec<u32> {
    use patchdeck::app::list::{self, Catalog, ListModel};
    let mut model = ListModel::default();
    model.sort = match sort {
        SortKey::Date => list::SortKey::Date,
        SortKey::Author => list::SortKey::Author,
        SortKey::Subject => list::SortKey::Subject,
        SortKey::Series => list::SortKey::Series,
    };
    model.reversed = reverse;
    model.sort(Catalog {
        messages: &archive.messages,
        series_of: archive.series_map(),
    });
    let wanted: std::collections::HashSet<u32> = rows.iter().copied().collect();
    model.rebuild(Some(&|m| wanted.contains(&m)));
    model.rows.iter().map(|r| r.msg).collect()
}
