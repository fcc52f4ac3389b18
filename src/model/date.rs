//! Mail dates (RFC 5322 `Date:`), parsed leniently and kept with their zone.
//!
//! Real list mail has every variant: missing weekday, two-digit years, no seconds, zone names
//! (`GMT`, `PDT`), comments (`(UTC)`), and fuzzed garbage. Anything that can't be read is `None`,
//! never a panic.

/// A point in time with the sender's UTC offset, as the `Date:` header gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MailDate {
    /// Seconds since the Unix epoch, UTC.
    pub unix: i64,
    /// The sender's offset from UTC in minutes (`+0200` is 120).
    pub offset_minutes: i16,
    /// Always 1: a byte of the padding that can't be 0 gives `Option<MailDate>` a spare
    /// value to mean `None`. Every message keeps one, and without it the option took a third
    /// word.
    kept: std::num::NonZeroU8,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl MailDate {
    /// [`Self::parse`] of the form nearly every mail's date has (`Tue, 1 Jan 2019 00:13:09
    /// +0000`, the weekday optional), read from bytes: `None` for any other form, which
    /// `parse` reads. Where this reads a date, `parse` of the same text reads the same.
    pub fn parse_common(bytes: &[u8]) -> Option<MailDate> {
        parse_common(bytes)
    }

    pub fn new(unix: i64, offset_minutes: i16) -> MailDate {
        MailDate {
            unix,
            offset_minutes,
            kept: std::num::NonZeroU8::MIN,
        }
    }

    /// Parses an RFC 5322 date such as `Wed, 21 Oct 2020 10:56:49 +0200`.
    pub fn parse(text: &str) -> Option<MailDate> {
        parse_common(text.as_bytes()).or_else(|| parse_any(text))
    }
}

/// [`MailDate::parse`] for any form it reads.
fn parse_any(text: &str) -> Option<MailDate> {
    let cleaned = strip_comments(text);
    let mut words = cleaned
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .peekable();
    // Optional weekday.
    if words.peek()?.chars().next()?.is_ascii_alphabetic() {
        words.next();
    }
    let day: u32 = words.next()?.parse().ok()?;
    let month_word = words.next()?.as_bytes();
    let month = MONTHS.iter().position(|m| {
        month_word
            .get(..m.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(m.as_bytes()))
    })? as u32
        + 1;
    let year_word = words.next()?;
    let mut year: i64 = year_word.parse().ok()?;
    if year_word.len() <= 2 {
        year += if year < 50 { 2000 } else { 1900 };
    } else if year_word.len() == 3 {
        year += 1900;
    }
    let time = words.next().unwrap_or("00:00:00");
    let mut hms = time.split(':');
    let hour: u32 = hms.next()?.parse().ok()?;
    let minute: u32 = hms.next().unwrap_or("0").parse().ok()?;
    let second: u32 = hms.next().unwrap_or("0").split('.').next()?.parse().ok()?;
    let offset = words.next().map_or(Some(0), zone_offset)?;
    from_fields(year, [month, day, hour, minute, second], offset)
}

