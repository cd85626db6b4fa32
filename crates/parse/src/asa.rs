//! Cisco ASA, PIX and Firepower Threat Defense (FTD) syslog messages.
//!
//! These devices log one message per line, tagged `%ASA-<severity>-<id>:` (or `%PIX-`, `%FTD-`).
//! The tag may follow a syslog header, the device's own time stamp (`Jan 02 2024 03:04:05`), a
//! host name, or nothing at all. Each message id has its own fixed English layout; this module
//! reads the ids that describe a packet or a connection:
//!
//! - denies: 106001, 106002, 106006, 106007, 106010, 106011, 106012, 106014, 106015, 106016,
//!   106017, 106020, 106021, 106022, 106023, 106100 (also when permitted), 313001, 313004,
//!   710002, 710003, 710005;
//! - connections: 302013, 302015, 302017, 302022 (built, allowed), 302014, 302016, 302018,
//!   302023 (teardown), 302020 and 302021 (ICMP built and teardown);
//! - other packet drops with addresses: 106027, 108004, 202010, 209005, 305005, 313005 (with the
//!   quoted packet of the ICMP error), 313009, 338007, 338008, 401004, 410001, 418001, 419002,
//!   420002, 421001, 434002, 500003, 500004, 710004; passed flows 421002, 421007; notes without a
//!   verdict 338201, 338202, 400000 to 400050 (IDS signatures), 710001.
//!
//! Every other id is a well-formed line that is not a packet record (failover, AAA, config ...)
//! and is skipped. This module does not read syslog headers itself: that is [`crate::syslog`].

use std::net::IpAddr;

use fwseen_event::{Action, Direction, EmbeddedPacket, Event, Icmp, Protocol, TcpFlags, Timestamp};

use crate::fields::{parse_ip, parse_u16, parse_u32, parse_u8};
use crate::words::{split_words, strip_prefix_ignore_case};
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// The most words of a message body this parser looks at; the facts it needs are all near the
/// start, and longer bodies are read up to this many words.
const MAX_WORDS: usize = 64;

/// Parser for Cisco ASA / PIX / FTD syslog lines.
pub struct AsaParser {
    time: TimeContext,
}

impl AsaParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for AsaParser {
    fn kind(&self) -> FormatKind {
        FormatKind::CiscoAsa
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_asa_line(line, &mut self.time)
    }
}

/// True when the line carries an ASA, PIX or FTD message tag.
pub fn looks_like(line: &[u8]) -> bool {
    find_tag(line).is_some()
}

/// Where the `%ASA-n-NNNNNN` tag starts, with the message id and the byte offset of the body.
struct Tag {
    start: usize,
    message_id: u32,
    body_start: usize,
}

/// Finds the first `%ASA-`, `%PIX-` or `%FTD-` tag followed by `<digit>-<digits>`.
fn find_tag(line: &[u8]) -> Option<Tag> {
    let mut from = 0;
    while let Some(relative) = memchr::memchr(b'%', &line[from..]) {
        let start = from + relative;
        from = start + 1;
        let rest = &line[start + 1..];
        if rest.len() < 8 {
            return None;
        }
        let family = &rest[..4];
        if !(family.eq_ignore_ascii_case(b"ASA-")
            || family.eq_ignore_ascii_case(b"PIX-")
            || family.eq_ignore_ascii_case(b"FTD-"))
        {
            continue;
        }
        if !rest[4].is_ascii_digit() || rest[5] != b'-' {
            continue;
        }
        let digits_start = 6;
        let mut end = digits_start;
        while end < rest.len() && rest[end].is_ascii_digit() {
            end += 1;
        }
        if end == digits_start || end - digits_start > 7 {
            continue;
        }
        let message_id = parse_u32(&rest[digits_start..end])?;
        // The tag ends with a colon, though some old PIX lines omit it.
        let mut body = end;
        if body < rest.len() && rest[body] == b':' {
            body += 1;
        }
        return Some(Tag {
            start,
            message_id,
            body_start: start + 1 + body,
        });
    }
    None
}

