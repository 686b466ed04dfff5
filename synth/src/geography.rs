//! Countries, their networks and the special networks scenarios draw from (hosting, scraper,
//! denied, office, partner, mobile carriers), and addresses inside them.

use super::*;

// Geography

pub(crate) struct Country {
    pub(crate) code: &'static str,
    pub(crate) weight: u32,
    /// Real ISP / mobile allocations that geolocate to the country.
    pub(crate) v4: &'static [([u8; 4], u8)],
    /// First 32 bits of a real ISP IPv6 allocation and its prefix length (<= 32).
    pub(crate) v6: Option<([u16; 2], u8)>,
}

pub(crate) const COUNTRIES: &[Country] = &[
    // Comcast, Comcast, T-Mobile US; Comcast v6.
    Country {
        code: "US",
        weight: 30,
        v4: &[([73, 0, 0, 0], 8), ([98, 192, 0, 0], 10), ([172, 56, 0, 0], 14)],
        v6: Some(([0x2601, 0], 20)),
    },
    // Deutsche Telekom.
    Country {
        code: "DE",
        weight: 9,
        v4: &[([84, 128, 0, 0], 10), ([91, 0, 0, 0], 10), ([93, 192, 0, 0], 10)],
        v6: Some(([0x2003, 0x0080], 25)),
    },
    // BT, Andrews & Arnold.
    Country {
        code: "GB",
        weight: 8,
        v4: &[([86, 128, 0, 0], 10), ([81, 2, 69, 0], 24)],
        v6: Some(([0x2a00, 0x23c0], 28)),
    },
    // Orange, Free.
    Country {
        code: "FR",
        weight: 6,
        v4: &[([90, 0, 0, 0], 11), ([78, 192, 0, 0], 12)],
        v6: Some(([0x2a01, 0x0e0a], 32)),
    },
    // SoftBank BB, NTT OCN.
    Country {
        code: "JP",
        weight: 6,
        v4: &[([126, 64, 0, 0], 11), ([153, 128, 0, 0], 10)],
        v6: Some(([0x2400, 0x4050], 32)),
    },
    // Vivo (Telefônica Brasil), Claro.
    Country {
        code: "BR",
        weight: 6,
        v4: &[([177, 168, 0, 0], 13), ([179, 136, 0, 0], 13)],
        v6: Some(([0x2804, 0x014c], 32)),
    },
    // Reliance Jio, Bharti Airtel.
    Country {
        code: "IN",
        weight: 9,
        v4: &[([49, 32, 0, 0], 12), ([122, 160, 0, 0], 12)],
        v6: Some(([0x2409, 0x4000], 22)),
    },
    // Telstra.
    Country {
        code: "AU",
        weight: 3,
        v4: &[([1, 128, 0, 0], 11), ([58, 160, 0, 0], 12)],
        v6: Some(([0x2001, 0x8003], 32)),
    },
    // Rogers, Bell Canada.
    Country {
        code: "CA",
        weight: 4,
        v4: &[([99, 224, 0, 0], 11), ([70, 24, 0, 0], 13)],
        v6: Some(([0x2607, 0xfea8], 32)),
    },
    // Vodafone Libertel, KPN.
    Country {
        code: "NL",
        weight: 3,
        v4: &[([83, 80, 0, 0], 13), ([86, 80, 0, 0], 13)],
        v6: Some(([0x2001, 0x1c00], 23)),
    },
    // M1, StarHub.
    Country {
        code: "SG",
        weight: 2,
        v4: &[([118, 189, 0, 0], 16), ([116, 86, 0, 0], 15)],
        v6: Some(([0x2406, 0x3003], 32)),
    },
    // Airtel Nigeria, MTN Nigeria.
    Country { code: "NG", weight: 3, v4: &[([105, 116, 0, 0], 14), ([102, 88, 0, 0], 14)], v6: None },
    // Beeline, MegaFon.
    Country {
        code: "RU",
        weight: 3,
        v4: &[([95, 24, 0, 0], 13), ([188, 162, 0, 0], 16)],
        v6: Some(([0x2a00, 0x1fa0], 32)),
    },
    // China Mobile, China Telecom Guangdong.
    Country {
        code: "CN",
        weight: 4,
        v4: &[([117, 136, 0, 0], 13), ([183, 0, 0, 0], 10)],
        v6: Some(([0x240e, 0], 20)),
    },
];

