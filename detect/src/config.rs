//! `[detect]` and `[geoip]`: the detector's windows, learning, alert lifecycle, one section per rule, geographic
//! policy and suppressions, and where the GeoIP databases are, with their defaults and validation. Every default is explained in
//! README.md ("Detection rules").

use gatewatch_core::Suppression;
use gatewatch_core::error::{Error, Result};
use gatewatch_core::model::ClientKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The detector: windows, learning, alert lifecycle and one section per rule. Every default
/// is explained in README.md ("Detection rules").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectConfig {
    /// Run the detector in `replay`, `run` and `ingest`. Default true.
    pub enabled: bool,
    /// How far behind the newest event time a minute stays open for late events. Default 120 s.
    pub lateness_secs: i64,
    /// Event-time minutes a client (and the detector as a whole) learns before any
    /// "compared with its baseline" rule may fire for it. Default 60.
    pub learning_minutes: i64,
    /// Quiet minutes (no new evidence) after which an open alert is resolved. Default 30.
    pub resolve_after_minutes: i64,
    /// A client idle this long (event time) is forgotten: its profile leaves memory and the
    /// store, and it learns again if it comes back. Keeps memory bounded by the clients of
    /// the recent past, not by every address ever seen. Default 14.
    pub profile_ttl_days: i64,
    /// Words (case-insensitive; a plural `s` or digits may follow) that mark an authentication
    /// route or path: `auth` matches `/auth/login`, `oauth` matches `/oauth2/token`, and
    /// neither matches `/authors`.
    pub auth_routes: Vec<String>,
    /// Path fragments that only scanners ask for (case-insensitive, matched after decoding).
    pub sensitive_paths: Vec<String>,
    /// Client types whose location and spread are judged (credential_replay, new_country,
    /// impossible_travel). Default principal and api_key: IAM role sessions are shared by
    /// design across workloads and regions, and SigV4 signatures cannot be replayed.
    pub credential_kinds: Vec<ClientKind>,
    pub brute_force: BruteForceConfig,
    pub credential_stuffing: StuffingConfig,
    pub credential_replay: ReplayConfig,
    pub enumeration: EnumerationConfig,
    pub distributed_scraping: DistributedScrapingConfig,
    pub throttle_evasion: ThrottleConfig,
    pub probing: ProbingConfig,
    pub volume_spike: VolumeSpikeConfig,
    pub new_country: NewCountryConfig,
    pub impossible_travel: TravelConfig,
    pub denied_geo: GeoPolicyConfig,
    /// Alerts never raised: any of rule / subject / CIDR, optionally until a time.
    pub suppressions: Vec<Suppression>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BruteForceConfig {
    pub enabled: bool,
    pub window_minutes: i64,
    /// Authentication failures (401, 403 from an authorizer, authorizer errors) from one source.
    pub min_failures: u64,
    /// Share of the source's requests that failed; also at least `margin` above the share of
    /// all traffic in the same window (an authorizer outage fails everyone).
    pub min_failure_ratio: f64,
    pub margin: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StuffingConfig {
    pub enabled: bool,
    pub window_minutes: i64,
    /// Distinct source IPs failing authentication inside one ASN (or on one auth route).
    pub min_ips: u64,
    pub min_failures: u64,
    /// The group's failure share must be this many times the share of all auth traffic.
    pub min_lift: f64,
    /// And its failing-IP count this many times its own learned baseline.
    pub baseline_factor: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplayConfig {
    pub enabled: bool,
    pub window_minutes: i64,
    /// Distinct countries one credential is used from in a window.
    pub min_countries: u64,
    /// Distinct networks (ASNs) one credential is used from in a window.
    pub min_asns: u64,
    /// Distinct IPs one credential is used from in a window.
    pub min_ips: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnumerationConfig {
    pub enabled: bool,
    pub window_minutes: i64,
    pub min_distinct_paths: u64,
    /// Either this share of 404s …
    pub min_404_ratio: f64,
    /// … or this share of requests stepping to a neighbouring numeric id on one route.
    pub min_sequential_ratio: f64,
    /// An established client must also exceed its own distinct-path baseline this many times.
    pub baseline_factor: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DistributedScrapingConfig {
    pub enabled: bool,
    pub window_minutes: i64,
    /// Anonymous source IPs of one ASN active in the window.
    pub min_ips: u64,
    /// Distinct paths the group requested in the window.
    pub min_distinct_paths: u64,
    /// Each IP stays below this many requests a minute on average ("slowly").
    pub max_rate_per_ip: f64,
    /// And the IP count is this many times the ASN's learned baseline.
    pub baseline_factor: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottleConfig {
    pub enabled: bool,
    pub window_minutes: i64,
    pub min_429: u64,
    pub min_429_ratio: f64,
    /// Minutes of the window with 429s in which the client did not slow down.
    pub min_minutes: u64,
    /// "Did not slow down": the latest minute's rate is at least this share of the first
    /// throttled minute's rate.
    pub max_backoff: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProbingConfig {
    pub enabled: bool,
    pub window_minutes: i64,
    /// Distinct sensitive paths requested by one source.
    pub min_distinct_paths: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VolumeSpikeConfig {
    pub enabled: bool,
    /// Minutes averaged for the observed rate.
    pub window_minutes: i64,
    /// Observed rate must be this many times the baseline mean …
    pub factor: f64,
    /// … and this many standard deviations above it …
    pub sigmas: f64,
    /// … and at least this many requests a minute.
    pub min_rate_per_min: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewCountryConfig {
    pub enabled: bool,
    /// A country closer than this to one the client was already seen in is not new enough
    /// (border regions, roaming, neighbouring VPN exits). 0 alerts on any new country.
    pub min_distance_km: f64,
    /// Active minutes a client needs before its set of countries counts as its history.
    pub min_active_minutes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TravelConfig {
    pub enabled: bool,
    /// Faster than this between two location estimates is impossible. Default 1000 km/h.
    pub max_speed_kmh: f64,
    /// Subtracted from every distance: a country-level estimate is this uncertain.
    pub uncertainty_km: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct GeoPolicyConfig {
    pub enabled: bool,
    /// ISO 3166-1 alpha-2 codes never expected (e.g. `["KP"]`).
    pub deny: Vec<String>,
    /// If not empty, only these countries are expected.
    pub allow: Vec<String>,
    /// Policies of single APIs, keyed by `apiId` or `domainName`; they replace the global
    /// lists for that API (e.g. `[detect.denied_geo.per_api."a1b2c3d4e5"] allow = ["DE", "AT"]`).
    pub per_api: BTreeMap<String, CountryPolicy>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct CountryPolicy {
    pub deny: Vec<String>,
    pub allow: Vec<String>,
}

impl CountryPolicy {
    /// Whether a request from `country` breaks this policy.
    pub fn denies(&self, country: &str) -> bool {
        self.deny.iter().any(|c| c.eq_ignore_ascii_case(country))
            || (!self.allow.is_empty() && !self.allow.iter().any(|c| c.eq_ignore_ascii_case(country)))
    }
}

impl GeoPolicyConfig {
    /// The policy of `api` (its own, else the global lists).
    pub fn policy_for(&self, api: Option<&str>) -> CountryPolicy {
        match api.and_then(|a| self.per_api.get(a)) {
            Some(p) => p.clone(),
            None => CountryPolicy { deny: self.deny.clone(), allow: self.allow.clone() },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.deny.is_empty() && self.allow.is_empty() && self.per_api.is_empty()
    }

    /// Whether a request to `api` from `country` breaks the policy (no allocation: per event).
    pub fn denies(&self, api: Option<&str>, country: &str) -> bool {
        let (deny, allow) = match api.and_then(|a| self.per_api.get(a)) {
            Some(p) => (&p.deny, &p.allow),
            None => (&self.deny, &self.allow),
        };
        deny.iter().any(|c| c.eq_ignore_ascii_case(country))
            || (!allow.is_empty() && !allow.iter().any(|c| c.eq_ignore_ascii_case(country)))
    }
}

impl Default for DetectConfig {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Self {
            enabled: true,
            lateness_secs: 120,
            learning_minutes: 60,
            resolve_after_minutes: 30,
            profile_ttl_days: 14,
            auth_routes: s(&[
                "login", "signin", "sign-in", "logon", "auth", "token", "oauth", "session", "password",
                "passwd", "otp", "mfa", "2fa", "verify",
            ]),
            sensitive_paths: s(&[
                "/.env",
                "/.git",
                "/.svn",
                "/.hg",
                "/.aws",
                "/.ssh",
                "/.ds_store",
                "/.htaccess",
                "/.htpasswd",
                "/wp-login",
                "/wp-admin",
                "/wp-content",
                "/wp-includes",
                "/xmlrpc.php",
                "/wp-config",
                "/phpmyadmin",
                "/pma/",
                "/myadmin",
                "/adminer",
                "/admin",
                "/administrator",
                "/manager/html",
                "/console",
                "/actuator",
                "/server-status",
                "/server-info",
                "/jmx-console",
                "/solr/",
                "/cgi-bin/",
                "/phpunit",
                "/eval-stdin",
                "/vendor/",
                "/config.json",
                "/config.php",
                "/configuration.php",
                "/web.config",
                "/backup",
                "/.bak",
                ".sql",
                "/dump",
                "/db.",
                "/debug",
                "/telescope",
                "/_profiler",
                "/elmah.axd",
                "/trace.axd",
                "/etc/passwd",
                "/proc/self",
                "/boaform",
                "/hnap1",
                "/shell",
                "/cmd",
                "/.well-known/security.txt.bak",
                "../",
                "..\\",
            ]),
            credential_kinds: vec![ClientKind::Principal, ClientKind::ApiKey],
            brute_force: BruteForceConfig::default(),
            credential_stuffing: StuffingConfig::default(),
            credential_replay: ReplayConfig::default(),
            enumeration: EnumerationConfig::default(),
            distributed_scraping: DistributedScrapingConfig::default(),
            throttle_evasion: ThrottleConfig::default(),
            probing: ProbingConfig::default(),
            volume_spike: VolumeSpikeConfig::default(),
            new_country: NewCountryConfig::default(),
            impossible_travel: TravelConfig::default(),
            denied_geo: GeoPolicyConfig { enabled: true, ..Default::default() },
            suppressions: Vec::new(),
        }
    }
}

impl Default for BruteForceConfig {
    fn default() -> Self {
        Self { enabled: true, window_minutes: 5, min_failures: 20, min_failure_ratio: 0.6, margin: 0.3 }
    }
}
impl Default for StuffingConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window_minutes: 10,
            min_ips: 20,
            min_failures: 30,
            min_lift: 3.0,
            baseline_factor: 3.0,
        }
    }
}
impl Default for ReplayConfig {
    fn default() -> Self {
        Self { enabled: true, window_minutes: 10, min_countries: 3, min_asns: 5, min_ips: 12 }
    }
}
impl Default for EnumerationConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window_minutes: 5,
            min_distinct_paths: 100,
            min_404_ratio: 0.3,
            min_sequential_ratio: 0.5,
            baseline_factor: 3.0,
        }
    }
}
impl Default for DistributedScrapingConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window_minutes: 10,
            min_ips: 50,
            min_distinct_paths: 100,
            max_rate_per_ip: 6.0,
            baseline_factor: 4.0,
        }
    }
}
impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window_minutes: 5,
            min_429: 30,
            min_429_ratio: 0.3,
            min_minutes: 2,
            max_backoff: 0.5,
        }
    }
}
impl Default for ProbingConfig {
    fn default() -> Self {
        Self { enabled: true, window_minutes: 10, min_distinct_paths: 3 }
    }
}
impl Default for VolumeSpikeConfig {
    fn default() -> Self {
        Self { enabled: true, window_minutes: 3, factor: 8.0, sigmas: 6.0, min_rate_per_min: 60.0 }
    }
}
impl Default for NewCountryConfig {
    fn default() -> Self {
        Self { enabled: true, min_distance_km: 1500.0, min_active_minutes: 30 }
    }
}
impl Default for TravelConfig {
    fn default() -> Self {
        Self { enabled: true, max_speed_kmh: 1000.0, uncertainty_km: 500.0 }
    }
}

