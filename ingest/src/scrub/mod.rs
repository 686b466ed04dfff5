//! The scrubber: removes secrets and personal data from log text before anything else sees it
//! (ARCHITECTURE.md, invariant 1). Every secret becomes `[REDACTED:<kind>:<8 hex>]`, the hex the
//! first four bytes of HMAC-SHA256(deployment key, secret): the same token gets the same
//! pseudonym in every event and after restarts, so "one token from 40 IPs" stays countable, and
//! nothing in the store can be turned back into the token.
//!
//! Where things are: this file is the engine (find candidates, resolve overlaps, write markers);
//! `detectors.rs` the built-in detectors and their gates; `catalogue.rs` the vendor token rules
//! adopted from gitleaks and Nosey Parker; `names.rs` what a field name or a word in free text
//! says about its value; `pairs.rs` the `name=value` and `/name/value` scanners and URL
//! decoding; `shapes.rs` the numeric gates; `literals.rs` the trigger-literal search; `json.rs`
//! the structure-aware walk; `markers.rs` the markers; `keyfile.rs` the key; `validate.rs`
//! Luhn, mod-97, JWT and entropy checks.
//!
//! How it stays fast on clean lines: every detector has a gate, a cheap necessary condition for
//! its regex to match, and only armed detectors run. Most gates are trigger literals, all found
//! in one vector search (`literals.rs`), and the vendor rules' keywords in one automaton
//! (`catalogue.rs`); `name=value` and `"name": "value"` pairs need a `=` or a quote, and their
//! names decide; numeric detectors (cards, phones, SSNs, IBANs) need six digits and a run of
//! digits shaped like theirs (`shapes.rs`). Values that no detector can match (UUIDs,
//! timestamps, lowercase host names) are recognised before any of that. A clean line is
//! returned borrowed, with no allocation.
//!
//! How it stays linear on hostile lines (ARCHITECTURE.md, invariant 5): every search resumes
//! after a candidate, accepted or rejected, never one character into it; every hand-written
//! scanner looks at each byte a bounded number of times; escaped JSON is walked once per level.
//!
//! How it stays correct on JSON: a JSON line is walked token by token (`json.rs`): values under
//! sensitive keys are redacted whatever they look like, keys and other string values are
//! scrubbed as text (JSON inside JSON strings recursively), and everything that does not change
//! is copied byte for byte, so the output is valid JSON that differs from the input only where a
//! secret was.
//!
//! What it must never do: return text in which a detected secret survives, or panic on any input.

pub mod adversarial;
mod catalogue;
mod commands;
mod detectors;
mod engine;
mod json;
mod keyfile;
mod kind;
mod literals;
mod markers;
mod names;
mod national;
mod pairs;
mod routes;
mod shapes;
pub mod validate;

use detectors::*;
pub use detectors::{all_kinds, trigger_literals};
use engine::*;
pub use keyfile::ephemeral_key;
use keyfile::*;
pub use kind::Kind;
pub(crate) use markers::marker_at;
use markers::*;
use names::*;
pub(crate) use names::{NameClass, classify_name};
use pairs::*;
use shapes::*;

use crate::config::{IpPolicy, ScrubConfig};
use hmac::{Hmac, Mac};
use regex::Regex;
use sha2::Sha256;
use std::borrow::Cow;

/// Marker prefix; text inside existing markers is never scrubbed again (idempotence).
const MARKER: &str = "[REDACTED:";
/// URL-encoded text is decoded and searched again up to this many times (`%253D` is an `=`
/// encoded twice, as a redirect parameter inside a query string has it).
const MAX_DECODE_LEVELS: u8 = 2;
/// Numeric detectors need at least this many digits in the text to be worth running (a UK
/// National Insurance number has six).
const MIN_DIGITS: usize = 6;
/// Most markers written into one text; the rest of it becomes one `flood` marker.
const MAX_HITS: usize = 64;

/// Passes over one text at most (`Scrubber::scrub_text`).
const MAX_PASSES: usize = 4;

/// More markers than the scrubber writes into one text (at most `MAX_HITS` and a `flood`
/// marker per pass): the rest were planted, and each would cost the detectors armed beside
/// them a candidate, so the text is a flood.
const MAX_MARKERS: usize = MAX_PASSES * (MAX_HITS + 1);
/// Most candidates one detector looks for in one text (some are dropped as overlaps, so more
/// than [`MAX_HITS`]); where it stops, the rest of the text becomes one `flood` marker.
const MAX_DETECTOR_HITS: usize = 4 * MAX_HITS;

