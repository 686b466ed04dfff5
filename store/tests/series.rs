//! The client-minute store on both backends: what `series` and `top_clients` answer equals a
//! plain scan of every stored minute, and the migration that re-keys `client_minutes` by minute
//! keeps every row. PostgreSQL comes from `GATEWATCH_TEST_PG` (an admin URL; each test creates
//! and drops its own database).

use gatewatch_core::agg::MinuteAgg;
use gatewatch_core::{ClientKey, ClientKind, Counts, Metric};
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use gatewatch_store::{BatchWrite, CommitOutcome, MinuteRow};
use std::collections::BTreeMap;

mod support;
use support::PgDb;

const MIN: i64 = 60_000;
const T0: i64 = 1_795_000_000_000 / MIN * MIN;

/// A deterministic spread of clients and minutes: gaps, clients that come and go, a few
/// heavy hitters, and batches that revisit minutes already stored (so rows are merged).
fn batches() -> Vec<Vec<MinuteRow>> {
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
            // Minutes 0..180 with holes at 50..70; later batches overlap earlier ones.
            let mut m = (b * 40 + next(100) as i64) % 180;
            if (50..70).contains(&m) {
                m += 20;
            }
            let c = &clients[(next(40) * next(40) / 40) as usize];
            let agg = rows.entry((c.clone(), T0 + m * MIN)).or_default();
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

async fn check_reads(store: &Store) {
    let all = store.all_minutes().await.unwrap();
    assert!(all.len() > 1_000, "{} rows", all.len());
    let (lo, hi) = store.time_range().await.unwrap().unwrap();
    assert_eq!(
        (lo, hi),
        (all.iter().map(|r| r.minute).min().unwrap(), all.iter().map(|r| r.minute).max().unwrap())
    );
    let ranges = [
        (lo, hi + MIN),
        (T0 + 30 * MIN, T0 + 90 * MIN),
        (T0 + 52 * MIN, T0 + 68 * MIN), // only the hole: empty
        (T0 + 179 * MIN, T0 + 400 * MIN),
        (T0 - 100 * MIN, T0 + MIN),
        (T0 + 10 * MIN, T0 + 10 * MIN), // empty range
    ];
    let clients: Vec<ClientKey> = {
        let mut c: Vec<ClientKey> = all.iter().map(|r| r.client.clone()).collect();
        c.dedup();
        c.push(ClientKey::new(ClientKind::Ip, "192.0.2.1")); // never seen
        c
    };
    for &(from, to) in &ranges {
        let in_range = |r: &&MinuteRow| r.minute >= from && r.minute < to;
        for c in &clients {
            let got: Vec<(i64, _)> =
                store.series(c, from, to).await.unwrap().iter().map(|(m, a)| (*m, fingerprint(a))).collect();
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
    check_reads(&store).await;
}

#[tokio::test]
async fn postgres_reads_match_a_scan_of_every_minute() {
    let db = PgDb::new("reads").await;
    let store = Store::open(&db.url).await.unwrap();
    commit_all(&store, batches()).await;
    check_reads(&store).await;
    store.close().await;
    db.drop_db().await;
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
    commit_all(&old, vec![b]).await;
    let before = old.all_minutes().await.unwrap();
    assert_eq!(before.len(), stored);
    old.close().await;

    let store = Store::open(url).await.unwrap();
    let after = store.all_minutes().await.unwrap();
    let key = |r: &MinuteRow| (r.client.clone(), r.minute, fingerprint(&r.agg));
    assert_eq!(after.iter().map(key).collect::<Vec<_>>(), before.iter().map(key).collect::<Vec<_>>());
    // Writing and merging work on the new key.
    let batch = BatchWrite {
        source: "test".into(),
        prev_position: Some("p0".into()),
        position: "p1".into(),
        rows: c,
        ..BatchWrite::default()
    };
    assert!(matches!(store.commit_batch(batch).await.unwrap(), CommitOutcome::Committed));
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
