//! Integration tests for the pf parsers: pfSense / OPNsense filterlog and OpenBSD pflog as
//! `tcpdump -n -e -ttt` text, on real sample files and on lines written for each variant.

use std::net::IpAddr;

use fwseen_event::{Action, Direction, Event, Icmp, Protocol, TcpFlags};
use fwseen_parse::pf::{self, FilterlogParser, TcpdumpParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{ip, lines};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("pf", name)
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    events: usize,
    skipped: usize,
    malformed: usize,
}

fn count(parser: &mut dyn Format, data: &[u8]) -> Counts {
    let mut counts = Counts::default();
    for line in lines(data) {
        match parser.parse(line) {
            Record::Event(_) => counts.events += 1,
            Record::Skipped(_) => counts.skipped += 1,
            Record::Malformed(_) => counts.malformed += 1,
        }
    }
    counts
}

fn filterlog() -> FilterlogParser {
    FilterlogParser::new(TimeContext::utc(2026))
}

fn tcpdump() -> TcpdumpParser {
    TcpdumpParser::new(TimeContext::utc(2026))
}

fn event<'a>(parser: &mut dyn Format, line: &'a [u8]) -> Event<'a> {
    match parser.parse(line) {
        Record::Event(event) => event,
        other => panic!(
            "expected an event for {:?}, got {other:?}",
            String::from_utf8_lossy(line)
        ),
    }
}

fn malformed_reason(parser: &mut dyn Format, line: &[u8]) -> &'static str {
    match parser.parse(line) {
        Record::Malformed(malformed) => malformed.reason,
        other => panic!(
            "expected malformed for {:?}, got {other:?}",
            String::from_utf8_lossy(line)
        ),
    }
}

#[test]
fn parsers_report_their_kinds() {
    assert_eq!(filterlog().kind(), FormatKind::PfFilterlog);
    assert_eq!(tcpdump().kind(), FormatKind::PfTcpdump);
}

#[test]
fn crowdsec_samples_are_all_events() {
    // Two of the samples end with an empty line.
    for (name, events, blank) in [
        ("crowdsec-pf-logs.log", 9, 0),
        ("crowdsec-pf-scan-multi-port.log", 16, 1),
        ("crowdsec-pfsense-rfc5424-filterlog.log", 4, 1),
    ] {
        let counts = count(&mut filterlog(), &fixture(name));
        assert_eq!(
            counts,
            Counts {
                events,
                skipped: blank,
                malformed: 0
            },
            "{name}"
        );
    }
}

#[test]
fn bsd_header_tcp_block() {
    let data = fixture("crowdsec-pf-logs.log");
    let first = lines(&data)[1];
    let event = event(&mut filterlog(), first);
    assert_eq!(event.observer, Some(&b"pfSense"[..]));
    assert_eq!(
        event.time.unwrap().to_string(),
        "2026-09-28T10:38:24.000000Z"
    );
    assert_eq!(event.action, Action::Drop);
    assert_eq!(event.direction, Direction::Inbound);
    assert_eq!(event.in_interface, Some(&b"em0"[..]));
    assert_eq!(event.rule, Some(&b"53,,,1000102631"[..]));
    assert_eq!(event.protocol, Protocol::Tcp);
    assert_eq!(event.src, Some(ip("10.0.2.2")));
    assert_eq!(event.dst, Some(ip("10.0.2.15")));
    assert_eq!(event.src_port, Some(53792));
    assert_eq!(event.dst_port, Some(22));
    assert!(event.is_plain_syn());
    assert_eq!(event.ttl, Some(64));
    assert_eq!(event.ip_id, Some(600));
    assert_eq!(event.length, Some(44));
    assert_eq!(event.tcp_seq, Some(31_552_001));
    assert_eq!(event.tcp_window, Some(65535));
}

#[test]
fn outbound_uses_the_output_interface() {
    let data = fixture("crowdsec-pf-logs.log");
    let event = event(&mut filterlog(), lines(&data)[2]);
    assert_eq!(event.direction, Direction::Outbound);
    assert_eq!(event.out_interface, Some(&b"em0"[..]));
    assert_eq!(event.in_interface, None);
    assert_eq!(event.tcp_flags, Some(TcpFlags::FIN | TcpFlags::ACK));
}

