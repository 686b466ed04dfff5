//! One source address over a window: the sums the per-IP rules (brute force, probing, denied
//! geography) judge, and the loop that runs them over every address of the closing minute.

use super::{View, brute_force, denied_geo, probing};
use crate::alerts::Finding;
use crate::window::IpMin;
use foldhash::{HashMap, HashSet};
use gatewatch_core::{Rule, Severity, Subject, SubjectKind};
use serde_json::{Value, json};
use std::net::IpAddr;

/// Sums over the window of one IP.
#[derive(Default)]
pub(super) struct IpWin {
    pub total: u64,
    pub auth_fail: u64,
    pub s404: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    pub sensitive: HashSet<u64>,
    pub samples: Vec<String>,
    pub routes: HashMap<String, u32>,
    pub request_ids: Vec<String>,
}

impl IpWin {
    /// The IP with hash `ip` over the last `w` minutes.
    pub fn of(v: &View, w: i64, ip: u64) -> Self {
        let mut out = IpWin { first_ms: i64::MAX, ..Default::default() };
        for b in v.window(w) {
            let Some(e) = b.ips.get(&ip) else { continue };
            out.total += u64::from(e.total);
            out.auth_fail += u64::from(e.auth_fail);
            out.s404 += u64::from(e.s404);
            out.first_ms = out.first_ms.min(e.first_ms);
            out.last_ms = out.last_ms.max(e.last_ms);
            out.sensitive.extend(e.sensitive.iter().copied());
            for s in &e.sensitive_samples {
                if out.samples.len() < 10 && !out.samples.contains(s) {
                    out.samples.push(s.clone());
                }
            }
            for (r, n) in &e.routes {
                *out.routes.entry(r.clone()).or_default() += n;
            }
            for id in &e.request_ids {
                if out.request_ids.len() < 5 {
                    out.request_ids.push(id.clone());
                }
            }
        }
        out
    }

    /// A finding on address `c` over this window.
    pub fn finding(&self, v: &View, c: &IpCtx, rule: Rule, severity: Severity, evidence: Value) -> Finding {
        Finding {
            rule,
            subject: Subject::new(SubjectKind::Ip, c.ip),
            severity,
            first_seen: self.first_ms,
            last_seen: self.last_ms,
            detected_at: v.detected_at(),
            ips: c.addr.into_iter().collect(),
            evidence,
        }
    }

    /// The five routes it hit most, for evidence.
    pub fn top_routes(&self) -> Vec<Value> {
        let mut v: Vec<_> = self.routes.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.into_iter().take(5).map(|(r, n)| json!({"route": r, "count": n})).collect()
    }
}

/// One address of the closing minute, as the per-IP rules see it.
pub(super) struct IpCtx<'a> {
    /// The detector's hash of the address text (the key of [`crate::window::Bucket::ips`]).
    pub hash: u64,
    pub ip: &'a str,
    pub addr: Option<IpAddr>,
    pub now: &'a IpMin,
}

/// Runs the per-IP rules over every address of the closing minute.
pub(super) fn ip_rules(v: &View, out: &mut Vec<Finding>) {
    let Some(b) = v.closing() else { return };
    let everyone = Everyone::over(v, v.cfg.brute_force.window_minutes);
    for (&hash, now) in &b.ips {
        let c = IpCtx { hash, ip: &now.ip, addr: now.ip.parse().ok(), now };
        out.extend(brute_force::check(v, &c, &everyone));
        out.extend(probing::check(v, &c));
        out.extend(denied_geo::check(v, &c));
    }
}

/// Authentication failures and requests of all traffic in a window.
pub(super) struct Everyone {
    pub auth_fail: u64,
    pub total: u64,
}

impl Everyone {
    fn over(v: &View, w: i64) -> Self {
        let (mut auth_fail, mut total) = (0u64, 0u64);
        for b in v.window(w) {
            auth_fail += b.auth_fail;
            total += b.total;
        }
        Self { auth_fail, total }
    }
}
