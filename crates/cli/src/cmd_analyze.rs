//! `fwseen analyze`: reads logs, runs the detectors and reports what the logs show: a terminal
//! report (default), JSON Lines (`--json`), CSV (`--csv`) and a self-contained HTML page
//! (`--html FILE`).
//!
//! Inputs are read exactly as `fwseen parse` reads them (the same expansion, format sniffing,
//! decompression, `--format`, `--year` and `--tz`; see [`crate::cmd_parse::read_input`]). Every
//! event goes to one [`Analyzer`]; when all inputs are read, its report and the accounting of each
//! input go to the chosen reporters.
//!
//! Exit status: 2 when an input could not be read (or stopped early), else 1 when `--fail-on`
//! names a severity that some finding reaches, else 0.
//!
//! The optional `--config FILE` is TOML:
//! ```toml
//! home_net = ["192.0.2.0/24", "10.0.0.0/8"]   # added to any --home-net
//! [thresholds]                                 # any field of fwseen_detect::Thresholds
//! vertical_min_ports = 12
//! beacon_max_jitter = 0.05
//! [limits]
//! max_tracked_sources = 200000                 # also max_tracked_flows, max_benign_findings
//! ```

use std::ffi::OsString;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use fwseen_detect::{Analyzer, Config, IpNet, Severity, Thresholds};
use fwseen_kb::Lang;
use fwseen_parse::time::TimeSettings;
use fwseen_parse::{FormatKind, Record, TimeContext};
use fwseen_report::escape;
use fwseen_report::model::{Analysis, InputSummary};
use fwseen_report::terminal::TerminalOptions;
use fwseen_report::{csv, findings_json, html, terminal};

use crate::analyzer_thread::AnalyzerThread;
use crate::cmd_parse::{self, Outcome, ReadOptions, NOT_A_LOG};
use crate::common::{ColorChoice, LangChoice};
use crate::exit::Exit;
use crate::input::{self, InputSource};

/// Text shown after `fwseen analyze --help`.
const ANALYZE_AFTER_HELP: &str = "\
Reports: the terminal report by default (a headline verdict, each input's accounting, then the \
findings by class, most alarming first); --json for JSON Lines and --csv for a CSV of findings \
(both described in docs/json.md); --html FILE for a self-contained page, written in addition to the \
chosen report. Finding kinds are described in docs/findings.md.

