//! Rules over groups of sources: distributed scraping and credential stuffing by network (ASN),
//! needing many distinct addresses (one NAT address with many users is one source).

use super::*;

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

pub(super) fn group_rules(d: &mut Detector, m: i64, global_warm: bool, out: &mut Vec<Finding>) {
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
