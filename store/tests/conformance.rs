//! The store's contract, run against every backend: each `conformance!` case becomes one test on
//! SQLite (a file in a temporary directory) and one on PostgreSQL (a database of its own, from
//! `GATEWATCH_TEST_PG`). A new backend implements the consumer traits and adds its arm to
//! `conformance!`; these cases say what it must do.

use gatewatch_core::agg::MinuteAgg;
use gatewatch_core::alert::{Alert, ProfileRow, Rule, Severity, Status, Subject, SubjectKind};
use gatewatch_core::{ClientKey, ClientKind, CountryHour, RouteHour};
use gatewatch_store::prelude::*;
use gatewatch_store::{
    AlertFilter, BatchWrite, CommitOutcome, DeadLetter, Error, ForwardState, MinuteRow, StatusChange, Store,
    StoredSuppression, SuppressionFields,
};
use serde_json::json;

mod support;
use support::PgDb;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const T0: i64 = 1_795_000_000_000 / HOUR * HOUR;

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let dir = tempfile::tempdir().unwrap();
                    let url = format!("sqlite://{}", dir.path().join("store.db").display());
                    let store = gatewatch_store::Store::open(&url).await.unwrap();
                    assert_eq!(store.backend(), "sqlite");
                    super::$case(&store).await;
                    store.close().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = super::PgDb::new(concat!("conf_", stringify!($case))).await;
                    let store = gatewatch_store::Store::open(&db.url).await.unwrap();
                    assert_eq!(store.backend(), "postgres");
                    super::$case(&store).await;
                    store.close().await;
                    db.drop_db().await;
                }
            )*
        }
    };
}

conformance!(
    a_batch_continues_only_from_the_stored_position,
    a_batch_commits_rows_alerts_profiles_and_dead_letters_together,
    an_acknowledgement_survives_the_detectors_updates,
    alerts_filter_and_page_without_gaps_or_repeats,
    hourly_counters_and_totals_add_across_batches,
    a_lease_goes_to_one_taker,
    the_outbox_records_where_each_destination_stands,
    tokens_are_found_by_hash_until_revoked,
    suppressions_round_trip,
    stats_and_dead_letters_page,
    retention_deletes_what_is_past_each_horizon,
);

fn client(i: u32) -> ClientKey {
    ClientKey::new(ClientKind::ApiKey, format!("key{i}"))
}

fn agg(statuses: &[u16]) -> MinuteAgg {
    let mut a = MinuteAgg::default();
    for (i, &s) in statuses.iter().enumerate() {
        a.observe(s, 100, Some(10.0 + i as f64), &format!("/p/{i}"), Some("203.0.113.9"));
    }
    a
}

fn alert(id: &str, rule: Rule, status: Status, first: i64, last: i64) -> Alert {
    Alert {
        id: id.into(),
        kind: rule.kind(),
        rule,
        severity: Severity::High,
        status,
        subject: Subject::new(SubjectKind::Principal, format!("user-{id}")),
        first_seen: first,
        last_seen: last,
        detected_at: last + 1,
        count: 1,
        evidence: json!({"summary": id, "observed": 42}),
    }
}

fn batch(source: &str, prev: Option<&str>, position: &str) -> BatchWrite {
    BatchWrite {
        source: source.into(),
        prev_position: prev.map(str::to_string),
        position: position.into(),
        events: 3,
        ..BatchWrite::default()
    }
}

async fn commit(store: &Store, b: BatchWrite) {
    assert_eq!(store.commit_batch(b).await.unwrap(), CommitOutcome::Committed);
}

