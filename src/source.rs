//! Reading inputs: sniffing, mbox split, gzip, Maildir, folders, patch digests, stdin.
//!
//! Every input becomes one or more [`Source`]s (bytes: a memory map, or a buffer for gzip,
//! stdin and synthesised digests) and a list of message [`Location`]s inside them. Formats are
//! sniffed from content, never from file names. Nothing here parses a message: the index does
//! that, in parallel, from the locations.

mod digest;
mod mapped;
mod mbox;
mod sniff;
mod walk;

use std::borrow::Cow;
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use crate::model::message::Location;

pub use mapped::{Bytes, OpenError, ReadMode};
pub use sniff::Format;

/// One thing the user asked patchdeck to read.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file or folder; `-` means stdin.
    Path(PathBuf),
    Stdin,
    /// A file or folder read into memory, never mapped (`--no-mmap`).
    ReadPath(PathBuf),
    /// Bytes already in memory (the bundled sample, tests).
    Bytes {
        label: String,
        bytes: Cow<'static, [u8]>,
    },
}

impl Input {
    /// The same input, read into memory rather than mapped.
    pub fn into_memory(self) -> Input {
        match self {
            Input::Path(path) if path.as_os_str() != "-" => Input::ReadPath(path),
            other => other,
        }
    }

    /// `-` is stdin, anything else a path.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }

    /// How the status line names this input.
    pub fn label(&self) -> String {
        match self {
            Input::Path(p) | Input::ReadPath(p) => p.display().to_string(),
            Input::Stdin => "stdin".into(),
            Input::Bytes { label, .. } => label.clone(),
        }
    }
}

/// A loaded input file's bytes.
#[derive(Debug)]
pub struct Source {
    /// The file path (or `stdin`, or the sample's name) for messages and errors.
    pub label: String,
    pub bytes: Bytes,
    pub format: Format,
    /// An mboxrd file: its messages' `>From ` lines lose one `>` when read.
    pub mboxrd: bool,
    /// Where the file holds `From ` after a `>` (the `F`), in order; empty unless mboxrd.
    /// Only a message holding one of these can have a line to unquote.
    pub quoted_from: Vec<usize>,
}

impl Source {
    /// A source whose messages are read as stored: nothing in it is mboxrd-quoted (or, for a
    /// big mbox split as it is read, not known to be yet; [`Loaded::read_all`] sets that).
    fn unquoted(label: String, bytes: Bytes, format: Format) -> Source {
        Source {
            label,
            bytes,
            format,
            mboxrd: false,
            quoted_from: Vec::new(),
        }
    }

    /// Records what the file's split found: whether it is mboxrd, and where its quoted `From `
    /// lines are, kept only when it is (an mboxo file's are never unquoted).
    fn set_quoting(&mut self, mboxrd: bool, quoted_from: Vec<usize>) {
        self.mboxrd = mboxrd;
        self.quoted_from = if mboxrd { quoted_from } else { Vec::new() };
    }

    /// Whether the message at `start..end` may hold an mboxrd-quoted `From ` line.
    fn may_be_quoted(&self, start: usize, end: usize) -> bool {
        may_hold(&self.quoted_from, start, end)
    }
}

/// Whether one of `quoted_from` (in order) lies in `start..end`.
fn may_hold(quoted_from: &[usize], start: usize, end: usize) -> bool {
    let first = quoted_from.partition_point(|&at| at < start);
    quoted_from.get(first).is_some_and(|&at| at < end)
}

/// Why an input could not be read. The path is always named.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a mail archive (no mbox, Maildir, mail, patch or digest found)")]
    NotMail { path: String },
    #[error("{path}: skipped {count} files that are not mail")]
    Skipped { path: String, count: usize },
    #[error("{path}: gzip data is damaged ({detail}); read what came before")]
    Gzip { path: String, detail: String },
    #[error(
        "{path} changed on disk since it was loaded; reopen it to act on its messages (or use --no-mmap)"
    )]
    Changed { path: String },
    #[error("{path}: expands past {} (set PATCHDECK_GZIP_LIMIT to raise the cap); skipped", size(*.limit))]
    TooLarge { path: String, limit: u64 },
    #[error("{path}: deeper than {} folders; skipped", walk::MAX_DEPTH)]
    TooDeep { path: String },
    #[error("{path}: not a file, folder or pipe; not read")]
    NotAFile { path: String },
    #[error("PATCHDECK_GZIP_LIMIT={value:?} is not a size like 512M or 8G; using {}", size(*.used))]
    BadLimit { value: String, used: u64 },
}

