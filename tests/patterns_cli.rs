//! `fwseen analyze` on real-world patterns that the detectors must tell apart: slow and week-long
//! scans, retries that are not brute force, a desktop's and a server's own traffic, late answers,
//! completed sessions, spoofed sources, protocol and OS-fingerprint scans, slow distributed scans,
//! an inside host sweeping the LAN, and scanners that only look like benign traffic.
//!
//! The logs are in `tests/data/patterns/`, synthesized by the fwseen project to replicate patterns
//! met in real logs (see its README.md). Each test states the pattern and what fwseen must say about
//! it. Every expectation of a test is checked and all failures are reported together, with the
//! list of findings fwseen produced, so that one run shows everything that is still wrong.
//!
//! Every test also checks two general rules: no source has more than one finding of the same kind
//! (one pattern = one finding, however long it lasts), and the `summary` line carries a `verdict`
//! (`compromise`, `attack`, `inside-scan`, `recon` or `nothing`) with the expected value.

use std::collections::BTreeMap;

use serde_json::Value;

mod common;
use common::{fwseen, json_lines, repo};

const DIR: &str = "tests/data/patterns";
const VERDICTS: &[&str] = &["compromise", "attack", "inside-scan", "recon", "nothing"];
const THREAT_CLASSES: &[&str] = &["recon", "attack", "compromise"];

/// `fwseen analyze --json` of one fixture, with its findings.
struct Analysis {
    file: String,
    findings: Vec<Value>,
    summary: Value,
}

/// Runs `fwseen analyze --json --year 2022 --tz UTC` on `tests/data/patterns/{name}` and checks
/// that the fixture was read whole (no malformed record) and the run succeeded.
fn analyze(name: &str) -> Analysis {
    let path = format!("{DIR}/{name}");
    let output = fwseen(&["analyze", "--json", "--year", "2022", "--tz", "UTC", &path]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{path}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = json_lines(&output.stdout);
    let file = &lines[0];
    assert_eq!(file["type"], "file", "{path}: {file}");
    assert_eq!(
        file["malformed"], 0,
        "{path}: every line of the fixture is read: {file}"
    );
    let count = |key: &str| file[key].as_u64().unwrap();
    assert_eq!(
        count("records"),
        count("events") + count("skipped"),
        "{file}"
    );
    let summary = lines.last().unwrap().clone();
    assert_eq!(summary["type"], "summary", "{path}");
    let findings = lines
        .into_iter()
        .filter(|line| line["type"] == "finding")
        .collect();
    Analysis {
        file: path,
        findings,
        summary,
    }
}

fn src(finding: &Value) -> Option<&str> {
    finding["src"].as_str()
}

fn kind(finding: &Value) -> &str {
    finding["kind"].as_str().unwrap()
}

fn class(finding: &Value) -> &str {
    finding["class"].as_str().unwrap()
}

fn ports(finding: &Value) -> Vec<u64> {
    finding["targets"]["ports"]
        .as_array()
        .map(|ports| ports.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default()
}

fn port_count(finding: &Value) -> Option<u64> {
    finding["targets"]["port_count"].as_u64()
}

fn host_count(finding: &Value) -> Option<u64> {
    finding["targets"]["host_count"].as_u64()
}

/// The sources a finding is about: its `src` and, for findings about many, `other_sources`.
fn sources(finding: &Value) -> Vec<&str> {
    let mut all: Vec<&str> = src(finding).into_iter().collect();
    if let Some(others) = finding["other_sources"].as_array() {
        all.extend(others.iter().filter_map(Value::as_str));
    }
    all
}

impl Analysis {
    /// All findings of one kind.
    fn kind(&self, wanted: &str) -> Vec<&Value> {
        self.findings.iter().filter(|f| kind(f) == wanted).collect()
    }

    /// All findings about one source.
    fn of_src(&self, wanted: &str) -> Vec<&Value> {
        self.findings
            .iter()
            .filter(|f| src(f) == Some(wanted))
            .collect()
    }

    /// The findings of one kind about one source.
    fn of(&self, wanted_kind: &str, wanted_src: &str) -> Vec<&Value> {
        self.of_src(wanted_src)
            .into_iter()
            .filter(|f| kind(f) == wanted_kind)
            .collect()
    }

    /// Findings of class recon, attack or compromise.
    fn threats(&self) -> Vec<&Value> {
        self.findings
            .iter()
            .filter(|f| THREAT_CLASSES.contains(&class(f)))
            .collect()
    }

    fn verdict(&self) -> Option<&str> {
        self.summary["verdict"].as_str()
    }

    /// One line per finding, for failure messages.
    fn listing(&self) -> String {
        let mut text = format!(
            "{}: {} findings, verdict {:?}\n",
            self.file,
            self.findings.len(),
            self.summary.get("verdict")
        );
        for f in &self.findings {
            text.push_str(&format!(
                "  {} {} {} src={} sources={} hosts={} ports={} events={} attributes={} | {}\n",
                kind(f),
                class(f),
                f["severity"].as_str().unwrap_or("?"),
                src(f).unwrap_or("-"),
                f["source_count"],
                f["targets"]["host_count"],
                f["targets"]["port_count"],
                f["count"],
                f["attributes"],
                f["summary"].as_str().unwrap_or("")
            ));
        }
        text
    }

    /// Starts the checks of one test, with the general ones: one finding per (kind, source), and
    /// a verdict that is one of `expected`.
    fn checks(&self, expected_verdicts: &[&str]) -> Checks<'_> {
        let mut checks = Checks {
            analysis: self,
            failures: Vec::new(),
        };
        let mut per_source: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for f in &self.findings {
            if let Some(source) = src(f) {
                *per_source.entry((kind(f), source)).or_default() += 1;
            }
        }
        for ((k, s), n) in per_source {
            checks.check(n == 1, format!("{s} has {n} findings of kind {k}, not one"));
        }
        match self.verdict() {
            None => checks.fail("the summary line has no \"verdict\" key"),
            Some(verdict) => {
                checks.check(
                    VERDICTS.contains(&verdict),
                    format!("verdict {verdict:?} is not one of {VERDICTS:?}"),
                );
                checks.check(
                    expected_verdicts.contains(&verdict),
                    format!("verdict is {verdict:?}, expected one of {expected_verdicts:?}"),
                );
            }
        }
        checks
    }
}

/// The expectations of one test: every one is checked, and [`Checks::finish`] reports all the
/// failed ones at once.
struct Checks<'a> {
    analysis: &'a Analysis,
    failures: Vec<String>,
}

