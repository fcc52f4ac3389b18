//! Reading the diff part of a body into [`FileDiff`]s: `git diff` headers (renames, copies,
//! modes, new and deleted files, `GIT binary patch`), plain `---`/`+++` unified diffs and CVS/SVN
//! `Index:` diffs.
//!
//! Hunk bodies are read by [`super::hunk`], by their counts; nothing per line is stored.

use std::borrow::Cow;

use super::hunk::{parse_hunk_header, read_hunk_body};
use super::lines::{Cursor, Line};
use super::paths::{self, Strip};
use crate::model::diff::{FileDiff, FileStatus};

/// True when `line` (followed by `next`) opens a diff: `diff -…`, `Index: ` followed by its
/// `====` rule, or a `--- ` line followed by `+++ `.
pub(crate) fn starts_diff(line: &str, next: Option<&str>) -> bool {
    match line.as_bytes().first() {
        Some(b'd') => line.starts_with("diff -"),
        Some(b'I') => line.starts_with("Index: ") && next.is_some_and(index_follower),
        Some(b'-') => line.starts_with("--- ") && next.is_some_and(|n| n.starts_with("+++ ")),
        _ => false,
    }
}

fn index_follower(next: &str) -> bool {
    next.starts_with("====") || next.starts_with("--- ") || next.starts_with("diff ")
}

/// The file being read, with what its header said so far. Its paths and modes are kept as
/// slices of the body where they can be: a summary never copies them.
struct Pending<'a> {
    file: Read<'a>,
    /// The text after `diff --git `, not split into its two paths yet: the `---`/`+++` lines
    /// nearly always give the same paths, and then it never is (see [`Pending::minus_plus`]).
    header: Option<&'a str>,
    /// Opened by `diff --git`: its `---`/`+++` lines use the header's prefix rule.
    git: bool,
    /// Opened by `Index: path`: that path wins over the `---`/`+++` lines (which carry revisions).
    from_index: bool,
    strip: Strip,
    /// No hunk yet: extended header lines are still expected.
    in_header: bool,
    /// Hunks were read but, for a summary, not kept: the file is more than a mode change.
    unkept_hunks: bool,
    seen_minus: bool,
    new_file: bool,
    deleted: bool,
    renamed: bool,
    copied: bool,
}

impl<'a> Pending<'a> {
    fn new(start_line: usize) -> Self {
        Pending {
            file: Read {
                old_path: None,
                new_path: None,
                old_mode: None,
                new_mode: None,
                diff: FileDiff {
                    start_line,
                    end_line: start_line,
                    ..FileDiff::default()
                },
            },
            header: None,
            git: false,
            from_index: false,
            strip: Strip::No,
            in_header: true,
            unkept_hunks: false,
            seen_minus: false,
            new_file: false,
            deleted: false,
            renamed: false,
            copied: false,
        }
    }

    fn git(rest: &'a str, start_line: usize) -> Self {
        let mut p = Pending::new(start_line);
        p.git = true;
        p.header = Some(rest);
        p
    }

    /// Splits the `diff --git` header, if not done yet: its prefix rule, and its paths where no
    /// later line gave one (every later line that gives a path gives one, never none).
    fn split_header(&mut self) {
        let Some(rest) = self.header.take() else {
            return;
        };
        let (old, new, strip) = paths::git_header_paths(rest);
        self.strip = strip;
        if self.file.old_path.is_none() {
            self.file.old_path = old;
        }
        if self.file.new_path.is_none() {
            self.file.new_path = new;
        }
    }

    fn index(path: &'a str, start_line: usize) -> Self {
        let mut p = Pending::new(start_line);
        p.from_index = true;
        let path = path.trim();
        p.file.old_path = Some(Cow::Borrowed(path));
        p.file.new_path = Some(Cow::Borrowed(path));
        p
    }

