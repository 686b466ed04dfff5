//! The aggregate of one client over one minute of event time: counters plus three mergeable
//! sketches (latency t-digest, HLL of distinct paths, HLL of distinct source IPs).
//!
//! Everything here merges: two aggregates of the same client-minute built from different
//! batches combine into the aggregate of the union of their events, so minutes roll up into
//! hours and a late event can be folded into a row already stored. The sketches serialise in
//! the Apache DataSketches binary formats, which are stable across versions and languages.

use crate::error::Error;
use datasketches::hll::{HllSketch, HllType, HllUnion};
use datasketches::tdigest::TDigestMut;

/// log2 of the HLL register count: 2^11 registers gives ~2.3% relative error in dense mode;
/// small cardinalities (the common case per client-minute) stay in the exact, compact list mode.
const HLL_LG_K: u8 = 11;
/// t-digest compression: 100 centroids keeps p95 within ~1% rank error.
const TDIGEST_K: u16 = 100;

/// What the store writes for an aggregate besides its counters (see [`MinuteAgg::encode`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    pub latency_p50_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
    pub distinct_paths: u64,
    pub distinct_ips: u64,
    /// DataSketches t-digest (double precision); `None` when no record carried a latency.
    pub latency: Option<Vec<u8>>,
    /// DataSketches HLL images.
    pub paths: Vec<u8>,
    pub ips: Vec<u8>,
}

/// Plain counters of a client-minute. Field names are the metric names (ARCHITECTURE.md, "Shapes").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub total: u64,
    pub s2xx: u64,
    pub s3xx: u64,
    pub s4xx: u64,
    pub s401: u64,
    pub s403: u64,
    pub s404: u64,
    pub s429: u64,
    pub s5xx: u64,
    pub bytes: u64,
}

impl Counts {
    /// Counts one response with HTTP `status` and `bytes` of body.
    #[inline]
    pub fn observe(&mut self, status: u16, bytes: u64) {
        self.total += 1;
        self.bytes += bytes;
        match status {
            200..=299 => self.s2xx += 1,
            300..=399 => self.s3xx += 1,
            400..=499 => {
                self.s4xx += 1;
                match status {
                    401 => self.s401 += 1,
                    403 => self.s403 += 1,
                    404 => self.s404 += 1,
                    429 => self.s429 += 1,
                    _ => {}
                }
            }
            500..=599 => self.s5xx += 1,
            _ => {}
        }
    }

    pub fn add(&mut self, o: &Counts) {
        self.total += o.total;
        self.s2xx += o.s2xx;
        self.s3xx += o.s3xx;
        self.s4xx += o.s4xx;
        self.s401 += o.s401;
        self.s403 += o.s403;
        self.s404 += o.s404;
        self.s429 += o.s429;
        self.s5xx += o.s5xx;
        self.bytes += o.bytes;
    }
}

/// Every metric of an aggregate by its name (ARCHITECTURE.md, "Shapes"): what the API serves
/// for a client over a range or a step. Latencies are rounded to 0.1 ms.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metrics {
    #[serde(flatten)]
    pub counts: Counts,
    pub latency_p50_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
    pub latency_max_ms: Option<f64>,
    pub distinct_paths: u64,
    pub distinct_ips: u64,
}

/// Counters and sketches of one client over one minute (or any merged range).
pub struct MinuteAgg {
    pub counts: Counts,
    /// Largest observed latency in ms; `None` when no record carried a latency.
    pub latency_max_ms: Option<f64>,
    latency: Option<TDigestMut>,
    paths: HllSketch,
    ips: HllSketch,
}

impl Default for MinuteAgg {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for MinuteAgg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MinuteAgg")
            .field("counts", &self.counts)
            .field("latency_max_ms", &self.latency_max_ms)
            .field("distinct_paths", &self.distinct_paths())
            .field("distinct_ips", &self.distinct_ips())
            .finish()
    }
}

fn new_hll() -> HllSketch {
    HllSketch::new(HLL_LG_K, HllType::Hll8).expect("constant lg_k is valid")
}

fn union_hll(a: &HllSketch, b: &HllSketch) -> HllSketch {
    let mut u = HllUnion::new(HLL_LG_K).expect("constant lg_k is valid");
    u.update(a);
    u.update(b);
    u.to_sketch(HllType::Hll8)
}

impl MinuteAgg {
    pub fn new() -> Self {
        Self {
            counts: Counts::default(),
            latency_max_ms: None,
            latency: None,
            paths: new_hll(),
            ips: new_hll(),
        }
    }

