//! A seeded, labelled generator of events for every finding kind, and for the benign look-alikes
//! that must *not* become findings.
//!
//! Tests use it to check that each kind is found with the right source and targets, benches and
//! the benchsuite use [`Scenario::mixed`] for realistic volume. Events are built directly (no log
//! text), so the generator knows no formats; a format-level generator can render these events.
//!
//! The network: our public block is 203.0.113.0/24, our LAN 10.1.0.0/16 (both in
//! [`Scenario::home_nets`]); outside addresses are drawn from 45.0.0.0/8 and 77.0.0.0/8, each
//! pattern with fresh sources so that patterns do not mix. Patterns are separated by two hours so
//! that every window closes between them.

use std::net::{IpAddr, Ipv4Addr};

use fwseen_event::{Action, Direction, Event, Icmp, Origin, Protocol, TcpFlags, Timestamp};

use crate::config::{Config, IpNet};
use crate::kind::Kind;

/// A small deterministic random number generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5eed_f00d_cafe_d00d)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        crate::distinct::mix64(self.0)
    }

    /// A number in `low..high` (`low` when the range is empty).
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        low + self.next_u64() % (high - low)
    }
}

/// What a pattern should be found as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub kind: Kind,
    /// The source the finding is about (`None` for many-source kinds).
    pub src: Option<IpAddr>,
    /// Hosts and ports the finding's targets must include.
    pub hosts: Vec<IpAddr>,
    pub ports: Vec<u16>,
    /// Further sources (for distributed scans).
    pub sources: Vec<IpAddr>,
}

/// A labelled event stream under construction.
#[derive(Clone, Debug)]
pub struct Scenario {
    rng: Rng,
    events: Vec<Event<'static>>,
    labels: Vec<Label>,
    /// Microseconds since the epoch where the next pattern starts.
    clock: i64,
    next_outside: u32,
    next_inside: u32,
    record: u64,
}

const SECOND: i64 = 1_000_000;
const GAP: i64 = 2 * 3600 * SECOND;
const SYN: TcpFlags = TcpFlags::SYN;

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

/// One of our public hosts (203.0.113.n).
pub fn our_host(n: u8) -> IpAddr {
    v4(203, 0, 113, n)
}

impl Scenario {
    /// An empty scenario starting at 2024-03-01T00:00:00Z.
    pub fn new(seed: u64) -> Scenario {
        let mut rng = Rng::new(seed);
        let next_outside = rng.range(0, 1 << 20) as u32;
        Scenario {
            rng,
            events: Vec::new(),
            labels: Vec::new(),
            clock: 1_709_251_200 * SECOND,
            next_outside,
            next_inside: 10,
            record: 0,
        }
    }

    /// Our networks.
    pub fn home_nets() -> Vec<IpNet> {
        vec![
            "203.0.113.0/24".parse().expect("valid"),
            "10.1.0.0/16".parse().expect("valid"),
        ]
    }

    /// A configuration that knows our networks.
    pub fn config() -> Config {
        Config {
            home_nets: Scenario::home_nets(),
            ..Config::default()
        }
    }

