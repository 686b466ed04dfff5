//! gatewatch HTTP API (axum): alerts, client series, suppressions, dead letters, pipeline
//! health, Prometheus metrics, the OpenAPI document and the web dashboard.
//!
//! Handlers stay thin: validate the input (every rejection names its parameter), one store
//! call, shape the JSON of ARCHITECTURE.md, "Shapes". Errors become problem+json in `error.rs` only.
//!
//! The API practises what gatewatch preaches (ARCHITECTURE.md, invariant 6): every data route needs a
//! bearer token (`auth.rs`; read or admin scope, checked per route), each caller is rate-limited
//! (429 + Retry-After), bodies are capped, requests time out, unknown routes and methods get
//! 404/405, unknown query parameters are refused by name, CORS is closed unless origins are
//! configured, and no header is ever logged.

mod admin;
mod alerts;
pub mod auth;
mod clients;
pub mod config;
mod dashboard;
mod error;
pub mod metrics;
pub mod openapi;
mod query;
mod report;

pub use auth::{Caller, JwtVerifier, Scope};
pub use error::ApiError;

use crate::config::ApiConfig;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gatewatch_core::time::rfc3339;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use metrics_exporter_prometheus::PrometheusHandle;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub(crate) struct Ctx {
    pub store: Store,
    auth: Arc<auth::Authenticator>,
    /// Requests per caller (token id or SSO subject).
    limiter: Arc<DefaultKeyedRateLimiter<String>>,
    /// Failed authentications per address (same quota as a token): a token-guessing flood gets
    /// 429 instead of a store query per guess.
    failures: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    metrics: PrometheusHandle,
    metrics_public: bool,
}

/// The API router over `store`. `jwt` enables SSO tokens beside the API's own.
pub fn router(store: Store, cfg: &ApiConfig, jwt: Option<Arc<JwtVerifier>>) -> Router {
    let per_minute = NonZeroU32::new(cfg.rate_limit_per_minute.max(1)).expect("max(1) is not zero");
    let burst = NonZeroU32::new(cfg.rate_limit_burst.max(1)).expect("max(1) is not zero");
    let ctx = Ctx {
        auth: Arc::new(auth::Authenticator::new(store.clone(), jwt)),
        store,
        limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst))),
        failures: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst))),
        metrics: metrics::install(),
        metrics_public: cfg.metrics_public,
    };
    let read = Router::new()
        .route("/v1/stats", get(stats))
        .route("/v1/clients", get(clients::top_clients))
        .route("/v1/clients/{client}/series", get(clients::series))
        .route("/v1/alerts", get(alerts::list_alerts))
        .route("/v1/alerts/{id}", get(alerts::get_alert))
        .route("/v1/suppressions", get(admin::list_suppressions));
    let read = read.route("/v1/report", get(report::report));
    let read = read.route_layer(middleware::from_fn_with_state(ctx.clone(), require_read));
    let admin = Router::new()
        .route("/v1/alerts/{id}/ack", post(alerts::ack))
        .route("/v1/alerts/{id}/resolve", post(alerts::resolve))
        .route("/v1/suppressions", post(admin::create_suppression))
        .route("/v1/suppressions/{id}", axum::routing::delete(admin::delete_suppression))
        .route("/v1/dead-letters", get(admin::dead_letters))
        .route_layer(middleware::from_fn_with_state(ctx.clone(), require_admin));
    let mut app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_route))
        .route("/openapi.json", get(openapi_json))
        .merge(dashboard::routes())
        .merge(read)
        .merge(admin)
        .fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(axum::extract::DefaultBodyLimit::max(cfg.max_body_bytes))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(cfg.max_body_bytes))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(cfg.request_timeout_secs),
        ))
        .layer(middleware::map_response(problem_for_bare_errors))
        .layer(middleware::map_response(security_headers));
    if !cfg.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = cfg.cors_origins.iter().filter_map(|o| o.parse().ok()).collect();
        app = app.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .max_age(Duration::from_secs(600)),
        );
    }
    let limiter = Arc::clone(&ctx.limiter);
    let failures = Arc::clone(&ctx.failures);
    // Keyed limiters forget idle keys, so memory follows active callers, not history.
    if tokio::runtime::Handle::try_current().is_ok() {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                limiter.retain_recent();
                failures.retain_recent();
                limiter.shrink_to_fit();
                failures.shrink_to_fit();
            }
        });
    }
    app.layer(middleware::from_fn(metrics::track)).with_state(ctx)
}

