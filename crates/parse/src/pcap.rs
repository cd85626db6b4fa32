//! Packet captures (pcap and pcapng): every captured frame is one record, and every IPv4 or IPv6
//! packet in it becomes an [`Event`].
//!
//! The capture container is read with the `pcap-parser` crate and the packets are sliced with
//! `etherparse` in its lax mode, so a packet cut short by the snap length keeps whatever headers
//! it still has. Link types: Ethernet (with VLAN tags), raw IP, BSD loopback, Linux cooked
//! captures v1 and v2, NFLOG (whose TLVs are read here by hand: the prefix TLV is the rule label
//! and the payload TLV the IP packet), and BSD pflog (`/var/log/pflog` itself).
//!
//! A capture is not a verdict: events get [`Action::Other`], except pflog, whose header records
//! pf's pass or block. Frames that carry no IP packet (ARP,
//! LLDP, ...) are skipped as [`SkipReason::NotPacket`]; frames that cannot be decoded are
//! malformed, and so is a packet whose time lies outside the time window (see
//! [`crate::time::enforce_window`]). Like the line reader, this module does no I/O of its own
//! choosing.

use std::fmt;
use std::io::{self, Read};
use std::net::IpAddr;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use etherparse::{err::Layer, EtherType, LaxNetSlice, LaxSlicedPacket, TransportSlice};
use fwseen_event::{
    Action, Direction, EmbeddedPacket, Event, Icmp, Origin, Protocol, TcpFlags, Timestamp,
};
use pcap_parser::{Block, PcapBlockOwned, PcapError};

use crate::reader::Counts;
use crate::{Malformed, Record, SkipReason};

/// The initial buffer size given to `pcap-parser`. A block larger than the buffer makes it grow,
/// doubling, up to [`MAX_CAPTURE_BUFFER_LEN`].
const CAPTURE_BUFFER_LEN: usize = 256 << 10;

/// The largest block accepted (real captures stay under 256 KiB per packet); a larger claim means
/// the capture is corrupt.
const MAX_CAPTURE_BUFFER_LEN: usize = 64 << 20;

/// Link-layer header types (the `LINKTYPE_` numbers of tcpdump.org) this module decodes.
pub mod link_type {
    /// BSD loopback: a 4-byte address family in host byte order.
    pub const NULL: i32 = 0;
    pub const ETHERNET: i32 = 1;
    /// Raw IP as written by some BSDs.
    pub const RAW_BSD_12: i32 = 12;
    /// Raw IP as written by OpenBSD.
    pub const RAW_BSD_14: i32 = 14;
    pub const RAW: i32 = 101;
    /// OpenBSD loopback: like NULL, in network byte order.
    pub const LOOP: i32 = 108;
    pub const LINUX_SLL: i32 = 113;
    /// OpenBSD / FreeBSD pflog: a `pfloghdr` (action, interface, rule, direction) then IP.
    pub const PFLOG: i32 = 117;
    pub const IPV4: i32 = 228;
    pub const IPV6: i32 = 229;
    pub const NFLOG: i32 = 239;
    pub const LINUX_SLL2: i32 = 276;
}

/// Why a capture could not be read to its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum CaptureErrorKind {
    /// The input does not start with a pcap or pcapng header.
    NotACapture,
    /// The underlying reader failed (for example a truncated compressed stream).
    Io(io::Error),
    /// The capture's structure is broken in a way that stops reading (a block larger than any
    /// sensible packet, an unparseable block).
    Corrupt(String),
}

/// A capture that could not be read to its end, with everything accounted before the failure.
#[derive(Debug)]
pub struct CaptureError {
    /// The packets read (and handed to the sink) before the error.
    pub counts: Counts,
    /// The byte offset in the (decompressed) input at which reading stopped.
    pub offset: u64,
    pub kind: CaptureErrorKind,
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            CaptureErrorKind::NotACapture => f.write_str("not a pcap or pcapng capture"),
            CaptureErrorKind::Io(err) => write!(
                f,
                "read error after packet {} (byte {} of the decompressed input): {err}",
                self.counts.records, self.offset
            ),
            CaptureErrorKind::Corrupt(what) => write!(
                f,
                "capture is corrupt after packet {} (byte {}): {what}",
                self.counts.records, self.offset
            ),
        }
    }
}

