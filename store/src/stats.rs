//! Pipeline health as the store sees it, for `/v1/stats`: what each source committed and when,
//! dead letters, the newest event minute, alerts by status and SIEM delivery per destination.

use crate::batch::DeadLetter;
use crate::error::Result;
use crate::{OutboxStore, SeriesStore, Store};

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct SourceStat {
    pub source: String,
    pub position: String,
    pub events: i64,
    /// Wall clock of the last commit, epoch ms.
    pub updated_at: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PipelineStats {
    /// Every source but the per-request Firehose keys, which are summed into `firehose`.
    pub sources: Vec<SourceStat>,
    /// Firehose requests remembered and the events they carried.
    pub firehose_requests: i64,
    pub firehose_events: i64,
    /// Wall clock of the newest Firehose request committed, epoch ms.
    pub firehose_last_commit: Option<i64>,
    pub dead_letters: i64,
    /// Start of the newest stored minute (event time), epoch ms.
    pub last_event_minute: Option<i64>,
    pub alerts_open: i64,
    pub alerts_acknowledged: i64,
    pub alerts_resolved: i64,
    /// Alert events written to the outbox so far (its highest id).
    pub outbox_events: i64,
    pub forward: Vec<crate::ForwardState>,
}

/// A dead letter with its row id (for paging) and arrival time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredDeadLetter {
    pub id: i64,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub letter: DeadLetter,
    pub received_at: i64,
}

/// Pipeline health and dead letters: `/v1/stats`, `/metrics`, `gatewatch dead-letters`.
pub trait StatsStore {
    /// Answers `SELECT 1`: the store is reachable.
    fn ping(&self) -> impl Future<Output = Result<()>> + Send;

    fn pipeline_stats(&self) -> impl Future<Output = Result<PipelineStats>> + Send;

    /// Alerts counted by (status, rule, severity).
    fn alert_counts(&self) -> impl Future<Output = Result<Vec<(String, String, String, i64)>>> + Send;

    fn dead_letters(&self, limit: i64) -> impl Future<Output = Result<Vec<DeadLetter>>> + Send;

    /// Dead letters after row `after`, oldest first, optionally of one source.
    fn dead_letters_page(
        &self,
        after: i64,
        source: Option<&str>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<StoredDeadLetter>>> + Send;
}

impl StatsStore for Store {
    async fn ping(&self) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("SELECT 1").execute(p).await?;
            Ok(())
        })
    }

    async fn pipeline_stats(&self) -> Result<PipelineStats> {
        let fh = format!("{}%", "firehose:");
        let (sources, fh_row, dead, alerts, outbox, dests) = on_pool!(self, p => {
            let sources: Vec<SourceStat> = sqlx::query_as(
                "SELECT source, position, events, updated_at FROM checkpoints WHERE source NOT LIKE $1 ORDER BY source",
            )
            .bind(&fh)
            .fetch_all(p)
            .await?;
            let fh_row: (i64, i64, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(events), 0) AS BIGINT) AS e, MAX(updated_at) AS last \
                 FROM checkpoints WHERE source LIKE $1",
            )
            .bind(&fh)
            .fetch_one(p)
            .await?;
            let dead: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dead_letters").fetch_one(p).await?;
            let alerts: Vec<(String, i64)> =
                sqlx::query_as("SELECT status, COUNT(*) FROM alerts GROUP BY status").fetch_all(p).await?;
            let outbox: i64 =
                sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM outbox").fetch_one(p).await?;
            let dests: Vec<String> =
                sqlx::query_scalar("SELECT destination FROM forward_state ORDER BY destination").fetch_all(p).await?;
            Ok::<_, crate::Error>((sources, fh_row, dead, alerts, outbox, dests))
        })?;
        let count = |s: &str| alerts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
        let mut forward = Vec::with_capacity(dests.len());
        for d in dests {
            forward.push(self.forward_state(&d).await?);
        }
        Ok(PipelineStats {
            sources,
            firehose_requests: fh_row.0,
            firehose_events: fh_row.1,
            firehose_last_commit: fh_row.2,
            dead_letters: dead,
            last_event_minute: self.time_range().await?.map(|(_, hi)| hi),
            alerts_open: count("open"),
            alerts_acknowledged: count("acknowledged"),
            alerts_resolved: count("resolved"),
            outbox_events: outbox,
            forward,
        })
    }

    async fn alert_counts(&self) -> Result<Vec<(String, String, String, i64)>> {
        on_pool!(self, p => {
            let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
                "SELECT status, rule, severity, COUNT(*) FROM alerts GROUP BY status, rule, severity",
            )
            .fetch_all(p)
            .await?;
            Ok(rows)
        })
    }

    async fn dead_letters(&self, limit: i64) -> Result<Vec<DeadLetter>> {
        on_pool!(self, p => {
            Ok(sqlx::query_as("SELECT source, position, reason, excerpt FROM dead_letters ORDER BY id LIMIT $1")
                .bind(limit)
                .fetch_all(p)
                .await?)
        })
    }

    async fn dead_letters_page(
        &self,
        after: i64,
        source: Option<&str>,
        limit: i64,
    ) -> Result<Vec<StoredDeadLetter>> {
        on_pool!(self, p => {
            Ok(sqlx::query_as(
                "SELECT id, source, position, reason, excerpt, received_at FROM dead_letters \
                 WHERE id > $1 AND ($2 IS NULL OR source = $2) ORDER BY id LIMIT $3",
            )
            .bind(after)
            .bind(source)
            .bind(limit)
            .fetch_all(p)
            .await?)
        })
    }
}
