//! File paths as diff headers write them: `a/`/`b/` prefixes (and git's mnemonic `i/`, `w/`,
//! `c/`, `o/`), `--no-prefix` paths, C-quoted names (`"a/t\303\244st"`), timestamps after a tab
//! on `---` lines, `/dev/null`, and quilt's `linux.orig/` vs `linux/` top directories.

use std::borrow::Cow;

/// Whether to drop the first path component, as `git apply -p1` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strip {
    No,
    One,
}

/// A single lowercase letter then `/`: git's `a/`, `b/` and mnemonic prefixes.
pub(crate) fn has_letter_prefix(s: &str) -> bool {
    matches!(s.as_bytes(), [c, b'/', ..] if c.is_ascii_lowercase())
}

/// Drops the first component when `strip` says so.
pub(crate) fn apply_strip(path: &str, strip: Strip) -> &str {
    // The first `/` is nearly always near the start (`a/`): a byte loop finds it sooner than
    // a vector search is set up.
    let rest = path
        .bytes()
        .position(|b| b == b'/')
        .and_then(|slash| path.get(slash + 1..));
    match (strip, rest) {
        (Strip::One, Some(rest)) if !rest.is_empty() => rest,
        _ => path,
    }
}

/// The two paths of a `diff --git <old> <new>` line and whether they carry prefixes.
///
/// Unquoted names with spaces are ambiguous; like git, prefer the split that makes both names
/// equal (the usual non-rename case), then one at ` b/`. Renames are settled later by the
/// `rename from`/`rename to` or `---`/`+++` lines anyway.
pub(crate) fn git_header_paths(rest: &str) -> (Option<Cow<'_, str>>, Option<Cow<'_, str>>, Strip) {
    let (old, new) = split_git_header(rest);
    let strip = if has_letter_prefix(&old) && has_letter_prefix(&new) {
        Strip::One
    } else {
        Strip::No
    };
    (
        Some(strip_cow(old, strip)),
        Some(strip_cow(new, strip)),
        strip,
    )
}

/// [`apply_strip`] on a path borrowed or owned (an owned one has its prefix cut off in place).
pub(crate) fn strip_cow(path: Cow<'_, str>, strip: Strip) -> Cow<'_, str> {
    match path {
        Cow::Borrowed(path) => Cow::Borrowed(apply_strip(path, strip)),
        Cow::Owned(mut path) => {
            if strip == Strip::One
                && let Some(slash) = path.bytes().position(|b| b == b'/')
                && slash + 1 < path.len()
            {
                path.drain(..=slash);
            }
            Cow::Owned(path)
        }
    }
}

fn split_git_header(rest: &str) -> (Cow<'_, str>, Cow<'_, str>) {
    if rest.starts_with('"')
        && let Some((old, after)) = unquote(rest)
    {
        let after = after.strip_prefix(' ').unwrap_or(after);
        return (Cow::Owned(old), unquote_or_raw(after));
    }
    // (A byte search first: nearly no header quotes a name, and the two-byte search costs more.)
    if memchr::memchr(b'"', rest.as_bytes()).is_some()
        && let Some((old, new)) = rest.split_once(" \"")
        && let Some((new, _)) = unquote(rest.get(old.len() + 1..).unwrap_or(new))
    {
        return (Cow::Borrowed(old), Cow::Owned(new));
    }
    let mid = rest.len() / 2;
    if rest.len() % 2 == 1
        && rest.as_bytes().get(mid) == Some(&b' ')
        && let (Some(a), Some(b)) = (rest.get(..mid), rest.get(mid + 1..))
    {
        let same =
            a == b || (has_letter_prefix(a) && has_letter_prefix(b) && a.get(2..) == b.get(2..));
        if same {
            return (Cow::Borrowed(a), Cow::Borrowed(b));
        }
    }
    let split = rest.find(" b/").or_else(|| rest.find(' '));
    match split {
        Some(at) => (
            Cow::Borrowed(rest.get(..at).unwrap_or_default()),
            Cow::Borrowed(rest.get(at + 1..).unwrap_or_default()),
        ),
        None => (Cow::Borrowed(rest), Cow::Borrowed(rest)),
    }
}

/// The path of a `---`/`+++` line (text after the marker): unquoted, cut at the tab that
/// precedes a timestamp or revision; `None` for `/dev/null`.
pub(crate) fn unified_path(raw: &str) -> Option<Cow<'_, str>> {
    let path = if raw.starts_with('"') {
        unquote_or_raw(raw)
    } else {
        let cut = memchr::memchr(b'\t', raw.as_bytes()).map_or(raw, |tab| &raw[..tab]);
        Cow::Borrowed(cut.trim_end())
    };
    (path != "/dev/null").then_some(path)
}

