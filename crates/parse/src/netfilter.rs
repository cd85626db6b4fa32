//! Linux netfilter `LOG` lines: iptables, ip6tables, nftables `log`, ufw, firewalld, Shorewall,
//! OpenWRT, Proxmox, UniFi.
//!
//! The kernel prints every logged packet as `PREFIX IN=eth0 OUT= MAC=... SRC=... DST=... LEN=...`
//! followed by protocol fields. The same body reaches us in many wrappers, all handled here:
//! - any syslog header [`crate::syslog`] understands (RFC 3164, RFC 5424, RFC 3339 high precision,
//!   `journalctl -o short-iso` and `-o short-precise`), usually with a `kernel: [ 123.456]` stamp;
//! - `journalctl -o json` lines (`MESSAGE`, `__REALTIME_TIMESTAMP`, `_HOSTNAME`); the message is
//!   borrowed as written, without unescaping: the packet fields never contain JSON escapes, and a
//!   rule label that does (`DESCR=\"...\"`) keeps them;
//! - `dmesg` output (`[ 1234.567890] ...`, no wall-clock time) and `dmesg -T`
//!   (`[Tue Jan  2 03:04:05 2024] ...`, local time);
//! - Proxmox `pve-firewall` lines (`0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0200 policy DROP: ...`);
//! - the bare kernel message.
//!
//! The text before `IN=` is the log prefix the administrator configured; it becomes the rule
//! label and decides the action (`DROP`, `[UFW BLOCK]`, `FINAL_REJECT`, ...). Lines of other
//! programs in a mixed syslog file are skipped, not malformed.
//!
//! Performance: no allocation per line (the JSON parser may allocate for journal lines with
//! escaped keys), memchr/memmem find the header parts and the start of the fields, one pass over
//! the bytes splits the fields, and the line is never validated as UTF-8 as a whole.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use fwseen_event::{Action, Direction, EmbeddedPacket, Event, Icmp, Protocol, TcpFlags, Timestamp};
use memchr::memmem;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::syslog::split_header;
use crate::time::{digits_at, month_from_abbrev, parse_offset, TimeContext};
use crate::{Format, FormatKind, Malformed, Record, SkipReason};

/// Parses netfilter `LOG` lines in any of the wrappers listed in the module documentation.
pub struct NetfilterParser {
    time: TimeContext,
    out_finder: memmem::Finder<'static>,
    /// The last few rule labels and their actions: logs repeat a handful of prefixes (often
    /// taking turns, `INPUT DROP` then `FORWARD ACCEPT`), so the words of a label are looked at
    /// once, not once per line.
    cached_labels: [CachedLabel; CACHED_LABELS],
    /// The slot the next new label replaces (round robin).
    next_cached_slot: usize,
}

/// Labels up to this long are cached.
const CACHED_LABEL_CAPACITY: usize = 64;
/// How many labels are cached.
const CACHED_LABELS: usize = 4;

/// One remembered rule label and the action it decides.
#[derive(Clone, Copy)]
struct CachedLabel {
    bytes: [u8; CACHED_LABEL_CAPACITY],
    /// Length of `bytes`, or `usize::MAX` when the slot is empty.
    length: usize,
    action: Action,
}

impl CachedLabel {
    const EMPTY: CachedLabel = CachedLabel {
        bytes: [0; CACHED_LABEL_CAPACITY],
        length: usize::MAX,
        action: Action::Other,
    };
}

impl NetfilterParser {
    pub fn new(time: TimeContext) -> Self {
        Self {
            time,
            out_finder: memmem::Finder::new(b" OUT=").into_owned(),
            cached_labels: [CachedLabel::EMPTY; CACHED_LABELS],
            next_cached_slot: 0,
        }
    }

    /// [`action_from_label`], remembered for the last few labels.
    fn action_for(&mut self, label: &[u8]) -> Action {
        let length = label.len();
        for cached in &self.cached_labels {
            if cached.length == length && cached.bytes[..length] == *label {
                return cached.action;
            }
        }
        let action = action_from_label(label);
        if length <= CACHED_LABEL_CAPACITY {
            let slot = &mut self.cached_labels[self.next_cached_slot];
            slot.bytes[..length].copy_from_slice(label);
            slot.length = length;
            slot.action = action;
            self.next_cached_slot = (self.next_cached_slot + 1) % CACHED_LABELS;
        }
        action
    }
}

impl Format for NetfilterParser {
    fn kind(&self) -> FormatKind {
        FormatKind::Netfilter
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return Record::Skipped(SkipReason::Blank);
        }
        let framed = match self.frame(line) {
            Ok(framed) => framed,
            Err(settled) => return settled.into_record(),
        };
        self.parse_packet(line, framed)
    }
}

/// True when the line looks like a netfilter packet line (in any wrapper).
pub fn looks_like(line: &[u8]) -> bool {
    let has_interface =
        memmem::find(line, b"IN=").is_some() || memmem::find(line, b"OUT=").is_some();
    has_interface
        && memmem::find(line, b" SRC=").is_some()
        && memmem::find(line, b" DST=").is_some()
}

/// What the wrapper around the kernel message told us.
struct Framed<'a> {
    time: Option<Timestamp>,
    observer: Option<&'a [u8]>,
    /// The kernel message: the log prefix and the packet fields.
    message: &'a [u8],
    /// A label to use when the prefix is empty (the Proxmox chain).
    fallback_rule: Option<&'a [u8]>,
    /// True when no wrapper was recognised: the prefix may then still hold a header we could not
    /// read (for example a file name before the syslog time), cut at `kernel: `.
    bare: bool,
}

impl<'a> Framed<'a> {
    fn plain(message: &'a [u8]) -> Framed<'a> {
        Framed {
            time: None,
            observer: None,
            message,
            fallback_rule: None,
            bare: false,
        }
    }
}

/// A line settled while reading its wrapper: not a packet line, or a broken wrapper.
enum Settled {
    Skipped(SkipReason),
    Malformed(Malformed),
}

impl Settled {
    fn into_record<'a>(self) -> Record<'a> {
        match self {
            Settled::Skipped(reason) => Record::Skipped(reason),
            Settled::Malformed(malformed) => Record::Malformed(malformed),
        }
    }
}

/// The fields of a `journalctl -o json` line that matter here, borrowed raw (still escaped).
#[derive(Deserialize)]
struct JournalEntry<'a> {
    #[serde(rename = "MESSAGE", borrow, default)]
    message: Option<&'a RawValue>,
    #[serde(rename = "__REALTIME_TIMESTAMP", borrow, default)]
    realtime: Option<&'a RawValue>,
    #[serde(rename = "_HOSTNAME", borrow, default)]
    hostname: Option<&'a RawValue>,
}

/// The inside of a raw JSON string (`"abc"` → `abc`, escapes left as written).
fn raw_json_string(raw: &RawValue) -> Option<&[u8]> {
    raw.get()
        .as_bytes()
        .strip_prefix(b"\"")
        .and_then(|inner| inner.strip_suffix(b"\""))
}

/// Where `inner` starts inside `outer` (it must be a sub-slice of it).
fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

