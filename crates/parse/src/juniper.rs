//! Juniper SRX `RT_FLOW` session logs.
//!
//! SRX firewalls log a session's life as `RT_FLOW_SESSION_CREATE` (a permitted session, read as
//! allowed), `RT_FLOW_SESSION_CLOSE` (its end, read as "other") and `RT_FLOW_SESSION_DENY` (a
//! packet dropped by policy). Junos writes them in two shapes:
//!
//! - structured (RFC 5424 structured data): `RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39
//!   source-address="10.0.0.1" source-port="1234" destination-address="192.0.2.80"
//!   destination-port="80" protocol-id="6" policy-name="deny-all" ...]`;
//! - text (BSD syslog): `RT_FLOW_SESSION_DENY: session denied 10.0.0.1/1234->192.0.2.80/80 [0x0]
//!   junos-http 6(0) deny-all trust untrust ...`, `session created A/p->B/p service NAT-A/p->NAT-B/p
//!   <nat rules> 6 policy trust untrust id ...`, `session closed <reason>: A/p->B/p ...`.
//!
//! Other `RT_` messages (screens, IDP, ALG) and lines without an `RT_FLOW_SESSION_` tag are skipped.
//!
//! ScreenOS (NetScreen), the SRX's predecessor, is read here too: its `(traffic)` key=value
//! session logs become events and its other messages are skipped.

use std::net::IpAddr;

use fwseen_event::{Action, Event, Icmp, Protocol, Timestamp};
use memchr::memmem;

use crate::fields::{parse_ip, parse_u16, parse_u8};
use crate::words::split_words;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// The most words of a text-form message this parser looks at.
const MAX_WORDS: usize = 48;

/// Parser for Juniper SRX `RT_FLOW` session lines.
pub struct JuniperParser {
    time: TimeContext,
}

impl JuniperParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for JuniperParser {
    fn kind(&self) -> FormatKind {
        FormatKind::JuniperSrx
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_juniper_line(line, &mut self.time)
    }
}

/// True when the line carries a Junos `RT_FLOW` or other `RT_` tag, or is a ScreenOS
/// (NetScreen) line.
pub fn looks_like(line: &[u8]) -> bool {
    memmem::find(line, b"RT_FLOW").is_some()
        || memmem::find(line, NETSCREEN_TAG).is_some()
        || (memmem::find(line, b" RT_").is_some() && memmem::find(line, b"[junos@").is_some())
}

/// Which session message a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SessionMessage {
    Create,
    Close,
    Deny,
}

/// Parses one Junos line.
pub fn parse_juniper_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    let Some(tag_start) = memmem::find(line, b"RT_FLOW_SESSION_") else {
        if let Some(device) = memmem::find(line, NETSCREEN_TAG) {
            return parse_netscreen_line(line, device, time);
        }
        return if memmem::find(line, b"RT_").is_some() && looks_like(line) {
            Record::Skipped(SkipReason::NotPacket)
        } else {
            Record::Skipped(SkipReason::OtherProgram)
        };
    };
    let after_prefix = &line[tag_start + b"RT_FLOW_SESSION_".len()..];
    let name_length = after_prefix
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    let message = match &after_prefix[..name_length] {
        b"CREATE" => SessionMessage::Create,
        b"CLOSE" => SessionMessage::Close,
        b"DENY" => SessionMessage::Deny,
        // RT_FLOW_SESSION_CREATE_LS, _CLOSE_LS and the like describe logical-system bookkeeping.
        _ => return Record::Skipped(SkipReason::NotPacket),
    };
    let body_start = tag_start + b"RT_FLOW_SESSION_".len() + name_length;
    let body = &line[body_start..];
    let mut event = Event {
        action: match message {
            SessionMessage::Create => Action::Allow,
            SessionMessage::Close => Action::Other,
            SessionMessage::Deny => Action::Drop,
        },
        ..Event::default()
    };
    let result = match memmem::find(body, b"[junos@") {
        Some(data_start) => read_structured(&body[data_start..], &mut event),
        None => read_text(body, message, &mut event),
    };
    if let Err(reason) = result {
        return Record::Malformed(Malformed::at(reason, body_start));
    }
    let (stamp, host) = read_prefix(&line[..tag_start], time);
    event.time = stamp;
    event.observer = host;
    Record::Event(event)
}

