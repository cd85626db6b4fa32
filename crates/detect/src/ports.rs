//! The detectors' port table: for every (protocol, port), a bit set of the roles that matter to
//! detection (trojan, proxy, reflector, auth service, traceroute range, DHCP ...).
//!
//! It is built once per process from the knowledge base (entries carrying the matching tag) united
//! with the ports each finding kind is *defined* by (the RPC ports of `scan.rpc`, RealAudio's UDP
//! range of `benign.streaming`, ...), so that a detector's definition never silently depends on
//! the contents of a data file. Lookups are one array index; the kb is consulted again only when a
//! finding is written (for names and the explaining entry id).

use std::sync::OnceLock;

use fwseen_event::Protocol;

/// Roles a destination port can play. Bits of [`Roles`].
pub mod role {
    pub const TROJAN: u32 = 1 << 0;
    pub const PROXY: u32 = 1 << 1;
    pub const REFLECTOR: u32 = 1 << 2;
    pub const AUTH: u32 = 1 << 3;
    pub const RPC: u32 = 1 << 4;
    pub const PCANYWHERE: u32 = 1 << 5;
    pub const SSCAN: u32 = 1 << 6;
    pub const TRACEROUTE: u32 = 1 << 7;
    pub const GAME: u32 = 1 << 8;
    pub const STREAMING: u32 = 1 << 9;
    pub const NETBIOS: u32 = 1 << 10;
    pub const DHCP: u32 = 1 << 11;
    pub const IDENT: u32 = 1 << 12;
    pub const LAN_DISCOVERY: u32 = 1 << 13;
    pub const INOCULAN: u32 = 1 << 14;
    pub const POWWOW: u32 = 1 << 15;
    pub const CONDUCENT: u32 = 1 << 16;
    pub const FRAGGLE: u32 = 1 << 17;
    /// The roles that make a probe part of a themed scan.
    pub const THEMES: u32 = TROJAN | PROXY | REFLECTOR | RPC | PCANYWHERE | SSCAN;
}

/// A set of [`role`] bits.
pub type Roles = u32;

const PORTS: usize = 65_536;

/// The per-port role table (TCP and UDP halves).
pub struct PortTable {
    tcp: Box<[Roles]>,
    udp: Box<[Roles]>,
}

/// Ports whose role is part of a finding kind's definition: (role, tcp?, udp?, low, high).
const DEFINED: &[(Roles, bool, bool, u16, u16)] = &[
    (role::RPC, true, true, 111, 111),
    (role::RPC, true, true, 635, 635),
    (role::RPC, true, true, 2049, 2049),
    (role::RPC, true, true, 32770, 32900),
    (role::PCANYWHERE, true, true, 5631, 5632),
    (role::PROXY, true, false, 1080, 1080),
    (role::PROXY, true, false, 3128, 3128),
    (role::PROXY, true, false, 8000, 8001),
    (role::PROXY, true, false, 8080, 8081),
    (role::PROXY, true, false, 8888, 8888),
    (role::REFLECTOR, false, true, 19, 19),
    (role::REFLECTOR, false, true, 53, 53),
    (role::REFLECTOR, false, true, 123, 123),
    (role::REFLECTOR, false, true, 161, 161),
    (role::REFLECTOR, false, true, 389, 389),
    (role::REFLECTOR, false, true, 1900, 1900),
    (role::REFLECTOR, false, true, 3702, 3702),
    (role::REFLECTOR, false, true, 11211, 11211),
    (role::AUTH, true, false, 21, 23),
    (role::AUTH, true, false, 25, 25),
    (role::AUTH, true, false, 110, 110),
    (role::AUTH, true, false, 143, 143),
    (role::AUTH, true, false, 445, 445),
    (role::AUTH, true, false, 1433, 1433),
    (role::AUTH, true, false, 3306, 3306),
    (role::AUTH, true, false, 3389, 3389),
    (role::AUTH, true, false, 5900, 5900),
    (role::AUTH, true, false, 5985, 5986),
    (role::SSCAN, true, true, 1, 5),
    (role::TRACEROUTE, false, true, 33434, 33600),
    (role::GAME, false, true, 27910, 27961),
    (role::STREAMING, false, true, 6970, 7170),
    (role::NETBIOS, false, true, 137, 138),
    (role::DHCP, false, true, 67, 68),
    (role::IDENT, true, false, 113, 113),
    (role::LAN_DISCOVERY, false, true, 1900, 1900),
    (role::LAN_DISCOVERY, false, true, 5353, 5353),
    (role::LAN_DISCOVERY, false, true, 5355, 5355),
    (role::INOCULAN, true, true, 41508, 41508),
    (role::POWWOW, true, false, 13223, 13223),
    (role::CONDUCENT, true, false, 17027, 17027),
    (role::FRAGGLE, false, true, 7, 7),
    (role::FRAGGLE, false, true, 19, 19),
];