impl NetfilterParser {
    /// Finds the wrapper and returns the kernel message inside it, or the record to return when
    /// the line is settled already (a journal entry of another program, broken JSON).
    fn frame<'a>(&mut self, line: &'a [u8]) -> Result<Framed<'a>, Settled> {
        match line[0] {
            b'{' => frame_journal_json(line),
            b'[' => Ok(match dmesg_stamp(line, &self.time) {
                Some((time, message)) => Framed {
                    time,
                    ..Framed::plain(message)
                },
                None => Framed::plain(line),
            }),
            _ => {
                if let Some(header) = split_header(line, &mut self.time) {
                    let message = match dmesg_stamp(header.message, &self.time) {
                        Some((_, rest)) => rest,
                        None => header.message,
                    };
                    return Ok(Framed {
                        time: header.time,
                        observer: header.host,
                        ..Framed::plain(message)
                    });
                }
                if let Some(framed) = frame_proxmox(line) {
                    return Ok(framed);
                }
                Ok(Framed {
                    bare: true,
                    ..Framed::plain(line)
                })
            }
        }
    }

    fn parse_packet<'a>(&mut self, line: &'a [u8], framed: Framed<'a>) -> Record<'a> {
        let message = framed.message;
        let Some(anchor) = self.find_fields_start(message) else {
            return Record::Skipped(SkipReason::OtherProgram);
        };
        let mut label = trim(&message[..anchor]);
        if framed.bare {
            if let Some(kernel) = memmem::find(label, b"kernel: ") {
                label = &label[kernel + 8..];
            }
            // A dmesg stamp after some unknown header (`kern  :warn  : [ 12.5] `, from
            // `dmesg -x`) ends the header.
            for open in memchr::memchr_iter(b'[', label) {
                if let Some((_, rest)) = dmesg_stamp(&label[open..], &self.time) {
                    label = rest;
                    break;
                }
            }
            label = trim(label);
        }
        let rule = if label.is_empty() {
            framed.fallback_rule
        } else {
            Some(label)
        };
        let mut event = Event {
            time: framed.time,
            observer: framed.observer,
            action: rule.map_or(Action::Other, |rule| self.action_for(rule)),
            rule,
            ..Event::default()
        };
        let base = offset_in(line, message);
        match scan_fields(&message[anchor..], base + anchor, &mut event) {
            Ok(()) => Record::Event(event),
            Err(FieldsError::NoAddresses) => Record::Skipped(SkipReason::NotPacket),
            Err(FieldsError::Malformed(malformed)) => Record::Malformed(malformed),
        }
    }

    /// Where the packet fields start: at `IN=` (which may be glued to a prefix without a trailing
    /// space, `DROPIN=eth0`), or at `OUT=` for writers that leave `IN=` out (Proxmox output
    /// chains). When the word before `OUT=` is another `key=value` (an `IN=` damaged in transit),
    /// the fields start at that word: the packet is still all there, and the damaged word is not
    /// a rule label. `None` when the message is not a packet line.
    fn find_fields_start(&self, message: &[u8]) -> Option<usize> {
        if message.starts_with(b"OUT=") {
            return Some(0);
        }
        if let Some(space) = self.out_finder.find(message) {
            let token_start = memchr::memrchr(b' ', &message[..space]).map_or(0, |s| s + 1);
            let token = &message[token_start..space];
            return Some(match token.windows(3).position(|window| window == b"IN=") {
                Some(index) => token_start + index,
                None if memchr::memchr(b'=', token).is_some() => token_start,
                None => space + 1,
            });
        }
        // Without `OUT=`, accept an `IN=` at the start of a word, followed by `SRC=`.
        let mut search_from = 0;
        while let Some(found) = memmem::find(&message[search_from..], b"IN=") {
            let index = search_from + found;
            let at_word_start = index == 0 || matches!(message[index - 1], b' ' | b':' | b']');
            if at_word_start && memmem::find(&message[index..], b"SRC=").is_some() {
                return Some(index);
            }
            search_from = index + 3;
        }
        None
    }
}

/// Reads a `journalctl -o json` line.
fn frame_journal_json(line: &[u8]) -> Result<Framed<'_>, Settled> {
    let entry: JournalEntry<'_> = serde_json::from_slice(line)
        .map_err(|_| Settled::Malformed(Malformed::new("invalid journal JSON")))?;
    let Some(raw_message) = entry.message else {
        return Err(Settled::Skipped(SkipReason::OtherProgram));
    };
    let Some(message) = raw_json_string(raw_message) else {
        // journald writes messages that are not valid UTF-8 as arrays of numbers.
        if raw_message.get().starts_with('[') {
            return Err(Settled::Malformed(Malformed::new(
                "journal MESSAGE is a byte array (not UTF-8)",
            )));
        }
        return Err(Settled::Skipped(SkipReason::OtherProgram));
    };
    let time = entry
        .realtime
        .and_then(raw_json_string)
        .and_then(parse_u64)
        .and_then(|micros| i64::try_from(micros).ok())
        .map(|unix_micros| Timestamp {
            unix_micros,
            original_offset_seconds: None,
        });
    Ok(Framed {
        time,
        observer: entry.hostname.and_then(raw_json_string),
        ..Framed::plain(message)
    })
}

/// Reads a dmesg stamp at the start of `text`: `[ 1234.567890]` (time since boot, no wall-clock
/// time) or the `dmesg -T` form `[Tue Jan  2 03:04:05 2024]` (local time). Returns the time, if
/// any, and the text after the stamp and one space.
fn dmesg_stamp<'a>(text: &'a [u8], time: &TimeContext) -> Option<(Option<Timestamp>, &'a [u8])> {
    if text.first() != Some(&b'[') {
        return None;
    }
    let close = memchr::memchr(b']', text.get(..40).unwrap_or(text))?;
    let inside = &text[1..close];
    let rest = &text[close + 1..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let trimmed = trim(inside);
    let mut seen_dot = false;
    let is_uptime = !trimmed.is_empty()
        && trimmed.iter().all(|&b| {
            if b == b'.' && !seen_dot {
                seen_dot = true;
                true
            } else {
                b.is_ascii_digit()
            }
        });
    if is_uptime {
        return Some((None, rest));
    }
    // `Www Mmm dd hh:mm:ss yyyy`, the day padded with a space.
    if inside.len() != 24 || inside[3] != b' ' || inside[7] != b' ' {
        return None;
    }
    let month = month_from_abbrev(&inside[4..7])?;
    let day = if inside[8] == b' ' {
        digits_at(inside, 9, 1)?
    } else {
        digits_at(inside, 8, 2)?
    };
    let hour = digits_at(inside, 11, 2)?;
    let minute = digits_at(inside, 14, 2)?;
    let second = digits_at(inside, 17, 2)?;
    let year = digits_at(inside, 20, 4)? as i32;
    let resolved = time.civil_to_utc(year, month, day, hour, minute, second, 0);
    Some((resolved, rest))
}

/// Reads a Proxmox `pve-firewall` line: `VMID LEVEL CHAIN dd/Mon/yyyy:hh:mm:ss +zzzz message`.
fn frame_proxmox(line: &[u8]) -> Option<Framed<'_>> {
    let mut rest = line;
    for _ in 0..2 {
        let space = memchr::memchr(b' ', rest)?;
        if space == 0 || !rest[..space].iter().all(u8::is_ascii_digit) {
            return None;
        }
        rest = &rest[space + 1..];
    }
    let space = memchr::memchr(b' ', rest)?;
    let chain = &rest[..space];
    rest = &rest[space + 1..];
    // dd/Mon/yyyy:hh:mm:ss +zzzz
    if rest.len() < 27 || rest[2] != b'/' || rest[6] != b'/' || rest[11] != b':' {
        return None;
    }
    let day = digits_at(rest, 0, 2)?;
    let month = month_from_abbrev(&rest[3..6])?;
    let year = digits_at(rest, 7, 4)? as i32;
    let hour = digits_at(rest, 12, 2)?;
    let minute = digits_at(rest, 15, 2)?;
    let second = digits_at(rest, 18, 2)?;
    if rest[14] != b':' || rest[17] != b':' || rest[20] != b' ' {
        return None;
    }
    let (offset, used) = parse_offset(&rest[21..])?;
    let after = &rest[21 + used..];
    let message = after.strip_prefix(b" ").unwrap_or(after);
    let local = Timestamp::from_utc_parts(year, month, day, hour, minute, second, 0);
    let time = local.map(|local| Timestamp {
        unix_micros: local
            .unix_micros
            .saturating_sub(i64::from(offset) * 1_000_000),
        original_offset_seconds: Some(offset),
    });
    Some(Framed {
        time,
        fallback_rule: Some(chain),
        ..Framed::plain(message)
    })
}