/// How to strip a plain (non-git) diff's paths: `a/x` + `b/x` style prefixes, or a first
/// component that is all that differs (`linux.orig/x` vs `linux/x`).
pub(crate) fn plain_strip(old: Option<&str>, new: Option<&str>) -> Strip {
    let strip = match (old, new) {
        (Some(a), Some(b)) => {
            (has_letter_prefix(a) && has_letter_prefix(b))
                || match (a.split_once('/'), b.split_once('/')) {
                    (Some((da, ra)), Some((db, rb))) => da != db && ra == rb,
                    _ => false,
                }
        }
        (Some(p), None) | (None, Some(p)) => p.starts_with("a/") || p.starts_with("b/"),
        (None, None) => false,
    };
    if strip { Strip::One } else { Strip::No }
}

/// A C-quoted name if `s` starts with one, else `s` without trailing whitespace.
pub(crate) fn unquote_or_raw(s: &str) -> Cow<'_, str> {
    if s.starts_with('"')
        && let Some((name, _)) = unquote(s)
    {
        return Cow::Owned(name);
    }
    Cow::Borrowed(s.trim_end())
}

/// Reads the C-style quoted string at the start of `s` (git's `quote_c_style`): escapes
/// `\n \t \" \\ \a \b \f \r \v` and octal bytes. Returns the name and the rest after the closing
/// quote; `None` if the quote is not closed.
pub(crate) fn unquote(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let rest = body.get(i + 1..)?;
                return Some((String::from_utf8_lossy(&out).into_owned(), rest));
            }
            b'\\' => {
                let esc = *bytes.get(i + 1)?;
                i += 2;
                match esc {
                    b'0'..=b'7' => {
                        let mut value = u32::from(esc - b'0');
                        let mut taken = 0;
                        while taken < 2
                            && let Some(&d @ b'0'..=b'7') = bytes.get(i)
                        {
                            value = value * 8 + u32::from(d - b'0');
                            i += 1;
                            taken += 1;
                        }
                        out.push(u8::try_from(value & 0xff).unwrap_or(b'?'));
                    }
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'a' => out.push(0x07),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'v' => out.push(0x0b),
                    other => out.push(other),
                }
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(rest: &str) -> (String, String) {
        let (a, b, _) = git_header_paths(rest);
        (
            a.unwrap_or_default().into_owned(),
            b.unwrap_or_default().into_owned(),
        )
    }

    #[test]
    fn git_header_with_prefixes_spaces_and_no_prefix() {
        assert_eq!(header("a/x.c b/x.c"), ("x.c".into(), "x.c".into()));
        assert_eq!(
            header("a/my file.c b/my file.c"),
            ("my file.c".into(), "my file.c".into())
        );
        assert_eq!(
            header("pixel.bmp pixel.bmp"),
            ("pixel.bmp".into(), "pixel.bmp".into())
        );
        assert_eq!(header("a/old b/new"), ("old".into(), "new".into()));
        assert_eq!(header("i/x w/x"), ("x".into(), "x".into()));
    }

    #[test]
    fn git_header_with_quoted_paths() {
        assert_eq!(
            header(r#""a/t\303\244st\tx" "b/t\303\244st\tx""#),
            ("täst\tx".into(), "täst\tx".into())
        );
        assert_eq!(
            header(r#"a/plain "b/q\"uote""#),
            ("plain".into(), "q\"uote".into())
        );
    }

    #[test]
    fn unified_paths_drop_timestamps_and_dev_null() {
        assert_eq!(unified_path("a/f.c\t2011-01-01"), Some("a/f.c".into()));
        assert_eq!(unified_path("/dev/null"), None);
        assert_eq!(unified_path("\"a/sp ace\""), Some("a/sp ace".into()));
    }

    #[test]
    fn plain_strip_rules() {
        assert_eq!(plain_strip(Some("a/x"), Some("b/x")), Strip::One);
        assert_eq!(plain_strip(Some("orig/x/y"), Some("new/x/y")), Strip::One);
        assert_eq!(plain_strip(Some("bfd/x"), Some("bfd/x")), Strip::No);
        assert_eq!(plain_strip(None, Some("b/x")), Strip::One);
        assert_eq!(plain_strip(None, Some("linux/x")), Strip::No);
    }

    #[test]
    fn unquote_rejects_unclosed_and_survives_odd_escapes() {
        assert_eq!(unquote("\"abc"), None);
        assert_eq!(unquote("\"a\\"), None);
        assert_eq!(unquote("\"\\777\""), Some(("\u{FFFD}".into(), "")));
        assert_eq!(unquote("\"x\" y"), Some(("x".into(), " y")));
    }
}