/// Pairs cost a name lookup each: text with more `=` signs than this (a few per field, then
/// one per 8 bytes; query strings and forms have one per pair) is a flood, as for trigger
/// literals (`literals::Budget`): `ab=` repeated cost 6 times a benign text per byte.
const PAIR_FLOOR: usize = 32;
const PAIR_BYTES_PER: usize = 8;

/// Most bytes of a dead-letter excerpt.
pub const EXCERPT_BYTES: usize = 512;

/// A scrubber built once from the configuration; `Send + Sync`, shared by every reader.
pub struct Scrubber {
    /// HMAC-SHA256 keyed with the deployment key (its key schedule done once).
    mac: Hmac<Sha256>,
    /// Finds the trigger literals in a text.
    literals: literals::Literals,
    detectors: Vec<Detector>,
    /// Which detectors each gate arms, as sets of detector indexes (their priority order).
    arms: Arms,
    allow: Vec<Regex>,
    extra_names: Vec<String>,
    ip_policy: IpPolicy,
    /// Digit-gated detectors present (false when all numeric kinds are disabled).
    numeric: bool,
    /// The digit-gated detectors' patterns, in detector order, as one automaton: which of them
    /// can match in a text that is not ASCII (`\d` and `\b` are Unicode-aware there, which
    /// [`shapes`] does not model).
    numeric_set: regex::RegexSet,
    /// Custom rules exist (they run on every text).
    custom: bool,
    /// Kinds left alone (`scrub.disabled_kinds`); also filters kinds found by field name.
    disabled: Vec<Kind>,
    /// The vendor token formats ([`catalogue`]), shared by every scrubber.
    catalogue: &'static catalogue::Catalogue,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Scrubber").field("detectors", &self.detectors.len()).finish_non_exhaustive()
    }
}

/// A candidate redaction.
#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    kind: Kind,
    prio: usize,
}

impl Scrubber {
    /// Builds the scrubber; the key comes from `cfg.key`, else `cfg.key_file` (created with a
    /// random key if missing).
    pub fn from_config(cfg: &ScrubConfig) -> Result<Scrubber, String> {
        let key = if !cfg.key.trim().is_empty() {
            parse_key(cfg.key.trim()).map_err(|e| format!("`scrub.key`: {e}"))?
        } else {
            load_or_create_key(&cfg.resolved_key_file())?
        };
        Self::with_key(cfg, key)
    }

