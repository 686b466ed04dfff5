//! Event-time helpers. gatewatch windows follow the log's own timestamps (ARCHITECTURE.md, invariant 3);
//! these functions convert between epoch milliseconds, minutes and RFC 3339 without ever
//! consulting the wall clock.

use chrono::{DateTime, SecondsFormat, Utc};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

/// Start of the minute that contains `ms` (epoch milliseconds, UTC).
#[inline]
pub fn minute_floor(ms: i64) -> i64 {
    ms.div_euclid(MINUTE_MS) * MINUTE_MS
}

/// Start of the period of length `step_ms` that contains `ms`.
#[inline]
pub fn floor_to(ms: i64, step_ms: i64) -> i64 {
    ms.div_euclid(step_ms) * step_ms
}

/// RFC 3339 with second precision (`2026-11-24T14:40:00Z`).
pub fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| ms.to_string())
}

/// Serialises epoch milliseconds as [`rfc3339`] (`#[serde(serialize_with = …)]`).
pub fn serialize_rfc3339<S: serde::Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*ms))
}

/// Parses an API time parameter: RFC 3339 or epoch milliseconds.
pub fn parse_time_param(s: &str) -> Option<i64> {
    if let Ok(ms) = s.parse::<i64>() {
        return Some(ms);
    }
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp_millis())
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), H. Hinnant's algorithm.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_and_formats() {
        assert_eq!(minute_floor(61_001), 60_000);
        assert_eq!(minute_floor(-1), -60_000);
        assert_eq!(rfc3339(1_764_000_000_000), "2025-11-24T16:00:00Z");
        assert_eq!(parse_time_param("2025-11-24T16:00:00Z"), Some(1_764_000_000_000));
        assert_eq!(parse_time_param("1764000000000"), Some(1_764_000_000_000));
        assert_eq!(parse_time_param("yesterday"), None);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 11, 24), 20_781);
    }
}
