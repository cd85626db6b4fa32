//! FortiGate (FortiOS) key=value logs.
//!
//! A FortiGate line is a run of `key=value` pairs (`date=2024-01-02 time=03:04:05 devname="fw1"
//! type="traffic" subtype="forward" action="deny" srcip=... dstip=... proto=6 ...`), values quoted
//! or bare, usually behind a syslog header. This module turns `type=traffic` lines into events,
//! and also `type=utm` and `type=anomaly` lines that carry both addresses (an IPS, web filter or
//! DoS sensor acting on a session). `type=event` lines (VPN, admin, HA, system) are well-formed
//! but not packet records, and are skipped. The older FortiOS 4 spelling (`log_id=`, `status=`,
//! `src=`, `dst=`, `src_port=`, `src_int=`) is read too.
//!
//! Time comes from `eventtime=` (seconds, milliseconds, microseconds or nanoseconds since the
//! epoch) when present, else from `date=` and `time=` with `tz=` (or `--tz` when there is none),
//! else from the syslog header.

use fwseen_event::{Action, Direction, Event, Icmp, Protocol, Timestamp};

use crate::fields::{
    civil_time, offset_in, parse_clock, parse_dashed_date, parse_ip, parse_u16, parse_u32,
};
use crate::kv::KeyValues;
use crate::time::CivilDateTime;
use crate::words::ActionWords;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// Parser for FortiGate key=value log lines.
pub struct FortiGateParser {
    time: TimeContext,
}

impl FortiGateParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for FortiGateParser {
    fn kind(&self) -> FormatKind {
        FormatKind::FortiGate
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_fortigate_line(line, &mut self.time)
    }
}

/// True when the line looks like a FortiGate log: a log id and a type among its pairs.
pub fn looks_like(line: &[u8]) -> bool {
    // Keys are matched at word starts, so that `log_type=` (Sophos) is not taken for `type=`.
    let has_key = |key: &[u8]| {
        memchr::memmem::find_iter(line, key)
            .any(|position| position == 0 || matches!(line[position - 1], b' ' | b'>'))
    };
    (has_key(b"logid=") || has_key(b"log_id=")) && has_key(b"type=")
}

/// The fields of one line this parser uses, each a raw value (quotes removed).
#[derive(Default)]
struct Fields<'a> {
    date: Option<&'a [u8]>,
    time: Option<&'a [u8]>,
    zone: Option<&'a [u8]>,
    event_time: Option<&'a [u8]>,
    device_name: Option<&'a [u8]>,
    device_id: Option<&'a [u8]>,
    log_type: Option<&'a [u8]>,
    subtype: Option<&'a [u8]>,
    action: Option<&'a [u8]>,
    status: Option<&'a [u8]>,
    src: Option<&'a [u8]>,
    dst: Option<&'a [u8]>,
    src_port: Option<&'a [u8]>,
    dst_port: Option<&'a [u8]>,
    src_interface: Option<&'a [u8]>,
    dst_interface: Option<&'a [u8]>,
    protocol: Option<&'a [u8]>,
    policy_id: Option<&'a [u8]>,
    policy_name: Option<&'a [u8]>,
    icmp_type: Option<&'a [u8]>,
    icmp_code: Option<&'a [u8]>,
    pairs: usize,
}

