//! Zeek `conn.log`, in its tab-separated form (with `#separator`, `#fields`, `#types`, ...
//! header lines) and as JSON lines.
//!
//! Zeek is a network monitor, not a firewall: a `conn.log` row summarises one whole connection
//! it saw, not a packet a firewall decided about. A row becomes one event whose packet fields
//! describe the originator's *first* packet, and whose [`Event::session`] carries what the row
//! says about the whole connection:
//! - session: `conn_state` (as a [`ConnState`]; absent or unknown codes give
//!   [`ConnState::Unknown`]), `history` (as a [`History`]: which kinds of packet each side
//!   sent), `orig_pkts`/`resp_pkts`, `orig_bytes`/`resp_bytes` (payload), `orig_ip_bytes`/
//!   `resp_ip_bytes` and `duration`. Every row has a session, whatever its protocol; a count the
//!   row leaves unset (or a TSV count that is not a number) is `None`. Detectors ask the session
//!   whether the connection was answered, established, refused or an unanswered attempt, instead
//!   of guessing from flags;
//! - source = `id.orig_h`/`id.orig_p`, destination = `id.resp_h`/`id.resp_p`. For ICMP, Zeek puts
//!   the type in `id.orig_p` and, in `id.resp_p`, the code of a one-way message or the type of the
//!   expected answer of a request/reply pair (whose code is 0); they become `icmp` instead of
//!   ports;
//! - action: Zeek blocks nothing, so the honest answer is [`Action::Other`] — with one exception:
//!   a connection the responder refused ([`Session::refused`]: `conn_state` `REJ`, a TCP reset
//!   to the SYN, or an `RSTR` whose history shows no SYN-ACK before the reset) is what
//!   [`Action::Reject`] means. `S0` (no answer at all) stays `Other`: silence may be a dropping
//!   firewall elsewhere, or a host that is down, and Zeek cannot tell which;
//! - TCP flags: those of the originator's first packet, read from the first originator letter of
//!   `history` that names packet flags (upper-case letters are the originator's: `S` SYN, `H`
//!   SYN+ACK, `A` ACK, `D` data, taken as ACK, `F` FIN, `R` RST, `Q` SYN with FIN or RST, taken
//!   as SYN+FIN, `I` FIN+RST; `^`, the responder's lower-case letters and `C`, `G`, `T`, `W`
//!   are passed over). Zeek records `F` and `R` without saying whether ACK was set, so they give
//!   FIN or RST alone. Without such a letter the flags come from `conn_state` (`S0`, `REJ`, `SH`
//!   and `RSTOS0` all begin with a lone SYN), else there are none. So a scan probe (`S`, `Sr`)
//!   and a completed session (`ShAdDaFf`) both show a plain SYN, as their first packet was one —
//!   the session tells them apart — and a record joined mid-stream (`DdA`, `^dA`) shows ACK;
//! - direction from `local_orig` / `local_resp` when Zeek knows the local networks: local →
//!   remote is outbound, remote → local inbound; both local or both remote stay unknown;
//! - length: the originator's IP bytes when the connection was a single packet (otherwise there
//!   is no one packet length to report).
//!
//! Test baselines mask `ts` as `XXXXXXXXXX.XXXXXX`: such rows become events without a time.

use std::borrow::Cow;
use std::net::IpAddr;

use fwseen_event::{
    Action, ConnState, Direction, Event, History, HistoryMark, Icmp, Protocol, Session, Side,
    TcpFlags, Timestamp,
};
use serde::Deserialize;

use crate::fields::{parse_decimal, parse_ip_dropping_zone};
use crate::time::parse_rfc3339;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// What a conn.log row says about one connection, with numbers already read.
#[derive(Default)]
struct Connection<'b> {
    time: Option<Timestamp>,
    originator: Option<IpAddr>,
    originator_port: Option<u64>,
    responder: Option<IpAddr>,
    responder_port: Option<u64>,
    protocol: Option<&'b [u8]>,
    conn_state: Option<&'b [u8]>,
    history: Option<&'b [u8]>,
    local_originator: Option<bool>,
    local_responder: Option<bool>,
    originator_packets: Option<u64>,
    responder_packets: Option<u64>,
    originator_bytes: Option<u64>,
    responder_bytes: Option<u64>,
    originator_ip_bytes: Option<u64>,
    responder_ip_bytes: Option<u64>,
    duration_micros: Option<i64>,
    ip_protocol: Option<u64>,
}

