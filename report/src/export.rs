//! Parquet export, partitioned by day of event time (Hive style, `day=YYYY-MM-DD`):
//!
//! ```text
//! DIR/series/day=2026-11-24/part-0.parquet     client-minutes (counters, latency, distinct counts)
//! DIR/alerts/day=2026-11-24/part-0.parquet     alerts by the day of their first evidence
//! DIR/routes/day=2026-11-24/part-0.parquet     hourly traffic per API and route
//! DIR/countries/day=2026-11-24/part-0.parquet  hourly traffic per country
//! ```
//!
//! Times are Parquet timestamps in milliseconds, UTC. Exporting a day again replaces its file
//! (and removes it when the day has no rows any more), so repeated exports converge.

use crate::{ReportError, Result, check_range};
use gatewatch_core::Counts;
use gatewatch_core::alert::Alert;
use gatewatch_core::traffic::{CountryHour, RouteHour};
use gatewatch_store::SeriesRow;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use polars::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

const DAY_MS: i64 = 24 * 3_600_000;

/// One written file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionFile {
    /// `series`, `alerts`, `routes` or `countries`.
    pub table: &'static str,
    pub day: String,
    pub path: PathBuf,
    pub rows: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    pub files: Vec<PartitionFile>,
}

impl ExportSummary {
    /// Rows written for `table` over every day.
    pub fn rows(&self, table: &str) -> u64 {
        self.files.iter().filter(|f| f.table == table).map(|f| f.rows).sum()
    }
}

fn day_name(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| ms.to_string())
}

fn ms_column(name: &str, values: Vec<i64>) -> Result<Column> {
    Ok(Column::new(name.into(), values).cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?)
}

fn counter_columns<'a>(rows: impl Iterator<Item = &'a Counts> + Clone) -> Vec<Column> {
    type Pick = fn(&Counts) -> u64;
    let fields: [(&str, Pick); 10] = [
        ("total", |c| c.total),
        ("s2xx", |c| c.s2xx),
        ("s3xx", |c| c.s3xx),
        ("s4xx", |c| c.s4xx),
        ("s401", |c| c.s401),
        ("s403", |c| c.s403),
        ("s404", |c| c.s404),
        ("s429", |c| c.s429),
        ("s5xx", |c| c.s5xx),
        ("bytes", |c| c.bytes),
    ];
    fields.iter().map(|(n, f)| Column::new((*n).into(), rows.clone().map(f).collect::<Vec<u64>>())).collect()
}

fn series_frame(rows: &[SeriesRow]) -> Result<DataFrame> {
    let mut cols = vec![
        Column::new("client_type".into(), rows.iter().map(|r| r.client.kind.as_str()).collect::<Vec<_>>()),
        Column::new("client_value".into(), rows.iter().map(|r| r.client.value.as_str()).collect::<Vec<_>>()),
        ms_column("minute", rows.iter().map(|r| r.minute).collect())?,
    ];
    cols.extend(counter_columns(rows.iter().map(|r| &r.counts)));
    cols.extend([
        Column::new("latency_p50_ms".into(), rows.iter().map(|r| r.latency_p50_ms).collect::<Vec<_>>()),
        Column::new("latency_p95_ms".into(), rows.iter().map(|r| r.latency_p95_ms).collect::<Vec<_>>()),
        Column::new("latency_max_ms".into(), rows.iter().map(|r| r.latency_max_ms).collect::<Vec<_>>()),
        Column::new("distinct_paths".into(), rows.iter().map(|r| r.distinct_paths).collect::<Vec<_>>()),
        Column::new("distinct_ips".into(), rows.iter().map(|r| r.distinct_ips).collect::<Vec<_>>()),
    ]);
    Ok(DataFrame::new(rows.len(), cols)?)
}

