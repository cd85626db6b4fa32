//! Reporters: terminal, JSON Lines, CSV and HTML.
//!
//! Reporters do no I/O of their own choosing: they write to a `std::io::Write` they are given.
//! **Invariant:** every piece of attacker-controlled text (anything that came from a log line)
//! passes through [`escape`] before it reaches a terminal, a CSV cell or an HTML page.

pub mod escape;
pub mod event_json;
