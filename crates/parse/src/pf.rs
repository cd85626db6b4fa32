//! pf logs: pfSense / OPNsense `filterlog` CSV lines, and OpenBSD pflog read back as text with
//! `tcpdump -n -e -ttt -r /var/log/pflog`.
//!
//! **filterlog.** pfSense (2.2 and later) and OPNsense send one CSV record per logged packet,
//! after a syslog header whose program is `filterlog`. The first nine fields are common (rule
//! number, sub rule, anchor, tracker, interface, reason, action, direction, IP version); then come
//! the IPv4 fields (TOS, ECN, TTL, ID, offset, flags, protocol id, protocol name) or the IPv6 ones
//! (class, flow label, hop limit, protocol name, protocol id), then length, source and destination,
//! then fields that depend on the protocol (ports, TCP flags and sequence numbers, ICMP details,
//! CARP fields, or `datalength=N` for anything else). The syslog header is read by
//! [`crate::syslog::split_header`]; this module only reads the CSV body.
//!
//! **tcpdump text.** Each line is one packet: an optional time stamp, the pflog header printed by
//! `-e` (`rule 2/(match) block in on em0: `, `rule def/(match) pass out on vio0: `, the older
//! `rule 4/0(match): block in on fxp0: `), then tcpdump's usual rendering of the IP packet. Both
//! the classic BSD rendering (`S 1:1(0) win 16384`, `icmp: echo request`, `udp 48`) and the
//! modern tcpdump.org one (`Flags [S], seq 1, win 16384`, `ICMP echo request`, `UDP, length 48`)
//! are read. Continuation lines (hex dumps, wrapped options) are skipped.
//!
//! Neither parser allocates: events borrow their text from the line.

use std::net::IpAddr;

use fwseen_event::{Action, Direction, EmbeddedPacket, Event, Icmp, Protocol, TcpFlags, Timestamp};

use crate::fields::{offset_in, parse_decimal, parse_ip_dropping_zone};
use crate::syslog::split_header;
use crate::time::month_from_abbrev;
use crate::words::strip_prefix_ignore_case;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

// ---------------------------------------------------------------------------------------------
// Shared helpers.
// ---------------------------------------------------------------------------------------------

/// The pf protocol names tcpdump and filterlog print, mapped to protocols.
fn protocol_from_pf_name(name: &[u8]) -> Option<Protocol> {
    if let Some(protocol) = Protocol::from_name(name) {
        return Some(protocol);
    }
    let mut lower = [0u8; 16];
    if name.len() > lower.len() {
        return None;
    }
    for (dst, src) in lower.iter_mut().zip(name) {
        *dst = src.to_ascii_lowercase();
    }
    Some(match &lower[..name.len()] {
        b"gre" => Protocol::Other(47),
        b"esp" => Protocol::Other(50),
        b"ah" => Protocol::Other(51),
        b"carp" | b"vrrp" => Protocol::Other(112),
        b"pim" => Protocol::Other(103),
        b"ospf" | b"ospf2" => Protocol::Other(89),
        b"sctp" => Protocol::Other(132),
        b"pfsync" => Protocol::Other(240),
        b"ipv6" | b"ip6" => Protocol::Other(41),
        b"ipencap" | b"ip" => Protocol::Other(4),
        _ => {
            let digits = lower[..name.len()].strip_prefix(b"ip-proto-")?;
            Protocol::from_number(parse_decimal::<u8>(digits)?)
        }
    })
}

/// Reads a pf-style TCP flag string (`S`, `SA`, `FPU`, `SEW`, `.`) into flags. Letters pf does
/// not define are ignored.
fn tcp_flags_from_letters(letters: &[u8]) -> TcpFlags {
    let mut flags = TcpFlags::empty();
    for &letter in letters {
        let flag = match letter {
            b'S' => TcpFlags::SYN,
            b'A' | b'.' => TcpFlags::ACK,
            b'F' => TcpFlags::FIN,
            b'R' => TcpFlags::RST,
            b'P' => TcpFlags::PSH,
            b'U' => TcpFlags::URG,
            b'E' => TcpFlags::ECE,
            b'W' | b'C' => TcpFlags::CWR,
            _ => continue,
        };
        flags.insert(flag);
    }
    flags
}

/// Strips trailing carriage returns and newlines.
fn trim_line_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    &line[..end]
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

// ---------------------------------------------------------------------------------------------
// filterlog.
// ---------------------------------------------------------------------------------------------

/// The most CSV fields of a filterlog body we look at; later ones (there are none in practice)
/// are ignored.
const MAX_FIELDS: usize = 40;

/// The comma-separated fields of a filterlog body, with their offsets in the record.
struct CsvFields<'a> {
    fields: [&'a [u8]; MAX_FIELDS],
    starts: [usize; MAX_FIELDS],
    count: usize,
    /// Offset in the record of the first field, to report positions.
    base: usize,
    /// Offset in the record just past the body, for "truncated" reports.
    end: usize,
}

impl<'a> CsvFields<'a> {
    fn split(body: &'a [u8], base: usize) -> CsvFields<'a> {
        let mut fields = CsvFields {
            fields: [&[]; MAX_FIELDS],
            starts: [0; MAX_FIELDS],
            count: 0,
            base,
            end: base + body.len(),
        };
        // Fields are a few bytes each: one plain pass over the body finds the commas faster
        // than a memchr call per field.
        let mut start = 0;
        for (index, &byte) in body.iter().enumerate() {
            if byte == b',' {
                fields.push(&body[start..index], start);
                start = index + 1;
            }
        }
        fields.push(&body[start..], start);
        fields
    }

    /// Appends one field (fields past [`MAX_FIELDS`] are not kept).
    #[inline]
    fn push(&mut self, field: &'a [u8], start: usize) {
        if self.count < MAX_FIELDS {
            self.fields[self.count] = field;
            self.starts[self.count] = start;
            self.count += 1;
        }
    }

    /// The field at `index`, or a "truncated" diagnostic pointing at the end of the body.
    fn get(&self, index: usize) -> Result<&'a [u8], Malformed> {
        if index < self.count {
            Ok(self.fields[index])
        } else {
            Err(Malformed::at("filterlog record is truncated", self.end))
        }
    }