/// What every ScreenOS (NetScreen, the SRX's predecessor) line carries after its syslog header.
const NETSCREEN_TAG: &[u8] = b"NetScreen device_id=";

/// Reads a ScreenOS line. Traffic logs (`[Root]system-notification-00257(traffic): start_time=
/// "..." duration=0 policy_id=2 service=http proto=6 src zone=Trust dst zone=Untrust action=Permit
/// sent=0 rcvd=0 src=A dst=B src_port=p dst_port=p ... session_id=n`) become events; the other
/// messages (configuration, management, screen alarms) are not packet records.
fn parse_netscreen_line<'a>(line: &'a [u8], device: usize, time: &mut TimeContext) -> Record<'a> {
    let Some(traffic) = memmem::find(&line[device..], b"(traffic):") else {
        return Record::Skipped(SkipReason::NotPacket);
    };
    let body_start = device + traffic + b"(traffic):".len();
    let mut event = Event::default();
    let mut source = None;
    let mut destination = None;
    let mut icmp_type = None;
    let mut action = None;
    for (key, value) in crate::kv::KeyValues::new(&line[body_start..]) {
        match key {
            b"src" => source = Some(value),
            b"dst" => destination = Some(value),
            b"src_port" => event.src_port = parse_u16(value),
            b"dst_port" => event.dst_port = parse_u16(value),
            b"proto" => {
                event.protocol = parse_u8(value).map_or(Protocol::Unknown, Protocol::from_number)
            }
            b"policy_id" => event.rule = Some(value).filter(|id| !id.is_empty()),
            b"action" => action = Some(value),
            // Only ICMP sessions write `icmp type=8`.
            b"type" => icmp_type = parse_u8(value),
            _ => {}
        }
    }
    let (Some(source), Some(destination)) = (source, destination) else {
        return Record::Malformed(Malformed::at(
            "traffic log without src= and dst=",
            body_start,
        ));
    };
    let (Some(src), Some(dst)) = (parse_ip(source), parse_ip(destination)) else {
        return Record::Malformed(Malformed::at(
            "src= or dst= is not an IP address",
            body_start,
        ));
    };
    event.src = Some(src);
    event.dst = Some(dst);
    event.action = match action {
        Some(b"Permit") | Some(b"Tunnel") => Action::Allow,
        Some(b"Deny") => Action::Drop,
        Some(b"Reject") => Action::Reject,
        _ => Action::Other,
    };
    finish_icmp(&mut event, icmp_type);
    let header = crate::syslog::split_header(line, time);
    event.time = header.and_then(|header| header.time);
    let device_id = &line[device + NETSCREEN_TAG.len()..];
    let device_id = &device_id[..memchr::memchr(b' ', device_id).unwrap_or(device_id.len())];
    event.observer = header
        .and_then(|header| header.host)
        .or(Some(device_id).filter(|id| !id.is_empty()));
    Record::Event(event)
}

/// Reads the `[junos@... key="value" ...]` element.
fn read_structured<'a>(data: &'a [u8], event: &mut Event<'a>) -> Result<(), &'static str> {
    let mut icmp_type = None;
    let mut source = None;
    let mut destination = None;
    // Skip the `[junos@2636...` id.
    let start = memchr::memchr(b' ', data).ok_or("structured data without parameters")?;
    for (key, value) in Parameters::new(&data[start..]) {
        match key {
            b"source-address" => source = Some(value),
            b"destination-address" => destination = Some(value),
            b"source-port" => event.src_port = parse_u16(value),
            b"destination-port" => event.dst_port = parse_u16(value),
            b"protocol-id" => {
                event.protocol = parse_u8(value)
                    .map(Protocol::from_number)
                    .ok_or("protocol-id is not a number")?;
            }
            b"icmp-type" => icmp_type = parse_u8(value),
            b"policy-name" => event.rule = Some(value).filter(|name| !name.is_empty()),
            b"packet-incoming-interface" => {
                event.in_interface = Some(value).filter(|name| !name.is_empty())
            }
            _ => {}
        }
    }
    event.src = Some(parse_ip(source.ok_or("no source-address")?).ok_or("bad source-address")?);
    event.dst = Some(
        parse_ip(destination.ok_or("no destination-address")?).ok_or("bad destination-address")?,
    );
    finish_icmp(event, icmp_type);
    Ok(())
}

