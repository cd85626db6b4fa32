//! fwseen's knowledge base: what a port, a source port, an ICMP type or a special address means
//! when it shows up in a firewall log, in English and Traditional Chinese.
//!
//! The knowledge lives in `crates/kb/data/*.toml` (schema: `data/SCHEMA.md`) and in the IANA port
//! registry (`data/iana/`). `build.rs` checks those files and compiles them into the static sorted
//! tables included below, together with their lookup indexes; nothing is parsed at run time.
//!
//! Lookups by port, ICMP type or address are O(log n) (a binary search over precomputed disjoint
//! segments, each listing the entries that cover it) and allocate nothing. Only the name search
//! ([`find_by_name`]) and [`addresses_containing`] return vectors.
//!
//! This crate does no I/O and knows nothing of log formats or detectors.

use std::net::IpAddr;

use fwseen_event::Protocol;

/// The language of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Traditional Chinese (zh-Hant).
    ZhHant,
}

impl Lang {
    /// The language tag JSON and HTML output write: `en` or `zh-Hant`.
    pub fn code(self) -> &'static str {
        self.pick("en", "zh-Hant")
    }

    /// `en` in English, `zh` in Traditional Chinese: picks the form of a name or text that has
    /// one per language.
    #[inline]
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::ZhHant => zh,
        }
    }
}

/// A text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        lang.pick(self.en, self.zh)
    }
}

/// The verdict a lone inbound packet usually deserves, from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    Benign,
    Noise,
    Recon,
    Attack,
    Compromise,
}

impl Verdict {
    /// The lower-case name used in data files and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Benign => "benign",
            Verdict::Noise => "noise",
            Verdict::Recon => "recon",
            Verdict::Attack => "attack",
            Verdict::Compromise => "compromise",
        }
    }
}

/// A set of transport protocols (a bit set: tcp, udp, sctp, dccp).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Protocols(pub u8);

impl Protocols {
    pub const TCP: Protocols = Protocols(1);
    pub const UDP: Protocols = Protocols(2);
    pub const SCTP: Protocols = Protocols(4);
    pub const DCCP: Protocols = Protocols(8);

    const NAMES: [(Protocols, &'static str); 4] = [
        (Protocols::TCP, "tcp"),
        (Protocols::UDP, "udp"),
        (Protocols::SCTP, "sctp"),
        (Protocols::DCCP, "dccp"),
    ];

    /// True if the set holds `protocol`. An unknown protocol matches every set (the log did not
    /// say, so any entry may apply); protocols without ports (ICMP, IGMP, ...) match none.
    pub fn contains(self, protocol: Protocol) -> bool {
        match protocol_bits(protocol) {
            Some(bits) => self.0 & bits != 0,
            None => true,
        }
    }

    /// The protocol names in the set, in the order tcp, udp, sctp, dccp.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(p, _)| self.0 & p.0 != 0)
            .map(|(_, name)| *name)
            .collect()
    }
}

/// The `Protocols` bit of a protocol; `None` for an unknown protocol (which matches all), and
/// `Some(0)` for protocols that have no ports.
#[inline]
fn protocol_bits(protocol: Protocol) -> Option<u8> {
    match protocol {
        Protocol::Tcp => Some(Protocols::TCP.0),
        Protocol::Udp => Some(Protocols::UDP.0),
        Protocol::Other(132) => Some(Protocols::SCTP.0),
        Protocol::Other(33) => Some(Protocols::DCCP.0),
        Protocol::Unknown => None,
        _ => Some(0),
    }
}

