//! The streaming, seeded traffic generator.
//!
//! [`Generator`] is an iterator of [`Packet`]s in time order. It mixes two things:
//! - **background traffic**, drawn one packet at a time as a Poisson stream: lone probes from
//!   fresh sources, short-lived visitors that retry once or twice, a pool of returning probers
//!   that knock on one favourite port of one to three of our hosts, the LAN's allowed outbound
//!   connections, clients of our public servers, late replies and stray pings;
//! - **labelled patterns** (one per [`Kind`]: scans, sweeps, probes, attacks, compromised inside
//!   hosts, refused or periodic inside hosts, retries, benign look-alikes, scanner fingerprints),
//!   started at the current time whenever the patterns' share of the output falls below its
//!   target. A pattern's packets are built at once and wait in a time-ordered heap, so long
//!   patterns (beacons, brute force) interleave with everything else. The heap holds only
//!   patterns in progress: memory does not grow with the number of packets generated.
//!
//! Each pattern is what the real thing looks like in a firewall log, so that the detectors are
//! tested against what they will meet: brute force is connections the firewall let through to a
//! login service (a dropped SYN never reached the login prompt), an ident query follows our own
//! connection to the asking server, NetBIOS chatter comes from the LAN, a stream or a game uses
//! one or two client ports, a beacon keeps its period for more than an hour. Some patterns need
//! our side of the story in the log: those packets (our mail server's connection that an ident
//! query answers) are *context*, emitted with the pattern but not labelled (`pattern` 0), since
//! the finding is not about them.
//!
//! About one packet in ten comes from a source never seen before, so a 10 M packet output has
//! about a million distinct sources. The catalogue mode instead emits every kind (and every
//! stealth, traceroute and spoofed-source variant) once, two hours apart, without background
//! (only the patterns' context packets): that is what per-kind tests want.
//!
//! Everything is derived from the seed; the same configuration always gives the same packets,
//! whatever format they are rendered in later.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::iter;
use std::net::{IpAddr, Ipv4Addr};

use fwseen_event::{Action, Protocol, TcpFlags};

use crate::network::{
    lan_host, our_host, our_host_v6, outside_v4, outside_v6, OutsideUse, FIREWALL, LAN_BROADCAST,
    LIMITED_BROADCAST, PUBLIC_BROADCAST,
};
use crate::packet::{Kind, Label, Packet, Path, QuotedPacket};
use crate::rng::{mix64, Rng};

const SECOND: i64 = 1_000_000;
const MINUTE: i64 = 60 * SECOND;

/// 2026-03-01T00:00:00Z, the default start of the generated traffic.
pub const DEFAULT_START_MICROS: i64 = 1_772_323_200 * SECOND;

/// What the generator emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Background traffic with labelled patterns woven in (the realistic mix).
    Mixed,
    /// Every kind once (every stealth and traceroute variant too), two hours apart, no background.
    Catalogue,
}

/// How to generate.
#[derive(Clone, Debug)]
pub struct GeneratorConfig {
    pub seed: u64,
    /// How many packets to emit at most (the catalogue may end sooner).
    pub packets: u64,
    pub mode: Mode,
    /// The share of packets that belong to labelled patterns, in the mixed mode.
    pub pattern_share: f64,
    /// Mean background packets per second (sets how much time the output spans).
    pub background_rate: f64,
    /// When the traffic starts, in microseconds since the epoch.
    pub start_micros: i64,
}

impl GeneratorConfig {
    /// The realistic mix: 15 % labelled patterns, about 20 packets a second.
    pub fn mixed(seed: u64, packets: u64) -> GeneratorConfig {
        GeneratorConfig {
            seed,
            packets,
            mode: Mode::Mixed,
            pattern_share: 0.15,
            background_rate: 17.0,
            start_micros: DEFAULT_START_MICROS,
        }
    }

    /// Every kind once.
    pub fn catalogue(seed: u64) -> GeneratorConfig {
        GeneratorConfig {
            mode: Mode::Catalogue,
            packets: u64::MAX,
            ..GeneratorConfig::mixed(seed, 0)
        }
    }
}

/// Counts of what was emitted, for the labels file's summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub packets: u64,
    pub pattern_packets: u64,
    pub patterns_started: u64,
    pub lone_probes: u64,
    /// Fresh (never seen before) outside sources of the background that were emitted.
    pub fresh_background_sources: u64,
}

/// A pattern packet waiting for its time.
struct Pending {
    packet: Packet,
    order: u64,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    /// Reversed, so that the max-heap pops the earliest packet (ties in creation order).
    fn cmp(&self, other: &Self) -> Ordering {
        (other.packet.time_micros, other.order).cmp(&(self.packet.time_micros, self.order))
    }
}

/// The TCP/IP stack a packet comes from; it decides window, length, DF, initial TTL and IP id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stack {
    Linux,
    Windows,
    /// nmap's raw SYN packets.
    Nmap,
    Zmap,
    Masscan,
    Mirai,
}

/// Ports that internet background traffic knocks on most, most frequent first.
const COMMON_PORTS: [u16; 40] = [
    23, 22, 445, 80, 3389, 8080, 443, 1433, 5060, 2323, 81, 8443, 3306, 5900, 25, 21, 8088, 6379,
    135, 139, 8000, 9200, 5555, 37215, 52869, 7547, 110, 143, 993, 995, 1723, 5432, 27017, 11211,
    2375, 8888, 9000, 49152, 10000, 88,
];

/// Ports a vertical scan of a server tries (nmap's favourites and friends).
const SCAN_PORTS: [u16; 64] = [
    21, 22, 23, 25, 53, 80, 81, 88, 106, 110, 111, 113, 119, 135, 139, 143, 144, 179, 199, 389,
    427, 443, 444, 445, 465, 513, 514, 515, 543, 544, 548, 554, 587, 631, 646, 873, 990, 993, 995,
    1025, 1026, 1027, 1028, 1029, 1110, 1433, 1720, 1723, 1755, 1900, 2000, 2001, 2049, 2121, 2717,
    3000, 3128, 3306, 3389, 3986, 4899, 5000, 5009, 5051,
];

/// Backdoor ports and the trojans that used them.
const TROJANS: [(u16, Protocol, &str); 8] = [
    (27374, Protocol::Tcp, "Sub-7"),
    (1243, Protocol::Tcp, "Sub-7"),
    (31337, Protocol::Udp, "Back Orifice"),
    (12345, Protocol::Tcp, "NetBus"),
    (12346, Protocol::Tcp, "NetBus"),
    (30100, Protocol::Tcp, "NetSphere"),
    (31789, Protocol::Udp, "Hack-a-tack"),
    (1524, Protocol::Tcp, "ingreslock"),
];

/// Login services our servers expose to the internet (the firewall lets connections to them
/// through), and so the ones brute-forced: (server, port).
const BRUTEFORCE_TARGETS: [(u8, u16); 7] = [
    (22, 22),
    (25, 25),
    (30, 3389),
    (31, 23),
    (32, 21),
    (33, 3306),
    (34, 5900),
];

/// Our servers that offer services to the internet (web, mail, the login services above).
const EXPOSED_SERVERS: [u8; 8] = [10, 22, 25, 30, 31, 32, 33, 34];

/// Ports a beacon calls: no known backdoor's and no everyday service's, so that the beacon is
/// told by its rhythm alone.
const BEACON_PORTS: [u16; 4] = [9443, 2083, 8531, 4433];

/// The spoofed-source variants.
const SPOOF_VARIANTS: [&str; 2] = ["land", "loopback"];

/// The stealth scan variants: (name, flags).
const STEALTH_VARIANTS: [(&str, u16); 5] = [
    ("null", 0),
    ("fin", 0x01),
    ("xmas", 0x01 | 0x08 | 0x20),
    ("syn-fin", 0x02 | 0x01),
    ("ack", 0x10),
];

/// How many addresses the background pools hold.
/// Every `(host, port)` pair of `hosts` and `ports`: all ports of the first host, then all ports
/// of the next, the order in which a block scan visits them.
fn every_port_of_every_host<'a>(
    hosts: &'a [IpAddr],
    ports: &'a [u16],
) -> impl Iterator<Item = (IpAddr, u16)> + 'a {
    hosts
        .iter()
        .flat_map(move |&host| ports.iter().map(move |&port| (host, port)))
}

/// The fields that stay the same over a run of UDP datagrams built by
/// `Generator::push_udp_repeated`; the meanings are those of `Generator::udp`.
struct UdpFlow {
    path: Path,
    src: IpAddr,
    src_port: u16,
    dst: IpAddr,
    dst_port: u16,
    payload: u16,
    initial_ttl: u8,
}

const RETURNING_POOL: u64 = 50_000;
const SERVER_POOL: u64 = 20_000;
const CLIENT_POOL: u64 = 100_000;
const LAN_HOSTS: u32 = 300;

/// The seeded generator; iterate it for packets, then ask for the labels.
pub struct Generator {
    config: GeneratorConfig,
    rng: Rng,
    /// The time of the last background packet (microseconds since the epoch).
    clock: i64,
    emitted: u64,
    order: u64,
    pending: BinaryHeap<Pending>,
    next_background: Option<Packet>,
    pattern_packets_scheduled: u64,
    next_pattern_id: u32,
    active: HashMap<u32, Label>,
    finished: Vec<Label>,
    fresh_v4: u64,
    fresh_v6: u64,
    next_infected: u32,
    catalogue: Vec<(Kind, Option<&'static str>)>,
    catalogue_next: usize,
    scratch: Vec<Packet>,
    /// The context packets of the pattern being built (see the module header): emitted with it,
    /// not labelled.
    context: Vec<Packet>,
    stats: Stats,
}

impl Generator {
    pub fn new(config: GeneratorConfig) -> Generator {
        let mut rng = Rng::new(config.seed);
        let fresh_v4 = rng.range(0, 1 << 20);
        let mut catalogue = Vec::new();
        if config.mode == Mode::Catalogue {
            for kind in Kind::ALL {
                match kind {
                    Kind::ScanStealth => {
                        for (name, _) in STEALTH_VARIANTS {
                            catalogue.push((kind, Some(name)));
                        }
                    }
                    Kind::BenignTraceroute => {
                        catalogue.push((kind, Some("udp")));
                        catalogue.push((kind, Some("icmp")));
                    }
                    Kind::ProbeSpoofedSource => {
                        for name in SPOOF_VARIANTS {
                            catalogue.push((kind, Some(name)));
                        }
                    }
                    _ => catalogue.push((kind, None)),
                }
            }
        }
        Generator {
            clock: config.start_micros,
            config,
            rng,
            emitted: 0,
            order: 0,
            pending: BinaryHeap::new(),
            next_background: None,
            pattern_packets_scheduled: 0,
            next_pattern_id: 1,
            active: HashMap::new(),
            finished: Vec::new(),
            fresh_v4,
            fresh_v6: 0,
            next_infected: 0,
            catalogue,
            catalogue_next: 0,
            scratch: Vec::new(),
            context: Vec::new(),
            stats: Stats::default(),
        }
    }

