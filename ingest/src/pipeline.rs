//! The per-record pipeline behind every source: decode the envelope (gzip members, base64
//! lines, CloudWatch Logs subscription JSON), parse the access-log line, pick the client key,
//! and fold the record into the batch aggregator. A batch is handed to a sink together with the
//! source position reached, so the caller can commit both in one transaction.
//!
//! Bad input never stops the pipeline (ARCHITECTURE.md, invariant 5): every unusable record becomes a
//! [`DeadLetter`] with a reason and a position, and reading goes on. Raw text never leaves this
//! module: every line goes through the scrubber before it is parsed, and dead-letter excerpts are
//! cut from scrubbed text only.

use crate::aggregate::{BatchAggregator, TrafficAggregator};
use crate::config::{IdentityConfig, IngestConfig, ScrubConfig};
use crate::dead::DeadReason;
pub use crate::layout::{InputFormat, Layout, LineKind, detect};
use crate::layout::{is_envelope_json, trim_ascii_start};
use crate::lines::{Line, LineReader};
use crate::parse::{AccessRecord, ParseError, Parser};
use crate::scrub::Scrubber;
use base64::Engine as _;
use flate2::bufread::GzDecoder;
use foldhash::{HashSet, HashSetExt};
use gatewatch_core::ClientKind;
use gatewatch_core::alert::{Observation, ObservationBatch, Observer};
use gatewatch_core::time::{HOUR_MS, floor_to, minute_floor};
use gatewatch_core::traffic::{CountryHour, CountryLookup, RouteHour};
use gatewatch_store::{DeadLetter, MinuteRow};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Events before 2000-01-01 cannot be API Gateway logs: a broken clock or a wrong field.
const MIN_EVENT_MS: i64 = 946_684_800_000;
/// A batch also closes after this many dead letters, so a file of garbage still checkpoints.
const MAX_DEAD_PER_BATCH: usize = 10_000;
/// A slow stream (a pipe fed by `tail -f`) still commits this often.
const MAX_BATCH_AGE: Duration = Duration::from_secs(2);
/// Gzip magic bytes.
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("reading {what}: {source}")]
    Io { what: String, source: io::Error },
    #[error(
        "checkpoint `{0}` was written for another input format; replay with the same --format or a new --source"
    )]
    Checkpoint(String),
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Store(#[from] gatewatch_store::Error),
    #[error(
        "source `{0}` was advanced by another writer while this one ran (another replay of the same input?); stopped without writing"
    )]
    Stale(String),
    /// A commit made by the shared committer task failed (its store error, as text: the task
    /// answers every waiting worker).
    #[error("committing a batch: {0}")]
    Commit(String),
    #[error("stopped: the batch consumer went away")]
    Aborted,
}

/// Everything the per-record path needs, built once from the config.
#[derive(Debug, Clone)]
pub struct Settings {
    pub parser: Parser,
    /// Runs on every line before parsing: nothing downstream sees unscrubbed text.
    pub scrubber: Arc<Scrubber>,
    pub identity_order: Vec<ClientKind>,
    /// `identity.max_clients_per_ip_minute` (see [`crate::identity`]).
    pub max_clients_per_ip_minute: usize,
    pub batch_events: usize,
    pub max_line_bytes: usize,
    pub max_envelope_bytes: usize,
    pub max_future_skew_ms: i64,
    /// Source address → country for the per-country hours (none: every country is `--`).
    pub country: Option<CountryLookup>,
}

impl Settings {
    /// Builds the settings; reads (or creates) the scrubber key as configured.
    /// Counts per-country hours with `lookup` (a GeoIP database the binary opened).
    pub fn with_country_lookup(mut self, lookup: Option<CountryLookup>) -> Self {
        self.country = lookup;
        self
    }

    /// From `[scrub]`, `[fields]`, `[identity]` and `[ingest]`.
    pub fn from_config(
        scrub: &ScrubConfig,
        fields: &BTreeMap<String, Vec<String>>,
        identity: &IdentityConfig,
        ingest: &IngestConfig,
    ) -> Result<Self, IngestError> {
        let scrubber = Scrubber::from_config(scrub).map_err(IngestError::Config)?;
        Self::with_scrubber(fields, identity, ingest, scrubber)
    }

