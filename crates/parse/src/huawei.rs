//! Huawei USG / Eudemon / HiSecEngine firewall syslog records.
//!
//! Huawei VRP devices tag every message `%%01MODULE/severity/MNEMONIC(l):` after the syslog header
//! and then write comma-separated `key=value` pairs, in three spellings depending on the module:
//!
//! - policy matching logs: `%%01POLICY/6/POLICYPERMIT(l):vsys=public, protocol=6,
//!   source-ip=198.51.100.7, source-port=50000, destination-ip=203.0.113.9, destination-port=22,
//!   time=2024/1/15 10:00:01, source-zone=untrust, destination-zone=trust, rule-name=ssh-in.`
//!   (`POLICYDENY` for denied packets);
//! - session logs: `%%01SECLOG/6/SESSION_TEARDOWN(l):IPVer=4,Protocol=tcp,SourceIP=...,
//!   DestinationIP=...,SourcePort=...,DestinationPort=...,BeginTime=...,PolicyName=...`;
//! - content security logs: a sentence, then the pairs in parentheses: `The URL filtering policy
//!   was matched. (SyslogId=1, VSys="public", SrcIp=..., DstIp=..., SrcPort=..., DstPort=...,
//!   Protocol=TCP, ..., Action=Block)`.
//!
//! Keys are matched ignoring case, `-` and `_`, so `source-ip`, `SourceIP` and `SrcIp` are one
//! field. Records that name a source and a destination address become events; the action comes
//! from `Action=` when present, else from the message name (`...PERMIT` allows, `...DENY` drops),
//! else it is "other" (session teardown, alerts). Messages without addresses (configuration,
//! logins, system state) are well-formed but not packet records, and are skipped.
//!
//! Besides the usual syslog headers, the `2024/01/15 10:00:01 host` header some Huawei log
//! servers write is read here.

use fwseen_event::{Action, Event, Protocol, Timestamp};

use crate::fields::{offset_in, parse_ip, parse_u16, parse_u32};
use crate::words::ActionWords;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// Parser for Huawei USG firewall lines.
pub struct HuaweiParser {
    time: TimeContext,
}

impl HuaweiParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for HuaweiParser {
    fn kind(&self) -> FormatKind {
        FormatKind::HuaweiUsg
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        parse_huawei_line(line, &mut self.time)
    }
}

/// True when the line carries a VRP `%%01MODULE/n/MNEMONIC` tag.
pub fn looks_like(line: &[u8]) -> bool {
    find_tag(line).is_some()
}

/// A VRP message tag: where it starts, its mnemonic and where the body after `:` starts.
struct Tag<'a> {
    start: usize,
    mnemonic: &'a [u8],
    body_start: usize,
}

/// Finds `%%[digits]MODULE/digit/MNEMONIC[(x)]:`.
fn find_tag(line: &[u8]) -> Option<Tag<'_>> {
    let mut from = 0;
    while let Some(relative) = memchr::memmem::find(&line[from..], b"%%") {
        let start = from + relative;
        from = start + 2;
        let mut index = start + 2;
        while index < line.len() && line[index].is_ascii_digit() {
            index += 1;
        }
        let module_start = index;
        while index < line.len() && (line[index].is_ascii_alphanumeric() || line[index] == b'_') {
            index += 1;
        }
        if index == module_start || line.get(index) != Some(&b'/') {
            continue;
        }
        if !line.get(index + 1).is_some_and(u8::is_ascii_digit)
            || line.get(index + 2) != Some(&b'/')
        {
            continue;
        }
        let mnemonic_start = index + 3;
        index = mnemonic_start;
        while index < line.len() && (line[index].is_ascii_alphanumeric() || line[index] == b'_') {
            index += 1;
        }
        if index == mnemonic_start {
            continue;
        }
        let mnemonic = &line[mnemonic_start..index];
        if line.get(index) == Some(&b'(') {
            match memchr::memchr(b')', &line[index..]) {
                Some(close) if close <= 4 => index += close + 1,
                _ => continue,
            }
        }
        if line.get(index) != Some(&b':') {
            continue;
        }
        return Some(Tag {
            start,
            mnemonic,
            body_start: index + 1,
        });
    }
    None
}

/// The fields of one record this parser uses, each a raw value.
#[derive(Default)]
struct Fields<'a> {
    src: Option<&'a [u8]>,
    dst: Option<&'a [u8]>,
    src_port: Option<&'a [u8]>,
    dst_port: Option<&'a [u8]>,
    protocol: Option<&'a [u8]>,
    rule: Option<&'a [u8]>,
    action: Option<&'a [u8]>,
    time: Option<&'a [u8]>,
}

