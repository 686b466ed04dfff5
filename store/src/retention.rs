//! Retention (ARCHITECTURE.md, "Store tiers"): what the store deletes, and when. Each tier of
//! the client series, the hourly route and country tables, dead letters, delivered SIEM
//! messages and resolved alerts have a horizon in days (`[retention]`).
//!
//! Series horizons count back from the newest minute in the store, not from the wall clock, so
//! a replay of last month's logs is not deleted as it arrives. Dead letters and delivered
//! messages are records of what this process did, so theirs count back from now.
//!
//! Deletion goes one bucket (a minute, an hour or a day of rows) or [`DELETE_ROWS`] rows per
//! statement, each its own short transaction, with a pause between, so a pass never holds the
//! writer long and ingest commits in between.

use crate::Store;
use crate::error::Result;
use crate::tiers::Tier;
use gatewatch_core::error::Error as ConfigError;
use gatewatch_core::time::DAY_MS;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Rows per statement for the tables deleted by id.
const DELETE_ROWS: i64 = 2_000;
/// Pause between two delete statements.
const PAUSE: Duration = Duration::from_millis(20);

/// `[retention]`: how many days each kind of row is kept (0 keeps it forever).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Per-client minute rows, counted back from the newest stored minute.
    pub minute_rows_days: u32,
    /// Per-client hour rows, and the hourly route and country tables.
    pub hour_rows_days: u32,
    /// Per-client day rows.
    pub day_rows_days: u32,
    /// Dead letters, counted back from now.
    pub dead_letters_days: u32,
    /// SIEM messages every destination has received, counted back from now.
    pub delivered_outbox_days: u32,
    /// Resolved alerts, by their last event, counted back from the newest stored minute.
    pub resolved_alerts_days: u32,
    /// Seconds between two retention passes of `serve`, `run` and `ingest`.
    pub interval_secs: u64,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        Self {
            minute_rows_days: 14,
            hour_rows_days: 180,
            day_rows_days: 800,
            dead_letters_days: 30,
            delivered_outbox_days: 7,
            resolved_alerts_days: 365,
            interval_secs: 600,
        }
    }
}

impl RetentionConfig {
    /// A coarser tier must outlive a finer one: ranges are answered from the coarse rows once
    /// the fine ones are gone.
    pub fn validate(&self) -> gatewatch_core::error::Result<()> {
        let forever = |d: u32| if d == 0 { u32::MAX } else { d };
        let tiers = [
            ("retention.minute_rows_days", self.minute_rows_days),
            ("retention.hour_rows_days", self.hour_rows_days),
            ("retention.day_rows_days", self.day_rows_days),
        ];
        for pair in tiers.windows(2) {
            let ((fine, f), (coarse, c)) = (pair[0], pair[1]);
            if forever(c) < forever(f) {
                return Err(ConfigError::Config(format!(
                    "{coarse} = {c} is shorter than {fine} = {f}: coarser rows must outlive the finer rows they sum; \
                     raise {coarse} or set it to 0 (forever)"
                )));
            }
        }
        if self.interval_secs == 0 {
            return Err(ConfigError::Config("retention.interval_secs must be at least 1".into()));
        }
        Ok(())
    }
}

/// What one retention pass deleted, by table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub client_minutes: u64,
    pub client_hours: u64,
    pub client_days: u64,
    pub route_hours: u64,
    pub country_hours: u64,
    pub dead_letters: u64,
    pub outbox: u64,
    pub alerts: u64,
}

impl Removed {
    pub fn total(&self) -> u64 {
        self.client_minutes
            + self.client_hours
            + self.client_days
            + self.route_hours
            + self.country_hours
            + self.dead_letters
            + self.outbox
            + self.alerts
    }

    /// `client_minutes 1200, dead_letters 3` (tables with deletions only), or `nothing`.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            ("client_minutes", self.client_minutes),
            ("client_hours", self.client_hours),
            ("client_days", self.client_days),
            ("route_hours", self.route_hours),
            ("country_hours", self.country_hours),
            ("dead_letters", self.dead_letters),
            ("outbox", self.outbox),
            ("alerts", self.alerts),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
        if parts.is_empty() { "nothing".into() } else { parts.join(", ") }
    }
}

