//! The streaming analyzer: events in, findings and statistics out.
//!
//! State, and what bounds it:
//! - per source: one `SourceState`, the source's whole story from its first event to the end of
//!   the input. At most `max_tracked_sources` are live; when full, the least interesting eighth
//!   (fewest events, then longest idle) is closed early ("evicted") — closing tells their story
//!   exactly as the end of the input would, and a source seen again later starts a new story
//!   whose findings merge with the first (same kind and source).
//! - per outbound flow (inside host, outside address, port): attempt timing for beacons, at most
//!   `max_tracked_flows`, closed after `beacon_idle_seconds` without an attempt or evicted.
//! - per destination port: the distinct sources that probed it over the input (distributed scans).
//! - what our hosts sent to whom recently (two fixed 2 MiB direct-mapped tables), so that answers
//!   are known.
//!
//! **Invariants**: a source gets at most one finding per kind; a source with a recon, attack or
//! compromise finding gets no benign or noise finding; an answer to our own traffic, a
//! retransmission and a dropped attempt are never counted as what they are not (a probe, a new
//! attempt, a login attempt).
//! **Invariant**: `push` allocates only when a source, flow or port is new, or when a set
//! outgrows its inline sample; no strings are built before `finish`.

use std::net::IpAddr;

use fwseen_event::{Action, Event, Origin, Protocol};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::classify::{self, addr_key, EventLabel, Flow, Network, StealthVariant};
use crate::config::{Config, Thresholds};
use crate::distinct::{mix64, Distinct, SourceKey};
use crate::draft::{protocol_bit, BeaconFacts, Draft, DraftKey, Drafts, Facts, SAMPLES};
use crate::finding::{Class, Finding, Severity};
use crate::kind::Kind;
use crate::ports::{self, role, PortTable, Roles};
use crate::stats::{Stats, StatsBuilder};

const MICROS: i64 = 1_000_000;

/// Pattern aggregates kept per source window.
const MAX_AGGREGATES: usize = 16;
/// Brute-force targets (host, port) followed per source window.
const MAX_BRUTEFORCE_TARGETS: usize = 4;
const SOURCE_SAMPLES: usize = 3;

/// Everything the analyzer concluded.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Findings, most severe first (then by class, first time, kind and source).
    pub findings: Vec<Finding>,
    pub stats: Stats,
}

/// One pattern a source's events feed within a window.
#[derive(Clone, Debug)]
struct Aggregate {
    kind: Kind,
    sub: u64,
    first: i64,
    last: i64,
    events: u32,
    hosts: Distinct<u128, 2>,
    ports: Distinct<u16, 4>,
    protocols: u8,
    samples: SmallVec<[Origin; SOURCE_SAMPLES]>,
    facts: Facts,
    last_host: u128,
    last_port: u16,
    last_ttl: u8,
}

impl Aggregate {
    fn new(kind: Kind, sub: u64) -> Aggregate {
        Aggregate {
            kind,
            sub,
            first: i64::MAX,
            last: i64::MIN,
            events: 0,
            hosts: Distinct::default(),
            ports: Distinct::default(),
            protocols: 0,
            samples: SmallVec::new(),
            facts: Facts::default(),
            last_host: 0,
            last_port: 0,
            last_ttl: 0,
        }
    }

    #[inline]
    fn record(&mut self, t: i64, event: &Event<'_>) {
        self.first = self.first.min(t);
        self.last = self.last.max(t);
        self.events += 1;
        if let Some(dst) = event.dst {
            self.hosts.insert(addr_key(dst));
        }
        if let Some(port) = event.dst_port {
            self.ports.insert(port);
        }
        self.protocols |= protocol_bit(event.protocol);
        if let Some(flags) = event.tcp_flags {
            self.facts.flags |= flags.0;
        }
        if event.action == Action::Allow {
            self.facts.allowed += 1;
        }
        if self.samples.len() < SOURCE_SAMPLES {
            self.samples.push(event.origin);
        }
    }

    /// Traceroute bookkeeping: counts steps where the TTL or the port rises towards one host.
    fn record_sequence(&mut self, event: &Event<'_>) {
        let host = event.dst.map_or(0, addr_key);
        let port = event.dst_port.unwrap_or(0);
        let ttl = event.ttl.unwrap_or(0);
        if self.events > 1
            && host == self.last_host
            && ((port > self.last_port) || (ttl > self.last_ttl && ttl != 0))
        {
            self.facts.rising += 1;
        }
        self.last_host = host;
        self.last_port = port;
        self.last_ttl = ttl;
        if let Some(ttl) = event.ttl {
            self.facts.ttl_min = Some(self.facts.ttl_min.map_or(ttl, |m| m.min(ttl)));
            self.facts.ttl_max = Some(self.facts.ttl_max.map_or(ttl, |m| m.max(ttl)));
        }
    }

    fn into_draft(self, kind: Kind, src: IpAddr, timed: bool) -> Draft {
        let mut draft = Draft::new(kind, Some(src));
        draft.first = self.first;
        draft.last = self.last;
        draft.events = u64::from(self.events);
        draft.hosts = self.hosts;
        draft.ports = self.ports;
        draft.protocols = self.protocols;
        draft.samples = self.samples.iter().copied().take(SAMPLES).collect();
        draft.facts = self.facts;
        draft.timed = timed;
        draft
    }
}

/// One attempt at an authentication service, before it has an aggregate.
#[derive(Clone, Copy, Debug)]
struct PendingAttempt {
    /// The (host, port) key; the host, port and protocol are those of the attempt that
    /// promotes it, since that one has the same key.
    sub: u64,
    t: i64,
    flags: u16,
    allowed: bool,
    origin: Origin,
}

/// A source's whole story: every event it sent, from its first to its last (or until it is
/// evicted under memory pressure, when a later return starts a new story that merges with the
/// first one's findings).
#[derive(Clone, Debug)]
struct SourceState {
    ip: IpAddr,
    first: i64,
    last: i64,
    events: u32,
    /// Connection attempts feeding the scan shapes (vertical, horizontal, block, sscan,
    /// source-port): probes, minus retransmissions.
    probes: u32,
    /// Probe packets that repeated the previous attempt (same ports and address within
    /// [`RETRANSMIT_MICROS`], or the same IP ID): one attempt, sent again.
    retransmissions: u32,
    outbound_probes: u32,
    /// Events sent while this source was one of ours (outbound or internal flows).
    ours_events: u32,
    /// Probes the firewall dropped or rejected, and probes it let through.
    blocked_probes: u32,
    allowed_probes: u32,
    /// Probes that were traceroute-shaped (UDP into the traceroute range), and all probes to
    /// traceroute, game and streaming ports.
    trace_probes: u32,
    benign_probes: u32,
    hosts: Distinct<u128, 2>,
    ports: Distinct<u16, 8>,
    /// Distinct (host, port) targets.
    targets: Distinct<u64, 2>,
    protocols: u8,
    /// IP protocol numbers seen (a bit per number).
    ip_protocols: [u64; 4],
    /// Bit n set when destination port n (1..=10) was probed.
    low_ports: u16,
    low_source_port_probes: u32,
    trusted_port: u16,
    trusted_probes: u32,
    /// TCP packets carrying an IP ID (for the scanner fingerprints' share).
    id_packets: u32,
    /// The previous attempt: a hash of (protocol, source port, destination, destination port),
    /// its time and IP ID, for retransmission detection.
    last_tuple: u64,
    last_tuple_t: i64,
    last_ip_id: Option<u32>,
    last_ttl: Option<u8>,
    /// First attempts at up to two authentication targets, kept inline until a second attempt
    /// at the same target makes it worth a brute-force aggregate (most sources try a target
    /// once). A third target goes straight to an aggregate.
    pending_auth: [Option<PendingAttempt>; 2],
    samples: SmallVec<[Origin; SOURCE_SAMPLES]>,
    aggregates: Vec<Aggregate>,
    timed: bool,
}

/// Two packets of one attempt (same ports and addresses) this close together are a retransmission.
const RETRANSMIT_MICROS: i64 = 120 * MICROS;

impl SourceState {
    fn new(ip: IpAddr, t: i64, timed: bool) -> SourceState {
        SourceState {
            ip,
            first: t,
            last: t,
            events: 0,
            probes: 0,
            retransmissions: 0,
            outbound_probes: 0,
            ours_events: 0,
            blocked_probes: 0,
            allowed_probes: 0,
            trace_probes: 0,
            benign_probes: 0,
            hosts: Distinct::default(),
            ports: Distinct::default(),
            targets: Distinct::default(),
            protocols: 0,
            ip_protocols: [0; 4],
            low_ports: 0,
            low_source_port_probes: 0,
            trusted_port: 0,
            trusted_probes: 0,
            id_packets: 0,
            last_tuple: 0,
            last_tuple_t: i64::MIN,
            last_ip_id: None,
            last_ttl: None,
            pending_auth: [None, None],
            samples: SmallVec::new(),
            aggregates: Vec::new(),
            timed,
        }
    }

