//! Per-client series and top-N (ARCHITECTURE.md, "Shapes").

use crate::{ApiError, Ctx, Params, openapi, reject_unknown, time_param};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use gatewatch_core::agg::Merger;
use gatewatch_core::time::{HOUR_MS, MINUTE_MS, floor_to, rfc3339};
use gatewatch_core::{ClientKey, Metric, MinuteAgg};
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Most clients one top-N answer lists.
const MAX_LIMIT: usize = 1000;
/// Most points one series answer holds (a week of minutes).
const MAX_POINTS: i64 = 10_080;
/// Longest range a top-N query may cover.
const MAX_RANGE_MS: i64 = 31 * 24 * HOUR_MS;

/// `from`/`to` (RFC 3339 or epoch ms); by default the last hour of stored data.
async fn time_range(store: &Store, q: &HashMap<String, String>) -> Result<(i64, i64), ApiError> {
    let parse = |name: &str| time_param(q, name);
    let (from, to) = (parse("from")?, parse("to")?);
    let to = match to {
        Some(t) => t,
        None => match store.time_range().await? {
            Some((_, last)) => last + MINUTE_MS,
            None => chrono::Utc::now().timestamp_millis(),
        },
    };
    let from = from.unwrap_or(to - HOUR_MS);
    if from >= to {
        return Err(ApiError::bad_param("from", "must be before `to`"));
    }
    Ok((from, to))
}

fn num(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |x| json!((x * 10.0).round() / 10.0))
}

/// The metrics of a client-minute (ARCHITECTURE.md, "Shapes"), by name, for one aggregate.
fn metrics(a: &MinuteAgg, out: &mut Map<String, Value>) {
    let c = &a.counts;
    for (name, v) in [
        ("total", c.total),
        ("s2xx", c.s2xx),
        ("s3xx", c.s3xx),
        ("s4xx", c.s4xx),
        ("s401", c.s401),
        ("s403", c.s403),
        ("s404", c.s404),
        ("s429", c.s429),
        ("s5xx", c.s5xx),
        ("bytes", c.bytes),
    ] {
        out.insert(name.into(), json!(v));
    }
    out.insert("latency_p50_ms".into(), num(a.latency_p50_ms()));
    out.insert("latency_p95_ms".into(), num(a.latency_p95_ms()));
    out.insert("latency_max_ms".into(), num(a.latency_max_ms));
    out.insert("distinct_paths".into(), json!(a.distinct_paths()));
    out.insert("distinct_ips".into(), json!(a.distinct_ips()));
}

/// Clients ordered by one metric summed over the range.
#[utoipa::path(get, path = "/v1/clients", tag = "clients", security(("bearer" = [])),
    params(
        ("metric" = Option<openapi::MetricName>, Query, description = "Order by this metric (default total)"),
        ("from" = Option<String>, Query, format = DateTime, description = "RFC 3339 or epoch ms (default: `to` minus 1 h)"),
        ("to" = Option<String>, Query, format = DateTime, description = "RFC 3339 or epoch ms (default: end of stored data)"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "Clients listed (default 10)"),
    ),
    responses(
        (status = 200, description = "Top clients", body = openapi::TopClients),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn top_clients(State(ctx): State<Ctx>, q: Params) -> Result<Json<Value>, ApiError> {
    let q = q.0;
    reject_unknown(&q, &["metric", "from", "to", "limit"])?;
    let metric: Metric = q
        .get("metric")
        .map_or(Ok(Metric::Total), |m| m.parse())
        .map_err(|e| ApiError::bad_param("metric", e))?;
    let limit = crate::int_param(&q, "limit", 10, 1..=MAX_LIMIT as i64)? as usize;
    let (from, to) = time_range(&ctx.store, &q).await?;
    if to - from > MAX_RANGE_MS {
        return Err(ApiError::bad_param("from", "range longer than 31 days"));
    }
    let top = ctx.store.top_clients(metric, from, to, limit).await?;
    let clients: Vec<Value> = top
        .iter()
        .map(|(k, a)| {
            let mut m = Map::new();
            m.insert("client".into(), json!(k));
            metrics(a, &mut m);
            Value::Object(m)
        })
        .collect();
    Ok(Json(json!({
        "metric": metric.as_str(),
        "from": rfc3339(from),
        "to": rfc3339(to),
        "clients": clients,
    })))
}

/// One client's series, zero-filled, per minute or per hour.
#[utoipa::path(get, path = "/v1/clients/{client}/series", tag = "clients", security(("bearer" = [])),
    params(
        ("client" = String, Path, pattern = r"^(principal|api_key|iam|ip):.+$", description = "type:value, e.g. ip:203.0.113.7 or principal:alice"),
        ("from" = Option<String>, Query, format = DateTime, description = "RFC 3339 or epoch ms"),
        ("to" = Option<String>, Query, format = DateTime, description = "RFC 3339 or epoch ms"),
        ("step" = Option<openapi::Step>, Query, description = "1m (default) or 1h"),
    ),
    responses(
        (status = 200, description = "The series", body = openapi::Series),
        (status = 400, description = "A bad parameter, named", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn series(
    State(ctx): State<Ctx>,
    Path(client): Path<String>,
    q: Params,
) -> Result<Response, ApiError> {
    let q = q.0;
    reject_unknown(&q, &["from", "to", "step"])?;
    let client: ClientKey = client.parse().map_err(|e: String| ApiError::bad_param("client", e))?;
    let step = match q.get("step").map(String::as_str) {
        None | Some("1m") => MINUTE_MS,
        Some("1h") => HOUR_MS,
        Some(_) => return Err(ApiError::bad_param("step", "expected 1m or 1h")),
    };
    let (from, to) = time_range(&ctx.store, &q).await?;
    let (from, to) = (floor_to(from, step), floor_to(to - 1, step) + step);
    if (to - from) / step > MAX_POINTS {
        return Err(ApiError::bad_param(
            "step",
            format!("range holds more than {MAX_POINTS} points; use step=1h or a shorter range"),
        ));
    }
    let rows = ctx.store.series(&client, from, to).await?;
    // Zero-filled, one point per step, so charts need no gap logic.
    let n = ((to - from) / step) as usize;
    let mut buckets: Vec<Merger> = (0..n).map(|_| Merger::new()).collect();
    for (minute, agg) in &rows {
        let i = ((minute - from) / step) as usize;
        if let Some(b) = buckets.get_mut(i) {
            b.add(agg);
        }
    }
    let buckets: Vec<MinuteAgg> = buckets.into_iter().map(Merger::finish).collect();
    let points: Vec<Value> = buckets
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut m = Map::new();
            m.insert("t".into(), json!(rfc3339(from + i as i64 * step)));
            metrics(a, &mut m);
            Value::Object(m)
        })
        .collect();
    Ok(Json(json!({
        "client": client,
        "step": if step == MINUTE_MS { "1m" } else { "1h" },
        "from": rfc3339(from),
        "to": rfc3339(to),
        "points": points,
    }))
    .into_response())
}
