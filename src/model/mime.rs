//! Turning raw mail bytes into text: the header block, decoded header values, and the body
//! text a reader wants (the `text/plain` part, attached patches, transfer and charset decoding).
//!
//! Decoding follows the mail standards, linear in the input whatever it holds: RFC 2047
//! encoded words by a one-pass scanner of our own (`rfc2047`), the MIME tree by a splitter of
//! our own (`part`), quoted-printable and base64, with the fallbacks real lists need: raw
//! 8-bit headers, unknown or lying charsets (UTF-8 first, then Windows-1252), and a message
//! that can't be decoded at all is shown as raw text with a warning, never dropped. The common
//! case on kernel lists, a plain 7/8-bit `text/plain` mail, takes a fast path that borrows the
//! bytes.

mod part;
mod rfc2047;

use std::borrow::Cow;

use memchr::memchr;

use super::message::{Address, References};

/// One header line (continuation lines included), as raw bytes.
#[derive(Debug, Clone, Copy)]
pub struct RawHeader<'a> {
    pub name: &'a [u8],
    /// The whole header, name and folded value, without the final line ending.
    pub line: &'a [u8],
    /// `line` as text, where it is known to be UTF-8 (a header block is checked once, as a
    /// whole): reading the value then checks none of its bytes again.
    line_text: Option<&'a str>,
}

impl<'a> RawHeader<'a> {
    /// The header `line` whose field is called `name`.
    pub fn new(name: &'a [u8], line: &'a [u8]) -> RawHeader<'a> {
        RawHeader {
            name,
            line,
            line_text: None,
        }
    }

    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes())
    }

    /// The value with folding undone and RFC 2047 words decoded; raw 8-bit bytes are read as
    /// UTF-8, else Latin-1.
    pub fn value(&self) -> String {
        self.text().into_owned()
    }

    /// [`Self::value`], borrowed from the mail where decoding changes nothing (a one-line
    /// UTF-8 value without encoded words: nearly every header of every message).
    pub fn text(&self) -> Cow<'a, str> {
        let raw = self.raw_value();
        // Most values are one line of plain text: one search rules out both an encoded word
        // and folding, and the value is borrowed trimmed. Else it is unfolded by hand, which
        // is many times cheaper than the tokenising decoder that encoded words need.
        let plain = match memchr::memchr2(b'=', b'\n', raw) {
            None => return trimmed(raw, self.known_value_text()),
            Some(_) => !memchr::memchr_iter(b'=', raw).any(|at| raw.get(at + 1) == Some(&b'?')),
        };
        if plain {
            return match self
                .known_value_text()
                .map_or_else(|| std::str::from_utf8(raw), Ok)
            {
                Ok(text) => unfold(text),
                Err(_) => Cow::Owned(unfold(&decode_charset(raw, "")).into_owned()),
            };
        }
        Cow::Owned(rfc2047::decode(raw))
    }

    /// [`Self::raw_value`] as text, where the line is known to be UTF-8.
    fn known_value_text(&self) -> Option<&'a str> {
        // The value starts after an ASCII colon (or is empty): a char boundary.
        let start = self.line.len() - self.raw_value().len();
        self.line_text?.get(start..)
    }

    /// [`Self::raw_value`] read as UTF-8 (lossily where it is not), for identifiers.
    pub fn raw_text(&self) -> Cow<'a, str> {
        match self.known_value_text() {
            Some(text) => Cow::Borrowed(text),
            None => String::from_utf8_lossy(self.raw_value()),
        }
    }

    /// The value as it is when reading it would only trim it: one line without `=` (so
    /// without encoded words), trimmed of the ASCII white space `str::trim` trims. `None` for
    /// any other value. Where what is left is ASCII, [`Self::text`] gives the same (without
    /// checking UTF-8 first): a caller that accepts only ASCII can read this instead.
    pub fn plain_value(&self) -> Option<&'a [u8]> {
        let raw = self.raw_value();
        if memchr::memchr2(b'=', b'\n', raw).is_some() {
            return None;
        }
        Some(trim_ascii_space(raw))
    }

    /// The value bytes without decoding, for identifiers (Message-ID, References).
    pub fn raw_value(&self) -> &'a [u8] {
        // The name holds no colon: the one after it is the first.
        let colon = match self.line.get(self.name.len()) {
            Some(b':') => self.name.len() + 1,
            _ => memchr(b':', self.line).map_or(self.line.len(), |c| c + 1),
        };
        &self.line[colon..]
    }
}

/// A one-line value without encoded words, trimmed: [`unfold`] of it, without a search for
/// line breaks it is known not to hold.
///
/// `known` is `raw` as text, when it is known to be UTF-8.
fn trimmed<'a>(raw: &'a [u8], known: Option<&'a str>) -> Cow<'a, str> {
    // The ASCII white space around a value is cut as bytes (what is cut is valid UTF-8
    // whatever the value holds), and only what is left is checked; `str::trim` then looks
    // for other white space only where a non-ASCII char is left at an end.
    let span = ascii_space_trimmed(raw);
    let inner = raw.get(span.clone()).unwrap_or_default();
    let known = known.and_then(|text| text.get(span));
    match known.map_or_else(|| std::str::from_utf8(inner), Ok) {
        Ok(text)
            if text.starts_with(|c: char| !c.is_ascii())
                || text.ends_with(|c: char| !c.is_ascii()) =>
        {
            Cow::Borrowed(text.trim())
        }
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(unfold(&decode_charset(raw, "")).into_owned()),
    }
}

/// `bytes` without the ASCII white space `char::is_whitespace` takes (the vertical tab too)
/// at either end.
fn trim_ascii_space(bytes: &[u8]) -> &[u8] {
    bytes.get(ascii_space_trimmed(bytes)).unwrap_or_default()
}

/// Where [`trim_ascii_space`] of `bytes` lies in `bytes`.
fn ascii_space_trimmed(bytes: &[u8]) -> std::ops::Range<usize> {
    let space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |i| i + 1);
    start..end
}

