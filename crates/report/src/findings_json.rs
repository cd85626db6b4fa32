//! JSON Lines for `fwseen analyze --json`: one `file` (or `error`) line per input exactly as
//! `fwseen parse --json` writes it, one `finding` line per finding, and a final `summary` line.
//! The wire format is documented in `docs/json.md` ("analyze"); keep the two in step.
//!
//! Finding lines are built with serde from the types below, whose field order is the key order
//! on the wire. Most of a line's bytes are fixed texts (a kind's explanation and advice, the
//! knowledge-base entry of its port), the same in thousands of findings: they are escaped once per
//! report ([`FixedTexts`]) and copied after that. Text from logs (file paths) is decoded as UTF-8
//! with invalid sequences replaced by U+FFFD, as in the event lines.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::IpAddr;

use fwseen_detect::{Finding, Severity};
use fwseen_event::Timestamp;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::event_json;
use crate::model::{self, Analysis, CLASS_ORDER, SEVERITY_ORDER};

/// One `finding` line.
#[derive(Serialize)]
struct FindingLine<'a> {
    #[serde(rename = "type")]
    line_type: &'static str,
    kind: &'a str,
    class: &'static str,
    severity: &'static str,
    src: Option<IpAddr>,
    source_count: u64,
    other_sources: &'a [IpAddr],
    targets: TargetsJson<'a>,
    count: u64,
    first_seen: Option<String>,
    last_seen: Option<String>,
    duration_seconds: Option<f64>,
    rate_per_second: Option<f64>,
    summary: String,
    explanation: &'a RawValue,
    advice: &'a RawValue,
    port: Option<PortJson<'a>>,
    attributes: Attributes<'a>,
    evidence: EvidenceJson,
}

#[derive(Serialize)]
struct TargetsJson<'a> {
    hosts: &'a [IpAddr],
    host_count: u64,
    ports: &'a [u16],
    port_count: u64,
    protocols: Vec<&'static str>,
}

#[derive(Serialize)]
struct PortJson<'a> {
    id: &'static str,
    low: u16,
    high: u16,
    name: &'a RawValue,
    title: &'a RawValue,
    meaning: &'a RawValue,
    advice: &'a RawValue,
}

/// Fixed texts (`&'static str` from the knowledge base and the kind templates) as JSON strings,
/// escaped the first time a report uses them.
#[derive(Default)]
pub struct FixedTexts {
    /// Keyed by the text's address and length: one static text, one entry.
    escaped: HashMap<(usize, usize), Box<RawValue>>,
}

impl FixedTexts {
    pub fn new() -> FixedTexts {
        FixedTexts::default()
    }

    fn key(text: &'static str) -> (usize, usize) {
        (text.as_ptr() as usize, text.len())
    }

    /// Escapes `text` unless it already was.
    fn prepare(&mut self, text: &'static str) {
        self.escaped.entry(Self::key(text)).or_insert_with(|| {
            // A string always serialises to valid JSON.
            serde_json::value::to_raw_value(text).unwrap_or_else(|_| empty_string())
        });
    }

    /// The escaped form of a prepared text.
    fn get(&self, text: &'static str) -> &RawValue {
        self.escaped
            .get(&Self::key(text))
            .map_or(EMPTY.get_or_init(empty_string), |raw| raw)
    }
}

static EMPTY: std::sync::OnceLock<Box<RawValue>> = std::sync::OnceLock::new();

fn empty_string() -> Box<RawValue> {
    RawValue::from_string("\"\"".to_string()).expect("a JSON string")
}

#[derive(Serialize)]
struct EvidenceJson {
    samples: Vec<SampleJson>,
    count: u64,
}

#[derive(Serialize)]
struct SampleJson {
    path: String,
    line: u64,
}

