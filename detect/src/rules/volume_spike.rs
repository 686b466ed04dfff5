//! `volume_spike`: an established client sends far more than its own baseline for this hour
//! of day (a partner's steady volume is its normal).

use super::client::ClientCtx;
use super::{View, round2, severity};
use crate::alerts::Finding;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

pub(super) fn check(v: &View, c: &ClientCtx) -> Option<Finding> {
    let vs = &v.cfg.volume_spike;
    let p = c.profile.filter(|_| vs.enabled && c.established)?;
    let observed = c.sums(v, vs.window_minutes).total as f64 / vs.window_minutes as f64;
    let expected = p.expected_rate(v.m);
    let sd = p.rate.sd();
    let need = vs.min_rate_per_min.max(vs.factor * expected).max(expected + vs.sigmas * sd);
    if observed < need {
        return None;
    }
    let wv = c.window(v, vs.window_minutes, false);
    let subject = &c.subject;
    let evidence = json!({
        "summary": format!(
            "{subject} sent {observed:.0} requests/min over {} min; its baseline is {expected:.1}/min (sd {sd:.1})",
            vs.window_minutes
        ),
        "window": v.window_json(vs.window_minutes),
        "observed": {"rate_per_min": round2(observed)},
        "baseline": {"rate_per_min": round2(expected), "sd": round2(sd), "active_minutes": p.active_minutes},
        "thresholds": {"factor": vs.factor, "sigmas": vs.sigmas, "min_rate_per_min": vs.min_rate_per_min, "required_rate_per_min": round2(need)},
        "top_ips": wv.top_ips(v),
        "sample_request_ids": wv.request_ids,
    });
    Some(wv.finding(v, c, Rule::VolumeSpike, severity(Severity::Low, observed / need), evidence))
}
