//! `enumeration`: a client walks many distinct paths, mostly answered 404 or stepping to a
//! neighbouring numeric id, well past its own usual breadth.

use super::client::ClientCtx;
use super::{View, round2, severity};
use crate::alerts::Finding;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

pub(super) fn check(v: &View, c: &ClientCtx) -> Option<Finding> {
    let en = &v.cfg.enumeration;
    let pre = c.sums(v, en.window_minutes);
    let pre_404 = pre.s404 as f64 / pre.total.max(1) as f64;
    let pre_seq = if pre.id_requests >= 20 { pre.sequential as f64 / pre.id_requests as f64 } else { 0.0 };
    if !en.enabled
        || pre.path_sum < en.min_distinct_paths
        || (pre_404 < en.min_404_ratio && pre_seq < en.min_sequential_ratio)
    {
        return None;
    }
    let wv = c.window(v, en.window_minutes, true);
    let distinct = wv.paths.len() as u64;
    let r404 = wv.s404 as f64 / wv.total.max(1) as f64;
    let seq = if wv.id_requests >= 20 { wv.sequential as f64 / wv.id_requests as f64 } else { 0.0 };
    let baseline = c.profile.filter(|_| c.established).map(|p| p.paths.mean * en.window_minutes as f64);
    let over_baseline = baseline.is_none_or(|b| distinct as f64 >= en.baseline_factor * b.max(1.0));
    if distinct < en.min_distinct_paths
        || (r404 < en.min_404_ratio && seq < en.min_sequential_ratio)
        || !over_baseline
    {
        return None;
    }
    let subject = &c.subject;
    let evidence = json!({
        "summary": format!(
            "{subject} requested {distinct} distinct paths in {} min; {:.0}% answered 404, {:.0}% stepped to a neighbouring id",
            en.window_minutes, r404 * 100.0, seq * 100.0
        ),
        "window": v.window_json(en.window_minutes),
        "observed": {"distinct_paths": distinct, "requests": wv.total, "s404_ratio": round2(r404), "sequential_ratio": round2(seq)},
        "baseline": {"distinct_paths_per_window": baseline.map(round2)},
        "thresholds": {"min_distinct_paths": en.min_distinct_paths, "min_404_ratio": en.min_404_ratio, "min_sequential_ratio": en.min_sequential_ratio, "baseline_factor": en.baseline_factor},
        "sample_paths": wv.path_samples,
        "top_ips": wv.top_ips(v),
        "sample_request_ids": wv.request_ids,
    });
    Some(wv.finding(
        v,
        c,
        Rule::Enumeration,
        severity(Severity::Medium, distinct as f64 / en.min_distinct_paths as f64),
        evidence,
    ))
}