--config FILE is TOML: home_net = [\"192.0.2.0/24\"], a [thresholds] table with any field of \
the detector thresholds (vertical_min_ports = 12, ...), and a [limits] table \
(max_tracked_sources, max_tracked_flows, max_benign_findings). Unknown keys are errors.

Exit status: 2 when an input could not be read; else 1 when --fail-on names a severity that a \
finding reaches; else 0.";

#[derive(Debug, clap::Args)]
#[command(after_help = ANALYZE_AFTER_HELP)]
pub struct AnalyzeArgs {
    /// Print JSON Lines: a `file` line per input, a `finding` line per finding, then a summary.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// Print the findings as CSV (one row per finding).
    #[arg(long)]
    pub csv: bool,

    /// Also write a self-contained HTML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Language of the report (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangChoice>,

    /// When to colour the terminal report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// A network that is ours (repeatable); without any, fwseen infers it.
    #[arg(long = "home-net", value_name = "CIDR", value_parser = parse_home_net)]
    pub home_net: Vec<IpNet>,

    /// Read home networks, thresholds and limits from a TOML file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Exit with status 1 when a finding at or above this severity exists.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,

    /// Read every input as this format instead of detecting it.
    #[arg(long, value_name = "FORMAT", value_parser = cmd_parse::parse_format_name)]
    pub format: Option<FormatKind>,

    /// The year of log lines that carry none (RFC 3164 syslog) [default: the year the file was
    /// last modified].
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,

    /// The time zone of log times that carry none: UTC, an offset like +02:00, or a name like
    /// Europe/Berlin [default: the local zone].
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,

    /// Files, directories, glob patterns, or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<OsString>,
}

fn parse_home_net(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>().map_err(|err| err.to_string())
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::from_name(&text.to_ascii_lowercase())
        .ok_or_else(|| "expected info, low, medium, high or critical".to_string())
}

/// Width used when stdout is not a terminal.
const PIPE_WIDTH: usize = 100;
/// Inputs larger than this (in all) get a progress bar on a terminal.
const PROGRESS_MIN_BYTES: u64 = 50 * 1024 * 1024;
/// The progress bar is updated every this many records.
const PROGRESS_EVERY: u64 = 16 * 1024;

/// Runs `fwseen analyze`.
pub fn run(args: &AnalyzeArgs) -> anyhow::Result<Exit> {
    let base_settings = TimeSettings {
        year: args.year,
        file_modified: None,
        zone: args.tz.clone(),
    };
    if let Err(message) = TimeContext::new(&base_settings) {
        anyhow::bail!("--tz {}: {message}", args.tz.as_deref().unwrap_or(""));
    }
    let mut config = Config::default();
    if let Some(path) = &args.config {
        apply_config_file(&mut config, path)?;
    }
    config.home_nets.extend(args.home_net.iter().copied());
    let lang = match LangChoice::resolve(args.lang) {
        LangChoice::En => Lang::En,
        LangChoice::ZhHant => Lang::ZhHant,
    };

    let expanded = input::expand_inputs(&args.inputs);
    let progress = Progress::new(args, &expanded);
    let options = ReadOptions {
        format: args.format,
        year: args.year,
        tz: args.tz.clone(),
    };
    // Detection runs on a thread of its own, beside reading and parsing.
    let mut analyzer = AnalyzerThread::spawn(Analyzer::new(config));
    let mut inputs: Vec<InputSummary> = Vec::with_capacity(expanded.len());
    for (index, item) in expanded.into_iter().enumerate() {
        let (source, named) = match item {
            Ok(input) => (input.source, input.named),
            Err(err) => {
                eprintln!(
                    "fwseen: {}: {}",
                    escape::terminal(err.name.as_bytes()),
                    escape::terminal(err.message.as_bytes())
                );
                inputs.push(InputSummary {
                    name: err.name,
                    path_bytes: err.name_bytes,
                    error: Some(err.message),
                    unreadable: true,
                    ..InputSummary::default()
                });
                continue;
            }
        };
        let mut summary = InputSummary {
            name: source.display_name(),
            path_bytes: source.path_bytes(),
            ..InputSummary::default()
        };
        let outcome = {
            let mut records: u64 = 0;
            cmd_parse::read_input(&source, index as u32, &options, |_, text, record| {
                if let Record::Event(event) = &record {
                    analyzer.push(event);
                }
                records += 1;
                progress.advance(records, text.len() as u64 + 1);
                ControlFlow::Continue(())
            })
        };
        match outcome {
            Ok(Outcome::Read(format, counts, error)) => {
                summary.format = format;
                summary.counts = counts;
                if let Some(message) = &error {
                    report_error(&summary.name, message);
                }
                summary.error = error;
            }
            Ok(Outcome::NotALog) if !named => {
                summary.passed_over = Some(NOT_A_LOG.to_string());
            }
            Ok(Outcome::NotALog) => {
                report_error(&summary.name, NOT_A_LOG);
                summary.error = Some(NOT_A_LOG.to_string());
                summary.unreadable = true;
            }
            Err(message) => {
                report_error(&summary.name, &message);
                summary.error = Some(message);
                summary.unreadable = true;
            }
        }
        inputs.push(summary);
    }
    progress.finish();

    let report = analyzer.finish().finish();
    let analysis = Analysis {
        inputs: &inputs,
        report: &report,
        lang,
    };

    if let Some(path) = &args.html {
        let page = html::render(&analysis);
        fs::write(path, page).with_context(|| {
            format!("writing {}", escape::terminal(path_bytes(path).as_slice()))
        })?;
    }
    let mut stdout = io::stdout().lock();
    if args.json {
        findings_json::write_report(&mut stdout, &analysis).context("writing output")?;
    } else if args.csv {
        csv::write_report(&mut stdout, &analysis).context("writing output")?;
        // CSV holds findings only; the accounting of each input goes to stderr.
        for input in &inputs {
            eprintln!("fwseen: {}", csv::describe_input(input));
        }
    } else {
        let on_terminal = io::stdout().is_terminal();
        let options = TerminalOptions {
            color: args.color.use_color_on_stdout(),
            width: if on_terminal {
                textwrap::termwidth().clamp(60, 120)
            } else {
                PIPE_WIDTH
            },
            ..TerminalOptions::default()
        };
        terminal::write_report(&mut stdout, &analysis, &options).context("writing output")?;
    }
    stdout.flush().context("writing output")?;

    if analysis.inputs_failed() > 0 {
        return Ok(Exit::Error);
    }
    Ok(match args.fail_on {
        Some(threshold) if analysis.any_at_or_above(threshold) => Exit::Findings,
        _ => Exit::Ok,
    })
}

fn report_error(name: &str, message: &str) {
    eprintln!(
        "fwseen: {}: {}",
        escape::terminal(name.as_bytes()),
        escape::terminal(message.as_bytes())
    );
}

fn path_bytes(path: &Path) -> Vec<u8> {
    InputSource::File(path.to_path_buf()).path_bytes()
}

/// Reads `--config FILE` into `config`.
fn apply_config_file(config: &mut Config, path: &Path) -> anyhow::Result<()> {
    let name = escape::terminal(path_bytes(path).as_slice()).into_owned();
    let text = fs::read_to_string(path).with_context(|| format!("--config {name}"))?;
    apply_config_text(config, &text)
        .map_err(|message| anyhow::anyhow!("--config {name}: {message}"))
}

/// Applies the TOML text of a config file; unknown keys are errors (a typo must not be ignored).
fn apply_config_text(config: &mut Config, text: &str) -> Result<(), String> {
    let table: toml::Table = text
        .parse()
        .map_err(|err: toml::de::Error| err.to_string())?;
    for (key, value) in &table {
        match key.as_str() {
            "home_net" => {
                let list = value
                    .as_array()
                    .ok_or("home_net must be a list of CIDR strings")?;
                for item in list {
                    let cidr = item
                        .as_str()
                        .ok_or("home_net must be a list of CIDR strings")?;
                    let net = cidr
                        .parse::<IpNet>()
                        .map_err(|err| format!("home_net {cidr:?}: {err}"))?;
                    config.home_nets.push(net);
                }
            }
            "thresholds" => {
                let table = value.as_table().ok_or("[thresholds] must be a table")?;
                for (name, value) in table {
                    set_threshold(&mut config.thresholds, name, value)?;
                }
            }
            "limits" => {
                let table = value.as_table().ok_or("[limits] must be a table")?;
                for (name, value) in table {
                    let n = value
                        .as_integer()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("limits.{name} must be a positive integer"))?
                        as usize;
                    match name.as_str() {
                        "max_tracked_sources" => config.max_tracked_sources = n,
                        "max_tracked_flows" => config.max_tracked_flows = n,
                        "max_benign_findings" => config.max_benign_findings = n,
                        other => return Err(format!("unknown key limits.{other}")),
                    }
                }
            }
            other => return Err(format!("unknown key {other}")),
        }
    }
    Ok(())
}