async fn a_batch_continues_only_from_the_stored_position(store: &Store) {
    assert_eq!(store.checkpoint("s").await.unwrap(), None);
    let mut first = batch("s", None, "p1");
    first.rows = vec![MinuteRow { client: client(1), minute: T0, agg: agg(&[200, 401]) }];
    commit(store, first).await;
    // The same first batch again (a restart that did not see its commit): refused.
    let mut again = batch("s", None, "p1");
    again.rows = vec![MinuteRow { client: client(1), minute: T0, agg: agg(&[200, 401]) }];
    assert_eq!(store.commit_batch(again).await.unwrap(), CommitOutcome::Stale);
    // A batch from a position that is not the stored one: refused, nothing written.
    let mut wrong = batch("s", Some("p0"), "p9");
    wrong.rows = vec![MinuteRow { client: client(2), minute: T0, agg: agg(&[500]) }];
    wrong.dead_letters =
        vec![DeadLetter { source: "s".into(), position: "x".into(), reason: "r".into(), excerpt: None }];
    assert_eq!(store.commit_batch(wrong).await.unwrap(), CommitOutcome::Stale);
    let mut next = batch("s", Some("p1"), "p2");
    next.rows = vec![MinuteRow { client: client(1), minute: T0, agg: agg(&[403]) }];
    commit(store, next).await;

    let cp = store.checkpoint("s").await.unwrap().unwrap();
    assert_eq!((cp.position.as_str(), cp.events), ("p2", 6));
    let rows = store.all_minutes().await.unwrap();
    assert_eq!(rows.len(), 1, "the refused batch wrote a row");
    let c = rows[0].agg.counts;
    assert_eq!(
        (c.total, c.s2xx, c.s401, c.s403, c.s5xx),
        (3, 1, 1, 1, 0),
        "the stored minute merges both batches"
    );
    assert_eq!(rows[0].agg.distinct_paths(), 2);
    assert!(store.dead_letters(10).await.unwrap().is_empty(), "the refused batch wrote a dead letter");

    // Old per-request checkpoints go; others stay.
    commit(store, batch("firehose:req-1", None, "done")).await;
    assert_eq!(store.prune_checkpoints("firehose:", i64::MAX).await.unwrap(), 1);
    assert!(store.checkpoint("firehose:req-1").await.unwrap().is_none());
    assert!(store.checkpoint("s").await.unwrap().is_some());
}

