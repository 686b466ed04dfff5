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
use gatewatch_core::alert::Alert;
use gatewatch_core::traffic::{CountryHour, RouteHour};
use gatewatch_store::SeriesRow;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use serde::Serialize;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const DAY_MS: i64 = 24 * 3_600_000;

/// Rows per Parquet row group: readers skip whole groups by their statistics, and the writer
/// holds one group's columns at a time.
const ROW_GROUP_ROWS: usize = 256 * 1024;

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

/// A column's Parquet type.
#[derive(Clone, Copy)]
enum Kind {
    /// UTF-8 text.
    Text,
    /// Epoch milliseconds, UTC.
    Time,
    /// A counter.
    Count,
    /// A measurement that may be absent.
    Measure,
}

/// One cell, as a column's getter gives it.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Float(Option<f64>),
}

/// A column of a table of `T` rows: its name, type and how to read it from a row.
struct Col<T> {
    name: &'static str,
    kind: Kind,
    get: for<'a> fn(&'a T) -> Cell<'a>,
}

impl<T> Col<T> {
    fn schema(&self) -> String {
        let name = self.name;
        match self.kind {
            Kind::Text => format!("REQUIRED BYTE_ARRAY {name} (STRING);"),
            Kind::Time => format!("REQUIRED INT64 {name} (TIMESTAMP(MILLIS,true));"),
            Kind::Count => format!("REQUIRED INT64 {name} (INTEGER(64,false));"),
            Kind::Measure => format!("OPTIONAL DOUBLE {name};"),
        }
    }
}

macro_rules! counter_cols {
    ($t:ty, $counts:ident) => {{
        let cols: [Col<$t>; 10] = [
            Col { name: "total", kind: Kind::Count, get: |r: &$t| count(r.$counts.total) },
            Col { name: "s2xx", kind: Kind::Count, get: |r: &$t| count(r.$counts.s2xx) },
            Col { name: "s3xx", kind: Kind::Count, get: |r: &$t| count(r.$counts.s3xx) },
            Col { name: "s4xx", kind: Kind::Count, get: |r: &$t| count(r.$counts.s4xx) },
            Col { name: "s401", kind: Kind::Count, get: |r: &$t| count(r.$counts.s401) },
            Col { name: "s403", kind: Kind::Count, get: |r: &$t| count(r.$counts.s403) },
            Col { name: "s404", kind: Kind::Count, get: |r: &$t| count(r.$counts.s404) },
            Col { name: "s429", kind: Kind::Count, get: |r: &$t| count(r.$counts.s429) },
            Col { name: "s5xx", kind: Kind::Count, get: |r: &$t| count(r.$counts.s5xx) },
            Col { name: "bytes", kind: Kind::Count, get: |r: &$t| count(r.$counts.bytes) },
        ];
        cols
    }};
}

/// A counter as Parquet stores an unsigned 64-bit integer (the same bits in an INT64).
fn count(n: u64) -> Cell<'static> {
    Cell::Int(n as i64)
}

fn text(s: &str) -> Cell<'_> {
    Cell::Text(Cow::Borrowed(s))
}

fn series_cols() -> Vec<Col<SeriesRow>> {
    let mut cols: Vec<Col<SeriesRow>> = vec![
        Col { name: "client_type", kind: Kind::Text, get: |r| text(r.client.kind.as_str()) },
        Col { name: "client_value", kind: Kind::Text, get: |r| text(&r.client.value) },
        Col { name: "minute", kind: Kind::Time, get: |r| Cell::Int(r.minute) },
    ];
    cols.extend(counter_cols!(SeriesRow, counts));
    cols.extend::<[Col<SeriesRow>; 5]>([
        Col { name: "latency_p50_ms", kind: Kind::Measure, get: |r| Cell::Float(r.latency_p50_ms) },
        Col { name: "latency_p95_ms", kind: Kind::Measure, get: |r| Cell::Float(r.latency_p95_ms) },
        Col { name: "latency_max_ms", kind: Kind::Measure, get: |r| Cell::Float(r.latency_max_ms) },
        Col { name: "distinct_paths", kind: Kind::Count, get: |r| count(r.distinct_paths) },
        Col { name: "distinct_ips", kind: Kind::Count, get: |r| count(r.distinct_ips) },
    ]);
    cols
}

fn alert_cols() -> Vec<Col<Alert>> {
    vec![
        Col { name: "id", kind: Kind::Text, get: |a| text(&a.id) },
        Col { name: "kind", kind: Kind::Text, get: |a| text(a.kind.as_str()) },
        Col { name: "rule", kind: Kind::Text, get: |a| text(a.rule.as_str()) },
        Col { name: "severity", kind: Kind::Text, get: |a| text(a.severity.as_str()) },
        Col { name: "status", kind: Kind::Text, get: |a| text(a.status.as_str()) },
        Col { name: "subject_type", kind: Kind::Text, get: |a| text(a.subject.kind.as_str()) },
        Col { name: "subject_value", kind: Kind::Text, get: |a| text(&a.subject.value) },
        Col { name: "first_seen", kind: Kind::Time, get: |a| Cell::Int(a.first_seen) },
        Col { name: "last_seen", kind: Kind::Time, get: |a| Cell::Int(a.last_seen) },
        Col { name: "detected_at", kind: Kind::Time, get: |a| Cell::Int(a.detected_at) },
        Col { name: "count", kind: Kind::Count, get: |a| count(a.count) },
        // The evidence as JSON text: its shape differs per rule.
        Col { name: "evidence", kind: Kind::Text, get: |a| Cell::Text(Cow::Owned(a.evidence.to_string())) },
    ]
}