impl MailDate {
    /// The date in the sender's zone as `(year, month, day, hour, minute, second)`.
    pub fn local(&self) -> (i64, u32, u32, u32, u32, u32) {
        let local = self.unix + i64::from(self.offset_minutes) * 60;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// `2020-10-21`, in the sender's zone: what a list row shows.
    pub fn ymd(&self) -> String {
        let (y, m, d, ..) = self.local();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// RFC 3339 with the sender's offset: `2020-10-21T10:56:49+02:00`.
    pub fn rfc3339(&self) -> String {
        let mut out = Vec::with_capacity(25);
        self.write_rfc3339(&mut out);
        // Only ASCII digits and punctuation were written.
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Appends [`Self::rfc3339`] to `out` without allocating: `list --format json` and `tsv`
    /// print a date on every one of a million rows, where `format!` and its `String` showed
    /// in profiles.
    pub fn write_rfc3339(&self, out: &mut Vec<u8>) {
        let (y, mo, d, h, mi, s) = self.local();
        let off = self.offset_minutes.unsigned_abs();
        if let Ok(year @ 0..=9999) = u32::try_from(y)
            && off / 60 < 100
        {
            // Every real date: the 25 bytes laid out at once, a pair of digits at a time (each
            // number is under 100: the month, day and time by the calendar, the year and
            // offset by the test above).
            let two = |n: u32| DIGIT_PAIRS.get(n as usize).copied().unwrap_or(*b"00");
            let mut text = *b"0000-00-00T00:00:00+00:00";
            let pairs = [
                (0, year / 100),
                (2, year % 100),
                (5, mo),
                (8, d),
                (11, h),
                (14, mi),
                (17, s),
                (20, u32::from(off / 60)),
                (23, u32::from(off % 60)),
            ];
            for (at, n) in pairs {
                text[at..at + 2].copy_from_slice(&two(n));
            }
            if self.offset_minutes < 0 {
                text[19] = b'-';
            }
            out.extend_from_slice(&text);
            return;
        }
        // `{:04}` counts a minus sign in the width: -5 is `-005`.
        if y < 0 {
            out.push(b'-');
        }
        push_padded(out, y.unsigned_abs(), if y < 0 { 3 } else { 4 });
        out.push(b'-');
        push_padded(out, u64::from(mo), 2);
        out.push(b'-');
        push_padded(out, u64::from(d), 2);
        out.push(b'T');
        push_padded(out, u64::from(h), 2);
        out.push(b':');
        push_padded(out, u64::from(mi), 2);
        out.push(b':');
        push_padded(out, u64::from(s), 2);
        out.push(if self.offset_minutes < 0 { b'-' } else { b'+' });
        push_padded(out, u64::from(off / 60), 2);
        out.push(b':');
        push_padded(out, u64::from(off % 60), 2);
    }

    /// RFC 5322 form, as a `Date:` header shows it: `Wed, 21 Oct 2020 10:56:49 +0200`.
    pub fn rfc2822(&self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        let (y, mo, d, h, mi, s) = self.local();
        let local_days = (self.unix + i64::from(self.offset_minutes) * 60).div_euclid(86_400);
        let weekday = DAYS[local_days.rem_euclid(7) as usize];
        let month = MONTHS[(mo - 1) as usize];
        let month = format!("{}{}", month[..1].to_ascii_uppercase(), &month[1..]);
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        format!(
            "{weekday}, {d} {month} {y} {h:02}:{mi:02}:{s:02} {sign}{:02}{:02}",
            off / 60,
            off % 60
        )
    }
}

/// The two digits of every number under 100, `00` to `99`: numbers are written two digits
/// per step through it, where a division by 10 per digit showed in `list`'s profile.
pub(crate) static DIGIT_PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0u8; 2]; 100];
    let mut n = 0;
    while n < 100 {
        pairs[n] = [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        n += 1;
    }
    pairs
};

/// Appends `n` in decimal, zero-padded to at least `width` digits (as `{n:0width$}` would).
/// `list`'s JSON and TSV writers print their numbers with it too (width 0).
pub(crate) fn push_padded(out: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    while n >= 100 {
        start -= 2;
        digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if n >= 10 {
        start -= 2;
        digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[n as usize]);
    } else {
        start -= 1;
        digits[start] = b'0' + n as u8;
    }
    let len = digits.len() - start;
    out.extend(std::iter::repeat_n(b'0', width.saturating_sub(len)));
    out.extend_from_slice(&digits[start..]);
}

/// Unix day number of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `+0200` -> 120; `GMT`, `UT`, `Z` -> 0; North American zone names; unknown names -> 0.
/// The date the fields give, when each is in range (`second` 60 is a leap second).
fn from_fields(
    year: i64,
    [month, day, hour, minute, second]: [u32; 5],
    offset: i16,
) -> Option<MailDate> {
    if !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || !(1000..=9999).contains(&year)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(MailDate::new(local - i64::from(offset) * 60, offset))
}

/// The form nearly every mail's date has, `Tue, 1 Jan 2019 00:13:09 +0000` (the weekday
/// optional), read straight from the bytes: a million of them at load. `None` for anything
/// else, which [`MailDate::parse`]'s general reading then reads (giving the same date for
/// this form).
fn parse_common(text: &[u8]) -> Option<MailDate> {
    let mut rest = text;
    if rest.first()?.is_ascii_alphabetic() {
        let (weekday, after) = rest.split_first_chunk::<5>()?;
        if !weekday[..3].iter().all(u8::is_ascii_alphabetic) || &weekday[3..] != b", " {
            return None;
        }
        rest = after;
    }
    // A day is one or two digits and a space; then `Jan 2019 00:13:09 +0200` (the zone as
    // [`zone_offset`] reads it) to the end.
    let (d0, d1, rest) = match *rest {
        [d, b' ', ref rest @ ..] => (b'0', d, rest),
        [d0, d1, b' ', ref rest @ ..] => (d0, d1, rest),
        _ => return None,
    };
    let &[
        m0,
        m1,
        m2,
        b' ',
        y0,
        y1,
        y2,
        y3,
        b' ',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
        b' ',
        sign @ (b'+' | b'-'),
        z0,
        z1,
        z2,
        z3,
    ] = rest
    else {
        return None;
    };
    // Every digit checked at once (a byte that is no digit is 10 or more less `0`), then
    // read in pairs.
    let digits = [
        d0, d1, y0, y1, y2, y3, h0, h1, i0, i1, s0, s1, z0, z1, z2, z3,
    ]
    .map(|b| b.wrapping_sub(b'0'));
    if digits.iter().any(|&d| d > 9) {
        return None;
    }
    let pair = |at: usize| u32::from(digits[at]) * 10 + u32::from(digits[at + 1]);
    let month = month_number([m0, m1, m2].map(|b| b.to_ascii_lowercase()))?;
    let (hours, minutes) = (pair(12), pair(14));
    if hours > 23 || minutes > 59 {
        return None;
    }
    // At most 23 * 60 + 59.
    let total = (hours * 60 + minutes) as i16;
    let offset = if sign == b'-' { -total } else { total };
    from_fields(
        i64::from(pair(2) * 100 + pair(4)),
        [month, pair(0), pair(6), pair(8), pair(10)],
        offset,
    )
}

/// The number (1 to 12) of a month's lower-cased three-letter name ([`MONTHS`]).
fn month_number(name: [u8; 3]) -> Option<u32> {
    Some(match &name {
        b"jan" => 1,
        b"feb" => 2,
        b"mar" => 3,
        b"apr" => 4,
        b"may" => 5,
        b"jun" => 6,
        b"jul" => 7,
        b"aug" => 8,
        b"sep" => 9,
        b"oct" => 10,
        b"nov" => 11,
        b"dec" => 12,
        _ => return None,
    })
}

fn zone_offset(word: &str) -> Option<i16> {
    let bytes = word.as_bytes();
    if let Some(&sign @ (b'+' | b'-')) = bytes.first() {
        let digits = word.get(1..5)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let hours: i16 = digits[..2].parse().ok()?;
        let minutes: i16 = digits[2..].parse().ok()?;
        if hours > 23 || minutes > 59 {
            return None;
        }
        let total = hours * 60 + minutes;
        return Some(if sign == b'-' { -total } else { total });
    }
    let hours = match word.to_ascii_uppercase().as_str() {
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => 0,
    };
    Some(hours * 60)
}

fn strip_comments(text: &str) -> std::borrow::Cow<'_, str> {
    // Nearly every date has no comment, or one at its end (`(UTC)`): cut there, no copy.
    let Some(open) = text.find(['(', ')']) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let tail = &text[open..];
    if tail.starts_with('(') && tail.ends_with(')') && tail.matches(['(', ')']).count() == 2 {
        return std::borrow::Cow::Borrowed(&text[..open]);
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level reading of the common form gives what the general reading gives, on
    /// every field's edge, and leaves every other form to it.
    #[test]
    fn common_form_reads_as_the_general_reading() {
        let mut read = 0;
        for weekday in ["", "Tue, ", "sun, ", "Xyz, "] {
            for day in ["1", "01", "9", "31", "32", "0", "123", "x"] {
                for month in ["Jan", "dec", "SEP", "mAy", "Foo", "Janu", "J\u{e1}n"] {
                    for year in ["2019", "1000", "0999", "9999", "19", "20x9"] {
                        for time in ["00:13:09", "23:59:60", "24:00:00", "12:60:00", "1:02:03"] {
                            for zone in [
                                "+0000", "-0700", "+1345", "+2359", "+2400", "-0060", "+0a00",
                                "+00", "GMT", "+00001", "*0000",
                            ] {
                                let text = format!("{weekday}{day} {month} {year} {time} {zone}");
                                let common = parse_common(text.as_bytes());
                                if common.is_some() {
                                    read += 1;
                                    assert_eq!(common, parse_any(&text), "{text}");
                                }
                                assert_eq!(MailDate::parse(&text), parse_any(&text), "{text}");
                            }
                        }
                    }
                }
            }
        }
        assert!(read > 500, "the common form was read only {read} times");
    }

    #[test]
    fn comments_anywhere_are_dropped() {
        let plain = MailDate::parse("Wed, 21 Oct 2020 10:56:49 +0200");
        for text in [
            "Wed, 21 Oct 2020 10:56:49 +0200 (CEST)",
            "Wed, 21 (x) Oct 2020 10:56:49 +0200",
            "Wed, 21 Oct 2020 10:56:49 +0200 (a (nested) one)",
            "Wed, 21 Oct 2020 10:56:49 +0200 (one) (two)",
        ] {
            assert_eq!(MailDate::parse(text), plain, "{text}");
        }
        assert_eq!(strip_comments("x (y"), "x ");
        assert_eq!(strip_comments("x ) y"), "x  y");
    }

    #[test]
    fn common_forms() {
        let d = MailDate::parse("Wed, 21 Oct 2020 10:56:49 +0200").unwrap();
        assert_eq!(d.rfc3339(), "2020-10-21T10:56:49+02:00");
        assert_eq!(d.unix, 1_603_270_609);
        assert_eq!(d.rfc2822(), "Wed, 21 Oct 2020 10:56:49 +0200");
        let d = MailDate::parse("Thu,  1 Jan 2026 14:38:25 +0000 (UTC)").unwrap();
        assert_eq!(d.rfc3339(), "2026-01-01T14:38:25+00:00");
        let d = MailDate::parse("21 Oct 2020 01:57:18 -0700 (PDT)").unwrap();
        assert_eq!(d.ymd(), "2020-10-21");
        assert_eq!(d.offset_minutes, -420);
        let d = MailDate::parse("Mon, 3 Feb 97 10:00 GMT").unwrap();
        assert_eq!(d.rfc3339(), "1997-02-03T10:00:00+00:00");
    }

    #[test]
    fn garbage_is_none() {
        for bad in [
            "",
            "yesterday",
            "Wed, 21 Oct 2020 23:22:904070804030804 +0200",
            "Wed, 99 Oct 2020 10:00:00 +0200",
            "Wed, 21 Foo 2020 10:00:00",
            "Wed, 21 Oct 99999999999999999999 10:00:00",
            "\0\0\0",
        ] {
            assert_eq!(MailDate::parse(bad), None, "{bad:?}");
        }
    }

    /// `write_rfc3339` is `format!`'s `{y:04}-{mo:02}…` written by hand: the same text for
    /// any date, including years outside 1000..=9999 and offsets of hours past 99.
    #[test]
    fn rfc3339_matches_format() {
        for unix in [
            i64::MIN / 1_000_000,
            -62_200_000_000,
            -62_135_596_800,
            -1,
            0,
            1_603_270_609,
            253_402_300_799,
            253_402_300_800,
            i64::MAX / 1_000_000,
        ] {
            for offset_minutes in [
                i16::MIN,
                -32_767,
                -420,
                -1,
                0,
                59,
                120,
                5999,
                6000,
                i16::MAX,
            ] {
                let d = MailDate::new(unix, offset_minutes);
                let (y, mo, dd, h, mi, s) = d.local();
                let sign = if offset_minutes < 0 { '-' } else { '+' };
                let off = offset_minutes.unsigned_abs();
                let expected = format!(
                    "{y:04}-{mo:02}-{dd:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:{:02}",
                    off / 60,
                    off % 60
                );
                assert_eq!(d.rfc3339(), expected, "{d:?}");
            }
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 18_556, 20_454, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