    #[inline]
    fn aggregate(&mut self, kind: Kind, sub: u64) -> Option<&mut Aggregate> {
        if let Some(i) = self
            .aggregates
            .iter()
            .position(|a| a.kind == kind && a.sub == sub)
        {
            return Some(&mut self.aggregates[i]);
        }
        if self.aggregates.len() >= MAX_AGGREGATES {
            return None;
        }
        if kind == Kind::AttackBruteforce
            && self
                .aggregates
                .iter()
                .filter(|a| a.kind == Kind::AttackBruteforce)
                .count()
                >= MAX_BRUTEFORCE_TARGETS
        {
            return None;
        }
        // Most sources feed one or two patterns: grow one at a time rather than by the default
        // four (an aggregate is ~300 bytes and there are up to `max_tracked_sources` sources).
        self.aggregates.reserve_exact(1);
        self.aggregates.push(Aggregate::new(kind, sub));
        self.aggregates.last_mut()
    }

    /// Notes the packet's attempt tuple; true when it repeats the previous attempt (a
    /// retransmission, or the same packet sent again).
    #[inline]
    fn is_retransmission(&mut self, event: &Event<'_>, t: i64) -> bool {
        let (Some(sport), Some(dport)) = (event.src_port, event.dst_port) else {
            return false;
        };
        let dst = event.dst.map_or(0, addr_key);
        let tuple = mix64(
            (dst as u64)
                ^ ((dst >> 64) as u64).rotate_left(21)
                ^ (u64::from(sport) << 16 | u64::from(dport)).rotate_left(40)
                ^ u64::from(protocol_bit(event.protocol)),
        );
        let same_id = event.ip_id.is_some() && event.ip_id == self.last_ip_id;
        // A resent packet leaves the same stack with the same TTL; copies whose TTL jumps are
        // crafted, each its own probe.
        let same_ttl = event.ttl.is_none() || event.ttl == self.last_ttl;
        // TCP resends a SYN from the same port within seconds; a UDP client may reuse its port
        // for new queries, so only the same IP ID makes a UDP packet a copy.
        let same = tuple == self.last_tuple
            && self.last_tuple_t != i64::MIN
            && same_ttl
            && (same_id
                || (event.protocol == Protocol::Tcp && t - self.last_tuple_t <= RETRANSMIT_MICROS));
        self.last_tuple = tuple;
        self.last_tuple_t = t;
        self.last_ip_id = event.ip_id;
        self.last_ttl = event.ttl;
        same
    }

    #[inline]
    fn record_protocol(&mut self, event: &Event<'_>) {
        let n = match event.protocol {
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Icmp => 1,
            Protocol::Icmpv6 => 58,
            Protocol::Igmp => 2,
            Protocol::Other(n) => n,
            Protocol::Unknown => return,
        };
        self.ip_protocols[usize::from(n >> 6)] |= 1 << (n & 63);
    }

    fn ip_protocol_count(&self) -> u32 {
        self.ip_protocols.iter().map(|w| w.count_ones()).sum()
    }

    /// Counts a connection attempt into the scan shapes (retransmissions were filtered out).
    #[inline]
    fn record_probe(&mut self, event: &Event<'_>, outbound: bool) {
        self.probes += 1;
        if outbound {
            self.outbound_probes += 1;
        }
        match event.action {
            Action::Drop | Action::Reject => self.blocked_probes += 1,
            Action::Allow => self.allowed_probes += 1,
            Action::Other => {}
        }
        let host = event.dst.map(addr_key);
        if let Some(host) = host {
            self.hosts.insert(host);
        }
        if let Some(port) = event.dst_port {
            self.ports.insert(port);
            if (1..=10).contains(&port) {
                self.low_ports |= 1 << port;
            }
        }
        let host = host.unwrap_or(0);
        self.targets.insert(mix64(
            (host as u64)
                ^ ((host >> 64) as u64).rotate_left(17)
                ^ u64::from(event.dst_port.unwrap_or(0)),
        ));
        if let Some(sport) = event.src_port {
            if (1..=5).contains(&sport) {
                self.low_source_port_probes += 1;
            }
            if ports::is_trusted_source_port(sport)
                && (self.trusted_port == 0 || self.trusted_port == sport)
            {
                self.trusted_port = sport;
                self.trusted_probes += 1;
            }
        }
        self.protocols |= protocol_bit(event.protocol);
        if self.samples.len() < SOURCE_SAMPLES {
            self.samples.push(event.origin);
        }
    }

    fn shape_draft(&self, kind: Kind) -> Draft {
        let mut draft = Draft::new(kind, Some(self.ip));
        draft.first = self.first;
        draft.last = self.last;
        draft.events = u64::from(self.probes + self.retransmissions);
        draft.hosts = self.hosts.clone();
        draft.ports = self.ports.convert();
        draft.protocols = self.protocols;
        draft.samples = self.samples.iter().copied().collect();
        draft.facts.outbound = self.outbound_probes * 2 > self.probes;
        draft.facts.attempts = self.probes;
        draft.facts.retransmissions = self.retransmissions;
        draft.timed = self.timed;
        draft
    }
}

/// A source seen once so far: what the detectors need of its one event (a few dozen bytes, where
/// a whole story is several hundred). Most sources of internet background never send a second
/// packet; those that do are promoted to a [`SourceState`] and this event is replayed into it.
#[derive(Clone, Copy, Debug)]
struct FirstEvent {
    t: i64,
    timed: bool,
    c: classify::Classified,
    protocol: Protocol,
    action: Action,
    dst: Option<IpAddr>,
    src_port: Option<u16>,
    dst_port: Option<u16>,
    tcp_flags: Option<fwseen_event::TcpFlags>,
    ttl: Option<u8>,
    ip_id: Option<u32>,
    tcp_seq: Option<u32>,
    origin: Origin,
}

impl FirstEvent {
    fn new(event: &Event<'_>, c: classify::Classified, t: i64, timed: bool) -> FirstEvent {
        FirstEvent {
            t,
            timed,
            c,
            protocol: event.protocol,
            action: event.action,
            dst: event.dst,
            src_port: event.src_port,
            dst_port: event.dst_port,
            tcp_flags: event.tcp_flags,
            ttl: event.ttl,
            ip_id: event.ip_id,
            tcp_seq: event.tcp_seq,
            origin: event.origin,
        }
    }

    /// The event again, with every field the per-source detectors read.
    fn event(&self, src: IpAddr) -> Event<'static> {
        Event {
            time: self.timed.then_some(fwseen_event::Timestamp {
                unix_micros: self.t,
                original_offset_seconds: None,
            }),
            action: self.action,
            protocol: self.protocol,
            src: Some(src),
            dst: self.dst,
            src_port: self.src_port,
            dst_port: self.dst_port,
            tcp_flags: self.tcp_flags,
            ttl: self.ttl,
            ip_id: self.ip_id,
            tcp_seq: self.tcp_seq,
            origin: self.origin,
            ..Event::default()
        }
    }

    /// True when this event alone can tell no story (an ordinary probe or call-out: every finding
    /// it could feed needs more events), so the source is a lone probe without further work.
    fn is_lone(&self) -> bool {
        matches!(
            self.c.label,
            EventLabel::Probe
                | EventLabel::Outbound
                | EventLabel::EchoRequest
                | EventLabel::PortZero
                | EventLabel::TrojanOutbound
                | EventLabel::OtherProtocol
                | EventLabel::IcmpOther
                | EventLabel::Unanalysed
        )
    }

    /// The story of a source that sent only this event.
    fn into_state(self, src: IpAddr) -> SourceState {
        let mut state = SourceState::new(src, self.t, self.timed);
        update_source(&mut state, &self.event(src), &self.c, self.t, self.timed);
        state
    }
}

/// Destination ports followed for distributed scans (the busiest; see `count_port_window`).
const MAX_PORT_WINDOWS: usize = 4096;

/// A tracked source: its one event so far, or its whole story.
enum Story {
    /// An index into [`FirstEvents`]: first events are most sources, so they live in one slab
    /// (no allocation per source, one free at the end) and the table's slots stay 16 bytes.
    First(u32),
    Whole(Box<SourceState>),
}

/// The first events of sources seen once, in a slab whose freed slots are reused.
#[derive(Default)]
struct FirstEvents {
    slots: Vec<FirstEvent>,
    free: Vec<u32>,
}

impl FirstEvents {
    fn insert(&mut self, first: FirstEvent) -> u32 {
        match self.free.pop() {
            Some(index) => {
                self.slots[index as usize] = first;
                index
            }
            None => {
                // At most `max_tracked_sources` × FIRST_EVENTS_PER_SOURCE live slots, far below
                // u32::MAX for any configuration that fits in memory.
                let index = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
                self.slots.push(first);
                index
            }
        }
    }

    /// Takes a first event out; its slot is reused by a later insert.
    fn remove(&mut self, index: u32) -> FirstEvent {
        self.free.push(index);
        self.slots[index as usize]
    }
}

/// First-event sources kept per tracked whole story (see [`Config::max_tracked_sources`]).
const FIRST_EVENTS_PER_SOURCE: usize = 1;

