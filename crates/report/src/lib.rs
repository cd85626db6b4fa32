//! Reporters: terminal, JSON Lines, CSV and HTML.
//!
//! Reporters do no I/O of their own choosing: they write to a `std::io::Write` they are given.
//! **Invariant:** every piece of attacker-controlled text (anything that came from a log line)
//! passes through [`escape`] before it reaches a terminal, a CSV cell or an HTML page.
//!
//! # Map
//! - [`model`]: what every reporter is given ([`Analysis`]: the analyzer's report, the
//!   accounting of each input, the language) and the conclusions they share (headline, verdict).
//! - [`terminal`], [`findings_json`], [`csv`], [`html`]: one module per output.
//! - [`kind_text`] (explanation and advice per finding kind) and [`labels`] (the fixed words of
//!   the human-readable reports), both in English and Traditional Chinese; [`format`] (numbers,
//!   times, durations).
//! - [`escape`], [`event_json`]: escaping of untrusted text, and the event JSON Lines of
//!   `fwseen parse --json` (whose `file` and `summary` lines `analyze --json` reuses).

pub mod csv;
pub mod escape;
pub mod event_json;
pub mod findings_json;
pub mod format;
pub mod html;
pub mod kind_text;
pub mod labels;
pub mod model;
pub mod terminal;

pub use model::{Analysis, InputSummary, Verdict};
