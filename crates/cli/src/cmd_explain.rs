//! `fwseen explain QUERY`: what a port, a port range, a service name, an ICMP type or an address
//! means when it shows up in a firewall log.
//!
//! The command works in three steps: [`parse_query`] turns the arguments into a [`Query`] (or a
//! usage error, exit code 2); [`build_answer`] looks everything up in the knowledge base and fills
//! an [`Answer`], whose serde form *is* the `--json` output (documented in `docs/json.md`,
//! section "explain"); [`render_text`] prints the same answer as wrapped, optionally coloured text.
//! Texts come out in one language, chosen by `--lang` or the environment.

use std::io::{IsTerminal, Write};
use std::net::IpAddr;

use anyhow::Context;
use fwseen_event::Protocol;
use fwseen_kb::{self as kb, Lang, PortClass, Verdict};
use serde::Serialize;

use crate::common::{ColorChoice, LangChoice};
use crate::exit::Exit;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// What to explain: a port (31337), port/protocol (31789/udp), a range (6970-7170), a
    /// service name (ssh, bootps, back-orifice), an ICMP type (icmp 11, icmp 3/13, icmpv6 135,
    /// icmp:3/13) or an IP address (10.1.2.3, fe80::1).
    #[arg(required_unless_present = "line", num_args = 1..=2, value_name = "QUERY")]
    pub query: Vec<String>,

    /// Explain one raw log line instead: its fields, what its ports, addresses and ICMP type
    /// mean, and what the packet alone suggests.
    #[arg(long, value_name = "RAW LOG LINE", conflicts_with = "query")]
    pub line: Option<String>,

    /// With --line: read the line as this format instead of detecting it.
    #[arg(long, value_name = "FORMAT", requires = "line",
          value_parser = crate::cmd_parse::parse_format_name)]
    pub format: Option<fwseen_parse::FormatKind>,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,

    /// Language of the explanation (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangChoice>,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Width used when stdout is not a terminal.
const PIPE_WIDTH: usize = 100;

pub fn run(args: &ExplainArgs) -> anyhow::Result<Exit> {
    let lang = match LangChoice::resolve(args.lang) {
        LangChoice::En => Lang::En,
        LangChoice::ZhHant => Lang::ZhHant,
    };
    if let Some(line) = &args.line {
        return crate::explain_line::run(line, args.format, lang, args.json, PIPE_WIDTH);
    }
    let query = match parse_query(&args.query) {
        Ok(query) => query,
        Err(message) => return Ok(usage_error(&message)),
    };
    let answer = match build_answer(&args.query.join(" "), &query, lang) {
        Ok(answer) => answer,
        Err(message) => return Ok(usage_error(&message)),
    };
    let output = if args.json {
        let mut json = serde_json::to_string_pretty(&answer).context("serialising the answer")?;
        json.push('\n');
        json
    } else {
        let width = if std::io::stdout().is_terminal() {
            textwrap::termwidth().clamp(40, 160)
        } else {
            PIPE_WIDTH
        };
        render_text(&answer, lang, width, args.color.use_color_on_stdout())
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing the explanation")?;
    Ok(Exit::Ok)
}

/// Prints a query error and its hint to stderr; the exit code is 2.
fn usage_error(message: &str) -> Exit {
    eprintln!("fwseen explain: {message}");
    eprintln!(
        "expected a port (22), port/protocol (53/udp), range (6970-7170), service name (ssh), \
         ICMP type (icmp 11, icmp 3/13, icmpv6 135) or IP address (10.1.2.3)"
    );
    Exit::Error
}

// ---------------------------------------------------------------------------------------------
// Queries.

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// One port, optionally for one transport protocol.
    Port {
        port: u16,
        protocol: Option<Transport>,
    },
    /// An inclusive port range, optionally for one transport protocol.
    Range {
        low: u16,
        high: u16,
        protocol: Option<Transport>,
    },
    /// A service, malware or knowledge-base name.
    Name(String),
    /// An ICMP (version 4) or ICMPv6 type, with an optional code.
    Icmp {
        version: u8,
        icmp_type: u8,
        code: Option<u8>,
    },
    /// An IP address.
    Address(IpAddr),
}

/// A transport protocol that has ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
    Sctp,
    Dccp,
}

impl Transport {
    fn from_name(name: &str) -> Option<Transport> {
        match name.to_ascii_lowercase().as_str() {
            "tcp" => Some(Transport::Tcp),
            "udp" => Some(Transport::Udp),
            "sctp" => Some(Transport::Sctp),
            "dccp" => Some(Transport::Dccp),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
            Transport::Sctp => "sctp",
            Transport::Dccp => "dccp",
        }
    }

    fn protocol(self) -> Protocol {
        match self {
            Transport::Tcp => Protocol::Tcp,
            Transport::Udp => Protocol::Udp,
            Transport::Sctp => Protocol::Other(132),
            Transport::Dccp => Protocol::Other(33),
        }
    }
}

/// Parses the query arguments. `icmp 3/13` may come as two arguments or as one (`icmp:3/13`,
/// or `"icmp 3/13"` quoted); every other form is a single word.
pub fn parse_query(args: &[String]) -> Result<Query, String> {
    let words: Vec<&str> = args.iter().flat_map(|a| a.split_whitespace()).collect();
    let first = match words.first() {
        Some(first) => *first,
        None => return Err("the query is empty".to_string()),
    };
    if let Some((version, rest)) = icmp_prefix(first) {
        let spec = match (rest, words.get(1)) {
            ("", Some(next)) if words.len() == 2 => *next,
            ("", None) => return Err(format!("{first} needs a TYPE or TYPE/CODE")),
            (rest, None) if !rest.is_empty() => rest,
            _ => return Err(format!("too many words in the query {:?}", words.join(" "))),
        };
        return parse_icmp(version, spec);
    }
    if words.len() > 1 {
        // Several words are a multi-word name ("Back Orifice"), never several queries.
        if words.iter().all(|w| is_name_part(w)) && words.iter().any(|w| is_name(w)) {
            return Ok(Query::Name(words.join(" ")));
        }
        return Err(format!(
            "explain takes one query, got {:?} (only ICMP queries have two words)",
            words.join(" ")
        ));
    }
    let word = first;
    if let Ok(ip) = word
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return Ok(Query::Address(ip));
    }
    let (ports, protocol) = match word.split_once('/') {
        Some((ports, proto)) => match Transport::from_name(proto) {
            Some(t) => (ports, Some(t)),
            None => {
                return Err(format!(
                    "unknown protocol {proto:?} in {word:?} (use tcp, udp, sctp or dccp)"
                ))
            }
        },
        None => (word, None),
    };
    if let Some((low, high)) = ports.split_once('-') {
        if is_number(low) && is_number(high) {
            let low = parse_port(low)?;
            let high = parse_port(high)?;
            if low > high {
                return Err(format!("the range {word:?} ends before it starts"));
            }
            return Ok(if low == high {
                Query::Port {
                    port: low,
                    protocol,
                }
            } else {
                Query::Range {
                    low,
                    high,
                    protocol,
                }
            });
        }
    }
    if is_number(ports) {
        return Ok(Query::Port {
            port: parse_port(ports)?,
            protocol,
        });
    }
    if protocol.is_none() && is_name(word) {
        return Ok(Query::Name(word.to_string()));
    }
    Err(format!("cannot understand the query {word:?}"))
}

