//! One test per entry of the seed FAQ ("Firewall Forensics (What am I seeing?)", v0.4.1):
//! each asserts that the compiled knowledge base explains the port with the facts the seed
//! gives, and that the seed's errors are corrected (31790 not a six-digit port, "systat" on 11,
//! bootps = UDP 67 and bootpc = UDP 68, the proxy ports 8000/8001/8080/8888, the source-port
//! table). The digest of the seed these tests follow is FACTS.md of the seed folder.

use fwseen_event::Protocol;
use fwseen_kb::*;

/// The seed entry covering `port` for `proto` with id `id`; fails if it is missing or not
/// marked as coming from the seed.
fn seed_entry(port: u16, proto: Protocol, id: &str) -> &'static PortEntry {
    let found: Vec<&PortEntry> = ports_at(port, Some(proto)).collect();
    let entry = found.iter().find(|e| e.id == id).unwrap_or_else(|| {
        let ids: Vec<&str> = found.iter().map(|e| e.id).collect();
        panic!("no entry `{id}` at {port}/{proto:?}; found {ids:?}")
    });
    assert!(entry.seed, "entry `{id}` is not marked seed = true");
    entry
}

/// Every text of a port entry in `lang`, joined.
fn texts(entry: &PortEntry, lang: Lang) -> String {
    let mut texts = vec![
        entry.title.get(lang),
        entry.meaning.get(lang),
        entry.benign_or_hostile.get(lang),
        entry.advice.get(lang),
    ];
    texts.extend(entry.era.map(|t| t.get(lang)));
    texts.extend(entry.outbound.map(|t| t.get(lang)));
    texts.join("\n")
}

/// Every English text of a port entry, joined.
fn english(entry: &PortEntry) -> String {
    texts(entry, Lang::En)
}

/// Every Traditional-Chinese text of a port entry, joined.
fn chinese(entry: &PortEntry) -> String {
    texts(entry, Lang::ZhHant)
}

/// Asserts that `word` (a number, name or other language-neutral token) appears in both the
/// English and the Chinese texts of `entry`.
fn assert_mentions_in_both(entry: &PortEntry, word: &str) {
    assert!(
        english(entry).contains(word),
        "English text of `{}` does not mention {word:?}",
        entry.id
    );
    assert!(
        chinese(entry).contains(word),
        "Chinese text of `{}` does not mention {word:?}",
        entry.id
    );
}

/// Asserts that `phrase` appears in the English texts of `entry` (case-insensitive).
fn assert_mentions_in_english(entry: &PortEntry, phrase: &str) {
    assert!(
        english(entry)
            .to_lowercase()
            .contains(&phrase.to_lowercase()),
        "English text of `{}` does not mention {phrase:?}",
        entry.id
    );
}

/// The source-port entry covering `port` for `proto` with id `id`.
fn source_entry(port: u16, proto: Protocol, id: &str) -> &'static SourcePortEntry {
    let found: Vec<&SourcePortEntry> = source_ports_at(port, Some(proto)).collect();
    found
        .iter()
        .find(|e| e.id == id)
        .copied()
        .unwrap_or_else(|| {
            let ids: Vec<&str> = found.iter().map(|e| e.id).collect();
            panic!("no source-port entry `{id}` at {port}/{proto:?}; found {ids:?}")
        })
}

/// Declares one test per seed port: the entry `id` must cover `port`/`proto`, span exactly
/// `low..=high`, carry the verdict and tags given, and mention the listed tokens in both
/// languages (`both`) and the listed phrases in English (`en`).
macro_rules! seed_port {
    (
        $test:ident: $port:literal / $proto:ident, id = $id:literal,
        range = $low:literal - $high:literal, verdict = $verdict:ident,
        tags = [$($tag:literal),*], both = [$($word:literal),*], en = [$($phrase:literal),*]
    ) => {
        #[test]
        fn $test() {
            let entry = seed_entry($port, Protocol::$proto, $id);
            assert_eq!((entry.low, entry.high), ($low, $high), "range of `{}`", $id);
            assert_eq!(entry.verdict, Verdict::$verdict, "verdict of `{}`", $id);
            $(assert!(entry.has_tag($tag), "`{}` lacks tag {:?}", $id, $tag);)*
            $(assert_mentions_in_both(entry, $word);)*
            $(assert_mentions_in_english(entry, $phrase);)*
        }
    };
}

