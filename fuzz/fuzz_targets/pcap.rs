//! Fuzzes the pcap / pcapng reader with arbitrary captures.

#![no_main]

use std::ops::ControlFlow;

use fwseen_parse::Record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut records = 0u64;
    let result = fwseen_parse::pcap::read_capture(data, 0, |_, record| {
        records += 1;
        if let Record::Malformed(malformed) = record {
            assert!(!malformed.reason.is_empty());
        }
        ControlFlow::Continue(())
    });
    if let Ok(counts) = result {
        // Every packet is accounted for exactly once.
        assert_eq!(counts.records, records);
    }
});
