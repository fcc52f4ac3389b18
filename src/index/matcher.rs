//! One text term compiled for fast testing: folded once, with its search routine chosen.
//!
//! The test runs millions of times a keystroke, so it is made of `memchr` calls: a fuzzy term
//! first looks for its rarest byte anywhere (most haystacks fail right there), then finds its
//! chars in order with successive `memchr`; a substring term uses a prebuilt `memmem` finder.
//! No allocation happens per test.

use memchr::{memchr, memmem};

use super::fold::{fold, is_case_sensitive};
use super::query::Mode;

/// A compiled text term.
#[derive(Debug, Clone)]
pub struct TextMatcher {
    pub mode: Mode,
    /// Smart case: the term holds an uppercase letter and is matched against text as written.
    pub case_sensitive: bool,
    /// The term as matched: folded unless case-sensitive. Never empty.
    pub needle: String,
    finder: memmem::Finder<'static>,
    /// For fuzzy terms: the rarest byte, tested before anything else.
    rare: Option<u8>,
}

impl TextMatcher {
    /// Compiles `text` (as typed) for `mode`; `None` when it is empty.
    pub fn new(text: &str, mode: Mode) -> Option<TextMatcher> {
        if text.is_empty() {
            return None;
        }
        let case_sensitive = is_case_sensitive(text);
        let needle = if case_sensitive {
            text.to_string()
        } else {
            fold(text)
        };
        let rare = needle
            .bytes()
            .filter(u8::is_ascii)
            .min_by_key(|&b| commonness(b));
        Some(TextMatcher {
            mode,
            case_sensitive,
            finder: memmem::Finder::new(needle.as_bytes()).into_owned(),
            needle,
            rare: rare.filter(|_| text.len() > 1),
        })
    }

    /// Whether the haystack text (folded, or as written for a case-sensitive term) matches.
    pub fn is_match(&self, hay: &str) -> bool {
        let h = hay.as_bytes();
        match self.mode {
            Mode::Fuzzy => {
                if let Some(rare) = self.rare {
                    if memchr(rare, h).is_none() {
                        return false;
                    }
                }
                is_subsequence(self.needle.as_bytes(), h)
            }
            Mode::Substring => self.finder.find(h).is_some(),
            Mode::Prefix => h.starts_with(self.needle.as_bytes()),
            Mode::Suffix => h.ends_with(self.needle.as_bytes()),
            Mode::Exact => h == self.needle.as_bytes(),
        }
    }

    /// For a fuzzy term: where the leftmost match of the needle in `hay` ends (see
    /// [`TextMatcher::resume`]); `None` when `hay` does not match.
    pub fn fuzzy_end(&self, hay: &str) -> Option<usize> {
        let h = hay.as_bytes();
        if let Some(rare) = self.rare {
            memchr(rare, h)?;
        }
        subsequence_end(self.needle.as_bytes(), h)
    }

    /// [`TextMatcher::fuzzy_end`] without first looking for the term's rarest byte: for text
    /// a prefilter already found to hold it ([`TextMatcher::rare_byte`]).
    pub fn fuzzy_end_holding_rare(&self, hay: &str) -> Option<usize> {
        subsequence_end(self.needle.as_bytes(), hay.as_bytes())
    }

    /// The byte a fuzzy term looks for first, the rarest of its ASCII bytes (none for a term
    /// of one byte).
    pub fn rare_byte(&self) -> Option<u8> {
        self.rare
    }

    /// For a fuzzy term whose needle extends a shorter one (`matched` bytes of it) that
    /// matched `hay` up to `end` ([`TextMatcher::fuzzy_end`] of the shorter term): where the
    /// match of the whole needle ends, finding only the chars typed since.
    pub fn resume(&self, hay: &str, matched: usize, end: usize) -> Option<usize> {
        let rest = self.needle.as_bytes().get(matched..)?;
        let at = subsequence_end(rest, hay.as_bytes().get(end..)?)?;
        Some(end + at)
    }

    /// The char indices of `hay` a non-fuzzy match covers (the first occurrence), or `None`.
    /// Fuzzy terms are located by the scorer instead, which picks the best alignment.
    pub fn span_positions(&self, hay: &str) -> Option<Vec<usize>> {
        let start = match self.mode {
            Mode::Fuzzy => return greedy_positions(&self.needle, hay),
            Mode::Substring => self.finder.find(hay.as_bytes())?,
            Mode::Prefix | Mode::Exact if self.is_match(hay) => 0,
            Mode::Suffix if self.is_match(hay) => hay.len() - self.needle.len(),
            _ => return None,
        };
        let first = hay.get(..start)?.chars().count();
        Some((first..first + self.needle.chars().count()).collect())
    }
}

/// Whether the chars of `needle` occur in `hay` in order. Works on UTF-8 bytes: an ASCII byte
/// never occurs inside a multi-byte char, and a multi-byte char is found whole with `memmem`,
/// so the byte test agrees with the char test.
pub fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    subsequence_end(needle, hay).is_some()
}

