//! Per-batch aggregation: folds records into one [`MinuteAgg`] per client per minute of event
//! time. The aggregator holds only the current batch (it is drained at every commit), so its
//! memory is bounded by the batch size and the number of active clients, never by the number of
//! events that have passed (ARCHITECTURE.md, invariant 4). Merging with already-stored minutes happens
//! in the store's transaction.

use foldhash::HashMap;
use gatewatch_core::traffic::{self, CountryHour, CountryLookup, RouteHour};
use gatewatch_core::{ClientKey, ClientKind, Counts, MinuteAgg};
use gatewatch_store::MinuteRow;

#[derive(Default)]
pub struct BatchAggregator {
    /// Client key (kind tag + value) → index into `clients`.
    index: HashMap<String, usize>,
    /// Per client: its key and its (minute, aggregate) pairs of this batch.
    clients: Vec<(ClientKey, Vec<(i64, MinuteAgg)>)>,
    /// Reused lookup buffer, so a known client costs no allocation.
    scratch: String,
    events: u64,
}

impl BatchAggregator {
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Counts one request of client `(kind, value)` in `minute` (epoch ms of the minute start).
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn observe(
        &mut self,
        kind: ClientKind,
        value: &str,
        minute: i64,
        status: u16,
        bytes: u64,
        latency_ms: Option<f64>,
        path: &str,
        ip: Option<&str>,
    ) {
        self.scratch.clear();
        self.scratch.push(kind_tag(kind));
        self.scratch.push_str(value);
        let idx = match self.index.get(self.scratch.as_str()) {
            Some(&i) => i,
            None => {
                self.clients.push((ClientKey::new(kind, value), Vec::new()));
                self.index.insert(self.scratch.clone(), self.clients.len() - 1);
                self.clients.len() - 1
            }
        };
        let minutes = &mut self.clients[idx].1;
        // A batch touches few minutes per client, most often the latest: search from the end.
        let agg = match minutes.iter().rposition(|(m, _)| *m == minute) {
            Some(i) => &mut minutes[i].1,
            None => {
                minutes.push((minute, MinuteAgg::new()));
                &mut minutes.last_mut().expect("just pushed").1
            }
        };
        agg.observe(status, bytes, latency_ms, path, ip);
        self.events += 1;
    }

    /// Drains the batch into store rows.
    pub fn take(&mut self) -> Vec<MinuteRow> {
        self.index.clear();
        self.events = 0;
        let mut rows = Vec::new();
        for (client, minutes) in self.clients.drain(..) {
            for (minute, agg) in minutes {
                rows.push(MinuteRow { client: client.clone(), minute, agg });
            }
        }
        rows
    }
}

/// Distinct (API, route) keys one batch keeps per hour; further routes of that hour count as
/// `(other)`. Route templates are few per API, so the cap only bites on forged or broken logs.
pub const MAX_ROUTES_PER_HOUR: usize = 1000;
/// Source addresses whose country a batch remembers (the cache restarts when full).
const MAX_CACHED_IPS: usize = 65_536;

/// Per-batch hourly counters per route and per country. Like [`BatchAggregator`], it holds one
/// batch: memory is bounded by the route cap and the number of countries, whatever passes.
#[derive(Default)]
pub struct TrafficAggregator {
    lookup: Option<CountryLookup>,
    /// Key (hour bytes, API, NUL, route) → index into `routes`.
    index: HashMap<String, usize>,
    routes: Vec<RouteHour>,
    /// Hour → distinct route keys in this batch.
    per_hour: HashMap<i64, usize>,
    countries: HashMap<(i64, [u8; 2]), Counts>,
    /// Source address (as logged) → country, for this batch.
    ip_cache: HashMap<String, [u8; 2]>,
    scratch: String,
    route_scratch: String,
}

impl TrafficAggregator {
    pub fn new(lookup: Option<CountryLookup>) -> Self {
        Self { lookup, ..Default::default() }
    }

