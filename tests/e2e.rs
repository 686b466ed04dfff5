//! End-to-end tests: the real `gatewatch` binary against real SQLite files and the local
//! PostgreSQL server (`GATEWATCH_TEST_PG`, default `postgres://postgres@127.0.0.1:5432/postgres`;
//! each test creates and drops its own database). Expected values are computed here, from the
//! input files, by code independent of gatewatch's parsers.

use base64::Engine as _;
use flate2::Compression;
use flate2::write::GzEncoder;
use gatewatch_store::MinuteRow;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

mod common;
use common::*;

const GEN: &[&str] = &["--seed", "11", "--clients", "300", "--minutes", "90", "--rate", "500"];

fn generate(dir: &Path, format: &str) -> PathBuf {
    generate_with_plan(dir, format).0
}

/// Generates traffic; also returns the injected attacks as (rule, subject) from stderr.
fn generate_with_plan(dir: &Path, format: &str) -> (PathBuf, Vec<(String, String)>) {
    let path = dir.join(format!("traffic.{format}"));
    let mut args = vec!["generate", "--format", format, "--out", path.to_str().unwrap()];
    args.extend_from_slice(GEN);
    let out = run_ok(&args);
    let plan = String::from_utf8(out.stderr)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("attack "))
        .map(|l| {
            let mut w = l.split(' ');
            (w.next().unwrap().to_string(), w.next().unwrap().to_string())
        })
        .collect();
    (path, plan)
}

fn replay(input: &Path, db: &str, extra: &[&str]) -> String {
    let mut args = vec!["replay", "--input", input.to_str().unwrap(), "--db", db];
    args.extend_from_slice(extra);
    String::from_utf8(run_ok(&args).stderr).unwrap()
}

/// Latency max exactly; distinct paths and latency p50 within sketch error, which depends on
/// how the events were split into batches (merge order; batches also cut on time, so the split
/// varies between runs). HLL lg_k=11 has a relative standard error of 1.04/√2048 ≈ 2.3 %: the
/// bound is three of those.
fn assert_same_sketches(a: &[MinuteRow], b: &[MinuteRow], what: &str) {
    let exact = |rows: &[MinuteRow]| -> BTreeMap<(String, i64), Option<f64>> {
        rows.iter().map(|r| ((r.client.to_string(), r.minute), r.agg.latency_max_ms)).collect()
    };
    assert_same(&exact(a), &exact(b), what);
    for (x, y) in a.iter().zip(b) {
        let (p, q) = (x.agg.distinct_paths() as f64, y.agg.distinct_paths() as f64);
        assert!(
            (p - q).abs() <= 1.0 + 0.07 * p.max(q),
            "{what}: distinct paths {p} vs {q} for {} at {}",
            x.client,
            x.minute
        );
        let (p, q) = (x.agg.latency_p50_ms().unwrap_or(0.0), y.agg.latency_p50_ms().unwrap_or(0.0));
        assert!(
            (p - q).abs() <= 1.0 + 0.05 * p.max(q),
            "{what}: p50 {p} vs {q} for {} at {}",
            x.client,
            x.minute
        );
    }
}

/// Counts the NDJSON file directly: identity principal → apiKeyId → userArn/caller/user → ip.
fn direct_count(ndjson: &Path) -> Totals {
    let mut out = Totals::new();
    let mut ips: BTreeMap<(String, i64), std::collections::BTreeSet<String>> = BTreeMap::new();
    for line in BufReader::new(std::fs::File::open(ndjson).unwrap()).lines() {
        let v: Value = serde_json::from_str(&line.unwrap()).unwrap();
        let get = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| *s != "-" && !s.is_empty());
        let client = if let Some(p) = get("principalId") {
            format!("principal:{p}")
        } else if let Some(k) = get("apiKeyId") {
            format!("api_key:{k}")
        } else if let Some(i) = get("userArn").or(get("caller")).or(get("user")) {
            format!("iam:{i}")
        } else {
            format!("ip:{}", get("ip").unwrap())
        };
        let ms = match get("requestTimeEpoch") {
            Some(e) => e.parse::<i64>().unwrap(),
            None => chrono::DateTime::parse_from_str(get("requestTime").unwrap(), "%d/%b/%Y:%H:%M:%S %z")
                .unwrap()
                .timestamp_millis(),
        };
        let minute = ms - ms.rem_euclid(60_000);
        let status: u64 = get("status").unwrap().parse().unwrap();
        let bytes: u64 = get("responseLength").map_or(0, |b| b.parse().unwrap());
        let e = out.entry((client.clone(), minute)).or_default();
        e[0] += 1;
        e[1] += (200..300).contains(&status) as u64;
        e[2] += (400..500).contains(&status) as u64;
        e[3] += (status == 401) as u64;
        e[4] += (status == 403) as u64;
        e[5] += (status == 404) as u64;
        e[6] += (status == 429) as u64;
        e[7] += (500..600).contains(&status) as u64;
        e[8] += bytes;
        ips.entry((client, minute)).or_default().insert(get("ip").unwrap().to_string());
    }
    for (k, set) in ips {
        out.get_mut(&k).unwrap()[9] = set.len() as u64;
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn all_formats_give_the_same_series_as_a_direct_count_on_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let ndjson = generate(dir.path(), "ndjson");
    let cwl_gz = generate(dir.path(), "cwl-gzip");
    let cwl_b64 = generate(dir.path(), "cwl-base64");
    let clf = generate(dir.path(), "clf");

    let expected = direct_count(&ndjson);
    assert!(expected.len() > 1000, "the dataset should be non-trivial ({} client-minutes)", expected.len());

    let db_nd = sqlite_url(dir.path(), "nd.db");
    let summary = replay(&ndjson, &db_nd, &[]);
    assert!(summary.contains(" 0 dead letters"), "{summary}");
    let nd = minutes(&db_nd).await;
    assert_same(&totals(&nd), &expected, "ndjson replay vs direct count");

    for (input, name) in [(&cwl_gz, "gz.db"), (&cwl_b64, "b64.db")] {
        let db = sqlite_url(dir.path(), name);
        let summary = replay(input, &db, &["--format", "cwl"]);
        assert!(summary.contains(" 0 dead letters"), "{summary}");
        let rows = minutes(&db).await;
        assert_same(&totals(&rows), &expected, name);
        assert_same_sketches(&rows, &nd, name);
    }

    // CLF carries no principal or API key: compare with the NDJSON counted by source IP only.
    let ip_only = dir.path().join("ip-only.toml");
    std::fs::write(&ip_only, "[identity]\norder = [\"ip\"]\n").unwrap();
    let cfg = ["--config", ip_only.to_str().unwrap()];
    let (db_clf, db_nd_ip) = (sqlite_url(dir.path(), "clf.db"), sqlite_url(dir.path(), "nd-ip.db"));
    replay(&clf, &db_clf, &cfg);
    replay(&ndjson, &db_nd_ip, &cfg);
    let (clf_rows, nd_ip_rows) = (minutes(&db_clf).await, minutes(&db_nd_ip).await);
    assert!(clf_rows.iter().all(|r| r.client.kind == gatewatch_core::ClientKind::Ip));
    assert_same(&totals(&clf_rows), &totals(&nd_ip_rows), "clf vs ndjson by ip");

    // PostgreSQL: the same files give the same series.
    let pg = PgDb::new().await;
    replay(&ndjson, &pg.url, &[]);
    replay(&cwl_gz, &pg.url, &["--source", "cwl-copy"]);
    let pg_rows = minutes(&pg.url).await;
    let doubled: Totals = expected
        .iter()
        .map(|(k, v)| {
            let mut d = *v;
            for x in d.iter_mut().take(9) {
                *x *= 2;
            }
            (k.clone(), d)
        })
        .collect();
    assert_same(&totals(&pg_rows), &doubled, "postgres: two sources of the same traffic add up");
}

