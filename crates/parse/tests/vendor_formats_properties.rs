//! Properties of the CEF, SonicWall, Sophos, Check Point and Huawei parsers: mutated fixture lines
//! (which reach deeper code than random bytes) never make any of them panic.

use std::time::Duration;

use fwseen_parse::{FormatKind, Record, TimeContext};
use proptest::prelude::*;

mod common;

/// The formats under test.
const KINDS: [FormatKind; 5] = [
    FormatKind::Cef,
    FormatKind::SonicWall,
    FormatKind::SophosXg,
    FormatKind::CheckPoint,
    FormatKind::HuaweiUsg,
];

/// The formats under test and their fixtures (directory, file).
const FIXTURES: [(FormatKind, &str, &str); 7] = [
    (FormatKind::Cef, "cef", "cef-variants.log"),
    (FormatKind::Cef, "cef", "crowdsec-unifi-cef.log"),
    (FormatKind::SonicWall, "sonicwall", "sonicwall.log"),
    (FormatKind::SophosXg, "sophos", "sophos-xg.log"),
    (FormatKind::CheckPoint, "checkpoint", "checkpoint.log"),
    (
        FormatKind::CheckPoint,
        "checkpoint",
        "checkpoint-splunk.log",
    ),
    (FormatKind::HuaweiUsg, "huawei", "huawei-usg.log"),
];

/// The non-blank lines of one fixture.
fn fixture_lines(directory: &str, name: &str) -> Vec<Vec<u8>> {
    common::fixture(directory, name)
        .split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// Every non-blank fixture line, with its format.
fn seed_lines() -> Vec<(FormatKind, Vec<u8>)> {
    FIXTURES
        .iter()
        .flat_map(|(kind, directory, name)| {
            fixture_lines(directory, name)
                .into_iter()
                .map(move |line| (*kind, line))
        })
        .collect()
}

#[test]
fn fixtures_hold_events_of_every_format() {
    for (kind, directory, name) in FIXTURES {
        let mut parser = kind.line_parser(TimeContext::utc(2024)).unwrap();
        let events = fixture_lines(directory, name)
            .iter()
            .filter(|line| matches!(parser.parse(line), Record::Event(_)))
            .count();
        assert!(events >= 1, "{name}: {events} events");
    }
}

/// A fixture line of any of the formats, mutated.
fn mutated_seed() -> impl Strategy<Value = Vec<u8>> {
    common::mutated_line(seed_lines().into_iter().map(|(_, line)| line).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn mutated_lines_never_panic(line in mutated_seed()) {
        // Every one of the new parsers reads every mutated line, whatever format it came from.
        for kind in KINDS {
            let mut parser = kind.line_parser(TimeContext::utc(2024)).unwrap();
            let _ = parser.parse(&line);
        }
        let _ = fwseen_parse::sniff(&line);
    }
}

/// Repeated fragments that could make a careless parser rescan the line.
const UNITS: [&[u8]; 9] = [
    b"CEF:0|a|b|c|d|e|f| k =a=",
    b"0|a|b|c|d|e|f|x=\\",
    b"sn=1 m=2 c=3 src=:",
    b"log_type=\"Firewall\" log_component= log_subtype= src_ip=\"",
    b"[action:\"Drop\"; x:\"",
    b"Checkpoint: src: ;",
    b"x|action=|product=\\",
    b"%%01POLICY/6/POLICYDENY(l):a=b,",
    b"%%0",
];

#[test]
fn huge_repetitive_lines_are_read_in_linear_time() {
    common::assert_repetitive_lines_read_in_linear_time(&UNITS, Duration::from_secs(60), |line| {
        for kind in KINDS {
            let mut parser = kind.line_parser(TimeContext::utc(2024)).unwrap();
            let _ = parser.parse(line);
        }
    });
}
