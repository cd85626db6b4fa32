//! Palo Alto Networks PAN-OS CSV logs sent over syslog.
//!
//! PAN-OS writes each log as one comma-separated line; fields holding commas are double-quoted
//! (with `""` for a quote inside). The fields this module reads sit at the same positions in the
//! TRAFFIC and THREAT layouts of PAN-OS 8 to 11:
//!
//! | index | field            | index | field             |
//! |-------|------------------|-------|-------------------|
//! | 1     | receive time     | 18    | inbound interface |
//! | 2     | serial number    | 19    | outbound interface|
//! | 3     | type             | 22    | session id        |
//! | 4     | subtype          | 24    | source port       |
//! | 6     | generated time   | 25    | destination port  |
//! | 7     | source address   | 29    | protocol          |
//! | 8     | destination addr | 30    | action            |
//! | 11    | rule name        |       |                   |
//!
//! TRAFFIC and THREAT lines become events; SYSTEM, CONFIG and the other log types are well-formed
//! lines that are not packet records, and are skipped. Times (`2024/01/02 03:04:05`) carry no zone
//! and are read with `--tz`.

use fwseen_event::{Action, Event, Protocol, Timestamp};

use crate::fields::{offset_in, parse_ip, parse_u16, parse_u32};
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// How many leading CSV fields are kept; the last one read is the action at index 30.
const KEPT_FIELDS: usize = 31;

const FIELD_RECEIVE_TIME: usize = 1;
const FIELD_SERIAL: usize = 2;
const FIELD_TYPE: usize = 3;
const FIELD_GENERATED_TIME: usize = 6;
const FIELD_SOURCE: usize = 7;
const FIELD_DESTINATION: usize = 8;
const FIELD_RULE: usize = 11;
const FIELD_INBOUND_INTERFACE: usize = 18;
const FIELD_OUTBOUND_INTERFACE: usize = 19;
const FIELD_SOURCE_PORT: usize = 24;
const FIELD_DESTINATION_PORT: usize = 25;
const FIELD_PROTOCOL: usize = 29;
const FIELD_ACTION: usize = 30;

/// Parser for PAN-OS CSV syslog lines.
pub struct PaloAltoParser {
    time: TimeContext,
}

impl PaloAltoParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for PaloAltoParser {
    fn kind(&self) -> FormatKind {
        FormatKind::PaloAlto
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_paloalto_line(line, &mut self.time)
    }
}

/// True when the line holds a PAN-OS CSV record: a `yyyy/mm/dd hh:mm:ss` receive time in the
/// second field and an upper-case log type in the fourth.
pub fn looks_like(line: &[u8]) -> bool {
    let start = csv_start(line);
    let mut fields: [&[u8]; KEPT_FIELDS] = [&[]; KEPT_FIELDS];
    let count = split_csv(&line[start..], &mut fields);
    count > FIELD_TYPE
        && parse_pan_time(fields[FIELD_RECEIVE_TIME]).is_some()
        && !fields[FIELD_TYPE].is_empty()
        && fields[FIELD_TYPE]
            .iter()
            .all(|b| b.is_ascii_uppercase() || *b == b'-' || *b == b'_')
}

/// Where the CSV record starts: after the last space before the first comma (the syslog header,
/// if any, ends there; the first CSV field never holds a space).
fn csv_start(line: &[u8]) -> usize {
    let first_comma = memchr::memchr(b',', line).unwrap_or(line.len());
    memchr::memrchr(b' ', &line[..first_comma]).map_or(0, |space| space + 1)
}

