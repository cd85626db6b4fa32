//! Fact tests for the knowledge beyond the seed FAQ: today's commonly probed ports
//! (data/ports-modern.toml), ICMP and ICMPv6 (data/icmp.toml), special addresses
//! (data/addresses.toml) and OS ephemeral ranges (data/ephemeral.toml).
//!
//! Each test pins a fact a user relies on when reading `fwseen explain` output, through the
//! public lookup API only, so a wrong range, protocol, tag or text in the data fails here.

use std::net::IpAddr;

use fwseen_event::Protocol;
use fwseen_kb::*;

/// The modern (non-seed) entry covering `port` for `proto`, narrowest first.
fn modern(port: u16, proto: Protocol) -> &'static PortEntry {
    ports_at(port, Some(proto))
        .find(|e| !e.seed)
        .unwrap_or_else(|| panic!("no modern entry for {port}/{proto:?}"))
}

/// Both languages of an entry's main texts joined, for "mentions" checks.
fn english(e: &PortEntry) -> String {
    let mut text = format!(
        "{} {} {} {} {}",
        e.name, e.title.en, e.meaning.en, e.benign_or_hostile.en, e.advice.en
    );
    for extra in [e.era, e.outbound].into_iter().flatten() {
        text.push(' ');
        text.push_str(extra.en);
    }
    text
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test address parses")
}

fn address_id(text: &str) -> Option<&'static str> {
    address(ip(text)).map(|e| e.id)
}

/// The tags of the most specific block containing `text` (which must be in one).
fn address_tags(text: &str) -> &'static [&'static str] {
    address(ip(text)).expect("a special block").tags
}

/// What the most specific block containing `text` means as a source, in English.
fn as_source(text: &str) -> &'static str {
    address(ip(text)).expect("a special block").as_source.en
}

fn ephemeral_ids(port: u16) -> Vec<&'static str> {
    ephemeral_at(port).map(|e| e.id).collect()
}

// ---------------------------------------------------------------- ports

#[test]
fn at_least_seventy_modern_port_entries() {
    let count = all_ports().iter().filter(|e| !e.seed).count();
    assert!(count >= 70, "only {count} modern port entries");
}

#[test]
fn modern_entries_never_share_a_port_and_protocol_with_the_seed() {
    for modern_entry in all_ports().iter().filter(|e| !e.seed) {
        for seed_entry in all_ports().iter().filter(|e| e.seed) {
            let overlap =
                modern_entry.low <= seed_entry.high && seed_entry.low <= modern_entry.high;
            let shared_protocol = modern_entry.protocols.0 & seed_entry.protocols.0 != 0;
            assert!(
                !(overlap && shared_protocol),
                "{} ({}-{}) collides with seed entry {} ({}-{})",
                modern_entry.id,
                modern_entry.low,
                modern_entry.high,
                seed_entry.id,
                seed_entry.low,
                seed_entry.high
            );
        }
    }
}

#[test]
fn smb_445_is_eternalblue_wannacry_notpetya() {
    let e = modern(445, Protocol::Tcp);
    let text = english(e);
    for word in ["EternalBlue", "WannaCry", "NotPetya", "MS17-010"] {
        assert!(text.contains(word), "445 text lacks {word}");
    }
    assert!(e.has_tag("netbios"));
    assert!(
        e.outbound.is_some(),
        "445 must say what an inside host sending there means"
    );
}

#[test]
fn rdp_3389_mentions_bluekeep_and_is_a_brute_force_target() {
    let e = modern(3389, Protocol::Tcp);
    assert!(english(e).contains("BlueKeep"));
    assert!(e.has_tag("auth") && e.has_tag("remote-admin"));
}

#[test]
fn slammer_is_udp_1434_only() {
    let e = modern(1434, Protocol::Udp);
    assert!(english(e).contains("Slammer"));
    assert!(
        english(e).contains("376"),
        "the worm's single 376-byte packet"
    );
    assert!(ports_at(1434, Some(Protocol::Tcp)).all(|e| e.id != "mssql-browser-slammer"));
    assert!(modern(1433, Protocol::Tcp).has_tag("database"));
}

#[test]
fn mirai_ports() {
    let telnet_alt = modern(2323, Protocol::Tcp);
    assert!(english(telnet_alt).contains("Mirai"));
    assert!(telnet_alt.has_tag("iot") && telnet_alt.has_tag("auth"));

    let tr069 = modern(7547, Protocol::Tcp);
    assert!(english(tr069).contains("TR-069"));
    assert!(english(tr069).contains("2016"));
    assert!(tr069.has_tag("iot"));

    let huawei = modern(37215, Protocol::Tcp);
    assert!(english(huawei).contains("Huawei"));
    assert!(english(huawei).contains("CVE-2017-17215"));

    let realtek = modern(52869, Protocol::Tcp);
    assert!(english(realtek).contains("Realtek"));
    assert!(english(realtek).contains("CVE-2014-8361"));

    assert!(english(modern(5555, Protocol::Tcp)).contains("ADB"));
}

