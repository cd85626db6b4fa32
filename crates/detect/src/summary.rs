//! One-line summaries of findings, in English and Traditional Chinese.
//!
//! The templates live here, next to the kinds they describe, so that every reporter (terminal,
//! JSON, CSV, HTML) says the same thing. The longer explanation and advice come from the
//! knowledge base entry named by [`Finding::kb_port`]; this is only the headline.
//!
//! Summaries contain addresses, numbers and knowledge-base names only, never log text, so they
//! need no escaping beyond what every reporter applies anyway. A scan of a few ports that have
//! entries of their own also says what it hunted for, by the entries' short names
//! ([`hunted_names`]).

use fwseen_event::Protocol;
use fwseen_kb::{Lang, Verdict};

use crate::finding::Finding;
use crate::kind::Kind;

/// The one-line summary of `finding` in `lang`.
pub fn summary(finding: &Finding, lang: Lang) -> String {
    let zh = lang == Lang::ZhHant;
    let src = match finding.src {
        Some(ip) => ip.to_string(),
        None if zh => format!("{} 個來源", finding.source_count),
        None => format!("{} sources", finding.source_count),
    };
    let hosts = describe_hosts(finding, zh);
    let ports = describe_ports(finding, zh);
    let n = finding.evidence.event_count;
    let span = finding.duration_seconds().filter(|&d| d >= 60.0);
    let over = match span {
        Some(d) if zh => format!("，歷時 {}", duration_text(d, Lang::ZhHant)),
        Some(d) => format!(" over {}", duration_text(d, Lang::En)),
        None => String::new(),
    };
    let pace = match (finding.attribute("pace"), span) {
        (Some("slow"), Some(d)) if zh => {
            format!("（慢速掃描，歷時 {}）", duration_text(d, Lang::ZhHant))
        }
        (Some("slow"), Some(d)) => format!(" (slow scan over {})", duration_text(d, Lang::En)),
        _ => String::new(),
    };
    let attr = |key: &str| finding.attribute(key).unwrap_or("?").to_string();
    let kind = Kind::from_id(finding.kind);
    let Some(kind) = kind else {
        return format!("{} {src}", finding.kind);
    };
    let hunted = match kind {
        Kind::ScanVertical
        | Kind::ScanHorizontal
        | Kind::ScanBlock
        | Kind::ScanDistributed
        | Kind::ScanStealth => hunted_clause(&hunted_names(finding), zh),
        _ => String::new(),
    };
    if zh {
        match kind {
            Kind::ScanVertical => format!("{src} 掃描了 {hosts} 的 {ports}{pace}{hunted}"),
            Kind::ScanHorizontal => format!("{src} 在 {hosts} 上掃描 {ports}{pace}{hunted}"),
            Kind::ScanBlock => format!("{src} 大範圍掃描：{hosts} × {ports}{pace}{hunted}"),
            Kind::ScanDistributed => {
                format!("{src} 各自探測 {hosts} 的 {ports}{over}（分散式掃描）{hunted}")
            }
            Kind::ScanIpProtocol => format!(
                "{src} 對 {hosts} 試探了 {} 種 IP 協定（IP 協定掃描）",
                attr("ip_protocols")
            ),
            Kind::ProbeSpoofedSource => format!(
                "來自不可能來源位址 {src} 的封包送到 {hosts}（{}：偽造來源）",
                attr("reason")
            ),
            Kind::OutboundBlocked => format!(
                "內部主機 {src} 連往 {hosts} 的 {ports} 被擋了 {} 次",
                attr("attempts")
            ),
            Kind::OutboundPeriodic => format!(
                "內部主機 {src} 每隔約 {} 秒連往 {hosts} 的 {ports}（被擋下；多半是更新或遙測程式）",
                attr("period_seconds")
            ),
            Kind::NoiseRetry => format!(
                "{src} 一再嘗試被擋的 {hosts} 的 {ports}，共 {} 次{over}（沒有任何一次到達服務）",
                attr("attempts")
            ),
            Kind::ScanStealth => format!(
                "{src} 以 {} 旗標做隱匿掃描：{hosts} 的 {ports}{hunted}",
                attr("variant")
            ),
            Kind::ScanOsFingerprint => {
                format!("{src} 以怪異旗標／連接埠 0 探測 {hosts}，意在辨識作業系統")
            }
            Kind::ScanSscan => format!("{src} 的掃描帶有 sscan 特徵（連接埠 1–5），目標 {hosts}"),
            Kind::ScanProxy => format!("{src} 在 {hosts} 上尋找開放代理伺服器（{ports}）"),
            Kind::ScanTrojan => format!(
                "{src} 在 {hosts} 上尋找木馬後門 {}（{ports}）",
                attr("trojan")
            ),
            Kind::ScanRpc => format!("{src} 探測 {hosts} 的 RPC／NFS 服務（{ports}）"),
            Kind::ScanPcanywhere => format!("{src} 在 {hosts} 上尋找 pcAnywhere"),
            Kind::ScanSourcePort => format!(
                "{src} 從受信任的來源連接埠 {} 掃描 {hosts} 的 {ports}，企圖穿過過濾規則",
                attr("source_port")
            ),
            Kind::SweepPing => format!("{src} 對 {hosts} 做 ping 掃描"),
            Kind::ProbeFraggle => {
                format!("{src} 向廣播位址 {hosts} 送出 UDP echo/chargen（Fraggle）")
            }
            Kind::ProbeReflector => {
                format!("{src} 探測 {hosts} 上可被用於反射放大攻擊的服務（{ports}）")
            }
            Kind::ProbeSmurf => format!("{src} 向廣播位址 {hosts} 送出 ICMP echo（Smurf 攻擊）"),
            Kind::DosEchoChargen => {
                format!("{src} 與 {hosts} 之間出現 echo⇄chargen 迴圈封包（偽造來源的阻斷服務）")
            }
            Kind::AttackBruteforce => {
                format!("{src} 對 {hosts} 的 {ports} 嘗試登入 {n} 次（暴力破解）")
            }
            Kind::CompromiseTrojanOutbound => format!(
                "內部主機 {src} 連往外部的後門{ports}（{}）：可能已遭入侵",
                attr("trojan")
            ),
            Kind::AdwareConducent => {
                format!(
                    "內部主機 {src} 反覆連往 Conducent 廣告伺服器（{} 次）：裝有廣告軟體",
                    attr("attempts")
                )
            }
            Kind::CompromiseBeacon => format!(
                "內部主機 {src} 每隔約 {} 秒固定連往 {hosts} 的 {ports}（信標）",
                attr("period_seconds")
            ),
            Kind::BenignTraceroute => format!("{src} 對 {hosts} 執行 traceroute（無害）"),
            Kind::BenignTracerouteReply => {
                format!("{src} 回覆 TTL 逾時（traceroute 的回應，無害）")
            }
            Kind::BenignDhcp => format!("{src} 的 DHCP 廣播（無害雜訊）"),
            Kind::BenignNetbios => format!("{src} 的 NetBIOS 閒聊（Windows 網路芳鄰雜訊）"),
            Kind::BenignIdent => {
                format!("{src} 查詢 ident（113）：多半是郵件或 IRC 伺服器，建議以 RST 回應")
            }
            Kind::BenignLateReply => match finding.attribute("service_port") {
                Some(port) => {
                    format!("{src} 從服務連接埠 {port} 送來遲到的回應（防火牆已忘記該連線）")
                }
                None => format!("{src} 送來遲到的回應（防火牆已忘記該連線）"),
            },
            Kind::BenignNatSourcePort => {
                format!("{src} 回應至 Linux 偽裝（NAT）連接埠範圍（{ports}，無害）")
            }
            Kind::BenignGame => format!("{src} 的遊戲流量（{ports}，無害）"),
            Kind::BenignStreaming => format!("{src} 的串流媒體流量（{ports}，無害）"),
            Kind::BenignInoculan => format!("{src} 的 Inoculan 防毒軟體廣播（41508，無害）"),
            Kind::BenignLanDiscovery => format!("{src} 的區域網路探索廣播（{ports}，無害）"),
            Kind::HeartbeatPowwow => {
                format!("{src} 定期連往 {hosts} 的 13223（PowWow 心跳，多半是繼承來的舊位址）")
            }
            Kind::ScannerZmap => format!("{src} 使用 zmap 掃描（IP ID 54321）"),
            Kind::ScannerMasscan => format!("{src} 使用 masscan 掃描（IP ID 與目標、序號相關）"),
            Kind::ScannerMirai => {
                format!("{src} 以 Mirai 殭屍網路的方式掃描（TCP 序號等於目標位址）")
            }
        }
    } else {
        match kind {
            Kind::ScanVertical => format!("{src} scanned {ports} of {hosts}{pace}{hunted}"),
            Kind::ScanHorizontal => format!("{src} scanned {ports} across {hosts}{pace}{hunted}"),
            Kind::ScanBlock => format!("{src} scanned a block: {ports} × {hosts}{pace}{hunted}"),
            Kind::ScanDistributed => format!("{src} each probed {ports} of {hosts}{over} (distributed scan){hunted}"),
            Kind::ScanIpProtocol => format!("{src} tried {} IP protocols on {hosts} (IP-protocol scan)", attr("ip_protocols")),
            Kind::ProbeSpoofedSource => format!("packets from impossible source {src} reached {hosts} ({}: spoofed)", attr("reason")),
            Kind::OutboundBlocked => format!("inside host {src} was refused {} times at {ports} of {hosts}", attr("attempts")),
            Kind::OutboundPeriodic => format!("inside host {src} calls {ports} of {hosts} every {} s (blocked; likely an update or telemetry agent)", attr("period_seconds")),
            Kind::NoiseRetry => format!("{src} kept trying blocked {ports} of {hosts}: {} attempts{over} (none reached the service)", attr("attempts")),
            Kind::ScanStealth => format!("{src} ran a {} stealth scan of {ports} on {hosts}{hunted}", attr("variant")),
            Kind::ScanOsFingerprint => format!("{src} sent odd-flag / port-0 probes to {hosts} to fingerprint its operating system"),
            Kind::ScanSscan => format!("{src} scanned {hosts} with the sscan signature (ports 1–5)"),
            Kind::ScanProxy => format!("{src} hunted for open proxies on {hosts} ({ports})"),
            Kind::ScanTrojan => format!("{src} hunted for {} backdoors on {hosts} ({ports})", attr("trojan")),
            Kind::ScanRpc => format!("{src} probed RPC / NFS services of {hosts} ({ports})"),
            Kind::ScanPcanywhere => format!("{src} looked for pcAnywhere on {hosts}"),
            Kind::ScanSourcePort => format!("{src} scanned {ports} of {hosts} from trusted source port {} to slip through filters", attr("source_port")),
            Kind::SweepPing => format!("{src} ping-swept {hosts}"),
            Kind::ProbeFraggle => format!("{src} sent UDP echo/chargen to broadcast address {hosts} (Fraggle)"),
            Kind::ProbeReflector => format!("{src} probed amplification services of {hosts} ({ports})"),
            Kind::ProbeSmurf => format!("{src} sent ICMP echo to broadcast address {hosts} (Smurf attack)"),
            Kind::DosEchoChargen => format!("{src} sent echo ⇄ chargen loop packets to {hosts} (spoofed denial of service)"),
            Kind::AttackBruteforce => format!("{src} tried {ports} of {hosts} {n} times (brute force)"),
            Kind::CompromiseTrojanOutbound => format!("inside host {src} called backdoor {ports} outside ({}): likely compromised", attr("trojan")),
            Kind::AdwareConducent => format!("inside host {src} keeps calling the Conducent ad server ({} attempts): adware installed", attr("attempts")),
            Kind::CompromiseBeacon => format!("inside host {src} retries {ports} of {hosts} every {} s (beacon)", attr("period_seconds")),
            Kind::BenignTraceroute => format!("{src} ran a traceroute to {hosts} (harmless)"),
            Kind::BenignTracerouteReply => format!("{src} answered with TTL exceeded (traceroute replies, harmless)"),
            Kind::BenignDhcp => format!("DHCP broadcasts from {src} (harmless noise)"),
            Kind::BenignNetbios => format!("NetBIOS chatter from {src} (Windows networking noise)"),
            Kind::BenignIdent => format!("{src} asked ident (113): usually a mail or IRC server; answer with RST"),
            Kind::BenignLateReply => match finding.attribute("service_port") {
                Some(port) => format!("late replies from {src} service port {port} after the firewall forgot the connection"),
                None => format!("late replies from {src} after the firewall forgot the connection"),
            },
            Kind::BenignNatSourcePort => format!("replies from {src} to Linux masquerade ports ({ports}, harmless)"),
            Kind::BenignGame => format!("game traffic from {src} ({ports}, harmless)"),
            Kind::BenignStreaming => format!("media stream from {src} ({ports}, harmless)"),
            Kind::BenignInoculan => format!("Inoculan anti-virus broadcasts from {src} (41508, harmless)"),
            Kind::BenignLanDiscovery => format!("LAN discovery broadcasts from {src} ({ports}, harmless)"),
            Kind::HeartbeatPowwow => format!("{src} keeps calling {hosts} on 13223 (PowWow heartbeat to an inherited address)"),
            Kind::ScannerZmap => format!("{src} scans with zmap (IP ID 54321)"),
            Kind::ScannerMasscan => format!("{src} scans with masscan (IP ID tied to target and sequence)"),
            Kind::ScannerMirai => format!("{src} scans like a Mirai bot (TCP sequence = target address)"),
        }
    }
}

