//! The streaming analyzer: events in, findings and statistics out.
//!
//! State, and what bounds it:
//! - per source: one `SourceState` for the source's current window (closed after
//!   `idle_seconds` without events or `window_seconds` after it opened). At most
//!   `max_tracked_sources` are live; when full, the least interesting eighth (fewest events, then
//!   oldest) is closed early ("evicted") — closing evaluates them exactly as expiry would.
//! - per outbound flow (inside host, outside address, port): attempt timing for beacons, at most
//!   `max_tracked_flows`, evicted the same way.
//! - per destination port: one window of `distributed_window_seconds` counting distinct sources.
//!
//! **Invariant**: an event labelled benign by [`crate::classify`] never reaches scan state.
//! **Invariant**: `push` allocates only when a source, flow or port window is new, or when a set
//! outgrows its inline sample; no strings are built before `finish`.

use std::net::IpAddr;

use fwseen_event::{Action, Event, Origin, Protocol};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::classify::{self, addr_key, EventLabel, Flow, Network, StealthVariant};
use crate::config::{Config, Thresholds};
use crate::distinct::{mix64, Distinct};
use crate::draft::{protocol_bit, BeaconFacts, Draft, DraftKey, Drafts, Facts, SAMPLES};
use crate::finding::Finding;
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

/// A source's state within its current window.
#[derive(Clone, Debug)]
struct SourceState {
    ip: IpAddr,
    first: i64,
    last: i64,
    events: u32,
    /// Probes feeding the scan shapes (vertical, horizontal, block, sscan, source-port).
    probes: u32,
    outbound_probes: u32,
    hosts: Distinct<u128, 2>,
    ports: Distinct<u16, 8>,
    protocols: u8,
    /// Bit n set when destination port n (1..=10) was probed.
    low_ports: u16,
    low_source_port_probes: u32,
    trusted_port: u16,
    trusted_probes: u32,
    /// TCP packets carrying an IP ID (for the scanner fingerprints' share).
    id_packets: u32,
    /// First attempts at up to two authentication targets, kept inline until a second attempt
    /// at the same target makes it worth a brute-force aggregate (most sources try a target
    /// once). A third target goes straight to an aggregate.
    pending_auth: [Option<PendingAttempt>; 2],
    samples: SmallVec<[Origin; SOURCE_SAMPLES]>,
    aggregates: Vec<Aggregate>,
    timed: bool,
}

impl SourceState {
    fn new(ip: IpAddr, t: i64, timed: bool) -> SourceState {
        SourceState {
            ip,
            first: t,
            last: t,
            events: 0,
            probes: 0,
            outbound_probes: 0,
            hosts: Distinct::default(),
            ports: Distinct::default(),
            protocols: 0,
            low_ports: 0,
            low_source_port_probes: 0,
            trusted_port: 0,
            trusted_probes: 0,
            id_packets: 0,
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
        self.aggregates.push(Aggregate::new(kind, sub));
        self.aggregates.last_mut()
    }

    #[inline]
    fn record_probe(&mut self, event: &Event<'_>, outbound: bool) {
        self.probes += 1;
        if outbound {
            self.outbound_probes += 1;
        }
        if let Some(dst) = event.dst {
            self.hosts.insert(addr_key(dst));
        }
        if let Some(port) = event.dst_port {
            self.ports.insert(port);
            if (1..=10).contains(&port) {
                self.low_ports |= 1 << port;
            }
        }
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
        draft.events = u64::from(self.probes);
        draft.hosts = self.hosts.clone();
        draft.ports = self.ports.convert();
        draft.protocols = self.protocols;
        draft.samples = self.samples.iter().copied().collect();
        draft.facts.outbound = self.outbound_probes * 2 > self.probes;
        draft.timed = self.timed;
        draft
    }
}

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
    start: i64,
    first: i64,
    last: i64,
    events: u64,
    protocol: Protocol,
    port: u16,
    sources: Distinct<u128, 2>,
    hosts: Distinct<u128, 2>,
    samples: SmallVec<[Origin; SOURCE_SAMPLES]>,
    timed: bool,
}

/// What closing state produces: drafts and counters (kept apart from the state maps so that both
/// can be borrowed at once).
struct Emitter {
    thresholds: Thresholds,
    drafts: Drafts,
    stats: StatsBuilder,
}

