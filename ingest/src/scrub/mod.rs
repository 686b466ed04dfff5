//! The scrubber: removes secrets and personal data from log text before anything else sees it
//! (DESIGN.md invariant 1). Every secret becomes `[REDACTED:<kind>:<8 hex>]`, the hex the first
//! four bytes of HMAC-SHA256(deployment key, secret): the same token gets the same pseudonym in
//! every event and after restarts, so "one token from 40 IPs" stays countable, and nothing in
//! the store can be turned back into the token.
//!
//! How it stays fast on clean lines: every detector has a gate, a cheap necessary condition for
//! its regex to match, and only armed detectors run. Most gates are trigger literals, all found
//! in one vector search (`literals.rs`); `name=value` and `"name": "value"` pairs need a `=` or a
//! quote, and their names decide; numeric detectors (cards, phones, SSNs, IBANs) need seven
//! digits and a run of digits shaped like theirs ([`shapes`]). Values that no detector can match
//! (UUIDs, timestamps, lowercase host names) are recognised before any of that. A clean line is
//! returned borrowed, with no allocation.
//!
//! How it stays correct on JSON: a JSON line is walked token by token (`json.rs`): values under
//! sensitive keys are redacted whatever they look like, other string values are scrubbed as text
//! (JSON inside JSON strings recursively), and everything that does not change is copied byte for
//! byte, so the output is valid JSON that differs from the input only where a secret was.
//!
//! What it must never do: return text in which a detected secret survives, or panic on any input.

mod catalogue;
mod json;
mod literals;
pub mod validate;

use gatewatch_core::config::{IpPolicy, ScrubConfig};
use hmac::{Hmac, Mac};
use regex::Regex;
use sha2::Sha256;
use std::borrow::Cow;
use std::path::Path;

/// Marker prefix; text inside existing markers is never scrubbed again (idempotence).
const MARKER: &str = "[REDACTED:";
/// URL-encoded text is decoded and searched again up to this many times (`%253D` is an `=`
/// encoded twice, as a redirect parameter inside a query string has it).
const MAX_DECODE_LEVELS: u8 = 2;
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
    /// A value named by a word in free text (see [`context_value`]).
    Context,
    /// `/name/value` path segments: the name decides, as for `name=value` ([`path_pairs`]).
    PathScan,
    /// An Authorization header's credential: not a scheme word, not AWS's SigV4 parameters
    /// (their own detector handles `Credential=` and `Signature=`).
    Authorization,
}

struct Detector {
    kind: String,
    re: Regex,
    /// Capture group to redact (0: the whole match).
    group: usize,
    check: Check,
    /// What must be in the text for the regex to be worth running.
    gate: Gate,
}

/// What arms a detector. Every gate is a necessary condition for its regex to match, so a
/// detector that is not armed could not have found anything.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Gate {
    /// One of these trigger literals (indexes into [`Scrubber::literals`]) occurs.
    Literals(Vec<usize>),
    /// `name=value` pairs: a `=` (or `%3D`) occurs.
    Pairs,
    /// `"name": "value"`: a `"` (or `\u0022`) occurs.
    Quoted,
    /// Numeric kinds: enough digits, and a run of characters of this [`shape`] occurs.
    Numeric(u16),
    /// Custom rules run on every text.
    Always,
}

/// How a builtin detector is armed (resolved into a [`Gate`] when the scrubber is built).
#[derive(Clone, Copy)]
enum Arm {
    Literals(&'static [&'static str]),
    Pairs,
    Quoted,
    Numeric(u16),
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

/// Classifies a field/parameter name (case, `-`, `_` and `.` ignored). A dotted name
/// (`authorizer.sessionId`, `authorizer.claims.phone_number`) is classified by its last
/// component first: a custom access-log format names its fields after where they came from.
pub(crate) fn classify_name(name: &str, extra: &[String]) -> NameClass {
    if let Some((_, last)) = name.rsplit_once(['.', ':'])
        && !last.is_empty()
    {
        match classify_whole_name(last, extra) {
            NameClass::Plain => {}
            class => return class,
        }
    }
    classify_whole_name(name, extra)
}