    /// Takes the `--- old` / `+++ new` pair.
    fn minus_plus(&mut self, minus: &'a str, plus: &'a str) {
        self.seen_minus = true;
        if let Some(rest) = self.header
            && let Some(path) = repeated_path(rest, minus, plus)
        {
            // The lines repeat the header as git writes it: the header splits into them, with
            // prefixes to strip, and both its paths are replaced by theirs, one path.
            self.header = None;
            self.strip = Strip::One;
            self.file.old_path = Some(Cow::Borrowed(path));
            self.file.new_path = Some(Cow::Borrowed(path));
            return;
        }
        let old = paths::unified_path(minus);
        let new = paths::unified_path(plus);
        self.new_file |= old.is_none();
        self.deleted |= new.is_none();
        if self.from_index {
            return;
        }
        let strip = if self.git {
            self.split_header();
            self.strip
        } else {
            paths::plain_strip(old.as_deref(), new.as_deref())
        };
        if let Some(old) = old {
            self.file.old_path = Some(paths::strip_cow(old, strip));
        }
        if let Some(new) = new {
            self.file.new_path = Some(paths::strip_cow(new, strip));
        }
    }

    /// Takes one extended header line (`old mode`, `rename from`, `index`, `RCS file:` ...);
    /// false when `t` is none.
    fn header_line(&mut self, t: &'a str) -> bool {
        if let Some(mode) = t.strip_prefix("new file mode ") {
            self.new_file = true;
            self.file.new_mode = Some(mode.trim());
        } else if let Some(mode) = t.strip_prefix("deleted file mode ") {
            self.deleted = true;
            self.file.old_mode = Some(mode.trim());
        } else if let Some(mode) = t.strip_prefix("old mode ") {
            self.file.old_mode = Some(mode.trim());
        } else if let Some(mode) = t.strip_prefix("new mode ") {
            self.file.new_mode = Some(mode.trim());
        } else if let Some(path) = strip_either(t, "rename from ", "rename old ") {
            self.renamed = true;
            self.file.old_path = Some(paths::unquote_or_raw(path));
        } else if let Some(path) = strip_either(t, "rename to ", "rename new ") {
            self.renamed = true;
            self.file.new_path = Some(paths::unquote_or_raw(path));
        } else if let Some(path) = t.strip_prefix("copy from ") {
            self.copied = true;
            self.file.old_path = Some(paths::unquote_or_raw(path));
        } else if let Some(path) = t.strip_prefix("copy to ") {
            self.copied = true;
            self.file.new_path = Some(paths::unquote_or_raw(path));
        } else if let Some(rest) = t.strip_prefix("Binary files ") {
            self.binary_files(rest);
        } else {
            return [
                "index ",
                "similarity index ",
                "dissimilarity index ",
                "====",
                "RCS file: ",
                "retrieving revision ",
            ]
            .iter()
            .any(|p| t.starts_with(p));
        }
        true
    }

    /// `Binary files a/x and b/y differ`.
    fn binary_files(&mut self, rest: &'a str) {
        self.file.diff.binary = true;
        let rest = rest.strip_suffix(" differ").unwrap_or(rest);
        let Some((old, new)) = rest.split_once(" and ") else {
            return;
        };
        let old = (old != "/dev/null").then_some(old);
        let new = (new != "/dev/null").then_some(new);
        self.new_file |= old.is_none();
        self.deleted |= new.is_none();
        if !self.git && !self.from_index && !self.seen_minus {
            let strip = paths::plain_strip(old, new);
            self.file.old_path = old.map(|p| Cow::Borrowed(paths::apply_strip(p, strip)));
            self.file.new_path = new.map(|p| Cow::Borrowed(paths::apply_strip(p, strip)));
        }
    }

    fn finish(mut self, end_line: usize, files: &mut impl Files<'a>) {
        self.split_header();
        let f = &mut self.file;
        f.diff.end_line = end_line;
        f.diff.status = if self.renamed {
            FileStatus::Renamed
        } else if self.copied {
            FileStatus::Copied
        } else if self.new_file {
            FileStatus::Added
        } else if self.deleted {
            FileStatus::Deleted
        } else if f.old_mode.is_some()
            && f.new_mode.is_some()
            && f.diff.hunks.is_empty()
            && !self.unkept_hunks
            && !f.diff.binary
        {
            FileStatus::ModeChange
        } else {
            FileStatus::Modified
        };
        match f.diff.status {
            FileStatus::Added => f.old_path = None,
            FileStatus::Deleted => f.new_path = None,
            _ => {}
        }
        files.push(self.file);
    }
}