/// A scan names what it hunted for only when it tried this many ports or fewer (and all of them
/// are known): beyond that it is a sweep, and a few names would misrepresent it.
const HUNTED_MAX_PORTS: u64 = 16;

/// ... and when at least this share (in percent) of its ports name a service: a sweep of random
/// numbers that happens to touch a few known ports hunted for nothing in particular.
const HUNTED_MIN_PERCENT: u64 = 75;

/// At most this many names; more are cut with "…".
const HUNTED_MAX_NAMES: usize = 3;

/// The short names of the services a scan's ports are known for: for each scanned port (in port
/// order) its entry of its own ([`fwseen_kb::specific_entry`]), if that names a service a scanner
/// hunts. Entries saying a port has no known service (names starting with "No ") and ports whose
/// lone probe is usually harmless (verdict benign or noise, such as the old dynamic ports) name
/// nothing. Empty when the scan tried more than [`HUNTED_MAX_PORTS`] ports, when its port list
/// is a sample, or when fewer than [`HUNTED_MIN_PERCENT`] % of its ports name a service.
pub fn hunted_names(finding: &Finding) -> Vec<&'static str> {
    let t = &finding.targets;
    if t.port_count == 0 || t.port_count > HUNTED_MAX_PORTS || t.ports.len() as u64 != t.port_count
    {
        return Vec::new();
    }
    let proto = match t.protocols.as_slice() {
        [one] if one.has_ports() => Some(*one),
        _ => None::<Protocol>,
    };
    let mut names: Vec<&'static str> = Vec::new();
    let mut named_ports = 0u64;
    for &port in &t.ports {
        let Some(entry) = fwseen_kb::specific_entry(port, proto) else {
            continue;
        };
        if matches!(entry.verdict, Verdict::Benign | Verdict::Noise)
            || entry.name.starts_with("No ")
        {
            continue;
        }
        named_ports += 1;
        let name = short_name(entry.name);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if named_ports * 100 < t.port_count * HUNTED_MIN_PERCENT {
        names.clear();
    }
    names
}

