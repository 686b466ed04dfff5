//! Live sources end to end: the real `gatewatch ingest` binary against moto server (PyPI
//! `moto[server]`, started here on a free loopback port) through the real AWS SDK clients, and
//! the Firehose receiver driven by HTTP requests shaped as Firehose sends them.
//!
//! Every test compares the live store with `gatewatch replay` of the same lines into a separate
//! store: the counts must be equal, whatever restarts, kills and reshards happened between.

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::*;
use gatewatch_store::prelude::*;

const REGION: &str = "us-east-1";

/// moto server on a free port, stopped on drop.
struct Moto {
    child: Child,
    url: String,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Moto {
    fn start() -> Moto {
        Self::start_on(free_port())
    }

    fn start_on(port: u16) -> Moto {
        let exe = std::env::var("GATEWATCH_TEST_MOTO").unwrap_or_else(|_| "moto_server".into());
        let child = Command::new(&exe)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{exe} is required for these tests (pip install 'moto[server]'): {e}")
            });
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto server did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, url: format!("http://127.0.0.1:{port}") }
    }

    async fn sdk(&self) -> aws_config::SdkConfig {
        let creds = aws_sdk_kinesis::config::Credentials::new("testing", "testing", None, None, "tests");
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(REGION))
            .endpoint_url(&self.url)
            .credentials_provider(creds)
            .load()
            .await
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with credentials for moto (the standard chain's environment variables).
fn ingest_cmd(moto: &Moto, db: &str, extra: &[&str]) -> Command {
    live_cmd("ingest", moto, db, extra)
}

/// `gatewatch <sub>` (`ingest` or `run`) against moto, detection off unless set.
fn live_cmd(sub: &str, moto: &Moto, db: &str, extra: &[&str]) -> Command {
    let mut c = bin();
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("GATEWATCH_LEASES__DURATION_SECS", "3")
        .env("GATEWATCH_DETECT__ENABLED", "false")
        .args([sub, "--db", db, "--region", REGION, "--endpoint-url", &moto.url])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Stops `child` with SIGTERM and asserts a clean exit (graceful shutdown).
fn terminate(child: Child) -> String {
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "ingest did not stop cleanly on SIGTERM:\n{err}");
    err
}

/// Collects a child's stderr as it is written; the thread ends when the child does.
fn collect_stderr(child: &mut Child) -> (Arc<Mutex<String>>, std::thread::JoinHandle<()>) {
    let log = Arc::new(Mutex::new(String::new()));
    let (sink, err) = (log.clone(), child.stderr.take().expect("stderr piped"));
    let reader = std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(err)).map_while(Result::ok) {
            let mut l = sink.lock().unwrap();
            l.push_str(&line);
            l.push('\n');
        }
    });
    (log, reader)
}

/// Lines of generated traffic (NDJSON access logs) in a file, and the lines themselves.
fn traffic(dir: &Path, seed: &str, clients: &str, minutes: &str) -> (PathBuf, Vec<String>) {
    let path = dir.join(format!("traffic-{seed}.ndjson"));
    run_ok(&[
        "generate",
        "--seed",
        seed,
        "--clients",
        clients,
        "--minutes",
        minutes,
        "--rate",
        "400",
        "--out",
        path.to_str().unwrap(),
    ]);
    let lines = std::fs::read_to_string(&path).unwrap().lines().map(str::to_string).collect();
    (path, lines)
}

/// The earliest `requestTime` (CLF time, as the generator writes it) of access-log lines, epoch ms.
fn first_time(lines: &[String]) -> i64 {
    lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let t = v["requestTime"].as_str()?;
            chrono::DateTime::parse_from_str(t, "%d/%b/%Y:%H:%M:%S %z").ok().map(|d| d.timestamp_millis())
        })
        .min()
        .expect("lines carry request times")
}

/// A CloudWatch Logs subscription envelope (gzip), as a subscription filter writes it.
fn envelope(lines: &[String], first_id: usize) -> Vec<u8> {
    let events: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, m)| serde_json::json!({"id": (first_id + i).to_string(), "timestamp": 1_764_000_000_000i64, "message": m}))
        .collect();
    let env = serde_json::json!({
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "API-Gateway-Access-Logs/prod",
        "logStream": "stream-1",
        "subscriptionFilters": ["gatewatch"],
        "logEvents": events,
    });
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(env.to_string().as_bytes()).unwrap();
    gz.finish().unwrap()
}

/// Puts `lines` into `stream` as CWL envelopes of 50 events, partition keys spread.
async fn put_lines(k: &aws_sdk_kinesis::Client, stream: &str, lines: &[String], offset: usize) {
    put_lines_skewed(k, stream, lines, offset, false).await
}

/// `hot`: nine records in ten go to the upper half of the hash range (a hot shard), so the
/// other shard races ahead in event time.
async fn put_lines_skewed(
    k: &aws_sdk_kinesis::Client,
    stream: &str,
    lines: &[String],
    offset: usize,
    hot: bool,
) {
    use aws_sdk_kinesis::primitives::Blob;
    use aws_sdk_kinesis::types::PutRecordsRequestEntry;
    let entries: Vec<PutRecordsRequestEntry> = lines
        .chunks(50)
        .enumerate()
        .map(|(i, c)| {
            let mut e = PutRecordsRequestEntry::builder()
                .data(Blob::new(envelope(c, offset + i * 50)))
                .partition_key(format!("pk-{}", offset + i));
            if hot {
                let upper = if i % 10 == 0 { 0u128 } else { 1u128 << 127 };
                e = e.explicit_hash_key((upper + i as u128).to_string());
            }
            e.build().unwrap()
        })
        .collect();
    for batch in entries.chunks(200) {
        let out = k.put_records().stream_name(stream).set_records(Some(batch.to_vec())).send().await.unwrap();
        assert_eq!(out.failed_record_count(), Some(0));
    }
}