seed_port!(port_0_fingerprinting: 0/Tcp, id = "port-zero", range = 0-0, verdict = Recon,
    tags = [], both = ["0.0.0.0", "ACK"], en = ["operating system", "broadcast"]);
seed_port!(port_1_tcpmux_irix_accounts: 1/Tcp, id = "tcpmux", range = 1-1, verdict = Recon,
    tags = [], both = ["IRIX", "lp", "guest", "uucp", "nuucp", "demos", "tutor", "diag",
        "EZsetup", "OutOfBox", "4Dgifts"], en = ["tcpmux", "without passwords"]);
seed_port!(port_7_echo: 7/Udp, id = "echo", range = 7-7, verdict = Recon,
    tags = ["fraggle", "reflector"],
    both = ["x.x.x.0", "x.x.x.255", "Fraggle", "DoubleClick", "Resonate Global Dispatch",
        "3130", "source_ping", "HIT", "Squid", "Harvest"],
    en = ["loop", "chargen"]);
seed_port!(port_11_systat: 11/Tcp, id = "systat", range = 11-11, verdict = Recon,
    tags = [], both = ["systat", "ps", "ICMP"], en = ["processes", "time exceeded", "type 11"]);
seed_port!(port_19_chargen: 19/Udp, id = "chargen", range = 19-19, verdict = Recon,
    tags = ["fraggle", "reflector"], both = ["chargen", "Fraggle", "echo"],
    en = ["broadcast", "amplification"]);
seed_port!(port_21_ftp: 21/Tcp, id = "ftp", range = 21-21, verdict = Recon,
    tags = ["auth"], both = ["warez", "pr0n"], en = ["anonymous", "write"]);
seed_port!(port_22_ssh: 22/Tcp, id = "ssh", range = 22-22, verdict = Recon,
    tags = ["auth", "pcanywhere"],
    both = ["RSAREF", "make-ssh-known-hosts", "pcAnywhere", "5632", "0x1600", "0x0016", "UDP"],
    en = ["byte", "swapped", "another port"]);
seed_port!(port_23_telnet: 23/Tcp, id = "telnet", range = 23-23, verdict = Recon,
    tags = ["auth"], both = ["Telnet"], en = ["operating system", "password"]);
seed_port!(port_25_smtp: 25/Tcp, id = "smtp", range = 25-25, verdict = Recon,
    tags = ["mail"], both = ["sendmail"], en = ["relay", "spam"]);
seed_port!(port_53_dns: 53/Udp, id = "dns", range = 53-53, verdict = Recon,
    tags = ["reflector"], both = ["TCP", "UDP", "53"],
    en = ["zone transfer", "spoofing", "source port 53"]);
seed_port!(port_67_bootps_server: 67/Udp, id = "bootps", range = 67-67, verdict = Noise,
    tags = ["dhcp"], both = ["bootps", "255.255.255.255", "0.0.0.0", "68"],
    en = ["servers listen", "from port 68 to port 67", "rogue DHCP server"]);
seed_port!(port_68_bootpc_client: 68/Udp, id = "bootpc", range = 68-68, verdict = Noise,
    tags = ["dhcp"], both = ["bootpc", "67"],
    en = ["clients listen", "from port 67 to port 68", "broadcast", "no address yet"]);
seed_port!(port_69_tftp: 69/Udp, id = "tftp", range = 69-69, verdict = Recon,
    tags = [], both = ["TFTP", "BOOTP"], en = ["password file", "uploads", "boot"]);
seed_port!(port_79_finger: 79/Tcp, id = "finger", range = 79-79, verdict = Recon,
    tags = [], both = ["finger"], en = ["operating system", "buffer overflow", "bounce"]);
seed_port!(port_98_linuxconf: 98/Tcp, id = "linuxconf", range = 98-98, verdict = Recon,
    tags = [], both = ["linuxconf", "setuid root", "/tmp", "LANG", "HTTP"],
    en = ["local network", "directory traversal"]);
seed_port!(port_109_pop2: 109/Tcp, id = "pop2", range = 109-109, verdict = Recon,
    tags = ["mail"], both = ["POP2", "POP3"], en = ["compatibility"]);
