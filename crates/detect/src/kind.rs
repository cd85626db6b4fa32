//! The closed list of finding kinds, with their stable ids, class and default severity.
//!
//! The id strings are a public contract (JSON output, docs/findings.md, tests). Adding a kind is
//! fine; renaming or removing one is a breaking change.

use crate::finding::{Class, Severity};

macro_rules! kinds {
    ($( $variant:ident = $id:literal, $class:ident, $severity:ident; )*) => {
        /// Every kind of finding the analyzer can produce.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $( $variant, )*
        }

        impl Kind {
            /// Every kind, in documentation order.
            pub const ALL: &'static [Kind] = &[ $( Kind::$variant, )* ];

            /// The stable id, e.g. `scan.vertical`.
            pub fn id(self) -> &'static str {
                match self {
                    $( Kind::$variant => $id, )*
                }
            }

            /// The class every finding of this kind has.
            pub fn class(self) -> Class {
                match self {
                    $( Kind::$variant => Class::$class, )*
                }
            }

            /// The severity a finding of this kind starts with (the analyzer raises it for
            /// outbound scans, see docs/findings.md).
            pub fn default_severity(self) -> Severity {
                match self {
                    $( Kind::$variant => Severity::$severity, )*
                }
            }
        }
    };
}

kinds! {
    ScanVertical = "scan.vertical", Recon, Medium;
    ScanHorizontal = "scan.horizontal", Recon, Medium;
    ScanBlock = "scan.block", Recon, Medium;
    ScanDistributed = "scan.distributed", Recon, Medium;
    ScanStealth = "scan.stealth", Recon, Medium;
    ScanOsFingerprint = "scan.os-fingerprint", Recon, Medium;
    ScanSscan = "scan.sscan", Recon, Medium;
    ScanProxy = "scan.proxy", Recon, Low;
    ScanTrojan = "scan.trojan", Recon, Low;
    ScanRpc = "scan.rpc", Recon, Medium;
    ScanPcanywhere = "scan.pcanywhere", Recon, Low;
    ScanSourcePort = "scan.source-port", Recon, Medium;
    ScanIpProtocol = "scan.ip-protocol", Recon, Medium;
    SweepPing = "sweep.ping", Recon, Low;
    ProbeFraggle = "probe.fraggle", Recon, Medium;
    ProbeReflector = "probe.reflector", Recon, Low;
    ProbeSpoofedSource = "probe.spoofed-source", Recon, Medium;
    ProbeSmurf = "probe.smurf", Attack, High;
    DosEchoChargen = "dos.echo-chargen", Attack, Medium;
    AttackBruteforce = "attack.bruteforce", Attack, High;
    CompromiseTrojanOutbound = "compromise.trojan-outbound", Compromise, Critical;
    AdwareConducent = "adware.conducent", Compromise, Medium;
    CompromiseBeacon = "compromise.beacon", Compromise, Medium;
    OutboundBlocked = "outbound.blocked", Noise, Medium;
    OutboundPeriodic = "outbound.periodic", Noise, Low;
    NoiseRetry = "noise.retry", Noise, Low;
    BenignTraceroute = "benign.traceroute", Benign, Info;
    BenignTracerouteReply = "benign.traceroute-reply", Benign, Info;
    BenignDhcp = "benign.dhcp", Noise, Info;
    BenignNetbios = "benign.netbios", Noise, Info;
    BenignIdent = "benign.ident", Benign, Info;
    BenignLateReply = "benign.late-reply", Noise, Info;
    BenignNatSourcePort = "benign.nat-source-port", Noise, Info;
    BenignGame = "benign.game", Benign, Info;
    BenignStreaming = "benign.streaming", Benign, Info;
    BenignInoculan = "benign.inoculan", Noise, Info;
    BenignLanDiscovery = "benign.lan-discovery", Noise, Info;
    HeartbeatPowwow = "heartbeat.powwow", Noise, Low;
    ScannerZmap = "scanner.zmap", Recon, Low;
    ScannerMasscan = "scanner.masscan", Recon, Low;
    ScannerMirai = "scanner.mirai", Attack, Medium;
}

impl Kind {
    /// Looks a kind up by its id.
    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.id() == id)
    }

    /// A small dense index (for per-kind counters).
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(kind.index(), i);
            assert_eq!(Kind::from_id(kind.id()), Some(*kind));
            for other in &Kind::ALL[i + 1..] {
                assert_ne!(kind.id(), other.id());
            }
        }
    }
}
