//! Stateless, per-event classification: which way a packet travelled relative to our network,
//! and which pattern it can feed.
//!
//! This is the first stage of the analyzer and the whole of `fwseen explain`. A label says what
//! one packet could be on its own (a traceroute probe, a RealAudio stream, DHCP or LAN NetBIOS
//! chatter, Quake traffic, a late reply, a probe ...); the analyzer then corrects it with context
//! (answers to our own traffic, ident after our connection) and, for an outsider's packets to
//! traceroute, game and streaming ports, also counts them as probes: whether the source was a
//! scanner is decided by its whole story, not by one packet.

use std::cell::Cell;
use std::net::IpAddr;

use fwseen_event::{Event, Protocol, TcpFlags};
use rustc_hash::FxHashMap;

use crate::config::{Config, IpNet, PRIVATE_NETS};
use crate::kind::Kind;
use crate::ports::{self, role, PortTable, Roles};

/// Which way a packet went, relative to our network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flow {
    /// From outside to one of ours (also used when nothing tells otherwise).
    Inbound,
    /// From one of ours to outside.
    Outbound,
    /// Between two of ours.
    Internal,
}

impl Flow {
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Inbound => "inbound",
            Flow::Outbound => "outbound",
            Flow::Internal => "internal",
        }
    }
}

/// The odd TCP flag combinations of stealth scans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StealthVariant {
    Null,
    Fin,
    Xmas,
    SynFin,
    Ack,
    Other,
}

impl StealthVariant {
    pub const ALL: [StealthVariant; 6] = [
        StealthVariant::Null,
        StealthVariant::Fin,
        StealthVariant::Xmas,
        StealthVariant::SynFin,
        StealthVariant::Ack,
        StealthVariant::Other,
    ];

    /// The `variant` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            StealthVariant::Null => "null",
            StealthVariant::Fin => "fin",
            StealthVariant::Xmas => "xmas",
            StealthVariant::SynFin => "syn-fin",
            StealthVariant::Ack => "ack",
            StealthVariant::Other => "other",
        }
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// Variants no ordinary stack ever sends.
    pub(crate) fn is_crafted(self) -> bool {
        matches!(
            self,
            StealthVariant::Null | StealthVariant::Xmas | StealthVariant::SynFin
        )
    }
}

/// What one event can feed, decided without state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventLabel {
    /// Explained by a benign or noise pattern of this kind; never feeds a scan.
    Benign(Kind),
    /// UDP echo or chargen aimed at a broadcast or network address.
    Fraggle,
    /// ICMP echo request aimed at a broadcast or network address.
    Smurf,
    /// UDP between the echo and chargen ports (a spoofed loop packet).
    EchoChargen,
    /// One of ours calling a backdoor port outside.
    TrojanOutbound,
    /// One of ours calling the Conducent ad server port.
    Conducent,
    /// Any other traffic from one of ours to outside.
    Outbound,
    /// An ICMP echo request (ping).
    EchoRequest,
    /// Any other ICMP message.
    IcmpOther,
    /// A TCP probe with an odd flag combination.
    Stealth(StealthVariant),
    /// A probe to or from port 0.
    PortZero,
    /// An ordinary probe: TCP SYN (or unknown flags), UDP, or another protocol with ports.
    Probe,
    /// A packet whose source address cannot be real on this path (see [`SpoofReason`]).
    Spoofed(SpoofReason),
    /// An ICMP message whose type or code no standard defines (OS-fingerprinting probes).
    IcmpInvalid,
    /// A packet of an IP protocol without ports (GRE, ESP, IGMP, protocol numbers ...): what an
    /// IP-protocol scan sends.
    OtherProtocol,
    /// An answer to traffic one of ours sent (the analyzer sets this when the log shows the
    /// request: a reply is not a probe).
    Answer,
    /// A connection record (Zeek) whose handshake completed: a session, not a probe.
    Session,
    /// Nothing the detectors look at (no ports, no ICMP type, no addresses).
    Unanalysed,
}

/// Why a source address is impossible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpoofReason {
    /// Source and destination are the same address (the "land" attack).
    Land,
    /// A source in 0.0.0.0/8 ("this network"), other than a DHCP client or IGMP.
    ThisNetwork,
    /// A loopback source (127.0.0.0/8, ::1) arriving on a real interface.
    Loopback,
    /// A multicast or broadcast source.
    Multicast,
    /// A source in the reserved 240.0.0.0/4 block (the old class E).
    Reserved,
}

