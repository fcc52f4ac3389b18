//! Command-line definitions (clap), turned into a plain [`Command`] the rest of patchdeck uses.
//!
//! clap stays in this file: nothing else sees its types, so the subcommands can be tested and
//! reused (completions, man page) without parsing arguments.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::index::order::SortKey;

/// The query language, shown by `--help` of every command that takes `-q`.
const QUERY_HELP: &str = "\
Query language (the filter bar and -q):
  Terms separated by spaces (or AND) must all match; `a|b` or `a OR b` matches
  either, binding tighter than AND; parentheses group: (a b) OR c.
  word          fuzzy match over subject, author and tags (smart case)
  s:pmu         a field matches its text as a substring (smart case); s:~pmu fuzzy
  'word         exact substring        ^word   prefix        word$   suffix
  -word  !word  NOT word    negation (also -from:x, -(a OR b))
  from:  a:     sender or author, name or address     subject: s:  subject
  file:  f:     paths touched              body:    b:  message body (read on demand)
  trailer: t:   \"Key: value\" lines, e.g. t:reviewed-by or t:hubbard
  v:3           version (v:1 also matches unversioned)    tag:rfc  tag:resend
  list:kvm      List-Id          series:  series title     s:\"two words\"
  is:patch|cover|reply|pull|other
  date:2020-10..2020-11   date:2020-10-21   date:2020..   date:..2021-03-01
Examples:
  patchdeck list kvm.mbox -q 'from:vetter pfn'
  patchdeck list kvm.mbox -q 'is:patch v:3 -tag:rfc f:drivers/clk' --format json
  patchdeck list kvm.mbox -q '-is:reply (s:pmu OR s:perf)'
  patchdeck export kvm.mbox -q 'series:follow_pfn v:3' -o v3.mbox";

/// A terminal reader for emailed patches.
///
/// With no path, opens a bundled sample archive (or reads stdin when it is a pipe). Paths may be
/// mbox files (mboxo/mboxrd, plain or .gz), Maildirs, folders of .patch/.eml files, the
/// Markdown patch digests, or `-` for stdin; several are merged into one archive.
#[derive(Debug, Parser)]
#[command(
    name = "patchdeck",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true,
    after_long_help = "In the reader, press ? for every key binding (they can be changed in the \
config file: see --print-default-config)."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Sub>,
    #[command(flatten)]
    open: OpenArgs,
}

