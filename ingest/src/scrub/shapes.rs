//! Cheap gates on numbers and shapes: which numeric detectors can match in a text (digit runs
//! and the shapes around them), and values no detector can match (UUIDs, timestamps,
//! lowercase names), found without running any regex.

use super::*;

pub(super) const LO: u64 = 0x0101_0101_0101_0101;

pub(super) const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that is an ASCII digit (no borrows cross bytes: each
/// subtraction stays within its byte).
pub(super) fn digit_bits(x: u64) -> u64 {
    let ge0 = (x | HI).wrapping_sub(LO * 0x30);
    let le9 = ((LO * 0x39) | HI).wrapping_sub(x & !HI);
    ge0 & le9 & !x & HI
}

/// The high bit of each byte of `x` that is zero (exact: no carries cross bytes).
pub(super) fn zero_bytes(x: u64) -> u64 {
    !(((x & !HI).wrapping_add(!HI)) | x | !HI)
}

pub(super) fn word(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"))
}

/// The ASCII digits in `b`, eight bytes at a time.
pub(super) fn count_digits(b: &[u8]) -> usize {
    let mut n = 0;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let m = digit_bits(u64::from_le_bytes(w.try_into().expect("8 bytes"))) >> 7;
        n += (m.wrapping_mul(LO) >> 56) as usize;
    }
    n + words.remainder().iter().filter(|c| c.is_ascii_digit()).count()
}

/// The maximal runs of ASCII digits in `b`, as `(start, end)`; stretches without digits are
/// skipped eight bytes at a time.
pub(super) fn digit_runs(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        // To the next digit…
        loop {
            if i + 8 <= b.len() {
                let m = digit_bits(word(b, i));
                if m == 0 {
                    i += 8;
                    continue;
                }
                i += m.trailing_zeros() as usize / 8;
                break;
            }
            i += b.get(i..)?.iter().position(u8::is_ascii_digit)?;
            break;
        }
        // …and past its run.
        let start = i;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        Some((start, i))
    })
}

/// The numeric detectors, by the shape of what they match (see [`shapes`]).
pub(super) mod shape {
    /// `[2-6]\d{12,18}`, or groups of 4 digits: `4111 1111 …`, `3782-822463-…`.
    pub const CARD: u16 = 1 << 0;
    /// `[A-Z]{2}\d{2}…`
    pub const IBAN: u16 = 1 << 1;
    /// `\d{3}-\d{2}-\d{4}`
    pub const SSN: u16 = 1 << 2;
    /// `+44…`, `%2B44…`
    pub const PHONE_INTL: u16 = 1 << 3;
    /// `(415) 555-2671`
    pub const PHONE_PAREN: u16 = 1 << 4;
    /// `415-555-2671`, `415.555.2671`
    pub const PHONE_DOTTED: u16 = 1 << 5;
    /// `020 7946 0958`
    pub const PHONE_SPACED: u16 = 1 << 6;
    /// `01 23 45 67 89`
    pub const PHONE_GROUPS2: u16 = 1 << 7;
    /// `10.1.2.3`
    pub const IP: u16 = 1 << 8;
    /// `030 69577728`, `07700-900421`
    pub const PHONE_TRUNK: u16 = 1 << 9;
    /// `090-8160-2465`
    pub const PHONE_TRUNK3: u16 = 1 << 10;
    /// `(02) 9296 8270`, `(11) 90268-2298`
    pub const PHONE_PAREN2: u16 = 1 << 11;
    /// `QQ 12 34 56 C` (a National Insurance number as HMRC prints it)
    pub const NINO_SPACED: u16 = 1 << 12;
}