    /// Builds the scrubber with an explicit key (tests, benchmarks).
    pub fn with_key(cfg: &ScrubConfig, key: Vec<u8>) -> Result<Scrubber, String> {
        let catalogue = catalogue::get();
        let mut disabled = Vec::with_capacity(cfg.disabled_kinds.len());
        for k in &cfg.disabled_kinds {
            let known = Kind::builtin(k).is_some() || catalogue.kinds().any(|c| c == k);
            if !known {
                let builtin: Vec<&str> = Kind::BUILTIN.iter().map(|k| k.as_str()).collect();
                return Err(format!(
                    "`scrub.disabled_kinds`: unknown kind `{k}`; expected one of {} or a vendor kind \
                     (`gatewatch scrub --kinds` lists them)",
                    builtin.join(", ")
                ));
            }
            disabled.push(Kind::named(k));
        }
        let mut literals: Vec<String> = Vec::new();
        let mut lit_index = |l: &str| -> usize {
            match literals.iter().position(|x| x == l) {
                Some(i) => i,
                None => {
                    literals.push(l.to_string());
                    literals.len() - 1
                }
            }
        };
        let mut detectors = Vec::new();
        for (kind, pat, group, check, arm) in builtin() {
            if disabled.contains(&kind) && !matches!(check, Check::KeyValue | Check::KeyValueScan) {
                continue;
            }
            let gate = match arm {
                Arm::Literals(l) => Gate::Literals(l.iter().fold(literals::Mask::default(), |mut m, t| {
                    m.set(lit_index(t));
                    m
                })),
                Arm::Pairs => Gate::Pairs,
                Arm::Quoted => Gate::Quoted,
                Arm::Markup => Gate::Markup,
                Arm::Numeric(shape) => Gate::Numeric(shape),
            };
            detectors.push(Detector::new(kind, LazyRegex::builtin(ascii_classes(pat)), group, check, gate));
        }
        if cfg.ip_in_text != IpPolicy::Keep {
            let re = LazyRegex::builtin(r"\b(?:\d{1,3}\.){3}\d{1,3}\b".into());
            detectors.push(Detector::new(Kind::Ip, re, 0, Check::Ipv4, Gate::Numeric(shape::IP)));
        }
        for (i, rule) in cfg.rules.iter().enumerate() {
            let field = format!("scrub.rules[{i}]");
            if rule.kind.is_empty()
                || rule.kind.len() > MAX_KIND_LEN
                || !rule.kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(format!("`{field}.kind`: use letters, digits and `_`, at most {MAX_KIND_LEN}"));
            }
            let re = Regex::new(&rule.pattern).map_err(|e| format!("`{field}.pattern`: {e}"))?;
            let check = match rule.validator.as_deref() {
                None => Check::None,
                Some("luhn") => Check::Luhn,
                Some("mod97") => Check::Iban,
                Some("jwt") => Check::Jwt,
                Some(v) => {
                    return Err(format!("`{field}.validator`: unknown `{v}`; expected luhn, mod97 or jwt"));
                }
            };
            let group = usize::from(re.captures_len() > 1);
            detectors.push(Detector::new(
                Kind::named(&rule.kind),
                LazyRegex::compiled(re),
                group,
                check,
                Gate::Always,
            ));
        }
        let allow = cfg
            .allow
            .iter()
            .enumerate()
            .map(|(i, a)| Regex::new(&format!("^(?:{a})$")).map_err(|e| format!("`scrub.allow[{i}]`: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let arms = Arms::new(&detectors, literals.len())?;
        let literals = literals::Literals::new(&literals)?;
        let is_numeric = |d: &&Detector| matches!(d.gate, Gate::Numeric(_));
        let numeric = detectors.iter().any(|d| is_numeric(&d));
        let numeric_set = regex::RegexSet::new(detectors.iter().filter(is_numeric).map(|d| d.re.as_str()))
            .map_err(|e| format!("scrubber numeric set: {e}"))?;
        assert!(detectors.iter().filter(is_numeric).count() <= 64, "numeric detectors fit the u64 mask");
        let custom = detectors.iter().any(|d| d.gate == Gate::Always);
        let mut extra_names: Vec<String> = cfg
            .sensitive_fields
            .iter()
            .map(|n| n.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect())
            .collect();
        extra_names.retain(|n: &String| !n.is_empty());
        Ok(Scrubber {
            mac: Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length"),
            literals,
            detectors,
            arms,
            allow,
            extra_names,
            ip_policy: cfg.ip_in_text,
            numeric,
            numeric_set,
            custom,
            disabled,
            catalogue,
        })
    }

    /// The pseudonym of `secret`: first 4 bytes of HMAC-SHA256(key, secret), hex.
    pub fn fingerprint(&self, secret: &str) -> String {
        let mut s = String::with_capacity(8);
        self.push_fingerprint(&mut s, secret);
        s
    }

    fn push_fingerprint(&self, out: &mut String, secret: &str) {
        // The keyed state is cloned: the key's two compression rounds are not redone per secret.
        let mut mac = self.mac.clone();
        mac.update(secret.as_bytes());
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for &b in &mac.finalize().into_bytes()[..4] {
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }

    fn marker(&self, kind: Kind, secret: &str) -> String {
        let mut s = String::with_capacity(MARKER.len() + kind.as_str().len() + 10);
        self.push_marker(&mut s, kind, secret);
        s
    }

    /// Appends `[REDACTED:<kind>:<fingerprint>]` to `out`.
    fn push_marker(&self, out: &mut String, kind: Kind, secret: &str) {
        out.push_str(MARKER);
        out.push_str(kind.as_str());
        out.push(':');
        self.push_fingerprint(out, secret);
        out.push(']');
    }

    /// Scrubs one log line: JSON lines structurally, anything else as text. Path segments
    /// bound to a sensitive parameter of a route template in the line go first
    /// ([`routes`]).
    pub fn scrub_line<'a>(&self, line: &'a str) -> Cow<'a, str> {
        match routes::redact_bound(self, line) {
            Cow::Borrowed(line) => self.scrub_unbound(line),
            Cow::Owned(line) => Cow::Owned(self.scrub_unbound(&line).into_owned()),
        }
    }

    fn scrub_unbound<'a>(&self, line: &'a str) -> Cow<'a, str> {
        let t = line.trim_start();
        if (t.starts_with('{') || t.starts_with('['))
            && let Some(out) = json::scrub_json(self, line, 0)
        {
            return out;
        }
        if let Some(out) = self.scrub_labelled(line, 0) {
            return out;
        }
        self.scrub_text(line)
    }

    /// Execution logs (`(request-id) Method request body before transformations: {…}`), function
    /// logs (`…\tINFO\tevent: {…}`) and a JSON payload after a text prefix (`… audit {…}`): a
    /// complete JSON body after the label is walked structurally like a JSON line, the label
    /// scrubbed as text. `None`: no such body.
    pub(crate) fn scrub_labelled<'a>(&self, line: &'a str, depth: u8) -> Option<Cow<'a, str>> {
        // The first `: {`, else the first `: [` (colon searches, then two bytes: this runs on
        // most string values, so no substring searcher is set up for it).
        let b = line.as_bytes();
        let after_colon = |open: u8| {
            memchr::memchr_iter(b':', b).find(|&i| b.get(i + 1) == Some(&b' ') && b.get(i + 2) == Some(&open))
        };
        // Else a JSON object that ends the line after a word (`2024-… audit {…}`, a syslog
        // message's payload): one more try, at the first ` {` or tab-`{`.
        let after_word = || {
            line.trim_end()
                .ends_with('}')
                .then(|| memchr::memchr2_iter(b' ', b'\t', b).find(|&i| b.get(i + 1) == Some(&b'{')))?
        };
        // The first of them that opens a complete JSON body (`… records {"records": [{…}]}`:
        // the `: [` inside is not where the body starts).
        let (brace, body) = [after_colon(b'{').map(|i| i + 2), after_colon(b'[').map(|i| i + 2)]
            .into_iter()
            .flatten()
            .chain(std::iter::once_with(|| after_word().map(|i| i + 1)).flatten())
            .find_map(|brace| json::scrub_json(self, &line[brace..], depth).map(|body| (brace, body)))?;
        let head = self.scrub_text(&line[..brace]);
        Some(match (head, body) {
            (Cow::Borrowed(_), Cow::Borrowed(_)) => Cow::Borrowed(line),
            (h, b) => Cow::Owned(format!("{h}{b}")),
        })
    }

    /// Scrubs bytes that may not be UTF-8 (invalid sequences become U+FFFD first).
    pub fn scrub_bytes<'a>(&self, line: &'a [u8]) -> Cow<'a, str> {
        match std::str::from_utf8(line) {
            Ok(s) => self.scrub_line(s),
            Err(_) => Cow::Owned(self.scrub_line(&String::from_utf8_lossy(line)).into_owned()),
        }
    }

    /// A short scrubbed excerpt for dead letters.
    pub fn excerpt(&self, line: &[u8]) -> String {
        let s = self.scrub_bytes(line);
        let mut end = s.len().min(EXCERPT_BYTES);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_string()
    }

    /// Scrubs free text.
    pub fn scrub_text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        // Overlapping candidates are resolved greedily, which can hide a secret that only a
        // discarded candidate covered, numeric matches depend on their neighbours, and a marker
        // changes how the text beside it reads: passes repeat until nothing more changes, so
        // that scrubbing is idempotent. The pass after the last change finds only markers,
        // which it skips.
        let Cow::Owned(mut out) = self.scrub_pass(text) else { return Cow::Borrowed(text) };
        for _ in 1..MAX_PASSES {
            match self.scrub_pass(&out) {
                Cow::Owned(next) => out = next,
                Cow::Borrowed(_) => break,
            }
        }
        Cow::Owned(out)
    }

    /// One pass: every hit found in `text` replaced by its marker.
    fn scrub_pass<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let hits = self.find_inner(text, MAX_DECODE_LEVELS);
        if hits.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 16 * hits.len());
        let mut last = 0;
        // A text with more secrets than any log line holds is an attack on the scrubber (each
        // marker costs a keyed hash): past the cap, the rest of the text becomes one marker.
        let flood_at = hits.get(MAX_HITS).map(|h| h.start);
        for h in hits.into_iter().take(MAX_HITS) {
            out.push_str(&text[last..h.start]);
            let secret = &text[h.start..h.end];
            if h.kind == Kind::Ip && self.ip_policy == IpPolicy::Truncate {
                let mut parts = secret.rsplitn(2, '.');
                let _ = parts.next();
                out.push_str(parts.next().unwrap_or(secret));
                out.push_str(".0/24");
            } else {
                self.push_marker(&mut out, h.kind, secret);
            }
            last = h.end;
        }
        match flood_at {
            Some(at) => {
                out.push_str(&text[last..at]);
                self.push_marker(&mut out, Kind::Flood, &text[at..]);
            }
            None => out.push_str(&text[last..]),
        }
        Cow::Owned(out)
    }

    /// Redacts a whole value found under a sensitive name; `-` and empty stay.
    pub(crate) fn redact_value(&self, class: NameClass, value: &str) -> Option<String> {
        let out = self.redact_value_inner(class, value)?;
        // A disabled kind's marker is not produced: fall back to plain text scrubbing.
        if self.disabled.iter().any(|d| out.contains(&format!("{MARKER}{d}:"))) {
            return Some(self.scrub_text(value).into_owned()).filter(|s| s != value);
        }
        Some(out)
    }

    fn redact_value_inner(&self, class: NameClass, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() || v == "-" || v == "null" || v.starts_with(MARKER) {
            return None;
        }
        match class {
            NameClass::Secret(kind) => {
                if names::benign_value(kind, v) {
                    return None;
                }
                let kind = if validate::jwt(v) { Kind::Jwt } else { kind };
                Some(self.marker(kind, value))
            }
            NameClass::IfRandom(kind) => {
                (names::random_enough(kind, v) && !validate::placeholder(v)).then(|| self.marker(kind, value))
            }
            NameClass::Authorization => {
                // Keep the scheme visible: "Bearer [REDACTED:jwt:…]".
                match v.split_once(char::is_whitespace) {
                    Some((scheme, cred)) if scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                        let cred = cred.trim();
                        if cred.starts_with(MARKER) || validate::placeholder(cred) {
                            // Scrubbed before (`Bearer [REDACTED:jwt:…]`): a rescrub keeps it.
                            return None;
                        }
                        let kind = match scheme.to_ascii_lowercase().as_str() {
                            _ if validate::jwt(cred) => Kind::Jwt,
                            "bearer" => Kind::Bearer,
                            "basic" => Kind::BasicAuth,
                            _ => Kind::Authorization,
                        };
                        if scheme.eq_ignore_ascii_case("AWS4-HMAC-SHA256") {
                            Some(self.scrub_text(value).into_owned()).filter(|s| s != value)
                        } else {
                            Some(format!("{scheme} {}", self.marker(kind, cred)))
                        }
                    }
                    _ => Some(
                        self.marker(if validate::jwt(v) { Kind::Jwt } else { Kind::Authorization }, value),
                    ),
                }
            }
            NameClass::Cookie => Some(self.scrub_cookie(value)),
            NameClass::Exempt | NameClass::Fact | NameClass::Plain => None,
        }
    }

    /// Redacts every cookie value of a `Cookie`/`Set-Cookie` header value.
    fn scrub_cookie(&self, value: &str) -> String {
        let mut out = String::with_capacity(value.len());
        for (i, part) in value.split(';').enumerate() {
            if i > 0 {
                out.push(';');
            }
            match part.split_once('=') {
                Some((name, v))
                    if !is_cookie_attribute(name)
                        && !v.trim().is_empty()
                        && !v.starts_with(MARKER)
                        && !self.plain_cookie(name, v.trim()) =>
                {
                    out.push_str(name);
                    out.push('=');
                    out.push_str(&self.marker(Kind::Cookie, v.trim()));
                }
                _ => out.push_str(part),
            }
        }
        out
    }
}

