//! IPv4 addresses as integers, CIDR tables with longest-prefix match, and a cheap
//! hasher for integer keys (the flow-log scan looks up two addresses per record).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Parse a dotted IPv4 address from bytes (`10.0.1.25`); None for anything else
/// (IPv6, `-`, garbage).
#[inline]
pub fn parse_ipv4(s: &[u8]) -> Option<u32> {
    let mut out: u32 = 0;
    let mut octet: u32 = 0;
    let mut digits = 0;
    let mut dots = 0;
    for &b in s {
        match b {
            b'0'..=b'9' => {
                octet = octet * 10 + u32::from(b - b'0');
                digits += 1;
                if digits > 3 || octet > 255 {
                    return None;
                }
            }
            b'.' => {
                if digits == 0 || dots == 3 {
                    return None;
                }
                out = (out << 8) | octet;
                octet = 0;
                digits = 0;
                dots += 1;
            }
            _ => return None,
        }
    }
    if dots != 3 || digits == 0 {
        return None;
    }
    Some((out << 8) | octet)
}

pub fn format_ipv4(ip: u32) -> String {
    std::net::Ipv4Addr::from(ip).to_string()
}

/// `10.0.1.0/24` → (first address, prefix length).
pub fn parse_cidr(s: &str) -> Option<(u32, u8)> {
    let (addr, len) = s.trim().split_once('/')?;
    let len: u8 = len.parse().ok().filter(|l| *l <= 32)?;
    let ip = parse_ipv4(addr.as_bytes())?;
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some((ip & mask, len))
}

/// True for RFC 1918, carrier-grade NAT (100.64/10, used by VPC CNI custom
/// networking) and link-local space: addresses that never leave a VPC.
pub fn is_private(ip: u32) -> bool {
    let in_net = |net: u32, len: u32| (ip >> (32 - len)) == (net >> (32 - len));
    in_net(0x0A00_0000, 8)
        || in_net(0xAC10_0000, 12)
        || in_net(0xC0A8_0000, 16)
        || in_net(0x6440_0000, 10)
        || in_net(0xA9FE_0000, 16)
}

/// CIDR blocks mapped to values, answered by longest-prefix match.
#[derive(Debug, Clone)]
pub struct CidrTable<T> {
    /// (network, prefix length, value), longest prefixes first.
    entries: Vec<(u32, u8, T)>,
}

impl<T> Default for CidrTable<T> {
    fn default() -> Self {
        CidrTable { entries: Vec::new() }
    }
}

impl<T: Clone> CidrTable<T> {
    pub fn insert(&mut self, cidr: &str, value: T) -> bool {
        match parse_cidr(cidr) {
            Some((net, len)) => {
                self.entries.push((net, len, value));
                self.entries.sort_by_key(|e| std::cmp::Reverse(e.1));
                true
            }
            None => false,
        }
    }

    pub fn lookup(&self, ip: u32) -> Option<&T> {
        self.entries
            .iter()
            .find(|(net, len, _)| *len == 0 || (ip >> (32 - u32::from(*len))) == (net >> (32 - u32::from(*len))))
            .map(|(_, _, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A multiply-shift hasher for integer keys: far cheaper than SipHash, and the keys
/// (addresses, interned ids) are not attacker-chosen in a way that matters here.
#[derive(Default, Clone, Copy)]
pub struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u64(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ipv4_and_rejects_the_rest() {
        assert_eq!(parse_ipv4(b"10.0.1.25"), Some(0x0A00_0119));
        assert_eq!(parse_ipv4(b"255.255.255.255"), Some(u32::MAX));
        for bad in [&b"-"[..], b"", b"10.0.1", b"10.0.1.256", b"10..1.2", b"2001:db8::1", b"1.2.3.4.5", b"1.2.3."] {
            assert_eq!(parse_ipv4(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(format_ipv4(0x0A00_0119), "10.0.1.25");
    }

    #[test]
    fn longest_prefix_wins() {
        let mut t = CidrTable::default();
        assert!(t.insert("10.0.0.0/16", "vpc"));
        assert!(t.insert("10.0.1.0/24", "subnet-a"));
        assert!(!t.insert("10.0.1.0/33", "bad"));
        assert_eq!(t.lookup(parse_ipv4(b"10.0.1.9").unwrap()), Some(&"subnet-a"));
        assert_eq!(t.lookup(parse_ipv4(b"10.0.2.9").unwrap()), Some(&"vpc"));
        assert_eq!(t.lookup(parse_ipv4(b"10.1.0.1").unwrap()), None);
    }

    #[test]
    fn private_space() {
        for ip in ["10.1.2.3", "172.20.0.1", "192.168.1.1", "100.64.3.4"] {
            assert!(is_private(parse_ipv4(ip.as_bytes()).unwrap()), "{ip}");
        }
        for ip in ["52.216.8.1", "203.0.113.5", "172.32.0.1"] {
            assert!(!is_private(parse_ipv4(ip.as_bytes()).unwrap()), "{ip}");
        }
    }
}
