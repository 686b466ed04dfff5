//! The store: per-client minute series, source checkpoints and dead letters, in SQLite (the
//! embedded default) or PostgreSQL (several workers), both through sqlx.
//!
//! The one write path is [`Store::commit_batch`]: a batch's aggregates, its dead letters and
//! its source position commit in ONE transaction (ARCHITECTURE.md, invariant 2). The checkpoint row
//! doubles as an optimistic lock: a batch names the position it continues from, and if the
//! stored position differs (the batch was already committed, or another process owns the
//! source) nothing is written. Sketch columns cannot be merged in SQL, so rows touched by a
//! batch are read (locked `FOR UPDATE` on PostgreSQL), merged in Rust and written back.
//!
//! Both backends run the same SQL text (`$N` placeholders work in both); the `on_pool!` macro
//! expands each body once per backend so the row types stay concrete.

use crate::agg::{Counts, Merger, MinuteAgg};
use crate::alert::{Alert, AlertKind, ProfileRow, Rule, Severity, Status, Subject};
use crate::error::{Error, Result};
use crate::model::{ClientKey, ClientKind, Metric};
use crate::traffic::{CountryHour, RouteHour};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row};
use std::str::FromStr;
use std::time::Duration;

/// Rows per multi-row statement: 21 binds a row stays far below both backends' limits.
const ROWS_PER_STATEMENT: usize = 200;

/// A handle on the store. Cheap to clone (the pools are reference-counted).
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

mod lease;
mod outbox;
mod stats;
pub use lease::Lease;
pub use outbox::{ForwardState, OutboxEvent};
pub use stats::{PipelineStats, SourceStat};
pub use traffic::SeriesRow;

/// Reads the counter, latency and sketch columns of a `client_minutes` row.
macro_rules! agg_from_row {
    ($row:expr) => {{
        let r = $row;
        let c = |name: &str| -> Result<u64> { Ok(r.try_get::<i64, _>(name)?.max(0) as u64) };
        let counts = Counts {
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
        };
        let lat: Option<Vec<u8>> = r.try_get("latency_sketch")?;
        let paths: Vec<u8> = r.try_get("paths_sketch")?;
        let ips: Vec<u8> = r.try_get("ips_sketch")?;
        MinuteAgg::from_parts(counts, r.try_get("latency_max_ms")?, lat.as_deref(), &paths, &ips)?
    }};
}

macro_rules! client_from_row {
    ($row:expr) => {{
        let kind: String = $row.try_get("client_type")?;
        let kind = ClientKind::from_str(&kind).map_err(Error::Corrupt)?;
        ClientKey::new(kind, $row.try_get::<String, _>("client_value")?)
    }};
}

const ROW_COLUMNS: &str = "client_type, client_value, minute, total, s2xx, s3xx, s4xx, s401, s403, s404, \
     s429, s5xx, bytes, latency_p50_ms, latency_p95_ms, latency_max_ms, distinct_paths, distinct_ips, \
     latency_sketch, paths_sketch, ips_sketch";

/// One client-minute to fold into the store.
#[derive(Debug)]
pub struct MinuteRow {
    pub client: ClientKey,
    /// Epoch ms of the minute start.
    pub minute: i64,
    pub agg: MinuteAgg,
}

/// A record that could not be used, kept with its reason (never raw text: see `excerpt`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeadLetter {
    pub source: String,
    /// Where in the source the record was (e.g. `line 42`, `member 3 event 7`).
    pub position: String,
    pub reason: String,
    /// Scrubbed excerpt of the record, when a scrubber has produced one.
    pub excerpt: Option<String>,
}

/// Everything one batch changes, committed atomically by [`Store::commit_batch`].
#[derive(Debug, Default)]
pub struct BatchWrite {
    pub source: String,
    /// The position this batch continues from (`None` for a source never committed).
    pub prev_position: Option<String>,
    /// The position after the last record of this batch.
    pub position: String,
    /// Events the batch counted (added to the checkpoint's running total).
    pub events: u64,
    pub rows: Vec<MinuteRow>,
    pub dead_letters: Vec<DeadLetter>,
    /// Alerts opened, updated or resolved by this batch's events.
    pub alerts: Vec<Alert>,
    /// Detector profiles changed by this batch's events.
    pub profiles: Vec<ProfileRow>,
    /// Detector profiles to delete (clients idle too long).
    pub forget: Vec<String>,
    /// Hourly traffic per route, added to the stored hours.
    pub routes: Vec<RouteHour>,
    /// Hourly traffic per country, added to the stored hours.
    pub countries: Vec<CountryHour>,
}

