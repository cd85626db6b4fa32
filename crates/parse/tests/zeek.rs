//! Integration tests for the Zeek `conn.log` parsers (TSV with its header, and JSON lines).

use fwseen_event::{
    Action, ConnState, Direction, Event, History, HistoryMark, Icmp, Protocol, Session, Side,
    TcpFlags,
};
use fwseen_parse::zeek::{self, ZeekJsonParser, ZeekTsvParser};
use fwseen_parse::{Format, FormatKind, Record, SkipReason, TimeContext};

mod common;

use common::{ip, lines, run};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture("zeek", name)
}

fn tsv() -> ZeekTsvParser {
    ZeekTsvParser::new(TimeContext::utc(2026))
}

fn json() -> ZeekJsonParser {
    ZeekJsonParser::new(TimeContext::utc(2026))
}

#[test]
fn kinds() {
    assert_eq!(tsv().kind(), FormatKind::ZeekTsv);
    assert_eq!(json().kind(), FormatKind::ZeekJson);
}

#[test]
fn zeek_baselines_are_fully_read() {
    for (name, rows, header_lines) in [
        ("zeek-baseline-teredo-conn.log", 21, 10),
        ("zeek-baseline-opt-basic-conn.log", 34, 10),
        ("zeek-baseline-ssh-basic-conn.log", 25, 10),
        ("zeek-baseline-pop3-conn.log", 11, 10),
        ("zeek-baseline-cisco-fabric-path-conn.log", 64, 10),
    ] {
        let data = fixture(name);
        let (events, skips, malformed) = run(&mut tsv(), &data);
        assert_eq!(malformed, Vec::new(), "{name}");
        assert_eq!(events.len(), rows, "{name}");
        assert_eq!(skips.len(), header_lines, "{name}");
        assert!(skips.iter().all(|s| *s == SkipReason::Header), "{name}");
        // The baselines mask their times.
        assert!(events.iter().all(|e| e.time.is_none()), "{name}");
    }
}