/// Joins folded lines with single spaces and trims the ends.
fn unfold(text: &str) -> Cow<'_, str> {
    if memchr(b'\n', text.as_bytes()).is_none() {
        // One line, what nearly every header is.
        return Cow::Borrowed(text.trim_start().trim_end_matches('\r').trim_end());
    }
    let mut out = String::with_capacity(text.len());
    for (i, piece) in text.split('\n').enumerate() {
        let piece = piece.trim_end_matches('\r');
        let piece = if i == 0 { piece.trim_start() } else { piece };
        if i > 0 {
            let trimmed = piece.trim_start();
            if trimmed.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(trimmed);
        } else {
            out.push_str(piece);
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    Cow::Owned(out)
}

/// The header block of a message and where its body starts.
///
/// Only where the first of each [`Field`] is, is kept: the other headers are split again
/// when asked for ([`Self::headers`], [`Self::get`]), which loading never does.
#[derive(Debug, Clone)]
pub struct HeaderBlock<'a> {
    /// The whole message, which [`Self::headers`] splits again.
    raw: &'a [u8],
    /// The first of each [`KNOWN`] field: found while splitting, so that looking up the
    /// fields every message is read by does not compare each name with every line of a real
    /// list's hundred-line headers.
    first: [Option<RawHeader<'a>>; KNOWN.len()],
    /// The body as text, where [`Self::parse`] checked the whole message at once.
    body: Option<&'a str>,
    pub body_start: usize,
    /// Lines in the header block that were not headers (fuzzed or broken mail).
    pub malformed: usize,
}

impl<'a> HeaderBlock<'a> {
    /// Splits the header block off `raw`. Never fails: garbage lines are counted and skipped.
    pub fn parse(raw: &'a [u8]) -> HeaderBlock<'a> {
        let mut first = [None; KNOWN.len()];
        // Where each of `first` starts in `raw`.
        let mut starts = [0; KNOWN.len()];
        let mut headers = Headers::new(raw);
        while let Some(span) = headers.next_span() {
            let header = headers.header(span);
            if let Some(k) = known_slot(header.name)
                && first[k].is_none()
            {
                first[k] = Some(header);
                starts[k] = span.0;
            }
        }
        let body_start = headers.body_start.unwrap_or(raw.len());
        // A header block is nearly always ASCII: checked once as a whole, its values are
        // then read as text without checking each again. Where the body will be read as it
        // is, it is checked in the same pass: one check of the message instead of two.
        let whole = body_read_as_is(&first).then(|| check_utf8(raw));
        let text = whole
            .flatten()
            .or_else(|| raw.get(..body_start).and_then(check_utf8));
        if let Some(text) = text {
            for (header, start) in first.iter_mut().zip(starts) {
                if let Some(header) = header {
                    header.line_text = text.get(start..start + header.line.len());
                }
            }
        }
        HeaderBlock {
            raw,
            body: text
                .filter(|text| text.len() == raw.len())
                .and_then(|text| text.get(body_start..)),
            first,
            body_start,
            malformed: headers.malformed,
        }
    }

    /// The body as text, where the whole message was checked and found UTF-8.
    fn body_text(&self) -> Option<&'a str> {
        self.body
    }

    /// Every header line, in order.
    pub fn headers(&self) -> impl Iterator<Item = RawHeader<'a>> + use<'a> {
        Headers::new(self.raw)
    }

    /// The first `field` header.
    pub fn field(&self, field: Field) -> Option<&RawHeader<'a>> {
        self.first[field as usize].as_ref()
    }

    /// [`Self::text`] of the first `field` header.
    pub fn field_text(&self, field: Field) -> Option<Cow<'a, str>> {
        self.field(field).map(RawHeader::text)
    }

    /// The first header called `name` (in any case).
    pub fn get(&self, name: &str) -> Option<RawHeader<'a>> {
        match known_slot(name.as_bytes()) {
            Some(k) => self.first[k],
            None => self.headers().find(|h| h.is(name)),
        }
    }

    pub fn value(&self, name: &str) -> Option<String> {
        self.get(name).map(|h| h.value())
    }

    /// [`Self::value`], borrowed where decoding changes nothing ([`RawHeader::text`]).
    pub fn text(&self, name: &str) -> Option<Cow<'a, str>> {
        self.get(name).map(|h| h.text())
    }
}

/// Whether the first headers of a block (see [`HeaderBlock::first`]) say its body is plain
/// text read as it is (no `Content-Type` or a `text/plain` one, no transfer encoding or a
/// 7/8-bit one), so that checking the whole message as UTF-8 at once is worth it. Only a
/// guess that saves work: [`body_text_with`] decides how the body is read.
fn body_read_as_is(first: &[Option<RawHeader<'_>>; KNOWN.len()]) -> bool {
    let value = |field: Field| first[field as usize].map(|h| trim_ascii_space(h.raw_value()));
    let plain_type = value(Field::ContentType).is_none_or(|t| {
        t.get(..10)
            .is_some_and(|t| t.eq_ignore_ascii_case(b"text/plain"))
    });
    let plain_encoding = value(Field::ContentTransferEncoding)
        .is_none_or(|e| e.eq_ignore_ascii_case(b"7bit") || e.eq_ignore_ascii_case(b"8bit"));
    plain_type && plain_encoding
}

/// `bytes` as text where they are UTF-8: `str::from_utf8` (the same answer), checking many
/// bytes at a time with the CPU's vector instructions. Every message is checked at load, a
/// kilobyte a message, where the standard check took a twentieth of the load.
fn check_utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// The headers of a message in order, continuation lines joined to theirs, up to the blank
/// line that ends the block: the one way the block is split ([`HeaderBlock::parse`] and
/// [`HeaderBlock::headers`]). Lines that are not headers are counted and skipped, and so are
/// the continuation lines after them.
struct Headers<'a> {
    raw: &'a [u8],
    /// Where the next line starts.
    pos: usize,
    /// Finds each line's end: a searcher made once a block, not chosen again on every line.
    newlines: super::patch::lines::ByteSearch,
    malformed: usize,
    /// Where the body starts, once the end of the block is reached.
    body_start: Option<usize>,
}

impl<'a> Headers<'a> {
    fn new(raw: &'a [u8]) -> Headers<'a> {
        Headers {
            raw,
            pos: 0,
            newlines: super::patch::lines::ByteSearch::new(b'\n'),
            malformed: 0,
            body_start: None,
        }
    }

    fn header(&self, (start, name_end, end): (usize, usize, usize)) -> RawHeader<'a> {
        RawHeader::new(&self.raw[start..name_end], &self.raw[start..end])
    }

    /// Where the line that starts at `pos` ends (before the `\r` of a `\r\n`), and where the
    /// next one starts.
    #[inline(always)]
    fn line_at(&self, pos: usize) -> (usize, usize) {
        let raw = self.raw;
        let eol = raw
            .get(pos..)
            .and_then(|rest| self.newlines.find(rest))
            .map_or(raw.len(), |n| pos + n);
        let end = if eol > pos && raw[eol - 1] == b'\r' {
            eol - 1
        } else {
            eol
        };
        (end, (eol + 1).min(raw.len()))
    }

    /// The next header, as (start, end of name, end).
    // In the loop of `HeaderBlock::parse`, its state stays in registers.
    #[inline(always)]
    fn next_span(&mut self) -> Option<(usize, usize, usize)> {
        let raw = self.raw;
        if self.body_start.is_some() {
            return None;
        }
        loop {
            let start = self.pos;
            if start >= raw.len() {
                self.body_start = Some(raw.len());
                return None;
            }
            let (line_end, next) = self.line_at(start);
            self.pos = next;
            let line = &raw[start..line_end];
            let Some(&lead) = line.first() else {
                self.body_start = Some(next);
                return None;
            };
            if lead == b' ' || lead == b'\t' {
                // A continuation of no header: the block's first line, or after a line that
                // was no header.
                continue;
            }
            // A field name is printable ASCII up to its colon: one pass finds the colon and
            // checks the name.
            let colon = match name_end(line) {
                Some(colon) if colon > 0 && line[colon] == b':' => colon,
                _ => {
                    self.malformed += 1;
                    continue;
                }
            };
            // The header goes on over the lines that start with white space.
            let mut end = line_end;
            while let Some(b' ' | b'\t') = raw.get(self.pos) {
                let (line_end, next) = self.line_at(self.pos);
                end = line_end;
                self.pos = next;
            }
            return Some((start, start + colon, end));
        }
    }
}

impl<'a> Iterator for Headers<'a> {
    type Item = RawHeader<'a>;

    fn next(&mut self) -> Option<RawHeader<'a>> {
        self.next_span().map(|span| self.header(span))
    }
}

/// The fields every message is read by at load: where the first of each is, is noted while
/// the header block is split ([`HeaderBlock::field`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    From,
    Date,
    ListId,
    Subject,
    MessageId,
    References,
    InReplyTo,
    ContentType,
    ContentTransferEncoding,
    /// Read by [`body_text_with`] for multipart mail.
    ContentDisposition,
}

/// The [`Field`]s' names, lower-cased, in their order.
const KNOWN: [&str; 10] = [
    "from",
    "date",
    "list-id",
    "subject",
    "message-id",
    "references",
    "in-reply-to",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
];

/// Which of [`KNOWN`] a field name is (in any case): told apart by length and first letter,
/// so a name is compared with one of them at most.
#[inline(always)]
fn known_slot(name: &[u8]) -> Option<usize> {
    let slot = match (name.len(), name.first()? | 0x20) {
        (4, b'f') => Field::From,
        (4, b'd') => Field::Date,
        (7, b'l') => Field::ListId,
        (7, b's') => Field::Subject,
        (10, b'm') => Field::MessageId,
        (10, b'r') => Field::References,
        (11, b'i') => Field::InReplyTo,
        (12, b'c') => Field::ContentType,
        (25, b'c') => Field::ContentTransferEncoding,
        (19, b'c') => Field::ContentDisposition,
        _ => return None,
    } as usize;
    same_name(name, KNOWN[slot].as_bytes()).then_some(slot)
}

