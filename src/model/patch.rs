//! The parsed body of a mail: commit message, trailers, changelog below `---`, diffstat and diff,
//! or the request-pull text of a pull request.
//!
//! [`parse`] reads a decoded body in one pass over its lines, the way `git mailinfo` splits a
//! mail (in-body headers, scissors, the `---` separator) and `git apply` finds the diff (hunks
//! consumed by their counts). Text is cut out as slices; per-line data is never stored, so a
//! whole archive can be parsed at load.

mod diffstat;
mod hunk;
pub(crate) mod lines;
mod paths;
mod prose;
mod pull;
mod unified;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use memchr::memmem::Finder;

use self::lines::Cursor;
use self::prose::InBody;
use self::unified::{Counted, Files};
use super::diff::{DiffLines, FileDiff, FileStat};
use super::message::Summary;
use super::trailer::{self, Trailer};

// Fixed strings looked for in every body at load, each searcher built once rather than per
// call (building one costs more than searching a short body).
static URL: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"://"));
static SINCE_COMMIT: LazyLock<Finder<'static>> =
    LazyLock::new(|| Finder::new(b"changes since commit"));
static GIT_PULL: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"git pull "));

pub use self::diffstat::DiffStatTotals;

/// Everything patchdeck reads out of a message body (already MIME-decoded to text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatchBody {
    /// In-body `From:` at the top of the body (a forwarded patch's real author), as written.
    pub in_body_from: Option<String>,
    /// In-body `Subject:` at the top of the body, or a `[PATCH] title` line there (whole).
    pub in_body_subject: Option<String>,
    /// In-body `Date:` at the top of the body.
    pub in_body_date: Option<String>,
    /// The body carries a patch in git's sense: a line where `git mailinfo` ends the commit
    /// message (`---`, `diff -`, `Index: `, `--- file`). Only then does `git am` take the
    /// in-body headers over the mail's.
    pub carries_patch: bool,
    /// The commit message (or the whole text of a reply), without in-body headers and trailers.
    pub message: String,
    /// The commit message as `git mailinfo` writes it, before `git am` cleans its white space:
    /// everything between the in-body headers and the patch break, trailers included.
    pub commit_message: String,
    /// Trailers closing the commit message, in order.
    pub trailers: Vec<Trailer>,
    /// Notes and changelog between the `---` line and the diffstat/diff, e.g. `v3: ...`.
    pub changelog: String,
    /// The diffstat rows the mail carried (empty when it had none).
    pub diffstat: Vec<FileStat>,
    /// The diffstat summary line as written (`2 files changed, 2 insertions(+), 2 deletions(-)`).
    pub diffstat_summary: Option<String>,
    /// The exact totals of [`Self::diffstat_summary`].
    pub diffstat_totals: Option<DiffStatTotals>,
    /// The diff, from its first header line (`diff --git`, `Index:`, `--- a/`) to its end.
    pub diff_text: String,
    /// The files of [`Self::diff_text`].
    pub files: Vec<FileDiff>,
    /// For a pull request: `URL branch-or-tag`, as patchwork reports it.
    pub pull_url: Option<String>,
}

impl PatchBody {
    /// Per-file stats: computed from the diff when there is one, else the mail's diffstat.
    pub fn file_stats(&self) -> Vec<FileStat> {
        if self.files.is_empty() {
            return self.diffstat.clone();
        }
        self.files
            .iter()
            .map(|f| FileStat::counted(f.path(), f.added, f.removed, f.binary))
            .collect()
    }

    pub fn has_diff(&self) -> bool {
        !self.files.is_empty()
    }

    /// Lines inserted and deleted: the diff's counts when the mail has a diff, else the
    /// diffstat summary's exact totals, else nothing (the rows' bars do not split their
    /// counts).
    pub fn totals(&self) -> (u32, u32) {
        if let (true, Some(t)) = (self.files.is_empty(), self.diffstat_totals) {
            return (t.insertions, t.deletions);
        }
        self.files.iter().fold((0, 0), |(a, r), f| {
            (a.saturating_add(f.added), r.saturating_add(f.removed))
        })
    }

    /// What the list, the filter and `list --format json` use of this body (what
    /// [`summarize`] reads without the rest).
    pub fn summary(&self) -> Summary {
        let (insertions, deletions) = self.totals();
        Summary {
            files: self.file_stats().into_boxed_slice(),
            insertions,
            deletions,
            trailers: self.trailers.clone().into_boxed_slice(),
            pull_url: self.pull_url.as_deref().map(Box::from),
            has_diff: self.has_diff(),
            version_links: None,
        }
    }

