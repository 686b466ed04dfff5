//! The client series at three resolutions: minute, hour and UTC day (ARCHITECTURE.md, "Store
//! tiers"). An hour or day row is every minute row of its client in that hour or day, merged
//! (counters add, sketches merge).
//!
//! Complete hours are rolled up from the stored minute rows, complete days from the hour rows,
//! each step one transaction that also moves its mark in `store_meta` ([`Rolled`]): every minute
//! before `hours_through` is in `client_hours`, every hour before `days_through` in
//! `client_days`. A batch whose minutes are older than a mark (late data) merges them into the
//! rolled rows in its own transaction. So no crash or replay can make the tiers disagree, and a
//! replay writes each hour and day row once instead of once per batch.
//!
//! Range reads are planned over the tiers: [`plan`] cuts `[from, to)` into whole days in the
//! middle, whole hours at the edges and minutes at the ragged ends and after the marks, so a
//! 30-day question reads about 30 day rows, 46 hour rows and 118 minute rows per client instead
//! of 43,200 minute rows.

use crate::Store;
use crate::batch::MinuteRow;
use crate::error::Result;
use crate::records::{MinuteRecord, ROW_COLUMNS, convert};
use crate::rows::WriteRows;
use gatewatch_core::agg::Merger;
use gatewatch_core::model::ClientKey;
use gatewatch_core::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use std::collections::BTreeMap;

/// Range ends are clamped to ±this many ms before planning.
pub(crate) const TIME_LIMIT: i64 = 1 << 62;

/// A resolution of the client series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Minute,
    Hour,
    Day,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Minute, Tier::Hour, Tier::Day];

    /// The table that holds this tier's rows.
    pub fn table(self) -> &'static str {
        match self {
            Tier::Minute => "client_minutes",
            Tier::Hour => "client_hours",
            Tier::Day => "client_days",
        }
    }

    /// Length of one row's bucket, in ms.
    pub fn step_ms(self) -> i64 {
        match self {
            Tier::Minute => MINUTE_MS,
            Tier::Hour => HOUR_MS,
            Tier::Day => DAY_MS,
        }
    }

    /// Start of the bucket holding `t` (epoch ms; days are UTC).
    pub fn floor(self, t: i64) -> i64 {
        t - t.rem_euclid(self.step_ms())
    }

    /// The first bucket start at or after `t`, if it is representable.
    pub fn ceil(self, t: i64) -> Option<i64> {
        let f = self.floor(t);
        if f == t { Some(t) } else { f.checked_add(self.step_ms()) }
    }
}

/// One part of a planned range: rows of `tier` whose bucket starts in `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub tier: Tier,
    pub from: i64,
    pub to: i64,
}

/// How far the tiers are rolled up (`store_meta`): `None` before the first roll-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rolled {
    /// Every minute before this is in `client_hours` (an hour start).
    pub hours: Option<i64>,
    /// Every hour before this is in `client_days` (a day start, at most `hours`).
    pub days: Option<i64>,
}

impl Rolled {
    /// Everything rolled up (for tests of the planner alone).
    pub const ALL: Rolled = Rolled { hours: Some(TIME_LIMIT), days: Some(TIME_LIMIT) };
}