    /// The field at `index` if present.
    fn optional(&self, index: usize) -> Option<&'a [u8]> {
        (index < self.count).then(|| self.fields[index])
    }

    /// The record offset of the field at `index`.
    fn column(&self, index: usize) -> usize {
        if index < self.count {
            self.base + self.starts[index]
        } else {
            self.end
        }
    }

    fn malformed(&self, reason: &'static str, index: usize) -> Malformed {
        Malformed::at(reason, self.column(index))
    }

    /// The bytes spanning fields `first..=last`, commas included.
    fn span(&self, body: &'a [u8], first: usize, last: usize) -> &'a [u8] {
        let start = self.starts[first];
        let end = self.starts[last] + self.fields[last].len();
        &body[start..end]
    }
}

/// Reads the CSV body of a filterlog record into `event`. `base` is the body's offset in the
/// record, used for diagnostics.
///
/// The rule label is the span of the first four fields (`rule,sub rule,anchor,tracker`, e.g.
/// `53,,,1000000301`): together they name the rule, and the tracker alone is what the pfSense and
/// OPNsense interfaces use to find its description. The interface becomes the input interface for
/// inbound packets and the output interface for outbound ones.
pub fn parse_filterlog_body<'a>(
    body: &'a [u8],
    base: usize,
    event: &mut Event<'a>,
) -> Result<(), Malformed> {
    let fields = CsvFields::split(body, base);
    if fields.count < 9 {
        return Err(Malformed::at("filterlog record is truncated", fields.end));
    }
    let rule_number = fields.get(0)?;
    if !rule_number.is_empty() && parse_decimal::<u32>(rule_number).is_none() {
        return Err(fields.malformed("filterlog rule number is not a number", 0));
    }
    let rule = fields.span(body, 0, 3);
    if !rule.iter().all(|&b| b == b',') {
        event.rule = Some(rule);
    }
    let interface = fields.get(4)?;
    event.action = match fields.get(6)? {
        b"pass" => Action::Allow,
        b"block" => Action::Drop,
        _ => Action::Other,
    };
    event.direction = match fields.get(7)? {
        b"in" => Direction::Inbound,
        b"out" => Direction::Outbound,
        _ => return Err(fields.malformed("filterlog direction is neither in nor out", 7)),
    };
    if !interface.is_empty() {
        if event.direction == Direction::Outbound {
            event.out_interface = Some(interface);
        } else {
            event.in_interface = Some(interface);
        }
    }
    // The IP part: `next` is the index of the length field that both versions share.
    let (protocol_id_index, next) = match fields.get(8)? {
        b"4" => {
            let ttl = fields.get(11)?;
            event.ttl = Some(
                parse_decimal::<u8>(ttl).ok_or(fields.malformed("filterlog TTL is invalid", 11))?,
            );
            let id = fields.get(12)?;
            if !id.is_empty() {
                event.ip_id = Some(
                    parse_decimal::<u32>(id)
                        .ok_or(fields.malformed("filterlog IP id is invalid", 12))?,
                );
            }
            (15, 17)
        }
        b"6" => {
            let hop_limit = fields.get(11)?;
            event.ttl = Some(
                parse_decimal::<u8>(hop_limit)
                    .ok_or(fields.malformed("filterlog hop limit is invalid", 11))?,
            );
            (13, 14)
        }
        _ => return Err(fields.malformed("filterlog IP version is neither 4 nor 6", 8)),
    };
    let protocol_number = parse_decimal::<u8>(fields.get(protocol_id_index)?)
        .ok_or(fields.malformed("filterlog protocol id is invalid", protocol_id_index))?;
    event.protocol = Protocol::from_number(protocol_number);
    let length = fields.get(next)?;
    if !length.is_empty() {
        event.length = Some(
            parse_decimal::<u32>(length)
                .ok_or(fields.malformed("filterlog length is invalid", next))?,
        );
    }
    event.src = Some(
        parse_ip_dropping_zone(fields.get(next + 1)?)
            .ok_or(fields.malformed("filterlog source address is invalid", next + 1))?,
    );
    event.dst = Some(
        parse_ip_dropping_zone(fields.get(next + 2)?)
            .ok_or(fields.malformed("filterlog destination address is invalid", next + 2))?,
    );
    let data = next + 3;
    match event.protocol {
        Protocol::Tcp | Protocol::Udp => {
            event.src_port = Some(
                parse_decimal::<u16>(fields.get(data)?)
                    .ok_or(fields.malformed("filterlog source port is invalid", data))?,
            );
            event.dst_port = Some(
                parse_decimal::<u16>(fields.get(data + 1)?)
                    .ok_or(fields.malformed("filterlog destination port is invalid", data + 1))?,
            );
            if event.protocol == Protocol::Tcp {
                read_filterlog_tcp(&fields, data, event)?;
            }
        }
        Protocol::Icmp => {
            if let Some(type_text) = fields.optional(data) {
                read_filterlog_icmp(&fields, data, type_text, event);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Reads the TCP flags, sequence number and window that follow the ports.
fn read_filterlog_tcp(
    fields: &CsvFields<'_>,
    data: usize,
    event: &mut Event<'_>,
) -> Result<(), Malformed> {
    let Some(flags) = fields.optional(data + 3) else {
        return Ok(());
    };
    if !flags.iter().all(|b| {
        matches!(
            b,
            b'S' | b'A' | b'F' | b'R' | b'P' | b'U' | b'E' | b'W' | b'C' | b'.'
        )
    }) {
        return Err(fields.malformed("filterlog TCP flags are invalid", data + 3));
    }
    event.tcp_flags = Some(tcp_flags_from_letters(flags));
    if let Some(sequence) = fields.optional(data + 4) {
        // A data segment logs its sequence range as `first:last`.
        let first = match memchr::memchr(b':', sequence) {
            Some(colon) => &sequence[..colon],
            None => sequence,
        };
        if !first.is_empty() {
            event.tcp_seq = Some(
                parse_decimal::<u32>(first)
                    .ok_or(fields.malformed("filterlog TCP sequence is invalid", data + 4))?,
            );
        }
    }
    if let Some(window) = fields.optional(data + 6) {
        if !window.is_empty() {
            event.tcp_window = Some(
                parse_decimal::<u32>(window)
                    .ok_or(fields.malformed("filterlog TCP window is invalid", data + 6))?,
            );
        }
    }
    Ok(())
}

/// Maps the ICMP type words filterlog prints to a type and, when the word implies one, a code.
fn filterlog_icmp_type(word: &[u8]) -> Option<(u8, Option<u8>)> {
    Some(match word {
        b"reply" => (0, Some(0)),
        b"unreach" => (3, None),
        b"unreachproto" => (3, Some(2)),
        b"unreachport" => (3, Some(3)),
        b"needfrag" => (3, Some(4)),
        b"redirect" => (5, None),
        b"routeradvert" => (9, Some(0)),
        b"routersol" => (10, Some(0)),
        b"request" => (8, Some(0)),
        b"timexceed" => (11, None),
        b"paramprob" => (12, None),
        b"tstamp" => (13, Some(0)),
        b"tstampreply" => (14, Some(0)),
        b"inforeq" => (15, Some(0)),
        b"inforeply" => (16, Some(0)),
        b"maskreq" => (17, Some(0)),
        b"maskreply" => (18, Some(0)),
        _ => return None,
    })
}

/// Reads the ICMP part of an IPv4 filterlog record. The details are best effort: an ICMP type
/// filterlog describes in words we do not know still leaves a valid event, without `icmp`.
/// Types whose code filterlog does not print (a generic `unreach`, `redirect`) get no `icmp`
/// either, rather than a guessed code.
fn read_filterlog_icmp<'a>(
    fields: &CsvFields<'a>,
    data: usize,
    type_text: &'a [u8],
    event: &mut Event<'a>,
) {
    let Some((icmp_type, code)) = filterlog_icmp_type(type_text) else {
        return;
    };
    let code = code.or(match icmp_type {
        // Time exceeded is almost always "in transit"; filterlog words it in the next field.
        11 => match fields.optional(data + 1) {
            Some(text) if strip_prefix_ignore_case(text, b"reassembly").is_some() => Some(1),
            _ => Some(0),
        },
        12 => Some(0),
        _ => None,
    });
    if let Some(code) = code {
        event.icmp = Some(Icmp { icmp_type, code });
    }
    // Unreachable errors quote the original destination (and its protocol and port).
    if icmp_type == 3 {
        if let Some(quoted_dst) = fields.optional(data + 1).and_then(parse_ip_dropping_zone) {
            let mut embedded = EmbeddedPacket {
                dst: Some(quoted_dst),
                ..EmbeddedPacket::default()
            };
            match type_text {
                b"unreachproto" => {
                    if let Some(number) = fields.optional(data + 2).and_then(parse_decimal::<u8>) {
                        embedded.protocol = Protocol::from_number(number);
                    }
                }
                b"unreachport" => {
                    if let Some(protocol) =
                        fields.optional(data + 2).and_then(protocol_from_pf_name)
                    {
                        embedded.protocol = protocol;
                    }
                    embedded.dst_port = fields.optional(data + 3).and_then(parse_decimal::<u16>);
                }
                _ => {}
            }
            event.embedded = Some(embedded);
        }
    }
}

/// Finds a filterlog body in a syslog message: the message itself (the header splitter already
/// removed `filterlog[pid]:`), or a message that still starts with the program tag.
fn strip_program_tag(message: &[u8]) -> &[u8] {
    let mut rest = message;
    if let Some(after) = rest.strip_prefix(b"filterlog") {
        let after = match after.first() {
            Some(b'[') => match memchr::memchr(b']', after) {
                Some(close) => &after[close + 1..],
                None => after,
            },
            _ => after,
        };
        if let Some(after) = after.strip_prefix(b":") {
            rest = after;
        }
    }
    while let Some((first, tail)) = rest.split_first() {
        if *first == b' ' {
            rest = tail;
        } else {
            break;
        }
    }
    rest
}

/// Reads pfSense / OPNsense `filterlog` lines (see the module documentation).
pub struct FilterlogParser {
    time: TimeContext,
}

impl FilterlogParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for FilterlogParser {
    fn kind(&self) -> FormatKind {
        FormatKind::PfFilterlog
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        let line = trim_line_end(line);
        if is_blank(line) {
            return Record::Skipped(SkipReason::Blank);
        }
        let mut event = Event::default();
        let (body, base) = match split_header(line, &mut self.time) {
            Some(header) => {
                if header.program != Some(b"filterlog".as_slice()) {
                    // A line some other program wrote, but maybe with filterlog in its message
                    // when the header was unusual; only the program name decides.
                    return Record::Skipped(SkipReason::OtherProgram);
                }
                event.time = header.time;
                event.observer = header.host;
                let body = strip_program_tag(header.message);
                (body, offset_in(line, body))
            }
            None => {
                // A line without a syslog header: a bare `filterlog:` message or a bare body.
                let body = strip_program_tag(line);
                if !looks_like_filterlog_body(body) {
                    return Record::Malformed(Malformed::at("not a filterlog line", 0));
                }
                (body, offset_in(line, body))
            }
        };
        match parse_filterlog_body(body, base, &mut event) {
            Ok(()) => Record::Event(event),
            Err(malformed) => Record::Malformed(malformed),
        }
    }
}

/// True when `body` starts like a filterlog CSV record: a rule number (or nothing), then enough
/// commas, and `in` or `out` followed by an IP version.
fn looks_like_filterlog_body(body: &[u8]) -> bool {
    let fields = CsvFields::split(body, 0);
    fields.count >= 10
        && fields.fields[0].iter().all(u8::is_ascii_digit)
        && matches!(fields.fields[7], b"in" | b"out")
        && matches!(fields.fields[8], b"4" | b"6")
}

/// True when the line looks like a pfSense / OPNsense filterlog line (with or without a syslog
/// header).
pub fn looks_like_filterlog(line: &[u8]) -> bool {
    let line = trim_line_end(line);
    if let Some(position) = memchr::memmem::find(line, b"filterlog") {
        let after = &line[position + b"filterlog".len()..];
        // `filterlog:`, `filterlog[123]:` (BSD) or `filterlog 123 - ... ` (RFC 5424).
        let body_start = match after.first() {
            Some(b':') => 1,
            Some(b'[') => match memchr::memchr(b':', after) {
                Some(colon) => colon + 1,
                None => return false,
            },
            Some(b' ') => {
                // RFC 5424: the body follows the structured data; find the first digit run that
                // is followed by enough commas.
                return find_rfc5424_body(after).is_some_and(looks_like_filterlog_body);
            }
            _ => return false,
        };
        let body = &after[body_start..];
        let body = body.strip_prefix(b" ").unwrap_or(body);
        return looks_like_filterlog_body(body);
    }
    looks_like_filterlog_body(line)
}

/// In an RFC 5424 message after the app name, skips procid, msgid and structured data.
fn find_rfc5424_body(after_program: &[u8]) -> Option<&[u8]> {
    let mut rest = after_program.strip_prefix(b" ")?;
    for _ in 0..2 {
        let space = memchr::memchr(b' ', rest)?;
        rest = &rest[space + 1..];
    }
    if rest.first() == Some(&b'[') {
        let close = memchr::memmem::find(rest, b"] ")?;
        rest = &rest[close + 2..];
    } else {
        rest = rest.strip_prefix(b"- ")?;
    }
    Some(rest)
}

// ---------------------------------------------------------------------------------------------
// tcpdump text.
// ---------------------------------------------------------------------------------------------

/// Reads OpenBSD pflog lines printed by `tcpdump -n -e` (see the module documentation).
pub struct TcpdumpParser {
    time: TimeContext,
}

impl TcpdumpParser {
    pub fn new(time: TimeContext) -> Self {
        Self { time }
    }
}

impl Format for TcpdumpParser {
    fn kind(&self) -> FormatKind {
        FormatKind::PfTcpdump
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        let line = trim_line_end(line);
        if is_blank(line) {
            return Record::Skipped(SkipReason::Blank);
        }
        // Continuation lines of a packet (hex dumps, wrapped -v output) start with white space.
        if matches!(line[0], b' ' | b'\t') {
            return Record::Skipped(SkipReason::NotPacket);
        }
        // What tcpdump itself says on stderr, when it is captured with the output.
        if line.starts_with(b"reading from file")
            || line.starts_with(b"tcpdump:")
            || line.starts_with(b"listening on")
        {
            return Record::Skipped(SkipReason::Header);
        }
        match parse_tcpdump_line(line, &mut self.time) {
            Ok(event) => Record::Event(event),
            Err(malformed) => Record::Malformed(malformed),
        }
    }
}

/// A cursor over the words of a tcpdump line.
struct Cursor<'a> {
    line: &'a [u8],
    position: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.line[self.position..]
    }

    fn skip_spaces(&mut self) {
        while self.position < self.line.len() && self.line[self.position] == b' ' {
            self.position += 1;
        }
    }

    /// The next space-delimited word (may be empty at the end of the line).
    fn word(&mut self) -> &'a [u8] {
        self.skip_spaces();
        let start = self.position;
        while self.position < self.line.len() && self.line[self.position] != b' ' {
            self.position += 1;
        }
        &self.line[start..self.position]
    }

    fn peek_word(&self) -> &'a [u8] {
        let mut copy = Cursor {
            line: self.line,
            position: self.position,
        };
        copy.word()
    }
}

