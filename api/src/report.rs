//! `GET /v1/report`: the report of `gatewatch report`, served (behind the `report` feature).

use crate::query::{Query, Time};
use crate::{ApiError, Ctx, openapi};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReportParams {
    /// Start (RFC 3339 or epoch ms)
    #[param(value_type = String, format = DateTime)]
    from: Time,
    /// End (RFC 3339 or epoch ms)
    #[param(value_type = String, format = DateTime)]
    to: Time,
    /// json (default), md or html
    #[param(value_type = Option<openapi::ReportFormat>)]
    format: Option<String>,
}

/// The report of `gatewatch report` over `[from, to)`: top offenders by rule, per-route and
/// per-country 4XX/403/429 rates, week-over-week change, alerts by rule.
#[utoipa::path(get, path = "/v1/report", tag = "reports", security(("bearer" = [])),
    params(ReportParams),
    responses(
        (status = 200, description = "The report: JSON, Markdown or HTML as `format` asks", content((Object = "application/json"), (String = "text/markdown"), (String = "text/html"))),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn report(
    State(ctx): State<Ctx>,
    Query(q): Query<ReportParams>,
) -> Result<Response, ApiError> {
    let (from, to) = (q.from.0, q.to.0);
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
    let format = gatewatch_report::Format::parse(q.format.as_deref().unwrap_or("json")).map_err(bad)?;
    let report = gatewatch_report::build_report(&ctx.store, from, to).await.map_err(bad)?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], format.render(&report)).into_response())
}
