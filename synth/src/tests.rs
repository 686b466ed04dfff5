use super::*;
use flate2::read::MultiGzDecoder;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

fn small() -> GenOptions {
    GenOptions { seed: 7, clients: 300, minutes: 30, mean_rate_per_min: 60.0, ..GenOptions::default() }
}

fn render(opts: &GenOptions, f: OutFormat) -> (Vec<u8>, u64) {
    let mut buf = Vec::new();
    let n = write(opts, f, &mut buf).expect("write to Vec");
    (buf, n)
}

#[test]
fn deterministic_for_a_seed() {
    // Gzip is slow in unoptimised builds; a shorter run covers it.
    let short = GenOptions { minutes: 8, ..small() };
    for (o, f) in [(small(), OutFormat::Ndjson), (short, OutFormat::CwlGzip)] {
        let (a, na) = render(&o, f);
        let (b, nb) = render(&o, f);
        assert_eq!(na, nb);
        assert!(a == b, "{f:?} output differs between runs");
    }
    let other = GenOptions { seed: 8, ..small() };
    assert_ne!(render(&small(), OutFormat::Ndjson).0, render(&other, OutFormat::Ndjson).0);
}

#[test]
fn time_ordered_unique_ids_and_inside_run() {
    let o = small();
    let end = o.start_ms + i64::from(o.minutes) * MINUTE_MS;
    let mut last = i64::MIN;
    let mut ids = HashSet::new();
    let mut n = 0;
    for e in events(&o) {
        assert!(e.time_ms >= last, "out of order");
        assert!(e.time_ms >= o.start_ms && e.time_ms < end);
        assert!(ids.insert(e.request_id.clone()), "duplicate request id");
        last = e.time_ms;
        n += 1;
    }
    // Mean 60/min over 30 min plus attacks; well away from zero.
    assert!(n > 1000, "only {n} events");
}

/// The plan's names and benign flags, in order.
const SCENARIOS: [(&str, bool); 17] = [
    ("brute_force", false),
    ("credential_stuffing", false),
    ("enumeration", false),
    ("throttle_evasion", false),
    ("probing", false),
    ("credential_replay", false),
    ("impossible_travel", false),
    ("distributed_scraping", false),
    ("volume_spike", false),
    ("new_country", false),
    ("denied_geo", false),
    ("outage", true),
    ("nat_office", true),
    ("partner_batch", true),
    ("flight", true),
    ("mobile_carrier", true),
    ("new_customer", true),
];

/// Scenarios whose subject acts only inside the window.
const WINDOW_ONLY: &[&str] = &[
    "brute_force",
    "enumeration",
    "throttle_evasion",
    "probing",
    "credential_replay",
    "impossible_travel",
    "distributed_scraping",
    "denied_geo",
];

fn in_net(ip: &str, (net, len): ([u8; 4], u8)) -> bool {
    let mask = !host_mask(len);
    ip.parse::<Ipv4Addr>().is_ok_and(|a| u32::from(a) & mask == u32::from_be_bytes(net) & mask)
}

/// Whether `e` belongs to `subject`; `None` for `*`.
fn matches(e: &GenEvent, subject: &str) -> Option<bool> {
    let (kind, value) = subject.split_once(':')?;
    Some(match kind {
        "ip" => match value.split_once('/') {
            Some((net, len)) => {
                let net = net.parse::<Ipv4Addr>().ok()?.octets();
                in_net(&e.ip, (net, len.parse().ok()?))
            }
            None => e.ip == value,
        },
        "principal" => e.principal.as_deref() == Some(value),
        "api_key" => e.api_key_id.as_deref() == Some(value),
        "asn" if value == format!("AS{SCRAPER_ASN}") => in_net(&e.ip, SCRAPER_NET),
        _ => return None,
    })
}

/// The client an event is counted for, in the store's default identity order.
fn client_key(e: &GenEvent) -> String {
    match (&e.principal, &e.api_key_id, &e.caller) {
        (Some(p), _, _) => format!("principal:{p}"),
        (None, Some(k), _) => format!("api_key:{k}"),
        (None, None, Some(c)) => format!("iam:{c}"),
        _ => format!("ip:{}", e.ip),
    }
}

