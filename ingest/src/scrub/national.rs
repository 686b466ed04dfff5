//! National identity numbers beside the word that names them, each held to its published check:
//! Spain's DNI and NIE (control letter), Brazil's CPF (two mod-11 digits), France's NIR (the
//! 97 key), Russia's SNILS (its checksum), Turkey's T.C. Kimlik No (two check digits) and
//! Indonesia's NIK (16 digits with a valid birth date). US SSNs and UK NINOs are the older
//! detectors'.

use super::Kind;
use super::detectors::{Arm, Check};

pub(super) fn builtin() -> Vec<(Kind, &'static str, usize, Check, Arm)> {
    vec![
        (
            Kind::NationalId,
            r"\b(?:DNI|NIE)(?:[ \t]*n[ºo°.]+)?[ \t]*[:#=]?[ \t]*(\d{8}[A-Z]|[XYZ]\d{7}[A-Z])\b",
            1,
            Check::NationalId,
            Arm::Literals(&["dni", "nie"]),
        ),
        (
            Kind::NationalId,
            r"(?i)\b(?:CPF|tax_id)\)?[ \t]*[:=#]?[ \t]*\(?(\d{3}\.?\d{3}\.?\d{3}-?\d{2})\b",
            1,
            Check::NationalId,
            Arm::Literals(&["cpf", "tax_id"]),
        ),
        (
            Kind::NationalId,
            r"(?i)(?:s[ée]curit[ée] sociale|\bNIR\b|\bINSEE\b)[^0-9\n]{0,24}\b([12][ \t]?\d{2}[ \t]?\d{2}[ \t]?(?:\d{2}|2[AB])[ \t]?\d{3}[ \t]?\d{3}[ \t]?\d{2})\b",
            1,
            Check::NationalId,
            Arm::Literals(&["sociale", "insee"]),
        ),
        (
            Kind::NationalId,
            r"(?:СНИЛС|(?i:snils))[ \t:№]*(\d{3}-\d{3}-\d{3}[ -]\d{2})\b",
            1,
            Check::NationalId,
            Arm::Literals(&["СНИЛС", "snils"]),
        ),
        (
            Kind::NationalId,
            r"(?i)\b(?:T\.?C\.?[ \t]*Kimlik(?:[ \t]*No)?|TCKN)[ \t.:]*(\d{11})\b",
            1,
            Check::NationalId,
            Arm::Literals(&["kimlik"]),
        ),
        (
            Kind::NationalId,
            r"\bNIK(?:[ \t+]+saya)?[ \t+]*[:=]?[ \t+]*(\d{16})\b",
            1,
            Check::NationalId,
            Arm::Literals(&["nik"]),
        ),
    ]
}

/// Whether `s` passes the check of the national number it is shaped like.
pub(super) fn valid(s: &str) -> bool {
    let d: Vec<u32> = s.bytes().filter(u8::is_ascii_digit).map(|b| u32::from(b - b'0')).collect();
    let last = s.bytes().last().unwrap_or(0);
    if last.is_ascii_uppercase() {
        return dni(s);
    }
    let compact = s.bytes().filter(|c| !c.is_ascii_whitespace()).count();
    match d.len() {
        // SNILS is written `AAA-BBB-CCC DD`; a CPF `AAA.BBB.CCC-DD` or bare, like a TCKN.
        11 if s.matches('-').count() >= 2 || s.contains(' ') => snils(&d),
        11 => cpf(&d) || tckn(&d),
        13 | 15 if compact == 15 => nir(s),
        16 => nik(&d),
        _ => false,
    }
}