impl SourceError {
    fn open(path: String, error: OpenError) -> SourceError {
        match error {
            OpenError::Io(source) => SourceError::Io { path, source },
            OpenError::NotAFile => SourceError::NotAFile { path },
        }
    }
}

/// What reading inputs may cost: the caps that keep a hostile input from taking the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes one gzip file may expand to; past it the file is skipped with a warning.
    pub gzip_expanded: u64,
}

/// The default expansion cap: bigger than any list archive (lore's largest yearly mbox
/// expands to about 2 GiB), smaller than a machine.
pub const DEFAULT_GZIP_LIMIT: u64 = 4 << 30;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            gzip_expanded: DEFAULT_GZIP_LIMIT,
        }
    }
}

impl Limits {
    /// The defaults, with `PATCHDECK_GZIP_LIMIT` (`512M`, `8G`, bytes) applied; an unreadable
    /// value is reported and the default kept.
    pub fn from_env(errors: &mut Vec<SourceError>) -> Limits {
        let mut limits = Limits::default();
        if let Some(value) = std::env::var_os("PATCHDECK_GZIP_LIMIT") {
            let value = value.to_string_lossy().into_owned();
            match parse_size(&value) {
                Some(bytes) => limits.gzip_expanded = bytes,
                None => errors.push(SourceError::BadLimit {
                    value,
                    used: limits.gzip_expanded,
                }),
            }
        }
        limits
    }
}

/// `4096`, `64K`, `512M`, `8G`, `1T` (powers of 1024; `KiB`/`KB`/`k` spellings too).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let number: u64 = text[..digits].parse().ok()?;
    let unit = text[digits..].trim().to_ascii_lowercase();
    let shift = match unit.trim_end_matches('b').trim_end_matches('i') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return None,
    };
    number.checked_mul(1 << shift)
}

/// A byte count as people write it: `1 MiB`, `4 GiB`, `1500 B`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    let mut unit = "B";
    let mut value = bytes;
    for (i, name) in UNITS.iter().enumerate() {
        let step = 1u64 << (10 * (i + 1));
        if bytes >= step && bytes % step == 0 {
            unit = name;
            value = bytes / step;
        }
    }
    format!("{value} {unit}")
}

/// Everything read from the inputs: sources, message locations, and per-input problems.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Source>,
    /// Where the messages are, in input order; a big mbox's are not among them until it is
    /// split ([`open`]).
    pub messages: Vec<Location>,
    pub errors: Vec<SourceError>,
    /// Big mboxes not split yet (see [`open`]), in input order.
    unsplit: Vec<Unsplit>,
}

/// A big mbox left to be split as it is read.
#[derive(Debug, Clone, Copy)]
struct Unsplit {
    source: u32,
    /// How many of [`Loaded::messages`] come before its messages.
    after: usize,
}

impl Loaded {
    pub fn bytes(&self, at: &Location) -> &[u8] {
        let Some(source) = self.sources.get(at.source as usize) else {
            return &[];
        };
        let bytes = source.bytes.as_slice();
        let start = (at.start as usize).min(bytes.len());
        let end = (at.end as usize).clamp(start, bytes.len());
        &bytes[start..end]
    }

    /// Reads every message, in input order, in windows of about [`WINDOW_BYTES`]: each
    /// message's bytes as sent ([`Self::message`]) read by `read` (in parallel, results in
    /// order), and the window's pages let go once it is read, so that a big mapped archive is
    /// never resident whole on top of what is built from it.
    ///
    /// A big mbox left unsplit ([`open`]) is split here, a window at a time, each window's
    /// messages read right after it was searched: its bytes are read from the cache rather
    /// than from memory again, and the search of the next window shares the cores with
    /// reading. [`Self::messages`] is empty afterwards: each result carries its location.
    ///
    /// `window_read` is told, after each window, how many messages and bytes have been read
    /// so far: counting once a window, not once a message, keeps the cores from passing a
    /// shared counter's cache line back and forth a million times.
    pub fn read_all<T: Send>(
        &mut self,
        read: impl Fn(&Location, &[u8]) -> T + Sync,
        window_read: impl Fn(usize, u64),
    ) -> Vec<T> {
        self.read_all_in(WINDOW_BYTES, read, window_read)
    }

