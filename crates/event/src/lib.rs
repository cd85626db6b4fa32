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

/// The state a connection record ends in: Zeek's `conn_state` codes, which say how far the
/// connection got and which side ended it.
///
/// "Originator" is the side that (Zeek believes) opened the connection, "responder" the other.
/// The meanings below are those of Zeek's conn.log documentation. For TCP they come from the
/// handshake and teardown Zeek saw; for UDP Zeek only knows whether each side sent anything
/// (`SF` both did, `S0` only the originator, `SHR` only the responder, `OTH` neither was seen
/// starting it); ICMP and other protocols are always `OTH`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConnState {
    /// `S0`: connection attempt seen, no reply.
    S0,
    /// `S1`: connection established, not terminated.
    S1,
    /// `SF`: normal establishment and termination (for UDP: both sides sent something).
    SF,
    /// `REJ`: connection attempt rejected (the responder answered the SYN with a RST).
    Rej,
    /// `S2`: connection established and close attempt by the originator seen (but no reply from
    /// the responder).
    S2,
    /// `S3`: connection established and close attempt by the responder seen (but no reply from
    /// the originator).
    S3,
    /// `RSTO`: connection established, the originator aborted (sent a RST).
    Rsto,
    /// `RSTR`: the responder sent a RST (after the attempt stage, which would be `REJ`).
    Rstr,
    /// `RSTOS0`: the originator sent a SYN followed by a RST; no SYN-ACK from the responder was
    /// seen.
    Rstos0,
    /// `RSTRH`: the responder sent a SYN-ACK followed by a RST; no SYN from the (purported)
    /// originator was seen.
    Rstrh,
    /// `SH`: the originator sent a SYN followed by a FIN; no SYN-ACK from the responder was seen
    /// (the connection was "half" open).
    Sh,
    /// `SHR`: the responder sent a SYN-ACK followed by a FIN; no SYN from the originator was seen
    /// (for UDP: only the responder sent anything).
    Shr,
    /// `OTH`: no SYN seen, just mid-stream traffic (a partial connection that was not later
    /// closed); also every ICMP record and records of other non-TCP, non-UDP protocols.
    Oth,
    /// The record gave no state, or one this version does not know.
    #[default]
    Unknown,
}

impl ConnState {
    /// Every known state, in the order of Zeek's documentation.
    pub const ALL: [ConnState; 13] = [
        ConnState::S0,
        ConnState::S1,
        ConnState::SF,
        ConnState::Rej,
        ConnState::S2,
        ConnState::S3,
        ConnState::Rsto,
        ConnState::Rstr,
        ConnState::Rstos0,
        ConnState::Rstrh,
        ConnState::Sh,
        ConnState::Shr,
        ConnState::Oth,
    ];

    /// Reads a `conn_state` code (`SF`, `REJ`, ...; ASCII case is ignored). Anything else is
    /// [`ConnState::Unknown`].
    pub fn from_code(code: &[u8]) -> ConnState {
        ConnState::ALL
            .into_iter()
            .find(|state| {
                state
                    .code()
                    .is_some_and(|known| known.as_bytes().eq_ignore_ascii_case(code))
            })
            .unwrap_or(ConnState::Unknown)
    }

    /// The code as Zeek writes it (`SF`, `REJ`, `RSTOS0`); `None` for [`ConnState::Unknown`].
    pub fn code(self) -> Option<&'static str> {
        Some(match self {
            ConnState::S0 => "S0",
            ConnState::S1 => "S1",
            ConnState::SF => "SF",
            ConnState::Rej => "REJ",
            ConnState::S2 => "S2",
            ConnState::S3 => "S3",
            ConnState::Rsto => "RSTO",
            ConnState::Rstr => "RSTR",
            ConnState::Rstos0 => "RSTOS0",
            ConnState::Rstrh => "RSTRH",
            ConnState::Sh => "SH",
            ConnState::Shr => "SHR",
            ConnState::Oth => "OTH",
            ConnState::Unknown => return None,
        })
    }
}

/// One side of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// The side that opened the connection (the event's source).
    Originator,
    /// The side it was opened to (the event's destination).
    Responder,
}

/// A kind of packet a connection history records (Zeek's `history` letters, upper-case for the
/// originator and lower-case for the responder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HistoryMark {
    /// `S`: a SYN without ACK.
    Syn,
    /// `H`: a SYN-ACK (the second step of the handshake).
    SynAck,
    /// `A`: a pure ACK (no payload, no SYN, FIN or RST).
    Ack,
    /// `D`: a packet with payload.
    Data,
    /// `F`: a packet with FIN set.
    Fin,
    /// `R`: a packet with RST set.
    Rst,
    /// `C`: a packet with a bad checksum.
    BadChecksum,
    /// `G`: a content gap.
    ContentGap,
    /// `I`: an inconsistent packet (FIN and RST both set).
    FinRst,
    /// `Q`: a multi-flag packet (SYN with FIN or RST).
    MultiFlag,
    /// `T`: a retransmitted payload.
    Retransmission,
    /// `W`: a zero-window advertisement.
    ZeroWindow,
}

