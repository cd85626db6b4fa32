//! parse(render(event)) == event for netfilter: generated events are written out as the kernel
//! would log them (inside an RFC 3339 syslog header) and must come back unchanged.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use fwseen_event::{Action, Direction, EmbeddedPacket, Event, Icmp, Protocol, TcpFlags, Timestamp};
use fwseen_parse::netfilter::NetfilterParser;
use fwseen_parse::{Format, Record, TimeContext};
use proptest::prelude::*;

/// Log prefixes and the action each one means.
const PREFIXES: &[(&str, Action)] = &[
    ("[UFW BLOCK]", Action::Drop),
    ("[UFW ALLOW]", Action::Allow),
    ("[UFW AUDIT]", Action::Other),
    ("[UFW LIMIT BLOCK]", Action::Drop),
    ("INPUT DROP:", Action::Drop),
    ("FINAL_REJECT:", Action::Reject),
    ("Shorewall:net2fw:ACCEPT:", Action::Allow),
    ("LOG", Action::Other),
];

/// Everything needed to build an event, owned, so the strategy can produce it.
#[derive(Clone, Debug)]
struct Generated {
    unix_seconds: i64,
    micros: u32,
    offset_minutes: i32,
    host: String,
    prefix: Option<usize>,
    in_interface: Option<String>,
    out_interface: Option<String>,
    ipv6: bool,
    src: IpAddr,
    dst: IpAddr,
    ttl: u8,
    ip_id: u16,
    length: u16,
    transport: Transport,
}

#[derive(Clone, Debug)]
enum Transport {
    Tcp {
        src_port: u16,
        dst_port: u16,
        flags: u8,
        window: u16,
        seq: Option<u32>,
    },
    Udp {
        src_port: u16,
        dst_port: u16,
    },
    Icmp {
        icmp_type: u8,
        code: u8,
        embedded: Option<(IpAddr, IpAddr, bool, u16, u16)>,
    },
    Other(u8),
}

fn address(ipv6: bool) -> impl Strategy<Value = IpAddr> {
    if ipv6 {
        any::<[u16; 8]>()
            .prop_map(|s| {
                IpAddr::V6(Ipv6Addr::new(
                    s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
                ))
            })
            .boxed()
    } else {
        any::<[u8; 4]>()
            .prop_map(|o| IpAddr::V4(Ipv4Addr::from(o)))
            .boxed()
    }
}

fn interface() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("lo".to_string())),
        "[a-z]{2,5}[0-9]{0,2}(\\.[0-9]{1,3})?".prop_map(Some),
    ]
}

fn transport(ipv6: bool) -> impl Strategy<Value = Transport> {
    let tcp = (
        any::<u16>(),
        any::<u16>(),
        any::<u8>(),
        any::<u16>(),
        any::<Option<u32>>(),
    )
        .prop_map(|(src_port, dst_port, flags, window, seq)| Transport::Tcp {
            src_port,
            dst_port,
            flags,
            window,
            seq,
        });
    let udp = (any::<u16>(), any::<u16>())
        .prop_map(|(src_port, dst_port)| Transport::Udp { src_port, dst_port });
    let embedded = (
        address(ipv6),
        address(ipv6),
        any::<bool>(),
        any::<u16>(),
        any::<u16>(),
    );
    let icmp = (any::<u8>(), any::<u8>(), proptest::option::of(embedded)).prop_map(
        |(icmp_type, code, embedded)| Transport::Icmp {
            icmp_type,
            code,
            embedded,
        },
    );
    // Numbers the kernel prints as numbers (it names 1, 6, 17, 58, 50, 51, 132, 136).
    let other = any::<u8>()
        .prop_filter("named protocols", |n| {
            !matches!(n, 1 | 6 | 17 | 58 | 50 | 51 | 132 | 136)
        })
        .prop_map(Transport::Other);
    prop_oneof![tcp, udp, icmp, other]
}

fn generated() -> impl Strategy<Value = Generated> {
    any::<bool>().prop_flat_map(|ipv6| {
        (
            (
                946_684_800i64..4_102_444_800,
                0u32..1_000_000,
                -720i32..=840,
                "[a-z][a-z0-9-]{0,15}",
                proptest::option::of(0..PREFIXES.len()),
                interface(),
                interface(),
            ),
            (
                address(ipv6),
                address(ipv6),
                any::<u8>(),
                any::<u16>(),
                any::<u16>(),
                transport(ipv6),
            ),
        )
            .prop_map(
                move |(
                    (
                        unix_seconds,
                        micros,
                        offset_minutes,
                        host,
                        prefix,
                        in_interface,
                        out_interface,
                    ),
                    (src, dst, ttl, ip_id, length, transport),
                )| Generated {
                    unix_seconds,
                    micros,
                    offset_minutes,
                    host,
                    prefix,
                    in_interface,
                    out_interface,
                    ipv6,
                    src,
                    dst,
                    ttl,
                    ip_id,
                    length,
                    transport,
                },
            )
    })
}

