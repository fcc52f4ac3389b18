//! Word-level changes between a removed line and the added line that replaces it, so the
//! detail pane can mark what changed inside a line instead of the whole line.
//!
//! Lines are cut into tokens (runs of word characters, runs of whitespace, single punctuation
//! characters) and compared with a longest-common-subsequence over tokens, after the common
//! head and tail are set aside. Long lines (over 500 bytes) and lines with little in common
//! are reported as changed as a whole: a scattered word diff of two unrelated lines reads worse
//! than a plain one, and the table would cost too much.

use std::ops::Range;

/// Lines longer than this are marked whole.
const MAX_LINE: usize = 500;

/// Below this share of non-blank bytes in common, the lines are "very different".
const MIN_SIMILARITY: f64 = 0.35;

/// The changed byte ranges of `old` and of `new` (line contents without their `-`/`+`
/// marker). Equal lines give two empty lists; ranges are sorted, disjoint, on char boundaries,
/// and neighbours separated only by whitespace are merged.
pub fn word_diff(old: &str, new: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    if old == new {
        return (Vec::new(), Vec::new());
    }
    if old.len() > MAX_LINE || new.len() > MAX_LINE {
        return whole(old, new);
    }
    let a = tokens(old);
    let b = tokens(new);
    let text_a = |i: usize| a.get(i).and_then(|r| old.get(r.clone()));
    let text_b = |i: usize| b.get(i).and_then(|r| new.get(r.clone()));
    let head = (0..a.len().min(b.len()))
        .take_while(|&i| text_a(i) == text_b(i))
        .count();
    let tail = (0..(a.len() - head).min(b.len() - head))
        .take_while(|&i| text_a(a.len() - 1 - i) == text_b(b.len() - 1 - i))
        .count();
    let (mid_a, mid_b) = (head..a.len() - tail, head..b.len() - tail);
    let (mut keep_a, mut keep_b) = (vec![true; a.len()], vec![true; b.len()]);
    for i in mid_a.clone() {
        keep_a[i] = false;
    }
    for j in mid_b.clone() {
        keep_b[j] = false;
    }
    mark_common(&a, &b, old, new, mid_a, mid_b, &mut keep_a, &mut keep_b);
    let common = |toks: &[Range<usize>], keep: &[bool], text: &str| -> usize {
        toks.iter()
            .zip(keep)
            .filter(|(r, k)| **k && text.get((*r).clone()).is_some_and(|t| !t.trim().is_empty()))
            .map(|(r, _)| r.len())
            .sum()
    };
    let solid = |s: &str| s.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    let shared = common(&a, &keep_a, old) + common(&b, &keep_b, new);
    let total = solid(old) + solid(new);
    if total > 0 && (shared as f64) < MIN_SIMILARITY * total as f64 {
        return whole(old, new);
    }
    (
        changed_ranges(&a, &keep_a, old),
        changed_ranges(&b, &keep_b, new),
    )
}

fn whole(old: &str, new: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let all = |s: &str| {
        if s.is_empty() {
            vec![]
        } else {
            one(0..s.len())
        }
    };
    (all(old), all(new))
}

/// A list of one range (a literal `vec![a..b]` reads like a mistake to clippy).
fn one(range: Range<usize>) -> Vec<Range<usize>> {
    vec![range]
}

/// Cuts a line into word runs, whitespace runs and single other characters.
fn tokens(line: &str) -> Vec<Range<usize>> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut last = Class::Other;
    for (i, c) in line.char_indices() {
        let k = class(c);
        let end = i + c.len_utf8();
        match out.last_mut() {
            Some(r) if k == last && k != Class::Other => r.end = end,
            _ => out.push(i..end),
        }
        last = k;
    }
    out
}

