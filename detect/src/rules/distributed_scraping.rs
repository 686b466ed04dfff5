//! `distributed_scraping`: many anonymous addresses of one network, each slow, together
//! covering many distinct paths, far more addresses than the network usually brings.

use super::asn_window::Networks;
use super::{View, round2, severity};
use crate::alerts::Finding;
use gatewatch_core::{Rule, Severity};
use serde_json::json;

pub(super) fn check(v: &View, networks: &Networks, out: &mut Vec<Finding>) {
    let ds = &v.cfg.distributed_scraping;
    if !ds.enabled || !v.global_warm {
        return;
    }
    for (asn, a) in &networks.asns {
        let anon = a.anon_ips.len() as u64;
        if anon < ds.min_ips || (a.paths.len() as u64) < ds.min_distinct_paths {
            continue;
        }
        let per_ip = a.anon_requests as f64 / anon as f64 / ds.window_minutes as f64;
        let base =
            v.group(&format!("anon:AS{asn}")).map_or(0.0, |g| g.signal.mean) * ds.window_minutes as f64;
        if per_ip > ds.max_rate_per_ip || (anon as f64) < ds.baseline_factor * base.max(1.0) {
            continue;
        }
        let org = v.asn_org(*asn);
        let evidence = json!({
            "summary": format!(
                "{anon} anonymous addresses of AS{asn}{} requested {} distinct paths in {} min, {per_ip:.1} requests/min each",
                org.as_ref().map(|o| format!(" ({o})")).unwrap_or_default(), a.paths.len(), ds.window_minutes
            ),
            "window": v.window_json(ds.window_minutes),
            "observed": {"anonymous_ips": anon, "requests": a.anon_requests, "distinct_paths": a.paths.len(), "rate_per_ip_per_min": round2(per_ip)},
            "baseline": {"anonymous_ips_per_window": round2(base)},
            "thresholds": {"min_ips": ds.min_ips, "min_distinct_paths": ds.min_distinct_paths, "max_rate_per_ip": ds.max_rate_per_ip, "baseline_factor": ds.baseline_factor},
            "network": {"asn": format!("AS{asn}"), "org": org},
            "top_countries": a.top_countries(),
            "sample_ips": a.sample_ips(),
        });
        out.push(a.finding(
            v,
            *asn,
            Rule::DistributedScraping,
            severity(Severity::Medium, anon as f64 / ds.min_ips as f64 / 2.0),
            evidence,
        ));
    }
}