async fn require_read(State(ctx): State<Ctx>, req: Request, next: Next) -> Response {
    authorize(ctx, Scope::Read, req, next).await
}

async fn require_admin(State(ctx): State<Ctx>, req: Request, next: Next) -> Response {
    authorize(ctx, Scope::Admin, req, next).await
}

/// Authenticates, rate-limits, then checks the scope; the caller rides in the request.
async fn authorize(ctx: Ctx, need: Scope, mut req: Request, next: Next) -> Response {
    let caller = match caller(&ctx, &req).await {
        Ok(c) => c,
        Err(e) => return e,
    };
    if caller.scope < need {
        return ApiError {
            status: StatusCode::FORBIDDEN,
            detail: format!("this route needs a token with the {} scope", need.as_str()),
            param: None,
        }
        .into_response();
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// The request's caller, rate-limited. Reads what it needs before awaiting (a request body is
/// not `Sync`, so a borrowed request cannot live across an await).
fn caller(ctx: &Ctx, req: &Request) -> impl Future<Output = Result<Caller, Response>> + Send + 'static {
    let header = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let ctx = ctx.clone();
    async move { caller_from(&ctx, header, ip).await }
}

async fn caller_from(ctx: &Ctx, header: Option<String>, ip: Option<IpAddr>) -> Result<Caller, Response> {
    match ctx.auth.authenticate(header.as_deref()).await {
        Ok(c) => match ctx.limiter.check_key(&c.id) {
            Ok(()) => Ok(c),
            Err(not_until) => {
                let wait = not_until
                    .wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
                Err(too_many(wait))
            }
        },
        Err(e) => {
            if let Some(ip) = ip
                && let Err(not_until) = ctx.failures.check_key(&ip)
            {
                let wait = not_until
                    .wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
                return Err(too_many(wait));
            }
            Err(e.into_response())
        }
    }
}

fn too_many(wait: Duration) -> Response {
    ::metrics::counter!(metrics::RATE_LIMITED).increment(1);
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut res = ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        detail: format!("rate limit reached; retry in {secs} s"),
        param: None,
    }
    .into_response();
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    res
}

/// Layers and extractors that answer on their own (body too large, timeout, an undecodable
/// path or query) send plain text: give them the problem+json body every other error has.
async fn problem_for_bare_errors(res: Response) -> Response {
    let status = res.status();
    let problem = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v == "application/problem+json");
    if (status.is_client_error() || status.is_server_error()) && !problem {
        let detail = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "request body too large",
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => "the request took too long",
            StatusCode::BAD_REQUEST => "the request's path, query string or body could not be decoded",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "send the body as application/json",
            s => s.canonical_reason().unwrap_or("error"),
        };
        let mut out = ApiError { status, detail: detail.into(), param: None }.into_response();
        if let Some(v) = res.headers().get(header::RETRY_AFTER) {
            out.headers_mut().insert(header::RETRY_AFTER, v.clone());
        }
        return out;
    }
    res
}

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    res
}

/// Serves the API on `listen` until `shutdown` resolves. Calls `ready` with the bound address.
/// Loads the SSO key set first when `[api.jwt]` is configured.
pub async fn serve(
    store: Store,
    cfg: &ApiConfig,
    listen: SocketAddr,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let jwt = if cfg.jwt.issuer.is_empty() {
        None
    } else {
        let v = JwtVerifier::load(&cfg.jwt).await.map_err(std::io::Error::other)?;
        if !cfg.jwt.jwks_url.is_empty() {
            v.spawn_refresh();
        }
        Some(v)
    };
    let listener = tokio::net::TcpListener::bind(listen).await?;
    ready(listener.local_addr()?);
    let app = router(store, cfg, jwt);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// The probe listener of a worker without the API (`gatewatch ingest --metrics-listen`):
/// `/healthz`, `/readyz` and `/metrics` without a token, for a scraper and a health check on
/// the worker's private network. Nothing else is served on it.
pub async fn serve_probes(
    store: Store,
    listen: SocketAddr,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let ctx = Ctx {
        auth: Arc::new(auth::Authenticator::new(store.clone(), None)),
        store,
        limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(NonZeroU32::MIN))),
        failures: Arc::new(RateLimiter::keyed(Quota::per_minute(NonZeroU32::MIN))),
        metrics: metrics::install(),
        metrics_public: true,
    };
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_route))
        .fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(10),
        ))
        .with_state(ctx);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "The process is up", body = openapi::Health)))]
