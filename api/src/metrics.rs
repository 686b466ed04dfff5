//! Prometheus metrics. Every crate records through the `metrics` facade (ingest: events, bytes,
//! batches, dead letters, scrubber hits, source lag; detect: alerts raised; forward: deliveries);
//! this module installs the one recorder, times API requests, and on each scrape adds the
//! store's view (alerts by status, newest event, seconds since each source committed, SIEM
//! backlog), so `serve` shows pipeline health even when ingestion runs in another process.
//! The names are the ones `dashboards/` queries (a test checks every one of them).

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use gatewatch_core::{Rule, Severity};
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

pub const HTTP_DURATION: &str = "gatewatch_http_request_duration_seconds";
pub const RATE_LIMITED: &str = "gatewatch_http_rate_limited_total";

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder (once) and returns the handle that renders it.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full(HTTP_DURATION.into()),
                    &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
                )
                .expect("bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder may be installed already (tests); ours then stays silent.
            let _ = metrics::set_global_recorder(recorder);
            describe();
            handle
        })
        .clone()
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!("gatewatch_events_ingested_total", "Access-log events counted, by source kind");
    describe_counter!("gatewatch_bytes_ingested_total", "Bytes of log lines read, by source kind");
    describe_counter!("gatewatch_batches_committed_total", "Batches committed to the store, by source kind");
    describe_gauge!(
        "gatewatch_source_lag_seconds",
        "How far a live source is behind (Kinesis MillisBehindLatest)"
    );
    describe_gauge!(
        "gatewatch_source_seconds_since_commit",
        "Seconds since each stored source last committed"
    );
    describe_counter!("gatewatch_dead_letters_total", "Records set aside, by reason");
    describe_counter!("gatewatch_scrub_hits_total", "Secrets and personal data redacted, by kind");
    describe_counter!("gatewatch_alerts_raised_total", "Alerts opened by the detector, by rule and severity");
    describe_gauge!("gatewatch_alerts", "Alerts in the store, by status, rule and severity");
    describe_gauge!(
        "gatewatch_last_event_timestamp_seconds",
        "Start of the newest stored minute (event time)"
    );
    describe_counter!("gatewatch_forward_delivered_total", "Alert events delivered, by SIEM destination");
    describe_gauge!("gatewatch_forward_pending", "Alert events waiting for delivery, by SIEM destination");
    describe_gauge!("gatewatch_forward_parked", "Alert events a destination refused, set aside");
    describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "API request latency by route, method and status"
    );
    describe_counter!(RATE_LIMITED, "API requests refused with 429");
    // Zero-valued series exist from the start, so rate() and the dashboards have data.
    metrics::counter!(RATE_LIMITED).absolute(0);
}

/// Times every request by its route template (never the raw path: ids stay out of labels).
pub async fn track(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |m| m.as_str()).to_string();
    // Any token is a valid HTTP method: only the standard ones become label values.
    let method = match req.method().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    };
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::histogram!(HTTP_DURATION, "route" => route, "method" => method, "status" => status)
        .record(start.elapsed().as_secs_f64());
    res
}

/// Sets the gauges that come from the store, then renders everything.
pub async fn render(handle: &PrometheusHandle, store: &Store) -> Result<String, gatewatch_store::Error> {
    let stats = store.pipeline_stats().await?;
    let counts = store.alert_counts().await?;
    let now = chrono::Utc::now().timestamp_millis();
    for status in ["open", "acknowledged", "resolved"] {
        for rule in Rule::ALL {
            for sev in [Severity::Low, Severity::Medium, Severity::High, Severity::Critical] {
                let n = counts
                    .iter()
                    .find(|(st, r, sv, _)| st == status && r == rule.as_str() && sv == sev.as_str())
                    .map_or(0, |c| c.3);
                metrics::gauge!("gatewatch_alerts", "status" => status, "rule" => rule.as_str(), "severity" => sev.as_str())
                    .set(n as f64);
            }
        }
    }
    if let Some(t) = stats.last_event_minute {
        metrics::gauge!("gatewatch_last_event_timestamp_seconds").set(t as f64 / 1000.0);
    }
    let since = |t: i64| (now - t).max(0) as f64 / 1000.0;
    for s in &stats.sources {
        metrics::gauge!("gatewatch_source_seconds_since_commit", "source" => s.source.clone())
            .set(since(s.updated_at));
    }
    // Firehose requests are one source each; the receiver is one series.
    if let Some(t) = stats.firehose_last_commit {
        metrics::gauge!("gatewatch_source_seconds_since_commit", "source" => "firehose").set(since(t));
    }
    for f in &stats.forward {
        let d = f.destination.clone();
        metrics::counter!("gatewatch_forward_delivered_total", "destination" => d.clone())
            .absolute(f.delivered as u64);
        metrics::gauge!("gatewatch_forward_pending", "destination" => d.clone()).set(f.pending as f64);
        metrics::gauge!("gatewatch_forward_parked", "destination" => d).set(f.parked as f64);
    }
    Ok(handle.render())
}
