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

const MINUTE_MS: i64 = 60_000;
/// 2026-11-24T00:00:00Z.
const DEFAULT_START_MS: i64 = 1_795_478_400_000;
/// 9999-12-31T23:59:59.999Z: the last instant a four-digit `requestTime` can show.
const MAX_MS: i64 = 253_402_300_799_999;
/// Ten years; longer runs are not useful and would only risk overflowing the time range.
const MAX_MINUTES: u32 = 5_256_000;
const MAX_CLIENTS: usize = 2_000_000;
/// Caps one minute's buffer (the unit of generation) at roughly 50 MB.
const MAX_RATE_PER_MIN: f64 = 100_000.0;

const ACCOUNT_ID: &str = "123456789012";
const REST_API_ID: &str = "k7x2mq9d4t";
const HTTP_API_ID: &str = "r3v8wz1p6c";
const REST_DOMAIN: &str = "api.example.com";
const HTTP_DOMAIN: &str = "r3v8wz1p6c.execute-api.eu-west-1.amazonaws.com";
const STAGE: &str = "prod";
const SUBSCRIPTION_FILTER: &str = "gatewatch";
/// CloudWatch Logs caps a subscription delivery by size; 200 events or 10 s keeps envelopes small.
const CWL_MAX_EVENTS: usize = 200;
const CWL_MAX_SPAN_MS: i64 = 10_000;

// Independent ChaCha streams, so that e.g. turning attacks off does not reshuffle normal traffic.
const STREAM_POPULATION: u64 = 1;
const STREAM_ATTACKS: u64 = 2;
const STREAM_TRAFFIC: u64 = 3;
/// The scenarios added after the first seven attacks: their clients and windows ...
const STREAM_SCENARIOS: u64 = 4;
/// ... and their events (the outage's rewrites of normal events included), so that adding them
/// left normal traffic and the first seven attacks byte-identical outside the outage.
const STREAM_SCENARIO_TRAFFIC: u64 = 5;

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
struct Norm {
    seed: u64,
    clients: usize,
    start_ms: i64,
    minutes: u32,
    rate: f64,
    attacks: bool,
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

fn stream_rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

// ---------------------------------------------------------------------------------------------
// Geography

struct Country {
    code: &'static str,
    weight: u32,
    /// Real ISP / mobile allocations that geolocate to the country.
    v4: &'static [([u8; 4], u8)],
    /// First 32 bits of a real ISP IPv6 allocation and its prefix length (<= 32).
    v6: Option<([u16; 2], u8)>,
}

const COUNTRIES: &[Country] = &[
    // Comcast, Comcast, T-Mobile US; Comcast v6.
    Country {
        code: "US",
        weight: 30,
        v4: &[([73, 0, 0, 0], 8), ([98, 192, 0, 0], 10), ([172, 56, 0, 0], 14)],
        v6: Some(([0x2601, 0], 20)),
    },
    // Deutsche Telekom.
    Country {
        code: "DE",
        weight: 9,
        v4: &[([84, 128, 0, 0], 10), ([91, 0, 0, 0], 10), ([93, 192, 0, 0], 10)],
        v6: Some(([0x2003, 0x0080], 25)),
    },
    // BT, Andrews & Arnold.
    Country {
        code: "GB",
        weight: 8,
        v4: &[([86, 128, 0, 0], 10), ([81, 2, 69, 0], 24)],
        v6: Some(([0x2a00, 0x23c0], 28)),
    },
    // Orange, Free.
    Country {
        code: "FR",
        weight: 6,
        v4: &[([90, 0, 0, 0], 11), ([78, 192, 0, 0], 12)],
        v6: Some(([0x2a01, 0x0e0a], 32)),
    },
    // SoftBank BB, NTT OCN.
    Country {
        code: "JP",
        weight: 6,
        v4: &[([126, 64, 0, 0], 11), ([153, 128, 0, 0], 10)],
        v6: Some(([0x2400, 0x4050], 32)),
    },
    // Vivo (Telefônica Brasil), Claro.
    Country {
        code: "BR",
        weight: 6,
        v4: &[([177, 168, 0, 0], 13), ([179, 136, 0, 0], 13)],
        v6: Some(([0x2804, 0x014c], 32)),
    },
    // Reliance Jio, Bharti Airtel.
    Country {
        code: "IN",
        weight: 9,
        v4: &[([49, 32, 0, 0], 12), ([122, 160, 0, 0], 12)],
        v6: Some(([0x2409, 0x4000], 22)),
    },
    // Telstra.
    Country {
        code: "AU",
        weight: 3,
        v4: &[([1, 128, 0, 0], 11), ([58, 160, 0, 0], 12)],
        v6: Some(([0x2001, 0x8003], 32)),
    },
    // Rogers, Bell Canada.
    Country {
        code: "CA",
        weight: 4,
        v4: &[([99, 224, 0, 0], 11), ([70, 24, 0, 0], 13)],
        v6: Some(([0x2607, 0xfea8], 32)),
    },
    // Vodafone Libertel, KPN.
    Country {
        code: "NL",
        weight: 3,
        v4: &[([83, 80, 0, 0], 13), ([86, 80, 0, 0], 13)],
        v6: Some(([0x2001, 0x1c00], 23)),
    },
    // M1, StarHub.
    Country {
        code: "SG",
        weight: 2,
        v4: &[([118, 189, 0, 0], 16), ([116, 86, 0, 0], 15)],
        v6: Some(([0x2406, 0x3003], 32)),
    },
    // Airtel Nigeria, MTN Nigeria.
    Country { code: "NG", weight: 3, v4: &[([105, 116, 0, 0], 14), ([102, 88, 0, 0], 14)], v6: None },
    // Beeline, MegaFon.
    Country {
        code: "RU",
        weight: 3,
        v4: &[([95, 24, 0, 0], 13), ([188, 162, 0, 0], 16)],
        v6: Some(([0x2a00, 0x1fa0], 32)),
    },
    // China Mobile, China Telecom Guangdong.
    Country {
        code: "CN",
        weight: 4,
        v4: &[([117, 136, 0, 0], 13), ([183, 0, 0, 0], 10)],
        v6: Some(([0x240e, 0], 20)),
    },
];

/// DigitalOcean, where a lot of scanner traffic originates.
const HOSTING_NET: ([u8; 4], u8) = ([167, 99, 0, 0], 16);
/// Hetzner Online, Germany: the distributed scraper's rented machines.
const SCRAPER_NET: ([u8; 4], u8) = ([88, 198, 0, 0], 16);
/// The autonomous system announcing [`SCRAPER_NET`] (Hetzner Online GmbH).
const SCRAPER_ASN: u32 = 24940;
/// ISO 3166 code of the `denied_geo` caller's country: no other client ever comes from it, so an
/// evaluation configuration can deny it.
pub const DENIED_COUNTRY: &str = "KP";
/// Star Joint Venture (AS131279), the allocation [`DENIED_COUNTRY`] geolocates from.
const DENIED_NET: ([u8; 4], u8) = ([175, 45, 176, 0], 22);
/// Deutsche Telekom (AS3320) fixed-line range, Germany: the office's NAT address.
const OFFICE_NET: ([u8; 4], u8) = ([217, 6, 0, 0], 16);
/// Amazon EC2 us-east-1 (AS14618): the partner's batch workers.
const PARTNER_NET: ([u8; 4], u8) = ([3, 80, 0, 0], 12);
/// Two Indian mobile carriers with different autonomous systems: Reliance Jio (AS55836) and
/// Bharti Airtel's mobile network (AS45609).
const MOBILE_NETS: [([u8; 4], u8); 2] = [([157, 32, 0, 0], 12), ([106, 196, 0, 0], 15)];

fn country(code: &str) -> &'static Country {
    COUNTRIES.iter().find(|c| c.code == code).unwrap_or(&COUNTRIES[0])
}

fn pick_country(rng: &mut ChaCha8Rng) -> &'static Country {
    let total: u32 = COUNTRIES.iter().map(|c| c.weight).sum();
    let mut x = rng.random_range(0..total);
    for c in COUNTRIES {
        if x < c.weight {
            return c;
        }
        x -= c.weight;
    }
    &COUNTRIES[0]
}

fn host_mask(len: u8) -> u32 {
    let host_bits = 32 - u32::from(len.min(32));
    if host_bits >= 32 { u32::MAX } else { (1u32 << host_bits) - 1 }
}

fn ipv4_in(rng: &mut ChaCha8Rng, net: ([u8; 4], u8)) -> String {
    ipv4_from_bits(net, rng.random::<u32>())
}

/// The address in `net` whose host part is the low bits of `bits`.
fn ipv4_from_bits((net, len): ([u8; 4], u8), bits: u32) -> String {
    let mask = host_mask(len);
    let mut ip = (u32::from_be_bytes(net) & !mask) | (bits & mask);
    // .0 and .255 look like network/broadcast addresses to a human reader; flip the low bit.
    if matches!(ip & 0xff, 0 | 255) && len < 32 {
        ip ^= 1;
    }
    Ipv4Addr::from(ip).to_string()
}

fn ipv6_in(rng: &mut ChaCha8Rng, ([a, b], len): ([u16; 2], u8)) -> String {
    let mask = host_mask(len);
    let base = (u32::from(a) << 16) | u32::from(b);
    let hi = (base & !mask) | (rng.random::<u32>() & mask);
    let low = rng.random::<u128>() & ((1u128 << 96) - 1);
    Ipv6Addr::from((u128::from(hi) << 96) | low).to_string()
}

