//! The web dashboard in a real browser: generated traffic with attacks is replayed into a SQLite
//! store, `gatewatch serve` serves it, and headless Chromium (Debian's `chromium`, or the binary
//! named by `GATEWATCH_TEST_CHROMIUM`) loads the page under its Content-Security-Policy. The
//! rendered DOM must show the alerts, top clients and an alert's evidence and chart exactly as
//! the API holds them; screenshots are kept under the target directory for a human to look at.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::*;

fn api_token(db: &str) -> String {
    create_token(db, "admin")
}

struct Server(Child, String);

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = bin().args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("server exited before listening").unwrap();
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Server(child, addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Minimal HTTP/1.1 GET with the bearer token: (status, headers, body).
fn http_get(addr: &str, path: &str, token: &str) -> (u16, String, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn get_json(addr: &str, path: &str, token: &str) -> Value {
    let (status, _, body) = http_get(addr, path, token);
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
}

fn chromium() -> PathBuf {
    let path = std::env::var_os("GATEWATCH_TEST_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "{} not found: the dashboard test needs Chromium (Debian: apt-get install chromium; or set \
         GATEWATCH_TEST_CHROMIUM)",
        path.display()
    );
    path
}

/// Runs headless Chromium on `url` with a fresh profile; `extra` adds `--dump-dom` or
/// `--screenshot=…`. Returns (stdout, stderr); fails the test after 90 s.
fn browse(url: &str, extra: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--log-level=0",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).unwrap();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).unwrap();
        String::from_utf8_lossy(&s).into_owned()
    });
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 90 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (stdout, stderr) = (reader.join().unwrap(), err_reader.join().unwrap());
    // The page must run under its policy: a violation means an inline script, style or handler.
    let violations: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("Content Security Policy") || l.contains("Refused to"))
        .collect();
    assert!(violations.is_empty(), "CSP violations on {url}:\n{}", violations.join("\n"));
    let uncaught: Vec<&str> = stderr.lines().filter(|l| l.contains("Uncaught")).collect();
    assert!(uncaught.is_empty(), "script errors on {url}:\n{}", uncaught.join("\n"));
    (stdout, stderr)
}

/// Text as the serialised DOM spells it.
fn html_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\u{a0}', "&nbsp;")
}

/// The element starting at the first `marker`, up to the end of the tag `close`.
fn fragment<'a>(dom: &'a str, marker: &str, close: &str) -> &'a str {
    let start = dom.find(marker).unwrap_or_else(|| panic!("{marker} not in the page:\n{dom}"));
    let end = dom[start..].find(close).map_or(dom.len(), |e| start + e + close.len());
    &dom[start..end]
}

fn screenshot(url: &str, path: &Path, width: u32, height: u32) {
    let _ = std::fs::remove_file(path);
    browse(url, &[&format!("--screenshot={}", path.display()), &format!("--window-size={width},{height}")]);
    let png = std::fs::read(path).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", path.display()));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", path.display());
    // A blank 1280x900 page compresses to a few KiB; a rendered dashboard is far larger.
    assert!(png.len() > 30_000, "{} is only {} bytes: is the page empty?", path.display(), png.len());
}

