//! ArcSight Common Event Format (CEF) records.
//!
//! A CEF record is `CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|Extension`,
//! usually behind a syslog header. The seven header fields may hold `\|` and `\\`; the extension is
//! a run of `key=value` pairs whose values may hold spaces and the escapes `\=`, `\\`, `\n` and
//! `\r`, so a value ends only where the next ` key=` begins. Some relays cut the `CEF:` prefix and
//! send `0|Vendor|...`; that form is read too.
//!
//! This module turns records that describe traffic into events: the short keys `src`, `dst`,
//! `spt`, `dpt`, `proto`, `act`, `deviceDirection`, `rt`, `dvchost`, `dvc`,
//! `deviceInboundInterface`, `deviceOutboundInterface`, the IPv6 custom addresses `c6a2`/`c6a3`,
//! `shost`/`dhost` when they hold an address and no `src`/`dst` is given, and
//! the `cs1`..`cs6` strings (the one whose label names a rule or policy becomes the rule) are read,
//! along with the long spellings some producers use (`sourceAddress`, `destinationPort`, ...).
//! UniFi's `UNIFIutcTime` and `UNIFIhost` stand in for `rt` and `dvchost` when those are missing.
//! Without `act=`, the event name's verdict word ("...Blocked", "...Allowed") gives the action.
//! A record is a packet record when it names an address and either the other address, a protocol
//! or a port; records without that (an administrator login that only names the client) are
//! skipped as not packets.
//!
//! Values are kept as written: escapes are not undone, because that would need a copy, and the
//! fields turned into typed values (addresses, ports, numbers) never contain them.

use std::net::IpAddr;

use fwseen_event::{Action, Direction, Event, Protocol, Timestamp};
use memchr::memmem;

use crate::fields::{civil_time, offset_in, parse_ip, parse_u16, parse_u32, parse_whole_offset};
use crate::time::CivilDateTime;
use crate::words::{contains_ignore_case, ActionWords};
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// Parser for CEF records.
pub struct CefParser {
    time: TimeContext,
}

impl CefParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for CefParser {
    fn kind(&self) -> FormatKind {
        FormatKind::Cef
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_cef_line(line, &mut self.time)
    }
}

/// True when the line holds a `CEF:<digit>|` record, or starts with a cut `0|` header that has
/// all seven header fields.
pub fn looks_like(line: &[u8]) -> bool {
    if let Some(start) = memmem::find(line, b"CEF:") {
        let rest = &line[start + 4..];
        return rest.first().is_some_and(u8::is_ascii_digit) && rest.get(1) == Some(&b'|');
    }
    is_cut_header(line)
}

/// `0|` or `1|` at the start of the text, followed by at least six more unescaped pipes.
fn is_cut_header(text: &[u8]) -> bool {
    matches!(text, [b'0' | b'1', b'|', ..]) && split_header_fields(text).is_some()
}

/// The seven header fields and the extension after them, or None when the header is incomplete.
struct CefHeader<'a> {
    name: &'a [u8],
    extension: &'a [u8],
}

/// Splits `Version|Vendor|Product|Version|SignatureID|Name|Severity|Extension` on unescaped pipes.
fn split_header_fields(text: &[u8]) -> Option<CefHeader<'_>> {
    let mut fields: [&[u8]; 7] = [&[]; 7];
    let mut count = 0;
    let mut field_start = 0;
    let mut index = 0;
    while index < text.len() {
        match text[index] {
            b'\\' => index += 2,
            b'|' => {
                fields[count] = &text[field_start..index];
                count += 1;
                field_start = index + 1;
                if count == fields.len() {
                    return Some(CefHeader {
                        name: fields[5],
                        extension: &text[field_start..],
                    });
                }
                index += 1;
            }
            _ => index += 1,
        }
    }
    None
}