    /// Labels of the patterns whose every packet has been emitted since the last call.
    pub fn take_finished_labels(&mut self) -> Vec<Label> {
        std::mem::take(&mut self.finished)
    }

    /// Ends generation: returns the labels of patterns still in progress (cut short by the end
    /// of the output; their `emitted` is below `planned`), in pattern order. Patterns with no
    /// packet emitted are left out.
    pub fn finish(&mut self) -> Vec<Label> {
        let mut rest: Vec<Label> = self
            .active
            .drain()
            .map(|(_, label)| label)
            .filter(|label| label.emitted > 0)
            .collect();
        rest.sort_by_key(|label| label.id);
        let mut labels = std::mem::take(&mut self.finished);
        labels.extend(rest);
        labels
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Generates the whole catalogue at once: the packets and the labels.
    pub fn catalogue(seed: u64) -> (Vec<Packet>, Vec<Label>) {
        let mut generator = Generator::new(GeneratorConfig::catalogue(seed));
        let packets: Vec<Packet> = generator.by_ref().collect();
        let labels = generator.finish();
        (packets, labels)
    }

    // -----------------------------------------------------------------------------------------
    // The merge of background and patterns.
    // -----------------------------------------------------------------------------------------

    fn emit(&mut self, packet: Packet) -> Packet {
        self.emitted += 1;
        self.stats.packets += 1;
        if packet.pattern != 0 {
            self.stats.pattern_packets += 1;
            let number = self.emitted;
            if let Some(label) = self.active.get_mut(&packet.pattern) {
                if label.emitted == 0 {
                    label.first_event = number;
                }
                label.emitted += 1;
                label.last_event = number;
                if label.emitted == label.planned {
                    let label = self.active.remove(&packet.pattern).expect("present");
                    self.finished.push(label);
                }
            }
        }
        packet
    }

    fn next_mixed(&mut self) -> Packet {
        if self.next_background.is_none() {
            let packet = self.background();
            self.next_background = Some(packet);
        }
        let background_time = self
            .next_background
            .as_ref()
            .map_or(i64::MAX, |p| p.time_micros);
        if self
            .pending
            .peek()
            .is_some_and(|p| p.packet.time_micros <= background_time)
        {
            let pending = self.pending.pop().expect("peeked");
            return self.emit(pending.packet);
        }
        let packet = self.next_background.take().expect("drawn above");
        self.emit(packet)
    }

    fn next_catalogue(&mut self) -> Option<Packet> {
        if self.pending.is_empty() {
            let (kind, variant) = *self.catalogue.get(self.catalogue_next)?;
            self.catalogue_next += 1;
            self.clock += 2 * 3600 * SECOND;
            self.start_pattern(kind, variant);
        }
        let pending = self.pending.pop()?;
        self.clock = self.clock.max(pending.packet.time_micros);
        Some(self.emit(pending.packet))
    }

    // -----------------------------------------------------------------------------------------
    // Packet building blocks.
    // -----------------------------------------------------------------------------------------

    fn blank(
        &self,
        time_micros: i64,
        path: Path,
        protocol: Protocol,
        src: IpAddr,
        dst: IpAddr,
    ) -> Packet {
        Packet {
            time_micros,
            path,
            action: Action::Drop,
            protocol,
            src,
            dst,
            src_port: 0,
            dst_port: 0,
            tcp_flags: TcpFlags::empty(),
            tcp_seq: 0,
            tcp_ack: 0,
            tcp_window: 0,
            ttl: 64,
            ip_id: 0,
            length: 40,
            dont_fragment: false,
            icmp_type: 0,
            icmp_code: 0,
            icmp_id: 0,
            icmp_seq: 0,
            quoted: None,
            pattern: 0,
        }
    }

    /// The TTL a packet from `src` arrives with: the stack's initial TTL less a hop count that
    /// is fixed per source.
    fn arriving_ttl(src: IpAddr, initial: u8) -> u8 {
        let key = match src {
            IpAddr::V4(v4) => u64::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6) as u64,
        };
        initial.saturating_sub(5 + (mix64(key) % 20) as u8).max(1)
    }

    /// An ephemeral source port typical of the stack.
    fn ephemeral(&mut self, stack: Stack) -> u16 {
        match stack {
            Stack::Windows => self.rng.range_u16(49_152, 65_535),
            Stack::Linux | Stack::Nmap | Stack::Mirai => self.rng.range_u16(32_768, 60_999),
            Stack::Zmap | Stack::Masscan => self.rng.range_u16(40_000, 65_535),
        }
    }

    /// A TCP segment with the given flags, shaped like `stack` sends it.
    #[allow(clippy::too_many_arguments)]
    fn tcp(
        &mut self,
        time: i64,
        path: Path,
        stack: Stack,
        src: IpAddr,
        src_port: u16,
        dst: IpAddr,
        dst_port: u16,
        flags: u16,
    ) -> Packet {
        let mut p = self.blank(time, path, Protocol::Tcp, src, dst);
        p.src_port = src_port;
        p.dst_port = dst_port;
        p.tcp_flags = TcpFlags(flags);
        p.tcp_seq = self.rng.next_u32();
        p.ip_id = self.rng.next_u32() as u16;
        let outbound = path.is_outbound() || path == Path::LanToFirewall;
        let (initial, window, length, df): (u8, u16, u16, bool) = match stack {
            Stack::Linux => (64, 64_240, 60, true),
            Stack::Windows => (128, 64_240, 52, true),
            Stack::Nmap => (64, 1024, 44, false),
            Stack::Zmap => (255, 65_535, 44, false),
            Stack::Masscan => (255, 1024, 40, false),
            Stack::Mirai => (64, self.rng.range_u16(1_000, 65_000), 40, false),
        };
        p.ttl = if outbound {
            // Forwarded LAN packets are logged after the router took one off.
            initial.saturating_sub(1).max(1)
        } else {
            Generator::arriving_ttl(src, initial)
        };
        p.tcp_window = window;
        p.length = length;
        p.dont_fragment = df;
        match stack {
            Stack::Zmap => p.ip_id = 54_321,
            Stack::Masscan => {
                if let IpAddr::V4(v4) = dst {
                    p.ip_id = ((u32::from(v4) ^ u32::from(dst_port) ^ p.tcp_seq) & 0xffff) as u16;
                }
            }
            Stack::Mirai => {
                if let IpAddr::V4(v4) = dst {
                    p.tcp_seq = u32::from(v4);
                }
            }
            _ => {}
        }
        if flags & 0x10 != 0 {
            p.tcp_ack = self.rng.next_u32() | 1;
        }
        if src.is_ipv6() {
            p.length += 20;
        }
        p
    }

    /// A SYN from `stack` with an ephemeral source port.
    fn syn(
        &mut self,
        time: i64,
        path: Path,
        stack: Stack,
        src: IpAddr,
        dst: IpAddr,
        port: u16,
    ) -> Packet {
        let src_port = self.ephemeral(stack);
        self.tcp(time, path, stack, src, src_port, dst, port, 0x02)
    }

    /// Pushes one SYN from `src` to each `(host, port)` of `targets` into `self.scratch`, each
    /// from a new ephemeral port, the first at `t0` and each next one `spacing` microseconds later.
    fn push_syn_series(
        &mut self,
        t0: i64,
        spacing: i64,
        path: Path,
        stack: Stack,
        src: IpAddr,
        targets: impl IntoIterator<Item = (IpAddr, u16)>,
    ) {
        for (i, (host, port)) in targets.into_iter().enumerate() {
            let p = self.syn(t0 + i as i64 * spacing, path, stack, src, host, port);
            self.scratch.push(p);
        }
    }

    /// Pushes one connection attempt into `self.scratch`: a SYN from `src_port` at `t0`, resent
    /// as the stack does when no answer comes (Windows after 3 and 9 seconds, Linux after 1, 3
    /// and 7).
    #[allow(clippy::too_many_arguments)]
    fn push_syn_retries(
        &mut self,
        t0: i64,
        path: Path,
        stack: Stack,
        src: IpAddr,
        src_port: u16,
        dst: IpAddr,
        port: u16,
    ) {
        let retries: &[i64] = if stack == Stack::Windows {
            &[0, 3, 9]
        } else {
            &[0, 1, 3, 7]
        };
        for &retry in retries {
            let p = self.tcp(
                t0 + retry * SECOND,
                path,
                stack,
                src,
                src_port,
                dst,
                port,
                0x02,
            );
            self.scratch.push(p);
        }
    }

    /// The period and the number of calls of a beacon-like pattern: a period of 10 to 20
    /// minutes, and six to nine calls that span more than an hour.
    fn beacon_rhythm(&mut self) -> (i64, u64) {
        let period = self.rng.range(600, 1201) as i64 * SECOND;
        // (count - 1) * period is at least 3,900 s, above the hour with the jitter.
        let fewest = (3_900 * SECOND / period + 2).max(6) as u64;
        (period, self.rng.range(fewest, 10))
    }

