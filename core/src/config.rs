//! The one configuration type: a TOML file (`--config`) overlaid by `GATEWATCH_*` environment
//! variables (nested keys with `__`, e.g. `GATEWATCH_INGEST__BATCH_EVENTS=20000`), validated at
//! start-up. Defaults live next to each field; `gatewatch config check FILE` prints the result.

use crate::error::{Error, Result};
use crate::model::ClientKind;
pub use crate::sources::{
    AwsConfig, CloudWatchLogsSource, DestinationKind, FirehoseConfig, ForwardDestination, KinesisSource,
    LeaseConfig, StartPosition,
};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// `GATEWATCH_*` variables that are not configuration keys: `GATEWATCH_CONFIG` (the file),
/// `GATEWATCH_LOG` (log filter) and `GATEWATCH_TEST_PG` (the test suite's PostgreSQL).
const NOT_CONFIG_KEYS: &[&str] = &["config", "log", "test_pg"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Store URL: `sqlite://path`, `sqlite::memory:` or `postgres://…`.
    pub db: String,
    /// Address of the REST API.
    pub listen: String,
    pub identity: IdentityConfig,
    pub ingest: IngestConfig,
    pub scrub: ScrubConfig,
    pub geoip: GeoIpConfig,
    pub detect: DetectConfig,
    /// Extra JSON keys accepted for each access-log field, keyed by the AWS name
    /// (e.g. `ip = ["sourceIp", "clientIp"]`). The AWS names are always accepted.
    pub fields: BTreeMap<String, Vec<String>>,
    pub aws: AwsConfig,
    /// Kinesis Data Streams to consume (`[[kinesis]]`, one table a stream).
    pub kinesis: Vec<KinesisSource>,
    /// Log groups to poll (`[[cloudwatch_logs]]`).
    pub cloudwatch_logs: Vec<CloudWatchLogsSource>,
    pub firehose: FirehoseConfig,
    pub leases: LeaseConfig,
    /// SIEM destinations the alert outbox is delivered to (`[[forward]]`).
    pub forward: Vec<ForwardDestination>,
    pub api: ApiConfig,
}

/// The REST API's own protection (`[api]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Requests a minute one token may make (callers without a valid token: per address).
    pub rate_limit_per_minute: u32,
    /// Requests one token may make at once above the steady rate.
    pub rate_limit_burst: u32,
    /// Largest request body accepted (413 above it).
    pub max_body_bytes: usize,
    /// A request that takes longer is answered 503.
    pub request_timeout_secs: u64,
    /// Browser origins allowed to call the API (CORS); empty: none (closed).
    pub cors_origins: Vec<String>,
    /// Serve `/metrics` without a token (for scrapers that cannot send one).
    pub metrics_public: bool,
    /// SSO: accept JWTs from an identity provider beside the API's own tokens.
    pub jwt: JwtConfig,
}

/// JWT validation for SSO (`[api.jwt]`); off while `issuer` is empty.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JwtConfig {
    /// Expected `iss`.
    pub issuer: String,
    /// Expected `aud`.
    pub audience: String,
    /// A JWKS file holding the signing keys…
    pub jwks_file: String,
    /// …or the issuer's JWKS URL (fetched at start and every `jwks_refresh_secs`).
    pub jwks_url: String,
    pub jwks_refresh_secs: u64,
    /// The claim holding scopes (space-separated string or array).
    pub scope_claim: String,
    /// Scope values granting read and admin access.
    pub read_scope: String,
    pub admin_scope: String,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway_secs: u64,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            rate_limit_per_minute: 600,
            rate_limit_burst: 60,
            max_body_bytes: 64 * 1024,
            request_timeout_secs: 30,
            cors_origins: Vec::new(),
            metrics_public: false,
            jwt: JwtConfig::default(),
        }
    }
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            audience: String::new(),
            jwks_file: String::new(),
            jwks_url: String::new(),
            jwks_refresh_secs: 900,
            scope_claim: "scope".into(),
            read_scope: "gatewatch:read".into(),
            admin_scope: "gatewatch:admin".into(),
            leeway_secs: 60,
        }
    }
}