    /// The lines of [`Self::diff_text`] with their kinds (header, hunk, added, removed, ...),
    /// for colouring: exact, since it walks the parsed files and hunks alongside.
    pub fn diff_lines(&self) -> DiffLines<'_> {
        super::diff::diff_lines(&self.diff_text, &self.files)
    }
}

/// How a body is read, where the reader may choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Cut at a scissors line (`-- >8 --`), as `git am --scissors` does: the text above it is
    /// dropped and in-body headers may follow it. Off by default, as in `git am`.
    pub scissors: bool,
}

/// Parses one decoded mail body (LF or CRLF) into its parts, as `git am` reads it by default.
/// Never fails: what cannot be read as a diff, diffstat or trailer stays text.
pub fn parse(text: &str) -> PatchBody {
    parse_with(text, ReadOptions::default())
}

/// [`parse`] with the reader's choices.
pub fn parse_with(text: &str, options: ReadOptions) -> PatchBody {
    let text: Cow<'_, str> = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let scan: Scan<Vec<FileDiff>> = Scan::run_with(&text, options, Trailers::Read);
    scan.into_body(&text)
}

/// What loading reads of a body: the list's [`Summary`], the in-body `From:` and `Subject:`
/// that override the headers (when the body carries a patch), and the changelog where it may
/// link other versions.
#[derive(Debug, Clone, Default)]
pub struct Brief {
    pub summary: Summary,
    pub in_body_from: Option<String>,
    pub in_body_subject: Option<String>,
    /// As [`PatchBody::carries_patch`].
    pub carries_patch: bool,
    /// [`PatchBody::changelog`] when it holds a link (`://`), else empty: all that reading
    /// version links needs of it.
    pub changelog: String,
}

/// Reads only what loading needs of a decoded body (as `git am` reads it by default), in the
/// one pass [`parse`] makes, without building what only reading needs (message text, the
/// diff's text, hunks). Gives what `parse(text).summary()` gives.
pub fn summarize(text: &str) -> Brief {
    summarize_with(text, Trailers::Read, &mut |path| Arc::from(path))
}

/// Whether [`summarize_with`] reads the message's trailers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trailers {
    Read,
    /// Left out: for a reply, whose trailers are read from its whole text by
    /// [`trailer::followup_trailers`] instead.
    Skip,
}

/// [`summarize`], leaving the trailers out when `trailers` says so (the summary's are then
/// empty), with each file's path made by `path`: loading hands out one shared copy of each
/// path of an archive instead of one per message.
pub fn summarize_with(
    text: &str,
    trailers: Trailers,
    path: &mut dyn FnMut(&str) -> Arc<str>,
) -> Brief {
    let text: Cow<'_, str> = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let scan: Scan<Vec<Counted<'_>>> = Scan::run_with(&text, ReadOptions::default(), trailers);
    scan.into_brief(&text, trailers, path)
}

/// Where `git am --scissors` starts reading a decoded body: the byte just after its last
/// scissors line (`-- >8 --`) before the patch break; `None` when it has none.
pub fn scissors_cut(text: &str) -> Option<usize> {
    let mut cut = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_end_matches(['\n', '\r']);
        if prose::is_patchbreak(t) {
            break;
        }
        at += line.len();
        if prose::is_scissors(t) {
            cut = Some(at);
        }
    }
    cut
}

/// Where the scan is in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Top of the body (or just after scissors): blank lines and in-body headers.
    Headers,
    /// The commit message, or a reply's text.
    Message,
    /// Below the `---` separator: notes, changelog, diffstat.
    Notes,
    /// After a diff: prose until another diff or the end.
    After,
    /// Below the `-- ` signature or a list footer: only a diff (an attachment the decoder
    /// appended) is still read.
    Signature,
}

