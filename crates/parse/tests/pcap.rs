//! Captures: the committed pcap fixtures, and small captures built here for every link type.

use std::io::{self, Read};
use std::net::IpAddr;
use std::ops::ControlFlow;

use etherparse::PacketBuilder;
use fwseen_event::{Action, Direction, Event, Protocol, TcpFlags};
use fwseen_parse::pcap::{read_capture, CaptureErrorKind};
use fwseen_parse::reader::Counts;
use fwseen_parse::{Record, SkipReason};

/// An owned copy of what a test needs from a record.
#[derive(Debug, Clone)]
enum Seen {
    Event(Box<OwnedEvent>),
    Skipped(SkipReason),
    Malformed(&'static str),
}

#[derive(Debug, Clone)]
struct OwnedEvent {
    event: Event<'static>,
    rule: Option<Vec<u8>>,
    in_interface: Option<Vec<u8>>,
    out_interface: Option<Vec<u8>>,
}

fn read(bytes: &[u8]) -> (Counts, Vec<(u64, Seen)>) {
    let mut seen = Vec::new();
    let counts = read_capture(bytes, 3, |number, record| {
        let item = match record {
            Record::Event(event) => {
                assert_eq!(event.origin.input, 3);
                assert_eq!(event.origin.record, number);
                let rule = event.rule.map(<[u8]>::to_vec);
                let in_interface = event.in_interface.map(<[u8]>::to_vec);
                let out_interface = event.out_interface.map(<[u8]>::to_vec);
                let owned = Event {
                    rule: None,
                    observer: None,
                    in_interface: None,
                    out_interface: None,
                    ..event
                };
                Seen::Event(Box::new(OwnedEvent {
                    event: owned,
                    rule,
                    in_interface,
                    out_interface,
                }))
            }
            Record::Skipped(reason) => Seen::Skipped(reason),
            Record::Malformed(m) => Seen::Malformed(m.reason),
        };
        seen.push((number, item));
        ControlFlow::Continue(())
    })
    .expect("capture reads");
    assert!(counts.is_balanced());
    assert_eq!(counts.records as usize, seen.len());
    (counts, seen)
}

fn events(seen: &[(u64, Seen)]) -> Vec<OwnedEvent> {
    seen.iter()
        .filter_map(|(_, s)| match s {
            Seen::Event(e) => Some(OwnedEvent::clone(e)),
            _ => None,
        })
        .collect()
}

/// A little-endian microsecond pcap file of the given link type.
fn pcap_file(link_type: u32, packets: &[Vec<u8>]) -> Vec<u8> {
    let mut file = Vec::new();
    file.extend([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]);
    file.extend(0i32.to_le_bytes());
    file.extend(0u32.to_le_bytes());
    file.extend(65535u32.to_le_bytes());
    file.extend(link_type.to_le_bytes());
    for (i, packet) in packets.iter().enumerate() {
        file.extend((1_700_000_000u32 + i as u32).to_le_bytes());
        file.extend(250_000u32.to_le_bytes());
        file.extend((packet.len() as u32).to_le_bytes());
        file.extend((packet.len() as u32 + 10).to_le_bytes());
        file.extend(packet);
    }
    file
}

/// A little-endian pcapng file with one interface of the given link type and resolution.
fn pcapng_file(link_type: u16, tsresol: u8, packets: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut file = Vec::new();
    // Section header block.
    file.extend(0x0a0d0d0au32.to_le_bytes());
    file.extend(28u32.to_le_bytes());
    file.extend(0x1a2b3c4du32.to_le_bytes());
    file.extend(1u16.to_le_bytes());
    file.extend(0u16.to_le_bytes());
    file.extend((-1i64).to_le_bytes());
    file.extend(28u32.to_le_bytes());
    // Interface description block with an if_tsresol option.
    let idb_len = 20u32 + 8 + 4;
    file.extend(1u32.to_le_bytes());
    file.extend(idb_len.to_le_bytes());
    file.extend(link_type.to_le_bytes());
    file.extend(0u16.to_le_bytes());
    file.extend(0u32.to_le_bytes());
    file.extend(9u16.to_le_bytes());
    file.extend(1u16.to_le_bytes());
    file.extend([tsresol, 0, 0, 0]);
    file.extend(0u32.to_le_bytes());
    file.extend(idb_len.to_le_bytes());
    for (timestamp, packet) in packets {
        let padded = (packet.len() + 3) & !3;
        let block_len = 32 + padded as u32;
        file.extend(6u32.to_le_bytes());
        file.extend(block_len.to_le_bytes());
        file.extend(0u32.to_le_bytes());
        file.extend(((timestamp >> 32) as u32).to_le_bytes());
        file.extend((*timestamp as u32).to_le_bytes());
        file.extend((packet.len() as u32).to_le_bytes());
        file.extend((packet.len() as u32).to_le_bytes());
        file.extend(packet);
        file.extend(std::iter::repeat_n(0u8, padded - packet.len()));
        file.extend(block_len.to_le_bytes());
    }
    file
}

fn tcp_syn_ipv4() -> Vec<u8> {
    let builder = PacketBuilder::ipv4([192, 0, 2, 10], [198, 51, 100, 7], 51)
        .tcp(40123, 23, 0x1234_5678, 1024)
        .syn()
        .ece()
        .cwr();
    let mut packet = Vec::new();
    builder.write(&mut packet, &[]).unwrap();
    packet
}

fn udp_ipv6() -> Vec<u8> {
    let builder = PacketBuilder::ipv6(
        [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
        64,
    )
    .udp(5353, 53);
    let mut packet = Vec::new();
    builder.write(&mut packet, b"query").unwrap();
    packet
}

fn ethernet(ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
    frame.extend(ether_type.to_be_bytes());
    frame.extend(payload);
    frame
}

fn assert_tcp_syn(event: &Event<'_>) {
    assert_eq!(event.action, Action::Other);
    assert_eq!(event.protocol, Protocol::Tcp);
    assert_eq!(event.src, Some(IpAddr::from([192, 0, 2, 10])));
    assert_eq!(event.dst, Some(IpAddr::from([198, 51, 100, 7])));
    assert_eq!((event.src_port, event.dst_port), (Some(40123), Some(23)));
    assert_eq!(
        event.tcp_flags,
        Some(TcpFlags::SYN | TcpFlags::ECE | TcpFlags::CWR)
    );
    assert_eq!(event.ttl, Some(51));
    assert_eq!(event.length, Some(40));
    assert_eq!(event.tcp_seq, Some(0x1234_5678));
    assert_eq!(event.tcp_window, Some(1024));
}

#[test]
fn ethernet_ipv4_tcp_with_time() {
    let file = pcap_file(1, &[ethernet(0x0800, &tcp_syn_ipv4())]);
    let (counts, seen) = read(&file);
    assert_eq!(counts.events, 1);
    let event = &events(&seen)[0].event;
    assert_tcp_syn(event);
    assert_eq!(
        event.time.unwrap().unix_micros,
        1_700_000_000 * 1_000_000 + 250_000
    );
    assert_eq!(event.origin.record, 1);
    assert!(event.is_plain_syn() || event.tcp_flags.unwrap().contains(TcpFlags::ECE));
}

#[test]
fn vlan_tagged_frame() {
    let mut payload = vec![0x00, 0x2a, 0x08, 0x00];
    payload.extend(tcp_syn_ipv4());
    let file = pcap_file(1, &[ethernet(0x8100, &payload)]);
    let (_, seen) = read(&file);
    assert_tcp_syn(&events(&seen)[0].event);
}

#[test]
fn raw_ip_link_types() {
    for link_type in [101, 228, 12, 14] {
        let file = pcap_file(link_type, &[tcp_syn_ipv4()]);
        let (_, seen) = read(&file);
        assert_tcp_syn(&events(&seen)[0].event);
    }
    let file = pcap_file(229, &[udp_ipv6()]);
    let (_, seen) = read(&file);
    let event = &events(&seen)[0].event;
    assert_eq!(event.protocol, Protocol::Udp);
    assert_eq!(event.dst, Some("2001:db8::2".parse().unwrap()));
    assert_eq!(event.dst_port, Some(53));
    assert_eq!(event.ttl, Some(64));
    assert_eq!(event.length, Some(40 + 8 + 5));
}

#[test]
fn linux_cooked_captures_give_a_direction() {
    // SLL: packet type 4 (outgoing), ARPHRD_ETHER, address length 6, address, protocol.
    let mut sll = vec![0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x86, 0xdd];
    sll.extend(udp_ipv6());
    // SLL2: protocol, reserved, interface index, ARPHRD_ETHER, packet type 0 (to us), length.
    let mut sll2 = vec![
        0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0,
    ];
    sll2.extend(tcp_syn_ipv4());
    let (_, seen) = read(&pcap_file(113, &[sll]));
    let event = &events(&seen)[0].event;
    assert_eq!(event.direction, Direction::Outbound);
    assert_eq!(event.protocol, Protocol::Udp);
    let (_, seen) = read(&pcap_file(276, &[sll2]));
    let event = &events(&seen)[0].event;
    assert_eq!(event.direction, Direction::Inbound);
    assert_tcp_syn(event);
}

#[test]
fn bsd_loopback() {
    let mut frame = 2u32.to_le_bytes().to_vec();
    frame.extend(tcp_syn_ipv4());
    let (_, seen) = read(&pcap_file(0, &[frame]));
    assert_tcp_syn(&events(&seen)[0].event);
}

#[test]
fn icmp_error_keeps_the_quoted_packet() {
    // The quoted packet: the IP header and UDP header of a traceroute probe.
    let mut quoted = Vec::new();
    PacketBuilder::ipv4([10, 0, 0, 5], [203, 0, 113, 9], 1)
        .udp(33000, 33434)
        .write(&mut quoted, &[0; 12])
        .unwrap();
    quoted.truncate(28);
    let mut packet = Vec::new();
    PacketBuilder::ipv4([192, 0, 2, 1], [10, 0, 0, 5], 250)
        .icmpv4_raw(11, 0, [0; 4])
        .write(&mut packet, &quoted)
        .unwrap();
    let (_, seen) = read(&pcap_file(101, &[packet]));
    let event = &events(&seen)[0].event;
    assert_eq!(event.protocol, Protocol::Icmp);
    let icmp = event.icmp.unwrap();
    assert_eq!((icmp.icmp_type, icmp.code), (11, 0));
    let embedded = event.embedded.unwrap();
    assert_eq!(embedded.protocol, Protocol::Udp);
    assert_eq!(embedded.src, Some(IpAddr::from([10, 0, 0, 5])));
    assert_eq!(embedded.dst, Some(IpAddr::from([203, 0, 113, 9])));
    assert_eq!(embedded.dst_port, Some(33434));

    // ICMPv6 destination unreachable quoting an IPv6 UDP packet.
    let quoted = udp_ipv6();
    let mut packet = Vec::new();
    PacketBuilder::ipv6(
        [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9],
        [0; 16],
        255,
    )
    .icmpv6_raw(1, 4, [0; 4])
    .write(&mut packet, &quoted)
    .unwrap();
    let (_, seen) = read(&pcap_file(101, &[packet]));
    let event = &events(&seen)[0].event;
    assert_eq!(event.protocol, Protocol::Icmpv6);
    assert_eq!(event.embedded.unwrap().dst_port, Some(53));
}

#[test]
fn truncated_packets_keep_what_was_captured() {
    // Cut inside the TCP header: addresses and ports survive, flags do not.
    let mut packet = tcp_syn_ipv4();
    packet.truncate(20 + 6);
    let (counts, seen) = read(&pcap_file(101, &[packet]));
    assert_eq!(counts.events, 1);
    let event = &events(&seen)[0].event;
    assert_eq!(event.protocol, Protocol::Tcp);
    assert_eq!(event.dst_port, Some(23));
    assert_eq!(event.tcp_flags, None);
    // Cut inside the IP header: malformed.
    let mut packet = tcp_syn_ipv4();
    packet.truncate(12);
    let (counts, seen) = read(&pcap_file(1, &[ethernet(0x0800, &packet)]));
    assert_eq!(counts.malformed, 1, "{seen:?}");
    assert!(
        matches!(seen[0].1, Seen::Malformed(reason) if reason.contains("IP")),
        "{seen:?}"
    );
}

#[test]
fn non_ip_frames_are_skipped_and_junk_is_malformed() {
    let arp = ethernet(0x0806, &[0, 1, 8, 0, 6, 4, 0, 1]);
    let lldp = ethernet(0x88cc, &[1, 2, 3]);
    let runt = vec![1, 2, 3];
    let (counts, seen) = read(&pcap_file(1, &[arp, lldp, runt]));
    assert_eq!(counts.skipped_for(SkipReason::NotPacket), 2);
    assert_eq!(counts.malformed, 1);
    assert_eq!(seen[2].0, 3);
    let (counts, _) = read(&pcap_file(147, &[vec![0; 30]]));
    assert_eq!(counts.malformed, 1, "unsupported link types are malformed");
}

#[test]
fn pcapng_with_nanosecond_resolution() {
    let packets = [
        (
            1_700_000_000_123_456_789u64,
            ethernet(0x0800, &tcp_syn_ipv4()),
        ),
        (1_700_000_001_000_000_000u64, ethernet(0x86dd, &udp_ipv6())),
    ];
    let (counts, seen) = read(&pcapng_file(1, 9, &packets));
    assert_eq!(counts.events, 2);
    let all = events(&seen);
    assert_tcp_syn(&all[0].event);
    assert_eq!(
        all[0].event.time.unwrap().unix_micros,
        1_700_000_000_123_456
    );
    assert_eq!(all[1].event.origin.record, 2);
}

#[test]
fn packets_larger_than_the_first_buffer_are_read() {
    // A 300 KiB jumbo "packet" (an IPv4 header claiming less, then padding) in a 1 MiB snaplen.
    let mut big = tcp_syn_ipv4();
    big.resize(300 * 1024, 0);
    let (counts, seen) = read(&pcap_file(101, &[tcp_syn_ipv4(), big, tcp_syn_ipv4()]));
    assert_eq!(counts.events, 3, "{seen:?}");
    // A record claiming 200 MiB, with the bytes really following, is corrupt: the buffer stops
    // growing at its limit instead of following the claim.
    let mut file = pcap_file(101, &[tcp_syn_ipv4()]);
    file.extend(0u32.to_le_bytes());
    file.extend(0u32.to_le_bytes());
    file.extend((200u32 << 20).to_le_bytes());
    file.extend((200u32 << 20).to_le_bytes());
    let endless = (&file[..]).chain(io::repeat(0).take(200 << 20));
    let err = read_capture(endless, 0, |_, _| ControlFlow::Continue(())).unwrap_err();
    assert!(matches!(err.kind, CaptureErrorKind::Corrupt(_)), "{err}");
    assert_eq!(err.counts.events, 1);
}

#[test]
fn capture_cut_inside_a_packet_counts_it_as_malformed() {
    let mut file = pcap_file(101, &[tcp_syn_ipv4(), tcp_syn_ipv4()]);
    file.truncate(file.len() - 7);
    let (counts, seen) = read(&file);
    assert_eq!((counts.records, counts.events, counts.malformed), (2, 1, 1));
    assert!(matches!(seen[1].1, Seen::Malformed(_)));
}

#[test]
fn not_a_capture_and_read_errors() {
    let err = read_capture(&b"Jan  1 00:00:00 host kernel: hello\n"[..], 0, |_, _| {
        ControlFlow::Continue(())
    })
    .unwrap_err();
    assert!(matches!(err.kind, CaptureErrorKind::NotACapture));

    /// Gives the capture header and one packet, then fails.
    struct Failing(Vec<u8>, usize);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1 >= self.0.len() {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "cut gzip"));
            }
            let n = buf.len().min(self.0.len() - self.1);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }
    let file = pcap_file(101, &[tcp_syn_ipv4()]);
    let mut longer = file.clone();
    longer.extend(&file[24..40]);
    let err = read_capture(Failing(longer, 0), 0, |_, _| ControlFlow::Continue(())).unwrap_err();
    match &err.kind {
        CaptureErrorKind::Io(io) => assert_eq!(io.kind(), io::ErrorKind::UnexpectedEof),
        other => panic!("expected an I/O error, got {other:?}"),
    }
    assert_eq!(err.counts.events, 1);
    assert!(err.to_string().contains("cut gzip"), "{err}");
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/data/pcap/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn zeek_nmap_version_scan() {
    let (counts, seen) = read(&fixture("zeek-nmap-vsn.pcap"));
    assert_eq!(counts.records, 547);
    assert_eq!(counts.events, 44);
    assert_eq!(counts.skipped_for(SkipReason::NotPacket), 503, "ARP frames");
    assert_eq!(counts.malformed, 0);
    let first = &events(&seen)[0].event;
    assert_eq!(first.src, Some(IpAddr::from([192, 168, 1, 71])));
    assert_eq!(first.dst, Some(IpAddr::from([192, 168, 1, 1])));
    assert_eq!(first.dst_port, Some(80));
    assert_eq!(first.tcp_flags, Some(TcpFlags::SYN));
}

