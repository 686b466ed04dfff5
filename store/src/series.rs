//! Reads of the time series: one client's rows at a tier, the top clients of a range (planned
//! over the minute, hour and day tiers), the hourly route and country tables, and the range
//! reads that reports and exports need. Also the helpers the batch commit uses to add hourly
//! counters.

use crate::Store;
use crate::batch::MinuteRow;
use crate::error::Result;
use crate::records::{
    COUNT_COLUMNS, ClientRecord, CountryHourRecord, CountsRecord, MinuteRecord, ROW_COLUMNS, RouteHourRecord,
    SeriesRecord, convert,
};
use crate::tiers::{self, Span, Tier};
use gatewatch_core::agg::{Counts, Merger, MinuteAgg};
use gatewatch_core::model::{ClientKey, Metric};
use gatewatch_core::traffic::{CountryHour, RouteHour};

/// `SELECT cols FROM <tier table> WHERE minute >= … AND minute < … UNION ALL …`, one select
/// per span.
fn push_union<DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<DB>, spans: &[Span], cols: &str)
where
    i64: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    for (i, span) in spans.iter().enumerate() {
        if i > 0 {
            q.push(" UNION ALL ");
        }
        q.push(format!("SELECT {cols} FROM {} WHERE minute >= ", span.tier.table()));
        q.push_bind(span.from).push(" AND minute < ").push_bind(span.to);
    }
}

pub(crate) fn count_values(c: &Counts) -> [i64; 10] {
    [c.total, c.s2xx, c.s3xx, c.s4xx, c.s401, c.s403, c.s404, c.s429, c.s5xx, c.bytes].map(|v| v as i64)
}

/// `total = t.total + excluded.total, …`: an upsert that adds the batch's counts.
pub(crate) fn additive_update(table: &str) -> String {
    COUNT_COLUMNS
        .split(", ")
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sorted by key, one row per key (PostgreSQL refuses an upsert that touches a row twice; the
/// order keeps concurrent writers' locks in one order).
pub(crate) fn merge_routes(mut rows: Vec<RouteHour>) -> Vec<RouteHour> {
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

pub(crate) fn merge_countries(mut rows: Vec<CountryHour>) -> Vec<CountryHour> {
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

/// Reads of client-minutes and hourly counters: the API, reports, exports and the lab.
pub trait SeriesStore {
    /// One client's points at `tier` whose bucket starts in `[from, to)`, oldest first: the
    /// tier's rows where they are rolled up, the finer rows folded after that.
    ///
    /// The key leads with the bucket, so a plain range query would read every client's rows in
    /// the range. Instead the query walks the distinct stored buckets (each step one probe for
    /// the next) and looks the client up in each: two key probes per stored bucket, whatever
    /// the number of clients.
    fn series(
        &self,
        tier: Tier,
        client: &ClientKey,
        from: i64,
        to: i64,
    ) -> impl Future<Output = Result<Vec<(i64, MinuteAgg)>>> + Send;

    /// The `limit` clients with the highest `metric` over `[from, to)`, each with its
    /// aggregate merged over the range. The range is read from the coarsest tiers that cover
    /// it exactly ([`tiers::plan`]). Counters rank exactly in SQL; sketch metrics rank a
    /// shortlist by a SQL proxy, then exactly by merged sketches.
    fn top_clients(
        &self,
        metric: Metric,
        from: i64,
        to: i64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<(ClientKey, MinuteAgg)>>> + Send;

    /// Every stored client-minute, ordered by client then minute (exports and tests).
    fn all_minutes(&self) -> impl Future<Output = Result<Vec<MinuteRow>>> + Send;

    /// First and last stored minute row, if any.
    fn time_range(&self) -> impl Future<Output = Result<Option<(i64, i64)>>> + Send;

    /// Sum of the client counters over `[from, to)`, read from the tiers (reports' totals, tests).
    fn client_totals(&self, from: i64, to: i64) -> impl Future<Output = Result<Counts>> + Send;

    /// Client-minutes in `[from, to)` without sketches, by minute then client.
    fn series_rows(&self, from: i64, to: i64) -> impl Future<Output = Result<Vec<SeriesRow>>> + Send;

    /// Route hours starting in `[from, to)`, by hour, API and route.
    fn route_hours(&self, from: i64, to: i64) -> impl Future<Output = Result<Vec<RouteHour>>> + Send;

    /// Country hours starting in `[from, to)`, by hour and country.
    fn country_hours(&self, from: i64, to: i64) -> impl Future<Output = Result<Vec<CountryHour>>> + Send;
}

impl Store {
    /// The rows of one client in `tier`'s table whose bucket starts in `[from, to)`.
    async fn stored_series(
        &self,
        tier: Tier,
        client: &ClientKey,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, MinuteAgg)>> {
        let table = tier.table();
        let rows: Vec<MinuteRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "WITH RECURSIVE m (t) AS ( \
                     SELECT MIN(minute) FROM {table} WHERE minute >= $3 \
                     UNION ALL \
                     SELECT (SELECT MIN(minute) FROM {table} WHERE minute > m.t) FROM m WHERE m.t < $4 \
                 ) \
                 SELECT {ROW_COLUMNS} FROM m CROSS JOIN {table} \
                 WHERE minute = m.t AND m.t < $4 AND client_type = $1 AND client_value = $2 ORDER BY minute"
            )))
            .bind(client.kind.as_str())
            .bind(&client.value)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?
        });
        let rows: Vec<MinuteRow> = convert(rows)?;
        Ok(rows.into_iter().map(|r| (r.minute, r.agg)).collect())
    }
}