#[derive(Debug, Args)]
struct OpenArgs {
    /// Archives to open: mbox, .mbox.gz, Maildir, folder, digest, or - for stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Read this config file instead of $XDG_CONFIG_HOME/patchdeck/config.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Read files into memory instead of mapping them, so a mail client rewriting an mbox
    /// while the reader is open cannot affect it.
    #[arg(long)]
    no_mmap: bool,
    /// Print the default config file and exit.
    #[arg(long)]
    print_default_config: bool,
    /// Cut messages at a scissors line (-- >8 --) as `git am --scissors` does (also
    /// `[mail] scissors = true` in the config file).
    #[arg(long)]
    scissors: bool,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Print one line per message (scriptable; no TUI).
    ///
    /// The first column is the message's number: its place in date order over the whole
    /// archive, the same with or without -q or --sort, and what `show N` opens. The table
    /// starts with a header row; TSV has none (its columns: number, date, author name, author
    /// address, kind, tags, title, insertions, deletions, Message-ID). Exits 1 when nothing
    /// matches, 2 on an error.
    #[command(after_long_help = QUERY_HELP)]
    List {
        /// Archives to read (none: stdin when piped, else the bundled sample).
        #[arg(value_name = "PATH")]
        paths: Vec<String>,
        /// Only messages matching this query (see below; it may start with `-`: -q '-is:reply').
        #[arg(short, long, value_name = "QUERY", allow_hyphen_values = true)]
        query: Option<String>,
        /// Output format [default: table on a terminal, tsv otherwise].
        #[arg(short, long, value_enum)]
        format: Option<Format>,
        /// Sort order, the reader's: date is newest first with each series one block, read
        /// top down; author and subject A to Z; series groups each series, versions together.
        /// The number column is the message's index, which `show N` takes.
        #[arg(short, long, value_enum, default_value_t = SortKey::Date)]
        sort: SortKey,
        /// Reverse the chosen order (oldest first for date).
        #[arg(short, long)]
        reverse: bool,
    },
    /// Show one message as a reader wants it: headers, message, trailers, diffstat, diff.
    ///
    /// The message is a Message-ID (with or without <>) or the number `list` prints in its
    /// first column: the message's place in date order over the whole archive, which a query
    /// or a sort does not change (`list -q 'from:vetter'` prints 7, `show 7` opens that row).
    Show {
        /// Archives, then the message: a Message-ID (with or without <>) or the number `list`
        /// prints.
        #[arg(value_name = "PATH... ID", required = true, num_args = 1..)]
        args: Vec<String>,
        /// Colour: auto (when stdout is a terminal), always or never.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Cut messages at a scissors line (-- >8 --) as `git am --scissors` does (also
        /// `[mail] scissors = true` in the config file).
        #[arg(long)]
        scissors: bool,
    },
    /// What changed between two versions of a series: each patch unchanged, changed (with
    /// the changes to its commit message and a diff of its two diffs), added or removed.
    ///
    /// ID names any message of the newer series (Message-ID or list index); it is compared with
    /// the version before it unless --to names a message of the other one.
    Interdiff {
        /// Archives, then the message: a Message-ID (with or without <>) or a list index.
        #[arg(value_name = "PATH... ID", required = true, num_args = 1..)]
        args: Vec<String>,
        /// Compare with the series of this message instead of the previous version.
        #[arg(long, value_name = "ID")]
        to: Option<String>,
        /// Output format.
        #[arg(short, long, value_enum, default_value_t = InterdiffFormat::Text)]
        format: InterdiffFormat,
        /// Colour (text format): auto (when stdout is a terminal), always or never.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Write patches as an mbox that `git am` applies, as `b4 am` prepares it (a series in n/m
    /// order, covers left out).
    ///
    /// Each patch gets the trailers given on the list (Reviewed-by, Acked-by, Tested-by, ...,
    /// collected as b4 collects them, a cover letter's given to every patch) appended to its
    /// trailer block; every other byte stays as sent (mboxrd-quoted). The file is written
    /// under a temporary name and moved into place; an existing file is kept unless --force.
    #[command(after_long_help = QUERY_HELP)]
    Export(ExportArgs),
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// `list` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Tsv,
}

/// `--sort` takes the index's sort keys, by the names the config file and the reader use.
impl ValueEnum for SortKey {
    fn value_variants<'a>() -> &'a [Self] {
        &SortKey::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.describe()))
    }
}

/// `interdiff` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InterdiffFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What the user asked for, free of clap.
#[derive(Debug)]
pub enum Command {
    Open {
        paths: Vec<String>,
        config: Option<PathBuf>,
        /// Read files into memory rather than map them.
        no_mmap: bool,
        scissors: bool,
    },
    PrintDefaultConfig,
    List {
        paths: Vec<String>,
        query: Option<String>,
        format: Option<Format>,
        sort: SortKey,
        reverse: bool,
    },
    Show {
        paths: Vec<String>,
        id: String,
        color: ColorChoice,
        scissors: bool,
    },
    Export(ExportArgs),
    Interdiff {
        paths: Vec<String>,
        id: String,
        to: Option<String>,
        format: InterdiffFormat,
        color: ColorChoice,
    },
    Completions(clap_complete::Shell),
    Man,
}

/// What `patchdeck export` was asked to write: its arguments as clap reads them, handed on as
/// they are.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Archives to read.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Export the patches matching this query (a matching cover letter or reply brings its
    /// series' patches). Says on stderr what it wrote; exits 1, writing nothing, when
    /// nothing matches.
    #[arg(short, long, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Export the whole series of this message (Message-ID or list index): a cover
    /// letter, any patch of it or any reply. When its thread holds several versions, the
    /// newest.
    #[arg(long, value_name = "ID")]
    pub series: Option<String>,
    /// The version to export (`-v 2`): of the series --series names, or of the patches
    /// the query matches.
    #[arg(short = 'v', long = "version", value_name = "N")]
    pub version: Option<u32>,
    /// Export several versions of one series into one mbox (refused otherwise).
    #[arg(long)]
    pub all_versions: bool,
    /// Keep each message's original bytes: no trailers given on the list are added.
    #[arg(long)]
    pub no_trailers: bool,
    /// Add `Link: https://lore.kernel.org/r/<Message-ID>` to each patch (b4 am -l).
    #[arg(long)]
    pub add_link: bool,
    /// Output file (`-` for stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Cut messages at a scissors line (-- >8 --) as `git am --scissors` does (also
    /// `[mail] scissors = true` in the config file).
    #[arg(long)]
    pub scissors: bool,
}

