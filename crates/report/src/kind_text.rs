//! What each finding kind means and what to do about it, in English and Traditional Chinese.
//!
//! The detect crate writes the one-line summary of a finding; the knowledge base explains the
//! port a finding is about. This table fills the gap between them: a short, general explanation
//! of the *pattern* and the advice that goes with it, so that every finding has both even when no
//! single port explains it (a vertical scan, a ping sweep). It holds no log text.

use fwseen_detect::Kind;
use fwseen_kb::{Lang, Text};

/// The explanation and advice for one kind.
struct KindText {
    kind: Kind,
    explanation: Text,
    advice: Text,
}

const fn text(en: &'static str, zh: &'static str) -> Text {
    Text { en, zh }
}

/// The general explanation of a kind, in `lang`.
pub fn explanation(kind: Kind, lang: Lang) -> &'static str {
    entry(kind).explanation.get(lang)
}

/// The general advice for a kind, in `lang`.
pub fn advice(kind: Kind, lang: Lang) -> &'static str {
    entry(kind).advice.get(lang)
}

fn entry(kind: Kind) -> &'static KindText {
    // The table is in `Kind::ALL` order (a unit test checks it), so the index finds the entry.
    let entry = &KIND_TEXTS[kind.index()];
    debug_assert_eq!(entry.kind, kind);
    entry
}

