//! The line tests `git mailinfo` applies to the prose of a body: in-body `From:`/`Subject:`/
//! `Date:` headers, scissors lines (`-- >8 --`), the `---` separator, and where a mail ends
//! (the `-- ` signature, a mailing-list footer).

/// Which in-body header a line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InBody {
    From,
    Subject,
    Date,
}

/// `From: x`, `Subject: x` or `Date: x` (name case-insensitive) with its value.
pub(crate) fn in_body_header(line: &str) -> Option<(InBody, &str)> {
    // Most first lines are prose: told apart by their first letter.
    if !matches!(
        line.as_bytes().first(),
        Some(b'f' | b'F' | b's' | b'S' | b'd' | b'D')
    ) {
        return None;
    }
    // The names are short: a colon further in (prose) names none of them.
    let colon = line.bytes().take(8).position(|b| b == b':')?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    let which = if name.eq_ignore_ascii_case("from") {
        InBody::From
    } else if name.eq_ignore_ascii_case("subject") {
        InBody::Subject
    } else if name.eq_ignore_ascii_case("date") {
        InBody::Date
    } else {
        return None;
    };
    Some((which, value.trim()))
}

/// git's `isspace()` on the byte after a keyword, the line's end counting as space.
pub(crate) fn space_follows(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with([' ', '\t', '\r'])
}

/// Where `git mailinfo` ends the commit message (`patchbreak`): a `diff -` or `Index: ` line,
/// `--- ` before a file name, or `---` followed by nothing but white space.
pub(crate) fn is_patchbreak(line: &str) -> bool {
    if line.starts_with("diff -") || line.starts_with("Index: ") {
        return true;
    }
    let Some(rest) = line.strip_prefix("---") else {
        return false;
    };
    let file = rest
        .strip_prefix(' ')
        .is_some_and(|name| !name.is_empty() && !space_follows(name));
    file || rest.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// The envelope line of `git format-patch` (`From <40 hex> Mon Sep 17 00:00:00 2001`), which
/// `git mailinfo` drops when it is quoted (`>From ...`) at the top of a body.
pub(crate) fn is_format_patch_separator(line: &str) -> bool {
    const DATE: &str = " Mon Sep 17 00:00:00 2001";
    line.strip_prefix("From ")
        .and_then(|rest| rest.strip_suffix(DATE))
        .is_some_and(|sha| {
            sha.len() == 40 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
}

/// git's `patchbreak` separator: `---` followed by nothing but whitespace.
pub(crate) fn is_separator(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_whitespace()))
}

/// Where the readable part of a mail ends: the `-- ` signature line, or a mailing-list footer
/// rule of underscores (mailman's `____…`).
pub(crate) fn is_mail_end(line: &str) -> bool {
    line == "-- " || (line.len() >= 20 && line.bytes().all(|b| b == b'_'))
}

/// git mailinfo's scissors line: perforation (`-`, spaces, `>8`/`8<`/`>%`/`%<` marks) that
/// holds a mark, takes more than a third of the line's visible width, and is more than half
/// dashes and marks. git wants 8 visible bytes; `-->8--` (6) is accepted too, as a line of
/// nothing but perforation. Quoted lines never count.
pub(crate) fn is_scissors(line: &str) -> bool {
    let b = line.as_bytes();
    if b.first() == Some(&b'>') || memchr::memchr2(b'8', b'%', b).is_none() || !has_mark(b) {
        return false;
    }
    let (mut scissors, mut gap, mut perforation) = (0usize, 0usize, 0usize);
    let mut in_perforation = false;
    let (mut first, mut last) = (None, None);
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_whitespace() {
            if in_perforation {
                perforation += 1;
                gap += 1;
            }
            i += 1;
            continue;
        }
        last = Some(i);
        first.get_or_insert(i);
        if c == b'-' {
            in_perforation = true;
            perforation += 1;
        } else if is_mark(b.get(i..i + 2)) {
            in_perforation = true;
            perforation += 2;
            scissors += 2;
            last = Some(i + 1);
            i += 1;
        } else {
            in_perforation = false;
        }
        i += 1;
    }
    let visible = match (first, last) {
        (Some(f), Some(l)) => l + 1 - f,
        _ => 0,
    };
    let pure = visible == perforation && gap == 0;
    scissors > 0
        && (8 <= visible || (pure && visible >= 6))
        && visible < perforation * 3
        && gap * 2 < perforation
}

fn is_mark(pair: Option<&[u8]>) -> bool {
    matches!(pair, Some(b">8" | b"8<" | b">%" | b"%<"))
}

fn has_mark(b: &[u8]) -> bool {
    b.windows(2).any(|w| is_mark(Some(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scissors_lines_as_git_reads_them() {
        for yes in [
            "-- >8 --",
            "-->8--",
            "------------------------ >8 ------------------------",
            "-- 8< -- cut here -- 8< --",
            "  --%<--%<--  ",
        ] {
            assert!(is_scissors(yes), "{yes:?}");
        }
        for no in [
            "---",
            ">8",
            "> -- >8 --",
            "I sent 8< of them, see --",
            "--------",
            "a->8 b c d e f g h i j k",
        ] {
            assert!(!is_scissors(no), "{no:?}");
        }
    }

    #[test]
    fn separators_and_mail_ends() {
        assert!(is_separator("---"));
        assert!(is_separator("---  \t"));
        assert!(!is_separator("--- a/x"));
        assert!(!is_separator("----"));
        assert!(is_mail_end("-- "));
        assert!(!is_mail_end("--"));
        assert!(is_mail_end(&"_".repeat(47)));
        assert!(!is_mail_end("____"));
    }

    #[test]
    fn patchbreaks_and_quoted_envelopes() {
        for yes in ["---", "--- ", "---\t", "--- a/x", "diff -u a b", "Index: x"] {
            assert!(is_patchbreak(yes), "{yes:?}");
        }
        for no in ["----", "---x", "---  x", "diff", "Index:x", " ---"] {
            assert!(!is_patchbreak(no), "{no:?}");
        }
        assert!(is_format_patch_separator(
            "From e6807f3efca28b30decfecb1732a56c7db1137ee Mon Sep 17 00:00:00 2001"
        ));
        assert!(!is_format_patch_separator(
            "From E6807f3efca28b30decfecb1732a56c7db1137ee Mon Sep 17 00:00:00 2001"
        ));
        assert!(!is_format_patch_separator(
            "From x Mon Sep 17 00:00:00 2001"
        ));
    }

    #[test]
    fn in_body_headers() {
        assert_eq!(
            in_body_header("From: A U Thor <a@b>"),
            Some((InBody::From, "A U Thor <a@b>"))
        );
        assert_eq!(in_body_header("subject: x"), Some((InBody::Subject, "x")));
        assert_eq!(in_body_header("Date:   Mon"), Some((InBody::Date, "Mon")));
        assert_eq!(in_body_header("Fromage: x"), None);
        assert_eq!(in_body_header("From x"), None);
    }
}