impl<'a> Fields<'a> {
    fn store(&mut self, key: &[u8], value: &'a [u8]) {
        let mut buffer = [0u8; 24];
        let mut length = 0;
        for byte in key {
            if matches!(byte, b'-' | b'_') {
                continue;
            }
            if length == buffer.len() {
                return;
            }
            buffer[length] = byte.to_ascii_lowercase();
            length += 1;
        }
        let slot = match &buffer[..length] {
            b"sourceip" | b"srcip" | b"srcipaddr" => &mut self.src,
            b"destinationip" | b"dstip" | b"destip" | b"dstipaddr" => &mut self.dst,
            b"sourceport" | b"srcport" => &mut self.src_port,
            b"destinationport" | b"dstport" | b"destport" => &mut self.dst_port,
            b"protocol" => &mut self.protocol,
            b"rulename" | b"policyname" | b"policy" => &mut self.rule,
            b"action" => &mut self.action,
            b"time" => &mut self.time,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// Parses one Huawei line.
pub fn parse_huawei_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Record<'a> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Record::Skipped(SkipReason::Blank);
    }
    let Some(tag) = find_tag(line) else {
        return Record::Skipped(SkipReason::OtherProgram);
    };
    let mut body = line[tag.body_start..].trim_ascii();
    if let Some(rest) = body.strip_suffix(b")") {
        body = rest;
    }
    if let Some(rest) = body.strip_suffix(b".") {
        body = rest;
    }
    let mut fields = Fields::default();
    for (key, value) in Pairs::new(body) {
        fields.store(key, value);
    }
    let src_text = fields.src.filter(|text| !text.is_empty());
    let dst_text = fields.dst.filter(|text| !text.is_empty());
    let (src_text, dst_text) = match (src_text, dst_text) {
        (Some(src), Some(dst)) => (src, dst),
        (None, None) => return Record::Skipped(SkipReason::NotPacket),
        // A packet record names both; one alone is a line cut short.
        (Some(_), None) => {
            return Record::Malformed(Malformed::new("source address without destination"))
        }
        (None, Some(_)) => {
            return Record::Malformed(Malformed::new("destination address without source"))
        }
    };
    let Some(src) = parse_ip(src_text) else {
        return Record::Malformed(Malformed::at(
            "source address is not an IP address",
            offset_in(line, src_text),
        ));
    };
    let Some(dst) = parse_ip(dst_text) else {
        return Record::Malformed(Malformed::at(
            "destination address is not an IP address",
            offset_in(line, dst_text),
        ));
    };
    let mut event = Event {
        src: Some(src),
        dst: Some(dst),
        ..Event::default()
    };
    event.protocol = match fields.protocol.filter(|text| !text.is_empty()) {
        Some(text) => Protocol::from_name(text).unwrap_or(Protocol::Unknown),
        None => Protocol::Unknown,
    };
    if !matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) {
        for (text, port, reason) in [
            (
                fields.src_port,
                &mut event.src_port,
                "source port is not a port number",
            ),
            (
                fields.dst_port,
                &mut event.dst_port,
                "destination port is not a port number",
            ),
        ] {
            if let Some(text) = text.filter(|text| !text.is_empty()) {
                match parse_u16(text) {
                    Some(value) => *port = Some(value),
                    None => return Record::Malformed(Malformed::at(reason, offset_in(line, text))),
                }
            }
        }
    }
    event.action = match fields.action.map(action_from_word) {
        Some(action) if action != Action::Other => action,
        Some(_) => Action::Other,
        None => action_from_mnemonic(tag.mnemonic),
    };
    event.rule = fields.rule.filter(|rule| !rule.is_empty());
    let (header_time, host) = read_header(&line[..tag.start], time);
    event.time = header_time.or_else(|| fields.time.and_then(|text| parse_slash_time(text, time)));
    event.observer = host;
    Record::Event(event)
}

/// Iterates over `key=value` pairs separated by commas. The key is the word just before `=`
/// (so a sentence before the first pair is passed over); values may be double-quoted.
struct Pairs<'a> {
    text: &'a [u8],
    position: usize,
}

impl<'a> Pairs<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self { text, position: 0 }
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        loop {
            if self.position >= text.len() {
                return None;
            }
            let rest = &text[self.position..];
            let equals = self.position + memchr::memchr(b'=', rest)?;
            let mut key_start = equals;
            while key_start > self.position
                && (text[key_start - 1].is_ascii_alphanumeric()
                    || matches!(text[key_start - 1], b'-' | b'_'))
            {
                key_start -= 1;
            }
            let key = &text[key_start..equals];
            let value_start = equals + 1;
            let (value, next) = if text.get(value_start) == Some(&b'"') {
                let quoted_start = value_start + 1;
                let close = memchr::memchr(b'"', &text[quoted_start..])
                    .map_or(text.len(), |close| quoted_start + close);
                let after = memchr::memchr(b',', &text[close.min(text.len())..])
                    .map_or(text.len(), |comma| close + comma + 1);
                (&text[quoted_start..close], after)
            } else {
                let comma = memchr::memchr(b',', &text[value_start..])
                    .map_or(text.len(), |comma| value_start + comma);
                (text[value_start..comma].trim_ascii(), comma + 1)
            };
            self.position = next;
            if key.is_empty() {
                continue;
            }
            return Some((key, value));
        }
    }
}