/// Kind-specific attributes as a JSON object, in the finding's order.
struct Attributes<'a>(&'a [(&'static str, String)]);

impl Serialize for Attributes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

fn rfc3339(time: Option<Timestamp>) -> Option<String> {
    time.map(|t| t.to_string())
}

/// Rounds to microseconds (durations) so that the numbers do not carry float noise.
fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// Writes one `finding` line; `texts` keeps the fixed texts escaped between calls.
pub fn write_finding(
    out: &mut Vec<u8>,
    analysis: &Analysis<'_>,
    finding: &Finding,
    texts: &mut FixedTexts,
) {
    let lang = analysis.lang;
    let explanation = model::explanation(finding, lang);
    let advice = model::advice(finding, lang);
    let entry = model::port_entry(finding);
    texts.prepare(explanation);
    texts.prepare(advice);
    if let Some(entry) = entry {
        texts.prepare(entry.name);
        texts.prepare(entry.title.get(lang));
        texts.prepare(entry.meaning.get(lang));
        texts.prepare(entry.advice.get(lang));
    }
    let texts = &*texts;
    let line = FindingLine {
        line_type: "finding",
        kind: finding.kind,
        class: finding.class.as_str(),
        severity: finding.severity.as_str(),
        src: finding.src,
        source_count: finding.source_count,
        other_sources: &finding.other_sources,
        targets: TargetsJson {
            hosts: &finding.targets.hosts,
            host_count: finding.targets.host_count,
            ports: &finding.targets.ports,
            port_count: finding.targets.port_count,
            protocols: finding
                .targets
                .protocols
                .iter()
                .map(|p| p.as_str())
                .collect(),
        },
        count: finding.evidence.event_count,
        first_seen: rfc3339(finding.first_seen),
        last_seen: rfc3339(finding.last_seen),
        duration_seconds: finding.duration_seconds().map(round6),
        rate_per_second: finding.rate_per_second().map(round6),
        summary: model::summary(finding, lang),
        explanation: texts.get(explanation),
        advice: texts.get(advice),
        port: entry.map(|entry| PortJson {
            id: entry.id,
            low: entry.low,
            high: entry.high,
            name: texts.get(entry.name),
            title: texts.get(entry.title.get(lang)),
            meaning: texts.get(entry.meaning.get(lang)),
            advice: texts.get(entry.advice.get(lang)),
        }),
        attributes: Attributes(&finding.attributes),
        evidence: EvidenceJson {
            samples: finding
                .evidence
                .samples
                .iter()
                .map(|&origin| {
                    let (path, line) = analysis.location_bytes(origin);
                    SampleJson {
                        path: String::from_utf8_lossy(path).into_owned(),
                        line,
                    }
                })
                .collect(),
            count: finding.evidence.event_count,
        },
    };
    // Serialising these types cannot fail: every map key is a string and no value is a
    // non-finite float (durations and rates are finite by construction).
    if serde_json::to_writer(&mut *out, &line).is_ok() {
        out.push(b'\n');
    }
}

/// The extra keys `analyze` adds to the parse summary.
#[derive(Serialize)]
struct AnalysisSummary {
    findings: u64,
    findings_by_class: serde_json::Map<String, serde_json::Value>,
    findings_by_severity: serde_json::Map<String, serde_json::Value>,
    sources_needing_attention: u64,
    benign_patterns: u64,
    lone_probes: u64,
    unexplained_sources: u64,
    events_analyzed: u64,
    events_without_time: u64,
    events_out_of_order: u64,
    first_time: Option<String>,
    last_time: Option<String>,
    inbound_events: u64,
    outbound_events: u64,
    internal_events: u64,
    sources_evicted: u64,
    flows_evicted: u64,
    benign_findings_dropped: u64,
    verdict: &'static str,
    headline: String,
    home_nets: Vec<HomeNetJson>,
    strongest_kind: Option<&'static str>,
    confidence: Option<&'static str>,
    lang: &'static str,
}

/// One configured home network and how many events had an address in it.
#[derive(Serialize)]
struct HomeNetJson {
    net: String,
    private: bool,
    events: u64,
}

/// Writes the final `summary` line: the keys of `fwseen parse --json`'s summary, then the
/// analysis totals.
pub fn write_summary(out: &mut Vec<u8>, analysis: &Analysis<'_>) {
    let mut parse_summary = Vec::new();
    event_json::write_summary(
        &mut parse_summary,
        analysis.inputs.len() as u64,
        analysis.inputs_failed(),
        analysis.inputs_passed_over(),
        &analysis.totals(),
    );
    // The parse summary ends in `}\n`; the analysis keys continue the same object.
    let body = parse_summary.strip_suffix(b"}\n").unwrap_or(&parse_summary);
    let report = analysis.report;
    let stats = &report.stats;
    let headline = analysis.headline();
    let mut by_class = serde_json::Map::new();
    for class in CLASS_ORDER {
        let n = report.findings.iter().filter(|f| f.class == class).count();
        by_class.insert(class.as_str().to_string(), n.into());
    }
    let mut by_severity = serde_json::Map::new();
    for severity in SEVERITY_ORDER {
        let n = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count();
        by_severity.insert(severity.as_str().to_string(), n.into());
    }
    let extra = AnalysisSummary {
        findings: report.findings.len() as u64,
        findings_by_class: by_class,
        findings_by_severity: by_severity,
        sources_needing_attention: headline.sources_needing_attention,
        benign_patterns: headline.benign_patterns,
        lone_probes: stats.lone_probes,
        unexplained_sources: stats.unexplained_sources,
        events_analyzed: stats.events,
        events_without_time: stats.events_without_time,
        events_out_of_order: stats.events_out_of_order,
        first_time: rfc3339(stats.first_time),
        last_time: rfc3339(stats.last_time),
        inbound_events: stats.inbound_events,
        outbound_events: stats.outbound_events,
        internal_events: stats.internal_events,
        sources_evicted: stats.sources_evicted,
        flows_evicted: stats.flows_evicted,
        benign_findings_dropped: stats.benign_findings_dropped,
        verdict: analysis.verdict_kind().as_str(),
        home_nets: stats
            .home_net_hits
            .iter()
            .map(|h| HomeNetJson {
                net: h.net.to_string(),
                private: h.private,
                events: h.events,
            })
            .collect(),
        headline: analysis.verdict(),
        strongest_kind: analysis.strongest().map(|f| f.kind),
        confidence: analysis.strongest().map(|f| match f.severity {
            Severity::Critical | Severity::High => "high",
            Severity::Medium => "medium",
            _ => "low",
        }),
        lang: analysis.lang.code(),
    };
    let Ok(extra_json) = serde_json::to_vec(&extra) else {
        return;
    };
    out.extend_from_slice(body);
    out.push(b',');
    // Drop the opening brace of the extra object.
    out.extend_from_slice(&extra_json[1..]);
    out.push(b'\n');
}

/// Writes the whole JSON Lines report: file lines, finding lines, summary.
pub fn write_report(out: &mut impl Write, analysis: &Analysis<'_>) -> io::Result<()> {
    let mut buffer = Vec::with_capacity(64 * 1024);
    for input in analysis.inputs {
        let path_json = event_json::json_string(&input.path_bytes);
        if let Some(reason) = &input.passed_over {
            event_json::write_passed_over(&mut buffer, &path_json, reason);
        } else if input.unreadable {
            let message = input.error.as_deref().unwrap_or("could not be read");
            event_json::write_error(&mut buffer, &path_json, message);
        } else {
            event_json::write_file(
                &mut buffer,
                &path_json,
                input.format,
                &input.counts,
                input.error.as_deref(),
            );
        }
    }
    let mut texts = FixedTexts::new();
    for finding in &analysis.report.findings {
        write_finding(&mut buffer, analysis, finding, &mut texts);
        if buffer.len() > 60 * 1024 {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    write_summary(&mut buffer, analysis);
    out.write_all(&buffer)?;
    out.flush()
}