seed_port!(port_110_pop3: 110/Tcp, id = "pop3", range = 110-110, verdict = Recon,
    tags = ["mail", "auth"], both = ["POP3"], en = ["twenty", "buffer overflows", "before"]);
seed_port!(port_111_portmapper: 111/Udp, id = "sunrpc", range = 111-111, verdict = Recon,
    tags = ["rpc"],
    both = ["rpcbind", "rpc.mountd", "NFS", "rpc.statd", "rpc.cmsd", "rpc.ttdbserverd", "amd"],
    en = ["portmapper", "first step", "sniffer"]);
seed_port!(port_113_ident: 113/Tcp, id = "ident", range = 113-113, verdict = Benign,
    tags = ["ident"], both = ["FTP", "POP", "IMAP", "SMTP", "IRC", "RST"],
    en = ["reset (RST) rather than dropping", "slow"]);
seed_port!(port_119_nntp: 119/Tcp, id = "nntp", range = 119-119, verdict = Recon,
    tags = [], both = ["Usenet"], en = ["open", "anonymously", "spam"]);
seed_port!(port_135_ms_rpc: 135/Tcp, id = "msrpc-epmap", range = 135-135, verdict = Recon,
    tags = ["rpc"], both = ["DCOM", "111", "Exchange", "epdump"],
    en = ["endpoint mapper", "denial-of-service"]);
seed_port!(port_137_netbios_ns: 137/Udp, id = "netbios-ns", range = 137-137, verdict = Noise,
    tags = ["netbios"], both = ["NetBIOS", "nbtstat"], en = ["most frequent", "broadcast"]);
seed_port!(port_138_netbios_dgm: 138/Udp, id = "netbios-dgm", range = 138-138, verdict = Noise,
    tags = ["netbios"], both = ["NetBIOS"], en = ["datagram", "browser", "workgroup"]);
seed_port!(port_139_netbios_ssn: 139/Tcp, id = "netbios-ssn", range = 139-139, verdict = Recon,
    tags = ["netbios"], both = ["SMB", "Samba", "1999", "2000", "Visual Basic Script"],
    en = ["file and printer sharing", "shares"]);
seed_port!(port_143_imap: 143/Tcp, id = "imap", range = 143-143, verdict = Recon,
    tags = ["mail", "auth"], both = ["admw0rm", "Red Hat", "Morris", "0", "143"],
    en = ["buffer overflows", "every port from 0 to 143", "infected"]);
seed_port!(port_161_snmp: 161/Udp, id = "snmp", range = 161-161, verdict = Recon,
    tags = ["reflector"],
    both = ["public", "private", "HP JetDirect", "Windows 98", "sysName"],
    en = ["misdirected", "broadcast"]);
seed_port!(port_162_snmp_trap: 162/Udp, id = "snmp-trap", range = 162-162, verdict = Noise,
    tags = [], both = ["SNMP"], en = ["trap", "configured with the wrong destination"]);
seed_port!(port_177_xdmcp: 177/Udp, id = "xdmcp", range = 177-177, verdict = Recon,
    tags = [], both = ["XDMCP", "6000"], en = ["X Window"]);
seed_port!(port_513_rwho: 513/Udp, id = "rwho", range = 513-513, verdict = Noise,
    tags = ["lan-discovery"], both = ["rwho", "UNIX", "DSL"], en = ["broadcast"]);
seed_port!(port_553_corba: 553/Udp, id = "corba-iiop-553", range = 553-553, verdict = Noise,
    tags = ["lan-discovery"], both = ["CORBA", "IIOP", "DSL", "VLAN"],
    en = ["remote procedure call", "broadcast"]);
seed_port!(port_600_pcserver: 600/Tcp, id = "pcserver-backdoor", range = 600-600,
    verdict = Recon, tags = ["trojan"], both = ["1524", "pcserver", "ingreslock"],
    en = ["shell", "backdoor"]);
seed_port!(port_635_mountd: 635/Udp, id = "mountd", range = 635-635, verdict = Recon,
    tags = ["nfs"], both = ["mountd", "Linux", "111", "2049", "635"],
    en = ["any port", "UDP", "TCP", "by default"]);
seed_port!(port_1024_dynamic: 1024/Tcp, id = "dynamic-1024", range = 1024-1024,
    verdict = Noise, tags = [], both = ["1024", "telnet", "netstat"],
    en = ["dynamic allocation starts", "next free", "reboot"]);
