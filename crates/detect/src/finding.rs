//! The [`Finding`] type: what a detector concluded, with its evidence.
//!
//! Kind ids (`scan.vertical`, `benign.traceroute`, ...) are a stable contract: reports, JSON
//! consumers and tests refer to them.

use std::net::IpAddr;

use fwseen_event::{Origin, Protocol, Timestamp};

/// What kind of thing a finding is, from harmless to alarming.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Benign,
    Noise,
    Recon,
    Attack,
    Compromise,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Benign => "benign",
            Class::Noise => "noise",
            Class::Recon => "recon",
            Class::Attack => "attack",
            Class::Compromise => "compromise",
        }
    }
}

/// How urgently a finding wants attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses `info`, `low`, `medium`, `high` or `critical`.
    pub fn from_name(name: &str) -> Option<Severity> {
        Some(match name {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

/// What a finding's source aimed at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Targets {
    /// Distinct destination hosts (a bounded sample, sorted), and how many there were in all.
    pub hosts: Vec<IpAddr>,
    pub host_count: u64,
    /// Distinct destination ports (a bounded sample, sorted), and how many there were in all.
    pub ports: Vec<u16>,
    pub port_count: u64,
    pub protocols: Vec<Protocol>,
}

/// Where the finding's events are in the input: a few samples, and how many events in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    pub samples: Vec<Origin>,
    pub event_count: u64,
}

/// One conclusion about the traffic.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Stable kind id, e.g. `scan.vertical`.
    pub kind: &'static str,
    pub class: Class,
    pub severity: Severity,
    /// The source the finding is about (the scanner; for compromise kinds, the inside host).
    /// `None` for findings about many sources (e.g. `scan.distributed`).
    pub src: Option<IpAddr>,
    /// Further sources, for findings about many.
    pub other_sources: Vec<IpAddr>,
    pub source_count: u64,
    pub targets: Targets,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    /// Extra, kind-specific facts as (key, value): `variant` for stealth scans, `trojan` for
    /// trojan probes, `period_seconds` for beacons, ...
    pub attributes: Vec<(&'static str, String)>,
    /// The knowledge-base port entry id that explains the finding best, if any.
    pub kb_port: Option<&'static str>,
    pub evidence: Evidence,
}

impl Finding {
    /// Seconds between the first and last event (computed without overflow whatever the two
    /// times are).
    pub fn duration_seconds(&self) -> Option<f64> {
        let (first, last) = (self.first_seen?, self.last_seen?);
        Some(last.seconds_since(first))
    }

    /// Events per second over the finding's duration (None for an instant).
    pub fn rate_per_second(&self) -> Option<f64> {
        let duration = self.duration_seconds()?;
        (duration > 0.0).then(|| self.evidence.event_count as f64 / duration)
    }

    /// The value of a kind-specific attribute.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}