#[tokio::test(flavor = "multi_thread")]
async fn replaying_the_same_input_twice_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let ndjson = generate(dir.path(), "ndjson");
    let expected = direct_count(&ndjson);
    let pg = PgDb::new().await;
    for db in [sqlite_url(dir.path(), "twice.db"), pg.url.clone()] {
        replay(&ndjson, &db, &[]);
        let second = replay(&ndjson, &db, &["--format", "ndjson"]);
        assert!(second.contains(": 0 events"), "second replay must skip everything: {second}");
        // The same bytes through stdin have the same fingerprint.
        let out = bin()
            .args(["replay", "--input", "-", "--db", &db])
            .stdin(std::fs::File::open(&ndjson).unwrap())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_same(&totals(&minutes(&db).await), &expected, &db);
    }
}

/// Kills `gatewatch replay` with SIGKILL at `kills` random instants, restarting it each time,
/// then lets it finish: the store must hold exactly what a direct count of the input says, with
/// nothing lost and nothing counted twice. Returns how many kills landed mid-stream (after
/// some batches had committed and before the last).
/// `scratch` is an empty store of the same kind, used to time a clean run.
async fn replay_under_kills(
    input: &Path,
    db: &str,
    scratch: &str,
    expected: &Totals,
    kills: usize,
    seed: u64,
) -> usize {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let total: u64 = expected.values().map(|v| v[0]).sum();
    let replay_cmd_for = |db: &str| {
        let mut c = bin();
        // Small batches: many commits, so a kill can land between any two of them.
        c.env("GATEWATCH_INGEST__BATCH_EVENTS", "300")
            .args(["replay", "--input", input.to_str().unwrap(), "--db", db])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c
    };
    let replay_cmd = || replay_cmd_for(db);
    let committed = |db: String| async move {
        if db.strip_prefix("sqlite://").is_some_and(|p| !Path::new(p).exists()) {
            return 0; // killed before the store was created
        }
        let store = Store::connect(&db).await.unwrap();
        let q = "SELECT CAST(COALESCE(SUM(events), 0) AS BIGINT) FROM checkpoints";
        let n: Result<i64, sqlx::Error> = match &store {
            Store::Sqlite(p) => sqlx::query_scalar(q).fetch_one(p).await,
            Store::Postgres(p) => sqlx::query_scalar(q).fetch_one(p).await,
        };
        store.close().await;
        // Killed before the first run migrated the store: no table, nothing committed.
        match n {
            Err(e) if e.to_string().contains("no such table") || e.to_string().contains("does not exist") => {
                0
            }
            other => other.unwrap() as u64,
        }
    };
    // Instants scale with this machine and this build: time a clean run into a scratch store
    // (`startup` is a second run that finds everything committed), then aim most kills at
    // the batch commits, spaced so that the kills together span the whole input, and some at
    // the start-up (migrations, the skip of what is committed).
    let (startup, work) = {
        let timed = || {
            let t = std::time::Instant::now();
            let out = replay_cmd_for(scratch).output().unwrap();
            assert!(out.status.success(), "calibration replay: {}", String::from_utf8_lossy(&out.stderr));
            t.elapsed().as_millis() as u64
        };
        let full = timed();
        let startup = timed();
        (startup.max(20), full.saturating_sub(startup).max(kills as u64 * 10))
    };
    eprintln!("calibration: start-up {startup} ms, work {work} ms");
    let mut mid_stream = 0;
    let mut before = 0;
    for i in 0..kills {
        let mut child = replay_cmd().spawn().unwrap();
        let delay = if rng.random_ratio(1, 4) {
            rng.random_range(5..=startup)
        } else {
            startup + rng.random_range(0..=2 * work / kills as u64)
        };
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL: no final commit, no cleanup
        child.wait().unwrap();
        let now = committed(db.to_string()).await;
        assert!(now >= before, "kill {i}: committed events went down ({before} → {now})");
        assert!(now <= total, "kill {i}: {now} events committed, more than the {total} in the input");
        if !finished && now > before && now < total {
            mid_stream += 1;
        }
        eprintln!("kill {i} after {delay} ms: {now}/{total} committed");
        before = now;
    }
    let out = replay_cmd().output().unwrap();
    assert!(out.status.success(), "the last replay failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(committed(db.to_string()).await, total, "checkpoints count every event once");
    assert_same(&totals(&minutes(db).await), expected, &format!("{db} after {kills} kills"));
    let store = Store::connect(db).await.unwrap();
    let dead = store.dead_letters(10).await.unwrap();
    store.close().await;
    assert!(dead.is_empty(), "no dead letters in clean generated traffic: {dead:?}");
    mid_stream
}

#[tokio::test(flavor = "multi_thread")]
async fn replay_killed_at_random_instants_counts_each_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let ndjson = generate(dir.path(), "ndjson");
    let expected = direct_count(&ndjson);
    let seed: u64 = std::env::var("GATEWATCH_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| chrono::Utc::now().timestamp_millis() as u64);
    eprintln!("kill instants from seed {seed} (GATEWATCH_TEST_SEED={seed} repeats them)");
    let (pg, pg_scratch) = (PgDb::new().await, PgDb::new().await);
    for (db, scratch) in [
        (sqlite_url(dir.path(), "killed.db"), sqlite_url(dir.path(), "scratch.db")),
        (pg.url.clone(), pg_scratch.url.clone()),
    ] {
        let mid = replay_under_kills(&ndjson, &db, &scratch, &expected, 20, seed).await;
        assert!(mid >= 5, "{db}: only {mid} of 20 kills landed mid-stream; the test proves nothing");
    }
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_input_goes_to_dead_letters_and_the_replay_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"requestId":"r1","ip":"198.51.100.7","requestTimeEpoch":"1795531253000","httpMethod":"GET","routeKey":"GET /x","status":"200","responseLength":"10"}"#;
    let secret = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNlY3JldA";
    let mut nd = Vec::new();
    let mut push = |b: &[u8]| {
        nd.extend_from_slice(b);
        nd.push(b'\n');
    };
    push(good.as_bytes());
    push(b"{\"ip\":\"198.51.100.7\",\"status\":\"200\",\"requestTimeEpoch\":\"1795531253000\",\"path\":\"/\xff\xfe\"}");
    push(&vec![b'a'; 10 << 20]);
    push(br#"{"ip":"198.51.100.7","status":{"code":200},"requestTimeEpoch":"1795531253000"}"#);
    push(br#"{"ip":"198.51.100.7","status":"200"}"#);
    push(
        format!(r#"{{"ip":"198.51.100.7","status":"{secret}","requestTimeEpoch":"1795531253000"}}"#)
            .as_bytes(),
    );
    push(format!("{{\"x\":{}{}}}", "[".repeat(200_000), "]".repeat(200_000)).as_bytes());
    push(br#"{"ip":"198.51.100.7","status":"200","requestTimeEpoch":"4102444800000"}"#);
    push(good.replace("r1", "r2").as_bytes());
    let nd_path = dir.path().join("hostile.ndjson");
    std::fs::write(&nd_path, &nd).unwrap();

    let control = br#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1795531253000,"message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}"#;
    let data = serde_json::json!({"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"g","logStream":"s",
        "subscriptionFilters":["f"],"logEvents":[{"id":"1","timestamp":1795531253000i64,"message":good}]})
    .to_string();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut truncated = gz(data.as_bytes());
    truncated.truncate(truncated.len() / 2);
    let cwl = [
        b64(&gz(control)),
        b64(&gz(data.as_bytes())),
        b64(&truncated),
        "!!not base64!!".into(),
        b64(&gz(data.as_bytes())),
    ]
    .join("\n");
    let cwl_path = dir.path().join("hostile.b64");
    std::fs::write(&cwl_path, cwl).unwrap();

    let mut raw = gz(data.as_bytes());
    raw.extend(gz(data.as_bytes()));
    raw.truncate(raw.len() - 7);
    let raw_path = dir.path().join("truncated.gz");
    std::fs::write(&raw_path, raw).unwrap();

    let db = sqlite_url(dir.path(), "hostile.db");
    let s1 = replay(&nd_path, &db, &[]);
    assert!(s1.contains(": 2 events") && s1.contains("7 dead letters"), "{s1}");
    let s2 = replay(&cwl_path, &db, &[]);
    assert!(s2.contains(": 2 events") && s2.contains("2 dead letters"), "{s2}");
    let s3 = replay(&raw_path, &db, &[]);
    assert!(s3.contains(": 1 events") && s3.contains("1 dead letters"), "{s3}");

    let store = Store::connect(&db).await.unwrap();
    let dead = store.dead_letters(100).await.unwrap();
    let reasons: Vec<String> = dead.iter().map(|d| format!("{} | {}", d.position, d.reason)).collect();
    assert_eq!(dead.len(), 10, "{reasons:#?}");
    for needle in [
        "line 2 |",
        "line 3 | line of 10485760 bytes",
        "line 4 | invalid JSON access log: field `status`",
        "line 5 | missing timestamp",
        "line 6 | field `status`: not a number",
        "line 7 | missing field `status`",
        "line 8 | timestamp",
        "invalid base64",
        "bad gzip",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(needle)),
            "no dead letter matching `{needle}`: {reasons:#?}"
        );
    }
    assert!(
        dead.iter()
            .all(|d| !d.reason.contains(secret) && !d.excerpt.as_deref().unwrap_or("").contains(secret)),
        "dead letters must not carry the secret: {dead:#?}"
    );
    assert!(
        dead.iter().any(|d| d.excerpt.as_deref().is_some_and(|e| e.contains("[REDACTED:jwt:"))),
        "{dead:#?}"
    );
    let rows = store.all_minutes().await.unwrap();
    assert_eq!(rows.iter().map(|r| r.agg.counts.total).sum::<u64>(), 5);
}

/// `(events, dead letters, peak RSS MiB)` from a replay summary line.
fn summary_figures(summary: &str) -> (u64, u64, f64) {
    let line = summary.lines().find(|l| l.starts_with("replayed ")).unwrap_or_else(|| panic!("{summary}"));
    let field = |suffix: &str| -> f64 {
        line.split(", ")
            .find_map(|part| part.rsplit(": ").next()?.strip_suffix(suffix)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no `{suffix}` in {line}"))
    };
    (field(" events") as u64, field(" dead letters") as u64, field(" MiB peak RSS"))
}

/// One gzip member of `n` zero bytes, repeated `times`: a small file that inflates to n×times.
fn gzip_bomb(n: usize, times: usize) -> Vec<u8> {
    let member = gz(&vec![0u8; n]);
    member.repeat(times)
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_corpus_mixed_into_real_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let real: Vec<String> = std::fs::read_to_string(generate(dir.path(), "ndjson"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let t = "1795531253000";
    // Every one of these must become a dead letter with a reason; none may stop the replay.
    let cycling: Vec<(Vec<u8>, &str)> = vec![
        (
            [
                format!(r#"{{"ip":"198.51.100.7","status":"200","requestTimeEpoch":"{t}","path":"/"#)
                    .as_bytes(),
                b"\xff\xfe\"}",
            ]
            .concat(),
            "invalid UTF-8",
        ),
        (
            format!("{{\"ip\":\"198.51.100.7\0\",\"status\":\"200\",\"requestTimeEpoch\":\"{t}\"}}")
                .into_bytes(),
            "invalid JSON",
        ),
        (b"\0\0\0\0\0\0\0\0".to_vec(), ""),
        (
            format!("{{\"ip\":{{\"a\":1}},\"status\":\"200\",\"requestTimeEpoch\":\"{t}\"}}").into_bytes(),
            "`ip`",
        ),
        (
            format!("{{\"ip\":\"198.51.100.7\",\"status\":[200],\"requestTimeEpoch\":\"{t}\"}}").into_bytes(),
            "`status`",
        ),
        (br#"{"ip":"198.51.100.7","status":"200","requestTimeEpoch":true}"#.to_vec(), "requestTimeEpoch"),
        (
            br#"{"ip":"198.51.100.7","status":"200","requestTimeEpoch":"4102444800000"}"#.to_vec(),
            "ahead of the clock",
        ),
        (br#"{"ip":"198.51.100.7","status":"200","requestTimeEpoch":"1000"}"#.to_vec(), "before 2000"),
        (br#"{"ip":"198.51.100.7","status":"2"#.to_vec(), "invalid JSON"),
        (b"{}".to_vec(), "missing"),
    ];
    let once: Vec<(Vec<u8>, &str)> = vec![
        (vec![b'{'; 10 << 20], "line of 10485760 bytes"),
        // Valid JSON 100,000 deep under an unknown key: skipped without recursion, no status.
        (
            format!("{{\"x\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            "missing field `status`",
        ),
        (format!("{{\"x\":{}", "[".repeat(100_000)).into_bytes(), "invalid JSON"),
    ];
    let (mut mixed, mut valid, mut needles) = (Vec::new(), String::new(), Vec::new());
    let mut hostile = 0u64;
    let mut once_iter = once.into_iter();
    for (i, line) in real.iter().enumerate() {
        mixed.extend_from_slice(line.as_bytes());
        mixed.push(b'\n');
        valid.push_str(line);
        valid.push('\n');
        // The same record again (same request id): a valid event, counted again.
        if i % 500 == 0 {
            mixed.extend_from_slice(line.as_bytes());
            mixed.push(b'\n');
            valid.push_str(line);
            valid.push('\n');
        }
        if i % 400 == 200 {
            let (bad, needle) = match once_iter.next() {
                Some(x) => x,
                None => cycling[(i / 400) % cycling.len()].clone(),
            };
            mixed.extend_from_slice(&bad);
            mixed.push(b'\n');
            needles.push(needle);
            hostile += 1;
        }
    }
    assert!(hostile as usize > cycling.len() + 2, "every kind of hostile line appears");
    let mixed_path = dir.path().join("mixed.ndjson");
    std::fs::write(&mixed_path, &mixed).unwrap();
    let valid_path = dir.path().join("valid.ndjson");
    std::fs::write(&valid_path, &valid).unwrap();

    let db = sqlite_url(dir.path(), "mixed.db");
    let (events, dead, rss) = summary_figures(&replay(&mixed_path, &db, &[]));
    assert_eq!(events, valid.lines().count() as u64, "every valid event counted");
    assert_eq!(dead, hostile, "every hostile line a dead letter");
    assert!(rss < 400.0, "peak RSS {rss} MiB for a 10 MB line");
    assert_same(&totals(&minutes(&db).await), &direct_count(&valid_path), "hostile lines change no count");
    let store = Store::connect(&db).await.unwrap();
    let letters = store.dead_letters(1000).await.unwrap();
    store.close().await;
    assert_eq!(letters.len() as u64, hostile);
    for needle in needles.iter().filter(|n| !n.is_empty()) {
        assert!(
            letters.iter().any(|d| d.reason.contains(needle)),
            "no dead letter says `{needle}`: {letters:#?}"
        );
    }
    assert!(letters.iter().all(|d| !d.reason.is_empty() && d.position.starts_with("line ")), "{letters:#?}");

    // CloudWatch Logs envelopes (base64 gzip, as Kinesis records on disk) of the same traffic,
    // with a gzip bomb (64 MiB of zeros from 64 KiB), truncated gzip, not-base64 and envelopes
    // of the wrong shape between them.
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let part = &real[..5000];
    let envelope = |lines: &[String]| {
        let events: Vec<Value> = lines
            .iter()
            .enumerate()
            .map(|(i, m)| serde_json::json!({"id": i.to_string(), "timestamp": 1_795_531_253_000i64, "message": m}))
            .collect();
        serde_json::json!({"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "g",
            "logStream": "s", "subscriptionFilters": ["f"], "logEvents": events})
        .to_string()
    };
    let mut truncated = gz(envelope(&real[..3]).as_bytes());
    truncated.truncate(truncated.len() - 9);
    let bad_records = [
        b64(&gzip_bomb(64 << 20, 1)),
        b64(&truncated),
        "%%% not base64 %%%".to_string(),
        b64(&gz(br#"{"messageType":"DATA_MESSAGE","logEvents":"nope"}"#)),
        b64(&gz(format!("{{\"messageType\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes())),
    ];
    let mut records = Vec::new();
    for (i, chunk) in part.chunks(50).enumerate() {
        records.push(b64(&gz(envelope(chunk).as_bytes())));
        if i % 20 == 10 {
            records.push(bad_records[(i / 20) % bad_records.len()].clone());
        }
    }
    let bad_count = records.iter().filter(|r| bad_records.contains(r)).count() as u64;
    let cwl_path = dir.path().join("mixed.b64");
    std::fs::write(&cwl_path, records.join("\n")).unwrap();
    let part_path = dir.path().join("part.ndjson");
    std::fs::write(&part_path, part.join("\n") + "\n").unwrap();
    let db = sqlite_url(dir.path(), "cwl.db");
    let (events, dead, rss) = summary_figures(&replay(&cwl_path, &db, &[]));
    assert_eq!(events, part.len() as u64);
    assert_eq!(dead, bad_count, "one dead letter per bad record");
    assert!(rss < 400.0, "peak RSS {rss} MiB with a 64 MiB gzip bomb in a record");
    assert_same(&totals(&minutes(&db).await), &direct_count(&part_path), "bad records change no count");

    // A whole input that is a gzip bomb: 256 MiB of zeros from about 256 KiB. It inflates as a
    // stream, one capped line at a time: one dead letter, memory flat.
    let bomb_path = dir.path().join("bomb.ndjson.gz");
    std::fs::write(&bomb_path, gzip_bomb(16 << 20, 16)).unwrap();
    let db = sqlite_url(dir.path(), "bomb.db");
    let (events, dead, rss) = summary_figures(&replay(&bomb_path, &db, &["--format", "ndjson"]));
    assert_eq!((events, dead), (0, 1), "one over-long line");
    assert!(rss < 400.0, "peak RSS {rss} MiB inflating a 256 MiB gzip bomb");
}

/// Minimal HTTP/1.1 GET: (status, body).
fn http_get(addr: &str, path: &str) -> (u16, String) {
    http_get_as(addr, path, None)
}

fn http_get_as(addr: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp.split(' ').nth(1).unwrap().parse().unwrap();
    let body = resp.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    // Bodies may be chunked; keep the JSON part.
    let body = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) => body[a..=b].to_string(),
        _ => body,
    };
    (status, body)
}

/// A running `serve` or `demo`: the process, its address, and a read token for its store.
struct Server(Child, String, String);

impl Server {
    fn start(args: &[&str]) -> Server {
        Self::start_with_env(&[], args)
    }

    fn start_with_env(env: &[(&str, PathBuf)], args: &[&str]) -> Server {
        let mut cmd = bin();
        for (k, v) in env {
            cmd.env(k, v);
        }
        // `serve --db URL` gets a token made for the test; the demo prints its own.
        let mut token =
            args.iter().position(|a| *a == "--db").map(|i| common::create_token(args[i + 1], "read"));
        let mut child = cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines.next().expect("server exited before listening").unwrap();
            if let Some(rest) = line.split("#token=").nth(1) {
                token = Some(rest.trim().to_string());
            }
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.trim().to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server(child, addr, token.expect("a token for the server's store"))
    }

    /// GET with the server's token.
    fn get(&self, path: &str) -> (u16, String) {
        http_get_as(&self.1, path, Some(&self.2))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_answers_top_clients_and_series_for_the_injected_brute_force() {
    let dir = tempfile::tempdir().unwrap();
    let (ndjson, plan) = generate_with_plan(dir.path(), "ndjson");
    let brute =
        plan.iter().find(|(rule, _)| rule == "brute_force").expect("the generator injects a brute force");
    let db = sqlite_url(dir.path(), "api.db");
    replay(&ndjson, &db, &[]);
    let server = Server::start(&["serve", "--listen", "127.0.0.1:0", "--db", &db]);
    let addr = &server.1;

    let (s, body) = http_get(addr, "/healthz");
    assert_eq!((s, body.as_str()), (200, r#"{"status":"ok"}"#));
    // Data needs a token; a made-up one is refused like none.
    assert_eq!(http_get(addr, "/v1/clients").0, 401);
    assert_eq!(http_get_as(addr, "/v1/clients", Some("gwt_madeup")).0, 401);

    let (s, body) =
        server.get("/v1/clients?metric=s401&from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z&limit=3");
    assert_eq!(s, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let top = &v["clients"][0];
    let subject =
        format!("{}:{}", top["client"]["type"].as_str().unwrap(), top["client"]["value"].as_str().unwrap());
    assert_eq!(subject, brute.1, "the brute-forcing client tops 401s: {v}");
    assert!(top["s401"].as_u64().unwrap() > 100, "{v}");
    assert!(top["s401"].as_u64() <= top["total"].as_u64());

    let (s, body) = server.get(&format!(
        "/v1/clients/{subject}/series?from=2026-11-24T00:00:00Z&to=2026-11-24T01:30:00Z&step=1h"
    ));
    assert_eq!(s, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    let sum: u64 = points.iter().map(|p| p["s401"].as_u64().unwrap()).sum();
    assert_eq!(sum, top["s401"].as_u64().unwrap(), "series sums to the top-N figure");

    let (s, body) = server.get("/v1/clients?metric=nope");
    assert_eq!(s, 400);
    assert!(body.contains("\"name\":\"metric\""), "{body}");
    let (s, _) = server.get("/nothing-here");
    assert_eq!(s, 404);
}

#[test]
fn demo_generates_replays_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(
        &[("GATEWATCH_GEOIP__DIR", geoip_dir())],
        &[
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--minutes",
            "30",
            "--clients",
            "200",
            "--dir",
            dir.path().to_str().unwrap(),
        ],
    );
    let (s, body) = server.get("/v1/clients?metric=total&limit=5");
    assert_eq!(s, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["clients"].as_array().unwrap().len(), 5, "{v}");
    let (s, body) = server.get("/v1/alerts");
    assert_eq!(s, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(!v["alerts"].as_array().unwrap().is_empty(), "the demo opens onto alerts: {v}");
}

#[test]
fn bad_arguments_and_config_are_named() {
    let out = bin().args(["replay", "--input", "/no/such/file", "--db", "sqlite::memory:"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/no/such/file"), "{err}");

    let out = bin().args(["migrate", "--db", "mysql://x"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--db"));

    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[ingest]\nbatch_events = 0\n").unwrap();
    let out = bin().args(["config", "check", cfg.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ingest.batch_events"));

    // A valid config prints its effective values, but never the scrubber key or a DB password.
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "db = \"postgres://u:hunter2@db/x\"\n[scrub]\nkey_file = \"k\"\n[firehose]\nlisten = \"127.0.0.1:9\"\naccess_key = \"firehose-secret-5521\"\n\
         [[forward]]\nname = \"splunk\"\nkind = \"splunk_hec\"\nurl = \"https://hec:hecpass-4410@splunk:8088/services/collector/event\"\ntoken = \"hec-token-9f3e\"\n\
         [[forward]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"https://hooks.example/in?token=hook-query-7781\"\nsecret = \"webhook-secret-20c4b7e1\"\n",
    )
    .unwrap();
    let out = bin().args(["config", "check", good.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("\"scrub\"") && text.contains("splunk:8088/services/collector/event"), "{text}");
    for secret in [
        "0f1e2d3c4b5a",
        "hunter2",
        "firehose-secret-5521",
        "hecpass-4410",
        "hec-token-9f3e",
        "hook-query-7781",
        "webhook-secret-20c4b7e1",
    ] {
        assert!(!text.contains(secret), "`{secret}` printed by config check:\n{text}");
    }

    // Live-source settings are checked field by field too.
    for (toml, field) in [
        ("[[kinesis]]\nstream = \"s\"\nstart_position = \"at_timestamp\"\n", "kinesis[0].start_timestamp"),
        ("[[kinesis]]\nstream = \"s\"\nmax_records = 20000\n", "kinesis[0].max_records"),
        ("[[cloudwatch_logs]]\npoll_interval_secs = 5\n", "cloudwatch_logs[0].log_groups"),
        ("[firehose]\nlisten = \"0.0.0.0:8443\"\n", "firehose.access_key"),
        ("[firehose]\ndedup_hours = 1\n", "firehose.dedup_hours"),
    ] {
        std::fs::write(&cfg, toml).unwrap();
        let out = bin().args(["config", "check", cfg.to_str().unwrap()]).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(field), "{toml}: {err}");
    }
    let out = bin().args(["ingest", "--db", "sqlite::memory:"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to ingest"));

    let out = bin().args(["replay", "--input", "x", "--format", "xml"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ndjson"));
}

/// Canary secrets of every kind the scrubber knows, each unique to this test.
fn canaries() -> Vec<(&'static str, String)> {
    let b64url = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let jwt = format!(
        "{}.{}.{}",
        b64url(r#"{"alg":"RS256","typ":"JWT","kid":"canary"}"#),
        b64url(r#"{"sub":"canary-subject-7741","iat":1795531253,"exp":1795534853}"#),
        "Q2FuYXJ5U2lnbmF0dXJlVGhhdE11c3ROZXZlckJlU3RvcmVk"
    );
    vec![
        ("jwt", jwt),
        ("bearer", "opaqueCanaryBearer0b7d2e91c4a8f3".into()),
        ("basic_auth", base64::engine::general_purpose::STANDARD.encode("canaryuser:canary-pass-3391")),
        ("aws_access_key", "AKIACANARY7Q2W3E4R5T".into()),
        ("aws_secret_key", "cAnArY/SeCrEt+KeY0123456789abcdefGHIJKLM".into()),
        ("aws_sigv4", "c4a7e1f0b2d3c4a5e6f70819a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5".into()),
        ("github_token", "ghp_CanaryGithubToken0123456789abcdefgh".into()),
        ("slack_token", "xoxb-112233445566-778899001122-CanarySlackTokenValue".into()),
        ("stripe_key", "sk_live_CanaryStripeKey0123456789ab".into()),
        ("google_api_key", "AIzaSyCanaryGoogleKey_0123456789abcdef".into()),
        ("password", "Canary-Pa55word!".into()),
        ("cookie", "canarysessioncookie77f1e2".into()),
        ("api_key", "CanaryApiKey9f8e7d6c5b4a3".into()),
        ("email", "canary.person@example.net".into()),
        ("phone", "+14155550199".into()),
        ("card", "4539148803436467".into()),
        ("ssn", "219-09-9999".into()),
        ("iban", "GB33BUKB20201555555555".into()),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn no_canary_reaches_the_store_the_logs_or_the_api() {
    let c: BTreeMap<&str, String> = canaries().into_iter().collect();
    let dir = tempfile::tempdir().unwrap();
    let t = "\"requestTimeEpoch\":\"1795531253000\"";
    let lines = [
        format!(
            r#"{{"ip":"198.51.100.10",{t},"status":"200","principalId":"{}","path":"/me?access_token={}&api_key={}","userAgent":"curl/8.4.0"}}"#,
            c["email"], c["jwt"], c["api_key"]
        ),
        format!(
            r#"{{"ip":"198.51.100.11",{t},"status":"401","authorizerError":"invalid token Bearer {}","errorMessage":"AKIA key {} rejected; secret {}","path":"/x"}}"#,
            c["bearer"], c["aws_access_key"], c["aws_secret_key"]
        ),
        format!(
            r#"{{"ip":"198.51.100.12",{t},"status":"403","path":"/f.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature={}","requestHeaders":"{{Authorization=Basic {}, Cookie=sid={}; theme=dark}}"}}"#,
            c["aws_sigv4"], c["basic_auth"], c["cookie"]
        ),
        format!(
            r#"{{"ip":"198.51.100.13",{t},"status":"500","requestBody":"{{\"password\":\"{}\",\"phone\":\"{}\",\"card\":\"{}\",\"ssn\":\"{}\",\"iban\":\"{}\"}}","errorMessage":"tokens {} {} {} {}"}}"#,
            c["password"],
            c["phone"],
            c["card"],
            c["ssn"],
            c["iban"],
            c["github_token"],
            c["slack_token"],
            c["stripe_key"],
            c["google_api_key"]
        ),
        // Unusable lines carrying canaries: they must reach dead letters scrubbed.
        format!(
            r#"{{"ip":"198.51.100.14","status":"200","principalId":"{}","path":"/?token={}"}}"#,
            c["email"], c["jwt"]
        ),
        format!(r#"{{"ip":"198.51.100.15",{t},"status":"{}"}}"#, c["github_token"]),
        format!(r#"garbage line with {} and {} and password={}"#, c["jwt"], c["card"], c["password"]),
        format!(
            "198.51.100.16 - - [24/Nov/2026:14:40:53 +0000] \"GET /login?password={}&email={} HTTP/1.1\" 200 12 r-1",
            c["password"], c["email"]
        ),
        // Secrets as JSON keys, in IP-named fields that hold no address, and after a crafted
        // User-Agent (a trigger literal repeated to 8 KB) and a run of `ab=` pairs.
        format!(
            r#"{{"ip":"198.51.100.11",{t},"status":"200","path":"/k","attrs":{{"{}":"x","{}":"k"}},"ctx":{{"Client_IP":"{} {}","remote-addr":"{}"}}}}"#,
            c["jwt"], c["aws_access_key"], c["email"], c["card"], c["phone"]
        ),
        format!(
            r#"{{"ip":"198.51.100.11",{t},"status":"200","path":"/u","userAgent":"{}{}","q":"{}password={}"}}"#,
            "eyJ".repeat(2730),
            c["jwt"],
            "ab=".repeat(2730),
            c["password"]
        ),
        // A scanner whose probes carry secrets: the probing alert's evidence quotes its paths.
        format!(
            r#"{{"ip":"198.51.100.18",{t},"status":"404","path":"/.env?api_key={}","requestId":"probe-1"}}"#,
            c["api_key"]
        ),
        format!(
            r#"{{"ip":"198.51.100.18",{t},"status":"404","path":"/.git/config?access_token={}","requestId":"probe-2"}}"#,
            c["jwt"]
        ),
        format!(
            r#"{{"ip":"198.51.100.18",{t},"status":"404","path":"/wp-login.php?password={}&user={}","requestId":"probe-3"}}"#,
            c["password"], c["email"]
        ),
    ];
    let mut input = lines.join("\n").into_bytes();
    // Invalid UTF-8 around a canary: dead-lettered with a lossy, scrubbed excerpt.
    input.extend_from_slice(
        format!("\n{{\"ip\":\"198.51.100.17\",{t},\"status\":\"200\",\"path\":\"/").as_bytes(),
    );
    input.push(0xff);
    input.extend_from_slice(format!("{}\"}}\n", c["jwt"]).as_bytes());
    let path = dir.path().join("canaries.ndjson");
    std::fs::write(&path, &input).unwrap();
    for (kind, v) in &c {
        assert!(input.windows(v.len()).any(|w| w == v.as_bytes()), "canary {kind} is in the input");
    }

    let mut seen = Vec::<(String, Vec<u8>)>::new();
    let run = |args: &[&str]| -> Output {
        let out = bin().env("GATEWATCH_LOG", "debug").args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let db = sqlite_url(dir.path(), "canary.db");
    let out = run(&["replay", "--input", path.to_str().unwrap(), "--db", &db]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("10 events"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    seen.push(("replay stdout".into(), out.stdout));
    seen.push(("replay stderr".into(), out.stderr));

    let pg = PgDb::new().await;
    let out = run(&["replay", "--input", path.to_str().unwrap(), "--db", &pg.url]);
    seen.push(("pg replay stderr".into(), out.stderr));
    let dump = Command::new("pg_dump").args(["--data-only", "--dbname", &pg.url]).output().expect("pg_dump");
    assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
    assert!(String::from_utf8_lossy(&dump.stdout).contains("REDACTED"), "the dump holds the scrubbed rows");
    seen.push(("postgres dump".into(), dump.stdout));

    let store = Store::connect(&db).await.unwrap();
    let dead = store.dead_letters(100).await.unwrap();
    assert_eq!(dead.len(), 4, "{dead:#?}");
    assert!(dead.iter().all(|d| d.excerpt.is_some()));
    store.close().await;

    let server = Server::start(&["serve", "--listen", "127.0.0.1:0", "--db", &db]);
    let range = "from=2026-11-24T14:00:00Z&to=2026-11-24T15:00:00Z";
    let (s, body) = server.get(&format!("/v1/clients?metric=total&limit=100&{range}"));
    assert_eq!(s, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    let clients = v["clients"].as_array().unwrap();
    // Six sources; the probe carrying a token in its URL counts under its address (a token found
    // outside the identity fields names nobody).
    assert_eq!(clients.len(), 6, "{v}");
    assert!(
        clients.iter().any(|c| c["client"]["value"].as_str().unwrap().starts_with("[REDACTED:email:")),
        "{v}"
    );
    for cl in clients {
        let key =
            format!("{}:{}", cl["client"]["type"].as_str().unwrap(), cl["client"]["value"].as_str().unwrap());
        let enc: String = key
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.:".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let (s, series) = server.get(&format!("/v1/clients/{enc}/series?{range}"));
        assert_eq!(s, 200, "{key}: {series}");
        seen.push((format!("series of {key}"), series.into_bytes()));
    }
    seen.push(("top clients".into(), body.into_bytes()));
    drop(server);

    // The probing alert exists and its evidence quotes the (scrubbed) paths.
    let out = run(&["alerts", "--db", &db, "--format", "json"]);
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let probing: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|a| a["rule"] == "probing")
        .collect();
    assert_eq!(probing.len(), 1, "{text}");
    assert_eq!(probing[0]["subject"]["value"], "198.51.100.18");
    let paths = probing[0]["evidence"]["sample_paths"].to_string();
    assert!(paths.contains(".git/config") && paths.contains("REDACTED"), "{paths}");
    seen.push(("alerts json".into(), out.stdout));
    let out = run(&["alerts", "--db", &pg.url, "--format", "table"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("probing"));
    seen.push(("pg alerts table".into(), out.stdout));
    // What the SIEM destinations receive, and the outbox they read from (in the files below).
    for format in ["ocsf", "cef", "hec"] {
        let out = run(&["alerts", "--db", &db, "--format", format]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("probing"), "{format}");
        seen.push((format!("alerts {format}"), out.stdout));
    }

    for f in std::fs::read_dir(dir.path()).unwrap() {
        let p = f.unwrap().path();
        if p.file_name().unwrap().to_str().unwrap().starts_with("canary.db") {
            seen.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    for (place, bytes) in &seen {
        for (kind, v) in &c {
            assert!(!bytes.windows(v.len()).any(|w| w == v.as_bytes()), "canary {kind} leaked into {place}");
        }
    }
}

#[test]
fn scrub_command_keeps_one_line_per_line_and_stable_pseudonyms() {
    let c: BTreeMap<&str, String> = canaries().into_iter().collect();
    let mut input = Vec::new();
    input.extend_from_slice(format!("Authorization: Bearer {}\n", c["jwt"]).as_bytes());
    input.extend_from_slice(b"\n");
    input.extend_from_slice(
        format!("{{\"password\":\"{}\",\"ip\":\"203.0.113.9\"}}\r\n", c["password"]).as_bytes(),
    );
    input.extend_from_slice(b"bad \xff\xfe utf8 ");
    input.extend_from_slice(c["card"].as_bytes());
    input.extend_from_slice(b"\nclean line 2026-11-24T14:40:53Z\n");
    input.extend_from_slice(format!("again {}", c["jwt"]).as_bytes()); // no final newline
    let run = || {
        let mut child = bin().arg("scrub").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let out = run();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert_eq!(lines[1], "");
    assert_eq!(lines[4], "clean line 2026-11-24T14:40:53Z");
    let v: Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(v["ip"], "203.0.113.9");
    for (kind, secret) in &c {
        assert!(!out.contains(secret.as_str()), "{kind} survived: {out}");
    }
    let fp = |l: &str| l.split("[REDACTED:jwt:").nth(1).map(|r| r[..8].to_string());
    assert_eq!(fp(lines[0]), fp(lines[5]), "same token, same pseudonym");
    assert_eq!(run(), out, "and across runs (same key)");
}

/// The GeoIP databases for detector tests: installed once per target directory with the real
/// `gatewatch geoip update` (from the npm registry), or taken from `GATEWATCH_TEST_GEOIP`.
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

fn geo_bin(args: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.env("GATEWATCH_GEOIP__DIR", geoip_dir());
    run_cmd_ok(cmd, args)
}

fn alerts_json(db: &str) -> Vec<Value> {
    let out = geo_bin(&["alerts", "--db", db, "--format", "json"]);
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn geoip_lookup_uses_the_real_databases() {
    let out = geo_bin(&["geoip", "lookup", "73.1.2.3", "175.45.176.9", "2003:80::1"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows[0][1..3], ["US", "AS7922"], "{text}");
    assert_eq!(rows[1][1], "KP", "{text}");
    assert_eq!(rows[2][1..3], ["DE", "AS3320"], "{text}");
    // A bad argument is reported; the good ones are still answered.
    let out = bin()
        .env("GATEWATCH_GEOIP__DIR", geoip_dir())
        .args(["geoip", "lookup", "8.8.8.8", "not-an-ip", "::ffff:73.1.2.3"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not-an-ip"));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("::ffff:73.1.2.3\tUS\tAS7922"), "IPv4-mapped addresses are IPv4: {text}");
}

/// The project's own evaluation through the real pipeline: every rule finds its labelled
/// attack, no benign look-alike raises an alert, precision and time-to-detect meet the targets.
#[test]
fn detector_meets_its_targets_on_the_labelled_scenarios() {
    let out = geo_bin(&["evaluate", "--seeds", "5", "--check"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("benign look-alikes: no alerts"), "{text}");
    for rule in
        ["brute_force", "credential_stuffing", "impossible_travel", "distributed_scraping", "denied_geo"]
    {
        let line =
            text.lines().find(|l| l.starts_with(rule)).unwrap_or_else(|| panic!("{rule} missing:\n{text}"));
        assert!(line.contains(" 1.00 "), "{line}");
    }
}

/// Alerts in their documented shape, explained, deduplicated, and the same whether the traffic is
/// replayed in one go or in two halves by two processes (profiles and open alerts persist).
#[tokio::test(flavor = "multi_thread")]
async fn alerts_are_explained_deduplicated_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (path, plan) = generate_with_plan(dir.path(), "ndjson");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (a, b) = lines.split_at(lines.len() / 2);
    let first = dir.path().join("first.ndjson");
    let second = dir.path().join("second.ndjson");
    std::fs::write(&first, a.join("\n") + "\n").unwrap();
    std::fs::write(&second, b.join("\n") + "\n").unwrap();

    let whole_db = sqlite_url(dir.path(), "whole.db");
    let split_db = sqlite_url(dir.path(), "split.db");
    geo_bin(&["replay", "--input", path.to_str().unwrap(), "--db", &whole_db]);
    geo_bin(&["replay", "--input", first.to_str().unwrap(), "--db", &split_db]);
    geo_bin(&["replay", "--input", second.to_str().unwrap(), "--db", &split_db]);

    let whole = alerts_json(&whole_db);
    let split = alerts_json(&split_db);
    assert!(!whole.is_empty());
    for a in &whole {
        for key in
            ["id", "kind", "rule", "severity", "status", "first_seen", "last_seen", "detected_at", "evidence"]
        {
            assert!(!a[key].is_null(), "{key} missing in {a}");
        }
        assert!(a["subject"]["type"].is_string() && a["subject"]["value"].is_string(), "{a}");
        assert!(a["evidence"]["summary"].as_str().is_some_and(|s| s.len() > 20), "{a}");
        assert!(a["first_seen"].as_str().unwrap() <= a["last_seen"].as_str().unwrap(), "{a}");
    }
    // One alert per (rule, subject) while it is open: no duplicates.
    let keys = |v: &[Value]| -> Vec<(String, String)> {
        let mut k: Vec<_> =
            v.iter().map(|a| (a["rule"].as_str().unwrap().to_string(), a["subject"].to_string())).collect();
        k.sort();
        k
    };
    let mut dedup = keys(&whole);
    dedup.dedup();
    assert_eq!(dedup.len(), whole.len(), "duplicate open alerts: {:#?}", keys(&whole));
    // The injected brute force is found and explained.
    let (_, bf_subject) = plan.iter().find(|(r, _)| r == "brute_force").unwrap();
    let bf = whole
        .iter()
        .find(|a| a["rule"] == "brute_force")
        .unwrap_or_else(|| panic!("no brute_force alert in {whole:#?}"));
    assert_eq!(format!("ip:{}", bf["subject"]["value"].as_str().unwrap()), *bf_subject);
    assert_eq!(bf["kind"], "credential_abuse");
    assert!(bf["evidence"]["observed"]["auth_failures"].as_u64().unwrap() >= 20, "{bf}");
    assert!(!bf["evidence"]["sample_request_ids"].as_array().unwrap().is_empty(), "{bf}");
    assert!(bf["evidence"]["thresholds"]["min_failures"].is_number(), "{bf}");
    // A restart between the halves changes nothing.
    assert_eq!(keys(&whole), keys(&split), "whole: {whole:#?}\nsplit: {split:#?}");
    let ids = |v: &[Value]| -> Vec<String> {
        let mut i: Vec<String> = v.iter().map(|a| a["id"].as_str().unwrap().to_string()).collect();
        i.sort();
        i
    };
    assert_eq!(ids(&whole), ids(&split));

    // Replaying the whole input again adds nothing.
    geo_bin(&["replay", "--input", path.to_str().unwrap(), "--db", &whole_db]);
    assert_eq!(ids(&alerts_json(&whole_db)), ids(&whole));

    // The REST API serves the same alerts, one page at a time.
    let server = Server::start(&["serve", "--listen", "127.0.0.1:0", "--db", &whole_db]);
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let (s, body) = server.get(&format!("/v1/alerts?limit=2{cursor}"));
        assert_eq!(s, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        paged.extend(v["alerts"].as_array().unwrap().iter().cloned());
        match v["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
        assert!(paged.len() <= whole.len(), "pagination does not end");
    }
    assert_eq!(ids(&paged), ids(&whole));
    let (s, body) = server.get(&format!("/v1/alerts/{}", bf["id"].as_str().unwrap()));
    assert_eq!(s, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), *bf);
    let status = bf["status"].as_str().unwrap();
    let (s, body) = server.get(&format!("/v1/alerts?kind=credential_abuse&rule=brute_force&status={status}"));
    assert_eq!(s, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["alerts"].as_array().unwrap().len(),
        1,
        "{body}"
    );
    for (query, param) in [
        ("rule=brute", "rule"),
        ("limit=0", "limit"),
        ("cursor=nonsense", "cursor"),
        ("since=yesterday", "since"),
        ("subject=nocolon", "subject"),
        ("colour=red", "colour"),
        ("since=2026-11-25T00:00:00Z&until=2026-11-24T00:00:00Z", "since"),
    ] {
        let (s, body) = server.get(&format!("/v1/alerts?{query}"));
        assert_eq!(s, 400, "{query}: {body}");
        assert!(body.contains(&format!("\"name\":\"{param}\"")), "{query}: {body}");
    }
    assert_eq!(server.get("/v1/alerts/alt_0000").0, 404);
    let (s, body) = server.get(&format!("/v1/alerts/{}?x=1", bf["id"].as_str().unwrap()));
    assert_eq!(s, 400, "{body}");
    assert_eq!(server.get("/v1/alerts/..%2F..%2Fetc").0, 400);
    drop(server);

    // Filters.
    let out = geo_bin(&["alerts", "--db", &whole_db, "--rule", "brute_force", "--format", "json"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
    let out = bin().args(["alerts", "--db", &whole_db, "--rule", "brute"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("brute_force"), "the error lists the rules");
}
