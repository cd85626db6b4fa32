//! Compiles the knowledge base into static Rust tables.
//!
//! Reads every `data/*.toml` file (schema: `data/SCHEMA.md`) and the IANA registry
//! (`data/iana/service-names-port-numbers.csv`), checks them, and writes `$OUT_DIR/tables.rs`:
//! sorted static arrays of the types defined in `src/lib.rs`, plus the lookup indexes (disjoint
//! segments with the entries covering each, per-segment tag masks, sorted id lists). Nothing is
//! parsed at run time.
//!
//! Bad data is a build failure: the panic message names the file and the entry at fault.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Tags detectors may use on port, source-port and ICMP entries (the closed list of SCHEMA.md).
const ENTRY_TAGS: &[&str] = &[
    "trojan",
    "proxy",
    "reflector",
    "auth",
    "rpc",
    "nfs",
    "pcanywhere",
    "traceroute",
    "game",
    "streaming",
    "netbios",
    "dhcp",
    "ident",
    "sscan",
    "adware",
    "heartbeat",
    "lan-discovery",
    "database",
    "remote-admin",
    "iot",
    "web",
    "mail",
    "vpn",
    "ics",
    "fraggle",
    "trusted-source",
    "nat",
];

/// Tags describing kinds of special address blocks.
const ADDRESS_TAGS: &[&str] = &[
    "private",
    "loopback",
    "link-local",
    "multicast",
    "broadcast",
    "documentation",
    "reserved",
    "shared",
    "this-network",
    "benchmarking",
    "unique-local",
    "translation",
    "global",
];

const VERDICTS: &[(&str, &str)] = &[
    ("benign", "Benign"),
    ("noise", "Noise"),
    ("recon", "Recon"),
    ("attack", "Attack"),
    ("compromise", "Compromise"),
];