/// Parses one line of ASA / PIX / FTD syslog.
pub fn parse_asa_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    let Some(tag) = find_tag(line) else {
        return Record::Skipped(SkipReason::OtherProgram);
    };
    let body = trim(&line[tag.body_start..]);
    let mut words: [&[u8]; MAX_WORDS] = [&[]; MAX_WORDS];
    let count = split_words(body, |byte| matches!(byte, b' ' | b'\t'), &mut words);
    let words = &words[..count];
    let mut event = Event::default();
    let result = match tag.message_id {
        106001 | 106006 | 106007 | 106015 => read_from_to_deny(words, &mut event),
        106002 => read_106002(words, &mut event),
        106010 | 106011 | 106014 | 106023 | 106027 | 305005 | 418001 => {
            read_src_dst_deny(words, &mut event)
        }
        313005 => read_313005(words, &mut event),
        313009 => read_313009(words, &mut event),
        209005 => read_209005(words, &mut event),
        401004 => read_401004(words, &mut event),
        108004 | 202010 | 338007 | 338008 | 410001 | 419002 | 420002 | 434002 | 421001 | 500003
        | 500004 | 710004 => read_packet_from_to(words, &mut event, Action::Drop),
        421002 | 421007 => read_packet_from_to(words, &mut event, Action::Allow),
        338201 | 338202 | 400000..=400050 | 710001 => {
            read_packet_from_to(words, &mut event, Action::Other)
        }
        106012 | 106016 | 106017 | 106020..=106022 => read_ip_deny(words, &mut event),
        106100 => read_106100(words, &mut event),
        313001 | 313004 => read_icmp_denied(words, &mut event),
        710002 | 710003 | 710005 => read_710(words, &mut event),
        302013..=302018 | 302022 | 302023 => read_connection(words, &mut event),
        302020 | 302021 => read_icmp_connection(words, &mut event),
        _ => return Record::Skipped(SkipReason::NotPacket),
    };
    if let Err(reason) = result {
        return Record::Malformed(Malformed::at(reason, tag.body_start));
    }
    if event.src.is_none() && event.dst.is_none() {
        return Record::Malformed(Malformed::at(
            "no IP address in the message",
            tag.body_start,
        ));
    }
    let prefix = &line[..tag.start];
    let (stamp, observer) = read_prefix(prefix, time);
    event.time = stamp;
    event.observer = observer;
    Record::Event(event)
}

/// Reads the time and the device name from what precedes the tag: a syslog header, the ASA's
/// own `Mmm dd yyyy hh:mm:ss` stamp, a host name, in any combination.
fn read_prefix<'a>(
    prefix: &'a [u8],
    time: &mut TimeContext,
) -> (Option<Timestamp>, Option<&'a [u8]>) {
    let mut stamp = None;
    let mut observer = None;
    let mut rest = trim(prefix);
    if rest.is_empty() {
        return (None, None);
    }
    if let Some(header) = crate::syslog::split_header(rest, time) {
        stamp = header.time;
        observer = header.host;
        rest = trim(header.message);
    }
    // The ASA's own stamp, when present, is more precise about the year than a BSD header.
    if let Some((device_time, after)) = find_device_stamp(rest, time) {
        stamp = Some(device_time);
        rest = trim(after);
    }
    // A remaining word before a colon (`asa01 :` or `asa01:`) names the device; a bare syslog
    // priority (`<166>`) does not.
    let name = trim(rest.strip_suffix(b":").unwrap_or(rest));
    let is_priority = name.starts_with(b"<") && name.ends_with(b">");
    if !name.is_empty() && !is_priority && !name.contains(&b' ') && !name.contains(&b':') {
        observer = Some(name);
    }
    (stamp, observer)
}

/// Looks for `Mmm dd yyyy hh:mm:ss[.fff]` at a word start; returns the time and the text after it.
fn find_device_stamp<'a>(text: &'a [u8], time: &TimeContext) -> Option<(Timestamp, &'a [u8])> {
    let mut position = 0;
    while position + 20 <= text.len() {
        if position == 0 || text[position - 1] == b' ' {
            if let Some((stamp, used)) = read_device_stamp(&text[position..], time) {
                let mut after = &text[position + used..];
                if let Some(stripped) = after.strip_prefix(b":") {
                    after = stripped;
                }
                return Some((stamp, after));
            }
        }
        position += 1;
    }
    None
}

