//! Reads and write helpers for the hourly route and country tables (`route_hours`,
//! `country_hours`), and the range reads that reports and exports need.

use super::{ALERT_COLUMNS, Result, Store};
use crate::agg::Counts;
use crate::alert::{Alert, Subject};
use crate::error::Error;
use crate::model::{ClientKey, ClientKind};
use crate::traffic::{CountryHour, RouteHour};
use sqlx::Row;
use std::str::FromStr;

pub(super) const COUNT_COLUMNS: &str = "total, s2xx, s3xx, s4xx, s401, s403, s404, s429, s5xx, bytes";

pub(super) fn count_values(c: &Counts) -> [i64; 10] {
    [c.total, c.s2xx, c.s3xx, c.s4xx, c.s401, c.s403, c.s404, c.s429, c.s5xx, c.bytes].map(|v| v as i64)
}

/// `total = t.total + excluded.total, …`: an upsert that adds the batch's counts.
pub(super) fn additive_update(table: &str) -> String {
    COUNT_COLUMNS
        .split(", ")
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sorted by key, one row per key (PostgreSQL refuses an upsert that touches a row twice; the
/// order keeps concurrent writers' locks in one order).
pub(super) fn merge_routes(mut rows: Vec<RouteHour>) -> Vec<RouteHour> {
    rows.sort_unstable_by(|a, b| (a.hour, &a.api, &a.route).cmp(&(b.hour, &b.api, &b.route)));
    rows.dedup_by(|next, kept| {
        let same = (next.hour, &next.api, &next.route) == (kept.hour, &kept.api, &kept.route);
        if same {
            kept.counts.add(&next.counts);
        }
        same
    });
    rows
}

pub(super) fn merge_countries(mut rows: Vec<CountryHour>) -> Vec<CountryHour> {
    rows.sort_unstable_by(|a, b| (a.hour, &a.country).cmp(&(b.hour, &b.country)));
    rows.dedup_by(|next, kept| {
        let same = (next.hour, &next.country) == (kept.hour, &kept.country);
        if same {
            kept.counts.add(&next.counts);
        }
        same
    });
    rows
}

macro_rules! counts_from_row {
    ($row:expr) => {{
        let r = $row;
        let c = |name: &str| -> Result<u64> { Ok(r.try_get::<i64, _>(name)?.max(0) as u64) };
        Counts {
            total: c("total")?,
            s2xx: c("s2xx")?,
            s3xx: c("s3xx")?,
            s4xx: c("s4xx")?,
            s401: c("s401")?,
            s403: c("s403")?,
            s404: c("s404")?,
            s429: c("s429")?,
            s5xx: c("s5xx")?,
            bytes: c("bytes")?,
        }
    }};
}

/// One client-minute without its sketches: the shape exports write.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub client: ClientKey,
    /// Epoch ms of the minute start.
    pub minute: i64,
    pub counts: Counts,
    pub latency_p50_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
    pub latency_max_ms: Option<f64>,
    pub distinct_paths: u64,
    pub distinct_ips: u64,
}

impl Store {
    /// Route hours starting in `[from, to)`, by hour, API and route.
    pub async fn route_hours(&self, from: i64, to: i64) -> Result<Vec<RouteHour>> {
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT hour, api, route, {COUNT_COLUMNS} FROM route_hours WHERE hour >= $1 AND hour < $2 \
                 ORDER BY hour, api, route"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?;
            rows.iter()
                .map(|r| Ok(RouteHour { hour: r.try_get("hour")?, api: r.try_get("api")?, route: r.try_get("route")?, counts: counts_from_row!(r) }))
                .collect()
        })
    }

    /// Country hours starting in `[from, to)`, by hour and country.
    pub async fn country_hours(&self, from: i64, to: i64) -> Result<Vec<CountryHour>> {
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT hour, country, {COUNT_COLUMNS} FROM country_hours WHERE hour >= $1 AND hour < $2 \
                 ORDER BY hour, country"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?;
            rows.iter()
                .map(|r| Ok(CountryHour { hour: r.try_get("hour")?, country: r.try_get("country")?, counts: counts_from_row!(r) }))
                .collect()
        })
    }

    /// Client-minutes in `[from, to)` without sketches, by minute then client.
    pub async fn series_rows(&self, from: i64, to: i64) -> Result<Vec<SeriesRow>> {
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT client_type, client_value, minute, {COUNT_COLUMNS}, latency_p50_ms, latency_p95_ms, \
                 latency_max_ms, distinct_paths, distinct_ips FROM client_minutes \
                 WHERE minute >= $1 AND minute < $2 ORDER BY minute, client_type, client_value"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?;
            rows.iter()
                .map(|r| Ok(SeriesRow {
                    client: client_from_row!(r),
                    minute: r.try_get("minute")?,
                    counts: counts_from_row!(r),
                    latency_p50_ms: r.try_get("latency_p50_ms")?,
                    latency_p95_ms: r.try_get("latency_p95_ms")?,
                    latency_max_ms: r.try_get("latency_max_ms")?,
                    distinct_paths: r.try_get::<i64, _>("distinct_paths")?.max(0) as u64,
                    distinct_ips: r.try_get::<i64, _>("distinct_ips")?.max(0) as u64,
                }))
                .collect()
        })
    }

    /// Alerts whose first evidence is in `[from, to)`, oldest first (each alert in one day of
    /// an export).
    pub async fn alerts_first_seen(&self, from: i64, to: i64) -> Result<Vec<Alert>> {
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ALERT_COLUMNS} FROM alerts WHERE first_seen >= $1 AND first_seen < $2 ORDER BY first_seen, id"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?;
            rows.iter().map(|r| alert_from_row!(r)).collect()
        })
    }

    /// Alerts with evidence in `[from, to)` (`last_seen >= from` and `first_seen < to`).
    pub async fn alerts_overlapping(&self, from: i64, to: i64) -> Result<Vec<Alert>> {
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ALERT_COLUMNS} FROM alerts WHERE last_seen >= $1 AND first_seen < $2 ORDER BY first_seen, id"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?;
            rows.iter().map(|r| alert_from_row!(r)).collect()
        })
    }

    /// Sum of the client-minute counters over `[from, to)` (reports' totals, tests).
    pub async fn client_totals(&self, from: i64, to: i64) -> Result<Counts> {
        on_pool!(self, p => {
            let sums: Vec<String> = COUNT_COLUMNS
                .split(", ")
                .map(|c| format!("CAST(COALESCE(SUM({c}), 0) AS BIGINT) AS {c}"))
                .collect();
            let r = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM client_minutes WHERE minute >= $1 AND minute < $2",
                sums.join(", ")
            )))
            .bind(from)
            .bind(to)
            .fetch_one(p)
            .await?;
            Ok(counts_from_row!(&r))
        })
    }
}
