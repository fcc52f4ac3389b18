//! Trailers: the `Key: value` lines closing a commit message (`Signed-off-by`, `Reviewed-by`,
//! `Fixes`, ...), as `git interpret-trailers` reads them, and the trailers a reply gives
//! anywhere in its own text, as b4 collects them (`LoreMessage.find_trailers(followup=True)`):
//! any trailer-shaped line whose value names a person with a valid address, or a link or
//! `Fixes:` where those belong, values normalised as b4 writes them back.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::model::patch::lines::{ByteSearch, Cursor, is_blank};

/// One trailer line, key as written (`Reviewed-by`), value trimmed. 32 bytes, and no
/// allocation for a key spelled the usual way: a big list keeps a million of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    pub key: TrailerKey,
    pub value: Box<str>,
}

/// A trailer's key as written. The usual spellings (`Signed-off-by`, `Reviewed-by`, ...) are
/// kept as a number into one shared list instead of a copy each; any other as its own text.
/// Compares, hashes and prints as its text.
#[derive(Clone)]
pub struct TrailerKey(KeyText);

#[derive(Clone)]
enum KeyText {
    Usual(u8),
    Other(Box<str>),
}

/// The spellings a [`TrailerKey`] keeps without a copy: those lists write most.
const USUAL_KEYS: &[&str] = &[
    "Signed-off-by",
    "Reviewed-by",
    "Acked-by",
    "Tested-by",
    "Reported-by",
    "Suggested-by",
    "Co-developed-by",
    "Fixes",
    "Link",
    "Cc",
    "Closes",
    "Reported-and-tested-by",
    "Message-ID",
    "Change-Id",
];

impl TrailerKey {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            KeyText::Usual(i) => USUAL_KEYS.get(usize::from(*i)).copied().unwrap_or_default(),
            KeyText::Other(text) => text,
        }
    }
}

impl From<&str> for TrailerKey {
    fn from(key: &str) -> TrailerKey {
        match USUAL_KEYS.iter().position(|usual| *usual == key) {
            Some(i) => TrailerKey(KeyText::Usual(i as u8)),
            None => TrailerKey(KeyText::Other(key.into())),
        }
    }
}

impl std::ops::Deref for TrailerKey {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for TrailerKey {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for TrailerKey {
    fn eq(&self, other: &TrailerKey) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TrailerKey {}

impl std::hash::Hash for TrailerKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::fmt::Debug for TrailerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for TrailerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of trailer that the list counts and the detail pane colours apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrailerKind {
    SignedOff,
    Reviewed,
    Acked,
    Tested,
    Reported,
    Suggested,
    CoDeveloped,
    Fixes,
    Link,
    Cc,
    Other,
}

impl Trailer {
    pub fn kind(&self) -> TrailerKind {
        TrailerKind::of(&self.key)
    }
}

impl TrailerKind {
    pub fn of(key: &str) -> TrailerKind {
        // Told apart by length first: each key is compared with at most two spellings, as
        // usually written first (this runs on every trailer line at load).
        let is = |usual: &str| key == usual || key.eq_ignore_ascii_case(usual);
        match key.len() {
            2 if is("Cc") => TrailerKind::Cc,
            4 if is("Link") => TrailerKind::Link,
            5 if is("Fixes") => TrailerKind::Fixes,
            6 if is("Closes") => TrailerKind::Link,
            8 if is("Acked-by") => TrailerKind::Acked,
            9 if is("Tested-by") => TrailerKind::Tested,
            11 if is("Reviewed-by") => TrailerKind::Reviewed,
            11 if is("Reported-by") => TrailerKind::Reported,
            12 if is("Suggested-by") => TrailerKind::Suggested,
            13 if is("Signed-off-by") => TrailerKind::SignedOff,
            15 if is("Co-developed-by") => TrailerKind::CoDeveloped,
            _ => TrailerKind::Other,
        }
    }
}

/// Counts of the trailers a maintainer scans the list for: Acked, Reviewed, Tested.
///
/// Wide and saturating: hostile mail can give any number of trailers, and a count must never
/// wrap to a small one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrailerCounts {
    pub acked: u32,
    pub reviewed: u32,
    pub tested: u32,
}

impl TrailerCounts {
    pub fn of<'a>(trailers: impl IntoIterator<Item = &'a Trailer>) -> TrailerCounts {
        let mut counts = TrailerCounts::default();
        for t in trailers {
            counts.count(t);
        }
        counts
    }

    /// Counts one more trailer (a `Reviewed-and-Tested-by` counts as both).
    pub fn count(&mut self, t: &Trailer) {
        match t.kind() {
            TrailerKind::Acked => self.acked = self.acked.saturating_add(1),
            TrailerKind::Reviewed => self.reviewed = self.reviewed.saturating_add(1),
            TrailerKind::Tested => self.tested = self.tested.saturating_add(1),
            _ if t.key.eq_ignore_ascii_case("reviewed-and-tested-by")
                || t.key.eq_ignore_ascii_case("tested-and-reviewed-by") =>
            {
                self.reviewed = self.reviewed.saturating_add(1);
                self.tested = self.tested.saturating_add(1);
            }
            _ => {}
        }
    }

    pub fn add(&mut self, other: TrailerCounts) {
        self.acked = self.acked.saturating_add(other.acked);
        self.reviewed = self.reviewed.saturating_add(other.reviewed);
        self.tested = self.tested.saturating_add(other.tested);
    }

    pub fn is_empty(&self) -> bool {
        *self == TrailerCounts::default()
    }
}

/// Splits a trailer line into key and value: `Key: value` where the key is letters, digits and
/// hyphens. A URL (`https://…`) is not a trailer even though it has a colon.
pub fn parse_line(line: &str) -> Option<(&str, &str)> {
    // The key runs to the first colon, so the first byte that is not a key's is the colon: one
    // pass finds it and checks the key (prose is turned away at its first space).
    let colon = line.bytes().position(|b| !is_key_byte(b))?;
    let (key, value) = (line.get(..colon)?, line.get(colon..)?.strip_prefix(':')?);
    if key.is_empty() || key.starts_with('-') || value.starts_with("//") {
        return None;
    }
    let value = trim(value);
    (!value.is_empty()).then_some((key, value))
}

/// A byte a trailer's key may hold: an ASCII letter or digit, or `-`.
fn is_key_byte(b: u8) -> bool {
    const KEY: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = (b as u8).is_ascii_alphanumeric() || b == b'-' as usize;
            b += 1;
        }
        table
    };
    KEY[usize::from(b)]
}

