//! Throughput of the netfilter parser on realistic syslog lines (about 250 bytes each), in bytes
//! per second on one core.
//!
//! Run with `cargo bench -p fwseen-parse --bench netfilter -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use fwseen_parse::netfilter::NetfilterParser;
use fwseen_parse::{Format, Record, TimeContext};

/// Builds a log of `count` lines mixing the shapes seen in real files: ufw TCP SYN blocks, UDP,
/// ICMP echo, IPv6 and forwarded packets, with varying addresses, ports and stamps.
fn synthetic_log(count: usize) -> Vec<u8> {
    let mut log = Vec::new();
    let mut state: u32 = 0x1234_5678;
    let mut next = || {
        // A small xorshift generator: deterministic, no dependency.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for index in 0..count {
        let r = next();
        let second = index % 60;
        let minute = (index / 60) % 60;
        let src = format!(
            "{}.{}.{}.{}",
            1 + r % 223,
            (r >> 8) % 256,
            (r >> 16) % 256,
            1 + (r >> 24) % 254
        );
        let src_port = 1024 + next() % 64000;
        let dst_port = next() % 65536;
        let id = next() % 65536;
        let ttl = 30 + next() % 200;
        let line = match index % 10 {
            0..=5 => format!(
                "Nov 23 19:{minute:02}:{second:02} ip-172-30-0-64 kernel: [199974.947035] [UFW BLOCK] IN=eth0 OUT= MAC=0a:0d:14:95:e5:27:0a:b3:35:19:7e:54:08:00 SRC={src} DST=172.30.0.64 LEN=40 TOS=0x00 PREC=0x00 TTL={ttl} ID={id} PROTO=TCP SPT={src_port} DPT={dst_port} WINDOW=1024 RES=0x00 SYN URGP=0 "
            ),
            6 => format!(
                "Nov 23 19:{minute:02}:{second:02} ip-172-30-0-64 kernel: [199974.947035] [UFW BLOCK] IN=eth0 OUT= MAC=0a:0d:14:95:e5:27:0a:b3:35:19:7e:54:08:00 SRC={src} DST=172.30.0.64 LEN=76 TOS=0x00 PREC=0x00 TTL={ttl} ID={id} PROTO=UDP SPT={src_port} DPT={dst_port} LEN=56 "
            ),
            7 => format!(
                "Nov 23 19:{minute:02}:{second:02} ip-172-30-0-64 kernel: [199974.947035] [UFW BLOCK] IN=eth0 OUT= MAC=0a:0d:14:95:e5:27:0a:b3:35:19:7e:54:08:00 SRC={src} DST=172.30.0.64 LEN=84 TOS=0x00 PREC=0x00 TTL={ttl} ID={id} DF PROTO=ICMP TYPE=8 CODE=0 ID=4321 SEQ=1 "
            ),
            8 => format!(
                "Nov 23 19:{minute:02}:{second:02} ip-172-30-0-64 kernel: [199974.947035] [UFW BLOCK] IN=eth0 OUT= MAC=0a:0d:14:95:e5:27:0a:b3:35:19:7e:54:86:dd SRC=2001:db8:{:x}::{:x} DST=2001:db8::1 LEN=80 TC=0 HOPLIMIT=56 FLOWLBL=0 PROTO=TCP SPT={src_port} DPT={dst_port} WINDOW=5760 RES=0x00 SYN URGP=0 ",
                r % 65536,
                (r >> 16) % 65536
            ),
            _ => format!(
                "Nov 23 19:{minute:02}:{second:02} gw kernel: [199974.947035] FORWARD ACCEPT: IN=eth1 OUT=eth0 MAC=0a:0d:14:95:e5:27:0a:b3:35:19:7e:54:08:00 SRC=192.168.1.20 DST={src} LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID={id} DF PROTO=TCP SPT={src_port} DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0 "
            ),
        };
        log.extend_from_slice(line.as_bytes());
        log.push(b'\n');
    }
    log
}

fn parse_log(parser: &mut NetfilterParser, log: &[u8]) -> usize {
    let mut events = 0;
    // Lines are cut with memchr, as the reader does.
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', log) {
        let line = &log[start..end];
        start = end + 1;
        if let Record::Event(event) = parser.parse(line) {
            events += usize::from(event.dst_port.is_some());
        }
    }
    events
}

fn bench_netfilter(c: &mut Criterion) {
    let log = synthetic_log(20_000);
    let lines = log.iter().filter(|&&b| b == b'\n').count();
    eprintln!(
        "netfilter bench input: {} lines, {} bytes, {:.0} bytes per line",
        lines,
        log.len(),
        log.len() as f64 / lines as f64
    );
    let mut group = c.benchmark_group("netfilter");
    group.throughput(Throughput::Bytes(log.len() as u64));
    group.bench_function("syslog_lines", |b| {
        let mut parser = NetfilterParser::new(TimeContext::utc(2024));
        b.iter(|| parse_log(&mut parser, black_box(&log)))
    });
    group.finish();
}

criterion_group!(benches, bench_netfilter);
criterion_main!(benches);
