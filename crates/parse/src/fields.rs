//! Small readers of field values shared by the vendor parsers: IP addresses, decimal numbers,
//! `YYYY-MM-DD` dates and `HH:MM:SS` clocks, and the offset of a value inside its line, all from
//! byte slices and without allocating; and [`civil_time`], which turns a date and clock into a
//! timestamp with the offset the line wrote or, without one, the configured zone.
//!
//! Two families of number readers live here on purpose, because they accept different texts:
//! [`parse_u32`] and its narrower siblings take at most nine digits (the vendor key=value and
//! word parsers), while [`parse_decimal`] takes up to nineteen (pf, Windows and Zeek, whose
//! columns may be zero-padded or hold 64-bit counters). Likewise [`parse_ip`] reads an address
//! as written, while [`parse_ip_dropping_zone`] first drops an IPv6 zone (`fe80::1%em0`).
//! This module knows nothing of any format; zones, offsets and whole time stamps are read in
//! [`crate::time`].

use std::net::{IpAddr, Ipv4Addr};

use fwseen_event::Timestamp;

use crate::time::CivilDateTime;
use crate::TimeContext;

/// Reads an IPv4 or IPv6 address written as text; `None` for anything else, a zone included.
#[inline]
pub(crate) fn parse_ip(text: &[u8]) -> Option<IpAddr> {
    // Most addresses in logs are dotted quads: read those directly, and leave the rest (IPv6,
    // and anything malformed) to the standard parser.
    if let Some(v4) = parse_dotted_quad(text) {
        return Some(IpAddr::V4(v4));
    }
    if text.is_empty() || text.len() > 45 {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// Reads a dotted quad exactly as `Ipv4Addr::from_str` does (four decimal octets up to 255,
/// no leading zeros), but without the UTF-8 check and the general parser: `None` for any other
/// text.
#[inline]
fn parse_dotted_quad(text: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut part = 0;
    let mut value: u32 = 0;
    let mut digits = 0;
    for &byte in text {
        match byte {
            b'0'..=b'9' => {
                if digits == 1 && value == 0 {
                    // A leading zero (`01`), which the standard parser refuses.
                    return None;
                }
                value = value * 10 + u32::from(byte - b'0');
                digits += 1;
                if value > 255 {
                    return None;
                }
            }
            b'.' => {
                if digits == 0 || part == 3 {
                    return None;
                }
                octets[part] = value as u8;
                part += 1;
                value = 0;
                digits = 0;
            }
            _ => return None,
        }
    }
    if part != 3 || digits == 0 {
        return None;
    }
    octets[3] = value as u8;
    Some(Ipv4Addr::from(octets))
}

/// Reads an IPv4 or IPv6 address written as text, dropping an IPv6 zone (`fe80::1%em0`) first.
#[inline]
pub(crate) fn parse_ip_dropping_zone(text: &[u8]) -> Option<IpAddr> {
    let text = match memchr::memchr(b'%', text) {
        Some(percent) => &text[..percent],
        None => text,
    };
    parse_ip(text)
}

/// Reads one to nine ASCII digits; `None` for empty text, other bytes or ten digits or more.
#[inline]
pub(crate) fn parse_u32(text: &[u8]) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        text.iter()
            .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0')),
    )
}

/// [`parse_u32`], narrowed to a port or other 16-bit number.
#[inline]
pub(crate) fn parse_u16(text: &[u8]) -> Option<u16> {
    u16::try_from(parse_u32(text)?).ok()
}

/// [`parse_u32`], narrowed to a byte (ICMP type and code, TTL).
#[inline]
pub(crate) fn parse_u8(text: &[u8]) -> Option<u8> {
    u8::try_from(parse_u32(text)?).ok()
}

/// Reads one to nineteen ASCII digits into `T`; `None` for empty text, signs, spaces, other
/// bytes, more digits, or a value that does not fit in `T`.
#[inline]
pub(crate) fn parse_decimal<T: TryFrom<u64>>(text: &[u8]) -> Option<T> {
    if text.is_empty() || text.len() > 19 {
        return None;
    }
    let mut value: u64 = 0;
    for &byte in text {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(byte - b'0');
    }
    T::try_from(value).ok()
}

/// `YYYY-MM-DD` → (year, month, day); the numbers are not range-checked here.
#[inline]
pub(crate) fn parse_dashed_date(text: &[u8]) -> Option<(i32, u32, u32)> {
    if text.len() != 10 || text[4] != b'-' || text[7] != b'-' {
        return None;
    }
    Some((
        parse_u32(&text[..4])? as i32,
        parse_u32(&text[5..7])?,
        parse_u32(&text[8..])?,
    ))
}

/// `HH:MM:SS` → (hour, minute, second); the numbers are not range-checked here.
#[inline]
pub(crate) fn parse_clock(text: &[u8]) -> Option<(u32, u32, u32)> {
    if text.len() != 8 || text[2] != b':' || text[5] != b':' {
        return None;
    }
    Some((
        parse_u32(&text[..2])?,
        parse_u32(&text[3..5])?,
        parse_u32(&text[6..])?,
    ))
}

/// A UTC offset (`Z`, `+01:00`, `+0100`, `+01`) that makes up the whole of `text`, in seconds
/// east of UTC; `None` for anything else, zone names included.
#[inline]
pub(crate) fn parse_whole_offset(text: &[u8]) -> Option<i32> {
    crate::time::parse_offset(text)
        .filter(|(_, used)| *used == text.len())
        .map(|(offset, _)| offset)
}

