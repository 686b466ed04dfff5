//! Access-log parsers: API Gateway JSON access logs (REST and HTTP API variants, any field
//! naming through aliases) and AWS's CLF access-log format, into one borrowed [`AccessRecord`].
//!
//! The per-event hot path: JSON is read by sonic-rs (SIMD) through serde, values borrow from the
//! input line whenever JSON escaping allows, no value tree is built, unknown fields are skipped
//! without allocation. Errors name the field and the JSON type but never echo the value: parse
//! errors end up in dead letters, and a value may be a secret (ARCHITECTURE.md, invariant 1).

use foldhash::{HashMap, HashMapExt};
use gatewatch_core::time::days_from_civil;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The access-log fields gatewatch understands, by their names in AWS's documented examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    RequestId,
    Ip,
    Caller,
    User,
    UserArn,
    RequestTime,
    RequestTimeEpoch,
    HttpMethod,
    ResourcePath,
    RouteKey,
    Path,
    Status,
    Protocol,
    ResponseLength,
    UserAgent,
    ApiKeyId,
    PrincipalId,
    AuthorizerError,
    ErrorMessage,
    IntegrationLatency,
    ResponseLatency,
    DomainName,
    Stage,
    WafResponseCode,
    ApiId,
    /// An `Authorization` header mapped into the access log (`$method.request.header.Authorization`
    /// in a custom format): its credential's pseudonym names a caller that has no principal.
    Authorization,
}

impl Field {
    /// (AWS name, field, built-in aliases seen in common custom formats).
    const NAMES: &'static [(&'static str, Field, &'static [&'static str])] = &[
        ("requestId", Field::RequestId, &["request_id", "extendedRequestId"]),
        ("ip", Field::Ip, &["sourceIp", "source_ip", "clientIp"]),
        ("caller", Field::Caller, &[]),
        ("user", Field::User, &[]),
        ("userArn", Field::UserArn, &[]),
        ("requestTime", Field::RequestTime, &[]),
        ("requestTimeEpoch", Field::RequestTimeEpoch, &[]),
        ("httpMethod", Field::HttpMethod, &["method", "http_method"]),
        ("resourcePath", Field::ResourcePath, &["resource"]),
        ("routeKey", Field::RouteKey, &["route"]),
        ("path", Field::Path, &[]),
        ("status", Field::Status, &["statusCode", "status_code"]),
        ("protocol", Field::Protocol, &[]),
        ("responseLength", Field::ResponseLength, &["bytes"]),
        ("userAgent", Field::UserAgent, &["user_agent"]),
        ("apiKeyId", Field::ApiKeyId, &[]),
        ("principalId", Field::PrincipalId, &["principal"]),
        ("authorizerError", Field::AuthorizerError, &[]),
        ("errorMessage", Field::ErrorMessage, &[]),
        ("integrationLatency", Field::IntegrationLatency, &[]),
        ("responseLatency", Field::ResponseLatency, &["latency"]),
        ("domainName", Field::DomainName, &[]),
        ("stage", Field::Stage, &[]),
        ("wafResponseCode", Field::WafResponseCode, &[]),
        ("apiId", Field::ApiId, &["api_id"]),
        ("authorization", Field::Authorization, &["Authorization", "authorizationHeader"]),
    ];

    pub fn aws_names() -> impl Iterator<Item = &'static str> {
        Self::NAMES.iter().map(|(n, _, _)| *n)
    }
}

/// One access-log record. Every value borrows from the input when it can.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct AccessRecord<'a> {
    /// Event time, epoch ms (from the record, else the envelope's timestamp).
    pub time_ms: i64,
    pub status: u16,
    pub ip: Option<Cow<'a, str>>,
    pub principal: Option<Cow<'a, str>>,
    pub api_key: Option<Cow<'a, str>>,
    /// IAM identity: `userArn`, else `caller`, else `user`.
    pub iam: Option<Cow<'a, str>>,
    pub method: Option<Cow<'a, str>>,
    /// Route template: `resourcePath` (REST) or `routeKey` (HTTP API).
    pub route: Option<Cow<'a, str>>,
    /// Concrete request path, when logged.
    pub path: Option<Cow<'a, str>>,
    pub bytes: u64,
    pub latency_ms: Option<f64>,
    pub request_id: Option<Cow<'a, str>>,
    pub user_agent: Option<Cow<'a, str>>,
    pub authorizer_error: Option<Cow<'a, str>>,
    pub error_message: Option<Cow<'a, str>>,
    pub waf_response_code: Option<Cow<'a, str>>,
    /// The API: `apiId`, else `domainName` (per-API policies key on either).
    pub api: Option<Cow<'a, str>>,
    /// The logged `Authorization` header (scrubbed: the scheme and a credential marker).
    pub authorization: Option<Cow<'a, str>>,
}

