//! Integration tests for the Cisco ASA / PIX / FTD parser, on lines written for every message id
//! it reads (tests/data/asa/asa-packets.log) and on lines it must skip or reject
//! (tests/data/asa/asa-other.log).

use std::time::Duration;

use fwseen_event::{Action, Direction, EmbeddedPacket, Event, Icmp, Protocol, TcpFlags, Timestamp};
use fwseen_parse::asa::{self, AsaParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{lines, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("asa", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = AsaParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::CiscoAsa);
    common::parse_all(&mut parser, data)
}

fn events(records: Vec<Record<'_>>) -> Vec<Event<'_>> {
    records
        .into_iter()
        .map(|record| match record {
            Record::Event(event) => event,
            other => panic!("expected an event, got {other:?}"),
        })
        .collect()
}

#[test]
fn every_packet_message_becomes_an_event() {
    let data = fixture("asa-packets.log");
    let events = events(parse_all(&data));
    assert_eq!(events.len(), 31);

    // 106001: inbound TCP denied, flags, interface; the syslog header gives time and host.
    let e = &events[0];
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.direction, Direction::Inbound);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.20"), Some(41234)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.10"), Some(3389)));
    assert_eq!(e.tcp_flags, Some(TcpFlags::SYN));
    assert_eq!(e.in_interface, Some(&b"outside"[..]));
    assert_eq!(e.observer, Some(&b"fw-edge"[..]));
    let expected = Timestamp::from_utc_parts(2024, 1, 15, 10, 0, 1, 0).unwrap();
    assert_eq!(e.time.map(|t| t.unix_micros), Some(expected.unix_micros));

    // 106002: outbound list, ports as separate words.
    let e = &events[1];
    assert_eq!((e.action, e.direction), (Action::Drop, Direction::Outbound));
    assert_eq!(e.rule, Some(&b"block_out"[..]));
    assert_eq!((e.src, e.src_port), (some_ip("10.20.0.15"), Some(51515)));
    assert_eq!((e.dst, e.dst_port), (some_ip("192.0.2.99"), Some(6667)));

    // 106006 and 106007.
    assert_eq!(events[2].protocol, Protocol::Udp);
    assert_eq!(events[2].dst_port, Some(5060));
    assert_eq!(events[3].direction, Direction::Inbound);
    assert_eq!(events[3].src_port, Some(53));

    // 106010 with a named protocol and with `protocol 50`.
    assert_eq!(events[4].out_interface, Some(&b"dmz"[..]));
    assert_eq!(events[4].dst_port, Some(445));
    assert_eq!(events[5].protocol, Protocol::Other(50));
    assert_eq!(events[5].src_port, None);

    // 106014: ICMP type and code.
    assert_eq!(events[6].protocol, Protocol::Icmp);
    assert_eq!(
        events[6].icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );

    // 106015: several flags.
    assert_eq!(events[7].tcp_flags, Some(TcpFlags::FIN | TcpFlags::ACK));
    assert_eq!(events[7].in_interface, Some(&b"inside"[..]));

    // 106021: reverse path check.
    assert_eq!(events[8].protocol, Protocol::Udp);
    assert_eq!(events[8].src, some_ip("10.99.0.1"));

    // 106023: access-group as rule; ICMP form; IPv6 endpoints.
    assert_eq!(events[9].rule, Some(&b"outside_access_in"[..]));
    assert_eq!(events[9].in_interface, Some(&b"outside"[..]));
    assert_eq!(events[9].out_interface, Some(&b"inside"[..]));
    assert_eq!(
        events[10].icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(events[11].src, some_ip("2001:db8:100::5"));
    assert_eq!(events[11].dst_port, Some(443));

    // 106100: denied and permitted; ICMP "ports" are type and code.
    assert_eq!(events[12].action, Action::Drop);
    assert_eq!(events[12].rule, Some(&b"outside_access_in"[..]));
    assert_eq!(
        (events[12].src_port, events[12].dst_port),
        (Some(40404), Some(3306))
    );
    assert_eq!(events[13].action, Action::Allow);
    assert_eq!(
        events[13].icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(events[13].src_port, None);

    // 313001.
    assert_eq!(
        events[14].icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(events[14].src, some_ip("198.51.100.30"));
    assert_eq!(events[14].dst, None);

    // 710003: the service name is turned into a port; the interface is where it arrived.
    assert_eq!(events[15].dst_port, Some(22));
    assert_eq!(events[15].in_interface, Some(&b"outside"[..]));

    // 302013 inbound: the first endpoint opened the connection.
    let e = &events[16];
    assert_eq!((e.action, e.direction), (Action::Allow, Direction::Inbound));
    assert_eq!(
        (e.src, e.dst),
        (some_ip("198.51.100.32"), some_ip("10.30.0.5"))
    );
    assert_eq!(
        (e.in_interface, e.out_interface),
        (Some(&b"outside"[..]), Some(&b"dmz"[..]))
    );
    // 302014 teardown.
    assert_eq!(events[17].action, Action::Other);
    assert_eq!(events[17].dst_port, Some(443));
    // 302015 outbound: the second endpoint opened the connection.
    let e = &events[18];
    assert_eq!((e.src, e.src_port), (some_ip("10.20.0.12"), Some(60000)));
    assert_eq!((e.dst, e.dst_port), (some_ip("192.0.2.53"), Some(53)));
    assert_eq!(events[19].protocol, Protocol::Udp);
    // 302020 / 302021 ICMP connections.
    let e = &events[20];
    assert_eq!((e.action, e.protocol), (Action::Allow, Protocol::Icmp));
    assert_eq!(
        (e.src, e.dst),
        (some_ip("10.20.0.13"), some_ip("192.0.2.1"))
    );
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(events[21].action, Action::Other);

    // PIX with the device's own time stamp; FTD with a stamp and a host name.
    let expected = Timestamp::from_utc_parts(2024, 1, 15, 10, 0, 23, 0).unwrap();
    assert_eq!(
        events[22].time.map(|t| t.unix_micros),
        Some(expected.unix_micros)
    );
    assert_eq!(events[22].rule, Some(&b"acl_out"[..]));
    assert_eq!(events[23].observer, Some(&b"ftd-1"[..]));
    assert_eq!(events[23].dst_port, Some(23));

    // 313005: the ICMP error and the packet it quotes.
    let e = &events[24];
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 3,
            code: 3
        })
    );
    assert_eq!(
        (e.src, e.dst),
        (some_ip("192.0.2.200"), some_ip("10.20.0.16"))
    );
    assert_eq!(
        e.embedded,
        Some(EmbeddedPacket {
            src: some_ip("10.20.0.16"),
            dst: some_ip("192.0.2.200"),
            protocol: Protocol::Udp,
            src_port: Some(40123),
            dst_port: Some(33434),
        })
    );
    // 209005, 401004: `key = value` and `A = B` layouts.
    assert_eq!(
        (events[25].src, events[25].dst),
        (some_ip("198.51.100.35"), some_ip("203.0.113.15"))
    );
    assert_eq!(events[25].protocol, Protocol::Udp);
    assert_eq!(
        (events[26].src, events[26].dst),
        (some_ip("198.51.100.36"), some_ip("203.0.113.16"))
    );
    assert_eq!(events[26].in_interface, Some(&b"outside"[..]));
    // 338008: mapped addresses in parentheses are passed over.
    assert_eq!(
        (events[27].action, events[27].protocol),
        (Action::Drop, Protocol::Tcp)
    );
    assert_eq!(
        (events[27].dst, events[27].dst_port),
        (some_ip("192.0.2.66"), Some(443))
    );
    // 302023 stub teardown; 500004 with `protocol=UDP,`.
    assert_eq!(
        (events[28].action, events[28].src_port),
        (Action::Other, Some(51001))
    );
    assert_eq!(events[29].protocol, Protocol::Udp);
    assert_eq!(events[29].dst_port, Some(0));
    // A bare priority before the tag is no device name.
    assert_eq!(events[30].observer, None);
    assert_eq!(events[30].dst_port, Some(25));
}