/// Turns a connection into an event, or names the field that makes no sense.
fn connection_event(connection: &Connection<'_>) -> Result<Event<'static>, &'static str> {
    let src = connection.originator.ok_or("id.orig_h is missing")?;
    let dst = connection.responder.ok_or("id.resp_h is missing")?;
    let mut event = Event {
        time: connection.time,
        src: Some(src),
        dst: Some(dst),
        ..Event::default()
    };
    let port = |value: Option<u64>, reason: &'static str| -> Result<Option<u16>, &'static str> {
        value
            .map(|v| u16::try_from(v).map_err(|_| reason))
            .transpose()
    };
    let originator_port = port(connection.originator_port, "id.orig_p is out of range")?;
    let responder_port = port(connection.responder_port, "id.resp_p is out of range")?;
    event.protocol = match connection.protocol {
        Some(b"tcp") => Protocol::Tcp,
        Some(b"udp") => Protocol::Udp,
        Some(b"icmp") => {
            if src.is_ipv6() || connection.ip_protocol == Some(58) {
                Protocol::Icmpv6
            } else {
                Protocol::Icmp
            }
        }
        _ => match connection.ip_protocol.and_then(|n| u8::try_from(n).ok()) {
            Some(number) => Protocol::from_number(number),
            None => Protocol::Unknown,
        },
    };
    match event.protocol {
        Protocol::Icmp | Protocol::Icmpv6 => {
            if let (Some(icmp_type), Some(responder_value)) = (originator_port, responder_port) {
                let icmp_type = u8::try_from(icmp_type).map_err(|_| "ICMP type is out of range")?;
                // For request/reply pairs Zeek puts the counterpart type in resp_p (so a ping
                // and its answer share one connection) and the code is always 0; for one-way
                // messages resp_p is the code.
                let code = if is_paired_icmp_type(icmp_type, event.protocol == Protocol::Icmpv6) {
                    0
                } else {
                    u8::try_from(responder_value).map_err(|_| "ICMP code is out of range")?
                };
                event.icmp = Some(Icmp { icmp_type, code });
            }
        }
        _ => {
            event.src_port = originator_port;
            event.dst_port = responder_port;
        }
    }
    let state = connection
        .conn_state
        .map_or(ConnState::Unknown, ConnState::from_code);
    let session = Session {
        state,
        history: connection.history.map_or(History::new(), parse_history),
        orig_packets: connection.originator_packets,
        resp_packets: connection.responder_packets,
        orig_bytes: connection.originator_bytes,
        resp_bytes: connection.responder_bytes,
        orig_ip_bytes: connection.originator_ip_bytes,
        resp_ip_bytes: connection.responder_ip_bytes,
        duration_micros: connection.duration_micros,
    };
    event.action = if session.refused() {
        Action::Reject
    } else {
        Action::Other
    };
    if event.protocol == Protocol::Tcp {
        event.tcp_flags = first_originator_flags(connection.history, state);
    }
    event.session = Some(session);
    event.direction = match (connection.local_originator, connection.local_responder) {
        (Some(true), Some(false)) => Direction::Outbound,
        (Some(false), Some(true)) => Direction::Inbound,
        _ => Direction::Unknown,
    };
    if connection.originator_packets == Some(1) {
        event.length = connection
            .originator_ip_bytes
            .and_then(|bytes| u32::try_from(bytes).ok());
    }
    Ok(event)
}

/// True for the ICMP types Zeek pairs with a counterpart type (echo, timestamp, information,
/// address mask and router discovery for ICMP; echo, listener query/report, router and neighbour
/// discovery and node information for ICMPv6).
fn is_paired_icmp_type(icmp_type: u8, version_6: bool) -> bool {
    if version_6 {
        matches!(icmp_type, 128 | 129 | 130 | 131 | 133..=136 | 139 | 140)
    } else {
        matches!(icmp_type, 0 | 8 | 9 | 10 | 13..=18)
    }
}