impl SpoofReason {
    /// The `reason` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            SpoofReason::Land => "land",
            SpoofReason::ThisNetwork => "this-network",
            SpoofReason::Loopback => "loopback",
            SpoofReason::Multicast => "multicast",
            SpoofReason::Reserved => "reserved",
        }
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }

    pub(crate) const ALL: [SpoofReason; 5] = [
        SpoofReason::Land,
        SpoofReason::ThisNetwork,
        SpoofReason::Loopback,
        SpoofReason::Multicast,
        SpoofReason::Reserved,
    ];
}

/// Why `event`'s source cannot be genuine, if it cannot: checked for packets that arrived on a
/// real interface (never for loopback traffic), and never for a DHCP client's `0.0.0.0` or an
/// IGMP report.
pub fn spoof_reason(event: &Event<'_>) -> Option<SpoofReason> {
    use fwseen_event::Direction;
    let (src, dst) = (event.src?, event.dst?);
    if event.direction == Direction::Local
        || event
            .in_interface
            .is_some_and(|i| i == b"lo" || i.starts_with(b"lo0"))
        || (event.in_interface.is_none() && event.direction == Direction::Outbound)
    {
        return None;
    }
    if dst.is_loopback() {
        // Loopback to loopback is the host talking to itself (Windows logs it without an
        // interface).
        return None;
    }
    let loopback_from_outside = event.in_interface.is_some();
    if src == dst {
        return Some(SpoofReason::Land);
    }
    match src {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            if o[0] == 0 {
                let dhcp = event.protocol == Protocol::Udp && event.dst_port == Some(67);
                (!dhcp && event.protocol != Protocol::Igmp).then_some(SpoofReason::ThisNetwork)
            } else if o[0] == 127 {
                // Only a named, real interface proves the packet came from outside the host.
                loopback_from_outside.then_some(SpoofReason::Loopback)
            } else if v4.is_broadcast() || v4.is_multicast() {
                Some(SpoofReason::Multicast)
            } else if o[0] >= 240 {
                Some(SpoofReason::Reserved)
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            if v6.is_loopback() {
                loopback_from_outside.then_some(SpoofReason::Loopback)
            } else if v6.is_multicast() {
                Some(SpoofReason::Multicast)
            } else {
                None
            }
        }
    }
}

/// True when no standard defines this ICMP (`v6` false) or ICMPv6 type and code. Nmap's OS
/// detection and similar fingerprinting tools send such messages (an echo request with code 9,
/// unassigned types) to see how a stack answers them.
pub fn icmp_is_invalid(v6: bool, icmp_type: u8, code: u8) -> bool {
    let version = if v6 { 6 } else { 4 };
    if fwseen_kb::icmp(version, icmp_type, None).is_none() {
        return true;
    }
    // Types whose codes the knowledge base lists one by one.
    let listed = if v6 {
        matches!(icmp_type, 1 | 3 | 4)
    } else {
        matches!(icmp_type, 3 | 5 | 11 | 12)
    };
    if listed {
        return fwseen_kb::icmp(version, icmp_type, Some(code)).is_none_or(|e| e.code.is_none());
    }
    let valid = match (v6, icmp_type) {
        (false, 9) => matches!(code, 0 | 16),
        (false, 40) => code <= 5,
        (true, 138) => matches!(code, 0 | 1 | 255),
        (true, 139 | 140) => code <= 2,
        _ => code == 0,
    };
    !valid
}

/// The result of classifying one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classified {
    pub flow: Flow,
    pub label: EventLabel,
    /// The roles of the destination port (see [`crate::ports::role`]).
    pub roles: Roles,
}

/// What we know of our network: configured nets, or addresses learned from the traffic.
///
/// With configured nets (explicit ones, and with `include_private` the [`PRIVATE_NETS`] as well)
/// an address is ours exactly when it is inside one of them: nothing is inferred or learned. With
/// none, private addresses and addresses that received unsolicited probes from many sources are
/// ours, and the event's own direction decides the rest.
///
/// Every event whose flow is asked for is also counted per configured net (once per net, when
/// its source or destination is inside it): see [`Network::hits`].
#[derive(Clone, Debug, Default)]
pub struct Network {
    /// The configured nets, explicit ones first (duplicates removed).
    nets: Vec<IpNet>,
    /// Per configured net: true when it is there only because of `include_private`.
    private: Vec<bool>,
    /// The IPv4 nets as masked integers, for the per-event test.
    v4_nets: Vec<MaskedNet<u32>>,
    /// The IPv6 nets as masked integers.
    v6_nets: Vec<MaskedNet<u128>>,
    learned: FxHashMap<u128, LearnedAddress>,
}