impl AccessRecord<'_> {
    /// The path counted for `distinct_paths`: the concrete path when logged, else the route.
    pub fn path_for_metrics(&self) -> &str {
        self.path.as_deref().or(self.route.as_deref()).unwrap_or("")
    }
}

/// Why a record could not be used. Never contains the record's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{0}")]
    Json(String),
    #[error("missing field `{0}`")]
    Missing(&'static str),
    #[error("field `{field}`: {why}")]
    BadField { field: &'static str, why: &'static str },
    #[error("missing timestamp (neither requestTimeEpoch nor requestTime, and no envelope time)")]
    NoTimestamp,
    #[error("not a CLF access-log line: {0}")]
    Clf(&'static str),
    #[error("invalid UTF-8")]
    Utf8,
}

/// Parses access-log lines. Built once from the configuration; cheap to share.
#[derive(Debug, Clone)]
pub struct Parser {
    fields: HashMap<String, Field>,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new(&Default::default()).expect("built-in names are valid")
    }
}

impl Parser {
    /// `extra` maps an AWS field name to additional JSON keys (config `[fields]`).
    pub fn new(extra: &std::collections::BTreeMap<String, Vec<String>>) -> Result<Self, String> {
        let mut fields = HashMap::new();
        for (name, f, aliases) in Field::NAMES {
            fields.insert((*name).to_string(), *f);
            for a in *aliases {
                fields.insert((*a).to_string(), *f);
            }
        }
        for (name, aliases) in extra {
            let Some((_, f, _)) = Field::NAMES.iter().find(|(n, _, _)| n == name) else {
                let known: Vec<_> = Field::aws_names().collect();
                return Err(format!(
                    "`fields.{name}`: unknown access-log field; expected one of {}",
                    known.join(", ")
                ));
            };
            for a in aliases {
                fields.insert(a.clone(), *f);
            }
        }
        Ok(Self { fields })
    }

    /// Parses one line of bytes, sniffing JSON (`{`) versus CLF; invalid UTF-8 is an error.
    pub fn parse_line<'a>(
        &self,
        line: &'a [u8],
        fallback_time_ms: Option<i64>,
    ) -> Result<AccessRecord<'a>, ParseError> {
        let text = std::str::from_utf8(line).map_err(|_| ParseError::Utf8)?;
        self.parse_text(text, fallback_time_ms)
    }

    /// Parses one line of text (the scrubber's output), sniffing JSON (`{`) versus CLF.
    pub fn parse_text<'a>(
        &self,
        line: &'a str,
        fallback_time_ms: Option<i64>,
    ) -> Result<AccessRecord<'a>, ParseError> {
        match line.bytes().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{' | b'[') => self.parse_json(line, fallback_time_ms),
            _ => parse_clf(line, fallback_time_ms),
        }
    }

    /// Parses one JSON access-log object.
    pub fn parse_json<'a>(
        &self,
        line: &'a str,
        fallback_time_ms: Option<i64>,
    ) -> Result<AccessRecord<'a>, ParseError> {
        // Text is valid UTF-8 already, so the SIMD parser borrows every string without checking.
        let mut de = sonic_rs::Deserializer::from_str(line);
        let raw = RawSeed { fields: &self.fields }.deserialize(&mut de).map_err(json_error)?;
        de.end().map_err(json_error)?;
        raw.finish(fallback_time_ms)
    }
}

