//! The typed firewall event.
//!
//! Every parser in `fwseen-parse` turns one log record (a line, or a packet of a capture) into an
//! [`Event`]. The event knows nothing of log formats, and nothing of detectors: it is the contract
//! between the two halves of the pipeline.
//!
//! Events borrow their free text (rule labels, interface and host names) from the record they were
//! parsed from, so that parsing allocates nothing per line. Everything else is a plain value.
//! Free text is attacker-influenced bytes: it is never assumed to be UTF-8 and never printed without
//! escaping (that is the report crate's job).

use std::fmt;
use std::net::IpAddr;

mod time;

pub use time::{civil_from_days, days_from_civil, Timestamp};

/// What the firewall did with the packet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Let through (ACCEPT, pass, allow, permit, built a connection).
    Allow,
    /// Silently discarded (DROP, block, deny without an answer).
    Drop,
    /// Refused with an answer (REJECT, an ICMP unreachable or a TCP reset sent back).
    Reject,
    /// Logged without a verdict we can tell (LOG-only rules, AUDIT, session close, ...).
    #[default]
    Other,
}

impl Action {
    /// The lower-case name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Drop => "drop",
            Action::Reject => "reject",
            Action::Other => "other",
        }
    }
}

/// Which way the packet travelled relative to the logging firewall.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Arriving at the firewall host or the network behind it.
    Inbound,
    /// Leaving the firewall host or the network behind it.
    Outbound,
    /// Routed through the firewall from one interface to another.
    Forward,
    /// Between processes of the firewall host itself (loopback).
    Local,
    /// The log does not say.
    #[default]
    Unknown,
}

impl Direction {
    /// The lower-case name used in JSON output (ECS `network.direction` words where ECS has one).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::Forward => "forward",
            Direction::Local => "local",
            Direction::Unknown => "unknown",
        }
    }
}

/// The IP payload protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    Igmp,
    /// Any other IANA protocol number (e.g. 47 GRE, 50 ESP, 132 SCTP).
    Other(u8),
    /// The log gives no protocol.
    #[default]
    Unknown,
}

impl Protocol {
    /// Maps an IANA protocol number to a protocol.
    pub fn from_number(number: u8) -> Protocol {
        match number {
            6 => Protocol::Tcp,
            17 => Protocol::Udp,
            1 => Protocol::Icmp,
            58 => Protocol::Icmpv6,
            2 => Protocol::Igmp,
            n => Protocol::Other(n),
        }
    }

    /// The IANA protocol number, if known.
    pub fn number(self) -> Option<u8> {
        match self {
            Protocol::Tcp => Some(6),
            Protocol::Udp => Some(17),
            Protocol::Icmp => Some(1),
            Protocol::Icmpv6 => Some(58),
            Protocol::Igmp => Some(2),
            Protocol::Other(n) => Some(n),
            Protocol::Unknown => None,
        }
    }

    /// Recognises a protocol name as logs spell it (`TCP`, `udp`, `ICMPv6`, `ipv6-icmp`, `47`).
    pub fn from_name(name: &[u8]) -> Option<Protocol> {
        let mut buf = [0u8; 12];
        if name.is_empty() || name.len() > buf.len() {
            return None;
        }
        for (dst, src) in buf.iter_mut().zip(name) {
            *dst = src.to_ascii_lowercase();
        }
        let lower = &buf[..name.len()];
        Some(match lower {
            b"tcp" => Protocol::Tcp,
            b"udp" => Protocol::Udp,
            b"icmp" => Protocol::Icmp,
            b"icmpv6" | b"ipv6-icmp" | b"icmp6" => Protocol::Icmpv6,
            b"igmp" => Protocol::Igmp,
            digits if digits.iter().all(u8::is_ascii_digit) => {
                let mut n: u32 = 0;
                for d in digits {
                    n = n * 10 + u32::from(d - b'0');
                    if n > 255 {
                        return None;
                    }
                }
                Protocol::from_number(n as u8)
            }
            _ => return None,
        })
    }

    /// The lower-case name used in JSON output (ECS `network.transport`).
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Icmpv6 => "ipv6-icmp",
            Protocol::Igmp => "igmp",
            Protocol::Other(_) => "other",
            Protocol::Unknown => "unknown",
        }
    }

    /// True for the protocols that carry port numbers.
    pub fn has_ports(self) -> bool {
        matches!(
            self,
            Protocol::Tcp | Protocol::Udp | Protocol::Other(132) | Protocol::Other(136)
        )
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::Other(n) => write!(f, "proto-{n}"),
            p => f.write_str(p.as_str()),
        }
    }
}

/// The TCP flag bits, as a set.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TcpFlags(pub u16);