/// The spans one pass over the lines finds, with the diff's files as `F` keeps them;
/// [`Scan::into_body`] turns them into a body, [`Scan::into_brief`] into what loading reads.
#[derive(Debug, Default)]
struct Scan<F> {
    in_body_from: Option<String>,
    in_body_subject: Option<String>,
    in_body_date: Option<String>,
    carries_patch: bool,
    /// The in-body header a continuation line adds to.
    last_in_body: Option<InBody>,
    message: std::ops::Range<usize>,
    notes: std::ops::Range<usize>,
    /// End of the prose that may hold a pull request: the first diff or the mail's end.
    prose_end: usize,
    /// A line of that prose is one [`pull::find`] starts from ([`pull::is_start`]): else the
    /// prose is not searched.
    pull_candidate: bool,
    /// A line of the message (`.0`) or of the notes (`.1`) may be a diffstat's summary line
    /// ([`diffstat::may_be_summary`]): else that region holds no diffstat and is not searched.
    summary_candidates: (bool, bool),
    /// Byte span of the diff text and the line index it starts at.
    diff: Option<(std::ops::Range<usize>, usize)>,
    files: F,
    /// Lines of unquoted prose (message or after a diff) that may give a review trailer on
    /// their own, as byte spans. They are read ([`trailer::review_trailer`]) only once the
    /// closing trailer block is known: a line inside it is read with the block, not twice.
    inline_trailers: Spans,
}

impl<'a, F: Files<'a> + Default> Scan<F> {
    fn run_with(text: &'a str, options: ReadOptions, trailers: Trailers) -> Scan<F> {
        let mut scan = Scan {
            prose_end: text.len(),
            ..Scan::default()
        };
        let mut cursor = Cursor::new(text);
        let mut mode = Mode::Headers;
        // Start of the region being read (message or notes), closed when the mode changes.
        let mut region_start = 0;
        // The last line read was an in-body header, so a continuation line adds to it and a
        // blank line ends the in-body headers (git's `inbody_header_accum`).
        let mut pending = false;
        while let Some(line) = cursor.peek() {
            let t = line.text;
            // Only a line starting with one of these bytes can break for a patch, be quoted,
            // end the mail or start a diff: most lines of prose are told apart by it alone.
            let first = t.as_bytes().first();
            if !scan.pull_candidate
                && scan.prose_end == text.len()
                && may_start_pull(first)
                && pull::is_start(t)
            {
                scan.pull_candidate = true;
            }
            let special = matches!(first, Some(b'd' | b'I' | b'-' | b'_' | b'>'));
            if matches!(first, Some(b'd' | b'I' | b'-'))
                && !scan.carries_patch
                && prose::is_patchbreak(t)
            {
                scan.carries_patch = true;
            }
            if mode == Mode::Headers {
                // As git mailinfo's `check_inbody_header`.
                if t.is_empty() {
                    // Empty lines before in-body headers are skipped, one after them ends
                    // them. (A line of spaces is no empty line to git: it continues a header
                    // or starts the message.)
                    cursor.advance(line);
                    if pending {
                        mode = Mode::Message;
                        region_start = cursor.pos();
                    }
                } else if pending
                    && t.starts_with([' ', '\t'])
                    && !(options.scissors && prose::is_scissors(t))
                {
                    cursor.advance(line);
                    if let Some(value) = scan
                        .last_in_body
                        .and_then(|w| scan.in_body_slot(w).as_mut())
                    {
                        value.push(' ');
                        value.push_str(t.trim());
                    }
                } else if t.strip_prefix(">From").is_some_and(prose::space_follows) {
                    // A `git format-patch` envelope quoted into the body is dropped; any other
                    // `>From ` line starts the message.
                    pending = false;
                    if prose::is_format_patch_separator(&t[1..]) {
                        cursor.advance(line);
                    } else {
                        mode = Mode::Message;
                        region_start = line.start;
                    }
                } else if t.strip_prefix("[PATCH]").is_some_and(prose::space_follows) {
                    // A `[PATCH] title` line gives the subject (each one replaces the last).
                    pending = false;
                    scan.in_body_subject = Some(t.trim_end().to_string());
                    cursor.advance(line);
                } else if let Some((which, value)) = prose::in_body_header(t)
                    && scan.in_body_slot(which).is_none()
                {
                    pending = true;
                    scan.last_in_body = Some(which);
                    cursor.advance(line);
                    *scan.in_body_slot(which) = Some(value.to_string());
                } else {
                    mode = Mode::Message;
                    region_start = line.start;
                }
                continue;
            }
            if special {
                if t.starts_with('>') {
                    cursor.advance(line);
                    continue;
                }
                if mode != Mode::Signature && prose::is_mail_end(t) {
                    scan.close_region(mode, region_start, line.start);
                    scan.prose_end = scan.prose_end.min(line.start);
                    mode = Mode::Signature;
                    cursor.advance(line);
                    continue;
                }
                let next = if t.starts_with("--- ") || t.starts_with("Index: ") {
                    cursor.peek_after(line).map(|l| l.text)
                } else {
                    None
                };
                if unified::starts_diff(t, next) {
                    scan.close_region(mode, region_start, line.start);
                    scan.prose_end = scan.prose_end.min(line.start);
                    let (start, base) = match &scan.diff {
                        Some((span, base)) => (span.start, *base),
                        None => (line.start, line.index),
                    };
                    unified::read(&mut cursor, base, &mut scan.files);
                    if cursor.pos() == line.start {
                        cursor.advance(line);
                    }
                    scan.diff = Some((start..cursor.pos(), base));
                    mode = Mode::After;
                    continue;
                }
                if mode == Mode::Message && prose::is_patchbreak(t) {
                    scan.close_region(mode, region_start, line.start);
                    cursor.advance(line);
                    region_start = cursor.pos();
                    mode = Mode::Notes;
                    continue;
                }
            }
            if first == Some(&b' ') && diffstat::may_be_summary(t) {
                match mode {
                    Mode::Message => scan.summary_candidates.0 = true,
                    Mode::Notes => scan.summary_candidates.1 = true,
                    Mode::Headers | Mode::After | Mode::Signature => {}
                }
            }
            match mode {
                Mode::Message if options.scissors && prose::is_scissors(t) => {
                    // As `git mailinfo --scissors`: drop what came before, headers may follow.
                    scan.in_body_from = None;
                    scan.in_body_subject = None;
                    scan.in_body_date = None;
                    scan.inline_trailers.clear();
                    pending = false;
                    cursor.advance(line);
                    region_start = cursor.pos();
                    mode = Mode::Headers;
                    continue;
                }
                Mode::Message | Mode::After
                    if trailers == Trailers::Read && trailer::may_be_review_trailer(t) =>
                {
                    scan.inline_trailers.push(line.start..line.start + t.len());
                }
                _ => {}
            }
            cursor.advance(line);
        }
        scan.close_region(mode, region_start, text.len());
        scan
    }

