//! Integration tests: every finding kind is found on its labelled scenario with the right source
//! and targets, and the benign look-alikes never turn into scans or compromises.

use std::net::IpAddr;

use fwseen_detect::scenario::{our_host, Label, Scenario};
use fwseen_detect::{summary, Analyzer, Class, Config, Finding, Kind, Lang, Report};
use fwseen_event::{Action, Event, Origin, Protocol, TcpFlags, Timestamp};

fn run(events: &[Event<'_>], config: Config) -> Report {
    let mut analyzer = Analyzer::new(config);
    for event in events {
        analyzer.push(event);
    }
    analyzer.finish()
}

fn scenario_of(kind: Kind, seed: u64) -> (Label, Report) {
    let mut s = Scenario::new(seed);
    let label = s.add(kind);
    let report = run(&s.into_events(), Scenario::config());
    (label, report)
}

fn findings_of(report: &Report, kind: Kind) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.kind == kind.id())
        .collect()
}

/// Checks that the finding for `label` exists once, with its source and targets.
fn assert_found(label: &Label, report: &Report) -> Finding {
    let matching: Vec<&Finding> = findings_of(report, label.kind)
        .into_iter()
        .filter(|f| f.src == label.src)
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "{} from {:?}: expected one finding, got {:#?}",
        label.kind.id(),
        label.src,
        report.findings
    );
    let finding = matching[0].clone();
    for host in &label.hosts {
        assert!(
            finding.targets.hosts.contains(host) || finding.targets.host_count > 32,
            "{}: host {host} missing from {:?}",
            label.kind.id(),
            finding.targets
        );
    }
    assert!(finding.targets.host_count >= label.hosts.len() as u64);
    assert!(finding.targets.port_count >= label.ports.len().min(32) as u64);
    if finding.targets.port_count > 32 {
        // The sample holds the first ports seen; each must be one the pattern used.
        for port in &finding.targets.ports {
            assert!(
                label.ports.contains(port),
                "{}: stray port {port}",
                label.kind.id()
            );
        }
    }
    for port in label
        .ports
        .iter()
        .filter(|_| finding.targets.port_count <= 32)
    {
        assert!(
            finding.targets.ports.contains(port),
            "{}: port {port} missing from {:?}",
            label.kind.id(),
            finding.targets
        );
    }
    for src in &label.sources {
        assert!(finding.other_sources.contains(src), "source {src} missing");
    }
    assert_eq!(finding.class, label.kind.class());
    assert!(finding.evidence.event_count > 0);
    assert!(!finding.evidence.samples.is_empty());
    assert!(finding.first_seen.is_some() && finding.first_seen <= finding.last_seen);
    for lang in [Lang::En, Lang::ZhHant] {
        let line = summary(&finding, lang);
        assert!(!line.contains('?'), "summary lacks an attribute: {line}");
    }
    finding
}

/// No finding of a scan, attack or compromise class.
fn assert_nothing_hostile(report: &Report) {
    let hostile: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| matches!(f.class, Class::Recon | Class::Attack | Class::Compromise))
        .collect();
    assert!(hostile.is_empty(), "unexpected: {hostile:#?}");
}

macro_rules! kind_tests {
    ($($name:ident => $kind:ident;)*) => {
        $(
            #[test]
            fn $name() {
                let (label, report) = scenario_of(Kind::$kind, 11);
                assert_found(&label, &report);
            }
        )*
    };
}