/// Where the leftmost (greedy) match of `needle` as a subsequence of `hay` ends: the byte
/// offset just past its last char, or `None` when there is none. Greedy is leftmost for every
/// prefix of the needle too, so the match of a longer needle continues from here.
fn subsequence_end(needle: &[u8], hay: &[u8]) -> Option<usize> {
    let mut end = 0;
    let mut i = 0;
    while let Some(&b) = needle.get(i) {
        let rest = hay.get(end..)?;
        let found = if b.is_ascii() {
            i += 1;
            memchr(b, rest).map(|at| at + 1)
        } else {
            let width = utf8_width(b);
            let unit = needle
                .get(i..i + width)
                .or_else(|| needle.get(i..))
                .unwrap_or_default();
            i += unit.len();
            memmem::find(rest, unit).map(|at| at + unit.len())
        };
        end += found?;
    }
    Some(end)
}

/// The leftmost char positions of a subsequence match, used when the scorer finds none.
fn greedy_positions(needle: &str, hay: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut chars = hay.chars().enumerate();
    for n in needle.chars() {
        let (at, _) = chars.by_ref().find(|&(_, c)| c == n)?;
        out.push(at);
    }
    Some(out)
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
    }
}

/// How common a byte is in list mail subjects and names, higher is more common; the rarest
/// byte of a term is the best first test.
fn commonness(b: u8) -> u8 {
    match b {
        b' ' => 255,
        b'e' => 250,
        b't' | b'a' => 240,
        b'o' | b'i' | b'n' | b's' | b'r' => 225,
        b'h' | b'l' | b'd' | b'c' | b'u' => 200,
        b'm' | b'f' | b'p' | b'g' | b'w' | b'y' | b'b' => 170,
        b'-' | b'/' | b'_' | b'.' | b':' => 150,
        b'v' | b'k' => 120,
        b'0'..=b'9' => 110,
        b'x' | b'j' | b'q' | b'z' => 60,
        _ => 80,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, mode: Mode) -> TextMatcher {
        TextMatcher::new(text, mode).unwrap()
    }

    #[test]
    fn fuzzy_is_an_ordered_subsequence() {
        let t = m("pfn", Mode::Fuzzy);
        assert!(t.is_match("media/videobuf2: mark follow_pfn usage as unsafe"));
        assert!(t.is_match("pxfxn"));
        assert!(!t.is_match("nfp"));
        assert!(!t.is_match(""));
        assert!(m("é", Mode::Fuzzy).is_match("jérôme"));
        assert!(m("ü", Mode::Fuzzy).is_match("u"), "needle is folded too");
    }

    #[test]
    fn multibyte_units_are_found_whole() {
        // "ǆ" is C7 86 and "ņ" is C5 86: the shared continuation byte must not match alone.
        assert!(is_subsequence("ǆ".as_bytes(), "aǆb".as_bytes()));
        assert!(!is_subsequence("ǆ".as_bytes(), "ņ".as_bytes()));
        assert!(is_subsequence("a€b".as_bytes(), "xa—€yb".as_bytes()));
    }

    #[test]
    fn resuming_a_shorter_needle_equals_matching_the_whole() {
        let hays = [
            "media/videobuf2: mark follow_pfn usage as unsafe",
            "vetter: pfn vet",
            "jérôme glisse éé",
            "",
            "xa—€yb",
        ];
        let needles = ["vetter", "mark pfn", "jérôme", "ééz", "a€b", "pfnz"];
        for hay in hays {
            for needle in needles {
                let whole = m(needle, Mode::Fuzzy);
                assert_eq!(whole.fuzzy_end(hay).is_some(), whole.is_match(hay));
                for (cut, _) in needle.char_indices().skip(1) {
                    let part = m(&needle[..cut], Mode::Fuzzy);
                    let resumed = part
                        .fuzzy_end(hay)
                        .and_then(|end| whole.resume(hay, cut, end));
                    assert_eq!(
                        resumed,
                        whole.fuzzy_end(hay),
                        "{hay:?} / {needle:?} at {cut}"
                    );
                }
            }
        }
    }

    #[test]
    fn smart_case() {
        let t = m("Vetter", Mode::Fuzzy);
        assert!(t.case_sensitive);
        assert!(t.is_match("Daniel Vetter"));
        assert!(!t.is_match("daniel vetter"));
        assert!(!m("vetter", Mode::Fuzzy).case_sensitive);
    }

    #[test]
    fn anchored_modes() {
        assert!(m("follow", Mode::Substring).is_match("mark follow_pfn"));
        assert!(!m("follow pfn", Mode::Substring).is_match("mark follow_pfn"));
        assert!(m("drm/", Mode::Prefix).is_match("drm/exynos: stop"));
        assert!(!m("drm/", Mode::Prefix).is_match("x drm/"));
        assert!(m(".c", Mode::Suffix).is_match("mm/gup.c"));
        assert!(!m(".c", Mode::Suffix).is_match("mm/gup.h"));
        assert!(m("rfc", Mode::Exact).is_match("rfc"));
        assert!(!m("rfc", Mode::Exact).is_match("rfc2"));
    }

    #[test]
    fn positions_are_char_indices() {
        // Folding keeps char positions, so positions in folded text hold for the original.
        let folded = fold("Jérôme");
        assert_eq!(
            m("ôm", Mode::Substring).span_positions(&folded),
            Some(vec![3, 4])
        );
        assert_eq!(
            m("me", Mode::Suffix).span_positions("jérôme"),
            Some(vec![4, 5])
        );
        assert_eq!(m("je", Mode::Prefix).span_positions("jérôme"), None);
        assert_eq!(
            m("jrm", Mode::Fuzzy).span_positions("jérôme"),
            Some(vec![0, 2, 4])
        );
        assert_eq!(m("x", Mode::Substring).span_positions("jérôme"), None);
    }
}
