//! The terminal report, `fwseen analyze`'s default output: a headline verdict, the accounting of
//! every input, then the findings grouped by class (most alarming first) and sorted by severity,
//! each told as a short story with its evidence.
//!
//! Benign and noise findings are listed compactly, one group per kind, because there can be
//! thousands of them and none needs action. The number of full stories per class is capped (the
//! JSON, CSV and HTML reports list everything) and the report says how many were left out.
//!
//! Colour is used only when the caller says so (the CLI decides from `--color` and the TTY).
//! Every piece of text that came from outside (file names, error messages) passes through
//! [`escape::terminal`]; the rest is our own text, addresses and numbers.

use std::fmt::Write as _;
use std::io::{self, Write};

use fwseen_detect::{Class, Finding, Kind, Severity};
use textwrap::core::display_width;

use crate::escape;
use crate::format;
use crate::labels::Labels;
use crate::model::{self, Analysis, CLASS_ORDER};

/// How the terminal report is laid out.
#[derive(Clone, Debug)]
pub struct TerminalOptions {
    /// Use ANSI colours and bold.
    pub color: bool,
    /// Wrap prose at this many columns.
    pub width: usize,
    /// At most this many full stories per class (compromise, attack, recon).
    pub max_stories_per_class: usize,
    /// At most this many examples per benign or noise kind.
    pub max_examples_per_kind: usize,
}

impl Default for TerminalOptions {
    fn default() -> TerminalOptions {
        TerminalOptions {
            color: false,
            width: 100,
            max_stories_per_class: 25,
            max_examples_per_kind: 3,
        }
    }
}

/// ANSI styles, empty when colour is off.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Critical => "1;97;41",
            Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, text)
    }

    fn class(&self, class: Class, text: &str) -> String {
        let code = match class {
            Class::Compromise => "1;35",
            Class::Attack => "1;31",
            Class::Recon => "1;33",
            Class::Noise => "1;34",
            Class::Benign => "1;32",
        };
        self.paint(code, text)
    }
}

/// Pads `text` with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let shown = display_width(text);
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(shown)));
    out
}

/// Wraps `text` at `width` (at least 40), every line starting with `indent`, the first with
/// `first` instead. Also used by `fwseen explain --line`, so both read alike.
pub fn wrap(out: &mut String, text: &str, first: &str, indent: &str, width: usize) {
    // Text with no CJK breaks only at spaces (so paths and addresses stay whole); Chinese may
    // break between any two characters, as the Unicode line-breaking rules allow.
    wrap_with(out, text, first, indent, width, !has_cjk(text));
}

/// Wraps like [`wrap`]; with `spaces_only`, lines break only at spaces whatever the language
/// (for lists of file locations, which must stay whole).
fn wrap_with(
    out: &mut String,
    text: &str,
    first: &str,
    indent: &str,
    width: usize,
    spaces_only: bool,
) {
    let separator = if spaces_only {
        textwrap::WordSeparator::AsciiSpace
    } else {
        textwrap::WordSeparator::UnicodeBreakProperties
    };
    let options = textwrap::Options::new(width.max(40))
        .initial_indent(first)
        .subsequent_indent(indent)
        .word_separator(separator)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Wraps `text`, then puts `tail` (a file location) at the end of its last line when it fits,
/// else on a line of its own: a location is never broken.
fn wrap_with_tail(
    out: &mut String,
    text: &str,
    tail: &str,
    first: &str,
    indent: &str,
    width: usize,
) {
    let mut body = String::new();
    wrap(&mut body, text, first, indent, width);
    let last_width = body
        .trim_end_matches('\n')
        .rsplit('\n')
        .next()
        .map_or(0, display_width);
    if tail.is_empty() {
        out.push_str(&body);
    } else if last_width + 2 + display_width(tail) <= width.max(40) {
        out.push_str(body.trim_end_matches('\n'));
        let _ = writeln!(out, "  {tail}");
    } else {
        out.push_str(&body);
        let _ = writeln!(out, "{indent}{tail}");
    }
}

/// True when `text` holds Chinese, Japanese or Korean characters (or full-width punctuation),
/// which may be broken between any two characters.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{2e80}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
    })
}