/// The extension fields this parser uses, each a raw value.
#[derive(Default)]
struct Fields<'a> {
    src: Option<&'a [u8]>,
    dst: Option<&'a [u8]>,
    src_ipv6: Option<&'a [u8]>,
    src_host: Option<&'a [u8]>,
    dst_host: Option<&'a [u8]>,
    dst_ipv6: Option<&'a [u8]>,
    src_port: Option<&'a [u8]>,
    dst_port: Option<&'a [u8]>,
    protocol: Option<&'a [u8]>,
    action: Option<&'a [u8]>,
    direction: Option<&'a [u8]>,
    receipt_time: Option<&'a [u8]>,
    start_time: Option<&'a [u8]>,
    unifi_time: Option<&'a [u8]>,
    unifi_host: Option<&'a [u8]>,
    device_host: Option<&'a [u8]>,
    device_address: Option<&'a [u8]>,
    in_interface: Option<&'a [u8]>,
    out_interface: Option<&'a [u8]>,
    /// `cs1`..`cs6` and their labels.
    custom: [Option<&'a [u8]>; 6],
    custom_labels: [Option<&'a [u8]>; 6],
}

impl<'a> Fields<'a> {
    fn store(&mut self, key: &[u8], value: &'a [u8]) {
        if let Some(index) = custom_string_index(key, b"Label") {
            self.custom_labels[index] = Some(value);
            return;
        }
        if let Some(index) = custom_string_index(key, b"") {
            self.custom[index] = Some(value);
            return;
        }
        let slot = match key {
            b"src" | b"sourceAddress" => &mut self.src,
            b"dst" | b"destinationAddress" => &mut self.dst,
            b"c6a2" | b"deviceCustomIPv6Address2" => &mut self.src_ipv6,
            b"shost" | b"sourceHostName" => &mut self.src_host,
            b"dhost" | b"destinationHostName" => &mut self.dst_host,
            b"c6a3" | b"deviceCustomIPv6Address3" => &mut self.dst_ipv6,
            b"spt" | b"sourcePort" => &mut self.src_port,
            b"dpt" | b"destinationPort" => &mut self.dst_port,
            b"proto" | b"transportProtocol" => &mut self.protocol,
            b"act" | b"deviceAction" => &mut self.action,
            b"deviceDirection" => &mut self.direction,
            b"rt" | b"receiptTime" => &mut self.receipt_time,
            b"start" | b"startTime" => &mut self.start_time,
            // UniFi writes its own UTC time and device name instead of `rt` and `dvchost`.
            b"UNIFIutcTime" => &mut self.unifi_time,
            b"UNIFIhost" => &mut self.unifi_host,
            b"dvchost" | b"deviceHostName" => &mut self.device_host,
            b"dvc" | b"deviceAddress" => &mut self.device_address,
            b"deviceInboundInterface" => &mut self.in_interface,
            b"deviceOutboundInterface" => &mut self.out_interface,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// `cs1`..`cs6` (with `suffix` empty) or `cs1Label`..`cs6Label` → 0..5.
fn custom_string_index(key: &[u8], suffix: &[u8]) -> Option<usize> {
    let rest = key.strip_prefix(b"cs")?.strip_suffix(suffix)?;
    match rest {
        [digit @ b'1'..=b'6'] => Some(usize::from(digit - b'1')),
        _ => None,
    }
}

/// Parses one CEF line.
pub fn parse_cef_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    // Where the header starts, and what came before it (a syslog header, if any).
    let (prefix, header_text) = match memmem::find(line, b"CEF:") {
        Some(start) => (&line[..start], &line[start + 4..]),
        None => {
            if is_cut_header(line) {
                (&line[..0], line)
            } else {
                match crate::syslog::split_header(line, time) {
                    Some(header) if is_cut_header(header.message) => {
                        let start = line.len() - header.message.len();
                        (&line[..start], header.message)
                    }
                    _ => return Record::Skipped(SkipReason::OtherProgram),
                }
            }
        }
    };
    let header_offset = line.len() - header_text.len();
    let Some(header) = split_header_fields(header_text) else {
        return Record::Malformed(Malformed::at(
            "CEF header has fewer than seven fields",
            header_offset,
        ));
    };
    let mut fields = Fields::default();
    for (key, value) in Extension::new(header.extension) {
        fields.store(key, value);
    }

    // Some producers leave `src`/`dst` out and write the address as the host name.
    let address_host = |host: Option<&'a [u8]>| host.filter(|host| parse_ip(host).is_some());
    let src = match read_address(
        fields
            .src
            .or(fields.src_ipv6)
            .or(address_host(fields.src_host)),
    ) {
        Ok(address) => address,
        Err(()) => return malformed_at(line, "src is not an IP address", fields.src),
    };
    let dst = match read_address(
        fields
            .dst
            .or(fields.dst_ipv6)
            .or(address_host(fields.dst_host)),
    ) {
        Ok(address) => address,
        Err(()) => return malformed_at(line, "dst is not an IP address", fields.dst),
    };
    let src_port = match read_port(fields.src_port) {
        Ok(port) => port,
        Err(()) => return malformed_at(line, "spt is not a port number", fields.src_port),
    };
    let dst_port = match read_port(fields.dst_port) {
        Ok(port) => port,
        Err(()) => return malformed_at(line, "dpt is not a port number", fields.dst_port),
    };
    let protocol = fields
        .protocol
        .and_then(Protocol::from_name)
        .unwrap_or(Protocol::Unknown);
    let has_transport = fields.protocol.is_some() || src_port.is_some() || dst_port.is_some();
    let is_packet = match (src, dst) {
        (Some(_), Some(_)) => true,
        (Some(_), None) | (None, Some(_)) => has_transport,
        (None, None) => false,
    };
    if !is_packet {
        return Record::Skipped(SkipReason::NotPacket);
    }

    let mut event = Event {
        src,
        dst,
        protocol,
        ..Event::default()
    };
    if !matches!(protocol, Protocol::Icmp | Protocol::Icmpv6) {
        event.src_port = src_port;
        event.dst_port = dst_port;
    }
    event.action = match fields.action {
        Some(word) => action_from_word(word),
        None => action_from_name(header.name),
    };
    event.direction = match fields.direction {
        Some(b"0") => Direction::Inbound,
        Some(b"1") => Direction::Outbound,
        _ => Direction::Unknown,
    };
    event.in_interface = fields.in_interface.filter(|name| !name.is_empty());
    event.out_interface = fields.out_interface.filter(|name| !name.is_empty());
    event.rule = rule_of(&fields).or(Some(header.name).filter(|name| !name.is_empty()));

    let syslog = if prefix.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        crate::syslog::split_header(prefix, time)
    };
    event.time = fields
        .receipt_time
        .and_then(|text| parse_cef_time(text, time))
        .or_else(|| {
            fields
                .start_time
                .and_then(|text| parse_cef_time(text, time))
        })
        .or_else(|| fields.unifi_time.and_then(crate::time::parse_rfc3339))
        .or(syslog.and_then(|header| header.time));
    event.observer = fields
        .device_host
        .filter(|host| !host.is_empty())
        .or(syslog.and_then(|header| header.host))
        .or(fields.device_address.filter(|host| !host.is_empty()))
        .or(fields.unifi_host.filter(|host| !host.is_empty()));
    Record::Event(event)
}

fn malformed_at<'a>(line: &[u8], reason: &'static str, part: Option<&[u8]>) -> Record<'a> {
    match part {
        Some(part) => Record::Malformed(Malformed::at(reason, offset_in(line, part))),
        None => Record::Malformed(Malformed::new(reason)),
    }
}