seed_port!(port_1025_dynamic: 1025/Tcp, id = "dynamic-1025", range = 1025-1025,
    verdict = Noise, tags = [], both = ["1024", "1025"], en = ["second", "dynamic"]);
seed_port!(port_1026_dynamic: 1026/Udp, id = "dynamic-1026", range = 1026-1026,
    verdict = Noise, tags = [], both = ["1024", "1026"], en = ["third", "dynamic"]);
seed_port!(port_1080_socks: 1080/Tcp, id = "socks", range = 1080-1080, verdict = Recon,
    tags = ["proxy"], both = ["SOCKS", "WinGate", "IRC"],
    en = ["misconfigured", "behind your firewall"]);
seed_port!(port_1114_sscan: 1114/Tcp, id = "msql-sscan", range = 1114-1114, verdict = Recon,
    tags = ["sscan"], both = ["sscan", "Mini SQL"], en = ["hardly anyone", "for its own sake"]);
seed_port!(port_1243_subseven: 1243/Tcp, id = "subseven-1243", range = 1243-1243,
    verdict = Recon, tags = ["trojan"], both = ["SubSeven"], en = ["trojan"]);
seed_port!(port_1524_ingreslock: 1524/Tcp, id = "ingreslock", range = 1524-1524,
    verdict = Recon, tags = ["trojan"],
    both = ["ingreslock", "Sendmail", "statd", "ttdbserver", "cmsd", "600", "pcserver"],
    en = ["shell", "telnet to port 1524"]);
seed_port!(port_2049_nfs: 2049/Udp, id = "nfs", range = 2049-2049, verdict = Recon,
    tags = ["nfs"], both = ["NFS", "2049", "111"], en = ["skip the portmapper"]);
seed_port!(port_3128_squid: 3128/Tcp, id = "squid", range = 3128-3128, verdict = Recon,
    tags = ["proxy"], both = ["Squid", "8000", "8001", "8080", "8888"],
    en = ["anonymous", "chat"]);
seed_port!(port_5632_pcanywhere: 5632/Udp, id = "pcanywhere-status", range = 5632-5632,
    verdict = Recon, tags = ["pcanywhere"],
    both = ["pcAnywhere", "5631", "22", "0x1600", "0x0016"],
    en = ["class C", "check where the probes come from"]);
seed_port!(port_6776_subseven_artifact: 6776/Tcp, id = "subseven-6776", range = 6776-6776,
    verdict = Noise, tags = ["trojan"], both = ["SubSeven"],
    en = ["do not mean you are infected", "hung up", "same address"]);
seed_port!(port_6970_7170_realaudio: 7000/Udp, id = "realaudio-udp", range = 6970-7170,
    verdict = Benign, tags = ["streaming"], both = ["RealAudio", "6970", "7170", "7070", "TCP"],
    en = ["outbound TCP control connection"]);
seed_port!(port_7070_realaudio_control: 7070/Tcp, id = "realaudio-control", range = 7070-7070,
    verdict = Noise, tags = ["streaming"], both = ["RealAudio", "7070", "6970", "7170"],
    en = ["control channel", "outbound"]);
seed_port!(port_8000_proxy: 8000/Tcp, id = "proxy-8000", range = 8000-8000, verdict = Recon,
    tags = ["proxy"], both = ["3128", "8001", "8080", "8888"], en = ["proxy"]);
seed_port!(port_8001_proxy: 8001/Tcp, id = "proxy-8001", range = 8001-8001, verdict = Recon,
    tags = ["proxy"], both = ["3128", "8000", "8080", "8888"], en = ["proxy"]);
seed_port!(port_8080_proxy: 8080/Tcp, id = "proxy-8080", range = 8080-8080, verdict = Recon,
    tags = ["proxy"], both = ["3128", "8000", "8001", "8888"], en = ["proxy"]);
seed_port!(port_8888_proxy: 8888/Tcp, id = "proxy-8888", range = 8888-8888, verdict = Recon,
    tags = ["proxy"], both = ["3128", "8000", "8001", "8080"], en = ["proxy"]);
seed_port!(port_13223_powwow: 13223/Tcp, id = "powwow", range = 13223-13223, verdict = Noise,
    tags = ["heartbeat"], both = ["PowWow", "Tribal Voice", "OPNG"],
    en = ["heartbeat", "four ASCII bytes"]);