    /// The record's client: the first field of `identity.order` that it carries.
    pub fn client_of<'r>(&self, rec: &'r AccessRecord<'_>) -> Option<(ClientKind, &'r str)> {
        self.identity_order.iter().find_map(|k| {
            let v = match k {
                ClientKind::Principal => rec.principal.as_deref(),
                ClientKind::ApiKey => rec.api_key.as_deref(),
                ClientKind::Iam => rec.iam.as_deref(),
                ClientKind::Ip => rec.ip.as_deref(),
            };
            v.map(|v| (*k, v))
        })
    }

    pub fn with_scrubber(
        fields: &BTreeMap<String, Vec<String>>,
        identity: &IdentityConfig,
        ingest: &IngestConfig,
        scrubber: Scrubber,
    ) -> Result<Self, IngestError> {
        Ok(Self {
            parser: Parser::new(fields).map_err(IngestError::Config)?,
            scrubber: Arc::new(scrubber),
            identity_order: identity.order.clone(),
            max_clients_per_ip_minute: identity.max_clients_per_ip_minute,
            batch_events: ingest.batch_events,
            max_line_bytes: ingest.max_line_bytes,
            max_envelope_bytes: ingest.max_envelope_bytes,
            max_future_skew_ms: ingest.max_future_skew_secs.saturating_mul(1000),
            country: None,
        })
    }
}

impl Default for Settings {
    /// Default settings with an ephemeral scrubber key (fingerprints differ between processes).
    fn default() -> Self {
        let scrubber = Scrubber::with_key(&ScrubConfig::default(), crate::scrub::ephemeral_key())
            .expect("default scrub config");
        Self::with_scrubber(&BTreeMap::new(), &IdentityConfig::default(), &IngestConfig::default(), scrubber)
            .expect("default config is valid")
    }
}

/// Live counters for progress display; updated by the reader, read by anyone.
#[derive(Debug, Default)]
pub struct Progress {
    pub bytes_read: AtomicU64,
    pub events: AtomicU64,
    pub dead_letters: AtomicU64,
    pub committed_events: AtomicU64,
}

/// One batch ready to commit: aggregates, dead letters and the position after its last unit.
#[derive(Debug)]
pub struct PendingBatch {
    pub rows: Vec<MinuteRow>,
    /// Hourly traffic per route and per country.
    pub routes: Vec<RouteHour>,
    pub countries: Vec<CountryHour>,
    pub dead_letters: Vec<DeadLetter>,
    /// The metric label of each dead letter, in order ([`DeadReason::label`]).
    pub dead_labels: Vec<&'static str>,
    /// The batch's records for the detector (see [`Reader::with_observations`]).
    pub observations: Option<ObservationBatch>,
    /// The last batch of the input: every detector window may close.
    pub end_of_input: bool,
    /// Alerts and profiles the detector changed with this batch (filled by the detector stage).
    pub alerts: Vec<gatewatch_core::Alert>,
    pub profiles: Vec<gatewatch_core::alert::ProfileRow>,
    pub forget: Vec<String>,
    pub position: String,
    pub events: u64,
    /// Bytes of the log lines folded into this batch.
    pub bytes: u64,
}

impl PendingBatch {
    /// Runs the batch's records through `detector` and keeps what it changed with the batch.
    pub fn detect(&mut self, detector: &mut dyn Observer) {
        if let Some(obs) = self.observations.take() {
            for o in obs.iter() {
                detector.observe(&o);
            }
        }
        let out = detector.drain(self.end_of_input);
        self.alerts = out.alerts;
        self.profiles = out.profiles;
        self.forget = out.forget;
    }
}

/// What a whole read did.
#[derive(Debug, Default, Clone)]
pub struct ReadSummary {
    pub layout: Option<&'static str>,
    pub events: u64,
    pub dead_letters: u64,
    pub clients: u64,
    /// Units (lines or gzip members) skipped because a checkpoint said they were committed.
    pub skipped_units: u64,
    pub units: u64,
    pub batches: u64,
}

/// The CloudWatch Logs subscription envelope (as delivered to Kinesis and Firehose).
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "messageType")]
    message_type: Cow<'a, str>,
    #[serde(rename = "logEvents", default, borrow)]
    log_events: Vec<LogEvent<'a>>,
}

