//! The ingest sections of the configuration: `[identity]`, `[ingest]`, `[scrub]` and the
//! sources (`[aws]`, `[[kinesis]]`, `[[cloudwatch_logs]]`, `[firehose]`, `[leases]`), with
//! their defaults and validation. Errors name the key.

use gatewatch_core::error::{Error, Result};
use gatewatch_core::model::ClientKind;
use serde::{Deserialize, Serialize};

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

/// `[identity]` and `[ingest]`.
pub fn validate_pipeline(identity: &IdentityConfig, ingest: &IngestConfig) -> Result<()> {
    let bad = |field: &str, why: &str| Err(Error::Config(format!("`{field}`: {why}")));
    if identity.order.is_empty() {
        return bad("identity.order", "must name at least one of principal, api_key, iam, ip");
    }
    let mut seen = identity.order.clone();
    seen.sort();
    seen.dedup();
    if seen.len() != identity.order.len() {
        return bad("identity.order", "lists a client type twice");
    }
    if ingest.batch_events == 0 {
        return bad("ingest.batch_events", "must be at least 1");
    }
    if ingest.max_line_bytes < 1024 {
        return bad("ingest.max_line_bytes", "must be at least 1024");
    }
    if ingest.max_envelope_bytes < 1024 {
        return bad("ingest.max_envelope_bytes", "must be at least 1024");
    }
    if ingest.max_future_skew_secs < 0 {
        return bad("ingest.max_future_skew_secs", "must not be negative");
    }
    Ok(())
}

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

/// `[aws]`, `[[kinesis]]`, `[[cloudwatch_logs]]`, `[firehose]` and `[leases]`.
pub fn validate_sources(
    aws: &AwsConfig,
    kinesis: &[KinesisSource],
    cloudwatch_logs: &[CloudWatchLogsSource],
    firehose: &FirehoseConfig,
    leases: &LeaseConfig,
) -> Result<()> {
    let bad = |field: String, why: &str| Err(Error::Config(format!("`{field}`: {why}")));
    if !(1..=600).contains(&aws.timeout_secs) {
        return bad("aws.timeout_secs".into(), "must be between 1 and 600");
    }
    for (i, k) in kinesis.iter().enumerate() {
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
                if gatewatch_core::time::parse_time_param(&k.start_timestamp).is_none() =>
            {
                return bad(f("start_timestamp"), "expected RFC 3339 or epoch milliseconds");
            }
            (StartPosition::TrimHorizon | StartPosition::Latest, false) => {
                return bad(f("start_timestamp"), "only applies with start_position = \"at_timestamp\"");
            }
            _ => {}
        }
    }
    for (i, c) in cloudwatch_logs.iter().enumerate() {
        let f = |name: &str| format!("cloudwatch_logs[{i}].{name}");
        if c.log_groups.is_empty() && c.log_group_prefix.is_empty() {
            return bad(f("log_groups"), "name at least one log group (or set log_group_prefix)");
        }
        if c.log_groups.iter().any(|g| g.trim().is_empty()) {
            return bad(f("log_groups"), "contains an empty name");
        }
        if !c.start_time.is_empty() && gatewatch_core::time::parse_time_param(&c.start_time).is_none() {
            return bad(f("start_time"), "expected RFC 3339 or epoch milliseconds");
        }
        if c.poll_interval_secs == 0 {
            return bad(f("poll_interval_secs"), "must be at least 1");
        }
        if c.max_window_secs == 0 {
            return bad(f("max_window_secs"), "must be at least 1");
        }
    }
    let fh = firehose;
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
    if leases.duration_secs < 3 {
        return bad("leases.duration_secs".into(), "must be at least 3");
    }
    Ok(())
}