/// Recognises `icmp`, `icmpv6`, `icmp6` (optionally followed by `:` and the rest).
fn icmp_prefix(word: &str) -> Option<(u8, &str)> {
    let lower = word.to_ascii_lowercase();
    let (name, rest) = match lower.split_once(':') {
        Some((name, _)) => (name.to_string(), &word[name.len() + 1..]),
        None => (lower, ""),
    };
    match name.as_str() {
        "icmp" | "icmpv4" => Some((4, rest)),
        "icmpv6" | "icmp6" | "ipv6-icmp" => Some((6, rest)),
        _ => None,
    }
}

fn parse_icmp(version: u8, spec: &str) -> Result<Query, String> {
    let (type_text, code_text) = match spec.split_once('/') {
        Some((t, c)) => (t, Some(c)),
        None => (spec, None),
    };
    let number = |text: &str, what: &str| -> Result<u8, String> {
        if !is_number(text) {
            return Err(format!("the ICMP {what} {text:?} is not a number"));
        }
        text.parse::<u8>()
            .map_err(|_| format!("the ICMP {what} {text} is out of range (0-255)"))
    };
    Ok(Query::Icmp {
        version,
        icmp_type: number(type_text, "type")?,
        code: code_text.map(|c| number(c, "code")).transpose()?,
    })
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .map_err(|_| format!("port {text} is out of range (0-65535)"))
}

/// A word that can be a service name on its own: name characters and at least one letter.
fn is_name(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_alphabetic()) && is_name_part(word)
}

/// Characters service, malware and kb names are made of (IANA names use `-`, `_`, `.`, `+`).
fn is_name_part(word: &str) -> bool {
    !word.is_empty()
        && word.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'+' | b'(' | b')')
        })
}

// ---------------------------------------------------------------------------------------------
// The answer: its serde form is the JSON wire format (docs/json.md, "explain").

/// Everything `explain` says about a query. Exactly one of the optional parts is present,
/// matching `kind`.
#[derive(Debug, Serialize)]
pub struct Answer {
    /// The query as given.
    pub query: String,
    /// `port`, `range`, `name`, `icmp` or `address`.
    pub kind: &'static str,
    /// `en` or `zh-Hant`: the language of every text below.
    pub lang: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<RangeAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<NameAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icmp: Option<IcmpAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<AddressAnswer>,
}

#[derive(Debug, Serialize)]
pub struct PortAnswer {
    pub port: u16,
    /// The protocol the query asked for, or null for all.
    pub protocol: Option<&'static str>,
    pub class: ClassJson,
    pub iana: Vec<IanaJson>,
    /// True when an entry of the port's own (one covering at most 64 ports) explains it as a
    /// destination; false when fwseen knows it only through wide ranges, IANA names, its class
    /// and its neighbours.
    pub specific: bool,
    pub as_destination: Vec<PortEntryJson>,
    /// For a port without an entry of its own: the closest entries of their own within
    /// [`NEARBY_DISTANCE`] ports, nearest first (empty otherwise).
    pub nearby: Vec<NearbyJson>,
    pub as_source: Vec<SourcePortJson>,
    pub ephemeral: Vec<EphemeralJson>,
    pub related: Vec<RelatedJson>,
}

/// A neighbouring port's entry, shown for a port fwseen has no specific knowledge of.
#[derive(Debug, Serialize)]
pub struct NearbyJson {
    pub id: &'static str,
    pub low: u16,
    pub high: u16,
    pub name: &'static str,
    pub title: &'static str,
    /// From the queried port to the entry's nearest port: negative below, positive above.
    pub offset: i32,
}

/// How far (in ports) `explain` looks for neighbours of a port without an entry of its own.
pub const NEARBY_DISTANCE: u16 = 10;

/// How many neighbours it shows at most.
const NEARBY_MAX: usize = 3;

#[derive(Debug, Serialize)]
pub struct ClassJson {
    pub name: &'static str,
    pub low: u16,
    pub high: u16,
    pub description: &'static str,
}

#[derive(Debug, Serialize)]
pub struct IanaJson {
    pub port: u16,
    pub protocol: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Serialize)]
pub struct PortEntryJson {
    pub id: &'static str,
    pub low: u16,
    pub high: u16,
    pub protocols: Vec<&'static str>,
    pub name: &'static str,
    pub verdict: &'static str,
    pub tags: &'static [&'static str],
    pub seed: bool,
    pub title: &'static str,
    pub meaning: &'static str,
    pub benign_or_hostile: &'static str,
    pub advice: &'static str,
    pub era: Option<&'static str>,
    pub outbound: Option<&'static str>,
    pub related: &'static [u16],
}

#[derive(Debug, Serialize)]
pub struct SourcePortJson {
    pub id: &'static str,
    pub low: u16,
    pub high: u16,
    pub protocols: Vec<&'static str>,
    pub name: &'static str,
    pub verdict: &'static str,
    pub tags: &'static [&'static str],
    pub meaning: &'static str,
    pub advice: &'static str,
}

