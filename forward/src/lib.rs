//! gatewatch forwarding: alert events from the store's outbox to SIEMs, at least once.
//!
//! [`BatchStore::commit_batch`](gatewatch_store::BatchStore::commit_batch) writes an outbox row for every
//! alert opened, updated or resolved, in the transaction that changed the alert. One
//! [`run`] loop per `[[forward]]` destination reads the outbox in id order (so the events of
//! one alert arrive in order), sends batches, and records how far it got. A failed send is
//! retried with exponential backoff and jitter; a message that fails `max_attempts` times is
//! parked with its reason and delivery goes on. A restart resumes after the last recorded
//! delivery, so nothing is lost; a send whose success was not recorded is repeated with the
//! same idempotency key (`alert id:outbox id`), so receivers can drop it.

pub mod config;
pub mod format;

use crate::config::{DestinationKind, ForwardDestination};
use backon::{BackoffBuilder, ExponentialBuilder};
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use gatewatch_store::{ForwardState, OutboxEvent};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Header names of the webhook signature: `X-Gatewatch-Signature: sha256=<hex>` over
/// `<timestamp>.<body>`, with the Unix timestamp in `X-Gatewatch-Timestamp`.
pub const SIGNATURE_HEADER: &str = "x-gatewatch-signature";
pub const TIMESTAMP_HEADER: &str = "x-gatewatch-timestamp";

#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    #[error("{0}")]
    Send(String),
    #[error(transparent)]
    Store(#[from] gatewatch_store::Error),
}

/// The webhook signature of `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Writes a batch of octet-counted syslog frames on one TCP (or TLS) connection. TCP syslog
/// has no acknowledgement: a batch counts as delivered once written and the connection closed
/// cleanly.
async fn send_syslog(dest: &ForwardDestination, host: &str, batch: &[OutboxEvent]) -> Result<(), String> {
    use tokio::io::AsyncWriteExt;
    let (tls, addr) = match dest.url.strip_prefix("tls://") {
        Some(a) => (true, a),
        None => (false, dest.url.strip_prefix("tcp://").unwrap_or(&dest.url)),
    };
    let timeout = Duration::from_secs(dest.timeout_secs);
    let conn = tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr))
        .await
        .map_err(|_| format!("connecting to {addr}: timed out"))?
        .map_err(|e| format!("connecting to {addr}: {e}"))?;
    let mut data = String::new();
    for ev in batch {
        data.push_str(&format::syslog_frame(ev, host));
    }
    async fn write_all<S: tokio::io::AsyncWrite + Unpin>(mut s: S, data: &[u8]) -> std::io::Result<()> {
        s.write_all(data).await?;
        s.flush().await?;
        s.shutdown().await
    }
    let written = tokio::time::timeout(timeout, async {
        if tls {
            let server = addr.rsplit_once(':').map(|(h, _)| h.trim_matches(['[', ']'])).unwrap_or(addr);
            let name = rustls_pki_types::ServerName::try_from(server.to_string())
                .map_err(|e| std::io::Error::other(format!("server name `{server}`: {e}")))?;
            let config = tls_config(&dest.ca_file).map_err(std::io::Error::other)?;
            let stream = tokio_rustls::TlsConnector::from(config).connect(name, conn).await?;
            write_all(stream, data.as_bytes()).await
        } else {
            write_all(conn, data.as_bytes()).await
        }
    })
    .await;
    written
        .map_err(|_| format!("writing to {addr}: timed out"))?
        .map_err(|e| format!("writing to {addr}: {e}"))
}

