//! `gatewatch ingest` and `gatewatch run`: the live sources of the config (Kinesis streams,
//! CloudWatch Logs groups, the Firehose receiver) into one detector and committer, until
//! SIGTERM or SIGINT; `run` serves the API beside them.

use crate::open_store;
use anyhow::{Context as _, Result, bail};
use clap::Args;
use gatewatch_config::Config;
use gatewatch_ingest::config::{CloudWatchLogsSource, KinesisSource, StartPosition};
use gatewatch_ingest::{Progress, cwl, firehose, kinesis, live};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Sources given on the command line (added to those of the config file).
#[derive(Args, Clone, Debug, Default)]
pub struct SourceArgs {
    /// Kinesis Data Stream to consume (repeatable).
    #[arg(long = "kinesis-stream", value_name = "NAME")]
    pub kinesis_streams: Vec<String>,
    /// Where shards without a checkpoint start: trim_horizon, latest or at_timestamp.
    #[arg(long, value_name = "POSITION")]
    pub start_position: Option<StartPosition>,
    /// With --start-position at_timestamp: RFC 3339 or epoch ms.
    #[arg(long, value_name = "TIME")]
    pub start_timestamp: Option<String>,
    /// CloudWatch Logs group to poll (repeatable).
    #[arg(long = "log-group", value_name = "NAME")]
    pub log_groups: Vec<String>,
    /// Start of log groups without a checkpoint (RFC 3339 or epoch ms; default now).
    #[arg(long, value_name = "TIME")]
    pub log_start: Option<String>,
    /// Serve the Firehose HTTP endpoint receiver here (needs firehose.access_key).
    #[arg(long, value_name = "ADDR")]
    pub firehose_listen: Option<SocketAddr>,
    /// AWS region [default: the SDK's chain].
    #[arg(long)]
    pub region: Option<String>,
    /// AWS endpoint override (an emulator, a VPC endpoint).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// This worker's name in the lease table [default: host-pid].
    #[arg(long)]
    pub worker_id: Option<String>,
    /// Serve /metrics, /healthz and /readyz here, without a token (off by default; `run`
    /// serves them on its API address).
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
}

impl SourceArgs {
    /// Folds the flags into `cfg` and validates the result.
    pub fn apply(&self, cfg: &mut Config) -> Result<()> {
        for stream in &self.kinesis_streams {
            let mut k = KinesisSource { stream: stream.clone(), ..Default::default() };
            if let Some(p) = self.start_position {
                k.start_position = p;
            }
            if let Some(t) = &self.start_timestamp {
                k.start_timestamp = t.clone();
            }
            cfg.kinesis.push(k);
        }
        if (self.start_position.is_some() || self.start_timestamp.is_some())
            && self.kinesis_streams.is_empty()
        {
            bail!("--start-position and --start-timestamp apply to --kinesis-stream streams; give one");
        }
        if !self.log_groups.is_empty() {
            cfg.cloudwatch_logs.push(CloudWatchLogsSource {
                log_groups: self.log_groups.clone(),
                start_time: self.log_start.clone().unwrap_or_default(),
                ..Default::default()
            });
        } else if self.log_start.is_some() {
            bail!("--log-start applies to --log-group groups; give one");
        }
        if let Some(l) = self.firehose_listen {
            cfg.firehose.listen = l.to_string();
        }
        if let Some(r) = &self.region {
            cfg.aws.region = r.clone();
        }
        if let Some(u) = &self.endpoint_url {
            cfg.aws.endpoint_url = u.clone();
        }
        if let Some(w) = &self.worker_id {
            cfg.leases.worker_id = w.clone();
        }
        cfg.validate()?;
        if cfg.kinesis.is_empty() && cfg.cloudwatch_logs.is_empty() && cfg.firehose.listen.is_empty() {
            bail!(
                "nothing to ingest: give --kinesis-stream, --log-group or --firehose-listen, or [[kinesis]], [[cloudwatch_logs]] or [firehose] in the config"
            );
        }
        Ok(())
    }
}