#[derive(Debug, Serialize)]
pub struct EphemeralJson {
    pub id: &'static str,
    pub low: u16,
    pub high: u16,
    /// The system in English (stable whatever the language).
    pub os: &'static str,
    /// The system in Traditional Chinese.
    pub os_zh: &'static str,
    pub note: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RelatedJson {
    pub port: u16,
    /// kb entry names at that port, else its IANA service names.
    pub names: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct RangeAnswer {
    pub low: u16,
    pub high: u16,
    pub protocol: Option<&'static str>,
    /// The port classes the range touches.
    pub classes: Vec<ClassJson>,
    /// Every kb entry overlapping the range, in table order.
    pub entries: Vec<PortEntryJson>,
    /// IANA registrations (port/protocol records) inside the range.
    pub iana_records: usize,
    /// Distinct ports inside the range that have at least one IANA registration.
    pub iana_ports: usize,
}

#[derive(Debug, Serialize)]
pub struct NameAnswer {
    pub name: String,
    /// Ids of the kb entries whose id or name matched.
    pub entries: Vec<&'static str>,
    /// IANA records whose service name matched.
    pub iana: Vec<IanaJson>,
    /// Full answers for every single port found.
    pub ports: Vec<PortAnswer>,
    /// Full answers for every port range found.
    pub ranges: Vec<RangeAnswer>,
}

#[derive(Debug, Serialize)]
pub struct IcmpAnswer {
    /// 4 or 6.
    pub version: u8,
    /// `icmp` or `icmpv6`.
    pub protocol: &'static str,
    #[serde(rename = "type")]
    pub icmp_type: u8,
    pub code: Option<u8>,
    /// The entry describing the whole type, if the kb has one.
    pub type_entry: Option<IcmpJson>,
    /// The entry for this exact code, if a code was asked and the kb has one.
    pub code_entry: Option<IcmpJson>,
}

#[derive(Debug, Serialize)]
pub struct IcmpJson {
    #[serde(rename = "type")]
    pub icmp_type: u8,
    pub code: Option<u8>,
    /// The English name (stable whatever the language).
    pub name: &'static str,
    /// The name in Traditional Chinese.
    pub name_zh: &'static str,
    pub verdict: &'static str,
    pub tags: &'static [&'static str],
    pub meaning: &'static str,
    pub advice: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct AddressAnswer {
    pub address: String,
    pub version: u8,
    /// False for an ordinary global unicast address (no special block contains it).
    pub special: bool,
    /// Special blocks containing the address, most specific first.
    pub blocks: Vec<AddressJson>,
}

#[derive(Debug, Serialize)]
pub struct AddressJson {
    pub id: &'static str,
    pub cidr: &'static str,
    /// The English name (stable whatever the language).
    pub name: &'static str,
    /// The name in Traditional Chinese.
    pub name_zh: &'static str,
    pub rfc: &'static str,
    pub tags: &'static [&'static str],
    pub as_source: &'static str,
    pub as_destination: &'static str,
}

/// Looks the query up. Errors (exit code 2) for names, ICMP types and codes the knowledge base
/// and the IANA registry do not know.
pub fn build_answer(text: &str, query: &Query, lang: Lang) -> Result<Answer, String> {
    let mut answer = Answer {
        query: text.to_string(),
        kind: "",
        lang: lang.code(),
        port: None,
        range: None,
        name: None,
        icmp: None,
        address: None,
    };
    match *query {
        Query::Port { port, protocol } => {
            answer.kind = "port";
            answer.port = Some(port_answer(port, protocol, lang));
        }
        Query::Range {
            low,
            high,
            protocol,
        } => {
            answer.kind = "range";
            answer.range = Some(range_answer(low, high, protocol, lang));
        }
        Query::Name(ref name) => {
            answer.kind = "name";
            answer.name = Some(name_answer(name, lang)?);
        }
        Query::Icmp {
            version,
            icmp_type,
            code,
        } => {
            answer.kind = "icmp";
            answer.icmp = Some(icmp_answer(version, icmp_type, code, lang)?);
        }
        Query::Address(ip) => {
            answer.kind = "address";
            answer.address = Some(address_answer(ip, lang));
        }
    }
    Ok(answer)
}

fn class_json(class: PortClass, lang: Lang) -> ClassJson {
    let (low, high) = class.range();
    ClassJson {
        name: class.as_str(),
        low,
        high,
        description: class.describe().get(lang),
    }
}

fn iana_json(record: &'static kb::IanaRecord) -> IanaJson {
    IanaJson {
        port: record.port,
        protocol: record.protocol,
        name: record.name,
        description: record.description,
    }
}

fn port_entry_json(e: &'static kb::PortEntry, lang: Lang) -> PortEntryJson {
    PortEntryJson {
        id: e.id,
        low: e.low,
        high: e.high,
        protocols: e.protocols.names(),
        name: e.name,
        verdict: e.verdict.as_str(),
        tags: e.tags,
        seed: e.seed,
        title: e.title.get(lang),
        meaning: e.meaning.get(lang),
        benign_or_hostile: e.benign_or_hostile.get(lang),
        advice: e.advice.get(lang),
        era: e.era.map(|t| t.get(lang)),
        outbound: e.outbound.map(|t| t.get(lang)),
        related: e.related,
    }
}

fn port_answer(port: u16, protocol: Option<Transport>, lang: Lang) -> PortAnswer {
    let proto = protocol.map(Transport::protocol);
    let as_destination: Vec<PortEntryJson> = kb::ports_at(port, proto)
        .map(|e| port_entry_json(e, lang))
        .collect();
    let specific = kb::specific_entry(port, proto).is_some();
    let nearby = if specific {
        Vec::new()
    } else {
        nearby_entries(port, proto, lang)
    };
    let as_source = kb::source_ports_at(port, proto)
        .map(|e| SourcePortJson {
            id: e.id,
            low: e.low,
            high: e.high,
            protocols: e.protocols.names(),
            name: e.name,
            verdict: e.verdict.as_str(),
            tags: e.tags,
            meaning: e.meaning.get(lang),
            advice: e.advice.get(lang),
        })
        .collect();
    let ephemeral = kb::ephemeral_at(port)
        .map(|e| EphemeralJson {
            id: e.id,
            low: e.low,
            high: e.high,
            os: e.os,
            os_zh: e.os_zh,
            note: e.note.get(lang),
        })
        .collect();
    let mut related_ports: Vec<u16> = Vec::new();
    for entry in &as_destination {
        for &r in entry.related {
            if r != port && !related_ports.contains(&r) {
                related_ports.push(r);
            }
        }
    }
    let related = related_ports
        .into_iter()
        .map(|r| RelatedJson {
            port: r,
            names: port_names(r),
        })
        .collect();
    PortAnswer {
        port,
        protocol: protocol.map(Transport::as_str),
        class: class_json(PortClass::of(port), lang),
        iana: kb::iana_at(port, protocol.map(Transport::as_str))
            .iter()
            .map(iana_json)
            .collect(),
        specific,
        as_destination,
        nearby,
        as_source,
        ephemeral,
        related,
    }
}

/// The entries of their own closest to `port` (within [`NEARBY_DISTANCE`], at most
/// [`NEARBY_MAX`]), nearest first: for a port without one, the likeliest reason it is probed is
/// often a neighbour (a service moved next door, a scanner trying numbers around a known one).
fn nearby_entries(port: u16, proto: Option<Protocol>, lang: Lang) -> Vec<NearbyJson> {
    let mut found: Vec<(u16, i32, &'static kb::PortEntry)> = kb::all_ports()
        .iter()
        .filter(|e| e.is_specific() && proto.is_none_or(|p| e.protocols.contains(p)))
        .filter_map(|e| {
            let offset = if e.high < port {
                i32::from(e.high) - i32::from(port)
            } else if e.low > port {
                i32::from(e.low) - i32::from(port)
            } else {
                return None;
            };
            let distance = offset.unsigned_abs() as u16;
            (distance <= NEARBY_DISTANCE).then_some((distance, offset, e))
        })
        .collect();
    found.sort_by_key(|&(distance, offset, e)| (distance, offset, e.low, e.id));
    let mut nearby: Vec<NearbyJson> = Vec::new();
    for (_, offset, e) in found {
        // One line per neighbouring range, whatever the number of protocols' entries on it.
        if nearby.len() == NEARBY_MAX || nearby.iter().any(|n| (n.low, n.high) == (e.low, e.high)) {
            continue;
        }
        nearby.push(NearbyJson {
            id: e.id,
            low: e.low,
            high: e.high,
            name: e.name,
            title: e.title.get(lang),
            offset,
        });
    }
    nearby
}

/// Short names for a port: its kb entries (narrowest first), else its IANA service names.
fn port_names(port: u16) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for entry in kb::ports_at(port, None) {
        if !names.contains(&entry.name) {
            names.push(entry.name);
        }
    }
    if names.is_empty() {
        for record in kb::iana_at(port, None) {
            if !record.name.is_empty() && !names.contains(&record.name) {
                names.push(record.name);
            }
        }
    }
    names
}

fn range_answer(low: u16, high: u16, protocol: Option<Transport>, lang: Lang) -> RangeAnswer {
    let proto = protocol.map(Transport::protocol);
    let entries = kb::all_ports()
        .iter()
        .filter(|e| e.low <= high && low <= e.high)
        .filter(|e| proto.is_none_or(|p| e.protocols.contains(p)))
        .map(|e| port_entry_json(e, lang))
        .collect();
    let iana = kb::all_iana();
    let first = iana.partition_point(|r| r.port < low);
    let end = iana.partition_point(|r| r.port <= high);
    let inside = iana[first..end]
        .iter()
        .filter(|r| protocol.is_none_or(|t| r.protocol == t.as_str()));
    let mut iana_records = 0;
    let mut iana_ports = 0;
    let mut last_port = None;
    for record in inside {
        iana_records += 1;
        if last_port != Some(record.port) {
            iana_ports += 1;
            last_port = Some(record.port);
        }
    }
    let classes = [
        PortClass::WellKnown,
        PortClass::Registered,
        PortClass::Dynamic,
    ]
    .into_iter()
    .filter(|c| {
        let (c_low, c_high) = c.range();
        c_low <= high && low <= c_high
    })
    .map(|c| class_json(c, lang))
    .collect();
    RangeAnswer {
        low,
        high,
        protocol: protocol.map(Transport::as_str),
        classes,
        entries,
        iana_records,
        iana_ports,
    }
}

fn name_answer(name: &str, lang: Lang) -> Result<NameAnswer, String> {
    let (entries, records) = kb::find_by_name(name);
    if entries.is_empty() && records.is_empty() {
        return Err(format!(
            "no port, service or malware called {name:?} in fwseen's knowledge base or the IANA \
             registry"
        ));
    }
    // The port spans to explain: each kb entry's range, and runs of consecutive IANA ports.
    let mut spans: Vec<(u16, u16)> = entries.iter().map(|e| (e.low, e.high)).collect();
    let mut iana_ports: Vec<u16> = records.iter().map(|r| r.port).collect();
    iana_ports.sort_unstable();
    iana_ports.dedup();
    let mut run: Option<(u16, u16)> = None;
    for port in iana_ports {
        run = match run {
            Some((low, high)) if high.checked_add(1) == Some(port) => Some((low, port)),
            Some(done) => {
                spans.push(done);
                Some((port, port))
            }
            None => Some((port, port)),
        };
    }
    spans.extend(run);
    spans.sort_unstable();
    spans.dedup();
    let mut ports = Vec::new();
    let mut ranges = Vec::new();
    for (low, high) in spans {
        if low == high {
            ports.push(port_answer(low, None, lang));
        } else {
            ranges.push(range_answer(low, high, None, lang));
        }
    }
    Ok(NameAnswer {
        name: name.to_string(),
        entries: entries.iter().map(|e| e.id).collect(),
        iana: records.into_iter().map(iana_json).collect(),
        ports,
        ranges,
    })
}

fn icmp_json(e: &'static kb::IcmpEntry, lang: Lang) -> IcmpJson {
    IcmpJson {
        icmp_type: e.icmp_type,
        code: e.code,
        name: e.name,
        name_zh: e.name_zh,
        verdict: e.verdict.as_str(),
        tags: e.tags,
        meaning: e.meaning.get(lang),
        advice: e.advice.map(|t| t.get(lang)),
    }
}

fn icmp_answer(
    version: u8,
    icmp_type: u8,
    code: Option<u8>,
    lang: Lang,
) -> Result<IcmpAnswer, String> {
    let protocol = if version == 6 { "icmpv6" } else { "icmp" };
    let type_entry = kb::icmp(version, icmp_type, None).filter(|e| e.code.is_none());
    let code_entry =
        code.and_then(|c| kb::icmp(version, icmp_type, Some(c)).filter(|e| e.code == Some(c)));
    if type_entry.is_none() && code_entry.is_none() {
        return Err(format!(
            "{protocol} type {icmp_type} is not in fwseen's knowledge base (unassigned or unknown)"
        ));
    }
    Ok(IcmpAnswer {
        version,
        protocol,
        icmp_type,
        code,
        type_entry: type_entry.map(|e| icmp_json(e, lang)),
        code_entry: code_entry.map(|e| icmp_json(e, lang)),
    })
}

fn address_answer(ip: IpAddr, lang: Lang) -> AddressAnswer {
    let blocks: Vec<AddressJson> = kb::addresses_containing(ip)
        .into_iter()
        .map(|a| AddressJson {
            id: a.id,
            cidr: a.cidr,
            name: a.name,
            name_zh: a.name_zh,
            rfc: a.rfc,
            tags: a.tags,
            as_source: a.as_source.get(lang),
            as_destination: a.as_destination.get(lang),
        })
        .collect();
    AddressAnswer {
        address: ip.to_string(),
        version: if ip.is_ipv4() { 4 } else { 6 },
        special: !blocks.is_empty(),
        blocks,
    }
}

// ---------------------------------------------------------------------------------------------
// Text output.

/// Interface words in both languages.
struct Words {
    port: &'static str,
    ports: &'static str,
    class: &'static str,
    iana: &'static str,
    iana_none: &'static str,
    as_destination: &'static str,
    no_specific: &'static str,
    wide_entries: &'static str,
    iana_known: &'static str,
    iana_unknown: &'static str,
    nearby: &'static str,
    as_source: &'static str,
    source_none: &'static str,
    ephemeral: &'static str,
    ephemeral_none: &'static str,
    ephemeral_likely: &'static str,
    related: &'static str,
    verdict: &'static str,
    tags: &'static str,
    meaning: &'static str,
    how_to_tell: &'static str,
    advice: &'static str,
    era: &'static str,
    outbound: &'static str,
    range_entries: &'static str,
    range_none: &'static str,
    iana_inside: &'static str,
    iana_records_on: &'static str,
    iana_ports_suffix: &'static str,
    name_matches: &'static str,
    kb_entries: &'static str,
    type_word: &'static str,
    code_word: &'static str,
    code_missing: &'static str,
    address: &'static str,
    global: &'static str,
    packet_from: &'static str,
    packet_to: &'static str,
    colon: &'static str,
    no_name: &'static str,
}

const EN: Words = Words {
    port: "Port",
    ports: "Ports",
    class: "Class",
    iana: "IANA registrations",
    iana_none: "No IANA registration.",
    as_destination: "As a destination port (a packet sent to it)",
    no_specific: "fwseen has no specific knowledge of port {port}.",
    wide_entries: "The entries above each describe a whole range of more than 64 ports, not \
                   this port in particular.",
    iana_known: "IANA registers it as {names}; that and its class ({class}) are all that is \
                 known.",
    iana_unknown: "It has no IANA registration; all that is known is its class ({class}).",
    nearby: "Ports nearby with entries of their own (scanners hunting a service often try the \
             numbers around its usual port, and administrators often move a service next door):",
    as_source: "As a source port (a packet sent from it)",
    source_none: "Nothing special as a source port.",
    ephemeral: "Operating systems' ephemeral (client) port ranges",
    ephemeral_none: "Outside every known ephemeral range: clients seldom pick this port on \
                     their own.",
    ephemeral_likely: "Likely an ephemeral client port of:",
    related: "Related ports",
    verdict: "usual verdict",
    tags: "tags",
    meaning: "Meaning",
    how_to_tell: "How to tell",
    advice: "Advice",
    era: "Then and now",
    outbound: "If one of your hosts sends to it",
    range_entries: "Knowledge-base entries overlapping the range",
    range_none: "No knowledge-base entry overlaps this range.",
    iana_inside: "IANA registrations inside the range",
    iana_records_on: "registrations on",
    iana_ports_suffix: "ports",
    name_matches: "Matches for",
    kb_entries: "fwseen entries",
    type_word: "type",
    code_word: "code",
    code_missing: "This code has no entry of its own; the type's explanation follows.",
    address: "Address",
    global: "An ordinary global unicast address: no special-purpose block contains it, so it \
             means what its owner makes of it. Who holds it is a question for whois or RDAP.",
    packet_from: "As a source",
    packet_to: "As a destination",
    colon: ": ",
    no_name: "(reserved, no name)",
};

const ZH: Words = Words {
    port: "連接埠",
    ports: "連接埠範圍",
    class: "類別",
    iana: "IANA 登記",
    iana_none: "沒有 IANA 登記。",
    as_destination: "作為目的埠（送往此埠的封包）",
    no_specific: "fwseen 對連接埠 {port} 沒有特定的了解。",
    wide_entries: "上方的條目各自描述超過 64 個連接埠的整段範圍，而不是特別針對這個連接埠。",
    iana_known: "IANA 將它登記為 {names}；除此之外只知道它的類別（{class}）。",
    iana_unknown: "它沒有 IANA 登記；只知道它的類別（{class}）。",
    nearby: "附近有專屬條目的連接埠（搜尋某項服務的掃描器常會嘗試其慣用連接埠周圍的號碼，\
             管理者也常把服務搬到相鄰的號碼）：",
    as_source: "作為來源埠（從此埠送出的封包）",
    source_none: "作為來源埠沒有特別意義。",
    ephemeral: "作業系統的臨時（用戶端）埠範圍",
    ephemeral_none: "不在任何已知的臨時埠範圍內：用戶端很少自行選用這個埠。",
    ephemeral_likely: "可能是以下系統的臨時用戶端埠：",
    related: "相關連接埠",
    verdict: "常見判定",
    tags: "標籤",
    meaning: "意義",
    how_to_tell: "如何分辨",
    advice: "建議",
    era: "今昔",
    outbound: "若是你的主機送往此埠",
    range_entries: "與此範圍重疊的知識庫條目",
    range_none: "沒有知識庫條目與此範圍重疊。",
    iana_inside: "範圍內的 IANA 登記",
    iana_records_on: "筆登記，分布於",
    iana_ports_suffix: "個連接埠",
    name_matches: "名稱相符：",
    kb_entries: "fwseen 條目",
    type_word: "類型",
    code_word: "代碼",
    code_missing: "這個代碼沒有獨立的條目；以下是整個類型的說明。",
    address: "位址",
    global: "一般的全球單播位址：不屬於任何特殊用途區段，意義取決於它的使用者。\
             要知道它屬於誰，請查詢 whois 或 RDAP。",
    packet_from: "作為來源",
    packet_to: "作為目的地",
    colon: "：",
    no_name: "（保留，無名稱）",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::ZhHant => &ZH,
    }
}