impl Checks<'_> {
    fn check(&mut self, ok: bool, what: impl Into<String>) {
        if !ok {
            self.fail(what);
        }
    }

    /// Records a failure (once: two checks may see the same problem).
    fn fail(&mut self, what: impl Into<String>) {
        let what = what.into();
        if !self.failures.contains(&what) {
            self.failures.push(what);
        }
    }

    /// No finding of class recon, attack or compromise at all.
    fn no_threats(&mut self) {
        for f in self.analysis.threats() {
            let what = format!(
                "unexpected {} finding {} for {}",
                class(f),
                kind(f),
                src(f).unwrap_or("many sources")
            );
            self.fail(what);
        }
    }

    /// No finding of class attack or compromise.
    fn no_attack_or_compromise(&mut self) {
        for f in &self.analysis.findings {
            if matches!(class(f), "attack" | "compromise") {
                let what = format!(
                    "unexpected {} finding {} for {}",
                    class(f),
                    kind(f),
                    src(f).unwrap_or("many sources")
                );
                self.fail(what);
            }
        }
    }

    /// No finding of class recon, attack or compromise about `source`.
    fn no_threats_from(&mut self, source: &str) {
        for f in self.analysis.of_src(source) {
            if THREAT_CLASSES.contains(&class(f)) {
                let what = format!("unexpected {} finding {} for {source}", class(f), kind(f));
                self.fail(what);
            }
        }
    }

    /// Exactly one finding in `found` (described by `what`); returns it when there is any.
    fn one<'f>(&mut self, found: Vec<&'f Value>, what: &str) -> Option<&'f Value> {
        match found.len() {
            1 => Some(found[0]),
            0 => {
                self.fail(format!("no {what}"));
                None
            }
            n => {
                self.fail(format!("{n} findings for {what}, expected one"));
                Some(found[0])
            }
        }
    }

    fn finish(self) {
        if !self.failures.is_empty() {
            panic!(
                "{} expectation(s) failed:\n- {}\n\n{}",
                self.failures.len(),
                self.failures.join("\n- "),
                self.analysis.listing()
            );
        }
    }
}

