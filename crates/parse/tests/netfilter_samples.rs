//! Netfilter parsing of real logs from other projects (see tests/data/SOURCES.md): every line is
//! accounted for, and the fields of chosen lines are checked.

use std::net::IpAddr;

use fwseen_event::{Action, Direction, Event, Protocol, TcpFlags};
use fwseen_parse::netfilter::NetfilterParser;
use fwseen_parse::{Format, Record, SkipReason, TimeContext};

fn read_sample(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/data/netfilter/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Splits a file into lines the way the reader does (a final line end does not start a line).
fn lines(data: &[u8]) -> Vec<&[u8]> {
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    data.split(|&b| b == b'\n').collect()
}

/// Parses every line; returns the records as owned debug strings plus the events.
fn parse_all(data: &[u8], year: i32) -> Vec<Record<'_>> {
    let mut parser = NetfilterParser::new(TimeContext::utc(year));
    lines(data)
        .into_iter()
        .map(|line| parser.parse(line))
        .collect()
}

fn events_of<'a>(records: &'a [Record<'a>]) -> Vec<&'a Event<'a>> {
    records
        .iter()
        .filter_map(|record| match record {
            Record::Event(event) => Some(event),
            _ => None,
        })
        .collect()
}

fn ip(text: &str) -> Option<IpAddr> {
    Some(text.parse().unwrap())
}

fn text(field: Option<&[u8]>) -> Option<&str> {
    field.map(|f| std::str::from_utf8(f).unwrap())
}

#[test]
fn crowdsec_iptables_logs() {
    let data = read_sample("crowdsec-iptables-logs.log");
    let records = parse_all(&data, 2020);
    assert_eq!(records.len(), 4);
    let Record::Event(first) = &records[0] else {
        panic!("{:?}", records[0]);
    };
    assert_eq!(
        first.time.unwrap().to_string(),
        "2020-06-08T14:34:33.000000Z"
    );
    assert_eq!(text(first.observer), Some("sd-126005"));
    assert_eq!(first.rule, None);
    assert_eq!(first.action, Action::Other);
    assert_eq!(first.direction, Direction::Inbound);
    assert_eq!(first.src, ip("195.54.160.107"));
    assert_eq!(first.dst, ip("51.15.166.67"));
    assert_eq!((first.src_port, first.dst_port), (Some(8080), Some(8123)));
    assert_eq!(first.ttl, Some(245));
    assert_eq!(first.tcp_flags, Some(TcpFlags::SYN));
    // A VLAN-style interface name is still a name.
    let Record::Event(second) = &records[1] else {
        panic!("{:?}", records[1]);
    };
    assert_eq!(text(second.in_interface), Some("enp.1s0"));
    // The third line had its IN= damaged into XX=: the packet is kept, without an inbound
    // interface, and the damaged word is not taken for a rule label.
    let Record::Event(third) = &records[2] else {
        panic!("{:?}", records[2]);
    };
    assert_eq!(third.in_interface, None);
    assert_eq!(third.rule, None);
    assert_eq!(third.direction, Direction::Unknown);
    assert_eq!(third.dst_port, Some(8123));
    let Record::Event(fourth) = &records[3] else {
        panic!("{:?}", records[3]);
    };
    assert_eq!(text(fourth.rule), Some("IPTABLES-DROP:"));
    assert_eq!(fourth.action, Action::Drop);
    assert_eq!(fourth.direction, Direction::Local);
    assert_eq!(fourth.protocol, Protocol::Udp);
    assert_eq!(fourth.length, Some(76));
}

