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

/// Whether `text` is nothing but markers and white space.
pub(super) fn only_markers(text: &str) -> bool {
    let mut i = 0;
    while i < text.len() {
        if text.as_bytes()[i].is_ascii_whitespace() {
            i += 1;
        } else if let Some(end) = marker_at(text, i) {
            i = end;
        } else {
            return false;
        }
    }
    true
}

/// Whether `start..end` overlaps one of `spans` (sorted, disjoint: as [`marker_spans`] gives
/// them). A binary search: a line of planted markers must not make every hit scan them all.
pub(super) fn overlaps(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = spans.partition_point(|&(a, _)| a < end);
    i > 0 && spans[i - 1].1 > start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_by_binary_search_equals_a_scan() {
        let spans = [(2, 5), (7, 9), (20, 30)];
        for start in 0..35 {
            for end in start..36 {
                let scan = spans.iter().any(|&(a, b)| start < b && a < end);
                assert_eq!(overlaps(&spans, start, end), scan, "{start}..{end}");
            }
        }
        assert!(!overlaps(&[], 0, 10));
    }
}
