//! `[[forward]]`: the SIEM destinations the alert outbox is delivered to, with defaults and
//! validation.

use gatewatch_core::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Where a SIEM destination sends, and in which format.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DestinationKind {
    /// Splunk HTTP Event Collector (`/services/collector/event`, `Authorization: Splunk <token>`).
    SplunkHec,
    /// OCSF Detection Finding (class 2004) JSON array, POSTed (Security Lake custom source
    /// pipelines, any OCSF consumer); `token` becomes a bearer token when set.
    OcsfHttp,
    /// Generic JSON with an HMAC-SHA256 signature over timestamp and body.
    Webhook,
    /// OCSF Detection Findings as JSON Lines files in a directory (`url = "file:///path"`), one
    /// file per batch, written whole then renamed into place, named by outbox ids (a repeat
    /// overwrites the same file): for Amazon Security Lake custom-source jobs or any OCSF reader.
    OcsfFile,
    /// CEF in RFC 5424 syslog messages over TCP, octet-counted (RFC 6587); `url` is
    /// `tcp://host:port`, or `tls://host:port` for TLS (RFC 5425).
    Syslog,
}

/// One `[[forward]]` destination.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForwardDestination {
    /// Unique name (its delivery state is kept under it).
    pub name: String,
    pub kind: DestinationKind,
    pub url: String,
    /// HEC token, or bearer token for `ocsf_http`. Keep the config file private (0600): it
    /// holds the credential. Never printed by `config check` or logged.
    pub token: String,
    /// Webhook signing secret (at least 16 bytes).
    pub secret: String,
    /// HEC envelope fields (`host` is also the syslog HOSTNAME; default: this machine's name).
    pub index: String,
    pub sourcetype: String,
    pub host: String,
    /// PEM file of extra CA certificates to trust (a private PKI), besides the system's.
    pub ca_file: String,
    /// Events per request.
    pub batch_size: usize,
    /// Failed attempts before a message is parked with its reason.
    pub max_attempts: u32,
    pub timeout_secs: u64,
}

impl Default for ForwardDestination {
    fn default() -> Self {
        Self {
            name: String::new(),
            kind: DestinationKind::Webhook,
            url: String::new(),
            token: String::new(),
            secret: String::new(),
            index: String::new(),
            sourcetype: "gatewatch:alert".into(),
            host: String::new(),
            ca_file: String::new(),
            batch_size: 50,
            max_attempts: 10,
            timeout_secs: 10,
        }
    }
}

/// `[[forward]]`: each destination, and names unique.
pub fn validate(forward: &[ForwardDestination]) -> Result<()> {
    let bad = |field: String, why: &str| Err(Error::Config(format!("`{field}`: {why}")));
    let mut names = std::collections::BTreeSet::new();
    for (i, d) in forward.iter().enumerate() {
        let f = |name: &str| format!("forward[{i}].{name}");
        if d.name.trim().is_empty() {
            return bad(f("name"), "must name the destination");
        }
        if !names.insert(d.name.as_str()) {
            return bad(f("name"), &format!("`{}` is already the name of another destination", d.name));
        }
        if d.kind == DestinationKind::OcsfFile {
            if d.url.strip_prefix("file://").is_none_or(|p| !p.starts_with('/')) {
                return bad(f("url"), "an ocsf_file destination is file:///absolute/directory");
            }
        } else if d.kind == DestinationKind::Syslog {
            let addr = d.url.strip_prefix("tcp://").or_else(|| d.url.strip_prefix("tls://")).unwrap_or("");
            if addr.rsplit_once(':').is_none_or(|(h, p)| h.is_empty() || p.parse::<u16>().is_err()) {
                return bad(f("url"), "a syslog destination is tcp://host:port or tls://host:port");
            }
        } else if !(d.url.starts_with("https://") || d.url.starts_with("http://")) {
            return bad(f("url"), "must be an http:// or https:// URL");
        }
        if d.kind == DestinationKind::SplunkHec && d.token.is_empty() {
            return bad(f("token"), "a Splunk HEC destination needs its token");
        }
        if d.kind == DestinationKind::Webhook && d.secret.len() < 16 {
            return bad(f("secret"), "a webhook needs a signing secret of at least 16 bytes");
        }
        if !d.ca_file.is_empty() && !std::path::Path::new(&d.ca_file).is_file() {
            return bad(f("ca_file"), "is not a readable file");
        }
        if !(1..=1000).contains(&d.batch_size) {
            return bad(f("batch_size"), "must be between 1 and 1000");
        }
        if d.max_attempts == 0 {
            return bad(f("max_attempts"), "must be at least 1");
        }
        if d.timeout_secs == 0 {
            return bad(f("timeout_secs"), "must be at least 1");
        }
    }
    Ok(())
}