    /// [`Self::read_all`] in windows of about `window` bytes.
    fn read_all_in<T: Send>(
        &mut self,
        window: u64,
        read: impl Fn(&Location, &[u8]) -> T + Sync,
        window_read: impl Fn(usize, u64),
    ) -> Vec<T> {
        let located = std::mem::take(&mut self.messages);
        let unsplit = std::mem::take(&mut self.unsplit);
        let mut out = Vec::with_capacity(located.len());
        let mut bytes_read = 0u64;
        let mut from = 0;
        for mbox in unsplit {
            let before = located.get(from..mbox.after).unwrap_or_default();
            self.read_windows(
                before,
                window,
                &read,
                &mut out,
                &mut bytes_read,
                &window_read,
            );
            from = mbox.after;
            let quoting = self.read_splitting(
                mbox.source,
                window,
                &read,
                &mut out,
                &mut bytes_read,
                &window_read,
            );
            if let Some(source) = self.sources.get_mut(mbox.source as usize) {
                source.set_quoting(quoting.0, quoting.1);
            }
        }
        let rest = located.get(from..).unwrap_or_default();
        self.read_windows(rest, window, &read, &mut out, &mut bytes_read, &window_read);
        out
    }

    /// Reads the messages `at` (in file order, as [`read`] lists them) onto `out`, in
    /// windows of about `window` bytes of messages.
    fn read_windows<T: Send>(
        &self,
        at: &[Location],
        window: u64,
        read: &(impl Fn(&Location, &[u8]) -> T + Sync),
        out: &mut Vec<T>,
        bytes_read: &mut u64,
        window_read: &impl Fn(usize, u64),
    ) {
        use rayon::prelude::*;
        let mut rest = at;
        while !rest.is_empty() {
            let mut bytes = 0u64;
            let count = rest
                .iter()
                .position(|l| {
                    bytes += l.end.saturating_sub(l.start);
                    bytes >= window
                })
                .map_or(rest.len(), |i| i + 1);
            let (window, next) = rest.split_at(count);
            rest = next;
            out.par_extend(window.par_iter().map(|l| read(l, &self.message(l))));
            for (source, span) in self.spans(window) {
                source.bytes.release(span);
            }
            *bytes_read += window.iter().map(|l| l.end - l.start).sum::<u64>();
            window_read(out.len(), *bytes_read);
        }
    }

    /// Splits the mbox `source` and reads its messages onto `out`, a window at a time.
    /// Gives whether it is mboxrd and where it holds quoted `From ` lines ([`Source`]).
    ///
    /// Whether the file is mboxrd is known at once when its first envelope says so; otherwise
    /// only after the last window. Until then messages are read as stored, which is how they
    /// read unless the file turns out to be mboxrd and they hold a quoted `From ` line: those
    /// few are read again at the end, unquoted.
    fn read_splitting<T: Send>(
        &self,
        source: u32,
        window: u64,
        read: &(impl Fn(&Location, &[u8]) -> T + Sync),
        out: &mut Vec<T>,
        bytes_read: &mut u64,
        window_read: &impl Fn(usize, u64),
    ) -> (bool, Vec<usize>) {
        use rayon::prelude::*;
        let Some(file) = self.sources.get(source as usize) else {
            return (false, Vec::new());
        };
        let data = file.bytes.as_slice();
        let mut windows = mbox::Windows::new(data, source);
        let mboxrd = windows.mboxrd_at_once();
        let step = usize::try_from(window).unwrap_or(usize::MAX);
        let first = out.len();
        let mut quoted_from = Vec::new();
        let mut again = Vec::new();
        // The messages before `read_up_to` were read, the pages before `let_go` let go.
        let (mut read_up_to, mut let_go) = (0, 0);
        let mut searched = 0;
        let mut next = windows.next(step);
        while let Some(current) = next {
            quoted_from.extend(&current.quoted_from);
            let may_be_quoted =
                |l: &Location| may_hold(&quoted_from, l.start as usize, l.end as usize);
            let start = out.len();
            // The next window is searched while this one is read, so that neither leaves a
            // core idle while the other's last pieces finish; the window read before this
            // one is let go meanwhile.
            ((), next) = rayon::join(
                || {
                    out.par_extend(current.spans.par_iter().map(|l| {
                        let bytes = &data[l.start as usize..l.end as usize];
                        if mboxrd && may_be_quoted(l) {
                            read(l, &mbox::unquote(bytes))
                        } else {
                            read(l, bytes)
                        }
                    }));
                },
                || {
                    file.bytes.release(let_go..read_up_to);
                    windows.next(step)
                },
            );
            if !mboxrd {
                again.extend(
                    (start..)
                        .zip(current.spans.iter().copied())
                        .filter(|(_, l)| may_be_quoted(l)),
                );
            }
            // The message running on into the next window is read with it.
            let_go = read_up_to;
            read_up_to = current.spans.last().map_or(read_up_to, |l| l.end as usize);
            if start == first && next.is_some() {
                // The messages of the first window tell how many the file holds, near
                // enough: room made once, half again as big, is only address space.
                let per_message = current.end / (out.len() - first).max(1);
                let rest = (data.len() - current.end) / per_message.max(1);
                out.reserve(rest + rest / 2);
            }
            *bytes_read += (current.end - searched) as u64;
            searched = current.end;
            window_read(out.len(), *bytes_read);
        }
        file.bytes.release(let_go..data.len());
        let mboxrd_now = windows.finish();
        if mboxrd_now && !mboxrd {
            for (i, l) in again {
                if let Some(slot) = out.get_mut(i) {
                    *slot = read(&l, &mbox::unquote(&data[l.start as usize..l.end as usize]));
                }
            }
        }
        (mboxrd_now, quoted_from)
    }