impl ApiConfig {
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, why: &str| Err(Error::Config(format!("`api.{field}`: {why}")));
        if self.rate_limit_per_minute == 0 {
            return bad("rate_limit_per_minute", "must be at least 1");
        }
        if self.rate_limit_burst == 0 {
            return bad("rate_limit_burst", "must be at least 1");
        }
        if !(1024..=16 << 20).contains(&self.max_body_bytes) {
            return bad("max_body_bytes", "must be from 1024 to 16777216");
        }
        if !(1..=600).contains(&self.request_timeout_secs) {
            return bad("request_timeout_secs", "must be from 1 to 600");
        }
        for (i, o) in self.cors_origins.iter().enumerate() {
            let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
            if o == "*" || rest.is_none_or(|r| r.is_empty() || r.contains('/')) {
                return bad(
                    &format!("cors_origins[{i}]"),
                    "must be an origin like https://grafana.example.com (no path, no wildcard)",
                );
            }
        }
        let j = &self.jwt;
        let any = [&j.issuer, &j.audience, &j.jwks_file, &j.jwks_url].iter().any(|v| !v.is_empty());
        if any {
            if j.issuer.is_empty() {
                return bad("jwt.issuer", "is required when any api.jwt key is set");
            }
            if j.audience.is_empty() {
                return bad("jwt.audience", "is required when api.jwt.issuer is set");
            }
            if j.jwks_file.is_empty() == j.jwks_url.is_empty() {
                return bad("jwt.jwks_file", "set exactly one of jwks_file and jwks_url");
            }
            if !j.jwks_url.is_empty()
                && !j.jwks_url.starts_with("https://")
                && !j.jwks_url.starts_with("http://")
            {
                return bad("jwt.jwks_url", "must be an http(s) URL");
            }
            if j.scope_claim.is_empty() || j.read_scope.is_empty() || j.admin_scope.is_empty() {
                return bad("jwt.scope_claim", "scope_claim, read_scope and admin_scope must not be empty");
            }
            if j.jwks_refresh_secs < 10 {
                return bad("jwt.jwks_refresh_secs", "must be at least 10");
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityConfig {
    /// Which identity names the client when a record carries several; first present wins.
    /// Default: principal, api_key, iam, ip (the most specific first).
    pub order: Vec<ClientKind>,
    /// Most distinct clients named by a logged Authorization credential (the caller's choice,
    /// unlike a principal, key or IAM identity) one source address may name per event minute;
    /// past it, those events count under the address. 0: no cap. Default 64.
    pub max_clients_per_ip_minute: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// Events per committed batch. Larger batches amortise the transaction; smaller ones
    /// checkpoint more often. Default 50 000.
    pub batch_events: usize,
    /// Longest accepted input line in bytes; longer lines go to dead letters without being
    /// buffered whole. Default 1 MiB (CloudWatch Logs events are at most 256 KiB).
    pub max_line_bytes: usize,
    /// Largest decompressed CloudWatch Logs envelope; protects against gzip bombs.
    /// Default 16 MiB (AWS envelopes are at most ~1 MiB compressed).
    pub max_envelope_bytes: usize,
    /// Events stamped further than this ahead of the wall clock are dead-lettered as clock
    /// skew (the only use of the wall clock in ingest). Default 86 400 s.
    pub max_future_skew_secs: i64,
}

/// What the scrubber removes and how it names what it removed. Secrets become
/// `[REDACTED:<kind>:<8 hex>]`, the hex a keyed HMAC-SHA256 of the secret, so the same secret
/// always gets the same pseudonym under one deployment's key and no other.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScrubConfig {
    /// The fingerprint key, hex (at least 32 bytes). Prefer `GATEWATCH_SCRUB__KEY` over the file.
    /// Empty: read `key_file`, creating it with a random key on first run.
    pub key: String,
    /// Where the generated key is kept (mode 0600). Default: `$XDG_DATA_HOME/gatewatch/gatewatch.key`
    /// (else `~/.local/share/…`), the same whatever directory gatewatch runs from, so a secret
    /// keeps its pseudonym across runs. A relative path is relative to the working directory.
    pub key_file: String,
    /// Kinds to leave alone, e.g. `["phone"]`. Default: none.
    pub disabled_kinds: Vec<String>,
    /// IPv4 addresses inside free text (not the source-IP field): `keep` (default),
    /// `truncate` (to /24) or `pseudonymize` (to a fingerprint).
    pub ip_in_text: IpPolicy,
    /// Extra field / parameter names whose values are always secret (case-insensitive).
    pub sensitive_fields: Vec<String>,
    /// Custom rules: a regex, the kind to report, and an optional validator.
    pub rules: Vec<ScrubRule>,
    /// Regexes whose matches are never redacted (e.g. a test card number used in monitoring).
    pub allow: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IpPolicy {
    #[default]
    Keep,
    Truncate,
    Pseudonymize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrubRule {
    /// Kind name used in the marker, e.g. `employee_id`.
    pub kind: String,
    /// Regex; if it has a capture group, only the first group is redacted.
    pub pattern: String,
    /// Optional check of the match: `luhn`, `mod97` or `jwt`.
    #[serde(default)]
    pub validator: Option<String>,
}

impl ScrubConfig {
    /// The key file in effect (`key_file`, else the per-user default).
    pub fn resolved_key_file(&self) -> std::path::PathBuf {
        if !self.key_file.is_empty() {
            return self.key_file.clone().into();
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| std::path::PathBuf::from("."));
        data.join("gatewatch").join("gatewatch.key")
    }
}

impl Default for ScrubConfig {
    fn default() -> Self {
        Self {
            key: String::new(),
            key_file: String::new(),
            disabled_kinds: Vec::new(),
            ip_in_text: IpPolicy::Keep,
            sensitive_fields: Vec::new(),
            rules: Vec::new(),
            allow: Vec::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            db: "sqlite://gatewatch.db".into(),
            listen: "127.0.0.1:8080".into(),
            identity: IdentityConfig::default(),
            ingest: IngestConfig::default(),
            scrub: ScrubConfig::default(),
            geoip: GeoIpConfig::default(),
            detect: DetectConfig::default(),
            fields: BTreeMap::new(),
            aws: AwsConfig::default(),
            kinesis: Vec::new(),
            cloudwatch_logs: Vec::new(),
            firehose: FirehoseConfig::default(),
            leases: LeaseConfig::default(),
            forward: Vec::new(),
            api: ApiConfig::default(),
        }
    }
}

impl Default for IdentityConfig {
    fn default() -> Self {
        Self { order: ClientKind::ALL.to_vec(), max_clients_per_ip_minute: 64 }
    }
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            batch_events: 50_000,
            max_line_bytes: 1 << 20,
            max_envelope_bytes: 16 << 20,
            max_future_skew_secs: 86_400,
        }
    }
}

impl Config {
    /// Loads defaults, then `file` (if any), then `GATEWATCH_*` variables, and validates.
    pub fn load(file: Option<&Path>) -> Result<Self> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(f) = file {
            // Opened here first, so that "unreadable" (permissions) is not reported as "missing".
            std::fs::File::open(f)
                .map_err(|e| Error::Config(format!("config file `{}`: {e}", f.display())))?;
            fig = fig.merge(Toml::file_exact(f));
        }
        // A variable that sets a text field is taken as written: the environment provider
        // reads `17` as a number, so `GATEWATCH_LEASES__WORKER_ID=17` or a key of digits
        // would be refused or lose its leading zeros. Only variables that name a config
        // section or key are config: others that share the prefix (`GATEWATCH_TOKEN` for curl,
        // the test suite's `GATEWATCH_TEST_*`) are not errors. Inside a known section an unknown
        // key still is (a typo is named).
        let defaults =
            figment::value::Value::serialize(Config::default()).map_err(|e| Error::Config(e.to_string()))?;
        let sections: Vec<String> = match &defaults {
            figment::value::Value::Dict(_, d) => d.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let is_text = |path: &str| matches!(defaults.find_ref(path), Some(figment::value::Value::String(..)));
        let mut text = Vec::new();
        for (name, value) in std::env::vars() {
            if let Some(rest) = name.strip_prefix("GATEWATCH_") {
                let path = rest.to_lowercase().replace("__", ".");
                if is_text(&path) {
                    text.push((path, value));
                }
            }
        }
        let text_paths: Vec<String> = text.iter().map(|(p, _)| p.clone()).collect();
        fig = fig.merge(
            Env::prefixed("GATEWATCH_")
                .split("__")
                .ignore(NOT_CONFIG_KEYS)
                .filter(move |k| !text_paths.iter().any(|p| k.as_str().eq_ignore_ascii_case(p)))
                .filter(move |k| {
                    let section = k.as_str().split('.').next().unwrap_or_default();
                    sections.iter().any(|s| s.eq_ignore_ascii_case(section))
                }),
        );
        for (path, value) in text {
            fig = fig.merge(Serialized::default(&path, value));
        }
        let cfg: Config = fig.extract().map_err(|e| {
            let e = e.to_string();
            Error::Config(e)
        })?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Loads defaults and then `toml` (no environment), and validates: `load` for a config
    /// held in memory.
    pub fn from_toml_str(toml: &str) -> Result<Self> {
        let cfg: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string(toml))
            .extract()
            .map_err(|e| Error::Config(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, why: &str| Err(Error::Config(format!("`{field}`: {why}")));
        if self.identity.order.is_empty() {
            return bad("identity.order", "must name at least one of principal, api_key, iam, ip");
        }
        let mut seen = self.identity.order.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.identity.order.len() {
            return bad("identity.order", "lists a client type twice");
        }
        if self.ingest.batch_events == 0 {
            return bad("ingest.batch_events", "must be at least 1");
        }
        if self.ingest.max_line_bytes < 1024 {
            return bad("ingest.max_line_bytes", "must be at least 1024");
        }
        if self.ingest.max_envelope_bytes < 1024 {
            return bad("ingest.max_envelope_bytes", "must be at least 1024");
        }
        if self.ingest.max_future_skew_secs < 0 {
            return bad("ingest.max_future_skew_secs", "must not be negative");
        }
        self.detect.validate()?;
        self.api.validate()?;
        crate::sources::validate(self)?;
        crate::sources::validate_forward(self)?;
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return bad("listen", "must be an address like 127.0.0.1:8080");
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

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Suppression {
    /// Rule name; empty: every rule.
    pub rule: String,
    /// `type:value`; empty: every subject.
    pub subject: String,
    /// Suppress when the subject IP (or every top IP of the evidence) is inside this network.
    pub cidr: String,
    /// RFC 3339; empty: forever.
    pub until: String,
    /// Why (shown by `config check`).
    pub reason: String,
}

impl Suppression {
    /// `Err((field, why))` when a field is not usable; field is empty when the whole is at fault.
    pub fn check(&self) -> std::result::Result<(), (String, String)> {
        let bad = |f: &str, why: &str| Err((f.to_string(), why.to_string()));
        if !self.rule.is_empty() && self.rule.parse::<crate::alert::Rule>().is_err() {
            return bad("rule", "is not a rule name");
        }
        if !self.subject.is_empty()
            && let Err(e) = self.subject.parse::<crate::alert::Subject>()
        {
            return bad("subject", &e);
        }
        if !self.cidr.is_empty() && crate::net::parse_cidr(&self.cidr).is_none() {
            return bad("cidr", "must be a network like 10.0.0.0/8 or 2001:db8::/32");
        }
        if !self.until.is_empty() && crate::time::parse_time_param(&self.until).is_none() {
            return bad("until", "must be RFC 3339, e.g. 2026-12-01T00:00:00Z");
        }
        if self.rule.is_empty() && self.subject.is_empty() && self.cidr.is_empty() {
            return bad("", "names no rule, subject or cidr (it would hide every alert)");
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail closure returns figment's own error
    fn environment_text_fields_are_taken_as_written() {
        figment::Jail::expect_with(|jail| {
            let key = "0".repeat(63) + "7";
            jail.set_env("GATEWATCH_LEASES__WORKER_ID", "17");
            jail.set_env("GATEWATCH_SCRUB__KEY", &key);
            jail.set_env("GATEWATCH_INGEST__BATCH_EVENTS", "9");
            let c = Config::load(None).unwrap();
            assert_eq!(c.leases.worker_id, "17");
            assert_eq!(c.scrub.key, key);
            assert_eq!(c.ingest.batch_events, 9);
            // Variables that share the prefix but name no section are not config.
            jail.set_env("GATEWATCH_TOKEN", "gwt_abc");
            jail.set_env("GATEWATCH_TEST_GEOIP", "/tmp/geoip");
            assert_eq!(Config::load(None).unwrap().leases.worker_id, "17");
            // A number field still refuses text, naming the variable.
            jail.set_env("GATEWATCH_INGEST__BATCH_EVENTS", "many");
            let e = Config::load(None).unwrap_err().to_string();
            assert!(e.contains("BATCH_EVENTS"), "{e}");
            jail.set_env("GATEWATCH_INGEST__BATCH_EVENTS", "9");
            // A typo inside a known section is named.
            jail.set_env("GATEWATCH_SCRUB__KYE", "x");
            let e = Config::load(None).unwrap_err().to_string();
            assert!(e.to_lowercase().contains("kye"), "{e}");
            Ok(())
        });
    }

    #[test]
    fn file_values_override_defaults_and_errors_name_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.toml");
        std::fs::write(&p, "[identity]\norder = [\"ip\"]\n[ingest]\nbatch_events = 7\n").unwrap();
        let c = Config::load(Some(&p)).unwrap();
        assert_eq!(c.identity.order, vec![ClientKind::Ip]);
        assert_eq!(c.ingest.batch_events, 7);
        assert_eq!(c.ingest.max_line_bytes, 1 << 20);

        std::fs::write(&p, "[ingest]\nbatch_events = \"many\"\n").unwrap();
        let e = Config::load(Some(&p)).unwrap_err().to_string();
        assert!(e.contains("batch_events"), "{e}");

        std::fs::write(&p, "[ingest]\nbatch_event = 3\n").unwrap();
        let e = Config::load(Some(&p)).unwrap_err().to_string();
        assert!(e.contains("batch_event"), "{e}");

        std::fs::write(&p, "[identity]\norder = [\"ip\", \"ip\"]\n").unwrap();
        let e = Config::load(Some(&p)).unwrap_err().to_string();
        assert!(e.contains("identity.order"), "{e}");
    }
}