#[test]
fn zeek_vnc_scanner() {
    let (counts, seen) = read(&fixture("zeek-vnc-scanner.pcap"));
    assert_eq!((counts.records, counts.events), (20, 20));
    assert!(events(&seen)
        .iter()
        .any(|e| e.event.dst_port == Some(5900) || e.event.src_port == Some(5900)));
}

#[test]
fn nflog_captures_carry_packets_and_prefixes() {
    for (name, packets) in [("zeek-nflog-http.pcap", 13), ("arkime-nflog.pcap", 10)] {
        let (counts, seen) = read(&fixture(name));
        assert_eq!(counts.records, packets, "{name}");
        assert_eq!(counts.events, packets, "{name}: {seen:?}");
        for event in events(&seen) {
            assert_eq!(event.event.protocol, Protocol::Tcp, "{name}");
            assert!(event.event.src.is_some() && event.event.dst_port.is_some());
            assert_eq!(event.event.action, Action::Other);
            assert_eq!(event.rule, None, "{name}: the prefix TLVs are empty");
        }
    }
}

/// One NFLOG TLV in little-endian byte order, padded to four bytes.
fn nflog_tlv(tlv_type: u16, value: &[u8]) -> Vec<u8> {
    let mut tlv = ((value.len() + 4) as u16).to_le_bytes().to_vec();
    tlv.extend(tlv_type.to_le_bytes());
    tlv.extend(value);
    while tlv.len() & 3 != 0 {
        tlv.push(0);
    }
    tlv
}