/// The timestamp of a civil date and time: written at `parts.offset_seconds` east of UTC (which
/// the timestamp keeps as its original offset) when the line gave one, else in the configured
/// zone of `time`. `None` when a part is out of range.
#[inline]
pub(crate) fn civil_time(time: &TimeContext, parts: &CivilDateTime) -> Option<Timestamp> {
    match parts.offset_seconds {
        Some(offset) => crate::time::timestamp_with_offset(parts, offset),
        None => time.civil_to_utc(
            parts.year,
            parts.month,
            parts.day,
            parts.hour,
            parts.minute,
            parts.second,
            parts.micros,
        ),
    }
}

/// The byte offset of `part` (a sub-slice of `line`) in `line`, clamped to the line's length.
#[inline]
pub(crate) fn offset_in(line: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(line.as_ptr() as usize)
        .min(line.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_take_at_most_nine_digits() {
        assert_eq!(parse_u32(b"123456789"), Some(123_456_789));
        assert_eq!(parse_u32(b"0000000001"), None);
        assert_eq!(parse_u32(b""), None);
        assert_eq!(parse_u32(b"+1"), None);
        assert_eq!(parse_u16(b"65535"), Some(65535));
        assert_eq!(parse_u16(b"65536"), None);
        assert_eq!(parse_u8(b"255"), Some(255));
        assert_eq!(parse_u8(b"256"), None);
    }

    #[test]
    fn decimals_take_up_to_nineteen_digits() {
        assert_eq!(parse_decimal::<u16>(b"0000000000080"), Some(80));
        assert_eq!(parse_decimal::<u32>(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse_decimal::<u32>(b"4294967296"), None);
        assert_eq!(
            parse_decimal::<u64>(b"9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(parse_decimal::<u64>(b"10000000000000000000"), None);
        assert_eq!(parse_decimal::<u8>(b"-1"), None);
    }

    #[test]
    fn addresses_with_and_without_zones() {
        assert_eq!(parse_ip(b"192.0.2.1"), "192.0.2.1".parse().ok());
        assert_eq!(parse_ip(b"fe80::1%em0"), None);
        assert_eq!(
            parse_ip_dropping_zone(b"fe80::1%em0"),
            "fe80::1".parse().ok()
        );
        assert_eq!(parse_ip_dropping_zone(b"%em0"), None);
        assert_eq!(parse_ip(b""), None);
    }

    #[test]
    fn dates_and_clocks() {
        assert_eq!(parse_dashed_date(b"2024-01-15"), Some((2024, 1, 15)));
        assert_eq!(parse_dashed_date(b"2024-1-15"), None);
        assert_eq!(parse_dashed_date(b"2024/01/15"), None);
        assert_eq!(parse_clock(b"10:00:01"), Some((10, 0, 1)));
        assert_eq!(parse_clock(b"10:00"), None);
        assert_eq!(parse_clock(b"1a:00:01"), None);
    }

    #[test]
    fn whole_offsets() {
        assert_eq!(parse_whole_offset(b"+05:30"), Some(19800));
        assert_eq!(parse_whole_offset(b"-08"), Some(-28800));
        assert_eq!(parse_whole_offset(b"+0100x"), None);
        assert_eq!(parse_whole_offset(b"Europe/Paris"), None);
    }

    #[test]
    fn civil_times_with_and_without_an_offset() {
        let time = TimeContext::utc(2024);
        let mut parts = CivilDateTime {
            year: 2024,
            month: 1,
            day: 15,
            hour: 11,
            minute: 0,
            second: 2,
            micros: 0,
            offset_seconds: Some(3600),
        };
        let stamp = civil_time(&time, &parts).unwrap();
        assert_eq!(stamp.to_string(), "2024-01-15T10:00:02.000000Z");
        assert_eq!(stamp.original_offset_seconds, Some(3600));
        parts.offset_seconds = None;
        let stamp = civil_time(&time, &parts).unwrap();
        assert_eq!(stamp.to_string(), "2024-01-15T11:00:02.000000Z");
        assert_eq!(stamp.original_offset_seconds, None);
        parts.month = 13;
        assert_eq!(civil_time(&time, &parts), None);
    }

    #[test]
    fn offsets_of_sub_slices() {
        let line = b"src=192.0.2.1";
        assert_eq!(offset_in(line, &line[4..]), 4);
        assert_eq!(offset_in(line, &line[line.len()..]), line.len());
    }

    /// The standard parser, which `parse_ip` must agree with.
    fn parse_ip_with_std(text: &[u8]) -> Option<IpAddr> {
        std::str::from_utf8(text).ok()?.parse().ok()
    }

    #[test]
    fn dotted_quads_read_like_the_standard_parser() {
        for text in [
            "0.0.0.0",
            "255.255.255.255",
            "10.1.1.34",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3.00",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            ".1.2.3",
            "1.2.3.",
            "1.2.3.4 ",
            "1000.1.1.1",
            "::ffff:1.2.3.4",
            "",
        ] {
            assert_eq!(
                parse_ip(text.as_bytes()),
                parse_ip_with_std(text.as_bytes()),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn parse_ip_agrees_with_the_standard_parser(
            text in "[0-9.]{0,18}|[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
        ) {
            proptest::prop_assert_eq!(
                parse_ip(text.as_bytes()),
                parse_ip_with_std(text.as_bytes())
            );
        }
    }
}