/// Real pattern: a patient scanner (nmap -T1 style, or a botnet spreading its probes) sends one
/// SYN every 3 to 15 minutes: 36 ports of our VPS over 4 h 40 min, never more than a handful
/// inside any hour, amid ~40 lone probes from the internet's background. fwseen must join the
/// pieces into ONE `scan.vertical` finding for it, with all 36 ports, and say that it is slow
/// ("slow scan, 36 ports over 4 h 40 min"). The background probes stay lone probes. Recon only.
#[test]
fn slow_scan_is_one_slow_vertical_scan() {
    let a = analyze("slow-scan.log");
    let mut c = a.checks(&["recon"]);
    let scanner = "198.51.100.73";
    let scans: Vec<&Value> = a
        .of_src(scanner)
        .into_iter()
        .filter(|f| kind(f).starts_with("scan."))
        .collect();
    if let Some(scan) = c.one(scans, "scan finding for the slow scanner 198.51.100.73") {
        c.check(
            kind(scan) == "scan.vertical",
            format!("the slow scan is {}, not scan.vertical", kind(scan)),
        );
        let summary = scan["summary"].as_str().unwrap_or("");
        c.check(
            summary.contains("slow"),
            format!("the summary does not say the scan is slow: {summary:?}"),
        );
        c.check(
            port_count(scan) == Some(36),
            format!("port_count {:?}, expected 36", port_count(scan)),
        );
        c.check(
            host_count(scan) == Some(1),
            format!("host_count {:?}, expected 1", host_count(scan)),
        );
    }
    c.no_attack_or_compromise();
    for f in a.threats() {
        if src(f) != Some(scanner) {
            c.fail(format!(
                "background source {} got {} (lone probes are not reported)",
                src(f).unwrap_or("many sources"),
                kind(f)
            ));
        }
    }
    let lone = a.summary["lone_probes"].as_u64().unwrap_or(0);
    c.check(
        lone >= 40,
        format!("{lone} lone probes, expected the 40 background sources"),
    );
    c.finish();
}

/// Real pattern: a scanner that comes back in bursts for six days, 424 SYNs to 309 ports of two
/// of our hosts. Among its ports are trojan ports (31337, 12345, 27374), game and streaming
/// ports (27015, 27960, 25565, 7070, 554, 6970) and the traceroute port 33434 over TCP, and one
/// of its packets arrives with TTL 232. It is ONE scan (`scan.vertical`, or `scan.block`) of
/// 309 ports: crossing a trojan port does not make a separate `scan.trojan`, and none of its
/// probes is explained away as traceroute, game or streaming traffic (no benign.* finding).
#[test]
fn week_long_scanner_is_one_scan_without_benign_explanations() {
    let a = analyze("week-scanner.log");
    let mut c = a.checks(&["recon"]);
    let scanner = "192.0.2.146";
    let scans: Vec<&Value> = a
        .of_src(scanner)
        .into_iter()
        .filter(|f| matches!(kind(f), "scan.vertical" | "scan.block"))
        .collect();
    if let Some(scan) = c.one(scans, "scan.vertical or scan.block for 192.0.2.146") {
        c.check(
            port_count(scan) == Some(309),
            format!("port_count {:?}, expected 309", port_count(scan)),
        );
        c.check(
            host_count(scan) == Some(2),
            format!("host_count {:?}, expected 2", host_count(scan)),
        );
    }
    for f in a.of_src(scanner) {
        c.check(
            !kind(f).starts_with("benign."),
            format!("the scanner got {}: its probes are explained away", kind(f)),
        );
        c.check(
            kind(f) != "scan.trojan",
            "the scanner got a separate scan.trojan (its scan should carry includes=trojan)",
        );
    }
    c.no_attack_or_compromise();
    c.finish();
}