seed_port!(port_17027_conducent: 17027/Tcp, id = "conducent", range = 17027-17027,
    verdict = Noise, tags = ["adware"],
    both = ["Conducent", "adbot", "PKWare", "ads.conducent.com", "216.33.210.40",
        "216.33.199.77", "216.33.199.80", "216.33.199.81", "216.33.210.41"],
    en = ["outbound", "do not block the IP addresses", "many times per second"]);
seed_port!(port_27374_subseven: 27374/Tcp, id = "subseven", range = 27374-27374,
    verdict = Recon, tags = ["trojan"], both = ["SubSeven"], en = ["trojan"]);
seed_port!(port_30100_netsphere: 30100/Tcp, id = "netsphere", range = 30100-30100,
    verdict = Recon, tags = ["trojan"], both = ["NetSphere"], en = ["already infected"]);
seed_port!(port_31337_back_orifice: 31337/Udp, id = "back-orifice", range = 31337-31337,
    verdict = Recon, tags = ["trojan"], both = ["Back Orifice", "elite", "3 = E"],
    en = ["most common scan", "honeypots"]);
seed_port!(port_31789_hack_a_tack: 31789/Udp, id = "hack-a-tack-control", range = 31789-31789,
    verdict = Recon, tags = ["trojan"], both = ["Hack-a-tack", "31790", "RAT"],
    en = ["from source port 31790 to 31789", "itself an infected machine"]);
seed_port!(port_31790_hack_a_tack: 31790/Udp, id = "hack-a-tack-transfer",
    range = 31790-31790, verdict = Recon, tags = ["trojan"],
    both = ["Hack-a-tack", "31789", "31790"], en = ["file transfers", "scanner"]);
seed_port!(port_32770_32900_solaris_rpc: 32800/Tcp, id = "solaris-rpc", range = 32770-32900,
    verdict = Recon, tags = ["rpc"], both = ["Solaris", "2.5.1", "portmapper", "111"],
    en = ["blocked", "vulnerable RPC services"]);
seed_port!(port_33434_33600_traceroute: 33500/Udp, id = "traceroute", range = 33434-33600,
    verdict = Benign, tags = ["traceroute"], both = ["traceroute", "33434", "ICMP"],
    en = ["only in this range", "time exceeded", "port unreachable"]);
seed_port!(port_41508_inoculan: 41508/Udp, id = "inoculan", range = 41508-41508,
    verdict = Noise, tags = ["lan-discovery"], both = ["Inoculan", "41508"],
    en = ["found other Inoculan installations", "subnet"]);

/// The destination ports and ranges of the seed (FACTS.md's table, with the corrections).
#[rustfmt::skip]
const SEED_RANGES: &[(u16, u16)] = &[
    (0, 0), (1, 1), (7, 7), (11, 11), (19, 19), (21, 21), (22, 22), (23, 23), (25, 25),
    (53, 53), (67, 67), (68, 68), (69, 69), (79, 79), (98, 98), (109, 109), (110, 110),
    (111, 111), (113, 113), (119, 119), (135, 135), (137, 137), (138, 138), (139, 139),
    (143, 143), (161, 161), (162, 162), (177, 177), (513, 513), (553, 553), (600, 600),
    (635, 635), (1024, 1024), (1025, 1025), (1026, 1026), (1080, 1080), (1114, 1114),
    (1243, 1243), (1524, 1524), (2049, 2049), (3128, 3128), (5632, 5632), (6776, 6776),
    (6970, 7170), (7070, 7070), (8000, 8000), (8001, 8001), (8080, 8080), (8888, 8888),
    (13223, 13223), (17027, 17027), (27374, 27374), (30100, 30100), (31337, 31337),
    (31789, 31789), (31790, 31790), (32770, 32900), (33434, 33600), (41508, 41508),
];

/// Every destination port and range of the seed has a seed entry, so a deleted entry is noticed
/// even if its own test were removed.
#[test]
fn every_seed_port_is_covered() {
    assert_eq!(SEED_RANGES.len(), 59);
    for &(low, high) in SEED_RANGES {
        assert!(
            all_ports()
                .iter()
                .any(|e| e.seed && e.low == low && e.high == high),
            "no seed entry for {low}-{high}"
        );
    }
}

