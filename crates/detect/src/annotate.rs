//! What one event means on its own, with the knowledge-base entries that explain it: the
//! stateless half of detection, as `fwseen explain --line` shows it.

use fwseen_event::{Event, Protocol};
use fwseen_kb::{AddressEntry, IcmpEntry, PortClass, PortEntry, SourcePortEntry};

use crate::classify::{self, EventLabel, Flow, Network, StealthVariant};
use crate::config::Config;
use crate::kind::Kind;
use crate::ports::{self, role};

/// The annotations of one event.
#[derive(Clone, Debug)]
pub struct Annotation {
    pub flow: Flow,
    pub label: EventLabel,
    /// The finding kind this event alone points to, if any (a scan needs more events to be one).
    pub kind_hint: Option<Kind>,
    /// The kb entry for the destination port (narrowest first), and the port's class.
    pub dst_port: Option<&'static PortEntry>,
    pub dst_port_class: Option<PortClass>,
    /// The kb entry for the source port.
    pub src_port: Option<&'static SourcePortEntry>,
    pub src_address: Option<&'static AddressEntry>,
    pub dst_address: Option<&'static AddressEntry>,
    pub icmp: Option<&'static IcmpEntry>,
    pub dst_is_broadcast: bool,
    pub stealth: Option<StealthVariant>,
}

/// Annotates one event. Uses the configured home nets (nothing is learned from a single event).
pub fn annotate(event: &Event<'_>, config: &Config) -> Annotation {
    let network = Network::from_config(config);
    let c = classify::classify(event, &network, ports::table());
    let proto = event.protocol.has_ports().then_some(event.protocol);
    let kind_hint = match c.label {
        EventLabel::Benign(kind) => Some(kind),
        EventLabel::Fraggle => Some(Kind::ProbeFraggle),
        EventLabel::Smurf => Some(Kind::ProbeSmurf),
        EventLabel::EchoChargen => Some(Kind::DosEchoChargen),
        EventLabel::TrojanOutbound => Some(Kind::CompromiseTrojanOutbound),
        EventLabel::Conducent => Some(Kind::AdwareConducent),
        EventLabel::Stealth(_) => Some(Kind::ScanStealth),
        EventLabel::PortZero => Some(Kind::ScanOsFingerprint),
        EventLabel::Probe => [
            (role::TROJAN, Kind::ScanTrojan),
            (role::PROXY, Kind::ScanProxy),
            (role::RPC, Kind::ScanRpc),
            (role::PCANYWHERE, Kind::ScanPcanywhere),
            (role::REFLECTOR, Kind::ProbeReflector),
            (role::AUTH, Kind::AttackBruteforce),
        ]
        .iter()
        .find(|(bit, _)| c.roles & bit != 0)
        .map(|(_, kind)| *kind),
        _ => None,
    };
    let icmp = match (event.protocol, event.icmp) {
        (Protocol::Icmp, Some(i)) => fwseen_kb::icmp(4, i.icmp_type, Some(i.code)),
        (Protocol::Icmpv6, Some(i)) => fwseen_kb::icmp(6, i.icmp_type, Some(i.code)),
        _ => None,
    };
    Annotation {
        flow: c.flow,
        label: c.label,
        kind_hint,
        dst_port: event
            .dst_port
            .and_then(|p| fwseen_kb::ports_at(p, proto).next()),
        dst_port_class: event.dst_port.map(PortClass::of),
        src_port: event
            .src_port
            .and_then(|p| fwseen_kb::source_ports_at(p, proto).next()),
        src_address: event.src.and_then(fwseen_kb::address),
        dst_address: event.dst.and_then(fwseen_kb::address),
        icmp,
        dst_is_broadcast: event.dst.is_some_and(|d| network.is_broadcast(d)),
        stealth: match c.label {
            EventLabel::Stealth(v) => Some(v),
            _ => None,
        },
    }
}
