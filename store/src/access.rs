//! What the REST API keeps for itself: its tokens (hashes only) and the suppressions made by
//! operators.

use crate::Store;
use crate::error::Result;
use gatewatch_core::Suppression;

/// A stored API token (the token itself is never stored: only its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    /// `read` or `admin`.
    pub scope: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used: Option<i64>,
    /// SHA-256 (hex) of the token; never shown.
    #[serde(skip)]
    pub token_hash: String,
}

/// A suppression made through the API, with who made it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredSuppression {
    pub id: String,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub suppression: SuppressionFields,
    pub created_by: String,
    pub created_at: i64,
}

/// The matching fields of a suppression (the shape of `[[detect.suppressions]]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuppressionFields {
    pub rule: String,
    pub subject: String,
    pub cidr: String,
    pub until: String,
    pub reason: String,
}

impl From<&Suppression> for SuppressionFields {
    fn from(s: &Suppression) -> Self {
        Self {
            rule: s.rule.clone(),
            subject: s.subject.clone(),
            cidr: s.cidr.clone(),
            until: s.until.clone(),
            reason: s.reason.clone(),
        }
    }
}

impl StoredSuppression {
    pub fn to_config(&self) -> Suppression {
        let s = &self.suppression;
        Suppression {
            rule: s.rule.clone(),
            subject: s.subject.clone(),
            cidr: s.cidr.clone(),
            until: s.until.clone(),
            reason: s.reason.clone(),
        }
    }
}

/// API tokens and suppressions: what the REST API reads and writes.
pub trait AccessStore {
    /// Stores a new token by its hash.
    fn create_token(
        &self,
        id: &str,
        name: &str,
        scope: &str,
        token_hash: &str,
        now: i64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The token with this hash, unless revoked.
    fn token_by_hash(&self, token_hash: &str) -> impl Future<Output = Result<Option<ApiToken>>> + Send;

    fn tokens(&self) -> impl Future<Output = Result<Vec<ApiToken>>> + Send;

    /// Revokes a token; false when there is no such (unrevoked) token.
    fn revoke_token(&self, id: &str, now: i64) -> impl Future<Output = Result<bool>> + Send;

    /// Records that a token was used (callers throttle this to about once a minute).
    fn touch_token(&self, id: &str, now: i64) -> impl Future<Output = Result<()>> + Send;

    fn suppressions(&self) -> impl Future<Output = Result<Vec<StoredSuppression>>> + Send;

    fn add_suppression(&self, s: &StoredSuppression) -> impl Future<Output = Result<()>> + Send;

    /// Deletes a suppression; false when there is none with this id.
    fn delete_suppression(&self, id: &str) -> impl Future<Output = Result<bool>> + Send;
}

impl AccessStore for Store {
    async fn create_token(
        &self,
        id: &str,
        name: &str,
        scope: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("INSERT INTO api_tokens (id, name, scope, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(name)
                .bind(scope)
                .bind(token_hash)
                .bind(now)
                .execute(p)
                .await?;
            Ok(())
        })
    }

    async fn token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        on_pool!(self, p => {
            Ok(sqlx::query_as(
                "SELECT id, name, scope, token_hash, created_at, revoked_at, last_used FROM api_tokens \
                 WHERE token_hash = $1 AND revoked_at IS NULL",
            )
            .bind(token_hash)
            .fetch_optional(p)
            .await?)
        })
    }

    async fn tokens(&self) -> Result<Vec<ApiToken>> {
        on_pool!(self, p => {
            Ok(sqlx::query_as("SELECT id, name, scope, token_hash, created_at, revoked_at, last_used FROM api_tokens ORDER BY created_at, id")
                .fetch_all(p)
                .await?)
        })
    }

    async fn revoke_token(&self, id: &str, now: i64) -> Result<bool> {
        on_pool!(self, p => {
            let n = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(p)
                .await?
                .rows_affected();
            Ok(n == 1)
        })
    }

    async fn touch_token(&self, id: &str, now: i64) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("UPDATE api_tokens SET last_used = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(p)
                .await?;
            Ok(())
        })
    }

    async fn suppressions(&self) -> Result<Vec<StoredSuppression>> {
        on_pool!(self, p => {
            Ok(sqlx::query_as(
                "SELECT id, rule, subject, cidr, until, reason, created_by, created_at FROM suppressions ORDER BY created_at, id",
            )
            .fetch_all(p)
            .await?)
        })
    }

    async fn add_suppression(&self, s: &StoredSuppression) -> Result<()> {
        let f = &s.suppression;
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO suppressions (id, rule, subject, cidr, until, reason, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&s.id)
            .bind(&f.rule)
            .bind(&f.subject)
            .bind(&f.cidr)
            .bind(&f.until)
            .bind(&f.reason)
            .bind(&s.created_by)
            .bind(s.created_at)
            .execute(p)
            .await?;
            Ok(())
        })
    }

    async fn delete_suppression(&self, id: &str) -> Result<bool> {
        on_pool!(self, p => {
            let n = sqlx::query("DELETE FROM suppressions WHERE id = $1").bind(id).execute(p).await?.rows_affected();
            Ok(n == 1)
        })
    }
}