impl std::error::Error for CaptureError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            CaptureErrorKind::Io(err) => Some(err),
            _ => None,
        }
    }
}

/// The length a pcapng block (other than a section header) claims at the start of `data`, when
/// it is less than the 12 bytes of the block's own frame (type, length, trailing length): the
/// capture is corrupt there. `pcap-parser` 0.17 subtracts 12 from that length unchecked for
/// process information blocks (a panic in builds with overflow checks), so it is never handed
/// such a block. `None` when the length is fine or not yet buffered.
fn short_pcapng_block(data: &[u8], big_endian: bool) -> Option<u32> {
    let header = data.get(..8)?;
    if header[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        // A section header sets its own byte order, and pcap-parser checks its length.
        return None;
    }
    let bytes = [header[4], header[5], header[6], header[7]];
    let length = if big_endian {
        u32::from_be_bytes(bytes)
    } else {
        u32::from_le_bytes(bytes)
    };
    (length < 12).then_some(length)
}

/// True when `head` starts like a pcap (either byte order, micro- or nanosecond) or pcapng file.
pub fn looks_like_capture(head: &[u8]) -> bool {
    matches!(
        head.get(..4),
        Some([0xd4, 0xc3, 0xb2, 0xa1])
            | Some([0xa1, 0xb2, 0xc3, 0xd4])
            | Some([0x4d, 0x3c, 0xb2, 0xa1])
            | Some([0xa1, 0xb2, 0x3c, 0x4d])
            | Some([0x0a, 0x0d, 0x0d, 0x0a])
    )
}

/// A reader that turns the first I/O error into an end of input and keeps the error.
///
/// `pcap-parser` reports only that a read failed, and it reads ahead in large pieces: failing at
/// once would lose the complete packets already in its buffer. So the error is held back, the
/// packets before it are counted, and then the error is returned.
struct ErrorDeferringReader<R> {
    inner: R,
    error: Arc<Mutex<Option<io::Error>>>,
    failed: bool,
}

impl<R: Read> Read for ErrorDeferringReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failed {
            return Ok(0);
        }
        loop {
            match self.inner.read(buf) {
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    self.failed = true;
                    if let Ok(mut slot) = self.error.lock() {
                        *slot = Some(err);
                    }
                    return Ok(0);
                }
                ok => return ok,
            }
        }
    }
}

/// What is known about one pcapng interface.
#[derive(Clone, Copy, Debug)]
struct Interface {
    link_type: i32,
    /// Timestamp units per second.
    units_per_second: u64,
    /// Seconds added to every timestamp.
    offset_seconds: i64,
}