/// `s.trim()`, on bytes where what is cut and where the cuts stop are ASCII (nearly always).
#[inline(always)]
fn trim(s: &str) -> &str {
    let bytes = s.as_bytes();
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |last| last + 1);
    let ascii_ends = bytes.get(start).is_none_or(u8::is_ascii)
        && end
            .checked_sub(1)
            .and_then(|last| bytes.get(last))
            .is_none_or(u8::is_ascii);
    match s.get(start..end) {
        Some(trimmed) if ascii_ends => trimmed,
        _ => s.trim(),
    }
}

/// The trailer block closing a message, as `git interpret-trailers` finds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailerBlock<'a> {
    /// Byte offset in the message where the block's paragraph starts.
    pub start: usize,
    pub trailers: Vec<Trailer>,
    /// Lines of the block that are not trailers (`[ tglx: fixed typo ]`), in order.
    pub other_lines: Vec<&'a str>,
}

/// Finds the trailer block: the message's last paragraph, if it is all trailers, or at least a
/// quarter trailers with one of them a known kind (git's rule, with `Signed-off-by`, `Fixes`,
/// `Cc`, ... as the recognised keys). A line starting with whitespace continues the trailer
/// above it; `#` lines are ignored as git ignores comments.
pub fn find_block(message: &str) -> Option<TrailerBlock<'_>> {
    find_block_with(message, OtherLines::Keep)
}

/// Whether [`find_block_with`] keeps the block's lines that are not trailers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OtherLines {
    Keep,
    /// Left out (the block's `other_lines` are empty): loading reads only the trailers.
    Skip,
}

/// [`find_block`], leaving out the lines that are not trailers when `other` says so.
pub(crate) fn find_block_with(message: &str, other: OtherLines) -> Option<TrailerBlock<'_>> {
    let body = message.trim_end();
    let (start, lines) = last_paragraph(body);
    let paragraph = body.get(start..)?;
    let mut block = TrailerBlock {
        start,
        ..TrailerBlock::default()
    };
    let (mut trailer_lines, mut other_count, mut recognised) = (0usize, 0usize, false);
    let mut after_trailer = false;
    for (seen, line) in Cursor::new(paragraph).map(|l| l.text).enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if after_trailer && line.starts_with([' ', '\t']) {
            if let Some(last) = block.trailers.last_mut() {
                let mut value = String::from(std::mem::take(&mut last.value));
                value.push(' ');
                value.push_str(line.trim());
                last.value = value.into();
            }
            continue;
        }
        if let Some((key, value)) = parse_line(line) {
            trailer_lines += 1;
            recognised = recognised || TrailerKind::of(key) != TrailerKind::Other;
            if block.trailers.capacity() == 0 {
                // Room for every line left at once: a block of trailers only (the usual one)
                // then fills it exactly, and its list is kept without a copy.
                block.trailers = Vec::with_capacity(lines.saturating_sub(seen));
            }
            block.trailers.push(Trailer {
                key: key.into(),
                value: value.into(),
            });
            after_trailer = true;
        } else {
            other_count += 1;
            recognised = recognised || line.starts_with("(cherry picked from commit ");
            if other == OtherLines::Keep {
                block.other_lines.push(line);
            }
            after_trailer = false;
        }
    }
    let is_block =
        trailer_lines > 0 && (other_count == 0 || (recognised && trailer_lines * 3 >= other_count));
    is_block.then_some(block)
}

/// Byte offset where the last paragraph of `text` (which ends in a non-blank line) starts, and
/// how many lines it has: found walking back from the end, so a long reply costs only its
/// last paragraph.
fn last_paragraph(text: &str) -> (usize, usize) {
    let newlines = ByteSearch::new(b'\n');
    let mut end = text.len();
    let mut lines = 0;
    while let Some(nl) = newlines.rfind(text.as_bytes().get(..end).unwrap_or_default()) {
        if is_blank(text.get(nl + 1..end).unwrap_or_default()) {
            return (end + 1, lines);
        }
        lines += 1;
        end = nl;
    }
    if is_blank(text.get(..end).unwrap_or_default()) && end < text.len() {
        (end + 1, lines)
    } else {
        (0, lines + 1)
    }
}

/// A review trailer written on a line of its own in a patch's prose (a `Reported-by:` above
/// the trailer block): b4's line rule ([`followup_line`]), kept to the keys that name people.
pub fn review_trailer(line: &str) -> Option<Trailer> {
    if !may_be_review_trailer(line) {
        return None;
    }
    read_review_trailer(line)
}

/// [`review_trailer`] without its cheap test first.
fn read_review_trailer(line: &str) -> Option<Trailer> {
    let t = followup_line(line)?;
    let known = matches!(
        t.kind(),
        TrailerKind::Reviewed
            | TrailerKind::Acked
            | TrailerKind::Tested
            | TrailerKind::Reported
            | TrailerKind::Suggested
            | TrailerKind::SignedOff
            | TrailerKind::CoDeveloped
    ) || t.key.eq_ignore_ascii_case("Nacked-by");
    known.then_some(t)
}

/// Whether `line` can be a [`review_trailer`] at all: a test cheap enough for every line of
/// every message at load. The line must start with one of the keys [`review_trailer`] knows
/// and its colon: each starts with a letter (no white space before it) and ends in `-by`, 8,
/// 9, 11, 12, 13 or 15 bytes long, so the colon is just after a `-by` at one of those places.
/// (Prose starting with the same letters, `This ...`, is turned away here.)
#[inline]
pub fn may_be_review_trailer(line: &str) -> bool {
    let b = line.as_bytes();
    let starts_key = b.first().is_some_and(|b| {
        matches!(
            b.to_ascii_uppercase(),
            b'R' | b'A' | b'T' | b'S' | b'C' | b'N'
        )
    });
    starts_key
        && [8, 9, 11, 12, 13, 15].iter().any(|&colon| {
            b.get(colon) == Some(&b':')
                && b.get(colon - 3..colon)
                    .is_some_and(|by| by.eq_ignore_ascii_case(b"-by"))
        })
}

/// Keys b4 never takes from a reply: they are mail or commit metadata, not review.
const NOT_GIVEN: &[&str] = &[
    "from",
    "author",
    "cc",
    "to",
    "date",
    "subject",
    "subscribe",
    "unsubscribe",
    "base-commit",
    "change-id",
    "message-id",
    // Contact details people put in signatures.
    "phone",
    "mail",
    "email",
    "e-mail",
    "prerequisite-message-id",
];
/// Keys whose value is a link.
const LINK_KEYS: &[&str] = &["link", "buglink", "closes"];
/// Keys that are trailers without naming a person.
const NON_PERSON_KEYS: &[&str] = &[
    "link",
    "buglink",
    "closes",
    "fixes",
    "obsoleted-by",
    "change-id",
    "base-commit",
];
/// Keys whose value is never a person, whatever it holds (b4's utility trailers).
const UTILITY_KEYS: &[&str] = &[
    "fixes",
    "link",
    "buglink",
    "closes",
    "obsoleted-by",
    "message-id",
    "change-id",
    "base-commit",
    "based-on",
];

