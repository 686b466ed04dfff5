//! The scrubber: removes secrets and personal data from log text before anything else sees it
//! (DESIGN.md invariant 1). Every secret becomes `[REDACTED:<kind>:<8 hex>]`, the hex the first
//! four bytes of HMAC-SHA256(deployment key, secret): the same token gets the same pseudonym in
//! every event and after restarts, so "one token from 40 IPs" stays countable, and nothing in
//! the store can be turned back into the token.
//!
//! How it stays fast on clean lines: one Aho-Corasick pass finds which trigger literals occur,
//! and only the detectors those literals arm run their regex; numeric detectors (cards, phones,
//! SSNs, IBANs) run only when the text holds enough digits. A clean line is returned borrowed,
//! with no allocation.
//!
//! How it stays correct on JSON: a JSON line is walked token by token (`json.rs`): values under
//! sensitive keys are redacted whatever they look like, other string values are scrubbed as text
//! (JSON inside JSON strings recursively), and everything that does not change is copied byte for
//! byte, so the output is valid JSON that differs from the input only where a secret was.
//!
//! What it must never do: return text in which a detected secret survives, or panic on any input.

mod json;
pub mod validate;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use gatewatch_core::config::{IpPolicy, ScrubConfig};
use hmac::{Hmac, Mac};
use regex::Regex;
use sha2::Sha256;
use std::borrow::Cow;
use std::path::Path;

/// Marker prefix; text inside existing markers is never scrubbed again (idempotence).
const MARKER: &str = "[REDACTED:";
/// Numeric detectors need at least this many digits in the text to be worth running.
const MIN_DIGITS: usize = 7;
/// Most bytes of a dead-letter excerpt.
pub const EXCERPT_BYTES: usize = 512;

/// What a detector does with its match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Check {
    None,
    Card,
    Iban,
    Ssn,
    Jwt,
    Phone,
    Luhn,
    /// Bearer tokens: at least 16 characters or containing a digit (not the word "token").
    Bearer,
    /// Basic credentials: base64 of `user:password`.
    Basic,
    /// `name=value` pairs: the name decides (see [`classify_name`]).
    KeyValue,
    /// The same, found by [`kv_pairs`] instead of the regex.
    KeyValueScan,
    /// A cookie header: every cookie value is redacted.
    Cookie,
    Ipv4,
}

struct Detector {
    kind: String,
    re: Regex,
    /// Capture group to redact (0: the whole match).
    group: usize,
    check: Check,
    /// Indexes into the trigger literals; empty: gated by digit count instead.
    triggers: Vec<usize>,
}

/// How a field or parameter name marks its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameClass {
    /// Always secret, reported under this kind.
    Secret(&'static str),
    /// Secret only if the value looks random (`key=…`, `auth=…`).
    IfRandom(&'static str),
    /// `authorization`: scheme-aware.
    Authorization,
    /// `cookie` / `set-cookie`.
    Cookie,
    /// Never scrubbed (source IP fields keep their value byte for byte).
    Exempt,
    /// A fact about a credential (`tokenType`, `password_min_length`, `Expiration`): scrubbed as
    /// plain text even inside a secret object.
    Fact,
    Plain,
}

/// Classifies a field/parameter name (case, `-`, `_` and `.` ignored).
pub(crate) fn classify_name(name: &str, extra: &[String]) -> NameClass {
    // Normalised on the stack: this runs for every key of every JSON line.
    let mut buf = [0u8; 64];
    let mut len = 0;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            if len == buf.len() {
                return NameClass::Plain; // no sensitive name is that long
            }
            buf[len] = b.to_ascii_lowercase();
            len += 1;
        }
    }
    let n = std::str::from_utf8(&buf[..len]).expect("ASCII");
    if !extra.is_empty() && extra.iter().any(|e| e == n) {
        return NameClass::Secret("secret");
    }
    match n {
        "ip" | "sourceip" | "clientip" | "remoteaddr" => return NameClass::Exempt,
        "authorization" | "proxyauthorization" => return NameClass::Authorization,
        "cookie" | "setcookie" | "cookies" => return NameClass::Cookie,
        "ssn" | "socialsecuritynumber" => return NameClass::Secret("ssn"),
        "cardnumber" | "ccnumber" | "creditcard" | "creditcardnumber" | "pan" | "cvv" | "cvc" => {
            return NameClass::Secret("card");
        }
        "pwd" | "pass" | "pin" | "passphrase" => return NameClass::Secret("password"),
        "xamzsignature" | "xamzcredential" | "xamzsecuritytoken" | "signature" => {
            return NameClass::Secret("aws_sigv4");
        }
        "sid" | "sessionid" | "session" | "jsessionid" | "phpsessid" => return NameClass::Secret("token"),
        _ => {}
    }
    match n {
        "privatekeyid" => return NameClass::Secret("secret"),
        "phone" | "phonenumber" | "mobile" | "mobilenumber" | "msisdn" | "tel" | "telephone" | "cell"
        | "cellphone" => {
            return NameClass::Secret("phone");
        }
        _ => {}
    }
    // Facts about credentials (apiKeyId, tokenType, password_min_length, token_ttl_seconds…)
    // are not credentials.
    const META: &[&str] = &[
        "id",
        "type",
        "name",
        "expiry",
        "expires",
        "expiration",
        "expiresin",
        "expiresat",
        "length",
        "len",
        "ttl",
        "seconds",
        "secs",
        "ms",
        "minutes",
        "count",
        "policy",
        "required",
        "enabled",
        "strength",
        "hint",
        "format",
        "version",
        "at",
        "url",
        "uri",
        "endpoint",
        "reset",
        "rules",
        "location",
        "source",
        "usage",
        "scope",
        "scopes",
    ];
    if META.iter().any(|m| n.ends_with(m)) || n.contains("requires") {
        return NameClass::Fact;
    }
    if n.contains("password") || n.contains("passwd") {
        NameClass::Secret("password")
    } else if n.contains("secret") || n.contains("credential") || n.contains("privatekey") {
        NameClass::Secret("secret")
    } else if n.contains("apikey") || n == "xapikey" || n.contains("accesskey") {
        NameClass::Secret("api_key")
    } else if n.contains("token") {
        NameClass::Secret("token")
    } else if n == "key" || n.ends_with("key") || n.contains("auth") || n.ends_with("sig") {
        NameClass::IfRandom("api_key")
    } else {
        NameClass::Plain
    }
}