/// What a packet *to* a port (or port range) means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortEntry {
    /// Stable kebab-case id, e.g. `back-orifice`.
    pub id: &'static str,
    pub low: u16,
    pub high: u16,
    pub protocols: Protocols,
    /// Short service or malware name.
    pub name: &'static str,
    /// What a lone inbound probe usually deserves.
    pub verdict: Verdict,
    pub tags: &'static [&'static str],
    /// Other ports worth looking at.
    pub related: &'static [u16],
    /// True when the seed FAQ describes this port.
    pub seed: bool,
    /// One line: what it is.
    pub title: Text,
    /// What seeing it as a destination means: who sends it, what they are after.
    pub meaning: Text,
    /// How to tell harmless from hostile.
    pub benign_or_hostile: Text,
    /// What to do.
    pub advice: Text,
    /// How the meaning changed over time.
    pub era: Option<Text>,
    /// What it means when one of our own hosts sends to this port.
    pub outbound: Option<Text>,
}

impl PortEntry {
    /// True if the entry carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.contains(&tag)
    }

    /// How many ports the entry covers.
    pub fn span(&self) -> u32 {
        u32::from(self.high) - u32::from(self.low) + 1
    }

    /// True when the entry is an entry of its ports' own: it covers at most
    /// [`SPECIFIC_MAX_SPAN`] ports, so what it says is about each of them (a wide range such as
    /// a traceroute or RPC block only says what the block is used for).
    pub fn is_specific(&self) -> bool {
        self.span() <= SPECIFIC_MAX_SPAN
    }
}

/// The widest entry, in ports, that still counts as a port's own explanation
/// ([`PortEntry::is_specific`]).
pub const SPECIFIC_MAX_SPAN: u32 = 64;

/// What a packet *from* a port (or port range) means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourcePortEntry {
    pub id: &'static str,
    pub low: u16,
    pub high: u16,
    pub protocols: Protocols,
    pub name: &'static str,
    pub verdict: Verdict,
    pub tags: &'static [&'static str],
    pub meaning: Text,
    pub advice: Text,
}

/// An ICMP (version 4) or ICMPv6 type, or one of its codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcmpEntry {
    /// 4 for ICMP, 6 for ICMPv6.
    pub version: u8,
    pub icmp_type: u8,
    /// `None` for the entry describing the whole type.
    pub code: Option<u8>,
    /// The English name, e.g. `Destination unreachable: port unreachable`.
    pub name: &'static str,
    /// The name in Traditional Chinese.
    pub name_zh: &'static str,
    pub verdict: Verdict,
    pub tags: &'static [&'static str],
    pub meaning: Text,
    pub advice: Option<Text>,
}

impl IcmpEntry {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name, self.name_zh)
    }
}

/// A special-purpose address block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressEntry {
    pub id: &'static str,
    /// As written in the data, e.g. `10.0.0.0/8`.
    pub cidr: &'static str,
    pub network: IpAddr,
    pub prefix_len: u8,
    /// The English name, e.g. `Private-use (RFC 1918)`.
    pub name: &'static str,
    /// The name in Traditional Chinese.
    pub name_zh: &'static str,
    pub rfc: &'static str,
    pub tags: &'static [&'static str],
    /// What it means as a packet's source in a firewall log.
    pub as_source: Text,
    /// What it means as a packet's destination.
    pub as_destination: Text,
}

impl AddressEntry {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name, self.name_zh)
    }

    /// True if the block contains `ip`.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let host_bits = 32 - u32::from(self.prefix_len);
                let mask = u32::MAX.checked_shl(host_bits).unwrap_or(0);
                u32::from(ip) & mask == u32::from(net)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let host_bits = 128 - u32::from(self.prefix_len);
                let mask = u128::MAX.checked_shl(host_bits).unwrap_or(0);
                u128::from(ip) & mask == u128::from(net)
            }
            _ => false,
        }
    }
}

/// An operating system's ephemeral (client) port range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EphemeralRange {
    pub id: &'static str,
    pub low: u16,
    pub high: u16,
    /// The system in English, e.g. `Linux (net.ipv4.ip_local_port_range default)`.
    pub os: &'static str,
    /// The system in Traditional Chinese.
    pub os_zh: &'static str,
    pub note: Text,
}

impl EphemeralRange {
    /// The system's description in `lang`.
    pub fn os(&self, lang: Lang) -> &'static str {
        lang.pick(self.os, self.os_zh)
    }
}

