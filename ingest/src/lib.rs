//! gatewatch ingest: sources, envelope decoding, access-log parsing and per-batch aggregation.
//!
//! Data flow inside this crate: a source ([`replay`] for files and stdin) feeds bytes to the
//! [`pipeline::Reader`], which decodes envelopes, scrubs each line ([`scrub`]), parses it ([`parse`]), picks the client
//! key and folds records into the [`aggregate::BatchAggregator`]. Each full batch goes, with the
//! source position it reached, to the store in one transaction.

pub mod aggregate;
#[cfg(feature = "aws")]
pub mod aws;
pub mod config;
#[cfg(feature = "aws")]
pub mod cwl;
pub mod dead;
pub mod firehose;
pub mod identity;
#[cfg(feature = "aws")]
pub mod kinesis;
pub mod layout;
pub mod lines;
pub mod live;
pub mod metrics;
pub mod parse;
pub mod pipeline;
pub mod replay;
pub mod scrub;

pub use pipeline::{IngestError, InputFormat, Progress, ReadSummary, Settings};
