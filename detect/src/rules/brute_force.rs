//! `brute_force`: one address fails authentication many times, at a failure share well above
//! everyone else's in the same window (an authorizer outage fails everyone at once).

use super::ip_window::{Everyone, IpCtx, IpWin};
use super::{View, round2, severity};
use crate::alerts::Finding;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

pub(super) fn check(v: &View, c: &IpCtx, everyone: &Everyone) -> Option<Finding> {
    let bf = &v.cfg.brute_force;
    if !bf.enabled || c.now.auth_fail == 0 {
        return None;
    }
    let wv = IpWin::of(v, bf.window_minutes, c.hash);
    let ratio = wv.auth_fail as f64 / wv.total.max(1) as f64;
    // Everyone else's failure share: the source must not raise its own yardstick.
    let rest_total = everyone.total.saturating_sub(wv.total);
    let others = everyone.auth_fail.saturating_sub(wv.auth_fail) as f64 / rest_total.max(1) as f64;
    let need_ratio = bf.min_failure_ratio.max(others + bf.margin);
    if wv.auth_fail < bf.min_failures || ratio < need_ratio {
        return None;
    }
    let ip = c.ip;
    let evidence = json!({
        "summary": format!(
            "{ip} failed authentication {} times in {} min ({:.0}% of its {} requests; everyone else: {:.1}%)",
            wv.auth_fail, bf.window_minutes, ratio * 100.0, wv.total, others * 100.0
        ),
        "window": v.window_json(bf.window_minutes),
        "observed": {"auth_failures": wv.auth_fail, "requests": wv.total, "failure_ratio": round2(ratio)},
        "baseline": {"others_failure_ratio": round2(others)},
        "thresholds": {"min_failures": bf.min_failures, "min_failure_ratio": bf.min_failure_ratio, "margin_over_others": bf.margin, "required_failure_ratio": round2(need_ratio)},
        "source": v.geo_json(c.now.geo),
        "top_routes": wv.top_routes(),
        "sample_request_ids": wv.request_ids,
    });
    Some(wv.finding(
        v,
        c,
        Rule::BruteForce,
        severity(Severity::Medium, wv.auth_fail as f64 / bf.min_failures as f64 / 2.0),
        evidence,
    ))
}
