//! Syslog framing: splits a syslog line into its header (time, host, program, pid) and message.
//!
//! Recognised headers, each with an optional `<PRI>` prefix:
//! - RFC 3164 / BSD: `Jan  5 03:04:05 host prog[pid]: msg`, including the variants seen in real
//!   files: a fraction of a second (`journalctl -o short-precise`), a year after the day
//!   (`Jan  5 2024 03:04:05`, Cisco and Huawei style), no host (`Jan  5 03:04:05 filterlog: msg`),
//!   no program (`Jan  5 03:04:05 host msg`, UniFi) and a repeated host.
//! - RFC 5424: `<134>1 2024-01-02T03:04:05Z host app procid msgid [sd] msg` (`-` for nil values,
//!   a UTF-8 BOM before the message tolerated; the `<PRI>` may be missing).
//! - RFC 3339 high-precision (rsyslog) and `journalctl -o short-iso`:
//!   `2024-01-02T03:04:05.123456+01:00 host prog: msg`, offsets as `+01:00`, `+0100` or `Z`.
//!
//! What this module does not do: dmesg stamps (`[ 123.456]`) and `journalctl -o json` lines are
//! left to the formats that meet them, and the message itself is never interpreted here.
//!
//! Everything works on bytes, borrows from the line and allocates nothing.

use fwseen_event::Timestamp;

use crate::fields::civil_time;
use crate::time::{digits_at, fraction_at, month_from_abbrev, parse_date_time_prefix, TimeContext};

/// The header fields of one syslog line and the message after them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyslogHeader<'a> {
    /// The time of the line in UTC (`None` when the header's time was nil or impossible).
    pub time: Option<Timestamp>,
    /// The host name or address that sent the line.
    pub host: Option<&'a [u8]>,
    /// The program (RFC 3164 tag, RFC 5424 APP-NAME).
    pub program: Option<&'a [u8]>,
    /// The process id, as written.
    pub pid: Option<&'a [u8]>,
    /// Everything after the header.
    pub message: &'a [u8],
}

const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Splits a syslog-framed line into header and message. Returns None when the line has no header
/// it recognises.
pub fn split_header<'a>(line: &'a [u8], time: &mut TimeContext) -> Option<SyslogHeader<'a>> {
    let mut rest = line.strip_prefix(BYTE_ORDER_MARK).unwrap_or(line);
    if rest.first() == Some(&b'<') {
        rest = strip_priority(rest)?;
    }
    match rest.first()? {
        b'1' if rest.get(1) == Some(&b' ') => split_rfc5424(&rest[2..], time),
        b'0'..=b'9' => split_rfc3339(rest, time),
        _ => split_rfc3164(rest, time),
    }
}

/// Removes a `<PRI>` prefix (one to three digits). Returns None when the brackets are not a
/// priority.
fn strip_priority(text: &[u8]) -> Option<&[u8]> {
    let close = text.iter().take(5).position(|&b| b == b'>')?;
    let digits = &text[1..close];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(&text[close + 1..])
}

/// Splits `text` at the first space: the token before it and what follows the space (empty when
/// there is no space).
fn next_token(text: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b' ', text) {
        Some(space) => (&text[..space], &text[space + 1..]),
        None => (text, &[]),
    }
}

/// `Mmm dd [yyyy ]hh:mm:ss[.frac] host prog[pid]: msg`.
fn split_rfc3164<'a>(text: &'a [u8], time: &mut TimeContext) -> Option<SyslogHeader<'a>> {
    let month = month_from_abbrev(text.get(..3)?)?;
    if text.get(3) != Some(&b' ') {
        return None;
    }
    let mut index = 4;
    if text.get(index) == Some(&b' ') {
        index += 1;
    }
    let day_start = index;
    while index < text.len() && index - day_start < 2 && text[index].is_ascii_digit() {
        index += 1;
    }
    let day = digits_at(text, day_start, index - day_start)?;
    if index == day_start || text.get(index) != Some(&b' ') {
        return None;
    }
    index += 1;
    // An optional year between the day and the time.
    let mut year = None;
    if text.get(index + 4) == Some(&b' ') {
        year = Some(digits_at(text, index, 4)? as i32);
        index += 5;
    }
    let hour = digits_at(text, index, 2)?;
    if text.get(index + 2) != Some(&b':') || text.get(index + 5) != Some(&b':') {
        return None;
    }
    let minute = digits_at(text, index + 3, 2)?;
    let second = digits_at(text, index + 6, 2)?;
    let (micros, after_time) = fraction_at(text, index + 8);
    let resolved = match year {
        Some(year) => time.civil_to_utc(year, month, day, hour, minute, second, micros),
        None => time.resolve_year_less(month, day, hour, minute, second, micros),
    };
    let rest = match text.get(after_time) {
        None => &[][..],
        Some(b' ') => &text[after_time + 1..],
        // Cisco devices without a host name put a colon right after the time.
        Some(b':') => {
            let message = &text[after_time + 1..];
            return Some(SyslogHeader {
                time: resolved,
                host: None,
                program: None,
                pid: None,
                message: message.strip_prefix(b" ").unwrap_or(message),
            });
        }
        Some(_) => return None,
    };
    Some(split_host_and_tag(resolved, rest))
}