/// Reads `Mmm dd yyyy hh:mm:ss[.fff]`; returns the time and how many bytes it used.
fn read_device_stamp(text: &[u8], time: &TimeContext) -> Option<(Timestamp, usize)> {
    let month = crate::time::month_from_abbrev(text.get(..3)?)?;
    if text.get(3) != Some(&b' ') {
        return None;
    }
    let mut position = 4;
    if text.get(position) == Some(&b' ') {
        position += 1;
    }
    let day_end = position
        + text[position..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    let day = parse_u32(&text[position..day_end]).filter(|_| day_end - position <= 2)?;
    if text.get(day_end) != Some(&b' ') {
        return None;
    }
    let year_text = text.get(day_end + 1..day_end + 5)?;
    let year = parse_u32(year_text)? as i32;
    let clock_start = day_end + 5;
    if text.get(clock_start) != Some(&b' ') {
        return None;
    }
    let clock = text.get(clock_start + 1..clock_start + 9)?;
    if clock[2] != b':' || clock[5] != b':' {
        return None;
    }
    let hour = parse_u32(&clock[0..2])?;
    let minute = parse_u32(&clock[3..5])?;
    let second = parse_u32(&clock[6..8])?;
    let mut used = clock_start + 9;
    let mut micros = 0;
    if text.get(used) == Some(&b'.') {
        let digits = text[used + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        micros = fraction_to_micros(&text[used + 1..used + 1 + digits]);
        used += 1 + digits;
    }
    let stamp = time.civil_to_utc(year, month, day, hour, minute, second, micros)?;
    Some((stamp, used))
}

/// Turns the digits after a decimal point into microseconds (extra digits are dropped).
fn fraction_to_micros(digits: &[u8]) -> u32 {
    let mut micros = 0u32;
    for index in 0..6 {
        micros *= 10;
        if let Some(digit) = digits.get(index) {
            if digit.is_ascii_digit() {
                micros += u32::from(digit - b'0');
            }
        }
    }
    micros
}

type ReadResult = Result<(), &'static str>;

/// 106001, 106006, 106007, 106015: `[Deny] [inbound|TCP ...] ... from A/p to B/p [flags F...]
/// [on interface I | due to DNS ...]`.
fn read_from_to_deny<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.action = Action::Drop;
    event.direction = direction_word(words);
    // The protocol is the first word that names one (`TCP`, `UDP`).
    event.protocol = words
        .iter()
        .take(4)
        .find_map(|word| protocol_from_word(word))
        .unwrap_or(Protocol::Unknown);
    let (source, destination) = from_to(words)?;
    set_source(event, &source);
    set_destination(event, &destination);
    event.tcp_flags = read_flags(words);
    if let Some(interface) = word_after_pair(words, b"on", b"interface") {
        event.in_interface = Some(interface);
    }
    Ok(())
}

/// 106002: `udp connection denied by outbound list ACL src A p dest B p`.
fn read_106002<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.action = Action::Drop;
    event.direction = Direction::Outbound;
    event.protocol = words
        .first()
        .and_then(|word| protocol_from_word(word))
        .unwrap_or(Protocol::Unknown);
    event.rule = word_after(words, b"list");
    let source = index_of(words, b"src").ok_or("no \"src\"")?;
    let destination = index_of(words, b"dest").ok_or("no \"dest\"")?;
    event.src = words.get(source + 1).and_then(|word| parse_ip(word));
    event.src_port = words.get(source + 2).and_then(|word| parse_u16(word));
    event.dst = words.get(destination + 1).and_then(|word| parse_ip(word));
    event.dst_port = words.get(destination + 2).and_then(|word| parse_u16(word));
    Ok(())
}

/// 106010, 106011, 106014, 106023: `Deny [inbound|outbound] [(No xlate)] PROTO src I:A[/p]
/// dst I:B[/p] [(type t, code c)] [by access-group "ACL"]`.
fn read_src_dst_deny<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.action = Action::Drop;
    event.direction = direction_word(words);
    let source_index = index_of(words, b"src").ok_or("no \"src\"")?;
    event.protocol = protocol_before(&words[..source_index]);
    let source = words
        .get(source_index + 1)
        .and_then(|word| parse_endpoint(word))
        .ok_or("no source after \"src\"")?;
    set_source(event, &source);
    if let Some(destination) = endpoint_after(words, b"dst") {
        set_destination(event, &destination);
    }
    event.icmp = read_type_code(words);
    if let Some(rule) = word_after(words, b"access-group") {
        event.rule = Some(strip_quotes(rule));
    }
    Ok(())
}

/// 106012, 106016, 106017, 106020, 106021, 106022: `Deny PROTO ... from A to B [on interface I]`.
fn read_ip_deny<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.action = Action::Drop;
    event.protocol = words
        .get(1)
        .and_then(|word| protocol_from_word(word))
        .unwrap_or(Protocol::Unknown);
    let (source, destination) = from_to(words)?;
    set_source(event, &source);
    set_destination(event, &destination);
    if let Some(interface) = word_after_pair(words, b"on", b"interface") {
        event.in_interface = Some(trim_punctuation(interface));
    }
    Ok(())
}

