//! The CloudWatch Logs poller: FilterLogEvents over each log group, in closed time windows.
//!
//! Each log group is a source `cwl:<group>` whose checkpoint is `t=<ms>`: every event with a
//! timestamp before it is counted. A poll reads the window `[t, min(now − settle, t + max
//! window))` to its last page, de-duplicates events by event id (pages of interleaved log
//! streams may repeat an event at a boundary timestamp), and commits the window with its end
//! in one transaction. Windows are half-open, so an event at a window's edge belongs to exactly
//! one window; a crash mid-window re-reads the whole window, which was not committed.
//!
//! Polling sees an event only once CloudWatch Logs has made it searchable: events delivered
//! later than `settle_secs` after their own timestamp are missed. A subscription filter to
//! Kinesis or Firehose has no such gap.

use crate::config::CloudWatchLogsSource;
use crate::live::{Backoff, Shared, sleep_or_cancel};
use crate::pipeline::IngestError;
use aws_sdk_cloudwatchlogs::Client;
use gatewatch_store::CommitOutcome;
use gatewatch_store::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

pub struct Context {
    pub client: Client,
    pub shared: Shared,
}

/// Store key (checkpoint source) of a log group.
pub fn group_key(group: &str) -> String {
    format!("cwl:{group}")
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

async fn groups_with_prefix(client: &Client, prefix: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let resp = client
            .describe_log_groups()
            .log_group_name_prefix(prefix)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| crate::aws::describe(&e).1)?;
        out.extend(resp.log_groups().iter().filter_map(|g| g.log_group_name().map(str::to_string)));
        match resp.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

/// Polls the source's log groups until `cancel` fires.
pub async fn run(
    ctx: Arc<Context>,
    src: CloudWatchLogsSource,
    cancel: CancellationToken,
) -> Result<(), IngestError> {
    let start = if src.start_time.is_empty() {
        None
    } else {
        gatewatch_core::time::parse_time_param(&src.start_time)
    };
    let settle = src.settle_secs as i64 * 1000;
    let max_window = src.max_window_secs as i64 * 1000;
    let mut groups: BTreeSet<String> = src.log_groups.iter().cloned().collect();
    // A named group that does not exist, refused access or missing credentials will not mend
    // by retrying: say so and stop. An unreachable endpoint is retried below.
    for group in &groups {
        let probe = ctx.client.describe_log_groups().log_group_name_prefix(group).limit(50).send();
        let probe = tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            r = probe => r,
        };
        match probe {
            Ok(r) if !r.log_groups().iter().any(|g| g.log_group_name() == Some(group.as_str())) => {
                return Err(IngestError::Config(format!(
                    "log group `{group}` does not exist in this region (or is not visible to these credentials)"
                )));
            }
            Ok(_) => {}
            Err(e) => {
                let (code, why) = crate::aws::describe(&e);
                if crate::aws::is_permanent(code.as_deref(), &why) {
                    return Err(IngestError::Config(format!("CloudWatch Logs group `{group}`: {why}")));
                }
            }
        }
    }
    let mut backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(60));
    let mut polls = 0u64;
    loop {
        if !src.log_group_prefix.is_empty() && polls.is_multiple_of(10) {
            match groups_with_prefix(&ctx.client, &src.log_group_prefix).await {
                Ok(found) => {
                    for g in found {
                        if groups.insert(g.clone()) {
                            tracing::info!(log_group = %g, "cloudwatch logs: polling a new log group");
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(prefix = %src.log_group_prefix, error = %e, "cloudwatch logs: listing log groups failed")
                }
            }
        }
        polls += 1;
        let mut behind = false;
        let mut failed = 0usize;
        for group in &groups {
            match poll_window(&ctx, group, start, settle, max_window, &cancel).await {
                Ok(Poll::Read { caught_up }) => behind |= !caught_up,
                Ok(Poll::Nothing) => {}
                Ok(Poll::Cancelled) => return Ok(()),
                Err(e) => {
                    failed += 1;
                    tracing::warn!(log_group = %group, error = %e, "cloudwatch logs: poll failed; backing off");
                }
            }
        }
        // Only when every group failed (the endpoint, the credentials) does the poller back off;
        // one broken group (deleted, denied) does not hold the others back.
        let pause = if failed > 0 && failed == groups.len() {
            backoff.next_delay()
        } else {
            backoff.reset();
            // A backfill goes on at once; a caught-up poller waits for new events.
            if behind { Duration::from_millis(200) } else { Duration::from_secs(src.poll_interval_secs) }
        };
        if sleep_or_cancel(pause, &cancel).await {
            return Ok(());
        }
    }
}

enum Poll {
    Read { caught_up: bool },
    Nothing,
    Cancelled,
}

/// Reads and commits the next window of one log group.
async fn poll_window(
    ctx: &Context,
    group: &str,
    start: Option<i64>,
    settle: i64,
    max_window: i64,
    cancel: &CancellationToken,
) -> Result<Poll, IngestError> {
    let key = group_key(group);
    let prev = ctx.shared.store.checkpoint(&key).await?.map(|c| c.position);
    let from = match prev.as_deref() {
        Some(p) => p
            .strip_prefix("t=")
            .and_then(|t| t.parse::<i64>().ok())
            .ok_or_else(|| IngestError::Checkpoint(p.to_string()))?,
        None => start.unwrap_or_else(|| now_ms() - settle),
    };
    let horizon = now_ms() - settle;
    let to = horizon.min(from.saturating_add(max_window));
    if to <= from {
        return Ok(Poll::Nothing);
    }
    let mut reader = ctx.shared.reader(key.clone());
    let mut seen: HashSet<String> = HashSet::new();
    let mut token: Option<String> = None;
    loop {
        let req = ctx
            .client
            .filter_log_events()
            .log_group_name(group)
            .start_time(from)
            // endTime is inclusive: the window is [from, to).
            .end_time(to - 1)
            .set_next_token(token.clone());
        let resp = tokio::select! {
            _ = cancel.cancelled() => return Ok(Poll::Cancelled),
            r = req.send() => r,
        };
        let resp = resp.map_err(|e| {
            let (code, why) = crate::aws::describe(&e);
            let why = format!("FilterLogEvents on `{group}`: {why}");
            match code.as_deref() {
                Some("ResourceNotFoundException") => {
                    IngestError::Config(format!("{why} (does the log group exist in this region?)"))
                }
                _ => IngestError::Config(why),
            }
        })?;
        for ev in resp.events() {
            let id = ev.event_id().unwrap_or_default();
            if !id.is_empty() && !seen.insert(id.to_string()) {
                continue;
            }
            let message = ev.message().unwrap_or_default();
            reader.log_event(message, ev.timestamp(), || format!("event {id}"));
        }
        match resp.next_token() {
            Some(t) if Some(t) == token.as_deref() => {
                // Committing now would skip the rest of the window.
                return Err(IngestError::Config(format!(
                    "FilterLogEvents on `{group}` returned the same nextToken twice; window not committed"
                )));
            }
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    let position = format!("t={to}");
    let batch = reader.take_batch(position);
    match ctx.shared.committer.commit(&key, prev, batch).await? {
        CommitOutcome::Committed => {
            ctx.shared.committer.stats.set_lag(&key, Some(now_ms() - to));
            Ok(Poll::Read { caught_up: to >= horizon })
        }
        // Another poller of the same group committed first: its window stands, ours is dropped.
        CommitOutcome::Stale => Ok(Poll::Read { caught_up: false }),
    }
}
