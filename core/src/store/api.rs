//! What the REST API writes: its own tokens (hashes only), suppressions made by operators, and
//! alert status changes (acknowledge, resolve), each with its SIEM outbox event in the same
//! transaction.

use super::{ALERT_COLUMNS, DeadLetter, Result, Store};
use crate::alert::{Alert, Status, Subject};
use crate::config::Suppression;
use crate::error::Error;
use sqlx::Row;

/// A stored API token (the token itself is never stored: only its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredSuppression {
    pub id: String,
    #[serde(flatten)]
    pub suppression: SuppressionFields,
    pub created_by: String,
    pub created_at: i64,
}

/// The matching fields of a suppression (the shape of `[[detect.suppressions]]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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

/// A dead letter with its row id (for paging) and arrival time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredDeadLetter {
    pub id: i64,
    #[serde(flatten)]
    pub letter: DeadLetter,
    pub received_at: i64,
}

/// Why a status change was not made.
#[derive(Debug, Clone, PartialEq)]
pub enum StatusChange {
    Changed(Box<Alert>),
    NotFound,
    /// The alert is resolved already (a resolved alert is not reopened by hand).
    Resolved,
}

macro_rules! token_from_row {
    ($r:expr) => {{
        let r = $r;
        ApiToken {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            scope: r.try_get("scope")?,
            created_at: r.try_get("created_at")?,
            revoked_at: r.try_get("revoked_at")?,
            last_used: r.try_get("last_used")?,
            token_hash: r.try_get("token_hash")?,
        }
    }};
}

impl Store {
    /// Stores a new token by its hash.
    pub async fn create_token(
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

    /// The token with this hash, unless revoked.
    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        on_pool!(self, p => {
            let row = sqlx::query(
                "SELECT id, name, scope, token_hash, created_at, revoked_at, last_used FROM api_tokens \
                 WHERE token_hash = $1 AND revoked_at IS NULL",
            )
            .bind(token_hash)
            .fetch_optional(p)
            .await?;
            Ok(match row {
                Some(r) => Some(token_from_row!(&r)),
                None => None,
            })
        })
    }

    pub async fn tokens(&self) -> Result<Vec<ApiToken>> {
        on_pool!(self, p => {
            let rows = sqlx::query("SELECT id, name, scope, token_hash, created_at, revoked_at, last_used FROM api_tokens ORDER BY created_at, id")
                .fetch_all(p)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(token_from_row!(r));
            }
            Ok(out)
        })
    }

    /// Revokes a token; false when there is no such (unrevoked) token.
    pub async fn revoke_token(&self, id: &str, now: i64) -> Result<bool> {
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

    /// Records that a token was used (callers throttle this to about once a minute).
    pub async fn touch_token(&self, id: &str, now: i64) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("UPDATE api_tokens SET last_used = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(p)
                .await?;
            Ok(())
        })
    }

    pub async fn suppressions(&self) -> Result<Vec<StoredSuppression>> {
        on_pool!(self, p => {
            let rows = sqlx::query(
                "SELECT id, rule, subject, cidr, until, reason, created_by, created_at FROM suppressions ORDER BY created_at, id",
            )
            .fetch_all(p)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(StoredSuppression {
                        id: r.try_get("id")?,
                        suppression: SuppressionFields {
                            rule: r.try_get("rule")?,
                            subject: r.try_get("subject")?,
                            cidr: r.try_get("cidr")?,
                            until: r.try_get("until")?,
                            reason: r.try_get("reason")?,
                        },
                        created_by: r.try_get("created_by")?,
                        created_at: r.try_get("created_at")?,
                    })
                })
                .collect()
        })
    }

    pub async fn add_suppression(&self, s: &StoredSuppression) -> Result<()> {
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

    /// Deletes a suppression; false when there is none with this id.
    pub async fn delete_suppression(&self, id: &str) -> Result<bool> {
        on_pool!(self, p => {
            let n = sqlx::query("DELETE FROM suppressions WHERE id = $1").bind(id).execute(p).await?.rows_affected();
            Ok(n == 1)
        })
    }

    /// Dead letters after row `after`, oldest first, optionally of one source.
    pub async fn dead_letters_page(
        &self,
        after: i64,
        source: Option<&str>,
        limit: i64,
    ) -> Result<Vec<StoredDeadLetter>> {
        on_pool!(self, p => {
            let rows = sqlx::query(
                "SELECT id, source, position, reason, excerpt, received_at FROM dead_letters \
                 WHERE id > $1 AND ($2 IS NULL OR source = $2) ORDER BY id LIMIT $3",
            )
            .bind(after)
            .bind(source)
            .bind(limit)
            .fetch_all(p)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(StoredDeadLetter {
                        id: r.try_get("id")?,
                        letter: DeadLetter {
                            source: r.try_get("source")?,
                            position: r.try_get("position")?,
                            reason: r.try_get("reason")?,
                            excerpt: r.try_get("excerpt")?,
                        },
                        received_at: r.try_get("received_at")?,
                    })
                })
                .collect()
        })
    }

    /// Acknowledges or resolves an alert by hand, writing its SIEM outbox event in the same
    /// transaction. Acknowledging an acknowledged alert changes nothing but is not an error.
    pub async fn set_alert_status(&self, id: &str, status: Status, now: i64) -> Result<StatusChange> {
        if status == Status::Open {
            return Err(Error::Config("an alert cannot be reopened by hand".into()));
        }
        let is_pg = matches!(self, Store::Postgres(_));
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let lock = if is_pg { " FOR UPDATE" } else { "" };
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = $1{lock}")))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let mut alert: Alert = match row {
                Some(r) => {
                    let a: Result<Alert> = alert_from_row!(&r);
                    a?
                }
                None => return Ok(StatusChange::NotFound),
            };
            if alert.status == Status::Resolved {
                return Ok(StatusChange::Resolved);
            }
            if alert.status == status {
                return Ok(StatusChange::Changed(Box::new(alert)));
            }
            alert.status = status;
            sqlx::query("UPDATE alerts SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(status.as_str())
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let event = if status == Status::Resolved { "resolved" } else { "updated" };
            sqlx::query("INSERT INTO outbox (alert_id, event, alert, created_at) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(event)
                .bind(alert.to_json().to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(StatusChange::Changed(Box::new(alert)))
        })
    }
}
