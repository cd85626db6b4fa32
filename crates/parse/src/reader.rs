//! The record loop: turns a stream of bytes into lines, runs a [`Format`] over each line and
//! accounts for every one of them.
//!
//! This is the framing half of line-oriented input (what a line is), kept apart from the formats
//! (what a line means). It does no I/O of its own choosing: it reads from an `impl Read` it is
//! given, and the caller decides where the bytes come from (a file, a decompressor, stdin).
//!
//! The loop is built for speed: one large buffer, lines found with `memchr`, no allocation per
//! line. Bytes are never assumed to be UTF-8; NUL and any other byte are fine.
//!
//! **Invariant:** every line of the input is counted exactly once, as an event, a skipped record
//! or a malformed record, so that [`Counts::records`] equals `events + skipped + malformed` and the
//! number of lines. A line longer than [`MAX_LINE_LEN`] is one malformed record ("line too long")
//! and is never held in memory whole.
//!
//! The work is split in two so that a later version can parse in parallel: [`parse_lines`] runs a
//! format over a *chunk* that holds whole lines, and [`read_lines`] cuts the stream into such
//! chunks. Chunk boundaries are always just after a `\n`, so the line number of a chunk's first
//! line is one plus the number of `\n` bytes before it, which can be counted per chunk.

use std::fmt;
use std::io::{self, Read};
use std::ops::ControlFlow;

use fwseen_event::Origin;

use crate::{Format, Malformed, Record, SkipReason};

/// The longest line the loop hands to a parser, in bytes (without its line end). Longer lines are
/// counted as one malformed record each.
pub const MAX_LINE_LEN: usize = 1 << 20;

/// The size of the read buffer of [`read_lines`]. It must be well above [`MAX_LINE_LEN`] so that a
/// line of the maximum length always fits together with the bytes around it.
pub const READ_BUFFER_LEN: usize = 4 << 20;

/// The reason given for a line longer than [`MAX_LINE_LEN`].
pub const LINE_TOO_LONG: &str = "line too long";

/// The reason given for a last line that a read error cut short.
pub const LINE_CUT_BY_READ_ERROR: &str = "line cut short by a read error";

/// The skip reasons in the order of [`Counts::skipped_by_reason`].
pub const SKIP_REASONS: [SkipReason; 4] = [
    SkipReason::Blank,
    SkipReason::Header,
    SkipReason::NotPacket,
    SkipReason::OtherProgram,
];

/// The position of a skip reason in [`Counts::skipped_by_reason`].
pub fn skip_reason_index(reason: SkipReason) -> usize {
    match reason {
        SkipReason::Blank => 0,
        SkipReason::Header => 1,
        SkipReason::NotPacket => 2,
        SkipReason::OtherProgram => 3,
    }
}

/// How many records an input had, and what each turned out to be.
///
/// **Invariant:** `records == events + skipped + malformed`, and `skipped` is the sum of
/// `skipped_by_reason`. Only [`Counts::add`] and [`Counts::merge`] change the numbers, and both
/// keep the invariant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub records: u64,
    pub events: u64,
    pub skipped: u64,
    pub malformed: u64,
    /// Skipped records by reason, indexed as [`SKIP_REASONS`] (see [`skip_reason_index`]).
    pub skipped_by_reason: [u64; 4],
}

impl Counts {
    /// Counts one record.
    #[inline]
    pub fn add(&mut self, record: &Record<'_>) {
        self.records += 1;
        match record {
            Record::Event(_) => self.events += 1,
            Record::Skipped(reason) => {
                self.skipped += 1;
                self.skipped_by_reason[skip_reason_index(*reason)] += 1;
            }
            Record::Malformed(_) => self.malformed += 1,
        }
    }

    /// Adds another input's (or another chunk's) counts to these.
    pub fn merge(&mut self, other: &Counts) {
        self.records += other.records;
        self.events += other.events;
        self.skipped += other.skipped;
        self.malformed += other.malformed;
        for (mine, theirs) in self
            .skipped_by_reason
            .iter_mut()
            .zip(other.skipped_by_reason)
        {
            *mine += theirs;
        }
    }

    /// The number of records skipped for one reason.
    pub fn skipped_for(&self, reason: SkipReason) -> u64 {
        self.skipped_by_reason[skip_reason_index(reason)]
    }

    /// True when the accounting invariant holds (it always should; tests check it).
    pub fn is_balanced(&self) -> bool {
        self.records == self.events + self.skipped + self.malformed
            && self.skipped == self.skipped_by_reason.iter().sum::<u64>()
    }
}