/// Reads a pcap or pcapng capture from `reader` and hands `(packet number, record)` for every
/// packet to `sink` (packet numbers are 1-based; events carry them in `origin.record`, with
/// `origin.input = input`).
///
/// A capture that ends inside a packet (a killed `tcpdump`) counts that last packet as malformed
/// and is not an error. A read error of the underlying reader is a [`CaptureError`] carrying the
/// counts so far. The sink may return [`ControlFlow::Break`] to stop early.
pub fn read_capture<R, F>(reader: R, input: u32, mut sink: F) -> Result<Counts, CaptureError>
where
    R: Read + Send,
    F: for<'b> FnMut(u64, Record<'b>) -> ControlFlow<()>,
{
    let io_error = Arc::new(Mutex::new(None));
    let deferring = ErrorDeferringReader {
        inner: reader,
        error: Arc::clone(&io_error),
        failed: false,
    };
    let take_io_error = || io_error.lock().ok().and_then(|mut slot| slot.take());
    let mut counts = Counts::default();
    let mut capture = match pcap_parser::create_reader(CAPTURE_BUFFER_LEN, deferring) {
        Ok(capture) => capture,
        Err(_) => {
            let kind = match take_io_error() {
                Some(err) => CaptureErrorKind::Io(err),
                None => CaptureErrorKind::NotACapture,
            };
            return Err(CaptureError {
                counts,
                offset: 0,
                kind,
            });
        }
    };

    let mut legacy_link_type = None;
    let mut legacy_nanoseconds = false;
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut packet_number: u64 = 0;
    let mut buffer_len = CAPTURE_BUFFER_LEN;

    // The byte order of the current pcapng section (`None` before one, and in a legacy pcap).
    let mut section_big_endian: Option<bool> = None;

    let failure = loop {
        if let Some(big_endian) = section_big_endian {
            if let Some(length) = short_pcapng_block(capture.data(), big_endian) {
                break Some(CaptureErrorKind::Corrupt(format!(
                    "a block claims {length} bytes, less than the 12 of its own frame"
                )));
            }
        }
        match capture.next() {
            Ok((consumed, block)) => {
                let packet = match &block {
                    PcapBlockOwned::LegacyHeader(header) => {
                        legacy_link_type = Some(header.network.0);
                        legacy_nanoseconds = header.is_nanosecond_precision();
                        None
                    }
                    PcapBlockOwned::Legacy(frame) => {
                        let fraction = if legacy_nanoseconds {
                            i64::from(frame.ts_usec) / 1000
                        } else {
                            i64::from(frame.ts_usec)
                        };
                        let micros = i64::from(frame.ts_sec) * 1_000_000 + fraction;
                        let data_len = (frame.caplen as usize).min(frame.data.len());
                        Some((legacy_link_type, Some(micros), &frame.data[..data_len]))
                    }
                    PcapBlockOwned::NG(Block::SectionHeader(header)) => {
                        interfaces.clear();
                        section_big_endian = Some(header.big_endian());
                        None
                    }
                    PcapBlockOwned::NG(Block::InterfaceDescription(description)) => {
                        interfaces.push(Interface {
                            link_type: description.linktype.0,
                            units_per_second: description.ts_resolution().unwrap_or(1_000_000),
                            offset_seconds: description.ts_offset(),
                        });
                        None
                    }
                    PcapBlockOwned::NG(Block::EnhancedPacket(packet)) => {
                        let interface = interfaces.get(packet.if_id as usize).copied();
                        let micros = interface.map(|i| {
                            let raw = (u64::from(packet.ts_high) << 32) | u64::from(packet.ts_low);
                            let units = i.units_per_second.max(1);
                            // Saturating: an `if_tsoffset` near the i64 limits (or a raw count
                            // past them) gives a time outside the window, so a malformed packet.
                            let seconds = i64::try_from(raw / units)
                                .unwrap_or(i64::MAX)
                                .saturating_add(i.offset_seconds);
                            let fraction =
                                (u128::from(raw % units) * 1_000_000 / u128::from(units)) as i64;
                            seconds.saturating_mul(1_000_000).saturating_add(fraction)
                        });
                        let data_len = (packet.caplen as usize).min(packet.data.len());
                        Some((
                            interface.map(|i| i.link_type),
                            micros,
                            &packet.data[..data_len],
                        ))
                    }
                    PcapBlockOwned::NG(Block::SimplePacket(packet)) => {
                        let data_len = (packet.origlen as usize).min(packet.data.len());
                        Some((
                            interfaces.first().map(|i| i.link_type),
                            None,
                            &packet.data[..data_len],
                        ))
                    }
                    PcapBlockOwned::NG(_) => None,
                };
                if let Some((link_type, micros, data)) = packet {
                    packet_number += 1;
                    let record = match link_type {
                        Some(link_type) => {
                            let mut record = decode_frame(link_type, data);
                            if let Record::Event(event) = &mut record {
                                event.time = micros.map(Timestamp::from_unix_micros);
                                event.origin = Origin {
                                    input,
                                    record: packet_number,
                                };
                            }
                            crate::time::enforce_window(record)
                        }
                        None => Record::Malformed(Malformed::new(
                            "packet of an interface the capture never described",
                        )),
                    };
                    counts.add(&record);
                    if sink(packet_number, record).is_break() {
                        return Ok(counts);
                    }
                }
                capture.consume(consumed);
            }
            Err(PcapError::Eof) => break None,
            Err(PcapError::Incomplete(_)) => {
                // Reads never fail here (the reader defers its errors), so this cannot loop:
                // at the end of the input the next call reports `UnexpectedEof`.
                if capture.refill().is_err() {
                    break Some(CaptureErrorKind::Corrupt("refill failed".to_string()));
                }
            }
            Err(PcapError::UnexpectedEof) => {
                // The input ends inside a block: count the cut packet once.
                if !capture.data().is_empty() {
                    packet_number += 1;
                    let record = Record::Malformed(Malformed::new("capture ends inside a packet"));
                    counts.add(&record);
                    let _ = sink(packet_number, record);
                }
                break None;
            }
            Err(PcapError::BufferTooSmall) => {
                buffer_len *= 2;
                if buffer_len > MAX_CAPTURE_BUFFER_LEN || !capture.grow(buffer_len) {
                    break Some(CaptureErrorKind::Corrupt(format!(
                        "a block claims more than {MAX_CAPTURE_BUFFER_LEN} bytes"
                    )));
                }
                if capture.refill().is_err() {
                    break Some(CaptureErrorKind::Corrupt("refill failed".to_string()));
                }
            }
            Err(other) => {
                break Some(CaptureErrorKind::Corrupt(format!(
                    "unreadable block ({other})"
                )))
            }
        }
    };
    // A held-back read error explains the end of the input better than what followed from it.
    let failure = take_io_error().map(CaptureErrorKind::Io).or(failure);
    match failure {
        None => Ok(counts),
        Some(kind) => Err(CaptureError {
            counts,
            offset: capture.consumed() as u64,
            kind,
        }),
    }
}

