//! The `gatewatch` binary: one command line over the workspace crates. Subcommands only wire
//! parts together (config → store → source/API); the work lives in the library crates.
//! `anyhow` is used here, at the edge, and nowhere else.

mod healthcheck;
mod ingest;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use gatewatch_core::{Config, Store};
use gatewatch_ingest::replay::{Input, replay};
use gatewatch_ingest::{InputFormat, Progress, Settings};
use gatewatch_lab::{bench, evaluate};
use gatewatch_synth as generate;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "gatewatch",
    version,
    about = "Watches API Gateway traffic: per-client series, abuse alerts"
)]
struct Cli {
    /// Configuration file (TOML); every key can also be set with GATEWATCH_* variables.
    #[arg(long, global = true, env = "GATEWATCH_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Args, Clone)]
struct DbArg {
    /// Store URL: sqlite://PATH, sqlite::memory: or postgres://… [default: sqlite://gatewatch.db]
    #[arg(long)]
    db: Option<String>,
}

#[derive(Subcommand)]
enum Cmd {
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
}

#[derive(Subcommand)]
enum TokenCmd {
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
enum AlertFormat {
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
enum ReportFormat {
    /// Markdown tables.
    #[value(alias = "markdown")]
    Md,
    /// One self-contained HTML page.
    Html,
    /// The report as JSON (the shape `GET /v1/report` answers).
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Parquet,
}

#[derive(Subcommand)]
enum ForwardCmd {
    /// Delivery state of each configured `[[forward]]` destination: delivered, pending, parked,
    /// the last error.
    Status {
        #[command(flatten)]
        db: DbArg,
    },
}

fn parse_time_arg(s: &str) -> Result<i64, String> {
    gatewatch_core::time::parse_time_param(s)
        .ok_or_else(|| format!("`{s}`: expected RFC 3339 or epoch milliseconds"))
}

#[derive(Subcommand)]
enum GeoipCmd {
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
enum ConfigCmd {
    /// Validate a configuration file and print the effective configuration.
    Check { file: PathBuf },
}

fn load_config(path: Option<&std::path::Path>, db: Option<&DbArg>) -> Result<Config> {
    let mut cfg = Config::load(path)?;
    if let Some(url) = db.and_then(|d| d.db.clone()) {
        cfg.db = url;
    }
    Ok(cfg)
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("GATEWATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,aws_config=error,gatewatch=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match rt.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let config = cli.config.as_deref();
    match cli.cmd {
        Cmd::Replay { input, format, source, db } => {
            let cfg = load_config(config, Some(&db))?;
            let store = Store::open(&cfg.db).await?;
            let summary = replay_with_progress(&store, &cfg, Input::parse(&input), format, source).await;
            store.close().await;
            summary.map(|_| ())
        }
        Cmd::Ingest { sources, db } => {
            let mut cfg = load_config(config, Some(&db))?;
            sources.apply(&mut cfg)?;
            ingest::run(cfg, None, sources.metrics_listen).await
        }
        Cmd::Run { listen, sources, db } => {
            let mut cfg = load_config(config, Some(&db))?;
            sources.apply(&mut cfg)?;
            let listen = match listen {
                Some(l) => l,
                None => cfg.listen.parse().context("config `listen`")?,
            };
            if sources.metrics_listen.is_some() {
                bail!("--metrics-listen is for `ingest`; `run` serves /metrics on its API address");
            }
            ingest::run(cfg, Some(listen), None).await
        }
        Cmd::Migrate { db } => {
            let cfg = load_config(config, Some(&db))?;
            let store = Store::open(&cfg.db).await?;
            println!(
                "{} store at {} is up to date",
                store.backend(),
                gatewatch_core::store::redact_url(&cfg.db)
            );
            Ok(())
        }
        Cmd::Serve { listen, db } => {
            let cfg = load_config(config, Some(&db))?;
            let listen = match listen {
                Some(l) => l,
                None => cfg.listen.parse().context("config `listen`")?,
            };
            let store = Store::open(&cfg.db).await?;
            let cancel = tokio_util::sync::CancellationToken::new();
            let forwarders = start_forwarders(&cfg, &store, &cancel);
            let result = serve(store, &cfg, listen).await;
            cancel.cancel();
            for f in forwarders {
                let _ = f.await;
            }
            result
        }
        Cmd::Token { cmd } => token_cmd(config, cmd).await,
        Cmd::Forward { cmd: ForwardCmd::Status { db } } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = Store::open(&cfg.db).await?;
            if cfg.forward.is_empty() {
                println!("no [[forward]] destinations configured (see --config)");
                return Ok(());
            }
            println!(
                "{:<20} {:<11} {:>10} {:>8} {:>7} {:>8}  LAST ERROR",
                "DESTINATION", "KIND", "DELIVERED", "PENDING", "PARKED", "RETRIES"
            );
            for d in &cfg.forward {
                let st = store.forward_state(&d.name).await?;
                let kind = serde_json::to_value(d.kind)?;
                println!(
                    "{:<20} {:<11} {:>10} {:>8} {:>7} {:>8}  {}",
                    d.name,
                    kind.as_str().unwrap_or(""),
                    st.delivered,
                    st.pending,
                    st.parked,
                    st.attempts,
                    st.last_error.as_deref().unwrap_or("-")
                );
            }
            store.close().await;
            Ok(())
        }
        Cmd::Demo { listen, minutes, clients, seed, dir, no_serve } => {
            demo(config, listen, minutes, clients, seed, dir, no_serve).await
        }
        Cmd::Generate { format, out, seed, clients, minutes, rate, start, no_attacks } => {
            let mut opts = generate::GenOptions {
                seed,
                clients,
                minutes,
                mean_rate_per_min: rate,
                attacks: !no_attacks,
                ..Default::default()
            };
            if let Some(s) = start {
                opts.start_ms = gatewatch_core::time::parse_time_param(&s)
                    .with_context(|| format!("--start `{s}`: expected RFC 3339 or epoch milliseconds"))?;
            }
            let n = match out {
                Some(path) => {
                    let f = std::fs::File::create(&path)
                        .with_context(|| format!("creating {}", path.display()))?;
                    let mut w = std::io::BufWriter::new(f);
                    let n = generate::write(&opts, format, &mut w)?;
                    w.flush()?;
                    n
                }
                None => {
                    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                    let n = generate::write(&opts, format, &mut w)?;
                    w.flush()?;
                    n
                }
            };
            eprintln!("generated {n} events");
            for a in generate::attack_plan(&opts) {
                eprintln!("{a}");
            }
            Ok(())
        }
        Cmd::Bench { events, clients, pg, no_duckdb, soak, adversarial } => {
            if let Some(sizes) = adversarial {
                tokio::task::block_in_place(|| gatewatch_ingest::scrub::adversarial::run(&sizes))
                    .map(|_| ())
                    .map_err(anyhow::Error::msg)
            } else if soak.is_empty() {
                bench::run(bench::BenchOptions { events, clients, pg, no_duckdb }).await
            } else {
                tokio::task::block_in_place(|| bench::soak(&soak, clients))
            }
        }
        Cmd::Alerts { db, format, kind, rule, severity, status, subject, since, until, limit } => {
            let cfg = load_config(config, Some(&db))?;
            if limit < 1 {
                bail!("--limit must be at least 1");
            }
            require_existing_sqlite(&cfg.db)?;
            let store = Store::open(&cfg.db).await?;
            let filter = gatewatch_core::store::AlertFilter {
                kind,
                rule,
                severity,
                status,
                subject,
                since,
                until,
                after: None,
                limit,
            };
            let alerts = store.alerts(&filter).await?;
            store.close().await;
            print_alerts(&alerts, format)
        }
        Cmd::Report { db, from, to, format, output, limit } => {
            let cfg = load_config(config, Some(&db))?;
            if to <= from {
                bail!("--to must be after --from");
            }
            if limit < 1 {
                bail!("--limit must be at least 1");
            }
            require_existing_sqlite(&cfg.db)?;
            let store = Store::open(&cfg.db).await?;
            let opts = gatewatch_report::ReportOptions { limit, ..Default::default() };
            let report = gatewatch_report::build_report_with(&store, from, to, opts).await;
            store.close().await;
            let format = match format {
                ReportFormat::Md => gatewatch_report::Format::Markdown,
                ReportFormat::Html => gatewatch_report::Format::Html,
                ReportFormat::Json => gatewatch_report::Format::Json,
            };
            let mut text = format.render(&report?);
            if !text.ends_with('\n') {
                text.push('\n');
            }
            match output {
                Some(path) => {
                    std::fs::write(&path, text).with_context(|| format!("--output {}", path.display()))?
                }
                None => std::io::stdout().write_all(text.as_bytes())?,
            }
            Ok(())
        }
        Cmd::Export { db, format: ExportFormat::Parquet, output, from, to } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = Store::open(&cfg.db).await?;
            let stored = gatewatch_report::stored_range(&store).await?;
            let (from, to) = match (from, to, stored) {
                (Some(f), Some(t), _) => (f, t),
                (f, t, Some((lo, hi))) => (f.unwrap_or(lo), t.unwrap_or(hi)),
                (_, _, None) => {
                    store.close().await;
                    eprintln!("the store holds no series: nothing to export");
                    return Ok(());
                }
            };
            if to <= from {
                store.close().await;
                bail!("--to must be after --from");
            }
            let summary = gatewatch_report::export_parquet(&store, &output, from, to).await;
            store.close().await;
            let summary = summary.with_context(|| format!("exporting to --output {}", output.display()))?;
            let days: std::collections::BTreeSet<&str> =
                summary.files.iter().map(|f| f.day.as_str()).collect();
            eprintln!(
                "wrote {} Parquet files for {} days under {}: series {} rows, alerts {}, routes {}, countries {}",
                summary.files.len(),
                days.len(),
                output.display(),
                summary.rows("series"),
                summary.rows("alerts"),
                summary.rows("routes"),
                summary.rows("countries")
            );
            Ok(())
        }
        Cmd::Evaluate { seeds, minutes, clients, check } => {
            let cfg = load_config(config, None)?;
            evaluate::run(&cfg, &seeds, minutes, clients, check).await
        }
        Cmd::Healthcheck { url } => healthcheck::check(&url, std::time::Duration::from_secs(3)),
        Cmd::Geoip { cmd: GeoipCmd::Update { dir, registry } } => {
            let cfg = load_config(config, None)?;
            let dir = dir.unwrap_or_else(|| cfg.geoip.resolved_dir());
            gatewatch_detect::geo::update(&dir, &registry, &mut |line| eprintln!("{line}")).await?;
            println!("GeoIP databases are in {}", dir.display());
            Ok(())
        }
        Cmd::Geoip { cmd: GeoipCmd::Lookup { ips } } => {
            let cfg = load_config(config, None)?;
            let geo = tokio::task::block_in_place(|| gatewatch_detect::geo::Geo::open(&cfg.geoip))?;
            let mut bad = 0;
            for ip in ips {
                let Ok(addr) = ip.parse::<std::net::IpAddr>() else {
                    eprintln!("error: `{ip}` is not an IP address");
                    bad += 1;
                    continue;
                };
                let g = geo.lookup(addr);
                let org = g.asn.and_then(|a| geo.asn_org(a));
                println!(
                    "{ip}\t{}\t{}\t{}",
                    g.country_str().unwrap_or("-"),
                    g.asn.map(|a| format!("AS{a}")).unwrap_or_else(|| "-".into()),
                    org.unwrap_or_default()
                );
            }
            if bad > 0 {
                bail!("{bad} argument(s) were not IP addresses");
            }
            Ok(())
        }
        Cmd::Scrub { kinds: true } => {
            for (kind, from) in gatewatch_ingest::scrub::all_kinds() {
                println!("{kind}\t{from}");
            }
            Ok(())
        }
        Cmd::Scrub { kinds: false } => {
            let cfg = load_config(config, None)?;
            let scrubber =
                gatewatch_ingest::scrub::Scrubber::from_config(&cfg.scrub).map_err(anyhow::Error::msg)?;
            tokio::task::block_in_place(|| scrub_stdio(&scrubber))
        }
        Cmd::Config { cmd: ConfigCmd::Check { file } } => {
            let mut cfg = Config::load(Some(&file))?;
            // Validates everything, the scrubber's rules and key, and the detector included.
            Settings::from_config(&cfg)?;
            gatewatch_detect::Detector::new(&cfg.detect, None, Vec::new(), Vec::new())?;
            if !cfg.firehose.access_key.is_empty() {
                cfg.firehose.access_key = "(set; not shown)".into();
            }
            for d in &mut cfg.forward {
                // User and password, and a query (which can hold a token), are not shown.
                d.url = gatewatch_core::store::redact_url(&d.url);
                if let Some(q) = d.url.find('?') {
                    d.url.replace_range(q.., "?***");
                }
                for secret in [&mut d.token, &mut d.secret] {
                    if !secret.is_empty() {
                        *secret = "(set; not shown)".into();
                    }
                }
            }
            if !cfg.scrub.key.is_empty() {
                cfg.scrub.key = "(set; not shown)".into();
            }
            cfg.db = gatewatch_core::store::redact_url(&cfg.db);
            println!("{}: ok", file.display());
            println!("{}", serde_json::to_string_pretty(&cfg)?);
            Ok(())
        }
    }
}

/// Streams stdin to stdout through the scrubber. Invalid UTF-8 is replaced (U+FFFD) first;
/// line endings are normalised to `\n`. Every input line yields exactly one output line.
fn scrub_stdio(scrubber: &gatewatch_ingest::scrub::Scrubber) -> Result<()> {
    use std::io::BufRead;
    let stdin = std::io::stdin();
    let mut input = std::io::BufReader::with_capacity(1 << 16, stdin.lock());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let scrubbed = scrubber.scrub_bytes(line);
        // A scrubbed value never contains a newline (markers are single-line, JSON escapes them).
        out.write_all(scrubbed.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Replays one input with a progress bar on a terminal and a summary at the end.
async fn replay_with_progress(
    store: &Store,
    cfg: &Config,
    input: Input,
    format: InputFormat,
    source: Option<String>,
) -> Result<gatewatch_ingest::replay::ReplaySummary> {
    let geo = open_geo(cfg)?;
    let settings = Arc::new(
        Settings::from_config(cfg)?
            .with_country_lookup(geo.as_ref().map(gatewatch_detect::geo::Geo::country_lookup)),
    );
    let progress = Arc::new(Progress::default());
    let started = Instant::now();
    let bar = if std::io::stderr().is_terminal() {
        let bar = match input.size() {
            Some(len) => ProgressBar::new(len).with_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {bytes}/{total_bytes} {msg} ({eta})")
                    .expect("static template")
                    .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner(),
        };
        Some(bar)
    } else {
        None
    };
    let ticker = bar.clone().map(|bar| {
        let progress = progress.clone();
        tokio::spawn(async move {
            loop {
                bar.set_position(progress.bytes_read.load(Ordering::Relaxed));
                bar.set_message(format!(
                    "{} events, {} dead letters",
                    progress.events.load(Ordering::Relaxed),
                    progress.dead_letters.load(Ordering::Relaxed)
                ));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    });
    let detector = build_detector(cfg, store, geo).await?;
    let result = replay(store, settings, input, format, source, progress.clone(), detector).await;
    if let Some(t) = ticker {
        t.abort();
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let summary = result?;
    let secs = started.elapsed().as_secs_f64();
    let r = &summary.read;
    eprintln!(
        "replayed {} ({}): {} events, {} clients, {} dead letters, {} already committed units skipped, {:.1}s, {:.0} events/s, {:.0} MiB peak RSS",
        summary.source,
        r.layout.unwrap_or("empty"),
        r.events,
        r.clients,
        r.dead_letters,
        r.skipped_units,
        secs,
        r.events as f64 / secs.max(1e-9),
        bench::peak_rss_mib().unwrap_or(f64::NAN)
    );
    if r.dead_letters > 0 {
        eprintln!("dead letters keep the reason and position of each unusable record (table dead_letters)");
    }
    if cfg.detect.enabled {
        let filter = gatewatch_core::store::AlertFilter { limit: 100_000, ..Default::default() };
        let alerts = store.alerts(&filter).await?;
        let mut by_rule = std::collections::BTreeMap::<&str, usize>::new();
        for a in &alerts {
            *by_rule.entry(a.rule.as_str()).or_default() += 1;
        }
        let list: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
        eprintln!(
            "{} alerts in the store{}{} (gatewatch alerts --db {})",
            alerts.len(),
            if list.is_empty() { "" } else { ": " },
            list.join(", "),
            gatewatch_core::store::redact_url(&cfg.db)
        );
    }
    Ok(summary)
}

async fn token_cmd(config: Option<&std::path::Path>, cmd: TokenCmd) -> Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    match cmd {
        TokenCmd::Create { scope, name, db } => {
            let cfg = load_config(config, Some(&db))?;
            let store = Store::open(&cfg.db).await?;
            let (id, token, hash) = gatewatch_api::auth::new_token();
            store.create_token(&id, &name, &scope, &hash, now).await?;
            store.close().await;
            eprintln!("created {scope} token {id}; it is shown only now (the store keeps a hash):");
            println!("{token}");
        }
        TokenCmd::List { db } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = Store::open(&cfg.db).await?;
            let t = |ms: Option<i64>| ms.map_or("-".to_string(), gatewatch_core::time::rfc3339);
            println!(
                "{:<18} {:<6} {:<20} {:<20} {:<20}  NAME",
                "ID", "SCOPE", "CREATED", "LAST USED", "REVOKED"
            );
            for k in store.tokens().await? {
                println!(
                    "{:<18} {:<6} {:<20} {:<20} {:<20}  {}",
                    k.id,
                    k.scope,
                    t(Some(k.created_at)),
                    t(k.last_used),
                    t(k.revoked_at),
                    k.name
                );
            }
            store.close().await;
        }
        TokenCmd::Revoke { id, db } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = Store::open(&cfg.db).await?;
            let done = store.revoke_token(&id, now).await?;
            store.close().await;
            if !done {
                bail!("no active token {id} (see `gatewatch token list`)");
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}

/// The GeoIP databases for the detector and the per-country hours, if installed. Without
/// them the pipeline still runs, minus the geographic rules and network grouping, and counts
/// every country as `--`.
fn open_geo(cfg: &Config) -> Result<Option<Arc<gatewatch_detect::geo::Geo>>> {
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
async fn build_detector(
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
fn require_existing_sqlite(url: &str) -> Result<()> {
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let path = path.split('?').next().unwrap_or(path);
        if !path.is_empty() && !path.contains(":memory:") && !std::path::Path::new(path).exists() {
            bail!("no store at {path} (check --db; `gatewatch replay` or `gatewatch migrate` creates one)");
        }
    }
    Ok(())
}

/// One forwarder task per `[[forward]]` destination, until `cancel`.
fn start_forwarders(
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
            eprintln!(
                "gatewatch: forwarding alerts to {} ({})",
                d.name,
                gatewatch_core::store::redact_url(&d.url)
            );
            tokio::spawn(gatewatch_forward::run(store.clone(), d.clone(), owner.clone(), cancel.clone()))
        })
        .collect()
}

fn print_alerts(alerts: &[gatewatch_core::Alert], format: AlertFormat) -> Result<()> {
    use gatewatch_forward::format as siem;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // The SIEM formats frame an alert as the event of its current state.
    let as_event = |a: &gatewatch_core::Alert| gatewatch_core::store::OutboxEvent {
        id: 0,
        alert_id: a.id.clone(),
        event: if a.status == gatewatch_core::Status::Resolved { "resolved" } else { "opened" }.into(),
        alert: a.to_json(),
        created_at: a.last_seen,
    };
    match format {
        AlertFormat::Ocsf => {
            for a in alerts {
                writeln!(out, "{}", siem::ocsf(&as_event(a)))?;
            }
        }
        AlertFormat::Cef => {
            for a in alerts {
                writeln!(out, "{}", siem::cef(&as_event(a)))?;
            }
        }
        AlertFormat::Hec => {
            for a in alerts {
                writeln!(out, "{}", siem::hec(&as_event(a), "", "", ""))?;
            }
        }
        AlertFormat::Json => {
            for a in alerts {
                writeln!(out, "{}", a.to_json())?;
            }
        }
        AlertFormat::Table => {
            // Newest last evidence first; subjects in full (they paste into --subject).
            writeln!(
                out,
                "{:<20} {:<8} {:<12} {:<21} {:<50} {:>5}  SUMMARY",
                "LAST SEEN", "SEVERITY", "STATUS", "RULE", "SUBJECT", "COUNT"
            )?;
            for a in alerts {
                writeln!(
                    out,
                    "{:<20} {:<8} {:<12} {:<21} {:<50} {:>5}  {}",
                    gatewatch_core::time::rfc3339(a.last_seen),
                    a.severity.as_str(),
                    a.status.as_str(),
                    a.rule.as_str(),
                    a.subject.to_string(),
                    a.count,
                    a.evidence["summary"].as_str().unwrap_or("")
                )?;
            }
            if alerts.is_empty() {
                writeln!(out, "(no alerts match)")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

async fn serve(store: Store, cfg: &Config, listen: SocketAddr) -> Result<()> {
    gatewatch_api::serve(
        store,
        &cfg.api,
        listen,
        |addr| {
            println!("gatewatch API listening on http://{addr}");
            let _ = std::io::stdout().flush();
        },
        shutdown_signal(),
    )
    .await
    .with_context(|| format!("serving on {listen}"))
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down");
}

async fn demo(
    config: Option<&std::path::Path>,
    listen: SocketAddr,
    minutes: u32,
    clients: usize,
    seed: u64,
    dir: Option<PathBuf>,
    no_serve: bool,
) -> Result<()> {
    if minutes == 0 || clients == 0 {
        bail!("--minutes and --clients must be at least 1");
    }
    let (dir, _tmp) = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
            (d, None)
        }
        None => {
            let t = tempfile::Builder::new().prefix("gatewatch-demo-").tempdir()?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    let logs = dir.join("access-logs.ndjson");
    let db_path = dir.join("demo.db");
    let _ = std::fs::remove_file(&db_path);
    let opts = generate::GenOptions { seed, clients, minutes, ..Default::default() };
    eprintln!(
        "generating {minutes} minutes of traffic from {clients} clients (seed {seed}) into {}",
        logs.display()
    );
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&logs)?);
        generate::write(&opts, generate::OutFormat::Ndjson, &mut w)?;
        w.flush()?;
    }
    let mut cfg = load_config(config, None)?;
    cfg.db = format!("sqlite://{}", db_path.display());
    if cfg.scrub.key.is_empty() {
        cfg.scrub.key_file = dir.join("gatewatch.key").display().to_string();
    }
    if cfg.detect.denied_geo.deny.is_empty() && cfg.detect.denied_geo.allow.is_empty() {
        // The demo's traffic includes a visitor from a country a policy would deny.
        cfg.detect.denied_geo.deny = vec![generate::DENIED_COUNTRY.to_string()];
        eprintln!("demo policy: detect.denied_geo.deny = [\"{}\"]", generate::DENIED_COUNTRY);
    }
    if cfg.detect.enabled && !cfg.geoip.country_path().exists() {
        let geo_dir = cfg.geoip.resolved_dir();
        eprintln!(
            "fetching the free GeoIP databases into {} (once; see `gatewatch geoip update`)",
            geo_dir.display()
        );
        if let Err(e) =
            gatewatch_detect::geo::update(&geo_dir, "https://registry.npmjs.org", &mut |l| eprintln!("  {l}"))
                .await
        {
            eprintln!("warning: {e}; the demo goes on without the geographic and per-network rules");
        }
    }
    let store = Store::open(&cfg.db).await?;
    replay_with_progress(&store, &cfg, Input::File(logs.clone()), InputFormat::Auto, None).await?;
    let attacks = generate::attack_plan(&opts);
    let alerts =
        store.alerts(&gatewatch_core::store::AlertFilter { limit: 50, ..Default::default() }).await?;
    println!("\nalerts raised ({} shown, newest first):", alerts.len());
    print_alerts(&alerts, AlertFormat::Table)?;
    if no_serve {
        store.close().await;
        return Ok(());
    }
    let (from, to) =
        store.time_range().await?.map(|(a, b)| (a, b + 60_000)).unwrap_or((opts.start_ms, opts.start_ms));
    let (from, to) = (gatewatch_core::time::rfc3339(from), gatewatch_core::time::rfc3339(to));
    println!("\nstore: {}", cfg.db);
    println!("injected scenarios (ground truth; no alert may be raised on a benign one):");
    for a in &attacks {
        println!("  {a}");
    }
    let base = format!("http://{listen}");
    // The demo's own admin token: the API refuses callers without one.
    let (id, token, hash) = gatewatch_api::auth::new_token();
    store.create_token(&id, "demo", "admin", &hash, chrono::Utc::now().timestamp_millis()).await?;
    println!("\ndashboard: {base}/#token={token}");
    println!("\ntry (the demo made an admin token; `gatewatch token create` makes more):");
    println!("  export GATEWATCH_TOKEN={token}");
    let mut paths = vec!["/v1/alerts?limit=5".to_string(), "/v1/alerts?rule=brute_force".to_string()];
    paths.extend(alerts.first().map(|a| format!("/v1/alerts/{}", a.id)));
    for metric in ["s401", "s404", "distinct_paths"] {
        paths.push(format!("/v1/clients?metric={metric}&from={from}&to={to}&limit=5"));
    }
    paths.extend(attacks.first().map(|a| {
        let t = gatewatch_core::time::rfc3339;
        format!(
            "/v1/clients/{}/series?from={}&to={}",
            a.subject,
            t(a.start_ms - 300_000),
            t(a.end_ms + 300_000)
        )
    }));
    for p in paths {
        println!("  curl -s -H \"Authorization: Bearer $GATEWATCH_TOKEN\" '{base}{p}'");
    }
    println!("  curl -s '{base}/healthz'\n");
    serve(store, &cfg, listen).await
}
