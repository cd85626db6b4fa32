//! Turning log records into [`Event`]s.
//!
//! Framing (how bytes become records: lines, with syslog headers) is kept apart from formats
//! (what a record means). Each format lives in its own module behind the [`Format`] trait, and
//! [`sniff`] picks a format from the first lines of an input.
//!
//! **Invariant:** parsing a record never panics and never fails: it returns a [`Record`] that is
//! exactly one of an event, a skip with a reason, or a malformed record with a reason. This is what
//! lets every caller account for every line.
//!
//! **Invariant:** every event's time, when it has one, lies inside the time window of
//! [`fwseen_event::Timestamp::in_window`]. The rule is applied in one place,
//! [`time::enforce_window`], which [`Format::parse`] and the capture reader call on every record
//! they make; a format module only reads its fields.

use fwseen_event::Event;

/// What one input record turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // records are moved one at a time, never stored in bulk; boxing would allocate per line
pub enum Record<'a> {
    /// A packet the firewall logged.
    Event(Event<'a>),
    /// A record that is deliberately not an event (blank, comment, header, another program's line).
    Skipped(SkipReason),
    /// A record that looked like this format's packet line but could not be read.
    Malformed(Malformed),
}

/// Why a record was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// An empty (or all-whitespace) line.
    Blank,
    /// A comment or a header line (`#Fields:`, `#separator`, ...).
    Header,
    /// A well-formed line of this format that does not describe a packet (a VPN login, an admin
    /// event, a session summary without addresses).
    NotPacket,
    /// A line of another program in a mixed syslog file.
    OtherProgram,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Blank => "blank",
            SkipReason::Header => "header",
            SkipReason::NotPacket => "not a packet record",
            SkipReason::OtherProgram => "not a firewall line",
        }
    }
}

/// Why a record could not be read, and where in it the trouble started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    pub reason: &'static str,
    /// Byte offset in the record where the problem was found, when known.
    pub column: Option<usize>,
}

impl Malformed {
    pub fn new(reason: &'static str) -> Malformed {
        Malformed {
            reason,
            column: None,
        }
    }

    pub fn at(reason: &'static str, column: usize) -> Malformed {
        Malformed {
            reason,
            column: Some(column),
        }
    }
}

pub mod asa;
pub mod cef;
pub mod checkpoint;
mod fields;
pub mod fortigate;
pub mod huawei;
pub mod juniper;
mod kv;
pub mod mikrotik;
pub mod netfilter;
pub mod paloalto;
pub mod pcap;
pub mod pf;
pub mod reader;
pub mod sniff;
pub mod sonicwall;
pub mod sophos;
pub mod syslog;
pub mod time;
pub mod windows;
mod words;
pub mod zeek;

pub use sniff::sniff;
pub use time::TimeContext;

/// A line-oriented log format: turns one record (a line without its line end) into a [`Record`].
///
/// Parsers may keep state between lines (a `#Fields:` header, the year of the previous line), so
/// `parse` takes `&mut self`; one parser instance reads one input, in order.
///
/// A format implements [`Format::read_record`] (what its fields say); callers call
/// [`Format::parse`], which adds the rules every format shares.
pub trait Format: Send {
    /// Which format this is.
    fn kind(&self) -> FormatKind;

    /// Reads one record as this format writes it, before the shared rules. Implement this; call
    /// [`Format::parse`].
    fn read_record<'a>(&mut self, line: &'a [u8]) -> Record<'a>;

    /// Parses one record: [`Format::read_record`], then the rules every format shares (an event
    /// whose time lies outside the time window is malformed, see [`time::enforce_window`]).
    /// Leaves `Event::origin` at its default: the caller fills it in. Formats do not override it.
    #[inline]
    fn parse<'a>(&mut self, line: &'a [u8]) -> Record<'a> {
        time::enforce_window(self.read_record(line))
    }
}

