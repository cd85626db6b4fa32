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
//! home_net = ["192.0.2.0/24", "private"]      # added to any --home-net
//! [thresholds]                                 # any field of fwseen_detect::Thresholds
//! vertical_min_ports = 12
//! beacon_max_jitter = 0.05
//! [limits]
//! max_tracked_sources = 200000                 # also max_tracked_flows, max_benign_findings
//! ```
//!
//! Home networks: without `--home-net` or `home_net`, fwseen infers which side is ours (private
//! addresses, addresses many sources probe, each event's direction). Any net given replaces that
//! inference, private ranges included; the keyword `private` (on the command line or in the
//! list) adds [`fwseen_detect::PRIVATE_NETS`] as configured nets. When home nets are given, one
//! note on stderr says what they replaced; after the run, every configured net (or `private` as
//! a whole) that held no event's source or destination gets a warning on stderr, unless the
//! inputs held no events at all. Neither changes the exit status.

use std::ffi::OsString;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use fwseen_detect::{Analyzer, Config, HomeNetHits, IpNet, Severity, Thresholds};
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

--home-net: without it fwseen infers which side is yours (private addresses among them). A \
given net replaces that inference, private ranges included; --home-net private (or \"private\" in \
home_net) keeps the RFC 1918, CGNAT, link-local and ULA ranges as well. A given net that matches \
no event is named in a warning on stderr.

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

    /// A network that is ours (repeatable), or `private` for the private ranges; without any,
    /// fwseen infers it. A given net replaces the inference, private ranges included.
    #[arg(long = "home-net", value_name = "CIDR", value_parser = parse_home_net)]
    pub home_net: Vec<HomeNetArg>,

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

/// One `--home-net` value (also one item of the config file's `home_net` list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HomeNetArg {
    Net(IpNet),
    /// The keyword `private`: [`fwseen_detect::PRIVATE_NETS`] ([`Config::include_private`]).
    Private,
}

fn parse_home_net(text: &str) -> Result<HomeNetArg, String> {
    if text.trim().eq_ignore_ascii_case("private") {
        return Ok(HomeNetArg::Private);
    }
    text.parse::<IpNet>()
        .map(HomeNetArg::Net)
        .map_err(|err| format!("{err} (expected a CIDR such as 192.0.2.0/24, or private)"))
}

fn add_home_net(config: &mut Config, arg: HomeNetArg) {
    match arg {
        HomeNetArg::Net(net) => config.home_nets.push(net),
        HomeNetArg::Private => config.include_private = true,
    }
}

/// Where the configured home nets came from: the config file's `home_net` list (read first), and
/// `--home-net`.
#[derive(Debug, Default)]
struct HomeNetSources {
    /// The config file's name (escaped for the terminal), when one was read.
    file: Option<String>,
    /// The first `file_nets` of `Config::home_nets` came from the file.
    file_nets: usize,
    file_private: bool,
    cli_nets: usize,
    cli_private: bool,
}

impl HomeNetSources {
    fn is_from_file(&self, config: &Config, net: IpNet) -> bool {
        config.home_nets[..self.file_nets].contains(&net)
    }

    /// How a warning names a net: as the option or the config key that gave it.
    fn name(&self, config: &Config, net: Option<IpNet>) -> String {
        let text = net.map_or_else(|| "private".to_string(), |n| n.to_string());
        let from_file = match net {
            Some(net) => self.is_from_file(config, net),
            None => self.file_private && !self.cli_private,
        };
        match (&self.file, from_file) {
            (Some(file), true) => format!("home_net {text} (--config {file})"),
            _ => format!("--home-net {text}"),
        }
    }
}

