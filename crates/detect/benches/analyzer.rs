//! Throughput of `Analyzer::push` on a mixed scenario (lone probes, scans, benign chatter).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fwseen_detect::scenario::Scenario;
use fwseen_detect::Analyzer;

fn push_mixed(c: &mut Criterion) {
    let events = Scenario::mixed(7, 200_000);
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.sample_size(10);
    group.bench_function("push_mixed_200k", |b| {
        b.iter(|| {
            let mut analyzer = Analyzer::new(Scenario::config());
            for event in &events {
                analyzer.push(event);
            }
            analyzer.finish()
        })
    });
    group.finish();
}

criterion_group!(benches, push_mixed);
criterion_main!(benches);
