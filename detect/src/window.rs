//! Per-minute state: what each source IP and each client did in one minute of event time.
//! The detector keeps the open minutes (still accepting late events) and the last closed
//! ones (the rules' sliding windows); everything older is dropped, so memory follows the
//! number of active IPs and clients, not the number of events (ARCHITECTURE.md, invariant 4).

use crate::geo::GeoInfo;
use foldhash::{HashMap, HashSet};
use gatewatch_core::ClientKind;

/// Caps that bound one entity-minute whatever the traffic.
pub const MAX_PATHS: usize = 4096;
pub const MAX_IPS: usize = 64;
pub const MAX_IP_PATHS: usize = 256;
pub const MAX_SAMPLES: usize = 5;

/// One source IP in one minute.
#[derive(Debug, Default)]
pub struct IpMin {
    /// The address as logged (the bucket is keyed by its hash).
    pub ip: Box<str>,
    pub geo: GeoInfo,
    pub first_ms: i64,
    pub last_ms: i64,
    pub total: u32,
    /// Requests carrying no principal, API key or IAM identity.
    pub anonymous: u32,
    /// Authentication failures on any route (401, authorizer 403, authorizer errors).
    pub auth_fail: u32,
    /// Requests to authentication routes, and how many of them failed.
    pub auth_route_total: u32,
    pub auth_route_fail: u32,
    pub s404: u32,
    pub s429: u32,
    pub s5xx: u32,
    /// Requests that broke the country policy of the API they called, and the first such API.
    pub denied: u32,
    pub denied_api: Option<String>,
    /// Distinct sensitive paths (hashes) and a few of them as text (scrubbed).
    pub sensitive: Vec<u64>,
    pub sensitive_samples: Vec<String>,
    /// Distinct paths (hashes), capped at [`MAX_IP_PATHS`].
    pub paths: HashSet<u64>,
    pub routes: Vec<(String, u32)>,
    pub request_ids: Vec<String>,
}

/// One client (the identity the record was counted under) in one minute.
#[derive(Debug, Default)]
pub struct ClientMin {
    pub first_ms: i64,
    pub last_ms: i64,
    pub total: u32,
    pub s4xx: u32,
    pub s404: u32,
    pub s429: u32,
    pub paths: HashSet<u64>,
    pub path_samples: Vec<String>,
    /// Requests whose path ends in a numeric id, and those that stepped to a neighbour of the
    /// previous id on the same route.
    pub id_requests: u32,
    pub sequential: u32,
    pub last_ids: Vec<(u64, u64)>,
    /// Distinct source IPs (hash, as in [`Bucket::ips`]) with their GeoIP and requests.
    pub ips: Vec<(u64, GeoInfo, u32)>,
    /// Countries in order of first appearance: (code, first ms, last ms).
    pub countries: Vec<([u8; 2], i64, i64)>,
    pub request_ids: Vec<String>,
}

/// One authentication route in one minute.
#[derive(Debug, Default)]
pub struct RouteMin {
    /// `METHOD route`, e.g. `POST /auth/login`.
    pub label: Box<str>,
    pub total: u32,
    pub fail: u32,
    pub fail_ips: Vec<u64>,
}

/// One network (ASN) in one minute, summarised from its IPs when the minute closes.
#[derive(Debug, Default)]
pub struct AsnMin {
    /// IPs (hashes) that failed on auth routes, and the failures and auth requests.
    pub fail_ips: Vec<u64>,
    pub auth_fail: u64,
    pub auth_total: u64,
    /// Anonymous-only IPs (hashes), their requests, and the paths they asked for.
    pub anon_ips: Vec<u64>,
    pub anon_requests: u64,
    pub paths: Vec<u64>,
    pub first_ms: i64,
    pub last_ms: i64,
    pub sample_ips: Vec<(String, u32)>,
    pub countries: Vec<([u8; 2], u32)>,
    pub request_ids: Vec<String>,
}