/// Real pattern: an outside mail server retries port 25 of our host every ~70 minutes for 17 h
/// (Postfix's maximal backoff), each attempt a SYN and two retransmissions with the same source
/// port, all dropped; and a broken stack re-sends ONE SYN 111 times to port 22 with the same IP
/// ID and source port. Neither is brute force: nobody tried a password. Each source gets one
/// `noise.retry` finding (class noise) and nothing worse.
#[test]
fn mail_retries_and_a_replayed_packet_are_retries_not_brute_force() {
    let a = analyze("mail-retry.log");
    let mut c = a.checks(&["nothing", "recon"]);
    for f in a.kind("attack.bruteforce") {
        c.fail(format!(
            "attack.bruteforce for {}: retries of one connection are not password guessing",
            src(f).unwrap_or("-")
        ));
    }
    for (source, port) in [("198.51.100.25", 25), ("192.0.2.211", 22)] {
        if let Some(retry) = c.one(
            a.of("noise.retry", source),
            &format!("noise.retry for {source}"),
        ) {
            c.check(
                class(retry) == "noise",
                format!("noise.retry of {source} has class {}", class(retry)),
            );
            c.check(
                ports(retry).contains(&port),
                format!("noise.retry of {source} does not name port {port}"),
            );
        }
        c.no_threats_from(source);
    }
    c.no_attack_or_compromise();
    c.finish();
}

/// Real pattern: SSH password guessing that the firewall lets through. ufw logs the 40 new
/// connections it allowed to port 22 (`[UFW ALLOW]`, 40 source ports) within 10 minutes. Allowed
/// is worse than dropped here: the attempts reached sshd. `attack.bruteforce`, verdict attack.
/// The owner's single login from another address is not an attack.
#[test]
fn allowed_connections_still_count_as_brute_force() {
    let a = analyze("allowed-bruteforce.log");
    let mut c = a.checks(&["attack"]);
    let brute = "198.51.100.44";
    if let Some(f) = c.one(
        a.of("attack.bruteforce", brute),
        "attack.bruteforce for 198.51.100.44",
    ) {
        c.check(class(f) == "attack", format!("class {}", class(f)));
        c.check(
            ports(f).contains(&22),
            "the brute force does not name port 22",
        );
        c.check(
            f["attributes"]["allowed_events"] == "40",
            format!(
                "allowed_events is {}, expected \"40\"",
                f["attributes"]["allowed_events"]
            ),
        );
    }
    c.no_threats_from("192.0.2.33");
    c.finish();
}

/// Real pattern: a desktop (192.168.122.235) with a log-everything ruleset (`[netfilter-OUTPUT]`
/// and `[netfilter-INPUT]` rules that log accepted packets, so the action is "other"): DNS to its
/// gateway and through systemd-resolved on 127.0.0.53, chrony polling four NTP servers every
/// 64 s from new ports, browsing 30 outside sites on 443 and 80 with full handshakes (SYN out,
/// SYN+ACK in, data both ways, FIN), a ping with replies, CUPS on loopback. This is a machine
/// using the network, and nothing in it is reconnaissance, attack or compromise: no outbound
/// scan of the 30 sites, no distributed scan from the NTP or DNS answers, no beacon from the
/// regular NTP polls, no spoofed source from 127.0.0.1 on lo. Verdict nothing.
#[test]
fn a_desktops_own_traffic_is_nothing() {
    let a = analyze("desktop-own.log");
    let mut c = a.checks(&["nothing"]);
    c.no_threats();
    c.finish();
}

/// Real pattern: a Windows server's pfirewall.log (192.168.6.81): allowed inbound file-share,
/// RDP and web connections from LAN clients, allowed DNS and time sync, an application opening
/// 60 connections to its SQL Server (192.168.6.20:1433), a blocked call to 204.79.197.200:443
/// every 30 minutes for 4 hours (telemetry blocked by policy), and its mail queue trying to
/// deliver directly: 300 blocked connections to port 25 of 22 outside mail servers. None of it
/// is an attack or a compromise: the SQL connections are not brute force, the blocked calls are
/// not a beacon, and the mail attempts are not a scan but blocked outbound traffic: one
/// `outbound.blocked` finding for 192.168.6.81 naming port 25 and the 22 mail servers.
#[test]
fn windows_servers_blocked_outbound_mail_is_not_an_attack() {
    let a = analyze("windows-server.log");
    let mut c = a.checks(&["nothing", "recon", "inside-scan"]);
    let server = "192.168.6.81";
    c.no_attack_or_compromise();
    if let Some(f) = c.one(
        a.of("outbound.blocked", server),
        "outbound.blocked for 192.168.6.81",
    ) {
        c.check(
            ports(f).contains(&25),
            format!("outbound.blocked does not name port 25: {:?}", ports(f)),
        );
        c.check(
            host_count(f) == Some(22),
            format!(
                "host_count {:?}, expected the 22 mail servers",
                host_count(f)
            ),
        );
    }
    for f in a.of_src(server) {
        c.check(
            !kind(f).starts_with("scan."),
            format!("{} for the server: a mail queue is not a scan", kind(f)),
        );
    }
    c.finish();
}

