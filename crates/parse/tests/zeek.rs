//! Integration tests for the Zeek `conn.log` parsers (TSV with its header, and JSON lines).

use fwseen_event::{Action, Direction, Icmp, Protocol, TcpFlags};
use fwseen_parse::zeek::{self, ZeekJsonParser, ZeekTsvParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{ip, lines, run};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("zeek", name)
}

fn tsv() -> ZeekTsvParser {
    ZeekTsvParser::new(TimeContext::utc(2026))
}

fn json() -> ZeekJsonParser {
    ZeekJsonParser::new(TimeContext::utc(2026))
}

#[test]
fn kinds() {
    assert_eq!(tsv().kind(), FormatKind::ZeekTsv);
    assert_eq!(json().kind(), FormatKind::ZeekJson);
}

#[test]
fn zeek_baselines_are_fully_read() {
    for (name, rows, header_lines) in [
        ("zeek-baseline-teredo-conn.log", 21, 10),
        ("zeek-baseline-opt-basic-conn.log", 34, 10),
        ("zeek-baseline-ssh-basic-conn.log", 25, 10),
        ("zeek-baseline-pop3-conn.log", 11, 10),
        ("zeek-baseline-cisco-fabric-path-conn.log", 64, 10),
    ] {
        let data = fixture(name);
        let (events, skips, malformed) = run(&mut tsv(), &data);
        assert_eq!(malformed, Vec::new(), "{name}");
        assert_eq!(events.len(), rows, "{name}");
        assert_eq!(skips.len(), header_lines, "{name}");
        assert!(skips.iter().all(|s| *s == SkipReason::Header), "{name}");
        // The baselines mask their times.
        assert!(events.iter().all(|e| e.time.is_none()), "{name}");
    }
}

