//! gatewatch core: the domain model (clients, metrics, minute aggregates, alerts), the one
//! configuration type and event-time helpers. The store lives in `gatewatch-store`.
//!
//! Everything else depends on this crate; it depends on none of them.

pub mod agg;
pub mod alert;
pub mod config;
pub mod error;
pub mod model;
pub mod net;
pub mod sources;
pub mod time;
pub mod traffic;

pub use agg::{Counts, MinuteAgg};
pub use alert::{Alert, AlertKind, Observation, Observer, Rule, Severity, Status, Subject, SubjectKind};
pub use config::Config;
pub use error::{Error, Result};
pub use model::{ClientKey, ClientKind, Metric};
pub use traffic::{CountryHour, CountryLookup, RouteHour};