/// Trigger literals (matched ASCII-case-insensitively) and the detectors they arm.
const NAME_TRIGGERS: &[&str] = &[
    "pass",
    "pwd",
    "pin",
    "secret",
    "token",
    "key",
    "auth",
    "session",
    "sid",
    "cookie",
    "credential",
    "ssn",
    "card",
    "sig",
    "pan",
    "cvv",
    "cvc",
    "phone",
    "mobile",
    "msisdn",
    "tel",
    "cell",
];

/// A scrubber built once from the configuration; `Send + Sync`, shared by every reader.
pub struct Scrubber {
    key: Vec<u8>,
    prefilter: AhoCorasick,
    detectors: Vec<Detector>,
    allow: Vec<Regex>,
    extra_names: Vec<String>,
    ip_policy: IpPolicy,
    /// Digit-gated detectors present (false when all numeric kinds are disabled).
    numeric: bool,
    /// The digit-gated detectors' patterns, in detector order, as one automaton.
    numeric_set: regex::RegexSet,
    /// Custom rules exist (they run on every text).
    custom: bool,
    /// Kinds left alone (`scrub.disabled_kinds`); also filters kinds found by field name.
    disabled: Vec<String>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Scrubber").field("detectors", &self.detectors.len()).finish_non_exhaustive()
    }
}

/// Every built-in kind, for `disabled_kinds` validation and documentation.
pub const KINDS: &[&str] = &[
    "jwt",
    "bearer",
    "basic_auth",
    "authorization",
    "aws_access_key",
    "aws_secret_key",
    "aws_sigv4",
    "github_token",
    "gitlab_token",
    "slack_token",
    "stripe_key",
    "google_api_key",
    "sendgrid_key",
    "npm_token",
    "openai_key",
    "private_key",
    "password",
    "secret",
    "token",
    "cookie",
    "api_key",
    "email",
    "phone",
    "card",
    "ssn",
    "iban",
    "ip",
];