fn ip_from(rng: &mut ChaCha8Rng, c: &Country, v6: bool) -> String {
    match (v6, c.v6) {
        (true, Some(net)) => ipv6_in(rng, net),
        _ => {
            let net = c.v4[rng.random_range(0..c.v4.len())];
            ipv4_in(rng, net)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Client population

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Principal,
    ApiKey,
    Iam,
    Anon,
}

impl Kind {
    fn col(self) -> usize {
        match self {
            Kind::Principal => 0,
            Kind::ApiKey => 1,
            Kind::Iam => 2,
            Kind::Anon => 3,
        }
    }
}

struct Client {
    kind: Kind,
    principal: Option<String>,
    api_key_id: Option<String>,
    caller: Option<String>,
    user_arn: Option<String>,
    ips: Vec<String>,
    ua: &'static str,
    api: Api,
    user_num: u32,
}

const CHROME_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const CHROME_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
const FIREFOX: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0";
const EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const IOS_APP: &str = "ShopApp/5.3.1 CFNetwork/1568.200.51 Darwin/24.1.0";
const AWS_SDK_JAVA: &str = "aws-sdk-java/2.29.6 Linux/5.10.228-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.13+11-LTS Java/17.0.13 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy";
const AWS_SDK_JS: &str = "aws-sdk-js/3.693.0 ua/2.1 os/linux#5.10.228-219.884.amzn2.x86_64 lang/js md/nodejs#20.18.0 api/execute-api#3.693.0 exec-env/AWS_Lambda_nodejs20.x";
const BOTO3: &str = "Boto3/1.35.63 md/Botocore#1.35.63 ua/2.0 os/linux#5.10.228-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_ECS_FARGATE cfg/retry-mode#legacy Botocore/1.35.63";
const AWS_SDK_GO: &str =
    "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/apigateway#1.28.0";

const UA_PRINCIPAL: &[(&str, u32)] = &[
    (CHROME_WIN, 26),
    (CHROME_MAC, 10),
    (SAFARI_IPHONE, 14),
    (SAFARI_MAC, 5),
    (FIREFOX, 5),
    (EDGE, 6),
    (CHROME_ANDROID, 8),
    ("okhttp/4.12.0", 12),
    ("okhttp/4.9.3", 5),
    (IOS_APP, 9),
];
const UA_API_KEY: &[(&str, u32)] = &[
    ("python-requests/2.32.3", 20),
    ("python-requests/2.31.0", 8),
    ("okhttp/4.12.0", 8),
    ("Go-http-client/1.1", 15),
    ("Go-http-client/2.0", 6),
    ("curl/8.5.0", 6),
    ("curl/7.81.0", 4),
    ("axios/1.7.7", 8),
    ("Apache-HttpClient/4.5.14 (Java/17.0.12)", 6),
];
const UA_IAM: &[(&str, u32)] =
    &[(AWS_SDK_JAVA, 25), (AWS_SDK_JS, 25), (BOTO3, 30), (AWS_SDK_GO, 15), ("python-requests/2.32.3", 5)];
const UA_ANON: &[(&str, u32)] = &[
    (CHROME_WIN, 30),
    (CHROME_MAC, 10),
    (SAFARI_IPHONE, 16),
    (FIREFOX, 6),
    (EDGE, 6),
    (CHROME_ANDROID, 12),
    ("curl/8.5.0", 5),
    ("python-requests/2.32.3", 4),
    ("Go-http-client/1.1", 3),
];

const IAM_ROLES: &[(&str, &[&str])] = &[
    ("OrdersSyncLambdaRole", &["orders-sync", "orders-sync-backfill"]),
    ("ReportingTaskRole", &["reporting-worker"]),
    ("InventoryWorkerRole", &["inventory-worker", "inventory-reindex"]),
    ("DataPipelineRole", &["glue-export", "data-pipeline"]),
    ("CiDeployRole", &["GitHubActions"]),
];

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    if total == 0 {
        return items[0].0;
    }
    let mut x = rng.random_range(0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

fn alnum(rng: &mut ChaCha8Rng, n: usize, alphabet: &[u8]) -> String {
    (0..n).map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())])).collect()
}
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn uuid(rng: &mut ChaCha8Rng) -> String {
    // Version 4, RFC 4122 variant: what Cognito `sub`s and REST API request ids look like.
    let v =
        (rng.random::<u128>() & !(0xf_u128 << 76) & !(0x3_u128 << 62)) | (0x4_u128 << 76) | (0x2_u128 << 62);
    let h = format!("{v:032x}");
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

fn new_client(rng: &mut ChaCha8Rng) -> Client {
    let u = rng.random::<f64>();
    let kind = match u {
        u if u < 0.45 => Kind::Principal,
        u if u < 0.70 => Kind::ApiKey,
        u if u < 0.80 => Kind::Iam,
        _ => Kind::Anon,
    };
    let home = pick_country(rng);
    let n_ips = pick(rng, &[(1usize, 80), (2, 15), (3, 5)]);
    let v6 = rng.random::<f64>() < 0.06;
    let ips = (0..n_ips).map(|_| ip_from(rng, home, v6)).collect();
    let user_num = rng.random_range(1..2_000_000);
    let mut c = Client {
        kind,
        principal: None,
        api_key_id: None,
        caller: None,
        user_arn: None,
        ips,
        ua: "",
        api: Api::Rest,
        user_num,
    };
    match kind {
        Kind::Principal => {
            c.principal = Some(uuid(rng));
            c.ua = pick(rng, UA_PRINCIPAL);
            c.api = if rng.random::<f64>() < 0.75 { Api::Rest } else { Api::Http };
        }
        Kind::ApiKey => {
            c.api_key_id = Some(alnum(rng, 10, LOWER_ALNUM));
            c.ua = pick(rng, UA_API_KEY);
            // HTTP APIs have no API keys or usage plans, so key holders only ever use REST.
            c.api = Api::Rest;
        }
        Kind::Iam => {
            let (role, sessions) = IAM_ROLES[rng.random_range(0..IAM_ROLES.len())];
            let session = match rng.random_range(0..3) {
                0 => format!("i-0{}", alnum(rng, 16, b"0123456789abcdef")),
                1 => format!("botocore-session-{}", rng.random_range(1_700_000_000u64..1_800_000_000)),
                _ => sessions[rng.random_range(0..sessions.len())].to_string(),
            };
            let role_id = format!("AROA{}", alnum(rng, 17, UPPER_ALNUM));
            c.caller = Some(format!("{role_id}:{session}"));
            c.user_arn = Some(format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/{session}"));
            c.ua = pick(rng, UA_IAM);
            c.api = if rng.random::<f64>() < 0.75 { Api::Http } else { Api::Rest };
        }
        Kind::Anon => {
            c.ua = pick(rng, UA_ANON);
        }
    }
    c
}

/// Builds the population and the cumulative activity weights used to pick a client per event.
fn population(n: &Norm) -> (Vec<Client>, Vec<f64>) {
    let mut rng = stream_rng(n.seed, STREAM_POPULATION);
    let mut clients = Vec::with_capacity(n.clients);
    let mut cum = Vec::with_capacity(n.clients);
    let mut total = 0.0;
    for i in 0..n.clients {
        clients.push(new_client(&mut rng));
        // Zipf-like activity by generation rank; kinds are drawn independently of rank, so heavy
        // hitters can be any kind. The +5 offset keeps the top client near 3-4% of traffic.
        total += (i as f64 + 5.0).powf(-1.05);
        cum.push(total);
    }
    (clients, cum)
}

// ---------------------------------------------------------------------------------------------
// Routes, statuses, latencies, sizes

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Users,
    Order,
    CreateOrder,
    Products,
    Product,
    Search,
    Login,
    Refresh,
    Health,
    Items,
    Item,
    PutItem,
    DeleteItem,
    CreateItem,
    Unmatched,
}

struct Route {
    api: Api,
    method: &'static str,
    tmpl: &'static str,
    /// No authorizer in front: anonymous callers are served.
    public: bool,
    class: Class,
    /// Relative popularity per client kind: principal, API key, IAM, anonymous.
    weights: [u32; 4],
}

const fn route(
    api: Api,
    method: &'static str,
    tmpl: &'static str,
    public: bool,
    class: Class,
    weights: [u32; 4],
) -> Route {
    Route { api, method, tmpl, public, class, weights }
}

const REST_ROUTES: &[Route] = &[
    route(Api::Rest, "GET", "/users/{id}", false, Class::Users, [12, 4, 4, 1]),
    route(Api::Rest, "GET", "/orders/{orderId}", false, Class::Order, [12, 14, 10, 1]),
    route(Api::Rest, "POST", "/orders", false, Class::CreateOrder, [5, 10, 6, 0]),
    route(Api::Rest, "GET", "/products", true, Class::Products, [15, 22, 4, 35]),
    route(Api::Rest, "GET", "/products/{productId}", true, Class::Product, [20, 30, 4, 25]),
    route(Api::Rest, "GET", "/search", true, Class::Search, [14, 10, 2, 22]),
    route(Api::Rest, "POST", "/auth/login", true, Class::Login, [2, 0, 0, 10]),
    route(Api::Rest, "POST", "/auth/refresh", true, Class::Refresh, [6, 0, 0, 0]),
    route(Api::Rest, "GET", "/health", true, Class::Health, [1, 6, 10, 4]),
];
const HTTP_ROUTES: &[Route] = &[
    route(Api::Http, "GET", "/v2/items", false, Class::Items, [35, 35, 35, 1]),
    route(Api::Http, "GET", "/v2/items/{id}", false, Class::Item, [40, 40, 40, 1]),
    route(Api::Http, "POST", "/v2/items", false, Class::CreateItem, [5, 5, 8, 0]),
    route(Api::Http, "PUT", "/v2/items/{id}", false, Class::PutItem, [15, 15, 12, 0]),
    route(Api::Http, "DELETE", "/v2/items/{id}", false, Class::DeleteItem, [5, 5, 5, 0]),
];
const LOGIN: &Route = &REST_ROUTES[6];
const PRODUCT: &Route = &REST_ROUTES[4];
const ITEM: &Route = &HTTP_ROUTES[1];
const ITEMS: &Route = &HTTP_ROUTES[0];
const PROBE_REST: Route = route(Api::Rest, "GET", "-", true, Class::Unmatched, [0; 4]);
const PROBE_HTTP: Route = route(Api::Http, "GET", "-", true, Class::Unmatched, [0; 4]);

const PROBE_PATHS: &[&str] = &[
    "/.env",
    "/.git/config",
    "/wp-login.php",
    "/admin",
    "/actuator/env",
    "/phpmyadmin/",
    "/.aws/credentials",
    "/config.json",
    "/server-status",
    "/xmlrpc.php",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/api/.env",
    "/backup.zip",
    "/.DS_Store",
    "/actuator/health",
    "/console/",
];

fn pick_route(rng: &mut ChaCha8Rng, api: Api, kind: Kind) -> &'static Route {
    let routes = if api == Api::Rest { REST_ROUTES } else { HTTP_ROUTES };
    let col = kind.col();
    let total: u32 = routes.iter().map(|r| r.weights[col]).sum();
    let (col, total) = if total == 0 { (0, routes.iter().map(|r| r.weights[0]).sum()) } else { (col, total) };
    let mut x = rng.random_range(0..total.max(1));
    for r in routes {
        if x < r.weights[col] {
            return r;
        }
        x -= r.weights[col];
    }
    &routes[0]
}

fn concrete_path(rng: &mut ChaCha8Rng, class: Class, user_num: u32) -> String {
    match class {
        Class::Users => {
            // Mostly one's own profile; support tooling looks up others.
            let id = if rng.random::<f64>() < 0.9 { user_num } else { rng.random_range(1..2_000_000) };
            format!("/users/{id}")
        }
        Class::Order => format!("/orders/{}", rng.random_range(1_000_000_000u64..10_000_000_000)),
        Class::CreateOrder => "/orders".into(),
        Class::Products => "/products".into(),
        Class::Product => {
            // Popularity skewed towards a head of low ids.
            let u = rng.random::<f64>();
            format!("/products/{}", 1000 + (u * u * u * 90_000.0) as u64)
        }
        Class::Search => "/search".into(),
        Class::Login => "/auth/login".into(),
        Class::Refresh => "/auth/refresh".into(),
        Class::Health => "/health".into(),
        Class::Items | Class::CreateItem => "/v2/items".into(),
        Class::Item | Class::PutItem | Class::DeleteItem => {
            format!("/v2/items/{}", alnum(rng, 12, b"0123456789abcdef"))
        }
        Class::Unmatched => "/".into(),
    }
}

fn success_status(r: &Route) -> u16 {
    match r.class {
        Class::CreateOrder | Class::CreateItem => 201,
        Class::DeleteItem => 204,
        _ => 200,
    }
}

fn normal_status(rng: &mut ChaCha8Rng, r: &Route, kind: Kind) -> u16 {
    if kind == Kind::Anon && !r.public {
        return if rng.random::<f64>() < 0.95 { 401 } else { 403 };
    }
    let u = rng.random::<f64>();
    if r.class == Class::Health {
        return if u < 0.9995 { 200 } else { 503 };
    }
    let write = r.method != "GET";
    let has_id = r.tmpl.contains('{');
    let cacheable =
        r.method == "GET" && matches!(r.class, Class::Products | Class::Product | Class::Items | Class::Item);
    let auth_route = matches!(r.class, Class::Login | Class::Refresh);
    let table = [
        (304, if cacheable { 0.05 } else { 0.0 }),
        (404, if has_id { 0.025 } else { 0.002 }),
        (400, if write { 0.02 } else { 0.005 }),
        (
            401,
            match r.class {
                Class::Login => 0.09,
                Class::Refresh => 0.04,
                _ => 0.004,
            },
        ),
        (403, 0.003),
        (409, if write && !auth_route { 0.012 } else { 0.0 }),
        (429, 0.003),
        (500, 0.0015),
        (502, 0.0008),
        (503, 0.0006),
        (504, 0.0005),
    ];
    let mut acc = 0.0;
    for (status, p) in table {
        acc += p;
        if u < acc {
            return status;
        }
    }
    success_status(r)
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box-Muller; the max() keeps ln() away from zero.
    let u1 = rng.random::<f64>().max(1e-12);
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn lognormal(rng: &mut ChaCha8Rng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0;
    }
    if lambda < 30.0 {
        // Knuth's method is exact and cheap for small means.
        let limit = (-lambda).exp();
        let mut k = 0u64;
        let mut p = 1.0;
        loop {
            p *= rng.random::<f64>();
            if p <= limit || k >= 1000 {
                return k;
            }
            k += 1;
        }
    }
    (lambda + lambda.sqrt() * normal(rng)).round().max(0.0) as u64
}

fn median_latency(class: Class) -> f64 {
    match class {
        Class::Health => 4.0,
        Class::Users => 35.0,
        Class::Order => 45.0,
        Class::CreateOrder => 120.0,
        Class::Products => 60.0,
        Class::Product => 30.0,
        Class::Search => 85.0,
        Class::Login => 140.0,
        Class::Refresh => 60.0,
        Class::Items => 45.0,
        Class::Item => 25.0,
        Class::PutItem => 40.0,
        Class::DeleteItem => 35.0,
        Class::CreateItem => 50.0,
        Class::Unmatched => 2.0,
    }
}

/// (responseLatency, integrationLatency). `gateway_only` means API Gateway answered by itself.
fn latency(rng: &mut ChaCha8Rng, r: &Route, status: u16, gateway_only: bool) -> (u64, Option<u64>) {
    if gateway_only {
        return (lognormal(rng, 3.0, 0.5).round().clamp(1.0, 500.0) as u64, None);
    }
    if status == 504 {
        // Integration timeout: 29 s for REST APIs, 30 s for HTTP APIs.
        let limit = if r.api == Api::Rest { 29_000 } else { 30_000 };
        let integ = limit + rng.random_range(0..5);
        return (integ + rng.random_range(5..60), Some(integ));
    }
    let factor = match status {
        500 | 502 => 3.0,
        503 => 0.3,
        304 => 0.8,
        400..=499 => 0.6,
        _ => 1.0,
    };
    let mut ms = lognormal(rng, median_latency(r.class) * factor, 0.6);
    // A ~1% tail (cold starts, slow queries) stretches out to tens of times the median.
    if rng.random::<f64>() < 0.01 {
        ms *= (rng.random::<f64>() * 3.5).exp();
    }
    let total = ms.round().clamp(1.0, 28_999.0) as u64;
    let overhead = rng.random_range(1..=12u64).min(total);
    (total, Some(total - overhead))
}