    /// Splits the big mboxes [`open`] left unsplit, their messages put in input order.
    fn split(&mut self) {
        if self.unsplit.is_empty() {
            return;
        }
        let located = std::mem::take(&mut self.messages);
        let mut from = 0;
        for mbox in std::mem::take(&mut self.unsplit) {
            self.messages
                .extend_from_slice(located.get(from..mbox.after).unwrap_or_default());
            from = mbox.after;
            let Some(source) = self.sources.get_mut(mbox.source as usize) else {
                continue;
            };
            let split = mbox::split(source.bytes.as_slice(), mbox.source);
            source.set_quoting(split.mboxrd, split.quoted_from);
            self.messages.extend(split.spans);
        }
        self.messages
            .extend_from_slice(located.get(from..).unwrap_or_default());
    }

    /// The byte span each source's messages among `at` cover.
    fn spans(&self, at: &[Location]) -> Vec<(&Source, std::ops::Range<usize>)> {
        let mut spans: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
        for l in at {
            let (start, end) = (l.start as usize, l.end as usize);
            match spans.last_mut() {
                Some((source, span)) if *source == l.source => {
                    span.start = span.start.min(start);
                    span.end = span.end.max(end);
                }
                _ => spans.push((l.source, start..end)),
            }
        }
        spans
            .into_iter()
            .filter_map(|(s, span)| Some((self.sources.get(s as usize)?, span)))
            .collect()
    }

    /// The first mapped file that changed on disk since it was loaded, if any.
    pub fn changed(&self) -> Option<&Path> {
        self.sources.iter().find_map(|s| s.bytes.changed())
    }

    /// A message's bytes as they were sent: mboxrd `>From ` quoting undone when its file is
    /// mboxrd, anything else as stored.
    pub fn message(&self, at: &Location) -> Cow<'_, [u8]> {
        let bytes = self.bytes(at);
        match self.sources.get(at.source as usize) {
            Some(source)
                if source.mboxrd && source.may_be_quoted(at.start as usize, at.end as usize) =>
            {
                mbox::unquote(bytes)
            }
            _ => Cow::Borrowed(bytes),
        }
    }

    /// Total bytes of all sources: what load progress counts against.
    pub fn total_bytes(&self) -> u64 {
        self.sources.iter().map(|s| s.bytes.len() as u64).sum()
    }
}

/// How many bytes [`Loaded::read_all`] reads at a time (of messages, or of a big mbox it splits
/// as it reads): enough for every core to have thousands of messages, little beside an index
/// of a million. An mbox of at least this much is split as it is read ([`open`]); a smaller
/// one is split first and read in windows shared with the inputs around it.
pub const WINDOW_BYTES: u64 = 16 << 20;

