//! Check Point firewall logs, as the Log Exporter and older syslog forwarders write them.
//!
//! Three shapes are read:
//!
//! - Log Exporter "syslog" format: an RFC 5424 line whose structured data is a list of
//!   `key:"value";` pairs, `<134>1 2024-01-15T10:00:01Z mgmt CheckPoint 1234 - [action:"Drop";
//!   ifdir:"inbound"; ifname:"eth1"; origin:"192.0.2.1"; time:"1705312801"; src:"198.51.100.7";
//!   dst:"203.0.113.9"; proto:"6"; s_port:"50000"; service:"3389"; rule_name:"Cleanup"; ...]`.
//!   Values may hold `\"`, `\]` and `\\` (kept as written).
//! - The older text form (fw1-loggrabber, OPSEC LEA relays): `Checkpoint: 15Jan2024 10:00:01 drop
//!   192.0.2.1 >eth1 rule: 7; src: 198.51.100.7; dst: 203.0.113.9; proto: tcp; service: 3389;
//!   s_port: 50000;`, where `>` marks the inbound and `<` the outbound interface.
//! - Log Exporter "splunk" format: `key=value` pairs separated by `|` (`\|` and `\=` escaped),
//!   `time=1705312801|hostname=gw|product=Firewall|action=Drop|ifdir=inbound|ifname=eth1|
//!   origin=192.0.2.1|src=198.51.100.7|dst=203.0.113.9|proto=6|s_port=50000|service=3389|`.
//!
//! A record with a source, a destination and a protocol is a connection and becomes an event:
//! `service` is the destination port, `s_port` the source port, `origin` the gateway that logged
//! it. Records without them (IKE negotiation, key installation, logins, daemon messages) are not
//! packet records and are skipped. A record whose pairs break off before its addresses (a cut
//! line) is malformed.

use fwseen_event::{Action, Direction, Event, Icmp, Protocol, Timestamp};
use memchr::memmem;

use crate::fields::{offset_in, parse_clock, parse_ip, parse_u16, parse_u32, parse_u8};
use crate::words::ActionWords;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// Parser for Check Point log lines.
pub struct CheckPointParser {
    time: TimeContext,
}

impl CheckPointParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for CheckPointParser {
    fn kind(&self) -> FormatKind {
        FormatKind::CheckPoint
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_checkpoint_line(line, &mut self.time)
    }
}

/// True when the line holds a Log Exporter pair list or the older text form.
pub fn looks_like(line: &[u8]) -> bool {
    find_pair_list(line).is_some() || find_text_form(line).is_some() || is_pipe_form(line)
}

/// The "splunk" form: `|`-separated pairs with an action and a product or origin.
fn is_pipe_form(line: &[u8]) -> bool {
    memmem::find(line, b"|action=").is_some()
        && (memmem::find(line, b"|product=").is_some() || memmem::find(line, b"|origin=").is_some())
}

/// The fields of one record this parser uses, each a raw value.
#[derive(Default)]
struct Fields<'a> {
    action: Option<&'a [u8]>,
    direction: Option<&'a [u8]>,
    interface: Option<&'a [u8]>,
    origin: Option<&'a [u8]>,
    epoch: Option<&'a [u8]>,
    src: Option<&'a [u8]>,
    dst: Option<&'a [u8]>,
    protocol: Option<&'a [u8]>,
    src_port: Option<&'a [u8]>,
    service: Option<&'a [u8]>,
    rule_name: Option<&'a [u8]>,
    rule_number: Option<&'a [u8]>,
    icmp_type: Option<&'a [u8]>,
    icmp_code: Option<&'a [u8]>,
}