/// 106100: `access-list ACL {permitted|denied|est-allowed} PROTO I/A(p) [-> ]I/B(p) hit-cnt n ...`.
fn read_106100<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    let list = index_of(words, b"access-list").ok_or("no \"access-list\"")?;
    event.rule = words.get(list + 1).copied();
    let verdict = words.get(list + 2).ok_or("no verdict")?;
    event.action = if verdict.eq_ignore_ascii_case(b"denied") {
        Action::Drop
    } else if verdict.eq_ignore_ascii_case(b"permitted")
        || verdict.eq_ignore_ascii_case(b"est-allowed")
    {
        Action::Allow
    } else {
        return Err("verdict is not permitted, denied or est-allowed");
    };
    event.protocol = words
        .get(list + 3)
        .and_then(|word| protocol_from_word(word))
        .unwrap_or(Protocol::Unknown);
    let mut endpoints = words[(list + 4).min(words.len())..]
        .iter()
        .filter(|word| word.contains(&b'/') && word.contains(&b'('));
    let source = endpoints
        .next()
        .and_then(|word| parse_slash_endpoint(word))
        .ok_or("no source interface/address(port)")?;
    let destination = endpoints
        .next()
        .and_then(|word| parse_slash_endpoint(word))
        .ok_or("no destination interface/address(port)")?;
    event.in_interface = source.interface;
    event.out_interface = destination.interface;
    event.src = source.address;
    event.dst = destination.address;
    // For ICMP the "ports" are the ICMP type and code.
    if matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        if let (Some(icmp_type), Some(code)) = (source.port, destination.port) {
            if let (Ok(icmp_type), Ok(code)) = (u8::try_from(icmp_type), u8::try_from(code)) {
                event.icmp = Some(Icmp { icmp_type, code });
            }
        }
    } else {
        event.src_port = source.port;
        event.dst_port = destination.port;
    }
    Ok(())
}

/// 313001: `Denied ICMP type=t, code=c from A on interface I`; 313004: `Denied ICMP type=t, from
/// laddr A on interface I to B: no matching session`.
fn read_icmp_denied<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.action = Action::Drop;
    event.direction = Direction::Inbound;
    event.protocol = Protocol::Icmp;
    let mut icmp_type = None;
    let mut code = 0u8;
    for word in words {
        let word = trim_punctuation(word);
        if let Some(value) = strip_prefix_ignore_case(word, b"type=") {
            icmp_type = parse_u8(value);
        } else if let Some(value) = strip_prefix_ignore_case(word, b"code=") {
            code = parse_u8(value).unwrap_or(0);
        }
    }
    if let Some(icmp_type) = icmp_type {
        event.icmp = Some(Icmp { icmp_type, code });
    }
    let source = endpoint_after(words, b"laddr")
        .or_else(|| endpoint_after(words, b"from"))
        .ok_or("no source address")?;
    set_source(event, &source);
    if let Some(destination) = endpoint_after(words, b"to") {
        set_destination(event, &destination);
    }
    if let Some(interface) = word_after_pair(words, b"on", b"interface") {
        event.in_interface = Some(interface);
    }
    Ok(())
}

/// 710002, 710003, 710005: `PROTO access {permitted|denied by ACL} | PROTO request discarded
/// from A/p to I:B/service`, traffic addressed to the device itself.
fn read_710<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.direction = Direction::Inbound;
    event.protocol = words
        .first()
        .and_then(|word| protocol_from_word(word))
        .unwrap_or(Protocol::Unknown);
    let verdict = words.get(2).copied().unwrap_or_default();
    event.action = if verdict.eq_ignore_ascii_case(b"permitted") {
        Action::Allow
    } else {
        Action::Drop
    };
    let (source, destination) = from_to(words)?;
    set_source(event, &source);
    set_destination(event, &destination);
    // The interface named with the destination is the one the packet arrived on.
    event.in_interface = destination.interface;
    event.out_interface = None;
    Ok(())
}

/// Messages shaped `... PROTO ... from [I:]A[/p] [(M)] to [I:]B[/p] ...` whose action is fixed by
/// the message id: 108004, 202010, 338007, 338008, 338201, 338202, 400000 to 400050 (IDS
/// signatures), 410001, 419002, 420002, 421001, 421002, 421007, 434002, 500003, 500004, 710001,
/// 710004.
fn read_packet_from_to<'a>(
    words: &[&'a [u8]],
    event: &mut Event<'a>,
    action: Action,
) -> ReadResult {
    event.action = action;
    let from = index_of(words, b"from").ok_or("no \"from\"")?;
    event.protocol = words[..from]
        .iter()
        .find_map(|word| {
            let word = trim_punctuation(word);
            let word = strip_prefix_ignore_case(word, b"protocol=").unwrap_or(word);
            protocol_from_word(word)
        })
        .unwrap_or(Protocol::Unknown);
    let (source, destination) = from_to(words)?;
    set_source(event, &source);
    set_destination(event, &destination);
    if event.protocol == Protocol::Tcp {
        event.tcp_flags = read_flags(words);
    }
    event.icmp = read_type_code(words);
    if let Some(interface) = word_after_pair(words, b"on", b"interface") {
        event.in_interface = Some(interface);
    }
    Ok(())
}

