//! Structure-aware scrubbing of one JSON text: a single forward pass over the tokens that copies
//! every byte it does not need to change. Keys decide for their values (a `password` is redacted
//! whatever it looks like); other string values are scrubbed as text, or as JSON when they hold
//! JSON (up to a small depth). Numbers under sensitive keys become marker strings. The nesting
//! stack is explicit, so hostile depth costs memory linear in the input, never the call stack.
//!
//! Returns `None` when the text is not valid JSON; the caller then scrubs it as plain text. The
//! grammar is checked token by token (what may come next in each container), not only the
//! nesting: a walk that read `{"password": "x",1 "path": "/a"}` as if it were JSON would take
//! `1` for a value of `password` and scrub differently on a second pass, so scrubbing would not
//! be idempotent.

use super::{Kind, NameClass, Scrubber};
use std::borrow::Cow;

/// Shorter plain values are not scanned (values under sensitive keys are redacted regardless).
const MIN_FINDABLE: usize = 6;
/// Longest escaped string whose original escaping is kept (checking it costs two more scrubs
/// of the string; longer ones are re-quoted, which is as valid and keeps the cost linear).
const MAX_ESCAPED_FORM: usize = 4096;
/// JSON inside JSON strings is unpacked at most this deep.
const MAX_NESTED: u8 = 4;

/// What the grammar allows next inside a container.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Just after `{`: a key or `}`.
    KeyOrClose,
    /// After `,` in an object.
    Key,
    /// After a key.
    Colon,
    /// After `:`, or after `,` in an array.
    Value,
    /// Just after `[`: a value or `]`.
    ValueOrClose,
    /// After a value.
    CommaOrClose,
}

#[derive(Clone, Copy)]
struct Frame {
    object: bool,
    next: Next,
    /// Class of the key whose value this container is (sensitive containers redact every leaf).
    inherited: NameClass,
    /// Class of the most recent key in this object.
    key: NameClass,
    /// What the most recent key is in a name/value pair object (`{"name": "x-api-key",
    /// "value": "…"}`, as WAF logs and header lists have them).
    role: Role,
    /// The class that this object's `name` member gives its `value` member.
    named: NameClass,
    /// Whether this object has an `op` member: a JSON Patch operation, whose `path` names its
    /// `value` (checked first, so that an access log's `path` costs nothing).
    patch: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Other,
    /// `name`, `key`, `header`: its string value names the `value` member.
    Name,
    /// `value`: classified by the `name` member, when its own key says nothing.
    Value,
    /// `path`: in a JSON Patch operation (`{"op": "replace", "path": "/variables/apiKey",
    /// "value": "…"}`, RFC 6902; `op` first) its last segment names the `value` member.
    Path,
}

impl Role {
    fn of(key: &str) -> Role {
        // Runs for every key of every JSON line: compared on the stack, lowercased.
        let b = key.as_bytes();
        if b.len() > 6 {
            // `{"type": "passport", "unique_identifier": "…"}`: a document list's number.
            return if ["identifier", "unique_identifier", "document_number"]
                .iter()
                .any(|k| key.eq_ignore_ascii_case(k))
            {
                Role::Value
            } else {
                Role::Other
            };
        }
        if b.len() < 3 {
            return Role::Other;
        }
        let mut buf = [0u8; 6];
        for (d, c) in buf.iter_mut().zip(b) {
            *d = c.to_ascii_lowercase();
        }
        match &buf[..b.len()] {
            // `{"type": "national_id", "number": "…"}`: a document list names its numbers too.
            b"name" | b"key" | b"header" | b"field" | b"type" => Role::Name,
            b"value" | b"values" | b"number" => Role::Value,
            b"path" => Role::Path,
            _ => Role::Other,
        }
    }
}

/// Output built lazily: nothing is allocated until the first change.
struct Out<'a> {
    src: &'a str,
    buf: Option<String>,
    copied: usize,
}

impl<'a> Out<'a> {
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        let buf = self.buf.get_or_insert_with(|| String::with_capacity(self.src.len() + 64));
        buf.push_str(&self.src[self.copied..start]);
        buf.push_str(with);
        self.copied = end;
    }

    fn finish(self) -> Cow<'a, str> {
        match self.buf {
            None => Cow::Borrowed(self.src),
            Some(mut b) => {
                b.push_str(&self.src[self.copied..]);
                Cow::Owned(b)
            }
        }
    }
}

