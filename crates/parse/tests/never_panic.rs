//! Whatever the bytes, no line parser panics, and every record is one of event, skip or
//! malformed (the type guarantees the last part; this test guarantees the first).

use fwseen_parse::{FormatKind, TimeContext};
use proptest::prelude::*;

/// Lines that are almost right, for every format: mutating them reaches deeper code than
/// random bytes do.
const SEED_LINES: &[&str] = &[
    "Mar  3 10:11:12 gate kernel: [ 1234.567890] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.7 DST=198.51.100.2 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4242 DF PROTO=TCP SPT=51515 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 OPT (020405B4)",
    "IN=eth0 OUT= SRC=192.0.2.9 DST=198.51.100.4 LEN=92 TTL=64 ID=777 PROTO=ICMP TYPE=3 CODE=3 [SRC=198.51.100.4 DST=192.0.2.9 LEN=64 PROTO=UDP SPT=33434 DPT=53 LEN=44 ]",
    "{\"__REALTIME_TIMESTAMP\":\"1704164645123456\",\"_HOSTNAME\":\"web1\",\"MESSAGE\":\"DROP IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=20 TTL=1 ID=0 PROTO=2\"}",
    "<134>1 2025-11-06T11:32:42.868451+00:00 firewall.lan filterlog 92653 - - 7,,,1000000102,vtnet0.5,match,block,in,4,0x0,,64,19008,0,DF,6,tcp,60,192.168.5.6,192.168.5.1,40204,443,0,S,1234,,64240,,mss;sackOK;TS;nop;wscale",
    "Sep 28 10:38:09 pfSense filterlog: 53,,,1000000301,em0,match,block,in,6,0x00,0x00000,64,tcp,6,40,2001:db8::1,2001:db8::2,5000,22,0,S,1,,1024,,",
    "Mar 03 11:22:33.123456 rule 5/0(match): block in on em0: 192.0.2.1.5555 > 198.51.100.1.22: S 1:1(0) win 1024",
    "2024-01-02 03:04:05 DROP TCP 192.0.2.1 192.0.2.2 5555 445 52 S 12345 0 8192 - - - RECEIVE 4",
    "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid",
    "1300000000.000000\tCjhGID4nQcgTWjvg4c\t192.0.2.1\t5555\t198.51.100.1\t80\ttcp\thttp\t0.1\t10\t20\tSF\t-\t-\t0\tShADadFf\t5\t200\t5\t300\t-",
    "{\"ts\":1300000000.0,\"uid\":\"C1\",\"id.orig_h\":\"192.0.2.1\",\"id.orig_p\":5555,\"id.resp_h\":\"198.51.100.1\",\"id.resp_p\":80,\"proto\":\"tcp\",\"conn_state\":\"S0\"}",
    "Jun 16 2016 11:32:14: %ASA-4-106023: Deny tcp src outside:192.0.2.1/5555 dst inside:198.51.100.1/22 by access-group \"outside_in\" [0x0, 0x0]",
    "date=2024-10-14 time=13:46:40 devname=fw1 logid=0000000013 type=traffic subtype=forward action=deny srcip=192.0.2.1 srcport=5555 dstip=198.51.100.1 dstport=22 proto=6 policyid=0",
    "Apr 30 06:00:00 pa 1,2020/02/09 00:00:00,001,TRAFFIC,drop,2561,2020/02/09 00:00:00,192.0.2.1,198.51.100.1,0.0.0.0,0.0.0.0,deny-all,,,not-applicable,vsys1,untrust,trust,ethernet1/1,,log,2020/02/09 00:00:00,0,1,5555,22,0,0,0x0,tcp,deny,60,60,0,1,2020/02/09 00:00:00,0,any,0,1,0x0,US,US,0,1,0,policy-deny",
    "<14>1 2017-09-23T13:54:54.803Z srx RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 source-address=\"192.0.2.1\" source-port=\"5555\" destination-address=\"198.51.100.1\" destination-port=\"22\" protocol-id=\"6\" policy-name=\"deny\"]",
    "2023-03-18T20:35:05.734637+01:00 10.120.127.1 firewall,info drop-in input: in:ether1-WAN out:(unknown 0), connection-state:new src-mac 00:17:10:88:bc:02, proto TCP (SYN), [2001:db8::1]:5555->[2001:db8::2]:22, len 60",
];

fn line_kinds() -> Vec<FormatKind> {
    FormatKind::ALL
        .into_iter()
        .filter(|kind| kind.line_parser(TimeContext::utc(2024)).is_some())
        .collect()
}

/// Feeds the same lines to a fresh parser of every format (a parser may keep state across lines,
/// such as a `#Fields:` header, so lines are fed in order).
fn feed_all(lines: &[Vec<u8>]) {
    for kind in line_kinds() {
        let mut parser = kind.line_parser(TimeContext::utc(2024)).unwrap();
        for line in lines {
            let _ = parser.parse(line);
        }
    }
    for line in lines {
        let _ = fwseen_parse::sniff(line);
    }
}

/// A seed line with a few bytes replaced, inserted or removed, and maybe truncated.
fn mutated_seed() -> impl Strategy<Value = Vec<u8>> {
    (
        0..SEED_LINES.len(),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..6),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(seed, edits, cut, truncate)| {
            let mut line = SEED_LINES[seed].as_bytes().to_vec();
            for (position, byte, operation) in edits {
                if line.is_empty() {
                    line.push(byte);
                    continue;
                }
                let index = position.index(line.len());
                match operation {
                    0 => line[index] = byte,
                    1 => line.insert(index, byte),
                    _ => {
                        line.remove(index);
                    }
                }
            }
            if truncate && !line.is_empty() {
                let keep = cut.index(line.len());
                line.truncate(keep);
            }
            line
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(lines in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..8)) {
        feed_all(&lines);
    }

    #[test]
    fn mutated_real_lines_never_panic(lines in proptest::collection::vec(mutated_seed(), 1..6)) {
        feed_all(&lines);
    }
}

#[test]
fn every_seed_line_and_a_huge_line_are_handled() {
    let mut lines: Vec<Vec<u8>> = SEED_LINES.iter().map(|l| l.as_bytes().to_vec()).collect();
    // A 10 MB line of field-like text, and one of NUL bytes.
    lines.push(b"IN=eth0 OUT= SRC=10.0.0.1 ".repeat(400_000));
    lines.push(vec![0u8; 10_000_000]);
    feed_all(&lines);
}
