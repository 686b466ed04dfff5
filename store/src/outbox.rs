//! The SIEM outbox: alert events written by [`crate::BatchStore::commit_batch`] in the transaction that
//! changed the alert, read back in id order by each destination's forwarder, which records how
//! far it got. Delivery is at least once: a forwarder that dies after sending and before
//! recording sends again, with the same idempotency key.

use crate::Store;
use crate::error::Result;

/// One alert event as the forwarders send it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEvent {
    pub id: i64,
    pub alert_id: String,
    /// `opened`, `updated` or `resolved`.
    pub event: String,
    /// The alert (`Alert::to_json`) as it was at this event.
    pub alert: serde_json::Value,
    /// Wall clock of the commit, epoch ms.
    pub created_at: i64,
}

impl OutboxEvent {
    /// Stable across retries and restarts: receivers drop what they have seen.
    pub fn idempotency_key(&self) -> String {
        format!("{}:{}", self.alert_id, self.id)
    }
}

/// Where a destination stands.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ForwardState {
    pub destination: String,
    /// Outbox id the destination has got past (delivered or parked).
    pub delivered_up_to: i64,
    /// Events delivered (passed and not parked).
    pub delivered: i64,
    /// Failed attempts at the next message (the receiver refusing it, or unreachable).
    pub attempts: i64,
    pub last_error: Option<String>,
    /// Wall clock, epoch ms, before which the next attempt waits (backoff).
    pub next_attempt_at: i64,
    /// Outbox events not delivered yet.
    pub pending: i64,
    pub parked: i64,
}

/// The SIEM outbox and each destination's progress.
pub trait OutboxStore {
    /// Up to `limit` events after `after`, oldest first.
    fn outbox_after(&self, after: i64, limit: i64) -> impl Future<Output = Result<Vec<OutboxEvent>>> + Send;

    /// The destination's state with its counts (delivered, pending, parked), for status pages.
    fn forward_state(&self, destination: &str) -> impl Future<Output = Result<ForwardState>> + Send;

    /// Where the destination's delivery stands, without counting (the forwarder's every step;
    /// a new destination starts at the beginning of the outbox).
    fn forward_cursor(&self, destination: &str) -> impl Future<Output = Result<ForwardState>> + Send;

    /// Records where a destination stands: delivered up to an id, or the head message's failure.
    fn set_forward_state(&self, st: &ForwardState) -> impl Future<Output = Result<()>> + Send;

    /// Sets a message aside after too many failures, and moves the destination past it, in one
    /// transaction.
    fn park(
        &self,
        destination: &str,
        event: &OutboxEvent,
        attempts: i64,
        reason: &str,
    ) -> impl Future<Output = Result<()>> + Send;
}

impl OutboxStore for Store {
    async fn outbox_after(&self, after: i64, limit: i64) -> Result<Vec<OutboxEvent>> {
        on_pool!(self, p => {
            let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as("SELECT id, alert_id, event, alert, created_at FROM outbox WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit)
                .fetch_all(p)
                .await?;
            rows.into_iter()
                .map(|(id, alert_id, event, text, created_at)| {
                    let alert = serde_json::from_str(&text)
                        .map_err(|e| crate::Error::Corrupt(format!("outbox.alert: {e}")))?;
                    Ok(OutboxEvent { id, alert_id, event, alert, created_at })
                })
                .collect()
        })
    }

    async fn forward_state(&self, destination: &str) -> Result<ForwardState> {
        let mut st = self.forward_cursor(destination).await?;
        on_pool!(self, p => {
            st.pending = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE id > $1")
                .bind(st.delivered_up_to)
                .fetch_one(p)
                .await?;
            st.parked = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM forward_parked WHERE destination = $1")
                .bind(destination)
                .fetch_one(p)
                .await?;
            let passed = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE id <= $1")
                .bind(st.delivered_up_to)
                .fetch_one(p)
                .await?;
            st.delivered = (passed - st.parked).max(0);
            Ok(st)
        })
    }

    async fn forward_cursor(&self, destination: &str) -> Result<ForwardState> {
        on_pool!(self, p => {
            let row: Option<(i64, i64, Option<String>, i64)> = sqlx::query_as(
                "SELECT delivered_up_to, attempts, last_error, next_attempt_at FROM forward_state WHERE destination = $1",
            )
            .bind(destination)
            .fetch_optional(p)
            .await?;
            let mut st = ForwardState { destination: destination.to_string(), ..Default::default() };
            if let Some((delivered_up_to, attempts, last_error, next_attempt_at)) = row {
                st.delivered_up_to = delivered_up_to;
                st.attempts = attempts;
                st.last_error = last_error;
                st.next_attempt_at = next_attempt_at;
            }
            Ok(st)
        })
    }

    async fn set_forward_state(&self, st: &ForwardState) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO forward_state (destination, delivered_up_to, attempts, last_error, next_attempt_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (destination) DO UPDATE SET \
                 delivered_up_to = excluded.delivered_up_to, attempts = excluded.attempts, \
                 last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at",
            )
            .bind(&st.destination)
            .bind(st.delivered_up_to)
            .bind(st.attempts)
            .bind(&st.last_error)
            .bind(st.next_attempt_at)
            .execute(p)
            .await?;
            Ok(())
        })
    }

    async fn park(&self, destination: &str, event: &OutboxEvent, attempts: i64, reason: &str) -> Result<()> {
        let now = chrono::Utc::now().timestamp_millis();
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO forward_parked (destination, outbox_id, attempts, reason, parked_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (destination, outbox_id) DO NOTHING",
            )
            .bind(destination)
            .bind(event.id)
            .bind(attempts)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO forward_state (destination, delivered_up_to, attempts, last_error, next_attempt_at) \
                 VALUES ($1, $2, 0, NULL, 0) ON CONFLICT (destination) DO UPDATE SET \
                 delivered_up_to = excluded.delivered_up_to, attempts = 0, last_error = NULL, next_attempt_at = 0",
            )
            .bind(destination)
            .bind(event.id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
