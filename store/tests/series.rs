//! The client series on both backends: what `series` and `top_clients` answer equals a plain
//! scan of every stored minute, every hour and day row equals the minute rows it folds, the
//! migration that re-keys `client_minutes` by minute keeps every row, and a store from before
//! the tiers gets them built from its minutes when opened. PostgreSQL comes from `GATEWATCH_TEST_PG` (an admin URL; each test creates
//! and drops its own database).

use gatewatch_core::agg::MinuteAgg;
use gatewatch_core::{ClientKey, ClientKind, Counts, Metric};
use gatewatch_store::prelude::*;
use gatewatch_store::{BatchWrite, CommitOutcome, MinuteRow};
use gatewatch_store::{Store, Tier};
use std::collections::BTreeMap;

mod support;
use support::PgDb;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
const T0: i64 = 1_795_000_000_000 / MIN * MIN;

/// A deterministic spread of clients and minutes: gaps, clients that come and go, a few
/// heavy hitters, and batches that revisit minutes already stored (so rows are merged).
fn batches() -> Vec<Vec<MinuteRow>> {
    spread(|b, r| {
        // Minutes 0..180 with holes at 50..70; later batches overlap earlier ones.
        let mut m = (b * 40 + r as i64 % 100) % 180;
        if (50..70).contains(&m) {
            m += 20;
        }
        T0 + m * MIN
    })
}

/// The same spread over five days of minutes around midnight UTC, so ranges cross day and
/// hour boundaries.
fn batches_over_days() -> Vec<Vec<MinuteRow>> {
    let midnight = T0 / DAY * DAY;
    spread(|b, r| midnight - 2 * DAY + ((b * 977 + r as i64 * 131) % (5 * DAY / MIN)) * MIN)
}

/// Four batches of 600 draws; `minute(batch, random)` places each draw.
fn spread(minute: impl Fn(i64, u64) -> i64) -> Vec<Vec<MinuteRow>> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let clients: Vec<ClientKey> = (0..40)
        .map(|i| match i % 3 {
            0 => ClientKey::new(ClientKind::Ip, format!("198.51.100.{i}")),
            1 => ClientKey::new(ClientKind::Principal, format!("user-{i:02}")),
            _ => ClientKey::new(ClientKind::ApiKey, format!("key{i}")),
        })
        .collect();
    let mut out = Vec::new();
    for b in 0..4 {
        let mut rows: BTreeMap<(ClientKey, i64), MinuteAgg> = BTreeMap::new();
        for _ in 0..600 {
            let m = minute(b, next(1 << 40));
            let c = &clients[(next(40) * next(40) / 40) as usize];
            let agg = rows.entry((c.clone(), m)).or_default();
            for _ in 0..=next(4) {
                let status = [200, 200, 401, 403, 404, 429, 503][next(7) as usize];
                let path = format!("/p/{}", next(30));
                let ip = format!("203.0.113.{}", next(20));
                agg.observe(status, next(5_000), Some(next(900) as f64), &path, Some(&ip));
            }
        }
        out.push(rows.into_iter().map(|((client, minute), agg)| MinuteRow { client, minute, agg }).collect());
    }
    out
}

async fn commit_all(store: &Store, batches: Vec<Vec<MinuteRow>>) {
    let mut prev = None;
    for (i, rows) in batches.into_iter().enumerate() {
        let position = format!("p{i}");
        let batch = BatchWrite {
            source: "test".into(),
            prev_position: prev.replace(position.clone()),
            position,
            events: rows.len() as u64,
            rows,
            ..BatchWrite::default()
        };
        assert!(matches!(store.commit_batch(batch).await.unwrap(), CommitOutcome::Committed));
    }
}

fn fingerprint(a: &MinuteAgg) -> (Counts, Option<u64>, u64, u64) {
    (a.counts, a.latency_max_ms.map(f64::to_bits), a.distinct_paths(), a.distinct_ips())
}