/// (kind, regex, group, check, trigger literals). Order is priority for identical ranges.
fn builtin() -> Vec<(&'static str, &'static str, usize, Check, &'static [&'static str])> {
    vec![
        (
            "private_key",
            r"-----BEGIN[A-Z ]*PRIVATE KEY-----(?s:.*?)(?:-----END[A-Z ]*PRIVATE KEY-----|$)",
            0,
            Check::None,
            &["-----begin"],
        ),
        (
            "jwt",
            r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}",
            0,
            Check::Jwt,
            &["eyj"],
        ),
        (
            "aws_sigv4",
            r"(?i)(?:^|[?&;,\s]|%26|%3F)X-Amz-(?:Signature|Credential|Security-Token)(?:=|%3D)([^&\s,;}'\x22]+)",
            1,
            Check::None,
            &["x-amz-"],
        ),
        ("aws_sigv4", r"(?i)\bSignature=([0-9a-f]{64})\b", 1, Check::None, &["signature="]),
        (
            "aws_sigv4",
            r"\bCredential=((?:AKIA|ASIA)[A-Z0-9]{16}/[^,&\s\x22]+)",
            1,
            Check::None,
            &["credential="],
        ),
        ("aws_access_key", r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", 0, Check::None, &["akia", "asia"]),
        (
            "aws_secret_key",
            r#"(?i)(?:aws_?secret_?access_?key|secret_?access_?key|secret_?key)\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
            1,
            Check::None,
            &["secret"],
        ),
        (
            "github_token",
            r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})",
            0,
            Check::None,
            &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        ),
        ("gitlab_token", r"\bglpat-[A-Za-z0-9_-]{20,}", 0, Check::None, &["glpat-"]),
        ("slack_token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}", 0, Check::None, &["xox"]),
        (
            "slack_token",
            r"hooks\.slack\.com/services/([A-Za-z0-9/_-]+)",
            1,
            Check::None,
            &["hooks.slack.com"],
        ),
        (
            "stripe_key",
            r"\b(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})",
            0,
            Check::None,
            &["k_live_", "k_test_", "whsec_"],
        ),
        ("google_api_key", r"\bAIza[0-9A-Za-z_-]{35}", 0, Check::None, &["aiza"]),
        ("sendgrid_key", r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}", 0, Check::None, &["sg."]),
        ("npm_token", r"\bnpm_[A-Za-z0-9]{36}\b", 0, Check::None, &["npm_"]),
        ("openai_key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}", 0, Check::None, &["sk-"]),
        ("bearer", r"(?i)\bbearer(?:\s+|%20|\+)([A-Za-z0-9._~+/-]+=*)", 1, Check::Bearer, &["bearer"]),
        ("basic_auth", r"(?i)\bbasic(?:\s+|%20|\+)([A-Za-z0-9+/]+=*)", 1, Check::Basic, &["basic"]),
        (
            "cookie",
            r#"(?i)(?:^|[^a-z0-9-])(?:set-)?cookie\\?["']?\s*(?:=|:)\s*\\?["']?([^,}\n\x22\\]+)"#,
            1,
            Check::Cookie,
            &["cookie"],
        ),
        // name=value (query strings, form bodies, execution-log header maps), URL-encoded too.
        (
            "secret",
            // Documents the shape; matched by the hand-written `kv_pairs` scanner (one pass, no
            // captures per pair), which execution-log header maps make the hot path.
            r#"(?:\b|%[0-9A-Fa-f]{2})([A-Za-z][A-Za-z0-9_.-]{1,39})(?:=|%3D|%3d)([^&\s,;}'"<>\\]*)"#,
            2,
            Check::KeyValueScan,
            NAME_TRIGGERS,
        ),
        // "name": "value" (JSON inside text), also backslash-escaped and \u0022-escaped JSON.
        (
            "secret",
            r#"(?:\\*"|\\u0022)([A-Za-z][A-Za-z0-9_.-]{1,39})(?:\\*"|\\u0022)\s*:\s*(?:\\*"|\\u0022)((?:[^"\\]|\\[^"u\\]|\\u00[013-9a-fA-F][0-9a-fA-F]|\\u002[013-9a-fA-F])*?)(?:\\*"|\\u0022)"#,
            2,
            Check::KeyValue,
            NAME_TRIGGERS,
        ),
        // Header style: `X-Api-Key: value`.
        (
            "secret",
            r"(?i)\b(x-api-key|api-key|x-auth-token|x-amz-security-token)\s*:\s*([^\s,;}\x22]+)",
            2,
            Check::KeyValue,
            &["api-key", "auth-token", "security-token"],
        ),
        (
            "email",
            r"[A-Za-z0-9._+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
            0,
            Check::None,
            &["@", "%40"],
        ),
        // Cards as printed: bare, or in the issuers' groupings (4-4-4-4…, Amex 4-6-5), one separator.
        (
            "card",
            r"\b(?:[2-6]\d{12,18}|[2-6]\d{3} \d{4} \d{4} \d{1,7}|[2-6]\d{3}-\d{4}-\d{4}-\d{1,7}|3\d{3} \d{6} \d{5}|3\d{3}-\d{6}-\d{5})\b",
            0,
            Check::Card,
            &[],
        ),
        ("iban", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", 0, Check::Iban, &[]),
        ("ssn", r"\b\d{3}-\d{2}-\d{4}\b", 0, Check::Ssn, &[]),
        (
            "phone",
            r"(?:\+|%2B)[1-9]\d{0,3}(?:[ .-]|%20)?\(?\d{1,4}\)?(?:(?:[ .-]|%20)?\d{2,4}){1,4}\b",
            0,
            Check::Phone,
            &[],
        ),
        ("phone", r"\(\d{3}\) ?\d{3}[-. ]\d{4}\b", 0, Check::Phone, &[]),
        ("phone", r"\b\d{3}[-.]\d{3}[-.]\d{4}\b", 0, Check::Phone, &[]),
        ("phone", r"\b0\d{1,4} \d{3,4} \d{3,4}\b", 0, Check::Phone, &[]),
        ("phone", r"\b0[1-9](?:[ .]\d{2}){4}\b", 0, Check::Phone, &[]),
    ]
}

