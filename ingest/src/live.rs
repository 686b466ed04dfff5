//! The back half shared by every live source (Kinesis shards, CloudWatch Logs pollers, the
//! Firehose receiver): one detector stage and one committer, fed by all sources at once.
//!
//! A source reads, folds a batch with its own [`Reader`](crate::pipeline::Reader) and hands
//! it to [`Committer::commit`] with the position it continues from. The batch passes the
//! detector (its alerts and profiles join it) and is committed with its position in one
//! transaction; the source learns the outcome before it reads on. A `Stale` outcome means
//! another worker advanced the source first: nothing was written, and the source re-reads from
//! the stored checkpoint.

use crate::pipeline::{IngestError, PendingBatch};
use backon::{BackoffBuilder, ExponentialBuilder};
use gatewatch_core::Suppression;
use gatewatch_core::alert::Observer;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use gatewatch_store::{BatchWrite, CommitOutcome};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

struct Job {
    source: String,
    prev: Option<String>,
    batch: PendingBatch,
    done: oneshot::Sender<Result<CommitOutcome, String>>,
}

/// Hands batches to the shared detector and committer. Cheap to clone.
#[derive(Clone)]
pub struct Committer {
    tx: mpsc::Sender<Job>,
    pub stats: Arc<SourceStats>,
    progress: Arc<Mutex<EventTimeProgress>>,
}

impl Committer {
    /// A source starts reading (a shard was leased): until its first batch it holds the
    /// detector's windows open (within [`MAX_HOLD_MS`]), so that its older events still count.
    pub fn source_started(&self, source: &str) {
        self.progress.lock().unwrap_or_else(|e| e.into_inner()).register(source, std::time::Instant::now());
    }

    /// A source stopped (shard finished or handed over): it holds nothing back any more.
    pub fn source_stopped(&self, source: &str) {
        self.progress.lock().unwrap_or_else(|e| e.into_inner()).remove(source);
    }

    /// Commits `batch` as the continuation of `prev` for `source`, and waits for the outcome.
    pub async fn commit(
        &self,
        source: &str,
        prev: Option<String>,
        batch: PendingBatch,
    ) -> Result<CommitOutcome, IngestError> {
        let (done, wait) = oneshot::channel();
        let events = batch.events;
        self.tx
            .send(Job { source: source.to_string(), prev, batch, done })
            .await
            .map_err(|_| IngestError::Aborted)?;
        let outcome = wait.await.map_err(|_| IngestError::Aborted)?.map_err(IngestError::Commit)?;
        if outcome == CommitOutcome::Committed {
            self.stats.committed(EventTimeProgress::stream_of(source), events);
        }
        Ok(outcome)
    }
}

/// What every live source needs to fold and commit: built once by the binary, cloned into
/// each source.
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub settings: std::sync::Arc<crate::pipeline::Settings>,
    pub progress: std::sync::Arc<crate::pipeline::Progress>,
    pub committer: Committer,
    /// Whether batches carry their records for the detector.
    pub detecting: bool,
}

impl Shared {
    /// A reader for one source, borrowing the shared settings and counters.
    pub fn reader(&self, source: impl Into<String>) -> crate::pipeline::Reader<'_> {
        crate::pipeline::Reader::new(&self.settings, source, &self.progress).with_observations(self.detecting)
    }
}

/// What each live source did: the figures behind logs (and, later, `/v1/stats`).
#[derive(Debug, Default)]
pub struct SourceStats {
    inner: Mutex<BTreeMap<String, SourceStat>>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SourceStat {
    pub events: u64,
    pub batches: u64,
    /// How far behind the newest record the source reads (Kinesis MillisBehindLatest).
    pub lag_ms: Option<i64>,
}

impl SourceStats {
    fn committed(&self, source: &str, events: u64) {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let s = m.entry(source.to_string()).or_default();
        s.events += events;
        s.batches += 1;
    }

    pub fn set_lag(&self, source: &str, lag_ms: Option<i64>) {
        if let Some(ms) = lag_ms {
            let partition = source.split_once(':').map_or(source, |(_, p)| p);
            crate::metrics::lag(crate::metrics::source_kind(source), partition, ms.max(0) as f64 / 1000.0);
        }
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        m.entry(source.to_string()).or_default().lag_ms = lag_ms;
    }

