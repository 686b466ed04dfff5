//! Scenarios drawn from their own streams: four more attacks and six benign look-alikes.

use super::*;

// Scenarios added after the first seven attacks: four more attacks and six benign look-alikes.
// They draw from their own streams, so the population, normal traffic and the first seven
// attacks are the same events with or without them (bar the outage's rewrites).

/// Headless Chrome as scraping frameworks (Puppeteer, Playwright) announce it by default.
pub(crate) const HEADLESS_CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";
pub(crate) const UA_OFFICE: &[(&str, u32)] =
    &[(CHROME_WIN, 50), (EDGE, 30), (CHROME_MAC, 10), (FIREFOX, 6), (SAFARI_MAC, 4)];
pub(crate) const UA_MOBILE: &[(&str, u32)] = &[(CHROME_ANDROID, 60), ("okhttp/4.12.0", 40)];
pub(crate) const PRODUCTS: &Route = &REST_ROUTES[3];
pub(crate) const SEARCH: &Route = &REST_ROUTES[5];
pub(crate) const ORDER: &Route = &REST_ROUTES[1];

/// Principals behind the office NAT.
pub(crate) const OFFICE_PRINCIPALS: usize = 150;
/// Share of the office's requests to protected routes answered 401 for an expired token (about
/// 1.9% of all its requests with the routine 401s). The authorizer drops the principal from
/// those, so they count for the NAT address: kept low enough that over a whole default run they
/// stay well below the brute force's 401s (see the tests).
pub(crate) const OFFICE_EXPIRED: f64 = 0.022;
/// Outage: share of integration calls failing with 502/503/504, the chance a failed call is
/// retried (up to three times, which makes ~1.5x the requests), and the share of protected
/// requests the broken authorizer then rejects.
pub(crate) const OUTAGE_FAIL: f64 = 0.6;
pub(crate) const OUTAGE_RETRY: f64 = 0.6;
pub(crate) const OUTAGE_AUTH_FAIL: f64 = 0.5;
/// The mobile user changes address about every 200 s (three or so per ten minutes).
pub(crate) const HOP_MS: i64 = 200_000;
/// The flight's minimum time between the last request at home and the first after landing.
pub(crate) const FLIGHT_GAP_MS: i64 = 90 * MINUTE_MS;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ScenarioKind {
    /// Catalog pages and searches, anonymous, mostly 200s.
    Scraping,
    /// Routes and statuses of a normal client of that kind.
    Like(Kind),
    /// Normal principals, with expired-token 401s on protected routes.
    Office,
    /// Catalog reads across random ids plus order look-ups; low error rates.
    Partner,
    /// Like a normal principal; the address depends on the time (`hop_ip`).
    Mobile { key: u64 },
    /// No events of its own: normal events in the window fail (until `auth_ms`), then the
    /// authorizer rejects.
    Outage { auth_ms: i64 },
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Rate {
    /// Requests per minute.
    Flat(f64),
    /// A daily mean, following the same curve as the population.
    Diurnal(f64),
    /// From `from` to `to` per minute linearly over `over_ms` from `start_ms`, then `to`.
    Ramp { from: f64, to: f64, start_ms: i64, over_ms: i64 },
}

impl Rate {
    pub(crate) fn per_min(self, t: i64) -> f64 {
        match self {
            Rate::Flat(r) => r,
            Rate::Diurnal(r) => r * diurnal(t),
            Rate::Ramp { from, to, start_ms, over_ms } => {
                let x = ((t - start_ms) as f64 / over_ms.max(1) as f64).clamp(0.0, 1.0);
                from + (to - from) * x
            }
        }
    }
}

/// A time slice of a scenario: its addresses and request rate.
pub(crate) struct Leg {
    pub(crate) start_ms: i64,
    pub(crate) end_ms: i64,
    pub(crate) ips: Vec<String>,
    pub(crate) rate: Rate,
}

/// Who sends a scenario's requests; each event picks one identity of the scenario at random.
pub(crate) struct Identity {
    pub(crate) principal: Option<String>,
    pub(crate) api_key_id: Option<String>,
    pub(crate) ua: &'static str,
    pub(crate) api: Api,
    pub(crate) user_num: u32,
}

pub(crate) struct Scenario {
    pub(crate) info: AttackInfo,
    pub(crate) kind: ScenarioKind,
    pub(crate) legs: Vec<Leg>,
    pub(crate) ids: Vec<Identity>,
}

pub(crate) fn distinct_ips(rng: &mut ChaCha8Rng, net: ([u8; 4], u8), n: usize) -> Vec<String> {
    let mut ips: Vec<String> = Vec::with_capacity(n);
    while ips.len() < n {
        let ip = ipv4_in(rng, net);
        if !ips.contains(&ip) {
            ips.push(ip);
        }
    }
    ips
}

pub(crate) fn leg(start_ms: i64, end_ms: i64, ips: Vec<String>, rate: Rate) -> Leg {
    Leg { start_ms, end_ms, ips, rate }
}

/// Legs covering the whole run: `inner` (addresses, requests a minute) in `[s, e)`, `outer`
/// before and after it.
pub(crate) fn around(
    n: &Norm,
    (s, e): (i64, i64),
    outer: (&[String], f64),
    inner: (&[String], f64),
) -> Vec<Leg> {
    let end = run_end(n);
    let mut legs = Vec::new();
    if s > n.start_ms {
        legs.push(leg(n.start_ms, s, outer.0.to_vec(), Rate::Flat(outer.1)));
    }
    legs.push(leg(s, e, inner.0.to_vec(), Rate::Flat(inner.1)));
    if e < end {
        legs.push(leg(e, end, outer.0.to_vec(), Rate::Flat(outer.1)));
    }
    legs
}

pub(crate) fn run_end(n: &Norm) -> i64 {
    n.start_ms + i64::from(n.minutes) * MINUTE_MS
}

pub(crate) fn build_scenarios(n: &Norm) -> Vec<Scenario> {
    if !n.attacks {
        return Vec::new();
    }
    let mut rng = stream_rng(n.seed, STREAM_SCENARIOS);
    let rng = &mut rng;
    let (start, end) = (n.start_ms, run_end(n));
    let span = end - start;
    let mut out = Vec::new();
    let mut add = |name, benign, subject: String, (start_ms, end_ms), kind, legs, ids| {
        out.push(Scenario { info: AttackInfo { name, subject, start_ms, end_ms, benign }, kind, legs, ids });
    };
    let anonymous = |ua| Identity { principal: None, api_key_id: None, ua, api: Api::Rest, user_num: 1 };
    let principal = |rng: &mut ChaCha8Rng, ua| Identity {
        principal: Some(uuid(rng)),
        api_key_id: None,
        ua,
        api: if rng.random::<f64>() < 0.75 { Api::Rest } else { Api::Http },
        user_num: rng.random_range(1..2_000_000),
    };
    let api_key = |rng: &mut ChaCha8Rng| Identity {
        principal: None,
        api_key_id: Some(alnum(rng, 10, LOWER_ALNUM)),
        ua: pick(rng, UA_API_KEY),
        api: Api::Rest,
        user_num: rng.random_range(1..2_000_000),
    };
    let subject = |id: &Identity| match (&id.principal, &id.api_key_id) {
        (Some(p), _) => format!("principal:{p}"),
        (None, Some(k)) => format!("api_key:{k}"),
        (None, None) => "*".to_string(),
    };

    // distributed_scraping: 150 machines of one hosting provider, each slow (1-3 requests a
    // minute, ~250 together), walking the catalog anonymously with the same headless browser.
    let w = window(n, 0.56, 20);
    let ips = distinct_ips(rng, SCRAPER_NET, 150);
    let legs = ips
        .into_iter()
        .map(|ip| leg(w.0, w.1, vec![ip], Rate::Flat(pick(rng, &[(1.0, 3), (2.0, 2), (3.0, 1)]))))
        .collect();
    add(
        "distributed_scraping",
        false,
        format!("asn:AS{SCRAPER_ASN}"),
        w,
        ScenarioKind::Scraping,
        legs,
        vec![anonymous(HEADLESS_CHROME)],
    );

    // volume_spike: an established API key at ~15/min whose rate jumps 25x for ten minutes.
    let w = window(n, 0.75, 10);
    let id = api_key(rng);
    let home = pick_country(rng);
    let ips: Vec<String> = (0..rng.random_range(2..=3)).map(|_| ip_from(rng, home, false)).collect();
    let legs = around(n, w, (&ips, 15.0), (&ips, 375.0));
    add("volume_spike", false, subject(&id), w, ScenarioKind::Like(Kind::ApiKey), legs, vec![id]);

    // new_country: an established principal in Great Britain, used for ten minutes from another
    // continent.
    let w = window(n, 0.65, 10);
    let ua = pick(rng, UA_PRINCIPAL);
    let id = principal(rng, ua);
    let gb: Vec<String> = (0..rng.random_range(1..=2)).map(|_| ip_from(rng, country("GB"), false)).collect();
    let far = country(["BR", "NG", "IN", "CN"][rng.random_range(0..4)]);
    let away = vec![ip_from(rng, far, false)];
    let legs = around(n, w, (&gb, 5.0), (&away, 5.0));
    add("new_country", false, subject(&id), w, ScenarioKind::Like(Kind::Principal), legs, vec![id]);

    // denied_geo: a few normal-looking anonymous requests from a country nobody else uses.
    let w = window(n, 0.90, 10);
    debug_assert!(COUNTRIES.iter().all(|c| c.code != DENIED_COUNTRY), "the population never uses it");
    let ip = ipv4_in(rng, DENIED_NET);
    let legs = vec![leg(w.0, w.1, vec![ip.clone()], Rate::Flat(5.0))];
    add(
        "denied_geo",
        false,
        format!("ip:{ip}"),
        w,
        ScenarioKind::Like(Kind::Anon),
        legs,
        vec![anonymous(CHROME_WIN)],
    );

    // outage (benign): ~6 minutes of 5xx for everyone, then ~3 minutes of authorizer rejections.
    let w = window(n, 0.45, 9);
    let auth_ms = w.0 + (w.1 - w.0) * 2 / 3;
    add("outage", true, "*".to_string(), w, ScenarioKind::Outage { auth_ms }, Vec::new(), Vec::new());

    // nat_office (benign): 150 principals behind one corporate address all run long.
    let ip = ipv4_in(rng, OFFICE_NET);
    let ids = (0..OFFICE_PRINCIPALS)
        .map(|_| {
            let ua = pick(rng, UA_OFFICE);
            let mut id = principal(rng, ua);
            id.api = if rng.random::<f64>() < 0.8 { Api::Rest } else { Api::Http };
            id
        })
        .collect();
    let legs = vec![leg(start, end, vec![ip.clone()], Rate::Diurnal(OFFICE_PRINCIPALS as f64))];
    add("nat_office", true, format!("ip:{ip}"), (start, end), ScenarioKind::Office, legs, ids);

    // partner_batch (benign): a partner's API key reading the catalog at ~300/min all run long.
    let mut id = api_key(rng);
    id.ua = "Apache-HttpClient/4.5.14 (Java/17.0.12)";
    let count = rng.random_range(2..=3);
    let ips = distinct_ips(rng, PARTNER_NET, count);
    let legs = vec![leg(start, end, ips, Rate::Flat(300.0))];
    add("partner_batch", true, subject(&id), (start, end), ScenarioKind::Partner, legs, vec![id]);

    // flight (benign): a principal in Germany for the first 30% of the run, silent for at least
    // 90 minutes, then in a neighbouring country. Runs shorter than 180 minutes cannot fit the
    // gap; there it is half the run (30% at home, 20% after landing).
    let ua = pick(rng, UA_PRINCIPAL);
    let id = principal(rng, ua);
    let de = vec![ip_from(rng, country("DE"), false)];
    let dest = country(["GB", "FR", "NL"][rng.random_range(0..3)]);
    let abroad = vec![ip_from(rng, dest, false)];
    let leave = start + span * 3 / 10;
    let land = (leave + FLIGHT_GAP_MS).min(start + span * 8 / 10);
    let legs = vec![leg(start, leave, de, Rate::Flat(4.0)), leg(land, end, abroad, Rate::Flat(4.0))];
    add("flight", true, subject(&id), (start, end), ScenarioKind::Like(Kind::Principal), legs, vec![id]);

    // mobile_carrier (benign): a principal in India whose phone hops between the addresses of
    // two carriers every few minutes, all run long.
    let ua = pick(rng, UA_MOBILE);
    let id = principal(rng, ua);
    let key = rng.random::<u64>();
    let legs = vec![leg(start, end, Vec::new(), Rate::Flat(4.0))];
    add("mobile_carrier", true, subject(&id), (start, end), ScenarioKind::Mobile { key }, legs, vec![id]);

    // new_customer (benign): a new API key from 40% of the run, ramping from 2 to 150 requests a
    // minute over an hour (a quarter of the run in short runs), then steady.
    let (appear, _) = window(n, 0.40, 1);
    let over_ms = window(n, 0.0, 60).1 - start;
    let id = api_key(rng);
    let home = pick_country(rng);
    let ips: Vec<String> = (0..rng.random_range(1..=2)).map(|_| ip_from(rng, home, false)).collect();
    let legs = vec![leg(appear, end, ips, Rate::Ramp { from: 2.0, to: 150.0, start_ms: appear, over_ms })];
    add("new_customer", true, subject(&id), (appear, end), ScenarioKind::Like(Kind::ApiKey), legs, vec![id]);

    out
}

/// The mobile user's address at `t`: one per ~`HOP_MS` slot (jittered boundaries), from either
/// carrier, a pure function of the time so that memory does not grow with the run.
pub(crate) fn hop_ip(key: u64, run_start: i64, t: i64) -> String {
    let boundary =
        |k: i64| run_start + k * HOP_MS + (splitmix64(key ^ k as u64) % (HOP_MS as u64 / 2)) as i64;
    let k0 = (t - run_start).div_euclid(HOP_MS);
    let k = if t >= boundary(k0) { k0 } else { k0 - 1 };
    let h = splitmix64(key.rotate_left(17) ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    ipv4_from_bits(MOBILE_NETS[(h >> 63) as usize], h as u32)
}

pub(crate) fn scenario_event(rng: &mut ChaCha8Rng, s: &Scenario, lg: &Leg, t: i64) -> GenEvent {
    let id = &s.ids[if s.ids.len() > 1 { rng.random_range(0..s.ids.len()) } else { 0 }];
    let hopped;
    let ip = match s.kind {
        ScenarioKind::Mobile { key } => {
            hopped = hop_ip(key, lg.start_ms, t);
            hopped.as_str()
        }
        _ if lg.ips.is_empty() => "0.0.0.0",
        _ => lg.ips[rng.random_range(0..lg.ips.len())].as_str(),
    };
    let who = Who {
        ip,
        ua: id.ua,
        principal: id.principal.as_deref(),
        api_key_id: id.api_key_id.as_deref(),
        caller: None,
        user_arn: None,
    };
    let kind = match s.kind {
        ScenarioKind::Like(k) => k,
        ScenarioKind::Office | ScenarioKind::Mobile { .. } => Kind::Principal,
        ScenarioKind::Scraping => {
            let u = rng.random::<f64>();
            let (r, path, status) = if u < 0.78 {
                // Uniform over the whole catalog, unlike real shoppers; ~12% of ids are gone.
                let pid = rng.random_range(1000..100_000u64);
                let gone = splitmix64(pid ^ 0x5c) % 100 < 12;
                (PRODUCT, format!("/products/{pid}"), if gone { 404 } else { 200 })
            } else if u < 0.95 {
                // `$context.path` carries no query string: the search terms are not logged.
                (SEARCH, SEARCH.tmpl.to_string(), 200)
            } else {
                (PRODUCTS, PRODUCTS.tmpl.to_string(), 200)
            };
            return build_event(rng, t, &who, r, path, status);
        }
        ScenarioKind::Partner => {
            let u = rng.random::<f64>();
            let (r, path, missing) = if u < 0.70 {
                let pid = rng.random_range(1000..100_000u64);
                (PRODUCT, format!("/products/{pid}"), splitmix64(pid ^ 0x9a) % 100 < 3)
            } else if u < 0.82 {
                (SEARCH, SEARCH.tmpl.to_string(), false)
            } else if u < 0.90 {
                (PRODUCTS, PRODUCTS.tmpl.to_string(), false)
            } else {
                let order = rng.random_range(1_000_000_000u64..10_000_000_000);
                (ORDER, format!("/orders/{order}"), rng.random::<f64>() < 0.02)
            };
            let v = rng.random::<f64>();
            let status = match v {
                v if v < 0.0005 => 403,
                v if v < 0.0035 => 429,
                v if v < 0.0045 => [500, 502, 503, 504][rng.random_range(0..4)],
                _ if missing => 404,
                _ => 200,
            };
            return build_event(rng, t, &who, r, path, status);
        }
        ScenarioKind::Outage { .. } => Kind::Principal,
    };
    // As `normal_event` does for a client of this kind.
    let api = match kind {
        Kind::ApiKey => Api::Rest,
        Kind::Anon => {
            if rng.random::<f64>() < 0.03 {
                Api::Http
            } else {
                Api::Rest
            }
        }
        _ if rng.random::<f64>() < 0.08 => other_api(id.api),
        _ => id.api,
    };
    let r = pick_route(rng, api, kind);
    let path = concrete_path(rng, r.class, id.user_num);
    let expired = s.kind == ScenarioKind::Office && !r.public && rng.random::<f64>() < OFFICE_EXPIRED;
    let status = if expired { 401 } else { normal_status(rng, r, kind) };
    let mut e = build_event(rng, t, &who, r, path, status);
    if s.kind == ScenarioKind::Office && e.authorizer_error.is_some() {
        e.authorizer_error = Some("The incoming token has expired".to_string());
    }
    e
}

pub(crate) fn other_api(api: Api) -> Api {
    if api == Api::Rest { Api::Http } else { Api::Rest }
}

/// The route an event was generated from; `None` for unmatched paths.
pub(crate) fn route_of(e: &GenEvent) -> Option<&'static Route> {
    let routes = if e.api == Api::Rest { REST_ROUTES } else { HTTP_ROUTES };
    routes.iter().find(|r| r.method == e.method && r.tmpl == e.route)
}

/// The same request by the same caller at `time_ms`, answered `status`.
pub(crate) fn reissue(rng: &mut ChaCha8Rng, e: &GenEvent, r: &Route, status: u16, time_ms: i64) -> GenEvent {
    let who = Who {
        ip: &e.ip,
        ua: &e.user_agent,
        principal: e.principal.as_deref(),
        api_key_id: e.api_key_id.as_deref(),
        caller: e.caller.as_deref(),
        user_arn: e.user_arn.as_deref(),
    };
    build_event(rng, time_ms, &who, r, e.path.clone(), status)
}

pub(crate) fn outage_5xx(rng: &mut ChaCha8Rng) -> u16 {
    pick(rng, &[(502u16, 45), (503, 35), (504, 20)])
}

#[derive(Clone, Copy)]
pub(crate) struct Outage {
    pub(crate) start_ms: i64,
    pub(crate) auth_ms: i64,
    pub(crate) end_ms: i64,
}

impl Outage {
    /// Rewrites `e` if the outage hits it; retries of a failed call go to `retries`.
    pub(crate) fn hit(
        &self,
        rng: &mut ChaCha8Rng,
        e: &mut GenEvent,
        retries: &mut Vec<GenEvent>,
        run_end: i64,
    ) {
        let t = e.time_ms;
        if t < self.start_ms || t >= self.end_ms {
            return;
        }
        let Some(r) = route_of(e) else { return };
        if t < self.auth_ms {
            // The backend fails: only calls that reached the integration are affected.
            if e.integration_latency_ms.is_none() || e.status >= 500 || rng.random::<f64>() >= OUTAGE_FAIL {
                return;
            }
            let status = outage_5xx(rng);
            let mut failed = reissue(rng, e, r, status, t);
            failed.request_id = std::mem::take(&mut e.request_id);
            let mut prev = (failed.time_ms, failed.latency_ms);
            for attempt in 0..3 {
                if rng.random::<f64>() >= OUTAGE_RETRY {
                    break;
                }
                // Exponential backoff with jitter after the failed answer arrived.
                let backoff = (200_i64 << attempt) + rng.random_range(0..500);
                let at = prev.0 + i64::try_from(prev.1).unwrap_or(0) + backoff;
                if at >= run_end {
                    break;
                }
                let fails = at < self.auth_ms && rng.random::<f64>() < OUTAGE_FAIL;
                let status = if fails { outage_5xx(rng) } else { e.status };
                let retry = reissue(rng, e, r, status, at);
                prev = (retry.time_ms, retry.latency_ms);
                retries.push(retry);
                if !fails {
                    break;
                }
            }
            *e = failed;
        } else {
            // The authorizer breaks: protected routes only, whoever the caller.
            if r.public || matches!(e.status, 401 | 403 | 429) || rng.random::<f64>() >= OUTAGE_AUTH_FAIL {
                return;
            }
            let status = if rng.random::<f64>() < 0.6 { 401 } else { 403 };
            let mut rejected = reissue(rng, e, r, status, t);
            rejected.request_id = std::mem::take(&mut e.request_id);
            if status == 401 {
                rejected.authorizer_error = Some("Unauthorized".to_string());
            } else {
                // An explicit deny: the authorizer answered, the integration was never called.
                rejected.latency_ms = latency(rng, r, status, true).0;
                rejected.integration_latency_ms = None;
            }
            *e = rejected;
        }
    }
}

// ---------------------------------------------------------------------------------------------
