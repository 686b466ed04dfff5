//! The rules. Each runs when a minute closes, over its own sliding window ending at that
//! minute, and turns what it sees into a [`Finding`] with evidence a reader can act on:
//! observed values, the baseline they were compared with, the thresholds, and the top IPs,
//! countries, paths and sample request ids (all from scrubbed records).
//!
//! Context that prevents false alarms lives here too: error-ratio rules compare a source with
//! all traffic in the same window (an outage fails everyone), rate rules compare a client with
//! its own learned baseline (a partner's steady volume is its normal), and group rules need
//! many distinct sources (one NAT address with many users is one source).

use crate::Detector;
use crate::alerts::Finding;
use crate::geo::{GeoInfo, country_distance_km};
use crate::window::ClientMin;
use foldhash::{HashMap, HashSet};
use gatewatch_core::time::MINUTE_MS;
use gatewatch_core::{ClientKind, Rule, Severity, Subject, SubjectKind};
use serde_json::{Value, json};
use std::net::IpAddr;

/// Severity from the rule's base and how far past its threshold the observation is.
fn severity(base: Severity, magnitude: f64) -> Severity {
    if magnitude >= 10.0 {
        base.bump().bump()
    } else if magnitude >= 3.0 {
        base.bump()
    } else {
        base
    }
}