/// Which alerts [`Store::alerts`] returns; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    pub kind: Option<AlertKind>,
    pub rule: Option<Rule>,
    pub severity: Option<Severity>,
    pub status: Option<Status>,
    pub subject: Option<Subject>,
    /// `last_seen >= since` (event time, epoch ms).
    pub since: Option<i64>,
    /// `first_seen < until`.
    pub until: Option<i64>,
    /// Continue after this `(last_seen, id)` (cursor pagination, newest first).
    pub after: Option<(i64, String)>,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub position: String,
    pub events: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitOutcome {
    Committed,
    /// The stored position was not `prev_position`: nothing was written.
    Stale,
}

/// Hides the password of a database URL for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

/// Decodes an alert row of either backend (a macro so the row type stays concrete).
macro_rules! alert_from_row {
    ($r:expr) => {{
        let r = $r;
        let text = |c: &str| -> Result<String> { Ok(r.try_get::<String, _>(c)?) };
        let corrupt = |c: &str, e: String| Error::Corrupt(format!("alerts.{c}: {e}"));
        let evidence = text("evidence")?;
        Ok(Alert {
            id: text("id")?,
            rule: text("rule")?.parse().map_err(|e| corrupt("rule", e))?,
            severity: text("severity")?.parse().map_err(|e| corrupt("severity", e))?,
            status: text("status")?.parse().map_err(|e| corrupt("status", e))?,
            subject: Subject::new(
                text("subject_type")?.parse().map_err(|e| corrupt("subject_type", e))?,
                text("subject_value")?,
            ),
            first_seen: r.try_get("first_seen")?,
            last_seen: r.try_get("last_seen")?,
            detected_at: r.try_get("detected_at")?,
            count: r.try_get::<i64, _>("count")? as u64,
            evidence: serde_json::from_str(&evidence).map_err(|e| corrupt("evidence", e.to_string()))?,
        })
    }};
}

// After the row macros, which they use.
mod api;
mod rows;
mod traffic;
pub use api::{ApiToken, StatusChange, StoredDeadLetter, StoredSuppression, SuppressionFields};
use rows::WriteRows;

