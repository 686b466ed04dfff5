//! Row decoding: one `FromRow` record per row shape the store reads, converted to the domain
//! type it holds. The records are generic over the backend (sqlx derives `FromRow` for any row
//! whose columns decode), so SQLite and PostgreSQL share them. Negative counters, which no
//! write produces, read as 0 rather than wrapping.

use crate::batch::MinuteRow;
use crate::error::{Error, Result};
use gatewatch_core::agg::{Counts, MinuteAgg};
use gatewatch_core::alert::{Alert, ProfileRow, Rule, Subject};
use gatewatch_core::model::{ClientKey, ClientKind};
use gatewatch_core::traffic::{CountryHour, RouteHour};
use std::str::FromStr;

/// The ten counters, in the order of the `Counts` fields.
pub(crate) const COUNT_COLUMNS: &str = "total, s2xx, s3xx, s4xx, s401, s403, s404, s429, s5xx, bytes";

/// Every column of a `client_minutes` row.
pub(crate) const ROW_COLUMNS: &str = "client_type, client_value, minute, total, s2xx, s3xx, s4xx, s401, s403, \
     s404, s429, s5xx, bytes, latency_p50_ms, latency_p95_ms, latency_max_ms, distinct_paths, distinct_ips, \
     latency_sketch, paths_sketch, ips_sketch";

/// Every column an [`AlertRecord`] reads.
pub(crate) const ALERT_COLUMNS: &str = "id, rule, severity, status, subject_type, subject_value, first_seen, \
     last_seen, detected_at, count, evidence";

fn count(v: i64) -> u64 {
    v.max(0) as u64
}

#[derive(sqlx::FromRow)]
pub(crate) struct CountsRecord {
    total: i64,
    s2xx: i64,
    s3xx: i64,
    s4xx: i64,
    s401: i64,
    s403: i64,
    s404: i64,
    s429: i64,
    s5xx: i64,
    bytes: i64,
}

impl From<CountsRecord> for Counts {
    fn from(r: CountsRecord) -> Counts {
        Counts {
            total: count(r.total),
            s2xx: count(r.s2xx),
            s3xx: count(r.s3xx),
            s4xx: count(r.s4xx),
            s401: count(r.s401),
            s403: count(r.s403),
            s404: count(r.s404),
            s429: count(r.s429),
            s5xx: count(r.s5xx),
            bytes: count(r.bytes),
        }
    }
}

/// `client_type`, `client_value`.
#[derive(sqlx::FromRow)]
pub(crate) struct ClientRecord {
    client_type: String,
    client_value: String,
}

impl TryFrom<ClientRecord> for ClientKey {
    type Error = Error;
    fn try_from(r: ClientRecord) -> Result<ClientKey> {
        let kind = ClientKind::from_str(&r.client_type)
            .map_err(|e| Error::Corrupt(format!("client_minutes.client_type: {e}")))?;
        Ok(ClientKey::new(kind, r.client_value))
    }
}

/// The key of a `client_minutes` row: `client_type`, `client_value`, `minute`.
#[derive(sqlx::FromRow)]
pub(crate) struct KeyRecord {
    #[sqlx(flatten)]
    client: ClientRecord,
    minute: i64,
}

impl KeyRecord {
    pub(crate) fn key(self) -> Result<(ClientKey, i64)> {
        Ok((self.client.try_into()?, self.minute))
    }
}

/// A whole `client_minutes` row ([`ROW_COLUMNS`]).
#[derive(sqlx::FromRow)]
pub(crate) struct MinuteRecord {
    #[sqlx(flatten)]
    client: ClientRecord,
    minute: i64,
    #[sqlx(flatten)]
    counts: CountsRecord,
    latency_max_ms: Option<f64>,
    latency_sketch: Option<Vec<u8>>,
    paths_sketch: Vec<u8>,
    ips_sketch: Vec<u8>,
}