/// Backdoor ports the definition of `scan.trojan` / `compromise.trojan-outbound` relies on even
/// if the knowledge base were to lack them: (tcp?, udp?, low, high, name).
pub const BUILTIN_TROJANS: &[(bool, bool, u16, u16, &str)] = &[
    (true, false, 1243, 1243, "Sub-7"),
    (true, false, 1524, 1524, "ingreslock backdoor"),
    (true, false, 6711, 6713, "Sub-7"),
    (true, false, 6776, 6776, "Sub-7"),
    (true, false, 12345, 12346, "NetBus"),
    (true, false, 20034, 20034, "NetBus 2 Pro"),
    (true, false, 27374, 27374, "Sub-7"),
    (true, false, 30100, 30102, "NetSphere"),
    (false, true, 31337, 31337, "Back Orifice"),
    (false, true, 31789, 31789, "Hack-a-tack"),
    (false, true, 31791, 31791, "Hack-a-tack"),
    (true, true, 54320, 54321, "Back Orifice 2000"),
];

/// Knowledge-base tags that feed a role, and whether they apply to TCP and UDP.
///
/// The kb's `pcanywhere` tag is deliberately absent: the SSH entry (22) carries it for the story
/// of pcAnywhere's UDP probe from 5632, and taking it as a role would count every SSH attempt as
/// pcAnywhere hunting. pcAnywhere's own ports are in [`DEFINED`], and the UDP 22 from 5632 probe
/// is recognised by `classify`.
const KB_TAGS: &[(&str, Roles, bool, bool)] = &[
    ("trojan", role::TROJAN, true, true),
    ("proxy", role::PROXY, true, false),
    ("reflector", role::REFLECTOR, false, true),
    ("auth", role::AUTH, true, false),
    ("rpc", role::RPC, true, true),
    ("nfs", role::RPC, true, true),
    ("game", role::GAME, false, true),
    ("streaming", role::STREAMING, false, true),
    ("lan-discovery", role::LAN_DISCOVERY, false, true),
];

impl PortTable {
    fn build() -> PortTable {
        let mut tcp = vec![0 as Roles; PORTS].into_boxed_slice();
        let mut udp = vec![0 as Roles; PORTS].into_boxed_slice();
        let mut mark = |roles: Roles, on_tcp: bool, on_udp: bool, low: u16, high: u16| {
            for port in usize::from(low)..=usize::from(high) {
                if on_tcp {
                    tcp[port] |= roles;
                }
                if on_udp {
                    udp[port] |= roles;
                }
            }
        };
        for &(roles, on_tcp, on_udp, low, high) in DEFINED {
            mark(roles, on_tcp, on_udp, low, high);
        }
        for &(on_tcp, on_udp, low, high, _) in BUILTIN_TROJANS {
            mark(role::TROJAN, on_tcp, on_udp, low, high);
        }
        for entry in fwseen_kb::all_ports() {
            for &(tag, roles, tag_tcp, tag_udp) in KB_TAGS {
                if entry.has_tag(tag) {
                    let on_tcp = tag_tcp && entry.protocols.contains(Protocol::Tcp);
                    let on_udp = tag_udp && entry.protocols.contains(Protocol::Udp);
                    mark(roles, on_tcp, on_udp, entry.low, entry.high);
                }
            }
        }
        // One theme per port: the portmapper (111) is also an amplifier, but a probe of it is
        // RPC hunting first; counting it for both would report every RPC scan as reflector
        // probing too.
        for roles in tcp.iter_mut().chain(udp.iter_mut()) {
            if *roles & role::RPC != 0 {
                *roles &= !role::REFLECTOR;
            }
        }
        PortTable { tcp, udp }
    }

    /// The roles of destination `port` for `protocol` (TCP and UDP united when unknown).
    #[inline]
    pub fn roles(&self, protocol: Protocol, port: u16) -> Roles {
        let port = usize::from(port);
        match protocol {
            Protocol::Tcp => self.tcp[port],
            Protocol::Udp => self.udp[port],
            Protocol::Unknown => self.tcp[port] | self.udp[port],
            _ => 0,
        }
    }
}

/// The process-wide table.
pub fn table() -> &'static PortTable {
    static TABLE: OnceLock<PortTable> = OnceLock::new();
    TABLE.get_or_init(PortTable::build)
}

/// The addresses ads.conducent.com resolved to (listed in the kb entry `conducent`): outbound
/// traffic to them, on any port, is the Conducent adbot calling home.
pub const CONDUCENT_ADDRESSES: [[u8; 4]; 5] = [
    [216, 33, 210, 40],
    [216, 33, 210, 41],
    [216, 33, 199, 77],
    [216, 33, 199, 80],
    [216, 33, 199, 81],
];