/// Decodes one captured frame of the given link type.
pub fn decode_frame(link_type: i32, frame: &[u8]) -> Record<'_> {
    match link_type {
        link_type::ETHERNET => match LaxSlicedPacket::from_ethernet(frame) {
            Ok(packet) => from_sliced(packet, Direction::Unknown, None),
            Err(_) => Record::Malformed(Malformed::new("frame shorter than an Ethernet header")),
        },
        link_type::RAW
        | link_type::RAW_BSD_12
        | link_type::RAW_BSD_14
        | link_type::IPV4
        | link_type::IPV6 => from_ip(frame, None),
        link_type::NULL | link_type::LOOP => match frame.get(4..) {
            Some(packet) => match packet.first().map(|b| b >> 4) {
                Some(4) | Some(6) => from_ip(packet, None),
                _ => Record::Skipped(SkipReason::NotPacket),
            },
            None => Record::Malformed(Malformed::new("frame shorter than a loopback header")),
        },
        link_type::LINUX_SLL => {
            if frame.len() < 16 {
                return Record::Malformed(Malformed::new("frame shorter than a Linux SLL header"));
            }
            let packet_type = u16::from_be_bytes([frame[0], frame[1]]);
            let protocol = u16::from_be_bytes([frame[14], frame[15]]);
            from_ether_type(protocol, &frame[16..], sll_direction(packet_type))
        }
        link_type::LINUX_SLL2 => {
            if frame.len() < 20 {
                return Record::Malformed(Malformed::new("frame shorter than a Linux SLL2 header"));
            }
            let protocol = u16::from_be_bytes([frame[0], frame[1]]);
            let packet_type = u16::from(frame[10]);
            from_ether_type(protocol, &frame[20..], sll_direction(packet_type))
        }
        link_type::NFLOG => decode_nflog(frame),
        link_type::PFLOG => decode_pflog(frame),
        _ => Record::Malformed(Malformed::new("link type not supported")),
    }
}

/// The direction a Linux cooked capture's packet type implies.
fn sll_direction(packet_type: u16) -> Direction {
    match packet_type {
        // To this host, broadcast, multicast.
        0..=2 => Direction::Inbound,
        // Sent by this host.
        4 => Direction::Outbound,
        _ => Direction::Unknown,
    }
}

fn from_ether_type(ether_type: u16, payload: &[u8], direction: Direction) -> Record<'_> {
    let packet = LaxSlicedPacket::from_ether_type(EtherType(ether_type), payload);
    from_sliced(packet, direction, None)
}

