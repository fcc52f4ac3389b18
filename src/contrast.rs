//! How readable one colour is on another: WCAG 2's contrast ratio, the backgrounds patchdeck's
//! colours are chosen for, and the least contrast text may have on them.
//!
//! The palette's tests measure every style with it, and the highlighter lifts the syntax
//! colours of a theme that fall short (base16-eighties gives `}` its own background colour,
//! which patchdeck does not draw) when it loads the theme, so nothing here runs per frame.

/// A colour by its red, green and blue, as sRGB bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The background of a dark terminal, which the default colours are chosen for: black, the
/// background of xterm's reverse video and of most dark terminal profiles (the named colours
/// are measured with xterm's values, so this is the background those values go with).
pub const DARK_BACKGROUND: Rgb = Rgb(0, 0, 0);

/// The background of a light terminal, for syntax themes made for one.
pub const LIGHT_BACKGROUND: Rgb = Rgb(255, 255, 255);

/// The least contrast ratio text may have on its background: 3:1.
///
/// WCAG 2 asks 4.5:1 of body text and 3:1 of large text and of what marks a control (1.4.3,
/// 1.4.11). A reader's secondary text (dates, sign-offs, code comments) is deliberately
/// quieter than its body, and a terminal's colours are the user's scheme's, not ours, so this
/// is the floor under which text stops being read and starts vanishing, not a target: the
/// body text is the terminal's own colour, far above it.
pub const MIN_TEXT_CONTRAST: f64 = 3.0;

impl Rgb {
    /// WCAG 2's relative luminance: 0 for black, 1 for white.
    pub fn luminance(self) -> f64 {
        fn linear(channel: u8) -> f64 {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// WCAG 2's contrast ratio of the two colours, from 1 (the same) to 21 (black and white).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The colour `amount` (0 to 1) of the way from this one to `other`.
    pub fn mix(self, other: Rgb, amount: f64) -> Rgb {
        let channel = |a: u8, b: u8| {
            let (a, b) = (f64::from(a), f64::from(b));
            // In 0..=255 by construction; `as` saturates anyway.
            (a + (b - a) * amount.clamp(0.0, 1.0)).round() as u8
        };
        Rgb(
            channel(self.0, other.0),
            channel(self.1, other.1),
            channel(self.2, other.2),
        )
    }

    /// This colour if it has `min` contrast on every one of `backgrounds`, else the first mix
    /// toward `toward` (in 64ths) that has; `toward` itself when none has.
    pub fn lifted(self, toward: Rgb, backgrounds: &[Rgb], min: f64) -> Rgb {
        let readable = |c: Rgb| backgrounds.iter().all(|&bg| c.contrast(bg) >= min);
        (0..=64)
            .map(|step| self.mix(toward, f64::from(step) / 64.0))
            .find(|&c| readable(c))
            .unwrap_or(toward)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast(white) - 1.0).abs() < 1e-9);
        // WCAG's own example figures: #777777 on white is 4.48:1, #767676 4.54:1.
        assert!((Rgb(0x77, 0x77, 0x77).contrast(white) - 4.48).abs() < 0.01);
        assert!((Rgb(0x76, 0x76, 0x76).contrast(white) - 4.54).abs() < 0.01);
    }

    #[test]
    fn lifting_stops_as_soon_as_the_colour_is_readable() {
        let bg = Rgb(0x2d, 0x2d, 0x2d);
        let fg = Rgb(0xd3, 0xd0, 0xc8);
        let lifted = bg.lifted(fg, &[bg], MIN_TEXT_CONTRAST);
        let contrast = lifted.contrast(bg);
        assert!(
            (MIN_TEXT_CONTRAST..MIN_TEXT_CONTRAST + 0.2).contains(&contrast),
            "{lifted:?} has {contrast:.2}:1, not just enough"
        );
        assert_eq!(
            fg.lifted(bg, &[bg], MIN_TEXT_CONTRAST),
            fg,
            "readable stays"
        );
    }
}
