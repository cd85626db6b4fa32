//! Detection accuracy in every generated format: fwseen-gen's labelled traffic is rendered as
//! netfilter, pf filterlog and Windows Firewall logs, parsed back with fwseen-parse and analysed
//! with fwseen-detect, and the findings are checked against the labels.
//!
//! Four promises are checked, for the catalogue (every kind once) and for a realistic mix:
//! - every pattern the format can show (label `visible`) is found, with its kind and source;
//! - a benign pattern's source is never also reported as recon, attack or compromise;
//! - a source whose only traffic is benign background (allowed sessions, late replies) is never
//!   reported as recon, attack or compromise; a background prober that only retried one port of
//!   one host is a lone probe (only a backdoor probe is reportable alone), and no background
//!   source is ever called compromised;
//! - a pattern's source gets no threat finding of another kind (beyond the documented
//!   companions), and a hostile pattern's source no benign finding.
//!
//! Failures list everything that was missed or misreported, not just the first.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::IpAddr;

use fwseen_detect::{Analyzer, Class, Config, Finding, Report};
use fwseen_event::{Action, Origin, Protocol};
use fwseen_gen::network::HOME_NETS;
use fwseen_gen::render::carries;
use fwseen_gen::{
    Generator, GeneratorConfig, Kind, Label, LogFormat, Packet, RenderOptions, Renderer,
};
use fwseen_parse::{FormatKind, Record, TimeContext};

/// The year the generated traffic is in (RFC 3164 lines carry none; Windows times are UTC).
const YEAR: i32 = 2026;

/// Packet lines of the realistic mix.
const MIXED_LINES: u64 = 200_000;

fn format_kind(format: LogFormat) -> FormatKind {
    match format {
        LogFormat::Netfilter => FormatKind::Netfilter,
        LogFormat::PfFilterlog => FormatKind::PfFilterlog,
        LogFormat::WindowsFirewall => FormatKind::WindowsFirewall,
    }
}

/// Generated packets and their labels.
struct Traffic {
    name: String,
    packets: Vec<Packet>,
    labels: Vec<Label>,
}

fn catalogue(seed: u64) -> Traffic {
    let (packets, labels) = Generator::catalogue(seed);
    Traffic {
        name: format!("catalogue seed {seed}"),
        packets,
        labels,
    }
}

fn mixed(seed: u64, lines: u64) -> Traffic {
    let mut generator = Generator::new(GeneratorConfig::mixed(seed, lines));
    let packets: Vec<Packet> = generator.by_ref().collect();
    let labels = generator.finish();
    Traffic {
        name: format!("mixed seed {seed}, {lines} lines"),
        packets,
        labels,
    }
}

/// Renders the traffic in `format`, parses every line back and analyses the events with the
/// generator's home nets.
fn analyze(format: LogFormat, options: RenderOptions, packets: &[Packet]) -> Report {
    let mut renderer = Renderer::new(format, options);
    let mut log = format.header().to_vec();
    for packet in packets {
        renderer.render(packet, &mut log);
    }
    let mut parser = format_kind(format)
        .line_parser(TimeContext::utc(YEAR))
        .expect("a line format");
    let config = Config {
        home_nets: HOME_NETS
            .iter()
            .map(|net| net.parse().expect("a home net"))
            .collect(),
        ..Config::default()
    };
    let mut analyzer = Analyzer::new(config);
    let mut events = 0usize;
    for (index, line) in log.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        match parser.parse(line) {
            Record::Event(mut event) => {
                event.origin = Origin {
                    input: 0,
                    record: index as u64 + 1,
                };
                analyzer.push(&event);
                events += 1;
            }
            Record::Skipped(_) => {}
            Record::Malformed(malformed) => panic!(
                "{format:?} line {} malformed: {malformed:?}: {}",
                index + 1,
                String::from_utf8_lossy(line)
            ),
        }
    }
    assert_eq!(events, packets.len(), "{format:?}: one event per packet");
    analyzer.finish()
}