/// Reads every input, with the limits of the environment ([`Limits::from_env`]). Problems
/// with one input are collected; the others still load.
pub fn read(inputs: &[Input]) -> Loaded {
    let mut loaded = open(inputs);
    loaded.split();
    loaded
}

/// [`read`], except that big mboxes are left to be split as their messages are read
/// ([`Loaded::read_all`]).
pub fn open(inputs: &[Input]) -> Loaded {
    let mut errors = Vec::new();
    let limits = Limits::from_env(&mut errors);
    let mut loaded = open_limited(inputs, &limits);
    errors.append(&mut loaded.errors);
    loaded.errors = errors;
    loaded
}

/// [`read`] with the given limits.
pub fn read_limited(inputs: &[Input], limits: &Limits) -> Loaded {
    let mut loaded = open_limited(inputs, limits);
    loaded.split();
    loaded
}

/// [`open`] with the given limits.
fn open_limited(inputs: &[Input], limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    for input in inputs {
        match input {
            Input::Path(path) if path.as_os_str() == "-" => read_stdin(&mut loaded, limits),
            Input::Path(path) => read_path(path, ReadMode::MapLarge, &mut loaded, limits),
            Input::ReadPath(path) => read_path(path, ReadMode::IntoMemory, &mut loaded, limits),
            Input::Stdin => read_stdin(&mut loaded, limits),
            Input::Bytes { label, bytes } => {
                let bytes = match bytes {
                    Cow::Borrowed(b) => Bytes::Static(b),
                    Cow::Owned(v) => Bytes::Owned(v.clone()),
                };
                add_bytes(label.clone(), bytes, true, &mut loaded, limits);
            }
        }
    }
    loaded
}

fn read_stdin(loaded: &mut Loaded, limits: &Limits) {
    let mut buf = Vec::new();
    match std::io::stdin().lock().read_to_end(&mut buf) {
        Ok(_) => {
            add_bytes("stdin".into(), Bytes::Owned(buf), true, loaded, limits);
        }
        Err(source) => loaded.errors.push(SourceError::Io {
            path: "stdin".into(),
            source,
        }),
    }
}

fn read_path(path: &Path, read: ReadMode, loaded: &mut Loaded, limits: &Limits) {
    let label = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(source) => {
            loaded.errors.push(SourceError::Io {
                path: label,
                source,
            });
            return;
        }
    };
    let kind = meta.file_type();
    if !(kind.is_dir() || kind.is_file() || kind.is_fifo()) {
        loaded.errors.push(SourceError::NotAFile { path: label });
        return;
    }
    if meta.is_dir() {
        // A big mbox left unsplit holds a message: an envelope line and nothing more is not
        // big.
        let before = (loaded.messages.len(), loaded.unsplit.len());
        let mut skipped = 0usize;
        for file in walk::mail_files(path, &mut loaded.errors) {
            match mapped::Bytes::open(&file, read) {
                Ok(bytes) => {
                    if !add_bytes(file.display().to_string(), bytes, false, loaded, limits) {
                        skipped += 1;
                    }
                }
                Err(error) => loaded
                    .errors
                    .push(SourceError::open(file.display().to_string(), error)),
            }
        }
        if (loaded.messages.len(), loaded.unsplit.len()) == before {
            loaded.errors.push(SourceError::NotMail { path: label });
        } else if skipped > 0 {
            // Folders hold READMEs and scripts beside the mail; say so once, quietly.
            loaded.errors.push(SourceError::Skipped {
                path: label,
                count: skipped,
            });
        }
        return;
    }
    match mapped::Bytes::open(path, read) {
        Ok(bytes) => {
            add_bytes(label, bytes, true, loaded, limits);
        }
        Err(error) => loaded.errors.push(SourceError::open(label, error)),
    }
}