/// One IANA registration of a port for a protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IanaRecord {
    pub port: u16,
    /// `"tcp"`, `"udp"`, `"sctp"` or `"dccp"`.
    pub protocol: &'static str,
    /// The service name (empty for reserved ports).
    pub name: &'static str,
    pub description: &'static str,
}

/// The three IANA port classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PortClass {
    /// 0–1023: system services; binding them needs privileges on most systems.
    WellKnown,
    /// 1024–49151: registered with IANA for applications.
    Registered,
    /// 49152–65535: dynamic or private, what clients pick their source ports from.
    Dynamic,
}

impl PortClass {
    /// The class of `port`.
    pub fn of(port: u16) -> PortClass {
        match port {
            0..=1023 => PortClass::WellKnown,
            1024..=49151 => PortClass::Registered,
            _ => PortClass::Dynamic,
        }
    }

    /// A stable lower-case name: `well-known`, `registered` or `dynamic`.
    pub fn as_str(self) -> &'static str {
        match self {
            PortClass::WellKnown => "well-known",
            PortClass::Registered => "registered",
            PortClass::Dynamic => "dynamic",
        }
    }

    /// The first and last port of the class.
    pub fn range(self) -> (u16, u16) {
        match self {
            PortClass::WellKnown => (0, 1023),
            PortClass::Registered => (1024, 49151),
            PortClass::Dynamic => (49152, 65535),
        }
    }

    /// What the class means for someone reading a firewall log.
    pub fn describe(self) -> Text {
        match self {
            PortClass::WellKnown => Text {
                en: "Well-known ports (0-1023) belong to system services such as mail, web, DNS \
                     and remote login; on Unix only root may listen on them. An inbound packet \
                     to one is usually aimed at a server, and a client almost never uses one as \
                     its source port.",
                zh: "公認埠（0-1023）保留給系統服務，例如郵件、網頁、DNS 與遠端登入；在 Unix 上\
                     只有 root 能在這些埠上監聽。送往這類埠的入站封包通常是衝著伺服器而來，\
                     用戶端也幾乎不會拿它們當來源埠。",
            },
            PortClass::Registered => Text {
                en: "Registered ports (1024-49151) are listed with IANA for applications, but \
                     nothing enforces the listing: databases, proxies, games and backdoors all \
                     live here, and many systems also draw client ports from parts of this \
                     range. The number alone proves little; look at who sends it and how often.",
                zh: "註冊埠（1024-49151）由 IANA 登記給各種應用程式，但登記並無強制力：資料庫、\
                     代理伺服器、遊戲與後門程式都在這個範圍，不少系統也從其中一段挑選用戶端埠。\
                     單看埠號難下定論，要看是誰送來、送了多少次。",
            },
            PortClass::Dynamic => Text {
                en: "Dynamic or private ports (49152-65535) are never assigned to services; \
                     operating systems hand them out as temporary client ports. A packet to one \
                     is most often a late reply to an outgoing connection, peer-to-peer traffic, \
                     or a scanner sweeping every port.",
                zh: "動態或私用埠（49152-65535）不會指派給任何服務，作業系統把它們當作臨時的\
                     用戶端埠發放。送往這類埠的封包，多半是對外連線遲到的回應、點對點流量，\
                     或是掃描器在逐一掃過所有埠。",
            },
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/tables.rs"));

/// Finds the segment containing `value` in a segment index whose first start is 0.
#[inline]
fn segment_of<T: Copy + Ord>(starts: &[T], value: T) -> Option<usize> {
    let after = starts.partition_point(|&start| start <= value);
    after.checked_sub(1)
}

/// The index of the port segment containing `port`, using the per-page hints.
#[inline]
fn port_segment(port: u16) -> usize {
    let page = usize::from(port >> 8);
    let first = usize::from(PORT_PAGE_FIRST_SEGMENT[page]);
    let last = usize::from(PORT_PAGE_FIRST_SEGMENT[page + 1]);
    let candidates = &PORT_SEGMENT_STARTS[first..=last];
    first + candidates.partition_point(|&start| start <= u32::from(port)) - 1
}

/// Port entries covering `port` for `proto` (`None` = any protocol), narrowest range first.
pub fn ports_at(
    port: u16,
    proto: Option<Protocol>,
) -> impl Iterator<Item = &'static PortEntry> + Clone {
    let indices: &'static [u16] = PORT_SEGMENT_ENTRIES[port_segment(port)];
    indices
        .iter()
        .map(|&i| &PORTS[usize::from(i)])
        .filter(move |entry| proto.is_none_or(|p| entry.protocols.contains(p)))
}

/// The narrowest entry covering `port` for `proto` (`None` = any protocol) if it is specific
/// ([`PortEntry::is_specific`]): the port's own explanation, when the knowledge base has one.
pub fn specific_entry(port: u16, proto: Option<Protocol>) -> Option<&'static PortEntry> {
    ports_at(port, proto).next().filter(|e| e.is_specific())
}

