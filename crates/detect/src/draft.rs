//! Findings under construction: structured facts that merge across windows, turned into
//! [`Finding`]s (with formatted attributes and knowledge-base ids) only when the analyzer finishes.
//!
//! Merging is what keeps findings from duplicating: a draft is keyed by (kind, source, sub-key),
//! and a second draft with the same key (a source evicted under memory pressure and seen again)
//! extends the first instead of starting a second finding.

use std::net::IpAddr;

use fwseen_event::{Origin, Protocol, TcpFlags, Timestamp};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::classify::{key_addr, StealthVariant};
use crate::distinct::{Distinct, SourceKey};
use crate::finding::{Class, Evidence, Finding, Severity, Targets};
use crate::kind::Kind;
use crate::ports::{self, role, Roles};

/// At most this many hosts and ports are listed in a finding (the counts cover them all).
const SHOWN_HOSTS: usize = 32;
const SHOWN_PORTS: usize = 64;

/// Evidence samples kept per finding.
pub(crate) const SAMPLES: usize = 4;

/// Protocol bits of a protocol mask.
pub(crate) fn protocol_bit(protocol: Protocol) -> u8 {
    match protocol {
        Protocol::Tcp => 1,
        Protocol::Udp => 2,
        Protocol::Icmp => 4,
        Protocol::Icmpv6 => 8,
        Protocol::Unknown => 32,
        _ => 16,
    }
}

fn protocols_of(mask: u8) -> Vec<Protocol> {
    let mut out = Vec::new();
    for (bit, protocol) in [
        (1, Protocol::Tcp),
        (2, Protocol::Udp),
        (4, Protocol::Icmp),
        (8, Protocol::Icmpv6),
        (32, Protocol::Unknown),
    ] {
        if mask & bit != 0 {
            out.push(protocol);
        }
    }
    out
}

/// The main protocol of a mask (for knowledge-base lookups).
fn main_protocol(mask: u8) -> Protocol {
    if mask & 1 != 0 {
        Protocol::Tcp
    } else if mask & 2 != 0 {
        Protocol::Udp
    } else {
        Protocol::Unknown
    }
}

/// Beacon timing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct BeaconFacts {
    pub period_seconds: f64,
    pub jitter: f64,
    pub attempts: u32,
}

/// Kind-specific facts, merged across windows and formatted at the end.
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts {
    /// Stealth variant bits.
    pub variants: u8,
    /// Union of TCP flags seen.
    pub flags: u16,
    /// Traceroute: steps with a rising TTL or port.
    pub rising: u32,
    pub ttl_min: Option<u8>,
    pub ttl_max: Option<u8>,
    pub icmp: bool,
    /// Scanner fingerprints: matching packets.
    pub matches: u32,
    /// Events the firewall let through.
    pub allowed: u64,
    /// Sent by one of ours to outside.
    pub outbound: bool,
    /// Sent by one of ours to others of ours (a lateral scan).
    pub internal: bool,
    /// The scan shape a themed or source-port finding also had.
    pub shape: Option<Kind>,
    /// Themes present in a shape finding.
    pub includes: Roles,
    /// The source port that matters (trusted source port, service port of late replies).
    pub src_port: Option<u16>,
    pub port_zero: bool,
    pub beacon: Option<BeaconFacts>,
    /// Connection attempts (retransmissions not counted) and the retransmissions beside them.
    pub attempts: u32,
    pub retransmissions: u32,
    /// Invalid ICMP type/code probes (fingerprinting).
    pub icmp_invalid: bool,
    /// Spoofed-source reasons (bits of `SpoofReason`).
    pub spoof: u8,
    /// Distinct IP protocol numbers (IP-protocol scans).
    pub ip_protocols: u32,
    /// The scanning tool a scan's packets carry the fingerprint of (1 zmap, 2 masscan).
    pub tool: u8,
    /// Severity raised above the kind's default (a beacon to a known-bad port, ...).
    pub raise: Option<Severity>,
}