/// Transport protocols in their bit order (bit 0 = tcp), as `Protocols` in lib.rs defines them.
const PROTOCOLS: &[&str] = &["tcp", "udp", "sctp", "dccp"];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DataFile {
    #[serde(default)]
    port: Vec<RawPort>,
    #[serde(default)]
    source_port: Vec<RawSourcePort>,
    #[serde(default)]
    icmp: Vec<RawIcmp>,
    #[serde(default)]
    address: Vec<RawAddress>,
    #[serde(default)]
    ephemeral: Vec<RawEphemeral>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawPorts {
    Number(i64),
    Text(String),
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawText {
    en: String,
    zh: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPort {
    id: String,
    ports: RawPorts,
    protocols: Vec<String>,
    name: String,
    verdict: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    related: Vec<i64>,
    #[serde(default)]
    seed: bool,
    title: RawText,
    meaning: RawText,
    benign_or_hostile: RawText,
    advice: RawText,
    era: Option<RawText>,
    outbound: Option<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourcePort {
    id: String,
    ports: RawPorts,
    protocols: Vec<String>,
    name: String,
    verdict: String,
    #[serde(default)]
    tags: Vec<String>,
    meaning: RawText,
    advice: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIcmp {
    version: i64,
    #[serde(rename = "type")]
    icmp_type: i64,
    code: Option<i64>,
    name: String,
    /// Required by the checks below; optional here so that a missing one gets a clear message.
    name_zh: Option<String>,
    verdict: String,
    #[serde(default)]
    tags: Vec<String>,
    meaning: RawText,
    advice: Option<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAddress {
    id: String,
    cidr: String,
    name: String,
    /// Required by the checks below; optional here so that a missing one gets a clear message.
    name_zh: Option<String>,
    rfc: String,
    #[serde(default)]
    tags: Vec<String>,
    as_source: RawText,
    as_destination: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEphemeral {
    id: String,
    ports: RawPorts,
    os: String,
    /// Required by the checks below; optional here so that a missing one gets a clear message.
    os_zh: Option<String>,
    note: RawText,
}

/// A checked port or source-port entry, with the file it came from.
struct Port {
    /// The data file the entry came from, for error messages.
    file: String,
    raw: RawPort,
    low: u16,
    high: u16,
    protocols: u8,
}

struct SourcePort {
    /// The data file the entry came from, for error messages.
    file: String,
    raw: RawSourcePort,
    low: u16,
    high: u16,
    protocols: u8,
}

struct Icmp {
    /// The data file the entry came from, for error messages.
    file: String,
    raw: RawIcmp,
    version: u8,
    icmp_type: u8,
    code: Option<u8>,
}

struct Address {
    /// The data file the entry came from, for error messages.
    file: String,
    raw: RawAddress,
    network: IpAddr,
    prefix_len: u8,
    /// First and last address of the block as integers (IPv4 in the low 32 bits).
    first: u128,
    last: u128,
}

struct Ephemeral {
    /// The data file the entry came from, for error messages.
    file: String,
    raw: RawEphemeral,
    low: u16,
    high: u16,
}

struct Iana {
    port: u16,
    protocol: &'static str,
    name: String,
    description: String,
}

/// Every checked entry, one vector per table.
#[derive(Default)]
struct Entries {
    ports: Vec<Port>,
    source_ports: Vec<SourcePort>,
    icmps: Vec<Icmp>,
    addresses: Vec<Address>,
    ephemerals: Vec<Ephemeral>,
}

/// True for a CJK ideograph (the unified blocks, extension A, compatibility ideographs and the
/// supplementary extensions); CJK punctuation such as `（` does not count.
fn is_cjk_ideograph(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Context for error messages: which file and which entry.
struct Where<'a> {
    file: &'a str,
    kind: &'a str,
    id: &'a str,
}

impl Where<'_> {
    fn fail(&self, message: impl std::fmt::Display) -> ! {
        panic!(
            "kb data error in {}: {} `{}`: {}",
            self.file, self.kind, self.id, message
        )
    }

    fn check_text(&self, field: &str, text: &RawText) {
        if text.en.trim().is_empty() {
            self.fail(format_args!("`{field}.en` is empty"));
        }
        if text.zh.trim().is_empty() {
            self.fail(format_args!("`{field}.zh` is empty"));
        }
    }

    /// Checks an optional text field when it is given.
    fn check_optional_text(&self, field: &str, text: &Option<RawText>) {
        if let Some(text) = text {
            self.check_text(field, text);
        }
    }

    fn check_id(&self) {
        let ok = !self.id.is_empty()
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            self.fail("ids must be non-empty kebab-case (a-z, 0-9, -)");
        }
    }

    fn check_name(&self, name: &str) {
        if name.trim().is_empty() {
            self.fail("`name` is empty");
        }
    }

    /// Checks a Chinese name field (`name_zh`, `os_zh`): present, and written in Chinese (at
    /// least one CJK ideograph, so that an English name copied over by mistake is caught).
    fn check_chinese_name(&self, field: &str, name: &Option<String>) {
        let Some(name) = name else {
            self.fail(format_args!("`{field}` is missing"));
        };
        if !name.chars().any(is_cjk_ideograph) {
            self.fail(format_args!(
                "`{field} = {name:?}` has no Chinese character"
            ));
        }
    }

    fn ports(&self, ports: &RawPorts) -> (u16, u16) {
        let (low, high) = match ports {
            RawPorts::Number(n) => (*n, *n),
            RawPorts::Text(text) => {
                let text = text.trim();
                let parse = |s: &str| -> i64 {
                    s.trim().parse::<i64>().unwrap_or_else(|_| {
                        self.fail(format_args!("`ports = {text:?}` is not N or LOW-HIGH"))
                    })
                };
                match text.split_once('-') {
                    Some((a, b)) => (parse(a), parse(b)),
                    None => (parse(text), parse(text)),
                }
            }
        };
        if !(0..=65535).contains(&low) || !(0..=65535).contains(&high) {
            self.fail(format_args!("ports {low}-{high} outside 0-65535"));
        }
        if low > high {
            self.fail(format_args!("port range {low}-{high} has LOW > HIGH"));
        }
        (low as u16, high as u16)
    }

    fn protocols(&self, names: &[String]) -> u8 {
        if names.is_empty() {
            self.fail("`protocols` is empty");
        }
        let mut bits = 0u8;
        for name in names {
            match PROTOCOLS.iter().position(|p| p == name) {
                Some(i) => bits |= 1 << i,
                None => self.fail(format_args!(
                    "unknown protocol {name:?} (expected one of {PROTOCOLS:?})"
                )),
            }
        }
        bits
    }

    /// Checks the fields port and source-port entries share, in the order their error messages
    /// are expected: id, name, ports, protocols, verdict, tags. Returns the port range and the
    /// protocol bits.
    fn check_port_fields(
        &self,
        name: &str,
        ports: &RawPorts,
        protocols: &[String],
        verdict: &str,
        tags: &[String],
    ) -> (u16, u16, u8) {
        self.check_id();
        self.check_name(name);
        let (low, high) = self.ports(ports);
        let protocols = self.protocols(protocols);
        self.verdict(verdict);
        self.tags(tags, ENTRY_TAGS);
        (low, high, protocols)
    }

    fn verdict(&self, verdict: &str) {
        if !VERDICTS.iter().any(|(name, _)| *name == verdict) {
            self.fail(format_args!(
                "unknown verdict {verdict:?} (expected benign, noise, recon, attack or compromise)"
            ));
        }
    }

    fn tags(&self, tags: &[String], allowed: &[&str]) {
        let mut seen = BTreeSet::new();
        for tag in tags {
            if !allowed.contains(&tag.as_str()) {
                self.fail(format_args!(
                    "tag {tag:?} is not allowed here (allowed: {allowed:?})"
                ));
            }
            if !seen.insert(tag) {
                self.fail(format_args!("tag {tag:?} given twice"));
            }
        }
    }
}

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let data_dir = manifest_dir.join("data");
    println!("cargo:rerun-if-changed={}", data_dir.display());
    println!("cargo:rerun-if-changed=build.rs");

    let mut entries = Entries::default();

    let mut toml_files: Vec<PathBuf> = match std::fs::read_dir(&data_dir) {
        Ok(dir) => dir
            .map(|entry| entry.expect("reading crates/kb/data").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    toml_files.sort();

    for path in &toml_files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|err| panic!("kb data error: cannot read {}: {err}", path.display()));
        let data: DataFile = toml::from_str(&text)
            .unwrap_or_else(|err| panic!("kb data error in {file_name}: {err}"));
        load_file(&file_name, data, &mut entries);
    }

    let iana_path = data_dir.join("iana").join("service-names-port-numbers.csv");
    println!("cargo:rerun-if-changed={}", iana_path.display());
    let iana = load_iana(&iana_path);

    let Entries {
        mut ports,
        mut source_ports,
        mut icmps,
        mut addresses,
        mut ephemerals,
    } = entries;
    check_unique_ids("port", ports.iter().map(|p| (&p.raw.id, &p.file)));
    check_unique_ids(
        "source_port",
        source_ports.iter().map(|p| (&p.raw.id, &p.file)),
    );
    check_unique_ids("address", addresses.iter().map(|a| (&a.raw.id, &a.file)));
    check_unique_ids("ephemeral", ephemerals.iter().map(|e| (&e.raw.id, &e.file)));
    let mut icmp_keys = BTreeMap::new();
    for icmp in &icmps {
        let key = (icmp.version, icmp.icmp_type, icmp.code);
        if let Some(first) = icmp_keys.insert(key, icmp.file.as_str()) {
            panic!(
                "kb data error: icmp entry version {} type {} code {:?} is defined twice (in {} and {})",
                icmp.version, icmp.icmp_type, icmp.code, first, icmp.file
            );
        }
    }

    sort_by_range(&mut ports, |p| (p.low, p.high, &p.raw.id));
    sort_by_range(&mut source_ports, |p| (p.low, p.high, &p.raw.id));
    icmps.sort_by_key(|i| (i.version, i.icmp_type, i.code));
    addresses.sort_by(|a, b| {
        (a.network.is_ipv6(), a.first, a.prefix_len, &a.raw.id).cmp(&(
            b.network.is_ipv6(),
            b.first,
            b.prefix_len,
            &b.raw.id,
        ))
    });
    sort_by_range(&mut ephemerals, |e| (e.low, e.high, &e.raw.id));

    let mut out = String::with_capacity(4 << 20);
    out.push_str("// Generated by crates/kb/build.rs from crates/kb/data. Do not edit.\n\n");
    emit_tags(&mut out);
    emit_ports(&mut out, &ports);
    emit_source_ports(&mut out, &source_ports);
    emit_icmp(&mut out, &icmps);
    emit_addresses(&mut out, &addresses);
    emit_ephemeral(&mut out, &ephemerals);
    emit_iana(&mut out, &iana);

    let out_path = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("tables.rs");
    std::fs::write(&out_path, out).expect("writing tables.rs");
}

/// Panics if two entries of one kind share an id, naming both files.
fn check_unique_ids<'a>(kind: &str, ids: impl Iterator<Item = (&'a String, &'a String)>) {
    let mut seen = BTreeMap::new();
    for (id, file) in ids {
        if let Some(first) = seen.insert(id, file) {
            panic!(
                "kb data error: {kind} id `{id}` is used by two entries (in {first} and {file})"
            );
        }
    }
}

/// Sorts port-range entries by `key`: low port, then high port, then id.
fn sort_by_range<T>(entries: &mut [T], key: impl Fn(&T) -> (u16, u16, &String)) {
    entries.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// Checks every entry of one data file and adds it to `entries`.
fn load_file(file: &str, data: DataFile, entries: &mut Entries) {
    for raw in data.port {
        let at = Where {
            file,
            kind: "port entry",
            id: &raw.id,
        };
        let (low, high, protocols) = at.check_port_fields(
            &raw.name,
            &raw.ports,
            &raw.protocols,
            &raw.verdict,
            &raw.tags,
        );
        for &port in &raw.related {
            if !(0..=65535).contains(&port) {
                at.fail(format_args!("related port {port} outside 0-65535"));
            }
        }
        at.check_text("title", &raw.title);
        at.check_text("meaning", &raw.meaning);
        at.check_text("benign_or_hostile", &raw.benign_or_hostile);
        at.check_text("advice", &raw.advice);
        at.check_optional_text("era", &raw.era);
        at.check_optional_text("outbound", &raw.outbound);
        entries.ports.push(Port {
            file: file.to_string(),
            raw,
            low,
            high,
            protocols,
        });
    }
    for raw in data.source_port {
        let at = Where {
            file,
            kind: "source_port entry",
            id: &raw.id,
        };
        let (low, high, protocols) = at.check_port_fields(
            &raw.name,
            &raw.ports,
            &raw.protocols,
            &raw.verdict,
            &raw.tags,
        );
        at.check_text("meaning", &raw.meaning);
        at.check_text("advice", &raw.advice);
        entries.source_ports.push(SourcePort {
            file: file.to_string(),
            raw,
            low,
            high,
            protocols,
        });
    }
    for raw in data.icmp {
        let label = format!(
            "version {} type {} code {:?}",
            raw.version, raw.icmp_type, raw.code
        );
        let at = Where {
            file,
            kind: "icmp entry",
            id: &label,
        };
        if raw.version != 4 && raw.version != 6 {
            at.fail("`version` must be 4 or 6");
        }
        if !(0..=255).contains(&raw.icmp_type) {
            at.fail("`type` must be 0-255");
        }
        if raw.code.is_some_and(|c| !(0..=255).contains(&c)) {
            at.fail("`code` must be 0-255");
        }
        at.check_name(&raw.name);
        at.check_chinese_name("name_zh", &raw.name_zh);
        at.verdict(&raw.verdict);
        at.tags(&raw.tags, ENTRY_TAGS);
        at.check_text("meaning", &raw.meaning);
        at.check_optional_text("advice", &raw.advice);
        entries.icmps.push(Icmp {
            file: file.to_string(),
            version: raw.version as u8,
            icmp_type: raw.icmp_type as u8,
            code: raw.code.map(|c| c as u8),
            raw,
        });
    }
    for raw in data.address {
        let at = Where {
            file,
            kind: "address entry",
            id: &raw.id,
        };
        at.check_id();
        at.check_name(&raw.name);
        at.check_chinese_name("name_zh", &raw.name_zh);
        at.tags(&raw.tags, ADDRESS_TAGS);
        at.check_text("as_source", &raw.as_source);
        at.check_text("as_destination", &raw.as_destination);
        if raw.rfc.trim().is_empty() {
            at.fail("`rfc` is empty");
        }
        let (network, prefix_len, first, last) = parse_cidr(&raw.cidr)
            .unwrap_or_else(|message| at.fail(format_args!("cidr {:?}: {message}", raw.cidr)));
        entries.addresses.push(Address {
            file: file.to_string(),
            raw,
            network,
            prefix_len,
            first,
            last,
        });
    }
    for raw in data.ephemeral {
        let at = Where {
            file,
            kind: "ephemeral entry",
            id: &raw.id,
        };
        at.check_id();
        let (low, high) = at.ports(&raw.ports);
        if raw.os.trim().is_empty() {
            at.fail("`os` is empty");
        }
        at.check_chinese_name("os_zh", &raw.os_zh);
        at.check_text("note", &raw.note);
        entries.ephemerals.push(Ephemeral {
            file: file.to_string(),
            raw,
            low,
            high,
        });
    }
}

/// Parses `network/len`, requiring the host bits to be zero.
fn parse_cidr(cidr: &str) -> Result<(IpAddr, u8, u128, u128), String> {
    let (addr, len) = cidr
        .split_once('/')
        .ok_or_else(|| "expected ADDRESS/LENGTH".to_string())?;
    let network: IpAddr = addr
        .parse()
        .map_err(|_| format!("{addr:?} is not an IP address"))?;
    let len: u8 = len
        .parse()
        .map_err(|_| format!("{len:?} is not a prefix length"))?;
    let (value, bits) = match network {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32u32),
        IpAddr::V6(v6) => (u128::from(v6), 128u32),
    };
    if u32::from(len) > bits {
        return Err(format!("prefix length {len} exceeds {bits}"));
    }
    let host_bits = bits - u32::from(len);
    let host_mask: u128 = if host_bits == 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    if value & host_mask != 0 {
        return Err("host bits are set (give the network address)".to_string());
    }
    Ok((network, len, value, value | host_mask))
}

/// Reads the IANA CSV (RFC 4180 quoting), keeping rows that have both a port and a protocol.
/// Port ranges such as `6000-6063` are expanded into one record per port.
fn load_iana(path: &Path) -> Vec<Iana> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(_) => return Vec::new(),
    };
    let rows = parse_csv(&text);
    let mut records = Vec::new();
    for (line, row) in rows.iter().enumerate().skip(1) {
        let field = |i: usize| row.get(i).map(|s| s.trim()).unwrap_or("");
        let port = field(1);
        let protocol = field(2);
        if port.is_empty() || protocol.is_empty() {
            continue;
        }
        let protocol: &'static str = match protocol.to_ascii_lowercase().as_str() {
            "tcp" => "tcp",
            "udp" => "udp",
            "sctp" => "sctp",
            "dccp" => "dccp",
            other => panic!("IANA CSV row {}: unknown protocol {other:?}", line + 1),
        };
        let parse = |s: &str| -> u16 {
            s.trim()
                .parse()
                .unwrap_or_else(|_| panic!("IANA CSV row {}: bad port {port:?}", line + 1))
        };
        let (low, high) = match port.split_once('-') {
            Some((a, b)) => (parse(a), parse(b)),
            None => (parse(port), parse(port)),
        };
        assert!(low <= high, "IANA CSV row {}: bad range {port:?}", line + 1);
        for p in low..=high {
            records.push(Iana {
                port: p,
                protocol,
                name: field(0).to_string(),
                description: field(3).to_string(),
            });
        }
    }
    records.sort_by_key(|r| (r.port, protocol_rank(r.protocol)));
    records
}