/// Junos logs only the ICMP type (the code is not logged and is left at 0); ports of ICMP
/// sessions hold the ICMP id and are dropped.
fn finish_icmp(event: &mut Event<'_>, icmp_type: Option<u8>) {
    if matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        event.src_port = None;
        event.dst_port = None;
        if let Some(icmp_type) = icmp_type {
            event.icmp = Some(Icmp { icmp_type, code: 0 });
        }
    }
}

/// Reads the BSD text form after the tag.
fn read_text<'a>(
    body: &'a [u8],
    message: SessionMessage,
    event: &mut Event<'a>,
) -> Result<(), &'static str> {
    let mut words: [&[u8]; MAX_WORDS] = [&[]; MAX_WORDS];
    let count = split_words(body, |byte| byte == b' ', &mut words);
    let words = &words[..count];
    let flow_index = words
        .iter()
        .position(|word| memmem::find(word, b"->").is_some())
        .ok_or("no source->destination")?;
    let (source, destination) = parse_flow(words[flow_index]).ok_or("bad source->destination")?;
    event.src = Some(source.0);
    event.src_port = source.1;
    event.dst = Some(destination.0);
    event.dst_port = destination.1;
    let rest = &words[flow_index + 1..];
    let mut icmp_type = None;
    let protocol_index = match message {
        // `6(0)`: the protocol and the ICMP type.
        SessionMessage::Deny => rest.iter().position(|word| {
            let Some(open) = memchr::memchr(b'(', word) else {
                return false;
            };
            parse_u8(&word[..open]).is_some() && word.ends_with(b")")
        }),
        // The first bare number after the translated flow.
        SessionMessage::Create | SessionMessage::Close => {
            let translated = rest
                .iter()
                .position(|word| memmem::find(word, b"->").is_some())
                .ok_or("no translated source->destination")?;
            rest.iter()
                .skip(translated + 1)
                .position(|word| parse_u8(word).is_some())
                .map(|index| index + translated + 1)
        }
    };
    let protocol_index = protocol_index.ok_or("no protocol number")?;
    let protocol_word = rest[protocol_index];
    match memchr::memchr(b'(', protocol_word) {
        Some(open) => {
            event.protocol = Protocol::from_number(parse_u8(&protocol_word[..open]).unwrap_or(0));
            let inner = &protocol_word[open + 1..protocol_word.len() - 1];
            icmp_type = parse_u8(inner);
        }
        None => {
            event.protocol =
                Protocol::from_number(parse_u8(protocol_word).ok_or("bad protocol number")?);
        }
    }
    event.rule = rest.get(protocol_index + 1).copied();
    // Newer layouts write `user(roles) interface` after the zones; packet and byte counts of
    // closed sessions (`12(1600)`) look alike but start with a digit.
    let after_zones = rest.get(protocol_index + 4..).unwrap_or_default();
    if let Some(user) = after_zones.iter().position(|word| {
        word.ends_with(b")")
            && memchr::memchr(b'(', word)
                .is_some_and(|open| open > 0 && !word[..open].iter().all(u8::is_ascii_digit))
    }) {
        event.in_interface = after_zones.get(user + 1).copied();
    }
    finish_icmp(event, icmp_type);
    Ok(())
}