/// The streaming analyzer (see the crate header for how to use it).
pub struct Analyzer {
    config: Config,
    table: &'static PortTable,
    network: Network,
    sources: FxHashMap<u128, SourceState>,
    flows: FxHashMap<(u128, u128, u32), FlowState>,
    port_windows: FxHashMap<u32, PortWindow>,
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
        let sweep_interval =
            (i64::from(t.idle_seconds.min(t.distributed_window_seconds)) * MICROS / 4).max(MICROS);
        let emitter = Emitter {
            thresholds: t.clone(),
            drafts: Drafts::new(
                i64::from(t.idle_seconds) * MICROS,
                config.max_benign_findings,
            ),
            stats: StatsBuilder::new(),
        };
        Analyzer {
            network: Network::new(config.home_nets.clone()),
            table: ports::table(),
            sources: FxHashMap::default(),
            flows: FxHashMap::default(),
            port_windows: FxHashMap::default(),
            emitter,
            now: 0,
            seen_time: false,
            next_sweep: i64::MIN,
            sweep_interval,
            events_since_sweep: 0,
            config,
        }
    }

    /// Sources with live state right now (never above `max_tracked_sources`).
    pub fn tracked_sources(&self) -> usize {
        self.sources.len()
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
        let c = classify::classify(event, &self.network, self.table);
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
        if self.now >= self.next_sweep && self.events_since_sweep >= (self.sources.len() / 2) as u64
        {
            if self.next_sweep != i64::MIN {
                self.sweep(false);
            }
            self.events_since_sweep = 0;
            self.next_sweep = self.now.saturating_add(self.sweep_interval);
        }

        match c.label {
            EventLabel::Unanalysed | EventLabel::IcmpOther => return,
            EventLabel::Outbound => {
                if event.action == Action::Allow {
                    return;
                }
                self.follow_flow(event, t, timed);
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
        let idle = i64::from(self.emitter.thresholds.idle_seconds) * MICROS;
        let window = i64::from(self.emitter.thresholds.window_seconds) * MICROS;
        let state = match self.sources.get_mut(&key) {
            Some(state) => {
                if t - state.last > idle || t - state.first > window {
                    let old = std::mem::replace(state, SourceState::new(src, t, timed));
                    self.emitter.close_source(key, &old);
                }
                state
            }
            None => {
                if self.sources.len() >= self.config.max_tracked_sources {
                    self.evict_sources();
                }
                self.sources.insert(key, SourceState::new(src, t, timed));
                let len = self.sources.len();
                let stats = &mut self.emitter.stats.stats;
                stats.peak_tracked_sources = stats.peak_tracked_sources.max(len);
                self.sources.get_mut(&key).expect("inserted above")
            }
        };
        update_source(state, event, &c, t, timed);
    }

    /// Closes everything still open and returns the findings and statistics.
    pub fn finish(mut self) -> Report {
        self.sweep(true);
        let stats_builder = std::mem::replace(&mut self.emitter.stats, StatsBuilder::new());
        let mut stats = stats_builder.finish();
        stats.benign_findings_dropped = self.emitter.drafts.benign_dropped;
        let drafts = std::mem::replace(&mut self.emitter.drafts, Drafts::new(0, 0));
        Report {
            findings: drafts.into_findings(),
            stats,
        }
    }

    /// Closes expired state (or everything, when `all`).
    fn sweep(&mut self, all: bool) {
        let t = &self.emitter.thresholds;
        let now = self.now;
        let idle = i64::from(t.idle_seconds) * MICROS;
        let window = i64::from(t.window_seconds) * MICROS;
        let beacon_idle = i64::from(t.beacon_idle_seconds) * MICROS;
        let port_window = i64::from(t.distributed_window_seconds) * MICROS;
        let emitter = &mut self.emitter;
        self.sources.retain(|&key, state| {
            let expired = all || now - state.last > idle || now - state.first > window;
            if expired {
                emitter.close_source(key, state);
            }
            !expired
        });
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
            .filter(|(_, w)| all || now - w.start >= port_window)
            .map(|(k, _)| *k)
            .collect();
        for key in expired {
            if let Some(window) = self.port_windows.remove(&key) {
                self.emitter.close_port_window(key, window);
            }
        }
    }

    /// Makes room for a new source: closes expired ones, else the least interesting eighth.
    fn evict_sources(&mut self) {
        let cap = self.config.max_tracked_sources.max(1);
        let mut victims: Vec<(u64, u128)> = self
            .sources
            .iter()
            .map(|(k, s)| {
                // Fewest events first, then longest idle.
                let idle = (self.now - s.last).max(0) as u64 / MICROS as u64;
                let score = (u64::from(s.events.min(1 << 20)) << 40)
                    | (u64::MAX >> 24).saturating_sub(idle);
                (score, *k)
            })
            .collect();
        let batch = (cap / 8).max(1).min(victims.len());
        if batch == 0 {
            return;
        }
        victims.select_nth_unstable(batch - 1);
        for &(_, key) in &victims[..batch] {
            if let Some(state) = self.sources.remove(&key) {
                self.emitter.stats.stats.sources_evicted += 1;
                self.emitter.close_source(key, &state);
            }
        }
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
        let span = i64::from(self.emitter.thresholds.distributed_window_seconds) * MICROS;
        if let Some(window) = self.port_windows.get(&key) {
            if t - window.start >= span {
                let window = self.port_windows.remove(&key).expect("present");
                self.emitter.close_port_window(key, window);
            }
        }
        let window = self.port_windows.entry(key).or_insert_with(|| PortWindow {
            start: t,
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
        window.sources.insert(addr_key(src));
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
        EventLabel::Smurf | EventLabel::EchoChargen => Class::Attack,
        EventLabel::TrojanOutbound | EventLabel::Conducent => Class::Compromise,
        EventLabel::Outbound | EventLabel::IcmpOther | EventLabel::Unanalysed => return None,
    })
}

/// Feeds one classified event into its source's window.
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
    match c.label {
        EventLabel::Benign(kind) => {
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
        EventLabel::TrojanOutbound => {
            if let Some(agg) = simple(state, Kind::CompromiseTrojanOutbound, 0, t, event) {
                agg.facts.outbound = false;
            }
        }
        EventLabel::Conducent => {
            simple(state, Kind::AdwareConducent, 0, t, event);
        }
        EventLabel::Outbound => {
            state.record_probe(event, true);
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
        EventLabel::Probe => {
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
            if c.roles & role::AUTH != 0 && event.protocol == Protocol::Tcp {
                let dst = event.dst.map_or(0, addr_key);
                let port = event.dst_port.unwrap_or(0);
                let sub =
                    mix64((dst as u64) ^ ((dst >> 64) as u64).rotate_left(17) ^ u64::from(port));
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
                    simple(state, Kind::AttackBruteforce, sub, t, event);
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
                } else {
                    simple(state, Kind::AttackBruteforce, sub, t, event);
                }
            }
            fingerprints(state, event, t);
        }
        EventLabel::IcmpOther | EventLabel::Unanalysed => {}
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
    fn emit(&mut self, kind: Kind, src: Option<IpAddr>, sub: u64, draft: Draft) {
        let key: DraftKey = (kind, src.map_or(0, addr_key), sub);
        self.drafts.add(key, draft);
    }

    /// Evaluates a closed source window (see docs/findings.md for the rules).
    fn close_source(&mut self, key: u128, state: &SourceState) {
        let t = self.thresholds.clone();
        let src = state.ip;
        let mut emitted = 0u32;
        self.stats.stats.source_windows += 1;
        self.stats.count_source(key, u64::from(state.events));

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
                for s in &agg.samples {
                    if draft.samples.len() < SAMPLES {
                        draft.samples.push(*s);
                    }
                }
            }
            draft.timed = state.timed;
            self.emit(Kind::ScanOsFingerprint, Some(src), 0, draft);
            emitted += 1;
        }

        let themes: SmallVec<[&Aggregate; 4]> = state
            .aggregates
            .iter()
            .filter(|a| theme_role(a.kind) != 0)
            .collect();
        let scan_emitted = self.close_shapes(state, &themes);
        if scan_emitted {
            emitted += 1;
        }
        // Whether this window was reported as recon, attack or compromise: then its ident
        // queries and resets are part of that story, not separate benign ones.
        let mut threat_emitted = scan_emitted || os_fingerprint;
        let mut deferred_benign: SmallVec<[&Aggregate; 2]> = SmallVec::new();
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
                    (agg.events >= t.stealth_min_probes
                        && (crafted || targets >= u64::from(t.stealth_min_probes)))
                    .then_some(kind)
                }
                Kind::ScanOsFingerprint => (agg.events >= 2).then_some(kind),
                Kind::SweepPing => {
                    if agg.hosts.count() >= u64::from(t.sweep_min_hosts) {
                        Some(kind)
                    } else if agg.facts.rising >= 2 && agg.hosts.count() <= 2 {
                        Some(Kind::BenignTraceroute)
                    } else {
                        None
                    }
                }
                // Themes were decided with the shapes.
                Kind::ScanTrojan
                | Kind::ScanProxy
                | Kind::ScanRpc
                | Kind::ScanPcanywhere
                | Kind::ProbeReflector => None,
                // A scanner's probe of 113 and its resets are part of the scan, not separate
                // benign stories.
                Kind::BenignIdent | Kind::BenignLateReply if scan_emitted => None,
                Kind::BenignIdent | Kind::BenignLateReply => {
                    deferred_benign.push(agg);
                    None
                }
                Kind::AttackBruteforce => (agg.events >= t.bruteforce_min_attempts).then_some(kind),
                Kind::ScannerZmap | Kind::ScannerMasscan => (agg.facts.matches
                    >= t.fingerprint_min_packets
                    && agg.facts.matches * 2 >= state.id_packets)
                    .then_some(kind),
                Kind::ScannerMirai => (agg.facts.matches >= 1).then_some(kind),
                Kind::CompromiseTrojanOutbound => {
                    (agg.events >= t.trojan_outbound_min_events).then_some(kind)
                }
                _ => Some(kind),
            };
            if let Some(emit_kind) = emit_as {
                let sub = if emit_kind == Kind::BenignTraceroute {
                    1
                } else {
                    agg.sub
                };
                let draft = agg.clone().into_draft(emit_kind, src, state.timed);
                self.emit(emit_kind, Some(src), sub, draft);
                emitted += 1;
                threat_emitted |= emit_kind.class() >= crate::finding::Class::Recon;
            }
        }
        if !scan_emitted && state.probes > 0 {
            for theme in &themes {
                // Repeats at one port of one host (SYN retransmissions, a prober knocking on
                // its favourite port) are not a hunt: a theme needs `theme_min_events` targets
                // (hosts × ports) as well as that many probes.
                let targets = theme.hosts.count() * theme.ports.count();
                if theme.kind == Kind::ScanTrojan
                    || (theme.events >= t.theme_min_events
                        && targets >= u64::from(t.theme_min_events))
                {
                    let draft = (*theme).clone().into_draft(theme.kind, src, state.timed);
                    self.emit(theme.kind, Some(src), 0, draft);
                    emitted += 1;
                    threat_emitted = true;
                }
            }
        }
        if !threat_emitted {
            for agg in deferred_benign {
                let draft = agg.clone().into_draft(agg.kind, src, state.timed);
                self.emit(agg.kind, Some(src), agg.sub, draft);
                emitted += 1;
            }
        }

        if emitted == 0 {
            if state.events <= t.lone_probe_max_events {
                self.stats.stats.lone_probes += 1;
            } else {
                self.stats.stats.unexplained_sources += 1;
            }
        }
    }

    /// Decides the scan shape of a source window (vertical, horizontal, block), or the sscan,
    /// source-port or dominant theme finding that replaces it. Returns true when one was emitted.
    fn close_shapes(&mut self, state: &SourceState, themes: &[&Aggregate]) -> bool {
        if state.probes == 0 {
            return false;
        }
        let t = self.thresholds.clone();
        let src = state.ip;
        let probes = f64::from(state.probes);
        let ports = state.ports.count();
        let hosts = state.hosts.count();
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
            self.emit(Kind::ScanSscan, Some(src), 0, draft);
        } else if source_port {
            let mut draft = state.shape_draft(Kind::ScanSourcePort);
            draft.facts.shape = shape;
            draft.facts.src_port = Some(state.trusted_port);
            self.emit(Kind::ScanSourcePort, Some(src), 0, draft);
        } else if let Some(shape) = shape {
            if let Some(theme) = dominant {
                let mut draft = (*theme).clone().into_draft(theme.kind, src, state.timed);
                draft.facts.shape = Some(shape);
                self.emit(theme.kind, Some(src), 0, draft);
            } else {
                let mut draft = state.shape_draft(shape);
                for theme in themes {
                    draft.facts.includes |= theme_role(theme.kind);
                }
                self.emit(shape, Some(src), 0, draft);
            }
        } else {
            return false;
        }
        true
    }

    fn close_flow(&mut self, flow: FlowState) {
        let t = &self.thresholds;
        if flow.attempts < t.beacon_min_attempts || flow.intervals == 0 {
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
        let mut draft = Draft::new(Kind::CompromiseBeacon, Some(flow.src));
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
        draft.timed = flow.timed;
        let sub = mix64(addr_key(flow.dst) as u64 ^ u64::from(flow.port));
        self.emit(Kind::CompromiseBeacon, Some(flow.src), sub, draft);
    }

    fn close_port_window(&mut self, key: u32, window: PortWindow) {
        if window.sources.count() < u64::from(self.thresholds.distributed_min_sources) {
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
            std::mem::size_of::<Aggregate>() <= 288,
            "{}",
            std::mem::size_of::<Aggregate>()
        );
    }
}
