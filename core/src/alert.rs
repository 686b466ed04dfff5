//! Alerts (the shape in ARCHITECTURE.md, "Shapes") and the interface between the pipeline and the detector.
//!
//! The pipeline hands every scrubbed, parsed record to an [`Observer`] as an [`Observation`];
//! the observer answers, at each batch boundary, with the alerts it opened, updated or
//! resolved and the per-client profiles it changed. Both are committed in the batch's
//! transaction, so alerts follow the same exactly-once rule as the aggregates.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::model::ClientKind;

/// Rule families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    CredentialAbuse,
    Scraping,
    GeoAnomaly,
}

/// Every rule gatewatch raises; the names are the product's face (API, SIEM payloads, config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    BruteForce,
    CredentialStuffing,
    CredentialReplay,
    Enumeration,
    DistributedScraping,
    ThrottleEvasion,
    Probing,
    VolumeSpike,
    NewCountry,
    ImpossibleTravel,
    DeniedGeo,
}

impl Rule {
    pub const ALL: [Rule; 11] = [
        Rule::BruteForce,
        Rule::CredentialStuffing,
        Rule::CredentialReplay,
        Rule::Enumeration,
        Rule::DistributedScraping,
        Rule::ThrottleEvasion,
        Rule::Probing,
        Rule::VolumeSpike,
        Rule::NewCountry,
        Rule::ImpossibleTravel,
        Rule::DeniedGeo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::BruteForce => "brute_force",
            Rule::CredentialStuffing => "credential_stuffing",
            Rule::CredentialReplay => "credential_replay",
            Rule::Enumeration => "enumeration",
            Rule::DistributedScraping => "distributed_scraping",
            Rule::ThrottleEvasion => "throttle_evasion",
            Rule::Probing => "probing",
            Rule::VolumeSpike => "volume_spike",
            Rule::NewCountry => "new_country",
            Rule::ImpossibleTravel => "impossible_travel",
            Rule::DeniedGeo => "denied_geo",
        }
    }

    pub fn kind(self) -> AlertKind {
        match self {
            Rule::BruteForce | Rule::CredentialStuffing | Rule::CredentialReplay => {
                AlertKind::CredentialAbuse
            }
            Rule::Enumeration
            | Rule::DistributedScraping
            | Rule::ThrottleEvasion
            | Rule::Probing
            | Rule::VolumeSpike => AlertKind::Scraping,
            Rule::NewCountry | Rule::ImpossibleTravel | Rule::DeniedGeo => AlertKind::GeoAnomaly,
        }
    }
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::CredentialAbuse => "credential_abuse",
            AlertKind::Scraping => "scraping",
            AlertKind::GeoAnomaly => "geo_anomaly",
        }
    }
}

macro_rules! str_enum {
    ($t:ty, $all:expr, $what:literal) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                $all.into_iter().find(|v| v.as_str() == s).ok_or_else(|| {
                    let names: Vec<&str> = $all.iter().map(|v| v.as_str()).collect();
                    format!("unknown {} `{s}` (expected one of: {})", $what, names.join(", "))
                })
            }
        }
    };
}
str_enum!(Rule, Rule::ALL, "rule");
str_enum!(AlertKind, [AlertKind::CredentialAbuse, AlertKind::Scraping, AlertKind::GeoAnomaly], "kind");
str_enum!(Severity, [Severity::Low, Severity::Medium, Severity::High, Severity::Critical], "severity");
str_enum!(Status, [Status::Open, Status::Acknowledged, Status::Resolved], "status");
str_enum!(
    SubjectKind,
    [
        SubjectKind::Principal,
        SubjectKind::ApiKey,
        SubjectKind::Iam,
        SubjectKind::Ip,
        SubjectKind::Asn,
        SubjectKind::Route
    ],
    "subject type"
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// One step up, saturating at critical.
    pub fn bump(self) -> Self {
        match self {
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            _ => Severity::Critical,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Acknowledged,
    Resolved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Acknowledged => "acknowledged",
            Status::Resolved => "resolved",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Principal,
    ApiKey,
    Iam,
    Ip,
    Asn,
    Route,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Principal => "principal",
            SubjectKind::ApiKey => "api_key",
            SubjectKind::Iam => "iam",
            SubjectKind::Ip => "ip",
            SubjectKind::Asn => "asn",
            SubjectKind::Route => "route",
        }
    }
}