fn classify_whole_name(name: &str, extra: &[String]) -> NameClass {
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
        // OAuth authorization codes, one-time codes: secret when they look random.
        "code" | "authcode" | "authorizationcode" | "otp" => return NameClass::IfRandom("token"),
        _ => {}
    }
    // National identity numbers (the UK's National Insurance number, passports, tax ids).
    if n.contains("nationalinsurance") || n == "nino" || n.contains("passportnumber") || n == "taxid" {
        return NameClass::Secret("national_id");
    }
    // Personal access tokens (`pat`, `AZURE_DEVOPS_EXT_PAT`): secret when they look random.
    if n.ends_with("pat") {
        return NameClass::IfRandom("token");
    }
    // Session cookies and ids by any prefix (`_app_session`, `__Host-session`, `connect.sid`).
    if n.ends_with("session")
        || n.ends_with("sessid")
        || n.ends_with("sessionid")
        || n.ends_with("sessiontoken")
    {
        return NameClass::Secret("token");
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
    // Digests and checksums look random but are facts about content, not credentials.
    const DIGESTS: &[&str] =
        &["checksum", "sha1", "sha256", "sha512", "md5", "digest", "hash", "etag", "crc32"];
    if DIGESTS.iter().any(|d| n.contains(d)) && !n.contains("password") && !n.contains("secret") {
        return NameClass::Fact;
    }
    if n.contains("phone") || n.ends_with("mobile") || n.ends_with("msisdn") {
        return NameClass::Secret("phone");
    }
    if n.contains("password") || n.contains("passwd") {
        NameClass::Secret("password")
    } else if n.contains("secret") || n.contains("credential") || n.contains("privatekey") {
        NameClass::Secret("secret")
    } else if n.contains("apikey") || n == "xapikey" || n.contains("accesskey") {
        NameClass::Secret("api_key")
    } else if n.contains("token") {
        NameClass::Secret("token")
    } else if n == "key"
        || n.ends_with("key")
        || n.replace("authorizer", "").contains("auth")
        || n.ends_with("sig")
    {
        NameClass::IfRandom("api_key")
    } else {
        NameClass::Plain
    }
}

/// A scrubber built once from the configuration; `Send + Sync`, shared by every reader.
pub struct Scrubber {
    /// HMAC-SHA256 keyed with the deployment key (its key schedule done once).
    mac: Hmac<Sha256>,
    /// Finds the trigger literals in a text.
    literals: literals::Literals,
    detectors: Vec<Detector>,
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
    disabled: Vec<String>,
    /// The vendor token formats ([`catalogue`]), shared by every scrubber.
    catalogue: &'static catalogue::Catalogue,
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
    "aws_session_token",
    "github_token",
    "gitlab_token",
    "slack_token",
    "discord_webhook",
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
    "national_id",
    "iban",
    "ip",
    "mailgun_key",
    "heroku_key",
];

