//! Scaffolding shared by the per-format integration tests: reading fixtures from tests/data,
//! splitting them into lines, unwrapping records, and the robustness checks every parser gets
//! (every prefix of every line, a line cut and given a random tail, 4 MiB repetitive lines in
//! linear time, mutated fixture lines). It holds no expectations about any format; those stay
//! in each format's own test file. Each test binary uses only part of it.
#![allow(dead_code)]

use std::net::IpAddr;
use std::time::{Duration, Instant};

use fwseen_event::Event;
use fwseen_parse::{Format, Record, SkipReason};
use proptest::prelude::*;

/// The bytes of `tests/data/<directory>/<name>` at the root of the workspace.
pub fn fixture(directory: &str, name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/data/{directory}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

/// Splits a file into lines the way the reader does (a final line without `\n` counts).
pub fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// An address written in a test; panics on a typo.
pub fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// [`ip`], as the `Option` an event's address fields hold.
pub fn some_ip(text: &str) -> Option<IpAddr> {
    Some(ip(text))
}

/// Every line of `data`, read in order by one parser.
pub fn parse_all<'a>(parser: &mut dyn Format, data: &'a [u8]) -> Vec<Record<'a>> {
    lines(data)
        .into_iter()
        .map(|line| parser.parse(line))
        .collect()
}

/// The event of a record; panics with the record when it is not one.
pub fn event<'a>(record: &'a Record<'a>) -> &'a Event<'a> {
    match record {
        Record::Event(event) => event,
        other => panic!("expected an event, got {other:?}"),
    }
}

/// The reason of a malformed record; panics with the record when it is not one.
pub fn malformed_reason(record: &Record<'_>) -> &'static str {
    match record {
        Record::Malformed(malformed) => malformed.reason,
        other => panic!("expected a malformed record, got {other:?}"),
    }
}

/// The records of a file sorted by outcome: events, skip reasons, and (line number, reason) of
/// the malformed ones.
pub type Outcome<'a> = (Vec<Event<'a>>, Vec<SkipReason>, Vec<(usize, &'static str)>);

/// Feeds every line of `data` to one parser and sorts the records by outcome.
pub fn run<'a>(parser: &mut dyn Format, data: &'a [u8]) -> Outcome<'a> {
    let mut events = Vec::new();
    let mut skips = Vec::new();
    let mut malformed = Vec::new();
    for (index, line) in lines(data).into_iter().enumerate() {
        match parser.parse(line) {
            Record::Event(event) => events.push(event),
            Record::Skipped(reason) => skips.push(reason),
            Record::Malformed(m) => malformed.push((index + 1, m.reason)),
        }
    }
    (events, skips, malformed)
}

/// Parses every prefix of every line of `data` (each must give a record, not a panic).
pub fn parse_every_prefix(parser: &mut dyn Format, data: &[u8]) {
    for line in lines(data) {
        for end in 0..=line.len() {
            let _ = parser.parse(&line[..end]);
        }
    }
}

/// Parses `line` cut after `cut` bytes (or whole when shorter) and followed by `tail`.
pub fn parse_cut_line_with_tail(parser: &mut dyn Format, line: &[u8], cut: usize, tail: &[u8]) {
    let mut input = line[..cut.min(line.len())].to_vec();
    input.extend_from_slice(tail);
    let _ = parser.parse(&input);
}

/// Builds a 4 MiB line out of each unit repeated and hands it to `parse`; all of it, building
/// included, must finish within `limit`. Quadratic work on such lines would take minutes or
/// hours; linear work takes well under the limits the tests set.
pub fn assert_repetitive_lines_read_in_linear_time(
    units: &[&[u8]],
    limit: Duration,
    mut parse: impl FnMut(&[u8]),
) {
    let started = Instant::now();
    for unit in units {
        let line: Vec<u8> = unit.iter().copied().cycle().take(4 << 20).collect();
        parse(&line);
    }
    assert!(started.elapsed() < limit);
}

/// One of `lines` with a few bytes replaced, inserted or removed, and maybe truncated: such
/// lines reach deeper code than random bytes do.
pub fn mutated_line(lines: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::sample::select(lines),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..8),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(mut line, edits, cut, truncate)| {
            for (position, byte, operation) in edits {
                if line.is_empty() {
                    line.push(byte);
                    continue;
                }
                let index = position.index(line.len());
                match operation {
                    0 => line[index] = byte,
                    1 => line.insert(index, byte),
                    _ => {
                        line.remove(index);
                    }
                }
            }
            if truncate && !line.is_empty() {
                line.truncate(cut.index(line.len()));
            }
            line
        })
}