/// The TCP flags of the originator's first packet: from the first originator letter of
/// `history` that names flags, else from `conn_state` (states that begin with a lone SYN).
fn first_originator_flags(history: Option<&[u8]>, state: ConnState) -> Option<TcpFlags> {
    for &letter in history.unwrap_or_default() {
        let flags = match letter {
            b'S' => TcpFlags::SYN,
            b'H' => TcpFlags::SYN | TcpFlags::ACK,
            // A payload packet: Zeek does not say, but data segments carry ACK.
            b'A' | b'D' => TcpFlags::ACK,
            b'F' => TcpFlags::FIN,
            b'R' => TcpFlags::RST,
            // SYN with FIN or RST (or both); SYN+FIN is the scanner's combination.
            b'Q' => TcpFlags::SYN | TcpFlags::FIN,
            b'I' => TcpFlags::FIN | TcpFlags::RST,
            // `^`, the responder's letters, and checksum, gap, retransmission and window marks.
            _ => continue,
        };
        return Some(flags);
    }
    match state {
        ConnState::S0 | ConnState::Rej | ConnState::Sh | ConnState::Rstos0 => Some(TcpFlags::SYN),
        _ => None,
    }
}

/// Reads Zeek's `history` letters into the set of packet kinds each side sent. Letters this
/// version does not know are passed over.
fn parse_history(letters: &[u8]) -> History {
    let mut history = History::new();
    for &letter in letters {
        if letter == b'^' {
            history.set_flipped(true);
            continue;
        }
        let side = if letter.is_ascii_uppercase() {
            Side::Originator
        } else {
            Side::Responder
        };
        let upper = letter.to_ascii_uppercase();
        if let Some(mark) = HistoryMark::ALL
            .into_iter()
            .find(|mark| mark.letter() == upper)
        {
            history.insert(side, mark);
        }
    }
    history
}

/// Reads unsigned decimal seconds as Zeek writes `time` and `interval` values (`1521911721.255387`,
/// `0.000486`, `3`: up to 12 integer digits, an optional fraction of which six digits are kept)
/// as microseconds. `None` for anything else, negative durations included.
fn parse_decimal_seconds(text: &[u8]) -> Option<i64> {
    let (seconds, fraction) = match memchr::memchr(b'.', text) {
        Some(dot) => (&text[..dot], &text[dot + 1..]),
        None => (text, &b""[..]),
    };
    if seconds.is_empty() || seconds.len() > 12 || !seconds.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if !fraction.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // At most twelve digits: no overflow below.
    let whole = seconds
        .iter()
        .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
    let mut micros: i64 = 0;
    for index in 0..6 {
        micros = micros * 10 + fraction.get(index).map_or(0, |&d| i64::from(d - b'0'));
    }
    Some(whole * 1_000_000 + micros)
}

/// A JSON `duration` (seconds) as microseconds; `None` when negative or absurdly large.
fn seconds_to_micros(seconds: f64) -> Option<i64> {
    let micros = (seconds * 1_000_000.0).round();
    (micros.is_finite() && (0.0..9.0e18).contains(&micros)).then_some(micros as i64)
}

/// Reads a Zeek `time` value (`1521911721.255387`) as a timestamp. Returns `Ok(None)` for a
/// masked value (`XXXXXXXXXX.XXXXXX`), `Err` for anything else that is not a time.
fn parse_epoch_seconds(text: &[u8]) -> Result<Option<Timestamp>, ()> {
    if !text.is_empty() && text.iter().all(|&b| b == b'X' || b == b'.') {
        return Ok(None);
    }
    let unix_micros = parse_decimal_seconds(text).ok_or(())?;
    Ok(Some(Timestamp {
        unix_micros,
        original_offset_seconds: None,
    }))
}

// ---------------------------------------------------------------------------------------------
// Tab-separated.
// ---------------------------------------------------------------------------------------------

/// The conn.log columns this parser reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Time,
    OriginatorAddress,
    OriginatorPort,
    ResponderAddress,
    ResponderPort,
    Protocol,
    ConnState,
    LocalOriginator,
    LocalResponder,
    History,
    Duration,
    OriginatorPackets,
    ResponderPackets,
    OriginatorBytes,
    ResponderBytes,
    OriginatorIpBytes,
    ResponderIpBytes,
    IpProtocol,
    Ignored,
}