fn protocol_rank(protocol: &str) -> usize {
    PROTOCOLS.iter().position(|p| *p == protocol).unwrap()
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => in_quotes = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn text(t: &RawText) -> String {
    format!("Text {{ en: {:?}, zh: {:?} }}", t.en.trim(), t.zh.trim())
}

/// A Chinese name field, already checked to be present.
fn chinese(name: &Option<String>) -> &str {
    name.as_deref().map_or("", str::trim)
}

fn option_text(t: &Option<RawText>) -> String {
    match t {
        Some(t) => format!("Some({})", text(t)),
        None => "None".to_string(),
    }
}

fn tag_list(tags: &[String]) -> String {
    let inner: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
    format!("&[{}]", inner.join(", "))
}

fn verdict(name: &str) -> &'static str {
    VERDICTS.iter().find(|(n, _)| *n == name).unwrap().1
}

fn all_tags() -> impl Iterator<Item = &'static str> {
    ENTRY_TAGS.iter().chain(ADDRESS_TAGS).copied()
}

fn tag_bit(tag: &str) -> u32 {
    all_tags().position(|t| t == tag).unwrap() as u32
}

fn tag_mask(tags: &[String]) -> u64 {
    tags.iter().fold(0, |mask, t| mask | (1u64 << tag_bit(t)))
}

