//! gatewatch core: the domain model (clients, metrics, minute aggregates, alerts, suppressions)
//! and event-time helpers. The store lives in `gatewatch-store`; each crate owns its sections
//! of the configuration, which `gatewatch-config` composes.
//!
//! Everything else depends on this crate; it depends on none of them.

pub mod agg;
pub mod alert;
pub mod error;
pub mod model;
pub mod net;
pub mod suppression;
pub mod time;
pub mod traffic;

pub use agg::{Counts, MinuteAgg};
pub use alert::{Alert, AlertKind, Observation, Observer, Rule, Severity, Status, Subject, SubjectKind};
pub use error::{Error, Result};
pub use model::{ClientKey, ClientKind, Metric};
pub use suppression::Suppression;
pub use traffic::{CountryHour, CountryLookup, RouteHour};