/// DigitalOcean, where a lot of scanner traffic originates.
pub(crate) const HOSTING_NET: ([u8; 4], u8) = ([167, 99, 0, 0], 16);
/// Hetzner Online, Germany: the distributed scraper's rented machines.
pub(crate) const SCRAPER_NET: ([u8; 4], u8) = ([88, 198, 0, 0], 16);
/// The autonomous system announcing [`SCRAPER_NET`] (Hetzner Online GmbH).
pub(crate) const SCRAPER_ASN: u32 = 24940;
/// ISO 3166 code of the `denied_geo` caller's country: no other client ever comes from it, so an
/// evaluation configuration can deny it.
pub const DENIED_COUNTRY: &str = "KP";
/// Star Joint Venture (AS131279), the allocation [`DENIED_COUNTRY`] geolocates from.
pub(crate) const DENIED_NET: ([u8; 4], u8) = ([175, 45, 176, 0], 22);
/// Deutsche Telekom (AS3320) fixed-line range, Germany: the office's NAT address.
pub(crate) const OFFICE_NET: ([u8; 4], u8) = ([217, 6, 0, 0], 16);
/// Amazon EC2 us-east-1 (AS14618): the partner's batch workers.
pub(crate) const PARTNER_NET: ([u8; 4], u8) = ([3, 80, 0, 0], 12);
/// Two Indian mobile carriers with different autonomous systems: Reliance Jio (AS55836) and
/// Bharti Airtel's mobile network (AS45609).
pub(crate) const MOBILE_NETS: [([u8; 4], u8); 2] = [([157, 32, 0, 0], 12), ([106, 196, 0, 0], 15)];

pub(crate) fn country(code: &str) -> &'static Country {
    COUNTRIES.iter().find(|c| c.code == code).unwrap_or(&COUNTRIES[0])
}

pub(crate) fn pick_country(rng: &mut ChaCha8Rng) -> &'static Country {
    let total: u32 = COUNTRIES.iter().map(|c| c.weight).sum();
    let mut x = rng.random_range(0..total);
    for c in COUNTRIES {
        if x < c.weight {
            return c;
        }
        x -= c.weight;
    }
    &COUNTRIES[0]
}

pub(crate) fn host_mask(len: u8) -> u32 {
    let host_bits = 32 - u32::from(len.min(32));
    if host_bits >= 32 { u32::MAX } else { (1u32 << host_bits) - 1 }
}

pub(crate) fn ipv4_in(rng: &mut ChaCha8Rng, net: ([u8; 4], u8)) -> String {
    ipv4_from_bits(net, rng.random::<u32>())
}

/// The address in `net` whose host part is the low bits of `bits`.
pub(crate) fn ipv4_from_bits((net, len): ([u8; 4], u8), bits: u32) -> String {
    let mask = host_mask(len);
    let mut ip = (u32::from_be_bytes(net) & !mask) | (bits & mask);
    // .0 and .255 look like network/broadcast addresses to a human reader; flip the low bit.
    if matches!(ip & 0xff, 0 | 255) && len < 32 {
        ip ^= 1;
    }
    Ipv4Addr::from(ip).to_string()
}

pub(crate) fn ipv6_in(rng: &mut ChaCha8Rng, ([a, b], len): ([u16; 2], u8)) -> String {
    let mask = host_mask(len);
    let base = (u32::from(a) << 16) | u32::from(b);
    let hi = (base & !mask) | (rng.random::<u32>() & mask);
    let low = rng.random::<u128>() & ((1u128 << 96) - 1);
    Ipv6Addr::from((u128::from(hi) << 96) | low).to_string()
}

pub(crate) fn ip_from(rng: &mut ChaCha8Rng, c: &Country, v6: bool) -> String {
    match (v6, c.v6) {
        (true, Some(net)) => ipv6_in(rng, net),
        _ => {
            let net = c.v4[rng.random_range(0..c.v4.len())];
            ipv4_in(rng, net)
        }
    }
}

// ---------------------------------------------------------------------------------------------