fn verdict_word(verdict: &str, lang: Lang) -> &'static str {
    let v = match verdict {
        "benign" => Verdict::Benign,
        "noise" => Verdict::Noise,
        "recon" => Verdict::Recon,
        "attack" => Verdict::Attack,
        _ => Verdict::Compromise,
    };
    match lang {
        Lang::En => v.as_str(),
        Lang::ZhHant => match v {
            Verdict::Benign => "無害",
            Verdict::Noise => "雜訊",
            Verdict::Recon => "偵察",
            Verdict::Attack => "攻擊",
            Verdict::Compromise => "已遭入侵",
        },
    }
}

fn class_word(name: &str, lang: Lang) -> &'static str {
    match (name, lang) {
        ("well-known", Lang::En) => "well-known port",
        ("registered", Lang::En) => "registered port",
        ("dynamic", Lang::En) => "dynamic/private port",
        ("well-known", Lang::ZhHant) => "公認埠",
        ("registered", Lang::ZhHant) => "註冊埠",
        _ if lang == Lang::ZhHant => "動態／私用埠",
        _ => "dynamic/private port",
    }
}

/// `text (inner)`, or `text（inner）` with full-width brackets in Chinese.
fn parenthesised(lang: Lang, text: &str, inner: &str) -> String {
    match lang {
        Lang::En => format!("{text} ({inner})"),
        Lang::ZhHant => format!("{text}（{inner}）"),
    }
}

