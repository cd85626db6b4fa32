//! Analyzer configuration: which networks are ours, window lengths, thresholds and memory caps.
//!
//! Every number a detector compares against lives here, with its default, so that
//! docs/findings.md, the CLI and the tests all speak of the same values.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An IP network in CIDR notation (`192.0.2.0/24`, `2001:db8::/32`, or a bare address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IpNet {
    /// The network address (host bits cleared).
    pub network: IpAddr,
    pub prefix_len: u8,
}

/// Why a CIDR string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IpNetError {
    BadAddress,
    BadPrefix,
}

impl fmt::Display for IpNetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpNetError::BadAddress => f.write_str("not an IP address"),
            IpNetError::BadPrefix => f.write_str("prefix length out of range"),
        }
    }
}

impl std::error::Error for IpNetError {}

impl IpNet {
    /// Builds a network, clearing the host bits of `address`.
    pub fn new(address: IpAddr, prefix_len: u8) -> Result<IpNet, IpNetError> {
        let max = if address.is_ipv4() { 32 } else { 128 };
        if prefix_len > max {
            return Err(IpNetError::BadPrefix);
        }
        let network = match address {
            IpAddr::V4(v4) => {
                let mask = mask32(prefix_len);
                IpAddr::V4((u32::from(v4) & mask).into())
            }
            IpAddr::V6(v6) => {
                let mask = mask128(prefix_len);
                IpAddr::V6((u128::from(v6) & mask).into())
            }
        };
        Ok(IpNet {
            network,
            prefix_len,
        })
    }

    /// True when `ip` is inside the network.
    #[inline]
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                u32::from(ip) & mask32(self.prefix_len) == u32::from(net)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                u128::from(ip) & mask128(self.prefix_len) == u128::from(net)
            }
            _ => false,
        }
    }

    /// The IPv4 directed-broadcast address of the network (None for IPv6 and for /31, /32).
    pub fn broadcast(&self) -> Option<IpAddr> {
        match self.network {
            IpAddr::V4(net) if self.prefix_len <= 30 => Some(IpAddr::V4(
                (u32::from(net) | !mask32(self.prefix_len)).into(),
            )),
            _ => None,
        }
    }
}

fn mask32(prefix_len: u8) -> u32 {
    if prefix_len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix_len))
    }
}

fn mask128(prefix_len: u8) -> u128 {
    if prefix_len == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(prefix_len))
    }
}

impl FromStr for IpNet {
    type Err = IpNetError;

    fn from_str(text: &str) -> Result<IpNet, IpNetError> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address.trim().parse().map_err(|_| IpNetError::BadAddress)?;
        let prefix_len = match prefix {
            Some(p) => p.trim().parse().map_err(|_| IpNetError::BadPrefix)?,
            None if address.is_ipv4() => 32,
            None => 128,
        };
        IpNet::new(address, prefix_len)
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix_len)
    }
}

const fn v4_net(a: u8, b: u8, prefix_len: u8) -> IpNet {
    IpNet {
        network: IpAddr::V4(Ipv4Addr::new(a, b, 0, 0)),
        prefix_len,
    }
}

const fn v6_net(first: u16, prefix_len: u8) -> IpNet {
    IpNet {
        network: IpAddr::V6(Ipv6Addr::new(first, 0, 0, 0, 0, 0, 0, 0)),
        prefix_len,
    }
}

/// The ranges `--home-net private` ([`Config::include_private`]) stands for: exactly the
/// addresses [`crate::classify::is_internal_address`] calls internal, and so the ones taken as
/// ours when no home net is given. RFC 1918 (10/8, 172.16/12, 192.168/16), shared address space
/// / CGNAT (100.64/10, RFC 6598), IPv4 link-local (169.254/16), loopback (127/8, ::1), IPv6
/// unique-local (fc00::/7) and link-local (fe80::/10).
pub const PRIVATE_NETS: [IpNet; 9] = [
    v4_net(10, 0, 8),
    v4_net(172, 16, 12),
    v4_net(192, 168, 16),
    v4_net(100, 64, 10),
    v4_net(169, 254, 16),
    v4_net(127, 0, 8),
    v6_net(0xfc00, 7),
    v6_net(0xfe80, 10),
    IpNet {
        network: IpAddr::V6(Ipv6Addr::LOCALHOST),
        prefix_len: 128,
    },
];

