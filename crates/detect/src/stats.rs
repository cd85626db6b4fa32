//! Counters the analyzer keeps besides findings: totals, per-class counts, lone probes, memory-cap
//! evictions, top ports and sources, and per-hour counts for a ports × hours heat map.
//!
//! All of it is bounded: port totals are two fixed arrays, the hourly port counts are pruned to the
//! busiest ports when they grow, and top sources are kept by a pruned candidate table. Every
//! per-time structure holds only hours that had events, so it is sized by the events, never by
//! the time between the first and the last (two events ten thousand years apart make two
//! entries, not 88 million).

use std::net::IpAddr;

use fwseen_event::{Protocol, Timestamp};
use rustc_hash::FxHashMap;

use crate::classify::key_addr;
use crate::finding::Class;

/// Events per class (the class of the pattern each event could feed, decided per event).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClassCounts {
    pub benign: u64,
    pub noise: u64,
    pub recon: u64,
    pub attack: u64,
    pub compromise: u64,
    /// Events no detector looks at (other ICMP, ordinary outbound traffic, no ports ...).
    pub other: u64,
}

impl ClassCounts {
    pub(crate) fn add(&mut self, class: Option<Class>) {
        match class {
            Some(Class::Benign) => self.benign += 1,
            Some(Class::Noise) => self.noise += 1,
            Some(Class::Recon) => self.recon += 1,
            Some(Class::Attack) => self.attack += 1,
            Some(Class::Compromise) => self.compromise += 1,
            None => self.other += 1,
        }
    }
}

/// Events to one destination port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortCount {
    pub protocol: Protocol,
    pub port: u16,
    pub events: u64,
}

/// Events from one source (approximate for sources outside the top: see [`Stats::top_sources`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceCount {
    pub src: IpAddr,
    pub events: u64,
}

/// Events in one hour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HourCount {
    /// The hour's start, in seconds since the Unix epoch (UTC).
    pub hour_start: i64,
    pub events: u64,
}

/// Events per (port, hour) for the busiest ports: `counts[p][h]` is the count of `ports[p]` in
/// the hour that starts at `hours[h]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeatMap {
    pub ports: Vec<(Protocol, u16)>,
    /// Hour starts (seconds since the epoch), ascending: the hours that had at least one event,
    /// within [`HEAT_MAP_HOURS`] of the last one. Hours without events are left out (a renderer
    /// spreads the hours on a time axis), so the map grows with the events, not with the span.
    pub hours: Vec<i64>,
    pub counts: Vec<Vec<u64>>,
}

/// How far back from the last event's hour the heat map reaches, in hours (366 days): a map wider
/// than a year is not useful.
pub const HEAT_MAP_HOURS: i64 = 24 * 366;

/// What the analyzer counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub events: u64,
    pub events_without_time: u64,
    /// Events older than one already seen (tolerated; counted for information).
    pub events_out_of_order: u64,
    pub first_time: Option<Timestamp>,
    pub last_time: Option<Timestamp>,
    pub events_by_class: ClassCounts,
    pub inbound_events: u64,
    pub outbound_events: u64,
    pub internal_events: u64,
    /// Sources with one or two probes and nothing reportable (each source counted once).
    pub lone_probes: u64,
    /// Sources with more events, none reaching a threshold (each source counted once).
    pub unexplained_sources: u64,
    /// Source stories closed (a source evicted and seen again has two).
    pub source_windows: u64,
    /// Sources closed early because `max_tracked_sources` was reached.
    pub sources_evicted: u64,
    /// The most sources tracked at once (never above `max_tracked_sources`).
    pub peak_tracked_sources: usize,
    /// Outbound flows forgotten early because `max_tracked_flows` was reached.
    pub flows_evicted: u64,
    /// Benign or noise findings not kept because `max_benign_findings` was reached.
    pub benign_findings_dropped: u64,
    /// The busiest destination ports (TCP and UDP), most events first (up to 20).
    pub top_ports: Vec<PortCount>,
    /// The busiest sources by events in their windows, most first (up to 20). A source's count is
    /// exact when all its windows ranked; sources outside the candidate table are undercounted.
    pub top_sources: Vec<SourceCount>,
    pub hours: Vec<HourCount>,
    pub heat_map: HeatMap,
    /// Per configured home net, the events with an address (source or destination) inside it,
    /// in configuration order; empty when the home network was inferred. A net with no events
    /// is most likely mistyped, or the wrong side of a NAT.
    pub home_net_hits: Vec<crate::classify::HomeNetHits>,
}

const TOP: usize = 20;
const HEAT_PORTS: usize = 20;
const HOURLY_CAPACITY: usize = 200_000;
const HOURLY_KEEP_PORTS: usize = 64;
const SOURCE_CANDIDATES: usize = 1024;

/// The counters while events stream in.
pub(crate) struct StatsBuilder {
    pub stats: Stats,
    /// Totals per port: TCP in the first half, UDP in the second.
    port_totals: Vec<u64>,
    /// The indexes of `port_totals` that are not zero, in the order they were first counted: the
    /// ports are ranked from this list, which grows with the ports seen, instead of from all
    /// 131,072 entries.
    ports_seen: Vec<u32>,
    hours: FxHashMap<i64, u64>,
    current_hour: i64,
    current_hour_count: u64,
    /// (hour << 17 | udp << 16 | port) → events.
    hourly_ports: FxHashMap<u64, u64>,
    /// Top-source candidates, and the count a newcomer must exceed to enter.
    sources: FxHashMap<u128, u64>,
    source_floor: u64,
}

