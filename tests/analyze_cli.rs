//! `fwseen analyze` end to end: the shipped sample in every report format, both languages,
//! `--fail-on` exit codes, configuration, and escaping of hostile text from a crafted log.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{fwseen, json_lines, repo};

const SAMPLE: &str = "samples/home-router.log";

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// A fresh temporary directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    common::temp_dir("analyze", name)
}

/// The kinds the sample is built to contain (fwseen-gen's catalogue holds every kind once).
/// zmap is not among them: its fingerprint is the `tool` attribute of the scan it ran (see
/// [`zmap_is_named`]); masscan and Mirai need sequence numbers, which the sample's netfilter lines
/// do not log.
const SAMPLE_KINDS: &[&str] = &[
    "adware.conducent",
    "attack.bruteforce",
    "benign.dhcp",
    "benign.game",
    "benign.ident",
    "benign.lan-discovery",
    "benign.late-reply",
    "benign.nat-source-port",
    "benign.netbios",
    "benign.streaming",
    "benign.traceroute",
    "benign.traceroute-reply",
    "compromise.beacon",
    "compromise.trojan-outbound",
    "dos.echo-chargen",
    "heartbeat.powwow",
    "noise.retry",
    "outbound.blocked",
    "outbound.periodic",
    "probe.fraggle",
    "probe.reflector",
    "probe.smurf",
    "probe.spoofed-source",
    "scan.block",
    "scan.distributed",
    "scan.horizontal",
    "scan.ip-protocol",
    "scan.os-fingerprint",
    "scan.pcanywhere",
    "scan.proxy",
    "scan.rpc",
    "scan.source-port",
    "scan.sscan",
    "scan.stealth",
    "scan.trojan",
    "scan.vertical",
    "sweep.ping",
];

/// The sample's lines and records.
const SAMPLE_LINES: u64 = 4226;

/// True when the sample's zmap scanner is named: a `scanner.zmap` finding (a fingerprinted
/// source whose probes make no scan shape) or a scan finding whose `tool` attribute is zmap.
fn zmap_is_named(findings: &[&serde_json::Value]) -> bool {
    findings.iter().any(|f| {
        f["kind"] == "scanner.zmap"
            || (f["kind"].as_str().unwrap().starts_with("scan.")
                && f["attributes"]["tool"]
                    .as_str()
                    .is_some_and(|tools| tools.split(',').any(|t| t == "zmap")))
    })
}

/// The backdoor port of the sample's `compromise.trojan-outbound` finding and the port's name.
fn sample_trojan() -> (u64, String) {
    let json = json_lines(&fwseen(&["analyze", "--json", SAMPLE]).stdout);
    let trojan = json
        .iter()
        .find(|l| l["kind"] == "compromise.trojan-outbound")
        .expect("the sample has a trojan call-out");
    let port = trojan["targets"]["ports"][0].as_u64().unwrap();
    (port, trojan["port"]["name"].as_str().unwrap().to_string())
}

