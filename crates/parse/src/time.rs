//! Time-zone and year resolution for log times that lack a zone or a year.
//!
//! Many firewall logs write civil times without a zone (Windows, FortiGate `date=`/`time=`) and
//! RFC 3164 syslog even drops the year. A [`TimeContext`] holds what an input needs to turn those
//! into UTC [`Timestamp`]s: the configured zone (`--tz`, default local), the configured year
//! (`--year`, else the file's modification year, else the current year) and the state needed to
//! notice a December → January rollover inside one input.
//!
//! Zone rules come from the `jiff` crate. Looking them up for every line would be slow, so the
//! context caches the UTC offset of the last local hour it converted; a new lookup happens only
//! when a line falls into another hour (or the hour contains a transition, which is never cached).
//!
//! This module also holds the hand-written, allocation-free RFC 3339 reader that the syslog
//! framing and several formats share, the month-abbreviation table, and [`enforce_window`]: the
//! one place where an event's time is held to the time window of
//! [`Timestamp::in_window`] (1969-12-31 up to 2100-01-01 UTC).
//!
//! Time arithmetic here saturates instead of overflowing; a saturated time lies far outside the
//! window, so it ends as a malformed record with [`TIME_OUTSIDE_WINDOW`], like any absurd time.

use std::cell::Cell;

use fwseen_event::{civil_from_days, Timestamp};

use crate::{Malformed, Record};

/// The reason given for an event whose time lies outside the window (see
/// [`Timestamp::in_window`]): a clock set to the year 9999, a corrupt epoch number, an offset
/// that pushes a capture's times out of range.
pub const TIME_OUTSIDE_WINDOW: &str = "time outside 1969-12-31 .. 2099-12-31 UTC";

/// Turns an event whose time lies outside the time window into a malformed record; any other
/// record is returned as it is. [`crate::Format::parse`] and the capture reader call this on every
/// record they make, so that no event outside the window reaches a detector or a report.
#[inline]
pub fn enforce_window(record: Record<'_>) -> Record<'_> {
    match &record {
        Record::Event(event) if event.time.is_some_and(|time| !time.in_window()) => {
            Record::Malformed(Malformed::new(TIME_OUTSIDE_WINDOW))
        }
        _ => record,
    }
}

/// Local civil times further than this outside the window are not looked up in a zone's rules:
/// no UTC offset (at most 26 hours) can bring them inside, and the rules library does not cover
/// every year (so the answer would depend on how the zone was given).
const ZONE_LOOKUP_MARGIN_MICROS: i64 = 2 * 86_400_000_000;

/// How to interpret times that lack a year or a zone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeSettings {
    /// `--year`: the year of RFC 3164 lines that carry none.
    pub year: Option<i32>,
    /// The input file's modification time (seconds since the epoch), used when `year` is
    /// `None`: no line of the file was written after it, which fixes the year of each line.
    pub file_modified: Option<i64>,
    /// `--tz`: `None` = the local zone; otherwise `UTC`, an offset like `+02:00`, or an IANA name.
    pub zone: Option<String>,
}

/// The zone that zone-less civil times are in.
#[derive(Clone, Debug)]
enum Zone {
    /// A fixed offset from UTC, in seconds (UTC itself is offset 0).
    Fixed(i32),
    /// A zone with rules (an IANA name or the local zone).
    Rules(jiff::tz::TimeZone),
}

/// The cached offset of one local civil hour.
#[derive(Clone, Copy, Debug)]
struct CachedHour {
    /// Hours since 1970-01-01T00 of the local civil time (as if it were UTC).
    local_hour: i64,
    /// UTC offset in seconds valid for the whole of that local hour.
    offset_seconds: i32,
}

