//! Writing a batch's client-minutes: the hot path of every commit (a day of traffic from 5,000
//! clients is ~700k rows), so each backend gets the statement shape it runs fastest.
//!
//! Both follow the same plan. New client-minutes (nearly all of them in a replay) are inserted
//! whole with `ON CONFLICT DO NOTHING RETURNING` the keys that went in. Only the rest, minutes
//! already stored by an earlier batch, are read (locked `FOR UPDATE` on PostgreSQL), merged in
//! Rust (sketches cannot be merged in SQL) and written back. Under concurrent PostgreSQL
//! writers, an insert of a key another transaction is inserting waits for it, then finds the
//! conflict, so the row is read and merged below.
//!
//! SQLite takes multi-row `VALUES` lists (one statement per `SQLITE_ROWS` rows). PostgreSQL
//! takes one array per column through `UNNEST`: 21 parameters a statement whatever its size,
//! one plan, and no 4,000-placeholder statement to parse.

use crate::batch::MinuteRow;
use crate::error::Result;
use crate::records::{KeyRecord, MinuteRecord, ROW_COLUMNS};
use crate::tiers::Tier;
use gatewatch_core::agg::Encoded;
use sqlx::{FromRow, Postgres, QueryBuilder, Sqlite, Transaction};

/// Rows per multi-row SQLite statement: 21 binds a row stays below SQLite's 32,766.
const SQLITE_ROWS: usize = 500;
/// Rows per PostgreSQL array statement.
const PG_ROWS: usize = 5_000;

/// The indexes into `rows` (sorted by minute and client, the key's order) of the keys in the
/// returned `found` rows.
fn positions_of<'r, R: sqlx::Row>(rows: &[MinuteRow], found: &'r [R]) -> Result<Vec<usize>>
where
    KeyRecord: FromRow<'r, R>,
{
    let mut at = Vec::with_capacity(found.len());
    for row in found {
        let (client, minute) = KeyRecord::from_row(row)?.key()?;
        if let Ok(i) = rows.binary_search_by(|r| (r.minute, &r.client).cmp(&(minute, &client))) {
            at.push(i);
        }
    }
    Ok(at)
}

/// Folds the stored aggregates in `existing` into the matching rows of `chunk`.
fn merge_stored<'r, R: sqlx::Row>(chunk: &mut [MinuteRow], existing: &'r [R]) -> Result<()>
where
    KeyRecord: FromRow<'r, R>,
    MinuteRecord: FromRow<'r, R>,
{
    let at = positions_of(chunk, existing)?;
    for (row, i) in existing.iter().zip(at) {
        let stored = MinuteRow::try_from(MinuteRecord::from_row(row)?)?;
        chunk[i].agg.merge(&stored.agg);
    }
    Ok(())
}

/// Which of `rows` were not inserted (their key was stored already), given the inserted ones.
fn not_inserted(n: usize, inserted: &[usize]) -> Vec<usize> {
    let mut new = vec![false; n];
    for &i in inserted {
        new[i] = true;
    }
    (0..n).filter(|&i| !new[i]).collect()
}

/// Binds one row, in `ROW_COLUMNS` order, to a `push_values` builder.
macro_rules! push_row {
    ($b:expr, $r:expr, $e:expr) => {{
        let (b, r, e): (_, &MinuteRow, &Encoded) = (&mut $b, $r, $e);
        let c = &r.agg.counts;
        b.push_bind(r.client.kind.as_str()).push_bind(r.client.value.as_str()).push_bind(r.minute);
        for v in [c.total, c.s2xx, c.s3xx, c.s4xx, c.s401, c.s403, c.s404, c.s429, c.s5xx, c.bytes] {
            b.push_bind(v as i64);
        }
        b.push_bind(e.latency_p50_ms)
            .push_bind(e.latency_p95_ms)
            .push_bind(r.agg.latency_max_ms)
            .push_bind(e.distinct_paths as i64)
            .push_bind(e.distinct_ips as i64)
            .push_bind(e.latency.as_deref())
            .push_bind(e.paths.as_slice())
            .push_bind(e.ips.as_slice());
    }};
}

const UPDATE_ALL: &str = " ON CONFLICT (minute, client_type, client_value) DO UPDATE SET \
     total = excluded.total, s2xx = excluded.s2xx, s3xx = excluded.s3xx, \
     s4xx = excluded.s4xx, s401 = excluded.s401, s403 = excluded.s403, \
     s404 = excluded.s404, s429 = excluded.s429, s5xx = excluded.s5xx, \
     bytes = excluded.bytes, latency_p50_ms = excluded.latency_p50_ms, \
     latency_p95_ms = excluded.latency_p95_ms, latency_max_ms = excluded.latency_max_ms, \
     distinct_paths = excluded.distinct_paths, distinct_ips = excluded.distinct_ips, \
     latency_sketch = excluded.latency_sketch, paths_sketch = excluded.paths_sketch, \
     ips_sketch = excluded.ips_sketch";