/// Longest common subsequence of the middle tokens; marks the tokens it keeps.
#[allow(clippy::too_many_arguments)]
fn mark_common(
    a: &[Range<usize>],
    b: &[Range<usize>],
    old: &str,
    new: &str,
    mid_a: Range<usize>,
    mid_b: Range<usize>,
    keep_a: &mut [bool],
    keep_b: &mut [bool],
) {
    let (n, m) = (mid_a.len(), mid_b.len());
    if n == 0 || m == 0 {
        return;
    }
    let ta: Vec<&str> = a[mid_a.clone()]
        .iter()
        .map(|r| old.get(r.clone()).unwrap_or_default())
        .collect();
    let tb: Vec<&str> = b[mid_b.clone()]
        .iter()
        .map(|r| new.get(r.clone()).unwrap_or_default())
        .collect();
    // table[i][j]: LCS length of ta[i..] and tb[j..]; lines are at most 500 bytes, so
    // lengths fit u16 and the table is at most ~250k cells.
    let width = m + 1;
    let mut table = vec![0u16; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * width + j] = if ta[i] == tb[j] {
                table[(i + 1) * width + j + 1] + 1
            } else {
                table[(i + 1) * width + j].max(table[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if ta[i] == tb[j] {
            keep_a[mid_a.start + i] = true;
            keep_b[mid_b.start + j] = true;
            i += 1;
            j += 1;
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// Joins runs of changed tokens into ranges, bridging whitespace between two changes.
fn changed_ranges(toks: &[Range<usize>], keep: &[bool], text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    // Only whitespace since the last change: a change now extends the last range.
    let mut bridging = false;
    for (r, &kept) in toks.iter().zip(keep) {
        if !kept {
            match out.last_mut() {
                Some(last) if bridging => last.end = r.end,
                _ => out.push(r.clone()),
            }
            bridging = true;
        } else if !text.get(r.clone()).is_some_and(|t| t.trim().is_empty()) {
            bridging = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<&'a str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn equal_lines_have_no_changes() {
        assert_eq!(word_diff("same", "same"), (vec![], vec![]));
    }

    #[test]
    fn one_changed_word_is_marked_alone() {
        let (o, n) = word_diff(
            "\tvb->vb_flags = VM_IO | VM_PFNMAP;",
            "\tvb->vb_flags = VM_IO | VM_PFNMAP | VM_UNSAFE;",
        );
        assert_eq!(o, vec![]);
        assert_eq!(
            marked("\tvb->vb_flags = VM_IO | VM_PFNMAP | VM_UNSAFE;", &n),
            vec![" | VM_UNSAFE"]
        );
    }

    #[test]
    fn changes_on_both_sides_and_punctuation_tokens() {
        let old = "ret = follow_pfn(vma, start, &pfn);";
        let new = "ret = unsafe_follow_pfn(vma, start, pfn_out);";
        let (o, n) = word_diff(old, new);
        assert_eq!(marked(old, &o), vec!["follow_pfn", "&pfn"]);
        assert_eq!(marked(new, &n), vec!["unsafe_follow_pfn", "pfn_out"]);
    }

    #[test]
    fn changes_separated_by_a_space_are_merged() {
        let old = "static int foo bar(void)";
        let new = "static long baz qux(void)";
        let (o, _) = word_diff(old, new);
        assert_eq!(marked(old, &o), vec!["int foo bar"]);
    }

    #[test]
    fn very_different_or_long_lines_are_marked_whole() {
        let (o, n) = word_diff("completely unrelated", "x = y + z;");
        assert_eq!((o, n), (one(0..20), one(0..10)));
        let long_old = "a ".repeat(300);
        let long_new = format!("{long_old}b");
        let (o, n) = word_diff(&long_old, &long_new);
        assert_eq!((o, n), (one(0..600), one(0..601)));
        assert_eq!(word_diff("", "new"), (vec![], one(0..3)));
    }

    #[test]
    fn multibyte_text_stays_on_char_boundaries() {
        let old = "Cc: Jérôme Glisse <jglisse@redhat.com>";
        let new = "Cc: Jérôme Glissé <jglisse@redhat.com>";
        let (o, n) = word_diff(old, new);
        assert_eq!(marked(old, &o), vec!["Glisse"]);
        assert_eq!(marked(new, &n), vec!["Glissé"]);
    }

    #[test]
    fn random_pairs_never_panic_and_ranges_are_sorted() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let alphabet = ["a", "b", " ", "(", ")", "é", "_", "\t", "x1", ";"];
        for _ in 0..2000 {
            let mut line = || {
                let mut s = String::new();
                for _ in 0..(x % 40) {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    s.push_str(alphabet[(x % alphabet.len() as u64) as usize]);
                }
                s
            };
            let (old, new) = (line(), line());
            let (o, n) = word_diff(&old, &new);
            for (ranges, text) in [(&o, &old), (&n, &new)] {
                for w in ranges.windows(2) {
                    assert!(w[0].end <= w[1].start);
                }
                for r in ranges.iter() {
                    assert!(text.get(r.clone()).is_some(), "{r:?} in {text:?}");
                }
            }
        }
    }
}