/// Writes the terminal report.
pub fn write_report(
    out: &mut impl Write,
    analysis: &Analysis<'_>,
    options: &TerminalOptions,
) -> io::Result<()> {
    let text = render(analysis, options);
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Renders the terminal report as one string.
pub fn render(analysis: &Analysis<'_>, options: &TerminalOptions) -> String {
    let style = Style { on: options.color };
    let labels = analysis.labels();
    let mut out = String::with_capacity(16 * 1024);
    write_headline(&mut out, analysis, &style);
    write_inputs(&mut out, analysis, &style);
    if analysis.report.findings.is_empty() {
        let _ = writeln!(out, "\n{}", labels.no_findings);
    }
    let mut explained = Explained::default();
    for class in CLASS_ORDER {
        let findings: Vec<&Finding> = analysis.findings_of(class).collect();
        if findings.is_empty() {
            continue;
        }
        write_class_heading(
            &mut out,
            analysis,
            &style,
            class,
            findings.len(),
            options.width,
        );
        match class {
            Class::Benign | Class::Noise => {
                write_benign_groups(&mut out, analysis, &style, &findings, options)
            }
            _ => {
                for finding in findings.iter().take(options.max_stories_per_class) {
                    write_story(
                        &mut out,
                        analysis,
                        &style,
                        finding,
                        options.width,
                        &mut explained,
                    );
                }
                let hidden = findings.len().saturating_sub(options.max_stories_per_class);
                if hidden > 0 {
                    out.push('\n');
                    let note = Labels::count(labels.findings_not_shown, hidden as u64);
                    wrap(&mut out, &style.dim(&note), "  ", "  ", options.width);
                }
            }
        }
    }
    write_notes(&mut out, analysis, &style, options.width);
    out
}

fn write_headline(out: &mut String, analysis: &Analysis<'_>, style: &Style) {
    let labels = analysis.labels();
    let headline = analysis.headline();
    let plural = |one: &str, many: &str, n: u64| {
        if n == 1 {
            one.to_string()
        } else {
            many.replace("{n}", &format::human_count(n))
        }
    };
    let attention = plural(
        labels.sources_need_attention_one,
        labels.sources_need_attention,
        headline.sources_needing_attention,
    );
    let attention = if headline.sources_needing_attention > 0 {
        style.paint("1;31", &attention)
    } else {
        attention
    };
    let parts = [
        analysis
            .records_label()
            .replace("{n}", &format::human_count(headline.records)),
        attention,
        plural(
            labels.benign_patterns_one,
            labels.benign_patterns,
            headline.benign_patterns,
        ),
        plural(
            labels.lone_probes_one,
            labels.lone_probes,
            headline.lone_probes,
        ),
    ];
    let _ = writeln!(out, "{} · {}", style.bold("fwseen"), parts.join(" · "));
    let _ = writeln!(out, "{}", style.bold(&analysis.verdict()));
    if let Some(finding) = analysis.strongest() {
        let _ = writeln!(
            out,
            "{}{}{}{}{}{}",
            style.dim(labels.strongest),
            labels.colon,
            escape::terminal(model::summary(finding, analysis.lang).as_bytes()),
            labels.paren_open,
            analysis.confidence(finding),
            labels.paren_close
        );
    }
    if let Some(span) = analysis.events_span() {
        let _ = writeln!(out, "{} {span}", style.dim(labels.time_span));
    }
}

fn write_inputs(out: &mut String, analysis: &Analysis<'_>, style: &Style) {
    let labels = analysis.labels();
    let _ = writeln!(out, "\n{}", style.bold(labels.inputs));
    let names: Vec<String> = analysis
        .inputs
        .iter()
        .map(|input| escape::terminal(input.name.as_bytes()).into_owned())
        .collect();
    let name_width = names.iter().map(|n| display_width(n)).max().unwrap_or(0);
    for (input, name) in analysis.inputs.iter().zip(&names) {
        let name = pad(name, name_width);
        if let Some(reason) = &input.passed_over {
            let _ = writeln!(
                out,
                "  {name}  {}",
                style.dim(&escape::terminal(reason.as_bytes()))
            );
            continue;
        }
        if input.unreadable {
            let message = input.error.as_deref().unwrap_or_default();
            let _ = writeln!(
                out,
                "  {name}  {}: {}",
                style.paint("1;31", labels.input_failed),
                escape::terminal(message.as_bytes())
            );
            continue;
        }
        let format_name = input.format.map_or(labels.empty_input, |f| f.name());
        let counts = &input.counts;
        let detail = labels
            .input_counts
            .replace("{events}", &format::group_digits(counts.events))
            .replace("{skipped}", &format::group_digits(counts.skipped))
            .replace("{malformed}", &format::group_digits(counts.malformed));
        let _ = writeln!(
            out,
            "  {name}  {}  {} {detail}",
            pad(format_name, 12),
            format::group_digits(counts.records)
        );
        if let Some(message) = &input.error {
            let _ = writeln!(
                out,
                "  {}  {}: {}",
                pad("", name_width),
                style.paint("1;31", labels.input_stopped),
                escape::terminal(message.as_bytes())
            );
        }
    }
}

fn write_class_heading(
    out: &mut String,
    analysis: &Analysis<'_>,
    style: &Style,
    class: Class,
    count: usize,
    width: usize,
) {
    let title = format!(
        "── {} · {} ",
        analysis.labels().class(class),
        format::group_digits(count as u64)
    );
    let rule_len = width.min(100).saturating_sub(display_width(&title));
    let rule: String = "─".repeat(rule_len);
    let _ = writeln!(out, "\n{}", style.class(class, &format!("{title}{rule}")));
}

/// "45.0.0.1 → 203.0.113.5, port 22/tcp · 212 events".
fn who_and_what(analysis: &Analysis<'_>, finding: &Finding) -> String {
    let labels = analysis.labels();
    let source = match finding.src {
        Some(src) => src.to_string(),
        None => {
            let list: Vec<String> = finding
                .other_sources
                .iter()
                .take(3)
                .map(|ip| ip.to_string())
                .collect();
            let more = if (finding.other_sources.len() as u64) < finding.source_count
                || finding.other_sources.len() > 3
            {
                " …"
            } else {
                ""
            };
            format!(
                "{} ({}{more})",
                format::group_digits(finding.source_count),
                list.join(", ")
            )
        }
    };
    let targets = &finding.targets;
    let hosts = match targets.host_count {
        0 => String::new(),
        1..=3 if targets.hosts.len() as u64 == targets.host_count => targets
            .hosts
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        n => format!("{} {}", format::group_digits(n), labels.hosts),
    };
    let protocol = match targets.protocols.as_slice() {
        [one] => format!("/{}", one.as_str()),
        _ => String::new(),
    };
    let ports = match targets.port_count {
        0 => String::new(),
        1 => {
            let port = targets
                .ports
                .first()
                .map_or(String::new(), |p| p.to_string());
            format!("{} {port}{protocol}", labels.port_one)
        }
        n if targets.ports.len() as u64 == n && n <= 8 => {
            let list: Vec<String> = targets.ports.iter().map(|p| p.to_string()).collect();
            format!("{} {}{protocol}", labels.ports_many, list.join(", "))
        }
        n => {
            let list: Vec<String> = targets
                .ports
                .iter()
                .take(6)
                .map(|p| p.to_string())
                .collect();
            let protocol = protocol.trim_start_matches('/');
            let protocol = if protocol.is_empty() {
                String::new()
            } else {
                format!(" ({protocol})")
            };
            format!(
                "{} {}{protocol}: {}, …",
                format::group_digits(n),
                labels.ports,
                list.join(", "),
            )
        }
    };
    let label = if finding.src.is_some() {
        labels.source
    } else {
        labels.sources
    };
    let mut text = format!("{label} {source}");
    if !hosts.is_empty() {
        let _ = write!(text, " → {hosts}");
    }
    if !ports.is_empty() {
        let _ = write!(text, "{}{ports}", labels.comma);
    }
    let _ = write!(
        text,
        " · {} {}",
        format::group_digits(finding.evidence.event_count),
        labels.events
    );
    text
}

/// "when 2024-01-15 08:02:11 → 08:14:40 (12 min 29 s, 0.28/s)".
fn when(analysis: &Analysis<'_>, finding: &Finding) -> Option<String> {
    let span = model::finding_span(finding, analysis.lang)?;
    Some(format!("{} {span}", analysis.labels().when))
}

/// "evidence: a.log:120, a.log:133 and 209 more".
fn evidence(analysis: &Analysis<'_>, finding: &Finding) -> String {
    let labels = analysis.labels();
    let mut previous_name: Option<&str> = None;
    let mut parts = Vec::new();
    for &origin in &finding.evidence.samples {
        let (name, line) = analysis.location(origin);
        if previous_name == Some(name) {
            parts.push(format!(":{line}"));
        } else {
            parts.push(format!("{}:{line}", escape::terminal(name.as_bytes())));
        }
        previous_name = Some(name);
    }
    let shown = finding.evidence.samples.len() as u64;
    let mut text = format!("{}{}{}", labels.evidence, labels.colon, parts.join(", "));
    if finding.evidence.event_count > shown {
        let _ = write!(
            text,
            " {}",
            Labels::count(labels.and_more, finding.evidence.event_count - shown)
        );
    }
    text
}

fn attributes(finding: &Finding) -> Option<String> {
    if finding.attributes.is_empty() {
        return None;
    }
    let parts: Vec<String> = finding
        .attributes
        .iter()
        .map(|(key, value)| format!("{key}={}", escape::terminal(value.as_bytes())))
        .collect();
    Some(parts.join(", "))
}

/// What the report has already explained, so that a second finding of a kind (or about the same
/// port) points back instead of repeating the same paragraph.
#[derive(Default)]
struct Explained {
    kinds: Vec<&'static str>,
    ports: Vec<&'static str>,
}

fn write_story(
    out: &mut String,
    analysis: &Analysis<'_>,
    style: &Style,
    finding: &Finding,
    width: usize,
    explained: &mut Explained,
) {
    let labels = analysis.labels();
    let lang = analysis.lang;
    let severity = labels.severity(finding.severity);
    let badge = style.severity(finding.severity, &format!(" {severity} "));
    let _ = writeln!(out, "\n  {badge} {}", style.bold(finding.kind));
    let summary = model::summary(finding, lang);
    wrap(
        out,
        &escape::terminal(summary.as_bytes()),
        "    ",
        "    ",
        width,
    );
    wrap(
        out,
        &who_and_what(analysis, finding),
        "    ",
        "      ",
        width,
    );
    if let Some(text) = when(analysis, finding) {
        wrap(out, &text, "    ", "      ", width);
    }
    if let Some(text) = attributes(finding) {
        wrap(
            out,
            &format!("{}{}{text}", labels.attributes, labels.colon),
            "    ",
            "      ",
            width,
        );
    }
    let kind_is_new = !explained.kinds.contains(&finding.kind);
    let explanation = model::explanation(finding, lang);
    if !explanation.is_empty() {
        let first = format!("    {}{}", style.bold(labels.what_it_is), labels.colon);
        if kind_is_new {
            wrap(out, explanation, &first, "      ", width);
        } else {
            let _ = writeln!(out, "{first}{}", style.dim(labels.same_as_above));
        }
    }
    if let Some(entry) = model::port_entry(finding) {
        let first = format!(
            "    {}{}",
            style.bold(&format!(
                "{} {} · {}",
                labels.port,
                model::port_range(entry),
                entry.name
            )),
            labels.colon
        );
        if explained.ports.contains(&entry.id) {
            let _ = writeln!(out, "{first}{}", style.dim(labels.same_as_above));
        } else {
            wrap(out, entry.meaning.get(lang), &first, "      ", width);
            explained.ports.push(entry.id);
        }
    }
    let advice = model::advice(finding, lang);
    if !advice.is_empty() && kind_is_new {
        let first = format!("    {}{}", style.bold(labels.what_to_do), labels.colon);
        wrap(out, advice, &first, "      ", width);
    }
    if kind_is_new {
        explained.kinds.push(finding.kind);
    }
    wrap_with(
        out,
        &style.dim(&evidence(analysis, finding)),
        "    ",
        "      ",
        width,
        true,
    );
}

fn write_benign_groups(
    out: &mut String,
    analysis: &Analysis<'_>,
    style: &Style,
    findings: &[&Finding],
    options: &TerminalOptions,
) {
    let lang = analysis.lang;
    let labels = analysis.labels();
    // Group by kind, in the order the kinds first appear (the report is sorted by severity).
    let mut kinds: Vec<&str> = Vec::new();
    for finding in findings {
        if !kinds.contains(&finding.kind) {
            kinds.push(finding.kind);
        }
    }
    for kind in kinds {
        let group: Vec<&&Finding> = findings.iter().filter(|f| f.kind == kind).collect();
        let events: u64 = group.iter().map(|f| f.evidence.event_count).sum();
        let severity = group[0].severity;
        let badge = style.severity(severity, &format!(" {} ", labels.severity(severity)));
        let _ = writeln!(
            out,
            "\n  {badge} {} {}  {}",
            style.bold(kind),
            Labels::count(labels.times_found, group.len() as u64),
            style.dim(&format!(
                "{} {}",
                format::group_digits(events),
                labels.events
            ))
        );
        if let Some(kind) = Kind::from_id(kind) {
            wrap(
                out,
                crate::kind_text::explanation(kind, lang),
                "    ",
                "    ",
                options.width,
            );
        }
        for finding in group.iter().take(options.max_examples_per_kind) {
            let location = finding
                .evidence
                .samples
                .first()
                .map(|&origin| {
                    let (name, line) = analysis.location(origin);
                    style.dim(&format!("{}:{line}", escape::terminal(name.as_bytes())))
                })
                .unwrap_or_default();
            wrap_with_tail(
                out,
                &format!(
                    "· {}",
                    escape::terminal(model::summary(finding, lang).as_bytes())
                ),
                &location,
                "    ",
                "      ",
                options.width,
            );
        }
        let hidden = group.len().saturating_sub(options.max_examples_per_kind);
        if hidden > 0 {
            let _ = writeln!(
                out,
                "    {}",
                style.dim(&Labels::count(labels.and_more, hidden as u64))
            );
        }
    }
}

fn write_notes(out: &mut String, analysis: &Analysis<'_>, style: &Style, width: usize) {
    let labels = analysis.labels();
    let stats = &analysis.report.stats;
    let notes = [
        (stats.lone_probes, labels.lone_probes_note),
        (stats.unexplained_sources, labels.unexplained_note),
        (stats.sources_evicted, labels.evicted_note),
        (stats.flows_evicted, labels.flows_evicted_note),
        (stats.benign_findings_dropped, labels.benign_dropped_note),
        (stats.events_out_of_order, labels.out_of_order_note),
    ];
    let mut first = true;
    for (n, template) in notes {
        if n == 0 {
            continue;
        }
        if first {
            out.push('\n');
            first = false;
        }
        wrap(
            out,
            &style.dim(&Labels::count(template, n)),
            "",
            "  ",
            width,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_never_broken() {
        let mut out = String::new();
        let text = "· 83.39.248.99 查詢 ident（113）：多半是郵件或 IRC 伺服器，建議以 RST 回應，這一行很長很長很長";
        wrap_with_tail(
            &mut out,
            text,
            "samples/home-router.log:518",
            "    ",
            "      ",
            60,
        );
        assert!(out.contains("samples/home-router.log:518"), "{out}");
        assert!(out.lines().all(|line| display_width(line) <= 60), "{out}");
        let mut out = String::new();
        wrap(
            &mut out,
            "evidence: logs/a-very-long-file-name.log:12, :13",
            "",
            "  ",
            40,
        );
        assert!(out.contains("logs/a-very-long-file-name.log:12,"), "{out}");
    }

    #[test]
    fn cjk_is_detected() {
        assert!(has_cjk("連接埠"));
        assert!(has_cjk("a：b"));
        assert!(!has_cjk("port 22 · évidence"));
    }
}
