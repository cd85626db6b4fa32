//! Structure-aware fuzzing of the pcapng reader: the fuzzer's bytes are read (with `arbitrary`)
//! as a list of pcapng blocks (section headers of either byte order, interface descriptions with
//! any link type, `if_tsresol` and `if_tsoffset`, enhanced and simple packets holding well-formed
//! or damaged IPv4 / IPv6 packets behind the link headers fwseen decodes, unknown blocks, raw
//! bytes), which are written out with consistent lengths. Byte-level fuzzing rarely gets a block
//! length, an option list and a packet right at once; this target starts from there.
//!
//! Checks: no panic, every packet counted once, every event's time inside the time window.

#![no_main]

use std::ops::ControlFlow;

use fwseen_parse::Record;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

/// One block of the capture.
#[derive(Arbitrary, Debug)]
enum Block {
    Section {
        big_endian: bool,
        minor: u8,
    },
    Interface(Interface),
    Enhanced(Enhanced),
    Simple {
        packet: Packet,
        original_extra: u8,
    },
    Unknown {
        block_type: u32,
        body: Vec<u8>,
    },
    /// Bytes as they are, breaking the framing.
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Interface {
    link: Link,
    snaplen: u32,
    tsresol: Option<u8>,
    tsoffset: Option<TsOffset>,
    name: Option<Vec<u8>>,
    /// Options of any code, value and length.
    options: Vec<(u16, Vec<u8>)>,
    end_of_options: bool,
}

/// `if_tsoffset`: mostly the edges of the i64 range, where arithmetic overflows.
#[derive(Arbitrary, Debug)]
enum TsOffset {
    Max,
    Min,
    NearMax(u16),
    NearMin(u16),
    Any(i64),
}

impl TsOffset {
    fn value(&self) -> i64 {
        match self {
            TsOffset::Max => i64::MAX,
            TsOffset::Min => i64::MIN,
            TsOffset::NearMax(below) => i64::MAX - i64::from(*below),
            TsOffset::NearMin(above) => i64::MIN + i64::from(*above),
            TsOffset::Any(value) => *value,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Enhanced {
    interface: u8,
    timestamp: Time,
    packet: Packet,
    /// Added to (or, when negative, taken from) the captured length written in the block.
    caplen_skew: i8,
    original_extra: u16,
    options: Vec<(u16, Vec<u8>)>,
}

/// A packet time in interface units: mostly plausible, sometimes extreme.
#[derive(Arbitrary, Debug)]
enum Time {
    /// Microseconds after 2024-03-04T10:11:12Z.
    Recent(u32),
    Max,
    Any(u64),
}

impl Time {
    fn units(&self) -> u64 {
        match self {
            Time::Recent(after) => 1_709_547_072_000_000 + u64::from(*after),
            Time::Max => u64::MAX,
            Time::Any(value) => *value,
        }
    }
}

/// The link types the reader decodes, and any other.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Link {
    Null,
    Ethernet,
    Raw,
    Loop,
    LinuxSll,
    LinuxSll2,
    Pflog,
    Ipv4,
    Ipv6,
    Nflog,
    Other(u16),
}

impl Link {
    fn number(self) -> u16 {
        match self {
            Link::Null => 0,
            Link::Ethernet => 1,
            Link::Raw => 101,
            Link::Loop => 108,
            Link::LinuxSll => 113,
            Link::Pflog => 117,
            Link::Ipv4 => 228,
            Link::Ipv6 => 229,
            Link::Nflog => 239,
            Link::LinuxSll2 => 276,
            Link::Other(number) => number,
        }
    }
}

/// What an enhanced or simple block carries: a link header for one of the link types, then an
/// IP packet, or bytes.
#[derive(Arbitrary, Debug)]
enum Packet {
    Framed {
        link: Link,
        ip: Ip,
        /// Cut this many bytes off the end (a snap length).
        cut: u8,
        /// Flip a bit at (position, bit), as damage.
        flip: Option<(u16, u8)>,
    },
    Bytes(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Ip {
    v6: bool,
    source: [u8; 16],
    destination: [u8; 16],
    ttl: u8,
    transport: Transport,
    payload: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Transport {
    Tcp {
        source: u16,
        destination: u16,
        sequence: u32,
        window: u16,
        flags: u8,
    },
    Udp {
        source: u16,
        destination: u16,
    },
    Icmp {
        kind: u8,
        code: u8,
    },
}

impl Ip {
    fn bytes(&self) -> Vec<u8> {
        use etherparse::PacketBuilder;
        let step = if self.v6 {
            PacketBuilder::ipv6(self.source, self.destination, self.ttl)
        } else {
            let mut source = [0; 4];
            let mut destination = [0; 4];
            source.copy_from_slice(&self.source[..4]);
            destination.copy_from_slice(&self.destination[..4]);
            PacketBuilder::ipv4(source, destination, self.ttl)
        };
        let payload = &self.payload[..self.payload.len().min(1500)];
        let mut out = Vec::new();
        let written = match self.transport {
            Transport::Tcp {
                source,
                destination,
                sequence,
                window,
                flags,
            } => {
                let mut tcp = step.tcp(source, destination, sequence, window);
                if flags & 0x01 != 0 {
                    tcp = tcp.fin();
                }
                if flags & 0x02 != 0 {
                    tcp = tcp.syn();
                }
                if flags & 0x04 != 0 {
                    tcp = tcp.rst();
                }
                if flags & 0x08 != 0 {
                    tcp = tcp.psh();
                }
                if flags & 0x10 != 0 {
                    tcp = tcp.ack(sequence.rotate_left(7));
                }
                if flags & 0x20 != 0 {
                    tcp = tcp.urg(1);
                }
                tcp.write(&mut out, payload)
            }
            Transport::Udp {
                source,
                destination,
            } => step.udp(source, destination).write(&mut out, payload),
            Transport::Icmp { kind, code } => {
                if self.v6 {
                    step.icmpv6_raw(kind, code, [0; 4]).write(&mut out, payload)
                } else {
                    step.icmpv4_raw(kind, code, [0; 4]).write(&mut out, payload)
                }
            }
        };
        if written.is_err() {
            out.clear();
        }
        out
    }
}

impl Packet {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Packet::Bytes(bytes) => bytes.clone(),
            Packet::Framed {
                link,
                ip,
                cut,
                flip,
            } => {
                let ip_bytes = ip.bytes();
                let ether_type: u16 = if ip.v6 { 0x86dd } else { 0x0800 };
                let family: u32 = if ip.v6 { 24 } else { 2 };
                let mut out = Vec::new();
                match link {
                    Link::Null => out.extend(family.to_le_bytes()),
                    Link::Loop => out.extend(family.to_be_bytes()),
                    Link::Ethernet => {
                        out.extend([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2]);
                        out.extend(ether_type.to_be_bytes());
                    }
                    Link::LinuxSll => {
                        out.extend(0u16.to_be_bytes());
                        out.extend(1u16.to_be_bytes());
                        out.extend(6u16.to_be_bytes());
                        out.extend([0x02, 0, 0, 0, 0, 1, 0, 0]);
                        out.extend(ether_type.to_be_bytes());
                    }
                    Link::LinuxSll2 => {
                        out.extend(ether_type.to_be_bytes());
                        out.extend(0u16.to_be_bytes());
                        out.extend(2u32.to_be_bytes());
                        out.extend(1u16.to_be_bytes());
                        out.push(0);
                        out.push(6);
                        out.extend([0x02, 0, 0, 0, 0, 1, 0, 0]);
                    }
                    Link::Pflog => {
                        // struct pfloghdr: length, af, action, reason, ifname[16], ruleset[16],
                        // rulenr, subrulenr, uid, pid, rule_uid, rule_pid, dir, pad[3].
                        let mut header = vec![0u8; 61];
                        header[0] = 61;
                        header[1] = if ip.v6 { 24 } else { 2 };
                        header[2] = 1;
                        header[4..7].copy_from_slice(b"em0");
                        header[57] = 1;
                        out.extend(header);
                        out.extend([0, 0, 0]);
                    }
                    Link::Nflog => {
                        out.push(if ip.v6 { 10 } else { 2 });
                        out.push(0);
                        out.extend(0u16.to_be_bytes());
                        let mut tlv = |kind: u16, value: &[u8]| {
                            let length = 4 + value.len();
                            out.extend((length as u16).to_le_bytes());
                            out.extend(kind.to_le_bytes());
                            out.extend(value);
                            out.extend(std::iter::repeat_n(0, (4 - length % 4) % 4));
                        };
                        tlv(10, b"DROP IN\0");
                        tlv(9, &ip_bytes);
                        return damaged(out, *cut, *flip);
                    }
                    Link::Raw | Link::Ipv4 | Link::Ipv6 | Link::Other(_) => {}
                }
                out.extend(ip_bytes);
                damaged(out, *cut, *flip)
            }
        }
    }
}

/// Cuts `cut` bytes off the end and flips one bit.
fn damaged(mut bytes: Vec<u8>, cut: u8, flip: Option<(u16, u8)>) -> Vec<u8> {
    bytes.truncate(bytes.len().saturating_sub(usize::from(cut)));
    if let Some((position, bit)) = flip {
        if !bytes.is_empty() {
            let at = usize::from(position) % bytes.len();
            bytes[at] ^= 1 << (bit % 8);
        }
    }
    bytes
}

/// Writes blocks in one byte order (that of the last section header).
struct Writer {
    out: Vec<u8>,
    big_endian: bool,
}

impl Writer {
    fn u16(&mut self, value: u16) {
        let bytes = if self.big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        };
        self.out.extend(bytes);
    }

    fn u32(&mut self, value: u32) {
        let bytes = if self.big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        };
        self.out.extend(bytes);
    }

    fn u64(&mut self, value: u64) {
        let bytes = if self.big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        };
        self.out.extend(bytes);
    }

