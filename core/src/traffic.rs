//! Hourly traffic per route and per country: what reports rank and compare week over week.
//!
//! Rows are plain counters ([`Counts`]), so they merge additively; a batch's rows commit in
//! the same transaction as its checkpoint (`gatewatch_store::BatchStore::commit_batch`), so a replay
//! after a crash never counts them twice. Routes are route *templates* (`resourcePath`,
//! `routeKey`), never concrete request paths, and their number is capped per batch and hour.

use crate::agg::Counts;
use std::net::IpAddr;
use std::sync::Arc;

/// Country of a request whose source address is unknown, unparsable or not in the database.
pub const UNKNOWN_COUNTRY: &str = "--";
/// API of a record without `apiId` or `domainName`.
pub const NO_API: &str = "-";
/// Route of a record without a route template (e.g. CLF lines, which log only the path).
pub const NO_ROUTE: &str = "(none)";
/// The bucket for routes past the per-batch, per-hour cap (API and route both).
pub const OTHER: &str = "(other)";
/// Longest API or route name stored; longer ones are cut at a character boundary.
pub const MAX_NAME_BYTES: usize = 200;

/// The traffic of one route (API + method and template) in one hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteHour {
    /// Epoch ms of the hour start.
    pub hour: i64,
    pub api: String,
    /// `METHOD /template` (REST `resourcePath`), or the HTTP API `routeKey` as logged.
    pub route: String,
    pub counts: Counts,
}

/// The traffic from one country (ISO 3166 alpha-2, or `--`) in one hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryHour {
    pub hour: i64,
    pub country: String,
    pub counts: Counts,
}

/// Source address → ISO country code. The pipeline does not know where the answer comes
/// from; the binary injects a GeoIP database (or nothing: every country is then `--`).
#[derive(Clone)]
pub struct CountryLookup(Arc<dyn Fn(IpAddr) -> Option<[u8; 2]> + Send + Sync>);

impl CountryLookup {
    pub fn new(f: impl Fn(IpAddr) -> Option<[u8; 2]> + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    #[inline]
    pub fn lookup(&self, ip: IpAddr) -> Option<[u8; 2]> {
        (self.0)(ip)
    }
}

impl std::fmt::Debug for CountryLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CountryLookup")
    }
}

/// `s` cut to at most [`MAX_NAME_BYTES`] at a character boundary.
pub fn bounded_name(s: &str) -> &str {
    if s.len() <= MAX_NAME_BYTES {
        return s;
    }
    let mut end = MAX_NAME_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_at_char_boundaries() {
        assert_eq!(bounded_name("GET /a"), "GET /a");
        let long = "é".repeat(150);
        let cut = bounded_name(&long);
        assert!(cut.len() <= MAX_NAME_BYTES && cut.len() >= MAX_NAME_BYTES - 1);
        assert!(long.starts_with(cut));
    }

    #[test]
    fn lookup_calls_the_injected_function() {
        let l = CountryLookup::new(|ip| ip.is_loopback().then_some(*b"ZZ"));
        assert_eq!(l.lookup("127.0.0.1".parse().unwrap()), Some(*b"ZZ"));
        assert_eq!(l.lookup("192.0.2.1".parse().unwrap()), None);
    }
}
