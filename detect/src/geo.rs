//! GeoIP: country and ASN of a source address from real databases, and a location estimate
//! (the country's representative point) for distances.
//!
//! - Country: any MaxMind-format database whose records carry `country_code`
//!   (ip-location-db) or `country.iso_code` (GeoIP2/GeoLite2).
//! - ASN: a MaxMind-format ASN database (`autonomous_system_number`, GeoLite2-ASN), or the
//!   `asn-ipv4.csv` / `asn-ipv6.csv` range files of ip-location-db's `asn` package.
//!
//! `gatewatch geoip update` ([`update`]) downloads the free ip-location-db packages from the
//! npm registry, checks their published sha512 integrity and unpacks them.

use crate::config::GeoIpConfig;
use foldhash::HashMap;
use gatewatch_core::net::ip_bits;
use gatewatch_core::traffic::CountryLookup;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error(
        "GeoIP database `{0}` not found; run `gatewatch geoip update` (or set geoip.dir / geoip.country_db / geoip.asn_db)"
    )]
    Missing(PathBuf),
    #[error("GeoIP database `{path}`: {why}")]
    Bad { path: PathBuf, why: String },
    #[error("geoip update: {0}")]
    Update(String),
}

/// What is known about an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GeoInfo {
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<[u8; 2]>,
    pub asn: Option<u32>,
}

impl GeoInfo {
    pub fn country_str(&self) -> Option<&str> {
        self.country.as_ref().and_then(|c| std::str::from_utf8(c).ok())
    }
}

enum AsnDb {
    Mmdb(maxminddb::Reader<Vec<u8>>),
    /// Sorted, non-overlapping inclusive ranges: IPv4 as u32 (12 bytes a range, most of the
    /// table), IPv6 as [`ip_bits`] values.
    Ranges {
        v4: Vec<(u32, u32, u32)>,
        v6: Vec<(u128, u128, u32)>,
        orgs: HashMap<u32, String>,
    },
}

/// The opened databases. Lookups are read-only: share it behind an `Arc`.
pub struct Geo {
    country: maxminddb::Reader<Vec<u8>>,
    asn: AsnDb,
}

#[derive(serde::Deserialize)]
struct CountryRecord<'a> {
    #[serde(borrow)]
    country_code: Option<&'a str>,
    #[serde(borrow)]
    country: Option<IsoCode<'a>>,
}

#[derive(serde::Deserialize)]
struct IsoCode<'a> {
    iso_code: Option<&'a str>,
}

#[derive(serde::Deserialize)]
struct AsnRecord<'a> {
    autonomous_system_number: Option<u32>,
    #[allow(dead_code)]
    #[serde(borrow)]
    autonomous_system_organization: Option<&'a str>,
}

impl Geo {
    /// Opens the databases named by the configuration.
    pub fn open(cfg: &GeoIpConfig) -> Result<Geo, GeoError> {
        Self::open_paths(&cfg.country_path(), &cfg.asn_path())
    }

    pub fn open_paths(country: &Path, asn: &Path) -> Result<Geo, GeoError> {
        if !country.exists() {
            return Err(GeoError::Missing(country.to_path_buf()));
        }
        let bad = |p: &Path, why: String| GeoError::Bad { path: p.to_path_buf(), why };
        let country_db =
            maxminddb::Reader::open_readfile(country).map_err(|e| bad(country, e.to_string()))?;
        let asn_db = if asn.extension().is_some_and(|e| e == "mmdb") {
            if !asn.exists() {
                return Err(GeoError::Missing(asn.to_path_buf()));
            }
            AsnDb::Mmdb(maxminddb::Reader::open_readfile(asn).map_err(|e| bad(asn, e.to_string()))?)
        } else {
            let files: Vec<PathBuf> = if asn.is_dir() {
                ["asn-ipv4.csv", "asn-ipv6.csv"].iter().map(|f| asn.join(f)).filter(|p| p.exists()).collect()
            } else if asn.exists() {
                vec![asn.to_path_buf()]
            } else {
                Vec::new()
            };
            if files.is_empty() {
                return Err(GeoError::Missing(asn.to_path_buf()));
            }
            let mut t = AsnTables::default();
            for f in &files {
                let file = std::fs::File::open(f).map_err(|e| bad(f, e.to_string()))?;
                load_asn_csv(std::io::BufReader::new(file), &mut t).map_err(|e| bad(f, e))?;
            }
            t.v4.sort_unstable_by_key(|r| r.0);
            t.v6.sort_unstable_by_key(|r| r.0);
            AsnDb::Ranges { v4: t.v4, v6: t.v6, orgs: t.orgs }
        };
        Ok(Geo { country: country_db, asn: asn_db })
    }