    /// Pushes `count` refused calls of a LAN host to `dst`, `period` apart with a jitter of up
    /// to 2 %: TCP attempts (Windows, each SYN resent) or UDP queries from a new port each.
    #[allow(clippy::too_many_arguments)]
    fn push_periodic_calls(
        &mut self,
        t0: i64,
        period: i64,
        count: u64,
        src: IpAddr,
        dst: IpAddr,
        protocol: Protocol,
        port: u16,
    ) {
        for i in 0..count as i64 {
            let jitter = ((self.rng.unit() * 2.0 - 1.0) * 0.02 * period as f64) as i64;
            let start = t0 + i * period + if i == 0 { 0 } else { jitter };
            if protocol == Protocol::Udp {
                let sport = self.ephemeral(Stack::Linux);
                let p = self.udp(start, Path::LanToWan, src, sport, dst, port, 48, 64);
                self.scratch.push(p);
            } else {
                let sport = self.ephemeral(Stack::Windows);
                self.push_syn_retries(start, Path::LanToWan, Stack::Windows, src, sport, dst, port);
            }
        }
    }

    /// Pushes `count` identical-looking datagrams of `flow` into `self.scratch`, the first at `t0`
    /// and each next one `spacing` microseconds later.
    fn push_udp_repeated(&mut self, t0: i64, spacing: i64, count: u64, flow: UdpFlow) {
        for i in 0..count {
            let p = self.udp(
                t0 + i as i64 * spacing,
                flow.path,
                flow.src,
                flow.src_port,
                flow.dst,
                flow.dst_port,
                flow.payload,
                flow.initial_ttl,
            );
            self.scratch.push(p);
        }
    }

    /// Pushes one nmap-shaped TCP segment from `src` to `host` for each `(port, flags)` of
    /// `probes` into `self.scratch`, each from a new ephemeral port, the first at `t0` and each
    /// next one `spacing` microseconds later.
    fn push_nmap_probes(
        &mut self,
        t0: i64,
        spacing: i64,
        src: IpAddr,
        host: IpAddr,
        probes: impl IntoIterator<Item = (u16, u16)>,
    ) {
        for (i, (port, flags)) in probes.into_iter().enumerate() {
            let sport = self.ephemeral(Stack::Nmap);
            let p = self.tcp(
                t0 + i as i64 * spacing,
                Path::WanToServers,
                Stack::Nmap,
                src,
                sport,
                host,
                port,
                flags,
            );
            self.scratch.push(p);
        }
    }

    /// A UDP datagram with `payload` bytes.
    #[allow(clippy::too_many_arguments)]
    fn udp(
        &mut self,
        time: i64,
        path: Path,
        src: IpAddr,
        src_port: u16,
        dst: IpAddr,
        dst_port: u16,
        payload: u16,
        initial_ttl: u8,
    ) -> Packet {
        let mut p = self.blank(time, path, Protocol::Udp, src, dst);
        p.src_port = src_port;
        p.dst_port = dst_port;
        p.length = 28 + payload + if src.is_ipv6() { 20 } else { 0 };
        p.ip_id = self.rng.next_u32() as u16;
        p.ttl = if path.is_inbound() {
            Generator::arriving_ttl(src, initial_ttl)
        } else if path.is_outbound() {
            initial_ttl.saturating_sub(1).max(1)
        } else {
            initial_ttl
        };
        p
    }

    /// A bare IP header of `protocol` (no transport header: what an IP-protocol scan sends for
    /// protocols it has no probe for), from a stack whose initial TTL is 64.
    fn bare_ip(&mut self, time: i64, path: Path, protocol: u8, src: IpAddr, dst: IpAddr) -> Packet {
        let mut p = self.blank(time, path, Protocol::from_number(protocol), src, dst);
        p.length = 20;
        p.ip_id = self.rng.next_u32() as u16;
        p.ttl = Generator::arriving_ttl(src, 64);
        p
    }

    /// An ICMP message of `length` bytes.
    #[allow(clippy::too_many_arguments)]
    fn icmp(
        &mut self,
        time: i64,
        path: Path,
        src: IpAddr,
        dst: IpAddr,
        icmp_type: u8,
        code: u8,
        length: u16,
        initial_ttl: u8,
    ) -> Packet {
        let mut p = self.blank(time, path, Protocol::Icmp, src, dst);
        p.icmp_type = icmp_type;
        p.icmp_code = code;
        p.length = length;
        p.ip_id = self.rng.next_u32() as u16;
        p.ttl = if path.is_inbound() {
            Generator::arriving_ttl(src, initial_ttl)
        } else {
            initial_ttl
        };
        if matches!(icmp_type, 0 | 8) {
            p.icmp_id = self.rng.next_u32() as u16;
            p.icmp_seq = 1;
        }
        p
    }

    /// The path of an inbound packet to `dst`.
    fn inbound_path(dst: IpAddr) -> Path {
        if dst == IpAddr::V4(FIREWALL) {
            Path::WanToFirewall
        } else {
            Path::WanToServers
        }
    }

    /// A fresh outside IPv4 address, never used before.
    fn fresh(&mut self) -> IpAddr {
        self.fresh_v4 += 1;
        IpAddr::V4(outside_v4(OutsideUse::Fresh, self.fresh_v4))
    }

    fn fresh_v6(&mut self) -> IpAddr {
        self.fresh_v6 += 1;
        IpAddr::V6(outside_v6(self.fresh_v6))
    }

    /// A LAN host of its own for an inside-host pattern (compromised, refused, periodic): one
    /// that no other pattern or background traffic uses, so that a label's source stands for
    /// that pattern alone.
    fn infected_host(&mut self) -> IpAddr {
        self.next_infected = (self.next_infected + 1) % (60_000 - LAN_HOSTS - 1);
        lan_host(LAN_HOSTS + 1 + self.next_infected)
    }

    /// One of the LAN's everyday machines (10.1.0.2 and up: 10.1.0.1 is the firewall's LAN
    /// address, the LAN's resolver).
    fn lan_client(&mut self) -> IpAddr {
        lan_host(self.rng.range(1, u64::from(LAN_HOSTS) + 1) as u32)
    }

    /// A random server of ours (not the firewall, not the broadcast address).
    fn random_server(&mut self) -> IpAddr {
        our_host(self.rng.range(2, 255) as u8)
    }

    /// A random server of ours that offers nothing to the internet (every connection to it is
    /// dropped).
    fn quiet_server(&mut self) -> IpAddr {
        loop {
            let n = self.rng.range(2, 255) as u8;
            if !EXPOSED_SERVERS.contains(&n) {
                return our_host(n);
            }
        }
    }

    /// `count` consecutive servers of ours, from a random start.
    fn server_run(&mut self, count: u64) -> Vec<IpAddr> {
        let count = count.clamp(1, 253);
        let start = self.rng.range(2, 255 - count + 1);
        (start..start + count).map(|n| our_host(n as u8)).collect()
    }

    /// A pool index skewed towards small numbers (a few members are very active).
    fn skewed(&mut self, pool: u64) -> u64 {
        let u = self.rng.unit();
        ((u * u) * pool as f64) as u64
    }

