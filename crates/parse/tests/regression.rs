//! Regression tests: each pins a bug found by the fuzzers or by real sample files, and is named
//! after the bug.

use std::ops::ControlFlow;

use fwseen_event::{Direction, Protocol, Timestamp};
use fwseen_parse::netfilter::NetfilterParser;
use fwseen_parse::time::{TimeSettings, TIME_OUTSIDE_WINDOW};
use fwseen_parse::{pcap, Format, FormatKind, Record, TimeContext};

fn netfilter(line: &str) -> Record<'_> {
    NetfilterParser::new(TimeContext::utc(2024)).parse(line.as_bytes())
}

/// psad's protocol scan logs SCTP and ICMPv6-over-IPv4 as bare numbers (`PROTO=132`,
/// `PROTO=58`) with no ports or type after them; they were reported as truncated lines.
#[test]
fn numeric_proto_of_a_protocol_with_ports_is_not_truncated() {
    for (proto, expected) in [("132", Protocol::Other(132)), ("58", Protocol::Icmpv6)] {
        let line = format!(
            "Mar  1 00:00:00 fw kernel: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=52 TOS=0x00 PREC=0x00 TTL=49 ID=9 PROTO={proto} "
        );
        match netfilter(&line) {
            Record::Event(event) => {
                assert_eq!(event.protocol, expected);
                assert_eq!(event.src_port, None);
                assert_eq!(event.icmp, None);
            }
            other => panic!("{other:?}"),
        }
    }
}

/// crowdsec's ufw audit lines carry `PROTO=TCP SPT= DPT=` but no `WINDOW=`/`RES=`/flag words;
/// they were given an empty flag set, which reads as a NULL scan.
#[test]
fn tcp_line_without_flag_fields_gets_no_flags() {
    let line = "Oct 30 10:09:23 vm kernel: [UFW AUDIT] IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.53 LEN=104 TTL=64 ID=1 DF PROTO=TCP SPT=50616 DPT=53 LEN=84";
    match netfilter(line) {
        Record::Event(event) => {
            assert_eq!(event.tcp_flags, None);
            assert_eq!(event.direction, Direction::Local);
        }
        other => panic!("{other:?}"),
    }
}

/// A line whose `IN=` was damaged into another key (`XX=eth0 OUT=`) was read as an outbound
/// packet with the damaged word as its rule label.
#[test]
fn damaged_in_key_is_neither_outbound_nor_a_label() {
    let line = "Jun  8 14:34:33 host kernel: [5.0] XX=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=245 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0";
    match netfilter(line) {
        Record::Event(event) => {
            assert_eq!(event.direction, Direction::Unknown);
            assert_eq!(event.rule, None);
            assert_eq!(event.in_interface, None);
            assert_eq!(event.dst_port, Some(2));
        }
        other => panic!("{other:?}"),
    }
}