    /// Folds one request into the aggregate. `path` is the request path (or route template when
    /// the log carries no concrete path); `ip` the source IP, if known.
    #[inline]
    pub fn observe(
        &mut self,
        status: u16,
        bytes: u64,
        latency_ms: Option<f64>,
        path: &str,
        ip: Option<&str>,
    ) {
        self.counts.observe(status, bytes);
        if let Some(l) = latency_ms.filter(|l| l.is_finite() && *l >= 0.0) {
            self.latency
                .get_or_insert_with(|| TDigestMut::new(TDIGEST_K).expect("constant k is valid"))
                .update(l);
            self.latency_max_ms = Some(self.latency_max_ms.map_or(l, |m| m.max(l)));
        }
        if !path.is_empty() {
            self.paths.update(path.as_bytes());
        }
        if let Some(ip) = ip {
            self.ips.update(ip.as_bytes());
        }
    }

    /// Merges `other` into `self` (same client; any minutes). To fold many aggregates into
    /// one, [`Merger`] is cheaper: each merge here rebuilds both HLL sketches through a union.
    pub fn merge(&mut self, other: &MinuteAgg) {
        self.merge_counts_and_latency(other);
        if !other.paths.is_empty() {
            self.paths = union_hll(&self.paths, &other.paths);
        }
        if !other.ips.is_empty() {
            self.ips = union_hll(&self.ips, &other.ips);
        }
    }

    fn merge_counts_and_latency(&mut self, other: &MinuteAgg) {
        self.counts.add(&other.counts);
        self.latency_max_ms = match (self.latency_max_ms, other.latency_max_ms) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        match (&mut self.latency, &other.latency) {
            (Some(a), Some(b)) => a.merge(b),
            (None, Some(b)) => self.latency = Some(b.clone()),
            _ => {}
        }
    }

    fn quantile(&self, rank: f64) -> Option<f64> {
        // Quantiles need a compressed view; work on a clone so `&self` stays shared.
        let mut t = self.latency.clone()?;
        t.quantile(rank).ok().flatten()
    }

    pub fn latency_p50_ms(&self) -> Option<f64> {
        self.quantile(0.5)
    }

    pub fn latency_p95_ms(&self) -> Option<f64> {
        self.quantile(0.95)
    }

    pub fn distinct_paths(&self) -> u64 {
        self.paths.estimate().round() as u64
    }

    pub fn distinct_ips(&self) -> u64 {
        self.ips.estimate().round() as u64
    }

    /// Every metric by name, latencies rounded to 0.1 ms.
    pub fn metrics(&self) -> Metrics {
        let tenth = |v: Option<f64>| v.map(|x| (x * 10.0).round() / 10.0);
        Metrics {
            counts: self.counts,
            latency_p50_ms: tenth(self.latency_p50_ms()),
            latency_p95_ms: tenth(self.latency_p95_ms()),
            latency_max_ms: tenth(self.latency_max_ms),
            distinct_paths: self.distinct_paths(),
            distinct_ips: self.distinct_ips(),
        }
    }

    /// The stored form: derived columns and serialised sketches, computed in one go. The
    /// t-digest is compressed in place (which changes no answer it gives) instead of cloned once
    /// per quantile and once more to serialise: the store writes every row, so this is per row.
    pub fn encode(&mut self) -> Encoded {
        let (latency_p50_ms, latency_p95_ms, latency) = match self.latency.as_mut() {
            Some(t) => {
                let q = t.quantiles(&[0.5, 0.95]).ok().flatten();
                let q = |i: usize| q.as_ref().and_then(|q| q.get(i).copied());
                (q(0), q(1), Some(t.serialize()))
            }
            None => (None, None, None),
        };
        Encoded {
            latency_p50_ms,
            latency_p95_ms,
            distinct_paths: self.distinct_paths(),
            distinct_ips: self.distinct_ips(),
            latency,
            paths: self.paths.serialize(),
            ips: self.ips.serialize(),
        }
    }

    /// Rebuilds an aggregate from stored columns.
    pub fn from_parts(
        counts: Counts,
        latency_max_ms: Option<f64>,
        latency: Option<&[u8]>,
        paths: &[u8],
        ips: &[u8],
    ) -> Result<Self, Error> {
        let bad = |what: &str, e: datasketches::error::Error| Error::Corrupt(format!("{what} sketch: {e}"));
        Ok(Self {
            counts,
            latency_max_ms,
            latency: latency.map(TDigestMut::deserialize).transpose().map_err(|e| bad("latency", e))?,
            paths: HllSketch::deserialize(paths).map_err(|e| bad("paths", e))?,
            ips: HllSketch::deserialize(ips).map_err(|e| bad("ips", e))?,
        })
    }
}

/// Folds many aggregates of one client (minutes into an hour, a range into a total) into one.
/// The HLL unions stay open across the inputs and become sketches once, in [`Merger::finish`];
/// [`MinuteAgg::merge`] has to build a union and a new sketch per call.
pub struct Merger {
    agg: MinuteAgg,
    paths: Option<HllUnion>,
    ips: Option<HllUnion>,
}

impl Default for Merger {
    fn default() -> Self {
        Self::new()
    }
}

impl Merger {
    pub fn new() -> Self {
        Self { agg: MinuteAgg::new(), paths: None, ips: None }
    }

