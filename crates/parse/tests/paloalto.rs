//! Integration tests for the PAN-OS parser: lines written for each variant
//! (tests/data/paloalto/paloalto-traffic.log) and crowdsec's THREAT sample (MIT).

use std::time::Duration;

use fwseen_event::{Action, Protocol, Timestamp};
use fwseen_parse::paloalto::{self, PaloAltoParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, lines, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("paloalto", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = PaloAltoParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::PaloAlto);
    common::parse_all(&mut parser, data)
}

#[test]
fn traffic_and_threat_lines() {
    let data = fixture("paloalto-traffic.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 11);

    // TRAFFIC end, allowed; the generated time is read in the configured zone (UTC here).
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("10.50.0.10"), Some(52311)));
    assert_eq!((e.dst, e.dst_port), (some_ip("192.0.2.44"), Some(443)));
    assert_eq!(e.rule, Some(&b"allow-web"[..]));
    assert_eq!(e.in_interface, Some(&b"ethernet1/2"[..]));
    assert_eq!(e.out_interface, Some(&b"ethernet1/1"[..]));
    assert_eq!(e.observer, Some(&b"PA-EDGE"[..]));
    let expected = Timestamp::from_utc_parts(2024, 1, 15, 10, 0, 1, 0).unwrap();
    assert_eq!(e.time.map(|t| t.unix_micros), Some(expected.unix_micros));

    // TRAFFIC deny, the rule name quoted with a comma inside.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.rule, Some(&b"deny-all, logged"[..]));
    assert_eq!(e.dst_port, Some(3389));
    assert_eq!(e.out_interface, None);

    // RFC 5424 header, ICMP drop, high-resolution time with its offset.
    let e = event(&records[2]);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.src_port, None);
    let expected = Timestamp::from_utc_parts(2024, 1, 15, 9, 0, 3, 250_000).unwrap();
    assert_eq!(e.time.map(|t| t.unix_micros), Some(expected.unix_micros));
    assert_eq!(e.time.and_then(|t| t.original_offset_seconds), Some(3600));

    // No syslog header; IPv6; reset-both → reject; the serial is the observer.
    let e = event(&records[3]);
    assert_eq!(e.src, some_ip("2001:db8:50::10"));
    assert_eq!(e.action, Action::Reject);
    assert_eq!(e.observer, Some(&b"012801000001"[..]));

    // THREAT with a quoted URL holding a comma.
    let e = event(&records[4]);
    assert_eq!(e.action, Action::Reject);
    assert_eq!(e.dst, some_ip("203.0.113.8"));
    assert_eq!(e.dst_port, Some(80));

    assert_eq!(records[5], Record::Skipped(SkipReason::NotPacket));
    assert_eq!(records[6], Record::Skipped(SkipReason::NotPacket));
    assert!(matches!(records[7], Record::Malformed(_)));
    assert!(matches!(&records[8], Record::Malformed(m) if m.column.is_some()));
    assert_eq!(records[9], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[10], Record::Skipped(SkipReason::OtherProgram));
}

#[test]
fn crowdsec_threat_sample() {
    let data = fixture("crowdsec-palo-alto-threat.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 2);
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Reject);
    assert_eq!((e.src, e.dst), (some_ip("1.2.3.2"), some_ip("1.2.3.3")));
    assert_eq!((e.src_port, e.dst_port), (Some(47094), Some(22)));
    assert_eq!(e.rule, Some(&b"TestruleName0"[..]));
    // 2023-07-06T08:11:40.288+02:00 from the high-resolution field.
    assert_eq!(e.time.map(|t| t.unix_micros), Some(1_688_623_900_288_000));
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.rule, Some(&b"Test Rule Name"[..]));
    assert!(lines(&data).iter().all(|line| paloalto::looks_like(line)));
}

#[test]
fn sniffing_helper() {
    assert!(!paloalto::looks_like(b"Jan 1 00:00:00 host a,b,c,d"));
    assert!(paloalto::looks_like(
        b"1,2024/01/15 10:00:06,012801000001,SYSTEM,general"
    ));
}

proptest::proptest! {
    /// A real line cut anywhere and followed by arbitrary bytes never panics the parser.
    #[test]
    fn cut_lines_with_random_tails_never_panic(
        line_index in 0usize..11,
        cut in 0usize..600,
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
    ) {
        let data = fixture("paloalto-traffic.log");
        let line = lines(&data)[line_index];
        common::parse_cut_line_with_tail(&mut PaloAltoParser::new(TimeContext::utc(2024)), line, cut, &tail);
    }
}

/// Repeated fragments that could make a careless parser rescan the line.
const UNITS: [&[u8]; 3] = [b"1,2024/01/15 10:00:01,1,TRAFFIC,", b"\"\"", b" ,"];

#[test]
fn huge_repetitive_lines_are_read_in_linear_time() {
    common::assert_repetitive_lines_read_in_linear_time(&UNITS, Duration::from_secs(20), |line| {
        let _ = PaloAltoParser::new(TimeContext::utc(2024)).parse(line);
    });
}
