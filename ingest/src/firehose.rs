//! The Amazon Data Firehose HTTP endpoint receiver ("HTTP endpoint delivery request and
//! response specifications").
//!
//! Firehose POSTs `{"requestId", "timestamp", "records": [{"data": base64}]}` with the headers
//! `X-Amz-Firehose-Request-Id`, `X-Amz-Firehose-Access-Key` and optionally
//! `Content-Encoding: gzip`; for a CloudWatch Logs subscription each record's data is a gzip
//! CWL envelope. The answer is `{"requestId", "timestamp"}` with 200 once the request's
//! records are committed, or the same plus `errorMessage` with an error status, and Firehose
//! retries.
//!
//! - The access key is compared in constant time; a request without the right one is refused
//!   before its body is read. At most [`MAX_CONCURRENT`] requests are read at once (the rest
//!   get 503 and Firehose retries), each within [`BODY_TIMEOUT`].
//! - A request is committed as source `firehose:<request id>` continuing from nothing, so a
//!   retry of a committed request (same id, which Firehose keeps across retries) is refused
//!   by the store's optimistic lock and answered 200 without counting anything twice.
//! - Request ids are remembered for `firehose.dedup_hours` (Firehose retries for at most 2 h).

use crate::live::Shared;
use crate::pipeline::IngestError;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use gatewatch_store::CommitOutcome;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use serde::Deserialize;
use std::io::Read;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Prefix of the per-request checkpoint keys.
pub const SOURCE_PREFIX: &str = "firehose:";
/// Requests read and folded at once; each may hold `max_body_bytes` (and its decompressed copy).
pub const MAX_CONCURRENT: usize = 4;
/// A request body must arrive within this (Firehose's own request timeout is configurable, 180 s
/// by default).
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(180);

pub struct Receiver {
    pub shared: Shared,
    pub access_key: String,
    pub max_body_bytes: usize,
    permits: tokio::sync::Semaphore,
}

impl Receiver {
    pub fn new(shared: Shared, access_key: String, max_body_bytes: usize) -> Self {
        Self { shared, access_key, max_body_bytes, permits: tokio::sync::Semaphore::new(MAX_CONCURRENT) }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Delivery {
    request_id: String,
    #[allow(dead_code)]
    timestamp: Option<i64>,
    records: Vec<Record>,
}

#[derive(Deserialize)]
struct Record {
    data: String,
}

/// The receiver's routes: `POST /` (and `POST /firehose`), nothing else.
pub fn router(receiver: Arc<Receiver>) -> Router {
    Router::new()
        .route("/", axum::routing::post(deliver))
        .route("/firehose", axum::routing::post(deliver))
        .with_state(receiver)
}

/// Serves the receiver on `listener` until `cancel`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    receiver: Arc<Receiver>,
    cancel: tokio_util::sync::CancellationToken,
) -> Result<(), IngestError> {
    axum::serve(listener, router(receiver))
        .with_graceful_shutdown(async move { cancel.cancelled().await })
        .await
        .map_err(|e| IngestError::Io { what: "firehose receiver".into(), source: e })
}

/// Forgets request ids older than `hours`, every ten minutes, until `cancel`.
pub async fn prune_loop(store: Store, hours: u64, cancel: tokio_util::sync::CancellationToken) {
    loop {
        let before = chrono::Utc::now().timestamp_millis() - (hours as i64) * 3_600_000;
        match store.prune_checkpoints(SOURCE_PREFIX, before).await {
            Ok(n) if n > 0 => tracing::debug!(forgotten = n, "firehose: old request ids forgotten"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "firehose: pruning request ids failed"),
        }
        if crate::live::sleep_or_cancel(std::time::Duration::from_secs(600), &cancel).await {
            return;
        }
    }
}

fn answer(status: StatusCode, request_id: &str, error: Option<String>) -> Response {
    let mut body = serde_json::json!({
        "requestId": request_id,
        "timestamp": chrono::Utc::now().timestamp_millis(),
    });
    if let Some(e) = error {
        body["errorMessage"] = e.into();
    }
    (status, axum::Json(body)).into_response()
}

/// A request id fit to be part of a store key: what Firehose sends is a UUID.
fn valid_request_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn deliver(State(rx): State<Arc<Receiver>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    let request_id = header("x-amz-firehose-request-id").to_string();
    let key = headers.get("x-amz-firehose-access-key").map(|v| v.as_bytes()).unwrap_or(b"");
    if !bool::from(key.ct_eq(rx.access_key.as_bytes())) {
        tracing::warn!("firehose: request refused: missing or wrong X-Amz-Firehose-Access-Key");
        return answer(
            StatusCode::UNAUTHORIZED,
            &request_id,
            Some("missing or wrong X-Amz-Firehose-Access-Key".into()),
        );
    }
    if !valid_request_id(&request_id) {
        return answer(
            StatusCode::BAD_REQUEST,
            "",
            Some("X-Amz-Firehose-Request-Id is missing or not an id (1-128 of A-Z a-z 0-9 - _)".into()),
        );
    }
    let source = format!("{SOURCE_PREFIX}{request_id}");
    // A retry of a request already committed: answered without reading it again (the detector
    // must not see its records twice either).
    match rx.shared.store.checkpoint(&source).await {
        Ok(Some(_)) => return answer(StatusCode::OK, &request_id, None),
        Ok(None) => {}
        Err(e) => {
            return answer(
                StatusCode::SERVICE_UNAVAILABLE,
                &request_id,
                Some(format!("store unavailable, retry: {e}")),
            );
        }
    }
    let Ok(_permit) = rx.permits.try_acquire() else {
        return answer(StatusCode::SERVICE_UNAVAILABLE, &request_id, Some("busy, retry".into()));
    };
    let body = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, rx.max_body_bytes)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return answer(
                StatusCode::PAYLOAD_TOO_LARGE,
                &request_id,
                Some(format!(
                    "body larger than {} bytes (firehose.max_body_bytes) or broken",
                    rx.max_body_bytes
                )),
            );
        }
        Err(_) => {
            return answer(
                StatusCode::REQUEST_TIMEOUT,
                &request_id,
                Some("body not received in time".into()),
            );
        }
    };
    let gzip = match header("content-encoding").to_ascii_lowercase().as_str() {
        "" | "identity" => false,
        "gzip" => true,
        other => {
            return answer(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &request_id,
                Some(format!("Content-Encoding `{other}` is not supported (gzip or none)")),
            );
        }
    };
    let receiver = rx.clone();
    let id = request_id.clone();
    let folded = tokio::task::spawn_blocking(move || fold(&receiver, &id, &body, gzip)).await;
    let batch = match folded {
        Ok(Ok(b)) => b,
        Ok(Err(why)) => return answer(StatusCode::BAD_REQUEST, &request_id, Some(why)),
        Err(e) => {
            return answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                &request_id,
                Some(format!("internal error: {e}")),
            );
        }
    };
    // How far behind the delivered events are (to the minute): Firehose buffers, CloudWatch
    // Logs batches, a backlog after an outage all show here.
    let newest_minute = batch.rows.iter().map(|r| r.minute).max();
    match rx.shared.committer.commit(&source, None, batch).await {
        Ok(CommitOutcome::Committed) => {
            if let Some(m) = newest_minute {
                let behind = chrono::Utc::now().timestamp_millis() - (m + 60_000);
                crate::metrics::lag("firehose", "receiver", behind.max(0) as f64 / 1000.0);
            }
            answer(StatusCode::OK, &request_id, None)
        }
        Ok(CommitOutcome::Stale) => {
            tracing::debug!(request_id = %request_id, "firehose: retry of a committed request; not counted again");
            answer(StatusCode::OK, &request_id, None)
        }
        Err(IngestError::Aborted) => {
            answer(StatusCode::SERVICE_UNAVAILABLE, &request_id, Some("shutting down; retry".into()))
        }
        Err(e) => answer(
            StatusCode::SERVICE_UNAVAILABLE,
            &request_id,
            Some(format!("store unavailable, retry: {e}")),
        ),
    }
}

