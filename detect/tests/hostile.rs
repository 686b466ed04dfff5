//! The detector on hostile and disordered input: never panics, keeps its memory bounded,
//! drops what is too late instead of reopening closed minutes, and explains what it raises.

use gatewatch_core::alert::{Observation, Observer};
use gatewatch_core::{ClientKind, Rule};
use gatewatch_detect::Detector;
use gatewatch_detect::config::DetectConfig;
use proptest::prelude::*;

const T0: i64 = 1_795_478_400_000; // 2026-11-24T00:00:00Z

fn obs<'a>(
    t: i64,
    kind: ClientKind,
    client: &'a str,
    ip: Option<&'a str>,
    status: u16,
    path: &'a str,
) -> Observation<'a> {
    Observation {
        time_ms: t,
        client_kind: kind,
        client,
        ip,
        principal: (kind == ClientKind::Principal).then_some(client),
        api_key: (kind == ClientKind::ApiKey).then_some(client),
        status,
        method: Some("POST"),
        route: Some("/auth/login"),
        path: Some(path),
        request_id: Some("req-1"),
        authorizer_error: None,
        error_message: None,
        api: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
    #[test]
    fn never_panics_on_arbitrary_observations(
        events in proptest::collection::vec(
            (-10_000_000_000i64..10_000_000_000i64, 0u8..4, "\\PC{0,40}", proptest::option::of("\\PC{0,45}"), 0u16..1000, "\\PC{0,200}"),
            1..200,
        )
    ) {
        let mut d = Detector::new(&DetectConfig::default(), None, Vec::new(), Vec::new()).unwrap();
        for (dt, k, client, ip, status, path) in &events {
            let kind = ClientKind::ALL[*k as usize];
            d.observe(&obs(T0 + dt, kind, client, ip.as_deref(), *status, path));
        }
        let out = d.drain(true);
        for a in &out.alerts {
            prop_assert!(a.evidence["summary"].is_string());
            prop_assert!(a.first_seen <= a.last_seen + 60_000);
        }
    }
}

#[test]
fn late_events_are_dropped_not_reopening_closed_minutes() {
    let mut d = Detector::new(&DetectConfig::default(), None, Vec::new(), Vec::new()).unwrap();
    d.observe(&obs(T0, ClientKind::Ip, "10.0.0.1", Some("10.0.0.1"), 200, "/"));
    d.observe(&obs(T0 + 3_600_000, ClientKind::Ip, "10.0.0.1", Some("10.0.0.1"), 200, "/"));
    d.observe(&obs(T0 + 60_000, ClientKind::Ip, "10.0.0.1", Some("10.0.0.1"), 200, "/"));
    let s = d.stats();
    assert_eq!(s.observed, 3);
    assert_eq!(s.late, 1);
    assert_eq!(s.minutes_closed, 1);
}

#[test]
fn brute_force_from_one_ip_is_raised_once_and_an_outage_is_not() {
    let cfg = DetectConfig::default();
    // 40 failures a minute for 5 minutes from one address, among 200 healthy requests/minute.
    let mut d = Detector::new(&cfg, None, Vec::new(), Vec::new()).unwrap();
    for m in 0..8i64 {
        for i in 0..200 {
            let ip = format!("192.0.2.{}", i % 200);
            d.observe(&obs(T0 + m * 60_000 + i * 100, ClientKind::Ip, &ip, Some(&ip), 200, "/auth/login"));
        }
        if m < 5 {
            for i in 0..40 {
                let ip = "203.0.113.9";
                d.observe(&obs(T0 + m * 60_000 + i * 1000, ClientKind::Ip, ip, Some(ip), 401, "/auth/login"));
            }
        }
    }
    let out = d.drain(true);
    let bf: Vec<_> = out.alerts.iter().filter(|a| a.rule == Rule::BruteForce).collect();
    assert_eq!(bf.len(), 1, "{:#?}", out.alerts);
    assert_eq!(bf[0].subject.to_string(), "ip:203.0.113.9");
    assert!(bf[0].count >= 2, "the open alert is updated, not repeated");

    // An authorizer outage: every client fails 70% of its requests at once.
    let mut d = Detector::new(&cfg, None, Vec::new(), Vec::new()).unwrap();
    for m in 0..8i64 {
        for i in 0..600 {
            let ip = format!("198.51.100.{}", i % 20);
            // Each address fails 70% of its requests, like everyone else.
            let status = if m >= 3 && (i / 20) % 10 < 7 { 401 } else { 200 };
            d.observe(&obs(T0 + m * 60_000 + i * 90, ClientKind::Ip, &ip, Some(&ip), status, "/orders"));
        }
    }
    let out = d.drain(true);
    assert!(out.alerts.iter().all(|a| a.rule != Rule::BruteForce), "{:#?}", out.alerts);
}

#[test]
fn idle_clients_are_forgotten_so_memory_follows_recent_clients() {
    let cfg = DetectConfig { profile_ttl_days: 1, ..DetectConfig::default() };
    let mut d = Detector::new(&cfg, None, Vec::new(), Vec::new()).unwrap();
    for i in 0..100 {
        let ip = format!("10.0.{}.{}", i / 256, i % 256);
        d.observe(&obs(T0 + i * 10, ClientKind::Ip, &ip, Some(&ip), 200, "/"));
    }
    // Two days later, one other client keeps the clock moving.
    for m in 0..180 {
        let t = T0 + 2 * 86_400_000 + m * 60_000;
        d.observe(&obs(t, ClientKind::Ip, "192.0.2.1", Some("192.0.2.1"), 200, "/"));
    }
    let out = d.drain(true);
    assert_eq!(out.forget.len(), 100, "{:?}", &out.forget[..out.forget.len().min(5)]);
    assert!(out.forget.iter().all(|k| k.starts_with("c:ip:10.0.")));
    assert!(d.profile_count() < 10, "{}", d.profile_count());
}