fn is_one_of(key: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// The trailers a reply gives, in order: every line of its own text (above the `-- `
/// signature, quoted lines never) that [`followup_line`] accepts. A value cut over two lines
/// is joined as b4 joins it (`Reviewed-by: Long Name` then `<address>` alone on the next
/// line; a `Fixes: <hash> (title` whose `)` is on the next), and so is an indented
/// continuation line under a trailer that lacked its address.
pub fn followup_trailers(text: &str) -> Vec<Trailer> {
    followup_trailers_with(text, &mut |_, read| read())
}

/// What one line of a reply gives, read from it alone: `lines(line, read)` gives it, read by
/// `read` where it is not known yet.
pub type LineReader<'r> =
    dyn FnMut(&str, &mut dyn FnMut() -> Option<Trailer>) -> Option<Trailer> + 'r;

/// [`followup_trailers`], with what each line gives read alone taken from `lines`: a list's
/// reviewers give the same trailer lines reply after reply, and a load reads each once.
pub fn followup_trailers_with(text: &str, lines: &mut LineReader<'_>) -> Vec<Trailer> {
    static SIGNATURE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n-- \n"));
    // Only a line holding a colon can give a trailer: the text is searched for colons, and
    // the lines without one (most of a reply) are not looked at.
    let bytes = text.as_bytes();
    let (colons, newlines) = (ByteSearch::new(b':'), ByteSearch::new(b'\n'));
    // Where the `-- ` signature starts (nothing below it is read), searched for only once a
    // trailer is found: most replies give none. (The line above the signature reads the
    // same whether the text is cut there or not: `-- ` never continues a value.)
    let mut signature = None;
    // The line starting at `start` (without its line ending), and where the next one starts;
    // none once the text is read.
    let line_at = |start: usize| {
        let rest = text.get(start..).filter(|rest| !rest.is_empty())?;
        let (line, next) = match newlines.find(rest.as_bytes()) {
            Some(n) => (rest.get(..n)?, start + n + 1),
            None => (rest, text.len()),
        };
        Some((line.trim_end_matches('\r'), next))
    };
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(colon) = bytes.get(from..).and_then(|rest| colons.find(rest)) {
        let colon = from + colon;
        let start = newlines
            .rfind(&bytes[from..colon])
            .map_or(from, |n| from + n + 1);
        if bytes.get(start) == Some(&b'>') {
            // Quoted: never a trailer of this reply.
            from = newlines
                .find(&bytes[colon..])
                .map_or(bytes.len(), |n| colon + n + 1);
            continue;
        }
        let Some((line, after)) = line_at(start) else {
            break;
        };
        from = after;
        let Some((key, value)) = colon_line_shape(line) else {
            continue;
        };
        let next = line_at(after);
        let joined = next.and_then(|(next, _)| joined_value(value, next));
        let found = match (&joined, next) {
            (Some(value), Some((_, after_next))) => accept(key, value).inspect(|_| {
                from = after_next;
            }),
            _ => None,
        };
        if let Some(t) = found.or_else(|| lines(line, &mut || accept(key, value))) {
            let cut =
                *signature.get_or_insert_with(|| SIGNATURE.find(bytes).unwrap_or(bytes.len()));
            if start >= cut {
                break;
            }
            if out.is_empty() {
                // Room for one: a reply gives one trailer more often than any other number,
                // and its list is then kept without a shrinking copy.
                out = Vec::with_capacity(1);
            }
            out.push(t);
        }
    }
    out
}

/// A trailer's value continued on the `next` line, as b4 joins them: an address wrapped onto
/// a line of its own, a `Fixes:` title closed there, or an indented continuation.
fn joined_value(value: &str, next: &str) -> Option<String> {
    let wrapped_address = !value.contains('<')
        && next.starts_with('<')
        && next.ends_with('>')
        && next.matches('>').count() == 1;
    let wrapped_fixes = next.ends_with(')') && fixes_open_paren(value);
    let indented = next.starts_with([' ', '\t'])
        && !next.trim().is_empty()
        && !has_address(value)
        && trailer_shape(next).is_none();
    (wrapped_address || wrapped_fixes || indented).then(|| format!("{} {}", value, next.trim()))
}

/// One line as b4's follow-up rule reads it: `Key: value` (the key a word of at least two
/// characters, ASCII, ending in a colon and a space) whose value carries a person's address,
/// or a link for `Link:`/`Closes:`, or a commit hash for `Fixes:`. Mail metadata keys (`Cc:`,
/// `From:`, ...) are not given trailers. The value comes back normalised as b4 writes it:
/// `Name <address>` (HTML mail's `<mailto:...>` removed), or the bare address; a `# comment`
/// kept at its end.
pub fn followup_line(line: &str) -> Option<Trailer> {
    let (key, value) = trailer_shape(line)?;
    accept(key, value)
}

/// `Key: value` as b4's pattern `^\s*(\w\S+):\s+(\S.*)` finds it.
fn trailer_shape(line: &str) -> Option<(&str, &str)> {
    // Most lines of prose hold no colon at all: one byte search says so.
    memchr::memchr(b':', line.as_bytes())?;
    colon_line_shape(line)
}

/// [`trailer_shape`] of a line known to hold a colon.
fn colon_line_shape(line: &str) -> Option<(&str, &str)> {
    let s = line.trim_start();
    // The key's first character, checked before its end is searched for: a quoted line
    // (`> ...`), a diff line or a list marker is turned away at its first byte.
    let first = s.chars().next()?;
    if !(first.is_alphanumeric() || first == '_') {
        return None;
    }
    // The key's end: found on bytes while they are ASCII (as nearly every key is), else on chars.
    let token_end = match s
        .bytes()
        .position(|b| !b.is_ascii() || matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
    {
        Some(at) if s.as_bytes()[at].is_ascii() => at,
        Some(_) => s.find(char::is_whitespace)?,
        None => return None,
    };
    let key = s.get(..token_end)?.strip_suffix(':')?;
    // A key of at least two characters.
    key.chars().nth(1)?;
    let value = trim(s.get(token_end..)?);
    (!value.is_empty()).then_some((key, value))
}

/// b4's follow-up filters and value normalisation for one `Key: value`.
fn accept(key: &str, value: &str) -> Option<Trailer> {
    if !key.is_ascii() || is_one_of(key, NOT_GIVEN) {
        return None;
    }
    if !has_address(value) && !is_one_of(key, NON_PERSON_KEYS) {
        return None;
    }
    if has_web_link(value) && !is_one_of(key, LINK_KEYS) {
        return None;
    }
    if key.eq_ignore_ascii_case("fixes")
        && value
            .bytes()
            .take_while(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            .count()
            < 6
    {
        return None;
    }
    let (value, comment) = split_comment(value);
    // Built in one string: this runs on every trailer line of every message at load.
    let mut out = String::with_capacity(value.len() + comment.len());
    if is_one_of(key, UTILITY_KEYS) || has_scheme(value) {
        out.push_str(value);
    } else {
        let cleaned = strip_mailto(value);
        match person(&cleaned) {
            Some((name, email)) if name.is_empty() || name == email => out.push_str(email),
            Some((name, email)) => {
                for (i, word) in name.split_whitespace().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(word);
                }
                out.push_str(" <");
                out.push_str(email);
                out.push('>');
            }
            None => out.push_str(cleaned.trim()),
        }
    }
    out.push_str(comment);
    Some(Trailer {
        key: key.into(),
        value: out.into(),
    })
}

/// Whether a `Fixes: <hash> (title` line opened a parenthesis it did not close.
fn fixes_open_paren(value: &str) -> bool {
    let hex = value.bytes().take_while(u8::is_ascii_hexdigit).count();
    hex > 0
        && value.get(hex..).is_some_and(|rest| {
            rest.starts_with(char::is_whitespace)
                && rest.trim_start().starts_with('(')
                && !rest.contains(')')
        })
}

/// Something like an address (`\S+@\S+\.\S+`) somewhere in `value`.
pub fn has_address(value: &str) -> bool {
    // Most values hold no `@` at all: one search says so.
    if memchr::memchr(b'@', value.as_bytes()).is_none() {
        return false;
    }
    if value.is_ascii() {
        // Words of ASCII text cut at ASCII white space (what `split_whitespace` cuts at), read
        // in one pass: each word's first `@` after its first byte, and its last `.`.
        let (mut start, mut at, mut dot) = (0, None, None);
        let ends_address = |at: Option<usize>, dot: Option<usize>, end: usize| match (at, dot) {
            (Some(at), Some(dot)) => dot > at + 1 && dot + 1 < end,
            _ => false,
        };
        for (i, &b) in value.as_bytes().iter().enumerate() {
            match b {
                b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => {
                    if ends_address(at, dot, i) {
                        return true;
                    }
                    (start, at, dot) = (i + 1, None, None);
                }
                b'@' if at.is_none() && i > start => at = Some(i),
                b'.' => dot = Some(i),
                _ => {}
            }
        }
        return ends_address(at, dot, value.len());
    }
    value.split_whitespace().any(|word| {
        let Some(at) = word.get(1..).and_then(|w| w.find('@')).map(|a| a + 1) else {
            return false;
        };
        word.rfind('.')
            .is_some_and(|dot| dot > at + 1 && dot + 1 < word.len())
    })
}

/// Whether `value` holds a `://` (a link of any scheme).
fn has_scheme(value: &str) -> bool {
    let bytes = value.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|c| bytes[c..].starts_with(b"://"))
}

/// Whether `value` holds an `http://` or `https://` link.
fn has_web_link(value: &str) -> bool {
    let bytes = value.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|c| {
        let head = &bytes[..c];
        bytes[c..].starts_with(b"://") && (head.ends_with(b"http") || head.ends_with(b"https"))
    })
}

