//! Sophos Firewall (XG / SFOS) key=value syslog records.
//!
//! SFOS writes `key=value` pairs, values quoted when they are text: `device="SFW"
//! date=2024-01-15 time=10:00:01 timezone="+01" device_name="XG210" log_type="Firewall"
//! log_component="Firewall Rule" log_subtype="Denied" status="Deny" fw_rule_id=14
//! in_interface="Port2" out_interface="Port1" src_ip=198.51.100.7 dst_ip=203.0.113.9
//! protocol="TCP" src_port=50000 dst_port=3389 ...`. Newer releases (SFOS 19.5 on) write one
//! `timestamp="2024-01-15T10:00:01+0100"` instead of `date=`/`time=`/`timezone=`, and
//! `fw_rule_name=`; both are read.
//!
//! Only `log_type="Firewall"` records describe packets and become events; the action comes from
//! `log_subtype` (Allowed, Denied, Dropped) or `status` (Allow, Deny, Drop). Other log types (web
//! and application filtering, IPS, anti-virus, events, authentication) are skipped as not
//! packets, and so are firewall records without addresses.

use fwseen_event::{Action, Event, Icmp, Protocol, Timestamp};

use crate::fields::{
    civil_time, offset_in, parse_clock, parse_dashed_date, parse_ip, parse_u16, parse_u8,
    parse_whole_offset,
};
use crate::kv::KeyValues;
use crate::time::CivilDateTime;
use crate::words::ActionWords;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// Parser for Sophos Firewall records.
pub struct SophosParser {
    time: TimeContext,
}

impl SophosParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for SophosParser {
    fn kind(&self) -> FormatKind {
        FormatKind::SophosXg
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_sophos_line(line, &mut self.time)
    }
}

/// True when the line carries the SFOS log type, component and subtype pairs.
pub fn looks_like(line: &[u8]) -> bool {
    let has = |needle: &[u8]| memchr::memmem::find(line, needle).is_some();
    has(b"log_type=") && has(b"log_component=") && has(b"log_subtype=")
}

/// The fields of one record this parser uses, each a raw value (quotes removed).
#[derive(Default)]
struct Fields<'a> {
    date: Option<&'a [u8]>,
    time: Option<&'a [u8]>,
    zone: Option<&'a [u8]>,
    timestamp: Option<&'a [u8]>,
    device_name: Option<&'a [u8]>,
    device_id: Option<&'a [u8]>,
    log_type: Option<&'a [u8]>,
    subtype: Option<&'a [u8]>,
    status: Option<&'a [u8]>,
    src: Option<&'a [u8]>,
    dst: Option<&'a [u8]>,
    src_port: Option<&'a [u8]>,
    dst_port: Option<&'a [u8]>,
    protocol: Option<&'a [u8]>,
    in_interface: Option<&'a [u8]>,
    out_interface: Option<&'a [u8]>,
    rule_id: Option<&'a [u8]>,
    rule_name: Option<&'a [u8]>,
    icmp_type: Option<&'a [u8]>,
    icmp_code: Option<&'a [u8]>,
    pairs: usize,
}