/// Runs the configured sources (and the API on `api`, for `run`) until a shutdown signal.
pub async fn run(cfg: Config, api: Option<SocketAddr>, probes: Option<SocketAddr>) -> Result<()> {
    // One recorder for the process: the API's /metrics renders what the sources count.
    gatewatch_api::metrics::install();
    for (on, kind) in [
        (!cfg.kinesis.is_empty(), "kinesis"),
        (!cfg.cloudwatch_logs.is_empty(), "cloudwatch_logs"),
        (!cfg.firehose.listen.is_empty(), "firehose"),
    ] {
        if on {
            gatewatch_ingest::metrics::init(kind);
        }
    }
    let store = open_store(&cfg.db).await?;
    let geo = crate::open_geo(&cfg)?;
    let settings = Arc::new(
        cfg.settings()?.with_country_lookup(geo.as_ref().map(gatewatch_detect::geo::Geo::country_lookup)),
    );
    let progress = Arc::new(Progress::default());
    let detector = crate::build_detector(&cfg, &store, geo).await?;
    let detecting = detector.is_some();
    let (committer, pipeline) = live::start(store.clone(), detector);
    let shared = live::Shared {
        store: store.clone(),
        settings: settings.clone(),
        progress: progress.clone(),
        committer: committer.clone(),
        detecting,
    };
    let cancel = CancellationToken::new();
    let mut tasks: Vec<(String, tokio::task::JoinHandle<Result<(), gatewatch_ingest::IngestError>>)> =
        Vec::new();

    let needs_aws = !cfg.kinesis.is_empty() || !cfg.cloudwatch_logs.is_empty();
    let sdk = if needs_aws { Some(gatewatch_ingest::aws::sdk_config(&cfg.aws).await) } else { None };
    if let Some(sdk) = &sdk
        && sdk.region().is_none()
    {
        bail!("no AWS region: set --region, [aws] region, or AWS_REGION");
    }
    let worker = if cfg.leases.worker_id.is_empty() {
        kinesis::default_worker_id()
    } else {
        cfg.leases.worker_id.clone()
    };
    if !cfg.kinesis.is_empty() {
        let sdk = sdk.as_ref().expect("loaded above");
        let ctx = Arc::new(kinesis::Context {
            client: gatewatch_ingest::aws::kinesis_client(sdk),
            shared: shared.clone(),
            worker: worker.clone(),
            lease_duration: Duration::from_secs(cfg.leases.duration_secs),
        });
        let names: Vec<&str> = cfg.kinesis.iter().map(|k| k.stream.as_str()).collect();
        eprintln!("gatewatch ingest: kinesis {} as worker {worker}", names.join(", "));
        tasks.push(("kinesis".into(), tokio::spawn(kinesis::run(ctx, cfg.kinesis.clone(), cancel.clone()))));
    }
    for src in &cfg.cloudwatch_logs {
        let sdk = sdk.as_ref().expect("loaded above");
        let ctx = Arc::new(cwl::Context {
            client: gatewatch_ingest::aws::logs_client(sdk),
            shared: shared.clone(),
        });
        let mut what = src.log_groups.join(", ");
        if !src.log_group_prefix.is_empty() {
            what = format!("{what} {}*", src.log_group_prefix).trim().to_string();
        }
        eprintln!("gatewatch ingest: cloudwatch logs {what}");
        tasks.push(("cloudwatch logs".into(), tokio::spawn(cwl::run(ctx, src.clone(), cancel.clone()))));
    }
    if !cfg.firehose.listen.is_empty() {
        let addr: SocketAddr = cfg.firehose.listen.parse().context("firehose.listen")?;
        let receiver = Arc::new(firehose::Receiver::new(
            shared.clone(),
            cfg.firehose.access_key.clone(),
            cfg.firehose.max_body_bytes,
        ));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("firehose receiver on {addr}"))?;
        let bound = listener.local_addr()?;
        eprintln!("gatewatch ingest: firehose receiver on http://{bound}/");
        tasks.push(("firehose".into(), tokio::spawn(firehose::serve(listener, receiver, cancel.clone()))));
        let (s, c, h) = (store.clone(), cancel.clone(), cfg.firehose.dedup_hours);
        tokio::spawn(firehose::prune_loop(s, h, c));
    }
    let stats = committer.stats.clone();
    drop(committer);
    drop(shared);
    // The pipeline ends early only if its detector stage died: then nothing can commit.
    let pipeline_watch = tokio::spawn(async move {
        pipeline.await.map_err(|e| gatewatch_ingest::IngestError::Io {
            what: "pipeline".into(),
            source: std::io::Error::other(e.to_string()),
        })
    });
    let forwarders = if api.is_some() { crate::start_forwarders(&cfg, &store, &cancel) } else { Vec::new() };
    let retention = crate::start_retention(&cfg, &store, &cancel);
    if api.is_none() && !cfg.forward.is_empty() {
        eprintln!(
            "gatewatch ingest: [[forward]] destinations are delivered by `gatewatch serve` or `gatewatch run`, not by ingest"
        );
    }
    if let Some(addr) = api {
        let (s, c, api_cfg) = (store.clone(), cancel.clone(), cfg.api.clone());
        tasks.push((
            "api".into(),
            tokio::spawn(async move {
                gatewatch_api::serve(
                    s,
                    &api_cfg,
                    addr,
                    |a| eprintln!("gatewatch API listening on http://{a}"),
                    async move { c.cancelled().await },
                )
                .await
                .map_err(|e| gatewatch_ingest::IngestError::Io { what: "API".into(), source: e })
            }),
        ));
    }

    if let Some(addr) = probes {
        let (s, c) = (store.clone(), cancel.clone());
        tasks.push((
            "the metrics listener".into(),
            tokio::spawn(async move {
                gatewatch_api::serve_probes(
                    s,
                    addr,
                    |a| eprintln!("gatewatch ingest: /metrics, /healthz and /readyz on http://{a}"),
                    async move { c.cancelled().await },
                )
                .await
                .map_err(|e| gatewatch_ingest::IngestError::Io { what: "metrics listener".into(), source: e })
            }),
        ));
    }

    tasks.push(("the commit pipeline".into(), pipeline_watch));
    // A progress line every 10 s: throughput, dead letters, the furthest lag.
    let ticker = {
        let (progress, stats) = (progress.clone(), stats.clone());
        tokio::spawn(async move {
            let mut last = 0u64;
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let now = progress.events.load(std::sync::atomic::Ordering::Relaxed);
                let lag = stats.snapshot().values().filter_map(|s| s.lag_ms).max();
                let lag = lag.map(|l| format!(", max lag {:.1} s", l as f64 / 1000.0)).unwrap_or_default();
                eprintln!(
                    "gatewatch ingest: {} ({:.0} events/s){lag}",
                    summary(&progress, &stats),
                    (now - last) as f64 / 10.0
                );
                last = now;
            }
        })
    };
    // Run until a signal, or until a source gives up (its error ends the process).
    let mut failure = None;
    {
        let watch = async {
            loop {
                if let Some(i) = tasks.iter().position(|(_, t)| t.is_finished()) {
                    let (name, t) = tasks.remove(i);
                    return (name, t.await);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        };
        tokio::select! {
            _ = crate::shutdown_signal() => {}
            (name, r) = watch => {
                failure = Some(match r {
                    Ok(Ok(())) => anyhow::anyhow!("{name} stopped"),
                    Ok(Err(e)) => anyhow::Error::new(e).context(name),
                    Err(e) => anyhow::anyhow!("{name} panicked: {e}"),
                });
            }
        }
    }
    cancel.cancel();
    ticker.abort();
    for (name, t) in tasks {
        match t.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(source = %name, error = %e, "stopped with an error"),
            Err(e) => tracing::warn!(source = %name, error = %e, "panicked"),
        }
    }
    for f in forwarders {
        let _ = f.await;
    }
    let _ = retention.await;
    eprintln!("gatewatch ingest: stopped; {}", summary(&progress, &stats));
    store.close().await;
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn summary(p: &Progress, stats: &live::SourceStats) -> String {
    use std::sync::atomic::Ordering::Relaxed;
    let snap = stats.snapshot();
    let sources = snap.values().filter(|s| s.batches > 0).count();
    format!(
        "{} events read, {} committed from {sources} source{}, dead letters: {}",
        p.events.load(Relaxed),
        snap.values().map(|s| s.events).sum::<u64>(),
        if sources == 1 { "" } else { "s" },
        p.dead_letters.load(Relaxed),
    )
}
