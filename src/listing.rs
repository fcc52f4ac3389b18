//! `patchdeck list` output: one line per message as a table, TSV, or JSON (the schema of
//! DESIGN.md section 3, which tests and other tools rely on).
//!
//! A row's number is the message's place in date order over the whole archive (its index plus
//! one), whatever the query or sort, so the number a script reads is the one `show N` opens.

pub mod json;

use std::borrow::Cow;
use std::io::{self, Write};

use crate::index::archive::Archive;
use crate::model::message::Message;
use crate::sanitize::sanitize;
use crate::ui::text::pad;

pub use json::write_json;

/// How `list` prints its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Json,
    Tsv,
    /// Fitted to `width` columns when given (a terminal).
    Table {
        width: Option<usize>,
    },
}

/// Rows rendered at once: enough to keep every core busy, few enough that the output is never
/// held in memory whole (a million JSON records are 700 MB; a window of them is about 4 MB).
const WINDOW: usize = 1 << 12;
/// Rows one task renders.
const TASK: usize = 128;
/// Rows whose records [`json::warm`] reads at once before they are rendered.
const WARMED: usize = 16;

/// Writes `rows` (message indices) in order, streaming: each window of rows is rendered in
/// parallel tasks, and written while the next window is rendered (writing 700 MB into a file
/// or a pipe took as long as rendering it, with the cores idle meanwhile).
///
/// Two sets of buffers take turns and are kept from one window to the next: fresh ones of a
/// few hundred KB each grew by copying and came back from the allocator as new pages for the
/// kernel to zero, both of which showed in the output step's profile. One thread renders
/// every window and hands each set over to be written, and is handed it back empty: a
/// thread started for each window (245 at a million rows) cost a stack mapped and unmapped
/// each time.
pub fn write_rows(
    out: &mut impl Write,
    archive: &Archive,
    rows: &[u32],
    style: Style,
) -> io::Result<()> {
    use std::sync::mpsc;
    let tasks = WINDOW.div_ceil(TASK);
    let set = || std::iter::repeat_with(Task::default).take(tasks);
    std::thread::scope(|scope| {
        let (give_back, empty) = mpsc::channel::<Vec<Task<'_>>>();
        let (hand_over, rendered) = mpsc::sync_channel::<io::Result<Vec<Task<'_>>>>(1);
        for _ in 0..2 {
            // The receiver is alive: it is moved into the thread below.
            let _ = give_back.send(set().collect());
        }
        scope.spawn(move || {
            for window in rows.chunks(WINDOW) {
                // Either end gone means the writer stopped (an error): nothing more to do.
                let Ok(mut set) = empty.recv() else {
                    return;
                };
                let result = render(&mut set, archive, window, style).map(|()| set);
                if hand_over.send(result).is_err() {
                    return;
                }
            }
        });
        // Ends when the rendering thread is done and drops its end; leaving on an error
        // drops these ends, which stops it.
        for set in rendered {
            let set = set?;
            set.iter().try_for_each(|t| out.write_all(t.written()))?;
            let _ = give_back.send(set);
        }
        Ok(())
    })
}

/// What one task of a window renders into, kept from one window to the next.
#[derive(Default)]
struct Task<'a> {
    /// The rows rendered, then room for more (JSON rows are written into room made
    /// ahead, [`json::write_json_at`], and the bytes past the end are left for the next
    /// window rather than written over with zeros each time).
    out: Vec<u8>,
    /// How much of `out` the rows fill.
    end: usize,
    scratch: json::Scratch<'a>,
}

impl Task<'_> {
    fn written(&self) -> &[u8] {
        self.out.get(..self.end).unwrap_or(&self.out)
    }
}

/// Renders `window` into `tasks`, a task of rows each, in parallel; tasks past the
/// window's last one are left empty.
fn render<'a>(
    tasks: &mut [Task<'a>],
    archive: &'a Archive,
    window: &[u32],
    style: Style,
) -> io::Result<()> {
    use rayon::prelude::*;
    // Room for a task's rows up front (they are seldom longer), rather than growing by copies.
    let row_bytes = match style {
        Style::Json => 1 << 10,
        Style::Tsv | Style::Table { .. } => 1 << 8,
    };
    for task in tasks.iter_mut() {
        task.end = 0;
        if style == Style::Json {
            // Rows are written over what the last window left (made once, zeroed).
            let room = TASK * row_bytes;
            if task.out.len() < room {
                task.out.resize(room, 0);
            }
        } else {
            task.out.clear();
            task.out.reserve(TASK * row_bytes);
        }
    }
    tasks
        .par_iter_mut()
        .zip(window.par_chunks(TASK))
        .try_for_each(|(t, task)| -> io::Result<()> {
            for (k, &idx) in task.iter().enumerate() {
                match style {
                    Style::Json => {
                        if k % WARMED == 0 {
                            json::warm(archive, task.get(k..k + WARMED).unwrap_or(&task[k..]));
                        }
                        t.end =
                            json::write_json_at(&mut t.out, t.end, &mut t.scratch, archive, idx);
                    }
                    Style::Tsv => write_tsv(&mut t.out, archive, idx),
                    Style::Table { width } => write_table(&mut t.out, archive, idx, width)?,
                }
            }
            if style != Style::Json {
                t.end = t.out.len();
            }
            Ok(())
        })
}