/// Ranges over the first spread: whole, partial, a hole, past the ends, empty.
fn ranges_within_hours(lo: i64, hi: i64) -> Vec<(i64, i64)> {
    vec![
        (lo, hi + MIN),
        (T0 + 30 * MIN, T0 + 90 * MIN),
        (T0 + 52 * MIN, T0 + 68 * MIN), // only the hole: empty
        (T0 + 179 * MIN, T0 + 400 * MIN),
        (T0 - 100 * MIN, T0 + MIN),
        (T0 + 10 * MIN, T0 + 10 * MIN), // empty range
    ]
}

/// Ranges over the five-day spread that the tiers answer: whole days, hours and ragged minutes.
fn ranges_over_days(lo: i64, hi: i64) -> Vec<(i64, i64)> {
    let midnight = T0 / DAY * DAY;
    vec![
        (lo, hi + MIN),
        (i64::MIN, i64::MAX),
        (midnight - DAY, midnight + DAY),
        (midnight - DAY + 7 * MIN, midnight + 2 * DAY - 3 * HOUR - 11 * MIN),
        (midnight - 2 * DAY + 59 * MIN, midnight + 5 * HOUR + MIN),
        (midnight + 3 * HOUR, midnight + 3 * HOUR + 30 * MIN),
    ]
}

/// Every hour and day row equals its client's minute rows merged: counters, the maximum and
/// the distinct counts exactly, latency quantiles within the sketch's error.
async fn check_tiers(store: &Store) {
    let all = store.all_minutes().await.unwrap();
    let clients: std::collections::BTreeSet<ClientKey> = all.iter().map(|r| r.client.clone()).collect();
    for tier in [Tier::Hour, Tier::Day] {
        let mut want: BTreeMap<(ClientKey, i64), MinuteAgg> = BTreeMap::new();
        for r in &all {
            want.entry((r.client.clone(), tier.floor(r.minute))).or_default().merge(&r.agg);
        }
        let mut got: BTreeMap<(ClientKey, i64), MinuteAgg> = BTreeMap::new();
        for c in &clients {
            for (t, a) in store.series(tier, c, i64::MIN, i64::MAX).await.unwrap() {
                got.insert((c.clone(), t), a);
            }
        }
        assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{tier:?} rows");
        for (k, w) in &want {
            let g = &got[k];
            assert_eq!(fingerprint(g), fingerprint(w), "{tier:?} {k:?}");
            let (gq, wq) = (g.latency_p95_ms().unwrap(), w.latency_p95_ms().unwrap());
            assert!((gq - wq).abs() <= 0.05 * wq.max(1.0), "{tier:?} {k:?}: p95 {gq} against {wq}");
        }
    }
}