#[test]
fn rejected_connections_become_rejects_with_a_syn() {
    let data = fixture("zeek-baseline-pop3-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let rejected: Vec<_> = events
        .iter()
        .filter(|e| e.action == Action::Reject)
        .collect();
    assert_eq!(rejected.len(), 6);
    for event in rejected {
        assert_eq!(event.protocol, Protocol::Tcp);
        assert!(event.is_plain_syn());
    }
    assert!(events
        .iter()
        .filter(|e| e.action != Action::Reject)
        .all(|e| e.action == Action::Other));
}

#[test]
fn teredo_icmpv6_and_flags() {
    let data = fixture("zeek-baseline-teredo-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let first = &events[0];
    assert_eq!(first.src, Some(ip("192.168.2.16")));
    assert_eq!(first.src_port, Some(1576));
    assert_eq!(first.dst, Some(ip("75.126.130.163")));
    assert_eq!(first.dst_port, Some(80));
    assert_eq!(first.protocol, Protocol::Tcp);
    // History `^fA`: the originator only acknowledged.
    assert_eq!(first.tcp_flags, Some(TcpFlags::ACK));
    assert_eq!(first.direction, Direction::Outbound);
    assert_eq!(first.length, Some(40));
    let icmpv6: Vec<_> = events
        .iter()
        .filter(|e| e.protocol == Protocol::Icmpv6)
        .collect();
    assert!(!icmpv6.is_empty());
    assert!(icmpv6
        .iter()
        .all(|e| e.icmp.is_some() && e.src_port.is_none()));
    // An echo request, and router discovery whose resp_p is the answer's type, not a code.
    let types: Vec<_> = icmpv6.iter().map(|e| e.icmp.unwrap()).collect();
    assert!(types.contains(&Icmp {
        icmp_type: 128,
        code: 0
    }));
    assert!(types.contains(&Icmp {
        icmp_type: 133,
        code: 0
    }));
    assert!(types.contains(&Icmp {
        icmp_type: 134,
        code: 0
    }));
}

#[test]
fn s0_rows_are_lone_syns_without_a_verdict() {
    let data = fixture("zeek-baseline-cisco-fabric-path-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let unanswered: Vec<_> = events
        .iter()
        .filter(|e| e.protocol == Protocol::Tcp && e.is_plain_syn())
        .collect();
    assert!(!unanswered.is_empty());
    assert!(unanswered.iter().all(|e| e.action == Action::Other));
}

#[test]
fn own_tsv_variants() {
    let data = fixture("fwseen-conn-variants.log");
    let (events, skips, malformed) = run(&mut tsv(), &data);
    assert_eq!(events.len(), 3);
    assert_eq!(
        malformed,
        vec![
            (12, "id.orig_p is not a port"),
            (13, "id.orig_h is not an address"),
            (14, "conn.log row is truncated"),
            (15, "ts is not a time"),
        ]
    );
    // Eight header lines, the #close line, three header lines of the dns log, and its row.
    assert_eq!(skips.len(), 13);
    assert_eq!(skips.last(), Some(&SkipReason::NotPacket));
    let s0 = &events[0];
    assert_eq!(s0.time.unwrap().to_string(), "2024-03-04T10:11:12.123456Z");
    assert_eq!(s0.direction, Direction::Inbound);
    assert!(s0.is_plain_syn());
    assert_eq!(s0.action, Action::Other);
    assert_eq!(s0.length, Some(40));
    let rejected = &events[1];
    assert_eq!(rejected.action, Action::Reject);
    assert!(rejected.is_plain_syn());
    let ping = &events[2];
    assert_eq!(ping.protocol, Protocol::Icmp);
    assert_eq!(
        ping.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(ping.dst_port, None);
    assert_eq!(ping.direction, Direction::Outbound);
}

#[test]
fn rows_without_a_header_use_the_default_layout() {
    let mut parser = tsv();
    let row = b"1521911721.411148\tCXWfTK3LRdiuQxBbM6\t10.47.25.80\t50817\t10.128.0.218\t23189\ttcp\t-\t0.000486\t0\t0\tREJ\t-\t-\t0\tSr\t2\t104\t2\t80\t-";
    let Record::Event(event) = parser.parse(row) else {
        panic!()
    };
    assert_eq!(event.action, Action::Reject);
    assert_eq!(event.dst_port, Some(23189));
    assert_eq!(event.direction, Direction::Unknown);
    assert_eq!(event.length, None);
}

#[test]
fn json_lines() {
    let data = fixture("fwseen-conn.json");
    let (events, skips, malformed) = run(&mut json(), &data);
    assert_eq!(events.len(), 7);
    assert_eq!(skips, vec![SkipReason::NotPacket, SkipReason::Blank]);
    assert_eq!(
        malformed,
        vec![
            (10, "id.orig_p is out of range"),
            (11, "id.orig_h is not an address"),
            (12, "JSON object is truncated"),
            (13, "a conn.log field has the wrong type"),
            (14, "not a JSON object"),
        ]
    );
    let s0 = &events[0];
    assert_eq!(s0.time.unwrap().to_string(), "2024-03-04T10:11:12.123456Z");
    assert_eq!(s0.src, Some(ip("203.0.113.9")));
    assert_eq!(s0.dst_port, Some(23));
    assert!(s0.is_plain_syn());
    assert_eq!(s0.direction, Direction::Inbound);
    assert_eq!(s0.length, Some(40));
    assert_eq!(events[1].action, Action::Reject);
    let established = &events[2];
    assert_eq!(established.direction, Direction::Outbound);
    // The first packet of `ShADadFf` was a SYN; the session says the rest.
    assert_eq!(established.tcp_flags, Some(TcpFlags::SYN));
    assert_eq!(established.length, None);
    assert_eq!(
        established.session,
        Some(Session {
            state: ConnState::SF,
            history: history(b"SADF", b"hadf"),
            orig_packets: Some(12),
            resp_packets: Some(10),
            orig_bytes: None,
            resp_bytes: None,
            orig_ip_bytes: Some(2400),
            resp_ip_bytes: Some(9000),
            duration_micros: Some(1_500_000),
        })
    );
    let session = established.session.unwrap();
    assert!(session.established() && session.answered());
    let probe = s0.session.unwrap();
    assert_eq!(probe.state, ConnState::S0);
    assert!(probe.unanswered_attempt() && !probe.answered());
    let refused = events[1].session.unwrap();
    assert!(refused.refused() && refused.answered());
    // ICMP records are OTH; the packet counts say whether the ping was answered.
    let ping_session = events[3].session.unwrap();
    assert_eq!(ping_session.state, ConnState::Oth);
    assert_eq!(ping_session.resp_packets, None);
    assert!(!ping_session.answered() && !ping_session.unanswered_attempt());
    assert!(events.iter().all(|e| e.session.is_some()));
    let ping = &events[3];
    assert_eq!(
        ping.time.unwrap().to_string(),
        "2024-03-04T10:11:15.250000Z"
    );
    assert_eq!(
        ping.icmp,
        Some(Icmp {
            icmp_type: 8,
            code: 0
        })
    );
    assert_eq!(events[4].protocol, Protocol::Icmpv6);
    let nested = &events[5];
    assert_eq!(nested.src, Some(ip("192.0.2.10")));
    assert_eq!(nested.dst_port, Some(5353));
    assert_eq!(nested.protocol, Protocol::Udp);
    assert_eq!(events[6].protocol, Protocol::Other(47));
}

/// A history holding the given originator and responder letters (upper-case both, as
/// [`HistoryMark::letter`] spells them).
fn history(originator: &[u8], responder: &[u8]) -> History {
    let mut history = History::new();
    for (side, letters) in [(Side::Originator, originator), (Side::Responder, responder)] {
        for &letter in letters {
            let mark = HistoryMark::ALL
                .into_iter()
                .find(|mark| mark.letter() == letter.to_ascii_uppercase())
                .expect("a history letter");
            history.insert(side, mark);
        }
    }
    history
}

fn session(event: &Event<'_>) -> Session {
    event.session.expect("a Zeek record has a session")
}

#[test]
fn completed_ssh_sessions_are_established_connections_that_began_with_a_syn() {
    let data = fixture("zeek-baseline-ssh-basic-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    // The first row: `SF`, history `ShAdDaFf`, 25 packets one way and 20 the other.
    let first = &events[0];
    assert_eq!(first.dst_port, Some(22));
    assert_eq!(first.tcp_flags, Some(TcpFlags::SYN));
    assert_eq!(first.action, Action::Other);
    assert_eq!(first.length, None);
    assert_eq!(
        session(first),
        Session {
            state: ConnState::SF,
            history: history(b"SADF", b"hadf"),
            orig_packets: Some(25),
            resp_packets: Some(20),
            orig_bytes: Some(2669),
            resp_bytes: Some(2501),
            orig_ip_bytes: Some(3981),
            resp_ip_bytes: Some(3549),
            duration_micros: Some(6_159_326),
        }
    );
    let first = session(first);
    assert!(first.established());
    assert!(first.answered());
    assert!(!first.refused());
    assert!(!first.unanswered_attempt());
    // Every completed session of the file reads the same way, whatever its letters' order.
    let completed: Vec<_> = events
        .iter()
        .filter(|e| session(e).state == ConnState::SF)
        .collect();
    assert!(completed.len() > 10);
    for event in completed {
        let s = session(event);
        assert!(s.established() && s.answered() && !s.refused() && !s.unanswered_attempt());
        assert_eq!(event.action, Action::Other);
    }
    // `ShADadFr`: the responder reset an established session, which is no refusal.
    let reset = events
        .iter()
        .find(|e| session(e).state == ConnState::Rstr)
        .unwrap();
    assert_eq!(reset.tcp_flags, Some(TcpFlags::SYN));
    assert!(session(reset).established());
    assert!(!session(reset).refused());
    assert_eq!(reset.action, Action::Other);
}

#[test]
fn s0_scan_probes_are_unanswered_attempts() {
    let data = fixture("fwseen-conn-variants.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let probe = &events[0];
    assert!(probe.is_plain_syn());
    assert_eq!(
        session(probe),
        Session {
            state: ConnState::S0,
            history: history(b"S", b""),
            orig_packets: Some(1),
            resp_packets: Some(0),
            orig_ip_bytes: Some(40),
            resp_ip_bytes: Some(0),
            // `duration`, `orig_bytes` and `resp_bytes` are unset (`-`).
            ..Session::default()
        }
    );
    assert!(session(probe).unanswered_attempt());
    assert!(!session(probe).answered());
    assert!(!session(probe).established());
    // Every S0 TCP row of a baseline is a lone SYN nobody answered.
    let data = fixture("zeek-baseline-cisco-fabric-path-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let s0: Vec<_> = events
        .iter()
        .filter(|e| e.protocol == Protocol::Tcp && session(e).state == ConnState::S0)
        .collect();
    assert!(!s0.is_empty());
    for event in s0 {
        assert!(event.is_plain_syn());
        assert!(session(event).unanswered_attempt());
        assert_eq!(event.action, Action::Other);
    }
}

#[test]
fn rej_rows_are_refused_and_answered() {
    let data = fixture("fwseen-conn-variants.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let rejected = &events[1];
    assert_eq!(rejected.action, Action::Reject);
    assert!(rejected.is_plain_syn());
    assert_eq!(
        session(rejected),
        Session {
            state: ConnState::Rej,
            history: history(b"S", b"r"),
            orig_packets: Some(1),
            resp_packets: Some(1),
            orig_bytes: Some(0),
            resp_bytes: Some(0),
            orig_ip_bytes: Some(44),
            resp_ip_bytes: Some(40),
            duration_micros: Some(100),
        }
    );
    let s = session(rejected);
    assert!(s.refused() && s.answered() && !s.established() && !s.unanswered_attempt());
    // The ping of the same file is OTH and answered (one packet back).
    let ping = session(&events[2]);
    assert_eq!(ping.state, ConnState::Oth);
    assert!(ping.answered());
    assert_eq!(ping.duration_micros, Some(10_000));
    let data = fixture("zeek-baseline-pop3-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    assert!(events
        .iter()
        .all(|e| (session(e).state == ConnState::Rej) == (e.action == Action::Reject)));
}

#[test]
fn mid_stream_records_begin_with_their_first_originator_packet() {
    // `DdA`, OTH: Zeek joined an HTTP connection already under way.
    let data = fixture("zeek-baseline-opt-basic-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let joined = events
        .iter()
        .find(|e| e.protocol == Protocol::Tcp && session(e).state == ConnState::Oth)
        .unwrap();
    assert_eq!(joined.dst_port, Some(80));
    assert_eq!(joined.tcp_flags, Some(TcpFlags::ACK));
    let s = session(joined);
    assert_eq!(s.history, history(b"DA", b"d"));
    assert!(s.answered());
    assert!(!s.established() && !s.refused() && !s.unanswered_attempt());
    // `DaFfA`, SF: joined mid-stream and seen to its end.
    let data = fixture("zeek-baseline-ssh-basic-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let closed = events.iter().find(|e| e.dst_port == Some(8118)).unwrap();
    assert_eq!(closed.tcp_flags, Some(TcpFlags::ACK));
    assert!(session(closed).established());
    // `^r`, RSTRH: only a reset from the responder; the originator sent nothing.
    let data = fixture("zeek-baseline-teredo-conn.log");
    let (events, _, _) = run(&mut tsv(), &data);
    let backscatter = events
        .iter()
        .find(|e| session(e).state == ConnState::Rstrh)
        .unwrap();
    assert_eq!(backscatter.tcp_flags, None);
    let s = session(backscatter);
    assert!(s.history.flipped());
    assert!(s.answered() && !s.refused() && !s.established() && !s.unanswered_attempt());
    // `Fa`, SH: a FIN (Zeek does not say whether with ACK) that the responder acknowledged.
    let fin = events
        .iter()
        .find(|e| session(e).state == ConnState::Sh)
        .unwrap();
    assert_eq!(fin.tcp_flags, Some(TcpFlags::FIN));
    assert!(session(fin).answered());
    assert!(!session(fin).unanswered_attempt());
}

#[test]
fn json_and_tsv_rows_give_the_same_session() {
    let tsv_row = b"1709547072.5\tCx1\t192.0.2.10\t50000\t198.51.100.80\t443\ttcp\tssl\t2.000001\t517\t4000\tSF\tT\tF\t0\tShADadFf\t9\t989\t8\t4420\t-";
    let json_row = br#"{"ts":1709547072.5,"uid":"Cx1","id.orig_h":"192.0.2.10","id.orig_p":50000,"id.resp_h":"198.51.100.80","id.resp_p":443,"proto":"tcp","service":"ssl","duration":2.000001,"orig_bytes":517,"resp_bytes":4000,"conn_state":"SF","local_orig":true,"local_resp":false,"missed_bytes":0,"history":"ShADadFf","orig_pkts":9,"orig_ip_bytes":989,"resp_pkts":8,"resp_ip_bytes":4420}"#;
    let Record::Event(from_tsv) = tsv().parse(tsv_row) else {
        panic!("TSV row")
    };
    let Record::Event(from_json) = json().parse(json_row) else {
        panic!("JSON row")
    };
    assert_eq!(from_tsv, from_json);
    assert_eq!(from_tsv.tcp_flags, Some(TcpFlags::SYN));
    assert_eq!(
        session(&from_tsv),
        Session {
            state: ConnState::SF,
            history: history(b"SADF", b"hadf"),
            orig_packets: Some(9),
            resp_packets: Some(8),
            orig_bytes: Some(517),
            resp_bytes: Some(4000),
            orig_ip_bytes: Some(989),
            resp_ip_bytes: Some(4420),
            duration_micros: Some(2_000_001),
        }
    );
    // Mid-stream, in JSON.
    let Record::Event(joined) = json().parse(
        br#"{"ts":1709547073,"id.orig_h":"192.0.2.10","id.orig_p":50001,"id.resp_h":"198.51.100.80","id.resp_p":443,"proto":"tcp","conn_state":"OTH","history":"^dA","orig_pkts":1,"resp_pkts":1}"#,
    ) else {
        panic!("JSON row")
    };
    assert_eq!(joined.tcp_flags, Some(TcpFlags::ACK));
    assert!(session(&joined).history.flipped());
    assert!(session(&joined).answered());
    // A TSV count that is not a number is unknown; a JSON one of the wrong type is malformed,
    // like every other JSON field.
    let Record::Event(odd) = tsv().parse(b"1709547072.5\tCx1\t192.0.2.10\t50000\t198.51.100.80\t443\ttcp\t-\tsoon\tmany\t0\tS0\tT\tF\t0\tS\t1\t40\t0\t0\t-") else {
        panic!("TSV row")
    };
    assert_eq!(session(&odd).duration_micros, None);
    assert_eq!(session(&odd).orig_bytes, None);
    assert_eq!(session(&odd).resp_bytes, Some(0));
    assert!(matches!(
        json().parse(br#"{"ts":1,"id.orig_h":"192.0.2.10","id.resp_h":"198.51.100.80","duration":"2s"}"#),
        Record::Malformed(m) if m.reason == "a conn.log field has the wrong type"
    ));
    // An unknown or missing state is Unknown, with the record still an event.
    let Record::Event(stateless) = json().parse(
        br#"{"ts":1,"id.orig_h":"192.0.2.10","id.resp_h":"198.51.100.80","proto":"tcp","conn_state":"ZZ"}"#,
    ) else {
        panic!("JSON row")
    };
    assert_eq!(session(&stateless).state, ConnState::Unknown);
    assert_eq!(stateless.tcp_flags, None);
}

#[test]
fn sniffing() {
    let data = fixture("zeek-baseline-pop3-conn.log");
    let all = lines(&data);
    assert!(zeek::looks_like_tsv(all[1]));
    assert!(zeek::looks_like_tsv(all[7]));
    assert!(zeek::looks_like(all[1]));
    let json_data = fixture("fwseen-conn.json");
    let json_lines = lines(&json_data);
    assert!(zeek::looks_like_json(json_lines[0]));
    assert!(zeek::looks_like(json_lines[0]));
    assert!(!zeek::looks_like_tsv(json_lines[0]));
    assert!(!zeek::looks_like_json(all[1]));
    assert!(!zeek::looks_like(
        b"Sep 28 10:38:09 pfSense filterlog: 53,,,1,em0,match,block,in,4"
    ));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn tsv_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = tsv().parse(&bytes);
        }

        #[test]
        fn json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = json().parse(&bytes);
        }

        #[test]
        fn tsv_field_soup_never_panics(fields in proptest::collection::vec("[-0-9A-Za-z:.X]{0,10}", 0..24)) {
            let line = fields.join("\t");
            let _ = tsv().parse(line.as_bytes());
        }
    }
}
