//! What every reporter is given: the analyzer's [`Report`], the accounting of each input, and
//! the language, plus the few conclusions all reports share (the headline numbers, the verdict,
//! the explanation and advice of a finding, when it happened, where its evidence is).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::net::IpAddr;

use fwseen_detect::{Class, Finding, Kind, Report, Severity};
use fwseen_event::Origin;
use fwseen_kb::{Lang, PortEntry};
use fwseen_parse::reader::Counts;
use fwseen_parse::FormatKind;

use crate::format;
use crate::kind_text;
use crate::labels::Labels;

/// The accounting of one input, as `fwseen parse` reports it.
#[derive(Clone, Debug, Default)]
pub struct InputSummary {
    /// The name shown to people (the path as given, or `-`); untrusted text.
    pub name: String,
    /// The path as raw bytes, for JSON.
    pub path_bytes: Vec<u8>,
    /// The format it was read as; `None` for an empty or unreadable input.
    pub format: Option<FormatKind>,
    pub counts: Counts,
    /// Why reading stopped early or never started, if it did.
    pub error: Option<String>,
    /// True when the input could not be read at all (then `counts` are zero).
    pub unreadable: bool,
    /// Why a file found in a directory or by a glob was not read (it is not a log of a known
    /// format); such a file is neither read nor an error.
    pub passed_over: Option<String>,
}

/// Classes in the order reports show them: most alarming first.
pub const CLASS_ORDER: [Class; 5] = [
    Class::Compromise,
    Class::Attack,
    Class::Recon,
    Class::Noise,
    Class::Benign,
];

/// Severities from most to least urgent.
pub const SEVERITY_ORDER: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

/// What the whole input says (the `verdict` of the JSON summary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// An inside host shows signs of compromise (a compromise finding of medium or more).
    Compromise,
    /// Attempts reached services (an attack finding of medium or more).
    Attack,
    /// One of our own hosts is scanning.
    InsideScan,
    /// Reconnaissance from outside (or weak probing).
    Recon,
    /// Only noise, benign patterns and our own traffic.
    Nothing,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Compromise => "compromise",
            Verdict::Attack => "attack",
            Verdict::InsideScan => "inside-scan",
            Verdict::Recon => "recon",
            Verdict::Nothing => "nothing",
        }
    }
}

/// The numbers of the headline verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Headline {
    /// Records (lines or packets) read from all inputs.
    pub records: u64,
    /// Distinct sources of findings of severity medium or above that are not benign or noise
    /// (a finding about many sources, such as a distributed scan, counts as one).
    pub sources_needing_attention: u64,
    /// Benign and noise findings.
    pub benign_patterns: u64,
    pub lone_probes: u64,
}

/// Everything a reporter needs.
#[derive(Clone, Copy, Debug)]
pub struct Analysis<'a> {
    /// Every input in the order read; `Origin::input` indexes this list.
    pub inputs: &'a [InputSummary],
    pub report: &'a Report,
    pub lang: Lang,
}

impl<'a> Analysis<'a> {
    /// The counts of all inputs together.
    pub fn totals(&self) -> Counts {
        let mut totals = Counts::default();
        for input in self.inputs {
            totals.merge(&input.counts);
        }
        totals
    }

    /// Inputs that could not be read, or whose reading stopped early.
    pub fn inputs_failed(&self) -> u64 {
        self.inputs.iter().filter(|i| i.error.is_some()).count() as u64
    }

    /// Inputs passed over because they are not logs.
    pub fn inputs_passed_over(&self) -> u64 {
        self.inputs
            .iter()
            .filter(|i| i.passed_over.is_some())
            .count() as u64
    }

