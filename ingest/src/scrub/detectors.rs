//! The built-in detectors: their kinds, patterns, gates and the checks a candidate must pass.

use super::*;

/// What a detector does with its match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Check {
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
    /// `name => value` and `name: 'value'`: the name decides, quotes are not the value.
    NamedValue,
    /// A UK National Insurance number: HMRC's prefix rules.
    Nino,
    /// `<name>value</name>`: the name decides, as for `name=value` ([`xml_pairs`]).
    XmlScan,
    /// A password where a user name is logged (a failed login): mixed case and a digit, a
    /// symbol or twelve characters; account names are rarely like that.
    PasswordLike,
    /// A generated value in a link's path: at least four digits and four letters (a slug such
    /// as `confirm/your-new-address` has none).
    LinkToken,
    /// A national identity number that passes its published check ([`super::national::valid`]).
    NationalId,
    /// An Authorization header's credential: not a scheme word, not AWS's SigV4 parameters
    /// (their own detector handles `Credential=` and `Signature=`).
    Authorization,
}

pub(super) struct Detector {
    pub(super) kind: Kind,
    pub(super) re: LazyRegex,
    /// Capture group to redact (0: the whole match).
    pub(super) group: usize,
    pub(super) check: Check,
    /// What must be in the text for the regex to be worth running.
    pub(super) gate: Gate,
    /// Whether the captured group is the pattern's last element (it ends where the match ends).
    pub(super) tail_group: bool,
}

impl Detector {
    pub(super) fn new(kind: Kind, re: LazyRegex, group: usize, check: Check, gate: Gate) -> Detector {
        let tail_group = group != 0 && ends_with_group(re.as_str(), group);
        Detector { kind, re, group, check, gate, tail_group }
    }
}

/// A regex compiled when it is first run. Most built-in detectors are armed only by literals
/// that ordinary logs seldom hold, so compiling all of them up front would be most of a short
/// `gatewatch scrub` run's time. `tests::every_builtin_pattern_compiles` compiles each one.
pub(super) struct LazyRegex {
    pattern: String,
    compiled: std::sync::OnceLock<Regex>,
}

impl LazyRegex {
    /// A built-in pattern, compiled on first use.
    pub(super) fn builtin(pattern: String) -> LazyRegex {
        LazyRegex { pattern, compiled: std::sync::OnceLock::new() }
    }

    /// A pattern compiled already (a user's rule, checked when the config is read).
    pub(super) fn compiled(re: Regex) -> LazyRegex {
        LazyRegex { pattern: re.as_str().to_string(), compiled: std::sync::OnceLock::from(re) }
    }

    pub(super) fn as_str(&self) -> &str {
        &self.pattern
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.compiled.get_or_init(|| Regex::new(&self.pattern).expect("built-in pattern compiles"))
    }
}

/// Whether capture group `g` is the last element of `pattern`'s top-level sequence.
fn ends_with_group(pattern: &str, g: usize) -> bool {
    use regex_syntax::hir::HirKind;
    let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else { return false };
    let last = match hir.kind() {
        HirKind::Concat(parts) => parts.last(),
        _ => Some(&hir),
    };
    matches!(last.map(|h| h.kind()), Some(HirKind::Capture(c)) if c.index as usize == g)
}

/// What arms a detector. Every gate is a necessary condition for its regex to match, so a
/// detector that is not armed could not have found anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Gate {
    /// One of these trigger literals (bits of [`Scrubber::literals`]' indexes) occurs.
    Literals(super::literals::Mask),
    /// `name=value` pairs: a `=` (or `%3D`) occurs.
    Pairs,
    /// `"name": "value"`: a `"` (or `\u0022`) occurs.
    Quoted,
    /// Numeric kinds: enough digits, and a run of characters of this [`shape`] occurs.
    Numeric(u16),
    /// XML elements: a `</` occurs.
    Markup,
    /// Custom rules run on every text.
    Always,
}

