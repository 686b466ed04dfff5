//! What several commands assemble: GeoIP, the detector (resumed from the store), the
//! forwarders, and the check that a read-only SQLite store exists.

use crate::*;

/// The GeoIP databases for the detector and the per-country hours, if installed. Without
/// them the pipeline still runs, minus the geographic rules and network grouping, and counts
/// every country as `--`.
pub(crate) fn open_geo(cfg: &Config) -> Result<Option<Arc<gatewatch_detect::geo::Geo>>> {
    use gatewatch_detect::geo::{Geo, GeoError};
    match tokio::task::block_in_place(|| Geo::open(&cfg.geoip)) {
        Ok(g) => Ok(Some(Arc::new(g))),
        Err(e @ GeoError::Missing(_)) => {
            let rules = if cfg.detect.enabled {
                "new_country, impossible_travel, denied_geo and the per-network rules are off; "
            } else {
                ""
            };
            eprintln!("warning: {e}\nwarning: running without GeoIP: {rules}countries are counted as `--`");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The detector for a replay or ingest: resumes from the store's profiles and open alerts.
pub(crate) async fn build_detector(
    cfg: &Config,
    store: &Store,
    geo: Option<Arc<gatewatch_detect::geo::Geo>>,
) -> Result<Option<Box<dyn gatewatch_core::Observer>>> {
    if !cfg.detect.enabled {
        return Ok(None);
    }
    let profiles = store.profiles().await?;
    let unresolved = store.unresolved_alerts().await?;
    let mut d = gatewatch_detect::Detector::new(&cfg.detect, geo, profiles, unresolved)?;
    // Suppressions made through the API apply too (live detectors re-read them every minute).
    let stored: Vec<_> = store.suppressions().await?.iter().map(|s| s.to_config()).collect();
    gatewatch_core::Observer::set_store_suppressions(&mut d, &stored);
    Ok(Some(Box::new(d)))
}

/// A read-only command on a SQLite path that does not exist would create an empty store and
/// answer "nothing"; a typo deserves an error instead.
pub(crate) fn require_existing_sqlite(url: &str) -> Result<()> {
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let path = path.split('?').next().unwrap_or(path);
        if !path.is_empty() && !path.contains(":memory:") && !std::path::Path::new(path).exists() {
            bail!("no store at {path} (check --db; `gatewatch replay` or `gatewatch migrate` creates one)");
        }
    }
    Ok(())
}

/// One forwarder task per `[[forward]]` destination, until `cancel`.
pub(crate) fn start_forwarders(
    cfg: &Config,
    store: &Store,
    cancel: &tokio_util::sync::CancellationToken,
) -> Vec<tokio::task::JoinHandle<()>> {
    // The delivery lease's owner: the worker id when one is configured, else host-pid.
    let owner = if cfg.leases.worker_id.is_empty() {
        gatewatch_ingest::kinesis::default_worker_id()
    } else {
        cfg.leases.worker_id.clone()
    };
    cfg.forward
        .iter()
        .map(|d| {
            eprintln!("gatewatch: forwarding alerts to {} ({})", d.name, gatewatch_store::redact_url(&d.url));
            tokio::spawn(gatewatch_forward::run(store.clone(), d.clone(), owner.clone(), cancel.clone()))
        })
        .collect()
}

/// Applies `[retention]` at start and every `retention.interval_secs` until `cancel` (`serve`,
/// `run`, `ingest`). A failed pass is reported and tried again at the next interval.
pub(crate) fn start_retention(
    cfg: &Config,
    store: &Store,
    cancel: &tokio_util::sync::CancellationToken,
) -> tokio::task::JoinHandle<()> {
    let (store, retention, cancel) = (store.clone(), cfg.retention.clone(), cancel.clone());
    let interval = Duration::from_secs(retention.interval_secs);
    tokio::spawn(async move {
        loop {
            let now = chrono::Utc::now().timestamp_millis();
            tokio::select! {
                _ = cancel.cancelled() => return,
                pass = store.apply_retention(&retention, now) => match pass {
                    Ok(r) if r.total() > 0 => eprintln!("gatewatch: retention removed {}", r.summary()),
                    Ok(_) => {}
                    Err(e) => eprintln!("warning: retention pass failed (tried again in {} s): {e}", interval.as_secs()),
                },
            }
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(interval) => {}
            }
        }
    })
}
