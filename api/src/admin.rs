//! Operator routes: suppressions (listed with a read token, changed with an admin token) and
//! dead letters (admin: their excerpts are scrubbed, but still log content).

use crate::query::{NoParams, Query, bounded};
use crate::{ApiError, Caller, Ctx, openapi};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use gatewatch_core::Suppression;
use gatewatch_store::prelude::*;
use gatewatch_store::{StoredDeadLetter, StoredSuppression, SuppressionFields};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub(crate) struct SuppressionList {
    suppressions: Vec<StoredSuppression>,
}

/// Suppressions made through the API (those of the config file are listed by `config check`).
#[utoipa::path(get, path = "/v1/suppressions", tag = "suppressions", security(("bearer" = [])),
    responses(
        (status = 200, description = "Suppressions", body = SuppressionList),
        (status = 400, description = "A parameter was given", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn list_suppressions(
    State(ctx): State<Ctx>,
    _: Query<NoParams>,
) -> Result<Json<SuppressionList>, ApiError> {
    Ok(Json(SuppressionList { suppressions: ctx.store.suppressions().await? }))
}

/// A new suppression of one rule, optionally narrowed to a subject or a network, with a reason.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSuppression {
    #[schema(value_type = gatewatch_core::Rule)]
    rule: Option<String>,
    /// `type:value`; absent: every subject.
    #[schema(pattern = r"^(principal|api_key|iam|ip|asn|route):.+$", max_length = 300)]
    subject: Option<String>,
    /// An IPv4 or IPv6 network: suppress when the subject IP or every top IP is inside it.
    #[schema(
        pattern = r"^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$"
    )]
    cidr: Option<String>,
    /// Until when (event time); absent: forever.
    #[schema(format = DateTime)]
    until: Option<String>,
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    reason: String,
}

/// Stop raising matching alerts. Detectors pick it up when they start and every minute after.
#[utoipa::path(post, path = "/v1/suppressions", tag = "suppressions", security(("bearer" = [])),
    request_body(content = NewSuppression, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = StoredSuppression),
        (status = 400, description = "A bad field, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs an admin token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create_suppression(
    State(ctx): State<Ctx>,
    Extension(caller): Extension<Caller>,
    _: Query<NoParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let json_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    });
    if !json_type {
        return Err(ApiError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            detail: "send the body as application/json".into(),
            param: None,
        });
    }
    let n: NewSuppression = serde_json::from_slice(&body).map_err(|e| {
        let msg = e.to_string();
        // serde names the field in backquotes (`unknown field `x``, `missing field `reason``).
        let field = msg.split('`').nth(1).filter(|f| f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        ApiError::bad_param(field.unwrap_or("body"), format!("invalid JSON body: {msg}"))
    })?;
    if n.reason.trim().is_empty() || n.reason.len() > 500 {
        return Err(ApiError::bad_param("reason", "say why, in 1 to 500 characters"));
    }
    // Through the API a suppression always names its rule (the config file may be broader).
    if n.rule.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::bad_param("rule", "name the rule to suppress (e.g. probing)"));
    }
    let s = Suppression {
        rule: n.rule.unwrap_or_default(),
        subject: n.subject.unwrap_or_default(),
        cidr: n.cidr.unwrap_or_default(),
        until: n.until.unwrap_or_default(),
        reason: n.reason,
    };
    for (name, v) in [("rule", &s.rule), ("subject", &s.subject), ("cidr", &s.cidr), ("until", &s.until)] {
        if v.len() > 300 {
            return Err(ApiError::bad_param(name, "longer than 300 characters"));
        }
    }
    if let Err((field, why)) = s.check() {
        return Err(ApiError::bad_param(if field.is_empty() { "rule" } else { &field }, why));
    }
    let mut id = [0u8; 6];
    getrandom::fill(&mut id).map_err(|e| {
        tracing::error!(error = %e, "random source failed");
        ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, detail: "no randomness".into(), param: None }
    })?;
    let stored = StoredSuppression {
        id: format!("sup_{}", hex::encode(id)),
        suppression: SuppressionFields::from(&s),
        created_by: caller.id.clone(),
        created_at: chrono::Utc::now().timestamp_millis(),
    };
    ctx.store.add_suppression(&stored).await?;
    tracing::info!(suppression = %stored.id, by = %caller.id, "suppression created");
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

#[utoipa::path(delete, path = "/v1/suppressions/{id}", tag = "suppressions", security(("bearer" = [])),
    params(("id" = String, Path, pattern = r"^[A-Za-z0-9_]{1,64}$", description = "Suppression id (sup_…)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs an admin token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such suppression", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn delete_suppression(
    State(ctx): State<Ctx>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    _: Query<NoParams>,
) -> Result<StatusCode, ApiError> {
    if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(ApiError::bad_param("id", "suppression ids look like sup_3f2a…"));
    }
    if ctx.store.delete_suppression(&id).await? {
        tracing::info!(suppression = %id, by = %caller.id, "suppression deleted");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("no suppression {id}")))
    }
}

/// Records set aside, oldest first: reason, position, scrubbed excerpt.
#[utoipa::path(get, path = "/v1/dead-letters", tag = "dead letters", security(("bearer" = [])),
    params(DeadLetterParams),
    responses(
        (status = 200, description = "A page of dead letters", body = DeadLetterPage),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs an admin token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn dead_letters(
    State(ctx): State<Ctx>,
    Query(q): Query<DeadLetterParams>,
) -> Result<Json<DeadLetterPage>, ApiError> {
    let after = bounded("after", q.after, 0, 0..=i64::MAX)?;
    let limit = i64::from(bounded("limit", q.limit, 100, 1..=1000)?);
    if let Some(s) = &q.source
        && s.len() > 512
    {
        return Err(ApiError::bad_param("source", "longer than 512 characters"));
    }
    let mut dead_letters = ctx.store.dead_letters_page(after, q.source.as_deref(), limit + 1).await?;
    let more = dead_letters.len() as i64 > limit;
    dead_letters.truncate(limit as usize);
    let next_after = if more { dead_letters.last().map(|d| d.id) } else { None };
    Ok(Json(DeadLetterPage { dead_letters, next_after }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct DeadLetterParams {
    /// Continue after this id (next_after)
    #[param(minimum = 0)]
    after: Option<i64>,
    /// Only this source
    #[param(max_length = 512)]
    source: Option<String>,
    /// Page size (default 100)
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct DeadLetterPage {
    dead_letters: Vec<StoredDeadLetter>,
    /// Pass as `after` for the next page; null on the last.
    next_after: Option<i64>,
}