/// Source-port entries covering `port` for `proto` (`None` = any protocol), narrowest first.
pub fn source_ports_at(
    port: u16,
    proto: Option<Protocol>,
) -> impl Iterator<Item = &'static SourcePortEntry> + Clone {
    let indices: &'static [u16] = segment_of(&SOURCE_PORT_SEGMENT_STARTS, u32::from(port))
        .map_or(&[], |s| SOURCE_PORT_SEGMENT_ENTRIES[s]);
    indices
        .iter()
        .map(|&i| &SOURCE_PORTS[usize::from(i)])
        .filter(move |entry| proto.is_none_or(|p| entry.protocols.contains(p)))
}

/// Every port entry carrying `tag`, in table order.
pub fn ports_tagged(tag: &str) -> impl Iterator<Item = &'static PortEntry> + Clone {
    let indices: &'static [u16] = tag_bit(tag).map_or(&[], |bit| PORTS_BY_TAG[bit as usize]);
    indices.iter().map(|&i| &PORTS[usize::from(i)])
}

/// True if any port entry covering (`port`, `proto`) has `tag`. Meant for detectors' hot path:
/// a lookup in a 256-port page, a short binary search and a mask test.
#[inline]
pub fn port_has_tag(port: u16, proto: Protocol, tag: &str) -> bool {
    let Some(bit) = tag_bit(tag) else {
        return false;
    };
    let masks = &PORT_SEGMENT_TAGS[port_segment(port)];
    let mask = match protocol_bits(proto) {
        None => masks[0] | masks[1] | masks[2] | masks[3],
        Some(bits) => {
            let mut mask = 0;
            for (i, m) in masks.iter().enumerate() {
                if bits & (1 << i) != 0 {
                    mask |= m;
                }
            }
            mask
        }
    };
    mask & (1u64 << bit) != 0
}

/// Every port entry, sorted by (low, high, id).
pub fn all_ports() -> &'static [PortEntry] {
    &PORTS
}

/// Every source-port entry, sorted by (low, high, id).
pub fn all_source_ports() -> &'static [SourcePortEntry] {
    &SOURCE_PORTS
}

/// The port entry with this id.
pub fn port_entry(id: &str) -> Option<&'static PortEntry> {
    PORTS_BY_ID
        .binary_search_by(|&i| PORTS[usize::from(i)].id.cmp(id))
        .ok()
        .map(|at| &PORTS[usize::from(PORTS_BY_ID[at])])
}

/// Rank of a protocol name in the IANA table's sort order.
fn iana_protocol_rank(protocol: &str) -> Option<usize> {
    ["tcp", "udp", "sctp", "dccp"]
        .iter()
        .position(|p| *p == protocol)
}