    fn scanner_stack(&mut self) -> Stack {
        match self.rng.range(0, 10) {
            0..=5 => Stack::Nmap,
            6..=8 => Stack::Linux,
            _ => Stack::Windows,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Background traffic.
    // -----------------------------------------------------------------------------------------

    /// Draws the next background packet, and starts a pattern first when patterns are behind
    /// their share.
    fn background(&mut self) -> Packet {
        let mean = SECOND as f64 / self.config.background_rate;
        self.clock += self.rng.exponential(mean) as i64 + 1;
        let target = (self.emitted + 1) as f64 * self.config.pattern_share;
        if (self.pattern_packets_scheduled as f64) < target {
            let kind = self.pick_kind();
            let variant = match kind {
                Kind::ScanStealth => Some(self.rng.pick(&STEALTH_VARIANTS).0),
                Kind::BenignTraceroute => Some(if self.rng.chance(0.7) { "udp" } else { "icmp" }),
                Kind::ProbeSpoofedSource => Some(*self.rng.pick(&SPOOF_VARIANTS)),
                _ => None,
            };
            self.start_pattern(kind, variant);
        }
        let t = self.clock;
        let roll = self.rng.unit();
        if roll < 0.09 {
            self.lone_probe(t)
        } else if roll < 0.12 {
            self.short_visitor(t)
        } else if roll < 0.39 {
            self.returning_prober(t)
        } else if roll < 0.49 {
            self.server_client(t)
        } else if roll < 0.53 {
            self.late_reply(t)
        } else if roll < 0.55 {
            self.stray_ping(t)
        } else {
            self.lan_outbound(t)
        }
    }

    fn lone_probe(&mut self, t: i64) -> Packet {
        self.stats.lone_probes += 1;
        self.stats.fresh_background_sources += 1;
        let stack = self.scanner_stack();
        if self.rng.chance(0.015) {
            let src = self.fresh_v6();
            let dst = our_host_v6(self.rng.range(1, 33) as u16);
            let port = *self.rng.pick(&COMMON_PORTS[..12]);
            return self.syn(t, Path::WanToServers, stack, src, dst, port);
        }
        let src = self.fresh();
        let dst = our_host(self.rng.range(1, 255) as u8);
        let path = Generator::inbound_path(dst);
        let port = if self.rng.chance(0.65) {
            COMMON_PORTS[self.skewed(COMMON_PORTS.len() as u64) as usize]
        } else {
            self.rng.range(1, 65_536) as u16
        };
        if self.rng.chance(0.15) {
            let sport = self.ephemeral(stack);
            let payload = self.rng.range(0, 120) as u16;
            self.udp(t, path, src, sport, dst, port, payload, 64)
        } else {
            self.syn(t, path, stack, src, dst, port)
        }
    }

    /// A fresh source that tries one port of one host, and retries once or twice.
    fn short_visitor(&mut self, t: i64) -> Packet {
        self.stats.fresh_background_sources += 1;
        let src = self.fresh();
        let dst = self.random_server();
        let port = COMMON_PORTS[self.skewed(COMMON_PORTS.len() as u64) as usize];
        let stack = if self.rng.chance(0.5) {
            Stack::Linux
        } else {
            Stack::Windows
        };
        let first = self.syn(t, Path::WanToServers, stack, src, dst, port);
        let retries = self.rng.range(1, 3) as i64;
        for retry in 1..=retries {
            let mut again = first.clone();
            again.time_micros = t + (1 << retry) * SECOND;
            again.ip_id = self.rng.next_u32() as u16;
            self.push_pending(again);
        }
        first
    }

    fn returning_prober(&mut self, t: i64) -> Packet {
        let index = self.skewed(RETURNING_POOL);
        let src = IpAddr::V4(outside_v4(OutsideUse::Returning, index));
        let hash = mix64(index ^ 0x7265_7475_726e);
        let port = COMMON_PORTS[(hash % 24) as usize];
        let host_choice = self.rng.range(0, 1 + (hash >> 8) % 3);
        let dst = our_host((2 + (mix64(hash ^ host_choice) % 253)) as u8);
        let stack = match (hash >> 16) % 3 {
            0 => Stack::Linux,
            1 => Stack::Windows,
            _ => Stack::Nmap,
        };
        if port == 5060 {
            let payload = 400 + (hash % 100) as u16;
            return self.udp(t, Path::WanToServers, src, 5060, dst, port, payload, 64);
        }
        self.syn(t, Path::WanToServers, stack, src, dst, port)
    }

    fn server_client(&mut self, t: i64) -> Packet {
        let index = self.skewed(CLIENT_POOL);
        let src = IpAddr::V4(outside_v4(OutsideUse::Client, index));
        let stack = if mix64(index) % 3 == 0 {
            Stack::Linux
        } else {
            Stack::Windows
        };
        let roll = self.rng.range(0, 10);
        let (host, port) = match roll {
            0..=6 => (10, 443),
            7 | 8 => (10, 80),
            _ => (25, 25),
        };
        let mut p = self.syn(t, Path::WanToServers, stack, src, our_host(host), port);
        p.action = Action::Allow;
        p
    }

    fn late_reply(&mut self, t: i64) -> Packet {
        let firewall = IpAddr::V4(FIREWALL);
        let port = self.rng.range_u16(32_768, 60_999);
        if self.rng.chance(0.2) {
            let resolver = IpAddr::V4(if self.rng.chance(0.5) {
                Ipv4Addr::new(9, 9, 9, 9)
            } else {
                Ipv4Addr::new(1, 1, 1, 1)
            });
            let payload = self.rng.range(40, 300) as u16;
            return self.udp(
                t,
                Path::WanToFirewall,
                resolver,
                53,
                firewall,
                port,
                payload,
                64,
            );
        }
        let index = self.skewed(SERVER_POOL);
        let src = IpAddr::V4(outside_v4(OutsideUse::Server, index));
        let sport = if self.rng.chance(0.8) { 443 } else { 80 };
        let flags = *self.rng.pick(&[0x11u16, 0x10, 0x14, 0x18, 0x04]);
        let mut p = self.tcp(
            t,
            Path::WanToFirewall,
            Stack::Linux,
            src,
            sport,
            firewall,
            port,
            flags,
        );
        p.length = 52;
        p.tcp_window = self.rng.range_u16(200, 2000);
        p
    }

    fn stray_ping(&mut self, t: i64) -> Packet {
        let index = self.skewed(RETURNING_POOL);
        let src = IpAddr::V4(outside_v4(OutsideUse::Returning, index));
        let dst = our_host(self.rng.range(1, 255) as u8);
        let (length, ttl) = *self.rng.pick(&[(84u16, 64u8), (60, 128), (28, 64)]);
        self.icmp(t, Generator::inbound_path(dst), src, dst, 8, 0, length, ttl)
    }

    fn lan_outbound(&mut self, t: i64) -> Packet {
        let host_number = self.rng.range(1, u64::from(LAN_HOSTS) + 1) as u32;
        let src = lan_host(host_number);
        let stack = if host_number % 3 == 0 {
            Stack::Linux
        } else {
            Stack::Windows
        };
        let server = IpAddr::V4(outside_v4(OutsideUse::Server, self.skewed(SERVER_POOL)));
        let roll = self.rng.range(0, 100);
        let mut p = match roll {
            0..=74 => self.syn(t, Path::LanToWan, stack, src, server, 443),
            75..=88 => self.syn(t, Path::LanToWan, stack, src, server, 80),
            89..=94 => {
                let sport = self.ephemeral(stack);
                let payload = 1200;
                let initial = if stack == Stack::Windows { 128 } else { 64 };
                self.udp(t, Path::LanToWan, src, sport, server, 443, payload, initial)
            }
            _ => {
                let sport = self.ephemeral(stack);
                let resolver = IpAddr::V4(Ipv4Addr::new(10, 1, 0, 1));
                let payload = self.rng.range(20, 60) as u16;
                let initial = if stack == Stack::Windows { 128 } else { 64 };
                let mut p = self.udp(
                    t,
                    Path::LanToFirewall,
                    src,
                    sport,
                    resolver,
                    53,
                    payload,
                    initial,
                );
                p.action = Action::Allow;
                return p;
            }
        };
        p.action = Action::Allow;
        p
    }

    // -----------------------------------------------------------------------------------------
    // Labelled patterns.
    // -----------------------------------------------------------------------------------------

    /// A pattern kind, common ones more often.
    fn pick_kind(&mut self) -> Kind {
        const WEIGHTS: [(Kind, u32); 41] = [
            (Kind::ScanVertical, 8),
            (Kind::ScanHorizontal, 12),
            (Kind::ScanBlock, 3),
            (Kind::ScanDistributed, 3),
            (Kind::ScanStealth, 5),
            (Kind::ScanOsFingerprint, 2),
            (Kind::ScanSscan, 1),
            (Kind::ScanProxy, 3),
            (Kind::ScanTrojan, 3),
            (Kind::ScanRpc, 2),
            (Kind::ScanPcanywhere, 1),
            (Kind::ScanSourcePort, 2),
            (Kind::ScanIpProtocol, 1),
            (Kind::SweepPing, 4),
            (Kind::ProbeFraggle, 1),
            (Kind::ProbeReflector, 3),
            (Kind::ProbeSpoofedSource, 2),
            (Kind::ProbeSmurf, 1),
            (Kind::DosEchoChargen, 1),
            (Kind::AttackBruteforce, 5),
            (Kind::CompromiseTrojanOutbound, 1),
            (Kind::AdwareConducent, 1),
            (Kind::CompromiseBeacon, 2),
            (Kind::OutboundBlocked, 2),
            (Kind::OutboundPeriodic, 2),
            (Kind::NoiseRetry, 4),
            (Kind::BenignTraceroute, 5),
            (Kind::BenignTracerouteReply, 3),
            (Kind::BenignDhcp, 3),
            (Kind::BenignNetbios, 4),
            (Kind::BenignIdent, 3),
            (Kind::BenignLateReply, 4),
            (Kind::BenignNatSourcePort, 2),
            (Kind::BenignGame, 2),
            (Kind::BenignStreaming, 2),
            (Kind::BenignInoculan, 1),
            (Kind::BenignLanDiscovery, 2),
            (Kind::HeartbeatPowwow, 1),
            (Kind::ScannerZmap, 3),
            (Kind::ScannerMasscan, 3),
            (Kind::ScannerMirai, 3),
        ];
        let total: u32 = WEIGHTS.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.range(0, u64::from(total)) as u32;
        for (kind, weight) in WEIGHTS {
            if roll < weight {
                return kind;
            }
            roll -= weight;
        }
        Kind::ScanHorizontal
    }

    fn push_pending(&mut self, packet: Packet) {
        self.order += 1;
        self.pending.push(Pending {
            packet,
            order: self.order,
        });
    }

    /// Builds the packets of one pattern starting now, queues them and records its label.
    fn start_pattern(&mut self, kind: Kind, variant: Option<&'static str>) {
        let id = self.next_pattern_id;
        self.next_pattern_id += 1;
        self.scratch.clear();
        self.context.clear();
        let start = self.clock;
        let mut label = self.build(kind, variant, start);
        label.id = id;
        // Context first, so that at equal times our side of the story comes before the rest.
        let context = std::mem::take(&mut self.context);
        for packet in &context {
            self.push_pending(packet.clone());
        }
        self.context = context;
        let mut packets = std::mem::take(&mut self.scratch);
        label.planned = packets.len() as u32;
        self.pattern_packets_scheduled += packets.len() as u64;
        self.stats.patterns_started += 1;
        for mut packet in packets.drain(..) {
            packet.pattern = id;
            self.push_pending(packet);
        }
        self.scratch = packets;
        if label.planned > 0 {
            self.active.insert(id, label);
        }
    }

    fn label(
        kind: Kind,
        src: Option<IpAddr>,
        hosts: Vec<IpAddr>,
        ports: Vec<u16>,
        protocol: Protocol,
    ) -> Label {
        Label {
            id: 0,
            kind,
            variant: None,
            trojan: None,
            src,
            sources: Vec::new(),
            hosts,
            ports,
            protocol,
            planned: 0,
            emitted: 0,
            first_event: 0,
            last_event: 0,
        }
    }

    /// Builds the packets of a pattern into `self.scratch` and returns its label.
    fn build(&mut self, kind: Kind, variant: Option<&'static str>, t0: i64) -> Label {
        match kind {
            Kind::ScanVertical => {
                let src = self.fresh();
                let host = self.random_server();
                let count = self.rng.range(30, 200);
                let ports = self.distinct_ports(count as usize);
                let stack = self.scanner_stack();
                let spacing = if self.rng.chance(0.8) {
                    self.rng.range(2_000, 50_000) as i64
                } else {
                    self.rng.range(2, 20) as i64 * SECOND
                };
                let targets = ports.iter().map(|&port| (host, port));
                self.push_syn_series(t0, spacing, Path::WanToServers, stack, src, targets);
                Generator::label(kind, Some(src), vec![host], ports, Protocol::Tcp)
            }
            Kind::ScanHorizontal => {
                let src = self.fresh();
                let count = self.rng.range(30, 254);
                let hosts = self.server_run(count);
                let port = *self.rng.pick(&COMMON_PORTS[..20]);
                let stack = self.scanner_stack();
                let spacing = self.rng.range(20_000, 2 * SECOND as u64) as i64;
                let targets = hosts.iter().map(|&host| (host, port));
                self.push_syn_series(t0, spacing, Path::WanToServers, stack, src, targets);
                Generator::label(kind, Some(src), hosts, vec![port], Protocol::Tcp)
            }
            Kind::ScanBlock => {
                let src = self.fresh();
                let host_count = self.rng.range(5, 16);
                let hosts = self.server_run(host_count);
                let port_count = self.rng.range(10, 25);
                let ports = self.distinct_ports(port_count as usize);
                let stack = self.scanner_stack();
                let targets = every_port_of_every_host(&hosts, &ports);
                self.push_syn_series(t0, 20_000, Path::WanToServers, stack, src, targets);
                Generator::label(kind, Some(src), hosts, ports, Protocol::Tcp)
            }
            Kind::ScanDistributed => {
                let host_count = self.rng.range(1, 4);
                let hosts = self.server_run(host_count);
                let port = *self.rng.pick(&[23u16, 2323, 445, 22, 3389]);
                let count = self.rng.range(20, 60);
                let mut sources = Vec::new();
                for i in 0..count {
                    let src = self.fresh();
                    sources.push(src);
                    let host = hosts[i as usize % hosts.len()];
                    let at = t0 + i as i64 * self.rng.range(2, 12) as i64 * SECOND;
                    let p = self.syn(at, Path::WanToServers, Stack::Linux, src, host, port);
                    self.scratch.push(p);
                }
                let mut label = Generator::label(kind, None, hosts, vec![port], Protocol::Tcp);
                label.sources = sources;
                label
            }
            Kind::ScanStealth => {
                let (name, flags) = STEALTH_VARIANTS
                    .iter()
                    .copied()
                    .find(|(name, _)| Some(*name) == variant)
                    .unwrap_or(STEALTH_VARIANTS[1]);
                let src = self.fresh();
                let host = self.random_server();
                let count = self.rng.range(20, 100);
                let ports = self.distinct_ports(count as usize);
                let probes = ports.iter().map(|&port| (port, flags));
                self.push_nmap_probes(t0, 30_000, src, host, probes);
                let mut label = Generator::label(kind, Some(src), vec![host], ports, Protocol::Tcp);
                label.variant = Some(name);
                label
            }
            Kind::ScanOsFingerprint => {
                let src = self.fresh();
                let host = self.random_server();
                let open = 22;
                let closed = self.rng.range_u16(30_000, 45_000);
                // nmap -O: the SYN sequence probes, ECN, then T2-T7 with odd flag mixes.
                let probes: [(u16, u16); 13] = [
                    (open, 0x02),
                    (open, 0x02),
                    (open, 0x02),
                    (open, 0x02),
                    (open, 0x02),
                    (open, 0x02),
                    (open, 0x02 | 0x40 | 0x80),
                    (open, 0x00),
                    (open, 0x02 | 0x01 | 0x20 | 0x08),
                    (open, 0x10),
                    (closed, 0x02),
                    (closed, 0x10),
                    (closed, 0x01 | 0x08 | 0x20),
                ];
                self.push_nmap_probes(t0, 100_000, src, host, probes);
                // Then two SYNs to port 0.
                let targets = iter::repeat_n((host, 0), 2);
                let (t1, path) = (t0 + 2 * SECOND, Path::WanToServers);
                self.push_syn_series(t1, 100_000, path, Stack::Nmap, src, targets);
                Generator::label(
                    kind,
                    Some(src),
                    vec![host],
                    vec![open, closed, 0],
                    Protocol::Tcp,
                )
            }
            Kind::ScanSscan => {
                let src = self.fresh();
                let host = self.random_server();
                let ports: Vec<u16> = vec![
                    1, 2, 3, 4, 5, 21, 23, 25, 53, 79, 80, 110, 111, 143, 443, 1080, 31337,
                ];
                let path = Path::WanToServers;
                let targets = ports.iter().map(|&port| (host, port));
                self.push_syn_series(t0, 200_000, path, Stack::Linux, src, targets);
                Generator::label(kind, Some(src), vec![host], ports, Protocol::Tcp)
            }
            Kind::ScanProxy => {
                let src = self.fresh();
                let host_count = self.rng.range(1, 10);
                let hosts = self.server_run(host_count);
                let ports: Vec<u16> = vec![1080, 3128, 8000, 8001, 8080, 8081, 8888];
                let path = Path::WanToServers;
                let targets = every_port_of_every_host(&hosts, &ports);
                self.push_syn_series(t0, 300_000, path, Stack::Linux, src, targets);
                Generator::label(kind, Some(src), hosts, ports, Protocol::Tcp)
            }
            Kind::ScanTrojan => {
                // A backdoor hunt tries its ports at several hosts (one probe of one host is
                // not a hunt).
                let src = self.fresh();
                let host_count = self.rng.range(2, 8);
                let hosts = self.server_run(host_count);
                let first = self.rng.range(0, TROJANS.len() as u64) as usize;
                let count = self.rng.range(1, 4) as usize;
                let chosen: Vec<(u16, Protocol, &str)> = (0..count)
                    .map(|k| TROJANS[(first + k) % TROJANS.len()])
                    .collect();
                let mut n = 0;
                for &host in &hosts {
                    for &(port, protocol, _) in &chosen {
                        let at = t0 + n * 500_000;
                        let p = if protocol == Protocol::Udp {
                            let sport = self.ephemeral(Stack::Linux);
                            self.udp(at, Path::WanToServers, src, sport, host, port, 16, 64)
                        } else {
                            self.syn(at, Path::WanToServers, Stack::Windows, src, host, port)
                        };
                        self.scratch.push(p);
                        n += 1;
                    }
                }
                let ports = chosen.iter().map(|c| c.0).collect();
                let mut label = Generator::label(kind, Some(src), hosts, ports, chosen[0].1);
                label.trojan = Some(chosen[0].2);
                label
            }
            Kind::ScanRpc => {
                let src = self.fresh();
                let host_count = self.rng.range(4, 20);
                let hosts = self.server_run(host_count);
                let mut at = t0;
                for &host in &hosts {
                    let sport = 700 + self.rng.range(0, 300) as u16;
                    let p = self.udp(at, Path::WanToServers, src, sport, host, 111, 56, 64);
                    self.scratch.push(p);
                    at += 400_000;
                }
                let mut ports = vec![111];
                for port in [32_771u16, 32_772, 32_773, 32_774, 32_775, 635, 2049] {
                    let p = self.syn(at, Path::WanToServers, Stack::Linux, src, hosts[0], port);
                    self.scratch.push(p);
                    ports.push(port);
                    at += 200_000;
                }
                Generator::label(kind, Some(src), hosts, ports, Protocol::Udp)
            }
            Kind::ScanPcanywhere => {
                let src = self.fresh();
                let host_count = self.rng.range(2, 6);
                let hosts = self.server_run(host_count);
                for (i, &host) in hosts.iter().enumerate() {
                    let at = t0 + i as i64 * 3 * SECOND;
                    let p = self.syn(at, Path::WanToServers, Stack::Windows, src, host, 5631);
                    self.scratch.push(p);
                    let p = self.udp(
                        at + SECOND,
                        Path::WanToServers,
                        src,
                        5632,
                        host,
                        5632,
                        2,
                        128,
                    );
                    self.scratch.push(p);
                    let p = self.udp(
                        at + 2 * SECOND,
                        Path::WanToServers,
                        src,
                        5632,
                        host,
                        22,
                        2,
                        128,
                    );
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), hosts, vec![5631, 5632, 22], Protocol::Tcp)
            }
            Kind::ScanSourcePort => {
                let src = self.fresh();
                let host = self.random_server();
                let source_port = *self.rng.pick(&[53u16, 53, 20, 88, 67, 123]);
                let count = self.rng.range(15, 40);
                let ports = self.distinct_ports(count as usize);
                for (i, &port) in ports.iter().enumerate() {
                    let p = self.tcp(
                        t0 + i as i64 * 150_000,
                        Path::WanToServers,
                        Stack::Nmap,
                        src,
                        source_port,
                        host,
                        port,
                        0x02,
                    );
                    self.scratch.push(p);
                }
                let mut label = Generator::label(kind, Some(src), vec![host], ports, Protocol::Tcp);
                label.variant = Some(match source_port {
                    53 => "53",
                    20 => "20",
                    88 => "88",
                    67 => "67",
                    _ => "123",
                });
                label
            }
            Kind::ScanIpProtocol => {
                // nmap -sO: one bare IP header per protocol number, to one host, in random
                // order (the protocols with ports or types of their own are left out here: nmap
                // sends them real TCP, UDP and ICMP probes).
                let src = self.fresh();
                let host = self.random_server();
                let count = self.rng.range(12, 60) as usize;
                let mut numbers: Vec<u8> = (0..=255u8)
                    .filter(|n| !matches!(n, 1 | 6 | 17 | 50 | 51 | 58 | 136))
                    .collect();
                for i in 0..count {
                    let j = self.rng.range(i as u64, numbers.len() as u64) as usize;
                    numbers.swap(i, j);
                }
                numbers.truncate(count);
                let path = Generator::inbound_path(host);
                for (i, &number) in numbers.iter().enumerate() {
                    let p = self.bare_ip(t0 + i as i64 * 80_000, path, number, src, host);
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), vec![host], vec![], Protocol::Other(0))
            }
            Kind::SweepPing => {
                let src = self.fresh();
                let count = self.rng.range(20, 254);
                let hosts = self.server_run(count);
                for (i, &host) in hosts.iter().enumerate() {
                    let mut p = self.icmp(
                        t0 + i as i64 * 50_000,
                        Path::WanToServers,
                        src,
                        host,
                        8,
                        0,
                        28,
                        64,
                    );
                    p.icmp_id = 0x1c2d;
                    p.icmp_seq = i as u16;
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), hosts, vec![], Protocol::Icmp)
            }
            Kind::ProbeFraggle => {
                let src = self.fresh();
                let broadcast = IpAddr::V4(PUBLIC_BROADCAST);
                let port = *self.rng.pick(&[7u16, 19]);
                let count = self.rng.range(1, 4);
                for i in 0..count {
                    let sport = self.ephemeral(Stack::Linux);
                    let p = self.udp(
                        t0 + i as i64 * SECOND,
                        Path::WanToServers,
                        src,
                        sport,
                        broadcast,
                        port,
                        64,
                        64,
                    );
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), vec![broadcast], vec![port], Protocol::Udp)
            }
            Kind::ProbeReflector => {
                let src = self.fresh();
                let count = self.rng.range(8, 30);
                let hosts = self.server_run(count);
                let services: [(u16, u16); 8] = [
                    (19, 1),
                    (53, 17),
                    (123, 48),
                    (161, 40),
                    (389, 52),
                    (1900, 94),
                    (3702, 600),
                    (11211, 15),
                ];
                let first = self.rng.range(0, 8) as usize;
                let chosen = [services[first], services[(first + 3) % 8]];
                let two = self.rng.chance(0.3);
                let mut ports = vec![chosen[0].0];
                if two {
                    ports.push(chosen[1].0);
                }
                for (i, &host) in hosts.iter().enumerate() {
                    let (port, payload) = if two && i % 2 == 1 {
                        chosen[1]
                    } else {
                        chosen[0]
                    };
                    let sport = self.ephemeral(Stack::Linux);
                    let p = self.udp(
                        t0 + i as i64 * 200_000,
                        Path::WanToServers,
                        src,
                        sport,
                        host,
                        port,
                        payload,
                        64,
                    );
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), hosts, ports, Protocol::Udp)
            }
            Kind::ProbeSpoofedSource => {
                let host = self.random_server();
                if variant == Some("loopback") {
                    // Packets from 127.0.0.1 arriving on the WAN: no real host can route them.
                    let src = IpAddr::V4(Ipv4Addr::LOCALHOST);
                    let port = *self.rng.pick(&[80u16, 443, 22, 8080]);
                    let count = self.rng.range(1, 5);
                    let mut at = t0;
                    for _ in 0..count {
                        let p = self.syn(at, Path::WanToServers, Stack::Linux, src, host, port);
                        self.scratch.push(p);
                        at += self.rng.range(1, 30) as i64 * SECOND;
                    }
                    let mut label =
                        Generator::label(kind, Some(src), vec![host], vec![port], Protocol::Tcp);
                    label.variant = Some("loopback");
                    label
                } else {
                    // The land attack: SYNs whose source is their own destination, with the
                    // same port on both ends (old stacks answered themselves in a loop).
                    let port = *self.rng.pick(&[139u16, 80, 445, 23]);
                    let count = self.rng.range(1, 4);
                    for i in 0..count {
                        let at = t0 + i as i64 * 500_000;
                        let path = Path::WanToServers;
                        let p = self.tcp(at, path, Stack::Linux, host, port, host, port, 0x02);
                        self.scratch.push(p);
                    }
                    let mut label =
                        Generator::label(kind, Some(host), vec![host], vec![port], Protocol::Tcp);
                    label.variant = Some("land");
                    label
                }
            }
            Kind::ProbeSmurf => {
                // The source is the spoofed victim; the replies would go to it.
                let src = self.fresh();
                let broadcast = IpAddr::V4(PUBLIC_BROADCAST);
                let count = self.rng.range(3, 10);
                for i in 0..count {
                    let p = self.icmp(
                        t0 + i as i64 * 500_000,
                        Path::WanToServers,
                        src,
                        broadcast,
                        8,
                        0,
                        1028,
                        255,
                    );
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), vec![broadcast], vec![], Protocol::Icmp)
            }
            Kind::DosEchoChargen => {
                let src = self.fresh();
                let host = self.random_server();
                let (sport, dport) = if self.rng.chance(0.5) {
                    (19, 7)
                } else {
                    (7, 19)
                };
                let count = self.rng.range(2, 6);
                let flow = UdpFlow {
                    path: Path::WanToServers,
                    src,
                    src_port: sport,
                    dst: host,
                    dst_port: dport,
                    payload: 74,
                    initial_ttl: 64,
                };
                self.push_udp_repeated(t0, 700_000, count, flow);
                Generator::label(kind, Some(src), vec![host], vec![dport], Protocol::Udp)
            }
            Kind::AttackBruteforce => {
                // A password guesser at a login service we expose: every guess is a new
                // connection (a new source port) that the firewall let through to the service.
                let src = self.fresh();
                let (host_number, port) = *self.rng.pick(&BRUTEFORCE_TARGETS);
                let host = our_host(host_number);
                let count = self.rng.range(30, 150);
                let mut at = t0;
                for _ in 0..count {
                    let mut p = self.syn(at, Path::WanToServers, Stack::Linux, src, host, port);
                    p.action = Action::Allow;
                    self.scratch.push(p);
                    at += self.rng.range(1, 8) as i64 * SECOND;
                }
                Generator::label(kind, Some(src), vec![host], vec![port], Protocol::Tcp)
            }
            Kind::CompromiseTrojanOutbound => {
                let src = self.infected_host();
                let dst = self.fresh();
                let (port, _, name) = *self
                    .rng
                    .pick(&[TROJANS[0], TROJANS[3], TROJANS[5], TROJANS[7]]);
                // The backdoor calls home again and again; Windows resends each refused SYN
                // from the same port after 3 and 9 seconds, which is one attempt, not three.
                let attempts = self.rng.range(3, 9);
                let mut at = t0;
                for _ in 0..attempts {
                    let sport = self.ephemeral(Stack::Windows);
                    self.push_syn_retries(
                        at,
                        Path::LanToWan,
                        Stack::Windows,
                        src,
                        sport,
                        dst,
                        port,
                    );
                    at += self.rng.range(30, 90) as i64 * SECOND;
                }
                let mut label =
                    Generator::label(kind, Some(src), vec![dst], vec![port], Protocol::Tcp);
                label.trojan = Some(name);
                label
            }
            Kind::AdwareConducent => {
                let src = self.infected_host();
                let dst = self.fresh();
                let storms = self.rng.range(2, 5);
                let mut at = t0;
                for _ in 0..storms {
                    let sport = self.ephemeral(Stack::Windows);
                    for retry in [0, 3, 9] {
                        let mut p = self.tcp(
                            at + retry * SECOND,
                            Path::LanToWan,
                            Stack::Windows,
                            src,
                            sport,
                            dst,
                            17_027,
                            0x02,
                        );
                        p.tcp_window = 8192;
                        self.scratch.push(p);
                    }
                    at += self.rng.range(20, 60) as i64 * SECOND;
                }
                Generator::label(kind, Some(src), vec![dst], vec![17_027], Protocol::Tcp)
            }
            Kind::CompromiseBeacon => {
                // Malware calling its controller at a fixed period (a little jitter), refused
                // each time, on a port of no everyday service. It keeps at it for over an hour
                // (what tells a beacon from a burst of retries), with fewer than ten calls, so
                // that it is not also an inside host refused again and again at one door
                // (`outbound.blocked`).
                let src = self.infected_host();
                let dst = self.fresh();
                let port = *self.rng.pick(&BEACON_PORTS);
                let (period, count) = self.beacon_rhythm();
                self.push_periodic_calls(t0, period, count, src, dst, Protocol::Tcp, port);
                Generator::label(kind, Some(src), vec![dst], vec![port], Protocol::Tcp)
            }
            Kind::OutboundPeriodic => {
                // An update agent (HTTPS) or a time client (NTP from a random port) polling a
                // server the firewall blocks, at its fixed interval: a beacon's rhythm on an
                // everyday service.
                let src = self.infected_host();
                let dst = self.fresh();
                let (protocol, port) = if self.rng.chance(0.5) {
                    (Protocol::Tcp, 443)
                } else {
                    (Protocol::Udp, 123)
                };
                let (period, count) = self.beacon_rhythm();
                self.push_periodic_calls(t0, period, count, src, dst, protocol, port);
                Generator::label(kind, Some(src), vec![dst], vec![port], protocol)
            }
            Kind::OutboundBlocked => {
                // An inside host whose mail the firewall refuses (a misconfigured mail client, a
                // spam program): connection after connection to the same one or two mail
                // servers, at irregular intervals, for less than an hour.
                let src = self.infected_host();
                let server_count = self.rng.range(1, 3) as usize;
                let servers: Vec<IpAddr> = (0..server_count).map(|_| self.fresh()).collect();
                let port = *self.rng.pick(&[25u16, 25, 25, 587]);
                let attempts = self.rng.range(12, 40) as usize;
                let mut at = t0;
                for i in 0..attempts {
                    let dst = servers[i % servers.len()];
                    let sport = self.ephemeral(Stack::Windows);
                    self.push_syn_retries(
                        at,
                        Path::LanToWan,
                        Stack::Windows,
                        src,
                        sport,
                        dst,
                        port,
                    );
                    at += self.rng.range(15, 90) as i64 * SECOND;
                }
                Generator::label(kind, Some(src), servers, vec![port], Protocol::Tcp)
            }
            Kind::NoiseRetry => {
                // A file-sharing peer retrying our NAT address at the port a torrent client of
                // ours once listened on: every few minutes it tries again, and its stack resends
                // each dropped SYN.
                let src = self.fresh();
                let host = IpAddr::V4(FIREWALL);
                let port = self.rng.range_u16(10_000, 60_000);
                let stack = if self.rng.chance(0.5) {
                    Stack::Linux
                } else {
                    Stack::Windows
                };
                let runs = self.rng.range(3, 7);
                let mut at = t0;
                for _ in 0..runs {
                    let sport = self.ephemeral(stack);
                    self.push_syn_retries(at, Path::WanToFirewall, stack, src, sport, host, port);
                    at += self.rng.range(5 * 60, 30 * 60) as i64 * SECOND;
                }
                Generator::label(kind, Some(src), vec![host], vec![port], Protocol::Tcp)
            }
            Kind::BenignTraceroute => {
                let src = self.fresh();
                let host = self.random_server();
                let hops = 8 + (mix64(self.fresh_v4) % 12) as u16;
                let arriving = 30 - hops;
                let mut label =
                    Generator::label(kind, Some(src), vec![host], Vec::new(), Protocol::Udp);
                if variant == Some("icmp") {
                    // Windows tracert: echo requests, three per TTL.
                    label.protocol = Protocol::Icmp;
                    label.variant = Some("icmp");
                    let id = self.rng.next_u32() as u16;
                    for k in 0..arriving * 3 {
                        let mut p = self.icmp(
                            t0 + i64::from(k) * 300_000,
                            Path::WanToServers,
                            src,
                            host,
                            8,
                            0,
                            92,
                            1,
                        );
                        p.ttl = (1 + k / 3) as u8;
                        p.icmp_id = id;
                        p.icmp_seq = 3 * (hops - 1) + k;
                        self.scratch.push(p);
                    }
                } else {
                    label.variant = Some("udp");
                    let sport = self.rng.range_u16(33_000, 60_000);
                    for k in 0..arriving * 3 {
                        let port = 33_434 + 3 * (hops - 1) + k;
                        let mut p = self.udp(
                            t0 + i64::from(k) * 100_000,
                            Path::WanToServers,
                            src,
                            sport,
                            host,
                            port,
                            32,
                            1,
                        );
                        p.ttl = (1 + k / 3) as u8;
                        self.scratch.push(p);
                        label.ports.push(port);
                    }
                }
                label
            }
            Kind::BenignTracerouteReply => {
                // One of our hosts traced a route out; the routers' time-exceeded answers came
                // back after the firewall had forgotten the probes.
                let ours = IpAddr::V4(FIREWALL);
                let target = IpAddr::V4(outside_v4(OutsideUse::Server, self.skewed(SERVER_POOL)));
                let hops = self.rng.range(4, 12) as u16;
                let sport = self.rng.range_u16(40_000, 60_000);
                let mut sources = Vec::new();
                for hop in 0..hops {
                    let router = self.fresh();
                    sources.push(router);
                    for probe in 0..3 {
                        let k = hop * 3 + probe;
                        let mut p = self.icmp(
                            t0 + i64::from(k) * 50_000,
                            Path::WanToFirewall,
                            router,
                            ours,
                            11,
                            0,
                            56,
                            255,
                        );
                        p.quoted = Some(QuotedPacket {
                            src: ours,
                            dst: target,
                            src_port: sport,
                            dst_port: 33_434 + k,
                            ttl: 1,
                            ip_id: self.rng.next_u32() as u16,
                            length: 60,
                        });
                        self.scratch.push(p);
                    }
                }
                let mut label = Generator::label(kind, None, vec![ours], vec![], Protocol::Icmp);
                label.sources = sources;
                label
            }
            Kind::BenignDhcp => {
                let src = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
                let broadcast = IpAddr::V4(LIMITED_BROADCAST);
                let count = self.rng.range(3, 6);
                for i in 0..count {
                    let p = self.udp(
                        t0 + (1 << i) * SECOND,
                        Path::LanToFirewall,
                        src,
                        68,
                        broadcast,
                        67,
                        300,
                        64,
                    );
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), vec![broadcast], vec![67], Protocol::Udp)
            }
            Kind::BenignNetbios => {
                // A LAN machine's name service and browser broadcasts. (The same packets from
                // the internet are probes of our NetBIOS ports, not chatter.)
                let src = self.lan_client();
                let broadcast = IpAddr::V4(LAN_BROADCAST);
                let count = self.rng.range(4, 12);
                for i in 0..count {
                    let port = if i % 3 == 2 { 138 } else { 137 };
                    let payload = if port == 138 { 201 } else { 50 };
                    let p = self.udp(
                        t0 + i as i64 * 2 * SECOND,
                        Path::LanToFirewall,
                        src,
                        port,
                        broadcast,
                        port,
                        payload,
                        128,
                    );
                    self.scratch.push(p);
                }
                Generator::label(
                    kind,
                    Some(src),
                    vec![broadcast],
                    vec![137, 138],
                    Protocol::Udp,
                )
            }
            Kind::BenignIdent => {
                // One of our servers connects out (our mail server delivering mail, an IRC
                // client), the firewall lets it through and logs it, and the server at the other
                // end asks our ident service who opened the connection; the query is dropped and
                // resent. Our connection is context: the finding is about the asking server.
                let src = self.fresh();
                let (host, service) = if self.rng.chance(0.7) {
                    (our_host(25), 25)
                } else {
                    (self.quiet_server(), 6667)
                };
                let mut ours = self.syn(t0, Path::ServersToWan, Stack::Linux, host, src, service);
                ours.action = Action::Allow;
                self.context.push(ours);
                let first = t0 + self.rng.range(200_000, 2 * SECOND as u64) as i64;
                let count = self.rng.range(1, 4);
                let sport = self.ephemeral(Stack::Linux);
                for i in 0..count {
                    let p = self.tcp(
                        first + (i as i64) * 3 * SECOND,
                        Path::WanToServers,
                        Stack::Linux,
                        src,
                        sport,
                        host,
                        113,
                        0x02,
                    );
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), vec![host], vec![113], Protocol::Tcp)
            }
            Kind::BenignLateReply => {
                let src = IpAddr::V4(outside_v4(OutsideUse::Server, self.skewed(SERVER_POOL)));
                let host = IpAddr::V4(FIREWALL);
                let count = self.rng.range(8, 30);
                let mut ports = Vec::new();
                let sport = if self.rng.chance(0.8) { 443 } else { 80 };
                for i in 0..count {
                    let port = self.rng.range_u16(32_768, 60_999);
                    ports.push(port);
                    let flags = [0x11u16, 0x10, 0x14, 0x18][i as usize % 4];
                    let mut p = self.tcp(
                        t0 + i as i64 * 400_000,
                        Path::WanToFirewall,
                        Stack::Linux,
                        src,
                        sport,
                        host,
                        port,
                        flags,
                    );
                    p.length = 52;
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), vec![host], ports, Protocol::Tcp)
            }
            Kind::BenignNatSourcePort => {
                let src = IpAddr::V4(outside_v4(OutsideUse::Server, self.skewed(SERVER_POOL)));
                let host = IpAddr::V4(FIREWALL);
                let count = self.rng.range(6, 20);
                let mut ports = Vec::new();
                for i in 0..count {
                    let port = self.rng.range_u16(61_000, 65_095);
                    ports.push(port);
                    let flags = [0x18u16, 0x10, 0x11][i as usize % 3];
                    let p = self.tcp(
                        t0 + i as i64 * SECOND,
                        Path::WanToFirewall,
                        Stack::Linux,
                        src,
                        80,
                        host,
                        port,
                        flags,
                    );
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), vec![host], ports, Protocol::Tcp)
            }
            Kind::BenignGame => {
                let src = self.fresh();
                let host = IpAddr::V4(FIREWALL);
                let port = self.rng.range_u16(27_910, 27_961);
                let count = self.rng.range(5, 20);
                let flow = UdpFlow {
                    path: Path::WanToFirewall,
                    src,
                    src_port: 27_960,
                    dst: host,
                    dst_port: port,
                    payload: 40,
                    initial_ttl: 64,
                };
                self.push_udp_repeated(t0, 50_000, count, flow);
                Generator::label(kind, Some(src), vec![host], vec![port], Protocol::Udp)
            }
            Kind::BenignStreaming => {
                // A RealAudio server streaming to a player behind our NAT address after the
                // firewall forgot the session: UDP from the server's port to the one client port
                // the player asked for (a second stream, a second port), a few seconds of it.
                let src = self.fresh();
                let host = IpAddr::V4(FIREWALL);
                let first = self.rng.range_u16(6970, 7168);
                let streams = if self.rng.chance(0.3) { 2 } else { 1 };
                let ports: Vec<u16> = (0..streams).map(|k| first + 2 * k).collect();
                let count = self.rng.range(20, 60) as usize;
                for i in 0..count {
                    let port = ports[i % ports.len()];
                    let p = self.udp(
                        t0 + i as i64 * 100_000,
                        Path::WanToFirewall,
                        src,
                        7070,
                        host,
                        port,
                        500,
                        64,
                    );
                    self.scratch.push(p);
                }
                Generator::label(kind, Some(src), vec![host], ports, Protocol::Udp)
            }
            Kind::BenignInoculan => {
                let src = self.lan_client();
                let broadcast = IpAddr::V4(LAN_BROADCAST);
                let count = self.rng.range(3, 8);
                let flow = UdpFlow {
                    path: Path::LanToFirewall,
                    src,
                    src_port: 41_508,
                    dst: broadcast,
                    dst_port: 41_508,
                    payload: 120,
                    initial_ttl: 128,
                };
                self.push_udp_repeated(t0, MINUTE, count, flow);
                Generator::label(
                    kind,
                    Some(src),
                    vec![broadcast],
                    vec![41_508],
                    Protocol::Udp,
                )
            }
            Kind::BenignLanDiscovery => {
                let src = self.lan_client();
                let group = IpAddr::V4(Ipv4Addr::new(239, 255, 255, 250));
                let count = self.rng.range(3, 8);
                let flow = UdpFlow {
                    path: Path::LanToFirewall,
                    src,
                    src_port: 50_000,
                    dst: group,
                    dst_port: 1900,
                    payload: 137,
                    initial_ttl: 1,
                };
                self.push_udp_repeated(t0, 30 * SECOND, count, flow);
                Generator::label(kind, Some(src), vec![group], vec![1900], Protocol::Udp)
            }
            Kind::HeartbeatPowwow => {
                // Strangers' PowWow clients still calling an address that one of ours inherited.
                let src = self.fresh();
                let host = self.random_server();
                let count = self.rng.range(4, 8);
                let spacing = 5 * MINUTE;
                let path = Path::WanToServers;
                let targets = iter::repeat_n((host, 13_223), count as usize);
                self.push_syn_series(t0, spacing, path, Stack::Windows, src, targets);
                Generator::label(kind, Some(src), vec![host], vec![13_223], Protocol::Tcp)
            }
            Kind::ScannerZmap | Kind::ScannerMasscan | Kind::ScannerMirai => {
                // A stateless scanner sweeping one port: of our block it may hit a few
                // addresses (a sample of the internet) or many (a scan of our range).
                let src = self.fresh();
                let count = if kind == Kind::ScannerMirai {
                    self.rng.range(10, 60)
                } else {
                    self.rng.range(3, 60)
                };
                let hosts = self.server_run(count);
                let (stack, port) = match kind {
                    Kind::ScannerZmap => {
                        (Stack::Zmap, *self.rng.pick(&[80u16, 443, 8080, 7547, 8443]))
                    }
                    Kind::ScannerMasscan => (
                        Stack::Masscan,
                        *self.rng.pick(&[9200u16, 6379, 27017, 2375, 5900]),
                    ),
                    _ => (Stack::Mirai, if self.rng.chance(0.9) { 23 } else { 2323 }),
                };
                // Stateless scanners visit addresses in a scrambled order.
                let mut order: Vec<IpAddr> = hosts.clone();
                for i in (1..order.len()).rev() {
                    let j = self.rng.range(0, i as u64 + 1) as usize;
                    order.swap(i, j);
                }
                let targets = order.iter().map(|&host| (host, port));
                self.push_syn_series(t0, 10_000, Path::WanToServers, stack, src, targets);
                Generator::label(kind, Some(src), hosts, vec![port], Protocol::Tcp)
            }
        }
    }

    /// `count` distinct ports, most from the scan list, the rest random, in scan order.
    fn distinct_ports(&mut self, count: usize) -> Vec<u16> {
        let mut ports: Vec<u16> = Vec::with_capacity(count);
        let mut from_list = SCAN_PORTS.to_vec();
        while ports.len() < count {
            let port = if !from_list.is_empty() && self.rng.chance(0.7) {
                let index = self.rng.range(0, from_list.len() as u64) as usize;
                from_list.swap_remove(index)
            } else {
                self.rng.range(1, 65_536) as u16
            };
            if !ports.contains(&port) {
                ports.push(port);
            }
        }
        ports
    }
}