fn emit_tags(out: &mut String) {
    let tags: Vec<&str> = all_tags().collect();
    assert!(tags.len() <= 64, "tag masks are u64");
    writeln!(
        out,
        "/// Every known tag; a tag's bit in the masks is its index here."
    )
    .unwrap();
    writeln!(
        out,
        "pub(crate) static TAGS: [&str; {}] = {tags:?};",
        tags.len()
    )
    .unwrap();
    writeln!(out, "/// Bit of a known tag in the tag masks.").unwrap();
    writeln!(
        out,
        "#[inline]\npub(crate) fn tag_bit(tag: &str) -> Option<u32> {{\n    match tag {{"
    )
    .unwrap();
    for (i, tag) in tags.iter().enumerate() {
        writeln!(out, "        {tag:?} => Some({i}),").unwrap();
    }
    writeln!(out, "        _ => None,\n    }}\n}}\n").unwrap();
}

/// Splits the number line into maximal segments on which the set of covering ranges is
/// constant. Returns each segment's start and the indices of the ranges covering it, ordered
/// by `order` (the caller's "most specific first"). The first segment always starts at 0;
/// `max` is the largest value of the number line (no segment starts after it).
fn segments(
    ranges: &[(u128, u128)],
    max: u128,
    order: impl Fn(&usize, &usize) -> std::cmp::Ordering,
) -> Vec<(u128, Vec<usize>)> {
    let mut bounds = BTreeSet::new();
    bounds.insert(0u128);
    for &(low, high) in ranges {
        bounds.insert(low);
        if high < max {
            bounds.insert(high + 1);
        }
    }
    bounds
        .into_iter()
        .map(|start| {
            let mut covering: Vec<usize> = ranges
                .iter()
                .enumerate()
                .filter(|(_, &(low, high))| low <= start && start <= high)
                .map(|(i, _)| i)
                .collect();
            covering.sort_by(&order);
            (start, covering)
        })
        .collect()
}

