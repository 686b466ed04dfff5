//! Hand-written scanners for `name=value` pairs and `/name/value` path segments, and the
//! percent-decoding that maps hits in a decoded copy back onto the encoded bytes. Each is one
//! linear pass: a value ends at the next separator, a name is looked for at most 41 bytes back.

use std::borrow::Cow;

/// Every `name=value` pair of `text` (also `name%3Dvalue`), as byte ranges: the same pairs as
/// the documented regex, found in one pass. A name is `[A-Za-z][A-Za-z0-9_.-]{1,39}` not
/// preceded by a name character (an encoded `%XX` may precede it); a value runs to `&`, `%26`,
/// whitespace or `,;}'"<>\`.
pub(super) fn kv_pairs(text: &str) -> Vec<((usize, usize), (usize, usize))> {
    let b = text.as_bytes();
    // `user[password]=` (Rails and PHP forms) is a name too.
    let is_name = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'[' | b']');
    // An escape inside a name: UTF-8 (`contrase%C3%B1a=`) or a bracket (`user%5Bpassword%5D=`).
    let name_escape = |j: usize| {
        j >= 3
            && b[j - 3] == b'%'
            && (matches!((b[j - 2], b[j - 1]), (b'5', b'B' | b'b' | b'D' | b'd'))
                || (matches!(b[j - 2], b'8'..=b'9' | b'A'..=b'F' | b'a'..=b'f')
                    && b[j - 1].is_ascii_hexdigit()))
    };
    // A form whose pairs a raw `&` separates encodes an `&` inside a value as `%26`: there it
    // is data (`pw=%26%28L…`), not the end of the value.
    let raw_amp = memchr::memchr(b'&', b).is_some();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'=', b'%', &b[i..]) {
        let eq = i + off;
        let (sep_len, is_sep) = if b[eq] == b'=' {
            (1, true)
        } else {
            (3, eq + 2 < b.len() && b[eq + 1] == b'3' && (b[eq + 2] == b'D' || b[eq + 2] == b'd'))
        };
        i = eq + 1;
        if !is_sep {
            continue;
        }
        // `name = value` (TOML, INI, Python keyword arguments): spaces on both sides of `=`.
        let mut name_end = eq;
        if b[eq] == b'=' && b.get(eq + 1) == Some(&b' ') {
            while name_end > 0 && eq - name_end < 3 && b[name_end - 1] == b' ' {
                name_end -= 1;
            }
            if name_end == eq || name_end == 0 || !is_name(b[name_end - 1]) {
                name_end = eq;
            }
        }
        let spaced = name_end < eq;
        // The name, backwards from the separator; no name is longer than 40 bytes, so the scan
        // stops after 41 (a long run of name characters is looked at once per `=`, not again).
        let mut start = name_end;
        while start > 0 && name_end - start <= 41 {
            if name_escape(start) {
                start -= 3;
            } else if is_name(b[start - 1]) {
                start -= 1;
            } else {
                break;
            }
        }
        if start > 0 && is_name(b[start - 1]) {
            continue;
        }
        while b[start] == b'%' && start + 3 < name_end {
            start += 3;
        }
        // `%3Fname`: the two hex digits after `%` belong to the escape, not the name.
        if start >= 1 && b[start - 1] == b'%' && name_end - start > 2 {
            start += 2;
        }
        let name_len = name_end - start;
        // Names may start with `_` (`_app_session`, `__Host-session` cookies).
        if !(1..=40).contains(&name_len) || !(b[start].is_ascii_alphabetic() || b[start] == b'_') {
            continue;
        }
        let mut v0 = eq + sep_len;
        if spaced {
            while v0 < b.len() && v0 - eq <= 3 && b[v0] == b' ' {
                v0 += 1;
            }
        }
        // A quoted value (`password = "a b"`, `pw="x"`, or `\"x\"` inside escaped JSON) runs to its
        // closing quote.
        if let Some(value) = quoted_value(b, v0) {
            out.push(((start, name_end), value));
            continue;
        }
        let mut v1 = v0;
        // A value ends at the next separator, so each byte belongs to one value at most and the
        // scan is linear: `ab=ab=ab=…` is many short pairs, not one value per `=` that runs to
        // the end. Only base64 padding (`=` or `%3D` before another, or before the value's end)
        // stays in the value.
        while v1 < b.len() {
            match VALUE_END[b[v1] as usize] {
                CONTINUES => {}
                EQUALS if padding(b, v1 + 1) => {}
                PERCENT => match percent_sep(b, v1) {
                    // An encoded `=` that starts a value is data (`pw=%3Dh%2A…`).
                    Some(3) if v1 == v0 || padding(b, v1 + 3) => v1 += 2,
                    Some(0) if raw_amp => v1 += 2,
                    Some(_) => break,
                    None => {}
                },
                _ => break,
            }
            v1 += 1;
        }
        out.push(((start, name_end), (v0, v1)));
    }
    out
}