/// An entry's name without a trailing parenthesised port number or range, which the summary
/// already gives: `SOCKS4 proxy (4145)` is `SOCKS4 proxy`; `Remote Desktop Protocol (RDP)` stays.
fn short_name(name: &'static str) -> &'static str {
    if let Some(open) = name.rfind(" (") {
        let inner = &name[open + 2..];
        if let Some(inner) = inner.strip_suffix(')') {
            if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                return &name[..open];
            }
        }
    }
    name
}

/// `, hunting for A, B and C` (or `，鎖定 A、B 與 C`); empty for no names.
fn hunted_clause(names: &[&str], zh: bool) -> String {
    if names.is_empty() {
        return String::new();
    }
    let shown = &names[..names.len().min(HUNTED_MAX_NAMES)];
    let more = names.len() > shown.len();
    let (sep, and, lead) = if zh {
        ("、", " 與 ", "，鎖定 ")
    } else {
        (", ", " and ", ", hunting for ")
    };
    let list = match shown {
        [one] => (*one).to_string(),
        _ if more => format!("{}{sep}…", shown.join(sep)),
        [rest @ .., last] => format!("{}{and}{last}", rest.join(sep)),
        [] => String::new(),
    };
    format!("{lead}{list}")
}

/// A duration for people: `45 s`, `3 min 12 s`, `2 h 5 min`, `3 d 4 h` (or the Chinese units).
pub fn duration_text(seconds: f64, lang: Lang) -> String {
    let zh = lang == Lang::ZhHant;
    let (d, h, m, s) = if zh {
        ("天", "小時", "分", "秒")
    } else {
        (" d", " h", " min", " s")
    };
    let sep = if zh { "" } else { " " };
    let total = seconds.max(0.0);
    if total > 0.0 && total < 0.1 {
        return if zh {
            "不到 0.1 秒".to_string()
        } else {
            "< 0.1 s".to_string()
        };
    }
    if total < 10.0 && total.fract() != 0.0 {
        return format!("{total:.1}{s}");
    }
    let total = total.round() as u64;
    let (days, hours, minutes, secs) = (
        total / 86_400,
        total / 3600 % 24,
        total / 60 % 60,
        total % 60,
    );
    if days > 0 {
        format!("{days}{d}{sep}{hours}{h}")
    } else if hours > 0 {
        format!("{hours}{h}{sep}{minutes}{m}")
    } else if minutes > 0 {
        format!("{minutes}{m}{sep}{secs}{s}")
    } else {
        format!("{secs}{s}")
    }
}

