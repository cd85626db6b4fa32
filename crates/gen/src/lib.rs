//! fwseen-gen: a seeded generator of realistic, labelled firewall traffic, rendered as netfilter
//! syslog lines, pfSense filterlog lines or a Windows Firewall `pfirewall.log`.
//!
//! It serves two purposes: tests (every finding kind is generated with a label saying who did
//! what to whom, so detectors can be checked in every format, and every rendered line must parse
//! back to the packet's event) and the benchsuite (10 M-line logs with about a million distinct
//! sources, written at hundreds of thousands of lines a second).
//!
//! The pipeline: [`Generator`] yields [`Packet`]s in time order (it knows no format), a
//! [`Renderer`] turns each into a line, and [`expected_event`] says which [`fwseen_event::Event`]
//! a parser must read from that line. The same seed gives the same packets whatever the format.
//!
//! What it is not: a model of any real network. Addresses on our side are documentation ranges
//! ([`network`]); outside addresses are spread over public blocks by a bijection.

pub mod generator;
pub mod labels;
pub mod network;
pub mod packet;
pub mod render;
pub mod rng;

pub use generator::{Generator, GeneratorConfig, Mode, Stats};
pub use packet::{Kind, Label, Packet, Path, QuotedPacket};
pub use render::{expected_event, LogFormat, RenderOptions, Renderer};