#[derive(Deserialize)]
struct LogEvent<'a> {
    timestamp: Option<i64>,
    #[serde(borrow)]
    message: Cow<'a, str>,
}

/// Reads one input to its end, calling `sink` with each batch.
pub struct Reader<'s> {
    settings: &'s Settings,
    source: String,
    progress: &'s Progress,
    agg: BatchAggregator,
    traffic: TrafficAggregator,
    dead: Vec<DeadLetter>,
    dead_labels: Vec<&'static str>,
    /// Hashes of the distinct clients seen, for the summary (8 bytes a client).
    clients: HashSet<u64>,
    client_hasher: foldhash::quality::FixedState,
    client_cap: crate::identity::ClientCap,
    now_ms: i64,
    summary: ReadSummary,
    batch_started: Instant,
    dirty: bool,
    /// Every counted record for the detector (after scrubbing and parsing), when wanted.
    observations: Option<ObservationBatch>,
    /// Bytes of the lines of the batch being folded.
    bytes: u64,
}

impl<'s> Reader<'s> {
    pub fn new(settings: &'s Settings, source: impl Into<String>, progress: &'s Progress) -> Self {
        Self {
            settings,
            source: source.into(),
            progress,
            agg: BatchAggregator::default(),
            traffic: TrafficAggregator::new(settings.country.clone()),
            dead: Vec::new(),
            dead_labels: Vec::new(),
            clients: HashSet::new(),
            client_hasher: foldhash::quality::FixedState::with_seed(0x6761_7465),
            client_cap: crate::identity::ClientCap::new(settings.max_clients_per_ip_minute),
            now_ms: chrono::Utc::now().timestamp_millis(),
            summary: ReadSummary::default(),
            batch_started: Instant::now(),
            dirty: false,
            observations: None,
            bytes: 0,
        }
    }

    /// Hands every counted record to the detector: each [`PendingBatch`] carries its
    /// records as an [`ObservationBatch`], which the detector stage reads on its own thread.
    pub fn with_observations(mut self, on: bool) -> Self {
        self.observations = on.then(ObservationBatch::default);
        self
    }

    /// Records an unusable record with its reason (no excerpt).
    pub fn dead_letter(&mut self, position: String, reason: DeadReason) {
        self.dead_letter_with(position, reason, None);
    }

    /// `excerpt` must already be scrubbed.
    fn dead_letter_with(&mut self, position: String, reason: DeadReason, excerpt: Option<String>) {
        self.dead_labels.push(reason.label());
        self.dead.push(DeadLetter {
            source: self.source.clone(),
            position,
            reason: reason.to_string(),
            excerpt,
        });
        self.summary.dead_letters += 1;
        self.progress.dead_letters.fetch_add(1, Ordering::Relaxed);
    }

    /// Folds one access-log line (`fallback_ms`: the envelope's timestamp, if any).
    fn access_line(
        &mut self,
        line: &[u8],
        kind: LineKind,
        fallback_ms: Option<i64>,
        pos: impl FnOnce() -> String,
    ) {
        if trim_ascii_start(line).is_empty() {
            return;
        }
        let settings = self.settings;
        self.bytes += line.len() as u64;
        // Every layout ends here, so every event is held to the bound: a file line, a Kinesis
        // or Firehose record line, and an event inside a CloudWatch Logs envelope alike.
        if line.len() > settings.max_line_bytes {
            let reason = DeadReason::TooLong { bytes: line.len(), max: settings.max_line_bytes };
            self.dead_letter_with(pos(), reason, None);
            return;
        }
        let text = match std::str::from_utf8(line) {
            Ok(t) => t,
            Err(e) => {
                let reason = DeadReason::Utf8 { at: e.valid_up_to() };
                self.dead_letter_with(pos(), reason, Some(settings.scrubber.excerpt(line)));
                return;
            }
        };
        // The scrubber runs first: the parser, the aggregator and the store only ever see its output.
        let scrubbed = settings.scrubber.scrub_line(text);
        if let Cow::Owned(s) = &scrubbed {
            crate::metrics::scrub_hits(text, s);
        }
        let parsed = match kind {
            LineKind::Sniff => settings.parser.parse_text(&scrubbed, fallback_ms),
            LineKind::Json => settings.parser.parse_json(&scrubbed, fallback_ms),
            LineKind::Clf => crate::parse::parse_clf(&scrubbed, fallback_ms),
        };
        let reason = match parsed {
            Ok(mut rec) => {
                // No principal or API key: the pseudonym of the logged Authorization header's
                // credential names the caller instead, so "one token from many IPs" is one
                // client, not many. Only that field counts: a token-like string elsewhere in the
                // line (a User-Agent, a path) is the caller's to choose and names nobody.
                let mut credential_named = false;
                if rec.principal.is_none() && rec.api_key.is_none() {
                    let pseudonym = rec.authorization.as_deref().and_then(|a| credential_pseudonym(text, a));
                    credential_named = pseudonym.is_some();
                    rec.principal = pseudonym.map(|p| Cow::Owned(p.to_string()));
                }
                match self.record(&rec, credential_named) {
                    Ok(()) => return,
                    Err(reason) => reason,
                }
            }
            Err(ParseError::NoTimestamp) => DeadReason::Timestamp(ParseError::NoTimestamp.to_string()),
            Err(e) => DeadReason::Parse(e.to_string()),
        };
        self.dead_letter_with(pos(), reason, Some(truncate(&scrubbed, crate::scrub::EXCERPT_BYTES)));
    }