/// TLS client settings: the system's trust store plus the PEM certificates of `ca_file`.
fn tls_config(ca_file: &str) -> Result<std::sync::Arc<tokio_rustls::rustls::ClientConfig>, String> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject as _;
    use tokio_rustls::rustls;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if !ca_file.is_empty() {
        for cert in CertificateDer::pem_file_iter(ca_file).map_err(|e| format!("ca_file `{ca_file}`: {e}"))? {
            let cert = cert.map_err(|e| format!("ca_file `{ca_file}`: {e}"))?;
            roots.add(cert).map_err(|e| format!("ca_file `{ca_file}`: {e}"))?;
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(std::sync::Arc::new(config))
}

/// Writes a batch as `gatewatch-ocsf-<first id>-<last id>.jsonl` in the destination directory:
/// to a temporary name first, synced, then renamed, so a reader never sees half a file.
async fn write_ocsf_file(dest: &ForwardDestination, batch: &[OutboxEvent]) -> Result<(), String> {
    let dir = std::path::PathBuf::from(dest.url.strip_prefix("file://").unwrap_or(&dest.url));
    let (Some(first), Some(last)) = (batch.first(), batch.last()) else { return Ok(()) };
    let name = format!("gatewatch-ocsf-{:012}-{:012}.jsonl", first.id, last.id);
    let mut body = String::new();
    for ev in batch {
        body.push_str(&format::ocsf(ev).to_string());
        body.push('\n');
    }
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write as _;
        std::fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!(".{name}.tmp"));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(body.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, dir.join(&name))
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| format!("writing {}: {e}", dest.url))
}

/// This machine's name, for syslog HOSTNAME.
fn hostname() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// Sends one batch; `Err` carries a reason fit for logs and the parked table (no credential).
async fn send(
    client: &reqwest::Client,
    dest: &ForwardDestination,
    batch: &[OutboxEvent],
) -> Result<(), Failure> {
    let (body, content_type) = match dest.kind {
        DestinationKind::OcsfFile => return Ok(write_ocsf_file(dest, batch).await?),
        DestinationKind::Syslog => {
            let host = if dest.host.is_empty() { hostname() } else { dest.host.clone() };
            return Ok(send_syslog(dest, &host, batch).await?);
        }
        DestinationKind::SplunkHec => {
            // HEC takes concatenated event objects in one body.
            let mut body = String::new();
            for ev in batch {
                body.push_str(&format::hec(ev, &dest.host, &dest.index, &dest.sourcetype).to_string());
                body.push('\n');
            }
            (body, "application/json")
        }
        DestinationKind::OcsfHttp => {
            let findings: Vec<_> = batch.iter().map(format::ocsf).collect();
            (serde_json::Value::Array(findings).to_string(), "application/json")
        }
        DestinationKind::Webhook => {
            let events: Vec<_> = batch.iter().map(format::webhook).collect();
            (serde_json::json!({ "events": events }).to_string(), "application/json")
        }
    };
    let mut req = client.post(&dest.url).header("content-type", content_type);
    let key = batch.first().map(|e| e.idempotency_key()).unwrap_or_default();
    req = req.header("idempotency-key", &key);
    match dest.kind {
        DestinationKind::SplunkHec => {
            req = req
                .header("authorization", format!("Splunk {}", dest.token))
                .header("x-splunk-request-channel", &key);
        }
        DestinationKind::OcsfHttp if !dest.token.is_empty() => {
            req = req.header("authorization", format!("Bearer {}", dest.token));
        }
        DestinationKind::OcsfHttp | DestinationKind::Syslog | DestinationKind::OcsfFile => {}
        DestinationKind::Webhook => {
            let ts = chrono::Utc::now().timestamp();
            req = req
                .header(TIMESTAMP_HEADER, ts.to_string())
                .header(SIGNATURE_HEADER, sign(dest.secret.as_bytes(), ts, body.as_bytes()));
        }
    }
    let resp = req.body(body).send().await.map_err(|e| {
        // Without the URL (a webhook URL can carry a credential in its path or query); the
        // destination's name says which one failed. reqwest never names headers.
        let e = e.without_url();
        let mut s = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(inner) = src {
            s = format!("{s}: {inner}");
            src = inner.source();
        }
        s
    })?;
    let status = resp.status();
    if status.is_success() {
        return Ok(());
    }
    let text = resp.text().await.unwrap_or_default();
    let text: String = text.chars().take(200).collect();
    let reason = format!("HTTP {status}: {}", text.trim());
    // 4xx is the receiver refusing this message (counted towards parking); 408, 429 and 5xx
    // are the receiver being unwell (retried for as long as it takes).
    let refused = status.is_client_error() && status != 408 && status != 429;
    Err(Failure { reason, refused })
}

