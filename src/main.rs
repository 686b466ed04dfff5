//! The `gatewatch` binary: one command line over the workspace crates. Subcommands only wire
//! parts together (config → store → source/API); the work lives in the library crates.
//! `anyhow` is used here, at the edge, and nowhere else.

mod cli;
mod commands;
mod healthcheck;
mod ingest;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use gatewatch_config::Config;
use gatewatch_ingest::replay::{Input, replay};
use gatewatch_ingest::{InputFormat, Progress};
use gatewatch_lab::{bench, evaluate};
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use gatewatch_synth as generate;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use cli::*;
use commands::{alerts::*, demo::*, replay::*, scrub::*, serve::*, store::*, token::*, wiring::*};

fn load_config(path: Option<&std::path::Path>, db: Option<&DbArg>) -> Result<Config> {
    let mut cfg = Config::load(path)?;
    if let Some(url) = db.and_then(|d| d.db.clone()) {
        cfg.db = url;
    }
    Ok(cfg)
}

/// Opens (and migrates) the store at `url`; a URL the store refuses is named as the `--db` flag
/// or `db` setting it came from.
pub(crate) async fn open_store(url: &str) -> anyhow::Result<Store> {
    Store::open(url).await.map_err(|e| match e {
        gatewatch_store::Error::Url { url, reason } => {
            anyhow::anyhow!("--db `{url}` (or `db` in the config): {reason}")
        }
        e => e.into(),
    })
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
            let store = open_store(&cfg.db).await?;
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
            let store = open_store(&cfg.db).await?;
            println!("{} store at {} is up to date", store.backend(), gatewatch_store::redact_url(&cfg.db));
            Ok(())
        }
        Cmd::Serve { listen, db } => {
            let cfg = load_config(config, Some(&db))?;
            let listen = match listen {
                Some(l) => l,
                None => cfg.listen.parse().context("config `listen`")?,
            };
            let store = open_store(&cfg.db).await?;
            let cancel = tokio_util::sync::CancellationToken::new();
            let forwarders = start_forwarders(&cfg, &store, &cancel);
            let retention = start_retention(&cfg, &store, &cancel);
            let result = serve(store, &cfg, listen).await;
            cancel.cancel();
            for f in forwarders {
                let _ = f.await;
            }
            let _ = retention.await;
            result
        }
        Cmd::Token { cmd } => token_cmd(config, cmd).await,
        Cmd::Store { cmd } => store_cmd(config, cmd).await,
        Cmd::Forward { cmd: ForwardCmd::Status { db } } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = open_store(&cfg.db).await?;
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
            let store = open_store(&cfg.db).await?;
            let filter = gatewatch_store::AlertFilter {
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
            let store = open_store(&cfg.db).await?;
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
            let store = open_store(&cfg.db).await?;
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
            cfg.settings()?;
            gatewatch_detect::Detector::new(&cfg.detect, None, Vec::new(), Vec::new())?;
            if !cfg.firehose.access_key.is_empty() {
                cfg.firehose.access_key = "(set; not shown)".into();
            }
            for d in &mut cfg.forward {
                // User and password, and a query (which can hold a token), are not shown.
                d.url = gatewatch_store::redact_url(&d.url);
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
            cfg.db = gatewatch_store::redact_url(&cfg.db);
            println!("{}: ok", file.display());
            println!("{}", serde_json::to_string_pretty(&cfg)?);
            Ok(())
        }
    }
}
