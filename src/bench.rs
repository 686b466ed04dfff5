//! `gatewatch bench`: events/s of the per-event path on generated traffic, measured in one run
//! so the figures can be compared as ratios: (1) read + parse + aggregate with batches dropped,
//! (2) a full `replay` into a fresh SQLite store. Prints peak RSS too.

use crate::generate;
use anyhow::Result;
use gatewatch_core::Store;
use gatewatch_ingest::pipeline::{Reader, detect};
use gatewatch_ingest::replay::{Input, replay};
use gatewatch_ingest::scrub::Scrubber;
use gatewatch_ingest::{InputFormat, Progress, Settings};
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

/// Peak resident set size in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(events: u64, clients: usize) -> Result<()> {
    let dir = tempfile::Builder::new().prefix("gatewatch-bench-").tempdir()?;
    let path = dir.path().join("bench.ndjson");
    // A whole day, so the diurnal curve averages out to the requested mean.
    let minutes = 1440u32;
    let opts = generate::GenOptions {
        seed: 42,
        clients,
        minutes,
        mean_rate_per_min: events as f64 / minutes as f64,
        ..Default::default()
    };
    let t = Instant::now();
    let n = {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let n = generate::write(&opts, generate::OutFormat::Ndjson, &mut w)?;
        w.flush()?;
        n
    };
    let size = std::fs::metadata(&path)?.len();
    println!(
        "dataset: {n} events, {:.0} MiB, {:.0} bytes/event (generated in {:.1}s)",
        size as f64 / 1048576.0,
        size as f64 / n as f64,
        t.elapsed().as_secs_f64()
    );

    // GeoIP, if installed, also names the country of every request (per-country hours).
    let cfg = gatewatch_core::Config::default();
    let geo = gatewatch_detect::geo::Geo::open(&cfg.geoip).ok().map(Arc::new);
    let with_geo = if geo.is_some() { "with GeoIP" } else { "no GeoIP installed" };
    let settings =
        Settings::default().with_country_lookup(geo.as_ref().map(gatewatch_detect::geo::Geo::country_lookup));
    let progress = Progress::default();
    let t = Instant::now();
    let mut file = std::fs::File::open(&path)?;
    let mut head = vec![0u8; 65536];
    let k = file.read(&mut head)?;
    head.truncate(k);
    let layout = detect(&head, InputFormat::Auto);
    let input = BufReader::with_capacity(1 << 16, std::io::Cursor::new(head).chain(file));
    let s = tokio::task::block_in_place(|| {
        Reader::new(&settings, "bench", &progress).run(input, layout, None, &mut |_batch| Ok(()))
    })?;
    let parse_secs = t.elapsed().as_secs_f64();
    let parse_rate = s.events as f64 / parse_secs;
    println!(
        "parse+aggregate  {:>10.0} events/s  ({} events, {:.2}s, 1 thread, {with_geo})",
        parse_rate, s.events, parse_secs
    );

    // The same pass with the detector: what detection adds per event.
    let mut detector = gatewatch_detect::Detector::new(&cfg.detect, geo.clone(), Vec::new(), Vec::new())?;
    let progress = Progress::default();
    let t = Instant::now();
    let mut file = std::fs::File::open(&path)?;
    let mut head = vec![0u8; 65536];
    let k = file.read(&mut head)?;
    head.truncate(k);
    let input = BufReader::with_capacity(1 << 16, std::io::Cursor::new(head).chain(file));
    let mut alerts = 0usize;
    let s2 = tokio::task::block_in_place(|| {
        Reader::new(&settings, "bench", &progress).with_observations(true).run(
            input,
            layout,
            None,
            &mut |mut batch| {
                batch.detect(&mut detector);
                alerts += batch.alerts.len();
                Ok(())
            },
        )
    })?;
    let detect_secs = t.elapsed().as_secs_f64();
    let detect_rate = s2.events as f64 / detect_secs;
    println!(
        "  + detect       {:>10.0} events/s  ({:.2}s, {with_geo}; one thread; detection adds {:.0}% to parse+aggregate, {:.2} µs/event; {} open alerts)",
        detect_rate,
        detect_secs,
        (detect_secs / parse_secs - 1.0) * 100.0,
        (detect_secs - parse_secs) / s2.events.max(1) as f64 * 1e6,
        detector.open_alerts()
    );
    let _ = alerts;
    drop(detector);

    // Full replays into SQLite, without and with the detector (its own pipeline stage).
    let mut replay_secs = [0.0f64; 2];
    for (i, with_detector) in [false, true].into_iter().enumerate() {
        let db = format!("sqlite://{}", dir.path().join(format!("bench-{i}.db")).display());
        let store = Store::open(&db).await?;
        let t = Instant::now();
        let detector: Option<Box<dyn gatewatch_core::Observer>> = if with_detector {
            Some(Box::new(gatewatch_detect::Detector::new(&cfg.detect, geo.clone(), Vec::new(), Vec::new())?))
        } else {
            None
        };
        let r = replay(
            &store,
            Arc::new(settings.clone()),
            Input::File(path.clone()),
            InputFormat::Auto,
            None,
            Arc::new(Progress::default()),
            detector,
        )
        .await?;
        replay_secs[i] = t.elapsed().as_secs_f64();
        let rate = r.read.events as f64 / replay_secs[i];
        let rows = store.time_range().await?;
        store.close().await;
        anyhow::ensure!(rows.is_some(), "the replay stored nothing");
        let label = if with_detector { "replay + detect " } else { "replay → sqlite " };
        let extra = if with_detector {
            format!("; detection adds {:.0}% to the replay", (replay_secs[1] / replay_secs[0] - 1.0) * 100.0)
        } else {
            String::new()
        };
        println!(
            "{label} {:>10.0} events/s  ({} events, {} batches, {:.2}s; {:.2}x of parse+aggregate{extra})",
            rate,
            r.read.events,
            r.read.batches,
            replay_secs[i],
            rate / parse_rate
        );
    }
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS         {rss:>10.0} MiB  (generate + parse + replay; before the scrub figures)");
    }
    // Last: these hold their inputs in memory, which would inflate the RSS figure above.
    scrub_figures(&path)?;
    Ok(())
}
