//! How a mistake in a file the user wrote is told: the line it is on, and "did you mean …",
//! the known name closest to a misspelt one, so an error points at the fix
//! (`config.toml:12: unknown action "selct_next" (did you mean "select_next"?)`).

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    memchr::memchr_iter(b'\n', before).count() + 1
}

/// The candidate nearest to `wrong` by edit distance, when it is near enough to be a typo:
/// at most a third of the word's length, and never more than 3 edits.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong = wrong.to_ascii_lowercase();
    let limit = (wrong.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (distance(&wrong, &c.to_ascii_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// A ` (did you mean "x"?)` suffix, or nothing.
pub fn hint<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(wrong, candidates).map_or_else(String::new, |c| format!(" (did you mean \"{c}\"?)"))
}

/// Edit distance counting a swap of two neighbours as one edit (optimal string alignment),
/// since `qiut` is one slip of the fingers from `quit`. Names are short, so a full table is
/// cheap.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut table = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        table[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        table[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[at(i - 1, j)] + 1)
                .min(table[at(i, j - 1)] + 1)
                .min(table[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[at(i - 2, j - 2)] + 1);
            }
            table[at(i, j)] = best;
        }
    }
    table[at(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        let names = ["select_next", "select_prev", "quit", "page_down"];
        assert_eq!(closest("selct_next", names), Some("select_next"));
        assert_eq!(closest("QUIT", names), Some("quit"));
        assert_eq!(closest("qiut", names), Some("quit"));
        assert_eq!(closest("fly_away", names), None);
        assert_eq!(hint("pagedown", names), " (did you mean \"page_down\"?)");
        assert_eq!(hint("zzz", names), "");
    }

    #[test]
    fn distances() {
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("é", "e"), 1);
        assert_eq!(distance("qiut", "quit"), 1);
    }
}
