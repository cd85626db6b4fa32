//! Integration tests for the Sophos Firewall (XG / SFOS) parser, on lines written for each
//! variant (tests/data/sophos/sophos-xg.log): the older `date=`/`time=`/`timezone=` records and the
//! SFOS 19.5 `timestamp=` records.

use fwseen_event::{Action, Icmp, Protocol, Timestamp};
use fwseen_parse::sophos::{self, SophosParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, malformed_reason, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("sophos", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = SophosParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::SophosXg);
    common::parse_all(&mut parser, data)
}

#[test]
fn records() {
    let data = fixture("sophos-xg.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 12);

    // Denied, with the +01 offset: 11:00:01 local is 10:00:01 UTC.
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.7"), Some(50000)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.9"), Some(3389)));
    assert_eq!(e.in_interface, Some(&b"Port2"[..]));
    assert_eq!(e.out_interface, Some(&b"Port1"[..]));
    assert_eq!(e.rule, Some(&b"7"[..]));
    // The serial number names the device (device_name holds the model).
    assert_eq!(e.observer, Some(&b"C0100000LAB01"[..]));
    assert_eq!(
        e.time,
        Some(Timestamp {
            unix_micros: Timestamp::from_utc_parts(2024, 1, 15, 10, 0, 1, 0)
                .unwrap()
                .unix_micros,
            original_offset_seconds: Some(3600),
        })
    );

    // SFOS 19.5 behind a bare priority: timestamp= with +0530, quoted addresses, the rule name,
    // the serial as observer.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!((e.src, e.dst), (some_ip("10.1.0.5"), some_ip("192.0.2.53")));
    assert_eq!(e.dst_port, Some(53));
    assert_eq!(e.rule, Some(&b"lan to dns"[..]));
    assert_eq!(e.observer, Some(&b"X21000LAB02"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:02.000000Z");
    assert_eq!(e.time.unwrap().original_offset_seconds, Some(19800));

    // ICMP with type and code, a zone name instead of an offset (read with the context's zone).
    let e = event(&records[2]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!((e.src_port, e.dst_port), (None, None));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:03.000000Z");
    assert_eq!(e.time.unwrap().original_offset_seconds, None);

    // Web filtering, an admin event and a firewall heartbeat are not packets.
    assert_eq!(records[3], Record::Skipped(SkipReason::NotPacket));
    assert_eq!(records[4], Record::Skipped(SkipReason::NotPacket));
    assert_eq!(records[5], Record::Skipped(SkipReason::NotPacket));

    assert_eq!(malformed_reason(&records[6]), "src_ip is not an IP address");
    assert_eq!(
        malformed_reason(&records[7]),
        "src_port is not a port number"
    );
    assert_eq!(
        malformed_reason(&records[8]),
        "record cut off inside a quoted value, before its addresses"
    );
    assert_eq!(malformed_reason(&records[9]), "firewall log without dst_ip");
    assert_eq!(records[10], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[11], Record::Skipped(SkipReason::OtherProgram));
}

#[test]
fn looks_like_and_sniff() {
    // Sophos lines also satisfy FortiGate's sniffer (`log_id=`, `type=`): Sophos must still win.
    let data = fixture("sophos-xg.log");
    assert_eq!(fwseen_parse::sniff(&data), Some(FormatKind::SophosXg));
    assert!(sophos::looks_like(
        b"log_type=\"Firewall\" log_component=\"Firewall Rule\" log_subtype=\"Denied\""
    ));
    assert!(!sophos::looks_like(
        b"date=2024-01-02 time=03:04:05 logid=1 type=traffic subtype=forward srcip=1.2.3.4"
    ));
}

#[test]
fn every_prefix_of_every_line_is_accounted() {
    common::parse_every_prefix(
        &mut SophosParser::new(TimeContext::utc(2024)),
        &fixture("sophos-xg.log"),
    );
}
