//! Integration tests for the Huawei USG parser, on lines written for the policy, session and
//! content-security forms (tests/data/huawei/huawei-usg.log).

use fwseen_event::{Action, Protocol};
use fwseen_parse::huawei::{self, HuaweiParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, malformed_reason, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("huawei", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = HuaweiParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::HuaweiUsg);
    common::parse_all(&mut parser, data)
}

#[test]
fn records() {
    let data = fixture("huawei-usg.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 11);

    // POLICYDENY behind a BSD header with a year.
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.7"), Some(50000)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.9"), Some(3389)));
    assert_eq!(e.rule, Some(&b"default"[..]));
    assert_eq!(e.observer, Some(&b"USG-EDGE"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:01.000000Z");

    // POLICYPERMIT behind a `YYYY/MM/DD` header; the final `.` is not part of the rule name.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!(e.dst_port, Some(53));
    assert_eq!(e.rule, Some(&b"dns out"[..]));
    assert_eq!(e.observer, Some(&b"USG-EDGE"[..]));
    assert_eq!(e.time.unwrap().to_string(), "2024-01-15T10:00:02.000000Z");

    // Session teardown over IPv6, CamelCase keys.
    let e = event(&records[2]);
    assert_eq!(e.action, Action::Other);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("2001:db8:1::5"), Some(40001)));
    assert_eq!((e.dst, e.dst_port), (some_ip("2001:db8:2::9"), Some(443)));
    assert_eq!(e.rule, Some(&b"web out"[..]));

    // Content security: a sentence, then pairs in parentheses; a quoted value holds a comma.
    let e = event(&records[3]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.8"), Some(4444)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.10"), Some(445)));
    assert_eq!(e.rule, Some(&b"ips-in"[..]));

    // ICMP: no ports.
    let e = event(&records[4]);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!((e.src_port, e.dst_port), (None, None));

    // A command record is not a packet.
    assert_eq!(records[5], Record::Skipped(SkipReason::NotPacket));

    assert_eq!(
        malformed_reason(&records[6]),
        "source address is not an IP address"
    );
    assert_eq!(
        malformed_reason(&records[7]),
        "source port is not a port number"
    );
    assert_eq!(
        malformed_reason(&records[8]),
        "source address without destination"
    );
    assert_eq!(records[9], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[10], Record::Skipped(SkipReason::OtherProgram));
}

#[test]
fn looks_like_and_sniff() {
    let data = fixture("huawei-usg.log");
    assert_eq!(fwseen_parse::sniff(&data), Some(FormatKind::HuaweiUsg));
    assert!(huawei::looks_like(
        b"USG %%01POLICY/6/POLICYDENY(l):vsys=public"
    ));
    assert!(!huawei::looks_like(
        b"Jun 16 2016 11:32:14: %ASA-4-106023: Deny tcp src outside:192.0.2.1/5555"
    ));
    assert!(!huawei::looks_like(b"100%% done"));
}

#[test]
fn every_prefix_of_every_line_is_accounted() {
    common::parse_every_prefix(
        &mut HuaweiParser::new(TimeContext::utc(2024)),
        &fixture("huawei-usg.log"),
    );
}