fn window_json(m: i64, w: i64) -> Value {
    json!({
        "from": gatewatch_core::time::rfc3339(m - (w - 1) * MINUTE_MS),
        "to": gatewatch_core::time::rfc3339(m + MINUTE_MS),
        "minutes": w,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn geo_json(d: &Detector, g: GeoInfo) -> Value {
    let asn = g.asn.map(|a| format!("AS{a}"));
    let org = g.asn.and_then(|a| d.geo.as_ref().and_then(|geo| geo.asn_org(a)));
    json!({"country": g.country_str(), "asn": asn, "asn_org": org})
}

pub(crate) fn evaluate(d: &mut Detector, m: i64) {
    let mut findings = Vec::new();
    let global_warm =
        d.groups.get("global").is_some_and(|g| m - g.first >= d.cfg.learning_minutes * MINUTE_MS);
    d.group_profile("global", m).last_minute = m;
    ip_rules(d, m, &mut findings);
    client_rules(d, m, &mut findings);
    group_rules(d, m, global_warm, &mut findings);
    d.stats.findings += findings.len() as u64;
    for f in findings {
        d.book.raise(f);
    }
}

/// Sums over the window of one IP.
#[derive(Default)]
struct IpWin {
    total: u64,
    auth_fail: u64,
    s404: u64,
    first_ms: i64,
    last_ms: i64,
    sensitive: HashSet<u64>,
    samples: Vec<String>,
    routes: HashMap<String, u32>,
    request_ids: Vec<String>,
}

fn ip_window(d: &Detector, m: i64, w: i64, ip: u64) -> IpWin {
    let mut out = IpWin { first_ms: i64::MAX, ..Default::default() };
    for b in d.window(m, w) {
        if let Some(e) = b.ips.get(&ip) {
            out.total += u64::from(e.total);
            out.auth_fail += u64::from(e.auth_fail);
            out.s404 += u64::from(e.s404);
            out.first_ms = out.first_ms.min(e.first_ms);
            out.last_ms = out.last_ms.max(e.last_ms);
            out.sensitive.extend(e.sensitive.iter().copied());
            for s in &e.sensitive_samples {
                if out.samples.len() < 10 && !out.samples.contains(s) {
                    out.samples.push(s.clone());
                }
            }
            for (r, n) in &e.routes {
                *out.routes.entry(r.clone()).or_default() += n;
            }
            for id in &e.request_ids {
                if out.request_ids.len() < 5 {
                    out.request_ids.push(id.clone());
                }
            }
        }
    }
    out
}

/// Authentication failures and requests of all traffic in the window.
fn global_fail_sums(d: &Detector, m: i64, w: i64) -> (u64, u64) {
    let (mut fail, mut total) = (0u64, 0u64);
    for b in d.window(m, w) {
        fail += b.auth_fail;
        total += b.total;
    }
    (fail, total)
}

fn top_routes(routes: &HashMap<String, u32>) -> Vec<Value> {
    let mut v: Vec<_> = routes.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter().take(5).map(|(r, n)| json!({"route": r, "count": n})).collect()
}

fn ip_rules(d: &mut Detector, m: i64, out: &mut Vec<Finding>) {
    let Some(b) = d.closed.back() else { return };
    let cfg = &d.cfg;
    let bf = &cfg.brute_force;
    let pr = &cfg.probing;
    let gp = &cfg.denied_geo;
    let (g_fail, g_total) = global_fail_sums(d, m, bf.window_minutes);
    let detected_at = m + MINUTE_MS;
    for (&h, e) in &b.ips {
        let ip: &str = &e.ip;
        let addr: Option<IpAddr> = ip.parse().ok();
        let subject = || Subject::new(SubjectKind::Ip, ip.to_string());
        if bf.enabled && e.auth_fail > 0 {
            let wv = ip_window(d, m, bf.window_minutes, h);
            let ratio = wv.auth_fail as f64 / wv.total.max(1) as f64;
            // Everyone else's failure share: the source must not raise its own yardstick.
            let rest_total = g_total.saturating_sub(wv.total);
            let global_bf = g_fail.saturating_sub(wv.auth_fail) as f64 / rest_total.max(1) as f64;
            let need_ratio = bf.min_failure_ratio.max(global_bf + bf.margin);
            if wv.auth_fail >= bf.min_failures && ratio >= need_ratio {
                out.push(Finding {
                    rule: Rule::BruteForce,
                    subject: subject(),
                    severity: severity(Severity::Medium, wv.auth_fail as f64 / bf.min_failures as f64 / 2.0),
                    first_seen: wv.first_ms,
                    last_seen: wv.last_ms,
                    detected_at,
                    ips: addr.into_iter().collect(),
                    evidence: json!({
                        "summary": format!(
                            "{ip} failed authentication {} times in {} min ({:.0}% of its {} requests; everyone else: {:.1}%)",
                            wv.auth_fail, bf.window_minutes, ratio * 100.0, wv.total, global_bf * 100.0
                        ),
                        "window": window_json(m, bf.window_minutes),
                        "observed": {"auth_failures": wv.auth_fail, "requests": wv.total, "failure_ratio": round2(ratio)},
                        "baseline": {"others_failure_ratio": round2(global_bf)},
                        "thresholds": {"min_failures": bf.min_failures, "min_failure_ratio": bf.min_failure_ratio, "margin_over_others": bf.margin, "required_failure_ratio": round2(need_ratio)},
                        "source": geo_json(d, e.geo),
                        "top_routes": top_routes(&wv.routes),
                        "sample_request_ids": wv.request_ids,
                    }),
                });
            }
        }
        if pr.enabled && !e.sensitive.is_empty() {
            let wv = ip_window(d, m, pr.window_minutes, h);
            let n = wv.sensitive.len() as u64;
            if n >= pr.min_distinct_paths {
                out.push(Finding {
                    rule: Rule::Probing,
                    subject: subject(),
                    severity: severity(Severity::Low, n as f64 / pr.min_distinct_paths as f64),
                    first_seen: wv.first_ms,
                    last_seen: wv.last_ms,
                    detected_at,
                    ips: addr.into_iter().collect(),
                    evidence: json!({
                        "summary": format!(
                            "{ip} asked for {n} distinct sensitive paths in {} min ({} of {} requests were 404)",
                            pr.window_minutes, wv.s404, wv.total
                        ),
                        "window": window_json(m, pr.window_minutes),
                        "observed": {"sensitive_paths": n, "requests": wv.total, "s404": wv.s404},
                        "thresholds": {"min_distinct_paths": pr.min_distinct_paths},
                        "sample_paths": wv.samples,
                        "source": geo_json(d, e.geo),
                        "sample_request_ids": wv.request_ids,
                    }),
                });
            }
        }
        if gp.enabled
            && e.denied > 0
            && let Some(cc) = e.geo.country_str()
        {
            let api = e.denied_api.as_deref();
            let policy = gp.policy_for(api);
            {
                out.push(Finding {
                    rule: Rule::DeniedGeo,
                    subject: subject(),
                    severity: Severity::Medium,
                    first_seen: e.first_ms,
                    last_seen: e.last_ms,
                    detected_at,
                    ips: addr.into_iter().collect(),
                    evidence: json!({
                        "summary": format!(
                            "{ip} in {cc}, a country the policy{} does not expect ({} requests this minute)",
                            api.filter(|a| gp.per_api.contains_key(*a)).map(|a| format!(" of API {a}")).unwrap_or_default(),
                            e.denied
                        ),
                        "window": window_json(m, 1),
                        "observed": {"country": cc, "requests": e.denied, "api": api},
                        "thresholds": {"deny": policy.deny, "allow": policy.allow},
                        "source": geo_json(d, e.geo),
                    }),
                });
            }
        }
    }
}

/// Sums over the window of one client.
struct ClientWin {
    total: u64,
    s404: u64,
    s429: u64,
    id_requests: u64,
    sequential: u64,
    first_ms: i64,
    last_ms: i64,
    /// Per minute of the window: (minute, total, s429).
    minutes: Vec<(i64, u32, u32)>,
    paths: HashSet<u64>,
    path_samples: Vec<String>,
    ips: HashMap<String, (GeoInfo, u32)>,
    request_ids: Vec<String>,
}

/// Cheap sums over a client's window (no set unions): the prefilter of every client rule.
#[derive(Default)]
struct Sums {
    total: u64,
    s404: u64,
    s429: u64,
    id_requests: u64,
    sequential: u64,
    /// Sum of the per-minute distinct paths: an upper bound of the window's distinct paths.
    path_sum: u64,
}

/// One client's minutes in the longest window, newest last: looked up once per client.
fn client_minutes<'a>(d: &'a Detector, m: i64, kind: ClientKind, key: &str) -> Vec<(i64, &'a ClientMin)> {
    d.window(m, d.keep_minutes).filter_map(|b| b.clients(kind).get(key).map(|c| (b.minute, c))).collect()
}

fn client_sums(mins: &[(i64, &ClientMin)], m: i64, w: i64) -> Sums {
    let mut s = Sums::default();
    let lo = m - (w - 1) * MINUTE_MS;
    for (minute, c) in mins {
        if *minute >= lo {
            s.total += u64::from(c.total);
            s.s404 += u64::from(c.s404);
            s.s429 += u64::from(c.s429);
            s.id_requests += u64::from(c.id_requests);
            s.sequential += u64::from(c.sequential);
            s.path_sum += c.paths.len() as u64;
        }
    }
    s
}

/// Whether the client used at least `n` distinct IPs in the window (stops counting at `n`).
fn has_distinct_ips(mins: &[(i64, &ClientMin)], m: i64, w: i64, n: u64) -> bool {
    let lo = m - (w - 1) * MINUTE_MS;
    let mut seen: Vec<u64> = Vec::new();
    for (minute, c) in mins {
        if *minute < lo {
            continue;
        }
        for (ip, _, _) in &c.ips {
            if !seen.contains(ip) {
                seen.push(*ip);
                if seen.len() as u64 >= n {
                    return true;
                }
            }
        }
    }
    false
}

fn client_window(d: &Detector, m: i64, w: i64, kind: ClientKind, key: &str, want_paths: bool) -> ClientWin {
    let mut out = ClientWin {
        total: 0,
        s404: 0,
        s429: 0,
        id_requests: 0,
        sequential: 0,
        first_ms: i64::MAX,
        last_ms: 0,
        minutes: Vec::new(),
        paths: HashSet::default(),
        path_samples: Vec::new(),
        ips: HashMap::default(),
        request_ids: Vec::new(),
    };
    for b in d.window(m, w) {
        let Some(c) = b.clients(kind).get(key) else { continue };
        out.total += u64::from(c.total);
        out.s404 += u64::from(c.s404);
        out.s429 += u64::from(c.s429);
        out.id_requests += u64::from(c.id_requests);
        out.sequential += u64::from(c.sequential);
        out.first_ms = out.first_ms.min(c.first_ms);
        out.last_ms = out.last_ms.max(c.last_ms);
        out.minutes.push((b.minute, c.total, c.s429));
        if want_paths {
            out.paths.extend(c.paths.iter().copied());
            for p in &c.path_samples {
                if out.path_samples.len() < 8 && !out.path_samples.contains(p) {
                    out.path_samples.push(p.clone());
                }
            }
        }
        for (h, g, n) in &c.ips {
            let Some(ip) = b.ips.get(h) else { continue };
            let e = match out.ips.get_mut(&*ip.ip) {
                Some(e) => e,
                None => out.ips.entry(ip.ip.to_string()).or_insert((*g, 0)),
            };
            e.1 += n;
        }
        for id in &c.request_ids {
            if out.request_ids.len() < 5 {
                out.request_ids.push(id.clone());
            }
        }
    }
    out
}

fn top_ips(d: &Detector, ips: &HashMap<String, (GeoInfo, u32)>) -> Vec<Value> {
    let mut v: Vec<_> = ips.iter().collect();
    v.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(b.0)));
    v.into_iter()
        .take(5)
        .map(|(ip, (g, n))| {
            let mut j = geo_json(d, *g);
            j["ip"] = json!(ip);
            j["requests"] = json!(n);
            j
        })
        .collect()
}

