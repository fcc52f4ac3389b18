//! Calendar dates of the `date:` filter (`2020`, `2020-10`, `2020-10-21`, ranges with `..`)
//! turned into half-open ranges of Unix seconds, UTC.
//!
//! A year or month names the whole of it, so `date:2020-10..2020-11` runs from the first second
//! of October to the last second of November.

/// A half-open range of Unix seconds `[start, end)`; a missing bound is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: Option<i64>,
    pub end: Option<i64>,
}

impl DateRange {
    pub fn contains(&self, unix: i64) -> bool {
        self.start.is_none_or(|s| unix >= s) && self.end.is_none_or(|e| unix < e)
    }
}

/// Why a `date:` value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// The calendar date starting at this byte offset of the value is not `YYYY[-MM[-DD]]`.
    BadDate { offset: usize, text: String },
    /// The range ends before it starts.
    Reversed,
}

/// Reads `DATE`, `DATE..DATE`, `DATE..` or `..DATE`.
pub fn parse_date_range(value: &str) -> Result<DateRange, DateError> {
    let Some((low, high)) = value.split_once("..") else {
        let (start, end) = parse_calendar(value, 0)?;
        return Ok(DateRange {
            start: Some(start),
            end: Some(end),
        });
    };
    let start = if low.is_empty() {
        None
    } else {
        Some(parse_calendar(low, 0)?.0)
    };
    let end = if high.is_empty() {
        None
    } else {
        Some(parse_calendar(high, low.len() + 2)?.1)
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            return Err(DateError::Reversed);
        }
    }
    Ok(DateRange { start, end })
}

/// The first second of the named year, month or day and the first second after it.
fn parse_calendar(text: &str, offset: usize) -> Result<(i64, i64), DateError> {
    let bad = || DateError::BadDate {
        offset,
        text: text.to_string(),
    };
    let mut parts = text.split('-');
    let year = parts
        .next()
        .filter(|y| y.len() == 4)
        .and_then(number)
        .ok_or_else(bad)?;
    let month = parts.next().map(number);
    let day = parts.next().map(number);
    if parts.next().is_some() {
        return Err(bad());
    }
    match (month, day) {
        (None, _) => Ok((
            days_from_civil(year, 1, 1) * 86_400,
            days_from_civil(year + 1, 1, 1) * 86_400,
        )),
        (Some(Some(m)), None) if (1..=12).contains(&m) => {
            let (ny, nm) = if m == 12 {
                (year + 1, 1)
            } else {
                (year, m + 1)
            };
            Ok((
                days_from_civil(year, m, 1) * 86_400,
                days_from_civil(ny, nm, 1) * 86_400,
            ))
        }
        (Some(Some(m)), Some(Some(d)))
            if (1..=12).contains(&m) && d >= 1 && d <= days_in_month(year, m) =>
        {
            let day = days_from_civil(year, m, d);
            Ok((day * 86_400, (day + 1) * 86_400))
        }
        _ => Err(bad()),
    }
}

fn number(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2020, 10, 21), 18_556);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    #[test]
    fn a_day_month_or_year_is_the_whole_of_it() {
        let day = parse_date_range("2020-10-21").unwrap();
        assert_eq!(day.start, Some(18_556 * DAY));
        assert_eq!(day.end, Some(18_557 * DAY));
        let month = parse_date_range("2020-02").unwrap();
        assert_eq!(month.end.unwrap() - month.start.unwrap(), 29 * DAY);
        let year = parse_date_range("2021").unwrap();
        assert_eq!(year.end.unwrap() - year.start.unwrap(), 365 * DAY);
    }

    #[test]
    fn range_ends_are_inclusive_of_their_month() {
        let r = parse_date_range("2020-10..2020-11").unwrap();
        assert!(r.contains(days_from_civil(2020, 10, 1) * DAY));
        assert!(r.contains(days_from_civil(2020, 12, 1) * DAY - 1));
        assert!(!r.contains(days_from_civil(2020, 12, 1) * DAY));
        assert!(!r.contains(days_from_civil(2020, 10, 1) * DAY - 1));
    }

    #[test]
    fn open_ranges() {
        let from = parse_date_range("2020..").unwrap();
        assert_eq!(from.end, None);
        assert!(from.contains(i64::MAX));
        let until = parse_date_range("..2021-03-01").unwrap();
        assert_eq!(until.start, None);
        assert_eq!(until.end, Some(days_from_civil(2021, 3, 2) * DAY));
    }

    #[test]
    fn bad_dates_say_where() {
        for (text, offset) in [
            ("2020-13", 0),
            ("2021-02-29", 0),
            ("20", 0),
            ("2020-1x", 0),
            ("2020..2021-00", 6),
            ("2020-10-21-5", 0),
            ("", 0),
        ] {
            match parse_date_range(text) {
                Err(DateError::BadDate { offset: o, .. }) => assert_eq!(o, offset, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert_eq!(
            parse_date_range("2021..2020"),
            Err(DateError::Reversed),
            "reversed"
        );
    }
}