    fn in_body_slot(&mut self, which: InBody) -> &mut Option<String> {
        match which {
            InBody::From => &mut self.in_body_from,
            InBody::Subject => &mut self.in_body_subject,
            InBody::Date => &mut self.in_body_date,
        }
    }

    fn close_region(&mut self, mode: Mode, start: usize, end: usize) {
        match mode {
            Mode::Message => self.message = start..end,
            Mode::Notes => self.notes = start..end,
            Mode::Headers | Mode::After | Mode::Signature => {}
        }
    }
}

impl Scan<Vec<Counted<'_>>> {
    fn into_brief(
        self,
        text: &str,
        read: Trailers,
        path: &mut dyn FnMut(&str) -> Arc<str>,
    ) -> Brief {
        let message = text.get(self.message.clone()).unwrap_or_default();
        let notes = text.get(self.notes.clone()).unwrap_or_default();
        let trailers = match read {
            Trailers::Read => {
                let other = trailer::OtherLines::Skip;
                message_trailers(text, self.message.clone(), &self.inline_trailers, other).0
            }
            Trailers::Skip => Vec::new(),
        };
        let has_diff = !self.files.is_empty();
        let (files, insertions, deletions) = if has_diff {
            let (a, r) = self.files.iter().fold((0u32, 0u32), |(a, r), f| {
                (a.saturating_add(f.added), r.saturating_add(f.removed))
            });
            let files: Vec<FileStat> = self
                .files
                .iter()
                .map(|f| FileStat::counted(path(&f.path), f.added, f.removed, f.binary))
                .collect();
            (files, a, r)
        } else {
            let (in_message, in_notes) = self.summary_candidates;
            let notes = if in_notes { notes } else { "" };
            let message = if in_message { message } else { "" };
            match diffstat_of(notes, message) {
                Some(mut block) => {
                    for row in &mut block.rows {
                        row.path = path(&row.path);
                    }
                    (block.rows, block.totals.insertions, block.totals.deletions)
                }
                None => (Vec::new(), 0, 0),
            }
        };
        let changelog = if URL.find(notes.as_bytes()).is_some() {
            let mut body = PatchBody::default();
            fill_notes(&mut body, notes);
            body.changelog
        } else {
            String::new()
        };
        let prose = text.get(..self.prose_end).unwrap_or_default();
        let pull_url = self.pull_candidate.then(|| pull_url(prose)).flatten();
        Brief {
            summary: Summary {
                files: files.into_boxed_slice(),
                insertions,
                deletions,
                trailers: trailers.into_boxed_slice(),
                pull_url: pull_url.map(String::into_boxed_str),
                has_diff,
                version_links: None,
            },
            in_body_from: self.in_body_from,
            in_body_subject: self.in_body_subject,
            carries_patch: self.carries_patch,
            changelog,
        }
    }
}