/// Real pattern: a drop-only log after the firewall lost its connection state: late answers
/// from 30 outside servers, NTP from 123 (ntpd talks 123 → 123) and DNS from 53 to our high
/// ports. Answers are not probes: no `scan.distributed` (even though more than ten sources hit
/// port 123 within ten minutes), nothing of class recon, attack or compromise. Verdict nothing.
#[test]
fn late_ntp_and_dns_answers_are_not_a_distributed_scan() {
    let a = analyze("ntp-dns-answers.log");
    let mut c = a.checks(&["nothing"]);
    for f in a.kind("scan.distributed") {
        c.fail(format!(
            "scan.distributed of ports {:?} from {} sources: these are answers",
            ports(f),
            f["source_count"]
        ));
    }
    c.no_threats();
    c.finish();
}

/// Real pattern: a Zeek conn.log of a server: 20 completed SSH sessions (conn_state SF, history
/// ShAdDaFf) from 8 clients and 30 web sessions (ShADadFf) from 15, plus one scanner with 50
/// unanswered SYNs (S0, history S) to 50 ports. A session's history holds SYN, ACK and FIN
/// together, but it is a connection, not a SYN+FIN probe: no `scan.stealth` anywhere, and the
/// scanner is the only `scan.vertical`.
#[test]
fn zeek_completed_sessions_are_not_stealth_scans() {
    let a = analyze("zeek-sessions.log");
    let mut c = a.checks(&["recon"]);
    let scanner = "192.0.2.99";
    for f in a.kind("scan.stealth") {
        c.fail(format!(
            "scan.stealth ({}) for {}: completed sessions are not stealth probes",
            f["attributes"],
            src(f).unwrap_or("-")
        ));
    }
    c.one(
        a.of("scan.vertical", scanner),
        "scan.vertical for the scanner 192.0.2.99",
    );
    for f in a.threats() {
        if src(f) != Some(scanner) {
            c.fail(format!(
                "{} for {}: a client with completed sessions",
                kind(f),
                src(f).unwrap_or("many sources")
            ));
        }
    }
    c.finish();
}

/// Real pattern: an inside host (10.0.0.5; 10.0.0.0/8 is ours by RFC 1918) tries once to reach
/// an IRC server on 6666 (also Beast RAT's port), and the kernel re-sends the SYN 5 times with
/// the same source port and IP ID before giving up. One attempt is not a compromise: a
/// `compromise.trojan-outbound` may be reported at low or medium severity, never high or
/// critical, and the verdict is not compromise (nor attack).
#[test]
fn one_retransmitted_syn_to_an_irc_port_is_not_a_compromise() {
    let a = analyze("retransmit.log");
    let mut c = a.checks(&["nothing", "recon", "inside-scan"]);
    for f in a.kind("compromise.trojan-outbound") {
        let severity = f["severity"].as_str().unwrap_or("");
        c.check(
            matches!(severity, "info" | "low" | "medium"),
            format!(
                "compromise.trojan-outbound for {} is {severity}: one attempt (a SYN and its \
                 retransmissions) is at most low/medium",
                src(f).unwrap_or("-")
            ),
        );
    }
    c.finish();
}