/// A candidate redaction.
#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    kind: Cow<'static, str>,
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
        for k in &cfg.disabled_kinds {
            if !KINDS.contains(&k.as_str()) {
                return Err(format!(
                    "`scrub.disabled_kinds`: unknown kind `{k}`; expected one of {}",
                    KINDS.join(", ")
                ));
            }
        }
        let disabled = |k: &str| cfg.disabled_kinds.iter().any(|d| d == k);
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
        for (kind, pat, group, check, triggers) in builtin() {
            if disabled(kind) && !matches!(check, Check::KeyValue | Check::KeyValueScan) {
                continue;
            }
            detectors.push(Detector {
                kind: kind.to_string(),
                re: Regex::new(pat).expect("built-in pattern compiles"),
                group,
                check,
                triggers: triggers.iter().map(|t| lit_index(t)).collect(),
            });
        }
        if cfg.ip_in_text != IpPolicy::Keep {
            detectors.push(Detector {
                kind: "ip".into(),
                re: Regex::new(r"\b(?:\d{1,3}\.){3}\d{1,3}\b").expect("ip pattern"),
                group: 0,
                check: Check::Ipv4,
                triggers: vec![],
            });
        }
        for (i, rule) in cfg.rules.iter().enumerate() {
            let field = format!("scrub.rules[{i}]");
            if rule.kind.is_empty() || !rule.kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("`{field}.kind`: use letters, digits and `_`"));
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
            detectors.push(Detector {
                kind: rule.kind.clone(),
                re,
                group,
                check,
                triggers: vec![usize::MAX],
            });
        }
        let allow = cfg
            .allow
            .iter()
            .enumerate()
            .map(|(i, a)| Regex::new(&format!("^(?:{a})$")).map_err(|e| format!("`scrub.allow[{i}]`: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let prefilter = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .map_err(|e| format!("scrubber prefilter: {e}"))?;
        let numeric = detectors.iter().any(|d| d.triggers.is_empty());
        let numeric_set =
            regex::RegexSet::new(detectors.iter().filter(|d| d.triggers.is_empty()).map(|d| d.re.as_str()))
                .map_err(|e| format!("scrubber numeric set: {e}"))?;
        let custom = detectors.iter().any(|d| d.triggers.contains(&usize::MAX));
        assert!(literals.len() <= 64, "trigger literals fit the u64 mask");
        let mut extra_names: Vec<String> = cfg
            .sensitive_fields
            .iter()
            .map(|n| n.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect())
            .collect();
        extra_names.retain(|n: &String| !n.is_empty());
        Ok(Scrubber {
            key,
            prefilter,
            detectors,
            allow,
            extra_names,
            ip_policy: cfg.ip_in_text,
            numeric,
            numeric_set,
            custom,
            disabled: cfg.disabled_kinds.clone(),
        })
    }

    /// The pseudonym of `secret`: first 4 bytes of HMAC-SHA256(key, secret), hex.
    pub fn fingerprint(&self, secret: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(secret.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..4])
    }

    fn marker(&self, kind: &str, secret: &str) -> String {
        format!("{MARKER}{kind}:{}]", self.fingerprint(secret))
    }

    /// Scrubs one log line: JSON lines structurally, anything else as text.
    pub fn scrub_line<'a>(&self, line: &'a str) -> Cow<'a, str> {
        let t = line.trim_start();
        if (t.starts_with('{') || t.starts_with('['))
            && let Some(out) = json::scrub_json(self, line, 0)
        {
            return out;
        }
        // Execution logs: `(request-id) Method request body before transformations: {…}`.
        // A complete JSON body after the label is walked structurally like a JSON line.
        if let Some(brace) = line.find(": {").or_else(|| line.find(": [")).map(|i| i + 2)
            && let Some(body) = json::scrub_json(self, &line[brace..], 0)
        {
            let head = self.scrub_text(&line[..brace]);
            return match (head, body) {
                (Cow::Borrowed(_), Cow::Borrowed(_)) => Cow::Borrowed(line),
                (h, b) => Cow::Owned(format!("{h}{b}")),
            };
        }
        self.scrub_text(line)
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
        // discarded candidate covered, and numeric matches depend on their neighbours; in those
        // cases passes repeat until nothing more changes, so that scrubbing is idempotent.
        // Usually one pass suffices.
        const MAX_PASSES: usize = 4;
        let (Cow::Owned(mut out), mut again) = self.scrub_pass(text) else { return Cow::Borrowed(text) };
        for _ in 1..MAX_PASSES {
            if !again {
                break;
            }
            match self.scrub_pass(&out) {
                (Cow::Owned(next), a) => (out, again) = (next, a),
                (Cow::Borrowed(_), _) => break,
            }
        }
        Cow::Owned(out)
    }

    /// One pass; the flag says a discarded candidate covered text no kept hit did.
    fn scrub_pass<'a>(&self, text: &'a str) -> (Cow<'a, str>, bool) {
        let (hits, spill) = self.find_inner(text, true);
        if hits.is_empty() {
            return (Cow::Borrowed(text), false);
        }
        // Numeric matches depend on their neighbours (digit groups, word boundaries), which a
        // redaction changes: after one, look again.
        let again =
            spill || hits.iter().any(|h| matches!(h.kind.as_ref(), "phone" | "card" | "ssn" | "iban" | "ip"));
        let mut out = String::with_capacity(text.len() + 16 * hits.len());
        let mut last = 0;
        for h in hits {
            out.push_str(&text[last..h.start]);
            let secret = &text[h.start..h.end];
            if h.kind == "ip" && self.ip_policy == IpPolicy::Truncate {
                let mut parts = secret.rsplitn(2, '.');
                let _ = parts.next();
                out.push_str(parts.next().unwrap_or(secret));
                out.push_str(".0/24");
            } else {
                out.push_str(&self.marker(&h.kind, secret));
            }
            last = h.end;
        }
        out.push_str(&text[last..]);
        (Cow::Owned(out), again)
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
                let kind = if validate::jwt(v) { "jwt" } else { kind };
                Some(self.marker(kind, value))
            }
            NameClass::IfRandom(kind) => validate::high_entropy(v).then(|| self.marker(kind, value)),
            NameClass::Authorization => {
                // Keep the scheme visible: "Bearer [REDACTED:jwt:…]".
                match v.split_once(char::is_whitespace) {
                    Some((scheme, cred)) if scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                        let cred = cred.trim();
                        let kind = match scheme.to_ascii_lowercase().as_str() {
                            _ if validate::jwt(cred) => "jwt",
                            "bearer" => "bearer",
                            "basic" => "basic_auth",
                            _ => "authorization",
                        };
                        if scheme.eq_ignore_ascii_case("AWS4-HMAC-SHA256") {
                            Some(self.scrub_text(value).into_owned()).filter(|s| s != value)
                        } else {
                            Some(format!("{scheme} {}", self.marker(kind, cred)))
                        }
                    }
                    _ => Some(self.marker(if validate::jwt(v) { "jwt" } else { "authorization" }, value)),
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
                    if !is_cookie_attribute(name) && !v.trim().is_empty() && !v.starts_with(MARKER) =>
                {
                    out.push_str(name);
                    out.push('=');
                    out.push_str(&self.marker("cookie", v.trim()));
                }
                _ => out.push_str(part),
            }
        }
        out
    }

    fn find_inner(&self, text: &str, decode_pass: bool) -> (Vec<Hit>, bool) {
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        if !self.custom && obviously_clean(text, digits, self.ip_policy == IpPolicy::Keep) {
            return (Vec::new(), false);
        }
        // Which trigger literals occur (one pass), and are there enough digits?
        let mut seen: u64 = 0;
        // Literals inside existing markers (`[REDACTED:phone:…]`) arm nothing: a rescrub must
        // decide exactly as the first scrub did.
        let markers = marker_spans(text);
        for m in self.prefilter.find_overlapping_iter(text) {
            if !markers.iter().any(|&(a, b)| m.start() < b && a < m.end()) {
                seen |= 1 << m.pattern().as_usize();
            }
        }
        // Numeric kinds (cards, phones, SSNs, IBANs) have no literal to look for: one pass of
        // their combined automaton says which of them can match at all.
        let numeric = (self.numeric && digits >= MIN_DIGITS)
            .then(|| self.numeric_set.matches(text))
            .filter(regex::SetMatches::matched_any);
        let has_pct = decode_pass && memchr::memchr(b'%', text.as_bytes()).is_some();
        if seen == 0 && numeric.is_none() && !self.custom && !has_pct {
            return (Vec::new(), false);
        }
        let mut hits: Vec<Hit> = Vec::new();
        let mut numeric_index = 0;
        for (prio, d) in self.detectors.iter().enumerate() {
            let armed = if d.triggers.is_empty() {
                numeric_index += 1;
                numeric.as_ref().is_some_and(|m| m.matched(numeric_index - 1))
            } else {
                d.triggers.iter().any(|&t| t == usize::MAX || (t < 64 && seen & (1 << t) != 0))
            };
            if !armed {
                continue;
            }
            if d.check == Check::KeyValueScan {
                for (name, value) in kv_pairs(text) {
                    self.kv_hit(text, &text[name.0..name.1], value, prio, &mut hits);
                }
                continue;
            }
            let mut pos = 0;
            while let Some(caps) = d.re.captures_at(text, pos) {
                let whole = caps.get(0).expect("group 0 always matches");
                pos = whole.end().max(whole.start() + 1);
                let Some(m) = caps.get(d.group) else { continue };
                let mut m = (m.start(), m.end());
                if d.check == Check::KeyValue {
                    // A URL-encoded `&` ends the value; the next pair starts right after it.
                    if let Some(cut) = find_ci(&text[m.0..m.1], "%26") {
                        m.1 = m.0 + cut;
                        pos = m.1;
                    }
                }
                if m.0 == m.1 {
                    continue;
                }
                let s = &text[m.0..m.1];
                let kind: Cow<'static, str> = match d.check {
                    Check::KeyValue | Check::KeyValueScan => {
                        let name = caps.get(1).map_or("", |n| n.as_str());
                        if !self.kv_hit(text, name, m, prio, &mut hits) {
                            // Not a secret name: its value may hold pairs of its own
                            // (`redirect_uri=https://…?token=…`), so search inside it.
                            pos = m.0;
                        }
                        continue;
                    }
                    Check::Cookie => {
                        self.cookie_hits(text, m.0, s, prio, &mut hits);
                        continue;
                    }
                    check => {
                        if !passes(check, s)
                            || (check == Check::Phone && in_digit_groups(text, m.0, m.1))
                            // `10.1.2.0/24` is a network (or an already truncated address).
                            || (check == Check::Ipv4 && text[m.1..].starts_with('/'))
                        {
                            // A rejected long candidate may hide a valid shorter one inside it.
                            pos = next_char(text, whole.start());
                            continue;
                        }
                        Cow::Owned(d.kind.clone())
                    }
                };
                hits.push(Hit { start: m.0, end: m.1, kind, prio });
            }
        }
        // URL-encoded text (`token%3D…`, `%2B44%2020…`, `jane%40…`): detect on a decoded copy
        // and map the hits back onto the encoded bytes.
        if has_pct {
            let (decoded, map) = percent_decode_mapped(text);
            if decoded.len() != text.len() {
                for h in self.find_inner(&decoded, false).0 {
                    let start = map[h.start];
                    let end = map.get(h.end).copied().unwrap_or(text.len());
                    hits.push(Hit { start, end, ..h });
                }
            }
        }
        if hits.is_empty() {
            return (hits, false);
        }
        self.resolve(text, hits)
    }

    /// A `name` / value pair: pushes a hit when the name makes the value secret. Returns
    /// whether the name was a secret one.
    fn kv_hit(
        &self,
        text: &str,
        name: &str,
        value: (usize, usize),
        prio: usize,
        hits: &mut Vec<Hit>,
    ) -> bool {
        let s = &text[value.0..value.1];
        let decoded = s.trim();
        let kind = match self.classify(name) {
            NameClass::Secret(k) => {
                if decoded.is_empty() || decoded == "-" || decoded == "null" {
                    return true;
                }
                if validate::jwt(decoded) { "jwt" } else { k }
            }
            NameClass::IfRandom(k) => {
                if !validate::high_entropy(&percent_decode_mapped(decoded).0) {
                    return false;
                }
                k
            }
            NameClass::Cookie => {
                self.cookie_hits(text, value.0, s, prio, hits);
                return true;
            }
            _ => return false,
        };
        if !s.is_empty() {
            hits.push(Hit { start: value.0, end: value.1, kind: Cow::Borrowed(kind), prio });
        }
        true
    }

    fn cookie_hits(&self, _text: &str, base: usize, value: &str, prio: usize, hits: &mut Vec<Hit>) {
        let mut off = 0;
        for part in value.split(';') {
            if let Some(eq) = part.find('=') {
                let name = &part[..eq];
                let v = &part[eq + 1..];
                let lead = v.len() - v.trim_start().len();
                let v_trim = v.trim();
                if !is_cookie_attribute(name) && !v_trim.is_empty() {
                    let start = base + off + eq + 1 + lead;
                    hits.push(Hit { start, end: start + v_trim.len(), kind: Cow::Borrowed("cookie"), prio });
                }
            }
            off += part.len() + 1;
        }
    }

    /// Drops disabled kinds, allowlisted secrets, hits inside existing markers, and overlaps
    /// (earliest start wins, then the longer, then detector priority). Also tells whether a
    /// discarded candidate reached past the hit that won: text only it covered needs another look.
    fn resolve(&self, text: &str, mut hits: Vec<Hit>) -> (Vec<Hit>, bool) {
        let mut spill = false;
        let markers = marker_spans(text);
        hits.retain(|h| {
            !self.disabled.iter().any(|d| *d == h.kind)
                && !markers.iter().any(|&(a, b)| h.start < b && a < h.end)
                && !self.allow.iter().any(|a| a.is_match(&text[h.start..h.end]))
        });
        hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.prio.cmp(&b.prio)));
        let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            if let Some(last) = out.last_mut()
                && h.start < last.end
            {
                // Same range from a more specific detector: keep its kind.
                if h.start == last.start && h.end == last.end && h.prio < last.prio {
                    *last = h;
                } else if h.end > last.end {
                    spill = true;
                }
                continue;
            }
            out.push(h);
        }
        (out, spill)
    }

    /// No configured sensitive names: name classes are the same for every scrubber.
    pub(crate) fn default_names(&self) -> bool {
        self.extra_names.is_empty()
    }

    /// [`classify_name`], remembered per thread: names repeat on every line of a log.
    pub(crate) fn classify(&self, name: &str) -> NameClass {
        use std::cell::RefCell;
        const MAX_CACHED: usize = 4096;
        thread_local! {
            static CACHE: RefCell<foldhash::HashMap<String, NameClass>> = RefCell::default();
        }
        if !self.extra_names.is_empty() {
            // Configured names differ per scrubber; a per-thread cache could mix them up.
            return classify_name(name, &self.extra_names);
        }
        CACHE.with(|c| {
            if let Some(&class) = c.borrow().get(name) {
                return class;
            }
            let class = classify_name(name, &[]);
            let mut c = c.borrow_mut();
            if c.len() >= MAX_CACHED {
                c.clear();
            }
            c.insert(name.to_string(), class);
            class
        })
    }
}