#[test]
fn amplification_reflectors_are_tagged_on_udp() {
    for port in [123, 389, 1900, 3702, 11211, 1434, 5683, 10001] {
        assert!(
            port_has_tag(port, Protocol::Udp, "reflector"),
            "{port}/udp should be tagged reflector"
        );
    }
    // LDAP over TCP is a login service, not a reflector; CLDAP over UDP is the reflector.
    assert!(!port_has_tag(389, Protocol::Tcp, "reflector"));
    assert!(port_has_tag(389, Protocol::Tcp, "auth"));
    assert!(english(modern(123, Protocol::Udp)).contains("monlist"));
    assert!(english(modern(11211, Protocol::Udp)).contains("GitHub"));
}

#[test]
fn reflector_probes_are_recon() {
    for port in [123, 389, 1900, 3702, 11211] {
        assert_eq!(
            modern(port, Protocol::Udp).verdict,
            Verdict::Recon,
            "{port}/udp"
        );
    }
}

#[test]
fn databases_and_container_apis() {
    for port in [1433, 1521, 3306, 5432, 6379, 9200, 9300, 27017] {
        assert!(
            port_has_tag(port, Protocol::Tcp, "database"),
            "{port}/tcp should be tagged database"
        );
    }
    for (port, word) in [
        (2375, "Docker"),
        (2376, "Docker"),
        (6443, "Kubernetes"),
        (10250, "kubelet"),
        (2379, "etcd"),
        (6379, "Redis"),
        (27017, "MongoDB"),
    ] {
        assert!(
            english(modern(port, Protocol::Tcp)).contains(word),
            "{port}"
        );
    }
}

#[test]
fn remote_admin_and_vpn_ports() {
    for port in [5900, 5800, 5901, 5985, 5986, 8291, 8728, 8729, 2222, 10000] {
        assert!(
            port_has_tag(port, Protocol::Tcp, "remote-admin"),
            "{port}/tcp should be remote-admin"
        );
    }
    for (port, proto) in [
        (500, Protocol::Udp),
        (4500, Protocol::Udp),
        (1723, Protocol::Tcp),
        (1701, Protocol::Udp),
        (1194, Protocol::Udp),
        (51820, Protocol::Udp),
    ] {
        assert!(
            port_has_tag(port, proto, "vpn"),
            "{port}/{proto:?} should be vpn"
        );
    }
    assert!(english(modern(8291, Protocol::Tcp)).contains("CVE-2018-14847"));
}

#[test]
fn web_alternates_and_application_servers() {
    for port in [
        80, 81, 82, 443, 8443, 8081, 8088, 8090, 9000, 9090, 2082, 2083, 4443,
    ] {
        assert!(
            port_has_tag(port, Protocol::Tcp, "web"),
            "{port}/tcp should be web"
        );
    }
    assert!(english(modern(7001, Protocol::Tcp)).contains("WebLogic"));
    assert!(english(modern(8009, Protocol::Tcp)).contains("Ghostcat"));
    assert!(english(modern(10000, Protocol::Tcp)).contains("Webmin"));
    // QUIC: 443 is explained for UDP too.
    assert_eq!(modern(443, Protocol::Udp).id, "https");
}

#[test]
fn industrial_control_ports() {
    for (port, proto, word) in [
        (502, Protocol::Tcp, "Modbus"),
        (102, Protocol::Tcp, "S7"),
        (47808, Protocol::Udp, "BACnet"),
        (20000, Protocol::Tcp, "DNP3"),
        (44818, Protocol::Tcp, "EtherNet/IP"),
    ] {
        let e = modern(port, proto);
        assert!(e.has_tag("ics"), "{port} should be ics");
        assert!(english(e).contains(word), "{port} should mention {word}");
    }
}

#[test]
fn lan_discovery_noise() {
    for port in [5353, 5355, 1900] {
        assert!(
            port_has_tag(port, Protocol::Udp, "lan-discovery"),
            "{port}/udp"
        );
    }
    assert_eq!(modern(5353, Protocol::Udp).verdict, Verdict::Noise);
    assert_eq!(modern(5355, Protocol::Udp).verdict, Verdict::Noise);
}