async fn check_reads(store: &Store, ranges: fn(i64, i64) -> Vec<(i64, i64)>) {
    let all = store.all_minutes().await.unwrap();
    assert!(all.len() > 1_000, "{} rows", all.len());
    let (lo, hi) = store.time_range().await.unwrap().unwrap();
    assert_eq!(
        (lo, hi),
        (all.iter().map(|r| r.minute).min().unwrap(), all.iter().map(|r| r.minute).max().unwrap())
    );
    let ranges = ranges(lo, hi);
    let clients: Vec<ClientKey> = {
        let mut c: Vec<ClientKey> = all.iter().map(|r| r.client.clone()).collect();
        c.dedup();
        c.push(ClientKey::new(ClientKind::Ip, "192.0.2.1")); // never seen
        c
    };
    for &(from, to) in &ranges {
        let in_range = |r: &&MinuteRow| r.minute >= from && r.minute < to;
        for c in &clients {
            let got: Vec<(i64, _)> = store
                .series(Tier::Minute, c, from, to)
                .await
                .unwrap()
                .iter()
                .map(|(m, a)| (*m, fingerprint(a)))
                .collect();
            let want: Vec<(i64, _)> = all
                .iter()
                .filter(in_range)
                .filter(|r| &r.client == c)
                .map(|r| (r.minute, fingerprint(&r.agg)))
                .collect();
            assert_eq!(got, want, "series of {c:?} in [{from}, {to})");
        }
        let mut merged: BTreeMap<&ClientKey, MinuteAgg> = BTreeMap::new();
        for r in all.iter().filter(in_range) {
            merged.entry(&r.client).or_default().merge(&r.agg);
        }
        for metric in
            [Metric::Total, Metric::S403, Metric::Bytes, Metric::LatencyMaxMs, Metric::DistinctPaths]
        {
            let value = |a: &MinuteAgg| match metric {
                Metric::Total => a.counts.total as f64,
                Metric::S403 => a.counts.s403 as f64,
                Metric::Bytes => a.counts.bytes as f64,
                Metric::LatencyMaxMs => a.latency_max_ms.unwrap_or(-1.0),
                _ => a.distinct_paths() as f64,
            };
            let top = store.top_clients(metric, from, to, 5).await.unwrap();
            assert_eq!(top.len(), merged.len().min(5), "{metric:?} in [{from}, {to})");
            for (k, a) in &top {
                assert_eq!(
                    fingerprint(a),
                    fingerprint(&merged[k]),
                    "{metric:?}: {k:?} merged over the range"
                );
            }
            // The answer is a top 5: nobody left out ranks above the last one in.
            if let Some((_, last)) = top.last() {
                let floor = value(last);
                let above =
                    merged.iter().filter(|(k, a)| value(a) > floor && !top.iter().any(|(t, _)| t == **k));
                assert_eq!(above.count(), 0, "{metric:?} in [{from}, {to})");
            }
        }
    }
}

#[tokio::test]
async fn sqlite_reads_match_a_scan_of_every_minute() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap();
    commit_all(&store, batches()).await;
    check_reads(&store, ranges_within_hours).await;
    check_tiers(&store).await;
}

#[tokio::test]
async fn postgres_reads_match_a_scan_of_every_minute() {
    let db = PgDb::new("reads").await;
    let store = Store::open(&db.url).await.unwrap();
    commit_all(&store, batches()).await;
    check_reads(&store, ranges_within_hours).await;
    check_tiers(&store).await;
    store.close().await;
    db.drop_db().await;
}

#[tokio::test]
async fn sqlite_tiers_answer_as_the_minutes_they_fold() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap();
    commit_all(&store, batches_over_days()).await;
    check_tiers(&store).await;
    check_reads(&store, ranges_over_days).await;
}

#[tokio::test]
async fn postgres_tiers_answer_as_the_minutes_they_fold() {
    let db = PgDb::new("tiers").await;
    let store = Store::open(&db.url).await.unwrap();
    commit_all(&store, batches_over_days()).await;
    check_tiers(&store).await;
    check_reads(&store, ranges_over_days).await;
    store.close().await;
    db.drop_db().await;
}

/// Writes minute rows the way a store from before the tiers held them (this version's batch
/// commit also writes tier tables that such a store does not have).
async fn insert_before_tiers(store: &Store, rows: Vec<MinuteRow>) {
    const SQL: &str = "INSERT INTO client_minutes (client_type, client_value, minute, total, s2xx, s3xx, s4xx, \
         s401, s403, s404, s429, s5xx, bytes, latency_p50_ms, latency_p95_ms, latency_max_ms, distinct_paths, \
         distinct_ips, latency_sketch, paths_sketch, ips_sketch) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
    macro_rules! insert {
        ($pool:expr) => {{
            for mut r in rows {
                let e = r.agg.encode();
                let c = r.agg.counts;
                let mut q =
                    sqlx::query(SQL).bind(r.client.kind.as_str()).bind(r.client.value.clone()).bind(r.minute);
                for v in [c.total, c.s2xx, c.s3xx, c.s4xx, c.s401, c.s403, c.s404, c.s429, c.s5xx, c.bytes] {
                    q = q.bind(v as i64);
                }
                q.bind(e.latency_p50_ms)
                    .bind(e.latency_p95_ms)
                    .bind(r.agg.latency_max_ms)
                    .bind(e.distinct_paths as i64)
                    .bind(e.distinct_ips as i64)
                    .bind(e.latency)
                    .bind(e.paths)
                    .bind(e.ips)
                    .execute($pool)
                    .await
                    .unwrap();
            }
        }};
    }
    match store {
        Store::Sqlite(p) => insert!(p),
        Store::Postgres(p) => insert!(p),
    }
}