    /// The headline's word for records: packets when every input read is a capture, else lines.
    pub fn records_label(&self) -> &'static str {
        let labels = self.labels();
        let mut read = self.inputs.iter().filter(|i| i.format.is_some()).peekable();
        if read.peek().is_some() && read.all(|i| i.format == Some(FormatKind::Pcap)) {
            labels.packets
        } else {
            labels.lines
        }
    }

    pub fn labels(&self) -> &'static Labels {
        Labels::get(self.lang)
    }

    /// The time the events cover, for the headline of the terminal and HTML reports:
    /// `2024-01-15 08:02:11 → 09:10:00 UTC (1 h 7 min)`. `None` when no event had a time.
    pub fn events_span(&self) -> Option<String> {
        let stats = &self.report.stats;
        let (first, last) = (stats.first_time?, stats.last_time?);
        let seconds = last.seconds_since(first);
        let labels = self.labels();
        Some(format!(
            "{} → {} UTC{}{}{}",
            format::time(first),
            format::time_after(first, last),
            labels.paren_open,
            format::duration(seconds, self.lang),
            labels.paren_close
        ))
    }

    pub fn headline(&self) -> Headline {
        let mut attention: HashSet<IpAddr> = HashSet::new();
        let mut groups_without_source = 0;
        let mut benign_patterns = 0;
        for finding in &self.report.findings {
            if matches!(finding.class, Class::Benign | Class::Noise) {
                benign_patterns += 1;
            } else if finding.severity >= Severity::Medium {
                // A finding about many sources (a distributed scan) counts once: its
                // sources each sent little, and it is the group that needs attention.
                match finding.src {
                    Some(src) => {
                        attention.insert(src);
                    }
                    None => groups_without_source += 1,
                }
            }
        }
        Headline {
            records: self.totals().records,
            sources_needing_attention: attention.len() as u64 + groups_without_source,
            benign_patterns,
            lone_probes: self.report.stats.lone_probes,
        }
    }

    /// The most alarming class found, if any finding needs attention (benign and noise
    /// findings do not count).
    pub fn worst_class(&self) -> Option<Class> {
        self.report
            .findings
            .iter()
            .filter(|f| !matches!(f.class, Class::Benign | Class::Noise))
            .map(|f| f.class)
            .max()
    }

    /// What the whole input says, from the strongest finding that supports it: compromise and
    /// attack need a finding of medium severity or more; a scan by one of our own hosts
    /// (direction `outbound` or `internal`) of medium or more is an inside scan; any other
    /// reconnaissance is recon; else nothing.
    pub fn verdict_kind(&self) -> Verdict {
        let findings = &self.report.findings;
        let supported = |class: Class| {
            findings
                .iter()
                .any(|f| f.class == class && f.severity >= Severity::Medium)
        };
        let inside =
            |f: &Finding| matches!(f.attribute("direction"), Some("outbound" | "internal"));
        if supported(Class::Compromise) {
            Verdict::Compromise
        } else if supported(Class::Attack) {
            Verdict::Attack
        } else if findings
            .iter()
            .any(|f| f.class == Class::Recon && f.severity >= Severity::Medium && inside(f))
        {
            Verdict::InsideScan
        } else if findings.iter().any(|f| {
            matches!(f.class, Class::Recon | Class::Attack | Class::Compromise)
                && (!inside(f) || f.severity >= Severity::Medium)
        }) {
            // Weak signs from our own hosts alone (one odd packet) are listed, not a verdict.
            Verdict::Recon
        } else {
            Verdict::Nothing
        }
    }

    /// The finding the verdict rests on: the most severe of the verdict's class (findings are
    /// sorted most severe first).
    pub fn strongest(&self) -> Option<&'a Finding> {
        let findings = &self.report.findings;
        let inside =
            |f: &Finding| matches!(f.attribute("direction"), Some("outbound" | "internal"));
        match self.verdict_kind() {
            Verdict::Compromise => findings.iter().find(|f| f.class == Class::Compromise),
            Verdict::Attack => findings.iter().find(|f| f.class == Class::Attack),
            Verdict::InsideScan => findings
                .iter()
                .find(|f| f.class == Class::Recon && inside(f)),
            Verdict::Recon => findings
                .iter()
                .find(|f| !matches!(f.class, Class::Benign | Class::Noise)),
            Verdict::Nothing => None,
        }
    }

    /// How sure the strongest finding is, in words (from its severity).
    pub fn confidence(&self, finding: &Finding) -> &'static str {
        let labels = self.labels();
        match finding.severity {
            Severity::Critical | Severity::High => labels.confidence_high,
            Severity::Medium => labels.confidence_medium,
            _ => labels.confidence_low,
        }
    }

    /// The one-sentence verdict. A failed input is said first, and then the verdict never
    /// claims that nothing is alarming, only that nothing is in what could be read.
    pub fn verdict(&self) -> String {
        let labels = self.labels();
        let failed = self.inputs_failed();
        let verdict = self.verdict_kind();
        let sentence = match verdict {
            Verdict::Compromise => labels.verdict_compromise,
            Verdict::Attack => labels.verdict_attack,
            Verdict::InsideScan => labels.verdict_inside_scan,
            Verdict::Recon => labels.verdict_recon,
            Verdict::Nothing if failed > 0 => labels.verdict_quiet_partial,
            Verdict::Nothing => labels.verdict_quiet,
        };
        if failed == 0 {
            return sentence.to_string();
        }
        let total = self
            .inputs
            .iter()
            .filter(|i| i.passed_over.is_none())
            .count();
        let failed_text = labels
            .verdict_failed
            .replace("{n}", &failed.to_string())
            .replace("{total}", &total.to_string());
        format!("{failed_text} {sentence}")
    }

    /// The findings of one class, in the report's order (most severe first).
    pub fn findings_of(&self, class: Class) -> impl Iterator<Item = &'a Finding> + 'a {
        self.report
            .findings
            .iter()
            .filter(move |f| f.class == class)
    }

    /// True when some finding is at or above `threshold` (for `--fail-on`).
    pub fn any_at_or_above(&self, threshold: Severity) -> bool {
        self.report.findings.iter().any(|f| f.severity >= threshold)
    }

    /// The name of the input an event came from (untrusted text) and its record number.
    pub fn location(&self, origin: Origin) -> (&'a str, u64) {
        let name = self
            .inputs
            .get(origin.input as usize)
            .map_or("?", |input| input.name.as_str());
        (name, origin.record)
    }

    /// The same as [`Analysis::location`] but with the raw path bytes, for JSON.
    pub fn location_bytes(&self, origin: Origin) -> (&'a [u8], u64) {
        let name = self
            .inputs
            .get(origin.input as usize)
            .map_or(&b"?"[..], |input| input.path_bytes.as_slice());
        (name, origin.record)
    }
}