/// One table's size, for `gatewatch store stats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableSize {
    pub table: &'static str,
    pub rows: u64,
    /// Bytes on disk with the table's indexes, where the backend can tell.
    pub bytes: Option<u64>,
    /// First and last bucket start (the series tiers only).
    pub span: Option<(i64, i64)>,
}

/// The tables `store stats` reports, series tiers first.
const SIZED_TABLES: [&str; 11] = [
    "client_minutes",
    "client_hours",
    "client_days",
    "route_hours",
    "country_hours",
    "alerts",
    "outbox",
    "dead_letters",
    "profiles",
    "checkpoints",
    "api_tokens",
];

/// Deleting what is past the horizons, and what the store holds.
pub trait RetentionStore {
    /// Rows and bytes of each table.
    fn table_sizes(&self) -> impl Future<Output = Result<Vec<TableSize>>> + Send;

    /// One pass: deletes every row past its horizon, in short statements, and on SQLite hands
    /// freed pages back to the file system. `now` is the wall clock (epoch ms) for the tables
    /// whose horizon counts back from now.
    fn apply_retention(
        &self,
        cfg: &RetentionConfig,
        now: i64,
    ) -> impl Future<Output = Result<Removed>> + Send;
}

/// `newest - days`, or `None` when `days` is 0 (kept forever).
fn horizon(newest: i64, days: u32) -> Option<i64> {
    (days > 0).then(|| newest.saturating_sub(days as i64 * DAY_MS))
}

impl Store {
    /// Deletes the rows of `table` (keyed by a time column `col`, bucketed by `step` ms) that
    /// start before `cutoff`, one bucket per statement.
    async fn delete_buckets(&self, table: &str, col: &str, step: i64, cutoff: i64) -> Result<u64> {
        let mut removed = 0;
        loop {
            let oldest: Option<i64> = on_pool!(self, p => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT MIN({col}) FROM {table}"))).fetch_one(p).await?
            });
            let Some(oldest) = oldest.filter(|&o| o < cutoff) else { return Ok(removed) };
            let upto = oldest.saturating_add(step).min(cutoff);
            removed += on_pool!(self, p => {
                sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE {col} < $1")))
                    .bind(upto)
                    .execute(p)
                    .await?
                    .rows_affected()
            });
            tokio::time::sleep(PAUSE).await;
        }
    }

    /// Deletes rows of `table` chosen by `filter` (a condition on its columns, `$1` bound to
    /// `bound`), [`DELETE_ROWS`] ids per statement.
    async fn delete_by_id(&self, table: &str, filter: &str, bound: i64) -> Result<u64> {
        let mut removed = 0;
        loop {
            let n = on_pool!(self, p => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {filter} ORDER BY id LIMIT {DELETE_ROWS})"
                )))
                .bind(bound)
                .execute(p)
                .await?
                .rows_affected()
            });
            removed += n;
            if n < DELETE_ROWS as u64 {
                return Ok(removed);
            }
            tokio::time::sleep(PAUSE).await;
        }
    }
}

impl RetentionStore for Store {
    async fn table_sizes(&self) -> Result<Vec<TableSize>> {
        let mut out = Vec::new();
        for table in SIZED_TABLES {
            let (rows, bytes, span): (i64, Option<i64>, Option<(i64, i64)>) = on_pool!(self, p => {
                let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                    .fetch_one(p)
                    .await?;
                let bytes: Option<i64> = match self {
                    // The dbstat table exists only where SQLite was built with it.
                    Store::Sqlite(_) => sqlx::query_scalar(
                        "SELECT CAST(SUM(pgsize) AS BIGINT) FROM dbstat WHERE name = $1 \
                         OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1)",
                    )
                    .bind(table)
                    .fetch_one(p)
                    .await
                    .ok()
                    .flatten(),
                    Store::Postgres(_) => sqlx::query_scalar("SELECT pg_total_relation_size($1::regclass)")
                        .bind(table)
                        .fetch_one(p)
                        .await
                        .ok(),
                };
                let span = if table.starts_with("client_") {
                    let lo: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT MIN(minute) FROM {table}")))
                        .fetch_one(p)
                        .await?;
                    let hi: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT MAX(minute) FROM {table}")))
                        .fetch_one(p)
                        .await?;
                    lo.zip(hi)
                } else {
                    None
                };
                (rows, bytes, span)
            });
            out.push(TableSize {
                table,
                rows: rows.max(0) as u64,
                bytes: bytes.map(|b| b.max(0) as u64),
                span,
            });
        }
        Ok(out)
    }

