//! The report's computations as polars LazyFrame queries: frames from store rows, group-bys
//! per key, the week-over-week join and the rates.

use crate::{CountryLine, Offender, Result, RouteLine, RuleLine, Subject, TotalLine, Traffic, WeekOverWeek};
use gatewatch_core::alert::Alert;
use gatewatch_core::time::rfc3339;
use gatewatch_core::traffic::{CountryHour, RouteHour};
use gatewatch_core::{Counts, Severity};
use polars::prelude::*;

/// The counters a report reads, in frame column order.
pub(crate) const COUNTERS: [&str; 7] = ["total", "s4xx", "s401", "s403", "s404", "s429", "s5xx"];

fn counter_columns<'a>(rows: impl Iterator<Item = &'a Counts> + Clone) -> Vec<Column> {
    let pick = |name: &str, c: &Counts| match name {
        "total" => c.total,
        "s4xx" => c.s4xx,
        "s401" => c.s401,
        "s403" => c.s403,
        "s404" => c.s404,
        "s429" => c.s429,
        _ => c.s5xx,
    };
    COUNTERS
        .iter()
        .map(|name| Column::new((*name).into(), rows.clone().map(|c| pick(name, c)).collect::<Vec<u64>>()))
        .collect()
}

pub(crate) fn routes(rows: &[RouteHour]) -> Result<DataFrame> {
    let mut cols = vec![
        Column::new("hour".into(), rows.iter().map(|r| r.hour).collect::<Vec<i64>>()),
        Column::new("api".into(), rows.iter().map(|r| r.api.as_str()).collect::<Vec<&str>>()),
        Column::new("route".into(), rows.iter().map(|r| r.route.as_str()).collect::<Vec<&str>>()),
    ];
    cols.extend(counter_columns(rows.iter().map(|r| &r.counts)));
    Ok(DataFrame::new(rows.len(), cols)?)
}

pub(crate) fn countries(rows: &[CountryHour]) -> Result<DataFrame> {
    let mut cols = vec![
        Column::new("hour".into(), rows.iter().map(|r| r.hour).collect::<Vec<i64>>()),
        Column::new("country".into(), rows.iter().map(|r| r.country.as_str()).collect::<Vec<&str>>()),
    ];
    cols.extend(counter_columns(rows.iter().map(|r| &r.counts)));
    Ok(DataFrame::new(rows.len(), cols)?)
}

fn severity_rank(s: Severity) -> u32 {
    match s {
        Severity::Low => 0,
        Severity::Medium => 1,
        Severity::High => 2,
        Severity::Critical => 3,
    }
}

const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];

pub(crate) fn alerts(rows: &[Alert]) -> Result<DataFrame> {
    let cols = vec![
        Column::new("rule".into(), rows.iter().map(|a| a.rule.as_str()).collect::<Vec<&str>>()),
        Column::new("kind".into(), rows.iter().map(|a| a.kind.as_str()).collect::<Vec<&str>>()),
        Column::new("severity".into(), rows.iter().map(|a| a.severity.as_str()).collect::<Vec<&str>>()),
        Column::new(
            "severity_rank".into(),
            rows.iter().map(|a| severity_rank(a.severity)).collect::<Vec<u32>>(),
        ),
        Column::new(
            "subject_type".into(),
            rows.iter().map(|a| a.subject.kind.as_str()).collect::<Vec<&str>>(),
        ),
        Column::new(
            "subject_value".into(),
            rows.iter().map(|a| a.subject.value.as_str()).collect::<Vec<&str>>(),
        ),
        Column::new("count".into(), rows.iter().map(|a| a.count).collect::<Vec<u64>>()),
        Column::new("first_seen".into(), rows.iter().map(|a| a.first_seen).collect::<Vec<i64>>()),
        Column::new("last_seen".into(), rows.iter().map(|a| a.last_seen).collect::<Vec<i64>>()),
    ];
    Ok(DataFrame::new(rows.len(), cols)?)
}

/// `num / total` as a float, 0 without traffic.
fn rate(num: &str, total: &str) -> Expr {
    when(col(total).gt(lit(0u64)))
        .then(col(num).cast(DataType::Float64) / col(total).cast(DataType::Float64))
        .otherwise(lit(0.0f64))
}

/// Rates and week-over-week changes of a frame holding `COUNTERS` and `prev_COUNTERS`.
fn with_rates(lf: LazyFrame) -> LazyFrame {
    let has_prev = col("prev_total").gt(lit(0u64));
    let pp = |r: &str| {
        when(has_prev.clone())
            .then((col(r) - col(format!("prev_{r}"))) * lit(100.0f64))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias(format!("{r}_change_pp"))
    };
    lf.with_columns([
        rate("s4xx", "total").alias("rate_4xx"),
        rate("s403", "total").alias("rate_403"),
        rate("s429", "total").alias("rate_429"),
        rate("prev_s4xx", "prev_total").alias("prev_rate_4xx"),
        rate("prev_s403", "prev_total").alias("prev_rate_403"),
        rate("prev_s429", "prev_total").alias("prev_rate_429"),
    ])
    .with_columns([
        when(has_prev.clone())
            .then(
                (col("total").cast(DataType::Float64) - col("prev_total").cast(DataType::Float64))
                    * lit(100.0f64)
                    / col("prev_total").cast(DataType::Float64),
            )
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("total_change_pct"),
        pp("rate_4xx"),
        pp("rate_403"),
        pp("rate_429"),
    ])
}

