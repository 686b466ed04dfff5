//! Shard leases: which worker reads which shard, until when (the model is the Kinesis Client
//! Library's lease table). Every change is one conditional UPDATE, so two workers racing for a
//! lease cannot both win. Leases only decide who reads; exactly-once comes from the checkpoint's
//! optimistic lock in [`crate::BatchStore::commit_batch`], so a worker that lost a lease it did not notice
//! yet cannot double-count either.

use crate::Store;
use crate::error::Result;

/// One row of the lease table.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Lease {
    #[sqlx(rename = "lease_key")]
    pub key: String,
    pub owner: Option<String>,
    /// Epoch ms (wall clock) after which the lease is free to take.
    pub expires_at: i64,
    pub counter: i64,
}

impl Lease {
    /// Held by a live owner at `now`.
    pub fn is_held(&self, now: i64) -> bool {
        self.owner.is_some() && self.expires_at > now
    }
}

/// The lease table: who reads which shard, who forwards to which destination.
pub trait LeaseStore {
    /// Makes a free lease row exist for each key (existing rows are left alone).
    fn ensure_leases(&self, keys: &[String]) -> impl Future<Output = Result<()>> + Send;

    /// Leases whose key starts with `prefix`, ordered by key.
    fn leases(&self, prefix: &str) -> impl Future<Output = Result<Vec<Lease>>> + Send;

    /// Extends a lease `owner` still holds; `false` if it was taken meanwhile.
    fn renew_lease(&self, key: &str, owner: &str, until: i64) -> impl Future<Output = Result<bool>> + Send;

    /// Takes `seen` for `owner` if nobody changed it since it was read (a free or expired
    /// lease, or one stolen for balance); `false` if another worker got there first.
    fn take_lease(&self, seen: &Lease, owner: &str, until: i64) -> impl Future<Output = Result<bool>> + Send;

    /// Gives a lease up (shutdown, or the shard is finished) so another worker need not wait
    /// for it to expire.
    fn release_lease(&self, key: &str, owner: &str) -> impl Future<Output = Result<()>> + Send;
}

impl LeaseStore for Store {
    async fn ensure_leases(&self, keys: &[String]) -> Result<()> {
        on_pool!(self, p => {
            for k in keys {
                sqlx::query(
                    "INSERT INTO leases (lease_key, owner, expires_at, counter) VALUES ($1, NULL, 0, 0) \
                     ON CONFLICT (lease_key) DO NOTHING",
                )
                .bind(k)
                .execute(p)
                .await?;
            }
            Ok(())
        })
    }

    async fn leases(&self, prefix: &str) -> Result<Vec<Lease>> {
        on_pool!(self, p => {
            Ok(sqlx::query_as(
                "SELECT lease_key, owner, expires_at, counter FROM leases WHERE substr(lease_key, 1, $1) = $2 ORDER BY lease_key",
            )
            .bind(prefix.len() as i32)
            .bind(prefix)
            .fetch_all(p)
            .await?)
        })
    }

    async fn renew_lease(&self, key: &str, owner: &str, until: i64) -> Result<bool> {
        on_pool!(self, p => {
            let n = sqlx::query("UPDATE leases SET expires_at = $1 WHERE lease_key = $2 AND owner = $3")
                .bind(until)
                .bind(key)
                .bind(owner)
                .execute(p)
                .await?
                .rows_affected();
            Ok(n == 1)
        })
    }

    async fn take_lease(&self, seen: &Lease, owner: &str, until: i64) -> Result<bool> {
        on_pool!(self, p => {
            let n = sqlx::query(
                "UPDATE leases SET owner = $1, expires_at = $2, counter = counter + 1 \
                 WHERE lease_key = $3 AND counter = $4",
            )
            .bind(owner)
            .bind(until)
            .bind(&seen.key)
            .bind(seen.counter)
            .execute(p)
            .await?
            .rows_affected();
            Ok(n == 1)
        })
    }

    async fn release_lease(&self, key: &str, owner: &str) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query(
                "UPDATE leases SET owner = NULL, expires_at = 0, counter = counter + 1 \
                 WHERE lease_key = $1 AND owner = $2",
            )
            .bind(key)
            .bind(owner)
            .execute(p)
            .await?;
            Ok(())
        })
    }
}