fn body_bytes(rng: &mut ChaCha8Rng, r: &Route, status: u16) -> u64 {
    // Error sizes are those of API Gateway's own JSON error bodies where it produces them.
    match status {
        204 | 304 => 0,
        400 => rng.random_range(60..180),
        401 => 26,
        403 if r.class == Class::Unmatched => 42, // {"message":"Missing Authentication Token"}
        403 => 23,
        404 if r.class == Class::Unmatched => 23, // {"message":"Not Found"}
        404 => rng.random_range(40..90),
        409 => rng.random_range(70..140),
        429 => 31,
        500 | 502 => 36,
        503 => 34,
        504 => 41,
        s if s >= 400 => rng.random_range(30..120),
        _ => {
            let (median, sigma) = match r.class {
                Class::Health => return 15,
                Class::DeleteItem | Class::Unmatched => return 0,
                Class::Users => (800.0, 0.2),
                Class::Order => (1500.0, 0.35),
                Class::CreateOrder => (450.0, 0.15),
                Class::Products => (12_000.0, 0.6),
                Class::Product => (2000.0, 0.3),
                Class::Search => (8000.0, 0.7),
                Class::Login => (2100.0, 0.05),
                Class::Refresh => (1700.0, 0.05),
                Class::Items => (6000.0, 0.7),
                Class::Item => (600.0, 0.3),
                Class::PutItem | Class::CreateItem => (450.0, 0.25),
            };
            lognormal(rng, median, sigma).round().clamp(2.0, 5_000_000.0) as u64
        }
    }
}

struct Who<'a> {
    ip: &'a str,
    ua: &'a str,
    principal: Option<&'a str>,
    api_key_id: Option<&'a str>,
    caller: Option<&'a str>,
    user_arn: Option<&'a str>,
}

fn build_event(
    rng: &mut ChaCha8Rng,
    time_ms: i64,
    who: &Who,
    r: &Route,
    path: String,
    status: u16,
) -> GenEvent {
    // A 401 on a protected route comes from the authorizer: no principal, no integration call.
    let authorizer_reject = status == 401 && !r.public;
    let gateway_only = authorizer_reject || status == 429 || r.class == Class::Unmatched;
    let (latency_ms, integration_latency_ms) = latency(rng, r, status, gateway_only);
    let bytes = body_bytes(rng, r, status);
    let authorizer_error = authorizer_reject.then(|| {
        if rng.random::<f64>() < 0.3 { "The incoming token has expired" } else { "Unauthorized" }.to_string()
    });
    GenEvent {
        time_ms,
        request_id: uuid(rng),
        api: r.api,
        ip: who.ip.to_string(),
        principal: if authorizer_reject { None } else { who.principal.map(str::to_string) },
        api_key_id: who.api_key_id.map(str::to_string),
        caller: who.caller.map(str::to_string),
        user_arn: who.user_arn.map(str::to_string),
        method: r.method,
        route: r.tmpl,
        path,
        status,
        bytes,
        latency_ms,
        integration_latency_ms,
        user_agent: who.ua.to_string(),
        authorizer_error,
    }
}

fn normal_event(rng: &mut ChaCha8Rng, clients: &[Client], cum: &[f64], time_ms: i64) -> GenEvent {
    let total = cum.last().copied().unwrap_or(0.0);
    let x = rng.random::<f64>() * total;
    let idx = cum.partition_point(|&c| c <= x).min(clients.len().saturating_sub(1));
    let c = &clients[idx];
    let api = match c.kind {
        Kind::ApiKey => Api::Rest,
        Kind::Anon => {
            if rng.random::<f64>() < 0.03 {
                Api::Http
            } else {
                Api::Rest
            }
        }
        _ if rng.random::<f64>() < 0.08 => {
            if c.api == Api::Rest {
                Api::Http
            } else {
                Api::Rest
            }
        }
        _ => c.api,
    };
    let r = pick_route(rng, api, c.kind);
    let path = concrete_path(rng, r.class, c.user_num);
    let status = normal_status(rng, r, c.kind);
    // The first address is home; extra ones (mobile, office) are used less.
    let ip = if c.ips.len() > 1 && rng.random::<f64>() < 0.3 {
        &c.ips[rng.random_range(1..c.ips.len())]
    } else {
        &c.ips[0]
    };
    let who = Who {
        ip,
        ua: c.ua,
        principal: c.principal.as_deref(),
        api_key_id: c.api_key_id.as_deref(),
        caller: c.caller.as_deref(),
        user_arn: c.user_arn.as_deref(),
    };
    build_event(rng, time_ms, &who, r, path, status)
}

// ---------------------------------------------------------------------------------------------
// Attacks

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AttackKind {
    BruteForce,
    Stuffing,
    Enumeration,
    Throttle,
    Probing,
    Replay,
    Travel,
}

/// A time slice of an attack with the addresses it uses.
struct Segment {
    start_ms: i64,
    end_ms: i64,
    ips: Vec<String>,
}

struct AttackSpec {
    // Read only by `attack_plan`.
    info: AttackInfo,
    kind: AttackKind,
    rate_per_min: f64,
    segments: Vec<Segment>,
    principal: Option<String>,
    api_key_id: Option<String>,
    ua: &'static str,
    user_num: u32,
}

/// Windows are whole minutes placed at fixed fractions of the run; in short runs they shrink to a
/// quarter of the run (at least one minute) and may overlap, but never leave the run.
fn window(n: &Norm, frac: f64, nominal_min: i64) -> (i64, i64) {
    let m = i64::from(n.minutes);
    let dur = nominal_min.min((m / 4).max(1)).min(m);
    let start = ((m as f64 * frac) as i64).clamp(0, m - dur);
    (n.start_ms + start * MINUTE_MS, n.start_ms + (start + dur) * MINUTE_MS)
}

fn build_attacks(n: &Norm) -> Vec<AttackSpec> {
    if !n.attacks {
        return Vec::new();
    }
    let mut rng = stream_rng(n.seed, STREAM_ATTACKS);
    let window = |frac: f64, nominal: i64| window(n, frac, nominal);
    let one = |start_ms, end_ms, ips| vec![Segment { start_ms, end_ms, ips }];
    let mut out = Vec::new();
    let mut spec = |name,
                    kind,
                    subject: String,
                    rate,
                    segments: Vec<Segment>,
                    ids: (Option<String>, Option<String>),
                    ua| {
        let start_ms = segments.iter().map(|s: &Segment| s.start_ms).min().unwrap_or(n.start_ms);
        let end_ms = segments.iter().map(|s| s.end_ms).max().unwrap_or(n.start_ms + MINUTE_MS);
        out.push(AttackSpec {
            info: AttackInfo { name, subject, start_ms, end_ms, benign: false },
            kind,
            rate_per_min: rate,
            segments,
            principal: ids.0,
            api_key_id: ids.1,
            ua,
            user_num: 0,
        });
    };

    // brute_force: one anonymous address hammering the login endpoint.
    let (s, e) = window(0.10, 20);
    let home = country(["RU", "CN", "BR", "NG", "US"][rng.random_range(0..5)]);
    let ip = ip_from(&mut rng, home, false);
    spec(
        "brute_force",
        AttackKind::BruteForce,
        format!("ip:{ip}"),
        30.0,
        one(s, e, vec![ip]),
        (None, None),
        "python-requests/2.31.0",
    );

    // credential_stuffing: a botnet slice of ~150 addresses in one /16, a few tries each.
    let (s, e) = window(0.22, 15);
    let home = country(["RU", "CN", "BR", "IN", "US"][rng.random_range(0..5)]);
    let wide: Vec<_> = home.v4.iter().filter(|(_, len)| *len <= 16).copied().collect();
    let net = if wide.is_empty() { home.v4[0] } else { wide[rng.random_range(0..wide.len())] };
    let mask = host_mask(net.1);
    let base =
        (((u32::from_be_bytes(net.0) & !mask) | (rng.random::<u32>() & mask)) & 0xffff_0000).to_be_bytes();
    let mut ips: Vec<String> = Vec::with_capacity(150);
    while ips.len() < 150 {
        let ip = ipv4_in(&mut rng, (base, 16));
        if !ips.contains(&ip) {
            ips.push(ip);
        }
    }
    spec(
        "credential_stuffing",
        AttackKind::Stuffing,
        format!("ip:{}.{}.0.0/16", base[0], base[1]),
        25.0,
        one(s, e, ips),
        (None, None),
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
    );

    // enumeration: an API key walking product ids in order.
    let (s, e) = window(0.35, 25);
    let key = alnum(&mut rng, 10, LOWER_ALNUM);
    let home = pick_country(&mut rng);
    let ip = ip_from(&mut rng, home, false);
    spec(
        "enumeration",
        AttackKind::Enumeration,
        format!("api_key:{key}"),
        80.0,
        one(s, e, vec![ip]),
        (None, Some(key)),
        "python-requests/2.32.3",
    );

    // throttle_evasion: a principal that keeps going while being answered 429.
    let (s, e) = window(0.50, 10);
    let principal = uuid(&mut rng);
    let home = pick_country(&mut rng);
    let ips = (0..2).map(|_| ip_from(&mut rng, home, false)).collect();
    spec(
        "throttle_evasion",
        AttackKind::Throttle,
        format!("principal:{principal}"),
        300.0,
        one(s, e, ips),
        (Some(principal), None),
        "Go-http-client/2.0",
    );

    // probing: a scanner on a hosting range looking for leaked files and admin panels.
    let (s, e) = window(0.60, 5);
    let ip = ipv4_in(&mut rng, HOSTING_NET);
    spec(
        "probing",
        AttackKind::Probing,
        format!("ip:{ip}"),
        40.0,
        one(s, e, vec![ip]),
        (None, None),
        "Mozilla/5.0 zgrab/0.x",
    );

    // credential_replay: one principal's token used from many addresses in several countries.
    let (s, e) = window(0.70, 10);
    let principal = uuid(&mut rng);
    let mut ips = Vec::new();
    for code in ["US", "BR", "IN", "RU", "NG", "SG"] {
        for _ in 0..4 {
            ips.push(ip_from(&mut rng, country(code), false));
        }
    }
    spec(
        "credential_replay",
        AttackKind::Replay,
        format!("principal:{principal}"),
        40.0,
        one(s, e, ips),
        (Some(principal), None),
        "okhttp/4.12.0",
    );

    // impossible_travel: a principal in Germany, then ~10 minutes later in Australia.
    let (s, e) = window(0.82, 12);
    let principal = uuid(&mut rng);
    let de = ip_from(&mut rng, country("DE"), false);
    let au = ip_from(&mut rng, country("AU"), false);
    let dur_min = (e - s) / MINUTE_MS;
    let seg = if dur_min >= 2 { (dur_min / 6).max(1) * MINUTE_MS } else { (e - s) / 3 };
    let segments = vec![
        Segment { start_ms: s, end_ms: s + seg, ips: vec![de] },
        Segment { start_ms: e - seg, end_ms: e, ips: vec![au] },
    ];
    spec(
        "impossible_travel",
        AttackKind::Travel,
        format!("principal:{principal}"),
        8.0,
        segments,
        (Some(principal), None),
        CHROME_WIN,
    );

    let user_nums: Vec<u32> = (0..out.len()).map(|_| rng.random_range(1..2_000_000)).collect();
    for (a, u) in out.iter_mut().zip(user_nums) {
        a.user_num = u;
    }
    out
}

fn attack_event(
    rng: &mut ChaCha8Rng,
    a: &AttackSpec,
    seg: &Segment,
    t: i64,
    next_product: &mut u64,
) -> GenEvent {
    let ip = if seg.ips.is_empty() { "0.0.0.0" } else { &seg.ips[rng.random_range(0..seg.ips.len())] };
    let who = Who {
        ip,
        ua: a.ua,
        principal: a.principal.as_deref(),
        api_key_id: a.api_key_id.as_deref(),
        caller: None,
        user_arn: None,
    };
    let u = rng.random::<f64>();
    let (r, path, status): (&Route, String, u16) = match a.kind {
        AttackKind::BruteForce => {
            let status = if u < 0.97 {
                401
            } else if u < 0.99 {
                429
            } else {
                400
            };
            (LOGIN, LOGIN.tmpl.to_string(), status)
        }
        AttackKind::Stuffing => {
            let status = if u < 0.80 {
                401
            } else if u < 0.95 {
                403
            } else if u < 0.98 {
                200
            } else {
                429
            };
            (LOGIN, LOGIN.tmpl.to_string(), status)
        }
        AttackKind::Enumeration => {
            let id = *next_product;
            *next_product += 1;
            // Roughly 40% of ids exist; which ones is a fixed function of the id.
            let exists = splitmix64(id) % 100 < 40;
            let status = if u < 0.02 {
                429
            } else if exists {
                200
            } else {
                404
            };
            (PRODUCT, format!("/products/{id}"), status)
        }
        AttackKind::Throttle => {
            let r = if rng.random::<f64>() < 0.7 { ITEM } else { ITEMS };
            let path = concrete_path(rng, r.class, a.user_num);
            (r, path, if u < 0.85 { 429 } else { 200 })
        }
        AttackKind::Probing => {
            let path = PROBE_PATHS[rng.random_range(0..PROBE_PATHS.len())].to_string();
            // REST answers unknown paths 403 "Missing Authentication Token", HTTP APIs 404.
            if u < 0.6 { (&PROBE_REST, path, 403) } else { (&PROBE_HTTP, path, 404) }
        }
        AttackKind::Replay | AttackKind::Travel => {
            let r = pick_route(rng, Api::Rest, Kind::Principal);
            let path = concrete_path(rng, r.class, a.user_num);
            let status = normal_status(rng, r, Kind::Principal);
            (r, path, status)
        }
    };
    build_event(rng, t, &who, r, path, status)
}

