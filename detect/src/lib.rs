//! Detectors: per-client baselines, the credential-abuse / scraping / geo rules, GeoIP lookups
//! and the alert lifecycle.
//!
//! Not built yet. The detector consumes the per-client minute aggregates that `gatewatch-ingest`
//! produces (on event time, per closed window) and writes alerts through the core `Store`.
//! It must never see raw log text: only scrubbed fields and fingerprints reach it.
