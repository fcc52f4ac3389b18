//! A one-line text prompt, as the filter bar and the detail search use: typing appends,
//! Backspace and Ctrl-w delete back, Ctrl-u clears. The cursor stays at the end, as in fzf.

/// What has been typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    pub text: String,
}

impl Prompt {
    pub fn push(&mut self, c: char) {
        // A pasted newline or control character would end up invisible in the bar.
        if !c.is_control() {
            self.text.push(c);
        }
    }

    pub fn backspace(&mut self) {
        self.text.pop();
    }

    /// Deletes back to the start of the previous word, as readline's Ctrl-w.
    pub fn delete_word(&mut self) {
        let trimmed = self.text.trim_end_matches(' ');
        let cut = trimmed.rfind(' ').map_or(0, |space| space + 1);
        self.text.truncate(cut);
    }

    pub fn clear(&mut self) {
        self.text.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing() {
        let mut p = Prompt::default();
        for c in "from:vetter pfn\u{1b}".chars() {
            p.push(c);
        }
        assert_eq!(p.text, "from:vetter pfn");
        p.delete_word();
        assert_eq!(p.text, "from:vetter ");
        p.delete_word();
        assert_eq!(p.text, "");
        p.push('é');
        p.push('x');
        p.backspace();
        assert_eq!(p.text, "é");
        p.backspace();
        p.backspace();
        p.clear();
        assert_eq!(p.text, "");
    }
}