/// Values no built-in detector can match, recognised without running any: very short ones,
/// UUIDs, pure digit strings that cannot be card numbers, API Gateway's `requestTime` stamps,
/// protocol names and lowercase names. (Custom rules disable this shortcut.)
/// These make up most of the string values of an access-log line.
fn obviously_clean(t: &str, digits: usize, keep_ips: bool) -> bool {
    let b = t.as_bytes();
    if b.len() < 6 {
        return true;
    }
    if digits == b.len() {
        return b.len() < 13 || !(b'2'..=b'6').contains(&b[0]);
    }
    // `HTTP/1.1`, and lowercase names like `api.example.com`, `prod`, `a1b2c3d4e5`: every
    // token format has an uppercase letter, `_`, `@`, `=`, `+` or seven digits, and these have none.
    if b.len() <= 8 && b.starts_with(b"HTTP/") {
        return true;
    }
    if keep_ips
        && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'/'))
        && digits < MIN_DIGITS
    {
        return true;
    }
    let uuid = b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() });
    uuid || crate::parse::parse_clf_time(t).is_some()
}

/// Every `name=value` pair of `text` (also `name%3Dvalue`), as byte ranges: the same pairs as
/// the documented regex, found in one pass. A name is `[A-Za-z][A-Za-z0-9_.-]{1,39}` not
/// preceded by a name character (an encoded `%XX` may precede it); a value runs to `&`, `%26`,
/// whitespace or `,;}'"<>\`.
fn kv_pairs(text: &str) -> Vec<((usize, usize), (usize, usize))> {
    let b = text.as_bytes();
    let is_name = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-');
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
        // The name, backwards from the separator.
        let mut start = eq;
        while start > 0 && is_name(b[start - 1]) {
            start -= 1;
        }
        // `%3Fname`: the two hex digits after `%` belong to the escape, not the name.
        if start >= 1 && b[start - 1] == b'%' && eq - start > 2 {
            start += 2;
        }
        let name_len = eq - start;
        if !(2..=40).contains(&name_len) || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let v0 = eq + sep_len;
        let mut v1 = v0;
        while v1 < b.len()
            && !matches!(b[v1], b'&' | b',' | b';' | b'}' | b'\'' | b'"' | b'<' | b'>' | b'\\')
            && !b[v1].is_ascii_whitespace()
        {
            if b[v1] == b'%' && v1 + 2 < b.len() && b[v1 + 1] == b'2' && b[v1 + 2] == b'6' {
                break;
            }
            v1 += 1;
        }
        out.push(((start, eq), (v0, v1)));
    }
    out
}

