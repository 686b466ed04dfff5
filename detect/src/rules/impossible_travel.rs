//! `impossible_travel`: a credential seen in one country and then in another farther away than
//! any flight could take it in the time between (after the uncertainty of country centroids).

use super::client::{ClientCtx, GeoCtx, Step};
use super::{View, round2, severity};
use crate::alerts::Finding;
use crate::geo::country_distance_km;
use crate::profile::Places;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

/// Judges the step to a country of the closing minute from where `trail` says the client was.
pub(super) fn check(v: &View, c: &ClientCtx, g: &GeoCtx, trail: &Places, step: &Step) -> Option<Finding> {
    let Step { code, cc, first, last } = step;
    let (code, cc, first, last) = (code.as_str(), *cc, *first, *last);
    let tr = &v.cfg.impossible_travel;
    let (prev, t0) = trail.last_location.as_ref().filter(|_| tr.enabled)?;
    if prev == code {
        return None;
    }
    let dist = country_distance_km(prev, code)?;
    // Within one minute the order of two places is uncertain: at least a minute apart.
    let gap_ms = (first - t0).abs();
    let hours = gap_ms.max(60_000) as f64 / 3_600_000.0;
    let effective = (dist - tr.uncertainty_km).max(0.0);
    let speed = effective / hours;
    if speed <= tr.max_speed_kmh {
        return None;
    }
    let subject = &c.subject;
    Some(Finding {
        rule: Rule::ImpossibleTravel,
        subject: subject.clone(),
        severity: severity(Severity::High, speed / tr.max_speed_kmh / 3.0),
        first_seen: *t0,
        last_seen: last,
        detected_at: v.detected_at(),
        ips: g.addrs.clone(),
        evidence: json!({
            "summary": format!(
                "{subject} was in {prev}, then in {code} {:.1} min later: {dist:.0} km apart ({effective:.0} km after {:.0} km of uncertainty), {speed:.0} km/h needed",
                gap_ms as f64 / 60_000.0, tr.uncertainty_km
            ),
            "observed": {"from": prev, "to": code, "last_seen_in_from": gatewatch_core::time::rfc3339(*t0), "first_seen_in_to": gatewatch_core::time::rfc3339(first), "minutes_between": round2(gap_ms as f64 / 60_000.0), "distance_km": dist.round(), "effective_distance_km": effective.round(), "speed_kmh": speed.round()},
            "ips_in_new_place": g.ips_in(&cc),
            "thresholds": {"max_speed_kmh": tr.max_speed_kmh, "uncertainty_km": tr.uncertainty_km},
        }),
    })
}
