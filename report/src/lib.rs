//! gatewatch reports and exports.
//!
//! [`build_report`] reads the hourly route and country series and the alerts of a time range
//! (and of the same range one week earlier) from the store and computes per-route and
//! per-country 4XX/403/429 rates with their week-over-week change, alerts by rule and
//! severity, and the top offenders of each rule. The [`Report`] serializes
//! to JSON as is; [`render::markdown`] and [`render::html`] (self-contained, no external
//! resources) present it to people. [`export_parquet`] writes the stored series and alerts as
//! Parquet files partitioned by day (Hive style), for Athena, Security Lake or a notebook.
//!
//! Everything read here was scrubbed before it was stored (routes are templates from parsed,
//! scrubbed records; alert subjects come from the same records), so a report holds nothing
//! the store does not.

mod export;
mod frames;
pub mod render;

pub use export::{ExportSummary, PartitionFile, export_parquet, stored_range};

use gatewatch_core::time::rfc3339;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use serde::Serialize;

/// One week, the distance between a range and the range it is compared with.
pub const WEEK_MS: i64 = 7 * 24 * 3_600_000;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{field}: {why}")]
    BadParameter { field: &'static str, why: String },
    #[error(transparent)]
    Store(#[from] gatewatch_store::Error),
    #[error("writing Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

pub type Result<T, E = ReportError> = std::result::Result<T, E>;

/// What a report lists.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    /// Routes and countries listed (the busiest first); the rest are counted as omitted.
    pub limit: usize,
    /// Offenders listed per rule.
    pub offenders_per_rule: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self { limit: 50, offenders_per_rule: 5 }
    }
}

/// Counters and rates of some traffic. Rates are fractions of `total` (0 when there is none).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Traffic {
    pub total: u64,
    pub s4xx: u64,
    pub s401: u64,
    pub s403: u64,
    pub s404: u64,
    pub s429: u64,
    pub s5xx: u64,
    pub rate_4xx: f64,
    pub rate_403: f64,
    pub rate_429: f64,
}

/// The same traffic one week earlier, and the change. Changes are `null` when the previous
/// week had no traffic (nothing to compare with).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WeekOverWeek {
    pub previous: Traffic,
    /// Change of `total`, in percent of the previous total.
    pub total_change_pct: Option<f64>,
    /// Changes of the rates, in percentage points.
    pub rate_4xx_change_pp: Option<f64>,
    pub rate_403_change_pp: Option<f64>,
    pub rate_429_change_pp: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalLine {
    #[serde(flatten)]
    pub traffic: Traffic,
    pub week_over_week: WeekOverWeek,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteLine {
    /// `apiId`, else `domainName`, else `-`.
    pub api: String,
    /// `METHOD /template` or the HTTP API route key; `(none)` without a template, `(other)`
    /// for routes past the per-hour cap.
    pub route: String,
    #[serde(flatten)]
    pub traffic: Traffic,
    pub week_over_week: WeekOverWeek,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryLine {
    /// ISO 3166-1 alpha-2, or `--` when unknown.
    pub country: String,
    #[serde(flatten)]
    pub traffic: Traffic,
    pub week_over_week: WeekOverWeek,
}

/// Alerts of one rule with evidence in the range, by severity, and the previous week's count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleLine {
    pub rule: String,
    pub kind: String,
    pub alerts: u64,
    pub low: u64,
    pub medium: u64,
    pub high: u64,
    pub critical: u64,
    pub previous_alerts: u64,
}

/// A subject that a rule alerted on, with its alerts of the range merged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offender {
    pub rule: String,
    pub subject: Subject,
    pub alerts: u64,
    /// Windows in which the rule fired for this subject (sum over its alerts).
    pub windows: u64,
    pub max_severity: String,
    pub first_seen: String,
    pub last_seen: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subject {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// The report of `[from, to)` (event time; route and country series have hourly resolution:
/// the hours that start in the range count).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    /// The range compared with: the same range one week earlier.
    pub previous_from: String,
    pub previous_to: String,
    pub totals: TotalLine,
    /// The busiest routes first.
    pub routes: Vec<RouteLine>,
    pub routes_omitted: u64,
    /// The busiest countries first.
    pub countries: Vec<CountryLine>,
    pub countries_omitted: u64,
    /// Every rule with alerts in the range or the previous one.
    pub alerts_by_rule: Vec<RuleLine>,
    /// Per rule, the subjects with the most windows.
    pub top_offenders: Vec<Offender>,
}

/// Checks a report or export range.
pub fn check_range(from: i64, to: i64) -> Result<()> {
    if from >= to {
        return Err(ReportError::BadParameter {
            field: "to",
            why: format!("must be after `from` ({} is not after {})", rfc3339(to), rfc3339(from)),
        });
    }
    Ok(())
}

/// Builds the report of `[from, to)` with the default options.
pub async fn build_report(store: &Store, from: i64, to: i64) -> Result<Report> {
    build_report_with(store, from, to, ReportOptions::default()).await
}

pub async fn build_report_with(store: &Store, from: i64, to: i64, opts: ReportOptions) -> Result<Report> {
    check_range(from, to)?;
    let (pfrom, pto) = (from - WEEK_MS, to - WEEK_MS);
    let routes = store.route_hours(from, to).await?;
    let prev_routes = store.route_hours(pfrom, pto).await?;
    let countries = store.country_hours(from, to).await?;
    let prev_countries = store.country_hours(pfrom, pto).await?;
    let alerts = store.alerts_overlapping(from, to).await?;
    let prev_alerts = store.alerts_overlapping(pfrom, pto).await?;
    let totals = frames::totals(&routes, &prev_routes);
    let (routes, routes_omitted) = frames::route_lines(&routes, &prev_routes, opts.limit);
    let (countries, countries_omitted) = frames::country_lines(&countries, &prev_countries, opts.limit);
    Ok(Report {
        from: rfc3339(from),
        to: rfc3339(to),
        previous_from: rfc3339(pfrom),
        previous_to: rfc3339(pto),
        totals,
        routes,
        routes_omitted,
        countries,
        countries_omitted,
        alerts_by_rule: frames::rule_lines(&alerts, &prev_alerts),
        top_offenders: frames::offenders(&alerts, opts.offenders_per_rule),
    })
}

/// The report as pretty JSON (what `--format json` and `GET /v1/report` answer).
pub fn to_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("a report serializes")
}

/// Output formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

impl Format {
    /// Parses `md`, `markdown`, `html` or `json`; the error names the accepted values.
    pub fn parse(s: &str) -> Result<Format> {
        match s {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            _ => Err(ReportError::BadParameter { field: "format", why: "expected md, html or json".into() }),
        }
    }

    /// The media type to answer with.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Markdown => render::markdown(report),
            Format::Html => render::html(report),
            Format::Json => to_json(report),
        }
    }
}