/// Reads a tcpdump time stamp at the start of the line, if any, and returns it with the cursor
/// moved past it. Supported: `Mar 04 10:11:12.123456` (OpenBSD `-ttt`, local time),
/// `2024-03-04 10:11:12.123456` and `03/04/2024 10:11:12.123456` (tcpdump.org `-tttt`, new and
/// old), `1709547072.123456` (`-tt`), and `10:11:12.123456` (the default, which has no date and
/// so gives no time). Delta stamps (OpenBSD `-tttt`/`-ttttt`, tcpdump.org `-ttt`) also give no
/// time.
fn read_tcpdump_time(cursor: &mut Cursor<'_>, time: &mut TimeContext) -> Option<Timestamp> {
    let first = cursor.peek_word();
    if first.len() == 3 && first[0].is_ascii_uppercase() {
        let month = month_from_abbrev(first)?;
        let mut probe = Cursor {
            line: cursor.line,
            position: cursor.position,
        };
        probe.word();
        let day = parse_decimal::<u32>(probe.word())?;
        let clock = probe.word();
        let (hour, minute, second, micros) = parse_clock(clock)?;
        cursor.position = probe.position;
        return time.resolve_year_less(month, day, hour, minute, second, micros);
    }
    if first.len() == 10 && first[4] == b'-' && first[7] == b'-' {
        let year = parse_decimal::<u32>(&first[..4])?;
        let month = parse_decimal::<u32>(&first[5..7])?;
        let day = parse_decimal::<u32>(&first[8..10])?;
        let mut probe = Cursor {
            line: cursor.line,
            position: cursor.position,
        };
        probe.word();
        let (hour, minute, second, micros) = parse_clock(probe.word())?;
        cursor.position = probe.position;
        return time.civil_to_utc(year as i32, month, day, hour, minute, second, micros);
    }
    if first.len() == 10 && first[2] == b'/' && first[5] == b'/' {
        // Older tcpdump.org `-tttt`: `03/04/2024 10:11:12.123456`.
        let month = parse_decimal::<u32>(&first[0..2])?;
        let day = parse_decimal::<u32>(&first[3..5])?;
        let year = parse_decimal::<u32>(&first[6..10])?;
        let mut probe = Cursor {
            line: cursor.line,
            position: cursor.position,
        };
        probe.word();
        let (hour, minute, second, micros) = parse_clock(probe.word())?;
        cursor.position = probe.position;
        return time.civil_to_utc(year as i32, month, day, hour, minute, second, micros);
    }
    if first.first().is_some_and(u8::is_ascii_digit) {
        cursor.word();
        if first.ends_with(b".") {
            // Older tcpdump.org `-ttt` deltas print whole seconds apart: `1. 000123`.
            if cursor.peek_word().iter().all(u8::is_ascii_digit) {
                cursor.word();
            }
            return None;
        }
        if memchr::memchr(b':', first).is_some() {
            // A time of day without a date, or a delta: no usable time.
            return None;
        }
        let (seconds, fraction) = match memchr::memchr(b'.', first) {
            Some(dot) => (&first[..dot], &first[dot + 1..]),
            None => (first, &b""[..]),
        };
        let seconds = parse_decimal::<u64>(seconds)?;
        // Below ~1973 this is a delta between packets, not a date.
        if seconds < 100_000_000 {
            return None;
        }
        let micros = parse_fraction_micros(fraction)?;
        // Saturates: a number of seconds too large for the microsecond clock is far outside
        // the time window, and the line ends malformed for it.
        let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
        return Some(Timestamp::from_unix_micros(
            seconds
                .saturating_mul(1_000_000)
                .saturating_add(i64::from(micros)),
        ));
    }
    None
}