/// Attempts of one inside host at one outside address and port.
#[derive(Clone, Debug)]
struct FlowState {
    src: IpAddr,
    dst: IpAddr,
    port: u16,
    protocol: Protocol,
    first: i64,
    last_event: i64,
    last_attempt: i64,
    events: u64,
    attempts: u32,
    intervals: u32,
    mean: f64,
    m2: f64,
    samples: SmallVec<[Origin; SOURCE_SAMPLES]>,
    timed: bool,
}

/// One destination port's distributed-scan window.
#[derive(Clone, Debug)]
struct PortWindow {
    first: i64,
    last: i64,
    events: u64,
    protocol: Protocol,
    port: u16,
    sources: Distinct<SourceKey, 2>,
    hosts: Distinct<u128, 2>,
    samples: SmallVec<[Origin; SOURCE_SAMPLES]>,
    timed: bool,
}

/// What our hosts sent to whom, recently: direct-mapped tables of (ours, theirs) pairs and of
/// peers alone, with the last time one of ours sent. An answer must match the pair; an ident query
/// needs only the peer, because behind NAT our side of the connection has two addresses (the
/// inside host's and the gateway's). Fixed size (2 × 2 MiB), one memory access per lookup; a
/// collision forgets the older entry, so an answer to it is then read as a late reply (noise),
/// never as anything more alarming.
#[derive(Default)]
struct Recent {
    pairs: Vec<(u64, i64)>,
    peers: Vec<(u64, i64)>,
}

const RECENT_SLOTS: usize = 1 << 17;
/// An inbound packet this soon after one of ours sent to its source is taken as an answer.
const ANSWER_MICROS: i64 = 600 * MICROS;

impl Recent {
    #[inline]
    fn pair_key(ours: IpAddr, theirs: IpAddr) -> u64 {
        let (a, b) = (addr_key(ours), addr_key(theirs));
        // Never zero, so an empty slot never matches.
        mix64(
            (a as u64)
                ^ ((a >> 64) as u64).rotate_left(7)
                ^ mix64((b as u64) ^ ((b >> 64) as u64).rotate_left(29)),
        ) | 1
    }

    #[inline]
    fn peer_key(theirs: IpAddr) -> u64 {
        let b = addr_key(theirs);
        mix64((b as u64) ^ ((b >> 64) as u64).rotate_left(13) ^ 0x9e37_79b9) | 1
    }

    #[inline]
    fn slot(key: u64) -> usize {
        (key >> 40) as usize & (RECENT_SLOTS - 1)
    }

    #[inline]
    fn note(&mut self, ours: IpAddr, theirs: IpAddr, t: i64) {
        if self.pairs.is_empty() {
            self.pairs = vec![(0, 0); RECENT_SLOTS];
            self.peers = vec![(0, 0); RECENT_SLOTS];
        }
        let pair = Recent::pair_key(ours, theirs);
        self.pairs[Recent::slot(pair)] = (pair, t);
        let peer = Recent::peer_key(theirs);
        self.peers[Recent::slot(peer)] = (peer, t);
    }

    #[inline]
    fn within(table: &[(u64, i64)], key: u64, t: i64) -> bool {
        table
            .get(Recent::slot(key))
            .is_some_and(|&(k, last)| k == key && (t - last).abs() <= ANSWER_MICROS)
    }

    /// True when `ours` sent to `theirs` within [`ANSWER_MICROS`] of `t`.
    #[inline]
    fn contacted(&self, ours: IpAddr, theirs: IpAddr, t: i64) -> bool {
        Recent::within(&self.pairs, Recent::pair_key(ours, theirs), t)
    }

    /// True when any of ours sent to `theirs` within [`ANSWER_MICROS`] of `t`.
    #[inline]
    fn peer_contacted(&self, theirs: IpAddr, t: i64) -> bool {
        Recent::within(&self.peers, Recent::peer_key(theirs), t)
    }
}

/// A blocked Bloom filter of source keys (2 MiB; four probes within one 64-byte block, so one
/// cache miss per lookup): remembers which sources were already counted as lone or unexplained,
/// so that an evicted source that returns is not counted twice. False positives (about 1 % at
/// two million sources) undercount by as much.
#[derive(Default)]
struct SeenFilter {
    bits: Vec<u64>,
}

const SEEN_FILTER_BITS: usize = 1 << 24;
/// Words per block (512 bits: one cache line).
const SEEN_BLOCK_WORDS: usize = 8;

impl SeenFilter {
    /// The block (first word) and the four (word, mask) probes of `key`.
    #[inline]
    fn probes(key: u128) -> (usize, [(usize, u64); 4]) {
        let h = mix64((key as u64) ^ mix64((key >> 64) as u64 ^ 0x5bd1_e995));
        let blocks = SEEN_FILTER_BITS / 64 / SEEN_BLOCK_WORDS;
        let block = ((h >> 40) as usize & (blocks - 1)) * SEEN_BLOCK_WORDS;
        let probe = |i: u32| {
            let bit = (h >> (i * 9)) as usize & 511;
            (bit / 64, 1u64 << (bit % 64))
        };
        (block, [probe(0), probe(1), probe(2), probe(3)])
    }

    /// Adds `key`; false when it was (probably) there already.
    fn insert(&mut self, key: u128) -> bool {
        if self.bits.is_empty() {
            self.bits = vec![0; SEEN_FILTER_BITS / 64];
        }
        let (block, probes) = Self::probes(key);
        let mut new = false;
        for (word, mask) in probes {
            let word = &mut self.bits[block + word];
            new |= *word & mask == 0;
            *word |= mask;
        }
        new
    }

    /// True when `key` was (probably) added.
    fn contains(&self, key: u128) -> bool {
        if self.bits.is_empty() {
            return false;
        }
        let (block, probes) = Self::probes(key);
        probes
            .iter()
            .all(|&(word, mask)| self.bits[block + word] & mask != 0)
    }
}

/// What closing state produces: drafts and counters (kept apart from the state maps so that both
/// can be borrowed at once).
struct Emitter {
    thresholds: Thresholds,
    /// Sources already counted as lone or unexplained (by an early close: eviction).
    counted: SeenFilter,
    /// True while `finish` closes every story: each source is closed for the last time, so the
    /// filter is only read.
    closing_all: bool,
    /// Every source that sent an unsolicited probe (for the distributed-scan share).
    probing_sources: Distinct<SourceKey, 2>,
    drafts: Drafts,
    stats: StatsBuilder,
}

/// The streaming analyzer (see the crate header for how to use it).
pub struct Analyzer {
    config: Config,
    table: &'static PortTable,
    network: Network,
    /// Every tracked source, in one table so that an event costs one lookup: a compact first
    /// event, or a whole story (boxed: the table stays small, and growing it never copies or
    /// holds twice hundreds of megabytes of state). At most `max_tracked_sources` whole stories
    /// and `FIRST_EVENTS_PER_SOURCE` × as many first events.
    sources: FxHashMap<u128, Story>,
    firsts: FirstEvents,
    /// Eviction candidates (reused).
    victims: Vec<(u64, u128)>,
    /// First-event sources in arrival order (may hold keys since promoted or closed).
    first_order: std::collections::VecDeque<u128>,
    whole_stories: usize,
    first_events: usize,
    flows: FxHashMap<(u128, u128, u32), FlowState>,
    port_windows: FxHashMap<u32, PortWindow>,
    recent: Recent,
    emitter: Emitter,
    now: i64,
    seen_time: bool,
    next_sweep: i64,
    sweep_interval: i64,
    events_since_sweep: u64,
}

fn theme_kind(bit: Roles) -> Option<Kind> {
    Some(match bit {
        role::TROJAN => Kind::ScanTrojan,
        role::PROXY => Kind::ScanProxy,
        role::REFLECTOR => Kind::ProbeReflector,
        role::RPC => Kind::ScanRpc,
        role::PCANYWHERE => Kind::ScanPcanywhere,
        _ => return None,
    })
}

fn theme_role(kind: Kind) -> Roles {
    match kind {
        Kind::ScanTrojan => role::TROJAN,
        Kind::ScanProxy => role::PROXY,
        Kind::ProbeReflector => role::REFLECTOR,
        Kind::ScanRpc => role::RPC,
        Kind::ScanPcanywhere => role::PCANYWHERE,
        _ => 0,
    }
}

const THEME_BITS: [Roles; 5] = [
    role::TROJAN,
    role::PROXY,
    role::REFLECTOR,
    role::RPC,
    role::PCANYWHERE,
];

impl Analyzer {
    /// A new analyzer. Builds the port table on first use (a few milliseconds, once per process).
    pub fn new(config: Config) -> Analyzer {
        let t = &config.thresholds;
        let sweep_interval = (i64::from(t.beacon_idle_seconds) * MICROS / 4).max(MICROS);
        let emitter = Emitter {
            thresholds: t.clone(),
            counted: SeenFilter::default(),
            closing_all: false,
            probing_sources: Distinct::default(),
            drafts: Drafts::new(config.max_benign_findings),
            stats: StatsBuilder::new(),
        };
        Analyzer {
            network: Network::from_config(&config),
            table: ports::table(),
            sources: FxHashMap::default(),
            firsts: FirstEvents::default(),
            victims: Vec::new(),
            first_order: std::collections::VecDeque::new(),
            whole_stories: 0,
            first_events: 0,
            flows: FxHashMap::default(),
            port_windows: FxHashMap::default(),
            recent: Recent::default(),
            emitter,
            now: 0,
            seen_time: false,
            next_sweep: i64::MIN,
            sweep_interval,
            events_since_sweep: 0,
            config,
        }
    }