/// `Action=` words.
const ACTION_WORDS: ActionWords = ActionWords {
    allow: &[b"permit", b"allow", b"pass", b"accept"],
    drop: &[b"deny", b"block", b"drop", b"discard"],
    reject: &[b"reset", b"reject"],
};

/// The action of one of the words above.
fn action_from_word(word: &[u8]) -> Action {
    ACTION_WORDS.action_of(word)
}

/// `POLICYPERMIT` allows, `POLICYDENY` / `ACLDENY` / `...DROP` drops.
fn action_from_mnemonic(mnemonic: &[u8]) -> Action {
    if mnemonic.ends_with(b"PERMIT") {
        Action::Allow
    } else if mnemonic.ends_with(b"DENY") || mnemonic.ends_with(b"DROP") {
        Action::Drop
    } else {
        Action::Other
    }
}

/// The time and host of the header before the tag: a syslog header, or `YYYY/MM/DD hh:mm:ss
/// host`.
fn read_header<'a>(
    prefix: &'a [u8],
    time: &mut TimeContext,
) -> (Option<Timestamp>, Option<&'a [u8]>) {
    let prefix = prefix.trim_ascii();
    if prefix.get(4) == Some(&b'/') {
        let mut words = prefix.split(|b| *b == b' ').filter(|word| !word.is_empty());
        let (Some(date), Some(clock)) = (words.next(), words.next()) else {
            return (None, None);
        };
        let stamp = parse_slash_date(date).zip(parse_clock(clock)).and_then(
            |((year, month, day), (hour, minute, second))| {
                time.civil_to_utc(year, month, day, hour, minute, second, 0)
            },
        );
        return (stamp, words.next());
    }
    match crate::syslog::split_header(prefix, time) {
        Some(header) => {
            let host = header.host.or_else(|| {
                // The host may be the only word left after the time.
                let message = header.message.trim_ascii();
                (!message.is_empty() && !message.contains(&b' ')).then_some(message)
            });
            (header.time, host)
        }
        None => (None, None),
    }
}

/// `2024/1/15 10:00:01` (the `time=` field of policy logs, device local time).
fn parse_slash_time(text: &[u8], time: &TimeContext) -> Option<Timestamp> {
    let space = memchr::memchr(b' ', text)?;
    let (year, month, day) = parse_slash_date(&text[..space])?;
    let (hour, minute, second) = parse_clock(&text[space + 1..])?;
    time.civil_to_utc(year, month, day, hour, minute, second, 0)
}

/// `2024/01/15` or `2024/1/5`.
fn parse_slash_date(text: &[u8]) -> Option<(i32, u32, u32)> {
    let mut parts = text.split(|b| *b == b'/');
    let year = parse_u32(parts.next()?)?;
    let month = parse_u32(parts.next()?)?;
    let day = parse_u32(parts.next()?)?;
    if parts.next().is_some() || year < 1000 {
        return None;
    }
    Some((year as i32, month, day))
}

/// `HH:MM:SS` (hours may have one digit).
fn parse_clock(text: &[u8]) -> Option<(u32, u32, u32)> {
    let mut parts = text.split(|b| *b == b':');
    let hour = parse_u32(parts.next()?)?;
    let minute = parse_u32(parts.next()?)?;
    let second = parse_u32(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some((hour, minute, second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        let tag = find_tag(b"x %%01POLICY/6/POLICYDENY(l):vsys=a").unwrap();
        assert_eq!(tag.mnemonic, b"POLICYDENY");
        assert_eq!(tag.start, 2);
        let tag = find_tag(b"%%SECLOG/6/SESSION_TEARDOWN:IPVer=4").unwrap();
        assert_eq!(tag.mnemonic, b"SESSION_TEARDOWN");
        assert!(find_tag(b"%ASA-4-106023: Deny").is_none());
        assert!(find_tag(b"%%01POLICY/x/DENY:").is_none());
        assert!(find_tag(b"%%01POLICY/6/DENY(l)").is_none());
    }

    #[test]
    fn pairs_after_a_sentence() {
        let pairs: Vec<_> = Pairs::new(
            br#"Policy matched. (SyslogId=1, VSys="a, b", SrcIp=192.0.2.1, Action=Block"#,
        )
        .collect();
        assert_eq!(
            pairs,
            vec![
                (&b"SyslogId"[..], &b"1"[..]),
                (&b"VSys"[..], &b"a, b"[..]),
                (&b"SrcIp"[..], &b"192.0.2.1"[..]),
                (&b"Action"[..], &b"Block"[..]),
            ]
        );
        let pairs: Vec<_> = Pairs::new(br#"a="open"#).collect();
        assert_eq!(pairs, vec![(&b"a"[..], &b"open"[..])]);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_slash_date(b"2018/10/5"), Some((2018, 10, 5)));
        assert_eq!(parse_slash_date(b"18/10/5"), None);
        assert_eq!(parse_clock(b"9:52:19"), Some((9, 52, 19)));
        assert_eq!(action_from_mnemonic(b"POLICYPERMIT"), Action::Allow);
        assert_eq!(action_from_mnemonic(b"SESSION_TEARDOWN"), Action::Other);
    }
}