/// Sets one field of [`Thresholds`] by name.
fn set_threshold(
    thresholds: &mut Thresholds,
    name: &str,
    value: &toml::Value,
) -> Result<(), String> {
    let whole = || {
        value
            .as_integer()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("thresholds.{name} must be a whole number"))
    };
    let fraction = || {
        value
            .as_float()
            .or_else(|| value.as_integer().map(|n| n as f64))
            .filter(|f| f.is_finite() && *f >= 0.0)
            .ok_or_else(|| format!("thresholds.{name} must be a number"))
    };
    macro_rules! fields {
        (whole: $($w:ident),* ; fraction: $($f:ident),* $(,)?) => {
            match name {
                $( stringify!($w) => thresholds.$w = whole()?, )*
                $( stringify!($f) => thresholds.$f = fraction()?, )*
                other => return Err(format!("unknown key thresholds.{other}")),
            }
        };
    }
    fields!(
        whole: idle_seconds, window_seconds, lone_probe_max_events, vertical_min_ports,
        horizontal_min_hosts, block_min_hosts, distributed_min_sources,
        distributed_window_seconds, stealth_min_probes, theme_min_events, source_port_min_ports,
        sweep_min_hosts, bruteforce_min_attempts, trojan_outbound_min_events,
        beacon_min_attempts, beacon_attempt_gap_seconds, beacon_min_period_seconds,
        beacon_idle_seconds, fingerprint_min_packets;
        fraction: theme_dominance, beacon_max_jitter,
    );
    Ok(())
}