    async fn apply_retention(&self, cfg: &RetentionConfig, now: i64) -> Result<Removed> {
        let mut removed = Removed::default();
        let newest: Option<i64> = on_pool!(self, p => {
            sqlx::query_scalar("SELECT MAX(minute) FROM client_minutes").fetch_one(p).await?
        });
        if let Some(newest) = newest {
            // Nothing is deleted before it is rolled up into the next tier.
            let rolled = self.rolled().await?;
            let (hours, days) = (rolled.hours.unwrap_or(i64::MIN), rolled.days.unwrap_or(i64::MIN));
            let tiers = [
                (Tier::Minute, cfg.minute_rows_days, &mut removed.client_minutes),
                (Tier::Hour, cfg.hour_rows_days, &mut removed.client_hours),
                (Tier::Day, cfg.day_rows_days, &mut removed.client_days),
            ];
            for (tier, keep_days, count) in tiers {
                if let Some(cutoff) = horizon(newest, keep_days) {
                    let rolled_to = match tier {
                        Tier::Minute => hours,
                        Tier::Hour => days,
                        Tier::Day => i64::MAX,
                    };
                    // Whole buckets only: a partly kept bucket would answer less than it holds.
                    let cutoff = tier.floor(cutoff).min(rolled_to);
                    *count = self.delete_buckets(tier.table(), "minute", tier.step_ms(), cutoff).await?;
                }
            }
            if let Some(cutoff) = horizon(newest, cfg.hour_rows_days) {
                let cutoff = Tier::Hour.floor(cutoff);
                removed.route_hours =
                    self.delete_buckets("route_hours", "hour", Tier::Hour.step_ms(), cutoff).await?;
                removed.country_hours =
                    self.delete_buckets("country_hours", "hour", Tier::Hour.step_ms(), cutoff).await?;
            }
            if let Some(cutoff) = horizon(newest, cfg.resolved_alerts_days) {
                removed.alerts = self.delete_resolved_alerts(cutoff).await?;
            }
        }
        if let Some(cutoff) = horizon(now, cfg.dead_letters_days) {
            removed.dead_letters = self.delete_by_id("dead_letters", "received_at < $1", cutoff).await?;
        }
        if let Some(cutoff) = horizon(now, cfg.delivered_outbox_days) {
            // Delivered: at or below every destination's cursor, and not set aside (parked) for
            // an operator to look at. With no destination, nobody waits for a message.
            let filter = "created_at < $1 \
                 AND id <= COALESCE((SELECT MIN(delivered_up_to) FROM forward_state), id) \
                 AND id NOT IN (SELECT outbox_id FROM forward_parked)";
            removed.outbox = self.delete_by_id("outbox", filter, cutoff).await?;
        }
        if let Store::Sqlite(p) = self
            && removed.total() > 0
        {
            // Returns the freed pages to the file system where the file allows it (stores
            // created with incremental auto-vacuum); elsewhere they are reused by new rows.
            sqlx::query("PRAGMA incremental_vacuum").execute(p).await?;
        }
        Ok(removed)
    }
}

impl Store {
    /// Resolved alerts whose last event is before `cutoff`, with their SIEM messages.
    async fn delete_resolved_alerts(&self, cutoff: i64) -> Result<u64> {
        let mut removed = 0;
        loop {
            let n = on_pool!(self, p => {
                let mut tx = p.begin().await?;
                let ids: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT id FROM alerts WHERE status = 'resolved' AND last_seen < $1 ORDER BY id LIMIT {DELETE_ROWS}"
                )))
                .bind(cutoff)
                .fetch_all(&mut *tx)
                .await?;
                for chunk in ids.chunks(500) {
                    for table in ["outbox", "alerts"] {
                        let col = if table == "outbox" { "alert_id" } else { "id" };
                        let mut q = sqlx::QueryBuilder::new(format!("DELETE FROM {table} WHERE {col} IN ("));
                        let mut sep = q.separated(", ");
                        for id in chunk {
                            sep.push_bind(id.as_str());
                        }
                        q.push(")");
                        q.build().execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
                ids.len() as u64
            });
            removed += n;
            if n < DELETE_ROWS as u64 {
                return Ok(removed);
            }
            tokio::time::sleep(PAUSE).await;
        }
    }
}
