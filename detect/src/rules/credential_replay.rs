//! `credential_replay`: one credential used from more addresses, networks or countries within
//! minutes than it ever was (credentials only: an IP cannot be "used from many IPs").

use super::client::ClientCtx;
use super::{View, severity};
use crate::alerts::Finding;
use foldhash::HashSet;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

pub(super) fn check(v: &View, c: &ClientCtx) -> Option<Finding> {
    let rp = &v.cfg.credential_replay;
    let min_distinct = rp.min_countries.min(rp.min_asns).min(rp.min_ips);
    if !rp.enabled
        || !c.credential
        || c.now.ips.is_empty()
        || !c.has_distinct_ips(v, rp.window_minutes, min_distinct)
    {
        return None;
    }
    let wv = c.window(v, rp.window_minutes, false);
    let countries: HashSet<[u8; 2]> = wv.ips.values().filter_map(|(g, _)| g.country).collect();
    let asns: HashSet<u32> = wv.ips.values().filter_map(|(g, _)| g.asn).collect();
    let ips = wv.ips.len() as u64;
    let usual = c.profile.map_or(0, |p| p.max_ips) as u64;
    let wide =
        countries.len() as u64 >= rp.min_countries || asns.len() as u64 >= rp.min_asns || ips >= rp.min_ips;
    if !wide || ips <= usual {
        return None;
    }
    let mut cs: Vec<String> = countries.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    cs.sort();
    let mag = (countries.len() as f64 / rp.min_countries as f64)
        .max(asns.len() as f64 / rp.min_asns as f64)
        .max(ips as f64 / rp.min_ips as f64);
    let subject = &c.subject;
    let evidence = json!({
        "summary": format!(
            "{subject} was used from {ips} IPs in {} networks and {} countries ({}) within {} min",
            asns.len(), countries.len(), cs.join(", "), rp.window_minutes
        ),
        "window": v.window_json(rp.window_minutes),
        "observed": {"ips": ips, "asns": asns.len(), "countries": cs},
        "baseline": {"max_ips_per_minute": usual},
        "thresholds": {"min_countries": rp.min_countries, "min_asns": rp.min_asns, "min_ips": rp.min_ips},
        "top_ips": wv.top_ips(v),
        "sample_request_ids": wv.request_ids,
    });
    Some(wv.finding(v, c, Rule::CredentialReplay, severity(Severity::High, mag), evidence))
}