/// "registered port (1024-49151)", or with full-width brackets in Chinese.
fn class_label(class: &ClassJson, lang: Lang) -> String {
    let word = class_word(class.name, lang);
    parenthesised(lang, word, &format!("{}-{}", class.low, class.high))
}

const BOLD: &str = "\x1b[1m";
const HEADING: &str = "\x1b[1;36m";
const RESET: &str = "\x1b[0m";

/// A text buffer that wraps paragraphs to a width and colours headings when asked.
struct Printer {
    out: String,
    width: usize,
    color: bool,
    words: &'static Words,
    lang: Lang,
}

impl Printer {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn verdict(&self, verdict: &str) -> String {
        let word = verdict_word(verdict, self.lang);
        let style = match verdict {
            "benign" => "\x1b[32m",
            "noise" => "\x1b[2m",
            "recon" => "\x1b[33m",
            "attack" => "\x1b[31m",
            _ => "\x1b[1;31m",
        };
        self.paint(style, word)
    }

    fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// A top-level heading, preceded by a blank line.
    fn title(&mut self, text: &str) {
        self.blank();
        let painted = self.paint(HEADING, text);
        self.line(0, &painted);
    }

    /// A section heading inside an answer, preceded by a blank line.
    fn heading(&mut self, text: &str) {
        self.blank();
        let painted = self.paint(BOLD, text);
        self.line(0, &painted);
    }