/// Per-input state for resolving times (year rollover, time zone). Cheap to clone.
#[derive(Clone, Debug)]
pub struct TimeContext {
    pub settings: TimeSettings,
    zone: Zone,
    /// The year that year-less lines start in.
    base_year: i32,
    /// How many December → January rollovers this input has gone through.
    rollovers: i32,
    /// The month of the last year-less line, to notice a rollover.
    last_month: Option<u32>,
    /// When the base year is not given: the file's modification time, else the clock's time when
    /// the context was made (UTC micros). A year-less time more than a day after it belongs to
    /// the year before.
    clock_micros: Option<i64>,
    /// The latest year a year-less line can be in: the file's year (its modification time comes
    /// after every line) or the clock's. `None` with `--year`, which is taken as the first year.
    latest_year: Option<i32>,
    cache: Cell<Option<CachedHour>>,
}

impl TimeContext {
    /// Builds a context; fails with a message when the zone is unknown.
    pub fn new(settings: &TimeSettings) -> Result<TimeContext, String> {
        let zone = match settings.zone.as_deref() {
            None => match jiff::tz::TimeZone::try_system() {
                Ok(tz) => Zone::Rules(tz),
                // A machine without a configured zone is treated as UTC, like most tools do.
                Err(_) => Zone::Fixed(0),
            },
            Some(name) => parse_zone(name)?,
        };
        // Without --year, the file's modification time (else the clock) is the reference: no
        // year-less line was written after it.
        let (base_year, clock_micros, latest_year) = match settings.year {
            Some(year) => (year, None, None),
            None => {
                let micros = settings
                    .file_modified
                    .map_or_else(now_unix_micros, |seconds| seconds.saturating_mul(1_000_000));
                let year = civil_from_days(micros.div_euclid(86_400_000_000)).0;
                (year, Some(micros), Some(year))
            }
        };
        Ok(TimeContext {
            settings: settings.clone(),
            zone,
            base_year,
            rollovers: 0,
            last_month: None,
            clock_micros,
            latest_year,
            cache: Cell::new(None),
        })
    }

    /// A context for tests: year-less lines are in `year`, zone-less times are UTC.
    pub fn utc(year: i32) -> TimeContext {
        TimeContext {
            settings: TimeSettings {
                year: Some(year),
                file_modified: None,
                zone: Some("UTC".into()),
            },
            zone: Zone::Fixed(0),
            base_year: year,
            rollovers: 0,
            last_month: None,
            clock_micros: None,
            latest_year: None,
            cache: Cell::new(None),
        }
    }

    /// Resolves an RFC 3164 time (no year, no zone) to UTC.
    ///
    /// The year is `--year`, else the file's year, else the current year, plus one for every
    /// December → January rollover seen so far in this input; the file's and the clock's years
    /// are also upper bounds, since no line is written after the file was last modified. A rollover is a jump back of seven
    /// months or more (December → January, November → February after a quiet spell); smaller jumps
    /// back are taken as lines written slightly out of order and change nothing.
    #[allow(clippy::too_many_arguments)]
    pub fn resolve_year_less(
        &mut self,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        micros: u32,
    ) -> Option<Timestamp> {
        if !(1..=12).contains(&month) {
            return None;
        }
        if let Some(last) = self.last_month {
            if month + 7 <= last {
                self.rollovers = self.rollovers.saturating_add(1);
            }
        }
        self.last_month = Some(month);
        let mut year = self.base_year.saturating_add(self.rollovers);
        if let Some(latest) = self.latest_year {
            // A rollover past the file's (or the clock's) year means the lines before it were in
            // the year before: the lines from here on get the right year (the earlier ones, already
            // given out, stay one year late).
            if year > latest {
                self.base_year = self.base_year.saturating_sub(year.saturating_sub(latest));
                year = latest;
            }
        }
        let resolved = self.civil_to_utc(year, month, day, hour, minute, second, micros)?;
        if let Some(clock_micros) = self.clock_micros {
            // With the year taken from the clock, a time more than a day ahead of the clock is
            // last year's (a log read in January that still holds December lines). The base year
            // moves back for good, so that a later rollover lands in the current year.
            if resolved.unix_micros > clock_micros.saturating_add(86_400_000_000) {
                self.base_year = self.base_year.saturating_sub(1);
                return self.civil_to_utc(
                    year.saturating_sub(1),
                    month,
                    day,
                    hour,
                    minute,
                    second,
                    micros,
                );
            }
        }
        Some(resolved)
    }