/// Writes `STARTS` and `COVER` arrays for a segment index.
fn emit_segments(out: &mut String, prefix: &str, int: &str, segs: &[(u128, Vec<usize>)]) {
    writeln!(
        out,
        "static {prefix}_SEGMENT_STARTS: [{int}; {}] = [",
        segs.len()
    )
    .unwrap();
    for (start, _) in segs {
        writeln!(out, "    {start},").unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(
        out,
        "static {prefix}_SEGMENT_ENTRIES: [&[u16]; {}] = [",
        segs.len()
    )
    .unwrap();
    for (_, cover) in segs {
        writeln!(out, "    &{cover:?},").unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn by_width_then_low(
    ranges: &[(u128, u128)],
) -> impl Fn(&usize, &usize) -> std::cmp::Ordering + '_ {
    move |&a, &b| {
        let (la, ha) = ranges[a];
        let (lb, hb) = ranges[b];
        (ha - la, la, a).cmp(&(hb - lb, lb, b))
    }
}

/// Writes `static NAME: [TYPE; N] = [...];` with one row per entry; `row` gives an entry's
/// struct literal.
fn emit_table<T>(
    out: &mut String,
    name: &str,
    type_name: &str,
    entries: &[T],
    row: impl Fn(&T) -> String,
) {
    writeln!(out, "static {name}: [{type_name}; {}] = [", entries.len()).unwrap();
    for entry in entries {
        writeln!(out, "    {},", row(entry)).unwrap();
    }
    writeln!(out, "];\n").unwrap();
}

/// Builds the segment index of a port-range table (narrowest range first) from its entries'
/// `(low, high)` and writes it under `prefix`; returns the segments.
fn emit_port_range_segments(
    out: &mut String,
    prefix: &str,
    ranges: impl Iterator<Item = (u16, u16)>,
) -> Vec<(u128, Vec<usize>)> {
    let ranges: Vec<(u128, u128)> = ranges
        .map(|(low, high)| (u128::from(low), u128::from(high)))
        .collect();
    let segs = segments(&ranges, u128::from(u16::MAX), by_width_then_low(&ranges));
    emit_segments(out, prefix, "u32", &segs);
    segs
}

/// The fields `PortEntry` and `SourcePortEntry` share, from `id` to `tags`, as struct-literal
/// text.
fn port_fields(
    id: &str,
    (low, high): (u16, u16),
    protocols: u8,
    name: &str,
    verdict_name: &str,
    tags: &[String],
) -> String {
    format!(
        "id: {id:?}, low: {low}, high: {high}, protocols: Protocols({protocols}), name: {:?}, verdict: Verdict::{}, tags: {}",
        name.trim(),
        verdict(verdict_name),
        tag_list(tags),
    )
}

fn emit_ports(out: &mut String, ports: &[Port]) {
    emit_table(out, "PORTS", "PortEntry", ports, |p| {
        let r = &p.raw;
        format!(
            "PortEntry {{ {}, related: &{:?}, seed: {}, title: {}, meaning: {}, benign_or_hostile: {}, advice: {}, era: {}, outbound: {} }}",
            port_fields(&r.id, (p.low, p.high), p.protocols, &r.name, &r.verdict, &r.tags),
            r.related,
            r.seed,
            text(&r.title),
            text(&r.meaning),
            text(&r.benign_or_hostile),
            text(&r.advice),
            option_text(&r.era),
            option_text(&r.outbound),
        )
    });
    let segs = emit_port_range_segments(out, "PORT", ports.iter().map(|p| (p.low, p.high)));

    // Per segment, the tag mask of the covering entries for each protocol bit.
    writeln!(
        out,
        "static PORT_SEGMENT_TAGS: [[u64; 4]; {}] = [",
        segs.len()
    )
    .unwrap();
    for (_, cover) in &segs {
        let mut masks = [0u64; 4];
        for &i in cover {
            for (bit, mask) in masks.iter_mut().enumerate() {
                if ports[i].protocols & (1 << bit) != 0 {
                    *mask |= tag_mask(&ports[i].raw.tags);
                }
            }
        }
        writeln!(out, "    {masks:?},").unwrap();
    }
    writeln!(out, "];").unwrap();

    // For each 256-port page, the segment containing the page's first port (plus a sentinel),
    // so that a lookup searches only the few segments of one page.
    let mut pages = Vec::with_capacity(257);
    for page in 0..=256u128 {
        let base = page * 256;
        let index = segs.partition_point(|(start, _)| *start <= base) - 1;
        pages.push(index);
    }
    writeln!(
        out,
        "static PORT_PAGE_FIRST_SEGMENT: [u16; 257] = {pages:?};"
    )
    .unwrap();

    // Entry indices per tag bit, for `ports_tagged`.
    let tag_count = all_tags().count();
    writeln!(out, "static PORTS_BY_TAG: [&[u16]; {tag_count}] = [").unwrap();
    for tag in all_tags() {
        let list: Vec<usize> = ports
            .iter()
            .enumerate()
            .filter(|(_, p)| p.raw.tags.iter().any(|t| t == tag))
            .map(|(i, _)| i)
            .collect();
        writeln!(out, "    &{list:?},").unwrap();
    }
    writeln!(out, "];").unwrap();

    // Entry indices sorted by id, for `port_entry`.
    let mut by_id: Vec<usize> = (0..ports.len()).collect();
    by_id.sort_by(|&a, &b| ports[a].raw.id.cmp(&ports[b].raw.id));
    writeln!(
        out,
        "static PORTS_BY_ID: [u16; {}] = {by_id:?};\n",
        by_id.len()
    )
    .unwrap();
}

fn emit_source_ports(out: &mut String, source_ports: &[SourcePort]) {
    emit_table(out, "SOURCE_PORTS", "SourcePortEntry", source_ports, |p| {
        let r = &p.raw;
        format!(
            "SourcePortEntry {{ {}, meaning: {}, advice: {} }}",
            port_fields(
                &r.id,
                (p.low, p.high),
                p.protocols,
                &r.name,
                &r.verdict,
                &r.tags
            ),
            text(&r.meaning),
            text(&r.advice),
        )
    });
    emit_port_range_segments(
        out,
        "SOURCE_PORT",
        source_ports.iter().map(|p| (p.low, p.high)),
    );
}

fn emit_icmp(out: &mut String, icmps: &[Icmp]) {
    emit_table(out, "ICMP", "IcmpEntry", icmps, |i| {
        let r = &i.raw;
        format!(
            "IcmpEntry {{ version: {}, icmp_type: {}, code: {:?}, name: {:?}, name_zh: {:?}, verdict: Verdict::{}, tags: {}, meaning: {}, advice: {} }}",
            i.version,
            i.icmp_type,
            i.code,
            r.name.trim(),
            chinese(&r.name_zh),
            verdict(&r.verdict),
            tag_list(&r.tags),
            text(&r.meaning),
            option_text(&r.advice),
        )
    });
}

/// The Rust expression for an address (the generated table needs a const expression).
fn ip_addr_expression(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!(
                "::std::net::IpAddr::V4(::std::net::Ipv4Addr::new({}, {}, {}, {}))",
                o[0], o[1], o[2], o[3]
            )
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!(
                "::std::net::IpAddr::V6(::std::net::Ipv6Addr::new({:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}))",
                s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
            )
        }
    }
}

