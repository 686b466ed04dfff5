//! Why a record was dead-lettered. The message stored with the dead letter and the bounded
//! `reason` label of `gatewatch_dead_letters_total` both come from one [`DeadReason`], so the
//! metric cannot drift from the message. Messages never quote the record (ARCHITECTURE.md,
//! invariant 1): they name sizes, byte offsets, fields and settings.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadReason {
    /// An event longer than `ingest.max_line_bytes`.
    TooLong { bytes: usize, max: usize },
    /// Not UTF-8 from this byte on.
    Utf8 { at: usize },
    /// A gzip member that is corrupt, truncated or decompresses past its bound.
    Gzip(String),
    /// A base64 line or record that does not decode.
    Base64(String),
    /// A CloudWatch Logs envelope that is not one.
    Envelope(String),
    /// A timestamp that is missing, too old or too far ahead of the clock.
    Timestamp(String),
    /// A record that does not parse, or names no client.
    Parse(String),
}

impl DeadReason {
    /// Every label, for zero-valued series before traffic.
    pub const LABELS: [&'static str; 7] =
        ["too_long", "gzip", "base64", "utf8", "envelope", "timestamp", "parse"];

    /// The metric label: one of [`DeadReason::LABELS`].
    pub fn label(&self) -> &'static str {
        match self {
            DeadReason::TooLong { .. } => "too_long",
            DeadReason::Utf8 { .. } => "utf8",
            DeadReason::Gzip(_) => "gzip",
            DeadReason::Base64(_) => "base64",
            DeadReason::Envelope(_) => "envelope",
            DeadReason::Timestamp(_) => "timestamp",
            DeadReason::Parse(_) => "parse",
        }
    }
}

impl fmt::Display for DeadReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeadReason::TooLong { bytes, max } => {
                write!(f, "line of {bytes} bytes exceeds ingest.max_line_bytes ({max})")
            }
            DeadReason::Utf8 { at } => write!(f, "invalid UTF-8 at byte {at}"),
            DeadReason::Gzip(m)
            | DeadReason::Base64(m)
            | DeadReason::Envelope(m)
            | DeadReason::Timestamp(m)
            | DeadReason::Parse(m) => f.write_str(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_known_label_and_a_message() {
        let all = [
            DeadReason::TooLong { bytes: 11_000_000, max: 1_048_576 },
            DeadReason::Gzip("gzip member decompresses past 1 bytes".into()),
            DeadReason::Base64("invalid base64".into()),
            DeadReason::Utf8 { at: 3 },
            DeadReason::Envelope("unknown CWL messageType".into()),
            DeadReason::Timestamp("timestamp before 2000-01-01".into()),
            DeadReason::Parse("missing field `status`".into()),
        ];
        let labels: Vec<&str> = all.iter().map(DeadReason::label).collect();
        assert_eq!(labels, DeadReason::LABELS);
        assert_eq!(all[0].to_string(), "line of 11000000 bytes exceeds ingest.max_line_bytes (1048576)");
        assert_eq!(all[3].to_string(), "invalid UTF-8 at byte 3");
        assert_eq!(all[6].to_string(), "missing field `status`");
    }
}