fn describe_hosts(finding: &Finding, zh: bool) -> String {
    let t = &finding.targets;
    match (t.host_count, t.hosts.first()) {
        (1, Some(host)) => host.to_string(),
        (0, _) if zh => "（未知主機）".to_string(),
        (0, _) => "(unknown host)".to_string(),
        (n, _) if zh => format!("{n} 台主機"),
        (n, _) => format!("{n} hosts"),
    }
}

fn describe_ports(finding: &Finding, zh: bool) -> String {
    let t = &finding.targets;
    let proto = match t.protocols.as_slice() {
        [one] => format!("/{}", one.as_str()),
        _ => String::new(),
    };
    match t.port_count {
        0 if zh => "（無連接埠）".to_string(),
        0 => "(no port)".to_string(),
        1..=3 if t.ports.len() as u64 == t.port_count => {
            let list: Vec<String> = t.ports.iter().map(|p| format!("{p}{proto}")).collect();
            if zh {
                format!("連接埠 {}", list.join("、"))
            } else if list.len() == 1 {
                format!("port {}", list[0])
            } else {
                format!("ports {}", list.join(", "))
            }
        }
        n if zh => format!("{n} 個連接埠"),
        n => format!("{n} ports"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Class, Evidence, Severity, Targets};

    fn scan(kind: Kind, ports: &[u16], port_count: u64) -> Finding {
        Finding {
            kind: kind.id(),
            class: Class::Recon,
            severity: Severity::Medium,
            src: Some("198.51.100.7".parse().unwrap()),
            other_sources: Vec::new(),
            source_count: 1,
            targets: Targets {
                hosts: vec!["203.0.113.5".parse().unwrap()],
                host_count: 1,
                ports: ports.to_vec(),
                port_count,
                protocols: vec![Protocol::Tcp],
            },
            first_seen: None,
            last_seen: None,
            attributes: Vec::new(),
            kb_port: None,
            evidence: Evidence {
                samples: Vec::new(),
                event_count: port_count,
            },
        }
    }

    #[test]
    fn a_scan_says_what_it_hunted_for() {
        let finding = scan(Kind::ScanVertical, &[2000, 4145, 8291], 3);
        assert_eq!(
            summary(&finding, Lang::En),
            "198.51.100.7 scanned ports 2000/tcp, 4145/tcp, 8291/tcp of 203.0.113.5, hunting for \
             Cisco SCCP / MikroTik bandwidth test, SOCKS4 proxy and MikroTik Winbox"
        );
        assert_eq!(
            summary(&finding, Lang::ZhHant),
            "198.51.100.7 掃描了 203.0.113.5 的 連接埠 2000/tcp、4145/tcp、8291/tcp，鎖定 \
             Cisco SCCP / MikroTik bandwidth test、SOCKS4 proxy 與 MikroTik Winbox"
        );
        // One port across many hosts: one name.
        let mut horizontal = scan(Kind::ScanHorizontal, &[3390], 1);
        horizontal.targets.host_count = 40;
        assert!(summary(&horizontal, Lang::En).ends_with(", hunting for RDP moved next door"));
    }

    #[test]
    fn sweeps_and_unknown_ports_name_nothing() {
        // Too many ports, or only a sample of them: a sweep.
        let wide: Vec<u16> = (1..=64).collect();
        assert!(hunted_names(&scan(Kind::ScanVertical, &wide, 1000)).is_empty());
        assert!(hunted_names(&scan(Kind::ScanVertical, &[22, 23], 3)).is_empty());
        // No entry of its own (4230), no known service (1111), a harmless dynamic port (1026).
        assert!(hunted_names(&scan(Kind::ScanVertical, &[1026, 1111, 4230], 3)).is_empty());
        // A sweep of odd numbers that touches two known ports (1243, 4243) hunted for neither.
        let odd = [
            1243, 2243, 3243, 4243, 5243, 6243, 14159, 16159, 17159, 19159,
        ];
        assert!(hunted_names(&scan(Kind::ScanVertical, &odd, 10)).is_empty());
        // Three of four ports named: a hunt.
        let iot = scan(Kind::ScanVertical, &[23, 2000, 4230, 8291], 4);
        assert_eq!(hunted_names(&iot).len(), 3);
        let text = summary(&scan(Kind::ScanVertical, &[1111, 4230], 2), Lang::En);
        assert!(!text.contains("hunting"), "{text}");
        // Other kinds keep their own wording.
        let retry = summary(&scan(Kind::NoiseRetry, &[2000], 1), Lang::En);
        assert!(!retry.contains("hunting"), "{retry}");
    }

    #[test]
    fn names_are_short_and_capped() {
        assert_eq!(short_name("SOCKS4 proxy (4145)"), "SOCKS4 proxy");
        assert_eq!(
            short_name("RDP moved next door (3388-3399)"),
            "RDP moved next door"
        );
        assert_eq!(
            short_name("Remote Desktop Protocol (RDP)"),
            "Remote Desktop Protocol (RDP)"
        );
        let names = ["A", "B", "C", "D", "E"];
        assert_eq!(hunted_clause(&names, false), ", hunting for A, B, C, …");
        assert_eq!(hunted_clause(&names[..2], true), "，鎖定 A 與 B");
        assert_eq!(hunted_clause(&[], false), "");
    }
}