fn emit_addresses(out: &mut String, addresses: &[Address]) {
    emit_table(out, "ADDRESSES", "AddressEntry", addresses, |a| {
        let r = &a.raw;
        format!(
            "AddressEntry {{ id: {:?}, cidr: {:?}, network: {}, prefix_len: {}, name: {:?}, name_zh: {:?}, rfc: {:?}, tags: {}, as_source: {}, as_destination: {} }}",
            r.id,
            r.cidr.trim(),
            ip_addr_expression(a.network),
            a.prefix_len,
            r.name.trim(),
            chinese(&r.name_zh),
            r.rfc.trim(),
            tag_list(&r.tags),
            text(&r.as_source),
            text(&r.as_destination),
        )
    });

    // One segment index per family; entry indices refer to ADDRESSES. Most specific first.
    for (prefix, int, v6) in [("ADDRESS_V4", "u32", false), ("ADDRESS_V6", "u128", true)] {
        let family: Vec<usize> = (0..addresses.len())
            .filter(|&i| addresses[i].network.is_ipv6() == v6)
            .collect();
        let ranges: Vec<(u128, u128)> = family
            .iter()
            .map(|&i| (addresses[i].first, addresses[i].last))
            .collect();
        let max = if v6 { u128::MAX } else { u128::from(u32::MAX) };
        let segs = segments(&ranges, max, |&a, &b| {
            (
                std::cmp::Reverse(addresses[family[a]].prefix_len),
                family[a],
            )
                .cmp(&(
                    std::cmp::Reverse(addresses[family[b]].prefix_len),
                    family[b],
                ))
        });
        let segs: Vec<(u128, Vec<usize>)> = segs
            .into_iter()
            .map(|(start, cover)| (start, cover.into_iter().map(|i| family[i]).collect()))
            .collect();
        emit_segments(out, prefix, int, &segs);
    }
    writeln!(out).unwrap();
}

