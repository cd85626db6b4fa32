//! `fwseen parse`: reads logs and captures and prints the normalised events, as an aligned table
//! or (with `--json`) as JSON Lines (see `docs/json.md`).
//!
//! Every record of every input is accounted for: events are printed, malformed records are
//! reported (all of them in JSON, a bounded number of warnings on stderr otherwise), and each
//! input ends with its counts. An input that cannot be opened, whose format cannot be told, or
//! whose reading fails part-way is reported naming it; the other inputs are still read, and the
//! exit status is then 2. Malformed records alone do not change the exit status.

use std::ffi::OsString;
use std::io::{self, Write};
use std::net::IpAddr;
use std::ops::ControlFlow;

use fwseen_event::Event;
use fwseen_parse::reader::{self, Counts};
use fwseen_parse::time::TimeSettings;
use fwseen_parse::{pcap, FormatKind, Record, TimeContext};
use fwseen_report::escape;
use fwseen_report::event_json::{self, EventJsonWriter};

use crate::exit::Exit;
use crate::input::{self, InputSource};

/// Text shown after `fwseen parse --help`.
const PARSE_AFTER_HELP: &str = "\
Compressed inputs (gzip, bzip2, xz, zstd) are recognised by their content. Rotated sets \
(kern.log.2.gz, kern.log.1, kern.log) are read oldest first. The format of each input is \
detected from its first lines unless --format names it.

Exit status: 0 when every input was read (malformed lines are reported, not fatal); 2 when an \
input could not be read, after the others were read. JSON output is described in docs/json.md.";

#[derive(Debug, clap::Args)]
#[command(after_help = PARSE_AFTER_HELP)]
pub struct ParseArgs {
    /// Print JSON Lines: one object per event, per malformed record and per input, then a summary.
    #[arg(long)]
    pub json: bool,

    /// Read every input as this format instead of detecting it.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format_name)]
    pub format: Option<FormatKind>,

    /// The year of log lines that carry none (RFC 3164 syslog) [default: the year the file was
    /// last modified].
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,

    /// The time zone of log times that carry none: UTC, an offset like +02:00, or a name like
    /// Europe/Berlin [default: the local zone].
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Print at most this many warnings about malformed records (without --json).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_warnings: u64,

    /// Files, directories, glob patterns, or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<OsString>,
}

pub(crate) fn parse_format_name(name: &str) -> Result<FormatKind, String> {
    FormatKind::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = FormatKind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown format; known formats: {}", names.join(", "))
    })
}

