//! The first seven labelled attacks: their specs and the events they add.

use super::*;

// Attacks

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum AttackKind {
    BruteForce,
    Stuffing,
    Enumeration,
    Throttle,
    Probing,
    Replay,
    Travel,
}

/// A time slice of an attack with the addresses it uses.
pub(crate) struct Segment {
    pub(crate) start_ms: i64,
    pub(crate) end_ms: i64,
    pub(crate) ips: Vec<String>,
}

pub(crate) struct AttackSpec {
    // Read only by `attack_plan`.
    pub(crate) info: AttackInfo,
    pub(crate) kind: AttackKind,
    pub(crate) rate_per_min: f64,
    pub(crate) segments: Vec<Segment>,
    pub(crate) principal: Option<String>,
    pub(crate) api_key_id: Option<String>,
    pub(crate) ua: &'static str,
    pub(crate) user_num: u32,
}

/// Windows are whole minutes placed at fixed fractions of the run; in short runs they shrink to a
/// quarter of the run (at least one minute) and may overlap, but never leave the run.
pub(crate) fn window(n: &Norm, frac: f64, nominal_min: i64) -> (i64, i64) {
    let m = i64::from(n.minutes);
    let dur = nominal_min.min((m / 4).max(1)).min(m);
    let start = ((m as f64 * frac) as i64).clamp(0, m - dur);
    (n.start_ms + start * MINUTE_MS, n.start_ms + (start + dur) * MINUTE_MS)
}

pub(crate) fn build_attacks(n: &Norm) -> Vec<AttackSpec> {
    if !n.attacks {
        return Vec::new();
    }
    let mut rng = stream_rng(n.seed, STREAM_ATTACKS);
    let window = |frac: f64, nominal: i64| window(n, frac, nominal);
    let one = |start_ms, end_ms, ips| vec![Segment { start_ms, end_ms, ips }];
    let mut out = Vec::new();
    let mut spec = |name,
                    kind,
                    subject: String,
                    rate,
                    segments: Vec<Segment>,
                    ids: (Option<String>, Option<String>),
                    ua| {
        let start_ms = segments.iter().map(|s: &Segment| s.start_ms).min().unwrap_or(n.start_ms);
        let end_ms = segments.iter().map(|s| s.end_ms).max().unwrap_or(n.start_ms + MINUTE_MS);
        out.push(AttackSpec {
            info: AttackInfo { name, subject, start_ms, end_ms, benign: false },
            kind,
            rate_per_min: rate,
            segments,
            principal: ids.0,
            api_key_id: ids.1,
            ua,
            user_num: 0,
        });
    };

    // brute_force: one anonymous address hammering the login endpoint.
    let (s, e) = window(0.10, 20);
    let home = country(["RU", "CN", "BR", "NG", "US"][rng.random_range(0..5)]);
    let ip = ip_from(&mut rng, home, false);
    spec(
        "brute_force",
        AttackKind::BruteForce,
        format!("ip:{ip}"),
        30.0,
        one(s, e, vec![ip]),
        (None, None),
        "python-requests/2.31.0",
    );

    // credential_stuffing: a botnet slice of ~150 addresses in one /16, a few tries each.
    let (s, e) = window(0.22, 15);
    let home = country(["RU", "CN", "BR", "IN", "US"][rng.random_range(0..5)]);
    let wide: Vec<_> = home.v4.iter().filter(|(_, len)| *len <= 16).copied().collect();
    let net = if wide.is_empty() { home.v4[0] } else { wide[rng.random_range(0..wide.len())] };
    let mask = host_mask(net.1);
    let base =
        (((u32::from_be_bytes(net.0) & !mask) | (rng.random::<u32>() & mask)) & 0xffff_0000).to_be_bytes();
    let mut ips: Vec<String> = Vec::with_capacity(150);
    while ips.len() < 150 {
        let ip = ipv4_in(&mut rng, (base, 16));
        if !ips.contains(&ip) {
            ips.push(ip);
        }
    }
    spec(
        "credential_stuffing",
        AttackKind::Stuffing,
        format!("ip:{}.{}.0.0/16", base[0], base[1]),
        25.0,
        one(s, e, ips),
        (None, None),
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
    );

    // enumeration: an API key walking product ids in order.
    let (s, e) = window(0.35, 25);
    let key = alnum(&mut rng, 10, LOWER_ALNUM);
    let home = pick_country(&mut rng);
    let ip = ip_from(&mut rng, home, false);
    spec(
        "enumeration",
        AttackKind::Enumeration,
        format!("api_key:{key}"),
        80.0,
        one(s, e, vec![ip]),
        (None, Some(key)),
        "python-requests/2.32.3",
    );

    // throttle_evasion: a principal that keeps going while being answered 429.
    let (s, e) = window(0.50, 10);
    let principal = uuid(&mut rng);
    let home = pick_country(&mut rng);
    let ips = (0..2).map(|_| ip_from(&mut rng, home, false)).collect();
    spec(
        "throttle_evasion",
        AttackKind::Throttle,
        format!("principal:{principal}"),
        300.0,
        one(s, e, ips),
        (Some(principal), None),
        "Go-http-client/2.0",
    );

    // probing: a scanner on a hosting range looking for leaked files and admin panels.
    let (s, e) = window(0.60, 5);
    let ip = ipv4_in(&mut rng, HOSTING_NET);
    spec(
        "probing",
        AttackKind::Probing,
        format!("ip:{ip}"),
        40.0,
        one(s, e, vec![ip]),
        (None, None),
        "Mozilla/5.0 zgrab/0.x",
    );

    // credential_replay: one principal's token used from many addresses in several countries.
    let (s, e) = window(0.70, 10);
    let principal = uuid(&mut rng);
    let mut ips = Vec::new();
    for code in ["US", "BR", "IN", "RU", "NG", "SG"] {
        for _ in 0..4 {
            ips.push(ip_from(&mut rng, country(code), false));
        }
    }
    spec(
        "credential_replay",
        AttackKind::Replay,
        format!("principal:{principal}"),
        40.0,
        one(s, e, ips),
        (Some(principal), None),
        "okhttp/4.12.0",
    );

    // impossible_travel: a principal in Germany, then ~10 minutes later in Australia.
    let (s, e) = window(0.82, 12);
    let principal = uuid(&mut rng);
    let de = ip_from(&mut rng, country("DE"), false);
    let au = ip_from(&mut rng, country("AU"), false);
    let dur_min = (e - s) / MINUTE_MS;
    let seg = if dur_min >= 2 { (dur_min / 6).max(1) * MINUTE_MS } else { (e - s) / 3 };
    let segments = vec![
        Segment { start_ms: s, end_ms: s + seg, ips: vec![de] },
        Segment { start_ms: e - seg, end_ms: e, ips: vec![au] },
    ];
    spec(
        "impossible_travel",
        AttackKind::Travel,
        format!("principal:{principal}"),
        8.0,
        segments,
        (Some(principal), None),
        CHROME_WIN,
    );

    let user_nums: Vec<u32> = (0..out.len()).map(|_| rng.random_range(1..2_000_000)).collect();
    for (a, u) in out.iter_mut().zip(user_nums) {
        a.user_num = u;
    }
    out
}