#[test]
fn terminal_report_on_the_sample() {
    let output = fwseen(&["analyze", SAMPLE]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("fwseen · 4,226 lines · "), "{first}");
    assert!(first.contains("sources need attention"), "{first}");
    assert!(first.contains("benign patterns"), "{first}");
    assert!(first.contains("lone probes"), "{first}");
    assert!(text.contains("Inside hosts show signs of compromise."));
    assert!(text.contains(
        "samples/home-router.log  netfilter     4,226 records: 4,226 events, 0 skipped, 0 malformed"
    ));
    // Classes come most alarming first.
    let order: Vec<usize> = [
        "── Compromise",
        "── Attack",
        "── Reconnaissance",
        "── Noise",
        "── Benign",
    ]
    .iter()
    .map(|heading| text.find(heading).unwrap_or_else(|| panic!("no {heading}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // A story: summary, who/what/when, explanation, port meaning, advice, evidence.
    let story_start = text.find("compromise.trojan-outbound").unwrap();
    let story = &text[story_start..story_start + 2500];
    let (port, _) = sample_trojan();
    let port_meaning = format!("Port {port}");
    for part in [
        "inside host",
        "source ",
        "when ",
        "What it is:",
        port_meaning.as_str(),
        "What to do:",
        "evidence: samples/home-router.log:",
    ] {
        assert!(story.contains(part), "no {part:?} in {story}");
    }
    assert!(
        !text.contains('\x1b'),
        "no colour when NO_COLOR is set and stdout is a pipe"
    );
}

#[test]
fn json_lines_on_the_sample() {
    let output = fwseen(&["analyze", "--json", SAMPLE]);
    assert_eq!(output.status.code(), Some(0));
    let lines = json_lines(&output.stdout);
    let file = &lines[0];
    assert_eq!(file["type"], "file");
    assert_eq!(file["path"], SAMPLE);
    assert_eq!(file["format"], "netfilter");
    let count = |v: &serde_json::Value, key: &str| v[key].as_u64().unwrap();
    assert_eq!(
        count(file, "records"),
        count(file, "events") + count(file, "skipped") + count(file, "malformed")
    );
    assert_eq!(count(file, "records"), SAMPLE_LINES);

    let findings: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["type"] == "finding").collect();
    let kinds: BTreeSet<&str> = findings
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    for kind in SAMPLE_KINDS {
        assert!(kinds.contains(kind), "no {kind} finding; found {kinds:?}");
    }
    assert!(zmap_is_named(&findings), "no zmap scan; found {kinds:?}");
    for finding in &findings {
        for key in [
            "kind",
            "class",
            "severity",
            "src",
            "targets",
            "count",
            "first_seen",
            "last_seen",
            "duration_seconds",
            "rate_per_second",
            "summary",
            "explanation",
            "advice",
            "attributes",
            "evidence",
        ] {
            assert!(finding.get(key).is_some(), "no {key} in {finding}");
        }
        assert!(!finding["summary"].as_str().unwrap().is_empty());
        assert!(!finding["explanation"].as_str().unwrap().is_empty());
        let samples = finding["evidence"]["samples"].as_array().unwrap();
        assert!(!samples.is_empty(), "{finding}");
        for sample in samples {
            assert_eq!(sample["path"], SAMPLE);
            assert!(sample["line"].as_u64().unwrap() >= 1);
        }
        assert!(finding["evidence"]["count"].as_u64().unwrap() >= samples.len() as u64);
        let targets = &finding["targets"];
        assert!(
            targets["host_count"].as_u64().unwrap()
                >= targets["hosts"].as_array().unwrap().len() as u64
        );
    }
    let trojan = findings
        .iter()
        .find(|f| f["kind"] == "compromise.trojan-outbound")
        .unwrap();
    assert_eq!(trojan["class"], "compromise");
    assert_eq!(trojan["severity"], "critical");
    assert!(trojan["port"]["id"].as_str().is_some());

    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(count(summary, "inputs"), 1);
    assert_eq!(count(summary, "inputs_failed"), 0);
    assert_eq!(count(summary, "records"), SAMPLE_LINES);
    assert_eq!(count(summary, "findings"), findings.len() as u64);
    let by_class: u64 = summary["findings_by_class"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_class, findings.len() as u64);
    assert!(count(summary, "lone_probes") > 0);
}

/// A minimal RFC 4180 reader, enough to check our own output.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[test]
fn csv_on_the_sample() {
    let output = fwseen(&["analyze", "--csv", SAMPLE]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0].join(","),
        "kind,class,severity,src,source_count,hosts,host_count,ports,port_count,protocols,events,first_seen,last_seen,duration_seconds,rate_per_second,summary,attributes,evidence"
    );
    let json = json_lines(&fwseen(&["analyze", "--json", SAMPLE]).stdout);
    let findings = json.iter().filter(|l| l["type"] == "finding").count();
    assert_eq!(rows.len() - 1, findings);
    assert!(
        rows[1..].iter().all(|r| r.len() == 18),
        "every row has 18 cells"
    );
    assert!(rows[1..]
        .iter()
        .any(|r| r[0] == "compromise.trojan-outbound" && r[2] == "critical"));
    // The accounting goes to stderr.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "samples/home-router.log: netfilter, 4226 records: 4226 events, 0 skipped, 0 malformed"
        ),
        "{stderr}"
    );
}

#[test]
fn traditional_chinese_report() {
    let output = fwseen(&["analyze", "--lang", "zh-Hant", SAMPLE]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("fwseen · 4,226 行 · "), "{first}");
    assert!(
        first.contains("個來源需要注意") && first.contains("個零星探測"),
        "{first}"
    );
    for word in [
        "內部主機出現遭入侵的跡象。",
        "── 入侵跡象",
        "── 攻擊",
        "── 偵察",
        "說明：",
        "建議：",
        "證據：",
        "筆紀錄",
    ] {
        assert!(text.contains(word), "no {word:?}");
    }
    for english in [
        "What it is",
        "What to do",
        "evidence:",
        "sources need attention",
        "Reconnaissance",
    ] {
        assert!(
            !text.contains(english),
            "English {english:?} left in the Chinese report"
        );
    }
    let json = json_lines(&fwseen(&["analyze", "--json", "--lang", "zh-Hant", SAMPLE]).stdout);
    let summary = json.last().unwrap();
    assert_eq!(summary["lang"], "zh-Hant");
    let finding = json.iter().find(|l| l["type"] == "finding").unwrap();
    assert!(!finding["explanation"].as_str().unwrap().is_ascii());
}