/// The country the table's IPv4 ranges put `ip` in.
fn country_of(ip: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|c| c.v4.iter().any(|net| in_net(ip, *net))).map(|c| c.code)
}

fn scenario<'a>(plan: &'a [AttackInfo], name: &str) -> &'a AttackInfo {
    plan.iter().find(|a| a.name == name).expect("scenario in the plan")
}

#[test]
fn plan_lists_every_scenario_in_order_with_benign_flags() {
    for minutes in [1, 5, 10, 60, 360, 10_000] {
        let o = GenOptions { minutes, ..GenOptions::default() };
        let plan = attack_plan(&o);
        let got: Vec<(&str, bool)> = plan.iter().map(|a| (a.name, a.benign)).collect();
        assert_eq!(got, SCENARIOS);
        let end = o.start_ms + i64::from(minutes) * MINUTE_MS;
        for a in &plan {
            assert!(a.start_ms >= o.start_ms && a.start_ms < a.end_ms && a.end_ms <= end, "{a:?}");
            assert_eq!((a.start_ms - o.start_ms) % MINUTE_MS, 0, "{a:?}");
            assert_eq!((a.end_ms - o.start_ms) % MINUTE_MS, 0, "{a:?}");
        }
        // The added attacks come after the first 35% of the run, once clients have a history.
        if minutes >= 60 {
            for a in plan[7..].iter().filter(|a| !a.benign) {
                assert!(a.start_ms - o.start_ms >= i64::from(minutes) * MINUTE_MS * 35 / 100, "{a:?}");
            }
        }
    }
    assert!(attack_plan(&GenOptions { attacks: false, ..GenOptions::default() }).is_empty());

    let plan = attack_plan(&GenOptions::default());
    let subject = |name| scenario(&plan, name).subject.as_str();
    for name in ["brute_force", "probing", "denied_geo", "nat_office"] {
        let ip = subject(name).strip_prefix("ip:").expect("ip subject");
        assert!(ip.parse::<Ipv4Addr>().is_ok(), "{name}: {ip}");
    }
    for name in ["throttle_evasion", "credential_replay", "impossible_travel", "new_country", "flight"] {
        let p = subject(name).strip_prefix("principal:").expect("principal subject");
        assert_eq!(p.len(), 36, "{name}: {p}");
    }
    for name in ["enumeration", "volume_spike", "partner_batch", "new_customer"] {
        let k = subject(name).strip_prefix("api_key:").expect("api key subject");
        assert!(k.len() == 10 && k.bytes().all(|b| LOWER_ALNUM.contains(&b)), "{name}: {k}");
    }
    assert_eq!(subject("mobile_carrier").split_once(':').map(|(k, _)| k), Some("principal"));
    assert_eq!(subject("distributed_scraping"), "asn:AS24940");
    assert_eq!(subject("outage"), "*");
    let plain: Vec<String> = plan.iter().map(ToString::to_string).collect();
    assert!(plain[0].starts_with("attack brute_force ip:") && plain[0].ends_with("Z"), "{}", plain[0]);
    assert_eq!(plain[11], "benign outage * 2026-11-24T02:42:00Z 2026-11-24T02:51:00Z");
}

/// Every subject shows up inside its window; the window-only ones never outside it.
fn check_subjects_in_windows(o: &GenOptions) {
    let evs: Vec<GenEvent> = events(o).collect();
    for a in attack_plan(o) {
        let hits: Vec<&GenEvent> = evs.iter().filter(|e| matches(e, &a.subject) == Some(true)).collect();
        if a.name == "outage" {
            assert!(evs.iter().all(|e| matches(e, &a.subject).is_none()));
            continue;
        }
        let inside = hits.iter().filter(|e| e.time_ms >= a.start_ms && e.time_ms < a.end_ms).count();
        assert!(inside > 0, "{} left no events in its window ({} minutes)", a.name, o.minutes);
        // (Normal clients may live in the stuffing botnet's /16, so it is not window-only.)
        if WINDOW_ONLY.contains(&a.name) {
            assert_eq!(inside, hits.len(), "{} acts outside its window", a.name);
        } else {
            assert!(!a.benign || inside == hits.len(), "{}: benign windows span all activity", a.name);
        }
    }
}