/// The seed prints Hack-a-tack's second port as a six-digit number, which no port can be.
#[test]
fn error_corrected_no_six_digit_hack_a_tack_port() {
    let bad = "317890";
    for e in all_ports() {
        assert!(!english(e).contains(bad), "{} mentions {bad}", e.id);
        assert!(!chinese(e).contains(bad), "{} mentions {bad}", e.id);
    }
    for e in all_source_ports() {
        assert!(
            !e.meaning.en.contains(bad) && !e.meaning.zh.contains(bad),
            "{}",
            e.id
        );
        assert!(
            !e.advice.en.contains(bad) && !e.advice.zh.contains(bad),
            "{}",
            e.id
        );
    }
    // 31790 is UDP and found by a UDP lookup, but not by a TCP one.
    let udp: Vec<&str> = ports_at(31790, Some(Protocol::Udp)).map(|e| e.id).collect();
    assert!(udp.contains(&"hack-a-tack-transfer"), "{udp:?}");
    assert!(ports_at(31790, Some(Protocol::Tcp)).all(|e| !e.id.starts_with("hack-a-tack")));
}

/// The seed spells port 11's service "sysstat"; it is "systat".
#[test]
fn error_corrected_systat_spelling() {
    for e in all_ports() {
        let text = format!("{} {} {}", e.name, english(e), chinese(e)).to_lowercase();
        assert!(!text.contains("sysstat"), "{} spells sysstat", e.id);
    }
    assert_eq!(seed_entry(11, Protocol::Tcp, "systat").name, "systat");
    let (entries, _) = find_by_name("systat");
    assert!(
        entries.iter().any(|e| e.low == 11),
        "find_by_name(systat) misses port 11"
    );
}

/// The seed swaps the DHCP names; the server (bootps) listens on UDP 67 and the client
/// (bootpc) on UDP 68.
#[test]
fn error_corrected_bootps_is_67_and_bootpc_is_68() {
    let server = seed_entry(67, Protocol::Udp, "bootps");
    assert!(server.name.contains("bootps") && server.name.contains("server"));
    assert!(!server.name.contains("bootpc"));
    let client = seed_entry(68, Protocol::Udp, "bootpc");
    assert!(client.name.contains("bootpc") && client.name.contains("client"));
    assert!(!client.name.contains("bootps"));
    let (entries, _) = find_by_name("bootps");
    assert!(
        entries.iter().all(|e| e.low == 67),
        "bootps found off port 67"
    );
    // The IANA registry agrees.
    assert!(iana_at(67, Some("udp")).iter().any(|r| r.name == "bootps"));
    assert!(iana_at(68, Some("udp")).iter().any(|r| r.name == "bootpc"));
}

/// The seed garbles the proxy ports as "000/8001/8080/8888": 8000 is meant, and each of the
/// four has its own proxy entry.
#[test]
fn error_corrected_proxy_ports() {
    for port in [8000u16, 8001, 8080, 8888, 3128, 1080] {
        assert!(
            port_has_tag(port, Protocol::Tcp, "proxy"),
            "{port}/tcp is not tagged proxy"
        );
    }
    assert!(!port_has_tag(0, Protocol::Tcp, "proxy"));
    let squid = seed_entry(3128, Protocol::Tcp, "squid");
    assert!(
        !squid.meaning.en.contains(" 000"),
        "garbled 000 in Squid text"
    );
}

/// The seed runs "ICMP type=11" into "19 chargen"; fwseen keeps them apart: ICMP has no ports,
/// chargen is 19, and the note about ICMP type 11 lives with port 11.
#[test]
fn error_corrected_icmp_has_no_ports() {
    let chargen = seed_entry(19, Protocol::Udp, "chargen");
    assert!(!english(chargen).contains("1119"));
    assert!(!chinese(chargen).contains("1119"));
    let systat = seed_entry(11, Protocol::Tcp, "systat");
    assert!(systat.benign_or_hostile.en.contains("ICMP has no ports"));
    assert!(systat.benign_or_hostile.zh.contains("ICMP 沒有連接埠"));
    // A lookup for ICMP finds no port entry: ICMP is described by type and code.
    assert_eq!(ports_at(11, Some(Protocol::Icmp)).count(), 0);
}