impl Iterator for Generator {
    type Item = Packet;

    fn next(&mut self) -> Option<Packet> {
        if self.emitted >= self.config.packets {
            return None;
        }
        match self.config.mode {
            Mode::Mixed => Some(self.next_mixed()),
            Mode::Catalogue => self.next_catalogue(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn same_seed_same_packets_and_time_order() {
        let a: Vec<Packet> = Generator::new(GeneratorConfig::mixed(3, 5_000)).collect();
        let b: Vec<Packet> = Generator::new(GeneratorConfig::mixed(3, 5_000)).collect();
        let c: Vec<Packet> = Generator::new(GeneratorConfig::mixed(4, 5_000)).collect();
        assert_eq!(a.len(), 5_000);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.windows(2).all(|w| w[0].time_micros <= w[1].time_micros));
    }

    #[test]
    fn mix_has_patterns_lone_probes_and_many_sources() {
        let mut generator = Generator::new(GeneratorConfig::mixed(1, 100_000));
        let mut sources = HashSet::new();
        let mut pattern_packets = 0;
        for packet in generator.by_ref() {
            sources.insert(packet.src);
            pattern_packets += usize::from(packet.pattern != 0);
        }
        let labels = generator.finish();
        let share = pattern_packets as f64 / 100_000.0;
        assert!((0.12..0.20).contains(&share), "pattern share {share}");
        assert!(sources.len() > 15_000, "{} sources", sources.len());
        let kinds: HashSet<Kind> = labels.iter().map(|l| l.kind).collect();
        assert!(kinds.len() >= 36, "only {} kinds", kinds.len());
        let counted: u64 = labels.iter().map(|l| u64::from(l.emitted)).sum();
        assert_eq!(counted, pattern_packets as u64);
        for label in &labels {
            assert!(label.first_event >= 1 && label.first_event <= label.last_event);
            assert!(label.emitted <= label.planned);
        }
        assert!(generator.stats().lone_probes > 5_000);
    }

    #[test]
    fn catalogue_has_every_kind_and_variant_once_complete() {
        let (packets, labels) = Generator::catalogue(11);
        let kinds: HashSet<Kind> = labels.iter().map(|l| l.kind).collect();
        assert_eq!(kinds.len(), Kind::ALL.len());
        // Four more stealth variants, one more traceroute and one more spoofed-source variant.
        assert_eq!(labels.len(), Kind::ALL.len() + 4 + 1 + 1);
        assert!(labels
            .iter()
            .all(|l| l.emitted == l.planned && l.planned > 0));
        let labelled: Vec<&Packet> = packets.iter().filter(|p| p.pattern != 0).collect();
        assert_eq!(
            labelled.len() as u32,
            labels.iter().map(|l| l.planned).sum::<u32>()
        );
        // The only unlabelled packets are context: our own servers' connections out, allowed.
        let context: Vec<&Packet> = packets.iter().filter(|p| p.pattern == 0).collect();
        assert!(!context.is_empty());
        assert!(context
            .iter()
            .all(|p| p.path == Path::ServersToWan && p.action == Action::Allow));
        assert!(packets
            .windows(2)
            .all(|w| w[0].time_micros <= w[1].time_micros));
        // Labelled packets of one pattern are contiguous in the catalogue.
        for label in &labels {
            let range = (label.first_event - 1) as usize..label.last_event as usize;
            assert!(packets[range].iter().all(|p| p.pattern == label.id));
        }
    }

    #[test]
    fn patterns_look_like_the_real_thing() {
        for seed in 1..=4 {
            let (packets, labels) = Generator::catalogue(seed);
            let of = |kind: Kind| -> Vec<&Packet> {
                let id = labels.iter().find(|l| l.kind == kind).expect("kind").id;
                packets.iter().filter(|p| p.pattern == id).collect()
            };
            let span = |ps: &[&Packet]| ps.last().expect("packets").time_micros - ps[0].time_micros;
            let attempts = |ps: &[&Packet]| {
                ps.iter()
                    .map(|p| (p.dst, p.src_port))
                    .collect::<HashSet<_>>()
                    .len()
            };
            // A beacon: six to nine refused calls over more than an hour.
            let beacon = of(Kind::CompromiseBeacon);
            assert!((6..10).contains(&attempts(&beacon)), "seed {seed}");
            assert!(span(&beacon) >= 3_600 * SECOND, "seed {seed}");
            assert!(beacon.iter().all(|p| p.action == Action::Drop));
            // Refused again and again at one or two doors, within the hour.
            let blocked = of(Kind::OutboundBlocked);
            assert!(attempts(&blocked) >= 10);
            assert!(blocked.iter().map(|p| p.dst).collect::<HashSet<_>>().len() <= 2);
            assert!(span(&blocked) < 3_600 * SECOND);
            // The ident query follows our own connection to the asking server.
            let ident = of(Kind::BenignIdent);
            let ours = packets
                .iter()
                .find(|p| p.pattern == 0 && p.dst == ident[0].src)
                .expect("our connection to the ident server");
            assert_eq!(ours.src, ident[0].dst);
            assert_eq!(ours.action, Action::Allow);
            assert!((0..600 * SECOND).contains(&(ident[0].time_micros - ours.time_micros)));
            // One or two stream ports; NetBIOS from the LAN; a trojan calls at least thrice.
            let streaming = of(Kind::BenignStreaming);
            let stream_ports: HashSet<u16> = streaming.iter().map(|p| p.dst_port).collect();
            assert!(stream_ports.len() <= 2);
            assert!(of(Kind::BenignNetbios)
                .iter()
                .all(|p| crate::network::is_ours(p.src) && p.path == Path::LanToFirewall));
            assert!(attempts(&of(Kind::CompromiseTrojanOutbound)) >= 3);
            // A retry story: one door, several queue runs over more than a minute.
            let retry = of(Kind::NoiseRetry);
            assert_eq!(retry.iter().map(|p| p.dst).collect::<HashSet<_>>().len(), 1);
            assert!(retry.len() >= 4 && span(&retry) >= 60 * SECOND);
        }
    }

    #[test]
    fn fingerprints_are_in_the_packets() {
        let (packets, labels) = Generator::catalogue(5);
        let of = |kind: Kind| {
            let id = labels.iter().find(|l| l.kind == kind).expect("kind").id;
            packets.iter().filter(move |p| p.pattern == id)
        };
        assert!(of(Kind::ScannerZmap).all(|p| p.ip_id == 54_321));
        assert!(of(Kind::ScannerMirai).all(|p| match p.dst {
            IpAddr::V4(v4) => p.tcp_seq == u32::from(v4),
            IpAddr::V6(_) => false,
        }));
        assert!(of(Kind::ScannerMasscan).all(|p| match p.dst {
            IpAddr::V4(v4) =>
                u32::from(p.ip_id) == (u32::from(v4) ^ u32::from(p.dst_port) ^ p.tcp_seq) & 0xffff,
            IpAddr::V6(_) => false,
        }));
        assert!(of(Kind::AttackBruteforce).all(|p| p.action == Action::Allow));
        let protocols: HashSet<Protocol> = of(Kind::ScanIpProtocol).map(|p| p.protocol).collect();
        assert!(protocols.len() >= 8, "{protocols:?}");
        assert!(protocols
            .iter()
            .all(|p| !matches!(p, Protocol::Tcp | Protocol::Udp | Protocol::Icmp)));
        let ttls: Vec<u8> = of(Kind::BenignTraceroute).map(|p| p.ttl).collect();
        assert!(ttls.windows(2).all(|w| w[0] <= w[1]) && ttls[0] == 1);
        assert!(of(Kind::ScanSourcePort).all(|p| [53, 20, 88, 67, 123].contains(&p.src_port)));
    }
}