fn alerts_frame(rows: &[Alert]) -> Result<DataFrame> {
    let s = |f: fn(&Alert) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let cols = vec![
        Column::new("id".into(), s(|a| a.id.clone())),
        Column::new("kind".into(), s(|a| a.kind.as_str().into())),
        Column::new("rule".into(), s(|a| a.rule.as_str().into())),
        Column::new("severity".into(), s(|a| a.severity.as_str().into())),
        Column::new("status".into(), s(|a| a.status.as_str().into())),
        Column::new("subject_type".into(), s(|a| a.subject.kind.as_str().into())),
        Column::new("subject_value".into(), s(|a| a.subject.value.clone())),
        ms_column("first_seen", rows.iter().map(|a| a.first_seen).collect())?,
        ms_column("last_seen", rows.iter().map(|a| a.last_seen).collect())?,
        ms_column("detected_at", rows.iter().map(|a| a.detected_at).collect())?,
        Column::new("count".into(), rows.iter().map(|a| a.count).collect::<Vec<u64>>()),
        // The evidence as JSON text: its shape differs per rule.
        Column::new("evidence".into(), s(|a| a.evidence.to_string())),
    ];
    Ok(DataFrame::new(rows.len(), cols)?)
}

fn routes_frame(rows: &[RouteHour]) -> Result<DataFrame> {
    let mut cols = vec![
        ms_column("hour", rows.iter().map(|r| r.hour).collect())?,
        Column::new("api".into(), rows.iter().map(|r| r.api.as_str()).collect::<Vec<_>>()),
        Column::new("route".into(), rows.iter().map(|r| r.route.as_str()).collect::<Vec<_>>()),
    ];
    cols.extend(counter_columns(rows.iter().map(|r| &r.counts)));
    Ok(DataFrame::new(rows.len(), cols)?)
}

fn countries_frame(rows: &[CountryHour]) -> Result<DataFrame> {
    let mut cols = vec![
        ms_column("hour", rows.iter().map(|r| r.hour).collect())?,
        Column::new("country".into(), rows.iter().map(|r| r.country.as_str()).collect::<Vec<_>>()),
    ];
    cols.extend(counter_columns(rows.iter().map(|r| &r.counts)));
    Ok(DataFrame::new(rows.len(), cols)?)
}

/// Writes `df` as `dir/table/day=DAY/part-0.parquet` (or removes that file if `df` is empty).
fn write_partition(
    dir: &Path,
    table: &'static str,
    day: &str,
    mut df: DataFrame,
) -> Result<Option<PartitionFile>> {
    let part_dir = dir.join(table).join(format!("day={day}"));
    let path = part_dir.join("part-0.parquet");
    let io = |p: &Path, source: std::io::Error| ReportError::Io { path: p.display().to_string(), source };
    if df.height() == 0 {
        match std::fs::remove_file(&path) {
            Ok(()) => {
                let _ = std::fs::remove_dir(&part_dir);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&path, e)),
        }
        return Ok(None);
    }
    std::fs::create_dir_all(&part_dir).map_err(|e| io(&part_dir, e))?;
    // Written next to the target and renamed: a reader never sees half a file.
    let tmp = part_dir.join(".part-0.parquet.tmp");
    let file = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
    ParquetWriter::new(file).finish(&mut df)?;
    std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))?;
    Ok(Some(PartitionFile { table, day: day.to_string(), path, rows: df.height() as u64 }))
}

/// The range to export when none is given: every stored minute and alert.
pub async fn stored_range(store: &Store) -> Result<Option<(i64, i64)>> {
    Ok(store.time_range().await?.map(|(lo, hi)| (lo, hi + 60_000)))
}

/// Writes the series, alerts, route and country hours of `[from, to)` under `dir`, one file
/// per table and day (see the module docs). Reads and writes one day at a time, so memory
/// follows the busiest day, not the range.
pub async fn export_parquet(store: &Store, dir: &Path, from: i64, to: i64) -> Result<ExportSummary> {
    check_range(from, to)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| ReportError::Io { path: dir.display().to_string(), source: e })?;
    let mut summary = ExportSummary::default();
    let mut day = from.div_euclid(DAY_MS) * DAY_MS;
    while day < to {
        let (lo, hi) = (from.max(day), to.min(day + DAY_MS));
        let name = day_name(day);
        let series = store.series_rows(lo, hi).await?;
        let alerts = store.alerts_first_seen(lo, hi).await?;
        let routes = store.route_hours(lo, hi).await?;
        let countries = store.country_hours(lo, hi).await?;
        let written = [
            write_partition(dir, "series", &name, series_frame(&series)?)?,
            write_partition(dir, "alerts", &name, alerts_frame(&alerts)?)?,
            write_partition(dir, "routes", &name, routes_frame(&routes)?)?,
            write_partition(dir, "countries", &name, countries_frame(&countries)?)?,
        ];
        summary.files.extend(written.into_iter().flatten());
        day += DAY_MS;
    }
    Ok(summary)
}