async fn a_batch_commits_rows_alerts_profiles_and_dead_letters_together(store: &Store) {
    let mut b = batch("s", None, "p1");
    b.rows = vec![
        MinuteRow { client: client(1), minute: T0, agg: agg(&[401, 401, 401]) },
        MinuteRow { client: client(2), minute: T0 + MIN, agg: agg(&[200]) },
    ];
    b.alerts = vec![alert("a1", Rule::BruteForce, Status::Open, T0, T0 + MIN)];
    b.profiles = vec![
        ProfileRow { key: "client:key1".into(), data: "{\"n\":1}".into(), updated_at: 0 },
        ProfileRow { key: "client:key2".into(), data: "{\"n\":2}".into(), updated_at: 0 },
    ];
    b.dead_letters = vec![DeadLetter {
        source: "s".into(),
        position: "line 7".into(),
        reason: "not JSON".into(),
        excerpt: Some("[REDACTED:jwt:0011aabb]".into()),
    }];
    commit(store, b).await;

    assert_eq!(
        store.alert("a1").await.unwrap(),
        Some(alert("a1", Rule::BruteForce, Status::Open, T0, T0 + MIN))
    );
    let profiles = store.profiles().await.unwrap();
    assert_eq!(profiles.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(), ["client:key1", "client:key2"]);
    assert_eq!(profiles[1].data, "{\"n\":2}");
    let dead = store.dead_letters(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].excerpt.as_deref(), Some("[REDACTED:jwt:0011aabb]"));
    let outbox = store.outbox_after(0, 10).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!((outbox[0].alert_id.as_str(), outbox[0].event.as_str()), ("a1", "opened"));
    assert_eq!(outbox[0].alert["id"], "a1");

    // The next batch resolves the alert and forgets a profile.
    let mut b = batch("s", Some("p1"), "p2");
    let mut resolved = alert("a1", Rule::BruteForce, Status::Resolved, T0, T0 + 5 * MIN);
    resolved.count = 2;
    b.alerts = vec![resolved.clone()];
    // The first detection time stays what it was.
    resolved.detected_at = T0 + MIN + 1;
    b.forget = vec!["client:key1".into()];
    commit(store, b).await;
    assert_eq!(store.alert("a1").await.unwrap(), Some(resolved));
    assert_eq!(store.profiles().await.unwrap().len(), 1);
    assert!(store.unresolved_alerts().await.unwrap().is_empty());
    let events: Vec<String> = store.outbox_after(0, 10).await.unwrap().into_iter().map(|e| e.event).collect();
    assert_eq!(events, ["opened", "resolved"]);
    // Series reads see the rows.
    let s = store.series(gatewatch_store::Tier::Minute, &client(1), T0, T0 + HOUR).await.unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].1.counts.s401, 3);
    assert!(
        store
            .series(gatewatch_store::Tier::Minute, &client(1), T0 + MIN, T0 + HOUR)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn an_acknowledgement_survives_the_detectors_updates(store: &Store) {
    let mut b = batch("s", None, "p1");
    b.alerts = vec![alert("a1", Rule::Enumeration, Status::Open, T0, T0)];
    commit(store, b).await;
    match store.set_alert_status("a1", Status::Acknowledged, 5).await.unwrap() {
        StatusChange::Changed(a) => assert_eq!(a.status, Status::Acknowledged),
        other => panic!("acknowledging: {other:?}"),
    }
    // The detector, which does not know, sends the alert as open with a later last_seen.
    let mut b = batch("s", Some("p1"), "p2");
    let mut later = alert("a1", Rule::Enumeration, Status::Open, T0, T0 + 3 * MIN);
    later.count = 4;
    b.alerts = vec![later];
    commit(store, b).await;
    let stored = store.alert("a1").await.unwrap().unwrap();
    assert_eq!((stored.status, stored.last_seen, stored.count), (Status::Acknowledged, T0 + 3 * MIN, 4));
    let last = store.outbox_after(0, 10).await.unwrap().pop().unwrap();
    assert_eq!(last.alert["status"], "acknowledged", "the outbox carries the stored status");

    assert!(matches!(store.set_alert_status("a1", Status::Open, 6).await, Err(Error::Refused(_))));
    assert!(matches!(
        store.set_alert_status("nope", Status::Resolved, 6).await.unwrap(),
        StatusChange::NotFound
    ));
    assert!(matches!(
        store.set_alert_status("a1", Status::Resolved, 7).await.unwrap(),
        StatusChange::Changed(_)
    ));
    assert!(matches!(
        store.set_alert_status("a1", Status::Acknowledged, 8).await.unwrap(),
        StatusChange::Resolved
    ));
    let events: Vec<String> = store.outbox_after(0, 10).await.unwrap().into_iter().map(|e| e.event).collect();
    assert_eq!(events, ["opened", "updated", "updated", "resolved"]);
}

async fn alerts_filter_and_page_without_gaps_or_repeats(store: &Store) {
    let mut b = batch("s", None, "p1");
    b.alerts = (0..25)
        .map(|i| {
            let rule = [Rule::BruteForce, Rule::Probing, Rule::NewCountry][i % 3];
            let status = if i % 4 == 0 { Status::Resolved } else { Status::Open };
            // Pairs share a last_seen: the cursor must break ties by id.
            alert(&format!("al{i:02}"), rule, status, T0 + i as i64 * MIN, T0 + (i as i64 / 2) * HOUR)
        })
        .collect();
    commit(store, b).await;
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .alerts(&AlertFilter { after: after.clone(), limit: 4, ..Default::default() })
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        for w in page.windows(2) {
            assert!((w[0].last_seen, &w[0].id) > (w[1].last_seen, &w[1].id), "newest first");
        }
        let tail = page.last().unwrap();
        after = Some((tail.last_seen, tail.id.clone()));
        seen.extend(page.into_iter().map(|a| a.id));
    }
    seen.sort();
    let all: Vec<String> = (0..25).map(|i| format!("al{i:02}")).collect();
    assert_eq!(seen, all);

    let probing = store
        .alerts(&AlertFilter { rule: Some(Rule::Probing), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(probing.len(), 8);
    assert!(probing.iter().all(|a| a.rule == Rule::Probing));
    let open = store
        .alerts(&AlertFilter { status: Some(Status::Open), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(open.len(), 18);
    let since = T0 + 6 * HOUR;
    let recent =
        store.alerts(&AlertFilter { since: Some(since), limit: 100, ..Default::default() }).await.unwrap();
    assert!(!recent.is_empty() && recent.iter().all(|a| a.last_seen >= since));
    assert_eq!(recent.len(), (0..25).filter(|i| T0 + (i / 2) * HOUR >= since).count());
    let until = T0 + 10 * MIN;
    let early =
        store.alerts(&AlertFilter { until: Some(until), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(early.len(), 10);
    assert_eq!(store.alerts_first_seen(T0, T0 + 5 * MIN).await.unwrap().len(), 5);
    assert_eq!(store.alerts_overlapping(T0 + 12 * HOUR, T0 + 13 * HOUR).await.unwrap().len(), 1);
    assert_eq!(store.unresolved_alerts().await.unwrap().len(), 18);
}

async fn hourly_counters_and_totals_add_across_batches(store: &Store) {
    let counts = agg(&[200, 404, 429]).counts;
    let route = |hour| RouteHour { hour, api: "abc123".into(), route: "GET /pets/{id}".into(), counts };
    let country = |hour| CountryHour { hour, country: "DE".into(), counts };
    let mut b = batch("s", None, "p1");
    b.routes = vec![route(T0), route(T0), route(T0 + HOUR)];
    b.countries = vec![country(T0)];
    b.rows = vec![MinuteRow { client: client(1), minute: T0, agg: agg(&[200, 404, 429]) }];
    commit(store, b).await;
    let mut b = batch("s", Some("p1"), "p2");
    b.routes = vec![route(T0)];
    b.countries = vec![country(T0), country(T0 + 2 * HOUR)];
    b.rows = vec![MinuteRow { client: client(2), minute: T0 + 90 * MIN, agg: agg(&[500]) }];
    commit(store, b).await;

    let routes = store.route_hours(T0, T0 + 3 * HOUR).await.unwrap();
    assert_eq!(
        routes.iter().map(|r| (r.hour, r.counts.total)).collect::<Vec<_>>(),
        [(T0, 9), (T0 + HOUR, 3)]
    );
    assert_eq!(routes[0].counts.s429, 3);
    let countries = store.country_hours(T0, T0 + HOUR).await.unwrap();
    assert_eq!(countries.len(), 1);
    assert_eq!((countries[0].counts.total, countries[0].counts.s404), (6, 2));
    let totals = store.client_totals(T0, T0 + 2 * HOUR).await.unwrap();
    assert_eq!((totals.total, totals.s5xx, totals.s404), (4, 1, 1));
    assert_eq!(store.client_totals(T0, T0 + MIN).await.unwrap().total, 3);
    let rows = store.series_rows(T0, T0 + 2 * HOUR).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[1].client.clone(), rows[1].minute, rows[1].counts.s5xx), (client(2), T0 + 90 * MIN, 1));
    assert_eq!(rows[0].distinct_paths, 3);
    assert_eq!(store.time_range().await.unwrap(), Some((T0, T0 + 90 * MIN)));
}

async fn a_lease_goes_to_one_taker(store: &Store) {
    let keys: Vec<String> = ["shard:a", "shard:b", "forward:siem"].map(String::from).to_vec();
    store.ensure_leases(&keys).await.unwrap();
    store.ensure_leases(&keys).await.unwrap();
    let shards = store.leases("shard:").await.unwrap();
    assert_eq!(shards.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(), ["shard:a", "shard:b"]);
    let seen = shards[0].clone();
    assert!(!seen.is_held(0));
    assert!(store.take_lease(&seen, "w1", 1_000).await.unwrap());
    // A second worker that read the same row loses the race.
    assert!(!store.take_lease(&seen, "w2", 1_000).await.unwrap());
    let now = store.leases("shard:a").await.unwrap().remove(0);
    assert_eq!((now.owner.as_deref(), now.expires_at, now.counter), (Some("w1"), 1_000, seen.counter + 1));
    assert!(now.is_held(999) && !now.is_held(1_000));
    assert!(store.renew_lease("shard:a", "w1", 2_000).await.unwrap());
    assert!(!store.renew_lease("shard:a", "w2", 3_000).await.unwrap());
    store.release_lease("shard:a", "w2").await.unwrap();
    assert!(store.leases("shard:a").await.unwrap()[0].is_held(1_500), "only the owner releases");
    store.release_lease("shard:a", "w1").await.unwrap();
    assert!(!store.leases("shard:a").await.unwrap()[0].is_held(1_500));
}

async fn the_outbox_records_where_each_destination_stands(store: &Store) {
    let mut b = batch("s", None, "p1");
    b.alerts = (0..3).map(|i| alert(&format!("a{i}"), Rule::Probing, Status::Open, T0, T0)).collect();
    commit(store, b).await;
    let events = store.outbox_after(0, 10).await.unwrap();
    assert_eq!(events.len(), 3);
    assert!(events.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(store.outbox_after(events[0].id, 1).await.unwrap(), vec![events[1].clone()]);
    assert_eq!(events[0].idempotency_key(), format!("a0:{}", events[0].id));

    let fresh = store.forward_state("siem").await.unwrap();
    assert_eq!((fresh.delivered_up_to, fresh.pending, fresh.parked), (0, 3, 0));
    let failing = ForwardState {
        destination: "siem".into(),
        delivered_up_to: events[0].id,
        attempts: 2,
        last_error: Some("503 from receiver".into()),
        next_attempt_at: 99,
        ..Default::default()
    };
    store.set_forward_state(&failing).await.unwrap();
    let st = store.forward_state("siem").await.unwrap();
    assert_eq!((st.delivered, st.pending, st.attempts), (1, 2, 2));
    assert_eq!(st.last_error.as_deref(), Some("503 from receiver"));
    store.park("siem", &events[1], 5, "400 from receiver").await.unwrap();
    let st = store.forward_state("siem").await.unwrap();
    assert_eq!((st.delivered_up_to, st.delivered, st.parked, st.pending), (events[1].id, 1, 1, 1));
    assert_eq!((st.attempts, st.last_error), (0, None));
    assert_eq!(store.forward_cursor("other").await.unwrap().delivered_up_to, 0);
}

async fn tokens_are_found_by_hash_until_revoked(store: &Store) {
    store.create_token("t1", "ci", "read", "hash-1", 10).await.unwrap();
    store.create_token("t2", "ops", "admin", "hash-2", 11).await.unwrap();
    assert!(store.create_token("t3", "dup", "read", "hash-1", 12).await.is_err(), "a hash is unique");
    let t = store.token_by_hash("hash-2").await.unwrap().unwrap();
    assert_eq!((t.id.as_str(), t.scope.as_str(), t.last_used), ("t2", "admin", None));
    store.touch_token("t2", 50).await.unwrap();
    assert_eq!(store.token_by_hash("hash-2").await.unwrap().unwrap().last_used, Some(50));
    assert!(store.revoke_token("t1", 60).await.unwrap());
    assert!(!store.revoke_token("t1", 61).await.unwrap(), "revoked once");
    assert!(store.token_by_hash("hash-1").await.unwrap().is_none());
    let all = store.tokens().await.unwrap();
    assert_eq!(
        all.iter().map(|t| (t.id.as_str(), t.revoked_at)).collect::<Vec<_>>(),
        [("t1", Some(60)), ("t2", None)]
    );
}

async fn suppressions_round_trip(store: &Store) {
    let s = StoredSuppression {
        id: "s1".into(),
        suppression: SuppressionFields {
            rule: "volume_spike".into(),
            subject: "api_key:partner".into(),
            cidr: "".into(),
            until: "2027-01-01T00:00:00Z".into(),
            reason: "nightly batch".into(),
        },
        created_by: "t2".into(),
        created_at: 5,
    };
    store.add_suppression(&s).await.unwrap();
    assert_eq!(store.suppressions().await.unwrap(), vec![s.clone()]);
    assert_eq!(s.to_config().rule, "volume_spike");
    assert!(store.delete_suppression("s1").await.unwrap());
    assert!(!store.delete_suppression("s1").await.unwrap());
    assert!(store.suppressions().await.unwrap().is_empty());
}

async fn stats_and_dead_letters_page(store: &Store) {
    store.ping().await.unwrap();
    let letter = |source: &str, n: usize| DeadLetter {
        source: source.into(),
        position: format!("line {n}"),
        reason: "not JSON".into(),
        excerpt: None,
    };
    let mut b = batch("file:a.log", None, "p1");
    b.dead_letters = (0..5).map(|n| letter("file:a.log", n)).collect();
    b.rows = vec![MinuteRow { client: client(1), minute: T0 + 7 * MIN, agg: agg(&[200]) }];
    b.alerts = vec![alert("x", Rule::Probing, Status::Open, T0, T0)];
    commit(store, b).await;
    let mut b = batch("file:b.log", None, "p1");
    b.dead_letters = (0..3).map(|n| letter("file:b.log", n)).collect();
    commit(store, b).await;
    commit(store, batch("firehose:r1", None, "done")).await;
    commit(store, batch("firehose:r2", None, "done")).await;

    let stats = store.pipeline_stats().await.unwrap();
    assert_eq!(
        stats.sources.iter().map(|s| s.source.as_str()).collect::<Vec<_>>(),
        ["file:a.log", "file:b.log"]
    );
    assert_eq!((stats.firehose_requests, stats.firehose_events), (2, 6));
    assert_eq!((stats.dead_letters, stats.alerts_open, stats.outbox_events > 0), (8, 1, true));
    assert_eq!(stats.last_event_minute, Some(T0 + 7 * MIN));
    let counts = store.alert_counts().await.unwrap();
    assert_eq!(counts.iter().map(|c| c.3).sum::<i64>(), 1);

    let mut after = 0;
    let mut got = Vec::new();
    loop {
        let page = store.dead_letters_page(after, None, 3).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        got.extend(page.into_iter().map(|d| (d.letter.source, d.letter.position)));
    }
    assert_eq!(got.len(), 8);
    let b_only = store.dead_letters_page(0, Some("file:b.log"), 10).await.unwrap();
    assert_eq!(b_only.len(), 3);
    assert!(b_only.iter().all(|d| d.letter.source == "file:b.log" && d.received_at > 0));
}

async fn retention_deletes_what_is_past_each_horizon(store: &Store) {
    use gatewatch_core::Metric;
    use gatewatch_store::{RetentionConfig, Tier};
    const DAY: i64 = 24 * HOUR;
    let start = T0 / DAY * DAY;
    // Three weeks of one client: a minute row at 06:10 each day; the newest is day 20.
    let mut b = batch("s", None, "p1");
    b.rows = (0..21)
        .map(|d| MinuteRow { client: client(1), minute: start + d * DAY + 370 * MIN, agg: agg(&[200, 403]) })
        .collect();
    b.routes =
        vec![RouteHour { hour: start, api: "a".into(), route: "/r".into(), counts: agg(&[200]).counts }];
    b.dead_letters =
        vec![DeadLetter { source: "s".into(), position: "1".into(), reason: "r".into(), excerpt: None }];
    b.alerts = vec![
        alert("old-resolved", Rule::BruteForce, Status::Resolved, start, start + MIN),
        alert("old-open", Rule::BruteForce, Status::Open, start, start + MIN),
        alert("new-resolved", Rule::BruteForce, Status::Resolved, start + 19 * DAY, start + 19 * DAY),
    ];
    commit(store, b).await;
    let whole = (start, start + 21 * DAY);
    let before = store.client_totals(whole.0, whole.1).await.unwrap();
    let top_before = store.top_clients(Metric::S403, whole.0, whole.1, 5).await.unwrap();
    assert_eq!(before.total, 42);

    let cfg = RetentionConfig {
        minute_rows_days: 14,
        hour_rows_days: 16,
        day_rows_days: 0,
        resolved_alerts_days: 10,
        dead_letters_days: 30,
        delivered_outbox_days: 7,
        ..RetentionConfig::default()
    };
    cfg.validate().unwrap();
    // The wall clock of the commit: dead letters and SIEM messages are recent, so they stay.
    let now = chrono::Utc::now().timestamp_millis();
    let removed = store.apply_retention(&cfg, now).await.unwrap();
    // Minute rows of days 0..=5 (before day 20 06:10 - 14 days), hour rows of days 0..=3, the
    // route hour of day 0, the resolved alert last seen on day 0 (its SIEM message with it).
    assert_eq!(
        (removed.client_minutes, removed.client_hours, removed.client_days, removed.route_hours),
        (6, 4, 0, 1),
        "{removed:?}"
    );
    assert_eq!((removed.alerts, removed.outbox, removed.dead_letters), (1, 0, 0), "{removed:?}");
    assert_eq!(store.outbox_after(0, 10).await.unwrap().len(), 2);
    let minutes = store.all_minutes().await.unwrap();
    assert_eq!(minutes.len(), 15);
    assert!(minutes.iter().all(|r| r.minute >= start + 6 * DAY));
    // Whole days are answered from the day rows as before.
    assert_eq!(store.client_totals(whole.0, whole.1).await.unwrap(), before);
    let top_after = store.top_clients(Metric::S403, whole.0, whole.1, 5).await.unwrap();
    assert_eq!(
        top_after.iter().map(|(k, a)| (k.clone(), a.counts)).collect::<Vec<_>>(),
        top_before.iter().map(|(k, a)| (k.clone(), a.counts)).collect::<Vec<_>>()
    );
    assert_eq!(store.series(Tier::Day, &client(1), whole.0, whole.1).await.unwrap().len(), 21);
    assert!(store.alert("old-resolved").await.unwrap().is_none());
    assert!(store.alert("old-open").await.unwrap().is_some(), "an open alert is never deleted");
    assert!(store.alert("new-resolved").await.unwrap().is_some());
    assert_eq!(store.dead_letters(10).await.unwrap().len(), 1);

    // A month later by the wall clock: the dead letter and the delivered messages go too.
    let removed = store.apply_retention(&cfg, now + 31 * DAY).await.unwrap();
    assert_eq!((removed.dead_letters, removed.outbox, removed.client_minutes), (1, 2, 0), "{removed:?}");
    assert!(store.dead_letters(10).await.unwrap().is_empty());
    // A second pass finds nothing.
    assert_eq!(store.apply_retention(&cfg, now + 31 * DAY).await.unwrap().total(), 0);
    let sizes = store.table_sizes().await.unwrap();
    let minutes = sizes.iter().find(|t| t.table == "client_minutes").unwrap();
    assert_eq!(
        (minutes.rows, minutes.span),
        (15, Some((start + 6 * DAY + 370 * MIN, start + 20 * DAY + 370 * MIN)))
    );
}
