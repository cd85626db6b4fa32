//! pfSense `filterlog` lines behind an RFC 3164 syslog header:
//!
//! `Mar  1 00:00:04 pfsense filterlog[51923]: 5,,,1000000103,em0,match,block,in,4,0x0,,47,31337,
//! 0,none,6,tcp,44,45.1.2.3,203.0.113.20,51234,22,0,S,1893459121,,1024,,mss`
//!
//! pfSense applies its rules where packets enter, so everything is logged `in`: internet traffic
//! on the WAN `em0`, our servers' traffic on `em1`, LAN traffic on `em2`. The first four fields (rule number, sub rule, anchor,
//! tracker) name the rule: the default deny rule for blocks on the WAN, a user rule otherwise.

use fwseen_event::{Action, Direction, Event, Icmp, Protocol, TcpFlags};

use super::{push_ip, push_u64, whole_second};
use crate::packet::{Packet, Path};

/// The firewall's host name in the syslog header.
pub const HOST: &[u8] = b"pfsense";

fn interface(path: Path) -> &'static [u8] {
    match path {
        Path::WanToFirewall | Path::WanToServers => b"em0",
        Path::ServersToWan => b"em1",
        Path::LanToWan | Path::LanToFirewall => b"em2",
    }
}

/// The protocol names filterlog prints (from `/etc/protocols`), with the number.
fn protocol_name(protocol: Protocol) -> (&'static [u8], u64) {
    let number = u64::from(protocol.number().unwrap_or(0));
    let name: &[u8] = match number {
        0 => b"hopopt",
        1 => b"icmp",
        2 => b"igmp",
        3 => b"ggp",
        4 => b"ipencap",
        6 => b"tcp",
        8 => b"egp",
        9 => b"igp",
        17 => b"udp",
        41 => b"ipv6",
        46 => b"rsvp",
        47 => b"gre",
        50 => b"esp",
        51 => b"ah",
        89 => b"ospf",
        94 => b"ipip",
        103 => b"pim",
        112 => b"carp",
        132 => b"sctp",
        _ => b"unknown",
    };
    (name, number)
}

/// The rule fields (`rule,sub rule,anchor,tracker`).
fn rule(packet: &Packet) -> &'static [u8] {
    match (packet.path.is_inbound(), packet.action) {
        (true, Action::Allow) => b"72,,,1770001466",
        (true, _) => b"5,,,1000000103",
        (false, Action::Allow) => b"80,,,1770004980",
        (false, _) => b"12,,,1770002012",
    }
}

/// pf's flag letters, in filterlog's order.
fn push_flag_letters(out: &mut Vec<u8>, flags: TcpFlags) {
    const ORDER: [(u16, u8); 8] = [
        (0x01, b'F'),
        (0x02, b'S'),
        (0x04, b'R'),
        (0x08, b'P'),
        (0x10, b'A'),
        (0x20, b'U'),
        (0x40, b'E'),
        (0x80, b'W'),
    ];
    for (bit, letter) in ORDER {
        if flags.0 & bit != 0 {
            out.push(letter);
        }
    }
}

/// The TCP options filterlog lists, guessed from the header length the sender used.
fn tcp_options(packet: &Packet) -> &'static [u8] {
    let header = packet
        .length
        .saturating_sub(if packet.is_ipv6() { 40 } else { 20 });
    let syn = packet.tcp_flags.0 & 0x02 != 0;
    match (header, syn) {
        (40, true) => b"mss;sackOK;TS;nop;wscale",
        (32, true) => b"mss;nop;wscale;nop;nop;sackOK",
        (24, true) => b"mss",
        (32, false) => b"nop;nop;TS",
        _ => b"",
    }
}