/// `name.eq_ignore_ascii_case(lower)` for a `lower` of lower-case letters and `-`, eight
/// bytes at a time: on a letter's byte of `name` the 0x20 bit is set before comparing (a
/// letter's bit 6, shifted, says where), a `-` is compared as it is.
fn same_name(name: &[u8], lower: &[u8]) -> bool {
    if name.len() != lower.len() {
        return false;
    }
    let same = |a: u64, l: u64| a | ((l >> 1) & 0x2020_2020_2020_2020) == l;
    // Words read as fixed-size chunks (no copy of a length known only at run time): the
    // first and last four or eight bytes, overlapping when the name is shorter than two.
    let four = |b: Option<&[u8; 4]>| b.map_or(0, |b| u64::from(u32::from_le_bytes(*b)));
    let eight = |b: Option<&[u8; 8]>| b.map_or(0, |b| u64::from_le_bytes(*b));
    match name.len() {
        0..4 => name
            .iter()
            .zip(lower)
            .all(|(&a, &l)| same(a.into(), l.into())),
        4..=8 => {
            same(four(name.first_chunk()), four(lower.first_chunk()))
                && same(four(name.last_chunk()), four(lower.last_chunk()))
        }
        n => {
            // Whole words, then the last eight bytes (overlapping the words before them).
            name.chunks_exact(8)
                .zip(lower.chunks_exact(8))
                .all(|(a, l)| same(eight(a.first_chunk()), eight(l.first_chunk())))
                && same(
                    eight(name[n - 8..].first_chunk()),
                    eight(lower[n - 8..].first_chunk()),
                )
        }
    }
}

/// Where the field name a header line starts with ends: at its first byte that is a colon
/// or not printable ASCII. Eight bytes at a time, each byte's test done in its own top bit
/// (no sum carries into the next byte): a name is a word or two long.
fn name_end(line: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    while let Some(chunk) = line.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let x = u64::from_le_bytes(*chunk);
        let low = x & !HIGH;
        // The low seven bits are 33 or more; are 127.
        let from_33 = (low + 0x5f * ONES) & HIGH;
        let del = (low + ONES) & HIGH;
        let t = x ^ (u64::from(b':') * ONES);
        let colon = !(((t & !HIGH) + 0x7f * ONES) | t) & HIGH;
        let stop = (x & HIGH) | (!from_33 & HIGH) | del | colon;
        if stop != 0 {
            return Some(at + (stop.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    line[at..]
        .iter()
        .position(|&b| b == b':' || !is_field_name_byte(b))
        .map(|i| at + i)
}

fn is_field_name_byte(b: u8) -> bool {
    b > 32 && b < 127
}

/// Extracts `<id>` tokens from a Message-ID, In-Reply-To or References value. Values without
/// angle brackets (seen in the wild) are taken whole.
pub fn message_ids(raw: &[u8]) -> References {
    message_ids_in(&String::from_utf8_lossy(raw))
}

/// [`message_ids`] of a value read as text.
fn message_ids_in(value: &str) -> References {
    let mut ids = bracketed_ids(value).filter_map(one_id);
    let Some(first) = ids.next().or_else(|| one_id(value)) else {
        return References::from_joined(String::new());
    };
    // One id (a first reply's References) is kept as it is, allocated at its size.
    let Some(second) = ids.next() else {
        return References::from_joined(first.to_string());
    };
    // Two ids (a second reply's References) are joined at their size; more in room for the
    // whole value (which holds them all, bracketed), cut to size once joined.
    let third = ids.next();
    let size = match third {
        None => first.len() + 1 + second.len(),
        Some(_) => value.len(),
    };
    let mut all = String::with_capacity(size);
    for id in [first, second].into_iter().chain(third).chain(ids) {
        if !all.is_empty() {
            all.push(' ');
        }
        all.push_str(id);
    }
    References::from_joined(all)
}

/// The first of [`message_ids`], without reading the rest (a `Message-ID` or `In-Reply-To`);
/// borrowed from `raw` unless reading it changed it.
pub fn first_message_id(raw: &[u8]) -> Option<Cow<'_, str>> {
    first_message_id_of(String::from_utf8_lossy(raw))
}

/// [`first_message_id`] of a value read as text, borrowed from it where it is borrowed.
fn first_message_id_of(value: Cow<'_, str>) -> Option<Cow<'_, str>> {
    fn first(value: &str) -> Option<&str> {
        bracketed_ids(value)
            .find_map(one_id)
            .or_else(|| one_id(value))
    }
    match value {
        Cow::Borrowed(value) => first(value).map(Cow::Borrowed),
        Cow::Owned(value) => first(&value).map(|id| Cow::Owned(id.to_string())),
    }
}

impl<'a> RawHeader<'a> {
    /// [`first_message_id`] of this header's value.
    pub fn first_message_id(&self) -> Option<Cow<'a, str>> {
        first_message_id_of(self.raw_text())
    }

    /// [`message_ids`] of this header's value.
    pub fn message_ids(&self) -> References {
        message_ids_in(&self.raw_text())
    }
}

/// What each `<...>` of a header value encloses, in order (an unclosed `<` ends the list).
fn bracketed_ids(raw: &str) -> impl Iterator<Item = &str> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        // Cut at ASCII brackets: char boundaries. A `<` is nearly always the first byte or
        // the one after a space: a byte loop finds it before a vector search is set up.
        let open = rest.bytes().position(|b| b == b'<')?;
        let after = rest.get(open + 1..)?;
        let close = memchr(b'>', after.as_bytes())?;
        rest = after.get(close + 1..)?;
        after.get(..close)
    })
}

/// `id` trimmed, as an identifier: `None` when empty or holding white space.
fn one_id(id: &str) -> Option<&str> {
    // Nearly every id is all printable ASCII: taken whole (a branch-free test the compiler
    // does many bytes at a time).
    let odd = id
        .bytes()
        .fold(false, |odd, b| odd | (b <= b' ') | (b >= 0x7f));
    if !odd && !id.is_empty() {
        return Some(id);
    }
    odd_id(id)
}

/// [`one_id`] of an id that is not all printable ASCII.
fn odd_id(id: &str) -> Option<&str> {
    // An id in UTF-8 without ASCII white space holds none at all unless it holds a byte that
    // begins one of Unicode's (U+0085 and up: 0xC2, 0xE1, 0xE2 or 0xE3): taken whole, its
    // chars not decoded.
    if !id.is_empty()
        && !id
            .bytes()
            .any(|b| b <= b' ' || matches!(b, 0xc2 | 0xe1..=0xe3))
    {
        return Some(id);
    }
    let id = id.trim();
    (!id.is_empty() && !id.contains(char::is_whitespace)).then_some(id)
}

/// Parses a `From:` value (already decoded) into name and address the way `git mailinfo`
/// does (`handle_from`), so the sender patchdeck shows is the one `git am` records.
///
/// Quoted strings lose their quotes and comments are kept with their parentheses
/// (`A (zzz) U Thor <a@x>` is named `A (zzz) U Thor`); the address is the word around the
/// first `@` (inside `<>` or bare); the name is what is left, white space collapsed, and a
/// name wholly in parentheses loses them (`a@x (A U Thor)`). With no `@`, a `Name <addr>`
/// pair is still read. The name is as written, empty when there is none (see
/// [`author_address`] for git's stand-in); a value with no address at all is all name.
pub fn parse_address(value: &str) -> Address {
    read_from(value).0
}

/// [`parse_address`], and whether the value held an address at all (the case where
/// [`author_address`] gives one).
pub fn read_from(value: &str) -> (Address, bool) {
    match git_from(value) {
        Some(address) => (address, true),
        None => (
            Address {
                name: collapse_space(value),
                email: String::new(),
            },
            false,
        ),
    }
}

/// The author `git am` records for a `From:` value: [`parse_address`] with git's
/// `get_sane_name` (an empty name, one over 60 bytes, or one holding `@`, `<` or `>` is
/// replaced by the address). `None` when the value holds no address, where git would record
/// none.
pub fn author_address(value: &str) -> Option<Address> {
    let address = git_from(value)?;
    Some(sane_author(&address).unwrap_or(address))
}

