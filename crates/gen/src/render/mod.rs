//! Rendering packets as log lines, and the event each line must parse back to.
//!
//! Three formats: netfilter `LOG` lines in RFC 3164 syslog ([`netfilter`]), pfSense `filterlog`
//! CSV lines in RFC 3164 syslog ([`pf`]) and Windows Firewall `pfirewall.log` ([`windows`]).
//! Each renderer appends one line (with its line end) to a byte buffer, formatting numbers and
//! addresses by hand, so that rendering allocates nothing per line.
//!
//! [`expected_event`] is the other half of the contract: the [`Event`] a correct parser must
//! produce from the rendered line, that is the packet reduced to the fields the format carries.
//! The round-trip tests check `parse(render(packet)) == expected_event(packet)`.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};

use fwseen_event::{Event, Timestamp};

use crate::packet::{Kind, Packet};

pub mod netfilter;
pub mod pf;
pub mod windows;

/// The log formats the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogFormat {
    Netfilter,
    PfFilterlog,
    WindowsFirewall,
}

impl LogFormat {
    pub const ALL: [LogFormat; 3] = [
        LogFormat::Netfilter,
        LogFormat::PfFilterlog,
        LogFormat::WindowsFirewall,
    ];

    /// The name used on the command line (`netfilter`, `pf`, `windows`).
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Netfilter => "netfilter",
            LogFormat::PfFilterlog => "pf",
            LogFormat::WindowsFirewall => "windows",
        }
    }

    /// Accepts the short names and fwseen's format names (`pf-filterlog`, `windows-firewall`).
    pub fn from_name(name: &str) -> Option<LogFormat> {
        match name {
            "netfilter" | "iptables" => Some(LogFormat::Netfilter),
            "pf" | "pf-filterlog" | "filterlog" => Some(LogFormat::PfFilterlog),
            "windows" | "windows-firewall" | "pfirewall" => Some(LogFormat::WindowsFirewall),
            _ => None,
        }
    }

    /// The header lines written before the first packet line.
    pub fn header(self) -> &'static [u8] {
        match self {
            LogFormat::WindowsFirewall => windows::HEADER,
            _ => b"",
        }
    }

    /// How many lines the header has (packet `n` is on line `n + header_lines`).
    pub fn header_lines(self) -> u64 {
        self.header().iter().filter(|&&b| b == b'\n').count() as u64
    }
}

/// Choices that change what a format prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Netfilter: print `SEQ=` and `ACK=` (iptables `--log-tcp-sequence`). Off by default, as in
    /// most rule sets; scanner fingerprints that need the sequence number (Mirai) then are not
    /// visible in netfilter logs.
    pub netfilter_tcp_sequence: bool,
}

/// Renders packets of one format.
pub struct Renderer {
    format: LogFormat,
    options: RenderOptions,
    /// The second whose date text is cached, and that text.
    cached_second: i64,
    cached_date: Vec<u8>,
}

impl Renderer {
    pub fn new(format: LogFormat, options: RenderOptions) -> Renderer {
        Renderer {
            format,
            options,
            cached_second: i64::MIN,
            cached_date: Vec::with_capacity(32),
        }
    }

    pub fn format(&self) -> LogFormat {
        self.format
    }

    /// Appends the packet's line, with its line end, to `out`.
    pub fn render(&mut self, packet: &Packet, out: &mut Vec<u8>) {
        let second = packet.time_micros.div_euclid(1_000_000);
        if second != self.cached_second {
            self.cached_second = second;
            self.cached_date.clear();
            match self.format {
                LogFormat::WindowsFirewall => push_iso_date_time(&mut self.cached_date, second),
                _ => push_bsd_date_time(&mut self.cached_date, second),
            }
        }
        match self.format {
            LogFormat::Netfilter => netfilter::render(packet, &self.cached_date, self.options, out),
            LogFormat::PfFilterlog => pf::render(packet, &self.cached_date, out),
            LogFormat::WindowsFirewall => windows::render(packet, &self.cached_date, out),
        }
    }
}