impl<'a> Fields<'a> {
    fn store(&mut self, key: &[u8], value: &'a [u8]) {
        let slot = match key {
            b"action" => &mut self.action,
            b"ifdir" => &mut self.direction,
            b"ifname" => &mut self.interface,
            b"origin" => &mut self.origin,
            b"time" => &mut self.epoch,
            b"src" => &mut self.src,
            b"dst" => &mut self.dst,
            b"proto" => &mut self.protocol,
            b"s_port" => &mut self.src_port,
            b"service" => &mut self.service,
            b"rule_name" => &mut self.rule_name,
            b"rule" => &mut self.rule_number,
            b"icmp_type" | b"ICMP Type" => &mut self.icmp_type,
            b"icmp_code" | b"ICMP Code" => &mut self.icmp_code,
            _ => return,
        };
        // Rule fields repeat once per policy layer; the first (the access layer) wins.
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// Where a `[key:"` pair list starts (the offset of the first key).
fn find_pair_list(line: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(relative) = memchr::memchr(b'[', &line[from..]) {
        let start = from + relative + 1;
        from = start;
        let key_length = line[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            .count();
        if key_length > 0 && line[start + key_length..].starts_with(b":\"") {
            return Some(start);
        }
    }
    None
}

/// Where the text form's `Checkpoint: ` tag ends, when the line also has `src: ` pairs.
fn find_text_form(line: &[u8]) -> Option<usize> {
    let tag = memmem::find(line, b"Checkpoint: ")?;
    memmem::find(&line[tag..], b"src: ")?;
    Some(tag + b"Checkpoint: ".len())
}

fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b':')
}

/// Parses one Check Point line.
pub fn parse_checkpoint_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    let mut fields = Fields::default();
    let mut text_time = None;
    let mut text_direction = Direction::Unknown;
    let complete = if let Some(start) = find_pair_list(line) {
        read_pair_list(&line[start..], &mut fields)
    } else if let Some(start) = find_text_form(line) {
        let (stamp, direction) = read_text_form(&line[start..], &mut fields, time);
        text_time = stamp;
        text_direction = direction;
        true
    } else if is_pipe_form(line) {
        read_pipe_form(line, &mut fields);
        true
    } else {
        return Record::Skipped(SkipReason::OtherProgram);
    };

    let (Some(src_text), Some(dst_text), Some(protocol_text)) =
        (fields.src, fields.dst, fields.protocol)
    else {
        return if complete {
            Record::Skipped(SkipReason::NotPacket)
        } else {
            Record::Malformed(Malformed::new(
                "record breaks off before its source, destination and protocol",
            ))
        };
    };
    let Some(src) = parse_ip(src_text) else {
        return Record::Malformed(Malformed::at(
            "src is not an IP address",
            offset_in(line, src_text),
        ));
    };
    let Some(dst) = parse_ip(dst_text) else {
        return Record::Malformed(Malformed::at(
            "dst is not an IP address",
            offset_in(line, dst_text),
        ));
    };
    let Some(protocol) = Protocol::from_name(protocol_text) else {
        return Record::Malformed(Malformed::at(
            "proto is neither a number nor a name",
            offset_in(line, protocol_text),
        ));
    };
    let mut event = Event {
        src: Some(src),
        dst: Some(dst),
        protocol,
        ..Event::default()
    };
    if matches!(protocol, Protocol::Icmp | Protocol::Icmpv6) {
        if let Some(icmp_type) = fields.icmp_type.and_then(parse_u8) {
            let code = fields.icmp_code.and_then(parse_u8).unwrap_or(0);
            event.icmp = Some(Icmp { icmp_type, code });
        }
    } else {
        match read_port(fields.src_port) {
            Ok(port) => event.src_port = port,
            Err(text) => {
                return Record::Malformed(Malformed::at(
                    "s_port is not a port number",
                    offset_in(line, text),
                ))
            }
        }
        match read_port(fields.service) {
            Ok(port) => event.dst_port = port,
            Err(text) => {
                return Record::Malformed(Malformed::at(
                    "service is not a port number",
                    offset_in(line, text),
                ))
            }
        }
    }
    event.action = fields.action.map_or(Action::Other, action_from_word);
    event.direction = match fields.direction {
        Some(word) if word.eq_ignore_ascii_case(b"inbound") => Direction::Inbound,
        Some(word) if word.eq_ignore_ascii_case(b"outbound") => Direction::Outbound,
        Some(_) => Direction::Unknown,
        None => text_direction,
    };
    let interface = fields.interface.filter(|name| !name.is_empty());
    if event.direction == Direction::Outbound {
        event.out_interface = interface;
    } else {
        event.in_interface = interface;
    }
    event.rule = fields
        .rule_name
        .filter(|name| !name.is_empty())
        .or(fields.rule_number.filter(|number| !number.is_empty()));
    let header = crate::syslog::split_header(line, time);
    event.time = fields
        .epoch
        .and_then(epoch_seconds)
        .or(text_time)
        .or(header.and_then(|header| header.time));
    event.observer = fields
        .origin
        .filter(|origin| !origin.is_empty())
        .or(header.and_then(|header| header.host));
    Record::Event(event)
}