#[test]
fn trojan_and_ddos_tool_ports() {
    let trojans: &[(u16, Protocol, &str)] = &[
        (12345, Protocol::Tcp, "NetBus"),
        (12346, Protocol::Tcp, "NetBus"),
        (20034, Protocol::Tcp, "NetBus"),
        (54320, Protocol::Tcp, "BO2K"),
        (54321, Protocol::Udp, "BO2K"),
        (2140, Protocol::Udp, "Deep Throat"),
        (3150, Protocol::Udp, "Deep Throat"),
        (21554, Protocol::Tcp, "GirlFriend"),
        (10067, Protocol::Udp, "Portal of Doom"),
        (10167, Protocol::Udp, "Portal of Doom"),
        (1011, Protocol::Tcp, "Doly"),
        (5742, Protocol::Tcp, "WinCrash"),
        (17300, Protocol::Tcp, "Kuang2"),
        (5400, Protocol::Tcp, "Blade Runner"),
        (5402, Protocol::Tcp, "Blade Runner"),
        (1033, Protocol::Tcp, "NetSpy"),
        (6723, Protocol::Tcp, "mstream"),
        (12754, Protocol::Tcp, "mstream"),
        (15104, Protocol::Tcp, "mstream"),
        (27444, Protocol::Udp, "trin00"),
        (27665, Protocol::Tcp, "trin00"),
        (31335, Protocol::Udp, "trin00"),
        (16660, Protocol::Tcp, "Stacheldraht"),
        (65000, Protocol::Tcp, "Stacheldraht"),
        (5554, Protocol::Tcp, "Sasser"),
        (9996, Protocol::Tcp, "Sasser"),
        (3127, Protocol::Tcp, "MyDoom"),
        (2745, Protocol::Tcp, "Bagle"),
        (6666, Protocol::Tcp, "Beast"),
        (1604, Protocol::Tcp, "DarkComet"),
        (5552, Protocol::Tcp, "njRAT"),
        (50050, Protocol::Tcp, "Cobalt Strike"),
    ];
    for &(port, proto, word) in trojans {
        let e = modern(port, proto);
        assert!(e.has_tag("trojan"), "{port} should be tagged trojan");
        assert!(english(e).contains(word), "{port} should mention {word}");
        assert_eq!(
            e.verdict,
            Verdict::Recon,
            "{port}: an inbound probe is recon"
        );
    }
    // The C2-style ports must say what an inside host calling out there means.
    for port in [1604, 5552, 50050, 27444, 31335] {
        let proto = if port == 27444 || port == 31335 {
            Protocol::Udp
        } else {
            Protocol::Tcp
        };
        let outbound = modern(port, proto).outbound.expect("outbound text");
        assert!(
            outbound.en.contains("compromise") || outbound.en.contains("intruder"),
            "{port}: {}",
            outbound.en
        );
    }
}

#[test]
fn anydesk_is_not_written_over_realaudio_7070() {
    // 7070/tcp is RealAudio's control channel in the seed; AnyDesk's use of it is not an entry.
    assert!(all_ports()
        .iter()
        .filter(|e| !e.seed)
        .all(|e| !(e.low <= 7070 && 7070 <= e.high)));
}

#[test]
fn irc_and_tor() {
    assert!(modern(6667, Protocol::Tcp)
        .outbound
        .unwrap()
        .en
        .contains("bot"));
    assert!(port_has_tag(9050, Protocol::Tcp, "proxy"));
    assert!(english(modern(9001, Protocol::Tcp)).contains("Tor"));
    assert!(english(modern(9030, Protocol::Tcp)).contains("Tor"));
}

#[test]
fn modern_chinese_texts_use_taiwan_terms() {
    let mainland = ["端口", "服務器", "網絡", "默認", "軟件", "數據庫", "掃瞄"];
    for e in all_ports().iter().filter(|e| !e.seed) {
        let mut zh = vec![
            e.title.zh,
            e.meaning.zh,
            e.benign_or_hostile.zh,
            e.advice.zh,
        ];
        zh.extend([e.era, e.outbound].into_iter().flatten().map(|t| t.zh));
        for text in zh {
            for word in mainland {
                assert!(!text.contains(word), "{} uses {word}", e.id);
            }
        }
    }
    assert!(modern(2222, Protocol::Tcp).title.zh.contains("連接埠"));
}

// ---------------------------------------------------------------- ICMP