impl HistoryMark {
    /// Every mark, in the order of [`HistoryMark::letter`]'s Zeek letters `SHADFRCGIQTW`.
    pub const ALL: [HistoryMark; 12] = [
        HistoryMark::Syn,
        HistoryMark::SynAck,
        HistoryMark::Ack,
        HistoryMark::Data,
        HistoryMark::Fin,
        HistoryMark::Rst,
        HistoryMark::BadChecksum,
        HistoryMark::ContentGap,
        HistoryMark::FinRst,
        HistoryMark::MultiFlag,
        HistoryMark::Retransmission,
        HistoryMark::ZeroWindow,
    ];

    /// The upper-case (originator's) letter Zeek writes for the mark.
    pub const fn letter(self) -> u8 {
        match self {
            HistoryMark::Syn => b'S',
            HistoryMark::SynAck => b'H',
            HistoryMark::Ack => b'A',
            HistoryMark::Data => b'D',
            HistoryMark::Fin => b'F',
            HistoryMark::Rst => b'R',
            HistoryMark::BadChecksum => b'C',
            HistoryMark::ContentGap => b'G',
            HistoryMark::FinRst => b'I',
            HistoryMark::MultiFlag => b'Q',
            HistoryMark::Retransmission => b'T',
            HistoryMark::ZeroWindow => b'W',
        }
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// Which kinds of packet each side of a connection sent at least once, as its record's history
/// shows (a set: not how many, nor in what order). Empty when the record has no history.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct History {
    originator: u16,
    responder: u16,
    flipped: bool,
}

impl History {
    /// The empty history.
    pub const fn new() -> History {
        History {
            originator: 0,
            responder: 0,
            flipped: false,
        }
    }

    /// Records that `side` sent a packet of the kind `mark`.
    pub fn insert(&mut self, side: Side, mark: HistoryMark) {
        match side {
            Side::Originator => self.originator |= mark.bit(),
            Side::Responder => self.responder |= mark.bit(),
        }
    }

    /// True when `side` sent a packet of the kind `mark`.
    pub const fn contains(self, side: Side, mark: HistoryMark) -> bool {
        let marks = match side {
            Side::Originator => self.originator,
            Side::Responder => self.responder,
        };
        marks & mark.bit() != 0
    }

    /// True when the history shows `side` sending anything at all.
    pub const fn sent_anything(self, side: Side) -> bool {
        match side {
            Side::Originator => self.originator != 0,
            Side::Responder => self.responder != 0,
        }
    }

    /// True when no packet of either side is recorded.
    pub const fn is_empty(self) -> bool {
        self.originator == 0 && self.responder == 0
    }

    /// True when the monitor swapped originator and responder after the fact (Zeek's `^`: it
    /// saw, say, the SYN-ACK first and concluded its sender was the responder). The other
    /// marks, and the event's source and destination, already follow the swapped roles.
    pub const fn flipped(self) -> bool {
        self.flipped
    }

    /// Sets [`History::flipped`].
    pub fn set_flipped(&mut self, flipped: bool) {
        self.flipped = flipped;
    }
}

impl fmt::Debug for History {
    /// Zeek-style letters in a fixed order: `History(^SAD|had)` (originator upper-case, then the
    /// responder lower-case).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("History(")?;
        if self.flipped {
            f.write_str("^")?;
        }
        for (side, upper) in [(Side::Originator, true), (Side::Responder, false)] {
            if !upper {
                f.write_str("|")?;
            }
            for mark in HistoryMark::ALL {
                if self.contains(side, mark) {
                    let letter = if upper {
                        mark.letter()
                    } else {
                        mark.letter().to_ascii_lowercase()
                    };
                    write!(f, "{}", char::from(letter))?;
                }
            }
        }
        f.write_str(")")
    }
}