/// IANA registrations of `port` for `proto` (`"tcp"`, `"udp"`, `"sctp"`, `"dccp"`; all
/// protocols when `None`), in the order tcp, udp, sctp, dccp.
pub fn iana_at(port: u16, proto: Option<&str>) -> &'static [IanaRecord] {
    let first = IANA.partition_point(|r| r.port < port);
    let end = first + IANA[first..].partition_point(|r| r.port == port);
    let records = &IANA[first..end];
    match proto {
        None => records,
        Some(name) => {
            let Some(rank) = iana_protocol_rank(&name.to_ascii_lowercase()) else {
                return &[];
            };
            let rank_of = |r: &IanaRecord| iana_protocol_rank(r.protocol).unwrap_or(usize::MAX);
            let lo = records.partition_point(|r| rank_of(r) < rank);
            let hi = records.partition_point(|r| rank_of(r) <= rank);
            &records[lo..hi]
        }
    }
}

/// Every IANA record, sorted by (port, protocol in the order tcp, udp, sctp, dccp); a port range
/// of the registry appears as one record per port.
pub fn all_iana() -> &'static [IanaRecord] {
    &IANA
}

/// The loose form of a name, for forgiving comparison: lower-case ASCII letters and digits only,
/// with spelled-out digits turned into digits, so that "Sub-7", "sub7" and "SubSeven" agree.
/// ("one" and "ten" are left alone: they hide inside too many ordinary words.)
fn loose(s: &str) -> String {
    let mut out: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    for (word, digit) in [
        ("zero", "0"),
        ("two", "2"),
        ("three", "3"),
        ("four", "4"),
        ("five", "5"),
        ("six", "6"),
        ("seven", "7"),
        ("eight", "8"),
        ("nine", "9"),
    ] {
        if out.contains(word) {
            out = out.replace(word, digit);
        }
    }
    out
}

/// The loose keys a kb entry answers to: its id and name, the id without a trailing port
/// number (`subseven-1243`), the name without parenthesised parts, and each parenthesised part
/// (`njRAT (Bladabindi)` answers to both names).
fn entry_keys(entry: &PortEntry) -> Vec<String> {
    let mut keys = vec![loose(entry.id), loose(entry.name)];
    if let Some((stem, suffix)) = entry.id.rsplit_once('-') {
        if !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit()) {
            keys.push(loose(stem));
        }
    }
    let mut outside = String::new();
    let mut rest = entry.name;
    while let Some(open) = rest.find('(') {
        outside.push_str(&rest[..open]);
        match rest[open..].find(')') {
            Some(close) => {
                keys.push(loose(&rest[open + 1..open + close]));
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    outside.push_str(rest);
    keys.push(loose(&outside));
    keys.retain(|k| !k.is_empty());
    keys
}

/// kb entries and IANA records whose name matches `name`, ignoring case. kb entries also match
/// by id and loosely (see `entry_keys`: "sub-7" finds SubSeven, "bladabindi" finds njRAT).
pub fn find_by_name(name: &str) -> (Vec<&'static PortEntry>, Vec<&'static IanaRecord>) {
    let wanted = name.trim();
    if wanted.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let wanted_loose = loose(wanted);
    let entries = PORTS
        .iter()
        .filter(|entry| {
            entry.id.eq_ignore_ascii_case(wanted)
                || entry.name.eq_ignore_ascii_case(wanted)
                || (!wanted_loose.is_empty() && entry_keys(entry).contains(&wanted_loose))
        })
        .collect();
    let lower = wanted.to_ascii_lowercase();
    let first = IANA_BY_NAME.partition_point(|(n, _)| *n < lower.as_str());
    let records = IANA_BY_NAME[first..]
        .iter()
        .take_while(|(n, _)| *n == lower.as_str())
        .map(|&(_, i)| &IANA[usize::from(i)])
        .collect();
    (entries, records)
}

/// The ICMP entry for (`version`, `icmp_type`, `code`): the code-specific entry if there is one,
/// else the entry of the whole type.
pub fn icmp(version: u8, icmp_type: u8, code: Option<u8>) -> Option<&'static IcmpEntry> {
    let find = |code: Option<u8>| {
        ICMP.binary_search_by(|e| (e.version, e.icmp_type, e.code).cmp(&(version, icmp_type, code)))
            .ok()
            .map(|i| &ICMP[i])
    };
    code.and_then(|c| find(Some(c))).or_else(|| find(None))
}

/// Every ICMP entry, sorted by (version, type, code) with the type's own entry first.
pub fn all_icmp() -> &'static [IcmpEntry] {
    &ICMP
}

