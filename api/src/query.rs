//! Typed query parameters: each route declares a struct (`Deserialize` with
//! `deny_unknown_fields`, and `IntoParams` for the OpenAPI document) and takes it through
//! [`Query`]. Every rejection is a problem document that names the parameter at fault.

use crate::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use gatewatch_core::time::parse_time_param;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

/// The query string deserialised into `T`.
pub(crate) struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parse(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// Deserialises a query string; the error names the parameter.
pub(crate) fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // serde names unknown, missing and repeated fields in backquotes (and lists the known ones
        // after an unknown one).
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        match quoted.first() {
            Some(name) if message.starts_with("unknown field") => {
                if quoted.len() == 1 {
                    ApiError::bad_param(name, "this route takes no parameters")
                } else {
                    ApiError::bad_param(
                        name,
                        format!("unknown parameter; this route takes {}", quoted[1..].join(", ")),
                    )
                }
            }
            Some(name) if message.starts_with("missing field") => ApiError::bad_param(name, "required"),
            Some(name) if message.starts_with("duplicate field") => {
                ApiError::bad_param(name, "given more than once")
            }
            _ => ApiError::bad_param(&path, plain(&message)),
        }
    })
}

/// serde's wording for a value, in the API's: the allowed values listed, numbers as numbers.
fn plain(message: &str) -> String {
    if message.starts_with("unknown variant") {
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        if let Some((given, allowed)) = quoted.split_first() {
            return format!("`{given}` is not one of {}", allowed.join(", "));
        }
    }
    if ["invalid digit", "parse integer", "too large", "too small"].iter().any(|m| message.contains(m)) {
        return "expected a whole number".into();
    }
    message.to_string()
}

/// A route that takes no query parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoParams {}

/// 9999-12-31T23:59:59.999Z, the latest time a parameter may name.
const LATEST_TIME_MS: i64 = 253_402_300_799_999;

/// A time parameter: RFC 3339 or epoch milliseconds, held as epoch milliseconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Time(pub i64);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let t = parse_time_param(&s).ok_or_else(|| {
            D::Error::custom("expected RFC 3339 (2026-11-24T14:00:00Z) or epoch milliseconds")
        })?;
        // Bounded, so the range arithmetic that follows never overflows.
        if !(0..=LATEST_TIME_MS).contains(&t) {
            return Err(D::Error::custom("expected a time from 1970 to 9999"));
        }
        Ok(Time(t))
    }
}

/// `value` when within `range`, else a problem naming `name`; `default` when absent.
pub(crate) fn bounded<T: PartialOrd + Copy + std::fmt::Display>(
    name: &str,
    value: Option<T>,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ApiError> {
    let v = value.unwrap_or(default);
    if range.contains(&v) {
        Ok(v)
    } else {
        Err(ApiError::bad_param(
            name,
            format!("expected an integer from {} to {}", range.start(), range.end()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct P {
        limit: Option<u32>,
        from: Option<Time>,
        metric: Option<gatewatch_core::Metric>,
    }

    fn named(q: &str) -> String {
        parse::<P>(q).err().and_then(|e| e.param).unwrap_or_default()
    }

    #[test]
    fn every_rejection_names_its_parameter() {
        assert_eq!(named("limit=x"), "limit");
        assert_eq!(named("from=yesterday"), "from");
        assert_eq!(named("metric=s418"), "metric");
        assert_eq!(named("bogus=1"), "bogus");
        assert_eq!(named("limit=1&limit=2"), "limit");
        let e = parse::<NoParams>("x=1").err().unwrap();
        assert_eq!((e.param.as_deref(), e.detail.as_str()), (Some("x"), "this route takes no parameters"));
        let reason = |q: &str| parse::<P>(q).err().map(|e| e.detail).unwrap_or_default();
        assert_eq!(reason("limit=abc"), "expected a whole number");
        assert_eq!(reason("limit=99999999999"), "expected a whole number");
        assert!(
            reason("metric=s418").starts_with("`s418` is not one of total, s2xx"),
            "{}",
            reason("metric=s418")
        );
        let p = parse::<P>("limit=7&from=2026-11-24T14:00:00Z&metric=latency_p95_ms").unwrap();
        assert_eq!((p.limit, p.from.map(|t| t.0)), (Some(7), Some(1_795_528_800_000)));
        assert!(matches!(p.metric, Some(gatewatch_core::Metric::LatencyP95Ms)));
    }
}