fn trim(text: &[u8]) -> &[u8] {
    text.trim_ascii()
}

/// Decides the action from the log prefix.
///
/// UniFi rule names (`[WAN_LOCAL-D-2147483647]`) carry the verdict as a letter (A accept, D drop,
/// R reject) and win. Otherwise the words decide, case-insensitively: REJECT → reject; DROP, BLOCK
/// or DENY → drop; ACCEPT, ALLOW or PASS → allow; anything else (LOG, `[UFW AUDIT]`) → other.
pub fn action_from_label(label: &[u8]) -> Action {
    if let Some(action) = unifi_action(label) {
        return action;
    }
    if contains_word(label, b"REJECT") {
        Action::Reject
    } else if contains_word(label, b"DROP")
        || contains_word(label, b"BLOCK")
        || contains_word(label, b"DENY")
    {
        Action::Drop
    } else if contains_word(label, b"ACCEPT")
        || contains_word(label, b"ALLOW")
        || contains_word(label, b"PASS")
    {
        Action::Allow
    } else {
        Action::Other
    }
}

/// The verdict letter of a UniFi rule name `[CHAIN-X-NUMBER]`.
fn unifi_action(label: &[u8]) -> Option<Action> {
    let inner = label.strip_prefix(b"[")?;
    let close = memchr::memchr(b']', inner)?;
    let name = &inner[..close];
    let last_dash = memchr::memrchr(b'-', name)?;
    let number = &name[last_dash + 1..];
    if number.is_empty() || !number.iter().all(u8::is_ascii_digit) || last_dash < 2 {
        return None;
    }
    if name[last_dash - 2] != b'-' {
        return None;
    }
    match name[last_dash - 1] {
        b'A' => Some(Action::Allow),
        b'D' => Some(Action::Drop),
        b'R' => Some(Action::Reject),
        _ => None,
    }
}

/// Case-insensitive substring test; `upper_needle` must be upper-case ASCII.
fn contains_word(haystack: &[u8], upper_needle: &[u8]) -> bool {
    if haystack.len() < upper_needle.len() {
        return false;
    }
    haystack.windows(upper_needle.len()).any(|window| {
        window
            .iter()
            .zip(upper_needle)
            .all(|(a, b)| a.to_ascii_uppercase() == *b)
    })
}

/// Why the fields could not become an event.
enum FieldsError {
    /// The line has no `SRC=`: a netfilter line that is not about an IP packet (ARP, bridge).
    NoAddresses,
    Malformed(Malformed),
}

fn malformed(reason: &'static str, column: usize) -> FieldsError {
    FieldsError::Malformed(Malformed::at(reason, column))
}

