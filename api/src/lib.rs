//! gatewatch HTTP API (axum): per-client series and top-N queries over the store, health.
//!
//! Handlers stay thin: validate the query (every rejection names its parameter), one store
//! call, shape the JSON of DESIGN.md. Errors become problem+json in `error.rs` only.
//! Not yet here (tracked separately): authentication, rate limits, alert acknowledgement,
//! dashboard, Prometheus metrics. `/v1/stats` reports pipeline health as the store sees it.

mod dashboard;
mod error;

pub use error::ApiError;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use gatewatch_core::time::{HOUR_MS, MINUTE_MS, floor_to, parse_time_param, rfc3339};
use gatewatch_core::{ClientKey, Metric, MinuteAgg, Store};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;

/// Most clients one top-N answer lists.
const MAX_LIMIT: usize = 1000;
/// Most points one series answer holds (a week of minutes).
const MAX_POINTS: i64 = 10_080;
/// Longest range a top-N query may cover.
const MAX_RANGE_MS: i64 = 31 * 24 * HOUR_MS;

#[derive(Clone)]
struct Ctx {
    store: Store,
}

/// The API router over `store`.
pub fn router(store: Store) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/v1/stats", get(stats))
        .route("/v1/clients", get(top_clients))
        .route("/v1/clients/{client}/series", get(series))
        .route("/v1/alerts", get(list_alerts))
        .route("/v1/alerts/{id}", get(get_alert))
        .merge(dashboard::routes())
        .fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(axum::middleware::map_response(security_headers))
        .with_state(Ctx { store })
}

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// Serves the API on `listen` until `shutdown` resolves. Calls `ready` with the bound address.
pub async fn serve(
    store: Store,
    listen: SocketAddr,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, router(store)).with_graceful_shutdown(shutdown).await
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Ready when the store answers.
async fn readyz(State(ctx): State<Ctx>) -> Response {
    match ctx.store.ping().await {
        Ok(()) => Json(json!({"status": "ready"})).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readyz: store unreachable");
            ApiError {
                status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
                detail: "the store does not answer".into(),
                param: None,
            }
            .into_response()
        }
    }
}

/// Pipeline health from the store: sources (position, events, last commit), dead letters,
/// newest event minute, alerts by status, SIEM delivery per destination.
async fn stats(State(ctx): State<Ctx>, Query(q): Params) -> Result<Json<Value>, ApiError> {
    if let Some(k) = q.keys().next() {
        return Err(ApiError::bad_param(k, "this route takes no parameters"));
    }
    let s = ctx.store.pipeline_stats().await?;
    let now = chrono::Utc::now().timestamp_millis();
    let sources: Vec<Value> = s
        .sources
        .iter()
        .map(|x| {
            json!({
                "source": x.source, "position": x.position, "events": x.events,
                "last_commit": rfc3339(x.updated_at), "seconds_since_commit": (now - x.updated_at).max(0) / 1000,
            })
        })
        .collect();
    let forward: Vec<Value> = s
        .forward
        .iter()
        .map(|f| {
            json!({
                "destination": f.destination, "delivered": f.delivered, "pending": f.pending,
                "parked": f.parked, "retries": f.attempts, "last_error": f.last_error,
            })
        })
        .collect();
    Ok(Json(json!({
        "sources": sources,
        "firehose": {"requests": s.firehose_requests, "events": s.firehose_events},
        "dead_letters": s.dead_letters,
        "last_event_minute": s.last_event_minute.map(rfc3339),
        "alerts": {"open": s.alerts_open, "acknowledged": s.alerts_acknowledged, "resolved": s.alerts_resolved},
        "outbox_events": s.outbox_events,
        "forward": forward,
    })))
}

type Params = Query<HashMap<String, String>>;

fn reject_unknown(q: &HashMap<String, String>, allowed: &[&str]) -> Result<(), ApiError> {
    match q.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => {
            Err(ApiError::bad_param(k, format!("unknown parameter; this route takes {}", allowed.join(", "))))
        }
        None => Ok(()),
    }
}

/// A time parameter: RFC 3339 or epoch milliseconds; the error names the parameter.
fn time_param(q: &HashMap<String, String>, name: &str) -> Result<Option<i64>, ApiError> {
    q.get(name)
        .map(|v| {
            parse_time_param(v).ok_or_else(|| {
                ApiError::bad_param(name, "expected RFC 3339 (2026-11-24T14:00:00Z) or epoch milliseconds")
            })
        })
        .transpose()
}

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

/// The metrics of DESIGN.md, by name, for one aggregate.
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