fn from_ip<'a>(packet: &'a [u8], rule: Option<&'a [u8]>) -> Record<'a> {
    match LaxSlicedPacket::from_ip(packet) {
        Ok(sliced) => from_sliced(sliced, Direction::Unknown, rule),
        Err(_) => Record::Malformed(Malformed::new("not a readable IP packet")),
    }
}

/// Reads an NFLOG frame: a 4-byte header (address family, version, group) and TLVs whose length
/// and type are in the byte order of the capturing host (little-endian almost always; big-endian
/// is tried when little-endian does not fit).
fn decode_nflog(frame: &[u8]) -> Record<'_> {
    let Some(tlvs) = frame.get(4..) else {
        return Record::Malformed(Malformed::new("frame shorter than an NFLOG header"));
    };
    let parsed = read_nflog_tlvs(tlvs, false).or_else(|| read_nflog_tlvs(tlvs, true));
    let Some((payload, prefix)) = parsed else {
        return Record::Malformed(Malformed::at("invalid NFLOG TLV", 4));
    };
    let rule = prefix.filter(|p| !p.is_empty());
    match payload {
        Some(packet) if !packet.is_empty() => from_ip(packet, rule),
        _ => Record::Skipped(SkipReason::NotPacket),
    }
}

/// Reads a pflog frame: a `pfloghdr` whose first byte is its length (the packet starts at that
/// length rounded up to four bytes), with the verdict, the interface, the ruleset name and the
/// direction, then the IP packet. Unlike other captures, pflog records a firewall verdict.
fn decode_pflog(frame: &[u8]) -> Record<'_> {
    /// The offset of `dir`, the last field fwseen reads.
    const DIRECTION_OFFSET: usize = 60;
    let Some(&length) = frame.first() else {
        return Record::Malformed(Malformed::new("frame shorter than a pflog header"));
    };
    let header_len = (usize::from(length) + 3) & !3;
    if header_len <= DIRECTION_OFFSET || frame.len() < header_len {
        return Record::Malformed(Malformed::at("bad pflog header length", 0));
    }
    let action = match frame[2] {
        // PF_PASS
        0 => Action::Allow,
        // PF_DROP, PF_SYNPROXY_DROP
        1 | 10 => Action::Drop,
        // Scrub, NAT, redirection and match rules are not verdicts.
        _ => Action::Other,
    };
    let text_field = |range: std::ops::Range<usize>| {
        let field = &frame[range];
        let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
        Some(&field[..end]).filter(|text| !text.is_empty())
    };
    let interface = text_field(4..20);
    let ruleset = text_field(20..36);
    let direction = match frame[DIRECTION_OFFSET] {
        1 => Direction::Inbound,
        2 => Direction::Outbound,
        _ => Direction::Unknown,
    };
    let mut record = from_ip(&frame[header_len..], ruleset);
    if let Record::Event(event) = &mut record {
        event.action = action;
        event.direction = direction;
        match direction {
            Direction::Outbound => event.out_interface = interface,
            _ => event.in_interface = interface,
        }
    }
    record
}

/// The NFLOG TLV types fwseen reads.
const NFULA_PAYLOAD: u16 = 9;
const NFULA_PREFIX: u16 = 10;

/// Walks NFLOG TLVs; returns the payload and the prefix (without its trailing NULs), or `None`
/// when a TLV length does not fit.
type NflogParts<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);

fn read_nflog_tlvs(mut rest: &[u8], big_endian: bool) -> Option<NflogParts<'_>> {
    let mut payload = None;
    let mut prefix = None;
    while rest.len() >= 4 {
        let (length, tlv_type) = if big_endian {
            (
                u16::from_be_bytes([rest[0], rest[1]]),
                u16::from_be_bytes([rest[2], rest[3]]),
            )
        } else {
            (
                u16::from_le_bytes([rest[0], rest[1]]),
                u16::from_le_bytes([rest[2], rest[3]]),
            )
        };
        let length = usize::from(length);
        if length < 4 || length > rest.len() {
            return None;
        }
        let value = &rest[4..length];
        // The top bits of the type are netlink flags (nested, byte order).
        match tlv_type & 0x3fff {
            NFULA_PAYLOAD => payload = Some(value),
            NFULA_PREFIX => {
                let end = value.iter().position(|&b| b == 0).unwrap_or(value.len());
                prefix = Some(&value[..end]);
            }
            _ => {}
        }
        let padded = (length + 3) & !3;
        rest = rest.get(padded..).unwrap_or(&[]);
    }
    Some((payload, prefix))
}