/// `YYYY-MM-DDThh:mm:ss[.frac][offset] host prog[pid]: msg` (also with a space for the `T`).
fn split_rfc3339<'a>(text: &'a [u8], time: &mut TimeContext) -> Option<SyslogHeader<'a>> {
    let (parts, used) = parse_date_time_prefix(text)?;
    let rest = match text.get(used) {
        None => &[][..],
        Some(b' ') => &text[used + 1..],
        Some(_) => return None,
    };
    // The same conversion as the vendor parsers': the written offset, else the configured zone.
    let resolved = civil_time(time, &parts);
    Some(split_host_and_tag(resolved, rest))
}

/// The part of an RFC 3164 / RFC 3339 line after the time: `host prog[pid]: msg` and its
/// variants.
fn split_host_and_tag(time: Option<Timestamp>, text: &[u8]) -> SyslogHeader<'_> {
    let (first, after_first) = next_token(text);
    if first.is_empty() {
        return SyslogHeader {
            time,
            host: None,
            program: None,
            pid: None,
            message: after_first,
        };
    }
    // A tag right after the time means the line has no host, unless the token is clearly a
    // host (an address or a dotted name), as some devices log `host: msg`.
    if let Some((program, pid)) = program_tag(first) {
        if pid.is_some() || !program.contains(&b'.') {
            return SyslogHeader {
                time,
                host: None,
                program: Some(program),
                pid,
                message: after_first,
            };
        }
        return SyslogHeader {
            time,
            host: Some(program),
            program: None,
            pid: None,
            message: after_first,
        };
    }
    let host = first;
    let mut rest = after_first;
    // Some devices (UniFi) repeat the host name.
    let (second, after_second) = next_token(rest);
    if second == host {
        rest = after_second;
    }
    let (tag, after_tag) = next_token(rest);
    if let Some((program, pid)) = program_tag(tag) {
        return SyslogHeader {
            time,
            host: Some(host),
            program: Some(program),
            pid,
            message: after_tag,
        };
    }
    // Cisco ASA with a device id: `host : %ASA-...`.
    if tag == b":" {
        return SyslogHeader {
            time,
            host: Some(host),
            program: None,
            pid: None,
            message: after_tag,
        };
    }
    SyslogHeader {
        time,
        host: Some(host),
        program: None,
        pid: None,
        message: rest,
    }
}

/// Reads an RFC 3164 tag token, `prog:` or `prog[pid]:`, and returns the program and the pid.
fn program_tag(token: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    let body = token.strip_suffix(b":")?;
    if body.is_empty() {
        return None;
    }
    if let Some(open) = memchr::memchr(b'[', body) {
        let pid = body[open + 1..].strip_suffix(b"]")?;
        let program = &body[..open];
        if program.is_empty() || !is_program_name(program) {
            return None;
        }
        return Some((program, Some(pid)));
    }
    if !is_program_name(body) {
        return None;
    }
    Some((body, None))
}

/// Program names are printable and carry none of the punctuation of key=value messages.
fn is_program_name(name: &[u8]) -> bool {
    name.iter()
        .all(|&b| b.is_ascii_graphic() && !matches!(b, b'=' | b'[' | b']' | b':' | b'"'))
}

/// `TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]` after the `1 ` version.
fn split_rfc5424<'a>(text: &'a [u8], time: &mut TimeContext) -> Option<SyslogHeader<'a>> {
    let (stamp, rest) = next_token(text);
    let resolved = if stamp == b"-" {
        None
    } else {
        let (parts, used) = parse_date_time_prefix(stamp)?;
        if used != stamp.len() {
            return None;
        }
        civil_time(time, &parts)
    };
    let (host, rest) = next_token(rest);
    let (program, rest) = next_token(rest);
    let (pid, rest) = next_token(rest);
    let (_message_id, rest) = next_token(rest);
    let message = skip_structured_data(rest);
    let message = message.strip_prefix(BYTE_ORDER_MARK).unwrap_or(message);
    let nil = |field: &'a [u8]| (!field.is_empty() && field != b"-").then_some(field);
    Some(SyslogHeader {
        time: resolved,
        host: nil(host),
        program: nil(program),
        pid: nil(pid),
        message,
    })
}