/// Reads the packet fields (`IN=... OUT=... SRC=...`) into the event. `base` is the column of
/// `fields` in the line, for error positions.
fn scan_fields<'a>(
    fields: &'a [u8],
    base: usize,
    event: &mut Event<'a>,
) -> Result<(), FieldsError> {
    let mut saw_protocol = false;
    // Set when the transport header was not printed (INCOMPLETE, a fragment, a numeric PROTO=).
    let mut saw_incomplete = false;
    // Set once the TCP header's flag part was printed (`WINDOW=`, `RES=` or a flag word).
    let mut saw_tcp_flags = false;
    let mut flags = TcpFlags::empty();
    let mut icmp_type: Option<u8> = None;
    let mut icmp_code: Option<u8> = None;
    let mut embedded: Option<EmbeddedPacket> = None;
    let mut embedded_depth = 0u32;
    let mut position = 0;
    let length = fields.len();
    while position < length {
        if fields[position] == b' ' {
            position += 1;
            continue;
        }
        let (end, first_equals) = token_end(fields, position);
        let token = &fields[position..end];
        let column = base + position;
        position = end + 1;

        if embedded_depth > 0 {
            if token.first() == Some(&b'[') {
                embedded_depth += 1;
            }
            if token.last() == Some(&b']') {
                embedded_depth -= 1;
                if embedded_depth == 0 {
                    continue;
                }
            }
            if let Some(packet) = embedded.as_mut() {
                read_embedded_field(token, column, packet)?;
            }
            continue;
        }

        if let Some(inner) = token.strip_prefix(b"[") {
            if inner.starts_with(b"SRC=") && embedded.is_none() {
                embedded_depth = 1;
                let mut packet = EmbeddedPacket::default();
                read_embedded_field(inner, column + 1, &mut packet)?;
                embedded = Some(packet);
            }
            // Otherwise this is the `[65535 bytes]` of an INCOMPLETE note; nothing to read.
            continue;
        }

        let Some(equals) = first_equals else {
            match token {
                b"OPT" => {
                    // `OPT (0204...)` or `OPT ( )`: skip to the closing parenthesis.
                    if fields.get(position) == Some(&b'(') {
                        match memchr::memchr(b')', &fields[position..]) {
                            Some(close) => position += close + 1,
                            None => return Err(malformed("unclosed OPT (", base + position)),
                        }
                    }
                }
                b"INCOMPLETE" => saw_incomplete = true,
                _ if token.starts_with(b"FRAG:") => saw_incomplete = true,
                _ => {
                    if let Some(flag) = tcp_flag_word(token) {
                        flags.insert(flag);
                        saw_tcp_flags = true;
                    }
                }
            }
            continue;
        };
        let key = &token[..equals];
        let value = &token[equals + 1..];
        let value_column = column + equals + 1;
        match key {
            b"IN" => event.in_interface = non_empty(value),
            b"OUT" => event.out_interface = non_empty(value),
            b"SRC" => {
                event.src =
                    Some(parse_ip(value).ok_or(malformed("bad SRC= address", value_column))?)
            }
            b"DST" => {
                event.dst =
                    Some(parse_ip(value).ok_or(malformed("bad DST= address", value_column))?)
            }
            // The first LEN= is the IP length; UDP repeats LEN= for its own length.
            b"LEN" if event.length.is_none() => {
                event.length =
                    Some(parse_u32(value).ok_or(malformed("bad LEN= value", value_column))?);
            }
            b"TTL" | b"HOPLIMIT" => {
                event.ttl = Some(
                    parse_u8(value)
                        .ok_or(malformed("bad TTL= or HOPLIMIT= value", value_column))?,
                )
            }
            // The first ID= (before PROTO=) is the IP id; ICMP echo ids come after PROTO=.
            b"ID" if !saw_protocol && event.ip_id.is_none() => {
                event.ip_id =
                    Some(parse_u32(value).ok_or(malformed("bad ID= value", value_column))?);
            }
            b"PROTO" if !saw_protocol => {
                // The kernel prints a number only for protocols whose header it does not decode:
                // no ports or ICMP type follow then.
                if value.first().is_some_and(u8::is_ascii_digit) {
                    saw_incomplete = true;
                }
                event.protocol = protocol_from_name(value)
                    .ok_or(malformed("unknown PROTO= value", value_column))?;
                saw_protocol = true;
            }
            b"SPT" => {
                event.src_port =
                    Some(parse_u16(value).ok_or(malformed("bad SPT= port", value_column))?)
            }
            b"DPT" => {
                event.dst_port =
                    Some(parse_u16(value).ok_or(malformed("bad DPT= port", value_column))?)
            }
            b"RES" => saw_tcp_flags = true,
            b"WINDOW" => {
                saw_tcp_flags = true;
                event.tcp_window =
                    Some(parse_u32(value).ok_or(malformed("bad WINDOW= value", value_column))?)
            }
            b"SEQ" if event.protocol == Protocol::Tcp => {
                event.tcp_seq =
                    Some(parse_u32(value).ok_or(malformed("bad SEQ= value", value_column))?);
            }
            b"TYPE" if is_icmp(event.protocol) && icmp_type.is_none() => {
                icmp_type =
                    Some(parse_u8(value).ok_or(malformed("bad TYPE= value", value_column))?);
            }
            b"CODE" if is_icmp(event.protocol) && icmp_code.is_none() => {
                icmp_code =
                    Some(parse_u8(value).ok_or(malformed("bad CODE= value", value_column))?);
            }
            // MAC, TOS, PREC, TC, FLOWLBL, RES, URGP, ACK, MARK, UID, GID, PHYSIN, PHYSOUT, MTU,
            // GATEWAY, PARAMETER and whatever a newer kernel adds carry nothing the event keeps.
            _ => {}
        }
    }

    let end_column = base + length;
    if embedded_depth > 0 {
        return Err(malformed(
            "truncated inside the quoted packet [SRC=...]",
            end_column,
        ));
    }
    if event.src.is_none() {
        return Err(FieldsError::NoAddresses);
    }
    if event.dst.is_none() {
        return Err(malformed("truncated: no DST=", end_column));
    }
    if !saw_protocol {
        return Err(malformed("truncated: no PROTO=", end_column));
    }
    if event.protocol.has_ports()
        && !saw_incomplete
        && (event.src_port.is_none() || event.dst_port.is_none())
    {
        return Err(malformed("truncated: no SPT= or DPT=", end_column));
    }
    if event.protocol == Protocol::Tcp && saw_tcp_flags {
        event.tcp_flags = Some(flags);
    }
    if let Some(icmp_type) = icmp_type {
        event.icmp = Some(Icmp {
            icmp_type,
            code: icmp_code.unwrap_or(0),
        });
    } else if matches!(event.protocol, Protocol::Icmp | Protocol::Icmpv6) && !saw_incomplete {
        return Err(malformed("truncated: no ICMP TYPE=", end_column));
    }
    event.embedded = embedded;
    event.direction = direction_of(event.in_interface, event.out_interface);
    Ok(())
}