#[test]
fn crowdsec_port_scan() {
    let data = read_sample("crowdsec-iptables-scan-multi-port.log");
    let records = parse_all(&data, 2020);
    assert_eq!(records.len(), 49);
    let events = events_of(&records);
    assert_eq!(events.len(), 49);
    let scan: Vec<_> = events
        .iter()
        .filter(|e| e.src == ip("62.34.17.168"))
        .collect();
    assert_eq!(scan.len(), 17);
    assert!(scan.iter().all(|e| e.is_plain_syn()));
    let ports: std::collections::BTreeSet<u16> = scan.iter().filter_map(|e| e.dst_port).collect();
    assert!(ports.len() > 10, "{ports:?}");
    // The loopback lines were written without TCP flags: none are invented.
    let loopback: Vec<_> = events
        .iter()
        .filter(|e| e.direction == Direction::Local)
        .collect();
    assert_eq!(loopback.len(), 32);
    assert!(loopback.iter().all(|e| e.tcp_flags.is_none()));
    let audits = loopback
        .iter()
        .filter(|e| e.action == Action::Other)
        .count();
    assert_eq!(audits, 16);
    assert!(ports.contains(&22) && ports.contains(&3306));
}

#[test]
fn crowdsec_proxmox() {
    let data = read_sample("crowdsec-proxmox-iptables.log");
    let records = parse_all(&data, 2022);
    let events = events_of(&records);
    assert_eq!(events.len(), 10, "{records:?}");
    let actions: Vec<Action> = events.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            Action::Drop,
            Action::Allow,
            Action::Reject,
            Action::Reject,
            Action::Allow,
            Action::Reject,
            Action::Reject,
            Action::Reject,
            Action::Other,
            Action::Drop,
        ]
    );
    // The IPv6 line.
    assert_eq!(events[5].src, ip("2a0a:1580::a"));
    assert_eq!(events[5].ttl, Some(64));
    assert_eq!(events[5].direction, Direction::Forward);
    // The output chain line has no IN= at all.
    assert_eq!(events[7].direction, Direction::Outbound);
    assert_eq!(text(events[7].out_interface), Some("vmbr0.94"));
    assert!(events.iter().all(|e| e.time.is_some()));
}

#[test]
fn crowdsec_unifi() {
    let data = read_sample("crowdsec-unifi-logs.log");
    let records = parse_all(&data, 2021);
    assert_eq!(records.len(), 4);
    let events = events_of(&records);
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].action, Action::Drop);
    assert_eq!(text(events[0].observer), Some("UDMP-DTC"));
    assert_eq!(events[0].protocol, Protocol::Udp);
    assert_eq!(events[0].length, Some(122));
    // The repeated host name is not part of the rule label.
    assert_eq!(text(events[1].rule), text(events[0].rule));
    // The rule letter A (accept) wins over the description's wording.
    assert_eq!(events[2].action, Action::Allow);
    assert_eq!(records[3], Record::Skipped(SkipReason::OtherProgram));
}

#[test]
fn ufw_samples() {
    for (name, count) in [
        ("csirtg-ufw.log", 11),
        ("csirtg-ufw_ubuntu16.log", 5),
        ("fluent-plugin-ufw-ufw.log", 4),
    ] {
        let data = read_sample(name);
        let records = parse_all(&data, 2017);
        assert_eq!(records.len(), count, "{name}");
        let events = events_of(&records);
        assert_eq!(events.len(), count, "{name}: {records:?}");
        for event in &events {
            assert_eq!(text(event.rule), Some("[UFW BLOCK]"), "{name}");
            assert_eq!(event.action, Action::Drop);
            assert_eq!(event.direction, Direction::Inbound);
            assert!(event.src.is_some() && event.dst.is_some());
        }
    }
    let data = read_sample("csirtg-ufw.log");
    let records = parse_all(&data, 2017);
    let events = events_of(&records);
    // `CWR ECE SYN`: an ECN-capable connection attempt.
    assert_eq!(
        events[8].tcp_flags,
        Some(TcpFlags::CWR | TcpFlags::ECE | TcpFlags::SYN)
    );
    assert_eq!(events[8].dst_port, Some(3389));

    let data = read_sample("fluent-plugin-ufw-ufw.log");
    let records = parse_all(&data, 2019);
    let events = events_of(&records);
    assert_eq!(events[0].protocol, Protocol::Igmp);
    assert_eq!(events[0].src, ip("0.0.0.0"));
    assert_eq!(events[1].protocol, Protocol::Udp);
    assert_eq!(events[1].dst_port, Some(123));
}