/// Skips RFC 5424 STRUCTURED-DATA (`-` or `[id k="v"]...`) and the space after it. Quoted values
/// may contain escaped `\"` and `\]`. When the data never closes, nothing is skipped.
fn skip_structured_data(text: &[u8]) -> &[u8] {
    if let Some(rest) = text.strip_prefix(b"-") {
        if rest.is_empty() || rest[0] == b' ' {
            return rest.strip_prefix(b" ").unwrap_or(rest);
        }
        return text;
    }
    let mut index = 0;
    while text.get(index) == Some(&b'[') {
        let mut in_quotes = false;
        index += 1;
        loop {
            match text.get(index) {
                None => return text,
                Some(b'\\') => index += 2,
                Some(b'"') => {
                    in_quotes = !in_quotes;
                    index += 1;
                }
                Some(b']') if !in_quotes => {
                    index += 1;
                    break;
                }
                Some(_) => index += 1,
            }
        }
    }
    let rest = &text[index.min(text.len())..];
    rest.strip_prefix(b" ").unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> SyslogHeader<'_> {
        let mut time = TimeContext::utc(2024);
        split_header(line.as_bytes(), &mut time).expect(line)
    }

    fn text(field: Option<&[u8]>) -> Option<&str> {
        field.map(|f| std::str::from_utf8(f).unwrap())
    }

    fn stamp(header: &SyslogHeader<'_>) -> String {
        header.time.unwrap().to_string()
    }

    /// Splits `line` (year-less lines in 2024, UTC) and checks every header field at once
    /// against `expected`: `TIME HOST PROGRAM PID | MESSAGE`, with `-` for an absent field.
    /// Returns the header for further checks.
    fn check<'a>(line: &'a str, expected: &str) -> SyslogHeader<'a> {
        let header = split(line);
        let time = header.time.map(|t| t.to_string());
        let actual = format!(
            "{} {} {} {} | {}",
            time.as_deref().unwrap_or("-"),
            text(header.host).unwrap_or("-"),
            text(header.program).unwrap_or("-"),
            text(header.pid).unwrap_or("-"),
            std::str::from_utf8(header.message).unwrap(),
        );
        assert_eq!(actual, expected, "{line}");
        header
    }

    #[test]
    fn rfc3164_with_pid() {
        let header = check(
            "Jan  5 03:04:05 fw1 sshd[1234]: Accepted publickey",
            "2024-01-05T03:04:05.000000Z fw1 sshd 1234 | Accepted publickey",
        );
        assert_eq!(header.time.unwrap().original_offset_seconds, None);
    }

    #[test]
    fn rfc3164_kernel_with_priority_and_two_digit_day() {
        check(
            "<4>Mar 15 20:55:15 linux kernel: [810294.788657] DROP IN=eth0",
            "2024-03-15T20:55:15.000000Z linux kernel - | [810294.788657] DROP IN=eth0",
        );
    }

    #[test]
    fn rfc3164_unpadded_day_and_zero_padded_day() {
        for line in ["Feb 1 18:15:35 h kernel: x", "Feb 01 18:15:35 h kernel: x"] {
            check(line, "2024-02-01T18:15:35.000000Z h kernel - | x");
        }
    }

    #[test]
    fn journalctl_short_precise() {
        check(
            "Jan 02 03:04:05.123456 host kernel: IN=eth0",
            "2024-01-02T03:04:05.123456Z host kernel - | IN=eth0",
        );
    }

    #[test]
    fn rfc3164_with_year() {
        check(
            "Oct  5 2018 10:52:19 USG6300 %%01POLICY/6/POLICYPERMIT(l):vsys=public",
            "2018-10-05T10:52:19.000000Z USG6300 - - | %%01POLICY/6/POLICYPERMIT(l):vsys=public",
        );
    }

    #[test]
    fn rfc3164_colon_after_time() {
        check(
            "<166>Jun 16 2016 11:32:14: %ASA-6-302013: Built",
            "2016-06-16T11:32:14.000000Z - - - | %ASA-6-302013: Built",
        );
    }

    #[test]
    fn rfc3164_host_space_colon() {
        check(
            "Jun 16 11:32:14 asa01 : %ASA-6-302013: Built",
            "2024-06-16T11:32:14.000000Z asa01 - - | %ASA-6-302013: Built",
        );
    }

    #[test]
    fn rfc3164_without_host() {
        check(
            "Jan 22 18:34:00 filterlog: 65,,,0,vmx1,match",
            "2024-01-22T18:34:00.000000Z - filterlog - | 65,,,0,vmx1,match",
        );
    }

    #[test]
    fn rfc3164_host_with_colon_and_no_program() {
        check(
            "Jan 22 18:34:00 10.0.0.1: %ASA-4-106023: Deny",
            "2024-01-22T18:34:00.000000Z 10.0.0.1 - - | %ASA-4-106023: Deny",
        );
    }

    #[test]
    fn rfc3164_without_program_and_repeated_host() {
        check(
            "Jun 13 23:29:15 UDMP [WAN_LOCAL-D-1] DESCR=\"x\" IN=eth8",
            "2024-06-13T23:29:15.000000Z UDMP - - | [WAN_LOCAL-D-1] DESCR=\"x\" IN=eth8",
        );
        check(
            "Jun 13 23:29:15 UDMP UDMP [WAN_LOCAL-D-1] IN=eth8",
            "2024-06-13T23:29:15.000000Z UDMP - - | [WAN_LOCAL-D-1] IN=eth8",
        );
    }

    #[test]
    fn rfc3164_year_rollover_across_lines() {
        let mut time = TimeContext::utc(2023);
        let december = split_header(b"Dec 31 23:59:59 h kernel: a", &mut time).unwrap();
        let january = split_header(b"Jan  1 00:00:01 h kernel: b", &mut time).unwrap();
        assert_eq!(stamp(&december), "2023-12-31T23:59:59.000000Z");
        assert_eq!(stamp(&january), "2024-01-01T00:00:01.000000Z");
    }

    #[test]
    fn rfc3164_impossible_date_keeps_header_without_time() {
        check("Feb 30 10:00:00 host kernel: x", "- host kernel - | x");
    }

    #[test]
    fn rfc5424_full() {
        let header = check(
            "<134>1 2022-09-06T18:37:34+02:00 opnsense filterlog 69805 - [meta sequenceId=\"2633353\"] 10,,,02f4",
            "2022-09-06T16:37:34.000000Z opnsense filterlog 69805 | 10,,,02f4",
        );
        assert_eq!(header.time.unwrap().original_offset_seconds, Some(7200));
    }

    #[test]
    fn rfc5424_nil_values_bom_and_escaped_data() {
        check(
            "<13>1 2024-01-02T03:04:05.123Z - app - ID47 [a b=\"x\\\"]y\"][c d=\"e\"] \u{feff}hello",
            "2024-01-02T03:04:05.123000Z - app - | hello",
        );
        check("<13>1 - host - - - -", "- host - - | ");
    }

    #[test]
    fn rfc5424_without_priority() {
        check(
            "1 2019-05-15T16:25:50Z HOSTNAME CheckPoint 19710 - [action:\"Drop\"] rest",
            "2019-05-15T16:25:50.000000Z HOSTNAME CheckPoint 19710 | rest",
        );
    }

    #[test]
    fn rfc3339_high_precision() {
        let header = check(
            "2015-03-07T05:09:30.045015+02:00 servername kernel: DROP: IN=eth0",
            "2015-03-07T03:09:30.045015Z servername kernel - | DROP: IN=eth0",
        );
        assert_eq!(header.time.unwrap().original_offset_seconds, Some(7200));
    }

    #[test]
    fn journalctl_short_iso() {
        let header = check(
            "2024-01-02T03:04:05+0100 host kernel: IN=eth0 OUT=",
            "2024-01-02T02:04:05.000000Z host kernel - | IN=eth0 OUT=",
        );
        assert_eq!(header.time.unwrap().original_offset_seconds, Some(3600));
    }

    #[test]
    fn space_separated_date_without_offset_uses_the_zone() {
        let header = check(
            "2018-10-05 10:52:13 USG6300 %%01SECLOG/6/SESSION_TEARDOWN(l):IPVer=4",
            "2018-10-05T10:52:13.000000Z USG6300 - - | %%01SECLOG/6/SESSION_TEARDOWN(l):IPVer=4",
        );
        assert_eq!(header.time.unwrap().original_offset_seconds, None);
    }

    #[test]
    fn unrecognised_lines() {
        let mut time = TimeContext::utc(2024);
        for line in [
            "",
            "[ 1234.567890] IN=eth0",
            "{\"MESSAGE\":\"x\"}",
            "date=2024-10-14 time=13:46:40 type=traffic",
            "%ASA-2-106001: Inbound TCP",
            "Foo  5 03:04:05 host x",
            "Jan  5 3:04:05 host x",
            "Jan 123 03:04:05 host x",
            "<abc>Jan  5 03:04:05 host x",
            "1,2020/02/09 00:00:00,00000000,TRAFFIC,",
        ] {
            assert_eq!(split_header(line.as_bytes(), &mut time), None, "{line}");
        }
    }

    #[test]
    fn never_panics_on_truncated_headers() {
        let line =
            "<134>1 2022-09-06T18:37:34.123+02:00 opnsense filterlog 69805 - [meta x=\"1\"] m";
        let mut time = TimeContext::utc(2024);
        for end in 0..line.len() {
            let _ = split_header(&line.as_bytes()[..end], &mut time);
        }
        let line = "<4>Jan  5 2024 03:04:05.123456 host prog[12]: msg";
        for end in 0..line.len() {
            let _ = split_header(&line.as_bytes()[..end], &mut time);
        }
    }
}
