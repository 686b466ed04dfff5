//! `credential_stuffing`, two ways:
//! - by network: many addresses of one ASN fail authentication, at a failure ratio well above
//!   everyone else's and with more failing addresses than the network usually brings;
//! - by route: one authentication route's failure ratio jumps while the rest of the traffic's
//!   does not (an authorizer outage raises everything at once).

use super::asn_window::Networks;
use super::{View, round2, severity};
use crate::alerts::Finding;
use foldhash::HashSet;
use gatewatch_core::time::MINUTE_MS;
use gatewatch_core::{Rule, Severity, Subject, SubjectKind};
use serde_json::json;

pub(super) fn by_network(v: &View, networks: &Networks, out: &mut Vec<Finding>) {
    let st = &v.cfg.credential_stuffing;
    if !st.enabled {
        return;
    }
    for (asn, a) in &networks.asns {
        let fail_ips = a.fail_ips.len() as u64;
        if fail_ips < st.min_ips || a.auth_fail < st.min_failures {
            continue;
        }
        let ratio = a.auth_fail as f64 / a.auth_total.max(1) as f64;
        // Compared with everyone else: the attack must not raise its own yardstick.
        let rest_fail = networks.auth_fail.saturating_sub(a.auth_fail);
        let rest_total = networks.auth_total.saturating_sub(a.auth_total);
        let global_ratio = rest_fail as f64 / rest_total.max(1) as f64;
        let lift = ratio / global_ratio.max(1e-3);
        let base =
            v.group(&format!("stuff:AS{asn}")).map_or(0.0, |g| g.signal.mean) * st.window_minutes as f64;
        if lift < st.min_lift || (fail_ips as f64) < st.baseline_factor * base.max(1.0) {
            continue;
        }
        let org = v.asn_org(*asn);
        let evidence = json!({
            "summary": format!(
                "{fail_ips} addresses of AS{asn}{} failed authentication {} times in {} min ({:.0}% of their auth requests vs {:.0}% overall)",
                org.as_ref().map(|o| format!(" ({o})")).unwrap_or_default(), a.auth_fail, st.window_minutes, ratio * 100.0, global_ratio * 100.0
            ),
            "window": v.window_json(st.window_minutes),
            "observed": {"failing_ips": fail_ips, "auth_failures": a.auth_fail, "auth_requests": a.auth_total, "failure_ratio": round2(ratio), "lift": round2(lift)},
            "baseline": {"failing_ips_per_window": round2(base), "all_auth_failure_ratio": round2(global_ratio)},
            "thresholds": {"min_ips": st.min_ips, "min_failures": st.min_failures, "min_lift": st.min_lift, "baseline_factor": st.baseline_factor},
            "network": {"asn": format!("AS{asn}"), "org": org},
            "top_countries": a.top_countries(),
            "sample_ips": a.sample_ips(),
            "sample_request_ids": a.request_ids,
        });
        out.push(a.finding(
            v,
            *asn,
            Rule::CredentialStuffing,
            severity(Severity::High, fail_ips as f64 / st.min_ips as f64 / 3.0),
            evidence,
        ));
    }
}

/// What the route rule saw beyond its findings.
pub(super) struct Routes {
    /// Whether authentication failed broadly outside the auth routes (an outage, not an
    /// attack): the routes' baselines do not learn from such a minute.
    pub outage: bool,
}

pub(super) fn by_route(v: &View, out: &mut Vec<Finding>) -> Routes {
    let st = &v.cfg.credential_stuffing;
    let Some(last) = v.closing() else { return Routes { outage: false } };
    let (mut other_fail, mut other_total) = (0u64, 0u64);
    for b in v.window(st.window_minutes) {
        other_fail += b.auth_fail - b.auth_route_fail.min(b.auth_fail);
        other_total += b.total - b.auth_route_total.min(b.total);
    }
    let other_ratio = other_fail as f64 / other_total.max(1) as f64;
    let other_base = v.group("other_auth").map(|g| g.ratio.mean).unwrap_or(other_ratio);
    let outage = other_ratio >= 0.05 && other_ratio >= 3.0 * other_base.max(0.01);
    for (h, route) in &last.auth_routes {
        let label = &*route.label;
        let (mut fail, mut total) = (0u64, 0u64);
        let mut ips: HashSet<u64> = HashSet::default();
        for b in v.window(st.window_minutes) {
            if let Some(r) = b.auth_routes.get(h) {
                fail += u64::from(r.fail);
                total += u64::from(r.total);
                ips.extend(r.fail_ips.iter().copied());
            }
        }
        let ips = ips.len() as u64;
        let ratio = fail as f64 / total.max(1) as f64;
        let base = v.group(&format!("route:{label}")).map(|g| (g.ratio.mean, g.signal.mean, g.first));
        let learned = base.is_some_and(|(_, _, first)| v.m - first >= v.cfg.learning_minutes * MINUTE_MS);
        let base_ratio = base.map_or(0.0, |b| b.0);
        let base_ips = base.map_or(0.0, |b| b.1) * st.window_minutes as f64;
        let firing = st.enabled
            && v.global_warm
            && learned
            && !outage
            && ips >= st.min_ips
            && fail >= st.min_failures
            && ips as f64 >= st.baseline_factor * base_ips.max(1.0)
            && ratio >= base_ratio + 0.15;
        if !firing {
            continue;
        }
        out.push(Finding {
            rule: Rule::CredentialStuffing,
            subject: Subject::new(SubjectKind::Route, label),
            severity: severity(Severity::High, ips as f64 / st.min_ips as f64 / 3.0),
            first_seen: v.m - (st.window_minutes - 1) * MINUTE_MS,
            last_seen: v.m + MINUTE_MS - 1,
            detected_at: v.detected_at(),
            ips: Vec::new(),
            evidence: json!({
                "summary": format!(
                    "{label}: {:.0}% of {total} requests failed authentication in {} min from {ips} addresses; its usual failure ratio is {:.0}%",
                    ratio * 100.0, st.window_minutes, base_ratio * 100.0
                ),
                "window": v.window_json(st.window_minutes),
                "observed": {"failure_ratio": round2(ratio), "auth_failures": fail, "requests": total, "failing_ips": ips},
                "baseline": {"failure_ratio": round2(base_ratio), "failing_ips_per_window": round2(base_ips), "other_routes_failure_ratio": round2(other_ratio)},
                "thresholds": {"min_ips": st.min_ips, "min_failures": st.min_failures, "baseline_factor": st.baseline_factor, "min_ratio_increase": 0.15},
            }),
        });
    }
    Routes { outage }
}
