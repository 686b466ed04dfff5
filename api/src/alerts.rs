//! Alerts: listing with filters and cursor pagination, one alert, acknowledge and resolve.

use crate::{ApiError, Caller, Ctx, Params, openapi, reject_unknown, time_param};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use gatewatch_core::Status;
use gatewatch_store::StatusChange;
use gatewatch_store::prelude::*;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Most alerts one page holds.
const MAX_ALERTS_PAGE: i64 = 500;

/// Alerts, newest `last_seen` first; `next_cursor` continues the listing.
#[utoipa::path(get, path = "/v1/alerts", tag = "alerts", security(("bearer" = [])),
    params(
        ("kind" = Option<openapi::AlertKindName>, Query, description = "Rule family"),
        ("rule" = Option<openapi::RuleName>, Query, description = "Rule"),
        ("severity" = Option<openapi::SeverityName>, Query, description = "Severity"),
        ("status" = Option<openapi::StatusName>, Query, description = "Status"),
        ("subject" = Option<String>, Query, pattern = r"^(principal|api_key|iam|ip|asn|route):.+$", description = "type:value, e.g. ip:203.0.113.7"),
        ("since" = Option<String>, Query, format = DateTime, description = "last_seen >= since (RFC 3339 or epoch ms)"),
        ("until" = Option<String>, Query, format = DateTime, description = "first_seen < until (RFC 3339 or epoch ms)"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 100)"),
        ("cursor" = Option<String>, Query, pattern = r"^-?[0-9]{1,18}~[A-Za-z0-9_]{1,64}$", description = "next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of alerts", body = openapi::AlertPage),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn list_alerts(State(ctx): State<Ctx>, q: Params) -> Result<Json<Value>, ApiError> {
    let q = q.0;
    reject_unknown(
        &q,
        &["kind", "rule", "severity", "status", "subject", "since", "until", "limit", "cursor"],
    )?;
    fn parsed<T: std::str::FromStr<Err = String>>(
        q: &HashMap<String, String>,
        name: &str,
    ) -> Result<Option<T>, ApiError> {
        q.get(name).map(|v| v.parse::<T>().map_err(|e| ApiError::bad_param(name, e))).transpose()
    }
    let limit = crate::int_param(&q, "limit", 100, 1..=MAX_ALERTS_PAGE)?;
    let after = match q.get("cursor") {
        None => None,
        Some(c) => {
            let bad = || {
                ApiError::bad_param("cursor", "not a cursor returned by this API (use next_cursor as given)")
            };
            let (t, id) = c.split_once('~').ok_or_else(bad)?;
            if !valid_id(id) {
                return Err(bad());
            }
            Some((t.parse::<i64>().map_err(|_| bad())?, id.to_string()))
        }
    };
    let (since, until) = (time_param(&q, "since")?, time_param(&q, "until")?);
    if let (Some(s), Some(u)) = (since, until)
        && s >= u
    {
        return Err(ApiError::bad_param("since", "must be before `until`"));
    }
    let filter = gatewatch_store::AlertFilter {
        kind: parsed(&q, "kind")?,
        rule: parsed(&q, "rule")?,
        severity: parsed(&q, "severity")?,
        status: parsed(&q, "status")?,
        subject: parsed(&q, "subject")?,
        since,
        until,
        after,
        limit: limit + 1,
    };
    let mut alerts = ctx.store.alerts(&filter).await?;
    let more = alerts.len() as i64 > limit;
    alerts.truncate(limit as usize);
    let next = if more { alerts.last().map(|a| format!("{}~{}", a.last_seen, a.id)) } else { None };
    Ok(Json(json!({
        "alerts": alerts.iter().map(|a| a.to_json()).collect::<Vec<_>>(),
        "next_cursor": next,
    })))
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn check_id(id: &str) -> Result<(), ApiError> {
    if valid_id(id) { Ok(()) } else { Err(ApiError::bad_param("id", "alert ids look like alt_3f2a…")) }
}

/// One alert with its evidence.
#[utoipa::path(get, path = "/v1/alerts/{id}", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, pattern = r"^[A-Za-z0-9_]{1,64}$", description = "Alert id (alt_…)")),
    responses(
        (status = 200, description = "The alert", body = openapi::Alert),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn get_alert(
    State(ctx): State<Ctx>,
    Path(id): Path<String>,
    q: Params,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&q.0, &[])?;
    check_id(&id)?;
    match ctx.store.alert(&id).await? {
        Some(a) => Ok(Json(a.to_json())),
        None => Err(ApiError::not_found(format!("no alert {id}"))),
    }
}

async fn set_status(
    ctx: Ctx,
    caller: Caller,
    id: String,
    q: Params,
    status: Status,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&q.0, &[])?;
    check_id(&id)?;
    let now = chrono::Utc::now().timestamp_millis();
    match ctx.store.set_alert_status(&id, status, now).await? {
        StatusChange::Changed(a) => {
            tracing::info!(alert = %id, status = status.as_str(), by = %caller.id, "alert status changed");
            Ok(Json(a.to_json()))
        }
        StatusChange::NotFound => Err(ApiError::not_found(format!("no alert {id}"))),
        StatusChange::Resolved => Err(ApiError {
            status: StatusCode::CONFLICT,
            detail: format!("alert {id} is resolved already"),
            param: None,
        }),
    }
}

/// Acknowledge: someone is on it. The detector keeps updating the alert's evidence.
#[utoipa::path(post, path = "/v1/alerts/{id}/ack", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, pattern = r"^[A-Za-z0-9_]{1,64}$", description = "Alert id (alt_…)")),
    responses(
        (status = 200, description = "The acknowledged alert", body = openapi::Alert),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs an admin token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Resolved already", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn ack(
    State(ctx): State<Ctx>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    q: Params,
) -> Result<Json<Value>, ApiError> {
    set_status(ctx, caller, id, q, Status::Acknowledged).await
}

/// Resolve by hand; SIEMs get a `resolved` event. Activity that goes on reopens it.
#[utoipa::path(post, path = "/v1/alerts/{id}/resolve", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, pattern = r"^[A-Za-z0-9_]{1,64}$", description = "Alert id (alt_…)")),
    responses(
        (status = 200, description = "The resolved alert", body = openapi::Alert),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs an admin token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Resolved already", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn resolve(
    State(ctx): State<Ctx>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    q: Params,
) -> Result<Json<Value>, ApiError> {
    set_status(ctx, caller, id, q, Status::Resolved).await
}
