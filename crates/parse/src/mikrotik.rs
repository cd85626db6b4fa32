//! MikroTik RouterOS firewall log lines.
//!
//! A RouterOS rule with `log=yes` writes, under the `firewall,info` topics:
//!
//! ```text
//! [prefix ]chain: in:ether1 out:(unknown 0), connection-state:new src-mac aa:bb:cc:dd:ee:ff,
//!     proto TCP (SYN), 198.51.100.7:50123->192.0.2.1:22, len 60
//! ```
//!
//! (one line). ICMP shows `proto ICMP (type 8, code 0)` and no ports; IPv6 addresses with ports
//! are bracketed (`[2001:db8::1]:5678->[2001:db8::2]:22`); a translated connection adds a
//! `NAT (a:b->c:d)->e:f` part, which is passed over (the addresses before it are the packet's).
//!
//! RouterOS does not log the rule's action, only the optional `log-prefix`. The action is taken
//! from the prefix when it names one (`drop`, `deny`, `block` → drop; `reject` → reject;
//! `accept`, `allow`, `pass` → allow) and is "other" otherwise. The chain gives the direction:
//! `input` inbound, `output` outbound, `forward` forwarded. The prefix and chain together are the
//! rule label (`drop-in input`).
//!
//! Lines of other RouterOS topics (`system,error,critical login failure ...`) are skipped.

use std::net::IpAddr;

use fwseen_event::{Action, Direction, Event, Icmp, Protocol, TcpFlags};
use memchr::memmem;

use crate::fields::{parse_ip, parse_u16, parse_u32, parse_u8};
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// Parser for MikroTik RouterOS firewall lines.
pub struct MikroTikParser {
    time: TimeContext,
}

impl MikroTikParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for MikroTikParser {
    fn kind(&self) -> FormatKind {
        FormatKind::MikroTik
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_mikrotik_line(line, &mut self.time)
    }
}

/// True when the line looks like a RouterOS firewall log line.
pub fn looks_like(line: &[u8]) -> bool {
    find_interfaces(line).is_some() && memmem::find(line, b" proto ").is_some()
}

/// Finds ` in:` followed later by ` out:`; returns the offset of `in:`.
fn find_interfaces(line: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(relative) = memmem::find(&line[from..], b"in:") {
        let position = from + relative;
        from = position + 3;
        if position > 0 && line[position - 1] != b' ' {
            continue;
        }
        // Without ` out:` after this `in:` there is none after any later one either.
        return memmem::find(&line[position..], b" out:").map(|_| position);
    }
    None
}

/// Parses one RouterOS line.
pub fn parse_mikrotik_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    let header = crate::syslog::split_header(line, time);
    let message = header.map_or(line, |header| header.message);
    let message_start = line.len() - message.len();
    let Some(interfaces_start) = find_interfaces(message) else {
        return if has_topics(message) || header.is_some_and(|h| h.program.is_some_and(is_topics)) {
            Record::Skipped(SkipReason::NotPacket)
        } else {
            Record::Skipped(SkipReason::OtherProgram)
        };
    };
    let mut event = Event {
        time: header.and_then(|header| header.time),
        observer: header.and_then(|header| header.host),
        ..Event::default()
    };
    read_label(&message[..interfaces_start], &mut event);
    let body = &message[interfaces_start..];
    match read_body(body, &mut event) {
        Ok(()) => Record::Event(event),
        Err((reason, offset)) => Record::Malformed(Malformed::at(
            reason,
            message_start + interfaces_start + offset,
        )),
    }
}

/// True for a RouterOS topics word such as `firewall,info` or `system,error,critical`.
fn is_topics(word: &[u8]) -> bool {
    const TOPICS: [&[u8]; 10] = [
        b"firewall",
        b"system",
        b"info",
        b"error",
        b"warning",
        b"critical",
        b"account",
        b"dhcp",
        b"interface",
        b"debug",
    ];
    !word.is_empty()
        && word
            .split(|b| *b == b',')
            .all(|topic| TOPICS.iter().any(|known| known.eq_ignore_ascii_case(topic)))
}

/// True when the message starts with a topics word.
fn has_topics(message: &[u8]) -> bool {
    let first = message.split(|b| *b == b' ').next().unwrap_or_default();
    first.contains(&b',') && is_topics(first)
}

/// Reads `[topics ][prefix ]chain: ` (the text before `in:`) into the rule, action and direction.
fn read_label<'a>(text: &'a [u8], event: &mut Event<'a>) {
    let mut label = text.trim_ascii();
    // Everything up to the topics word (`firewall,info`), when the syslog header did not take
    // it: a time stamp of `/log print` output, or a header the syslog module did not know.
    let mut word_start = 0;
    for word in text.split(|b| *b == b' ') {
        let word_end = word_start + word.len();
        if word.contains(&b',') && is_topics(word) {
            label = text[word_end..].trim_ascii();
        }
        word_start = word_end + 1;
    }
    let chain =
        label
            .strip_suffix(b":")
            .map(|without_colon| match memchr::memrchr(b' ', without_colon) {
                Some(space) => &without_colon[space + 1..],
                None => without_colon,
            });
    let prefix = match chain {
        Some(chain) => label[..label.len() - chain.len() - 1].trim_ascii(),
        None => label,
    };
    event.rule = Some(label.strip_suffix(b":").unwrap_or(label)).filter(|l| !l.is_empty());
    event.direction = match chain {
        Some(b"input") => Direction::Inbound,
        Some(b"output") => Direction::Outbound,
        Some(b"forward") => Direction::Forward,
        _ => Direction::Unknown,
    };
    event.action = action_from_prefix(prefix);
}