/// How a builtin detector is armed (resolved into a [`Gate`] when the scrubber is built).
#[derive(Clone, Copy)]
pub(super) enum Arm {
    Literals(&'static [&'static str]),
    Pairs,
    Quoted,
    Numeric(u16),
    Markup,
}

/// The four hex digits of a `\uXXXX` escape of a character past ASCII (U+0080 and up).
macro_rules! non_ascii_escape {
    () => {
        r"(?:[1-9a-fA-F][0-9a-fA-F]{3}|0[1-9a-fA-F][0-9a-fA-F]{2}|00[89a-fA-F][0-9a-fA-F])"
    };
}

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
            "a=\"",
            "a = \"",
            "a='",
            "a=\\\"",
            "a=\"***\" ",
            "-----BEGIN CERTIFICATE-----",
            "${",
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
            "[REDACTED:token:0badc0de] ",
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
        Kind::BUILTIN.iter().map(|k| (k.to_string(), vec!["built-in".to_string()])).collect();
    for r in &catalogue::get().rules {
        out.entry(r.spec.kind.clone()).or_default().push(r.spec.id.clone());
    }
    out.into_iter().map(|(k, from)| (k, from.join(", "))).collect()
}

/// (kind, regex, group, check, what arms it). Order is priority for identical ranges.
pub(super) fn builtin() -> Vec<(Kind, &'static str, usize, Check, Arm)> {
    let mut all = vec![
        (
            Kind::PrivateKey,
            r"-----BEGIN[A-Z ]*PRIVATE KEY-----(?s:.*?)(?:-----END[A-Z ]*PRIVATE KEY-----|$)",
            0,
            Check::None,
            Arm::Literals(&["-----begin"]),
        ),
        (
            Kind::Jwt,
            r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}",
            0,
            Check::Jwt,
            Arm::Literals(&["eyj"]),
        ),
        (
            Kind::AwsSigv4,
            r"(?i)(?:^|[?&;,\s]|%26|%3F)X-Amz-(?:Signature|Security-Token)(?:=|%3D)([^&\s,;}'\x22]+)",
            1,
            Check::None,
            Arm::Literals(&["x-amz-"]),
        ),
        // A credential's access key id, not its scope (`/20250320/eu-west-1/s3/aws4_request`:
        // a date, a region and a service, kept).
        (
            Kind::AwsSigv4,
            r"(?i)(?:^|[?&;,\s]|%26|%3F)X-Amz-Credential(?:=|%3D)([^&\s,;}'\x22/%]+)",
            1,
            Check::None,
            Arm::Literals(&["x-amz-"]),
        ),
        (Kind::AwsSigv4, r"(?i)\bSignature=([0-9a-f]{64})\b", 1, Check::None, Arm::Literals(&["signature="])),
        (
            Kind::AwsSigv4,
            r"\bCredential=((?:AKIA|ASIA)[A-Z0-9]{16})(?:/|%2F)",
            1,
            Check::None,
            Arm::Literals(&["credential="]),
        ),
        (
            Kind::AwsAccessKey,
            r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b",
            0,
            Check::None,
            Arm::Literals(&["akia", "asia"]),
        ),
        (
            Kind::AwsSecretKey,
            r#"(?i)(?:aws_?secret_?access_?key|secret_?access_?key|secret_?key)\\?["']?\s*[:=]\s*\\?["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
            1,
            Check::None,
            Arm::Literals(&["secret"]),
        ),
        (
            Kind::GithubToken,
            r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})",
            0,
            Check::None,
            Arm::Literals(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        ),
        // STS session tokens: the base64 of their fixed binary header.
        (
            Kind::AwsSessionToken,
            r"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE)[A-Za-z0-9/+=%]{40,}",
            0,
            Check::None,
            Arm::Literals(&["iqojb3jpz2lux2vj", "fwogzxivyxdze", "fqogzxivyxdze"]),
        ),
        (Kind::GitlabToken, r"\bglpat-[A-Za-z0-9_-]{20,}", 0, Check::None, Arm::Literals(&["glpat-"])),
        (Kind::MailgunKey, r"\bkey-[0-9a-f]{32}\b", 0, Check::None, Arm::Literals(&["key-"])),
        (Kind::HerokuKey, r"\bHRKU-[A-Za-z0-9_-]{20,}", 0, Check::None, Arm::Literals(&["hrku-"])),
        (
            Kind::DiscordWebhook,
            r"discord(?:app)?\.com/api/webhooks/\d+/([A-Za-z0-9_-]{20,})",
            1,
            Check::None,
            Arm::Literals(&["/api/webhooks/"]),
        ),
        // A Slack incoming webhook's path anywhere (relayed through another service's URL).
        (
            Kind::SlackToken,
            r"\bT[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/([A-Za-z0-9]{20,32})\b",
            1,
            Check::None,
            Arm::Literals(&["/b"]),
        ),
        (Kind::SlackToken, r"\bxox[abposr]-[A-Za-z0-9-]{10,}", 0, Check::None, Arm::Literals(&["xox"])),
        (
            Kind::SlackToken,
            r"hooks\.slack\.com/services/([A-Za-z0-9/_-]+)",
            1,
            Check::None,
            Arm::Literals(&["hooks.slack.com"]),
        ),
        // Discord webhooks by path, whatever the host (a proxy, a stage prefix):
        // `/api/webhooks/<snowflake id>/<token>`.
        (
            Kind::DiscordWebhook,
            r"/webhooks/[0-9]{17,20}/([A-Za-z0-9_-]{60,72})\b",
            1,
            Check::None,
            Arm::Literals(&["/webhooks/"]),
        ),
        // A failed login quoting both halves: `could not login alice / Winter1441!: account
        // locked`, `login failed for bob/hunter2`.
        (
            Kind::Password,
            r#"(?i)\b(?:login|authenticate)\s+(?:failed\s+)?(?:as\s+|for\s+|user\s+)?[^\s/:'"\\]{1,64}\s?/\s?([^\s'"\\]{4,64}?)[:,;.]?(?:\s|$|'|"|\\)"#,
            1,
            Check::None,
            Arm::Literals(&["login", "authenticate"]),
        ),
        // A password in a URL's user information: `postgresql+psycopg2://svc:Staple1996%26OwY@db/`,
        // `redis://:hunter2@10.0.0.1:6379/0`.
        (
            Kind::Password,
            // (A masked password, `app:***@db`, is not one.)
            r#"(?i)\b[a-z][a-z0-9+.-]{1,24}://[^\s:/@'"<>\\]{0,64}:([^\s/@'"<>\\*][^\s/@'"<>\\]{0,127})@[A-Za-z0-9\[]"#,
            1,
            Check::None,
            Arm::Literals(&["://"]),
        ),
        // Microsoft Teams incoming webhooks: the path after `webhookb2/` is the credential.
        (
            Kind::TeamsWebhook,
            r"(?i)\.webhook\.office\.com/webhookb2/([A-Za-z0-9@/_-]+)",
            1,
            Check::None,
            Arm::Literals(&["webhookb2"]),
        ),
        // API Gateway's answer to an Authorization header that is not SigV4 quotes the header's
        // value: `'<token>' not a valid key=value pair (missing equal-sign) in Authorization
        // header`.
        (
            Kind::Authorization,
            r"'([^'\s]{8,4096})' not a valid key=value pair",
            1,
            Check::None,
            Arm::Literals(&["not a valid key"]),
        ),
        // `<password>…</password>`, `<wsse:Password Type="…">…</wsse:Password>`: XML elements
        // are pairs too, and the element's name decides as a field name does.
        (
            Kind::Secret,
            // Documents the shape; matched by the hand-written `xml_pairs` scanner (the regex
            // crate has no back-references to match the closing tag).
            r"<([A-Za-z_][A-Za-z0-9_.:-]{0,63})(?:\s[^<>]{0,256})?>([^<]{1,4096})</",
            2,
            Check::XmlScan,
            Arm::Markup,
        ),
        (
            Kind::StripeKey,
            r"\b(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})",
            0,
            Check::None,
            Arm::Literals(&["k_live_", "k_test_", "whsec_"]),
        ),
        (Kind::GoogleApiKey, r"\bAIza[0-9A-Za-z_-]{35}", 0, Check::None, Arm::Literals(&["aiza"])),
        (
            Kind::SendgridKey,
            r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
            0,
            Check::None,
            Arm::Literals(&["sg."]),
        ),
        (Kind::NpmToken, r"\bnpm_[A-Za-z0-9]{36}\b", 0, Check::None, Arm::Literals(&["npm_"])),
        (Kind::OpenaiKey, r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}", 0, Check::None, Arm::Literals(&["sk-"])),
        (
            Kind::Bearer,
            r"(?i)\bbearer(?:\s+|%20|\+)([A-Za-z0-9._~+/-]+=*)",
            1,
            Check::Bearer,
            Arm::Literals(&["bearer"]),
        ),
        (
            Kind::BasicAuth,
            r"(?i)\bbasic(?:\s+|%20|\+)([A-Za-z0-9+/]+=*)",
            1,
            Check::Basic,
            Arm::Literals(&["basic"]),
        ),
        // An Authorization header with any scheme (`Bot …`, `ShippoToken …`) or none, in header
        // maps (`Authorization=…`) and header lines (`Authorization: …`): the credential goes,
        // the scheme stays. Bearer and Basic have their own detectors above and win ties.
        (
            Kind::Authorization,
            r#"(?i)\bauthorization\\?["']?[ \t]*[:=][ \t]*\\?["']?(?:[A-Za-z][A-Za-z0-9_-]{1,30}[ \t]+)?([A-Za-z0-9._~+/=-]{16,})"#,
            1,
            Check::Authorization,
            Arm::Literals(&["authorization"]),
        ),
        (
            Kind::Cookie,
            r#"(?i)(?:^|[^a-z0-9-])(?:set-)?cookie\\?["']?\s*(?:=|:)\s*\\?["']?([^,}\n\x22\\]+)"#,
            1,
            Check::Cookie,
            Arm::Literals(&["cookie"]),
        ),
        // name=value (query strings, form bodies, execution-log header maps), URL-encoded too.
        // Armed by any `=`: the name decides, compared as in JSON (case, `-`, `_`, `.` ignored),
        // so `pa.ss_word=` and configured `sensitive_fields` count as they do as JSON keys.
        (
            Kind::Secret,
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
            Kind::Secret,
            // A name may be in any script, also `\u`-escaped (`"\u5bc6\u7801"`, 密码): escapes of
            // characters past ASCII only, so `\u0022` stays a quote.
            concat!(
                r#"(?:\\*"|\\u0022)((?:[A-Za-z]|[^\x00-\x7f]|\\+u"#,
                non_ascii_escape!(),
                r#")(?:[A-Za-z0-9_.-]|[^\x00-\x7f]|\\+u"#,
                non_ascii_escape!(),
                r#"){1,39})(?:\\*"|\\u0022)\s*:\s*(?:\\*"|\\u0022)((?:[^"\\]|\\[^"u\\]|\\u00[013-9a-fA-F][0-9a-fA-F]|\\u002[013-9a-fA-F]|\\\\+u"#,
                non_ascii_escape!(),
                r#")*?)(?:\\*"|\\u0022)"#
            ),
            2,
            Check::KeyValue,
            Arm::Quoted,
        ),
        // A JSON string cut by API Gateway's execution log (`"refresh_token":"def502… [TRUNCATED]`
        // at the end of a body over its size limit): the value runs to the marker.
        (
            Kind::Secret,
            r#"\\*"([A-Za-z][A-Za-z0-9_.-]{0,39})\\*"\s*:\s*\\*"([^"\\\s]{1,4096}) \[TRUNCATED\]"#,
            2,
            Check::KeyValue,
            Arm::Literals(&["[truncated]"]),
        ),
        // A name/value pair object in escaped JSON (`{\"name\": \"DB_PASSWORD\", \"value\": \"…\"}`:
        // container environments, header lists, stack parameters): the `name` member's value
        // names the `value` member's.
        (
            Kind::Secret,
            r#"(?i)\\*"(?:name|key|header|field|parameterkey)\\*"\s*:\s*\\*"([A-Za-z][A-Za-z0-9_.-]{0,63})\\*"\s*,\s*\\*"(?:values?|parametervalue)\\*"\s*:\s*\\*"([^"\\]{1,512})\\*""#,
            2,
            Check::KeyValue,
            Arm::Literals(&["value\"", "value\\"]),
        ),
        // Path segments named by the one before them: `/reset-password/<token>`,
        // `/sessions/<id>`, `/keys/<key>`. Only random-looking values are taken.
        (
            Kind::Secret,
            // Documents the shape; matched by the hand-written `path_pairs` scanner.
            r"/([A-Za-z][A-Za-z0-9_-]{1,40})/([^/?#&\s,;<>'\x22\\]+)",
            2,
            Check::PathScan,
            Arm::Literals(&["/"]),
        ),
        // `name => value`, `name: 'value'`, `'name': 'value'` (Ruby and Python structures,
        // YAML-ish dumps printed into log lines): the name decides, as for `name=value`.
        (
            Kind::Secret,
            // An unquoted value ends at a literal `\n`, `\r` or `\t` (a multi-line dump logged
            // as one line) and at a percent-encoded line break (`x-api-key:…%0ACookie:…`, a
            // header block logged as one field).
            r#"(?:^|[\s{,(\[])['"]?([A-Za-z_][A-Za-z0-9_.-]*)['"]?[ \t]*(?:=>|:)[ \t]*('[^'\n]+'|"[^"\n]+"|(?:[^\s,;}'"\\%]|%[^0\s,;}'"\\]|%0[^AaDd\s,;}'"\\]|\\[^nrt])+)"#,
            2,
            Check::NamedValue,
            Arm::Literals(&["=>", ":"]),
        ),
        // The same with a namespaced name in a Python structure (`'custom:tax_id': '…'`, Cognito
        // custom attributes as a Lambda prints its event): the name is judged by its last part.
        (
            Kind::Secret,
            r"'([A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*)'[ \t]*:[ \t]*'([^'\n]{1,256})'",
            2,
            Check::KeyValue,
            Arm::Literals(&["':"]),
        ),
        // botocore's debug log of a SigV4 request prints the signature on the line after
        // `Signature:` (`Signature:\n<64 hex>`, the line break escaped when shipped as one line).
        (
            Kind::AwsSigv4,
            r"(?i)\bSignature:(?:\\n|\\r|\s)+([0-9a-f]{64})\b",
            1,
            Check::None,
            Arm::Literals(&["signature:"]),
        ),
        // Header style: `X-Api-Key: value`.
        (
            Kind::Secret,
            r"(?i)\b(x-api-key|api-key|x-auth-token|x-amz-security-token)\s*:\s*((?:[^\s,;}\x22%]|%[^0\s,;}\x22]|%0[^AaDd\s,;}\x22])+)",
            2,
            Check::KeyValue,
            Arm::Literals(&["api-key", "auth-token", "security-token"]),
        ),
        // A secret named in free text: `with password Silver1997$`, `x-api-key s5y4… is not
        // associated`, `session c4f…`, `SSN 504701533`. The word decides the kind; the value
        // must look like a credential (see [`context_value`]), so `token expired` stays.
        (
            Kind::Secret,
            // The word and its value are separated by white space or a colon (`name=value` is
            // the pairs rule's); the value runs to white space, a quote, a backslash or a
            // percent-encoded line break (a header block logged as one field; passwords hold
            // any other character), and does not start like a query or a path.
            r#"(?i)\b(?:[a-z0-9]+[_-])*(passwords?|passwd|passphrase|pwd|secret|(?:access|refresh|auth|bearer|session|reset|api)?[ _-]?token|(?:api|app|access|secret|private|storage|account)[ _-]?key|credentials?|session(?:[ _-]?id)?|pat|ssn|social security number)\b(?:[ \t]+(?:(?:is|was|of|for)[ \t]+)?|[ \t]*:[ \t]*|[ \t]+=[ \t]+)["']?([^\s"'\\&?=/\[][^\s"'\\]{5}(?:[^\s"'\\%]|%[^0\s"'\\]|%0[^AaDd\s"'\\])*)"#,
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
        // Telegram bot tokens, also right after `/bot` in a Bot API URL.
        (
            Kind::TelegramBotToken,
            r"(?:\bbot|\b)(\d{6,12}:AA[A-Za-z0-9_-]{30,40})\b",
            1,
            Check::None,
            Arm::Literals(&[":aa"]),
        ),
        // An SSN written with spaces or none, after the word (`ssn 120 94 2118`).
        (
            Kind::Ssn,
            r"(?i)\b(?:ssn|social security(?: number)?)[ \t]*[:#=]?[ \t]*(\d{3}[ -]?\d{2}[ -]?\d{4})\b",
            1,
            Check::Ssn,
            Arm::Literals(&["ssn", "social security"]),
        ),
        // A date of birth named in free text (`DOB: 1987-02-05`, `born 05/02/1987`).
        (
            Kind::DateOfBirth,
            r"(?i)\b(?:dob|date of birth|birth ?date|born(?: on)?)\b[ \t]*[:=]?[ \t]*[\x22']?(\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})\b",
            1,
            Check::None,
            Arm::Literals(&["dob", "birth", "born"]),
        ),
        (
            Kind::Email,
            // Internationalised addresses (`zoë@exämple.fr`) and percent-encoded UTF-8 in them
            // (`fran%C3%A7ois%40…`) too.
            r"(?:[A-Za-z0-9._+%-]|[^\x00-\x7F])+(?:@|%40)(?:[A-Za-z0-9%-]|[^\x00-\x7F])+(?:\.(?:[A-Za-z0-9%-]|[^\x00-\x7F])+)*\.[A-Za-z]{2,}\b",
            0,
            Check::None,
            Arm::Literals(&["@", "%40"]),
        ),
        // Cards as printed: bare, or in the issuers' groupings (4-4-4-4…, Amex 4-6-5), one separator.
        (
            Kind::Card,
            r"\b(?:[2-6]\d{12,18}|[2-6]\d{3} \d{4} \d{4} \d{1,7}|[2-6]\d{3}-\d{4}-\d{4}-\d{1,7}|3\d{3} \d{6} \d{5}|3\d{3}-\d{6}-\d{5})\b",
            0,
            Check::Card,
            Arm::Numeric(shape::CARD),
        ),
        (
            Kind::Iban,
            r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b",
            0,
            Check::Iban,
            Arm::Numeric(shape::IBAN),
        ),
        // UK National Insurance numbers (`HM863843C`), gated like an IBAN (two letters, digits).
        (Kind::NationalId, r"\b[A-Z]{2}\d{6}[A-D]\b", 0, Check::Nino, Arm::Numeric(shape::IBAN)),
        // The same as HMRC prints it, in pairs: `QQ 12 34 56 C`.
        (
            Kind::NationalId,
            r"\b[A-Z]{2} \d{2} \d{2} \d{2} [A-D]\b",
            0,
            Check::Nino,
            Arm::Numeric(shape::NINO_SPACED),
        ),
        (Kind::Ssn, r"\b\d{3}-\d{2}-\d{4}\b", 0, Check::Ssn, Arm::Numeric(shape::SSN)),
        (
            Kind::Phone,
            r"(?:\+|%2B)[1-9]\d{0,3}(?:[ .-]|%20)?(?:\(0\)[ .-]?)?\(?\d{1,4}\)?(?:(?:[ .-]|%20)?\d{2,4}){1,4}\b",
            0,
            Check::Phone,
            Arm::Numeric(shape::PHONE_INTL),
        ),
        (Kind::Phone, r"\(\d{3}\) ?\d{3}[-. ]\d{4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_PAREN)),
        (Kind::Phone, r"\b\d{3}[-.]\d{3}[-.]\d{4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_DOTTED)),
        (Kind::Phone, r"\b0\d{1,4} \d{3,4} \d{3,4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_SPACED)),
        (Kind::Phone, r"\b0[1-9](?:[ .]\d{2}){4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_GROUPS2)),
        // National numbers with a trunk 0: `030 69577728`, `07700 900421`, `090-8160-2465`.
        (Kind::Phone, r"\b0\d{1,4}[ -]\d{6,8}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_TRUNK)),
        // Area codes in parentheses: `(02) 9296 8270`, `(11) 90268-2298`.
        (
            Kind::Phone,
            r"\(0?\d{1,3}\) ?\d{4,5}[- ]?\d{4}\b",
            0,
            Check::Phone,
            Arm::Numeric(shape::PHONE_PAREN2),
        ),
        (Kind::Phone, r"\b0\d{1,3}-\d{3,4}-\d{4}\b", 0, Check::Phone, Arm::Numeric(shape::PHONE_TRUNK3)),
    ];
    all.extend(super::commands::builtin());
    all.extend(super::national::builtin());
    all
}

/// Where the credential starts in a match of `(?i)\b<scheme>(?:\s+|%20|\+)(<credential>)`, the
/// scheme `scheme_chars` characters long (`ſ` matches `s`: not always one byte each): after every
/// white space (`\s` and `char::is_whitespace` are both Unicode's White_Space, and the
/// credential holds none), else after `%20`, else after one `+`, as the regex prefers them.
pub(super) fn credential_offset(m: &str, scheme_chars: usize) -> usize {
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

pub(super) fn passes(check: Check, s: &str) -> bool {
    match check {
        Check::None
        | Check::KeyValue
        | Check::KeyValueScan
        | Check::NamedValue
        | Check::Cookie
        | Check::PathScan
        | Check::XmlScan => true,
        Check::Card => validate::card(s),
        Check::Luhn => validate::luhn(s),
        Check::Iban => validate::iban(s),
        Check::Nino => validate::nino(s),
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
        Check::PasswordLike => {
            let b = s.as_bytes();
            b.iter().any(u8::is_ascii_uppercase)
                && b.iter().any(u8::is_ascii_lowercase)
                && (b.len() >= 12 || b.iter().any(|c| c.is_ascii_digit() || c.is_ascii_punctuation()))
        }
        Check::LinkToken => {
            s.bytes().filter(u8::is_ascii_digit).count() >= 4
                && s.bytes().filter(u8::is_ascii_alphabetic).count() >= 4
        }
        Check::NationalId => super::national::valid(s),
        Check::Authorization => {
            !s.contains('=') || s.ends_with('=') && !s.trim_end_matches('=').contains('=')
        }
    }
}

/// The pattern with `\b`, `\B`, `\d`, `\s` and `\w` as their ASCII forms. Tokens, numbers and
/// the words around them are ASCII; the Unicode forms make each automaton many times larger, and
/// a Unicode word boundary makes the fast (lazy DFA) search give up on any non-ASCII byte, which
/// an attacker chooses. Used for the built-in detectors and the vendor catalogue.
pub(super) fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut class_depth = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if class_depth == 0 => out.push_str(r"(?-u:\b)"),
                Some('B') if class_depth == 0 => out.push_str(r"(?-u:\B)"),
                Some('d') => out.push_str("[0-9]"),
                Some('s') => out.push_str(r"[\t\n\x0B\x0C\r\x20]"),
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' => {
                class_depth += 1;
                out.push(c);
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