    /// Counts one request of `hour` (epoch ms of the hour start). `route` is the template
    /// (`resourcePath` or `routeKey`), never the concrete path.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn observe(
        &mut self,
        hour: i64,
        api: Option<&str>,
        method: Option<&str>,
        route: Option<&str>,
        ip: Option<&str>,
        status: u16,
        bytes: u64,
    ) {
        let api = traffic::bounded_name(api.filter(|a| !a.is_empty()).unwrap_or(traffic::NO_API));
        self.route_scratch.clear();
        match (method, route.filter(|r| !r.is_empty())) {
            // An HTTP API routeKey carries its method ("GET /pets"), `$default` none.
            (Some(m), Some(r)) if !r.contains(' ') && r != "$default" => {
                self.route_scratch.push_str(m);
                self.route_scratch.push(' ');
                self.route_scratch.push_str(r);
            }
            (_, Some(r)) => self.route_scratch.push_str(r),
            (_, None) => self.route_scratch.push_str(traffic::NO_ROUTE),
        }
        let route = traffic::bounded_name(&self.route_scratch);
        self.scratch.clear();
        self.scratch.extend(hour.to_le_bytes().iter().map(|&b| char::from(b)));
        self.scratch.push_str(api);
        self.scratch.push('\0');
        self.scratch.push_str(route);
        let idx = match self.index.get(self.scratch.as_str()) {
            Some(&i) => i,
            None => {
                let n = self.per_hour.entry(hour).or_default();
                let (api, route) =
                    if *n < MAX_ROUTES_PER_HOUR { (api, route) } else { (traffic::OTHER, traffic::OTHER) };
                if api == traffic::OTHER {
                    self.scratch.clear();
                    self.scratch.extend(hour.to_le_bytes().iter().map(|&b| char::from(b)));
                    self.scratch.push_str(traffic::OTHER);
                    self.scratch.push('\0');
                    self.scratch.push_str(traffic::OTHER);
                }
                match self.index.get(self.scratch.as_str()) {
                    Some(&i) => i,
                    None => {
                        *n += 1;
                        self.routes.push(RouteHour {
                            hour,
                            api: api.to_string(),
                            route: route.to_string(),
                            counts: Counts::default(),
                        });
                        self.index.insert(self.scratch.clone(), self.routes.len() - 1);
                        self.routes.len() - 1
                    }
                }
            }
        };
        self.routes[idx].counts.observe(status, bytes);
        let country = self.country(ip);
        self.countries.entry((hour, country)).or_default().observe(status, bytes);
    }

    fn country(&mut self, ip: Option<&str>) -> [u8; 2] {
        const UNKNOWN: [u8; 2] = *b"--";
        let (Some(lookup), Some(ip)) = (&self.lookup, ip) else { return UNKNOWN };
        if let Some(c) = self.ip_cache.get(ip) {
            return *c;
        }
        let c = ip.parse().ok().and_then(|a| lookup.lookup(a)).unwrap_or(UNKNOWN);
        if self.ip_cache.len() >= MAX_CACHED_IPS {
            self.ip_cache.clear();
        }
        self.ip_cache.insert(ip.to_string(), c);
        c
    }

    /// Drains the batch into store rows.
    pub fn take(&mut self) -> (Vec<RouteHour>, Vec<CountryHour>) {
        self.index.clear();
        self.per_hour.clear();
        self.ip_cache.clear();
        let countries = self
            .countries
            .drain()
            .map(|((hour, c), counts)| CountryHour {
                hour,
                country: String::from_utf8_lossy(&c).into_owned(),
                counts,
            })
            .collect();
        (std::mem::take(&mut self.routes), countries)
    }
}