#[test]
fn icmp_admin_prohibited_and_traceroute() {
    let prohibited = icmp(4, 3, Some(13)).expect("3/13");
    assert_eq!(prohibited.code, Some(13));
    assert!(prohibited.name.contains("administratively prohibited"));

    let ttl = icmp(4, 11, Some(0)).expect("11/0");
    assert!(ttl.meaning.en.contains("traceroute"));
    assert_eq!(ttl.verdict, Verdict::Benign);

    let reassembly = icmp(4, 11, Some(1)).expect("11/1");
    assert!(reassembly.name.contains("reassembly"));
}

#[test]
fn every_destination_unreachable_code_has_its_own_entry() {
    for code in 0..=15u8 {
        let e = icmp(4, 3, Some(code)).expect("type 3 code");
        assert_eq!(
            e.code,
            Some(code),
            "type 3 code {code} falls back to the type entry"
        );
    }
    for code in 0..=3u8 {
        assert_eq!(icmp(4, 5, Some(code)).and_then(|e| e.code), Some(code));
    }
    for code in 0..=2u8 {
        assert_eq!(icmp(4, 12, Some(code)).and_then(|e| e.code), Some(code));
    }
    for code in 0..=8u8 {
        assert_eq!(icmp(6, 1, Some(code)).and_then(|e| e.code), Some(code));
    }
}

#[test]
fn unknown_code_falls_back_to_the_type() {
    let e = icmp(4, 3, Some(200)).expect("type entry");
    assert_eq!(e.code, None);
    assert_eq!(e.icmp_type, 3);
    assert!(icmp(4, 77, None).is_none(), "type 77 is unassigned");
}

#[test]
fn icmp_forensic_meanings() {
    // Need-fragmentation must not be blocked (path MTU discovery).
    let need_frag = icmp(4, 3, Some(4)).unwrap();
    assert!(need_frag.meaning.en.contains("MTU"));
    assert!(need_frag.advice.unwrap().en.contains("Do not block"));
    // Port unreachable is how UDP probes get answered.
    assert!(icmp(4, 3, Some(3)).unwrap().meaning.en.contains("UDP"));
    // Source quench is deprecated; today it is odd or forged.
    let quench = icmp(4, 4, None).unwrap();
    assert!(quench.name.contains("deprecated") && quench.meaning.en.contains("forged"));
    // Redirects can be a man in the middle.
    assert!(icmp(4, 5, None)
        .unwrap()
        .meaning
        .en
        .contains("man-in-the-middle"));
    // Timestamp and address-mask requests are OS probes.
    assert!(icmp(4, 13, None).unwrap().meaning.en.contains("nmap -PP"));
    assert!(icmp(4, 17, None).unwrap().meaning.en.contains("nmap -PM"));
    assert_eq!(icmp(4, 8, None).unwrap().verdict, Verdict::Recon);
    assert!(icmp(4, 8, None).unwrap().meaning.en.contains("Smurf"));
    for deprecated in [15u8, 16, 17, 18, 30] {
        assert!(
            icmp(4, deprecated, None)
                .unwrap()
                .name
                .contains("deprecated"),
            "type {deprecated}"
        );
    }
    for assigned in [0u8, 9, 10, 14, 40, 42, 43] {
        assert!(icmp(4, assigned, None).is_some(), "type {assigned}");
    }
}

#[test]
fn icmpv6_neighbour_discovery_must_not_be_blocked() {
    for t in [133u8, 134, 135, 136] {
        let e = icmp(6, t, None).unwrap_or_else(|| panic!("ICMPv6 type {t}"));
        assert_eq!(e.verdict, Verdict::Benign, "type {t}");
    }
    assert!(icmp(6, 135, None)
        .unwrap()
        .advice
        .unwrap()
        .en
        .contains("Never block"));
    assert!(icmp(6, 2, None)
        .unwrap()
        .advice
        .unwrap()
        .en
        .contains("Never block"));
    for t in [1u8, 2, 3, 4, 128, 129, 130, 131, 132, 137, 143, 160, 161] {
        assert!(icmp(6, t, None).is_some(), "ICMPv6 type {t}");
    }
    assert!(icmp(6, 3, Some(0))
        .unwrap()
        .meaning
        .en
        .contains("traceroute"));
    // Version matters: ICMPv4 type 2 is unassigned, ICMPv6 type 2 is packet too big.
    assert!(icmp(4, 2, None).is_none());
}

// ---------------------------------------------------------------- addresses

