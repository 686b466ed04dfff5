//! The Kinesis Data Streams consumer: one task per leased shard, a coordinator that keeps the
//! leases (the Kinesis Client Library's model, in the store's `leases` table), and exact
//! checkpoints.
//!
//! - **Reading.** A shard task polls GetRecords with the iterator of its checkpoint
//!   (`AFTER_SEQUENCE_NUMBER`), or the configured start position for a new shard. Every
//!   non-empty read is one batch, committed with the last sequence number in one transaction;
//!   the task waits for the commit before reading on. Throttling and transient errors back off
//!   with full jitter; an expired iterator is fetched again from the checkpoint.
//! - **Resharding.** A shard is read only after its parents are finished: a closed shard read
//!   to its end commits the position `end`, and only then do its children become eligible, so
//!   the records of one partition key stay in order.
//! - **Leases.** Every `lease duration / 3` the coordinator lists the shards, renews its leases,
//!   takes free or expired ones, and steals one from the busiest worker while it holds fewer
//!   than its fair share (shards ÷ live workers). A worker that finds its lease gone stops that
//!   shard. Exactly-once does not rest on leases: a commit whose previous position is not the
//!   stored one is refused (`Stale`), and the task re-reads from the stored checkpoint.

use crate::config::{KinesisSource, StartPosition};
use crate::live::{Backoff, Shared, sleep_or_cancel};
use crate::pipeline::IngestError;
use aws_sdk_kinesis::Client;
use aws_sdk_kinesis::types::ShardIteratorType;
use gatewatch_store::prelude::*;
use gatewatch_store::{CommitOutcome, Lease};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Checkpoint position of a shard read to its end.
pub const SHARD_END: &str = "end";

/// Store key (checkpoint source and lease key) of a shard.
pub fn shard_key(stream: &str, shard: &str) -> String {
    format!("kinesis:{stream}:{shard}")
}

/// What every shard task shares.
pub struct Context {
    pub client: Client,
    pub shared: Shared,
    pub worker: String,
    pub lease_duration: Duration,
}

#[derive(Debug, Clone)]
struct ShardInfo {
    id: String,
    parents: Vec<String>,
    /// The last sequence number of a closed shard (ListShards' `EndingSequenceNumber`).
    ending: Option<String>,
    /// A parent is still in the stream: this shard was made by a reshard we read across, so
    /// without a checkpoint it starts at its beginning whatever the configured start position
    /// (as the KCL does): its records come right after its parents'.
    after_parent: bool,
}

struct Running {
    cancel: CancellationToken,
    ending: Arc<OnceLock<String>>,
    handle: tokio::task::JoinHandle<Result<ShardExit, IngestError>>,
}

#[derive(Debug, PartialEq, Eq)]
enum ShardExit {
    Finished,
    Stopped,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Lists every shard of `stream` (all pages).
async fn list_shards(client: &Client, stream: &str) -> Result<Vec<ShardInfo>, (Option<String>, String)> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let req = match &token {
            Some(t) => client.list_shards().next_token(t),
            None => client.list_shards().stream_name(stream),
        };
        let resp = req.send().await.map_err(|e| crate::aws::describe(&e))?;
        for s in resp.shards() {
            let parents = [s.parent_shard_id(), s.adjacent_parent_shard_id()]
                .into_iter()
                .flatten()
                .map(str::to_string)
                .collect();
            let ending =
                s.sequence_number_range().and_then(|r| r.ending_sequence_number()).map(str::to_string);
            out.push(ShardInfo { id: s.shard_id().to_string(), parents, ending, after_parent: false });
        }
        match resp.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

/// The shards that may be read now: not finished, and every parent finished or gone (trimmed
/// past the retention period). Children wait for their parents so that the records of one
/// partition key are read in order across a reshard.
fn eligible_shards<'a>(shards: &'a [ShardInfo], finished: &HashMap<String, bool>) -> Vec<&'a ShardInfo> {
    shards
        .iter()
        .filter(|s| !finished.get(&s.id).copied().unwrap_or(false))
        .filter(|s| s.parents.iter().all(|p| finished.get(p).copied().unwrap_or(true)))
        .collect()
}

