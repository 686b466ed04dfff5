//! `gatewatch store stats` and `gatewatch store compact`: what the store holds, and retention
//! applied now.

use crate::*;
use gatewatch_core::time::rfc3339;

pub(crate) async fn store_cmd(config: Option<&std::path::Path>, cmd: StoreCmd) -> Result<()> {
    match cmd {
        StoreCmd::Stats { db } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = open_store(&cfg.db).await?;
            let sizes = store.table_sizes().await?;
            println!("{:<16} {:>12} {:>12}  {:<20}  {:<20}", "TABLE", "ROWS", "BYTES", "OLDEST", "NEWEST");
            for t in &sizes {
                let bytes = t.bytes.map_or_else(|| "-".to_string(), human_bytes);
                let (lo, hi) = t.span.map_or(("-".into(), "-".into()), |(lo, hi)| (rfc3339(lo), rfc3339(hi)));
                println!("{:<16} {:>12} {:>12}  {lo:<20}  {hi:<20}", t.table, t.rows, bytes);
            }
            if let Some(path) = sqlite_path(&cfg.db) {
                let file: u64 = ["", "-wal"]
                    .iter()
                    .filter_map(|s| std::fs::metadata(format!("{path}{s}")).ok())
                    .map(|m| m.len())
                    .sum();
                println!("file {path}: {} (with its write-ahead log)", human_bytes(file));
            }
            store.close().await;
            Ok(())
        }
        StoreCmd::Compact { db } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = open_store(&cfg.db).await?;
            let started = Instant::now();
            let removed =
                store.apply_retention(&cfg.retention, chrono::Utc::now().timestamp_millis()).await?;
            let r = &cfg.retention;
            println!(
                "retention: minute rows {} days, hour rows {} days, day rows {} days, dead letters {} days, \
                 delivered SIEM messages {} days, resolved alerts {} days (0: forever)",
                r.minute_rows_days,
                r.hour_rows_days,
                r.day_rows_days,
                r.dead_letters_days,
                r.delivered_outbox_days,
                r.resolved_alerts_days
            );
            println!("removed {} in {:.1} s", removed.summary(), started.elapsed().as_secs_f64());
            store.close().await;
            Ok(())
        }
    }
}

/// The file of a `sqlite://` URL (not an in-memory one).
fn sqlite_path(url: &str) -> Option<String> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.to_string())
}

fn human_bytes(b: u64) -> String {
    match b {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
