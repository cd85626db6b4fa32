//! Netfilter `LOG` lines as the Linux kernel prints them, behind an RFC 3164 syslog header:
//!
//! `Mar  1 00:00:04 gw kernel: [259204.000123] FORWARD DROP: IN=eth0 OUT=eth1 MAC=... SRC=...
//! DST=... LEN=44 TOS=0x00 PREC=0x00 TTL=47 ID=31337 PROTO=TCP SPT=51234 DPT=22 WINDOW=1024
//! RES=0x00 SYN URGP=0 `
//!
//! The firewall `gw` routes between the WAN `eth0`, our servers on `eth1` and the LAN on `eth2`.
//! IP protocols other than TCP, UDP and ICMP are printed by number (`PROTO=47`), as the kernel
//! does.
//! Packets to the firewall itself go through the INPUT chain (no `OUT=`), the rest through FORWARD.
//! The log prefix names the chain and the verdict. Lines are about 250 bytes long.

use std::net::IpAddr;

use fwseen_event::{Action, Direction, EmbeddedPacket, Event, Icmp, Protocol, TcpFlags};

use super::{push_hex_byte, push_ip, push_u64, whole_second, RenderOptions};
use crate::packet::{Packet, Path};

/// The firewall's host name in the syslog header.
pub const HOST: &[u8] = b"gw";
/// The time the firewall booted (the kernel stamp counts from it), in seconds since the epoch.
const BOOT_SECONDS: i64 = 1_772_000_000;

fn interfaces(path: Path) -> (&'static [u8], Option<&'static [u8]>) {
    match path {
        Path::WanToFirewall => (b"eth0", None),
        Path::WanToServers => (b"eth0", Some(b"eth1")),
        Path::LanToWan => (b"eth2", Some(b"eth0")),
        Path::ServersToWan => (b"eth1", Some(b"eth0")),
        Path::LanToFirewall => (b"eth2", None),
    }
}

/// The log prefix (with the space the administrator put after it).
fn prefix(packet: &Packet) -> &'static [u8] {
    let input = matches!(packet.path, Path::WanToFirewall | Path::LanToFirewall);
    match (input, packet.action) {
        (true, Action::Allow) => b"INPUT ACCEPT: ",
        (true, _) => b"INPUT DROP: ",
        (false, Action::Allow) => b"FORWARD ACCEPT: ",
        (false, _) => b"FORWARD DROP: ",
    }
}

/// The destination MAC address the frame had, as six bytes.
fn destination_mac(packet: &Packet) -> [u8; 6] {
    match packet.dst {
        IpAddr::V4(v4) if v4.is_broadcast() || v4.octets()[3] == 255 => [0xff; 6],
        IpAddr::V4(v4) if v4.is_multicast() => {
            let o = v4.octets();
            [0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]
        }
        _ => match packet.path {
            Path::WanToFirewall | Path::WanToServers => [0x00, 0x16, 0x3e, 0x5a, 0x10, 0x01],
            Path::ServersToWan => [0x00, 0x16, 0x3e, 0x5a, 0x10, 0x02],
            _ => [0x00, 0x16, 0x3e, 0x5a, 0x10, 0x03],
        },
    }
}

/// The source MAC address: the upstream router on the WAN, the host itself on the LAN and on the
/// servers' network.
fn source_mac(packet: &Packet) -> [u8; 6] {
    match (packet.path, packet.src) {
        (Path::LanToWan | Path::LanToFirewall | Path::ServersToWan, IpAddr::V4(v4)) => {
            let o = v4.octets();
            [0x52, 0x54, 0x00, o[1], o[2], o[3]]
        }
        _ => [0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e],
    }
}

fn push_mac(out: &mut Vec<u8>, packet: &Packet) {
    out.extend_from_slice(b"MAC=");
    for byte in destination_mac(packet)
        .into_iter()
        .chain(source_mac(packet))
    {
        push_hex_byte(out, byte);
        out.push(b':');
    }
    out.extend_from_slice(if packet.is_ipv6() {
        b"86:dd "
    } else {
        b"08:00 "
    });
}