/// Runs the consumer of `streams` until `cancel` fires; then finishes the in-flight batches
/// and releases this worker's leases.
pub async fn run(
    ctx: Arc<Context>,
    streams: Vec<KinesisSource>,
    cancel: CancellationToken,
) -> Result<(), IngestError> {
    let mut running: HashMap<String, Running> = HashMap::new();
    let renew_every = ctx.lease_duration / 3;
    let mut last_report = std::time::Instant::now();
    let mut list_backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(30));
    let sources: BTreeMap<String, KinesisSource> =
        streams.into_iter().map(|s| (s.stream.clone(), s)).collect();
    // A stream that does not exist or may not be read, or no credentials at all, will not mend
    // by retrying: say so and stop. An unreachable endpoint is retried below.
    for stream in sources.keys() {
        let first = tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            r = list_shards(&ctx.client, stream) => r,
        };
        if let Err((code, why)) = first
            && crate::aws::is_permanent(code.as_deref(), &why)
        {
            return Err(IngestError::Config(format!("Kinesis stream `{stream}`: {why}")));
        }
    }
    loop {
        match balance(&ctx, &sources, &mut running, &cancel).await {
            Ok(()) => list_backoff.reset(),
            Err(e) => {
                tracing::warn!(error = %e, "kinesis: lease round failed; retrying");
                if sleep_or_cancel(list_backoff.next_delay(), &cancel).await {
                    break;
                }
                continue;
            }
        }
        if last_report.elapsed() >= Duration::from_secs(30) {
            last_report = std::time::Instant::now();
            for (source, s) in ctx.shared.committer.stats.snapshot() {
                if source.starts_with("kinesis:") && running.contains_key(&source) {
                    tracing::info!(%source, events = s.events, lag_ms = ?s.lag_ms, "kinesis shard");
                }
            }
        }
        if sleep_or_cancel(renew_every, &cancel).await {
            break;
        }
    }
    // Shutdown: every task commits or drops its in-flight batch, then the leases go.
    for r in running.values() {
        r.cancel.cancel();
    }
    for (key, r) in running.drain() {
        match r.handle.await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(shard = %key, error = %e, "kinesis: shard task failed"),
            Err(e) => tracing::warn!(shard = %key, error = %e, "kinesis: shard task panicked"),
        }
        if let Err(e) = ctx.shared.store.release_lease(&key, &ctx.worker).await {
            tracing::warn!(shard = %key, error = %e, "kinesis: could not release lease");
        }
    }
    Ok(())
}

