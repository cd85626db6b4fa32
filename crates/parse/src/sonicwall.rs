//! SonicWall (SonicOS) key=value syslog records.
//!
//! SonicOS writes its "Default" syslog format as `key=value` pairs, values quoted when they hold
//! spaces: `id=firewall sn=0017C5000000 time="2024-01-15 10:00:01 UTC" fw=203.0.113.1 pri=5 c=64
//! m=36 msg="TCP connection dropped" n=123 src=198.51.100.7:4507:X1 dst=203.0.113.1:445:X0
//! proto=tcp/445 rule="5 (WAN->LAN)"`. Addresses carry their port and interface
//! (`IP:PORT:IFACE[:host]`, port or interface left empty when unknown); IPv6 addresses go into
//! `srcV6=`/`dstV6=` and leave `src=:PORT:IFACE` without the address. `proto=` is the protocol and
//! the service (`tcp/80`, `udp/dns`, `icmp`); ICMP records add `type=` and `icmpCode=`.
//!
//! What happened is told by `fw_action=` on SonicOS 6.5 and later ("drop", "forward"), else by
//! the message (`msg=`, with its id `m=`): "dropped", "blocked" and "denied" messages are drops,
//! "Connection Opened" is an allowed connection, and the rest (connection closed, NAT mapping, web
//! site hit) are "other". Records without addresses, and administrator, user and VPN messages
//! (logins, IPsec and IKE negotiation), are not packet records and are skipped; a record with
//! only one of `src=`/`dst=`, or cut inside a quoted value before them, is malformed.

use std::net::IpAddr;

use fwseen_event::{Action, Event, Icmp, Protocol, Timestamp};

use crate::fields::{offset_in, parse_ip, parse_u16, parse_u32, parse_u8};
use crate::kv::KeyValues;
use crate::words::contains_ignore_case;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// Parser for SonicWall key=value records.
pub struct SonicWallParser {
    time: TimeContext,
}

impl SonicWallParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for SonicWallParser {
    fn kind(&self) -> FormatKind {
        FormatKind::SonicWall
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_sonicwall_line(line, &mut self.time)
    }
}

/// True when the line carries SonicWall's serial number, category and message id pairs.
pub fn looks_like(line: &[u8]) -> bool {
    let has = |needle: &[u8]| memchr::memmem::find(line, needle).is_some();
    (line.starts_with(b"sn=") || has(b" sn=")) && has(b" m=") && has(b" c=")
}

/// The fields of one record this parser uses, each a raw value (quotes removed).
#[derive(Default)]
struct Fields<'a> {
    serial: Option<&'a [u8]>,
    firewall: Option<&'a [u8]>,
    time: Option<&'a [u8]>,
    message: Option<&'a [u8]>,
    message_id: Option<&'a [u8]>,
    src: Option<&'a [u8]>,
    dst: Option<&'a [u8]>,
    src_ipv6: Option<&'a [u8]>,
    dst_ipv6: Option<&'a [u8]>,
    protocol: Option<&'a [u8]>,
    rule: Option<&'a [u8]>,
    firewall_action: Option<&'a [u8]>,
    icmp_type: Option<&'a [u8]>,
    icmp_code: Option<&'a [u8]>,
    pairs: usize,
}