/// The `csN` value whose `csNLabel` names a rule or a policy.
fn rule_of<'a>(fields: &Fields<'a>) -> Option<&'a [u8]> {
    (0..6).find_map(|index| {
        let label = fields.custom_labels[index]?;
        let value = fields.custom[index]?;
        (contains_ignore_case(label, b"rule") || contains_ignore_case(label, b"policy"))
            .then_some(value)
            .filter(|value| !value.is_empty())
    })
}

/// A missing value is no address; a value that is not an address is an error.
fn read_address(value: Option<&[u8]>) -> Result<Option<IpAddr>, ()> {
    match value {
        None => Ok(None),
        Some([]) => Ok(None),
        Some(text) => parse_ip(text).map(Some).ok_or(()),
    }
}

/// A missing value is no port; a value that is not 0..=65535 is an error.
fn read_port(value: Option<&[u8]>) -> Result<Option<u16>, ()> {
    match value {
        None => Ok(None),
        Some([]) => Ok(None),
        Some(text) => parse_u16(text).map(Some).ok_or(()),
    }
}

/// Maps `act=` words (`blocked`, `deny`, `accept`, `reset`, ...) to an action.
const ACTION_WORDS: ActionWords = ActionWords {
    allow: &[
        b"allow",
        b"allowed",
        b"accept",
        b"accepted",
        b"permit",
        b"permitted",
        b"pass",
        b"passed",
    ],
    drop: &[
        b"block",
        b"blocked",
        b"deny",
        b"denied",
        b"drop",
        b"dropped",
        b"prevent",
        b"prevented",
        b"discard",
        b"discarded",
    ],
    reject: &[b"reject", b"rejected", b"reset", b"refused"],
};