    /// Sources with a whole story in memory right now (never above `max_tracked_sources`).
    pub fn tracked_sources(&self) -> usize {
        self.whole_stories
    }

    /// Sources seen once so far, kept compactly (never above `max_tracked_sources`).
    pub fn first_seen_sources(&self) -> usize {
        self.first_events
    }

    /// Outbound flows followed right now (never above `max_tracked_flows`).
    pub fn tracked_flows(&self) -> usize {
        self.flows.len()
    }

    /// Feeds one event. Events should come roughly in time order; slight disorder (several files
    /// or firewalls interleaved) is tolerated.
    pub fn push(&mut self, event: &Event<'_>) {
        let stats = &mut self.emitter.stats.stats;
        stats.events += 1;
        let t = match event.time {
            Some(time) => {
                let micros = time.unix_micros;
                if !self.seen_time || micros > self.now {
                    self.now = micros;
                } else if micros < self.now {
                    stats.events_out_of_order += 1;
                }
                if stats
                    .first_time
                    .is_none_or(|f| time.unix_micros < f.unix_micros)
                {
                    stats.first_time = Some(time);
                }
                if stats
                    .last_time
                    .is_none_or(|l| time.unix_micros > l.unix_micros)
                {
                    stats.last_time = Some(time);
                }
                self.seen_time = true;
                micros
            }
            None => {
                stats.events_without_time += 1;
                self.now
            }
        };
        let timed = event.time.is_some();
        let mut c = classify::classify(event, &self.network, self.table);
        self.relabel(&mut c, event, t);
        let stats = &mut self.emitter.stats.stats;
        match c.flow {
            Flow::Inbound => stats.inbound_events += 1,
            Flow::Outbound => stats.outbound_events += 1,
            Flow::Internal => stats.internal_events += 1,
        }
        stats.events_by_class.add(label_class(c.label));
        let port = match event.protocol {
            Protocol::Tcp => event.dst_port.map(|p| (false, p)),
            Protocol::Udp => event.dst_port.map(|p| (true, p)),
            _ => None,
        };
        self.emitter.stats.count_time_and_port(
            event.time.map(|time| time.unix_micros.div_euclid(MICROS)),
            port,
        );
        self.events_since_sweep += 1;
        // Sweep when log time says so, but never more often than it pays for itself: a sweep
        // walks every live source, so wait for at least half as many events as there are sources.
        if self.now >= self.next_sweep && self.events_since_sweep >= (self.flows.len() / 2) as u64 {
            if self.next_sweep != i64::MIN {
                self.sweep(false);
            }
            self.events_since_sweep = 0;
            self.next_sweep = self.now.saturating_add(self.sweep_interval);
        }

        match c.label {
            EventLabel::Unanalysed | EventLabel::IcmpOther | EventLabel::Answer => return,
            EventLabel::Outbound => {
                if event.action == Action::Allow {
                    return;
                }
                if is_attempt(event) {
                    self.follow_flow(event, t, timed);
                }
            }
            EventLabel::Probe | EventLabel::Stealth(_) if c.flow == Flow::Inbound => {
                if let (Some(src), Some(dst)) = (event.src, event.dst) {
                    self.network.learn(src, dst);
                }
            }
            _ => {}
        }
        if c.label == EventLabel::Probe && c.flow != Flow::Outbound && event.action != Action::Allow
        {
            self.count_port_window(event, t, timed);
        }
        let Some(src) = event.src else {
            return;
        };
        let key = addr_key(src);
        let first = match self.sources.get_mut(&key) {
            Some(Story::Whole(state)) => {
                update_source(state, event, &c, t, timed);
                return;
            }
            Some(Story::First(index)) => Some(*index),
            None if event.session.is_none() => {
                // A new source: remember its one event compactly until it sends another.
                let cap = self.config.max_tracked_sources.max(1) * FIRST_EVENTS_PER_SOURCE;
                if self.first_events >= cap {
                    self.evict_oldest_first_events();
                }
                let index = self.firsts.insert(FirstEvent::new(event, c, t, timed));
                self.sources.insert(key, Story::First(index));
                self.first_events += 1;
                self.first_order.push_back(key);
                return;
            }
            None => None,
        };
        // The source's second event (or a session record): it gets a whole story.
        if self.whole_stories >= self.config.max_tracked_sources {
            self.evict_whole_stories();
        }
        let mut state = match first {
            Some(index) => {
                self.first_events -= 1;
                self.firsts.remove(index).into_state(src)
            }
            None => SourceState::new(src, t, timed),
        };
        update_source(&mut state, event, &c, t, timed);
        self.sources.insert(key, Story::Whole(Box::new(state)));
        self.whole_stories += 1;
        let stats = &mut self.emitter.stats.stats;
        stats.peak_tracked_sources = stats.peak_tracked_sources.max(self.whole_stories);
    }

    /// Corrects a label with what the log showed earlier: an inbound packet from an address one
    /// of ours has just sent to is an answer, not a probe; an ident query is one only when it
    /// follows our own connection to the asking server; a completed Zeek session is a session.
    fn relabel(&mut self, c: &mut classify::Classified, event: &Event<'_>, t: i64) {
        let (Some(src), Some(dst)) = (event.src, event.dst) else {
            return;
        };
        if event.session.is_some_and(|s| s.established()) {
            if matches!(
                c.label,
                EventLabel::Probe
                    | EventLabel::Stealth(_)
                    | EventLabel::Benign(_)
                    | EventLabel::Outbound
            ) {
                c.label = EventLabel::Session;
            }
            return;
        }
        if c.flow != Flow::Inbound {
            // Remember what our hosts talk to, so that the answers are known as answers.
            self.recent.note(src, dst, t);
            if c.flow == Flow::Outbound {
                // Our side of a connection (ACKs, data, resets) is no late reply.
                if matches!(
                    c.label,
                    EventLabel::Benign(Kind::BenignLateReply | Kind::BenignNatSourcePort)
                ) {
                    c.label = EventLabel::Answer;
                }
                return;
            }
        }
        // Only a few labels depend on whether we spoke first (a plain SYN never does), so the
        // table is read only for them.
        let answerable = match c.label {
            EventLabel::Benign(
                Kind::BenignIdent
                | Kind::BenignLateReply
                | Kind::BenignNatSourcePort
                | Kind::BenignTracerouteReply,
            )
            | EventLabel::IcmpOther
            | EventLabel::EchoRequest => true,
            EventLabel::Probe | EventLabel::Stealth(_) => !event.is_plain_syn(),
            _ => false,
        };
        if !answerable {
            return;
        }
        let answered = self.recent.contacted(dst, src, t);
        c.label = match c.label {
            EventLabel::Benign(Kind::BenignIdent)
                if answered || self.recent.peer_contacted(src, t) =>
            {
                c.label
            }
            // No connection of ours preceded it: a probe of port 113 like any other.
            EventLabel::Benign(Kind::BenignIdent) => EventLabel::Probe,
            _ if answered => EventLabel::Answer,
            label => label,
        };
    }

    /// Closes everything still open and returns the findings and statistics.
    pub fn finish(mut self) -> Report {
        self.close_all_sources();
        self.sweep(true);
        let stats_builder = std::mem::replace(&mut self.emitter.stats, StatsBuilder::new());
        let mut stats = stats_builder.finish();
        stats.benign_findings_dropped = self.emitter.drafts.benign_dropped;
        stats.home_net_hits = self.network.hits();
        let drafts = std::mem::replace(&mut self.emitter.drafts, Drafts::new(0));
        Report {
            findings: drafts.into_findings(),
            stats,
        }
    }

    /// Tells the story of every source still tracked: the end of the input.
    fn close_all_sources(&mut self) {
        // Each source is closed for the last time: the counted-sources filter is only read.
        self.emitter.closing_all = true;
        for (key, story) in std::mem::take(&mut self.sources) {
            match story {
                Story::Whole(state) => self.emitter.close_source(key, &state),
                Story::First(index) => {
                    let first = self.firsts.slots[index as usize];
                    self.emitter.close_first(key, first);
                }
            }
        }
        self.firsts = FirstEvents::default();
        self.whole_stories = 0;
        self.first_events = 0;
        self.first_order = std::collections::VecDeque::new();
    }

    /// Closes expired state (or everything, when `all`).
    fn sweep(&mut self, all: bool) {
        let t = &self.emitter.thresholds;
        let now = self.now;
        let beacon_idle = i64::from(t.beacon_idle_seconds) * MICROS;
        // A source's story runs to the end of the input: only `finish` (before this) or
        // eviction closes it.
        let expired: Vec<(u128, u128, u32)> = self
            .flows
            .iter()
            .filter(|(_, f)| all || now - f.last_event > beacon_idle)
            .map(|(k, _)| *k)
            .collect();
        for key in expired {
            if let Some(flow) = self.flows.remove(&key) {
                self.emitter.close_flow(flow);
            }
        }
        let expired: Vec<u32> = self
            .port_windows
            .iter()
            .filter(|_| all)
            .map(|(k, _)| *k)
            .collect();
        for key in expired {
            if let Some(window) = self.port_windows.remove(&key) {
                self.emitter.close_port_window(key, window);
            }
        }
    }