async fn healthz() -> Json<openapi::Health> {
    Json(openapi::Health { status: "ok" })
}

/// Ready when the store answers.
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, description = "The store answers", body = openapi::Health),
    (status = 503, description = "The store does not answer", body = openapi::Problem, content_type = "application/problem+json")))]
async fn readyz(State(ctx): State<Ctx>) -> Response {
    match ctx.store.ping().await {
        Ok(()) => Json(openapi::Health { status: "ready" }).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readyz: store unreachable");
            ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                detail: "the store does not answer".into(),
                param: None,
            }
            .into_response()
        }
    }
}

/// Prometheus text exposition. Needs a read token unless `api.metrics_public` is set.
#[utoipa::path(get, path = "/metrics", tag = "health", security(("bearer" = [])), responses(
    (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
    (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
    (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json")))]
async fn metrics_route(State(ctx): State<Ctx>, req: Request) -> Response {
    if !ctx.metrics_public
        && let Err(res) = caller(&ctx, &req).await
    {
        return res;
    }
    match metrics::render(&ctx.metrics, &ctx.store).await {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn openapi_json() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi::document()).into_response()
}

/// Pipeline health from the store: sources (position, events, last commit), dead letters,
/// newest event minute, alerts by status, SIEM delivery per destination.
#[utoipa::path(get, path = "/v1/stats", tag = "health", security(("bearer" = [])), responses(
    (status = 200, description = "Pipeline health", body = Stats),
    (status = 400, description = "A parameter was given", body = openapi::Problem, content_type = "application/problem+json"),
    (status = 401, description = "No valid token", body = openapi::Problem, content_type = "application/problem+json"),
    (status = 429, description = "Rate limited", body = openapi::Problem, content_type = "application/problem+json")))]
async fn stats(State(ctx): State<Ctx>, _: query::Query<query::NoParams>) -> Result<Json<Stats>, ApiError> {
    let s = ctx.store.pipeline_stats().await?;
    let now = chrono::Utc::now().timestamp_millis();
    Ok(Json(Stats {
        sources: s
            .sources
            .into_iter()
            .map(|x| SourceStat {
                seconds_since_commit: (now - x.updated_at).max(0) / 1000,
                last_commit: rfc3339(x.updated_at),
                source: x.source,
                position: x.position,
                events: x.events,
            })
            .collect(),
        firehose: FirehoseStat { requests: s.firehose_requests, events: s.firehose_events },
        dead_letters: s.dead_letters,
        last_event_minute: s.last_event_minute.map(rfc3339),
        alerts: AlertCounts {
            open: s.alerts_open,
            acknowledged: s.alerts_acknowledged,
            resolved: s.alerts_resolved,
        },
        outbox_events: s.outbox_events,
        forward: s
            .forward
            .into_iter()
            .map(|f| ForwardStat {
                destination: f.destination,
                delivered: f.delivered,
                pending: f.pending,
                parked: f.parked,
                retries: f.attempts,
                last_error: f.last_error,
            })
            .collect(),
    }))
}

/// Pipeline health as the store sees it.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct Stats {
    sources: Vec<SourceStat>,
    firehose: FirehoseStat,
    dead_letters: i64,
    #[schema(format = DateTime)]
    last_event_minute: Option<String>,
    alerts: AlertCounts,
    outbox_events: i64,
    forward: Vec<ForwardStat>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct SourceStat {
    source: String,
    position: String,
    events: i64,
    #[schema(format = DateTime)]
    last_commit: String,
    seconds_since_commit: i64,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct FirehoseStat {
    requests: i64,
    events: i64,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct AlertCounts {
    open: i64,
    acknowledged: i64,
    resolved: i64,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct ForwardStat {
    destination: String,
    delivered: i64,
    pending: i64,
    parked: i64,
    retries: i64,
    last_error: Option<String>,
}

#[cfg(test)]
mod tests;
