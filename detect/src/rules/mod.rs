//! The rules. Each runs when a minute closes, over its own sliding window ending at that
//! minute, and turns what it sees into a [`Finding`] with evidence a reader can act on:
//! observed values, the baseline they were compared with, the thresholds, and the top IPs,
//! countries, paths and sample request ids (all from scrubbed records).
//!
//! Context that prevents false alarms lives here too: error-ratio rules compare a source with
//! all traffic in the same window (an outage fails everyone), rate rules compare a client with
//! its own learned baseline (a partner's steady volume is its normal), and group rules need
//! many distinct sources (one NAT address with many users is one source).

use crate::Detector;
use crate::alerts::Finding;
use crate::geo::{GeoInfo, country_distance_km};
use crate::window::ClientMin;
use foldhash::{HashMap, HashSet};
use gatewatch_core::time::MINUTE_MS;
use gatewatch_core::{ClientKind, Rule, Severity, Subject, SubjectKind};
use serde_json::{Value, json};
use std::net::IpAddr;

mod client;
mod geo;
mod ip;
mod network;
mod route;

use client::client_rules;
use geo::geo_rules;
use ip::ip_rules;
use network::group_rules;
use route::route_stuffing;

/// Severity from the rule's base and how far past its threshold the observation is.
fn severity(base: Severity, magnitude: f64) -> Severity {
    if magnitude >= 10.0 {
        base.bump().bump()
    } else if magnitude >= 3.0 {
        base.bump()
    } else {
        base
    }
}

fn window_json(m: i64, w: i64) -> Value {
    json!({
        "from": gatewatch_core::time::rfc3339(m - (w - 1) * MINUTE_MS),
        "to": gatewatch_core::time::rfc3339(m + MINUTE_MS),
        "minutes": w,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn geo_json(d: &Detector, g: GeoInfo) -> Value {
    let asn = g.asn.map(|a| format!("AS{a}"));
    let org = g.asn.and_then(|a| d.geo.as_ref().and_then(|geo| geo.asn_org(a)));
    json!({"country": g.country_str(), "asn": asn, "asn_org": org})
}

pub(crate) fn evaluate(d: &mut Detector, m: i64) {
    let mut findings = Vec::new();
    let global_warm =
        d.groups.get("global").is_some_and(|g| m - g.first >= d.cfg.learning_minutes * MINUTE_MS);
    d.group_profile("global", m).last_minute = m;
    ip_rules(d, m, &mut findings);
    client_rules(d, m, &mut findings);
    group_rules(d, m, global_warm, &mut findings);
    d.stats.findings += findings.len() as u64;
    for f in findings {
        d.book.raise(f);
    }
}