/// The one path `---`/`+++` lines reading `minus` and `plus` give when they repeat the
/// `diff --git` header `rest` as git writes it (`a/x b/x`, then `a/x` and `b/x`): unquoted
/// names of one length without tabs, one letter's prefix each and the same after it. Such a
/// header splits into exactly those two ([`paths::git_header_paths`] splits it at its middle),
/// with prefixes to strip, and the lines' paths stripped are one.
fn repeated_path<'a>(rest: &str, minus: &'a str, plus: &str) -> Option<&'a str> {
    let len = minus.len();
    let repeats = plus.len() == len
        && rest.len() == 2 * len + 1
        && paths::has_letter_prefix(minus)
        && paths::has_letter_prefix(plus)
        && rest.as_bytes().get(len) == Some(&b' ')
        && rest.get(..len) == Some(minus)
        && rest.get(len + 1..) == Some(plus)
        && minus.get(2..) == plus.get(2..)
        && memchr::memchr2(b'"', b'\t', minus.as_bytes()).is_none();
    // (Without a tab or a quote, a line's path is its text without trailing white space.)
    let path = minus.trim_end().get(2..)?;
    (repeats && !path.is_empty()).then_some(path)
}

fn strip_either<'a>(t: &'a str, a: &str, b: &str) -> Option<&'a str> {
    t.strip_prefix(a).or_else(|| t.strip_prefix(b))
}

/// One file as [`read`] read it, its paths and modes slices of the body where they can be.
pub(crate) struct Read<'a> {
    pub old_path: Option<Cow<'a, str>>,
    pub new_path: Option<Cow<'a, str>>,
    pub old_mode: Option<&'a str>,
    pub new_mode: Option<&'a str>,
    /// The rest of the file; its paths and modes, the fields above, left empty. Its hunks are
    /// empty where they are not kept ([`Files::HUNKS`]).
    pub diff: FileDiff,
}

/// Where [`read`] puts the files it reads, and so which parts of them it keeps.
pub(crate) trait Files<'a> {
    /// Whether the hunks are kept, not only counted.
    const HUNKS: bool;
    /// Takes one file read.
    fn push(&mut self, file: Read<'a>);
}

/// Every file with its paths and hunks: a message being read.
impl<'a> Files<'a> for Vec<FileDiff> {
    const HUNKS: bool = true;

    fn push(&mut self, file: Read<'a>) {
        self.push(FileDiff {
            old_path: file.old_path.map(Cow::into_owned),
            new_path: file.new_path.map(Cow::into_owned),
            old_mode: file.old_mode.map(str::to_string),
            new_mode: file.new_mode.map(str::to_string),
            ..file.diff
        });
    }
}

/// A file as a summary needs it: the path it is known by ([`FileDiff::path`]) and its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Counted<'a> {
    pub path: Cow<'a, str>,
    pub added: u32,
    pub removed: u32,
    pub binary: bool,
}

/// Every file with its path and counts, no hunks: the summary made for every message of an
/// archive at load.
impl<'a> Files<'a> for Vec<Counted<'a>> {
    const HUNKS: bool = false;

    fn push(&mut self, file: Read<'a>) {
        if self.capacity() == 0 {
            // Made at once at a size most patches fit: growing from nothing takes the slow
            // way through the allocator, on half the messages of a list.
            *self = Vec::with_capacity(4);
        }
        self.push(Counted {
            path: file.new_path.or(file.old_path).unwrap_or(Cow::Borrowed("")),
            added: file.diff.added,
            removed: file.diff.removed,
            binary: file.diff.binary,
        });
    }
}

