//! What the pipeline tells Prometheus, through the `metrics` facade (the process that serves
//! `/metrics` installs the recorder; without one these calls cost next to nothing). Figures are
//! recorded when a batch commits, so a batch that is refused and read again counts once.
//! Names are those `dashboards/` queries.

use crate::pipeline::PendingBatch;

/// The kind of a stored source name: `kinesis:stream:shard`, `cwl:group`, `firehose:request`,
/// or a replayed input.
pub fn source_kind(source: &str) -> &'static str {
    match source.split(':').next() {
        Some("kinesis") => "kinesis",
        Some("cwl") => "cloudwatch_logs",
        Some("firehose") => "firehose",
        _ => "replay",
    }
}

/// Zero-valued series for a source kind, so dashboards and rate() see it before traffic.
pub fn init(kind: &'static str) {
    metrics::counter!("gatewatch_events_ingested_total", "source" => kind).absolute(0);
    metrics::counter!("gatewatch_bytes_ingested_total", "source" => kind).absolute(0);
    metrics::counter!("gatewatch_batches_committed_total", "source" => kind).absolute(0);
    for r in crate::dead::DeadReason::LABELS {
        metrics::counter!("gatewatch_dead_letters_total", "reason" => r).absolute(0);
    }
    for k in crate::scrub::Kind::BUILTIN {
        metrics::counter!("gatewatch_scrub_hits_total", "kind" => k.as_str()).absolute(0);
    }
}

/// The figures of a batch, taken before it is moved into its store write.
pub struct BatchFigures {
    kind: &'static str,
    events: u64,
    bytes: u64,
    dead: Vec<&'static str>,
}

impl BatchFigures {
    pub fn of(source: &str, b: &PendingBatch) -> Self {
        Self { kind: source_kind(source), events: b.events, bytes: b.bytes, dead: b.dead_labels.clone() }
    }

    /// Call once the batch has committed.
    pub fn committed(self) {
        let k = self.kind;
        metrics::counter!("gatewatch_events_ingested_total", "source" => k).increment(self.events);
        metrics::counter!("gatewatch_bytes_ingested_total", "source" => k).increment(self.bytes);
        metrics::counter!("gatewatch_batches_committed_total", "source" => k).increment(1);
        for r in self.dead {
            metrics::counter!("gatewatch_dead_letters_total", "reason" => r).increment(1);
        }
    }
}

/// Counts the pseudonyms a scrubbed line carries, by kind (`[REDACTED:kind:hex]`). Called only
/// for lines the scrubber changed.
pub fn scrub_hits(raw: &str, scrubbed: &str) {
    const MARK: &str = "[REDACTED:";
    for at in memchr::memmem::find_iter(scrubbed.as_bytes(), MARK) {
        let Some(end) = crate::scrub::marker_at(scrubbed, at) else { continue };
        let marker = &scrubbed[at..end];
        // A marker already in the input was written by someone else: not a hit, and its kind
        // (any text) must not become a label value.
        if raw.contains(marker) {
            continue;
        }
        let kind = &marker[MARK.len()..marker.len() - 10];
        metrics::counter!("gatewatch_scrub_hits_total", "kind" => kind.to_string()).increment(1);
    }
}

/// How far a live source's partition is behind (Kinesis MillisBehindLatest, poll lag).
pub fn lag(kind: &'static str, partition: &str, seconds: f64) {
    metrics::gauge!("gatewatch_source_lag_seconds", "source" => kind, "partition" => partition.to_string())
        .set(seconds);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_fall_into_few_kinds() {
        assert_eq!(source_kind("kinesis:s:shardId-000"), "kinesis");
        assert_eq!(source_kind("cwl:/aws/apigw"), "cloudwatch_logs");
        assert_eq!(source_kind("firehose:abc"), "firehose");
        assert_eq!(source_kind("a1b2c3d4"), "replay");
    }
}