    /// Converts a zone-less civil time to UTC with the configured zone.
    ///
    /// Times in a gap (spring forward) or an overlap (fall back) are resolved like most software
    /// does: with the offset in force before the transition. `original_offset_seconds` stays
    /// `None`, because the log did not write the offset.
    ///
    /// A civil time so far outside the time window that no offset could bring it in is returned
    /// as if it were UTC, without a zone lookup, whatever the zone: [`enforce_window`] then
    /// rejects it with the same reason whether the zone is `UTC`, an offset or a named zone.
    #[allow(clippy::too_many_arguments)]
    pub fn civil_to_utc(
        &self,
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        micros: u32,
    ) -> Option<Timestamp> {
        // Validates the fields and gives the local time as if it were UTC.
        let local = Timestamp::from_utc_parts(year, month, day, hour, minute, second, micros)?;
        if local.unix_micros < Timestamp::WINDOW_START.saturating_sub(ZONE_LOOKUP_MARGIN_MICROS)
            || local.unix_micros >= Timestamp::WINDOW_END.saturating_add(ZONE_LOOKUP_MARGIN_MICROS)
        {
            return Some(local);
        }
        let offset = match &self.zone {
            Zone::Fixed(offset) => *offset,
            Zone::Rules(tz) => {
                let local_seconds = local.unix_micros.div_euclid(1_000_000);
                let local_hour = local_seconds.div_euclid(3600);
                match self.cache.get() {
                    Some(cached) if cached.local_hour == local_hour => cached.offset_seconds,
                    _ => {
                        let offset = offset_of_local_second(tz, local_seconds)?;
                        let hour_start = local_hour * 3600;
                        let start = offset_of_local_second(tz, hour_start);
                        let end = offset_of_local_second(tz, hour_start + 3599);
                        if start == Some(offset) && end == Some(offset) {
                            self.cache.set(Some(CachedHour {
                                local_hour,
                                offset_seconds: offset,
                            }));
                        }
                        offset
                    }
                }
            }
        };
        Some(Timestamp::from_unix_micros(
            local
                .unix_micros
                .saturating_sub(i64::from(offset) * 1_000_000),
        ))
    }
}

/// The UTC offset in force at a local civil time given as seconds since 1970-01-01T00:00 local.
fn offset_of_local_second(tz: &jiff::tz::TimeZone, local_seconds: i64) -> Option<i32> {
    let days = local_seconds.div_euclid(86_400);
    let second_of_day = local_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let year = i16::try_from(year).ok()?;
    let civil = jiff::civil::DateTime::new(
        year,
        month as i8,
        day as i8,
        (second_of_day / 3600) as i8,
        (second_of_day / 60 % 60) as i8,
        (second_of_day % 60) as i8,
        0,
    )
    .ok()?;
    let utc = tz.to_ambiguous_timestamp(civil).compatible().ok()?;
    let offset = local_seconds - utc.as_second();
    i32::try_from(offset).ok()
}

/// Reads a `--tz` value: `UTC`/`Z`, a fixed offset (`+02:00`, `-0530`, `+02`), or an IANA name.
fn parse_zone(name: &str) -> Result<Zone, String> {
    let trimmed = name.trim();
    if trimmed.eq_ignore_ascii_case("utc")
        || trimmed.eq_ignore_ascii_case("z")
        || trimmed.eq_ignore_ascii_case("gmt")
    {
        return Ok(Zone::Fixed(0));
    }
    let bytes = trimmed.as_bytes();
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        return match parse_offset(bytes) {
            Some((offset, used)) if used == bytes.len() => Ok(Zone::Fixed(offset)),
            _ => Err(format!(
                "invalid UTC offset {trimmed:?} (expected e.g. +02:00)"
            )),
        };
    }
    jiff::tz::TimeZone::get(trimmed)
        .map(Zone::Rules)
        .map_err(|error| format!("unknown time zone {trimmed:?}: {error}"))
}