/// JSON parsers' messages quote offending values (`invalid type: string "…"`, `integer
/// `4111111111111111``) and sonic-rs appends a fragment of the input after a blank line; keep
/// the shape of the message, drop the fragment, anything in double quotes or backticks, and
/// every number but a `line N` / `column N` position. A reason never quotes input.
pub(crate) fn json_error(e: impl fmt::Display) -> ParseError {
    ParseError::Json(format!("invalid JSON access log: {}", quote_free(&e.to_string())))
}

/// An error message with every piece of input it quotes replaced by `…` (see [`json_error`]).
pub(crate) fn quote_free(full: &str) -> String {
    let msg = full.split("\n\n").next().unwrap_or_default();
    let mut out = String::with_capacity(msg.len());
    let mut quote: Option<char> = None;
    let mut chars = msg.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '`') => {
                // Field names stay (`missing field `status``); values go.
                let inner: String = chars.clone().take_while(|&d| d != '`').collect();
                let name = inner.len() <= 40 && inner.chars().all(|d| d.is_ascii_alphabetic() || d == '_');
                out.push('`');
                out.push_str(if name { &inner } else { "…" });
                out.push('`');
                quote = Some(c);
            }
            (None, '"') => {
                out.push_str("\"…\"");
                quote = Some(c);
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c) if c.is_ascii_digit() => {
                let mut run = String::from(c);
                while let Some(&d) =
                    chars.peek().filter(|d| d.is_ascii_alphanumeric() || matches!(d, '.' | '-' | '+'))
                {
                    run.push(d);
                    chars.next();
                }
                if out.ends_with("line ") || out.ends_with("column ") {
                    out.push_str(&run);
                } else {
                    out.push('…');
                }
            }
            (None, c) => out.push(c),
        }
    }
    out
}

/// A JSON value of a known field: API Gateway renders `$context` variables as strings, but
/// custom formats and other emitters use numbers; both are accepted.
enum Val<'a> {
    Str(Cow<'a, str>),
    Num(f64),
    Null,
}

struct ValVisitor;

impl<'de> Visitor<'de> for ValVisitor {
    type Value = Val<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Val::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Val::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Val::Str(Cow::Owned(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Val::Num(v as f64))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Val::Num(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Val::Num(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Val::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Val::Null)
    }
}

impl<'de> de::Deserialize<'de> for Val<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValVisitor)
    }
}

/// A JSON key, borrowed unless it contains escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KV;
        impl<'de> Visitor<'de> for KV {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KV)
    }
}

/// Field values as found, before interpretation.
#[derive(Default)]
struct Raw<'a> {
    vals: [Option<Val<'a>>; 26],
}

fn slot(f: Field) -> usize {
    f as usize
}

fn field_name(f: Field) -> &'static str {
    Field::NAMES.iter().find(|(_, x, _)| *x == f).map(|(n, _, _)| *n).unwrap_or("?")
}

struct RawSeed<'p> {
    fields: &'p HashMap<String, Field>,
}