impl Column {
    fn from_name(name: &[u8]) -> Column {
        match name {
            b"ts" => Column::Time,
            b"id.orig_h" => Column::OriginatorAddress,
            b"id.orig_p" => Column::OriginatorPort,
            b"id.resp_h" => Column::ResponderAddress,
            b"id.resp_p" => Column::ResponderPort,
            b"proto" => Column::Protocol,
            b"conn_state" => Column::ConnState,
            b"local_orig" => Column::LocalOriginator,
            b"local_resp" => Column::LocalResponder,
            b"history" => Column::History,
            b"duration" => Column::Duration,
            b"orig_pkts" => Column::OriginatorPackets,
            b"resp_pkts" => Column::ResponderPackets,
            b"orig_bytes" => Column::OriginatorBytes,
            b"resp_bytes" => Column::ResponderBytes,
            b"orig_ip_bytes" => Column::OriginatorIpBytes,
            b"resp_ip_bytes" => Column::ResponderIpBytes,
            b"ip_proto" => Column::IpProtocol,
            _ => Column::Ignored,
        }
    }
}

/// The conn.log column names of Zeek's default layout, used until a `#fields` line is seen.
const DEFAULT_FIELDS: &[&[u8]] = &[
    b"ts",
    b"uid",
    b"id.orig_h",
    b"id.orig_p",
    b"id.resp_h",
    b"id.resp_p",
    b"proto",
    b"service",
    b"duration",
    b"orig_bytes",
    b"resp_bytes",
    b"conn_state",
    b"local_orig",
    b"local_resp",
    b"missed_bytes",
    b"history",
    b"orig_pkts",
    b"orig_ip_bytes",
    b"resp_pkts",
    b"resp_ip_bytes",
    b"tunnel_parents",
];

const MAX_COLUMNS: usize = 64;
const MAX_MARKER: usize = 16;

/// A short marker string (`-`, `(empty)`) kept without allocating.
#[derive(Clone, Copy)]
struct Marker {
    bytes: [u8; MAX_MARKER],
    len: usize,
}

impl Marker {
    fn new(text: &[u8]) -> Marker {
        let mut bytes = [0; MAX_MARKER];
        let len = text.len().min(MAX_MARKER);
        bytes[..len].copy_from_slice(&text[..len]);
        Marker { bytes, len }
    }

    fn matches(&self, text: &[u8]) -> bool {
        &self.bytes[..self.len] == text
    }
}

/// Reads tab-separated `conn.log` lines, driven by their header.
pub struct ZeekTsvParser {
    columns: [Column; MAX_COLUMNS],
    column_count: usize,
    /// True when a `#fields` line has been read (rows must then have exactly that many fields).
    header_seen: bool,
    separator: u8,
    unset: Marker,
    empty: Marker,
    /// False when `#path` names another log than `conn`, or `#fields` lacks the addresses.
    is_connection_log: bool,
}

impl ZeekTsvParser {
    pub fn new(_time: TimeContext) -> Self {
        // Zeek writes epoch seconds: no zone or year to resolve, so the context is not kept.
        let mut parser = Self {
            columns: [Column::Ignored; MAX_COLUMNS],
            column_count: 0,
            header_seen: false,
            separator: b'\t',
            unset: Marker::new(b"-"),
            empty: Marker::new(b"(empty)"),
            is_connection_log: true,
        };
        for (index, name) in DEFAULT_FIELDS.iter().enumerate() {
            parser.columns[index] = Column::from_name(name);
        }
        parser.column_count = DEFAULT_FIELDS.len();
        parser
    }

    fn read_header(&mut self, line: &[u8]) {
        if let Some(value) = line.strip_prefix(b"#separator ") {
            if let Some(separator) = parse_separator(value.trim_ascii()) {
                self.separator = separator;
            }
            // `#separator` opens the header of a new log: what the previous one said is over.
            self.is_connection_log = true;
            return;
        }
        let mut parts = line.split(|&b| b == self.separator);
        let key = parts.next().unwrap_or_default();
        match key {
            b"#fields" => {
                let mut count = 0;
                let mut has_addresses = 0;
                for name in parts {
                    if count == MAX_COLUMNS {
                        break;
                    }
                    let column = Column::from_name(name);
                    if matches!(column, Column::OriginatorAddress | Column::ResponderAddress) {
                        has_addresses += 1;
                    }
                    self.columns[count] = column;
                    count += 1;
                }
                self.column_count = count;
                self.header_seen = true;
                self.is_connection_log = self.is_connection_log && has_addresses == 2;
            }
            b"#path" => {
                let path = parts.next().unwrap_or_default();
                self.is_connection_log = path == b"conn";
            }
            b"#unset_field" => self.unset = Marker::new(parts.next().unwrap_or_default()),
            b"#empty_field" => self.empty = Marker::new(parts.next().unwrap_or_default()),
            _ => {}
        }
    }