/// The note printed before the run when home nets are given: which nets, from where, and what
/// they replaced. None when the network is inferred.
fn home_net_note(config: &Config, sources: &HomeNetSources) -> Option<String> {
    if config.home_nets.is_empty() && !config.include_private {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for net in &config.home_nets {
        let text = net.to_string();
        if !names.contains(&text) {
            names.push(text);
        }
    }
    if config.include_private {
        names.push("the private ranges".to_string());
    }
    let plural = names.len() > 1 || config.include_private;
    let list = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    };
    let cli = sources.cli_nets > 0 || sources.cli_private;
    let file = sources.file_nets > 0 || sources.file_private;
    let from = match (&sources.file, cli, file) {
        (Some(name), true, true) => format!("from --home-net and --config {name}"),
        (Some(name), false, true) => format!("from --config {name}"),
        _ => "from --home-net".to_string(),
    };
    let mut note = if config.home_nets.is_empty() {
        format!("fwseen: {list} ({from}) replace the inferred home network")
    } else {
        format!(
            "fwseen: home network{} {list} ({from}) replace{} the inferred home network",
            if plural { "s" } else { "" },
            if plural { "" } else { "s" },
        )
    };
    if !config.include_private {
        note.push_str(
            "; private ranges (RFC 1918, CGNAT, link-local, ULA) are no longer assumed ours \
             — add --home-net private to keep them",
        );
    }
    Some(note)
}

