//! `throttle_evasion`: a client keeps sending at the rate it had when first answered 429,
//! instead of backing off, over several throttled minutes.

use super::client::ClientCtx;
use super::{View, round2, severity};
use crate::alerts::Finding;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

pub(super) fn check(v: &View, c: &ClientCtx) -> Option<Finding> {
    let th = &v.cfg.throttle_evasion;
    if !th.enabled || c.sums(v, th.window_minutes).s429 < th.min_429 {
        return None;
    }
    let wv = c.window(v, th.window_minutes, false);
    let throttled: Vec<&(i64, u32, u32)> = wv.minutes.iter().filter(|x| x.2 > 0).collect();
    let ratio = wv.s429 as f64 / wv.total.max(1) as f64;
    let kept_up = match (throttled.first(), wv.minutes.last()) {
        (Some(f), Some(l)) => f64::from(l.1) >= th.max_backoff * f64::from(f.1) && l.0 > f.0,
        _ => false,
    };
    if wv.s429 < th.min_429
        || ratio < th.min_429_ratio
        || (throttled.len() as u64) < th.min_minutes
        || !kept_up
    {
        return None;
    }
    let first = throttled[0];
    let last = wv.minutes.last().copied().unwrap_or(*first);
    let subject = &c.subject;
    let evidence = json!({
        "summary": format!(
            "{subject} got {} answers 429 in {} min ({:.0}%) and kept sending: {}/min when first throttled, {}/min in the latest minute",
            wv.s429, th.window_minutes, ratio * 100.0, first.1, last.1
        ),
        "window": v.window_json(th.window_minutes),
        "observed": {"s429": wv.s429, "requests": wv.total, "s429_ratio": round2(ratio), "throttled_minutes": throttled.len(), "rate_first_throttled": first.1, "rate_latest": last.1},
        "thresholds": {"min_429": th.min_429, "min_429_ratio": th.min_429_ratio, "min_minutes": th.min_minutes, "max_backoff": th.max_backoff},
        "top_ips": wv.top_ips(v),
        "sample_request_ids": wv.request_ids,
    });
    Some(wv.finding(
        v,
        c,
        Rule::ThrottleEvasion,
        severity(Severity::Medium, wv.s429 as f64 / th.min_429 as f64 / 3.0),
        evidence,
    ))
}
