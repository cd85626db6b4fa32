//! Timestamps: UTC microseconds since the Unix epoch, plus the UTC offset the log wrote, if any.
//!
//! Civil-date arithmetic is done here by hand (it is a few lines and sits on the parsers' hot path);
//! time-zone rules for zone-less logs are the parse crate's business.
//!
//! **The time window.** A log time is attacker-influenced text, and nothing downstream should have
//! to cope with the year −290,000 or 285,000. [`Timestamp::in_window`] is the one rule for what an
//! event's time may be: from [`Timestamp::WINDOW_START`] (1969-12-31T00:00:00Z, one day before
//! the epoch, so that a device whose clock was never set, logging local 1970-01-01 in a zone east
//! of UTC, is still read) up to, not including, [`Timestamp::WINDOW_END`] (2100-01-01T00:00:00Z).
//! The upper bound is a fixed date rather than "now plus a day" so that the same input always
//! gives the same output, whenever and wherever it is read (and tests and fuzzers need no clock).
//! The parse crate applies the rule to every record it makes (`fwseen_parse::Format::parse` and
//! the capture reader): an event whose time falls outside is a malformed record.
//!
//! Arithmetic on times never overflows: building a time saturates (a saturated time is far outside
//! the window, so it is rejected like any other), and spans between two times are computed in
//! i128 ([`Timestamp::micros_since`]).

use std::fmt;

/// A point in time, in UTC, with the offset the original log used when it said.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    /// Microseconds since 1970-01-01T00:00:00Z.
    pub unix_micros: i64,
    /// The UTC offset, in seconds, written in the log (`+02:00` → 7200). `None` when the log gave
    /// no offset and one was assumed.
    pub original_offset_seconds: Option<i32>,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12, day 1..=31).
///
/// This is the well-known era-based algorithm; it is exact for every year representable in i32.
pub const fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = if month <= 2 {
        year as i64 - 1
    } else {
        year as i64
    };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let year_of_era = y - era * 400;
    let m = month as i64;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub const fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + if month <= 2 { 1 } else { 0 };
    (year as i32, month, day)
}

/// Microseconds in a day.
const DAY_MICROS: i64 = 86_400_000_000;

impl Timestamp {
    /// The first instant of the time window, in microseconds since the epoch:
    /// 1969-12-31T00:00:00Z. See the module documentation.
    pub const WINDOW_START: i64 = -DAY_MICROS;

    /// The end of the time window (exclusive), in microseconds since the epoch:
    /// 2100-01-01T00:00:00Z.
    pub const WINDOW_END: i64 = days_from_civil(2100, 1, 1) * DAY_MICROS;

    /// A timestamp without a written offset.
    pub const fn from_unix_micros(unix_micros: i64) -> Timestamp {
        Timestamp {
            unix_micros,
            original_offset_seconds: None,
        }
    }

    /// True when the time lies inside the window every event time must be in.
    pub const fn in_window(self) -> bool {
        Timestamp::WINDOW_START <= self.unix_micros && self.unix_micros < Timestamp::WINDOW_END
    }

    /// Microseconds from `earlier` to `self` (negative when `earlier` is later), exact for any two
    /// timestamps.
    pub fn micros_since(self, earlier: Timestamp) -> i128 {
        i128::from(self.unix_micros) - i128::from(earlier.unix_micros)
    }

    /// Seconds from `earlier` to `self`, as a float (exact to the microsecond for any span inside
    /// the window; never overflows).
    pub fn seconds_since(self, earlier: Timestamp) -> f64 {
        self.micros_since(earlier) as f64 / 1e6
    }

    /// Builds a timestamp from civil UTC parts. Returns `None` for out-of-range fields. A year so
    /// far away that the time does not fit gives a saturated time (outside the window).
    pub fn from_utc_parts(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        micros: u32,
    ) -> Option<Timestamp> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
            || micros >= 1_000_000
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let seconds = days
            .saturating_mul(86_400)
            .saturating_add(i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second));
        Some(Timestamp::from_unix_micros(
            seconds
                .saturating_mul(1_000_000)
                .saturating_add(i64::from(micros)),
        ))
    }

    /// Seconds since the epoch (rounded down).
    pub fn unix_seconds(self) -> i64 {
        self.unix_micros.div_euclid(1_000_000)
    }

    /// Formats as RFC 3339 in UTC with microseconds: `2024-03-01T12:00:00.000000Z`.
    pub fn to_rfc3339(self) -> String {
        self.to_string()
    }
}

/// Number of days in a month of a proleptic Gregorian year.
pub const fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.unix_micros.div_euclid(1_000_000);
        let micros = self.unix_micros.rem_euclid(1_000_000);
        let days = seconds.div_euclid(86_400);
        let secs_of_day = seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
            secs_of_day / 3600,
            secs_of_day / 60 % 60,
            secs_of_day % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [
            -800_000i64,
            -1,
            0,
            1,
            59,
            60,
            365,
            10_957,
            19_782,
            2_932_896,
        ] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn window_bounds() {
        let start = Timestamp::from_unix_micros(Timestamp::WINDOW_START);
        assert_eq!(start.to_string(), "1969-12-31T00:00:00.000000Z");
        assert!(start.in_window());
        assert!(!Timestamp::from_unix_micros(Timestamp::WINDOW_START - 1).in_window());
        let end = Timestamp::from_unix_micros(Timestamp::WINDOW_END);
        assert_eq!(end.to_string(), "2100-01-01T00:00:00.000000Z");
        assert!(!end.in_window());
        assert!(Timestamp::from_unix_micros(Timestamp::WINDOW_END - 1).in_window());
        assert!(!Timestamp::from_unix_micros(i64::MIN).in_window());
        assert!(!Timestamp::from_unix_micros(i64::MAX).in_window());
    }

    #[test]
    fn far_years_saturate_instead_of_overflowing() {
        let far = Timestamp::from_utc_parts(i32::MAX, 12, 31, 23, 59, 59, 999_999).unwrap();
        assert_eq!(far.unix_micros, i64::MAX);
        let early = Timestamp::from_utc_parts(i32::MIN, 1, 1, 0, 0, 0, 0).unwrap();
        assert_eq!(early.unix_micros, i64::MIN);
        assert!(!far.in_window() && !early.in_window());
    }

    #[test]
    fn spans_never_overflow() {
        let (min, max) = (
            Timestamp::from_unix_micros(i64::MIN),
            Timestamp::from_unix_micros(i64::MAX),
        );
        assert_eq!(
            max.micros_since(min),
            i128::from(i64::MAX) - i128::from(i64::MIN)
        );
        assert!(min.seconds_since(max) < 0.0);
        let a = Timestamp::from_unix_micros(1_000_000);
        assert_eq!(Timestamp::from_unix_micros(3_500_000).seconds_since(a), 2.5);
    }

    #[test]
    fn formats_rfc3339() {
        let t = Timestamp::from_utc_parts(2024, 2, 29, 23, 59, 58, 123).unwrap();
        assert_eq!(t.to_string(), "2024-02-29T23:59:58.000123Z");
        assert!(Timestamp::from_utc_parts(2023, 2, 29, 0, 0, 0, 0).is_none());
    }
}