#[test]
fn rejected_connections_become_rejects_with_a_syn() {
    let data = fixture("zeek-baseline-pop3-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let rejected: Vec<_> = events
        .iter()
        .filter(|e| e.action == Action::Reject)
        .collect();
    assert_eq!(rejected.len(), 6);
    for event in rejected {
        assert_eq!(event.protocol, Protocol::Tcp);
        assert!(event.is_plain_syn());
    }
    assert!(events
        .iter()
        .filter(|e| e.action != Action::Reject)
        .all(|e| e.action == Action::Other));
}

#[test]
fn teredo_icmpv6_and_flags() {
    let data = fixture("zeek-baseline-teredo-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let first = &events[0];
    assert_eq!(first.src, Some(ip("192.168.2.16")));
    assert_eq!(first.src_port, Some(1576));
    assert_eq!(first.dst, Some(ip("75.126.130.163")));
    assert_eq!(first.dst_port, Some(80));
    assert_eq!(first.protocol, Protocol::Tcp);
    // History `^fA`: the originator only acknowledged.
    assert_eq!(first.tcp_flags, Some(TcpFlags::ACK));
    assert_eq!(first.direction, Direction::Outbound);
    assert_eq!(first.length, Some(40));
    let icmpv6: Vec<_> = events
        .iter()
        .filter(|e| e.protocol == Protocol::Icmpv6)
        .collect();
    assert!(!icmpv6.is_empty());
    assert!(icmpv6
        .iter()
        .all(|e| e.icmp.is_some() && e.src_port.is_none()));
    // An echo request, and router discovery whose resp_p is the answer's type, not a code.
    let types: Vec<_> = icmpv6.iter().map(|e| e.icmp.unwrap()).collect();
    assert!(types.contains(&Icmp {
        icmp_type: 128,
        code: 0
    }));
    assert!(types.contains(&Icmp {
        icmp_type: 133,
        code: 0
    }));
    assert!(types.contains(&Icmp {
        icmp_type: 134,
        code: 0
    }));
}

#[test]
fn s0_rows_are_lone_syns_without_a_verdict() {
    let data = fixture("zeek-baseline-cisco-fabric-path-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let unanswered: Vec<_> = events
        .iter()
        .filter(|e| e.protocol == Protocol::Tcp && e.is_plain_syn())
        .collect();
    assert!(!unanswered.is_empty());
    assert!(unanswered.iter().all(|e| e.action == Action::Other));
}

#[test]
fn own_tsv_variants() {
    let data = fixture("fwseen-conn-variants.log");
    let (events, skips, malformed) = run(&mut tsv(), &data);
    assert_eq!(events.len(), 3);
    assert_eq!(
        malformed,
        vec![
            (12, "id.orig_p is not a port"),
            (13, "id.orig_h is not an address"),
            (14, "conn.log row is truncated"),
            (15, "ts is not a time"),
        ]
    );
    // Eight header lines, the #close line, three header lines of the dns log, and its row.
    assert_eq!(skips.len(), 13);
    assert_eq!(skips.last(), Some(&SkipReason::NotPacket));
    let s0 = &events[0];
    assert_eq!(s0.time.unwrap().to_string(), "2024-03-04T10:11:12.123456Z");
    assert_eq!(s0.direction, Direction::Inbound);
    assert!(s0.is_plain_syn());
    assert_eq!(s0.action, Action::Other);
    assert_eq!(s0.length, Some(40));
    let rejected = &events[1];
    assert_eq!(rejected.action, Action::Reject);
    assert!(rejected.is_plain_syn());
    let ping = &events[2];
    assert_eq!(ping.protocol, Protocol::Icmp);
    assert_eq!(
        ping.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(ping.dst_port, None);
    assert_eq!(ping.direction, Direction::Outbound);
}

#[test]
fn rows_without_a_header_use_the_default_layout() {
    let mut parser = tsv();
    let row = b"1521911721.411148\tCXWfTK3LRdiuQxBbM6\t10.47.25.80\t50817\t10.128.0.218\t23189\ttcp\t-\t0.000486\t0\t0\tREJ\t-\t-\t0\tSr\t2\t104\t2\t80\t-";
    let Record::Event(event) = parser.parse(row) else {
        panic!()
    };
    assert_eq!(event.action, Action::Reject);
    assert_eq!(event.dst_port, Some(23189));
    assert_eq!(event.direction, Direction::Unknown);
    assert_eq!(event.length, None);
}

#[test]
fn json_lines() {
    let data = fixture("fwseen-conn.json");
    let (events, skips, malformed) = run(&mut json(), &data);
    assert_eq!(events.len(), 7);
    assert_eq!(skips, vec![SkipReason::NotPacket, SkipReason::Blank]);
    assert_eq!(
        malformed,
        vec![
            (10, "id.orig_p is out of range"),
            (11, "id.orig_h is not an address"),
            (12, "JSON object is truncated"),
            (13, "a conn.log field has the wrong type"),
            (14, "not a JSON object"),
        ]
    );
    let s0 = &events[0];
    assert_eq!(s0.time.unwrap().to_string(), "2024-03-04T10:11:12.123456Z");
    assert_eq!(s0.src, Some(ip("203.0.113.9")));
    assert_eq!(s0.dst_port, Some(23));
    assert!(s0.is_plain_syn());
    assert_eq!(s0.direction, Direction::Inbound);
    assert_eq!(s0.length, Some(40));
    assert_eq!(events[1].action, Action::Reject);
    let established = &events[2];
    assert_eq!(established.direction, Direction::Outbound);
    assert_eq!(
        established.tcp_flags,
        Some(TcpFlags::SYN | TcpFlags::ACK | TcpFlags::FIN)
    );
    assert_eq!(established.length, None);
    let ping = &events[3];
    assert_eq!(
        ping.time.unwrap().to_string(),
        "2024-03-04T10:11:15.250000Z"
    );
    assert_eq!(
        ping.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(events[4].protocol, Protocol::Icmpv6);
    let nested = &events[5];
    assert_eq!(nested.src, Some(ip("192.0.2.10")));
    assert_eq!(nested.dst_port, Some(5353));
    assert_eq!(nested.protocol, Protocol::Udp);
    assert_eq!(events[6].protocol, Protocol::Other(47));
}

#[test]
fn sniffing() {
    let data = fixture("zeek-baseline-pop3-conn.log");
    let all = lines(&data);
    assert!(zeek::looks_like_tsv(all[1]));
    assert!(zeek::looks_like_tsv(all[7]));
    assert!(zeek::looks_like(all[1]));
    let json_data = fixture("fwseen-conn.json");
    let json_lines = lines(&json_data);
    assert!(zeek::looks_like_json(json_lines[0]));
    assert!(zeek::looks_like(json_lines[0]));
    assert!(!zeek::looks_like_tsv(json_lines[0]));
    assert!(!zeek::looks_like_json(all[1]));
    assert!(!zeek::looks_like(
        b"Sep 28 10:38:09 pfSense filterlog: 53,,,1,em0,match,block,in,4"
    ));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn tsv_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = tsv().parse(&bytes);
        }

        #[test]
        fn json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = json().parse(&bytes);
        }

        #[test]
        fn tsv_field_soup_never_panics(fields in proptest::collection::vec("[-0-9A-Za-z:.X]{0,10}", 0..24)) {
            let line = fields.join("\t");
            let _ = tsv().parse(line.as_bytes());
        }
    }
}
