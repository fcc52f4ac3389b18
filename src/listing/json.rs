//! The `list --format json` record (DESIGN.md section 3), written by hand into a byte buffer.
//!
//! It used to go through serde_json with a formatter that escaped terminal-hostile characters;
//! on a million messages that took seconds (string serialisation, a `Vec` of files and trailers
//! and a formatted date per row). This writer produces the same bytes, which scripts and tests
//! may compare: serde_json's compact layout and escapes (`\"`, `\\`, `\n`, `\r`, `\t`, `\b`,
//! `\f`, other C0 controls as `\u00XX` in lower-case hex), and besides them every character
//! [`needs_replacing`] flags as `\uXXXX` UTF-16 escapes, so a terminal the JSON is printed on
//! sees only ASCII where they were. Keys come in the old struct's order; a trailer's
//! `given_by` and `not_applied` are left out when absent or false, as `skip_serializing_if`
//! left them out.

use std::sync::Arc;

use crate::index::archive::{Archive, MergedTrailer};
use crate::model::date::{DIGIT_PAIRS, MailDate, push_padded};
use crate::model::message::{Address, Kind};
use crate::sanitize::{escape_bits, is_plain, needs_replacing};

/// Starts the next member of an object: `,"name":`, one literal copied at once (a million rows times two dozen keys).
macro_rules! key {
    ($out:expr, $name:literal) => {
        $out.push(concat!(",\"", $name, "\":").as_bytes())
    };
}

/// Ends a string member and starts the next one, itself a string: `","name":"`, the quotes
/// around the key and the two strings' own quotes in one copy.
macro_rules! string_key {
    ($out:expr, $name:literal) => {
        $out.push(concat!("\",\"", $name, "\":\"").as_bytes())
    };
}

/// Writes an optional number and the literal after it: `12` and then `$after`, or
/// `null$after` in one copy.
macro_rules! opt_u32_then {
    ($out:expr, $n:expr, $after:literal) => {
        match $n {
            Some(n) => {
                $out.number(u64::from(n));
                $out.push($after.as_bytes());
            }
            None => $out.push(concat!("null", $after).as_bytes()),
        }
    };
}

/// Appends the JSON object for message `idx`, and a newline.
pub fn write_json(out: &mut Vec<u8>, archive: &Archive, idx: u32) {
    write_json_with(out, &mut Scratch::default(), archive, idx);
}

/// [`write_json`], in the room `scratch` keeps (the same bytes).
pub fn write_json_with<'a>(
    out: &mut Vec<u8>,
    scratch: &mut Scratch<'a>,
    archive: &'a Archive,
    idx: u32,
) {
    let end = write_json_at(out, out.len(), scratch, archive, idx);
    out.truncate(end);
}

/// Writes the JSON object for message `idx`, and a newline, into `buf` from `at`, and
/// returns where it ends. `buf` is grown (with zeros) when it has not room enough past `at`;
/// its bytes past the end returned are left as they are, room for the next rows.
///
/// The row goes into a `Room`, the rest of `buf`, rather than onto the `Vec`: a copy into
/// the rest of a slice, whose start and length stay in registers, is one bound check and
/// the move, where one onto a `Vec` loaded its length and capacity and stored its length
/// again. A row that does not fit is written again into twice the room; what it changed of
/// `scratch` on the way is only filled, never wrong.
pub fn write_json_at<'a>(
    buf: &mut Vec<u8>,
    at: usize,
    scratch: &mut Scratch<'a>,
    archive: &'a Archive,
    idx: u32,
) -> usize {
    let mut room = ROW_ROOM;
    loop {
        let want = at.saturating_add(room);
        if buf.len() < want {
            buf.resize(want, 0);
        }
        if let Some(rest) = buf.get_mut(at..) {
            let len = rest.len();
            let mut out = Room { rest, full: false };
            write_record(&mut out, scratch, archive, idx);
            if !out.full {
                return at + (len - out.rest.len());
            }
        }
        room = room.saturating_mul(2);
    }
}

/// Room made for a row before it is written: most rows are under 1 KB.
const ROW_ROOM: usize = 4 << 10;

/// Where a row is written: the part of a buffer not yet written. A copy that does not fit
/// sets `full` and writes nothing, and the row is written again into more room
/// ([`write_json_at`]).
struct Room<'b> {
    rest: &'b mut [u8],
    full: bool,
}

impl<'b> Room<'b> {
    #[inline(always)]
    fn push(&mut self, bytes: &[u8]) {
        if bytes.len() <= self.rest.len() {
            let (to, after) = std::mem::take(&mut self.rest).split_at_mut(bytes.len());
            to.copy_from_slice(bytes);
            self.rest = after;
        } else {
            self.full = true;
        }
    }

    #[inline(always)]
    fn byte(&mut self, b: u8) {
        match std::mem::take(&mut self.rest).split_first_mut() {
            Some((to, after)) => {
                *to = b;
                self.rest = after;
            }
            // The room is full: `rest` was empty.
            None => self.full = true,
        }
    }

    /// Copies all of `text` and keeps the first `len` bytes: text of a few lengths copied
    /// as one fixed-size move.
    #[inline(always)]
    fn push_first<const N: usize>(&mut self, text: &[u8; N], len: usize) {
        let rest = std::mem::take(&mut self.rest);
        match rest.split_first_chunk_mut::<N>() {
            Some((to, _)) => {
                *to = *text;
                self.rest = rest.get_mut(len.min(N)..).unwrap_or_default();
            }
            None => {
                self.rest = rest;
                self.full = true;
            }
        }
    }