/// The longest quoted value taken whole: longer ones are left to the other scanners.
const MAX_QUOTED: usize = 256;

/// The inside of a value quoted with `"`, `'` or `\"` that starts at `v0` and closes within
/// [`MAX_QUOTED`] bytes on the same line (neither a line break nor a literal `\n` inside).
fn quoted_value(b: &[u8], v0: usize) -> Option<(usize, usize)> {
    let (open, close): (usize, &[u8]) = match b.get(v0..)? {
        [b'\\', b'"', ..] => (2, b"\\\""),
        [b'"', ..] => (1, b"\""),
        [b'\'', ..] => (1, b"'"),
        _ => return None,
    };
    let from = v0 + open;
    let window = &b[from..b.len().min(from + MAX_QUOTED)];
    let end = memchr::memmem::find(window, close)?;
    let inside = &window[..end];
    if end == 0 || inside.contains(&b'\n') || memchr::memmem::find(inside, b"\\n").is_some() {
        return None;
    }
    // An escaped quote inside a plainly quoted value: not a value this scanner can bound.
    if open == 1 && inside.ends_with(b"\\") {
        return None;
    }
    Some((from, from + end))
}

pub(super) const CONTINUES: u8 = 0;

pub(super) const ENDS: u8 = 1;

pub(super) const PERCENT: u8 = 2;

pub(super) const EQUALS: u8 = 3;

/// `%26` (an encoded `&`, length 0: it ends a value) or `%3D` (an encoded `=`, length 3) at `i`.
pub(super) fn percent_sep(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i + 1..i + 3)? {
        [b'2', b'6'] => Some(0),
        [b'3', b'D' | b'd'] => Some(3),
        _ => None,
    }
}

/// Whether what starts at `i` makes the `=` just before it base64 padding: the value ends
/// there, or another `=` (`%3D`) follows.
pub(super) fn padding(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        None => true,
        Some(b'=') => true,
        Some(b'%') => percent_sep(b, i).is_some(),
        Some(&c) => VALUE_END[c as usize] == ENDS,
    }
}

/// How a byte bears on a `name=value` value: ends it (`&,;}'"<>\` and ASCII white space),
/// ends it if it starts `%26`, or not.
pub(super) const VALUE_END: [u8; 256] = {
    let mut t = [CONTINUES; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if matches!(b, b'&' | b',' | b';' | b'}' | b'\'' | b'"' | b'<' | b'>' | b'\\')
            || b.is_ascii_whitespace()
        {
            t[c] = ENDS;
        } else if b == b'%' {
            t[c] = PERCENT;
        } else if b == b'=' {
            t[c] = EQUALS;
        }
        c += 1;
    }
    t
};

/// Every `/name/value` pair of path segments in `text`, as byte ranges: a value runs to the
/// next `/`, `?`, `#`, `&`, quote, white space or `,;<>`. Each `/` is looked at once and a name
/// at most 41 bytes back, so the scan is linear.
pub(super) fn path_pairs(text: &str) -> Vec<((usize, usize), (usize, usize))> {
    let b = text.as_bytes();
    let ends = |c: u8| {
        matches!(c, b'/' | b'?' | b'#' | b'&' | b'"' | b'\'' | b',' | b';' | b'<' | b'>' | b'\\')
            || c.is_ascii_whitespace()
    };
    let mut out = Vec::new();
    let mut slashes = memchr::memchr_iter(b'/', b).peekable();
    while let Some(i) = slashes.next() {
        let Some(&j) = slashes.peek() else { break };
        let name = (i + 1, j);
        if !(2..=41).contains(&(j - i - 1))
            || !b[i + 1].is_ascii_alphabetic()
            || !b[i + 1..j].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
        {
            continue;
        }
        let mut v1 = j + 1;
        while v1 < b.len() && !ends(b[v1]) {
            v1 += 1;
        }
        if v1 > j + 1 {
            out.push((name, (j + 1, v1)));
        }
    }
    out
}

