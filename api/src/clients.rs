//! Per-client series and top-N (ARCHITECTURE.md, "Shapes").

use crate::query::{Query, Time, bounded};
use crate::{ApiError, Ctx, openapi};
use axum::Json;
use axum::extract::{Path, State};
use gatewatch_core::agg::{Merger, Metrics};
use gatewatch_core::time::{DAY_MS, HOUR_MS, MINUTE_MS, floor_to, rfc3339};
use gatewatch_core::{ClientKey, Metric, MinuteAgg};
use gatewatch_store::prelude::*;
use gatewatch_store::{Store, Tier};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Most clients one top-N answer lists.
const MAX_LIMIT: u32 = 1000;
/// Most points one series answer holds (a week of minutes).
const MAX_POINTS: i64 = 10_080;
/// Longest range a top-N query may cover: the store answers it from day rows in the middle
/// (store/src/tiers.rs), so its cost grows with days, not minutes.
const MAX_RANGE_DAYS: i64 = 400;

/// `from`/`to`; by default the last hour of stored data.
async fn time_range(store: &Store, from: Option<Time>, to: Option<Time>) -> Result<(i64, i64), ApiError> {
    let to = match to {
        Some(t) => t.0,
        None => match store.time_range().await? {
            Some((_, last)) => last + MINUTE_MS,
            None => chrono::Utc::now().timestamp_millis(),
        },
    };
    let from = from.map_or(to - HOUR_MS, |t| t.0);
    if from >= to {
        return Err(ApiError::bad_param("from", "must be before `to`"));
    }
    Ok((from, to))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct TopParams {
    /// Order by this metric (default total)
    metric: Option<Metric>,
    /// RFC 3339 or epoch ms (default: `to` minus 1 h)
    #[param(value_type = Option<String>, format = DateTime)]
    from: Option<Time>,
    /// RFC 3339 or epoch ms (default: end of stored data)
    #[param(value_type = Option<String>, format = DateTime)]
    to: Option<Time>,
    /// Clients listed (default 10)
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// A client's metrics summed over the range.
#[derive(Serialize, ToSchema)]
pub(crate) struct ClientMetrics {
    client: ClientKey,
    #[serde(flatten)]
    metrics: Metrics,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct TopClients {
    metric: Metric,
    #[schema(format = DateTime)]
    from: String,
    #[schema(format = DateTime)]
    to: String,
    clients: Vec<ClientMetrics>,
}

/// Clients ordered by one metric summed over the range.
#[utoipa::path(get, path = "/v1/clients", tag = "clients", security(("bearer" = [])),
    params(TopParams),
    responses(
        (status = 200, description = "Top clients", body = TopClients),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn top_clients(
    State(ctx): State<Ctx>,
    Query(q): Query<TopParams>,
) -> Result<Json<TopClients>, ApiError> {
    let metric = q.metric.unwrap_or(Metric::Total);
    let limit = bounded("limit", q.limit, 10, 1..=MAX_LIMIT)? as usize;
    let (from, to) = time_range(&ctx.store, q.from, q.to).await?;
    if to - from > MAX_RANGE_DAYS * DAY_MS {
        return Err(ApiError::bad_param("from", format!("range longer than {MAX_RANGE_DAYS} days")));
    }
    let top = ctx.store.top_clients(metric, from, to, limit).await?;
    Ok(Json(TopClients {
        metric,
        from: rfc3339(from),
        to: rfc3339(to),
        clients: top.iter().map(|(k, a)| ClientMetrics { client: k.clone(), metrics: a.metrics() }).collect(),
    }))
}

/// A series' step.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    #[serde(rename = "1m")]
    Minute,
    #[serde(rename = "1h")]
    Hour,
    #[serde(rename = "1d")]
    Day,
}

impl Step {
    /// The store tier whose rows are this step's points.
    fn tier(self) -> Tier {
        match self {
            Step::Minute => Tier::Minute,
            Step::Hour => Tier::Hour,
            Step::Day => Tier::Day,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SeriesParams {
    /// RFC 3339 or epoch ms
    #[param(value_type = Option<String>, format = DateTime)]
    from: Option<Time>,
    /// RFC 3339 or epoch ms
    #[param(value_type = Option<String>, format = DateTime)]
    to: Option<Time>,
    /// 1m (default), 1h or 1d (UTC days)
    step: Option<Step>,
}

/// One step of a series.
#[derive(Serialize, ToSchema)]
pub(crate) struct Point {
    /// Start of the step, RFC 3339.
    #[schema(format = DateTime)]
    t: String,
    #[serde(flatten)]
    metrics: Metrics,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Series {
    client: ClientKey,
    step: Step,
    #[schema(format = DateTime)]
    from: String,
    #[schema(format = DateTime)]
    to: String,
    points: Vec<Point>,
}

/// One client's series, zero-filled, per minute, hour or UTC day.
#[utoipa::path(get, path = "/v1/clients/{client}/series", tag = "clients", security(("bearer" = [])),
    params(
        ("client" = String, Path, pattern = r"^(principal|api_key|iam|ip):.+$", description = "type:value, e.g. ip:203.0.113.7 or principal:alice"),
        SeriesParams,
    ),
    responses(
        (status = 200, description = "The series", body = Series),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such route: a client value holding `/` (an IAM ARN) must be percent-encoded (`%2F`)", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn series(
    State(ctx): State<Ctx>,
    Path(client): Path<String>,
    Query(q): Query<SeriesParams>,
) -> Result<Json<Series>, ApiError> {
    let client: ClientKey = client.parse().map_err(|e: String| ApiError::bad_param("client", e))?;
    let step_kind = q.step.unwrap_or(Step::Minute);
    let tier = step_kind.tier();
    let step = tier.step_ms();
    let (from, to) = time_range(&ctx.store, q.from, q.to).await?;
    let (from, to) = (floor_to(from, step), floor_to(to - 1, step) + step);
    if (to - from) / step > MAX_POINTS {
        return Err(ApiError::bad_param(
            "step",
            format!(
                "range holds more than {MAX_POINTS} points; use a longer step (1h, 1d) or a shorter range"
            ),
        ));
    }
    // Each point is one stored row of the step's tier.
    let rows = ctx.store.series(tier, &client, from, to).await?;
    // Zero-filled, one point per step, so charts need no gap logic.
    let n = ((to - from) / step) as usize;
    let mut buckets: Vec<Merger> = (0..n).map(|_| Merger::new()).collect();
    for (minute, agg) in &rows {
        let i = ((minute - from) / step) as usize;
        if let Some(b) = buckets.get_mut(i) {
            b.add(agg);
        }
    }
    let points = buckets
        .into_iter()
        .map(Merger::finish)
        .enumerate()
        .map(|(i, a): (usize, MinuteAgg)| Point { t: rfc3339(from + i as i64 * step), metrics: a.metrics() })
        .collect();
    Ok(Json(Series { client, step: step_kind, from: rfc3339(from), to: rfc3339(to), points }))
}
