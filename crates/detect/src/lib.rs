//! Detectors: from events to findings.
//!
//! This crate turns a stream of [`fwseen_event::Event`]s into [`Finding`]s with stable kind ids
//! (the closed list is [`Kind`]; each is documented in `docs/findings.md`) plus [`Stats`]. It does
//! no I/O: the CLI reads and parses, the report crate prints.
//!
//! # Use
//! ```
//! use fwseen_detect::{Analyzer, Config};
//! # let events: Vec<fwseen_event::Event<'static>> = Vec::new();
//! let mut config = Config::default();
//! config.home_nets.push("192.0.2.0/24".parse().unwrap());
//! let mut analyzer = Analyzer::new(config);
//! for event in &events {
//!     analyzer.push(event); // roughly in time order; slight disorder is fine
//! }
//! let report = analyzer.finish(); // closes open windows
//! for finding in &report.findings {
//!     println!("{} {:?}", finding.kind, finding.src);
//! }
//! println!("{} lone probes", report.stats.lone_probes);
//! ```
//!
//! # Public API
//! - [`Config`] (home nets as [`IpNet`], [`Thresholds`], memory caps) → [`Analyzer::new`];
//!   [`Analyzer::push`] per event; [`Analyzer::finish`] → [`Report`] { findings, stats }.
//! - [`Finding`] (kind id, [`Class`], [`Severity`], src, [`Targets`], times, attributes,
//!   `kb_port`, [`Evidence`]); [`Kind`] lists every kind with its class and default severity.
//! - [`summary()`]: the one-line summary of a finding in English or Traditional Chinese (the
//!   templates live here; the longer explanation comes from the kb entry named by `kb_port`).
//! - [`classify::classify`] / [`annotate()`]: what one event means on its own (for
//!   `fwseen explain`).
//! - [`scenario`]: a seeded, labelled event generator for every kind (tests, benches, benchsuite).
//!
//! # Pipeline inside `push`
//! 1. Annotate: the flow (inbound / outbound / internal) from `home_nets` (plus [`PRIVATE_NETS`]
//!    with `include_private`; configured nets replace all inference, private ranges included, and
//!    each counts the events it held: [`Stats::home_net_hits`]), or when none are given,
//!    from the event's own direction, RFC 1918 / ULA addresses and addresses seen receiving
//!    unsolicited probes from many sources; the destination port's roles (trojan, proxy, auth,
//!    traceroute ...) from a table built from the kb; broadcast destinations.
//! 2. Label (stateless): impossible sources, invalid ICMP, other IP protocols; benign patterns
//!    (DHCP, LAN NetBIOS, LAN discovery, Inoculan, PowWow, traceroute, streaming, games, late
//!    replies, ident); single-packet attacks (Fraggle, Smurf, echo-chargen), outbound trojan /
//!    Conducent calls, stealth flags, port 0, and ordinary probes.
//! 3. Relabel with context: an inbound packet from an address one of ours just sent to is an
//!    answer (no state); ident is ident only after our own connection to the asker; a completed
//!    Zeek session is a session, not a probe.
//! 4. The source's story (kept for the whole input): attempts (retransmissions collapsed), ports,
//!    hosts, targets, protocols, themes, stealth variants, sweeps, allowed login attempts,
//!    scanner fingerprints; per outbound flow (beacons); per port (distributed scans). An
//!    outsider's packets to traceroute, game and streaming ports count as probes too.
//! 5. `finish` (or an eviction) closes each story into at most one draft per kind (hostile before
//!    harmless), merged by (kind, source) with any earlier story of the same source, and turned
//!    into findings.
//!
//! Memory is bounded by `max_tracked_sources` (whole stories, plus as many first-seen sources),
//! `max_tracked_flows` and `max_benign_findings` (see [`Config`]); evictions are counted in
//! [`Stats`].

pub mod analyzer;
pub mod annotate;
pub mod classify;
pub mod config;
pub mod distinct;
mod draft;
pub mod finding;
pub mod kind;
pub mod ports;
pub mod scenario;
pub mod stats;
pub mod summary;

pub use analyzer::{Analyzer, Report};
pub use annotate::{annotate, Annotation};
pub use classify::{EventLabel, Flow, HomeNetHits, StealthVariant};
pub use config::{Config, IpNet, IpNetError, Thresholds, PRIVATE_NETS};
pub use finding::{Class, Evidence, Finding, Severity, Targets};
pub use fwseen_kb::Lang;
pub use kind::Kind;
pub use stats::{ClassCounts, HeatMap, HourCount, PortCount, SourceCount, Stats};
pub use summary::summary;
