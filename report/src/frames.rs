//! The report's computations: sums per key over the hourly route and country series, the
//! week-over-week comparison with the same keys one week earlier, rates, alerts per rule and
//! severity, and the top offenders of each rule.
//!
//! The inputs are the store's hourly rows (at most one row per route or country and hour) and
//! the alerts of the range, so plain maps are the right tool: a week of a busy API is a few
//! hundred thousand rows, summed in one pass.

use crate::{CountryLine, Offender, RouteLine, RuleLine, Subject, TotalLine, Traffic, WeekOverWeek};
use gatewatch_core::alert::Alert;
use gatewatch_core::time::rfc3339;
use gatewatch_core::traffic::{CountryHour, RouteHour};
use gatewatch_core::{Counts, Severity};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// The counters of some traffic, with its rates as fractions of `total` (0 without traffic).
fn traffic(c: &Counts) -> Traffic {
    let rate = |n: u64| if c.total > 0 { n as f64 / c.total as f64 } else { 0.0 };
    Traffic {
        total: c.total,
        s4xx: c.s4xx,
        s401: c.s401,
        s403: c.s403,
        s404: c.s404,
        s429: c.s429,
        s5xx: c.s5xx,
        rate_4xx: rate(c.s4xx),
        rate_403: rate(c.s403),
        rate_429: rate(c.s429),
    }
}

/// The change from `previous` to `now`; `null` changes when the previous range had no traffic.
fn week_over_week(now: &Traffic, previous: Traffic) -> WeekOverWeek {
    let known = previous.total > 0;
    let pp = |a: f64, b: f64| known.then_some((a - b) * 100.0);
    WeekOverWeek {
        total_change_pct: known
            .then(|| (now.total as f64 - previous.total as f64) * 100.0 / previous.total as f64),
        rate_4xx_change_pp: pp(now.rate_4xx, previous.rate_4xx),
        rate_403_change_pp: pp(now.rate_403, previous.rate_403),
        rate_429_change_pp: pp(now.rate_429, previous.rate_429),
        previous,
    }
}

/// Counters summed per key.
fn sums<'a, K: Eq + Hash + 'a>(rows: impl Iterator<Item = (K, &'a Counts)>) -> HashMap<K, Counts> {
    let mut out: HashMap<K, Counts> = HashMap::new();
    for (key, counts) in rows {
        out.entry(key).or_default().add(counts);
    }
    out
}

/// The current range's keys with their traffic and week-over-week change, busiest first (then
/// by key), the first `limit` of them and how many were left out.
fn compare<K: Eq + Hash + Ord>(
    cur: HashMap<K, Counts>,
    mut prev: HashMap<K, Counts>,
    limit: usize,
) -> (Vec<(K, Traffic, WeekOverWeek)>, u64) {
    let mut keys: Vec<(K, Counts)> = cur.into_iter().collect();
    keys.sort_by(|(ka, a), (kb, b)| b.total.cmp(&a.total).then_with(|| ka.cmp(kb)));
    let omitted = keys.len().saturating_sub(limit) as u64;
    let lines = keys
        .into_iter()
        .take(limit)
        .map(|(key, counts)| {
            let now = traffic(&counts);
            let previous = traffic(&prev.remove(&key).unwrap_or_default());
            let wow = week_over_week(&now, previous);
            (key, now, wow)
        })
        .collect();
    (lines, omitted)
}

pub(crate) fn route_lines(cur: &[RouteHour], prev: &[RouteHour], limit: usize) -> (Vec<RouteLine>, u64) {
    fn key(r: &RouteHour) -> (&str, &str) {
        (r.api.as_str(), r.route.as_str())
    }
    let (lines, omitted) = compare(
        sums(cur.iter().map(|r| (key(r), &r.counts))),
        sums(prev.iter().map(|r| (key(r), &r.counts))),
        limit,
    );
    let lines = lines
        .into_iter()
        .map(|((api, route), traffic, week_over_week)| RouteLine {
            api: api.to_string(),
            route: route.to_string(),
            traffic,
            week_over_week,
        })
        .collect();
    (lines, omitted)
}

pub(crate) fn country_lines(
    cur: &[CountryHour],
    prev: &[CountryHour],
    limit: usize,
) -> (Vec<CountryLine>, u64) {
    let (lines, omitted) = compare(
        sums(cur.iter().map(|r| (r.country.as_str(), &r.counts))),
        sums(prev.iter().map(|r| (r.country.as_str(), &r.counts))),
        limit,
    );
    let lines = lines
        .into_iter()
        .map(|(country, traffic, week_over_week)| CountryLine {
            country: country.to_string(),
            traffic,
            week_over_week,
        })
        .collect();
    (lines, omitted)
}

/// All traffic of the range (the route hours hold every counted request once).
pub(crate) fn totals(cur: &[RouteHour], prev: &[RouteHour]) -> TotalLine {
    let sum = |rows: &[RouteHour]| {
        let mut c = Counts::default();
        rows.iter().for_each(|r| c.add(&r.counts));
        traffic(&c)
    };
    let now = sum(cur);
    let week_over_week = week_over_week(&now, sum(prev));
    TotalLine { traffic: now, week_over_week }
}

/// Alerts per rule and severity, with the previous week's count per rule: every rule with
/// alerts in either range, the most alerts first (then by rule).
pub(crate) fn rule_lines(cur: &[Alert], prev: &[Alert]) -> Vec<RuleLine> {
    fn line<'a>(
        by_rule: &'a mut BTreeMap<(&'static str, &'static str), RuleLine>,
        a: &Alert,
    ) -> &'a mut RuleLine {
        by_rule.entry((a.rule.as_str(), a.kind.as_str())).or_insert_with(|| RuleLine {
            rule: a.rule.as_str().to_string(),
            kind: a.kind.as_str().to_string(),
            alerts: 0,
            low: 0,
            medium: 0,
            high: 0,
            critical: 0,
            previous_alerts: 0,
        })
    }
    let mut by_rule: BTreeMap<(&'static str, &'static str), RuleLine> = BTreeMap::new();
    for a in cur {
        let l = line(&mut by_rule, a);
        l.alerts += 1;
        *match a.severity {
            Severity::Low => &mut l.low,
            Severity::Medium => &mut l.medium,
            Severity::High => &mut l.high,
            Severity::Critical => &mut l.critical,
        } += 1;
    }
    for a in prev {
        line(&mut by_rule, a).previous_alerts += 1;
    }
    let mut lines: Vec<RuleLine> = by_rule.into_values().collect();
    lines.sort_by(|a, b| b.alerts.cmp(&a.alerts).then_with(|| a.rule.cmp(&b.rule)));
    lines
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Low => 0,
        Severity::Medium => 1,
        Severity::High => 2,
        Severity::Critical => 3,
    }
}