kind_tests! {
    finds_scan_vertical => ScanVertical;
    finds_scan_horizontal => ScanHorizontal;
    finds_scan_block => ScanBlock;
    finds_scan_distributed => ScanDistributed;
    finds_scan_stealth => ScanStealth;
    finds_scan_os_fingerprint => ScanOsFingerprint;
    finds_scan_sscan => ScanSscan;
    finds_scan_proxy => ScanProxy;
    finds_scan_trojan => ScanTrojan;
    finds_scan_rpc => ScanRpc;
    finds_scan_pcanywhere => ScanPcanywhere;
    finds_scan_source_port => ScanSourcePort;
    finds_sweep_ping => SweepPing;
    finds_probe_fraggle => ProbeFraggle;
    finds_probe_reflector => ProbeReflector;
    finds_probe_smurf => ProbeSmurf;
    finds_dos_echo_chargen => DosEchoChargen;
    finds_attack_bruteforce => AttackBruteforce;
    finds_compromise_trojan_outbound => CompromiseTrojanOutbound;
    finds_adware_conducent => AdwareConducent;
    finds_compromise_beacon => CompromiseBeacon;
    finds_benign_traceroute => BenignTraceroute;
    finds_benign_traceroute_reply => BenignTracerouteReply;
    finds_benign_dhcp => BenignDhcp;
    finds_benign_netbios => BenignNetbios;
    finds_benign_ident => BenignIdent;
    finds_benign_late_reply => BenignLateReply;
    finds_benign_nat_source_port => BenignNatSourcePort;
    finds_benign_game => BenignGame;
    finds_benign_streaming => BenignStreaming;
    finds_benign_inoculan => BenignInoculan;
    finds_benign_lan_discovery => BenignLanDiscovery;
    finds_heartbeat_powwow => HeartbeatPowwow;
    finds_scanner_zmap => ScannerZmap;
    finds_scanner_masscan => ScannerMasscan;
    finds_scanner_mirai => ScannerMirai;
}

#[test]
fn every_kind_has_a_scenario_test() {
    // The macro above lists one test per kind; this keeps the list honest when a kind is added.
    let mut s = Scenario::new(3);
    for &kind in Kind::ALL {
        let label = s.add(kind);
        assert_eq!(label.kind, kind);
    }
    assert_eq!(s.labels().len(), Kind::ALL.len());
}

#[test]
fn all_kinds_together_are_each_found() {
    let mut s = Scenario::new(5);
    for &kind in Kind::ALL {
        s.add(kind);
    }
    s.add_lone_probes(40);
    s.add_web_browsing();
    s.add_allowed_https_sessions();
    let labels = s.labels().to_vec();
    let report = run(&s.into_events(), Scenario::config());
    for label in &labels {
        assert_found(label, &report);
    }
}

#[test]
fn stealth_variants_are_named() {
    let cases = [
        (TcpFlags(0), "null"),
        (TcpFlags::FIN, "fin"),
        (TcpFlags(0x01 | 0x08 | 0x20), "xmas"),
        (TcpFlags(0x03), "syn-fin"),
        (TcpFlags::ACK, "ack"),
        (TcpFlags(0x20), "other"),
    ];
    for (flags, variant) in cases {
        let mut s = Scenario::new(9);
        let label = s.add_stealth(flags);
        let report = run(&s.into_events(), Scenario::config());
        let finding = assert_found(&label, &report);
        assert_eq!(finding.attribute("variant"), Some(variant));
        assert!(findings_of(&report, Kind::ScanVertical).is_empty());
    }
}

#[test]
fn trojan_probe_names_the_trojan() {
    let (label, report) = scenario_of(Kind::ScanTrojan, 2);
    let finding = assert_found(&label, &report);
    let name = finding.attribute("trojan").expect("trojan attribute");
    assert!(!name.is_empty());
    assert!(finding.kb_port.is_some(), "kb entry for port 27374");
}

#[test]
fn icmp_traceroute_is_benign() {
    let mut s = Scenario::new(4);
    let label = s.add_icmp_traceroute();
    let report = run(&s.into_events(), Scenario::config());
    let finding = assert_found(&label, &report);
    assert_eq!(finding.attribute("variant"), Some("icmp"));
    assert_nothing_hostile(&report);
}

#[test]
fn benign_patterns_are_never_scans() {
    for kind in [
        Kind::BenignTraceroute,
        Kind::BenignStreaming,
        Kind::BenignDhcp,
        Kind::BenignNetbios,
        Kind::BenignGame,
        Kind::BenignLateReply,
        Kind::BenignNatSourcePort,
        Kind::BenignTracerouteReply,
        Kind::BenignInoculan,
        Kind::BenignLanDiscovery,
        Kind::BenignIdent,
        Kind::HeartbeatPowwow,
    ] {
        let (_, report) = scenario_of(kind, 21);
        assert_nothing_hostile(&report);
        assert_eq!(report.stats.lone_probes, 0, "{}", kind.id());
    }
}

