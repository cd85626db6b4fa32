//! Analyzer configuration: which networks are ours, window lengths, thresholds and memory caps.
//!
//! Every number a detector compares against lives here, with its default, so that
//! docs/findings.md, the CLI and the tests all speak of the same values.

use std::fmt;
use std::net::IpAddr;
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

/// The numbers the detectors compare against. Times are in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    /// A source's window closes after this long without an event from it.
    pub idle_seconds: u32,
    /// ... and at the latest after this long (the next window's finding is merged with this one
    /// when the pattern continues).
    pub window_seconds: u32,
    /// A source with at most this many events in a window, none of them reportable alone, is a
    /// lone probe.
    pub lone_probe_max_events: u32,
    /// Distinct ports of few hosts for a vertical scan.
    pub vertical_min_ports: u32,
    /// Distinct hosts (with few ports each) for a horizontal scan.
    pub horizontal_min_hosts: u32,
    /// Distinct hosts for a scan with many ports to be a block scan rather than a vertical one.
    pub block_min_hosts: u32,
    /// Sources probing one port in one distributed window for a distributed scan.
    pub distributed_min_sources: u32,
    pub distributed_window_seconds: u32,
    /// Events (and, for FIN, ACK and other flags, distinct targets) for a stealth scan.
    pub stealth_min_probes: u32,
    /// Events on ports of one theme (proxy, rpc, reflector, pcAnywhere, sscan) to report it; the
    /// theme needs at least as many distinct targets (hosts × ports), so retries at one port of
    /// one host are not a hunt.
    pub theme_min_events: u32,
    /// Share of a scan's probes that must belong to one theme for the theme to name the scan.
    pub theme_dominance: f64,
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
    /// A beacon flow is forgotten after this long without an attempt.
    pub beacon_idle_seconds: u32,
    /// Scanner fingerprints (zmap IP ID, masscan IP ID relation) need this many matching packets
    /// unless the TCP window corroborates a single one.
    pub fingerprint_min_packets: u32,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            idle_seconds: 900,
            window_seconds: 3600,
            lone_probe_max_events: 2,
            vertical_min_ports: 10,
            horizontal_min_hosts: 10,
            block_min_hosts: 5,
            distributed_min_sources: 10,
            distributed_window_seconds: 600,
            stealth_min_probes: 3,
            theme_min_events: 3,
            theme_dominance: 0.6,
            source_port_min_ports: 5,
            sweep_min_hosts: 10,
            bruteforce_min_attempts: 10,
            trojan_outbound_min_events: 2,
            beacon_min_attempts: 6,
            beacon_attempt_gap_seconds: 20,
            beacon_min_period_seconds: 20,
            beacon_max_jitter: 0.1,
            beacon_idle_seconds: 7200,
            fingerprint_min_packets: 2,
        }
    }
}

/// Everything the analyzer needs to know before the first event.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Our networks. Empty means "infer" (see the crate header).
    pub home_nets: Vec<IpNet>,
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
}