    /// Makes room for a first event: tells the stories of the oldest eighth of the first events
    /// (in arrival order, kept in `first_order`; keys whose source has since sent again or been
    /// closed are skipped).
    fn evict_oldest_first_events(&mut self) {
        let cap = self.config.max_tracked_sources.max(1) * FIRST_EVENTS_PER_SOURCE;
        let mut to_close = (cap / 8).max(1);
        while to_close > 0 {
            let Some(key) = self.first_order.pop_front() else {
                break;
            };
            if !matches!(self.sources.get(&key), Some(Story::First(_))) {
                continue;
            }
            if let Some(Story::First(index)) = self.sources.remove(&key) {
                self.first_events -= 1;
                self.emitter.stats.stats.sources_evicted += 1;
                let first = self.firsts.remove(index);
                self.emitter.close_first(key, first);
                to_close -= 1;
            }
        }
        // Keys of promoted sources linger in the order; drop them when they outnumber the rest.
        if self.first_order.len() > 2 * cap {
            let sources = &self.sources;
            self.first_order
                .retain(|key| matches!(sources.get(key), Some(Story::First(_))));
        }
    }

    /// Makes room for a whole story: tells the stories of the least interesting eighth (fewest
    /// events, then longest idle), as the end of the input would.
    fn evict_whole_stories(&mut self) {
        let cap = self.config.max_tracked_sources.max(1);
        let now = self.now;
        // The candidates' buffer is kept between evictions: it is megabytes, and allocating it
        // afresh each time costs page faults.
        let mut victims = std::mem::take(&mut self.victims);
        victims.clear();
        victims.extend(self.sources.iter().filter_map(|(k, story)| match story {
            Story::Whole(s) => {
                let idle = (now - s.last).max(0) as u64 / MICROS as u64;
                let score = (u64::from(s.events.min(1 << 20)) << 40)
                    | (u64::MAX >> 24).saturating_sub(idle);
                Some((score, *k))
            }
            Story::First(_) => None,
        }));
        let batch = (cap / 8).max(1).min(victims.len());
        if batch == 0 {
            self.victims = victims;
            return;
        }
        victims.select_nth_unstable(batch - 1);
        for &(_, key) in &victims[..batch] {
            let Some(story) = self.sources.remove(&key) else {
                continue;
            };
            match story {
                Story::Whole(state) => {
                    self.emitter.stats.stats.sources_evicted += 1;
                    self.whole_stories -= 1;
                    self.emitter.close_source(key, &state);
                }
                Story::First(first) => {
                    // Never a candidate; put it back untouched.
                    self.sources.insert(key, Story::First(first));
                }
            }
        }
        self.victims = victims;
    }

    /// Beacon bookkeeping for a refused outbound attempt.
    fn follow_flow(&mut self, event: &Event<'_>, t: i64, timed: bool) {
        let (Some(src), Some(dst), Some(port)) = (event.src, event.dst, event.dst_port) else {
            return;
        };
        let key = (
            addr_key(src),
            addr_key(dst),
            u32::from(port) | (u32::from(protocol_bit(event.protocol)) << 16),
        );
        let gap = i64::from(self.emitter.thresholds.beacon_attempt_gap_seconds) * MICROS;
        if !self.flows.contains_key(&key) && self.flows.len() >= self.config.max_tracked_flows {
            self.evict_flows();
        }
        let flow = self.flows.entry(key).or_insert_with(|| FlowState {
            src,
            dst,
            port,
            protocol: event.protocol,
            first: t,
            last_event: t,
            last_attempt: t,
            events: 0,
            attempts: 0,
            intervals: 0,
            mean: 0.0,
            m2: 0.0,
            samples: SmallVec::new(),
            timed,
        });
        flow.events += 1;
        if flow.samples.len() < SOURCE_SAMPLES {
            flow.samples.push(event.origin);
        }
        if flow.attempts == 0 {
            flow.attempts = 1;
        } else if t - flow.last_event >= gap {
            let interval = (t - flow.last_attempt) as f64 / MICROS as f64;
            flow.attempts += 1;
            flow.intervals += 1;
            let delta = interval - flow.mean;
            flow.mean += delta / f64::from(flow.intervals);
            flow.m2 += delta * (interval - flow.mean);
            flow.last_attempt = t;
        }
        flow.last_event = flow.last_event.max(t);
    }

    fn evict_flows(&mut self) {
        let cap = self.config.max_tracked_flows.max(1);
        let mut victims: Vec<(i64, (u128, u128, u32))> =
            self.flows.iter().map(|(k, f)| (f.last_event, *k)).collect();
        let batch = (cap / 8).max(1).min(victims.len());
        if batch == 0 {
            return;
        }
        victims.select_nth_unstable(batch - 1);
        for &(_, key) in &victims[..batch] {
            if let Some(flow) = self.flows.remove(&key) {
                self.emitter.stats.stats.flows_evicted += 1;
                self.emitter.close_flow(flow);
            }
        }
    }

    /// Distributed-scan bookkeeping for an unsolicited probe.
    fn count_port_window(&mut self, event: &Event<'_>, t: i64, timed: bool) {
        let (Some(src), Some(port)) = (event.src, event.dst_port) else {
            return;
        };
        let key = u32::from(port) | (u32::from(protocol_bit(event.protocol)) << 16);
        if self.port_windows.len() >= MAX_PORT_WINDOWS && !self.port_windows.contains_key(&key) {
            // Keep the busiest ports (space-saving): a distributed scan is a port a large share
            // of all probers went for, so it is always among them.
            let mut events: Vec<u64> = self.port_windows.values().map(|w| w.events).collect();
            let half = events.len() / 2;
            events.select_nth_unstable(half);
            let floor = events[half];
            let mut dropped = 0;
            self.port_windows.retain(|_, w| {
                let keep = w.events > floor || dropped >= half;
                dropped += usize::from(!keep);
                keep
            });
        }
        let window = self.port_windows.entry(key).or_insert_with(|| PortWindow {
            first: t,
            last: t,
            events: 0,
            protocol: event.protocol,
            port,
            sources: Distinct::default(),
            hosts: Distinct::default(),
            samples: SmallVec::new(),
            timed,
        });
        window.first = window.first.min(t);
        window.last = window.last.max(t);
        window.events += 1;
        window.sources.insert(SourceKey(addr_key(src)));
        self.emitter
            .probing_sources
            .insert(SourceKey(addr_key(src)));
        if let Some(dst) = event.dst {
            window.hosts.insert(addr_key(dst));
        }
        if window.samples.len() < SOURCE_SAMPLES {
            window.samples.push(event.origin);
        }
    }
}

/// The class of pattern an event's label can feed (for the per-class counters).
fn label_class(label: EventLabel) -> Option<crate::finding::Class> {
    use crate::finding::Class;
    Some(match label {
        EventLabel::Benign(kind) => kind.class(),
        EventLabel::Fraggle | EventLabel::EchoRequest | EventLabel::Stealth(_) => Class::Recon,
        EventLabel::PortZero | EventLabel::Probe => Class::Recon,
        EventLabel::Spoofed(_) | EventLabel::IcmpInvalid | EventLabel::OtherProtocol => {
            Class::Recon
        }
        EventLabel::Smurf | EventLabel::EchoChargen => Class::Attack,
        EventLabel::TrojanOutbound | EventLabel::Conducent => Class::Compromise,
        EventLabel::Outbound
        | EventLabel::IcmpOther
        | EventLabel::Answer
        | EventLabel::Session
        | EventLabel::Unanalysed => return None,
    })
}

/// True for a packet that opens something: a TCP SYN without ACK (or a TCP packet whose flags
/// the log does not give), or any packet of another protocol. ACKs, resets and data belong to a
/// connection that already exists.
#[inline]
fn is_attempt(event: &Event<'_>) -> bool {
    match event.protocol {
        Protocol::Tcp => event.tcp_flags.is_none_or(|f| f.0 & 0x12 == 0x02),
        _ => true,
    }
}