#[test]
fn benign_patterns_interleaved_with_a_scan_stay_benign() {
    // The traceroute and the stream share their source with nothing hostile; the vertical scan
    // runs at the same time. Only the scan is hostile.
    let mut s = Scenario::new(8);
    let scan = s.add(Kind::ScanVertical);
    let mut t = Scenario::new(8_000);
    t.add(Kind::BenignTraceroute);
    t.add(Kind::BenignStreaming);
    let mut events = s.into_events();
    events.extend(t.into_events());
    events.sort_by_key(|e| e.time.map(|t| t.unix_micros));
    let report = run(&events, Scenario::config());
    let hostile: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.class == Class::Recon)
        .collect();
    assert_eq!(hostile.len(), 1, "{hostile:#?}");
    assert_eq!(hostile[0].src, scan.src);
}

#[test]
fn lone_probes_are_counted_not_reported() {
    let mut s = Scenario::new(12);
    s.add_lone_probes(50);
    let report = run(&s.into_events(), Scenario::config());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.stats.lone_probes, 50);
}

#[test]
fn a_trojan_hunt_is_recon_not_compromise() {
    // Without home nets and without a direction, probes of backdoor ports from outside are
    // someone hunting, never one of ours being infected.
    let (label, _) = scenario_of(Kind::ScanTrojan, 14);
    let mut s = Scenario::new(14);
    s.add(Kind::ScanTrojan);
    let report = run(&s.into_events(), Config::default());
    assert_eq!(findings_of(&report, Kind::ScanTrojan).len(), 1);
    assert!(report.findings.iter().all(|f| f.class != Class::Compromise));
    assert_eq!(report.findings[0].src, label.src);
}

#[test]
fn web_browsing_is_not_a_beacon_or_a_scan() {
    let mut s = Scenario::new(15);
    s.add_web_browsing();
    let report = run(&s.into_events(), Scenario::config());
    assert_nothing_hostile(&report);
}

#[test]
fn allowed_outbound_https_sessions_are_not_compromise() {
    let mut s = Scenario::new(16);
    s.add_allowed_https_sessions();
    let report = run(&s.into_events(), Scenario::config());
    assert_nothing_hostile(&report);
}

#[test]
fn a_long_scan_is_one_finding_across_windows() {
    // One source scanning one host slowly for three hours: several windows, one finding.
    let src: IpAddr = "45.9.9.9".parse().unwrap();
    let host = our_host(7);
    let start = 1_709_251_200i64 * 1_000_000;
    let events: Vec<Event<'static>> = (0..360u16)
        .map(|i| Event {
            time: Some(Timestamp {
                unix_micros: start + i64::from(i) * 30 * 1_000_000,
                original_offset_seconds: None,
            }),
            protocol: Protocol::Tcp,
            src: Some(src),
            dst: Some(host),
            src_port: Some(40_000),
            dst_port: Some(1000 + i),
            tcp_flags: Some(TcpFlags::SYN),
            origin: Origin {
                input: 0,
                record: u64::from(i) + 1,
            },
            ..Event::default()
        })
        .collect();
    let report = run(&events, Scenario::config());
    let scans = findings_of(&report, Kind::ScanVertical);
    assert_eq!(scans.len(), 1, "{:#?}", report.findings);
    assert_eq!(scans[0].evidence.event_count, 360);
    assert!(scans[0].targets.port_count > 300);
}

#[test]
fn slight_disorder_is_tolerated() {
    let mut s = Scenario::new(17);
    let label = s.add(Kind::ScanVertical);
    let mut events = s.into_events();
    // Swap neighbours: a second firewall's log interleaved a little late.
    for pair in events.chunks_mut(2) {
        pair.reverse();
    }
    let report = run(&events, Scenario::config());
    assert_found(&label, &report);
    assert!(report.stats.events_out_of_order > 0);
}

