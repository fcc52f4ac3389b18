//! Finding the repository of a pull request: the `git request-pull` text (`The following
//! changes since commit …` / `are available in the Git repository at:` / `  URL branch`), or the
//! older one-line `git pull URL branch`.
//!
//! The result is `URL branch` with whitespace runs collapsed, as patchwork's `parse_pull_request`
//! gives it; a URL and branch wrapped onto two lines are joined with one space.

use super::lines::{is_blank, lines};

const SINCE: &str = "the following changes since commit";
const AVAILABLE: &str = "are available in the git repository at:";

/// The `URL branch` a pull request asks to pull, if `text` holds one. Quoted (`>`) lines are
/// never read: a reply quoting a pull request does not become one.
pub(crate) fn find(text: &str) -> Option<String> {
    let mut since = false;
    let mut lines = lines(text).filter(|l| !l.starts_with('>')).peekable();
    let mut old_form = None;
    while let Some(line) = lines.next() {
        if !since {
            since = starts_with_ignore_case(line, SINCE);
            if old_form.is_none() {
                old_form = git_pull_line(line);
            }
            continue;
        }
        if !starts_with_ignore_case(line, AVAILABLE) {
            continue;
        }
        while lines.next_if(|l| is_blank(l)).is_some() {}
        let url_line = lines.next()?;
        let mut words: Vec<&str> = url_line.split_whitespace().collect();
        if let Some(last) = words.last_mut() {
            *last = last.trim_end_matches('\\');
        }
        words.retain(|w| !w.is_empty());
        if !words.first().is_some_and(|w| is_url(w)) {
            return old_form;
        }
        if words.len() == 1
            && let Some(wrapped) = lines.peek().and_then(|l| wrapped_ref(l))
        {
            words.push(wrapped);
        }
        return Some(words.join(" "));
    }
    old_form
}

/// Whether [`find`] can start from `line`: the first line of the request-pull text, or a
/// `git pull` line. A text without one has no pull request.
pub(crate) fn is_start(line: &str) -> bool {
    match line.as_bytes() {
        // Only the request-pull text can start with a letter `t`: tried on two of its bytes
        // first (most such lines are prose: `The ...`, `This ...`).
        [b't' | b'T', b'h' | b'H', _, _, b'f' | b'F', ..] => {
            return starts_with_ignore_case(line, SINCE);
        }
        [b't' | b'T', ..] => return false,
        _ => {}
    }
    // `git pull` after white space: ASCII white space skipped on bytes, any other on chars.
    let ascii_space = line
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    match line.get(ascii_space..) {
        Some(rest) if rest.bytes().next().is_none_or(|b| b.is_ascii()) => {
            rest.starts_with("git pull ")
        }
        _ => line.trim_start().starts_with("git pull "),
    }
}

/// The branch or tag of a URL line that the mailer wrapped: a single word on the next line.
fn wrapped_ref(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let word = words.next()?;
    let plausible = word
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b));
    (words.next().is_none() && plausible).then_some(word)
}

/// `git pull git://host/repo.git branch` on a line of its own.
fn git_pull_line(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix("git pull ")?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() || words.len() > 2 || !words.first().is_some_and(|w| is_url(w)) {
        return None;
    }
    Some(words.join(" "))
}

/// `scheme://…` (git, ssh, git+ssh, http, https, …) or scp-like `user@host:path`.
fn is_url(word: &str) -> bool {
    let scheme_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-')
    };
    if let Some((scheme, rest)) = word.split_once("://") {
        return scheme_ok(scheme) && !rest.is_empty();
    }
    match word.split_once('@') {
        Some((user, host)) => scheme_ok(user) && host.contains(':'),
        None => false,
    }
}

fn starts_with_ignore_case(line: &str, prefix: &str) -> bool {
    line.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "The following changes since commit abc:\n\n  Linux 5.5-rc1 (2019)\n\n";

    #[test]
    fn starts_told_on_bytes_as_on_chars() {
        const PIECES: &[&str] = &[
            " ",
            "\t",
            "\u{b}",
            "\u{a0}",
            "\u{85}",
            "\u{3000}",
            "git pull ",
            "git",
            "x",
            "é",
            "The following changes since commit",
            "THE FOLLOWING CHANGES SINCE COMMIT",
            "The ",
            "t",
            "following",
        ];
        for line in crate::random_texts(0x9117_0000_0000_0001, PIECES, 5) {
            let on_chars =
                starts_with_ignore_case(&line, SINCE) || line.trim_start().starts_with("git pull ");
            assert_eq!(is_start(&line), on_chars, "{line:?}");
        }
    }

    #[test]
    fn url_and_branch_on_one_line() {
        let text = format!(
            "{HEAD}are available in the Git repository at:\n\n  git://git.kernel.org/a.git tags/x-for-5.6   \n\nfor you to fetch"
        );
        assert_eq!(
            find(&text).as_deref(),
            Some("git://git.kernel.org/a.git tags/x-for-5.6")
        );
    }

    #[test]
    fn wrapped_branch_is_joined_but_fetch_line_is_not() {
        let text = format!(
            "{HEAD}are available in the Git repository at:\n\n  https://git.kernel.org/linux.git/\ntags/v5.4-next-soc\n"
        );
        assert_eq!(
            find(&text).as_deref(),
            Some("https://git.kernel.org/linux.git/ tags/v5.4-next-soc")
        );
        let text = format!(
            "{HEAD}are available in the Git repository at:\n\n  git://host/net \n\nfor you to fetch changes up to x:\n"
        );
        assert_eq!(find(&text).as_deref(), Some("git://host/net"));
    }

    #[test]
    fn schemes_and_the_old_form() {
        for url in [
            "ssh://h/r.git",
            "git+ssh://h/r.git",
            "http://h/r",
            "git@github.com:o/r.git",
        ] {
            let text = format!("{HEAD}are available in the git repository at:\n  {url} next\n");
            assert_eq!(find(&text), Some(format!("{url} next")));
        }
        assert_eq!(
            find("Please pull:\n\n  git pull git://h/r.git for-linus\n").as_deref(),
            Some("git://h/r.git for-linus")
        );
        assert_eq!(find("just run git pull in your tree\n"), None);
    }

    #[test]
    fn quoted_and_incomplete_requests_give_nothing() {
        let quoted = format!("> {}", HEAD.replace('\n', "\n> "))
            + "> are available in the git repository at:\n>   git://h/r.git x\n";
        assert_eq!(find(&quoted), None);
        assert_eq!(find(HEAD), None);
        let no_url = format!("{HEAD}are available in the git repository at:\n\n  somewhere\n");
        assert_eq!(find(&no_url), None);
    }
}