// ---------------------------------------------------------------------------------------------
// Scenarios added after the first seven attacks: four more attacks and six benign look-alikes.
// They draw from their own streams, so the population, normal traffic and the first seven
// attacks are the same events with or without them (bar the outage's rewrites).

/// Headless Chrome as scraping frameworks (Puppeteer, Playwright) announce it by default.
const HEADLESS_CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";
const UA_OFFICE: &[(&str, u32)] =
    &[(CHROME_WIN, 50), (EDGE, 30), (CHROME_MAC, 10), (FIREFOX, 6), (SAFARI_MAC, 4)];
const UA_MOBILE: &[(&str, u32)] = &[(CHROME_ANDROID, 60), ("okhttp/4.12.0", 40)];
const PRODUCTS: &Route = &REST_ROUTES[3];
const SEARCH: &Route = &REST_ROUTES[5];
const ORDER: &Route = &REST_ROUTES[1];

/// Principals behind the office NAT.
const OFFICE_PRINCIPALS: usize = 150;
/// Share of the office's requests to protected routes answered 401 for an expired token (about
/// 1.9% of all its requests with the routine 401s). The authorizer drops the principal from
/// those, so they count for the NAT address: kept low enough that over a whole default run they
/// stay well below the brute force's 401s (see the tests).
const OFFICE_EXPIRED: f64 = 0.022;
/// Outage: share of integration calls failing with 502/503/504, the chance a failed call is
/// retried (up to three times, which makes ~1.5x the requests), and the share of protected
/// requests the broken authorizer then rejects.
const OUTAGE_FAIL: f64 = 0.6;
const OUTAGE_RETRY: f64 = 0.6;
const OUTAGE_AUTH_FAIL: f64 = 0.5;
/// The mobile user changes address about every 200 s (three or so per ten minutes).
const HOP_MS: i64 = 200_000;
/// The flight's minimum time between the last request at home and the first after landing.
const FLIGHT_GAP_MS: i64 = 90 * MINUTE_MS;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ScenarioKind {
    /// Catalog pages and searches, anonymous, mostly 200s.
    Scraping,
    /// Routes and statuses of a normal client of that kind.
    Like(Kind),
    /// Normal principals, with expired-token 401s on protected routes.
    Office,
    /// Catalog reads across random ids plus order look-ups; low error rates.
    Partner,
    /// Like a normal principal; the address depends on the time (`hop_ip`).
    Mobile { key: u64 },
    /// No events of its own: normal events in the window fail (until `auth_ms`), then the
    /// authorizer rejects.
    Outage { auth_ms: i64 },
}

#[derive(Clone, Copy, Debug)]
enum Rate {
    /// Requests per minute.
    Flat(f64),
    /// A daily mean, following the same curve as the population.
    Diurnal(f64),
    /// From `from` to `to` per minute linearly over `over_ms` from `start_ms`, then `to`.
    Ramp { from: f64, to: f64, start_ms: i64, over_ms: i64 },
}

impl Rate {
    fn per_min(self, t: i64) -> f64 {
        match self {
            Rate::Flat(r) => r,
            Rate::Diurnal(r) => r * diurnal(t),
            Rate::Ramp { from, to, start_ms, over_ms } => {
                let x = ((t - start_ms) as f64 / over_ms.max(1) as f64).clamp(0.0, 1.0);
                from + (to - from) * x
            }
        }
    }
}

/// A time slice of a scenario: its addresses and request rate.
struct Leg {
    start_ms: i64,
    end_ms: i64,
    ips: Vec<String>,
    rate: Rate,
}

/// Who sends a scenario's requests; each event picks one identity of the scenario at random.
struct Identity {
    principal: Option<String>,
    api_key_id: Option<String>,
    ua: &'static str,
    api: Api,
    user_num: u32,
}

struct Scenario {
    info: AttackInfo,
    kind: ScenarioKind,
    legs: Vec<Leg>,
    ids: Vec<Identity>,
}

fn distinct_ips(rng: &mut ChaCha8Rng, net: ([u8; 4], u8), n: usize) -> Vec<String> {
    let mut ips: Vec<String> = Vec::with_capacity(n);
    while ips.len() < n {
        let ip = ipv4_in(rng, net);
        if !ips.contains(&ip) {
            ips.push(ip);
        }
    }
    ips
}

fn leg(start_ms: i64, end_ms: i64, ips: Vec<String>, rate: Rate) -> Leg {
    Leg { start_ms, end_ms, ips, rate }
}

/// Legs covering the whole run: `inner` (addresses, requests a minute) in `[s, e)`, `outer`
/// before and after it.
fn around(n: &Norm, (s, e): (i64, i64), outer: (&[String], f64), inner: (&[String], f64)) -> Vec<Leg> {
    let end = run_end(n);
    let mut legs = Vec::new();
    if s > n.start_ms {
        legs.push(leg(n.start_ms, s, outer.0.to_vec(), Rate::Flat(outer.1)));
    }
    legs.push(leg(s, e, inner.0.to_vec(), Rate::Flat(inner.1)));
    if e < end {
        legs.push(leg(e, end, outer.0.to_vec(), Rate::Flat(outer.1)));
    }
    legs
}

fn run_end(n: &Norm) -> i64 {
    n.start_ms + i64::from(n.minutes) * MINUTE_MS
}

fn build_scenarios(n: &Norm) -> Vec<Scenario> {
    if !n.attacks {
        return Vec::new();
    }
    let mut rng = stream_rng(n.seed, STREAM_SCENARIOS);
    let rng = &mut rng;
    let (start, end) = (n.start_ms, run_end(n));
    let span = end - start;
    let mut out = Vec::new();
    let mut add = |name, benign, subject: String, (start_ms, end_ms), kind, legs, ids| {
        out.push(Scenario { info: AttackInfo { name, subject, start_ms, end_ms, benign }, kind, legs, ids });
    };
    let anonymous = |ua| Identity { principal: None, api_key_id: None, ua, api: Api::Rest, user_num: 1 };
    let principal = |rng: &mut ChaCha8Rng, ua| Identity {
        principal: Some(uuid(rng)),
        api_key_id: None,
        ua,
        api: if rng.random::<f64>() < 0.75 { Api::Rest } else { Api::Http },
        user_num: rng.random_range(1..2_000_000),
    };
    let api_key = |rng: &mut ChaCha8Rng| Identity {
        principal: None,
        api_key_id: Some(alnum(rng, 10, LOWER_ALNUM)),
        ua: pick(rng, UA_API_KEY),
        api: Api::Rest,
        user_num: rng.random_range(1..2_000_000),
    };
    let subject = |id: &Identity| match (&id.principal, &id.api_key_id) {
        (Some(p), _) => format!("principal:{p}"),
        (None, Some(k)) => format!("api_key:{k}"),
        (None, None) => "*".to_string(),
    };

    // distributed_scraping: 150 machines of one hosting provider, each slow (1-3 requests a
    // minute, ~250 together), walking the catalog anonymously with the same headless browser.
    let w = window(n, 0.56, 20);
    let ips = distinct_ips(rng, SCRAPER_NET, 150);
    let legs = ips
        .into_iter()
        .map(|ip| leg(w.0, w.1, vec![ip], Rate::Flat(pick(rng, &[(1.0, 3), (2.0, 2), (3.0, 1)]))))
        .collect();
    add(
        "distributed_scraping",
        false,
        format!("asn:AS{SCRAPER_ASN}"),
        w,
        ScenarioKind::Scraping,
        legs,
        vec![anonymous(HEADLESS_CHROME)],
    );

    // volume_spike: an established API key at ~15/min whose rate jumps 25x for ten minutes.
    let w = window(n, 0.75, 10);
    let id = api_key(rng);
    let home = pick_country(rng);
    let ips: Vec<String> = (0..rng.random_range(2..=3)).map(|_| ip_from(rng, home, false)).collect();
    let legs = around(n, w, (&ips, 15.0), (&ips, 375.0));
    add("volume_spike", false, subject(&id), w, ScenarioKind::Like(Kind::ApiKey), legs, vec![id]);

    // new_country: an established principal in Great Britain, used for ten minutes from another
    // continent.
    let w = window(n, 0.65, 10);
    let ua = pick(rng, UA_PRINCIPAL);
    let id = principal(rng, ua);
    let gb: Vec<String> = (0..rng.random_range(1..=2)).map(|_| ip_from(rng, country("GB"), false)).collect();
    let far = country(["BR", "NG", "IN", "CN"][rng.random_range(0..4)]);
    let away = vec![ip_from(rng, far, false)];
    let legs = around(n, w, (&gb, 5.0), (&away, 5.0));
    add("new_country", false, subject(&id), w, ScenarioKind::Like(Kind::Principal), legs, vec![id]);

    // denied_geo: a few normal-looking anonymous requests from a country nobody else uses.
    let w = window(n, 0.90, 10);
    debug_assert!(COUNTRIES.iter().all(|c| c.code != DENIED_COUNTRY), "the population never uses it");
    let ip = ipv4_in(rng, DENIED_NET);
    let legs = vec![leg(w.0, w.1, vec![ip.clone()], Rate::Flat(5.0))];
    add(
        "denied_geo",
        false,
        format!("ip:{ip}"),
        w,
        ScenarioKind::Like(Kind::Anon),
        legs,
        vec![anonymous(CHROME_WIN)],
    );

    // outage (benign): ~6 minutes of 5xx for everyone, then ~3 minutes of authorizer rejections.
    let w = window(n, 0.45, 9);
    let auth_ms = w.0 + (w.1 - w.0) * 2 / 3;
    add("outage", true, "*".to_string(), w, ScenarioKind::Outage { auth_ms }, Vec::new(), Vec::new());

    // nat_office (benign): 150 principals behind one corporate address all run long.
    let ip = ipv4_in(rng, OFFICE_NET);
    let ids = (0..OFFICE_PRINCIPALS)
        .map(|_| {
            let ua = pick(rng, UA_OFFICE);
            let mut id = principal(rng, ua);
            id.api = if rng.random::<f64>() < 0.8 { Api::Rest } else { Api::Http };
            id
        })
        .collect();
    let legs = vec![leg(start, end, vec![ip.clone()], Rate::Diurnal(OFFICE_PRINCIPALS as f64))];
    add("nat_office", true, format!("ip:{ip}"), (start, end), ScenarioKind::Office, legs, ids);

    // partner_batch (benign): a partner's API key reading the catalog at ~300/min all run long.
    let mut id = api_key(rng);
    id.ua = "Apache-HttpClient/4.5.14 (Java/17.0.12)";
    let count = rng.random_range(2..=3);
    let ips = distinct_ips(rng, PARTNER_NET, count);
    let legs = vec![leg(start, end, ips, Rate::Flat(300.0))];
    add("partner_batch", true, subject(&id), (start, end), ScenarioKind::Partner, legs, vec![id]);

    // flight (benign): a principal in Germany for the first 30% of the run, silent for at least
    // 90 minutes, then in a neighbouring country. Runs shorter than 180 minutes cannot fit the
    // gap; there it is half the run (30% at home, 20% after landing).
    let ua = pick(rng, UA_PRINCIPAL);
    let id = principal(rng, ua);
    let de = vec![ip_from(rng, country("DE"), false)];
    let dest = country(["GB", "FR", "NL"][rng.random_range(0..3)]);
    let abroad = vec![ip_from(rng, dest, false)];
    let leave = start + span * 3 / 10;
    let land = (leave + FLIGHT_GAP_MS).min(start + span * 8 / 10);
    let legs = vec![leg(start, leave, de, Rate::Flat(4.0)), leg(land, end, abroad, Rate::Flat(4.0))];
    add("flight", true, subject(&id), (start, end), ScenarioKind::Like(Kind::Principal), legs, vec![id]);

    // mobile_carrier (benign): a principal in India whose phone hops between the addresses of
    // two carriers every few minutes, all run long.
    let ua = pick(rng, UA_MOBILE);
    let id = principal(rng, ua);
    let key = rng.random::<u64>();
    let legs = vec![leg(start, end, Vec::new(), Rate::Flat(4.0))];
    add("mobile_carrier", true, subject(&id), (start, end), ScenarioKind::Mobile { key }, legs, vec![id]);

    // new_customer (benign): a new API key from 40% of the run, ramping from 2 to 150 requests a
    // minute over an hour (a quarter of the run in short runs), then steady.
    let (appear, _) = window(n, 0.40, 1);
    let over_ms = window(n, 0.0, 60).1 - start;
    let id = api_key(rng);
    let home = pick_country(rng);
    let ips: Vec<String> = (0..rng.random_range(1..=2)).map(|_| ip_from(rng, home, false)).collect();
    let legs = vec![leg(appear, end, ips, Rate::Ramp { from: 2.0, to: 150.0, start_ms: appear, over_ms })];
    add("new_customer", true, subject(&id), (appear, end), ScenarioKind::Like(Kind::ApiKey), legs, vec![id]);

    out
}