/// Splits a trailing ` # comment` off a value (`stable@vger.kernel.org # 5.10`).
fn split_comment(value: &str) -> (&str, &str) {
    if let Some(hash) = memchr::memrchr(b'#', value.as_bytes())
        && hash + 1 < value.len()
        && let Some(head) = value.get(..hash)
        && head.ends_with(char::is_whitespace)
        && !head.trim_end().is_empty()
    {
        let cut = head.trim_end().len();
        return (
            value.get(..cut).unwrap_or(value),
            value.get(cut..).unwrap_or(""),
        );
    }
    (value, "")
}

/// Removes the `<mailto:...>` an HTML mail client leaves inside an address.
fn strip_mailto(value: &str) -> Cow<'_, str> {
    let bytes = value.as_bytes();
    if !memchr::memchr_iter(b'<', bytes).any(|i| bytes[i..].starts_with(b"<mailto:")) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find("<mailto:") {
        let Some(close) = rest.get(at + 8..).and_then(|r| r.find('>')) else {
            break;
        };
        if close == 0 {
            break;
        }
        out.push_str(rest.get(..at).unwrap_or_default());
        rest = rest.get(at + 8 + close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The person a trailer value names, as `(name, address)`: `Name <address>` (the name kept as
/// written, brackets, commas and quotes included) or a bare address. `None` when the value is
/// neither.
pub fn person(value: &str) -> Option<(&str, &str)> {
    let value = trim(value);
    if let Some(inner) = value.strip_suffix('>') {
        // The first `<` after the last `>` before the end opens the address.
        // Bytes, not chars: `<` and `>` are never part of another character in UTF-8.
        let from = memchr::memrchr(b'>', inner.as_bytes()).map_or(0, |g| g + 1);
        let open = memchr::memchr(b'<', inner.as_bytes().get(from..)?)? + from;
        let email = trim(inner.get(open + 1..)?);
        let name = trim(inner.get(..open)?);
        return (!email.is_empty()).then_some((name, email));
    }
    (!value.contains(char::is_whitespace) && value.contains('@')).then_some(("", value))
}

/// Whether trailer `t`, given in a reply from `name <email>`, names that sender, as b4's
/// `get_trailers` decides: the same address (ignoring case, a `+tag` and one level of
/// subdomain), or the same name; a sender whose name has a comma matches any name. Trailers
/// that name no person (links, `Fixes:`) are the sender's by definition.
pub fn names_sender(t: &Trailer, name: &str, email: &str) -> bool {
    if is_one_of(&t.key, UTILITY_KEYS) || has_scheme(&t.value) || !has_address(&t.value) {
        return true;
    }
    let (value, _) = split_comment(&t.value);
    let Some((tname, temail)) = person(value) else {
        return true;
    };
    if same_address(temail, email) {
        return true;
    }
    let from_name = if name.trim().is_empty() { email } else { name };
    same_lowercase(tname, from_name) || from_name.contains(',')
}

/// `a.to_lowercase() == b.to_lowercase()`, without lower-casing copies when both are ASCII.
fn same_lowercase(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.to_lowercase() == b.to_lowercase()
}

/// b4's fuzzy address comparison, on the addresses lower-cased (without copies when both are
/// ASCII).
fn same_address(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        // On ASCII, `to_lowercase` is each byte's lower case.
        return same_address_as(a, b, str::eq_ignore_ascii_case);
    }
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    same_address_as(&a, &b, |x, y| x == y)
}

/// b4's fuzzy address comparison with `eq` comparing text: the same address, or the same one
/// without a `+tag`, or the same local part at a domain and a subdomain one level below it.
fn same_address_as(a: &str, b: &str, eq: impl Fn(&str, &str) -> bool) -> bool {
    if eq(a, b) {
        return true;
    }
    let (Some((alocal, adomain)), Some((blocal, bdomain))) = (untagged(a), untagged(b)) else {
        return false;
    };
    if !eq(alocal, blocal) {
        return false;
    }
    if eq(adomain, bdomain) {
        return true;
    }
    let dots = |d: &str| memchr::memchr_iter(b'.', d.as_bytes()).count();
    // `sub` ends with `.` and `domain`.
    let below = |sub: &str, domain: &str| {
        let cut = sub.len().saturating_sub(domain.len());
        cut > 0
            && sub.as_bytes().get(cut - 1) == Some(&b'.')
            && sub.get(cut..).is_some_and(|tail| eq(tail, domain))
    };
    dots(adomain).abs_diff(dots(bdomain)) == 1
        && (below(adomain, bdomain) || below(bdomain, adomain))
}

/// An address cut at its first `@`: the local part without its `+tag`, and the domain.
fn untagged(address: &str) -> Option<(&str, &str)> {
    let at = memchr::memchr(b'@', address.as_bytes())?;
    let local = address.get(..at)?;
    let local = match memchr::memchr(b'+', local.as_bytes()) {
        Some(plus) if plus + 1 < at => local.get(..plus)?,
        _ => local,
    };
    Some((local, address.get(at + 1..)?))
}

/// Two trailers are the same one when key and value agree ignoring case (b4's rule).
pub fn same(a: &Trailer, b: &Trailer) -> bool {
    a.key.eq_ignore_ascii_case(&b.key) && a.value.to_lowercase() == b.value.to_lowercase()
}

/// A trailer as b4 tells two apart: the key without regard to ASCII case, the value lower-cased
/// (`str::to_lowercase`). Hashes and compares without making lower-cased copies of ASCII.
#[derive(Debug, Clone, Copy)]
pub struct Folded<'a>(pub &'a Trailer);

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0, other.0);
        a.key.eq_ignore_ascii_case(&b.key)
            && if a.value.is_ascii() && b.value.is_ascii() {
                a.value.eq_ignore_ascii_case(&b.value)
            } else {
                a.value.to_lowercase() == b.value.to_lowercase()
            }
    }
}