/// The finding's kind, when it is one this version knows.
pub fn kind_of(finding: &Finding) -> Option<Kind> {
    Kind::from_id(finding.kind)
}

/// The general explanation of the finding's pattern.
pub fn explanation(finding: &Finding, lang: Lang) -> &'static str {
    kind_of(finding).map_or("", |kind| kind_text::explanation(kind, lang))
}

/// What to do about the finding.
pub fn advice(finding: &Finding, lang: Lang) -> &'static str {
    kind_of(finding).map_or("", |kind| kind_text::advice(kind, lang))
}

/// The knowledge-base entry of the port the finding is about, if any.
pub fn port_entry(finding: &Finding) -> Option<&'static PortEntry> {
    finding.kb_port.and_then(fwseen_kb::port_entry)
}

/// The one-line summary, from the detect crate's templates.
pub fn summary(finding: &Finding, lang: Lang) -> String {
    fwseen_detect::summary(finding, lang)
}

/// The finding's rate, when it means something to a reader: over at least one second (a burst
/// of packets within a millisecond has no useful "per second").
pub fn readable_rate(finding: &Finding) -> Option<f64> {
    finding
        .duration_seconds()
        .filter(|d| *d >= 1.0)
        .and(finding.rate_per_second())
}

/// When a finding happened, as the terminal and HTML reports show it:
/// `2024-01-15 08:02:11 → 08:14:40 UTC (12 min 29 s, 0.28/s)`. `None` when its times are unknown.
pub fn finding_span(finding: &Finding, lang: Lang) -> Option<String> {
    let labels = Labels::get(lang);
    let (first, last) = (finding.first_seen?, finding.last_seen?);
    let mut text = format::time(first);
    if format::time(last) != text {
        let _ = write!(text, " → {}", format::time_after(first, last));
    }
    text.push_str(" UTC");
    if let Some(seconds) = finding.duration_seconds().filter(|s| *s > 0.0) {
        let _ = write!(
            text,
            "{}{}",
            labels.paren_open,
            format::duration(seconds, lang)
        );
        if let Some(rate) = readable_rate(finding) {
            let _ = write!(text, "{}{}", labels.comma, labels.rate(rate));
        }
        text.push_str(labels.paren_close);
    }
    Some(text)
}

/// A port range as text: `8080` or `6970-7170`.
pub fn port_range(entry: &PortEntry) -> String {
    if entry.low == entry.high {
        entry.low.to_string()
    } else {
        format!("{}-{}", entry.low, entry.high)
    }
}