/// The time of a pattern's first and last packet, in microseconds.
fn label_span(traffic: &Traffic, label: &Label) -> (i64, i64) {
    let times = traffic
        .packets
        .iter()
        .filter(|p| p.pattern == label.id)
        .map(|p| p.time_micros);
    let first = times.clone().min().expect("a label has packets");
    (first, times.max().expect("a label has packets"))
}

/// True when `finding` reports the labelled pattern.
///
/// Mostly that means the same kind and source. Two cases are looser, for reasons the analyzer
/// documents (docs/findings.md):
/// - a distributed scan has no single source and is reported per destination port and window,
///   with a sample of its sources; when background probers hit the same port at the same time,
///   the pattern's sources may all fall outside the sample, so the finding is recognised by its
///   port and time instead;
/// - a scan whose probes are mostly on a theme's ports (111, proxies, backdoors ...) is reported
///   as that theme with its shape in the `shape` attribute (a horizontal scan of 111 is a
///   `scan.rpc` with `shape=horizontal`);
/// - a zmap or masscan fingerprint is a fact of the source's scan: the scan finding (vertical,
///   horizontal, block, a themed scan ...) carries it as its `tool` attribute, and a separate
///   `scanner.zmap` / `scanner.masscan` finding is written only for a fingerprinted source whose
///   probes make no scan shape. Either one finds the labelled pattern.
fn matches_label(finding: &Finding, label: &Label, sources: &[IpAddr], span: (i64, i64)) -> bool {
    let kind = label.kind.id();
    let by_source = sources.iter().any(|&s| names(finding, s));
    if by_source && scan_with_tool(finding, label) {
        return true;
    }
    if finding.kind == kind {
        if by_source {
            return true;
        }
        if label.kind == Kind::ScanDistributed {
            let (Some(first), Some(last)) = (finding.first_seen, finding.last_seen) else {
                return false;
            };
            // Some formats keep whole seconds only.
            return label
                .ports
                .iter()
                .any(|p| finding.targets.ports.contains(p))
                && first.unix_micros <= span.1
                && last.unix_micros + 1_000_000 >= span.0;
        }
        return false;
    }
    by_source && themed_shape(finding, label)
}

/// True when the label is a zmap or masscan pattern and `finding` is a scan whose `tool`
/// attribute names that tool.
fn scan_with_tool(finding: &Finding, label: &Label) -> bool {
    let tool = match label.kind {
        Kind::ScannerZmap => "zmap",
        Kind::ScannerMasscan => "masscan",
        _ => return false,
    };
    finding.kind.starts_with("scan.")
        && finding
            .attribute("tool")
            .is_some_and(|tools| tools.split(',').any(|t| t == tool))
}

/// True when `finding` is a themed scan whose `shape` attribute is the labelled shape.
fn themed_shape(finding: &Finding, label: &Label) -> bool {
    let themed = matches!(
        finding.kind,
        "scan.trojan" | "scan.proxy" | "scan.rpc" | "scan.pcanywhere" | "probe.reflector"
    );
    let shape = label.kind.id().strip_prefix("scan.");
    matches!(
        label.kind,
        Kind::ScanVertical | Kind::ScanHorizontal | Kind::ScanBlock
    ) && themed
        && finding.attribute("shape") == shape
}

fn is_threat(finding: &Finding) -> bool {
    matches!(
        finding.class,
        Class::Recon | Class::Attack | Class::Compromise
    )
}

/// True when the finding names `source` (as its source or among its other sources).
fn names(finding: &Finding, source: IpAddr) -> bool {
    finding.src == Some(source) || finding.other_sources.contains(&source)
}

/// The sources a label is about.
fn label_sources(label: &Label) -> Vec<IpAddr> {
    let mut sources: Vec<IpAddr> = label.src.into_iter().collect();
    sources.extend(label.sources.iter().copied());
    sources
}

fn describe(label: &Label) -> String {
    format!(
        "{}{} (pattern {}, src {}, {} packets)",
        label.kind.id(),
        label.variant.map(|v| format!("/{v}")).unwrap_or_default(),
        label.id,
        label.src.map_or_else(
            || format!("{} sources", label.sources.len()),
            |s| s.to_string()
        ),
        label.emitted
    )
}

