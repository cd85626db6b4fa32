//! Format sniffing on a head of each format, as the reader hands it over (first bytes of the
//! decompressed input).

use fwseen_parse::{sniff, FormatKind};

fn head_of(lines: &[&str]) -> Vec<u8> {
    let mut head = Vec::new();
    for line in lines {
        head.extend_from_slice(line.as_bytes());
        head.push(b'\n');
    }
    head
}

#[test]
fn netfilter_syslog() {
    let head = head_of(&[
        "Mar  3 10:11:12 gate kernel: [ 1234.567890] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.7 DST=198.51.100.2 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4242 DF PROTO=TCP SPT=51515 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0",
        "Mar  3 10:11:13 gate sshd[99]: Connection closed by 203.0.113.7 port 51515",
        "Mar  3 10:11:14 gate kernel: [ 1235.000001] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.8 DST=198.51.100.2 LEN=40 TOS=0x00 PREC=0x00 TTL=240 ID=54321 PROTO=TCP SPT=40000 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::Netfilter));
}

#[test]
fn netfilter_journal_json() {
    let head = head_of(&[
        r#"{"__REALTIME_TIMESTAMP":"1704164645123456","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"[UFW BLOCK] IN=eth0 OUT= MAC=00 SRC=203.0.113.7 DST=198.51.100.2 LEN=60 TTL=52 ID=4242 PROTO=TCP SPT=51515 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0"}"#,
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::Netfilter));
}

#[test]
fn pf_filterlog() {
    let head = head_of(&[
        "Sep 28 10:38:24 pfSense filterlog: 53,,,1000102631,em0,match,block,in,4,0x0,,64,600,0,none,6,tcp,44,10.0.2.2,10.0.2.15,53792,22,0,S,31552001,,65535,,mss",
        "<134>1 2025-11-06T11:32:42.868451+00:00 firewall.lan filterlog 92653 - - 7,,,1000000102,vtnet0.5,match,block,in,4,0x0,,64,19008,0,DF,6,tcp,60,192.168.5.6,192.168.5.1,40204,443,0,S,1234,,64240,,mss;sackOK;TS;nop;wscale",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::PfFilterlog));
}

#[test]
fn pf_tcpdump() {
    let head = head_of(&[
        "Mar 03 11:22:33.123456 rule 5/0(match): block in on em0: 192.0.2.1.5555 > 198.51.100.1.22: S 1:1(0) win 1024",
        "Mar 03 11:22:34.000001 rule 2/0(match): pass out on em1: 198.51.100.7.53 > 192.0.2.9.33333: 1234 1/0/0 A 192.0.2.10 (45)",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::PfTcpdump));
}

#[test]
fn windows_firewall() {
    let head = head_of(&[
        "#Version: 1.5",
        "#Software: Microsoft Windows Firewall",
        "#Time Format: Local",
        "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid",
        "",
        "2024-01-02 03:04:05 DROP TCP 192.0.2.1 192.0.2.2 5555 445 52 S 12345 0 8192 - - - RECEIVE 4",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::WindowsFirewall));
}

#[test]
fn zeek_tsv() {
    let head = head_of(&[
        "#separator \\x09",
        "#set_separator\t,",
        "#empty_field\t(empty)",
        "#unset_field\t-",
        "#path\tconn",
        "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state",
        "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring",
        "1300475167.096535\tCHhAvVGS1DHFjwGM9\t192.168.1.102\t68\t192.168.1.1\t67\tudp\tdhcp\t0.163820\t301\t300\tSF",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::ZeekTsv));
}

#[test]
fn zeek_json() {
    let head = head_of(&[
        r#"{"ts":1300475167.096535,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"192.168.1.102","id.orig_p":68,"id.resp_h":"192.168.1.1","id.resp_p":67,"proto":"udp","service":"dhcp","conn_state":"SF"}"#,
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::ZeekJson));
}

#[test]
fn cisco_asa() {
    let head = head_of(&[
        "Jun 16 2016 11:32:14: %ASA-4-106023: Deny tcp src outside:192.0.2.1/5555 dst inside:198.51.100.1/22 by access-group \"outside_in\" [0x0, 0x0]",
        "%ASA-2-106001: Inbound TCP connection denied from 192.0.2.9/54322 to 198.51.100.1/1433 flags SYN on interface outside",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::CiscoAsa));
}

#[test]
fn fortigate() {
    let head = head_of(&[
        "date=2024-10-14 time=13:46:40 devname=\"fw1\" devid=\"FGT60F0000000000\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" srcip=192.0.2.1 srcport=5555 srcintf=\"wan1\" dstip=198.51.100.1 dstport=22 dstintf=\"internal\" proto=6 action=\"deny\" policyid=0",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::FortiGate));
}

#[test]
fn paloalto() {
    let head = head_of(&[
        "Apr 30 06:00:00 pa-fw 1,2020/02/09 00:00:00,001801000000,TRAFFIC,drop,2561,2020/02/09 00:00:00,192.0.2.1,198.51.100.1,0.0.0.0,0.0.0.0,deny-all,,,not-applicable,vsys1,untrust,trust,ethernet1/1,,log,2020/02/09 00:00:00,0,1,5555,22,0,0,0x0,tcp,deny,60,60,0,1,2020/02/09 00:00:00,0,any,0,1,0x0,US,US,0,1,0,policy-deny",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::PaloAlto));
}

#[test]
fn juniper_srx() {
    let head = head_of(&[
        "<14>1 2017-09-23T13:54:54.803Z srx-01 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 source-address=\"192.0.2.1\" source-port=\"5555\" destination-address=\"198.51.100.1\" destination-port=\"22\" service-name=\"junos-ssh\" protocol-id=\"6\" icmp-type=\"0\" policy-name=\"deny-all\" source-zone-name=\"untrust\" destination-zone-name=\"trust\" application=\"UNKNOWN\" nested-application=\"UNKNOWN\" username=\"N/A\" roles=\"N/A\" packet-incoming-interface=\"ge-0/0/0.0\" encrypted=\"No\" reason=\"policy deny\"]",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::JuniperSrx));
}

#[test]
fn mikrotik() {
    let head = head_of(&[
        "2023-03-18T20:35:05.734637+01:00 10.120.127.1 firewall,info drop-in input: in:ether1-WAN out:(unknown 0), connection-state:new src-mac 00:17:10:88:bc:02, proto TCP (SYN), 192.0.2.1:5555->198.51.100.1:22, len 60",
    ]);
    assert_eq!(sniff(&head), Some(FormatKind::MikroTik));
}

#[test]
fn pcap_and_pcapng() {
    assert_eq!(
        sniff(&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0]),
        Some(FormatKind::Pcap)
    );
    assert_eq!(
        sniff(&[0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a]),
        Some(FormatKind::Pcap)
    );
}