/// One configured net ready for the per-event test, with its event counter.
#[derive(Clone, Debug)]
struct MaskedNet<T> {
    net: T,
    mask: T,
    /// Where the net is in [`Network::nets`].
    index: usize,
    /// Events with an address inside the net. A `Cell` because the flow test runs on a shared
    /// `&Network` (classification is stateless); the analyzer owns its `Network` on one thread.
    hits: Cell<u64>,
}

/// Events seen in one configured home net (see [`crate::Stats::home_net_hits`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HomeNetHits {
    pub net: IpNet,
    /// True when the net is one of [`PRIVATE_NETS`], there because of `include_private` (and not
    /// also given explicitly).
    pub private: bool,
    /// Events whose source or destination address is inside the net; an event counts once per
    /// net, so an event between two of our nets counts in both.
    pub events: u64,
}

/// Counts the nets holding `src` or `dst` and says whether each is inside any of them. Every net
/// is tested (no early exit) so that each gets its count; the nets are few.
#[inline]
fn mark_nets<T>(nets: &[MaskedNet<T>], src: T, dst: T) -> (bool, bool)
where
    T: Copy + PartialEq + std::ops::BitAnd<Output = T>,
{
    let (mut src_ours, mut dst_ours) = (false, false);
    for n in nets {
        let s = src & n.mask == n.net;
        let d = dst & n.mask == n.net;
        if s | d {
            n.hits.set(n.hits.get() + 1);
        }
        src_ours |= s;
        dst_ours |= d;
    }
    (src_ours, dst_ours)
}

#[derive(Clone, Copy, Debug)]
struct LearnedAddress {
    last_source: u128,
    sources: u32,
}

/// An address that got unsolicited probes from this many sources is taken as ours.
const LEARN_MIN_SOURCES: u32 = 5;
const LEARN_CAPACITY: usize = 4096;

