//! The store: per-client minute series, source checkpoints, dead letters, alerts and what the
//! API, the forwarders and the leases keep, in SQLite (the embedded default) or PostgreSQL
//! (several workers), both through sqlx.
//!
//! Each consumer programs against its own trait: [`BatchStore`] (checkpoints and the one batch
//! commit), [`SeriesStore`] (client-minutes, route and country hours), [`AlertStore`] (alerts
//! and detector profiles), [`OutboxStore`] (SIEM delivery), [`LeaseStore`] (who reads or
//! forwards what), [`AccessStore`] (API tokens and suppressions) and [`StatsStore`] (pipeline
//! health, dead letters). `use gatewatch_store::prelude::*` brings them all into scope.
//!
//! The one write path is [`BatchStore::commit_batch`]: a batch's aggregates, dead letters,
//! alerts, profiles and source position commit in ONE transaction (ARCHITECTURE.md, invariant
//! 2). [`Store`] implements every trait for both backends: they run the same SQL text (`$N`
//! placeholders work in both), and the `on_pool!` macro expands each body once per backend so
//! the row types stay concrete. Rows decode through `FromRow` records (`records.rs`). A backend
//! that does not speak this SQL implements the traits itself; `tests/conformance.rs` is the
//! suite every implementation must pass.

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteAutoVacuum, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

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

mod access;
mod alerts;
mod batch;
pub mod error;
mod lease;
mod outbox;
mod records;
pub mod retention;
mod rows;
mod series;
mod stats;
pub mod tiers;

pub use access::{AccessStore, ApiToken, StoredSuppression, SuppressionFields};
pub use alerts::{AlertFilter, AlertStore, StatusChange};
pub use batch::{BatchStore, BatchWrite, Checkpoint, CommitOutcome, DeadLetter, MinuteRow};
pub use error::{Error, Result};
pub use lease::{Lease, LeaseStore};
pub use outbox::{ForwardState, OutboxEvent, OutboxStore};
pub use retention::{Removed, RetentionConfig, RetentionStore, TableSize};
pub use series::{SeriesRow, SeriesStore};
pub use stats::{PipelineStats, SourceStat, StatsStore, StoredDeadLetter};
pub use tiers::Tier;

/// Every consumer trait, for `use gatewatch_store::prelude::*`.
pub mod prelude {
    pub use crate::{
        AccessStore, AlertStore, BatchStore, LeaseStore, OutboxStore, RetentionStore, SeriesStore, StatsStore,
    };
}

/// Hides the password of a database URL for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

impl Store {
    /// Opens `url` (`sqlite://path`, `sqlite::memory:`, `postgres://…`), applies migrations
    /// and builds the hour and day tiers of a store that had only minute rows.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        store.backfill_tiers().await?;
        Ok(store)
    }

    /// Opens `url` without migrating.
    pub async fn connect(url: &str) -> Result<Store> {
        let bad = |reason: String| Error::Url { url: redact_url(url), reason };
        if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| bad(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                // A new store hands the pages retention frees back to the file system
                // (`PRAGMA incremental_vacuum` after each pass); an older one reuses them.
                .auto_vacuum(SqliteAutoVacuum::Incremental)
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
            Store::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Store::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }
}