/// 313005: `No matching connection for ICMP error message: icmp src I:A dst I:B (type t, code c)
/// on I interface. Original IP payload: PROTO src A/p dst B/p.`
fn read_313005<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    let payload = index_of(words, b"payload:").unwrap_or(words.len());
    read_src_dst_deny(&words[..payload], event)?;
    let quoted = &words[(payload + 1).min(words.len())..];
    if let (Some(source), Some(destination)) = (
        endpoint_after(quoted, b"src"),
        endpoint_after(quoted, b"dst"),
    ) {
        event.embedded = Some(EmbeddedPacket {
            src: source.address,
            dst: destination.address,
            protocol: quoted
                .first()
                .and_then(|word| protocol_from_word(word))
                .unwrap_or(Protocol::Unknown),
            src_port: source.port,
            dst_port: destination.port,
        });
    }
    Ok(())
}

/// 313009: `Denied invalid ICMP code c, for I:A/id (A/id) to I:B/id (B/id), ICMP id n, ICMP type t`.
fn read_313009<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.action = Action::Drop;
    event.protocol = Protocol::Icmp;
    let source = endpoint_after(words, b"for").ok_or("no address after \"for\"")?;
    let to = index_of(words, b"to").ok_or("no \"to\"")?;
    let destination = words
        .get(to + 1)
        .and_then(|word| parse_endpoint(word))
        .ok_or("no address after \"to\"")?;
    event.src = source.address;
    event.in_interface = source.interface;
    event.dst = destination.address;
    event.out_interface = destination.interface;
    let code = word_after(words, b"code").and_then(|word| parse_u8(trim_punctuation(word)));
    let icmp_type = words
        .iter()
        .rposition(|word| word.eq_ignore_ascii_case(b"type"))
        .and_then(|index| words.get(index + 1))
        .and_then(|word| parse_u8(trim_punctuation(word)));
    if let (Some(icmp_type), Some(code)) = (icmp_type, code) {
        event.icmp = Some(Icmp { icmp_type, code });
    }
    Ok(())
}

/// 209005: `Discard IP fragment set with more than n elements: src = A, dest = B, proto = P, id = n`.
fn read_209005<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.action = Action::Drop;
    let value_of = |key: &[u8]| {
        let index = index_of(words, key)?;
        if words.get(index + 1)? != b"=" {
            return None;
        }
        words.get(index + 2).map(|word| trim_punctuation(word))
    };
    event.src = value_of(b"src").and_then(parse_ip);
    event.dst = value_of(b"dest").and_then(parse_ip);
    event.protocol = value_of(b"proto")
        .and_then(protocol_from_word)
        .unwrap_or(Protocol::Unknown);
    Ok(())
}

/// 401004: `Shunned packet: A = B on interface I`.
fn read_401004<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    event.action = Action::Drop;
    let equals = index_of(words, b"=").ok_or("no \"=\"")?;
    event.src = equals
        .checked_sub(1)
        .and_then(|index| parse_ip(words[index]));
    event.dst = words.get(equals + 1).and_then(|word| parse_ip(word));
    if let Some(interface) = word_after_pair(words, b"on", b"interface") {
        event.in_interface = Some(interface);
    }
    Ok(())
}

/// 302013 to 302018, 302022, 302023: `Built {inbound|outbound} PROTO connection N for I:A/p [(A/p)] to I:B/p
/// [(B/p)] ...` and `Teardown PROTO connection N for|from I:A/p to I:B/p duration ...`.
fn read_connection<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    let first = words.first().copied().unwrap_or_default();
    event.action = if first.eq_ignore_ascii_case(b"Built") {
        Action::Allow
    } else if first.eq_ignore_ascii_case(b"Teardown") {
        Action::Other
    } else {
        return Err("message does not start with Built or Teardown");
    };
    event.direction = direction_word(words);
    let connection = index_of(words, b"connection").ok_or("no \"connection\"")?;
    event.protocol = protocol_before(&words[..connection]);
    let after = &words[connection..];
    let first_endpoint = endpoint_after(after, b"for").or_else(|| endpoint_after(after, b"from"));
    let first_endpoint = first_endpoint.ok_or("no address after \"for\"")?;
    let second_endpoint = endpoint_after(after, b"to").ok_or("no address after \"to\"")?;
    // The first endpoint is the remote ("foreign") side; an outbound connection was opened by
    // the second, local side, so its source is the second endpoint.
    if event.direction == Direction::Outbound {
        set_source(event, &second_endpoint);
        set_destination(event, &first_endpoint);
    } else {
        set_source(event, &first_endpoint);
        set_destination(event, &second_endpoint);
    }
    Ok(())
}