/// The key names of the top-level lines seen on this thread, by position, with their classes:
/// log lines repeat the same few shapes (a REST API's and an HTTP API's access-log formats, say),
/// so a key costs a comparison or two instead of a lookup. Keys beyond the shapes remembered fall
/// back to the per-thread cache.
#[derive(Default)]
struct KeyMemo {
    /// Per position, the names seen there (at most [`MAX_MEMO_SHAPES`]).
    keys: Vec<Vec<(KeySig, Box<str>, NameClass)>>,
    /// The nesting stack, kept for the next line.
    stack: Vec<Frame>,
}

/// A name's length and its first and last eight bytes: for names of at most 16 bytes (most
/// keys), equal signatures mean equal names.
#[derive(Clone, Copy, PartialEq, Eq)]
struct KeySig(usize, u64, u64);

impl KeySig {
    fn of(name: &str) -> KeySig {
        let b = name.as_bytes();
        if b.len() >= 8 {
            KeySig(b.len(), super::word(b, 0), super::word(b, b.len() - 8))
        } else {
            let mut w = [0u8; 8];
            w[..b.len()].copy_from_slice(b);
            KeySig(b.len(), u64::from_le_bytes(w), 0)
        }
    }
}

impl KeyMemo {
    /// The class of a key seen before at this position (only keys that scrub to themselves are
    /// remembered).
    fn class(&self, _s: &Scrubber, key_no: usize, name: &str) -> Option<NameClass> {
        let sig = KeySig::of(name);
        let seen = self.keys.get(key_no)?;
        seen.iter().find(|(g, n, _)| *g == sig && (name.len() <= 16 || **n == *name)).map(|(_, _, c)| *c)
    }

    /// Remembers a clean key and its class.
    fn remember(&mut self, key_no: usize, name: &str, c: NameClass) {
        let sig = KeySig::of(name);
        match self.keys.get_mut(key_no) {
            Some(seen) => {
                if seen.len() < MAX_MEMO_SHAPES {
                    seen.push((sig, name.into(), c));
                }
            }
            None => {
                if key_no == self.keys.len() && key_no < MAX_MEMO_KEYS {
                    self.keys.push(vec![(sig, name.into(), c)]);
                }
            }
        }
    }
}

/// Most names remembered per key position.
const MAX_MEMO_SHAPES: usize = 4;

thread_local! {
    static MEMO: std::cell::Cell<Option<KeyMemo>> = const { std::cell::Cell::new(None) };
}

/// Gives the memo back to the thread when the walk ends, however it ends.
struct MemoGuard(Option<KeyMemo>);

impl Drop for MemoGuard {
    fn drop(&mut self) {
        if let Some(m) = self.0.take() {
            // (The stack is handed back by the walk when it returns normally.)
            MEMO.with(|c| c.set(Some(m)));
        }
    }
}

/// Most keys remembered per line.
const MAX_MEMO_KEYS: usize = 256;