/// Every `<name attrs>value</name>` element of `text` whose value is text (no nested
/// element), as byte ranges of the name and the value. One pass: each `<` is looked at once,
/// attributes are read for at most 256 bytes and a value for at most 4096.
pub(super) fn xml_pairs(text: &str) -> Vec<((usize, usize), (usize, usize))> {
    let b = text.as_bytes();
    let is_name = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-');
    let mut out = Vec::new();
    for lt in memchr::memchr_iter(b'<', b) {
        let n0 = lt + 1;
        if !b.get(n0).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
            continue;
        }
        let n1 = n0 + b[n0..].iter().take(64).take_while(|&&c| is_name(c)).count();
        // Attributes, then `>`.
        let gt = match b.get(n1) {
            Some(b'>') => n1,
            Some(c) if c.is_ascii_whitespace() => {
                match b[n1..].iter().take(256).position(|&c| c == b'>' || c == b'<') {
                    Some(p) if b[n1 + p] == b'>' && b[n1 + p - 1] != b'/' => n1 + p,
                    _ => continue,
                }
            }
            _ => continue,
        };
        let v0 = gt + 1;
        let Some(len) = b[v0..].iter().take(4097).position(|&c| c == b'<') else { continue };
        let v1 = v0 + len;
        let close = &b[v1..];
        if len == 0
            || !(close.starts_with(b"</")
                && close[2..].starts_with(&b[n0..n1])
                && close.get(2 + n1 - n0) == Some(&b'>'))
        {
            continue;
        }
        out.push(((n0, n1), (v0, v1)));
    }
    out
}

/// `s` percent-decoded as [`percent_decode_mapped`] does, without the map, and without a copy
/// when there is nothing to decode (most values: this runs for every pair of a query string).
pub(super) fn percent_decoded(s: &str) -> Cow<'_, str> {
    if memchr::memchr(b'%', s.as_bytes()).is_none() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(percent_decode_mapped(s).0)
    }
}

/// Percent-decodes `s`; `map[i]` is the byte offset in `s` of decoded byte `i` (plus one
/// trailing entry for the end). Invalid UTF-8 after decoding is replaced (lossy).
pub(super) fn percent_decode_mapped(s: &str) -> (String, Vec<usize>) {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut map = Vec::with_capacity(b.len() + 1);
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex_val(b[i + 1]), hex_val(b[i + 2]))
            // Only printable ASCII: a decoded multi-byte sequence would break the mapping.
            && (0x20..0x7f).contains(&(h * 16 + l))
        {
            out.push(h * 16 + l);
            map.push(i);
            i += 3;
            continue;
        }
        out.push(b[i]);
        map.push(i);
        i += 1;
    }
    map.push(b.len());
    match String::from_utf8(out) {
        Ok(d) => (d, map),
        // Not reachable for valid UTF-8 input with ASCII-only decoding; stay safe anyway.
        Err(_) => (s.to_string(), (0..=s.len()).collect()),
    }
}

/// In a form-encoded copy, a `+` between digits (or a digit and a parenthesis) is the space it
/// encodes: `q=%2B81+80+9885+2371` is the phone number `+81 80 9885 2371`. Only for the copy
/// the detectors read (the byte map is unchanged); a value's own `+` (base64) stays elsewhere.
pub(super) fn form_spaces(decoded: String, raw: &[u8]) -> String {
    if memchr::memchr(b'+', raw).is_none() {
        return decoded;
    }
    let mut d = decoded.into_bytes();
    for i in 1..d.len().saturating_sub(1) {
        if d[i] == b'+'
            && (d[i - 1].is_ascii_digit() || d[i - 1] == b')')
            && (d[i + 1].is_ascii_digit() || d[i + 1] == b'(')
        {
            d[i] = b' ';
        }
    }
    String::from_utf8(d).expect("ASCII for ASCII")
}

pub(super) fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|v| v as u8)
}

pub(super) fn is_cookie_attribute(name: &str) -> bool {
    matches!(
        name.trim().to_ascii_lowercase().as_str(),
        "path"
            | "domain"
            | "expires"
            | "max-age"
            | "samesite"
            | "secure"
            | "httponly"
            | "priority"
            | "partitioned"
    )
}

/// Name and value spans of a match, resolved without the regex engine's capture pass.
pub(super) type PairGroups = fn(&[u8], usize, usize) -> ((usize, usize), (usize, usize));