/// Reads diff lines from `cursor` into `files` until a line that is not part of a diff (left
/// unread). Line numbers are counted from line index `base`.
#[inline(always)]
pub(crate) fn read<'a, F: Files<'a>>(cursor: &mut Cursor<'a>, base: usize, files: &mut F) {
    let mut pending: Option<Pending<'a>> = None;
    let rel = |line: &Line<'_>| line.index.saturating_sub(base);
    fn close<'a>(pending: &mut Option<Pending<'a>>, files: &mut impl Files<'a>, end: usize) {
        if let Some(p) = pending.take() {
            p.finish(end, files);
        }
    }
    while let Some(line) = cursor.peek() {
        let t = line.text;
        let at = rel(&line);
        if let Some(rest) = t.strip_prefix("diff --git ") {
            close(&mut pending, files, at);
            pending = Some(Pending::git(rest, at));
            cursor.advance(line);
            continue;
        }
        if t.starts_with("diff -") {
            // CVS writes its own `diff -u -p -r1.2 x` line inside an `Index:` header.
            let inside_index = pending
                .as_ref()
                .is_some_and(|p| p.from_index && p.in_header && !p.seen_minus);
            if !inside_index {
                close(&mut pending, files, at);
                pending = Some(Pending::new(at));
            }
            cursor.advance(line);
            continue;
        }
        let next = || cursor.peek_after(line);
        if let Some(path) = t.strip_prefix("Index: ")
            && next().is_some_and(|n| index_follower(n.text))
        {
            close(&mut pending, files, at);
            pending = Some(Pending::index(path, at));
            cursor.advance(line);
            continue;
        }
        if let Some(minus) = t.strip_prefix("--- ")
            && let Some(plus_line) = next().filter(|n| n.text.starts_with("+++ "))
        {
            let attach = pending
                .as_ref()
                .is_some_and(|p| p.in_header && !p.seen_minus);
            if !attach {
                close(&mut pending, files, at);
            }
            let p = pending.get_or_insert_with(|| Pending::new(at));
            p.minus_plus(minus, plus_line.text.get(4..).unwrap_or_default());
            cursor.advance(plus_line);
            continue;
        }
        let Some(p) = pending.as_mut() else {
            break;
        };
        if t.starts_with("@@ -")
            && let Some((mut hunk, section)) = parse_hunk_header(t)
        {
            hunk.start_line = at;
            cursor.advance(line);
            let (added, removed) = read_hunk_body(cursor, &mut hunk);
            p.file.diff.added = p.file.diff.added.saturating_add(added);
            p.file.diff.removed = p.file.diff.removed.saturating_add(removed);
            if F::HUNKS {
                hunk.section = section.to_string();
                p.file.diff.hunks.push(hunk);
            } else {
                p.unkept_hunks = true;
            }
            p.in_header = false;
            continue;
        }
        if p.in_header && t == "GIT binary patch" {
            p.file.diff.binary = true;
            cursor.advance(line);
            read_binary_blocks(cursor);
            continue;
        }
        if p.in_header && p.header_line(t) {
            cursor.advance(line);
            continue;
        }
        break;
    }
    let end = cursor.index().saturating_sub(base);
    close(&mut pending, files, end);
}