/// Real pattern: an nmap IP protocol scan (`nmap -sO`): one source sends packets of 100
/// different IP protocols (netfilter prints numbers such as `PROTO=47` for protocols it has no
/// name for, `PROTO=ESP INCOMPLETE [0 bytes]` for empty ESP) to one host, with retries. It is
/// a `scan.ip-protocol` (recon).
#[test]
fn ip_protocol_scan_is_recognised() {
    let a = analyze("proto-scan.log");
    let mut c = a.checks(&["recon"]);
    if let Some(f) = c.one(
        a.of("scan.ip-protocol", "192.0.2.150"),
        "scan.ip-protocol for 192.0.2.150",
    ) {
        c.check(class(f) == "recon", format!("class {}", class(f)));
    }
    c.finish();
}

/// Real pattern: a raw-table rule logging martian packets that arrive on the outside interface
/// with impossible sources: 0.0.0.0, 127.0.0.1 (loopback from eth0), 240.1.2.3 (reserved) and
/// our own address as both source and destination (a land attack, SYN 139 → 139). Each forged
/// source is covered by a `probe.spoofed-source` finding, at most one per source.
#[test]
fn spoofed_sources_are_reported() {
    let a = analyze("spoofed.log");
    let mut c = a.checks(&["recon", "attack"]);
    let spoofed = a.kind("probe.spoofed-source");
    for forged in ["0.0.0.0", "127.0.0.1", "240.1.2.3", "203.0.113.10"] {
        let covering = spoofed
            .iter()
            .filter(|f| sources(f).contains(&forged))
            .count();
        c.check(
            covering >= 1,
            format!("no probe.spoofed-source covers source {forged}"),
        );
    }
    c.finish();
}

/// Real pattern: nmap's OS detection and xprobe-style probes from one source: ICMP echo
/// requests with CODE=9 (nmap's IE probe; echo requests have code 0), and ICMP types that are
/// deprecated (15 information request, 17 address mask request, 30 traceroute) or unassigned
/// (1, 2, 7, 44, 99). It is a `scan.os-fingerprint`.
#[test]
fn invalid_icmp_is_os_fingerprinting() {
    let a = analyze("invalid-icmp.log");
    let mut c = a.checks(&["recon"]);
    c.one(
        a.of("scan.os-fingerprint", "198.51.100.200"),
        "scan.os-fingerprint for 198.51.100.200",
    );
    c.finish();
}

/// Real pattern: `nmap -g 53`: SYNs from source port 53 to 40 ports (22, 80, 135, 445 ...) of
/// our host, hoping the filter trusts DNS. These are connection attempts, not DNS answers: a
/// `scan.source-port` with source_port 53, and no `benign.late-reply` for the source.
#[test]
fn scan_from_dns_source_port_is_not_a_late_reply() {
    let a = analyze("dns-source-port-scan.log");
    let mut c = a.checks(&["recon"]);
    let scanner = "198.51.100.131";
    if let Some(f) = c.one(
        a.of("scan.source-port", scanner),
        "scan.source-port for 198.51.100.131",
    ) {
        c.check(
            f["attributes"]["source_port"] == "53",
            format!("source_port is {}", f["attributes"]["source_port"]),
        );
    }
    c.check(
        a.of("benign.late-reply", scanner).is_empty(),
        "benign.late-reply for the scanner: SYNs from port 53 are not answers",
    );
    c.finish();
}

/// Real pattern: a botnet hunting Android debug bridges: 60 different sources each send one SYN
/// to port 5555 of our three hosts, spread over 5 hours (so never ten within ten minutes). Each
/// source alone is a lone probe; together they are ONE `scan.distributed` (src null) with at
/// least 60 sources.
#[test]
fn slow_distributed_scan_is_one_finding() {
    let a = analyze("distributed-slow.log");
    let mut c = a.checks(&["recon"]);
    if let Some(f) = c.one(a.kind("scan.distributed"), "scan.distributed") {
        c.check(
            f["src"].is_null(),
            format!("src is {}, expected null", f["src"]),
        );
        let n = f["source_count"].as_u64().unwrap_or(0);
        c.check(n >= 60, format!("source_count {n}, expected at least 60"));
        c.check(
            ports(f).contains(&5555),
            "the distributed scan does not name port 5555",
        );
    }
    c.finish();
}

