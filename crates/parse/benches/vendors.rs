//! Throughput of the vendor parsers (Cisco ASA, FortiGate, PAN-OS, Juniper SRX, MikroTik) on
//! realistic syslog lines, in bytes per second on one core.
//!
//! Run with `cargo bench -p fwseen-parse --bench vendors -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use fwseen_parse::{FormatKind, Record, TimeContext};

/// A small xorshift generator: deterministic, no dependency.
struct Numbers(u32);

impl Numbers {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    fn address(&mut self) -> String {
        let r = self.next();
        format!(
            "{}.{}.{}.{}",
            1 + r % 223,
            (r >> 8) % 256,
            (r >> 16) % 256,
            1 + (r >> 24) % 254
        )
    }
}

/// One line of `kind` with varying addresses, ports and times; `index` picks the variant.
fn line(kind: FormatKind, index: usize, numbers: &mut Numbers) -> String {
    let second = index % 60;
    let minute = (index / 60) % 60;
    let src = numbers.address();
    let dst = numbers.address();
    let sport = 1024 + numbers.next() % 64000;
    let dport = numbers.next() % 65536;
    match (kind, index % 3) {
        (FormatKind::CiscoAsa, 0) => format!(
            "Jan 15 10:{minute:02}:{second:02} fw-edge %ASA-4-106023: Deny tcp src outside:{src}/{sport} dst inside:{dst}/{dport} by access-group \"outside_access_in\" [0x51e5d3a2, 0x0]"
        ),
        (FormatKind::CiscoAsa, 1) => format!(
            "Jan 15 10:{minute:02}:{second:02} fw-edge %ASA-6-302013: Built inbound TCP connection {index} for outside:{src}/{sport} ({src}/{sport}) to dmz:{dst}/{dport} ({dst}/{dport})"
        ),
        (FormatKind::CiscoAsa, _) => format!(
            "Jan 15 10:{minute:02}:{second:02} fw-edge %ASA-2-106001: Inbound TCP connection denied from {src}/{sport} to {dst}/{dport} flags SYN on interface outside"
        ),
        (FormatKind::FortiGate, variant) => format!(
            "Jan 15 10:{minute:02}:{second:02} fw-branch date=2024-01-15 time=10:{minute:02}:{second:02} devname=\"FGT-BRANCH\" devid=\"FGT60F0000000001\" eventtime=1705312801123456789 tz=\"+0100\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" srcip={src} srcport={sport} srcintf=\"internal\" srcintfrole=\"lan\" dstip={dst} dstport={dport} dstintf=\"wan1\" dstintfrole=\"wan\" sessionid={index} proto=6 action=\"{}\" policyid=3 policytype=\"policy\" service=\"HTTPS\" trandisp=\"snat\" duration=12 sentbyte=1520 rcvdbyte=8821",
            ["accept", "deny", "close"][variant]
        ),
        (FormatKind::PaloAlto, variant) => format!(
            "Jan 15 10:{minute:02}:{second:02} PA-EDGE 1,2024/01/15 10:{minute:02}:{second:02},012801000001,TRAFFIC,end,2561,2024/01/15 10:{minute:02}:{second:02},{src},{dst},0.0.0.0,0.0.0.0,allow-web,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2024/01/15 10:{minute:02}:{second:02},{index},1,{sport},{dport},0,0,0x400064,tcp,{},6120,1320,4800,22,2024/01/15 09:59:40,20,computer-and-internet-info,,7100000000001,0x0,10.0.0.0-10.255.255.255,United States,,12,10,tcp-fin,0,0,0,0,,PA-EDGE,from-policy,,,0,,0,,N/A,0,0,0,0",
            ["allow", "deny", "reset-both"][variant]
        ),
        (FormatKind::JuniperSrx, 0) => format!(
            "<14>1 2024-01-15T10:{minute:02}:{second:02}.120Z srx-edge RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.129 source-address=\"{src}\" source-port=\"{sport}\" destination-address=\"{dst}\" destination-port=\"{dport}\" connection-tag=\"0\" service-name=\"junos-telnet\" protocol-id=\"6\" icmp-type=\"0\" policy-name=\"deny-untrust\" source-zone-name=\"untrust\" destination-zone-name=\"trust\" application=\"UNKNOWN\" nested-application=\"UNKNOWN\" username=\"N/A\" roles=\"N/A\" packet-incoming-interface=\"ge-0/0/0.0\" encrypted=\"UNKNOWN\" reason=\"policy deny\"]"
        ),
        (FormatKind::JuniperSrx, _) => format!(
            "Jan 15 10:{minute:02}:{second:02} srx-edge RT_FLOW: RT_FLOW_SESSION_DENY: session denied {src}/{sport}->{dst}/{dport} 0x0 junos-ssh 6(0) deny-untrust untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny"
        ),
        (FormatKind::MikroTik, _) => format!(
            "Jan 15 10:{minute:02}:{second:02} gw-mt firewall,info drop-wan input: in:ether1 out:(unknown 0), connection-state:new src-mac 02:00:00:aa:bb:01, proto TCP (SYN), {src}:{sport}->{dst}:{dport}, len 60"
        ),
        _ => unreachable!("only the vendor formats are benchmarked"),
    }
}

fn synthetic_log(kind: FormatKind, count: usize) -> Vec<u8> {
    let mut numbers = Numbers(0x1234_5678);
    let mut log = Vec::new();
    for index in 0..count {
        log.extend_from_slice(line(kind, index, &mut numbers).as_bytes());
        log.push(b'\n');
    }
    log
}

fn bench_vendors(c: &mut Criterion) {
    let mut group = c.benchmark_group("vendors");
    for kind in [
        FormatKind::CiscoAsa,
        FormatKind::FortiGate,
        FormatKind::PaloAlto,
        FormatKind::JuniperSrx,
        FormatKind::MikroTik,
    ] {
        let log = synthetic_log(kind, 10_000);
        group.throughput(Throughput::Bytes(log.len() as u64));
        group.bench_function(kind.name(), |b| {
            b.iter(|| {
                let mut parser = kind
                    .line_parser(TimeContext::utc(2024))
                    .expect("a line format");
                let mut events = 0usize;
                for line in log.split(|&byte| byte == b'\n') {
                    if let Record::Event(event) = parser.parse(black_box(line)) {
                        events += usize::from(event.src.is_some());
                    }
                }
                assert_eq!(events, 10_000);
                events
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_vendors);
criterion_main!(benches);