/// Consumes the `literal N` / `delta N` blocks after `GIT binary patch`: each is base85 lines
/// ended by a blank line.
fn read_binary_blocks(cursor: &mut Cursor<'_>) {
    while let Some(line) = cursor
        .peek()
        .filter(|l| l.text.starts_with("literal ") || l.text.starts_with("delta "))
    {
        cursor.advance(line);
        while let Some(line) = cursor.peek() {
            let t = line.text;
            if t.starts_with("diff ") || t == "-- " {
                return;
            }
            cursor.advance(line);
            if t.is_empty() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<FileDiff>, usize) {
        let mut cursor = Cursor::new(text);
        let mut files: Vec<FileDiff> = Vec::new();
        read(&mut cursor, 0, &mut files);
        // The load's reading counts the same files, to the same line, without their hunks.
        let mut counts_cursor = Cursor::new(text);
        let mut counted: Vec<Counted<'_>> = Vec::new();
        read(&mut counts_cursor, 0, &mut counted);
        let as_counted: Vec<Counted<'_>> = files
            .iter()
            .map(|f| Counted {
                path: Cow::Owned(f.path().to_string()),
                added: f.added,
                removed: f.removed,
                binary: f.binary,
            })
            .collect();
        assert_eq!(counted, as_counted);
        assert_eq!(counts_cursor.index(), cursor.index());
        (files, cursor.index())
    }

    #[test]
    fn git_diff_with_two_hunks_counts_lines() {
        let text = "diff --git a/x.c b/x.c\nindex 1..2 100644\n--- a/x.c\n+++ b/x.c\n\
                    @@ -1,3 +1,3 @@ int main(void)\n a\n-b\n+c\n d\n@@ -10 +10,2 @@\n-e\n+f\n+g\n";
        let (files, read) = parse(text);
        assert_eq!(read, 13);
        assert_eq!(files.len(), 1);
        let f = &files[0];
        assert_eq!(f.old_path.as_deref(), Some("x.c"));
        assert_eq!(f.new_path.as_deref(), Some("x.c"));
        assert_eq!((f.added, f.removed), (3, 2));
        assert_eq!(f.status, FileStatus::Modified);
        assert_eq!(f.hunks.len(), 2);
        assert_eq!(f.hunks[0].section, "int main(void)");
        assert_eq!((f.hunks[0].start_line, f.hunks[0].line_count), (4, 4));
        assert_eq!((f.hunks[1].old_start, f.hunks[1].old_len), (10, 1));
        assert_eq!((f.hunks[1].new_len, f.hunks[1].start_line), (2, 9));
        assert_eq!((f.start_line, f.end_line), (0, 13));
    }

    #[test]
    fn removed_line_that_looks_like_a_header_stays_in_the_hunk() {
        let text = "--- a/f\n+++ b/f\n@@ -1,2 +1,1 @@\n--- a/g\n-- \n+x\n-- \n2.30\n";
        let (files, read) = parse(text);
        assert_eq!(files.len(), 1);
        assert_eq!((files[0].added, files[0].removed), (1, 2));
        assert_eq!(read, 6, "stops at the signature after the hunk");
    }

    #[test]
    fn no_newline_markers_belong_to_the_hunk() {
        let text = "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n\nprose";
        let (files, read) = parse(text);
        assert_eq!(files[0].hunks[0].no_newline, 2);
        assert_eq!(files[0].hunks[0].line_count, 4);
        assert_eq!(read, 8);
    }

    #[test]
    fn rename_copy_mode_new_and_deleted_statuses() {
        let text = "diff --git a/old name.c b/new name.c\nsimilarity index 90%\n\
                    rename from old name.c\nrename to new name.c\n\
                    diff --git a/s b/t\ncopy from s\ncopy to t\n\
                    diff --git a/m.sh b/m.sh\nold mode 100644\nnew mode 100755\n\
                    diff --git a/n b/n\nnew file mode 100644\nindex 0000000..e69de29\n\
                    diff --git a/d b/d\ndeleted file mode 100644\n--- a/d\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n";
        let (files, _) = parse(text);
        let got: Vec<_> = files
            .iter()
            .map(|f| (f.status, f.old_path.as_deref(), f.new_path.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (FileStatus::Renamed, Some("old name.c"), Some("new name.c")),
                (FileStatus::Copied, Some("s"), Some("t")),
                (FileStatus::ModeChange, Some("m.sh"), Some("m.sh")),
                (FileStatus::Added, None, Some("n")),
                (FileStatus::Deleted, Some("d"), None),
            ]
        );
        assert_eq!(files[2].old_mode.as_deref(), Some("100644"));
        assert_eq!(files[2].new_mode.as_deref(), Some("100755"));
        assert_eq!(files[3].new_mode.as_deref(), Some("100644"));
        assert_eq!(files[4].removed, 1);
    }

    #[test]
    fn git_binary_patch_blocks_are_not_lines() {
        let text = "diff --git a/p.bmp b/p.bmp\nnew file mode 100644\nindex 0..9\nGIT binary patch\n\
                    literal 142\nzcmZ?r?PGv|E+AC{#Eft\nCeh3`^\n\nliteral 0\nHcmV?d00001\n\n\
                    diff --git a/q b/q\nBinary files a/q and b/q differ\n-- \n2.35\n";
        let (files, read) = parse(text);
        assert_eq!(files.len(), 2);
        assert!(files[0].binary && files[1].binary);
        assert_eq!(files[0].status, FileStatus::Added);
        assert_eq!((files[0].added, files[0].removed), (0, 0));
        assert_eq!(files[1].status, FileStatus::Modified);
        assert_eq!(read, 13);
    }

    #[test]
    fn plain_unified_diff_strips_a_b_and_timestamps() {
        let text = "--- a/dir/f.c\t2011-01-01 00:00:00\n+++ b/dir/f.c\t2011-01-02\n@@ -1 +1 @@\n-a\n+b\n\
                    --- linux.orig/g.c\n+++ linux/g.c\n@@ -2,0 +3 @@\n+c\n\
                    --- /dev/null\n+++ new.c\n@@ -0,0 +1 @@\n+n\n";
        let (files, _) = parse(text);
        let paths: Vec<_> = files.iter().map(|f| f.path()).collect();
        assert_eq!(paths, vec!["dir/f.c", "g.c", "new.c"]);
        assert_eq!(files[2].status, FileStatus::Added);
        assert_eq!(files[1].hunks[0].old_len, 0);
    }

    #[test]
    fn cvs_index_diff_keeps_the_index_path() {
        let text = "Index: bfd/elf-bfd.h\n=====\nRCS file: /cvs/src/bfd/elf-bfd.h,v\n\
                    retrieving revision 1.329\ndiff -u -p -r1.329 elf-bfd.h\n\
                    --- bfd/elf-bfd.h\t17 Aug 2011\n+++ bfd/elf-bfd.h\t5 Dec 2011\n\
                    @@ -1,2 +1,3 @@\n a\n+b\n c\nIndex: bfd/x.c\n=====\n--- bfd/x.c\n+++ bfd/x.c\n@@ -1 +1 @@\n-y\n+z\n\n";
        let (files, read) = parse(text);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].path(), "bfd/elf-bfd.h");
        assert_eq!(files[1].path(), "bfd/x.c");
        assert_eq!(files[0].added, 1);
        assert_eq!(read, 18);
    }

    #[test]
    fn damaged_hunk_count_stops_at_prose() {
        let text = "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n a\n-b\n+c\nThanks for looking\n";
        let (files, read) = parse(text);
        assert_eq!(files[0].hunks[0].line_count, 3);
        assert_eq!(read, 6);
    }

    #[test]
    fn lines_repeating_the_header_read_as_the_header_split() {
        const PIECES: &[&str] = &[
            "a/", "b/", "c", "x", " ", "\"", "/", "\\", "\t", "é", "A/", "|",
        ];
        let mut repeated = 0;
        for text in crate::random_texts(0x9e7d_0000_0000_0001, PIECES, 8) {
            let Some((minus, plus)) = text.split_once('|') else {
                continue;
            };
            // As written, and with the second line the first one's under another prefix.
            let other = format!("b/{}", minus.get(2..).unwrap_or_default());
            for plus in [plus, other.as_str()] {
                let rest = format!("{minus} {plus}");
                repeated += usize::from(repeated_path(&rest, minus, plus).is_some());
                let mut lazy = Pending::git(&rest, 0);
                lazy.minus_plus(minus, plus);
                lazy.split_header();
                // The header split first, then replaced where the lines name a file.
                let (old, new, strip) = paths::git_header_paths(&rest);
                let (minus_path, plus_path) =
                    (paths::unified_path(minus), paths::unified_path(plus));
                let want = (
                    minus_path.is_none(),
                    plus_path.is_none(),
                    minus_path.map(|p| paths::strip_cow(p, strip)).or(old),
                    plus_path.map(|p| paths::strip_cow(p, strip)).or(new),
                );
                let got = (
                    lazy.new_file,
                    lazy.deleted,
                    lazy.file.old_path,
                    lazy.file.new_path,
                );
                assert_eq!(got, want, "{rest:?}");
            }
        }
        assert!(repeated > 200, "{repeated}");
    }

    #[test]
    fn starts_diff_needs_the_second_line() {
        assert!(starts_diff("diff --git a/x b/x", None));
        assert!(starts_diff("--- a/x", Some("+++ b/x")));
        assert!(!starts_diff("--- a/x", Some("some text")));
        assert!(!starts_diff("---", Some("+++ b/x")));
        assert!(starts_diff("Index: x", Some("=====")));
        assert!(!starts_diff("Index: x", Some("is a book")));
        assert!(!starts_diff("> diff --git a/x b/x", None));
    }
}