/// A read error in the middle of an input, with everything that was accounted before it.
#[derive(Debug)]
pub struct ReadError {
    /// The records read (and handed to the sink) before the error.
    pub counts: Counts,
    /// The byte offset in the (decompressed) input at which reading failed.
    pub offset: u64,
    /// The error the reader returned.
    pub source: io::Error,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "read error after record {} (byte {} of the decompressed input): {}",
            self.counts.records, self.offset, self.source
        )
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Strips the line end of one line: the `\n` was already cut by the splitter; this removes one
/// trailing `\r` (CRLF files).
#[inline]
fn strip_carriage_return(line: &[u8]) -> &[u8] {
    match line.split_last() {
        Some((b'\r', rest)) => rest,
        _ => line,
    }
}

/// Parses one line and sets the event origin.
#[inline]
fn parse_one<'a, P: Format + ?Sized>(
    format: &mut P,
    line: &'a [u8],
    line_number: u64,
    input: u32,
    max_line_len: usize,
) -> Record<'a> {
    if line.len() > max_line_len {
        return Record::Malformed(Malformed::at(LINE_TOO_LONG, max_line_len));
    }
    let mut record = format.parse(line);
    if let Record::Event(event) = &mut record {
        event.origin = Origin {
            input,
            record: line_number,
        };
    }
    record
}

/// Runs `format` over a chunk of whole lines, counting each into `counts` and handing
/// `(line number, line without its line end, record)` to `sink`.
///
/// `first_line` is the 1-based number of the chunk's first line. A final line without a `\n` is a
/// line too. Lines longer than [`MAX_LINE_LEN`] become malformed records without being parsed.
/// Returns the number of lines in the chunk (which may be more than the lines handed to the sink
/// if the sink asked to stop) and whether the sink asked to stop.
pub fn parse_lines<'a, P, F>(
    format: &mut P,
    chunk: &'a [u8],
    first_line: u64,
    input: u32,
    counts: &mut Counts,
    sink: F,
) -> (u64, ControlFlow<()>)
where
    P: Format + ?Sized,
    F: FnMut(u64, &'a [u8], Record<'a>) -> ControlFlow<()>,
{
    parse_lines_with_limit(format, chunk, first_line, input, MAX_LINE_LEN, counts, sink)
}

/// [`parse_lines`] with a chosen line limit.
fn parse_lines_with_limit<'a, P, F>(
    format: &mut P,
    chunk: &'a [u8],
    first_line: u64,
    input: u32,
    max_line_len: usize,
    counts: &mut Counts,
    mut sink: F,
) -> (u64, ControlFlow<()>)
where
    P: Format + ?Sized,
    F: FnMut(u64, &'a [u8], Record<'a>) -> ControlFlow<()>,
{
    let mut line_number = first_line;
    let mut start = 0;
    for newline in memchr::memchr_iter(b'\n', chunk) {
        let line = strip_carriage_return(&chunk[start..newline]);
        let record = parse_one(format, line, line_number, input, max_line_len);
        counts.add(&record);
        if sink(line_number, line, record).is_break() {
            return (line_number - first_line + 1, ControlFlow::Break(()));
        }
        line_number += 1;
        start = newline + 1;
    }
    if start < chunk.len() {
        let line = strip_carriage_return(&chunk[start..]);
        let record = parse_one(format, line, line_number, input, max_line_len);
        counts.add(&record);
        let flow = sink(line_number, line, record);
        line_number += 1;
        return (line_number - first_line, flow);
    }
    (line_number - first_line, ControlFlow::Continue(()))
}

/// Reads `reader` to its end, line by line, and runs `format` over every line (see
/// [`parse_lines`]). Returns the counts, or a [`ReadError`] carrying the counts of everything read
/// before the error (a last line cut short by the error is counted as malformed).
///
/// The sink may return [`ControlFlow::Break`] to stop early (for example when the output is gone);
/// the counts then cover the lines handed over so far. A leading UTF-8 byte order mark is dropped.
pub fn read_lines<R, P, F>(
    reader: R,
    format: &mut P,
    input: u32,
    sink: F,
) -> Result<Counts, ReadError>
where
    R: Read,
    P: Format + ?Sized,
    F: for<'b> FnMut(u64, &'b [u8], Record<'b>) -> ControlFlow<()>,
{
    read_lines_with_buffer(reader, format, input, READ_BUFFER_LEN, MAX_LINE_LEN, sink)
}

