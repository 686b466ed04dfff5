//! SIEM forwarding end to end: `gatewatch serve` delivers the alert outbox of a replayed store
//! to real HTTP receivers (a plain HTTP/1.1 server in this process): a webhook that is down for
//! a while, then refuses, then accepts, with the serving process killed mid-delivery; and a
//! destination that always refuses, whose messages are parked.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::*;
use gatewatch_store::prelude::*;

const SECRET: &str = "webhook-secret-0123456789";

/// One received request: headers (lower-case names) and body.
#[derive(Debug, Clone)]
struct Received {
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

/// A minimal HTTP/1.1 server: answers `status(n)` to the n-th request, records the 2xx ones.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    requests: Arc<AtomicUsize>,
}

impl Receiver {
    fn start(listener: TcpListener, status: fn(usize) -> u16) -> Receiver {
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::new(AtomicUsize::new(0));
        let (g, r) = (got.clone(), requests.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (g, r) = (g.clone(), r.clone());
                std::thread::spawn(move || serve_conn(conn, &g, &r, status));
            }
        });
        Receiver { port, got, requests }
    }
}

fn serve_conn(
    conn: std::net::TcpStream,
    got: &Mutex<Vec<Received>>,
    n: &AtomicUsize,
    status: fn(usize) -> u16,
) {
    let mut w = conn.try_clone().unwrap();
    let mut r = BufReader::new(conn);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = BTreeMap::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap();
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
        let len: usize = headers.get("content-length").map(|v| v.parse().unwrap()).unwrap_or(0);
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        let code = status(n.fetch_add(1, Ordering::SeqCst));
        if (200..300).contains(&code) {
            got.lock().unwrap().push(Received { headers, body });
        }
        let reply =
            format!("HTTP/1.1 {code} X\r\ncontent-length: 2\r\ncontent-type: application/json\r\n\r\n{{}}");
        if w.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

fn serve(db: &str, config: &std::path::Path) -> Child {
    let mut c = bin();
    c.env("GATEWATCH_CONFIG", config)
        .args(["serve", "--db", db, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c.spawn().unwrap()
}

/// Generates traffic with `gen_args` and replays it (detection on) into a new SQLite store.
fn replayed_store(dir: &std::path::Path, gen_args: &[&str]) -> String {
    let db = sqlite_url(dir, "gw.db");
    let input = dir.join("traffic.ndjson");
    let mut args = vec!["generate", "--out", input.to_str().unwrap()];
    args.extend_from_slice(gen_args);
    run_ok(&args);
    run_ok(&["replay", "--input", input.to_str().unwrap(), "--db", &db]);
    db
}

async fn outbox_len(db: &str) -> usize {
    let store = gatewatch_store::Store::open(db).await.unwrap();
    let n = store.outbox_after(0, 1_000_000).await.unwrap().len();
    store.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_alert_event_reaches_the_siem_through_an_outage_and_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let db =
        replayed_store(dir.path(), &["--seed", "11", "--clients", "300", "--minutes", "90", "--rate", "500"]);
    let events = outbox_len(&db).await;
    assert!(events >= 5, "the replay raised alerts: {events} outbox events");

    // The webhook's port is reserved but nothing answers yet (connection refused); the OCSF
    // destination refuses everything and parks each message after one attempt.
    let hook_listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook_port = hook_listener.local_addr().unwrap().port();
    drop(hook_listener);
    let refusing = Receiver::start(TcpListener::bind("127.0.0.1:0").unwrap(), |_| 400);
    let splunk = Receiver::start(TcpListener::bind("127.0.0.1:0").unwrap(), |_| 200);
    let config = dir.path().join("gatewatch.toml");
    std::fs::write(
        &config,
        format!(
            "[[forward]]\nname = \"soc-webhook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{hook_port}/hook\"\nsecret = \"{SECRET}\"\nbatch_size = 7\nmax_attempts = 2\n\n\
             [[forward]]\nname = \"lake\"\nkind = \"ocsf_http\"\nurl = \"http://127.0.0.1:{}/ocsf\"\ntoken = \"lake-token-5521\"\nmax_attempts = 1\n\n\
             [[forward]]\nname = \"splunk\"\nkind = \"splunk_hec\"\nurl = \"http://127.0.0.1:{}/services/collector/event\"\ntoken = \"hec-token-8832\"\nindex = \"security\"\n",
            refusing.port, splunk.port
        ),
    )
    .unwrap();
    let mut server = serve(&db, &config);
    tokio::time::sleep(Duration::from_secs(2)).await;

    // The receiver comes up, refuses its first two requests (503), then accepts.
    let hook =
        Receiver::start(
            TcpListener::bind(("127.0.0.1", hook_port)).unwrap(),
            |n| if n < 2 { 503 } else { 200 },
        );
    let deadline = Instant::now() + Duration::from_secs(90);
    while hook.got.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "nothing delivered after the outage");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Killed mid-delivery: no chance to record what it sent last.
    server.kill().unwrap();
    server.wait().unwrap();
    let server = serve(&db, &config);

    let distinct = |got: &[Received]| -> BTreeMap<String, serde_json::Value> {
        let mut m = BTreeMap::new();
        for r in got {
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            for e in v["events"].as_array().unwrap() {
                m.insert(e["id"].as_str().unwrap().to_string(), e.clone());
            }
        }
        m
    };
    loop {
        let n = distinct(&hook.got.lock().unwrap()).len();
        if n == events {
            break;
        }
        assert!(Instant::now() < deadline, "{n} of {events} events delivered");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = server.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let out = server.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{log}");
    for secret in [SECRET, "lake-token-5521", "hec-token-8832"] {
        assert!(!log.contains(secret), "a credential reached the log: {log}");
    }

    // Splunk HEC: the token in the Authorization header, concatenated event envelopes.
    let mut hec_ids = std::collections::BTreeSet::new();
    for r in splunk.got.lock().unwrap().iter() {
        assert_eq!(r.headers["authorization"], "Splunk hec-token-8832");
        for e in serde_json::Deserializer::from_slice(&r.body).into_iter::<serde_json::Value>() {
            let e = e.unwrap();
            assert!(e["time"].as_f64().unwrap() > 1.7e9, "{e}");
            assert_eq!(
                (e["index"].as_str(), e["sourcetype"].as_str()),
                (Some("security"), Some("gatewatch:alert"))
            );
            hec_ids.insert(e["event"]["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(hec_ids.len(), events, "every event reached HEC");

    let got = hook.got.lock().unwrap().clone();
    // Signed: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret.
    for r in &got {
        let ts = &r.headers["x-gatewatch-timestamp"];
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(format!("{ts}.").as_bytes());
        mac.update(&r.body);
        let want = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert_eq!(r.headers["x-gatewatch-signature"], want);
        assert!(r.headers.contains_key("idempotency-key"));
    }
    // At least once: a repeat (after the kill) carries the key of the original, and there are
    // few of them; in order per alert (outbox ids increase).
    let all: Vec<serde_json::Value> = got
        .iter()
        .flat_map(|r| {
            serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["events"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    assert!(all.len() <= events + 7, "{} deliveries for {events} events", all.len());
    // In delivery order, each alert's new events come with growing outbox ids (a repeat of an
    // event already delivered is the only step back).
    let mut newest: BTreeMap<String, i64> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for e in &all {
        let key = e["id"].as_str().unwrap();
        let (alert, seq) = key.rsplit_once(':').unwrap();
        let seq: i64 = seq.parse().unwrap();
        if seen.insert(key.to_string()) {
            let prev = newest.insert(alert.to_string(), seq);
            assert!(prev.is_none_or(|p| p < seq), "{key} after {prev:?}");
        }
        assert!(["opened", "updated", "resolved"].contains(&e["event"].as_str().unwrap()));
    }
    let first_events: Vec<&str> = all
        .iter()
        .filter(|e| e["event"] == "opened")
        .map(|e| e["id"].as_str().unwrap().rsplit_once(':').unwrap().0)
        .collect();
    assert!(!first_events.is_empty(), "alerts are opened");

    // The OCSF destination refused everything: each message parked with its reason.
    let out = run_ok(&["--config", config.to_str().unwrap(), "forward", "status", "--db", &db]);
    let status = String::from_utf8_lossy(&out.stdout).into_owned();
    let row = |name: &str| -> Vec<String> {
        status.lines().find(|l| l.starts_with(name)).unwrap().split_whitespace().map(str::to_string).collect()
    };
    assert_eq!(row("soc-webhook")[3], "0", "nothing pending: {status}");
    // The outage and the 503s were retried, never parked (max_attempts = 2 counts refusals only).
    assert_eq!(row("soc-webhook")[4], "0", "nothing parked for an outage: {status}");
    assert_eq!(row("soc-webhook")[2], events.to_string(), "all delivered: {status}");
    assert_eq!(row("lake")[4], events.to_string(), "every message parked: {status}");
    assert!(refusing.requests.load(Ordering::SeqCst) >= events);
    assert!(!status.contains("lake-token-5521"));
}

/// rsyslogd listening on a free TCP port, writing what it receives (app name and message) to a
/// file; stopped on drop.
struct Rsyslog {
    child: Child,
    port: u16,
    out: std::path::PathBuf,
}

/// A private CA and a server certificate for 127.0.0.1 it signed (openssl CLI): (ca.pem,
/// cert.pem, key.pem).
fn test_pki(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let p = |n: &str| dir.join(n);
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).output().expect("openssl");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let s = |p: &std::path::PathBuf| p.to_str().unwrap().to_string();
    let (ca_key, ca, key, csr, cert, ext) =
        (p("ca.key"), p("ca.pem"), p("key.pem"), p("srv.csr"), p("cert.pem"), p("srv.ext"));
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &s(&ca_key),
        "-out",
        &s(&ca),
        "-days",
        "2",
        "-subj",
        "/CN=gatewatch test CA",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &s(&key),
        "-out",
        &s(&csr),
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(&ext, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        &s(&csr),
        "-CA",
        &s(&ca),
        "-CAkey",
        &s(&ca_key),
        "-CAcreateserial",
        "-out",
        &s(&cert),
        "-days",
        "2",
        "-extfile",
        &s(&ext),
    ]);
    (ca, cert, key)
}

impl Rsyslog {
    /// `tls`: (ca, cert, key) PEM files; the listener then speaks TLS (gtls driver).
    fn start(
        dir: &std::path::Path,
        tls: Option<(&std::path::Path, &std::path::Path, &std::path::Path)>,
    ) -> Rsyslog {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let out = dir.join("received.log");
        let conf = dir.join("rsyslog.conf");
        let work = dir.join("rsyslog-work");
        std::fs::create_dir_all(&work).unwrap();
        std::fs::write(
            &conf,
            format!(
                "global(workDirectory=\"{work}\"{tls_global})\n\
                 module(load=\"imtcp\"{tls_module})\n\
                 template(name=\"gw\" type=\"string\" string=\"%app-name%|%hostname%|%syslogseverity%|%msg%\\n\")\n\
                 ruleset(name=\"gw\") {{ action(type=\"omfile\" file=\"{out}\" template=\"gw\") }}\n\
                 input(type=\"imtcp\" address=\"127.0.0.1\" port=\"{port}\" ruleset=\"gw\")\n",
                work = work.display(),
                out = out.display(),
                tls_global = tls
                    .map(|(ca, cert, key)| format!(
                        " DefaultNetstreamDriver=\"gtls\" DefaultNetstreamDriverCAFile=\"{}\" DefaultNetstreamDriverCertFile=\"{}\" DefaultNetstreamDriverKeyFile=\"{}\"",
                        ca.display(),
                        cert.display(),
                        key.display()
                    ))
                    .unwrap_or_default(),
                tls_module = if tls.is_some() {
                    " StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"anon\""
                } else {
                    ""
                },
            ),
        )
        .unwrap();
        let exe = std::env::var("GATEWATCH_TEST_RSYSLOGD").unwrap_or_else(|_| "rsyslogd".into());
        let child = Command::new(&exe)
            .args(["-n", "-f", conf.to_str().unwrap(), "-i", dir.join("rsyslog.pid").to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{exe} is required for this test (Debian package rsyslog): {e}"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "rsyslogd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Rsyslog { child, port, out }
    }

    fn lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.out).unwrap_or_default().lines().map(str::to_string).collect()
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cef_over_tcp_syslog_reaches_rsyslog() {
    cef_over_syslog(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cef_over_tls_syslog_reaches_rsyslog() {
    cef_over_syslog(true).await;
}

async fn cef_over_syslog(tls: bool) {
    let dir = tempfile::tempdir().unwrap();
    let db = replayed_store(dir.path(), &["--seed", "5", "--clients", "200", "--minutes", "40"]);
    let events = outbox_len(&db).await;
    assert!(events >= 3, "{events} outbox events");
    let pki = tls.then(|| test_pki(dir.path()));
    let rsyslog = Rsyslog::start(
        dir.path(),
        pki.as_ref().map(|(ca, cert, key)| (ca.as_path(), cert.as_path(), key.as_path())),
    );
    let config = dir.path().join("gatewatch.toml");
    if tls {
        // Without the private CA, rsyslog's certificate is not trusted: nothing is sent.
        std::fs::write(
            &config,
            format!(
                "[[forward]]\nname = \"siem\"\nkind = \"syslog\"\nurl = \"tls://127.0.0.1:{}\"\nbatch_size = 5\n",
                rsyslog.port
            ),
        )
        .unwrap();
        let server = serve(&db, &config);
        tokio::time::sleep(Duration::from_secs(4)).await;
        Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
        let out = server.wait_with_output().unwrap();
        let log = String::from_utf8_lossy(&out.stderr);
        assert_eq!(rsyslog.lines().len(), 0, "delivered to an untrusted certificate:\n{log}");
        assert!(
            log.to_ascii_lowercase().contains("certificate"),
            "the refusal names the certificate:\n{log}"
        );
    }
    let (scheme, ca) = match &pki {
        Some((ca, _, _)) => ("tls", format!("ca_file = \"{}\"\n", ca.display())),
        None => ("tcp", String::new()),
    };
    std::fs::write(
        &config,
        format!(
            "[[forward]]\nname = \"siem\"\nkind = \"syslog\"\nurl = \"{scheme}://127.0.0.1:{}\"\nhost = \"gw-test\"\nbatch_size = 5\n{ca}",
            rsyslog.port
        ),
    )
    .unwrap();
    let server = serve(&db, &config);
    let deadline = Instant::now() + Duration::from_secs(60);
    while rsyslog.lines().len() < events {
        assert!(
            Instant::now() < deadline,
            "{} of {events} messages in rsyslog's file",
            rsyslog.lines().len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let pid = server.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(server.wait_with_output().unwrap().status.success());
    let lines = rsyslog.lines();
    assert_eq!(lines.len(), events, "one message per event, none split or merged");
    for l in &lines {
        let mut parts = l.splitn(4, '|');
        let (app, host, severity, msg) =
            (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        assert_eq!((app, host), ("gatewatch", "gw-test"), "{l}");
        assert!(["2", "3", "4", "5"].contains(&severity), "{l}");
        // rsyslog parsed the RFC 5424 header, so the message is the CEF line itself.
        assert!(msg.starts_with("CEF:0|gatewatch|gatewatch|"), "{l}");
        assert!(msg.contains(" externalId=alt_") && msg.contains(" cs2=alt_"), "{l}");
    }
}

/// Pipes `alerts --format ocsf` through the OCSF models of PyPI's `ocsf-pydantic`.
fn validate_ocsf(findings: &[u8]) -> std::process::Output {
    let python = std::env::var("GATEWATCH_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/ocsf_validate.py");
    let mut child = Command::new(&python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{python}: {e}"));
    child.stdin.take().unwrap().write_all(findings).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_are_valid_ocsf_detection_findings() {
    let dir = tempfile::tempdir().unwrap();
    let db = replayed_store(dir.path(), &["--seed", "5", "--clients", "200", "--minutes", "40"]);
    let out = run_ok(&["alerts", "--db", &db, "--format", "ocsf"]);
    assert!(out.stdout.len() > 100);
    let v = validate_ocsf(&out.stdout);
    let report = format!("{}{}", String::from_utf8_lossy(&v.stdout), String::from_utf8_lossy(&v.stderr));
    assert!(v.status.success(), "pip install ocsf-pydantic pydantic-extra-types 'pydantic[email]': {report}");

    // The ocsf_file destination writes the same findings as JSON Lines files.
    let lake = dir.path().join("lake");
    let config = dir.path().join("gatewatch.toml");
    std::fs::write(
        &config,
        format!(
            "[[forward]]\nname = \"lake\"\nkind = \"ocsf_file\"\nurl = \"file://{}\"\nbatch_size = 4\n",
            lake.display()
        ),
    )
    .unwrap();
    let events = outbox_len(&db).await;
    let server = serve(&db, &config);
    let files = || -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = std::fs::read_dir(&lake)
            .map(|d| {
                d.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "jsonl")).collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut written = Vec::new();
    while written.len() < events {
        assert!(Instant::now() < deadline, "{} of {events} findings written", written.len());
        tokio::time::sleep(Duration::from_millis(200)).await;
        written = files()
            .iter()
            .flat_map(|f| {
                std::fs::read(f)
                    .unwrap()
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec)
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    let pid = server.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(server.wait_with_output().unwrap().status.success());
    assert_eq!(written.len(), events);
    assert_eq!(files().len(), events.div_ceil(4), "one file per batch of four");
    let v = validate_ocsf(&written.join(&b'\n'));
    let report = format!("{}{}", String::from_utf8_lossy(&v.stdout), String::from_utf8_lossy(&v.stderr));
    assert!(v.status.success(), "pip install ocsf-pydantic pydantic-extra-types 'pydantic[email]': {report}");
    assert!(report.contains("valid OCSF Detection Findings"), "{report}");
    // The validator can fail: a finding without its finding_info is refused.
    let first: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let mut broken = first.clone();
    broken.as_object_mut().unwrap().remove("finding_info");
    assert!(!validate_ocsf(broken.to_string().as_bytes()).status.success());
}

/// Two processes serving one store (two `run` workers, or an API beside a worker) deliver each
/// alert event once between them: one holds the destination's delivery lease. When it stops,
/// the other takes over and delivers what came after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_store_deliver_each_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let db =
        replayed_store(dir.path(), &["--seed", "11", "--clients", "300", "--minutes", "90", "--rate", "500"]);
    let events = outbox_len(&db).await;
    assert!(events >= 5, "the replay raised alerts: {events} outbox events");
    let hook = Receiver::start(TcpListener::bind("127.0.0.1:0").unwrap(), |_| 200);
    let config = dir.path().join("gatewatch.toml");
    std::fs::write(
        &config,
        format!(
            "[[forward]]\nname = \"soc\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{}/hook\"\nsecret = \"{SECRET}\"\nbatch_size = 3\n",
            hook.port
        ),
    )
    .unwrap();
    let delivered = |got: &[Received]| -> Vec<String> {
        got.iter()
            .flat_map(|r| {
                let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
                v["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let first = serve(&db, &config);
    let second = serve(&db, &config);
    let deadline = Instant::now() + Duration::from_secs(60);
    while delivered(&hook.got.lock().unwrap()).len() < events {
        assert!(Instant::now() < deadline, "not everything delivered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both keep polling for a while: nothing more may arrive.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let all = delivered(&hook.got.lock().unwrap());
    let distinct: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!((all.len(), distinct.len()), (events, events), "each event once: {all:?}");

    // The holder stops (SIGTERM releases the lease); the other delivers what comes next.
    let store = gatewatch_store::Store::open(&db).await.unwrap();
    let lease = store.leases("forward:soc").await.unwrap();
    store.close().await;
    let holder = lease[0].owner.clone().expect("a holder");
    let (stopping, survivor) = if holder.ends_with(&format!("-{}", first.id())) {
        (first, second)
    } else {
        assert!(holder.ends_with(&format!("-{}", second.id())), "{holder}");
        (second, first)
    };
    Command::new("kill").args(["-TERM", &stopping.id().to_string()]).status().unwrap();
    let out = stopping.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // More traffic with attacks: new alerts, new outbox events.
    let more = dir.path().join("more.ndjson");
    run_ok(&[
        "generate",
        "--seed",
        "12",
        "--clients",
        "300",
        "--minutes",
        "60",
        "--rate",
        "500",
        "--start",
        "2026-11-25T00:00:00Z",
        "--out",
        more.to_str().unwrap(),
    ]);
    run_ok(&["replay", "--input", more.to_str().unwrap(), "--db", &db]);
    let total = outbox_len(&db).await;
    assert!(total > events, "the second replay raised alerts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while delivered(&hook.got.lock().unwrap()).len() < total {
        assert!(Instant::now() < deadline, "the survivor did not take over");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let all = delivered(&hook.got.lock().unwrap());
    let distinct: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!((all.len(), distinct.len()), (total, total), "each event once: {all:?}");
    let mut survivor = survivor;
    survivor.kill().unwrap();
    survivor.wait().unwrap();
}