    fn parse_row<'a>(&self, line: &'a [u8]) -> Record<'a> {
        let mut connection = Connection::default();
        let mut count = 0;
        let mut position = 0;
        for field in line.split(|&b| b == self.separator) {
            let start = position;
            position += field.len() + 1;
            let column = if count < self.column_count {
                self.columns[count]
            } else {
                Column::Ignored
            };
            count += 1;
            if self.unset.matches(field) || self.empty.matches(field) {
                continue;
            }
            let bad = |reason: &'static str| Record::Malformed(Malformed::at(reason, start));
            match column {
                Column::Time => match parse_epoch_seconds(field) {
                    Ok(time) => connection.time = time,
                    Err(()) => return bad("ts is not a time"),
                },
                Column::OriginatorAddress => match parse_ip_dropping_zone(field) {
                    Some(address) => connection.originator = Some(address),
                    None => return bad("id.orig_h is not an address"),
                },
                Column::ResponderAddress => match parse_ip_dropping_zone(field) {
                    Some(address) => connection.responder = Some(address),
                    None => return bad("id.resp_h is not an address"),
                },
                Column::OriginatorPort => match parse_decimal::<u64>(field) {
                    Some(port) if port <= 65535 => connection.originator_port = Some(port),
                    _ => return bad("id.orig_p is not a port"),
                },
                Column::ResponderPort => match parse_decimal::<u64>(field) {
                    Some(port) if port <= 65535 => connection.responder_port = Some(port),
                    _ => return bad("id.resp_p is not a port"),
                },
                Column::Protocol => connection.protocol = Some(field),
                Column::ConnState => connection.conn_state = Some(field),
                Column::History => connection.history = Some(field),
                Column::LocalOriginator => connection.local_originator = parse_bool(field),
                Column::LocalResponder => connection.local_responder = parse_bool(field),
                Column::OriginatorPackets => {
                    connection.originator_packets = parse_decimal::<u64>(field)
                }
                Column::ResponderPackets => {
                    connection.responder_packets = parse_decimal::<u64>(field)
                }
                Column::OriginatorBytes => {
                    connection.originator_bytes = parse_decimal::<u64>(field)
                }
                Column::ResponderBytes => connection.responder_bytes = parse_decimal::<u64>(field),
                Column::OriginatorIpBytes => {
                    connection.originator_ip_bytes = parse_decimal::<u64>(field)
                }
                Column::ResponderIpBytes => {
                    connection.responder_ip_bytes = parse_decimal::<u64>(field)
                }
                Column::Duration => connection.duration_micros = parse_decimal_seconds(field),
                Column::IpProtocol => connection.ip_protocol = parse_decimal::<u64>(field),
                Column::Ignored => {}
            }
        }
        if count < self.column_count {
            return Record::Malformed(Malformed::at("conn.log row is truncated", line.len()));
        }
        if self.header_seen && count > self.column_count {
            return Record::Malformed(Malformed::at(
                "conn.log row has more fields than #fields names",
                line.len(),
            ));
        }
        match connection_event(&connection) {
            Ok(event) => Record::Event(event),
            Err(reason) => Record::Malformed(Malformed::new(reason)),
        }
    }
}

/// Reads `\x09` (Zeek's escaped form) or a literal single byte.
fn parse_separator(value: &[u8]) -> Option<u8> {
    if let Some(hex) = value.strip_prefix(b"\\x") {
        if hex.len() == 2 {
            let text = std::str::from_utf8(hex).ok()?;
            return u8::from_str_radix(text, 16).ok();
        }
        return None;
    }
    match value {
        [single] => Some(*single),
        _ => None,
    }
}

fn parse_bool(text: &[u8]) -> Option<bool> {
    match text {
        b"T" | b"true" => Some(true),
        b"F" | b"false" => Some(false),
        _ => None,
    }
}