/// The action a log prefix names, if any.
fn action_from_prefix(prefix: &[u8]) -> Action {
    let mut lower = [0u8; 64];
    let length = prefix.len().min(lower.len());
    for (destination, source) in lower.iter_mut().zip(&prefix[..length]) {
        *destination = source.to_ascii_lowercase();
    }
    let lower = &lower[..length];
    let names = |words: &[&[u8]]| words.iter().any(|w| find_short(lower, w).is_some());
    if names(&[b"reject"]) {
        Action::Reject
    } else if names(&[b"drop", b"deny", b"block", b"ban"]) {
        Action::Drop
    } else if names(&[b"accept", b"allow", b"pass", b"permit"]) {
        Action::Allow
    } else {
        Action::Other
    }
}

type BodyResult = Result<(), (&'static str, usize)>;

/// Reads `in:X out:Y, part, part, ...` where parts are separated by `, ` outside parentheses.
fn read_body<'a>(body: &'a [u8], event: &mut Event<'a>) -> BodyResult {
    let mut saw_addresses = false;
    let mut saw_protocol = false;
    for (offset, part) in Parts::new(body) {
        if let Some(interfaces) = part.strip_prefix(b"in:") {
            read_interfaces(interfaces, event);
        } else if let Some(start) = protocol_start(part) {
            // Without a source MAC the protocol shares a part with the connection state
            // (`connection-state:new proto TCP (SYN)`).
            read_protocol(&part[start..], event).map_err(|reason| (reason, offset + start))?;
            saw_protocol = true;
        } else if let Some(length) = part.strip_prefix(b"len ") {
            event.length = parse_u32(length);
        } else if part.starts_with(b"NAT ") || part.starts_with(b"NAT(") {
            // The translated addresses; the packet's own came first.
        } else if !saw_addresses && find_short(part, b"->").is_some() {
            read_addresses(part, event).map_err(|reason| (reason, offset))?;
            saw_addresses = true;
        }
    }
    if !saw_protocol {
        return Err(("no proto part", 0));
    }
    if !saw_addresses {
        return Err(("no source->destination part", 0));
    }
    // ICMP carried over IPv6 is ICMPv6, whatever name the log gave it.
    if event.protocol == Protocol::Icmp && event.src.is_some_and(|address| address.is_ipv6()) {
        event.protocol = Protocol::Icmpv6;
    }
    if !event.protocol.has_ports() {
        event.src_port = None;
        event.dst_port = None;
    }
    Ok(())
}

/// Where the protocol name starts in a part holding `proto NAME` at its start or after a space.
fn protocol_start(part: &[u8]) -> Option<usize> {
    if part.starts_with(b"proto ") {
        return Some(6);
    }
    find_short(part, b" proto ").map(|position| position + 7)
}

/// `ether1 out:(unknown 0)`: the input and output interfaces.
fn read_interfaces<'a>(text: &'a [u8], event: &mut Event<'a>) {
    let (input, output) = match find_short(text, b" out:") {
        Some(position) => (&text[..position], &text[position + 5..]),
        None => (text, &[][..]),
    };
    let known = |name: &'a [u8]| {
        Some(name.trim_ascii()).filter(|n| !n.is_empty() && !n.starts_with(b"(unknown"))
    };
    event.in_interface = known(input);
    event.out_interface = known(output);
}

