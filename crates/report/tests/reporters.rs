//! Every reporter on the detect crate's labelled scenario (one pattern of every kind): each
//! finding appears in every output, the outputs agree with each other, and the Chinese reports
//! carry no English labels.

use fwseen_detect::scenario::Scenario;
use fwseen_detect::{Analyzer, Kind, Report};
use fwseen_kb::Lang;
use fwseen_parse::reader::Counts;
use fwseen_parse::FormatKind;
use fwseen_report::terminal::TerminalOptions;
use fwseen_report::{csv, findings_json, html, terminal, Analysis, InputSummary};

/// Runs the analyzer over one pattern of every kind.
fn every_kind() -> (Vec<InputSummary>, Report) {
    let mut scenario = Scenario::new(11);
    for kind in Kind::ALL {
        scenario.add(*kind);
    }
    let events = scenario.into_events();
    let mut analyzer = Analyzer::new(Scenario::config());
    for event in &events {
        analyzer.push(event);
    }
    let records = events.len() as u64;
    let input = InputSummary {
        name: "scenario.log".to_string(),
        path_bytes: b"scenario.log".to_vec(),
        format: Some(FormatKind::Netfilter),
        counts: Counts {
            records,
            events: records,
            ..Counts::default()
        },
        ..InputSummary::default()
    };
    (vec![input], analyzer.finish())
}

#[test]
fn every_finding_reaches_every_report() {
    let (inputs, report) = every_kind();
    assert!(
        report.findings.len() >= Kind::ALL.len() - 2,
        "the scenario finds most kinds"
    );
    let analysis = Analysis {
        inputs: &inputs,
        report: &report,
        lang: Lang::En,
    };

    let mut json = Vec::new();
    findings_json::write_report(&mut json, &analysis).unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(json)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let json_findings: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["type"] == "finding").collect();
    assert_eq!(json_findings.len(), report.findings.len());
    for (line, finding) in json_findings.iter().zip(&report.findings) {
        assert_eq!(line["kind"], finding.kind, "JSON keeps the report's order");
        assert_eq!(line["count"], finding.evidence.event_count);
        assert!(!line["explanation"].as_str().unwrap().is_empty());
        assert!(!line["advice"].as_str().unwrap().is_empty());
    }
    assert_eq!(lines[0]["type"], "file");
    assert_eq!(lines.last().unwrap()["findings"], report.findings.len());

    let csv_text = csv::render(&analysis);
    assert_eq!(csv_text.matches("\r\n").count(), report.findings.len() + 1);

    let page = html::render(&analysis);
    let terminal_text = terminal::render(
        &analysis,
        &TerminalOptions {
            max_stories_per_class: usize::MAX,
            max_examples_per_kind: usize::MAX,
            ..TerminalOptions::default()
        },
    );
    for finding in &report.findings {
        assert!(
            page.contains(finding.kind),
            "{} not in the HTML",
            finding.kind
        );
        assert!(
            terminal_text.contains(finding.kind),
            "{} not in the terminal report",
            finding.kind
        );
        assert!(csv_text.contains(&format!("\r\n{},", finding.kind)));
    }
    assert_eq!(
        page.matches("<details class=\"finding\"").count(),
        report.findings.len()
    );
}

#[test]
fn chinese_reports_have_no_english_labels() {
    let (inputs, report) = every_kind();
    let analysis = Analysis {
        inputs: &inputs,
        report: &report,
        lang: Lang::ZhHant,
    };
    let text = terminal::render(&analysis, &TerminalOptions::default());
    let page = html::render(&analysis);
    for english in [
        "What it is",
        "What to do",
        "evidence",
        "sources need attention",
        "lone probes",
        "Reconnaissance",
        "Compromise",
        "Time span",
        "explained above",
        " events",
    ] {
        assert!(
            !text.contains(english),
            "{english:?} in the Chinese terminal report"
        );
    }
    for english in [
        "Timeline",
        "Top sources",
        "Findings",
        "What it is",
        "lone probes",
    ] {
        assert!(
            !page.contains(english),
            "{english:?} in the Chinese HTML report"
        );
    }
    assert!(page.contains("<html lang=\"zh-Hant\">"));
}