    /// Steps past `n` bytes written through [`Self::ahead`].
    #[inline(always)]
    fn skip(&mut self, n: usize) {
        if n <= self.rest.len() {
            self.rest = std::mem::take(&mut self.rest).split_at_mut(n).1;
        } else {
            self.full = true;
        }
    }

    /// A room over the same rest, to write what this one then [`Self::skip`]s, or copies
    /// from ([`Self::repeat`]).
    #[inline(always)]
    fn ahead(&mut self) -> Room<'_> {
        Room {
            rest: &mut *self.rest,
            full: self.full,
        }
    }

    /// Copies `copy` of the `written` bytes written ahead ([`Self::ahead`]) after them, and
    /// steps past both.
    #[inline(always)]
    fn repeat(&mut self, copy: std::ops::Range<usize>, written: usize) {
        let len = copy.end.wrapping_sub(copy.start);
        if copy.start <= copy.end
            && copy.end <= written
            && written <= self.rest.len()
            && len <= self.rest.len() - written
        {
            self.rest.copy_within(copy, written);
            self.skip(written + len);
        } else {
            self.full = true;
        }
    }

    /// Appends `n` in decimal. Most numbers of a row (version, n/m, counts, depth) are
    /// under 100, and written without the general loop.
    #[inline(always)]
    fn number(&mut self, n: u64) {
        match n {
            0..10 => self.byte(b'0' + n as u8),
            10..100 => self.push(&DIGIT_PAIRS[n as usize]),
            _ => {
                let mut digits = [0u8; 20];
                let start = write_digits(&mut digits, n);
                self.push(digits.get(start..).unwrap_or_default());
            }
        }
    }

    /// [`push_escaped`] into the room.
    #[inline(always)]
    fn escaped(&mut self, s: &str) -> bool {
        match push_escaped(&mut *self.rest, s) {
            Some((written, unchanged)) => {
                self.skip(written);
                unchanged
            }
            None => {
                self.full = true;
                false
            }
        }
    }
}

/// Writes `n` in decimal at the end of `digits`, and returns where it starts.
fn write_digits(digits: &mut [u8; 20], mut n: u64) -> usize {
    let mut start = digits.len();
    loop {
        let pair = DIGIT_PAIRS[(n % 100) as usize];
        start -= 2;
        digits[start..start + 2].copy_from_slice(&pair);
        n /= 100;
        if n == 0 {
            break;
        }
    }
    // A single digit was written as a pair: `05`.
    if digits[start] == b'0' && start + 1 < digits.len() {
        start += 1;
    }
    start
}

/// What one writer keeps from row to row: room for a row's trailers, so that merging them
/// allocates nothing once the room has grown, the strings found to need no escape, and the
/// dates of the last days met.
#[derive(Default)]
pub struct Scratch<'a> {
    trailers: Vec<MergedTrailer<'a>>,
    known: Known<'a>,
    days: Days,
}

/// The RFC 3339 texts of the last days rows were dated on, each kept in a slot chosen by its
/// day and offset, so that a row of a day met before copies the text and writes only its
/// time of day into it.
///
/// [`MailDate::write_rfc3339`] finds the calendar date by dividing the days since 1970 into
/// eras, years and months, a few dozen instructions of each row; and the rows of a thread are
/// mostly of a few days (on a synthetic archive 98% of rows found their day here, on a real
/// list with many zones 55%).
#[derive(Default)]
struct Days {
    slots: [Option<Day>; DAYS],
    /// Where a date of a day not kept is written first.
    text: Vec<u8>,
}

/// Slots of [`Days`].
const DAYS: usize = 16;

#[derive(Clone, Copy)]
struct Day {
    /// Days since 1970 in the sender's zone.
    day: i64,
    offset_minutes: i16,
    /// The text of a time of that day: `YYYY-MM-DDThh:mm:ss+HH:MM`.
    text: [u8; RFC3339],
}

/// The length of [`MailDate::write_rfc3339`]'s text for every year from 0 to 9999 (and of
/// a few before 0): the only texts [`Days`] keeps, in all of which the time of day is the
/// three pairs of digits at 11, 14 and 17.
const RFC3339: usize = "YYYY-MM-DDThh:mm:ss+HH:MM".len();

impl Days {
    /// Appends [`MailDate::write_rfc3339`] of `date`.
    #[inline(always)]
    fn push(&mut self, out: &mut Room<'_>, date: MailDate) {
        let offset = date.offset_minutes;
        let Some(local) = date.unix.checked_add(i64::from(offset) * 60) else {
            self.text.clear();
            date.write_rfc3339(&mut self.text);
            out.push(&self.text);
            return;
        };
        let day = local.div_euclid(86_400);
        let slot = &mut self.slots[(day ^ i64::from(offset)) as usize % DAYS];
        match slot {
            Some(known) if known.day == day && known.offset_minutes == offset => {
                // As `MailDate::local` splits the day's seconds.
                let secs = local.rem_euclid(86_400) as usize;
                let mut text = known.text;
                let pair = |n: usize| DIGIT_PAIRS.get(n).copied().unwrap_or(*b"00");
                text[11..13].copy_from_slice(&pair(secs / 3600));
                text[14..16].copy_from_slice(&pair(secs / 60 % 60));
                text[17..19].copy_from_slice(&pair(secs % 60));
                out.push(&text);
            }
            _ => {
                self.text.clear();
                date.write_rfc3339(&mut self.text);
                out.push(&self.text);
                if let Ok(&text) = <&[u8; RFC3339]>::try_from(self.text.as_slice()) {
                    *slot = Some(Day {
                        day,
                        offset_minutes: offset,
                        text,
                    });
                }
            }
        }
    }
}