/// 302020, 302021: `{Built|Teardown} [inbound|outbound] ICMP connection for faddr A/id gaddr G/t
/// laddr B/id [type t code c]`; falls back to the `for|from ... to ...` layout.
fn read_icmp_connection<'a>(words: &[&'a [u8]], event: &mut Event<'a>) -> ReadResult {
    if index_of(words, b"faddr").is_none() {
        read_connection(words, event)?;
        event.src_port = None;
        event.dst_port = None;
        return Ok(());
    }
    let first = words.first().copied().unwrap_or_default();
    event.action = if first.eq_ignore_ascii_case(b"Built") {
        Action::Allow
    } else {
        Action::Other
    };
    event.direction = direction_word(words);
    let connection = index_of(words, b"connection").unwrap_or(0);
    event.protocol = protocol_before(&words[..connection]);
    if event.protocol == Protocol::Unknown {
        event.protocol = Protocol::Icmp;
    }
    let foreign = endpoint_after(words, b"faddr").ok_or("no address after \"faddr\"")?;
    let local = endpoint_after(words, b"laddr").ok_or("no address after \"laddr\"")?;
    let (source, destination) = if event.direction == Direction::Outbound {
        (local, foreign)
    } else {
        (foreign, local)
    };
    event.src = source.address;
    event.in_interface = source.interface;
    event.dst = destination.address;
    event.out_interface = destination.interface;
    if let (Some(icmp_type), Some(code)) = (word_after(words, b"type"), word_after(words, b"code"))
    {
        if let (Some(icmp_type), Some(code)) = (parse_u8(icmp_type), parse_u8(code)) {
            event.icmp = Some(Icmp { icmp_type, code });
        }
    }
    Ok(())
}

/// An `interface:address/port` endpoint; every part is optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Endpoint<'a> {
    interface: Option<&'a [u8]>,
    address: Option<IpAddr>,
    port: Option<u16>,
}

fn set_source<'a>(event: &mut Event<'a>, endpoint: &Endpoint<'a>) {
    event.src = endpoint.address;
    event.src_port = endpoint.port;
    if endpoint.interface.is_some() {
        event.in_interface = endpoint.interface;
    }
}

fn set_destination<'a>(event: &mut Event<'a>, endpoint: &Endpoint<'a>) {
    event.dst = endpoint.address;
    event.dst_port = endpoint.port;
    if endpoint.interface.is_some() {
        event.out_interface = endpoint.interface;
    }
}

/// Reads `[interface:]address[/port]`, also wrapped in parentheses. The address may be an object
/// name instead of an IP (then it is `None`); the port may be an ASA service name (`ssh`).
/// Returns `None` when the word is not shaped like an endpoint at all.
fn parse_endpoint(word: &[u8]) -> Option<Endpoint<'_>> {
    let mut word = trim_punctuation(word);
    if let Some(inner) = word.strip_prefix(b"(").and_then(|w| w.strip_suffix(b")")) {
        word = inner;
    }
    if word.is_empty() {
        return None;
    }
    let (host, port) = match memchr::memrchr(b'/', word) {
        Some(slash) => (&word[..slash], Some(&word[slash + 1..])),
        None => (word, None),
    };
    let mut endpoint = Endpoint {
        port: port.and_then(port_from_word),
        ..Endpoint::default()
    };
    if let Some(address) = parse_ip(host) {
        endpoint.address = Some(address);
        return Some(endpoint);
    }
    match memchr::memchr(b':', host) {
        Some(colon) => {
            let interface = &host[..colon];
            if interface.is_empty() {
                return None;
            }
            endpoint.interface = Some(interface);
            endpoint.address = parse_ip(&host[colon + 1..]);
        }
        None => {
            // A bare object name (`Server_Windows`) or a placeholder: only accept it when the
            // word has a port part, which marks it as an endpoint.
            port?;
        }
    }
    Some(endpoint)
}

/// Reads 106100's `interface/address(port)`.
fn parse_slash_endpoint(word: &[u8]) -> Option<Endpoint<'_>> {
    let open = memchr::memchr(b'(', word)?;
    let close = open + memchr::memchr(b')', &word[open..])?;
    let host = &word[..open];
    let slash = memchr::memchr(b'/', host)?;
    Some(Endpoint {
        interface: Some(&host[..slash]),
        address: parse_ip(&host[slash + 1..]),
        port: parse_u16(&word[open + 1..close]),
    })
}

