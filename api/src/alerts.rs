//! Alerts: listing with filters and cursor pagination, one alert, acknowledge and resolve.

use crate::query::{NoParams, Query, Time, bounded};
use crate::{ApiError, Caller, Ctx, openapi};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use gatewatch_core::{Alert, AlertKind, Rule, Severity, Status, Subject};
use gatewatch_store::StatusChange;
use gatewatch_store::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Most alerts one page holds.
const MAX_ALERTS_PAGE: u32 = 500;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct AlertParams {
    /// Rule family
    kind: Option<AlertKind>,
    /// Rule
    rule: Option<Rule>,
    /// Severity
    severity: Option<Severity>,
    /// Status
    status: Option<Status>,
    /// type:value, e.g. ip:203.0.113.7
    #[param(value_type = Option<String>, pattern = r"^(principal|api_key|iam|ip|asn|route):.+$")]
    #[serde(default, deserialize_with = "from_str")]
    subject: Option<Subject>,
    /// last_seen >= since (RFC 3339 or epoch ms)
    #[param(value_type = Option<String>, format = DateTime)]
    since: Option<Time>,
    /// first_seen < until (RFC 3339 or epoch ms)
    #[param(value_type = Option<String>, format = DateTime)]
    until: Option<Time>,
    /// Page size (default 100)
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// next_cursor of the previous page
    #[param(pattern = r"^-?[0-9]{1,18}~[A-Za-z0-9_]{1,64}$")]
    cursor: Option<String>,
}

/// A `type:value` parameter through its `FromStr`.
fn from_str<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Subject>, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map(Some).map_err(serde::de::Error::custom)
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AlertPage {
    alerts: Vec<Alert>,
    /// Pass as `cursor` for the next page; null on the last.
    next_cursor: Option<String>,
}

/// Alerts, newest `last_seen` first; `next_cursor` continues the listing.
#[utoipa::path(get, path = "/v1/alerts", tag = "alerts", security(("bearer" = [])),
    params(AlertParams),
    responses(
        (status = 200, description = "A page of alerts", body = AlertPage),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn list_alerts(
    State(ctx): State<Ctx>,
    Query(q): Query<AlertParams>,
) -> Result<Json<AlertPage>, ApiError> {
    let limit = i64::from(bounded("limit", q.limit, 100, 1..=MAX_ALERTS_PAGE)?);
    let after = match q.cursor {
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
    let (since, until) = (q.since.map(|t| t.0), q.until.map(|t| t.0));
    if let (Some(s), Some(u)) = (since, until)
        && s >= u
    {
        return Err(ApiError::bad_param("since", "must be before `until`"));
    }
    let filter = gatewatch_store::AlertFilter {
        kind: q.kind,
        rule: q.rule,
        severity: q.severity,
        status: q.status,
        subject: q.subject,
        since,
        until,
        after,
        limit: limit + 1,
    };
    let mut alerts = ctx.store.alerts(&filter).await?;
    let more = alerts.len() as i64 > limit;
    alerts.truncate(limit as usize);
    let next_cursor = if more { alerts.last().map(|a| format!("{}~{}", a.last_seen, a.id)) } else { None };
    Ok(Json(AlertPage { alerts, next_cursor }))
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
        (status = 200, description = "The alert", body = Alert),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn get_alert(
    State(ctx): State<Ctx>,
    Path(id): Path<String>,
    _: Query<NoParams>,
) -> Result<Json<Alert>, ApiError> {
    check_id(&id)?;
    match ctx.store.alert(&id).await? {
        Some(a) => Ok(Json(a)),
        None => Err(ApiError::not_found(format!("no alert {id}"))),
    }
}

async fn set_status(ctx: Ctx, caller: Caller, id: String, status: Status) -> Result<Json<Alert>, ApiError> {
    check_id(&id)?;
    let now = chrono::Utc::now().timestamp_millis();
    match ctx.store.set_alert_status(&id, status, now).await? {
        StatusChange::Changed(a) => {
            tracing::info!(alert = %id, status = status.as_str(), by = %caller.id, "alert status changed");
            Ok(Json(*a))
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
        (status = 200, description = "The acknowledged alert", body = Alert),
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
    _: Query<NoParams>,
) -> Result<Json<Alert>, ApiError> {
    set_status(ctx, caller, id, Status::Acknowledged).await
}

/// Resolve by hand; SIEMs get a `resolved` event. Activity that goes on reopens it.
#[utoipa::path(post, path = "/v1/alerts/{id}/resolve", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, pattern = r"^[A-Za-z0-9_]{1,64}$", description = "Alert id (alt_…)")),
    responses(
        (status = 200, description = "The resolved alert", body = Alert),
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
    _: Query<NoParams>,
) -> Result<Json<Alert>, ApiError> {
    set_status(ctx, caller, id, Status::Resolved).await
}