impl Scan<Vec<FileDiff>> {
    fn into_body(self, text: &str) -> PatchBody {
        let message = text.get(self.message.clone()).unwrap_or_default();
        let notes = text.get(self.notes.clone()).unwrap_or_default();
        let mut body = PatchBody {
            in_body_from: self.in_body_from,
            in_body_subject: self.in_body_subject,
            in_body_date: self.in_body_date,
            carries_patch: self.carries_patch,
            ..PatchBody::default()
        };
        body.commit_message = message.to_string();
        fill_message(&mut body, text, self.message.clone(), &self.inline_trailers);
        fill_notes(&mut body, notes);
        if body.diffstat_summary.is_none() {
            // Cover letters and pull requests carry the series' diffstat in their text.
            if let Some(block) = diffstat::find(message) {
                body.diffstat = block.rows;
                body.diffstat_summary = Some(block.summary);
                body.diffstat_totals = Some(block.totals);
            }
        }
        let prose = text.get(..self.prose_end).unwrap_or_default();
        body.pull_url = self.pull_candidate.then(|| pull_url(prose)).flatten();
        if let Some((span, _)) = self.diff {
            body.diff_text = text.get(span).unwrap_or_default().to_string();
        }
        body.files = self.files;
        body
    }
}

/// Byte spans of lines, the first few kept in place: a body has a line or two that may give a
/// review trailer (its sign-off among them), and a list of its own for them costs more than
/// reading the body's lines.
#[derive(Debug, Default)]
struct Spans {
    few: [std::ops::Range<usize>; 3],
    len: usize,
    more: Vec<std::ops::Range<usize>>,
}

impl Spans {
    fn push(&mut self, span: std::ops::Range<usize>) {
        match self.few.get_mut(self.len) {
            Some(slot) => *slot = span,
            None => self.more.push(span),
        }
        self.len += 1;
    }

    fn clear(&mut self) {
        self.len = 0;
        self.more.clear();
    }

    fn iter(&self) -> impl Iterator<Item = &std::ops::Range<usize>> {
        let few = self.few.get(..self.len).unwrap_or(&self.few);
        few.iter().chain(&self.more)
    }
}

/// Whether a line starting with `first` may be a [`pull::is_start`] line: `The following
/// changes since commit` (any case), or `git pull` after white space (any, Unicode's too).
fn may_start_pull(first: Option<&u8>) -> bool {
    first.is_some_and(|&b| matches!(b, b't' | b'T' | b'g') || !b.is_ascii_graphic())
}

/// The pull request URL in the prose before any diff, when it reads like a request-pull.
fn pull_url(prose: &str) -> Option<String> {
    let bytes = prose.as_bytes();
    if SINCE_COMMIT.find(bytes).is_some() || GIT_PULL.find(bytes).is_some() {
        pull::find(prose)
    } else {
        None
    }
}

/// The diffstat block of a body without a diff: below `---`, or else (cover letters and pull
/// requests) in the message text.
fn diffstat_of(notes: &str, message: &str) -> Option<diffstat::Block> {
    diffstat::find(notes).or_else(|| diffstat::find(message))
}

/// Splits the message region (at byte `offset` of the body) into message text and trailers:
/// the closing trailer block, plus the review trailers the scan found on lines of their own in
/// unquoted text (as a reviewer writes `Reviewed-by:` under the paragraph they answer, or
/// below a diff they propose).
fn fill_message(body: &mut PatchBody, text: &str, region: std::ops::Range<usize>, inline: &Spans) {
    let message = text.get(region.clone()).unwrap_or_default();
    let (trailers, block) = message_trailers(text, region, inline, trailer::OtherLines::Keep);
    body.trailers = trailers;
    let head = match &block {
        Some(b) => message.get(..b.start).unwrap_or_default(),
        None => message,
    };
    let mut text = trim_blank_lines(head).to_string();
    if let Some(block) = block {
        for line in block.other_lines {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
        }
    }
    body.message = text;
}