/// The event the kernel line describes.
fn expected_event(generated: &Generated) -> Event<'_> {
    let in_interface = generated.in_interface.as_deref().map(str::as_bytes);
    let out_interface = generated.out_interface.as_deref().map(str::as_bytes);
    let direction = if in_interface == Some(b"lo") || out_interface == Some(b"lo") {
        Direction::Local
    } else {
        match (in_interface, out_interface) {
            (Some(_), None) => Direction::Inbound,
            (None, Some(_)) => Direction::Outbound,
            (Some(_), Some(_)) => Direction::Forward,
            (None, None) => Direction::Unknown,
        }
    };
    let (rule, action) = match generated.prefix {
        Some(index) => (Some(PREFIXES[index].0.as_bytes()), PREFIXES[index].1),
        None => (None, Action::Other),
    };
    let mut event = Event {
        time: Some(Timestamp {
            unix_micros: generated.unix_seconds * 1_000_000 + i64::from(generated.micros),
            original_offset_seconds: Some(generated.offset_minutes * 60),
        }),
        observer: Some(generated.host.as_bytes()),
        action,
        direction,
        in_interface,
        out_interface,
        src: Some(generated.src),
        dst: Some(generated.dst),
        ttl: Some(generated.ttl),
        ip_id: (!generated.ipv6).then_some(u32::from(generated.ip_id)),
        length: Some(u32::from(generated.length)),
        rule,
        ..Event::default()
    };
    match &generated.transport {
        Transport::Tcp {
            src_port,
            dst_port,
            flags,
            window,
            seq,
        } => {
            event.protocol = Protocol::Tcp;
            event.src_port = Some(*src_port);
            event.dst_port = Some(*dst_port);
            event.tcp_flags = Some(TcpFlags(u16::from(*flags)));
            event.tcp_window = Some(u32::from(*window));
            event.tcp_seq = *seq;
        }
        Transport::Udp { src_port, dst_port } => {
            event.protocol = Protocol::Udp;
            event.src_port = Some(*src_port);
            event.dst_port = Some(*dst_port);
        }
        Transport::Icmp {
            icmp_type,
            code,
            embedded,
        } => {
            event.protocol = if generated.ipv6 {
                Protocol::Icmpv6
            } else {
                Protocol::Icmp
            };
            event.icmp = Some(Icmp {
                icmp_type: *icmp_type,
                code: *code,
            });
            event.embedded = embedded.map(|(src, dst, tcp, src_port, dst_port)| EmbeddedPacket {
                src: Some(src),
                dst: Some(dst),
                protocol: if tcp { Protocol::Tcp } else { Protocol::Udp },
                src_port: Some(src_port),
                dst_port: Some(dst_port),
            });
        }
        Transport::Other(number) => event.protocol = Protocol::from_number(*number),
    }
    event
}

/// Writes the event the way the kernel and rsyslog would.
fn render(generated: &Generated) -> String {
    let offset_seconds = generated.offset_minutes * 60;
    let local = Timestamp {
        unix_micros: (generated.unix_seconds + i64::from(offset_seconds)) * 1_000_000
            + i64::from(generated.micros),
        original_offset_seconds: None,
    }
    .to_string();
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let minutes = offset_seconds.unsigned_abs() / 60;
    let mut line = format!(
        "{}{sign}{:02}:{:02} {} kernel: [ 1234.567890] ",
        &local[..local.len() - 1],
        minutes / 60,
        minutes % 60,
        generated.host
    );
    if let Some(index) = generated.prefix {
        line.push_str(PREFIXES[index].0);
        line.push(' ');
    }
    line.push_str(&format!(
        "IN={} OUT={} MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC={} DST={} LEN={} ",
        generated.in_interface.as_deref().unwrap_or(""),
        generated.out_interface.as_deref().unwrap_or(""),
        generated.src,
        generated.dst,
        generated.length
    ));
    if generated.ipv6 {
        line.push_str(&format!("TC=0 HOPLIMIT={} FLOWLBL=0 ", generated.ttl));
    } else {
        line.push_str(&format!(
            "TOS=0x00 PREC=0x00 TTL={} ID={} DF ",
            generated.ttl, generated.ip_id
        ));
    }
    match &generated.transport {
        Transport::Tcp {
            src_port,
            dst_port,
            flags,
            window,
            seq,
        } => {
            line.push_str(&format!("PROTO=TCP SPT={src_port} DPT={dst_port} "));
            if let Some(seq) = seq {
                line.push_str(&format!("SEQ={seq} ACK=0 "));
            }
            line.push_str(&format!("WINDOW={window} RES=0x00 "));
            let flags = TcpFlags(u16::from(*flags));
            for (flag, name) in TcpFlags::NAMED {
                if flags.contains(flag) && flag != TcpFlags::NS {
                    line.push_str(name);
                    line.push(' ');
                }
            }
            line.push_str("URGP=0 OPT (020405B4) ");
        }
        Transport::Udp { src_port, dst_port } => {
            line.push_str(&format!("PROTO=UDP SPT={src_port} DPT={dst_port} LEN=8 "));
        }
        Transport::Icmp {
            icmp_type,
            code,
            embedded,
        } => {
            let name = if generated.ipv6 { "ICMPv6" } else { "ICMP" };
            line.push_str(&format!("PROTO={name} TYPE={icmp_type} CODE={code} "));
            if let Some((src, dst, tcp, src_port, dst_port)) = embedded {
                let inner = if *tcp { "TCP" } else { "UDP" };
                line.push_str(&format!(
                    "[SRC={src} DST={dst} LEN=52 TOS=0x00 PREC=0x00 TTL=9 ID=1 PROTO={inner} SPT={src_port} DPT={dst_port} LEN=32 ] "
                ));
            } else {
                line.push_str("ID=77 SEQ=5 ");
            }
        }
        Transport::Other(number) => line.push_str(&format!("PROTO={number} ")),
    }
    line
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn parse_of_render_is_identity(generated in generated()) {
        let line = render(&generated);
        let mut parser = NetfilterParser::new(TimeContext::utc(2024));
        let record = parser.parse(line.as_bytes());
        let expected = expected_event(&generated);
        prop_assert_eq!(record, Record::Event(expected), "{}", line);
    }
}