/// `TCP (SYN)`, `TCP (ACK,FIN,PSH)`, `UDP`, `ICMP (type 3, code 3)`, `47`, `IPV6-ICMP (type 135,
/// code 0)`.
fn read_protocol(text: &[u8], event: &mut Event<'_>) -> Result<(), &'static str> {
    let (name, detail) = match memchr::memchr(b'(', text) {
        Some(open) => {
            let close = memchr::memrchr(b')', text).filter(|close| *close > open);
            let close = close.ok_or("unclosed parenthesis after proto")?;
            (text[..open].trim_ascii(), Some(&text[open + 1..close]))
        }
        None => (text.trim_ascii(), None),
    };
    event.protocol = Protocol::from_name(name)
        .or(match name {
            b"GRE" | b"gre" => Some(Protocol::Other(47)),
            b"ESP" | b"esp" => Some(Protocol::Other(50)),
            _ => None,
        })
        .ok_or("unknown protocol name")?;
    let Some(detail) = detail else {
        return Ok(());
    };
    match event.protocol {
        Protocol::Tcp => {
            let mut flags = TcpFlags::empty();
            for name in detail.split(|b| *b == b',') {
                if let Some(flag) = TcpFlags::from_name(name.trim_ascii()) {
                    flags.insert(flag);
                }
            }
            event.tcp_flags = Some(flags);
        }
        Protocol::Icmp | Protocol::Icmpv6 => {
            let mut icmp_type = None;
            let mut code = None;
            for item in detail.split(|b| *b == b',') {
                let item = item.trim_ascii();
                if let Some(value) = item.strip_prefix(b"type ") {
                    icmp_type = parse_u8(value.trim_ascii());
                } else if let Some(value) = item.strip_prefix(b"code ") {
                    code = parse_u8(value.trim_ascii());
                }
            }
            if let Some(icmp_type) = icmp_type {
                event.icmp = Some(Icmp {
                    icmp_type,
                    code: code.unwrap_or(0),
                });
            }
        }
        _ => {}
    }
    Ok(())
}

/// `a.b.c.d:p->e.f.g.h:p`, `[v6]:p->[v6]:p`, or addresses without ports.
fn read_addresses(text: &[u8], event: &mut Event<'_>) -> Result<(), &'static str> {
    let arrow = find_short(text, b"->").ok_or("no ->")?;
    let (source, source_port) = parse_address_port(&text[..arrow]).ok_or("bad source address")?;
    let (destination, destination_port) =
        parse_address_port(&text[arrow + 2..]).ok_or("bad destination address")?;
    event.src = Some(source);
    event.src_port = source_port;
    event.dst = Some(destination);
    event.dst_port = destination_port;
    Ok(())
}

/// `a.b.c.d:p`, `a.b.c.d`, `[v6]:p`, `[v6]`, or a bare IPv6 address.
fn parse_address_port(text: &[u8]) -> Option<(IpAddr, Option<u16>)> {
    let text = text.trim_ascii();
    if let Some(rest) = text.strip_prefix(b"[") {
        let close = memchr::memchr(b']', rest)?;
        let address = parse_ip(&rest[..close])?;
        let after = &rest[close + 1..];
        let port = match after.strip_prefix(b":") {
            Some(port) => Some(parse_u16(port)?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((address, port));
    }
    if let Some(address) = parse_ip(text) {
        return Some((address, None));
    }
    let colon = memchr::memrchr(b':', text)?;
    let address = parse_ip(&text[..colon])?;
    if !address.is_ipv4() {
        return None;
    }
    Some((address, Some(parse_u16(&text[colon + 1..])?)))
}

/// Splits on `, ` outside parentheses, yielding each part with its offset.
struct Parts<'a> {
    text: &'a [u8],
    position: usize,
}

impl<'a> Parts<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self { text, position: 0 }
    }
}

impl<'a> Iterator for Parts<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        if self.position >= text.len() {
            return None;
        }
        let start = self.position;
        let mut depth = 0usize;
        let mut index = start;
        while index < text.len() {
            match text[index] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 && text.get(index + 1) == Some(&b' ') => {
                    self.position = index + 2;
                    return Some((start, &text[start..index]));
                }
                _ => {}
            }
            index += 1;
        }
        self.position = text.len();
        Some((start, text[start..].trim_ascii_end()))
    }
}

/// Finds `needle` in a short `haystack` (a part of a line); cheaper than building a `memmem`
/// searcher for a few dozen bytes. Long texts only reach it through the linear-time callers.
fn find_short(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(relative) = memchr::memchr(first, &haystack[from..]) {
        let position = from + relative;
        if haystack[position..].starts_with(needle) {
            return Some(position);
        }
        from = position + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_respect_parentheses() {
        let parts: Vec<_> =
            Parts::new(b"in:a out:b, proto ICMP (type 3, code 1), 1.2.3.4->5.6.7.8, len 9")
                .map(|(_, part)| part)
                .collect();
        assert_eq!(
            parts,
            vec![
                &b"in:a out:b"[..],
                &b"proto ICMP (type 3, code 1)"[..],
                &b"1.2.3.4->5.6.7.8"[..],
                &b"len 9"[..],
            ]
        );
    }

    #[test]
    fn address_forms() {
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!(parse_address_port(b"192.0.2.1:80"), Some((v4, Some(80))));
        assert_eq!(parse_address_port(b"192.0.2.1"), Some((v4, None)));
        assert_eq!(
            parse_address_port(b"[2001:db8::1]:443"),
            Some((v6, Some(443)))
        );
        assert_eq!(parse_address_port(b"[2001:db8::1]"), Some((v6, None)));
        assert_eq!(parse_address_port(b"2001:db8::1"), Some((v6, None)));
        assert_eq!(parse_address_port(b"192.0.2.1:99999"), None);
        assert_eq!(parse_address_port(b"[2001:db8::1"), None);
    }

    #[test]
    fn prefixes_name_actions() {
        assert_eq!(action_from_prefix(b"drop-in"), Action::Drop);
        assert_eq!(action_from_prefix(b"REJECT ssh"), Action::Reject);
        assert_eq!(action_from_prefix(b"accepted"), Action::Allow);
        assert_eq!(action_from_prefix(b""), Action::Other);
    }
}