#[test]
fn private_loopback_link_local_broadcast() {
    assert!(address_tags("10.1.2.3").contains(&"private"));
    assert!(address_tags("172.31.255.255").contains(&"private"));
    assert!(address_tags("192.168.1.1").contains(&"private"));
    assert_eq!(address_id("172.32.0.1"), None, "172.32/16 is public space");
    assert!(address_tags("127.0.0.1").contains(&"loopback"));
    assert!(address_tags("::1").contains(&"loopback"));
    assert!(address_tags("fe80::1").contains(&"link-local"));
    assert!(address_tags("169.254.10.20").contains(&"link-local"));
    let broadcast = address(ip("255.255.255.255")).unwrap();
    assert!(broadcast.tags.contains(&"broadcast"));
    assert!(broadcast.as_destination.en.contains("Directed broadcasts"));
    assert!(broadcast.as_destination.en.contains("Smurf"));
    assert!(broadcast.as_destination.en.contains("Fraggle"));
    assert_eq!(address_id("8.8.8.8"), None);
    assert_eq!(address_id("2606:4700::1111"), None);
}

#[test]
fn source_meanings() {
    let unspecified = address(ip("0.0.0.0")).unwrap();
    assert_eq!(unspecified.id, "this-host-v4");
    assert!(unspecified.as_source.en.contains("DHCP"));
    assert!(as_source("10.0.0.1").contains("spoofed"));
    assert!(as_source("127.0.0.2").contains("spoofed"));
    assert!(as_source("169.254.1.1").contains("DHCP"));
    assert!(as_source("224.0.0.1").contains("forged"));
    assert!(as_source("192.0.2.7").contains("spoofed"));
    assert!(address_tags("100.64.0.1").contains(&"shared"));
}

#[test]
fn most_specific_block_wins() {
    assert_eq!(address_id("224.0.0.251"), Some("mdns-v4"));
    assert_eq!(address_id("224.0.0.100"), Some("multicast-local-control"));
    assert_eq!(address_id("239.255.255.250"), Some("ssdp-v4"));
    assert_eq!(address_id("239.1.2.3"), Some("admin-scoped-multicast"));
    assert_eq!(address_id("230.1.2.3"), Some("multicast-v4"));
    assert_eq!(address_id("0.1.2.3"), Some("this-network-v4"));
    assert_eq!(address_id("ff02::1:ff12:3456"), Some("solicited-node"));
    assert_eq!(address_id("ff02::fb"), Some("mdns-v6"));
    assert_eq!(address_id("ff0e::1"), Some("multicast-v6"));
    let chain: Vec<_> = addresses_containing(ip("224.0.0.251"))
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(
        chain,
        ["mdns-v4", "multicast-local-control", "multicast-v4"]
    );
}

#[test]
fn documentation_translation_and_reserved_blocks() {
    for text in [
        "192.0.2.1",
        "198.51.100.1",
        "203.0.113.1",
        "2001:db8::1",
        "3fff::1",
    ] {
        assert!(
            address(ip(text)).unwrap().tags.contains(&"documentation"),
            "{text}"
        );
    }
    for text in [
        "64:ff9b::808:808",
        "2001:0:4136:e378::1",
        "2002:c000:201::1",
        "::ffff:1.2.3.4",
    ] {
        assert!(
            address(ip(text)).unwrap().tags.contains(&"translation"),
            "{text}"
        );
    }
    assert!(address_tags("240.0.0.1").contains(&"reserved"));
    assert!(address_tags("198.19.0.1").contains(&"benchmarking"));
    assert!(address_tags("fd12:3456::1").contains(&"unique-local"));
    assert_eq!(address_id("::"), Some("unspecified-v6"));
}

// ---------------------------------------------------------------- ephemeral ranges

#[test]
fn ephemeral_ranges() {
    let at_40000 = ephemeral_ids(40000);
    assert!(at_40000.contains(&"linux") && at_40000.contains(&"android"));
    assert!(at_40000.contains(&"solaris"));
    assert!(!at_40000.contains(&"windows-vista"));

    let at_62000 = ephemeral_ids(62000);
    assert!(at_62000.contains(&"linux-masquerade"));
    assert!(!at_62000.contains(&"linux"), "Linux's range ends at 60999");

    let at_50000 = ephemeral_ids(50000);
    for id in [
        "windows-vista",
        "macos",
        "iana-dynamic",
        "freebsd",
        "netbsd",
    ] {
        assert!(at_50000.contains(&id), "50000 should match {id}");
    }

    let at_3000 = ephemeral_ids(3000);
    assert!(at_3000.contains(&"windows-legacy") && at_3000.contains(&"bsd-legacy"));
    assert!(!at_3000.contains(&"linux"));

    assert!(ephemeral_ids(1023).is_empty());
    assert!(ephemeral_ids(65535).contains(&"aix"));
}