/// Feeds one classified event into its source's story.
#[inline]
fn update_source(
    state: &mut SourceState,
    event: &Event<'_>,
    c: &classify::Classified,
    t: i64,
    timed: bool,
) {
    state.first = state.first.min(t);
    state.last = state.last.max(t);
    state.events += 1;
    state.timed |= timed;
    if c.flow != Flow::Inbound {
        state.ours_events += 1;
    }
    state.record_protocol(event);
    fn simple<'s>(
        state: &'s mut SourceState,
        kind: Kind,
        sub: u64,
        t: i64,
        event: &Event<'_>,
    ) -> Option<&'s mut Aggregate> {
        let agg = state.aggregate(kind, sub)?;
        agg.record(t, event);
        Some(agg)
    }
    let retransmission = match c.label {
        EventLabel::Probe
        | EventLabel::Outbound
        | EventLabel::TrojanOutbound
        | EventLabel::Conducent
        | EventLabel::Benign(_) => state.is_retransmission(event, t),
        _ => false,
    };
    if retransmission {
        state.retransmissions += 1;
    }
    match c.label {
        EventLabel::Benign(kind) => {
            // Hostile beats harmless: an outsider's packets to traceroute, game and streaming
            // ports are also probes, so a scanner that touches them is still a scanner (the
            // benign story is told only when no scan is).
            if c.flow == Flow::Inbound
                && !retransmission
                && matches!(
                    kind,
                    Kind::BenignTraceroute | Kind::BenignGame | Kind::BenignStreaming
                )
            {
                state.record_probe(event, false);
                state.benign_probes += 1;
                if kind == Kind::BenignTraceroute {
                    state.trace_probes += 1;
                }
            }
            if let Some(agg) = simple(state, kind, 0, t, event) {
                match kind {
                    Kind::BenignTraceroute => agg.record_sequence(event),
                    Kind::BenignLateReply | Kind::BenignNatSourcePort => {
                        let service_port = event.src_port.filter(|&p| {
                            event.protocol == Protocol::Udp || ports::is_service_port(p)
                        });
                        agg.facts.src_port = agg.facts.src_port.or(service_port);
                    }
                    _ => {}
                }
            }
        }
        EventLabel::Fraggle => {
            simple(state, Kind::ProbeFraggle, 0, t, event);
        }
        EventLabel::Smurf => {
            simple(state, Kind::ProbeSmurf, 0, t, event);
        }
        EventLabel::EchoChargen => {
            if let Some(agg) = simple(state, Kind::DosEchoChargen, 0, t, event) {
                agg.facts.src_port = agg.facts.src_port.or(event.src_port);
            }
        }
        EventLabel::TrojanOutbound | EventLabel::Conducent if !is_attempt(event) => {
            // An ACK or reset to a backdoor port is one of our servers answering a client whose
            // ephemeral port happens to be that number, not a call out.
        }
        EventLabel::TrojanOutbound => {
            if let Some(agg) = simple(state, Kind::CompromiseTrojanOutbound, 0, t, event) {
                agg.facts.outbound = false;
                if retransmission {
                    agg.facts.retransmissions += 1;
                } else {
                    agg.facts.attempts += 1;
                }
            }
        }
        EventLabel::Conducent => {
            if let Some(agg) = simple(state, Kind::AdwareConducent, 0, t, event) {
                agg.facts.attempts += u32::from(!retransmission);
            }
        }
        EventLabel::Outbound => {
            // Our own host's connection attempts count towards an outbound scan only when the
            // firewall refused them or they went to something other than an everyday service:
            // browsing, DNS, NTP and mail retrieval that went through are not a scan.
            let blocked = matches!(event.action, Action::Drop | Action::Reject);
            if !retransmission
                && is_attempt(event)
                && (blocked
                    || !ports::is_client_service_port(event.protocol, event.dst_port.unwrap_or(0)))
            {
                state.record_probe(event, true);
                if blocked {
                    let port = event.dst_port.unwrap_or(0);
                    simple(state, Kind::OutboundBlocked, u64::from(port), t, event);
                }
            }
            fingerprints(state, event, t);
        }
        EventLabel::EchoRequest => {
            if let Some(agg) = simple(state, Kind::SweepPing, 0, t, event) {
                agg.record_sequence(event);
                agg.facts.icmp = true;
            }
        }
        EventLabel::Stealth(variant) => {
            if let Some(agg) = simple(state, Kind::ScanStealth, variant as u64, t, event) {
                agg.facts.variants |= variant.bit();
            }
            fingerprints(state, event, t);
        }
        EventLabel::PortZero => {
            if let Some(agg) = simple(state, Kind::ScanOsFingerprint, 0, t, event) {
                agg.facts.port_zero = true;
            }
        }
        EventLabel::IcmpInvalid => {
            if let Some(agg) = simple(state, Kind::ScanOsFingerprint, 0, t, event) {
                agg.facts.icmp_invalid = true;
            }
        }
        EventLabel::Spoofed(reason) => {
            if let Some(agg) = simple(state, Kind::ProbeSpoofedSource, 0, t, event) {
                agg.facts.spoof |= reason.bit();
            }
        }
        EventLabel::OtherProtocol => {
            if let Some(dst) = event.dst {
                state.hosts.insert(addr_key(dst));
            }
            state.protocols |= protocol_bit(event.protocol);
            if state.samples.len() < SOURCE_SAMPLES {
                state.samples.push(event.origin);
            }
        }
        EventLabel::Session => {
            // A completed connection: brute force when an outsider keeps opening sessions to a
            // login service.
            if c.flow == Flow::Inbound && c.roles & role::AUTH != 0 {
                bruteforce_attempt(state, event, t);
            }
        }
        EventLabel::Probe => {
            if retransmission {
                return;
            }
            // One of ours using a service of another of ours, and let through, is the network
            // at work (DNS, directory, file shares, remote management), not a probe.
            if c.flow != Flow::Inbound
                && event.action == Action::Allow
                && event.dst_port.is_some_and(ports::is_service_port)
            {
                return;
            }
            state.record_probe(event, false);
            let themes = c.roles & role::THEMES;
            if themes != 0 {
                for bit in THEME_BITS {
                    if themes & bit != 0 {
                        if let Some(kind) = theme_kind(bit) {
                            simple(state, kind, 0, t, event);
                        }
                    }
                }
            }
            // Brute force needs attempts that reached the service: a dropped SYN never did.
            if c.roles & role::AUTH != 0
                && event.protocol == Protocol::Tcp
                && event.action == Action::Allow
                && c.flow == Flow::Inbound
            {
                bruteforce_attempt(state, event, t);
            }
            fingerprints(state, event, t);
        }
        EventLabel::IcmpOther | EventLabel::Answer | EventLabel::Unanalysed => {}
    }
}

/// One attempt at a login service that reached it (an allowed connection or a session).
#[inline]
fn bruteforce_attempt(state: &mut SourceState, event: &Event<'_>, t: i64) {
    let dst = event.dst.map_or(0, addr_key);
    let port = event.dst_port.unwrap_or(0);
    let sub = mix64((dst as u64) ^ ((dst >> 64) as u64).rotate_left(17) ^ u64::from(port));
    let has_aggregate = state
        .aggregates
        .iter()
        .any(|a| a.kind == Kind::AttackBruteforce && a.sub == sub);
    let pending_slot = state
        .pending_auth
        .iter()
        .position(|p| p.is_some_and(|p| p.sub == sub));
    let free_slot = state.pending_auth.iter().position(Option::is_none);
    if has_aggregate {
        if let Some(agg) = state.aggregate(Kind::AttackBruteforce, sub) {
            agg.record(t, event);
        }
    } else if let Some(slot) = pending_slot {
        let pending = state.pending_auth[slot].take().expect("found above");
        if let Some(agg) = state.aggregate(Kind::AttackBruteforce, sub) {
            agg.first = pending.t;
            agg.last = pending.t;
            agg.events = 1;
            agg.facts.flags |= pending.flags;
            agg.facts.allowed += u64::from(pending.allowed);
            agg.samples.push(pending.origin);
            agg.record(t, event);
        }
    } else if let Some(slot) = free_slot {
        state.pending_auth[slot] = Some(PendingAttempt {
            sub,
            t,
            flags: event.tcp_flags.map_or(0, |f| f.0),
            allowed: event.action == Action::Allow,
            origin: event.origin,
        });
    } else if let Some(agg) = state.aggregate(Kind::AttackBruteforce, sub) {
        agg.record(t, event);
    }
}

/// The zmap, masscan and Mirai packet fingerprints.
#[inline]
fn fingerprints(state: &mut SourceState, event: &Event<'_>, t: i64) {
    if event.protocol != Protocol::Tcp {
        return;
    }
    let Some(IpAddr::V4(dst)) = event.dst else {
        return;
    };
    let dst = u32::from(dst);
    if let Some(ip_id) = event.ip_id {
        state.id_packets += 1;
        if ip_id == 54_321 {
            if let Some(agg) = state.aggregate(Kind::ScannerZmap, 0) {
                agg.record(t, event);
                agg.facts.matches += 1;
            }
        }
        // masscan builds every probe from a template and sets the IP ID to
        // `ip_them ^ port_them ^ seqno` (src/templ-pkt.c, tcp_create_packet), truncated to the
        // 16-bit field: so IP ID == (dst address ^ dst port ^ sequence number) & 0xffff.
        if let (Some(seq), Some(port)) = (event.tcp_seq, event.dst_port) {
            if ip_id & 0xffff == (dst ^ u32::from(port) ^ seq) & 0xffff {
                if let Some(agg) = state.aggregate(Kind::ScannerMasscan, 0) {
                    agg.record(t, event);
                    agg.facts.matches += 1;
                }
            }
        }
    }
    // Mirai's scanner puts the target address in the TCP sequence number.
    if event.tcp_seq == Some(dst) && dst != 0 {
        if let Some(agg) = state.aggregate(Kind::ScannerMirai, 0) {
            agg.record(t, event);
            agg.facts.matches += 1;
        }
    }
}

