//! Integration tests for the Windows Defender Firewall `pfirewall.log` parser.

use std::net::IpAddr;

use fwseen_event::{Action, Direction, Icmp, Protocol, TcpFlags};
use fwseen_parse::windows::{self, WindowsFirewallParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{ip, lines, Outcome};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("windows", name)
}

/// Feeds every line to one parser and returns the records as (events, skips, malformed).
fn run(data: &[u8]) -> Outcome<'_> {
    common::run(&mut parser(), data)
}

fn parser() -> WindowsFirewallParser {
    WindowsFirewallParser::new(TimeContext::utc(2026))
}

#[test]
fn kind() {
    assert_eq!(parser().kind(), FormatKind::WindowsFirewall);
}

#[test]
fn betahydri_excerpt_is_fully_read() {
    let data = fixture("betahydri-pfirewall-excerpt.log");
    let (events, skips, malformed) = run(&data);
    assert_eq!(malformed, Vec::new());
    // Four header lines, one blank line and one INFO-EVENTS-LOST line.
    assert_eq!(skips.len(), 6);
    assert_eq!(
        skips.iter().filter(|s| **s == SkipReason::Header).count(),
        4
    );
    assert_eq!(skips.iter().filter(|s| **s == SkipReason::Blank).count(), 1);
    assert_eq!(
        skips
            .iter()
            .filter(|s| **s == SkipReason::NotPacket)
            .count(),
        1
    );
    assert_eq!(events.len(), 447 - 6);
    let first = &events[0];
    assert_eq!(
        first.time.unwrap().to_string(),
        "2021-06-22T12:19:41.000000Z"
    );
    assert_eq!(first.action, Action::Drop);
    assert_eq!(first.protocol, Protocol::Udp);
    assert_eq!(first.src, Some(ip("192.168.178.25")));
    assert_eq!(first.dst, Some(ip("224.0.0.251")));
    assert_eq!(first.src_port, Some(5353));
    assert_eq!(first.dst_port, Some(5353));
    assert_eq!(first.length, Some(73));
    assert_eq!(first.direction, Direction::Inbound);
    let ipv6 = &events[2];
    assert_eq!(ipv6.src, Some(ip("fe80::f58b:f19a:db72:872b")));
    // Windows writes ICMP for ICMPv6 too; IPv6 addresses make it ICMPv6.
    assert!(events
        .iter()
        .filter(|e| e.protocol == Protocol::Icmpv6)
        .all(|e| e.src.unwrap().is_ipv6() && e.icmp.is_some()));
    assert!(events.iter().any(|e| e.protocol == Protocol::Icmpv6));
    assert!(events.iter().any(|e| e.protocol == Protocol::Igmp));
    // Allowed TCP connections carry zeros for sequence and window: not measured.
    let allowed_tcp = events
        .iter()
        .find(|e| e.protocol == Protocol::Tcp && e.action == Action::Allow)
        .unwrap();
    assert_eq!(allowed_tcp.direction, Direction::Outbound);
    assert_eq!(allowed_tcp.tcp_seq, None);
    assert_eq!(allowed_tcp.tcp_window, None);
    assert_eq!(allowed_tcp.length, None);
}