/// Spain: 8 digits (a NIE's X, Y, Z as 0, 1, 2) and the letter of their value mod 23.
fn dni(s: &str) -> bool {
    const LETTERS: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let b = s.as_bytes();
    let (head, letter) = b.split_at(b.len() - 1);
    let mut n: u64 = 0;
    for (i, &c) in head.iter().enumerate() {
        let v = match c {
            b'X' if i == 0 => 0,
            b'Y' if i == 0 => 1,
            b'Z' if i == 0 => 2,
            b'0'..=b'9' => u64::from(c - b'0'),
            _ => return false,
        };
        n = n * 10 + v;
    }
    LETTERS[(n % 23) as usize] == letter[0]
}

/// Brazil: two check digits, each 11 minus a weighted sum mod 11 (10 and 11 count as 0); not
/// eleven equal digits.
fn cpf(d: &[u32]) -> bool {
    if d.len() != 11 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |n: usize| {
        let sum: u32 = d[..n].iter().enumerate().map(|(i, &x)| x * (n as u32 + 1 - i as u32)).sum();
        let r = (sum * 10) % 11;
        if r == 10 { 0 } else { r }
    };
    check(9) == d[9] && check(10) == d[10]
}

/// Russia: the weighted sum of the nine digits (weights 9 down to 1) mod 101, 100 as 00.
fn snils(d: &[u32]) -> bool {
    let sum: u32 = d[..9].iter().enumerate().map(|(i, &x)| x * (9 - i as u32)).sum();
    let check = match sum % 101 {
        100 => 0,
        c => c,
    };
    check == d[9] * 10 + d[10]
}

/// Turkey: first digit not 0; the tenth and eleventh digits from the others.
fn tckn(d: &[u32]) -> bool {
    if d[0] == 0 {
        return false;
    }
    let odd: u32 = [0, 2, 4, 6, 8].iter().map(|&i| d[i]).sum();
    let even: u32 = [1, 3, 5, 7].iter().map(|&i| d[i]).sum();
    let tenth = (odd * 7 + 10 * 9 - even) % 10;
    let eleventh = d[..10].iter().sum::<u32>() % 10;
    tenth == d[9] && eleventh == d[10]
}

/// France: sex 1 or 2, and the key 97 minus the first 13 digits mod 97 (Corsica's 2A and 2B
/// count as 19 and 18 in the department).
fn nir(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() != 15 {
        return false;
    }
    let (body, key) = compact.split_at(13);
    let body = body.replace("2A", "19").replace("2B", "18");
    match (body.parse::<u64>(), key.parse::<u64>()) {
        (Ok(n), Ok(k)) => (1..=2).contains(&(n / 1_000_000_000_000)) && 97 - n % 97 == k,
        _ => false,
    }
}

/// Indonesia: province code 11 to 94, a day of birth 1 to 31 (41 to 71 for women), a month 1
/// to 12.
fn nik(d: &[u32]) -> bool {
    let two = |i: usize| d[i] * 10 + d[i + 1];
    let (province, day, month) = (two(0), two(6), two(8));
    (11..=94).contains(&province)
        && ((1..=31).contains(&day) || (41..=71).contains(&day))
        && (1..=12).contains(&month)
}

#[cfg(test)]
mod tests {
    use super::valid;

    #[test]
    fn published_checks_accept_valid_numbers_and_refuse_one_digit_off() {
        // DNI 12345678Z and NIE X1234567L; CPF 529.982.247-25; SNILS 112-233-445 95; TCKN
        // 10000000146; NIR 1 84 12 76 451 089 46 (INSEE's example); NIK with a valid date.
        for ok in [
            "12345678Z",
            "X1234567L",
            "529.982.247-25",
            "112-233-445 95",
            "10000000146",
            "1 84 12 76 451 089 46",
            "3171234501900001",
        ] {
            assert!(valid(ok), "{ok}");
        }
        for bad in [
            "12345678A",
            "X1234567A",
            "529.982.247-26",
            "111.111.111-11",
            "112-233-445 96",
            "10000000147",
            "1 84 12 76 451 089 47",
            "3171234513900001",
        ] {
            assert!(!valid(bad), "{bad}");
        }
    }
}