#[test]
fn scenario_subjects_act_inside_their_windows() {
    check_subjects_in_windows(&GenOptions {
        clients: 50,
        minutes: 10,
        mean_rate_per_min: 30.0,
        ..GenOptions::default()
    });
    check_subjects_in_windows(&GenOptions {
        clients: 100,
        minutes: 60,
        mean_rate_per_min: 30.0,
        ..GenOptions::default()
    });
}

#[test]
fn added_attacks_have_their_shape() {
    let o =
        GenOptions { seed: 3, clients: 100, minutes: 60, mean_rate_per_min: 30.0, ..GenOptions::default() };
    let plan = attack_plan(&o);
    let evs: Vec<GenEvent> = events(&o).collect();
    let of = |name| {
        let a = scenario(&plan, name);
        (a, evs.iter().filter(|e| matches(e, &a.subject) == Some(true)).collect::<Vec<_>>())
    };
    let minutes = |ms: i64| ms as f64 / MINUTE_MS as f64;

    // volume_spike: an established key whose rate in the window is over ten times its rate
    // before.
    let (a, hits) = of("volume_spike");
    let before =
        hits.iter().filter(|e| e.time_ms < a.start_ms).count() as f64 / minutes(a.start_ms - o.start_ms);
    let during = hits.iter().filter(|e| e.time_ms >= a.start_ms && e.time_ms < a.end_ms).count() as f64
        / minutes(a.end_ms - a.start_ms);
    assert!(before > 8.0 && during >= 10.0 * before, "before {before}/min, during {during}/min");
    assert!(hits.iter().any(|e| e.time_ms < o.start_ms + MINUTE_MS), "active from the start");

    // distributed_scraping: ~150 hosting addresses, each slow, ~250 requests a minute together,
    // one headless browser, anonymous, catalog pages, mostly 200s.
    let (a, hits) = of("distributed_scraping");
    let mut per_ip: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &hits {
        *per_ip.entry(&e.ip).or_default() += 1;
    }
    let mins = minutes(a.end_ms - a.start_ms);
    let rate = hits.len() as f64 / mins;
    assert!(per_ip.len() >= 140 && (200.0..300.0).contains(&rate), "{} ips, {rate}/min", per_ip.len());
    assert!(per_ip.values().all(|&n| n as f64 / mins < 5.0), "every address stays slow");
    assert!(hits.iter().all(|e| e.user_agent == HEADLESS_CHROME && client_key(e).starts_with("ip:")));
    assert!(
        hits.iter()
            .all(|e| e.route == "/products/{productId}" || e.route == "/search" || e.route == "/products")
    );
    let ok = hits.iter().filter(|e| e.status == 200).count() as f64 / hits.len() as f64;
    assert!(ok > 0.8 && hits.iter().any(|e| e.status == 404), "{ok}");
    let paths: HashSet<&str> = hits.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.len() as f64 > hits.len() as f64 * 0.5, "random ids: {} distinct paths", paths.len());

    // new_country: Great Britain before and after, another continent inside the window.
    let (a, hits) = of("new_country");
    for e in &hits {
        let inside = e.time_ms >= a.start_ms && e.time_ms < a.end_ms;
        let c = country_of(&e.ip);
        if inside {
            assert!(matches!(c, Some("BR" | "NG" | "IN" | "CN")), "{c:?}");
        } else {
            assert_eq!(c, Some("GB"));
        }
    }
    assert!(hits.iter().filter(|e| e.time_ms < a.start_ms).count() > 100, "established");

    // denied_geo: the only address ever seen from the denied country's range.
    assert!(COUNTRIES.iter().all(|c| c.code != DENIED_COUNTRY));
    let (a, hits) = of("denied_geo");
    assert!(in_net(&hits[0].ip, DENIED_NET));
    assert!(evs.iter().filter(|e| in_net(&e.ip, DENIED_NET)).all(|e| matches(e, &a.subject) == Some(true)));
    let rate = hits.len() as f64 / minutes(a.end_ms - a.start_ms);
    assert!((2.0..10.0).contains(&rate), "{rate}/min");
}