    fn padded(&mut self, bytes: &[u8]) {
        self.out.extend(bytes);
        self.out
            .extend(std::iter::repeat_n(0, (4 - bytes.len() % 4) % 4));
    }

    fn option(&mut self, code: u16, value: &[u8]) {
        let value = &value[..value.len().min(u16::MAX as usize)];
        self.u16(code);
        self.u16(value.len() as u16);
        self.padded(value);
    }

    /// One block: type, total length, body, total length.
    fn block(&mut self, block_type: u32, body: impl FnOnce(&mut Writer)) {
        let start = self.out.len();
        self.u32(block_type);
        self.u32(0);
        body(self);
        self.u32(0);
        let length = (self.out.len() - start) as u32;
        let bytes = if self.big_endian {
            length.to_be_bytes()
        } else {
            length.to_le_bytes()
        };
        self.out[start + 4..start + 8].copy_from_slice(&bytes);
        let end = self.out.len();
        self.out[end - 4..].copy_from_slice(&bytes);
    }
}

fn capture(blocks: &[Block]) -> Vec<u8> {
    let mut writer = Writer {
        out: Vec::new(),
        big_endian: false,
    };
    // A capture starts with a section header (the reader needs one to recognise pcapng).
    let mut blocks_with_start = vec![&Block::Section {
        big_endian: false,
        minor: 0,
    }];
    blocks_with_start.extend(blocks.iter().take(64));
    for block in blocks_with_start {
        match block {
            Block::Section { big_endian, minor } => {
                writer.big_endian = *big_endian;
                writer.block(0x0a0d0d0a, |w| {
                    w.u32(0x1a2b3c4d);
                    w.u16(1);
                    w.u16(u16::from(*minor % 2));
                    w.u64(u64::MAX);
                });
            }
            Block::Interface(interface) => writer.block(1, |w| {
                w.u16(interface.link.number());
                w.u16(0);
                w.u32(interface.snaplen);
                if let Some(tsresol) = interface.tsresol {
                    w.option(9, &[tsresol]);
                }
                if let Some(offset) = &interface.tsoffset {
                    let value = offset.value();
                    let bytes = if w.big_endian {
                        value.to_be_bytes()
                    } else {
                        value.to_le_bytes()
                    };
                    w.option(14, &bytes);
                }
                if let Some(name) = &interface.name {
                    w.option(2, name);
                }
                for (code, value) in interface.options.iter().take(8) {
                    w.option(*code, value);
                }
                if interface.end_of_options {
                    w.option(0, &[]);
                }
            }),
            Block::Enhanced(packet) => writer.block(6, |w| {
                let bytes = packet.packet.bytes();
                let units = packet.timestamp.units();
                let caplen = (bytes.len() as i64 + i64::from(packet.caplen_skew)).max(0) as u32;
                w.u32(u32::from(packet.interface % 4));
                w.u32((units >> 32) as u32);
                w.u32(units as u32);
                w.u32(caplen);
                w.u32(bytes.len() as u32 + u32::from(packet.original_extra));
                w.padded(&bytes);
                for (code, value) in packet.options.iter().take(4) {
                    w.option(*code, value);
                }
            }),
            Block::Simple {
                packet,
                original_extra,
            } => writer.block(3, |w| {
                let bytes = packet.bytes();
                w.u32(bytes.len() as u32 + u32::from(*original_extra));
                w.padded(&bytes);
            }),
            Block::Unknown { block_type, body } => {
                // Not a section header: that one changes the byte order and is made above.
                let block_type = if *block_type == 0x0a0d0d0a {
                    0x0bad
                } else {
                    *block_type
                };
                writer.block(block_type, |w| w.padded(body));
            }
            Block::Raw(bytes) => writer.out.extend(bytes),
        }
    }
    writer.out
}

fuzz_target!(|blocks: Vec<Block>| {
    let bytes = capture(&blocks);
    let mut records = 0u64;
    let result = fwseen_parse::pcap::read_capture(&bytes[..], 0, |_, record| {
        records += 1;
        match record {
            Record::Event(event) => {
                if let Some(time) = event.time {
                    assert!(time.in_window(), "{time:?}");
                }
            }
            Record::Malformed(malformed) => assert!(!malformed.reason.is_empty()),
            Record::Skipped(_) => {}
        }
        ControlFlow::Continue(())
    });
    match result {
        Ok(counts) => {
            assert_eq!(counts.records, records);
            assert!(counts.is_balanced());
        }
        Err(error) => {
            assert_eq!(error.counts.records, records);
            assert!(error.counts.is_balanced());
        }
    }
});