#[test]
fn inferred_network_without_home_nets() {
    // No home nets: an inside (RFC 1918) host calling a backdoor port is compromise.
    let mut s = Scenario::new(18);
    let label = s.add(Kind::CompromiseTrojanOutbound);
    let report = run(&s.into_events(), Config::default());
    assert_found(&label, &report);
}

#[test]
fn memory_stays_bounded() {
    let cap = 10_000;
    let config = Config {
        max_tracked_sources: cap,
        ..Scenario::config()
    };
    let mut analyzer = Analyzer::new(config);
    let start = 1_709_251_200i64 * 1_000_000;
    let mut max_tracked = 0;
    for i in 0..200_000u32 {
        let source = i % 100_000;
        let src = IpAddr::V4((0x2d00_0000 | (source * 7919 % 0x00ff_ffff)).into());
        let event = Event {
            time: Some(Timestamp {
                unix_micros: start + i64::from(i) * 1_000,
                original_offset_seconds: None,
            }),
            protocol: Protocol::Tcp,
            src: Some(src),
            dst: Some(our_host((i % 200) as u8 + 1)),
            src_port: Some(40_000),
            dst_port: Some(20_000 + (i % 3000) as u16),
            tcp_flags: Some(TcpFlags::SYN),
            origin: Origin {
                input: 0,
                record: u64::from(i) + 1,
            },
            ..Event::default()
        };
        analyzer.push(&event);
        max_tracked = max_tracked.max(analyzer.tracked_sources());
    }
    assert!(max_tracked <= cap, "tracked {max_tracked}");
    let report = analyzer.finish();
    assert!(report.stats.sources_evicted > 0);
    assert!(report.stats.peak_tracked_sources <= cap);
    assert_eq!(report.stats.events, 200_000);
}

/// Issue 17: the heat map held one column per hour from the first event to the last, so two
/// events far apart in time cost memory in proportion to the gap (40 GB for Zeek times of
/// ±9e12 s). Per-time statistics now hold only hours that had events.
#[test]
fn per_hour_statistics_are_sized_by_events_not_by_the_time_between_them() {
    let at = |micros: i64, port: u16| Event {
        time: Some(Timestamp::from_unix_micros(micros)),
        action: Action::Drop,
        protocol: Protocol::Tcp,
        src: Some("198.51.100.7".parse().unwrap()),
        dst: Some("203.0.113.9".parse().unwrap()),
        src_port: Some(40_000),
        dst_port: Some(port),
        tcp_flags: Some(TcpFlags::SYN),
        ..Event::default()
    };
    // The two ends of the time window, then a second event in the last hour and one 300 days
    // before it.
    let last = Timestamp::WINDOW_END - 1;
    let events = [
        at(Timestamp::WINDOW_START, 22),
        at(last - 300 * 86_400_000_000, 23),
        at(last - 1_000_000, 22),
        at(last, 22),
    ];
    let report = run(&events, Config::default());
    let stats = &report.stats;
    assert_eq!(stats.hours.len(), 3, "{:?}", stats.hours);
    // The heat map reaches a year back from the last event, and lists only hours with events.
    let heat = &stats.heat_map;
    assert_eq!(heat.hours.len(), 2, "{:?}", heat.hours);
    assert!(heat.counts.iter().all(|row| row.len() == 2));
    assert_eq!(heat.counts.iter().flatten().sum::<u64>(), 3);
    // Spans between the first and last times do not overflow.
    for finding in &report.findings {
        if let Some(seconds) = finding.duration_seconds() {
            assert!((0.0..5e9).contains(&seconds), "{seconds}");
        }
    }
}

#[test]
fn stats_count_ports_hours_and_sources() {
    let mut s = Scenario::new(19);
    let scan = s.add(Kind::AttackBruteforce);
    s.add_lone_probes(10);
    let report = run(&s.into_events(), Scenario::config());
    let stats = &report.stats;
    assert_eq!(stats.events, 40);
    assert_eq!(stats.top_ports[0].port, 22);
    assert_eq!(stats.top_ports[0].events, 30);
    assert_eq!(stats.top_sources[0].src, scan.src.unwrap());
    assert!(!stats.hours.is_empty());
    assert_eq!(stats.heat_map.ports[0], (Protocol::Tcp, 22));
    assert_eq!(stats.heat_map.counts[0].iter().sum::<u64>(), 30);
    assert_eq!(stats.heat_map.hours.len(), stats.heat_map.counts[0].len());
    assert_eq!(stats.lone_probes, 10);
    assert_eq!(stats.events_by_class.recon, 40);
}