    pub fn snapshot(&self) -> BTreeMap<String, SourceStat> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// How often a live detector re-reads the suppressions made through the API.
const SUPPRESSION_REFRESH: Duration = Duration::from_secs(60);

/// Reads the stored suppressions now and every [`SUPPRESSION_REFRESH`] into a slot the
/// detector stage takes from before its next batch.
fn refresh_suppressions(store: Store) -> Arc<Mutex<Option<Vec<Suppression>>>> {
    let slot = Arc::new(Mutex::new(None));
    let weak = Arc::downgrade(&slot);
    tokio::spawn(async move {
        while let Some(slot) = weak.upgrade() {
            match store.suppressions().await {
                Ok(list) => {
                    let list = list.iter().map(|s| s.to_config()).collect();
                    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(list);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not read the stored suppressions; keeping the last ones")
                }
            }
            drop(slot);
            tokio::time::sleep(SUPPRESSION_REFRESH).await;
        }
    });
    slot
}

/// Starts the detector stage (if any) and the committer. The returned task ends once every
/// [`Committer`] clone is dropped and the last batch is committed.
pub fn start(store: Store, observer: Option<Box<dyn Observer>>) -> (Committer, tokio::task::JoinHandle<()>) {
    let (tx, rx) = mpsc::channel::<Job>(4);
    let stats = Arc::new(SourceStats::default());
    let progress = Arc::new(Mutex::new(EventTimeProgress::default()));
    let shared_progress = progress.clone();
    let (mut rx, detector) = match observer {
        None => (rx, None),
        Some(mut det) => {
            let (tx2, rx2) = mpsc::channel::<Job>(2);
            let mut rx = rx;
            let suppressions = refresh_suppressions(store.clone());
            let stage = tokio::task::spawn_blocking(move || {
                while let Some(mut job) = rx.blocking_recv() {
                    if let Some(list) = suppressions.lock().unwrap_or_else(|e| e.into_inner()).take() {
                        det.set_store_suppressions(&list);
                    }
                    let floor = {
                        let mut p = shared_progress.lock().unwrap_or_else(|e| e.into_inner());
                        let now = std::time::Instant::now();
                        if let Some(t) = job.batch.observations.as_ref().and_then(|o| o.max_time()) {
                            p.advance(&job.source, t, now);
                        }
                        p.floor(now)
                    };
                    det.set_progress_floor(floor);
                    job.batch.detect(det.as_mut());
                    if tx2.blocking_send(job).is_err() {
                        break;
                    }
                }
            });
            (rx2, Some(stage))
        }
    };
    let task = tokio::spawn(async move {
        // What the detector produced with batches that did not commit (stale, or a store
        // error): alert and profile upserts are idempotent and carry the latest state, so they
        // ride with the next commit instead of being lost.
        let mut carry = DetectorOutput::default();
        while let Some(job) = rx.recv().await {
            let b = job.batch;
            let figures = crate::metrics::BatchFigures::of(&job.source, &b);
            let mut alerts = std::mem::take(&mut carry.alerts);
            alerts.extend(b.alerts);
            let mut profiles = std::mem::take(&mut carry.profiles);
            profiles.extend(b.profiles);
            let mut forget = std::mem::take(&mut carry.forget);
            forget.extend(b.forget);
            let write = BatchWrite {
                source: job.source.clone(),
                prev_position: job.prev,
                position: b.position,
                events: b.events,
                rows: b.rows,
                routes: b.routes,
                countries: b.countries,
                dead_letters: b.dead_letters,
                alerts: alerts.clone(),
                profiles: profiles.clone(),
                forget: forget.clone(),
            };
            let outcome = store.commit_batch(write).await.map_err(|e| e.to_string());
            match &outcome {
                Ok(CommitOutcome::Committed) => figures.committed(),
                Ok(CommitOutcome::Stale) => carry = DetectorOutput { alerts, profiles, forget },
                Err(e) => {
                    tracing::warn!(source = %job.source, error = %e, "commit failed; the source re-reads from its checkpoint");
                    carry = DetectorOutput { alerts, profiles, forget };
                }
            }
            let _ = job.done.send(outcome);
        }
        if !carry.alerts.is_empty() || !carry.profiles.is_empty() {
            tracing::warn!(
                alerts = carry.alerts.len(),
                profiles = carry.profiles.len(),
                "stopped with detector changes that could not be committed; they are rebuilt from new events"
            );
        }
        if let Some(d) = detector
            && let Err(e) = d.await
        {
            // The sources see their commits refused and stop; `gatewatch ingest` exits.
            tracing::error!(error = %e, "the detector stage failed; stopping the pipeline");
        }
    });
    (Committer { tx, stats, progress }, task)
}

#[derive(Default)]
struct DetectorOutput {
    alerts: Vec<gatewatch_core::Alert>,
    profiles: Vec<gatewatch_core::alert::ProfileRow>,
    forget: Vec<String>,
}

/// How far event time may wait for a slow source: past this, the slow source's events are
/// late (still counted in the series) rather than holding every window of the fast ones open.
const MAX_HOLD_MS: i64 = 10 * 60_000;
/// A source that delivered nothing for this long (an idle shard) holds nothing back.
const IDLE_SOURCE: Duration = Duration::from_secs(120);

/// Event-time progress of each live source, for the detector's watermark: windows close when
/// every active source has passed them (the way stream processors combine the watermarks of
/// their inputs), so a shard catching up does not find its minutes already closed.
#[derive(Debug)]
struct EventTimeProgress {
    /// Newest event time of each source (`i64::MIN` before its first batch) and when it last
    /// delivered.
    sources: BTreeMap<String, (i64, std::time::Instant)>,
    newest: i64,
}

impl Default for EventTimeProgress {
    fn default() -> Self {
        Self { sources: BTreeMap::new(), newest: i64::MIN }
    }
}

impl EventTimeProgress {
    /// One logical source: a Kinesis shard or a log group; all Firehose requests are one.
    fn stream_of(source: &str) -> &str {
        if source.starts_with(crate::firehose::SOURCE_PREFIX) {
            crate::firehose::SOURCE_PREFIX
        } else {
            source
        }
    }