/// [`read_lines`] with a chosen buffer size and line limit (tests use small ones).
/// `buffer_len` must be larger than `max_line_len`.
pub fn read_lines_with_buffer<R, P, F>(
    mut reader: R,
    format: &mut P,
    input: u32,
    buffer_len: usize,
    max_line_len: usize,
    mut sink: F,
) -> Result<Counts, ReadError>
where
    R: Read,
    P: Format + ?Sized,
    F: for<'b> FnMut(u64, &'b [u8], Record<'b>) -> ControlFlow<()>,
{
    let buffer_len = buffer_len.max(max_line_len + 2);
    let mut buffer = vec![0u8; buffer_len];
    let mut counts = Counts::default();
    // Bytes of a partial line carried at the start of `buffer`.
    let mut filled = 0usize;
    // The 1-based number of the next line to be counted.
    let mut next_line: u64 = 1;
    // Bytes consumed from the reader so far.
    let mut offset: u64 = 0;
    // True while discarding the rest of a line that was already found too long.
    let mut discarding_long_line = false;
    let mut at_start = true;

    // Counts a line longer than the limit; its bytes are gone, so the sink sees an empty line.
    let count_long_line =
        |counts: &mut Counts, line_number: u64, sink: &mut F| -> ControlFlow<()> {
            let record = Record::Malformed(Malformed::at(LINE_TOO_LONG, max_line_len));
            counts.add(&record);
            sink(line_number, b"", record)
        };

    loop {
        // Fill the buffer: keep reading while reads return full amounts, so that files give large
        // chunks; stop at a short read once a complete line is present, so that a pipe that
        // pauses (a live `tail -f`) still gets its lines parsed promptly.
        let mut eof = false;
        let scan_from = filled;
        loop {
            if filled == buffer.len() {
                break;
            }
            let want = buffer.len() - filled;
            match reader.read(&mut buffer[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(got) => {
                    filled += got;
                    offset += got as u64;
                    if got < want && memchr::memchr(b'\n', &buffer[scan_from..filled]).is_some() {
                        break;
                    }
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    // Account for the complete lines read so far, then for the cut last line.
                    let data = &buffer[..filled];
                    let complete = match memchr::memrchr(b'\n', data) {
                        Some(last) => last + 1,
                        None => 0,
                    };
                    let mut flow = ControlFlow::Continue(());
                    if discarding_long_line {
                        match memchr::memchr(b'\n', data) {
                            Some(end) => {
                                flow = count_long_line(&mut counts, next_line, &mut sink);
                                next_line += 1;
                                if flow.is_continue() {
                                    let (lines, f) = parse_lines_with_limit(
                                        format,
                                        &data[end + 1..complete],
                                        next_line,
                                        input,
                                        max_line_len,
                                        &mut counts,
                                        &mut sink,
                                    );
                                    next_line += lines;
                                    flow = f;
                                }
                            }
                            None => {
                                let _ = count_long_line(&mut counts, next_line, &mut sink);
                                return Err(ReadError {
                                    counts,
                                    offset,
                                    source: err,
                                });
                            }
                        }
                    } else if complete > 0 {
                        let (lines, f) = parse_lines_with_limit(
                            format,
                            &data[..complete],
                            next_line,
                            input,
                            max_line_len,
                            &mut counts,
                            &mut sink,
                        );
                        next_line += lines;
                        flow = f;
                    }
                    if flow.is_continue() && complete < filled {
                        let record = Record::Malformed(Malformed::new(LINE_CUT_BY_READ_ERROR));
                        counts.add(&record);
                        let partial = strip_carriage_return(&data[complete..]);
                        let _ = sink(next_line, partial, record);
                    }
                    return Err(ReadError {
                        counts,
                        offset,
                        source: err,
                    });
                }
            }
        }

        let mut data = &buffer[..filled];
        // The byte order mark can only be at the very start; this is the first fill (a read
        // shorter than three bytes that still holds a whole line cannot start with one).
        if at_start {
            at_start = false;
            if data.starts_with(b"\xEF\xBB\xBF") {
                data = &data[3..];
            }
        }

        if discarding_long_line {
            match memchr::memchr(b'\n', data) {
                Some(end) => {
                    discarding_long_line = false;
                    let flow = count_long_line(&mut counts, next_line, &mut sink);
                    next_line += 1;
                    if flow.is_break() {
                        return Ok(counts);
                    }
                    data = &data[end + 1..];
                }
                None => {
                    if eof {
                        let _ = count_long_line(&mut counts, next_line, &mut sink);
                        return Ok(counts);
                    }
                    filled = 0;
                    continue;
                }
            }
        }

        if eof {
            let (_, _) = parse_lines_with_limit(
                format,
                data,
                next_line,
                input,
                max_line_len,
                &mut counts,
                &mut sink,
            );
            return Ok(counts);
        }

        // Parse the whole lines and carry the partial last line to the front of the buffer.
        let data_start = filled - data.len();
        let complete = match memchr::memrchr(b'\n', data) {
            Some(last) => last + 1,
            None => 0,
        };
        if complete > 0 {
            let (lines, flow) = parse_lines_with_limit(
                format,
                &data[..complete],
                next_line,
                input,
                max_line_len,
                &mut counts,
                &mut sink,
            );
            next_line += lines;
            if flow.is_break() {
                return Ok(counts);
            }
        }
        let carry_start = data_start + complete;
        let carry_len = filled - carry_start;
        // One byte more than the limit is allowed for a CR that the line end will strip.
        if carry_len > max_line_len + 1 {
            // The partial line is already too long: drop it and skip to its end.
            discarding_long_line = true;
            filled = 0;
        } else {
            buffer.copy_within(carry_start..filled, 0);
            filled = carry_len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FormatKind;
    use fwseen_event::Event;

    /// A format for tests: `E` lines are events, `#` lines headers, empty lines blank, `X` lines
    /// malformed, anything else another program's line.
    struct Letters;

    impl Format for Letters {
        fn kind(&self) -> FormatKind {
            FormatKind::Netfilter
        }

        fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
            match line.first() {
                None => Record::Skipped(SkipReason::Blank),
                Some(b'E') => Record::Event(Event {
                    rule: Some(line),
                    ..Event::default()
                }),
                Some(b'#') => Record::Skipped(SkipReason::Header),
                Some(b'X') => Record::Malformed(Malformed::at("bad", 1)),
                Some(_) => Record::Skipped(SkipReason::OtherProgram),
            }
        }
    }

    fn collect(input: &[u8], buffer_len: usize, max: usize) -> (Counts, Vec<(u64, Vec<u8>)>) {
        let mut seen = Vec::new();
        let counts = read_lines_with_buffer(input, &mut Letters, 7, buffer_len, max, |n, l, r| {
            if let Record::Event(e) = &r {
                assert_eq!(
                    e.origin,
                    Origin {
                        input: 7,
                        record: n
                    }
                );
            }
            seen.push((n, l.to_vec()));
            ControlFlow::Continue(())
        })
        .unwrap();
        (counts, seen)
    }

    #[test]
    fn counts_every_kind_and_keeps_the_invariant() {
        let (counts, seen) = collect(b"E1\n#h\n\nX\nother\nE2", 64, 16);
        assert_eq!(counts.records, 6);
        assert_eq!(counts.events, 2);
        assert_eq!(counts.skipped, 3);
        assert_eq!(counts.malformed, 1);
        assert_eq!(counts.skipped_for(SkipReason::Blank), 1);
        assert_eq!(counts.skipped_for(SkipReason::Header), 1);
        assert_eq!(counts.skipped_for(SkipReason::OtherProgram), 1);
        assert!(counts.is_balanced());
        let numbers: Vec<u64> = seen.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
        assert_eq!(seen[5].1, b"E2", "the unterminated last line is a line");
    }

    #[test]
    fn merge_adds_and_stays_balanced() {
        let (a, _) = collect(b"E\n#\nX\n", 64, 16);
        let (b, _) = collect(b"\n\nE\n", 64, 16);
        let mut total = a;
        total.merge(&b);
        assert_eq!(total.records, 6);
        assert_eq!(total.events, 2);
        assert_eq!(total.skipped_for(SkipReason::Blank), 2);
        assert!(total.is_balanced());
    }

    #[test]
    fn crlf_and_lone_cr() {
        let (_, seen) = collect(b"E1\r\nE2\r\r\n\r\n", 64, 16);
        assert_eq!(seen[0].1, b"E1");
        assert_eq!(seen[1].1, b"E2\r", "only one CR is a line end");
        assert_eq!(seen[2].1, b"");
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn empty_input_has_no_records() {
        let (counts, seen) = collect(b"", 64, 16);
        assert_eq!(counts, Counts::default());
        assert!(seen.is_empty());
        let (counts, _) = collect(b"\n", 64, 16);
        assert_eq!(counts.records, 1);
    }

    #[test]
    fn lines_across_buffer_refills_keep_numbers() {
        // Lines of varying length with a tiny buffer force many carries.
        let mut input = Vec::new();
        for i in 0..500 {
            input.push(b'E');
            input.extend(std::iter::repeat_n(b'a', i % 13));
            input.push(b'\n');
        }
        let (counts, seen) = collect(&input, 24, 20);
        assert_eq!(counts.records, 500);
        assert_eq!(counts.events, 500);
        for (i, (n, line)) in seen.iter().enumerate() {
            assert_eq!(*n, i as u64 + 1);
            assert_eq!(line.len(), 1 + i % 13);
        }
    }

    #[test]
    fn long_lines_are_one_malformed_record_each() {
        let mut input = b"E1\n".to_vec();
        input.extend(std::iter::repeat_n(b'E', 100));
        input.extend(b"\nE3\n");
        input.extend(std::iter::repeat_n(b'x', 50));
        let (counts, seen) = collect(&input, 24, 20);
        assert_eq!(counts.records, 4);
        assert_eq!(counts.events, 2);
        assert_eq!(counts.malformed, 2);
        assert_eq!(seen[1].0, 2);
        assert_eq!(seen[2], (3, b"E3".to_vec()));
        assert_eq!(seen[3].0, 4);
        // A long line that fits the buffer is caught by the line limit too.
        let mut input = std::iter::repeat_n(b'E', 30).collect::<Vec<u8>>();
        input.extend(b"\nE\n");
        let (counts, _) = collect(&input, 100, 20);
        assert_eq!((counts.records, counts.malformed), (2, 1));
    }

    #[test]
    fn nul_and_invalid_utf8_are_just_bytes() {
        let (counts, seen) = collect(b"E\0\xff\xfe\n\0\n", 64, 16);
        assert_eq!(counts.records, 2);
        assert_eq!(seen[0].1, b"E\0\xff\xfe");
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let (_, seen) = collect(b"\xEF\xBB\xBFE1\nE2\n", 64, 16);
        assert_eq!(seen[0].1, b"E1");
    }

    /// A reader that gives its bytes in small pieces and then fails.
    struct FailingReader {
        data: Vec<u8>,
        position: usize,
    }

    impl Read for FailingReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.position >= self.data.len() {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "truncated"));
            }
            let n = buf.len().min(5).min(self.data.len() - self.position);
            buf[..n].copy_from_slice(&self.data[self.position..self.position + n]);
            self.position += n;
            Ok(n)
        }
    }

    #[test]
    fn read_error_counts_what_was_read_and_names_the_position() {
        let reader = FailingReader {
            data: b"E1\nE2\nE3-cut".to_vec(),
            position: 0,
        };
        let mut lines = Vec::new();
        let err = read_lines(reader, &mut Letters, 0, |n, _, r| {
            lines.push((n, matches!(r, Record::Malformed(_))));
            ControlFlow::Continue(())
        })
        .unwrap_err();
        assert_eq!(err.offset, 12);
        assert_eq!(err.counts.records, 3);
        assert_eq!(err.counts.events, 2);
        assert_eq!(err.counts.malformed, 1);
        assert!(err.counts.is_balanced());
        assert_eq!(lines, [(1, false), (2, false), (3, true)]);
        assert!(err.to_string().contains("byte 12"), "{err}");
    }

    #[test]
    fn sink_can_stop_the_loop() {
        let mut seen = 0;
        let counts = read_lines(&b"E\nE\nE\nE\n"[..], &mut Letters, 0, |_, _, _| {
            seen += 1;
            if seen == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
        assert_eq!(seen, 2);
        assert_eq!(counts.records, 2);
    }

    #[test]
    fn parse_lines_returns_the_line_count_of_a_chunk() {
        let mut counts = Counts::default();
        let (lines, _) = parse_lines(&mut Letters, b"E\n\nE", 10, 0, &mut counts, |n, _, r| {
            if let Record::Event(e) = r {
                assert!(e.origin.record == 10 || e.origin.record == 12);
            }
            assert!((10..13).contains(&n));
            ControlFlow::Continue(())
        });
        assert_eq!(lines, 3);
        assert_eq!(counts.records, 3);
    }
}
