//! Fuzzes the whole pipeline with arbitrary inputs: sniff → parse → analyze → every reporter
//! (terminal, JSON Lines, CSV, HTML; English and Traditional Chinese). See
//! `fwseen_fuzz::pipeline`. Run it with a memory limit (`fuzz/run` passes `-rss_limit_mb=512`):
//! memory that grows with anything but the input's size is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fwseen_fuzz::pipeline(data);
});