    /// One wrapped paragraph, indented by `indent` columns (continuation lines too).
    fn line(&mut self, indent: usize, text: &str) {
        self.hanging(indent, indent, text);
    }

    /// A wrapped paragraph whose continuation lines are indented by `rest` columns.
    fn hanging(&mut self, first: usize, rest: usize, text: &str) {
        let text = collapse_whitespace(text);
        let first_indent = " ".repeat(first);
        let rest_indent = " ".repeat(rest);
        let options = textwrap::Options::new(self.width.max(rest + 20))
            .initial_indent(&first_indent)
            .subsequent_indent(&rest_indent)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        for line in textwrap::wrap(&text, options) {
            self.out.push_str(line.trim_end());
            self.out.push('\n');
        }
    }

    /// `Label: text`, wrapped with continuation lines under the text.
    fn labelled(&mut self, indent: usize, label: &str, text: &str) {
        let label = self.paint(BOLD, &format!("{label}{}", self.words.colon.trim_end()));
        let separator = if self.words.colon.ends_with(' ') {
            " "
        } else {
            ""
        };
        self.hanging(indent, indent + 2, &format!("{label}{separator}{text}"));
    }

    /// [`Printer::labelled`] when there is a text; nothing otherwise.
    fn labelled_if_some(&mut self, indent: usize, label: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.labelled(indent, label, text);
        }
    }

    /// Renders `items` one after the other, a blank line between two, or the line `none` when
    /// there are none.
    fn entries<T>(&mut self, items: &[T], none: &str, mut render: impl FnMut(&mut Printer, &T)) {
        if items.is_empty() {
            self.line(2, none);
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push('\n');
            }
            render(self, item);
        }
    }

    /// The first line of a port or source-port entry: `name — ports protocols — Verdict: v`.
    fn entry_head(
        &self,
        name: &str,
        low: u16,
        high: u16,
        protocols: &[&str],
        verdict: &str,
    ) -> String {
        format!(
            "{} — {} {} — {}{}{}",
            self.paint(BOLD, name),
            ports_text(low, high),
            protocols_text(protocols),
            self.words.verdict,
            self.words.colon,
            self.verdict(verdict),
        )
    }

    /// Appends ` — Tags: a, b` to an entry's first line when it has tags.
    fn push_tags(&self, head: &mut String, tags: &[&str]) {
        if !tags.is_empty() {
            let w = self.words;
            head.push_str(&format!(" — {}{}{}", w.tags, w.colon, tags.join(", ")));
        }
    }
}

/// Replaces runs of whitespace (IANA descriptions contain line breaks) by single spaces.
fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders an answer as text in `lang`, wrapped to `width` columns, coloured when `color`.
pub fn render_text(answer: &Answer, lang: Lang, width: usize, color: bool) -> String {
    let mut p = Printer {
        out: String::new(),
        width,
        color,
        words: words(lang),
        lang,
    };
    if let Some(port) = &answer.port {
        render_port(&mut p, port);
    }
    if let Some(range) = &answer.range {
        render_range(&mut p, range);
    }
    if let Some(name) = &answer.name {
        render_name(&mut p, name);
    }
    if let Some(icmp) = &answer.icmp {
        render_icmp(&mut p, icmp);
    }
    if let Some(address) = &answer.address {
        render_address(&mut p, address);
    }
    p.out
}

fn protocols_text(protocols: &[&str]) -> String {
    protocols.join("/")
}

fn ports_text(low: u16, high: u16) -> String {
    if low == high {
        low.to_string()
    } else {
        format!("{low}-{high}")
    }
}

fn render_port(p: &mut Printer, a: &PortAnswer) {
    let w = p.words;
    let mut title = format!("{} {}", w.port, a.port);
    if let Some(proto) = a.protocol {
        title.push('/');
        title.push_str(proto);
    }
    title.push_str(" — ");
    title.push_str(&class_label(&a.class, p.lang));
    p.title(&title);
    p.line(2, a.class.description);

    p.heading(w.iana);
    if a.iana.is_empty() {
        p.line(2, w.iana_none);
    }
    for record in &a.iana {
        let name = if record.name.is_empty() {
            w.no_name
        } else {
            record.name
        };
        let head = format!("{}/{}  {name}", record.port, record.protocol);
        if record.description.is_empty() || record.description == record.name {
            p.line(2, &head);
        } else {
            p.hanging(2, 6, &format!("{head} — {}", record.description));
        }
    }

    p.heading(w.as_destination);
    if !a.as_destination.is_empty() {
        p.entries(&a.as_destination, "", render_port_entry);
    }
    if !a.specific {
        render_unspecific(p, a);
    }

    p.heading(w.as_source);
    p.entries(&a.as_source, w.source_none, |p, entry| {
        let head = p.entry_head(
            entry.name,
            entry.low,
            entry.high,
            &entry.protocols,
            entry.verdict,
        );
        p.hanging(2, 4, &head);
        p.labelled(4, w.meaning, entry.meaning);
        p.labelled(4, w.advice, entry.advice);
    });

    p.heading(w.ephemeral);
    if a.ephemeral.is_empty() {
        p.line(2, w.ephemeral_none);
    }
    if !a.ephemeral.is_empty() {
        p.line(2, w.ephemeral_likely);
    }
    for e in &a.ephemeral {
        let head = format!(
            "{:<11} {}",
            ports_text(e.low, e.high),
            p.paint(BOLD, p.lang.pick(e.os, e.os_zh))
        );
        p.hanging(2, 14, &head);
        p.line(4, e.note);
    }

    if !a.related.is_empty() {
        p.heading(w.related);
        for r in &a.related {
            let names = if r.names.is_empty() {
                "—".to_string()
            } else {
                r.names.join(", ")
            };
            p.hanging(2, 9, &format!("{:<6} {names}", r.port));
        }
    }
}

