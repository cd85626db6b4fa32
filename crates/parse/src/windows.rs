//! Windows Defender Firewall `pfirewall.log`, the W3C-extended text log Windows writes when
//! "log dropped packets" or "log successful connections" is on.
//!
//! The file starts with `#` header lines; `#Fields:` names the space-separated columns. This
//! parser keeps a column map built from the last `#Fields:` line it saw, so a newer layout (the
//! trailing `pid` column of recent Windows builds) or a reordered one is read correctly; before
//! any `#Fields:` line the classic layout is assumed:
//!
//! `date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin
//! icmptype icmpcode info path`
//!
//! `-` means an empty field. Lines end in CRLF (the `\r` is stripped). `INFO-EVENTS-LOST` lines
//! (the driver reporting how many events it could not write) are skipped as not packets. Times are
//! local time unless `#Time Format:` says UTC; local times are converted with `--tz`.
//!
//! Windows writes `0` for the size, sequence, acknowledgement and window of allowed connections,
//! which it does not measure: zeros there are read as "not logged".

use fwseen_event::{Action, Direction, Event, Icmp, Protocol, TcpFlags, Timestamp};

use crate::fields::{parse_clock, parse_dashed_date, parse_decimal, parse_ip_dropping_zone};
use crate::words::strip_prefix_ignore_case;
use crate::{Format, FormatKind, Malformed, Record, SkipReason, TimeContext};

/// The columns this parser understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Date,
    Time,
    Action,
    Protocol,
    SourceAddress,
    DestinationAddress,
    SourcePort,
    DestinationPort,
    Size,
    TcpFlags,
    TcpSequence,
    TcpAcknowledgement,
    TcpWindow,
    IcmpType,
    IcmpCode,
    Info,
    Path,
    ProcessId,
    /// A column this parser does not use.
    Ignored,
}

impl Column {
    fn from_name(name: &[u8]) -> Column {
        match name {
            b"date" => Column::Date,
            b"time" => Column::Time,
            b"action" => Column::Action,
            b"protocol" => Column::Protocol,
            b"src-ip" => Column::SourceAddress,
            b"dst-ip" => Column::DestinationAddress,
            b"src-port" => Column::SourcePort,
            b"dst-port" => Column::DestinationPort,
            b"size" => Column::Size,
            b"tcpflags" => Column::TcpFlags,
            b"tcpsyn" => Column::TcpSequence,
            b"tcpack" => Column::TcpAcknowledgement,
            b"tcpwin" => Column::TcpWindow,
            b"icmptype" => Column::IcmpType,
            b"icmpcode" => Column::IcmpCode,
            b"info" => Column::Info,
            b"path" => Column::Path,
            b"pid" => Column::ProcessId,
            _ => Column::Ignored,
        }
    }
}

/// The classic column order, used until a `#Fields:` line says otherwise.
const CLASSIC_COLUMNS: [Column; 17] = [
    Column::Date,
    Column::Time,
    Column::Action,
    Column::Protocol,
    Column::SourceAddress,
    Column::DestinationAddress,
    Column::SourcePort,
    Column::DestinationPort,
    Column::Size,
    Column::TcpFlags,
    Column::TcpSequence,
    Column::TcpAcknowledgement,
    Column::TcpWindow,
    Column::IcmpType,
    Column::IcmpCode,
    Column::Info,
    Column::Path,
];

/// The most columns a `#Fields:` line may name; more are ignored.
const MAX_COLUMNS: usize = 32;

/// Reads `pfirewall.log` lines (see the module documentation).
pub struct WindowsFirewallParser {
    time: TimeContext,
    columns: [Column; MAX_COLUMNS],
    column_count: usize,
    /// True when `#Time Format: UTC` was seen.
    times_are_utc: bool,
}

impl WindowsFirewallParser {
    pub fn new(time: TimeContext) -> Self {
        let mut columns = [Column::Ignored; MAX_COLUMNS];
        columns[..CLASSIC_COLUMNS.len()].copy_from_slice(&CLASSIC_COLUMNS);
        Self {
            time,
            columns,
            column_count: CLASSIC_COLUMNS.len(),
            times_are_utc: false,
        }
    }

