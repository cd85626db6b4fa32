//! JSON Lines for `fwseen parse --json`: one line per event, per malformed record, per input
//! file, per unreadable input, and a final summary. The wire format is documented in
//! `docs/json.md`; keep the two in step.
//!
//! This is the hot path of `parse --json`, so the lines are written by hand into a byte buffer:
//! no serde tree, no allocation per event, timestamps formatted once per second. Keys are flat,
//! dotted Elastic Common Schema names (`source.ip`) where ECS has one, and our own dotted names
//! (`tcp.flags`, `ip.ttl`) where it has none. A key whose value the log did not carry is left
//! out rather than written as `null`. Connection records (Zeek `conn.log`) add their session:
//! `network.session.state`, ECS `source.packets`/`source.bytes` and their `destination` pair,
//! and ECS `event.duration` in nanoseconds.
//!
//! Text from logs (rule labels, host and interface names, file paths) is untrusted bytes: it is
//! decoded as UTF-8 with invalid sequences replaced by U+FFFD, and escaped per RFC 8259.

use std::io::Write as _;
use std::net::IpAddr;

use fwseen_event::{
    civil_from_days, EmbeddedPacket, Event, Protocol, Session, TcpFlags, Timestamp,
};
use fwseen_parse::reader::{Counts, SKIP_REASONS};
use fwseen_parse::{FormatKind, Malformed, SkipReason};

/// The stable JSON key of a skip reason (in `skipped_by_reason` objects).
pub fn skip_reason_key(reason: SkipReason) -> &'static str {
    match reason {
        SkipReason::Blank => "blank",
        SkipReason::Header => "header",
        SkipReason::NotPacket => "not_packet",
        SkipReason::OtherProgram => "other_program",
    }
}

