//! IP networks as whois registries write them: CIDR (`193.0.0.0/21`,
//! LACNIC's abbreviated `200.3.12/22`) or ranges (`1.0.0.0 - 1.0.0.255`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An inclusive range of addresses of one family. Every CIDR block is one,
/// but registries also hand out ranges that are not a single block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Network {
    v6: bool,
    first: u128,
    last: u128,
}

fn to_bits(ip: IpAddr) -> (bool, u128) {
    match ip {
        IpAddr::V4(v4) => (false, u128::from(u32::from(v4))),
        IpAddr::V6(v6) => (true, u128::from(v6)),
    }
}

fn from_bits(v6: bool, bits: u128) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::from(bits))
    } else {
        IpAddr::V4(Ipv4Addr::from(bits as u32))
    }
}

impl Network {
    /// The network from `first` to `last` inclusive; `None` when the two are
    /// of different families or out of order.
    pub fn range(first: IpAddr, last: IpAddr) -> Option<Network> {
        let (v6, a) = to_bits(first);
        let (v6_last, b) = to_bits(last);
        (v6 == v6_last && a <= b).then_some(Network {
            v6,
            first: a,
            last: b,
        })
    }

    /// The block of `prefix` leading bits containing `ip`.
    pub fn cidr(ip: IpAddr, prefix: u8) -> Option<Network> {
        let (v6, bits) = to_bits(ip);
        let width: u32 = if v6 { 128 } else { 32 };
        let prefix = u32::from(prefix);
        if prefix > width {
            return None;
        }
        let host_bits = width - prefix;
        let host_mask = if host_bits == 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        Some(Network {
            v6,
            first: bits & !host_mask,
            last: bits | host_mask,
        })
    }

    /// Parses `a.b.c.d/n`, `a.b.c/n` (missing octets are zero), `x::/n`,
    /// `first - last`, or a lone address.
    pub fn parse(text: &str) -> Option<Network> {
        let text = text.trim();
        if let Some((first, last)) = text.split_once('-') {
            let first = first.trim().parse().ok()?;
            let last = last.trim().parse().ok()?;
            return Network::range(first, last);
        }
        if let Some((address, prefix)) = text.split_once('/') {
            let prefix: u8 = prefix.trim().parse().ok()?;
            let address = address.trim();
            let ip = address.parse::<IpAddr>().ok().or_else(|| {
                // LACNIC writes `200.3.12/22` for `200.3.12.0/22`.
                let octets = address.split('.').count();
                if address.contains(':') || !(1..4).contains(&octets) {
                    return None;
                }
                let padded = format!("{address}{}", ".0".repeat(4 - octets));
                padded.parse().ok()
            })?;
            return Network::cidr(ip, prefix);
        }
        let ip: IpAddr = text.parse().ok()?;
        Network::cidr(ip, if ip.is_ipv6() { 128 } else { 32 })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let (v6, bits) = to_bits(ip);
        v6 == self.v6 && self.first <= bits && bits <= self.last
    }

    /// How many addresses it spans, minus one (a /0 IPv6 would overflow).
    pub fn span(&self) -> u128 {
        self.last - self.first
    }

    pub fn first(&self) -> IpAddr {
        from_bits(self.v6, self.first)
    }

    pub fn last(&self) -> IpAddr {
        from_bits(self.v6, self.last)
    }

    /// The prefix length when the range is exactly one CIDR block.
    fn prefix(&self) -> Option<u32> {
        let size = self.span().checked_add(1);
        let width = if self.v6 { 128 } else { 32 };
        match size {
            // The whole IPv6 space.
            None => (self.first == 0).then_some(0),
            Some(size) if size.is_power_of_two() && self.first.is_multiple_of(size) => {
                Some(width - size.trailing_zeros())
            }
            Some(_) => None,
        }
    }
}

impl fmt::Display for Network {
    /// CIDR when the range is one block, `first - last` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.prefix() {
            Some(prefix) => write!(f, "{}/{prefix}", self.first()),
            None => write!(f, "{} - {}", self.first(), self.last()),
        }
    }
}

/// Addresses that probably share a network: the same IPv4 /16 or IPv6 /32.
/// A lookup waits for one in flight with the same key instead of asking
/// the registry again.
pub(crate) fn neighbourhood(ip: IpAddr) -> Network {
    let prefix = if ip.is_ipv6() { 32 } else { 16 };
    Network::cidr(ip, prefix).expect("16 and 32 are valid prefixes for both families")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn parses_the_registries_forms() {
        let ripe = Network::parse("193.0.0.0 - 193.0.7.255").unwrap();
        assert_eq!(ripe.to_string(), "193.0.0.0/21");
        assert!(ripe.contains(ip("193.0.3.4")));
        assert!(!ripe.contains(ip("193.0.8.0")));
        let lacnic = Network::parse("200.3.12/22").unwrap();
        assert_eq!(lacnic.to_string(), "200.3.12.0/22");
        let v6 = Network::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let odd = Network::parse("10.0.0.0 - 10.0.2.255").unwrap();
        assert_eq!(odd.to_string(), "10.0.0.0 - 10.0.2.255");
        assert_eq!(Network::parse("::/0").unwrap().to_string(), "::/0");
        assert_eq!(
            Network::parse("0.0.0.0/0").unwrap().to_string(),
            "0.0.0.0/0"
        );
    }

    #[test]
    fn rejects_nonsense() {
        for text in [
            "",
            "banana",
            "10.0.0.0/33",
            "10.0.0.9 - 10.0.0.1",
            "10.0.0.0 - ::1",
            "1.2.3.4.5/8",
        ] {
            assert_eq!(Network::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn neighbourhoods_are_slash16_and_slash32() {
        assert_eq!(neighbourhood(ip("81.2.69.160")).to_string(), "81.2.0.0/16");
        assert_eq!(
            neighbourhood(ip("2a02:1:2:3::4")).to_string(),
            "2a02:1::/32"
        );
    }
}