/// The mobile user's address at `t`: one per ~`HOP_MS` slot (jittered boundaries), from either
/// carrier, a pure function of the time so that memory does not grow with the run.
fn hop_ip(key: u64, run_start: i64, t: i64) -> String {
    let boundary =
        |k: i64| run_start + k * HOP_MS + (splitmix64(key ^ k as u64) % (HOP_MS as u64 / 2)) as i64;
    let k0 = (t - run_start).div_euclid(HOP_MS);
    let k = if t >= boundary(k0) { k0 } else { k0 - 1 };
    let h = splitmix64(key.rotate_left(17) ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    ipv4_from_bits(MOBILE_NETS[(h >> 63) as usize], h as u32)
}

fn scenario_event(rng: &mut ChaCha8Rng, s: &Scenario, lg: &Leg, t: i64) -> GenEvent {
    let id = &s.ids[if s.ids.len() > 1 { rng.random_range(0..s.ids.len()) } else { 0 }];
    let hopped;
    let ip = match s.kind {
        ScenarioKind::Mobile { key } => {
            hopped = hop_ip(key, lg.start_ms, t);
            hopped.as_str()
        }
        _ if lg.ips.is_empty() => "0.0.0.0",
        _ => lg.ips[rng.random_range(0..lg.ips.len())].as_str(),
    };
    let who = Who {
        ip,
        ua: id.ua,
        principal: id.principal.as_deref(),
        api_key_id: id.api_key_id.as_deref(),
        caller: None,
        user_arn: None,
    };
    let kind = match s.kind {
        ScenarioKind::Like(k) => k,
        ScenarioKind::Office | ScenarioKind::Mobile { .. } => Kind::Principal,
        ScenarioKind::Scraping => {
            let u = rng.random::<f64>();
            let (r, path, status) = if u < 0.78 {
                // Uniform over the whole catalog, unlike real shoppers; ~12% of ids are gone.
                let pid = rng.random_range(1000..100_000u64);
                let gone = splitmix64(pid ^ 0x5c) % 100 < 12;
                (PRODUCT, format!("/products/{pid}"), if gone { 404 } else { 200 })
            } else if u < 0.95 {
                // `$context.path` carries no query string: the search terms are not logged.
                (SEARCH, SEARCH.tmpl.to_string(), 200)
            } else {
                (PRODUCTS, PRODUCTS.tmpl.to_string(), 200)
            };
            return build_event(rng, t, &who, r, path, status);
        }
        ScenarioKind::Partner => {
            let u = rng.random::<f64>();
            let (r, path, missing) = if u < 0.70 {
                let pid = rng.random_range(1000..100_000u64);
                (PRODUCT, format!("/products/{pid}"), splitmix64(pid ^ 0x9a) % 100 < 3)
            } else if u < 0.82 {
                (SEARCH, SEARCH.tmpl.to_string(), false)
            } else if u < 0.90 {
                (PRODUCTS, PRODUCTS.tmpl.to_string(), false)
            } else {
                let order = rng.random_range(1_000_000_000u64..10_000_000_000);
                (ORDER, format!("/orders/{order}"), rng.random::<f64>() < 0.02)
            };
            let v = rng.random::<f64>();
            let status = match v {
                v if v < 0.0005 => 403,
                v if v < 0.0035 => 429,
                v if v < 0.0045 => [500, 502, 503, 504][rng.random_range(0..4)],
                _ if missing => 404,
                _ => 200,
            };
            return build_event(rng, t, &who, r, path, status);
        }
        ScenarioKind::Outage { .. } => Kind::Principal,
    };
    // As `normal_event` does for a client of this kind.
    let api = match kind {
        Kind::ApiKey => Api::Rest,
        Kind::Anon => {
            if rng.random::<f64>() < 0.03 {
                Api::Http
            } else {
                Api::Rest
            }
        }
        _ if rng.random::<f64>() < 0.08 => other_api(id.api),
        _ => id.api,
    };
    let r = pick_route(rng, api, kind);
    let path = concrete_path(rng, r.class, id.user_num);
    let expired = s.kind == ScenarioKind::Office && !r.public && rng.random::<f64>() < OFFICE_EXPIRED;
    let status = if expired { 401 } else { normal_status(rng, r, kind) };
    let mut e = build_event(rng, t, &who, r, path, status);
    if s.kind == ScenarioKind::Office && e.authorizer_error.is_some() {
        e.authorizer_error = Some("The incoming token has expired".to_string());
    }
    e
}

fn other_api(api: Api) -> Api {
    if api == Api::Rest { Api::Http } else { Api::Rest }
}

/// The route an event was generated from; `None` for unmatched paths.
fn route_of(e: &GenEvent) -> Option<&'static Route> {
    let routes = if e.api == Api::Rest { REST_ROUTES } else { HTTP_ROUTES };
    routes.iter().find(|r| r.method == e.method && r.tmpl == e.route)
}

/// The same request by the same caller at `time_ms`, answered `status`.
fn reissue(rng: &mut ChaCha8Rng, e: &GenEvent, r: &Route, status: u16, time_ms: i64) -> GenEvent {
    let who = Who {
        ip: &e.ip,
        ua: &e.user_agent,
        principal: e.principal.as_deref(),
        api_key_id: e.api_key_id.as_deref(),
        caller: e.caller.as_deref(),
        user_arn: e.user_arn.as_deref(),
    };
    build_event(rng, time_ms, &who, r, e.path.clone(), status)
}

fn outage_5xx(rng: &mut ChaCha8Rng) -> u16 {
    pick(rng, &[(502u16, 45), (503, 35), (504, 20)])
}

#[derive(Clone, Copy)]
struct Outage {
    start_ms: i64,
    auth_ms: i64,
    end_ms: i64,
}

impl Outage {
    /// Rewrites `e` if the outage hits it; retries of a failed call go to `retries`.
    fn hit(&self, rng: &mut ChaCha8Rng, e: &mut GenEvent, retries: &mut Vec<GenEvent>, run_end: i64) {
        let t = e.time_ms;
        if t < self.start_ms || t >= self.end_ms {
            return;
        }
        let Some(r) = route_of(e) else { return };
        if t < self.auth_ms {
            // The backend fails: only calls that reached the integration are affected.
            if e.integration_latency_ms.is_none() || e.status >= 500 || rng.random::<f64>() >= OUTAGE_FAIL {
                return;
            }
            let status = outage_5xx(rng);
            let mut failed = reissue(rng, e, r, status, t);
            failed.request_id = std::mem::take(&mut e.request_id);
            let mut prev = (failed.time_ms, failed.latency_ms);
            for attempt in 0..3 {
                if rng.random::<f64>() >= OUTAGE_RETRY {
                    break;
                }
                // Exponential backoff with jitter after the failed answer arrived.
                let backoff = (200_i64 << attempt) + rng.random_range(0..500);
                let at = prev.0 + i64::try_from(prev.1).unwrap_or(0) + backoff;
                if at >= run_end {
                    break;
                }
                let fails = at < self.auth_ms && rng.random::<f64>() < OUTAGE_FAIL;
                let status = if fails { outage_5xx(rng) } else { e.status };
                let retry = reissue(rng, e, r, status, at);
                prev = (retry.time_ms, retry.latency_ms);
                retries.push(retry);
                if !fails {
                    break;
                }
            }
            *e = failed;
        } else {
            // The authorizer breaks: protected routes only, whoever the caller.
            if r.public || matches!(e.status, 401 | 403 | 429) || rng.random::<f64>() >= OUTAGE_AUTH_FAIL {
                return;
            }
            let status = if rng.random::<f64>() < 0.6 { 401 } else { 403 };
            let mut rejected = reissue(rng, e, r, status, t);
            rejected.request_id = std::mem::take(&mut e.request_id);
            if status == 401 {
                rejected.authorizer_error = Some("Unauthorized".to_string());
            } else {
                // An explicit deny: the authorizer answered, the integration was never called.
                rejected.latency_ms = latency(rng, r, status, true).0;
                rejected.integration_latency_ms = None;
            }
            *e = rejected;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The streaming generator

/// The load curve's factor at instant `t` (mean 1 over a day): peaks at 14:00 UTC, trough at 02:00.
fn diurnal(t: i64) -> f64 {
    let hour = t.rem_euclid(86_400_000) as f64 / 3_600_000.0;
    1.0 + 0.6 * (std::f64::consts::TAU * (hour - 8.0) / 24.0).sin()
}

struct Generator {
    n: Norm,
    rng: ChaCha8Rng,
    clients: Vec<Client>,
    cum: Vec<f64>,
    attacks: Vec<AttackSpec>,
    next_product: u64,
    /// The scenarios after the first seven attacks, and their own stream.
    scenarios: Vec<Scenario>,
    srng: ChaCha8Rng,
    outage: Option<Outage>,
    /// Outage retries that fall in a later minute than the request they repeat.
    pending: Vec<GenEvent>,
    minute: u32,
    buf: std::vec::IntoIter<GenEvent>,
}

impl Generator {
    fn new(n: &Norm) -> Self {
        let (clients, cum) = population(n);
        let mut rng = stream_rng(n.seed, STREAM_TRAFFIC);
        let next_product = rng.random_range(20_000..40_000);
        let scenarios = build_scenarios(n);
        let outage = scenarios.iter().find_map(|s| match s.kind {
            ScenarioKind::Outage { auth_ms } => {
                Some(Outage { start_ms: s.info.start_ms, auth_ms, end_ms: s.info.end_ms })
            }
            _ => None,
        });
        Self {
            n: *n,
            rng,
            clients,
            cum,
            attacks: build_attacks(n),
            next_product,
            scenarios,
            srng: stream_rng(n.seed, STREAM_SCENARIO_TRAFFIC),
            outage,
            pending: Vec::new(),
            minute: 0,
            buf: Vec::new().into_iter(),
        }
    }

    /// Expected events in the minute starting at `t`.
    fn rate_at(&self, t: i64) -> f64 {
        self.n.rate * diurnal(t + MINUTE_MS / 2)
    }

    fn fill_minute(&mut self) {
        let m0 = self.n.start_ms + i64::from(self.minute) * MINUTE_MS;
        let m1 = m0 + MINUTE_MS;
        self.minute += 1;
        let lambda = self.rate_at(m0);
        let count = poisson(&mut self.rng, lambda);
        let mut batch = Vec::with_capacity(count as usize + 16);
        for _ in 0..count {
            let t = m0 + self.rng.random_range(0..MINUTE_MS);
            batch.push(normal_event(&mut self.rng, &self.clients, &self.cum, t));
        }
        for a in &self.attacks {
            for seg in &a.segments {
                let (lo, hi) = (seg.start_ms.max(m0), seg.end_ms.min(m1));
                if lo >= hi {
                    continue;
                }
                let mut k = poisson(&mut self.rng, a.rate_per_min * (hi - lo) as f64 / MINUTE_MS as f64);
                // Every segment leaves at least one trace, even when a tiny run shrank it.
                if k == 0 && seg.start_ms >= m0 && seg.start_ms < m1 {
                    k = 1;
                }
                let mut times: Vec<i64> = (0..k).map(|_| lo + self.rng.random_range(0..hi - lo)).collect();
                // Sorted first so sequential state (enumeration ids) follows time.
                times.sort_unstable();
                for t in times {
                    batch.push(attack_event(&mut self.rng, a, seg, t, &mut self.next_product));
                }
            }
        }
        let scenarios_from = batch.len();
        for s in &self.scenarios {
            for lg in &s.legs {
                let (lo, hi) = (lg.start_ms.max(m0), lg.end_ms.min(m1));
                if lo >= hi {
                    continue;
                }
                let expected = lg.rate.per_min(lo + (hi - lo) / 2) * (hi - lo) as f64 / MINUTE_MS as f64;
                let mut k = poisson(&mut self.srng, expected);
                if k == 0 && lg.start_ms >= m0 && lg.start_ms < m1 {
                    k = 1;
                }
                for _ in 0..k {
                    let t = lo + self.srng.random_range(0..hi - lo);
                    batch.push(scenario_event(&mut self.srng, s, lg, t));
                }
            }
        }
        // The outage hits normal clients and the added scenarios' ones, not the first attacks.
        if let Some(o) = self.outage.filter(|o| o.start_ms < m1 && m0 < o.end_ms) {
            let run_end = run_end(&self.n);
            let mut retries = Vec::new();
            for i in (0..count as usize).chain(scenarios_from..batch.len()) {
                o.hit(&mut self.srng, &mut batch[i], &mut retries, run_end);
            }
            self.pending.extend(retries);
        }
        let (due, later): (Vec<GenEvent>, Vec<GenEvent>) =
            std::mem::take(&mut self.pending).into_iter().partition(|e| e.time_ms < m1);
        batch.extend(due);
        self.pending = later;
        // Stable sort: ties keep generation order, so output stays deterministic.
        batch.sort_by_key(|e| e.time_ms);
        self.buf = batch.into_iter();
    }
}

impl Iterator for Generator {
    type Item = GenEvent;
    fn next(&mut self) -> Option<GenEvent> {
        loop {
            if let Some(e) = self.buf.next() {
                return Some(e);
            }
            if self.minute >= self.n.minutes {
                return None;
            }
            self.fill_minute();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers

fn dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

fn opt_num(v: Option<u64>) -> String {
    v.map_or_else(|| "-".to_string(), |n| n.to_string())
}

fn route_key(e: &GenEvent) -> String {
    if e.route == "-" { "-".to_string() } else { format!("{} {}", e.method, e.route) }
}

/// Browsers negotiate HTTP/2 with CloudFront-fronted endpoints; libraries mostly stay on 1.1.
fn protocol(ua: &str) -> &'static str {
    if ua.starts_with("Mozilla/5.0 (") { "HTTP/2.0" } else { "HTTP/1.1" }
}

/// `$context.requestTime`: `24/Nov/2026:14:40:53 +0000`.
fn clf_time(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => t.format("%d/%b/%Y:%H:%M:%S +0000").to_string(),
        None => "-".to_string(),
    }
}

fn push_json_str(out: &mut String, s: &str) {
    // serde_json does the escaping, so quotes or control characters in values stay valid JSON.
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"-\""),
    }
}

/// Builds an object with keys in the given order (serde_json's map would sort them, or not,
/// depending on features enabled elsewhere in the build).
fn json_object(fields: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(640);
    out.push('{');
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, k);
        out.push(':');
        push_json_str(&mut out, v);
    }
    out.push('}');
    out
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs subscription envelopes

struct LogEvent {
    id: String,
    timestamp: i64,
    message: String,
}

struct Batch {
    group: String,
    stream: String,
    events: Vec<LogEvent>,
}

impl Batch {
    fn first_ms(&self) -> i64 {
        self.events.first().map_or(i64::MAX, |e| e.timestamp)
    }
}

/// Buffers one open envelope per log group (API), as CloudWatch Logs batches each group
/// independently, and writes them gzip-compressed.
struct CwlWriter<'a, W: Write> {
    out: &'a mut W,
    base64: bool,
    seed: u64,
    seq: u64,
    batches: [Batch; 2],
}