impl<'a> Fields<'a> {
    fn store(&mut self, key: &[u8], value: &'a [u8]) {
        self.pairs += 1;
        let slot = match key {
            b"sn" => &mut self.serial,
            b"fw" => &mut self.firewall,
            b"time" => &mut self.time,
            b"msg" => &mut self.message,
            b"m" => &mut self.message_id,
            b"src" => &mut self.src,
            b"dst" => &mut self.dst,
            b"srcV6" => &mut self.src_ipv6,
            b"dstV6" => &mut self.dst_ipv6,
            b"proto" => &mut self.protocol,
            b"rule" => &mut self.rule,
            b"fw_action" => &mut self.firewall_action,
            b"type" => &mut self.icmp_type,
            b"icmpCode" => &mut self.icmp_code,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// One side of a connection: `IP:PORT:IFACE[:host]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Endpoint<'a> {
    address: Option<IpAddr>,
    port: Option<u16>,
    interface: Option<&'a [u8]>,
}

/// Parses one SonicWall line.
pub fn parse_sonicwall_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    let mut fields = Fields::default();
    for (key, value) in KeyValues::new(line) {
        fields.store(key, value);
    }
    if fields.serial.is_none() || (fields.message.is_none() && fields.message_id.is_none()) {
        return if fields.pairs == 0 {
            Record::Skipped(SkipReason::OtherProgram)
        } else {
            Record::Malformed(Malformed::new("no sn= and msg= fields"))
        };
    }
    let message = fields.message.unwrap_or_default();
    if is_management_message(message) {
        return Record::Skipped(SkipReason::NotPacket);
    }
    let (src_text, dst_text) = match (fields.src, fields.dst) {
        (Some(src), Some(dst)) => (src, dst),
        (None, None) if has_open_quote(line) => {
            return Record::Malformed(Malformed::new(
                "record cut off inside a quoted value, before its addresses",
            ))
        }
        (None, None) => return Record::Skipped(SkipReason::NotPacket),
        (Some(_), None) => return Record::Malformed(Malformed::new("src= without dst=")),
        (None, Some(_)) => return Record::Malformed(Malformed::new("dst= without src=")),
    };
    let Some(source) = parse_endpoint(src_text) else {
        return Record::Malformed(Malformed::at(
            "src is not IP:PORT:IFACE",
            offset_in(line, src_text),
        ));
    };
    let Some(destination) = parse_endpoint(dst_text) else {
        return Record::Malformed(Malformed::at(
            "dst is not IP:PORT:IFACE",
            offset_in(line, dst_text),
        ));
    };
    let src = match (source.address, fields.src_ipv6) {
        (Some(address), _) => Some(address),
        (None, Some(text)) => match parse_ip(text) {
            Some(address) => Some(address),
            None => {
                return Record::Malformed(Malformed::at(
                    "srcV6 is not an IP address",
                    offset_in(line, text),
                ))
            }
        },
        (None, None) => None,
    };
    let dst = match (destination.address, fields.dst_ipv6) {
        (Some(address), _) => Some(address),
        (None, Some(text)) => match parse_ip(text) {
            Some(address) => Some(address),
            None => {
                return Record::Malformed(Malformed::at(
                    "dstV6 is not an IP address",
                    offset_in(line, text),
                ))
            }
        },
        (None, None) => None,
    };
    let (Some(src), Some(dst)) = (src, dst) else {
        return Record::Skipped(SkipReason::NotPacket);
    };
    let mut event = Event {
        src: Some(src),
        dst: Some(dst),
        in_interface: source.interface,
        out_interface: destination.interface,
        ..Event::default()
    };
    event.protocol = match fields.protocol {
        Some(protocol) => {
            let name = &protocol[..memchr::memchr(b'/', protocol).unwrap_or(protocol.len())];
            Protocol::from_name(name).unwrap_or(Protocol::Unknown)
        }
        // Older firmware leaves `proto=` out of the "TCP connection dropped" family; the
        // message's first word names the protocol then.
        None => {
            let first_word = &message[..memchr::memchr(b' ', message).unwrap_or(message.len())];
            match Protocol::from_name(first_word) {
                Some(protocol @ (Protocol::Tcp | Protocol::Udp | Protocol::Icmp)) => protocol,
                _ => Protocol::Unknown,
            }
        }
    };
    if !matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        event.src_port = source.port;
        event.dst_port = destination.port;
    }
    if matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        if let Some(icmp_type) = fields.icmp_type.and_then(parse_u8) {
            let code = fields.icmp_code.and_then(parse_u8).unwrap_or(0);
            event.icmp = Some(Icmp { icmp_type, code });
        }
    }
    // SonicOS 6.5 and later say what the firewall did in `fw_action=` ("drop", "forward"; "NA"
    // when it did not decide); the message tells the rest.
    event.action = match fields.firewall_action {
        Some(word) if word.eq_ignore_ascii_case(b"drop") || word.eq_ignore_ascii_case(b"deny") => {
            Action::Drop
        }
        Some(word)
            if word.eq_ignore_ascii_case(b"forward") || word.eq_ignore_ascii_case(b"allow") =>
        {
            Action::Allow
        }
        _ => action_of(message, fields.message_id),
    };
    event.rule = fields.rule.filter(|rule| !rule.is_empty());
    let header = crate::syslog::split_header(line, time);
    event.time = fields
        .time
        .and_then(|text| parse_sonicwall_time(text, time))
        .or(header.and_then(|header| header.time));
    event.observer = fields
        .firewall
        .filter(|name| !name.is_empty())
        .or(fields.serial.filter(|name| !name.is_empty()))
        .or(header.and_then(|header| header.host));
    Record::Event(event)
}

/// `IP:PORT:IFACE[:host]`, any part but the first colon optional; a bare address (IPv6 included)
/// as the whole value is read too. Returns None when the address or the port is present but invalid.
fn parse_endpoint(text: &[u8]) -> Option<Endpoint<'_>> {
    if let Some(address) = parse_ip(text) {
        return Some(Endpoint {
            address: Some(address),
            ..Endpoint::default()
        });
    }
    let mut parts = text.splitn(4, |b| *b == b':');
    let address_text = parts.next().unwrap_or_default();
    let port_text = parts.next().unwrap_or_default();
    let interface = parts.next().filter(|name| !name.is_empty());
    let address = if address_text.is_empty() {
        None
    } else {
        Some(parse_ip(address_text)?)
    };
    let port = if port_text.is_empty() {
        None
    } else {
        Some(parse_u16(port_text)?)
    };
    Some(Endpoint {
        address,
        port,
        interface,
    })
}

