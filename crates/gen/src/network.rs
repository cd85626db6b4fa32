//! The address plan of the generated network, and allocators for outside addresses.
//!
//! Our side: the firewall's WAN address 203.0.113.1, our public servers 203.0.113.2-254 (routed
//! behind the firewall), the LAN 10.1.0.0/16 (NATed out through 203.0.113.1) and the IPv6 block
//! 2001:db8:cafe::/48. The public ones are documentation ranges, so no real network is named.
//!
//! The outside: addresses in public /8 blocks, spread by a bijection so that consecutive numbers
//! give unrelated-looking addresses. Different uses (fresh one-off sources, returning probers,
//! popular servers, web clients) take numbers from disjoint ranges, so a fresh source is never
//! also a returning one, and every fresh source is distinct from every other.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::rng::mix64;

/// The firewall's WAN address (the NAT address of the LAN).
pub const FIREWALL: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 1);
/// The directed broadcast address of our public block.
pub const PUBLIC_BROADCAST: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 255);
/// The LAN broadcast address.
pub const LAN_BROADCAST: Ipv4Addr = Ipv4Addr::new(10, 1, 255, 255);
/// The limited broadcast address (DHCP discovery).
pub const LIMITED_BROADCAST: Ipv4Addr = Ipv4Addr::new(255, 255, 255, 255);
/// The networks the generated traffic treats as ours, as CIDR text (for `--home-net`).
pub const HOME_NETS: [&str; 3] = ["203.0.113.0/24", "10.1.0.0/16", "2001:db8:cafe::/48"];

/// Our public host `n` (1 = the firewall, 255 = the broadcast address).
pub fn our_host(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(203, 0, 113, n))
}

/// LAN host number `n` (0..=65_000), as 10.1.x.y with y in 1..=254.
pub fn lan_host(n: u32) -> IpAddr {
    let n = n % 65_000;
    IpAddr::V4(Ipv4Addr::new(10, 1, (n / 254) as u8, (n % 254 + 1) as u8))
}

/// Our IPv6 server `n`.
pub fn our_host_v6(n: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0xcafe, 0, 0, 0, 0, n))
}

/// True for our own addresses (public block, LAN, IPv6 block, and the broadcasts).
pub fn is_ours(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            (o[0] == 203 && o[1] == 0 && o[2] == 113) || (o[0] == 10 && o[1] == 1)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            s[0] == 0x2001 && s[1] == 0xdb8 && s[2] == 0xcafe
        }
    }
}

/// Public /8 blocks that hold no special-purpose range.
const OUTSIDE_BLOCKS: [u8; 64] = [
    5, 31, 37, 45, 46, 61, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95,
    103, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 176,
    177, 178, 179, 180, 181, 182, 183, 185, 186, 187, 188, 189, 190, 193, 194, 195, 200, 201, 212,
    213, 217,
];

/// How many addresses one /8 block provides (the last octet avoids 0 and 255).
const PER_BLOCK: u64 = 65_536 * 254;

/// The uses of outside addresses; each draws from its own range of numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutsideUse {
    /// One-off sources: lone probes, scanners, each pattern's own source.
    Fresh = 0,
    /// The returning probers of the background.
    Returning = 1,
    /// Popular servers our LAN talks to (and whose late replies arrive).
    Server = 2,
    /// Clients of our public servers.
    Client = 3,
}

/// The outside IPv4 address number `index` of a use. Distinct (use, index) pairs give distinct
/// addresses while `index` stays below 16 blocks' worth (about 266 million).
pub fn outside_v4(use_: OutsideUse, index: u64) -> Ipv4Addr {
    // Consecutive numbers go round the use's 16 blocks, so sources do not bunch in one /8.
    let lane = index % 16;
    let block = OUTSIDE_BLOCKS[use_ as usize * 16 + lane as usize];
    let within = (index / 16) % PER_BLOCK;
    // An affine bijection of 0..PER_BLOCK (the multiplier is odd and not a multiple of 127,
    // and PER_BLOCK = 2^17 * 127), so neighbours land far apart; the offset differs per block so
    // that the blocks do not repeat each other's lower octets.
    let offset = 5_201_314 + lane * 7_654_321;
    let spread = (within * 10_368_889 + offset) % PER_BLOCK;
    let last = (spread % 254 + 1) as u8;
    let middle = (spread / 254) as u16;
    Ipv4Addr::new(block, (middle >> 8) as u8, middle as u8, last)
}

/// The outside IPv6 address number `index` (fresh sources only).
pub fn outside_v6(index: u64) -> Ipv6Addr {
    let hash = mix64(index);
    Ipv6Addr::new(
        0x2a02,
        0x0c00 | (index >> 48) as u16 & 0xff,
        (index >> 32) as u16,
        (index >> 16) as u16,
        index as u16,
        0,
        (hash >> 16) as u16,
        (hash as u16) | 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn outside_addresses_are_distinct_public_and_not_ours() {
        let mut seen = HashSet::new();
        for use_ in [
            OutsideUse::Fresh,
            OutsideUse::Returning,
            OutsideUse::Server,
            OutsideUse::Client,
        ] {
            for index in 0..50_000u64 {
                let address = outside_v4(use_, index * 7);
                let o = address.octets();
                assert!(o[3] != 0 && o[3] != 255, "{address}");
                assert!(!is_ours(IpAddr::V4(address)));
                assert!(seen.insert(address), "duplicate {address}");
            }
        }
        let v6: HashSet<Ipv6Addr> = (0..10_000).map(outside_v6).collect();
        assert_eq!(v6.len(), 10_000);
    }

    #[test]
    fn ours_is_ours() {
        assert!(is_ours(our_host(7)));
        assert!(is_ours(lan_host(300)));
        assert!(is_ours(our_host_v6(16)));
        assert_eq!(lan_host(0), IpAddr::V4(Ipv4Addr::new(10, 1, 0, 1)));
    }
}