/// Reads `key:"value"; key:"value"; ...]` into `fields`. Returns false when the list breaks off:
/// a value without its closing quote, or bytes that are not a pair (a cut or damaged record).
/// A list that simply ends without its `]` after a complete pair is accepted.
fn read_pair_list<'a>(text: &'a [u8], fields: &mut Fields<'a>) -> bool {
    let mut position = 0;
    loop {
        while position < text.len() && matches!(text[position], b' ' | b';') {
            position += 1;
        }
        if position >= text.len() || text[position] == b']' {
            return true;
        }
        let key_start = position;
        // Keys may end in `:` themselves (`ike::"..."`), so the key ends at `:"`.
        let Some(relative) = memmem::find(&text[key_start..], b":\"") else {
            return false;
        };
        let key = &text[key_start..key_start + relative];
        if key.is_empty() || !key.iter().all(|b| is_key_byte(*b)) {
            return false;
        }
        let value_start = key_start + relative + 2;
        let end = crate::kv::closing_quote(text, value_start);
        if end >= text.len() {
            return false;
        }
        fields.store(key, &text[value_start..end]);
        position = end + 1;
    }
}

/// Reads the `key=value|key=value|` form. Pairs before the first key (a syslog header glued to the
/// first key) are read from the last word of the first item.
fn read_pipe_form<'a>(line: &'a [u8], fields: &mut Fields<'a>) {
    let mut item_start = 0;
    let mut index = 0;
    while index <= line.len() {
        match line.get(index) {
            Some(b'\\') => index += 2,
            Some(b'|') | None => {
                let item = &line[item_start..index.min(line.len())];
                // The first item may follow a syslog header: its key is the last word.
                let item = match memchr::memrchr(b' ', item) {
                    Some(space) if memchr::memchr(b'=', &item[..space]).is_none() => {
                        &item[space + 1..]
                    }
                    _ => item,
                };
                if let Some(equals) = memchr::memchr(b'=', item) {
                    fields.store(&item[..equals], &item[equals + 1..]);
                }
                index += 1;
                item_start = index;
            }
            Some(_) => index += 1,
        }
    }
}

/// Reads the text form after `Checkpoint: `: `15Jan2024 10:00:01 drop 192.0.2.1 >eth1 key:
/// value; ...`. Returns the time of the record and the direction its interface mark gives.
fn read_text_form<'a>(
    text: &'a [u8],
    fields: &mut Fields<'a>,
    time: &TimeContext,
) -> (Option<Timestamp>, Direction) {
    let mut stamp = None;
    let mut direction = Direction::Unknown;
    let mut rest = text;
    // Up to five leading words: date, time, action, origin and interface.
    let mut date = None;
    for index in 0..5 {
        let rest_trimmed = rest.trim_ascii_start();
        let word_end = memchr::memchr(b' ', rest_trimmed).unwrap_or(rest_trimmed.len());
        let word = &rest_trimmed[..word_end];
        if word.ends_with(b":") || word.is_empty() {
            break;
        }
        match index {
            0 if parse_text_date(word).is_some() => date = parse_text_date(word),
            1 if date.is_some() => {
                if let Some((year, month, day)) = date {
                    stamp = parse_clock(word).and_then(|(hour, minute, second)| {
                        time.civil_to_utc(year, month, day, hour, minute, second, 0)
                    });
                }
            }
            _ => {
                if let Some(name) = word.strip_prefix(b">") {
                    direction = Direction::Inbound;
                    fields.interface = Some(name);
                } else if let Some(name) = word.strip_prefix(b"<") {
                    direction = Direction::Outbound;
                    fields.interface = Some(name);
                } else if parse_ip(word).is_some() {
                    fields.origin = Some(word);
                } else if fields.action.is_none() {
                    fields.action = Some(word);
                }
            }
        }
        rest = &rest_trimmed[word_end..];
    }
    for item in rest.split(|b| *b == b';') {
        let item = item.trim_ascii();
        let Some(colon) = memmem::find(item, b": ") else {
            continue;
        };
        fields.store(&item[..colon], item[colon + 2..].trim_ascii());
    }
    (stamp, direction)
}

