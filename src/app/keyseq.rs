//! Key sequences written as text, as helix's tests write them: `j j /pfn<enter>`.
//!
//! Each character is a key press; `<name>` is a named key or a chord as the key map writes it
//! (`<enter>`, `<esc>`, `<tab>`, `<c-d>`, `<pgdn>`, `<space>`, `<lt>` for `<`); whitespace only
//! separates, so a space is typed as `<space>`. Used by tests to drive the reader as a person
//! would.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::Key;

/// The key presses a sequence stands for, or the first `<…>` it cannot read.
pub fn parse(text: &str) -> Result<Vec<KeyEvent>, String> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if c.is_whitespace() {
            continue;
        }
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let name = &rest[..end];
                rest = &rest[end + 1..];
                let key = match name.to_ascii_lowercase().as_str() {
                    "lt" => Key::new(KeyCode::Char('<'), KeyModifiers::NONE),
                    "gt" => Key::new(KeyCode::Char('>'), KeyModifiers::NONE),
                    _ => Key::parse(name).ok_or_else(|| format!("unknown key <{name}>"))?,
                };
                keys.push(KeyEvent::new(key.code, key.modifiers));
                continue;
            }
        }
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences() {
        let keys = parse("j j /pfn<space>v<enter><c-d><lt>").unwrap();
        let codes: Vec<KeyCode> = keys.iter().map(|k| k.code).collect();
        use KeyCode::*;
        assert_eq!(
            codes,
            [
                Char('j'),
                Char('j'),
                Char('/'),
                Char('p'),
                Char('f'),
                Char('n'),
                Char(' '),
                Char('v'),
                Enter,
                Char('d'),
                Char('<')
            ]
        );
        assert_eq!(keys[9].modifiers, KeyModifiers::CONTROL);
        assert!(parse("<hyper-x>").is_err());
        assert_eq!(parse("a<").unwrap().len(), 2, "an unclosed < is a key");
    }
}
