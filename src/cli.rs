//! The command line: every subcommand, flag and value type (clap derive). `main.rs`
//! dispatches, the modules under `commands/` do the work.

use crate::*;

#[derive(Parser)]
#[command(
    name = "gatewatch",
    version,
    about = "Watches API Gateway traffic: per-client series, abuse alerts"
)]
pub(crate) struct Cli {
    /// Configuration file (TOML); every key can also be set with GATEWATCH_* variables.
    #[arg(long, global = true, env = "GATEWATCH_CONFIG")]
    pub(crate) config: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) cmd: Cmd,
}

#[derive(Args, Clone)]
pub(crate) struct DbArg {
    /// Store URL: sqlite://PATH, sqlite::memory: or postgres://… [default: sqlite://gatewatch.db]
    #[arg(long)]
    pub(crate) db: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum Cmd {
    /// Generate traffic with attacks, replay it into a fresh SQLite store and serve the API.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Minutes of traffic to generate.
        #[arg(long, default_value_t = 360)]
        minutes: u32,
        #[arg(long, default_value_t = 3000)]
        clients: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Where to keep the demo store (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Stop after replaying instead of serving (for scripted checks).
        #[arg(long)]
        no_serve: bool,
    },
    /// Backfill from a file or stdin: NDJSON access logs, CloudWatch Logs envelopes, CLF.
    Replay {
        /// Input file, or `-` for standard input.
        #[arg(long)]
        input: String,
        /// auto, ndjson, clf or cwl (gzip members, base64 lines or JSON lines are recognised).
        #[arg(long, default_value = "auto")]
        format: InputFormat,
        /// Name of the source for checkpoints (default: a fingerprint of the input's start).
        #[arg(long)]
        source: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Consume live sources until SIGTERM/SIGINT: Kinesis streams (shard leases shared by all
    /// workers on one store), CloudWatch Logs groups, the Firehose HTTP endpoint receiver.
    Ingest {
        #[command(flatten)]
        sources: ingest::SourceArgs,
        #[command(flatten)]
        db: DbArg,
    },
    /// Everything in one process: the configured sources, the detector and the REST API.
    Run {
        /// API address [default: `listen` in the config, 127.0.0.1:8080]
        #[arg(long)]
        listen: Option<SocketAddr>,
        #[command(flatten)]
        sources: ingest::SourceArgs,
        #[command(flatten)]
        db: DbArg,
    },
    /// Serve the REST API.
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080, or `listen` in the config]
        #[arg(long)]
        listen: Option<SocketAddr>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Create or upgrade the store schema.
    Migrate {
        #[command(flatten)]
        db: DbArg,
    },
    /// Write generated API Gateway traffic (deterministic for a seed).
    Generate {
        /// ndjson, clf, cwl-gzip or cwl-base64.
        #[arg(long, default_value = "ndjson")]
        format: generate::OutFormat,
        /// Output file (default: stdout).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        #[arg(long, default_value_t = 3000)]
        clients: usize,
        #[arg(long, default_value_t = 360)]
        minutes: u32,
        /// Average requests per minute over all clients.
        #[arg(long, default_value_t = 1200.0)]
        rate: f64,
        /// Start time, RFC 3339 (default 2026-11-24T00:00:00Z).
        #[arg(long)]
        start: Option<String>,
        /// Leave out the injected attacks.
        #[arg(long)]
        no_attacks: bool,
    },
    /// Scrub secrets and personal data: stdin lines to stdout lines, one out per line in, in order.
    Scrub {
        /// List every marker kind (built-in and vendor catalogue) with where it comes from, and exit.
        #[arg(long)]
        kinds: bool,
    },
    /// Print events/s for parse+aggregate and for a full replay into SQLite, on generated data.
    Bench {
        /// Events to generate (approximately).
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        /// Distinct normal clients in the generated traffic.
        #[arg(long, default_value_t = 5000)]
        clients: usize,
        /// Also replay into this PostgreSQL database (an empty scratch database: the bench writes to it).
        #[arg(long, value_name = "URL")]
        pg: Option<String>,
        /// Skip the DuckDB yardstick (python3 with `pip install duckdb`).
        #[arg(long)]
        no_duckdb: bool,
        /// Instead of the stages: replay this many events each (comma-separated, e.g.
        /// 1000000,5000000,20000000) in child processes and print events/s and peak RSS.
        #[arg(long, value_delimiter = ',', value_name = "N,N,…")]
        soak: Vec<u64>,
        /// Instead of the stages: the scrubber's cost per byte on crafted lines (every trigger
        /// literal repeated to these sizes in bytes) against a benign line of the same length.
        #[arg(long, value_delimiter = ',', value_name = "BYTES,…", num_args = 0.., default_missing_value = "8192,65536,1048576")]
        adversarial: Option<Vec<usize>>,
    },
    /// List alerts from the store, newest first.
    Alerts {
        #[command(flatten)]
        db: DbArg,
        /// table, json (one alert per line, the API's shape), or what SIEM destinations receive:
        /// ocsf, cef, hec.
        #[arg(long, default_value = "table")]
        format: AlertFormat,
        /// credential_abuse, scraping or geo_anomaly.
        #[arg(long)]
        kind: Option<gatewatch_core::AlertKind>,
        /// A rule name, e.g. brute_force.
        #[arg(long)]
        rule: Option<gatewatch_core::Rule>,
        /// low, medium, high or critical.
        #[arg(long)]
        severity: Option<gatewatch_core::Severity>,
        /// open, acknowledged or resolved.
        #[arg(long)]
        status: Option<gatewatch_core::Status>,
        /// type:value, e.g. ip:203.0.113.9.
        #[arg(long)]
        subject: Option<gatewatch_core::Subject>,
        /// Only alerts whose last evidence is at or after this time (RFC 3339 or epoch ms).
        #[arg(long, value_parser = parse_time_arg)]
        since: Option<i64>,
        /// Only alerts whose first evidence is before this time.
        #[arg(long, value_parser = parse_time_arg)]
        until: Option<i64>,
        #[arg(long, default_value_t = 1000)]
        limit: i64,
    },
    /// Report on a time range: 4XX/403/429 rates per route and per country with their change
    /// from the same range a week earlier, alerts by rule and severity, top offenders by rule.
    Report {
        #[command(flatten)]
        db: DbArg,
        /// Start of the range (RFC 3339 or epoch ms, event time).
        #[arg(long, value_parser = parse_time_arg)]
        from: i64,
        /// End of the range, exclusive.
        #[arg(long, value_parser = parse_time_arg)]
        to: i64,
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Write the report to this file instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Routes and countries listed (the busiest first).
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Write the series, alerts and route/country hours as Parquet files partitioned by day
    /// (DIR/series/day=YYYY-MM-DD/part-0.parquet, alerts/, routes/, countries/).
    Export {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Target directory (created if missing).
        #[arg(long)]
        output: PathBuf,
        /// Start of the range (RFC 3339 or epoch ms) [default: the first stored minute].
        #[arg(long, value_parser = parse_time_arg)]
        from: Option<i64>,
        /// End of the range, exclusive [default: after the last stored minute].
        #[arg(long, value_parser = parse_time_arg)]
        to: Option<i64>,
    },
    /// Detector precision, recall and time-to-detect on generated labelled scenarios.
    Evaluate {
        /// Generator seeds, comma-separated: one run each.
        #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
        seeds: Vec<u64>,
        #[arg(long, default_value_t = 360)]
        minutes: u32,
        #[arg(long, default_value_t = 3000)]
        clients: usize,
        /// Exit with an error when a target is missed.
        #[arg(long)]
        check: bool,
    },
    /// GeoIP databases (country and ASN) used by the detector.
    Geoip {
        #[command(subcommand)]
        cmd: GeoipCmd,
    },
    /// Exit 0 when URL answers 2xx within 3 s (a container HEALTHCHECK without curl).
    Healthcheck {
        /// e.g. http://127.0.0.1:8080/readyz
        #[arg(default_value = "http://127.0.0.1:8080/readyz")]
        url: String,
    },
    /// Configuration commands.
    Config {
        #[command(subcommand)]
        cmd: ConfigCmd,
    },
    /// SIEM forwarding (the destinations are delivered to by `serve` and `run`).
    Forward {
        #[command(subcommand)]
        cmd: ForwardCmd,
    },
    /// API tokens: create (printed once, only a hash is stored), list, revoke.
    Token {
        #[command(subcommand)]
        cmd: TokenCmd,
    },
    /// The store: what it holds, and retention applied now.
    Store {
        #[command(subcommand)]
        cmd: StoreCmd,
    },
}

#[derive(Subcommand)]
pub(crate) enum StoreCmd {
    /// Rows and bytes per table (the series per tier), and the oldest and newest minute.
    Stats {
        #[command(flatten)]
        db: DbArg,
    },
    /// Apply `[retention]` now and report what was removed (`serve`, `run` and `ingest` also
    /// apply it every `retention.interval_secs`).
    Compact {
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
pub(crate) enum TokenCmd {
    /// Create a token; it is the last line of stdout, shown this once.
    Create {
        #[arg(long, value_parser = ["read", "admin"])]
        scope: String,
        /// A label to recognise it by (who or what uses it).
        #[arg(long, default_value = "")]
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// List tokens (ids, names, scopes, last use; never the tokens).
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Revoke a token by id (tok_…); it stops working within 5 seconds.
    Revoke {
        id: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum AlertFormat {
    Json,
    Table,
    /// OCSF Detection Finding (class 2004), one per line, as `ocsf_http` destinations get it.
    Ocsf,
    /// ArcSight CEF, one per line.
    Cef,
    /// Splunk HEC event envelopes, one per line.
    Hec,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// Markdown tables.
    #[value(alias = "markdown")]
    Md,
    /// One self-contained HTML page.
    Html,
    /// The report as JSON (the shape `GET /v1/report` answers).
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum ExportFormat {
    Parquet,
}

#[derive(Subcommand)]
pub(crate) enum ForwardCmd {
    /// Delivery state of each configured `[[forward]]` destination: delivered, pending, parked,
    /// the last error.
    Status {
        #[command(flatten)]
        db: DbArg,
    },
}

pub(crate) fn parse_time_arg(s: &str) -> Result<i64, String> {
    gatewatch_core::time::parse_time_param(s)
        .ok_or_else(|| format!("`{s}`: expected RFC 3339 or epoch milliseconds"))
}

#[derive(Subcommand)]
pub(crate) enum GeoipCmd {
    /// Download the free ip-location-db country (CC0) and ASN (CC BY 4.0) databases.
    Update {
        /// Target directory [default: `geoip.dir` of the config, else ~/.cache/gatewatch/geoip].
        #[arg(long)]
        dir: Option<PathBuf>,
        /// npm registry to download from.
        #[arg(long, default_value = "https://registry.npmjs.org")]
        registry: String,
    },
    /// Look up addresses in the configured databases: ip, country, ASN, network name (tab-separated).
    Lookup {
        #[arg(required = true)]
        ips: Vec<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum ConfigCmd {
    /// Validate a configuration file and print the effective configuration.
    Check { file: PathBuf },
}