impl Emitter {
    /// True the first time a source is counted as lone or unexplained.
    #[inline]
    fn first_count(&mut self, key: u128) -> bool {
        if self.closing_all {
            !self.counted.contains(key)
        } else {
            self.counted.insert(key)
        }
    }

    fn emit(&mut self, kind: Kind, src: Option<IpAddr>, sub: u64, draft: Draft) {
        let key: DraftKey = (kind, src.map_or(0, addr_key), sub);
        self.drafts.add(key, draft);
    }

    /// Tells a source's story once it is over (see docs/findings.md for the rules): at most one
    /// finding per kind, hostile before harmless (a source with a recon, attack or compromise
    /// finding gets no benign or noise finding), and a scan is a scan however slowly it ran.
    fn close_source(&mut self, key: u128, state: &SourceState) {
        let t = self.thresholds.clone();
        let src = state.ip;
        self.stats.stats.source_windows += 1;
        self.stats.count_source(key, u64::from(state.events));
        let mut threats: SmallVec<[(Kind, u64, Draft); 4]> = SmallVec::new();
        let mut benign: SmallVec<[(Kind, u64, Draft); 4]> = SmallVec::new();

        // Several odd-flag variants at very few ports is OS fingerprinting, not a scan.
        let mut stealth = state
            .aggregates
            .iter()
            .filter(|a| a.kind == Kind::ScanStealth);
        let os_fingerprint = stealth.clone().count() >= 3 && stealth.all(|a| a.ports.count() <= 3);
        if os_fingerprint {
            let mut draft = Draft::new(Kind::ScanOsFingerprint, Some(src));
            for agg in state
                .aggregates
                .iter()
                .filter(|a| matches!(a.kind, Kind::ScanStealth | Kind::ScanOsFingerprint))
            {
                draft.first = draft.first.min(agg.first);
                draft.last = draft.last.max(agg.last);
                draft.events += u64::from(agg.events);
                draft.hosts.merge(&agg.hosts);
                draft.ports.merge(&agg.ports);
                draft.protocols |= agg.protocols;
                draft.facts.variants |= agg.facts.variants;
                draft.facts.flags |= agg.facts.flags;
                draft.facts.port_zero |= agg.facts.port_zero;
                draft.facts.icmp_invalid |= agg.facts.icmp_invalid;
                for s in &agg.samples {
                    if draft.samples.len() < SAMPLES {
                        draft.samples.push(*s);
                    }
                }
            }
            draft.timed = state.timed;
            threats.push((Kind::ScanOsFingerprint, 0, draft));
        }

        let themes: SmallVec<[&Aggregate; 4]> = state
            .aggregates
            .iter()
            .filter(|a| theme_role(a.kind) != 0)
            .collect();
        let mut story = self.scan_story(state, &themes);
        let scanned = story.is_some();
        if state.ip_protocol_count() >= t.ip_protocol_min_protocols {
            let mut draft = state.shape_draft(Kind::ScanIpProtocol);
            draft.events = u64::from(state.events);
            draft.facts.ip_protocols = state.ip_protocol_count();
            threats.push((Kind::ScanIpProtocol, 0, draft));
        }
        for agg in &state.aggregates {
            let kind = agg.kind;
            let emit_as = match kind {
                Kind::ScanStealth | Kind::ScanOsFingerprint if os_fingerprint => None,
                // A connect scan completes its handshakes on open ports: those few bare ACKs
                // next to many SYNs are not an ACK scan.
                Kind::ScanStealth
                    if agg.sub == StealthVariant::Ack as u64
                        && u64::from(state.probes) >= 10 * u64::from(agg.events) =>
                {
                    None
                }
                Kind::ScanStealth => {
                    let crafted = StealthVariant::ALL
                        .iter()
                        .any(|v| agg.facts.variants & v.bit() != 0 && v.is_crafted());
                    let targets = agg.hosts.count() * agg.ports.count();
                    // No ordinary stack sends a NULL, XMAS or SYN-FIN packet: even one is a
                    // crafted probe (reported with low severity below the usual count).
                    (crafted
                        || (agg.events >= t.stealth_min_probes
                            && targets >= u64::from(t.stealth_min_probes)))
                    .then_some(kind)
                }
                Kind::ScanOsFingerprint => {
                    (agg.events >= 2 || agg.facts.icmp_invalid).then_some(kind)
                }
                Kind::SweepPing => {
                    if agg.hosts.count() >= u64::from(t.sweep_min_hosts) {
                        Some(kind)
                    } else if agg.facts.rising >= 2 && agg.hosts.count() <= 2 {
                        Some(Kind::BenignTraceroute)
                    } else {
                        None
                    }
                }
                // A traceroute has its shape: a run of probes whose port or TTL rises towards
                // one host. One packet into the traceroute range is not one.
                Kind::BenignTraceroute => (agg.facts.rising >= 2).then_some(kind),
                // Themes and refused call-outs were decided with the scan story.
                Kind::OutboundBlocked
                | Kind::ScanTrojan
                | Kind::ScanProxy
                | Kind::ScanRpc
                | Kind::ScanPcanywhere
                | Kind::ProbeReflector => None,
                Kind::AttackBruteforce => (agg.events >= t.bruteforce_min_attempts).then_some(kind),
                Kind::ScannerZmap | Kind::ScannerMasscan => (agg.facts.matches
                    >= t.fingerprint_min_packets
                    && agg.facts.matches * 2 >= state.id_packets)
                    .then_some(kind),
                Kind::ScannerMirai => (agg.facts.matches >= 1).then_some(kind),
                Kind::CompromiseTrojanOutbound => {
                    (agg.facts.attempts >= t.trojan_outbound_min_events).then_some(kind)
                }
                _ => Some(kind),
            };
            let Some(emit_kind) = emit_as else {
                continue;
            };
            // A scanner's tool is a fact of its scan story; alone, a fingerprint needs a few
            // probes before it is worth a finding.
            if matches!(emit_kind, Kind::ScannerZmap | Kind::ScannerMasscan) {
                if let Some((_, _, draft)) = story.as_mut() {
                    draft.facts.tool |= if emit_kind == Kind::ScannerZmap { 1 } else { 2 };
                    continue;
                }
                if state.probes < 3 {
                    continue;
                }
            }
            let mut draft = agg.clone().into_draft(emit_kind, src, state.timed);
            if emit_kind == Kind::CompromiseTrojanOutbound
                && (agg.facts.attempts >= 3 || agg.hosts.count() >= 2 || agg.facts.allowed > 0)
            {
                draft.facts.raise = Some(Severity::Critical);
            }
            let sub = match emit_kind {
                Kind::BenignTraceroute => 1,
                // One finding per kind and source: brute force of several targets is one story.
                Kind::AttackBruteforce => 0,
                _ => agg.sub,
            };
            if emit_kind.class() >= Class::Recon {
                threats.push((emit_kind, sub, draft));
            } else {
                benign.push((emit_kind, sub, draft));
            }
        }
        if let Some(story) = story {
            if story.0.class() >= Class::Recon {
                threats.push(story);
            } else {
                benign.push(story);
            }
        }
        if !scanned && state.probes > 0 {
            for theme in &themes {
                // Repeats at one port of one host (SYN retransmissions, a prober knocking on
                // its favourite port) are not a hunt: a theme needs targets (hosts × ports) as
                // well as probes. Backdoor hunting needs two, the other themes
                // `theme_min_events`.
                let targets = theme.hosts.count() * theme.ports.count();
                let needed = if theme.kind == Kind::ScanTrojan {
                    2
                } else {
                    t.theme_min_events
                };
                if theme.events >= needed && targets >= u64::from(needed) {
                    let draft = (*theme).clone().into_draft(theme.kind, src, state.timed);
                    threats.push((theme.kind, 0, draft));
                }
            }
        }
        if threats.is_empty() {
            if let Some(retry) = self.retry_story(state) {
                benign.push(retry);
            }
        }
        // One of ours scanning: say which way it went, and a scan shape from inside is serious.
        if state.ours_events * 2 > state.events {
            for (kind, _, draft) in threats.iter_mut() {
                // A forged source is nobody's, ours least of all.
                if !draft.facts.outbound
                    && kind.class() == Class::Recon
                    && *kind != Kind::ProbeSpoofedSource
                {
                    draft.facts.internal = true;
                }
            }
        }
        // One invalid ICMP message and nothing else is a weak sign; so are a few crafted
        // stealth packets.
        for (kind, _, draft) in threats.iter_mut() {
            if *kind == Kind::ScanStealth && draft.events < u64::from(t.stealth_min_probes) {
                draft.facts.raise = Some(Severity::Low);
            }
            if *kind == Kind::ScanOsFingerprint
                && draft.events <= 1
                && draft.facts.variants == 0
                && !draft.facts.port_zero
            {
                draft.facts.raise = Some(Severity::Low);
            }
        }
        let told = !threats.is_empty() || !benign.is_empty();
        let keep_benign = threats.is_empty();
        for (kind, sub, draft) in threats {
            self.emit(kind, Some(src), sub, draft);
        }
        if keep_benign {
            for (kind, sub, draft) in benign {
                self.emit(kind, Some(src), sub, draft);
            }
        }
        // Sources, not stories: a source closed early (evicted) and seen again is counted once.
        if !told && self.first_count(key) {
            if state.events <= t.lone_probe_max_events {
                self.stats.stats.lone_probes += 1;
            } else {
                self.stats.stats.unexplained_sources += 1;
            }
        }
    }