fn client_rules(d: &mut Detector, m: i64, out: &mut Vec<Finding>) {
    let detected_at = m + MINUTE_MS;
    let learning = d.cfg.learning_minutes;
    // What each active client did this minute (copied so profiles can be updated below).
    struct Active {
        kind: ClientKind,
        key: String,
        total: u32,
        paths: usize,
        n_ips: u32,
        countries: Vec<([u8; 2], i64, i64)>,
    }
    let mut active: Vec<Active> = Vec::new();
    if let Some(b) = d.closed.back() {
        for kind in ClientKind::ALL {
            for (k, c) in b.clients(kind) {
                active.push(Active {
                    kind,
                    key: k.to_string(),
                    total: c.total,
                    paths: c.paths.len(),
                    n_ips: c.ips.len() as u32,
                    countries: c.countries.clone(),
                });
            }
        }
    }
    for Active { kind, key, total, paths, n_ips, countries } in active {
        let subject = Subject::new(kind.into(), key.clone());
        let pkey = format!("{kind}:{key}");
        let profile = d.clients.get(&pkey);
        let established = profile.is_some_and(|p| p.established(m, learning, 10));
        let mut anomalous = false;

        // enumeration
        let en = &d.cfg.enumeration;
        let mins = client_minutes(d, m, kind, &key);
        let pre = client_sums(&mins, m, en.window_minutes);
        let pre_404 = pre.s404 as f64 / pre.total.max(1) as f64;
        let pre_seq =
            if pre.id_requests >= 20 { pre.sequential as f64 / pre.id_requests as f64 } else { 0.0 };
        if en.enabled
            && pre.path_sum >= en.min_distinct_paths
            && (pre_404 >= en.min_404_ratio || pre_seq >= en.min_sequential_ratio)
        {
            let wv = client_window(d, m, en.window_minutes, kind, &key, true);
            let distinct = wv.paths.len() as u64;
            let r404 = wv.s404 as f64 / wv.total.max(1) as f64;
            let seq = if wv.id_requests >= 20 { wv.sequential as f64 / wv.id_requests as f64 } else { 0.0 };
            let baseline = profile.filter(|_| established).map(|p| p.paths.mean * en.window_minutes as f64);
            let over_baseline = baseline.is_none_or(|b| distinct as f64 >= en.baseline_factor * b.max(1.0));
            if distinct >= en.min_distinct_paths
                && (r404 >= en.min_404_ratio || seq >= en.min_sequential_ratio)
                && over_baseline
            {
                anomalous = true;
                out.push(Finding {
                    rule: Rule::Enumeration,
                    subject: subject.clone(),
                    severity: severity(Severity::Medium, distinct as f64 / en.min_distinct_paths as f64),
                    first_seen: wv.first_ms,
                    last_seen: wv.last_ms,
                    detected_at,
                    ips: wv.ips.keys().filter_map(|i| i.parse().ok()).collect(),
                    evidence: json!({
                        "summary": format!(
                            "{subject} requested {distinct} distinct paths in {} min; {:.0}% answered 404, {:.0}% stepped to a neighbouring id",
                            en.window_minutes, r404 * 100.0, seq * 100.0
                        ),
                        "window": window_json(m, en.window_minutes),
                        "observed": {"distinct_paths": distinct, "requests": wv.total, "s404_ratio": round2(r404), "sequential_ratio": round2(seq)},
                        "baseline": {"distinct_paths_per_window": baseline.map(round2)},
                        "thresholds": {"min_distinct_paths": en.min_distinct_paths, "min_404_ratio": en.min_404_ratio, "min_sequential_ratio": en.min_sequential_ratio, "baseline_factor": en.baseline_factor},
                        "sample_paths": wv.path_samples,
                        "top_ips": top_ips(d, &wv.ips),
                        "sample_request_ids": wv.request_ids,
                    }),
                });
            }
        }

        // throttle_evasion
        let th = &d.cfg.throttle_evasion;
        if th.enabled && client_sums(&mins, m, th.window_minutes).s429 >= th.min_429 {
            let wv = client_window(d, m, th.window_minutes, kind, &key, false);
            let throttled: Vec<&(i64, u32, u32)> = wv.minutes.iter().filter(|x| x.2 > 0).collect();
            let ratio = wv.s429 as f64 / wv.total.max(1) as f64;
            let kept_up = match (throttled.first(), wv.minutes.last()) {
                (Some(f), Some(l)) => f64::from(l.1) >= th.max_backoff * f64::from(f.1) && l.0 > f.0,
                _ => false,
            };
            if wv.s429 >= th.min_429
                && ratio >= th.min_429_ratio
                && throttled.len() as u64 >= th.min_minutes
                && kept_up
            {
                anomalous = true;
                let first = throttled[0];
                let last = wv.minutes.last().copied().unwrap_or(*first);
                out.push(Finding {
                    rule: Rule::ThrottleEvasion,
                    subject: subject.clone(),
                    severity: severity(Severity::Medium, wv.s429 as f64 / th.min_429 as f64 / 3.0),
                    first_seen: wv.first_ms,
                    last_seen: wv.last_ms,
                    detected_at,
                    ips: wv.ips.keys().filter_map(|i| i.parse().ok()).collect(),
                    evidence: json!({
                        "summary": format!(
                            "{subject} got {} answers 429 in {} min ({:.0}%) and kept sending: {}/min when first throttled, {}/min in the latest minute",
                            wv.s429, th.window_minutes, ratio * 100.0, first.1, last.1
                        ),
                        "window": window_json(m, th.window_minutes),
                        "observed": {"s429": wv.s429, "requests": wv.total, "s429_ratio": round2(ratio), "throttled_minutes": throttled.len(), "rate_first_throttled": first.1, "rate_latest": last.1},
                        "thresholds": {"min_429": th.min_429, "min_429_ratio": th.min_429_ratio, "min_minutes": th.min_minutes, "max_backoff": th.max_backoff},
                        "top_ips": top_ips(d, &wv.ips),
                        "sample_request_ids": wv.request_ids,
                    }),
                });
            }
        }

        // credential_replay: credentials only (an IP cannot be "used from many IPs").
        let rp = &d.cfg.credential_replay;
        let credential = d.cfg.credential_kinds.contains(&kind);
        let min_distinct = rp.min_countries.min(rp.min_asns).min(rp.min_ips);
        if rp.enabled
            && credential
            && n_ips > 0
            && has_distinct_ips(&mins, m, rp.window_minutes, min_distinct)
        {
            let wv = client_window(d, m, rp.window_minutes, kind, &key, false);
            let countries: HashSet<[u8; 2]> = wv.ips.values().filter_map(|(g, _)| g.country).collect();
            let asns: HashSet<u32> = wv.ips.values().filter_map(|(g, _)| g.asn).collect();
            let ips = wv.ips.len() as u64;
            let usual = profile.map_or(0, |p| p.max_ips) as u64;
            if (countries.len() as u64 >= rp.min_countries
                || asns.len() as u64 >= rp.min_asns
                || ips >= rp.min_ips)
                && ips > usual
            {
                anomalous = true;
                let mut cs: Vec<String> =
                    countries.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect();
                cs.sort();
                let mag = (countries.len() as f64 / rp.min_countries as f64)
                    .max(asns.len() as f64 / rp.min_asns as f64)
                    .max(ips as f64 / rp.min_ips as f64);
                out.push(Finding {
                    rule: Rule::CredentialReplay,
                    subject: subject.clone(),
                    severity: severity(Severity::High, mag),
                    first_seen: wv.first_ms,
                    last_seen: wv.last_ms,
                    detected_at,
                    ips: wv.ips.keys().filter_map(|i| i.parse().ok()).collect(),
                    evidence: json!({
                        "summary": format!(
                            "{subject} was used from {ips} IPs in {} networks and {} countries ({}) within {} min",
                            asns.len(), countries.len(), cs.join(", "), rp.window_minutes
                        ),
                        "window": window_json(m, rp.window_minutes),
                        "observed": {"ips": ips, "asns": asns.len(), "countries": cs},
                        "baseline": {"max_ips_per_minute": usual},
                        "thresholds": {"min_countries": rp.min_countries, "min_asns": rp.min_asns, "min_ips": rp.min_ips},
                        "top_ips": top_ips(d, &wv.ips),
                        "sample_request_ids": wv.request_ids,
                    }),
                });
            }
        }

        // volume_spike, then learning.
        let vs = &d.cfg.volume_spike;
        if vs.enabled
            && established
            && let Some(p) = profile
        {
            let observed = client_sums(&mins, m, vs.window_minutes).total as f64 / vs.window_minutes as f64;
            let expected = p.expected_rate(m);
            let sd = p.rate.sd();
            let need = vs.min_rate_per_min.max(vs.factor * expected).max(expected + vs.sigmas * sd);
            if observed >= need {
                let wv = client_window(d, m, vs.window_minutes, kind, &key, false);
                anomalous = true;
                out.push(Finding {
                    rule: Rule::VolumeSpike,
                    subject: subject.clone(),
                    severity: severity(Severity::Low, observed / need),
                    first_seen: wv.first_ms,
                    last_seen: wv.last_ms,
                    detected_at,
                    ips: wv.ips.keys().filter_map(|i| i.parse().ok()).collect(),
                    evidence: json!({
                        "summary": format!(
                            "{subject} sent {observed:.0} requests/min over {} min; its baseline is {expected:.1}/min (sd {sd:.1})",
                            vs.window_minutes
                        ),
                        "window": window_json(m, vs.window_minutes),
                        "observed": {"rate_per_min": round2(observed)},
                        "baseline": {"rate_per_min": round2(expected), "sd": round2(sd), "active_minutes": p.active_minutes},
                        "thresholds": {"factor": vs.factor, "sigmas": vs.sigmas, "min_rate_per_min": vs.min_rate_per_min, "required_rate_per_min": round2(need)},
                        "top_ips": top_ips(d, &wv.ips),
                        "sample_request_ids": wv.request_ids,
                    }),
                });
            }
        }

        // Geography (credentials only: an IP's country does not move).
        if credential && !countries.is_empty() {
            // The addresses of this minute, for the evidence and CIDR suppressions.
            let ips: Vec<(String, GeoInfo)> = d
                .closed
                .back()
                .and_then(|b| b.clients(kind).get(key.as_str()).map(|c| (b, c)))
                .map(|(b, c)| {
                    c.ips
                        .iter()
                        .filter_map(|(h, g, _)| b.ips.get(h).map(|e| (e.ip.to_string(), *g)))
                        .collect()
                })
                .unwrap_or_default();
            geo_rules(d, m, &subject, &pkey, &countries, &ips, established, out);
        }

        let p = d.client_profile(&pkey, m);
        if anomalous {
            p.skip(m);
        } else {
            p.fold(m, f64::from(total), paths as f64, n_ips);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn geo_rules(
    d: &mut Detector,
    m: i64,
    subject: &Subject,
    pkey: &str,
    countries: &[([u8; 2], i64, i64)],
    ips: &[(String, GeoInfo)],
    established: bool,
    out: &mut Vec<Finding>,
) {
    let detected_at = m + MINUTE_MS;
    let addrs: Vec<IpAddr> = ips.iter().filter_map(|(ip, _)| ip.parse().ok()).collect();
    let mut by_country: HashMap<[u8; 2], Vec<Value>> = HashMap::default();
    for (ip, g) in ips {
        if let Some(cc) = g.country {
            let v = by_country.entry(cc).or_default();
            if v.len() < 5 {
                let mut j = geo_json(d, *g);
                j["ip"] = json!(ip);
                v.push(j);
            }
        }
    }
    let ips_in = |cc: &[u8; 2]| -> Vec<Value> { by_country.get(cc).cloned().unwrap_or_default() };
    let tr = d.cfg.impossible_travel.clone();
    let nc = d.cfg.new_country.clone();
    let mut seen: Vec<([u8; 2], i64, i64)> = countries.to_vec();
    seen.sort_by_key(|c| c.1);
    let p = d.client_profile(pkey, m);
    let mut findings = Vec::new();
    for (cc, first, last) in &seen {
        let code = String::from_utf8_lossy(cc).into_owned();
        if tr.enabled
            && let Some((prev, t0)) = p.last_location.clone()
            && prev != code
            && let Some(dist) = country_distance_km(&prev, &code)
        {
            // Within one minute the order of two places is uncertain: at least a minute apart.
            let gap_ms = (first - t0).abs();
            let hours = gap_ms.max(60_000) as f64 / 3_600_000.0;
            let effective = (dist - tr.uncertainty_km).max(0.0);
            let speed = effective / hours;
            if speed > tr.max_speed_kmh {
                findings.push(Finding {
                    rule: Rule::ImpossibleTravel,
                    subject: subject.clone(),
                    severity: severity(Severity::High, speed / tr.max_speed_kmh / 3.0),
                    first_seen: t0,
                    last_seen: *last,
                    detected_at,
                    ips: addrs.clone(),
                    evidence: json!({
                        "summary": format!(
                            "{subject} was in {prev}, then in {code} {:.1} min later: {dist:.0} km apart ({effective:.0} km after {:.0} km of uncertainty), {speed:.0} km/h needed",
                            gap_ms as f64 / 60_000.0, tr.uncertainty_km
                        ),
                        "observed": {"from": prev, "to": code, "last_seen_in_from": gatewatch_core::time::rfc3339(t0), "first_seen_in_to": gatewatch_core::time::rfc3339(*first), "minutes_between": round2(gap_ms as f64 / 60_000.0), "distance_km": dist.round(), "effective_distance_km": effective.round(), "speed_kmh": speed.round()},
                        "ips_in_new_place": ips_in(cc),
                        "thresholds": {"max_speed_kmh": tr.max_speed_kmh, "uncertainty_km": tr.uncertainty_km},
                    }),
                });
            }
        }
        if !p.countries.contains(&code) {
            let nearest = p
                .countries
                .iter()
                .filter_map(|c| country_distance_km(c, &code))
                .fold(f64::INFINITY, f64::min);
            if nc.enabled
                && established
                && p.active_minutes >= nc.min_active_minutes
                && !p.countries.is_empty()
                && nearest >= nc.min_distance_km
            {
                findings.push(Finding {
                    rule: Rule::NewCountry,
                    subject: subject.clone(),
                    severity: Severity::Medium,
                    first_seen: *first,
                    last_seen: *last,
                    detected_at,
                    ips: addrs.clone(),
                    evidence: json!({
                        "ips": ips_in(cc),
                        "summary": format!(
                            "{subject}, active for {} minutes from {}, appeared in {code} ({:.0} km from the nearest)",
                            p.active_minutes, p.countries.join(", "), nearest
                        ),
                        "observed": {"country": code},
                        "baseline": {"countries": p.countries, "active_minutes": p.active_minutes, "since": gatewatch_core::time::rfc3339(p.first)},
                        "thresholds": {"min_distance_km": nc.min_distance_km, "min_active_minutes": nc.min_active_minutes},
                    }),
                });
            }
            if p.countries.len() < 32 {
                p.countries.push(code.clone());
            }
        }
        // The running location: where the client was last seen so far.
        p.last_location = Some((code, *last));
    }
    if let Some((cc, _, last)) = seen.iter().max_by_key(|c| c.2) {
        p.last_location = Some((String::from_utf8_lossy(cc).into_owned(), *last));
    }
    out.extend(findings);
}

/// Per ASN over a window: (IPs failing auth routes, auth-route failures and requests,
/// anonymous IPs, their requests, distinct paths).
#[derive(Default)]
struct AsnWin {
    fail_ips: HashSet<u64>,
    auth_fail: u64,
    auth_total: u64,
    anon_ips: HashSet<u64>,
    anon_requests: u64,
    paths: HashSet<u64>,
    first_ms: i64,
    last_ms: i64,
    sample_ips: Vec<(String, u32)>,
    countries: HashMap<[u8; 2], u32>,
    request_ids: Vec<String>,
}

fn group_rules(d: &mut Detector, m: i64, global_warm: bool, out: &mut Vec<Finding>) {
    let detected_at = m + MINUTE_MS;
    let st = d.cfg.credential_stuffing.clone();
    let ds = d.cfg.distributed_scraping.clone();
    let w = st.window_minutes.max(ds.window_minutes);
    let mut by_asn: HashMap<u32, AsnWin> = HashMap::default();
    let (mut g_fail, mut g_total) = (0u64, 0u64);
    let in_st = m - (st.window_minutes - 1) * MINUTE_MS;
    let in_ds = m - (ds.window_minutes - 1) * MINUTE_MS;
    // Cheap sums first: only networks that could reach a threshold get their sets merged.
    #[derive(Default)]
    struct Pre {
        fail_ips: u64,
        auth_fail: u64,
        anon_ips: u64,
    }
    let mut pre: HashMap<u32, Pre> = HashMap::default();
    for b in d.window(m, w) {
        if b.minute >= in_st {
            g_fail += b.auth_route_fail;
            g_total += b.auth_route_total;
        }
        for (asn, a) in &b.asns {
            let p = pre.entry(*asn).or_default();
            if b.minute >= in_st {
                p.fail_ips += a.fail_ips.len() as u64;
                p.auth_fail += a.auth_fail;
            }
            if b.minute >= in_ds {
                p.anon_ips += a.anon_ips.len() as u64;
            }
        }
    }
    let candidates: HashSet<u32> = pre
        .iter()
        .filter(|(_, p)| {
            (st.enabled && p.fail_ips >= st.min_ips && p.auth_fail >= st.min_failures)
                || (ds.enabled && global_warm && p.anon_ips >= ds.min_ips)
        })
        .map(|(a, _)| *a)
        .collect();
    for b in d.window(m, w) {
        for (asn, e) in &b.asns {
            if !candidates.contains(asn) {
                continue;
            }
            let a = by_asn.entry(*asn).or_insert_with(|| AsnWin { first_ms: i64::MAX, ..Default::default() });
            if b.minute >= in_st {
                a.fail_ips.extend(e.fail_ips.iter().copied());
                a.auth_fail += e.auth_fail;
                a.auth_total += e.auth_total;
            }
            if b.minute >= in_ds {
                a.anon_ips.extend(e.anon_ips.iter().copied());
                a.anon_requests += e.anon_requests;
                if a.paths.len() < 100_000 {
                    a.paths.extend(e.paths.iter().copied());
                }
            }
            a.first_ms = a.first_ms.min(e.first_ms);
            a.last_ms = a.last_ms.max(e.last_ms);
            for (ip, n) in &e.sample_ips {
                if a.sample_ips.len() < 5 && !a.sample_ips.iter().any(|(x, _)| x == ip) {
                    a.sample_ips.push((ip.clone(), *n));
                }
            }
            for (c, n) in &e.countries {
                *a.countries.entry(*c).or_default() += n;
            }
            for id in &e.request_ids {
                if a.request_ids.len() < 5 {
                    a.request_ids.push(id.clone());
                }
            }
        }
    }
    let this_minute: Vec<(u32, usize, usize)> = d
        .closed
        .back()
        .filter(|b| b.minute == m)
        .map(|b| b.asns.iter().map(|(a, e)| (*a, e.fail_ips.len(), e.anon_ips.len())).collect())
        .unwrap_or_default();
    // Networks under attack this minute: their baselines do not learn from it.
    let mut firing_stuff: HashSet<u32> = HashSet::default();
    let mut firing_anon: HashSet<u32> = HashSet::default();
    let mut asns: Vec<_> = by_asn.into_iter().collect();
    asns.sort_by_key(|(a, _)| *a);
    for (asn, a) in &asns {
        let countries: Vec<Value> = {
            let mut v: Vec<_> = a.countries.iter().collect();
            v.sort_by(|x, y| y.1.cmp(x.1));
            v.into_iter()
                .take(3)
                .map(|(c, n)| json!({"country": String::from_utf8_lossy(c), "requests": n}))
                .collect()
        };
        let org = d.geo.as_ref().and_then(|g| g.asn_org(*asn));
        let subject = Subject::new(SubjectKind::Asn, format!("AS{asn}"));
        let sample_ips: Vec<Value> =
            a.sample_ips.iter().map(|(ip, n)| json!({"ip": ip, "requests": n})).collect();
        // credential_stuffing by network
        let fail_ips = a.fail_ips.len() as u64;
        if st.enabled && fail_ips >= st.min_ips && a.auth_fail >= st.min_failures {
            let ratio = a.auth_fail as f64 / a.auth_total.max(1) as f64;
            // Compared with everyone else: the attack must not raise its own yardstick.
            let rest_fail = g_fail.saturating_sub(a.auth_fail);
            let rest_total = g_total.saturating_sub(a.auth_total);
            let global_ratio = rest_fail as f64 / rest_total.max(1) as f64;
            let lift = ratio / global_ratio.max(1e-3);
            let base = d.groups.get(&format!("stuff:AS{asn}")).map_or(0.0, |g| g.signal.mean)
                * st.window_minutes as f64;
            if lift >= st.min_lift && fail_ips as f64 >= st.baseline_factor * base.max(1.0) {
                firing_stuff.insert(*asn);
                out.push(Finding {
                    rule: Rule::CredentialStuffing,
                    subject: subject.clone(),
                    severity: severity(Severity::High, fail_ips as f64 / st.min_ips as f64 / 3.0),
                    first_seen: a.first_ms,
                    last_seen: a.last_ms,
                    detected_at,
                    ips: a.sample_ips.iter().filter_map(|(ip, _)| ip.parse().ok()).collect(),
                    evidence: json!({
                        "summary": format!(
                            "{fail_ips} addresses of AS{asn}{} failed authentication {} times in {} min ({:.0}% of their auth requests vs {:.0}% overall)",
                            org.as_ref().map(|o| format!(" ({o})")).unwrap_or_default(), a.auth_fail, st.window_minutes, ratio * 100.0, global_ratio * 100.0
                        ),
                        "window": window_json(m, st.window_minutes),
                        "observed": {"failing_ips": fail_ips, "auth_failures": a.auth_fail, "auth_requests": a.auth_total, "failure_ratio": round2(ratio), "lift": round2(lift)},
                        "baseline": {"failing_ips_per_window": round2(base), "all_auth_failure_ratio": round2(global_ratio)},
                        "thresholds": {"min_ips": st.min_ips, "min_failures": st.min_failures, "min_lift": st.min_lift, "baseline_factor": st.baseline_factor},
                        "network": {"asn": format!("AS{asn}"), "org": org},
                        "top_countries": countries,
                        "sample_ips": sample_ips,
                        "sample_request_ids": a.request_ids,
                    }),
                });
            }
        }
        // distributed_scraping
        let anon = a.anon_ips.len() as u64;
        if ds.enabled && global_warm && anon >= ds.min_ips && a.paths.len() as u64 >= ds.min_distinct_paths {
            let per_ip = a.anon_requests as f64 / anon as f64 / ds.window_minutes as f64;
            let base = d.groups.get(&format!("anon:AS{asn}")).map_or(0.0, |g| g.signal.mean)
                * ds.window_minutes as f64;
            if per_ip <= ds.max_rate_per_ip && anon as f64 >= ds.baseline_factor * base.max(1.0) {
                firing_anon.insert(*asn);
                out.push(Finding {
                    rule: Rule::DistributedScraping,
                    subject: subject.clone(),
                    severity: severity(Severity::Medium, anon as f64 / ds.min_ips as f64 / 2.0),
                    first_seen: a.first_ms,
                    last_seen: a.last_ms,
                    detected_at,
                    ips: a.sample_ips.iter().filter_map(|(ip, _)| ip.parse().ok()).collect(),
                    evidence: json!({
                        "summary": format!(
                            "{anon} anonymous addresses of AS{asn}{} requested {} distinct paths in {} min, {per_ip:.1} requests/min each",
                            org.as_ref().map(|o| format!(" ({o})")).unwrap_or_default(), a.paths.len(), ds.window_minutes
                        ),
                        "window": window_json(m, ds.window_minutes),
                        "observed": {"anonymous_ips": anon, "requests": a.anon_requests, "distinct_paths": a.paths.len(), "rate_per_ip_per_min": round2(per_ip)},
                        "baseline": {"anonymous_ips_per_window": round2(base)},
                        "thresholds": {"min_ips": ds.min_ips, "min_distinct_paths": ds.min_distinct_paths, "max_rate_per_ip": ds.max_rate_per_ip, "baseline_factor": ds.baseline_factor},
                        "network": {"asn": format!("AS{asn}"), "org": org},
                        "top_countries": countries,
                        "sample_ips": sample_ips,
                    }),
                });
            }
        }
    }
    // Learn the per-network signals of this minute (after judging it).
    for (asn, fail_ips, anon_ips) in this_minute {
        if fail_ips > 0 && !firing_stuff.contains(&asn) {
            d.group_profile(&format!("stuff:AS{asn}"), m).fold(m, fail_ips as f64);
        }
        if anon_ips > 0 && !firing_anon.contains(&asn) {
            d.group_profile(&format!("anon:AS{asn}"), m).fold(m, anon_ips as f64);
        }
    }
    route_stuffing(d, m, global_warm, out);
}

/// credential_stuffing on one auth route: its failure ratio jumps while the rest of the
/// traffic does not (an authorizer outage raises everything at once).
fn route_stuffing(d: &mut Detector, m: i64, global_warm: bool, out: &mut Vec<Finding>) {
    let st = d.cfg.credential_stuffing.clone();
    let Some(last) = d.closed.back() else { return };
    let routes: Vec<(u64, String)> =
        last.auth_routes.iter().map(|(h, r)| (*h, r.label.to_string())).collect();
    let (mut other_fail, mut other_total) = (0u64, 0u64);
    let mut per_route: Vec<(u64, String, u64, u64, u64)> = Vec::new();
    for (h, label) in routes {
        let (mut fail, mut total) = (0u64, 0u64);
        let mut ips: HashSet<u64> = HashSet::default();
        for b in d.window(m, st.window_minutes) {
            if let Some(r) = b.auth_routes.get(&h) {
                fail += u64::from(r.fail);
                total += u64::from(r.total);
                ips.extend(r.fail_ips.iter().copied());
            }
        }
        per_route.push((h, label, fail, total, ips.len() as u64));
    }
    for b in d.window(m, st.window_minutes) {
        other_fail += b.auth_fail - b.auth_route_fail.min(b.auth_fail);
        other_total += b.total - b.auth_route_total.min(b.total);
    }
    let other_ratio = other_fail as f64 / other_total.max(1) as f64;
    let other_base = d.groups.get("other_auth").map(|g| g.ratio.mean).unwrap_or(other_ratio);
    let outage = other_ratio >= 0.05 && other_ratio >= 3.0 * other_base.max(0.01);
    for (h, label, fail, total, ips) in per_route {
        let ratio = fail as f64 / total.max(1) as f64;
        let gkey = format!("route:{label}");
        let base = d.groups.get(&gkey).map(|g| (g.ratio.mean, g.signal.mean, g.first));
        let learned = base.is_some_and(|(_, _, first)| m - first >= d.cfg.learning_minutes * MINUTE_MS);
        let base_ratio = base.map_or(0.0, |b| b.0);
        let base_ips = base.map_or(0.0, |b| b.1) * st.window_minutes as f64;
        let firing = st.enabled
            && global_warm
            && learned
            && !outage
            && ips >= st.min_ips
            && fail >= st.min_failures
            && ips as f64 >= st.baseline_factor * base_ips.max(1.0)
            && ratio >= base_ratio + 0.15;
        if firing {
            out.push(Finding {
                rule: Rule::CredentialStuffing,
                subject: Subject::new(SubjectKind::Route, label.clone()),
                severity: severity(Severity::High, ips as f64 / st.min_ips as f64 / 3.0),
                first_seen: m - (st.window_minutes - 1) * MINUTE_MS,
                last_seen: m + MINUTE_MS - 1,
                detected_at: m + MINUTE_MS,
                ips: Vec::new(),
                evidence: json!({
                    "summary": format!(
                        "{label}: {:.0}% of {total} requests failed authentication in {} min from {ips} addresses; its usual failure ratio is {:.0}%",
                        ratio * 100.0, st.window_minutes, base_ratio * 100.0
                    ),
                    "window": window_json(m, st.window_minutes),
                    "observed": {"failure_ratio": round2(ratio), "auth_failures": fail, "requests": total, "failing_ips": ips},
                    "baseline": {"failure_ratio": round2(base_ratio), "failing_ips_per_window": round2(base_ips), "other_routes_failure_ratio": round2(other_ratio)},
                    "thresholds": {"min_ips": st.min_ips, "min_failures": st.min_failures, "baseline_factor": st.baseline_factor, "min_ratio_increase": 0.15},
                }),
            });
        }
        // Learn the route's ratio from this minute only when it is not under attack.
        if !firing
            && let Some(r) = d.closed.back().and_then(|b| b.auth_routes.get(&h))
            && r.total > 0
        {
            let x = f64::from(r.fail) / f64::from(r.total);
            let ips = r.fail_ips.len() as f64;
            let g = d.group_profile(&gkey, m);
            g.fold(m, ips);
            g.fold_ratio(x);
        }
    }
    if let Some(b) = d.closed.back() {
        let fail = b.auth_fail - b.auth_route_fail.min(b.auth_fail);
        let total = b.total - b.auth_route_total.min(b.total);
        if total > 0 && !outage {
            let x = fail as f64 / total as f64;
            let g = d.group_profile("other_auth", m);
            g.n += 1;
            g.fold_ratio(x);
        }
    }
}