/// git's `get_sane_name` applied to an address [`parse_address`] read: `None` when its name
/// stands as it is, else the address with the name replaced by the email.
pub fn sane_author(address: &Address) -> Option<Address> {
    let name = &address.name;
    let odd = |b: &u8| matches!(b, b'@' | b'<' | b'>');
    (name.is_empty() || name.len() > 60 || name.as_bytes().iter().any(odd)).then(|| Address {
        name: address.email.clone(),
        email: address.email.clone(),
    })
}

/// git's `isspace()`: space, tab, LF, CR.
fn is_git_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// `handle_from` (and `parse_bogus_from` when there is no `@`), before `get_sane_name`.
fn git_from(value: &str) -> Option<Address> {
    git_from_common(value).or_else(|| git_from_any(value))
}

/// [`git_from`] for the form nearly every sender has, `Name Words <local@domain>` with
/// nothing to unquote, collapse or search for: the two parts cut straight from the value.
/// `None` for anything else, which [`git_from_any`] reads (giving the same for this form).
fn git_from_common(value: &str) -> Option<Address> {
    common_sender(value).map(|(name, email)| Address {
        name: name.to_string(),
        email: email.to_string(),
    })
}

/// The name and address of a sender of the common form `Name Words <local@domain>` (nothing
/// to unquote, collapse or search for), borrowed from `value`: when this gives them,
/// [`read_from`] gives the same, and that the value held an address.
pub fn common_sender(value: &str) -> Option<(&str, &str)> {
    let bytes = value.as_bytes();
    let open = memchr(b'<', bytes)?;
    let address = bytes.get(open + 1..)?.strip_suffix(b">")?;
    let name = &bytes[..open];
    let plain_address = sender_classes(address) & (ODD_IN_BOTH | ODD_IN_ADDRESS | AT) == AT;
    let plain_name = sender_classes(name) & (ODD_IN_BOTH | AT) == 0 && !has_double_space(name);
    (plain_address && plain_name).then(|| {
        (
            trim_git_space(&value[..open]),
            &value[open + 1..value.len() - 1],
        )
    })
}

/// The classes of byte [`common_sender`] looks for: what neither a plain name nor a plain
/// address holds, what a plain address alone does not hold, and the `@`.
const ODD_IN_BOTH: u8 = 1;
const ODD_IN_ADDRESS: u8 = 2;
const AT: u8 = 4;

/// Each byte's classes ([`ODD_IN_BOTH`] ...), looked up rather than compared with each.
const SENDER_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let both = b"\"()\\\t\n\r";
    let mut i = 0;
    while i < both.len() {
        class[both[i] as usize] |= ODD_IN_BOTH;
        i += 1;
    }
    let address = b"<> \x0b\x0c";
    let mut i = 0;
    while i < address.len() {
        class[address[i] as usize] |= ODD_IN_ADDRESS;
        i += 1;
    }
    class[b'@' as usize] |= AT;
    class
};

/// Every class ([`SENDER_CLASS`]) some byte of `bytes` is in.
fn sender_classes(bytes: &[u8]) -> u8 {
    bytes
        .iter()
        .fold(0, |classes, &b| classes | SENDER_CLASS[usize::from(b)])
}

/// [`git_from`] for any value.
fn git_from_any(value: &str) -> Option<Address> {
    let value = collapse_space(value);
    let mut f = unquote_pairs(value.as_bytes());
    let Some(mut at) = memchr(b'@', &f) else {
        // `Name <addr>` without an `@`: read from the value as written.
        let bytes = value.as_bytes();
        let open = memchr(b'<', bytes)?;
        let close = open + memchr(b'>', &bytes[open..])?;
        return Some(Address {
            name: trim_git_space(&value[..open]).to_string(),
            email: value[open + 1..close].to_string(),
        });
    };
    // The address is the word around the `@`, opened by white space or `<`.
    while at > 0 {
        let c = f[at - 1];
        if is_git_space(c) {
            break;
        }
        if c == b'<' {
            f[at - 1] = b' ';
            break;
        }
        at -= 1;
    }
    let len = f[at..]
        .iter()
        .position(|&b| matches!(b, b' ' | b'\n' | b'\t' | b'\r' | 0x0b | 0x0c | b'>'))
        .unwrap_or(f.len() - at);
    let email = String::from_utf8_lossy(&f[at..at + len]).into_owned();
    // The byte after the address (its `>`, or a space) goes with it.
    let cut = (at + len + 1).min(f.len());
    f.drain(at..cut);
    let rest = String::from_utf8_lossy(&f);
    let mut name = trim_git_space(&collapse_space(&rest)).to_string();
    if name.len() >= 2 && name.starts_with('(') && name.ends_with(')') {
        name = name[1..name.len() - 1].to_string();
    }
    Some(Address { name, email })
}