/// The detectors each gate arms, so that a text's armed detectors are a few set unions instead
/// of a test of every detector's gate.
struct Arms {
    /// Per trigger literal.
    literal: Vec<literals::Mask>,
    pairs: literals::Mask,
    quoted: literals::Mask,
    markup: literals::Mask,
    always: literals::Mask,
    /// The detector of each numeric gate, in order (bit i of the numeric set).
    numeric: Vec<usize>,
}

impl Arms {
    fn new(detectors: &[Detector], literal_count: usize) -> Result<Arms, String> {
        if detectors.len() > literals::MAX_LITERALS {
            return Err(format!(
                "`scrub.rules`: at most {} detectors in all, built-in ones included",
                literals::MAX_LITERALS
            ));
        }
        let mut a = Arms {
            literal: vec![literals::Mask::default(); literal_count],
            pairs: literals::Mask::default(),
            quoted: literals::Mask::default(),
            markup: literals::Mask::default(),
            always: literals::Mask::default(),
            numeric: Vec::new(),
        };
        for (i, d) in detectors.iter().enumerate() {
            match &d.gate {
                Gate::Literals(l) => l.iter().for_each(|lit| a.literal[lit].set(i)),
                Gate::Pairs => a.pairs.set(i),
                Gate::Quoted => a.quoted.set(i),
                Gate::Markup => a.markup.set(i),
                Gate::Numeric(_) => a.numeric.push(i),
                Gate::Always => a.always.set(i),
            }
        }
        Ok(a)
    }
}

#[cfg(test)]
mod tests;