impl TryFrom<MinuteRecord> for MinuteRow {
    type Error = Error;
    fn try_from(r: MinuteRecord) -> Result<MinuteRow> {
        let agg = MinuteAgg::from_parts(
            r.counts.into(),
            r.latency_max_ms,
            r.latency_sketch.as_deref(),
            &r.paths_sketch,
            &r.ips_sketch,
        )?;
        Ok(MinuteRow { client: r.client.try_into()?, minute: r.minute, agg })
    }
}

/// A `client_minutes` row without its sketches (exports).
#[derive(sqlx::FromRow)]
pub(crate) struct SeriesRecord {
    #[sqlx(flatten)]
    client: ClientRecord,
    minute: i64,
    #[sqlx(flatten)]
    counts: CountsRecord,
    latency_p50_ms: Option<f64>,
    latency_p95_ms: Option<f64>,
    latency_max_ms: Option<f64>,
    distinct_paths: i64,
    distinct_ips: i64,
}

impl TryFrom<SeriesRecord> for crate::SeriesRow {
    type Error = Error;
    fn try_from(r: SeriesRecord) -> Result<crate::SeriesRow> {
        Ok(crate::SeriesRow {
            client: r.client.try_into()?,
            minute: r.minute,
            counts: r.counts.into(),
            latency_p50_ms: r.latency_p50_ms,
            latency_p95_ms: r.latency_p95_ms,
            latency_max_ms: r.latency_max_ms,
            distinct_paths: count(r.distinct_paths),
            distinct_ips: count(r.distinct_ips),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RouteHourRecord {
    hour: i64,
    api: String,
    route: String,
    #[sqlx(flatten)]
    counts: CountsRecord,
}

impl From<RouteHourRecord> for RouteHour {
    fn from(r: RouteHourRecord) -> RouteHour {
        RouteHour { hour: r.hour, api: r.api, route: r.route, counts: r.counts.into() }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CountryHourRecord {
    hour: i64,
    country: String,
    #[sqlx(flatten)]
    counts: CountsRecord,
}

impl From<CountryHourRecord> for CountryHour {
    fn from(r: CountryHourRecord) -> CountryHour {
        CountryHour { hour: r.hour, country: r.country, counts: r.counts.into() }
    }
}

/// An `alerts` row ([`ALERT_COLUMNS`]).
#[derive(sqlx::FromRow)]
pub(crate) struct AlertRecord {
    id: String,
    rule: String,
    severity: String,
    status: String,
    subject_type: String,
    subject_value: String,
    first_seen: i64,
    last_seen: i64,
    detected_at: i64,
    count: i64,
    evidence: String,
}

impl TryFrom<AlertRecord> for Alert {
    type Error = Error;
    fn try_from(r: AlertRecord) -> Result<Alert> {
        let corrupt = |c: &str, e: String| Error::Corrupt(format!("alerts.{c}: {e}"));
        let rule: Rule = r.rule.parse().map_err(|e| corrupt("rule", e))?;
        Ok(Alert {
            id: r.id,
            kind: rule.kind(),
            rule,
            severity: r.severity.parse().map_err(|e| corrupt("severity", e))?,
            status: r.status.parse().map_err(|e| corrupt("status", e))?,
            subject: Subject::new(
                r.subject_type.parse().map_err(|e| corrupt("subject_type", e))?,
                r.subject_value,
            ),
            first_seen: r.first_seen,
            last_seen: r.last_seen,
            detected_at: r.detected_at,
            count: count(r.count),
            evidence: serde_json::from_str(&r.evidence).map_err(|e| corrupt("evidence", e.to_string()))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProfileRecord {
    key: String,
    data: String,
    updated_at: i64,
}

impl From<ProfileRecord> for ProfileRow {
    fn from(r: ProfileRecord) -> ProfileRow {
        ProfileRow { key: r.key, data: r.data, updated_at: r.updated_at }
    }
}

/// Converts every record of a fetch.
pub(crate) fn convert<R, T>(records: Vec<R>) -> Result<Vec<T>>
where
    T: TryFrom<R, Error = Error>,
{
    records.into_iter().map(T::try_from).collect()
}
