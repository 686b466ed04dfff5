//! `probing`: one address asks for many distinct sensitive paths (`/.env`, `/.git/config`,
//! `/wp-admin`…) that the API does not serve.

use super::ip_window::{IpCtx, IpWin};
use super::{View, severity};
use crate::alerts::Finding;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

pub(super) fn check(v: &View, c: &IpCtx) -> Option<Finding> {
    let pr = &v.cfg.probing;
    if !pr.enabled || c.now.sensitive.is_empty() {
        return None;
    }
    let wv = IpWin::of(v, pr.window_minutes, c.hash);
    let n = wv.sensitive.len() as u64;
    if n < pr.min_distinct_paths {
        return None;
    }
    let ip = c.ip;
    let evidence = json!({
        "summary": format!(
            "{ip} asked for {n} distinct sensitive paths in {} min ({} of {} requests were 404)",
            pr.window_minutes, wv.s404, wv.total
        ),
        "window": v.window_json(pr.window_minutes),
        "observed": {"sensitive_paths": n, "requests": wv.total, "s404": wv.s404},
        "thresholds": {"min_distinct_paths": pr.min_distinct_paths},
        "sample_paths": wv.samples,
        "source": v.geo_json(c.now.geo),
        "sample_request_ids": wv.request_ids,
    });
    Some(wv.finding(
        v,
        c,
        Rule::Probing,
        severity(Severity::Low, n as f64 / pr.min_distinct_paths as f64),
        evidence,
    ))
}
