//! Integration tests for the Check Point parser, on lines written for the Log Exporter syslog
//! form and the older text form (tests/data/checkpoint/checkpoint.log) and for the Log Exporter
//! "splunk" form (tests/data/checkpoint/checkpoint-splunk.log).

use fwseen_event::{Action, Direction, Icmp, Protocol};
use fwseen_parse::checkpoint::{self, CheckPointParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, malformed_reason, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("checkpoint", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = CheckPointParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::CheckPoint);
    common::parse_all(&mut parser, data)
}

#[test]
fn records() {
    let data = fixture("checkpoint.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 11);

    // Log Exporter drop: epoch time, inbound interface, origin as observer.
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.direction, Direction::Inbound);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.7"), Some(50000)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.9"), Some(3389)));
    assert_eq!(e.in_interface, Some(&b"eth1"[..]));
    assert_eq!(e.rule, Some(&b"Cleanup rule"[..]));
    assert_eq!(e.observer, Some(&b"192.0.2.1"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:01.000000Z");

    // Accept outbound; of the repeated layer rule names the first is kept.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.direction, Direction::Outbound);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!(e.out_interface, Some(&b"eth0"[..]));
    assert_eq!(e.in_interface, None);
    assert_eq!(e.rule, Some(&b"dns out"[..]));
    assert_eq!(e.dst_port, Some(53));

    // ICMP reject with type and code.
    let e = event(&records[2]);
    assert_eq!(e.action, Action::Reject);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!((e.src_port, e.dst_port), (None, None));

    // IKE key installation: addresses but no protocol, not a packet.
    assert_eq!(records[3], Record::Skipped(SkipReason::NotPacket));

    // The older text form: its own date, `>eth1` inbound.
    let e = event(&records[4]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.direction, Direction::Inbound);
    assert_eq!(e.in_interface, Some(&b"eth1"[..]));
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.7"), Some(50001)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.9"), Some(22)));
    assert_eq!(e.rule, Some(&b"7"[..]));
    assert_eq!(e.observer, Some(&b"192.0.2.1"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:05.000000Z");

    // Text form ICMP, `<eth0` outbound.
    let e = event(&records[5]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.direction, Direction::Outbound);
    assert_eq!(e.out_interface, Some(&b"eth0"[..]));
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );

    assert_eq!(
        malformed_reason(&records[6]),
        "record breaks off before its source, destination and protocol"
    );
    assert_eq!(malformed_reason(&records[7]), "src is not an IP address");
    assert_eq!(malformed_reason(&records[8]), "s_port is not a port number");
    assert_eq!(records[9], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[10], Record::Skipped(SkipReason::OtherProgram));
}

#[test]
fn looks_like_and_sniff() {
    let data = fixture("checkpoint.log");
    assert_eq!(fwseen_parse::sniff(&data), Some(FormatKind::CheckPoint));
    assert!(checkpoint::looks_like(
        b"1 - h CheckPoint 1 - [action:\"Drop\"; src:\"1.2.3.4\"]"
    ));
    assert!(checkpoint::looks_like(
        b"Checkpoint: 3Sep2007 15:10:28 accept 192.0.2.1 >eth2 rule: 9; src: 192.0.2.9;"
    ));
    // Juniper's structured data uses `key="value"`, not `key:"value"`.
    assert!(!checkpoint::looks_like(
        b"RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 source-address=\"192.0.2.1\"]"
    ));
}

#[test]
fn every_prefix_of_every_line_is_accounted() {
    for name in ["checkpoint.log", "checkpoint-splunk.log"] {
        common::parse_every_prefix(
            &mut CheckPointParser::new(TimeContext::utc(2024)),
            &fixture(name),
        );
    }
}

#[test]
fn splunk_form() {
    let data = fixture("checkpoint-splunk.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 2);
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.direction, Direction::Inbound);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.7"), Some(50002)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.9"), Some(161)));
    assert_eq!(e.in_interface, Some(&b"eth1"[..]));
    // An escaped pipe stays inside the value.
    assert_eq!(e.rule, Some(&br"Stealth\|drop"[..]));
    assert_eq!(e.observer, Some(&b"192.0.2.1"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:01.000000Z");
    // Behind a syslog header; IKE, no protocol: not a packet.
    assert_eq!(records[1], Record::Skipped(SkipReason::NotPacket));
    assert_eq!(fwseen_parse::sniff(&data), Some(FormatKind::CheckPoint));
}