/// Proxmox output chains log `OUT=` without any `IN=`; such lines were not recognised as packet
/// lines at all.
#[test]
fn proxmox_output_chain_without_in_is_an_event() {
    let line = "0 1 PVEFW-HOST-OUT 20/Jun/2022:13:16:23 +0200 REJECT: OUT=vmbr0 SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 ID=1 DF PROTO=TCP SPT=49566 DPT=22 SEQ=1 ACK=0 WINDOW=64240 SYN ";
    match netfilter(line) {
        Record::Event(event) => assert_eq!(event.direction, Direction::Outbound),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 17: times outside the window, and overflowing time arithmetic.
// ---------------------------------------------------------------------------------------------

/// Parses `lines` in order with one fresh parser of `kind` (zone-less times in UTC) and returns
/// the record of the last line.
fn last_record(kind: FormatKind, lines: &[&str]) -> String {
    let mut parser = kind
        .line_parser(TimeContext::utc(2024))
        .expect("a line format");
    let mut last = String::new();
    for line in lines {
        last = format!("{:?}", parser.parse(line.as_bytes()));
    }
    last
}

/// Asserts that the last of `lines` is malformed because its time is outside the window.
fn assert_outside_window(kind: FormatKind, lines: &[&str]) {
    let mut parser = kind
        .line_parser(TimeContext::utc(2024))
        .expect("a line format");
    let (last, earlier) = lines.split_last().expect("a line");
    for line in earlier {
        let _ = parser.parse(line.as_bytes());
    }
    match parser.parse(last.as_bytes()) {
        Record::Malformed(malformed) => {
            assert_eq!(malformed.reason, TIME_OUTSIDE_WINDOW, "{kind}: {last}")
        }
        other => panic!("{kind}: {last}: {other:?}"),
    }
}

/// The time of the event the last of `lines` gives.
fn event_time(kind: FormatKind, lines: &[&str]) -> Timestamp {
    let mut parser = kind
        .line_parser(TimeContext::utc(2024))
        .expect("a line format");
    let (last, earlier) = lines.split_last().expect("a line");
    for line in earlier {
        let _ = parser.parse(line.as_bytes());
    }
    match parser.parse(last.as_bytes()) {
        Record::Event(event) => event.time.expect("a time"),
        other => panic!("{kind}: {last}: {other:?}"),
    }
}

const FORTIGATE: &str = r#"Jan 15 10:00:01 fw-branch date=2024-01-15 time=11:00:01 devname="FGT-BRANCH" devid="FGT60F0000000001" eventtime=1705312801123456789 tz="+0100" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.40.0.21 srcport=50432 srcintf="internal" dstip=192.0.2.80 dstport=443 dstintf="wan1" sessionid=88001 proto=6 action="accept" policyid=3"#;

/// `eventtime=9751572359461869359` has nineteen digits but does not fit an i64: the digit fold
/// overflowed (a panic in debug and fuzz builds) and wrapped to a time in 1694.
#[test]
fn fortigate_nineteen_digit_eventtime_does_not_overflow() {
    let line = FORTIGATE.replace("1705312801123456789", "9751572359461869359");
    assert_outside_window(FormatKind::FortiGate, &[&line]);
    // The largest nineteen digits too, and a sane value still reads.
    let line = FORTIGATE.replace("1705312801123456789", "9999999999999999999");
    assert_outside_window(FormatKind::FortiGate, &[&line]);
    let time = event_time(FormatKind::FortiGate, &[FORTIGATE]);
    assert_eq!(time.to_string(), "2024-01-15T10:00:01.123456Z");
}

/// pf tcpdump `-tt` epoch seconds were multiplied by a million unchecked: `9223372036855.25`
/// overflowed to the year -290308.
#[test]
fn pf_tcpdump_huge_epoch_seconds_do_not_overflow() {
    let line = "9223372036855.250000 rule 8/(match) block in on em0: 192.0.2.1.51234 > 198.51.100.7.22: S 123456:123456(0) win 16384";
    assert_outside_window(FormatKind::PfTcpdump, &[line]);
    for seconds in ["9223372036854775807", "9999999999999999999"] {
        let line = line.replace("9223372036855", seconds);
        assert_outside_window(FormatKind::PfTcpdump, &[&line]);
    }
    let fine = line.replace("9223372036855", "1709547072");
    let time = event_time(FormatKind::PfTcpdump, &[&fine]);
    assert_eq!(time.to_string(), "2024-03-04T10:11:12.250000Z");
}

const ZEEK_JSON_TAIL: &str = r#","uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1234,"id.resp_h":"10.0.0.2","id.resp_p":80,"proto":"tcp"}"#;

/// Zeek JSON `ts` was accepted up to ±9e18 microseconds (±285,000 years); two lines at -9e12 and
/// 9e12 seconds made `analyze` allocate 40 GB for its hourly heat map.
#[test]
fn zeek_json_ts_far_outside_the_window_is_malformed() {
    for ts in ["-9e12", "9e12", "1e300", "-86401", "4102444800"] {
        let line = format!("{{\"ts\":{ts}{ZEEK_JSON_TAIL}");
        assert_outside_window(FormatKind::ZeekJson, &[&line]);
    }
    let line = format!("{{\"ts\":1709547072.5{ZEEK_JSON_TAIL}");
    let time = event_time(FormatKind::ZeekJson, &[&line]);
    assert_eq!(time.to_string(), "2024-03-04T10:11:12.500000Z");
}

const WINDOWS_HEADER: &str = "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path";

/// A pfirewall.log dated 0001-01-01 and 9999-12-29 was read as two events ten thousand years
/// apart (694 MB of heat map).
#[test]
fn windows_firewall_dates_outside_the_window_are_malformed() {
    for date in [
        "0001-01-01 00:00:00",
        "9999-12-29 23:00:00",
        "1969-12-30 23:59:59",
        "2100-01-01 00:00:00",
    ] {
        let line =
            format!("{date} DROP TCP 203.0.113.9 192.0.2.10 44123 3389 52 S - - - - - - RECEIVE");
        assert_outside_window(FormatKind::WindowsFirewall, &[WINDOWS_HEADER, &line]);
    }
    // The edges of the window are read.
    for (date, expected) in [
        ("1969-12-31 00:00:00", "1969-12-31T00:00:00.000000Z"),
        ("2099-12-31 23:59:59", "2099-12-31T23:59:59.000000Z"),
    ] {
        let line =
            format!("{date} DROP TCP 203.0.113.9 192.0.2.10 44123 3389 52 S - - - - - - RECEIVE");
        let time = event_time(FormatKind::WindowsFirewall, &[WINDOWS_HEADER, &line]);
        assert_eq!(time.to_string(), expected);
    }
}

/// `9999-12-31 23:59:59` was "date or time is out of range" in a zone with rules (`TZ=UTC`
/// without `--tz`: the rules library ends there) but an event with `--tz UTC` (a fixed offset).
/// Now every way of naming the zone gives the same malformed record.
#[test]
fn year_9999_is_malformed_whatever_the_zone_is_called() {
    let line =
        "9999-12-31 23:59:59 DROP TCP 203.0.113.9 192.0.2.10 44124 3389 52 S - - - - - - RECEIVE";
    let mut results = Vec::new();
    for zone in [
        "UTC",
        "+00:00",
        "Etc/UTC",
        "Europe/Berlin",
        "Pacific/Kiritimati",
    ] {
        let settings = TimeSettings {
            year: Some(2024),
            file_modified: None,
            zone: Some(zone.into()),
        };
        let Ok(time) = TimeContext::new(&settings) else {
            eprintln!("skipping {zone}: no tz database");
            continue;
        };
        let mut parser = FormatKind::WindowsFirewall.line_parser(time).unwrap();
        let _ = parser.parse(WINDOWS_HEADER.as_bytes());
        results.push((zone, format!("{:?}", parser.parse(line.as_bytes()))));
    }
    for (zone, result) in &results {
        assert!(result.contains(TIME_OUTSIDE_WINDOW), "{zone}: {result}");
    }
}

/// Every line format holds its times to the window (the rule is applied once, in
/// `Format::parse`, so a format cannot forget it).
#[test]
fn every_line_format_rejects_a_time_outside_the_window() {
    let cases: [(FormatKind, Vec<String>); 15] = [
        (FormatKind::Netfilter, vec!["2150-01-15T10:00:01+00:00 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.7 DST=203.0.113.9 LEN=40 TTL=41 ID=1 PROTO=TCP SPT=43861 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0".into()]),
        (FormatKind::PfFilterlog, vec!["2150-03-04T10:11:12+00:00 fw1 filterlog[4242]: 5,,,1000000103,igb0,match,block,in,4,0x0,,241,54321,0,none,6,tcp,40,203.0.113.9,198.51.100.20,44123,3389,0,S,1894211,,1024,,".into()]),
        (FormatKind::CiscoAsa, vec!["Jan 15 2150 10:00:01 fw-edge %ASA-2-106001: Inbound TCP connection denied from 198.51.100.20/41234 to 203.0.113.10/3389 flags SYN on interface outside".into()]),
        (FormatKind::Cef, vec!["Jan 15 10:00:01 fw-cef CEF:0|Acme|EdgeWall|2.1|100|Connection denied|5|rt=4102444800000 src=198.51.100.7 spt=50000 dst=203.0.113.9 dpt=22 proto=TCP act=deny".into()]),
        (FormatKind::MikroTik, vec!["2150-01-15T10:00:01+00:00 gw-mt firewall,info DROP-WAN input: in:ether1 out:(unknown 0), connection-state:new src-mac 02:00:00:aa:bb:01, proto TCP (SYN), 198.51.100.50:51234->203.0.113.30:8291, len 60".into()]),
        (FormatKind::SonicWall, vec![r#"id=firewall sn=0040AA000001 time="2150-01-15 10:00:01 UTC" fw=203.0.113.1 pri=5 c=64 m=36 msg="TCP connection dropped" n=100 src=198.51.100.7:50000:X1 dst=203.0.113.1:445:X0 rule="5 (WAN->LAN)""#.into()]),
        (FormatKind::CheckPoint, vec![r#"1 2150-01-15T10:00:01Z mgmt-1 CheckPoint 4242 - [action:"Drop"; ifdir:"inbound"; ifname:"eth1"; origin:"192.0.2.1"; time:"4102444800"; dst:"203.0.113.9"; proto:"6"; s_port:"50000"; service:"22"; src:"198.51.100.7"]"#.into()]),
        (FormatKind::FortiGate, vec![FORTIGATE.replace("eventtime=1705312801123456789 ", "").replace("date=2024-01-15", "date=2150-01-15")]),
        (FormatKind::HuaweiUsg, vec!["Jan 15 2150 10:00:01 USG-EDGE %%01POLICY/6/POLICYDENY(l):vsys=public, protocol=6, source-ip=198.51.100.7, source-port=50000, destination-ip=203.0.113.9, destination-port=3389, time=2150/1/15 10:00:01, source-zone=untrust, destination-zone=trust, application-name=, rule-name=default.".into()]),
        (FormatKind::JuniperSrx, vec![r#"<14>1 2150-01-15T10:00:01.120Z srx-edge RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.129 source-address="198.51.100.40" source-port="51000" destination-address="203.0.113.20" destination-port="23" service-name="junos-telnet" protocol-id="6" policy-name="deny-untrust" source-zone-name="untrust" destination-zone-name="trust"]"#.into()]),
        (FormatKind::PaloAlto, vec!["Jan 15 10:00:01 PA-EDGE 1,2150/01/15 10:00:01,012801000001,TRAFFIC,end,2561,2150/01/15 10:00:01,10.50.0.10,192.0.2.44,203.0.113.7,192.0.2.44,allow-web,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2150/01/15 10:00:01,31337,1,52311,443,40211,443,0x400064,tcp,allow,6120,1320,4800,22,2150/01/15 09:59:40,20,computer-and-internet-info,,7100000000001,0x0,10.0.0.0-10.255.255.255,United States".into()]),
        (FormatKind::SophosXg, vec![r#"device="SFW" date=2150-01-15 time=11:00:01 timezone="+01" device_name="XG-LAB" log_id=010101600001 log_type="Firewall" log_component="Firewall Rule" log_subtype="Denied" status="Deny" fw_rule_id=7 in_interface="Port2" out_interface="Port1" src_ip=198.51.100.7 dst_ip=203.0.113.9 protocol="TCP" src_port=50000 dst_port=22"#.into()]),
        (FormatKind::ZeekTsv, vec![
            "#separator \\x09".into(),
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto".into(),
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum".into(),
            "999999999999.000000\tCx1\t203.0.113.9\t44123\t192.0.2.10\t23\ttcp".into(),
        ]),
        (FormatKind::ZeekJson, vec![format!("{{\"ts\":9e12{ZEEK_JSON_TAIL}")]),
        (FormatKind::WindowsFirewall, vec![WINDOWS_HEADER.into(), "9999-12-31 23:59:59 DROP TCP 203.0.113.9 192.0.2.10 44124 3389 52 S - - - - - - RECEIVE".into()]),
    ];
    for (kind, lines) in &cases {
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        // The same line in 2024 is an event: the case tests the window, not a broken line.
        let in_window: Vec<String> = lines
            .iter()
            .map(|l| {
                l.replace("2150", "2024")
                    .replace("4102444800", "1705312801")
                    .replace("999999999999.", "1705312801.")
                    .replace("9e12", "1705312801")
                    .replace("9999-12-31", "2024-12-31")
            })
            .collect();
        let in_window: Vec<&str> = in_window.iter().map(String::as_str).collect();
        assert!(
            last_record(*kind, &in_window).starts_with("Event("),
            "{kind}: {}",
            last_record(*kind, &in_window)
        );
        assert_outside_window(*kind, &lines);
    }
    // pf tcpdump is covered by pf_tcpdump_huge_epoch_seconds_do_not_overflow; every format
    // but the capture reader is in the list.
    assert_eq!(cases.len() + 2, FormatKind::ALL.len());
}

/// A little-endian pcapng capture: one interface (raw IP) whose `if_tsoffset` option is
/// `offset_seconds`, and one IPv4 TCP SYN stamped `timestamp` microseconds.
fn pcapng_with_tsoffset(offset_seconds: i64, timestamp: u64) -> Vec<u8> {
    let packet: Vec<u8> = {
        let builder = etherparse::PacketBuilder::ipv4([198, 51, 100, 7], [203, 0, 113, 9], 64)
            .tcp(50000, 22, 1, 1024)
            .syn();
        let mut packet = Vec::new();
        builder.write(&mut packet, &[]).unwrap();
        packet
    };
    let mut file = Vec::new();
    file.extend(0x0a0d0d0au32.to_le_bytes());
    file.extend(28u32.to_le_bytes());
    file.extend(0x1a2b3c4du32.to_le_bytes());
    file.extend(1u16.to_le_bytes());
    file.extend(0u16.to_le_bytes());
    file.extend((-1i64).to_le_bytes());
    file.extend(28u32.to_le_bytes());
    // Interface description: link type 101 (raw IP), if_tsoffset (option 14, 8 bytes), end.
    let idb_len = 16u32 + 12 + 4 + 4;
    file.extend(1u32.to_le_bytes());
    file.extend(idb_len.to_le_bytes());
    file.extend(101u16.to_le_bytes());
    file.extend(0u16.to_le_bytes());
    file.extend(0u32.to_le_bytes());
    file.extend(14u16.to_le_bytes());
    file.extend(8u16.to_le_bytes());
    file.extend(offset_seconds.to_le_bytes());
    file.extend(0u32.to_le_bytes());
    file.extend(idb_len.to_le_bytes());
    let padded = (packet.len() + 3) & !3;
    let block_len = 32 + padded as u32;
    file.extend(6u32.to_le_bytes());
    file.extend(block_len.to_le_bytes());
    file.extend(0u32.to_le_bytes());
    file.extend(((timestamp >> 32) as u32).to_le_bytes());
    file.extend((timestamp as u32).to_le_bytes());
    file.extend((packet.len() as u32).to_le_bytes());
    file.extend((packet.len() as u32).to_le_bytes());
    file.extend(&packet);
    file.extend(std::iter::repeat_n(0u8, padded - packet.len()));
    file.extend(block_len.to_le_bytes());
    file
}

/// The records of a capture, as text, and its counts.
fn capture_records(bytes: &[u8]) -> (fwseen_parse::reader::Counts, Vec<String>) {
    let mut records = Vec::new();
    let counts = pcap::read_capture(bytes, 0, |_, record| {
        records.push(match record {
            Record::Event(event) => format!("event {}", event.time.expect("a time")),
            other => format!("{other:?}"),
        });
        ControlFlow::Continue(())
    })
    .expect("a readable capture");
    (counts, records)
}

/// A pcapng interface with `if_tsoffset` = 0x7fffffffffffff00 overflowed the addition of the
/// offset to the packet's seconds (486k pcap fuzz runs missed it: the option is rarely reached).
#[test]
fn pcapng_huge_if_tsoffset_does_not_overflow() {
    for offset in [
        0x7fff_ffff_ffff_ff00,
        i64::MAX,
        i64::MIN,
        -1_000_000_000_000,
    ] {
        let (counts, records) =
            capture_records(&pcapng_with_tsoffset(offset, 1_709_547_072_000_000));
        assert_eq!(
            (counts.records, counts.malformed),
            (1, 1),
            "{offset}: {records:?}"
        );
        assert!(
            records[0].contains(TIME_OUTSIDE_WINDOW),
            "{offset}: {records:?}"
        );
    }
    // A raw count past i64 seconds (units of a microsecond: ~584,000 years) is no time either.
    let (_, records) = capture_records(&pcapng_with_tsoffset(0, u64::MAX));
    assert!(records[0].contains(TIME_OUTSIDE_WINDOW), "{records:?}");
    // A sane offset moves the time.
    let (counts, records) = capture_records(&pcapng_with_tsoffset(3600, 1_709_547_072_000_000));
    assert_eq!(counts.events, 1);
    assert_eq!(records, ["event 2024-03-04T11:11:12.000000Z"]);
}

/// Found by the pcap fuzz target while testing issue 17: a pcapng process information block
/// whose length field is below 12 (here 4) made pcap-parser 0.17 subtract 12 from it unchecked,
/// a panic in debug builds (and a 4 GB claim in release ones).
#[test]
fn pcapng_block_shorter_than_its_frame_is_corrupt_not_a_panic() {
    let capture: &[u8] = &[
        0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0x00, 0x00, 0x00, 0x4d, 0x3c, 0x2b, 0x1a, 0x01, 0x00, 0x00,
        0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1c, 0x00, 0x00, 0x00, 0x01, 0x00,
        0x00, 0x80, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x09, 0xff, 0x00, 0xf8, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
    ];
    let error = pcap::read_capture(capture, 0, |_, _| ControlFlow::Continue(()))
        .expect_err("a corrupt capture");
    assert!(error.to_string().contains("corrupt"), "{error}");
    assert_eq!(error.counts.records, 0);
    // The same block in a big-endian section, and a short block of another type.
    let mut big = capture.to_vec();
    big[8..12].copy_from_slice(&[0x1a, 0x2b, 0x3c, 0x4d]);
    big[4..8].copy_from_slice(&[0, 0, 0, 0x1c]);
    big[24..28].copy_from_slice(&[0, 0, 0, 0x1c]);
    big[28..32].copy_from_slice(&[0x80, 0, 0, 0x01]);
    big[32..36].copy_from_slice(&[0, 0, 0, 0x04]);
    for bytes in [big, {
        let mut other = capture.to_vec();
        other[28..32].copy_from_slice(&[0x06, 0, 0, 0]);
        other
    }] {
        let result = pcap::read_capture(&bytes[..], 0, |_, _| ControlFlow::Continue(()));
        assert!(result.is_err(), "{result:?}");
    }
}
