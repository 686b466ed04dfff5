//! Synthetic API Gateway traffic for demos, load tests and detector evaluation.
//!
//! The generator models a client population (Cognito principals, API keys, IAM roles and
//! anonymous callers) with heavy-tailed activity, a diurnal load curve, two APIs (a REST API and
//! an HTTP API) and realistic status / latency / size mixes, then optionally injects labelled
//! scenarios whose ground truth is available from [`attack_plan`]: attacks a detector should
//! find, and benign look-alikes (an outage, a corporate NAT, a high-volume partner, a flight, a
//! mobile user, a growing customer) on which it must stay silent.
//!
//! Output is deterministic for a seed: the same [`GenOptions`] always yield byte-identical output,
//! because every random choice comes from seeded ChaCha streams and nothing reads the clock or
//! iterates a hash map. Events are produced minute by minute, so memory stays flat however long
//! the run is.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use base64::Engine as _;
use flate2::Compression;
use flate2::write::GzEncoder;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod attacks;
mod envelopes;
mod geography;
mod population;
mod render;
mod routes;
mod scenarios;
mod stream;
#[cfg(test)]
mod tests;

use attacks::*;
use envelopes::*;
pub use geography::DENIED_COUNTRY;
use geography::*;
use population::*;
use render::*;
use routes::*;
use scenarios::*;
use stream::*;

pub(crate) const MINUTE_MS: i64 = 60_000;
/// 2026-11-24T00:00:00Z.
pub(crate) const DEFAULT_START_MS: i64 = 1_795_478_400_000;
/// 9999-12-31T23:59:59.999Z: the last instant a four-digit `requestTime` can show.
pub(crate) const MAX_MS: i64 = 253_402_300_799_999;
/// Ten years; longer runs are not useful and would only risk overflowing the time range.
pub(crate) const MAX_MINUTES: u32 = 5_256_000;
pub(crate) const MAX_CLIENTS: usize = 2_000_000;
/// Caps one minute's buffer (the unit of generation) at roughly 50 MB.
pub(crate) const MAX_RATE_PER_MIN: f64 = 100_000.0;

pub(crate) const ACCOUNT_ID: &str = "123456789012";
pub(crate) const REST_API_ID: &str = "k7x2mq9d4t";
pub(crate) const HTTP_API_ID: &str = "r3v8wz1p6c";
pub(crate) const REST_DOMAIN: &str = "api.example.com";
pub(crate) const HTTP_DOMAIN: &str = "r3v8wz1p6c.execute-api.eu-west-1.amazonaws.com";
pub(crate) const STAGE: &str = "prod";
pub(crate) const SUBSCRIPTION_FILTER: &str = "gatewatch";
/// CloudWatch Logs caps a subscription delivery by size; 200 events or 10 s keeps envelopes small.
pub(crate) const CWL_MAX_EVENTS: usize = 200;
pub(crate) const CWL_MAX_SPAN_MS: i64 = 10_000;

// Independent ChaCha streams, so that e.g. turning attacks off does not reshuffle normal traffic.
pub(crate) const STREAM_POPULATION: u64 = 1;
pub(crate) const STREAM_ATTACKS: u64 = 2;
pub(crate) const STREAM_TRAFFIC: u64 = 3;
/// The scenarios added after the first seven attacks: their clients and windows ...
pub(crate) const STREAM_SCENARIOS: u64 = 4;
/// ... and their events (the outage's rewrites of normal events included), so that adding them
/// left normal traffic and the first seven attacks byte-identical outside the outage.
pub(crate) const STREAM_SCENARIO_TRAFFIC: u64 = 5;

/// What to generate. Out-of-range values are clamped, never rejected.
#[derive(Clone, Debug)]
pub struct GenOptions {
    pub seed: u64,
    /// Normal (non-attacking) clients; clamped to 1..=2,000,000.
    pub clients: usize,
    /// First minute of the run, epoch milliseconds.
    pub start_ms: i64,
    /// Length of the run; clamped to at least 1.
    pub minutes: u32,
    /// Average events per minute over the whole population (before attacks).
    pub mean_rate_per_min: f64,
    /// Inject the scenarios (attacks and benign look-alikes) listed by [`attack_plan`].
    pub attacks: bool,
}

impl Default for GenOptions {
    fn default() -> Self {
        Self {
            seed: 1,
            clients: 3000,
            start_ms: DEFAULT_START_MS,
            minutes: 360,
            mean_rate_per_min: 1200.0,
            attacks: true,
        }
    }
}