#[test]
fn a_damaged_stored_profile_is_relearned_not_fatal() {
    use gatewatch_core::alert::ProfileRow;
    let rows = vec![
        ProfileRow { key: "c:ip:10.0.0.1".into(), data: "{not json".into(), updated_at: 0 },
        ProfileRow { key: "g:stuff:AS1".into(), data: "[1,2]".into(), updated_at: 0 },
    ];
    let mut d = Detector::new(&DetectConfig::default(), None, rows, Vec::new()).unwrap();
    assert_eq!(d.profile_count(), 0);
    for m in 0..6 {
        d.observe(&obs(T0 + m * 60_000, ClientKind::Ip, "10.0.0.1", Some("10.0.0.1"), 200, "/"));
    }
    let out = d.drain(true);
    assert!(out.profiles.iter().any(|p| p.key == "c:ip:10.0.0.1"), "relearned and rewritten");
}

#[test]
fn country_policies_apply_per_api_or_globally() {
    use gatewatch_detect::config::CountryPolicy;
    let mut cfg = DetectConfig::default();
    cfg.denied_geo.deny = vec!["KP".into()];
    cfg.denied_geo
        .per_api
        .insert("internal".into(), CountryPolicy { deny: vec![], allow: vec!["DE".into()] });
    assert!(cfg.denied_geo.denies(None, "KP"));
    assert!(cfg.denied_geo.denies(Some("public"), "kp"));
    assert!(!cfg.denied_geo.denies(Some("public"), "US"));
    assert!(cfg.denied_geo.denies(Some("internal"), "US"), "outside the API's allow list");
    assert!(!cfg.denied_geo.denies(Some("internal"), "DE"));
    cfg.denied_geo.per_api.insert("lab".into(), CountryPolicy::default());
    assert!(!cfg.denied_geo.denies(Some("lab"), "KP"), "an API's own (empty) policy replaces the global one");
    cfg.denied_geo
        .per_api
        .insert("bad".into(), CountryPolicy { deny: vec!["Germany".into()], allow: vec![] });
    let e = cfg.validate().unwrap_err().to_string();
    assert!(e.contains("Germany") && e.contains("denied_geo"), "{e}");
}

fn obs_route<'a>(t: i64, ip: &'a str, status: u16, route: &'a str, path: &'a str) -> Observation<'a> {
    Observation {
        route: Some(route),
        method: Some("GET"),
        ..obs(t, ClientKind::Ip, ip, Some(ip), status, path)
    }
}

/// Found by review: on a quiet API the attacker's own failures raised the bar it was compared
/// with, so a loud brute force raised nothing.
#[test]
fn a_loud_brute_force_on_a_quiet_api_is_raised_for_as_long_as_it_lasts() {
    let mut d = Detector::new(&DetectConfig::default(), None, Vec::new(), Vec::new()).unwrap();
    for m in 0..25i64 {
        for i in 0..5 {
            d.observe(&obs_route(T0 + m * 60_000 + i, "192.0.2.7", 200, "/orders", "/orders"));
        }
        if m < 20 {
            for i in 0..200 {
                d.observe(&obs(
                    T0 + m * 60_000 + i * 250,
                    ClientKind::Ip,
                    "203.0.113.66",
                    Some("203.0.113.66"),
                    401,
                    "/auth/login",
                ));
            }
        }
    }
    let out = d.drain(true);
    let bf: Vec<_> = out.alerts.iter().filter(|a| a.rule == Rule::BruteForce).collect();
    assert_eq!(bf.len(), 1, "{:#?}", out.alerts);
    assert!(bf[0].count >= 15, "updated while the attack lasts: {}", bf[0].count);
}

/// Found by review: substring matching flagged an application's own /admin pages and a 403 on
/// /authors as probing and brute force.
#[test]
fn served_admin_pages_and_authorization_denials_are_not_attacks() {
    let mut d = Detector::new(&DetectConfig::default(), None, Vec::new(), Vec::new()).unwrap();
    for m in 0..10i64 {
        for i in 0..30 {
            let t = T0 + m * 60_000 + i * 1000;
            let path = format!("/admin/users/{i}");
            d.observe(&obs_route(t, "198.51.100.20", 200, "/admin/users/{id}", &path));
            let path = format!("/console/jobs/{i}");
            d.observe(&obs_route(t, "198.51.100.21", 200, "/console/jobs/{id}", &path));
            let path = format!("/authors/{i}");
            d.observe(&obs_route(t, "198.51.100.22", 403, "/authors/{id}", &path));
        }
    }
    // A scanner on the same API: unmatched routes, three different sensitive targets.
    for (i, p) in ["/.env", "/.git/config", "/wp-login.php", "/.env.bak"].iter().enumerate() {
        d.observe(&obs_route(T0 + 11 * 60_000 + i as i64, "203.0.113.99", 404, "-", p));
    }
    d.observe(&obs_route(T0 + 20 * 60_000, "192.0.2.1", 200, "/x", "/x"));
    let out = d.drain(true);
    let rules: Vec<(Rule, String)> = out.alerts.iter().map(|a| (a.rule, a.subject.to_string())).collect();
    assert_eq!(rules, vec![(Rule::Probing, "ip:203.0.113.99".to_string())], "{:#?}", out.alerts);
}