fn now_unix_micros() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

/// Looks up a month abbreviation (`Jan` .. `Dec`, any case) and returns 1 ..= 12.
pub fn month_from_abbrev(name: &[u8]) -> Option<u32> {
    let [a, b, c] = name else {
        return None;
    };
    let key = [
        a.to_ascii_lowercase(),
        b.to_ascii_lowercase(),
        c.to_ascii_lowercase(),
    ];
    Some(match &key {
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

/// Reads exactly `count` ASCII digits at `start` as a number.
pub(crate) fn digits_at(text: &[u8], start: usize, count: usize) -> Option<u32> {
    let field = text.get(start..start.checked_add(count)?)?;
    let mut value: u32 = 0;
    for &byte in field {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(byte - b'0');
    }
    Some(value)
}

/// Reads a fraction of a second (`.123`, `,123456`, up to nine digits are read, more are
/// skipped) at `start`, which must point at the separator. Returns microseconds and the index
/// after the digits; `(0, start)` when there is no fraction.
pub(crate) fn fraction_at(text: &[u8], start: usize) -> (u32, usize) {
    if !matches!(text.get(start), Some(b'.' | b',')) {
        return (0, start);
    }
    let mut index = start + 1;
    let mut micros: u32 = 0;
    let mut digits = 0;
    while let Some(&byte) = text.get(index) {
        if !byte.is_ascii_digit() {
            break;
        }
        if digits < 6 {
            micros = micros * 10 + u32::from(byte - b'0');
        }
        digits += 1;
        index += 1;
    }
    if digits == 0 {
        // A lone separator is not a fraction.
        return (0, start);
    }
    for _ in digits..6 {
        micros *= 10;
    }
    (micros, index)
}

/// Reads a UTC offset (`Z`, `+01:00`, `+0100`, `+01`) at the start of `text`. Returns the offset
/// in seconds and how many bytes it used.
pub(crate) fn parse_offset(text: &[u8]) -> Option<(i32, usize)> {
    match text.first()? {
        b'Z' | b'z' => Some((0, 1)),
        sign @ (b'+' | b'-') => {
            let hours = digits_at(text, 1, 2)?;
            let (minutes, used) = if text.get(3) == Some(&b':') {
                (digits_at(text, 4, 2)?, 6)
            } else if let Some(minutes) = digits_at(text, 3, 2) {
                (minutes, 5)
            } else {
                (0, 3)
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = (hours * 3600 + minutes * 60) as i32;
            Some((if *sign == b'-' { -seconds } else { seconds }, used))
        }
        _ => None,
    }
}

/// The parts of an RFC 3339 date-time, with the offset if the text had one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CivilDateTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub micros: u32,
    pub offset_seconds: Option<i32>,
}

/// Reads `YYYY-MM-DD[T ]hh:mm:ss[.frac][offset]` at the start of `text` and returns its parts and
/// the number of bytes used. The offset is optional here; [`parse_rfc3339`] requires it.
pub(crate) fn parse_date_time_prefix(text: &[u8]) -> Option<(CivilDateTime, usize)> {
    let year = digits_at(text, 0, 4)?;
    if text.get(4) != Some(&b'-') || text.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits_at(text, 5, 2)?;
    let day = digits_at(text, 8, 2)?;
    if !matches!(text.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits_at(text, 11, 2)?;
    if text.get(13) != Some(&b':') || text.get(16) != Some(&b':') {
        return None;
    }
    let minute = digits_at(text, 14, 2)?;
    let second = digits_at(text, 17, 2)?;
    let (micros, mut used) = fraction_at(text, 19);
    let mut offset_seconds = None;
    if let Some((offset, offset_len)) = text.get(used..).and_then(parse_offset) {
        offset_seconds = Some(offset);
        used += offset_len;
    }
    Some((
        CivilDateTime {
            year: year as i32,
            month,
            day,
            hour,
            minute,
            second,
            micros,
            offset_seconds,
        },
        used,
    ))
}

/// Parses a complete RFC 3339 timestamp with an offset: `2024-01-02T03:04:05Z`,
/// `2024-01-02T03:04:05.123456+01:00`, `2024-01-02 03:04:05,123-0500`. The fraction may have 0 to
/// 9 digits (kept to the microsecond). Sets `original_offset_seconds` from the written offset.
pub fn parse_rfc3339(text: &[u8]) -> Option<Timestamp> {
    let (parts, used) = parse_date_time_prefix(text)?;
    if used != text.len() {
        return None;
    }
    let offset = parts.offset_seconds?;
    timestamp_with_offset(&parts, offset)
}

/// Turns civil parts written with a known offset into a UTC timestamp that remembers the offset.
pub(crate) fn timestamp_with_offset(parts: &CivilDateTime, offset: i32) -> Option<Timestamp> {
    let local = Timestamp::from_utc_parts(
        parts.year,
        parts.month,
        parts.day,
        parts.hour,
        parts.minute,
        parts.second,
        parts.micros,
    )?;
    Some(Timestamp {
        unix_micros: local
            .unix_micros
            .saturating_sub(i64::from(offset) * 1_000_000),
        original_offset_seconds: Some(offset),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> i64 {
        parse_rfc3339(text.as_bytes()).unwrap().unix_micros
    }

    /// Time settings for a test: `--year`, the file's modification time and `--tz`.
    fn settings(year: Option<i32>, file_modified: Option<i64>, zone: &str) -> TimeSettings {
        TimeSettings {
            year,
            file_modified,
            zone: Some(zone.into()),
        }
    }

    #[test]
    fn month_abbreviations() {
        assert_eq!(month_from_abbrev(b"Jan"), Some(1));
        assert_eq!(month_from_abbrev(b"dec"), Some(12));
        assert_eq!(month_from_abbrev(b"SEP"), Some(9));
        assert_eq!(month_from_abbrev(b"Sept"), None);
        assert_eq!(month_from_abbrev(b"Ja"), None);
        assert_eq!(month_from_abbrev(b"Foo"), None);
    }

    #[test]
    fn rfc3339_variants() {
        let base = Timestamp::from_utc_parts(2024, 1, 2, 3, 4, 5, 0)
            .unwrap()
            .unix_micros;
        let z = parse_rfc3339(b"2024-01-02T03:04:05Z").unwrap();
        assert_eq!(z.unix_micros, base);
        assert_eq!(z.original_offset_seconds, Some(0));

        let plus = parse_rfc3339(b"2024-01-02T03:04:05.123456+01:00").unwrap();
        assert_eq!(plus.unix_micros, base - 3_600_000_000 + 123_456);
        assert_eq!(plus.original_offset_seconds, Some(3600));

        let minus = parse_rfc3339(b"2024-01-02 03:04:05,123-0500").unwrap();
        assert_eq!(minus.unix_micros, base + 5 * 3_600_000_000 + 123_000);
        assert_eq!(minus.original_offset_seconds, Some(-18_000));

        assert_eq!(utc("2024-01-02T03:04:05.1Z"), base + 100_000);
        assert_eq!(utc("2024-01-02T03:04:05.123456789Z"), base + 123_456);
        assert_eq!(utc("2024-01-02T03:04:05+01"), base - 3_600_000_000);
    }

    #[test]
    fn rfc3339_rejects() {
        for text in [
            "",
            "2024-01-02T03:04:05",
            "2024-01-02T03:04:05Zx",
            "2024-13-02T03:04:05Z",
            "2024-02-30T03:04:05Z",
            "2024-01-02T24:04:05Z",
            "2024-01-02T03:04:05+25:00",
            "2024-01-02X03:04:05Z",
            "24-01-02T03:04:05Z",
            "2024-01-02T03:04:05.Z",
        ] {
            assert_eq!(parse_rfc3339(text.as_bytes()), None, "{text}");
        }
    }

    #[test]
    fn year_less_uses_configured_year_and_rolls_over() {
        let mut context = TimeContext::utc(2023);
        let december = context.resolve_year_less(12, 31, 23, 59, 59, 0).unwrap();
        assert_eq!(december.to_string(), "2023-12-31T23:59:59.000000Z");
        assert_eq!(december.original_offset_seconds, None);
        let january = context.resolve_year_less(1, 1, 0, 0, 1, 5).unwrap();
        assert_eq!(january.to_string(), "2024-01-01T00:00:01.000005Z");
        // Staying in January keeps the new year.
        let later = context.resolve_year_less(1, 2, 0, 0, 0, 0).unwrap();
        assert_eq!(later.to_string(), "2024-01-02T00:00:00.000000Z");
    }

    #[test]
    fn small_backward_jump_is_not_a_rollover() {
        let mut context = TimeContext::utc(2023);
        context.resolve_year_less(3, 1, 0, 0, 0, 0).unwrap();
        let back = context.resolve_year_less(2, 28, 23, 59, 0, 0).unwrap();
        assert_eq!(back.to_string(), "2023-02-28T23:59:00.000000Z");
        let forward = context.resolve_year_less(3, 1, 0, 1, 0, 0).unwrap();
        assert_eq!(forward.to_string(), "2023-03-01T00:01:00.000000Z");
    }

    #[test]
    fn year_less_falls_back_to_file_year() {
        // 2019-12-31T12:00:00Z.
        let mut context = TimeContext::new(&settings(None, Some(1_577_793_600), "UTC")).unwrap();
        let stamp = context.resolve_year_less(6, 1, 12, 0, 0, 0).unwrap();
        assert_eq!(stamp.to_string(), "2019-06-01T12:00:00.000000Z");
    }

    #[test]
    fn year_less_rejects_impossible_dates() {
        let mut context = TimeContext::utc(2023);
        assert_eq!(context.resolve_year_less(2, 29, 0, 0, 0, 0), None);
        assert_eq!(context.resolve_year_less(13, 1, 0, 0, 0, 0), None);
        assert_eq!(context.resolve_year_less(1, 1, 25, 0, 0, 0), None);
    }

    #[test]
    fn fixed_offset_zones() {
        for (zone, expected) in [
            ("+02:00", "2024-06-01T10:00:00.000000Z"),
            ("+0200", "2024-06-01T10:00:00.000000Z"),
            ("-05:30", "2024-06-01T17:30:00.000000Z"),
            ("UTC", "2024-06-01T12:00:00.000000Z"),
        ] {
            let context = TimeContext::new(&settings(None, None, zone)).unwrap();
            let stamp = context.civil_to_utc(2024, 6, 1, 12, 0, 0, 0).unwrap();
            assert_eq!(stamp.to_string(), expected, "{zone}");
            assert_eq!(stamp.original_offset_seconds, None);
        }
    }

    #[test]
    fn unknown_zone_is_an_error() {
        for zone in ["Mars/Olympus_Mons", "+99:00", "+02:0"] {
            assert!(
                TimeContext::new(&settings(None, None, zone)).is_err(),
                "{zone}"
            );
        }
    }

    #[test]
    fn iana_zone_follows_daylight_saving_time() {
        let settings = settings(Some(2024), None, "Europe/Berlin");
        let Ok(context) = TimeContext::new(&settings) else {
            // Machines without a time-zone database cannot run this test meaningfully.
            eprintln!("skipping: no tz database");
            return;
        };
        let winter = context.civil_to_utc(2024, 1, 15, 12, 0, 0, 0).unwrap();
        assert_eq!(winter.to_string(), "2024-01-15T11:00:00.000000Z");
        let summer = context.civil_to_utc(2024, 7, 15, 12, 0, 0, 0).unwrap();
        assert_eq!(summer.to_string(), "2024-07-15T10:00:00.000000Z");
        // The same hour again comes from the cache and must give the same answer.
        let summer_again = context.civil_to_utc(2024, 7, 15, 12, 30, 0, 0).unwrap();
        assert_eq!(summer_again.to_string(), "2024-07-15T10:30:00.000000Z");
        // On 2024-03-31 clocks jumped from 02:00 to 03:00: 01:59 is winter time, 03:00 summer.
        let before = context.civil_to_utc(2024, 3, 31, 1, 59, 0, 0).unwrap();
        assert_eq!(before.to_string(), "2024-03-31T00:59:00.000000Z");
        let after = context.civil_to_utc(2024, 3, 31, 3, 0, 0, 0).unwrap();
        assert_eq!(after.to_string(), "2024-03-31T01:00:00.000000Z");
    }

    #[test]
    fn clock_year_never_lands_in_the_future() {
        let mut context = TimeContext::new(&settings(None, None, "UTC")).unwrap();
        let now = now_unix_micros();
        // Whatever today is, December 31st 23:59 resolved with the clock's year is not after now
        // plus a day.
        let stamp = context.resolve_year_less(12, 31, 23, 59, 0, 0).unwrap();
        assert!(stamp.unix_micros <= now + 86_400_000_000);
    }

    #[test]
    fn clock_year_moves_back_once_and_then_rolls_over() {
        // Read on 2027-01-03: December lines are 2026's, the January lines after them 2027's.
        let mut context = TimeContext::utc(2027);
        context.settings.year = None;
        context.clock_micros = Some(
            Timestamp::from_utc_parts(2027, 1, 3, 12, 0, 0, 0)
                .unwrap()
                .unix_micros,
        );
        let december = context.resolve_year_less(12, 30, 8, 0, 0, 0).unwrap();
        assert_eq!(december.to_string(), "2026-12-30T08:00:00.000000Z");
        let december = context.resolve_year_less(12, 31, 8, 0, 0, 0).unwrap();
        assert_eq!(december.to_string(), "2026-12-31T08:00:00.000000Z");
        let january = context.resolve_year_less(1, 2, 8, 0, 0, 0).unwrap();
        assert_eq!(january.to_string(), "2027-01-02T08:00:00.000000Z");
    }

    #[test]
    fn file_year_is_an_upper_bound_across_a_rollover() {
        // 2024-12-31T12:00:00Z.
        let mut context = TimeContext::new(&settings(None, Some(1_735_646_400), "UTC")).unwrap();
        context.resolve_year_less(12, 31, 23, 0, 0, 0).unwrap();
        let january = context.resolve_year_less(1, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(january.to_string(), "2024-01-01T01:00:00.000000Z");
        let later = context.resolve_year_less(1, 2, 1, 0, 0, 0).unwrap();
        assert_eq!(later.to_string(), "2024-01-02T01:00:00.000000Z");
    }

    #[test]
    fn december_lines_of_a_file_modified_in_january_are_last_years() {
        // 2027-01-05T00:00:00Z.
        let mut context = TimeContext::new(&settings(None, Some(1_799_107_200), "UTC")).unwrap();
        let december = context.resolve_year_less(12, 30, 23, 0, 0, 0).unwrap();
        assert_eq!(december.to_string(), "2026-12-30T23:00:00.000000Z");
        let january = context.resolve_year_less(1, 2, 1, 0, 0, 0).unwrap();
        assert_eq!(january.to_string(), "2027-01-02T01:00:00.000000Z");
    }

    #[test]
    fn fractions() {
        assert_eq!(fraction_at(b".5 ", 0), (500_000, 2));
        assert_eq!(fraction_at(b",000001", 0), (1, 7));
        assert_eq!(fraction_at(b". ", 0), (0, 0));
        assert_eq!(fraction_at(b"x", 0), (0, 0));
    }
}
