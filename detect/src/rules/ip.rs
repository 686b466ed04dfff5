//! Rules over one source address: brute force and probing (failures and distinct paths per IP,
//! compared with all traffic in the same window).

use super::*;

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

pub(super) fn ip_rules(d: &mut Detector, m: i64, out: &mut Vec<Finding>) {
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