/// Events committed so far by sources named `prefix…` (the checkpoints' running totals).
async fn committed(db: &str, prefix: &str) -> u64 {
    let store = gatewatch_store::Store::connect(db).await.unwrap();
    let q = "SELECT CAST(COALESCE(SUM(events), 0) AS BIGINT) FROM checkpoints WHERE source LIKE $1";
    let pattern = format!("{prefix}%");
    let n: Result<i64, sqlx::Error> = match &store {
        gatewatch_store::Store::Sqlite(p) => sqlx::query_scalar(q).bind(&pattern).fetch_one(p).await,
        gatewatch_store::Store::Postgres(p) => sqlx::query_scalar(q).bind(&pattern).fetch_one(p).await,
    };
    // Before the binary has migrated the new store there is no table: nothing committed yet.
    let n = match n {
        Err(e) if e.to_string().contains("no such table") || e.to_string().contains("does not exist") => 0,
        other => other.unwrap(),
    };
    store.close().await;
    n as u64
}

/// Waits until `committed(db, prefix)` reaches `want` (and fails past it or on timeout).
async fn wait_committed(db: &str, prefix: &str, want: u64, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let n = committed(db, prefix).await;
        assert!(n <= want, "committed {n} events, more than the {want} put");
        if n == want {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("ingest exited ({status}) at {n}/{want} events:\n{err}");
        }
        assert!(Instant::now() < deadline, "only {n} of {want} events committed after 120 s");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The live store must hold exactly what a replay of the same lines gives.
async fn assert_equals_replay(live_db: &str, input: &Path, dir: &Path) {
    let reference = sqlite_url(dir, "reference.db");
    run_ok(&["replay", "--input", input.to_str().unwrap(), "--db", &reference]);
    let want = totals(&minutes(&reference).await);
    let got = totals(&minutes(live_db).await);
    assert!(!want.is_empty());
    assert_same(&got, &want, "live ingest vs replay");
}

/// (rule, subject, last_seen, evidence summary) of every stored alert.
async fn alerts(db: &str) -> Vec<(String, String, i64, String)> {
    let store = gatewatch_store::Store::connect(db).await.unwrap();
    let filter = gatewatch_store::AlertFilter { limit: 1000, ..Default::default() };
    let v = store
        .alerts(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|a| {
            let summary = a.evidence["summary"].as_str().unwrap_or_default().to_string();
            (a.rule.as_str().to_string(), a.subject.to_string(), a.last_seen, summary)
        })
        .collect();
    store.close().await;
    v
}

async fn checkpoints(db: &str, prefix: &str) -> Vec<(String, String)> {
    let store = gatewatch_store::Store::connect(db).await.unwrap();
    let q = "SELECT source, position FROM checkpoints WHERE source LIKE $1 ORDER BY source";
    let pattern = format!("{prefix}%");
    let rows: Vec<(String, String)> = match &store {
        gatewatch_store::Store::Sqlite(p) => sqlx::query_as(q).bind(&pattern).fetch_all(p).await.unwrap(),
        gatewatch_store::Store::Postgres(p) => sqlx::query_as(q).bind(&pattern).fetch_all(p).await.unwrap(),
    };
    store.close().await;
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kinesis_two_shards_split_mid_stream_and_restart_equal_a_replay() {
    let moto = Moto::start();
    let k = aws_sdk_kinesis::Client::new(&moto.sdk().await);
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path(), "live.db");
    let (input, lines) = traffic(dir.path(), "21", "200", "20");
    let half = lines.len() / 2;
    k.create_stream().stream_name("apigw").shard_count(2).send().await.unwrap();
    put_lines_skewed(&k, "apigw", &lines[..half], 0, true).await;
    // Poison among the records: each becomes a dead letter (or, a control message, nothing),
    // and the shard reads on past it.
    let full = envelope(&lines[..3], 0);
    let control = {
        let env = serde_json::json!({"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "",
            "logStream": "", "subscriptionFilters": [], "logEvents": [{"id": "", "timestamp": 1, "message": "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]});
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(env.to_string().as_bytes()).unwrap();
        gz.finish().unwrap()
    };
    let poison: Vec<Vec<u8>> = vec![
        full[..full.len() / 2].to_vec(), // truncated gzip
        b"\xff\xfe\x00garbage".to_vec(), // neither an envelope nor text
        control,
        envelope(&["not an access log line".to_string()], 0),
    ];
    for (i, data) in poison.into_iter().enumerate() {
        k.put_record()
            .stream_name("apigw")
            .partition_key(format!("poison-{i}"))
            .data(aws_sdk_kinesis::primitives::Blob::new(data))
            .send()
            .await
            .unwrap();
    }

    // Detection on: the two shards are read in parallel, and the one with a tenth of the records
    // runs minutes ahead of the hot one in event time (small reads make many batches).
    let config = dir.path().join("gatewatch.toml");
    std::fs::write(&config, "[[kinesis]]\nstream = \"apigw\"\nmax_records = 10\nidle_poll_ms = 200\n")
        .unwrap();
    let mut child = ingest_cmd(&moto, &db, &[])
        .env("GATEWATCH_DETECT__ENABLED", "true")
        .env("GATEWATCH_CONFIG", &config)
        .spawn()
        .unwrap();
    wait_committed(&db, "kinesis:", half as u64, &mut child).await;
    let log = terminate(child);
    assert!(log.contains("stopped;"), "{log}");

    // Reshard while no worker runs, then put the rest: it lands in the children and shard 1.
    let shards = k.list_shards().stream_name("apigw").send().await.unwrap();
    let s0 = &shards.shards()[0];
    let range = s0.hash_key_range().unwrap();
    let mid = (range.starting_hash_key().parse::<u128>().unwrap()
        + range.ending_hash_key().parse::<u128>().unwrap())
        / 2;
    k.split_shard()
        .stream_name("apigw")
        .shard_to_split(s0.shard_id())
        .new_starting_hash_key(mid.to_string())
        .send()
        .await
        .unwrap();
    put_lines(&k, "apigw", &lines[half..], half).await;

    // The restart resumes every shard from its checkpoint, finishes the parent, reads the children.
    let mut child = ingest_cmd(&moto, &db, &["--kinesis-stream", "apigw"]).spawn().unwrap();
    wait_committed(&db, "kinesis:", lines.len() as u64, &mut child).await;
    // Nothing more arrives while it idles.
    tokio::time::sleep(Duration::from_secs(2)).await;
    terminate(child);
    assert_eq!(committed(&db, "kinesis:").await, lines.len() as u64);
    let store = gatewatch_store::Store::connect(&db).await.unwrap();
    let dead = store.dead_letters(100).await.unwrap();
    store.close().await;
    assert_eq!(dead.len(), 3, "{dead:#?}");
    assert!(
        dead.iter().all(|d| d.source.starts_with("kinesis:apigw:shardId-") && d.position.starts_with("seq "))
    );
    for why in ["gzip", "UTF-8", "not an access log"] {
        assert!(
            dead.iter()
                .any(|d| d.reason.contains(why) || d.excerpt.as_deref().is_some_and(|e| e.contains(why))),
            "no dead letter for {why}: {dead:#?}"
        );
    }

    let cps = checkpoints(&db, "kinesis:apigw:").await;
    let parent = cps.iter().find(|(s, _)| s.ends_with(s0.shard_id())).expect("parent checkpoint");
    assert_eq!(parent.1, "end", "the split parent is read to its end: {cps:?}");
    // The children were leased (read) once the parent was finished. moto routes every put to
    // the closed parent (its get_shard_for_key ignores whether a shard is open), so they stay
    // empty here; the unit tests of `eligible` cover the ordering itself.
    let store = gatewatch_store::Store::connect(&db).await.unwrap();
    let leases = store.leases("kinesis:apigw:").await.unwrap();
    store.close().await;
    assert_eq!(leases.len(), 4, "two original shards and two children: {leases:?}");
    assert_equals_replay(&db, &input, dir.path()).await;

    // The same alerts as the replay raised for the first half, which ran without a restart
    // (the restart starts new windows: partial windows are not persisted), and none it did not.
    let live = alerts(&db).await;
    let replayed = alerts(&sqlite_url(dir.path(), "reference.db")).await;
    let cut = first_time(&lines[half..]) - 2 * 60_000;
    let key = |a: &(String, String, i64, String)| (a.0.clone(), a.1.clone());
    let live_keys: std::collections::BTreeSet<_> = live.iter().map(key).collect();
    let replay_keys: std::collections::BTreeSet<_> = replayed.iter().map(key).collect();
    let early: Vec<_> = replayed.iter().filter(|a| a.2 < cut).map(key).collect();
    assert!(!early.is_empty(), "the first half has an attack: {replayed:?}");
    for a in &early {
        assert!(live_keys.contains(a), "live ingest missed {a:?}; live {live:?}, replay {replayed:?}");
    }
    // … with the same evidence: the shard behind held the windows open, none of its events
    // arrived after its minute had closed.
    for r in replayed.iter().filter(|a| a.2 < cut) {
        let l = live.iter().find(|l| key(l) == key(r)).unwrap();
        assert_eq!(l.3, r.3, "live and replayed evidence differ");
    }
    assert!(live_keys.is_subset(&replay_keys), "live {live:?} vs replay {replayed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_share_a_stream_and_a_killed_worker_loses_nothing() {
    let moto = Moto::start();
    let k = aws_sdk_kinesis::Client::new(&moto.sdk().await);
    let dir = tempfile::tempdir().unwrap();
    let pg = PgDb::new().await;
    let (input, lines) = traffic(dir.path(), "22", "300", "30");
    k.create_stream().stream_name("apigw").shard_count(4).send().await.unwrap();
    // Small reads, so the kill lands while both workers are mid-stream.
    let config = dir.path().join("gatewatch.toml");
    std::fs::write(&config, "[[kinesis]]\nstream = \"apigw\"\nmax_records = 2\nidle_poll_ms = 200\n")
        .unwrap();
    let cfg = config.to_str().unwrap();
    let third = lines.len() / 3;
    put_lines(&k, "apigw", &lines[..third], 0).await;

    let worker = |id: &str| {
        let mut c = ingest_cmd(&moto, &pg.url, &["--worker-id", id]);
        c.env("GATEWATCH_CONFIG", cfg);
        c.spawn().unwrap()
    };
    let mut a = worker("worker-a");
    let mut b = worker("worker-b");
    // Both hold leases before the kill: the balance gives each two of the four shards.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let store = gatewatch_store::Store::connect(&pg.url).await.unwrap();
        let now = chrono::Utc::now().timestamp_millis();
        // Empty until a worker has migrated the new database.
        let leases = store.leases("kinesis:").await.unwrap_or_default();
        store.close().await;
        let held_by =
            |w: &str| leases.iter().filter(|l| l.is_held(now) && l.owner.as_deref() == Some(w)).count();
        if held_by("worker-a") == 2 && held_by("worker-b") == 2 {
            break;
        }
        assert!(Instant::now() < deadline, "workers did not balance: {leases:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    put_lines(&k, "apigw", &lines[third..2 * third], third).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mid = committed(&pg.url, "kinesis:").await;
    a.kill().unwrap(); // SIGKILL: no release, no final commit
    a.wait().unwrap();
    assert!(mid < lines.len() as u64, "killed before the end ({mid} committed)");
    put_lines(&k, "apigw", &lines[2 * third..], 2 * third).await;

    // Worker b takes over a's shards once their leases expire, from a's checkpoints.
    wait_committed(&pg.url, "kinesis:", lines.len() as u64, &mut b).await;
    let log = terminate(b);
    assert!(log.contains("kinesis"), "{log}");
    assert_equals_replay(&pg.url, &input, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudwatch_logs_polling_counts_each_event_once_across_restarts() {
    let moto = Moto::start();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&moto.sdk().await);
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path(), "live.db");
    let (input, lines) = traffic(dir.path(), "23", "150", "15");
    let group = "API-Gateway-Access-Logs_a1b2c3/prod";
    logs.create_log_group().log_group_name(group).send().await.unwrap();
    // Two streams whose events share timestamps: window edges fall on busy milliseconds.
    let base = chrono::Utc::now().timestamp_millis() - 20 * 60_000;
    let span = 15 * 60_000i64;
    for (s, part) in lines.chunks(lines.len().div_ceil(2)).enumerate() {
        let stream = format!("stream-{s}");
        logs.create_log_stream().log_group_name(group).log_stream_name(&stream).send().await.unwrap();
        let n = part.len() as i64;
        for chunk in part.iter().enumerate().collect::<Vec<_>>().chunks(1000) {
            let events: Vec<_> = chunk
                .iter()
                .map(|(i, m)| {
                    aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                        .timestamp(base + (*i as i64) * span / n / 7 * 7)
                        .message(m.as_str())
                        .build()
                        .unwrap()
                })
                .collect();
            logs.put_log_events()
                .log_group_name(group)
                .log_stream_name(&stream)
                .set_log_events(Some(events))
                .send()
                .await
                .unwrap();
        }
    }
    let config = dir.path().join("gatewatch.toml");
    std::fs::write(
        &config,
        format!(
            "[[cloudwatch_logs]]\nlog_groups = [\"{group}\"]\nstart_time = \"{}\"\npoll_interval_secs = 1\nsettle_secs = 1\nmax_window_secs = 97\n",
            base - 1000
        ),
    )
    .unwrap();
    let run = || {
        let mut c = ingest_cmd(&moto, &db, &[]);
        c.env("GATEWATCH_CONFIG", &config);
        c.spawn().unwrap()
    };
    let mut child = run();
    // Stop it part-way, then let a restart finish from the checkpoint.
    let deadline = Instant::now() + Duration::from_secs(60);
    while committed(&db, "cwl:").await == 0 {
        assert!(Instant::now() < deadline, "no window committed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    terminate(child);
    let first = committed(&db, "cwl:").await;
    child = run();
    wait_committed(&db, "cwl:", lines.len() as u64, &mut child).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    terminate(child);
    assert_eq!(committed(&db, "cwl:").await, lines.len() as u64, "after {first} in the first run");
    assert_equals_replay(&db, &input, dir.path()).await;
}

/// POSTs a Firehose HTTP endpoint delivery request; returns (status, body).
async fn firehose_post(
    url: &str,
    key: &str,
    request_id: &str,
    body: &[u8],
    gzip: bool,
) -> (u16, serde_json::Value) {
    let client = reqwest::Client::new();
    let mut req = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Amz-Firehose-Protocol-Version", "1.0")
        .header("X-Amz-Firehose-Request-Id", request_id)
        .header("X-Amz-Firehose-Source-Arn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/apigw")
        .header("X-Amz-Firehose-Access-Key", key)
        .header("User-Agent", "Amazon Kinesis Data Firehose Agent/1.0");
    let body = if gzip {
        req = req.header("Content-Encoding", "gzip");
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(body).unwrap();
        gz.finish().unwrap()
    } else {
        body.to_vec()
    };
    let resp = req.body(body).send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

fn firehose_body(request_id: &str, lines: &[String], first_id: usize) -> Vec<u8> {
    use base64::Engine as _;
    let records: Vec<serde_json::Value> = lines
        .chunks(40)
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({"data": base64::engine::general_purpose::STANDARD.encode(envelope(c, first_id + i * 40))})
        })
        .collect();
    serde_json::json!({"requestId": request_id, "timestamp": 1_764_000_000_000i64, "records": records})
        .to_string()
        .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firehose_receiver_acknowledges_after_commit_and_drops_retries() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path(), "live.db");
    let (input, lines) = traffic(dir.path(), "24", "100", "10");
    let port = free_port();
    let key = "firehose-access-key-0123456789";
    let api_port = free_port();
    let token = create_token(&db, "read");
    // A SIEM destination, so the forwarding metrics exist too.
    let config = dir.path().join("gatewatch.toml");
    let lake = dir.path().join("lake");
    std::fs::write(
        &config,
        format!("[[forward]]\nname = \"lake\"\nkind = \"ocsf_file\"\nurl = \"file://{}\"\n", lake.display()),
    )
    .unwrap();
    // `run`: the receiver, the detector and the API in one process.
    let mut c = bin();
    c.arg("--config").arg(&config);
    c.env("GATEWATCH_FIREHOSE__ACCESS_KEY", key)
        .env("GATEWATCH_FIREHOSE__MAX_BODY_BYTES", (1 << 20).to_string())
        .args(["run", "--db", &db, "--firehose-listen", &format!("127.0.0.1:{port}")])
        .args(["--listen", &format!("127.0.0.1:{api_port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = c.spawn().unwrap();
    let url = format!("http://127.0.0.1:{port}/");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "receiver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A wrong key is refused before anything is read; a body that is not a request is a 400.
    let (status, body) = firehose_post(&url, "wrong-key", "req-0", b"{}", false).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["requestId"], "req-0");
    assert!(body["errorMessage"].as_str().unwrap().contains("Access-Key"), "{body}");
    let (status, body) = firehose_post(&url, key, "req-0", b"not json", false).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["timestamp"].is_i64());
    // The error says where the body broke, never what it said.
    let broken = br#"{"requestId": "req-0", "records": [{"data": "QQ=="}] "Bearer canary-secret-7731"}"#;
    let (status, body) = firehose_post(&url, key, "req-0", broken, false).await;
    assert_eq!(status, 400, "{body}");
    assert!(!body.to_string().contains("canary-secret"), "{body}");
    // Past firehose.max_body_bytes (set to 1 MiB below): refused, nothing read.
    let (status, _) = firehose_post(&url, key, "req-big", &vec![b' '; (1 << 20) + 10], false).await;
    assert_eq!(status, 413);
    // Slow senders (headers, then a trickle of body) hold at most MAX_CONCURRENT (4) reads:
    // past that a request is told to retry at once, and a closed connection frees its place.
    let slow: Vec<std::net::TcpStream> = (0..4)
        .map(|i| {
            let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(
                s,
                "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Firehose-Access-Key: {key}\r\n\
                 X-Amz-Firehose-Request-Id: slow-{i}\r\nContent-Length: 100000\r\n\r\n{{\"requestId\""
            )
            .unwrap();
            s
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = firehose_post(&url, key, "req-busy", b"{}", false).await;
        if status == 503 {
            assert!(body["errorMessage"].as_str().unwrap().contains("busy"), "{body}");
            break;
        }
        assert!(Instant::now() < deadline, "a fifth concurrent read was not refused: {status} {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(slow);
    let deadline = Instant::now() + Duration::from_secs(10);
    while firehose_post(&url, key, "req-busy", b"{}", false).await.0 == 503 {
        assert!(Instant::now() < deadline, "closed slow connections still hold their places");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(committed(&db, "firehose:").await, 0);

    let mid = lines.len() / 2;
    let requests = [
        ("3f1c2a6e-0000-4000-8000-000000000001", &lines[..mid], 0),
        ("3f1c2a6e-0000-4000-8000-000000000002", &lines[mid..], mid),
    ];
    for (i, (id, part, first)) in requests.iter().enumerate() {
        let body = firehose_body(id, part, *first);
        let (status, answer) = firehose_post(&url, key, id, &body, i == 1).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["requestId"], *id);
        assert!(answer["timestamp"].as_i64().unwrap() > 1_700_000_000_000);
        assert!(answer.get("errorMessage").is_none());
        // Acknowledged means committed: the events are in the store already.
        assert_eq!(committed(&db, &format!("firehose:{id}")).await, part.len() as u64);
        // Firehose retries with the same request id (e.g. after a lost response): not counted twice.
        let (status, _) = firehose_post(&url, key, id, &body, false).await;
        assert_eq!(status, 200);
    }
    assert_eq!(committed(&db, "firehose:").await, lines.len() as u64);
    // The API of the same process answers from what was delivered.
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("http://127.0.0.1:{api_port}{path}")).bearer_auth(&token).send();
    let resp = get("/v1/clients?metric=total&limit=3").await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let v: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["clients"].as_array().map(Vec::len), Some(3), "{v}");
    // Pipeline health as the store sees it.
    assert_eq!(get("/readyz").await.unwrap().status().as_u16(), 200);
    let stats: serde_json::Value =
        serde_json::from_str(&get("/v1/stats").await.unwrap().text().await.unwrap()).unwrap();
    assert_eq!(stats["firehose"]["requests"], 2, "{stats}");
    assert_eq!(stats["firehose"]["events"], lines.len() as u64, "{stats}");
    assert_eq!(stats["dead_letters"], 0, "{stats}");
    assert!(stats["last_event_minute"].as_str().unwrap().starts_with("2026-11-24T"), "{stats}");
    assert_eq!(get("/v1/stats?x=1").await.unwrap().status().as_u16(), 400);
    // Prometheus: what the receiver counted, and every metric the Grafana dashboards query.
    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
    let ingested = format!("gatewatch_events_ingested_total{{source=\"firehose\"}} {}", lines.len());
    assert!(metrics.lines().any(|l| l == ingested), "{ingested} missing:\n{metrics}");
    let queried = dashboard_metrics();
    assert!(queried.len() >= 10, "the dashboards query {queried:?}");
    for name in &queried {
        let exported = [name.clone(), format!("{name}_bucket"), format!("{name}_count")];
        assert!(
            metrics.lines().any(|l| exported
                .iter()
                .any(|e| l.starts_with(&format!("{e}{{")) || l.starts_with(&format!("{e} ")))),
            "dashboards query {name}, which /metrics does not export:\n{metrics}"
        );
    }
    // The receiver logged the refusals, never a key (the right one or the wrong one).
    let log = terminate(child);
    assert!(log.contains("X-Amz-Firehose-Access-Key"), "the refusal is logged:\n{log}");
    for secret in [key, "wrong-key", "canary-secret"] {
        assert!(!log.contains(secret), "`{secret}` in the receiver's log:\n{log}");
    }
    assert_equals_replay(&db, &input, dir.path()).await;
}

/// Many writers racing to commit the first batch of one new source (two workers that both
/// think they own a fresh shard, or Firehose retrying a request still in flight): exactly one
/// commits; the others are refused and write nothing.
async fn first_commit_race(db: &str) {
    use gatewatch_store::{BatchWrite, CommitOutcome};
    let store = gatewatch_store::Store::open(db).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            // Rows make each transaction last long enough for the writers to overlap.
            let rows = (0..300)
                .map(|c| gatewatch_store::MinuteRow {
                    client: gatewatch_core::ClientKey::new(
                        gatewatch_core::ClientKind::Ip,
                        format!("10.0.{i}.{c}"),
                    ),
                    minute: 1_795_478_400_000,
                    agg: gatewatch_core::MinuteAgg::new(),
                })
                .collect();
            let write = BatchWrite {
                source: "kinesis:race:shardId-0".into(),
                prev_position: None,
                position: format!("seq={i}"),
                events: 10,
                rows,
                ..Default::default()
            };
            store.commit_batch(write).await
        }));
    }
    let mut committed = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(CommitOutcome::Committed) => committed += 1,
            Ok(CommitOutcome::Stale) => {}
            // SQLite may refuse a writer that read before another committed: also nothing written.
            Err(e) => assert!(db.starts_with("sqlite"), "{e}"),
        }
    }
    assert_eq!(committed, 1);
    assert_eq!(store.checkpoint("kinesis:race:shardId-0").await.unwrap().unwrap().events, 10);
    // A lease goes to one of two workers taking it at once.
    store.ensure_leases(&["kinesis:race:shardId-0".to_string()]).await.unwrap();
    let seen = store.leases("kinesis:race:").await.unwrap().remove(0);
    let (a, b) = tokio::join!(store.take_lease(&seen, "a", i64::MAX), store.take_lease(&seen, "b", i64::MAX));
    assert!(a.unwrap() ^ b.unwrap(), "exactly one worker gets the lease");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_writer_wins_the_first_commit_of_a_source() {
    let pg = PgDb::new().await;
    first_commit_race(&pg.url).await;
    let dir = tempfile::tempdir().unwrap();
    first_commit_race(&sqlite_url(dir.path(), "race.db")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kinesis_worker_backs_off_while_the_endpoint_is_down_and_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path(), "live.db");
    let (input, lines) = traffic(dir.path(), "25", "100", "8");
    // The worker starts first, against an endpoint where nothing listens yet.
    let port = free_port();
    let down = Moto { child: Command::new("true").spawn().unwrap(), url: format!("http://127.0.0.1:{port}") };
    let mut child = ingest_cmd(&down, &db, &["--kinesis-stream", "apigw"])
        .env("GATEWATCH_DETECT__ENABLED", "true")
        .spawn()
        .unwrap();
    // Collect its log as it goes; the emulator starts once the worker has said it is retrying.
    let (log, reader) = collect_stderr(&mut child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !log.lock().unwrap().contains("retrying") {
        assert!(
            child.try_wait().unwrap().is_none(),
            "ingest gave up while the endpoint was down: {}",
            log.lock().unwrap()
        );
        assert!(Instant::now() < deadline, "no retry logged: {}", log.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let moto = Moto::start_on(port);
    let k = aws_sdk_kinesis::Client::new(&moto.sdk().await);
    k.create_stream().stream_name("apigw").shard_count(2).send().await.unwrap();
    put_lines(&k, "apigw", &lines, 0).await;
    wait_committed(&db, "kinesis:", lines.len() as u64, &mut child).await;
    terminate(child);
    reader.join().unwrap();
    let log = log.lock().unwrap().clone();
    assert!(log.contains("stopped;"), "{log}");
    // The emulator's secret key is `testing`: no log line may carry it (the lines are shown).
    // sqlx's own "error occurred while testing the connection" is English, not the key.
    let leaks: Vec<&str> = log
        .lines()
        .filter(|l| l.matches("testing").count() > l.matches("testing the connection").count())
        .collect();
    assert!(leaks.is_empty(), "no credential in the log: {leaks:#?}");
    assert_equals_replay(&db, &input, dir.path()).await;
    // Live detection raised alerts, all of them ones the replay raised too (the replay also
    // evaluates its last minutes at the end of its input; a stopped live pipeline does not, and
    // one batch spanning more than `detect.lateness_secs` may find its first minutes closed).
    let key = |a: &(String, String, i64, String)| (a.0.clone(), a.1.clone());
    let live: std::collections::BTreeSet<_> = alerts(&db).await.iter().map(key).collect();
    let replayed: std::collections::BTreeSet<_> =
        alerts(&sqlite_url(dir.path(), "reference.db")).await.iter().map(key).collect();
    assert!(!live.is_empty() && live.is_subset(&replayed), "live {live:?} vs replay {replayed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_stream_or_log_group_stops_ingest_with_its_name() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path(), "live.db");
    for (args, name) in [
        (["--kinesis-stream", "no-such-stream"], "no-such-stream"),
        (["--log-group", "no-such-group"], "no-such-group"),
    ] {
        let started = Instant::now();
        let out = ingest_cmd(&moto, &db, &args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{err}");
        assert!(err.contains(name) && err.contains("error:"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(30), "gave up only after {:?}", started.elapsed());
    }
}

/// Every `gatewatch_…` metric name the Grafana dashboards in `dashboards/` query (histogram
/// suffixes stripped).
fn dashboard_metrics() -> std::collections::BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards");
    let mut names = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let dash: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut exprs = Vec::new();
        collect_exprs(&dash, &mut exprs);
        for e in exprs {
            let mut rest = e.as_str();
            while let Some(i) = rest.find("gatewatch_") {
                let tail = &rest[i..];
                let end = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(tail.len());
                let name = &tail[..end];
                let base =
                    ["_bucket", "_sum", "_count"].iter().fold(name, |n, s| n.strip_suffix(s).unwrap_or(n));
                names.insert(base.to_string());
                rest = &tail[end..];
            }
        }
    }
    names
}

fn collect_exprs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("expr" | "query", serde_json::Value::String(s)) => out.push(s.clone()),
                    _ => collect_exprs(x, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_exprs(x, out)),
        _ => {}
    }
}

/// The seed for random kill instants: `GATEWATCH_TEST_SEED` repeats a failing run.
fn test_seed() -> u64 {
    let seed = std::env::var("GATEWATCH_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| chrono::Utc::now().timestamp_millis() as u64);
    eprintln!("random instants from seed {seed} (GATEWATCH_TEST_SEED={seed} repeats them)");
    seed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_killed_at_random_instants_counts_each_event_once() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(test_seed());
    let moto = Moto::start();
    let k = aws_sdk_kinesis::Client::new(&moto.sdk().await);
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path(), "live.db");
    let (input, lines) = traffic(dir.path(), "41", "200", "30");
    let total = lines.len() as u64;
    k.create_stream().stream_name("apigw").shard_count(2).send().await.unwrap();
    put_lines(&k, "apigw", &lines, 0).await;
    // One record (50 events) per read: the stream takes many polls, so kills land mid-stream.
    let slow = dir.path().join("slow.toml");
    std::fs::write(&slow, "[[kinesis]]\nstream = \"apigw\"\nmax_records = 1\nidle_poll_ms = 200\n").unwrap();
    let fast = dir.path().join("fast.toml");
    std::fs::write(&fast, "[[kinesis]]\nstream = \"apigw\"\nmax_records = 1000\nidle_poll_ms = 200\n")
        .unwrap();
    // The same worker id every time: a restarted worker resumes its own leases at once.
    let worker = |config: &Path| {
        let mut c = ingest_cmd(&moto, &db, &["--worker-id", "crash-test"]);
        c.env("GATEWATCH_CONFIG", config).stdout(Stdio::null());
        c.spawn().unwrap()
    };
    let (mut before, mut mid_stream) = (0u64, 0);
    for i in 0..20 {
        let mut child = worker(&slow);
        // Every fourth kill lands at a random instant after the start (start-up, lease, first
        // read); the others wait for this worker's first commit and then a random instant, so
        // they land mid-stream however slowly a loaded machine starts the process.
        let during_startup = i % 4 == 0;
        if !during_startup {
            let deadline = Instant::now() + Duration::from_secs(180);
            while committed(&db, "kinesis:").await == before {
                assert!(child.try_wait().unwrap().is_none(), "kill {i}: ingest exited by itself");
                assert!(Instant::now() < deadline, "kill {i}: no commit within 180 s of the start");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        let delay =
            if during_startup { rng.random_range(200..2500u64) } else { rng.random_range(0..1500u64) };
        tokio::time::sleep(Duration::from_millis(delay)).await;
        assert!(child.try_wait().unwrap().is_none(), "kill {i}: ingest exited by itself");
        child.kill().unwrap(); // SIGKILL: no final commit, no lease release
        child.wait().unwrap();
        let now = committed(&db, "kinesis:").await;
        assert!(now >= before && now <= total, "kill {i}: committed {before} → {now} of {total}");
        if now > before && now < total {
            mid_stream += 1;
        }
        let when = if during_startup { "after the start" } else { "after its first commit" };
        eprintln!("kill {i} {delay} ms {when}: {now}/{total} committed");
        before = now;
    }
    assert!(mid_stream >= 10, "only {mid_stream} of 20 kills landed mid-stream; the test proves nothing");
    let mut child = worker(&fast);
    wait_committed(&db, "kinesis:", total, &mut child).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_equals_replay(&db, &input, dir.path()).await;
}

/// A PostgreSQL cluster of this test's own (initdb into a temporary directory, its own port), so
/// the test can stop and start the server without disturbing the shared one other tests use.
struct PrivatePg {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    url: String,
}

impl PrivatePg {
    fn new() -> PrivatePg {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL server binaries under /usr/lib/postgresql")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .max()
            .expect("an initdb under /usr/lib/postgresql/*/bin");
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let pg = PrivatePg { dir, bin, port, url: format!("postgres://postgres@127.0.0.1:{port}/postgres") };
        // The server refuses to run as root: as root, run it as the postgres user.
        if pg.as_root() {
            let ok =
                Command::new("chown").args(["postgres:", pg.dir.path().to_str().unwrap()]).status().unwrap();
            assert!(ok.success());
        }
        let data = pg.dir.path().join("data");
        pg.run("initdb", &["-D", data.to_str().unwrap(), "-A", "trust", "-U", "postgres", "--no-sync"]);
        pg.start();
        pg
    }

    fn as_root(&self) -> bool {
        Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
    }

    /// A server tool, run as the postgres user when we are root.
    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self.command(tool).args(args).stdin(Stdio::null()).output().unwrap();
        assert!(
            out.status.success(),
            "{tool} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start(&self) {
        let d = self.dir.path();
        let opts = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, d.display());
        let (data, log) = (d.join("data"), d.join("server.log"));
        self.run(
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-l", log.to_str().unwrap(), "-o", &opts, "-w", "start"],
        );
    }

    /// Stops the server the hard way (no checkpoint, like a crash): it recovers from its WAL
    /// on the next start.
    fn crash(&self) {
        let data = self.dir.path().join("data");
        self.run("pg_ctl", &["-D", data.to_str().unwrap(), "-m", "immediate", "-w", "stop"]);
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ =
            self.command("pg_ctl").args(["-D", data.to_str().unwrap(), "-m", "immediate", "stop"]).output();
    }
}

/// Sends `signal` (STOP, CONT) to a process.
fn signal(pid: u32, signal: &str) {
    assert!(Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status().unwrap().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_survives_a_postgres_crash_and_a_frozen_emulator() {
    let pg = PrivatePg::new();
    let moto = Moto::start();
    let k = aws_sdk_kinesis::Client::new(&moto.sdk().await);
    let dir = tempfile::tempdir().unwrap();
    let (input, lines) = traffic(dir.path(), "43", "150", "20");
    let total = lines.len() as u64;
    let half = lines.len() / 2;
    k.create_stream().stream_name("apigw").shard_count(2).send().await.unwrap();
    put_lines(&k, "apigw", &lines[..half], 0).await;
    let config = dir.path().join("gatewatch.toml");
    std::fs::write(&config, "[[kinesis]]\nstream = \"apigw\"\nmax_records = 2\nidle_poll_ms = 200\n")
        .unwrap();
    // `run`: the worker and the API in one process, so its lag can be watched during the faults.
    let api_port = free_port();
    let token = create_token(&pg.url, "read");
    let api = format!("127.0.0.1:{api_port}");
    let mut child = live_cmd("run", &moto, &pg.url, &["--worker-id", "fault-test", "--listen", &api])
        .env("GATEWATCH_CONFIG", &config)
        // Shorter than the freeze below, so calls time out and are retried.
        .env("GATEWATCH_AWS__TIMEOUT_SECS", "2")
        .spawn()
        .unwrap();
    let (log, reader) = collect_stderr(&mut child);
    let alive = |child: &mut Child, what: &str, log: &Mutex<String>| {
        assert!(child.try_wait().unwrap().is_none(), "ingest exited {what}:\n{}", log.lock().unwrap());
    };

    // The store crashes mid-stream: commits fail, the worker backs off and re-reads from its
    // checkpoint once the server is back.
    let deadline = Instant::now() + Duration::from_secs(60);
    while committed(&pg.url, "kinesis:").await == 0 {
        alive(&mut child, "before its first commit", &log);
        assert!(Instant::now() < deadline, "nothing committed in 60 s:\n{}", log.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    pg.crash();
    tokio::time::sleep(Duration::from_secs(4)).await;
    alive(&mut child, "while PostgreSQL was down", &log);
    pg.start();
    // Everything put so far is committed before the freeze, so no commit can land during it.
    wait_committed(&pg.url, "kinesis:", half as u64, &mut child).await;
    let before_freeze = committed(&pg.url, "kinesis:").await;

    // The AWS endpoint stops answering (frozen, connections open): reads time out and retry.
    signal(moto.child.id(), "STOP");
    tokio::time::sleep(Duration::from_secs(5)).await;
    alive(&mut child, "while the emulator was frozen", &log);
    // Meanwhile the API still answers, and shows how long each shard has gone without a commit.
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("http://{api}{path}")).bearer_auth(&token).send();
    let stats: serde_json::Value =
        serde_json::from_str(&get("/v1/stats").await.unwrap().text().await.unwrap()).unwrap();
    let since: Vec<i64> = stats["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["seconds_since_commit"].as_i64())
        .collect();
    assert!(since.len() == 2 && since.iter().all(|&s| s >= 4), "no staleness in /v1/stats: {stats}");
    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
    let stale: Vec<f64> = metrics
        .lines()
        .filter(|l| l.starts_with("gatewatch_source_seconds_since_commit{source=\"kinesis:"))
        .filter_map(|l| l.rsplit(' ').next()?.parse().ok())
        .collect();
    assert!(!stale.is_empty() && stale.iter().all(|&s| s >= 4.0), "{stale:?}:\n{metrics}");
    signal(moto.child.id(), "CONT");
    put_lines(&k, "apigw", &lines[half..], half).await;

    wait_committed(&pg.url, "kinesis:", total, &mut child).await;
    // Caught up: the shards report no lag behind the stream's tip.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let metrics = get("/metrics").await.unwrap().text().await.unwrap();
        let lags: Vec<f64> = metrics
            .lines()
            .filter(|l| l.starts_with("gatewatch_source_lag_seconds{") && l.contains("source=\"kinesis\""))
            .filter_map(|l| l.rsplit(' ').next()?.parse().ok())
            .collect();
        if !lags.is_empty() && lags.iter().all(|&l| l == 0.0) {
            break;
        }
        assert!(Instant::now() < deadline, "lag after catching up: {lags:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(committed(&pg.url, "kinesis:").await >= before_freeze);
    terminate(child);
    reader.join().unwrap();
    let log = log.lock().unwrap().clone();
    // The crash was seen (sqlx logs the server's notice); the worker waited or retried, and
    // the totals below show that nothing was lost or counted twice.
    assert!(log.contains("terminating connection"), "the store crash reached the worker:\n{log}");
    // The emulator's secret key is `testing`: no log line may carry it (the lines are shown).
    // sqlx's own "error occurred while testing the connection" is English, not the key.
    let leaks: Vec<&str> = log
        .lines()
        .filter(|l| l.matches("testing").count() > l.matches("testing the connection").count())
        .collect();
    assert!(leaks.is_empty(), "no credential in the log: {leaks:#?}");
    assert_equals_replay(&pg.url, &input, dir.path()).await;
}

/// The production path as `deploy/cloudformation.yaml` builds it, in moto: the stack's stream,
/// access-log group, subscription and roles; access-log events put into the group reach
/// `gatewatch ingest` through the subscription and the stream and are counted as a replay of
/// the same lines counts them. The probe listener (`--metrics-listen`) answers the container
/// health check and serves /metrics without a token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cloudformation_stack_carries_access_logs_to_ingest() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(root.join("tests/support/moto_stack.py"))
        .arg(&moto.url)
        .arg(root.join("deploy/cloudformation.yaml"))
        .arg("gatewatch-test")
        .output()
        .expect("python3 (scripts/test installs boto3 with moto)");
    assert!(out.status.success(), "stack deployment failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let outputs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stream = outputs["StreamName"].as_str().unwrap().to_string();
    let group = outputs["AccessLogGroupName"].as_str().unwrap().to_string();

    // Access logs as API Gateway writes them into the group: one log stream, events in order.
    let (input, lines) = traffic(dir.path(), "11", "8", "3");
    let lines = &lines[..lines.len().min(120)];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&moto.sdk().await);
    logs.create_log_stream().log_group_name(&group).log_stream_name("stage-prod").send().await.unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let events: Vec<_> = lines
        .iter()
        .map(|l| {
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder().timestamp(now).message(l).build().unwrap()
        })
        .collect();
    for chunk in events.chunks(50) {
        logs.put_log_events()
            .log_group_name(&group)
            .log_stream_name("stage-prod")
            .set_log_events(Some(chunk.to_vec()))
            .send()
            .await
            .unwrap();
    }

    let db = sqlite_url(dir.path(), "live.db");
    let probe = format!("127.0.0.1:{}", free_port());
    let mut child =
        ingest_cmd(&moto, &db, &["--kinesis-stream", &stream, "--metrics-listen", &probe]).spawn().unwrap();
    wait_committed(&db, "kinesis:", lines.len() as u64, &mut child).await;

    let health = bin().args(["healthcheck", &format!("http://{probe}/readyz")]).output().unwrap();
    assert!(health.status.success(), "healthcheck: {}", String::from_utf8_lossy(&health.stderr));
    let metrics = reqwest::get(format!("http://{probe}/metrics")).await.unwrap();
    assert_eq!(metrics.status(), 200);
    let metrics = metrics.text().await.unwrap();
    let ingested: f64 = metrics
        .lines()
        .find(|l| l.starts_with("gatewatch_events_ingested_total{source=\"kinesis\"}"))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no kinesis event counter:\n{metrics}"));
    assert_eq!(ingested as usize, lines.len(), "{metrics}");
    // Only the probes are served there: the API is not.
    let api = reqwest::get(format!("http://{probe}/v1/alerts")).await.unwrap();
    assert_eq!(api.status(), 404);
    terminate(child);
    // A closed port fails the health check, naming the address.
    let down = bin().args(["healthcheck", &format!("http://{probe}/readyz")]).output().unwrap();
    assert!(!down.status.success());
    assert!(String::from_utf8_lossy(&down.stderr).contains(&probe), "{down:?}");
    assert_equals_replay(&db, &input, dir.path()).await;
}