/// Which numeric shapes occur in an ASCII text: a bit is set when the text holds a run of
/// characters that every match of that shape's pattern contains (the pattern with some of its
/// word boundaries and repetitions left out). An unset bit proves that the pattern cannot match,
/// at a fraction of the cost of running it. On ASCII text `\d` is `[0-9]`, and every shape is
/// anchored on a maximal run of digits: a match starts a run after `\b`, and ends one before
/// `\b` or a separator. So only the runs, and the bytes around them, are looked at.
pub(super) fn shapes(b: &[u8]) -> u16 {
    use shape::*;
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let digits = |i: usize, n: usize| b.get(i..i + n).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let mut found = 0u16;
    for (s, e) in digit_runs(b) {
        let len = e - s;
        let before = if s > 0 { b[s - 1] } else { 0 };
        let issuer = (b'2'..=b'6').contains(&b[s]);
        // `\b[2-6]\d{12,18}\b`
        if issuer && (13..=19).contains(&len) {
            found |= CARD;
        }
        match at(e) {
            sep @ (b' ' | b'-') => {
                // `\b0\d{1,4}[ -]\d{6,8}\b`
                if (2..=5).contains(&len) && b[s] == b'0' && digits(e + 1, 6) {
                    found |= PHONE_TRUNK;
                }
                // `\b0\d{1,3}-\d{3,4}-\d{4}\b`
                if sep == b'-'
                    && (2..=4).contains(&len)
                    && b[s] == b'0'
                    && digits(e + 1, 3)
                    && (at(e + 4) == b'-' || (digits(e + 4, 1) && at(e + 5) == b'-'))
                {
                    found |= PHONE_TRUNK3;
                }
                // `[2-6]\d{3} \d{4} \d{4} \d{1,7}`, `3\d{3} \d{6} \d{5}`, one separator throughout.
                if len == 4
                    && issuer
                    && ((digits(e + 1, 4) && at(e + 5) == sep && digits(e + 6, 1))
                        || (b[s] == b'3' && digits(e + 1, 6) && at(e + 7) == sep && digits(e + 8, 5)))
                {
                    found |= CARD;
                }
                if sep == b'-' {
                    // `\b\d{3}-\d{2}-\d{4}`
                    if len == 3 && digits(e + 1, 2) && at(e + 3) == b'-' && digits(e + 4, 4) {
                        found |= SSN;
                    }
                    // `\b\d{3}[-.]\d{3}[-.]\d{4}`
                    if len == 3 && digits(e + 1, 3) && matches!(at(e + 4), b'-' | b'.') && digits(e + 5, 4) {
                        found |= PHONE_DOTTED;
                    }
                } else {
                    // `\b0\d{1,4} \d{3,4} \d{3,4}`
                    if (2..=5).contains(&len)
                        && b[s] == b'0'
                        && digits(e + 1, 3)
                        && ((at(e + 4) == b' ' && digits(e + 5, 3))
                            || (digits(e + 4, 1) && at(e + 5) == b' ' && digits(e + 6, 3)))
                    {
                        found |= PHONE_SPACED;
                    }
                    // `\b0[1-9](?:[ .]\d{2}){4}`
                    if len == 2
                        && b[s] == b'0'
                        && b[s + 1] != b'0'
                        && digits(e + 1, 2)
                        && matches!(at(e + 3), b' ' | b'.')
                    {
                        found |= PHONE_GROUPS2;
                    }
                }
            }
            b'.' => {
                if len == 3 && digits(e + 1, 3) && matches!(at(e + 4), b'-' | b'.') && digits(e + 5, 4) {
                    found |= PHONE_DOTTED;
                }
                if len == 2
                    && b[s] == b'0'
                    && b[s + 1] != b'0'
                    && digits(e + 1, 2)
                    && matches!(at(e + 3), b' ' | b'.')
                {
                    found |= PHONE_GROUPS2;
                }
                // `(?:\d{1,3}\.){3}\d{1,3}`
                if digits(e + 1, 1) {
                    found |= IP;
                }
            }
            // `\(\d{3}\)`
            b')' if before == b'(' => {
                if len == 3 {
                    found |= PHONE_PAREN;
                }
                // `\(0?\d{1,3}\) ?\d{4,5}`
                if (1..=4).contains(&len) && (len < 4 || b[s] == b'0') {
                    found |= PHONE_PAREN2;
                }
            }
            _ => {}
        }
        match before {
            // `(?:\+|%2B)[1-9]`
            b'+' if b[s] != b'0' => found |= PHONE_INTL,
            b'B' if b[s] != b'0' && s >= 3 && &b[s - 3..s] == b"%2B" => found |= PHONE_INTL,
            _ => {}
        }
        // `\b[A-Z]{2} \d{2} `
        if len == 2
            && s >= 3
            && before == b' '
            && b[s - 2].is_ascii_uppercase()
            && b[s - 3].is_ascii_uppercase()
            && (s == 3 || !(b[s - 4].is_ascii_alphanumeric() || b[s - 4] == b'_'))
            && at(e) == b' '
        {
            found |= NINO_SPACED;
        }
        // `\b[A-Z]{2}\d{2}`
        if len >= 2
            && s >= 2
            && before.is_ascii_uppercase()
            && b[s - 2].is_ascii_uppercase()
            && (s == 2 || !(b[s - 3].is_ascii_alphanumeric() || b[s - 3] == b'_'))
        {
            found |= IBAN;
        }
    }
    found
}