/// Strings of the archive found to need no escape, each kept in a slot chosen by its
/// address.
///
/// Most of what a row prints is shared with other rows, or printed by them again: tags,
/// List-Ids, paths and senders are one copy each in the archive, trailer keys mostly one of
/// a fixed list, and a Message-ID printed as a row's own comes back as its replies' `parent`
/// and its patches' `series` a few rows later (the list goes in thread order). A string met
/// again at the same address, of the same length, is the same string, unchanged (the
/// archive is borrowed, not changed, while rows are written, and a reference kept here keeps
/// whatever it points to from being freed and its address reused), so it is copied without
/// another look at its bytes. Half the strings of a row are found here.
struct Known<'a>(Box<[Option<&'a str>; KNOWN]>);

/// Slots of [`Known`]: 4 KB, enough for the strings a few rows print.
const KNOWN: usize = 256;

impl Default for Known<'_> {
    fn default() -> Self {
        Known(Box::new([None; KNOWN]))
    }
}

impl<'a> Known<'a> {
    /// [`push_inside`], copying `s` at once when its slot holds it.
    #[inline(always)]
    fn push(&mut self, out: &mut Room<'_>, s: &'a str) {
        let slot = &mut self.0[Self::slot(s)];
        if slot.is_some_and(|known| std::ptr::eq(known, s)) || is_plain(s.as_bytes()) {
            *slot = Some(s);
            out.push(s.as_bytes());
        } else if out.escaped(s) {
            self.0[Self::slot(s)] = Some(s);
        }
    }

    #[inline(always)]
    fn slot(s: &str) -> usize {
        let at = s.as_ptr() as usize;
        (at >> 4 ^ at >> 12) % KNOWN
    }
}