    /// `credential_named`: the principal is the pseudonym of a logged Authorization credential,
    /// which the caller chooses (and which the per-address cap bounds).
    fn record(&mut self, rec: &AccessRecord<'_>, credential_named: bool) -> Result<(), DeadReason> {
        if rec.time_ms < MIN_EVENT_MS {
            return Err(DeadReason::Timestamp(
                "timestamp before 2000-01-01 (wrong field or broken clock)".into(),
            ));
        }
        if rec.time_ms > self.now_ms.saturating_add(self.settings.max_future_skew_ms) {
            return Err(DeadReason::Timestamp(format!(
                "timestamp {} s ahead of the clock (more than ingest.max_future_skew_secs)",
                (rec.time_ms - self.now_ms) / 1000
            )));
        }
        let (mut kind, mut value) = self.settings.client_of(rec).ok_or_else(|| {
            DeadReason::Parse(
                "no client identity (none of the configured identity.order fields is present)".into(),
            )
        })?;
        // Principals, keys and IAM identities are vouched for by API Gateway (an authorizer, a
        // usage plan, SigV4); a credential the caller merely sent is not, so only those are capped.
        if credential_named
            && kind == ClientKind::Principal
            && let Some(ip) = rec.ip.as_deref()
            && !self.client_cap.admit(ip, minute_floor(rec.time_ms), (kind, value))
        {
            (kind, value) = (ClientKind::Ip, ip);
        }
        self.clients.insert(self.client_hasher.hash_one((kind, value)));
        if let Some(obs) = self.observations.as_mut() {
            obs.push(&Observation {
                time_ms: rec.time_ms,
                client_kind: kind,
                client: value,
                ip: rec.ip.as_deref(),
                principal: rec.principal.as_deref(),
                api_key: rec.api_key.as_deref(),
                status: rec.status,
                method: rec.method.as_deref(),
                route: rec.route.as_deref(),
                path: rec.path.as_deref(),
                request_id: rec.request_id.as_deref(),
                authorizer_error: rec.authorizer_error.as_deref(),
                error_message: rec.error_message.as_deref(),
                api: rec.api.as_deref(),
            });
        }
        self.agg.observe(
            kind,
            value,
            minute_floor(rec.time_ms),
            rec.status,
            rec.bytes,
            rec.latency_ms,
            rec.path_for_metrics(),
            rec.ip.as_deref(),
        );
        self.traffic.observe(
            floor_to(rec.time_ms, HOUR_MS),
            rec.api.as_deref(),
            rec.method.as_deref(),
            rec.route.as_deref(),
            rec.ip.as_deref(),
            rec.status,
            rec.bytes,
        );
        self.summary.events += 1;
        Ok(())
    }