/// Reads up to six fraction digits as microseconds.
fn parse_fraction_micros(fraction: &[u8]) -> Option<u32> {
    let mut micros = 0u32;
    for index in 0..6 {
        let digit = match fraction.get(index) {
            Some(d) if d.is_ascii_digit() => u32::from(d - b'0'),
            Some(_) => return None,
            None => 0,
        };
        micros = micros * 10 + digit;
    }
    if fraction.iter().skip(6).any(|d| !d.is_ascii_digit()) {
        return None;
    }
    Some(micros)
}

/// Parses `HH:MM:SS[.ffffff]`.
fn parse_clock(text: &[u8]) -> Option<(u32, u32, u32, u32)> {
    if text.len() < 8 || text[2] != b':' || text[5] != b':' {
        return None;
    }
    let hour = parse_decimal::<u32>(&text[0..2])?;
    let minute = parse_decimal::<u32>(&text[3..5])?;
    let second = parse_decimal::<u32>(&text[6..8])?;
    let micros = match text.get(8) {
        None => 0,
        Some(b'.') => parse_fraction_micros(&text[9..])?,
        Some(_) => return None,
    };
    Some((hour, minute, second, micros))
}

/// True when `word` looks like a tcpdump pflog rule reference: `2/(match)`, `def/(match)`,
/// `1.anchor.3/(match)`, or the older `4/0(match):`.
fn is_rule_word(word: &[u8]) -> bool {
    match memchr::memchr(b'/', word) {
        Some(slash) => slash > 0 && word[slash + 1..].contains(&b'('),
        None => false,
    }
}