    /// The country of `ip` only (no ASN): what the per-country traffic hours need.
    pub fn country(&self, ip: IpAddr) -> Option<[u8; 2]> {
        // `::ffff:203.0.113.9` is an IPv4 address.
        let ip = ip.to_canonical();
        let r = self.country.lookup(ip).ok()?;
        let rec = r.decode::<CountryRecord>().ok().flatten()?;
        let code = rec.country_code.or(rec.country.and_then(|c| c.iso_code))?;
        let b = code.as_bytes();
        (b.len() == 2).then(|| [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
    }

    /// The country lookup the pipeline takes (it does not depend on this crate).
    pub fn country_lookup(geo: &Arc<Geo>) -> CountryLookup {
        let geo = geo.clone();
        CountryLookup::new(move |ip| geo.country(ip))
    }

    pub fn lookup(&self, ip: IpAddr) -> GeoInfo {
        let ip = ip.to_canonical();
        let mut out = GeoInfo { country: self.country(ip), ..GeoInfo::default() };
        out.asn = match &self.asn {
            AsnDb::Mmdb(db) => db
                .lookup(ip)
                .ok()
                .and_then(|r| r.decode::<AsnRecord>().ok().flatten())
                .and_then(|r| r.autonomous_system_number),
            AsnDb::Ranges { v4, v6, .. } => match ip {
                IpAddr::V4(a) => find_range(v4, u32::from(a)),
                IpAddr::V6(_) => find_range(v6, ip_bits(ip)),
            },
        };
        out
    }

    /// The network's name, when the database has it.
    pub fn asn_org(&self, asn: u32) -> Option<String> {
        match &self.asn {
            AsnDb::Ranges { orgs, .. } => orgs.get(&asn).cloned(),
            AsnDb::Mmdb(_) => None,
        }
    }
}

fn find_range<T: Ord + Copy>(ranges: &[(T, T, u32)], x: T) -> Option<u32> {
    let i = ranges.partition_point(|r| r.0 <= x);
    (i > 0 && ranges[i - 1].1 >= x).then(|| ranges[i - 1].2)
}

#[derive(Default)]
struct AsnTables {
    v4: Vec<(u32, u32, u32)>,
    v6: Vec<(u128, u128, u32)>,
    orgs: HashMap<u32, String>,
}

/// Parses `first,last,asn,org` records (org may be quoted and contain commas), streaming. A
/// first line that does not parse is taken as a header.
fn load_asn_csv(input: impl std::io::BufRead, t: &mut AsnTables) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::StringRecord::new();
    let mut n = 0usize;
    loop {
        n += 1;
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err(format!("line {n}: {e}")),
        }
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        let line = record.position().map_or(n as u64, csv::Position::line);
        let bad = || format!("line {line}: expected first_ip,last_ip,asn,org");
        let (Some(a), Some(b), Some(asn)) = (record.get(0), record.get(1), record.get(2)) else {
            return Err(bad());
        };
        let (Ok(a), Ok(b), Ok(asn)) = (a.parse::<IpAddr>(), b.parse::<IpAddr>(), asn.parse::<u32>()) else {
            if n == 1 {
                continue; // a header line
            }
            return Err(bad());
        };
        match (a, b) {
            (IpAddr::V4(a), IpAddr::V4(b)) => t.v4.push((u32::from(a), u32::from(b), asn)),
            _ => t.v6.push((ip_bits(a), ip_bits(b), asn)),
        }
        if let Some(org) = record.get(3)
            && !t.orgs.contains_key(&asn)
        {
            t.orgs.insert(asn, org.to_string());
        }
    }
}

/// A country's representative point (latitude, longitude), from the embedded table.
pub fn centroid(code: &str) -> Option<(f64, f64)> {
    static TABLE: OnceLock<HashMap<[u8; 2], (f64, f64)>> = OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut m = HashMap::default();
        for line in include_str!("../data/country_centroids.csv").lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut f = line.split(',');
            if let (Some(c), Some(lat), Some(lon)) = (f.next(), f.next(), f.next())
                && let (Ok(lat), Ok(lon)) = (lat.parse(), lon.parse())
                && c.len() == 2
            {
                let b = c.as_bytes();
                m.insert([b[0], b[1]], (lat, lon));
            }
        }
        m
    });
    let b = code.as_bytes();
    if b.len() != 2 {
        return None;
    }
    t.get(&[b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]).copied()
}

/// Great-circle distance in km (haversine, mean Earth radius).
pub fn distance_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// Distance between two countries' representative points, if both are known.
pub fn country_distance_km(a: &str, b: &str) -> Option<f64> {
    Some(distance_km(centroid(a)?, centroid(b)?))
}

/// The npm packages `gatewatch geoip update` installs: (package, files kept, target).
const PACKAGES: &[(&str, &[&str], &str)] = &[
    ("@ip-location-db/geo-whois-asn-country-mmdb", &["geo-whois-asn-country.mmdb"], ""),
    ("@ip-location-db/asn", &["asn-ipv4.csv", "asn-ipv6.csv", "ROUTEVIEWS-LICENSE", "DBIP-LICENSE"], "asn"),
];

