//! The sections of the [`Config`](crate::Config) about what goes in and out: `[aws]`,
//! `[[kinesis]]`, `[[cloudwatch_logs]]`, `[firehose]`, `[leases]` and `[[forward]]`.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// How the AWS clients connect. Credentials come from the standard chain (environment,
/// shared profile, web identity, container and instance metadata), never from this file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AwsConfig {
    /// Region; empty: the chain's (`AWS_REGION`, profile, instance metadata).
    pub region: String,
    /// Endpoint override for emulators and VPC endpoints (e.g. `http://127.0.0.1:5000`).
    pub endpoint_url: String,
    /// Named profile from `~/.aws/config`; empty: the default chain.
    pub profile: String,
    /// Longest wait for one AWS call attempt (connect, send, read the answer) before it is
    /// abandoned and retried with backoff: an endpoint that stops answering must not hang a
    /// shard. Connecting gets at most 3 s of it.
    pub timeout_secs: u64,
}

impl Default for AwsConfig {
    fn default() -> Self {
        Self { region: String::new(), endpoint_url: String::new(), profile: String::new(), timeout_secs: 30 }
    }
}

/// Where a shard without a checkpoint starts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum StartPosition {
    /// The oldest record still in the stream.
    #[default]
    TrimHorizon,
    /// Only records put after the worker starts.
    Latest,
    /// Records from `start_timestamp` on.
    AtTimestamp,
}

impl std::str::FromStr for StartPosition {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "trim_horizon" => Ok(Self::TrimHorizon),
            "latest" => Ok(Self::Latest),
            "at_timestamp" => Ok(Self::AtTimestamp),
            _ => Err(format!("unknown start position `{s}` (expected trim_horizon, latest or at_timestamp)")),
        }
    }
}

/// One Kinesis Data Stream fed by a CloudWatch Logs subscription filter (or by producers
/// putting access-log lines).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KinesisSource {
    pub stream: String,
    pub start_position: StartPosition,
    /// RFC 3339 or epoch ms; only with `start_position = "at_timestamp"`.
    pub start_timestamp: String,
    /// Records a GetRecords call asks for (at most 10 000).
    pub max_records: i32,
    /// Pause after a read that returned nothing. A shard allows 5 reads/s shared by all its
    /// consumers; the default (1 000 ms) leaves room for others, as the KCL's default does.
    pub idle_poll_ms: u64,
}

impl Default for KinesisSource {
    fn default() -> Self {
        Self {
            stream: String::new(),
            start_position: StartPosition::TrimHorizon,
            start_timestamp: String::new(),
            max_records: 10_000,
            idle_poll_ms: 1_000,
        }
    }
}

/// Log groups polled with FilterLogEvents.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CloudWatchLogsSource {
    /// Log group names.
    pub log_groups: Vec<String>,
    /// Also every log group whose name starts with this (looked up again every few polls).
    pub log_group_prefix: String,
    /// Where a group without a checkpoint starts: RFC 3339 or epoch ms; empty: now.
    pub start_time: String,
    pub poll_interval_secs: u64,
    /// Only events older than this are read: CloudWatch Logs makes an event searchable a
    /// little after its timestamp, and an event that shows up after its window was read would
    /// be missed. Events delivered later than this are missed by polling (a subscription to
    /// Kinesis or Firehose has no such gap).
    pub settle_secs: u64,
    /// Longest time range one poll reads (a backfill goes in steps of this).
    pub max_window_secs: u64,
}

impl Default for CloudWatchLogsSource {
    fn default() -> Self {
        Self {
            log_groups: Vec::new(),
            log_group_prefix: String::new(),
            start_time: String::new(),
            poll_interval_secs: 10,
            settle_secs: 60,
            max_window_secs: 300,
        }
    }
}

/// The Firehose HTTP endpoint receiver.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FirehoseConfig {
    /// Address to listen on (e.g. `0.0.0.0:8443` behind a TLS-terminating load balancer);
    /// empty: no receiver.
    pub listen: String,
    /// The access key configured on the delivery stream (`X-Amz-Firehose-Access-Key`).
    /// Required when `listen` is set; better given as `GATEWATCH_FIREHOSE__ACCESS_KEY`.
    pub access_key: String,
    /// Largest accepted request body (Firehose sends at most 64 MiB).
    pub max_body_bytes: usize,
    /// How long a request id is remembered to drop Firehose's retries (its retry duration is
    /// at most 7 200 s).
    pub dedup_hours: u64,
}

