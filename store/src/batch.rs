//! Checkpoints and the one batch commit. The checkpoint row doubles as an optimistic lock: a
//! batch names the position it continues from, and if the stored position differs (the batch
//! was already committed, or another process owns the source) nothing is written. Sketch
//! columns cannot be merged in SQL, so rows touched by a batch are read (locked `FOR UPDATE` on
//! PostgreSQL), merged in Rust and written back (`rows.rs`).

use crate::Store;
use crate::error::Result;
use crate::records::COUNT_COLUMNS;
use crate::rows::WriteRows;
use crate::series::{additive_update, count_values, merge_countries, merge_routes};
use crate::tiers::{self, Tier};
use gatewatch_core::agg::MinuteAgg;
use gatewatch_core::alert::{Alert, ProfileRow, Status};
use gatewatch_core::model::ClientKey;
use gatewatch_core::traffic::{CountryHour, RouteHour};
use sqlx::QueryBuilder;

/// Rows per multi-row statement: 21 binds a row stays far below both backends' limits.
const ROWS_PER_STATEMENT: usize = 200;

/// One client-minute to fold into the store.
#[derive(Debug)]
pub struct MinuteRow {
    pub client: ClientKey,
    /// Epoch ms of the minute start.
    pub minute: i64,
    pub agg: MinuteAgg,
}

/// A record that could not be used, kept with its reason (never raw text: see `excerpt`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadLetter {
    pub source: String,
    /// Where in the source the record was (e.g. `line 42`, `member 3 event 7`).
    pub position: String,
    pub reason: String,
    /// Scrubbed excerpt of the record, when a scrubber has produced one.
    pub excerpt: Option<String>,
}

/// Everything one batch changes, committed atomically by [`BatchStore::commit_batch`](crate::BatchStore::commit_batch).
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

/// Checkpoints and the batch commit: what ingest writes.
pub trait BatchStore {
    fn checkpoint(&self, source: &str) -> impl Future<Output = Result<Option<Checkpoint>>> + Send;

    /// Deletes the checkpoints of sources named `prefix…` last written before `before` (epoch
    /// ms): the per-request keys that de-duplicate Firehose retries are not needed forever.
    fn prune_checkpoints(&self, prefix: &str, before: i64) -> impl Future<Output = Result<u64>> + Send;

    /// Commits a batch: merges its rows into the stored series (minute rows and the hour and
    /// day rows that hold them), appends its dead letters and advances the source checkpoint,
    /// all in one transaction.
    fn commit_batch(&self, batch: BatchWrite) -> impl Future<Output = Result<CommitOutcome>> + Send;
}

impl BatchStore for Store {
    async fn checkpoint(&self, source: &str) -> Result<Option<Checkpoint>> {
        on_pool!(self, p => {
            let row: Option<(String, i64)> = sqlx::query_as("SELECT position, events FROM checkpoints WHERE source = $1")
                .bind(source)
                .fetch_optional(p)
                .await?;
            Ok(row.map(|(position, events)| Checkpoint { position, events: events.max(0) as u64 }))
        })
    }

    async fn prune_checkpoints(&self, prefix: &str, before: i64) -> Result<u64> {
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

    async fn commit_batch(&self, mut batch: BatchWrite) -> Result<CommitOutcome> {
        let is_pg = matches!(self, Store::Postgres(_));
        // Key order (minute, then client): each statement writes along the B-tree, and one
        // lock order keeps concurrent PostgreSQL writers from deadlocking.
        batch.rows.sort_unstable_by(|a, b| (a.minute, &a.client).cmp(&(b.minute, &b.client)));
        let routes = merge_routes(std::mem::take(&mut batch.routes));
        let countries = merge_countries(std::mem::take(&mut batch.countries));
        let now = chrono::Utc::now().timestamp_millis();
        let roll_to: Option<i64>;
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
            // Minutes older than the roll-up marks (late data) go into the hour and day rows
            // already rolled up, folded from the batch's own rows before the minute write
            // merges stored rows into them. The marks are read under a shared lock, so a
            // roll-up (which takes them for update) sees this batch whole or not at all.
            let rolled = tiers::read_rolled!(tx, if is_pg { " FOR SHARE" } else { "" });
            let late: Vec<&MinuteRow> =
                batch.rows.iter().filter(|r| rolled.hours.is_some_and(|h| r.minute < h)).collect();
            if !late.is_empty() {
                let mut hours = tiers::fold_refs(&late, Tier::Hour);
                let mut days = {
                    let done: Vec<&MinuteRow> =
                        hours.iter().filter(|r| rolled.days.is_some_and(|d| r.minute < d)).collect();
                    tiers::fold_refs(&done, Tier::Day)
                };
                tx.write_rows(Tier::Hour, &mut hours).await?;
                tx.write_rows(Tier::Day, &mut days).await?;
            }
            roll_to = batch.rows.iter().map(|r| Tier::Hour.floor(r.minute)).max()
                .filter(|&h| rolled.hours.is_none_or(|through| h > through));
            tx.write_rows(Tier::Minute, &mut batch.rows).await?;
            // Counters only: added to what is stored, in this transaction (a replayed batch is
            // refused above, so nothing counts twice).
            for chunk in routes.chunks(ROWS_PER_STATEMENT) {
                let mut q = QueryBuilder::new(format!("INSERT INTO route_hours (hour, api, route, {}) ", COUNT_COLUMNS));
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(r.hour).push_bind(r.api.as_str()).push_bind(r.route.as_str());
                    for v in count_values(&r.counts) {
                        b.push_bind(v);
                    }
                });
                q.push(" ON CONFLICT (hour, api, route) DO UPDATE SET ");
                q.push(additive_update("route_hours"));
                q.build().execute(&mut *tx).await?;
            }
            for chunk in countries.chunks(ROWS_PER_STATEMENT) {
                let mut q = QueryBuilder::new(format!("INSERT INTO country_hours (hour, country, {}) ", COUNT_COLUMNS));
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(r.hour).push_bind(r.country.as_str());
                    for v in count_values(&r.counts) {
                        b.push_bind(v);
                    }
                });
                q.push(" ON CONFLICT (hour, country) DO UPDATE SET ");
                q.push(additive_update("country_hours"));
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
                .bind(a.kind.as_str())
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
            Ok::<_, crate::Error>(())
        })?;
        // Hours this batch completed are rolled up after its commit, in transactions of their
        // own (a crash in between leaves them for the next batch or the next open). The batch is
        // committed whatever the roll-up does: a roll-up refused by a concurrent writer (SQLite's
        // busy snapshot, a PostgreSQL lock timeout) is tried again after the next batch, and
        // reporting the commit as failed would make the caller retry what is already stored.
        if let Some(limit) = roll_to
            && let Err(e) = self.roll_up(limit, false).await
        {
            tracing::warn!("rolling up the hour and day tiers (retried after the next batch): {e}");
        }
        Ok(CommitOutcome::Committed)
    }
}
