//! One client (principal, API key, IAM identity or IP) over a window: the sums its rules judge
//! (enumeration, throttle evasion, credential replay, volume spike against its own baseline,
//! and the geographic rules), and the loop that runs them over every client of the closing
//! minute.

use super::{
    View, credential_replay, enumeration, impossible_travel, new_country, throttle_evasion, volume_spike,
};
use crate::alerts::Finding;
use crate::geo::GeoInfo;
use crate::profile::{ClientProfile, Places};
use crate::window::{Bucket, ClientMin};
use foldhash::{HashMap, HashSet};
use gatewatch_core::time::MINUTE_MS;
use gatewatch_core::{ClientKind, Rule, Severity, Subject};
use serde_json::{Value, json};
use std::net::IpAddr;

/// One client of the closing minute, as its rules see it.
pub(super) struct ClientCtx<'a> {
    pub kind: ClientKind,
    pub key: &'a str,
    pub subject: Subject,
    pub profile: Option<&'a ClientProfile>,
    /// Whether its baseline has learned long enough to compare with.
    pub established: bool,
    /// Whether it is a credential (an identity that can be stolen), not an address.
    pub credential: bool,
    /// The closing minute.
    pub now: &'a ClientMin,
    /// Its minutes in the longest window, newest last.
    mins: Vec<(i64, &'a ClientMin)>,
}

/// Cheap sums over a client's window (no set unions): the prefilter of every client rule.
#[derive(Default)]
pub(super) struct Sums {
    pub total: u64,
    pub s404: u64,
    pub s429: u64,
    pub id_requests: u64,
    pub sequential: u64,
    /// Sum of the per-minute distinct paths: an upper bound of the window's distinct paths.
    pub path_sum: u64,
}

/// Sums over the window of one client, with the sets and samples evidence needs.
pub(super) struct ClientWin {
    pub total: u64,
    pub s404: u64,
    pub s429: u64,
    pub id_requests: u64,
    pub sequential: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    /// Per minute of the window: (minute, total, s429).
    pub minutes: Vec<(i64, u32, u32)>,
    pub paths: HashSet<u64>,
    pub path_samples: Vec<String>,
    pub ips: HashMap<String, (GeoInfo, u32)>,
    pub request_ids: Vec<String>,
}