/// Output encodings understood by [`write`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OutFormat {
    /// One JSON access-log line per event (API Gateway `$context` names).
    Ndjson,
    /// API Gateway's CLF access-log format.
    Clf,
    /// CloudWatch Logs subscription envelopes, one gzip member each, concatenated.
    CwlGzip,
    /// The same gzip envelopes, base64-encoded one per line (Kinesis `Data`).
    CwlBase64,
}

impl FromStr for OutFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ndjson" => Ok(Self::Ndjson),
            "clf" => Ok(Self::Clf),
            "cwl-gzip" => Ok(Self::CwlGzip),
            "cwl-base64" => Ok(Self::CwlBase64),
            _ => Err(format!("unknown output format `{s}` (expected ndjson, clf, cwl-gzip or cwl-base64)")),
        }
    }
}

/// Which of the two simulated APIs served a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Api {
    /// REST API on `api.example.com`, stage `prod`.
    Rest,
    /// HTTP API (`/v2/...`) on its execute-api domain, stage `prod`.
    Http,
}

/// One generated request.
#[derive(Clone, Debug)]
pub struct GenEvent {
    pub time_ms: i64,
    /// uuid-like, unique.
    pub request_id: String,
    pub api: Api,
    /// IPv4 (a few IPv6 too).
    pub ip: String,
    pub principal: Option<String>,
    pub api_key_id: Option<String>,
    /// IAM caller e.g. "AROAEXAMPLEID:session-name".
    pub caller: Option<String>,
    pub user_arn: Option<String>,
    pub method: &'static str,
    /// Route template e.g. "/users/{id}"; "-" when no route matched (scanner noise).
    pub route: &'static str,
    /// Concrete path e.g. "/users/1234" (no stage prefix).
    pub path: String,
    pub status: u16,
    pub bytes: u64,
    /// `responseLatency`.
    pub latency_ms: u64,
    /// `None` when API Gateway answered without calling the integration (throttle, authorizer).
    pub integration_latency_ms: Option<u64>,
    pub user_agent: String,
    pub authorizer_error: Option<String>,
}

/// Ground truth of one injected scenario, for tests and detector evaluation.
///
/// The window is half-open. For an attack it is when the rule is expected to fire: the seven
/// original attacks, `distributed_scraping` and `denied_geo` have no events outside it, while the
/// subjects of `volume_spike` and `new_country` are established clients active all run long and
/// the window is their anomalous stretch. For a benign look-alike it spans all of its activity
/// (the whole run for most), and no alert may be raised on its subject at any time in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttackInfo {
    /// The rule expected to fire (e.g. "brute_force"), or the look-alike's name when `benign`.
    pub name: &'static str,
    /// `type:value` as alerts name it: ip:…, principal:…, api_key:…, asn:AS<number>, or `*` for a
    /// look-alike that touches every client (the outage).
    pub subject: String,
    pub start_ms: i64,
    pub end_ms: i64,
    /// A benign look-alike: no alert may be raised on its subject.
    pub benign: bool,
}

/// `attack <name> <subject> <start> <end>`, or `benign …` for a look-alike; RFC 3339 times.
impl fmt::Display for AttackInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {}",
            if self.benign { "benign" } else { "attack" },
            self.name,
            self.subject,
            gatewatch_core::time::rfc3339(self.start_ms),
            gatewatch_core::time::rfc3339(self.end_ms)
        )
    }
}

/// The scenarios [`events`] injects for these options, the seven original attacks first (empty
/// when `attacks` is false).
pub fn attack_plan(opts: &GenOptions) -> Vec<AttackInfo> {
    let n = Norm::from(opts);
    let attacks = build_attacks(&n).into_iter().map(|a| a.info);
    attacks.chain(build_scenarios(&n).into_iter().map(|s| s.info)).collect()
}

/// All events in non-decreasing time order, generated lazily minute by minute.
pub fn events(opts: &GenOptions) -> impl Iterator<Item = GenEvent> {
    Generator::new(&Norm::from(opts))
}

/// Writes the events in `format`; returns the number of access-log events written.
pub fn write(opts: &GenOptions, format: OutFormat, out: &mut dyn Write) -> io::Result<u64> {
    let norm = Norm::from(opts);
    let mut out = BufWriter::new(out);
    let mut count = 0u64;
    match format {
        OutFormat::Ndjson | OutFormat::Clf => {
            for e in events(opts) {
                let line = if format == OutFormat::Ndjson { json_line(&e) } else { clf_line(&e) };
                out.write_all(line.as_bytes())?;
                out.write_all(b"\n")?;
                count += 1;
            }
        }
        OutFormat::CwlGzip | OutFormat::CwlBase64 => {
            let mut cwl = CwlWriter::new(&mut out, format == OutFormat::CwlBase64, norm.seed);
            cwl.control_message(norm.start_ms)?;
            for e in events(opts) {
                cwl.push(&e)?;
                count += 1;
            }
            cwl.finish()?;
        }
    }
    out.flush()?;
    Ok(count)
}