/// True for one of [`CONDUCENT_ADDRESSES`].
#[inline]
pub fn is_conducent_address(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => CONDUCENT_ADDRESSES.contains(&v4.octets()),
        std::net::IpAddr::V6(_) => false,
    }
}

/// Source ports weak filters trust (DNS, FTP data, DHCP server, Kerberos, NTP).
#[inline]
pub fn is_trusted_source_port(port: u16) -> bool {
    matches!(port, 20 | 53 | 67 | 88 | 123)
}

/// Services that ordinary clients call out to all day (web, DNS, NTP, mail retrieval and
/// submission, chat, QUIC, STUN): periodic or repeated calls to them are what update, telemetry
/// and sync agents do, so they are no beacon evidence by themselves and no outbound scan.
#[inline]
pub fn is_client_service_port(protocol: Protocol, port: u16) -> bool {
    match protocol {
        Protocol::Tcp => matches!(
            port,
            80 | 443 | 8080 | 8443 | 853 | 993 | 995 | 143 | 110 | 587 | 465 | 5222 | 5223 | 5228
        ),
        Protocol::Udp => matches!(port, 53 | 123 | 443 | 853 | 3478 | 5353 | 1900),
        _ => false,
    }
}

/// The mail transfer and submission ports: an inside host that keeps being refused on them is
/// either a mail server or sending mail it should not.
#[inline]
pub fn is_mail_port(port: u16) -> bool {
    matches!(port, 25 | 465 | 587)
}

/// Linux masquerading's default port range (61000–65095).
#[inline]
pub fn is_masquerade_port(port: u16) -> bool {
    (61_000..=65_095).contains(&port)
}

/// Ports servers answer from: every well-known port, plus common registered service ports.
#[inline]
pub fn is_service_port(port: u16) -> bool {
    port != 0
        && (port < 1024
            || matches!(
                port,
                1080 | 1194
                    | 1433
                    | 1521
                    | 1723
                    | 1935
                    | 3128
                    | 3306
                    | 3389
                    | 5060
                    | 5061
                    | 5222
                    | 5223
                    | 5228
                    | 5432
                    | 5900
                    | 5985
                    | 5986
                    | 6379
                    | 8000
                    | 8008
                    | 8080
                    | 8443
                    | 8888
                    | 9200
                    | 27017
            ))
}

/// The knowledge-base entry naming the backdoor at (port, protocol): its id (if the kb has one)
/// and its name.
pub fn trojan_at(port: u16, protocol: Protocol) -> Option<(Option<&'static str>, &'static str)> {
    let proto = protocol.has_ports().then_some(protocol);
    if let Some(entry) = fwseen_kb::ports_at(port, proto).find(|e| e.has_tag("trojan")) {
        return Some((Some(entry.id), entry.name));
    }
    BUILTIN_TROJANS
        .iter()
        .find(|&&(on_tcp, on_udp, low, high, _)| {
            (low..=high).contains(&port)
                && match protocol {
                    Protocol::Tcp => on_tcp,
                    Protocol::Udp => on_udp,
                    _ => true,
                }
        })
        .map(|&(_, _, _, _, name)| (None, name))
}

/// The id of the knowledge-base entry best explaining (port, protocol), preferring one that
/// carries `tag`.
pub fn kb_entry_id(port: u16, protocol: Protocol, tag: Option<&str>) -> Option<&'static str> {
    let proto = protocol.has_ports().then_some(protocol);
    let mut entries = fwseen_kb::ports_at(port, proto);
    if let Some(tag) = tag {
        if let Some(entry) = entries.clone().find(|e| e.has_tag(tag)) {
            return Some(entry.id);
        }
    }
    entries.next().map(|e| e.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defined_roles_are_present() {
        let t = table();
        assert_ne!(t.roles(Protocol::Tcp, 111) & role::RPC, 0);
        assert_ne!(t.roles(Protocol::Udp, 32800) & role::RPC, 0);
        assert_ne!(t.roles(Protocol::Udp, 33434) & role::TRACEROUTE, 0);
        assert_eq!(t.roles(Protocol::Tcp, 33434) & role::TRACEROUTE, 0);
        assert_ne!(t.roles(Protocol::Tcp, 12345) & role::TROJAN, 0);
        assert_ne!(t.roles(Protocol::Unknown, 31337) & role::TROJAN, 0);
        assert_ne!(t.roles(Protocol::Tcp, 22) & role::AUTH, 0);
        assert_eq!(t.roles(Protocol::Icmp, 22), 0);
        assert!(trojan_at(12345, Protocol::Tcp).is_some());
        assert!(trojan_at(80, Protocol::Tcp).is_none());
    }
}
