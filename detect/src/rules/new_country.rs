//! `new_country`: an established credential appears in a country it was never seen in, far
//! from every country it was.

use super::View;
use super::client::{ClientCtx, GeoCtx, Step};
use crate::alerts::Finding;
use crate::geo::country_distance_km;
use crate::profile::Places;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

/// Judges a country of the closing minute against the countries `trail` says the client had
/// been in.
pub(super) fn check(v: &View, c: &ClientCtx, g: &GeoCtx, trail: &Places, step: &Step) -> Option<Finding> {
    let Step { code, cc, first, last } = step;
    let (code, cc, first, last) = (code.as_str(), *cc, *first, *last);
    let nc = &v.cfg.new_country;
    let p = c.profile?;
    if !nc.enabled
        || !c.established
        || p.active_minutes < nc.min_active_minutes
        || trail.countries.is_empty()
        || trail.countries.iter().any(|k| k == code)
    {
        return None;
    }
    let nearest =
        trail.countries.iter().filter_map(|k| country_distance_km(k, code)).fold(f64::INFINITY, f64::min);
    if nearest < nc.min_distance_km {
        return None;
    }
    let subject = &c.subject;
    Some(Finding {
        rule: Rule::NewCountry,
        subject: subject.clone(),
        severity: Severity::Medium,
        first_seen: first,
        last_seen: last,
        detected_at: v.detected_at(),
        ips: g.addrs.clone(),
        evidence: json!({
            "ips": g.ips_in(&cc),
            "summary": format!(
                "{subject}, active for {} minutes from {}, appeared in {code} ({:.0} km from the nearest)",
                p.active_minutes, trail.countries.join(", "), nearest
            ),
            "observed": {"country": code},
            "baseline": {"countries": trail.countries, "active_minutes": p.active_minutes, "since": gatewatch_core::time::rfc3339(p.first)},
            "thresholds": {"min_distance_km": nc.min_distance_km, "min_active_minutes": nc.min_active_minutes},
        }),
    })
}