fn write_log(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    path
}

fn netfilter_line(
    second: u32,
    prefix: &str,
    src: &str,
    dst: &str,
    proto: &str,
    spt: u16,
    dpt: u16,
) -> String {
    format!(
        "Mar  1 10:00:{second:02} gw kernel: [100.0] {prefix}IN=eth0 OUT= MAC=00:16:3e:5a:10:01:00:1b:21:3c:4d:5e:08:00 SRC={src} DST={dst} LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO={proto} SPT={spt} DPT={dpt} LEN=40"
    )
}

#[test]
fn fail_on_sets_the_exit_status() {
    // The sample holds a critical finding.
    assert_eq!(
        fwseen(&["analyze", "--fail-on", "critical", SAMPLE])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        fwseen(&["analyze", "--fail-on", "info", "--json", SAMPLE])
            .status
            .code(),
        Some(1)
    );
    // A log with DHCP chatter only: nothing at or above low.
    let dir = temp_dir("fail-on");
    let lines: Vec<String> = (0..4)
        .map(|i| netfilter_line(i, "", "0.0.0.0", "255.255.255.255", "UDP", 68, 67))
        .collect();
    let quiet = write_log(&dir, "dhcp.log", &lines);
    let quiet = quiet.to_str().unwrap();
    assert_eq!(
        fwseen(&["analyze", "--fail-on", "low", quiet])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(fwseen(&["analyze", quiet]).status.code(), Some(0));
    // Errors: a missing input, a bad severity, a bad --home-net.
    let missing = dir.join("missing.log");
    let output = fwseen(&["analyze", "--fail-on", "low", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        fwseen(&["analyze", "--fail-on", "severe", quiet])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        fwseen(&["analyze", "--home-net", "10.0.0.0/99", quiet])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn config_file_is_read_and_checked() {
    let dir = temp_dir("config");
    let good = dir.join("good.toml");
    std::fs::write(
        &good,
        "home_net = [\"203.0.113.0/24\", \"10.1.0.0/16\"]\n[thresholds]\nvertical_min_ports = 10\n",
    )
    .unwrap();
    let output = fwseen(&[
        "analyze",
        "--json",
        "--config",
        good.to_str().unwrap(),
        SAMPLE,
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json = json_lines(&output.stdout);
    assert!(json
        .iter()
        .any(|l| l["kind"] == "compromise.trojan-outbound"));
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "home_nets = [\"203.0.113.0/24\"]\n").unwrap();
    let output = fwseen(&["analyze", "--config", bad.to_str().unwrap(), SAMPLE]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown key home_nets"));
}

/// A crafted log: its file name and its rule label hold a terminal escape sequence, a bidi
/// override and markup. None of it may reach a terminal, a CSV cell or the HTML page as is.
#[test]
fn hostile_text_is_escaped_everywhere() {
    let dir = temp_dir("escaping");
    let hostile = "\x1b[31m\u{202e}<script>alert(1)</script>";
    let prefix = format!("{hostile} ");
    // A vertical scan, so that there is a finding whose evidence names the file.
    let lines: Vec<String> = (0..30)
        .map(|i| {
            netfilter_line(
                i,
                &prefix,
                "198.51.100.7",
                "192.0.2.10",
                "TCP",
                40000,
                1000 + i as u16,
            )
        })
        .collect();
    // A file name cannot hold '/', so it gets the markup without its closing tag.
    let hostile_name = "\x1b[31m\u{202e}<script>";
    let path = write_log(&dir, &format!("evil{hostile_name}.log"), &lines);
    let path = path.to_str().unwrap();

    let check_clean = |text: &str, what: &str| {
        assert!(!text.contains('\x1b'), "ESC in {what}");
        assert!(!text.contains('\u{202e}'), "bidi override in {what}");
    };
    let terminal = fwseen(&["analyze", "--color", "always", path]);
    assert_eq!(terminal.status.code(), Some(0), "{terminal:?}");
    let text = stdout(&terminal);
    assert!(text.contains("scan.vertical"), "{text}");
    // Colour is on, so ESC appears in our own styling: check the file name's rendering instead.
    assert!(
        text.contains("evil\\x1b[31m\\u{202e}<script>.log"),
        "{text}"
    );
    assert!(!text.contains("evil\x1b"), "raw ESC from the file name");
    assert!(!text.contains('\u{202e}'), "raw bidi override");
    check_clean(
        &stdout(&fwseen(&["analyze", path])),
        "terminal without colour",
    );
    check_clean(&String::from_utf8_lossy(&terminal.stderr), "stderr");

    let csv = fwseen(&["analyze", "--csv", path]);
    let csv_text = stdout(&csv);
    check_clean(&csv_text, "CSV");
    check_clean(
        &String::from_utf8_lossy(&csv.stderr),
        "CSV accounting on stderr",
    );
    assert!(
        csv_text.contains("evil\\x1b[31m\\u{202e}<script>"),
        "{csv_text}"
    );

    let html_path = dir.join("report.html");
    let output = fwseen(&[
        "analyze",
        "--csv",
        "--html",
        html_path.to_str().unwrap(),
        path,
    ]);
    assert_eq!(output.status.code(), Some(0));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(
        !html.contains("<script>.log"),
        "markup from the file name reached the page"
    );
    assert!(html.contains("evil\\x1b[31m\\u{202e}&lt;script&gt;.log"));
    check_clean(&html, "HTML");
    assert_eq!(html.matches("<script>").count(), 1, "only our own script");

    // JSON keeps the exact text, escaped per RFC 8259 (controls become \u001b; the bidi
    // override is a valid character there, and consumers treat the text as untrusted).
    let json = stdout(&fwseen(&["analyze", "--json", path]));
    assert!(!json.contains('\x1b'), "raw ESC in JSON");
    let lines = json_lines(json.as_bytes());
    assert!(lines[0]["path"].as_str().unwrap().contains(hostile_name));
}

#[test]
fn html_report_is_self_contained() {
    let dir = temp_dir("html");
    let page = dir.join("report.html");
    let output = fwseen(&["analyze", "--html", page.to_str().unwrap(), SAMPLE]);
    assert_eq!(output.status.code(), Some(0));
    // --html alone also writes the terminal report.
    assert!(stdout(&output).starts_with("fwseen · "));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for needle in [
        "Timeline",
        "Top destination ports",
        "Top sources",
        "Ports × time",
        "<details class=\"finding\"",
        "compromise.trojan-outbound",
        "default-src 'none'",
    ] {
        assert!(html.contains(needle), "no {needle:?}");
    }
    for forbidden in ["src=\"http", "href=\"http", "url(http", "@import", "<link"] {
        assert!(!html.contains(forbidden), "network reference {forbidden:?}");
    }
    let zh = dir.join("zh.html");
    fwseen(&[
        "analyze",
        "--lang",
        "zh-Hant",
        "--json",
        "--html",
        zh.to_str().unwrap(),
        SAMPLE,
    ]);
    let html = std::fs::read_to_string(&zh).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hant\">"));
    assert!(html.contains("時間軸"));
}

#[test]
fn explain_line_annotates_one_raw_line() {
    let sample = std::fs::read_to_string(repo().join(SAMPLE)).unwrap();
    // The sample's first call to its backdoor port outside, from an inside host (forwarded from
    // the LAN interface to the WAN).
    let (port, name) = sample_trojan();
    let dpt = format!(" DPT={port} ");
    let line = sample
        .lines()
        .find(|line| line.contains(&dpt) && line.contains(" IN=eth2 OUT=eth0 "))
        .unwrap();
    let inside_host = line
        .split(" SRC=")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    let source_address = format!("Source address {inside_host}");
    let port_meaning = format!("Destination port {port} (registered, {name})");
    let output = fwseen(&["explain", "--line", line]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    for part in [
        "read as netfilter: event",
        "destination.port",
        "Direction: outbound",
        port_meaning.as_str(),
        source_address.as_str(),
        "Pattern it would feed compromise.trojan-outbound",
    ] {
        assert!(text.contains(part), "no {part:?} in {text}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&fwseen(&["explain", "--json", "--line", line]).stdout).unwrap();
    assert_eq!(json["result"], "event");
    assert_eq!(json["destination_port"]["port"], port);
    assert_eq!(json["suggests"]["kind"], "compromise.trojan-outbound");
    // A line no format reads is a usage error.
    assert_eq!(
        fwseen(&["explain", "--line", "hello world"]).status.code(),
        Some(2)
    );
    // A query and --line together are refused.
    assert_eq!(
        fwseen(&["explain", "22", "--line", line]).status.code(),
        Some(2)
    );
}