/// The kernel's `[uptime]` stamp: `[%5lu.%06lu]`.
fn push_kernel_stamp(out: &mut Vec<u8>, time_micros: i64) {
    let uptime = (time_micros - BOOT_SECONDS * 1_000_000).max(0);
    let seconds = (uptime / 1_000_000) as u64;
    let micros = (uptime % 1_000_000) as u64;
    out.push(b'[');
    let mut width = 1;
    let mut n = seconds;
    while n >= 10 {
        n /= 10;
        width += 1;
    }
    for _ in width..5 {
        out.push(b' ');
    }
    push_u64(out, seconds);
    out.push(b'.');
    let mut digits = [b'0'; 6];
    let mut m = micros;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (m % 10) as u8;
        m /= 10;
    }
    out.extend_from_slice(&digits);
    out.extend_from_slice(b"] ");
}

/// The TCP flag words in the kernel's order.
fn push_flag_words(out: &mut Vec<u8>, flags: TcpFlags) {
    const ORDER: [(u16, &[u8]); 8] = [
        (0x80, b"CWR "),
        (0x40, b"ECE "),
        (0x20, b"URG "),
        (0x10, b"ACK "),
        (0x08, b"PSH "),
        (0x04, b"RST "),
        (0x02, b"SYN "),
        (0x01, b"FIN "),
    ];
    for (bit, word) in ORDER {
        if flags.0 & bit != 0 {
            out.extend_from_slice(word);
        }
    }
}