#[test]
fn nflog_prefix_is_the_rule_label() {
    // Header (AF_INET, version 0, group 5), a packet-header TLV, the prefix, the payload.
    let mut frame = vec![2, 0, 0, 5];
    frame.extend(nflog_tlv(1, &[0x08, 0x00, 1, 0]));
    frame.extend(nflog_tlv(10, b"nft-drop-in\0"));
    frame.extend(nflog_tlv(9, &tcp_syn_ipv4()));
    // A frame without a payload TLV carries no packet.
    let mut empty = vec![2, 0, 0, 5];
    empty.extend(nflog_tlv(10, b"x\0"));
    // A TLV whose length runs past the frame is malformed.
    let mut broken = vec![2, 0, 0, 5];
    broken.extend([200, 0, 9, 0, 1, 2]);
    let (counts, seen) = read(&pcap_file(239, &[frame, empty, broken]));
    let all = events(&seen);
    assert_tcp_syn(&all[0].event);
    assert_eq!(all[0].rule.as_deref(), Some(&b"nft-drop-in"[..]));
    assert!(matches!(seen[1].1, Seen::Skipped(SkipReason::NotPacket)));
    assert!(matches!(seen[2].1, Seen::Malformed("invalid NFLOG TLV")));
    assert_eq!((counts.events, counts.skipped, counts.malformed), (1, 1, 1));
}

