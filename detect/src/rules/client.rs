//! Rules over one client (principal, API key, IAM identity or IP): enumeration, throttle
//! evasion, credential replay and volume spikes against the client's own baseline; the
//! geographic rules run from here for each client.

use super::*;

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

pub(super) fn client_rules(d: &mut Detector, m: i64, out: &mut Vec<Finding>) {
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