/// A progress bar on stderr for large inputs, when stderr is a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    /// What the bar counts: bytes of text (a bar against the known size) or records (a spinner).
    counts_bytes: bool,
    position: std::cell::Cell<u64>,
}

impl Progress {
    fn new(
        args: &AnalyzeArgs,
        expanded: &[Result<input::ExpandedInput, input::InputError>],
    ) -> Progress {
        let none = Progress {
            bar: None,
            counts_bytes: false,
            position: std::cell::Cell::new(0),
        };
        if args.no_progress || !io::stderr().is_terminal() {
            return none;
        }
        // The size is known for plain files; stdin (or any compressed file, whose decompressed
        // size is unknown) makes it unknown, and then a spinner shows the bytes read so far.
        let mut total: Option<u64> = Some(0);
        for item in expanded.iter().flatten() {
            match &item.source {
                InputSource::Stdin => total = None,
                InputSource::File(path) => {
                    // Compressed files, and captures (whose records carry no text to count),
                    // have no byte position to show: they get the spinner.
                    let compressed = path.extension().is_some_and(|e| {
                        matches!(
                            e.to_str(),
                            Some("gz" | "bz2" | "xz" | "zst" | "pcap" | "pcapng" | "cap")
                        )
                    });
                    match (fs::metadata(path), compressed) {
                        (Ok(meta), false) => total = total.map(|t| t + meta.len()),
                        _ => total = None,
                    }
                }
            }
        }
        let bar = match total {
            Some(bytes) if bytes < PROGRESS_MIN_BYTES => return none,
            Some(bytes) => {
                let bar = indicatif::ProgressBar::new(bytes);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{wide_bar} {bytes}/{total_bytes} · {eta} left",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            }
            None => {
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {human_pos} records · {elapsed}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                );
                bar
            }
        };
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress {
            bar: Some(bar),
            counts_bytes: total.is_some(),
            position: std::cell::Cell::new(0),
        }
    }

    /// Counts one record of `bytes` bytes of text (the `records`-th of its input).
    #[inline]
    fn advance(&self, records: u64, bytes: u64) {
        if let Some(bar) = &self.bar {
            let step = if self.counts_bytes { bytes } else { 1 };
            self.position.set(self.position.get() + step);
            if records.is_multiple_of(PROGRESS_EVERY) {
                bar.set_position(self.position.get());
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_sets_home_nets_thresholds_and_limits() {
        let mut config = Config::default();
        apply_config_text(
            &mut config,
            "home_net = [\"192.0.2.0/24\"]\n[thresholds]\nvertical_min_ports = 12\nbeacon_max_jitter = 0.05\n[limits]\nmax_tracked_sources = 500\n",
        )
        .unwrap();
        assert_eq!(config.home_nets, vec!["192.0.2.0/24".parse().unwrap()]);
        assert_eq!(config.thresholds.vertical_min_ports, 12);
        assert_eq!(config.thresholds.beacon_max_jitter, 0.05);
        assert_eq!(config.max_tracked_sources, 500);
    }

    #[test]
    fn config_file_refuses_unknown_keys_and_bad_values() {
        let mut config = Config::default();
        assert!(apply_config_text(&mut config, "home_nets = []").is_err());
        assert!(apply_config_text(&mut config, "[thresholds]\nvertical_ports = 3").is_err());
        assert!(apply_config_text(&mut config, "[thresholds]\nvertical_min_ports = -3").is_err());
        assert!(apply_config_text(&mut config, "home_net = [\"10.0.0.0/40\"]").is_err());
        assert!(apply_config_text(&mut config, "[limits]\nmax_tracked_sources = 0").is_err());
    }

    #[test]
    fn severities_parse() {
        assert_eq!(parse_severity("HIGH"), Ok(Severity::High));
        assert!(parse_severity("severe").is_err());
    }
}
