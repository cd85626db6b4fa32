//! The HTML report for `fwseen analyze --html FILE`: one self-contained page.
//!
//! Everything is inline: CSS, a few lines of JavaScript (the findings filter), and the charts as
//! SVG drawn here on the server side. The page fetches nothing: its Content-Security-Policy
//! forbids every network load, so a copy mailed around or opened offline looks the same.
//!
//! Sections: the headline verdict; the accounting of each input; a timeline (events per hour,
//! then one lane per class with a bar per finding); top destination ports and top sources; a
//! ports × time heat map; the findings grouped by class, each a `<details>` that expands to its
//! facts, explanation, advice and evidence.
//!
//! **Invariant:** every string written into the page goes through [`escape::html`], ours as well
//! as the log's, so that no text can become markup. No log text is embedded in the script.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::IpAddr;

use fwseen_detect::{Class, Finding, Severity};
use fwseen_event::Protocol;

use crate::escape;
use crate::format;
use crate::labels::Labels;
use crate::model::{self, Analysis, Verdict, CLASS_ORDER};

/// At most this many findings per class are written out in full.
const MAX_FINDINGS_PER_CLASS: usize = 1000;
/// A class with at most this many findings gets one timeline bar per finding; a busier class
/// gets a density strip (findings active per time slot), which stays readable.
const MAX_TIMELINE_BARS: usize = 40;
/// Time slots of a density strip.
const DENSITY_SLOTS: usize = 120;
/// The heat map has at most this many time columns (hours are merged into wider buckets).
const MAX_HEAT_COLUMNS: usize = 96;

const CHART_WIDTH: f64 = 1000.0;
const LABEL_WIDTH: f64 = 170.0;

/// Escapes our own text for the page.
fn h(text: &str) -> std::borrow::Cow<'_, str> {
    escape::html(text)
}

/// Escapes untrusted text (file names, error messages) for the page: control and bidi characters
/// are made visible first, as on a terminal, so that they cannot reorder what the reader sees.
fn untrusted(text: &str) -> String {
    escape::html(&escape::terminal(text.as_bytes())).into_owned()
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "sev-critical",
        Severity::High => "sev-high",
        Severity::Medium => "sev-medium",
        Severity::Low => "sev-low",
        Severity::Info => "sev-info",
    }
}

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "#7f1d1d",
        Severity::High => "#dc2626",
        Severity::Medium => "#d97706",
        Severity::Low => "#0891b2",
        Severity::Info => "#9ca3af",
    }
}

fn class_colour(class: Class) -> &'static str {
    match class {
        Class::Compromise => "#7e22ce",
        Class::Attack => "#dc2626",
        Class::Recon => "#d97706",
        Class::Noise => "#2563eb",
        Class::Benign => "#16a34a",
    }
}

