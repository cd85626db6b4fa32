//! Integration tests for the SonicWall parser, on lines written for each variant
//! (tests/data/sonicwall/sonicwall.log).

use fwseen_event::{Action, Icmp, Protocol};
use fwseen_parse::sonicwall::{self, SonicWallParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, malformed_reason, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("sonicwall", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = SonicWallParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::SonicWall);
    common::parse_all(&mut parser, data)
}

#[test]
fn records() {
    let data = fixture("sonicwall.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 15);

    // A drop without proto=: the message names TCP.
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.7"), Some(50000)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.1"), Some(445)));
    assert_eq!(e.in_interface, Some(&b"X1"[..]));
    assert_eq!(e.out_interface, Some(&b"X0"[..]));
    assert_eq!(e.rule, Some(&b"5 (WAN->LAN)"[..]));
    assert_eq!(e.observer, Some(&b"203.0.113.1"[..]));
    let stamp = e.time.unwrap();
    assert_eq!(stamp.to_string(), "2024-01-15T10:00:01.000000Z");
    assert_eq!(stamp.original_offset_seconds, Some(0));

    // Connection opened behind a syslog header; a host name after the interface; local time.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("10.1.0.5"), Some(40000)));
    assert_eq!(e.in_interface, Some(&b"X0"[..]));
    assert_eq!(e.dst_port, Some(443));
    assert_eq!(e.time.unwrap().original_offset_seconds, None);
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:02.000000Z");

    // IPv6 addresses in srcV6=/dstV6=, ports in src=/dst=.
    let e = event(&records[2]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!((e.src, e.src_port), (some_ip("fe80::1"), Some(5353)));
    assert_eq!((e.dst, e.dst_port), (some_ip("ff02::fb"), Some(5353)));
    assert_eq!(e.out_interface, None);

    // Connection closed: neither allowed nor dropped.
    let e = event(&records[3]);
    assert_eq!(e.action, Action::Other);
    assert_eq!(e.protocol, Protocol::Udp);

    // ICMP: no ports; an empty fw= falls back to the serial number.
    let e = event(&records[4]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!((e.src_port, e.dst_port), (None, None));
    assert_eq!(e.observer, Some(&b"0040AA000001"[..]));

    // An administrator login and a record without addresses are not packets.
    assert_eq!(records[5], Record::Skipped(SkipReason::NotPacket));
    assert_eq!(records[6], Record::Skipped(SkipReason::NotPacket));

    assert_eq!(malformed_reason(&records[7]), "src is not IP:PORT:IFACE");
    assert_eq!(malformed_reason(&records[8]), "src is not IP:PORT:IFACE");
    assert_eq!(
        malformed_reason(&records[9]),
        "record cut off inside a quoted value, before its addresses"
    );
    assert_eq!(malformed_reason(&records[10]), "src= without dst=");
    assert_eq!(records[11], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[12], Record::Skipped(SkipReason::OtherProgram));

    // SonicOS 6.5: fw_action= decides; ICMP type and code; a bare priority before the first key.
    let e = event(&records[13]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(e.observer, Some(&b"203.0.113.2"[..]));
    assert_eq!(e.rule, Some(&b"3 (LAN->WAN)"[..]));
    let e = event(&records[14]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.dst_port, Some(80));
}

#[test]
fn looks_like_and_sniff() {
    let data = fixture("sonicwall.log");
    assert_eq!(fwseen_parse::sniff(&data), Some(FormatKind::SonicWall));
    assert!(sonicwall::looks_like(
        b"sn=0040AA000001 fw=203.0.113.1 pri=6 c=1024 m=537 msg=\"Connection Closed\""
    ));
    assert!(!sonicwall::looks_like(
        b"date=2024-01-02 time=03:04:05 logid=1 type=traffic srcip=1.2.3.4"
    ));
}

#[test]
fn every_prefix_of_every_line_is_accounted() {
    common::parse_every_prefix(
        &mut SonicWallParser::new(TimeContext::utc(2024)),
        &fixture("sonicwall.log"),
    );
}