/// Indices into `ADDRESSES` of the blocks containing `ip`, most specific first.
fn address_indices(ip: IpAddr) -> &'static [u16] {
    match ip {
        IpAddr::V4(v4) => segment_of(&ADDRESS_V4_SEGMENT_STARTS, u32::from(v4))
            .map_or(&[], |s| ADDRESS_V4_SEGMENT_ENTRIES[s]),
        IpAddr::V6(v6) => segment_of(&ADDRESS_V6_SEGMENT_STARTS, u128::from(v6))
            .map_or(&[], |s| ADDRESS_V6_SEGMENT_ENTRIES[s]),
    }
}

/// The most specific special-address block containing `ip`; `None` for ordinary global unicast.
pub fn address(ip: IpAddr) -> Option<&'static AddressEntry> {
    address_indices(ip)
        .first()
        .map(|&i| &ADDRESSES[usize::from(i)])
}

/// Every special-address block containing `ip`, most specific first.
pub fn addresses_containing(ip: IpAddr) -> Vec<&'static AddressEntry> {
    address_indices(ip)
        .iter()
        .map(|&i| &ADDRESSES[usize::from(i)])
        .collect()
}

/// Every special-address block, IPv4 first, sorted by network then prefix length.
pub fn all_addresses() -> &'static [AddressEntry] {
    &ADDRESSES
}

/// Operating systems' ephemeral ranges containing `port`, narrowest first.
pub fn ephemeral_at(port: u16) -> impl Iterator<Item = &'static EphemeralRange> + Clone {
    let indices: &'static [u16] = segment_of(&EPHEMERAL_SEGMENT_STARTS, u32::from(port))
        .map_or(&[], |s| EPHEMERAL_SEGMENT_ENTRIES[s]);
    indices.iter().map(|&i| &EPHEMERAL[usize::from(i)])
}

/// Every ephemeral range, sorted by (low, high, id).
pub fn all_ephemeral() -> &'static [EphemeralRange] {
    &EPHEMERAL
}

