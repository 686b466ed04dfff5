//! `gatewatch bench`: events/s of the per-event path on generated traffic, measured in one run
//! so the figures can be compared as ratios: DuckDB's one-thread `GROUP BY` over the same file
//! (the yardstick), then cumulative one-thread passes (decode, then parse, aggregate, scrub and
//! detect added one at a time), then full replays into fresh SQLite stores (without and with
//! the detector) and, with `--pg`, into PostgreSQL. Prints peak RSS too. `bench --soak`
//! measures replay's peak RSS at several sizes instead.

use anyhow::Result;
use gatewatch_ingest::pipeline::{Reader, detect};
use gatewatch_ingest::replay::{Input, replay};
use gatewatch_ingest::scrub::Scrubber;
use gatewatch_ingest::{InputFormat, Progress, Settings};
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use gatewatch_synth as generate;
use std::io::{BufReader, Read, Write};
use std::sync::Arc;
use std::time::Instant;

/// Scrubber throughput, one core: access-log lines (mostly clean) and execution-log lines
/// (header maps and bodies, many carrying secrets).
fn scrub_figures(access_log: &std::path::Path) -> Result<()> {
    use std::io::BufRead;
    let scrubber = Scrubber::with_key(&Default::default(), vec![9u8; 32]).map_err(anyhow::Error::msg)?;
    let access: Vec<String> = std::io::BufReader::new(std::fs::File::open(access_log)?)
        .lines()
        .take(300_000)
        .collect::<Result<_, _>>()?;
    let exec = exec_log_lines(100_000);
    for (name, lines) in [("access-log lines", &access), ("execution-log lines", &exec)] {
        let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
        let t = Instant::now();
        let mut changed = 0usize;
        for l in lines.iter() {
            if matches!(scrubber.scrub_line(l), std::borrow::Cow::Owned(_)) {
                changed += 1;
            }
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "scrub {name:<20} {:>7.1} MB/s  {:>9.0} lines/s  ({} lines, {:.0}% changed, 1 thread)",
            bytes as f64 / secs / 1e6,
            lines.len() as f64 / secs,
            lines.len(),
            100.0 * changed as f64 / lines.len() as f64
        );
    }
    Ok(())
}

/// Synthetic REST API execution-log lines in AWS's shapes, about a third carrying a secret.
fn exec_log_lines(n: usize) -> Vec<String> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let alnum = |rng: &mut rand_chacha::ChaCha8Rng, len: usize| -> String {
        (0..len)
            .map(|_| {
                (b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rng.random_range(0..62)])
                    as char
            })
            .collect()
    };
    (0..n)
        .map(|i| {
            let id = format!("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", rng.random::<u32>(), i % 65536, i % 4096, i % 4096, rng.random::<u64>() >> 16);
            match i % 4 {
                0 => format!(
                    "({id}) Method request headers: {{Authorization=Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ{}\"}}.{}, Host=api.example.com, User-Agent=okhttp/4.12.0, X-Amzn-Trace-Id=Root=1-6743a1b2-{}, X-Forwarded-For=203.0.113.{}}}",
                    alnum(&mut rng, 24),
                    alnum(&mut rng, 43),
                    alnum(&mut rng, 24),
                    i % 250
                ),
                1 => format!("({id}) Method request body before transformations: {{\"username\":\"user{i}\",\"password\":\"{}\",\"remember\":true}}", alnum(&mut rng, 12)),
                2 => format!("({id}) Method request query string: {{page={}, size=50, sort=created_at}}", i % 40),
                _ => format!("({id}) Endpoint response body before transformations: {{\"items\":[{{\"id\":{},\"status\":\"shipped\",\"total\":{}.99}}],\"next\":null}}", i * 7, i % 300),
            }
        })
        .collect()
}

/// Peak resident set size of this process in MiB (Linux `VmHWM`), if known.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// What `gatewatch bench` measures besides the default stages.
pub struct BenchOptions {
    pub events: u64,
    pub clients: usize,
    /// Also replay into this PostgreSQL database (it must be empty or a scratch database).
    pub pg: Option<String>,
    /// Skip the DuckDB yardstick.
    pub no_duckdb: bool,
}

