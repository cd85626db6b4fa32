//! Detectors: from events to findings.
//!
//! Detectors do no I/O. They receive events in (roughly) time order, keep bounded per-source state
//! in time windows, and emit [`Finding`]s with stable kind ids (documented in `docs/findings.md`).

pub mod finding;

pub use finding::{Class, Evidence, Finding, Severity, Targets};
