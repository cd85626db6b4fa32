//! Round trips through the real parsers: every generated line must parse back (with
//! fwseen-parse) to exactly the event the packet promises for its format, the labels must point
//! at the right lines, and the three formats must carry the same packets.

use std::net::IpAddr;

use fwseen_event::Event;
use fwseen_gen::{
    expected_event, Generator, GeneratorConfig, Kind, Label, LogFormat, Packet, RenderOptions,
    Renderer,
};
use fwseen_parse::netfilter::NetfilterParser;
use fwseen_parse::pf::FilterlogParser;
use fwseen_parse::windows::WindowsFirewallParser;
use fwseen_parse::{sniff, Format, FormatKind, Record, TimeContext};

/// The year the generated traffic is in (RFC 3164 lines carry none).
const YEAR: i32 = 2026;

fn parser(format: LogFormat) -> Box<dyn Format> {
    let time = TimeContext::utc(YEAR);
    match format {
        LogFormat::Netfilter => Box::new(NetfilterParser::new(time)),
        LogFormat::PfFilterlog => Box::new(FilterlogParser::new(time)),
        LogFormat::WindowsFirewall => Box::new(WindowsFirewallParser::new(time)),
    }
}

fn fwseen_kind(format: LogFormat) -> FormatKind {
    match format {
        LogFormat::Netfilter => FormatKind::Netfilter,
        LogFormat::PfFilterlog => FormatKind::PfFilterlog,
        LogFormat::WindowsFirewall => FormatKind::WindowsFirewall,
    }
}

/// Renders all packets, with the format's header, into one log.
fn render_log(format: LogFormat, options: RenderOptions, packets: &[Packet]) -> Vec<u8> {
    let mut renderer = Renderer::new(format, options);
    let mut log = format.header().to_vec();
    for packet in packets {
        renderer.render(packet, &mut log);
    }
    log
}

fn lines(log: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = log.split(|&b| b == b'\n').collect();
    assert_eq!(lines.pop(), Some(&b""[..]), "the log ends with a line end");
    lines
}

/// Parses a rendered log and checks every packet line against its expected event.
fn assert_round_trip(format: LogFormat, options: RenderOptions, packets: &[Packet]) {
    let log = render_log(format, options, packets);
    assert_eq!(
        sniff(&log),
        Some(fwseen_kind(format)),
        "{format:?} is sniffed as itself"
    );
    let all = lines(&log);
    let header_lines = format.header_lines() as usize;
    assert_eq!(all.len(), header_lines + packets.len());
    let mut parser = parser(format);
    for line in &all[..header_lines] {
        assert!(matches!(parser.parse(line), Record::Skipped(_)));
    }
    for (line, packet) in all[header_lines..].iter().zip(packets) {
        let expected = expected_event(format, options, packet);
        match parser.parse(line) {
            Record::Event(event) => assert_eq!(
                event,
                expected,
                "{format:?} line {}",
                String::from_utf8_lossy(line)
            ),
            other => panic!(
                "{format:?} line not an event: {other:?}: {}",
                String::from_utf8_lossy(line)
            ),
        }
    }
}

fn mixed(seed: u64, count: u64) -> (Vec<Packet>, Vec<Label>) {
    let mut generator = Generator::new(GeneratorConfig::mixed(seed, count));
    let packets: Vec<Packet> = generator.by_ref().collect();
    (packets, generator.finish())
}

#[test]
fn every_format_parses_back_the_mixed_traffic() {
    let (packets, _) = mixed(42, 40_000);
    assert!(packets.iter().any(|p| p.is_ipv6()));
    for format in LogFormat::ALL {
        assert_round_trip(format, RenderOptions::default(), &packets);
    }
    let with_sequence = RenderOptions {
        netfilter_tcp_sequence: true,
    };
    assert_round_trip(LogFormat::Netfilter, with_sequence, &packets[..5_000]);
}

#[test]
fn every_format_parses_back_the_catalogue() {
    for seed in [1, 2, 3] {
        let (packets, labels) = Generator::catalogue(seed);
        assert_eq!(
            labels
                .iter()
                .map(|l| l.kind)
                .collect::<std::collections::HashSet<Kind>>()
                .len(),
            Kind::ALL.len()
        );
        for format in LogFormat::ALL {
            assert_round_trip(format, RenderOptions::default(), &packets);
        }
    }
}

#[test]
fn netfilter_lines_are_about_250_bytes() {
    let (packets, _) = mixed(7, 20_000);
    let log = render_log(LogFormat::Netfilter, RenderOptions::default(), &packets);
    let average = log.len() as f64 / packets.len() as f64;
    assert!(
        (225.0..275.0).contains(&average),
        "average line {average} bytes"
    );
}

/// The parsed event of every line, per format.
fn parse_all(format: LogFormat, packets: &[Packet]) -> Vec<Event<'static>> {
    let log = render_log(format, RenderOptions::default(), packets);
    let log: &'static [u8] = Box::leak(log.into_boxed_slice());
    let mut parser = parser(format);
    lines(log)
        .into_iter()
        .filter_map(|line| match parser.parse(line) {
            Record::Event(event) => Some(event),
            _ => None,
        })
        .collect()
}

#[test]
fn the_three_formats_carry_the_same_packets() {
    let (packets, _) = mixed(9, 5_000);
    let netfilter = parse_all(LogFormat::Netfilter, &packets);
    let pf = parse_all(LogFormat::PfFilterlog, &packets);
    let windows = parse_all(LogFormat::WindowsFirewall, &packets);
    assert_eq!(netfilter.len(), packets.len());
    assert_eq!(pf.len(), packets.len());
    assert_eq!(windows.len(), packets.len());
    for ((a, b), c) in netfilter.iter().zip(&pf).zip(&windows) {
        for other in [b, c] {
            assert_eq!(
                (a.time, a.action, a.protocol, a.src, a.dst, a.src_port, a.dst_port),
                (
                    other.time,
                    other.action,
                    other.protocol,
                    other.src,
                    other.dst,
                    other.src_port,
                    other.dst_port
                )
            );
        }
    }
}

#[test]
fn labels_point_at_their_lines() {
    let (packets, labels) = mixed(5, 30_000);
    assert!(labels.len() > 50);
    for format in LogFormat::ALL {
        let events = parse_all(format, &packets);
        for label in &labels {
            let first = &events[(label.first_event - 1) as usize];
            let last = &events[(label.last_event - 1) as usize];
            match label.src {
                Some(src) => {
                    assert_eq!(first.src, Some(src), "{format:?} {label:?}");
                    assert_eq!(last.src, Some(src), "{format:?} {label:?}");
                }
                None => assert!(label.sources.iter().any(|s| Some(*s) == first.src)),
            }
            let targets: Vec<IpAddr> = label.hosts.clone();
            assert!(
                targets.contains(&first.dst.expect("dst")),
                "{format:?} {label:?}"
            );
        }
    }
}