impl<'a> Fields<'a> {
    fn store(&mut self, key: &[u8], value: &'a [u8]) {
        self.pairs += 1;
        // `<30>device="SFW"`: a syslog priority may stick to the first key.
        let key = match key.first() {
            Some(b'<') => memchr::memchr(b'>', key).map_or(key, |close| &key[close + 1..]),
            _ => key,
        };
        let slot = match key {
            b"date" => &mut self.date,
            b"time" => &mut self.time,
            b"timezone" => &mut self.zone,
            b"timestamp" => &mut self.timestamp,
            b"device_name" => &mut self.device_name,
            b"device_id" | b"device_serial_id" => &mut self.device_id,
            b"log_type" => &mut self.log_type,
            b"log_subtype" => &mut self.subtype,
            b"status" => &mut self.status,
            b"src_ip" => &mut self.src,
            b"dst_ip" => &mut self.dst,
            b"src_port" => &mut self.src_port,
            b"dst_port" => &mut self.dst_port,
            b"protocol" => &mut self.protocol,
            b"in_interface" => &mut self.in_interface,
            b"out_interface" => &mut self.out_interface,
            b"fw_rule_id" => &mut self.rule_id,
            b"fw_rule_name" => &mut self.rule_name,
            b"icmp_type" => &mut self.icmp_type,
            b"icmp_code" => &mut self.icmp_code,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// Parses one Sophos Firewall line.
pub fn parse_sophos_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
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
            Record::Malformed(Malformed::new("no log_type= field"))
        };
    };
    if !log_type.eq_ignore_ascii_case(b"Firewall") {
        return Record::Skipped(SkipReason::NotPacket);
    }
    let src_text = fields.src.filter(|text| !text.is_empty());
    let dst_text = fields.dst.filter(|text| !text.is_empty());
    let (src_text, dst_text) = match (src_text, dst_text) {
        (Some(src), Some(dst)) => (src, dst),
        (None, None) if ends_inside_quotes(line) => {
            return Record::Malformed(Malformed::new(
                "record cut off inside a quoted value, before its addresses",
            ))
        }
        (None, None) => return Record::Skipped(SkipReason::NotPacket),
        (None, Some(_)) => return Record::Malformed(Malformed::new("firewall log without src_ip")),
        (Some(_), None) => return Record::Malformed(Malformed::new("firewall log without dst_ip")),
    };
    let Some(src) = parse_ip(src_text) else {
        return Record::Malformed(Malformed::at(
            "src_ip is not an IP address",
            offset_in(line, src_text),
        ));
    };
    let Some(dst) = parse_ip(dst_text) else {
        return Record::Malformed(Malformed::at(
            "dst_ip is not an IP address",
            offset_in(line, dst_text),
        ));
    };
    let mut event = Event {
        src: Some(src),
        dst: Some(dst),
        ..Event::default()
    };
    event.protocol = match fields.protocol.filter(|text| !text.is_empty()) {
        Some(text) => match Protocol::from_name(text) {
            Some(protocol) => protocol,
            None => {
                return Record::Malformed(Malformed::at(
                    "protocol is neither a name nor a number",
                    offset_in(line, text),
                ))
            }
        },
        None => Protocol::Unknown,
    };
    if matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        if let Some(icmp_type) = fields.icmp_type.and_then(parse_u8) {
            let code = fields.icmp_code.and_then(parse_u8).unwrap_or(0);
            event.icmp = Some(Icmp { icmp_type, code });
        }
    } else {
        for (text, port, name) in [
            (
                fields.src_port,
                &mut event.src_port,
                "src_port is not a port number",
            ),
            (
                fields.dst_port,
                &mut event.dst_port,
                "dst_port is not a port number",
            ),
        ] {
            match text.filter(|text| !text.is_empty()) {
                None => {}
                Some(text) => match parse_u16(text) {
                    Some(value) => *port = Some(value),
                    None => return Record::Malformed(Malformed::at(name, offset_in(line, text))),
                },
            }
        }
    }
    event.action = fields
        .subtype
        .map(action_from_word)
        .filter(|action| *action != Action::Other)
        .or(fields.status.map(action_from_word))
        .unwrap_or(Action::Other);
    event.in_interface = fields.in_interface.filter(|name| !name.is_empty());
    event.out_interface = fields.out_interface.filter(|name| !name.is_empty());
    event.rule = fields
        .rule_name
        .filter(|name| !name.is_empty())
        .or(fields.rule_id.filter(|id| !id.is_empty()));
    let header = crate::syslog::split_header(line, time);
    event.time = time_of(&fields, time).or(header.and_then(|header| header.time));
    // `device_name` holds the model or the product ("XG210", "SFW"), not a host name: the syslog
    // host, else the serial number, names the device better.
    event.observer = header
        .and_then(|header| header.host)
        .or(fields.device_id.filter(|id| !id.is_empty()))
        .or(fields.device_name.filter(|name| !name.is_empty()));
    Record::Event(event)
}

/// True when the last `key="` of the line has no closing quote: the line was cut inside it.
/// Only asked of firewall records without addresses, which a cut line is; complete records may
/// end with a stray unclosed `th="...` fragment and are not affected.
fn ends_inside_quotes(line: &[u8]) -> bool {
    let Some(last_open) = memchr::memmem::rfind(line, b"=\"") else {
        return false;
    };
    memchr::memchr(b'"', &line[last_open + 2..]).is_none()
}

/// SFOS subtype and status words.
const ACTION_WORDS: ActionWords = ActionWords {
    allow: &[b"allowed", b"allow", b"allow session"],
    drop: &[b"denied", b"deny", b"dropped", b"drop", b"deny session"],
    reject: &[],
};

/// The action of one of the words above.
fn action_from_word(word: &[u8]) -> Action {
    ACTION_WORDS.action_of(word)
}

/// The record's time: `timestamp=` (RFC 3339 with an offset), or `date=` + `time=` with the
/// `timezone=` offset (`+08`, `+05:30`) or, when that is a zone name or missing, `--tz`.
fn time_of(fields: &Fields<'_>, time: &TimeContext) -> Option<Timestamp> {
    if let Some(stamp) = fields.timestamp.and_then(crate::time::parse_rfc3339) {
        return Some(stamp);
    }
    let (year, month, day) = parse_dashed_date(fields.date?)?;
    let (hour, minute, second) = parse_clock(fields.time?)?;
    let offset = fields.zone.and_then(parse_whole_offset);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions() {
        assert_eq!(action_from_word(b"Denied"), Action::Drop);
        assert_eq!(action_from_word(b"Allowed"), Action::Allow);
        assert_eq!(action_from_word(b"Detected"), Action::Other);
    }
}