/// The longest window any rule may use (the detector keeps this many closed minutes).
pub const MAX_WINDOW_MINUTES: i64 = 60;

impl DetectConfig {
    pub fn validate(&self) -> Result<()> {
        let bad = |field: String, why: &str| Err(Error::Config(format!("`detect.{field}`: {why}")));
        let windows = [
            ("brute_force", self.brute_force.window_minutes),
            ("credential_stuffing", self.credential_stuffing.window_minutes),
            ("credential_replay", self.credential_replay.window_minutes),
            ("enumeration", self.enumeration.window_minutes),
            ("distributed_scraping", self.distributed_scraping.window_minutes),
            ("throttle_evasion", self.throttle_evasion.window_minutes),
            ("probing", self.probing.window_minutes),
            ("volume_spike", self.volume_spike.window_minutes),
        ];
        for (rule, w) in windows {
            if !(1..=MAX_WINDOW_MINUTES).contains(&w) {
                return bad(format!("{rule}.window_minutes"), "must be between 1 and 60");
            }
        }
        if self.lateness_secs < 0 || self.lateness_secs > 86_400 {
            return bad("lateness_secs".into(), "must be between 0 and 86400");
        }
        if self.learning_minutes < 0 {
            return bad("learning_minutes".into(), "must not be negative");
        }
        if self.profile_ttl_days < 1 {
            return bad("profile_ttl_days".into(), "must be at least 1");
        }
        if self.resolve_after_minutes < 1 {
            return bad("resolve_after_minutes".into(), "must be at least 1");
        }
        let ratios = [
            ("brute_force.min_failure_ratio", self.brute_force.min_failure_ratio),
            ("brute_force.margin", self.brute_force.margin),
            ("enumeration.min_404_ratio", self.enumeration.min_404_ratio),
            ("enumeration.min_sequential_ratio", self.enumeration.min_sequential_ratio),
            ("throttle_evasion.min_429_ratio", self.throttle_evasion.min_429_ratio),
            ("throttle_evasion.max_backoff", self.throttle_evasion.max_backoff),
        ];
        for (field, v) in ratios {
            if !(0.0..=1.0).contains(&v) {
                return bad(field.into(), "is a share: between 0 and 1");
            }
        }
        let at_least_one = [
            ("brute_force.min_failures", self.brute_force.min_failures),
            ("credential_stuffing.min_ips", self.credential_stuffing.min_ips),
            ("credential_stuffing.min_failures", self.credential_stuffing.min_failures),
            ("credential_replay.min_countries", self.credential_replay.min_countries),
            ("credential_replay.min_asns", self.credential_replay.min_asns),
            ("credential_replay.min_ips", self.credential_replay.min_ips),
            ("enumeration.min_distinct_paths", self.enumeration.min_distinct_paths),
            ("distributed_scraping.min_ips", self.distributed_scraping.min_ips),
            ("throttle_evasion.min_429", self.throttle_evasion.min_429),
            ("probing.min_distinct_paths", self.probing.min_distinct_paths),
        ];
        for (field, v) in at_least_one {
            if v < 1 {
                return bad(field.into(), "must be at least 1");
            }
        }
        let non_negative = [
            ("credential_stuffing.min_lift", self.credential_stuffing.min_lift),
            ("credential_stuffing.baseline_factor", self.credential_stuffing.baseline_factor),
            ("enumeration.baseline_factor", self.enumeration.baseline_factor),
            ("distributed_scraping.max_rate_per_ip", self.distributed_scraping.max_rate_per_ip),
            ("distributed_scraping.baseline_factor", self.distributed_scraping.baseline_factor),
            ("volume_spike.factor", self.volume_spike.factor),
            ("volume_spike.sigmas", self.volume_spike.sigmas),
            ("volume_spike.min_rate_per_min", self.volume_spike.min_rate_per_min),
            ("new_country.min_distance_km", self.new_country.min_distance_km),
            ("impossible_travel.uncertainty_km", self.impossible_travel.uncertainty_km),
        ];
        for (field, v) in non_negative {
            if !(v >= 0.0 && v.is_finite()) {
                return bad(field.into(), "must be a non-negative number");
            }
        }
        if !self.denied_geo.deny.is_empty() && !self.denied_geo.allow.is_empty() {
            return bad(
                "denied_geo".into(),
                "set `deny` or `allow`, not both (allow already denies the rest)",
            );
        }
        if self.impossible_travel.max_speed_kmh <= 0.0 {
            return bad("impossible_travel.max_speed_kmh".into(), "must be positive");
        }
        let per_api = self.denied_geo.per_api.values().flat_map(|p| p.deny.iter().chain(&p.allow));
        for c in self.denied_geo.deny.iter().chain(&self.denied_geo.allow).chain(per_api) {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return bad(
                    "denied_geo".into(),
                    &format!("`{c}` is not an ISO 3166-1 alpha-2 country code like \"KP\""),
                );
            }
        }
        for (i, s) in self.suppressions.iter().enumerate() {
            if let Err((field, why)) = s.check() {
                let field = if field.is_empty() {
                    format!("suppressions[{i}]")
                } else {
                    format!("suppressions[{i}].{field}")
                };
                return bad(field, &why);
            }
        }
        Ok(())
    }
}