async fn top_clients(State(ctx): State<Ctx>, Query(q): Params) -> Result<Json<Value>, ApiError> {
    reject_unknown(&q, &["metric", "from", "to", "limit"])?;
    let metric: Metric = q
        .get("metric")
        .map_or(Ok(Metric::Total), |m| m.parse())
        .map_err(|e| ApiError::bad_param("metric", e))?;
    let limit = match q.get("limit") {
        None => 10,
        Some(l) => l.parse::<usize>().ok().filter(|l| (1..=MAX_LIMIT).contains(l)).ok_or_else(|| {
            ApiError::bad_param("limit", format!("expected an integer from 1 to {MAX_LIMIT}"))
        })?,
    };
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

async fn series(
    State(ctx): State<Ctx>,
    Path(client): Path<String>,
    Query(q): Params,
) -> Result<Response, ApiError> {
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
    let mut buckets: Vec<MinuteAgg> = (0..n).map(|_| MinuteAgg::new()).collect();
    for (minute, agg) in &rows {
        let i = ((minute - from) / step) as usize;
        if let Some(b) = buckets.get_mut(i) {
            b.merge(agg);
        }
    }
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

/// Most alerts one page holds.
const MAX_ALERTS_PAGE: i64 = 500;

/// `GET /v1/alerts?kind=&rule=&severity=&status=&subject=&since=&until=&limit=&cursor=`:
/// newest `last_seen` first; `next_cursor` continues the listing.
async fn list_alerts(State(ctx): State<Ctx>, Query(q): Params) -> Result<Json<Value>, ApiError> {
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
    let time = |name: &str| time_param(&q, name);
    let limit = match q.get("limit") {
        None => 100,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=MAX_ALERTS_PAGE).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_param(
                    "limit",
                    format!("must be an integer from 1 to {MAX_ALERTS_PAGE}"),
                ));
            }
        },
    };
    let after = match q.get("cursor") {
        None => None,
        Some(c) => {
            let bad = || {
                ApiError::bad_param("cursor", "not a cursor returned by this API (use next_cursor as given)")
            };
            let (t, id) = c.split_once('~').ok_or_else(bad)?;
            Some((t.parse::<i64>().map_err(|_| bad())?, id.to_string()))
        }
    };
    let (since, until) = (time("since")?, time("until")?);
    if let (Some(s), Some(u)) = (since, until)
        && s >= u
    {
        return Err(ApiError::bad_param("since", "must be before `until`"));
    }
    let filter = gatewatch_core::store::AlertFilter {
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

async fn get_alert(
    State(ctx): State<Ctx>,
    Path(id): Path<String>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&q, &[])?;
    if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(ApiError::bad_param("id", "alert ids look like alt_3f2a…"));
    }
    match ctx.store.alert(&id).await? {
        Some(a) => Ok(Json(a.to_json())),
        None => Err(ApiError::not_found(format!("no alert {id}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use gatewatch_core::ClientKind;
    use gatewatch_core::store::{BatchWrite, MinuteRow};
    use tower::ServiceExt;

    async fn store_with_data() -> Store {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let mut rows = vec![];
        for (ip, n403) in [("198.51.100.1", 5u16), ("198.51.100.2", 9), ("198.51.100.3", 1)] {
            let mut agg = MinuteAgg::new();
            for i in 0..10u16 {
                let status = if i < n403 { 403 } else { 200 };
                agg.observe(status, 100, Some(i as f64), &format!("/p/{i}"), Some(ip));
            }
            rows.push(MinuteRow {
                client: ClientKey::new(ClientKind::Ip, ip),
                minute: 1_795_531_200_000,
                agg,
            });
        }
        let w = BatchWrite { source: "t".into(), position: "lines=1".into(), rows, ..Default::default() };
        store.commit_batch(w).await.unwrap();
        store
    }

    async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
        let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    #[tokio::test]
    async fn top_clients_orders_by_metric() {
        let app = router(store_with_data().await);
        let (s, v) = get(&app, "/v1/clients?metric=s403&limit=2").await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let c = v["clients"].as_array().unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0]["client"], json!({"type": "ip", "value": "198.51.100.2"}));
        assert_eq!(c[0]["s403"], 9);
        assert_eq!(c[0]["s4xx"], 9);
        assert_eq!(c[0]["total"], 10);
        assert_eq!(c[0]["distinct_paths"], 10);
        assert_eq!(c[1]["s403"], 5);
    }

    #[tokio::test]
    async fn series_is_zero_filled_and_rolls_up() {
        let app = router(store_with_data().await);
        let uri = "/v1/clients/ip:198.51.100.1/series?from=2026-11-24T14:40:00Z&to=2026-11-24T14:45:00Z";
        let (s, v) = get(&app, uri).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let p = v["points"].as_array().unwrap();
        assert_eq!(p.len(), 5);
        assert_eq!(p[0]["t"], "2026-11-24T14:40:00Z");
        assert_eq!(p[0]["total"], 10);
        assert_eq!(p[1]["total"], 0);
        let (_, v) =
            get(&app, "/v1/clients/ip:198.51.100.1/series?from=1795528800000&to=1795536000000&step=1h").await;
        assert_eq!(v["points"].as_array().unwrap().len(), 2);
        assert_eq!(v["points"][0]["total"], 10);
    }

    #[tokio::test]
    async fn bad_input_names_the_parameter() {
        let app = router(store_with_data().await);
        for (uri, param) in [
            ("/v1/clients?metric=s418", "metric"),
            ("/v1/clients?limit=0", "limit"),
            ("/v1/clients?from=yesterday", "from"),
            ("/v1/clients?from=2000&to=1000", "from"),
            ("/v1/clients?bogus=1", "bogus"),
            ("/v1/clients/nobody/series", "client"),
            ("/v1/clients/ip:1.2.3.4/series?step=5m", "step"),
        ] {
            let (s, v) = get(&app, uri).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(v["invalid_params"][0]["name"], param, "{uri}: {v}");
        }
        let (s, _) = get(&app, "/v2/nothing").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let res =
            app.clone().oneshot(Request::post("/v1/clients").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
}