#[test]
fn outage_fails_calls_then_the_authorizer() {
    let o =
        GenOptions { seed: 5, clients: 300, minutes: 60, mean_rate_per_min: 200.0, ..GenOptions::default() };
    let plan = attack_plan(&o);
    let out = scenario(&plan, "outage");
    let auth_ms = out.start_ms + (out.end_ms - out.start_ms) * 2 / 3;
    let evs: Vec<GenEvent> = events(&o).collect();
    // Normal clients only: everything that is not a scenario's subject.
    let normal: Vec<&GenEvent> =
        evs.iter().filter(|e| plan.iter().all(|a| matches(e, &a.subject) != Some(true))).collect();
    let span = |from: i64, to: i64| -> Vec<&GenEvent> {
        normal.iter().copied().filter(|e| e.time_ms >= from && e.time_ms < to).collect()
    };
    let before = span(out.start_ms - (auth_ms - out.start_ms), out.start_ms);
    let failing = span(out.start_ms, auth_ms);
    let share = |evs: &[&GenEvent], f: &dyn Fn(&GenEvent) -> bool| {
        evs.iter().filter(|e| f(e)).count() as f64 / evs.len().max(1) as f64
    };
    let s5xx = |e: &GenEvent| e.status >= 500;
    assert!(share(&before, &s5xx) < 0.02 && share(&failing, &s5xx) > 0.45, "{}", share(&failing, &s5xx));
    // The same requests without the added scenarios: what the failing calls add is retries.
    let mut bare = Generator::new(&Norm::from(&o));
    bare.scenarios.clear();
    bare.outage = None;
    let originals = bare
        .filter(|e| e.time_ms >= out.start_ms && e.time_ms < auth_ms)
        .filter(|e| plan.iter().all(|a| matches(e, &a.subject) != Some(true)))
        .count();
    let ratio = failing.len() as f64 / originals as f64;
    assert!((1.3..1.8).contains(&ratio), "retries raise the rate: {ratio}");

    fn protected(evs: Vec<&GenEvent>) -> Vec<&GenEvent> {
        evs.into_iter().filter(|e| route_of(e).is_some_and(|r| !r.public) && e.caller.is_none()).collect()
    }
    let before = protected(span(out.start_ms - (out.end_ms - auth_ms), out.start_ms));
    let rejecting = protected(span(auth_ms, out.end_ms));
    let denied = |e: &GenEvent| matches!(e.status, 401 | 403);
    let (b, r) = (share(&before, &denied), share(&rejecting, &denied));
    assert!(b < 0.15 && r > b + 0.35, "401/403 on protected routes: {b} before, {r} during");
    // Every kind of client is hit.
    for kind in ["ip:", "principal:", "api_key:"] {
        assert!(rejecting.iter().any(|e| denied(e) && client_key(e).starts_with(kind)), "{kind}");
    }
    let after = span(out.end_ms, out.end_ms + 3 * MINUTE_MS);
    assert!(share(&after, &s5xx) < 0.02 && share(&after, &denied) < 0.1, "it ends");
}

