//! Text folding for search: lower-casing plus stripping Latin diacritics, one char to one char.
//!
//! Haystacks and query terms are folded by the same function, so `muller` finds `Müller` and
//! `vetter` finds `Vetter`. Folding never changes the number of chars, which keeps a match found
//! in folded text at the same char positions in the original (the list highlights those).
//! Smart case: a term holding an uppercase letter is matched against the original text instead.

/// Base letters of U+00C0..=U+017F (Latin-1 Supplement letters and Latin Extended-A); `.` where
/// a char has no plain ASCII base letter (`Æ`, `ß`, `×`), which then only gets lower-cased.
const LATIN_BASE: &[u8; 192] = b"aaaaaa.ceeeeiiiidnooooo.ouuuuy..aaaaaa.ceeeeiiiidnooooo.ouuuuy.y\
aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii..jjkk.llllll.\
.llnnnnnn...oooooo..rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzz.";

/// Folds one char: ASCII lower-cased, Latin letters with diacritics to their base letter, any
/// other char lower-cased when that yields exactly one char, else kept as it is.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let code = u32::from(c);
    if (0xC0..0x180).contains(&code) {
        let base = usize::try_from(code - 0xC0)
            .ok()
            .and_then(|i| LATIN_BASE.get(i))
            .copied()
            .unwrap_or(b'.');
        if base != b'.' {
            return char::from(base);
        }
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Appends the folded form of `text` to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        // Copied whole and lower-cased in place: a byte at a time through `char`s cost a
        // UTF-8 length check per byte.
        let start = out.len();
        out.push_str(text);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        out.extend(text.chars().map(fold_char));
    }
}

/// The folded form of `text`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Smart case: a term is matched case-sensitively when it holds an uppercase letter.
pub fn is_case_sensitive(term: &str) -> bool {
    term.chars().any(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Daniel VETTER"), "daniel vetter");
        assert_eq!(fold("Jérôme Glisse"), "jerome glisse");
        assert_eq!(fold("Łukasz Müller-Ødegård"), "lukasz muller-odegard");
        assert_eq!(fold("Thomas Weißschuh"), "thomas weißschuh");
        assert_eq!(fold("ΣΑΣ"), "σασ");
    }

    #[test]
    fn folding_keeps_the_char_count() {
        for text in ["İstanbul", "ﬁle", "Ǆ", "Straße", "x\u{1F600}y", "ÆØÅ æøå"] {
            assert_eq!(fold(text).chars().count(), text.chars().count(), "{text}");
        }
    }

    #[test]
    fn smart_case_sees_any_uppercase_letter() {
        assert!(is_case_sensitive("Vetter"));
        assert!(is_case_sensitive("é É"));
        assert!(!is_case_sensitive("vetter 3/16"));
        assert!(!is_case_sensitive(""));
    }
}
