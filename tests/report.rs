//! `gatewatch report` and `gatewatch export` end to end: the real binary replays generated
//! traffic into SQLite and PostgreSQL, and the report's numbers are checked against the
//! store's own per-client series and against counts taken here from the input file; the
//! exported Parquet files are read back with the Apache Arrow project's Parquet reader.

use gatewatch_core::time::{HOUR_MS, floor_to, parse_time_param};
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use parquet::basic::{LogicalType, TimeUnit};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

mod common;
use common::*;

const START: &str = "2026-11-24T00:00:00Z";
const WEEK_BEFORE: &str = "2026-11-17T00:00:00Z";
const WEEK_MS: i64 = 7 * 24 * HOUR_MS;

fn generate(dir: &Path, name: &str, seed: &str, start: &str) -> PathBuf {
    let path = dir.join(name);
    run_ok(&[
        "generate",
        "--format",
        "ndjson",
        "--out",
        path.to_str().unwrap(),
        "--seed",
        seed,
        "--clients",
        "300",
        "--minutes",
        "90",
        "--rate",
        "500",
        "--start",
        start,
    ]);
    path
}

/// The GeoIP databases: installed once per target directory with `gatewatch geoip update`, or
/// taken from `GATEWATCH_TEST_GEOIP` (as in e2e.rs).
fn geoip_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        if let Ok(d) = std::env::var("GATEWATCH_TEST_GEOIP") {
            return PathBuf::from(d);
        }
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("geoip");
        if !dir.join("geo-whois-asn-country.mmdb").exists() || !dir.join("asn/asn-ipv4.csv").exists() {
            run_ok(&["geoip", "update", "--dir", dir.to_str().unwrap()]);
        }
        dir
    })
    .clone()
}

fn gw(args: &[&str]) -> std::process::Output {
    let mut cmd = bin();
    cmd.env("GATEWATCH_GEOIP__DIR", geoip_dir());
    run_cmd_ok(cmd, args)
}

fn replay(input: &Path, db: &str) -> String {
    String::from_utf8(gw(&["replay", "--input", input.to_str().unwrap(), "--db", db]).stdout).unwrap()
}

/// (api, route) → (total, s403), counted from the NDJSON file without gatewatch's parser.
fn routes_in_file(path: &Path) -> BTreeMap<(String, String), (u64, u64)> {
    let mut out = BTreeMap::new();
    for line in BufReader::new(std::fs::File::open(path).unwrap()).lines() {
        let v: Value = serde_json::from_str(&line.unwrap()).unwrap();
        // The generator writes "-" for a missing value, as API Gateway does.
        let s = |k: &str| v.get(k).and_then(Value::as_str).filter(|x| *x != "-").map(str::to_string);
        let api = s("apiId").or(s("domainName")).unwrap_or("-".into());
        let route = match (s("routeKey"), s("resourcePath")) {
            (Some(k), _) => k,
            (None, Some(p)) => format!("{} {p}", s("httpMethod").unwrap()),
            (None, None) => "(none)".to_string(),
        };
        let status: u64 = match &v["status"] {
            Value::String(x) => x.parse().unwrap(),
            x => x.as_u64().unwrap(),
        };
        let e = out.entry((api, route)).or_insert((0, 0));
        e.0 += 1;
        e.1 += u64::from(status == 403);
    }
    out
}