const KIND_TEXTS: &[KindText] = &[
    KindText {
        kind: Kind::ScanVertical,
        explanation: text(
            "One source tried many different ports on one host (or very few hosts). It is mapping which services that machine offers, usually with an automated scanner.",
            "單一來源對同一台（或極少數）主機嘗試了許多不同的連接埠，目的是摸清那台機器開了哪些服務，通常是自動化掃描工具所為。",
        ),
        advice: text(
            "Check that only the services you mean to offer answer on that host. If anything was allowed through, look at that service's logs for the same source.",
            "確認該主機只開放你有意提供的服務。若有封包被放行，請到該服務的紀錄中查看同一來源的活動。",
        ),
    },
    KindText {
        kind: Kind::ScanHorizontal,
        explanation: text(
            "One source tried the same port or few ports across many of your hosts. It is looking for any machine that runs one particular service, typically to exploit a known weakness in it.",
            "單一來源在你的許多主機上嘗試同一個或少數幾個連接埠，是在找任何一台執行某項特定服務的機器，通常是想利用該服務已知的弱點。",
        ),
        advice: text(
            "Make sure that service is either closed or patched everywhere. Internet-wide sweeps of this kind are common; they matter when a host answered.",
            "確認所有主機上的該服務不是已關閉就是已更新修補。這類全網掃描很常見，真正要注意的是有沒有主機回應。",
        ),
    },
    KindText {
        kind: Kind::ScanBlock,
        explanation: text(
            "One source tried many ports on many hosts: a broad survey of the whole network rather than a look at one machine or one service.",
            "單一來源對許多主機的許多連接埠進行探測，是對整個網路的全面普查，而非只針對一台機器或一項服務。",
        ),
        advice: text(
            "Treat the source as hostile and consider blocking it at the edge. Check whether any probe was allowed and answered.",
            "將該來源視為敵意來源，可考慮在邊界直接封鎖。檢查是否有任何探測被放行並得到回應。",
        ),
    },
    KindText {
        kind: Kind::ScanDistributed,
        explanation: text(
            "Many different sources probed the same port of your hosts over the input, each only a little. This is how botnets and scanning services spread one scan over many addresses so that no single source stands out.",
            "許多不同來源在整段紀錄中探測你主機的同一個連接埠，每個來源都只探測少量。殭屍網路與掃描服務常以此手法把一次掃描分散到大量位址，使單一來源不致顯眼。",
        ),
        advice: text(
            "Blocking single addresses will not help much; make sure the probed service is closed or hardened. A sudden wave often follows a newly published vulnerability.",
            "逐一封鎖位址效果有限，應確保被探測的服務已關閉或強化。突然湧現的一波探測常緊接在新漏洞公布之後。",
        ),
    },
    KindText {
        kind: Kind::ScanStealth,
        explanation: text(
            "The source sent TCP packets with flag combinations that no normal connection uses (NULL, FIN, XMAS, SYN+FIN, a bare ACK ...). Scanners use them to slip past simple filters and to learn how hosts react.",
            "該來源送出正常連線不會使用的 TCP 旗標組合（NULL、FIN、XMAS、SYN+FIN、單獨的 ACK 等）。掃描工具以此繞過簡單的過濾規則，並觀察主機如何反應。",
        ),
        advice: text(
            "A stateful firewall drops these; make sure yours does. The source is deliberately probing, so it deserves closer watching.",
            "具狀態的防火牆會丟棄這類封包，請確認你的防火牆如此設定。該來源是在刻意探測，值得密切注意。",
        ),
    },
    KindText {
        kind: Kind::ScanOsFingerprint,
        explanation: text(
            "Probes to port 0 or with odd flags are how tools such as nmap guess the operating system of a host from the way it answers.",
            "對連接埠 0 的探測或帶有怪異旗標的封包，是 nmap 等工具根據主機回應方式推測其作業系統的手法。",
        ),
        advice: text(
            "Nothing legitimate sends these. Drop them silently, and expect a targeted attack to follow from the same source.",
            "正當的流量不會送出這種封包。請靜默丟棄，並預期同一來源可能接著發動針對性攻擊。",
        ),
    },
    KindText {
        kind: Kind::ScanSscan,
        explanation: text(
            "Probes of the very low ports 1 to 5 are the signature of old automated vulnerability scanners such as sscan, which test them before looking for known holes.",
            "探測極低的連接埠 1 到 5，是 sscan 等老式自動弱點掃描器的特徵，它們會先測這些連接埠再去找已知漏洞。",
        ),
        advice: text(
            "Harmless if those ports are closed, but the scanner is looking for weaknesses: check the host's other exposed services.",
            "若這些連接埠是關閉的就無害，但掃描器是在找弱點，請檢查該主機其他對外開放的服務。",
        ),
    },
    KindText {
        kind: Kind::ScanProxy,
        explanation: text(
            "The source looked for open proxy servers (SOCKS 1080, web proxies on 3128, 8080, 8888 and similar). Open proxies are abused to hide the origin of spam, fraud and attacks.",
            "該來源在找開放的代理伺服器（SOCKS 1080，以及 3128、8080、8888 等網頁代理）。開放代理常被濫用來隱藏垃圾郵件、詐騙與攻擊的真正來源。",
        ),
        advice: text(
            "Make sure no proxy you run accepts connections from the internet without authentication.",
            "確認你架設的任何代理伺服器都不會在未經驗證的情況下接受來自網際網路的連線。",
        ),
    },
    KindText {
        kind: Kind::ScanTrojan,
        explanation: text(
            "The source probed ports that well-known backdoor programs listen on. It is hunting for machines that are already infected, hoping to take them over.",
            "該來源探測知名後門程式所監聽的連接埠，是在搜尋已遭感染的機器，企圖接手控制。",
        ),
        advice: text(
            "Usually harmless if the ports are closed; it only means someone is searching. If a host answered, examine it for the named backdoor.",
            "若這些連接埠是關閉的，通常無害，只表示有人在搜尋。若有主機回應，請檢查該主機是否中了所指名的後門。",
        ),
    },
    KindText {
        kind: Kind::ScanRpc,
        explanation: text(
            "The source probed the RPC portmapper (111), the high RPC ports or NFS and mountd. These services have a long history of remote exploits and of exposing file systems.",
            "該來源探測 RPC portmapper（111）、高位 RPC 連接埠或 NFS、mountd。這些服務長久以來屢有遠端漏洞，也可能曝露檔案系統。",
        ),
        advice: text(
            "RPC and NFS should never be reachable from the internet. Block them at the edge.",
            "RPC 與 NFS 絕不應對網際網路開放，請在邊界封鎖。",
        ),
    },
    KindText {
        kind: Kind::ScanPcanywhere,
        explanation: text(
            "The source looked for pcAnywhere remote-control hosts (5631/5632, or UDP 22 from 5632). Exposed remote-control software is a direct way into a machine.",
            "該來源在找 pcAnywhere 遠端控制主機（5631/5632，或從 5632 送往 UDP 22）。對外曝露的遠端控制軟體是直通機器的入口。",
        ),
        advice: text(
            "Do not expose remote-control software directly; put it behind a VPN.",
            "不要直接對外曝露遠端控制軟體，應置於 VPN 之後。",
        ),
    },
    KindText {
        kind: Kind::ScanSourcePort,
        explanation: text(
            "The probes came from a port that filters often trust (53 DNS, 20 FTP data, 67 DHCP, 88 Kerberos, 123 NTP) but went to many different ports. That is a trick to slip through rules that allow any packet from such a port.",
            "這些探測來自過濾規則常會信任的連接埠（53 DNS、20 FTP 資料、67 DHCP、88 Kerberos、123 NTP），卻送往許多不同的連接埠。這是想鑽過「凡來自該連接埠一律放行」規則的伎倆。",
        ),
        advice: text(
            "Check that no rule allows traffic only because of its source port; use stateful rules instead.",
            "檢查是否有任何規則僅憑來源連接埠就放行流量，應改用具狀態的規則。",
        ),
    },
    KindText {
        kind: Kind::ScanIpProtocol,
        explanation: text(
            "One source sent packets of many different IP protocols (GRE, ESP, IGMP, SCTP, bare protocol numbers ...) to the same host. That is an IP-protocol scan (nmap -sO): it learns which protocols the host's stack or firewall answers, a step towards finding tunnels, VPN endpoints or unfiltered protocols.",
            "單一來源向同一台主機送出許多不同 IP 協定的封包（GRE、ESP、IGMP、SCTP 或只有協定號碼的封包等）。這是 IP 協定掃描（nmap -sO）：藉此得知主機的協定堆疊或防火牆會回應哪些協定，進而尋找通道、VPN 端點或未被過濾的協定。",
        ),
        advice: text(
            "Drop every IP protocol you do not use at the edge, not only unwanted TCP and UDP ports. The scan itself did no harm; treat the source as a scanner.",
            "在網路邊界丟棄所有你不使用的 IP 協定，而不只是不需要的 TCP、UDP 連接埠。掃描本身不造成損害，把該來源當作掃描者看待即可。",
        ),
    },
    KindText {
        kind: Kind::SweepPing,
        explanation: text(
            "The source sent ICMP echo requests (pings) to many addresses to find out which hosts are alive, usually as the first step of a scan.",
            "該來源對許多位址送出 ICMP echo 請求（ping），以找出哪些主機在線上，通常是掃描的第一步。",
        ),
        advice: text(
            "Low risk on its own. Expect port scans from the same source; you may drop inbound echo requests if you do not need them.",
            "單獨來看風險不高，但同一來源可能接著做連接埠掃描。若不需要，可丟棄外來的 echo 請求。",
        ),
    },
    KindText {
        kind: Kind::ProbeFraggle,
        explanation: text(
            "UDP packets to the echo (7) or chargen (19) service of a network or broadcast address. Every host that answers multiplies the traffic toward the forged sender: the Fraggle amplification attack.",
            "送往網段或廣播位址之 echo（7）或 chargen（19）服務的 UDP 封包。每台回應的主機都會把流量放大送往被偽造的寄件者，這就是 Fraggle 放大攻擊。",
        ),
        advice: text(
            "Drop packets to broadcast addresses at the edge and turn off the echo and chargen services.",
            "在邊界丟棄送往廣播位址的封包，並關閉 echo 與 chargen 服務。",
        ),
    },
    KindText {
        kind: Kind::ProbeReflector,
        explanation: text(
            "The source probed services that answer a small request with a large reply (chargen, DNS, NTP, SNMP, LDAP, SSDP, WS-Discovery, memcached). Attackers collect such reflectors to amplify denial-of-service floods.",
            "該來源探測會以大量回覆回應小請求的服務（chargen、DNS、NTP、SNMP、LDAP、SSDP、WS-Discovery、memcached）。攻擊者蒐集這類反射器，用來放大阻斷服務攻擊的流量。",
        ),
        advice: text(
            "Make sure none of these services answers the internet unless it must, and rate-limit those that do.",
            "除非必要，確保這些服務都不回應網際網路；必須開放者請加上速率限制。",
        ),
    },
    KindText {
        kind: Kind::ProbeSpoofedSource,
        explanation: text(
            "Packets arrived with a source address that cannot be real on this path: this network (0.0.0.0/8), loopback, multicast or broadcast, the reserved 240.0.0.0/4 block, or the destination's own address (the land attack). Nobody can receive an answer at such an address, so the sender either forged it to hide, to test your filtering, or to crash old stacks.",
            "封包帶著在這條路徑上不可能存在的來源位址：本網路（0.0.0.0/8）、迴路位址、群播或廣播位址、保留的 240.0.0.0/4，或與目的地相同的位址（land 攻擊）。沒有人能在這種位址收到回應，所以發送者是偽造來源，用來隱藏身分、測試你的過濾規則，或讓老舊的協定堆疊當機。",
        ),
        advice: text(
            "Filter such sources at the edge (anti-spoofing, reverse-path filtering: rp_filter on Linux). If they arrive on an inside interface, look for a misconfigured or compromised machine there.",
            "在網路邊界過濾這類來源（反偽造、反向路徑檢查：Linux 的 rp_filter）。若這些封包出現在內部介面上，請找出那一側設定錯誤或遭入侵的機器。",
        ),
    },
    KindText {
        kind: Kind::ProbeSmurf,
        explanation: text(
            "ICMP echo requests sent to a broadcast address. Every host on that network replies to the (usually forged) sender, flooding it: the Smurf attack.",
            "送往廣播位址的 ICMP echo 請求。該網段上的每台主機都會回覆給（通常是偽造的）寄件者，使其被淹沒，這就是 Smurf 攻擊。",
        ),
        advice: text(
            "Make sure your routers do not forward directed broadcasts and your hosts ignore broadcast pings.",
            "確認路由器不轉送定向廣播，並讓主機忽略廣播 ping。",
        ),
    },
    KindText {
        kind: Kind::DosEchoChargen,
        explanation: text(
            "Packets between the echo (7) and chargen (19) services. With a forged source, two such services keep answering each other forever and choke the link.",
            "echo（7）與 chargen（19）服務之間的封包。若來源被偽造，兩個服務會無止盡地互相回應，塞滿線路。",
        ),
        advice: text(
            "Turn off echo and chargen everywhere and drop them at the edge.",
            "在所有主機上關閉 echo 與 chargen，並在邊界丟棄。",
        ),
    },
    KindText {
        kind: Kind::AttackBruteforce,
        explanation: text(
            "Many connections that the firewall let through (or sessions that completed) to one login service (SSH, Telnet, RDP, mail, databases ...). Each one reached the service, so someone is likely guessing passwords. Dropped attempts are never counted here: they are retries.",
            "對同一項登入服務（SSH、Telnet、RDP、郵件、資料庫等）建立了許多被防火牆放行的連線（或完成的工作階段）。每一次都到達了服務，很可能有人在猜密碼。被丟棄的嘗試不算在內，那只是重試。",
        ),
        advice: text(
            "Check the service's own log for a successful login from this source. Use keys or strong unique passwords, limit who may connect, and rate-limit failed logins.",
            "到該服務的紀錄中查看此來源是否曾登入成功。改用金鑰或強度足夠且不重複的密碼，限制可連線的來源，並對失敗的登入加上速率限制。",
        ),
    },
    KindText {
        kind: Kind::CompromiseTrojanOutbound,
        explanation: text(
            "A host inside your network opened connections to a port that a known backdoor uses, out on the internet. For backdoors that call their controller, the host likely runs the backdoor; for backdoors that listen (a root shell bound to a port, such as ingreslock 1524), someone on the host is connecting to a backdoor on the other machine, or the host is used as a stepping stone. Clean machines do neither.",
            "你網路內部的主機一再連往網際網路上知名後門所用的連接埠。若是會回報主控端的後門，該主機很可能正執行後門程式；若是監聽型的後門（例如綁在 ingreslock 1524 上的 root shell），則是有人從該主機連往對方機器上的後門，或該主機被當成跳板。乾淨的機器兩者都不會做。",
        ),
        advice: text(
            "Isolate the inside host, examine it for malware, and rebuild it if in doubt. Check what else it talked to.",
            "隔離該內部主機並檢查是否有惡意程式，若無法確定就重新安裝。同時查清它還連過哪些地方。",
        ),
    },
    KindText {
        kind: Kind::AdwareConducent,
        explanation: text(
            "An inside host kept calling port 17027, used by the Conducent/TimeSink advertising component bundled with some free programs. It retries often when blocked.",
            "內部主機反覆連往 17027 連接埠，那是某些免費軟體附帶的 Conducent/TimeSink 廣告元件所用。被擋時它會頻繁重試。",
        ),
        advice: text(
            "Find and remove the program that installed the adware on that host.",
            "找出並移除在該主機上安裝這個廣告軟體的程式。",
        ),
    },
    KindText {
        kind: Kind::CompromiseBeacon,
        explanation: text(
            "An inside host retried the same outside address and port at a steady period for hours, on a port that is no everyday service (or one known to be bad). Regular, automatic call-outs are typical of malware checking in with its controller, though some agents do the same.",
            "內部主機在數小時內以穩定的間隔反覆連往同一個外部位址與連接埠，而該連接埠不是日常服務（或是已知的惡意連接埠）。規律的自動外連是惡意程式向主控端報到的典型行為，但有些程式也會如此。",
        ),
        advice: text(
            "Find which program on the inside host makes these connections. If it is not a known update or monitoring agent, treat the host as compromised.",
            "找出內部主機上是哪個程式發出這些連線。若不是已知的更新或監控程式，請將該主機視為已遭入侵。",
        ),
    },
    KindText {
        kind: Kind::OutboundBlocked,
        explanation: text(
            "One of your hosts kept trying to reach the same service on a few outside hosts, and the firewall refused it every time. Each target was tried again and again, which is retrying, not scanning. On the mail ports (25, 465, 587) this is either a mail server whose relay is blocked or a program sending mail it should not (spam bots do exactly this).",
            "你的一台主機一再嘗試連往少數外部主機上的同一項服務，每次都被防火牆拒絕。每個目標都被反覆嘗試，這是重試而不是掃描。若是郵件連接埠（25、465、587），不是郵件伺服器的轉送被擋，就是有程式在寄出不該寄的信（垃圾郵件殭屍正是如此）。",
        ),
        advice: text(
            "Find which program on the inside host makes these connections. If the host is not meant to send mail, treat it as suspect and look for a spam-sending program; if it is, fix its relay settings.",
            "找出內部主機上是哪個程式發出這些連線。若該主機不該寄信，請視為可疑並尋找寄垃圾郵件的程式；若它本來就是郵件伺服器，請修正其轉送設定。",
        ),
    },
    KindText {
        kind: Kind::OutboundPeriodic,
        explanation: text(
            "One of your hosts called the same outside address on an everyday service port (web, DNS, NTP ...) at a steady period, and the firewall blocked it. Update checkers, telemetry and sync agents behave exactly like this; malware that hides in web traffic does too, but the period alone does not prove it.",
            "你的一台主機以穩定的間隔連往同一個外部位址的日常服務連接埠（網頁、DNS、NTP 等），並被防火牆擋下。更新檢查、遙測與同步程式正是如此；藏身於網頁流量的惡意程式也會這樣，但單憑固定間隔不足以證明。",
        ),
        advice: text(
            "Find which program makes the calls (the firewall log of the host, or netstat -b / ss -p while it runs). If it is a known agent, allow or silence it; if not, look closer.",
            "找出是哪個程式發出這些連線（主機本身的防火牆紀錄，或在它執行時用 netstat -b / ss -p 查看）。若是已知的程式，就放行或讓它安靜；若不是，請進一步調查。",
        ),
    },
    KindText {
        kind: Kind::NoiseRetry,
        explanation: text(
            "One source kept trying the same one or few blocked ports of yours: retransmissions of a dropped SYN, a mail server retrying delivery every so often, one packet sent many times, or a prober that comes back to the same service now and then. A dropped packet never reached the service, so this is not a password guess; it is noise from something that expects an answer or checks again later.",
            "同一來源一再嘗試你同樣一個或少數幾個被擋的連接埠：被丟棄的 SYN 重送、郵件伺服器定期重試投遞、同一個封包被送了許多次，或是探測者隔一陣子就回來查看同一項服務。被丟棄的封包從未到達服務，所以這不是猜密碼，而是某個期待回應或稍後再來查看的程式所產生的雜訊。",
        ),
        advice: text(
            "Nothing to do unless you expect that traffic. If it is a mail server you want mail from, open the port; otherwise rejecting with a reset instead of dropping makes the sender give up sooner.",
            "除非你本來就期待這些流量，否則不必處理。若對方是你想收信的郵件伺服器，請開放該連接埠；否則改以 RST 拒絕而非丟棄，可讓對方更快放棄。",
        ),
    },
    KindText {
        kind: Kind::BenignTraceroute,
        explanation: text(
            "UDP packets to the traceroute ports (33434 and up) or ICMP echoes with rising TTL: someone measured the network path to your address, often a network diagnostic or a monitoring service.",
            "送往 traceroute 連接埠（33434 以上）的 UDP 封包，或 TTL 逐步遞增的 ICMP echo：有人在測量到你位址的網路路徑，通常是網路診斷或監測服務。",
        ),
        advice: text(
            "Nothing to do. Answering with ICMP port unreachable lets the tool finish.",
            "無須處理。以 ICMP 連接埠無法抵達回應即可讓該工具完成測量。",
        ),
    },
    KindText {
        kind: Kind::BenignTracerouteReply,
        explanation: text(
            "ICMP time-exceeded messages are what routers send back to a traceroute. Seeing them means a traceroute from your side passed through that router.",
            "ICMP 逾時訊息是路由器回給 traceroute 的回應。看到它們表示從你這端發出的 traceroute 經過了該路由器。",
        ),
        advice: text(
            "Nothing to do; allowing them back in makes traceroute from your side work.",
            "無須處理；放行這些回應可讓你這端的 traceroute 正常運作。",
        ),
    },
    KindText {
        kind: Kind::BenignDhcp,
        explanation: text(
            "DHCP broadcasts (ports 67 and 68) are how machines on a local network ask for and receive their addresses. They are part of normal network life.",
            "DHCP 廣播（連接埠 67 與 68）是區域網路上的機器請求並取得位址的方式，屬於網路的正常運作。",
        ),
        advice: text(
            "Nothing to do; you may stop logging them to keep the log readable.",
            "無須處理；可不再記錄它們，讓紀錄更易閱讀。",
        ),
    },
    KindText {
        kind: Kind::BenignNetbios,
        explanation: text(
            "NetBIOS name and datagram traffic (137/138) is Windows file-sharing chatter: machines announcing themselves and looking each other up.",
            "NetBIOS 名稱與資料包流量（137/138）是 Windows 檔案分享的閒聊：機器在宣告自己並互相查找。",
        ),
        advice: text(
            "Harmless on a LAN. It should never cross the internet edge; block it there.",
            "在區域網路內無害，但絕不應跨越網際網路邊界，請在邊界封鎖。",
        ),
    },
    KindText {
        kind: Kind::BenignIdent,
        explanation: text(
            "Connections to ident (113) come from mail and IRC servers asking which user owns a connection you opened to them.",
            "連往 ident（113）的連線來自郵件與 IRC 伺服器，它們在詢問你對它們發起的連線屬於哪個使用者。",
        ),
        advice: text(
            "Reject with a TCP reset instead of dropping, so the server does not wait for a timeout and your mail is not delayed.",
            "以 TCP RST 拒絕而非靜默丟棄，伺服器就不必等到逾時，你的郵件也不會因此延遲。",
        ),
    },
    KindText {
        kind: Kind::BenignLateReply,
        explanation: text(
            "Replies (ACK, FIN or RST packets, or DNS and NTP answers) from a server's port to one of your high ports, arriving after the firewall had already forgotten the connection. They belong to traffic you started.",
            "來自伺服器連接埠、送往你這端高位連接埠的回應（ACK、FIN、RST 封包，或 DNS 與 NTP 回覆），在防火牆已忘記該連線後才抵達。它們屬於你自己發起的流量。",
        ),
        advice: text(
            "Nothing to do. Many of them may mean the firewall's connection timeouts are short.",
            "無須處理。若數量很多，可能表示防火牆的連線逾時設得太短。",
        ),
    },
    KindText {
        kind: Kind::BenignNatSourcePort,
        explanation: text(
            "Traffic to ports 61000 and up, the range Linux masquerading uses for translated connections: replies to connections made through a Linux NAT gateway.",
            "送往 61000 以上連接埠的流量，這是 Linux 偽裝（masquerade）轉換連線所用的範圍，屬於經由 Linux NAT 閘道建立之連線的回應。",
        ),
        advice: text("Nothing to do.", "無須處理。"),
    },
    KindText {
        kind: Kind::BenignGame,
        explanation: text(
            "Traffic on ports used by online games (Quake and similar). Game servers and clients send many small packets, which can look like probing but is play.",
            "線上遊戲（Quake 等）所用連接埠上的流量。遊戲伺服器與用戶端會送出大量小封包，看似探測，實為遊戲。",
        ),
        advice: text(
            "Nothing to do unless nobody on your network plays.",
            "除非你的網路上沒有人玩遊戲，否則無須處理。",
        ),
    },
    KindText {
        kind: Kind::BenignStreaming,
        explanation: text(
            "Traffic on media streaming ports (RealAudio 6970-7170 and similar): a stream someone on your side asked for.",
            "串流媒體連接埠（RealAudio 6970–7170 等）上的流量，是你這端有人要求的串流。",
        ),
        advice: text("Nothing to do.", "無須處理。"),
    },
    KindText {
        kind: Kind::BenignInoculan,
        explanation: text(
            "Broadcasts on port 41508 from the Inoculan / eTrust anti-virus software, which announces itself on the local network.",
            "來自 Inoculan／eTrust 防毒軟體、在 41508 連接埠上的廣播，它會在區域網路上宣告自己。",
        ),
        advice: text("Nothing to do.", "無須處理。"),
    },
    KindText {
        kind: Kind::BenignLanDiscovery,
        explanation: text(
            "Local network discovery broadcasts (SSDP, mDNS, LLMNR, WS-Discovery and the like): devices finding printers, media players and each other.",
            "區域網路探索廣播（SSDP、mDNS、LLMNR、WS-Discovery 等）：裝置在尋找印表機、媒體播放器與彼此。",
        ),
        advice: text(
            "Harmless on a LAN; it should never arrive from the internet.",
            "在區域網路內無害，但不應來自網際網路。",
        ),
    },
    KindText {
        kind: Kind::HeartbeatPowwow,
        explanation: text(
            "Periodic packets to port 13223, used by the old PowWow chat program. They usually come from a client that still calls the address you inherited from its former owner.",
            "定期送往 13223 連接埠的封包，這是老舊的 PowWow 聊天程式所用。通常來自仍在呼叫你從前一位使用者繼承來之位址的用戶端。",
        ),
        advice: text(
            "Harmless; it fades as those clients disappear.",
            "無害；隨著那些用戶端消失便會減少。",
        ),
    },
    KindText {
        kind: Kind::ScannerZmap,
        explanation: text(
            "The packets carry IP ID 54321, the fixed value the zmap scanner writes. zmap is used by research projects and attackers alike to scan the whole internet in minutes.",
            "這些封包的 IP ID 為 54321，是 zmap 掃描器寫入的固定值。研究計畫與攻擊者都會用 zmap 在幾分鐘內掃遍整個網際網路。",
        ),
        advice: text(
            "Background internet scanning; make sure the probed service is closed or hardened.",
            "屬於網際網路上的背景掃描；確保被探測的服務已關閉或強化。",
        ),
    },
    KindText {
        kind: Kind::ScannerMasscan,
        explanation: text(
            "The packets' IP ID is derived from the target and sequence number the way masscan computes it. masscan is a very fast internet-wide port scanner.",
            "這些封包的 IP ID 是依 masscan 的算法由目標與序號推導而來。masscan 是速度極快的全網連接埠掃描器。",
        ),
        advice: text(
            "Background internet scanning; make sure the probed service is closed or hardened.",
            "屬於網際網路上的背景掃描；確保被探測的服務已關閉或強化。",
        ),
    },
    KindText {
        kind: Kind::ScannerMirai,
        explanation: text(
            "The TCP sequence number equals the destination address, the mark of the Mirai botnet's scanner. The source is most likely an infected IoT device looking for more devices to infect (Telnet, cameras, routers).",
            "TCP 序號等於目的位址，這是 Mirai 殭屍網路掃描器的標記。來源多半是受感染的物聯網裝置，正在尋找更多可感染的裝置（Telnet、攝影機、路由器）。",
        ),
        advice: text(
            "Make sure no device of yours exposes Telnet or a default password to the internet.",
            "確認你的任何裝置都沒有對網際網路開放 Telnet 或使用預設密碼。",
        ),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_follows_kind_order_and_covers_every_kind() {
        assert_eq!(KIND_TEXTS.len(), Kind::ALL.len());
        for (entry, kind) in KIND_TEXTS.iter().zip(Kind::ALL) {
            assert_eq!(entry.kind, *kind, "table out of order at {}", kind.id());
            for t in [entry.explanation, entry.advice] {
                assert!(!t.en.is_empty() && !t.zh.is_empty(), "{}", kind.id());
                assert!(t.en.is_ascii(), "{}", kind.id());
                assert!(!t.zh.is_ascii(), "{} has no Chinese text", kind.id());
            }
        }
    }
}
