//! The record loop over every text fixture in `tests/data`: every line is accounted for, line
//! numbers are right, and the result does not depend on where the read buffer happens to cut.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use fwseen_event::Event;
use fwseen_parse::reader::{read_lines, read_lines_with_buffer, Counts};
use fwseen_parse::time::TimeContext;
use fwseen_parse::{pcap, sniff, Format, FormatKind, Malformed, Record, SkipReason};
use proptest::prelude::*;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// Every file under `tests/data`, in name order.
fn fixtures() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&data_dir(), &mut out);
    out
}

/// The number of lines as `wc -l` counts them, plus a final line without a newline.
fn line_count(bytes: &[u8]) -> u64 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    newlines + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n"))
}

/// What a test keeps of a record: its line number and a debug rendering of it.
fn run(format: FormatKind, bytes: &[u8], buffer_len: Option<usize>) -> (Counts, Vec<String>) {
    let mut parser = format.line_parser(TimeContext::utc(2024)).unwrap();
    let mut seen = Vec::new();
    let sink = |number: u64, _line: &[u8], record: Record<'_>| {
        seen.push(format!("{number}: {record:?}"));
        ControlFlow::Continue(())
    };
    let counts = match buffer_len {
        None => read_lines(bytes, parser.as_mut(), 0, sink),
        Some(len) => read_lines_with_buffer(bytes, parser.as_mut(), 0, len, len - 2, sink),
    }
    .unwrap();
    (counts, seen)
}

#[test]
fn every_text_fixture_is_accounted_line_by_line() {
    let mut checked = 0;
    for path in fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        if pcap::looks_like_capture(&bytes) || path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let Some(format) = sniff(head) else {
            panic!("{}: no format recognised", path.display());
        };
        let (counts, seen) = run(format, &bytes, None);
        let name = path.display();
        assert!(counts.is_balanced(), "{name}: {counts:?}");
        assert_eq!(counts.records, line_count(&bytes), "{name}");
        assert_eq!(seen.len() as u64, counts.records, "{name}");
        for (i, entry) in seen.iter().enumerate() {
            assert!(
                entry.starts_with(&format!("{}: ", i + 1)),
                "{name}: {entry}"
            );
        }
        // The same input read through a tiny buffer gives the same records.
        let (small_counts, small_seen) = run(format, &bytes, Some(4096));
        assert_eq!(small_counts, counts, "{name}");
        assert_eq!(small_seen, seen, "{name}");
        println!("{name}: {format} {counts:?}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} fixtures were checked");
}

#[test]
fn every_capture_fixture_is_accounted_packet_by_packet() {
    let mut checked = 0;
    for path in fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        if !pcap::looks_like_capture(&bytes) {
            continue;
        }
        let mut numbers = Vec::new();
        let counts = pcap::read_capture(&bytes[..], 0, |number, _| {
            numbers.push(number);
            ControlFlow::Continue(())
        })
        .unwrap();
        assert!(counts.is_balanced());
        assert_eq!(numbers, (1..=counts.records).collect::<Vec<u64>>());
        checked += 1;
    }
    assert!(checked >= 4);
}

/// A format for the property test: lines starting with `E` are events, `#` headers, `X` malformed,
/// empty lines blank, anything else another program's.
struct Letters;

impl Format for Letters {
    fn kind(&self) -> FormatKind {
        FormatKind::Netfilter
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        match line.first() {
            None => Record::Skipped(SkipReason::Blank),
            Some(b'E') => Record::Event(Event::default()),
            Some(b'#') => Record::Skipped(SkipReason::Header),
            Some(b'X') => Record::Malformed(Malformed::new("x")),
            Some(_) => Record::Skipped(SkipReason::OtherProgram),
        }
    }
}

proptest! {
    /// Whatever the bytes and wherever the buffer cuts, every line is one record, numbered in
    /// order, and lines over the limit are malformed.
    #[test]
    fn any_bytes_any_buffer(
        bytes in proptest::collection::vec(
            prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'E'), Just(b'#'), Just(0u8), any::<u8>()],
            0..600,
        ),
        max_line in 4usize..40,
    ) {
        let mut numbers = Vec::new();
        let mut long = 0;
        let counts = read_lines_with_buffer(&bytes[..], &mut Letters, 0, max_line + 5, max_line, |n, _, r| {
            if let Record::Malformed(m) = &r {
                if m.reason == "line too long" {
                    long += 1;
                }
            }
            numbers.push(n);
            ControlFlow::Continue(())
        }).unwrap();
        prop_assert!(counts.is_balanced());
        // A leading byte order mark is not part of the first line.
        let text: &[u8] = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        prop_assert_eq!(counts.records, line_count(text));
        prop_assert_eq!(numbers, (1..=counts.records).collect::<Vec<u64>>());
        let expected_long = text
            .split(|&b| b == b'\n')
            .enumerate()
            .filter(|(i, line)| {
                let is_last_empty = *i as u64 == line_count(text) && line.is_empty();
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                !is_last_empty && line.len() > max_line
            })
            .count();
        prop_assert_eq!(long, expected_long);
    }
}