/// Applies the migrations before the re-keying one, stores rows under the old key, then opens
/// the store (which applies the rest) and checks every row is there and the key leads with the
/// minute.
async fn rekey_keeps_rows(url: &str, backend: &str) {
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < "0007" {
            std::fs::copy(&p, dir.path().join(&name)).unwrap();
        }
    }
    let old = Store::connect(url).await.unwrap();
    let migrator = sqlx::migrate::Migrator::new(dir.path()).await.unwrap();
    match &old {
        Store::Sqlite(p) => migrator.run(p).await.unwrap(),
        Store::Postgres(p) => migrator.run(p).await.unwrap(),
    }
    let (b, c) = {
        let mut all = batches();
        (all.remove(0), all.remove(0))
    };
    let stored = b.len();
    insert_before_tiers(&old, b).await;
    let before = old.all_minutes().await.unwrap();
    assert_eq!(before.len(), stored);
    old.close().await;

    let store = Store::open(url).await.unwrap();
    let after = store.all_minutes().await.unwrap();
    let key = |r: &MinuteRow| (r.client.clone(), r.minute, fingerprint(&r.agg));
    assert_eq!(after.iter().map(key).collect::<Vec<_>>(), before.iter().map(key).collect::<Vec<_>>());
    // Opening built the hour and day tiers from the stored minutes, once.
    check_tiers(&store).await;
    store.close().await;
    let store = Store::open(url).await.unwrap();
    check_tiers(&store).await;
    // Writing and merging work on the new key.
    let batch = BatchWrite {
        source: "test".into(),
        prev_position: None,
        position: "p0".into(),
        rows: c,
        ..BatchWrite::default()
    };
    assert!(matches!(store.commit_batch(batch).await.unwrap(), CommitOutcome::Committed));
    check_tiers(&store).await;
    // The key leads with the minute, and the table has no other index (a WITHOUT ROWID
    // table's key is the table itself; SQLite does not list it in sqlite_master).
    let (key_columns, indexes): (Vec<String>, i64) = match &store {
        Store::Sqlite(p) => (
            sqlx::query_scalar("SELECT name FROM pragma_table_info('client_minutes') WHERE pk > 0 ORDER BY pk")
                .fetch_all(p)
                .await
                .unwrap(),
            sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'client_minutes'")
                .fetch_one(p)
                .await
                .unwrap(),
        ),
        Store::Postgres(p) => (
            sqlx::query_scalar(
                "SELECT a.attname::text FROM pg_index i \
                 JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k (attnum, n) ON true \
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
                 WHERE i.indrelid = 'client_minutes'::regclass AND i.indisprimary ORDER BY k.n",
            )
            .fetch_all(p)
            .await
            .unwrap(),
            sqlx::query_scalar("SELECT count(*) FROM pg_index WHERE indrelid = 'client_minutes'::regclass AND NOT indisprimary")
                .fetch_one(p)
                .await
                .unwrap(),
        ),
    };
    assert_eq!(key_columns, ["minute", "client_type", "client_value"]);
    assert_eq!(indexes, 0, "client_minutes_by_minute is gone");
    store.close().await;
}

#[tokio::test]
async fn sqlite_rekey_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    rekey_keeps_rows(&format!("sqlite://{}", dir.path().join("m.db").display()), "sqlite").await;
}

#[tokio::test]
async fn postgres_rekey_keeps_every_row() {
    let db = PgDb::new("rekey").await;
    rekey_keeps_rows(&db.url, "postgres").await;
    db.drop_db().await;
}