impl<'de> DeserializeSeed<'de> for RawSeed<'_> {
    type Value = Raw<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RawSeed<'_> {
    type Value = Raw<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut raw = Raw::default();
        while let Some(key) = map.next_key::<Key>()? {
            match self.fields.get(key.0.as_ref()) {
                // API Gateway does not escape `$context` values in access logs: a user agent or
                // path holding `","status":"200` repeats a field after the real one. The first
                // occurrence of a field (under any of its names) is the one API Gateway wrote,
                // even when it is "-"; a later one is skipped unread, so it can neither rewrite
                // the record nor, by its type, turn the line into a dead letter.
                Some(&f) if raw.vals[slot(f)].is_none() => {
                    let v = map
                        .next_value::<Val>()
                        .map_err(|e| de::Error::custom(format_args!("field `{}`: {e}", field_name(f))))?;
                    raw.vals[slot(f)] = Some(v);
                }
                Some(_) => {
                    map.next_value::<IgnoredAny>()?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(raw)
    }
}

/// `"-"` and empty strings mean "not present" in API Gateway logs.
fn present(v: Option<Val<'_>>) -> Option<Val<'_>> {
    match v {
        Some(Val::Str(s)) if s.is_empty() || s == "-" => None,
        Some(Val::Null) | None => None,
        v => v,
    }
}

impl<'a> Raw<'a> {
    fn take(&mut self, f: Field) -> Option<Val<'a>> {
        present(self.vals[slot(f)].take())
    }

    fn text(&mut self, f: Field) -> Option<Cow<'a, str>> {
        match self.take(f)? {
            Val::Str(s) => Some(s),
            Val::Num(n) => Some(Cow::Owned(format_num(n))),
            Val::Null => None,
        }
    }

    fn number(&mut self, f: Field) -> Result<Option<f64>, ParseError> {
        match self.take(f) {
            None => Ok(None),
            Some(Val::Num(n)) => Ok(Some(n)),
            Some(Val::Str(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or(ParseError::BadField { field: field_name(f), why: "not a number" }),
            Some(Val::Null) => Ok(None),
        }
    }

    fn finish(mut self, fallback_time_ms: Option<i64>) -> Result<AccessRecord<'a>, ParseError> {
        let status = match self.number(Field::Status)? {
            Some(s) if (100.0..=599.0).contains(&s) && s.fract() == 0.0 => s as u16,
            Some(_) => {
                return Err(ParseError::BadField { field: "status", why: "not an HTTP status (100-599)" });
            }
            None => return Err(ParseError::Missing("status")),
        };
        let time_ms = if let Some(e) = self.number(Field::RequestTimeEpoch)? {
            epoch_to_ms(e)
        } else if let Some(t) = self.text(Field::RequestTime) {
            parse_clf_time(&t).ok_or(ParseError::BadField {
                field: "requestTime",
                why: "expected dd/Mon/yyyy:HH:mm:ss +hhmm",
            })?
        } else {
            fallback_time_ms.ok_or(ParseError::NoTimestamp)?
        };
        let bytes = self.number(Field::ResponseLength)?.map_or(0, |b| b.max(0.0) as u64);
        let latency_ms = self.number(Field::ResponseLatency)?;
        let iam =
            self.text(Field::UserArn).or_else(|| self.text(Field::Caller)).or_else(|| self.text(Field::User));
        Ok(AccessRecord {
            time_ms,
            status,
            ip: self.text(Field::Ip),
            principal: self.text(Field::PrincipalId),
            api_key: self.text(Field::ApiKeyId),
            iam,
            method: self.text(Field::HttpMethod),
            route: self.text(Field::ResourcePath).or_else(|| self.text(Field::RouteKey)),
            path: self.text(Field::Path),
            bytes,
            latency_ms,
            request_id: self.text(Field::RequestId),
            user_agent: self.text(Field::UserAgent),
            authorizer_error: self.text(Field::AuthorizerError),
            error_message: self.text(Field::ErrorMessage),
            waf_response_code: self.text(Field::WafResponseCode),
            api: self.text(Field::ApiId).or_else(|| self.text(Field::DomainName)),
            authorization: self.text(Field::Authorization),
        })
    }
}

fn format_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

/// `requestTimeEpoch` is milliseconds in REST APIs and seconds in some emitters: values below
/// 10^11 (year 5138 in seconds, 1973 in ms) are taken as seconds.
fn epoch_to_ms(e: f64) -> i64 {
    if e.abs() < 1e11 { (e * 1000.0).round() as i64 } else { e.round() as i64 }
}

/// Parses `24/Nov/2026:14:40:53 +0000` (the `$context.requestTime` format) into epoch ms.
pub fn parse_clf_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 26 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' || b[20] != b' ' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + (c - b'0') as i64;
        }
        Some(v)
    };
    let day = num(0..2)?;
    let month = match &s[3..6] {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year = num(7..11)?;
    let (h, m, sec) = (num(12..14)?, num(15..17)?, num(18..20)?);
    if day == 0 || day > 31 || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let sign = match b[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let offset_min = sign * (num(22..24)? * 60 + num(24..26)?);
    let days = days_from_civil(year, month, day as u32);
    Some(((days * 86_400 + h * 3600 + m * 60 + sec) - offset_min * 60) * 1000)
}

/// `-` and empty mean "not present".
fn dash(s: &str) -> Option<Cow<'_, str>> {
    (s != "-" && !s.is_empty()).then_some(Cow::Borrowed(s))
}