/// The event a parser must read from the packet's rendered line.
pub fn expected_event(
    format: LogFormat,
    options: RenderOptions,
    packet: &Packet,
) -> Event<'static> {
    match format {
        LogFormat::Netfilter => netfilter::expected_event(packet, options),
        LogFormat::PfFilterlog => pf::expected_event(packet),
        LogFormat::WindowsFirewall => windows::expected_event(packet),
    }
}

/// True when a log of `format` carries the fields that tell a pattern of `kind` apart.
///
/// Some fingerprints need fields a format does not print: the IP id (zmap, masscan) and the
/// sequence number (masscan, Mirai) are missing from netfilter logs without
/// `--log-tcp-sequence`; Windows prints neither IP ids nor TTLs, nor anything for a TCP packet
/// without flags (a NULL scan), nor the TTLs an ICMP traceroute is recognised by, nor the
/// interface a packet arrived on (so a loopback source from the internet looks like any other
/// source there). Every format prints IP protocol numbers (an IP-protocol scan).
pub fn carries(
    format: LogFormat,
    options: RenderOptions,
    kind: Kind,
    variant: Option<&str>,
) -> bool {
    match format {
        LogFormat::Netfilter => {
            options.netfilter_tcp_sequence
                || !matches!(kind, Kind::ScannerMasscan | Kind::ScannerMirai)
        }
        LogFormat::PfFilterlog => true,
        LogFormat::WindowsFirewall => match kind {
            Kind::ScannerZmap | Kind::ScannerMasscan => false,
            Kind::ScanStealth => variant != Some("null"),
            Kind::BenignTraceroute => variant != Some("icmp"),
            Kind::ProbeSpoofedSource => variant != Some("loopback"),
            _ => true,
        },
    }
}