/// Parses one PAN-OS line.
pub fn parse_paloalto_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    let start = csv_start(line);
    let record = &line[start..];
    let mut fields: [&'a [u8]; KEPT_FIELDS] = [&[]; KEPT_FIELDS];
    let count = split_csv(record, &mut fields);
    if count <= FIELD_TYPE || parse_pan_time(fields[FIELD_RECEIVE_TIME]).is_none() {
        return Record::Skipped(SkipReason::OtherProgram);
    }
    let log_type = fields[FIELD_TYPE];
    if !(log_type == b"TRAFFIC" || log_type == b"THREAT") {
        return Record::Skipped(SkipReason::NotPacket);
    }
    if count < KEPT_FIELDS {
        return Record::Malformed(Malformed::at(
            "TRAFFIC or THREAT record with too few fields",
            start,
        ));
    }
    let column = |field: &[u8]| start + offset_in(record, field);
    let Some(src) = parse_ip(fields[FIELD_SOURCE]) else {
        return Record::Malformed(Malformed::at(
            "source address is not an IP address",
            column(fields[FIELD_SOURCE]),
        ));
    };
    let Some(dst) = parse_ip(fields[FIELD_DESTINATION]) else {
        return Record::Malformed(Malformed::at(
            "destination address is not an IP address",
            column(fields[FIELD_DESTINATION]),
        ));
    };
    let protocol = match protocol_from_word(fields[FIELD_PROTOCOL]) {
        Some(protocol) => protocol,
        None => {
            return Record::Malformed(Malformed::at(
                "unknown protocol",
                column(fields[FIELD_PROTOCOL]),
            ))
        }
    };
    let mut event = Event {
        src: Some(src),
        dst: Some(dst),
        protocol,
        ..Event::default()
    };
    if !matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        event.src_port = parse_u16(fields[FIELD_SOURCE_PORT]);
        event.dst_port = parse_u16(fields[FIELD_DESTINATION_PORT]);
    }
    event.action = action_from_word(fields[FIELD_ACTION]);
    event.rule = Some(fields[FIELD_RULE]).filter(|rule| !rule.is_empty());
    event.in_interface = Some(fields[FIELD_INBOUND_INTERFACE]).filter(|name| !name.is_empty());
    event.out_interface = Some(fields[FIELD_OUTBOUND_INTERFACE]).filter(|name| !name.is_empty());
    // PAN-OS 10 and later add a high-resolution time with its offset further along the line;
    // it beats the zone-less generated time.
    event.time = high_resolution_time(record)
        .or_else(|| local_time(fields[FIELD_GENERATED_TIME], time))
        .or_else(|| local_time(fields[FIELD_RECEIVE_TIME], time));
    let (header_time, host) = match crate::syslog::split_header(&line[..start], time) {
        Some(header) => (header.time, header.host),
        None => (None, None),
    };
    event.time = event.time.or(header_time);
    event.observer = host.or(Some(fields[FIELD_SERIAL]).filter(|serial| !serial.is_empty()));
    Record::Event(event)
}

/// A zone-less `yyyy/mm/dd hh:mm:ss` read in the configured zone.
fn local_time(text: &[u8], time: &TimeContext) -> Option<Timestamp> {
    let (year, month, day, hour, minute, second) = parse_pan_time(text)?;
    time.civil_to_utc(year, month, day, hour, minute, second, 0)
}

/// The first field after the action that is an RFC 3339 time (`2024-01-02T03:04:05.123+01:00`).
fn high_resolution_time(record: &[u8]) -> Option<Timestamp> {
    record
        .split(|b| *b == b',')
        .skip(FIELD_ACTION + 1)
        .filter(|field| {
            (20..=35).contains(&field.len())
                && field[..4].iter().all(u8::is_ascii_digit)
                && field[4] == b'-'
                && field[10] == b'T'
        })
        .find_map(crate::time::parse_rfc3339)
}

/// Maps a PAN-OS action to an action.
fn action_from_word(word: &[u8]) -> Action {
    match word {
        b"allow" | b"alert" | b"continue" | b"override" => Action::Allow,
        b"reset-both" | b"reset-client" | b"reset-server" => Action::Reject,
        _ if word.starts_with(b"drop")
            || word.starts_with(b"block")
            || word == b"deny"
            || word == b"sinkhole"
            || word == b"random-drop" =>
        {
            Action::Drop
        }
        _ => Action::Other,
    }
}

/// PAN-OS protocol names: `tcp`, `udp`, `icmp`, `ipv6-icmp`, or a number.
fn protocol_from_word(word: &[u8]) -> Option<Protocol> {
    Protocol::from_name(word).or(match word {
        b"gre" => Some(Protocol::Other(47)),
        b"esp" => Some(Protocol::Other(50)),
        b"sctp" => Some(Protocol::Other(132)),
        _ => None,
    })
}