/// Writes one line to stderr. A closed stderr (`2>&1 | head`) is ignored: `eprintln!` would
/// panic there.
macro_rules! note {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Output is gathered in a buffer and written when it holds this many bytes.
const FLUSH_AT: usize = 256 * 1024;

/// Where the events go: the JSON or the table writer, plus the warning budget.
struct Printer {
    json: bool,
    out: io::StdoutLock<'static>,
    pending: Vec<u8>,
    /// The first write error (a closed pipe ends the run quietly).
    write_error: Option<io::Error>,
    json_writer: EventJsonWriter,
    /// Reused text buffer for table rows.
    row_scratch: String,
    max_warnings: u64,
    warnings_shown: u64,
    malformed_not_shown: u64,
}

impl Printer {
    fn flush_if_full(&mut self) -> ControlFlow<()> {
        if self.pending.len() >= FLUSH_AT {
            return self.flush();
        }
        ControlFlow::Continue(())
    }

    fn flush(&mut self) -> ControlFlow<()> {
        if self.write_error.is_some() {
            return ControlFlow::Break(());
        }
        let result = self
            .out
            .write_all(&self.pending)
            .and_then(|()| self.out.flush());
        self.pending.clear();
        match result {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => {
                self.write_error = Some(err);
                ControlFlow::Break(())
            }
        }
    }

    /// Handles one record of an input.
    fn record(
        &mut self,
        name: &str,
        path_json: &[u8],
        number: u64,
        text: &[u8],
        record: Record<'_>,
    ) -> ControlFlow<()> {
        match record {
            Record::Event(event) => {
                if self.json {
                    self.json_writer
                        .write_event(&mut self.pending, &event, path_json);
                } else {
                    write_table_row(&mut self.pending, &mut self.row_scratch, &event);
                }
            }
            Record::Malformed(malformed) => {
                if self.json {
                    event_json::write_malformed(
                        &mut self.pending,
                        path_json,
                        number,
                        &malformed,
                        text,
                    );
                } else if self.warnings_shown < self.max_warnings {
                    self.warnings_shown += 1;
                    let column = malformed
                        .column
                        .map(|c| format!(" (at byte {c})"))
                        .unwrap_or_default();
                    note!(
                        "fwseen: warning: {}:{number}: malformed: {}{column}",
                        escape::terminal(name.as_bytes()),
                        malformed.reason
                    );
                } else {
                    self.malformed_not_shown += 1;
                }
            }
            Record::Skipped(_) => {}
        }
        self.flush_if_full()
    }
}

/// The table's column headings.
const TABLE_HEADER: &str =
    "TIME                 ACTION  PROTO      SOURCE                   DESTINATION             FLAGS        RULE\n";

/// Appends `text` and pads it with spaces to `width` characters.
fn write_padded(out: &mut Vec<u8>, text: &str, width: usize) {
    out.extend_from_slice(text.as_bytes());
    let shown = text.chars().count();
    out.resize(out.len() + width.saturating_sub(shown), b' ');
}

/// Formats `ip:port` (`[v6]:port`) into `scratch`.
fn format_endpoint(scratch: &mut String, ip: Option<IpAddr>, port: Option<u16>) {
    use std::fmt::Write as _;
    let _ = match (ip, port) {
        (Some(IpAddr::V6(v6)), Some(port)) => write!(scratch, "[{v6}]:{port}"),
        (Some(ip), Some(port)) => write!(scratch, "{ip}:{port}"),
        (Some(ip), None) => write!(scratch, "{ip}"),
        (None, Some(port)) => write!(scratch, "-:{port}"),
        (None, None) => write!(scratch, "-"),
    };
}

/// Appends one aligned table row for an event. Log text is escaped for the terminal. `scratch` is
/// reused between rows so that printing allocates nothing per row.
fn write_table_row(out: &mut Vec<u8>, scratch: &mut String, event: &Event<'_>) {
    use std::fmt::Write as _;
    // `2024-01-02T03:04:05.000000Z` is shown as `2024-01-02 03:04:05`.
    scratch.clear();
    match event.time {
        Some(time) => {
            let _ = write!(scratch, "{time}");
            if let Some(dot) = scratch.find('.') {
                scratch.truncate(dot);
            }
            if let Some(t) = scratch.find('T') {
                scratch.replace_range(t..=t, " ");
            }
        }
        None => scratch.push('-'),
    }
    write_padded(out, scratch, 19);
    out.extend_from_slice(b"  ");
    write_padded(out, event.action.as_str(), 6);
    out.extend_from_slice(b"  ");
    scratch.clear();
    let _ = write!(scratch, "{}", event.protocol);
    write_padded(out, scratch, 9);
    out.extend_from_slice(b"  ");
    scratch.clear();
    format_endpoint(scratch, event.src, event.src_port);
    write_padded(out, scratch, 23);
    out.extend_from_slice(b"  ");
    scratch.clear();
    scratch.push_str("→ ");
    format_endpoint(scratch, event.dst, event.dst_port);
    write_padded(out, scratch, 22);
    out.extend_from_slice(b"  ");
    scratch.clear();
    let _ = match (event.tcp_flags, event.icmp) {
        (Some(flags), _) => write!(scratch, "{flags}"),
        (None, Some(icmp)) => write!(scratch, "type {} code {}", icmp.icmp_type, icmp.code),
        (None, None) => Ok(()),
    };
    write_padded(out, scratch, 11);
    out.extend_from_slice(b"  ");
    if let Some(rule) = event.rule {
        out.extend_from_slice(escape::terminal(rule.trim_ascii()).as_bytes());
    }
    // Rows end without trailing blanks.
    while out.last() == Some(&b' ') {
        out.pop();
    }
    out.push(b'\n');
}

/// Runs `fwseen parse`.
pub fn run(args: &ParseArgs) -> anyhow::Result<Exit> {
    // Check the zone once, before reading anything.
    let base_settings = TimeSettings {
        year: args.year,
        file_modified: None,
        zone: args.tz.clone(),
    };
    if let Err(message) = TimeContext::new(&base_settings) {
        anyhow::bail!("--tz {}: {message}", args.tz.as_deref().unwrap_or(""));
    }

    let mut printer = Printer {
        json: args.json,
        out: io::stdout().lock(),
        pending: Vec::with_capacity(FLUSH_AT + 4096),
        write_error: None,
        json_writer: EventJsonWriter::new(),
        row_scratch: String::with_capacity(128),
        max_warnings: args.max_warnings,
        warnings_shown: 0,
        malformed_not_shown: 0,
    };
    if !args.json {
        printer.pending.extend_from_slice(TABLE_HEADER.as_bytes());
    }

    let mut totals = Counts::default();
    let mut inputs_seen: u64 = 0;
    let mut inputs_failed: u64 = 0;
    let mut inputs_passed_over: u64 = 0;

    for (index, item) in input::expand_inputs(&args.inputs).into_iter().enumerate() {
        if printer.write_error.is_some() {
            break;
        }
        inputs_seen += 1;
        let (source, named) = match item {
            Ok(input) => (input.source, input.named),
            Err(err) => {
                inputs_failed += 1;
                report_failure(&mut printer, &err.name, &err.name_bytes, &err.message);
                continue;
            }
        };
        let name = source.display_name();
        let path_json = event_json::json_string(&source.path_bytes());
        match read_one_input(args, &mut printer, &source, index as u32, &name, &path_json) {
            Ok(Outcome::NotALog) if !named => {
                inputs_passed_over += 1;
                report_passed_over(&mut printer, &name, &path_json);
            }
            Ok(Outcome::NotALog) => {
                inputs_failed += 1;
                report_failure(&mut printer, &name, &source.path_bytes(), NOT_A_LOG);
            }
            Ok(Outcome::Read(format, counts, error)) => {
                totals.merge(&counts);
                if error.is_some() {
                    inputs_failed += 1;
                }
                report_file(&mut printer, &name, &path_json, format, &counts, error);
            }
            Err(message) => {
                inputs_failed += 1;
                report_failure(&mut printer, &name, &source.path_bytes(), &message);
            }
        }
        if printer.flush().is_break() {
            break;
        }
    }

    if printer.write_error.is_none() {
        if args.json {
            event_json::write_summary(
                &mut printer.pending,
                inputs_seen,
                inputs_failed,
                inputs_passed_over,
                &totals,
            );
        } else {
            if printer.malformed_not_shown > 0 {
                note!(
                    "fwseen: {} more malformed records not shown (--json lists them all)",
                    printer.malformed_not_shown
                );
            }
            if inputs_seen > 1 {
                note!("fwseen: total: {}", describe_counts(&totals));
            }
        }
        let _ = printer.flush();
    }
    if let Some(err) = printer.write_error.take() {
        return Err(anyhow::Error::new(err).context("writing output"));
    }
    Ok(if inputs_failed > 0 {
        Exit::Error
    } else {
        Exit::Ok
    })
}

/// What became of one input that could be opened.
pub(crate) enum Outcome {
    /// Read as a format (`None` for an empty input), with its counts and the error that ended it
    /// early, if any.
    Read(Option<FormatKind>, Counts, Option<String>),
    /// No format recognised its first lines.
    NotALog,
}

/// Why an input whose format could not be told was not read.
pub(crate) const NOT_A_LOG: &str = "cannot tell the log format (use --format to name it)";

/// Reads one input; fails with a message when it cannot be opened.
fn read_one_input(
    args: &ParseArgs,
    printer: &mut Printer,
    source: &InputSource,
    index: u32,
    name: &str,
    path_json: &[u8],
) -> Result<Outcome, String> {
    let options = ReadOptions {
        format: args.format,
        year: args.year,
        tz: args.tz.clone(),
    };
    read_input(source, index, &options, |number, text, record| {
        printer.record(name, path_json, number, text, record)
    })
}

/// How inputs are read: `--format`, `--year` and `--tz` (shared by `parse` and `analyze`).
#[derive(Clone, Debug, Default)]
pub(crate) struct ReadOptions {
    pub format: Option<FormatKind>,
    pub year: Option<i32>,
    pub tz: Option<String>,
}

/// Opens one input, tells its format (unless given) and hands every record to `sink`, with its
/// record number and text (empty for captures). Fails with a message when it cannot be opened.
pub(crate) fn read_input<F>(
    source: &InputSource,
    index: u32,
    options: &ReadOptions,
    mut sink: F,
) -> Result<Outcome, String>
where
    F: FnMut(u64, &[u8], Record<'_>) -> ControlFlow<()>,
{
    let mut opened = input::open_input(source).map_err(|err| err.to_string())?;
    if opened.head.is_empty() {
        // Empty, or a compressed input whose decoder failed before its first byte (cut right
        // after its magic bytes): then the decoder's error is waiting in the reader.
        let error = pending_error(&mut opened.reader, 0).map(|(offset, source)| {
            reader::ReadError {
                counts: Counts::default(),
                offset,
                source,
            }
            .to_string()
        });
        return Ok(Outcome::Read(options.format, Counts::default(), error));
    }
    let format = match options.format {
        Some(format) => format,
        None if pcap::looks_like_capture(&opened.head) => FormatKind::Pcap,
        None => match fwseen_parse::sniff(&opened.head) {
            Some(format) => format,
            None => {
                // A head cut short by a read error (a compressed input truncated a few bytes
                // in), or a compressed input whose checksum fails a little further on (its head
                // decoded to garbage), is not "not a log": the error is the better answer.
                let lookahead = if opened.compression == input::Compression::None {
                    0
                } else {
                    CORRUPTION_LOOKAHEAD
                };
                if let Some((offset, source)) = pending_error(&mut opened.reader, lookahead) {
                    let error = reader::ReadError {
                        counts: Counts::default(),
                        offset,
                        source,
                    };
                    return Ok(Outcome::Read(
                        None,
                        Counts::default(),
                        Some(error.to_string()),
                    ));
                }
                return Ok(Outcome::NotALog);
            }
        },
    };
    if format == FormatKind::Pcap {
        return match pcap::read_capture(opened.reader, index, |number, record| {
            sink(number, b"", record)
        }) {
            Ok(counts) => Ok(Outcome::Read(Some(format), counts, None)),
            Err(err) => {
                let message = err.to_string();
                Ok(Outcome::Read(Some(format), err.counts, Some(message)))
            }
        };
    }
    let settings = TimeSettings {
        year: options.year,
        file_modified: opened.modified_unix_seconds,
        zone: options.tz.clone(),
    };
    let time = TimeContext::new(&settings)?;
    let Some(mut parser) = format.line_parser(time) else {
        return Err(format!("{format} is not a line format"));
    };
    match reader::read_lines(opened.reader, parser.as_mut(), index, sink) {
        Ok(counts) => Ok(Outcome::Read(Some(format), counts, None)),
        Err(err) => {
            let message = err.to_string();
            Ok(Outcome::Read(Some(format), err.counts, Some(message)))
        }
    }
}

/// How many decompressed bytes past its head a compressed input that no format recognises is
/// read, to find out whether it is corrupt rather than another kind of file: a bzip2 block (at
/// most 900 kB) and most checksummed pieces of the other codecs end within it.
const CORRUPTION_LOOKAHEAD: u64 = 4 << 20;

/// Reads `reader` (whose head has been looked at) until it ends, or until more than
/// [`input::HEAD_LEN`] + `lookahead` bytes were read, and returns the error it ended with, if
/// any, with the decompressed offset at which it came.
fn pending_error(reader: &mut dyn io::Read, lookahead: u64) -> Option<(u64, io::Error)> {
    let mut scratch = vec![0u8; 64 * 1024];
    let mut offset: u64 = 0;
    loop {
        match reader.read(&mut scratch) {
            Ok(0) => return None,
            Ok(n) => {
                offset += n as u64;
                if offset > input::HEAD_LEN as u64 + lookahead {
                    return None;
                }
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Some((offset, err)),
        }
    }
}

/// Reports an input that could not be read at all.
fn report_failure(printer: &mut Printer, name: &str, name_bytes: &[u8], message: &str) {
    note!(
        "fwseen: {}: {}",
        escape::terminal(name.as_bytes()),
        escape::terminal(message.as_bytes())
    );
    if printer.json {
        let path_json = event_json::json_string(name_bytes);
        event_json::write_error(&mut printer.pending, &path_json, message);
    }
}

/// Reports a file that a directory walk or a glob found but that is not a log of a known format
/// (a README next to the logs): it is passed over with a note, not an error.
fn report_passed_over(printer: &mut Printer, name: &str, path_json: &[u8]) {
    note!(
        "fwseen: {}: not a log format fwseen reads; passed over",
        escape::terminal(name.as_bytes())
    );
    if printer.json {
        event_json::write_passed_over(&mut printer.pending, path_json, NOT_A_LOG);
    }
}

fn describe_counts(counts: &Counts) -> String {
    format!(
        "{} records: {} events, {} skipped, {} malformed",
        counts.records, counts.events, counts.skipped, counts.malformed
    )
}

/// Reports the accounting of one input: a `file` line in JSON, a line on stderr otherwise.
fn report_file(
    printer: &mut Printer,
    name: &str,
    path_json: &[u8],
    format: Option<FormatKind>,
    counts: &Counts,
    error: Option<String>,
) {
    if let Some(message) = &error {
        note!(
            "fwseen: {}: {}",
            escape::terminal(name.as_bytes()),
            escape::terminal(message.as_bytes())
        );
    }
    if printer.json {
        event_json::write_file(
            &mut printer.pending,
            path_json,
            format,
            counts,
            error.as_deref(),
        );
    } else {
        let format_name = format.map_or("empty", FormatKind::name);
        note!(
            "fwseen: {}: {format_name}, {}",
            escape::terminal(name.as_bytes()),
            describe_counts(counts)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fwseen_event::{Action, Icmp, Protocol, TcpFlags, Timestamp};

    fn row(event: &Event<'_>) -> String {
        let mut out = Vec::new();
        let mut scratch = String::new();
        write_table_row(&mut out, &mut scratch, event);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_rows_are_aligned_and_escaped() {
        let event = Event {
            time: Some(Timestamp::from_utc_parts(2024, 3, 1, 12, 0, 5, 7).unwrap()),
            action: Action::Drop,
            protocol: Protocol::Tcp,
            src: Some("192.0.2.1".parse().unwrap()),
            src_port: Some(40000),
            dst: Some("2001:db8::1".parse().unwrap()),
            dst_port: Some(22),
            tcp_flags: Some(TcpFlags::SYN),
            rule: Some(b" [UFW BLOCK]\x1b[2J "),
            ..Event::default()
        };
        assert_eq!(
            row(&event),
            "2024-03-01 12:00:05  drop    tcp        192.0.2.1:40000          \
             → [2001:db8::1]:22      SYN          [UFW BLOCK]\\x1b[2J\n"
        );
        let icmp = Event {
            protocol: Protocol::Other(47),
            icmp: Some(Icmp {
                icmp_type: 3,
                code: 1,
            }),
            ..Event::default()
        };
        let text = row(&icmp);
        assert!(
            text.starts_with("-                    other   proto-47   -  "),
            "{text}"
        );
        assert!(text.ends_with("type 3 code 1\n"), "{text}");
        assert_eq!(
            row(&event).find('→'),
            row(&icmp).find('→'),
            "columns line up"
        );
    }

    /// The four codecs, each with one compressed copy of `plain` and the length of its magic.
    fn compressed_copies(plain: &[u8]) -> Vec<(&'static str, usize, Vec<u8>)> {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(plain).unwrap();
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        bz.write_all(plain).unwrap();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 6);
        xz.write_all(plain).unwrap();
        let mut zst = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
        zst.include_checksum(true).unwrap();
        zst.write_all(plain).unwrap();
        vec![
            ("gzip", 2, gz.finish().unwrap()),
            ("bzip2", 3, bz.finish().unwrap()),
            ("xz", 6, xz.finish().unwrap()),
            ("zstd", 4, zst.finish().unwrap()),
        ]
    }

    /// Issue 17: a compressed input cut anywhere, from right after its magic bytes (where the
    /// decompressed head is empty) to one byte before its end, is read with an error that names
    /// the codec and the offsets, never as a complete (possibly empty) input; so is a corrupt one.
    #[test]
    fn every_cut_of_every_codec_is_a_reported_read_error() {
        let dir =
            std::env::temp_dir().join(format!("fwseen-cmd-parse-{}-cuts", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let plain: Vec<u8> = (0..60)
            .flat_map(|i| {
                format!(
                    "Mar  1 00:00:{i:02} gw kernel: DROP IN=eth0 OUT= SRC=198.51.100.{i} DST=203.0.113.9 LEN=40 TTL=50 ID=1 PROTO=TCP SPT=4000 DPT={} WINDOW=1024 RES=0x00 SYN URGP=0\n",
                    1000 + i
                )
                .into_bytes()
            })
            .collect();
        let path = dir.join("cut.log");
        let source = InputSource::File(path.clone());
        let options = ReadOptions {
            year: Some(2024),
            tz: Some("UTC".into()),
            ..ReadOptions::default()
        };
        let read = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            match read_input(&source, 0, &options, |_, _, _| ControlFlow::Continue(())) {
                Ok(Outcome::Read(format, counts, error)) => (format, counts, error),
                Ok(Outcome::NotALog) => (None, Counts::default(), None),
                Err(message) => panic!("{message}"),
            }
        };
        for (codec, magic, bytes) in compressed_copies(&plain) {
            let (format, counts, error) = read(&bytes);
            assert_eq!(error, None, "{codec} whole");
            assert_eq!((format, counts.events), (Some(FormatKind::Netfilter), 60));
            for cut in magic..bytes.len() {
                let (_, counts, error) = read(&bytes[..cut]);
                let error = error.unwrap_or_else(|| panic!("{codec} cut at {cut}: no error"));
                assert!(error.contains(codec), "{codec} cut at {cut}: {error}");
                assert!(
                    error.contains(&format!("({cut} compressed bytes read)")),
                    "{codec} cut at {cut}: {error}"
                );
                assert!(
                    counts.events <= 60 && counts.is_balanced(),
                    "{codec} cut at {cut}"
                );
            }
            // A corrupt byte anywhere is an error, or changes nothing the checksum covers (a
            // header's time stamp): never a silently different input.
            for at in (magic..bytes.len()).step_by(3) {
                let mut corrupt = bytes.clone();
                corrupt[at] ^= 0x5a;
                let (_, counts, error) = read(&corrupt);
                assert!(
                    error.is_some() || counts.events == 60,
                    "{codec} corrupt at {at}: {counts:?}"
                );
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