/// A pflog header as OpenBSD writes it (length 61, rounded to 64 on the wire).
fn pflog_header(action: u8, direction: u8, interface: &[u8], ruleset: &[u8]) -> Vec<u8> {
    let mut header = vec![0u8; 64];
    header[0] = 61;
    header[1] = 2;
    header[2] = action;
    header[4..4 + interface.len()].copy_from_slice(interface);
    header[20..20 + ruleset.len()].copy_from_slice(ruleset);
    header[36..40].copy_from_slice(&7u32.to_be_bytes());
    header[60] = direction;
    header
}

#[test]
fn pflog_records_the_verdict_interface_and_direction() {
    let mut blocked = pflog_header(1, 1, b"em0", b"");
    blocked.extend(tcp_syn_ipv4());
    let mut passed = pflog_header(0, 2, b"em1", b"anchor-x");
    passed.extend(udp_ipv6());
    let mut short = pflog_header(1, 1, b"em0", b"");
    short[0] = 200;
    let (counts, seen) = read(&pcap_file(117, &[blocked, passed, short]));
    assert_eq!((counts.events, counts.malformed), (2, 1));
    let all = events(&seen);
    assert_tcp_syn_but_action(&all[0].event, Action::Drop);
    assert_eq!(all[0].event.direction, Direction::Inbound);
    assert_eq!(all[0].rule, None);
    assert_eq!(all[0].in_interface.as_deref(), Some(&b"em0"[..]));
    assert_eq!(all[1].event.action, Action::Allow);
    assert_eq!(all[1].out_interface.as_deref(), Some(&b"em1"[..]));
    assert_eq!(all[1].event.direction, Direction::Outbound);
    assert_eq!(all[1].rule.as_deref(), Some(&b"anchor-x"[..]));
}

