//! The detail pane's document: one message laid out as classified lines, built once per
//! message on a worker and then only read.
//!
//! Lines keep the mail's raw text (in one buffer, so a 10,000-line patch is one allocation, not
//! ten thousand); the renderer sanitizes the few it draws. The diff keeps one document line per
//! line of the parsed body's `diff_text`, so file and hunk positions and highlighting results,
//! all counted in diff lines, map to the document by adding [`DetailDoc::diff_start`].

use std::ops::Range;
use std::sync::Arc;

use crate::index::archive::Archive;
use crate::index::interdiff::{Row, RowKind};
use crate::model::diff::{DiffLineKind, FileStat};
use crate::model::interdiff::{ChangeKind, Status};
use crate::model::message::{Kind, Message};
use crate::model::patch::PatchBody;
use crate::model::trailer::{Trailer, TrailerKind};

/// What a document line is, which decides how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// `Label: value` in the header summary; the label is `label_len` bytes.
    Header {
        label_len: u16,
    },
    /// `To:`/`Cc:`: a header whose value is an address list the renderer folds to one line.
    Addresses {
        label_len: u16,
    },
    /// The subject, above the message.
    Subject,
    /// Something could not be read cleanly.
    Warning,
    Blank,
    /// Commit message or mail text.
    Text,
    /// Quoted text in a reply, `depth` levels of `>`.
    Quote {
        depth: u8,
    },
    Trailer(TrailerKind),
    /// Notes and changelog below `---`.
    Changelog,
    /// A line of the diff, as the body parser classified it.
    Diff(DiffLineKind),
    /// An interdiff's line naming a patch and what became of it.
    PatchStatus(Status),
}