pub(super) fn scrub_json<'a>(s: &Scrubber, text: &'a str, depth: u8) -> Option<Cow<'a, str>> {
    // Only the outermost walk of a scrubber without configured names uses the memo (configured
    // names change classes, and nested texts have keys of their own).
    let mut memo =
        MemoGuard((depth == 0 && s.default_names()).then(|| MEMO.with(|c| c.take()).unwrap_or_default()));
    let mut key_no = 0usize;
    let b = text.as_bytes();
    let mut i = 0;
    let mut stack: Vec<Frame> = memo.0.as_mut().map(|m| std::mem::take(&mut m.stack)).unwrap_or_default();
    stack.clear();
    let mut out = Out { src: text, buf: None, copied: 0 };
    let mut seen_value = false;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if stack.is_empty() && seen_value {
            return None; // trailing garbage after the top-level value
        }
        // The class of the value starting here (computed only for values).
        let value_class = |stack: &[Frame]| match stack.last() {
            Some(f) if f.object => match (f.inherited, f.key) {
                (_, NameClass::Fact) => NameClass::Plain,
                (NameClass::Secret(_), _) => f.inherited,
                (_, NameClass::Plain) if f.role == Role::Value => f.named,
                (_, key) => key,
            },
            Some(f) => f.inherited,
            None => NameClass::Plain,
        };
        // A value may start here (the top level holds exactly one, checked above).
        let value_allowed =
            |stack: &[Frame]| stack.last().is_none_or(|f| matches!(f.next, Next::Value | Next::ValueOrClose));
        match b[i] {
            b'{' | b'[' => {
                if !value_allowed(&stack) {
                    return None;
                }
                let value_class = value_class(&stack);
                let inherited = match value_class {
                    NameClass::Secret(_) => value_class,
                    // A list under a key name (`"Fastly-Key": ["…"]`, Go's headers; `"api_key":
                    // [old, new]`, a change set): each element is judged as the key's value.
                    NameClass::IfRandom(_) if b[i] == b'[' => value_class,
                    // HTTP API v2 events list cookies one `name=value` string each: each is
                    // judged as a cookie (preferences stay).
                    NameClass::Cookie if b[i] == b'[' => value_class,
                    NameClass::Authorization | NameClass::Cookie => NameClass::Secret(Kind::Secret),
                    _ => NameClass::Plain,
                };
                stack.push(Frame {
                    object: b[i] == b'{',
                    next: if b[i] == b'{' { Next::KeyOrClose } else { Next::ValueOrClose },
                    inherited,
                    key: NameClass::Plain,
                    role: Role::Other,
                    named: NameClass::Plain,
                    patch: false,
                });
                seen_value = true;
                i += 1;
            }
            b'}' | b']' => {
                let f = stack.pop()?;
                // (`KeyOrClose` is only ever an object's state and `ValueOrClose` an array's: the
                // bracket check below pairs them.)
                let may_close = matches!(f.next, Next::CommaOrClose | Next::KeyOrClose | Next::ValueOrClose);
                if f.object != (b[i] == b'}') || !may_close {
                    return None;
                }
                value_done(&mut stack);
                i += 1;
            }
            b',' => {
                let f = stack.last_mut()?;
                if f.next != Next::CommaOrClose {
                    return None;
                }
                f.next = if f.object { Next::Key } else { Next::Value };
                i += 1;
            }
            b':' => {
                let f = stack.last_mut()?;
                if f.next != Next::Colon {
                    return None;
                }
                f.next = Next::Value;
                i += 1;
            }
            b'"' => {
                let start = i;
                let (end, escaped) = string_end(b, i)?;
                let raw = &text[start + 1..end - 1];
                i = end;
                seen_value = true;
                let is_key = stack.last().is_some_and(|f| matches!(f.next, Next::Key | Next::KeyOrClose));
                if !is_key && !value_allowed(&stack) {
                    return None;
                }
                if is_key {
                    let name = unescape(raw, escaped)?;
                    // Keys are scrubbed like values (a token used as a key is a token); the
                    // scrubbed key decides its value's class, so a second pass decides as the first.
                    let class = match memo.0.as_mut() {
                        Some(m) => m.class(s, key_no, &name),
                        None => None,
                    };
                    let class = match class {
                        Some(c) => c,
                        None => match scrub_string(s, raw, &name, escaped, depth) {
                            None => {
                                let c = s.classify(&name);
                                if let Some(m) = memo.0.as_mut() {
                                    m.remember(key_no, &name, c);
                                }
                                c
                            }
                            Some(quoted) => {
                                let class = serde_json::from_str::<String>(&quoted)
                                    .map_or(NameClass::Plain, |k| s.classify(&k));
                                out.replace(start, end, &quoted);
                                class
                            }
                        },
                    };
                    key_no += 1;
                    let f = stack.last_mut().expect("checked");
                    f.key = class;
                    f.role = Role::of(&name);
                    f.patch |= name.eq_ignore_ascii_case("op");
                    f.next = Next::Colon;
                    continue;
                }
                value_done(&mut stack);
                let value = unescape(raw, escaped)?;
                let named_by = match stack.last() {
                    Some(f) if f.object && f.role == Role::Name => Some(&value[..]),
                    Some(f) if f.object && f.patch && f.role == Role::Path && value.starts_with('/') => {
                        value.rsplit('/').next()
                    }
                    _ => None,
                };
                if let Some(name) = named_by
                    && let Some(f) = stack.last_mut()
                {
                    f.named = match s.classify(name) {
                        // A field named like an address is no reason to keep another field.
                        NameClass::Exempt | NameClass::Fact => NameClass::Plain,
                        c => c,
                    };
                }
                let new = match value_class(&stack) {
                    // An IP-named field keeps its value only when that value is an address.
                    NameClass::Exempt if super::names::is_address(&value) => None,
                    NameClass::Exempt => scrub_string(s, raw, &value, escaped, depth),
                    // What `scrub_plain` would decide first, without the calls.
                    NameClass::Plain | NameClass::Fact if !escaped && value.len() < MIN_FINDABLE => None,
                    NameClass::Plain | NameClass::Fact => scrub_string(s, raw, &value, escaped, depth),
                    class => s
                        .redact_value(class, &value)
                        .map(|v| json_quote(&v))
                        .or_else(|| scrub_string(s, raw, &value, escaped, depth)),
                };
                if let Some(quoted) = new {
                    out.replace(start, end, &quoted);
                }
            }
            c if c == b'-' || c.is_ascii_digit() || c.is_ascii_alphabetic() => {
                let start = i;
                while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b':')
                {
                    i += 1;
                }
                let lit = &text[start..i];
                seen_value = true;
                if !(matches!(lit, "true" | "false" | "null") || is_number(lit)) || !value_allowed(&stack) {
                    return None;
                }
                value_done(&mut stack);
                let value_class = value_class(&stack);
                let new = match value_class {
                    NameClass::Secret(_) | NameClass::IfRandom(_) if is_number(lit) => {
                        s.redact_value(value_class, lit)
                    }
                    _ if is_number(lit) && lit.len() >= 13 => match s.scrub_text(lit) {
                        Cow::Owned(x) => Some(x),
                        Cow::Borrowed(_) => None,
                    },
                    _ => None,
                };
                if let Some(new) = new {
                    out.replace(start, i, &json_quote(&new));
                }
            }
            _ => return None,
        }
    }
    if !stack.is_empty() || !seen_value {
        return None;
    }
    if let Some(m) = memo.0.as_mut() {
        m.stack = stack;
    }
    Some(out.finish())
}

