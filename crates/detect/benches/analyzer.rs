//! Throughput of `Analyzer::push` (with `new` and `finish`, amortised over 200,000 events):
//! - `push_mixed_200k`: [`Scenario::mixed`], where about half of all events come from a source
//!   never seen before (the adversarial end: per-source setup and teardown dominate);
//! - `push_repeat_sources_200k`: 20,000 sources sending ten probes each over an hour, interleaved
//!   (the ratio of issue 5's 10M-line file with 1M sources).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fwseen_detect::scenario::{our_host, Rng, Scenario};
use fwseen_detect::Analyzer;
use fwseen_event::{Event, Origin, Protocol, TcpFlags, Timestamp};

fn repeat_sources(events: usize) -> Vec<Event<'static>> {
    let mut rng = Rng::new(99);
    let sources = (events / 10).max(1) as u64;
    let start = 1_709_251_200i64 * 1_000_000;
    (0..events)
        .map(|i| {
            let source = rng.range(0, sources) as u32;
            Event {
                time: Some(Timestamp {
                    unix_micros: start + i as i64 * 18_000,
                    original_offset_seconds: None,
                }),
                protocol: Protocol::Tcp,
                src: Some(std::net::IpAddr::V4((0x2d00_0000 | source).into())),
                dst: Some(our_host(rng.range(1, 250) as u8)),
                src_port: Some(rng.range(32_768, 61_000) as u16),
                dst_port: Some([22, 23, 80, 443, 445, 3389, 8080, 5060][rng.range(0, 8) as usize]),
                tcp_flags: Some(TcpFlags::SYN),
                ttl: Some(50),
                origin: Origin {
                    input: 0,
                    record: i as u64 + 1,
                },
                ..Event::default()
            }
        })
        .collect()
}

fn bench_events(c: &mut Criterion, name: &str, events: &[Event<'static>]) {
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.sample_size(10);
    group.bench_function(name, |b| {
        b.iter(|| {
            let mut analyzer = Analyzer::new(Scenario::config());
            for event in events {
                analyzer.push(event);
            }
            analyzer.finish()
        })
    });
    group.finish();
}

fn push(c: &mut Criterion) {
    bench_events(c, "push_mixed_200k", &Scenario::mixed(7, 200_000));
    bench_events(c, "push_repeat_sources_200k", &repeat_sources(200_000));
}

criterion_group!(benches, push);
criterion_main!(benches);
