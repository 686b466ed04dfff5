//! gatewatch detectors: per-minute windows on event time, learned baselines, the rules
//! (credential abuse, scraping, geographic anomalies), GeoIP and the alert lifecycle.
//!
//! Data flow: the reader copies every counted (scrubbed, parsed) record into its batch's
//! `core::alert::ObservationBatch`; the detector stage, on its own thread, feeds them to
//! `Observer::observe` here. Records fold into the bucket of their minute. When the watermark
//! (newest event time minus `detect.lateness_secs`) passes the end of a minute, that minute
//! closes: every rule evaluates its sliding window ending there, baselines learn from it, and
//! findings go through the [`alerts::AlertBook`] (dedup, suppressions, quiet-period resolution).
//! At each batch boundary [`Detector::drain`] hands the changed alerts and profiles to the
//! store, which commits them with the batch (exactly once, like the aggregates).
//!
//! Nothing here reads the wall clock (ARCHITECTURE.md, invariant 3): replaying a day of logs raises
//! the same alerts as watching it live.

pub mod alerts;
pub mod config;
pub mod geo;
pub mod profile;
mod rules;
pub mod window;

use crate::config::DetectConfig;
use aho_corasick::AhoCorasick;
use alerts::AlertBook;
use foldhash::{HashMap, HashSet};
use gatewatch_core::alert::{DetectOutput, Observation, Observer, ProfileRow};
use gatewatch_core::time::{MINUTE_MS, minute_floor};
use gatewatch_core::{Alert, ClientKind};
use geo::{Geo, GeoInfo};
use profile::{ClientProfile, GroupProfile};
use std::collections::{BTreeMap, VecDeque};
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::sync::Arc;
use window::{Bucket, ClientMin, IpMin, RouteMin, kind_index};

/// Learned profiles are persisted at most this often (event time): baselines move slowly, and
/// rewriting every active client's profile with every batch would dominate the store's work.
/// A crash loses at most this much learning, never an alert.
const PROFILE_FLUSH_MS: i64 = 30 * MINUTE_MS;

/// Clients seen in fewer active minutes are not persisted: they are far from established (a
/// restart re-learns them), and the long tail of one-off addresses would dominate the writes.
const PERSIST_MIN_ACTIVE_MINUTES: u64 = 5;

/// Geo lookups cached per source address; cleared when it grows past this.
const GEO_CACHE_MAX: usize = 200_000;

#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error(transparent)]
    Geo(#[from] geo::GeoError),
    #[error("detector profile `{key}` is corrupt: {why}")]
    Profile { key: String, why: String },
    #[error("detect config: {0}")]
    Config(String),
}

/// Counters for progress lines and metrics.
#[derive(Debug, Default, Clone, Copy)]
pub struct DetectStats {
    pub observed: u64,
    /// Events older than an already closed minute: counted in the series, not in windows.
    pub late: u64,
    pub minutes_closed: u64,
    pub findings: u64,
}

pub struct Detector {
    cfg: DetectConfig,
    geo: Option<Arc<Geo>>,
    geo_cache: HashMap<Box<str>, GeoInfo>,
    auth_cache: HashMap<Box<str>, bool>,
    sensitive: AhoCorasick,
    hasher: foldhash::fast::FixedState,
    open: BTreeMap<i64, Bucket>,
    closed: VecDeque<Bucket>,
    keep_minutes: i64,
    lateness_ms: i64,
    max_time: i64,
    /// Event time every live source has reached (see [`Observer::set_progress_floor`]).
    progress_floor: i64,
    /// Minutes before this are closed.
    closed_until: i64,
    clients: HashMap<String, ClientProfile>,
    groups: HashMap<String, GroupProfile>,
    /// Profiles changed since the last drain (client keys, group keys).
    dirty_clients: HashSet<String>,
    dirty_groups: HashSet<String>,
    book: AlertBook,
    /// How many suppressions came from the config file (the store's follow them in the book).
    config_suppressions: usize,
    stats: DetectStats,
    /// Event time of the last profile flush (profiles are written every
    /// [`PROFILE_FLUSH_MS`] of event time and at the end of an input, not with every batch).
    profiles_flushed_at: i64,
    /// Whether any country policy is configured (skips the per-event check otherwise).
    geo_policy: bool,
    /// Clients forgotten since the last drain (idle past the profile TTL).
    forget: Vec<String>,
    last_eviction: i64,
}