#[test]
fn dashboard_renders_alerts_top_clients_evidence_and_chart_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let traffic = dir.path().join("traffic.ndjson");
    run_ok(&[
        "generate",
        "--out",
        traffic.to_str().unwrap(),
        "--seed",
        "11",
        "--clients",
        "300",
        "--minutes",
        "90",
        "--rate",
        "500",
    ]);
    let db = sqlite_url(dir.path(), "dash.db");
    run_ok(&["replay", "--input", traffic.to_str().unwrap(), "--db", &db]);
    let token = api_token(&db);
    let server = Server::start(&["serve", "--listen", "127.0.0.1:0", "--db", &db]);
    let addr = server.1.clone();

    // The page and its assets: served without a token, with their types and the policy.
    for (path, ty) in [
        ("/", "content-type: text/html"),
        ("/assets/app.js", "content-type: text/javascript"),
        ("/assets/app.css", "content-type: text/css"),
    ] {
        let (status, head, _) = http_get(&addr, path, "");
        assert_eq!(status, 200, "{path}");
        assert!(head.contains(ty), "{path}: {head}");
        assert!(
            head.contains("content-security-policy: default-src 'none'; script-src 'self'"),
            "{path}: {head}"
        );
    }

    // What the store holds, through the API.
    let open = get_json(&addr, "/v1/alerts?status=open&limit=100", &token);
    let open = open["alerts"].as_array().unwrap().clone();
    assert!(!open.is_empty(), "the generated attacks leave open alerts");
    let stats = get_json(&addr, "/v1/stats", &token);
    let newest = chrono::DateTime::parse_from_rfc3339(stats["last_event_minute"].as_str().unwrap()).unwrap();
    let to = (newest + chrono::Duration::minutes(1)).timestamp_millis();
    let from = (newest - chrono::Duration::hours(6)).timestamp_millis();
    let top403 = get_json(&addr, &format!("/v1/clients?metric=s403&limit=10&from={from}&to={to}"), &token);
    let top403 = &top403["clients"][0];
    assert!(top403["s403"].as_u64().unwrap() > 0, "{top403}");

    // Overview: the token arrives in the fragment; every open alert is a row with its rule,
    // subject and evidence summary; pipeline health and top clients are filled in.
    let base = format!("http://{addr}/");
    let (dom, _) = browse(&format!("{base}#token={token}"), &["--dump-dom"]);
    assert!(dom.contains("Pipeline health"), "{dom}");
    assert!(!dom.contains(&token), "the token must not end up in the page");
    for a in &open {
        let id = a["id"].as_str().unwrap();
        let row = fragment(&dom, &format!("data-alert-id=\"{id}\""), "</tr>");
        for text in [
            a["rule"].as_str().unwrap(),
            a["subject"]["value"].as_str().unwrap(),
            a["severity"].as_str().unwrap(),
        ] {
            assert!(
                row.contains(&format!(">{}<", html_text(text))),
                "{text} missing in the row of {id}: {row}"
            );
        }
        let summary = a["evidence"]["summary"].as_str().unwrap();
        assert!(row.contains(&html_text(summary)), "summary missing in the row of {id}: {row}");
        assert!(row.contains(&format!("href=\"#/alerts/{id}\"")), "{row}");
    }
    let card = fragment(&dom, "id=\"top-s403\"", "</section>");
    assert!(card.contains(&html_text(top403["client"]["value"].as_str().unwrap())), "{card}");
    assert!(card.contains(&format!(">{}<", top403["s403"])), "{card}");

    // The alert page of a client's alert (all alerts but network ones have a client subject).
    let all = get_json(&addr, "/v1/alerts?limit=100", &token);
    let alert = all["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["rule"] == "brute_force")
        .or_else(|| open.iter().find(|a| a["subject"]["type"] != "asn" && a["subject"]["type"] != "route"))
        .expect("an alert about a client")
        .clone();
    let id = alert["id"].as_str().unwrap();
    let alert_url = format!("{base}#/alerts/{id}?token={token}");
    let (dom, _) = browse(&alert_url, &["--dump-dom"]);
    let summary = fragment(&dom, "id=\"evidence-summary\"", "</p>");
    assert!(summary.contains(&html_text(alert["evidence"]["summary"].as_str().unwrap())), "{summary}");
    let evidence = fragment(&dom, "id=\"evidence\"", "</section>");
    if let Some(ids) = alert["evidence"]["sample_request_ids"].as_array() {
        for rid in ids {
            assert!(
                evidence.contains(&html_text(rid.as_str().unwrap())),
                "request id {rid} missing: {evidence}"
            );
        }
    }
    let fields = fragment(&dom, "id=\"alert\"", "</section>");
    for key in ["rule", "kind", "severity", "status"] {
        assert!(fields.contains(&format!(">{}<", alert[key].as_str().unwrap())), "{key}: {fields}");
    }

    // The chart holds one point per minute from 30 min before first_seen to 30 min after
    // last_seen, and its lines follow the series the API gives.
    let chart = fragment(&dom, "<svg class=\"chart\"", "</svg>");
    let minute = |k: &str| {
        let t = chrono::DateTime::parse_from_rfc3339(alert[k].as_str().unwrap()).unwrap().timestamp();
        t - t.rem_euclid(60)
    };
    let expected_points = (minute("last_seen") + 60 + 30 * 60 - (minute("first_seen") - 30 * 60)) / 60;
    assert!(
        chart.contains(&format!("data-points=\"{expected_points}\"")),
        "{expected_points} points: {chart}"
    );
    let total = fragment(chart, "data-series=\"total\"", ">");
    let coords = total.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
    let ys: Vec<f64> =
        coords.split(' ').map(|p| p.split(',').nth(1).unwrap().parse::<f64>().unwrap()).collect();
    assert_eq!(ys.len() as i64, expected_points, "{total}");
    let (lo, hi) = ys.iter().fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
    assert!(hi - lo > 50.0, "the total line should rise over the alert: {total}");
    for series in ["s4xx", "s403", "s429"] {
        assert!(chart.contains(&format!("data-series=\"{series}\"")), "{series} line missing: {chart}");
    }

    // Screenshots for people (and a check that something was painted).
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dashboard");
    std::fs::create_dir_all(&shots).unwrap();
    screenshot(&format!("{base}#token={token}"), &shots.join("overview.png"), 1280, 900);
    screenshot(&alert_url, &shots.join("alert.png"), 1280, 900);
    screenshot(&alert_url, &shots.join("alert-narrow.png"), 420, 900);
    drop(server);
}

