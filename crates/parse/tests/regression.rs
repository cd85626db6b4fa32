//! Regression tests: each pins a bug found by the fuzzers or by real sample files, and is named
//! after the bug.

use fwseen_event::{Direction, Protocol};
use fwseen_parse::netfilter::NetfilterParser;
use fwseen_parse::{Format, Record, TimeContext};

fn netfilter(line: &str) -> Record<'_> {
    NetfilterParser::new(TimeContext::utc(2024)).parse(line.as_bytes())
}

/// psad's protocol scan logs SCTP and ICMPv6-over-IPv4 as bare numbers (`PROTO=132`,
/// `PROTO=58`) with no ports or type after them; they were reported as truncated lines.
#[test]
fn numeric_proto_of_a_protocol_with_ports_is_not_truncated() {
    for (proto, expected) in [("132", Protocol::Other(132)), ("58", Protocol::Icmpv6)] {
        let line = format!(
            "Mar  1 00:00:00 fw kernel: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=52 TOS=0x00 PREC=0x00 TTL=49 ID=9 PROTO={proto} "
        );
        match netfilter(&line) {
            Record::Event(event) => {
                assert_eq!(event.protocol, expected);
                assert_eq!(event.src_port, None);
                assert_eq!(event.icmp, None);
            }
            other => panic!("{other:?}"),
        }
    }
}

/// crowdsec's ufw audit lines carry `PROTO=TCP SPT= DPT=` but no `WINDOW=`/`RES=`/flag words;
/// they were given an empty flag set, which reads as a NULL scan.
#[test]
fn tcp_line_without_flag_fields_gets_no_flags() {
    let line = "Oct 30 10:09:23 vm kernel: [UFW AUDIT] IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.53 LEN=104 TTL=64 ID=1 DF PROTO=TCP SPT=50616 DPT=53 LEN=84";
    match netfilter(line) {
        Record::Event(event) => {
            assert_eq!(event.tcp_flags, None);
            assert_eq!(event.direction, Direction::Local);
        }
        other => panic!("{other:?}"),
    }
}

/// A line whose `IN=` was damaged into another key (`XX=eth0 OUT=`) was read as an outbound
/// packet with the damaged word as its rule label.
#[test]
fn damaged_in_key_is_neither_outbound_nor_a_label() {
    let line = "Jun  8 14:34:33 host kernel: [5.0] XX=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=245 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0";
    match netfilter(line) {
        Record::Event(event) => {
            assert_eq!(event.direction, Direction::Unknown);
            assert_eq!(event.rule, None);
            assert_eq!(event.in_interface, None);
            assert_eq!(event.dst_port, Some(2));
        }
        other => panic!("{other:?}"),
    }
}

/// Proxmox output chains log `OUT=` without any `IN=`; such lines were not recognised as packet
/// lines at all.
#[test]
fn proxmox_output_chain_without_in_is_an_event() {
    let line = "0 1 PVEFW-HOST-OUT 20/Jun/2022:13:16:23 +0200 REJECT: OUT=vmbr0 SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 ID=1 DF PROTO=TCP SPT=49566 DPT=22 SEQ=1 ACK=0 WINDOW=64240 SYN ";
    match netfilter(line) {
        Record::Event(event) => assert_eq!(event.direction, Direction::Outbound),
        other => panic!("{other:?}"),
    }
}