impl Detector {
    /// A detector resuming from stored `profiles` and `unresolved` alerts. Without `geo`, the
    /// geographic rules and ASN grouping are off (the caller says so to the user).
    pub fn new(
        cfg: &DetectConfig,
        geo: Option<Arc<Geo>>,
        profiles: Vec<ProfileRow>,
        unresolved: Vec<Alert>,
    ) -> Result<Self, DetectError> {
        cfg.validate().map_err(|e| DetectError::Config(e.to_string()))?;
        // Country codes must be real ones: `UK` (for GB) would silently never match.
        let gp = &cfg.denied_geo;
        let lists = [("deny".to_string(), &gp.deny), ("allow".to_string(), &gp.allow)].into_iter().chain(
            gp.per_api.iter().flat_map(|(api, p)| {
                [(format!("per_api.{api}.deny"), &p.deny), (format!("per_api.{api}.allow"), &p.allow)]
            }),
        );
        for (key, list) in lists {
            if let Some(c) = list.iter().find(|c| geo::centroid(c).is_none()) {
                return Err(DetectError::Config(format!(
                    "`detect.denied_geo.{key}`: `{c}` is not an ISO 3166-1 alpha-2 country code (the United Kingdom is GB)"
                )));
            }
        }
        let sensitive = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&cfg.sensitive_paths)
            .map_err(|e| DetectError::Config(format!("detect.sensitive_paths: {e}")))?;
        let keep_minutes = [
            cfg.brute_force.window_minutes,
            cfg.credential_stuffing.window_minutes,
            cfg.credential_replay.window_minutes,
            cfg.enumeration.window_minutes,
            cfg.distributed_scraping.window_minutes,
            cfg.throttle_evasion.window_minutes,
            cfg.probing.window_minutes,
            cfg.volume_spike.window_minutes,
        ]
        .into_iter()
        .max()
        .unwrap_or(10);
        let mut clients = HashMap::default();
        let mut groups = HashMap::default();
        for p in profiles {
            // A profile that does not decode (written by another version, damaged) is
            // relearned rather than stopping the pipeline.
            let skip = |e: serde_json::Error| {
                let e = DetectError::Profile { key: p.key.clone(), why: e.to_string() };
                tracing::warn!(error = %e, "ignoring a stored detector profile");
            };
            if let Some(k) = p.key.strip_prefix("c:") {
                match serde_json::from_str(&p.data) {
                    Ok(v) => {
                        clients.insert(k.to_string(), v);
                    }
                    Err(e) => skip(e),
                }
            } else if let Some(k) = p.key.strip_prefix("g:") {
                match serde_json::from_str(&p.data) {
                    Ok(v) => {
                        groups.insert(k.to_string(), v);
                    }
                    Err(e) => skip(e),
                }
            }
        }
        Ok(Self {
            cfg: cfg.clone(),
            geo,
            geo_cache: HashMap::default(),
            auth_cache: HashMap::default(),
            sensitive,
            hasher: foldhash::fast::FixedState::with_seed(0x6761_7465_7761_7463),
            open: BTreeMap::new(),
            closed: VecDeque::new(),
            keep_minutes,
            lateness_ms: cfg.lateness_secs * 1000,
            max_time: i64::MIN,
            progress_floor: i64::MAX,
            closed_until: i64::MIN,
            clients,
            groups,
            dirty_clients: HashSet::default(),
            dirty_groups: HashSet::default(),
            book: AlertBook::new(&cfg.suppressions, cfg.resolve_after_minutes, unresolved),
            config_suppressions: cfg.suppressions.len(),
            stats: DetectStats::default(),
            profiles_flushed_at: i64::MIN,
            forget: Vec::new(),
            last_eviction: i64::MIN,
            geo_policy: cfg.denied_geo.enabled && !cfg.denied_geo.is_empty(),
        })
    }

    pub fn stats(&self) -> DetectStats {
        self.stats
    }

    pub fn open_alerts(&self) -> usize {
        self.book.open_count()
    }

    fn hash(&self, s: &str) -> u64 {
        self.hasher.hash_one(s)
    }

    fn geo_of(&mut self, ip: &str) -> GeoInfo {
        let Some(geo) = &self.geo else { return GeoInfo::default() };
        if let Some(g) = self.geo_cache.get(ip) {
            return *g;
        }
        let info = ip.parse::<IpAddr>().map(|a| geo.lookup(a)).unwrap_or_default();
        if self.geo_cache.len() >= GEO_CACHE_MAX {
            self.geo_cache.clear();
        }
        self.geo_cache.insert(ip.into(), info);
        info
    }

    fn is_auth_route(&mut self, route: &str) -> bool {
        if let Some(&b) = self.auth_cache.get(route) {
            return b;
        }
        let b = route_has_keyword(route, &self.cfg.auth_routes);
        if self.auth_cache.len() < 10_000 {
            self.auth_cache.insert(route.into(), b);
        }
        b
    }

    /// The sensitive pattern a path hits (its index), if any. Scanners encode (`/%2e%2e/`,
    /// `/.%65nv`), so an encoded path is matched decoded too.
    fn sensitive_pattern(&self, path: &str) -> Option<u64> {
        if let Some(m) = self.sensitive.find(path) {
            return Some(m.pattern().as_u64());
        }
        if path.contains('%') {
            return self.sensitive.find(percent_decode(path).as_str()).map(|m| m.pattern().as_u64());
        }
        None
    }

    fn close_due(&mut self) {
        let watermark = self.max_time.min(self.progress_floor).saturating_sub(self.lateness_ms);
        while let Some((&m, _)) = self.open.first_key_value() {
            if m + MINUTE_MS > watermark {
                break;
            }
            self.close_first();
        }
        // Minutes without events behind the watermark are closed too: nothing may reopen them.
        self.closed_until = self.closed_until.max(minute_floor(watermark));
    }

    fn close_first(&mut self) {
        let Some((m, mut b)) = self.open.pop_first() else { return };
        b.summarize_networks();
        self.closed_until = self.closed_until.max(m + MINUTE_MS);
        self.closed.push_back(b);
        while self.closed.front().is_some_and(|f| f.minute <= m - self.keep_minutes * MINUTE_MS) {
            self.closed.pop_front();
        }
        self.stats.minutes_closed += 1;
        rules::evaluate(self, m);
        self.evict_idle(m);
        self.book.resolve_quiet(m + MINUTE_MS);
    }

    fn client_profile(&mut self, key: &str, minute: i64) -> &mut ClientProfile {
        if !self.dirty_clients.contains(key) {
            self.dirty_clients.insert(key.to_string());
        }
        if !self.clients.contains_key(key) {
            self.clients.insert(key.to_string(), ClientProfile::new(minute));
        }
        self.clients.get_mut(key).expect("just ensured")
    }

    fn group_profile(&mut self, key: &str, minute: i64) -> &mut GroupProfile {
        if !self.dirty_groups.contains(key) {
            self.dirty_groups.insert(key.to_string());
        }
        self.groups.entry(key.to_string()).or_insert_with(|| GroupProfile::new(minute))
    }

    /// Once an hour of event time: forgets clients idle past the TTL.
    fn evict_idle(&mut self, m: i64) {
        if self.last_eviction != i64::MIN && m - self.last_eviction < 60 * MINUTE_MS {
            return;
        }
        self.last_eviction = m;
        let cutoff = m - self.cfg.profile_ttl_days * 24 * 60 * MINUTE_MS;
        let idle: Vec<String> =
            self.clients.iter().filter(|(_, p)| p.last_minute < cutoff).map(|(k, _)| k.clone()).collect();
        for k in idle {
            self.clients.remove(&k);
            self.dirty_clients.remove(&k);
            self.forget.push(format!("c:{k}"));
        }
        let idle: Vec<String> = self
            .groups
            .iter()
            .filter(|(k, g)| k.as_str() != "global" && g.last_minute < cutoff)
            .map(|(k, _)| k.clone())
            .collect();
        for k in idle {
            self.groups.remove(&k);
            self.dirty_groups.remove(&k);
            self.forget.push(format!("g:{k}"));
        }
    }

    pub fn profile_count(&self) -> usize {
        self.clients.len() + self.groups.len()
    }

    fn finish_all(&mut self) {
        while !self.open.is_empty() {
            self.close_first();
        }
    }
}