#[test]
fn rfc5424_header_with_structured_data_and_ipv6() {
    let data = fixture("crowdsec-pf-logs.log");
    let all = lines(&data);
    let udp = event(&mut filterlog(), all[3]);
    assert_eq!(udp.observer, Some(&b"opnsense"[..]));
    assert_eq!(udp.time.unwrap().to_string(), "2022-09-06T16:37:34.000000Z");
    assert_eq!(udp.protocol, Protocol::Udp);
    assert_eq!(udp.in_interface, Some(&b"re0"[..]));
    assert_eq!(udp.dst_port, Some(52938));
    assert_eq!(
        udp.rule,
        Some(&b"10,,,02f4bab031b57d1e30553ce08e0ec131"[..])
    );
    let pass = event(&mut filterlog(), all[4]);
    assert_eq!(pass.action, Action::Allow);
    let ipv6 = event(&mut filterlog(), all[7]);
    assert_eq!(ipv6.src, Some(ip("2008:8a0:702e:ce00:acc6:c7ee:fa01:2f8a")));
    assert_eq!(ipv6.dst, Some(ip("2c02:2454:ada:d900::1738")));
    assert_eq!(ipv6.ttl, Some(51));
    assert_eq!(ipv6.protocol, Protocol::Udp);
    assert_eq!(ipv6.src_port, Some(6881));
    assert_eq!(ipv6.length, Some(73));
}

#[test]
fn variants_fixture_counts() {
    let counts = count(&mut filterlog(), &fixture("fwseen-filterlog-variants.log"));
    assert_eq!(
        counts,
        Counts {
            events: 20,
            skipped: 2,
            malformed: 3
        }
    );
}

