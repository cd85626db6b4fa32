//! Integration tests for the CEF parser: lines written for each variant
//! (tests/data/cef/cef-variants.log) and crowdsec's UniFi sample (MIT), which holds an
//! administrator event and two blocked threats, one of them with the `CEF:` prefix cut off.

use fwseen_event::{Action, Direction, Protocol, Timestamp};
use fwseen_parse::cef::{self, CefParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, malformed_reason, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("cef", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = CefParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::Cef);
    common::parse_all(&mut parser, data)
}

#[test]
fn variants() {
    let data = fixture("cef-variants.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 12);

    // Syslog header, rt in milliseconds, a labelled rule string, a value with spaces and `\=`.
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.direction, Direction::Inbound);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.7"), Some(50000)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.9"), Some(22)));
    assert_eq!(e.in_interface, Some(&b"eth0"[..]));
    assert_eq!(e.rule, Some(&b"block ssh in"[..]));
    assert_eq!(e.observer, Some(&b"edge-1"[..]));
    assert_eq!(
        e.time,
        Some(Timestamp {
            unix_micros: 1_705_312_801_123_000,
            original_offset_seconds: None,
        })
    );

    // IPv6, a numeric protocol, rt as text with a zone, outbound; the name is the rule.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.direction, Direction::Outbound);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!(e.src, some_ip("2001:db8:1::5"));
    assert_eq!(e.dst_port, Some(443));
    assert_eq!(e.out_interface, Some(&b"wan0"[..]));
    assert_eq!(e.rule, Some(&b"Connection allowed"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:02.000000Z");
    assert_eq!(e.observer, None);

    // RFC 5424 header: its time and host; ICMP carries no ports; reset is a reject.
    let e = event(&records[2]);
    assert_eq!(e.action, Action::Reject);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!((e.src_port, e.dst_port), (None, None));
    assert_eq!(e.observer, Some(&b"edge-2"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:03.000000Z");

    // The `CEF:` prefix cut off, long key names, the action taken from the name.
    let e = event(&records[3]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.8"), Some(1234)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.10"), Some(3389)));

    // An administrator event names only the client: not a packet.
    assert_eq!(records[4], Record::Skipped(SkipReason::NotPacket));

    // Escaped pipes stay in the name; the action is unknown.
    let e = event(&records[5]);
    assert_eq!(e.rule, Some(&br"Name with \| pipe"[..]));
    assert_eq!(e.action, Action::Other);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!(e.dst_port, Some(25));

    assert_eq!(
        malformed_reason(&records[6]),
        "CEF header has fewer than seven fields"
    );
    assert_eq!(malformed_reason(&records[7]), "src is not an IP address");
    assert_eq!(malformed_reason(&records[8]), "spt is not a port number");
    assert_eq!(records[9], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[10], Record::Skipped(SkipReason::OtherProgram));

    // No src=: shost holds the address (dhost holds a name and is no address); rt without a
    // year takes the context's year.
    let e = event(&records[11]);
    assert_eq!(e.src, some_ip("192.0.2.77"));
    assert_eq!(e.dst, None);
    assert_eq!(e.dst_port, Some(25));
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.time.unwrap().to_string(), "2024-03-03T04:05:06.000000Z");
}

#[test]
fn crowdsec_unifi_sample() {
    let data = fixture("crowdsec-unifi-cef.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 3);
    // An administrator opening the web interface.
    assert_eq!(records[0], Record::Skipped(SkipReason::NotPacket));

    // The line whose `CEF:` prefix was cut: UniFi's own UTC time and device name are used.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("10.0.0.100"), Some(52331)));
    assert_eq!((e.dst, e.dst_port), (some_ip("192.168.0.233"), Some(443)));
    assert_eq!(e.time.unwrap().to_string(), "2025-08-30T17:53:21.915000Z");
    assert_eq!(e.observer, Some(&b"Express 7"[..]));

    // No dst= (the target is named by alias only), but a protocol and ports: still a packet.
    let e = event(&records[2]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.src, some_ip("198.51.100.10"));
    assert_eq!(e.dst, None);
    assert_eq!((e.src_port, e.dst_port), (Some(46621), Some(80)));
    assert_eq!(e.in_interface, Some(&b"Internet 1"[..]));
    assert_eq!(e.observer, Some(&b"Express-7"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2025-10-26T19:01:31.807000Z");
}

#[test]
fn looks_like_and_sniff() {
    for name in ["cef-variants.log", "crowdsec-unifi-cef.log"] {
        let data = fixture(name);
        assert_eq!(fwseen_parse::sniff(&data), Some(FormatKind::Cef), "{name}");
    }
    assert!(cef::looks_like(b"CEF:0|a|b|c|d|e|f|src=1.2.3.4"));
    assert!(cef::looks_like(b"0|a|b|c|d|e|f|src=1.2.3.4"));
    assert!(!cef::looks_like(b"0|a|b|c"));
    assert!(!cef::looks_like(b"CEF:x|a"));
    assert!(!cef::looks_like(
        b"Jan  5 03:04:05 host kernel: IN=eth0 OUT= SRC=1.2.3.4"
    ));
}

#[test]
fn every_prefix_of_every_line_is_accounted() {
    for name in ["cef-variants.log", "crowdsec-unifi-cef.log"] {
        common::parse_every_prefix(&mut CefParser::new(TimeContext::utc(2024)), &fixture(name));
    }
}