impl SeriesStore for Store {
    async fn series(
        &self,
        tier: Tier,
        client: &ClientKey,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, MinuteAgg)>> {
        if tier == Tier::Minute {
            return self.stored_series(Tier::Minute, client, from, to).await;
        }
        // The tier's own rows where they are rolled up; after the marks, the finer rows folded.
        let rolled = self.rolled().await?;
        let hours = rolled.hours.unwrap_or(i64::MIN);
        let days = rolled.days.unwrap_or(i64::MIN).min(hours);
        let sources: Vec<(Tier, i64, i64)> = if tier == Tier::Hour {
            vec![(Tier::Hour, from, to.min(hours)), (Tier::Minute, from.max(hours), to)]
        } else {
            vec![
                (Tier::Day, from, to.min(days)),
                (Tier::Hour, from.max(days), to.min(hours)),
                (Tier::Minute, from.max(hours), to),
            ]
        };
        let mut out: Vec<(i64, MinuteAgg)> = Vec::new();
        let mut folded: std::collections::BTreeMap<i64, Merger> = std::collections::BTreeMap::new();
        for (source, lo, hi) in sources {
            if lo >= hi {
                continue;
            }
            let rows = self.stored_series(source, client, lo, hi).await?;
            if source == tier {
                out.extend(rows);
            } else {
                for (t, agg) in &rows {
                    folded.entry(tier.floor(*t)).or_default().add(agg);
                }
            }
        }
        out.extend(folded.into_iter().map(|(t, m)| (t, m.finish())));
        out.sort_by_key(|(t, _)| *t);
        Ok(out)
    }

    async fn top_clients(
        &self,
        metric: Metric,
        from: i64,
        to: i64,
        limit: usize,
    ) -> Result<Vec<(ClientKey, MinuteAgg)>> {
        let spans = tiers::plan(from, to, self.rolled().await?);
        let col = metric.as_str();
        let rank = match metric {
            Metric::LatencyMaxMs | Metric::LatencyP50Ms | Metric::LatencyP95Ms => {
                format!("COALESCE(MAX({col}), -1)")
            }
            _ => format!("SUM({col})"),
        };
        let exact_in_sql = metric.is_counter() || metric == Metric::LatencyMaxMs;
        let shortlist = if exact_in_sql { limit } else { (limit * 4).max(50) };
        if spans.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<ClientRecord> = on_pool!(self, p => {
            let mut q = sqlx::QueryBuilder::new(format!("SELECT client_type, client_value, {rank} AS rank_value FROM ("));
            push_union(&mut q, &spans, &format!("client_type, client_value, {col}"));
            q.push(") AS r GROUP BY client_type, client_value ORDER BY rank_value DESC, client_type, client_value LIMIT ");
            q.push_bind(shortlist as i64);
            q.build_query_as().fetch_all(p).await?
        });
        let keys: Vec<ClientKey> = convert(keys)?;
        let mut out: Vec<(ClientKey, Merger)> = keys.into_iter().map(|k| (k, Merger::new())).collect();
        if out.is_empty() {
            return Ok(Vec::new());
        }
        // The shortlisted clients' rows, one range scan per span (the ranges the ranking read),
        // merged per client.
        let mut order: Vec<usize> = (0..out.len()).collect();
        order.sort_unstable_by(|&a, &b| out[a].0.cmp(&out[b].0));
        for span in &spans {
            let found: Vec<MinuteRecord> = on_pool!(self, p => {
                let mut q = sqlx::QueryBuilder::new(format!(
                    "SELECT {ROW_COLUMNS} FROM {} WHERE minute >= ", span.tier.table()
                ));
                q.push_bind(span.from).push(" AND minute < ").push_bind(span.to);
                // A row-value IN list: SQLite probes it through an ephemeral index per row (a
                // join with the keys as a CTE scanned them per row, ~20x slower with 200 keys).
                q.push(" AND (client_type, client_value) IN (");
                q.push_values(order.iter().map(|&i| &out[i].0), |mut b, k| {
                    b.push_bind(k.kind.as_str()).push_bind(k.value.as_str());
                });
                q.push(")");
                q.build_query_as().fetch_all(p).await?
            });
            for MinuteRow { client: k, agg: a, .. } in convert(found)? {
                if let Ok(j) = order.binary_search_by(|&i| out[i].0.cmp(&k)) {
                    let i = order[j];
                    out[i].1.add(&a);
                }
            }
        }
        let mut out: Vec<(ClientKey, MinuteAgg)> = out.into_iter().map(|(k, m)| (k, m.finish())).collect();
        if !exact_in_sql {
            let value = |a: &MinuteAgg| match metric {
                Metric::LatencyP50Ms => a.latency_p50_ms().unwrap_or(-1.0),
                Metric::LatencyP95Ms => a.latency_p95_ms().unwrap_or(-1.0),
                Metric::DistinctPaths => a.distinct_paths() as f64,
                _ => a.distinct_ips() as f64,
            };
            out.sort_by(|(ka, a), (kb, b)| value(b).total_cmp(&value(a)).then_with(|| ka.cmp(kb)));
            out.truncate(limit);
        }
        Ok(out)
    }

