//! The domain vocabulary shared by every crate: who a client is, and the names of the metrics
//! kept for each client-minute. These names are the product's face (store columns, API fields,
//! dashboards); change them only with a migration.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What kind of identity a client key is. The order of preference when several are present in
/// one log record is configurable (`identity.order`); the default is the order below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    /// `$context.authorizer.principalId` (Lambda / Cognito authorizer).
    Principal,
    /// `$context.identity.apiKeyId`.
    ApiKey,
    /// `$context.identity.caller` / `user` / `userArn` (IAM-signed requests).
    Iam,
    /// `$context.identity.sourceIp`: the fallback every request has.
    Ip,
}

impl ClientKind {
    pub const ALL: [ClientKind; 4] = [Self::Principal, Self::ApiKey, Self::Iam, Self::Ip];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Principal => "principal",
            Self::ApiKey => "api_key",
            Self::Iam => "iam",
            Self::Ip => "ip",
        }
    }
}

impl fmt::Display for ClientKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ClientKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown client type `{s}` (expected principal, api_key, iam or ip)"))
    }
}

/// A client: the kind of key and its value, e.g. `principal:8f1c…` or `ip:203.0.113.9`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientKey {
    #[serde(rename = "type")]
    pub kind: ClientKind,
    pub value: String,
}

impl ClientKey {
    pub fn new(kind: ClientKind, value: impl Into<String>) -> Self {
        Self { kind, value: value.into() }
    }
}

impl fmt::Display for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.value)
    }
}

impl FromStr for ClientKey {
    type Err = String;
    /// Parses `type:value`; the value may itself contain `:` (IPv6, ARNs).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, value) = s
            .split_once(':')
            .ok_or_else(|| format!("client `{s}` must look like type:value, e.g. ip:203.0.113.9"))?;
        if value.is_empty() {
            return Err("client value is empty".into());
        }
        Ok(Self::new(kind.parse()?, value))
    }
}

/// The metrics of a client-minute, in the order the API and store use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Total,
    S2xx,
    S3xx,
    S4xx,
    S401,
    S403,
    S404,
    S429,
    S5xx,
    Bytes,
    LatencyP50Ms,
    LatencyP95Ms,
    LatencyMaxMs,
    DistinctPaths,
    DistinctIps,
}

impl Metric {
    pub const ALL: [Metric; 15] = [
        Self::Total,
        Self::S2xx,
        Self::S3xx,
        Self::S4xx,
        Self::S401,
        Self::S403,
        Self::S404,
        Self::S429,
        Self::S5xx,
        Self::Bytes,
        Self::LatencyP50Ms,
        Self::LatencyP95Ms,
        Self::LatencyMaxMs,
        Self::DistinctPaths,
        Self::DistinctIps,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Total => "total",
            Self::S2xx => "s2xx",
            Self::S3xx => "s3xx",
            Self::S4xx => "s4xx",
            Self::S401 => "s401",
            Self::S403 => "s403",
            Self::S404 => "s404",
            Self::S429 => "s429",
            Self::S5xx => "s5xx",
            Self::Bytes => "bytes",
            Self::LatencyP50Ms => "latency_p50_ms",
            Self::LatencyP95Ms => "latency_p95_ms",
            Self::LatencyMaxMs => "latency_max_ms",
            Self::DistinctPaths => "distinct_paths",
            Self::DistinctIps => "distinct_ips",
        }
    }

    /// True for metrics that are plain sums over a range (counters); the others come from
    /// merged sketches or a maximum.
    pub fn is_counter(self) -> bool {
        !matches!(
            self,
            Self::LatencyP50Ms
                | Self::LatencyP95Ms
                | Self::LatencyMaxMs
                | Self::DistinctPaths
                | Self::DistinctIps
        )
    }
}

impl FromStr for Metric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|m| m.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = Self::ALL.iter().map(|m| m.as_str()).collect();
            format!("unknown metric `{s}`; expected one of {}", names.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_key_round_trips_with_colons_in_value() {
        let k: ClientKey = "ip:2001:db8::1".parse().unwrap();
        assert_eq!(k.kind, ClientKind::Ip);
        assert_eq!(k.value, "2001:db8::1");
        assert_eq!(k.to_string(), "ip:2001:db8::1");
        assert!("nope:1".parse::<ClientKey>().is_err());
        assert!("ip:".parse::<ClientKey>().is_err());
    }

    #[test]
    fn metric_names_parse() {
        for m in Metric::ALL {
            assert_eq!(m.as_str().parse::<Metric>().unwrap(), m);
        }
        assert!("s418".parse::<Metric>().unwrap_err().contains("s403"));
    }
}