#[test]
fn benign_look_alikes_have_their_shape() {
    // A full-length run so that the flight fits its gap; few normal clients keep it quick.
    let o =
        GenOptions { seed: 9, clients: 50, minutes: 360, mean_rate_per_min: 5.0, ..GenOptions::default() };
    let plan = attack_plan(&o);
    let subjects: Vec<&str> = ["nat_office", "partner_batch", "flight", "mobile_carrier", "new_customer"]
        .iter()
        .map(|n| scenario(&plan, n).subject.as_str())
        .collect();
    let mut hits: Vec<Vec<GenEvent>> = vec![Vec::new(); subjects.len()];
    for e in events(&o) {
        if let Some(i) = subjects.iter().position(|s| matches(&e, s) == Some(true)) {
            hits[i].push(e);
        }
    }
    let [office, partner, flight, mobile, customer] = &hits[..] else { unreachable!() };
    let run_min = 360.0;

    // nat_office: ~150 principals through one address, ~1 request a minute each over a day
    // (less at night), a few expired-token 401s spread across them.
    let principals: HashSet<&str> = office.iter().filter_map(|e| e.principal.as_deref()).collect();
    assert!(principals.len() >= 145, "{}", principals.len());
    let out = scenario(&plan, "outage");
    let calm: Vec<&GenEvent> =
        office.iter().filter(|e| e.time_ms < out.start_ms || e.time_ms >= out.end_ms).collect();
    let share = calm.iter().filter(|e| e.status == 401).count() as f64 / calm.len() as f64;
    assert!((0.01..0.04).contains(&share), "{share}");
    let expired: Vec<&&GenEvent> = calm.iter().filter(|e| e.status == 401 && e.principal.is_none()).collect();
    let by: HashSet<&str> = expired.iter().filter_map(|e| e.authorizer_error.as_deref()).collect();
    assert!(expired.len() > 100 && by == HashSet::from(["The incoming token has expired"]), "{by:?}");
    let rate = office.len() as f64 / run_min;
    assert!((50.0..160.0).contains(&rate), "{rate}/min");

    // partner_batch: ~300/min all run from two or three EC2 addresses, many distinct paths,
    // few errors.
    let ips: HashSet<&str> = partner.iter().map(|e| e.ip.as_str()).collect();
    assert!((2..=3).contains(&ips.len()) && ips.iter().all(|ip| in_net(ip, PARTNER_NET)));
    let rate = partner.len() as f64 / run_min;
    assert!((280.0..330.0).contains(&rate), "{rate}/min");
    let paths: HashSet<&str> = partner.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.len() > partner.len() / 2, "{} distinct paths", paths.len());
    let errors = partner
        .iter()
        .filter(|e| {
            (e.time_ms < out.start_ms || e.time_ms >= out.end_ms) && e.status >= 400 && e.status != 404
        })
        .count() as f64;
    assert!(errors / (partner.len() as f64) < 0.01, "{errors}");

    // flight: Germany, at least 90 minutes of silence, then a neighbouring country.
    let last_home = flight.iter().filter(|e| country_of(&e.ip) == Some("DE")).map(|e| e.time_ms).max();
    let first_away = flight.iter().filter(|e| country_of(&e.ip) != Some("DE")).map(|e| e.time_ms).min();
    let (Some(left), Some(landed)) = (last_home, first_away) else { panic!("both legs happen") };
    assert!(landed - left >= 90 * MINUTE_MS, "gap {} min", (landed - left) / MINUTE_MS);
    assert!(flight.iter().all(|e| e.time_ms <= left || e.time_ms >= landed), "no overlap");
    assert!(left - o.start_ms >= 100 * MINUTE_MS, "home for ~30% of the run");
    let abroad: HashSet<Option<&str>> =
        flight.iter().filter(|e| e.time_ms >= landed).map(|e| country_of(&e.ip)).collect();
    assert!(abroad.len() == 1 && abroad.iter().all(|c| matches!(c, Some("GB" | "FR" | "NL"))), "{abroad:?}");

    // mobile_carrier: India all run long, ~3 addresses per 10 minutes from both carriers.
    assert!(
        mobile
            .iter()
            .all(|e| country_of(&e.ip) == Some("IN") || MOBILE_NETS.iter().any(|n| in_net(&e.ip, *n)))
    );
    for net in MOBILE_NETS {
        assert!(mobile.iter().any(|e| in_net(&e.ip, net)), "{net:?}");
    }
    let ips: HashSet<&str> = mobile.iter().map(|e| e.ip.as_str()).collect();
    let per_10 = ips.len() as f64 / (run_min / 10.0);
    assert!((2.0..4.0).contains(&per_10), "{per_10} addresses per 10 minutes");

    // new_customer: appears at 40% of the run, ramps from a few to ~150/min over an hour.
    let nc = scenario(&plan, "new_customer");
    let per_min = |from: i64| {
        customer.iter().filter(|e| e.time_ms >= from && e.time_ms < from + 10 * MINUTE_MS).count() as f64
            / 10.0
    };
    let (early, late) = (per_min(nc.start_ms), per_min(nc.start_ms + 90 * MINUTE_MS));
    assert!(early < 30.0 && (130.0..170.0).contains(&late), "{early}/min then {late}/min");
    assert!(customer.iter().all(|e| e.time_ms >= nc.start_ms));

    // The flight's gap holds in longer runs too; in runs too short for it, it is half the run.
    for minutes in [180, 360, 1440, 10_000] {
        let n = Norm::from(&GenOptions { minutes, ..GenOptions::default() });
        let s = build_scenarios(&n).into_iter().find(|s| s.info.name == "flight").expect("flight");
        assert!(s.legs[1].start_ms - s.legs[0].end_ms >= FLIGHT_GAP_MS, "{minutes}");
    }
    let n = Norm::from(&GenOptions { minutes: 90, ..GenOptions::default() });
    let s = build_scenarios(&n).into_iter().find(|s| s.info.name == "flight").expect("flight");
    assert_eq!(s.legs[1].start_ms - s.legs[0].end_ms, 45 * MINUTE_MS);
}