fn parse_tcpdump_line<'a>(line: &'a [u8], time: &mut TimeContext) -> Result<Event<'a>, Malformed> {
    let mut cursor = Cursor { line, position: 0 };
    let mut event = Event {
        time: read_tcpdump_time(&mut cursor, time),
        ..Event::default()
    };
    // The pflog header printed by -e.
    if cursor.peek_word() == b"rule" {
        cursor.word();
        let rule_start = {
            cursor.skip_spaces();
            cursor.position
        };
        let rule = cursor.word();
        if !is_rule_word(rule) {
            return Err(Malformed::at("pflog rule reference is invalid", rule_start));
        }
        let rule = rule.strip_suffix(b":").unwrap_or(rule);
        // The rule label is the rule number (with its anchor), without the reason.
        let slash = memchr::memchr(b'/', rule).unwrap_or(rule.len());
        event.rule = Some(&rule[..slash]);
        // `-v` puts `[uid 0, pid 123]` here.
        skip_bracketed(&mut cursor);
        let action_start = {
            cursor.skip_spaces();
            cursor.position
        };
        event.action = match cursor.word() {
            b"pass" => Action::Allow,
            b"block" => Action::Drop,
            b"match" | b"scrub" | b"nat" | b"binat" | b"rdr" => Action::Other,
            _ => return Err(Malformed::at("pflog action is unknown", action_start)),
        };
        let direction_start = {
            cursor.skip_spaces();
            cursor.position
        };
        event.direction = match cursor.word() {
            b"in" => Direction::Inbound,
            b"out" => Direction::Outbound,
            b"in/out" => Direction::Unknown,
            _ => return Err(Malformed::at("pflog direction is unknown", direction_start)),
        };
        if cursor.word() != b"on" {
            return Err(Malformed::at(
                "pflog header lacks the interface",
                cursor.position,
            ));
        }
        let interface = cursor.word();
        let Some(interface) = interface.strip_suffix(b":") else {
            return Err(Malformed::at(
                "pflog interface is not followed by ':'",
                cursor.position,
            ));
        };
        if interface.is_empty() {
            return Err(Malformed::at("pflog interface is empty", cursor.position));
        }
        if event.direction == Direction::Outbound {
            event.out_interface = Some(interface);
        } else {
            event.in_interface = Some(interface);
        }
        skip_bracketed(&mut cursor);
    }
    parse_tcpdump_packet(&mut cursor, &mut event)?;
    Ok(event)
}