/// `15Jan2024` or `5Jan2024` → (year, month, day).
fn parse_text_date(word: &[u8]) -> Option<(i32, u32, u32)> {
    let digits = word.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=2).contains(&digits) || word.len() != digits + 7 {
        return None;
    }
    let day = parse_u32(&word[..digits])?;
    let month = crate::time::month_from_abbrev(&word[digits..digits + 3])?;
    let year = parse_u32(&word[digits + 3..])? as i32;
    Some((year, month, day))
}

/// Check Point action words.
const ACTION_WORDS: ActionWords = ActionWords {
    allow: &[b"accept", b"allow", b"encrypt", b"decrypt", b"ctl"],
    drop: &[b"drop", b"block", b"prevent"],
    reject: &[b"reject"],
};

/// The action of one of the words above.
fn action_from_word(word: &[u8]) -> Action {
    ACTION_WORDS.action_of(word)
}

/// A missing or non-numeric value (a service name) is no port; digits beyond 65535 are an error.
fn read_port(value: Option<&[u8]>) -> Result<Option<u16>, &[u8]> {
    match value {
        Some(text) if !text.is_empty() && text.iter().all(u8::is_ascii_digit) => {
            parse_u16(text).map(Some).ok_or(text)
        }
        _ => Ok(None),
    }
}

/// `time:"1705312801"`: seconds since the epoch.
fn epoch_seconds(text: &[u8]) -> Option<Timestamp> {
    if text.len() < 9 || text.len() > 11 {
        return None;
    }
    let seconds = i64::from(parse_u32(&text[..text.len() - 2])?) * 100
        + i64::from(parse_u32(&text[text.len() - 2..])?);
    Some(Timestamp {
        unix_micros: seconds.saturating_mul(1_000_000),
        original_offset_seconds: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_lists() {
        let mut fields = Fields::default();
        assert!(read_pair_list(
            br#"action:"Drop"; ike::"a \" b"; src:"192.0.2.1"; ]"#,
            &mut fields
        ));
        assert_eq!(fields.action, Some(&b"Drop"[..]));
        assert_eq!(fields.src, Some(&b"192.0.2.1"[..]));
        let mut fields = Fields::default();
        assert!(!read_pair_list(br#"action:"Drop";..."#, &mut fields));
        assert_eq!(fields.action, Some(&b"Drop"[..]));
        assert!(!read_pair_list(br#"action:"Dr"#, &mut Fields::default()));
        assert!(read_pair_list(br#"action:"Drop";"#, &mut Fields::default()));
    }

    #[test]
    fn text_dates_and_epochs() {
        assert_eq!(parse_text_date(b"21Aug2007"), Some((2007, 8, 21)));
        assert_eq!(parse_text_date(b"3Sep2007"), Some((2007, 9, 3)));
        assert_eq!(parse_text_date(b"Sep2007"), None);
        assert_eq!(
            epoch_seconds(b"1557937550").unwrap().unix_micros,
            1_557_937_550_000_000
        );
        assert_eq!(epoch_seconds(b"15579"), None);
    }

    #[test]
    fn ports() {
        assert_eq!(read_port(Some(b"443")), Ok(Some(443)));
        assert_eq!(read_port(Some(b"http")), Ok(None));
        assert_eq!(read_port(Some(b"70000")), Err(&b"70000"[..]));
    }
}
