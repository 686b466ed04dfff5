//! The rules. Each runs when a minute closes, over its own sliding window ending at that
//! minute, and turns what it sees into a [`Finding`] with evidence a reader can act on:
//! observed values, the baseline they were compared with, the thresholds, and the top IPs,
//! countries, paths and sample request ids (all from scrubbed records).
//!
//! One file per rule. A rule reads a [`View`] (the closed minutes, the learned baselines, the
//! config and GeoIP) and returns findings; it changes nothing. When every rule has run,
//! [`learn`] folds the closed minute into the baselines, except for the subjects a rule found
//! anomalous (an attack is not the new normal).
//!
//! Context that prevents false alarms lives here too: error-ratio rules compare a source with
//! all traffic in the same window (an outage fails everyone), rate rules compare a client with
//! its own learned baseline (a partner's steady volume is its normal), and group rules need
//! many distinct sources (one NAT address with many users is one source).

use crate::Detector;
use crate::config::DetectConfig;
use crate::geo::{Geo, GeoInfo};
use crate::profile::{ClientProfile, GroupProfile};
use crate::window::Bucket;
use foldhash::HashMap;
use gatewatch_core::Severity;
use gatewatch_core::time::MINUTE_MS;
use serde_json::{Value, json};
use std::collections::VecDeque;

mod asn_window;
mod brute_force;
mod client;
mod credential_replay;
mod credential_stuffing;
mod denied_geo;
mod distributed_scraping;
mod enumeration;
mod impossible_travel;
mod ip_window;
mod learn;
mod new_country;
mod probing;
mod throttle_evasion;
mod volume_spike;

/// What a rule may read when minute `m` closes.
pub(crate) struct View<'a> {
    pub cfg: &'a DetectConfig,
    geo: Option<&'a Geo>,
    closed: &'a VecDeque<Bucket>,
    clients: &'a HashMap<String, ClientProfile>,
    groups: &'a HashMap<String, GroupProfile>,
    /// The closing minute (epoch ms of its start).
    pub m: i64,
    /// Whether all traffic has been seen long enough for network baselines to mean something.
    pub global_warm: bool,
}

impl<'a> View<'a> {
    /// The closed buckets of the `w` minutes ending with the closing minute, oldest first.
    pub fn window(&self, w: i64) -> impl Iterator<Item = &'a Bucket> + use<'a> {
        let (m, lo) = (self.m, self.m - (w - 1) * MINUTE_MS);
        self.closed.iter().filter(move |b| b.minute >= lo && b.minute <= m)
    }

    /// The bucket of the closing minute.
    pub fn closing(&self) -> Option<&'a Bucket> {
        self.closed.back().filter(|b| b.minute == self.m)
    }

    /// The closed buckets of the longest window any rule uses.
    pub fn all(&self) -> impl Iterator<Item = &'a Bucket> + use<'a> {
        self.closed.iter()
    }

    pub fn client(&self, key: &str) -> Option<&'a ClientProfile> {
        self.clients.get(key)
    }

    pub fn group(&self, key: &str) -> Option<&'a GroupProfile> {
        self.groups.get(key)
    }

    pub fn asn_org(&self, asn: u32) -> Option<String> {
        self.geo.and_then(|g| g.asn_org(asn))
    }

    /// `{"country", "asn", "asn_org"}` of an address for evidence.
    pub fn geo_json(&self, g: GeoInfo) -> Value {
        let asn = g.asn.map(|a| format!("AS{a}"));
        let org = g.asn.and_then(|a| self.asn_org(a));
        json!({"country": g.country_str(), "asn": asn, "asn_org": org})
    }

    /// End of the closing minute: when its findings were detected.
    pub fn detected_at(&self) -> i64 {
        self.m + MINUTE_MS
    }

    /// `{"from", "to", "minutes"}` of the `w`-minute window ending with the closing minute.
    pub fn window_json(&self, w: i64) -> Value {
        json!({
            "from": gatewatch_core::time::rfc3339(self.m - (w - 1) * MINUTE_MS),
            "to": gatewatch_core::time::rfc3339(self.m + MINUTE_MS),
            "minutes": w,
        })
    }
}

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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Runs every rule over the windows ending with minute `m`, raises what they found, then lets
/// the baselines learn from the minute.
pub(crate) fn evaluate(d: &mut Detector, m: i64) {
    let global_warm =
        d.groups.get("global").is_some_and(|g| m - g.first >= d.cfg.learning_minutes * MINUTE_MS);
    d.group_profile("global", m).last_minute = m;
    let v = View {
        cfg: &d.cfg,
        geo: d.geo.as_deref(),
        closed: &d.closed,
        clients: &d.clients,
        groups: &d.groups,
        m,
        global_warm,
    };
    let mut findings = Vec::new();
    ip_window::ip_rules(&v, &mut findings);
    let places = client::client_rules(&v, &mut findings);
    let networks = asn_window::asn_windows(&v);
    credential_stuffing::by_network(&v, &networks, &mut findings);
    distributed_scraping::check(&v, &networks, &mut findings);
    let routes = credential_stuffing::by_route(&v, &mut findings);
    learn::learn(d, m, &findings, places, routes.outage);
    d.stats.findings += findings.len() as u64;
    for f in findings {
        d.book.raise(f);
    }
}