/// Appends one line. `date` is the RFC 3164 time of the packet's second.
pub fn render(packet: &Packet, date: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(date);
    out.push(b' ');
    out.extend_from_slice(HOST);
    out.extend_from_slice(b" filterlog[51923]: ");
    out.extend_from_slice(rule(packet));
    out.push(b',');
    out.extend_from_slice(interface(packet.path));
    out.extend_from_slice(b",match,");
    out.extend_from_slice(if packet.action == Action::Allow {
        b"pass"
    } else {
        b"block"
    });
    out.extend_from_slice(b",in,");
    let (protocol_name, protocol_number) = protocol_name(packet.protocol);
    if packet.is_ipv6() {
        out.extend_from_slice(b"6,0x00,0x00000,");
        push_u64(out, u64::from(packet.ttl));
        out.push(b',');
        out.extend_from_slice(match packet.protocol {
            Protocol::Tcp => b"TCP",
            Protocol::Udp => b"UDP",
            _ => protocol_name,
        });
        out.push(b',');
        push_u64(out, protocol_number);
    } else {
        out.extend_from_slice(b"4,0x0,,");
        push_u64(out, u64::from(packet.ttl));
        out.push(b',');
        push_u64(out, u64::from(packet.ip_id));
        out.extend_from_slice(if packet.dont_fragment {
            b",0,DF,"
        } else {
            b",0,none,"
        });
        push_u64(out, protocol_number);
        out.push(b',');
        out.extend_from_slice(protocol_name);
    }
    out.push(b',');
    push_u64(out, u64::from(packet.length));
    out.push(b',');
    push_ip(out, packet.src);
    out.push(b',');
    push_ip(out, packet.dst);
    out.push(b',');
    match packet.protocol {
        Protocol::Tcp => {
            push_u64(out, u64::from(packet.src_port));
            out.push(b',');
            push_u64(out, u64::from(packet.dst_port));
            out.extend_from_slice(b",0,");
            push_flag_letters(out, packet.tcp_flags);
            out.push(b',');
            push_u64(out, u64::from(packet.tcp_seq));
            out.push(b',');
            if packet.tcp_flags.0 & 0x10 != 0 {
                push_u64(out, u64::from(packet.tcp_ack));
            }
            out.push(b',');
            push_u64(out, u64::from(packet.tcp_window));
            out.extend_from_slice(b",,");
            out.extend_from_slice(tcp_options(packet));
        }
        Protocol::Udp => {
            push_u64(out, u64::from(packet.src_port));
            out.push(b',');
            push_u64(out, u64::from(packet.dst_port));
            out.push(b',');
            let header = if packet.is_ipv6() { 48 } else { 28 };
            push_u64(out, u64::from(packet.length.saturating_sub(header)));
        }
        Protocol::Icmp => match packet.icmp_type {
            8 | 0 => {
                out.extend_from_slice(if packet.icmp_type == 8 {
                    b"request,"
                } else {
                    b"reply,"
                });
                push_u64(out, u64::from(packet.icmp_id));
                out.push(b',');
                push_u64(out, u64::from(packet.icmp_seq));
            }
            11 => out.extend_from_slice(b"timexceed,transit"),
            _ => push_u64(out, u64::from(packet.icmp_type)),
        },
        // Any other protocol: the length of what follows the IP header.
        _ => {
            out.extend_from_slice(b"datalength=");
            let header = if packet.is_ipv6() { 40 } else { 20 };
            push_u64(out, u64::from(packet.length.saturating_sub(header)));
        }
    }
    out.push(b'\n');
}

/// The event a filterlog parser must read from the rendered line.
pub fn expected_event(packet: &Packet) -> Event<'static> {
    let tcp = packet.protocol == Protocol::Tcp;
    let has_ports = matches!(packet.protocol, Protocol::Tcp | Protocol::Udp);
    Event {
        time: whole_second(packet),
        observer: Some(HOST),
        action: packet.action,
        direction: Direction::Inbound,
        in_interface: Some(interface(packet.path)),
        protocol: packet.protocol,
        src: Some(packet.src),
        dst: Some(packet.dst),
        src_port: has_ports.then_some(packet.src_port),
        dst_port: has_ports.then_some(packet.dst_port),
        tcp_flags: tcp.then_some(packet.tcp_flags),
        ttl: Some(packet.ttl),
        ip_id: (!packet.is_ipv6()).then_some(u32::from(packet.ip_id)),
        length: Some(u32::from(packet.length)),
        tcp_window: tcp.then_some(u32::from(packet.tcp_window)),
        tcp_seq: tcp.then_some(packet.tcp_seq),
        icmp: (packet.protocol == Protocol::Icmp && matches!(packet.icmp_type, 0 | 8 | 11))
            .then_some(Icmp {
                icmp_type: packet.icmp_type,
                code: packet.icmp_code,
            }),
        rule: Some(rule(packet)),
        ..Event::default()
    }
}