/// Sniffs `bytes` and records its messages. Returns false when it holds no mail; `named`
/// inputs (given by the user, not found in a folder walk) then report an error.
fn add_bytes(
    label: String,
    bytes: Bytes,
    named: bool,
    loaded: &mut Loaded,
    limits: &Limits,
) -> bool {
    let format = sniff::sniff(bytes.as_slice());
    match format {
        Format::Gzip => {
            // Expanded once, into a buffer that grows with what is read, and never past the
            // cap: a megabyte of gzip can hold a terabyte of zeros.
            let limit = limits.gzip_expanded;
            let (out, read) = gunzip(bytes.as_slice(), limit);
            if out.len() as u64 > limit {
                loaded
                    .errors
                    .push(SourceError::TooLarge { path: label, limit });
                return false;
            }
            if let Err(err) = read {
                loaded.errors.push(SourceError::Gzip {
                    path: label.clone(),
                    detail: err.to_string(),
                });
            }
            drop(bytes);
            if sniff::sniff(&out) == Format::Gzip {
                loaded.errors.push(SourceError::NotMail { path: label });
                return false;
            }
            add_bytes(label, Bytes::Owned(out), named, loaded, limits)
        }
        Format::Empty => {
            // An empty mbox is an archive of no messages, not an error.
            loaded.sources.push(Source::unquoted(label, bytes, format));
            true
        }
        Format::Unknown => {
            if named {
                loaded.errors.push(SourceError::NotMail { path: label });
            }
            false
        }
        Format::Digest => {
            let synthesised = digest::to_mail(bytes.as_slice());
            let id = loaded.sources.len() as u32;
            loaded
                .messages
                .extend(synthesised.spans.iter().map(|&(start, end)| Location {
                    source: id,
                    start: start as u64,
                    end: end as u64,
                }));
            loaded.sources.push(Source::unquoted(
                label,
                Bytes::Owned(synthesised.bytes),
                format,
            ));
            true
        }
        Format::BareDiff => {
            let name = Path::new(&label)
                .file_name()
                .map_or_else(|| label.clone(), |n| n.to_string_lossy().into_owned());
            let mut mail = format!("Subject: {name}\n\n").into_bytes();
            mail.extend_from_slice(bytes.as_slice());
            let id = loaded.sources.len() as u32;
            loaded.messages.push(Location {
                source: id,
                start: 0,
                end: mail.len() as u64,
            });
            loaded
                .sources
                .push(Source::unquoted(label, Bytes::Owned(mail), format));
            true
        }
        Format::Mbox if bytes.len() as u64 >= WINDOW_BYTES => {
            loaded.unsplit.push(Unsplit {
                source: loaded.sources.len() as u32,
                after: loaded.messages.len(),
            });
            loaded.sources.push(Source::unquoted(label, bytes, format));
            true
        }
        Format::Mbox | Format::Message => {
            let id = loaded.sources.len() as u32;
            let data = bytes.as_slice();
            let split = if format == Format::Mbox {
                mbox::split(data, id)
            } else {
                mbox::Split {
                    spans: vec![Location {
                        source: id,
                        start: sniff::leading_space(data) as u64,
                        end: data.len() as u64,
                    }],
                    mboxrd: false,
                    quoted_from: Vec::new(),
                }
            };
            // One big mbox (the usual input) keeps the split's vector as it is.
            if loaded.messages.is_empty() {
                loaded.messages = split.spans;
            } else {
                loaded.messages.extend(split.spans);
            }
            let mut source = Source::unquoted(label, bytes, format);
            source.set_quoting(split.mboxrd, split.quoted_from);
            loaded.sources.push(source);
            true
        }
    }
}

/// Expands gzip data (several members, as `cat a.gz b.gz` makes) until its end or until it
/// passes `limit` bytes. A read error returns what came before it.
///
/// The buffer is made once at the size the gzip trailer records, so the archive is held once:
/// growing it as it fills made a copy at each step, and the steps left behind stayed resident
/// (linux-clk-2025.mbox.gz, 185 MB expanded, peaked at 446 MiB). The recorded size is only a
/// hint (it is the last member's, modulo 4 GiB, and mail is hostile): it is held under what
/// deflate can expand the file to and under `limit`, and past it the buffer grows by a
/// quarter at a time.
fn gunzip(data: &[u8], limit: u64) -> (Vec<u8>, std::io::Result<()>) {
    let mut out: Vec<u8> = Vec::new();
    let _ = out.try_reserve_exact(recorded_size(data, limit));
    let read = expand(flate2::read::MultiGzDecoder::new(data), &mut out, limit);
    // A trailer that claimed more than there was leaves its room unused: given back.
    if out.capacity() - out.len() > out.len() / 4 + (1 << 20) {
        out.shrink_to_fit();
    }
    (out, read)
}