/// True when the line has an odd number of unescaped double quotes (it was cut inside a value).
fn has_open_quote(line: &[u8]) -> bool {
    let mut open = false;
    let mut index = 0;
    while index < line.len() {
        match line[index] {
            b'\\' => index += 2,
            b'"' => {
                open = !open;
                index += 1;
            }
            _ => index += 1,
        }
    }
    open
}

/// Administrator, user and VPN messages name addresses but describe no packet.
fn is_management_message(message: &[u8]) -> bool {
    const WORDS: [&[u8]; 8] = [
        b"login",
        b"logout",
        b"log in",
        b"credentials",
        b"password",
        b"administrator",
        b"ipsec",
        b"ike ",
    ];
    WORDS.iter().any(|word| contains_ignore_case(message, word))
        || contains_ignore_case(message, b"vpn")
}

/// The action a message stands for.
fn action_of(message: &[u8], message_id: Option<&[u8]>) -> Action {
    if ["dropped", "blocked", "denied", "discarded"]
        .iter()
        .any(|word| contains_ignore_case(message, word.as_bytes()))
    {
        return Action::Drop;
    }
    if contains_ignore_case(message, b"rejected") || contains_ignore_case(message, b"reset") {
        return Action::Reject;
    }
    // Message 98 is "Connection Opened".
    if contains_ignore_case(message, b"connection opened") || message_id == Some(b"98") {
        return Action::Allow;
    }
    Action::Other
}

/// `2024-01-15 10:00:01` (device local time, read with `--tz`) or `2024-01-15 10:00:01 UTC`.
fn parse_sonicwall_time(text: &[u8], time: &TimeContext) -> Option<Timestamp> {
    let (clock, in_utc) = match text.strip_suffix(b" UTC") {
        Some(clock) => (clock, true),
        None => (text, false),
    };
    if clock.len() != 19 || clock[10] != b' ' {
        return None;
    }
    let year = parse_u32(&clock[..4])? as i32;
    if clock[4] != b'-' || clock[7] != b'-' || clock[13] != b':' || clock[16] != b':' {
        return None;
    }
    let month = parse_u32(&clock[5..7])?;
    let day = parse_u32(&clock[8..10])?;
    let hour = parse_u32(&clock[11..13])?;
    let minute = parse_u32(&clock[14..16])?;
    let second = parse_u32(&clock[17..19])?;
    if in_utc {
        let stamp = Timestamp::from_utc_parts(year, month, day, hour, minute, second, 0)?;
        Some(Timestamp {
            original_offset_seconds: Some(0),
            ..stamp
        })
    } else {
        time.civil_to_utc(year, month, day, hour, minute, second, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let endpoint = parse_endpoint(b"192.0.2.1:4507:X1:host.example").unwrap();
        assert_eq!(endpoint.address, "192.0.2.1".parse().ok());
        assert_eq!(endpoint.port, Some(4507));
        assert_eq!(endpoint.interface, Some(&b"X1"[..]));
        let endpoint = parse_endpoint(b"192.0.2.1::X0-V500").unwrap();
        assert_eq!(
            (endpoint.port, endpoint.interface),
            (None, Some(&b"X0-V500"[..]))
        );
        let endpoint = parse_endpoint(b":5355").unwrap();
        assert_eq!((endpoint.address, endpoint.port), (None, Some(5355)));
        let endpoint = parse_endpoint(b"2001:db8::1").unwrap();
        assert_eq!(endpoint.address, "2001:db8::1".parse().ok());
        assert_eq!(parse_endpoint(b"192.0.2.1:70000:X1"), None);
        assert_eq!(parse_endpoint(b"192.0.2.300:1:X1"), None);
    }

    #[test]
    fn actions() {
        assert_eq!(action_of(b"TCP connection dropped", None), Action::Drop);
        assert_eq!(action_of(b"Web site access denied", None), Action::Drop);
        assert_eq!(action_of(b"Connection Opened", Some(b"98")), Action::Allow);
        assert_eq!(action_of(b"Connection Closed", Some(b"537")), Action::Other);
        assert!(is_management_message(
            b"Administrator login denied due to bad credentials"
        ));
        assert!(is_management_message(b"IPSec VPN Decryption Failed"));
        assert!(!is_management_message(b"TCP connection dropped"));
    }

    #[test]
    fn times() {
        let time = TimeContext::utc(2024);
        let stamp = parse_sonicwall_time(b"2024-01-15 10:00:01 UTC", &time).unwrap();
        assert_eq!(stamp.to_string(), "2024-01-15T10:00:01.000000Z");
        assert_eq!(stamp.original_offset_seconds, Some(0));
        let stamp = parse_sonicwall_time(b"2024-01-15 10:00:01", &time).unwrap();
        assert_eq!(stamp.original_offset_seconds, None);
        assert_eq!(parse_sonicwall_time(b"2024-01-15", &time), None);
    }
}