impl Format for ZeekTsvParser {
    fn kind(&self) -> FormatKind {
        FormatKind::ZeekTsv
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return Record::Skipped(SkipReason::Blank);
        }
        if line[0] == b'#' {
            self.read_header(line);
            return Record::Skipped(SkipReason::Header);
        }
        if !self.is_connection_log {
            return Record::Skipped(SkipReason::NotPacket);
        }
        self.parse_row(line)
    }
}

/// True when the line looks like a Zeek TSV log line: one of its header lines, or a conn.log row
/// (a `ts` then a uid, tab-separated).
pub fn looks_like_tsv(line: &[u8]) -> bool {
    if line.starts_with(b"#separator ") || line.starts_with(b"#fields\t") {
        return true;
    }
    let mut fields = line.split(|&b| b == b'\t');
    let (Some(ts), Some(uid), Some(originator)) = (fields.next(), fields.next(), fields.next())
    else {
        return false;
    };
    parse_epoch_seconds(ts).is_ok()
        && uid.first() == Some(&b'C')
        && parse_ip_dropping_zone(originator).is_some()
}

// ---------------------------------------------------------------------------------------------
// JSON lines.
// ---------------------------------------------------------------------------------------------

/// A time as Zeek's JSON writer prints it: epoch seconds, or ISO 8601 text with
/// `LogAscii::json_timestamps` set.
#[derive(Deserialize)]
#[serde(untagged)]
enum JsonTime<'a> {
    Seconds(f64),
    Text(#[serde(borrow)] Cow<'a, str>),
}

/// The nested form of the connection id (`"id": {"orig_h": ...}`) some pipelines produce.
#[derive(Deserialize, Default)]
struct JsonId<'a> {
    #[serde(borrow)]
    orig_h: Option<Cow<'a, str>>,
    orig_p: Option<u64>,
    #[serde(borrow)]
    resp_h: Option<Cow<'a, str>>,
    resp_p: Option<u64>,
}

/// The conn.log fields this parser reads from a JSON line; others are ignored.
#[derive(Deserialize)]
struct JsonConnection<'a> {
    #[serde(borrow)]
    ts: Option<JsonTime<'a>>,
    #[serde(rename = "id.orig_h", borrow)]
    orig_h: Option<Cow<'a, str>>,
    #[serde(rename = "id.orig_p")]
    orig_p: Option<u64>,
    #[serde(rename = "id.resp_h", borrow)]
    resp_h: Option<Cow<'a, str>>,
    #[serde(rename = "id.resp_p")]
    resp_p: Option<u64>,
    #[serde(borrow)]
    id: Option<JsonId<'a>>,
    #[serde(borrow)]
    proto: Option<Cow<'a, str>>,
    #[serde(borrow)]
    conn_state: Option<Cow<'a, str>>,
    #[serde(borrow)]
    history: Option<Cow<'a, str>>,
    local_orig: Option<bool>,
    local_resp: Option<bool>,
    duration: Option<f64>,
    orig_pkts: Option<u64>,
    resp_pkts: Option<u64>,
    orig_bytes: Option<u64>,
    resp_bytes: Option<u64>,
    orig_ip_bytes: Option<u64>,
    resp_ip_bytes: Option<u64>,
    ip_proto: Option<u64>,
    #[serde(rename = "_path", borrow)]
    path: Option<Cow<'a, str>>,
}

/// Reads Zeek `conn.log` JSON lines (one object per line).
pub struct ZeekJsonParser {}

impl ZeekJsonParser {
    pub fn new(_time: TimeContext) -> Self {
        // Zeek JSON times carry their zone (epoch seconds or ISO 8601 with `Z`).
        Self {}
    }
}

impl Format for ZeekJsonParser {
    fn kind(&self) -> FormatKind {
        FormatKind::ZeekJson
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return Record::Skipped(SkipReason::Blank);
        }
        let trimmed_start = line
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
        if line[trimmed_start] != b'{' {
            return Record::Malformed(Malformed::at("not a JSON object", trimmed_start));
        }
        let record: JsonConnection<'_> = match serde_json::from_slice(line) {
            Ok(record) => record,
            Err(error) => {
                // serde_json counts columns from 1; a line has a single line.
                let column = error.column().saturating_sub(1).min(line.len());
                let reason = match error.classify() {
                    serde_json::error::Category::Data => "a conn.log field has the wrong type",
                    serde_json::error::Category::Eof => "JSON object is truncated",
                    _ => "not valid JSON",
                };
                return Record::Malformed(Malformed::at(reason, column));
            }
        };
        json_record(&record)
    }
}

