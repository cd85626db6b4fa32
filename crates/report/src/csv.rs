//! CSV of findings for `fwseen analyze --csv`: a header row, then one row per finding.
//!
//! Columns (stable, in this order): `kind, class, severity, src, source_count, hosts,
//! host_count, ports, port_count, protocols, events, first_seen, last_seen, duration_seconds,
//! rate_per_second, summary, attributes, evidence`. Lists inside a cell (hosts, ports,
//! protocols, evidence) are separated by spaces; `hosts` and `ports` are bounded samples, the
//! `_count` columns say how many there were in all. Every cell goes through
//! [`escape::csv_field`] (quoting, and formula-injection protection); file names in `evidence`
//! also go through [`escape::terminal`] first, so that no control character survives.
//! Lines end in CRLF, as RFC 4180 says.
//!
//! CSV holds findings only; the accounting of each input is given by [`describe_input`] (the
//! CLI prints it on stderr).

use std::fmt::Write as _;
use std::io::{self, Write};

use fwseen_detect::Finding;

use crate::escape;
use crate::model::{self, Analysis, InputSummary};

/// The header row.
pub const HEADER: &[&str] = &[
    "kind",
    "class",
    "severity",
    "src",
    "source_count",
    "hosts",
    "host_count",
    "ports",
    "port_count",
    "protocols",
    "events",
    "first_seen",
    "last_seen",
    "duration_seconds",
    "rate_per_second",
    "summary",
    "attributes",
    "evidence",
];

fn push_row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&escape::csv_field(cell));
    }
    out.push_str("\r\n");
}

fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn finding_row(analysis: &Analysis<'_>, finding: &Finding) -> Vec<String> {
    let optional = |value: Option<String>| value.unwrap_or_default();
    let sources = match finding.src {
        Some(src) => src.to_string(),
        None => join(&finding.other_sources),
    };
    let mut attributes = String::new();
    for (key, value) in &finding.attributes {
        if !attributes.is_empty() {
            attributes.push(' ');
        }
        let _ = write!(attributes, "{key}={value}");
    }
    let evidence: Vec<String> = finding
        .evidence
        .samples
        .iter()
        .map(|&origin| {
            // File names are untrusted: control and bidi characters are made visible, so that
            // the CSV is safe to print as well as to open in a spreadsheet.
            let (name, line) = analysis.location(origin);
            format!("{}:{line}", escape::terminal(name.as_bytes()))
        })
        .collect();
    let protocols: Vec<&str> = finding
        .targets
        .protocols
        .iter()
        .map(|p| p.as_str())
        .collect();
    vec![
        finding.kind.to_string(),
        finding.class.as_str().to_string(),
        finding.severity.as_str().to_string(),
        sources,
        finding.source_count.to_string(),
        join(&finding.targets.hosts),
        finding.targets.host_count.to_string(),
        join(&finding.targets.ports),
        finding.targets.port_count.to_string(),
        protocols.join(" "),
        finding.evidence.event_count.to_string(),
        optional(finding.first_seen.map(|t| t.to_string())),
        optional(finding.last_seen.map(|t| t.to_string())),
        optional(finding.duration_seconds().map(|d| format!("{d:.3}"))),
        optional(finding.rate_per_second().map(|r| format!("{r:.4}"))),
        model::summary(finding, analysis.lang),
        attributes,
        evidence.join(" "),
    ]
}

/// Renders the CSV as one string.
pub fn render(analysis: &Analysis<'_>) -> String {
    let mut out = String::with_capacity(256 * (analysis.report.findings.len() + 1));
    let header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    push_row(&mut out, &header);
    for finding in &analysis.report.findings {
        push_row(&mut out, &finding_row(analysis, finding));
    }
    out
}

/// Writes the CSV.
pub fn write_report(out: &mut impl Write, analysis: &Analysis<'_>) -> io::Result<()> {
    out.write_all(render(analysis).as_bytes())?;
    out.flush()
}

/// One line of accounting for an input, safe for a terminal: `name: netfilter, 120 records: 118
/// events, 2 skipped, 0 malformed`.
pub fn describe_input(input: &InputSummary) -> String {
    let name = escape::terminal(input.name.as_bytes());
    if let Some(reason) = &input.passed_over {
        return format!(
            "{name}: passed over: {}",
            escape::terminal(reason.as_bytes())
        );
    }
    if input.unreadable {
        let message = input.error.as_deref().unwrap_or_default();
        return format!("{name}: {}", escape::terminal(message.as_bytes()));
    }
    let counts = &input.counts;
    let mut text = format!(
        "{name}: {}, {} records: {} events, {} skipped, {} malformed",
        input.format.map_or("empty", |f| f.name()),
        counts.records,
        counts.events,
        counts.skipped,
        counts.malformed
    );
    if let Some(error) = &input.error {
        let _ = write!(
            text,
            " (stopped early: {})",
            escape::terminal(error.as_bytes())
        );
    }
    text
}