#[test]
fn summaries_in_both_languages() {
    let (_, report) = scenario_of(Kind::ScanHorizontal, 20);
    let finding = &report.findings[0];
    let en = summary(finding, Lang::En);
    let zh = summary(finding, Lang::ZhHant);
    assert!(
        en.contains("30 hosts") && en.contains("port 23/tcp"),
        "{en}"
    );
    assert!(zh.contains("30 台主機"), "{zh}");
}

#[test]
fn outbound_scans_are_high_severity() {
    // An inside host refused while probing many outside hosts on 445 (a worm).
    let mut s = Scenario::new(22);
    let src = s.inside();
    let mut events = Vec::new();
    for i in 0..20 {
        let dst = s.outside();
        events.push(Event {
            time: Some(Timestamp {
                unix_micros: 1_709_251_200_000_000 + i * 1_000_000,
                original_offset_seconds: None,
            }),
            protocol: Protocol::Tcp,
            src: Some(src),
            dst: Some(dst),
            src_port: Some(50_000),
            dst_port: Some(445),
            tcp_flags: Some(TcpFlags::SYN),
            ..Event::default()
        });
    }
    let report = run(&events, Scenario::config());
    let scans = findings_of(&report, Kind::ScanHorizontal);
    assert_eq!(scans.len(), 1, "{:#?}", report.findings);
    assert_eq!(scans[0].severity, fwseen_detect::Severity::High);
    assert_eq!(scans[0].attribute("direction"), Some("outbound"));
}

#[test]
fn conducent_addresses_are_adware_on_any_port() {
    let src: IpAddr = "10.1.0.99".parse().unwrap();
    let dst: IpAddr = "216.33.199.80".parse().unwrap();
    let events: Vec<Event<'static>> = (0..4)
        .map(|i| Event {
            time: Some(Timestamp {
                unix_micros: 1_709_251_200_000_000 + i * 10_000_000,
                original_offset_seconds: None,
            }),
            protocol: Protocol::Tcp,
            src: Some(src),
            dst: Some(dst),
            src_port: Some(50_000),
            dst_port: Some(80),
            tcp_flags: Some(TcpFlags::SYN),
            ..Event::default()
        })
        .collect();
    let report = run(&events, Scenario::config());
    let found = findings_of(&report, Kind::AdwareConducent);
    assert_eq!(found.len(), 1, "{:#?}", report.findings);
    assert_eq!(found[0].src, Some(src));
    assert_eq!(found[0].kb_port, Some("conducent"));
}

#[test]
fn bruteforce_rotating_over_three_hosts_is_one_story() {
    // Accepted connections (they reached the login service) rotating over three hosts: one
    // brute-force finding for the source, naming the three hosts.
    let src: IpAddr = "45.7.7.7".parse().unwrap();
    let hosts = [our_host(1), our_host(2), our_host(3)];
    let events: Vec<Event<'static>> = (0..36)
        .map(|i| Event {
            time: Some(Timestamp {
                unix_micros: 1_709_251_200_000_000 + i * 5_000_000,
                original_offset_seconds: None,
            }),
            protocol: Protocol::Tcp,
            src: Some(src),
            dst: Some(hosts[(i % 3) as usize]),
            src_port: Some(40_000 + i as u16),
            dst_port: Some(3389),
            tcp_flags: Some(TcpFlags::SYN),
            action: Action::Allow,
            origin: Origin {
                input: 0,
                record: i as u64 + 1,
            },
            ..Event::default()
        })
        .collect();
    let report = run(&events, Scenario::config());
    let found = findings_of(&report, Kind::AttackBruteforce);
    assert_eq!(found.len(), 1, "{:#?}", report.findings);
    assert_eq!(found[0].evidence.event_count, 36);
    assert!(found[0].first_seen.is_some());
    assert_eq!(found[0].targets.host_count, 3);
}