/// Every tag build.rs accepts (port, source-port, ICMP and address tags).
pub fn known_tags() -> &'static [&'static str] {
    &TAGS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_classes() {
        assert_eq!(PortClass::of(0), PortClass::WellKnown);
        assert_eq!(PortClass::of(1023), PortClass::WellKnown);
        assert_eq!(PortClass::of(1024), PortClass::Registered);
        assert_eq!(PortClass::of(49151), PortClass::Registered);
        assert_eq!(PortClass::of(49152), PortClass::Dynamic);
        assert_eq!(PortClass::of(65535), PortClass::Dynamic);
        assert!(PortClass::Dynamic.describe().zh.contains("動態"));
    }

    #[test]
    fn protocols_set() {
        let both = Protocols(Protocols::TCP.0 | Protocols::UDP.0);
        assert!(both.contains(Protocol::Tcp));
        assert!(both.contains(Protocol::Udp));
        assert!(both.contains(Protocol::Unknown));
        assert!(!both.contains(Protocol::Icmp));
        assert!(!both.contains(Protocol::Other(132)));
        assert!(Protocols::SCTP.contains(Protocol::Other(132)));
        assert_eq!(both.names(), vec!["tcp", "udp"]);
    }

    #[test]
    fn verdict_order() {
        assert!(Verdict::Benign < Verdict::Noise);
        assert!(Verdict::Attack < Verdict::Compromise);
        assert_eq!(Verdict::Recon.as_str(), "recon");
    }

    /// The segment lookup agrees with a linear scan for every port.
    #[test]
    fn ports_at_matches_linear_scan() {
        for port in 0..=u16::MAX {
            let fast: Vec<&str> = ports_at(port, None).map(|e| e.id).collect();
            let mut covering: Vec<&PortEntry> = PORTS
                .iter()
                .filter(|e| e.low <= port && port <= e.high)
                .collect();
            covering.sort_by_key(|e| (e.high - e.low, e.low));
            let slow: Vec<&str> = covering.iter().map(|e| e.id).collect();
            assert_eq!(fast, slow, "port {port}");
            for tag in TAGS {
                for proto in [
                    Protocol::Tcp,
                    Protocol::Udp,
                    Protocol::Unknown,
                    Protocol::Icmp,
                ] {
                    let expected = covering
                        .iter()
                        .any(|e| e.protocols.contains(proto) && e.has_tag(tag));
                    assert_eq!(
                        port_has_tag(port, proto, tag),
                        expected,
                        "port {port} {proto:?} {tag}"
                    );
                }
            }
        }
    }

    #[test]
    fn source_and_ephemeral_match_linear_scan() {
        for port in 0..=u16::MAX {
            let fast: Vec<&str> = source_ports_at(port, None).map(|e| e.id).collect();
            let mut slow: Vec<&str> = SOURCE_PORTS
                .iter()
                .filter(|e| e.low <= port && port <= e.high)
                .map(|e| e.id)
                .collect();
            let mut sorted_fast = fast.clone();
            sorted_fast.sort_unstable();
            slow.sort_unstable();
            assert_eq!(sorted_fast, slow, "source port {port}");
            let fast: Vec<&str> = ephemeral_at(port).map(|e| e.id).collect();
            let mut slow: Vec<&str> = EPHEMERAL
                .iter()
                .filter(|e| e.low <= port && port <= e.high)
                .map(|e| e.id)
                .collect();
            let mut sorted_fast = fast;
            sorted_fast.sort_unstable();
            slow.sort_unstable();
            assert_eq!(sorted_fast, slow, "ephemeral port {port}");
        }
    }

    #[test]
    fn unknown_tag_is_false() {
        assert!(!port_has_tag(31337, Protocol::Tcp, "no-such-tag"));
        assert_eq!(ports_tagged("no-such-tag").count(), 0);
    }

    #[test]
    fn loose_names() {
        assert_eq!(loose("Sub-7"), loose("SubSeven"));
        assert_eq!(loose("Back Orifice"), "backorifice");
        assert_ne!(loose("phone"), loose("ph1"));
    }

    #[test]
    fn iana_lookup() {
        let ssh = iana_at(22, Some("tcp"));
        assert!(ssh.iter().any(|r| r.name == "ssh"), "{ssh:?}");
        assert!(iana_at(22, None).len() >= ssh.len());
        assert!(iana_at(22, Some("bogus")).is_empty());
        // 6000-6063 is one range row of the registry, expanded per port.
        assert!(iana_at(6010, Some("tcp")).iter().any(|r| r.name == "x11"));
        let (_, records) = find_by_name("BOOTPS");
        assert!(records.iter().any(|r| r.port == 67 && r.protocol == "udp"));
    }

    #[test]
    fn address_lookup_matches_linear_scan() {
        let probes = [
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "172.16.5.4",
            "192.0.2.7",
            "192.168.1.1",
            "224.0.0.251",
            "239.255.255.250",
            "255.255.255.255",
            "8.8.8.8",
            "::",
            "::1",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "2001:db8::1",
            "64:ff9b::1.2.3.4",
            "2606:4700::1111",
        ];
        for text in probes {
            let ip: IpAddr = text.parse().unwrap();
            let fast: Vec<&str> = addresses_containing(ip).iter().map(|e| e.id).collect();
            let mut slow: Vec<&AddressEntry> =
                ADDRESSES.iter().filter(|e| e.contains(ip)).collect();
            slow.sort_by_key(|e| std::cmp::Reverse(e.prefix_len));
            let slow: Vec<&str> = slow.iter().map(|e| e.id).collect();
            assert_eq!(fast, slow, "{text}");
            assert_eq!(address(ip).map(|e| e.id), slow.first().copied());
        }
    }
}