    async fn all_minutes(&self) -> Result<Vec<MinuteRow>> {
        let rows: Vec<MinuteRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ROW_COLUMNS} FROM client_minutes ORDER BY client_type, client_value, minute"
            )))
            .fetch_all(p)
            .await?
        });
        convert(rows)
    }

    async fn time_range(&self) -> Result<Option<(i64, i64)>> {
        on_pool!(self, p => {
            // Two queries: SQLite answers a lone MIN or MAX from the index in O(log n), but
            // scans the whole index for both in one statement.
            let lo: Option<i64> = sqlx::query_scalar("SELECT MIN(minute) FROM client_minutes").fetch_one(p).await?;
            let hi: Option<i64> = sqlx::query_scalar("SELECT MAX(minute) FROM client_minutes").fetch_one(p).await?;
            Ok(lo.zip(hi))
        })
    }

    async fn client_totals(&self, from: i64, to: i64) -> Result<Counts> {
        let spans = tiers::plan(from, to, self.rolled().await?);
        if spans.is_empty() {
            return Ok(Counts::default());
        }
        on_pool!(self, p => {
            let sums: Vec<String> = COUNT_COLUMNS
                .split(", ")
                .map(|c| format!("CAST(COALESCE(SUM({c}), 0) AS BIGINT) AS {c}"))
                .collect();
            let mut q = sqlx::QueryBuilder::new(format!("SELECT {} FROM (", sums.join(", ")));
            push_union(&mut q, &spans, COUNT_COLUMNS);
            q.push(") AS r");
            let r: CountsRecord = q.build_query_as().fetch_one(p).await?;
            Ok(r.into())
        })
    }

    async fn series_rows(&self, from: i64, to: i64) -> Result<Vec<SeriesRow>> {
        let rows: Vec<SeriesRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT client_type, client_value, minute, {COUNT_COLUMNS}, latency_p50_ms, latency_p95_ms, \
                 latency_max_ms, distinct_paths, distinct_ips FROM client_minutes \
                 WHERE minute >= $1 AND minute < $2 ORDER BY minute, client_type, client_value"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?
        });
        convert(rows)
    }

    async fn route_hours(&self, from: i64, to: i64) -> Result<Vec<RouteHour>> {
        let rows: Vec<RouteHourRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT hour, api, route, {COUNT_COLUMNS} FROM route_hours WHERE hour >= $1 AND hour < $2 \
                 ORDER BY hour, api, route"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?
        });
        Ok(rows.into_iter().map(RouteHour::from).collect())
    }

    async fn country_hours(&self, from: i64, to: i64) -> Result<Vec<CountryHour>> {
        let rows: Vec<CountryHourRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT hour, country, {COUNT_COLUMNS} FROM country_hours WHERE hour >= $1 AND hour < $2 \
                 ORDER BY hour, country"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?
        });
        Ok(rows.into_iter().map(CountryHour::from).collect())
    }
}