const INSERT_NEW: &str = " ON CONFLICT (minute, client_type, client_value) DO NOTHING \
     RETURNING client_type, client_value, minute";

/// Merges `rows` (sorted by bucket and client) into `tier`'s table, in the caller's
/// transaction.
pub(super) trait WriteRows {
    async fn write_rows(&mut self, tier: Tier, rows: &mut [MinuteRow]) -> Result<()>;
}

/// Rows in each multi-row SQLite statement for `n` rows: full statements of [`SQLITE_ROWS`],
/// then the rest in powers of two. A connection prepares and caches one statement per distinct
/// SQL text; one per remainder size would mean a new prepare (and a cached program of up to
/// 10,500 parameters) for nearly every batch, where this needs at most ten shapes.
fn statement_sizes(mut n: usize) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let size = match n {
            0 => return None,
            n if n >= SQLITE_ROWS => SQLITE_ROWS,
            n => 1 << n.ilog2(),
        };
        n -= size;
        Some(size)
    })
}

/// `items` cut into consecutive pieces of [`statement_sizes`].
fn statement_chunks<T>(items: &mut [T]) -> impl Iterator<Item = &mut [T]> {
    let mut rest = items;
    statement_sizes(rest.len()).map(move |size| {
        let (chunk, tail) = std::mem::take(&mut rest).split_at_mut(size);
        rest = tail;
        chunk
    })
}

impl WriteRows for Transaction<'_, Sqlite> {
    async fn write_rows(&mut self, tier: Tier, rows: &mut [MinuteRow]) -> Result<()> {
        let table = tier.table();
        for chunk in statement_chunks(rows) {
            let enc: Vec<Encoded> = chunk.iter_mut().map(|r| r.agg.encode()).collect();
            let mut q = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {table} ({ROW_COLUMNS}) "));
            q.push_values(chunk.iter().zip(&enc), |mut b, (r, e)| push_row!(b, r, e));
            q.push(INSERT_NEW);
            let inserted = q.build().fetch_all(&mut **self).await?;
            if inserted.len() == chunk.len() {
                continue;
            }
            let mut not_new = not_inserted(chunk.len(), &positions_of(chunk, &inserted)?);
            for old in statement_chunks(&mut not_new) {
                // A join with the keys: one index probe a key.
                let mut q = QueryBuilder::<Sqlite>::new("WITH k (t, v, m) AS (");
                q.push_values(old.iter().map(|&i| &chunk[i]), |mut b, r| {
                    b.push_bind(r.client.kind.as_str())
                        .push_bind(r.client.value.as_str())
                        .push_bind(r.minute);
                });
                // (The key columns are named apart from the table's, so no column needs a prefix.)
                q.push(format!(
                    ") SELECT {ROW_COLUMNS} FROM {table} JOIN k ON client_type = k.t \
                     AND client_value = k.v AND minute = k.m"
                ));
                let existing = q.build().fetch_all(&mut **self).await?;
                merge_stored(chunk, &existing)?;
                let enc: Vec<Encoded> = old.iter().map(|&i| chunk[i].agg.encode()).collect();
                let mut q = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {table} ({ROW_COLUMNS}) "));
                q.push_values(old.iter().map(|&i| &chunk[i]).zip(&enc), |mut b, (r, e)| push_row!(b, r, e));
                q.push(UPDATE_ALL);
                q.build().execute(&mut **self).await?;
            }
        }
        Ok(())
    }
}

/// The columns of a set of rows as PostgreSQL arrays, in `ROW_COLUMNS` order.
#[derive(Default)]
struct Columns<'r> {
    kind: Vec<&'r str>,
    value: Vec<&'r str>,
    minute: Vec<i64>,
    counts: [Vec<i64>; 10],
    p50: Vec<Option<f64>>,
    p95: Vec<Option<f64>>,
    max: Vec<Option<f64>>,
    distinct_paths: Vec<i64>,
    distinct_ips: Vec<i64>,
    latency: Vec<Option<Vec<u8>>>,
    paths: Vec<Vec<u8>>,
    ips: Vec<Vec<u8>>,
}

impl<'r> Columns<'r> {
    fn push(&mut self, r: &'r MinuteRow, e: Encoded) {
        let c = &r.agg.counts;
        self.kind.push(r.client.kind.as_str());
        self.value.push(r.client.value.as_str());
        self.minute.push(r.minute);
        for (col, v) in self
            .counts
            .iter_mut()
            .zip([c.total, c.s2xx, c.s3xx, c.s4xx, c.s401, c.s403, c.s404, c.s429, c.s5xx, c.bytes])
        {
            col.push(v as i64);
        }
        self.p50.push(e.latency_p50_ms);
        self.p95.push(e.latency_p95_ms);
        self.max.push(r.agg.latency_max_ms);
        self.distinct_paths.push(e.distinct_paths as i64);
        self.distinct_ips.push(e.distinct_ips as i64);
        self.latency.push(e.latency);
        self.paths.push(e.paths);
        self.ips.push(e.ips);
    }

