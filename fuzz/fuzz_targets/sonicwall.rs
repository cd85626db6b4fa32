//! Fuzzes the sonicwall line parser with arbitrary lines.

#![no_main]

use fwseen_parse::FormatKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fwseen_fuzz::feed_lines(FormatKind::SonicWall, data);
});