/// The action of one of the words above.
fn action_from_word(word: &[u8]) -> Action {
    ACTION_WORDS.action_of(word.trim_ascii())
}

/// Without `act=`, the event name may still say what happened ("Threat Detected and Blocked").
fn action_from_name(name: &[u8]) -> Action {
    if ["blocked", "denied", "dropped"]
        .iter()
        .any(|word| contains_ignore_case(name, word.as_bytes()))
    {
        Action::Drop
    } else if contains_ignore_case(name, b"rejected") {
        Action::Reject
    } else if ["allowed", "accepted", "permitted"]
        .iter()
        .any(|word| contains_ignore_case(name, word.as_bytes()))
    {
        Action::Allow
    } else {
        Action::Other
    }
}

/// CEF times: epoch milliseconds (or seconds), `MMM dd [yyyy ]HH:mm:ss[.SSS][ zone]` and RFC 3339.
/// The zone of the second form is honoured when it is UTC/GMT/Z or an offset; other names are
/// read with the configured zone (so is a time without a year, which takes the context's year).
fn parse_cef_time(text: &[u8], time: &mut TimeContext) -> Option<Timestamp> {
    let text = text.trim_ascii();
    if !text.is_empty() && text.iter().all(u8::is_ascii_digit) {
        if text.len() > 16 {
            return None;
        }
        let value = text
            .iter()
            .fold(0i64, |value, digit| value * 10 + i64::from(digit - b'0'));
        let unix_micros = match text.len() {
            10 => value.saturating_mul(1_000_000),
            13 => value.saturating_mul(1_000),
            _ => return None,
        };
        return Some(Timestamp {
            unix_micros,
            original_offset_seconds: None,
        });
    }
    if let Some(stamp) = crate::time::parse_rfc3339(text) {
        return Some(stamp);
    }
    // `Jan 15 2024 10:00:01[.123][ UTC]`, the year optional.
    let month = crate::time::month_from_abbrev(text.get(..3)?)?;
    let mut words = text[3..]
        .split(|b| *b == b' ')
        .filter(|word| !word.is_empty());
    let day = parse_u32(words.next()?)?;
    let mut clock = words.next()?;
    let mut year = None;
    if clock.len() == 4 {
        year = Some(parse_u32(clock)? as i32);
        clock = words.next()?;
    }
    if clock.len() < 8 || clock[2] != b':' || clock[5] != b':' {
        return None;
    }
    let hour = parse_u32(&clock[..2])?;
    let minute = parse_u32(&clock[3..5])?;
    let second = parse_u32(&clock[6..8])?;
    let (micros, used) = crate::time::fraction_at(clock, 8);
    if used != clock.len() {
        return None;
    }
    let offset = match words.next() {
        None => None,
        Some(zone)
            if zone.eq_ignore_ascii_case(b"UTC")
                || zone.eq_ignore_ascii_case(b"GMT")
                || zone == b"Z" =>
        {
            Some(0)
        }
        Some(zone) => parse_whole_offset(zone),
    };
    let Some(year) = year else {
        // Without a year, the year and the zone come from the context, as for RFC 3164 syslog.
        return time.resolve_year_less(month, day, hour, minute, second, micros);
    };
    let parts = CivilDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        micros,
        offset_seconds: offset,
    };
    civil_time(time, &parts)
}

/// Iterates over the `key=value` pairs of a CEF extension. A value runs up to the space before
/// the next unescaped `=` whose preceding word is a valid key; escaped `\=` never ends a value.
struct Extension<'a> {
    text: &'a [u8],
    position: usize,
}

impl<'a> Extension<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self { text, position: 0 }
    }
}

/// Key characters: letters, digits, `_`, `.`, `-`, `[` and `]`.
fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-' | b'[' | b']')
}