/// The integer key of an address (IPv4 addresses as IPv4-mapped IPv6).
#[inline]
pub(crate) fn addr_key(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => 0xffff_0000_0000u128 | u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// The address of an integer key.
pub(crate) fn key_addr(key: u128) -> IpAddr {
    if key >> 32 == 0xffff {
        IpAddr::V4((key as u32).into())
    } else {
        IpAddr::V6(key.into())
    }
}

/// Private, shared, link-local, loopback and unique-local addresses.
pub fn is_internal_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

impl Network {
    /// A network of these configured nets (none: infer; see [`Network`]).
    pub fn new(nets: Vec<IpNet>) -> Network {
        Network::build(nets, false)
    }

    /// The network `config` describes: its `home_nets`, and with `include_private` the
    /// [`PRIVATE_NETS`] not already among them.
    pub fn from_config(config: &Config) -> Network {
        Network::build(config.home_nets.clone(), config.include_private)
    }

    fn build(explicit: Vec<IpNet>, include_private: bool) -> Network {
        let mut nets: Vec<IpNet> = Vec::with_capacity(explicit.len() + PRIVATE_NETS.len());
        for net in explicit {
            if !nets.contains(&net) {
                nets.push(net);
            }
        }
        let mut private = vec![false; nets.len()];
        if include_private {
            for net in PRIVATE_NETS {
                if !nets.contains(&net) {
                    nets.push(net);
                    private.push(true);
                }
            }
        }
        let mut v4_nets = Vec::new();
        let mut v6_nets = Vec::new();
        for (index, n) in nets.iter().enumerate() {
            let hits = Cell::new(0);
            match n.network {
                IpAddr::V4(v4) => {
                    let mask = u32::MAX
                        .checked_shl(32 - u32::from(n.prefix_len))
                        .unwrap_or(0);
                    v4_nets.push(MaskedNet {
                        net: u32::from(v4),
                        mask,
                        index,
                        hits,
                    });
                }
                IpAddr::V6(v6) => {
                    let mask = u128::MAX
                        .checked_shl(128 - u32::from(n.prefix_len))
                        .unwrap_or(0);
                    v6_nets.push(MaskedNet {
                        net: u128::from(v6),
                        mask,
                        index,
                        hits,
                    });
                }
            }
        }
        Network {
            nets,
            private,
            v4_nets,
            v6_nets,
            learned: FxHashMap::default(),
        }
    }

    /// The configured nets with the events counted in each so far, in configuration order
    /// (explicit nets first, then the private ranges `include_private` added). Empty when the
    /// network is inferred.
    pub fn hits(&self) -> Vec<HomeNetHits> {
        let mut out: Vec<HomeNetHits> = self
            .nets
            .iter()
            .zip(&self.private)
            .map(|(&net, &private)| HomeNetHits {
                net,
                private,
                events: 0,
            })
            .collect();
        for (index, hits) in self
            .v4_nets
            .iter()
            .map(|n| (n.index, n.hits.get()))
            .chain(self.v6_nets.iter().map(|n| (n.index, n.hits.get())))
        {
            out[index].events = hits;
        }
        out
    }

    /// True when `ip` is inside a configured net (not counted).
    #[inline]
    fn in_nets(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(v4) => {
                let ip = u32::from(v4);
                self.v4_nets.iter().any(|n| ip & n.mask == n.net)
            }
            IpAddr::V6(v6) => {
                let ip = u128::from(v6);
                self.v6_nets.iter().any(|n| ip & n.mask == n.net)
            }
        }
    }

    /// Whether `src` and `dst` are inside configured nets, counting the event in each net that
    /// holds either.
    #[inline]
    fn mark(&self, src: IpAddr, dst: IpAddr) -> (bool, bool) {
        match (src, dst) {
            (IpAddr::V4(s), IpAddr::V4(d)) => mark_nets(&self.v4_nets, u32::from(s), u32::from(d)),
            (IpAddr::V6(s), IpAddr::V6(d)) => {
                mark_nets(&self.v6_nets, u128::from(s), u128::from(d))
            }
            // Mixed families: no net can hold both, so each side is counted on its own.
            (s, d) => (self.mark_one(s), self.mark_one(d)),
        }
    }

    fn mark_one(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(v4) => mark_nets(&self.v4_nets, u32::from(v4), u32::from(v4)).0,
            IpAddr::V6(v6) => mark_nets(&self.v6_nets, u128::from(v6), u128::from(v6)).0,
        }
    }

    /// True when `ip` is ours: inside a configured net, or (with none configured) private or
    /// learned from the traffic.
    pub fn is_ours(&self, ip: IpAddr) -> bool {
        if !self.nets.is_empty() {
            return self.in_nets(ip);
        }
        is_internal_address(ip) || self.is_learned(ip)
    }

    fn is_learned(&self, ip: IpAddr) -> bool {
        self.learned
            .get(&addr_key(ip))
            .is_some_and(|l| l.sources >= LEARN_MIN_SOURCES)
    }

    /// Notes that `dst` received an unsolicited probe from `src` (used only without home nets).
    pub(crate) fn learn(&mut self, src: IpAddr, dst: IpAddr) {
        if !self.nets.is_empty() || is_internal_address(dst) {
            return;
        }
        let src_key = addr_key(src);
        let len = self.learned.len();
        match self.learned.get_mut(&addr_key(dst)) {
            Some(entry) if entry.last_source != src_key => {
                entry.last_source = src_key;
                entry.sources = entry.sources.saturating_add(1);
            }
            Some(_) => {}
            None if len < LEARN_CAPACITY => {
                self.learned.insert(
                    addr_key(dst),
                    LearnedAddress {
                        last_source: src_key,
                        sources: 1,
                    },
                );
            }
            None => {}
        }
    }

    /// Which way `event` travelled.
    pub fn flow(&self, event: &Event<'_>) -> Flow {
        use fwseen_event::Direction;
        let (Some(src), Some(dst)) = (event.src, event.dst) else {
            return match event.direction {
                Direction::Outbound => Flow::Outbound,
                _ => Flow::Inbound,
            };
        };
        if !self.nets.is_empty() {
            let (src_ours, dst_ours) = self.mark(src, dst);
            return match (src_ours, dst_ours) {
                (true, true) => Flow::Internal,
                (true, false) => Flow::Outbound,
                (false, true) => Flow::Inbound,
                (false, false) => match event.direction {
                    Direction::Outbound => Flow::Outbound,
                    _ => Flow::Inbound,
                },
            };
        }
        let src_internal = is_internal_address(src);
        let dst_internal = is_internal_address(dst);
        match event.direction {
            Direction::Inbound if src_internal && dst_internal => Flow::Internal,
            Direction::Inbound => Flow::Inbound,
            Direction::Outbound if src_internal && dst_internal => Flow::Internal,
            Direction::Outbound => Flow::Outbound,
            Direction::Local => Flow::Internal,
            Direction::Forward | Direction::Unknown => {
                let src_ours = src_internal || self.is_learned(src);
                let dst_ours = dst_internal || self.is_learned(dst);
                match (src_ours, dst_ours) {
                    (true, true) => Flow::Internal,
                    (true, false) => Flow::Outbound,
                    _ => Flow::Inbound,
                }
            }
        }
    }

    /// True when `ip` is a broadcast or network address: 255.255.255.255, the first or last
    /// address of an explicitly configured IPv4 net, or (outside those) an IPv4 address ending in
    /// .0 or .255. The private ranges `include_private` adds are not LANs themselves (a
    /// 192.168.1.0/24 inside 192.168.0.0/16 has its own broadcast address), so inside them the
    /// .0 / .255 rule holds, as without configured nets.
    pub fn is_broadcast(&self, ip: IpAddr) -> bool {
        let IpAddr::V4(v4) = ip else {
            return false;
        };
        if v4.is_broadcast() {
            return true;
        }
        for (net, _) in self.nets.iter().zip(&self.private).filter(|(_, &p)| !p) {
            if net.contains(ip) {
                return net.prefix_len <= 30 && (net.network == ip || net.broadcast() == Some(ip));
            }
        }
        matches!(v4.octets()[3], 0 | 255)
    }
}

