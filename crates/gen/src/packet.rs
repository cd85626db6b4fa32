//! The generated packet (richer than an [`Event`]: it holds every field any of the three formats
//! prints), the finding kinds patterns are labelled with, and the labels themselves.

use std::net::IpAddr;

use fwseen_event::{Action, Protocol, TcpFlags};

/// Which way a packet crossed the firewall; it decides interfaces, chains and the Windows path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Path {
    /// From the internet to the firewall itself (its WAN address, the NAT address of the LAN).
    WanToFirewall,
    /// From the internet to one of our servers routed behind the firewall (or their broadcast).
    WanToServers,
    /// From a LAN host out to the internet.
    LanToWan,
    /// From one of our public servers out to the internet (a mail server delivering mail).
    ServersToWan,
    /// From a LAN host to the firewall or a LAN broadcast address.
    LanToFirewall,
}

impl Path {
    /// True for packets that came from the internet.
    pub fn is_inbound(self) -> bool {
        matches!(self, Path::WanToFirewall | Path::WanToServers)
    }

    /// True for packets one of our hosts sent out to the internet (forwarded by the firewall).
    pub fn is_outbound(self) -> bool {
        matches!(self, Path::LanToWan | Path::ServersToWan)
    }
}

/// The packet an ICMP error quotes (what netfilter prints in brackets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotedPacket {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Only UDP is quoted by the generator (8 bytes of UDP are its whole header).
    pub src_port: u16,
    pub dst_port: u16,
    pub ttl: u8,
    pub ip_id: u16,
    pub length: u16,
}

/// One generated packet, with every field the three formats print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// Microseconds since the Unix epoch (UTC).
    pub time_micros: i64,
    pub path: Path,
    /// Only [`Action::Allow`] and [`Action::Drop`] are generated.
    pub action: Action,
    /// TCP, UDP or ICMP (ICMP over IPv4 only), or another IP protocol without ports (IGMP, GRE,
    /// protocol numbers an IP-protocol scan tries; IPv4 only), as [`Protocol::from_number`]
    /// gives it.
    pub protocol: Protocol,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Ports, for TCP and UDP (zero otherwise).
    pub src_port: u16,
    pub dst_port: u16,
    pub tcp_flags: TcpFlags,
    pub tcp_seq: u32,
    pub tcp_ack: u32,
    pub tcp_window: u16,
    /// IPv4 TTL or IPv6 hop limit.
    pub ttl: u8,
    /// IPv4 identification (not printed for IPv6).
    pub ip_id: u16,
    /// IP length in bytes.
    pub length: u16,
    pub dont_fragment: bool,
    pub icmp_type: u8,
    pub icmp_code: u8,
    /// ICMP echo identifier and sequence number.
    pub icmp_id: u16,
    pub icmp_seq: u16,
    /// The packet an ICMP error quotes.
    pub quoted: Option<QuotedPacket>,
    /// The labelled pattern this packet belongs to (0 = background traffic).
    pub pattern: u32,
}

impl Packet {
    pub fn is_ipv6(&self) -> bool {
        self.src.is_ipv6()
    }
}

/// The finding kinds (issue 4 §3 ids) a pattern is labelled with, plus the background classes
/// that are not findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    ScanVertical,
    ScanHorizontal,
    ScanBlock,
    ScanDistributed,
    ScanStealth,
    ScanOsFingerprint,
    ScanSscan,
    ScanProxy,
    ScanTrojan,
    ScanRpc,
    ScanPcanywhere,
    ScanSourcePort,
    ScanIpProtocol,
    SweepPing,
    ProbeFraggle,
    ProbeReflector,
    ProbeSpoofedSource,
    ProbeSmurf,
    DosEchoChargen,
    AttackBruteforce,
    CompromiseTrojanOutbound,
    AdwareConducent,
    CompromiseBeacon,
    OutboundBlocked,
    OutboundPeriodic,
    NoiseRetry,
    BenignTraceroute,
    BenignTracerouteReply,
    BenignDhcp,
    BenignNetbios,
    BenignIdent,
    BenignLateReply,
    BenignNatSourcePort,
    BenignGame,
    BenignStreaming,
    BenignInoculan,
    BenignLanDiscovery,
    HeartbeatPowwow,
    ScannerZmap,
    ScannerMasscan,
    ScannerMirai,
}

impl Kind {
    /// Every kind, in catalogue order.
    pub const ALL: [Kind; 41] = [
        Kind::ScanVertical,
        Kind::ScanHorizontal,
        Kind::ScanBlock,
        Kind::ScanDistributed,
        Kind::ScanStealth,
        Kind::ScanOsFingerprint,
        Kind::ScanSscan,
        Kind::ScanProxy,
        Kind::ScanTrojan,
        Kind::ScanRpc,
        Kind::ScanPcanywhere,
        Kind::ScanSourcePort,
        Kind::ScanIpProtocol,
        Kind::SweepPing,
        Kind::ProbeFraggle,
        Kind::ProbeReflector,
        Kind::ProbeSpoofedSource,
        Kind::ProbeSmurf,
        Kind::DosEchoChargen,
        Kind::AttackBruteforce,
        Kind::CompromiseTrojanOutbound,
        Kind::AdwareConducent,
        Kind::CompromiseBeacon,
        Kind::OutboundBlocked,
        Kind::OutboundPeriodic,
        Kind::NoiseRetry,
        Kind::BenignTraceroute,
        Kind::BenignTracerouteReply,
        Kind::BenignDhcp,
        Kind::BenignNetbios,
        Kind::BenignIdent,
        Kind::BenignLateReply,
        Kind::BenignNatSourcePort,
        Kind::BenignGame,
        Kind::BenignStreaming,
        Kind::BenignInoculan,
        Kind::BenignLanDiscovery,
        Kind::HeartbeatPowwow,
        Kind::ScannerZmap,
        Kind::ScannerMasscan,
        Kind::ScannerMirai,
    ];