/// True when a phone-shaped match is one piece of a longer run of digit groups (an IBAN or
/// reference code written in groups of four), not a number of its own.
fn in_digit_groups(text: &str, start: usize, end: usize) -> bool {
    let grouped = |tok: &str| {
        tok.len() >= 3
            && tok.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            && tok.bytes().any(|b| b.is_ascii_digit())
    };
    // A marker was a number once: treating it as one keeps the decision the same on a rescrub.
    let grouped = |tok: &str| grouped(tok) || tok.contains(MARKER);
    let before = text[..start].strip_suffix(' ').and_then(|t| t.rsplit(' ').next());
    let after = text[end..].strip_prefix(' ').and_then(|t| t.split(' ').next());
    before.is_some_and(grouped) || after.is_some_and(grouped)
}

/// Byte ranges of the `[REDACTED:…]` markers in `text` (none allocated for clean text).
fn marker_spans(text: &str) -> Vec<(usize, usize)> {
    if memchr::memchr(b'[', text.as_bytes()).is_none() || !text.contains(MARKER) {
        return Vec::new();
    }
    text.match_indices(MARKER)
        .map(|(i, _)| (i, text[i..].find(']').map_or(text.len(), |e| i + e + 1)))
        .collect()
}

/// The byte offset of the character after the one at `i`.
fn next_char(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(text.len(), |c| i + c.len_utf8())
}