/// True for multicast destinations.
fn is_multicast(ip: IpAddr) -> bool {
    ip.is_multicast()
}

/// The stealth variant of a TCP flag set, or `None` for a plain connection attempt.
pub fn stealth_variant(flags: TcpFlags) -> Option<StealthVariant> {
    let f = flags.0 & 0x3f;
    let (fin, syn, rst, psh, ack, urg) = (0x01, 0x02, 0x04, 0x08, 0x10, 0x20);
    let _ = rst;
    Some(if f == syn {
        return None;
    } else if f == 0 {
        StealthVariant::Null
    } else if f & (syn | fin) == syn | fin {
        StealthVariant::SynFin
    } else if f == fin {
        StealthVariant::Fin
    } else if f & (fin | psh | urg) == fin | psh | urg && f & syn == 0 {
        StealthVariant::Xmas
    } else if f == ack {
        StealthVariant::Ack
    } else {
        StealthVariant::Other
    })
}

/// True when a packet is an answer to something, not a probe: a reset, data or a close on a
/// connection the firewall forgot, a SYN-ACK, an ACK from a service port to a client port, or a
/// DNS, NTP or QUIC answer to a client port.
pub fn is_late_reply(
    protocol: Protocol,
    flags: Option<TcpFlags>,
    src_port: u16,
    dst_port: u16,
) -> bool {
    match protocol {
        Protocol::Tcp => {
            let Some(flags) = flags else {
                return false;
            };
            let f = flags.0 & 0x3f;
            let (fin, syn, rst, psh, ack) = (0x01, 0x02, 0x04, 0x08, 0x10);
            if f & rst != 0 && f & (syn | fin) == 0 {
                return true;
            }
            if f & (syn | ack) == syn | ack && f & (fin | rst) == 0 {
                return true;
            }
            if f & ack != 0 && f & (psh | fin) != 0 && f & syn == 0 && f & 0x20 == 0 {
                return true;
            }
            f & ack != 0 && f & syn == 0 && ports::is_service_port(src_port) && dst_port >= 1024
        }
        // NTP servers answer from 123, to 123 when the client is an ntpd.
        Protocol::Udp => {
            (matches!(src_port, 53 | 123 | 443) && dst_port >= 1024)
                || (src_port == 123 && dst_port == 123)
        }
        _ => false,
    }
}