impl Eq for Folded<'_> {}

impl std::hash::Hash for Folded<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        super::hash_ascii_caseless(self.0.key.as_bytes(), state);
        state.write_u8(0xff);
        // On ASCII, `to_lowercase` is each byte's lower case.
        if self.0.value.is_ascii() {
            super::hash_ascii_caseless(self.0.value.as_bytes(), state);
        } else {
            // Through the same chunks: a value equal to an ASCII one hashes as it does.
            super::hash_ascii_caseless(self.0.value.to_lowercase().as_bytes(), state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_as_written_whether_usual_or_not() {
        for key in [
            "Reviewed-by",
            "reviewed-by",
            "Signed-off-by",
            "X-Custom",
            "Cc",
            "",
        ] {
            let kept = TrailerKey::from(key);
            assert_eq!(kept.as_str(), key);
            assert_eq!(format!("{kept}"), key);
            assert_eq!(format!("{kept:?}"), format!("{key:?}"));
        }
        assert!(matches!(TrailerKey::from("Acked-by").0, KeyText::Usual(_)));
        assert!(matches!(TrailerKey::from("acked-by").0, KeyText::Other(_)));
        // Keys compare as their text: a usual key and one kept as written are equal when
        // their text is.
        assert_eq!(
            TrailerKey::from("Fixes"),
            TrailerKey(KeyText::Other("Fixes".into()))
        );
        assert_ne!(TrailerKey::from("Fixes"), TrailerKey::from("fixes"));
        // Every usual key fits the index, and a trailer stays two words of text.
        assert!(USUAL_KEYS.len() <= usize::from(u8::MAX));
        assert_eq!(size_of::<Trailer>(), 32);
    }

    #[test]
    fn folded_trailers_compare_as_b4_lowers_them() {
        use std::hash::BuildHasher;
        let t = |key: &str, value: &str| Trailer {
            key: key.into(),
            value: value.into(),
        };
        // A hasher that tells apart how the bytes were cut into writes, as the load's sets use.
        let hasher = hashbrown::DefaultHashBuilder::default();
        let same = |a: &Trailer, b: &Trailer| {
            let equal = Folded(a) == Folded(b);
            if equal {
                assert_eq!(hasher.hash_one(Folded(a)), hasher.hash_one(Folded(b)));
            }
            equal
        };
        let a = t("Reviewed-by", "Ann Dev <ann@Example.org>");
        assert!(same(&a, &t("reviewed-BY", "ann dev <ANN@example.org>")));
        assert!(!same(&a, &t("Acked-by", "Ann Dev <ann@Example.org>")));
        assert!(!same(&a, &t("Reviewed-by", "Ann Dev <ann@example.com>")));
        // Not ASCII: the whole value lower-cased, as `str::to_lowercase` does (a final sigma).
        assert!(same(
            &t("Tested-by", "ΣΑΣ <s@x>"),
            &t("Tested-by", "σας <s@x>")
        ));
        assert!(same(
            &t("Tested-by", "Émile <e@x>"),
            &t("tested-by", "émile <E@x>")
        ));
        // Longer than a hashed chunk, and equal to an ASCII value only once lower-cased (the
        // Kelvin sign's lower case is `k`): hashed as that value is.
        let long = "x".repeat(70);
        assert!(same(
            &t("Tested-by", &format!("{long}\u{212A} <k@x>")),
            &t("Tested-by", &format!("{long}K <k@x>"))
        ));
    }

    fn keys(block: &TrailerBlock<'_>) -> Vec<String> {
        block
            .trailers
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect()
    }

    #[test]
    fn trailer_lines_and_non_trailers() {
        assert_eq!(
            parse_line("Signed-off-by: A <a@b>"),
            Some(("Signed-off-by", "A <a@b>"))
        );
        assert_eq!(
            parse_line("Cc: stable@vger.kernel.org # 5.10"),
            Some(("Cc", "stable@vger.kernel.org # 5.10"))
        );
        assert_eq!(parse_line("Not a trailer: has spaces"), None);
        assert_eq!(parse_line("https://lore.kernel.org/x"), None);
        assert_eq!(parse_line("Empty:"), None);
        assert_eq!(parse_line("-x: y"), None);
    }

    #[test]
    fn last_paragraph_of_trailers_is_the_block() {
        let msg = "Fix it.\n\nMore words: here.\n\nFixes: abc (\"x\")\nCc: stable@vger.kernel.org # 5.10\n\
                   Signed-off-by: A <a@b>\n\n";
        let block = find_block(msg);
        assert!(block.is_some());
        let block = block.unwrap_or_default();
        assert_eq!(&msg[..block.start], "Fix it.\n\nMore words: here.\n\n");
        assert_eq!(
            keys(&block),
            vec![
                "Fixes=abc (\"x\")",
                "Cc=stable@vger.kernel.org # 5.10",
                "Signed-off-by=A <a@b>"
            ]
        );
    }

    #[test]
    fn continuation_lines_join_and_notes_are_kept_aside() {
        let msg = "Body.\n\nReported-by: A very long\n  name <a@b>\n[ tglx: reworded ]\nSigned-off-by: T <t@x>";
        let block = find_block(msg).unwrap_or_default();
        assert_eq!(
            keys(&block),
            vec![
                "Reported-by=A very long name <a@b>",
                "Signed-off-by=T <t@x>"
            ]
        );
        assert_eq!(block.other_lines, vec!["[ tglx: reworded ]"]);
    }

    #[test]
    fn git_quarter_rule_needs_a_known_key() {
        let prose = "Body.\n\nline one\nline two\nline three\n";
        assert!(find_block(&format!("{prose}Signed-off-by: A <a@b>")).is_some());
        assert!(find_block(&format!("{prose}Custom-tag: A <a@b>")).is_none());
        assert!(find_block("Body.\n\nCustom-tag: x\nOther-thing: y").is_some());
        assert!(find_block("Just a paragraph.\nNote: this is prose").is_none());
        assert!(find_block("").is_none());
        assert!(find_block("Signed-off-by: Only <o@x>").is_some_and(|b| b.start == 0));
    }

    #[test]
    fn last_paragraph_is_found_from_the_end() {
        assert_eq!(last_paragraph("a\n\nb\nc"), (3, 2));
        assert_eq!(last_paragraph("a\n \t\nb"), (5, 1));
        assert_eq!(last_paragraph("one paragraph\nonly"), (0, 2));
        assert_eq!(last_paragraph("x"), (0, 1));
        assert_eq!(last_paragraph("\nx"), (1, 1));
        assert_eq!(last_paragraph(""), (0, 1));
    }

    #[test]
    fn paragraph_lines_counted_as_the_cursor_reads_them() {
        const PIECES: &[&str] = &["\n", "\n", " ", "\t", "x", "Acked-by: a@b.c", "\u{a0}"];
        for text in crate::random_texts(0x9a7a_0000_0000_0001, PIECES, 8) {
            let body = text.trim_end();
            let (start, lines) = last_paragraph(body);
            let read = Cursor::new(&body[start..]).count();
            assert_eq!(lines, read.max(1), "{body:?}");
        }
    }

    #[test]
    fn keys_read_in_one_pass_as_split_at_the_first_colon() {
        const PIECES: &[&str] = &[
            "Acked-by", ":", " ", "-", "a", "1", "//", "é", "_", "\t", "x y",
        ];
        for line in crate::random_texts(0x9a7a_0000_0000_0002, PIECES, 6) {
            let by_colon = line.split_once(':').and_then(|(key, value)| {
                let key_ok = !key.is_empty()
                    && !key.starts_with('-')
                    && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                let link = value.starts_with("//");
                let value = value.trim();
                (key_ok && !link && !value.is_empty()).then_some((key, value))
            });
            assert_eq!(parse_line(&line), by_colon, "{line:?}");
        }
    }

    #[test]
    fn review_trailers_given_in_replies() {
        assert_eq!(
            review_trailer("Reviewed-by: R <r@x.org>"),
            Some(Trailer {
                key: "Reviewed-by".into(),
                value: "R <r@x.org>".into()
            })
        );
        assert!(review_trailer("acked-by: a@b.org").is_some());
        assert!(review_trailer("> Reviewed-by: R <r@x.org>").is_none());
        assert!(review_trailer("Reviewed-by:").is_none());
        assert!(review_trailer("Acked-by: A").is_none(), "no address");
        assert!(review_trailer("Fixes: abcdef012345").is_none());
    }

    #[test]
    fn review_trailers_pass_the_cheap_test() {
        const PIECES: &[&str] = &[
            "Reviewed-by",
            "ACKED-BY",
            "Tested-by",
            "Reported-by",
            "suggested-by",
            "Signed-off-by",
            "Co-developed-by",
            "Nacked-by",
            "Reviewed-and-tested-by",
            "This",
            ":",
            ": ",
            " ",
            "\u{a0}",
            "\t",
            "R <r@x.org>",
            "a@b.org",
            "-by",
            "é",
        ];
        for line in crate::random_texts(0x7e71_e000_0000_0001, PIECES, 5) {
            // (A key is read after white space too; only a line starting with it is tried.)
            if line.starts_with(|c: char| c.is_ascii_alphabetic())
                && read_review_trailer(&line).is_some()
            {
                assert!(may_be_review_trailer(&line), "{line:?}");
            }
        }
    }

    fn given(text: &str) -> Vec<String> {
        followup_trailers(text)
            .iter()
            .map(|t| format!("{}: {}", t.key, t.value))
            .collect()
    }

    #[test]
    fn b4s_follow_up_rule() {
        let text = "On Mon, A wrote:\n> Reviewed-by: Quoted <q@x.org>\n\n\
                    Reviewed-and-Tested-by: R T <rt@x.org>\n\
                    Co-developed-by: C <c@x.org>\n\
                    Acked-by: Marc Zyngier <maz:kernel.org>\n\
                    Cc: someone@x.org\n\
                    Link: https://lore.kernel.org/r/1@x\n\
                    Reviewed-by: Fake <f@x.org> https://x.org\n\
                    Fixes: 0123456789ab (\"x: y\")\n\
                    Fixes: nothex\n\
                    Note: a sentence with a colon\n\
                    \x20 Tested-by: Indented <i@x.org>\n\
                    -- \nSigned-off-by: Sig <s@x.org>\n";
        assert_eq!(
            given(text),
            vec![
                "Reviewed-and-Tested-by: R T <rt@x.org>",
                "Co-developed-by: C <c@x.org>",
                "Link: https://lore.kernel.org/r/1@x",
                "Fixes: 0123456789ab (\"x: y\")",
                "Tested-by: Indented <i@x.org>",
            ]
        );
    }

    #[test]
    fn values_are_normalised_as_b4_writes_them() {
        assert_eq!(
            given("Reviewed-by: Foo Bar <foo@bar.com<mailto:foo@bar.com>>"),
            vec!["Reviewed-by: Foo Bar <foo@bar.com>"]
        );
        assert_eq!(
            given("Acked-by:   Odd (Name), [x]   <odd@x.org>  "),
            vec!["Acked-by: Odd (Name), [x] <odd@x.org>"]
        );
        assert_eq!(
            given("Acked-by: \"Doe, John\" <j@d.org>"),
            vec!["Acked-by: \"Doe, John\" <j@d.org>"]
        );
        assert_eq!(
            given("Tested-by: bare@x.org"),
            vec!["Tested-by: bare@x.org"]
        );
        assert_eq!(
            given("Acked-by: a@x.org # for the clk part"),
            vec!["Acked-by: a@x.org # for the clk part"]
        );
    }

    #[test]
    fn wrapped_values_are_joined() {
        assert_eq!(
            given("Reviewed-by: A Very Long Name\n<long@x.org>\nnext"),
            vec!["Reviewed-by: A Very Long Name <long@x.org>"]
        );
        assert_eq!(
            given("Fixes: 0123456789ab (\"clk: a very\nlong title\")"),
            vec!["Fixes: 0123456789ab (\"clk: a very long title\")"]
        );
        assert_eq!(
            given("Reviewed-by: A Very Long\n   Name <long@x.org>"),
            vec!["Reviewed-by: A Very Long Name <long@x.org>"]
        );
    }

    #[test]
    fn whose_trailer_it_is() {
        let t = |v: &str| Trailer {
            key: "Reviewed-by".into(),
            value: v.into(),
        };
        assert!(names_sender(&t("R <r@x.org>"), "Someone", "R@X.org"));
        assert!(names_sender(&t("R <r+lkml@x.org>"), "", "r@x.org"));
        assert!(names_sender(&t("R <r@linux.x.org>"), "", "r@x.org"));
        assert!(names_sender(
            &t("Rita Q <r@home.org>"),
            "rita q",
            "r@work.org"
        ));
        assert!(!names_sender(&t("Other <o@x.org>"), "Rita", "r@x.org"));
        assert!(names_sender(&t("Other <o@x.org>"), "Q, Rita", "r@x.org"));
        let link = Trailer {
            key: "Link".into(),
            value: "https://x.org/1".into(),
        };
        assert!(names_sender(&link, "Rita", "r@x.org"));
        // Names and addresses compare as lower-cased copies of them would.
        let words = [
            "Rita",
            "RITA",
            "rita",
            "Rıta",
            "ΟΔΟΣ",
            "οδος",
            "οδοσ",
            "\u{212a}ay",
            "kay",
            "",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    same_lowercase(a, b),
                    a.to_lowercase() == b.to_lowercase(),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn counts_are_wide_and_saturate() {
        let mut counts = TrailerCounts {
            reviewed: u32::MAX - 1,
            ..TrailerCounts::default()
        };
        counts.add(TrailerCounts {
            reviewed: 5,
            acked: 70_000,
            tested: 0,
        });
        assert_eq!(counts.reviewed, u32::MAX);
        assert_eq!(counts.acked, 70_000);
        let both = Trailer {
            key: "Reviewed-and-tested-by".into(),
            value: "x@y.org".into(),
        };
        assert_eq!(
            TrailerCounts::of([&both]),
            TrailerCounts {
                reviewed: 1,
                tested: 1,
                acked: 0
            }
        );
    }

    /// The follow-up reading as it was written, a line at a time (joining lines as the real
    /// one does): the colon search must find the same trailers on every text.
    fn followup_line_by_line(text: &str) -> Vec<Trailer> {
        static SIGNATURE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n-- \n"));
        let text = match SIGNATURE.find(text.as_bytes()) {
            Some(at) => text.get(..at).unwrap_or_default(),
            None => text,
        };
        let mut lines = Cursor::new(text)
            .map(|l| l.text.trim_end_matches('\r'))
            .peekable();
        let mut out = Vec::new();
        while let Some(line) = lines.next() {
            let Some((key, value)) = trailer_shape(line) else {
                continue;
            };
            let next = lines.peek().copied();
            let joined = next.and_then(|next| joined_value(value, next));
            let found = match &joined {
                Some(value) => accept(key, value).inspect(|_| {
                    lines.next();
                }),
                None => None,
            };
            if let Some(t) = found.or_else(|| accept(key, value)) {
                out.push(t);
            }
        }
        out
    }

    #[test]
    fn followup_trailers_found_by_colon_as_line_by_line() {
        const PIECES: &[&str] = &[
            "Reviewed-by: Ann Example <ann@example.org>",
            "Acked-by: Bob",
            "<bob@example.org>",
            "Tested-by: Cy <cy@x.org> # on arm64",
            "  and more",
            "\tindented: too",
            "Fixes: 0123456789ab (\"clk: fix",
            "  the rate\")",
            "Link: https://lore.kernel.org/r/x@y",
            "Closes: https://bugzilla.kernel.org/1",
            "> Reviewed-by: Quoted <q@x.org>",
            "Cc: c@x.org",
            "On Mon, Ann wrote:",
            "no colon here",
            "x:",
            "Signed-off-by: Dee <dee@x.org>",
            "-- ",
            "",
            "\r",
            ":",
            "é: ü <u@x.org>",
            "Acked by: A <a@x.org>",
            "\u{a0}Acked-by: A <a@x.org>",
            "Acked\u{a0}x-by: A <a@x.org>",
            " \tTested-by: T <t@x.org>",
        ];
        // Line endings drawn about as often as the pieces, a quarter of them CRLF.
        let tokens: Vec<&str> = PIECES
            .iter()
            .copied()
            .chain(["\n"; 12])
            .chain(["\r\n"; 4])
            .collect();
        for text in crate::random_texts(0x7e57_c0de_f00d_1234, &tokens, 14) {
            assert_eq!(
                followup_trailers(&text),
                followup_line_by_line(&text),
                "{text:?}"
            );
        }
        // Lines read once and their readings handed out again give the same trailers.
        let mut known: std::collections::HashMap<String, Option<Trailer>> = Default::default();
        for text in crate::random_texts(0x7e57_c0de_f00d_5678, &tokens, 14) {
            let mut lines = |line: &str, read: &mut dyn FnMut() -> Option<Trailer>| {
                known.entry(line.to_string()).or_insert_with(read).clone()
            };
            assert_eq!(
                followup_trailers_with(&text, &mut lines),
                followup_trailers(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn kinds_told_apart_by_length_as_by_the_list() {
        const KINDS: &[(&str, TrailerKind)] = &[
            ("signed-off-by", TrailerKind::SignedOff),
            ("reviewed-by", TrailerKind::Reviewed),
            ("acked-by", TrailerKind::Acked),
            ("tested-by", TrailerKind::Tested),
            ("reported-by", TrailerKind::Reported),
            ("suggested-by", TrailerKind::Suggested),
            ("co-developed-by", TrailerKind::CoDeveloped),
            ("fixes", TrailerKind::Fixes),
            ("link", TrailerKind::Link),
            ("closes", TrailerKind::Link),
            ("cc", TrailerKind::Cc),
        ];
        let by_list = |key: &str| {
            KINDS
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map_or(TrailerKind::Other, |&(_, kind)| kind)
        };
        let mut keys: Vec<String> = Vec::new();
        for (k, _) in KINDS {
            keys.push(k.to_string());
            keys.push(k.to_ascii_uppercase());
            keys.push(format!("{k}s"));
            keys.push(k[1..].to_string());
            keys.push(k.replace('-', "_"));
        }
        keys.extend(
            [
                "Reviewed-By",
                "Reported-and-tested-by",
                "",
                "c",
                "Signed-off-bx",
            ]
            .map(String::from),
        );
        for key in &keys {
            assert_eq!(TrailerKind::of(key), by_list(key), "{key}");
        }
    }

    /// b4's address comparison as it was written, on lower-cased copies.
    fn same_address_on_copies(a: &str, b: &str) -> bool {
        let (a, b) = (a.to_lowercase(), b.to_lowercase());
        if a == b {
            return true;
        }
        if !a.contains('@') || !b.contains('@') {
            return false;
        }
        let untag = |s: &str| -> String {
            match (s.find('+'), s.find('@')) {
                (Some(plus), Some(at)) if plus < at && plus + 1 < at => {
                    format!("{}{}", &s[..plus], &s[at..])
                }
                _ => s.to_string(),
            }
        };
        let (a, b) = (untag(&a), untag(&b));
        if a == b {
            return true;
        }
        let (Some((alocal, adomain)), Some((blocal, bdomain))) =
            (a.split_once('@'), b.split_once('@'))
        else {
            return false;
        };
        alocal == blocal
            && adomain
                .matches('.')
                .count()
                .abs_diff(bdomain.matches('.').count())
                == 1
            && (adomain.ends_with(&format!(".{bdomain}"))
                || bdomain.ends_with(&format!(".{adomain}")))
    }

    #[test]
    fn addresses_compare_as_lower_cased_copies_do() {
        const PIECES: &[&str] = &[
            "r", "R", "+", "++", "@", ".", "x", "X", "org", "linux.", "\u{212a}", "k", "\u{130}",
            "é", "É",
        ];
        let mut next = crate::xorshift(0x5a3e_add2_0000_0042);
        for _ in 0..20_000 {
            let a = crate::random_text(&mut next, PIECES, 8);
            let b = if next() % 3 == 0 {
                a.to_uppercase()
            } else {
                crate::random_text(&mut next, PIECES, 8)
            };
            assert_eq!(
                same_address(&a, &b),
                same_address_on_copies(&a, &b),
                "{a:?} {b:?}"
            );
        }
        assert!(same_address("R+lkml@Linux.X.org", "r@x.org"));
        assert!(!same_address("r@a.b.x.org", "r@x.org"));
    }

    #[test]
    fn links_and_person_found_on_bytes_as_on_chars() {
        const PIECES: &[&str] = &[
            "http", "https", "s", ":", "//", "/", "<mailto:", "<", ">", "@", " ", "a", "é", "#",
            "\u{a0}",
        ];
        // `person` as it was written, searching chars.
        fn person_on_chars(value: &str) -> Option<(&str, &str)> {
            let value = value.trim();
            if let Some(inner) = value.strip_suffix('>') {
                let from = inner.rfind('>').map_or(0, |g| g + 1);
                let open = inner.get(from..)?.find('<')? + from;
                let email = inner.get(open + 1..)?.trim();
                let name = inner.get(..open)?.trim();
                return (!email.is_empty()).then_some((name, email));
            }
            (!value.contains(char::is_whitespace) && value.contains('@')).then_some(("", value))
        }
        for v in crate::random_texts(0x11f0_5c4e_3e00_0007, PIECES, 10) {
            assert_eq!(
                has_web_link(&v),
                v.contains("http://") || v.contains("https://"),
                "{v:?}"
            );
            assert_eq!(has_scheme(&v), v.contains("://"), "{v:?}");
            assert_eq!(
                matches!(strip_mailto(&v), Cow::Owned(_)),
                v.contains("<mailto:"),
                "{v:?}"
            );
            assert_eq!(person(&v), person_on_chars(&v), "{v:?}");
            let comment_on_chars =
                v.rfind('#')
                    .filter(|&hash| hash + 1 < v.len())
                    .is_some_and(|hash| {
                        v[..hash].ends_with(char::is_whitespace) && !v[..hash].trim_end().is_empty()
                    });
            assert_eq!(!split_comment(&v).1.is_empty(), comment_on_chars, "{v:?}");
        }
    }

    #[test]
    fn trailer_shape_on_bytes_as_on_chars() {
        fn on_chars(line: &str) -> Option<(&str, &str)> {
            memchr::memchr(b':', line.as_bytes())?;
            let s = line.trim_start();
            let first = s.chars().next()?;
            if !(first.is_alphanumeric() || first == '_') {
                return None;
            }
            let token_end = s.find(char::is_whitespace)?;
            let key = s.get(..token_end)?.strip_suffix(':')?;
            key.chars().nth(1)?;
            let value = s.get(token_end..)?.trim();
            (!value.is_empty()).then_some((key, value))
        }
        const PIECES: &[&str] = &[
            "Acked-by", "a", ":", " ", "\t", "\u{b}", "\u{c}", "\r", "\u{85}", "\u{a0}", "é", "_",
            ">", "x@y.org",
        ];
        for line in crate::random_texts(0x5a4e_0000_7a11_e125, PIECES, 9) {
            assert_eq!(trailer_shape(&line), on_chars(&line), "{line:?}");
        }
    }

    #[test]
    fn trim_on_bytes_as_on_chars() {
        const PIECES: &[&str] = &[
            " ", "\t", "\u{b}", "\u{c}", "\r", "\n", "\u{85}", "\u{a0}", "\u{3000}", "a", "é",
            "<x@y>",
        ];
        for text in crate::random_texts(0x7219_0000_0000_5eed, PIECES, 8) {
            assert_eq!(trim(&text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn has_address_on_bytes_as_on_chars() {
        fn on_chars(value: &str) -> bool {
            value.split_whitespace().any(|word| {
                let Some(at) = word.get(1..).and_then(|w| w.find('@')).map(|a| a + 1) else {
                    return false;
                };
                word.rfind('.')
                    .is_some_and(|dot| dot > at + 1 && dot + 1 < word.len())
            })
        }
        const PIECES: &[&str] = &[
            "a",
            "@",
            ".",
            " ",
            "\t",
            "\u{b}",
            "\u{c}",
            "\r",
            "\n",
            "<",
            ">",
            "x.org",
            "é",
            "\u{a0}",
            "ann@example.org",
            "#",
        ];
        for value in crate::random_texts(0xadd2_e55e_5000_0001, PIECES, 9) {
            assert_eq!(has_address(&value), on_chars(&value), "{value:?}");
        }
    }
}