    /// Tells the story of a source that sent one event: most are lone probes, counted without
    /// building a whole state.
    fn close_first(&mut self, key: u128, first: FirstEvent) {
        if first.is_lone() && 1 <= self.thresholds.lone_probe_max_events {
            self.stats.stats.source_windows += 1;
            self.stats.count_source(key, 1);
            if self.first_count(key) {
                self.stats.stats.lone_probes += 1;
            }
            return;
        }
        let state = first.into_state(classify::key_addr(key));
        self.close_source(key, &state);
    }

    /// A source that kept knocking on one or a few doors: the same blocked connection tried
    /// again and again (a mail server retrying delivery, a client retrying a dropped SYN, one
    /// packet sent again with the same IP ID). Never brute force: the service never saw it.
    fn retry_story(&self, state: &SourceState) -> Option<(Kind, u64, Draft)> {
        let t = &self.thresholds;
        let packets = state.probes + state.retransmissions;
        let targets = state.targets.count();
        let mostly_outbound = state.outbound_probes * 2 > state.probes;
        let refused = state.blocked_probes;
        // Retrying backs off: a retry story spans a minute at least, or is mostly copies of one
        // attempt. A burst of new attempts within seconds is something else.
        let spread =
            state.last - state.first >= 60 * MICROS || state.retransmissions >= state.probes;
        // A stream or a game's packets are not retries of anything.
        if !spread
            || state.benign_probes * 2 >= state.probes
            || mostly_outbound
            || state.probes == 0
            || packets < t.retry_min_packets
            || targets > u64::from(t.retry_max_targets)
            || u64::from(packets) < 2 * targets
            || refused * 2 < state.probes
        {
            return None;
        }
        let mut draft = state.shape_draft(Kind::NoiseRetry);
        draft.facts.outbound = false;
        Some((Kind::NoiseRetry, 0, draft))
    }

    /// Decides the scan story of a source (vertical, horizontal, block), or the sscan,
    /// source-port, dominant theme or blocked-outbound finding that replaces it.
    fn scan_story(&self, state: &SourceState, themes: &[&Aggregate]) -> Option<(Kind, u64, Draft)> {
        if state.probes == 0 || state.probes == state.trace_probes {
            return None;
        }
        let t = &self.thresholds;
        let src = state.ip;
        let probes = f64::from(state.probes);
        let ports = state.ports.count();
        let hosts = state.hosts.count();
        let targets = state.targets.count().max(1);
        let outbound = state.outbound_probes * 2 > state.probes;
        // An inside host that keeps being refused at the same few doors is not scanning: it
        // repeats each attempt (a mail server or spam program retrying delivery, an agent
        // retrying its update server).
        if outbound
            && state.blocked_probes >= t.outbound_blocked_min_attempts
            && u64::from(state.probes) >= 3 * targets
        {
            // Told by the port refused most often. Repeats at few targets are no scan, so
            // without such a story (too few refusals at one port) there is no scan story either.
            let busiest = state
                .aggregates
                .iter()
                .filter(|a| a.kind == Kind::OutboundBlocked)
                .max_by_key(|a| a.events)?;
            if busiest.events < t.outbound_blocked_min_attempts {
                return None;
            }
            let mut draft = busiest
                .clone()
                .into_draft(Kind::OutboundBlocked, src, state.timed);
            draft.facts.attempts = busiest.events;
            if !ports::is_mail_port(busiest.sub as u16) {
                draft.facts.raise = Some(Severity::Low);
            }
            return Some((Kind::OutboundBlocked, 0, draft));
        }
        let shape = if ports >= u64::from(t.vertical_min_ports) {
            Some(if hosts >= u64::from(t.block_min_hosts) {
                Kind::ScanBlock
            } else {
                Kind::ScanVertical
            })
        } else if hosts >= u64::from(t.horizontal_min_hosts) {
            Some(Kind::ScanHorizontal)
        } else {
            None
        };
        let low = state.low_ports;
        let sscan = ((low >> 1) & 0x1f).count_ones() >= 3 && ((low >> 6) & 0x1f).count_ones() <= 1
            || state.low_source_port_probes >= 3;
        let source_port = state.trusted_port != 0
            && f64::from(state.trusted_probes) >= t.theme_dominance * probes
            && ports >= u64::from(t.source_port_min_ports);
        let dominant = themes
            .iter()
            .max_by_key(|a| a.events)
            .filter(|a| f64::from(a.events) >= t.theme_dominance * probes);
        if sscan && state.events > t.lone_probe_max_events {
            let mut draft = state.shape_draft(Kind::ScanSscan);
            draft.facts.shape = shape;
            Some((Kind::ScanSscan, 0, draft))
        } else if source_port {
            let mut draft = state.shape_draft(Kind::ScanSourcePort);
            draft.facts.shape = shape;
            draft.facts.src_port = Some(state.trusted_port);
            Some((Kind::ScanSourcePort, 0, draft))
        } else if let Some(shape) = shape {
            if let Some(theme) = dominant {
                let mut draft = (*theme).clone().into_draft(theme.kind, src, state.timed);
                draft.facts.shape = Some(shape);
                draft.facts.outbound = outbound;
                draft.facts.attempts = state.probes;
                Some((theme.kind, 0, draft))
            } else {
                let mut draft = state.shape_draft(shape);
                for theme in themes {
                    draft.facts.includes |= theme_role(theme.kind);
                }
                Some((shape, 0, draft))
            }
        } else {
            None
        }
    }

    fn close_flow(&mut self, flow: FlowState) {
        let t = &self.thresholds;
        if flow.attempts < t.beacon_min_attempts || flow.intervals == 0 {
            return;
        }
        // A beacon keeps its period for hours; a burst of retries does not make one.
        if flow.last_attempt - flow.first < i64::from(t.beacon_min_span_seconds) * MICROS {
            return;
        }
        let mean = flow.mean;
        let deviation = (flow.m2 / f64::from(flow.intervals)).sqrt();
        let jitter = if mean > 0.0 {
            deviation / mean
        } else {
            f64::MAX
        };
        if mean < f64::from(t.beacon_min_period_seconds) || jitter > t.beacon_max_jitter {
            return;
        }
        let known_bad =
            self.table_roles(flow.protocol, flow.port) & (role::TROJAN | role::CONDUCENT) != 0
                || ports::is_conducent_address(flow.dst);
        // Calls to everyday services at a steady pace are what update, telemetry and sync
        // agents do: worth knowing, not evidence of compromise by themselves.
        let kind = if !known_bad && ports::is_client_service_port(flow.protocol, flow.port) {
            Kind::OutboundPeriodic
        } else {
            Kind::CompromiseBeacon
        };
        let mut draft = Draft::new(kind, Some(flow.src));
        draft.first = flow.first;
        draft.last = flow.last_event;
        draft.events = flow.events;
        draft.hosts.insert(addr_key(flow.dst));
        draft.ports.insert(flow.port);
        draft.protocols = protocol_bit(flow.protocol);
        draft.samples = flow.samples.iter().copied().collect();
        draft.facts.beacon = Some(BeaconFacts {
            period_seconds: mean,
            jitter,
            attempts: flow.attempts,
        });
        if known_bad {
            draft.facts.raise = Some(Severity::High);
        }
        draft.timed = flow.timed;
        let sub = mix64(addr_key(flow.dst) as u64 ^ u64::from(flow.port));
        self.emit(kind, Some(flow.src), sub, draft);
    }

    fn table_roles(&self, protocol: Protocol, port: u16) -> Roles {
        ports::table().roles(protocol, port)
    }

    fn close_port_window(&mut self, key: u32, window: PortWindow) {
        let t = &self.thresholds;
        let share = (t.distributed_min_share * self.probing_sources.count() as f64).ceil() as u64;
        if window.sources.count() < u64::from(t.distributed_min_sources).max(share) {
            return;
        }
        let mut draft = Draft::new(Kind::ScanDistributed, None);
        draft.first = window.first;
        draft.last = window.last;
        draft.events = window.events;
        draft.sources = window.sources;
        draft.hosts = window.hosts;
        draft.ports.insert(window.port);
        draft.protocols = protocol_bit(window.protocol);
        draft.samples = window.samples.iter().copied().collect();
        draft.timed = window.timed;
        self.emit(Kind::ScanDistributed, None, u64::from(key), draft);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_sizes_stay_compact() {
        // Per-source state is what max_tracked_sources multiplies; keep an eye on it.
        assert!(
            std::mem::size_of::<SourceState>() <= 448,
            "{}",
            std::mem::size_of::<SourceState>()
        );
        assert!(
            std::mem::size_of::<Aggregate>() <= 320,
            "{}",
            std::mem::size_of::<Aggregate>()
        );
    }
}