#[test]
fn brute_force_still_tops_401s() {
    // The end-to-end test's generator options, and the default run's (which the demo uses):
    // neither the office's expired tokens nor the outage's rejections outnumber it.
    let configs = [
        GenOptions { seed: 11, clients: 300, minutes: 90, mean_rate_per_min: 500.0, ..GenOptions::default() },
        GenOptions { seed: 7, ..GenOptions::default() },
    ];
    for o in configs {
        let mut s401: BTreeMap<String, u32> = BTreeMap::new();
        for e in events(&o).filter(|e| e.status == 401) {
            *s401.entry(client_key(&e)).or_default() += 1;
        }
        let mut top: Vec<(u32, String)> = s401.into_iter().map(|(k, n)| (n, k)).collect();
        top.sort_unstable_by(|a, b| b.cmp(a));
        let plan = attack_plan(&o);
        let brute = &scenario(&plan, "brute_force").subject;
        assert_eq!(&top[0].1, brute, "{:?}", &top[..3]);
        assert!(top[1].0 * 5 < top[0].0 * 4, "a clear margin: {:?}", &top[..3]);
    }
}

#[test]
fn added_scenarios_leave_the_other_streams_alone() {
    // Without the added scenarios, normal traffic and the first seven attacks are the same
    // events; with them, only the outage rewrites some (keeping their request ids).
    let o = GenOptions { minutes: 20, ..small() };
    let n = Norm::from(&o);
    let full: Vec<GenEvent> = Generator::new(&n).collect();
    let mut bare = Generator::new(&n);
    bare.scenarios.clear();
    bare.outage = None;
    let bare: Vec<GenEvent> = bare.collect();
    let out = scenario(&attack_plan(&o), "outage").clone();
    let by_id: HashMap<&str, &GenEvent> = full.iter().map(|e| (e.request_id.as_str(), e)).collect();
    let mut rewritten = 0;
    for e in &bare {
        let f = by_id.get(e.request_id.as_str()).expect("every event is still there");
        if json_line(f) != json_line(e) {
            assert!(e.time_ms >= out.start_ms && e.time_ms < out.end_ms, "changed outside the outage");
            assert_eq!((f.time_ms, &f.ip, &f.path), (e.time_ms, &e.ip, &e.path));
            rewritten += 1;
        }
    }
    assert!(rewritten > 0);
    assert!(full.len() > bare.len());
    // And the scenarios themselves are deterministic for a seed.
    assert_eq!(attack_plan(&o), attack_plan(&o));
    let again: Vec<String> = events(&o).map(|e| json_line(&e)).collect();
    assert_eq!(again, full.iter().map(json_line).collect::<Vec<_>>());
    assert_ne!(attack_plan(&o), attack_plan(&GenOptions { seed: 8, ..o.clone() }));
}