/// The port number of a numeric port or of a name the ASA prints instead of the number.
fn port_from_word(word: &[u8]) -> Option<u16> {
    if let Some(port) = parse_u16(word) {
        return Some(port);
    }
    const NAMES: [(&[u8], u16); 30] = [
        (b"ftp", 21),
        (b"ssh", 22),
        (b"telnet", 23),
        (b"smtp", 25),
        (b"domain", 53),
        (b"bootps", 67),
        (b"bootpc", 68),
        (b"tftp", 69),
        (b"www", 80),
        (b"http", 80),
        (b"pop3", 110),
        (b"sunrpc", 111),
        (b"ident", 113),
        (b"nntp", 119),
        (b"ntp", 123),
        (b"netbios-ns", 137),
        (b"netbios-dgm", 138),
        (b"netbios-ssn", 139),
        (b"imap4", 143),
        (b"snmp", 161),
        (b"snmptrap", 162),
        (b"ldap", 389),
        (b"https", 443),
        (b"isakmp", 500),
        (b"syslog", 514),
        (b"lpd", 515),
        (b"rsh", 514),
        (b"sqlnet", 1521),
        (b"h323", 1720),
        (b"sip", 5060),
    ];
    NAMES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|(_, port)| *port)
}

/// The endpoints after `from` and after the first `to` that follows it.
fn from_to<'a>(words: &[&'a [u8]]) -> Result<(Endpoint<'a>, Endpoint<'a>), &'static str> {
    let from = index_of(words, b"from").ok_or("no \"from\"")?;
    let source = words
        .get(from + 1)
        .and_then(|word| parse_endpoint(word))
        .ok_or("no source after \"from\"")?;
    let destination =
        endpoint_after(&words[from + 1..], b"to").ok_or("no destination after \"to\"")?;
    Ok((source, destination))
}

/// The endpoint in the word after the first `keyword` (case-insensitive).
fn endpoint_after<'a>(words: &[&'a [u8]], keyword: &[u8]) -> Option<Endpoint<'a>> {
    let index = index_of(words, keyword)?;
    parse_endpoint(words.get(index + 1)?)
}

/// `inbound` or `outbound` among the first words, as a direction.
fn direction_word(words: &[&[u8]]) -> Direction {
    for word in words.iter().take(4) {
        if word.eq_ignore_ascii_case(b"inbound") {
            return Direction::Inbound;
        }
        if word.eq_ignore_ascii_case(b"outbound") {
            return Direction::Outbound;
        }
    }
    Direction::Unknown
}

/// The protocol named among `words`, including the `protocol 47` form.
fn protocol_before(words: &[&[u8]]) -> Protocol {
    for (index, word) in words.iter().enumerate() {
        if word.eq_ignore_ascii_case(b"protocol") {
            if let Some(number) = words.get(index + 1).and_then(|word| parse_u8(word)) {
                return Protocol::from_number(number);
            }
            continue;
        }
        if let Some(protocol) = protocol_from_word(word) {
            return protocol;
        }
    }
    Protocol::Unknown
}

/// A protocol name as the ASA writes it (`TCP`, `udp`, `icmp`, `icmp6`, `gre`, `esp`, a number).
fn protocol_from_word(word: &[u8]) -> Option<Protocol> {
    if let Some(protocol) = Protocol::from_name(word) {
        return Some(protocol);
    }
    const NAMES: [(&[u8], u8); 6] = [
        (b"gre", 47),
        (b"esp", 50),
        (b"ah", 51),
        (b"eigrp", 88),
        (b"ospf", 89),
        (b"sctp", 132),
    ];
    NAMES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|(_, number)| Protocol::from_number(*number))
}

/// The TCP flags listed after `flags`, up to `on` or the end.
fn read_flags(words: &[&[u8]]) -> Option<TcpFlags> {
    let start = index_of(words, b"flags")? + 1;
    let mut flags = TcpFlags::empty();
    let mut any = false;
    for word in &words[start.min(words.len())..] {
        if word.eq_ignore_ascii_case(b"on") {
            break;
        }
        if let Some(flag) = TcpFlags::from_name(trim_punctuation(word)) {
            flags.insert(flag);
            any = true;
        }
    }
    any.then_some(flags)
}

/// `(type t, code c)` anywhere in the words.
fn read_type_code(words: &[&[u8]]) -> Option<Icmp> {
    let index = index_of(words, b"(type")?;
    let icmp_type = parse_u8(trim_punctuation(words.get(index + 1)?))?;
    let code = if words.get(index + 2)?.eq_ignore_ascii_case(b"code") {
        let code = words.get(index + 3)?;
        parse_u8(trim_punctuation(code.strip_suffix(b")").unwrap_or(code)))?
    } else {
        0
    };
    Some(Icmp { icmp_type, code })
}

fn index_of(words: &[&[u8]], keyword: &[u8]) -> Option<usize> {
    words
        .iter()
        .position(|word| word.eq_ignore_ascii_case(keyword))
}