/// Skips a `[...]` group (the `-v` uid/pid and rewrite notes) if the cursor is on one.
fn skip_bracketed(cursor: &mut Cursor<'_>) {
    cursor.skip_spaces();
    if cursor.rest().first() == Some(&b'[') {
        match memchr::memchr(b']', cursor.rest()) {
            Some(close) => cursor.position += close + 1,
            None => cursor.position = cursor.line.len(),
        }
    }
}

/// Splits `1.2.3.4.80` or `2001:db8::1.80` into address and port; a bare address has no port.
fn parse_endpoint(text: &[u8]) -> Option<(IpAddr, Option<u16>)> {
    if let Some(address) = parse_ip_dropping_zone(text) {
        return Some((address, None));
    }
    let dot = memchr::memrchr(b'.', text)?;
    let address = parse_ip_dropping_zone(&text[..dot])?;
    let port_text = &text[dot + 1..];
    // Without -n, tcpdump prints service names; we were promised -n, so a name is not a port.
    let port = parse_decimal::<u16>(port_text)?;
    Some((address, Some(port)))
}

/// Reads the IP packet rendering: `[IP|IP6] [(tos ..., ttl N, ...)] SRC > DST: PAYLOAD`.
fn parse_tcpdump_packet<'a>(
    cursor: &mut Cursor<'a>,
    event: &mut Event<'a>,
) -> Result<(), Malformed> {
    cursor.skip_spaces();
    let mut word = cursor.peek_word();
    if word == b"IP" || word == b"IP6" {
        cursor.word();
        cursor.skip_spaces();
        word = cursor.peek_word();
    }
    // tcpdump.org -v prints the IP header in parentheses before the addresses.
    if word.first() == Some(&b'(') {
        let rest = cursor.rest();
        let close = memchr::memchr(b')', rest).ok_or(Malformed::at(
            "unterminated IP header details",
            cursor.position,
        ))?;
        read_ip_details(&rest[1..close], event);
        cursor.position += close + 1;
    }
    let source_start = {
        cursor.skip_spaces();
        cursor.position
    };
    let source = cursor.word();
    if source.is_empty() {
        return Err(Malformed::at("pflog line is truncated", source_start));
    }
    let (src, src_port) =
        parse_endpoint(source).ok_or(Malformed::at("source address is invalid", source_start))?;
    if cursor.word() != b">" {
        return Err(Malformed::at(
            "expected '>' after the source",
            cursor.position,
        ));
    }
    let destination_start = {
        cursor.skip_spaces();
        cursor.position
    };
    let destination = cursor.word();
    let Some(destination) = destination.strip_suffix(b":") else {
        return Err(Malformed::at(
            "destination is not followed by ':'",
            destination_start,
        ));
    };
    let (dst, dst_port) = parse_endpoint(destination).ok_or(Malformed::at(
        "destination address is invalid",
        destination_start,
    ))?;
    event.src = Some(src);
    event.dst = Some(dst);
    event.src_port = src_port;
    event.dst_port = dst_port;
    cursor.skip_spaces();
    let payload = cursor.rest();
    read_payload(payload, src.is_ipv6(), src_port.is_some(), event);
    // Classic OpenBSD -v output puts `(ttl 64, id 1234, len 60)` (IPv4) or `(len 40, hlim 64)`
    // (IPv6) after the payload.
    let details = memchr::memmem::rfind(payload, b"(ttl ")
        .or_else(|| memchr::memmem::rfind(payload, b"(len "));
    if let Some(open) = details {
        if let Some(close) = memchr::memchr(b')', &payload[open..]) {
            read_ip_details(&payload[open + 1..open + close], event);
        }
    }
    Ok(())
}

/// Reads `ttl N`, `id N`, `len N` / `length N` and `proto NAME (N)` from a comma-separated
/// details list.
fn read_ip_details(details: &[u8], event: &mut Event<'_>) {
    for item in details.split(|&b| b == b',') {
        let item = item.trim_ascii();
        let mut words = item.split(|&b| b == b' ');
        let key = words.next().unwrap_or_default();
        let value = words.next().unwrap_or_default();
        match key {
            b"ttl" | b"hlim" => event.ttl = parse_decimal::<u8>(value).or(event.ttl),
            b"id" => event.ip_id = parse_decimal::<u32>(value).or(event.ip_id),
            b"len" | b"length" => event.length = parse_decimal::<u32>(value).or(event.length),
            b"proto" | b"next-header" => {
                if let Some(number) = words
                    .next()
                    .and_then(|n| n.strip_prefix(b"("))
                    .and_then(|n| n.strip_suffix(b")"))
                    .and_then(parse_decimal::<u8>)
                {
                    event.protocol = Protocol::from_number(number);
                }
            }
            _ => {}
        }
    }
}