    /// The stable finding kind id.
    pub fn id(self) -> &'static str {
        match self {
            Kind::ScanVertical => "scan.vertical",
            Kind::ScanHorizontal => "scan.horizontal",
            Kind::ScanBlock => "scan.block",
            Kind::ScanDistributed => "scan.distributed",
            Kind::ScanStealth => "scan.stealth",
            Kind::ScanOsFingerprint => "scan.os-fingerprint",
            Kind::ScanSscan => "scan.sscan",
            Kind::ScanProxy => "scan.proxy",
            Kind::ScanTrojan => "scan.trojan",
            Kind::ScanRpc => "scan.rpc",
            Kind::ScanPcanywhere => "scan.pcanywhere",
            Kind::ScanSourcePort => "scan.source-port",
            Kind::ScanIpProtocol => "scan.ip-protocol",
            Kind::SweepPing => "sweep.ping",
            Kind::ProbeFraggle => "probe.fraggle",
            Kind::ProbeReflector => "probe.reflector",
            Kind::ProbeSpoofedSource => "probe.spoofed-source",
            Kind::ProbeSmurf => "probe.smurf",
            Kind::DosEchoChargen => "dos.echo-chargen",
            Kind::AttackBruteforce => "attack.bruteforce",
            Kind::CompromiseTrojanOutbound => "compromise.trojan-outbound",
            Kind::AdwareConducent => "adware.conducent",
            Kind::CompromiseBeacon => "compromise.beacon",
            Kind::OutboundBlocked => "outbound.blocked",
            Kind::OutboundPeriodic => "outbound.periodic",
            Kind::NoiseRetry => "noise.retry",
            Kind::BenignTraceroute => "benign.traceroute",
            Kind::BenignTracerouteReply => "benign.traceroute-reply",
            Kind::BenignDhcp => "benign.dhcp",
            Kind::BenignNetbios => "benign.netbios",
            Kind::BenignIdent => "benign.ident",
            Kind::BenignLateReply => "benign.late-reply",
            Kind::BenignNatSourcePort => "benign.nat-source-port",
            Kind::BenignGame => "benign.game",
            Kind::BenignStreaming => "benign.streaming",
            Kind::BenignInoculan => "benign.inoculan",
            Kind::BenignLanDiscovery => "benign.lan-discovery",
            Kind::HeartbeatPowwow => "heartbeat.powwow",
            Kind::ScannerZmap => "scanner.zmap",
            Kind::ScannerMasscan => "scanner.masscan",
            Kind::ScannerMirai => "scanner.mirai",
        }
    }

    /// Looks a kind up by its id.
    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// True for the kinds that must never be reported as a threat (benign, noise, heartbeat):
    /// besides the `benign.*` kinds, an inside host refused again and again at the same doors
    /// (`outbound.blocked`), one calling an everyday service at a steady pace
    /// (`outbound.periodic`) and an outsider retrying one blocked connection (`noise.retry`).
    pub fn is_benign(self) -> bool {
        self.id().starts_with("benign.")
            || matches!(
                self,
                Kind::HeartbeatPowwow
                    | Kind::OutboundBlocked
                    | Kind::OutboundPeriodic
                    | Kind::NoiseRetry
            )
    }
}

/// What one generated pattern is, who did it, and where it lies in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The pattern number (packets carry it in [`Packet::pattern`]); starts at 1.
    pub id: u32,
    pub kind: Kind,
    /// The stealth scan variant (`null`, `fin`, `xmas`, `syn-fin`, `ack`), the traceroute
    /// variant (`udp`, `icmp`), the spoofed-source variant (`land`, `loopback`) or the trusted
    /// source port of a source-port scan.
    pub variant: Option<&'static str>,
    /// The backdoor a trojan scan or trojan call-out is after.
    pub trojan: Option<&'static str>,
    /// The source the finding is about (`None` for many-source patterns).
    pub src: Option<IpAddr>,
    /// All sources, for many-source patterns (distributed scans, traceroute replies).
    pub sources: Vec<IpAddr>,
    /// Target hosts and ports.
    pub hosts: Vec<IpAddr>,
    pub ports: Vec<u16>,
    pub protocol: Protocol,
    /// How many packets the pattern has.
    pub planned: u32,
    /// How many of them were written (fewer when the output ended first).
    pub emitted: u32,
    /// The 1-based numbers of the first and last packet written (event numbers, not lines).
    pub first_event: u64,
    pub last_event: u64,
}