/// The number `list` prints for message `idx`, and `show N` takes.
pub fn number(idx: u32) -> u64 {
    u64::from(idx) + 1
}

/// Writes a tab-separated line: number, date, author, email, kind, tags, title, +, -, id.
/// TSV has no header row: its columns are fixed (and documented in `list --help`).
pub fn write_tsv(out: &mut Vec<u8>, archive: &Archive, idx: u32) {
    let m = &archive.messages[idx as usize];
    json::push_u64(out, number(idx));
    out.push(b'\t');
    if let Some(date) = m.date {
        date.write_rfc3339(out);
    }
    out.push(b'\t');
    push_tsv_field(out, &m.author.name);
    out.push(b'\t');
    push_tsv_field(out, &m.author.email);
    out.push(b'\t');
    out.extend_from_slice(m.kind.as_str().as_bytes());
    out.push(b'\t');
    // ASCII letters, digits, `/` and spaces: nothing to make safe.
    m.write_tag_summary(out);
    out.push(b'\t');
    push_tsv_field(out, m.subject.title());
    out.push(b'\t');
    json::push_u64(out, u64::from(m.summary.insertions));
    out.push(b'\t');
    json::push_u64(out, u64::from(m.summary.deletions));
    out.push(b'\t');
    push_tsv_field(out, &m.id);
    out.push(b'\n');
}

/// Appends a field made safe for the terminal and for TSV: controls visible, no tab.
///
/// A clean field (nearly all of them) is copied as it is, without the `String` that
/// sanitising and replacing would build. [`sanitize`] expands tabs, so a field it changed holds
/// none either; the replace guards the column layout should that ever change.
fn push_tsv_field(out: &mut Vec<u8>, field: &str) {
    match sanitize(field) {
        Cow::Borrowed(clean) => out.extend_from_slice(clean.as_bytes()),
        Cow::Owned(made_safe) => out.extend_from_slice(made_safe.replace('\t', " ").as_bytes()),
    }
}

/// Width of the number column: room for 999,999 messages before the columns shift.
const NUMBER_WIDTH: usize = 6;

/// Writes the table's header row, aligned with [`write_table`]'s columns.
pub fn write_table_header(out: &mut impl Write, width: Option<usize>) -> io::Result<()> {
    let title_width = table_title_width(width, "title".len());
    writeln!(
        out,
        "{:>NUMBER_WIDTH$} {} {} {} {} +/-",
        "#",
        pad("date", 10),
        pad("author", 20),
        pad("tags", 12),
        pad("title", title_width),
    )
}

/// How wide the title column is: what the terminal leaves, or the title's own length.
fn table_title_width(width: Option<usize>, title_chars: usize) -> usize {
    let fixed = NUMBER_WIDTH + 1 + 10 + 1 + 20 + 1 + 12 + 1 + 1 + 12;
    match width {
        Some(width) => width.saturating_sub(fixed).max(20),
        None => title_chars.max(60),
    }
}

/// Writes an aligned table row, fitted to `width` columns when given (a terminal); titles are
/// never cut otherwise.
pub fn write_table(
    out: &mut impl Write,
    archive: &Archive,
    idx: u32,
    width: Option<usize>,
) -> io::Result<()> {
    let m = &archive.messages[idx as usize];
    let date = m.date.map_or_else(|| "----------".to_string(), |d| d.ymd());
    let author = pad(&sanitize(m.author.display()), 20);
    let tags = pad(&tag_column(m), 12);
    let stats = if m.summary.has_diff {
        format!("+{} -{}", m.summary.insertions, m.summary.deletions)
    } else {
        String::new()
    };
    let title = sanitize(m.subject.title());
    let title = pad(&title, table_title_width(width, title.chars().count()));
    writeln!(
        out,
        "{:>NUMBER_WIDTH$} {date} {author} {tags} {title} {stats}",
        number(idx)
    )
}

/// The tags column: `Re:` for replies, `PULL`, `cover`, and version and n/m.
fn tag_column(m: &Message) -> String {
    let tags = m.tag_summary();
    match (m.subject.reply, tags.is_empty()) {
        (true, true) => "Re:".to_string(),
        (true, false) => format!("Re: {tags}"),
        _ => tags,
    }
}