/// Appends what `decoder` gives to `out` until its end or until `out` passes `limit` bytes,
/// filling the room `out` has before growing it.
fn expand(mut decoder: impl Read, out: &mut Vec<u8>, limit: u64) -> std::io::Result<()> {
    loop {
        let len = out.len() as u64;
        if len > limit {
            return Ok(());
        }
        if out.len() == out.capacity() {
            // Full: a small read tells the end from more to come before the buffer grows.
            let mut probe = [0u8; 4096];
            let most = usize::try_from(limit.saturating_add(1) - len).map_or(4096, |m| m.min(4096));
            match decoder.read(&mut probe[..most]) {
                Ok(0) => return Ok(()),
                Ok(n) => {
                    out.reserve_exact((out.len() / 4).max(1 << 20));
                    out.extend_from_slice(&probe[..n]);
                    continue;
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            }
        }
        let room = (out.capacity() - out.len()) as u64;
        let want = room.min(limit.saturating_add(1) - len);
        if (&mut decoder).take(want).read_to_end(out)? == 0 {
            return Ok(());
        }
    }
}

/// The expanded size gzip's trailer records for `data` (ISIZE, its last four bytes), held
/// under what deflate can expand `data` to (1,032 bytes a byte) and under `limit` plus one.
fn recorded_size(data: &[u8], limit: u64) -> usize {
    const MOST_EXPANSION: u64 = 1032;
    let recorded = data
        .last_chunk::<4>()
        .map_or(0, |size| u64::from(u32::from_le_bytes(*size)));
    let most = (data.len() as u64)
        .saturating_mul(MOST_EXPANSION)
        .min(limit.saturating_add(1));
    usize::try_from(recorded.min(most)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages the split found no `>From ` in are read as stored; every message reads as
    /// unquoting its bytes reads, found or not.
    #[test]
    fn only_messages_holding_quoted_from_are_unquoted() {
        let envelope = "From mboxrd@z Thu Jan  1 00:00:00 1970\n";
        let bodies = [
            "plain\n",
            ">From the start\n",
            "a\n>From here\n>>From there\nb\n",
            "mid-line >From stays\n",
            "no quote\nFrom the manual\n",
            "last >>From\n>From end",
        ];
        let mut mbox = String::new();
        for (i, body) in bodies.iter().enumerate() {
            mbox.push_str(&format!("{envelope}Subject: {i}\n\n{body}\n"));
        }
        let loaded = read(&[Input::Bytes {
            label: "quoted".into(),
            bytes: Cow::Owned(mbox.into_bytes()),
        }]);
        assert!(loaded.sources[0].mboxrd);
        assert_eq!(loaded.messages.len(), bodies.len());
        let mut unquoted = 0;
        for at in &loaded.messages {
            let read = loaded.message(at);
            assert_eq!(read, mbox::unquote(loaded.bytes(at)));
            unquoted += usize::from(matches!(read, Cow::Owned(_)));
        }
        assert_eq!(unquoted, 3);
        assert!(matches!(
            loaded.message(&loaded.messages[0]),
            Cow::Borrowed(_)
        ));
    }

    /// Big mboxes split as they are read give what splitting them first and reading each
    /// message gives, in input order beside other inputs, for windows of every size: mboxrd
    /// told by the first envelope or only by the whole file, mboxo, quoted and bare `From `
    /// lines, CRLF.
    #[test]
    fn splitting_as_read_reads_as_splitting_first() {
        let pieces = [
            "From a@b Sat Nov 28 09:14:56 2026\n",
            "From mboxrd@z Thu Jan  1 00:00:00 1970\n",
            "From a@b Sat Nov 28 09:14:56 2026\r\n",
            "From the manual\n",
            ">From x\n",
            ">>From y\n",
            "\n",
            "\r\n",
            "S: 1\n",
            "body",
            ">",
        ];
        let mut next = crate::xorshift(0x5b11_7a5f_0000_0002);
        let texts: Vec<String> = crate::random_texts(0x5b11_7a5f_0000_0003, &pieces, 14)
            .filter(|t| t.starts_with("From "))
            .take(3000)
            .collect();
        for three in texts.chunks(3) {
            // Every input but one (chosen at random) left to be split as it is read.
            let kept = (next() % 3) as usize;
            let mut first = Loaded::default();
            let mut as_read = Loaded::default();
            for (i, text) in three.iter().enumerate() {
                let id = i as u32;
                let split = mbox::split(text.as_bytes(), id);
                let unquoted = || {
                    Source::unquoted(
                        format!("mbox {i}"),
                        Bytes::Owned(text.clone().into_bytes()),
                        Format::Mbox,
                    )
                };
                let split_first = || {
                    let mut source = unquoted();
                    source.set_quoting(split.mboxrd, split.quoted_from.clone());
                    source
                };
                first.messages.extend(&split.spans);
                first.sources.push(split_first());
                if i == kept {
                    as_read.sources.push(split_first());
                    as_read.messages.extend(&split.spans);
                } else {
                    as_read.unsplit.push(Unsplit {
                        source: id,
                        after: as_read.messages.len(),
                    });
                    as_read.sources.push(unquoted());
                }
            }
            let expected: Vec<(Location, Vec<u8>)> = (first.messages.iter())
                .map(|l| (*l, first.message(l).into_owned()))
                .collect();
            let window = 1 + next() % 40;
            let read = as_read.read_all_in(window, |l, raw| (*l, raw.to_vec()), |_, _| {});
            assert_eq!(read, expected, "{three:?} window {window}");
            for (a, b) in as_read.sources.iter().zip(&first.sources) {
                assert_eq!((a.mboxrd, &a.quoted_from), (b.mboxrd, &b.quoted_from));
            }
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(data).expect("gzip into memory");
        encoder.finish().expect("gzip into memory")
    }

    /// A gzip file expands into a buffer of the size its trailer records, made once; several
    /// members, a trailer that lies and the cap all expand to the same bytes as before.
    #[test]
    fn gunzip_sizes_its_buffer_from_the_trailer_and_reads_every_member() {
        let text: Vec<u8> = (0..300_000u32)
            .flat_map(|i| format!("line {i} of the mbox\n").into_bytes())
            .collect();
        let one = gzip(&text);
        let (out, read) = gunzip(&one, DEFAULT_GZIP_LIMIT);
        assert!(read.is_ok());
        assert_eq!(out, text);
        assert_eq!(out.capacity(), text.len(), "sized once from the trailer");

        let mut two = one.clone();
        two.extend_from_slice(&gzip(b"and a second member\n"));
        let (out, read) = gunzip(&two, DEFAULT_GZIP_LIMIT);
        assert!(read.is_ok());
        assert_eq!(out, [&text[..], b"and a second member\n"].concat());

        // The trailer's size is mail's word, not a fact: a small or huge claim changes only
        // how the buffer is made (the decoder checks the sizes of the members it reads, so a
        // lying trailer is a read error after everything before it).
        for claim in [0u32, 7, u32::MAX] {
            let mut lying = one.clone();
            let end = lying.len();
            lying[end - 4..].copy_from_slice(&claim.to_le_bytes());
            let (out, _) = gunzip(&lying, DEFAULT_GZIP_LIMIT);
            assert_eq!(out, text, "claimed {claim}");
            assert!(
                out.capacity() <= text.len() + text.len() / 4 + (1 << 20),
                "claimed {claim}"
            );
        }

        for claim in [0u32, 7, u32::MAX] {
            let mut capped = one.clone();
            let end = capped.len();
            capped[end - 4..].copy_from_slice(&claim.to_le_bytes());
            let (out, read) = gunzip(&capped, 1000);
            assert!(read.is_ok(), "claimed {claim}");
            assert_eq!(
                out,
                text[..1001],
                "stops one byte past the cap, claimed {claim}"
            );
        }
    }

    #[test]
    fn the_recorded_size_is_held_under_what_deflate_can_make_and_the_cap() {
        let mut data = vec![0u8; 10];
        data[6..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(recorded_size(&data, DEFAULT_GZIP_LIMIT), 10 * 1032);
        assert_eq!(recorded_size(&data, 99), 100);
        assert_eq!(recorded_size(&[1, 2, 3], DEFAULT_GZIP_LIMIT), 0);
        data[6..].copy_from_slice(&500u32.to_le_bytes());
        assert_eq!(recorded_size(&data, DEFAULT_GZIP_LIMIT), 500);
    }
}