impl Facts {
    fn merge(&mut self, other: &Facts) {
        self.variants |= other.variants;
        self.flags |= other.flags;
        self.rising += other.rising;
        self.ttl_min = match (self.ttl_min, other.ttl_min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.ttl_max = self.ttl_max.max(other.ttl_max);
        self.icmp |= other.icmp;
        self.matches += other.matches;
        self.allowed += other.allowed;
        self.outbound |= other.outbound;
        self.internal |= other.internal;
        self.shape = match (self.shape, other.shape) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.includes |= other.includes;
        self.src_port = self.src_port.or(other.src_port);
        self.port_zero |= other.port_zero;
        self.attempts += other.attempts;
        self.retransmissions += other.retransmissions;
        self.icmp_invalid |= other.icmp_invalid;
        self.spoof |= other.spoof;
        self.ip_protocols = self.ip_protocols.max(other.ip_protocols);
        self.raise = self.raise.max(other.raise);
        self.tool |= other.tool;
        self.beacon = match (self.beacon, other.beacon) {
            (Some(a), Some(b)) => Some(if b.attempts > a.attempts { b } else { a }),
            (a, b) => a.or(b),
        };
    }
}

/// A finding under construction.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    pub kind: Kind,
    pub src: Option<IpAddr>,
    pub first: i64,
    pub last: i64,
    pub events: u64,
    pub hosts: Distinct<u128, 2>,
    pub ports: Distinct<u16, 4>,
    pub sources: Distinct<SourceKey, 2>,
    pub protocols: u8,
    pub samples: SmallVec<[Origin; SAMPLES]>,
    pub facts: Facts,
    /// True when the draft's times came from the log (false: no event had a time).
    pub timed: bool,
}

impl Draft {
    pub fn new(kind: Kind, src: Option<IpAddr>) -> Draft {
        Draft {
            kind,
            src,
            first: i64::MAX,
            last: i64::MIN,
            events: 0,
            hosts: Distinct::default(),
            ports: Distinct::default(),
            sources: Distinct::default(),
            protocols: 0,
            samples: SmallVec::new(),
            facts: Facts::default(),
            timed: false,
        }
    }

    fn merge(&mut self, other: &Draft) {
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        self.events += other.events;
        self.hosts.merge(&other.hosts);
        self.ports.merge(&other.ports);
        self.sources.merge(&other.sources);
        self.protocols |= other.protocols;
        for origin in &other.samples {
            if self.samples.len() < SAMPLES {
                self.samples.push(*origin);
            }
        }
        self.facts.merge(&other.facts);
        self.timed |= other.timed;
    }

