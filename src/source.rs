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
use std::path::{Path, PathBuf};

use crate::model::message::Location;

pub use mapped::Bytes;
pub use mbox::unquote;
pub use sniff::Format;

/// One thing the user asked patchdeck to read.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file or folder; `-` means stdin.
    Path(PathBuf),
    Stdin,
    /// Bytes already in memory (the bundled sample, tests).
    Bytes {
        label: String,
        bytes: Cow<'static, [u8]>,
    },
}

impl Input {
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
            Input::Path(p) => p.display().to_string(),
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
}

/// Everything read from the inputs: sources, message locations, and per-input problems.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Source>,
    pub messages: Vec<Location>,
    pub errors: Vec<SourceError>,
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

    /// Reads the messages `at` (in file order, as [`read`] lists them) in windows of about
    /// [`WINDOW_BYTES`]: each window's pages are mapped in one pass, read by `read` (in
    /// parallel, results in order), and let go before the next, so that a big mapped archive
    /// is never resident whole on top of what is built from it.
    pub fn read_windows<T: Send>(
        &self,
        at: &[Location],
        read: impl Fn(&Location, &[u8]) -> T + Sync,
    ) -> Vec<T> {
        use rayon::prelude::*;
        let mut out = Vec::with_capacity(at.len());
        let mut rest = at;
        while !rest.is_empty() {
            let mut bytes = 0u64;
            let count = rest
                .iter()
                .position(|l| {
                    bytes += l.end.saturating_sub(l.start);
                    bytes >= WINDOW_BYTES
                })
                .map_or(rest.len(), |i| i + 1);
            let (window, next) = rest.split_at(count);
            let spans = self.spans(window);
            for (source, span) in &spans {
                source.bytes.prefetch(span.clone());
            }
            out.par_extend(window.par_iter().map(|l| read(l, self.bytes(l))));
            for (source, span) in spans {
                source.bytes.release(span);
            }
            rest = next;
        }
        out
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

    /// Total bytes of all sources: what load progress counts against.
    pub fn total_bytes(&self) -> u64 {
        self.sources.iter().map(|s| s.bytes.len() as u64).sum()
    }
}

/// How many bytes of messages [`Loaded::read_windows`] reads at a time: enough for every core
/// to have thousands of messages, little beside an index of a million.
pub const WINDOW_BYTES: u64 = 32 << 20;

/// Reads every input. Problems with one input are collected; the others still load.
pub fn read(inputs: &[Input]) -> Loaded {
    let mut loaded = Loaded::default();
    for input in inputs {
        match input {
            Input::Path(path) if path.as_os_str() == "-" => read_stdin(&mut loaded),
            Input::Path(path) => read_path(path, &mut loaded),
            Input::Stdin => read_stdin(&mut loaded),
            Input::Bytes { label, bytes } => {
                let bytes = match bytes {
                    Cow::Borrowed(b) => Bytes::Static(b),
                    Cow::Owned(v) => Bytes::Owned(v.clone()),
                };
                add_bytes(label.clone(), bytes, true, &mut loaded);
            }
        }
    }
    loaded
}

fn read_stdin(loaded: &mut Loaded) {
    let mut buf = Vec::new();
    match std::io::stdin().lock().read_to_end(&mut buf) {
        Ok(_) => {
            add_bytes("stdin".into(), Bytes::Owned(buf), true, loaded);
        }
        Err(source) => loaded.errors.push(SourceError::Io {
            path: "stdin".into(),
            source,
        }),
    }
}

fn read_path(path: &Path, loaded: &mut Loaded) {
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
    if meta.is_dir() {
        let before = loaded.messages.len();
        let mut skipped = 0usize;
        for file in walk::mail_files(path, &mut loaded.errors) {
            match mapped::Bytes::open(&file) {
                Ok(bytes) => {
                    if !add_bytes(file.display().to_string(), bytes, false, loaded) {
                        skipped += 1;
                    }
                }
                Err(source) => loaded.errors.push(SourceError::Io {
                    path: file.display().to_string(),
                    source,
                }),
            }
        }
        if loaded.messages.len() == before {
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
    match mapped::Bytes::open(path) {
        Ok(bytes) => {
            add_bytes(label, bytes, true, loaded);
        }
        Err(source) => loaded.errors.push(SourceError::Io {
            path: label,
            source,
        }),
    }
}

/// Sniffs `bytes` and records its messages. Returns false when it holds no mail; `named`
/// inputs (given by the user, not found in a folder walk) then report an error.
fn add_bytes(label: String, bytes: Bytes, named: bool, loaded: &mut Loaded) -> bool {
    let format = sniff::sniff(bytes.as_slice());
    match format {
        Format::Gzip => {
            let mut out = Vec::new();
            let mut decoder = flate2::read::MultiGzDecoder::new(bytes.as_slice());
            if let Err(err) = decoder.read_to_end(&mut out) {
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
            add_bytes(label, Bytes::Owned(out), named, loaded)
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
            loaded.sources.push(Source {
                label,
                bytes: Bytes::Owned(synthesised.bytes),
                format,
            });
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
            loaded.sources.push(Source {
                label,
                bytes: Bytes::Owned(mail),
                format,
            });
            true
        }
        Format::Mbox | Format::Message => {
            let id = loaded.sources.len() as u32;
            let data = bytes.as_slice();
            let spans = if format == Format::Mbox {
                mbox::split(data)
            } else {
                vec![(sniff::leading_blank(data), data.len())]
            };
            // The split read every page; loading maps them again a window at a time.
            bytes.release(0..data.len());
            loaded
                .messages
                .extend(spans.into_iter().map(|(start, end)| Location {
                    source: id,
                    start: start as u64,
                    end: end as u64,
                }));
            loaded.sources.push(Source {
                label,
                bytes,
                format,
            });
            true
        }
    }
}