/// Where the GeoIP databases are. Country: a MaxMind-format database (GeoLite2-Country,
/// ip-location-db `*-country.mmdb`). ASN: a MaxMind-format ASN database (GeoLite2-ASN) or the
/// ip-location-db `asn-ipv4.csv`/`asn-ipv6.csv` files. `gatewatch geoip update` fetches the
/// free ip-location-db databases into `dir`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeoIpConfig {
    /// Directory of `gatewatch geoip update`; also where the two paths below are looked up
    /// when relative. Default: the per-user cache directory (`$XDG_CACHE_HOME`, else
    /// `~/.cache`, on Linux) + `gatewatch/geoip`.
    pub dir: String,
    /// Country database file. Default `geo-whois-asn-country.mmdb` (CC0).
    pub country_db: String,
    /// ASN database: a `.mmdb` file, or a directory/CSV of ip-location-db's `asn` package.
    /// Default `asn` (CC BY 4.0, RouteViews and DB-IP).
    pub asn_db: String,
}

impl Default for GeoIpConfig {
    fn default() -> Self {
        Self { dir: String::new(), country_db: "geo-whois-asn-country.mmdb".into(), asn_db: "asn".into() }
    }
}

impl GeoIpConfig {
    /// The effective directory (`dir`, else the per-user cache directory).
    pub fn resolved_dir(&self) -> std::path::PathBuf {
        if !self.dir.is_empty() {
            return self.dir.clone().into();
        }
        let cache = dirs::cache_dir().unwrap_or_else(|| std::path::PathBuf::from("."));
        cache.join("gatewatch").join("geoip")
    }

    pub fn country_path(&self) -> std::path::PathBuf {
        self.resolved_dir().join(&self.country_db)
    }

    pub fn asn_path(&self) -> std::path::PathBuf {
        self.resolved_dir().join(&self.asn_db)
    }
}