fn describe_finding(finding: &Finding) -> String {
    let variant = finding
        .attribute("variant")
        .map(|v| format!("/{v}"))
        .unwrap_or_default();
    format!(
        "{}{variant} from {} ({} events, {} hosts, {} ports)",
        finding.kind,
        finding.src.map_or_else(
            || format!("{} sources", finding.source_count),
            |s| s.to_string()
        ),
        finding.evidence.event_count,
        finding.targets.host_count,
        finding.targets.port_count
    )
}

/// True when a background packet is benign by construction: an allowed session (our LAN's
/// outbound connections and DNS queries, clients of our servers) or a late reply (a TCP segment
/// without SYN, a DNS answer).
fn is_benign_background(packet: &Packet) -> bool {
    if packet.action == Action::Allow {
        return true;
    }
    match packet.protocol {
        Protocol::Tcp => packet.tcp_flags.0 & 0x02 == 0,
        Protocol::Udp => packet.src_port == 53,
        _ => false,
    }
}

/// What the checks of one traffic in one format concluded.
#[derive(Default)]
struct Outcome {
    /// Kinds of visible, complete labels, and the kinds among them that were found.
    expected: BTreeSet<&'static str>,
    found: BTreeSet<&'static str>,
    /// Visible, complete labels without a matching finding.
    missed: Vec<String>,
    /// Labels the format cannot show, or that the output cut short (not checked).
    not_checked: Vec<String>,
    /// Threat findings about a benign pattern's source.
    benign_misreported: Vec<String>,
    /// Threat findings about a source with only benign background traffic.
    background_misreported: Vec<String>,
    /// Findings about a pattern's source of a kind none of its patterns is labelled with (and
    /// not an accepted companion, see [`accepted_companion`]).
    extra: Vec<String>,
}

impl Outcome {
    fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(self.missed.iter().map(|m| format!("missed: {m}")));
        out.extend(
            self.benign_misreported
                .iter()
                .map(|m| format!("benign pattern misreported: {m}")),
        );
        out.extend(
            self.background_misreported
                .iter()
                .map(|m| format!("benign background misreported: {m}")),
        );
        out.extend(self.extra.iter().map(|m| format!("extra finding: {m}")));
        out
    }
}