/// What `explain` says of a port without an entry of its own: that fwseen has no specific
/// knowledge of it, what is known instead (wide ranges, IANA names, class), and the neighbours
/// with entries of their own.
fn render_unspecific(p: &mut Printer, a: &PortAnswer) {
    let w = p.words;
    let mut port = a.port.to_string();
    if let Some(proto) = a.protocol {
        port.push('/');
        port.push_str(proto);
    }
    let mut note = w.no_specific.replace("{port}", &port);
    let separator = if p.lang == Lang::En { " " } else { "" };
    if !a.as_destination.is_empty() {
        p.out.push('\n');
        note.push_str(separator);
        note.push_str(w.wide_entries);
    }
    let class = class_word(a.class.name, p.lang);
    let mut names: Vec<&str> = Vec::new();
    for record in &a.iana {
        if !record.name.is_empty() && !names.contains(&record.name) {
            names.push(record.name);
        }
    }
    let known = if names.is_empty() {
        w.iana_unknown.replace("{class}", class)
    } else {
        let list = names.join(p.lang.pick(", ", "、"));
        w.iana_known
            .replace("{names}", &list)
            .replace("{class}", class)
    };
    note.push_str(separator);
    note.push_str(&known);
    p.line(2, &note);
    if !a.nearby.is_empty() {
        p.out.push('\n');
        p.line(2, w.nearby);
        for n in &a.nearby {
            let head = format!(
                "{} ({:+}) {} — {}",
                ports_text(n.low, n.high),
                n.offset,
                p.paint(BOLD, n.name),
                n.title
            );
            p.hanging(4, 6, &head);
        }
    }
}

fn render_port_entry(p: &mut Printer, e: &PortEntryJson) {
    let w = p.words;
    let mut head = p.entry_head(e.name, e.low, e.high, &e.protocols, e.verdict);
    p.push_tags(&mut head, e.tags);
    p.hanging(2, 4, &head);
    p.line(4, e.title);
    p.labelled(4, w.meaning, e.meaning);
    p.labelled(4, w.how_to_tell, e.benign_or_hostile);
    p.labelled(4, w.advice, e.advice);
    p.labelled_if_some(4, w.era, e.era);
    p.labelled_if_some(4, w.outbound, e.outbound);
}

fn render_range(p: &mut Printer, a: &RangeAnswer) {
    let w = p.words;
    let mut title = format!("{} {}-{}", w.ports, a.low, a.high);
    if let Some(proto) = a.protocol {
        title.push('/');
        title.push_str(proto);
    }
    p.title(&title);
    for class in &a.classes {
        let line = format!("{}{}{}", w.class, w.colon, class_label(class, p.lang));
        p.line(2, &line);
    }
    let heading = parenthesised(p.lang, w.range_entries, &a.entries.len().to_string());
    p.heading(&heading);
    p.entries(&a.entries, w.range_none, render_port_entry);
    p.heading(w.iana_inside);
    let line = match p.lang {
        Lang::En => format!(
            "{} {} {} {}.",
            a.iana_records, w.iana_records_on, a.iana_ports, w.iana_ports_suffix
        ),
        Lang::ZhHant => format!(
            "{} {} {} {}。",
            a.iana_records, w.iana_records_on, a.iana_ports, w.iana_ports_suffix
        ),
    };
    p.line(2, &line);
}

fn render_name(p: &mut Printer, a: &NameAnswer) {
    let w = p.words;
    let title = match p.lang {
        Lang::En => format!("{} \"{}\"", w.name_matches, a.name),
        Lang::ZhHant => format!("{}「{}」", w.name_matches, a.name),
    };
    p.title(&title);
    if !a.entries.is_empty() {
        let list = a.entries.join(", ");
        p.labelled(2, w.kb_entries, &list);
    }
    if !a.iana.is_empty() {
        let list: Vec<String> = a
            .iana
            .iter()
            .map(|r| format!("{}/{}", r.port, r.protocol))
            .collect();
        p.labelled(2, "IANA", &list.join(", "));
    }
    for port in &a.ports {
        render_port(p, port);
    }
    for range in &a.ranges {
        render_range(p, range);
    }
}

fn render_icmp(p: &mut Printer, a: &IcmpAnswer) {
    let w = p.words;
    let family = if a.version == 6 { "ICMPv6" } else { "ICMP" };
    let mut title = format!("{family} {} {}", w.type_word, a.icmp_type);
    if let Some(code) = a.code {
        title.push_str(&format!(" {} {code}", w.code_word));
    }
    p.title(&title);
    if let Some(entry) = &a.type_entry {
        render_icmp_entry(p, entry);
    }
    if let Some(entry) = &a.code_entry {
        p.out.push('\n');
        render_icmp_entry(p, entry);
    } else if a.code.is_some() {
        p.out.push('\n');
        p.line(2, w.code_missing);
    }
}

fn render_icmp_entry(p: &mut Printer, e: &IcmpJson) {
    let w = p.words;
    let key = match e.code {
        Some(code) => format!("{}/{code}", e.icmp_type),
        None => e.icmp_type.to_string(),
    };
    let mut head = format!(
        "{key} {} — {}{}{}",
        p.paint(BOLD, p.lang.pick(e.name, e.name_zh)),
        w.verdict,
        w.colon,
        p.verdict(e.verdict)
    );
    p.push_tags(&mut head, e.tags);
    p.hanging(2, 4, &head);
    p.labelled(4, w.meaning, e.meaning);
    p.labelled_if_some(4, w.advice, e.advice);
}