impl LineKind {
    /// The label length of header-like lines.
    pub fn label_len(self) -> Option<usize> {
        match self {
            LineKind::Header { label_len } | LineKind::Addresses { label_len } => {
                Some(label_len.into())
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLine {
    pub kind: LineKind,
    text: Range<usize>,
}

/// A message laid out for reading.
#[derive(Debug, Default)]
pub struct DetailDoc {
    /// The message this document shows.
    pub msg: u32,
    /// The message itself or its series' interdiff.
    pub view: super::View,
    text: String,
    pub lines: Vec<DocLine>,
    /// Document line of the diff's first line (the document's length when it has no diff).
    pub diff_start: usize,
    /// The parsed body, kept for the diffstat pane and highlighting.
    pub body: Arc<PatchBody>,
    /// One row per file for the diffstat pane: from the diff, else the mail's own diffstat.
    pub stats: Vec<FileStat>,
    /// Document lines where each file's diff starts.
    pub file_starts: Vec<usize>,
    /// Document lines of every hunk header, in order.
    pub hunk_starts: Vec<usize>,
    /// The `In-Reply-To:` line and the message it names, when the archive holds it: Enter
    /// there goes to that message.
    pub parent: Option<(usize, u32)>,
    /// Long runs of quoted text that fold to one row (each run's last few lines stay out, so
    /// the text a reply answers is still read right above the answer).
    pub quote_folds: Vec<Range<usize>>,
}

impl DetailDoc {
    pub fn line_text(&self, line: usize) -> &str {
        self.lines
            .get(line)
            .and_then(|l| self.text.get(l.text.clone()))
            .unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The diff line index of a document line, when it is in the diff.
    pub fn diff_line(&self, line: usize) -> Option<usize> {
        line.checked_sub(self.diff_start)
            .filter(|_| line < self.lines.len())
    }
}

/// What the detail shows besides the body: the parts of the message header worth reading.
pub struct HeaderSummary<'a> {
    pub message: &'a Message,
    /// `Wed, 21 Oct 2020 10:56:49 +0200`, already formatted.
    pub date: Option<String>,
    /// `v3 10/16 · Reviewed-by 2 · Acked-by 1`.
    pub series: Option<String>,
    /// Trailers given on the list beyond the message's own, in order, each with the note
    /// shown beside it (`given on the list`): the given part of the archive's merged list.
    pub given: Vec<(Trailer, String)>,
    /// What the message answers, for the `In-Reply-To:` line.
    pub parent: Option<ParentLink>,
    /// The `To:` and `Cc:` headers, decoded (read with the body, not kept in the list).
    pub to: String,
    pub cc: String,
}

/// The message a reply answers, as the header block names it.
pub struct ParentLink {
    /// Its index, when the archive holds it.
    pub msg: Option<u32>,
    /// Its author and subject (`Konrad Dybcio · Re: [PATCH 2/5] clk: …`), or when it is not
    /// in the archive, its Message-ID.
    pub text: String,
}

/// Quoted runs longer than this fold.
const QUOTE_FOLD_OVER: usize = 6;
/// Lines at the end of a folded run that stay shown.
const QUOTE_KEEP: usize = 3;

/// The document of message `msg` of `archive`: its header summary, series line, the trailers
/// given to it on the list (the archive's one merged list), what it answers, and its parsed
/// body.
pub fn for_message(archive: &Archive, msg: u32) -> DetailDoc {
    let Some(message) = archive.messages.get(msg as usize) else {
        return DetailDoc::default();
    };
    let body = archive.body(msg);
    let given: Vec<_> = archive
        .trailers(msg)
        .iter()
        .filter_map(|t| Some((t.trailer.clone(), archive.given_note(t)?)))
        .collect();
    let parent = match archive.answers(msg) {
        Some(p) => archive.messages.get(p as usize).map(|pm| ParentLink {
            msg: Some(p),
            // Who first: replies in one thread share their subject.
            text: format!("{} · {}", pm.from.display(), pm.subject.raw()),
        }),
        None => message.in_reply_to().map(|id| ParentLink {
            msg: None,
            text: format!("<{id}>"),
        }),
    };
    let header = HeaderSummary {
        message,
        date: message.date.map(|d| d.rfc2822()),
        series: archive.series_line(msg),
        given,
        parent,
        to: body.to,
        cc: body.cc,
    };
    build(
        msg,
        &header,
        &body.text,
        Arc::new(body.patch),
        &body.warnings,
    )
}

/// Builds the document of one message from its header and parsed body. `text` is the whole
/// decoded body, shown as it is when the message carries no patch (a reply, a cover letter).
pub fn build(
    msg: u32,
    header: &HeaderSummary<'_>,
    text: &str,
    body: Arc<PatchBody>,
    warnings: &[String],
) -> DetailDoc {
    let mut doc = Builder::default();
    let m = header.message;
    doc.header("From: ", &address(&m.from.name, &m.from.email));
    if m.author != m.from {
        doc.header("Author: ", &address(&m.author.name, &m.author.email));
    }
    if let Some(date) = &header.date {
        doc.header("Date: ", date);
    }
    doc.addresses("To: ", &header.to);
    doc.addresses("Cc: ", &header.cc);
    if let Some(parent) = &header.parent {
        if let Some(target) = parent.msg {
            doc.parent = Some((doc.lines.len(), target));
        }
        doc.header("In-Reply-To: ", &parent.text);
    }
    doc.header("Message-ID: ", &format!("<{}>", m.id));
    if let Some(list) = &m.list_id {
        doc.header("List-Id: ", list);
    }
    doc.header("Link: ", &crate::model::message::lore_link(&m.id));
    if let Some(series) = &header.series {
        doc.header("Series: ", series);
    }
    for warning in m.warnings.iter().chain(warnings) {
        doc.line(LineKind::Warning, &format!("warning: {warning}"));
    }
    doc.line(LineKind::Blank, "");
    doc.line(LineKind::Subject, m.subject.raw());
    doc.line(LineKind::Blank, "");

    let shows_patch =
        body.has_diff() || matches!(m.kind, Kind::Patch | Kind::Pull) && !body.message.is_empty();
    if shows_patch {
        for (label, value) in [
            ("From: ", &body.in_body_from),
            ("Subject: ", &body.in_body_subject),
            ("Date: ", &body.in_body_date),
        ] {
            if let Some(value) = value {
                doc.header(label, value);
            }
        }
        doc.text_block(body.message.trim_end_matches('\n'));
        if !body.trailers.is_empty() || !header.given.is_empty() {
            doc.line(LineKind::Blank, "");
        }
        for trailer in &body.trailers {
            doc.line(
                LineKind::Trailer(trailer.kind()),
                &format!("{}: {}", trailer.key, trailer.value),
            );
        }
        // Review given in replies, which `b4 am` would add when applying.
        doc.given(&header.given);
        let changelog = body.changelog.trim_matches('\n');
        if !changelog.is_empty() {
            doc.line(LineKind::Changelog, "---");
            for line in changelog.lines() {
                doc.line(LineKind::Changelog, line);
            }
        }
        if let Some(pull) = &body.pull_url {
            doc.line(LineKind::Blank, "");
            doc.header("Pull: ", pull);
        }
        doc.line(LineKind::Blank, "");
    } else {
        doc.text_block(text.trim_end_matches('\n'));
        if !header.given.is_empty() {
            doc.line(LineKind::Blank, "");
            doc.given(&header.given);
        }
    }
    doc.finish_with_diff(msg, body)
}

/// The document of the interdiff view: the series line of message `msg`, then the rows of
/// its interdiff, or why there is none.
pub fn build_interdiff(
    msg: u32,
    series: Option<&str>,
    rows: Result<Vec<Row>, String>,
) -> DetailDoc {
    let mut doc = Builder::default();
    if let Some(series) = series {
        doc.header("Series: ", series);
    }
    match rows {
        Ok(rows) => {
            for row in rows {
                let kind = match row.kind {
                    RowKind::Title => LineKind::Subject,
                    RowKind::Patch(status) => LineKind::PatchStatus(status),
                    RowKind::Change(ChangeKind::Part) => LineKind::Diff(DiffLineKind::FileHeader),
                    RowKind::Change(ChangeKind::Heading) => {
                        LineKind::Diff(DiffLineKind::HunkHeader)
                    }
                    RowKind::Change(ChangeKind::Old) => LineKind::Diff(DiffLineKind::Removed),
                    RowKind::Change(ChangeKind::New) => LineKind::Diff(DiffLineKind::Added),
                    RowKind::Change(ChangeKind::Context) => LineKind::Diff(DiffLineKind::Context),
                    RowKind::Blank => LineKind::Blank,
                };
                doc.line(kind, &row.text);
            }
        }
        Err(why) => {
            doc.line(LineKind::Blank, "");
            doc.line(LineKind::Warning, &format!("No interdiff: {why}"));
        }
    }
    let mut built = doc.finish_with_diff(msg, Arc::new(PatchBody::default()));
    built.view = super::View::Interdiff;
    // Patches are what `]`/`[` step through here, and changes what `}`/`{` do.
    built.file_starts = built
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l.kind, LineKind::PatchStatus(_)))
        .map(|(i, _)| i)
        .collect();
    built.hunk_starts = built
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind == LineKind::Diff(DiffLineKind::HunkHeader))
        .map(|(i, _)| i)
        .collect();
    built
}

fn address(name: &str, email: &str) -> String {
    match (name.is_empty(), email.is_empty()) {
        (true, _) => email.to_string(),
        (false, true) => name.to_string(),
        (false, false) => format!("{name} <{email}>"),
    }
}

#[derive(Default)]
struct Builder {
    text: String,
    lines: Vec<DocLine>,
    parent: Option<(usize, u32)>,
}

impl Builder {
    fn line(&mut self, kind: LineKind, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.lines.push(DocLine {
            kind,
            text: start..self.text.len(),
        });
    }