fn check(traffic: &Traffic, format: LogFormat, options: RenderOptions) -> Outcome {
    let report = analyze(format, options, &traffic.packets);
    let mut outcome = Outcome::default();

    // 1. Every visible, complete pattern is found with its kind and source.
    for label in &traffic.labels {
        let visible = carries(format, options, label.kind, label.variant);
        if !visible || label.emitted < label.planned {
            outcome.not_checked.push(describe(label));
            continue;
        }
        let kind = label.kind.id();
        outcome.expected.insert(kind);
        let sources = label_sources(label);
        let span = label_span(traffic, label);
        let found = report
            .findings
            .iter()
            .any(|f| matches_label(f, label, &sources, span));
        if found {
            outcome.found.insert(kind);
        } else {
            let reported: Vec<String> = report
                .findings
                .iter()
                .filter(|f| sources.iter().any(|&s| names(f, s)))
                .map(describe_finding)
                .collect();
            outcome.missed.push(format!(
                "{} — its sources got: [{}]",
                describe(label),
                reported.join("; ")
            ));
        }
    }

    // 2. A benign pattern's source is never a threat (unless it also runs a hostile pattern).
    let hostile_sources: HashSet<IpAddr> = traffic
        .labels
        .iter()
        .filter(|l| !l.kind.is_benign())
        .flat_map(label_sources)
        .collect();
    let mut benign_sources: BTreeMap<IpAddr, BTreeSet<&'static str>> = BTreeMap::new();
    for label in traffic.labels.iter().filter(|l| l.kind.is_benign()) {
        for source in label_sources(label) {
            if !hostile_sources.contains(&source) {
                benign_sources
                    .entry(source)
                    .or_default()
                    .insert(label.kind.id());
            }
        }
    }
    for finding in report.findings.iter().filter(|f| is_threat(f)) {
        for (source, kinds) in &benign_sources {
            if names(finding, *source) {
                outcome.benign_misreported.push(format!(
                    "{} — {source} runs only benign patterns {kinds:?}",
                    describe_finding(finding)
                ));
            }
        }
    }

    // 3. Sources with nothing but benign background traffic are never threats.
    let pattern_sources: HashSet<IpAddr> = traffic.labels.iter().flat_map(label_sources).collect();
    let mut background: HashMap<IpAddr, bool> = HashMap::new();
    for packet in &traffic.packets {
        let benign = packet.pattern == 0 && is_benign_background(packet);
        *background.entry(packet.src).or_insert(true) &= benign;
    }
    for finding in report.findings.iter().filter(|f| is_threat(f)) {
        let sources = finding
            .src
            .into_iter()
            .chain(finding.other_sources.iter().copied());
        for source in sources {
            if !pattern_sources.contains(&source) && background.get(&source) == Some(&true) {
                outcome.background_misreported.push(format!(
                    "{} — {source} sends only allowed sessions and late replies",
                    describe_finding(finding)
                ));
            }
        }
    }

    // 3b. Background probers that only retry one port of one host (lone probes, short
    //     visitors) are lone probes, not scans: at most a single-packet backdoor probe is
    //     reportable. And no background source is ever reported as compromised.
    let mut touched: HashMap<IpAddr, (u32, HashSet<(IpAddr, u16)>)> = HashMap::new();
    for packet in traffic.packets.iter().filter(|p| p.pattern == 0) {
        let entry = touched.entry(packet.src).or_default();
        entry.0 += 1;
        entry.1.insert((packet.dst, packet.dst_port));
    }
    for finding in report.findings.iter().filter(|f| is_threat(f)) {
        let Some(src) = finding.src else {
            continue;
        };
        if pattern_sources.contains(&src) {
            continue;
        }
        let Some((packets, targets)) = touched.get(&src) else {
            continue;
        };
        if finding.class == Class::Compromise {
            outcome.background_misreported.push(format!(
                "{} — {src} is background traffic, not a compromised host",
                describe_finding(finding)
            ));
        } else if *packets <= 3 && targets.len() == 1 && finding.kind != "scan.trojan" {
            outcome.background_misreported.push(format!(
                "{} — {src} only retried one port of one host ({packets} packets)",
                describe_finding(finding)
            ));
        }
    }

    // 4. A pattern's source gets threat findings of its pattern's kind only (or accepted
    //    companions), and a hostile pattern's source no benign findings.
    let mut kinds_of: HashMap<IpAddr, Vec<&Label>> = HashMap::new();
    for label in &traffic.labels {
        for source in label_sources(label) {
            kinds_of.entry(source).or_default().push(label);
        }
    }
    for finding in &report.findings {
        let Some(src) = finding.src else {
            continue;
        };
        let Some(labels) = kinds_of.get(&src) else {
            continue;
        };
        // Benign findings matter only on a source that runs nothing benign (a scanner's ident
        // probe reported as an ident query); a benign source's other benign traffic (a server's
        // late replies beside its NAT replies) is fine.
        let all_hostile = labels.iter().all(|l| !l.kind.is_benign());
        if !is_threat(finding) && !all_hostile {
            continue;
        }
        let explained = labels.iter().any(|label| {
            label.kind.id() == finding.kind || accepted_companion(format, options, label, finding)
        });
        if !explained {
            let labelled: Vec<String> = labels.iter().map(|l| describe(l)).collect();
            outcome.extra.push(format!(
                "{} — {src} is labelled [{}]",
                describe_finding(finding),
                labelled.join("; ")
            ));
        }
    }
    outcome
}

