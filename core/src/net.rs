//! IP networks for suppressions and allow lists, without a dependency: `addr/len` parsed into
//! a 128-bit range (IPv4 mapped into `::ffff:0:0/96`).

use std::net::IpAddr;

/// An address as a 128-bit number (IPv4 mapped).
pub fn ip_bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// A network as an inclusive range of [`ip_bits`] values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub first: u128,
    pub last: u128,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let b = ip_bits(ip);
        self.first <= b && b <= self.last
    }
}

/// Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address (a /32 or /128).
pub fn parse_cidr(s: &str) -> Option<Cidr> {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
        None => (s, None),
    };
    let ip: IpAddr = addr.trim().parse().ok()?;
    let (max, offset) = if ip.is_ipv4() { (32, 96) } else { (128, 0) };
    let len = len.unwrap_or(max);
    if len > max {
        return None;
    }
    let prefix = len + offset;
    let host_mask = if prefix == 0 { u128::MAX } else { u128::MAX.checked_shr(prefix).unwrap_or(0) };
    let first = ip_bits(ip) & !host_mask;
    Some(Cidr { first, last: first | host_mask })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs() {
        let c = parse_cidr("10.1.0.0/16").unwrap();
        assert!(c.contains("10.1.255.3".parse().unwrap()));
        assert!(!c.contains("10.2.0.1".parse().unwrap()));
        assert!(!c.contains("::1".parse().unwrap()));
        let c = parse_cidr("2001:db8::/32").unwrap();
        assert!(c.contains("2001:db8:ffff::1".parse().unwrap()));
        assert!(!c.contains("2001:db9::1".parse().unwrap()));
        assert!(parse_cidr("1.2.3.4").unwrap().contains("1.2.3.4".parse().unwrap()));
        assert!(parse_cidr("0.0.0.0/0").unwrap().contains("255.1.1.1".parse().unwrap()));
        assert!(parse_cidr("1.2.3.4/33").is_none());
        assert!(parse_cidr("nope/8").is_none());
    }
}
