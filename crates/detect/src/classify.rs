//! Stateless, per-event classification: which way a packet travelled relative to our network,
//! and which pattern it can feed.
//!
//! This is the first stage of the analyzer and the whole of `fwseen explain`. Benign recognition
//! happens here, *before* any scan state is touched: an event labelled benign (a traceroute probe,
//! a RealAudio stream, DHCP or NetBIOS chatter, Quake traffic, a late reply) never reaches the scan
//! detectors.

use std::net::IpAddr;

use fwseen_event::{Event, Protocol, TcpFlags};
use rustc_hash::FxHashMap;

use crate::config::IpNet;
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
    /// Nothing the detectors look at (no ports, no ICMP type, no addresses).
    Unanalysed,
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
#[derive(Clone, Debug, Default)]
pub struct Network {
    nets: Vec<IpNet>,
    /// The IPv4 nets as (network, mask), for the per-event test.
    v4_nets: Vec<(u32, u32)>,
    learned: FxHashMap<u128, LearnedAddress>,
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
    pub fn new(nets: Vec<IpNet>) -> Network {
        let v4_nets = nets
            .iter()
            .filter_map(|n| match n.network {
                IpAddr::V4(v4) => {
                    let mask = u32::MAX
                        .checked_shl(32 - u32::from(n.prefix_len))
                        .unwrap_or(0);
                    Some((u32::from(v4), mask))
                }
                IpAddr::V6(_) => None,
            })
            .collect();
        Network {
            nets,
            v4_nets,
            learned: FxHashMap::default(),
        }
    }

    /// True when `ip` is inside a configured net.
    #[inline]
    fn in_nets(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(v4) => {
                let ip = u32::from(v4);
                self.v4_nets.iter().any(|&(net, mask)| ip & mask == net)
            }
            IpAddr::V6(_) => self.nets.iter().any(|n| n.contains(ip)),
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
            let src_ours = self.in_nets(src);
            let dst_ours = self.in_nets(dst);
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
    /// address of a configured IPv4 net, or (outside configured nets) an IPv4 address ending in
    /// .0 or .255.
    pub fn is_broadcast(&self, ip: IpAddr) -> bool {
        let IpAddr::V4(v4) = ip else {
            return false;
        };
        if v4.is_broadcast() {
            return true;
        }
        for net in &self.nets {
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
        Protocol::Udp => matches!(src_port, 53 | 123 | 443) && dst_port >= 1024,
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
    match event.protocol {
        Protocol::Icmp | Protocol::Icmpv6 => {
            let Some(icmp) = event.icmp else {
                return out;
            };
            let v6 = event.protocol == Protocol::Icmpv6;
            out.label = if (!v6 && icmp.icmp_type == 11) || (v6 && icmp.icmp_type == 3) {
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
            } else if udp && (dst_roles | src_roles) & role::NETBIOS != 0 {
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

    #[test]
    fn address_keys_round_trip() {
        for text in ["192.0.2.1", "2001:db8::1", "0.0.0.0"] {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(key_addr(addr_key(ip)), ip);
        }
    }
}
