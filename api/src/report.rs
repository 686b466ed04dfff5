//! `GET /v1/report`: the report of `gatewatch report`, served (behind the `report` feature).

use crate::{ApiError, Ctx, Params, openapi, reject_unknown, time_param};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The report of `gatewatch report` over `[from, to)`: top offenders by rule, per-route and
/// per-country 4XX/403/429 rates, week-over-week change, alerts by rule.
#[utoipa::path(get, path = "/v1/report", tag = "reports", security(("bearer" = [])),
    params(
        ("from" = String, Query, format = DateTime, description = "Start (RFC 3339 or epoch ms)"),
        ("to" = String, Query, format = DateTime, description = "End (RFC 3339 or epoch ms)"),
        ("format" = Option<openapi::ReportFormat>, Query, description = "json (default), md or html"),
    ),
    responses(
        (status = 200, description = "The report", body = Object),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn report(State(ctx): State<Ctx>, q: Params) -> Result<Response, ApiError> {
    let q = q.0;
    reject_unknown(&q, &["from", "to", "format"])?;
    let from = time_param(&q, "from")?.ok_or_else(|| ApiError::bad_param("from", "required"))?;
    let to = time_param(&q, "to")?.ok_or_else(|| ApiError::bad_param("to", "required"))?;
    let bad = |e: gatewatch_report::ReportError| match e {
        gatewatch_report::ReportError::BadParameter { field, why } => ApiError::bad_param(field, why),
        gatewatch_report::ReportError::Store(e) => ApiError::from(e),
        other => {
            tracing::error!(error = %other, "report failed");
            ApiError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                detail: "the report could not be computed; see the service log".into(),
                param: None,
            }
        }
    };
    let format =
        gatewatch_report::Format::parse(q.get("format").map_or("json", String::as_str)).map_err(bad)?;
    let report = gatewatch_report::build_report(&ctx.store, from, to).await.map_err(bad)?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], format.render(&report)).into_response())
}