#[test]
fn json_lines_parse_with_string_fields() {
    let rest = [
        "requestId",
        "ip",
        "caller",
        "user",
        "requestTime",
        "httpMethod",
        "resourcePath",
        "path",
        "status",
        "protocol",
        "responseLength",
        "principalId",
        "apiKeyId",
        "userAgent",
        "responseLatency",
        "integrationLatency",
        "domainName",
        "stage",
        "authorizerError",
        "userArn",
    ];
    let http = [
        "requestId",
        "ip",
        "requestTimeEpoch",
        "httpMethod",
        "routeKey",
        "path",
        "status",
        "protocol",
        "responseLength",
        "principalId",
        "apiKeyId",
        "userAgent",
        "responseLatency",
        "integrationLatency",
        "domainName",
        "stage",
        "authorizerError",
    ];
    let (buf, n) = render(&small(), OutFormat::Ndjson);
    let text = String::from_utf8(buf).expect("utf8");
    let mut seen = [false, false];
    let mut lines = 0;
    for line in text.lines() {
        lines += 1;
        let v: Value = serde_json::from_str(line).expect("valid JSON");
        let obj = v.as_object().expect("object");
        let is_rest = obj.contains_key("resourcePath");
        let keys: &[&str] = if is_rest { &rest } else { &http };
        seen[usize::from(!is_rest)] = true;
        assert_eq!(obj.len(), keys.len(), "{line}");
        for k in keys {
            assert!(obj.get(*k).is_some_and(Value::is_string), "{k} missing in {line}");
        }
        if is_rest {
            let t = obj["requestTime"].as_str().unwrap_or("");
            assert_eq!(t.len(), 26, "{t}");
            assert!(t.ends_with(" +0000"));
        } else {
            assert!(obj["requestTimeEpoch"].as_str().unwrap_or("").parse::<i64>().is_ok());
            let rk = obj["routeKey"].as_str().unwrap_or("");
            assert!(rk == "-" || rk.starts_with(obj["httpMethod"].as_str().unwrap_or("?")));
        }
    }
    assert_eq!(lines, n);
    assert_eq!(seen, [true, true], "both APIs appear");
}

#[test]
fn clf_lines_are_well_formed() {
    let (buf, n) = render(&small(), OutFormat::Clf);
    let text = String::from_utf8(buf).expect("utf8");
    assert_eq!(text.lines().count() as u64, n);
    for line in text.lines() {
        let (head, rest) = line.split_once(" [").expect("time bracket");
        let head: Vec<&str> = head.split(' ').collect();
        assert_eq!(head.len(), 3, "{line}");
        assert!(head[0].parse::<std::net::IpAddr>().is_ok(), "{line}");
        let (time, rest) = rest.split_once("] \"").expect("request quote");
        assert_eq!(time.len(), 26);
        assert_eq!(&time[2..3], "/");
        assert!(time.ends_with(" +0000"));
        let (request, tail) = rest.split_once("\" ").expect("closing quote");
        let req: Vec<&str> = request.split(' ').collect();
        assert!(req.len() == 3 || req.len() == 4, "{line}");
        assert!(req[req.len() - 1].starts_with("HTTP/"));
        if req.len() == 4 {
            // HTTP API: the route key repeats the method.
            assert_eq!(req[0], req[1]);
            assert_eq!((head[1], head[2]), ("-", "-"));
        }
        let tail: Vec<&str> = tail.split(' ').collect();
        assert_eq!(tail.len(), 3, "{line}");
        assert!(tail[0].parse::<u16>().is_ok_and(|s| (100..600).contains(&s)));
        assert!(tail[1].parse::<u64>().is_ok());
        assert_eq!(tail[2].len(), 36);
    }
}