/// Sums the counters per `keys` in the current and previous frames, joins them (left: the
/// current range's keys) and adds rates and changes, busiest first.
fn compare(cur: DataFrame, prev: DataFrame, keys: &[&str]) -> LazyFrame {
    let key_exprs: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    let cur = cur.lazy().group_by(key_exprs.clone()).agg(COUNTERS.map(|c| col(c).sum()));
    let prev = prev
        .lazy()
        .group_by(key_exprs.clone())
        .agg(COUNTERS.map(|c| col(c).sum().alias(format!("prev_{c}"))));
    let joined = cur
        .join(prev, key_exprs.clone(), key_exprs, JoinArgs::new(JoinType::Left))
        .with_columns(COUNTERS.map(|c| col(format!("prev_{c}")).fill_null(lit(0u64))));
    let mut by: Vec<Expr> = vec![col("total")];
    by.extend(keys.iter().map(|k| col(*k)));
    let mut desc = vec![true];
    desc.extend(keys.iter().map(|_| false));
    with_rates(joined).sort_by_exprs(by, SortMultipleOptions::new().with_order_descending_multi(desc))
}

/// Reads the columns of one row of a `compare` result.
struct Lines<'a> {
    df: &'a DataFrame,
}

impl Lines<'_> {
    fn u64(&self, name: &str, i: usize) -> Result<u64> {
        Ok(self.df.column(name)?.as_materialized_series().cast(&DataType::UInt64)?.u64()?.get(i).unwrap_or(0))
    }

    fn f64(&self, name: &str, i: usize) -> Result<Option<f64>> {
        Ok(self.df.column(name)?.as_materialized_series().f64()?.get(i))
    }

    fn str(&self, name: &str, i: usize) -> Result<String> {
        Ok(self.df.column(name)?.as_materialized_series().str()?.get(i).unwrap_or_default().to_string())
    }

    fn traffic(&self, prefix: &str, i: usize) -> Result<Traffic> {
        let c = |n: &str| self.u64(&format!("{prefix}{n}"), i);
        let r = |n: &str| -> Result<f64> { Ok(self.f64(&format!("{prefix}{n}"), i)?.unwrap_or(0.0)) };
        Ok(Traffic {
            total: c("total")?,
            s4xx: c("s4xx")?,
            s401: c("s401")?,
            s403: c("s403")?,
            s404: c("s404")?,
            s429: c("s429")?,
            s5xx: c("s5xx")?,
            rate_4xx: r("rate_4xx")?,
            rate_403: r("rate_403")?,
            rate_429: r("rate_429")?,
        })
    }

    fn week_over_week(&self, i: usize) -> Result<WeekOverWeek> {
        Ok(WeekOverWeek {
            previous: self.traffic("prev_", i)?,
            total_change_pct: self.f64("total_change_pct", i)?,
            rate_4xx_change_pp: self.f64("rate_4xx_change_pp", i)?,
            rate_403_change_pp: self.f64("rate_403_change_pp", i)?,
            rate_429_change_pp: self.f64("rate_429_change_pp", i)?,
        })
    }
}

