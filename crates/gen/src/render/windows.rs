//! Windows Defender Firewall `pfirewall.log` lines (W3C extended, CRLF line ends), after the
//! header Windows writes at the top of the file:
//!
//! `2026-03-01 00:00:04 DROP TCP 45.1.2.3 203.0.113.20 51234 22 44 S 1893459121 0 1024 - - - RECEIVE`
//!
//! Windows measures dropped packets only: allowed connections carry size 0 and zero TCP numbers,
//! which parsers read as "not logged". Times are written as UTC here (the header says `Local`,
//! as Windows always does; read the file with a UTC time zone to get the generator's times).

use fwseen_event::{Action, Direction, Event, Icmp, Protocol, TcpFlags};

use super::{push_ip, push_u64, whole_second};
use crate::packet::Packet;

/// The header of a `pfirewall.log` file.
pub const HEADER: &[u8] = b"#Version: 1.5\r\n#Software: Microsoft Windows Firewall\r\n#Time Format: Local\r\n#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path\r\n";

fn push_flag_letters(out: &mut Vec<u8>, flags: TcpFlags) {
    const ORDER: [(u16, u8); 6] = [
        (0x01, b'F'),
        (0x02, b'S'),
        (0x04, b'R'),
        (0x08, b'P'),
        (0x10, b'A'),
        (0x20, b'U'),
    ];
    for (bit, letter) in ORDER {
        if flags.0 & bit != 0 {
            out.push(letter);
        }
    }
}

/// The flags Windows can print (it has no letters for ECE and CWR).
fn printable_flags(flags: TcpFlags) -> TcpFlags {
    TcpFlags(flags.0 & 0x3f)
}

/// Appends one line. `date` is `yyyy-mm-dd hh:mm:ss` of the packet's second.
pub fn render(packet: &Packet, date: &[u8], out: &mut Vec<u8>) {
    let allowed = packet.action == Action::Allow;
    out.extend_from_slice(date);
    out.extend_from_slice(if allowed { b" ALLOW " } else { b" DROP " });
    match packet.protocol {
        Protocol::Tcp => out.extend_from_slice(b"TCP "),
        Protocol::Udp => out.extend_from_slice(b"UDP "),
        Protocol::Icmp => out.extend_from_slice(b"ICMP "),
        // Windows writes the number of any other protocol (`2` for IGMP).
        other => {
            push_u64(out, u64::from(other.number().unwrap_or(0)));
            out.push(b' ');
        }
    }
    push_ip(out, packet.src);
    out.push(b' ');
    push_ip(out, packet.dst);
    out.push(b' ');
    if matches!(packet.protocol, Protocol::Tcp | Protocol::Udp) {
        push_u64(out, u64::from(packet.src_port));
        out.push(b' ');
        push_u64(out, u64::from(packet.dst_port));
        out.push(b' ');
    } else {
        out.extend_from_slice(b"- - ");
    }
    push_u64(out, if allowed { 0 } else { u64::from(packet.length) });
    out.push(b' ');
    match packet.protocol {
        Protocol::Tcp if allowed => out.extend_from_slice(b"- 0 0 0 - - "),
        Protocol::Tcp => {
            let flags = printable_flags(packet.tcp_flags);
            if flags.is_empty() {
                out.push(b'-');
            } else {
                push_flag_letters(out, flags);
            }
            out.push(b' ');
            push_u64(out, u64::from(packet.tcp_seq));
            out.push(b' ');
            push_u64(out, u64::from(packet.tcp_ack));
            out.push(b' ');
            push_u64(out, u64::from(packet.tcp_window));
            out.extend_from_slice(b" - - ");
        }
        Protocol::Icmp => {
            out.extend_from_slice(b"- - - - ");
            push_u64(out, u64::from(packet.icmp_type));
            out.push(b' ');
            push_u64(out, u64::from(packet.icmp_code));
            out.push(b' ');
        }
        _ => out.extend_from_slice(b"- - - - - - "),
    }
    out.extend_from_slice(b"- ");
    out.extend_from_slice(if packet.path.is_outbound() {
        b"SEND\r\n"
    } else {
        b"RECEIVE\r\n"
    });
}

/// The event a Windows Firewall parser must read from the rendered line.
pub fn expected_event(packet: &Packet) -> Event<'static> {
    let allowed = packet.action == Action::Allow;
    let tcp = packet.protocol == Protocol::Tcp;
    let has_ports = matches!(packet.protocol, Protocol::Tcp | Protocol::Udp);
    let flags = printable_flags(packet.tcp_flags);
    let measured =
        tcp && !allowed && (packet.tcp_seq != 0 || packet.tcp_ack != 0 || packet.tcp_window != 0);
    Event {
        time: whole_second(packet),
        action: packet.action,
        direction: if packet.path.is_outbound() {
            Direction::Outbound
        } else {
            Direction::Inbound
        },
        protocol: packet.protocol,
        src: Some(packet.src),
        dst: Some(packet.dst),
        src_port: has_ports.then_some(packet.src_port),
        dst_port: has_ports.then_some(packet.dst_port),
        tcp_flags: (tcp && !allowed && !flags.is_empty()).then_some(flags),
        length: (!allowed && packet.length > 0).then_some(u32::from(packet.length)),
        tcp_window: measured.then_some(u32::from(packet.tcp_window)),
        tcp_seq: measured.then_some(packet.tcp_seq),
        icmp: (packet.protocol == Protocol::Icmp).then_some(Icmp {
            icmp_type: packet.icmp_type,
            code: packet.icmp_code,
        }),
        ..Event::default()
    }
}