    /// Folds one decompressed CWL payload (one or more concatenated envelopes).
    fn envelopes(&mut self, data: &[u8], pos: &str) {
        let mut stream = serde_json::Deserializer::from_slice(data).into_iter::<Envelope>();
        let mut n = 0usize;
        loop {
            match stream.next() {
                None => break,
                Some(Ok(env)) => {
                    n += 1;
                    match env.message_type.as_ref() {
                        "CONTROL_MESSAGE" => {}
                        "DATA_MESSAGE" => {
                            for (i, ev) in env.log_events.iter().enumerate() {
                                self.access_line(
                                    ev.message.as_bytes(),
                                    LineKind::Sniff,
                                    ev.timestamp,
                                    || format!("{pos} envelope {n} event {}", i + 1),
                                );
                            }
                        }
                        _ => self.dead_letter(
                            format!("{pos} envelope {n}"),
                            DeadReason::Envelope("unknown CWL messageType".into()),
                        ),
                    }
                }
                Some(Err(e)) => {
                    let reason = match crate::parse::json_error(e) {
                        ParseError::Json(m) => m.replace("invalid JSON access log", "invalid CWL envelope"),
                        other => other.to_string(),
                    };
                    self.dead_letter(format!("{pos} envelope {}", n + 1), DeadReason::Envelope(reason));
                    break;
                }
            }
        }
    }