/// UDP to 22 from source port 5632 is pcAnywhere: the destination entry of 22 and the
/// source-port entry of 5632 both explain the byte swap.
#[test]
fn pcanywhere_byte_swap_both_directions() {
    assert_eq!(5632u16.swap_bytes(), 22, "the arithmetic the texts rely on");
    let ssh_udp: Vec<&str> = ports_at(22, Some(Protocol::Udp)).map(|e| e.id).collect();
    assert!(ssh_udp.contains(&"ssh"), "{ssh_udp:?}");
    assert!(port_has_tag(22, Protocol::Udp, "pcanywhere"));
    let source = source_entry(5632, Protocol::Udp, "pcanywhere-source");
    assert!(source.has_tag_named("pcanywhere"));
    for text in [source.meaning.en, source.meaning.zh] {
        assert!(text.contains("0x1600") && text.contains("0x0016") && text.contains("22"));
    }
}

/// 7070 is RealAudio's TCP control channel; 6970-7170 is UDP only.
#[test]
fn realaudio_protocols() {
    let at_7070_tcp: Vec<&str> = ports_at(7070, Some(Protocol::Tcp)).map(|e| e.id).collect();
    assert!(
        at_7070_tcp.contains(&"realaudio-control"),
        "{at_7070_tcp:?}"
    );
    assert!(!at_7070_tcp.contains(&"realaudio-udp"));
    let at_7070_udp: Vec<&str> = ports_at(7070, Some(Protocol::Udp)).map(|e| e.id).collect();
    assert!(at_7070_udp.contains(&"realaudio-udp"), "{at_7070_udp:?}");
    assert!(!at_7070_udp.contains(&"realaudio-control"));
    assert!(seed_entry(7070, Protocol::Tcp, "realaudio-control")
        .outbound
        .is_some());
}

/// Traceroute's range is tagged for the detector at both ends and not just outside it.
#[test]
fn traceroute_range_edges() {
    assert!(port_has_tag(33434, Protocol::Udp, "traceroute"));
    assert!(port_has_tag(33600, Protocol::Udp, "traceroute"));
    assert!(!port_has_tag(33433, Protocol::Udp, "traceroute"));
    assert!(!port_has_tag(33601, Protocol::Udp, "traceroute"));
    assert!(!port_has_tag(33500, Protocol::Tcp, "traceroute"));
}

/// Trojan ports tell what an inside host sending there means.
#[test]
fn trojan_and_adware_ports_explain_outbound() {
    for id in [
        "subseven-1243",
        "subseven-6776",
        "subseven",
        "netsphere",
        "back-orifice",
        "hack-a-tack-control",
        "hack-a-tack-transfer",
        "ingreslock",
        "pcserver-backdoor",
        "conducent",
        "powwow",
    ] {
        let entry = port_entry(id).unwrap_or_else(|| panic!("no entry {id}"));
        assert!(entry.outbound.is_some(), "{id} has no outbound text");
    }
}

/// Chinese texts are written afresh in Taiwan usage: the seed's mainland term for "port"
/// (duankou) must not appear; fwseen says lianjiebu.
#[test]
fn chinese_texts_use_taiwan_terms() {
    for e in all_ports().iter().filter(|e| e.seed) {
        let zh = chinese(e);
        assert!(!zh.contains("端口"), "{} uses 端口", e.id);
        assert!(!zh.contains("掃瞄"), "{} uses 掃瞄", e.id);
    }
    for e in all_source_ports() {
        assert!(
            !e.meaning.zh.contains("端口") && !e.advice.zh.contains("端口"),
            "{}",
            e.id
        );
    }
}

/// Extension used above: a tag test for source-port entries.
trait SourceTagExt {
    fn has_tag_named(&self, tag: &str) -> bool;
}

impl SourceTagExt for SourcePortEntry {
    fn has_tag_named(&self, tag: &str) -> bool {
        self.tags.contains(&tag)
    }
}