/// Writes the record of message `idx` into `out`.
///
/// Each literal run of the record is one copy: a key is written together with the quote that
/// ends the string before it and the one that opens its own string value, and an absent value
/// (`null`) together with the key after it, so that a row makes a few dozen copies rather
/// than over a hundred (each a capacity check and a length update besides its bytes).
#[inline(always)]
fn write_record<'a>(out: &mut Room<'_>, scratch: &mut Scratch<'a>, archive: &'a Archive, idx: u32) {
    let m = &archive.messages[idx as usize];
    let threads = archive.threads();
    let id_of = |i: u32| archive.messages.get(i as usize).map(|m| &*m.id);
    let known = &mut scratch.known;

    out.push(br#"{"message_id":""#);
    push_shared(out, known, &m.id);
    string_key!(out, "subject");
    let raw = m.subject.raw();
    let raw_plain = is_plain(raw.as_bytes());
    push_checked(out, raw, raw_plain);
    string_key!(out, "title");
    let title = m.subject.title();
    // The title is most often the end of the subject as sent, in the same string: plain
    // when that is.
    let inside_raw = {
        let (raw, title) = (
            raw.as_bytes().as_ptr_range(),
            title.as_bytes().as_ptr_range(),
        );
        raw.start <= title.start && title.end <= raw.end
    };
    push_checked(
        out,
        title,
        (raw_plain && inside_raw) || is_plain(title.as_bytes()),
    );
    match m.subject.tags.split_first() {
        Some((first, rest)) => {
            out.push(br#"","tags":[""#);
            push_shared(out, known, first);
            for tag in rest {
                out.push(br#"",""#);
                push_shared(out, known, tag);
            }
            out.push(br#""],"version":"#);
        }
        None => out.push(br#"","tags":[],"version":"#),
    }
    opt_u32_then!(out, m.subject.version, r#","number":"#);
    opt_u32_then!(out, m.subject.number, r#","total":"#);
    opt_u32_then!(out, m.subject.total, r#","kind":""#);
    // The kind, the sender and the next key, written ahead so that the sender's object can
    // be copied as the author's.
    let (sender, written) = {
        let mut ahead = out.ahead();
        let room = ahead.rest.len();
        let (text, len) = kind_to_from(m.kind);
        ahead.push_first(text, len);
        // `{"name":"` ends the literal just written.
        let from = (room - ahead.rest.len()).saturating_sub(r#"{"name":""#.len());
        push_address_inside(&mut ahead, known, &m.from);
        ahead.push(br#""},"author":"#);
        let written = room - ahead.rest.len();
        let end = written.saturating_sub(r#","author":"#.len());
        out.full |= ahead.full;
        (from..end, written)
    };
    if Arc::ptr_eq(&m.from, &m.author) {
        // The author is the sender (the archive shares one copy): its JSON is written already.
        out.repeat(sender, written);
    } else {
        out.skip(written);
        out.push(br#"{"name":""#);
        push_address_inside(out, known, &m.author);
        out.push(br#""}"#);
    }
    match m.date {
        Some(date) => {
            // RFC 3339 is digits and `-+:T`: nothing to escape.
            out.push(br#","date":""#);
            scratch.days.push(out, date);
            out.push(br#"","in_reply_to":"#);
        }
        None => out.push(br#","date":null,"in_reply_to":"#),
    }
    match m.in_reply_to() {
        Some(id) => {
            push_quoted(out, id);
            out.push(br#","list_id":"#);
        }
        None => out.push(br#"null,"list_id":"#),
    }
    match m.list_id.as_deref() {
        Some(list_id) => {
            out.byte(b'"');
            push_shared(out, known, list_id);
            out.push(br#"","files":["#);
        }
        None => out.push(br#"null,"files":["#),
    }

    for (i, f) in m.summary.files.iter().enumerate() {
        out.push(if i > 0 {
            br#",{"path":""#.as_slice()
        } else {
            br#"{"path":""#.as_slice()
        });
        push_shared(out, known, &f.path);
        // `null` when only a diffstat row gave the file (its bar does not split the count).
        out.push(br#"","added":"#);
        opt_u32_then!(out, f.added(), r#","removed":"#);
        opt_u32_then!(out, f.removed(), r#","binary":"#);
        out.push(if f.binary { b"true}" } else { b"false}" });
    }
    out.push(br#"],"insertions":"#);
    out.number(u64::from(m.summary.insertions));
    key!(out, "deletions");
    out.number(u64::from(m.summary.deletions));

    // The message's merged trailers: its own, then those given on the list.
    out.push(br#","trailers":["#);
    let trailers = &mut scratch.trailers;
    archive.trailers_into(idx, trailers);
    for (i, t) in trailers.iter().enumerate() {
        out.push(if i > 0 {
            br#",{"key":""#.as_slice()
        } else {
            br#"{"key":""#.as_slice()
        });
        push_shared(out, known, &t.trailer.key);
        string_key!(out, "value");
        push_inside(out, &t.trailer.value);
        // The Message-ID of the reply that gave it; absent for the message's own.
        if let Some(by) = t.given_by.and_then(id_of) {
            string_key!(out, "given_by");
            push_shared(out, known, by);
        }
        // Given for someone other than the reply's sender: shown, not applied.
        out.push(if t.applies() {
            br#""}"#.as_slice()
        } else {
            br#"","not_applied":true}"#.as_slice()
        });
    }
    let series = archive
        .series_of(idx)
        .and_then(|s| archive.series(s))
        .and_then(|s| id_of(s.root));
    match series {
        Some(root) => {
            out.push(br#"],"series":""#);
            push_shared(out, known, root);
            out.push(br#"","depth":"#);
        }
        None => out.push(br#"],"series":null,"depth":"#),
    }
    // Depth in its thread (0 for the message that starts it), and the Message-ID of the
    // message it hangs under, when the archive holds it.
    out.number(u64::from(threads.depth(idx)));
    match threads.parent(idx).and_then(id_of) {
        Some(parent) => {
            out.push(br#","parent":""#);
            push_shared(out, known, parent);
            out.push(br#"","pull_url":"#);
        }
        None => out.push(br#","parent":null,"pull_url":"#),
    }
    match m.summary.pull_url.as_deref() {
        Some(url) => {
            push_quoted(out, url);
            out.push(br#","warnings":["#);
        }
        None => out.push(br#"null,"warnings":["#),
    }
    for (i, warning) in m.warnings.iter().enumerate() {
        if i > 0 {
            out.byte(b',');
        }
        push_quoted(out, warning);
    }
    out.push(b"]}\n");
}

/// `…","from":{"name":"`: the kind (one lower-case word, nothing to escape) and the
/// literal after it, padded to one length so that it is one fixed-size copy, and its length.
/// `kind_literals_are_as_str` holds them to [`Kind::as_str`].
#[inline(always)]
fn kind_to_from(kind: Kind) -> (&'static [u8; KIND_TO_FROM], usize) {
    const fn padded(text: &str) -> ([u8; KIND_TO_FROM], usize) {
        let mut padded = [b' '; KIND_TO_FROM];
        let mut i = 0;
        while i < text.len() {
            padded[i] = text.as_bytes()[i];
            i += 1;
        }
        (padded, text.len())
    }
    const PATCH: ([u8; KIND_TO_FROM], usize) = padded(r#"patch","from":{"name":""#);
    const COVER: ([u8; KIND_TO_FROM], usize) = padded(r#"cover","from":{"name":""#);
    const REPLY: ([u8; KIND_TO_FROM], usize) = padded(r#"reply","from":{"name":""#);
    const PULL: ([u8; KIND_TO_FROM], usize) = padded(r#"pull","from":{"name":""#);
    const OTHER: ([u8; KIND_TO_FROM], usize) = padded(r#"other","from":{"name":""#);
    let (text, len) = match kind {
        Kind::Patch => &PATCH,
        Kind::Cover => &COVER,
        Kind::Reply => &REPLY,
        Kind::Pull => &PULL,
        Kind::Other => &OTHER,
    };
    (text, *len)
}

/// The length [`kind_to_from`]'s texts are padded to.
const KIND_TO_FROM: usize = 24;

/// Reads what [`write_json`] reads first of each of `rows`: their records, their entries in
/// the archive's per-message tables, the first bytes of the strings they point to, and the
/// records and Message-IDs of their parents and series, all at once, before the rows are
/// rendered.
///
/// The list goes in thread order, which jumps around the archive, so each row's record and
/// strings are cache misses; `write_json` meets them one after another, between hundreds of
/// instructions of writing, and waits for each. Read here with nothing in between, the
/// misses of a few rows are waited for together, one step of each chain of pointers a pass.
/// (A loop of `write_json` alone spent half its time on the first load of a record or a
/// string; with the records read here, the series and parent lookups were its next stalls.)
pub fn warm(archive: &Archive, rows: &[u32]) {
    let first = |s: &str| s.as_bytes().first().map_or(0, |&b| usize::from(b));
    let threads = archive.threads();
    let record = |i: u32| archive.messages.get(i as usize);
    let mut sum = 0usize;
    let records = rows.iter().filter_map(|&i| Some((i, record(i)?)));
    for (i, m) in records.clone() {
        let lengths = [
            m.id.len(),
            m.subject.raw().len(),
            m.subject.tags.len(),
            usize::from(m.references.is_empty()),
            m.kind as usize,
            m.summary.files.len(),
            m.summary.trailers.len(),
            m.warnings.len(),
            m.list_id.as_ref().map_or(0, |l| l.len()),
            m.summary.pull_url.as_ref().map_or(0, |u| u.len()),
            threads.depth(i) as usize,
            threads.parent(i).map_or(0, |p| p as usize),
            archive.series_of(i).map_or(0, |s| s as usize),
            archive.given_trailers(i).len(),
        ];
        sum = lengths.iter().fold(sum, |a, &b| a.wrapping_add(b));
    }
    let root = |i: u32| {
        let series = archive.series(archive.series_of(i)?)?;
        Some(series.root)
    };
    for (i, m) in records.clone() {
        let firsts = [
            first(&m.id),
            first(m.subject.raw()),
            first(&m.from.name),
            first(&m.from.email),
            first(&m.author.name),
            first(&m.author.email),
            m.in_reply_to().map_or(0, first),
            m.list_id.as_deref().map_or(0, first),
            root(i).map_or(0, |r| r as usize),
            threads.parent(i).and_then(record).map_or(0, |p| p.id.len()),
        ];
        sum = firsts.iter().fold(sum, |a, &b| a.wrapping_add(b));
        // Not the tags nor the trailers' keys: a few shared strings (or one fixed list) that
        // every row reads, in the cache already.
        for f in &m.summary.files {
            sum = sum.wrapping_add(first(&f.path));
        }
        for t in &m.summary.trailers {
            sum = sum.wrapping_add(first(&t.value));
        }
    }
    for (i, _) in records {
        let ids = [threads.parent(i), root(i)];
        let ids = ids.iter().flatten().filter_map(|&j| record(j));
        sum = ids.fold(sum, |a, m| a.wrapping_add(first(&m.id)));
    }
    // Kept, so the reads are made.
    std::hint::black_box(sum);
}

/// The inside of an address's object, between `{"name":"` and `"}`.
#[inline(always)]
fn push_address_inside<'a>(out: &mut Room<'_>, known: &mut Known<'a>, a: &'a Address) {
    push_shared(out, known, &a.name);
    string_key!(out, "email");
    push_shared(out, known, &a.email);
}

/// Appends `n` in decimal. Most numbers of a row (version, n/m, counts, depth) are under
/// 100, and written without the general loop.
#[inline]
pub(crate) fn push_u64(out: &mut Vec<u8>, n: u64) {
    match n {
        0..10 => out.push(b'0' + n as u8),
        10..100 => out.extend_from_slice(&DIGIT_PAIRS[n as usize]),
        _ => push_padded(out, n, 0),
    }
}

/// What [`push_string`] does with a byte: copy it ([`PLAIN`]), decode the character it starts
/// ([`LEAD`]), or write the escape whose letter the table holds (`b'u'` for `\u00XX`).
const PLAIN: u8 = 0;
const LEAD: u8 = 1;
static ESCAPE: [u8; 256] = {
    let mut table = [PLAIN; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    // DEL: JSON allows it raw, a terminal should not see it.
    table[0x7f] = b'u';
    // The first bytes of the characters above DEL that [`needs_replacing`] flags: C1 controls
    // and the soft hyphen (0xc2), the Arabic letter mark (0xd8), the Mongolian vowel separator
    // (0xe1), the zero-width, bidi and invisible operators of U+2000-U+206F (0xe2), the
    // byte-order mark (0xef) and the tag characters (0xf3). No other character needs a look:
    // `é`, `ß`, `ł` or CJK text is copied as it is, without decoding it. (A continuation
    // byte is never one of these, so the scan, which steps over what is plain a byte at a
    // time, still meets each of them only at the start of a character.)
    // `lead_bytes_cover_every_character_replaced` holds this list to `needs_replacing`.
    let leads = [0xc2, 0xd8, 0xe1, 0xe2, 0xef, 0xf3];
    let mut i = 0;
    while i < leads.len() {
        table[leads[i]] = LEAD;
        i += 1;
    }
    table
};

/// Appends `s` as a JSON string, escaped as the module doc says.
pub fn push_string(out: &mut Vec<u8>, s: &str) {
    let mut room = (s.len() + 2).saturating_mul(6);
    loop {
        let start = out.len();
        out.resize(start.saturating_add(room), 0);
        let rest = out.get_mut(start..).unwrap_or_default();
        let len = rest.len();
        let mut r = Room { rest, full: false };
        push_quoted(&mut r, s);
        let (end, full) = (start + (len - r.rest.len()), r.full);
        out.truncate(if full { start } else { end });
        if !full {
            return;
        }
        room = room.saturating_mul(2);
    }
}

/// [`push_string`] into a row.
#[inline(always)]
fn push_quoted(out: &mut Room<'_>, s: &str) {
    out.byte(b'"');
    push_inside(out, s);
    out.byte(b'"');
}

/// Appends the inside of the JSON string for `s`, without its quotes (the record's literals
/// carry them, so a string between two keys costs one copy of its own and one of the next
/// key).
///
/// Nearly every string `list` prints needs no escape: those are recognised by [`is_plain`]
/// and copied whole. The others go to [`push_escaped`]. Always inlined: the call cost as
/// much as the copy of a short string, and a plain `#[inline]` was kept or not depending on
/// how the crate was split for codegen.
#[inline(always)]
fn push_inside(out: &mut Room<'_>, s: &str) {
    push_checked(out, s, is_plain(s.as_bytes()));
}

/// [`push_inside`] for a string of the archive that other rows may print too ([`Known`]).
#[inline(always)]
fn push_shared<'a>(out: &mut Room<'_>, known: &mut Known<'a>, s: &'a str) {
    known.push(out, s);
}

/// [`push_inside`], told whether `s` [`is_plain`].
#[inline(always)]
fn push_checked(out: &mut Room<'_>, s: &str, plain: bool) {
    if plain {
        out.push(s.as_bytes());
    } else {
        out.escaped(s);
    }
}

/// Writes the inside of the JSON string for `s`, which [`is_plain`] turned down, at the start
/// of `buf`: one pass over the bytes, 8 at a time while they are all printable ASCII, and
/// from a word that is not to its first byte that is not ([`escape_bits`]), which [`ESCAPE`]
/// settles. Runs of plain bytes are copied whole, and characters are decoded only where a
/// byte starts one that [`needs_replacing`] might flag. Returns how many bytes it wrote and
/// whether `s` was copied as it is (as `é` is); `None` when `buf` has not room for it.
///
/// Takes the slice rather than the [`Room`], which would have to be kept in memory for the
/// call instead of in registers.
#[inline(never)]
fn push_escaped(buf: &mut [u8], s: &str) -> Option<(usize, bool)> {
    let len = buf.len();
    let mut out = Room {
        rest: buf,
        full: false,
    };
    let bytes = s.as_bytes();
    // Where the plain run not yet copied starts.
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(&word) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
            let bits = escape_bits(u64::from_le_bytes(word));
            if bits == 0 {
                i += 8;
                continue;
            }
            // Straight to the first byte flagged: the ones before it are plain.
            i += (bits.trailing_zeros() / 8) as usize;
        }
        let action = ESCAPE[usize::from(bytes[i])];
        if action == PLAIN {
            // Past the whole character: a byte `0b110.....` starts one of two bytes,
            // `0b1110....` one of three, `0b11110...` one of four, and the scan starts at
            // a character's first byte.
            i += bytes[i].leading_ones().max(1) as usize;
            continue;
        }
        if action == LEAD {
            let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            if !needs_replacing(c) {
                i += c.len_utf8();
                continue;
            }
            out.push(&bytes[plain..i]);
            let mut units = [0u16; 2];
            for &unit in c.encode_utf16(&mut units).iter() {
                push_unicode_escape(&mut out, unit);
            }
            i += c.len_utf8();
        } else {
            out.push(&bytes[plain..i]);
            if action == b'u' {
                push_unicode_escape(&mut out, u16::from(bytes[i]));
            } else {
                out.push(&[b'\\', action]);
            }
            i += 1;
        }
        plain = i;
    }
    out.push(bytes.get(plain..).unwrap_or_default());
    // Nothing was escaped when no run of plain bytes ended before the end.
    (!out.full).then_some((len - out.rest.len(), plain == 0))
}

/// `\uXXXX` in lower-case hex, as serde_json writes it.
fn push_unicode_escape(out: &mut Room<'_>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(&[
        b'\\',
        b'u',
        HEX[usize::from(unit >> 12)],
        HEX[usize::from(unit >> 8 & 0xf)],
        HEX[usize::from(unit >> 4 & 0xf)],
        HEX[usize::from(unit & 0xf)],
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> String {
        let mut out = Vec::new();
        push_string(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    /// What `write` writes into a [`Room`] with room enough.
    fn in_room(write: impl FnOnce(&mut Room<'_>)) -> Vec<u8> {
        let mut buf = vec![0; 1 << 12];
        let len = buf.len();
        let mut room = Room {
            rest: &mut buf,
            full: false,
        };
        write(&mut room);
        assert!(!room.full);
        let written = len - room.rest.len();
        buf.truncate(written);
        buf
    }

    /// A room too small for what is written says so, and a room of any size holds the
    /// bytes written in order, up to where it filled.
    #[test]
    fn room_fills_and_says_so() {
        let text = b"0123456789abcdefghijklmnopqrstuvwxyz";
        for size in 0..24 {
            let mut buf = vec![b'.'; size];
            let mut room = Room {
                rest: &mut buf,
                full: false,
            };
            room.push(&text[..5]);
            room.byte(b'-');
            room.push_first(b"ABCDEFGH", 3);
            room.number(1234567);
            room.skip(2);
            let written = size - room.rest.len();
            let full = room.full;
            let whole = b"01234-ABC1234567";
            assert_eq!(full, size < whole.len() + 2 || size < 5 + 1 + 8, "{size}");
            if !full {
                assert_eq!(&buf[..whole.len()], whole);
                assert_eq!(written, whole.len() + 2);
            }
        }
    }

    /// A copy of what was written ahead lands after it, within the room or not at all.
    #[test]
    fn room_repeats_what_was_written_ahead() {
        for size in 0..16 {
            let mut buf = vec![b'.'; size];
            let mut room = Room {
                rest: &mut buf,
                full: false,
            };
            let written = {
                let mut ahead = room.ahead();
                ahead.push(b"ab{x}:");
                (!ahead.full).then(|| size - ahead.rest.len())
            };
            match written {
                Some(written) => room.repeat(2..5, written),
                None => room.full = true,
            }
            let (full, rest) = (room.full, room.rest.len());
            assert_eq!(full, size < 9, "{size}");
            if !full {
                assert_eq!(&buf[..9], b"ab{x}:{x}");
                assert_eq!(rest, size - 9);
            }
        }
    }

    #[test]
    fn plain_text_is_only_quoted() {
        assert_eq!(json(""), r#""""#);
        assert_eq!(
            json("clk: qcom: Add GCC 日本"),
            r#""clk: qcom: Add GCC 日本""#
        );
    }

    #[test]
    fn json_escapes_are_serde_jsons() {
        assert_eq!(json("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            json("\n\r\t\x08\x0c\0\x1b\x1f"),
            r#""\n\r\t\b\f\u0000\u001b\u001f""#
        );
    }

    #[test]
    fn terminal_hostile_characters_become_utf16_escapes() {
        assert_eq!(json("del\x7f"), r#""del\u007f""#);
        assert_eq!(json("\u{85}\u{9b}2J"), r#""\u0085\u009b2J""#);
        assert_eq!(json("if (a\u{202e} && b)"), r#""if (a\u202e && b)""#);
        assert_eq!(json("zero\u{200b}width"), r#""zero\u200bwidth""#);
        // Tag characters lie beyond the BMP: a surrogate pair, lower-case.
        assert_eq!(json("\u{e0041}"), r#""\udb40\udc41""#);
        // Emoji are printable: raw.
        assert_eq!(json("ok 👍"), "\"ok 👍\"");
    }

    /// What [`is_plain`] and [`escape_bits`] let through: printable ASCII but a quote or a
    /// backslash, every one of which [`ESCAPE`] copies.
    fn printable(b: u8) -> bool {
        (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\'
    }

    /// The 8-byte test agrees with [`printable`] on every byte in every position, and the
    /// lowest byte it flags is the first one that is not, whatever follows.
    #[test]
    fn word_test_finds_the_first_byte_not_printable() {
        for b in 0..=255u8 {
            if printable(b) {
                assert_eq!(ESCAPE[usize::from(b)], PLAIN, "{b:#x}");
            }
            for at in 0..8 {
                let mut word = *b"abcdefgh";
                word[at] = b;
                let bits = escape_bits(u64::from_le_bytes(word));
                assert_eq!(bits == 0, printable(b), "{b:#x} at {at}");
                for after in (at + 1)..8 {
                    for c in [0x00, 0x1f, 0x20, 0x22, 0x5c, 0x7e, 0x7f, 0x80, 0xbf, 0xff] {
                        word[after] = c;
                        let bits = escape_bits(u64::from_le_bytes(word));
                        let first = word.iter().position(|&b| !printable(b));
                        let found = (bits != 0).then_some(bits.trailing_zeros() as usize / 8);
                        assert_eq!(found, first, "{word:x?}");
                        word[after] = b"abcdefgh"[after];
                    }
                }
            }
        }
    }

    const TEXT: &[u8; 40] = b"abcdefghijklmnopqrstuvwxyz0123456789ABCD";

    /// The whole-string test agrees with [`printable`] at every length, on every byte in every
    /// position (blocks of 16, words of 8, halves of 4 or single bytes, each overlapping the
    /// one before it).
    #[test]
    fn string_test_agrees_with_printable() {
        for len in 0..=40 {
            assert!(is_plain(&TEXT[..len]));
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut bytes = TEXT[..len].to_vec();
                    bytes[at] = b;
                    assert_eq!(is_plain(&bytes), printable(b), "{b:#x} at {at} of {len}");
                }
            }
        }
    }

    /// [`ESCAPE`] leaves characters above DEL to [`needs_replacing`] only where they start
    /// with one of a few bytes: every character it flags starts with one of them.
    #[test]
    fn lead_bytes_cover_every_character_replaced() {
        for c in (0x80..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if needs_replacing(c) {
                let mut utf8 = [0; 4];
                let first = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert_eq!(ESCAPE[usize::from(first)], LEAD, "{c:?}");
            }
        }
    }

    /// The JSON string for `s` as the module doc defines it, a character at a time: what
    /// [`push_string`]'s tests and table shortcuts must produce.
    fn escaped_by_chars(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\x08' => out.push_str("\\b"),
                '\x0c' => out.push_str("\\f"),
                c if c < ' ' || needs_replacing(c) => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// Plain and hostile pieces of strings: controls, escapes, characters the sanitizer
    /// replaces and their neighbours, non-ASCII text, and invalid UTF-8 made text.
    fn pieces() -> Vec<String> {
        let lossy = String::from_utf8_lossy(b"\xff\xc3(").into_owned();
        [
            "a",
            "bc",
            "defg",
            "hijklmn",
            "0123456789abcdef",
            " ",
            "\"",
            "\\",
            "\0",
            "\x01",
            "\x08",
            "\t",
            "\n",
            "\x0c",
            "\r",
            "\x1b",
            "\x1f",
            "\x7f",
            "\u{80}",
            "\u{85}",
            "\u{9b}",
            "\u{9f}",
            "\u{a0}",
            "\u{ad}",
            "é",
            "ö",
            "ß",
            "Ł",
            "ř",
            "\u{61c}",
            "\u{180e}",
            "\u{200b}",
            "\u{200f}",
            "\u{2010}",
            "\u{2028}",
            "\u{202a}",
            "\u{202e}",
            "\u{2060}",
            "\u{2066}",
            "\u{2069}",
            "\u{206a}",
            "\u{feff}",
            "\u{fffd}",
            "日本",
            "👍",
            "\u{e0001}",
            "\u{e0041}",
            "\u{e007f}",
            "\u{e0100}",
            &lossy,
        ]
        .map(String::from)
        .to_vec()
    }

    /// Random strings of [`pieces`], of every length around the word and block sizes: the
    /// same JSON as [`escaped_by_chars`].
    #[test]
    fn strings_escape_as_by_chars() {
        let pieces = pieces();
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        for s in crate::random_texts(0x150a_e5ca_9e00_0001, &pieces, 12) {
            assert_eq!(json(&s), escaped_by_chars(&s), "{s:?}");
        }
    }

    /// Strings met again, in any order, as [`Known`] meets the archive's: each printed as
    /// [`push_string`] prints it the first time, whether its slot holds it, another string,
    /// or a string that starts at the same address (a prefix of it).
    #[test]
    fn known_strings_print_as_the_first_time() {
        let pieces = pieces();
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let texts: Vec<String> = crate::random_texts(0x4b40_0e5a_5ca7_0001, &pieces, 6)
            .take(700)
            .collect();
        let prefixes: Vec<&str> = (texts.iter())
            .filter_map(|t| t.char_indices().nth(1).map(|(at, _)| &t[..at]))
            .collect();
        let strings: Vec<&str> = (texts.iter().map(String::as_str)).chain(prefixes).collect();
        let mut known = Known::default();
        let mut next = crate::xorshift(0x5eed_0000_4b40_0e5a);
        for _ in 0..20_000 {
            let s = strings[(next() % strings.len() as u64) as usize];
            let out = in_room(|out| {
                out.byte(b'"');
                known.push(out, s);
                out.byte(b'"');
            });
            assert_eq!(String::from_utf8(out).unwrap(), json(s), "{s:?}");
        }
    }

    /// Hostile characters at every position of strings long enough for the 16-byte blocks:
    /// serde_json reads back the string written, and nothing a terminal must not see is left
    /// raw in it (bytes that were not UTF-8 arrive as U+FFFD, which stays as it is).
    #[test]
    fn hostile_strings_read_back_through_serde_json() {
        let hostile = [
            "\"",
            "\\",
            "\0",
            "\x01",
            "\x1b",
            "\x1f",
            "\t",
            "\n",
            "\x7f",
            "\u{85}",
            "\u{9b}",
            "\u{2028}",
            "\u{2029}",
            "\u{202e}",
            "\u{200b}",
            "\u{feff}",
            "\u{e0041}",
            "é",
            "日",
            "👍",
            "\u{fffd}",
        ];
        let lossy = String::from_utf8_lossy(b"bad \xff\xfe bytes \xc3 end").into_owned();
        for len in 0..40 {
            let plain: String = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"
                .chars()
                .take(len)
                .collect();
            for h in hostile {
                for at in 0..=len {
                    let s = format!("{}{h}{}", &plain[..at], &plain[at..]);
                    let written = json(&s);
                    let back: String = serde_json::from_str(&written).unwrap();
                    assert_eq!(back, s);
                    let inside = &written[1..written.len() - 1];
                    assert!(!inside.chars().any(needs_replacing), "{written}");
                }
            }
        }
        let back: String = serde_json::from_str(&json(&lossy)).unwrap();
        assert_eq!(back, lossy);
        assert!(json(&lossy).contains('\u{fffd}'));
    }

    /// Dates met again, of the same day or another, in any zone, near the ends of the years
    /// [`Days`] keeps and past them: each written as [`MailDate::write_rfc3339`] writes it.
    #[test]
    fn days_write_dates_as_write_rfc3339() {
        let mut next = crate::xorshift(0xda7e_0000_0000_0001);
        // 0000-01-01, a day before it, 9999-12-31 and 10000-01-01 (UTC), and now.
        let centres: [i64; 5] = [
            -62_167_219_200,
            -62_167_305_600,
            253_402_214_400,
            253_402_300_800,
            1_700_000_000,
        ];
        let offsets: [i16; 9] = [0, 60, -60, 330, -570, 1439, -1439, i16::MAX, i16::MIN];
        let mut days = Days::default();
        for _ in 0..200_000 {
            let r = next();
            let centre = centres[(r % 5) as usize];
            // Within a few days of the centre, or within a million years.
            let unix = match r >> 8 & 7 {
                0 => (r >> 16) as i64 % (1 << 45) - (1 << 44),
                _ => centre + (r >> 20) as i64 % 400_000 - 200_000,
            };
            let offset = offsets[(r >> 12) as usize % offsets.len()];
            let date = MailDate::new(unix, offset);
            let out = in_room(|out| {
                out.byte(b'x');
                days.push(out, date);
            });
            let mut expected = vec![b'x'];
            date.write_rfc3339(&mut expected);
            assert_eq!(out, expected, "{unix} {offset}");
        }
    }

    /// Every kind a row can have.
    const KINDS: [crate::model::message::Kind; 5] = {
        use crate::model::message::Kind;
        [
            Kind::Patch,
            Kind::Cover,
            Kind::Reply,
            Kind::Pull,
            Kind::Other,
        ]
    };

    #[test]
    fn kind_literals_are_as_str() {
        for kind in KINDS {
            let literal = format!(r#"{}","from":{{"name":""#, kind.as_str());
            let (text, len) = kind_to_from(kind);
            assert_eq!(text.get(..len), Some(literal.as_bytes()), "{kind:?}");
            let out = in_room(|out| out.push_first(text, len));
            assert_eq!(out, literal.as_bytes(), "{kind:?}");
        }
    }

    /// `kind` is written without the escape check: each is plain.
    #[test]
    fn kinds_need_no_escape() {
        for kind in KINDS {
            assert!(is_plain(kind.as_str().as_bytes()), "{kind:?}");
        }
    }

    #[test]
    fn numbers_are_decimal() {
        for n in (0..1000).chain([4_294_967_295, u64::MAX - 1, u64::MAX]) {
            let mut out = Vec::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }
}
