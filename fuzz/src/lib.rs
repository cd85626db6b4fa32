//! Shared drivers for the fuzz targets: they feed fuzzer input to fwseen's library crates the way
//! the command line does, and check the invariants the architecture promises.

use std::ops::ControlFlow;

use fwseen_detect::{Analyzer, Config, Lang};
use fwseen_event::Event;
use fwseen_parse::reader::{self, Counts};
use fwseen_parse::{pcap, FormatKind, Record, TimeContext};
use fwseen_report::event_json::{self, EventJsonWriter};
use fwseen_report::terminal::TerminalOptions;
use fwseen_report::{csv, findings_json, html, terminal, Analysis, InputSummary};

/// Splits `data` into lines (on `\n`, like the reader) and gives them, in order, to one fresh
/// parser of `kind`. Every record must be one of event, skip or malformed; an event's borrowed
/// text must lie inside its line, and its time inside the time window.
pub fn feed_lines(kind: FormatKind, data: &[u8]) {
    let Some(mut parser) = kind.line_parser(TimeContext::utc(2024)) else {
        return;
    };
    for line in data.split(|&b| b == b'\n') {
        match parser.parse(line) {
            Record::Event(event) => check_event(&event, line.len()),
            Record::Skipped(_) => {}
            Record::Malformed(malformed) => {
                // A reported position never points past the end of the line.
                if let Some(column) = malformed.column {
                    assert!(column <= line.len(), "column {column} > {}", line.len());
                }
                assert!(!malformed.reason.is_empty());
            }
        }
    }
}

/// What every event must satisfy: borrowed text no longer than its record, a time (if any)
/// inside the window.
pub fn check_event(event: &Event<'_>, record_len: usize) {
    for text in [
        event.observer,
        event.in_interface,
        event.out_interface,
        event.rule,
    ]
    .into_iter()
    .flatten()
    {
        assert!(text.len() <= record_len);
    }
    if let Some(time) = event.time {
        assert!(time.in_window(), "{time:?} outside the time window");
    }
}

/// The name the pipeline gives its one input: hostile text, so that every reporter's escaping is
/// exercised on it too.
const INPUT_NAME: &str = "fuzz\u{1b}[2J<script>\"&'\u{202e}.log";

/// How much of the input format sniffing sees (the command line reads this much ahead).
const HEAD_LEN: usize = 64 * 1024;

/// The pipeline's read buffer and longest line.
const READ_BUFFER_LEN: usize = 16 * 1024;
const MAX_LINE_LEN: usize = 4 * 1024;

/// Checks that every line of JSON Lines output is one JSON value.
fn check_json_lines(output: &[u8]) {
    for line in output.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            panic!(
                "invalid JSON line ({error}): {}",
                String::from_utf8_lossy(line)
            );
        }
    }
}

/// The whole pipeline on one input, the way `fwseen parse --json` and `fwseen analyze` run it
/// (but in memory, through the library crates): sniff the format (pcap or a line format), parse
/// every record (writing the `parse --json` lines), analyze the events, and render every report
/// (terminal, JSON Lines, CSV, HTML) in English and in Traditional Chinese (see below for which
/// language the terminal and HTML reports use).
///
/// Checks: every record is accounted for once, every event's time is inside the window, every
/// JSON line is valid JSON, and no reporter panics.
pub fn pipeline(data: &[u8]) {
    let mut analyzer = Analyzer::new(Config::default());
    let path_json = event_json::json_string(INPUT_NAME.as_bytes());
    let mut json_writer = EventJsonWriter::new();
    let mut parse_output = Vec::new();
    let mut records: u64 = 0;
    let mut sink = |number: u64, text: &[u8], record: Record<'_>| {
        records += 1;
        match &record {
            Record::Event(event) => {
                // Captures hand over no text: their events borrow from the packet instead.
                let bound = if text.is_empty() {
                    usize::MAX
                } else {
                    text.len()
                };
                check_event(event, bound);
                analyzer.push(event);
                json_writer.write_event(&mut parse_output, event, &path_json);
            }
            Record::Malformed(malformed) => {
                event_json::write_malformed(&mut parse_output, &path_json, number, malformed, text)
            }
            Record::Skipped(_) => {}
        }
        ControlFlow::Continue(())
    };
    let head = &data[..data.len().min(HEAD_LEN)];
    let (format, counts, error) = if pcap::looks_like_capture(head) {
        match pcap::read_capture(data, 0, |number, record| sink(number, b"", record)) {
            Ok(counts) => (Some(FormatKind::Pcap), counts, None),
            Err(error) => (
                Some(FormatKind::Pcap),
                error.counts,
                Some(error.to_string()),
            ),
        }
    } else if let Some(kind) = fwseen_parse::sniff(head) {
        let mut parser = kind
            .line_parser(TimeContext::utc(2024))
            .expect("sniff names line formats only");
        // A small read buffer and line limit (the command line uses 4 MiB and 1 MiB), so that
        // fuzzer-sized inputs cross chunk seams and hit the "line too long" path.
        match reader::read_lines_with_buffer(
            data,
            parser.as_mut(),
            0,
            READ_BUFFER_LEN,
            MAX_LINE_LEN,
            &mut sink,
        ) {
            Ok(counts) => (Some(kind), counts, None),
            Err(error) => (Some(kind), error.counts, Some(error.to_string())),
        }
    } else {
        (None, Counts::default(), None)
    };
    assert!(counts.is_balanced(), "{counts:?}");
    assert_eq!(
        counts.records, records,
        "every record reaches the sink once"
    );
    event_json::write_file(
        &mut parse_output,
        &path_json,
        format,
        &counts,
        error.as_deref(),
    );
    event_json::write_summary(&mut parse_output, 1, u64::from(error.is_some()), 0, &counts);
    check_json_lines(&parse_output);

    let report = analyzer.finish();
    assert_eq!(report.stats.events, counts.events);
    for time in [report.stats.first_time, report.stats.last_time]
        .into_iter()
        .flatten()
    {
        assert!(time.in_window(), "{time:?}");
    }
    let inputs = [InputSummary {
        name: INPUT_NAME.to_string(),
        path_bytes: INPUT_NAME.as_bytes().to_vec(),
        format,
        counts,
        error,
        ..InputSummary::default()
    }];
    // JSON and CSV in both languages; the terminal and HTML reports (pages of wrapped prose,
    // most of an execution's time) in one language, chosen by the input's length, so that the
    // fuzzer explores both without paying for both on every input. The terminal report is
    // coloured and narrow for half of the inputs.
    let prose_lang = if data.len() % 2 == 0 {
        Lang::En
    } else {
        Lang::ZhHant
    };
    for lang in [Lang::En, Lang::ZhHant] {
        let analysis = Analysis {
            inputs: &inputs,
            report: &report,
            lang,
        };
        let mut json = Vec::new();
        findings_json::write_report(&mut json, &analysis).expect("writing to memory");
        check_json_lines(&json);
        let _ = csv::render(&analysis);
        if lang == prose_lang {
            let _ = html::render(&analysis);
            let options = if data.len() % 4 < 2 {
                TerminalOptions::default()
            } else {
                TerminalOptions {
                    color: true,
                    width: 60,
                    ..TerminalOptions::default()
                }
            };
            let _ = terminal::render(&analysis, &options);
        }
    }
}