fn emit_ephemeral(out: &mut String, ephemerals: &[Ephemeral]) {
    emit_table(out, "EPHEMERAL", "EphemeralRange", ephemerals, |e| {
        let r = &e.raw;
        format!(
            "EphemeralRange {{ id: {:?}, low: {}, high: {}, os: {:?}, os_zh: {:?}, note: {} }}",
            r.id,
            e.low,
            e.high,
            r.os.trim(),
            chinese(&r.os_zh),
            text(&r.note),
        )
    });
    emit_port_range_segments(out, "EPHEMERAL", ephemerals.iter().map(|e| (e.low, e.high)));
}

fn emit_iana(out: &mut String, records: &[Iana]) {
    emit_table(out, "IANA", "IanaRecord", records, |r| {
        format!(
            "IanaRecord {{ port: {}, protocol: {:?}, name: {:?}, description: {:?} }}",
            r.port, r.protocol, r.name, r.description
        )
    });

    // Record indices sorted by lower-case name, for name searches.
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        if !r.name.is_empty() {
            by_name
                .entry(r.name.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
    }
    let flat: Vec<(String, usize)> = by_name
        .into_iter()
        .flat_map(|(name, list)| list.into_iter().map(move |i| (name.clone(), i)))
        .collect();
    writeln!(
        out,
        "static IANA_BY_NAME: [(&str, u16); {}] = [",
        flat.len()
    )
    .unwrap();
    for (name, i) in &flat {
        writeln!(out, "    ({name:?}, {i}),").unwrap();
    }
    writeln!(out, "];").unwrap();
}