pub(crate) fn route_lines(cur: DataFrame, prev: DataFrame, limit: usize) -> Result<(Vec<RouteLine>, u64)> {
    let df = compare(cur, prev, &["api", "route"]).collect()?;
    let l = Lines { df: &df };
    let n = df.height().min(limit);
    let lines = (0..n)
        .map(|i| {
            Ok(RouteLine {
                api: l.str("api", i)?,
                route: l.str("route", i)?,
                traffic: l.traffic("", i)?,
                week_over_week: l.week_over_week(i)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((lines, (df.height() - n) as u64))
}

pub(crate) fn country_lines(
    cur: DataFrame,
    prev: DataFrame,
    limit: usize,
) -> Result<(Vec<CountryLine>, u64)> {
    let df = compare(cur, prev, &["country"]).collect()?;
    let l = Lines { df: &df };
    let n = df.height().min(limit);
    let lines = (0..n)
        .map(|i| {
            Ok(CountryLine {
                country: l.str("country", i)?,
                traffic: l.traffic("", i)?,
                week_over_week: l.week_over_week(i)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((lines, (df.height() - n) as u64))
}

/// All traffic of the range (the route hours hold every counted request once).
pub(crate) fn totals(cur: &DataFrame, prev: &DataFrame) -> Result<TotalLine> {
    let sums = |df: &DataFrame| -> Result<Traffic> {
        let s = df.clone().lazy().select(COUNTERS.map(|c| col(c).sum())).collect()?;
        Ok(with_fraction_rates(Lines { df: &s }.counts_only(0)?))
    };
    let (traffic, previous) = (sums(cur)?, sums(prev)?);
    let known = previous.total > 0;
    let pp = |a: f64, b: f64| known.then_some((a - b) * 100.0);
    let week_over_week = WeekOverWeek {
        total_change_pct: known
            .then(|| (traffic.total as f64 - previous.total as f64) * 100.0 / previous.total as f64),
        rate_4xx_change_pp: pp(traffic.rate_4xx, previous.rate_4xx),
        rate_403_change_pp: pp(traffic.rate_403, previous.rate_403),
        rate_429_change_pp: pp(traffic.rate_429, previous.rate_429),
        previous,
    };
    Ok(TotalLine { traffic, week_over_week })
}

impl Lines<'_> {
    fn counts_only(&self, i: usize) -> Result<Traffic> {
        Ok(Traffic {
            total: self.u64("total", i)?,
            s4xx: self.u64("s4xx", i)?,
            s401: self.u64("s401", i)?,
            s403: self.u64("s403", i)?,
            s404: self.u64("s404", i)?,
            s429: self.u64("s429", i)?,
            s5xx: self.u64("s5xx", i)?,
            ..Traffic::default()
        })
    }
}

fn with_fraction_rates(mut t: Traffic) -> Traffic {
    if t.total > 0 {
        let f = |n: u64| n as f64 / t.total as f64;
        t.rate_4xx = f(t.s4xx);
        t.rate_403 = f(t.s403);
        t.rate_429 = f(t.s429);
    }
    t
}

/// Alerts per rule and severity, with the previous week's count per rule.
pub(crate) fn rule_lines(cur: DataFrame, prev: DataFrame) -> Result<Vec<RuleLine>> {
    let keys = [col("rule"), col("kind")];
    let mut aggs = vec![len().cast(DataType::UInt64).alias("alerts")];
    aggs.extend(SEVERITIES.map(|s| col("severity").eq(lit(s)).sum().cast(DataType::UInt64).alias(s)));
    let cur = cur.lazy().group_by(keys.clone()).agg(aggs);
    let prev =
        prev.lazy().group_by(keys.clone()).agg([len().cast(DataType::UInt64).alias("previous_alerts")]);
    let mut fill = vec![col("previous_alerts"), col("alerts")];
    fill.extend(SEVERITIES.map(col));
    let df = cur
        .join(
            prev,
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .with_columns(fill.into_iter().map(|e| e.fill_null(lit(0u64))).collect::<Vec<_>>())
        .sort_by_exprs(
            [col("alerts"), col("rule")],
            SortMultipleOptions::new().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let l = Lines { df: &df };
    (0..df.height())
        .map(|i| {
            Ok(RuleLine {
                rule: l.str("rule", i)?,
                kind: l.str("kind", i)?,
                alerts: l.u64("alerts", i)?,
                low: l.u64("low", i)?,
                medium: l.u64("medium", i)?,
                high: l.u64("high", i)?,
                critical: l.u64("critical", i)?,
                previous_alerts: l.u64("previous_alerts", i)?,
            })
        })
        .collect()
}

/// Per rule, the subjects with the most windows (then the worst severity), at most `per_rule`.
pub(crate) fn offenders(alerts: DataFrame, per_rule: usize) -> Result<Vec<Offender>> {
    let df = alerts
        .lazy()
        .group_by([col("rule"), col("subject_type"), col("subject_value")])
        .agg([
            len().cast(DataType::UInt64).alias("alerts"),
            col("count").sum().alias("windows"),
            col("severity_rank").max().alias("severity_rank"),
            col("first_seen").min().alias("first_seen"),
            col("last_seen").max().alias("last_seen"),
        ])
        .sort_by_exprs(
            [col("rule"), col("windows"), col("severity_rank"), col("subject_type"), col("subject_value")],
            SortMultipleOptions::new().with_order_descending_multi([false, true, true, false, false]),
        )
        .collect()?;
    let l = Lines { df: &df };
    let ms = |name: &str, i: usize| -> Result<i64> {
        Ok(df.column(name)?.as_materialized_series().i64()?.get(i).unwrap_or(0))
    };
    let mut out: Vec<Offender> = Vec::new();
    let mut in_rule = 0;
    for i in 0..df.height() {
        let rule = l.str("rule", i)?;
        if out.last().is_some_and(|o| o.rule == rule) {
            in_rule += 1;
        } else {
            in_rule = 1;
        }
        if in_rule > per_rule {
            continue;
        }
        let rank = l.u64("severity_rank", i)? as usize;
        out.push(Offender {
            rule,
            subject: Subject { kind: l.str("subject_type", i)?, value: l.str("subject_value", i)? },
            alerts: l.u64("alerts", i)?,
            windows: l.u64("windows", i)?,
            max_severity: SEVERITIES.get(rank).copied().unwrap_or("low").to_string(),
            first_seen: rfc3339(ms("first_seen", i)?),
            last_seen: rfc3339(ms("last_seen", i)?),
        });
    }
    Ok(out)
}
