//! The one configuration type: a TOML file (`--config`) overlaid by `GATEWATCH_*` environment
//! variables (nested keys with `__`, e.g. `GATEWATCH_INGEST__BATCH_EVENTS=20000`), validated at
//! start-up. Each crate owns its sections, their defaults and their validation (`ingest`,
//! `detect`, `api`, `forward`, each in its `config.rs`; the store's `[retention]` in
//! `store/src/retention.rs`); this crate composes them, loads and
//! checks the whole. `gatewatch config check FILE` prints the result.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
pub use gatewatch_api::config::{ApiConfig, JwtConfig};
pub use gatewatch_core::Suppression;
pub use gatewatch_core::error::{Error, Result};
pub use gatewatch_detect::config::*;
pub use gatewatch_forward::config::{DestinationKind, ForwardDestination};
pub use gatewatch_ingest::config::*;
use gatewatch_ingest::pipeline::{IngestError, Settings};
pub use gatewatch_store::RetentionConfig;
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
    /// How long the store keeps each kind of row (`[retention]`).
    pub retention: RetentionConfig,
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
            retention: RetentionConfig::default(),
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
        gatewatch_ingest::config::validate_pipeline(&self.identity, &self.ingest)?;
        self.detect.validate()?;
        self.api.validate()?;
        self.retention.validate()?;
        gatewatch_ingest::config::validate_sources(
            &self.aws,
            &self.kinesis,
            &self.cloudwatch_logs,
            &self.firehose,
            &self.leases,
        )?;
        gatewatch_forward::config::validate(&self.forward)?;
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(Error::Config("`listen`: must be an address like 127.0.0.1:8080".into()));
        }
        Ok(())
    }

    /// The pipeline's settings from `[scrub]`, `[fields]`, `[identity]` and `[ingest]` (reads or
    /// creates the scrubber key as configured).
    pub fn settings(&self) -> std::result::Result<Settings, IngestError> {
        Settings::from_config(&self.scrub, &self.fields, &self.identity, &self.ingest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gatewatch_core::ClientKind;

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
    #[allow(clippy::result_large_err)] // figment's Jail closure returns figment's own error
    fn file_values_override_defaults_and_errors_name_the_field() {
        // Jailed: serialised with the test that sets `GATEWATCH_*` variables.
        figment::Jail::expect_with(|_| {
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
            Ok(())
        });
    }
}
