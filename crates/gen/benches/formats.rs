//! Throughput, on one core, of the three parsers on the generator's realistic traffic (the same
//! packets in each format, so bytes per second compare formats fairly), and of the generator
//! and renderers themselves.
//!
//! Run with `cargo bench -p fwseen-gen --bench formats -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use fwseen_gen::{Generator, GeneratorConfig, LogFormat, Packet, RenderOptions, Renderer};
use fwseen_parse::netfilter::NetfilterParser;
use fwseen_parse::pf::FilterlogParser;
use fwseen_parse::windows::WindowsFirewallParser;
use fwseen_parse::{Format, Record, TimeContext};

const PACKETS: u64 = 20_000;

fn packets() -> Vec<Packet> {
    Generator::new(GeneratorConfig::mixed(1, PACKETS)).collect()
}

fn render(format: LogFormat, packets: &[Packet]) -> Vec<u8> {
    let mut renderer = Renderer::new(format, RenderOptions::default());
    let mut log = format.header().to_vec();
    for packet in packets {
        renderer.render(packet, &mut log);
    }
    log
}

/// Parses every line and counts the events that have a destination port (so that the work
/// cannot be optimised away).
fn parse_log(parser: &mut dyn Format, log: &[u8]) -> usize {
    let mut events = 0;
    for line in log.split(|&b| b == b'\n') {
        if let Record::Event(event) = parser.parse(line) {
            events += usize::from(event.dst_port.is_some());
        }
    }
    events
}

fn bench_parsers(c: &mut Criterion) {
    let packets = packets();
    let mut group = c.benchmark_group("parse");
    for format in LogFormat::ALL {
        let log = render(format, &packets);
        eprintln!(
            "{}: {} packets, {} bytes, {:.0} bytes per line",
            format.name(),
            packets.len(),
            log.len(),
            log.len() as f64 / packets.len() as f64
        );
        group.throughput(Throughput::Bytes(log.len() as u64));
        group.bench_function(format.name(), |b| {
            let time = TimeContext::utc(2026);
            let mut parser: Box<dyn Format> = match format {
                LogFormat::Netfilter => Box::new(NetfilterParser::new(time)),
                LogFormat::PfFilterlog => Box::new(FilterlogParser::new(time)),
                LogFormat::WindowsFirewall => Box::new(WindowsFirewallParser::new(time)),
            };
            b.iter(|| parse_log(parser.as_mut(), black_box(&log)))
        });
    }
    group.finish();
}

fn bench_generator(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.throughput(Throughput::Elements(PACKETS));
    group.bench_function("packets", |b| {
        b.iter(|| Generator::new(GeneratorConfig::mixed(1, PACKETS)).count())
    });
    let packets = packets();
    for format in LogFormat::ALL {
        group.bench_function(format!("render_{}", format.name()), |b| {
            let mut out = Vec::with_capacity(8 << 20);
            let mut renderer = Renderer::new(format, RenderOptions::default());
            b.iter(|| {
                out.clear();
                for packet in &packets {
                    renderer.render(packet, &mut out);
                }
                out.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parsers, bench_generator);
criterion_main!(benches);