/// Writes `bytes` as a JSON string (with its quotes): invalid UTF-8 becomes U+FFFD, `"` and `\`
/// are escaped, control characters become `\n`, `\r`, `\t` or `\u00XX`.
pub fn write_json_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    if bytes.is_ascii() {
        write_escaped_utf8(out, bytes);
    } else {
        for chunk in bytes.utf8_chunks() {
            write_escaped_utf8(out, chunk.valid().as_bytes());
            if !chunk.invalid().is_empty() {
                out.extend_from_slice("\u{fffd}".as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// Escapes valid UTF-8 for the inside of a JSON string, copying safe runs in one go.
fn write_escaped_utf8(out: &mut Vec<u8>, text: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut run_start = 0;
    for (i, &byte) in text.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&text[run_start..i]);
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        run_start = i + 1;
    }
    out.extend_from_slice(&text[run_start..]);
}

/// A JSON string of `bytes`, for values written many times (the path of an input).
pub fn json_string(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    write_json_string(&mut out, bytes);
    out
}

fn write_u64(out: &mut Vec<u8>, value: u64) {
    let mut buffer = itoa::Buffer::new();
    out.extend_from_slice(buffer.format(value).as_bytes());
}

/// Writes an address as a JSON string; IPv4 by hand (it is on the hot path), IPv6 in its
/// canonical RFC 5952 form through `Display`.
fn write_ip(out: &mut Vec<u8>, ip: IpAddr) {
    out.push(b'"');
    match ip {
        IpAddr::V4(v4) => {
            for (i, octet) in v4.octets().into_iter().enumerate() {
                if i > 0 {
                    out.push(b'.');
                }
                let width = match octet {
                    0..=9 => 1,
                    10..=99 => 2,
                    _ => 3,
                };
                write_digits(out, u32::from(octet), width);
            }
        }
        IpAddr::V6(v6) => {
            let _ = write!(out, "{v6}");
        }
    }
    out.push(b'"');
}

/// Writes `,"key":` (every key after `"type"` is preceded by a comma).
#[inline]
fn key(out: &mut Vec<u8>, name: &str) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Writes `,"name":number` when the log carried the value; nothing otherwise.
#[inline]
fn optional_number(out: &mut Vec<u8>, name: &str, value: Option<impl Into<u64>>) {
    if let Some(value) = value {
        key(out, name);
        write_u64(out, value.into());
    }
}

/// Writes `,"name":"address"` when the log carried the address; nothing otherwise.
#[inline]
fn optional_ip(out: &mut Vec<u8>, name: &str, ip: Option<IpAddr>) {
    if let Some(ip) = ip {
        key(out, name);
        write_ip(out, ip);
    }
}

/// Writes `,"name":"text"` (untrusted bytes, escaped) when the log carried the text.
#[inline]
fn optional_text(out: &mut Vec<u8>, name: &str, text: Option<&[u8]>) {
    if let Some(text) = text {
        key(out, name);
        write_json_string(out, text);
    }
}

/// Appends `value` as exactly `width` decimal digits (the value must fit).
#[inline]
fn write_digits(out: &mut Vec<u8>, value: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut rest = value;
    for digit in digits[..width].iter_mut().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out.extend_from_slice(&digits[..width]);
}

/// Writes event lines, remembering the text of the last second so that consecutive events of the
/// same second do not reformat their date.
#[derive(Debug, Default)]
pub struct EventJsonWriter {
    /// The Unix second whose `YYYY-MM-DDTHH:MM:SS.` text is in `second_text`.
    cached_second: Option<i64>,
    second_text: Vec<u8>,
}

impl EventJsonWriter {
    pub fn new() -> EventJsonWriter {
        EventJsonWriter::default()
    }

    /// Writes an RFC 3339 UTC time with microseconds, as a JSON string.
    fn write_timestamp(&mut self, out: &mut Vec<u8>, time: Timestamp) {
        let second = time.unix_micros.div_euclid(1_000_000);
        let micros = time.unix_micros.rem_euclid(1_000_000) as u32;
        if self.cached_second != Some(second) {
            let (year, month, day) = civil_from_days(second.div_euclid(86_400));
            if !(0..=9999).contains(&year) {
                // Outside four-digit years the general formatter handles the sign and width.
                self.cached_second = None;
                let _ = write!(out, "\"{time}\"");
                return;
            }
            let second_of_day = second.rem_euclid(86_400) as u32;
            let text = &mut self.second_text;
            text.clear();
            write_digits(text, year as u32, 4);
            text.push(b'-');
            write_digits(text, month, 2);
            text.push(b'-');
            write_digits(text, day, 2);
            text.push(b'T');
            write_digits(text, second_of_day / 3600, 2);
            text.push(b':');
            write_digits(text, second_of_day / 60 % 60, 2);
            text.push(b':');
            write_digits(text, second_of_day % 60, 2);
            text.push(b'.');
            self.cached_second = Some(second);
        }
        out.push(b'"');
        out.extend_from_slice(&self.second_text);
        write_digits(out, micros, 6);
        out.extend_from_slice(b"Z\"");
    }

    /// Writes one `{"type":"event",...}` line (with its `\n`). `path_json` is the input's path
    /// already written as a JSON string (see [`json_string`]).
    pub fn write_event(&mut self, out: &mut Vec<u8>, event: &Event<'_>, path_json: &[u8]) {
        out.extend_from_slice(b"{\"type\":\"event\"");
        if let Some(time) = event.time {
            key(out, "@timestamp");
            self.write_timestamp(out, time);
            if let Some(offset) = time.original_offset_seconds {
                key(out, "event.timezone");
                let sign = if offset < 0 { '-' } else { '+' };
                let minutes = offset.unsigned_abs() / 60;
                let _ = write!(out, "\"{sign}{:02}:{:02}\"", minutes / 60, minutes % 60);
            }
        }
        key(out, "event.action");
        write_json_string(out, event.action.as_str().as_bytes());
        key(out, "network.direction");
        write_json_string(out, event.direction.as_str().as_bytes());
        if let Some(number) = event.protocol.number() {
            key(out, "network.transport");
            write_json_string(out, event.protocol.as_str().as_bytes());
            key(out, "network.iana_number");
            write_u64(out, u64::from(number));
        }
        optional_ip(out, "source.ip", event.src);
        optional_number(out, "source.port", event.src_port);
        optional_ip(out, "destination.ip", event.dst);
        optional_number(out, "destination.port", event.dst_port);
        if let Some(flags) = event.tcp_flags {
            key(out, "tcp.flags");
            write_flags(out, flags);
        }
        optional_number(out, "ip.ttl", event.ttl);
        optional_number(out, "ip.id", event.ip_id);
        optional_number(out, "ip.length", event.length);
        optional_number(out, "tcp.window", event.tcp_window);
        optional_number(out, "tcp.seq", event.tcp_seq);
        if let Some(icmp) = event.icmp {
            key(out, "icmp.type");
            write_u64(out, u64::from(icmp.icmp_type));
            key(out, "icmp.code");
            write_u64(out, u64::from(icmp.code));
        }
        if let Some(embedded) = &event.embedded {
            write_embedded(out, embedded);
        }
        if let Some(session) = &event.session {
            write_session(out, session);
        }
        optional_text(out, "observer.hostname", event.observer);
        optional_text(out, "observer.ingress.interface.name", event.in_interface);
        optional_text(out, "observer.egress.interface.name", event.out_interface);
        optional_text(out, "rule.name", event.rule);
        key(out, "log.file.path");
        out.extend_from_slice(path_json);
        key(out, "log.file.line");
        write_u64(out, event.origin.record);
        out.extend_from_slice(b"}\n");
    }
}

fn write_flags(out: &mut Vec<u8>, flags: TcpFlags) {
    out.push(b'[');
    let mut first = true;
    for (flag, name) in TcpFlags::NAMED {
        if flags.contains(flag) {
            if !first {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(name.as_bytes());
            out.push(b'"');
            first = false;
        }
    }
    out.push(b']');
}

/// The session of a connection record: its state, the ECS packet and byte counts of each side
/// (`source.bytes` is IP-level bytes, as Elastic's Zeek integration maps `orig_ip_bytes`), the
/// payload bytes under our own names, and the ECS duration in nanoseconds.
fn write_session(out: &mut Vec<u8>, session: &Session) {
    if let Some(code) = session.state.code() {
        key(out, "network.session.state");
        write_json_string(out, code.as_bytes());
    }
    optional_number(out, "source.packets", session.orig_packets);
    optional_number(out, "destination.packets", session.resp_packets);
    optional_number(out, "source.bytes", session.orig_ip_bytes);
    optional_number(out, "destination.bytes", session.resp_ip_bytes);
    optional_number(
        out,
        "network.session.source_payload_bytes",
        session.orig_bytes,
    );
    optional_number(
        out,
        "network.session.destination_payload_bytes",
        session.resp_bytes,
    );
    if let Some(micros) = session.duration_micros {
        key(out, "event.duration");
        let mut buffer = itoa::Buffer::new();
        out.extend_from_slice(buffer.format(i128::from(micros) * 1000).as_bytes());
    }
}

fn write_embedded(out: &mut Vec<u8>, embedded: &EmbeddedPacket) {
    if embedded.protocol != Protocol::Unknown {
        key(out, "icmp.original.network.transport");
        write_json_string(out, embedded.protocol.as_str().as_bytes());
        if let Some(number) = embedded.protocol.number() {
            key(out, "icmp.original.network.iana_number");
            write_u64(out, u64::from(number));
        }
    }
    optional_ip(out, "icmp.original.source.ip", embedded.src);
    optional_number(out, "icmp.original.source.port", embedded.src_port);
    optional_ip(out, "icmp.original.destination.ip", embedded.dst);
    optional_number(out, "icmp.original.destination.port", embedded.dst_port);
}

/// The most bytes of a malformed line quoted in its JSON line.
pub const MALFORMED_TEXT_LIMIT: usize = 512;

/// Writes one `{"type":"malformed",...}` line. `text` is the record (quoted up to
/// [`MALFORMED_TEXT_LIMIT`] bytes; empty for records whose bytes were not kept).
pub fn write_malformed(
    out: &mut Vec<u8>,
    path_json: &[u8],
    line: u64,
    malformed: &Malformed,
    text: &[u8],
) {
    out.extend_from_slice(b"{\"type\":\"malformed\"");
    key(out, "path");
    out.extend_from_slice(path_json);
    key(out, "line");
    write_u64(out, line);
    key(out, "reason");
    write_json_string(out, malformed.reason.as_bytes());
    key(out, "column");
    match malformed.column {
        Some(column) => write_u64(out, column as u64),
        None => out.extend_from_slice(b"null"),
    }
    key(out, "text");
    write_json_string(out, &text[..text.len().min(MALFORMED_TEXT_LIMIT)]);
    key(out, "text_truncated");
    out.extend_from_slice(if text.len() > MALFORMED_TEXT_LIMIT {
        b"true"
    } else {
        b"false"
    });
    out.extend_from_slice(b"}\n");
}

fn write_counts(out: &mut Vec<u8>, counts: &Counts) {
    key(out, "records");
    write_u64(out, counts.records);
    key(out, "events");
    write_u64(out, counts.events);
    key(out, "skipped");
    write_u64(out, counts.skipped);
    key(out, "malformed");
    write_u64(out, counts.malformed);
    key(out, "skipped_by_reason");
    out.push(b'{');
    for (i, reason) in SKIP_REASONS.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(skip_reason_key(reason).as_bytes());
        out.extend_from_slice(b"\":");
        write_u64(out, counts.skipped_for(reason));
    }
    out.push(b'}');
}

/// Writes one `{"type":"file",...}` line: the accounting of one input. `format` is `None` for an
/// empty input; `error` says why reading stopped early, if it did.
pub fn write_file(
    out: &mut Vec<u8>,
    path_json: &[u8],
    format: Option<FormatKind>,
    counts: &Counts,
    error: Option<&str>,
) {
    out.extend_from_slice(b"{\"type\":\"file\"");
    key(out, "path");
    out.extend_from_slice(path_json);
    key(out, "format");
    match format {
        Some(kind) => write_json_string(out, kind.name().as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    write_counts(out, counts);
    if let Some(message) = error {
        key(out, "error");
        write_json_string(out, message.as_bytes());
    }
    out.extend_from_slice(b"}\n");
}

/// Writes one `{"type":"error",...}` line: an input that could not be read at all.
pub fn write_error(out: &mut Vec<u8>, path_json: &[u8], message: &str) {
    out.extend_from_slice(b"{\"type\":\"error\"");
    key(out, "path");
    out.extend_from_slice(path_json);
    key(out, "message");
    write_json_string(out, message.as_bytes());
    out.extend_from_slice(b"}\n");
}

/// Writes one `{"type":"passed_over",...}` line: a file found in a directory or by a glob that
/// is not a log of a known format (it was not read, and it is not an error).
pub fn write_passed_over(out: &mut Vec<u8>, path_json: &[u8], reason: &str) {
    out.extend_from_slice(b"{\"type\":\"passed_over\"");
    key(out, "path");
    out.extend_from_slice(path_json);
    key(out, "reason");
    write_json_string(out, reason.as_bytes());
    out.extend_from_slice(b"}\n");
}

/// Writes the final `{"type":"summary",...}` line.
pub fn write_summary(
    out: &mut Vec<u8>,
    inputs: u64,
    inputs_failed: u64,
    inputs_passed_over: u64,
    totals: &Counts,
) {
    out.extend_from_slice(b"{\"type\":\"summary\"");
    key(out, "inputs");
    write_u64(out, inputs);
    key(out, "inputs_failed");
    write_u64(out, inputs_failed);
    key(out, "inputs_passed_over");
    write_u64(out, inputs_passed_over);
    write_counts(out, totals);
    out.extend_from_slice(b"}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use fwseen_event::{Action, ConnState, Direction, Icmp, Origin};
    use std::net::Ipv4Addr;

    fn parse(line: &[u8]) -> serde_json::Value {
        assert_eq!(line.last(), Some(&b'\n'));
        serde_json::from_slice(line).expect("valid JSON")
    }

    #[test]
    fn strings_are_escaped_and_lossy() {
        let mut out = Vec::new();
        write_json_string(&mut out, b"a\"b\\c\nd\x01e\x1b\xff\xfef\0");
        let text: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(text, "a\"b\\c\nd\u{1}e\u{1b}\u{fffd}\u{fffd}f\0");
        let mut out = Vec::new();
        write_json_string(&mut out, "caf\u{e9} \u{202e}".as_bytes());
        let text: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(text, "caf\u{e9} \u{202e}");
    }

    #[test]
    fn event_line_has_ecs_keys() {
        let time = Timestamp {
            unix_micros: 1_700_000_000_123_456,
            original_offset_seconds: Some(-5 * 3600 - 30 * 60),
        };
        let event = Event {
            time: Some(time),
            observer: Some(b"fw\x01"),
            action: Action::Drop,
            direction: Direction::Inbound,
            in_interface: Some(b"eth0"),
            protocol: Protocol::Tcp,
            src: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 20, 1))),
            dst: Some("2001:db8::1".parse().unwrap()),
            src_port: Some(40000),
            dst_port: Some(22),
            tcp_flags: Some(TcpFlags::SYN | TcpFlags::ECE | TcpFlags::CWR),
            ttl: Some(54),
            rule: Some(b"[UFW BLOCK] "),
            origin: Origin {
                input: 0,
                record: 17,
            },
            ..Event::default()
        };
        let mut writer = EventJsonWriter::new();
        let mut out = Vec::new();
        let path = json_string(b"/var/log/kern\xff.log");
        writer.write_event(&mut out, &event, &path);
        let value = parse(&out);
        assert_eq!(value["type"], "event");
        assert_eq!(value["@timestamp"], "2023-11-14T22:13:20.123456Z");
        assert_eq!(value["event.timezone"], "-05:30");
        assert_eq!(value["event.action"], "drop");
        assert_eq!(value["network.direction"], "inbound");
        assert_eq!(value["network.transport"], "tcp");
        assert_eq!(value["network.iana_number"], 6);
        assert_eq!(value["source.ip"], "192.0.20.1");
        assert_eq!(value["destination.ip"], "2001:db8::1");
        assert_eq!(value["destination.port"], 22);
        assert_eq!(value["tcp.flags"], serde_json::json!(["CWR", "ECE", "SYN"]));
        assert_eq!(value["ip.ttl"], 54);
        assert_eq!(value["observer.hostname"], "fw\u{1}");
        assert_eq!(value["observer.ingress.interface.name"], "eth0");
        assert_eq!(value["rule.name"], "[UFW BLOCK] ");
        assert_eq!(value["log.file.path"], "/var/log/kern\u{fffd}.log");
        assert_eq!(value["log.file.line"], 17);
        assert!(
            value.get("icmp.type").is_none(),
            "absent values are left out"
        );

        // The cached second is reused, and a new second is formatted afresh.
        let mut later = event.clone();
        later.time = Some(Timestamp {
            unix_micros: 1_700_000_000_000_001,
            original_offset_seconds: None,
        });
        out.clear();
        writer.write_event(&mut out, &later, &path);
        assert_eq!(parse(&out)["@timestamp"], "2023-11-14T22:13:20.000001Z");
        later.time = Some(Timestamp {
            unix_micros: -1,
            original_offset_seconds: None,
        });
        out.clear();
        writer.write_event(&mut out, &later, &path);
        assert_eq!(parse(&out)["@timestamp"], "1969-12-31T23:59:59.999999Z");
        // Years that do not fit four digits still come out as valid JSON strings.
        later.time = Some(Timestamp {
            unix_micros: 300_000_000_000 * 1_000_000,
            original_offset_seconds: None,
        });
        out.clear();
        writer.write_event(&mut out, &later, &path);
        assert!(parse(&out)["@timestamp"]
            .as_str()
            .unwrap()
            .starts_with("11476-"));
    }

    #[test]
    fn addresses_are_formatted_like_display() {
        for ip in [
            "0.0.0.0",
            "255.255.255.255",
            "10.9.99.100",
            "::",
            "2001:db8::1",
            "::ffff:192.0.2.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            let mut out = Vec::new();
            write_ip(&mut out, ip);
            assert_eq!(out, format!("\"{ip}\"").into_bytes());
        }
    }

    #[test]
    fn timestamps_match_the_event_crate_formatting() {
        let mut writer = EventJsonWriter::new();
        for micros in [
            0i64,
            951_782_400_000_001,
            1_709_251_199_999_999,
            -86_400_000_000,
        ] {
            let time = Timestamp {
                unix_micros: micros,
                original_offset_seconds: None,
            };
            let mut out = Vec::new();
            writer.write_timestamp(&mut out, time);
            assert_eq!(out, format!("\"{time}\"").into_bytes());
        }
    }

    #[test]
    fn icmp_error_writes_the_original_packet() {
        let event = Event {
            protocol: Protocol::Icmp,
            icmp: Some(Icmp {
                icmp_type: 3,
                code: 3,
            }),
            embedded: Some(EmbeddedPacket {
                src: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))),
                dst: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))),
                protocol: Protocol::Udp,
                src_port: Some(53),
                dst_port: Some(33434),
            }),
            ..Event::default()
        };
        let mut out = Vec::new();
        EventJsonWriter::new().write_event(&mut out, &event, b"\"-\"");
        let value = parse(&out);
        assert_eq!(value["icmp.type"], 3);
        assert_eq!(value["icmp.original.network.transport"], "udp");
        assert_eq!(value["icmp.original.destination.port"], 33434);
        assert_eq!(value["log.file.path"], "-");
        assert!(value.get("@timestamp").is_none());
    }

    #[test]
    fn connection_records_write_their_session() {
        let event = Event {
            protocol: Protocol::Tcp,
            src: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10))),
            dst: Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 80))),
            src_port: Some(50000),
            dst_port: Some(22),
            tcp_flags: Some(TcpFlags::SYN),
            session: Some(Session {
                state: ConnState::SF,
                orig_packets: Some(25),
                resp_packets: Some(20),
                orig_bytes: Some(2669),
                resp_bytes: Some(2501),
                orig_ip_bytes: Some(3981),
                resp_ip_bytes: Some(3549),
                duration_micros: Some(6_159_326),
                ..Session::default()
            }),
            ..Event::default()
        };
        let mut out = Vec::new();
        EventJsonWriter::new().write_event(&mut out, &event, b"\"conn.log\"");
        let value = parse(&out);
        assert_eq!(value["network.session.state"], "SF");
        assert_eq!(value["source.packets"], 25);
        assert_eq!(value["destination.packets"], 20);
        assert_eq!(value["source.bytes"], 3981);
        assert_eq!(value["destination.bytes"], 3549);
        assert_eq!(value["network.session.source_payload_bytes"], 2669);
        assert_eq!(value["network.session.destination_payload_bytes"], 2501);
        assert_eq!(value["event.duration"], 6_159_326_000u64);
        assert_eq!(value["tcp.flags"], serde_json::json!(["SYN"]));

        // Only what the record carried: an S0 probe without counts or duration.
        let probe = Event {
            session: Some(Session {
                state: ConnState::S0,
                ..Session::default()
            }),
            ..event.clone()
        };
        out.clear();
        EventJsonWriter::new().write_event(&mut out, &probe, b"\"conn.log\"");
        let value = parse(&out);
        assert_eq!(value["network.session.state"], "S0");
        for absent in [
            "source.packets",
            "destination.packets",
            "source.bytes",
            "destination.bytes",
            "network.session.source_payload_bytes",
            "network.session.destination_payload_bytes",
            "event.duration",
        ] {
            assert!(value.get(absent).is_none(), "{absent}");
        }
        // An unknown state writes no state; a known zero count is written.
        let unknown = Event {
            session: Some(Session {
                resp_packets: Some(0),
                ..Session::default()
            }),
            ..event.clone()
        };
        out.clear();
        EventJsonWriter::new().write_event(&mut out, &unknown, b"\"conn.log\"");
        let value = parse(&out);
        assert!(value.get("network.session.state").is_none());
        assert_eq!(value["destination.packets"], 0);
        // Packet logs have no session, and no session keys.
        out.clear();
        let packet = Event {
            session: None,
            ..event
        };
        EventJsonWriter::new().write_event(&mut out, &packet, b"\"conn.log\"");
        let value = parse(&out);
        assert!(value
            .as_object()
            .unwrap()
            .keys()
            .all(|key| !key.starts_with("network.session")
                && !key.ends_with(".packets")
                && !key.ends_with(".bytes")
                && key != "event.duration"));
    }

    #[test]
    fn accounting_lines() {
        let mut counts = Counts::default();
        counts.add(&fwseen_parse::Record::Skipped(SkipReason::NotPacket));
        counts.add(&fwseen_parse::Record::Malformed(Malformed::new("x")));
        let path = json_string(b"a.log");
        let mut out = Vec::new();
        write_file(&mut out, &path, Some(FormatKind::Netfilter), &counts, None);
        let value = parse(&out);
        assert_eq!(value["type"], "file");
        assert_eq!(value["format"], "netfilter");
        assert_eq!(value["records"], 2);
        assert_eq!(value["skipped_by_reason"]["not_packet"], 1);
        assert!(value.get("error").is_none());

        out.clear();
        write_summary(&mut out, 3, 1, 1, &counts);
        let value = parse(&out);
        assert_eq!(value["inputs_failed"], 1);
        assert_eq!(value["inputs_passed_over"], 1);
        assert_eq!(value["malformed"], 1);

        out.clear();
        let long = vec![b'a'; MALFORMED_TEXT_LIMIT + 5];
        write_malformed(&mut out, &path, 9, &Malformed::at("bad port", 4), &long);
        let value = parse(&out);
        assert_eq!(value["column"], 4);
        assert_eq!(value["text_truncated"], true);
        assert_eq!(value["text"].as_str().unwrap().len(), MALFORMED_TEXT_LIMIT);

        out.clear();
        write_error(&mut out, &path, "No such file");
        assert_eq!(parse(&out)["type"], "error");

        out.clear();
        write_passed_over(&mut out, &path, "not a log");
        assert_eq!(parse(&out)["type"], "passed_over");
    }
}