/// A failed delivery: `refused` when the receiver rejected the message itself, as opposed to
/// being unreachable or unwell. Only refusals count towards parking.
#[derive(Debug)]
struct Failure {
    reason: String,
    refused: bool,
}

impl From<String> for Failure {
    fn from(reason: String) -> Self {
        Failure { reason, refused: false }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Backoff before attempt `attempts + 1`: "equal jitter", between half and all of
/// min(5 min, 1 s · 2^attempts), from the same backon builder as the AWS sources' `Backoff`
/// (`ingest/src/live.rs`): backon adds a jitter in [0, d) to a delay d, so both ends are halved.
fn backoff_ms(attempts: i64) -> i64 {
    let mut delays = ExponentialBuilder::new()
        .with_min_delay(Duration::from_millis(500))
        .with_max_delay(Duration::from_secs(150))
        .with_factor(2.0)
        .with_jitter()
        .without_max_times()
        .build();
    delays.nth(attempts.clamp(0, 20) as usize).map_or(300_000, |d| d.as_millis() as i64)
}

/// How long a process holds a destination's delivery lease without renewing it.
const LEASE_MS: i64 = 10_000;

/// Whether `owner` holds the delivery lease of `key` until at least half a lease from now,
/// renewing or taking it as needed. Several `serve`/`run` processes on one store each start a
/// forwarder per destination: the lease makes one of them deliver, so the SIEM does not get
/// every alert once per process. (A process that loses the lease mid-batch may still deliver
/// that batch once more: delivery is at least once, never systematically twice.)
async fn hold_lease(
    store: &Store,
    key: &str,
    owner: &str,
    held_until: &mut i64,
) -> Result<bool, ForwardError> {
    let now = now_ms();
    if *held_until - now > LEASE_MS / 2 {
        return Ok(true);
    }
    let until = now + LEASE_MS;
    if *held_until > now && store.renew_lease(key, owner, until).await? {
        *held_until = until;
        return Ok(true);
    }
    *held_until = 0;
    let find = async || -> Result<Option<gatewatch_store::Lease>, ForwardError> {
        Ok(store.leases(key).await?.into_iter().find(|l| l.key == key))
    };
    let mut lease = find().await?;
    if lease.is_none() {
        // The first process to forward to this destination makes its row, and takes it.
        store.ensure_leases(&[key.to_string()]).await?;
        lease = find().await?;
    }
    let Some(lease) = lease else { return Ok(false) };
    if (!lease.is_held(now) || lease.owner.as_deref() == Some(owner))
        && store.take_lease(&lease, owner, until).await?
    {
        *held_until = until;
        return Ok(true);
    }
    Ok(false)
}

/// Delivers the outbox to `dest` until `cancel`, while `owner` (this process) holds the
/// destination's delivery lease.
pub async fn run(store: Store, dest: ForwardDestination, owner: String, cancel: CancellationToken) {
    let mut builder = reqwest::Client::builder().timeout(Duration::from_secs(dest.timeout_secs));
    if !dest.ca_file.is_empty() {
        match std::fs::read(&dest.ca_file)
            .map_err(|e| e.to_string())
            .and_then(|pem| reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| e.to_string()))
        {
            Ok(certs) => {
                for c in certs {
                    builder = builder.add_root_certificate(c);
                }
            }
            Err(e) => {
                tracing::error!(destination = %dest.name, ca_file = %dest.ca_file, error = %e, "forward: cannot read ca_file");
                return;
            }
        }
    }
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(destination = %dest.name, error = %e, "forward: cannot build an HTTP client");
            return;
        }
    };
    let idle = Duration::from_millis(500);
    let key = format!("forward:{}", dest.name);
    let mut held_until = 0i64;
    loop {
        let attempt = match hold_lease(&store, &key, &owner, &mut held_until).await {
            // Another process delivers to this destination: look again before its lease ends.
            Ok(false) => Ok(Some(Duration::from_millis(LEASE_MS as u64 / 4))),
            Ok(true) => step(&store, &client, &dest).await,
            Err(e) => Err(e),
        };
        let pause = match attempt {
            Ok(Some(pause)) => pause,
            Ok(None) => Duration::ZERO,
            Err(e) => {
                tracing::warn!(destination = %dest.name, error = %e, "forward: store unavailable");
                Duration::from_secs(2)
            }
        };
        let pause = if pause.is_zero() { Duration::from_millis(10) } else { pause.min(idle * 600) };
        tokio::select! {
            _ = cancel.cancelled() => {
                // The next process need not wait for the lease to expire.
                if held_until > 0 {
                    let _ = store.release_lease(&key, &owner).await;
                }
                return;
            }
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// One delivery attempt. `Some(pause)`: nothing to do for that long.
async fn step(
    store: &Store,
    client: &reqwest::Client,
    dest: &ForwardDestination,
) -> Result<Option<Duration>, ForwardError> {
    let mut st: ForwardState = store.forward_cursor(&dest.name).await?;
    let now = now_ms();
    if st.next_attempt_at > now {
        return Ok(Some(Duration::from_millis((st.next_attempt_at - now) as u64)));
    }
    let batch = store.outbox_after(st.delivered_up_to, dest.batch_size as i64).await?;
    let Some(last) = batch.last() else { return Ok(Some(Duration::from_millis(500))) };
    // A message that keeps failing is retried alone, so that parking it spares the others.
    let batch = if st.attempts > 0 { &batch[..1] } else { &batch[..] };
    match send(client, dest, batch).await {
        Ok(()) => {
            let up_to = if st.attempts > 0 { batch[0].id } else { last.id };
            st.delivered_up_to = up_to;
            st.attempts = 0;
            st.last_error = None;
            st.next_attempt_at = 0;
            store.set_forward_state(&st).await?;
            tracing::debug!(destination = %dest.name, delivered_up_to = up_to, "forward: delivered");
            Ok(None)
        }
        Err(Failure { reason, refused }) => {
            st.attempts += 1;
            if refused && st.attempts >= i64::from(dest.max_attempts) {
                tracing::error!(destination = %dest.name, outbox_id = batch[0].id, attempts = st.attempts, reason = %reason,
                    "forward: message parked: the receiver refused it too often");
                store.park(&dest.name, &batch[0], st.attempts, &reason).await?;
                return Ok(None);
            }
            // An unreachable or unwell receiver holds the whole destination: nothing is parked
            // for an outage, however long.
            let wait = backoff_ms(st.attempts - 1);
            tracing::warn!(destination = %dest.name, attempts = st.attempts, retry_in_ms = wait, reason = %reason, "forward: send failed");
            st.last_error = Some(reason);
            st.next_attempt_at = now_ms() + wait;
            store.set_forward_state(&st).await?;
            Ok(Some(Duration::from_millis(wait as u64)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_covers_timestamp_and_body() {
        let a = sign(b"0123456789abcdef", 1_795_478_700, b"{\"x\":1}");
        assert!(a.starts_with("sha256=") && a.len() == 7 + 64);
        assert_ne!(a, sign(b"0123456789abcdef", 1_795_478_701, b"{\"x\":1}"));
        assert_ne!(a, sign(b"0123456789abcdef", 1_795_478_700, b"{\"x\":2}"));
        assert_eq!(a, sign(b"0123456789abcdef", 1_795_478_700, b"{\"x\":1}"));
    }

    #[test]
    fn backoff_grows_and_stays_capped() {
        assert!(backoff_ms(0) >= 500 && backoff_ms(0) <= 1000);
        assert!(backoff_ms(5) >= 16_000 && backoff_ms(5) <= 32_000);
        assert!(backoff_ms(40) <= 300_000);
    }
}
