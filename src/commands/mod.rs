//! One module per command (or group of helpers commands share); `main.rs` only dispatches.

pub(crate) mod alerts;
pub(crate) mod demo;
pub(crate) mod replay;
pub(crate) mod scrub;
pub(crate) mod serve;
pub(crate) mod store;
pub(crate) mod token;
pub(crate) mod wiring;