    pub fn add(&mut self, other: &MinuteAgg) {
        self.agg.merge_counts_and_latency(other);
        let open = || HllUnion::new(HLL_LG_K).expect("constant lg_k is valid");
        if !other.paths.is_empty() {
            self.paths.get_or_insert_with(open).update(&other.paths);
        }
        if !other.ips.is_empty() {
            self.ips.get_or_insert_with(open).update(&other.ips);
        }
    }

    pub fn finish(self) -> MinuteAgg {
        let mut agg = self.agg;
        if let Some(u) = self.paths {
            agg.paths = u.to_sketch(HllType::Hll8);
        }
        if let Some(u) = self.ips {
            agg.ips = u.to_sketch(HllType::Hll8);
        }
        agg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_classes_are_counted() {
        let mut c = Counts::default();
        for s in [200, 204, 301, 401, 403, 404, 429, 418, 500, 503, 99] {
            c.observe(s, 10);
        }
        assert_eq!((c.total, c.s2xx, c.s3xx, c.s4xx, c.s5xx), (11, 2, 1, 5, 2));
        assert_eq!((c.s401, c.s403, c.s404, c.s429, c.bytes), (1, 1, 1, 1, 110));
    }

    #[test]
    fn merge_equals_single_pass() {
        let mut whole = MinuteAgg::new();
        let mut a = MinuteAgg::new();
        let mut b = MinuteAgg::new();
        for i in 0..500u64 {
            let path = format!("/items/{}", i % 120);
            let ip = format!("10.0.{}.{}", i % 7, i % 3);
            let lat = Some((i % 100) as f64);
            whole.observe(200, i, lat, &path, Some(&ip));
            let half = if i % 2 == 0 { &mut a } else { &mut b };
            half.observe(200, i, lat, &path, Some(&ip));
        }
        a.merge(&b);
        assert_eq!(a.counts, whole.counts);
        assert_eq!(a.distinct_paths(), whole.distinct_paths());
        assert_eq!(a.distinct_ips(), 21);
        assert_eq!(a.latency_max_ms, Some(99.0));
        let p95 = a.latency_p95_ms().unwrap();
        assert!((90.0..=99.0).contains(&p95), "p95 {p95}");
    }

    #[test]
    fn merger_equals_merge_one_by_one() {
        // Minutes of one client: small ones (HLL list mode), large ones (dense), empty ones.
        let minutes: Vec<MinuteAgg> = (0..90u64)
            .map(|m| {
                let mut a = MinuteAgg::new();
                for i in 0..(m * 37 % 400) {
                    let path = format!("/items/{}", (i * 7 + m * 13) % 3_000);
                    let ip = format!("10.{}.{}.{}", m % 5, i % 11, i % 250);
                    a.observe(
                        [200, 401, 404, 503][(i % 4) as usize],
                        i,
                        Some(((i * m) % 977) as f64),
                        &path,
                        Some(&ip),
                    );
                }
                a
            })
            .collect();
        let mut one_by_one = MinuteAgg::new();
        let mut merger = Merger::new();
        for a in &minutes {
            one_by_one.merge(a);
            merger.add(a);
        }
        let merged = merger.finish();
        assert!(merged.distinct_paths() > 2_000, "{}", merged.distinct_paths());
        assert_eq!(merged.counts, one_by_one.counts);
        assert_eq!(merged.latency_max_ms, one_by_one.latency_max_ms);
        assert_eq!(merged.latency_p95_ms(), one_by_one.latency_p95_ms());
        assert_eq!(merged.distinct_paths(), one_by_one.distinct_paths());
        assert_eq!(merged.distinct_ips(), one_by_one.distinct_ips());
        let empty = Merger::new().finish();
        assert_eq!(
            (empty.counts, empty.distinct_paths(), empty.latency_max_ms),
            (Counts::default(), 0, None)
        );
    }

    #[test]
    fn sketches_round_trip_through_bytes() {
        let mut a = MinuteAgg::new();
        for i in 0..50 {
            a.observe(404, 1, Some(i as f64), &format!("/p/{i}"), Some("192.0.2.1"));
        }
        let (p50, p95) = (a.latency_p50_ms(), a.latency_p95_ms());
        let e = a.encode();
        assert_eq!((e.latency_p50_ms, e.latency_p95_ms), (p50, p95), "encoding changes no answer");
        assert_eq!((e.distinct_paths, e.distinct_ips), (50, 1));
        let (lat, paths, ips) = (e.latency, e.paths, e.ips);
        let b = MinuteAgg::from_parts(a.counts, a.latency_max_ms, lat.as_deref(), &paths, &ips).unwrap();
        assert_eq!(b.distinct_paths(), 50);
        assert_eq!(b.distinct_ips(), 1);
        assert_eq!(b.latency_p50_ms(), a.latency_p50_ms());
        assert!(MinuteAgg::from_parts(a.counts, None, None, b"junk", &ips).is_err());
    }
}