impl From<ClientKind> for SubjectKind {
    fn from(k: ClientKind) -> Self {
        match k {
            ClientKind::Principal => SubjectKind::Principal,
            ClientKind::ApiKey => SubjectKind::ApiKey,
            ClientKind::Iam => SubjectKind::Iam,
            ClientKind::Ip => SubjectKind::Ip,
        }
    }
}

/// Who or what an alert is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subject {
    #[serde(rename = "type")]
    pub kind: SubjectKind,
    pub value: String,
}

impl Subject {
    pub fn new(kind: SubjectKind, value: impl Into<String>) -> Self {
        Self { kind, value: value.into() }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.value)
    }
}

impl FromStr for Subject {
    type Err = String;
    /// Parses `type:value`, e.g. `ip:203.0.113.9` or `asn:AS16509`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (k, v) = s.split_once(':').ok_or_else(|| format!("subject `{s}` must look like type:value"))?;
        if v.is_empty() {
            return Err(format!("subject `{s}` has an empty value"));
        }
        Ok(Subject::new(k.parse()?, v))
    }
}

/// An alert as stored, served and forwarded, in the JSON shape of ARCHITECTURE.md, "Shapes".
/// Times are epoch milliseconds of event time and serialise as RFC 3339.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    pub id: String,
    /// The rule's family: always `rule.kind()`.
    pub kind: AlertKind,
    pub rule: Rule,
    pub severity: Severity,
    pub status: Status,
    pub subject: Subject,
    /// Event time of the first evidence.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub first_seen: i64,
    /// Event time of the last evidence.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_seen: i64,
    /// Event time at which the alert was raised.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub detected_at: i64,
    /// Windows in which the rule fired for this subject while the alert was open.
    pub count: u64,
    /// Observed vs baseline, thresholds, top IPs/countries/paths, sample request ids: only
    /// scrubbed values (they come from scrubbed records).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub evidence: serde_json::Value,
}

impl Alert {
    /// The JSON shape of ARCHITECTURE.md, "Shapes".
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("an alert serialises")
    }
}

/// One scrubbed access-log record as the detector sees it. Values borrow from the record.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    pub time_ms: i64,
    /// The client the record was counted under (identity order applied).
    pub client_kind: ClientKind,
    pub client: &'a str,
    pub ip: Option<&'a str>,
    pub principal: Option<&'a str>,
    pub api_key: Option<&'a str>,
    pub status: u16,
    pub method: Option<&'a str>,
    /// Route template (`resourcePath` / `routeKey`).
    pub route: Option<&'a str>,
    pub path: Option<&'a str>,
    pub request_id: Option<&'a str>,
    pub authorizer_error: Option<&'a str>,
    pub error_message: Option<&'a str>,
    /// The API called (`apiId`, else `domainName`).
    pub api: Option<&'a str>,
}

/// A client's learned profile, persisted as an opaque JSON document keyed by `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRow {
    pub key: String,
    pub data: String,
    pub updated_at: i64,
}

/// What a detector hands to the store with a batch.
#[derive(Debug, Default)]
pub struct DetectOutput {
    /// Alerts opened, updated or resolved since the last drain (latest state of each).
    pub alerts: Vec<Alert>,
    pub profiles: Vec<ProfileRow>,
    /// Profiles of clients idle past `detect.profile_ttl_days`: deleted from the store.
    pub forget: Vec<String>,
}