pub(crate) fn attack_event(
    rng: &mut ChaCha8Rng,
    a: &AttackSpec,
    seg: &Segment,
    t: i64,
    next_product: &mut u64,
) -> GenEvent {
    let ip = if seg.ips.is_empty() { "0.0.0.0" } else { &seg.ips[rng.random_range(0..seg.ips.len())] };
    let who = Who {
        ip,
        ua: a.ua,
        principal: a.principal.as_deref(),
        api_key_id: a.api_key_id.as_deref(),
        caller: None,
        user_arn: None,
    };
    let u = rng.random::<f64>();
    let (r, path, status): (&Route, String, u16) = match a.kind {
        AttackKind::BruteForce => {
            let status = if u < 0.97 {
                401
            } else if u < 0.99 {
                429
            } else {
                400
            };
            (LOGIN, LOGIN.tmpl.to_string(), status)
        }
        AttackKind::Stuffing => {
            let status = if u < 0.80 {
                401
            } else if u < 0.95 {
                403
            } else if u < 0.98 {
                200
            } else {
                429
            };
            (LOGIN, LOGIN.tmpl.to_string(), status)
        }
        AttackKind::Enumeration => {
            let id = *next_product;
            *next_product += 1;
            // Roughly 40% of ids exist; which ones is a fixed function of the id.
            let exists = splitmix64(id) % 100 < 40;
            let status = if u < 0.02 {
                429
            } else if exists {
                200
            } else {
                404
            };
            (PRODUCT, format!("/products/{id}"), status)
        }
        AttackKind::Throttle => {
            let r = if rng.random::<f64>() < 0.7 { ITEM } else { ITEMS };
            let path = concrete_path(rng, r.class, a.user_num);
            (r, path, if u < 0.85 { 429 } else { 200 })
        }
        AttackKind::Probing => {
            let path = PROBE_PATHS[rng.random_range(0..PROBE_PATHS.len())].to_string();
            // REST answers unknown paths 403 "Missing Authentication Token", HTTP APIs 404.
            if u < 0.6 { (&PROBE_REST, path, 403) } else { (&PROBE_HTTP, path, 404) }
        }
        AttackKind::Replay | AttackKind::Travel => {
            let r = pick_route(rng, Api::Rest, Kind::Principal);
            let path = concrete_path(rng, r.class, a.user_num);
            let status = normal_status(rng, r, Kind::Principal);
            (r, path, status)
        }
    };
    build_event(rng, t, &who, r, path, status)
}

// ---------------------------------------------------------------------------------------------