impl Default for FirehoseConfig {
    fn default() -> Self {
        Self { listen: String::new(), access_key: String::new(), max_body_bytes: 64 << 20, dedup_hours: 24 }
    }
}

/// Shard leases shared by `gatewatch ingest` workers on one PostgreSQL store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeaseConfig {
    /// This worker's name in the lease table; empty: `host-pid`.
    pub worker_id: String,
    /// A lease not renewed for this long is taken over by another worker.
    pub duration_secs: u64,
}

impl Default for LeaseConfig {
    fn default() -> Self {
        Self { worker_id: String::new(), duration_secs: 10 }
    }
}

pub(crate) fn validate(cfg: &crate::Config) -> Result<()> {
    let bad = |field: String, why: &str| Err(Error::Config(format!("`{field}`: {why}")));
    if !(1..=600).contains(&cfg.aws.timeout_secs) {
        return bad("aws.timeout_secs".into(), "must be between 1 and 600");
    }
    for (i, k) in cfg.kinesis.iter().enumerate() {
        let f = |name: &str| format!("kinesis[{i}].{name}");
        if k.stream.trim().is_empty() {
            return bad(f("stream"), "must name a stream");
        }
        if !(1..=10_000).contains(&k.max_records) {
            return bad(f("max_records"), "must be between 1 and 10000");
        }
        if k.idle_poll_ms < 200 {
            return bad(f("idle_poll_ms"), "must be at least 200 (a shard allows 5 reads a second)");
        }
        match (k.start_position, k.start_timestamp.is_empty()) {
            (StartPosition::AtTimestamp, true) => {
                return bad(f("start_timestamp"), "is required with start_position = \"at_timestamp\"");
            }
            (StartPosition::AtTimestamp, false)
                if crate::time::parse_time_param(&k.start_timestamp).is_none() =>
            {
                return bad(f("start_timestamp"), "expected RFC 3339 or epoch milliseconds");
            }
            (StartPosition::TrimHorizon | StartPosition::Latest, false) => {
                return bad(f("start_timestamp"), "only applies with start_position = \"at_timestamp\"");
            }
            _ => {}
        }
    }
    for (i, c) in cfg.cloudwatch_logs.iter().enumerate() {
        let f = |name: &str| format!("cloudwatch_logs[{i}].{name}");
        if c.log_groups.is_empty() && c.log_group_prefix.is_empty() {
            return bad(f("log_groups"), "name at least one log group (or set log_group_prefix)");
        }
        if c.log_groups.iter().any(|g| g.trim().is_empty()) {
            return bad(f("log_groups"), "contains an empty name");
        }
        if !c.start_time.is_empty() && crate::time::parse_time_param(&c.start_time).is_none() {
            return bad(f("start_time"), "expected RFC 3339 or epoch milliseconds");
        }
        if c.poll_interval_secs == 0 {
            return bad(f("poll_interval_secs"), "must be at least 1");
        }
        if c.max_window_secs == 0 {
            return bad(f("max_window_secs"), "must be at least 1");
        }
    }
    let fh = &cfg.firehose;
    if !fh.listen.is_empty() {
        if fh.listen.parse::<std::net::SocketAddr>().is_err() {
            return bad("firehose.listen".into(), "must be an address like 0.0.0.0:8443");
        }
        if fh.access_key.len() < 16 {
            return bad(
                "firehose.access_key".into(),
                "must be set (at least 16 characters) when firehose.listen is: it keeps strangers from writing into the store",
            );
        }
    }
    if fh.dedup_hours < 2 {
        return bad(
            "firehose.dedup_hours".into(),
            "must be at least 2 (Firehose retries a request for up to 2 hours)",
        );
    }
    if fh.max_body_bytes < 1024 {
        return bad("firehose.max_body_bytes".into(), "must be at least 1024");
    }
    if cfg.leases.duration_secs < 3 {
        return bad("leases.duration_secs".into(), "must be at least 3");
    }
    Ok(())
}

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

pub(crate) fn validate_forward(cfg: &crate::Config) -> Result<()> {
    let bad = |field: String, why: &str| Err(Error::Config(format!("`{field}`: {why}")));
    let mut names = std::collections::BTreeSet::new();
    for (i, d) in cfg.forward.iter().enumerate() {
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