fn report_json(db: &str, from: i64, to: i64) -> Value {
    let out =
        gw(&["report", "--db", db, "--from", &from.to_string(), "--to", &to.to_string(), "--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sum(lines: &Value, field: &str) -> u64 {
    lines.as_array().unwrap().iter().map(|l| l[field].as_u64().unwrap()).sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn report_numbers_match_the_store_and_the_input_on_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let now = generate(dir.path(), "now.ndjson", "11", START);
    let before = generate(dir.path(), "before.ndjson", "12", WEEK_BEFORE);
    let expected_routes = routes_in_file(&now);
    let pg = PgDb::new().await;
    for db in [sqlite_url(dir.path(), "report.db"), pg.url.clone()] {
        replay(&now, &db);
        replay(&before, &db);
        let store = Store::connect(&db).await.unwrap();
        let from = parse_time_param(START).unwrap();
        let to = floor_to(store.time_range().await.unwrap().unwrap().1, HOUR_MS) + HOUR_MS;
        let clients = store.client_totals(from, to).await.unwrap();
        let clients_before = store.client_totals(from - WEEK_MS, to - WEEK_MS).await.unwrap();
        let alerts = store.alerts_overlapping(from, to).await.unwrap();
        store.close().await;
        assert!(clients.total > 40_000 && clients_before.total > 40_000, "{db}: {clients:?}");

        let r = report_json(&db, from, to);
        assert_eq!(r["from"], START);
        assert_eq!(r["previous_from"], WEEK_BEFORE);
        // Totals, routes and countries all hold every request of the range exactly once.
        let t = &r["totals"];
        assert_eq!(t["total"].as_u64(), Some(clients.total), "{db}");
        assert_eq!(t["s403"].as_u64(), Some(clients.s403), "{db}");
        assert_eq!(t["week_over_week"]["previous"]["total"].as_u64(), Some(clients_before.total), "{db}");
        let change =
            (clients.total as f64 - clients_before.total as f64) * 100.0 / clients_before.total as f64;
        assert!((t["week_over_week"]["total_change_pct"].as_f64().unwrap() - change).abs() < 1e-9);
        let rate_403 = clients.s403 as f64 / clients.total as f64;
        assert!((t["rate_403"].as_f64().unwrap() - rate_403).abs() < 1e-12);
        assert_eq!(r["routes_omitted"], 0);
        assert_eq!(r["countries_omitted"], 0);
        for (field, want) in
            [("total", clients.total), ("s4xx", clients.s4xx), ("s403", clients.s403), ("s429", clients.s429)]
        {
            assert_eq!(sum(&r["routes"], field), want, "{db}: routes {field}");
            assert_eq!(sum(&r["countries"], field), want, "{db}: countries {field}");
        }
        // Each route as counted from the file, and its 403 rate.
        let routes = r["routes"].as_array().unwrap();
        assert_eq!(routes.len(), expected_routes.len(), "{db}");
        for l in routes {
            let key = (l["api"].as_str().unwrap().to_string(), l["route"].as_str().unwrap().to_string());
            let (total, s403) = expected_routes[&key];
            assert_eq!(l["total"].as_u64(), Some(total), "{db}: {key:?}");
            assert_eq!(l["s403"].as_u64(), Some(s403), "{db}: {key:?}");
            assert!((l["rate_403"].as_f64().unwrap() - s403 as f64 / total as f64).abs() < 1e-12);
            assert!(l["week_over_week"]["previous"]["total"].as_u64().unwrap() > 0, "{db}: {key:?}");
        }
        assert!(routes.windows(2).all(|w| w[0]["total"].as_u64() >= w[1]["total"].as_u64()), "busiest first");
        // Countries come from the real GeoIP database: more than one, few unknown.
        let countries = r["countries"].as_array().unwrap();
        assert!(countries.len() > 3, "{db}: {countries:?}");
        let unknown: u64 =
            countries.iter().filter(|c| c["country"] == "--").map(|c| c["total"].as_u64().unwrap()).sum();
        assert!(
            unknown * 10 < clients.total,
            "{db}: {unknown} of {} requests without a country",
            clients.total
        );
        // Alerts by rule count the alerts with evidence in the range.
        assert!(!alerts.is_empty(), "{db}: the generated attacks raise alerts");
        assert_eq!(sum(&r["alerts_by_rule"], "alerts"), alerts.len() as u64, "{db}");
        let severities: u64 =
            ["low", "medium", "high", "critical"].iter().map(|s| sum(&r["alerts_by_rule"], s)).sum();
        assert_eq!(severities, alerts.len() as u64);
        let offenders = r["top_offenders"].as_array().unwrap();
        let top = &offenders[0];
        let windows: u64 = alerts
            .iter()
            .filter(|a| {
                a.rule.as_str() == top["rule"]
                    && a.subject.kind.as_str() == top["subject"]["type"]
                    && a.subject.value == top["subject"]["value"]
            })
            .map(|a| a.count)
            .sum();
        assert_eq!(top["windows"].as_u64(), Some(windows), "{db}: {top}");

        // The other formats render the same report for people.
        let md = gw(&["report", "--db", &db, "--from", START, "--to", &to.to_string(), "--format", "md"]);
        let md = String::from_utf8(md.stdout).unwrap();
        assert!(md.contains("## Routes") && md.contains(&format!("| {} |", clients.total)), "{md}");
        let html_path = dir.path().join("report.html");
        gw(&[
            "report",
            "--db",
            &db,
            "--from",
            START,
            "--to",
            &to.to_string(),
            "--format",
            "html",
            "--output",
            html_path.to_str().unwrap(),
        ]);
        let html = std::fs::read_to_string(&html_path).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<h2>Countries</h2>"));
        assert!(!html.contains("<script") && !html.contains("<link"), "self-contained, no scripts");
    }
}

#[test]
fn bad_report_and_export_arguments_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path(), "none.db");
    gw(&["migrate", "--db", &db]);
    let fails = |args: &[&str], needle: &str| {
        let out = bin().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(err.contains(needle), "{args:?}: expected {needle:?} in {err}");
    };
    fails(&["report", "--db", &db, "--from", "yesterday", "--to", "0"], "--from");
    fails(&["report", "--db", &db, "--from", "0", "--to", "2026-13-01T00:00:00Z"], "--to");
    fails(&["report", "--db", &db, "--from", "10", "--to", "5"], "--to must be after --from");
    fails(&["report", "--db", &db, "--from", "0", "--to", "5", "--format", "pdf"], "--format");
    fails(&["export", "--db", &db, "--format", "csv", "--output", "x"], "--format");
    fails(&["export", "--db", &db, "--format", "parquet"], "--output");
    let file = dir.path().join("a-file");
    std::fs::File::create(&file).unwrap().write_all(b"x").unwrap();
    fails(
        &[
            "export",
            "--db",
            &db,
            "--format",
            "parquet",
            "--output",
            file.to_str().unwrap(),
            "--from",
            "0",
            "--to",
            "1",
        ],
        "--output",
    );
}