/// Byte offset of `needle` (ASCII, case-insensitive) in `hay`.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn is_cookie_attribute(name: &str) -> bool {
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

fn passes(check: Check, s: &str) -> bool {
    match check {
        Check::None | Check::KeyValue | Check::KeyValueScan | Check::Cookie => true,
        Check::Card => validate::card(s),
        Check::Luhn => validate::luhn(s),
        Check::Iban => validate::iban(s),
        Check::Ssn => validate::ssn(s),
        Check::Jwt => validate::jwt(s),
        Check::Phone => validate::phone(s),
        Check::Bearer => s.len() >= 16 || (s.len() >= 8 && s.bytes().any(|b| b.is_ascii_digit())),
        Check::Basic => {
            use base64::Engine as _;
            s.len() >= 8
                && base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .is_ok_and(|b| std::str::from_utf8(&b).is_ok_and(|t| t.contains(':')))
        }
        Check::Ipv4 => s.split('.').all(|p| p.parse::<u8>().is_ok()),
    }
}

/// Percent-decodes `s`; `map[i]` is the byte offset in `s` of decoded byte `i` (plus one
/// trailing entry for the end). Invalid UTF-8 after decoding is replaced (lossy).
fn percent_decode_mapped(s: &str) -> (String, Vec<usize>) {
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

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|v| v as u8)
}