/// Values no built-in detector can match, recognised without running any: very short ones,
/// UUIDs, pure digit strings that cannot be card numbers, API Gateway's `requestTime` stamps,
/// protocol names and lowercase names. (Custom rules disable this shortcut.)
/// These make up most of the string values of an access-log line.
pub(super) fn obviously_clean(t: &str, digits: impl FnOnce() -> usize, keep_ips: bool) -> bool {
    let b = t.as_bytes();
    if b.len() < 6 {
        return true;
    }
    // UUIDs and `requestTime` stamps first: they need no digit count (neither is all digits).
    match b.len() {
        36 if is_uuid(b) => return true,
        26 if crate::parse::parse_clf_time(t).is_some() => return true,
        _ => {}
    }
    let digits = digits();
    if digits == b.len() {
        return b.len() < 13 || !(b'2'..=b'6').contains(&b[0]);
    }
    // `HTTP/1.1`, and lowercase names like `api.example.com`, `prod`, `a1b2c3d4e5`: every
    // token format has an uppercase letter, `_`, `@`, `=`, `+` or seven digits, and these have
    // none (a National Insurance number's six digits come with uppercase letters).
    if b.len() <= 8 && b.starts_with(b"HTTP/") {
        return true;
    }
    keep_ips && digits < 7 && b.iter().all(|&c| LOWER_NAME[c as usize])
}

/// Bytes of lowercase names: `a-z`, `0-9`, `.`, `-`, `/`.
pub(super) const LOWER_NAME: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'/');
        c += 1;
    }
    t
};

/// `8-4-4-4-12` hex digits.
pub(super) fn is_uuid(b: &[u8]) -> bool {
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return false;
    }
    // With the four dashes in place, every byte a hex digit or a dash and four dashes in all
    // means every other byte is a hex digit. Branch-free, so it runs as one short loop.
    let (mut ok, mut dashes) = (true, 0u8);
    for &c in b {
        let dash = c == b'-';
        ok &= c.is_ascii_digit() | ((c | 0x20).wrapping_sub(b'a') < 6) | dash;
        dashes += u8::from(dash);
    }
    ok && dashes == 4
}

/// True when a phone-shaped match is one piece of a longer run of digit groups (an IBAN or
/// reference code written in groups of four), not a number of its own.
pub(super) fn in_digit_groups(text: &str, start: usize, end: usize) -> bool {
    let grouped = |tok: &str| {
        tok.len() >= 3
            && tok.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            && tok.bytes().any(|b| b.is_ascii_digit())
    };
    // A marker was a number once: treating it as one keeps the decision the same on a rescrub.
    let grouped = |tok: &str| grouped(tok) || tok.contains(MARKER);
    // Neighbours are looked at up to 64 bytes away: a group is short, and an unbounded look
    // would cost the length of a long token for every candidate beside it.
    const REACH: usize = 64;
    let near_before = floor_char(text, start.saturating_sub(REACH));
    let near_after = ceil_char(text, (end + REACH).min(text.len()));
    let before = text[near_before..start].strip_suffix(' ').and_then(|t| t.rsplit(' ').next());
    let after = text[end..near_after].strip_prefix(' ').and_then(|t| t.split(' ').next());
    before.is_some_and(grouped) || after.is_some_and(grouped)
}

/// Bare tokens: runs of 30 to 64 ASCII letters and digits, upper and lower case and digits
/// mixed, random-looking (`validate::high_entropy`), standing alone as a field (between
/// commas, quotes, spaces, `|`, `;`, `:`): API keys in CSV and space-separated access logs,
/// where no name says what they are. A run that continues into `-_.+/=~%` is part of something
/// longer (a URL, base64, an id with a prefix such as `cus_…`) and is not taken. One pass.
pub(super) fn bare_tokens(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let joins =
        |c: u8| matches!(c, b'-' | b'_' | b'.' | b'+' | b'/' | b'=' | b'~' | b'%' | b'\\' | b'@' | b'[');
    const MIN: usize = 30;
    let mut out = Vec::new();
    // Every run of letters and digits starts at or after `i`. A run of `MIN` or more that
    // starts in `i..i + MIN` covers byte `i + MIN - 1`, so one look there rules out (or finds)
    // all of them: ordinary text, whose words are short, is read one byte in 30.
    let mut i = 0;
    while i + MIN <= b.len() {
        let probe = i + MIN - 1;
        if !ALNUM[b[probe] as usize] {
            i = probe + 1;
            continue;
        }
        let mut start = probe;
        while start > i && ALNUM[b[start - 1] as usize] {
            start -= 1;
        }
        let mut end = probe + 1;
        while end < b.len() && ALNUM[b[end] as usize] {
            end += 1;
        }
        i = end;
        if !(MIN..=64).contains(&(end - start)) {
            continue;
        }
        let run = &b[start..end];
        if run.iter().any(u8::is_ascii_uppercase)
            && run.iter().any(u8::is_ascii_lowercase)
            && run.iter().any(u8::is_ascii_digit)
            && (start == 0 || !joins(b[start - 1]))
            && (end == b.len() || !joins(b[end]))
            && super::validate::high_entropy(&text[start..end])
        {
            out.push((start, end));
        }
    }
    out
}

/// ASCII letters and digits.
const ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    t
};
