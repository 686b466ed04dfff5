//! Alerts and detector profiles: what the detector resumes from, what the API lists, and the
//! operator's status changes (acknowledge, resolve), each with its SIEM outbox event in the
//! same transaction.

use crate::Store;
use crate::error::{Error, Result};
use crate::records::{ALERT_COLUMNS, AlertRecord, ProfileRecord, convert};
use gatewatch_core::alert::{Alert, AlertKind, ProfileRow, Rule, Severity, Status, Subject};

/// Which alerts [`AlertStore::alerts`] returns; empty fields do not filter.
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

/// Why a status change was not made.
#[derive(Debug, Clone, PartialEq)]
pub enum StatusChange {
    Changed(Box<Alert>),
    NotFound,
    /// The alert is resolved already (a resolved alert is not reopened by hand).
    Resolved,
}

/// Alerts and detector profiles.
pub trait AlertStore {
    /// Alerts matching `f`, newest `last_seen` first.
    fn alerts(&self, f: &AlertFilter) -> impl Future<Output = Result<Vec<Alert>>> + Send;

    fn alert(&self, id: &str) -> impl Future<Output = Result<Option<Alert>>> + Send;

    /// Alerts not yet resolved: the detector resumes their lifecycle after a restart.
    fn unresolved_alerts(&self) -> impl Future<Output = Result<Vec<Alert>>> + Send;

    /// Alerts whose first evidence is in `[from, to)`, oldest first (each alert in one day of
    /// an export).
    fn alerts_first_seen(&self, from: i64, to: i64) -> impl Future<Output = Result<Vec<Alert>>> + Send;

    /// Alerts with evidence in `[from, to)` (`last_seen >= from` and `first_seen < to`).
    fn alerts_overlapping(&self, from: i64, to: i64) -> impl Future<Output = Result<Vec<Alert>>> + Send;

    /// Acknowledges or resolves an alert by hand, writing its SIEM outbox event in the same
    /// transaction. Acknowledging an acknowledged alert changes nothing but is not an error.
    fn set_alert_status(
        &self,
        id: &str,
        status: Status,
        now: i64,
    ) -> impl Future<Output = Result<StatusChange>> + Send;

    /// Every detector profile (loaded once when a detector starts).
    fn profiles(&self) -> impl Future<Output = Result<Vec<ProfileRow>>> + Send;
}

impl AlertStore for Store {
    async fn alerts(&self, f: &AlertFilter) -> Result<Vec<Alert>> {
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
        let rows: Vec<AlertRecord> = on_pool!(self, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for b in &binds {
                q = match b {
                    Bind::I(v) => q.bind(*v),
                    Bind::S(v) => q.bind(v.clone()),
                };
            }
            q.fetch_all(p).await?
        });
        convert(rows)
    }

    async fn alert(&self, id: &str) -> Result<Option<Alert>> {
        let row: Option<AlertRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = $1")))
                .bind(id)
                .fetch_optional(p)
                .await?
        });
        row.map(Alert::try_from).transpose()
    }

    async fn unresolved_alerts(&self) -> Result<Vec<Alert>> {
        let rows: Vec<AlertRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ALERT_COLUMNS} FROM alerts WHERE status <> 'resolved' ORDER BY id"
            )))
            .fetch_all(p)
            .await?
        });
        convert(rows)
    }

    async fn alerts_first_seen(&self, from: i64, to: i64) -> Result<Vec<Alert>> {
        let rows: Vec<AlertRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ALERT_COLUMNS} FROM alerts WHERE first_seen >= $1 AND first_seen < $2 ORDER BY first_seen, id"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?
        });
        convert(rows)
    }

    async fn alerts_overlapping(&self, from: i64, to: i64) -> Result<Vec<Alert>> {
        let rows: Vec<AlertRecord> = on_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {ALERT_COLUMNS} FROM alerts WHERE last_seen >= $1 AND first_seen < $2 ORDER BY first_seen, id"
            )))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?
        });
        convert(rows)
    }

    async fn set_alert_status(&self, id: &str, status: Status, now: i64) -> Result<StatusChange> {
        if status == Status::Open {
            return Err(Error::Refused("an alert cannot be reopened by hand".into()));
        }
        let is_pg = matches!(self, Store::Postgres(_));
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let lock = if is_pg { " FOR UPDATE" } else { "" };
            let row: Option<AlertRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = $1{lock}")))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let mut alert: Alert = match row {
                Some(r) => Alert::try_from(r)?,
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

    async fn profiles(&self) -> Result<Vec<ProfileRow>> {
        let rows: Vec<ProfileRecord> = on_pool!(self, p => {
            sqlx::query_as("SELECT key, data, updated_at FROM profiles ORDER BY key").fetch_all(p).await?
        });
        Ok(rows.into_iter().map(ProfileRow::from).collect())
    }
}