/// One lease round: reap finished tasks, renew, take, steal, start.
async fn balance(
    ctx: &Arc<Context>,
    sources: &BTreeMap<String, KinesisSource>,
    running: &mut HashMap<String, Running>,
    cancel: &CancellationToken,
) -> Result<(), IngestError> {
    // Reap tasks that ended: a finished shard gives its lease back; a failed one too, so that
    // it is retried (here or by another worker) from its checkpoint.
    let ended: Vec<String> =
        running.iter().filter(|(_, r)| r.handle.is_finished()).map(|(k, _)| k.clone()).collect();
    for key in ended {
        let r = running.remove(&key).expect("listed above");
        match r.handle.await {
            Ok(Ok(ShardExit::Finished)) => tracing::info!(shard = %key, "kinesis: shard read to its end"),
            Ok(Ok(ShardExit::Stopped)) => {}
            Ok(Err(e)) => tracing::warn!(shard = %key, error = %e, "kinesis: shard task failed; will retry"),
            Err(e) => tracing::error!(shard = %key, error = %e, "kinesis: shard task panicked; will retry"),
        }
        ctx.shared.store.release_lease(&key, &ctx.worker).await?;
    }

    // Renew first, before anything that may fail (listing shards): a worker that cannot reach
    // Kinesis for a while keeps its leases as long as it can reach the store. A lease taken by
    // another worker stops its task.
    let until = now_ms() + ctx.lease_duration.as_millis() as i64;
    let held: Vec<String> = running.keys().cloned().collect();
    for key in held {
        if !ctx.shared.store.renew_lease(&key, &ctx.worker, until).await? {
            tracing::info!(shard = %key, "kinesis: lease taken by another worker; stopping this shard");
            if let Some(r) = running.remove(&key) {
                r.cancel.cancel();
                let _ = r.handle.await;
            }
        }
    }

    // Which shards may be read now: not finished, and every parent finished (or trimmed away).
    let mut eligible: BTreeMap<String, (String, ShardInfo)> = BTreeMap::new();
    for stream in sources.keys() {
        let shards = list_shards(&ctx.client, stream)
            .await
            .map_err(|(_, e)| IngestError::Config(format!("listing the shards of stream `{stream}`: {e}")))?;
        let mut finished: HashMap<String, bool> = HashMap::new();
        for s in &shards {
            let cp = ctx.shared.store.checkpoint(&shard_key(stream, &s.id)).await?;
            finished.insert(s.id.clone(), cp.is_some_and(|c| c.position == SHARD_END));
        }
        for s in eligible_shards(&shards, &finished) {
            let mut s = s.clone();
            s.after_parent = s.parents.iter().any(|p| finished.contains_key(p));
            eligible.insert(shard_key(stream, &s.id), (stream.clone(), s));
        }
    }
    let keys: Vec<String> = eligible.keys().cloned().collect();
    ctx.shared.store.ensure_leases(&keys).await?;

    for (key, (_, info)) in &eligible {
        if let (Some(r), Some(end)) = (running.get(key), &info.ending) {
            let _ = r.ending.set(end.clone());
        }
    }

    // Take a fair share: free or expired leases first, then one stolen from the busiest worker.
    let now = now_ms();
    let leases: Vec<Lease> = ctx
        .shared
        .store
        .leases("kinesis:")
        .await?
        .into_iter()
        .filter(|l| eligible.contains_key(&l.key))
        .collect();
    let mut per_owner: BTreeMap<String, Vec<&Lease>> = BTreeMap::new();
    for l in &leases {
        if l.is_held(now) {
            per_owner.entry(l.owner.clone().unwrap_or_default()).or_default().push(l);
        }
    }
    let workers = per_owner.len() + usize::from(!per_owner.contains_key(&ctx.worker));
    let target = leases.len().div_ceil(workers.max(1));
    let mut mine = running.len();
    let mut taken = Vec::new();
    // A lease held under this worker's own id that no task of this process reads was left by
    // an earlier run of this worker (killed before it could release it): resume it now rather
    // than after it expires, as the KCL does. Two live processes given the same id would both
    // read such a shard, and the checkpoint refuses the stale one's commits.
    let takeable = |l: &&Lease| {
        (!l.is_held(now) || l.owner.as_deref() == Some(ctx.worker.as_str())) && !running.contains_key(&l.key)
    };
    for l in leases.iter().filter(takeable) {
        if mine >= target {
            break;
        }
        if ctx.shared.store.take_lease(l, &ctx.worker, until).await? {
            mine += 1;
            taken.push(l.key.clone());
        }
    }
    if mine < target
        && let Some((owner, theirs)) = per_owner
            .iter()
            .filter(|(o, _)| **o != ctx.worker)
            .max_by_key(|(_, v)| v.len())
            .filter(|(_, v)| v.len() > target)
    {
        let victim = theirs[0];
        if ctx.shared.store.take_lease(victim, &ctx.worker, until).await? {
            tracing::info!(shard = %victim.key, from = %owner, "kinesis: took a lease to balance the workers");
            taken.push(victim.key.clone());
        }
    }
    for key in taken {
        let (stream, info) = eligible[&key].clone();
        let child = cancel.child_token();
        let ending = Arc::new(OnceLock::new());
        if let Some(end) = &info.ending {
            let _ = ending.set(end.clone());
        }
        let source = sources[&stream].clone();
        let handle =
            tokio::spawn(shard_task(ctx.clone(), source, info, key.clone(), ending.clone(), child.clone()));
        tracing::info!(shard = %key, worker = %ctx.worker, "kinesis: reading shard");
        running.insert(key, Running { cancel: child, ending, handle });
    }
    Ok(())
}

/// Whether a GetRecords error is worth retrying after a pause.
fn retryable(code: Option<&str>) -> bool {
    !matches!(code, Some("ResourceNotFoundException" | "AccessDeniedException" | "InvalidArgumentException"))
}

/// Reads one shard until it ends, its lease goes, or `cancel` fires.
async fn shard_task(
    ctx: Arc<Context>,
    source: KinesisSource,
    shard: ShardInfo,
    key: String,
    ending: Arc<OnceLock<String>>,
    cancel: CancellationToken,
) -> Result<ShardExit, IngestError> {
    ctx.shared.committer.source_started(&key);
    let exit = read_shard(&ctx, &source, &shard, &key, &ending, &cancel).await;
    ctx.shared.committer.source_stopped(&key);
    exit
}

