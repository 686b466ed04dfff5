//! `gatewatch replay`: one input, a progress bar on a terminal, a summary at the end.

use crate::*;

/// Replays one input with a progress bar on a terminal and a summary at the end.
pub(crate) async fn replay_with_progress(
    store: &Store,
    cfg: &Config,
    input: Input,
    format: InputFormat,
    source: Option<String>,
) -> Result<gatewatch_ingest::replay::ReplaySummary> {
    let geo = open_geo(cfg)?;
    let settings = Arc::new(
        cfg.settings()?.with_country_lookup(geo.as_ref().map(gatewatch_detect::geo::Geo::country_lookup)),
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
        let filter = gatewatch_store::AlertFilter { limit: 100_000, ..Default::default() };
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
            gatewatch_store::redact_url(&cfg.db)
        );
    }
    Ok(summary)
}