fn json_record(record: &JsonConnection<'_>) -> Record<'static> {
    if record.path.as_deref().is_some_and(|path| path != "conn") {
        return Record::Skipped(SkipReason::NotPacket);
    }
    let nested = record.id.as_ref();
    let originator = record
        .orig_h
        .as_deref()
        .or(nested.and_then(|id| id.orig_h.as_deref()));
    let responder = record
        .resp_h
        .as_deref()
        .or(nested.and_then(|id| id.resp_h.as_deref()));
    let (Some(originator), Some(responder)) = (originator, responder) else {
        // Another Zeek log (dns, http, ...) or a line without a connection id.
        return Record::Skipped(SkipReason::NotPacket);
    };
    let Some(originator) = parse_ip_dropping_zone(originator.as_bytes()) else {
        return Record::Malformed(Malformed::new("id.orig_h is not an address"));
    };
    let Some(responder) = parse_ip_dropping_zone(responder.as_bytes()) else {
        return Record::Malformed(Malformed::new("id.resp_h is not an address"));
    };
    let time = match &record.ts {
        None => None,
        Some(JsonTime::Seconds(seconds)) => {
            let micros = (seconds * 1_000_000.0).round();
            if !micros.is_finite() {
                return Record::Malformed(Malformed::new("ts is not a time"));
            }
            // The float-to-integer conversion saturates; a `ts` of -9e12 or 9e12 seconds lies
            // outside the time window, which `Format::parse` enforces.
            Some(Timestamp::from_unix_micros(micros as i64))
        }
        Some(JsonTime::Text(text)) => match parse_epoch_seconds(text.as_bytes()) {
            Ok(time) => time,
            Err(()) => match parse_rfc3339(text.as_bytes()) {
                Some(time) => Some(time),
                None => return Record::Malformed(Malformed::new("ts is not a time")),
            },
        },
    };
    let connection = Connection {
        time,
        originator: Some(originator),
        originator_port: record.orig_p.or(nested.and_then(|id| id.orig_p)),
        responder: Some(responder),
        responder_port: record.resp_p.or(nested.and_then(|id| id.resp_p)),
        protocol: record.proto.as_deref().map(str::as_bytes),
        conn_state: record.conn_state.as_deref().map(str::as_bytes),
        history: record.history.as_deref().map(str::as_bytes),
        local_originator: record.local_orig,
        local_responder: record.local_resp,
        originator_packets: record.orig_pkts,
        responder_packets: record.resp_pkts,
        originator_bytes: record.orig_bytes,
        responder_bytes: record.resp_bytes,
        originator_ip_bytes: record.orig_ip_bytes,
        responder_ip_bytes: record.resp_ip_bytes,
        duration_micros: record.duration.and_then(seconds_to_micros),
        ip_protocol: record.ip_proto,
    };
    match connection_event(&connection) {
        Ok(event) => Record::Event(event),
        Err(reason) => Record::Malformed(Malformed::new(reason)),
    }
}

/// True when the line looks like a Zeek JSON log line with a connection id.
pub fn looks_like_json(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    line.first() == Some(&b'{')
        && (memchr::memmem::find(line, b"\"id.orig_h\"").is_some()
            || memchr::memmem::find(line, b"\"orig_h\"").is_some())
        && memchr::memmem::find(line, b"\"ts\"").is_some()
}

/// True when the line looks like either Zeek form.
pub fn looks_like(line: &[u8]) -> bool {
    looks_like_tsv(line) || looks_like_json(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds() {
        let time = parse_epoch_seconds(b"1521911721.255387").unwrap().unwrap();
        assert_eq!(time.unix_micros, 1_521_911_721_255_387);
        assert_eq!(parse_epoch_seconds(b"XXXXXXXXXX.XXXXXX"), Ok(None));
        assert_eq!(parse_epoch_seconds(b"12a.5"), Err(()));
        assert_eq!(parse_epoch_seconds(b""), Err(()));
    }

    #[test]
    fn flags_of_the_first_originator_packet() {
        let flags =
            |history: Option<&[u8]>, state: ConnState| first_originator_flags(history, state);
        assert_eq!(flags(Some(b"S"), ConnState::S0), Some(TcpFlags::SYN));
        assert_eq!(flags(Some(b"Sr"), ConnState::Rej), Some(TcpFlags::SYN));
        // A completed session began with a SYN: not the union SYN+ACK+FIN.
        assert_eq!(flags(Some(b"ShADadFf"), ConnState::SF), Some(TcpFlags::SYN));
        // Mid-stream records begin with data or an ACK; a flip mark and responder letters
        // before the originator's first letter are passed over.
        assert_eq!(flags(Some(b"DdAaFf"), ConnState::SF), Some(TcpFlags::ACK));
        assert_eq!(flags(Some(b"^dA"), ConnState::Oth), Some(TcpFlags::ACK));
        assert_eq!(flags(Some(b"^hADad"), ConnState::S1), Some(TcpFlags::ACK));
        assert_eq!(
            flags(Some(b"HA"), ConnState::Oth),
            Some(TcpFlags::SYN | TcpFlags::ACK)
        );
        assert_eq!(flags(Some(b"CS"), ConnState::S0), Some(TcpFlags::SYN));
        assert_eq!(flags(Some(b"F"), ConnState::Oth), Some(TcpFlags::FIN));
        assert_eq!(
            flags(Some(b"Q"), ConnState::Oth),
            Some(TcpFlags::SYN | TcpFlags::FIN)
        );
        assert_eq!(
            flags(Some(b"I"), ConnState::Oth),
            Some(TcpFlags::FIN | TcpFlags::RST)
        );
        // Without an originator letter, the state.
        assert_eq!(flags(None, ConnState::S0), Some(TcpFlags::SYN));
        assert_eq!(flags(Some(b""), ConnState::Rstos0), Some(TcpFlags::SYN));
        assert_eq!(flags(Some(b"d"), ConnState::Sh), Some(TcpFlags::SYN));
        assert_eq!(flags(None, ConnState::SF), None);
        assert_eq!(flags(Some(b"^d"), ConnState::Oth), None);
    }

    #[test]
    fn histories() {
        let history = parse_history(b"^ShADadTtFfx");
        assert!(history.flipped());
        for mark in [
            HistoryMark::Syn,
            HistoryMark::Ack,
            HistoryMark::Data,
            HistoryMark::Retransmission,
            HistoryMark::Fin,
        ] {
            assert!(history.contains(Side::Originator, mark), "{mark:?}");
        }
        assert!(!history.contains(Side::Originator, HistoryMark::SynAck));
        assert!(history.contains(Side::Responder, HistoryMark::SynAck));
        assert!(!history.contains(Side::Responder, HistoryMark::Syn));
        assert_eq!(format!("{history:?}"), "History(^SADFT|hadft)");
        assert!(parse_history(b"").is_empty());
    }

    #[test]
    fn decimal_seconds() {
        assert_eq!(parse_decimal_seconds(b"0.000486"), Some(486));
        assert_eq!(parse_decimal_seconds(b"12.5"), Some(12_500_000));
        assert_eq!(parse_decimal_seconds(b"3"), Some(3_000_000));
        assert_eq!(parse_decimal_seconds(b"1.0000009"), Some(1_000_000));
        assert_eq!(parse_decimal_seconds(b"-1.0"), None);
        assert_eq!(parse_decimal_seconds(b"1e-05"), None);
        assert_eq!(parse_decimal_seconds(b""), None);
        assert_eq!(parse_decimal_seconds(b".5"), None);
        assert_eq!(seconds_to_micros(1.5), Some(1_500_000));
        assert_eq!(seconds_to_micros(0.000486), Some(486));
        assert_eq!(seconds_to_micros(-0.1), None);
        assert_eq!(seconds_to_micros(1e300), None);
    }

    #[test]
    fn separators() {
        assert_eq!(parse_separator(b"\\x09"), Some(b'\t'));
        assert_eq!(parse_separator(b","), Some(b','));
        assert_eq!(parse_separator(b"\\x9"), None);
    }
}