fn parse_key(s: &str) -> Result<Vec<u8>, String> {
    let key = hex::decode(s).map_err(|_| "expected hex".to_string())?;
    if key.len() < 32 {
        return Err(format!("{} bytes is too short; use at least 32 (64 hex digits)", key.len()));
    }
    Ok(key)
}

/// Reads the key file, or creates it (mode 0600) with 32 random bytes.
fn load_or_create_key(path: &Path) -> Result<Vec<u8>, String> {
    match std::fs::read_to_string(path) {
        Ok(s) => parse_key(s.trim()).map_err(|e| format!("key file `{}`: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).map_err(|e| format!("no randomness for a new key: {e}"))?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("creating `{}` for the key file: {e}", dir.display()))?;
            }
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            use std::io::Write as _;
            match opts.open(path) {
                Ok(mut f) => {
                    f.write_all(hex::encode(key).as_bytes())
                        .map_err(|e| format!("writing key file `{}`: {e}", path.display()))?;
                    tracing::info!(path = %path.display(), "created a new scrubber key");
                    Ok(key.to_vec())
                }
                // Another process created it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create_key(path),
                Err(e) => Err(format!("creating key file `{}`: {e}", path.display())),
            }
        }
        Err(e) => Err(format!("reading key file `{}`: {e}", path.display())),
    }
}

/// An ephemeral random key (fingerprints will not match another process's).
pub fn ephemeral_key() -> Vec<u8> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("OS randomness");
    key.to_vec()
}

#[cfg(test)]
mod tests;