impl Observer for Detector {
    fn observe(&mut self, o: &Observation<'_>) {
        self.stats.observed += 1;
        let minute = minute_floor(o.time_ms);
        if minute < self.closed_until {
            self.stats.late += 1;
            return;
        }
        let route_key = o.route.filter(|r| !r.is_empty() && *r != "-");
        let matched = route_key.is_some();
        let auth_route = match route_key.or(o.path) {
            Some(r) => self.is_auth_route(r),
            None => false,
        };
        let missing_token = o.error_message.is_some_and(|m| m.contains("Missing Authentication Token"));
        // A failed authentication: 401, an authorizer's error, or 403 on an auth route. A 403
        // elsewhere is an authorization decision about a resource, not a wrong credential.
        let auth_fail = o.status == 401
            || (o.status == 403 && matched && auth_route && !missing_token)
            || (o.authorizer_error.is_some() && (400..500).contains(&o.status));
        let anonymous = o.principal.is_none() && o.api_key.is_none() && o.client_kind == ClientKind::Ip;
        // A sensitive path counts unless the API really serves it: a success on a declared
        // route (not the catch-all) is the application's own page, not a probe.
        let declared = route_key.is_some_and(|r| !r.contains("{proxy+}") && r != "$default");
        let served = declared && o.status < 400;
        let sensitive = if served { None } else { o.path.and_then(|p| self.sensitive_pattern(p)) };
        let path_hash = self.hash(o.path.or(route_key).unwrap_or(""));
        let route_hash = self.hash(route_key.unwrap_or(""));
        let numeric_id = o.path.and_then(last_numeric_segment);
        let geo = o.ip.map(|ip| self.geo_of(ip)).unwrap_or_default();
        let ip_hash = o.ip.map(|ip| self.hash(ip)).unwrap_or(0);
        let geo_denied =
            self.geo_policy && geo.country_str().is_some_and(|cc| self.cfg.denied_geo.denies(o.api, cc));
        // The route's key is a hash: its `METHOD route` label is built once per route-minute.
        let route_of_auth = route_key.or(o.path).unwrap_or("-");
        let auth_route_hash =
            auth_route.then(|| self.hasher.hash_one((o.method.unwrap_or("-"), route_of_auth)));

        let b = self.open.entry(minute).or_insert_with(|| Bucket::new(minute));
        b.total += 1;
        b.auth_fail += u64::from(auth_fail);
        b.s5xx += u64::from(o.status >= 500);
        if auth_route {
            b.auth_route_total += 1;
            b.auth_route_fail += u64::from(auth_fail);
        }
        if let Some(ip) = o.ip {
            let e = match b.ips.get_mut(&ip_hash) {
                Some(e) => e,
                None => b.ips.entry(ip_hash).or_insert_with(|| IpMin {
                    ip: ip.into(),
                    geo,
                    first_ms: o.time_ms,
                    ..Default::default()
                }),
            };
            e.first_ms = e.first_ms.min(o.time_ms);
            e.last_ms = e.last_ms.max(o.time_ms);
            e.total += 1;
            e.anonymous += u32::from(anonymous);
            e.auth_fail += u32::from(auth_fail);
            if auth_route {
                e.auth_route_total += 1;
                e.auth_route_fail += u32::from(auth_fail);
            }
            e.s404 += u32::from(o.status == 404);
            e.s429 += u32::from(o.status == 429);
            e.s5xx += u32::from(o.status >= 500);
            if geo_denied {
                e.denied += 1;
                if e.denied_api.is_none() {
                    e.denied_api = o.api.map(str::to_string);
                }
            }
            window::insert_set(&mut e.paths, path_hash, window::MAX_IP_PATHS);
            // Distinct patterns, not concrete paths: /admin/users/1 and /admin/users/2 are one.
            if let Some(pattern) = sensitive
                && window::insert_capped(&mut e.sensitive, pattern, window::MAX_PATHS)
            {
                window::sample(&mut e.sensitive_samples, o.path);
            }
            if auth_fail || sensitive.is_some() {
                window::bump(&mut e.routes, route_key.unwrap_or("-"), 4);
                window::sample(&mut e.request_ids, o.request_id);
            }
            if let Some(h) = auth_route_hash {
                let r = b.auth_routes.entry(h).or_insert_with(|| RouteMin {
                    label: format!("{} {route_of_auth}", o.method.unwrap_or("-")).into(),
                    ..Default::default()
                });
                r.total += 1;
                if auth_fail {
                    r.fail += 1;
                    window::insert_capped(&mut r.fail_ips, ip_hash, window::MAX_PATHS);
                }
            }
        }
        let map = &mut b.clients[kind_index(o.client_kind)];
        let c = match map.get_mut(o.client) {
            Some(c) => c,
            None => map
                .entry(o.client.into())
                .or_insert_with(|| ClientMin { first_ms: o.time_ms, ..Default::default() }),
        };
        c.first_ms = c.first_ms.min(o.time_ms);
        c.last_ms = c.last_ms.max(o.time_ms);
        c.total += 1;
        c.s4xx += u32::from((400..500).contains(&o.status));
        c.s404 += u32::from(o.status == 404);
        c.s429 += u32::from(o.status == 429);
        let new_path = c.paths.len() < window::MAX_PATHS && c.paths.insert(path_hash);
        // Samples (allocations) only where evidence may need them: errors and busy clients.
        let notable = o.status >= 400 || c.total > 20;
        if new_path && notable {
            window::sample(&mut c.path_samples, o.path);
        }
        if let Some(id) = numeric_id {
            c.id_requests += 1;
            let n = c.last_ids.len();
            match c.last_ids.iter_mut().find(|(r, _)| *r == route_hash) {
                Some((_, last)) => {
                    if id != *last && id.abs_diff(*last) <= 3 {
                        c.sequential += 1;
                    }
                    *last = id;
                }
                None if n < 8 => c.last_ids.push((route_hash, id)),
                None => {}
            }
        }
        if o.ip.is_some() {
            let n = c.ips.len();
            match c.ips.iter_mut().find(|(x, _, _)| *x == ip_hash) {
                Some(e) => e.2 += 1,
                None if n < window::MAX_IPS => c.ips.push((ip_hash, geo, 1)),
                None => {}
            }
            if let Some(cc) = geo.country {
                let n = c.countries.len();
                match c.countries.iter_mut().find(|(x, _, _)| *x == cc) {
                    Some(e) => {
                        e.1 = e.1.min(o.time_ms);
                        e.2 = e.2.max(o.time_ms);
                    }
                    None if n < 16 => c.countries.push((cc, o.time_ms, o.time_ms)),
                    None => {}
                }
            }
        }
        if notable && c.request_ids.len() < window::MAX_SAMPLES {
            window::sample(&mut c.request_ids, o.request_id);
        }
        if o.time_ms > self.max_time {
            self.max_time = o.time_ms;
            self.close_due();
        }
    }