/// A value has ended: its container (if any) now wants a comma or its end.
fn value_done(stack: &mut [Frame]) {
    if let Some(f) = stack.last_mut() {
        f.next = Next::CommaOrClose;
    }
}

/// Scrubs a plain string value; returns the new quoted JSON string, `None` if unchanged.
///
/// A value without escapes is scrubbed as what it is (JSON, recursively, or text). A value with
/// escapes is scrubbed in its escaped form, so that every byte that is not a secret keeps its
/// original escaping (`\u0022` stays `\u0022`); markers need no escaping. The unescaped form is
/// checked too, and wins if it finds a secret the escaped pass missed.
///
/// Escaped JSON inside the string is walked once, as JSON, and re-quoted: scrubbing it also as
/// escaped text would cost a pass per nesting level on top (a crafted value nested four deep
/// would be scanned dozens of times). The escaped-form result is kept only when it is still a
/// valid JSON string body that hides everything: a redaction that ends inside an escape (a
/// signature that runs into the backslash of `\"`) must not break the JSON it sits in.
fn scrub_string(s: &Scrubber, raw: &str, value: &str, escaped: bool, depth: u8) -> Option<String> {
    if escaped {
        let t = value.trim_start();
        let nested = depth < MAX_NESTED && (t.starts_with('{') || t.starts_with('['));
        let plain = match nested.then(|| scrub_json(s, value, depth + 1)).flatten() {
            Some(Cow::Borrowed(_)) => return None,
            Some(Cow::Owned(x)) => x,
            None if value.len() < MIN_FINDABLE => return None,
            None => scrub_plain(s, value, depth)?,
        };
        // The original escaping (`\u0022` stays `\u0022`) is kept where the escaped text,
        // scrubbed as text, still hides everything; checked for the outermost strings only, so
        // that nested levels cost one walk each.
        if (depth == 0 || !nested)
            && raw.len() <= MAX_ESCAPED_FORM
            && let Cow::Owned(e) = s.scrub_text(raw)
            && let Some(u) = unescape(&e, true)
            && scrub_plain(s, &u, depth).is_none()
        {
            return Some(format!("\"{e}\""));
        }
        return Some(json_quote(&plain));
    }
    scrub_plain(s, value, depth).map(|v| json_quote(&v))
}