/// Downloads the ip-location-db databases into `dir` (atomically replacing older copies).
/// `progress` receives one human-readable line per step.
pub async fn update(dir: &Path, registry: &str, progress: &mut dyn FnMut(String)) -> Result<(), GeoError> {
    use base64::Engine;
    use sha2::Digest;
    let err = |e: String| GeoError::Update(e);
    std::fs::create_dir_all(dir).map_err(|e| err(format!("cannot create `{}`: {e}", dir.display())))?;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(300))
        .user_agent(concat!("gatewatch/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| err(e.to_string()))?;
    let registry = registry.trim_end_matches('/');
    for (pkg, files, sub) in PACKAGES {
        let meta_url = format!("{registry}/{}/latest", pkg.replace('/', "%2f"));
        let meta_body = client
            .get(&meta_url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| err(format!("{meta_url}: {e}")))?
            .bytes()
            .await
            .map_err(|e| err(format!("{meta_url}: {e}")))?;
        let meta: serde_json::Value =
            serde_json::from_slice(&meta_body).map_err(|e| err(format!("{meta_url}: {e}")))?;
        let version = meta["version"].as_str().unwrap_or("?").to_string();
        let (Some(tarball), Some(integrity)) =
            (meta["dist"]["tarball"].as_str(), meta["dist"]["integrity"].as_str())
        else {
            return Err(err(format!("{meta_url}: no dist.tarball / dist.integrity")));
        };
        progress(format!("downloading {pkg}@{version}"));
        let body = client
            .get(tarball)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| err(format!("{tarball}: {e}")))?
            .bytes()
            .await
            .map_err(|e| err(format!("{tarball}: {e}")))?;
        let expected = integrity
            .strip_prefix("sha512-")
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .ok_or_else(|| err(format!("{pkg}: unsupported integrity `{integrity}`")))?;
        if sha2::Sha512::digest(&body)[..] != expected[..] {
            return Err(err(format!("{pkg}@{version}: download does not match its sha512 integrity")));
        }
        let target = if sub.is_empty() { dir.to_path_buf() } else { dir.join(sub) };
        std::fs::create_dir_all(&target).map_err(|e| err(e.to_string()))?;
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&body[..]));
        let mut found = 0;
        for entry in archive.entries().map_err(|e| err(format!("{pkg}: {e}")))? {
            let mut entry = entry.map_err(|e| err(format!("{pkg}: {e}")))?;
            let path = entry.path().map_err(|e| err(e.to_string()))?.into_owned();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
            if !files.contains(&name.as_str()) {
                continue;
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).map_err(|e| err(format!("{pkg}/{name}: {e}")))?;
            let tmp = target.join(format!(".{name}.tmp"));
            std::fs::write(&tmp, &data).map_err(|e| err(format!("{}: {e}", tmp.display())))?;
            std::fs::rename(&tmp, target.join(&name)).map_err(|e| err(e.to_string()))?;
            found += 1;
        }
        if found != files.len() {
            return Err(err(format!("{pkg}@{version}: expected files {files:?} in the package")));
        }
        progress(format!("installed {pkg}@{version} into {}", target.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_between_country_points() {
        let de_au = country_distance_km("DE", "AU").unwrap();
        assert!((14_000.0..16_500.0).contains(&de_au), "{de_au}");
        let de_nl = country_distance_km("de", "NL").unwrap();
        assert!((200.0..500.0).contains(&de_nl), "{de_nl}");
        assert_eq!(country_distance_km("DE", "DE"), Some(0.0));
        assert!(centroid("ZZ").is_none());
        assert!(centroid("D").is_none());
        // Every line of the table parsed.
        assert!(centroid("ZW").is_some() && centroid("AD").is_some());
    }

    #[test]
    fn asn_csv_ranges_with_quoted_orgs() {
        let mut t = AsnTables::default();
        let csv =
            "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n2001::,2001::ffff,6939,Hurricane Electric LLC\n";
        load_asn_csv(csv.as_bytes(), &mut t).unwrap();
        assert_eq!((t.v4.len(), t.v6.len()), (1, 1));
        assert_eq!(t.orgs[&13335], "Cloudflare, Inc.");
        assert_eq!(find_range(&t.v4, u32::from(std::net::Ipv4Addr::new(1, 0, 0, 7))), Some(13335));
        assert_eq!(find_range(&t.v4, u32::from(std::net::Ipv4Addr::new(1, 0, 1, 0))), None);
        assert!(load_asn_csv("1.0.0.0,1.0.0.255,13335,x\nbad line\n".as_bytes(), &mut t).is_err());
    }
}