/// Every literal that arms a detector or a vendor rule, plus the bytes that arm the structural
/// ones (`=`, `%3D`, quotes, escapes, digits in the numeric shapes): what an attacker would
/// repeat to make scrubbing slow. The adversarial benchmark and the fuzz target use them.
pub fn trigger_literals() -> Vec<String> {
    let mut out: Vec<String> = builtin()
        .into_iter()
        .filter_map(|(_, _, _, _, arm)| if let Arm::Literals(l) = arm { Some(l) } else { None })
        .flat_map(|l| l.iter().map(|t| t.to_string()))
        .collect();
    out.extend(catalogue::get().keywords());
    out.extend(
        [
            "=",
            "ab=",
            "a=b&",
            "%3D",
            "%26",
            "%",
            "\"a\":\"",
            "\\\"",
            "\\u0022",
            "\"",
            "eyJ.",
            "Bearer ",
            "Basic ",
            "+1 ",
            "(415) ",
            "415-555-",
            "4111 ",
            "123-45-",
            "GB33",
            "10.1.",
            "[REDACTED:",
            "0",
            "a.b",
            "a@b.",
            "%40",
            "%2B",
            ";",
            "cookie=a;",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    out.sort();
    out.dedup();
    out
}

/// Every marker kind the scrubber can write, with where it comes from (`built-in`, or the
/// upstream rule ids of a vendor kind), sorted by kind.
pub fn all_kinds() -> Vec<(String, String)> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> =
        KINDS.iter().map(|k| (k.to_string(), vec!["built-in".to_string()])).collect();
    for r in &catalogue::get().rules {
        out.entry(r.spec.kind.clone()).or_default().push(r.spec.id.clone());
    }
    out.into_iter().map(|(k, from)| (k, from.join(", "))).collect()
}

/// (kind, regex, group, check, what arms it). Order is priority for identical ranges.
fn builtin() -> Vec<(&'static str, &'static str, usize, Check, Arm)> {
    vec![
        (
            "private_key",
            r"-----BEGIN[A-Z ]*PRIVATE KEY-----(?s:.*?)(?:-----END[A-Z ]*PRIVATE KEY-----|$)",
            0,
            Check::None,
            Arm::Literals(&["-----begin"]),
        ),
        (
            "jwt",
            r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}",
            0,
            Check::Jwt,
            Arm::Literals(&["eyj"]),
        ),
        (
            "aws_sigv4",
            r"(?i)(?:^|[?&;,\s]|%26|%3F)X-Amz-(?:Signature|Credential|Security-Token)(?:=|%3D)([^&\s,;}'\x22]+)",
            1,
            Check::None,
            Arm::Literals(&["x-amz-"]),
        ),
        ("aws_sigv4", r"(?i)\bSignature=([0-9a-f]{64})\b", 1, Check::None, Arm::Literals(&["signature="])),
        (
            "aws_sigv4",
            r"\bCredential=((?:AKIA|ASIA)[A-Z0-9]{16}/[^,&\s\x22]+)",
            1,
            Check::None,
            Arm::Literals(&["credential="]),
        ),
        (
            "aws_access_key",
            r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b",
            0,
            Check::None,
            Arm::Literals(&["akia", "asia"]),
        ),
        (
            "aws_secret_key",
            r#"(?i)(?:aws_?secret_?access_?key|secret_?access_?key|secret_?key)\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
            1,
            Check::None,
            Arm::Literals(&["secret"]),
        ),
        (
            "github_token",
            r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})",
            0,
            Check::None,
            Arm::Literals(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        ),
        // STS session tokens: the base64 of their fixed binary header.
        (
            "aws_session_token",
            r"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE)[A-Za-z0-9/+=%]{40,}",
            0,
            Check::None,
            Arm::Literals(&["iqojb3jpz2lux2vj", "fwogzxivyxdze", "fqogzxivyxdze"]),
        ),
        ("gitlab_token", r"\bglpat-[A-Za-z0-9_-]{20,}", 0, Check::None, Arm::Literals(&["glpat-"])),
        ("mailgun_key", r"\bkey-[0-9a-f]{32}\b", 0, Check::None, Arm::Literals(&["key-"])),
        ("heroku_key", r"\bHRKU-[A-Za-z0-9_-]{20,}", 0, Check::None, Arm::Literals(&["hrku-"])),
        (
            "discord_webhook",
            r"discord(?:app)?\.com/api/webhooks/\d+/([A-Za-z0-9_-]{20,})",
            1,
            Check::None,
            Arm::Literals(&["/api/webhooks/"]),
        ),
        // A Slack incoming webhook's path anywhere (relayed through another service's URL).
        (
            "slack_token",
            r"\bT[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/([A-Za-z0-9]{20,32})\b",
            1,
            Check::None,
            Arm::Literals(&["/b"]),
        ),
        ("slack_token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}", 0, Check::None, Arm::Literals(&["xox"])),
        (
            "slack_token",
            r"hooks\.slack\.com/services/([A-Za-z0-9/_-]+)",
            1,
            Check::None,
            Arm::Literals(&["hooks.slack.com"]),
        ),
        (
            "stripe_key",
            r"\b(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})",
            0,
            Check::None,
            Arm::Literals(&["k_live_", "k_test_", "whsec_"]),
        ),
        ("google_api_key", r"\bAIza[0-9A-Za-z_-]{35}", 0, Check::None, Arm::Literals(&["aiza"])),
        (
            "sendgrid_key",
            r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
            0,
            Check::None,
            Arm::Literals(&["sg."]),
        ),
        ("npm_token", r"\bnpm_[A-Za-z0-9]{36}\b", 0, Check::None, Arm::Literals(&["npm_"])),
        ("openai_key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}", 0, Check::None, Arm::Literals(&["sk-"])),
        (
            "bearer",
            r"(?i)\bbearer(?:\s+|%20|\+)([A-Za-z0-9._~+/-]+=*)",
            1,
            Check::Bearer,
            Arm::Literals(&["bearer"]),
        ),
        (
            "basic_auth",
            r"(?i)\bbasic(?:\s+|%20|\+)([A-Za-z0-9+/]+=*)",
            1,
            Check::Basic,
            Arm::Literals(&["basic"]),
        ),
        // An Authorization header with any scheme (`Bot …`, `ShippoToken …`) or none, in header
        // maps (`Authorization=…`) and header lines (`Authorization: …`): the credential goes,
        // the scheme stays. Bearer and Basic have their own detectors above and win ties.
        (
            "authorization",
            r#"(?i)\bauthorization\\?["']?[ \t]*[:=][ \t]*\\?["']?(?:[A-Za-z][A-Za-z0-9_-]{1,30}[ \t]+)?([A-Za-z0-9._~+/=-]{16,})"#,
            1,
            Check::Authorization,
            Arm::Literals(&["authorization"]),
        ),
        (
            "cookie",
            r#"(?i)(?:^|[^a-z0-9-])(?:set-)?cookie\\?["']?\s*(?:=|:)\s*\\?["']?([^,}\n\x22\\]+)"#,
            1,
            Check::Cookie,
            Arm::Literals(&["cookie"]),
        ),
        // name=value (query strings, form bodies, execution-log header maps), URL-encoded too.
        // Armed by any `=`: the name decides, compared as in JSON (case, `-`, `_`, `.` ignored),
        // so `pa.ss_word=` and configured `sensitive_fields` count as they do as JSON keys.
        (
            "secret",
            // Documents the shape; matched by the hand-written `kv_pairs` scanner (one pass, no
            // captures per pair), which execution-log header maps make the hot path.
            // A value ends at `&`, `%26`, white space, `,;}'"<>\`, or a `=` (`%3D`) that is
            // not base64 padding.
            r#"(?:\b|%[0-9A-Fa-f]{2})([A-Za-z][A-Za-z0-9_.-]{0,39})(?:=|%3D|%3d)([^&\s,;}'"<>\\=]*=*)"#,
            2,
            Check::KeyValueScan,
            Arm::Pairs,
        ),
        // "name": "value" (JSON inside text), also backslash-escaped and \u0022-escaped JSON.
        // Armed by any quote; the name decides, as above.
        (
            "secret",
            r#"(?:\\*"|\\u0022)([A-Za-z][A-Za-z0-9_.-]{1,39})(?:\\*"|\\u0022)\s*:\s*(?:\\*"|\\u0022)((?:[^"\\]|\\[^"u\\]|\\u00[013-9a-fA-F][0-9a-fA-F]|\\u002[013-9a-fA-F])*?)(?:\\*"|\\u0022)"#,
            2,
            Check::KeyValue,
            Arm::Quoted,
        ),
        // Path segments named by the one before them: `/reset-password/<token>`,
        // `/sessions/<id>`, `/keys/<key>`. Only random-looking values are taken.
        (
            "secret",
            // Documents the shape; matched by the hand-written `path_pairs` scanner.
            r"/([A-Za-z][A-Za-z0-9_-]{1,40})/([^/?#&\s,;<>'\x22\\]+)",
            2,
            Check::PathScan,
            Arm::Literals(&["/"]),
        ),
        // Header style: `X-Api-Key: value`.
        (
            "secret",
            r"(?i)\b(x-api-key|api-key|x-auth-token|x-amz-security-token)\s*:\s*([^\s,;}\x22]+)",
            2,
            Check::KeyValue,
            Arm::Literals(&["api-key", "auth-token", "security-token"]),
        ),
        // A secret named in free text: `with password Silver1997$`, `x-api-key s5y4… is not
        // associated`, `session c4f…`, `SSN 504701533`. The word decides the kind; the value
        // must look like a credential (see [`context_value`]), so `token expired` stays.
        (
            "secret",
            // The word and its value are separated by white space or a colon (`name=value` is
            // the pairs rule's); the value runs to white space, a quote or a backslash
            // (passwords hold any other character), and does not start like a query or a path.
            r#"(?i)\b(?:[a-z0-9]+[_-])*(passwords?|passwd|passphrase|pwd|secret|(?:access|refresh|auth|bearer|session|reset|api)?[ _-]?token|(?:api|app|access|secret|private|storage|account)[ _-]?key|credentials?|session(?:[ _-]?id)?|pat|ssn|social security number)\b(?:[ \t]+(?:(?:is|was|of|for)[ \t]+)?|[ \t]*:[ \t]*|[ \t]+=[ \t]+)["']?([^\s"'\\&?=/\[][^\s"'\\]{5,255})"#,
            2,
            Check::Context,
            Arm::Literals(&[
                "passw",
                "passphrase",
                "pwd",
                "secret",
                "token",
                "key",
                "credential",
                "session",
                "pat",
                "ssn",
                "social security",
            ]),
        ),
        (
            "email",
            r"[A-Za-z0-9._+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
            0,
            Check::None,
            Arm::Literals(&["@", "%40"]),
        ),
        // Cards as printed: bare, or in the issuers' groupings (4-4-4-4…, Amex 4-6-5), one separator.
        (
            "card",
            r"\b(?:[2-6]\d{12,18}|[2-6]\d{3} \d{4} \d{4} \d{1,7}|[2-6]\d{3}-\d{4}-\d{4}-\d{1,7}|3\d{3} \d{6} \d{5}|3\d{3}-\d{6}-\d{5})\b",
            0,
            Check::Card,
            Arm::Numeric(shape::CARD),
        ),
        (
            "iban",
            r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b",
            0,
            Check::Iban,
            Arm::Numeric(shape::IBAN),
        ),
        ("ssn", r"\b\d{3}-\d{2}-\d{4}\b", 0, Check::Ssn, Arm::Numeric(shape::SSN)),
        (
            "phone",
            r"(?:\+|%2B)[1-9]\d{0,3}(?:[ .-]|%20)?(?:\(0\)[ .-]?)?\(?\d{1,4}\)?(?:(?:[ .-]|%20)?\d{2,4}){1,4}\b",
            0,
            Check::Phone,
            Arm::Numeric(shape::PHONE_INTL),
        ),
        ("phone", r"\(\d{3}\) ?\d{3}[-. ]\d{4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_PAREN)),
        ("phone", r"\b\d{3}[-.]\d{3}[-.]\d{4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_DOTTED)),
        ("phone", r"\b0\d{1,4} \d{3,4} \d{3,4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_SPACED)),
        ("phone", r"\b0[1-9](?:[ .]\d{2}){4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_GROUPS2)),
        // National numbers with a trunk 0: `030 69577728`, `07700 900421`, `090-8160-2465`.
        ("phone", r"\b0\d{1,4}[ -]\d{6,8}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_TRUNK)),
        // Area codes in parentheses: `(02) 9296 8270`, `(11) 90268-2298`.
        ("phone", r"\(0?\d{1,3}\) ?\d{4,5}[- ]?\d{4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_PAREN2)),
        ("phone", r"\b0\d{1,3}-\d{3,4}-\d{4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_TRUNK3)),
    ]
}

/// Where the credential starts in a match of `(?i)\b<scheme>(?:\s+|%20|\+)(<credential>)`, the
/// scheme `scheme_chars` characters long (`ſ` matches `s`: not always one byte each): after every
/// white space (`\s` and `char::is_whitespace` are both Unicode's White_Space, and the
/// credential holds none), else after `%20`, else after one `+`, as the regex prefers them.
fn credential_offset(m: &str, scheme_chars: usize) -> usize {
    let scheme = m.char_indices().nth(scheme_chars).map_or(m.len(), |(i, _)| i);
    let rest = &m[scheme..];
    let sep = if rest.starts_with(char::is_whitespace) {
        rest.len() - rest.trim_start().len()
    } else if rest.starts_with("%20") {
        3
    } else {
        1
    };
    scheme + sep
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
        let catalogue = catalogue::get();
        for k in &cfg.disabled_kinds {
            if !KINDS.contains(&k.as_str()) && !catalogue.kinds().any(|c| c == k) {
                return Err(format!(
                    "`scrub.disabled_kinds`: unknown kind `{k}`; expected one of {} or a vendor kind \
                     (`gatewatch scrub --kinds` lists them)",
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
        for (kind, pat, group, check, arm) in builtin() {
            if disabled(kind) && !matches!(check, Check::KeyValue | Check::KeyValueScan) {
                continue;
            }
            let gate = match arm {
                Arm::Literals(l) => Gate::Literals(l.iter().map(|t| lit_index(t)).collect()),
                Arm::Pairs => Gate::Pairs,
                Arm::Quoted => Gate::Quoted,
                Arm::Numeric(shape) => Gate::Numeric(shape),
            };
            detectors.push(Detector {
                kind: kind.to_string(),
                re: Regex::new(pat).expect("built-in pattern compiles"),
                group,
                check,
                gate,
            });
        }
        if cfg.ip_in_text != IpPolicy::Keep {
            detectors.push(Detector {
                kind: "ip".into(),
                re: Regex::new(r"\b(?:\d{1,3}\.){3}\d{1,3}\b").expect("ip pattern"),
                group: 0,
                check: Check::Ipv4,
                gate: Gate::Numeric(shape::IP),
            });
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
            detectors.push(Detector { kind: rule.kind.clone(), re, group, check, gate: Gate::Always });
        }
        let allow = cfg
            .allow
            .iter()
            .enumerate()
            .map(|(i, a)| Regex::new(&format!("^(?:{a})$")).map_err(|e| format!("`scrub.allow[{i}]`: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
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
            allow,
            extra_names,
            ip_policy: cfg.ip_in_text,
            numeric,
            numeric_set,
            custom,
            disabled: cfg.disabled_kinds.clone(),
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

    fn marker(&self, kind: &str, secret: &str) -> String {
        let mut s = String::with_capacity(MARKER.len() + kind.len() + 10);
        self.push_marker(&mut s, kind, secret);
        s
    }

    /// Appends `[REDACTED:<kind>:<fingerprint>]` to `out`.
    fn push_marker(&self, out: &mut String, kind: &str, secret: &str) {
        out.push_str(MARKER);
        out.push_str(kind);
        out.push(':');
        self.push_fingerprint(out, secret);
        out.push(']');
    }

    /// Scrubs one log line: JSON lines structurally, anything else as text.
    pub fn scrub_line<'a>(&self, line: &'a str) -> Cow<'a, str> {
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

    /// Execution logs (`(request-id) Method request body before transformations: {…}`) and
    /// function logs (`…\tINFO\tevent: {…}`): a complete JSON body after the label is walked
    /// structurally like a JSON line, the label scrubbed as text. `None`: no such body.
    pub(crate) fn scrub_labelled<'a>(&self, line: &'a str, depth: u8) -> Option<Cow<'a, str>> {
        let brace = line.find(": {").or_else(|| line.find(": [")).map(|i| i + 2)?;
        let body = json::scrub_json(self, &line[brace..], depth)?;
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
        let (hits, spill) = self.find_inner(text, MAX_DECODE_LEVELS);
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
                self.push_marker(&mut out, &h.kind, secret);
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
                        if cred.starts_with(MARKER) {
                            // Scrubbed before (`Bearer [REDACTED:jwt:…]`): a rescrub keeps it.
                            return None;
                        }
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

    fn find_inner(&self, text: &str, decode_levels: u8) -> (Vec<Hit>, bool) {
        let b = text.as_bytes();
        let mut counted = None;
        let mut digits = || *counted.get_or_insert_with(|| count_digits(b));
        if !self.custom && obviously_clean(text, &mut digits, self.ip_policy == IpPolicy::Keep) {
            return (Vec::new(), false);
        }
        let digits = digits();
        // Which trigger literals occur? Literals inside existing markers (`[REDACTED:phone:…]`)
        // arm nothing: a rescrub must decide exactly as the first scrub did.
        let seen = self.literals.seen(text, || marker_spans(text));
        // Numeric kinds (cards, phones, SSNs, IBANs) have no literal to look for: which of them
        // can match at all (bit i: the i-th numeric detector).
        let numeric =
            if self.numeric && digits >= MIN_DIGITS { self.numeric_armed(text, text.is_ascii()) } else { 0 };
        // `name=value` needs a `=` (or `%3D`), `"name": "value"` a quote (maybe `\u0022`), and
        // the decoded copy a `%`: usually none of them is there.
        let (mut pct, mut eq, mut quote) = (false, false, false);
        if memchr::memchr3(b'=', b'%', b'"', b).is_some() {
            pct = memchr::memchr(b'%', b).is_some();
            eq = memchr::memchr(b'=', b).is_some();
            quote = memchr::memchr(b'"', b).is_some();
        }
        let has_pct = decode_levels > 0 && pct;
        let pairs = eq || pct;
        let quoted = quote || (memchr::memchr(b'\\', b).is_some() && text.contains("\\u0022"));
        // Which vendor rules can match (their keywords occur).
        let vendor = self.catalogue.armed(text);
        if seen == 0 && numeric == 0 && !self.custom && !has_pct && !pairs && !quoted && vendor.is_empty() {
            return (Vec::new(), false);
        }
        let mut hits: Vec<Hit> = Vec::new();
        let mut numeric_index = 0;
        for (prio, d) in self.detectors.iter().enumerate() {
            let armed = match &d.gate {
                Gate::Literals(l) => l.iter().any(|&t| seen & (1 << t) != 0),
                Gate::Pairs => pairs,
                Gate::Quoted => quoted,
                Gate::Numeric(_) => {
                    numeric_index += 1;
                    numeric & (1 << (numeric_index - 1)) != 0
                }
                Gate::Always => true,
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
            if d.check == Check::PathScan {
                for (name, value) in path_pairs(text) {
                    let name = &text[name.0..name.1];
                    let class = match self.classify(name) {
                        NameClass::Plain => self.classify(name.strip_suffix('s').unwrap_or(name)),
                        c => c,
                    };
                    let kind = match class {
                        NameClass::Secret(k) | NameClass::IfRandom(k) => k,
                        _ => continue,
                    };
                    let v = percent_decode_mapped(&percent_decode_mapped(&text[value.0..value.1]).0).0;
                    // Random-looking, or a long hex token; not a UUID (an identifier). Personal
                    // numbers (`/ssn/277 40 2759`, `/phone/…`) need only their digits.
                    let pii = matches!(kind, "ssn" | "phone" | "card" | "national_id")
                        && v.bytes().filter(u8::is_ascii_digit).count() >= 7;
                    if pii || random_token(&v) || (v.len() >= 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
                    {
                        hits.push(Hit { start: value.0, end: value.1, kind: Cow::Borrowed(kind), prio });
                    }
                }
                continue;
            }
            // Group 0 needs no capture groups, and the schemes' credential is the tail of the
            // match: the plain search is cheaper than resolving capture groups.
            let scheme = match d.check {
                Check::Bearer => Some("bearer".chars().count()),
                Check::Basic => Some("basic".chars().count()),
                _ => None,
            };
            let mut locs = (d.group != 0 && scheme.is_none()).then(|| d.re.capture_locations());
            let mut pos = 0;
            loop {
                let (whole, m, name) = match locs.as_mut() {
                    None => match d.re.find_at(text, pos) {
                        Some(w) => {
                            let start = w.start() + scheme.map_or(0, |n| credential_offset(w.as_str(), n));
                            ((w.start(), w.end()), Some((start, w.end())), None)
                        }
                        None => break,
                    },
                    Some(locs) => match d.re.captures_read_at(locs, text, pos) {
                        Some(w) => ((w.start(), w.end()), locs.get(d.group), locs.get(1)),
                        None => break,
                    },
                };
                pos = whole.1.max(whole.0 + 1);
                let Some(mut m) = m else { continue };
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
                        let name = name.map_or("", |n| &text[n.0..n.1]);
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
                            || (check == Check::Phone
                                && (in_digit_groups(text, m.0, m.1)
                                    // A piece of a dashed id (`9e0c2f67-0269-4144-9650-…`).
                                    || text[..m.0].ends_with('-')
                                    || text[m.1..].starts_with('-')))
                            // `10.1.2.0/24` is a network (or an already truncated address).
                            || (check == Check::Ipv4 && text[m.1..].starts_with('/'))
                        {
                            // Resume past the rejected candidate, never one character later:
                            // re-searching from inside it would cost the candidate's length
                            // again for each of its characters (quadratic time on a crafted
                            // User-Agent such as `eyJ` repeated to 8 KB).
                            pos = whole.1.max(next_char(text, whole.0));
                            continue;
                        }
                        if check == Check::Context {
                            let word = name.map_or("", |n| &text[n.0..n.1]);
                            let value = s.trim_end_matches(['.', ':', '!', '?']);
                            m.1 = m.0 + value.len();
                            // `ssn 123-45-6789`-shaped values only after `ssn` words.
                            let Some(kind) = context_kind(word, value) else { continue };
                            Cow::Borrowed(kind)
                        } else {
                            Cow::Owned(d.kind.clone())
                        }
                    }
                };
                hits.push(Hit { start: m.0, end: m.1, kind, prio });
            }
        }
        let base = self.detectors.len();
        for i in vendor {
            let rule = &self.catalogue.rules[i as usize];
            let kind: &'static str = &rule.spec.kind;
            rule.find(text, |start, end| {
                hits.push(Hit { start, end, kind: Cow::Borrowed(kind), prio: base + i as usize });
            });
        }
        // URL-encoded text (`token%3D…`, `%2B44%2020…`, `jane%40…`): detect on a decoded copy
        // and map the hits back onto the encoded bytes.
        if has_pct {
            let (decoded, map) = percent_decode_mapped(text);
            if decoded.len() != text.len() {
                for h in self.find_inner(&decoded, decode_levels - 1).0 {
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

    /// Which numeric detectors can match in `text` (bit i: the i-th of them).
    fn numeric_armed(&self, text: &str, ascii: bool) -> u64 {
        if !ascii {
            // `\d` and `\b` are Unicode-aware: let the automaton decide.
            return self.numeric_set.matches(text).iter().fold(0, |m, i| m | 1 << i);
        }
        let found = shapes(text.as_bytes());
        if found == 0 {
            return 0;
        }
        let mut armed = 0u64;
        for (i, shape) in self
            .detectors
            .iter()
            .filter_map(|d| if let Gate::Numeric(s) = d.gate { Some(s) } else { None })
            .enumerate()
        {
            if found & shape != 0 {
                armed |= 1 << i;
            }
        }
        armed
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
            // Any parameter whose value looks like a generated credential (`t=…`, `state=…`).
            NameClass::Plain if random_token(&percent_decode_mapped(decoded).0) => "token",
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

pub(super) const LO: u64 = 0x0101_0101_0101_0101;
pub(super) const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that is an ASCII digit (no borrows cross bytes: each
/// subtraction stays within its byte).
fn digit_bits(x: u64) -> u64 {
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
fn count_digits(b: &[u8]) -> usize {
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
fn digit_runs(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
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
mod shape {
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
}

/// Which numeric shapes occur in an ASCII text: a bit is set when the text holds a run of
/// characters that every match of that shape's pattern contains (the pattern with some of its
/// word boundaries and repetitions left out). An unset bit proves that the pattern cannot match,
/// at a fraction of the cost of running it. On ASCII text `\d` is `[0-9]`, and every shape is
/// anchored on a maximal run of digits: a match starts a run after `\b`, and ends one before
/// `\b` or a separator. So only the runs, and the bytes around them, are looked at.
fn shapes(b: &[u8]) -> u16 {
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
fn obviously_clean(t: &str, digits: impl FnOnce() -> usize, keep_ips: bool) -> bool {
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
    // token format has an uppercase letter, `_`, `@`, `=`, `+` or seven digits, and these have none.
    if b.len() <= 8 && b.starts_with(b"HTTP/") {
        return true;
    }
    keep_ips && digits < MIN_DIGITS && b.iter().all(|&c| LOWER_NAME[c as usize])
}

/// Bytes of lowercase names: `a-z`, `0-9`, `.`, `-`, `/`.
const LOWER_NAME: [bool; 256] = {
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
fn is_uuid(b: &[u8]) -> bool {
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
        // The name, backwards from the separator; no name is longer than 40 bytes, so the scan
        // stops after 41 (a long run of name characters is looked at once per `=`, not again).
        let mut start = eq;
        while start > 0 && eq - start <= 41 && is_name(b[start - 1]) {
            start -= 1;
        }
        if start > 0 && is_name(b[start - 1]) {
            continue;
        }
        // `%3Fname`: the two hex digits after `%` belong to the escape, not the name.
        if start >= 1 && b[start - 1] == b'%' && eq - start > 2 {
            start += 2;
        }
        let name_len = eq - start;
        // Names may start with `_` (`_app_session`, `__Host-session` cookies).
        if !(1..=40).contains(&name_len) || !(b[start].is_ascii_alphabetic() || b[start] == b'_') {
            continue;
        }
        let v0 = eq + sep_len;
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
                    Some(3) if padding(b, v1 + 3) => v1 += 2,
                    Some(_) => break,
                    None => {}
                },
                _ => break,
            }
            v1 += 1;
        }
        out.push(((start, eq), (v0, v1)));
    }
    out
}

const CONTINUES: u8 = 0;
const ENDS: u8 = 1;
const PERCENT: u8 = 2;
const EQUALS: u8 = 3;

/// `%26` (an encoded `&`, length 0: it ends a value) or `%3D` (an encoded `=`, length 3) at `i`.
fn percent_sep(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i + 1..i + 3)? {
        [b'2', b'6'] => Some(0),
        [b'3', b'D' | b'd'] => Some(3),
        _ => None,
    }
}

/// Whether what starts at `i` makes the `=` just before it base64 padding: the value ends
/// there, or another `=` (`%3D`) follows.
fn padding(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        None => true,
        Some(b'=') => true,
        Some(b'%') => percent_sep(b, i).is_some(),
        Some(&c) => VALUE_END[c as usize] == ENDS,
    }
}

/// How a byte bears on a `name=value` value: ends it (`&,;}'"<>\` and ASCII white space),
/// ends it if it starts `%26`, or not.
const VALUE_END: [u8; 256] = {
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
    // Neighbours are looked at up to 64 bytes away: a group is short, and an unbounded look
    // would cost the length of a long token for every candidate beside it.
    const REACH: usize = 64;
    let near_before = floor_char(text, start.saturating_sub(REACH));
    let near_after = ceil_char(text, (end + REACH).min(text.len()));
    let before = text[near_before..start].strip_suffix(' ').and_then(|t| t.rsplit(' ').next());
    let after = text[end..near_after].strip_prefix(' ').and_then(|t| t.split(' ').next());
    before.is_some_and(grouped) || after.is_some_and(grouped)
}

/// Byte ranges of the `[REDACTED:…]` markers in `text` (none allocated for clean text).
fn marker_spans(text: &str) -> Vec<(usize, usize)> {
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
const MAX_KIND_LEN: usize = 48;

/// The largest character boundary at or before `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary at or after `i` (`i <= text.len()`).
fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
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
        Check::None | Check::KeyValue | Check::KeyValueScan | Check::Cookie | Check::PathScan => true,
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
        Check::Context => context_value(s),
        Check::Authorization => {
            !s.contains('=') || s.ends_with('=') && !s.trim_end_matches('=').contains('=')
        }
    }
}

/// A value that looks like a generated credential whatever its name: 32 to 4096 characters of
/// a token alphabet, upper and lower case and digits mixed, at least 4 bits of entropy per
/// character. Hex digests, UUIDs and request ids (one case, or shorter) do not qualify.
fn random_token(s: &str) -> bool {
    let b = s.as_bytes();
    (32..=4096).contains(&b.len())
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"-_.~+/=".contains(c))
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_digit)
        && validate::entropy(s) >= 4.0
        && !base64_of_text(s)
}

/// Base64 of readable text (`YXBpIGtleSByb3RhdGlvbg==`, "api key rotation"): data, not a
/// generated credential, whose bytes would not be text.
fn base64_of_text(s: &str) -> bool {
    use base64::Engine as _;
    let engines = [base64::engine::general_purpose::STANDARD, base64::engine::general_purpose::URL_SAFE];
    engines.iter().any(|e| {
        e.decode(s.trim_end_matches('=')).or_else(|_| e.decode(s)).is_ok_and(|b| {
            std::str::from_utf8(&b).is_ok_and(|t| {
                t.contains(' ') && t.chars().all(|c| !c.is_control() || c == '\n' || c == '\t')
            })
        })
    })
}

/// Every `/name/value` pair of path segments in `text`, as byte ranges: a value runs to the
/// next `/`, `?`, `#`, `&`, quote, white space or `,;<>`. Each `/` is looked at once and a name
/// at most 41 bytes back, so the scan is linear.
fn path_pairs(text: &str) -> Vec<((usize, usize), (usize, usize))> {
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

/// Whether a value named in free text (`password Silver1997$`) looks like a credential rather
/// than prose (`password incorrect`, `token expired`): at least eight characters, a letter, and
/// a digit or a symbol; or nine digits after `ssn` (checked by the caller's kind).
fn context_value(s: &str) -> bool {
    let s = s.trim_end_matches(['.', ':', '!', '?']);
    if s.starts_with(MARKER) || s.contains("://") || aws_unique_id(s) {
        return false;
    }
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if digits == 9 && s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return validate::ssn(s);
    }
    s.len() >= 8
        && s.bytes().any(|b| b.is_ascii_alphabetic())
        && (digits > 0 || s.bytes().any(|b| b.is_ascii_punctuation() && b != b'-' && b != b'_' && b != b'.'))
}

/// An IAM unique id (`AIDA…` user, `AROA…` role, …): an identifier, not a credential.
fn aws_unique_id(s: &str) -> bool {
    const PREFIXES: &[&str] = &["AIDA", "AROA", "AIPA", "ANPA", "ANVA", "AGPA", "ASCA", "APKA"];
    s.len() >= 20
        && PREFIXES.iter().any(|p| s.starts_with(p))
        && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b':')
}

/// The kind a context word gives its value; `None` when the two do not go together (nine
/// digits are an SSN only after `ssn`, and `ssn` names nothing else).
fn context_kind(word: &str, value: &str) -> Option<&'static str> {
    let w = word.to_ascii_lowercase();
    let ssn_word = w == "ssn" || w.starts_with("social");
    let ssn_value = value.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if ssn_word || ssn_value {
        return (ssn_word && ssn_value).then_some("ssn");
    }
    Some(if w.starts_with("pass") || w == "pwd" {
        "password"
    } else if w.contains("key") {
        "api_key"
    } else if w.contains("token") || w.starts_with("session") {
        "token"
    } else {
        "secret"
    })
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