    /// Decompresses one gzip blob, at most `max_envelope_bytes`.
    fn gunzip_bounded(&self, data: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let limit = self.settings.max_envelope_bytes as u64;
        flate2::read::MultiGzDecoder::new(data)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("bad gzip: {e}"))?;
        if out.len() as u64 > limit {
            return Err(format!(
                "envelope decompresses past {limit} bytes (ingest.max_envelope_bytes; gzip bomb?)"
            ));
        }
        Ok(out)
    }

    /// Hands the current batch to the sink if it is full (or `force`).
    fn maybe_flush(
        &mut self,
        units: u64,
        unit: &str,
        force: bool,
        sink: &mut dyn FnMut(PendingBatch) -> Result<(), IngestError>,
    ) -> Result<(), IngestError> {
        self.dirty = true;
        let full = self.agg.events() as usize >= self.settings.batch_events
            || self.dead.len() >= MAX_DEAD_PER_BATCH
            || self.batch_started.elapsed() >= MAX_BATCH_AGE;
        if !(full || force) {
            return Ok(());
        }
        let events = self.agg.events();
        let (routes, countries) = self.traffic.take();
        let batch = PendingBatch {
            rows: self.agg.take(),
            routes,
            countries,
            dead_letters: std::mem::take(&mut self.dead),
            dead_labels: std::mem::take(&mut self.dead_labels),
            observations: self.observations.as_mut().map(std::mem::take),
            // `force` is only passed at the end of the input: every detector window may close.
            end_of_input: force,
            alerts: Vec::new(),
            profiles: Vec::new(),
            forget: Vec::new(),
            position: format!("{unit}={units}"),
            events,
            bytes: std::mem::take(&mut self.bytes),
        };
        self.progress.events.fetch_add(events, Ordering::Relaxed);
        self.summary.batches += 1;
        self.batch_started = Instant::now();
        self.dirty = false;
        sink(batch)
    }

    /// Folds one record of a live source (a Kinesis record, a Firehose record): a gzip CWL
    /// envelope, a plain CWL envelope, or access-log lines. `pos` names it in dead letters.
    pub fn blob(&mut self, data: &[u8], pos: &str) {
        if data.starts_with(&GZIP_MAGIC) {
            match self.gunzip_bounded(data) {
                Ok(plain) => self.plain_blob(&plain, pos),
                Err(why) => self.dead_letter(pos.to_string(), DeadReason::Gzip(why)),
            }
        } else {
            self.plain_blob(data, pos);
        }
    }

    fn plain_blob(&mut self, data: &[u8], pos: &str) {
        if is_envelope_json(data) {
            self.envelopes(data, pos);
            return;
        }
        for (i, line) in data.split(|&b| b == b'\n').enumerate() {
            self.access_line(line, LineKind::Sniff, None, || format!("{pos} line {}", i + 1));
        }
    }

    /// Folds one CloudWatch Logs event (as FilterLogEvents returns it).
    pub fn log_event(&mut self, message: &str, timestamp_ms: Option<i64>, pos: impl FnOnce() -> String) {
        self.access_line(message.as_bytes(), LineKind::Sniff, timestamp_ms, pos);
    }

    /// Re-reads the wall clock for the clock-skew check (a live reader runs for days).
    pub fn refresh_clock(&mut self) {
        self.now_ms = chrono::Utc::now().timestamp_millis();
    }

    /// Closes the batch folded so far at `position` (live sources commit one batch per read).
    pub fn take_batch(&mut self, position: String) -> PendingBatch {
        let events = self.agg.events();
        let (routes, countries) = self.traffic.take();
        self.progress.events.fetch_add(events, Ordering::Relaxed);
        self.summary.batches += 1;
        self.dirty = false;
        // A live reader runs for days: its set of distinct clients (for the summary) restarts.
        self.clients.clear();
        PendingBatch {
            rows: self.agg.take(),
            routes,
            countries,
            dead_letters: std::mem::take(&mut self.dead),
            dead_labels: std::mem::take(&mut self.dead_labels),
            observations: self.observations.as_mut().map(std::mem::take),
            end_of_input: false,
            alerts: Vec::new(),
            profiles: Vec::new(),
            forget: Vec::new(),
            position,
            events,
            bytes: std::mem::take(&mut self.bytes),
        }
    }

    /// Reads `input` (laid out as `layout`) to the end. `resume` is the checkpoint position of
    /// this source, if any: units up to it are skipped, not counted again.
    pub fn run(
        mut self,
        input: impl BufRead,
        layout: Layout,
        resume: Option<&str>,
        sink: &mut dyn FnMut(PendingBatch) -> Result<(), IngestError>,
    ) -> Result<ReadSummary, IngestError> {
        let unit = layout.unit();
        let skip = match resume {
            None => 0,
            Some(p) => p
                .strip_prefix(unit)
                .and_then(|r| r.strip_prefix('='))
                .and_then(|n| n.parse::<u64>().ok())
                .ok_or_else(|| IngestError::Checkpoint(p.to_string()))?,
        };
        self.summary.layout = Some(layout.describe());
        let io_err = |e| IngestError::Io { what: "input".into(), source: e };
        let mut units = 0u64;
        match layout {
            Layout::CwlGzipMembers => {
                let mut input = input;
                loop {
                    if input.fill_buf().map_err(io_err)?.is_empty() {
                        break;
                    }
                    units += 1;
                    let pos = format!("member {units}");
                    let member = read_member(&mut input, self.settings.max_envelope_bytes);
                    if units <= skip {
                        self.summary.skipped_units += 1;
                        if let Err(MemberError::Fatal(_)) = member {
                            break;
                        }
                        continue;
                    }
                    match member {
                        Ok(data) => self.envelopes(&data, &pos),
                        Err(MemberError::TooBig(limit)) => self.dead_letter(
                            pos,
                            DeadReason::Gzip(format!(
                                "gzip member decompresses past {limit} bytes (ingest.max_envelope_bytes; gzip bomb?)"
                            )),
                        ),
                        Err(MemberError::Fatal(why)) => {
                            // A corrupt or truncated member cannot be resynchronised: stop here,
                            // having kept everything before it.
                            self.dead_letter(pos, DeadReason::Gzip(format!("{why}; the rest of the input is skipped")));
                            self.maybe_flush(units, unit, false, sink)?;
                            break;
                        }
                    }
                    self.maybe_flush(units, unit, false, sink)?;
                }
            }
            Layout::AccessLines { .. } | Layout::CwlBase64Lines | Layout::CwlJsonLines => {
                let gzip = matches!(layout, Layout::AccessLines { gzip: true, .. });
                let reader: Box<dyn BufRead> = if gzip {
                    Box::new(BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(input)))
                } else {
                    Box::new(input)
                };
                let mut lines = LineReader::new(reader, self.settings.max_line_bytes);
                loop {
                    let line = match lines.next_line() {
                        Ok(Some(l)) => l,
                        Ok(None) => break,
                        Err(e) if gzip => {
                            // Truncated or corrupt gzip stream: keep what was read, record why.
                            units += 1;
                            let reason =
                                DeadReason::Gzip(format!("bad gzip: {e}; the rest of the input is skipped"));
                            if units > skip {
                                self.dead_letter(format!("line {units}"), reason);
                            }
                            break;
                        }
                        Err(e) => return Err(io_err(e)),
                    };
                    units += 1;
                    if units <= skip {
                        self.summary.skipped_units += 1;
                        continue;
                    }
                    let pos = || format!("line {units}");
                    match line {
                        Line::TooLong(n) => {
                            let reason = DeadReason::TooLong { bytes: n, max: self.settings.max_line_bytes };
                            self.dead_letter_with(pos(), reason, None);
                        }
                        Line::Ok(bytes) => match layout {
                            Layout::AccessLines { kind, .. } => self.access_line(bytes, kind, None, pos),
                            Layout::CwlJsonLines => self.envelopes(bytes, &pos()),
                            _ => {
                                let trimmed = std::str::from_utf8(bytes).map(str::trim).unwrap_or("");
                                if trimmed.is_empty() && !bytes.is_empty() {
                                    self.dead_letter(
                                        pos(),
                                        DeadReason::Base64("base64 line is not ASCII".into()),
                                    );
                                } else if !trimmed.is_empty() {
                                    match base64::engine::general_purpose::STANDARD.decode(trimmed) {
                                        Err(_) => self
                                            .dead_letter(pos(), DeadReason::Base64("invalid base64".into())),
                                        Ok(raw) if raw.starts_with(&GZIP_MAGIC) => {
                                            match self.gunzip_bounded(&raw) {
                                                Ok(data) => self.envelopes(&data, &pos()),
                                                Err(why) => self.dead_letter(pos(), DeadReason::Gzip(why)),
                                            }
                                        }
                                        Ok(raw) => self.envelopes(&raw, &pos()),
                                    }
                                }
                            }
                        },
                    }
                    self.maybe_flush(units, unit, false, sink)?;
                }
            }
        }
        self.summary.units = units;
        if self.dirty || !self.dead.is_empty() || self.agg.events() > 0 || self.observations.is_some() {
            self.maybe_flush(units.max(skip), unit, true, sink)?;
        }
        self.summary.clients = self.clients.len() as u64;
        Ok(self.summary)
    }
}