/// Declares one test per row of the seed's source-port table (corrected) and the source ports
/// weak filters trust: entry `id` covers `low..=high` for `proto`, with the tag and verdict
/// given, and its English meaning mentions the phrases.
macro_rules! source_port {
    (
        $test:ident: $probe:literal / $proto:ident, id = $id:literal,
        range = $low:literal - $high:literal, verdict = $verdict:ident,
        tags = [$($tag:literal),*], en = [$($phrase:literal),*]
    ) => {
        #[test]
        fn $test() {
            let entry = source_entry($probe, Protocol::$proto, $id);
            assert_eq!((entry.low, entry.high), ($low, $high), "range of `{}`", $id);
            assert_eq!(entry.verdict, Verdict::$verdict, "verdict of `{}`", $id);
            $(assert!(entry.has_tag_named($tag), "`{}` lacks tag {:?}", $id, $tag);)*
            $(assert!(
                entry.meaning.en.to_lowercase().contains(&$phrase.to_lowercase()),
                "`{}` meaning does not mention {:?}", $id, $phrase
            );)*
            assert!(!entry.meaning.zh.is_empty() && !entry.advice.zh.is_empty());
        }
    };
}

source_port!(source_1_5_sscan: 3/Tcp, id = "sscan-signature", range = 1-5, verdict = Recon,
    tags = ["sscan"], en = ["sscan", "1 and 5"]);
source_port!(source_20_ftp_data: 20/Tcp, id = "ftp-data", range = 20-20, verdict = Benign,
    tags = ["trusted-source"], en = ["active-mode FTP", "data connection"]);
source_port!(source_53_dns: 53/Udp, id = "dns-reply", range = 53-53, verdict = Benign,
    tags = ["trusted-source"], en = ["name servers answer", "weak firewalls", "TCP"]);
source_port!(source_53_dns_tcp: 53/Tcp, id = "dns-reply", range = 53-53, verdict = Benign,
    tags = ["trusted-source"], en = ["zone transfers"]);
source_port!(source_67_dhcp_server: 67/Udp, id = "dhcp-server-source", range = 67-67,
    verdict = Noise, tags = ["trusted-source"], en = ["bootps", "UDP 68"]);
source_port!(source_68_dhcp_client: 68/Udp, id = "dhcp-client-source", range = 68-68,
    verdict = Noise, tags = ["trusted-source"], en = ["bootpc", "UDP 67"]);
source_port!(source_88_kerberos: 88/Udp, id = "kerberos-source", range = 88-88,
    verdict = Benign, tags = ["trusted-source"], en = ["Kerberos"]);
source_port!(source_123_ntp: 123/Udp, id = "ntp-source", range = 123-123, verdict = Benign,
    tags = [], en = ["NTP", "broadcast"]);
source_port!(source_1024_5000_dynamic: 1030/Tcp, id = "dynamic-client-old", range = 1024-5000,
    verdict = Benign, tags = [], en = ["just above 1024", "dynamic", "did not care"]);
source_port!(source_3130_squid: 3130/Udp, id = "squid-source-ping", range = 3130-3130,
    verdict = Benign, tags = [], en = ["source_ping", "port 7", "HIT"]);
source_port!(source_5632_pcanywhere: 5632/Udp, id = "pcanywhere-source", range = 5632-5632,
    verdict = Recon, tags = ["pcanywhere"], en = ["pcAnywhere", "port 22"]);
source_port!(source_27910_27961_quake: 27950/Udp, id = "quake-servers", range = 27910-27961,
    verdict = Benign, tags = ["game"], en = ["Quake"]);
source_port!(source_31790_hack_a_tack: 31790/Udp, id = "hack-a-tack-scanner",
    range = 31790-31790, verdict = Recon, tags = ["trojan"], en = ["31789", "infected"]);
source_port!(source_61000_masquerade: 61000/Tcp, id = "linux-masquerade", range = 61000-65095,
    verdict = Benign, tags = ["nat"], en = ["masquerade", "NAT", "61000"]);

/// The source-port table's rows must not be found for the wrong protocol: sscan and active
/// FTP are TCP, Quake is UDP.
#[test]
fn source_port_protocols() {
    assert!(source_ports_at(3, Some(Protocol::Udp)).all(|e| e.id != "sscan-signature"));
    assert!(source_ports_at(20, Some(Protocol::Udp)).all(|e| e.id != "ftp-data"));
    assert!(source_ports_at(27950, Some(Protocol::Tcp)).all(|e| e.id != "quake-servers"));
    // Narrowest first: 3130 inside 1024-5000 answers with the Squid entry before the generic one.
    let at_3130: Vec<&str> = source_ports_at(3130, Some(Protocol::Udp))
        .map(|e| e.id)
        .collect();
    assert_eq!(at_3130.first(), Some(&"squid-source-ping"), "{at_3130:?}");
}
