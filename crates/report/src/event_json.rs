//! JSON Lines for `fwseen parse --json` (being written).
