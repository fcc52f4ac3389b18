//! Sets of positions (message indices, places in a sorted order) as one bit each, in `u64`
//! words: the filter's matches and the list's shown rows. A million positions take 125 KB, so
//! a set is cheap to make per keystroke and reading its members off in ascending order costs
//! a word per 64 positions plus one step per member.

/// Word `w` of the set holding every position below `len`: all ones but past the end.
pub fn full_word(len: usize, w: usize) -> u64 {
    let start = w * 64;
    match len.saturating_sub(start) {
        0 => 0,
        n if n >= 64 => u64::MAX,
        n => (1u64 << n) - 1,
    }
}

/// Calls `f` with the index of each set bit of `word`, lowest first.
#[inline]
pub fn for_each_bit(mut word: u64, mut f: impl FnMut(usize)) {
    while word != 0 {
        f(word.trailing_zeros() as usize);
        word &= word - 1;
    }
}

/// Adds position `at` (ignored past the end of `words`).
#[inline]
pub fn insert(words: &mut [u64], at: usize) {
    if let Some(word) = words.get_mut(at / 64) {
        *word |= 1 << (at % 64);
    }
}

/// Whether position `at` is in the set.
#[inline]
pub fn contains(words: &[u64], at: usize) -> bool {
    words.get(at / 64).is_some_and(|w| w >> (at % 64) & 1 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_words_stop_at_the_end() {
        assert_eq!(full_word(130, 0), u64::MAX);
        assert_eq!(full_word(130, 2), 0b11);
        assert_eq!(full_word(130, 3), 0);
        assert_eq!(full_word(128, 1), u64::MAX);
    }

    #[test]
    fn members_in_order() {
        let mut words = vec![0u64; 3];
        for at in [129, 3, 64, 3, 500] {
            insert(&mut words, at);
        }
        let mut seen = Vec::new();
        for (w, &word) in words.iter().enumerate() {
            for_each_bit(word, |b| seen.push(w * 64 + b));
        }
        assert_eq!(seen, [3, 64, 129]);
        assert!(contains(&words, 64) && !contains(&words, 65) && !contains(&words, 500));
    }
}