/// Everything seen in one minute.
#[derive(Debug, Default)]
pub struct Bucket {
    pub minute: i64,
    /// Source IPs by the detector's hash of the address text.
    pub ips: HashMap<u64, IpMin>,
    pub clients: [HashMap<Box<str>, ClientMin>; 4],
    /// Auth routes by the hash of (method, route); the label is kept inside.
    pub auth_routes: HashMap<u64, RouteMin>,
    /// Filled when the minute closes ([`Bucket::summarize_networks`]).
    pub asns: HashMap<u32, AsnMin>,
    pub total: u64,
    pub auth_fail: u64,
    pub auth_route_total: u64,
    pub auth_route_fail: u64,
    pub s5xx: u64,
}

impl Bucket {
    pub fn new(minute: i64) -> Self {
        Self { minute, ..Default::default() }
    }

    /// Folds the minute's IPs into per-network summaries (once, when the minute closes), so
    /// the network rules' windows merge a few summaries instead of every IP again.
    pub fn summarize_networks(&mut self) {
        for (&h, e) in &self.ips {
            let ip = &e.ip;
            let Some(asn) = e.geo.asn else { continue };
            let failing = e.auth_route_fail > 0;
            let anon = e.anonymous > 0 && e.anonymous == e.total;
            let a =
                self.asns.entry(asn).or_insert_with(|| AsnMin { first_ms: i64::MAX, ..Default::default() });
            a.auth_total += u64::from(e.auth_route_total);
            if !(failing || anon) {
                continue;
            }
            if failing {
                a.fail_ips.push(h);
                a.auth_fail += u64::from(e.auth_route_fail);
            }
            if anon {
                a.anon_ips.push(h);
                a.anon_requests += u64::from(e.total);
                for p in &e.paths {
                    if a.paths.len() >= MAX_PATHS {
                        break;
                    }
                    a.paths.push(*p);
                }
            }
            a.first_ms = a.first_ms.min(e.first_ms);
            a.last_ms = a.last_ms.max(e.last_ms);
            if a.sample_ips.len() < MAX_SAMPLES {
                a.sample_ips.push((ip.to_string(), e.total));
            }
            if let Some(c) = e.geo.country {
                match a.countries.iter_mut().find(|x| x.0 == c) {
                    Some(x) => x.1 += e.total,
                    None => a.countries.push((c, e.total)),
                }
            }
            for id in &e.request_ids {
                if a.request_ids.len() < MAX_SAMPLES {
                    a.request_ids.push(id.clone());
                }
            }
        }
    }

    pub fn clients(&self, k: ClientKind) -> &HashMap<Box<str>, ClientMin> {
        &self.clients[kind_index(k)]
    }
}

pub fn kind_index(k: ClientKind) -> usize {
    match k {
        ClientKind::Principal => 0,
        ClientKind::ApiKey => 1,
        ClientKind::Iam => 2,
        ClientKind::Ip => 3,
    }
}

/// Inserts `v` into a small sorted-free set, up to `cap` entries. Returns whether it was new.
#[inline]
pub fn insert_capped(set: &mut Vec<u64>, v: u64, cap: usize) -> bool {
    if set.len() >= cap || set.contains(&v) {
        return false;
    }
    set.push(v);
    true
}

/// Inserts into a capped hash set.
#[inline]
pub fn insert_set(set: &mut HashSet<u64>, v: u64, cap: usize) {
    if set.len() < cap {
        set.insert(v);
    }
}

/// Adds one to the counter of `key` in a short list (at most `cap` distinct keys).
pub fn bump(list: &mut Vec<(String, u32)>, key: &str, cap: usize) {
    if let Some(e) = list.iter_mut().find(|(k, _)| k == key) {
        e.1 += 1;
    } else if list.len() < cap {
        list.push((key.to_string(), 1));
    }
}

pub fn sample(list: &mut Vec<String>, v: Option<&str>) {
    if let Some(v) = v
        && list.len() < MAX_SAMPLES
        && !list.iter().any(|x| x == v)
    {
        list.push(v.to_string());
    }
}