/// Turns a sliced packet into a record.
fn from_sliced<'a>(
    packet: LaxSlicedPacket<'a>,
    direction: Direction,
    rule: Option<&'a [u8]>,
) -> Record<'a> {
    let mut event = Event {
        action: Action::Other,
        direction,
        rule,
        ..Event::default()
    };
    let ip_payload = match &packet.net {
        Some(LaxNetSlice::Ipv4(ipv4)) => {
            let header = ipv4.header();
            event.src = Some(IpAddr::V4(header.source_addr()));
            event.dst = Some(IpAddr::V4(header.destination_addr()));
            event.ttl = Some(header.ttl());
            event.ip_id = Some(u32::from(header.identification()));
            event.length = Some(u32::from(header.total_len()));
            ipv4.payload()
        }
        Some(LaxNetSlice::Ipv6(ipv6)) => {
            let header = ipv6.header();
            event.src = Some(IpAddr::V6(header.source_addr()));
            event.dst = Some(IpAddr::V6(header.destination_addr()));
            event.ttl = Some(header.hop_limit());
            event.length = Some(u32::from(header.payload_length()) + 40);
            ipv6.payload()
        }
        Some(LaxNetSlice::Arp(_)) => return Record::Skipped(SkipReason::NotPacket),
        None => {
            // Slicing stopped before an IP header: malformed when it stopped in a layer that
            // leads to IP, otherwise (ARP, MACsec, an unknown ether type) not a packet of ours.
            return match &packet.stop_err {
                Some((_, layer)) => match layer_reason(*layer) {
                    Some(reason) => Record::Malformed(Malformed::new(reason)),
                    None => Record::Skipped(SkipReason::NotPacket),
                },
                None => Record::Skipped(SkipReason::NotPacket),
            };
        }
    };
    event.protocol = Protocol::from_number(ip_payload.ip_number.0);
    match &packet.transport {
        Some(TransportSlice::Tcp(tcp)) => {
            event.src_port = Some(tcp.source_port());
            event.dst_port = Some(tcp.destination_port());
            event.tcp_seq = Some(tcp.sequence_number());
            event.tcp_window = Some(u32::from(tcp.window_size()));
            let mut flags = TcpFlags::empty();
            for (set, flag) in [
                (tcp.fin(), TcpFlags::FIN),
                (tcp.syn(), TcpFlags::SYN),
                (tcp.rst(), TcpFlags::RST),
                (tcp.psh(), TcpFlags::PSH),
                (tcp.ack(), TcpFlags::ACK),
                (tcp.urg(), TcpFlags::URG),
                (tcp.ece(), TcpFlags::ECE),
                (tcp.cwr(), TcpFlags::CWR),
                (tcp.ns(), TcpFlags::NS),
            ] {
                if set {
                    flags.insert(flag);
                }
            }
            event.tcp_flags = Some(flags);
        }
        Some(TransportSlice::Udp(udp)) => {
            event.src_port = Some(udp.source_port());
            event.dst_port = Some(udp.destination_port());
        }
        Some(TransportSlice::Icmpv4(icmp)) => {
            event.icmp = Some(Icmp {
                icmp_type: icmp.type_u8(),
                code: icmp.code_u8(),
            });
            // Destination unreachable, source quench, redirect, time exceeded, parameter problem.
            if matches!(icmp.type_u8(), 3 | 4 | 5 | 11 | 12) {
                event.embedded = embedded_packet(icmp.payload());
            }
        }
        Some(TransportSlice::Icmpv6(icmp)) => {
            event.icmp = Some(Icmp {
                icmp_type: icmp.type_u8(),
                code: icmp.code_u8(),
            });
            // Destination unreachable, packet too big, time exceeded, parameter problem.
            if matches!(icmp.type_u8(), 1..=4) {
                event.embedded = embedded_packet(icmp.payload());
            }
        }
        Some(TransportSlice::Igmp(_)) => {}
        None => {
            // A transport header cut short: keep the ports when the first four bytes are there.
            if !ip_payload.fragmented && event.protocol.has_ports() {
                if let Some(ports) = ip_payload.payload.get(..4) {
                    event.src_port = Some(u16::from_be_bytes([ports[0], ports[1]]));
                    event.dst_port = Some(u16::from_be_bytes([ports[2], ports[3]]));
                }
            }
        }
    }
    Record::Event(event)
}