impl<'a, W: Write> CwlWriter<'a, W> {
    fn new(out: &'a mut W, base64: bool, seed: u64) -> Self {
        let stream = |api: u64| {
            let a = splitmix64(seed ^ api.wrapping_mul(0x5851_f42d_4c95_7f2d));
            format!("{:016x}{:016x}", a, splitmix64(a))
        };
        let batch = |api_id: &str, s: String| Batch {
            group: format!("API-Gateway-Access-Logs_{api_id}/{STAGE}"),
            stream: s,
            events: Vec::with_capacity(CWL_MAX_EVENTS),
        };
        Self {
            out,
            base64,
            seed,
            seq: 0,
            batches: [batch(REST_API_ID, stream(1)), batch(HTTP_API_ID, stream(2))],
        }
    }

    fn control_message(&mut self, timestamp: i64) -> io::Result<()> {
        let mut json = String::from(
            r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":"#,
        );
        json.push_str(&timestamp.to_string());
        json.push_str(
            r#","message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}"#,
        );
        self.emit(json.as_bytes())
    }

    fn push(&mut self, e: &GenEvent) -> io::Result<()> {
        // Deliver any envelope that has spanned 10 s, oldest first, so envelopes stay in time order.
        let order = if self.batches[0].first_ms() <= self.batches[1].first_ms() { [0, 1] } else { [1, 0] };
        for i in order {
            if !self.batches[i].events.is_empty() && e.time_ms - self.batches[i].first_ms() >= CWL_MAX_SPAN_MS
            {
                self.flush(i)?;
            }
        }
        let idx = if e.api == Api::Rest { 0 } else { 1 };
        if self.batches[idx].events.len() >= CWL_MAX_EVENTS {
            self.flush(idx)?;
        }
        let id = self.event_id(e.time_ms);
        self.batches[idx].events.push(LogEvent { id, timestamp: e.time_ms, message: json_line(e) });
        Ok(())
    }

    /// 56 decimal digits like CloudWatch's: a time-ordered prefix, a sequence, a scrambler.
    fn event_id(&mut self, ts: i64) -> String {
        self.seq += 1;
        let ts = ts.clamp(0, 999_999_999_999_999);
        format!("3{ts:015}{:020}{:020}", self.seq, splitmix64(self.seed ^ self.seq))
    }

    fn finish(&mut self) -> io::Result<()> {
        let order = if self.batches[0].first_ms() <= self.batches[1].first_ms() { [0, 1] } else { [1, 0] };
        for i in order {
            self.flush(i)?;
        }
        Ok(())
    }