#[test]
fn other_lines_are_skipped_or_malformed() {
    let data = fixture("asa-other.log");
    let records = parse_all(&data);
    assert_eq!(records[0], Record::Skipped(SkipReason::NotPacket));
    assert_eq!(records[1], Record::Skipped(SkipReason::NotPacket));
    assert_eq!(records[2], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[3], Record::Skipped(SkipReason::OtherProgram));
    for record in &records[4..] {
        match record {
            Record::Malformed(malformed) => assert!(malformed.column.is_some()),
            other => panic!("expected malformed, got {other:?}"),
        }
    }
    assert_eq!(records.len(), 7);
}

#[test]
fn sniffing_helper_recognises_tags() {
    let data = fixture("asa-packets.log");
    assert!(lines(&data).iter().all(|line| asa::looks_like(line)));
    assert!(!asa::looks_like(
        b"Jan 15 10:01:02 fw-edge sshd[311]: hello"
    ));
}

proptest::proptest! {
    /// A real line cut anywhere and followed by arbitrary bytes never panics the parser.
    #[test]
    fn cut_lines_with_random_tails_never_panic(
        line_index in 0usize..31,
        cut in 0usize..200,
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
    ) {
        let data = fixture("asa-packets.log");
        let line = lines(&data)[line_index];
        common::parse_cut_line_with_tail(&mut AsaParser::new(TimeContext::utc(2024)), line, cut, &tail);
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut parser = AsaParser::new(TimeContext::utc(2024));
    let seeds: [&[u8]; 8] = [
        b"%ASA-",
        b"%ASA-4-106023:",
        b"%ASA-4-106023: Deny",
        b"%ASA-6-106100: access-list",
        b"%ASA-6-302020: Built inbound ICMP connection for faddr",
        b"%ASA-3-106014: Deny inbound icmp src a:1.2.3.4 dst b:1.2.3.5 (type",
        b"\xff\xfe%PIX-2-106001: Inbound TCP connection denied from \xff/1 to ::/2 flags",
        b"Jan 99 2024 99:99:99: %FTD-4-106023: Deny tcp src a:1.2.3.4/99999 dst b:5.6.7.8/1",
    ];
    for seed in seeds {
        for end in 0..=seed.len() {
            let _ = parser.parse(&seed[..end]);
        }
    }
}

/// Repeated fragments that could make a careless parser rescan the line.
const UNITS: [&[u8]; 3] = [
    b"%ASA-4-106023: ",
    b"Jan 15 2024 ",
    b" from to src dst (type ",
];

#[test]
fn huge_repetitive_lines_are_read_in_linear_time() {
    common::assert_repetitive_lines_read_in_linear_time(&UNITS, Duration::from_secs(20), |line| {
        let _ = AsaParser::new(TimeContext::utc(2024)).parse(line);
    });
}