#[test]
fn icmp_variants() {
    let data = fixture("fwseen-filterlog-variants.log");
    let all = lines(&data);
    let mut parser = filterlog();
    let request = event(&mut parser, all[2]);
    assert_eq!(request.protocol, Protocol::Icmp);
    assert_eq!(
        request.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(request.out_interface, Some(&b"igb1"[..]));
    let reply = event(&mut parser, all[3]);
    assert_eq!(
        reply.icmp,
        Some(Icmp {
            icmp_type: 0,
            code: 0
        })
    );
    let port_unreachable = event(&mut parser, all[4]);
    assert_eq!(
        port_unreachable.icmp,
        Some(Icmp {
            icmp_type: 3,
            code: 3
        })
    );
    let quoted = port_unreachable.embedded.unwrap();
    assert_eq!(quoted.dst, Some(ip("192.0.2.10")));
    assert_eq!(quoted.protocol, Protocol::Udp);
    assert_eq!(quoted.dst_port, Some(33434));
    let protocol_unreachable = event(&mut parser, all[5]);
    assert_eq!(
        protocol_unreachable.icmp,
        Some(Icmp {
            icmp_type: 3,
            code: 2
        })
    );
    assert_eq!(
        protocol_unreachable.embedded.unwrap().protocol,
        Protocol::Other(47)
    );
    let need_fragment = event(&mut parser, all[6]);
    assert_eq!(
        need_fragment.icmp,
        Some(Icmp {
            icmp_type: 3,
            code: 4
        })
    );
    let time_exceeded = event(&mut parser, all[7]);
    assert_eq!(
        time_exceeded.icmp,
        Some(Icmp {
            icmp_type: 11,
            code: 0
        })
    );
    assert_eq!(
        event(&mut parser, all[8]).icmp,
        Some(Icmp {
            icmp_type: 13,
            code: 0
        })
    );
    assert_eq!(
        event(&mut parser, all[9]).icmp,
        Some(Icmp {
            icmp_type: 14,
            code: 0
        })
    );
    let icmpv6 = event(&mut parser, all[10]);
    assert_eq!(icmpv6.protocol, Protocol::Icmpv6);
    assert_eq!(icmpv6.ttl, Some(255));
    assert_eq!(icmpv6.dst, Some(ip("ff02::1")));
}

#[test]
fn other_protocols_and_tcp_details() {
    let data = fixture("fwseen-filterlog-variants.log");
    let all = lines(&data);
    let mut parser = filterlog();
    let tcp6 = event(&mut parser, all[11]);
    assert_eq!(tcp6.protocol, Protocol::Tcp);
    assert_eq!(tcp6.dst_port, Some(22));
    assert!(tcp6.is_plain_syn());
    let igmp = event(&mut parser, all[12]);
    assert_eq!(igmp.protocol, Protocol::Igmp);
    assert_eq!(igmp.src_port, None);
    let carp = event(&mut parser, all[13]);
    assert_eq!(carp.protocol, Protocol::Other(112));
    let data_segment = event(&mut parser, all[14]);
    assert_eq!(data_segment.tcp_flags, Some(TcpFlags::PSH | TcpFlags::ACK));
    assert_eq!(data_segment.tcp_seq, Some(1001));
    assert_eq!(data_segment.tcp_window, Some(501));
    let xmas = event(&mut parser, all[15]);
    assert_eq!(
        xmas.tcp_flags,
        Some(TcpFlags::FIN | TcpFlags::PSH | TcpFlags::URG)
    );
    let fractional = event(&mut parser, all[16]);
    assert_eq!(
        fractional.time.unwrap().to_string(),
        "2026-03-04T09:11:28.123456Z"
    );
    assert_eq!(fractional.time.unwrap().original_offset_seconds, Some(3600));
    assert_eq!(fractional.observer, Some(&b"fw2.example"[..]));
    let nil_structured_data = event(&mut parser, all[17]);
    assert_eq!(nil_structured_data.dst_port, Some(5060));
}

#[test]
fn headers_without_a_host_and_icmp_without_details() {
    let data = fixture("fwseen-filterlog-variants.log");
    let all = lines(&data);
    let mut parser = filterlog();
    // pfSense's default BSD format sends no host name.
    let no_host = event(&mut parser, all[23]);
    assert_eq!(no_host.observer, None);
    assert_eq!(
        no_host.time.unwrap().to_string(),
        "2026-03-04T10:11:34.000000Z"
    );
    assert_eq!(no_host.protocol, Protocol::Icmp);
    assert_eq!(no_host.icmp, None);
    assert_eq!(no_host.out_interface, Some(&b"vmx1"[..]));
    assert_eq!(no_host.action, Action::Allow);
    // A generic unreachable names no code: the type is known but no code is guessed.
    let unreachable = event(&mut parser, all[24]);
    assert_eq!(unreachable.icmp, None);
    assert_eq!(unreachable.embedded.unwrap().dst, Some(ip("192.0.2.10")));
}

#[test]
fn other_programs_and_blank_lines_are_skipped() {
    let data = fixture("fwseen-filterlog-variants.log");
    let all = lines(&data);
    let mut parser = filterlog();
    assert_eq!(
        parser.parse(all[18]),
        Record::Skipped(SkipReason::OtherProgram)
    );
    assert_eq!(parser.parse(all[19]), Record::Skipped(SkipReason::Blank));
}

#[test]
fn malformed_filterlog_lines() {
    let data = fixture("fwseen-filterlog-variants.log");
    let all = lines(&data);
    let mut parser = filterlog();
    assert_eq!(
        malformed_reason(&mut parser, all[20]),
        "filterlog destination port is invalid"
    );
    assert_eq!(
        malformed_reason(&mut parser, all[21]),
        "filterlog source address is invalid"
    );
    assert_eq!(
        malformed_reason(&mut parser, all[22]),
        "filterlog record is truncated"
    );
    match parser.parse(all[20]) {
        Record::Malformed(malformed) => {
            let column = malformed.column.unwrap();
            assert_eq!(&all[20][column..column + 5], b"70000");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        malformed_reason(&mut parser, b"Mar  4 10:11:33 fw1 filterlog[1]: 5,,,1,igb0,match,block,sideways,4,0x0,,1,1,0,none,6,tcp,40,192.0.2.1,192.0.2.2,1,2,0,S,1,,1,,"),
        "filterlog direction is neither in nor out"
    );
    assert_eq!(
        malformed_reason(&mut parser, b"Mar  4 10:11:33 fw1 filterlog[1]: 5,,,1,igb0,match,block,in,5,0x0,,1,1,0,none,6,tcp,40,192.0.2.1,192.0.2.2,1,2,0,S,1,,1,,"),
        "filterlog IP version is neither 4 nor 6"
    );
}

#[test]
fn bare_bodies_and_headerless_program_lines() {
    let mut parser = filterlog();
    let body = b"5,,,1000102433,em0,match,block,in,4,0x0,,128,24677,0,none,17,udp,186,10.9.0.119,10.9.0.255,17500,17600,166";
    let bare = event(&mut parser, body);
    assert_eq!(bare.dst_port, Some(17600));
    assert_eq!(bare.time, None);
    let mut tagged = b"filterlog: ".to_vec();
    tagged.extend_from_slice(body);
    assert_eq!(event(&mut parser, &tagged).dst_port, Some(17600));
    assert_eq!(
        malformed_reason(&mut parser, b"random text that is no log"),
        "not a filterlog line"
    );
}

#[test]
fn filterlog_sniffing() {
    for name in [
        "crowdsec-pf-logs.log",
        "crowdsec-pf-scan-multi-port.log",
        "crowdsec-pfsense-rfc5424-filterlog.log",
    ] {
        let data = fixture(name);
        for line in lines(&data).into_iter().filter(|l| !l.is_empty()) {
            assert!(
                pf::looks_like_filterlog(line),
                "{}",
                String::from_utf8_lossy(line)
            );
            assert!(pf::looks_like(line));
            assert!(!pf::looks_like_tcpdump(line));
        }
    }
    assert!(!pf::looks_like_filterlog(
        b"Mar  4 10:11:30 fw1 dhcpd: DHCPREQUEST for 192.0.2.50"
    ));
    assert!(!pf::looks_like_filterlog(b"2021-06-22 12:19:41 DROP UDP 192.168.178.25 224.0.0.251 5353 5353 73 - - - - - - - RECEIVE"));
}

#[test]
fn tcpdump_fixture_counts() {
    let counts = count(&mut tcpdump(), &fixture("fwseen-pflog-tcpdump.txt"));
    assert_eq!(
        counts,
        Counts {
            events: 20,
            skipped: 2,
            malformed: 4
        }
    );
}

#[test]
fn tcpdump_classic_tcp() {
    let data = fixture("fwseen-pflog-tcpdump.txt");
    let all = lines(&data);
    let mut parser = tcpdump();
    let syn = event(&mut parser, all[0]);
    assert_eq!(syn.time.unwrap().to_string(), "2026-03-04T10:11:12.123456Z");
    assert_eq!(syn.rule, Some(&b"2"[..]));
    assert_eq!(syn.action, Action::Drop);
    assert_eq!(syn.direction, Direction::Inbound);
    assert_eq!(syn.in_interface, Some(&b"em0"[..]));
    assert_eq!(syn.protocol, Protocol::Tcp);
    assert_eq!(syn.src, Some(ip("192.0.2.1")));
    assert_eq!(syn.src_port, Some(51234));
    assert_eq!(syn.dst, Some(ip("198.51.100.7")));
    assert_eq!(syn.dst_port, Some(22));
    assert!(syn.is_plain_syn());
    assert_eq!(syn.tcp_seq, Some(123_456));
    assert_eq!(syn.tcp_window, Some(16384));
    let verbose = event(&mut parser, all[1]);
    assert_eq!(verbose.ttl, Some(49));
    assert_eq!(verbose.ip_id, Some(4711));
    assert_eq!(verbose.length, Some(64));
    let ack = event(&mut parser, all[2]);
    assert_eq!(ack.action, Action::Allow);
    assert_eq!(ack.direction, Direction::Outbound);
    assert_eq!(ack.out_interface, Some(&b"em0"[..]));
    assert_eq!(ack.tcp_flags, Some(TcpFlags::ACK));
    let push = event(&mut parser, all[3]);
    assert_eq!(push.tcp_flags, Some(TcpFlags::PSH | TcpFlags::ACK));
    assert_eq!(push.tcp_seq, Some(1));
}

#[test]
fn tcpdump_udp_icmp_and_other_protocols() {
    let data = fixture("fwseen-pflog-tcpdump.txt");
    let all = lines(&data);
    let mut parser = tcpdump();
    let dns = event(&mut parser, all[4]);
    assert_eq!(dns.rule, Some(&b"def"[..]));
    assert_eq!(dns.protocol, Protocol::Udp);
    assert_eq!(dns.dst_port, Some(53));
    let snmp = event(&mut parser, all[5]);
    assert_eq!(snmp.protocol, Protocol::Udp);
    assert_eq!(snmp.dst_port, Some(161));
    let echo = event(&mut parser, all[6]);
    assert_eq!(echo.protocol, Protocol::Icmp);
    assert_eq!(
        echo.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(echo.ttl, Some(57));
    assert_eq!(echo.src_port, None);
    let unreachable = event(&mut parser, all[7]);
    assert_eq!(
        unreachable.icmp,
        Some(Icmp {
            icmp_type: 3,
            code: 3
        })
    );
    let quoted = unreachable.embedded.unwrap();
    assert_eq!(quoted.protocol, Protocol::Udp);
    assert_eq!(quoted.dst_port, Some(33434));
    let anchored = event(&mut parser, all[8]);
    assert_eq!(anchored.rule, Some(&b"1.anchor1.3"[..]));
    assert_eq!(anchored.src, Some(ip("2001:db8::9")));
    assert_eq!(anchored.src_port, Some(51515));
    assert_eq!(anchored.dst, Some(ip("2001:db8:1::20")));
    assert_eq!(anchored.in_interface, Some(&b"vio0"[..]));
    let verbose_v6 = event(
        &mut parser,
        b"Mar 04 10:11:16.050000 rule 1/(match) block in on vio0: 2001:db8::9.51516 > 2001:db8:1::20.22: S 1:1(0) win 65535 [flowlabel 0x1234] (len 40, hlim 57)",
    );
    assert_eq!(verbose_v6.ttl, Some(57));
    assert_eq!(verbose_v6.length, Some(40));
    let neighbor = event(&mut parser, all[9]);
    assert_eq!(neighbor.protocol, Protocol::Icmpv6);
    assert_eq!(
        neighbor.icmp,
        Some(Icmp {
            icmp_type: 136,
            code: 0
        })
    );
    assert_eq!(event(&mut parser, all[10]).protocol, Protocol::Other(47));
    assert_eq!(event(&mut parser, all[11]).protocol, Protocol::Other(50));
    let with_user = event(&mut parser, all[12]);
    assert_eq!(with_user.action, Action::Drop);
    assert_eq!(with_user.direction, Direction::Outbound);
    assert_eq!(with_user.dst_port, Some(70));
}

#[test]
fn tcpdump_time_stamp_forms() {
    let data = fixture("fwseen-pflog-tcpdump.txt");
    let all = lines(&data);
    let mut parser = tcpdump();
    let epoch = event(&mut parser, all[13]);
    assert_eq!(
        epoch.time.unwrap().to_string(),
        "2024-03-04T10:11:20.250000Z"
    );
    let clock_only = event(&mut parser, all[14]);
    assert_eq!(clock_only.time, None);
    assert_eq!(clock_only.src_port, Some(51235));
    let no_time = event(&mut parser, all[15]);
    assert_eq!(no_time.time, None);
    assert_eq!(no_time.src_port, Some(51236));
    let old_date = event(
        &mut parser,
        b"03/04/2026 10:11:26.500000 rule 8/(match) block in on em0: 192.0.2.1.1 > 198.51.100.7.25: S 9:9(0) win 1024",
    );
    assert_eq!(
        old_date.time.unwrap().to_string(),
        "2026-03-04T10:11:26.500000Z"
    );
    for delta in [&b"0.000123"[..], b"1. 000123", b"000000"] {
        let mut line = delta.to_vec();
        line.extend_from_slice(
            b" rule 8/(match) block in on em0: 192.0.2.1.1 > 198.51.100.7.25: S 9:9(0) win 1024",
        );
        let relative = event(&mut parser, &line);
        assert_eq!(relative.time, None);
        assert_eq!(relative.dst_port, Some(25));
    }
    let old_header = event(&mut parser, all[16]);
    assert_eq!(old_header.rule, Some(&b"0"[..]));
    assert_eq!(old_header.in_interface, Some(&b"fxp0"[..]));
    assert_eq!(old_header.dst_port, Some(443));
}

#[test]
fn tcpdump_modern_rendering() {
    let data = fixture("fwseen-pflog-tcpdump.txt");
    let all = lines(&data);
    let mut parser = tcpdump();
    let tcp = event(&mut parser, all[17]);
    assert_eq!(tcp.time.unwrap().to_string(), "2026-03-04T10:11:23.000000Z");
    assert!(tcp.is_plain_syn());
    assert_eq!(tcp.tcp_seq, Some(42));
    assert_eq!(tcp.tcp_window, Some(1024));
    let udp = event(&mut parser, all[18]);
    assert_eq!(udp.protocol, Protocol::Udp);
    let icmp = event(&mut parser, all[19]);
    assert_eq!(icmp.protocol, Protocol::Icmp);
    assert_eq!(
        icmp.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(
        parser.parse(all[20]),
        Record::Skipped(SkipReason::NotPacket)
    );
    assert_eq!(parser.parse(all[21]), Record::Skipped(SkipReason::Blank));
}

#[test]
fn tcpdump_malformed_lines() {
    let data = fixture("fwseen-pflog-tcpdump.txt");
    let all = lines(&data);
    let mut parser = tcpdump();
    assert_eq!(
        malformed_reason(&mut parser, all[22]),
        "destination address is invalid"
    );
    assert_eq!(
        malformed_reason(&mut parser, all[23]),
        "source address is invalid"
    );
    assert_eq!(
        malformed_reason(&mut parser, all[24]),
        "destination is not followed by ':'"
    );
    assert_eq!(
        malformed_reason(&mut parser, all[25]),
        "pflog action is unknown"
    );
    assert_eq!(
        parser.parse(b"reading from file /var/log/pflog, link-type PFLOG"),
        Record::Skipped(SkipReason::Header)
    );
}

#[test]
fn tcpdump_sniffing() {
    let data = fixture("fwseen-pflog-tcpdump.txt");
    let all = lines(&data);
    assert!(pf::looks_like_tcpdump(all[0]));
    assert!(pf::looks_like_tcpdump(all[16]));
    assert!(pf::looks_like(all[0]));
    assert!(!pf::looks_like_filterlog(all[0]));
    assert!(!pf::looks_like_tcpdump(
        b"Mar  4 10:11:30 fw1 sshd[1]: rule the world on me > you"
    ));
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut filterlog = filterlog();
    let mut tcpdump = tcpdump();
    let samples: [&[u8]; 8] = [
        b"",
        b"\xff\xfe\x00",
        b"filterlog:",
        b",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
        b"1,,,1,em0,match,block,in,4",
        b"rule",
        b"rule 1/(match) block in on em0:",
        b"Mar 04 99:99:99.999999 rule 1/( pass in on : > :",
    ];
    for sample in samples {
        let _ = filterlog.parse(sample);
        let _ = tcpdump.parse(sample);
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Writes a TCP flag set the way filterlog does.
    fn flag_letters(flags: TcpFlags) -> String {
        let mut letters = String::new();
        for (flag, letter) in [
            (TcpFlags::SYN, 'S'),
            (TcpFlags::ACK, 'A'),
            (TcpFlags::FIN, 'F'),
            (TcpFlags::RST, 'R'),
            (TcpFlags::PSH, 'P'),
            (TcpFlags::URG, 'U'),
            (TcpFlags::ECE, 'E'),
            (TcpFlags::CWR, 'W'),
        ] {
            if flags.contains(flag) {
                letters.push(letter);
            }
        }
        letters
    }

    fn address() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(IpAddr::from),
            any::<[u16; 8]>().prop_map(IpAddr::from),
        ]
    }

    proptest! {
        /// Rendering an event as a filterlog line and reading it back gives the same event.
        #[test]
        fn filterlog_round_trip(
            rule in 0u32..100_000,
            tracker in 0u32..2_000_000_000,
            block in any::<bool>(),
            inbound in any::<bool>(),
            tcp in any::<bool>(),
            ttl in any::<u8>(),
            ip_id in any::<u16>(),
            length in 20u32..65_535,
            (src, dst) in (address(), address()),
            src_port in any::<u16>(),
            dst_port in any::<u16>(),
            flag_bits in 0u16..256,
            sequence in any::<u32>(),
            window in any::<u16>(),
        ) {
            let ipv6 = src.is_ipv6();
            let dst = match (ipv6, dst) {
                (true, IpAddr::V4(v4)) => IpAddr::V6(v4.to_ipv6_mapped()),
                (false, IpAddr::V6(_)) => IpAddr::from([192, 0, 2, 1]),
                (_, same) => same,
            };
            let action = if block { "block" } else { "pass" };
            let direction = if inbound { "in" } else { "out" };
            let (protocol_name, protocol_id) = if tcp { ("tcp", 6) } else { ("udp", 17) };
            let ip_part = if ipv6 {
                format!("6,0x00,0x00000,{ttl},{protocol_name},{protocol_id},{length},{src},{dst}")
            } else {
                format!("4,0x0,,{ttl},{ip_id},0,none,{protocol_id},{protocol_name},{length},{src},{dst}")
            };
            let flags = TcpFlags(flag_bits);
            let transport = if tcp {
                format!("{src_port},{dst_port},0,{},{sequence},,{window},,", flag_letters(flags))
            } else {
                format!("{src_port},{dst_port},8")
            };
            let line = format!(
                "Mar  4 10:11:12 fw filterlog[7]: {rule},,,{tracker},em1,match,{action},{direction},{ip_part},{transport}"
            );
            let event = match filterlog().parse(line.as_bytes()) {
                Record::Event(event) => event,
                other => panic!("{line}: {other:?}"),
            };
            let rule_label = format!("{rule},,,{tracker}");
            prop_assert_eq!(event.rule, Some(rule_label.as_bytes()));
            prop_assert_eq!(event.action, if block { Action::Drop } else { Action::Allow });
            prop_assert_eq!(
                event.direction,
                if inbound { Direction::Inbound } else { Direction::Outbound }
            );
            let interface = Some(&b"em1"[..]);
            prop_assert_eq!(
                (event.in_interface, event.out_interface),
                if inbound { (interface, None) } else { (None, interface) }
            );
            prop_assert_eq!(event.ttl, Some(ttl));
            prop_assert_eq!(event.ip_id, if ipv6 { None } else { Some(u32::from(ip_id)) });
            prop_assert_eq!(event.length, Some(length));
            prop_assert_eq!(event.src, Some(src));
            prop_assert_eq!(event.dst, Some(dst));
            prop_assert_eq!(event.src_port, Some(src_port));
            prop_assert_eq!(event.dst_port, Some(dst_port));
            if tcp {
                prop_assert_eq!(event.protocol, Protocol::Tcp);
                prop_assert_eq!(event.tcp_flags, Some(flags));
                prop_assert_eq!(event.tcp_seq, Some(sequence));
                prop_assert_eq!(event.tcp_window, Some(u32::from(window)));
            } else {
                prop_assert_eq!(event.protocol, Protocol::Udp);
                prop_assert_eq!(event.tcp_flags, None);
            }
        }

        #[test]
        fn filterlog_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = filterlog().parse(&bytes);
        }

        #[test]
        fn tcpdump_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = tcpdump().parse(&bytes);
        }

        #[test]
        fn filterlog_body_fields_never_panic(
            fields in proptest::collection::vec("[0-9a-zA-Z:.]{0,6}", 0..32)
        ) {
            let line = format!("Mar  4 10:11:12 fw filterlog[1]: {}", fields.join(","));
            let _ = filterlog().parse(line.as_bytes());
        }
    }
}