/// `yyyy/mm/dd hh:mm:ss` → civil parts.
fn parse_pan_time(text: &[u8]) -> Option<(i32, u32, u32, u32, u32, u32)> {
    if text.len() != 19
        || text[4] != b'/'
        || text[7] != b'/'
        || text[10] != b' '
        || text[13] != b':'
        || text[16] != b':'
    {
        return None;
    }
    let year = parse_u32(&text[..4])? as i32;
    let month = parse_u32(&text[5..7])?;
    let day = parse_u32(&text[8..10])?;
    let hour = parse_u32(&text[11..13])?;
    let minute = parse_u32(&text[14..16])?;
    let second = parse_u32(&text[17..19])?;
    Some((year, month, day, hour, minute, second))
}

/// Splits a CSV record into at most `fields.len()` fields (the rest is not needed) and returns how
/// many were stored. Quoted fields are stored without their quotes (a doubled `""` inside stays
/// doubled: the fields read here never hold one).
fn split_csv<'a>(record: &'a [u8], fields: &mut [&'a [u8]; KEPT_FIELDS]) -> usize {
    let mut count = 0;
    let mut position = 0;
    while count < fields.len() {
        if record.get(position) == Some(&b'"') {
            let start = position + 1;
            let mut end = start;
            loop {
                match memchr::memchr(b'"', &record[end.min(record.len())..]) {
                    Some(relative) => {
                        let quote = end + relative;
                        if record.get(quote + 1) == Some(&b'"') {
                            end = quote + 2;
                            continue;
                        }
                        fields[count] = &record[start..quote];
                        position = quote + 1;
                        break;
                    }
                    None => {
                        // An unterminated quote runs to the end of the record.
                        fields[count] = &record[start.min(record.len())..];
                        return count + 1;
                    }
                }
            }
            count += 1;
            // Whatever follows the closing quote up to the comma is dropped.
            match memchr::memchr(b',', &record[position.min(record.len())..]) {
                Some(relative) => position += relative + 1,
                None => return count,
            }
        } else {
            match memchr::memchr(b',', &record[position..]) {
                Some(relative) => {
                    fields[count] = &record[position..position + relative];
                    position += relative + 1;
                    count += 1;
                }
                None => {
                    fields[count] = &record[position..];
                    return count + 1;
                }
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(record: &[u8]) -> Vec<&[u8]> {
        let mut fields: [&[u8]; KEPT_FIELDS] = [&[]; KEPT_FIELDS];
        let count = split_csv(record, &mut fields);
        fields[..count].to_vec()
    }

    #[test]
    fn csv_quotes_and_empty_fields() {
        assert_eq!(
            split(br#"a,,"b,c",d"#),
            vec![&b"a"[..], &b""[..], &b"b,c"[..], &b"d"[..]]
        );
        assert_eq!(split(br#""x""y",z"#), vec![&br#"x""y"#[..], &b"z"[..]]);
        assert_eq!(split(br#"a,"open"#), vec![&b"a"[..], &b"open"[..]]);
        assert_eq!(split(b"a,"), vec![&b"a"[..], &b""[..]]);
    }

    #[test]
    fn csv_start_skips_the_header() {
        let line = b"Jan  2 03:04:05 pa-fw 1,2024/01/02 03:04:05,0123,TRAFFIC";
        assert_eq!(&line[csv_start(line)..csv_start(line) + 2], b"1,");
        assert_eq!(csv_start(b"1,2024/01/02 03:04:05"), 0);
    }

    #[test]
    fn actions() {
        assert_eq!(action_from_word(b"allow"), Action::Allow);
        assert_eq!(action_from_word(b"drop-icmp"), Action::Drop);
        assert_eq!(action_from_word(b"reset-both"), Action::Reject);
        assert_eq!(action_from_word(b"deny"), Action::Drop);
        assert_eq!(action_from_word(b"whatever"), Action::Other);
    }
}