impl TcpFlags {
    pub const FIN: TcpFlags = TcpFlags(0x001);
    pub const SYN: TcpFlags = TcpFlags(0x002);
    pub const RST: TcpFlags = TcpFlags(0x004);
    pub const PSH: TcpFlags = TcpFlags(0x008);
    pub const ACK: TcpFlags = TcpFlags(0x010);
    pub const URG: TcpFlags = TcpFlags(0x020);
    pub const ECE: TcpFlags = TcpFlags(0x040);
    pub const CWR: TcpFlags = TcpFlags(0x080);
    pub const NS: TcpFlags = TcpFlags(0x100);

    /// The flags in the order logs usually print them, with their names.
    pub const NAMED: [(TcpFlags, &'static str); 9] = [
        (TcpFlags::CWR, "CWR"),
        (TcpFlags::ECE, "ECE"),
        (TcpFlags::URG, "URG"),
        (TcpFlags::ACK, "ACK"),
        (TcpFlags::PSH, "PSH"),
        (TcpFlags::RST, "RST"),
        (TcpFlags::SYN, "SYN"),
        (TcpFlags::FIN, "FIN"),
        (TcpFlags::NS, "NS"),
    ];

    pub const fn empty() -> TcpFlags {
        TcpFlags(0)
    }

    pub const fn contains(self, other: TcpFlags) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn intersects(self, other: TcpFlags) -> bool {
        self.0 & other.0 != 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn insert(&mut self, other: TcpFlags) {
        self.0 |= other.0;
    }

    /// Looks a flag up by the name netfilter, pf or tcpdump print for it.
    pub fn from_name(name: &[u8]) -> Option<TcpFlags> {
        Some(match name {
            b"FIN" | b"F" => TcpFlags::FIN,
            b"SYN" | b"S" => TcpFlags::SYN,
            b"RST" | b"R" => TcpFlags::RST,
            b"PSH" | b"P" => TcpFlags::PSH,
            b"ACK" | b"A" | b"." => TcpFlags::ACK,
            b"URG" | b"U" => TcpFlags::URG,
            b"ECE" | b"E" => TcpFlags::ECE,
            b"CWR" | b"C" | b"W" => TcpFlags::CWR,
            b"NS" => TcpFlags::NS,
            _ => return None,
        })
    }
}

impl std::ops::BitOr for TcpFlags {
    type Output = TcpFlags;
    fn bitor(self, rhs: TcpFlags) -> TcpFlags {
        TcpFlags(self.0 | rhs.0)
    }
}

impl fmt::Display for TcpFlags {
    /// Space-separated flag names (`SYN ACK`), or `none` for the empty set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        let mut first = true;
        for (flag, name) in TcpFlags::NAMED {
            if self.contains(flag) {
                if !first {
                    f.write_str(" ")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TcpFlags({self})")
    }
}

/// ICMP or ICMPv6 type and code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Icmp {
    pub icmp_type: u8,
    pub code: u8,
}

/// The header of the packet quoted inside an ICMP error (netfilter prints it in brackets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EmbeddedPacket {
    pub src: Option<IpAddr>,
    pub dst: Option<IpAddr>,
    pub protocol: Protocol,
    pub src_port: Option<u16>,
    pub dst_port: Option<u16>,
}

/// Where an event came from: an input (an index into the caller's list of inputs) and a record
/// number in it (a 1-based line number, or a 1-based packet number for captures).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub input: u32,
    pub record: u64,
}

/// One packet seen by a firewall, as a log recorded it.
///
/// Fields a log does not carry are `None` (or empty for text). Text fields borrow from the record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event<'a> {
    /// When the packet was logged.
    pub time: Option<Timestamp>,
    /// The host that logged it (syslog host name, device name or serial).
    pub observer: Option<&'a [u8]>,
    pub action: Action,
    pub direction: Direction,
    pub in_interface: Option<&'a [u8]>,
    pub out_interface: Option<&'a [u8]>,
    pub protocol: Protocol,
    pub src: Option<IpAddr>,
    pub dst: Option<IpAddr>,
    pub src_port: Option<u16>,
    pub dst_port: Option<u16>,
    /// TCP flags, for TCP packets whose log carries them.
    pub tcp_flags: Option<TcpFlags>,
    /// IPv4 TTL or IPv6 hop limit.
    pub ttl: Option<u8>,
    /// IPv4 identification field (IPv6 fragment id where logged).
    pub ip_id: Option<u32>,
    /// IP packet length in bytes.
    pub length: Option<u32>,
    pub tcp_window: Option<u32>,
    pub tcp_seq: Option<u32>,
    pub icmp: Option<Icmp>,
    /// The packet an ICMP error quotes.
    pub embedded: Option<EmbeddedPacket>,
    /// The rule, prefix, chain or policy label the firewall attached.
    pub rule: Option<&'a [u8]>,
    pub origin: Origin,
}

impl Event<'_> {
    /// True when the event is a TCP packet with exactly SYN set (a connection attempt).
    pub fn is_plain_syn(&self) -> bool {
        self.protocol == Protocol::Tcp
            && self
                .tcp_flags
                .is_some_and(|f| f.0 & 0x3f == TcpFlags::SYN.0)
    }
}