/// Decodes a request body into one batch. Bad records become dead letters; a body that is
/// not a Firehose request at all is an error (400, and Firehose retries, then backs up to S3).
fn fold(
    rx: &Receiver,
    request_id: &str,
    body: &[u8],
    gzip: bool,
) -> Result<crate::pipeline::PendingBatch, String> {
    let source = format!("{SOURCE_PREFIX}{request_id}");
    let mut reader = rx.shared.reader(source);
    fold_body(&mut reader, request_id, body, gzip, rx.max_body_bytes)?;
    Ok(reader.take_batch("done".into()))
}

/// Folds the records of one request body into `reader`: gzip (at most `max_body_bytes`
/// decompressed), the Firehose JSON, then each record's base64 data as a CWL blob.
pub fn fold_body(
    reader: &mut crate::pipeline::Reader<'_>,
    request_id: &str,
    body: &[u8],
    gzip: bool,
    max_body_bytes: usize,
) -> Result<(), String> {
    let plain;
    let body = if gzip {
        let mut out = Vec::new();
        let limit = max_body_bytes as u64;
        flate2::read::MultiGzDecoder::new(body)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("body is not valid gzip: {e}"))?;
        if out.len() as u64 > limit {
            return Err(format!("body decompresses past {limit} bytes (firehose.max_body_bytes)"));
        }
        plain = out;
        &plain[..]
    } else {
        body
    };
    // The serde message may quote the body: say where, not what.
    let req: Delivery = serde_json::from_slice(body).map_err(|e| {
        format!(
            "body is not a Firehose request ({{requestId, timestamp, records: [{{data}}]}}): {:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        )
    })?;
    if req.request_id != request_id {
        return Err("body requestId differs from X-Amz-Firehose-Request-Id".into());
    }
    for (i, r) in req.records.iter().enumerate() {
        let pos = format!("record {}", i + 1);
        match base64::engine::general_purpose::STANDARD.decode(r.data.trim()) {
            Ok(data) => reader.blob(&data, &pos),
            Err(_) => reader
                .dead_letter(pos, crate::dead::DeadReason::Base64("record data is not valid base64".into())),
        }
    }
    Ok(())
}