/// Reads the header of the packet an ICMP error quotes (an IP header and at least eight bytes of
/// its payload, which is where the ports are).
fn embedded_packet(quoted: &[u8]) -> Option<EmbeddedPacket> {
    let sliced = LaxSlicedPacket::from_ip(quoted).ok()?;
    let (src, dst, payload) = match &sliced.net {
        Some(LaxNetSlice::Ipv4(ipv4)) => (
            IpAddr::V4(ipv4.header().source_addr()),
            IpAddr::V4(ipv4.header().destination_addr()),
            ipv4.payload(),
        ),
        Some(LaxNetSlice::Ipv6(ipv6)) => (
            IpAddr::V6(ipv6.header().source_addr()),
            IpAddr::V6(ipv6.header().destination_addr()),
            ipv6.payload(),
        ),
        _ => return None,
    };
    let protocol = Protocol::from_number(payload.ip_number.0);
    let ports = if protocol.has_ports() && !payload.fragmented {
        payload.payload.get(..4).map(|p| {
            (
                u16::from_be_bytes([p[0], p[1]]),
                u16::from_be_bytes([p[2], p[3]]),
            )
        })
    } else {
        None
    };
    Some(EmbeddedPacket {
        src: Some(src),
        dst: Some(dst),
        protocol,
        src_port: ports.map(|p| p.0),
        dst_port: ports.map(|p| p.1),
    })
}

/// The malformed reason for a packet whose slicing stopped in a layer on the way to IP, or `None`
/// when the layer where it stopped is not one that carries IP.
fn layer_reason(layer: Layer) -> Option<&'static str> {
    Some(match layer {
        Layer::Ethernet2Header => "truncated Ethernet header",
        Layer::LinuxSllHeader => "truncated Linux SLL header",
        Layer::VlanHeader => "truncated VLAN header",
        Layer::Ipv4Header | Layer::Ipv4Packet => "truncated or invalid IPv4 header",
        Layer::Ipv6Header | Layer::Ipv6Packet => "truncated or invalid IPv6 header",
        Layer::IpHeader => "truncated or invalid IP header",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_magic_is_recognised() {
        assert!(looks_like_capture(&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0]));
        assert!(looks_like_capture(&[0x0a, 0x0d, 0x0d, 0x0a]));
        assert!(!looks_like_capture(b"Jan  1 00:00:00"));
        assert!(!looks_like_capture(&[0xd4]));
    }

    #[test]
    fn nflog_tlvs_in_either_byte_order() {
        // A prefix TLV ("ab\0", padded) then a payload TLV of four bytes.
        let le = [7, 0, 10, 0, b'a', b'b', 0, 0, 8, 0, 9, 0, 0x45, 0, 0, 20];
        let (payload, prefix) = read_nflog_tlvs(&le, false).unwrap();
        assert_eq!(prefix, Some(&b"ab"[..]));
        assert_eq!(payload, Some(&[0x45, 0, 0, 20][..]));
        let be = [0, 7, 0, 10, b'a', b'b', 0, 0, 0, 8, 0, 9, 0x45, 0, 0, 20];
        assert!(read_nflog_tlvs(&be, false).is_none());
        assert_eq!(read_nflog_tlvs(&be, true).unwrap().1, Some(&b"ab"[..]));
    }

    #[test]
    fn garbage_frames_never_panic() {
        for link in [0, 1, 12, 14, 101, 108, 113, 117, 228, 229, 239, 276, 9999] {
            for len in 0..64usize {
                let frame: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
                let _ = decode_frame(link, &frame);
            }
        }
    }
}
