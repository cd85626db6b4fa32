//! `fwseen-gen`: writes a generated firewall log to standard output, and its labels to a file.
//!
//! ```text
//! fwseen-gen --format netfilter|pf|windows --lines N [--seed S] [--labels FILE]
//!            [--catalogue] [--netfilter-tcp-sequence]
//! ```
//!
//! `--lines` counts packet lines (the Windows header comes on top). `--catalogue` writes every
//! finding kind once instead of the realistic mix (and ignores `--lines` unless it is smaller).

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::net::IpAddr;
use std::process::ExitCode;

use fwseen_gen::labels::write_label;
use fwseen_gen::render::carries;
use fwseen_gen::{Generator, GeneratorConfig, LogFormat, RenderOptions, Renderer};

const USAGE: &str = "usage: fwseen-gen --format netfilter|pf|windows --lines N [--seed S] [--labels FILE] [--catalogue] [--netfilter-tcp-sequence]";

struct Options {
    format: LogFormat,
    lines: u64,
    seed: u64,
    labels: Option<String>,
    catalogue: bool,
    render: RenderOptions,
}

/// Reads a count, accepting `_` separators and `k`/`M` suffixes (`10M`, `100k`).
fn parse_count(text: &str) -> Option<u64> {
    let text = text.replace('_', "");
    let (digits, scale) = match text.as_bytes().last()? {
        b'k' | b'K' => (&text[..text.len() - 1], 1_000),
        b'm' | b'M' => (&text[..text.len() - 1], 1_000_000),
        _ => (&text[..], 1),
    };
    digits.parse::<u64>().ok()?.checked_mul(scale)
}

fn parse_args() -> Result<Options, String> {
    let mut format = None;
    let mut lines = None;
    let mut options = Options {
        format: LogFormat::Netfilter,
        lines: 0,
        seed: 1,
        labels: None,
        catalogue: false,
        render: RenderOptions::default(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--format" => {
                let name = value("--format")?;
                format = Some(LogFormat::from_name(&name).ok_or(format!("unknown format {name}"))?);
            }
            "--lines" => {
                let text = value("--lines")?;
                lines = Some(parse_count(&text).ok_or(format!("bad line count {text}"))?);
            }
            "--seed" => {
                let text = value("--seed")?;
                options.seed = text.parse().map_err(|_| format!("bad seed {text}"))?;
            }
            "--labels" => options.labels = Some(value("--labels")?),
            "--catalogue" => options.catalogue = true,
            "--netfilter-tcp-sequence" => options.render.netfilter_tcp_sequence = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    options.format = format.ok_or("--format is required")?;
    options.lines = match (lines, options.catalogue) {
        (Some(lines), _) => lines,
        (None, true) => u64::MAX,
        (None, false) => return Err("--lines is required".into()),
    };
    Ok(options)
}

fn run(options: &Options) -> io::Result<()> {
    let config = if options.catalogue {
        GeneratorConfig {
            packets: options.lines,
            ..GeneratorConfig::catalogue(options.seed)
        }
    } else {
        GeneratorConfig::mixed(options.seed, options.lines)
    };
    let mut generator = Generator::new(config);
    let mut renderer = Renderer::new(options.format, options.render);
    let header_lines = options.format.header_lines();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut labels = match &options.labels {
        Some(path) => Some(BufWriter::new(File::create(path)?)),
        None => None,
    };
    // Distinct sources are counted only when labels are wanted (it costs a set).
    let mut sources: HashSet<IpAddr> = HashSet::new();
    let mut buffer: Vec<u8> = Vec::with_capacity(1 << 20);
    buffer.extend_from_slice(options.format.header());
    let mut emitted: u64 = 0;
    while let Some(packet) = generator.next() {
        renderer.render(&packet, &mut buffer);
        emitted += 1;
        if let Some(labels) = labels.as_mut() {
            sources.insert(packet.src);
            if packet.pattern != 0 {
                for label in generator.take_finished_labels() {
                    let visible =
                        carries(options.format, options.render, label.kind, label.variant);
                    write_label(labels, &label, header_lines, visible)?;
                }
            }
        }
        if buffer.len() >= (1 << 20) - 1024 {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    out.write_all(&buffer)?;
    out.flush()?;
    if let Some(labels) = labels.as_mut() {
        for label in generator.finish() {
            let visible = carries(options.format, options.render, label.kind, label.variant);
            write_label(labels, &label, header_lines, visible)?;
        }
        let stats = generator.stats();
        writeln!(
            labels,
            "{{\"type\":\"summary\",\"format\":\"{}\",\"seed\":{},\"lines\":{},\"packets\":{},\"pattern_packets\":{},\"patterns\":{},\"lone_probes\":{},\"distinct_sources\":{}}}",
            options.format.name(),
            options.seed,
            emitted + header_lines,
            emitted,
            stats.pattern_packets,
            stats.patterns_started,
            stats.lone_probes,
            sources.len()
        )?;
        labels.flush()?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("fwseen-gen: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`fwseen-gen ... | head`) is not an error.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("fwseen-gen: {error}");
            ExitCode::from(2)
        }
    }
}
