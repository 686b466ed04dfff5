//! Networks (ASNs) over a window: the per-minute network summaries merged for the networks that
//! could reach a threshold of credential stuffing or distributed scraping. Group rules need
//! many distinct addresses: one NAT address with many users is one source.

use super::View;
use crate::alerts::Finding;
use foldhash::{HashMap, HashSet};
use gatewatch_core::time::MINUTE_MS;
use gatewatch_core::{Rule, Severity, Subject, SubjectKind};
use serde_json::{Value, json};

/// One network over the window: IPs failing auth routes with their failures and auth requests
/// (credential stuffing's window), anonymous IPs with their requests and distinct paths
/// (distributed scraping's window).
#[derive(Default)]
pub(super) struct AsnWin {
    pub fail_ips: HashSet<u64>,
    pub auth_fail: u64,
    pub auth_total: u64,
    pub anon_ips: HashSet<u64>,
    pub anon_requests: u64,
    pub paths: HashSet<u64>,
    pub first_ms: i64,
    pub last_ms: i64,
    sample_ips: Vec<(String, u32)>,
    countries: HashMap<[u8; 2], u32>,
    pub request_ids: Vec<String>,
}

impl AsnWin {
    /// A finding on network `asn` over this window.
    pub fn finding(&self, v: &View, asn: u32, rule: Rule, severity: Severity, evidence: Value) -> Finding {
        Finding {
            rule,
            subject: Subject::new(SubjectKind::Asn, format!("AS{asn}")),
            severity,
            first_seen: self.first_ms,
            last_seen: self.last_ms,
            detected_at: v.detected_at(),
            ips: self.sample_ips.iter().filter_map(|(ip, _)| ip.parse().ok()).collect(),
            evidence,
        }
    }

    pub fn sample_ips(&self) -> Vec<Value> {
        self.sample_ips.iter().map(|(ip, n)| json!({"ip": ip, "requests": n})).collect()
    }

    /// The three countries that sent the most.
    pub fn top_countries(&self) -> Vec<Value> {
        let mut v: Vec<_> = self.countries.iter().collect();
        v.sort_by(|x, y| y.1.cmp(x.1));
        v.into_iter()
            .take(3)
            .map(|(c, n)| json!({"country": String::from_utf8_lossy(c), "requests": n}))
            .collect()
    }
}

/// The candidate networks' windows, by ASN (ascending), with the auth-route failures and
/// requests of all traffic in credential stuffing's window.
pub(super) struct Networks {
    pub asns: Vec<(u32, AsnWin)>,
    pub auth_fail: u64,
    pub auth_total: u64,
}

pub(super) fn asn_windows(v: &View) -> Networks {
    let st = &v.cfg.credential_stuffing;
    let ds = &v.cfg.distributed_scraping;
    let w = st.window_minutes.max(ds.window_minutes);
    let (mut g_fail, mut g_total) = (0u64, 0u64);
    let in_st = v.m - (st.window_minutes - 1) * MINUTE_MS;
    let in_ds = v.m - (ds.window_minutes - 1) * MINUTE_MS;
    // Cheap sums first: only networks that could reach a threshold get their sets merged.
    #[derive(Default)]
    struct Pre {
        fail_ips: u64,
        auth_fail: u64,
        anon_ips: u64,
    }
    let mut pre: HashMap<u32, Pre> = HashMap::default();
    for b in v.window(w) {
        if b.minute >= in_st {
            g_fail += b.auth_route_fail;
            g_total += b.auth_route_total;
        }
        for (asn, a) in &b.asns {
            let p = pre.entry(*asn).or_default();
            if b.minute >= in_st {
                p.fail_ips += a.fail_ips.len() as u64;
                p.auth_fail += a.auth_fail;
            }
            if b.minute >= in_ds {
                p.anon_ips += a.anon_ips.len() as u64;
            }
        }
    }
    let candidates: HashSet<u32> = pre
        .iter()
        .filter(|(_, p)| {
            (st.enabled && p.fail_ips >= st.min_ips && p.auth_fail >= st.min_failures)
                || (ds.enabled && v.global_warm && p.anon_ips >= ds.min_ips)
        })
        .map(|(a, _)| *a)
        .collect();
    let mut by_asn: HashMap<u32, AsnWin> = HashMap::default();
    for b in v.window(w) {
        for (asn, e) in &b.asns {
            if !candidates.contains(asn) {
                continue;
            }
            let a = by_asn.entry(*asn).or_insert_with(|| AsnWin { first_ms: i64::MAX, ..Default::default() });
            if b.minute >= in_st {
                a.fail_ips.extend(e.fail_ips.iter().copied());
                a.auth_fail += e.auth_fail;
                a.auth_total += e.auth_total;
            }
            if b.minute >= in_ds {
                a.anon_ips.extend(e.anon_ips.iter().copied());
                a.anon_requests += e.anon_requests;
                if a.paths.len() < 100_000 {
                    a.paths.extend(e.paths.iter().copied());
                }
            }
            a.first_ms = a.first_ms.min(e.first_ms);
            a.last_ms = a.last_ms.max(e.last_ms);
            for (ip, n) in &e.sample_ips {
                if a.sample_ips.len() < 5 && !a.sample_ips.iter().any(|(x, _)| x == ip) {
                    a.sample_ips.push((ip.clone(), *n));
                }
            }
            for (c, n) in &e.countries {
                *a.countries.entry(*c).or_default() += n;
            }
            for id in &e.request_ids {
                if a.request_ids.len() < 5 {
                    a.request_ids.push(id.clone());
                }
            }
        }
    }
    let mut asns: Vec<_> = by_asn.into_iter().collect();
    asns.sort_by_key(|(a, _)| *a);
    Networks { asns, auth_fail: g_fail, auth_total: g_total }
}