/// Cuts `[from, to)` into the coarsest rows that cover it exactly: whole days in the middle,
/// whole hours beside them and minute rows at the ragged ends, hour and day rows only where
/// `rolled` says they are complete. Every minute bucket starting in `[from, to)` is covered by
/// exactly one span. Empty spans are left out.
pub fn plan(from: i64, to: i64, rolled: Rolled) -> Vec<Span> {
    // No event lies this far from 1970 (±146,000 years); clamping keeps the bucket arithmetic
    // below from overflowing on a caller's extreme range.
    let (from, to) = (from.clamp(-TIME_LIMIT, TIME_LIMIT), to.clamp(-TIME_LIMIT, TIME_LIMIT));
    let hours = rolled.hours.map_or(-TIME_LIMIT, |h| Tier::Hour.floor(h.clamp(-TIME_LIMIT, TIME_LIMIT)));
    let days =
        rolled.days.map_or(-TIME_LIMIT, |d| Tier::Day.floor(d.clamp(-TIME_LIMIT, TIME_LIMIT))).min(hours);
    let mut spans = Vec::with_capacity(6);
    let mut push = |tier, from: i64, to: i64| {
        if from < to {
            match spans.last_mut() {
                Some(Span { tier: Tier::Minute, to: end, .. }) if tier == Tier::Minute && *end == from => {
                    *end = to
                }
                _ => spans.push(Span { tier, from, to }),
            }
        }
    };
    // Hour and day rows serve `[from, rolled_to)`; minutes the rest.
    let rolled_to = to.min(hours).max(from);
    match (Tier::Hour.ceil(from), Tier::Hour.floor(rolled_to)) {
        (Some(h0), h1) if h0 < h1 => {
            push(Tier::Minute, from, h0);
            match (Tier::Day.ceil(h0), Tier::Day.floor(h1).min(days)) {
                (Some(d0), d1) if d0 < d1 => {
                    push(Tier::Hour, h0, d0);
                    push(Tier::Day, d0, d1);
                    push(Tier::Hour, d1, h1);
                }
                _ => push(Tier::Hour, h0, h1),
            }
            push(Tier::Minute, h1, to);
        }
        _ => push(Tier::Minute, from, to),
    }
    spans
}

/// Folds rows of a finer tier into `tier`'s buckets: one row per client and bucket, sorted by
/// bucket then client (the order the batch write expects).
pub fn fold(rows: &[MinuteRow], tier: Tier) -> Vec<MinuteRow> {
    fold_refs(&rows.iter().collect::<Vec<_>>(), tier)
}

/// [`fold`] over borrowed rows.
pub fn fold_refs(rows: &[&MinuteRow], tier: Tier) -> Vec<MinuteRow> {
    // A Merger per bucket: one HLL union each, not one per row merged.
    let mut out: BTreeMap<(i64, &ClientKey), Merger> = BTreeMap::new();
    for r in rows {
        out.entry((tier.floor(r.minute), &r.client)).or_default().add(&r.agg);
    }
    out.into_iter()
        .map(|((minute, client), m)| MinuteRow { client: client.clone(), minute, agg: m.finish() })
        .collect()
}

/// Reads the roll-up marks in `$tx` (`$lock`: ` FOR SHARE`, ` FOR UPDATE` or nothing).
macro_rules! read_rolled {
    ($tx:expr, $lock:expr) => {{
        let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT key, value FROM store_meta WHERE key IN ('hours_through', 'days_through'){}",
            $lock
        )))
        .fetch_all(&mut *$tx)
        .await?;
        let get = |k: &str| rows.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
        $crate::tiers::Rolled { hours: get("hours_through"), days: get("days_through") }
    }};
}
pub(crate) use read_rolled;

/// The rows of `tier`'s table with a bucket in `[from, to)`, every client, in the caller's
/// transaction.
macro_rules! rows_between {
    ($tx:expr, $tier:expr, $from:expr, $to:expr) => {{
        let records: Vec<MinuteRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ROW_COLUMNS} FROM {} WHERE minute >= $1 AND minute < $2",
            $tier.table()
        )))
        .bind($from)
        .bind($to)
        .fetch_all(&mut *$tx)
        .await?;
        let rows: Vec<MinuteRow> = convert(records)?;
        rows
    }};
}

impl Store {
    /// The roll-up marks.
    pub async fn rolled(&self) -> Result<Rolled> {
        Ok(on_pool!(self, p => {
            let mut c = p.acquire().await?;
            read_rolled!(c, "")
        }))
    }