/// Eight copies of a byte, for the word-at-a-time scan.
const fn repeated(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The bytes of `word` that equal the byte repeated in `pattern`, as a mask with the top bit of
/// each such byte set. Exact up to and including the lowest matching byte (bits above it may be
/// false alarms), so `trailing_zeros / 8` of a little-endian word is the index of the first match.
#[inline]
fn matching_bytes(word: u64, pattern: u64) -> u64 {
    let diff = word ^ pattern;
    diff.wrapping_sub(repeated(0x01)) & !diff & repeated(0x80)
}

/// Finds the end of the token that starts at `start` (the next space, or the end of `fields`)
/// and the offset of its first `=` inside the token, if any.
///
/// Tokens are short, so a memchr call per token costs more than it saves, while a byte loop is
/// slow on long values (`MAC=` is 40 bytes). This reads eight bytes at a time, finds the first
/// space and the first `=` of each word with bit tricks, and does the last few bytes one by one.
#[inline]
fn token_end(fields: &[u8], start: usize) -> (usize, Option<usize>) {
    let mut first_equals = None;
    let mut index = start;
    while let Some(chunk) = fields.get(index..index + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let spaces = matching_bytes(word, repeated(b' '));
        let space_at = (spaces.trailing_zeros() / 8) as usize;
        if first_equals.is_none() {
            let equals = matching_bytes(word, repeated(b'='));
            let equals_at = (equals.trailing_zeros() / 8) as usize;
            // Only an `=` before the word's first space belongs to this token.
            if equals != 0 && equals_at < space_at {
                first_equals = Some(index - start + equals_at);
            }
        }
        if spaces != 0 {
            return (index + space_at, first_equals);
        }
        index += 8;
    }
    while index < fields.len() {
        match fields[index] {
            b' ' => break,
            b'=' if first_equals.is_none() => first_equals = Some(index - start),
            _ => {}
        }
        index += 1;
    }
    (index, first_equals)
}

fn is_icmp(protocol: Protocol) -> bool {
    matches!(protocol, Protocol::Icmp | Protocol::Icmpv6)
}

/// Reads one field of the packet an ICMP error quotes. The token may end with `]`.
fn read_embedded_field(
    token: &[u8],
    column: usize,
    packet: &mut EmbeddedPacket,
) -> Result<(), FieldsError> {
    let token = token.strip_suffix(b"]").unwrap_or(token);
    let Some(equals) = memchr::memchr(b'=', token) else {
        return Ok(());
    };
    let value = &token[equals + 1..];
    let value_column = column + equals + 1;
    match &token[..equals] {
        b"SRC" => {
            packet.src = Some(
                parse_ip(value)
                    .ok_or(malformed("bad SRC= address in quoted packet", value_column))?,
            )
        }
        b"DST" => {
            packet.dst = Some(
                parse_ip(value)
                    .ok_or(malformed("bad DST= address in quoted packet", value_column))?,
            )
        }
        b"PROTO" if packet.protocol == Protocol::Unknown => {
            packet.protocol = protocol_from_name(value)
                .ok_or(malformed("unknown PROTO= in quoted packet", value_column))?;
        }
        b"SPT" => {
            packet.src_port = Some(
                parse_u16(value)
                    .ok_or(malformed("bad SPT= port in quoted packet", value_column))?,
            )
        }
        b"DPT" => {
            packet.dst_port = Some(
                parse_u16(value)
                    .ok_or(malformed("bad DPT= port in quoted packet", value_column))?,
            )
        }
        _ => {}
    }
    Ok(())
}

/// The direction the interfaces imply: in only → inbound, out only → outbound, both → forward,
/// loopback on either side → local.
pub fn direction_of(in_interface: Option<&[u8]>, out_interface: Option<&[u8]>) -> Direction {
    if in_interface == Some(b"lo") || out_interface == Some(b"lo") {
        return Direction::Local;
    }
    match (in_interface, out_interface) {
        (Some(_), None) => Direction::Inbound,
        (None, Some(_)) => Direction::Outbound,
        (Some(_), Some(_)) => Direction::Forward,
        (None, None) => Direction::Unknown,
    }
}

fn non_empty(value: &[u8]) -> Option<&[u8]> {
    (!value.is_empty()).then_some(value)
}

/// The TCP flag words netfilter prints after `RES=`.
fn tcp_flag_word(token: &[u8]) -> Option<TcpFlags> {
    Some(match token {
        b"CWR" => TcpFlags::CWR,
        b"ECE" => TcpFlags::ECE,
        b"URG" => TcpFlags::URG,
        b"ACK" => TcpFlags::ACK,
        b"PSH" => TcpFlags::PSH,
        b"RST" => TcpFlags::RST,
        b"SYN" => TcpFlags::SYN,
        b"FIN" => TcpFlags::FIN,
        _ => return None,
    })
}

/// `PROTO=` values: the names the kernel prints (TCP, UDP, UDPLITE, ICMP, ICMPv6, AH, ESP, SCTP)
/// and numbers for the rest.
fn protocol_from_name(value: &[u8]) -> Option<Protocol> {
    match value {
        b"TCP" => Some(Protocol::Tcp),
        b"UDP" => Some(Protocol::Udp),
        b"ICMP" => Some(Protocol::Icmp),
        b"ICMPv6" => Some(Protocol::Icmpv6),
        b"UDPLITE" => Some(Protocol::Other(136)),
        b"AH" => Some(Protocol::Other(51)),
        b"ESP" => Some(Protocol::Other(50)),
        b"SCTP" => Some(Protocol::Other(132)),
        b"GRE" => Some(Protocol::Other(47)),
        b"DCCP" => Some(Protocol::Other(33)),
        other => Protocol::from_name(other),
    }
}

/// Parses an IPv4 (dotted quad) or IPv6 address.
pub(crate) fn parse_ip(value: &[u8]) -> Option<IpAddr> {
    // Dotted quads are the common case; the IPv4 reader stops at the first byte that is neither
    // a digit nor a dot, so trying it first costs an IPv6 address almost nothing.
    if let Some(v4) = parse_ipv4(value) {
        return Some(IpAddr::V4(v4));
    }
    if memchr::memchr(b':', value).is_some() {
        let text = std::str::from_utf8(value).ok()?;
        return text.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    None
}

/// A hand-written dotted-quad reader (faster than going through `str`).
fn parse_ipv4(value: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut index = 0;
    let mut current: u32 = 0;
    let mut digits = 0;
    for &byte in value {
        match byte {
            b'0'..=b'9' => {
                current = current * 10 + u32::from(byte - b'0');
                digits += 1;
                if digits > 3 || current > 255 {
                    return None;
                }
            }
            b'.' => {
                if digits == 0 || index == 3 {
                    return None;
                }
                octets[index] = current as u8;
                index += 1;
                current = 0;
                digits = 0;
            }
            _ => return None,
        }
    }
    if index != 3 || digits == 0 {
        return None;
    }
    octets[3] = current as u8;
    Some(Ipv4Addr::from(octets))
}

fn parse_u64(value: &[u8]) -> Option<u64> {
    if value.is_empty() || value.len() > 19 {
        return None;
    }
    let mut number: u64 = 0;
    for &byte in value {
        if !byte.is_ascii_digit() {
            return None;
        }
        number = number * 10 + u64::from(byte - b'0');
    }
    Some(number)
}

fn parse_u32(value: &[u8]) -> Option<u32> {
    parse_u64(value).and_then(|n| u32::try_from(n).ok())
}

fn parse_u16(value: &[u8]) -> Option<u16> {
    parse_u64(value).and_then(|n| u16::try_from(n).ok())
}

fn parse_u8(value: &[u8]) -> Option<u8> {
    parse_u64(value).and_then(|n| u8::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser() -> NetfilterParser {
        NetfilterParser::new(TimeContext::utc(2024))
    }

    fn event(line: &str) -> Event<'_> {
        match parser().parse(line.as_bytes()) {
            Record::Event(event) => event,
            other => panic!("not an event: {other:?} for {line}"),
        }
    }

    fn text(field: Option<&[u8]>) -> Option<&str> {
        field.map(|f| std::str::from_utf8(f).unwrap())
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    const BODY: &str = "IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.7 DST=198.51.100.2 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4242 DF PROTO=TCP SPT=51515 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0";

    #[test]
    fn iptables_in_rfc3164_with_kernel_stamp() {
        let line = format!("Mar  3 10:11:12 gate kernel: [ 1234.567890] INPUT DROP: {BODY}");
        let e = event(&line);
        assert_eq!(e.time.unwrap().to_string(), "2024-03-03T10:11:12.000000Z");
        assert_eq!(text(e.observer), Some("gate"));
        assert_eq!(text(e.rule), Some("INPUT DROP:"));
        assert_eq!(e.action, Action::Drop);
        assert_eq!(e.direction, Direction::Inbound);
        assert_eq!(text(e.in_interface), Some("eth0"));
        assert_eq!(e.out_interface, None);
        assert_eq!(e.src, ip("203.0.113.7"));
        assert_eq!(e.dst, ip("198.51.100.2"));
        assert_eq!(e.protocol, Protocol::Tcp);
        assert_eq!((e.src_port, e.dst_port), (Some(51515), Some(22)));
        assert_eq!(e.length, Some(60));
        assert_eq!(e.ttl, Some(52));
        assert_eq!(e.ip_id, Some(4242));
        assert_eq!(e.tcp_window, Some(64240));
        assert_eq!(e.tcp_flags, Some(TcpFlags::SYN));
        assert!(e.is_plain_syn());
        assert_eq!(e.icmp, None);
        assert_eq!(e.embedded, None);
    }

    #[test]
    fn all_tcp_flags_seq_ack_and_options() {
        let e = event("kernel: LOG IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=52 TOS=0x02 PREC=0x00 TTL=110 ID=1 DF PROTO=TCP SPT=1 DPT=2 SEQ=4294967295 ACK=17 WINDOW=8192 RES=0x00 CWR ECE URG ACK PSH RST SYN FIN URGP=0 OPT (020405B40103030801010402) ");
        let all = TcpFlags::CWR
            | TcpFlags::ECE
            | TcpFlags::URG
            | TcpFlags::ACK
            | TcpFlags::PSH
            | TcpFlags::RST
            | TcpFlags::SYN
            | TcpFlags::FIN;
        assert_eq!(e.tcp_flags, Some(all));
        assert_eq!(e.tcp_seq, Some(u32::MAX));
        assert_eq!(e.action, Action::Other);
        assert_eq!(text(e.rule), Some("LOG"));
    }

    #[test]
    fn null_scan_has_empty_flag_set() {
        let e = event("DROP INVALID IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=44 ID=5 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 URGP=0 ");
        assert_eq!(e.tcp_flags, Some(TcpFlags::empty()));
        assert_eq!(e.time, None);
        assert_eq!(e.observer, None);
    }

    #[test]
    fn ipv6_with_hoplimit_and_options() {
        let e = event("Dec 20 20:10:01 rohan kernel: [  449.059230] DROP IN=eth0 OUT= MAC=00:1b SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:db8::2 LEN=132 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( ) OPT ( ) PROTO=TCP SPT=58537 DPT=1234 WINDOW=8192 RES=0x00 SYN URGP=0 ");
        assert_eq!(e.src, ip("2001:db8::1"));
        assert_eq!(e.dst, ip("2001:db8::2"));
        assert_eq!(e.ttl, Some(64));
        assert_eq!(e.ip_id, None);
        assert_eq!(e.dst_port, Some(1234));
        assert_eq!(text(e.rule), Some("DROP"));
    }

    #[test]
    fn icmp_echo_keeps_ip_id_not_echo_id() {
        let e = event("ICMP IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=28 TOS=0x00 PREC=0x00 TTL=64 ID=18443 PROTO=ICMP TYPE=8 CODE=0 ID=2158 SEQ=512");
        assert_eq!(e.protocol, Protocol::Icmp);
        assert_eq!(e.ip_id, Some(18443));
        assert_eq!(
            e.icmp,
            Some(Icmp {
                icmp_type: 8,
                code: 0
            })
        );
        assert_eq!(e.tcp_seq, None);
        assert_eq!(e.src_port, None);
    }

    #[test]
    fn icmp_error_with_embedded_packet() {
        let e = event("Jan  9 08:00:00 fw kernel: REJECT-OUT IN= OUT=eth1 SRC=192.0.2.9 DST=198.51.100.4 LEN=92 TOS=0x00 PREC=0xC0 TTL=64 ID=777 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.51.100.4 DST=192.0.2.9 LEN=64 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=UDP SPT=33434 DPT=53 LEN=44 ] ");
        assert_eq!(e.direction, Direction::Outbound);
        assert_eq!(e.action, Action::Reject);
        assert_eq!(
            e.icmp,
            Some(Icmp {
                icmp_type: 3,
                code: 3
            })
        );
        // The quoted packet's fields must not overwrite the outer ones.
        assert_eq!(e.src, ip("192.0.2.9"));
        assert_eq!(e.length, Some(92));
        assert_eq!(e.ttl, Some(64));
        assert_eq!(e.ip_id, Some(777));
        assert_eq!(e.src_port, None);
        assert_eq!(
            e.embedded,
            Some(EmbeddedPacket {
                src: ip("198.51.100.4"),
                dst: ip("192.0.2.9"),
                protocol: Protocol::Udp,
                src_port: Some(33434),
                dst_port: Some(53),
            })
        );
    }

    #[test]
    fn icmpv6_error_with_embedded_incomplete_note() {
        let e = event("DROP IN=eth0 OUT= SRC=2001:db8::1 DST=2001:db8::2 LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=ICMPv6 TYPE=1 CODE=4 [SRC=2001:db8::2 DST=2001:db8::1 LEN=1232 TC=0 HOPLIMIT=63 FLOWLBL=0 PROTO=TCP INCOMPLETE [65535 bytes] ] ");
        assert_eq!(
            e.icmp,
            Some(Icmp {
                icmp_type: 1,
                code: 4
            })
        );
        let embedded = e.embedded.unwrap();
        assert_eq!(embedded.protocol, Protocol::Tcp);
        assert_eq!(embedded.src_port, None);
        assert_eq!(e.protocol, Protocol::Icmpv6);
    }

    #[test]
    fn numeric_and_named_protocols() {
        let e = event("IN=eth0 OUT= SRC=0.0.0.0 DST=224.0.0.1 LEN=32 TOS=0x00 PREC=0xC0 TTL=1 ID=0 DF PROTO=2 ");
        assert_eq!(e.protocol, Protocol::Igmp);
        let e = event("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=162 ");
        assert_eq!(e.protocol, Protocol::Other(162));
        // Numbers for protocols with ports or types: the kernel did not decode the header.
        let e = event("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=52 TTL=49 ID=1 PROTO=132 ");
        assert_eq!(e.protocol, Protocol::Other(132));
        assert_eq!(e.src_port, None);
        let e = event("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=52 ID=1 PROTO=58 ");
        assert_eq!(e.protocol, Protocol::Icmpv6);
        assert_eq!(e.icmp, None);
        let e =
            event("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=ESP SPI=0x1 ");
        assert_eq!(e.protocol, Protocol::Other(50));
        let e = event("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=UDPLITE SPT=1 DPT=2 LEN=0");
        assert_eq!(e.protocol, Protocol::Other(136));
        assert_eq!(e.length, Some(20));
    }

    #[test]
    fn udp_keeps_ip_length_not_udp_length() {
        let e = event("Feb  9 20:55:06 ubuntu kernel: [13626.584587] IN=lo OUT= MAC=00 SRC=192.168.10.55 DST=192.168.10.1 LEN=189 TOS=0x00 PREC=0x00 TTL=64 ID=45067 DF PROTO=UDP SPT=33197 DPT=62201 LEN=169");
        assert_eq!(e.length, Some(189));
        assert_eq!(e.direction, Direction::Local);
        assert_eq!(e.rule, None);
        assert_eq!(e.tcp_flags, None);
    }

    #[test]
    fn fragment_without_ports_is_an_event() {
        let e = event("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=1500 TOS=0x00 PREC=0x00 TTL=64 ID=9 MF FRAG:185 PROTO=UDP ");
        assert_eq!(e.protocol, Protocol::Udp);
        assert_eq!(e.src_port, None);
    }

    #[test]
    fn direction_from_interfaces() {
        let forward = event(
            "FWD ACCEPT IN=eth0 OUT=eth1 SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=47 ",
        );
        assert_eq!(forward.direction, Direction::Forward);
        assert_eq!(forward.action, Action::Allow);
        assert_eq!(direction_of(None, None), Direction::Unknown);
        assert_eq!(direction_of(Some(b"eth0"), Some(b"lo")), Direction::Local);
    }

    #[test]
    fn ufw_prefixes() {
        let cases = [
            ("[UFW BLOCK]", Action::Drop),
            ("[UFW ALLOW]", Action::Allow),
            ("[UFW AUDIT]", Action::Other),
            ("[UFW LIMIT BLOCK]", Action::Drop),
            ("[UFW AUDIT INVALID]", Action::Other),
        ];
        for (prefix, action) in cases {
            let line = format!("Nov 23 19:37:32 host kernel: [199974.947035] {prefix} {BODY}");
            let e = event(&line);
            assert_eq!(e.action, action, "{prefix}");
            assert_eq!(text(e.rule), Some(prefix));
        }
    }

    #[test]
    fn other_firewall_prefixes() {
        for (prefix, action) in [
            ("filter_IN_public_REJECT: ", Action::Reject),
            ("FINAL_REJECT: ", Action::Reject),
            ("Shorewall:net2fw:DROP:", Action::Drop),
            ("reject wan in: ", Action::Reject),
            ("DROP(src wan)", Action::Drop),
            ("nft accept ssh ", Action::Allow),
            ("pass-through ", Action::Allow),
            ("DENY ", Action::Drop),
            ("martian ", Action::Other),
        ] {
            let line = format!("Jan  1 00:00:00 host kernel: {prefix}{BODY}");
            assert_eq!(event(&line).action, action, "{prefix}");
        }
    }

    #[test]
    fn prefix_glued_to_in() {
        let line = format!("kernel: DROP{BODY}");
        let e = event(&line);
        assert_eq!(text(e.rule), Some("DROP"));
        assert_eq!(text(e.in_interface), Some("eth0"));
    }

    #[test]
    fn shorewall_prefix_ends_with_colon() {
        let e = event("Apr 24 12:06:50 localhost kernel: [ 3445.031964] Shorewall:wlan0_mac:DROP:IN=wlan0 OUT= MAC=02 SRC=192.168.10.55 DST=224.0.0.1 LEN=36 TOS=0x00 PREC=0xC0 TTL=1 ID=0 PROTO=2");
        assert_eq!(text(e.rule), Some("Shorewall:wlan0_mac:DROP:"));
        assert_eq!(e.action, Action::Drop);
        assert_eq!(text(e.in_interface), Some("wlan0"));
    }

    #[test]
    fn unifi_rule_letter_decides() {
        let line = "Jun 13 23:29:15 UDMP-DTC [WAN_LOCAL-A-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\" IN=eth8 OUT= MAC=74 SRC=192.168.1.2 DST=192.168.1.25 LEN=122 TOS=00 PREC=0x00 TTL=49 ID=45366 DF PROTO=UDP SPT=38451 DPT=54329 LEN=102 MARK=1a0000";
        let e = event(line);
        assert_eq!(e.action, Action::Allow);
        assert_eq!(text(e.observer), Some("UDMP-DTC"));
        assert_eq!(
            text(e.rule),
            Some("[WAN_LOCAL-A-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\"")
        );
        assert_eq!(unifi_action(b"[LAN_IN-D-4000]"), Some(Action::Drop));
        assert_eq!(unifi_action(b"[LAN_IN-R-4000]"), Some(Action::Reject));
        assert_eq!(unifi_action(b"[UFW BLOCK]"), None);
    }

    #[test]
    fn proxmox_lines() {
        let e = event("0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0200 policy DROP: IN=vmbr0.94 MAC=24:8a SRC=10.3.94.11 DST=10.3.94.12 LEN=52 TOS=0x00 PREC=0xC0 TTL=255 ID=64317 DF PROTO=UDP SPT=49152 DPT=3784 LEN=32");
        assert_eq!(e.time.unwrap().to_string(), "2022-06-20T11:09:14.000000Z");
        assert_eq!(e.time.unwrap().original_offset_seconds, Some(7200));
        assert_eq!(text(e.rule), Some("policy DROP:"));
        assert_eq!(e.action, Action::Drop);
        assert_eq!(e.direction, Direction::Inbound);

        let e = event("0 1 PVEFW-HOST-OUT 20/Jun/2022:13:16:23 +0200 REJECT: OUT=vmbr0.94 SRC=10.3.94.12 DST=10.3.94.10 LEN=60 TOS=0x10 PREC=0x00 TTL=64 ID=59156 DF PROTO=TCP SPT=49566 DPT=22 SEQ=708451139 ACK=0 WINDOW=64240 SYN ");
        assert_eq!(e.direction, Direction::Outbound);
        assert_eq!(e.action, Action::Reject);
        assert_eq!(e.tcp_seq, Some(708451139));

        let e = event("0 5 GROUP-security1-IN 20/Jun/2022:15:52:26 +0200 IN=fwbr101i0 OUT=fwbr101i0 PHYSIN=fwln101i0 PHYSOUT=tap101i0 MAC=a2 SRC=10.3.95.34 DST=10.3.95.200 LEN=60 TOS=0x10 PREC=0x00 TTL=63 ID=8526 DF PROTO=TCP SPT=51606 DPT=22 SEQ=3720078294 ACK=0 WINDOW=64240 SYN");
        assert_eq!(text(e.rule), Some("GROUP-security1-IN"));
        assert_eq!(e.direction, Direction::Forward);
        assert_eq!(e.action, Action::Other);
    }

    #[test]
    fn rfc5424_and_rfc3339_wrappers() {
        let line = format!("<4>1 2024-01-02T03:04:05.123456Z gw kernel - - - [UFW BLOCK] {BODY}");
        let e = event(&line);
        assert_eq!(e.time.unwrap().to_string(), "2024-01-02T03:04:05.123456Z");
        assert_eq!(text(e.observer), Some("gw"));
        assert_eq!(e.action, Action::Drop);

        let line = format!("2015-03-07T05:09:30.045015+02:00 servername kernel: DROP: {BODY}");
        let e = event(&line);
        assert_eq!(e.time.unwrap().to_string(), "2015-03-07T03:09:30.045015Z");
        assert_eq!(text(e.rule), Some("DROP:"));
    }

    #[test]
    fn journalctl_short_iso_and_short_precise() {
        let line = format!("2024-01-02T03:04:05+0100 host kernel: [UFW BLOCK] {BODY}");
        let e = event(&line);
        assert_eq!(e.time.unwrap().to_string(), "2024-01-02T02:04:05.000000Z");
        let line = format!("Jan 02 03:04:05.250000 host kernel: [UFW BLOCK] {BODY}");
        let e = event(&line);
        assert_eq!(e.time.unwrap().to_string(), "2024-01-02T03:04:05.250000Z");
        assert_eq!(text(e.rule), Some("[UFW BLOCK]"));
    }

    #[test]
    fn journalctl_json() {
        let line = format!(
            "{{\"__REALTIME_TIMESTAMP\":\"1704164645123456\",\"_HOSTNAME\":\"web1\",\"SYSLOG_IDENTIFIER\":\"kernel\",\"MESSAGE\":\"[UFW BLOCK] {BODY}\",\"_TRANSPORT\":\"kernel\"}}"
        );
        let e = event(&line);
        assert_eq!(e.time.unwrap().to_string(), "2024-01-02T03:04:05.123456Z");
        assert_eq!(text(e.observer), Some("web1"));
        assert_eq!(text(e.rule), Some("[UFW BLOCK]"));
        assert_eq!(e.dst_port, Some(22));

        // An escaped quote in the prefix does not stop the packet from being read.
        let line = format!("{{\"MESSAGE\":\"DESCR=\\\"x\\\" {BODY}\"}}");
        let e = event(&line);
        assert_eq!(text(e.rule), Some("DESCR=\\\"x\\\""));
        assert_eq!(e.time, None);

        let mut parser = parser();
        assert_eq!(
            parser.parse(b"{\"MESSAGE\":\"Started Session 5.\",\"_HOSTNAME\":\"web1\"}"),
            Record::Skipped(SkipReason::OtherProgram)
        );
        assert!(matches!(
            parser.parse(b"{\"MESSAGE\":"),
            Record::Malformed(_)
        ));
        assert!(matches!(
            parser.parse(b"{\"MESSAGE\":[73,78,61]}"),
            Record::Malformed(_)
        ));
    }

    #[test]
    fn dmesg_lines() {
        let line = format!("[ 1234.567890] [UFW BLOCK] {BODY}");
        let e = event(&line);
        assert_eq!(e.time, None);
        assert_eq!(text(e.rule), Some("[UFW BLOCK]"));
        let line = format!("[Tue Jan  2 03:04:05 2024] DROP {BODY}");
        let e = event(&line);
        assert_eq!(e.time.unwrap().to_string(), "2024-01-02T03:04:05.000000Z");
        assert_eq!(text(e.rule), Some("DROP"));
    }

    #[test]
    fn dmesg_with_facility_and_level() {
        let line = format!("kern  :warn  : [ 1234.567890] [UFW BLOCK] {BODY}");
        let e = event(&line);
        assert_eq!(text(e.rule), Some("[UFW BLOCK]"));
    }

    #[test]
    fn unknown_header_before_syslog_line() {
        let line = format!("scan.log:Mar 17 13:39:13 linux kernel: [956932.522957] DROP {BODY}");
        let e = event(&line);
        assert_eq!(text(e.rule), Some("DROP"));
        assert_eq!(e.time, None);
    }

    #[test]
    fn other_programs_and_non_packet_lines_are_skipped() {
        let mut parser = parser();
        for line in [
            "Jun 27 09:02:22 host sshd[454008]: Failed password for invalid user admin from 192.0.2.1 port 5454 ssh2",
            "Jun 27 09:02:22 host kernel: [ 12.3] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex",
            "Jul 18 10:51:43 localhost firewalld: 2014-07-18 10:51:43 ERROR: ZONE_ALREADY_SET",
            "random text",
        ] {
            assert_eq!(
                parser.parse(line.as_bytes()),
                Record::Skipped(SkipReason::OtherProgram),
                "{line}"
            );
        }
        assert_eq!(
            parser.parse(b"kernel: ARP IN=br0 OUT= MACSRC=00:11 MACDST=ff:ff MACPROTO=0806 ARP HTYPE=1 PTYPE=0x0800 OPCODE=1"),
            Record::Skipped(SkipReason::NotPacket)
        );
        for blank in ["", "   ", "\t\r", "\r"] {
            assert_eq!(
                parser.parse(blank.as_bytes()),
                Record::Skipped(SkipReason::Blank)
            );
        }
    }

    #[test]
    fn broken_values_are_malformed_with_columns() {
        let mut parser = parser();
        let cases = [
            ("IN=eth0 OUT= SRC=300.1.1.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=2", "bad SRC= address", 17),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0 LEN=20 TTL=1 ID=0 PROTO=2", "bad DST= address", 30),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=UDP SPT=70000 DPT=1", "bad SPT= port", 71),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=256 ID=0 PROTO=2", "bad TTL= or HOPLIMIT= value", 50),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=TCP SPT=1", "truncated: no SPT= or DPT=", 72),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20", "truncated: no PROTO=", 45),
            ("IN=eth0 OUT= SRC=10.0.0.1", "truncated: no DST=", 25),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=ICMP", "truncated: no ICMP TYPE=", 67),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=XYZ", "unknown PROTO= value", 63),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=ICMP TYPE=3 CODE=1 [SRC=10.0.0.2 DST=10.0.0.1", "truncated inside the quoted packet [SRC=...]", 108),
            ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=TCP SPT=1 DPT=2 OPT (0204", "unclosed OPT (", 83),
        ];
        for (line, reason, column) in cases {
            assert_eq!(
                parser.parse(line.as_bytes()),
                Record::Malformed(Malformed::at(reason, column)),
                "{line}"
            );
        }
        // Columns count from the start of the line, header included.
        let line = "Jan  1 00:00:00 h kernel: IN=eth0 OUT= SRC=10.0.0.x DST=10.0.0.2";
        assert_eq!(
            parser.parse(line.as_bytes()),
            Record::Malformed(Malformed::at("bad SRC= address", 43))
        );
    }

    #[test]
    fn looks_like_netfilter() {
        assert!(looks_like(
            format!("Jan  1 00:00:00 h kernel: {BODY}").as_bytes()
        ));
        assert!(looks_like(
            b"REJECT: OUT=vmbr0 SRC=10.0.0.1 DST=10.0.0.2 IN=x"
        ));
        assert!(!looks_like(
            b"Sep 28 10:38:09 pfSense filterlog: 53,,,1000000301,em0,match,block,in,4"
        ));
        assert!(!looks_like(b"2023-03-18T20:35:05+01:00 10.0.0.1 firewall,info drop-in input: in:ether1 out:(unknown 0)"));
        assert!(!looks_like(b""));
    }

    #[test]
    fn ipv4_reader() {
        assert_eq!(parse_ipv4(b"0.0.0.0"), Some(Ipv4Addr::UNSPECIFIED));
        assert_eq!(parse_ipv4(b"255.255.255.255"), Some(Ipv4Addr::BROADCAST));
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            "256.1.1.1",
            "1.2.3.",
            "1.2.3.4 ",
            "1234.1.1.1",
        ] {
            assert_eq!(parse_ipv4(bad.as_bytes()), None, "{bad}");
        }
    }

    /// The plain byte loop `token_end` replaces.
    fn token_end_by_bytes(fields: &[u8], start: usize) -> (usize, Option<usize>) {
        let mut end = start;
        let mut first_equals = None;
        while end < fields.len() && fields[end] != b' ' {
            if fields[end] == b'=' && first_equals.is_none() {
                first_equals = Some(end - start);
            }
            end += 1;
        }
        (end, first_equals)
    }

    #[test]
    fn token_end_finds_spaces_and_equals_at_every_offset() {
        let fields = b"IN=eth0 OUT= MAC=00:16:3e:5a:10:01:00:1b:21:3c:4d:5e:08:00 SRC=10.1.1.34 \
            DF SYN a==b =x  x= [SRC=1.2.3.4 ===== \x80=\xff \0=";
        for start in 0..fields.len() {
            assert_eq!(
                token_end(fields, start),
                token_end_by_bytes(fields, start),
                "from {start}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn token_end_agrees_with_the_byte_loop(
            fields in proptest::collection::vec(
                proptest::sample::select(vec![b' ', b'=', b'a', 0u8, 0x80, 0xff, 0x21, 0x3d]),
                0..40,
            ),
            start in 0usize..40,
        ) {
            let start = start.min(fields.len());
            proptest::prop_assert_eq!(
                token_end(&fields, start),
                token_end_by_bytes(&fields, start)
            );
        }
    }
}