fn route_cols() -> Vec<Col<RouteHour>> {
    let mut cols: Vec<Col<RouteHour>> = vec![
        Col { name: "hour", kind: Kind::Time, get: |r| Cell::Int(r.hour) },
        Col { name: "api", kind: Kind::Text, get: |r| text(&r.api) },
        Col { name: "route", kind: Kind::Text, get: |r| text(&r.route) },
    ];
    cols.extend(counter_cols!(RouteHour, counts));
    cols
}

fn country_cols() -> Vec<Col<CountryHour>> {
    let mut cols: Vec<Col<CountryHour>> = vec![
        Col { name: "hour", kind: Kind::Time, get: |r| Cell::Int(r.hour) },
        Col { name: "country", kind: Kind::Text, get: |r| text(&r.country) },
    ];
    cols.extend(counter_cols!(CountryHour, counts));
    cols
}

/// Writes `rows` as one Parquet file (snappy pages, `ROW_GROUP_ROWS` rows per group).
fn write_parquet<T, W: std::io::Write + Send>(
    out: W,
    table: &str,
    cols: &[Col<T>],
    rows: &[T],
) -> Result<()> {
    let schema: String = cols.iter().map(Col::schema).collect::<Vec<_>>().join(" ");
    let schema = Arc::new(parse_message_type(&format!("message {table} {{ {schema} }}"))?);
    let props = Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).build());
    let mut writer = SerializedFileWriter::new(out, schema, props)?;
    for group in rows.chunks(ROW_GROUP_ROWS) {
        let mut rg = writer.next_row_group()?;
        for col in cols {
            let mut cw = rg.next_column()?.expect("one column writer per schema column");
            match col.kind {
                Kind::Text => {
                    let values: Vec<ByteArray> = group
                        .iter()
                        .map(|r| match (col.get)(r) {
                            Cell::Text(s) => ByteArray::from(s.as_bytes().to_vec()),
                            _ => unreachable!("a text column gives text"),
                        })
                        .collect();
                    cw.typed::<ByteArrayType>().write_batch(&values, None, None)?;
                }
                Kind::Time | Kind::Count => {
                    let values: Vec<i64> = group
                        .iter()
                        .map(|r| match (col.get)(r) {
                            Cell::Int(n) => n,
                            _ => unreachable!("an integer column gives integers"),
                        })
                        .collect();
                    cw.typed::<Int64Type>().write_batch(&values, None, None)?;
                }
                Kind::Measure => {
                    let cells: Vec<Option<f64>> = group
                        .iter()
                        .map(|r| match (col.get)(r) {
                            Cell::Float(x) => x,
                            _ => unreachable!("a measure column gives floats"),
                        })
                        .collect();
                    let defined: Vec<i16> = cells.iter().map(|x| i16::from(x.is_some())).collect();
                    let values: Vec<f64> = cells.iter().flatten().copied().collect();
                    cw.typed::<DoubleType>().write_batch(&values, Some(&defined), None)?;
                }
            }
            cw.close()?;
        }
        rg.close()?;
    }
    // Finishing writes the footer; the file is then flushed before it is renamed into place.
    writer.into_inner()?.flush().map_err(ParquetError::from)?;
    Ok(())
}

/// Writes `rows` as `dir/table/day=DAY/part-0.parquet` (or removes that file if there are none).
fn write_partition<T>(
    dir: &Path,
    table: &'static str,
    day: &str,
    cols: &[Col<T>],
    rows: &[T],
) -> Result<Option<PartitionFile>> {
    let part_dir = dir.join(table).join(format!("day={day}"));
    let path = part_dir.join("part-0.parquet");
    let io = |p: &Path, source: std::io::Error| ReportError::Io { path: p.display().to_string(), source };
    if rows.is_empty() {
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
    write_parquet(std::io::BufWriter::new(file), table, cols, rows)?;
    std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))?;
    Ok(Some(PartitionFile { table, day: day.to_string(), path, rows: rows.len() as u64 }))
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
            write_partition(dir, "series", &name, &series_cols(), &series)?,
            write_partition(dir, "alerts", &name, &alert_cols(), &alerts)?,
            write_partition(dir, "routes", &name, &route_cols(), &routes)?,
            write_partition(dir, "countries", &name, &country_cols(), &countries)?,
        ];
        summary.files.extend(written.into_iter().flatten());
        day += DAY_MS;
    }
    Ok(summary)
}