const STYLE: &str = r#"
:root { --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #ffffff; --panel: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 8px; display: flex; align-items: center; gap: 8px; }
code, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 13px; }
.verdict { font-size: 18px; font-weight: 600; margin: 6px 0 16px; }
.verdict.compromise { color: #7e22ce; } .verdict.attack { color: #dc2626; } .verdict.recon { color: #b45309; } .verdict.quiet { color: #15803d; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.card .n { font-size: 26px; font-weight: 700; }
.card .l { color: var(--muted); font-size: 13px; }
.card.alert .n { color: #dc2626; }
.span { color: var(--muted); margin-top: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.err { color: #b91c1c; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 28px; }
@media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
.bar { height: 8px; background: #93c5fd; border-radius: 4px; min-width: 2px; }
.badge { display: inline-block; min-width: 78px; text-align: center; font-size: 11px; font-weight: 700; letter-spacing: .04em; padding: 2px 6px; border-radius: 4px; color: #fff; }
.sev-critical { background: #7f1d1d; } .sev-high { background: #dc2626; } .sev-medium { background: #d97706; } .sev-low { background: #0891b2; } .sev-info { background: #9ca3af; }
.dot { width: 12px; height: 12px; border-radius: 50%; display: inline-block; }
.count { color: var(--muted); font-weight: 400; font-size: 14px; }
details.finding { border: 1px solid var(--line); border-radius: 8px; margin: 6px 0; background: #fff; }
details.finding[open] { background: var(--panel); }
details.finding > summary { cursor: pointer; padding: 8px 12px; list-style: none; display: flex; gap: 10px; align-items: baseline; }
details.finding > summary::-webkit-details-marker { display: none; }
details.finding > summary::before { content: "▸"; color: var(--muted); }
details.finding[open] > summary::before { content: "▾"; }
details.finding .kind { color: var(--muted); white-space: nowrap; }
details.finding .body { padding: 4px 16px 14px 38px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 4px 0 10px; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.prose { max-width: 78ch; margin: 8px 0; }
.prose b { font-weight: 600; }
ul.evidence { margin: 4px 0; padding-left: 18px; font-size: 13px; }
.more { color: var(--muted); font-size: 14px; }
.note { color: var(--muted); font-size: 14px; margin: 4px 0; }
.tools { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.tools button { font: inherit; font-size: 13px; padding: 6px 12px; border: 1px solid #cbd2d9; border-radius: 6px; background: #fff; color: var(--fg); cursor: pointer; }
.tools button:hover { background: var(--panel); }
input#filter { flex: 1; min-width: 240px; max-width: 420px; padding: 7px 10px; font: inherit; border: 1px solid #cbd2d9; border-radius: 6px; }
svg { display: block; width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #52606d; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
"#;

const SCRIPT: &str = r#"
(function () {
  var box = document.getElementById('filter');
  var shown = document.getElementById('shown');
  var items = document.querySelectorAll('details.finding');
  function update() {
    var q = box.value.trim().toLowerCase();
    var visible = 0;
    for (var i = 0; i < items.length; i++) {
      var text = items[i].getAttribute('data-search') || '';
      var match = q === '' || text.indexOf(q) !== -1;
      items[i].style.display = match ? '' : 'none';
      if (match) { visible++; }
    }
    if (shown) { shown.textContent = q === '' ? '' : String(visible) + ' / ' + String(items.length); }
  }
  function setOpen(open) {
    for (var i = 0; i < items.length; i++) {
      if (items[i].style.display !== 'none') { items[i].open = open; }
    }
  }
  if (box) { box.addEventListener('input', update); }
  var expand = document.getElementById('expand-all');
  var collapse = document.getElementById('collapse-all');
  if (expand) { expand.addEventListener('click', function () { setOpen(true); }); }
  if (collapse) { collapse.addEventListener('click', function () { setOpen(false); }); }
})();
"#;

/// Renders the whole page.
pub fn render(analysis: &Analysis<'_>) -> String {
    let labels = analysis.labels();
    let lang = analysis.lang.code();
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        h(labels.title)
    );
    write_header(&mut out, analysis);
    write_inputs(&mut out, analysis);
    write_timeline(&mut out, analysis);
    out.push_str("<div class=\"two\">\n");
    write_top_ports(&mut out, analysis);
    write_top_sources(&mut out, analysis);
    out.push_str("</div>\n");
    write_heat_map(&mut out, analysis);
    write_findings(&mut out, analysis);
    let _ = write!(
        out,
        "<footer>{} {}</footer>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        h(labels.generated_by),
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn write_header(out: &mut String, analysis: &Analysis<'_>) {
    let labels = analysis.labels();
    let headline = analysis.headline();
    let verdict_class = match analysis.verdict_kind() {
        Verdict::Compromise => "compromise",
        Verdict::Attack => "attack",
        Verdict::InsideScan | Verdict::Recon => "recon",
        Verdict::Nothing => "quiet",
    };
    let _ = write!(
        out,
        "<h1>{}</h1>\n<p class=\"verdict {verdict_class}\">{}</p>\n<div class=\"cards\">\n",
        h(labels.title),
        h(&analysis.verdict())
    );
    // Each card: the number, then the label with the number taken out.
    let card = |out: &mut String, n: u64, template: &str, alert: bool| {
        let text = template.replace("{n}", "").trim().to_string();
        let _ = writeln!(
            out,
            "<div class=\"card{}\"><div class=\"n\">{}</div><div class=\"l\">{}</div></div>",
            if alert && n > 0 { " alert" } else { "" },
            h(&format::human_count(n)),
            h(&text)
        );
    };
    card(out, headline.records, analysis.records_label(), false);
    card(
        out,
        headline.sources_needing_attention,
        labels.sources_need_attention,
        true,
    );
    card(out, headline.benign_patterns, labels.benign_patterns, false);
    card(out, headline.lone_probes, labels.lone_probes, false);
    out.push_str("</div>\n");
    if let Some(span) = analysis.events_span() {
        let _ = writeln!(
            out,
            "<p class=\"span\">{}{}{}</p>",
            h(labels.time_span),
            h(labels.colon),
            h(&span)
        );
    }
}

fn write_inputs(out: &mut String, analysis: &Analysis<'_>) {
    let labels = analysis.labels();
    let _ = write!(
        out,
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>\n",
        h(labels.inputs),
        h(labels.file),
        h(labels.format),
        h(labels.records),
        h(labels.events_heading),
        h(labels.skipped),
        h(labels.malformed)
    );
    for input in analysis.inputs {
        let name = untrusted(&input.name);
        if let Some(reason) = &input.passed_over {
            let _ = writeln!(
                out,
                "<tr><td class=\"mono\">{name}</td><td colspan=\"5\" class=\"note\">{}</td></tr>",
                untrusted(reason)
            );
            continue;
        }
        if input.unreadable {
            let _ = writeln!(
                out,
                "<tr><td class=\"mono\">{name}</td><td colspan=\"5\" class=\"err\">{}: {}</td></tr>",
                h(labels.input_failed),
                untrusted(input.error.as_deref().unwrap_or_default())
            );
            continue;
        }
        let c = &input.counts;
        let _ = writeln!(
            out,
            "<tr><td class=\"mono\">{name}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            h(input.format.map_or(labels.empty_input, |f| f.name())),
            format::group_digits(c.records),
            format::group_digits(c.events),
            format::group_digits(c.skipped),
            format::group_digits(c.malformed)
        );
        if let Some(error) = &input.error {
            let _ = writeln!(
                out,
                "<tr><td></td><td colspan=\"5\" class=\"err\">{}: {}</td></tr>",
                h(labels.input_stopped),
                untrusted(error)
            );
        }
    }
    out.push_str("</table>\n");
}

/// Maps a time (seconds) to an x position on a chart spanning `[start, end]`.
struct TimeAxis {
    start: f64,
    end: f64,
    left: f64,
    width: f64,
}

impl TimeAxis {
    fn x(&self, seconds: f64) -> f64 {
        let span = (self.end - self.start).max(1.0);
        self.left + (seconds - self.start).clamp(0.0, span) / span * self.width
    }

    /// Tick marks (x, label) at round UTC times: whole hours or days, at most about eight.
    fn ticks(&self) -> Vec<(f64, String)> {
        const HOUR: f64 = 3600.0;
        const DAY: f64 = 86_400.0;
        let span = (self.end - self.start).max(1.0);
        let steps = [
            600.0,
            1800.0,
            HOUR,
            3.0 * HOUR,
            6.0 * HOUR,
            12.0 * HOUR,
            DAY,
            2.0 * DAY,
            7.0 * DAY,
            30.0 * DAY,
            91.0 * DAY,
            365.0 * DAY,
        ];
        let step = steps
            .iter()
            .copied()
            .find(|step| span / step <= 8.0)
            .unwrap_or(365.0 * DAY);
        let mut ticks = Vec::new();
        let mut t = (self.start / step).ceil() * step;
        while t <= self.end && ticks.len() < 16 {
            let stamp = fwseen_event::Timestamp {
                unix_micros: (t * 1e6) as i64,
                original_offset_seconds: None,
            };
            let text = format::time(stamp);
            // Days and longer: the date; shorter steps: month-day and time of day.
            let label = if step >= DAY {
                text.get(..10).unwrap_or(&text).to_string()
            } else {
                text.get(5..16).unwrap_or(&text).to_string()
            };
            ticks.push((self.x(t), label));
            t += step;
        }
        ticks
    }
}

fn seconds_of(time: Option<fwseen_event::Timestamp>) -> Option<f64> {
    time.map(|t| t.unix_micros as f64 / 1e6)
}

/// A finding's first and last event in seconds since the epoch, when both are known.
fn finding_seconds(finding: &Finding) -> Option<(f64, f64)> {
    Some((
        seconds_of(finding.first_seen)?,
        seconds_of(finding.last_seen)?,
    ))
}

fn write_timeline(out: &mut String, analysis: &Analysis<'_>) {
    let labels = analysis.labels();
    let stats = &analysis.report.stats;
    let _ = writeln!(out, "<h2>{}</h2>", h(labels.timeline));
    let (Some(start), Some(end)) = (seconds_of(stats.first_time), seconds_of(stats.last_time))
    else {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", h(labels.no_time));
        return;
    };
    // The hourly histogram spans whole hours.
    let start = (start / 3600.0).floor() * 3600.0;
    let end = ((end / 3600.0).floor() + 1.0) * 3600.0;
    let axis = TimeAxis {
        start,
        end,
        left: LABEL_WIDTH,
        width: CHART_WIDTH - LABEL_WIDTH - 10.0,
    };
    let classes: Vec<Class> = CLASS_ORDER
        .iter()
        .copied()
        .filter(|&c| analysis.findings_of(c).next().is_some())
        .collect();
    let histogram_height = 70.0;
    let lane_height = 26.0;
    let top = 10.0;
    let lanes_top = top + histogram_height + 14.0;
    let height = lanes_top + lane_height * classes.len() as f64 + 28.0;
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"{CHART_WIDTH}\" role=\"img\" aria-label=\"{}\">",
        h(labels.timeline)
    );
    // Events per hour.
    let max = stats
        .hours
        .iter()
        .map(|h| h.events)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let _ = writeln!(
        out,
        "<text x=\"0\" y=\"{}\">{}</text>",
        top + histogram_height / 2.0,
        h(labels.events_per_hour)
    );
    let bar_width = (axis.width * 3600.0 / (end - start).max(3600.0)).max(1.0);
    for hour in &stats.hours {
        let x = axis.x(hour.hour_start as f64);
        let bar_height = (hour.events as f64 / max * histogram_height).max(1.0);
        let stamp =
            fwseen_event::Timestamp::from_unix_micros(hour.hour_start.saturating_mul(1_000_000));
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar_height:.1}\" fill=\"#93c5fd\"><title>{} UTC · {} {}</title></rect>",
            top + histogram_height - bar_height,
            (bar_width - 0.5).max(0.8),
            h(&format::time(stamp)),
            format::group_digits(hour.events),
            h(labels.events)
        );
    }
    // One lane per class.
    for (i, &class) in classes.iter().enumerate() {
        let y = lanes_top + lane_height * i as f64;
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"#f7f8fa\"/>\
             <text x=\"0\" y=\"{}\" style=\"fill:{}\">{}</text>",
            axis.left,
            axis.width,
            lane_height - 4.0,
            y + lane_height / 2.0 + 2.0,
            class_colour(class),
            h(labels.class(class))
        );
        let findings: Vec<&Finding> = analysis
            .findings_of(class)
            .filter(|f| f.first_seen.is_some())
            .collect();
        if findings.len() <= MAX_TIMELINE_BARS {
            write_finding_bars(out, analysis, &axis, &findings, y + 3.0, lane_height - 10.0);
        } else {
            write_finding_density(out, analysis, &axis, &findings, y + 3.0, lane_height - 10.0);
        }
    }
    let axis_y = lanes_top + lane_height * classes.len() as f64 + 14.0;
    write_ticks(out, &axis, top, axis_y);
    out.push_str("</svg>\n");
}

/// Draws the time axis: a faint line from `top` down and a label at `label_y` for every tick.
fn write_ticks(out: &mut String, axis: &TimeAxis, top: f64, label_y: f64) {
    for (x, text) in axis.ticks() {
        let anchor = if x < axis.left + 40.0 {
            "start"
        } else if x > axis.left + axis.width - 40.0 {
            "end"
        } else {
            "middle"
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top:.1}\" y2=\"{:.1}\" stroke=\"#9aa5b1\" stroke-width=\"0.6\" stroke-dasharray=\"2 3\"/>\
             <text x=\"{x:.1}\" y=\"{label_y}\" text-anchor=\"{anchor}\">{}</text>",
            label_y - 11.0,
            h(&text)
        );
    }
}

/// One bar per finding, from its first to its last event, coloured by severity.
fn write_finding_bars(
    out: &mut String,
    analysis: &Analysis<'_>,
    axis: &TimeAxis,
    findings: &[&Finding],
    top: f64,
    height: f64,
) {
    // Least severe first, so that the severe ones are drawn on top.
    for finding in findings.iter().rev() {
        let Some((first, last)) = finding_seconds(finding) else {
            continue;
        };
        let x = axis.x(first);
        let width = (axis.x(last) - x).max(3.0);
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" rx=\"2\" fill=\"{}\" opacity=\"0.85\"><title>{}</title></rect>",
            severity_colour(finding.severity),
            h(&model::summary(finding, analysis.lang))
        );
    }
}

/// A density strip: for each time slot, a bar whose height grows with the number of findings
/// active in it, coloured by the worst severity among them.
fn write_finding_density(
    out: &mut String,
    analysis: &Analysis<'_>,
    axis: &TimeAxis,
    findings: &[&Finding],
    top: f64,
    height: f64,
) {
    let labels = analysis.labels();
    let slot_seconds = ((axis.end - axis.start) / DENSITY_SLOTS as f64).max(1.0);
    let slot_of = |seconds: f64| {
        (((seconds - axis.start) / slot_seconds).floor().max(0.0) as usize).min(DENSITY_SLOTS - 1)
    };
    let mut counts = [0u64; DENSITY_SLOTS];
    let mut worst = [Severity::Info; DENSITY_SLOTS];
    for finding in findings {
        let Some((first, last)) = finding_seconds(finding) else {
            continue;
        };
        for slot in slot_of(first)..=slot_of(last) {
            counts[slot] += 1;
            worst[slot] = worst[slot].max(finding.severity);
        }
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let slot_width = axis.width / DENSITY_SLOTS as f64;
    for (slot, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        // A square-root scale, with a floor so that a single finding still shows.
        let bar = height * (0.3 + 0.7 * (count as f64 / max).sqrt());
        let start = axis.start + slot_seconds * slot as f64;
        let stamp = fwseen_event::Timestamp {
            unix_micros: (start * 1e6) as i64,
            original_offset_seconds: None,
        };
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar:.1}\" fill=\"{}\" opacity=\"0.85\"><title>{} UTC · {} {} · {}</title></rect>",
            axis.left + slot_width * slot as f64,
            top + height - bar,
            (slot_width - 0.5).max(0.5),
            severity_colour(worst[slot]),
            h(&format::time(stamp)),
            format::group_digits(count),
            h(labels.findings),
            h(labels.severity(worst[slot]))
        );
    }
}

/// The name of the service usually at a port: the kb entry's, else IANA's.
fn service_name(protocol: Protocol, port: u16) -> String {
    if let Some(entry) = fwseen_kb::ports_at(port, Some(protocol)).next() {
        return entry.name.to_string();
    }
    fwseen_kb::iana_at(port, Some(protocol.as_str()))
        .first()
        .map(|record| record.name.to_string())
        .unwrap_or_default()
}

fn write_top_ports(out: &mut String, analysis: &Analysis<'_>) {
    let labels = analysis.labels();
    let ports = &analysis.report.stats.top_ports;
    let _ = write!(
        out,
        "<section>\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th style=\"width:30%\"></th></tr>\n",
        h(labels.top_ports),
        h(labels.port),
        h(labels.service),
        h(labels.events_heading)
    );
    let max = ports.iter().map(|p| p.events).max().unwrap_or(1).max(1) as f64;
    for port in ports {
        let _ = writeln!(
            out,
            "<tr><td class=\"mono\">{}/{}</td><td>{}</td><td class=\"num\">{}</td><td><div class=\"bar\" style=\"width:{:.1}%\"></div></td></tr>",
            port.port,
            port.protocol.as_str(),
            h(&service_name(port.protocol, port.port)),
            format::group_digits(port.events),
            port.events as f64 / max * 100.0
        );
    }
    out.push_str("</table>\n</section>\n");
}

fn write_top_sources(out: &mut String, analysis: &Analysis<'_>) {
    let labels = analysis.labels();
    let sources = &analysis.report.stats.top_sources;
    // The worst finding of each source, for its badge.
    let mut worst: HashMap<IpAddr, &Finding> = HashMap::new();
    for finding in &analysis.report.findings {
        if let Some(src) = finding.src {
            let entry = worst.entry(src).or_insert(finding);
            if finding.severity > entry.severity {
                *entry = finding;
            }
        }
    }
    let _ = write!(
        out,
        "<section>\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr>\n",
        h(labels.top_sources),
        h(labels.source),
        h(labels.events_heading),
        h(labels.findings)
    );
    for source in sources {
        let finding = worst.get(&source.src).map_or(String::new(), |f| {
            format!(
                "<span class=\"badge {}\">{}</span> <code>{}</code>",
                severity_class(f.severity),
                h(labels.severity(f.severity)),
                h(f.kind)
            )
        });
        let _ = writeln!(
            out,
            "<tr><td class=\"mono\">{}</td><td class=\"num\">{}</td><td>{finding}</td></tr>",
            h(&source.src.to_string()),
            format::group_digits(source.events)
        );
    }
    out.push_str("</table>\n</section>\n");
}

/// A colour from white to dark blue for `value` in `[0, 1]`.
fn heat_colour(value: f64) -> String {
    if value <= 0.0 {
        return "#f3f4f6".to_string();
    }
    let v = value.clamp(0.0, 1.0);
    let low = (219.0, 234.0, 254.0);
    let high = (30.0, 58.0, 138.0);
    let mix = |a: f64, b: f64| (a + (b - a) * v).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(low.0, high.0),
        mix(low.1, high.1),
        mix(low.2, high.2)
    )
}

fn write_heat_map(out: &mut String, analysis: &Analysis<'_>) {
    let labels = analysis.labels();
    let heat = &analysis.report.stats.heat_map;
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>",
        h(labels.heat_map),
        h(labels.heat_map_note)
    );
    if heat.ports.is_empty() || heat.hours.is_empty() {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", h(labels.no_time));
        return;
    }
    // The map lists only hours that had events; they are placed on a time axis from the first
    // to the last, merged into buckets of whole hours so that there are at most
    // MAX_HEAT_COLUMNS columns (the span is at most a year: see `HEAT_MAP_HOURS`).
    let first_hour = heat.hours[0].div_euclid(3600);
    let last_hour = heat.hours[heat.hours.len() - 1].div_euclid(3600);
    let span_hours = usize::try_from(last_hour.saturating_sub(first_hour))
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let per_bucket = span_hours.div_ceil(MAX_HEAT_COLUMNS).max(1);
    let columns = span_hours.div_ceil(per_bucket).min(MAX_HEAT_COLUMNS);
    let column_of = |hour_start: i64| {
        let offset = usize::try_from(hour_start.div_euclid(3600) - first_hour).unwrap_or(0);
        (offset / per_bucket).min(columns - 1)
    };
    // The first second of a column.
    let bucket_start = |column: usize| {
        let hours = i64::try_from(column.saturating_mul(per_bucket)).unwrap_or(i64::MAX);
        first_hour.saturating_add(hours).saturating_mul(3600)
    };
    let mut cells = vec![vec![0u64; columns]; heat.ports.len()];
    for (row, counts) in heat.counts.iter().enumerate() {
        for (&hour_start, &count) in heat.hours.iter().zip(counts) {
            cells[row][column_of(hour_start)] += count;
        }
    }
    let max = cells.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
    let cell_width = (CHART_WIDTH - LABEL_WIDTH - 10.0) / columns as f64;
    let cell_height = 18.0;
    let height = cell_height * heat.ports.len() as f64 + 30.0;
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"{CHART_WIDTH}\" role=\"img\" aria-label=\"{}\">",
        h(labels.heat_map)
    );
    for (row, &(protocol, port)) in heat.ports.iter().enumerate() {
        let y = cell_height * row as f64;
        let name = service_name(protocol, port);
        let mut label = format!("{port}/{}", protocol.as_str());
        if !name.is_empty() {
            let mut short: String = name.chars().take(14).collect();
            if name.chars().count() > 14 {
                short.push('…');
            }
            let _ = write!(label, " {short}");
        }
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{:.1}\">{}</text>",
            y + cell_height - 5.0,
            h(&label)
        );
        for (column, &count) in cells[row].iter().enumerate() {
            // A logarithmic scale, so that quiet ports still show.
            let value = if count == 0 {
                0.0
            } else {
                0.15 + 0.85 * ((count as f64).ln_1p() / max.ln_1p())
            };
            let hour_start = bucket_start(column);
            let stamp =
                fwseen_event::Timestamp::from_unix_micros(hour_start.saturating_mul(1_000_000));
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{} · {} UTC · {} {}</title></rect>",
                LABEL_WIDTH + cell_width * column as f64,
                (cell_width - 1.0).max(0.5),
                cell_height - 2.0,
                heat_colour(value),
                h(&label),
                h(&format::time(stamp)),
                format::group_digits(count),
                h(labels.events)
            );
        }
    }
    let axis = TimeAxis {
        start: bucket_start(0) as f64,
        end: bucket_start(columns) as f64,
        left: LABEL_WIDTH,
        width: CHART_WIDTH - LABEL_WIDTH - 10.0,
    };
    let axis_y = cell_height * heat.ports.len() as f64 + 16.0;
    write_ticks(out, &axis, 0.0, axis_y);
    out.push_str("</svg>\n");
}

fn write_findings(out: &mut String, analysis: &Analysis<'_>) {
    let labels = analysis.labels();
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<div class=\"tools\"><input id=\"filter\" type=\"search\" placeholder=\"{}\" aria-label=\"{}\">\
         <span id=\"shown\" class=\"note\"></span><button id=\"expand-all\" type=\"button\">{}</button>\
         <button id=\"collapse-all\" type=\"button\">{}</button></div>",
        h(labels.findings),
        h(labels.filter_placeholder),
        h(labels.filter_placeholder),
        h(labels.expand_all),
        h(labels.collapse_all)
    );
    if analysis.report.findings.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", h(labels.no_findings));
    }
    for class in CLASS_ORDER {
        let findings: Vec<&Finding> = analysis.findings_of(class).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<h3 id=\"class-{}\"><span class=\"dot\" style=\"background:{}\"></span>{} <span class=\"count\">{}</span></h3>",
            class.as_str(),
            class_colour(class),
            h(labels.class(class)),
            format::group_digits(findings.len() as u64)
        );
        for finding in findings.iter().take(MAX_FINDINGS_PER_CLASS) {
            write_finding(out, analysis, finding);
        }
        let hidden = findings.len().saturating_sub(MAX_FINDINGS_PER_CLASS);
        if hidden > 0 {
            let _ = writeln!(
                out,
                "<p class=\"more\">{}</p>",
                h(&Labels::count(labels.findings_not_shown, hidden as u64))
            );
        }
    }
    let stats = &analysis.report.stats;
    for (n, template) in [
        (stats.lone_probes, labels.lone_probes_note),
        (stats.unexplained_sources, labels.unexplained_note),
        (stats.sources_evicted, labels.evicted_note),
        (stats.flows_evicted, labels.flows_evicted_note),
        (stats.benign_findings_dropped, labels.benign_dropped_note),
    ] {
        if n > 0 {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>",
                h(&Labels::count(template, n))
            );
        }
    }
}

