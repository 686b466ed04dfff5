//! Formatting helpers shared by the line renderers.

use super::*;

// Formatting helpers

pub(crate) fn dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

pub(crate) fn opt_num(v: Option<u64>) -> String {
    v.map_or_else(|| "-".to_string(), |n| n.to_string())
}

pub(crate) fn route_key(e: &GenEvent) -> String {
    if e.route == "-" { "-".to_string() } else { format!("{} {}", e.method, e.route) }
}

/// Browsers negotiate HTTP/2 with CloudFront-fronted endpoints; libraries mostly stay on 1.1.
pub(crate) fn protocol(ua: &str) -> &'static str {
    if ua.starts_with("Mozilla/5.0 (") { "HTTP/2.0" } else { "HTTP/1.1" }
}

/// `$context.requestTime`: `24/Nov/2026:14:40:53 +0000`.
pub(crate) fn clf_time(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => t.format("%d/%b/%Y:%H:%M:%S +0000").to_string(),
        None => "-".to_string(),
    }
}

pub(crate) fn push_json_str(out: &mut String, s: &str) {
    // serde_json does the escaping, so quotes or control characters in values stay valid JSON.
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"-\""),
    }
}

/// Builds an object with keys in the given order (serde_json's map would sort them, or not,
/// depending on features enabled elsewhere in the build).
pub(crate) fn json_object(fields: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(640);
    out.push('{');
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, k);
        out.push(':');
        push_json_str(&mut out, v);
    }
    out.push('}');
    out
}

pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------------
