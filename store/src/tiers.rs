//! The client series at three resolutions: minute, hour and UTC day (ARCHITECTURE.md, "Store
//! tiers"). An hour or day row is every minute row of its client in that hour or day, merged
//! (counters add, sketches merge), and it is written in the same transaction as those minute
//! rows, so no crash or replay can make the tiers disagree.
//!
//! Range reads are planned over the tiers: [`plan`] cuts `[from, to)` into whole days in the
//! middle, whole hours at the edges and minutes at the ragged ends, so a 30-day question reads
//! about 30 day rows, 46 hour rows and 118 minute rows per client instead of 43,200 minute rows.

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
const TIME_LIMIT: i64 = 1 << 62;

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

/// Cuts `[from, to)` into the coarsest rows that cover it exactly: whole days in the middle,
/// whole hours beside them and minute rows at the ragged ends. Every minute bucket starting in
/// `[from, to)` is covered by exactly one span. Empty spans are left out.
pub fn plan(from: i64, to: i64) -> Vec<Span> {
    // No event lies this far from 1970 (±146,000 years); clamping keeps the bucket arithmetic
    // below from overflowing on a caller's extreme range.
    let (from, to) = (from.clamp(-TIME_LIMIT, TIME_LIMIT), to.clamp(-TIME_LIMIT, TIME_LIMIT));
    let mut spans = Vec::with_capacity(5);
    let mut push = |tier, from, to| {
        if from < to {
            spans.push(Span { tier, from, to });
        }
    };
    let (Some(h0), h1) = (Tier::Hour.ceil(from), Tier::Hour.floor(to)) else {
        push(Tier::Minute, from, to);
        return spans;
    };
    if h0 >= h1 {
        push(Tier::Minute, from, to);
        return spans;
    }
    push(Tier::Minute, from, h0);
    match (Tier::Day.ceil(h0), Tier::Day.floor(h1)) {
        (Some(d0), d1) if d0 < d1 => {
            push(Tier::Hour, h0, d0);
            push(Tier::Day, d0, d1);
            push(Tier::Hour, d1, h1);
        }
        _ => push(Tier::Hour, h0, h1),
    }
    push(Tier::Minute, h1, to);
    spans
}

/// Folds rows of a finer tier into `tier`'s buckets: one row per client and bucket, sorted by
/// bucket then client (the order the batch write expects).
pub fn fold(rows: &[MinuteRow], tier: Tier) -> Vec<MinuteRow> {
    // A Merger per bucket: one HLL union each, not one per row merged.
    let mut out: BTreeMap<(i64, &ClientKey), Merger> = BTreeMap::new();
    for r in rows {
        out.entry((tier.floor(r.minute), &r.client)).or_default().add(&r.agg);
    }
    out.into_iter()
        .map(|((minute, client), m)| MinuteRow { client: client.clone(), minute, agg: m.finish() })
        .collect()
}

/// Minutes folded per backfill transaction: bounded memory whatever the store's size.
const BACKFILL_CHUNK_MS: i64 = 15 * MINUTE_MS;

impl Store {
    /// Builds the hour and day rows of the minutes stored before the tiers existed (migration
    /// 0008 records their range in `store_meta`), one chunk of minutes per transaction that
    /// also advances the recorded position: a stopped backfill resumes where it was, and no
    /// minute is folded twice. Logs its progress every few seconds. A no-op once done.
    pub(crate) async fn backfill_tiers(&self) -> Result<()> {
        let lock = if matches!(self, Store::Postgres(_)) { " FOR UPDATE" } else { "" };
        let started = std::time::Instant::now();
        let mut said = started;
        let mut first: Option<i64> = None;
        loop {
            let done = on_pool!(self, p => {
                let mut tx = p.begin().await?;
                let next: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT value FROM store_meta WHERE key = 'tiers_backfill_next'{lock}"
                )))
                .fetch_optional(&mut *tx)
                .await?;
                let end: Option<i64> = sqlx::query_scalar("SELECT value FROM store_meta WHERE key = 'tiers_backfill_end'")
                    .fetch_optional(&mut *tx)
                    .await?;
                match (next, end) {
                    (Some(next), Some(end)) if next < end => {
                        let start = *first.get_or_insert(next);
                        let hi = next.saturating_add(BACKFILL_CHUNK_MS).min(end);
                        let rows: Vec<MinuteRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                            "SELECT {ROW_COLUMNS} FROM client_minutes WHERE minute >= $1 AND minute < $2"
                        )))
                        .bind(next)
                        .bind(hi)
                        .fetch_all(&mut *tx)
                        .await?;
                        let rows: Vec<MinuteRow> = convert(rows)?;
                        let mut hours = fold(&rows, Tier::Hour);
                        let mut days = fold(&hours, Tier::Day);
                        tx.write_rows(Tier::Hour, &mut hours).await?;
                        tx.write_rows(Tier::Day, &mut days).await?;
                        sqlx::query("UPDATE store_meta SET value = $1 WHERE key = 'tiers_backfill_next'")
                            .bind(hi)
                            .execute(&mut *tx)
                            .await?;
                        tx.commit().await?;
                        if said.elapsed() >= std::time::Duration::from_secs(5) || hi == end {
                            said = std::time::Instant::now();
                            let pct = (hi - start) as f64 * 100.0 / (end - start).max(1) as f64;
                            tracing::info!(
                                "building the hour and day tiers from stored minutes: {pct:.0} % ({:.0} s)",
                                started.elapsed().as_secs_f64()
                            );
                        }
                        false
                    }
                    (None, None) => true,
                    _ => {
                        sqlx::query("DELETE FROM store_meta WHERE key IN ('tiers_backfill_next', 'tiers_backfill_end')")
                            .execute(&mut *tx)
                            .await?;
                        tx.commit().await?;
                        true
                    }
                }
            });
            if done {
                return Ok(());
            }
        }
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
        ) {
            let to = from + len;
            let spans = plan(from, to);
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
            let minutes: i64 = spans.iter().filter(|s| s.tier == Tier::Minute).map(|s| s.to - s.from).sum();
            prop_assert!(minutes < 2 * HOUR_MS, "{:?}", spans);
        }
    }

    #[test]
    fn plans_at_the_edges_of_time_do_not_overflow() {
        for (from, to) in [(i64::MIN, i64::MAX), (i64::MAX - 5, i64::MAX), (i64::MIN, i64::MIN + 5), (0, 0)] {
            let spans = plan(from, to);
            assert!(spans.iter().all(|s| s.from < s.to), "{spans:?}");
            assert!(
                spans.iter().all(|s| s.from >= from.max(-TIME_LIMIT) && s.to <= to.min(TIME_LIMIT)),
                "{spans:?}"
            );
        }
        assert_eq!(
            plan(10 * MINUTE_MS, 2 * DAY_MS + 3 * HOUR_MS + 5 * MINUTE_MS),
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