/// The metrics the Grafana dashboards may query: the names gatewatch exports (see
/// dashboards/README.md). Histograms are listed by family name.
const EXPORTED_METRICS: &[&str] = &[
    "gatewatch_events_ingested_total",
    "gatewatch_bytes_ingested_total",
    "gatewatch_batches_committed_total",
    "gatewatch_source_lag_seconds",
    "gatewatch_source_seconds_since_commit",
    "gatewatch_dead_letters_total",
    "gatewatch_scrub_hits_total",
    "gatewatch_alerts_raised_total",
    "gatewatch_alerts",
    "gatewatch_last_event_timestamp_seconds",
    "gatewatch_forward_delivered_total",
    "gatewatch_forward_pending",
    "gatewatch_forward_parked",
    "gatewatch_http_request_duration_seconds",
    "gatewatch_http_rate_limited_total",
];
const HISTOGRAMS: &[&str] = &["gatewatch_http_request_duration_seconds"];

/// Metric families named in a PromQL expression (`_bucket`/`_sum`/`_count` of a histogram
/// count as the histogram).
fn metric_families(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = expr;
    while let Some(i) = rest.find("gatewatch_") {
        let name: String = rest[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        rest = &rest[i + name.len()..];
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .filter_map(|suffix| name.strip_suffix(suffix))
            .find(|base| HISTOGRAMS.contains(base))
            .map_or_else(|| name.clone(), str::to_string);
        out.push(family);
    }
    out
}

#[test]
fn grafana_dashboards_query_only_exported_metrics_through_the_datasource_variable() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards");
    let mut used = std::collections::BTreeSet::new();
    let mut uids = Vec::new();
    for file in ["gatewatch-pipeline.json", "gatewatch-abuse.json"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let d: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(d["schemaVersion"].as_u64().unwrap() >= 39, "{file}: schemaVersion");
        assert!(d["title"].as_str().is_some_and(|t| t.starts_with("gatewatch")), "{file}: title");
        uids.push(d["uid"].as_str().unwrap().to_string());
        let vars = d["templating"]["list"].as_array().unwrap();
        assert!(
            vars.iter().any(|v| v["name"] == "DS_PROMETHEUS"
                && v["type"] == "datasource"
                && v["query"] == "prometheus"),
            "{file}: a DS_PROMETHEUS datasource variable"
        );
        let ds = serde_json::json!({"type": "prometheus", "uid": "${DS_PROMETHEUS}"});
        let mut ids = std::collections::BTreeSet::new();
        let mut exprs = Vec::new();
        for v in vars.iter().filter(|v| v["type"] == "query") {
            assert_eq!(v["datasource"], ds, "{file}: variable {}", v["name"]);
            exprs.push(v["definition"].as_str().unwrap().to_string());
        }
        for p in d["panels"].as_array().unwrap() {
            let title = p["title"].as_str().unwrap_or("?");
            assert!(ids.insert(p["id"].as_u64().unwrap()), "{file}: panel id repeated ({title})");
            let g = &p["gridPos"];
            assert!(
                g["x"].as_u64().unwrap() + g["w"].as_u64().unwrap() <= 24,
                "{file}: {title} is wider than the grid"
            );
            if p["type"] == "row" {
                continue;
            }
            assert_eq!(p["datasource"], ds, "{file}: {title}");
            let targets = p["targets"].as_array().unwrap();
            assert!(!targets.is_empty(), "{file}: {title} has no query");
            for t in targets {
                assert_eq!(t["datasource"], ds, "{file}: {title}");
                exprs.push(t["expr"].as_str().unwrap().to_string());
            }
        }
        for e in &exprs {
            let families = metric_families(e);
            assert!(!families.is_empty(), "{file}: `{e}` queries no gatewatch metric");
            for f in families {
                assert!(
                    EXPORTED_METRICS.contains(&f.as_str()),
                    "{file}: `{e}` queries {f}, which gatewatch does not export"
                );
                used.insert(f);
            }
        }
    }
    assert_ne!(uids[0], uids[1]);
    let unused: Vec<_> = EXPORTED_METRICS.iter().filter(|m| !used.contains(**m)).collect();
    assert!(unused.is_empty(), "metrics no dashboard shows: {unused:?}");

    // That /metrics really exports each of them is checked against a running `run` in
    // tests/live.rs (`firehose_receiver_acknowledges_after_commit_and_drops_retries`).
}
