//! Integration tests for the Juniper SRX parser, on lines written for the structured and text
//! forms of RT_FLOW_SESSION_CREATE / CLOSE / DENY (tests/data/juniper/srx-sessions.log).

use std::time::Duration;

use fwseen_event::{Action, Icmp, Protocol, Timestamp};
use fwseen_parse::juniper::{self, JuniperParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{event, lines, some_ip};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("juniper", name)
}

fn parse_all(data: &[u8]) -> Vec<Record<'_>> {
    let mut parser = JuniperParser::new(TimeContext::utc(2024));
    assert_eq!(parser.kind(), FormatKind::JuniperSrx);
    common::parse_all(&mut parser, data)
}

#[test]
fn session_lines() {
    let data = fixture("srx-sessions.log");
    let records = parse_all(&data);
    assert_eq!(records.len(), 14);

    // Structured DENY.
    let e = event(&records[0]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.40"), Some(51000)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.20"), Some(23)));
    assert_eq!(e.rule, Some(&b"deny-untrust"[..]));
    assert_eq!(e.in_interface, Some(&b"ge-0/0/0.0"[..]));
    assert_eq!(e.observer, Some(&b"srx-edge"[..]));
    let expected = Timestamp::from_utc_parts(2024, 1, 15, 10, 0, 1, 120_000).unwrap();
    assert_eq!(e.time.map(|t| t.unix_micros), Some(expected.unix_micros));

    // Structured CREATE: the original (not translated) addresses.
    let e = event(&records[1]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(
        (e.src, e.dst),
        (some_ip("10.60.0.5"), some_ip("192.0.2.10"))
    );
    assert_eq!(e.rule, Some(&b"allow-out"[..]));
    assert_eq!(e.time.and_then(|t| t.original_offset_seconds), Some(3600));

    // Text CLOSE with a two-word reason and a connection tag.
    let e = event(&records[2]);
    assert_eq!(e.action, Action::Other);
    assert_eq!(e.protocol, Protocol::Tcp);
    assert_eq!((e.src, e.src_port), (some_ip("10.60.0.5"), Some(40000)));
    assert_eq!(e.rule, Some(&b"allow-out"[..]));
    assert_eq!(e.observer, Some(&b"srx-edge"[..]));
    assert_eq!(e.in_interface, Some(&b"ge-0/0/1.0"[..]));

    // Text DENY of an ICMP echo: `1(8)`.
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
    assert_eq!(e.rule, Some(&b"deny-untrust"[..]));
    assert_eq!(e.in_interface, Some(&b"ge-0/0/0.0"[..]));

    // Text DENY, IPv6, the older layout without a connection tag.
    let e = event(&records[4]);
    assert_eq!(e.src, some_ip("2001:db8:70::1"));
    assert_eq!(e.dst_port, Some(22));
    assert_eq!(e.in_interface, None);

    // Text CREATE, UDP, the older layout.
    let e = event(&records[5]);
    assert_eq!(e.protocol, Protocol::Udp);
    assert_eq!(e.rule, Some(&b"allow-out"[..]));
    assert_eq!(e.in_interface, Some(&b"ge-0/0/1.0"[..]));

    assert_eq!(records[6], Record::Skipped(SkipReason::NotPacket));
    assert!(matches!(&records[7], Record::Malformed(m) if m.column.is_some()));
    assert!(matches!(records[8], Record::Malformed(_)));
    assert_eq!(records[9], Record::Skipped(SkipReason::Blank));
    assert_eq!(records[10], Record::Skipped(SkipReason::OtherProgram));

    // ScreenOS traffic logs: a deny, an allowed ICMP echo; other ScreenOS messages are skipped.
    let e = event(&records[11]);
    assert_eq!(e.action, Action::Drop);
    assert_eq!((e.src, e.src_port), (some_ip("198.51.100.60"), Some(50001)));
    assert_eq!((e.dst, e.dst_port), (some_ip("203.0.113.40"), Some(3389)));
    assert_eq!(e.rule, Some(&b"320001"[..]));
    assert_eq!(e.observer, Some(&b"ssg-branch"[..]));
    let e = event(&records[12]);
    assert_eq!(e.action, Action::Allow);
    assert_eq!(e.protocol, Protocol::Icmp);
    assert_eq!(
        e.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(records[13], Record::Skipped(SkipReason::NotPacket));
}

#[test]
fn sniffing_helper() {
    let data = fixture("srx-sessions.log");
    assert!(lines(&data)[..9]
        .iter()
        .all(|line| juniper::looks_like(line)));
    assert!(!juniper::looks_like(
        b"Jan 15 10:00:10 srx-edge sshd[99]: hi"
    ));
}

proptest::proptest! {
    /// A real line cut anywhere and followed by arbitrary bytes never panics the parser.
    #[test]
    fn cut_lines_with_random_tails_never_panic(
        line_index in 0usize..14,
        cut in 0usize..700,
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
    ) {
        let data = fixture("srx-sessions.log");
        let line = lines(&data)[line_index];
        common::parse_cut_line_with_tail(&mut JuniperParser::new(TimeContext::utc(2024)), line, cut, &tail);
    }
}

/// Repeated fragments that could make a careless parser rescan the line.
const UNITS: [&[u8]; 3] = [
    b"RT_FLOW_SESSION_DENY ",
    b"2024-01-15T10:00:01Z ",
    b"a/1->b/2 1(2) ",
];

#[test]
fn huge_repetitive_lines_are_read_in_linear_time() {
    common::assert_repetitive_lines_read_in_linear_time(&UNITS, Duration::from_secs(20), |line| {
        let _ = JuniperParser::new(TimeContext::utc(2024)).parse(line);
    });
}