    fn read_header(&mut self, line: &[u8]) {
        if let Some(names) = strip_prefix_ignore_case(line, b"#Fields:") {
            let mut count = 0;
            for name in names.split(|&b| b == b' ').filter(|n| !n.is_empty()) {
                if count == MAX_COLUMNS {
                    break;
                }
                self.columns[count] = Column::from_name(name);
                count += 1;
            }
            self.column_count = count;
        } else if let Some(format) = strip_prefix_ignore_case(line, b"#Time Format:") {
            self.times_are_utc = format.trim_ascii().eq_ignore_ascii_case(b"UTC");
        }
    }

    fn parse_packet<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        let mut event = Event::default();
        let mut date: Option<(&'a [u8], usize)> = None;
        let mut clock: Option<(&'a [u8], usize)> = None;
        let mut protocol_text: Option<(&'a [u8], usize)> = None;
        let mut icmp_type: Option<u8> = None;
        let mut icmp_code: Option<u8> = None;
        let mut sequence: Option<u32> = None;
        let mut acknowledgement: Option<u32> = None;
        let mut window: Option<u32> = None;
        let mut seen_action = false;
        let mut index = 0;
        let mut position = 0;
        for field in line.split(|&b| b == b' ') {
            let start = position;
            position += field.len() + 1;
            if field.is_empty() {
                // Windows separates with single spaces; an empty field is a doubled space and
                // carries nothing.
                continue;
            }
            let column = if index < self.column_count {
                self.columns[index]
            } else {
                Column::Ignored
            };
            index += 1;
            if field == b"-" {
                continue;
            }
            match column {
                Column::Date => date = Some((field, start)),
                Column::Time => clock = Some((field, start)),
                Column::Action => {
                    seen_action = true;
                    event.action = match field {
                        b"DROP" => Action::Drop,
                        b"ALLOW" => Action::Allow,
                        b"INFO-EVENTS-LOST" => return Record::Skipped(SkipReason::NotPacket),
                        _ => return Record::Malformed(Malformed::at("unknown action", start)),
                    };
                }
                Column::Protocol => protocol_text = Some((field, start)),
                Column::SourceAddress => match parse_ip_dropping_zone(field) {
                    Some(address) => event.src = Some(address),
                    None => return malformed("source address is invalid", start),
                },
                Column::DestinationAddress => match parse_ip_dropping_zone(field) {
                    Some(address) => event.dst = Some(address),
                    None => return malformed("destination address is invalid", start),
                },
                Column::SourcePort => match parse_decimal::<u16>(field) {
                    Some(port) => event.src_port = Some(port),
                    None => return malformed("source port is invalid", start),
                },
                Column::DestinationPort => match parse_decimal::<u16>(field) {
                    Some(port) => event.dst_port = Some(port),
                    None => return malformed("destination port is invalid", start),
                },
                Column::Size => match parse_decimal::<u32>(field) {
                    Some(size) => event.length = (size > 0).then_some(size),
                    None => return malformed("size is invalid", start),
                },
                Column::TcpFlags => {
                    let mut flags = TcpFlags::empty();
                    for &letter in field {
                        match TcpFlags::from_name(&[letter]) {
                            Some(flag) => flags.insert(flag),
                            None => return malformed("TCP flags are invalid", start),
                        }
                    }
                    event.tcp_flags = Some(flags);
                }
                Column::TcpSequence => match parse_decimal::<u32>(field) {
                    Some(value) => sequence = Some(value),
                    None => return malformed("TCP sequence number is invalid", start),
                },
                Column::TcpAcknowledgement => match parse_decimal::<u32>(field) {
                    Some(value) => acknowledgement = Some(value),
                    None => return malformed("TCP acknowledgement number is invalid", start),
                },
                Column::TcpWindow => match parse_decimal::<u32>(field) {
                    Some(value) => window = Some(value),
                    None => return malformed("TCP window is invalid", start),
                },
                Column::IcmpType => match parse_decimal::<u8>(field) {
                    Some(value) => icmp_type = Some(value),
                    None => return malformed("ICMP type is invalid", start),
                },
                Column::IcmpCode => match parse_decimal::<u8>(field) {
                    Some(value) => icmp_code = Some(value),
                    None => return malformed("ICMP code is invalid", start),
                },
                Column::Path => {
                    event.direction = match field {
                        b"SEND" => Direction::Outbound,
                        b"RECEIVE" => Direction::Inbound,
                        b"FORWARD" => Direction::Forward,
                        _ => Direction::Unknown,
                    };
                }
                Column::Info | Column::ProcessId | Column::Ignored => {}
            }
        }
        if !seen_action {
            return malformed("line has no action", line.len());
        }
        let Some((date, date_start)) = date else {
            return malformed("line has no date", 0);
        };
        let Some((clock, clock_start)) = clock else {
            return malformed("line has no time", date_start + date.len());
        };
        let Some((year, month, day)) = parse_dashed_date(date) else {
            return malformed("date is invalid", date_start);
        };
        let Some((hour, minute, second)) = parse_clock(clock) else {
            return malformed("time is invalid", clock_start);
        };
        let time = if self.times_are_utc {
            Timestamp::from_utc_parts(year, month, day, hour, minute, second, 0)
        } else {
            self.time
                .civil_to_utc(year, month, day, hour, minute, second, 0)
        };
        let Some(time) = time else {
            return malformed("date or time is out of range", date_start);
        };
        event.time = Some(time);
        let Some((protocol_text, protocol_start)) = protocol_text else {
            return malformed("line has no protocol", line.len());
        };
        let Some(mut protocol) = Protocol::from_name(protocol_text) else {
            return malformed("protocol is unknown", protocol_start);
        };
        // Windows writes `ICMP` for ICMPv6 too; the address family tells them apart.
        if protocol == Protocol::Icmp && event.src.is_some_and(|a| a.is_ipv6()) {
            protocol = Protocol::Icmpv6;
        }
        event.protocol = protocol;
        if event.src.is_none() || event.dst.is_none() {
            return malformed("line lacks an address", line.len());
        }
        if matches!(protocol, Protocol::Icmp | Protocol::Icmpv6) {
            if let Some(icmp_type) = icmp_type {
                event.icmp = Some(Icmp {
                    icmp_type,
                    code: icmp_code.unwrap_or(0),
                });
            }
        }
        if protocol == Protocol::Tcp {
            // All three zero means "not measured" (allowed connections), not a real segment.
            let measured = sequence.unwrap_or(0) != 0
                || acknowledgement.unwrap_or(0) != 0
                || window.unwrap_or(0) != 0;
            if measured {
                event.tcp_seq = sequence;
                event.tcp_window = window;
            }
        } else {
            event.tcp_flags = None;
        }
        Record::Event(event)
    }
}

impl Format for WindowsFirewallParser {
    fn kind(&self) -> FormatKind {
        FormatKind::WindowsFirewall
    }

    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        let mut line = line;
        while let Some((last, rest)) = line.split_last() {
            if matches!(last, b'\r' | b'\n') {
                line = rest;
            } else {
                break;
            }
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return Record::Skipped(SkipReason::Blank);
        }
        if line[0] == b'#' {
            self.read_header(line);
            return Record::Skipped(SkipReason::Header);
        }
        self.parse_packet(line)
    }
}

fn malformed(reason: &'static str, column: usize) -> Record<'static> {
    Record::Malformed(Malformed::at(reason, column))
}

/// True when the line looks like a `pfirewall.log` line: one of its header lines, or a packet
/// line starting with a date, a time and a firewall action.
pub fn looks_like(line: &[u8]) -> bool {
    if line.starts_with(b"#Software: Microsoft Windows Firewall")
        || line.starts_with(b"#Fields: date time action protocol")
    {
        return true;
    }
    let mut words = line.split(|&b| b == b' ');
    let (Some(date), Some(clock), Some(action)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    parse_dashed_date(date).is_some()
        && parse_clock(clock).is_some()
        && matches!(action, b"ALLOW" | b"DROP" | b"INFO-EVENTS-LOST")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_map() {
        assert_eq!(Column::from_name(b"src-ip"), Column::SourceAddress);
        assert_eq!(Column::from_name(b"pid"), Column::ProcessId);
        assert_eq!(Column::from_name(b"whatever"), Column::Ignored);
    }

    #[test]
    fn dates_and_clocks() {
        assert_eq!(parse_dashed_date(b"2021-06-22"), Some((2021, 6, 22)));
        assert_eq!(parse_dashed_date(b"2021-6-22"), None);
        assert_eq!(parse_clock(b"12:19:41"), Some((12, 19, 41)));
        assert_eq!(parse_clock(b"12:19"), None);
    }

    #[test]
    fn numbers_reject_overflow() {
        assert_eq!(parse_decimal::<u16>(b"65535"), Some(65535));
        assert_eq!(parse_decimal::<u16>(b"70000"), None);
        assert_eq!(parse_decimal::<u16>(b"-1"), None);
    }
}
