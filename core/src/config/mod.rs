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

mod detect;
pub use detect::*;

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