    fn flush(&mut self, i: usize) -> io::Result<()> {
        let b = &mut self.batches[i];
        if b.events.is_empty() {
            return Ok(());
        }
        let mut json = String::with_capacity(b.events.len() * 700 + 256);
        json.push_str(r#"{"messageType":"DATA_MESSAGE","owner":"#);
        push_json_str(&mut json, ACCOUNT_ID);
        json.push_str(r#","logGroup":"#);
        push_json_str(&mut json, &b.group);
        json.push_str(r#","logStream":"#);
        push_json_str(&mut json, &b.stream);
        json.push_str(r#","subscriptionFilters":["#);
        push_json_str(&mut json, SUBSCRIPTION_FILTER);
        json.push_str(r#"],"logEvents":["#);
        for (k, ev) in b.events.iter().enumerate() {
            if k > 0 {
                json.push(',');
            }
            json.push_str(r#"{"id":"#);
            push_json_str(&mut json, &ev.id);
            json.push_str(r#","timestamp":"#);
            json.push_str(&ev.timestamp.to_string());
            json.push_str(r#","message":"#);
            push_json_str(&mut json, &ev.message);
            json.push('}');
        }
        json.push_str("]}");
        b.events.clear();
        self.emit(json.as_bytes())
    }

    fn emit(&mut self, json: &[u8]) -> io::Result<()> {
        let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 4 + 64), Compression::default());
        gz.write_all(json)?;
        let gz = gz.finish()?;
        if self.base64 {
            self.out.write_all(base64::engine::general_purpose::STANDARD.encode(&gz).as_bytes())?;
            self.out.write_all(b"\n")
        } else {
            self.out.write_all(&gz)
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::MultiGzDecoder;
    use serde_json::Value;
    use std::collections::{BTreeMap, HashMap, HashSet};
    use std::io::Read;

    fn small() -> GenOptions {
        GenOptions { seed: 7, clients: 300, minutes: 30, mean_rate_per_min: 60.0, ..GenOptions::default() }
    }

    fn render(opts: &GenOptions, f: OutFormat) -> (Vec<u8>, u64) {
        let mut buf = Vec::new();
        let n = write(opts, f, &mut buf).expect("write to Vec");
        (buf, n)
    }

    #[test]
    fn deterministic_for_a_seed() {
        // Gzip is slow in unoptimised builds; a shorter run covers it.
        let short = GenOptions { minutes: 8, ..small() };
        for (o, f) in [(small(), OutFormat::Ndjson), (short, OutFormat::CwlGzip)] {
            let (a, na) = render(&o, f);
            let (b, nb) = render(&o, f);
            assert_eq!(na, nb);
            assert!(a == b, "{f:?} output differs between runs");
        }
        let other = GenOptions { seed: 8, ..small() };
        assert_ne!(render(&small(), OutFormat::Ndjson).0, render(&other, OutFormat::Ndjson).0);
    }

    #[test]
    fn time_ordered_unique_ids_and_inside_run() {
        let o = small();
        let end = o.start_ms + i64::from(o.minutes) * MINUTE_MS;
        let mut last = i64::MIN;
        let mut ids = HashSet::new();
        let mut n = 0;
        for e in events(&o) {
            assert!(e.time_ms >= last, "out of order");
            assert!(e.time_ms >= o.start_ms && e.time_ms < end);
            assert!(ids.insert(e.request_id.clone()), "duplicate request id");
            last = e.time_ms;
            n += 1;
        }
        // Mean 60/min over 30 min plus attacks; well away from zero.
        assert!(n > 1000, "only {n} events");
    }

    /// The plan's names and benign flags, in order.
    const SCENARIOS: [(&str, bool); 17] = [
        ("brute_force", false),
        ("credential_stuffing", false),
        ("enumeration", false),
        ("throttle_evasion", false),
        ("probing", false),
        ("credential_replay", false),
        ("impossible_travel", false),
        ("distributed_scraping", false),
        ("volume_spike", false),
        ("new_country", false),
        ("denied_geo", false),
        ("outage", true),
        ("nat_office", true),
        ("partner_batch", true),
        ("flight", true),
        ("mobile_carrier", true),
        ("new_customer", true),
    ];

    /// Scenarios whose subject acts only inside the window.
    const WINDOW_ONLY: &[&str] = &[
        "brute_force",
        "enumeration",
        "throttle_evasion",
        "probing",
        "credential_replay",
        "impossible_travel",
        "distributed_scraping",
        "denied_geo",
    ];

    fn in_net(ip: &str, (net, len): ([u8; 4], u8)) -> bool {
        let mask = !host_mask(len);
        ip.parse::<Ipv4Addr>().is_ok_and(|a| u32::from(a) & mask == u32::from_be_bytes(net) & mask)
    }

    /// Whether `e` belongs to `subject`; `None` for `*`.
    fn matches(e: &GenEvent, subject: &str) -> Option<bool> {
        let (kind, value) = subject.split_once(':')?;
        Some(match kind {
            "ip" => match value.split_once('/') {
                Some((net, len)) => {
                    let net = net.parse::<Ipv4Addr>().ok()?.octets();
                    in_net(&e.ip, (net, len.parse().ok()?))
                }
                None => e.ip == value,
            },
            "principal" => e.principal.as_deref() == Some(value),
            "api_key" => e.api_key_id.as_deref() == Some(value),
            "asn" if value == format!("AS{SCRAPER_ASN}") => in_net(&e.ip, SCRAPER_NET),
            _ => return None,
        })
    }

    /// The client an event is counted for, in the store's default identity order.
    fn client_key(e: &GenEvent) -> String {
        match (&e.principal, &e.api_key_id, &e.caller) {
            (Some(p), _, _) => format!("principal:{p}"),
            (None, Some(k), _) => format!("api_key:{k}"),
            (None, None, Some(c)) => format!("iam:{c}"),
            _ => format!("ip:{}", e.ip),
        }
    }

    /// The country the table's IPv4 ranges put `ip` in.
    fn country_of(ip: &str) -> Option<&'static str> {
        COUNTRIES.iter().find(|c| c.v4.iter().any(|net| in_net(ip, *net))).map(|c| c.code)
    }

    fn scenario<'a>(plan: &'a [AttackInfo], name: &str) -> &'a AttackInfo {
        plan.iter().find(|a| a.name == name).expect("scenario in the plan")
    }

    #[test]
    fn plan_lists_every_scenario_in_order_with_benign_flags() {
        for minutes in [1, 5, 10, 60, 360, 10_000] {
            let o = GenOptions { minutes, ..GenOptions::default() };
            let plan = attack_plan(&o);
            let got: Vec<(&str, bool)> = plan.iter().map(|a| (a.name, a.benign)).collect();
            assert_eq!(got, SCENARIOS);
            let end = o.start_ms + i64::from(minutes) * MINUTE_MS;
            for a in &plan {
                assert!(a.start_ms >= o.start_ms && a.start_ms < a.end_ms && a.end_ms <= end, "{a:?}");
                assert_eq!((a.start_ms - o.start_ms) % MINUTE_MS, 0, "{a:?}");
                assert_eq!((a.end_ms - o.start_ms) % MINUTE_MS, 0, "{a:?}");
            }
            // The added attacks come after the first 35% of the run, once clients have a history.
            if minutes >= 60 {
                for a in plan[7..].iter().filter(|a| !a.benign) {
                    assert!(a.start_ms - o.start_ms >= i64::from(minutes) * MINUTE_MS * 35 / 100, "{a:?}");
                }
            }
        }
        assert!(attack_plan(&GenOptions { attacks: false, ..GenOptions::default() }).is_empty());

        let plan = attack_plan(&GenOptions::default());
        let subject = |name| scenario(&plan, name).subject.as_str();
        for name in ["brute_force", "probing", "denied_geo", "nat_office"] {
            let ip = subject(name).strip_prefix("ip:").expect("ip subject");
            assert!(ip.parse::<Ipv4Addr>().is_ok(), "{name}: {ip}");
        }
        for name in ["throttle_evasion", "credential_replay", "impossible_travel", "new_country", "flight"] {
            let p = subject(name).strip_prefix("principal:").expect("principal subject");
            assert_eq!(p.len(), 36, "{name}: {p}");
        }
        for name in ["enumeration", "volume_spike", "partner_batch", "new_customer"] {
            let k = subject(name).strip_prefix("api_key:").expect("api key subject");
            assert!(k.len() == 10 && k.bytes().all(|b| LOWER_ALNUM.contains(&b)), "{name}: {k}");
        }
        assert_eq!(subject("mobile_carrier").split_once(':').map(|(k, _)| k), Some("principal"));
        assert_eq!(subject("distributed_scraping"), "asn:AS24940");
        assert_eq!(subject("outage"), "*");
        let plain: Vec<String> = plan.iter().map(ToString::to_string).collect();
        assert!(plain[0].starts_with("attack brute_force ip:") && plain[0].ends_with("Z"), "{}", plain[0]);
        assert_eq!(plain[11], "benign outage * 2026-11-24T02:42:00Z 2026-11-24T02:51:00Z");
    }

    /// Every subject shows up inside its window; the window-only ones never outside it.
    fn check_subjects_in_windows(o: &GenOptions) {
        let evs: Vec<GenEvent> = events(o).collect();
        for a in attack_plan(o) {
            let hits: Vec<&GenEvent> = evs.iter().filter(|e| matches(e, &a.subject) == Some(true)).collect();
            if a.name == "outage" {
                assert!(evs.iter().all(|e| matches(e, &a.subject).is_none()));
                continue;
            }
            let inside = hits.iter().filter(|e| e.time_ms >= a.start_ms && e.time_ms < a.end_ms).count();
            assert!(inside > 0, "{} left no events in its window ({} minutes)", a.name, o.minutes);
            // (Normal clients may live in the stuffing botnet's /16, so it is not window-only.)
            if WINDOW_ONLY.contains(&a.name) {
                assert_eq!(inside, hits.len(), "{} acts outside its window", a.name);
            } else {
                assert!(!a.benign || inside == hits.len(), "{}: benign windows span all activity", a.name);
            }
        }
    }

    #[test]
    fn scenario_subjects_act_inside_their_windows() {
        check_subjects_in_windows(&GenOptions {
            clients: 50,
            minutes: 10,
            mean_rate_per_min: 30.0,
            ..GenOptions::default()
        });
        check_subjects_in_windows(&GenOptions {
            clients: 100,
            minutes: 60,
            mean_rate_per_min: 30.0,
            ..GenOptions::default()
        });
    }

    #[test]
    fn added_attacks_have_their_shape() {
        let o = GenOptions {
            seed: 3,
            clients: 100,
            minutes: 60,
            mean_rate_per_min: 30.0,
            ..GenOptions::default()
        };
        let plan = attack_plan(&o);
        let evs: Vec<GenEvent> = events(&o).collect();
        let of = |name| {
            let a = scenario(&plan, name);
            (a, evs.iter().filter(|e| matches(e, &a.subject) == Some(true)).collect::<Vec<_>>())
        };
        let minutes = |ms: i64| ms as f64 / MINUTE_MS as f64;

        // volume_spike: an established key whose rate in the window is over ten times its rate
        // before.
        let (a, hits) = of("volume_spike");
        let before =
            hits.iter().filter(|e| e.time_ms < a.start_ms).count() as f64 / minutes(a.start_ms - o.start_ms);
        let during = hits.iter().filter(|e| e.time_ms >= a.start_ms && e.time_ms < a.end_ms).count() as f64
            / minutes(a.end_ms - a.start_ms);
        assert!(before > 8.0 && during >= 10.0 * before, "before {before}/min, during {during}/min");
        assert!(hits.iter().any(|e| e.time_ms < o.start_ms + MINUTE_MS), "active from the start");

        // distributed_scraping: ~150 hosting addresses, each slow, ~250 requests a minute together,
        // one headless browser, anonymous, catalog pages, mostly 200s.
        let (a, hits) = of("distributed_scraping");
        let mut per_ip: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &hits {
            *per_ip.entry(&e.ip).or_default() += 1;
        }
        let mins = minutes(a.end_ms - a.start_ms);
        let rate = hits.len() as f64 / mins;
        assert!(per_ip.len() >= 140 && (200.0..300.0).contains(&rate), "{} ips, {rate}/min", per_ip.len());
        assert!(per_ip.values().all(|&n| n as f64 / mins < 5.0), "every address stays slow");
        assert!(hits.iter().all(|e| e.user_agent == HEADLESS_CHROME && client_key(e).starts_with("ip:")));
        assert!(
            hits.iter().all(|e| e.route == "/products/{productId}"
                || e.route == "/search"
                || e.route == "/products")
        );
        let ok = hits.iter().filter(|e| e.status == 200).count() as f64 / hits.len() as f64;
        assert!(ok > 0.8 && hits.iter().any(|e| e.status == 404), "{ok}");
        let paths: HashSet<&str> = hits.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.len() as f64 > hits.len() as f64 * 0.5, "random ids: {} distinct paths", paths.len());

        // new_country: Great Britain before and after, another continent inside the window.
        let (a, hits) = of("new_country");
        for e in &hits {
            let inside = e.time_ms >= a.start_ms && e.time_ms < a.end_ms;
            let c = country_of(&e.ip);
            if inside {
                assert!(matches!(c, Some("BR" | "NG" | "IN" | "CN")), "{c:?}");
            } else {
                assert_eq!(c, Some("GB"));
            }
        }
        assert!(hits.iter().filter(|e| e.time_ms < a.start_ms).count() > 100, "established");

        // denied_geo: the only address ever seen from the denied country's range.
        assert!(COUNTRIES.iter().all(|c| c.code != DENIED_COUNTRY));
        let (a, hits) = of("denied_geo");
        assert!(in_net(&hits[0].ip, DENIED_NET));
        assert!(
            evs.iter().filter(|e| in_net(&e.ip, DENIED_NET)).all(|e| matches(e, &a.subject) == Some(true))
        );
        let rate = hits.len() as f64 / minutes(a.end_ms - a.start_ms);
        assert!((2.0..10.0).contains(&rate), "{rate}/min");
    }

    #[test]
    fn outage_fails_calls_then_the_authorizer() {
        let o = GenOptions {
            seed: 5,
            clients: 300,
            minutes: 60,
            mean_rate_per_min: 200.0,
            ..GenOptions::default()
        };
        let plan = attack_plan(&o);
        let out = scenario(&plan, "outage");
        let auth_ms = out.start_ms + (out.end_ms - out.start_ms) * 2 / 3;
        let evs: Vec<GenEvent> = events(&o).collect();
        // Normal clients only: everything that is not a scenario's subject.
        let normal: Vec<&GenEvent> =
            evs.iter().filter(|e| plan.iter().all(|a| matches(e, &a.subject) != Some(true))).collect();
        let span = |from: i64, to: i64| -> Vec<&GenEvent> {
            normal.iter().copied().filter(|e| e.time_ms >= from && e.time_ms < to).collect()
        };
        let before = span(out.start_ms - (auth_ms - out.start_ms), out.start_ms);
        let failing = span(out.start_ms, auth_ms);
        let share = |evs: &[&GenEvent], f: &dyn Fn(&GenEvent) -> bool| {
            evs.iter().filter(|e| f(e)).count() as f64 / evs.len().max(1) as f64
        };
        let s5xx = |e: &GenEvent| e.status >= 500;
        assert!(share(&before, &s5xx) < 0.02 && share(&failing, &s5xx) > 0.45, "{}", share(&failing, &s5xx));
        // The same requests without the added scenarios: what the failing calls add is retries.
        let mut bare = Generator::new(&Norm::from(&o));
        bare.scenarios.clear();
        bare.outage = None;
        let originals = bare
            .filter(|e| e.time_ms >= out.start_ms && e.time_ms < auth_ms)
            .filter(|e| plan.iter().all(|a| matches(e, &a.subject) != Some(true)))
            .count();
        let ratio = failing.len() as f64 / originals as f64;
        assert!((1.3..1.8).contains(&ratio), "retries raise the rate: {ratio}");

        fn protected(evs: Vec<&GenEvent>) -> Vec<&GenEvent> {
            evs.into_iter().filter(|e| route_of(e).is_some_and(|r| !r.public) && e.caller.is_none()).collect()
        }
        let before = protected(span(out.start_ms - (out.end_ms - auth_ms), out.start_ms));
        let rejecting = protected(span(auth_ms, out.end_ms));
        let denied = |e: &GenEvent| matches!(e.status, 401 | 403);
        let (b, r) = (share(&before, &denied), share(&rejecting, &denied));
        assert!(b < 0.15 && r > b + 0.35, "401/403 on protected routes: {b} before, {r} during");
        // Every kind of client is hit.
        for kind in ["ip:", "principal:", "api_key:"] {
            assert!(rejecting.iter().any(|e| denied(e) && client_key(e).starts_with(kind)), "{kind}");
        }
        let after = span(out.end_ms, out.end_ms + 3 * MINUTE_MS);
        assert!(share(&after, &s5xx) < 0.02 && share(&after, &denied) < 0.1, "it ends");
    }

    #[test]
    fn benign_look_alikes_have_their_shape() {
        // A full-length run so that the flight fits its gap; few normal clients keep it quick.
        let o = GenOptions {
            seed: 9,
            clients: 50,
            minutes: 360,
            mean_rate_per_min: 5.0,
            ..GenOptions::default()
        };
        let plan = attack_plan(&o);
        let subjects: Vec<&str> = ["nat_office", "partner_batch", "flight", "mobile_carrier", "new_customer"]
            .iter()
            .map(|n| scenario(&plan, n).subject.as_str())
            .collect();
        let mut hits: Vec<Vec<GenEvent>> = vec![Vec::new(); subjects.len()];
        for e in events(&o) {
            if let Some(i) = subjects.iter().position(|s| matches(&e, s) == Some(true)) {
                hits[i].push(e);
            }
        }
        let [office, partner, flight, mobile, customer] = &hits[..] else { unreachable!() };
        let run_min = 360.0;

        // nat_office: ~150 principals through one address, ~1 request a minute each over a day
        // (less at night), a few expired-token 401s spread across them.
        let principals: HashSet<&str> = office.iter().filter_map(|e| e.principal.as_deref()).collect();
        assert!(principals.len() >= 145, "{}", principals.len());
        let out = scenario(&plan, "outage");
        let calm: Vec<&GenEvent> =
            office.iter().filter(|e| e.time_ms < out.start_ms || e.time_ms >= out.end_ms).collect();
        let share = calm.iter().filter(|e| e.status == 401).count() as f64 / calm.len() as f64;
        assert!((0.01..0.04).contains(&share), "{share}");
        let expired: Vec<&&GenEvent> =
            calm.iter().filter(|e| e.status == 401 && e.principal.is_none()).collect();
        let by: HashSet<&str> = expired.iter().filter_map(|e| e.authorizer_error.as_deref()).collect();
        assert!(expired.len() > 100 && by == HashSet::from(["The incoming token has expired"]), "{by:?}");
        let rate = office.len() as f64 / run_min;
        assert!((50.0..160.0).contains(&rate), "{rate}/min");

        // partner_batch: ~300/min all run from two or three EC2 addresses, many distinct paths,
        // few errors.
        let ips: HashSet<&str> = partner.iter().map(|e| e.ip.as_str()).collect();
        assert!((2..=3).contains(&ips.len()) && ips.iter().all(|ip| in_net(ip, PARTNER_NET)));
        let rate = partner.len() as f64 / run_min;
        assert!((280.0..330.0).contains(&rate), "{rate}/min");
        let paths: HashSet<&str> = partner.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.len() > partner.len() / 2, "{} distinct paths", paths.len());
        let errors = partner
            .iter()
            .filter(|e| {
                (e.time_ms < out.start_ms || e.time_ms >= out.end_ms) && e.status >= 400 && e.status != 404
            })
            .count() as f64;
        assert!(errors / (partner.len() as f64) < 0.01, "{errors}");

        // flight: Germany, at least 90 minutes of silence, then a neighbouring country.
        let last_home = flight.iter().filter(|e| country_of(&e.ip) == Some("DE")).map(|e| e.time_ms).max();
        let first_away = flight.iter().filter(|e| country_of(&e.ip) != Some("DE")).map(|e| e.time_ms).min();
        let (Some(left), Some(landed)) = (last_home, first_away) else { panic!("both legs happen") };
        assert!(landed - left >= 90 * MINUTE_MS, "gap {} min", (landed - left) / MINUTE_MS);
        assert!(flight.iter().all(|e| e.time_ms <= left || e.time_ms >= landed), "no overlap");
        assert!(left - o.start_ms >= 100 * MINUTE_MS, "home for ~30% of the run");
        let abroad: HashSet<Option<&str>> =
            flight.iter().filter(|e| e.time_ms >= landed).map(|e| country_of(&e.ip)).collect();
        assert!(
            abroad.len() == 1 && abroad.iter().all(|c| matches!(c, Some("GB" | "FR" | "NL"))),
            "{abroad:?}"
        );

        // mobile_carrier: India all run long, ~3 addresses per 10 minutes from both carriers.
        assert!(
            mobile
                .iter()
                .all(|e| country_of(&e.ip) == Some("IN") || MOBILE_NETS.iter().any(|n| in_net(&e.ip, *n)))
        );
        for net in MOBILE_NETS {
            assert!(mobile.iter().any(|e| in_net(&e.ip, net)), "{net:?}");
        }
        let ips: HashSet<&str> = mobile.iter().map(|e| e.ip.as_str()).collect();
        let per_10 = ips.len() as f64 / (run_min / 10.0);
        assert!((2.0..4.0).contains(&per_10), "{per_10} addresses per 10 minutes");

        // new_customer: appears at 40% of the run, ramps from a few to ~150/min over an hour.
        let nc = scenario(&plan, "new_customer");
        let per_min = |from: i64| {
            customer.iter().filter(|e| e.time_ms >= from && e.time_ms < from + 10 * MINUTE_MS).count() as f64
                / 10.0
        };
        let (early, late) = (per_min(nc.start_ms), per_min(nc.start_ms + 90 * MINUTE_MS));
        assert!(early < 30.0 && (130.0..170.0).contains(&late), "{early}/min then {late}/min");
        assert!(customer.iter().all(|e| e.time_ms >= nc.start_ms));

        // The flight's gap holds in longer runs too; in runs too short for it, it is half the run.
        for minutes in [180, 360, 1440, 10_000] {
            let n = Norm::from(&GenOptions { minutes, ..GenOptions::default() });
            let s = build_scenarios(&n).into_iter().find(|s| s.info.name == "flight").expect("flight");
            assert!(s.legs[1].start_ms - s.legs[0].end_ms >= FLIGHT_GAP_MS, "{minutes}");
        }
        let n = Norm::from(&GenOptions { minutes: 90, ..GenOptions::default() });
        let s = build_scenarios(&n).into_iter().find(|s| s.info.name == "flight").expect("flight");
        assert_eq!(s.legs[1].start_ms - s.legs[0].end_ms, 45 * MINUTE_MS);
    }

    #[test]
    fn brute_force_still_tops_401s() {
        // The end-to-end test's generator options, and the default run's (which the demo uses):
        // neither the office's expired tokens nor the outage's rejections outnumber it.
        let configs = [
            GenOptions {
                seed: 11,
                clients: 300,
                minutes: 90,
                mean_rate_per_min: 500.0,
                ..GenOptions::default()
            },
            GenOptions { seed: 7, ..GenOptions::default() },
        ];
        for o in configs {
            let mut s401: BTreeMap<String, u32> = BTreeMap::new();
            for e in events(&o).filter(|e| e.status == 401) {
                *s401.entry(client_key(&e)).or_default() += 1;
            }
            let mut top: Vec<(u32, String)> = s401.into_iter().map(|(k, n)| (n, k)).collect();
            top.sort_unstable_by(|a, b| b.cmp(a));
            let plan = attack_plan(&o);
            let brute = &scenario(&plan, "brute_force").subject;
            assert_eq!(&top[0].1, brute, "{:?}", &top[..3]);
            assert!(top[1].0 * 5 < top[0].0 * 4, "a clear margin: {:?}", &top[..3]);
        }
    }

    #[test]
    fn added_scenarios_leave_the_other_streams_alone() {
        // Without the added scenarios, normal traffic and the first seven attacks are the same
        // events; with them, only the outage rewrites some (keeping their request ids).
        let o = GenOptions { minutes: 20, ..small() };
        let n = Norm::from(&o);
        let full: Vec<GenEvent> = Generator::new(&n).collect();
        let mut bare = Generator::new(&n);
        bare.scenarios.clear();
        bare.outage = None;
        let bare: Vec<GenEvent> = bare.collect();
        let out = scenario(&attack_plan(&o), "outage").clone();
        let by_id: HashMap<&str, &GenEvent> = full.iter().map(|e| (e.request_id.as_str(), e)).collect();
        let mut rewritten = 0;
        for e in &bare {
            let f = by_id.get(e.request_id.as_str()).expect("every event is still there");
            if json_line(f) != json_line(e) {
                assert!(e.time_ms >= out.start_ms && e.time_ms < out.end_ms, "changed outside the outage");
                assert_eq!((f.time_ms, &f.ip, &f.path), (e.time_ms, &e.ip, &e.path));
                rewritten += 1;
            }
        }
        assert!(rewritten > 0);
        assert!(full.len() > bare.len());
        // And the scenarios themselves are deterministic for a seed.
        assert_eq!(attack_plan(&o), attack_plan(&o));
        let again: Vec<String> = events(&o).map(|e| json_line(&e)).collect();
        assert_eq!(again, full.iter().map(json_line).collect::<Vec<_>>());
        assert_ne!(attack_plan(&o), attack_plan(&GenOptions { seed: 8, ..o.clone() }));
    }

    #[test]
    fn json_lines_parse_with_string_fields() {
        let rest = [
            "requestId",
            "ip",
            "caller",
            "user",
            "requestTime",
            "httpMethod",
            "resourcePath",
            "path",
            "status",
            "protocol",
            "responseLength",
            "principalId",
            "apiKeyId",
            "userAgent",
            "responseLatency",
            "integrationLatency",
            "domainName",
            "stage",
            "authorizerError",
            "userArn",
        ];
        let http = [
            "requestId",
            "ip",
            "requestTimeEpoch",
            "httpMethod",
            "routeKey",
            "path",
            "status",
            "protocol",
            "responseLength",
            "principalId",
            "apiKeyId",
            "userAgent",
            "responseLatency",
            "integrationLatency",
            "domainName",
            "stage",
            "authorizerError",
        ];
        let (buf, n) = render(&small(), OutFormat::Ndjson);
        let text = String::from_utf8(buf).expect("utf8");
        let mut seen = [false, false];
        let mut lines = 0;
        for line in text.lines() {
            lines += 1;
            let v: Value = serde_json::from_str(line).expect("valid JSON");
            let obj = v.as_object().expect("object");
            let is_rest = obj.contains_key("resourcePath");
            let keys: &[&str] = if is_rest { &rest } else { &http };
            seen[usize::from(!is_rest)] = true;
            assert_eq!(obj.len(), keys.len(), "{line}");
            for k in keys {
                assert!(obj.get(*k).is_some_and(Value::is_string), "{k} missing in {line}");
            }
            if is_rest {
                let t = obj["requestTime"].as_str().unwrap_or("");
                assert_eq!(t.len(), 26, "{t}");
                assert!(t.ends_with(" +0000"));
            } else {
                assert!(obj["requestTimeEpoch"].as_str().unwrap_or("").parse::<i64>().is_ok());
                let rk = obj["routeKey"].as_str().unwrap_or("");
                assert!(rk == "-" || rk.starts_with(obj["httpMethod"].as_str().unwrap_or("?")));
            }
        }
        assert_eq!(lines, n);
        assert_eq!(seen, [true, true], "both APIs appear");
    }

    #[test]
    fn clf_lines_are_well_formed() {
        let (buf, n) = render(&small(), OutFormat::Clf);
        let text = String::from_utf8(buf).expect("utf8");
        assert_eq!(text.lines().count() as u64, n);
        for line in text.lines() {
            let (head, rest) = line.split_once(" [").expect("time bracket");
            let head: Vec<&str> = head.split(' ').collect();
            assert_eq!(head.len(), 3, "{line}");
            assert!(head[0].parse::<std::net::IpAddr>().is_ok(), "{line}");
            let (time, rest) = rest.split_once("] \"").expect("request quote");
            assert_eq!(time.len(), 26);
            assert_eq!(&time[2..3], "/");
            assert!(time.ends_with(" +0000"));
            let (request, tail) = rest.split_once("\" ").expect("closing quote");
            let req: Vec<&str> = request.split(' ').collect();
            assert!(req.len() == 3 || req.len() == 4, "{line}");
            assert!(req[req.len() - 1].starts_with("HTTP/"));
            if req.len() == 4 {
                // HTTP API: the route key repeats the method.
                assert_eq!(req[0], req[1]);
                assert_eq!((head[1], head[2]), ("-", "-"));
            }
            let tail: Vec<&str> = tail.split(' ').collect();
            assert_eq!(tail.len(), 3, "{line}");
            assert!(tail[0].parse::<u16>().is_ok_and(|s| (100..600).contains(&s)));
            assert!(tail[1].parse::<u64>().is_ok());
            assert_eq!(tail[2].len(), 36);
        }
    }

    fn check_envelopes(raw: &[u8], expected: u64) {
        let docs: Vec<Value> = serde_json::Deserializer::from_slice(raw)
            .into_iter::<Value>()
            .map(|v| v.expect("JSON"))
            .collect();
        assert_eq!(docs[0]["messageType"], "CONTROL_MESSAGE");
        let mut total = 0u64;
        for d in &docs[1..] {
            assert_eq!(d["messageType"], "DATA_MESSAGE");
            assert_eq!(d["owner"], ACCOUNT_ID);
            let group = d["logGroup"].as_str().expect("group");
            assert!(group.starts_with("API-Gateway-Access-Logs_") && group.ends_with("/prod"));
            let stream = d["logStream"].as_str().expect("stream");
            assert!(stream.len() == 32 && stream.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_eq!(d["subscriptionFilters"], serde_json::json!(["gatewatch"]));
            let evs = d["logEvents"].as_array().expect("events");
            assert!(!evs.is_empty() && evs.len() <= CWL_MAX_EVENTS);
            // Envelopes of the two log groups interleave, as deliveries from CloudWatch do, so
            // only the span inside one envelope is bounded.
            let first = evs[0]["timestamp"].as_i64().expect("ts");
            for ev in evs {
                let id = ev["id"].as_str().expect("id");
                assert!(id.len() == 56 && id.bytes().all(|b| b.is_ascii_digit()));
                let ts = ev["timestamp"].as_i64().expect("ts");
                assert!(ts - first < CWL_MAX_SPAN_MS);
                let msg: Value = serde_json::from_str(ev["message"].as_str().expect("msg")).expect("line");
                assert!(msg["requestId"].is_string());
            }
            total += evs.len() as u64;
        }
        assert_eq!(total, expected);
    }

    #[test]
    fn cwl_gzip_round_trips() {
        let (buf, n) = render(&GenOptions { minutes: 12, ..small() }, OutFormat::CwlGzip);
        let mut raw = Vec::new();
        MultiGzDecoder::new(&buf[..]).read_to_end(&mut raw).expect("gunzip");
        check_envelopes(&raw, n);
    }

    #[test]
    fn cwl_base64_round_trips() {
        let o = GenOptions { minutes: 10, ..small() };
        let (buf, n) = render(&o, OutFormat::CwlBase64);
        let text = String::from_utf8(buf).expect("utf8");
        let mut raw = Vec::new();
        for line in text.lines() {
            let gz = base64::engine::general_purpose::STANDARD.decode(line).expect("base64");
            MultiGzDecoder::new(&gz[..]).read_to_end(&mut raw).expect("gunzip");
        }
        check_envelopes(&raw, n);
    }

    #[test]
    fn tiny_and_degenerate_options_do_not_panic() {
        let cases = [
            GenOptions { clients: 10, minutes: 5, ..GenOptions::default() },
            GenOptions { clients: 0, minutes: 0, mean_rate_per_min: f64::NAN, ..GenOptions::default() },
            GenOptions {
                clients: 1,
                minutes: 2,
                mean_rate_per_min: -5.0,
                start_ms: i64::MIN,
                ..GenOptions::default()
            },
            GenOptions {
                clients: 3,
                minutes: 3,
                mean_rate_per_min: f64::INFINITY,
                start_ms: i64::MAX,
                attacks: false,
                seed: u64::MAX,
            },
        ];
        for o in &cases {
            for f in [OutFormat::Ndjson, OutFormat::Clf] {
                let _ = render(o, f);
            }
        }
        let (_, n) =
            render(&GenOptions { clients: 10, minutes: 5, ..GenOptions::default() }, OutFormat::Ndjson);
        assert!(n > 0);
        let (buf, n) = render(&cases[1], OutFormat::CwlGzip);
        assert!(n > 0, "attacks still produce events at zero rate");
        let mut raw = Vec::new();
        MultiGzDecoder::new(&buf[..]).read_to_end(&mut raw).expect("gunzip");
        check_envelopes(&raw, n);
    }

    #[test]
    fn population_mix_and_formats() {
        let n = Norm::from(&GenOptions::default());
        let (clients, cum) = population(&n);
        let count = |k| clients.iter().filter(|c| c.kind == k).count() as f64 / clients.len() as f64;
        assert!((count(Kind::Principal) - 0.45).abs() < 0.05);
        assert!((count(Kind::ApiKey) - 0.25).abs() < 0.05);
        assert!(cum.windows(2).all(|w| w[0] < w[1]));
        for c in &clients {
            if let Some(k) = &c.api_key_id {
                assert!(k.len() == 10 && k.bytes().all(|b| LOWER_ALNUM.contains(&b)));
            }
            if let Some(caller) = &c.caller {
                let (id, session) = caller.split_once(':').expect("caller");
                assert!(id.len() == 21 && id.starts_with("AROA"));
                assert!(c.user_arn.as_deref().is_some_and(|a| a.ends_with(&format!("/{session}"))));
            }
            for ip in &c.ips {
                let addr: std::net::IpAddr = ip.parse().expect("ip");
                assert!(!ip.starts_with("2001:db8"));
                if let std::net::IpAddr::V4(v4) = addr {
                    assert!(!v4.is_private() && !v4.is_loopback() && !v4.is_documentation());
                }
            }
        }
        assert_eq!("cwl-base64".parse::<OutFormat>(), Ok(OutFormat::CwlBase64));
        assert!("xml".parse::<OutFormat>().is_err_and(|e| e.contains("ndjson") && e.contains("cwl-gzip")));
    }
}