/// Scrubs an unescaped string value (JSON inside, or text); `None` if unchanged.
fn scrub_plain(s: &Scrubber, value: &str, depth: u8) -> Option<String> {
    // Nothing a detector finds fits in fewer bytes (the shortest, an e-mail, needs six).
    if value.len() < MIN_FINDABLE {
        return None;
    }
    let t = value.trim_start();
    if depth < MAX_NESTED
        && (t.starts_with('{') || t.starts_with('['))
        && let Some(inner) = scrub_json(s, value, depth + 1)
    {
        return match inner {
            Cow::Owned(x) => Some(x),
            Cow::Borrowed(_) => None,
        };
    }
    // A base64 body (a Lambda proxy event with `isBase64Encoded`): scrubbed decoded, and
    // encoded again, so the body stays base64 of what it said, less its secrets.
    if depth < MAX_NESTED
        && let Some(text) = base64_text(value)
    {
        use base64::Engine as _;
        return scrub_plain(s, &text, depth + 1).map(|x| base64::engine::general_purpose::STANDARD.encode(x));
    }
    // A log line inside the value (a CloudWatch Logs `message` holding an execution-log or
    // function-log line): its JSON body is walked too.
    if depth < MAX_NESTED
        && let Some(out) = s.scrub_labelled(value, depth + 1)
    {
        return match out {
            Cow::Owned(x) => Some(x),
            Cow::Borrowed(_) => None,
        };
    }
    match s.scrub_text(value) {
        Cow::Owned(x) => Some(x),
        Cow::Borrowed(_) => None,
    }
}

/// The text a standard-base64 value encodes, when it encodes text (printable UTF-8): a body,
/// not a random token or binary data.
pub(super) fn base64_text(v: &str) -> Option<String> {
    use base64::Engine as _;
    let b = v.as_bytes();
    if b.len() < 24
        || !b.len().is_multiple_of(4)
        || !b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
    {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(b).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let printable = text.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')).count();
    (printable * 20 >= text.chars().count() * 19).then_some(text)
}

fn json_quote(v: &str) -> String {
    serde_json::to_string(v).expect("a string always serialises")
}

/// Index just past the closing quote of the string starting at `b[start] == '"'`, and whether
/// the string holds escapes.
fn string_end(b: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut i = start + 1;
    let mut escaped = false;
    loop {
        let j = quote_or_backslash(b, i)?;
        if b[j] == b'"' {
            return Some((j + 1, escaped));
        }
        escaped = true;
        i = j + 2; // skip the escaped character
        if i > b.len() {
            return None;
        }
    }
}

/// The first `"` or `\` in `b` from `i` on. Strings in log lines are short: eight bytes at a
/// time beats setting up a vector search.
pub(super) fn quote_or_backslash(b: &[u8], mut i: usize) -> Option<usize> {
    use super::{LO, word, zero_bytes};
    while i + 8 <= b.len() {
        let x = word(b, i);
        let m = zero_bytes(x ^ (LO * u64::from(b'"'))) | zero_bytes(x ^ (LO * u64::from(b'\\')));
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|&c| c == b'"' || c == b'\\').map(|p| i + p)
}

/// The value of a JSON string body; borrowed when it has no escapes.
#[inline]
fn unescape(raw: &str, escaped: bool) -> Option<Cow<'_, str>> {
    if !escaped {
        return Some(Cow::Borrowed(raw));
    }
    unescape_owned(raw).map(Cow::Owned)
}

#[inline(never)]
fn unescape_owned(raw: &str) -> Option<String> {
    let quoted = format!("\"{raw}\"");
    serde_json::from_str::<String>(&quoted).ok()
}

fn is_number(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    !t.is_empty()
        && t.as_bytes()[0].is_ascii_digit()
        && t.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
}
