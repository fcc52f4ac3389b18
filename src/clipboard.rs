//! Copying text to the user's clipboard through the terminal, with OSC 52.
//!
//! OSC 52 (`ESC ] 52 ; c ; <base64> BEL`) asks the terminal emulator itself to set the
//! clipboard, so copying works over ssh and inside containers, where no X11 or Wayland
//! clipboard is reachable. Inside tmux the sequence is wrapped in tmux's passthrough form
//! (`ESC P tmux; … ESC \`, every ESC of the inner sequence doubled) so it reaches the outer
//! terminal. The copied text comes from mail (a Message-ID), so control characters are
//! dropped first: a newline pasted into a shell runs a command.

use std::io::{self, Write};

use data_encoding::BASE64;

/// The OSC 52 bytes that put `text` on the clipboard, wrapped for tmux when `tmux` is set.
pub fn osc52(text: &str, tmux: bool) -> Vec<u8> {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    let mut seq = Vec::with_capacity(clean.len() * 4 / 3 + 16);
    seq.extend_from_slice(b"\x1b]52;c;");
    seq.extend_from_slice(BASE64.encode(clean.as_bytes()).as_bytes());
    seq.push(0x07);
    if !tmux {
        return seq;
    }
    let mut wrapped = Vec::with_capacity(seq.len() + 16);
    wrapped.extend_from_slice(b"\x1bPtmux;");
    for &b in &seq {
        if b == 0x1b {
            wrapped.push(0x1b);
        }
        wrapped.push(b);
    }
    wrapped.extend_from_slice(b"\x1b\\");
    wrapped
}

/// Whether the process runs inside tmux (`$TMUX` set and non-empty).
pub fn inside_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Writes the sequence that copies `text` to `out` (the terminal) and flushes it.
pub fn copy(out: &mut (impl Write + ?Sized), text: &str, tmux: bool) -> io::Result<()> {
    out.write_all(&osc52(text, tmux))?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sequence_is_base64_between_osc_and_bel() {
        assert_eq!(osc52("hello", false), b"\x1b]52;c;aGVsbG8=\x07");
        assert_eq!(osc52("", false), b"\x1b]52;c;\x07");
    }

    #[test]
    fn tmux_passthrough_doubles_escapes() {
        assert_eq!(
            osc52("hello", true),
            b"\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\"
        );
    }

    #[test]
    fn control_characters_never_reach_the_clipboard() {
        let id = "20201021085655.1192025-11-daniel.vetter@ffwll.ch\n\x1b[2Jrm -rf ~\r";
        let expected = osc52(
            "20201021085655.1192025-11-daniel.vetter@ffwll.ch[2Jrm -rf ~",
            false,
        );
        assert_eq!(osc52(id, false), expected);
    }

    #[test]
    fn non_ascii_is_encoded_as_utf8() {
        // "é" is C3 A9 in UTF-8.
        assert_eq!(osc52("é", false), b"\x1b]52;c;w6k=\x07");
    }

    #[test]
    fn copy_writes_the_sequence() {
        let mut out = Vec::new();
        copy(&mut out, "<a@b>", false).unwrap();
        assert_eq!(out, b"\x1b]52;c;PGFAYj4=\x07");
    }
}