/// Parses AWS's CLF access-log format, REST or HTTP API variant:
/// `ip caller user [requestTime] "method resourcePath|routeKey protocol" status responseLength requestId`.
/// Fields after the request id (custom extensions) are ignored.
pub fn parse_clf(line: &str, fallback_time_ms: Option<i64>) -> Result<AccessRecord<'_>, ParseError> {
    let line = line.trim_end_matches(['\r', '\n']);
    let mut rest = line.trim_start();
    let mut word = |what: &'static str| -> Result<&str, ParseError> {
        let end = rest.find(' ').ok_or(ParseError::Clf(what))?;
        let w = &rest[..end];
        rest = rest[end..].trim_start();
        Ok(w)
    };
    let ip = word("no source IP")?;
    let caller = word("no caller field")?;
    let user = word("no user field")?;
    let open = rest.strip_prefix('[').ok_or(ParseError::Clf("no [requestTime]"))?;
    let close = open.find(']').ok_or(ParseError::Clf("unterminated [requestTime]"))?;
    let time = &open[..close];
    let rest = open[close + 1..].trim_start();
    let quoted = rest.strip_prefix('"').ok_or(ParseError::Clf("no quoted request"))?;
    let qend = quoted.find('"').ok_or(ParseError::Clf("unterminated quoted request"))?;
    let request = &quoted[..qend];
    let mut tail = quoted[qend + 1..].split_ascii_whitespace();
    let status = tail.next().ok_or(ParseError::Missing("status"))?;
    let length = tail.next().unwrap_or("-");
    let request_id = tail.next();

    let status: u16 = status
        .parse()
        .ok()
        .filter(|s| (100..=599).contains(s))
        .ok_or(ParseError::BadField { field: "status", why: "not an HTTP status (100-599)" })?;
    let time_ms = match parse_clf_time(time) {
        Some(t) => t,
        None if time == "-" => fallback_time_ms.ok_or(ParseError::NoTimestamp)?,
        None => {
            return Err(ParseError::BadField {
                field: "requestTime",
                why: "expected dd/Mon/yyyy:HH:mm:ss +hhmm",
            });
        }
    };
    // "GET /pets HTTP/1.1" (REST) or "GET GET /pets HTTP/1.1" (HTTP API, routeKey has the method).
    let (method, route) = {
        let mut parts = request.split(' ').filter(|p| !p.is_empty());
        let method = parts.next();
        let mut middle: Vec<&str> = parts.collect();
        if middle.last().is_some_and(|p| p.starts_with("HTTP/")) {
            middle.pop();
        }
        if middle.len() == 2 && Some(middle[0]) == method {
            middle.remove(0);
        }
        let route = match middle.len() {
            0 => None,
            1 => Some(Cow::Borrowed(middle[0])),
            _ => Some(Cow::Owned(middle.join(" "))),
        };
        (method, route)
    };
    Ok(AccessRecord {
        time_ms,
        status,
        ip: dash(ip),
        iam: dash(caller).or(dash(user)),
        method: method.and_then(dash),
        route: route.filter(|r| r != "-"),
        bytes: length.parse().unwrap_or(0),
        request_id: request_id.and_then(dash),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REST: &str = r#"{"requestId":"c1","ip":"203.0.113.9","caller":"-","user":"-","requestTime":"24/Nov/2026:14:40:53 +0000","httpMethod":"GET","resourcePath":"/pets/{petId}","status":"404","protocol":"HTTP/1.1","responseLength":"120","principalId":"user-1","apiKeyId":"-","responseLatency":"38"}"#;
    const HTTP: &str = r#"{"requestId":"c2","ip":"198.51.100.2","requestTimeEpoch":"1795531253000","httpMethod":"GET","routeKey":"GET /v2/items/{id}","path":"/v2/items/7","status":"200","protocol":"HTTP/1.1","responseLength":"-"}"#;

    #[test]
    fn rest_json_fields() {
        let p = Parser::default();
        let r = p.parse_line(REST.as_bytes(), None).unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(r.time_ms, 1_795_531_253_000);
        assert_eq!(r.ip.as_deref(), Some("203.0.113.9"));
        assert_eq!(r.principal.as_deref(), Some("user-1"));
        assert_eq!(r.api_key, None);
        assert_eq!(r.iam, None);
        assert_eq!(r.route.as_deref(), Some("/pets/{petId}"));
        assert_eq!(r.bytes, 120);
        assert_eq!(r.latency_ms, Some(38.0));
        assert!(matches!(r.ip, Some(Cow::Borrowed(_))), "values borrow from the line");
    }

    #[test]
    fn a_value_that_breaks_out_of_its_quotes_cannot_rewrite_fields() {
        // API Gateway writes `$context.identity.userAgent` unescaped: this user agent repeats
        // `status` and `principalId` after the real ones.
        let injected = REST.replace(
            r#""responseLatency":"38""#,
            r#""userAgent":"x","status":"200","principalId":"admin","ip":"10.0.0.1","responseLength":{},"responseLatency":"38""#,
        );
        let r = Parser::default().parse_line(injected.as_bytes(), None).unwrap();
        assert_eq!(
            (r.status, r.principal.as_deref(), r.ip.as_deref()),
            (404, Some("user-1"), Some("203.0.113.9"))
        );
        // Nor fill a field API Gateway wrote as "-" (an unauthenticated caller posing as a
        // user), under its name or an alias.
        let anonymous = REST.replace(r#""principalId":"user-1""#, r#""principalId":"-""#);
        for name in ["principalId", "principal"] {
            let posing = anonymous
                .replace(r#""responseLatency":"38""#, &format!(r#""userAgent":"x","{name}":"admin""#));
            assert_eq!(
                Parser::default().parse_line(posing.as_bytes(), None).unwrap().principal,
                None,
                "{name}"
            );
        }
    }

    #[test]
    fn http_json_epoch_and_numbers() {
        let p = Parser::default();
        let r = p.parse_line(HTTP.as_bytes(), None).unwrap();
        assert_eq!(r.time_ms, 1_795_531_253_000);
        assert_eq!(r.route.as_deref(), Some("GET /v2/items/{id}"));
        assert_eq!(r.path_for_metrics(), "/v2/items/7");
        assert_eq!(r.bytes, 0);
        let secs = br#"{"status":503,"requestTimeEpoch":1795531253,"ip":"1.2.3.4"}"#;
        assert_eq!(p.parse_line(secs, None).unwrap().time_ms, 1_795_531_253_000);
    }

    #[test]
    fn errors_name_the_field_not_the_value() {
        let p = Parser::default();
        let e = p.parse_line(br#"{"status":{"a":1},"ip":"x"}"#, None).unwrap_err().to_string();
        assert!(e.contains("status"), "{e}");
        let e = p.parse_line(br#"{"status":"teapot","ip":"x"}"#, None).unwrap_err().to_string();
        assert!(e.contains("status") && !e.contains("teapot"), "{e}");
        let e = p.parse_line(br#"{"ip":"x","requestTime":"yesterday"}"#, None).unwrap_err();
        assert_eq!(e, ParseError::Missing("status"));
        let e = p.parse_line(br#"{"ip":"x","status":"200"}"#, None).unwrap_err();
        assert_eq!(e, ParseError::NoTimestamp);
        assert_eq!(p.parse_line(br#"{"ip":"x","status":"200"}"#, Some(5)).unwrap().time_ms, 5);
        let e = p.parse_line(br#"{"ip":"secret-value","status":"200",}"#, Some(5)).unwrap_err().to_string();
        assert!(!e.contains("secret-value"), "{e}");
        // Syntax errors keep the parser's message but none of the input around the error.
        for bad in [&br#"{"ip":"secret-value","status":"2"#[..], br#"{"ip":"secret-value" "status":"200"}"#] {
            let e = p.parse_line(bad, Some(5)).unwrap_err().to_string();
            assert!(
                e.starts_with("invalid JSON access log: ") && !e.contains("secret") && !e.contains('\n'),
                "{e}"
            );
        }
        // Numbers the parser quotes (in backticks) are dropped too; positions stay.
        for bad in [
            &br#"{"ip":"x","status":"200","httpMethod":4111111111111111}"#[..],
            br#"{"ip":4111111111111111}"#,
        ] {
            if let Err(e) = p.parse_line(bad, Some(5)) {
                let e = e.to_string();
                assert!(!e.contains("4111") && !e.contains("1111"), "{e}");
            }
        }
        let e = quote_free("invalid type: integer `4111111111111111`, expected a string at line 1 column 57");
        assert_eq!(e, "invalid type: integer `…`, expected a string at line 1 column 57");
        assert_eq!(
            quote_free("missing field `status` near 219099999 and 0x4111"),
            "missing field `status` near … and …"
        );
        // A raw control character inside a string is not JSON.
        let e = p.parse_line(b"{\"ip\":\"1.2.3.4\0\",\"status\":\"200\"}", Some(5)).unwrap_err().to_string();
        assert!(e.starts_with("invalid JSON access log: "), "{e}");
        // Deep nesting under an unknown key is skipped without recursion (valid JSON, no status).
        let deep = format!("{{\"x\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(p.parse_line(deep.as_bytes(), Some(1)).unwrap_err(), ParseError::Missing("status"));
        let unbalanced = format!("{{\"x\":{}}}", "[".repeat(100_000));
        assert!(p.parse_line(unbalanced.as_bytes(), Some(1)).is_err());
        assert!(p.parse_line(b"{\"ip\":\"\xff\xfe\",\"status\":\"200\"}", Some(1)).is_err());
    }

    #[test]
    fn configured_aliases() {
        let mut extra = std::collections::BTreeMap::new();
        extra.insert("principalId".to_string(), vec!["sub".to_string()]);
        let p = Parser::new(&extra).unwrap();
        let r = p.parse_line(br#"{"sub":"alice","status":"200","requestTimeEpoch":"1"}"#, None).unwrap();
        assert_eq!(r.principal.as_deref(), Some("alice"));
        extra.insert("nope".to_string(), vec![]);
        assert!(Parser::new(&extra).unwrap_err().contains("fields.nope"));
    }

    #[test]
    fn clf_rest_and_http_variants() {
        let rest = r#"203.0.113.9 AIDAEXAMPLE - [24/Nov/2026:14:40:53 +0000] "GET /pets/{petId} HTTP/1.1" 404 120 c1"#;
        let r = parse_clf(rest, None).unwrap();
        assert_eq!((r.status, r.bytes, r.time_ms), (404, 120, 1_795_531_253_000));
        assert_eq!(r.iam.as_deref(), Some("AIDAEXAMPLE"));
        assert_eq!(r.route.as_deref(), Some("/pets/{petId}"));
        assert_eq!(r.request_id.as_deref(), Some("c1"));
        let http =
            r#"198.51.100.2 - - [24/Nov/2026:14:40:53 -0130] "GET GET /v2/items/{id} HTTP/1.1" 200 - c2"#;
        let r = parse_clf(http, None).unwrap();
        assert_eq!(r.route.as_deref(), Some("/v2/items/{id}"));
        assert_eq!(r.method.as_deref(), Some("GET"));
        assert_eq!(r.time_ms, 1_795_531_253_000 + 90 * 60_000);
        assert_eq!(r.iam, None);
        assert!(parse_clf("garbage", None).is_err());
        assert!(
            parse_clf(r#"1.2.3.4 - - [24/Nov/2026:14:40:53 +0000] "GET / HTTP/1.1" 999 1 x"#, None).is_err()
        );
    }

    #[test]
    fn clf_time_edge_cases() {
        assert_eq!(parse_clf_time("01/Jan/1970:00:00:00 +0000"), Some(0));
        assert_eq!(parse_clf_time("01/Foo/1970:00:00:00 +0000"), None);
        assert_eq!(parse_clf_time("01/Jan/1970:24:00:00 +0000"), None);
        assert_eq!(parse_clf_time("01/Jan/1970:00:00:00"), None);
    }
}
