//! Integration tests for the MikroTik RouterOS parser: crowdsec's samples (MIT) and lines written
//! for each variant (tests/data/mikrotik/mikrotik-firewall.log).

use std::time::Duration;

use fwseen_event::{Action, Direction, Icmp, Protocol, TcpFlags};
use fwseen_parse::mikrotik::{self, MikroTikParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, lines, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("mikrotik", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = MikroTikParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::MikroTik);
    common::parse_all(&mut parser, data)
}

#[test]
fn written_variants() {
    let data = fixture("mikrotik-firewall.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 12);

    let e = event(&records[0]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.direction, Direction::Inbound);
    assert_eq!(e.rule, Some(&b"DROP-WAN input"[..]));
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!(e.tcp_flags, Some(TcpFlags::SYN));
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.50"), Some(51234)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.30"), Some(8291)));
    assert_eq!(e.in_interface, Some(&b"ether1"[..]));
    assert_eq!(e.out_interface, None);
    assert_eq!(e.length, Some(60));
    assert_eq!(e.observer, Some(&b"gw-mt"[..]));
    assert!(e.time.is_some());

    // ICMP without ports, no prefix.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Other);
    assert_eq!(e.rule, Some(&b"input"[..]));
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!((e.src_port, e.dst_port), (None, None));

    // Forward with flags and a NAT part: the packet's own addresses are kept.
    let e = event(&records[2]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.direction, Direction::Forward);
    assert_eq!(e.tcp_flags, Some(TcpFlags::ACK | TcpFlags::PSH));
    assert_eq!(
        (e.src, e.dst),
        (some_ip("192.168.88.10"), some_ip("192.0.2.80"))
    );
    assert_eq!(e.out_interface, Some(&b"ether1"[..]));

    // IPv6 ICMP without brackets, named ICMP: the addresses make it ICMPv6.
    let e = event(&records[3]);
    assert_eq!(e.action, Action::Reject);
    assert_eq!(e.protocol, Protocol::Icmpv6);
    assert_eq!(e.src, some_ip("2001:db8:90::1"));
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 128,
            code: 0
        })
    );

    // Output chain, no source MAC.
    let e = event(&records[4]);
    assert_eq!(e.direction, Direction::Outbound);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!(e.in_interface, None);
    assert_eq!(e.dst_port, Some(123));

    // Numeric protocol (GRE), a chain that gives no direction.
    let e = event(&records[5]);
    assert_eq!(e.protocol, Protocol::Other(47));
    assert_eq!(e.direction, Direction::Unknown);

    assert_eq!(records[6], Record::Skipped(SkipReason::NotPacket));
    assert!(matches!(&records[7], Record::Malformed(m) if m.column.is_some()));
    assert!(matches!(records[8], Record::Malformed(_)));
    assert_eq!(records[9], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[10], Record::Skipped(SkipReason::OtherProgram));

    // `/log print` output: a bare time before the topics.
    let e = event(&records[11]);
    assert_eq!(e.rule, Some(&b"drop-scan input"[..]));
    assert_eq!(e.action, Action::Drop);
    assert_eq!(
        e.tcp_flags,
        Some(TcpFlags::FIN | TcpFlags::PSH | TcpFlags::URG)
    );
}

#[test]
fn crowdsec_samples() {
    let data = fixture("crowdsec-mikrotik-logs.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 7);
    assert_eq!(records[2], Record::Skipped(SkipReason::NotPacket));
    let e = event(&records[3]);
    assert_eq!(e.src, some_ip("2001:db8:1234::1"));
    assert_eq!((e.src_port, e.dst_port), (Some(40384), Some(20461)));
    assert_eq!(e.time.and_then(|t| t.original_offset_seconds), Some(7200));
    // No source MAC: the protocol shares a part with the connection state.
    let e = event(&records[5]);
    assert_eq!(e.tcp_flags, Some(TcpFlags::SYN));
    assert_eq!(e.dst_port, Some(36228));

    let data = fixture("crowdsec-mikrotik-scan-multi_ports.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 19);
    for record in &records {
        let e = event(record);
        assert_eq!(e.action, Action::Drop);
        assert_eq!(e.src, some_ip("36.97.161.219"));
    }
    assert!(lines(&data).iter().all(|line| mikrotik::looks_like(line)));
}

#[test]
fn sniffing_helper() {
    assert!(!mikrotik::looks_like(
        b"Jan 1 00:00:00 host kernel: IN=eth0 OUT= SRC=1.2.3.4"
    ));
}

proptest::proptest! {
    /// A real line cut anywhere and followed by arbitrary bytes never panics the parser.
    #[test]
    fn cut_lines_with_random_tails_never_panic(
        line_index in 0usize..12,
        cut in 0usize..300,
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
    ) {
        let data = fixture("mikrotik-firewall.log");
        let line = lines(&data)[line_index];
        common::parse_cut_line_with_tail(&mut MikroTikParser::new(TimeContext::utc(2024)), line, cut, &tail);
    }
}

/// Repeated fragments that could make a careless parser rescan the line.
const UNITS: [&[u8]; 3] = [b" in:", b"firewall,info ", b", (proto TCP ("];

#[test]
fn huge_repetitive_lines_are_read_in_linear_time() {
    common::assert_repetitive_lines_read_in_linear_time(&UNITS, Duration::from_secs(20), |line| {
        let _ = MikroTikParser::new(TimeContext::utc(2024)).parse(line);
    });
}
