//! The one configuration type: a TOML file (`--config`) overlaid by `GATEWATCH_*` environment
//! variables (nested keys with `__`, e.g. `GATEWATCH_INGEST__BATCH_EVENTS=20000`), validated at
//! start-up. Defaults live next to each field; `gatewatch config check FILE` prints the result.

use crate::error::{Error, Result};
use crate::model::ClientKind;
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
    /// Extra JSON keys accepted for each access-log field, keyed by the AWS name
    /// (e.g. `ip = ["sourceIp", "clientIp"]`). The AWS names are always accepted.
    pub fields: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityConfig {
    /// Which identity names the client when a record carries several; first present wins.
    /// Default: principal, api_key, iam, ip (the most specific first).
    pub order: Vec<ClientKind>,
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
    /// Where the generated key is kept (mode 0600). Default `gatewatch.key`.
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

impl Default for ScrubConfig {
    fn default() -> Self {
        Self {
            key: String::new(),
            key_file: "gatewatch.key".into(),
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
            fields: BTreeMap::new(),
        }
    }
}

impl Default for IdentityConfig {
    fn default() -> Self {
        Self { order: ClientKind::ALL.to_vec() }
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
            if !f.exists() {
                return Err(Error::Config(format!("config file `{}` does not exist", f.display())));
            }
            fig = fig.merge(Toml::file_exact(f));
        }
        fig = fig.merge(Env::prefixed("GATEWATCH_").split("__").ignore(NOT_CONFIG_KEYS));
        let cfg: Config = fig.extract().map_err(|e| {
            let e = e.to_string();
            Error::Config(e)
        })?;
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
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return bad("listen", "must be an address like 127.0.0.1:8080");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