    fn set_store_suppressions(&mut self, list: &[gatewatch_core::Suppression]) {
        self.book.set_store_suppressions(self.config_suppressions, list);
    }

    fn set_progress_floor(&mut self, floor: Option<i64>) {
        self.progress_floor = floor.unwrap_or(i64::MAX);
        if self.max_time != i64::MIN {
            self.close_due();
        }
    }

    fn drain(&mut self, end_of_input: bool) -> DetectOutput {
        if end_of_input {
            self.finish_all();
        }
        let alerts = self.book.drain();
        let due = end_of_input
            || self.profiles_flushed_at == i64::MIN
            || self.closed_until.saturating_sub(self.profiles_flushed_at) >= PROFILE_FLUSH_MS;
        let forget = std::mem::take(&mut self.forget);
        if !due {
            return DetectOutput { alerts, profiles: Vec::new(), forget };
        }
        self.profiles_flushed_at = self.closed_until;
        let mut profiles = Vec::with_capacity(self.dirty_clients.len() + self.dirty_groups.len());
        for key in std::mem::take(&mut self.dirty_clients) {
            let Some(p) = self.clients.get(&key).filter(|p| p.active_minutes >= PERSIST_MIN_ACTIVE_MINUTES)
            else {
                continue;
            };
            if let Ok(data) = serde_json::to_string(p) {
                profiles.push(ProfileRow { key: format!("c:{key}"), data, updated_at: 0 });
            }
        }
        for key in std::mem::take(&mut self.dirty_groups) {
            if let Some(data) = self.groups.get(&key).and_then(|p| serde_json::to_string(p).ok()) {
                profiles.push(ProfileRow { key: format!("g:{key}"), data, updated_at: 0 });
            }
        }
        profiles.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        DetectOutput { alerts, profiles, forget }
    }
}