/// Per rule, the subjects with the most windows (then the worst severity, then by subject),
/// at most `per_rule`; rules in name order.
pub(crate) fn offenders(alerts: &[Alert], per_rule: usize) -> Vec<Offender> {
    struct Merged {
        alerts: u64,
        windows: u64,
        worst: Severity,
        first_seen: i64,
        last_seen: i64,
    }
    let mut merged: BTreeMap<(&str, &str, &str), Merged> = BTreeMap::new();
    for a in alerts {
        let key = (a.rule.as_str(), a.subject.kind.as_str(), a.subject.value.as_str());
        let m = merged.entry(key).or_insert(Merged {
            alerts: 0,
            windows: 0,
            worst: a.severity,
            first_seen: a.first_seen,
            last_seen: a.last_seen,
        });
        m.alerts += 1;
        m.windows += a.count;
        if severity_rank(a.severity) > severity_rank(m.worst) {
            m.worst = a.severity;
        }
        m.first_seen = m.first_seen.min(a.first_seen);
        m.last_seen = m.last_seen.max(a.last_seen);
    }
    let mut rows: Vec<_> = merged.into_iter().collect();
    rows.sort_by(|((ra, ka, va), a), ((rb, kb, vb), b)| {
        ra.cmp(rb)
            .then_with(|| b.windows.cmp(&a.windows))
            .then_with(|| severity_rank(b.worst).cmp(&severity_rank(a.worst)))
            .then_with(|| ka.cmp(kb))
            .then_with(|| va.cmp(vb))
    });
    let mut out: Vec<Offender> = Vec::new();
    let mut in_rule = 0;
    for ((rule, kind, value), m) in rows {
        in_rule = if out.last().is_some_and(|o| o.rule == rule) { in_rule + 1 } else { 1 };
        if in_rule > per_rule {
            continue;
        }
        out.push(Offender {
            rule: rule.to_string(),
            subject: Subject { kind: kind.to_string(), value: value.to_string() },
            alerts: m.alerts,
            windows: m.windows,
            max_severity: m.worst.as_str().to_string(),
            first_seen: rfc3339(m.first_seen),
            last_seen: rfc3339(m.last_seen),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gatewatch_core::alert::{Rule, Status, Subject as AlertSubject, SubjectKind};

    fn route(hour: i64, route: &str, total: u64, s403: u64) -> RouteHour {
        let counts = Counts { total, s4xx: s403, s403, ..Counts::default() };
        RouteHour { hour, api: "a1".into(), route: route.into(), counts }
    }

    fn alert(rule: Rule, severity: Severity, ip: &str, count: u64, seen: i64) -> Alert {
        Alert {
            id: format!("{}-{ip}-{seen}", rule.as_str()),
            kind: rule.kind(),
            rule,
            severity,
            status: Status::Open,
            subject: AlertSubject::new(SubjectKind::Ip, ip),
            first_seen: seen,
            last_seen: seen + 60_000,
            detected_at: seen,
            count,
            evidence: serde_json::Value::Null,
        }
    }

    #[test]
    fn routes_sum_their_hours_busiest_first_with_the_change_from_last_week() {
        let cur = [
            route(0, "GET /a", 10, 5),
            route(1, "GET /a", 30, 5),
            route(0, "GET /b", 60, 0),
            route(0, "GET /c", 1, 1),
        ];
        let prev = [route(0, "GET /a", 20, 2), route(0, "GET /old", 99, 0)];
        let (lines, omitted) = route_lines(&cur, &prev, 2);
        assert_eq!(omitted, 1);
        assert_eq!(lines.iter().map(|l| l.route.as_str()).collect::<Vec<_>>(), ["GET /b", "GET /a"]);
        let a = &lines[1];
        assert_eq!((a.traffic.total, a.traffic.s403), (40, 10));
        assert_eq!(a.traffic.rate_403, 0.25);
        assert_eq!(a.week_over_week.previous.total, 20);
        assert_eq!(a.week_over_week.total_change_pct, Some(100.0));
        assert_eq!(a.week_over_week.rate_403_change_pp, Some((0.25 - 0.1) * 100.0));
        // Nothing to compare with: the changes are null, not 0 or infinite.
        let b = &lines[0].week_over_week;
        assert_eq!((b.total_change_pct, b.rate_4xx_change_pp), (None, None));
        let totals = totals(&cur, &prev);
        assert_eq!(totals.traffic.total, 101);
        assert_eq!(totals.week_over_week.previous.total, 119);
    }

    #[test]
    fn rules_count_by_severity_and_keep_rules_seen_only_last_week() {
        let cur = [
            alert(Rule::BruteForce, Severity::High, "192.0.2.1", 1, 0),
            alert(Rule::BruteForce, Severity::Low, "192.0.2.2", 1, 0),
            alert(Rule::Probing, Severity::Medium, "192.0.2.3", 1, 0),
        ];
        let prev = [alert(Rule::NewCountry, Severity::Low, "192.0.2.9", 1, 0)];
        let lines = rule_lines(&cur, &prev);
        let summary: Vec<_> = lines
            .iter()
            .map(|l| (l.rule.as_str(), l.alerts, l.low, l.medium, l.high, l.previous_alerts))
            .collect();
        assert_eq!(
            summary,
            [("brute_force", 2, 1, 0, 1, 0), ("probing", 1, 0, 1, 0, 0), ("new_country", 0, 0, 0, 0, 1)]
        );
    }

    #[test]
    fn offenders_merge_a_subjects_alerts_and_keep_the_most_windows_per_rule() {
        let alerts = [
            alert(Rule::BruteForce, Severity::Low, "192.0.2.1", 2, 1_000),
            alert(Rule::BruteForce, Severity::Critical, "192.0.2.1", 3, 5_000),
            alert(Rule::BruteForce, Severity::High, "192.0.2.2", 4, 0),
            alert(Rule::BruteForce, Severity::Low, "192.0.2.3", 1, 0),
            alert(Rule::Probing, Severity::Low, "192.0.2.3", 1, 0),
        ];
        let out = offenders(&alerts, 2);
        let got: Vec<_> =
            out.iter().map(|o| (o.rule.as_str(), o.subject.value.as_str(), o.alerts, o.windows)).collect();
        assert_eq!(
            got,
            [
                ("brute_force", "192.0.2.1", 2, 5),
                ("brute_force", "192.0.2.2", 1, 4),
                ("probing", "192.0.2.3", 1, 1)
            ]
        );
        assert_eq!(out[0].max_severity, "critical");
        assert_eq!(out[0].first_seen, rfc3339(1_000));
        assert_eq!(out[0].last_seen, rfc3339(65_000));
    }
}