/// The packet's time truncated to the second, as logs without fractions carry it.
pub(crate) fn whole_second(packet: &Packet) -> Option<Timestamp> {
    Some(Timestamp {
        unix_micros: packet.time_micros.div_euclid(1_000_000) * 1_000_000,
        original_offset_seconds: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Hand-written formatting.
// ---------------------------------------------------------------------------------------------

/// Appends a decimal number.
pub(crate) fn push_u64(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// Appends a number as two digits (zero-padded).
pub(crate) fn push_two_digits(out: &mut Vec<u8>, value: u32) {
    out.push(b'0' + (value / 10 % 10) as u8);
    out.push(b'0' + (value % 10) as u8);
}

/// Appends a dotted quad.
pub(crate) fn push_ipv4(out: &mut Vec<u8>, address: Ipv4Addr) {
    let octets = address.octets();
    for (index, octet) in octets.iter().enumerate() {
        if index > 0 {
            out.push(b'.');
        }
        push_u64(out, u64::from(*octet));
    }
}

/// Appends an address in its canonical text form.
pub(crate) fn push_ip(out: &mut Vec<u8>, address: IpAddr) {
    match address {
        IpAddr::V4(v4) => push_ipv4(out, v4),
        IpAddr::V6(v6) => {
            // Writing to a Vec cannot fail.
            let _ = write!(out, "{v6}");
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends a byte as two lower-case hex digits.
pub(crate) fn push_hex_byte(out: &mut Vec<u8>, byte: u8) {
    out.push(HEX[usize::from(byte >> 4)]);
    out.push(HEX[usize::from(byte & 15)]);
}

/// The civil date (year, month, day) of a day count since 1970-01-01 (the era algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

fn push_clock(out: &mut Vec<u8>, second_of_day: i64) {
    push_two_digits(out, (second_of_day / 3600) as u32);
    out.push(b':');
    push_two_digits(out, (second_of_day / 60 % 60) as u32);
    out.push(b':');
    push_two_digits(out, (second_of_day % 60) as u32);
}

/// Appends an RFC 3164 time stamp: `Mar  1 07:04:05` (day padded with a space).
pub(crate) fn push_bsd_date_time(out: &mut Vec<u8>, unix_seconds: i64) {
    let (_, month, day) = civil_from_days(unix_seconds.div_euclid(86_400));
    out.extend_from_slice(MONTHS[month as usize - 1]);
    out.push(b' ');
    if day < 10 {
        out.push(b' ');
        out.push(b'0' + day as u8);
    } else {
        push_two_digits(out, day);
    }
    out.push(b' ');
    push_clock(out, unix_seconds.rem_euclid(86_400));
}

/// Appends `2026-03-01 07:04:05`.
pub(crate) fn push_iso_date_time(out: &mut Vec<u8>, unix_seconds: i64) {
    let (year, month, day) = civil_from_days(unix_seconds.div_euclid(86_400));
    push_u64(out, year.max(0) as u64);
    out.push(b'-');
    push_two_digits(out, month);
    out.push(b'-');
    push_two_digits(out, day);
    out.push(b' ');
    push_clock(out, unix_seconds.rem_euclid(86_400));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl Fn(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).expect("ascii")
    }

    #[test]
    fn numbers_addresses_and_dates() {
        assert_eq!(text(|o| push_u64(o, 0)), "0");
        assert_eq!(
            text(|o| push_u64(o, 18_446_744_073_709_551_615)),
            "18446744073709551615"
        );
        assert_eq!(
            text(|o| push_ipv4(o, Ipv4Addr::new(203, 0, 113, 7))),
            "203.0.113.7"
        );
        assert_eq!(text(|o| push_hex_byte(o, 0x0a)), "0a");
        // 2026-03-01T07:04:05Z and 2024-02-29T23:59:59Z.
        assert_eq!(
            text(|o| push_bsd_date_time(o, 1_772_348_645)),
            "Mar  1 07:04:05"
        );
        assert_eq!(
            text(|o| push_iso_date_time(o, 1_772_348_645)),
            "2026-03-01 07:04:05"
        );
        assert_eq!(
            text(|o| push_iso_date_time(o, 1_709_251_199)),
            "2024-02-29 23:59:59"
        );
        assert_eq!(
            text(|o| push_bsd_date_time(o, 1_702_339_200)),
            "Dec 12 00:00:00"
        );
    }

    #[test]
    fn which_formats_carry_which_fingerprints() {
        let plain = RenderOptions::default();
        let with_sequence = RenderOptions {
            netfilter_tcp_sequence: true,
        };
        assert!(!carries(
            LogFormat::Netfilter,
            plain,
            Kind::ScannerMirai,
            None
        ));
        assert!(carries(
            LogFormat::Netfilter,
            with_sequence,
            Kind::ScannerMirai,
            None
        ));
        assert!(carries(
            LogFormat::Netfilter,
            plain,
            Kind::ScannerZmap,
            None
        ));
        assert!(!carries(
            LogFormat::WindowsFirewall,
            plain,
            Kind::ScannerZmap,
            None
        ));
        assert!(!carries(
            LogFormat::WindowsFirewall,
            plain,
            Kind::ScanStealth,
            Some("null")
        ));
        assert!(carries(
            LogFormat::WindowsFirewall,
            plain,
            Kind::ScanStealth,
            Some("fin")
        ));
        assert!(!carries(
            LogFormat::WindowsFirewall,
            plain,
            Kind::ProbeSpoofedSource,
            Some("loopback")
        ));
        assert!(carries(
            LogFormat::WindowsFirewall,
            plain,
            Kind::ProbeSpoofedSource,
            Some("land")
        ));
        assert!(carries(
            LogFormat::WindowsFirewall,
            plain,
            Kind::ScanIpProtocol,
            None
        ));
        assert!(Kind::ALL
            .iter()
            .all(|&kind| carries(LogFormat::PfFilterlog, plain, kind, None)));
    }

    #[test]
    fn format_names() {
        for format in LogFormat::ALL {
            assert_eq!(LogFormat::from_name(format.name()), Some(format));
        }
        assert_eq!(LogFormat::WindowsFirewall.header_lines(), 4);
        assert_eq!(LogFormat::Netfilter.header_lines(), 0);
    }
}