/// The detector as the pipeline sees it.
pub trait Observer: Send {
    fn observe(&mut self, o: &Observation<'_>);
    /// Called at each batch boundary. `end_of_input`: no more events will come from this
    /// source (a replayed file ended), so every window may close.
    fn drain(&mut self, end_of_input: bool) -> DetectOutput;
    /// Live sources advance at their own pace (a shard catching up, another one live): windows
    /// may close only up to `floor`, the event time every active source has reached, not up to
    /// the newest event of the fastest one. `None` lifts the limit (one source, a replay).
    fn set_progress_floor(&mut self, _floor: Option<i64>) {}
    /// The suppressions made through the API (stored), replacing the previous such list; the
    /// config file's suppressions stay.
    fn set_store_suppressions(&mut self, _list: &[crate::suppression::Suppression]) {}
}

/// A batch of observations in one buffer: the reader fills it, the detector (on its own
/// thread) reads it back as borrowed [`Observation`]s. One string arena per batch instead of
/// several strings per record.
#[derive(Debug, Default)]
pub struct ObservationBatch {
    text: String,
    items: Vec<ObsItem>,
}

const NONE: (u32, u32) = (u32::MAX, 0);

#[derive(Debug, Clone, Copy)]
struct ObsItem {
    time_ms: i64,
    client_kind: ClientKind,
    status: u16,
    /// (start, len) in `text` of: client, ip, principal, api_key, method, route, path,
    /// request_id, authorizer_error, error_message, api.
    spans: [(u32, u32); 11],
}

impl ObservationBatch {
    /// The newest event time in the batch.
    pub fn max_time(&self) -> Option<i64> {
        self.items.iter().map(|i| i.time_ms).max()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn span(&mut self, s: Option<&str>) -> (u32, u32) {
        match s {
            None => NONE,
            Some(s) => {
                let start = self.text.len() as u32;
                self.text.push_str(s);
                (start, s.len() as u32)
            }
        }
    }

    pub fn push(&mut self, o: &Observation<'_>) {
        let spans = [
            self.span(Some(o.client)),
            self.span(o.ip),
            self.span(o.principal),
            self.span(o.api_key),
            self.span(o.method),
            self.span(o.route),
            self.span(o.path),
            self.span(o.request_id),
            self.span(o.authorizer_error),
            self.span(o.error_message),
            self.span(o.api),
        ];
        self.items.push(ObsItem { time_ms: o.time_ms, client_kind: o.client_kind, status: o.status, spans });
    }

    pub fn iter(&self) -> impl Iterator<Item = Observation<'_>> {
        let get = |(start, len): (u32, u32)| -> Option<&str> {
            (start != u32::MAX).then(|| &self.text[start as usize..(start + len) as usize])
        };
        self.items.iter().map(move |i| Observation {
            time_ms: i.time_ms,
            client_kind: i.client_kind,
            client: get(i.spans[0]).unwrap_or(""),
            ip: get(i.spans[1]),
            principal: get(i.spans[2]),
            api_key: get(i.spans[3]),
            status: i.status,
            method: get(i.spans[4]),
            route: get(i.spans[5]),
            path: get(i.spans[6]),
            request_id: get(i.spans[7]),
            authorizer_error: get(i.spans[8]),
            error_message: get(i.spans[9]),
            api: get(i.spans[10]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observation_batches_give_back_what_was_pushed() {
        let mut b = ObservationBatch::default();
        let o = Observation {
            time_ms: 42,
            client_kind: ClientKind::ApiKey,
            client: "k1",
            ip: Some("203.0.113.9"),
            principal: None,
            api_key: Some("k1"),
            status: 429,
            method: Some("GET"),
            route: Some("/x/{id}"),
            path: Some("/x/ü"),
            request_id: Some(""),
            authorizer_error: None,
            error_message: Some("slow down"),
            api: Some("a1b2c3"),
        };
        b.push(&o);
        b.push(&Observation { client: "other", ip: None, ..o });
        let back: Vec<Observation<'_>> = b.iter().collect();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].client, "k1");
        assert_eq!(back[0].ip, Some("203.0.113.9"));
        assert_eq!(back[0].principal, None);
        assert_eq!(back[0].path, Some("/x/ü"));
        assert_eq!(back[0].request_id, Some(""));
        assert_eq!(back[0].error_message, Some("slow down"));
        assert_eq!(back[0].api, Some("a1b2c3"));
        assert_eq!((back[0].status, back[0].time_ms, back[0].client_kind), (429, 42, ClientKind::ApiKey));
        assert_eq!(back[1].client, "other");
        assert_eq!(back[1].ip, None);
    }
}