    fn bind(self, q: PgQuery<'_>) -> PgQuery<'_> {
        let mut q = q.bind(self.kind).bind(self.value).bind(self.minute);
        for col in self.counts {
            q = q.bind(col);
        }
        q.bind(self.p50)
            .bind(self.p95)
            .bind(self.max)
            .bind(self.distinct_paths)
            .bind(self.distinct_ips)
            .bind(self.latency)
            .bind(self.paths)
            .bind(self.ips)
    }
}

type PgQuery<'q> = sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>;

/// `SELECT * FROM UNNEST(…)` over the 21 column arrays, typed.
const UNNEST_ROWS: &str = "SELECT * FROM UNNEST($1::text[], $2::text[], $3::int8[], $4::int8[], \
     $5::int8[], $6::int8[], $7::int8[], $8::int8[], $9::int8[], $10::int8[], $11::int8[], \
     $12::int8[], $13::int8[], $14::float8[], $15::float8[], $16::float8[], $17::int8[], \
     $18::int8[], $19::bytea[], $20::bytea[], $21::bytea[])";

impl WriteRows for Transaction<'_, Postgres> {
    async fn write_rows(&mut self, tier: Tier, rows: &mut [MinuteRow]) -> Result<()> {
        let table = tier.table();
        for chunk in rows.chunks_mut(PG_ROWS) {
            let enc: Vec<Encoded> = chunk.iter_mut().map(|r| r.agg.encode()).collect();
            let mut cols = Columns::default();
            for (r, e) in chunk.iter().zip(enc) {
                cols.push(r, e);
            }
            let sql = format!("INSERT INTO {table} ({ROW_COLUMNS}) {UNNEST_ROWS}{INSERT_NEW}");
            let inserted = cols.bind(sqlx::query(sqlx::AssertSqlSafe(sql))).fetch_all(&mut **self).await?;
            if inserted.len() == chunk.len() {
                continue;
            }
            let old = not_inserted(chunk.len(), &positions_of(chunk, &inserted)?);
            let (kinds, values, minutes): (Vec<&str>, Vec<&str>, Vec<i64>) = old
                .iter()
                .map(|&i| (chunk[i].client.kind.as_str(), chunk[i].client.value.as_str(), chunk[i].minute))
                .fold((vec![], vec![], vec![]), |(mut a, mut b, mut c), (x, y, z)| {
                    a.push(x);
                    b.push(y);
                    c.push(z);
                    (a, b, c)
                });
            let existing = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {ROW_COLUMNS} FROM {table} c \
                 JOIN UNNEST($1::text[], $2::text[], $3::int8[]) AS k (t, v, m) \
                 ON c.client_type = k.t AND c.client_value = k.v AND c.minute = k.m FOR UPDATE OF c"
            )))
            .bind(kinds)
            .bind(values)
            .bind(minutes)
            .fetch_all(&mut **self)
            .await?;
            merge_stored(chunk, &existing)?;
            let enc: Vec<Encoded> = old.iter().map(|&i| chunk[i].agg.encode()).collect();
            let mut cols = Columns::default();
            for (&i, e) in old.iter().zip(enc) {
                cols.push(&chunk[i], e);
            }
            let sql = format!("INSERT INTO {table} ({ROW_COLUMNS}) {UNNEST_ROWS}{UPDATE_ALL}");
            cols.bind(sqlx::query(sqlx::AssertSqlSafe(sql))).execute(&mut **self).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_sizes_cover_every_row_in_few_shapes() {
        let mut shapes = std::collections::BTreeSet::new();
        for n in 0..5_000 {
            let mut items: Vec<usize> = (0..n).collect();
            let sizes: Vec<usize> = statement_chunks(&mut items).map(|c| c.len()).collect();
            let order: Vec<usize> = statement_chunks(&mut items).flat_map(|c| c.to_vec()).collect();
            assert_eq!(order, (0..n).collect::<Vec<_>>(), "{n}: every item once, in order");
            assert_eq!(sizes.iter().sum::<usize>(), n, "{n}: {sizes:?}");
            assert!(sizes.iter().all(|&s| (1..=SQLITE_ROWS).contains(&s)), "{n}: {sizes:?}");
            shapes.extend(sizes);
        }
        assert_eq!(shapes.len(), 10, "{shapes:?}");
    }
}