fn render_address(p: &mut Printer, a: &AddressAnswer) {
    let w = p.words;
    p.title(&format!("{} {}", w.address, a.address));
    p.entries(&a.blocks, w.global, |p, block| {
        let mut head = format!(
            "{} — {} — {}",
            p.paint(BOLD, block.cidr),
            p.lang.pick(block.name, block.name_zh),
            block.rfc
        );
        p.push_tags(&mut head, block.tags);
        p.hanging(2, 4, &head);
        p.labelled(4, w.packet_from, block.as_source);
        p.labelled(4, w.packet_to, block.as_destination);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(args: &[&str]) -> Result<Query, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_query(&args)
    }

    #[test]
    fn query_forms() {
        assert_eq!(
            q(&["31337"]),
            Ok(Query::Port {
                port: 31337,
                protocol: None
            })
        );
        assert_eq!(
            q(&["31789/UDP"]),
            Ok(Query::Port {
                port: 31789,
                protocol: Some(Transport::Udp)
            })
        );
        assert_eq!(
            q(&["6970-7170"]),
            Ok(Query::Range {
                low: 6970,
                high: 7170,
                protocol: None
            })
        );
        assert_eq!(
            q(&["6970-7170/tcp"]),
            Ok(Query::Range {
                low: 6970,
                high: 7170,
                protocol: Some(Transport::Tcp)
            })
        );
        assert_eq!(q(&["ssh"]), Ok(Query::Name("ssh".into())));
        assert_eq!(q(&["sub-7"]), Ok(Query::Name("sub-7".into())));
        assert_eq!(
            q(&["Back", "Orifice"]),
            Ok(Query::Name("Back Orifice".into()))
        );
        let icmp = Ok(Query::Icmp {
            version: 4,
            icmp_type: 3,
            code: Some(13),
        });
        assert_eq!(q(&["icmp", "3/13"]), icmp);
        assert_eq!(q(&["icmp:3/13"]), icmp);
        assert_eq!(q(&["ICMP 3/13"]), icmp);
        assert_eq!(
            q(&["icmpv6", "135"]),
            Ok(Query::Icmp {
                version: 6,
                icmp_type: 135,
                code: None
            })
        );
        assert_eq!(
            q(&["10.1.2.3"]),
            Ok(Query::Address("10.1.2.3".parse().unwrap()))
        );
        assert_eq!(
            q(&["fe80::1"]),
            Ok(Query::Address("fe80::1".parse().unwrap()))
        );
    }

    #[test]
    fn bad_queries() {
        for bad in [
            &["70000"][..],
            &["icmp", "300"],
            &["icmp", "3/256"],
            &["icmp"],
            &["icmp", "x"],
            &["7170-6970"],
            &["22/xyz"],
            &["$$$"],
            &["22", "80"],
            &["1.2.3.4.5"],
        ] {
            assert!(q(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn unknown_name_is_an_error() {
        let query = Query::Name("no-such-service-anywhere".into());
        assert!(build_answer("no-such-service-anywhere", &query, Lang::En).is_err());
    }

    #[test]
    fn plain_text_has_no_escapes_and_colour_does() {
        let query = Query::Port {
            port: 22,
            protocol: None,
        };
        let answer = build_answer("22", &query, Lang::En).unwrap();
        let plain = render_text(&answer, Lang::En, 80, false);
        assert!(!plain.contains('\x1b'));
        assert!(plain.contains("Port 22"));
        let coloured = render_text(&answer, Lang::En, 80, true);
        assert!(coloured.contains('\x1b'));
    }

    /// ICMP, address and ephemeral-range names follow the language in text; the JSON keeps the
    /// English name and carries the Chinese one beside it.
    #[test]
    fn names_follow_the_language() {
        let cases = [
            (
                "icmp 3/13",
                q(&["icmp", "3/13"]).unwrap(),
                "Destination unreachable: communication administratively prohibited",
                "目的地無法到達：通訊遭管理性禁止",
            ),
            (
                "203.0.113.9",
                q(&["203.0.113.9"]).unwrap(),
                "Documentation (TEST-NET-3)",
                "文件用途位址（TEST-NET-3）",
            ),
            (
                "40000",
                q(&["40000"]).unwrap(),
                "Linux (net.ipv4.ip_local_port_range default)",
                "Linux（net.ipv4.ip_local_port_range 預設值）",
            ),
        ];
        for (text, query, en, zh) in cases {
            let answer = build_answer(text, &query, Lang::ZhHant).unwrap();
            let rendered = render_text(&answer, Lang::ZhHant, 200, false);
            assert!(rendered.contains(zh), "{text}: {rendered}");
            assert!(!rendered.contains(en), "{text}: {rendered}");
            let json = serde_json::to_string(&answer).unwrap();
            assert!(json.contains(en) && json.contains(zh), "{text}: {json}");
            let answer = build_answer(text, &query, Lang::En).unwrap();
            let rendered = render_text(&answer, Lang::En, 200, false);
            assert!(rendered.contains(en), "{text}: {rendered}");
            assert!(!rendered.contains(zh), "{text}: {rendered}");
        }
    }

    /// A port without an entry of its own says so, with what is known instead and its
    /// neighbours; a port with one does not.
    #[test]
    fn ports_without_an_entry_of_their_own() {
        let answer =
            |text: &str, lang: Lang| build_answer(text, &q(&[text]).unwrap(), lang).unwrap();
        let near_rdp = answer("3385", Lang::En);
        let port = near_rdp.port.as_ref().unwrap();
        assert!(!port.specific);
        let ids: Vec<&str> = port.nearby.iter().map(|n| n.id).collect();
        assert_eq!(ids, ["sweep-3386", "rdp-moved", "rdp"]);
        assert_eq!(port.nearby[1].offset, 3);
        let text = render_text(&near_rdp, Lang::En, 400, false);
        assert!(
            text.contains("fwseen has no specific knowledge of port 3385."),
            "{text}"
        );
        assert!(text.contains("IANA registers it as qnxnetman"), "{text}");
        assert!(
            text.contains("3388-3399 (+3) RDP moved next door"),
            "{text}"
        );
        let json = serde_json::to_value(&near_rdp).unwrap();
        assert_eq!(json["port"]["specific"], false);
        assert_eq!(json["port"]["nearby"][0]["offset"], 1);

        // Known only through a wide range (the traceroute block): the entry is shown, and the
        // note says it is about the range.
        let traceroute = answer("33500/udp", Lang::ZhHant);
        let port = traceroute.port.as_ref().unwrap();
        assert!(!port.specific && !port.as_destination.is_empty());
        let text = render_text(&traceroute, Lang::ZhHant, 400, false);
        assert!(
            text.contains("fwseen 對連接埠 33500/udp 沒有特定的了解。"),
            "{text}"
        );
        assert!(text.contains("整段範圍"), "{text}");
        assert!(text.contains("它沒有 IANA 登記"), "{text}");

        // Nothing at all nearby, no IANA name: the class is all there is.
        let lonely = answer("4230", Lang::En);
        let port = lonely.port.as_ref().unwrap();
        assert!(!port.specific && port.nearby.is_empty() && port.iana.is_empty());
        let text = render_text(&lonely, Lang::En, 400, false);
        assert!(
            text.contains("It has no IANA registration; all that is known is its class"),
            "{text}"
        );

        let rdp = answer("3389", Lang::En);
        let port = rdp.port.as_ref().unwrap();
        assert!(port.specific && port.nearby.is_empty());
        let text = render_text(&rdp, Lang::En, 400, false);
        assert!(!text.contains("no specific knowledge"), "{text}");
    }

    #[test]
    fn text_respects_width() {
        let query = Query::Port {
            port: 22,
            protocol: None,
        };
        for lang in [Lang::En, Lang::ZhHant] {
            let answer = build_answer("22", &query, lang).unwrap();
            let text = render_text(&answer, lang, 60, false);
            for line in text.lines() {
                assert!(
                    textwrap::core::display_width(line) <= 60,
                    "too wide: {line:?}"
                );
            }
        }
    }
}