    /// The finding this draft describes.
    pub fn into_finding(self) -> Finding {
        let kind = self.kind;
        let facts = &self.facts;
        let protocol = main_protocol(self.protocols);
        let mut severity = kind.default_severity();
        let shape = matches!(
            kind,
            Kind::ScanVertical | Kind::ScanHorizontal | Kind::ScanBlock | Kind::SweepPing
        );
        if (facts.outbound || (facts.internal && shape)) && kind.class() == Class::Recon {
            severity = Severity::High;
        }
        if let Some(raise) = facts.raise {
            severity = raise;
        }
        let mut hosts: Vec<IpAddr> = self.hosts.sample().iter().map(|&k| key_addr(k)).collect();
        hosts.sort_unstable();
        hosts.truncate(SHOWN_HOSTS);
        let mut ports_sample: Vec<u16> = self.ports.sample().to_vec();
        ports_sample.sort_unstable();
        let first_port = self.ports.sample().first().copied();
        let mut attributes: Vec<(&'static str, String)> = Vec::new();
        let mut kb_port = None;
        let tag_for = |k: Kind| -> Option<&'static str> {
            Some(match k {
                Kind::ScanProxy => "proxy",
                Kind::ScanRpc => "rpc",
                Kind::ScanPcanywhere => "pcanywhere",
                Kind::ProbeReflector => "reflector",
                Kind::ProbeFraggle => "fraggle",
                Kind::AttackBruteforce => "auth",
                Kind::BenignTraceroute => "traceroute",
                Kind::BenignDhcp => "dhcp",
                Kind::BenignNetbios => "netbios",
                Kind::BenignIdent => "ident",
                Kind::BenignGame => "game",
                Kind::BenignStreaming => "streaming",
                Kind::BenignInoculan | Kind::BenignLanDiscovery => "lan-discovery",
                Kind::HeartbeatPowwow => "heartbeat",
                Kind::AdwareConducent => "adware",
                _ => return None,
            })
        };
        match kind {
            Kind::ScanTrojan | Kind::CompromiseTrojanOutbound => {
                let mut names: Vec<&'static str> = Vec::new();
                for &port in ports_sample.iter() {
                    if let Some((id, name)) = ports::trojan_at(port, protocol) {
                        if kb_port.is_none() {
                            kb_port = id;
                        }
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
                if !names.is_empty() {
                    attributes.push(("trojan", names.join(", ")));
                }
            }
            Kind::ScanStealth | Kind::ScanOsFingerprint => {
                let variants: Vec<&str> = StealthVariant::ALL
                    .iter()
                    .filter(|v| facts.variants & v.bit() != 0)
                    .map(|v| v.as_str())
                    .collect();
                if kind == Kind::ScanStealth {
                    if let Some(v) = variants.first() {
                        attributes.push(("variant", (*v).to_string()));
                    }
                } else {
                    let mut probes: Vec<&str> = variants;
                    if facts.port_zero {
                        probes.push("port-0");
                    }
                    if facts.icmp_invalid {
                        probes.push("icmp-invalid");
                    }
                    attributes.push(("probes", probes.join(",")));
                }
                if facts.flags != 0 || facts.variants & StealthVariant::Null.bit() != 0 {
                    attributes.push(("flags", TcpFlags(facts.flags).to_string()));
                }
            }
            Kind::BenignTraceroute => {
                attributes.push(("variant", if facts.icmp { "icmp" } else { "udp" }.into()));
                attributes.push((
                    "sequence",
                    if facts.rising > 0 { "rising" } else { "single" }.into(),
                ));
                if let (Some(low), Some(high)) = (facts.ttl_min, facts.ttl_max) {
                    attributes.push(("ttl_range", format!("{low}-{high}")));
                }
            }
            Kind::CompromiseBeacon => {
                if let Some(b) = facts.beacon {
                    attributes.push(("period_seconds", format!("{:.1}", b.period_seconds)));
                    attributes.push(("jitter", format!("{:.3}", b.jitter)));
                    attributes.push(("attempts", b.attempts.to_string()));
                }
            }
            Kind::AttackBruteforce => {
                attributes.push(("attempts", self.events.to_string()));
            }
            Kind::AdwareConducent | Kind::NoiseRetry | Kind::OutboundBlocked => {
                let attempts = if facts.attempts > 0 {
                    u64::from(facts.attempts)
                } else {
                    self.events
                };
                attributes.push(("attempts", attempts.to_string()));
                if facts.retransmissions > 0 {
                    attributes.push(("retransmissions", facts.retransmissions.to_string()));
                }
            }
            Kind::OutboundPeriodic => {
                if let Some(b) = facts.beacon {
                    attributes.push(("period_seconds", format!("{:.1}", b.period_seconds)));
                    attributes.push(("jitter", format!("{:.3}", b.jitter)));
                    attributes.push(("attempts", b.attempts.to_string()));
                }
            }
            Kind::ScanIpProtocol => {
                attributes.push(("ip_protocols", facts.ip_protocols.to_string()));
            }
            Kind::ProbeSpoofedSource => {
                let reasons: Vec<&str> = crate::classify::SpoofReason::ALL
                    .iter()
                    .filter(|r| facts.spoof & r.bit() != 0)
                    .map(|r| r.as_str())
                    .collect();
                attributes.push(("reason", reasons.join(",")));
            }
            Kind::ScannerZmap | Kind::ScannerMasscan | Kind::ScannerMirai => {
                attributes.push(("matching_packets", facts.matches.to_string()));
            }
            _ => {}
        }
        if matches!(
            kind,
            Kind::ScanVertical
                | Kind::ScanHorizontal
                | Kind::ScanBlock
                | Kind::ScanSscan
                | Kind::ScanSourcePort
                | Kind::ScanTrojan
                | Kind::ScanProxy
                | Kind::ScanRpc
                | Kind::ScanPcanywhere
                | Kind::ProbeReflector
        ) && self.timed
        {
            let seconds = (self.last.saturating_sub(self.first)) as f64 / 1e6;
            let attempts = if facts.attempts > 0 {
                f64::from(facts.attempts)
            } else {
                self.events as f64
            };
            let pace = if seconds >= 600.0 && attempts / seconds < 1.0 / 60.0 * 6.0 {
                "slow"
            } else if seconds <= 0.0 || attempts / seconds >= 1.0 {
                "fast"
            } else {
                "steady"
            };
            attributes.push(("pace", pace.to_string()));
        }
        if facts.tool != 0 {
            let tools: Vec<&str> = [(1, "zmap"), (2, "masscan")]
                .iter()
                .filter(|(bit, _)| facts.tool & bit != 0)
                .map(|(_, name)| *name)
                .collect();
            attributes.push(("tool", tools.join(",")));
        }
        if let Some(shape) = facts.shape {
            let name = shape.id().trim_start_matches("scan.");
            attributes.push(("shape", name.to_string()));
        }
        if facts.includes != 0 {
            let names: Vec<&str> = [
                (role::TROJAN, "trojan"),
                (role::PROXY, "proxy"),
                (role::REFLECTOR, "reflector"),
                (role::RPC, "rpc"),
                (role::PCANYWHERE, "pcanywhere"),
            ]
            .iter()
            .filter(|(bit, _)| facts.includes & bit != 0)
            .map(|(_, name)| *name)
            .collect();
            attributes.push(("includes", names.join(",")));
        }
        if let Some(port) = facts.src_port {
            let key = match kind {
                Kind::ScanSourcePort => "source_port",
                _ => "service_port",
            };
            attributes.push((key, port.to_string()));
        }
        if facts.allowed > 0 {
            attributes.push(("allowed_events", facts.allowed.to_string()));
        }
        if facts.outbound {
            attributes.push(("direction", "outbound".into()));
        } else if facts.internal {
            attributes.push(("direction", "internal".into()));
        }
        if kind == Kind::AdwareConducent {
            kb_port = fwseen_kb::port_entry("conducent").map(|e| e.id);
        }
        if kb_port.is_none() {
            kb_port = match kind {
                Kind::BenignLateReply | Kind::BenignNatSourcePort | Kind::DosEchoChargen => facts
                    .src_port
                    .and_then(|p| ports::kb_entry_id(p, protocol, None)),
                Kind::ScanVertical
                | Kind::ScanBlock
                | Kind::ScanStealth
                | Kind::ScanOsFingerprint
                | Kind::ScanSscan
                | Kind::ScanSourcePort
                | Kind::SweepPing
                | Kind::ProbeSmurf
                | Kind::BenignTracerouteReply
                | Kind::ScannerZmap
                | Kind::ScannerMasscan
                | Kind::ScannerMirai => None,
                Kind::ScanHorizontal | Kind::ScanDistributed | Kind::CompromiseBeacon
                    if self.ports.count() > 1 =>
                {
                    None
                }
                _ => first_port.and_then(|p| ports::kb_entry_id(p, protocol, tag_for(kind))),
            };
        }
        ports_sample.truncate(SHOWN_PORTS);
        let mut other_sources: Vec<IpAddr> = self
            .sources
            .sample()
            .iter()
            .map(|&k| key_addr(k.0))
            .collect();
        other_sources.sort_unstable();
        other_sources.truncate(SHOWN_HOSTS);
        let source_count = if self.sources.is_empty() {
            u64::from(self.src.is_some())
        } else {
            self.sources.count()
        };
        let time = |micros: i64| {
            self.timed.then_some(Timestamp {
                unix_micros: micros,
                original_offset_seconds: None,
            })
        };
        Finding {
            kind: kind.id(),
            class: kind.class(),
            severity,
            src: self.src,
            other_sources,
            source_count,
            targets: Targets {
                host_count: self.hosts.count(),
                hosts,
                port_count: self.ports.count(),
                ports: ports_sample,
                protocols: protocols_of(self.protocols),
            },
            first_seen: time(self.first),
            last_seen: time(self.last),
            attributes,
            kb_port,
            evidence: Evidence {
                samples: self.samples.to_vec(),
                event_count: self.events,
            },
        }
    }
}

/// The key that decides which drafts merge.
pub(crate) type DraftKey = (Kind, u128, u64);

/// All drafts, merged as they arrive.
pub(crate) struct Drafts {
    list: Vec<Draft>,
    index: FxHashMap<DraftKey, usize>,
    benign_kept: usize,
    benign_cap: usize,
    pub benign_dropped: u64,
}

impl Drafts {
    pub fn new(benign_cap: usize) -> Drafts {
        Drafts {
            list: Vec::new(),
            index: FxHashMap::default(),
            benign_kept: 0,
            benign_cap,
            benign_dropped: 0,
        }
    }

    /// Adds a draft, merging it into the previous one with the same key when continuous.
    pub fn add(&mut self, key: DraftKey, draft: Draft) {
        if let Some(&i) = self.index.get(&key) {
            let previous = &mut self.list[i];
            // One finding per kind and source: a source evicted and seen again continues
            // its story.
            previous.merge(&draft);
            return;
        }
        if matches!(draft.kind.class(), Class::Benign | Class::Noise) {
            if self.benign_kept >= self.benign_cap {
                self.benign_dropped += 1;
                return;
            }
            self.benign_kept += 1;
        }
        self.index.insert(key, self.list.len());
        self.list.push(draft);
    }

    pub fn into_findings(self) -> Vec<Finding> {
        // A call-out that keeps its period is told as a beacon (or periodic call): the same
        // refusals are not also an `outbound.blocked` story.
        let periodic: rustc_hash::FxHashSet<(Option<IpAddr>, u16)> = self
            .list
            .iter()
            .filter(|d| matches!(d.kind, Kind::CompromiseBeacon | Kind::OutboundPeriodic))
            .filter_map(|d| Some((d.src, *d.ports.sample().first()?)))
            .collect();
        let mut findings: Vec<Option<Finding>> = Vec::with_capacity(self.list.len());
        findings.extend(
            self.list
                .into_iter()
                .filter(|d| {
                    d.kind != Kind::OutboundBlocked
                        || d.ports
                            .sample()
                            .first()
                            .is_none_or(|&p| !periodic.contains(&(d.src, p)))
                })
                .map(|d| Some(d.into_finding())),
        );
        // Most severe first, then by class, first time, kind and source; ties keep the drafts'
        // order (the index), as a stable sort would. Findings are large: their keys are sorted
        // and each finding is moved once.
        let mut order: Vec<_> = findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let f = f.as_ref()?;
                Some((
                    std::cmp::Reverse((f.severity, f.class)),
                    f.first_seen,
                    f.kind,
                    f.src,
                    i,
                ))
            })
            .collect();
        order.sort_unstable();
        order
            .into_iter()
            .filter_map(|key| findings[key.4].take())
            .collect()
    }
}
