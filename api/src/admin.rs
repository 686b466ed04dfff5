//! Operator routes: suppressions (listed with a read token, changed with an admin token) and
//! dead letters (admin: their excerpts are scrubbed, but still log content).

use crate::{ApiError, Caller, Ctx, Params, openapi, reject_unknown};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use gatewatch_core::config::Suppression;
use gatewatch_store::prelude::*;
use gatewatch_store::{StoredSuppression, SuppressionFields};
use serde_json::{Value, json};

/// Suppressions made through the API (those of the config file are listed by `config check`).
#[utoipa::path(get, path = "/v1/suppressions", tag = "suppressions", security(("bearer" = [])),
    responses(
        (status = 200, description = "Suppressions", body = openapi::SuppressionList),
        (status = 400, description = "A parameter was given", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn list_suppressions(State(ctx): State<Ctx>, q: Params) -> Result<Json<Value>, ApiError> {
    reject_unknown(&q.0, &[])?;
    let list = ctx.store.suppressions().await?;
    Ok(Json(json!({ "suppressions": list })))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSuppression {
    rule: Option<String>,
    subject: Option<String>,
    cidr: Option<String>,
    until: Option<String>,
    reason: String,
}

/// Stop raising matching alerts. Detectors pick it up when they start and every minute after.
#[utoipa::path(post, path = "/v1/suppressions", tag = "suppressions", security(("bearer" = [])),
    request_body(content = openapi::SuppressionInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = openapi::Suppression),
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
    q: Params,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    reject_unknown(&q.0, &[])?;
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
    Ok((StatusCode::CREATED, Json(json!(stored))).into_response())
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
    q: Params,
) -> Result<StatusCode, ApiError> {
    reject_unknown(&q.0, &[])?;
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
    params(
        ("after" = Option<i64>, Query, minimum = 0, description = "Continue after this id (next_after)"),
        ("source" = Option<String>, Query, max_length = 512, description = "Only this source"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "Page size (default 100)"),
    ),
    responses(
        (status = 200, description = "A page of dead letters", body = openapi::DeadLetterPage),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs an admin token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn dead_letters(State(ctx): State<Ctx>, q: Params) -> Result<Json<Value>, ApiError> {
    let q = q.0;
    reject_unknown(&q, &["after", "source", "limit"])?;
    let after = crate::int_param(&q, "after", 0, 0..=i64::MAX)?;
    let limit = crate::int_param(&q, "limit", 100, 1..=1000)?;
    if let Some(s) = q.get("source")
        && s.len() > 512
    {
        return Err(ApiError::bad_param("source", "longer than 512 characters"));
    }
    let page = ctx.store.dead_letters_page(after, q.get("source").map(String::as_str), limit + 1).await?;
    let more = page.len() as i64 > limit;
    let page = &page[..page.len().min(limit as usize)];
    Ok(Json(json!({
        "dead_letters": page,
        "next_after": if more { page.last().map(|d| d.id) } else { None },
    })))
}
