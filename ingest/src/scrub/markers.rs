//! The redaction markers `[REDACTED:<kind>:<8 hex>]`: only exact ones are left alone, so a planted
//! look-alike shelters nothing.

use super::*;

/// Byte ranges of the `[REDACTED:…]` markers in `text` (none allocated for clean text).
pub(super) fn marker_spans(text: &str) -> Vec<(usize, usize)> {
    if memchr::memchr(b'[', text.as_bytes()).is_none() || !text.contains(MARKER) {
        return Vec::new();
    }
    text.match_indices(MARKER).filter_map(|(i, _)| marker_at(text, i).map(|end| (i, end))).collect()
}

/// The end of the marker starting at `i` if it is exactly one the scrubber writes,
/// `[REDACTED:<kind>:<8 lowercase hex>]`. Anything else that merely starts like one (no closing
/// bracket, a long tail before it) is ordinary text and is scrubbed as such: a planted
/// `[REDACTED:` must not shelter what follows it.
pub(crate) fn marker_at(text: &str, i: usize) -> Option<usize> {
    let rest = text.as_bytes().get(i + MARKER.len()..)?;
    let kind_len = rest.iter().take(MAX_KIND_LEN + 1).position(|&b| b == b':')?;
    let kind_ok =
        kind_len > 0 && rest[..kind_len].iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let hex = rest.get(kind_len + 1..kind_len + 9)?;
    let hex_ok = hex.iter().all(|&b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (kind_ok && hex_ok && rest.get(kind_len + 9) == Some(&b']')).then_some(i + MARKER.len() + kind_len + 10)
}

/// Longest kind name a marker may carry (custom rule kinds included).
pub(super) const MAX_KIND_LEN: usize = 48;