async fn read_shard(
    ctx: &Context,
    source: &KinesisSource,
    shard: &ShardInfo,
    key: &str,
    ending: &OnceLock<String>,
    cancel: &CancellationToken,
) -> Result<ShardExit, IngestError> {
    let stream = source.stream.as_str();
    let mut prev = ctx.shared.store.checkpoint(key).await?.map(|c| c.position);
    let mut reader = ctx.shared.reader(key);
    let mut iterator: Option<String> = None;
    let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(20));
    let min_interval = Duration::from_millis(200); // 5 reads/s/shard
    loop {
        if cancel.is_cancelled() {
            return Ok(ShardExit::Stopped);
        }
        if prev.as_deref() == Some(SHARD_END) {
            return Ok(ShardExit::Finished);
        }
        let it = match iterator.take() {
            Some(it) => it,
            None => {
                let mut req = ctx.client.get_shard_iterator().stream_name(stream).shard_id(&shard.id);
                req = match prev.as_deref().and_then(|p| p.strip_prefix("seq=")) {
                    Some(seq) => req
                        .shard_iterator_type(ShardIteratorType::AfterSequenceNumber)
                        .starting_sequence_number(seq),
                    None if prev.is_some() => {
                        return Err(IngestError::Checkpoint(prev.unwrap_or_default()));
                    }
                    None if shard.after_parent => req.shard_iterator_type(ShardIteratorType::TrimHorizon),
                    None => match source.start_position {
                        StartPosition::TrimHorizon => req.shard_iterator_type(ShardIteratorType::TrimHorizon),
                        StartPosition::Latest => req.shard_iterator_type(ShardIteratorType::Latest),
                        StartPosition::AtTimestamp => {
                            let ms =
                                gatewatch_core::time::parse_time_param(&source.start_timestamp).unwrap_or(0);
                            req.shard_iterator_type(ShardIteratorType::AtTimestamp)
                                .timestamp(aws_sdk_kinesis::primitives::DateTime::from_millis(ms))
                        }
                    },
                };
                let resp = tokio::select! {
                    _ = cancel.cancelled() => return Ok(ShardExit::Stopped),
                    r = req.send() => r,
                };
                match resp {
                    Ok(r) => match r.shard_iterator() {
                        Some(it) => it.to_string(),
                        // No iterator: the shard is closed and has nothing past the checkpoint.
                        None => String::new(),
                    },
                    Err(e) => {
                        let (code, why) = crate::aws::describe(&e);
                        if !retryable(code.as_deref()) {
                            return Err(IngestError::Config(format!("GetShardIterator on {key}: {why}")));
                        }
                        tracing::warn!(shard = %key, error = %why, "kinesis: GetShardIterator failed; backing off");
                        if sleep_or_cancel(backoff.next_delay(), cancel).await {
                            return Ok(ShardExit::Stopped);
                        }
                        continue;
                    }
                }
            }
        };
        let (records, next, lag) = if it.is_empty() {
            (Vec::new(), None, Some(0))
        } else {
            let resp = tokio::select! {
                _ = cancel.cancelled() => return Ok(ShardExit::Stopped),
                r = ctx.client.get_records().shard_iterator(&it).limit(source.max_records).send() => r,
            };
            match resp {
                Ok(mut r) => {
                    (r.records.drain(..).collect::<Vec<_>>(), r.next_shard_iterator, r.millis_behind_latest)
                }
                Err(e) => {
                    let (code, why) = crate::aws::describe(&e);
                    if code.as_deref() == Some("ExpiredIteratorException") {
                        tracing::debug!(shard = %key, "kinesis: iterator expired; fetching a new one from the checkpoint");
                        continue;
                    }
                    if !retryable(code.as_deref()) {
                        return Err(IngestError::Config(format!("GetRecords on {key}: {why}")));
                    }
                    tracing::warn!(shard = %key, error = %why, "kinesis: GetRecords failed; backing off");
                    if sleep_or_cancel(backoff.next_delay(), cancel).await {
                        return Ok(ShardExit::Stopped);
                    }
                    // Retry with the same iterator (still valid for 5 minutes).
                    iterator = Some(it);
                    continue;
                }
            }
        };
        backoff.reset();
        ctx.shared.committer.stats.set_lag(key, lag);
        // A closed shard ends where GetRecords stops giving an iterator. Emulators keep giving
        // one, so an empty read also ends a closed shard once the checkpoint has reached its
        // ending sequence number (or, never read, once it is not behind).
        let read_out = match (ending.get(), prev.as_deref().and_then(|p| p.strip_prefix("seq="))) {
            (Some(end), Some(seq)) => seq_at_least(seq, end),
            (Some(_), None) => lag == Some(0),
            (None, _) => false,
        };
        let ended = next.is_none() || (records.is_empty() && read_out);
        if !records.is_empty() || ended {
            let last = records.last().map(|r| r.sequence_number().to_string());
            // Decompressing and scrubbing is CPU work: keep it off the threads that renew leases.
            tokio::task::block_in_place(|| {
                reader.refresh_clock();
                for r in &records {
                    reader.blob(r.data().as_ref(), &format!("seq {}", r.sequence_number()));
                }
            });
            let position = match (ended, last) {
                (true, _) => SHARD_END.to_string(),
                (false, Some(seq)) => format!("seq={seq}"),
                (false, None) => unreachable!("a batch has records or ends the shard"),
            };
            let batch = reader.take_batch(position.clone());
            match ctx.shared.committer.commit(key, prev.clone(), batch).await {
                Ok(CommitOutcome::Committed) => prev = Some(position),
                Ok(CommitOutcome::Stale) => {
                    // Another worker advanced this shard (it had the lease meanwhile): re-read
                    // from what it committed. Nothing of this batch was written.
                    tracing::info!(shard = %key, "kinesis: checkpoint moved under this worker; re-reading from it");
                    prev = ctx.shared.store.checkpoint(key).await?.map(|c| c.position);
                    iterator = None;
                    continue;
                }
                Err(IngestError::Aborted) => return Ok(ShardExit::Stopped),
                Err(e) => {
                    tracing::warn!(shard = %key, error = %e, "kinesis: commit failed; re-reading from the checkpoint");
                    iterator = None;
                    if sleep_or_cancel(backoff.next_delay(), cancel).await {
                        return Ok(ShardExit::Stopped);
                    }
                    continue;
                }
            }
            if ended {
                return Ok(ShardExit::Finished);
            }
        }
        iterator = next;
        let pause =
            if records.is_empty() { Duration::from_millis(source.idle_poll_ms) } else { min_interval };
        if sleep_or_cancel(pause, cancel).await {
            return Ok(ShardExit::Stopped);
        }
    }
}