/// The input file, re-opened for every pass, with the format detected once.
struct Dataset {
    path: std::path::PathBuf,
    layout: gatewatch_ingest::pipeline::Layout,
    events: u64,
}

impl Dataset {
    fn open(&self) -> Result<BufReader<std::fs::File>> {
        Ok(BufReader::with_capacity(1 << 16, std::fs::File::open(&self.path)?))
    }
}

/// One pass over the dataset: events/s and the seconds it took.
struct Pass {
    name: &'static str,
    what: &'static str,
    secs: f64,
    events: u64,
}

impl Pass {
    fn rate(&self) -> f64 {
        self.events as f64 / self.secs.max(1e-9)
    }
}

/// DuckDB's GROUP BY over the same file (`scripts/bench-duckdb.py`, embedded), in a child
/// process that inherits this one's CPU affinity.
fn duckdb_baseline(path: &std::path::Path) -> Result<(f64, u64, String), String> {
    const SCRIPT: &str = include_str!("../../scripts/bench-duckdb.py");
    let mut child = std::process::Command::new("python3")
        .args(["-", &path.display().to_string(), "--threads", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    child.stdin.take().expect("piped").write_all(SCRIPT.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|_| format!("duckdb baseline failed: {}", String::from_utf8_lossy(&out.stderr).trim()))?;
    if let Some(e) = v["error"].as_str() {
        return Err(e.to_string());
    }
    let rate = v["events_per_sec"].as_f64().ok_or("duckdb baseline printed no events_per_sec")?;
    let events = v["events"].as_u64().unwrap_or(0);
    Ok((rate, events, v["duckdb"].as_str().unwrap_or("?").to_string()))
}

/// Decode only: split the input into lines (the reader's own line splitter).
fn pass_decode(data: &Dataset, max_line: usize) -> Result<Pass> {
    let t = Instant::now();
    let mut lines = gatewatch_ingest::lines::LineReader::new(data.open()?, max_line);
    let mut n = 0u64;
    let mut bytes = 0usize;
    while let Some(l) = lines.next_line()? {
        if let gatewatch_ingest::lines::Line::Ok(b) = l {
            bytes += std::hint::black_box(b).len();
            n += 1;
        }
    }
    std::hint::black_box(bytes);
    Ok(Pass { name: "decode", what: "read and split lines", secs: t.elapsed().as_secs_f64(), events: n })
}

/// Decode + parse (no scrub, no aggregate): the JSON parser's share.
fn pass_parse(data: &Dataset, settings: &Settings) -> Result<Pass> {
    let t = Instant::now();
    let mut lines = gatewatch_ingest::lines::LineReader::new(data.open()?, settings.max_line_bytes);
    let mut n = 0u64;
    while let Some(l) = lines.next_line()? {
        if let gatewatch_ingest::lines::Line::Ok(b) = l
            && let Ok(rec) = settings.parser.parse_line(b, None)
        {
            std::hint::black_box(&rec);
            n += 1;
        }
    }
    Ok(Pass { name: "+ parse", what: "JSON access-log fields", secs: t.elapsed().as_secs_f64(), events: n })
}

/// Decode + parse + aggregate without the scrubber: the work DuckDB's GROUP BY does (and more:
/// gatewatch also keeps bytes, latency percentiles and distinct IPs per client-minute, and
/// hourly route and country counts).
fn pass_aggregate(data: &Dataset, settings: &Settings) -> Result<Pass> {
    use gatewatch_core::time::{HOUR_MS, floor_to, minute_floor};
    let t = Instant::now();
    let mut lines = gatewatch_ingest::lines::LineReader::new(data.open()?, settings.max_line_bytes);
    let mut agg = gatewatch_ingest::aggregate::BatchAggregator::default();
    let mut traffic = gatewatch_ingest::aggregate::TrafficAggregator::new(settings.country.clone());
    let mut n = 0u64;
    let mut rows = 0usize;
    while let Some(l) = lines.next_line()? {
        let gatewatch_ingest::lines::Line::Ok(b) = l else { continue };
        let Ok(rec) = settings.parser.parse_line(b, None) else { continue };
        let Some((kind, value)) = settings.client_of(&rec) else { continue };
        let minute = minute_floor(rec.time_ms);
        agg.observe(
            kind,
            value,
            minute,
            rec.status,
            rec.bytes,
            rec.latency_ms,
            rec.path_for_metrics(),
            rec.ip.as_deref(),
        );
        traffic.observe(
            floor_to(rec.time_ms, HOUR_MS),
            rec.api.as_deref(),
            rec.method.as_deref(),
            rec.route.as_deref(),
            rec.ip.as_deref(),
            rec.status,
            rec.bytes,
        );
        n += 1;
        if agg.events() as usize >= settings.batch_events {
            rows += agg.take().len();
            std::hint::black_box(traffic.take());
        }
    }
    rows += agg.take().len();
    std::hint::black_box((rows, traffic.take()));
    Ok(Pass {
        name: "+ aggregate",
        what: "per client-minute rows, route/country hours",
        secs: t.elapsed().as_secs_f64(),
        events: n,
    })
}

/// The reader as every source runs it: decode, scrub, parse, aggregate; with the detector
/// folded in on the same thread when `detector` is given.
fn pass_reader(
    data: &Dataset,
    settings: &Settings,
    detector: Option<&mut gatewatch_detect::Detector>,
) -> Result<Pass> {
    let progress = Progress::default();
    let t = Instant::now();
    let with = detector.is_some();
    let s = match detector {
        None => {
            Reader::new(settings, "bench", &progress).run(data.open()?, data.layout, None, &mut |_| Ok(()))?
        }
        Some(d) => Reader::new(settings, "bench", &progress).with_observations(true).run(
            data.open()?,
            data.layout,
            None,
            &mut |mut batch| {
                batch.detect(d);
                Ok(())
            },
        )?,
    };
    let secs = t.elapsed().as_secs_f64();
    Ok(if with {
        Pass { name: "+ detect", what: "all rules, same thread", secs, events: s.events }
    } else {
        Pass { name: "+ scrub", what: "every line before parsing", secs, events: s.events }
    })
}

/// A full `replay` (its own threads: reader, detector stage, store writer) into `db`.
async fn pass_replay(
    data: &Dataset,
    settings: &Settings,
    db: &str,
    detector: Option<Box<dyn gatewatch_core::Observer>>,
    name: &'static str,
    what: &'static str,
) -> Result<Pass> {
    let store = Store::open(db).await?;
    anyhow::ensure!(
        store.time_range().await?.is_none(),
        "{} already holds client-minutes (an earlier bench?): give the bench an empty database",
        gatewatch_store::redact_url(db)
    );
    let t = Instant::now();
    let r = replay(
        &store,
        Arc::new(settings.clone()),
        Input::File(data.path.clone()),
        InputFormat::Auto,
        None,
        Arc::new(Progress::default()),
        detector,
    )
    .await?;
    let secs = t.elapsed().as_secs_f64();
    let stored = store.time_range().await?;
    store.close().await;
    anyhow::ensure!(stored.is_some(), "the replay into {db} stored nothing");
    anyhow::ensure!(
        r.read.events == data.events,
        "replay counted {} of {} events",
        r.read.events,
        data.events
    );
    Ok(Pass { name, what, secs, events: r.read.events })
}

pub async fn run(opts: BenchOptions) -> Result<()> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "cores: {cores}{}",
        if cores == 1 {
            " (pinned: every figure below is one core)"
        } else {
            " (not pinned; `taskset -c 0 gatewatch bench` compares one core with DuckDB's one thread)"
        }
    );
    let dir = tempfile::Builder::new().prefix("gatewatch-bench-").tempdir()?;
    let path = dir.path().join("bench.ndjson");
    // A whole day, so the diurnal curve averages out to the requested mean.
    let minutes = 1440u32;
    let gen_opts = generate::GenOptions {
        seed: 42,
        clients: opts.clients,
        minutes,
        mean_rate_per_min: opts.events as f64 / minutes as f64,
        ..Default::default()
    };
    let t = Instant::now();
    let n = {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let n = generate::write(&gen_opts, generate::OutFormat::Ndjson, &mut w)?;
        w.flush()?;
        n
    };
    let size = std::fs::metadata(&path)?.len();
    println!(
        "dataset: {n} events, {:.0} MiB, {:.0} bytes/event, {} normal clients (generated in {:.1}s)",
        size as f64 / 1048576.0,
        size as f64 / n as f64,
        opts.clients,
        t.elapsed().as_secs_f64()
    );

    let duck = if opts.no_duckdb {
        None
    } else {
        match tokio::task::block_in_place(|| duckdb_baseline(&path)) {
            Ok((rate, events, version)) => {
                println!(
                    "duckdb {version} GROUP BY  {rate:>10.0} events/s  (1 thread; {events} events; per client-minute total, 4XX, 403, 429, approx distinct paths)"
                );
                Some(rate)
            }
            Err(e) => {
                println!("duckdb: skipped ({e})");
                None
            }
        }
    };

    // GeoIP, if installed, also names the country of every request (per-country hours).
    let cfg = gatewatch_config::Config::default();
    let geo = gatewatch_detect::geo::Geo::open(&cfg.geoip).ok().map(Arc::new);
    println!("geoip: {}", if geo.is_some() { "installed (per-country hours)" } else { "not installed" });
    let settings =
        Settings::default().with_country_lookup(geo.as_ref().map(gatewatch_detect::geo::Geo::country_lookup));
    let mut file = std::fs::File::open(&path)?;
    let mut head = vec![0u8; 65536];
    let k = file.read(&mut head)?;
    head.truncate(k);
    let data = Dataset { path: path.clone(), layout: detect(&head, InputFormat::Auto), events: n };

    // Cumulative single-thread passes: each adds one stage, so a stage's cost is the difference.
    let mut passes = Vec::new();
    tokio::task::block_in_place(|| -> Result<()> {
        passes.push(pass_decode(&data, settings.max_line_bytes)?);
        passes.push(pass_parse(&data, &settings)?);
        passes.push(pass_aggregate(&data, &settings)?);
        passes.push(pass_reader(&data, &settings, None)?);
        let mut detector = gatewatch_detect::Detector::new(&cfg.detect, geo.clone(), Vec::new(), Vec::new())?;
        passes.push(pass_reader(&data, &settings, Some(&mut detector))?);
        Ok(())
    })?;
    let detector = || -> Result<Option<Box<dyn gatewatch_core::Observer>>> {
        Ok(Some(Box::new(gatewatch_detect::Detector::new(&cfg.detect, geo.clone(), Vec::new(), Vec::new())?)))
    };
    let sqlite = |i: usize| format!("sqlite://{}", dir.path().join(format!("bench-{i}.db")).display());
    passes.push(
        pass_replay(&data, &settings, &sqlite(0), None, "+ store (sqlite)", "replay, no detector").await?,
    );
    passes.push(
        pass_replay(&data, &settings, &sqlite(1), detector()?, "replay → sqlite", "the whole pipeline")
            .await?,
    );
    if let Some(pg) = &opts.pg {
        passes.push(
            pass_replay(&data, &settings, pg, detector()?, "replay → postgres", "the whole pipeline").await?,
        );
    }

    println!();
    println!(
        "{:<18} {:>12} {:>13} {:>10}  what the pass does",
        "stage",
        "events/s",
        "µs/event",
        if duck.is_some() { "x duckdb" } else { "" },
    );
    let mut prev_secs = 0.0;
    for (i, p) in passes.iter().enumerate() {
        // Stage cost: the difference with the pass before it (the first five are cumulative,
        // each replay is compared with the single-thread read it extends).
        let base = match p.name {
            "+ store (sqlite)" => passes[3].secs,
            "replay → sqlite" | "replay → postgres" => passes[4].secs,
            _ if i == 0 => 0.0,
            _ => prev_secs,
        };
        let stage_us = (p.secs - base) / p.events.max(1) as f64 * 1e6;
        let ratio = duck.map(|d| format!("{:.2}x", p.rate() / d)).unwrap_or_default();
        println!("{:<18} {:>12.0} {:>+13.3} {:>10}  {}", p.name, p.rate(), stage_us, ratio, p.what);
        prev_secs = p.secs;
    }
    println!(
        "(µs/event: what the stage adds to the pass before it; the replays run reader, detector and store \
         on their own threads, so on {cores} core{} their figure is against the single-thread pass they extend)",
        if cores == 1 { "" } else { "s" }
    );
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS {rss:.0} MiB (generate + every pass above; `bench --soak` measures replay alone)");
    }
    // Last: these hold their inputs in memory, which would inflate the RSS figure above.
    scrub_figures(&path)?;
    Ok(())
}

