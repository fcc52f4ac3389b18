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
}

impl<'a> RawHeader<'a> {
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
            None => return trimmed(raw),
            Some(_) => !memchr::memchr_iter(b'=', raw).any(|at| raw.get(at + 1) == Some(&b'?')),
        };
        if plain {
            return match std::str::from_utf8(raw) {
                Ok(text) => unfold(text),
                Err(_) => Cow::Owned(unfold(&decode_charset(raw, "")).into_owned()),
            };
        }
        Cow::Owned(rfc2047::decode(raw))
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
fn trimmed(raw: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(text) => Cow::Borrowed(text.trim()),
        Err(_) => Cow::Owned(unfold(&decode_charset(raw, "")).into_owned()),
    }
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
#[derive(Debug, Clone)]
pub struct HeaderBlock<'a> {
    headers: Vec<RawHeader<'a>>,
    /// Where the first of each [`KNOWN`] field is among `headers` ([`NOT_THERE`] when
    /// absent): found while splitting, so that looking up the fields every message is read
    /// by does not compare each name with every line of a real list's hundred-line headers.
    first: [u32; KNOWN.len()],
    pub body_start: usize,
    /// Lines in the header block that were not headers (fuzzed or broken mail).
    pub malformed: usize,
}

impl<'a> HeaderBlock<'a> {
    /// Splits the header block off `raw`. Never fails: garbage lines are counted and skipped.
    pub fn parse(raw: &'a [u8]) -> HeaderBlock<'a> {
        let mut headers: Vec<RawHeader<'a>> = Vec::with_capacity(48);
        let mut first = [NOT_THERE; KNOWN.len()];
        let mut push = |headers: &mut Vec<RawHeader<'a>>, header: RawHeader<'a>| {
            if let Some(k) = known_slot(header.name)
                && first[k] == NOT_THERE
            {
                first[k] = u32::try_from(headers.len()).unwrap_or(NOT_THERE);
            }
            headers.push(header);
        };
        let mut malformed = 0;
        let mut pos = 0;
        let mut current: Option<(usize, usize, usize)> = None; // (start, name_end, end)
        // Real list mail carries dozens of header lines (Received, DKIM, ARC ...): one search
        // runs over them all instead of one started per line.
        let mut newlines = memchr::memchr_iter(b'\n', raw);
        let body_start = loop {
            if pos >= raw.len() {
                break raw.len();
            }
            let eol = newlines.next().unwrap_or(raw.len());
            let next = (eol + 1).min(raw.len());
            let mut line_end = eol;
            if line_end > pos && raw[line_end - 1] == b'\r' {
                line_end -= 1;
            }
            let line = &raw[pos..line_end];
            if line.is_empty() {
                break next;
            }
            if line[0] == b' ' || line[0] == b'\t' {
                if let Some(cur) = current.as_mut() {
                    cur.2 = line_end;
                }
            } else {
                if let Some((start, name_end, end)) = current.take() {
                    let header = RawHeader {
                        name: &raw[start..name_end],
                        line: &raw[start..end],
                    };
                    push(&mut headers, header);
                }
                // A field name is printable ASCII up to its colon: one pass finds the colon
                // and checks the name.
                match line
                    .iter()
                    .position(|&b| b == b':' || !is_field_name_byte(b))
                {
                    Some(colon) if colon > 0 && line[colon] == b':' => {
                        current = Some((pos, pos + colon, line_end));
                    }
                    _ => malformed += 1,
                }
            }
            pos = next;
        };
        if let Some((start, name_end, end)) = current {
            let header = RawHeader {
                name: &raw[start..name_end],
                line: &raw[start..end],
            };
            push(&mut headers, header);
        }
        HeaderBlock {
            headers,
            first,
            body_start,
            malformed,
        }
    }

    /// Every header line, in order.
    pub fn headers(&self) -> &[RawHeader<'a>] {
        &self.headers
    }

    /// The first `field` header.
    pub fn field(&self, field: Field) -> Option<&RawHeader<'a>> {
        self.headers.get(self.first[field as usize] as usize)
    }

    /// [`Self::text`] of the first `field` header.
    pub fn field_text(&self, field: Field) -> Option<Cow<'a, str>> {
        self.field(field).map(RawHeader::text)
    }

    /// The first header called `name` (in any case).
    pub fn get(&self, name: &str) -> Option<&RawHeader<'a>> {
        match known_slot(name.as_bytes()) {
            Some(k) => self.headers.get(self.first[k] as usize),
            None => self.headers.iter().find(|h| h.is(name)),
        }
    }

    pub fn value(&self, name: &str) -> Option<String> {
        self.get(name).map(RawHeader::value)
    }

    /// [`Self::value`], borrowed where decoding changes nothing ([`RawHeader::text`]).
    pub fn text(&self, name: &str) -> Option<Cow<'a, str>> {
        self.get(name).map(RawHeader::text)
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
}

/// The [`Field`]s' names, lower-cased, in their order.
const KNOWN: [&str; 9] = [
    "from",
    "date",
    "list-id",
    "subject",
    "message-id",
    "references",
    "in-reply-to",
    "content-type",
    "content-transfer-encoding",
];
const NOT_THERE: u32 = u32::MAX;