#[test]
fn dropped_login_attempts_are_retries_not_bruteforce() {
    // The same 36 attempts, dropped: they never reached the service.
    let src: IpAddr = "45.7.7.8".parse().unwrap();
    let host = our_host(4);
    let events: Vec<Event<'static>> = (0..36)
        .map(|i| Event {
            time: Some(Timestamp {
                unix_micros: 1_709_251_200_000_000 + i * 60_000_000,
                original_offset_seconds: None,
            }),
            protocol: Protocol::Tcp,
            src: Some(src),
            dst: Some(host),
            src_port: Some(40_000 + i as u16),
            dst_port: Some(3389),
            tcp_flags: Some(TcpFlags::SYN),
            action: Action::Drop,
            ..Event::default()
        })
        .collect();
    let report = run(&events, Scenario::config());
    assert!(findings_of(&report, Kind::AttackBruteforce).is_empty());
    assert_eq!(
        findings_of(&report, Kind::NoiseRetry).len(),
        1,
        "{:#?}",
        report.findings
    );
}

#[test]
fn an_address_probed_by_many_sources_is_learned_as_ours() {
    // No home nets, no directions, public addresses only: 198.18.5.5 is probed by six sources,
    // so when it later calls a backdoor port outside, that is one of ours being compromised.
    let ours: IpAddr = "198.18.5.5".parse().unwrap();
    let start = 1_709_251_200_000_000i64;
    let mut events: Vec<Event<'static>> = Vec::new();
    for i in 0..6u8 {
        events.push(Event {
            time: Some(Timestamp {
                unix_micros: start + i64::from(i) * 1_000_000,
                original_offset_seconds: None,
            }),
            protocol: Protocol::Tcp,
            src: Some(IpAddr::from([45, 20, 1, 10 + i])),
            dst: Some(ours),
            src_port: Some(40_000),
            dst_port: Some(22),
            tcp_flags: Some(TcpFlags::SYN),
            ..Event::default()
        });
    }
    for i in 0..3 {
        events.push(Event {
            time: Some(Timestamp {
                unix_micros: start + 60_000_000 + i * 10_000_000,
                original_offset_seconds: None,
            }),
            protocol: Protocol::Tcp,
            src: Some(ours),
            dst: Some("77.9.9.9".parse().unwrap()),
            // Three attempts, each from a new source port (one port would be retransmissions).
            src_port: Some(50_000 + i as u16),
            dst_port: Some(12345),
            tcp_flags: Some(TcpFlags::SYN),
            ..Event::default()
        });
    }
    let report = run(&events, Config::default());
    let found = findings_of(&report, Kind::CompromiseTrojanOutbound);
    assert_eq!(found.len(), 1, "{:#?}", report.findings);
    assert_eq!(found[0].src, Some(ours));
    assert!(findings_of(&report, Kind::ScanTrojan).is_empty());
}

/// A packet at `second` seconds into the regression scenarios below.
#[allow(clippy::too_many_arguments)]
fn packet(
    second: i64,
    protocol: Protocol,
    src: &str,
    src_port: u16,
    dst: &str,
    dst_port: u16,
    flags: Option<TcpFlags>,
    action: Action,
) -> Event<'static> {
    Event {
        time: Some(Timestamp {
            unix_micros: 1_772_323_200_000_000 + second * 1_000_000,
            original_offset_seconds: None,
        }),
        action,
        protocol,
        src: Some(src.parse().unwrap()),
        dst: Some(dst.parse().unwrap()),
        src_port: Some(src_port),
        dst_port: Some(dst_port),
        tcp_flags: flags,
        ..Event::default()
    }
}

fn lan_config() -> Config {
    Config {
        home_nets: vec![
            "10.1.0.0/16".parse().unwrap(),
            "203.0.113.0/24".parse().unwrap(),
        ],
        ..Config::default()
    }
}