/// The trailers of the message region (`region` of `text`): those given inline (on the lines
/// `inline` spans) before the closing block, the block's, then those given inline after the
/// message (below a diff); and the block itself, its trailers taken (its other lines kept
/// when `other` says so).
fn message_trailers<'t>(
    text: &'t str,
    region: std::ops::Range<usize>,
    inline: &Spans,
    other: trailer::OtherLines,
) -> (Vec<Trailer>, Option<trailer::TrailerBlock<'t>>) {
    let message = text.get(region.clone()).unwrap_or_default();
    let mut block = trailer::find_block_with(message, other);
    let block_span = match &block {
        Some(b) => region.start + b.start..region.end,
        None => 0..0,
    };
    let mut trailers = Vec::new();
    let mut late = Vec::new();
    for span in inline.iter() {
        let at = span.start;
        if block_span.contains(&at) {
            continue;
        }
        let Some(t) = text.get(span.clone()).and_then(trailer::review_trailer) else {
            continue;
        };
        if at >= region.end {
            late.push(t);
        } else {
            push_unique(&mut trailers, t);
        }
    }
    let given_inline = trailers.len();
    if let Some(block) = block.as_mut()
        && given_inline == 0
    {
        // Nothing given inline to repeat: the block's trailers as they are.
        trailers = std::mem::take(&mut block.trailers);
    } else if let Some(block) = block.as_mut() {
        for t in std::mem::take(&mut block.trailers) {
            // A block may repeat a key (two `Cc:`), but a trailer already given inline in
            // the same reply is one trailer, not two.
            let inline = trailers.get(..given_inline).unwrap_or_default();
            if !inline.iter().any(|o| same_trailer(o, &t)) {
                trailers.push(t);
            }
        }
    }
    for t in late {
        push_unique(&mut trailers, t);
    }
    (trailers, block)
}

/// Splits the notes region below `---` into changelog and diffstat.
fn fill_notes(body: &mut PatchBody, notes: &str) {
    if notes.is_empty() {
        return;
    }
    let changelog = match diffstat::find(notes) {
        Some(block) => {
            // The lines above the block and below it.
            let above = notes.get(..block.span.start).unwrap_or_default();
            let below = notes.get(block.span.end..).unwrap_or_default();
            let kept = lines::lines(above).chain(lines::lines(below));
            let joined = kept.collect::<Vec<_>>().join("\n");
            body.diffstat = block.rows;
            body.diffstat_summary = Some(block.summary);
            body.diffstat_totals = Some(block.totals);
            Cow::Owned(joined)
        }
        None => Cow::Borrowed(notes),
    };
    body.changelog = trim_changelog(&changelog).to_string();
}

/// Trims blank lines and the stray `---` rules people leave around their changelog (a `---`
/// written in the commit message ends up just above git's own separator).
fn trim_changelog(text: &str) -> &str {
    let mut text = trim_blank_lines(text);
    loop {
        let before = text.len();
        if let Some((head, last)) = text.rsplit_once('\n')
            && prose::is_separator(last)
        {
            text = trim_blank_lines(head);
        } else if prose::is_separator(text) {
            text = "";
        }
        if let Some((first, rest)) = text.split_once('\n')
            && prose::is_separator(first)
        {
            text = trim_blank_lines(rest);
        }
        if text.len() == before {
            return text;
        }
    }
}

/// `text` without its leading and trailing blank lines (the first line keeps its indent).
fn trim_blank_lines(text: &str) -> &str {
    let text = text.trim_end();
    let first = text
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(text.len());
    let line_start = text
        .get(..first)
        .and_then(|head| head.rfind('\n'))
        .map_or(0, |n| n + 1);
    text.get(line_start..).unwrap_or_default()
}

/// Adds a trailer unless the same one (key case-insensitive) is already there.
fn push_unique(trailers: &mut Vec<Trailer>, t: Trailer) {
    if !trailers.iter().any(|o| same_trailer(o, &t)) {
        trailers.push(t);
    }
}

fn same_trailer(a: &Trailer, b: &Trailer) -> bool {
    a.key.eq_ignore_ascii_case(&b.key) && a.value == b.value
}
