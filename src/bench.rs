//! `gatewatch bench`: events/s of the per-event path on generated traffic, measured in one run
//! so the figures can be compared as ratios: (1) read + parse + aggregate with batches dropped,
//! (2) a full `replay` into a fresh SQLite store. Prints peak RSS too.

use crate::generate;
use anyhow::Result;
use gatewatch_core::{Config, Store};
use gatewatch_ingest::pipeline::{Reader, detect};
use gatewatch_ingest::replay::{Input, replay};
use gatewatch_ingest::{InputFormat, Progress, Settings};
use std::io::{BufReader, Read, Write};
use std::sync::Arc;
use std::time::Instant;

/// Peak resident set size in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(events: u64) -> Result<()> {
    let dir = tempfile::Builder::new().prefix("gatewatch-bench-").tempdir()?;
    let path = dir.path().join("bench.ndjson");
    // A whole day, so the diurnal curve averages out to the requested mean.
    let minutes = 1440u32;
    let opts = generate::GenOptions {
        seed: 42,
        clients: 5000,
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

    let settings = Settings::default();
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
        "parse+aggregate  {:>10.0} events/s  ({} events, {:.2}s, 1 thread)",
        parse_rate, s.events, parse_secs
    );

    let db = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::open(&db).await?;
    let cfg = Config { db, ..Config::default() };
    let t = Instant::now();
    let r = replay(
        &store,
        Arc::new(Settings::from_config(&cfg)?),
        Input::File(path.clone()),
        InputFormat::Auto,
        None,
        Arc::new(Progress::default()),
    )
    .await?;
    let replay_secs = t.elapsed().as_secs_f64();
    let replay_rate = r.read.events as f64 / replay_secs;
    let rows = store.time_range().await?;
    store.close().await;
    println!(
        "replay → sqlite   {:>10.0} events/s  ({} events, {} batches, {:.2}s; {:.2}x of parse+aggregate)",
        replay_rate,
        r.read.events,
        r.read.batches,
        replay_secs,
        replay_rate / parse_rate
    );
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS         {rss:>10.0} MiB");
    }
    anyhow::ensure!(rows.is_some(), "the replay stored nothing");
    Ok(())
}
