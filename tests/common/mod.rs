//! Helpers shared by the end-to-end suites: the real binary, stores and comparisons.
#![allow(dead_code)] // each suite uses its own subset

use gatewatch_store::MinuteRow;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gatewatch"));
    c.env_remove("GATEWATCH_CONFIG")
        .env("GATEWATCH_LOG", "warn")
        .env("GATEWATCH_SCRUB__KEY", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0");
    c
}

pub fn run_ok(args: &[&str]) -> Output {
    run_cmd_ok(bin(), args)
}

/// Runs `cmd` with `args` and fails the test, with both outputs, unless it succeeds.
pub fn run_cmd_ok(mut cmd: Command, args: &[&str]) -> Output {
    let out = cmd.args(args).output().expect("spawn gatewatch");
    assert!(
        out.status.success(),
        "gatewatch {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn sqlite_url(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

pub async fn minutes(db: &str) -> Vec<MinuteRow> {
    let store = Store::connect(db).await.unwrap();
    let rows = store.all_minutes().await.unwrap();
    store.close().await;
    rows
}

/// (client, minute) → (total, s2xx, s4xx, s401, s403, s404, s429, s5xx, bytes, distinct_ips)
pub type Totals = BTreeMap<(String, i64), [u64; 10]>;

pub fn totals(rows: &[MinuteRow]) -> Totals {
    rows.iter()
        .map(|r| {
            let c = &r.agg.counts;
            (
                (r.client.to_string(), r.minute),
                [
                    c.total,
                    c.s2xx,
                    c.s4xx,
                    c.s401,
                    c.s403,
                    c.s404,
                    c.s429,
                    c.s5xx,
                    c.bytes,
                    r.agg.distinct_ips(),
                ],
            )
        })
        .collect()
}

/// Asserts two maps are equal, reporting the count and the first few differences only.
pub fn assert_same<V: PartialEq + std::fmt::Debug>(
    a: &BTreeMap<(String, i64), V>,
    b: &BTreeMap<(String, i64), V>,
    what: &str,
) {
    let keys: std::collections::BTreeSet<_> = a.keys().chain(b.keys()).collect();
    let diffs: Vec<_> = keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).collect();
    let sample: Vec<_> = diffs.iter().take(5).map(|k| (k, a.get(*k), b.get(*k))).collect();
    assert!(
        diffs.is_empty(),
        "{what}: {} of {} client-minutes differ, e.g. {sample:#?}",
        diffs.len(),
        a.len()
    );
}

/// A fresh PostgreSQL database, dropped on `drop`.
pub struct PgDb {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDb {
    pub async fn new() -> PgDb {
        let admin = std::env::var("GATEWATCH_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        let name = format!(
            "gatewatch_test_{}_{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
                % 1_000_000_000
        );
        let pool = sqlx::PgPool::connect(&admin).await.unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin} is required for these tests (set GATEWATCH_TEST_PG): {e}")
        });
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
        pool.close().await;
        let base = admin.rsplit_once('/').unwrap().0;
        PgDb { url: format!("{base}/{name}"), admin, name }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // A separate thread: this may run inside a tokio runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                if let Ok(pool) = sqlx::PgPool::connect(&admin).await {
                    let q = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(q)).execute(&pool).await;
                }
            })
        })
        .join();
    }
}

/// Creates an API token in the store at `db` with `gatewatch token create` (the token is the
/// last line of stdout).
pub fn create_token(db: &str, scope: &str) -> String {
    let out = bin().args(["token", "create", "--scope", scope, "--db", db]).output().unwrap();
    assert!(out.status.success(), "token create: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().trim().to_string();
    assert!(token.starts_with("gwt_"), "{stdout}");
    token
}