fn check_envelopes(raw: &[u8], expected: u64) {
    let docs: Vec<Value> =
        serde_json::Deserializer::from_slice(raw).into_iter::<Value>().map(|v| v.expect("JSON")).collect();
    assert_eq!(docs[0]["messageType"], "CONTROL_MESSAGE");
    let mut total = 0u64;
    for d in &docs[1..] {
        assert_eq!(d["messageType"], "DATA_MESSAGE");
        assert_eq!(d["owner"], ACCOUNT_ID);
        let group = d["logGroup"].as_str().expect("group");
        assert!(group.starts_with("API-Gateway-Access-Logs_") && group.ends_with("/prod"));
        let stream = d["logStream"].as_str().expect("stream");
        assert!(stream.len() == 32 && stream.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(d["subscriptionFilters"], serde_json::json!(["gatewatch"]));
        let evs = d["logEvents"].as_array().expect("events");
        assert!(!evs.is_empty() && evs.len() <= CWL_MAX_EVENTS);
        // Envelopes of the two log groups interleave, as deliveries from CloudWatch do, so
        // only the span inside one envelope is bounded.
        let first = evs[0]["timestamp"].as_i64().expect("ts");
        for ev in evs {
            let id = ev["id"].as_str().expect("id");
            assert!(id.len() == 56 && id.bytes().all(|b| b.is_ascii_digit()));
            let ts = ev["timestamp"].as_i64().expect("ts");
            assert!(ts - first < CWL_MAX_SPAN_MS);
            let msg: Value = serde_json::from_str(ev["message"].as_str().expect("msg")).expect("line");
            assert!(msg["requestId"].is_string());
        }
        total += evs.len() as u64;
    }
    assert_eq!(total, expected);
}

#[test]
fn cwl_gzip_round_trips() {
    let (buf, n) = render(&GenOptions { minutes: 12, ..small() }, OutFormat::CwlGzip);
    let mut raw = Vec::new();
    MultiGzDecoder::new(&buf[..]).read_to_end(&mut raw).expect("gunzip");
    check_envelopes(&raw, n);
}

#[test]
fn cwl_base64_round_trips() {
    let o = GenOptions { minutes: 10, ..small() };
    let (buf, n) = render(&o, OutFormat::CwlBase64);
    let text = String::from_utf8(buf).expect("utf8");
    let mut raw = Vec::new();
    for line in text.lines() {
        let gz = base64::engine::general_purpose::STANDARD.decode(line).expect("base64");
        MultiGzDecoder::new(&gz[..]).read_to_end(&mut raw).expect("gunzip");
    }
    check_envelopes(&raw, n);
}

#[test]
fn tiny_and_degenerate_options_do_not_panic() {
    let cases = [
        GenOptions { clients: 10, minutes: 5, ..GenOptions::default() },
        GenOptions { clients: 0, minutes: 0, mean_rate_per_min: f64::NAN, ..GenOptions::default() },
        GenOptions {
            clients: 1,
            minutes: 2,
            mean_rate_per_min: -5.0,
            start_ms: i64::MIN,
            ..GenOptions::default()
        },
        GenOptions {
            clients: 3,
            minutes: 3,
            mean_rate_per_min: f64::INFINITY,
            start_ms: i64::MAX,
            attacks: false,
            seed: u64::MAX,
        },
    ];
    for o in &cases {
        for f in [OutFormat::Ndjson, OutFormat::Clf] {
            let _ = render(o, f);
        }
    }
    let (_, n) = render(&GenOptions { clients: 10, minutes: 5, ..GenOptions::default() }, OutFormat::Ndjson);
    assert!(n > 0);
    let (buf, n) = render(&cases[1], OutFormat::CwlGzip);
    assert!(n > 0, "attacks still produce events at zero rate");
    let mut raw = Vec::new();
    MultiGzDecoder::new(&buf[..]).read_to_end(&mut raw).expect("gunzip");
    check_envelopes(&raw, n);
}

#[test]
fn population_mix_and_formats() {
    let n = Norm::from(&GenOptions::default());
    let (clients, cum) = population(&n);
    let count = |k| clients.iter().filter(|c| c.kind == k).count() as f64 / clients.len() as f64;
    assert!((count(Kind::Principal) - 0.45).abs() < 0.05);
    assert!((count(Kind::ApiKey) - 0.25).abs() < 0.05);
    assert!(cum.windows(2).all(|w| w[0] < w[1]));
    for c in &clients {
        if let Some(k) = &c.api_key_id {
            assert!(k.len() == 10 && k.bytes().all(|b| LOWER_ALNUM.contains(&b)));
        }
        if let Some(caller) = &c.caller {
            let (id, session) = caller.split_once(':').expect("caller");
            assert!(id.len() == 21 && id.starts_with("AROA"));
            assert!(c.user_arn.as_deref().is_some_and(|a| a.ends_with(&format!("/{session}"))));
        }
        for ip in &c.ips {
            let addr: std::net::IpAddr = ip.parse().expect("ip");
            assert!(!ip.starts_with("2001:db8"));
            if let std::net::IpAddr::V4(v4) = addr {
                assert!(!v4.is_private() && !v4.is_loopback() && !v4.is_documentation());
            }
        }
    }
    assert_eq!("cwl-base64".parse::<OutFormat>(), Ok(OutFormat::CwlBase64));
    assert!("xml".parse::<OutFormat>().is_err_and(|e| e.contains("ndjson") && e.contains("cwl-gzip")));
}