/// The hand resolver of a detector whose groups are a name and a value in a fixed layout (the
/// quoted `"name": "value"` and the `name => value` shapes), if it is one.
pub(super) fn pair_groups(d: &super::detectors::Detector) -> Option<PairGroups> {
    use super::detectors::{Check, Gate};
    match (d.check, &d.gate) {
        (Check::NamedValue, _) => Some(named_value_groups),
        (Check::KeyValue, Gate::Quoted) => Some(quoted_pair_groups),
        _ => None,
    }
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
}

/// ASCII white space as the patterns' `\s` reads it.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Groups of a `(?:^|[\s{,(\[])['"]?(name)['"]?[ \t]*(?:=>|:)[ \t]*(value)` match in `t[s..e]`.
/// Every part but the value is forced: the name's characters include no separator, quote or
/// blank, and the value cannot start with a blank, so the value is the rest of the match.
pub(super) fn named_value_groups(t: &[u8], s: usize, e: usize) -> ((usize, usize), (usize, usize)) {
    let mut i = s;
    if i < e && (is_space(t[i]) || matches!(t[i], b'{' | b',' | b'(' | b'[')) {
        i += 1;
    }
    if i < e && matches!(t[i], b'\'' | b'"') {
        i += 1;
    }
    let ns = i;
    while i < e && is_name_byte(t[i]) {
        i += 1;
    }
    let ne = i;
    if i < e && matches!(t[i], b'\'' | b'"') {
        i += 1;
    }
    while i < e && matches!(t[i], b' ' | b'\t') {
        i += 1;
    }
    i = (i + if t[i..e].starts_with(b"=>") { 2 } else { 1 }).min(e);
    while i < e && matches!(t[i], b' ' | b'\t') {
        i += 1;
    }
    ((ns, ne), (i, e))
}

/// Past one quote of the escaped-JSON pair pattern at `i`: `\\*"` or `\u0022`.
fn past_quote(t: &[u8], mut i: usize, e: usize) -> usize {
    let start = i;
    while i < e && t[i] == b'\\' {
        i += 1;
    }
    if i < e && t[i] == b'"' {
        i + 1
    } else {
        // `\u0022`: one backslash and five more bytes.
        (start + 6).min(e)
    }
}

/// Past a `\uXXXX` escape (any number of backslashes) of a character past ASCII at `i`,
/// if one starts there: a name character of the quoted pair pattern.
fn past_non_ascii_escape(t: &[u8], i: usize, e: usize) -> Option<usize> {
    let mut j = i;
    while j < e && t[j] == b'\\' {
        j += 1;
    }
    if j == i || j + 5 > e || t[j] != b'u' {
        return None;
    }
    let hex = std::str::from_utf8(&t[j + 1..j + 5]).ok()?;
    let c = u32::from_str_radix(hex, 16).ok()?;
    (hex.bytes().all(|b| b.is_ascii_hexdigit()) && c >= 0x80).then_some(j + 5)
}

/// Groups of a quoted pair match `(?:\\*"|\\u0022)(name)(?:\\*"|\\u0022)\s*:\s*(?:\\*"|\\u0022)(value*?)(?:\\*"|\\u0022)`
/// in `t[s..e]`. The value ends where the closing quote starts: before a final `\u0022`, or
/// before the run of backslashes ahead of the final `"` (the value holds no backslash pair, so
/// the lazy value stops at the first of them).
pub(super) fn quoted_pair_groups(t: &[u8], s: usize, e: usize) -> ((usize, usize), (usize, usize)) {
    let mut i = past_quote(t, s, e);
    let ns = i;
    loop {
        if i < e && (is_name_byte(t[i]) || t[i] >= 0x80) {
            i += 1;
        } else if let Some(next) = past_non_ascii_escape(t, i, e) {
            i = next;
        } else {
            break;
        }
    }
    let ne = i;
    i = past_quote(t, i, e);
    while i < e && is_space(t[i]) {
        i += 1;
    }
    i = (i + 1).min(e); // the colon
    while i < e && is_space(t[i]) {
        i += 1;
    }
    let vs = past_quote(t, i, e);
    let mut ve = e;
    if t[vs..e].ends_with(b"\\u0022") {
        ve = e - 6;
    } else {
        ve -= 1;
        while ve > vs && t[ve - 1] == b'\\' {
            ve -= 1;
        }
    }
    ((ns, ne), (vs, ve.max(vs)))
}