fn assert_tcp_syn_but_action(event: &Event<'_>, action: Action) {
    let mut other = event.clone();
    other.action = Action::Other;
    assert_tcp_syn(&other);
    assert_eq!(event.action, action);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes after a valid pcap header, for any link type: no panic, and whatever was
        /// read is accounted for.
        #[test]
        fn pcap_with_arbitrary_records(
            link_type in prop_oneof![
                Just(0u32), Just(1), Just(101), Just(113), Just(117), Just(228), Just(229),
                Just(239), Just(276), any::<u32>()
            ],
            body in proptest::collection::vec(any::<u8>(), 0..400),
        ) {
            let mut file = pcap_file(link_type, &[]);
            file.extend(&body);
            let result = read_capture(&file[..], 0, |_, _| ControlFlow::Continue(()));
            let counts = match result {
                Ok(counts) => counts,
                Err(err) => err.counts,
            };
            prop_assert!(counts.is_balanced());
        }

        /// Frames of arbitrary bytes in well-formed records: one record each, never a panic.
        #[test]
        fn arbitrary_frames(
            link_type in prop_oneof![
                Just(0u32), Just(1), Just(101), Just(113), Just(117), Just(239), Just(276)
            ],
            frames in proptest::collection::vec(
                proptest::collection::vec(any::<u8>(), 0..120), 0..8),
        ) {
            let file = pcap_file(link_type, &frames);
            let counts = read_capture(&file[..], 0, |_, _| ControlFlow::Continue(())).unwrap();
            prop_assert_eq!(counts.records as usize, frames.len());
            prop_assert!(counts.is_balanced());
        }

        /// Arbitrary bytes after a pcapng section header: no panic.
        #[test]
        fn pcapng_with_arbitrary_blocks(body in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut file = pcapng_file(1, 6, &[]);
            file.extend(&body);
            let result = read_capture(&file[..], 0, |_, _| ControlFlow::Continue(()));
            let counts = match result {
                Ok(counts) => counts,
                Err(err) => err.counts,
            };
            prop_assert!(counts.is_balanced());
        }
    }
}