/// Findings a pattern's source may get besides its labelled kind (docs/findings.md explains
/// each): a scanner fingerprint names the tool while the scan is still reported by its shape
/// (or by the theme that dominates it, e.g. `scan.proxy` with `shape=horizontal`, or, when the
/// probes make no shape, by the theme of the port it swept: zmap on 8080 of a few hosts is a
/// proxy hunt); a
/// scan mostly on a theme's ports is reported as the theme (with its shape); and a pattern a
/// format cannot tell apart (label not `visible`) may show as the recon or noise it does look
/// like (a loopback source in a log without interfaces is a prober like any other, and one
/// that keeps knocking on one door is a retry).
fn accepted_companion(
    format: LogFormat,
    options: RenderOptions,
    label: &Label,
    finding: &Finding,
) -> bool {
    const SHAPES: [&str; 3] = ["scan.vertical", "scan.horizontal", "scan.block"];
    const THEMES: [&str; 5] = [
        "scan.trojan",
        "scan.proxy",
        "scan.rpc",
        "scan.pcanywhere",
        "probe.reflector",
    ];
    let scanner = matches!(
        label.kind,
        Kind::ScannerZmap | Kind::ScannerMasscan | Kind::ScannerMirai
    );
    let visible = carries(format, options, label.kind, label.variant);
    let themed_scan =
        finding.attribute("shape").is_some_and(|s| !s.is_empty()) || THEMES.contains(&finding.kind);
    (scanner && (SHAPES.contains(&finding.kind) || themed_scan))
        || themed_shape(finding, label)
        || (!visible
            && !label.kind.is_benign()
            && matches!(finding.class, Class::Recon | Class::Noise))
}

/// Checks one traffic in all three formats, prints a table, and fails listing every problem.
fn check_all_formats(traffic: &Traffic) {
    let mut problems = Vec::new();
    eprintln!("{}:", traffic.name);
    for format in LogFormat::ALL {
        let outcome = check(traffic, format, RenderOptions::default());
        let missed_kinds: BTreeSet<&str> = outcome
            .expected
            .difference(&outcome.found)
            .copied()
            .collect();
        eprintln!(
            "  {:<9} kinds expected {:>2}, found {:>2}, missed {:?}; labels missed {}, not checked {}; benign misreported {}, background misreported {}, extra {}",
            format.name(),
            outcome.expected.len(),
            outcome.found.len(),
            missed_kinds,
            outcome.missed.len(),
            outcome.not_checked.len(),
            outcome.benign_misreported.len(),
            outcome.background_misreported.len(),
            outcome.extra.len(),
        );
        for problem in outcome.failures() {
            problems.push(format!("{} {}: {problem}", traffic.name, format.name()));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn catalogue_every_kind_in_every_format() {
    let traffic = catalogue(1);
    // The catalogue holds every kind the generator knows.
    let kinds: HashSet<Kind> = traffic.labels.iter().map(|l| l.kind).collect();
    assert_eq!(kinds.len(), Kind::ALL.len());
    check_all_formats(&traffic);
}

#[test]
fn catalogue_other_seeds() {
    for seed in [2, 3] {
        check_all_formats(&catalogue(seed));
    }
}

#[test]
fn mixed_traffic_in_every_format() {
    check_all_formats(&mixed(1, MIXED_LINES));
}

#[test]
fn netfilter_with_sequence_numbers_shows_every_kind() {
    // With `--log-tcp-sequence`, netfilter lines carry what masscan and Mirai are recognised by:
    // then every kind of the catalogue must be found, the fingerprints included.
    let options = RenderOptions {
        netfilter_tcp_sequence: true,
    };
    let traffic = catalogue(4);
    let outcome = check(&traffic, LogFormat::Netfilter, options);
    let all: BTreeSet<&str> = Kind::ALL.iter().map(|k| k.id()).collect();
    let missing: BTreeSet<&str> = all.difference(&outcome.found).copied().collect();
    let problems = outcome.failures();
    assert!(
        problems.is_empty() && missing.is_empty(),
        "kinds not found: {missing:?}; not checked: {:?}\n{}",
        outcome.not_checked,
        problems.join("\n")
    );
}

#[test]
fn mixed_traffic_other_seed() {
    check_all_formats(&mixed(7, MIXED_LINES));
}

#[test]
fn every_kind_is_checked_in_some_format() {
    // Each kind must be visible in at least one format, and pf filterlog shows them all: a kind
    // no format could show would make the checks above vacuous for it.
    for kind in Kind::ALL {
        assert!(
            carries(LogFormat::PfFilterlog, RenderOptions::default(), kind, None),
            "{} is invisible in pf filterlog",
            kind.id()
        );
    }
}