impl StatsBuilder {
    pub fn new() -> StatsBuilder {
        StatsBuilder {
            stats: Stats::default(),
            port_totals: vec![0; 2 * 65_536],
            ports_seen: Vec::new(),
            hours: FxHashMap::default(),
            current_hour: i64::MIN,
            current_hour_count: 0,
            hourly_ports: FxHashMap::default(),
            sources: FxHashMap::default(),
            source_floor: 0,
        }
    }

    /// Counts one event with a time (seconds since the epoch) and destination port.
    #[inline]
    pub fn count_time_and_port(&mut self, seconds: Option<i64>, port: Option<(bool, u16)>) {
        if let Some((udp, port)) = port {
            let index = usize::from(udp) * 65_536 + usize::from(port);
            if self.port_totals[index] == 0 {
                self.ports_seen.push(index as u32);
            }
            self.port_totals[index] += 1;
        }
        let Some(seconds) = seconds else {
            return;
        };
        let hour = seconds.div_euclid(3600);
        if hour != self.current_hour {
            self.flush_hour();
            self.current_hour = hour;
        }
        self.current_hour_count += 1;
        if let Some((udp, port)) = port {
            let key = ((hour as u64) << 17) | (u64::from(udp) << 16) | u64::from(port);
            *self.hourly_ports.entry(key).or_insert(0) += 1;
            if self.hourly_ports.len() > HOURLY_CAPACITY {
                self.prune_hourly_ports();
            }
        }
    }

    fn flush_hour(&mut self) {
        if self.current_hour_count > 0 {
            *self.hours.entry(self.current_hour).or_insert(0) += self.current_hour_count;
        }
        self.current_hour_count = 0;
    }

    /// The ports (as indexes into `port_totals`) with the most events, most first.
    fn busiest_ports(&self, n: usize) -> Vec<usize> {
        let mut indexes: Vec<usize> = self.ports_seen.iter().map(|&i| i as usize).collect();
        indexes.sort_unstable_by(|&a, &b| {
            self.port_totals[b]
                .cmp(&self.port_totals[a])
                .then(a.cmp(&b))
        });
        indexes.truncate(n);
        indexes
    }

    fn prune_hourly_ports(&mut self) {
        let keep: rustc_hash::FxHashSet<u64> = self
            .busiest_ports(HOURLY_KEEP_PORTS)
            .into_iter()
            .map(|i| i as u64)
            .collect();
        self.hourly_ports
            .retain(|key, _| keep.contains(&(key & 0x1_ffff)));
    }

    /// Records a closed source window of `events` events.
    pub fn count_source(&mut self, key: u128, events: u64) {
        if let Some(count) = self.sources.get_mut(&key) {
            *count += events;
            return;
        }
        if events <= self.source_floor {
            return;
        }
        self.sources.insert(key, events);
        if self.sources.len() > 2 * SOURCE_CANDIDATES {
            let mut entries: Vec<(u128, u64)> = self.sources.drain().collect();
            entries.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            entries.truncate(SOURCE_CANDIDATES);
            self.source_floor = entries.last().map_or(0, |e| e.1);
            self.sources.extend(entries);
        }
    }

    pub fn finish(mut self) -> Stats {
        self.flush_hour();
        let mut stats = std::mem::take(&mut self.stats);
        let protocol_of = |i: usize| {
            if i >= 65_536 {
                (Protocol::Udp, (i - 65_536) as u16)
            } else {
                (Protocol::Tcp, i as u16)
            }
        };
        let busiest = self.busiest_ports(TOP.max(HEAT_PORTS));
        stats.top_ports = busiest
            .iter()
            .take(TOP)
            .map(|&i| {
                let (protocol, port) = protocol_of(i);
                PortCount {
                    protocol,
                    port,
                    events: self.port_totals[i],
                }
            })
            .collect();
        let mut sources: Vec<(u128, u64)> = std::mem::take(&mut self.sources).into_iter().collect();
        sources.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        stats.top_sources = sources
            .into_iter()
            .take(TOP)
            .map(|(key, events)| SourceCount {
                src: key_addr(key),
                events,
            })
            .collect();
        let mut hours: Vec<(i64, u64)> = std::mem::take(&mut self.hours).into_iter().collect();
        hours.sort_unstable();
        stats.hours = hours
            .iter()
            .map(|&(hour, events)| HourCount {
                hour_start: hour.saturating_mul(3600),
                events,
            })
            .collect();
        if let Some(&(last_hour, _)) = hours.last() {
            // Only hours that had events, of the last year before the last event: never one
            // entry per hour of the span (which two far-apart times made billions long).
            let earliest = last_hour.saturating_sub(HEAT_MAP_HOURS - 1);
            let kept: Vec<i64> = hours
                .iter()
                .map(|&(hour, _)| hour)
                .filter(|&hour| hour >= earliest)
                .collect();
            let heat_ports: Vec<usize> = busiest.iter().copied().take(HEAT_PORTS).collect();
            let mut counts = vec![vec![0u64; kept.len()]; heat_ports.len()];
            for (row, &index) in heat_ports.iter().enumerate() {
                for (column, &hour) in kept.iter().enumerate() {
                    let key = ((hour as u64) << 17) | index as u64;
                    counts[row][column] = self.hourly_ports.get(&key).copied().unwrap_or(0);
                }
            }
            stats.heat_map = HeatMap {
                ports: heat_ports.iter().map(|&i| protocol_of(i)).collect(),
                hours: kept.iter().map(|h| h.saturating_mul(3600)).collect(),
                counts,
            };
        }
        stats
    }
}