impl<'a> Iterator for Extension<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        loop {
            while self.position < text.len() && text[self.position] == b' ' {
                self.position += 1;
            }
            if self.position >= text.len() {
                return None;
            }
            let key_start = self.position;
            while self.position < text.len() && is_key_byte(text[self.position]) {
                self.position += 1;
            }
            if text.get(self.position) != Some(&b'=') || self.position == key_start {
                // Not a key: skip the word and look again.
                while self.position < text.len() && text[self.position] != b' ' {
                    self.position += 1;
                }
                continue;
            }
            let key = &text[key_start..self.position];
            let value_start = self.position + 1;
            let mut index = value_start;
            let mut last_space: Option<usize> = None;
            // True while every byte since the last space could belong to a key, so that each `=`
            // is judged in constant time (no rescanning of the word before it).
            let mut word_is_key = false;
            let mut value_end = text.len();
            while index < text.len() {
                match text[index] {
                    b'\\' => {
                        word_is_key = false;
                        index += 2;
                    }
                    b' ' => {
                        last_space = Some(index);
                        word_is_key = true;
                        index += 1;
                    }
                    b'=' => {
                        if let Some(space) = last_space {
                            if word_is_key && index > space + 1 {
                                value_end = space;
                                break;
                            }
                        }
                        word_is_key = false;
                        index += 1;
                    }
                    byte => {
                        word_is_key &= is_key_byte(byte);
                        index += 1;
                    }
                }
            }
            let value_end = value_end.min(text.len());
            self.position = value_end;
            let mut value = &text[value_start.min(value_end)..value_end];
            while let [rest @ .., b' '] = value {
                value = rest;
            }
            return Some((key, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_values_hold_spaces_and_escapes() {
        let pairs: Vec<_> =
            Extension::new(br"src=10.0.0.1 msg=a b\=c d=e f act=blocked x\\=y end=").collect();
        assert_eq!(
            pairs,
            vec![
                (&b"src"[..], &b"10.0.0.1"[..]),
                (&b"msg"[..], &br"a b\=c"[..]),
                (&b"d"[..], &b"e f"[..]),
                (&b"act"[..], &br"blocked x\\=y"[..]),
                (&b"end"[..], &b""[..]),
            ]
        );
        // A trailing backslash does not run past the end.
        let pairs: Vec<_> = Extension::new(br"a=b\").collect();
        assert_eq!(pairs, vec![(&b"a"[..], &br"b\"[..])]);
    }

    #[test]
    fn header_fields_with_escaped_pipes() {
        let header = split_header_fields(br"0|V|P|1|7|a \| b|5|src=1.2.3.4").unwrap();
        assert_eq!(header.name, br"a \| b");
        assert_eq!(header.extension, b"src=1.2.3.4");
        assert!(split_header_fields(b"0|V|P|1|7|name").is_none());
    }

    #[test]
    fn times() {
        let mut time = TimeContext::utc(2024);
        assert_eq!(
            parse_cef_time(b"1705312801123", &mut time)
                .unwrap()
                .unix_micros,
            1_705_312_801_123_000
        );
        let stamp = parse_cef_time(b"Jan 15 2024 10:00:01 UTC", &mut time).unwrap();
        assert_eq!(stamp.to_string(), "2024-01-15T10:00:01.000000Z");
        let stamp = parse_cef_time(b"Jan 15 2024 11:00:01.250 +01:00", &mut time).unwrap();
        assert_eq!(stamp.to_string(), "2024-01-15T10:00:01.250000Z");
        assert_eq!(parse_cef_time(b"Jan 15 2024 1:00", &mut time), None);
        assert_eq!(parse_cef_time(b"12345", &mut time), None);
        let stamp = parse_cef_time(b"Mar  3 04:05:06", &mut time).unwrap();
        assert_eq!(stamp.to_string(), "2024-03-03T04:05:06.000000Z");
    }

    #[test]
    fn actions() {
        assert_eq!(action_from_word(b"blocked"), Action::Drop);
        assert_eq!(action_from_word(b"Accept"), Action::Allow);
        assert_eq!(action_from_word(b"reset"), Action::Reject);
        assert_eq!(action_from_word(b"alert"), Action::Other);
        assert_eq!(
            action_from_name(b"Threat Detected and Blocked"),
            Action::Drop
        );
        assert_eq!(action_from_name(b"Admin Accessed"), Action::Other);
    }
}
