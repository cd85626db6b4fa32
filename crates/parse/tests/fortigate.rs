//! Integration tests for the FortiGate parser: lines written for each variant
//! (tests/data/fortigate/fortigate-traffic.log) and crowdsec's SSL VPN sample (MIT), which holds
//! only event logs and must be skipped line by line.

use std::time::Duration;

use fwseen_event::{Action, Direction, Icmp, Protocol, Timestamp};
use fwseen_parse::fortigate::{self, FortiGateParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, lines, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("fortigate", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = FortiGateParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::FortiGate);
    common::parse_all(&mut parser, data)
}

#[test]
fn traffic_lines() {
    let data = fixture("fortigate-traffic.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 13);

    // eventtime (nanoseconds) wins over date/time; tz is kept as the original offset.
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.direction, Direction::Forward);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("10.40.0.21"), Some(50432)));
    assert_eq!((e.dst, e.dst_port), (some_ip("192.0.2.80"), Some(443)));
    assert_eq!(e.in_interface, Some(&b"internal"[..]));
    assert_eq!(e.out_interface, Some(&b"wan1"[..]));
    assert_eq!(e.rule, Some(&b"3"[..]));
    assert_eq!(e.observer, Some(&b"FGT-BRANCH"[..]));
    assert_eq!(
        e.time,
        Some(Timestamp {
            unix_micros: 1_705_312_801_123_456,
            original_offset_seconds: Some(3600),
        })
    );

    // date/time with tz="+0100": 11:00:02 local is 10:00:02 UTC; the policy name is the rule.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!(e.rule, Some(&b"implicit deny"[..]));
    let expected = Timestamp::from_utc_parts(2024, 1, 15, 10, 0, 2, 0).unwrap();
    assert_eq!(e.time.map(|t| t.unix_micros), Some(expected.unix_micros));
    assert_eq!(e.time.and_then(|t| t.original_offset_seconds), Some(3600));

    // Bare values, local traffic: no direction is claimed.
    let e = event(&records[2]);
    assert_eq!(e.direction, Direction::Unknown);
    assert_eq!(e.dst_port, Some(22));
    let expected = Timestamp::from_utc_parts(2024, 1, 15, 10, 0, 3, 0).unwrap();
    assert_eq!(e.time.map(|t| t.unix_micros), Some(expected.unix_micros));

    // ICMP type and code in hexadecimal; no ports.
    let e = event(&records[3]);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(e.src_port, None);

    // IPv6, close, a quoted policy name with a comma and a space.
    let e = event(&records[4]);
    assert_eq!(e.src, some_ip("2001:db8:40::23"));
    assert_eq!(e.action, Action::Other);
    assert_eq!(e.rule, Some(&b"LAN to WAN, web"[..]));

    // UTM (IPS) with both addresses.
    let e = event(&records[5]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.dst, some_ip("203.0.113.5"));

    // Event log, bad address, missing address, missing type, blank, other text.
    assert_eq!(records[6], Record::Skipped(SkipReason::NotPacket));
    assert!(matches!(&records[7], Record::Malformed(m) if m.column.is_some()));
    assert!(matches!(records[8], Record::Malformed(_)));
    assert!(matches!(records[9], Record::Malformed(_)));
    assert_eq!(records[10], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[11], Record::Skipped(SkipReason::OtherProgram));

    // FortiOS's own syslog framing: a priority stuck to `date=`.
    let e = event(&records[12]);
    assert_eq!(e.observer, Some(&b"FGT-HQ"[..]));
    let expected = Timestamp::from_utc_parts(2024, 1, 15, 10, 0, 11, 0).unwrap();
    assert_eq!(e.time.map(|t| t.unix_micros), Some(expected.unix_micros));
    assert_eq!(e.dst_port, Some(25));
}

#[test]
fn crowdsec_vpn_sample_is_all_skipped() {
    let data = fixture("crowdsec-fortinet-vpn-bf.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 9);
    assert!(records
        .iter()
        .all(|record| *record == Record::Skipped(SkipReason::NotPacket)));
    assert!(lines(&data).iter().all(|line| fortigate::looks_like(line)));
}

#[test]
fn sniffing_helper() {
    let data = fixture("fortigate-traffic.log");
    assert!(fortigate::looks_like(lines(&data)[0]));
    assert!(!fortigate::looks_like(
        b"Jan 1 00:00:00 host sshd[1]: type=x"
    ));
    assert!(!fortigate::looks_like(
        b"device=\"SFW\" date=2024-02-27 log_id=010101600001 log_type=\"Firewall\""
    ));
}

proptest::proptest! {
    /// A real line cut anywhere and followed by arbitrary bytes never panics the parser.
    #[test]
    fn cut_lines_with_random_tails_never_panic(
        line_index in 0usize..13,
        cut in 0usize..600,
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
    ) {
        let data = fixture("fortigate-traffic.log");
        let line = lines(&data)[line_index];
        common::parse_cut_line_with_tail(&mut FortiGateParser::new(TimeContext::utc(2024)), line, cut, &tail);
    }
}

/// Repeated fragments that could make a careless parser rescan the line.
const UNITS: [&[u8]; 3] = [b"a=\"\\", b"type=traffic ", b"<1>x= "];

#[test]
fn huge_repetitive_lines_are_read_in_linear_time() {
    common::assert_repetitive_lines_read_in_linear_time(&UNITS, Duration::from_secs(20), |line| {
        let _ = FortiGateParser::new(TimeContext::utc(2024)).parse(line);
    });
}