/// Appends one line. `date` is the RFC 3164 time of the packet's second.
pub fn render(packet: &Packet, date: &[u8], options: RenderOptions, out: &mut Vec<u8>) {
    out.extend_from_slice(date);
    out.push(b' ');
    out.extend_from_slice(HOST);
    out.extend_from_slice(b" kernel: ");
    push_kernel_stamp(out, packet.time_micros);
    out.extend_from_slice(prefix(packet));
    let (input, output) = interfaces(packet.path);
    out.extend_from_slice(b"IN=");
    out.extend_from_slice(input);
    out.extend_from_slice(b" OUT=");
    if let Some(output) = output {
        out.extend_from_slice(output);
    }
    out.push(b' ');
    push_mac(out, packet);
    out.extend_from_slice(b"SRC=");
    push_ip(out, packet.src);
    out.extend_from_slice(b" DST=");
    push_ip(out, packet.dst);
    out.extend_from_slice(b" LEN=");
    push_u64(out, u64::from(packet.length));
    if packet.is_ipv6() {
        out.extend_from_slice(b" TC=0 HOPLIMIT=");
        push_u64(out, u64::from(packet.ttl));
        out.extend_from_slice(b" FLOWLBL=0 ");
    } else {
        out.extend_from_slice(b" TOS=0x00 PREC=0x00 TTL=");
        push_u64(out, u64::from(packet.ttl));
        out.extend_from_slice(b" ID=");
        push_u64(out, u64::from(packet.ip_id));
        out.extend_from_slice(if packet.dont_fragment { b" DF " } else { b" " });
    }
    match packet.protocol {
        Protocol::Tcp => {
            out.extend_from_slice(b"PROTO=TCP SPT=");
            push_u64(out, u64::from(packet.src_port));
            out.extend_from_slice(b" DPT=");
            push_u64(out, u64::from(packet.dst_port));
            out.push(b' ');
            if options.netfilter_tcp_sequence {
                out.extend_from_slice(b"SEQ=");
                push_u64(out, u64::from(packet.tcp_seq));
                out.extend_from_slice(b" ACK=");
                push_u64(out, u64::from(packet.tcp_ack));
                out.push(b' ');
            }
            out.extend_from_slice(b"WINDOW=");
            push_u64(out, u64::from(packet.tcp_window));
            out.extend_from_slice(b" RES=0x00 ");
            push_flag_words(out, packet.tcp_flags);
            out.extend_from_slice(b"URGP=0 ");
        }
        Protocol::Udp => {
            out.extend_from_slice(b"PROTO=UDP SPT=");
            push_u64(out, u64::from(packet.src_port));
            out.extend_from_slice(b" DPT=");
            push_u64(out, u64::from(packet.dst_port));
            out.extend_from_slice(b" LEN=");
            let header = if packet.is_ipv6() { 40 } else { 20 };
            push_u64(out, u64::from(packet.length.saturating_sub(header)));
            out.push(b' ');
        }
        Protocol::Icmp => {
            out.extend_from_slice(b"PROTO=ICMP TYPE=");
            push_u64(out, u64::from(packet.icmp_type));
            out.extend_from_slice(b" CODE=");
            push_u64(out, u64::from(packet.icmp_code));
            out.push(b' ');
            if matches!(packet.icmp_type, 0 | 8) {
                out.extend_from_slice(b"ID=");
                push_u64(out, u64::from(packet.icmp_id));
                out.extend_from_slice(b" SEQ=");
                push_u64(out, u64::from(packet.icmp_seq));
                out.push(b' ');
            }
            if let Some(quoted) = &packet.quoted {
                out.extend_from_slice(b"[SRC=");
                push_ip(out, quoted.src);
                out.extend_from_slice(b" DST=");
                push_ip(out, quoted.dst);
                out.extend_from_slice(b" LEN=");
                push_u64(out, u64::from(quoted.length));
                out.extend_from_slice(b" TOS=0x00 PREC=0x00 TTL=");
                push_u64(out, u64::from(quoted.ttl));
                out.extend_from_slice(b" ID=");
                push_u64(out, u64::from(quoted.ip_id));
                out.extend_from_slice(b" PROTO=UDP SPT=");
                push_u64(out, u64::from(quoted.src_port));
                out.extend_from_slice(b" DPT=");
                push_u64(out, u64::from(quoted.dst_port));
                out.extend_from_slice(b" LEN=");
                push_u64(out, u64::from(quoted.length.saturating_sub(20)));
                out.extend_from_slice(b" ] ");
            }
        }
        // The kernel names TCP, UDP, UDPLITE, ICMP, AH and ESP, and prints the number of any
        // other protocol (IGMP, GRE ...), with nothing after it.
        other => {
            out.extend_from_slice(b"PROTO=");
            push_u64(out, u64::from(other.number().unwrap_or(0)));
            out.push(b' ');
        }
    }
    out.push(b'\n');
}

/// The event a netfilter parser must read from the rendered line.
pub fn expected_event(packet: &Packet, options: RenderOptions) -> Event<'static> {
    let (input, output) = interfaces(packet.path);
    let tcp = packet.protocol == Protocol::Tcp;
    let has_ports = matches!(packet.protocol, Protocol::Tcp | Protocol::Udp);
    let prefix = prefix(packet);
    Event {
        time: whole_second(packet),
        observer: Some(HOST),
        action: packet.action,
        direction: match output {
            Some(_) => Direction::Forward,
            None => Direction::Inbound,
        },
        in_interface: Some(input),
        out_interface: output,
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
        tcp_seq: (tcp && options.netfilter_tcp_sequence).then_some(packet.tcp_seq),
        icmp: (packet.protocol == Protocol::Icmp).then_some(Icmp {
            icmp_type: packet.icmp_type,
            code: packet.icmp_code,
        }),
        embedded: packet.quoted.map(|quoted| EmbeddedPacket {
            src: Some(quoted.src),
            dst: Some(quoted.dst),
            protocol: Protocol::Udp,
            src_port: Some(quoted.src_port),
            dst_port: Some(quoted.dst_port),
        }),
        rule: Some(&prefix[..prefix.len() - 1]),
        ..Event::default()
    }
}