/// `bench --soak`: for each size, `gatewatch generate | gatewatch replay --input -` in child
/// processes (the generator on its own process, so its memory is not counted), with the replay's
/// events/s, clients and peak RSS from its summary. Every size spans the same day of event time
/// with the same clients, at a higher rate: memory must follow the clients, not the events.
pub fn soak(sizes: &[u64], clients: usize) -> Result<()> {
    use std::process::{Command, Stdio};
    // A whole day, so the diurnal curve averages out to the mean rate.
    const MINUTES: u32 = 1440;
    let exe = std::env::current_exe()?;
    let dir = tempfile::Builder::new().prefix("gatewatch-soak-").tempdir()?;
    println!("soak: {clients} normal clients over {MINUTES} minutes of event time; replay reads stdin");
    println!(
        "{:>12} {:>12} {:>10} {:>12} {:>14}",
        "events", "events/min", "clients", "events/s", "peak RSS MiB"
    );
    for &size in sizes {
        let rate_per_min = size as f64 / MINUTES as f64;
        let db = format!("sqlite://{}", dir.path().join(format!("soak-{size}.db")).display());
        let mut generator = Command::new(&exe)
            .args(["generate", "--seed", "42", "--clients", &clients.to_string()])
            .args(["--minutes", &MINUTES.to_string(), "--rate", &format!("{rate_per_min}")])
            .stdout(Stdio::piped())
            // Its own summary would interleave with the table; kept for the error below.
            .stderr(std::fs::File::create(dir.path().join("generate.log"))?)
            .spawn()?;
        let replay = Command::new(&exe)
            .args(["replay", "--input", "-", "--format", "ndjson", "--db", &db])
            // A fixed scrub key: nothing to create under the user's data directory.
            .env("GATEWATCH_SCRUB__KEY", "6761746577617463682d736f616b2d62656e63682d6b65792d30303030303030")
            .stdin(generator.stdout.take().expect("piped"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()?;
        let gen_status = generator.wait()?;
        let stderr = String::from_utf8_lossy(&replay.stderr);
        anyhow::ensure!(
            replay.status.success() && gen_status.success(),
            "soak run of {size} events failed: {} {}",
            stderr.trim(),
            std::fs::read_to_string(dir.path().join("generate.log")).unwrap_or_default().trim()
        );
        let summary = stderr.lines().find(|l| l.starts_with("replayed ")).unwrap_or_default();
        // "replayed - (lines): 1000 events, 40 clients, …, 123 events/s, 45 MiB peak RSS"
        let field = |suffix: &str| -> Option<f64> {
            summary.split(", ").find_map(|part| part.strip_suffix(suffix)?.rsplit(' ').next()?.parse().ok())
        };
        let (Some(events), Some(rate)) = (field(" events"), field(" events/s")) else {
            anyhow::bail!("soak run of {size} events printed no summary: {}", stderr.trim());
        };
        let rss = field(" MiB peak RSS").unwrap_or(f64::NAN);
        let clients = field(" clients").unwrap_or(f64::NAN);
        println!("{:>12.0} {:>12.0} {:>10.0} {:>12.0} {:>14.0}", events, rate_per_min, clients, rate, rss);
        let _ = std::fs::remove_file(dir.path().join(format!("soak-{size}.db")));
    }
    Ok(())
}