/// Reads the payload description after `SRC > DST: `.
fn read_payload(payload: &[u8], ipv6: bool, has_ports: bool, event: &mut Event<'_>) {
    let mut words = payload.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let first = words.next().unwrap_or_default();
    let first_bare = first.strip_suffix(b",").unwrap_or(first);
    let first_bare = first_bare.strip_suffix(b":").unwrap_or(first_bare);
    // ICMP, in either rendering.
    if first_bare.eq_ignore_ascii_case(b"icmp") || first_bare.eq_ignore_ascii_case(b"icmp6") {
        event.protocol = if ipv6 || first_bare.len() == 5 {
            Protocol::Icmpv6
        } else {
            Protocol::Icmp
        };
        let description = &payload[first.len()..];
        let description = description.trim_ascii_start();
        let description = description
            .strip_prefix(b",")
            .unwrap_or(description)
            .trim_ascii_start();
        event.icmp = if event.protocol == Protocol::Icmpv6 {
            icmpv6_from_words(description)
        } else {
            icmp_from_words(description, event)
        };
        return;
    }
    if has_ports {
        if first_bare.eq_ignore_ascii_case(b"udp") {
            event.protocol = Protocol::Udp;
            return;
        }
        if first == b"Flags" {
            // tcpdump.org: `Flags [S.], seq 1:49, ack 1, win 512, ..., length 48`.
            event.protocol = Protocol::Tcp;
            let flags = words.next().unwrap_or_default();
            let flags = flags.strip_suffix(b",").unwrap_or(flags);
            let flags = flags.strip_prefix(b"[").unwrap_or(flags);
            let flags = flags.strip_suffix(b"]").unwrap_or(flags);
            event.tcp_flags = Some(tcp_flags_from_letters(flags));
            read_tcp_numbers(payload, event);
            return;
        }
        if !first.is_empty()
            && first
                .iter()
                .all(|b| matches!(b, b'S' | b'F' | b'R' | b'P' | b'W' | b'E' | b'U' | b'.'))
        {
            // Classic BSD: `S 123:123(0) win 16384`, `. ack 1 win 512`, `FP 1:2(1) ack 1`.
            event.protocol = Protocol::Tcp;
            let mut flags = tcp_flags_from_letters(first);
            if memchr::memmem::find(payload, b" ack ").is_some() {
                flags.insert(TcpFlags::ACK);
            }
            event.tcp_flags = Some(flags);
            if let Some(range) = words.next() {
                let end = range
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .unwrap_or(range.len());
                if end > 0 && range.get(end) == Some(&b':') {
                    event.tcp_seq = parse_decimal::<u32>(&range[..end]);
                }
            }
            read_tcp_numbers(payload, event);
            return;
        }
        // Anything else with ports is an application decoder's output (DNS, NTP, SNMP, ...),
        // which tcpdump only runs on UDP here: TCP always starts with its flags.
        event.protocol = if memchr::memmem::find(payload, b"[|tcp]").is_some() {
            Protocol::Tcp
        } else {
            Protocol::Udp
        };
        return;
    }
    if let Some(protocol) = protocol_from_pf_name(first_bare) {
        event.protocol = protocol;
    }
}