/// Reads an export directory with DuckDB (scripts/test installs it) and prints what it found.
const DUCKDB_READ: &str = r#"
import duckdb, json, sys
root = sys.argv[1]
q = lambda t: f"read_parquet('{root}/{t}/*/*.parquet', hive_partitioning = true)"
con = duckdb.connect()
rows, total, days, kind = con.execute(
    f"SELECT count(*), sum(total), list(DISTINCT CAST(day AS VARCHAR) ORDER BY CAST(day AS VARCHAR)), any_value(typeof(minute)) FROM {q('series')}"
).fetchone()
route_total = con.execute(f"SELECT sum(total) FROM {q('routes')}").fetchone()[0]
alerts = con.execute(f"SELECT count(DISTINCT id) FROM {q('alerts')}").fetchone()[0]
print(json.dumps({"series_rows": rows, "series_total": int(total), "days": days,
                  "minute_type": kind, "route_total": int(route_total), "alerts": alerts}))
"#;

/// Every row of `root/table/day=*/part-0.parquet`, with the partitions' days in order.
fn parquet_rows(root: &Path, table: &str) -> (u64, Vec<String>, Vec<Row>) {
    let mut days = Vec::new();
    let mut rows = Vec::new();
    let mut entries: Vec<_> =
        std::fs::read_dir(root.join(table)).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for d in entries {
        let name = d.file_name().unwrap().to_str().unwrap().to_string();
        let day = name.strip_prefix("day=").unwrap_or_else(|| panic!("Hive partition name: {name}"));
        days.push(day.to_string());
        rows.extend(read_parquet(&d.join("part-0.parquet")));
    }
    (rows.len() as u64, days, rows)
}