/// The warnings printed after the run: one per explicitly configured net that held no event, and
/// one for `private` when none of its ranges did. None at all when no event was analysed (the
/// accounting already says so).
fn home_net_warnings(
    config: &Config,
    sources: &HomeNetSources,
    hits: &[HomeNetHits],
    events: u64,
) -> Vec<String> {
    if events == 0 {
        return Vec::new();
    }
    let mut warnings: Vec<String> = hits
        .iter()
        .filter(|h| !h.private && h.events == 0)
        .map(|h| {
            format!(
                "fwseen: warning: {} matched no event in the input",
                sources.name(config, Some(h.net))
            )
        })
        .collect();
    let private: Vec<&HomeNetHits> = hits.iter().filter(|h| h.private).collect();
    if !private.is_empty() && private.iter().all(|h| h.events == 0) {
        warnings.push(format!(
            "fwseen: warning: {} matched no event in the input",
            sources.name(config, None)
        ));
    }
    warnings
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
    let mut sources = HomeNetSources::default();
    if let Some(path) = &args.config {
        apply_config_file(&mut config, path)?;
        sources.file = Some(escape::terminal(path_bytes(path).as_slice()).into_owned());
        sources.file_nets = config.home_nets.len();
        sources.file_private = config.include_private;
    }
    for &arg in &args.home_net {
        add_home_net(&mut config, arg);
        match arg {
            HomeNetArg::Net(_) => sources.cli_nets += 1,
            HomeNetArg::Private => sources.cli_private = true,
        }
    }
    if let Some(note) = home_net_note(&config, &sources) {
        eprintln!("{note}");
    }
    let config_for_warnings = config.clone();
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
    for warning in home_net_warnings(
        &config_for_warnings,
        &sources,
        &report.stats.home_net_hits,
        report.stats.events,
    ) {
        eprintln!("{warning}");
    }

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
                const EXPECTED: &str = "home_net must be a list of CIDR strings (or \"private\")";
                let list = value.as_array().ok_or(EXPECTED)?;
                for item in list {
                    let cidr = item.as_str().ok_or(EXPECTED)?;
                    let net =
                        parse_home_net(cidr).map_err(|err| format!("home_net {cidr:?}: {err}"))?;
                    add_home_net(config, net);
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
        whole: lone_probe_max_events, vertical_min_ports, horizontal_min_hosts,
        block_min_hosts, distributed_min_sources, stealth_min_probes, theme_min_events,
        ip_protocol_min_protocols, retry_min_packets, retry_max_targets,
        outbound_blocked_min_attempts, source_port_min_ports, sweep_min_hosts,
        bruteforce_min_attempts, trojan_outbound_min_events, beacon_min_attempts,
        beacon_attempt_gap_seconds, beacon_min_period_seconds,
        beacon_min_span_seconds, beacon_idle_seconds, fingerprint_min_packets;
        fraction: theme_dominance, beacon_max_jitter, distributed_min_share,
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
    fn home_net_accepts_cidrs_and_private() {
        assert_eq!(
            parse_home_net("203.0.113.7/24"),
            Ok(HomeNetArg::Net("203.0.113.0/24".parse().unwrap()))
        );
        assert_eq!(parse_home_net("private"), Ok(HomeNetArg::Private));
        assert_eq!(parse_home_net("Private"), Ok(HomeNetArg::Private));
        assert!(parse_home_net("privat").unwrap_err().contains("or private"));
        let mut config = Config::default();
        apply_config_text(&mut config, "home_net = [\"private\", \"192.0.2.0/24\"]").unwrap();
        assert!(config.include_private);
        assert_eq!(config.home_nets, vec!["192.0.2.0/24".parse().unwrap()]);
    }

    fn hits(list: &[(&str, bool, u64)]) -> Vec<HomeNetHits> {
        list.iter()
            .map(|&(net, private, events)| HomeNetHits {
                net: net.parse().unwrap(),
                private,
                events,
            })
            .collect()
    }

    #[test]
    fn the_note_says_what_the_home_nets_replaced() {
        let mut config = Config::default();
        let mut sources = HomeNetSources::default();
        assert_eq!(home_net_note(&config, &sources), None);
        config.include_private = true;
        sources.cli_private = true;
        assert_eq!(
            home_net_note(&config, &sources).unwrap(),
            "fwseen: the private ranges (from --home-net) replace the inferred home network"
        );
        config.include_private = false;
        sources.cli_private = false;
        config.home_nets.push("203.0.113.0/24".parse().unwrap());
        sources.cli_nets = 1;
        assert_eq!(
            home_net_note(&config, &sources).unwrap(),
            "fwseen: home network 203.0.113.0/24 (from --home-net) replaces the inferred home \
             network; private ranges (RFC 1918, CGNAT, link-local, ULA) are no longer assumed \
             ours — add --home-net private to keep them"
        );
        config.include_private = true;
        sources.cli_private = true;
        assert_eq!(
            home_net_note(&config, &sources).unwrap(),
            "fwseen: home networks 203.0.113.0/24 and the private ranges (from --home-net) \
             replace the inferred home network"
        );
        config
            .home_nets
            .insert(0, "198.51.100.0/24".parse().unwrap());
        sources.file = Some("site.toml".to_string());
        sources.file_nets = 1;
        let note = home_net_note(&config, &sources).unwrap();
        assert!(
            note.contains(
                "198.51.100.0/24, 203.0.113.0/24 and the private ranges \
                 (from --home-net and --config site.toml)"
            ),
            "{note}"
        );
    }

    #[test]
    fn warnings_name_the_nets_that_matched_nothing() {
        let config = Config {
            home_nets: vec![
                "198.51.100.0/24".parse().unwrap(),
                "203.0.113.0/24".parse().unwrap(),
                "192.0.2.0/24".parse().unwrap(),
            ],
            include_private: true,
            ..Config::default()
        };
        let sources = HomeNetSources {
            file: Some("site.toml".to_string()),
            file_nets: 1,
            cli_nets: 2,
            cli_private: true,
            ..HomeNetSources::default()
        };
        let seen = hits(&[
            ("198.51.100.0/24", false, 0),
            ("203.0.113.0/24", false, 5),
            ("192.0.2.0/24", false, 0),
            ("10.0.0.0/8", true, 0),
            ("192.168.0.0/16", true, 0),
        ]);
        assert_eq!(
            home_net_warnings(&config, &sources, &seen, 10),
            vec![
                "fwseen: warning: home_net 198.51.100.0/24 (--config site.toml) matched no event \
                 in the input",
                "fwseen: warning: --home-net 192.0.2.0/24 matched no event in the input",
                "fwseen: warning: --home-net private matched no event in the input",
            ]
        );
        // One private range with events is enough for `private`.
        let mut lan = seen.clone();
        lan[4].events = 1;
        assert_eq!(home_net_warnings(&config, &sources, &lan, 10).len(), 2);
        // No events at all: nothing to say about the nets.
        assert!(home_net_warnings(&config, &sources, &seen, 0).is_empty());
    }

    #[test]
    fn severities_parse() {
        assert_eq!(parse_severity("HIGH"), Ok(Severity::High));
        assert!(parse_severity("severe").is_err());
    }
}