fn kind_tag(k: ClientKind) -> char {
    match k {
        ClientKind::Principal => 'p',
        ClientKind::ApiKey => 'k',
        ClientKind::Iam => 'i',
        ClientKind::Ip => 'a',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_client_and_minute() {
        let mut a = BatchAggregator::default();
        a.observe(ClientKind::Ip, "1.1.1.1", 0, 200, 1, None, "/a", Some("1.1.1.1"));
        a.observe(ClientKind::Ip, "1.1.1.1", 0, 404, 1, None, "/b", Some("1.1.1.1"));
        a.observe(ClientKind::Ip, "1.1.1.1", 60_000, 200, 1, None, "/a", Some("1.1.1.1"));
        // Same value, different kind: a different client.
        a.observe(ClientKind::Principal, "1.1.1.1", 0, 200, 1, None, "/a", None);
        assert_eq!(a.events(), 4);
        let mut rows = a.take();
        rows.sort_by(|x, y| (&x.client, x.minute).cmp(&(&y.client, y.minute)));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].client.kind, ClientKind::Principal);
        assert_eq!(rows[1].agg.counts.total, 2);
        assert_eq!(rows[1].agg.counts.s404, 1);
        assert_eq!(rows[1].agg.distinct_paths(), 2);
        assert_eq!(rows[2].minute, 60_000);
        assert_eq!(a.events(), 0);
        assert!(a.take().is_empty());
    }

    #[test]
    fn routes_are_templates_with_methods_and_capped_per_hour() {
        let lookup = CountryLookup::new(|ip| match ip.to_string().as_str() {
            "192.0.2.1" => Some(*b"DE"),
            _ => None,
        });
        let mut t = TrafficAggregator::new(Some(lookup));
        let h = 3_600_000;
        t.observe(h, Some("abc123"), Some("GET"), Some("/orders/{id}"), Some("192.0.2.1"), 403, 10);
        t.observe(h, Some("abc123"), Some("GET"), Some("/orders/{id}"), Some("192.0.2.1"), 200, 10);
        // HTTP API route keys already carry the method.
        t.observe(h, Some("abc123"), Some("POST"), Some("POST /login"), Some("198.51.100.7"), 429, 0);
        t.observe(h, None, Some("GET"), None, Some("not an ip"), 200, 0);
        for i in 0..MAX_ROUTES_PER_HOUR + 10 {
            t.observe(2 * h, Some("x"), Some("GET"), Some(&format!("/r{i}")), None, 404, 0);
        }
        let (mut routes, mut countries) = t.take();
        routes.sort_by(|a, b| (a.hour, &a.api, &a.route).cmp(&(b.hour, &b.api, &b.route)));
        let first: Vec<_> = routes
            .iter()
            .filter(|r| r.hour == h)
            .map(|r| (r.api.as_str(), r.route.as_str(), r.counts.total, r.counts.s403))
            .collect();
        assert_eq!(
            first,
            [("-", "(none)", 1, 0), ("abc123", "GET /orders/{id}", 2, 1), ("abc123", "POST /login", 1, 0)]
        );
        let second: Vec<_> = routes.iter().filter(|r| r.hour == 2 * h).collect();
        assert_eq!(second.len(), MAX_ROUTES_PER_HOUR + 1, "capped, plus the (other) bucket");
        let other = second.iter().find(|r| r.route == traffic::OTHER).unwrap();
        assert_eq!(other.counts.total, 10);
        assert_eq!(second.iter().map(|r| r.counts.total).sum::<u64>(), MAX_ROUTES_PER_HOUR as u64 + 10);
        countries.sort_by(|a, b| (a.hour, &a.country).cmp(&(b.hour, &b.country)));
        let c: Vec<_> = countries.iter().map(|c| (c.hour, c.country.as_str(), c.counts.total)).collect();
        assert_eq!(c, [(h, "--", 2), (h, "DE", 2), (2 * h, "--", MAX_ROUTES_PER_HOUR as u64 + 10)]);
        assert_eq!(t.take().0.len(), 0);
    }

    #[test]
    fn without_a_lookup_every_country_is_unknown() {
        let mut t = TrafficAggregator::new(None);
        t.observe(0, None, None, Some("/a"), Some("192.0.2.1"), 200, 0);
        let (_, countries) = t.take();
        assert_eq!(countries[0].country, traffic::UNKNOWN_COUNTRY);
    }
}