#[test]
fn empty_report_says_so() {
    let report = Report::default();
    let analysis = Analysis {
        inputs: &[],
        report: &report,
        lang: Lang::En,
    };
    let text = terminal::render(&analysis, &TerminalOptions::default());
    assert!(text.starts_with("fwseen · 0 lines · 0 sources need attention"));
    assert!(text.contains("Nothing alarming."));
    assert!(text.contains("No patterns found."));
    let page = html::render(&analysis);
    assert!(page.contains("No patterns found."));
    let mut json = Vec::new();
    findings_json::write_report(&mut json, &analysis).unwrap();
    let text = String::from_utf8(json).unwrap();
    assert_eq!(text.lines().count(), 1, "only the summary");
}

/// Issue 17: the heat map lists only hours with events. Two hours 300 days apart are placed on
/// one time axis of at most 96 columns, each count in its own column, and the page's other
/// per-time parts stay small too.
#[test]
fn sparse_heat_map_is_spread_on_a_time_axis() {
    use fwseen_detect::{HeatMap, HourCount, Stats};
    use fwseen_event::{Protocol, Timestamp};
    let last_hour = 1_709_547_072 / 3600 * 3600;
    let first_hour = last_hour - 300 * 86_400;
    let stats = Stats {
        events: 5,
        first_time: Some(Timestamp::from_unix_micros(first_hour * 1_000_000)),
        last_time: Some(Timestamp::from_unix_micros(last_hour * 1_000_000)),
        hours: vec![
            HourCount {
                hour_start: first_hour,
                events: 2,
            },
            HourCount {
                hour_start: last_hour,
                events: 3,
            },
        ],
        heat_map: HeatMap {
            ports: vec![(Protocol::Tcp, 22)],
            hours: vec![first_hour, last_hour],
            counts: vec![vec![2, 3]],
        },
        ..Stats::default()
    };
    let report = Report {
        stats,
        ..Report::default()
    };
    let analysis = Analysis {
        inputs: &[],
        report: &report,
        lang: Lang::En,
    };
    let page = html::render(&analysis);
    let heat = &page[page.find("Ports × time").expect("a heat map")..];
    let heat = &heat[..heat.find("</svg>").unwrap()];
    let cells: Vec<&str> = heat.matches("<rect ").collect();
    assert!(cells.len() <= 96, "{} columns", cells.len());
    assert!(cells.len() > 2, "the gap between the hours is shown");
    assert!(heat.contains("· 2 events</title>"), "{heat}");
    assert!(heat.contains("· 3 events</title>"), "{heat}");
    assert!(page.len() < 200_000, "{} bytes", page.len());
}

/// A scan of a few ports with entries of their own names what it hunted for, in every report.
#[test]
fn a_scan_story_names_what_was_hunted() {
    use fwseen_detect::{Class, Evidence, Finding, Severity, Targets};
    use fwseen_event::Protocol;
    let mut report = Report::default();
    report.findings.push(Finding {
        kind: Kind::ScanVertical.id(),
        class: Class::Recon,
        severity: Severity::Medium,
        src: Some("198.51.100.7".parse().unwrap()),
        other_sources: Vec::new(),
        source_count: 1,
        targets: Targets {
            hosts: vec!["203.0.113.5".parse().unwrap()],
            host_count: 1,
            ports: vec![2000, 4145, 8291],
            port_count: 3,
            protocols: vec![Protocol::Tcp],
        },
        first_seen: None,
        last_seen: None,
        attributes: Vec::new(),
        kb_port: None,
        evidence: Evidence {
            samples: Vec::new(),
            event_count: 3,
        },
    });
    let hunted =
        "hunting for Cisco SCCP / MikroTik bandwidth test, SOCKS4 proxy and MikroTik Winbox";
    let analysis = Analysis {
        inputs: &[],
        report: &report,
        lang: Lang::En,
    };
    let text = terminal::render(
        &analysis,
        &TerminalOptions {
            width: 400,
            ..TerminalOptions::default()
        },
    );
    assert!(text.contains(hunted), "{text}");
    assert!(html::render(&analysis).contains(hunted));
    assert!(csv::render(&analysis).contains(hunted));
    let mut json = Vec::new();
    findings_json::write_report(&mut json, &analysis).unwrap();
    assert!(String::from_utf8(json).unwrap().contains(hunted));
    let analysis = Analysis {
        lang: Lang::ZhHant,
        ..analysis
    };
    let text = terminal::render(
        &analysis,
        &TerminalOptions {
            width: 400,
            ..TerminalOptions::default()
        },
    );
    assert!(
        text.contains(
            "，鎖定 Cisco SCCP / MikroTik bandwidth test、SOCKS4 proxy 與 MikroTik Winbox"
        ),
        "{text}"
    );
}