    /// Rolls complete hours up from the minute rows and complete days from the hour rows, up to
    /// the hour starting at `limit`: one hour (and the day it completes) per transaction, so a
    /// stopped roll-up resumes where it was. Returns the hours rolled. With `progress`, says how
    /// far it is every few seconds (building the tiers of a large store on first open).
    pub(crate) async fn roll_up(&self, limit: i64, progress: bool) -> Result<u64> {
        let lock = if matches!(self, Store::Postgres(_)) { " FOR UPDATE" } else { "" };
        let started = std::time::Instant::now();
        let mut said = started;
        let mut rolled_hours = 0u64;
        let mut first: Option<i64> = None;
        loop {
            let more = on_pool!(self, p => {
                let mut tx = p.begin().await?;
                let mut rolled = read_rolled!(tx, lock);
                if rolled.hours.is_none() {
                    // The first roll-up starts at the first stored minute.
                    let lo: Option<i64> =
                        sqlx::query_scalar("SELECT MIN(minute) FROM client_minutes").fetch_one(&mut *tx).await?;
                    let Some(lo) = lo else { return Ok(rolled_hours) };
                    rolled = Rolled { hours: Some(Tier::Hour.floor(lo)), days: Some(Tier::Day.floor(lo)) };
                    for (k, v) in [("hours_through", rolled.hours), ("days_through", rolled.days)] {
                        sqlx::query("INSERT INTO store_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                            .bind(k)
                            .bind(v)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                let (hour, mut day) = (rolled.hours.unwrap_or(limit), rolled.days.unwrap_or(limit));
                let start = *first.get_or_insert(hour);
                let more = hour + HOUR_MS <= limit;
                if more {
                    let rows = rows_between!(tx, Tier::Minute, hour, hour + HOUR_MS);
                    let mut hours = fold(&rows, Tier::Hour);
                    tx.write_rows(Tier::Hour, &mut hours).await?;
                    sqlx::query("UPDATE store_meta SET value = $1 WHERE key = 'hours_through'")
                        .bind(hour + HOUR_MS)
                        .execute(&mut *tx)
                        .await?;
                    rolled_hours += 1;
                }
                let hours_through = if more { hour + HOUR_MS } else { hour };
                while day + DAY_MS <= hours_through {
                    let rows = rows_between!(tx, Tier::Hour, day, day + DAY_MS);
                    let mut days = fold(&rows, Tier::Day);
                    tx.write_rows(Tier::Day, &mut days).await?;
                    day += DAY_MS;
                    sqlx::query("UPDATE store_meta SET value = $1 WHERE key = 'days_through'")
                        .bind(day)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                if progress && (said.elapsed() >= std::time::Duration::from_secs(5) || !more) && hours_through > start {
                    said = std::time::Instant::now();
                    let pct = (hours_through - start) as f64 * 100.0 / (limit - start).max(1) as f64;
                    tracing::info!(
                        "rolling the hour and day tiers up from stored minutes: {pct:.0} % ({:.0} s)",
                        started.elapsed().as_secs_f64()
                    );
                }
                more
            });
            if !more {
                return Ok(rolled_hours);
            }
        }
    }

    /// Rolls the tiers of a store opened with minute rows not yet rolled up (one from before
    /// the tiers, or stopped during a roll-up) forward to its newest complete hour.
    pub(crate) async fn backfill_tiers(&self) -> Result<()> {
        let newest: Option<i64> = on_pool!(self, p => {
            sqlx::query_scalar("SELECT MAX(minute) FROM client_minutes").fetch_one(p).await?
        });
        if let Some(newest) = newest {
            self.roll_up(Tier::Hour.floor(newest), true).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The minute buckets each span covers, in order, with the tier that covers them.
    fn covered(spans: &[Span]) -> Vec<(i64, Tier)> {
        let mut out = Vec::new();
        for s in spans {
            assert_eq!(Tier::Minute.floor(s.from), s.from - s.from.rem_euclid(MINUTE_MS));
            if s.tier != Tier::Minute {
                assert_eq!(s.tier.floor(s.from), s.from, "{s:?} starts on its tier's bucket");
                assert_eq!(s.tier.floor(s.to), s.to, "{s:?} ends on its tier's bucket");
            }
            let mut m = Tier::Minute.ceil(s.from).unwrap();
            while m < s.to {
                out.push((m, s.tier));
                m += MINUTE_MS;
            }
        }
        out
    }

    proptest! {
        #[test]
        fn a_plan_covers_each_minute_of_its_range_once(
            from in -3 * DAY_MS..40 * DAY_MS,
            len in 0..45 * DAY_MS,
            hours in proptest::option::of(-5 * DAY_MS..90 * DAY_MS),
            days_back in 0..10 * DAY_MS,
        ) {
            let to = from + len;
            let rolled = Rolled {
                hours: hours.map(|h| Tier::Hour.floor(h)),
                days: hours.map(|h| Tier::Day.floor(h - days_back)),
            };
            let spans = plan(from, to, rolled);
            // Coarse rows only where they are complete.
            for s in &spans {
                match s.tier {
                    Tier::Hour => prop_assert!(s.to <= rolled.hours.unwrap(), "{:?} {:?}", s, rolled),
                    Tier::Day => prop_assert!(s.to <= rolled.days.unwrap(), "{:?} {:?}", s, rolled),
                    Tier::Minute => {}
                }
            }
            let got: Vec<i64> = covered(&spans).into_iter().map(|(m, _)| m).collect();
            let mut want = Vec::new();
            let mut m = Tier::Minute.ceil(from).unwrap();
            while m < to {
                want.push(m);
                m += MINUTE_MS;
            }
            prop_assert_eq!(got, want);
            // Coarsest first: at most two minute spans and two hour spans, and one day span.
            for (tier, most) in [(Tier::Minute, 2), (Tier::Hour, 2), (Tier::Day, 1)] {
                prop_assert!(spans.iter().filter(|s| s.tier == tier).count() <= most, "{:?}", spans);
            }
            // Everything rolled up: at most two hours of minutes.
            let all = plan(from, to, Rolled::ALL);
            let minutes: i64 = all.iter().filter(|s| s.tier == Tier::Minute).map(|s| s.to - s.from).sum();
            prop_assert!(minutes < 2 * HOUR_MS, "{:?}", all);
        }
    }

    #[test]
    fn plans_at_the_edges_of_time_do_not_overflow() {
        for (from, to) in [(i64::MIN, i64::MAX), (i64::MAX - 5, i64::MAX), (i64::MIN, i64::MIN + 5), (0, 0)] {
            let spans = plan(from, to, Rolled::ALL);
            assert!(spans.iter().all(|s| s.from < s.to), "{spans:?}");
            assert!(
                spans.iter().all(|s| s.from >= from.max(-TIME_LIMIT) && s.to <= to.min(TIME_LIMIT)),
                "{spans:?}"
            );
        }
        assert_eq!(
            plan(10 * MINUTE_MS, 2 * DAY_MS + 3 * HOUR_MS + 5 * MINUTE_MS, Rolled::ALL),
            vec![
                Span { tier: Tier::Minute, from: 10 * MINUTE_MS, to: HOUR_MS },
                Span { tier: Tier::Hour, from: HOUR_MS, to: DAY_MS },
                Span { tier: Tier::Day, from: DAY_MS, to: 2 * DAY_MS },
                Span { tier: Tier::Hour, from: 2 * DAY_MS, to: 2 * DAY_MS + 3 * HOUR_MS },
                Span {
                    tier: Tier::Minute,
                    from: 2 * DAY_MS + 3 * HOUR_MS,
                    to: 2 * DAY_MS + 3 * HOUR_MS + 5 * MINUTE_MS
                },
            ]
        );
    }
}