impl<'a> Fields<'a> {
    fn store(&mut self, key: &[u8], value: &'a [u8]) {
        self.pairs += 1;
        // FortiOS sends `<189>date=...`: the syslog priority sticks to the first key.
        let key = strip_priority(key);
        let slot = match key {
            b"date" => &mut self.date,
            b"time" => &mut self.time,
            b"tz" => &mut self.zone,
            b"eventtime" => &mut self.event_time,
            b"devname" => &mut self.device_name,
            b"devid" | b"device_id" => &mut self.device_id,
            b"type" => &mut self.log_type,
            b"subtype" => &mut self.subtype,
            b"action" => &mut self.action,
            b"status" => &mut self.status,
            b"srcip" | b"src" => &mut self.src,
            b"dstip" | b"dst" => &mut self.dst,
            b"srcport" | b"src_port" => &mut self.src_port,
            b"dstport" | b"dst_port" => &mut self.dst_port,
            b"srcintf" | b"src_int" => &mut self.src_interface,
            b"dstintf" | b"dst_int" => &mut self.dst_interface,
            b"proto" => &mut self.protocol,
            b"policyid" => &mut self.policy_id,
            b"policyname" => &mut self.policy_name,
            b"icmptype" => &mut self.icmp_type,
            b"icmpcode" => &mut self.icmp_code,
            _ => return,
        };
        // The first occurrence wins: a syslog header cannot shadow the device's own fields
        // because it carries no pairs, and FortiOS writes each key once.
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// Parses one FortiGate line.
pub fn parse_fortigate_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    let mut fields = Fields::default();
    for (key, value) in KeyValues::new(line) {
        fields.store(key, value);
    }
    let Some(log_type) = fields.log_type else {
        return if fields.pairs == 0 {
            Record::Skipped(SkipReason::OtherProgram)
        } else {
            Record::Malformed(Malformed::new("no type= field"))
        };
    };
    let packet_type = log_type.eq_ignore_ascii_case(b"traffic");
    let session_type =
        log_type.eq_ignore_ascii_case(b"utm") || log_type.eq_ignore_ascii_case(b"anomaly");
    if !packet_type && !session_type {
        return Record::Skipped(SkipReason::NotPacket);
    }
    if session_type && (fields.src.is_none() || fields.dst.is_none()) {
        return Record::Skipped(SkipReason::NotPacket);
    }
    let mut event = Event::default();
    let Some(src) = fields.src else {
        return Record::Malformed(Malformed::new("traffic log without srcip="));
    };
    let Some(dst) = fields.dst else {
        return Record::Malformed(Malformed::new("traffic log without dstip="));
    };
    event.src = parse_ip(src);
    if event.src.is_none() {
        return Record::Malformed(Malformed::at(
            "srcip is not an IP address",
            offset_in(line, src),
        ));
    }
    event.dst = parse_ip(dst);
    if event.dst.is_none() {
        return Record::Malformed(Malformed::at(
            "dstip is not an IP address",
            offset_in(line, dst),
        ));
    }
    event.protocol = match fields.protocol {
        Some(text) => match parse_u32(text).and_then(|n| u8::try_from(n).ok()) {
            Some(number) => Protocol::from_number(number),
            None => {
                return Record::Malformed(Malformed::at(
                    "proto is not a protocol number",
                    offset_in(line, text),
                ))
            }
        },
        None => Protocol::Unknown,
    };
    if matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        if let Some(icmp_type) = fields.icmp_type.and_then(parse_number_or_hex) {
            let code = fields.icmp_code.and_then(parse_number_or_hex).unwrap_or(0);
            event.icmp = Some(Icmp { icmp_type, code });
        }
    } else {
        event.src_port = fields.src_port.and_then(parse_u16);
        event.dst_port = fields.dst_port.and_then(parse_u16);
    }
    event.action = fields
        .action
        .or(fields.status)
        .map_or(Action::Other, action_from_word);
    event.direction = direction_of(&fields);
    event.in_interface = fields.src_interface.filter(|name| !is_placeholder(name));
    event.out_interface = fields.dst_interface.filter(|name| !is_placeholder(name));
    event.rule = fields
        .policy_name
        .or(fields.policy_id)
        .filter(|name| !name.is_empty());
    event.observer = fields.device_name.or(fields.device_id);
    event.time = time_of(&fields, time);
    if event.time.is_none() || event.observer.is_none() {
        if let Some(header) = crate::syslog::split_header(line, time) {
            event.time = event.time.or(header.time);
            event.observer = event.observer.or(header.host);
        }
    }
    Record::Event(event)
}

/// Removes a leading `<digits>` syslog priority.
fn strip_priority(key: &[u8]) -> &[u8] {
    if key.first() == Some(&b'<') {
        if let Some(close) = memchr::memchr(b'>', key) {
            if close > 1 && key[1..close].iter().all(u8::is_ascii_digit) {
                return &key[close + 1..];
            }
        }
    }
    key
}

/// Maps FortiOS action and status words to an action.
const ACTION_WORDS: ActionWords = ActionWords {
    // close, timeout, client-rst, server-rst, ip-conn, monitored ...: the end of a session or
    // a note without a verdict on the packet, so they are in no list.
    allow: &[
        b"accept",
        b"allow",
        b"pass",
        b"passthrough",
        b"start",
        b"detected",
    ],
    drop: &[
        b"deny",
        b"drop",
        b"dropped",
        b"block",
        b"blocked",
        b"clear_session",
    ],
    reject: &[b"reset", b"reject"],
};

/// The action of one of the words above.
fn action_from_word(word: &[u8]) -> Action {
    ACTION_WORDS.action_of(word)
}