/// Every format fwseen reads, with its stable name (used by `--format` and in JSON output).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FormatKind {
    /// Linux netfilter `LOG` lines (iptables, ip6tables, nftables, ufw, firewalld, ...) in syslog,
    /// journalctl or dmesg output.
    Netfilter,
    /// pfSense / OPNsense `filterlog` CSV lines.
    PfFilterlog,
    /// OpenBSD pflog read back with `tcpdump -n -e -ttt -r`.
    PfTcpdump,
    /// Windows Defender Firewall `pfirewall.log` (W3C extended).
    WindowsFirewall,
    /// Zeek `conn.log`, tab-separated with its header.
    ZeekTsv,
    /// Zeek `conn.log` as JSON lines.
    ZeekJson,
    /// Cisco ASA / PIX / FTD syslog.
    CiscoAsa,
    /// FortiGate key=value traffic logs.
    FortiGate,
    /// Palo Alto PAN-OS CSV TRAFFIC and THREAT logs.
    PaloAlto,
    /// Juniper SRX `RT_FLOW` session logs.
    JuniperSrx,
    /// MikroTik RouterOS firewall log lines.
    MikroTik,
    /// ArcSight Common Event Format records (`CEF:0|...`), also with the `CEF:` prefix cut.
    Cef,
    /// SonicWall SonicOS key=value syslog records.
    SonicWall,
    /// Sophos Firewall (XG / SFOS) key=value records.
    SophosXg,
    /// Check Point Log Exporter (`[key:"value"; ...]`) and older text-form records.
    CheckPoint,
    /// Huawei USG firewall `%%01MODULE/n/MNEMONIC` records.
    HuaweiUsg,
    /// pcap or pcapng capture (not line based: see [`pcap`]).
    Pcap,
}

impl FormatKind {
    /// All formats, in the order sniffing tries them.
    pub const ALL: [FormatKind; 17] = [
        FormatKind::Pcap,
        FormatKind::WindowsFirewall,
        FormatKind::ZeekTsv,
        FormatKind::ZeekJson,
        FormatKind::PfFilterlog,
        FormatKind::PfTcpdump,
        FormatKind::CiscoAsa,
        // CEF and Sophos lines also hold `type=` and `log_id=`, which FortiGate's sniffer
        // accepts: they come first so that they win the tie.
        FormatKind::Cef,
        FormatKind::SophosXg,
        FormatKind::SonicWall,
        FormatKind::CheckPoint,
        FormatKind::HuaweiUsg,
        FormatKind::FortiGate,
        FormatKind::PaloAlto,
        FormatKind::JuniperSrx,
        FormatKind::MikroTik,
        FormatKind::Netfilter,
    ];

    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            FormatKind::Netfilter => "netfilter",
            FormatKind::PfFilterlog => "pf-filterlog",
            FormatKind::PfTcpdump => "pf-tcpdump",
            FormatKind::WindowsFirewall => "windows-firewall",
            FormatKind::ZeekTsv => "zeek-tsv",
            FormatKind::ZeekJson => "zeek-json",
            FormatKind::CiscoAsa => "cisco-asa",
            FormatKind::FortiGate => "fortigate",
            FormatKind::PaloAlto => "paloalto",
            FormatKind::JuniperSrx => "juniper-srx",
            FormatKind::MikroTik => "mikrotik",
            FormatKind::Cef => "cef",
            FormatKind::SonicWall => "sonicwall",
            FormatKind::SophosXg => "sophos-xg",
            FormatKind::CheckPoint => "checkpoint",
            FormatKind::HuaweiUsg => "huawei-usg",
            FormatKind::Pcap => "pcap",
        }
    }

    /// Looks a format up by its stable name.
    pub fn from_name(name: &str) -> Option<FormatKind> {
        FormatKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// A fresh parser for a line-oriented format (`None` for [`FormatKind::Pcap`]).
    pub fn line_parser(self, time: TimeContext) -> Option<Box<dyn Format>> {
        Some(match self {
            FormatKind::Netfilter => Box::new(netfilter::NetfilterParser::new(time)),
            FormatKind::PfFilterlog => Box::new(pf::FilterlogParser::new(time)),
            FormatKind::PfTcpdump => Box::new(pf::TcpdumpParser::new(time)),
            FormatKind::WindowsFirewall => Box::new(windows::WindowsFirewallParser::new(time)),
            FormatKind::ZeekTsv => Box::new(zeek::ZeekTsvParser::new(time)),
            FormatKind::ZeekJson => Box::new(zeek::ZeekJsonParser::new(time)),
            FormatKind::CiscoAsa => Box::new(asa::AsaParser::new(time)),
            FormatKind::FortiGate => Box::new(fortigate::FortiGateParser::new(time)),
            FormatKind::PaloAlto => Box::new(paloalto::PaloAltoParser::new(time)),
            FormatKind::JuniperSrx => Box::new(juniper::JuniperParser::new(time)),
            FormatKind::MikroTik => Box::new(mikrotik::MikroTikParser::new(time)),
            FormatKind::Cef => Box::new(cef::CefParser::new(time)),
            FormatKind::SonicWall => Box::new(sonicwall::SonicWallParser::new(time)),
            FormatKind::SophosXg => Box::new(sophos::SophosParser::new(time)),
            FormatKind::CheckPoint => Box::new(checkpoint::CheckPointParser::new(time)),
            FormatKind::HuaweiUsg => Box::new(huawei::HuaweiParser::new(time)),
            FormatKind::Pcap => return None,
        })
    }
}

impl std::fmt::Display for FormatKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
