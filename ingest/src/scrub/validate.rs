//! Validators that keep the scrubber's false positives down: a 16-digit order number is not a
//! card unless its Luhn checksum holds, an IBAN-shaped string is not an IBAN unless mod-97 holds,
//! and `eyJ…` is not a JWT unless its header decodes to a JSON object with `alg`.

use base64::Engine as _;

/// Luhn checksum over the ASCII digits of `s` (separators ignored), at least 12 of them.
pub fn luhn(s: &str) -> bool {
    let (mut n, mut sum) = (0usize, 0u32);
    for b in s.bytes().rev().filter(u8::is_ascii_digit) {
        let d = u32::from(b - b'0');
        sum += if n % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d };
        n += 1;
    }
    n >= 12 && sum.is_multiple_of(10)
}

/// A payment card: 13-19 digits, a known issuer prefix, Luhn-valid, not one repeated digit.
/// No allocation: this runs on every card-shaped candidate, and a crafted line is full of them.
pub fn card(s: &str) -> bool {
    let mut digits = [0u8; 19];
    let mut n = 0;
    for b in s.bytes().filter(u8::is_ascii_digit) {
        if n == digits.len() {
            return false;
        }
        digits[n] = b - b'0';
        n += 1;
    }
    let digits = &digits[..n];
    if n < 13 || digits.iter().all(|&d| d == digits[0]) {
        return false;
    }
    let p2 = u32::from(digits[0]) * 10 + u32::from(digits[1]);
    let p4 = p2 * 100 + u32::from(digits[2]) * 10 + u32::from(digits[3]);
    let issuer = match digits[0] {
        4 => true,                                           // Visa
        5 => (51..=55).contains(&p2),                        // Mastercard
        2 => (2221..=2720).contains(&p4),                    // Mastercard 2-series
        3 => matches!(p2, 34 | 37 | 36 | 38 | 30 | 35),      // Amex, Diners, JCB
        6 => p4 == 6011 || p2 == 65 || p2 == 64 || p2 == 62, // Discover, UnionPay
        _ => false,
    };
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    issuer && sum.is_multiple_of(10)
}