/// Parses the process arguments; `--help`, `--version` and usage errors exit here, as clap does.
///
/// clap's own messages (usage errors, `--help`) quote what was typed, which may hold escape
/// sequences: they are printed through [`crate::sanitize`] like every other message.
pub fn parse() -> Command {
    match Cli::try_parse() {
        Ok(cli) => cli.into_command(),
        Err(err) => {
            use std::io::Write;
            let text = crate::sanitize::sanitize_lines(&err.render().to_string()).into_owned();
            let _ = if err.use_stderr() {
                std::io::stderr().write_all(text.as_bytes())
            } else {
                std::io::stdout().write_all(text.as_bytes())
            };
            std::process::exit(err.exit_code());
        }
    }
}

impl Cli {
    pub fn into_command(self) -> Command {
        match self.command {
            None if self.open.print_default_config => Command::PrintDefaultConfig,
            None => Command::Open {
                paths: self.open.paths,
                config: self.open.config,
                no_mmap: self.open.no_mmap,
                scissors: self.open.scissors,
            },
            Some(Sub::List {
                paths,
                query,
                format,
                sort,
                reverse,
            }) => Command::List {
                paths,
                query,
                format,
                sort,
                reverse,
            },
            Some(Sub::Show {
                mut args,
                color,
                scissors,
            }) => {
                let id = args.pop().unwrap_or_default();
                Command::Show {
                    paths: args,
                    id,
                    color,
                    scissors,
                }
            }
            Some(Sub::Interdiff {
                mut args,
                to,
                format,
                color,
            }) => {
                let id = args.pop().unwrap_or_default();
                Command::Interdiff {
                    paths: args,
                    id,
                    to,
                    format,
                    color,
                }
            }
            Some(Sub::Export(args)) => Command::Export(args),
            Some(Sub::Completions { shell }) => Command::Completions(shell),
            Some(Sub::Man) => Command::Man,
        }
    }
}

/// The clap command, for completions and the man page.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn show_takes_the_last_argument_as_the_id() {
        let cli = Cli::try_parse_from(["patchdeck", "show", "a.mbox", "b.mbox", "<x@y>"]).unwrap();
        match cli.into_command() {
            Command::Show { paths, id, .. } => {
                assert_eq!(paths, ["a.mbox", "b.mbox"]);
                assert_eq!(id, "<x@y>");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn interdiff_takes_the_last_argument_as_the_id() {
        let cli = Cli::try_parse_from([
            "patchdeck",
            "interdiff",
            "a.mbox",
            "<v2@x>",
            "--to",
            "<v1@x>",
            "-f",
            "json",
        ])
        .unwrap();
        match cli.into_command() {
            Command::Interdiff {
                paths,
                id,
                to,
                format,
                ..
            } => {
                assert_eq!(paths, ["a.mbox"]);
                assert_eq!(id, "<v2@x>");
                assert_eq!(to.as_deref(), Some("<v1@x>"));
                assert_eq!(format, InterdiffFormat::Json);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_query_may_start_with_a_hyphen() {
        for sub in ["list", "export"] {
            let mut args = vec!["patchdeck", sub, "a.mbox", "-q", "-is:reply"];
            if sub == "export" {
                args.extend(["-o", "x.mbox"]);
            }
            let cli = Cli::try_parse_from(args).unwrap();
            match cli.into_command() {
                Command::List { query, paths, .. }
                | Command::Export(ExportArgs { query, paths, .. }) => {
                    assert_eq!(query.as_deref(), Some("-is:reply"));
                    assert_eq!(paths, ["a.mbox"]);
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn bare_paths_open_the_reader() {
        let cli = Cli::try_parse_from(["patchdeck", "kvm.mbox", "-"]).unwrap();
        assert!(
            matches!(cli.into_command(), Command::Open { paths, .. } if paths == ["kvm.mbox", "-"])
        );
    }
}