fn word_after<'a>(words: &[&'a [u8]], keyword: &[u8]) -> Option<&'a [u8]> {
    words.get(index_of(words, keyword)? + 1).copied()
}

/// The word after the first `first second` pair, e.g. the interface in `on interface outside`.
fn word_after_pair<'a>(words: &[&'a [u8]], first: &[u8], second: &[u8]) -> Option<&'a [u8]> {
    let index = words.windows(2).position(|pair| {
        pair[0].eq_ignore_ascii_case(first) && pair[1].eq_ignore_ascii_case(second)
    })?;
    words
        .get(index + 2)
        .map(|word| trim_punctuation(word))
        .filter(|word| !word.is_empty())
}

fn trim(text: &[u8]) -> &[u8] {
    text.trim_ascii()
}

/// Drops the punctuation that ends a word in running text (`outside,` `outside.` `B:`).
fn trim_punctuation(word: &[u8]) -> &[u8] {
    let mut word = word;
    while let Some((&last, rest)) = word.split_last() {
        if matches!(last, b',' | b'.' | b';') || (last == b':' && !rest.ends_with(b":")) {
            word = rest;
        } else {
            break;
        }
    }
    word
}

fn strip_quotes(word: &[u8]) -> &[u8] {
    let word = word.strip_prefix(b"\"").unwrap_or(word);
    word.strip_suffix(b"\"").unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Record<'_> {
        parse_asa_line(line.as_bytes(), &mut TimeContext::utc(2024))
    }

    fn event(line: &str) -> Event<'_> {
        match parse(line) {
            Record::Event(event) => event,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    #[test]
    fn endpoint_forms() {
        let endpoint = parse_endpoint(b"outside:10.0.0.1/443").unwrap();
        assert_eq!(endpoint.interface, Some(&b"outside"[..]));
        assert_eq!(endpoint.address, Some("10.0.0.1".parse().unwrap()));
        assert_eq!(endpoint.port, Some(443));
        let endpoint = parse_endpoint(b"inside:2001:db8::5/53").unwrap();
        assert_eq!(endpoint.address, Some("2001:db8::5".parse().unwrap()));
        assert_eq!(endpoint.interface, Some(&b"inside"[..]));
        let endpoint = parse_endpoint(b"(192.0.2.1/80)").unwrap();
        assert_eq!(endpoint.port, Some(80));
        let endpoint = parse_endpoint(b"dmz:web01/ssh").unwrap();
        assert_eq!(endpoint.address, None);
        assert_eq!(endpoint.port, Some(22));
        assert!(parse_endpoint(b"interface_name").is_none());
    }

    #[test]
    fn tag_needs_severity_and_id() {
        assert!(looks_like(b"%ASA-4-106023: Deny"));
        assert!(looks_like(b"x %FTD-6-302013: Built"));
        assert!(!looks_like(b"100%ASA-x-1"));
        assert!(!looks_like(b"%ASA-4-: Deny"));
    }

    #[test]
    fn deny_with_access_group() {
        let event = event(
            "%ASA-4-106023: Deny udp src outside:192.0.2.7/5353 dst inside:10.1.1.1/53 by access-group \"outside_in\" [0x0, 0x0]",
        );
        assert_eq!(event.action, Action::Drop);
        assert_eq!(event.protocol, Protocol::Udp);
        assert_eq!(event.rule, Some(&b"outside_in"[..]));
        assert_eq!(event.in_interface, Some(&b"outside"[..]));
        assert_eq!(event.out_interface, Some(&b"inside"[..]));
        assert_eq!(event.dst_port, Some(53));
    }

    #[test]
    fn device_stamp_sets_time() {
        let event = event("Feb 03 2024 04:05:06: %ASA-2-106006: Deny inbound UDP from 198.51.100.2/1024 to 203.0.113.9/161 on interface outside");
        let expected = Timestamp::from_utc_parts(2024, 2, 3, 4, 5, 6, 0).unwrap();
        assert_eq!(
            event.time.map(|t| t.unix_micros),
            Some(expected.unix_micros)
        );
        assert_eq!(event.direction, Direction::Inbound);
        assert_eq!(event.in_interface, Some(&b"outside"[..]));
    }

    #[test]
    fn other_ids_are_skipped_and_garbage_is_malformed() {
        assert_eq!(
            parse("%ASA-5-111008: User 'admin' executed the 'enable' command."),
            Record::Skipped(SkipReason::NotPacket)
        );
        assert!(matches!(
            parse("%ASA-4-106023: Deny tcp src nowhere dst nowhere"),
            Record::Malformed(_)
        ));
        assert_eq!(parse("hello"), Record::Skipped(SkipReason::OtherProgram));
        assert_eq!(parse("   "), Record::Skipped(SkipReason::Blank));
    }
}