/// Whether a route or path names one of `keywords` as a word: `/auth/login`, `/oauth2/token`,
/// `/v1/sessions` and `/password-reset` do; `/authors` and `/tokenomics` do not. A word may
/// carry a plural `s` or trailing digits.
fn route_has_keyword(route: &str, keywords: &[String]) -> bool {
    let word_match = |word: &str, k: &str| {
        word.len() >= k.len()
            && word.is_char_boundary(k.len())
            && word[..k.len()].eq_ignore_ascii_case(k)
            && (matches!(&word[k.len()..], "s" | "S") || word[k.len()..].bytes().all(|b| b.is_ascii_digit()))
    };
    keywords.iter().any(|k| {
        if k.bytes().any(|b| !b.is_ascii_alphanumeric()) {
            // A keyword with separators (`sign-in`) is matched as written.
            return route.to_ascii_lowercase().contains(&k.to_ascii_lowercase());
        }
        route.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| !word.is_empty() && word_match(word, k))
    })
}

/// The last path segment when it is a decimal number (an id), e.g. `/products/1234` → 1234.
fn last_numeric_segment(path: &str) -> Option<u64> {
    let p = path.split(['?', '#']).next().unwrap_or(path).trim_end_matches('/');
    let seg = p.rsplit('/').next()?;
    if seg.is_empty() || seg.len() > 18 || !seg.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seg.parse().ok()
}

/// `%XX` decoding for matching only (invalid escapes stay as they are).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_keywords_are_words_not_substrings() {
        let k: Vec<String> = ["login", "auth", "oauth", "token", "session", "password", "sign-in"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for yes in [
            "/auth/login",
            "/oauth2/token",
            "/v1/sessions",
            "/users/password-reset",
            "POST /Login",
            "/sign-in",
        ] {
            assert!(route_has_keyword(yes, &k), "{yes}");
        }
        for no in ["/authors/{id}", "/tokenomics", "/loginsights", "/products/42", ""] {
            assert!(!route_has_keyword(no, &k), "{no}");
        }
    }

    #[test]
    fn numeric_ids_and_decoding() {
        assert_eq!(last_numeric_segment("/products/1234"), Some(1234));
        assert_eq!(last_numeric_segment("/products/1234/?x=1"), Some(1234));
        assert_eq!(last_numeric_segment("/products/abc"), None);
        assert_eq!(last_numeric_segment("/"), None);
        assert_eq!(last_numeric_segment("/v/99999999999999999999"), None);
        assert_eq!(percent_decode("/%2e%2E/%2egit/config%"), "/../.git/config%");
        assert_eq!(percent_decode("/a%zz"), "/a%zz");
    }
}