/// Real pattern: a worm on an inside host (192.168.1.50, a Windows stack) sweeping port 445 of
/// 40 other inside hosts through a bridging firewall (FORWARD DROP with PHYSIN/PHYSOUT, and
/// INPUT DROP for the router itself). A scan finding for 192.168.1.50, and the verdict is
/// `inside-scan`: one of ours is scanning our own network.
#[test]
fn inside_host_scanning_the_lan_is_an_inside_scan() {
    let a = analyze("lateral-scan.log");
    let mut c = a.checks(&["inside-scan"]);
    let scans: Vec<&Value> = a
        .of_src("192.168.1.50")
        .into_iter()
        .filter(|f| kind(f).starts_with("scan."))
        .collect();
    c.check(!scans.is_empty(), "no scan finding for 192.168.1.50");
    c.finish();
}

/// Real pattern: NetBIOS name queries (UDP 137, NBSTAT) from 20 public addresses to our VPS,
/// spread over six hours: internet scanners asking for names, not Windows machines chatting on
/// a LAN. No `benign.netbios` (that explanation needs LAN addresses on both sides).
#[test]
fn netbios_from_the_internet_is_not_lan_chatter() {
    let a = analyze("netbios-internet.log");
    let mut c = a.checks(&["recon", "nothing"]);
    for f in a.kind("benign.netbios") {
        c.fail(format!(
            "benign.netbios for {}: a public source is not LAN chatter",
            src(f).unwrap_or("-")
        ));
    }
    c.finish();
}

/// Real pattern: zmap (IP ID 54321, window 65535) probing ports 22, 80, 113 and 443 of twelve
/// of our hosts. Its SYNs to 113 are part of the scan, not ident queries: no `benign.ident` for
/// it, and its recon finding names port 113. (A lone ident query from an IRC server in the same
/// log is the real thing.)
#[test]
fn zmap_probe_of_ident_is_not_an_ident_query() {
    let a = analyze("zmap-ident.log");
    let mut c = a.checks(&["recon"]);
    let zmap = "198.51.100.240";
    c.check(
        a.of("benign.ident", zmap).is_empty(),
        "benign.ident for the zmap scanner",
    );
    let recon: Vec<&Value> = a
        .of_src(zmap)
        .into_iter()
        .filter(|f| class(f) == "recon")
        .collect();
    c.check(!recon.is_empty(), "no recon finding for the zmap scanner");
    c.check(
        recon.is_empty() || recon.iter().any(|f| ports(f).contains(&113)),
        "no recon finding of the zmap scanner names port 113",
    );
    c.finish();
}

/// An input that cannot be read must not be hidden behind a reassuring headline: the exit
/// status is 2, the JSON names the failed input, and the terminal report says in its first
/// lines "1 of 2 inputs could not be read", never "Nothing alarming" — also when the input that
/// was read holds nothing alarming.
#[test]
fn unreadable_input_is_named_in_the_headline() {
    assert!(
        !repo().join("missing-file.log").exists(),
        "missing-file.log must not exist"
    );
    let slow = format!("{DIR}/slow-scan.log");
    let output = fwseen(&["analyze", "--json", "missing-file.log", &slow]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let lines = json_lines(&output.stdout);
    assert!(
        lines
            .iter()
            .any(|l| l["type"] == "error" && l["path"] == "missing-file.log"),
        "no error line for missing-file.log"
    );
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["inputs"], 2, "{summary}");
    assert_eq!(summary["inputs_failed"], 1, "{summary}");

    let mut failures = Vec::new();
    for readable in [slow.clone(), format!("{DIR}/desktop-own.log")] {
        let output = fwseen(&[
            "analyze",
            "--year",
            "2022",
            "--tz",
            "UTC",
            "missing-file.log",
            &readable,
        ]);
        let text = String::from_utf8_lossy(&output.stdout);
        if output.status.code() != Some(2) {
            failures.push(format!(
                "{readable}: exit status {:?}, expected 2",
                output.status.code()
            ));
        }
        let head: Vec<&str> = text.lines().take(3).collect();
        if !head.join("\n").contains("1 of 2 inputs could not be read") {
            failures.push(format!(
                "{readable}: the first lines do not say \"1 of 2 inputs could not be read\": {head:#?}"
            ));
        }
        if text.contains("Nothing alarming") {
            failures.push(format!(
                "{readable}: the report says \"Nothing alarming\" although an input could not be read"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