/// Reads `win N` and (tcpdump.org) `seq N` out of a TCP description.
fn read_tcp_numbers(payload: &[u8], event: &mut Event<'_>) {
    let mut words = payload
        .split(|&b| b == b' ' || b == b',')
        .filter(|w| !w.is_empty());
    while let Some(word) = words.next() {
        match word {
            b"win" => {
                if let Some(value) = words.next().and_then(parse_decimal::<u32>) {
                    event.tcp_window = Some(value);
                }
            }
            b"seq" => {
                if let Some(value) = words.next() {
                    let end = value.iter().position(|&b| b == b':').unwrap_or(value.len());
                    if let Some(seq) = parse_decimal::<u32>(&value[..end]) {
                        event.tcp_seq = Some(seq);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Maps tcpdump's ICMP descriptions to a type and code (and the quoted packet of an
/// unreachable, when tcpdump names it).
fn icmp_from_words(description: &[u8], event: &mut Event<'_>) -> Option<Icmp> {
    let has = |needle: &[u8]| memchr::memmem::find(description, needle).is_some();
    let (icmp_type, code) = if has(b"echo request") {
        (8, 0)
    } else if has(b"echo reply") {
        (0, 0)
    } else if has(b"unreachable") || has(b"need to frag") {
        let code = if has(b"need to frag") {
            4
        } else if has(b" port ") {
            3
        } else if has(b"protocol") {
            2
        } else if description.starts_with(b"net ") {
            0
        } else if description.starts_with(b"host ") {
            1
        } else if has(b"admin prohibited") && has(b"net") {
            9
        } else {
            13
        };
        // `10.0.0.2 udp port 33434 unreachable`: the quoted destination and port.
        if code == 3 {
            let mut words = description.split(|&b| b == b' ');
            if let (Some(address), Some(protocol), Some(b"port"), Some(port)) =
                (words.next(), words.next(), words.next(), words.next())
            {
                event.embedded = Some(EmbeddedPacket {
                    dst: parse_ip_dropping_zone(address),
                    protocol: protocol_from_pf_name(protocol).unwrap_or_default(),
                    dst_port: parse_decimal::<u16>(port),
                    ..EmbeddedPacket::default()
                });
            }
        }
        (3, code)
    } else if has(b"time exceeded") {
        (11, u8::from(has(b"reassembly")))
    } else if has(b"redirect") {
        // `redirect 192.0.2.9 to host 192.0.2.1` (code 1) or `... to net ...` (code 0).
        (5, u8::from(has(b"to host")))
    } else if has(b"source quench") {
        (4, 0)
    } else if has(b"router advertisement") {
        (9, 0)
    } else if has(b"router solicitation") {
        (10, 0)
    } else if has(b"parameter problem") {
        (12, 0)
    } else if has(b"time stamp request") {
        (13, 0)
    } else if has(b"time stamp reply") {
        (14, 0)
    } else if has(b"address mask request") {
        (17, 0)
    } else if has(b"address mask") {
        (18, 0)
    } else {
        return None;
    };
    Some(Icmp { icmp_type, code })
}

/// Maps tcpdump's ICMPv6 descriptions to a type and code.
fn icmpv6_from_words(description: &[u8]) -> Option<Icmp> {
    let has = |needle: &[u8]| memchr::memmem::find(description, needle).is_some();
    let (icmp_type, code) = if has(b"echo request") {
        (128, 0)
    } else if has(b"echo reply") {
        (129, 0)
    } else if has(b"neighbor sol") {
        (135, 0)
    } else if has(b"neighbor adv") {
        (136, 0)
    } else if has(b"router sol") {
        (133, 0)
    } else if has(b"router adv") {
        (134, 0)
    } else if has(b"packet too big") {
        (2, 0)
    } else if has(b"time exceeded") {
        (3, 0)
    } else if has(b"unreachable") {
        (1, if has(b"port") { 4 } else { 0 })
    } else if has(b"multicast listener report") {
        (131, 0)
    } else {
        return None;
    };
    Some(Icmp { icmp_type, code })
}

/// True when the line looks like OpenBSD `tcpdump -e` output of a pflog file.
pub fn looks_like_tcpdump(line: &[u8]) -> bool {
    let line = trim_line_end(line);
    let Some(rule) = memchr::memmem::find(line, b"rule ") else {
        return false;
    };
    let after = &line[rule + 5..];
    let word_end = memchr::memchr(b' ', after).unwrap_or(after.len());
    is_rule_word(&after[..word_end])
        && memchr::memmem::find(after, b" on ").is_some()
        && memchr::memmem::find(after, b" > ").is_some()
}

/// True when the line looks like either pf format.
pub fn looks_like(line: &[u8]) -> bool {
    looks_like_filterlog(line) || looks_like_tcpdump(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_event(body: &[u8]) -> Result<Event<'_>, Malformed> {
        let mut event = Event::default();
        parse_filterlog_body(body, 0, &mut event).map(|()| event)
    }

    #[test]
    fn filterlog_ipv4_tcp_body() {
        let event = body_event(b"53,,,1000102631,em0,match,block,in,4,0x0,,64,600,0,none,6,tcp,44,10.0.2.2,10.0.2.15,53792,22,0,S,31552001,,65535,,mss").unwrap();
        assert_eq!(event.action, Action::Drop);
        assert_eq!(event.direction, Direction::Inbound);
        assert_eq!(event.in_interface, Some(&b"em0"[..]));
        assert_eq!(event.rule, Some(&b"53,,,1000102631"[..]));
        assert_eq!(event.protocol, Protocol::Tcp);
        assert_eq!(event.ttl, Some(64));
        assert_eq!(event.ip_id, Some(600));
        assert_eq!(event.length, Some(44));
        assert_eq!(event.src, Some("10.0.2.2".parse().unwrap()));
        assert_eq!(event.dst_port, Some(22));
        assert!(event.is_plain_syn());
        assert_eq!(event.tcp_seq, Some(31_552_001));
        assert_eq!(event.tcp_window, Some(65535));
    }

    #[test]
    fn filterlog_bad_fields_are_malformed_with_columns() {
        let body = b"53,,,1,em0,match,block,in,4,0x0,,64,600,0,none,6,tcp,44,10.0.2.2,10.0.2.15,53792,70000,0,S,1,,65535,,";
        let malformed = body_event(body).unwrap_err();
        assert_eq!(malformed.reason, "filterlog destination port is invalid");
        let column = malformed.column.unwrap();
        assert_eq!(&body[column..column + 5], b"70000");
        let malformed = body_event(b"53,,,1,em0,match,block,in,4,0x0,,64,600,0,none,6,tcp,44,10.0.2.299,10.0.2.15,1,2,0,S,1,,1,,").unwrap_err();
        assert_eq!(malformed.reason, "filterlog source address is invalid");
        let malformed = body_event(b"53,,,1,em0,match,block,in,4,0x0,,64").unwrap_err();
        assert_eq!(malformed.reason, "filterlog record is truncated");
    }

    #[test]
    fn tcpdump_endpoints() {
        assert_eq!(
            parse_endpoint(b"192.0.2.1.51234"),
            Some(("192.0.2.1".parse().unwrap(), Some(51234)))
        );
        assert_eq!(
            parse_endpoint(b"2001:db8::1.22"),
            Some(("2001:db8::1".parse().unwrap(), Some(22)))
        );
        assert_eq!(
            parse_endpoint(b"2001:db8::1"),
            Some(("2001:db8::1".parse().unwrap(), None))
        );
        assert_eq!(parse_endpoint(b"192.0.2.1.70000"), None);
    }

    #[test]
    fn tcpdump_clock() {
        assert_eq!(parse_clock(b"10:11:12.123456"), Some((10, 11, 12, 123_456)));
        assert_eq!(parse_clock(b"10:11:12.5"), Some((10, 11, 12, 500_000)));
        assert_eq!(parse_clock(b"10:11:12"), Some((10, 11, 12, 0)));
        assert_eq!(parse_clock(b"10:11"), None);
    }
}
