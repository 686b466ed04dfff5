//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations and the
//! response shapes below (which mirror the JSON the handlers build; the API tests compare them).

use serde::Serialize;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gatewatch API",
        description = "Alerts, per-client series and pipeline health of gatewatch. Data routes need \
            `Authorization: Bearer <token>` (`gatewatch token create --scope read|admin`); errors are \
            RFC 9457 problem details naming the bad parameter.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        crate::healthz,
        crate::readyz,
        crate::metrics_route,
        crate::stats,
        crate::clients::top_clients,
        crate::clients::series,
        crate::alerts::list_alerts,
        crate::alerts::get_alert,
        crate::alerts::ack,
        crate::alerts::resolve,
        crate::admin::list_suppressions,
        crate::admin::create_suppression,
        crate::admin::delete_suppression,
        crate::admin::dead_letters,
    ),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

/// `/v1/report`, merged into the document when the route is served.
#[cfg(feature = "report")]
#[derive(OpenApi)]
#[openapi(paths(crate::report::report))]
struct ReportDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("gatewatch token (gwt_…) or an SSO JWT"))
                    .build(),
            ),
        );
    }
}

/// The document as JSON (built once).
pub fn document() -> String {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = ApiDoc::openapi();
        #[cfg(feature = "report")]
        let doc = {
            let mut doc = doc;
            doc.merge(ReportDoc::openapi());
            doc
        };
        doc.to_pretty_json().expect("the OpenAPI document serialises")
    })
    .clone()
}

/// `{"status": "ok"}`
#[derive(Serialize, ToSchema)]
pub struct Status {
    pub status: String,
}

/// RFC 9457 problem details.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The parameter (or body field) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_params: Option<Vec<InvalidParam>>,
}

#[derive(Serialize, ToSchema)]
pub struct InvalidParam {
    pub name: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
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

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Json,
    Md,
    Html,
}

#[derive(Serialize, ToSchema)]
pub enum Step {
    #[serde(rename = "1m")]
    Minute,
    #[serde(rename = "1h")]
    Hour,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientType {
    Principal,
    ApiKey,
    Iam,
    Ip,
}

/// A client: who made the requests.
#[derive(Serialize, ToSchema)]
pub struct Client {
    #[serde(rename = "type")]
    pub type_: ClientType,
    pub value: String,
}

/// A client's metrics summed over the range.
#[derive(Serialize, ToSchema)]
pub struct ClientMetrics {
    pub client: Client,
    pub total: u64,
    pub s2xx: u64,
    pub s3xx: u64,
    pub s4xx: u64,
    pub s401: u64,
    pub s403: u64,
    pub s404: u64,
    pub s429: u64,
    pub s5xx: u64,
    pub bytes: u64,
    pub latency_p50_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
    pub latency_max_ms: Option<f64>,
    pub distinct_paths: u64,
    pub distinct_ips: u64,
}

#[derive(Serialize, ToSchema)]
pub struct TopClients {
    pub metric: MetricName,
    pub from: String,
    pub to: String,
    pub clients: Vec<ClientMetrics>,
}

/// One step of a series.
#[derive(Serialize, ToSchema)]
pub struct Point {
    /// Start of the step, RFC 3339.
    pub t: String,
    pub total: u64,
    pub s2xx: u64,
    pub s3xx: u64,
    pub s4xx: u64,
    pub s401: u64,
    pub s403: u64,
    pub s404: u64,
    pub s429: u64,
    pub s5xx: u64,
    pub bytes: u64,
    pub latency_p50_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
    pub latency_max_ms: Option<f64>,
    pub distinct_paths: u64,
    pub distinct_ips: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Series {
    pub client: Client,
    pub step: Step,
    pub from: String,
    pub to: String,
    pub points: Vec<Point>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKindName {
    CredentialAbuse,
    Scraping,
    GeoAnomaly,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleName {
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

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeverityName {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusName {
    Open,
    Acknowledged,
    Resolved,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Principal,
    ApiKey,
    Iam,
    Ip,
    Asn,
    Route,
}

#[derive(Serialize, ToSchema)]
pub struct AlertSubject {
    #[serde(rename = "type")]
    pub type_: SubjectType,
    pub value: String,
}

/// An explained alert (ARCHITECTURE.md, "Shapes").
#[derive(Serialize, ToSchema)]
pub struct Alert {
    pub id: String,
    pub kind: AlertKindName,
    pub rule: RuleName,
    pub severity: SeverityName,
    pub status: StatusName,
    pub subject: AlertSubject,
    /// Event time of the first evidence.
    pub first_seen: String,
    /// Event time of the last evidence.
    pub last_seen: String,
    /// Event time at which the alert was raised.
    pub detected_at: String,
    /// Windows in which the rule fired.
    pub count: u64,
    /// `summary` sentence, counts, baseline, top IPs/countries/paths, sample request ids.
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct AlertPage {
    pub alerts: Vec<Alert>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SourceStat {
    pub source: String,
    pub position: String,
    pub events: i64,
    pub last_commit: String,
    pub seconds_since_commit: i64,
}

#[derive(Serialize, ToSchema)]
pub struct FirehoseStat {
    pub requests: i64,
    pub events: i64,
}

#[derive(Serialize, ToSchema)]
pub struct AlertCounts {
    pub open: i64,
    pub acknowledged: i64,
    pub resolved: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ForwardStat {
    pub destination: String,
    pub delivered: i64,
    pub pending: i64,
    pub parked: i64,
    pub retries: i64,
    pub last_error: Option<String>,
}

/// Pipeline health as the store sees it.
#[derive(Serialize, ToSchema)]
pub struct Stats {
    pub sources: Vec<SourceStat>,
    pub firehose: FirehoseStat,
    pub dead_letters: i64,
    pub last_event_minute: Option<String>,
    pub alerts: AlertCounts,
    pub outbox_events: i64,
    pub forward: Vec<ForwardStat>,
}

/// A new suppression of one rule, optionally narrowed to a subject or a network, with a reason.
#[derive(Serialize, ToSchema)]
pub struct SuppressionInput {
    pub rule: RuleName,
    /// `type:value`; absent: every subject.
    #[schema(pattern = r"^(principal|api_key|iam|ip|asn|route):.+$", max_length = 300)]
    pub subject: Option<String>,
    /// An IPv4 or IPv6 network: suppress when the subject IP or every top IP is inside it.
    #[schema(
        pattern = r"^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$"
    )]
    pub cidr: Option<String>,
    /// Until when (event time); absent: forever.
    #[schema(format = DateTime)]
    pub until: Option<String>,
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Suppression {
    pub id: String,
    pub rule: String,
    pub subject: String,
    pub cidr: String,
    pub until: String,
    pub reason: String,
    /// Token id or SSO subject that made it.
    pub created_by: String,
    /// Epoch ms.
    pub created_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SuppressionList {
    pub suppressions: Vec<Suppression>,
}

#[derive(Serialize, ToSchema)]
pub struct DeadLetter {
    pub id: i64,
    pub source: String,
    /// Where in the source (line 42, seq 4960…, member 3 event 7).
    pub position: String,
    pub reason: String,
    /// Scrubbed excerpt, when the record was text.
    pub excerpt: Option<String>,
    /// Epoch ms.
    pub received_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DeadLetterPage {
    pub dead_letters: Vec<DeadLetter>,
    /// Pass as `after` for the next page; null on the last.
    pub next_after: Option<i64>,
}