/// Which of [`KNOWN`] a field name is (in any case): told apart by length and first letter,
/// so a name is compared with one of them at most.
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
    let word = |bytes: &[u8]| {
        let mut w = [0u8; 8];
        w[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(w)
    };
    let same = |a: u64, l: u64| a | ((l >> 1) & 0x2020_2020_2020_2020) == l;
    let n = name.len();
    if n <= 8 {
        return same(word(name), word(lower));
    }
    // Whole words, then the last eight bytes (overlapping the words before them).
    name.chunks_exact(8)
        .zip(lower.chunks_exact(8))
        .all(|(a, l)| same(word(a), word(l)))
        && same(word(&name[n - 8..]), word(&lower[n - 8..]))
}

fn is_field_name_byte(b: u8) -> bool {
    b > 32 && b < 127
}

/// Extracts `<id>` tokens from a Message-ID, In-Reply-To or References value. Values without
/// angle brackets (seen in the wild) are taken whole.
pub fn message_ids(raw: &[u8]) -> References {
    let mut ids = String::with_capacity(raw.len());
    let mut add = |id: Cow<'_, str>| {
        if !ids.is_empty() {
            ids.push(' ');
        }
        ids.push_str(&id);
    };
    let mut any = false;
    for id in bracketed_ids(raw).filter_map(one_id) {
        add(id);
        any = true;
    }
    if !any && let Some(id) = one_id(raw) {
        add(id);
    }
    References::from_joined(ids)
}

/// The first of [`message_ids`], without reading the rest (a `Message-ID` or `In-Reply-To`);
/// borrowed from `raw` unless reading it changed it.
pub fn first_message_id(raw: &[u8]) -> Option<Cow<'_, str>> {
    bracketed_ids(raw).find_map(one_id).or_else(|| one_id(raw))
}

/// What each `<...>` of a header value encloses, in order (an unclosed `<` ends the list).
fn bracketed_ids(raw: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let open = memchr(b'<', rest)?;
        let after = &rest[open + 1..];
        let close = memchr(b'>', after)?;
        rest = &after[close + 1..];
        Some(&after[..close])
    })
}

/// `bytes` trimmed, as an identifier: `None` when empty or holding white space. Plain ASCII
/// (nearly every id) is read without decoding; anything else is read as UTF-8, lossily.
fn one_id(bytes: &[u8]) -> Option<Cow<'_, str>> {
    // `char::is_whitespace` on ASCII (which, unlike `u8::is_ascii_whitespace`, counts the
    // vertical tab).
    // Nearly every id is all printable ASCII: taken whole (a branch-free test the compiler
    // does many bytes at a time).
    let odd = bytes
        .iter()
        .fold(false, |odd, &b| odd | (b <= b' ') | (b >= 0x7f));
    if !odd && !bytes.is_empty() {
        return std::str::from_utf8(bytes).ok().map(Cow::Borrowed);
    }
    let space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
    if bytes.is_ascii() {
        let start = bytes.iter().position(|b| !space(b))?;
        let end = bytes.iter().rposition(|b| !space(b))? + 1;
        let id = bytes.get(start..end)?;
        if id.iter().any(space) {
            return None;
        }
        return std::str::from_utf8(id).ok().map(Cow::Borrowed);
    }
    let text = String::from_utf8_lossy(bytes);
    let id = text.trim();
    (!id.is_empty() && !id.contains(char::is_whitespace)).then(|| Cow::Owned(id.to_string()))
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
    (name.is_empty() || name.len() > 60 || name.contains(['@', '<', '>'])).then(|| Address {
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
    let odd_in_both = |b: &u8| matches!(b, b'"' | b'(' | b')' | b'\\' | b'\t' | b'\n' | b'\r');
    let plain_address = memchr(b'@', address).is_some()
        && !address
            .iter()
            .any(|b| odd_in_both(b) || matches!(b, b'<' | b'>' | b' ' | 0x0b | 0x0c));
    let plain_name = !name.iter().any(|b| odd_in_both(b) || *b == b'@') && !has_double_space(name);
    (plain_address && plain_name).then(|| {
        (
            trim_git_space(&value[..open]),
            &value[open + 1..value.len() - 1],
        )
    })
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
    text.trim_matches(|c: char| c.is_ascii() && is_git_space(c as u8))
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
pub fn body_text_with<'a>(raw: &'a [u8], block: &HeaderBlock<'_>) -> BodyText<'a> {
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
            let text = match std::str::from_utf8(body) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => Cow::Owned(decode_charset(body, &charset())),
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

    #[test]
    fn known_fields_are_found_as_a_search_of_every_line_finds_them() {
        let raw = b"X-Frum: 0\r\nFROM: a <a@b>\nfrom: b <b@c>\nDote: no\nDATE: 1\n\
            Subjekt: no\nsubject: s\n  folded\nSubject: second\nLIST-ID: <l>\n\
            message-id: <m@x>\nReferences: <r@x>\nIn-reply-to: <i@x>\n\
            content-TYPE: text/plain\nContent-Transfer-Encoding: 8bit\nContent-Types: x\n\
            Content-Transfer-Encodinx: y\nbroken line\n\nbody\n";
        let block = HeaderBlock::parse(raw);
        let searched = |name: &str| block.headers().iter().find(|h| h.is(name));
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
            let found = block.headers().get(block.first[k] as usize).map(|h| h.line);
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