#[test]
fn pid_column_and_crlf() {
    let data = fixture("fwseen-pfirewall-pid.log");
    let (events, skips, malformed) = run(&data);
    assert_eq!(events.len(), 7);
    assert_eq!(
        skips,
        vec![
            SkipReason::Header,
            SkipReason::Header,
            SkipReason::Header,
            SkipReason::Header,
            SkipReason::Blank,
            SkipReason::NotPacket
        ]
    );
    assert_eq!(
        malformed,
        vec![
            (14, "destination port is invalid"),
            (15, "source address is invalid"),
            (16, "time is invalid"),
            (17, "line lacks an address"),
        ]
    );
    let syn = &events[0];
    assert_eq!(syn.action, Action::Drop);
    assert_eq!(syn.direction, Direction::Inbound);
    assert!(syn.is_plain_syn());
    assert_eq!(syn.tcp_seq, Some(1_894_211));
    assert_eq!(syn.tcp_window, Some(64240));
    assert_eq!(syn.length, Some(52));
    assert_eq!(syn.dst_port, Some(3389));
    let ping = &events[3];
    assert_eq!(ping.protocol, Protocol::Icmp);
    assert_eq!(
        ping.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(ping.src_port, None);
    let router_advert = &events[4];
    assert_eq!(router_advert.protocol, Protocol::Icmpv6);
    assert_eq!(
        router_advert.icmp,
        Some(Icmp {
            icmp_type: 134,
            code: 0
        })
    );
    assert_eq!(events[5].protocol, Protocol::Igmp);
    assert_eq!(events[6].direction, Direction::Forward);
}

#[test]
fn fields_header_drives_the_columns() {
    let mut parser = parser();
    assert_eq!(
        parser.parse(b"#Fields: time date path action protocol dst-ip src-ip dst-port src-port size tcpflags\r"),
        Record::Skipped(SkipReason::Header)
    );
    let record =
        parser.parse(b"08:00:01 2026-01-02 SEND ALLOW TCP 198.51.100.1 192.0.2.1 443 50000 60 SA");
    let Record::Event(event) = record else {
        panic!("{record:?}")
    };
    assert_eq!(
        event.time.unwrap().to_string(),
        "2026-01-02T08:00:01.000000Z"
    );
    assert_eq!(event.direction, Direction::Outbound);
    assert_eq!(event.src, Some(ip("192.0.2.1")));
    assert_eq!(event.dst, Some(ip("198.51.100.1")));
    assert_eq!(event.src_port, Some(50000));
    assert_eq!(event.dst_port, Some(443));
    assert_eq!(event.tcp_flags, Some(TcpFlags::SYN | TcpFlags::ACK));
}

#[test]
fn local_times_follow_the_zone_and_utc_header() {
    let settings = fwseen_parse::time::TimeSettings {
        year: None,
        file_modified: None,
        zone: Some("+02:00".into()),
    };
    let mut parser = WindowsFirewallParser::new(TimeContext::new(&settings).unwrap());
    let line = b"2026-03-04 10:11:12 DROP UDP 192.0.2.1 192.0.2.2 1 2 30 - - - - - - - RECEIVE";
    let Record::Event(event) = parser.parse(line) else {
        panic!()
    };
    assert_eq!(
        event.time.unwrap().to_string(),
        "2026-03-04T08:11:12.000000Z"
    );
    parser.parse(b"#Time Format: UTC");
    let Record::Event(event) = parser.parse(line) else {
        panic!()
    };
    assert_eq!(
        event.time.unwrap().to_string(),
        "2026-03-04T10:11:12.000000Z"
    );
}

#[test]
fn malformed_lines() {
    let mut parser = parser();
    for (line, reason) in [
        (
            &b"2026-03-04 10:11:12 MAYBE UDP 192.0.2.1 192.0.2.2 1 2 30 - - - - - - - RECEIVE"[..],
            "unknown action",
        ),
        (
            b"2026-13-04 10:11:12 DROP UDP 192.0.2.1 192.0.2.2 1 2 30 - - - - - - - RECEIVE",
            "date or time is out of range",
        ),
        (
            b"2026-03-04 10:11:12 DROP QUIC 192.0.2.1 192.0.2.2 1 2 30 - - - - - - - RECEIVE",
            "protocol is unknown",
        ),
        (
            b"2026-03-04 10:11:12 DROP TCP 192.0.2.1 192.0.2.2 1 2 30 SX - - - - - - RECEIVE",
            "TCP flags are invalid",
        ),
        (b"2026-03-04", "line has no action"),
    ] {
        match parser.parse(line) {
            Record::Malformed(m) => assert_eq!(m.reason, reason),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn sniffing() {
    let data = fixture("betahydri-pfirewall-excerpt.log");
    let all = lines(&data);
    assert!(windows::looks_like(all[1]));
    assert!(windows::looks_like(all[3]));
    assert!(windows::looks_like(all[5]));
    assert!(!windows::looks_like(
        b"Sep 28 10:38:09 pfSense filterlog: 53,,,1000000301,em0,match,block,in,4"
    ));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn address() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(IpAddr::from),
            any::<[u16; 8]>().prop_map(IpAddr::from),
        ]
    }

    proptest! {
        /// Rendering an event as a pfirewall.log line and reading it back gives the same event.
        #[test]
        fn round_trip(
            (year, month, day) in (1971i32..2100, 1u32..13, 1u32..29),
            (hour, minute, second) in (0u32..24, 0u32..60, 0u32..60),
            drop in any::<bool>(),
            path in 0usize..3,
            (src, dst) in (address(), address()),
            src_port in any::<u16>(),
            dst_port in any::<u16>(),
            size in 1u32..65_536,
            syn_only in any::<bool>(),
            sequence in 1u32..,
            window in any::<u16>(),
        ) {
            let action = if drop { "DROP" } else { "ALLOW" };
            let (path_word, direction) =
                [("RECEIVE", Direction::Inbound), ("SEND", Direction::Outbound), ("FORWARD", Direction::Forward)][path];
            let flags = if syn_only { "S" } else { "AP" };
            let line = format!(
                "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02} {action} TCP {src} {dst} {src_port} {dst_port} {size} {flags} {sequence} 0 {window} - - - {path_word} 1234"
            );
            let mut parser = parser();
            parser.parse(b"#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid");
            let event = match parser.parse(line.as_bytes()) {
                Record::Event(event) => event,
                other => panic!("{line}: {other:?}"),
            };
            let expected_time =
                fwseen_event::Timestamp::from_utc_parts(year, month, day, hour, minute, second, 0);
            prop_assert_eq!(event.time, expected_time);
            prop_assert_eq!(event.action, if drop { Action::Drop } else { Action::Allow });
            prop_assert_eq!(event.direction, direction);
            prop_assert_eq!(event.protocol, Protocol::Tcp);
            prop_assert_eq!(event.src, Some(src));
            prop_assert_eq!(event.dst, Some(dst));
            prop_assert_eq!(event.src_port, Some(src_port));
            prop_assert_eq!(event.dst_port, Some(dst_port));
            prop_assert_eq!(event.length, Some(size));
            let expected_flags = if syn_only { TcpFlags::SYN } else { TcpFlags::ACK | TcpFlags::PSH };
            prop_assert_eq!(event.tcp_flags, Some(expected_flags));
            prop_assert_eq!(event.tcp_seq, Some(sequence));
            prop_assert_eq!(event.tcp_window, Some(u32::from(window)));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parser().parse(&bytes);
        }

        #[test]
        fn field_soup_never_panics(fields in proptest::collection::vec("[-0-9A-Za-z:.#]{0,8}", 0..24)) {
            let line = fields.join(" ");
            let _ = parser().parse(line.as_bytes());
        }
    }
}