/// `subtype=forward` is routed traffic. Other subtypes (`local`: to or from the unit itself) and
/// the UTM `direction=` field (the way content flowed inside a session, not the way the session
/// was opened) do not say which way the packet went, so they give no direction.
fn direction_of(fields: &Fields<'_>) -> Direction {
    match fields.subtype {
        Some(subtype) if subtype.eq_ignore_ascii_case(b"forward") => Direction::Forward,
        _ => Direction::Unknown,
    }
}

/// `N/A`, `unknown-0` and empty interface names mean "none".
fn is_placeholder(name: &[u8]) -> bool {
    name.is_empty() || name.eq_ignore_ascii_case(b"N/A") || name.starts_with(b"unknown")
}

/// The time of the line from `eventtime=`, or `date=` + `time=` (+ `tz=`).
fn time_of(fields: &Fields<'_>, time: &TimeContext) -> Option<Timestamp> {
    let offset = fields.zone.and_then(parse_zone);
    if let Some(stamp) = fields.event_time.and_then(epoch_to_timestamp) {
        return Some(Timestamp {
            original_offset_seconds: offset,
            ..stamp
        });
    }
    let (year, month, day) = parse_dashed_date(fields.date?)?;
    let (hour, minute, second) = parse_clock(fields.time?)?;
    let parts = CivilDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        micros: 0,
        offset_seconds: offset,
    };
    civil_time(time, &parts)
}

/// Epoch seconds (10 digits), milliseconds (13), microseconds (16) or nanoseconds (19).
fn epoch_to_timestamp(text: &[u8]) -> Option<Timestamp> {
    if text.is_empty() || text.len() > 19 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Nineteen digits may not fit an i64: the fold saturates, and a saturated (or any absurd)
    // value ends outside the time window, so the line is malformed rather than dated 1694.
    let value: i64 = text.iter().fold(0i64, |value, digit| {
        value
            .saturating_mul(10)
            .saturating_add(i64::from(digit - b'0'))
    });
    let unix_micros = match text.len() {
        0..=11 => value.saturating_mul(1_000_000),
        12..=14 => value.saturating_mul(1_000),
        15..=17 => value,
        _ => value / 1_000,
    };
    // Anything shorter than epoch seconds since 2001 is no time at all (sanitised samples
    // write `eventtime=111111111`).
    if text.len() < 10 {
        return None;
    }
    Some(Timestamp {
        unix_micros,
        original_offset_seconds: None,
    })
}

/// `+0100`, `-07:00`, `+01` → seconds east of UTC.
fn parse_zone(text: &[u8]) -> Option<i32> {
    let (sign, rest) = match text.first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: [u8; 4] = match rest {
        [a, b, b':', c, d] | [a, b, c, d] => [*a, *b, *c, *d],
        [a, b] => [*a, *b, b'0', b'0'],
        _ => return None,
    };
    let hours = parse_u32(&digits[..2])?;
    let minutes = parse_u32(&digits[2..])?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60) as i32)
}

/// A decimal number or a `0x`-prefixed hexadecimal one (FortiOS writes `icmptype="0x08"`).
fn parse_number_or_hex(text: &[u8]) -> Option<u8> {
    if let Some(hex) = text
        .strip_prefix(b"0x")
        .or_else(|| text.strip_prefix(b"0X"))
    {
        if hex.is_empty() || hex.len() > 2 {
            return None;
        }
        let mut value = 0u8;
        for digit in hex {
            value = value * 16 + (*digit as char).to_digit(16)? as u8;
        }
        return Some(value);
    }
    u8::try_from(parse_u32(text)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_and_epochs() {
        assert_eq!(parse_zone(b"+0100"), Some(3600));
        assert_eq!(parse_zone(b"-07:00"), Some(-25200));
        assert_eq!(parse_zone(b"0100"), None);
        let stamp = epoch_to_timestamp(b"1728938800841267391").unwrap();
        assert_eq!(stamp.unix_micros, 1_728_938_800_841_267);
        assert_eq!(
            epoch_to_timestamp(b"1557968619").unwrap().unix_micros,
            1_557_968_619_000_000
        );
        assert_eq!(epoch_to_timestamp(b"111111111"), None);
    }

    #[test]
    fn actions() {
        assert_eq!(action_from_word(b"deny"), Action::Drop);
        assert_eq!(action_from_word(b"accept"), Action::Allow);
        assert_eq!(action_from_word(b"close"), Action::Other);
        assert_eq!(action_from_word(b"reset"), Action::Reject);
    }

    #[test]
    fn hex_numbers() {
        assert_eq!(parse_number_or_hex(b"0x08"), Some(8));
        assert_eq!(parse_number_or_hex(b"11"), Some(11));
        assert_eq!(parse_number_or_hex(b"0xzz"), None);
    }
}
