//! Shared driver for the fuzz targets: feeds fuzzer input to the parsers the way the reader does.

use fwseen_parse::{FormatKind, Record, TimeContext};

/// Splits `data` into lines (on `\n`, like the reader) and gives them, in order, to one fresh
/// parser of `kind`. Every record must be one of event, skip or malformed; an event's borrowed
/// text must lie inside its line.
pub fn feed_lines(kind: FormatKind, data: &[u8]) {
    let Some(mut parser) = kind.line_parser(TimeContext::utc(2024)) else {
        return;
    };
    for line in data.split(|&b| b == b'\n') {
        match parser.parse(line) {
            Record::Event(event) => {
                for text in [
                    event.observer,
                    event.in_interface,
                    event.out_interface,
                    event.rule,
                ]
                .into_iter()
                .flatten()
                {
                    assert!(text.len() <= line.len());
                }
            }
            Record::Skipped(_) => {}
            Record::Malformed(malformed) => {
                // A reported position never points past the end of the line.
                if let Some(column) = malformed.column {
                    assert!(column <= line.len(), "column {column} > {}", line.len());
                }
            }
        }
    }
}