    fn register(&mut self, source: &str, now: std::time::Instant) {
        self.sources.entry(Self::stream_of(source).to_string()).or_insert((i64::MIN, now));
    }

    fn remove(&mut self, source: &str) {
        self.sources.remove(Self::stream_of(source));
    }

    fn advance(&mut self, source: &str, max_time: i64, now: std::time::Instant) {
        let e = self.sources.entry(Self::stream_of(source).to_string()).or_insert((max_time, now));
        e.0 = e.0.max(max_time);
        e.1 = now;
        self.newest = self.newest.max(max_time);
    }

    /// The event time every active source has reached, at most [`MAX_HOLD_MS`] behind the newest.
    fn floor(&mut self, now: std::time::Instant) -> Option<i64> {
        self.sources.retain(|_, (_, seen)| now.duration_since(*seen) < IDLE_SOURCE);
        let slowest = self.sources.values().map(|(t, _)| *t).min()?;
        if self.newest == i64::MIN {
            return None;
        }
        Some(slowest.max(self.newest.saturating_sub(MAX_HOLD_MS)))
    }
}

/// Exponential backoff with "equal jitter" (backon's): each pause is between half and all of
/// min(cap, base·2^attempt), so retries of many workers spread out and none waits past the cap.
/// The forwarders use the same builder (`forward/src/lib.rs`).
#[derive(Debug)]
pub struct Backoff {
    cap: Duration,
    builder: ExponentialBuilder,
    delays: backon::ExponentialBackoff,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Self {
        // backon adds a jitter in [0, d) to each delay d: halving both ends gives [h, 2h).
        let builder = ExponentialBuilder::new()
            .with_min_delay(base / 2)
            .with_max_delay(cap / 2)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times();
        Self { cap, builder, delays: builder.build() }
    }

    /// The next pause.
    pub fn next_delay(&mut self) -> Duration {
        // Built without a maximum number of attempts, the sequence does not end.
        self.delays.next().unwrap_or(self.cap)
    }

    pub fn reset(&mut self) {
        self.delays = self.builder.build();
    }
}

/// Sleeps `d`, or less if `cancel` fires; `true` if cancelled.
pub async fn sleep_or_cancel(d: Duration, cancel: &tokio_util::sync::CancellationToken) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => false,
        _ = cancel.cancelled() => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slowest_active_source_holds_event_time_back_within_a_bound() {
        let t0 = std::time::Instant::now();
        let mut p = EventTimeProgress::default();
        assert_eq!(p.floor(t0), None);
        p.register("kinesis:s:shard-0", t0);
        p.register("kinesis:s:shard-1", t0);
        p.advance("kinesis:s:shard-1", 1_300_000, t0);
        assert_eq!(p.floor(t0), Some(1_300_000 - MAX_HOLD_MS), "a shard yet to deliver holds back too");
        p.advance("kinesis:s:shard-0", 1_000_000, t0);
        p.advance("kinesis:s:shard-1", 1_300_000, t0);
        assert_eq!(p.floor(t0), Some(1_000_000), "the shard behind holds the windows open");
        p.advance("kinesis:s:shard-1", 5_000_000, t0);
        assert_eq!(p.floor(t0), Some(5_000_000 - MAX_HOLD_MS), "but not by more than the bound");
        // Firehose requests are one stream, however many request ids.
        p.advance("firehose:req-1", 4_900_000, t0);
        p.advance("firehose:req-2", 4_950_000, t0);
        assert_eq!(p.sources.len(), 3);
        // An idle shard stops holding anything back.
        let later = t0 + IDLE_SOURCE + Duration::from_secs(1);
        p.advance("kinesis:s:shard-1", 5_100_000, later);
        assert_eq!(p.floor(later), Some(5_100_000));
        p.register("kinesis:s:shard-2", later);
        p.remove("kinesis:s:shard-2");
        assert_eq!(p.floor(later), Some(5_100_000), "a stopped source holds nothing back");
    }

    #[test]
    fn backoff_grows_to_its_cap_and_jitters() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let delays: Vec<_> = (0..12).map(|_| b.next_delay()).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(2)));
        // Past the cap the ceiling stays 2 s; twelve draws are not all equal (jitter).
        assert!(delays.windows(2).any(|w| w[0] != w[1]));
        b.reset();
        assert!(b.next_delay() <= Duration::from_millis(100));
    }
}