    pub fn events(&self) -> &[Event<'static>] {
        &self.events
    }

    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// The events, sorted by time (patterns may interleave when mixed).
    pub fn into_events(mut self) -> Vec<Event<'static>> {
        self.events.sort_by_key(|e| e.time.map(|t| t.unix_micros));
        self.events
    }

    /// A fresh outside address.
    pub fn outside(&mut self) -> IpAddr {
        self.next_outside = self
            .next_outside
            .wrapping_add(1 + self.rng.range(0, 3) as u32);
        let n = self.next_outside & 0x00ff_ffff;
        let first = if self.next_outside & 0x0100_0000 == 0 {
            45
        } else {
            77
        };
        v4(first, (n >> 16) as u8, (n >> 8) as u8, (n & 0xff) as u8)
    }

    /// A fresh inside (LAN) address.
    pub fn inside(&mut self) -> IpAddr {
        self.next_inside += 1;
        let n = self.next_inside;
        v4(10, 1, (n >> 8) as u8, (n & 0xff).clamp(1, 254) as u8)
    }

    /// A packet at `offset` microseconds into the current pattern.
    #[allow(clippy::too_many_arguments)]
    pub fn packet(
        &mut self,
        offset: i64,
        protocol: Protocol,
        src: IpAddr,
        src_port: Option<u16>,
        dst: IpAddr,
        dst_port: Option<u16>,
        flags: Option<TcpFlags>,
    ) -> &mut Event<'static> {
        self.record += 1;
        let ttl = self.rng.range(40, 120) as u8;
        let ip_id = self.rng.range(1, 65_535) as u32;
        let seq = self.rng.next_u64() as u32;
        self.events.push(Event {
            time: Some(Timestamp {
                unix_micros: self.clock + offset,
                original_offset_seconds: Some(0),
            }),
            action: Action::Drop,
            direction: Direction::Unknown,
            protocol,
            src: Some(src),
            dst: Some(dst),
            src_port,
            dst_port,
            tcp_flags: if protocol == Protocol::Tcp {
                Some(flags.unwrap_or(SYN))
            } else {
                None
            },
            ttl: Some(ttl),
            ip_id: Some(ip_id),
            length: Some(if protocol == Protocol::Tcp { 60 } else { 40 }),
            tcp_window: (protocol == Protocol::Tcp).then_some(1024),
            tcp_seq: (protocol == Protocol::Tcp).then_some(seq),
            origin: Origin {
                input: 0,
                record: self.record,
            },
            ..Event::default()
        });
        self.events.last_mut().expect("just pushed")
    }

    fn tcp(&mut self, offset: i64, src: IpAddr, dst: IpAddr, port: u16) -> &mut Event<'static> {
        let sport = self.rng.range(32_768, 61_000) as u16;
        self.packet(
            offset,
            Protocol::Tcp,
            src,
            Some(sport),
            dst,
            Some(port),
            Some(SYN),
        )
    }

    fn udp(
        &mut self,
        offset: i64,
        src: IpAddr,
        sport: u16,
        dst: IpAddr,
        port: u16,
    ) -> &mut Event<'static> {
        self.packet(
            offset,
            Protocol::Udp,
            src,
            Some(sport),
            dst,
            Some(port),
            None,
        )
    }

    fn icmp(
        &mut self,
        offset: i64,
        src: IpAddr,
        dst: IpAddr,
        icmp_type: u8,
        code: u8,
    ) -> &mut Event<'static> {
        let event = self.packet(offset, Protocol::Icmp, src, None, dst, None, None);
        event.icmp = Some(Icmp { icmp_type, code });
        event
    }

    fn finish_pattern(&mut self, label: Label) -> Label {
        self.labels.push(label.clone());
        self.clock += GAP;
        label
    }

    fn label(kind: Kind, src: Option<IpAddr>, hosts: Vec<IpAddr>, ports: Vec<u16>) -> Label {
        Label {
            kind,
            src,
            hosts,
            ports,
            sources: Vec::new(),
        }
    }

    /// Adds one stealth scan with the given flags (`variant` names it in the label only).
    pub fn add_stealth(&mut self, flags: TcpFlags) -> Label {
        let src = self.outside();
        let host = our_host(20);
        let ports: Vec<u16> = (0..20).map(|i| 1000 + i * 41).collect();
        for (i, &port) in ports.iter().enumerate() {
            let e = self.tcp(i as i64 * SECOND / 10, src, host, port);
            e.tcp_flags = Some(flags);
        }
        self.finish_pattern(Scenario::label(
            Kind::ScanStealth,
            Some(src),
            vec![host],
            ports,
        ))
    }

    /// Adds an ICMP traceroute (echo requests with rising TTL) to one of our hosts.
    pub fn add_icmp_traceroute(&mut self) -> Label {
        let src = self.outside();
        let host = our_host(30);
        for ttl in 1..=6u8 {
            let e = self.icmp(i64::from(ttl) * SECOND, src, host, 8, 0);
            e.ttl = Some(ttl);
        }
        self.finish_pattern(Scenario::label(
            Kind::BenignTraceroute,
            Some(src),
            vec![host],
            vec![],
        ))
    }

    /// Adds the pattern of `kind` and returns its label.
    pub fn add(&mut self, kind: Kind) -> Label {
        match kind {
            Kind::ScanVertical => {
                let src = self.outside();
                let host = our_host(10);
                let ports: Vec<u16> = (0..40).map(|i| 1100 + i * 53).collect();
                for (i, &port) in ports.iter().enumerate() {
                    self.tcp(i as i64 * SECOND / 4, src, host, port);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], ports))
            }
            Kind::ScanHorizontal => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (1..=30).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    self.tcp(i as i64 * SECOND, src, host, 23);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![23]))
            }
            Kind::ScanBlock => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (40..48).map(our_host).collect();
                let ports: Vec<u16> = (0..20).map(|i| 2000 + i * 17).collect();
                let mut n = 0;
                for &host in &hosts {
                    for &port in &ports {
                        self.tcp(n * SECOND / 10, src, host, port);
                        n += 1;
                    }
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, ports))
            }
            Kind::ScanDistributed => {
                let hosts: Vec<IpAddr> = (50..53).map(our_host).collect();
                let mut sources = Vec::new();
                for i in 0..15 {
                    let src = self.outside();
                    sources.push(src);
                    let host = hosts[i % hosts.len()];
                    self.tcp(i as i64 * 7 * SECOND, src, host, 2323);
                }
                let mut label = Scenario::label(kind, None, hosts, vec![2323]);
                label.sources = sources;
                self.finish_pattern(label)
            }
            Kind::ScanStealth => self.add_stealth(TcpFlags::FIN),
            Kind::ScanOsFingerprint => {
                let src = self.outside();
                let host = our_host(60);
                let probes = [
                    (22, 0x00),
                    (22, 0x02 | 0x01 | 0x20 | 0x08),
                    (22, 0x01 | 0x08 | 0x20),
                    (22, 0x10),
                    (40_000, 0x10),
                    (40_000, 0x01 | 0x08 | 0x20),
                ];
                for (i, &(port, flags)) in probes.iter().enumerate() {
                    let e = self.tcp(i as i64 * SECOND / 10, src, host, port);
                    e.tcp_flags = Some(TcpFlags(flags));
                }
                for i in 0..2 {
                    self.tcp(SECOND + i * SECOND / 10, src, host, 0);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![22]))
            }
            Kind::ScanSscan => {
                let src = self.outside();
                let host = our_host(61);
                let ports: Vec<u16> = vec![1, 2, 3, 4, 5, 21, 23, 25, 53, 79, 80, 110, 143, 443];
                for (i, &port) in ports.iter().enumerate() {
                    self.tcp(i as i64 * SECOND / 5, src, host, port);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![1, 2, 3]))
            }
            Kind::ScanProxy => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (70..75).map(our_host).collect();
                let ports = vec![1080, 3128, 8080, 8000, 8888];
                let mut n = 0;
                for &host in &hosts {
                    for &port in &ports {
                        self.tcp(n * SECOND / 2, src, host, port);
                        n += 1;
                    }
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, ports))
            }
            Kind::ScanTrojan => {
                // A hunt for backdoors: three trojan ports of one host (one probe alone is a
                // lone probe, not a hunt).
                let src = self.outside();
                let host = our_host(80);
                let ports = vec![27374, 31337, 12345];
                for (i, &port) in ports.iter().enumerate() {
                    self.tcp(i as i64 * SECOND, src, host, port);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], ports))
            }
            Kind::ScanRpc => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (90..102).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    self.udp(i as i64 * SECOND, src, 700, host, 111);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![111]))
            }
            Kind::ScanPcanywhere => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (110..113).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    let t = i as i64 * 3 * SECOND;
                    self.tcp(t, src, host, 5631);
                    self.udp(t + SECOND, src, 5632, host, 5632);
                    self.udp(t + 2 * SECOND, src, 5632, host, 22);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![5631]))
            }
            Kind::ScanSourcePort => {
                let src = self.outside();
                let host = our_host(120);
                let ports: Vec<u16> = vec![
                    21, 22, 23, 25, 80, 135, 139, 143, 443, 445, 993, 995, 1433, 3389, 5900,
                ];
                for (i, &port) in ports.iter().enumerate() {
                    let e = self.tcp(i as i64 * SECOND / 3, src, host, port);
                    e.src_port = Some(53);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], ports))
            }
            Kind::SweepPing => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (130..150).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    let e = self.icmp(i as i64 * SECOND / 2, src, host, 8, 0);
                    e.ttl = Some(50);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![]))
            }
            Kind::ProbeFraggle => {
                let src = self.outside();
                let host = our_host(255);
                self.udp(0, src, 40_000, host, 7);
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![7]))
            }
            Kind::ProbeReflector => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (150..162).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    let port = if i % 2 == 0 { 123 } else { 161 };
                    self.udp(i as i64 * SECOND, src, 41_000 + i as u16, host, port);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![123, 161]))
            }
            Kind::ScanIpProtocol => {
                let src = self.outside();
                let host = our_host(61);
                for (i, number) in [1u8, 2, 4, 41, 47, 50, 51, 89, 103, 112, 132, 137]
                    .into_iter()
                    .enumerate()
                {
                    let protocol = Protocol::from_number(number);
                    self.packet(i as i64 * SECOND / 2, protocol, src, None, host, None, None);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![]))
            }
            Kind::ProbeSpoofedSource => {
                let src = v4(127, 0, 0, 1);
                let host = our_host(62);
                for i in 0..3 {
                    let e = self.tcp(i * SECOND, src, host, 139);
                    e.in_interface = Some(b"eth0");
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![139]))
            }
            Kind::OutboundBlocked => {
                let src = self.inside();
                let servers: Vec<IpAddr> = (0..4).map(|_| self.outside()).collect();
                for i in 0..40i64 {
                    let dst = servers[i as usize % servers.len()];
                    let e = self.tcp(i * 90 * SECOND, src, dst, 25);
                    e.direction = Direction::Outbound;
                }
                self.finish_pattern(Scenario::label(kind, Some(src), servers, vec![25]))
            }
            Kind::OutboundPeriodic => {
                let src = self.inside();
                let dst = self.outside();
                for i in 0..10i64 {
                    let e = self.tcp(i * 1800 * SECOND, src, dst, 443);
                    e.direction = Direction::Outbound;
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![dst], vec![443]))
            }
            Kind::NoiseRetry => {
                let src = self.outside();
                let host = our_host(63);
                for i in 0..12i64 {
                    let start = i * 4200 * SECOND;
                    let sport = self.rng.range(32_768, 61_000) as u16;
                    // Each delivery attempt: a SYN and two retransmissions from one port.
                    for retry in [0, 3 * SECOND, 9 * SECOND] {
                        self.packet(
                            start + retry,
                            Protocol::Tcp,
                            src,
                            Some(sport),
                            host,
                            Some(25),
                            Some(SYN),
                        );
                    }
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![25]))
            }
            Kind::ProbeSmurf => {
                let src = self.outside();
                let host = our_host(255);
                for i in 0..3 {
                    self.icmp(i * SECOND, src, host, 8, 0);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![]))
            }
            Kind::DosEchoChargen => {
                let src = self.outside();
                let host = our_host(163);
                self.udp(0, src, 19, host, 7);
                self.udp(SECOND, src, 19, host, 7);
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![7]))
            }
            Kind::AttackBruteforce => {
                let src = self.outside();
                let host = our_host(22);
                // Brute force needs attempts that reached the service: accepted connections.
                for i in 0..30 {
                    let e = self.tcp(i * 20 * SECOND, src, host, 22);
                    e.action = Action::Allow;
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![22]))
            }
            Kind::CompromiseTrojanOutbound => {
                let src = self.inside();
                let dst = self.outside();
                for i in 0..5 {
                    let e = self.tcp(i * 30 * SECOND, src, dst, 12345);
                    e.direction = Direction::Outbound;
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![dst], vec![12345]))
            }
            Kind::AdwareConducent => {
                let src = self.inside();
                let dst = self.outside();
                for i in 0..8 {
                    self.tcp(i * 5 * SECOND, src, dst, 17027);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![dst], vec![17027]))
            }
            Kind::CompromiseBeacon => {
                let src = self.inside();
                let dst = self.outside();
                for i in 0..15i64 {
                    let jitter = self.rng.range(0, 2 * SECOND as u64) as i64 - SECOND;
                    let start = i * 300 * SECOND + jitter;
                    // Each attempt is a SYN and its retransmissions after 1 and 3 seconds.
                    for retry in [0, SECOND, 3 * SECOND] {
                        self.tcp(start + retry, src, dst, 8531);
                    }
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![dst], vec![8531]))
            }
            Kind::BenignTraceroute => {
                let src = self.outside();
                let host = our_host(31);
                let sport = 40_000;
                for (i, port) in (33_434u16..33_443).enumerate() {
                    let e = self.udp(i as i64 * SECOND / 10, src, sport, host, port);
                    e.ttl = Some(1 + (i / 3) as u8);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![33_434]))
            }
            Kind::BenignTracerouteReply => {
                let src = self.outside();
                let host = our_host(32);
                for i in 0..3 {
                    self.icmp(i * SECOND, src, host, 11, 0);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![]))
            }
            Kind::BenignDhcp => {
                let src = v4(0, 0, 0, 0);
                let broadcast = v4(255, 255, 255, 255);
                for i in 0..4 {
                    self.udp(i * 2 * SECOND, src, 68, broadcast, 67);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![broadcast], vec![67]))
            }
            Kind::BenignNetbios => {
                // A LAN host's NetBIOS queries across many of its neighbours: chatter, not a scan
                // (the same packets from the internet are probes).
                let src = self.inside();
                let hosts: Vec<IpAddr> = (170..190).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    self.udp(i as i64 * SECOND, src, 137, host, 137);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![137]))
            }
            Kind::BenignIdent => {
                // Our mail server connects to a server, which asks ident who is calling.
                let src = self.outside();
                let host = our_host(25);
                let out = self.tcp(0, host, src, 25);
                out.action = Action::Allow;
                out.direction = Direction::Outbound;
                for i in 0..2 {
                    self.tcp(SECOND + i * SECOND, src, host, 113);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![113]))
            }
            Kind::BenignLateReply => {
                // A web server's late ACK/FIN/RST packets to 30 of our client ports, and DNS
                // answers: they would look like a vertical scan if taken for probes.
                let src = self.outside();
                let host = our_host(33);
                let ports: Vec<u16> = (0..30).map(|i| 40_000 + i * 13).collect();
                for (i, &port) in ports.iter().enumerate() {
                    let flags = [0x10 | 0x01, 0x10, 0x04 | 0x10][i % 3];
                    self.packet(
                        i as i64 * SECOND / 5,
                        Protocol::Tcp,
                        src,
                        Some(443),
                        host,
                        Some(port),
                        Some(TcpFlags(flags)),
                    );
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![40_000]))
            }
            Kind::BenignNatSourcePort => {
                let src = self.outside();
                let host = our_host(34);
                let ports: Vec<u16> = (0..15).map(|i| 61_000 + i * 7).collect();
                for (i, &port) in ports.iter().enumerate() {
                    self.packet(
                        i as i64 * SECOND,
                        Protocol::Tcp,
                        src,
                        Some(80),
                        host,
                        Some(port),
                        Some(TcpFlags(0x18)),
                    );
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![61_000]))
            }
            Kind::BenignGame => {
                // A Quake server's updates to the one player behind our firewall.
                let src = self.outside();
                let host = our_host(200);
                for i in 0..12 {
                    self.udp(i * SECOND / 2, src, 27_901, host, 27_960);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![27_960]))
            }
            Kind::BenignStreaming => {
                // One RealAudio stream: the server's UDP packets to the client's chosen port.
                let src = self.outside();
                let host = our_host(35);
                for i in 0..20 {
                    self.udp(i * SECOND / 10, src, 7070, host, 6970);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![host], vec![6970]))
            }
            Kind::BenignInoculan => {
                let src = self.inside();
                let broadcast = v4(10, 1, 255, 255);
                for i in 0..5 {
                    self.udp(i * 60 * SECOND, src, 41_508, broadcast, 41_508);
                }
                self.finish_pattern(Scenario::label(
                    kind,
                    Some(src),
                    vec![broadcast],
                    vec![41_508],
                ))
            }
            Kind::BenignLanDiscovery => {
                let src = self.inside();
                let group = v4(239, 255, 255, 250);
                for i in 0..5 {
                    self.udp(i * 30 * SECOND, src, 50_000, group, 1900);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![group], vec![1900]))
            }
            Kind::HeartbeatPowwow => {
                let src = self.inside();
                let dst = self.outside();
                for i in 0..6 {
                    self.tcp(i * 300 * SECOND, src, dst, 13_223);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), vec![dst], vec![13_223]))
            }
            Kind::ScannerZmap => {
                let src = self.outside();
                // A few zmap probes: too few for a scan shape, so the fingerprint is the story
                // (with a shape it would be the scan's `tool`).
                let hosts: Vec<IpAddr> = (1..6).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    let e = self.tcp(i as i64 * SECOND / 10, src, host, 8443);
                    e.ip_id = Some(54_321);
                    e.tcp_window = Some(65_535);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![8443]))
            }
            Kind::ScannerMasscan => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (100..105).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    let e = self.tcp(i as i64 * SECOND / 10, src, host, 9200);
                    let IpAddr::V4(dst) = host else {
                        unreachable!()
                    };
                    let seq = e.tcp_seq.unwrap_or(0);
                    e.ip_id = Some((u32::from(dst) ^ 9200 ^ seq) & 0xffff);
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![9200]))
            }
            Kind::ScannerMirai => {
                let src = self.outside();
                let hosts: Vec<IpAddr> = (60..72).map(our_host).collect();
                for (i, &host) in hosts.iter().enumerate() {
                    let e = self.tcp(i as i64 * SECOND / 10, src, host, 23);
                    let IpAddr::V4(dst) = host else {
                        unreachable!()
                    };
                    e.tcp_seq = Some(u32::from(dst));
                }
                self.finish_pattern(Scenario::label(kind, Some(src), hosts, vec![23]))
            }
        }
    }

    /// Adds `count` lone probes (one packet each, fresh sources, random unthemed ports).
    pub fn add_lone_probes(&mut self, count: usize) {
        for i in 0..count {
            let src = self.outside();
            let host = our_host(self.rng.range(1, 250) as u8);
            let port = 20_000 + self.rng.range(0, 5_000) as u16;
            self.tcp(i as i64 * 90 * SECOND, src, host, port);
        }
        self.clock += count as i64 * 90 * SECOND + GAP;
    }

    /// Adds an inside host's ordinary web browsing: allowed connections to many outside hosts
    /// on 80 and 443 at irregular times, plus a few refused ones.
    pub fn add_web_browsing(&mut self) -> IpAddr {
        let src = self.inside();
        let mut t = 0;
        for i in 0..60 {
            let dst = self.outside();
            let port = if i % 3 == 0 { 80 } else { 443 };
            t += self.rng.range(1, 120) as i64 * SECOND;
            let e = self.tcp(t, src, dst, port);
            e.action = if i % 10 == 9 {
                Action::Drop
            } else {
                Action::Allow
            };
        }
        self.clock += t + GAP;
        src
    }

    /// Adds an inside host's allowed HTTPS sessions to one outside server every minute (a mail
    /// client polling, say): allowed traffic is not a beacon.
    pub fn add_allowed_https_sessions(&mut self) -> IpAddr {
        let src = self.inside();
        let dst = self.outside();
        for i in 0..30 {
            let e = self.tcp(i * 60 * SECOND, src, dst, 443);
            e.action = Action::Allow;
        }
        self.clock += 30 * 60 * SECOND + GAP;
        src
    }

    /// A realistic mix for benchmarks: mostly lone probes and background noise from many
    /// sources, with scans, sweeps, late replies and benign chatter woven in, time-ordered.
    pub fn mixed(seed: u64, events: usize) -> Vec<Event<'static>> {
        let mut s = Scenario::new(seed);
        let patterns = [
            Kind::ScanVertical,
            Kind::ScanHorizontal,
            Kind::SweepPing,
            Kind::BenignLateReply,
            Kind::BenignNetbios,
            Kind::BenignTraceroute,
            Kind::AttackBruteforce,
            Kind::ScanProxy,
        ];
        let mut i = 0usize;
        while s.events.len() < events {
            if i % 50 == 49 {
                let kind = patterns[(i / 50) % patterns.len()];
                let clock = s.clock;
                s.add(kind);
                s.clock = clock + 30 * SECOND;
            } else {
                let src = if s.rng.range(0, 4) == 0 {
                    // A returning source, so that per-source state is exercised.
                    let n = s.rng.range(0, 500) as u8;
                    v4(77, 1, n, 1)
                } else {
                    s.outside()
                };
                let host = our_host(s.rng.range(1, 250) as u8);
                let port = [22, 23, 80, 443, 445, 3389, 8080, 5060][s.rng.range(0, 8) as usize];
                let offset = s.rng.range(0, 2 * SECOND as u64) as i64;
                s.tcp(offset, src, host, port);
                s.clock += SECOND / 50;
            }
            i += 1;
        }
        let mut out = s.into_events();
        out.truncate(events);
        out
    }
}