/// Kinesis sequence numbers are decimal strings of up to 128 bits.
fn seq_at_least(seq: &str, than: &str) -> bool {
    (seq.len(), seq) >= (than.len(), than)
}

/// A worker name unique on this host: `host-pid`.
pub fn default_worker_id() -> String {
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    let host = if host.is_empty() { "host".to_string() } else { host };
    format!("{host}-{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(id: &str, parents: &[&str]) -> ShardInfo {
        ShardInfo {
            id: id.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            ending: None,
            after_parent: false,
        }
    }

    fn ids(v: Vec<&ShardInfo>) -> Vec<&str> {
        v.into_iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn children_wait_for_every_parent() {
        // 0 split into 2 and 3; 1 and 3 merged into 4.
        let shards = vec![
            shard("0", &[]),
            shard("1", &[]),
            shard("2", &["0"]),
            shard("3", &["0"]),
            shard("4", &["1", "3"]),
        ];
        let mut finished: HashMap<String, bool> = shards.iter().map(|s| (s.id.clone(), false)).collect();
        assert_eq!(ids(eligible_shards(&shards, &finished)), ["0", "1"]);
        finished.insert("0".into(), true);
        assert_eq!(ids(eligible_shards(&shards, &finished)), ["1", "2", "3"]);
        finished.insert("1".into(), true);
        // 4 still waits for its second parent.
        assert_eq!(ids(eligible_shards(&shards, &finished)), ["2", "3"]);
        finished.insert("3".into(), true);
        assert_eq!(ids(eligible_shards(&shards, &finished)), ["2", "4"]);
    }

    #[test]
    fn sequence_numbers_compare_as_numbers() {
        assert!(seq_at_least("49590338271490256608559692538361571095921575989136588898", "4959"));
        assert!(!seq_at_least("9", "10"));
        assert!(seq_at_least("10", "10"));
    }

    #[test]
    fn a_parent_trimmed_from_the_stream_does_not_block_its_children() {
        let shards = vec![shard("7", &["5"]), shard("8", &["5", "6"])];
        assert_eq!(ids(eligible_shards(&shards, &HashMap::new())), ["7", "8"]);
    }
}
