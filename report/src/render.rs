//! A [`Report`] for people: Markdown, and one self-contained HTML page (inline CSS, no
//! scripts, no external resources). Every value from the store is escaped for the format.

use crate::{Report, Traffic, WeekOverWeek};
use std::fmt::Write as _;

fn pct(f: f64) -> String {
    format!("{:.2}%", f * 100.0)
}

fn change_pct(c: Option<f64>) -> String {
    c.map(|v| format!("{v:+.1}%")).unwrap_or_else(|| "n/a".into())
}

fn change_pp(c: Option<f64>) -> String {
    c.map(|v| format!("{v:+.2} pp")).unwrap_or_else(|| "n/a".into())
}

/// One table: a header and rows of cells (already formatted, not yet escaped).
struct Table {
    title: &'static str,
    note: String,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

fn traffic_cells(t: &Traffic, w: &WeekOverWeek) -> Vec<String> {
    vec![
        t.total.to_string(),
        t.s4xx.to_string(),
        t.s403.to_string(),
        t.s429.to_string(),
        pct(t.rate_4xx),
        pct(t.rate_403),
        pct(t.rate_429),
        w.previous.total.to_string(),
        change_pct(w.total_change_pct),
        change_pp(w.rate_4xx_change_pp),
        change_pp(w.rate_403_change_pp),
        change_pp(w.rate_429_change_pp),
    ]
}

const TRAFFIC_HEADER: [&str; 12] = [
    "requests",
    "4XX",
    "403",
    "429",
    "4XX rate",
    "403 rate",
    "429 rate",
    "requests last week",
    "requests change",
    "4XX rate change",
    "403 rate change",
    "429 rate change",
];

fn tables(r: &Report) -> Vec<Table> {
    let with =
        |keys: &[&'static str]| -> Vec<&'static str> { keys.iter().copied().chain(TRAFFIC_HEADER).collect() };
    let omitted =
        |n: u64, what: &str| if n > 0 { format!("{n} more {what} not listed.") } else { String::new() };
    vec![
        Table {
            title: "Totals",
            note: String::new(),
            header: with(&[]),
            rows: vec![traffic_cells(&r.totals.traffic, &r.totals.week_over_week)],
        },
        Table {
            title: "Alerts by rule",
            note: "Alerts with evidence in the range, by severity; last week: the same range 7 days earlier."
                .into(),
            header: vec!["rule", "kind", "alerts", "critical", "high", "medium", "low", "alerts last week"],
            rows: r
                .alerts_by_rule
                .iter()
                .map(|l| {
                    vec![
                        l.rule.clone(),
                        l.kind.clone(),
                        l.alerts.to_string(),
                        l.critical.to_string(),
                        l.high.to_string(),
                        l.medium.to_string(),
                        l.low.to_string(),
                        l.previous_alerts.to_string(),
                    ]
                })
                .collect(),
        },
        Table {
            title: "Top offenders by rule",
            note: "Per rule, the subjects in the most alert windows.".into(),
            header: vec!["rule", "subject", "alerts", "windows", "max severity", "first seen", "last seen"],
            rows: r
                .top_offenders
                .iter()
                .map(|o| {
                    vec![
                        o.rule.clone(),
                        format!("{}:{}", o.subject.kind, o.subject.value),
                        o.alerts.to_string(),
                        o.windows.to_string(),
                        o.max_severity.clone(),
                        o.first_seen.clone(),
                        o.last_seen.clone(),
                    ]
                })
                .collect(),
        },
        Table {
            title: "Routes",
            note: omitted(r.routes_omitted, "routes"),
            header: with(&["API", "route"]),
            rows: r
                .routes
                .iter()
                .map(|l| {
                    let mut row = vec![l.api.clone(), l.route.clone()];
                    row.extend(traffic_cells(&l.traffic, &l.week_over_week));
                    row
                })
                .collect(),
        },
        Table {
            title: "Countries",
            note: omitted(r.countries_omitted, "countries"),
            header: with(&["country"]),
            rows: r
                .countries
                .iter()
                .map(|l| {
                    let mut row = vec![l.country.clone()];
                    row.extend(traffic_cells(&l.traffic, &l.week_over_week));
                    row
                })
                .collect(),
        },
    ]
}

/// Escapes text for a Markdown table cell: no raw HTML, no formatting, no cell breaks.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn range_line(r: &Report) -> String {
    format!(
        "From {} to {} (event time), compared with {} to {}.",
        r.from, r.to, r.previous_from, r.previous_to
    )
}

/// The report as Markdown (GitHub-flavoured tables).
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# gatewatch report\n\n{}\n", md(&range_line(r)));
    for t in tables(r) {
        let _ = writeln!(out, "## {}\n", t.title);
        if !t.note.is_empty() {
            let _ = writeln!(out, "{}\n", md(&t.note));
        }
        if t.rows.is_empty() {
            out.push_str("None.\n\n");
            continue;
        }
        let _ = writeln!(out, "| {} |", t.header.join(" | "));
        let _ = writeln!(out, "|{}", t.header.iter().map(|_| " --- |").collect::<String>());
        for row in &t.rows {
            let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1b1f24}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}\
table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:right}\
th{background:#f6f8fa}td:first-child,th:first-child{text-align:left}td.t{text-align:left;font-family:ui-monospace,monospace}\
p.note{color:#57606a}";

/// The report as one self-contained HTML page.
pub fn html(r: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>gatewatch report {} to {}</title><style>{STYLE}</style></head><body>\n\
         <h1>gatewatch report</h1>\n<p>{}</p>\n",
        html_escape(&r.from),
        html_escape(&r.to),
        html_escape(&range_line(r))
    );
    for t in tables(r) {
        let _ = writeln!(out, "<h2>{}</h2>", html_escape(t.title));
        if !t.note.is_empty() {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", html_escape(&t.note));
        }
        if t.rows.is_empty() {
            out.push_str("<p>None.</p>\n");
            continue;
        }
        out.push_str("<table><thead><tr>");
        for h in &t.header {
            let _ = write!(out, "<th>{}</th>", html_escape(h));
        }
        out.push_str("</tr></thead><tbody>\n");
        for row in &t.rows {
            out.push_str("<tr>");
            for (i, c) in row.iter().enumerate() {
                // Text columns (names) left-aligned, numbers right-aligned.
                let text =
                    c.parse::<f64>().is_err() && !c.ends_with('%') && !c.ends_with(" pp") && c != "n/a";
                let class = if text && i < 3 { " class=\"t\"" } else { "" };
                let _ = write!(out, "<td{class}>{}</td>", html_escape(c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CountryLine, RouteLine, TotalLine};

    fn report_with_route(route: &str) -> Report {
        let t = Traffic { total: 10, s4xx: 2, s403: 1, rate_4xx: 0.2, rate_403: 0.1, ..Default::default() };
        Report {
            from: "2026-11-24T00:00:00Z".into(),
            to: "2026-11-25T00:00:00Z".into(),
            previous_from: "2026-11-17T00:00:00Z".into(),
            previous_to: "2026-11-18T00:00:00Z".into(),
            totals: TotalLine { traffic: t.clone(), week_over_week: Default::default() },
            routes: vec![RouteLine {
                api: "a1".into(),
                route: route.into(),
                traffic: t.clone(),
                week_over_week: WeekOverWeek { total_change_pct: Some(25.0), ..Default::default() },
            }],
            routes_omitted: 3,
            countries: vec![CountryLine {
                country: "DE".into(),
                traffic: t,
                week_over_week: Default::default(),
            }],
            countries_omitted: 0,
            alerts_by_rule: vec![],
            top_offenders: vec![],
        }
    }

    #[test]
    fn markup_in_values_is_escaped() {
        let r = report_with_route("GET /<script>alert(1)</script>|x");
        let h = html(&r);
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"));
        assert!(!h.contains("http://") && !h.contains("https://"), "self-contained");
        let m = markdown(&r);
        assert!(m.contains(r"GET /\<script\>alert(1)\</script\>\|x"), "{m}");
        assert!(m.contains("| a1 | GET"), "{m}");
        assert!(m.contains("3 more routes not listed."));
        assert!(m.contains("+25.0%") && m.contains("20.00%"));
        assert!(m.contains("## Alerts by rule\n\n") && m.contains("None."));
    }
}