/// Classifies one event (see the module header).
pub fn classify(event: &Event<'_>, network: &Network, table: &PortTable) -> Classified {
    let flow = network.flow(event);
    // Only a few patterns need to know whether the destination is a broadcast address.
    let dst_is_broadcast = || event.dst.is_some_and(|d| network.is_broadcast(d));
    let mut out = Classified {
        flow,
        label: EventLabel::Unanalysed,
        roles: 0,
    };
    if let Some(reason) = spoof_reason(event) {
        out.label = EventLabel::Spoofed(reason);
        return out;
    }
    // The host talking to itself over loopback is its own business.
    if event.src.is_some_and(|s| s.is_loopback()) && event.dst.is_some_and(|d| d.is_loopback()) {
        return out;
    }
    match event.protocol {
        Protocol::Icmp | Protocol::Icmpv6 => {
            let Some(icmp) = event.icmp else {
                return out;
            };
            let v6 = event.protocol == Protocol::Icmpv6;
            out.label = if flow != Flow::Outbound && icmp_is_invalid(v6, icmp.icmp_type, icmp.code)
            {
                EventLabel::IcmpInvalid
            } else if (!v6 && icmp.icmp_type == 11) || (v6 && icmp.icmp_type == 3) {
                EventLabel::Benign(Kind::BenignTracerouteReply)
            } else if (!v6 && icmp.icmp_type == 8) || (v6 && icmp.icmp_type == 128) {
                if dst_is_broadcast() {
                    EventLabel::Smurf
                } else {
                    EventLabel::EchoRequest
                }
            } else {
                EventLabel::IcmpOther
            };
            out
        }
        protocol => {
            let Some(dst_port) = event.dst_port else {
                if matches!(protocol, Protocol::Igmp | Protocol::Other(_)) && event.src.is_some() {
                    out.label = EventLabel::OtherProtocol;
                }
                return out;
            };
            if !(protocol.has_ports() || protocol == Protocol::Unknown) {
                return out;
            }
            let src_port = event.src_port.unwrap_or(u16::MAX);
            let udp = protocol == Protocol::Udp;
            let tcp = protocol == Protocol::Tcp;
            let mut dst_roles = table.roles(protocol, dst_port);
            // Reflector probing is about outsiders probing our amplification services. One of
            // ours asking a DNS or NTP server (the gateway's or one outside) is ordinary service
            // use; one of ours probing many outside reflectors is told by the scan's shape,
            // with `direction=outbound`.
            if flow != Flow::Inbound {
                dst_roles &= !role::REFLECTOR;
            }
            let src_roles = event.src_port.map_or(0, |p| table.roles(protocol, p));
            out.roles = dst_roles;
            let benign = |kind| EventLabel::Benign(kind);
            // Benign and noise patterns first.
            out.label = if udp && dst_roles & src_roles & role::DHCP != 0 {
                benign(Kind::BenignDhcp)
            } else if udp
                && (dst_roles | src_roles) & role::NETBIOS != 0
                && event.src.is_some_and(is_internal_address)
            {
                // NetBIOS chatter is a LAN's: the same packets from the internet are probes.
                benign(Kind::BenignNetbios)
            } else if dst_roles & role::INOCULAN != 0 {
                benign(Kind::BenignInoculan)
            } else if udp
                && dst_roles & role::LAN_DISCOVERY != 0
                && (event.dst.is_some_and(is_multicast) || dst_is_broadcast())
            {
                benign(Kind::BenignLanDiscovery)
            } else if dst_roles & role::POWWOW != 0 {
                benign(Kind::HeartbeatPowwow)
            } else if udp && dst_roles & role::TRACEROUTE != 0 {
                benign(Kind::BenignTraceroute)
            } else if udp && dst_roles & role::STREAMING != 0 {
                benign(Kind::BenignStreaming)
            } else if udp && (dst_roles | src_roles) & role::GAME != 0 {
                benign(Kind::BenignGame)
            } else if is_late_reply(protocol, event.tcp_flags, src_port, dst_port) {
                if ports::is_masquerade_port(dst_port) {
                    benign(Kind::BenignNatSourcePort)
                } else {
                    benign(Kind::BenignLateReply)
                }
            } else if tcp
                && dst_port == 113
                && flow != Flow::Outbound
                && event.tcp_flags.is_none_or(|f| stealth_variant(f).is_none())
            {
                // An ident query opens a connection (SYN); odd flags at 113 are a stealth
                // scan's probe, not a server asking who is connecting.
                benign(Kind::BenignIdent)
            // Single-packet attacks.
            } else if udp && dst_roles & role::FRAGGLE != 0 && dst_is_broadcast() {
                EventLabel::Fraggle
            } else if udp && matches!(src_port, 7 | 19) && matches!(dst_port, 7 | 19) {
                EventLabel::EchoChargen
            } else if flow == Flow::Outbound {
                if dst_roles & role::TROJAN != 0 {
                    EventLabel::TrojanOutbound
                } else if dst_roles & role::CONDUCENT != 0
                    || event.dst.is_some_and(ports::is_conducent_address)
                {
                    EventLabel::Conducent
                } else {
                    EventLabel::Outbound
                }
            } else if let Some(variant) = event.tcp_flags.filter(|_| tcp).and_then(stealth_variant)
            {
                EventLabel::Stealth(variant)
            } else if dst_port == 0 || event.src_port == Some(0) {
                EventLabel::PortZero
            } else {
                EventLabel::Probe
            };
            // pcAnywhere's status probe: UDP to 22 from 5632.
            if udp && dst_port == 22 && event.src_port == Some(5632) {
                out.roles |= role::PCANYWHERE;
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stealth_variants() {
        let v = |bits: u16| stealth_variant(TcpFlags(bits));
        assert_eq!(v(0x02), None);
        assert_eq!(v(0x02 | 0x40 | 0x80), None);
        assert_eq!(v(0), Some(StealthVariant::Null));
        assert_eq!(v(0x01), Some(StealthVariant::Fin));
        assert_eq!(v(0x29), Some(StealthVariant::Xmas));
        assert_eq!(v(0x03), Some(StealthVariant::SynFin));
        assert_eq!(v(0x10), Some(StealthVariant::Ack));
        assert_eq!(v(0x20), Some(StealthVariant::Other));
    }

    #[test]
    fn late_replies() {
        let f = |b| Some(TcpFlags(b));
        assert!(is_late_reply(Protocol::Tcp, f(0x10), 443, 51000));
        assert!(is_late_reply(Protocol::Tcp, f(0x04), 5555, 80));
        assert!(is_late_reply(Protocol::Tcp, f(0x12), 80, 40000));
        assert!(!is_late_reply(Protocol::Tcp, f(0x10), 51000, 80));
        assert!(!is_late_reply(Protocol::Tcp, f(0x02), 80, 40000));
        assert!(is_late_reply(Protocol::Udp, None, 53, 40000));
        assert!(!is_late_reply(Protocol::Udp, None, 53, 137));
    }

    fn net(text: &str) -> IpNet {
        text.parse().unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn packet(src: &str, dst: &str) -> Event<'static> {
        Event {
            protocol: Protocol::Tcp,
            src: Some(ip(src)),
            dst: Some(ip(dst)),
            src_port: Some(50_000),
            dst_port: Some(1524),
            tcp_flags: Some(TcpFlags::SYN),
            direction: fwseen_event::Direction::Forward,
            ..Event::default()
        }
    }

    fn with_nets(nets: &[&str], include_private: bool) -> Network {
        Network::from_config(&Config {
            home_nets: nets.iter().map(|n| net(n)).collect(),
            include_private,
            ..Config::default()
        })
    }

    #[test]
    fn private_nets_are_exactly_the_internal_addresses() {
        for text in [
            "10.0.0.0",
            "10.255.255.255",
            "9.255.255.255",
            "11.0.0.0",
            "172.16.0.1",
            "172.31.255.255",
            "172.32.0.0",
            "172.15.255.255",
            "192.168.1.1",
            "192.169.0.0",
            "100.64.0.0",
            "100.127.255.255",
            "100.128.0.0",
            "100.63.255.255",
            "169.254.3.4",
            "169.255.0.0",
            "127.0.0.1",
            "128.0.0.1",
            "203.0.113.9",
            "8.8.8.8",
            "fc00::1",
            "fdff:ffff::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "::1",
            "::2",
            "2001:db8::1",
            "::ffff:10.0.0.1",
        ] {
            let addr = ip(text);
            let in_private = PRIVATE_NETS.iter().any(|n| n.contains(addr));
            assert_eq!(in_private, is_internal_address(addr), "{text}");
        }
    }

    #[test]
    fn explicit_nets_replace_the_private_ranges_unless_private_is_added() {
        let lan_to_internet = packet("10.1.1.48", "85.55.114.126");
        // Inferred: a private source calling a public address is outbound.
        assert_eq!(Network::default().flow(&lan_to_internet), Flow::Outbound);
        // A public /24 alone: the LAN host is nobody's, so the forward packet is taken as inbound.
        let public = with_nets(&["203.0.113.0/24"], false);
        assert!(!public.is_ours(ip("10.1.1.48")));
        assert_eq!(public.flow(&lan_to_internet), Flow::Inbound);
        // ... and with the private ranges kept, it is ours again.
        let both = with_nets(&["203.0.113.0/24"], true);
        assert!(both.is_ours(ip("10.1.1.48")));
        assert!(both.is_ours(ip("203.0.113.5")));
        assert!(both.is_ours(ip("fe80::1")));
        assert!(!both.is_ours(ip("85.55.114.126")));
        assert_eq!(both.flow(&lan_to_internet), Flow::Outbound);
        assert_eq!(
            both.flow(&packet("10.1.1.48", "203.0.113.5")),
            Flow::Internal
        );
        // `private` alone: the private ranges are the whole home network, nothing is learned.
        let mut private = with_nets(&[], true);
        assert_eq!(private.flow(&lan_to_internet), Flow::Outbound);
        for i in 0..10u8 {
            private.learn(IpAddr::from([198, 51, 100, i]), ip("203.0.113.5"));
        }
        assert!(!private.is_ours(ip("203.0.113.5")));
    }

    #[test]
    fn every_configured_net_counts_its_events() {
        let network = with_nets(
            &[
                "203.0.113.0/24",
                "10.1.0.0/16",
                "2001:db8::/32",
                "10.1.0.0/16",
                "198.51.100.0/24",
            ],
            true,
        );
        for (src, dst) in [
            // Both ends in 10.1/16 (and 10/8): one event for each net.
            ("10.1.1.48", "10.1.1.1"),
            // Between two of our nets: counted in both.
            ("10.1.1.48", "203.0.113.5"),
            ("85.55.114.126", "203.0.113.5"),
            ("2001:db8::5", "2001:4860::8888"),
            ("fe80::1", "2001:db8::5"),
            // Mixed families (no log writes these, but they must not miscount).
            ("192.168.1.5", "2001:db8::5"),
            ("85.55.114.126", "8.8.8.8"),
        ] {
            network.flow(&packet(src, dst));
        }
        // Events without both addresses have no flow test and no count.
        network.flow(&Event {
            src: Some(ip("203.0.113.5")),
            ..Event::default()
        });
        let hits: Vec<(String, bool, u64)> = network
            .hits()
            .into_iter()
            .map(|h| (h.net.to_string(), h.private, h.events))
            .collect();
        let expect = |net: &str, private: bool, events: u64| (net.to_string(), private, events);
        assert_eq!(
            hits,
            vec![
                expect("203.0.113.0/24", false, 2),
                expect("10.1.0.0/16", false, 2),
                expect("2001:db8::/32", false, 3),
                expect("198.51.100.0/24", false, 0),
                expect("10.0.0.0/8", true, 2),
                expect("172.16.0.0/12", true, 0),
                expect("192.168.0.0/16", true, 1),
                expect("100.64.0.0/10", true, 0),
                expect("169.254.0.0/16", true, 0),
                expect("127.0.0.0/8", true, 0),
                expect("fc00::/7", true, 0),
                expect("fe80::/10", true, 1),
                expect("::1/128", true, 0),
            ]
        );
        // A private range also given explicitly is listed once, as explicit.
        let hits = with_nets(&["192.168.0.0/16"], true).hits();
        assert_eq!(hits.len(), PRIVATE_NETS.len());
        assert!(!hits[0].private && hits[0].net == net("192.168.0.0/16"));
        assert!(hits[1..].iter().all(|h| h.private));
        // Inferred networks have no configured nets to count.
        assert!(Network::default().hits().is_empty());
    }

    #[test]
    fn broadcast_inside_the_private_ranges_is_by_last_octet() {
        let network = with_nets(&["192.168.1.0/24"], true);
        // The explicit net's own first and last address.
        assert!(network.is_broadcast(ip("192.168.1.255")));
        assert!(network.is_broadcast(ip("192.168.1.0")));
        assert!(!network.is_broadcast(ip("192.168.1.77")));
        // Inside 10/8 (from `private`): a LAN's .255, as without home nets, not 10.255.255.255
        // alone.
        assert!(network.is_broadcast(ip("10.1.1.255")));
        assert!(!network.is_broadcast(ip("10.1.1.48")));
        assert!(with_nets(&["10.0.0.0/8"], false).is_broadcast(ip("10.255.255.255")));
        assert!(!with_nets(&["10.0.0.0/8"], false).is_broadcast(ip("10.1.1.255")));
    }

    #[test]
    fn the_analyzer_reports_home_net_hits_and_private_keeps_the_lan() {
        use crate::{Analyzer, Kind};
        use fwseen_event::{Origin, Timestamp};
        // A LAN host calling a backdoor port outside, again and again from new source ports.
        let events: Vec<Event<'static>> = (0..6u16)
            .map(|i| Event {
                time: Some(Timestamp {
                    unix_micros: 1_709_417_567_000_000 + i64::from(i) * 30_000_000,
                    original_offset_seconds: None,
                }),
                src_port: Some(62_000 - i * 97),
                origin: Origin {
                    input: 0,
                    record: u64::from(i) + 1,
                },
                ..packet("10.1.1.48", "85.55.114.126")
            })
            .collect();
        let run = |include_private: bool| {
            let mut analyzer = Analyzer::new(Config {
                home_nets: vec![net("203.0.113.0/24")],
                include_private,
                ..Config::default()
            });
            for event in &events {
                analyzer.push(event);
            }
            analyzer.finish()
        };
        let trojan = |report: &crate::Report| {
            report
                .findings
                .iter()
                .any(|f| f.kind == Kind::CompromiseTrojanOutbound.id())
        };
        let public = run(false);
        assert!(!trojan(&public), "{:#?}", public.findings);
        assert_eq!(public.stats.home_net_hits.len(), 1);
        assert_eq!(public.stats.home_net_hits[0].events, 0);
        let both = run(true);
        assert!(trojan(&both), "{:#?}", both.findings);
        let hits = &both.stats.home_net_hits;
        assert_eq!(hits.len(), 1 + PRIVATE_NETS.len());
        assert_eq!((hits[0].net, hits[0].events), (net("203.0.113.0/24"), 0));
        assert_eq!((hits[1].net, hits[1].events), (net("10.0.0.0/8"), 6));
    }

    #[test]
    fn address_keys_round_trip() {
        for text in ["192.0.2.1", "2001:db8::1", "0.0.0.0"] {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(key_addr(addr_key(ip)), ip);
        }
    }
}