/// The numbers the detectors compare against. Times are in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    /// A source with at most this many events in a window, none of them reportable alone, is a
    /// lone probe.
    pub lone_probe_max_events: u32,
    /// Distinct ports of few hosts for a vertical scan.
    pub vertical_min_ports: u32,
    /// Distinct hosts (with few ports each) for a horizontal scan.
    pub horizontal_min_hosts: u32,
    /// Distinct hosts for a scan with many ports to be a block scan rather than a vertical one.
    pub block_min_hosts: u32,
    /// Sources probing one port over the input for a distributed scan: at least
    /// `distributed_min_sources`, and at least `distributed_min_share` of every source that sent
    /// probes (on an internet-facing host every popular port is probed by many; the distributed
    /// scans are the ports that a large share of all probers went for).
    pub distributed_min_sources: u32,
    pub distributed_min_share: f64,
    /// Events (and, for FIN, ACK and other flags, distinct targets) for a stealth scan.
    pub stealth_min_probes: u32,
    /// Events on ports of one theme (proxy, rpc, reflector, pcAnywhere, sscan) to report it; the
    /// theme needs at least as many distinct targets (hosts × ports), so retries at one port of
    /// one host are not a hunt.
    pub theme_min_events: u32,
    /// Share of a scan's probes that must belong to one theme for the theme to name the scan.
    pub theme_dominance: f64,
    /// Distinct IP protocol numbers from one source for an IP-protocol scan.
    pub ip_protocol_min_protocols: u32,
    /// A retry story: at least this many packets (retransmissions included) at no more than
    /// `retry_max_targets` (host, port) targets, mostly refused.
    pub retry_min_packets: u32,
    pub retry_max_targets: u32,
    /// Refused attempts of an inside host, repeated at few targets, for `outbound.blocked`.
    pub outbound_blocked_min_attempts: u32,
    /// Distinct ports probed from one trusted source port for a source-port scan.
    pub source_port_min_ports: u32,
    /// Distinct hosts answering ICMP echo for a ping sweep.
    pub sweep_min_hosts: u32,
    /// Attempts at one authentication service of one host for brute force.
    pub bruteforce_min_attempts: u32,
    /// Attempts by an inside host at a trojan port before it is called compromised.
    pub trojan_outbound_min_events: u32,
    /// Beacon: attempts, attempt separation, shortest period and largest jitter
    /// (standard deviation / mean of the intervals).
    pub beacon_min_attempts: u32,
    pub beacon_attempt_gap_seconds: u32,
    pub beacon_min_period_seconds: u32,
    pub beacon_max_jitter: f64,
    /// A beacon's attempts must span at least this long.
    pub beacon_min_span_seconds: u32,
    /// A beacon flow is forgotten after this long without an attempt.
    pub beacon_idle_seconds: u32,
    /// Scanner fingerprints (zmap IP ID, masscan IP ID relation) need this many matching packets,
    /// and at least half of the source's packets that carry an IP ID.
    pub fingerprint_min_packets: u32,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            lone_probe_max_events: 2,
            vertical_min_ports: 10,
            horizontal_min_hosts: 10,
            block_min_hosts: 5,
            distributed_min_sources: 10,
            distributed_min_share: 0.02,
            stealth_min_probes: 3,
            theme_min_events: 3,
            theme_dominance: 0.6,
            ip_protocol_min_protocols: 8,
            retry_min_packets: 4,
            retry_max_targets: 3,
            outbound_blocked_min_attempts: 10,
            source_port_min_ports: 5,
            sweep_min_hosts: 10,
            bruteforce_min_attempts: 10,
            trojan_outbound_min_events: 2,
            beacon_min_attempts: 6,
            beacon_attempt_gap_seconds: 20,
            beacon_min_period_seconds: 20,
            beacon_max_jitter: 0.1,
            beacon_min_span_seconds: 3600,
            beacon_idle_seconds: 7200,
            fingerprint_min_packets: 2,
        }
    }
}

/// Everything the analyzer needs to know before the first event.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Our networks. Empty (and `include_private` false) means "infer" (see the crate header):
    /// private addresses, addresses seen receiving unsolicited probes from many sources, and the
    /// events' own directions. Any net given here replaces all of that inference, the private
    /// ranges included: an address is then ours exactly when it is inside a configured net.
    pub home_nets: Vec<IpNet>,
    /// Also take the private ranges ([`PRIVATE_NETS`]) as ours, as configured nets beside
    /// `home_nets` (the CLI's `--home-net private`). With `home_nets` empty, the private ranges
    /// are then the whole home network: nothing is inferred or learned. Inside these ranges a
    /// broadcast address is recognised by its last octet (.0 or .255), as without configured
    /// nets, not by the range's own first and last address.
    pub include_private: bool,
    pub thresholds: Thresholds,
    /// At most this many sources have live per-source state; beyond it, the least interesting
    /// are closed early (evicted) and counted in [`crate::Stats::sources_evicted`].
    pub max_tracked_sources: usize,
    /// At most this many outbound flows are followed for beacons (evictions are counted).
    pub max_tracked_flows: usize,
    /// At most this many benign or noise findings are kept; further ones are counted in
    /// [`crate::Stats::benign_findings_dropped`] (recon, attack and compromise are never dropped).
    pub max_benign_findings: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            home_nets: Vec::new(),
            include_private: false,
            thresholds: Thresholds::default(),
            max_tracked_sources: 100_000,
            max_tracked_flows: 50_000,
            max_benign_findings: 50_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_contains() {
        let net: IpNet = "192.0.2.77/24".parse().unwrap();
        assert_eq!(net.to_string(), "192.0.2.0/24");
        assert!(net.contains("192.0.2.1".parse().unwrap()));
        assert!(!net.contains("192.0.3.1".parse().unwrap()));
        assert_eq!(net.broadcast(), Some("192.0.2.255".parse().unwrap()));
        let v6: IpNet = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:1::5".parse().unwrap()));
        assert!(!v6.contains("192.0.2.1".parse().unwrap()));
        assert_eq!("10.0.0.1".parse::<IpNet>().unwrap().prefix_len, 32);
        assert_eq!("10.0.0.0/33".parse::<IpNet>(), Err(IpNetError::BadPrefix));
        assert_eq!("x/3".parse::<IpNet>(), Err(IpNetError::BadAddress));
    }

    #[test]
    fn private_nets_are_normalised_cidrs() {
        let texts: Vec<String> = PRIVATE_NETS.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            texts,
            [
                "10.0.0.0/8",
                "172.16.0.0/12",
                "192.168.0.0/16",
                "100.64.0.0/10",
                "169.254.0.0/16",
                "127.0.0.0/8",
                "fc00::/7",
                "fe80::/10",
                "::1/128"
            ]
        );
        for net in PRIVATE_NETS {
            assert_eq!(net.to_string().parse::<IpNet>(), Ok(net));
        }
        assert!(!Config::default().include_private);
    }
}