fn write_finding(out: &mut String, analysis: &Analysis<'_>, finding: &Finding) {
    let labels = analysis.labels();
    let lang = analysis.lang;
    let summary = model::summary(finding, lang);
    let targets = &finding.targets;
    let mut search = format!("{} {} {}", finding.kind, summary, finding.severity.as_str());
    if let Some(src) = finding.src {
        let _ = write!(search, " {src}");
    }
    for port in &targets.ports {
        let _ = write!(search, " {port}");
    }
    for host in &targets.hosts {
        let _ = write!(search, " {host}");
    }
    let _ = write!(
        out,
        "<details class=\"finding\" data-search=\"{}\"><summary><span class=\"badge {}\">{}</span> \
         <span>{}</span> <code class=\"kind\">{}</code></summary>\n<div class=\"body\">\n<dl class=\"facts\">\n",
        h(&search.to_lowercase()),
        severity_class(finding.severity),
        h(labels.severity(finding.severity)),
        h(&summary),
        h(finding.kind)
    );
    let fact = |out: &mut String, name: &str, value: &str| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", h(name), h(value));
    };
    let source = match finding.src {
        Some(src) => src.to_string(),
        None => {
            let list: Vec<String> = finding
                .other_sources
                .iter()
                .map(|s| s.to_string())
                .collect();
            format!(
                "{} ({})",
                format::group_digits(finding.source_count),
                list.join(", ")
            )
        }
    };
    fact(out, labels.source, &source);
    if targets.host_count > 0 {
        let list: Vec<String> = targets.hosts.iter().map(|s| s.to_string()).collect();
        let more = if targets.host_count > targets.hosts.len() as u64 {
            " …"
        } else {
            ""
        };
        fact(
            out,
            labels.hosts_heading,
            &if more.is_empty() {
                list.join(", ")
            } else {
                format!(
                    "{}: {}{more}",
                    format::group_digits(targets.host_count),
                    list.join(", ")
                )
            },
        );
    }
    if targets.port_count > 0 {
        let list: Vec<String> = targets.ports.iter().map(|p| p.to_string()).collect();
        let protocols: Vec<&str> = targets.protocols.iter().map(|p| p.as_str()).collect();
        let more = if targets.port_count > targets.ports.len() as u64 {
            " …"
        } else {
            ""
        };
        fact(
            out,
            labels.ports_many,
            &if more.is_empty() {
                format!("{} ({})", list.join(", "), protocols.join(", "))
            } else {
                format!(
                    "{} ({}): {}{more}",
                    format::group_digits(targets.port_count),
                    protocols.join(", "),
                    list.join(", ")
                )
            },
        );
    }
    fact(
        out,
        labels.events_heading,
        &format::group_digits(finding.evidence.event_count),
    );
    if let Some(when) = model::finding_span(finding, lang) {
        fact(out, labels.when, &when);
    }
    if !finding.attributes.is_empty() {
        let list: Vec<String> = finding
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        fact(out, labels.attributes, &list.join(", "));
    }
    out.push_str("</dl>\n");
    let explanation = model::explanation(finding, lang);
    if !explanation.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"prose\"><b>{}{}</b>{}</p>",
            h(labels.what_it_is),
            h(labels.colon),
            h(explanation)
        );
    }
    if let Some(entry) = model::port_entry(finding) {
        let _ = writeln!(
            out,
            "<p class=\"prose\"><b>{} {} · {}{}</b>{}</p>",
            h(labels.port),
            h(&model::port_range(entry)),
            h(entry.name),
            h(labels.colon),
            h(entry.meaning.get(lang))
        );
    }
    let advice = model::advice(finding, lang);
    if !advice.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"prose\"><b>{}{}</b>{}</p>",
            h(labels.what_to_do),
            h(labels.colon),
            h(advice)
        );
    }
    let _ = write!(
        out,
        "<div><b>{}</b><ul class=\"evidence\">",
        h(labels.evidence)
    );
    for &origin in &finding.evidence.samples {
        let (name, line) = analysis.location(origin);
        let _ = write!(out, "<li class=\"mono\">{}:{line}</li>", untrusted(name));
    }
    let shown = finding.evidence.samples.len() as u64;
    if finding.evidence.event_count > shown {
        let _ = write!(
            out,
            "<li class=\"more\">{}</li>",
            h(&Labels::count(
                labels.and_more,
                finding.evidence.event_count - shown
            ))
        );
    }
    out.push_str("</ul></div>\n</div>\n</details>\n");
}