#[test]
fn regression_lan_dns_and_ssdp_to_the_gateway_are_not_reflector_probing() {
    // A LAN host's allowed DNS queries and unicast SSDP to the gateway are service use.
    let mut events = Vec::new();
    for i in 0..8 {
        let (port, sport) = if i % 2 == 0 {
            (53, 50_000 + i as u16)
        } else {
            (1900, 1900)
        };
        events.push(packet(
            i * 20,
            Protocol::Udp,
            "10.1.0.7",
            sport,
            "10.1.0.1",
            port,
            None,
            Action::Allow,
        ));
    }
    let report = run(&events, lan_config());
    assert_nothing_hostile(&report);
    // One of ours querying outside resolvers is not reflector probing either.
    let outbound: Vec<Event<'static>> = (0..6)
        .map(|i| {
            let dst = format!("9.9.9.{}", 1 + i);
            packet(
                i * 5,
                Protocol::Udp,
                "10.1.0.8",
                40_000,
                &dst,
                53,
                None,
                Action::Drop,
            )
        })
        .collect();
    assert!(findings_of(&run(&outbound, lan_config()), Kind::ProbeReflector).is_empty());
    // Outsiders probing our amplification services still are.
    let inbound: Vec<Event<'static>> = [19u16, 53, 123, 161, 1900]
        .iter()
        .enumerate()
        .map(|(i, &port)| {
            packet(
                i as i64,
                Protocol::Udp,
                "45.3.1.20",
                40_000,
                "203.0.113.9",
                port,
                None,
                Action::Drop,
            )
        })
        .collect();
    assert_eq!(
        findings_of(&run(&inbound, lan_config()), Kind::ProbeReflector).len(),
        1
    );
}

#[test]
fn regression_stealth_scans_touching_113_are_not_also_ident() {
    // A FIN scan that crosses 113, and an XMAS scan beside one SYN to 113: both are scans only.
    let mut events = Vec::new();
    for (i, port) in [110u16, 111, 112, 113, 114, 115].into_iter().enumerate() {
        events.push(packet(
            i as i64,
            Protocol::Tcp,
            "45.3.1.10",
            40_000,
            "203.0.113.20",
            port,
            Some(TcpFlags::FIN),
            Action::Drop,
        ));
    }
    for (i, port) in [21u16, 22, 23, 25].into_iter().enumerate() {
        events.push(packet(
            i as i64,
            Protocol::Tcp,
            "45.3.1.11",
            40_000,
            "203.0.113.21",
            port,
            Some(TcpFlags(
                TcpFlags::FIN.0 | TcpFlags::PSH.0 | TcpFlags::URG.0,
            )),
            Action::Drop,
        ));
    }
    events.push(packet(
        5,
        Protocol::Tcp,
        "45.3.1.11",
        40_001,
        "203.0.113.21",
        113,
        Some(TcpFlags::SYN),
        Action::Drop,
    ));
    let report = run(&events, lan_config());
    assert_eq!(
        findings_of(&report, Kind::ScanStealth).len(),
        2,
        "{:#?}",
        report.findings
    );
    assert!(
        findings_of(&report, Kind::BenignIdent).is_empty(),
        "{:#?}",
        report.findings
    );
    // A SYN to 113 is an ident query when it follows our own connection to the asking server,
    let ident = [
        packet(
            0,
            Protocol::Tcp,
            "203.0.113.25",
            40_001,
            "45.3.1.30",
            25,
            Some(TcpFlags::SYN),
            Action::Allow,
        ),
        packet(
            1,
            Protocol::Tcp,
            "45.3.1.30",
            40_000,
            "203.0.113.25",
            113,
            Some(TcpFlags::SYN),
            Action::Drop,
        ),
    ];
    assert_eq!(
        findings_of(&run(&ident, lan_config()), Kind::BenignIdent).len(),
        1
    );
    // and a probe of port 113 like any other without it.
    assert!(findings_of(&run(&ident[1..], lan_config()), Kind::BenignIdent).is_empty());
}

