//! The one error type of the store crate. Messages name the URL, table or column involved,
//! never a password (see [`crate::redact_url`]).

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database URL `{url}`: {reason}")]
    Url { url: String, reason: String },
    /// A change the store refuses (e.g. reopening an alert by hand).
    #[error("{0}")]
    Refused(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A domain value read back from the store did not decode (a sketch, a client kind).
    #[error(transparent)]
    Core(#[from] gatewatch_core::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