    fn header(&mut self, label: &str, value: &str) {
        let label_len = u16::try_from(label.len()).unwrap_or(0);
        // A folded header value is one line on screen.
        let value = value.replace(['\r', '\n'], " ");
        self.line(LineKind::Header { label_len }, &format!("{label}{value}"));
    }

    fn given(&mut self, given: &[(Trailer, String)]) {
        for (trailer, note) in given {
            self.line(
                LineKind::Trailer(trailer.kind()),
                &format!("{}: {}  ({note})", trailer.key, trailer.value),
            );
        }
    }

    fn addresses(&mut self, label: &str, value: &str) {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return;
        }
        let label_len = u16::try_from(label.len()).unwrap_or(0);
        self.line(
            LineKind::Addresses { label_len },
            &format!("{label}{value}"),
        );
    }

    /// Mail text: quoted lines by depth, trailer-looking lines coloured as trailers.
    fn text_block(&mut self, text: &str) {
        for line in text.lines() {
            let kind = if line.trim().is_empty() {
                LineKind::Blank
            } else if let Some(depth) = quote_depth(line) {
                LineKind::Quote { depth }
            } else if let Some(kind) = trailer_kind(line) {
                LineKind::Trailer(kind)
            } else {
                LineKind::Text
            };
            self.line(kind, line);
        }
    }

    fn finish_with_diff(mut self, msg: u32, body: Arc<PatchBody>) -> DetailDoc {
        let diff_start = self.lines.len();
        for (kind, line) in body.diff_lines() {
            self.line(LineKind::Diff(kind), line);
        }
        let file_starts = body
            .files
            .iter()
            .map(|f| diff_start.saturating_add(f.start_line))
            .collect();
        let mut hunk_starts: Vec<usize> = body
            .files
            .iter()
            .flat_map(|f| {
                f.hunks
                    .iter()
                    .map(|h| diff_start.saturating_add(h.start_line))
            })
            .collect();
        hunk_starts.sort_unstable();
        let stats = body.file_stats();
        let quote_folds = quote_folds(&self.lines);
        DetailDoc {
            msg,
            view: super::View::Message,
            text: self.text,
            lines: self.lines,
            diff_start,
            stats,
            body,
            file_starts,
            hunk_starts,
            parent: self.parent,
            quote_folds,
        }
    }
}

/// The runs of quoted lines longer than [`QUOTE_FOLD_OVER`], without their last
/// [`QUOTE_KEEP`] lines.
fn quote_folds(lines: &[DocLine]) -> Vec<Range<usize>> {
    let mut folds = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let is_quote = |l: &DocLine| matches!(l.kind, LineKind::Quote { .. });
        if !lines.get(at).is_some_and(is_quote) {
            at += 1;
            continue;
        }
        let start = at;
        while lines.get(at).is_some_and(is_quote) {
            at += 1;
        }
        if at - start > QUOTE_FOLD_OVER {
            folds.push(start..at - QUOTE_KEEP);
        }
    }
    folds
}

/// How many `>` start a quoted line (`> > text`, `>> text`), if any.
fn quote_depth(line: &str) -> Option<u8> {
    let mut depth = 0u8;
    for c in line.chars() {
        match c {
            '>' => depth = depth.saturating_add(1),
            ' ' | '\t' if depth > 0 => {}
            _ => break,
        }
    }
    (depth > 0).then_some(depth)
}

/// The trailer kind of a `Reviewed-by: Name <mail>` line given in a reply.
fn trailer_kind(line: &str) -> Option<TrailerKind> {
    let (key, value) = line.split_once(": ")?;
    let is_key = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && key.contains('-');
    (is_key && !value.trim().is_empty()).then(|| TrailerKind::of(key))
}

#[cfg(test)]
mod tests;