fn read_parquet(path: &Path) -> Vec<Row> {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect()
}

/// The named column's cell of a row.
fn cell<'a>(row: &'a Row, name: &str) -> &'a Field {
    row.get_column_iter().find(|(n, _)| n.as_str() == name).unwrap_or_else(|| panic!("no column {name}")).1
}

fn sum_u64(rows: &[Row], name: &str) -> u64 {
    rows.iter()
        .map(|r| match cell(r, name) {
            Field::ULong(n) => *n,
            other => panic!("{name} is not an unsigned 64-bit counter: {other:?}"),
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_day_partitions_that_read_back_with_the_stored_counts() {
    let dir = tempfile::tempdir().unwrap();
    // 30 hours: two days.
    let path = dir.path().join("two-days.ndjson");
    run_ok(&[
        "generate",
        "--format",
        "ndjson",
        "--out",
        path.to_str().unwrap(),
        "--seed",
        "5",
        "--clients",
        "100",
        "--minutes",
        "1800",
        "--rate",
        "20",
        "--start",
        "2026-11-24T12:00:00Z",
    ]);
    let pg = PgDb::new().await;
    for db in [sqlite_url(dir.path(), "export.db"), pg.url.clone()] {
        replay(&path, &db);
        let out = dir.path().join(format!("export-{}", db.len()));
        gw(&["export", "--db", &db, "--format", "parquet", "--output", out.to_str().unwrap()]);
        let store = Store::connect(&db).await.unwrap();
        let minutes = store.all_minutes().await.unwrap();
        let (lo, hi) = store.time_range().await.unwrap().unwrap();
        let alerts = store.alerts_first_seen(lo, hi + 60_000).await.unwrap();
        let routes = store.route_hours(i64::MIN, i64::MAX).await.unwrap();
        let countries = store.country_hours(i64::MIN, i64::MAX).await.unwrap();
        let totals = store.client_totals(i64::MIN, i64::MAX).await.unwrap();
        store.close().await;

        let (n, days, series) = parquet_rows(&out, "series");
        assert_eq!(n, minutes.len() as u64, "{db}: series rows");
        assert_eq!(days, ["2026-11-24", "2026-11-25"], "{db}");
        assert_eq!(sum_u64(&series, "total"), totals.total, "{db}: series totals");
        // Times are UTC millisecond timestamps, as Athena and DuckDB expect them.
        let first_file = out.join("series/day=2026-11-24/part-0.parquet");
        let reader = SerializedFileReader::new(std::fs::File::open(&first_file).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let minute = schema.columns().iter().find(|c| c.name() == "minute").unwrap();
        assert_eq!(minute.logical_type_ref(), Some(&LogicalType::timestamp(true, TimeUnit::MILLIS)), "{db}");
        // Every row lies in its partition's day.
        let last = read_parquet(&first_file)
            .iter()
            .map(|r| match cell(r, "minute") {
                Field::TimestampMillis(ms) => *ms,
                other => panic!("minute is not a timestamp: {other:?}"),
            })
            .max()
            .unwrap();
        assert!(last < parse_time_param("2026-11-25T00:00:00Z").unwrap());
        assert!(last >= parse_time_param("2026-11-24T12:00:00Z").unwrap());

        let (n, _, routes_df) = parquet_rows(&out, "routes");
        assert_eq!(n, routes.len() as u64, "{db}: route rows");
        assert_eq!(sum_u64(&routes_df, "total"), totals.total, "{db}: route totals");
        let (n, _, _) = parquet_rows(&out, "countries");
        assert_eq!(n, countries.len() as u64, "{db}: country rows");
        let (n, _, alerts_df) = parquet_rows(&out, "alerts");
        assert_eq!(n, alerts.len() as u64, "{db}: alert rows");
        assert!(n > 0);
        let ids: std::collections::BTreeSet<String> = alerts_df
            .iter()
            .map(|r| match cell(r, "id") {
                Field::Str(id) => id.clone(),
                other => panic!("id is not text: {other:?}"),
            })
            .collect();
        assert_eq!(ids, alerts.iter().map(|a| a.id.clone()).collect(), "{db}");

        // DuckDB reads the export as a user would: Hive day partitions, UTC timestamps.
        let duck = std::process::Command::new("python3")
            .args(["-c", DUCKDB_READ, out.to_str().unwrap()])
            .output()
            .expect("python3 runs");
        assert!(duck.status.success(), "DuckDB: {}", String::from_utf8_lossy(&duck.stderr));
        let duck: Value = serde_json::from_slice(&duck.stdout).unwrap();
        assert_eq!(duck["series_rows"], minutes.len() as u64, "{db}: {duck}");
        assert_eq!(duck["series_total"], totals.total, "{db}: {duck}");
        assert_eq!(duck["route_total"], totals.total, "{db}: {duck}");
        assert_eq!(duck["alerts"], alerts.len() as u64, "{db}: {duck}");
        assert_eq!(duck["days"], serde_json::json!(["2026-11-24", "2026-11-25"]), "{db}: {duck}");
        assert_eq!(duck["minute_type"], "TIMESTAMP WITH TIME ZONE", "{db}: {duck}");

        // Exporting again replaces the files: the same rows, not twice as many.
        gw(&["export", "--db", &db, "--format", "parquet", "--output", out.to_str().unwrap()]);
        assert_eq!(parquet_rows(&out, "series").0, minutes.len() as u64);
    }
}

/// A crash leaves a committed prefix of the input (its checkpoint commits with its rows);
/// replaying the whole input then, and once more, counts every request exactly once in the
/// route and country hours, as in the client series.
#[tokio::test(flavor = "multi_thread")]
async fn a_replay_after_a_crash_and_a_second_replay_count_route_hours_once() {
    let dir = tempfile::tempdir().unwrap();
    let full = generate(dir.path(), "full.ndjson", "21", START);
    let text = std::fs::read_to_string(&full).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let prefix = dir.path().join("prefix.ndjson");
    std::fs::write(&prefix, lines[..lines.len() * 2 / 5].join("\n") + "\n").unwrap();
    let expected = routes_in_file(&full);
    let pg = PgDb::new().await;
    for db in [sqlite_url(dir.path(), "crash.db"), pg.url.clone()] {
        // The prefix has the same fingerprint as the file: the full replay resumes after it.
        let mut cmd = bin();
        cmd.env("GATEWATCH_GEOIP__DIR", geoip_dir()).env("GATEWATCH_INGEST__BATCH_EVENTS", "1000");
        run_cmd_ok(cmd, &["replay", "--input", prefix.to_str().unwrap(), "--db", &db]);
        let out = gw(&["replay", "--input", full.to_str().unwrap(), "--db", &db]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("already committed units skipped") && !err.contains(" 0 already committed"),
            "{err}"
        );
        let again = gw(&["replay", "--input", full.to_str().unwrap(), "--db", &db]);
        assert!(String::from_utf8_lossy(&again.stderr).contains(": 0 events"));

        let store = Store::connect(&db).await.unwrap();
        let mut got: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
        for r in store.route_hours(i64::MIN, i64::MAX).await.unwrap() {
            let e = got.entry((r.api, r.route)).or_default();
            e.0 += r.counts.total;
            e.1 += r.counts.s403;
        }
        let countries: u64 =
            store.country_hours(i64::MIN, i64::MAX).await.unwrap().iter().map(|c| c.counts.total).sum();
        let clients = store.client_totals(i64::MIN, i64::MAX).await.unwrap();
        store.close().await;
        assert_eq!(got, expected, "{db}: route hours");
        assert_eq!(countries, lines.len() as u64, "{db}: country hours");
        assert_eq!(clients.total, lines.len() as u64, "{db}: client series");
    }
}
