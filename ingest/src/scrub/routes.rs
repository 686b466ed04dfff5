//! Route templates name their parameters. API Gateway logs the template (`resourcePath`,
//! `routeKey`: `/reset-password/{token}`) beside the path it matched
//! (`/prod/reset-password/V46W…`), and so do most custom access-log formats. A path segment
//! bound to a parameter whose name is sensitive (`{token}`, `{email}`, `{msisdn}`, `{apiKey}`)
//! is that kind of value, whatever it looks like: short, upper case, or a plain number.
//!
//! One pass over the line before anything else: templates are found by their `/{`, each
//! sensitive one anchors on its first literal segment, and every path in the line that follows
//! the template from there gives up the bound segments. Linear: at most [`MAX_TEMPLATES`]
//! templates, each anchor searched once.

use super::names::NameClass;
use super::{Kind, Scrubber};
use std::borrow::Cow;

/// Templates looked at per line (a line names one route, maybe twice).
const MAX_TEMPLATES: usize = 4;

/// The longest route template read, each way from its first `/{`.
const MAX_TEMPLATE_BYTES: usize = 256;

/// Bytes that end a path segment.
fn ends_segment(c: u8) -> bool {
    matches!(
        c,
        b'/' | b'?' | b'#' | b'&' | b'"' | b'\'' | b',' | b';' | b'<' | b'>' | b'\\' | b'{' | b'}' | b'|'
    ) || c.is_ascii_whitespace()
}

/// Bytes of a route template.
fn in_template(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'{' | b'}' | b'_' | b'-' | b'.' | b'+' | b'~' | b':')
}

enum Segment<'a> {
    Literal(&'a str),
    /// A parameter: its redaction kind if its name is sensitive (and whether the value must
    /// also look random), and whether it is greedy (`{proxy+}`).
    Param {
        kind: Option<(Kind, bool)>,
        greedy: bool,
    },
}

/// The byte ranges of `line` bound to sensitive parameters of a route template in it, with
/// their kinds, ascending and disjoint.
pub(super) fn bound_segments(s: &Scrubber, line: &str) -> Vec<(usize, usize, Kind)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    if memchr::memmem::find(b, b"/{").is_none() {
        return out;
    }
    let mut templates: Vec<&str> = Vec::new();
    // Bounded work on any line: a few `/{` looked at, each template read for at most
    // `MAX_TEMPLATE_BYTES` either way (`B/{` repeated to 64 KB was quadratic without both).
    for at in memchr::memmem::find_iter(b, b"/{").take(4 * MAX_TEMPLATES) {
        if templates.len() == MAX_TEMPLATES {
            break;
        }
        let from = at.saturating_sub(MAX_TEMPLATE_BYTES);
        let start = b[from..at].iter().rposition(|&c| !in_template(c)).map_or(from, |p| from + p + 1);
        let to = (at + MAX_TEMPLATE_BYTES).min(b.len());
        let end = b[at..to].iter().position(|&c| !in_template(c)).map_or(to, |p| at + p);
        let t = &line[start..end];
        if start < at && templates.last().is_some_and(|last| last.contains(t)) {
            continue;
        }
        if !templates.contains(&t) {
            templates.push(t);
        }
    }
    for t in templates {
        let segments: Vec<Segment> = t
            .split('/')
            .filter(|p| !p.is_empty())
            .map(|p| match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => {
                    let greedy = name.ends_with('+');
                    let kind = match s.classify(name.trim_end_matches('+')) {
                        NameClass::Secret(k) => Some((k, false)),
                        NameClass::IfRandom(k) => Some((k, true)),
                        _ => None,
                    };
                    Segment::Param { kind, greedy }
                }
                None => Segment::Literal(p),
            })
            .collect();
        let sensitive = segments.iter().any(|g| matches!(g, Segment::Param { kind: Some(_), .. }));
        let Some(anchor) = segments.iter().position(|g| matches!(g, Segment::Literal(_))) else { continue };
        let Segment::Literal(word) = segments[anchor] else { continue };
        if !sensitive || word.contains(['{', '}']) {
            continue;
        }
        let needle = format!("/{word}/");
        for at in memchr::memmem::find_iter(b, needle.as_bytes()) {
            let mut pos = at + needle.len();
            let mut found = Vec::new();
            for g in &segments[anchor + 1..] {
                let len = b[pos.min(b.len())..]
                    .iter()
                    .position(|&c| ends_segment(c))
                    .unwrap_or(b.len() - pos.min(b.len()));
                if len == 0 {
                    break;
                }
                let seg = &line[pos..pos + len];
                match g {
                    Segment::Literal(l) if *l != seg => break,
                    Segment::Literal(_) => {}
                    Segment::Param { kind, greedy } => {
                        if let Some((kind, random)) = *kind
                            && !seg.contains("[REDACTED:")
                            && (!random || super::names::random_enough(kind, &super::pairs::percent_decoded(seg)))
                            // `/sessions/{sessionId}` names a resource by a UUID: an identifier.
                            && !(matches!(kind, Kind::Token | Kind::Secret | Kind::ApiKey) && is_uuid(seg))
                            // `/loyalty/{memberId}` named by the row's key (digits or a UUID): an
                            // identifier; a membership number carries letters or separators.
                            && !(matches!(kind, Kind::MemberId | Kind::AccountNumber)
                                && (is_uuid(seg) || seg.bytes().all(|c| c.is_ascii_digit())))
                        {
                            found.push((pos, pos + len, kind));
                        }
                        if *greedy {
                            break;
                        }
                    }
                }
                pos += len;
                if b.get(pos) != Some(&b'/') {
                    break;
                }
                pos += 1;
            }
            out.extend(found);
        }
    }
    out.sort_unstable_by(|a, b| (a.0, a.1, a.2.as_str()).cmp(&(b.0, b.1, b.2.as_str())));
    out.dedup_by(|b, a| b.0 < a.1);
    out
}

/// `line` with every segment bound to a sensitive parameter replaced by its marker.
pub(super) fn redact_bound<'a>(s: &Scrubber, line: &'a str) -> Cow<'a, str> {
    let bound = bound_segments(s, line);
    if bound.is_empty() {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for (start, end, kind) in bound {
        out.push_str(&line[last..start]);
        s.push_marker(&mut out, kind, &line[start..end]);
        last = end;
    }
    out.push_str(&line[last..]);
    Cow::Owned(out)
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
}