/// Formats one event as a JSON access-log line (no newline), the way API Gateway renders
/// `$context` variables: every value a string, `"-"` when missing.
pub fn json_line(e: &GenEvent) -> String {
    let status = e.status.to_string();
    let bytes = e.bytes.to_string();
    let latency = e.latency_ms.to_string();
    let integration = opt_num(e.integration_latency_ms);
    let principal = dash(&e.principal);
    let api_key = dash(&e.api_key_id);
    let authorizer_error = dash(&e.authorizer_error);
    let protocol = protocol(&e.user_agent);
    match e.api {
        Api::Rest => json_object(&[
            ("requestId", &e.request_id),
            ("ip", &e.ip),
            ("caller", dash(&e.caller)),
            ("user", dash(&e.user_arn)),
            ("requestTime", &clf_time(e.time_ms)),
            ("httpMethod", e.method),
            ("resourcePath", e.route),
            ("path", &e.path),
            ("status", &status),
            ("protocol", protocol),
            ("responseLength", &bytes),
            ("principalId", principal),
            ("apiKeyId", api_key),
            ("userAgent", &e.user_agent),
            ("responseLatency", &latency),
            ("integrationLatency", &integration),
            ("domainName", REST_DOMAIN),
            ("stage", STAGE),
            ("authorizerError", authorizer_error),
            ("userArn", dash(&e.user_arn)),
        ]),
        Api::Http => json_object(&[
            ("requestId", &e.request_id),
            ("ip", &e.ip),
            ("requestTimeEpoch", &e.time_ms.to_string()),
            ("httpMethod", e.method),
            ("routeKey", &route_key(e)),
            ("path", &e.path),
            ("status", &status),
            ("protocol", protocol),
            ("responseLength", &bytes),
            ("principalId", principal),
            ("apiKeyId", api_key),
            ("userAgent", &e.user_agent),
            ("responseLatency", &latency),
            ("integrationLatency", &integration),
            ("domainName", HTTP_DOMAIN),
            ("stage", STAGE),
            ("authorizerError", authorizer_error),
        ]),
    }
}

/// Formats one event in API Gateway's CLF access-log format (no newline).
pub fn clf_line(e: &GenEvent) -> String {
    let time = clf_time(e.time_ms);
    let proto = protocol(&e.user_agent);
    match e.api {
        Api::Rest => format!(
            "{} {} {} [{}] \"{} {} {}\" {} {} {}",
            e.ip,
            dash(&e.caller),
            dash(&e.user_arn),
            time,
            e.method,
            e.route,
            proto,
            e.status,
            e.bytes,
            e.request_id
        ),
        Api::Http => format!(
            "{} - - [{}] \"{} {} {}\" {} {} {}",
            e.ip,
            time,
            e.method,
            route_key(e),
            proto,
            e.status,
            e.bytes,
            e.request_id
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Options

/// Options after clamping; everything downstream may rely on these invariants.
#[derive(Clone, Copy)]
pub(crate) struct Norm {
    pub(crate) seed: u64,
    pub(crate) clients: usize,
    pub(crate) start_ms: i64,
    pub(crate) minutes: u32,
    pub(crate) rate: f64,
    pub(crate) attacks: bool,
}

impl From<&GenOptions> for Norm {
    fn from(o: &GenOptions) -> Self {
        let minutes = o.minutes.clamp(1, MAX_MINUTES);
        let span = i64::from(minutes) * MINUTE_MS;
        // Keep the whole run inside what a CLF timestamp can express.
        let start_ms = o.start_ms.clamp(0, MAX_MS - span);
        let rate = if o.mean_rate_per_min.is_finite() {
            o.mean_rate_per_min.clamp(0.0, MAX_RATE_PER_MIN)
        } else {
            0.0
        };
        Self {
            seed: o.seed,
            clients: o.clients.clamp(1, MAX_CLIENTS),
            start_ms,
            minutes,
            rate,
            attacks: o.attacks,
        }
    }
}

pub(crate) fn stream_rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

// ---------------------------------------------------------------------------------------------
