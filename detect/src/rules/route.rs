//! Credential stuffing on one authentication route: its failure ratio jumps while the rest of
//! the traffic does not.

use super::*;

/// credential_stuffing on one auth route: its failure ratio jumps while the rest of the
/// traffic does not (an authorizer outage raises everything at once).
pub(super) fn route_stuffing(d: &mut Detector, m: i64, global_warm: bool, out: &mut Vec<Finding>) {
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