/// The first credential marker (`[REDACTED:jwt:…]`, bearer, basic) the scrubber wrote into
/// `scrubbed`, the scrubbed Authorization field (not one already in `raw`: a caller who writes
/// `[REDACTED:jwt:…]` into a logged field must not pass as that credential).
fn credential_pseudonym<'a>(raw: &str, scrubbed: &'a str) -> Option<&'a str> {
    if !scrubbed.contains("[REDACTED:") {
        return None;
    }
    ["[REDACTED:jwt:", "[REDACTED:bearer:", "[REDACTED:basic_auth:"].iter().find_map(|p| {
        memchr::memmem::find_iter(scrubbed.as_bytes(), p).find_map(|start| {
            let end = crate::scrub::marker_at(scrubbed, start)?;
            let marker = &scrubbed[start..end];
            (!raw.contains(marker)).then_some(marker)
        })
    })
}

fn truncate(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

enum MemberError {
    TooBig(usize),
    Fatal(String),
}

/// Reads one gzip member from `input`, leaving `input` positioned at the next member.
/// A member larger than `limit` once decompressed is drained (bounded work) and reported.
fn read_member(input: &mut impl BufRead, limit: usize) -> Result<Vec<u8>, MemberError> {
    let mut dec = GzDecoder::new(input);
    let mut out = Vec::new();
    match (&mut dec).take(limit as u64 + 1).read_to_end(&mut out) {
        Err(e) => return Err(MemberError::Fatal(format!("bad gzip member: {e}"))),
        Ok(_) if out.len() > limit => {
            drop(out);
            // Drain the rest of the bomb to reach the next member, but give up past 64x the limit.
            let drained = io::copy(&mut (&mut dec).take(limit as u64 * 64), &mut io::sink());
            return match drained {
                Ok(n) if n < limit as u64 * 64 => Err(MemberError::TooBig(limit)),
                _ => Err(MemberError::Fatal(format!(
                    "gzip member decompresses past {limit} bytes (ingest.max_envelope_bytes; gzip bomb?)"
                ))),
            };
        }
        Ok(_) => {}
    }
    if out.is_empty() && dec.header().is_none() {
        return Err(MemberError::Fatal("not gzip data".into()));
    }
    Ok(out)
}

/// Counts bytes read into [`Progress::bytes_read`].
pub struct CountingReader<'p, R> {
    pub inner: R,
    pub progress: &'p Progress,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.bytes_read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