/// IBAN: country code, check digits, mod-97 == 1 over the rearranged string.
pub fn iban(s: &str) -> bool {
    let compact: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !(15..=34).contains(&compact.len())
        || !compact[..2].iter().all(u8::is_ascii_uppercase)
        || !compact[2..4].iter().all(u8::is_ascii_digit)
        || !compact.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut rem: u32 = 0;
    for &b in compact[4..].iter().chain(&compact[..4]) {
        let v =
            if b.is_ascii_digit() { (b - b'0') as u32 } else { (b.to_ascii_uppercase() - b'A') as u32 + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

/// US SSN `AAA-GG-SSSS`: area not 000, 666 or 9xx; group not 00; serial not 0000.
pub fn ssn(s: &str) -> bool {
    let d: Vec<u32> = s.bytes().filter(u8::is_ascii_digit).map(|b| (b - b'0') as u32).collect();
    if d.len() != 9 {
        return false;
    }
    let area = d[0] * 100 + d[1] * 10 + d[2];
    let group = d[3] * 10 + d[4];
    let serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// A JWT (or JWS/JWE): the first segment is base64url of a JSON object carrying `alg`.
pub fn jwt(s: &str) -> bool {
    let Some(header) = s.split('.').next() else { return false };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header.trim_end_matches('='))
    else {
        return false;
    };
    matches!(serde_json::from_slice::<serde_json::Value>(&bytes), Ok(serde_json::Value::Object(m)) if m.contains_key("alg"))
}

/// A UK National Insurance number (`AB123456C`): no D, F, I, Q, U or V in the prefix, no O as
/// its second letter, none of the prefixes never issued.
pub fn nino(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    if b.len() != 9 || !b[2..8].iter().all(u8::is_ascii_digit) || !(b'A'..=b'D').contains(&b[8]) {
        return false;
    }
    let (p1, p2) = (b[0], b[1]);
    let bad = |c: u8| matches!(c, b'D' | b'F' | b'I' | b'Q' | b'U' | b'V');
    p1.is_ascii_uppercase()
        && p2.is_ascii_uppercase()
        && !bad(p1)
        && !bad(p2)
        && p2 != b'O'
        && !matches!(&b[..2], b"BG" | b"GB" | b"NK" | b"KN" | b"TN" | b"NT" | b"ZZ")
}

/// Phone numbers have 8-15 digits (E.164 allows at most 15).
pub fn phone(s: &str) -> bool {
    let n = s.bytes().filter(u8::is_ascii_digit).count();
    (8..=15).contains(&n)
}

/// Shannon entropy in bits per character, for "is this value random enough to be a key?".
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts.iter().filter(|&&c| c > 0).map(|&c| c as f64 / n).map(|p| -p * p.log2()).sum()
}

/// A credential-looking value: long enough, random enough, mixing letters and digits.
pub fn high_entropy(s: &str) -> bool {
    s.len() >= 16
        && entropy(s) >= 3.3
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_alphabetic())
        && s.bytes().all(|b| b.is_ascii_graphic())
}

/// A value that is already a mask or a reference to a secret kept elsewhere, not a secret:
/// `***`, `****-**-**`, `••••4242`, `[REDACTED]`, `<hidden>`, `Bearer [FILTERED]`, `${DB_PASSWORD}`,
/// `{{resolve:secretsmanager:…}}`, `%2A%2A%2A`. Logging libraries and API Gateway write these
/// where they removed a value; replacing them with a marker hides nothing and loses the fact
/// that the value was masked at the source.
pub fn placeholder(s: &str) -> bool {
    // Masks are short: a long span is not one, and is not scanned further.
    if s.len() > 128 {
        return false;
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\''));
    // An authorization scheme before the mask (`Bearer ***`).
    let s = match s.split_once(' ') {
        Some((scheme, rest))
            if ["bearer", "basic", "token", "digest", "apikey", "sswss"]
                .iter()
                .any(|w| scheme.eq_ignore_ascii_case(w)) =>
        {
            rest.trim()
        }
        _ => s,
    };
    if s.is_empty() || s.len() > 96 {
        return false;
    }
    let s: std::borrow::Cow<str> =
        if s.contains('%') { s.replace("%2A", "*").replace("%2a", "*").into() } else { s.into() };
    // Template and vault references.
    let reference = (s.starts_with("${") && s.ends_with('}'))
        || (s.starts_with("{{") && s.ends_with("}}"))
        || (s.starts_with("%(") && s.ends_with(")s"));
    if reference && s.len() > 4 {
        return true;
    }
    // A masking word, bare or bracketed.
    let word = s
        .trim_matches(|c: char| matches!(c, '[' | ']' | '<' | '>' | '(' | ')' | '{' | '}' | '*' | '_' | '-'));
    const WORDS: &[&str] = &[
        "redacted",
        "filtered",
        "protected",
        "hidden",
        "masked",
        "removed",
        "omitted",
        "sensitive",
        "censored",
        "scrubbed",
        "sanitized",
        "sanitised",
        "obfuscated",
        "not logged",
    ];
    if WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)) {
        return true;
    }
    // Mask characters, with at most a few visible characters (`****4242`, `sk_live_****`).
    let masked = s.chars().filter(|c| matches!(c, '*' | '•' | '●' | '…')).count();
    let run = s.as_bytes().windows(3).any(|w| w == b"***") || s.contains("••") || s.contains("●●");
    let visible = s.chars().filter(|c| c.is_alphanumeric()).count();
    run && masked >= 3 && visible <= 12
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators() {
        assert!(card("4111 1111 1111 1111"));
        assert!(card("378282246310005"));
        assert!(card("5555-5555-5555-4444"));
        assert!(!card("4111111111111112"), "Luhn-invalid");
        assert!(!card("1795531253000"), "epoch ms is not a card");
        assert!(!card("0000000000000000"));
        assert!(iban("DE89 3704 0044 0532 0130 00"));
        assert!(iban("GB82WEST12345698765432"));
        assert!(!iban("GB82WEST12345698765433"));
        assert!(ssn("123-45-6789"));
        assert!(!ssn("000-12-3456") && !ssn("666-12-3456") && !ssn("912-12-3456") && !ssn("123-00-6789"));
        assert!(jwt("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"));
        assert!(!jwt("eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxIn0.c2ln"), "no alg");
        assert!(high_entropy("q8Fz2LmP0xVw7KtR9sYb"));
        assert!(!high_entropy("aaaaaaaaaaaaaaaaaaaa1"));
        assert!(!high_entropy("password-reset-link"));
    }

    #[test]
    fn masks_and_references_are_placeholders() {
        for p in [
            "***",
            "********",
            "Bearer ***",
            "Bearer [REDACTED]",
            "bearer [redacted]",
            "[Redacted]",
            "[PROTECTED]",
            "<hidden>",
            "[FILTERED]",
            "REDACTED",
            "****-**-**",
            "%2A%2A%2A%2A-%2A%2A-%2A%2A",
            "****4242",
            "sk_live_********9f3a",
            "${DB_PASSWORD}",
            "{{resolve:secretsmanager:prod/db:SecretString:password}}",
            "%(password)s",
        ] {
            assert!(placeholder(p), "{p}");
        }
        for s in [
            "hunter2hunter2",
            "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc",
            "p4ss***word-with-a-long-visible-tail",
            "${not a reference",
            "ab*cd",
            "",
            "Silver1997$",
            // A weak password is still a password.
            "secret",
            "[secret]",
        ] {
            assert!(!placeholder(s), "{s}");
        }
    }
}