impl ClientCtx<'_> {
    pub fn sums(&self, v: &View, w: i64) -> Sums {
        let mut s = Sums::default();
        let lo = v.m - (w - 1) * MINUTE_MS;
        for (minute, c) in &self.mins {
            if *minute >= lo {
                s.total += u64::from(c.total);
                s.s404 += u64::from(c.s404);
                s.s429 += u64::from(c.s429);
                s.id_requests += u64::from(c.id_requests);
                s.sequential += u64::from(c.sequential);
                s.path_sum += c.paths.len() as u64;
            }
        }
        s
    }

    /// Whether the client used at least `n` distinct IPs in the window (stops counting at `n`).
    pub fn has_distinct_ips(&self, v: &View, w: i64, n: u64) -> bool {
        let lo = v.m - (w - 1) * MINUTE_MS;
        let mut seen: Vec<u64> = Vec::new();
        for (minute, c) in &self.mins {
            if *minute < lo {
                continue;
            }
            for (ip, _, _) in &c.ips {
                if !seen.contains(ip) {
                    seen.push(*ip);
                    if seen.len() as u64 >= n {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// The full window of `w` minutes (distinct paths only if `want_paths`).
    pub fn window(&self, v: &View, w: i64, want_paths: bool) -> ClientWin {
        let mut out = ClientWin {
            total: 0,
            s404: 0,
            s429: 0,
            id_requests: 0,
            sequential: 0,
            first_ms: i64::MAX,
            last_ms: 0,
            minutes: Vec::new(),
            paths: HashSet::default(),
            path_samples: Vec::new(),
            ips: HashMap::default(),
            request_ids: Vec::new(),
        };
        for b in v.window(w) {
            let Some(c) = b.clients(self.kind).get(self.key) else { continue };
            out.total += u64::from(c.total);
            out.s404 += u64::from(c.s404);
            out.s429 += u64::from(c.s429);
            out.id_requests += u64::from(c.id_requests);
            out.sequential += u64::from(c.sequential);
            out.first_ms = out.first_ms.min(c.first_ms);
            out.last_ms = out.last_ms.max(c.last_ms);
            out.minutes.push((b.minute, c.total, c.s429));
            if want_paths {
                out.paths.extend(c.paths.iter().copied());
                for p in &c.path_samples {
                    if out.path_samples.len() < 8 && !out.path_samples.contains(p) {
                        out.path_samples.push(p.clone());
                    }
                }
            }
            for (h, g, n) in &c.ips {
                let Some(ip) = b.ips.get(h) else { continue };
                let e = match out.ips.get_mut(&*ip.ip) {
                    Some(e) => e,
                    None => out.ips.entry(ip.ip.to_string()).or_insert((*g, 0)),
                };
                e.1 += n;
            }
            for id in &c.request_ids {
                if out.request_ids.len() < 5 {
                    out.request_ids.push(id.clone());
                }
            }
        }
        out
    }
}

impl ClientWin {
    pub fn addrs(&self) -> Vec<IpAddr> {
        self.ips.keys().filter_map(|i| i.parse().ok()).collect()
    }

    /// A finding on client `c` over this window.
    pub fn finding(
        &self,
        v: &View,
        c: &ClientCtx,
        rule: Rule,
        severity: Severity,
        evidence: Value,
    ) -> Finding {
        Finding {
            rule,
            subject: c.subject.clone(),
            severity,
            first_seen: self.first_ms,
            last_seen: self.last_ms,
            detected_at: v.detected_at(),
            ips: self.addrs(),
            evidence,
        }
    }

    /// The five addresses that sent the most, with their country and network.
    pub fn top_ips(&self, v: &View) -> Vec<Value> {
        let mut list: Vec<_> = self.ips.iter().collect();
        list.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(b.0)));
        list.into_iter()
            .take(5)
            .map(|(ip, (g, n))| {
                let mut j = v.geo_json(*g);
                j["ip"] = json!(ip);
                j["requests"] = json!(n);
                j
            })
            .collect()
    }
}

/// One country of a client's closing minute: its code (text and bytes) and when the client
/// was first and last seen there.
pub(super) struct Step {
    pub code: String,
    pub cc: [u8; 2],
    pub first: i64,
    pub last: i64,
}

/// The places of one client's closing minute, as the geographic rules see them.
pub(super) struct GeoCtx {
    /// The minute's addresses (for CIDR suppressions).
    pub addrs: Vec<IpAddr>,
    /// Up to five addresses per country, for evidence.
    by_country: HashMap<[u8; 2], Vec<Value>>,
}

impl GeoCtx {
    pub fn ips_in(&self, cc: &[u8; 2]) -> Vec<Value> {
        self.by_country.get(cc).cloned().unwrap_or_default()
    }
}

/// Runs the client rules over every client of the closing minute. Returns where each
/// credential has been by the end of the minute (the geographic baseline's next state).
pub(super) fn client_rules(v: &View, out: &mut Vec<Finding>) -> Vec<(String, Places)> {
    let mut places = Vec::new();
    let Some(b) = v.closing() else { return places };
    let learning = v.cfg.learning_minutes;
    for kind in ClientKind::ALL {
        for (key, now) in b.clients(kind) {
            let pkey = format!("{kind}:{key}");
            let profile = v.client(&pkey);
            let c = ClientCtx {
                kind,
                key,
                subject: Subject::new(kind.into(), key.to_string()),
                profile,
                established: profile.is_some_and(|p| p.established(v.m, learning, 10)),
                credential: v.cfg.credential_kinds.contains(&kind),
                now,
                mins: v
                    .all()
                    .filter_map(|b| b.clients(kind).get(key.as_ref()).map(|c| (b.minute, c)))
                    .collect(),
            };
            out.extend(enumeration::check(v, &c));
            out.extend(throttle_evasion::check(v, &c));
            out.extend(credential_replay::check(v, &c));
            out.extend(volume_spike::check(v, &c));
            // Geography (credentials only: an IP's country does not move).
            if c.credential && !now.countries.is_empty() {
                places.push((pkey, geo_rules(v, b, &c, out)));
            }
        }
    }
    places
}

/// Walks the client's countries of the closing minute in order of appearance; each step is
/// judged against where the client had been until then.
fn geo_rules(v: &View, b: &Bucket, c: &ClientCtx, out: &mut Vec<Finding>) -> Places {
    let ips: Vec<(&str, GeoInfo)> =
        c.now.ips.iter().filter_map(|(h, g, _)| b.ips.get(h).map(|e| (&*e.ip, *g))).collect();
    let mut g = GeoCtx {
        addrs: ips.iter().filter_map(|(ip, _)| ip.parse().ok()).collect(),
        by_country: HashMap::default(),
    };
    for (ip, info) in &ips {
        if let Some(cc) = info.country {
            let list = g.by_country.entry(cc).or_default();
            if list.len() < 5 {
                let mut j = v.geo_json(*info);
                j["ip"] = json!(ip);
                list.push(j);
            }
        }
    }
    let mut seen = c.now.countries.clone();
    seen.sort_by_key(|c| c.1);
    let mut trail = c.profile.map(ClientProfile::places).unwrap_or_default();
    for &(cc, first, last) in &seen {
        let step = Step { code: String::from_utf8_lossy(&cc).into_owned(), cc, first, last };
        out.extend(impossible_travel::check(v, c, &g, &trail, &step));
        out.extend(new_country::check(v, c, &g, &trail, &step));
        trail.visit(&step.code, last);
    }
    // Where it was last seen: the country seen latest in the minute.
    if let Some((cc, _, last)) = seen.iter().max_by_key(|c| c.2) {
        trail.last_location = Some((String::from_utf8_lossy(cc).into_owned(), *last));
    }
    trail
}