impl Store {
    /// Opens `url` (`sqlite://path`, `sqlite::memory:`, `postgres://…`) and applies migrations.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens `url` without migrating.
    pub async fn connect(url: &str) -> Result<Store> {
        let bad = |reason: String| Error::DbUrl { url: redact_url(url), reason };
        if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| bad(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                // Statement journals of the multi-row upserts stay in memory, not temp files.
                .pragma("temp_store", "memory")
                .pragma("cache_size", "-65536");
            // An in-memory database lives in one connection: keep exactly one, forever.
            let pool = SqlitePoolOptions::new()
                .max_connections(if memory { 1 } else { 4 })
                .min_connections(if memory { 1 } else { 0 })
                .idle_timeout(if memory { None } else { Some(Duration::from_secs(600)) })
                .max_lifetime(if memory { None } else { Some(Duration::from_secs(3600)) })
                .connect_with(opts)
                .await
                .map_err(|e| bad(e.to_string()))?;
            Ok(Store::Sqlite(pool))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(15))
                .connect(url)
                .await
                .map_err(|e| bad(e.to_string()))?;
            Ok(Store::Postgres(pool))
        } else {
            Err(bad("expected sqlite://PATH, sqlite::memory: or postgres://…".into()))
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        match self {
            Store::Sqlite(p) => sqlx::migrate!("../migrations/sqlite").run(p).await?,
            Store::Postgres(p) => sqlx::migrate!("../migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }

    pub async fn checkpoint(&self, source: &str) -> Result<Option<Checkpoint>> {
        on_pool!(self, p => {
            let row = sqlx::query("SELECT position, events FROM checkpoints WHERE source = $1")
                .bind(source)
                .fetch_optional(p)
                .await?;
            row.map(|r| Ok(Checkpoint { position: r.try_get("position")?, events: r.try_get::<i64, _>("events")? as u64 }))
                .transpose()
        })
    }

    /// Deletes the checkpoints of sources named `prefix…` last written before `before` (epoch
    /// ms): the per-request keys that de-duplicate Firehose retries are not needed forever.
    pub async fn prune_checkpoints(&self, prefix: &str, before: i64) -> Result<u64> {
        on_pool!(self, p => {
            let n = sqlx::query("DELETE FROM checkpoints WHERE substr(source, 1, $1) = $2 AND updated_at < $3")
                .bind(prefix.len() as i32)
                .bind(prefix)
                .bind(before)
                .execute(p)
                .await?
                .rows_affected();
            Ok(n)
        })
    }

    /// Commits a batch: merges its rows into the stored series, appends its dead letters and
    /// advances the source checkpoint, all in one transaction.
    pub async fn commit_batch(&self, mut batch: BatchWrite) -> Result<CommitOutcome> {
        let is_pg = matches!(self, Store::Postgres(_));
        // Key order (minute, then client): each statement writes along the B-tree, and one
        // lock order keeps concurrent PostgreSQL writers from deadlocking.
        batch.rows.sort_unstable_by(|a, b| (a.minute, &a.client).cmp(&(b.minute, &b.client)));
        let routes = traffic::merge_routes(std::mem::take(&mut batch.routes));
        let countries = traffic::merge_countries(std::mem::take(&mut batch.countries));
        let now = chrono::Utc::now().timestamp_millis();
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let lock = if is_pg { " FOR UPDATE" } else { "" };
            let current = match &batch.prev_position {
                // A first batch claims the source by creating its row: of two writers racing
                // for a new source (FOR UPDATE cannot lock a row that does not exist yet), the
                // second waits on the key, then finds it taken.
                None => {
                    sqlx::query(
                        "INSERT INTO checkpoints (source, position, events, updated_at) VALUES ($1, '', 0, $2) \
                         ON CONFLICT (source) DO NOTHING",
                    )
                    .bind(&batch.source)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1
                }
                Some(prev) => {
                    let stored: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                        "SELECT position FROM checkpoints WHERE source = $1{lock}"
                    )))
                    .bind(&batch.source)
                    .fetch_optional(&mut *tx)
                    .await?;
                    stored.as_ref() == Some(prev)
                }
            };
            if !current {
                tx.rollback().await?;
                return Ok(CommitOutcome::Stale);
            }
            tx.write_rows(&mut batch.rows).await?;
            // Counters only: added to what is stored, in this transaction (a replayed batch is
            // refused above, so nothing counts twice).
            for chunk in routes.chunks(ROWS_PER_STATEMENT) {
                let mut q = QueryBuilder::new(format!("INSERT INTO route_hours (hour, api, route, {}) ", traffic::COUNT_COLUMNS));
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(r.hour).push_bind(r.api.as_str()).push_bind(r.route.as_str());
                    for v in traffic::count_values(&r.counts) {
                        b.push_bind(v);
                    }
                });
                q.push(" ON CONFLICT (hour, api, route) DO UPDATE SET ");
                q.push(traffic::additive_update("route_hours"));
                q.build().execute(&mut *tx).await?;
            }
            for chunk in countries.chunks(ROWS_PER_STATEMENT) {
                let mut q = QueryBuilder::new(format!("INSERT INTO country_hours (hour, country, {}) ", traffic::COUNT_COLUMNS));
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(r.hour).push_bind(r.country.as_str());
                    for v in traffic::count_values(&r.counts) {
                        b.push_bind(v);
                    }
                });
                q.push(" ON CONFLICT (hour, country) DO UPDATE SET ");
                q.push(traffic::additive_update("country_hours"));
                q.build().execute(&mut *tx).await?;
            }
            for chunk in batch.dead_letters.chunks(ROWS_PER_STATEMENT) {
                let mut q = QueryBuilder::new("INSERT INTO dead_letters (source, position, reason, excerpt, received_at) ");
                q.push_values(chunk, |mut b, d| {
                    b.push_bind(d.source.as_str())
                        .push_bind(d.position.as_str())
                        .push_bind(d.reason.as_str())
                        .push_bind(d.excerpt.as_deref())
                        .push_bind(now);
                });
                q.build().execute(&mut *tx).await?;
            }
            for a in &batch.alerts {
                // The SIEM outbox learns what happened to the alert in this same transaction.
                let before: Option<String> = sqlx::query_scalar("SELECT status FROM alerts WHERE id = $1")
                    .bind(&a.id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let event = match (&before, a.status) {
                    (None, _) => "opened",
                    (Some(b), Status::Resolved) if b != Status::Resolved.as_str() => "resolved",
                    _ => "updated",
                };
                let mut stored = a.clone();
                if before.as_deref() == Some(Status::Acknowledged.as_str()) && a.status == Status::Open {
                    stored.status = Status::Acknowledged;
                }
                sqlx::query("INSERT INTO outbox (alert_id, event, alert, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(&a.id)
                    .bind(event)
                    .bind(stored.to_json().to_string())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                // An acknowledgement made through the API survives the detector's updates.
                sqlx::query(
                    "INSERT INTO alerts (id, kind, rule, severity, status, subject_type, subject_value, \
                     first_seen, last_seen, detected_at, count, evidence, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                     ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, \
                     status = CASE WHEN alerts.status = 'acknowledged' AND excluded.status = 'open' \
                     THEN alerts.status ELSE excluded.status END, \
                     last_seen = excluded.last_seen, count = excluded.count, \
                     evidence = excluded.evidence, updated_at = excluded.updated_at",
                )
                .bind(&a.id)
                .bind(a.kind().as_str())
                .bind(a.rule.as_str())
                .bind(a.severity.as_str())
                .bind(a.status.as_str())
                .bind(a.subject.kind.as_str())
                .bind(&a.subject.value)
                .bind(a.first_seen)
                .bind(a.last_seen)
                .bind(a.detected_at)
                .bind(a.count as i64)
                .bind(a.evidence.to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            for chunk in batch.profiles.chunks(ROWS_PER_STATEMENT) {
                let mut q = QueryBuilder::new("INSERT INTO profiles (key, data, updated_at) ");
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(r.key.as_str()).push_bind(r.data.as_str()).push_bind(now);
                });
                q.push(" ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at");
                q.build().execute(&mut *tx).await?;
            }
            for chunk in batch.forget.chunks(ROWS_PER_STATEMENT) {
                let mut q = QueryBuilder::new("DELETE FROM profiles WHERE key IN (");
                let mut sep = q.separated(", ");
                for k in chunk {
                    sep.push_bind(k.as_str());
                }
                q.push(")");
                q.build().execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO checkpoints (source, position, events, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (source) DO UPDATE SET position = excluded.position, \
                 events = checkpoints.events + excluded.events, updated_at = excluded.updated_at",
            )
            .bind(&batch.source)
            .bind(&batch.position)
            .bind(batch.events as i64)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(CommitOutcome::Committed)
        })
    }

    /// The minutes of one client in `[from, to)`, oldest first.
    ///
    /// The key leads with the minute, so a plain range query would read every client's rows in
    /// the range. Instead the query walks the distinct stored minutes (each step one probe for
    /// the next minute) and looks the client up in each: two key probes per stored minute,
    /// whatever the number of clients.
    pub async fn series(&self, client: &ClientKey, from: i64, to: i64) -> Result<Vec<(i64, MinuteAgg)>> {
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "WITH RECURSIVE m (t) AS ( \
                     SELECT MIN(minute) FROM client_minutes WHERE minute >= $3 \
                     UNION ALL \
                     SELECT (SELECT MIN(minute) FROM client_minutes WHERE minute > m.t) FROM m WHERE m.t < $4 \
                 ) \
                 SELECT {ROW_COLUMNS} FROM m CROSS JOIN client_minutes \
                 WHERE minute = m.t AND m.t < $4 AND client_type = $1 AND client_value = $2 ORDER BY minute"
            )))
            .bind(client.kind.as_str())
            .bind(&client.value)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?;
            rows.iter().map(|r| Ok((r.try_get::<i64, _>("minute")?, agg_from_row!(r)))).collect()
        })
    }

    /// The `limit` clients with the highest `metric` over `[from, to)`, each with its
    /// aggregate merged over the range. Counters rank exactly in SQL; sketch metrics rank a
    /// shortlist by a SQL proxy, then exactly by merged sketches.
    pub async fn top_clients(
        &self,
        metric: Metric,
        from: i64,
        to: i64,
        limit: usize,
    ) -> Result<Vec<(ClientKey, MinuteAgg)>> {
        let rank = match metric {
            Metric::LatencyMaxMs | Metric::LatencyP50Ms | Metric::LatencyP95Ms => {
                format!("COALESCE(MAX({}), -1)", metric.as_str())
            }
            m => format!("SUM({})", m.as_str()),
        };
        let exact_in_sql = metric.is_counter() || metric == Metric::LatencyMaxMs;
        let shortlist = if exact_in_sql { limit } else { (limit * 4).max(50) };
        let sql = format!(
            "SELECT client_type, client_value, {rank} AS rank_value FROM client_minutes \
             WHERE minute >= $1 AND minute < $2 GROUP BY client_type, client_value \
             ORDER BY rank_value DESC, client_type, client_value LIMIT $3"
        );
        let keys: Vec<ClientKey> = on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to).bind(shortlist as i64).fetch_all(p).await?;
            rows.iter().map(|r| Ok(client_from_row!(r))).collect::<Result<_>>()?
        });
        let mut out: Vec<(ClientKey, Merger)> = keys.into_iter().map(|k| (k, Merger::new())).collect();
        if out.is_empty() {
            return Ok(Vec::new());
        }
        // The shortlisted clients' minutes in one range scan (the same range the ranking read),
        // merged per client.
        let mut order: Vec<usize> = (0..out.len()).collect();
        order.sort_unstable_by(|&a, &b| out[a].0.cmp(&out[b].0));
        let found: Vec<(ClientKey, MinuteAgg)> = on_pool!(self, p => {
            let mut q = sqlx::QueryBuilder::new(format!(
                "SELECT {ROW_COLUMNS} FROM client_minutes WHERE minute >= "
            ));
            q.push_bind(from).push(" AND minute < ").push_bind(to);
            // A row-value IN list: SQLite probes it through an ephemeral index per row (a join
            // with the keys as a CTE scanned them per row, ~20x slower with 200 keys).
            q.push(" AND (client_type, client_value) IN (");
            q.push_values(order.iter().map(|&i| &out[i].0), |mut b, k| {
                b.push_bind(k.kind.as_str()).push_bind(k.value.as_str());
            });
            q.push(")");
            let rows = q.build().fetch_all(p).await?;
            rows.iter().map(|r| Ok((client_from_row!(r), agg_from_row!(r)))).collect::<Result<_>>()?
        });
        for (k, a) in found {
            if let Ok(j) = order.binary_search_by(|&i| out[i].0.cmp(&k)) {
                let i = order[j];
                out[i].1.add(&a);
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

    /// Every stored client-minute, ordered by client then minute (exports and tests).
    pub async fn all_minutes(&self) -> Result<Vec<MinuteRow>> {
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ROW_COLUMNS} FROM client_minutes ORDER BY client_type, client_value, minute"
            )))
            .fetch_all(p)
            .await?;
            rows.iter()
                .map(|r| Ok(MinuteRow { client: client_from_row!(r), minute: r.try_get("minute")?, agg: agg_from_row!(r) }))
                .collect()
        })
    }

    /// First and last stored minute, if any.
    pub async fn time_range(&self) -> Result<Option<(i64, i64)>> {
        on_pool!(self, p => {
            // Two queries: SQLite answers a lone MIN or MAX from the index in O(log n), but
            // scans the whole index for both in one statement.
            let lo: Option<i64> = sqlx::query_scalar("SELECT MIN(minute) FROM client_minutes").fetch_one(p).await?;
            let hi: Option<i64> = sqlx::query_scalar("SELECT MAX(minute) FROM client_minutes").fetch_one(p).await?;
            Ok(lo.zip(hi))
        })
    }

    pub async fn dead_letters(&self, limit: i64) -> Result<Vec<DeadLetter>> {
        on_pool!(self, p => {
            let rows = sqlx::query("SELECT source, position, reason, excerpt FROM dead_letters ORDER BY id LIMIT $1")
                .bind(limit)
                .fetch_all(p)
                .await?;
            rows.iter()
                .map(|r| Ok(DeadLetter {
                    source: r.try_get("source")?,
                    position: r.try_get("position")?,
                    reason: r.try_get("reason")?,
                    excerpt: r.try_get("excerpt")?,
                }))
                .collect()
        })
    }

    /// Alerts matching `f`, newest `last_seen` first.
    pub async fn alerts(&self, f: &AlertFilter) -> Result<Vec<Alert>> {
        enum Bind {
            I(i64),
            S(String),
        }
        let mut sql = format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE 1 = 1");
        let mut binds = Vec::new();
        let mut push = |sql: &mut String, cond: &str, b: Bind| {
            binds.push(b);
            sql.push_str(&cond.replace('?', &format!("${}", binds.len())));
        };
        if let Some(k) = f.kind {
            push(&mut sql, " AND kind = ?", Bind::S(k.as_str().into()));
        }
        if let Some(r) = f.rule {
            push(&mut sql, " AND rule = ?", Bind::S(r.as_str().into()));
        }
        if let Some(s) = f.severity {
            push(&mut sql, " AND severity = ?", Bind::S(s.as_str().into()));
        }
        if let Some(s) = f.status {
            push(&mut sql, " AND status = ?", Bind::S(s.as_str().into()));
        }
        if let Some(s) = &f.subject {
            push(&mut sql, " AND subject_type = ?", Bind::S(s.kind.as_str().into()));
            push(&mut sql, " AND subject_value = ?", Bind::S(s.value.clone()));
        }
        if let Some(t) = f.since {
            push(&mut sql, " AND last_seen >= ?", Bind::I(t));
        }
        if let Some(t) = f.until {
            push(&mut sql, " AND first_seen < ?", Bind::I(t));
        }
        if let Some((t, id)) = &f.after {
            push(&mut sql, " AND (last_seen < ?", Bind::I(*t));
            push(&mut sql, " OR (last_seen = ?", Bind::I(*t));
            push(&mut sql, " AND id < ?))", Bind::S(id.clone()));
        }
        push(&mut sql, " ORDER BY last_seen DESC, id DESC LIMIT ?", Bind::I(f.limit.max(0)));
        on_pool!(self, p => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for b in &binds {
                q = match b {
                    Bind::I(v) => q.bind(*v),
                    Bind::S(v) => q.bind(v.clone()),
                };
            }
            let rows = q.fetch_all(p).await?;
            rows.iter().map(|r| alert_from_row!(r)).collect()
        })
    }

    pub async fn alert(&self, id: &str) -> Result<Option<Alert>> {
        on_pool!(self, p => {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = $1")))
                .bind(id)
                .fetch_optional(p)
                .await?;
            row.as_ref().map(|r| alert_from_row!(r)).transpose()
        })
    }

    /// Alerts not yet resolved: the detector resumes their lifecycle after a restart.
    pub async fn unresolved_alerts(&self) -> Result<Vec<Alert>> {
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ALERT_COLUMNS} FROM alerts WHERE status <> 'resolved' ORDER BY id"
            )))
            .fetch_all(p)
            .await?;
            rows.iter().map(|r| alert_from_row!(r)).collect()
        })
    }

    /// Every detector profile (loaded once when a detector starts).
    pub async fn profiles(&self) -> Result<Vec<ProfileRow>> {
        on_pool!(self, p => {
            let rows = sqlx::query("SELECT key, data, updated_at FROM profiles ORDER BY key").fetch_all(p).await?;
            rows.iter()
                .map(|r| Ok(ProfileRow { key: r.try_get("key")?, data: r.try_get("data")?, updated_at: r.try_get("updated_at")? }))
                .collect()
        })
    }
}

const ALERT_COLUMNS: &str = "id, rule, severity, status, subject_type, subject_value, first_seen, last_seen, \
     detected_at, count, evidence";