/// `A/p->B/p` (IPv6 addresses included) → ((A, p), (B, p)).
#[allow(clippy::type_complexity)]
fn parse_flow(word: &[u8]) -> Option<((IpAddr, Option<u16>), (IpAddr, Option<u16>))> {
    let word = word.strip_suffix(b":").unwrap_or(word);
    let arrow = memmem::find(word, b"->")?;
    Some((
        parse_address_port(&word[..arrow])?,
        parse_address_port(&word[arrow + 2..])?,
    ))
}

fn parse_address_port(text: &[u8]) -> Option<(IpAddr, Option<u16>)> {
    match memchr::memrchr(b'/', text) {
        Some(slash) => Some((parse_ip(&text[..slash])?, parse_u16(&text[slash + 1..]))),
        None => Some((parse_ip(text)?, None)),
    }
}

/// The time and host before the tag. In the structured form the Junos header (`2024-01-02T03:
/// 04:05.678Z srx-01 RT_FLOW - `) may follow a relay's syslog header; its own time and host win.
fn read_prefix<'a>(
    prefix: &'a [u8],
    time: &mut TimeContext,
) -> (Option<Timestamp>, Option<&'a [u8]>) {
    let (mut stamp, mut host, message) = match crate::syslog::split_header(prefix, time) {
        Some(header) => (header.time, header.host, header.message),
        None => (None, None, prefix),
    };
    // The Junos header's own time is followed by the device name.
    let mut host_is_next = false;
    for word in message
        .split(|b| *b == b' ')
        .filter(|word| !word.is_empty())
    {
        if let Some(parsed) = crate::time::parse_rfc3339(word) {
            stamp = Some(parsed);
            host_is_next = true;
        } else if host_is_next {
            if !word.ends_with(b":") && word != b"RT_FLOW" && word != b"-" {
                host = Some(word);
            }
            host_is_next = false;
        }
    }
    (stamp, host)
}

/// Iterates over `key="value"` parameters of RFC 5424 structured data, up to the closing `]`.
/// Values may hold `\"`, `\\` and `\]` escapes (left as written).
struct Parameters<'a> {
    text: &'a [u8],
    position: usize,
}

impl<'a> Parameters<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self { text, position: 0 }
    }
}

impl<'a> Iterator for Parameters<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        while self.position < text.len() && text[self.position] == b' ' {
            self.position += 1;
        }
        if self.position >= text.len() || text[self.position] == b']' {
            return None;
        }
        let key_start = self.position;
        let equals = key_start + memchr::memchr(b'=', &text[key_start..])?;
        let key = &text[key_start..equals];
        if text.get(equals + 1) != Some(&b'"') {
            return None;
        }
        let value_start = equals + 2;
        let end = crate::kv::closing_quote(text, value_start);
        self.position = end + 1;
        Some((key, &text[value_start..end]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows() {
        let ((src, sport), (dst, dport)) = parse_flow(b"10.0.0.1/1234->192.0.2.8/80").unwrap();
        assert_eq!(src, "10.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!((sport, dport), (Some(1234), Some(80)));
        assert_eq!(dst, "192.0.2.8".parse::<IpAddr>().unwrap());
        let ((src, _), _) = parse_flow(b"2001:db8::1/5->2001:db8::2/6:").unwrap();
        assert_eq!(src, "2001:db8::1".parse::<IpAddr>().unwrap());
        assert!(parse_flow(b"x/1->y/2").is_none());
    }

    #[test]
    fn parameters_with_escapes() {
        let pairs: Vec<_> = Parameters::new(br#" a="1" b="x \" y" c="" ] d="no""#).collect();
        assert_eq!(
            pairs,
            vec![
                (&b"a"[..], &b"1"[..]),
                (&b"b"[..], &br#"x \" y"#[..]),
                (&b"c"[..], &b""[..]),
            ]
        );
        let pairs: Vec<_> = Parameters::new(br#" a="unterminated"#).collect();
        assert_eq!(pairs, vec![(&b"a"[..], &b"unterminated"[..])]);
    }
}