#[test]
fn regression_ssh_attempts_are_not_pcanywhere_hunting() {
    // SSH password guessing (and nmap's OS probes at 22) touch 22/tcp only: not pcAnywhere.
    let events: Vec<Event<'static>> = (0..15)
        .map(|i| {
            packet(
                i * 3,
                Protocol::Tcp,
                "45.3.1.23",
                40_000 + i as u16,
                "203.0.113.22",
                22,
                Some(TcpFlags::SYN),
                Action::Allow,
            )
        })
        .collect();
    let report = run(&events, lan_config());
    assert_eq!(findings_of(&report, Kind::AttackBruteforce).len(), 1);
    assert!(
        findings_of(&report, Kind::ScanPcanywhere).is_empty(),
        "{:#?}",
        report.findings
    );
    // pcAnywhere's status probe, UDP 22 from 5632, is.
    let status: Vec<Event<'static>> = (0..3)
        .map(|i| {
            let dst = format!("203.0.113.{}", 40 + i);
            packet(
                i,
                Protocol::Udp,
                "45.3.1.16",
                5632,
                &dst,
                22,
                None,
                Action::Drop,
            )
        })
        .collect();
    assert_eq!(
        findings_of(&run(&status, lan_config()), Kind::ScanPcanywhere).len(),
        1
    );
}

#[test]
fn a_zmap_sweep_is_a_scan_whose_tool_is_named() {
    // The fingerprint names the tool inside the scan's story; the scan is reported by its shape
    // (docs/findings.md), once.
    let events: Vec<Event<'static>> = (0..20)
        .map(|i| {
            let dst = format!("203.0.113.{}", 100 + i);
            let mut event = packet(
                i,
                Protocol::Tcp,
                "45.3.1.25",
                41_000,
                &dst,
                23,
                Some(TcpFlags::SYN),
                Action::Drop,
            );
            event.ip_id = Some(54_321);
            event
        })
        .collect();
    let report = run(&events, lan_config());
    assert!(findings_of(&report, Kind::ScannerZmap).is_empty());
    let scans = findings_of(&report, Kind::ScanHorizontal);
    assert_eq!(scans.len(), 1);
    assert_eq!(scans[0].attribute("tool"), Some("zmap"));
}

#[test]
fn regression_an_rpc_scan_is_not_also_reflector_probing() {
    // The portmapper (111/udp) is also an amplifier, but probing it is RPC hunting.
    let mut events: Vec<Event<'static>> = (0..6)
        .map(|i| {
            let dst = format!("203.0.113.{}", 50 + i);
            packet(
                i,
                Protocol::Udp,
                "45.3.1.15",
                800,
                &dst,
                111,
                None,
                Action::Drop,
            )
        })
        .collect();
    for (i, port) in [32_771u16, 635, 2049].into_iter().enumerate() {
        events.push(packet(
            10 + i as i64,
            Protocol::Tcp,
            "45.3.1.15",
            40_000,
            "203.0.113.50",
            port,
            Some(TcpFlags::SYN),
            Action::Drop,
        ));
    }
    let report = run(&events, lan_config());
    assert_eq!(findings_of(&report, Kind::ScanRpc).len(), 1);
    assert!(
        findings_of(&report, Kind::ProbeReflector).is_empty(),
        "{:#?}",
        report.findings
    );
}

#[test]
fn regression_retries_at_one_proxy_port_are_not_a_proxy_hunt() {
    // One connection attempt to 8080 with two SYN retransmissions, and a prober coming back to
    // the same port of the same host, are not hunting for proxies.
    let events: Vec<Event<'static>> = [0i64, 3, 9, 600, 1200]
        .iter()
        .map(|&second| {
            packet(
                second,
                Protocol::Tcp,
                "45.3.1.13",
                40_000,
                "203.0.113.30",
                8080,
                Some(TcpFlags::SYN),
                Action::Drop,
            )
        })
        .collect();
    let report = run(&events, lan_config());
    assert_nothing_hostile(&report);
    // The same probes across three hosts are.
    let hunt: Vec<Event<'static>> = (0..3)
        .map(|i| {
            let dst = format!("203.0.113.{}", 30 + i);
            packet(
                i,
                Protocol::Tcp,
                "45.3.1.13",
                40_000,
                &dst,
                8080,
                Some(TcpFlags::SYN),
                Action::Drop,
            )
        })
        .collect();
    assert_eq!(
        findings_of(&run(&hunt, lan_config()), Kind::ScanProxy).len(),
        1
    );
}