/// git's `unquote_quoted_pair`: a quoted string loses its quotes and escapes; a comment keeps
/// its parentheses (nested ones too) and loses its escapes.
fn unquote_pairs(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut bytes = input.iter().copied();
    while let Some(c) = bytes.next() {
        match c {
            b'"' => {
                while let Some(c) = bytes.next() {
                    match c {
                        b'\\' => out.extend(bytes.next()),
                        b'"' => break,
                        c => out.push(c),
                    }
                }
            }
            b'(' => {
                // Depth counted, not recursed: hostile mail nests as deep as it likes.
                out.push(b'(');
                let mut depth = 1usize;
                while let Some(c) = bytes.next() {
                    match c {
                        b'\\' => out.extend(bytes.next()),
                        b'(' => {
                            out.push(b'(');
                            depth += 1;
                        }
                        b')' => {
                            out.push(b')');
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        c => out.push(c),
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Two spaces in a row somewhere in `bytes` (on a short header value, cheaper than building
/// a substring searcher for it).
fn has_double_space(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|pair| pair == b"  ")
}

/// git's `cleanup_space`: every run of white space becomes one space.
fn collapse_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_ascii() && is_git_space(c as u8) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

fn trim_git_space(text: &str) -> &str {
    // Cut as bytes: the cuts are next to ASCII bytes, so between chars.
    let bytes = text.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| !is_git_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_git_space(b))
        .map_or(start, |i| i + 1);
    text.get(start..end).unwrap_or_default()
}

/// The readable text of a message body.
#[derive(Debug, Clone, Default)]
pub struct BodyText<'a> {
    /// The text part, followed by any attached patches (so a diff parser sees them).
    pub text: Cow<'a, str>,
    pub warnings: Vec<String>,
}

/// Decodes the body of `raw` (a whole message) to text.
pub fn body_text(raw: &[u8]) -> BodyText<'_> {
    body_text_with(raw, &HeaderBlock::parse(raw))
}

/// [`body_text`] for a message whose header block is already parsed.
pub fn body_text_with<'a>(raw: &'a [u8], block: &HeaderBlock<'a>) -> BodyText<'a> {
    let body = &raw[block.body_start.min(raw.len())..];
    let ctype = block.field_text(Field::ContentType).unwrap_or_default();
    let encoding = block
        .field_text(Field::ContentTransferEncoding)
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let ctype_lower = ctype.to_ascii_lowercase();
    let plain_encoding = matches!(encoding.as_str(), "" | "7bit" | "8bit" | "binary");
    let simple_type = ctype_lower.is_empty() || ctype_lower.trim_start().starts_with("text/plain");
    if simple_type && !ctype_lower.contains("format=flowed") {
        let charset = || mailparse::parse_content_type(&ctype).charset;
        if plain_encoding {
            // Checked with the header block where it is this message's (see
            // `HeaderBlock::parse`), else here.
            let known = block.body_text().filter(|_| std::ptr::eq(raw, block.raw));
            let text = match known.or_else(|| check_utf8(body)) {
                Some(text) => Cow::Borrowed(text),
                None => Cow::Owned(decode_charset(body, &charset())),
            };
            return BodyText {
                text,
                warnings: Vec::new(),
            };
        }
        // A single-part QP or base64 mail (a fifth of kernel list traffic) is decoded here
        // directly, without building the whole MIME tree.
        let decoded = match encoding.as_str() {
            "quoted-printable" => Some(decode_quoted_printable(body)),
            "base64" => {
                let compact: Vec<u8> = body
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                data_encoding::BASE64_MIME_PERMISSIVE.decode(&compact).ok()
            }
            _ => None,
        };
        if let Some(bytes) = decoded {
            return BodyText {
                text: Cow::Owned(decode_charset_of(Cow::Owned(bytes), &charset())),
                warnings: Vec::new(),
            };
        }
    }
    let disposition = block.value("Content-Disposition").unwrap_or_default();
    let mail = part::Part::new(&ctype, &disposition, &encoding, body);
    let mut out = Collected::default();
    collect(&mail, &mut out);
    let mut text = out.text.unwrap_or_default();
    for patch in out.patches {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&patch);
    }
    if text.is_empty() && out.html_only {
        out.warnings
            .push("only an HTML part; nothing to show".into());
    }
    BodyText {
        text: Cow::Owned(text),
        warnings: out.warnings,
    }
}

#[derive(Default)]
struct Collected {
    text: Option<String>,
    patches: Vec<String>,
    warnings: Vec<String>,
    html_only: bool,
}

/// Walks the MIME tree: the first inline `text/plain` part is the text; `text/x-patch`,
/// `text/x-diff` and `.patch`/`.diff` attachments are patches; HTML and binaries are skipped.
fn collect(part: &part::Part<'_>, out: &mut Collected) {
    let mimetype = part.ctype.mimetype.to_ascii_lowercase();
    if mimetype.starts_with("multipart/") {
        if part.too_deep {
            out.warnings.push(format!(
                "MIME parts nested deeper than {}; the deeper ones are not read",
                part::MAX_DEPTH
            ));
        }
        for sub in &part.subparts {
            collect(sub, out);
        }
        return;
    }
    let disposition = &part.disposition;
    let filename = disposition
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))
        .map(|f| f.to_ascii_lowercase())
        .unwrap_or_default();
    let attachment = disposition.disposition == mailparse::DispositionType::Attachment;
    let is_patch = mimetype == "text/x-patch"
        || mimetype == "text/x-diff"
        || mimetype == "application/x-patch"
        || filename.ends_with(".patch")
        || filename.ends_with(".diff");
    let is_text = mimetype == "text/plain" || mimetype.is_empty() || mimetype == "text";
    if !(is_patch || is_text) {
        if mimetype == "text/html" && out.text.is_none() {
            out.html_only = true;
        }
        return;
    }
    let bytes = match part.decoded() {
        Ok(bytes) => bytes,
        Err(err) => {
            out.warnings
                .push(format!("could not decode a {mimetype} part: {err}"));
            part.body.to_vec()
        }
    };
    let mut text = decode_charset_of(Cow::Owned(bytes), &part.ctype.charset);
    if part
        .ctype
        .params
        .get("format")
        .is_some_and(|f| f.eq_ignore_ascii_case("flowed"))
    {
        let delsp = part
            .ctype
            .params
            .get("delsp")
            .is_some_and(|d| d.eq_ignore_ascii_case("yes"));
        text = unflow(&text, delsp);
    }
    if is_patch || (attachment && out.text.is_some()) {
        out.patches.push(text);
    } else if out.text.is_none() {
        out.text = Some(text);
        out.html_only = false;
    } else if is_text && !attachment {
        // A second inline text part (PGP-signed mail splits body and signature this way).
        out.patches.push(text);
    }
}

/// Decodes bytes in the declared charset; an unknown or wrong label falls back to UTF-8 if the
/// bytes are valid UTF-8, else Windows-1252 (what undeclared 8-bit mail nearly always is).
pub fn decode_charset(bytes: &[u8], charset: &str) -> String {
    decode_charset_of(Cow::Borrowed(bytes), charset)
}

/// [`decode_charset`] of bytes owned or not: owned UTF-8 (a decoded QP or base64 body)
/// becomes the text without a copy.
fn decode_charset_of(bytes: Cow<'_, [u8]>, charset: &str) -> String {
    let label = charset.trim().trim_matches('"');
    if let Some(encoding) = encoding_rs::Encoding::for_label(label.as_bytes())
        && encoding != encoding_rs::UTF_8
        && encoding != encoding_rs::WINDOWS_1252
    {
        let (text, _, _) = encoding.decode(&bytes);
        return text.into_owned();
    }
    match bytes {
        Cow::Owned(bytes) => String::from_utf8(bytes).unwrap_or_else(|err| {
            encoding_rs::WINDOWS_1252
                .decode(err.as_bytes())
                .0
                .into_owned()
        }),
        Cow::Borrowed(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
        },
    }
}

/// Decodes a quoted-printable body (RFC 2045 6.7), robustly: `=XX` becomes the byte, `=` at a
/// line end joins the lines, and a malformed `=` stays as it is. Runs of plain bytes are copied
/// whole, which makes this several times faster than byte-at-a-time decoders on patch mail,
/// where escapes are rare.
pub fn decode_quoted_printable(input: &[u8]) -> Vec<u8> {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'A'..=b'F' => Some(b - b'A' + 10),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(input.len());
    let mut pos = 0;
    while let Some(eq) = memchr(b'=', &input[pos..]).map(|i| pos + i) {
        out.extend_from_slice(&input[pos..eq]);
        let rest = &input[eq + 1..];
        match rest {
            [b'\r', b'\n', ..] => pos = eq + 3,
            [b'\n', ..] => pos = eq + 2,
            [a, b, ..] if hex(*a).is_some() && hex(*b).is_some() => {
                out.push((hex(*a).unwrap_or(0) << 4) | hex(*b).unwrap_or(0));
                pos = eq + 3;
            }
            _ => {
                // A soft break with trailing white space before the line end is still a break.
                let blank = rest
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
                match &rest[blank..] {
                    [b'\r', b'\n', ..] if blank > 0 => pos = eq + 1 + blank + 2,
                    [b'\n', ..] if blank > 0 => pos = eq + 1 + blank + 1,
                    _ => {
                        out.push(b'=');
                        pos = eq + 1;
                    }
                }
            }
        }
    }
    out.extend_from_slice(&input[pos..]);
    out
}

/// Undoes RFC 3676 format=flowed: a line ending in a space continues on the next line.
fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        // Space-stuffing: a leading space was added before `From `, `>` or a space.
        let content = content.strip_prefix(' ').unwrap_or(content);
        if content.ends_with(' ') && content != "-- " {
            let kept = if delsp {
                &content[..content.len() - 1]
            } else {
                content
            };
            out.push_str(kept);
        } else {
            out.push_str(content);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sender's common form cut straight from the value is what git's full reading gives,
    /// and every other form is left to that reading.
    #[test]
    fn common_sender_reads_as_git_reads_it() {
        let names = [
            "",
            "A",
            "A U Thor",
            " A U Thor",
            "A U Thor ",
            "A  U",
            "A\tU",
            "Rafał Miłecki",
            "\"Thor, A\"",
            "A (zzz) U",
            "a@x",
            "A > B",
            "A\\B",
            "A\u{b}B",
        ];
        let addresses = [
            "a@x.org",
            "a.b+tag@x",
            "a",
            "a b@x",
            "a<b@x",
            "a@x>",
            "@",
            "a@x\u{c}",
            "(a)@x",
            "",
        ];
        let mut common = 0;
        for name in names {
            for address in addresses {
                for value in [format!("{name}<{address}>"), format!("{name} <{address}>")] {
                    if let Some(fast) = git_from_common(&value) {
                        common += 1;
                        assert_eq!(Some(fast), git_from_any(&value), "{value:?}");
                    }
                    assert_eq!(git_from(&value), git_from_any(&value), "{value:?}");
                }
            }
            assert_eq!(git_from(name), git_from_any(name), "{name:?}");
        }
        assert!(common >= 20, "the common form was read only {common} times");
    }

    #[test]
    fn header_block_folds_and_survives_garbage() {
        let raw = b"Subject: a\n long one\nX-: y\nnot a header\nFrom: A <a@b>\r\n\r\nbody";
        let block = HeaderBlock::parse(raw);
        assert_eq!(block.value("subject").as_deref(), Some("a long one"));
        assert_eq!(block.malformed, 1);
        assert_eq!(&raw[block.body_start..], b"body");
        assert_eq!(parse_address(&block.value("From").unwrap()).email, "a@b");
    }

    /// An ASCII plain value is the decoded text, and values decoding changes are not plain.
    #[test]
    fn plain_values_are_the_text_when_ascii() {
        for line in [
            &b"Date: Tue, 1 Jan 2019 00:13:09 +0000"[..],
            b"Date:\t Tue, 1 Jan 2019 00:13:09 +0000 \x0b\r",
            b"Date:Tue,",
            b"Date:",
            b"Date:   ",
            b"Date: \xc2\xa0 1 Jan",
            b"Date: 1 Jan \xe9",
            b"Date: =?utf-8?q?1_Jan?=",
            b"Date: a=b",
            b"Date: 1 Jan\n 2019",
        ] {
            let header = RawHeader::new(b"Date", line);
            let shown = String::from_utf8_lossy(line);
            match header.plain_value() {
                Some(plain) if plain.is_ascii() => {
                    assert_eq!(plain, header.text().as_bytes(), "{shown:?}");
                }
                Some(plain) => assert!(!plain.is_empty(), "{shown:?}"),
                None => assert!(line.contains(&b'=') || line.contains(&b'\n'), "{shown:?}"),
            }
        }
    }

    #[test]
    fn encoded_words_and_raw_utf8() {
        let block = HeaderBlock::parse(
            "Subject: =?utf-8?q?Rafa=C5=82?= and =?iso-8859-1?Q?se=F1or?=\nFrom: Rafał Miłecki <r@m>\n\n"
                .as_bytes(),
        );
        assert_eq!(block.value("Subject").unwrap(), "Rafał and señor");
        assert_eq!(
            parse_address(&block.value("From").unwrap()).name,
            "Rafał Miłecki"
        );
    }

    #[test]
    fn ids_with_and_without_brackets() {
        let ids = |raw: &[u8]| {
            message_ids(raw)
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(b" <a@b> <c@d>\n <e@f>"), ["a@b", "c@d", "e@f"]);
        assert_eq!(ids(b" bare@id "), ["bare@id"]);
        assert_eq!(ids(b"<a b> <c@d>"), ["c@d"]);
        assert_eq!(ids(b"<a b> <c@d> <> <e@f>"), ["c@d", "e@f"]);
        assert!(message_ids(b"").is_empty());
        // White space is Unicode's, vertical tab and no-break space included.
        assert_eq!(ids(b"< a@b >\t"), ["a@b"]);
        assert!(message_ids(b"<a\x0bb>").is_empty());
        assert!(message_ids("<a\u{a0}b>".as_bytes()).is_empty());
        assert_eq!(ids("<é@x> <y@z>".as_bytes()), ["é@x", "y@z"]);
        assert_eq!(ids(b"<\xff@x>"), ["\u{fffd}@x"]);
        assert!(message_ids(b"<> bare").is_empty());
        assert_eq!(ids(b"<>bare"), ["<>bare"]);
    }

    /// An id is what `str::trim` leaves when that is not empty and holds no white space:
    /// Unicode's included, whatever other chars share their first byte.
    #[test]
    fn ids_are_trimmed_and_refused_with_white_space() {
        const PIECES: &[&str] = &[
            "a", "@", " ", "\t", "\x0b", "\x7f", "é", "ł", "€", "\u{85}", "\u{a0}", "\u{a9}",
            "\u{1680}", "\u{1690}", "\u{2000}", "\u{200a}", "\u{200b}", "\u{2028}", "\u{202f}",
            "\u{205f}", "\u{3000}", "\u{3001}",
        ];
        for text in crate::random_texts(0x0dd_1d5, PIECES, 6) {
            let trimmed = text.trim();
            let expected =
                (!trimmed.is_empty() && !trimmed.contains(char::is_whitespace)).then_some(trimmed);
            assert_eq!(one_id(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn known_fields_are_found_as_a_search_of_every_line_finds_them() {
        let raw = b"X-Frum: 0\r\nFROM: a <a@b>\nfrom: b <b@c>\nDote: no\nDATE: 1\n\
            Subjekt: no\nsubject: s\n  folded\nSubject: second\nLIST-ID: <l>\n\
            message-id: <m@x>\nReferences: <r@x>\nIn-reply-to: <i@x>\n\
            content-TYPE: text/plain\nContent-Transfer-Encoding: 8bit\nContent-Types: x\n\
            CONTENT-disposition: inline\nContent-Dispositions: no\n\
            Content-Transfer-Encodinx: y\nbroken line\n\nbody\n";
        let block = HeaderBlock::parse(raw);
        let searched = |name: &str| block.headers().find(|h| h.is(name));
        let names = KNOWN
            .iter()
            .flat_map(|k| [k.to_string(), k.to_lowercase(), k.to_uppercase()]);
        let others = [
            "Frum",
            "Dote",
            "Subjekt",
            "X-Frum",
            "To",
            "Content-Types",
            "Content-Type",
            "Message-ID",
            "Cc",
            "",
            "fro\rm",
            "list\rid",
        ];
        for name in names.chain(others.iter().map(|o| o.to_string())) {
            let found = block.get(&name).map(|h| h.line);
            assert_eq!(found, searched(&name).map(|h| h.line), "{name}");
        }
        // Each name finds its own slot (which also holds the `Field` of each name to its
        // place in `KNOWN`), and each slot the first header of that name.
        for (k, name) in KNOWN.iter().enumerate() {
            assert_eq!(known_slot(name.as_bytes()), Some(k), "{name}");
            let found = block.first[k].map(|h| h.line);
            assert_eq!(found, searched(name).map(|h| h.line));
            assert!(found.is_some(), "{name}");
        }
        assert_eq!(
            block.field(Field::ContentTransferEncoding).map(|h| h.line),
            searched("Content-Transfer-Encoding").map(|h| h.line)
        );
        assert_eq!(block.value("From").as_deref(), Some("a <a@b>"));
        assert_eq!(block.value("subject").as_deref(), Some("s folded"));
        assert!(block.get("To").is_none());
        assert_eq!(block.malformed, 1);
    }

    /// The block split line by line the plain way: each header with its continuation lines,
    /// the lines that are not headers counted, and where the body starts.
    fn split_by_lines(raw: &[u8]) -> (Vec<&[u8]>, usize, usize) {
        let mut headers = Vec::new();
        let mut current: Option<std::ops::Range<usize>> = None;
        let mut malformed = 0;
        let mut pos = 0;
        let body_start = loop {
            if pos >= raw.len() {
                break raw.len();
            }
            let eol = raw[pos..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(raw.len(), |i| pos + i);
            let next = (eol + 1).min(raw.len());
            let line = raw[pos..eol].strip_suffix(b"\r").unwrap_or(&raw[pos..eol]);
            if line.is_empty() {
                break next;
            }
            if line[0] == b' ' || line[0] == b'\t' {
                if let Some(c) = current.as_mut() {
                    c.end = pos + line.len();
                }
            } else {
                headers.extend(current.take().map(|c| &raw[c]));
                let name_len = line
                    .iter()
                    .take_while(|&&b| b > 32 && b < 127 && b != b':')
                    .count();
                if name_len > 0 && line.get(name_len) == Some(&b':') {
                    current = Some(pos..pos + line.len());
                } else {
                    malformed += 1;
                }
            }
            pos = next;
        };
        headers.extend(current.map(|c| &raw[c]));
        (headers, malformed, body_start)
    }

    #[test]
    fn the_block_splits_as_a_line_by_line_reading_splits_it() {
        let pieces: [&[u8]; 14] = [
            b"From: a <a@b>",
            b"Subject: x",
            b" folded",
            b"\tfolded",
            b"not a header",
            b": no name",
            b"X:",
            b"Bad Name: y",
            b"\r",
            b"",
            b"Message-ID: <m@x>\r",
            b"\xff: z",
            b"subject:second",
            b"  ",
        ];
        let mut next = crate::xorshift(0x5eed_0fb1_0c00);
        for _ in 0..3000 {
            let mut raw = Vec::new();
            for _ in 0..next() % 12 {
                raw.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
                if next() % 9 != 0 {
                    raw.push(b'\n');
                }
            }
            let block = HeaderBlock::parse(&raw);
            let (lines, malformed, body_start) = split_by_lines(&raw);
            let split: Vec<&[u8]> = block.headers().map(|h| h.line).collect();
            let shown = String::from_utf8_lossy(&raw);
            assert_eq!(split, lines, "{shown:?}");
            assert_eq!(
                (block.malformed, block.body_start),
                (malformed, body_start),
                "{shown:?}"
            );
            for (k, name) in KNOWN.iter().enumerate() {
                let searched = block.headers().find(|h| h.is(name)).map(|h| h.line);
                assert_eq!(
                    block.first[k].map(|h| h.line),
                    searched,
                    "{name} in {shown:?}"
                );
            }
        }
    }

    #[test]
    fn a_name_ends_where_a_byte_by_byte_search_ends_it() {
        let bytes = [
            b'a', b'Z', b'-', b':', b'>', b' ', b'!', b'~', 32, 33, 126, 127, 128, 0, 0xba, 0xbe,
            0xff,
        ];
        let mut next = crate::xorshift(0x0ddc_0102);
        for _ in 0..20_000 {
            let line: Vec<u8> = (0..next() % 30)
                .map(|_| bytes[(next() % bytes.len() as u64) as usize])
                .collect();
            let searched = line
                .iter()
                .position(|&b| b == b':' || !is_field_name_byte(b));
            assert_eq!(name_end(&line), searched, "{line:?}");
        }
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut line = vec![b'x'; 20];
                line[at] = b;
                let searched = line
                    .iter()
                    .position(|&b| b == b':' || !is_field_name_byte(b));
                assert_eq!(name_end(&line), searched, "{b} at {at}");
            }
        }
    }

    #[test]
    fn field_names_compare_as_eq_ignore_ascii_case() {
        let mut names: Vec<Vec<u8>> = Vec::new();
        for k in KNOWN {
            let k = k.as_bytes();
            names.push(k.to_vec());
            names.push(k.to_ascii_uppercase());
            // Every byte changed to each byte value, one place at a time.
            for at in 0..k.len() {
                for b in 0..=255u8 {
                    let mut n = k.to_vec();
                    n[at] = b;
                    names.push(n);
                }
            }
            names.push(k[..k.len() - 1].to_vec());
        }
        for name in &names {
            for k in KNOWN {
                assert_eq!(
                    same_name(name, k.as_bytes()),
                    name.eq_ignore_ascii_case(k.as_bytes()),
                    "{:?} {k}",
                    String::from_utf8_lossy(name)
                );
            }
        }
    }

    /// A one-line value is trimmed as `str::trim` trims it, whatever white space, Unicode
    /// or ASCII, is around it.
    /// The vector check takes as text exactly what the standard one takes, at every length
    /// around its blocks and with bad bytes anywhere.
    #[test]
    fn utf8_is_checked_as_the_standard_check_checks_it() {
        let long = "From: a <a@b>\nSubject: [PATCH] x: y\n\ntext of a body, ".repeat(3);
        let pieces = [
            long.as_str(),
            "a",
            "é",
            "\u{2003}",
            "\u{1f600}",
            "\n",
            "0123456789abcdef0123456789abcdef",
        ];
        let mut next = crate::xorshift(0x5eed_0f08);
        for text in crate::random_texts(0x5eed_0f07, &pieces, 12) {
            let mut bytes = text.into_bytes();
            match next() % 4 {
                // A bad byte somewhere, or a char cut short at the end.
                0 if !bytes.is_empty() => {
                    let at = (next() % bytes.len() as u64) as usize;
                    bytes[at] = [0xff, 0x80, 0xc3, 0xe2][(next() % 4) as usize];
                }
                1 => bytes.truncate(bytes.len().saturating_sub((next() % 3) as usize)),
                _ => {}
            }
            let shown = String::from_utf8_lossy(&bytes);
            assert_eq!(
                check_utf8(&bytes),
                std::str::from_utf8(&bytes).ok(),
                "{shown:?}"
            );
        }
    }

    /// A message checked as UTF-8 whole with its header block reads to the body text it
    /// reads to when its body is checked alone, whatever its headers and bytes.
    #[test]
    fn a_body_checked_with_its_block_reads_as_one_checked_alone() {
        let pieces = [
            "Content-Type: text/plain\n",
            "Content-Type: TEXT/PLAIN; charset=latin1\n",
            "Content-Type: text/plain; format=flowed\n",
            "Content-Type: multipart/mixed\n",
            "Content-Transfer-Encoding: 8bit\n",
            "Content-Transfer-Encoding: 7BIT \n",
            "Content-Transfer-Encoding: quoted-printable\n",
            "Subject: x\n",
            "\n",
            "\r\n",
            "body\n",
            "=C3=A9",
            "é",
            "\u{ff}",
            " ",
        ];
        let mut checked_whole = 0;
        for text in crate::random_texts(0x5eed_b0d1_0001, &pieces, 10) {
            // Some messages with a byte that is no UTF-8, where the whole check fails.
            let mut raw = text.into_bytes();
            if raw.len() % 3 == 0 {
                raw.push(0xe9);
            }
            let block = HeaderBlock::parse(&raw);
            checked_whole += usize::from(block.body.is_some());
            let alone = HeaderBlock {
                body: None,
                ..block.clone()
            };
            let (checked, read_alone) =
                (body_text_with(&raw, &block), body_text_with(&raw, &alone));
            let shown = String::from_utf8_lossy(&raw);
            assert_eq!(checked.text, read_alone.text, "{shown:?}");
            assert_eq!(checked.warnings, read_alone.warnings, "{shown:?}");
            // And the values read from a block checked whole read as before.
            for field in [Field::Subject, Field::ContentType] {
                let read = |h: &RawHeader<'_>| (h.text().into_owned(), h.raw_text().into_owned());
                let unchecked = block.field(field).map(|h| RawHeader::new(h.name, h.line));
                assert_eq!(
                    block.field(field).map(read),
                    unchecked.as_ref().map(read),
                    "{shown:?}"
                );
            }
        }
        // Both ways were taken.
        assert!((1000..19_000).contains(&checked_whole), "{checked_whole}");
    }

    /// A header block checked as text once reads each value as a header read alone does.
    #[test]
    fn values_of_a_checked_block_read_as_values_read_alone() {
        let pieces = [
            " ",
            "\t",
            "\n ",
            "\r\n\t",
            "<",
            ">",
            "a@b",
            "=?utf-8?q?x_y?=",
            "=",
            "é",
            "\u{a0}",
            "\u{b}",
            "x",
            "<a@b>",
        ];
        for value in crate::random_texts(0x5eed_c0de_0001, &pieces, 8) {
            for name in ["Subject", "Message-ID", "References"] {
                let mail = format!("{name}:{value}\nX: y\n\nbody");
                let block = HeaderBlock::parse(mail.as_bytes());
                let Some(checked) = block.get(name) else {
                    continue;
                };
                assert!(checked.line_text.is_some(), "{value:?}");
                let alone = RawHeader::new(checked.name, checked.line);
                assert_eq!(checked.text(), alone.text(), "{value:?}");
                assert_eq!(checked.raw_text(), alone.raw_text(), "{value:?}");
                assert_eq!(
                    checked.first_message_id(),
                    first_message_id(alone.raw_value()),
                    "{value:?}"
                );
                assert_eq!(
                    checked.message_ids(),
                    message_ids(alone.raw_value()),
                    "{value:?}"
                );
            }
        }
    }

    #[test]
    fn one_line_values_trim_as_str_trim() {
        let pieces = [
            " ", "\t", "\u{b}", "\u{c}", "\r", "\u{a0}", "\u{2003}", "\u{85}", "a", "é", "x y",
            "\u{1c}",
        ];
        for value in crate::random_texts(0x7e1a_5ace, &pieces, 6) {
            let line = format!("Subject:{value}");
            let header = RawHeader::new(b"Subject", line.as_bytes());
            assert_eq!(header.text(), value.trim(), "{value:?}");
        }
        // Bytes that are not UTF-8 are decoded as before, trimmed.
        let header = RawHeader::new(b"Subject", b"Subject: caf\xe9 ");
        assert_eq!(header.text(), "café");
    }

    #[test]
    fn references_keep_their_ids_in_order() {
        for v in [
            &b""[..],
            b" <a@b>",
            b" <a@b> <c@d>\n <e@f>",
            b"bare@id",
            b"<\xff@x> <y@z>",
        ] {
            let refs = message_ids(v);
            let ids: Vec<&str> = refs.iter().collect();
            let mut back: Vec<&str> = refs.iter().rev().collect();
            back.reverse();
            assert_eq!(ids, back);
            assert_eq!(refs.last(), ids.last().copied());
            assert_eq!(refs.is_empty(), ids.is_empty());
            assert_eq!(refs, ids.iter().collect::<References>());
        }
    }

    #[test]
    fn first_message_id_is_the_first_of_message_ids() {
        let values: &[&[u8]] = &[
            b" <a@b> <c@d>\n <e@f>",
            b" bare@id ",
            b"",
            b"< a@b >\t",
            b"<a\x0bb>",
            b"<a b> <c@d>",
            b"<a b> <c d>",
            b"<> bare",
            b"<>bare",
            b"<unclosed",
            b"<x@y",
            b"<\xff@x>",
            "<\u{a0}> <é@x>".as_bytes(),
        ];
        for &v in values {
            assert_eq!(
                first_message_id(v).map(Cow::into_owned),
                message_ids(v).iter().next().map(str::to_string),
                "{:?}",
                String::from_utf8_lossy(v)
            );
        }
    }

    #[test]
    fn multipart_takes_plain_and_attached_patch() {
        let raw = b"Content-Type: multipart/mixed; boundary=X\n\n--X\nContent-Type: text/html\n\n<div>no</div>\n--X\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nse=F1or\n--X\nContent-Type: text/x-patch; name=a.patch\nContent-Disposition: attachment; filename=a.patch\n\ndiff --git a/x b/x\n--X--\n";
        let body = body_text(raw);
        assert!(body.text.starts_with("se\u{f1}or"), "{:?}", body.text);
        assert!(body.text.contains("diff --git a/x b/x"));
        assert!(!body.text.contains("<div>"));
    }

    #[test]
    fn undeclared_8bit_falls_back_to_windows_1252() {
        assert_eq!(decode_charset(b"caf\xe9", "none"), "café");
        assert_eq!(decode_charset("café".as_bytes(), "us-ascii"), "café");
        // Decoded (owned) bytes read the same way as borrowed ones.
        for (bytes, charset) in [(&b"caf\xe9"[..], ""), ("café".as_bytes(), "utf-8")] {
            assert_eq!(
                decode_charset_of(Cow::Owned(bytes.to_vec()), charset),
                decode_charset(bytes, charset)
            );
        }
        let qp = b"Content-Transfer-Encoding: quoted-printable\n\ncaf=E9 and caf=C3=A9\n";
        assert_eq!(body_text(qp).text, "caf\u{e9} and caf\u{c3}\u{a9}\n");
        let qp = b"Content-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9\n";
        assert_eq!(body_text(qp).text, "caf\u{e9}\n");
    }

    #[test]
    fn quoted_printable_decoding() {
        assert_eq!(
            decode_quoted_printable(b"caf=C3=A9 =3D x=\nyz =\r\nend"),
            "café = xyz end".as_bytes()
        );
        assert_eq!(decode_quoted_printable(b"a=zz=\n=4"), b"a=zz=4");
        assert_eq!(decode_quoted_printable(b"soft= \nbreak="), b"softbreak=");
        assert_eq!(decode_quoted_printable(b""), b"");
    }

    /// Well-formed quoted-printable text (CRLF lines, no trailing blanks): printable ASCII,
    /// `=XX` escapes in either case, soft and hard line breaks.
    fn random_qp(next: &mut impl FnMut() -> u64) -> Vec<u8> {
        let hex = b"0123456789ABCDEFabcdef";
        let mut out = Vec::new();
        for _ in 0..next() % 400 {
            match next() % 20 {
                0 => out.extend_from_slice(b"=\r\n"),
                1 => out.extend_from_slice(b"\r\n"),
                2 | 3 => {
                    out.push(b'=');
                    out.push(hex[(next() % 22) as usize]);
                    out.push(hex[(next() % 22) as usize]);
                }
                _ => {
                    // Printable ASCII but `=`, and a space only before more text.
                    let c = b'!' + (next() % 94) as u8;
                    if next() % 8 == 0 {
                        out.push(b' ');
                    }
                    out.push(if c == b'=' { b'x' } else { c });
                }
            }
        }
        out
    }

    #[test]
    fn the_decoder_agrees_with_the_quoted_printable_crate_on_random_input() {
        let mut next = crate::xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2000 {
            let text = random_qp(&mut next);
            let theirs = quoted_printable::decode(&text, quoted_printable::ParseMode::Robust)
                .unwrap_or_else(|e| panic!("{e:?}: {:?}", String::from_utf8_lossy(&text)));
            assert_eq!(
                decode_quoted_printable(&text),
                theirs,
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
        // Any bytes, encoded by the crate, decode back to themselves.
        for _ in 0..500 {
            let bytes: Vec<u8> = (0..next() % 300).map(|_| next() as u8).collect();
            let encoded = quoted_printable::encode_binary(&bytes);
            assert_eq!(decode_quoted_printable(&encoded), bytes);
        }
    }

    #[test]
    fn flowed_lines_join() {
        assert_eq!(unflow("a \nb\n", false), "a b\n");
        assert_eq!(unflow("a \nb\n", true), "ab\n");
    }

    #[test]
    fn addresses_read_as_git_mailinfo_reads_them() {
        let cases = [
            (
                "A U Thor <a.u.thor@example.com>",
                "A U Thor",
                "a.u.thor@example.com",
            ),
            (
                "A (zzz) U Thor (Comment) <a.u.thor@example.com>",
                "A (zzz) U Thor (Comment)",
                "a.u.thor@example.com",
            ),
            (
                "a.u.thor@example.com (A U Thor)",
                "A U Thor",
                "a.u.thor@example.com",
            ),
            ("\"Thor, A. U.\" <a@b.c>", "Thor, A. U.", "a@b.c"),
            ("\"A \\\"Q\\\" U\" <a@b.c>", "A \"Q\" U", "a@b.c"),
            ("<a@b.c>", "", "a@b.c"),
            ("a@b.c", "", "a@b.c"),
            ("Bogus <nobody>", "Bogus", "nobody"),
            ("Spaced    Out\t Name   <a@b.c>", "Spaced Out Name", "a@b.c"),
        ];
        for (value, name, email) in cases {
            let a = parse_address(value);
            assert_eq!(
                (a.name.as_str(), a.email.as_str()),
                (name, email),
                "{value}"
            );
        }
        assert_eq!(parse_address("No Address").name, "No Address");
        assert_eq!(author_address("No Address"), None);
        assert_eq!(author_address("<a@b.c>").unwrap().name, "a@b.c");
        assert_eq!(author_address("x@y <a@b.c>").unwrap().name, "x@y");
        let deep = format!("{}x <a@b.c>", "(".repeat(100_000));
        assert_eq!(parse_address(&deep).email, "a@b.c");
    }
}