/// What a connection record (a flow or session summary such as a Zeek `conn.log` row) says about
/// the whole connection, beyond its first packet.
///
/// Counts are `None` when the log does not carry them (Zeek leaves them unset without its
/// connection-size analyser); a known zero is `Some(0)`.
///
/// The four questions detectors ask are answered by [`Session::answered`],
/// [`Session::established`], [`Session::refused`] and [`Session::unanswered_attempt`]. A
/// record is at most one of established, refused and unanswered attempt; it may be none (`OTH`,
/// `RSTRH`, `SHR`, [`ConnState::Unknown`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Session {
    /// How far the connection got.
    pub state: ConnState,
    /// Which kinds of packet each side sent; empty when the log has no history.
    pub history: History,
    /// Packets the originator sent.
    pub orig_packets: Option<u64>,
    /// Packets the responder sent.
    pub resp_packets: Option<u64>,
    /// Payload bytes the originator sent (Zeek `orig_bytes`: from TCP sequence numbers, so it
    /// counts bytes that were lost to the monitor too).
    pub orig_bytes: Option<u64>,
    /// Payload bytes the responder sent (Zeek `resp_bytes`).
    pub resp_bytes: Option<u64>,
    /// IP-level bytes the originator sent, headers included (Zeek `orig_ip_bytes`).
    pub orig_ip_bytes: Option<u64>,
    /// IP-level bytes the responder sent (Zeek `resp_ip_bytes`).
    pub resp_ip_bytes: Option<u64>,
    /// How long the connection lasted, first packet to last, in microseconds.
    pub duration_micros: Option<i64>,
}

impl Session {
    /// True when the responder sent anything at all: a SYN-ACK, a RST, data, a UDP or ICMP
    /// reply.
    ///
    /// A known responder packet count decides (`resp_packets > 0`). Without one, the states
    /// that need a responder packet (`S1`, `SF`, `REJ`, `S2`, `S3`, `RSTO`, `RSTR`, `RSTRH`,
    /// `SHR`) say yes; for the others (`S0`, `SH`, `RSTOS0`, `OTH`, unknown) the history and
    /// the responder's byte count decide, and with neither the answer is no. So an `OTH` record
    /// with no counts and no history (an ICMP record of an old Zeek) counts as unanswered.
    pub fn answered(&self) -> bool {
        if let Some(packets) = self.resp_packets {
            return packets > 0;
        }
        match self.state {
            ConnState::S1
            | ConnState::SF
            | ConnState::Rej
            | ConnState::S2
            | ConnState::S3
            | ConnState::Rsto
            | ConnState::Rstr
            | ConnState::Rstrh
            | ConnState::Shr => true,
            ConnState::S0
            | ConnState::Sh
            | ConnState::Rstos0
            | ConnState::Oth
            | ConnState::Unknown => {
                self.history.sent_anything(Side::Responder)
                    || self.resp_bytes.is_some_and(|bytes| bytes > 0)
                    || self.resp_ip_bytes.is_some_and(|bytes| bytes > 0)
            }
        }
    }

    /// True when the connection was up: the TCP handshake completed (`S1`, `SF`, `S2`, `S3`,
    /// `RSTO`, and `RSTR` unless [`Session::refused`] says the reset was the refusal of the
    /// attempt). For UDP, `SF` means both sides sent something, which counts as established.
    ///
    /// Zeek also gives `SF` (and `S2`, `S3`, `RSTO`) to a connection it joined mid-stream if it
    /// then saw the teardown; such a connection was up too, even without a visible handshake.
    pub fn established(&self) -> bool {
        match self.state {
            ConnState::S1 | ConnState::SF | ConnState::S2 | ConnState::S3 | ConnState::Rsto => true,
            ConnState::Rstr => !self.refused(),
            _ => false,
        }
    }

    /// True when the responder refused the connection: `REJ` (a RST in answer to the SYN), or
    /// `RSTR` whose history shows the originator's SYN and the responder's RST but neither a
    /// SYN-ACK nor data from the responder (it reset before ever accepting).
    pub fn refused(&self) -> bool {
        match self.state {
            ConnState::Rej => true,
            ConnState::Rstr => {
                let history = self.history;
                history.contains(Side::Originator, HistoryMark::Syn)
                    && history.contains(Side::Responder, HistoryMark::Rst)
                    && !history.contains(Side::Responder, HistoryMark::SynAck)
                    && !history.contains(Side::Responder, HistoryMark::Data)
            }
            _ => false,
        }
    }

    /// True when the originator tried to open a connection and the responder never answered:
    /// `S0` (a SYN, or for UDP a datagram, and nothing back), `SH` (SYN then FIN) or `RSTOS0`
    /// (SYN then RST), unless [`Session::answered`] finds a responder packet after all. This is
    /// what a probe of a filtered port or an absent host looks like.
    ///
    /// `OTH` records are never attempts (Zeek saw no opening), ICMP included: for an ICMP
    /// request without a reply, ask `!answered()`.
    pub fn unanswered_attempt(&self) -> bool {
        matches!(
            self.state,
            ConnState::S0 | ConnState::Sh | ConnState::Rstos0
        ) && !self.answered()
    }
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
///
/// A connection record (a Zeek `conn.log` row) also becomes one event: its packet fields
/// describe the originator's first packet, and [`Event::session`] what happened to the whole
/// connection. Detectors that count packets should read the session of such events.
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
    /// What the record says about the whole connection, for records that summarise one (Zeek
    /// `conn.log`); `None` for a log of single packets.
    pub session: Option<Session>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn session(state: ConnState) -> Session {
        Session {
            state,
            ..Session::default()
        }
    }

