//! Geographic rules for one client: denied countries, a new country for an established client,
//! impossible travel between countries.

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn geo_rules(
    d: &mut Detector,
    m: i64,
    subject: &Subject,
    pkey: &str,
    countries: &[([u8; 2], i64, i64)],
    ips: &[(String, GeoInfo)],
    established: bool,
    out: &mut Vec<Finding>,
) {
    let detected_at = m + MINUTE_MS;
    let addrs: Vec<IpAddr> = ips.iter().filter_map(|(ip, _)| ip.parse().ok()).collect();
    let mut by_country: HashMap<[u8; 2], Vec<Value>> = HashMap::default();
    for (ip, g) in ips {
        if let Some(cc) = g.country {
            let v = by_country.entry(cc).or_default();
            if v.len() < 5 {
                let mut j = geo_json(d, *g);
                j["ip"] = json!(ip);
                v.push(j);
            }
        }
    }
    let ips_in = |cc: &[u8; 2]| -> Vec<Value> { by_country.get(cc).cloned().unwrap_or_default() };
    let tr = d.cfg.impossible_travel.clone();
    let nc = d.cfg.new_country.clone();
    let mut seen: Vec<([u8; 2], i64, i64)> = countries.to_vec();
    seen.sort_by_key(|c| c.1);
    let p = d.client_profile(pkey, m);
    let mut findings = Vec::new();
    for (cc, first, last) in &seen {
        let code = String::from_utf8_lossy(cc).into_owned();
        if tr.enabled
            && let Some((prev, t0)) = p.last_location.clone()
            && prev != code
            && let Some(dist) = country_distance_km(&prev, &code)
        {
            // Within one minute the order of two places is uncertain: at least a minute apart.
            let gap_ms = (first - t0).abs();
            let hours = gap_ms.max(60_000) as f64 / 3_600_000.0;
            let effective = (dist - tr.uncertainty_km).max(0.0);
            let speed = effective / hours;
            if speed > tr.max_speed_kmh {
                findings.push(Finding {
                    rule: Rule::ImpossibleTravel,
                    subject: subject.clone(),
                    severity: severity(Severity::High, speed / tr.max_speed_kmh / 3.0),
                    first_seen: t0,
                    last_seen: *last,
                    detected_at,
                    ips: addrs.clone(),
                    evidence: json!({
                        "summary": format!(
                            "{subject} was in {prev}, then in {code} {:.1} min later: {dist:.0} km apart ({effective:.0} km after {:.0} km of uncertainty), {speed:.0} km/h needed",
                            gap_ms as f64 / 60_000.0, tr.uncertainty_km
                        ),
                        "observed": {"from": prev, "to": code, "last_seen_in_from": gatewatch_core::time::rfc3339(t0), "first_seen_in_to": gatewatch_core::time::rfc3339(*first), "minutes_between": round2(gap_ms as f64 / 60_000.0), "distance_km": dist.round(), "effective_distance_km": effective.round(), "speed_kmh": speed.round()},
                        "ips_in_new_place": ips_in(cc),
                        "thresholds": {"max_speed_kmh": tr.max_speed_kmh, "uncertainty_km": tr.uncertainty_km},
                    }),
                });
            }
        }
        if !p.countries.contains(&code) {
            let nearest = p
                .countries
                .iter()
                .filter_map(|c| country_distance_km(c, &code))
                .fold(f64::INFINITY, f64::min);
            if nc.enabled
                && established
                && p.active_minutes >= nc.min_active_minutes
                && !p.countries.is_empty()
                && nearest >= nc.min_distance_km
            {
                findings.push(Finding {
                    rule: Rule::NewCountry,
                    subject: subject.clone(),
                    severity: Severity::Medium,
                    first_seen: *first,
                    last_seen: *last,
                    detected_at,
                    ips: addrs.clone(),
                    evidence: json!({
                        "ips": ips_in(cc),
                        "summary": format!(
                            "{subject}, active for {} minutes from {}, appeared in {code} ({:.0} km from the nearest)",
                            p.active_minutes, p.countries.join(", "), nearest
                        ),
                        "observed": {"country": code},
                        "baseline": {"countries": p.countries, "active_minutes": p.active_minutes, "since": gatewatch_core::time::rfc3339(p.first)},
                        "thresholds": {"min_distance_km": nc.min_distance_km, "min_active_minutes": nc.min_active_minutes},
                    }),
                });
            }
            if p.countries.len() < 32 {
                p.countries.push(code.clone());
            }
        }
        // The running location: where the client was last seen so far.
        p.last_location = Some((code, *last));
    }
    if let Some((cc, _, last)) = seen.iter().max_by_key(|c| c.2) {
        p.last_location = Some((String::from_utf8_lossy(cc).into_owned(), *last));
    }
    out.extend(findings);
}