    fn history(originator: &[HistoryMark], responder: &[HistoryMark]) -> History {
        let mut history = History::new();
        for &mark in originator {
            history.insert(Side::Originator, mark);
        }
        for &mark in responder {
            history.insert(Side::Responder, mark);
        }
        history
    }

    #[test]
    fn conn_state_codes_round_trip() {
        for state in ConnState::ALL {
            let code = state.code().unwrap();
            assert_eq!(ConnState::from_code(code.as_bytes()), state);
            assert_eq!(
                ConnState::from_code(code.to_ascii_lowercase().as_bytes()),
                state
            );
        }
        assert_eq!(ConnState::Unknown.code(), None);
        assert_eq!(ConnState::from_code(b""), ConnState::Unknown);
        assert_eq!(ConnState::from_code(b"SFX"), ConnState::Unknown);
        assert_eq!(ConnState::from_code(b"ESTAB"), ConnState::Unknown);
    }

    #[test]
    fn each_state_answers_the_four_questions() {
        use ConnState::*;
        // state, answered, established, refused, unanswered attempt (no counts, no history)
        let table = [
            (S0, false, false, false, true),
            (S1, true, true, false, false),
            (SF, true, true, false, false),
            (Rej, true, false, true, false),
            (S2, true, true, false, false),
            (S3, true, true, false, false),
            (Rsto, true, true, false, false),
            (Rstr, true, true, false, false),
            (Rstos0, false, false, false, true),
            (Rstrh, true, false, false, false),
            (Sh, false, false, false, true),
            (Shr, true, false, false, false),
            (Oth, false, false, false, false),
            (Unknown, false, false, false, false),
        ];
        for (state, answered, established, refused, attempt) in table {
            let s = session(state);
            assert_eq!(s.answered(), answered, "{state:?} answered");
            assert_eq!(s.established(), established, "{state:?} established");
            assert_eq!(s.refused(), refused, "{state:?} refused");
            assert_eq!(s.unanswered_attempt(), attempt, "{state:?} attempt");
            assert!(u8::from(established) + u8::from(refused) + u8::from(attempt) <= 1);
        }
    }

    #[test]
    fn counts_and_history_decide_answered() {
        // An ICMP echo and its reply: OTH, but the responder sent a packet.
        let mut ping = session(ConnState::Oth);
        ping.resp_packets = Some(1);
        assert!(ping.answered());
        ping.resp_packets = Some(0);
        assert!(!ping.answered());
        // A known zero count wins over the state.
        let mut odd = session(ConnState::SF);
        odd.resp_packets = Some(0);
        assert!(!odd.answered());
        // Without counts, the responder's letters in the history count.
        let mut half = session(ConnState::Sh);
        half.history = history(&[HistoryMark::Syn, HistoryMark::Fin], &[HistoryMark::Data]);
        assert!(half.answered());
        assert!(!half.unanswered_attempt());
        half.history = history(&[HistoryMark::Syn, HistoryMark::Fin], &[]);
        assert!(!half.answered());
        assert!(half.unanswered_attempt());
    }

    #[test]
    fn a_reset_before_any_syn_ack_is_a_refusal() {
        let mut reset = session(ConnState::Rstr);
        reset.history = history(&[HistoryMark::Syn, HistoryMark::Ack], &[HistoryMark::Rst]);
        assert!(reset.refused());
        assert!(!reset.established());
        reset.history = history(
            &[HistoryMark::Syn, HistoryMark::Ack, HistoryMark::Data],
            &[HistoryMark::SynAck, HistoryMark::Rst],
        );
        assert!(!reset.refused());
        assert!(reset.established());
    }

    #[test]
    fn history_is_a_set_per_side() {
        let mut h = history(
            &[HistoryMark::Syn, HistoryMark::Data],
            &[HistoryMark::SynAck],
        );
        assert!(h.contains(Side::Originator, HistoryMark::Syn));
        assert!(!h.contains(Side::Responder, HistoryMark::Syn));
        assert!(h.sent_anything(Side::Responder));
        assert!(!h.is_empty());
        assert!(History::new().is_empty());
        h.set_flipped(true);
        assert!(h.flipped());
        assert_eq!(format!("{h:?}"), "History(^SD|h)");
        for (index, mark) in HistoryMark::ALL.into_iter().enumerate() {
            assert_eq!(b"SHADFRCGIQTW"[index], mark.letter());
        }
    }

    #[test]
    fn events_default_to_no_session() {
        assert_eq!(Event::default().session, None);
    }
}
