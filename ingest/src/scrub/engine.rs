//! The scan engine: which detectors a text arms (literals, pairs, quotes, numeric shapes,
//! vendor keywords, the flood budgets), their candidates, checks and hits, and how
//! overlapping hits resolve. `mod.rs` turns the hits into markers.

use super::*;

impl Scrubber {
    /// The hits for a text dense in trigger literals: one `flood` marker over all of it (but a
    /// text of markers only has nothing left to hide).
    pub(super) fn flooded(text: &str) -> Vec<Hit> {
        if only_markers(text) {
            return Vec::new();
        }
        vec![Hit { start: 0, end: text.len(), kind: Kind::Flood, prio: 0 }]
    }

    pub(super) fn find_inner(&self, text: &str, decode_levels: u8) -> Vec<Hit> {
        let b = text.as_bytes();
        let mut counted = None;
        let mut digits = || *counted.get_or_insert_with(|| count_digits(b));
        if !self.custom && obviously_clean(text, &mut digits, self.ip_policy == IpPolicy::Keep) {
            return Vec::new();
        }
        let digits = digits();
        // Which trigger literals occur? Literals inside existing markers (`[REDACTED:phone:…]`)
        // arm nothing: a rescrub must decide exactly as the first scrub did.
        let markers = marker_spans(text);
        if markers.len() > MAX_MARKERS {
            return Self::flooded(text);
        }
        let budget = literals::Budget::for_len(text.len());
        let Some(seen) = self.literals.seen(text, &markers, budget) else {
            return Self::flooded(text);
        };
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
        if eq && memchr::memchr_iter(b'=', b).count() > PAIR_FLOOR + text.len() / PAIR_BYTES_PER {
            return Self::flooded(text);
        }
        let markup = memchr::memmem::find(b, b"</").is_some();
        let has_pct = decode_levels > 0 && pct;
        let pairs = eq || pct;
        let quoted = quote || (memchr::memchr(b'\\', b).is_some() && text.contains("\\u0022"));
        // Which vendor rules can match (their keywords occur).
        let Some(vendor) = self.catalogue.armed(text, &markers, budget) else {
            return Self::flooded(text);
        };
        let bare = if b.len() >= 30 && digits >= 3 { bare_tokens(text) } else { Vec::new() };
        if seen.is_empty()
            && bare.is_empty()
            && numeric == 0
            && !self.custom
            && !has_pct
            && !pairs
            && !quoted
            && !markup
            && vendor.is_empty()
        {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = Vec::new();
        let mut flood_from: Option<usize> = None;
        // The armed detectors, in priority order.
        let mut armed = self.arms.always;
        for lit in seen.iter() {
            armed.union(&self.arms.literal[lit]);
        }
        for (on, set) in [(pairs, &self.arms.pairs), (quoted, &self.arms.quoted), (markup, &self.arms.markup)]
        {
            if on {
                armed.union(set);
            }
        }
        let mut bits = numeric;
        while bits != 0 {
            armed.set(self.arms.numeric[bits.trailing_zeros() as usize]);
            bits &= bits - 1;
        }
        for prio in armed.iter() {
            let d = &self.detectors[prio];
            if d.check == Check::KeyValueScan {
                let first = hits.len();
                for (name, value) in kv_pairs(text) {
                    if hits.len() - first >= MAX_DETECTOR_HITS {
                        flood_from = Some(flood_from.map_or(name.0, |f: usize| f.min(name.0)));
                        break;
                    }
                    self.kv_hit(text, &text[name.0..name.1], value, prio, &mut hits);
                }
                continue;
            }
            if d.check == Check::XmlScan {
                let first = hits.len();
                for (name, value) in xml_pairs(text) {
                    if hits.len() - first >= MAX_DETECTOR_HITS {
                        flood_from = Some(flood_from.map_or(name.0, |f: usize| f.min(name.0)));
                        break;
                    }
                    self.kv_hit(text, &text[name.0..name.1], value, prio, &mut hits);
                }
                continue;
            }
            if d.check == Check::PathScan {
                for (name, value) in path_pairs(text) {
                    let name = &text[name.0..name.1];
                    let class = match self.classify(name) {
                        NameClass::Plain => self.classify(name.strip_suffix('s').unwrap_or(name)),
                        // `/password-reset/<token>`: a fact about a password as a field name,
                        // a credential as a path segment's value.
                        NameClass::Fact
                            if ["password", "token", "secret", "session"]
                                .iter()
                                .any(|w| name.to_ascii_lowercase().contains(w)) =>
                        {
                            NameClass::Secret(Kind::Token)
                        }
                        c => c,
                    };
                    // Any other segment name: a segment that looks like a generated credential
                    // (`/invite/1RC7H0UeXt30BPYXedQ48nduFYERgrEH`) is one.
                    let (kind, plain) = match class {
                        NameClass::Secret(k) | NameClass::IfRandom(k) => (k, false),
                        NameClass::Plain => (Kind::Token, true),
                        _ => continue,
                    };
                    let v = percent_decoded(&percent_decoded(&text[value.0..value.1])).into_owned();
                    // Random-looking, or a long hex token; not a UUID (an identifier). Personal
                    // numbers (`/ssn/277 40 2759`, `/phone/…`) need only their digits.
                    let digits = v.bytes().filter(u8::is_ascii_digit).count();
                    let pii = (matches!(kind, Kind::Ssn | Kind::Phone | Kind::Card | Kind::NationalId) && digits >= 7)
                        // A membership number in a path carries letters or separators
                        // (`/members/W451076042`); plain digits there are the row's key.
                        || (matches!(kind, Kind::MemberId | Kind::AccountNumber)
                            && digits >= 6
                            && digits < v.len()
                            && !shapes::is_uuid(v.as_bytes()));
                    if pii
                        || random_token(&v)
                        || (!plain && v.len() >= 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
                    {
                        hits.push(Hit { start: value.0, end: value.1, kind, prio });
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
            // The two pair shapes resolve their groups from the match by hand: resolving capture
            // groups costs the regex engine a second pass over the match, which on text made of
            // pairs (or one 1 MB value) was most of the scrubber's time.
            let by_hand = pair_groups(d);
            let mut locs = (d.group != 0 && scheme.is_none()).then(|| d.re.capture_locations());
            let mut pos = 0;
            let first_hit = hits.len();
            loop {
                // A detector that has found this many candidates stops looking; the rest of
                // the text, from where it stopped, becomes one `flood` marker.
                if hits.len() - first_hit >= MAX_DETECTOR_HITS {
                    flood_from = Some(flood_from.map_or(pos, |f: usize| f.min(pos)));
                    break;
                }
                let (whole, m, name) = match (by_hand, locs.as_mut()) {
                    (Some(resolve), _) => match d.re.find_at(text, pos) {
                        Some(w) => {
                            let (name, value) = resolve(b, w.start(), w.end());
                            ((w.start(), w.end()), Some(value), Some(name))
                        }
                        None => break,
                    },
                    (None, None) => match d.re.find_at(text, pos) {
                        Some(w) => {
                            let start = w.start() + scheme.map_or(0, |n| credential_offset(w.as_str(), n));
                            ((w.start(), w.end()), Some((start, w.end())), None)
                        }
                        None => break,
                    },
                    (None, Some(locs)) if d.tail_group => match d.re.find_at(text, pos) {
                        Some(w) => {
                            let (name, value) = tail_groups(d, locs, text, w.start(), w.end());
                            ((w.start(), w.end()), value, name)
                        }
                        None => break,
                    },
                    (None, Some(locs)) => match d.re.captures_read_at(locs, text, pos) {
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
                let kind = match d.check {
                    Check::KeyValue | Check::KeyValueScan => {
                        let name = name.map_or("", |n| &text[n.0..n.1]);
                        if !self.kv_hit(text, name, m, prio, &mut hits) {
                            // Not a secret name: its value may hold pairs of its own
                            // (`redirect_uri=https://…?token=…`), so search inside it.
                            pos = m.0;
                        }
                        continue;
                    }
                    Check::NamedValue => {
                        let name = name.map_or("", |n| &text[n.0..n.1]);
                        let b = text.as_bytes();
                        // `record: {'ssn': …}`: a value that ends in an opening bracket is the
                        // next pair's lead-in, so the next search starts on it.
                        if matches!(b[whole.1 - 1], b'{' | b'(' | b'[') && whole.1 - 1 > whole.0 {
                            pos = whole.1 - 1;
                        }
                        // `key: [null, "…"]`: a list or an object opens here, not a value. A
                        // list of quoted strings (`'X-Api-Key': [ 'k-123' ]`, a header list in
                        // a dumped event) has each element judged as the name's value.
                        if b[m.0] == b'[' {
                            for element in quoted_list(b, m.0) {
                                self.kv_hit(text, name, element, prio, &mut hits);
                            }
                            continue;
                        }
                        if b[m.0] == b'{' {
                            // An object under a secret name (`'privateChallengeParameters':
                            // {'answer': '125386'}`): each quoted value in it is that secret.
                            // Facts about the secret (`Expiration`) stay, as in JSON.
                            if let NameClass::Secret(kind) = self.classify(name) {
                                for (member, v) in quoted_object_values(b, m.0) {
                                    if self.classify(&text[member.0..member.1]) != NameClass::Fact {
                                        hits.push(Hit { start: v.0, end: v.1, kind, prio });
                                    }
                                }
                            }
                            continue;
                        }
                        // `token: \"…\"` (GraphQL arguments inside an escaped query): the value
                        // is between the escaped quotes.
                        if let Some(value) = escaped_quoted(b, m.0) {
                            self.kv_hit(text, name, value, prio, &mut hits);
                            continue;
                        }
                        let quoted = m.1 - m.0 >= 2 && matches!(b[m.0], b'\'' | b'"') && b[m.1 - 1] == b[m.0];
                        if quoted {
                            m = (m.0 + 1, m.1 - 1);
                        }
                        if !self.kv_hit(text, name, m, prio, &mut hits) && quoted {
                            // Not a secret name: a quoted value may hold pairs of its own
                            // (`query: "mutation { reset(newPassword: \"…\") }"`). Only a quoted
                            // one: it ends at its quote, so each byte is searched at most twice
                            // (an unquoted value runs on, and `a1:(` repeated would be searched
                            // again from every pair in it).
                            pos = pos.min(m.0);
                        }
                        continue;
                    }
                    Check::Cookie => {
                        self.cookie_hits(text, m.0, s, prio, &mut hits);
                        continue;
                    }
                    check => {
                        // An IBAN that swallowed the next word (`BE55…3060 HTTP`): the longest
                        // valid prefix that ends at a group, at most 20 tries (bounded work).
                        if check == Check::Iban
                            && !passes(check, s)
                            && let Some(k) = (15..s.len())
                                .rev()
                                .take(20)
                                .find(|&k| s.as_bytes()[k] == b' ' && validate::iban(&s[..k]))
                        {
                            m.1 = m.0 + k;
                            hits.push(Hit { start: m.0, end: m.1, kind: d.kind, prio });
                            pos = m.1;
                            continue;
                        }
                        if !passes(check, s)
                            || (check == Check::Phone
                                && (in_digit_groups(text, m.0, m.1) || dashed_id(text, m.0, m.1)))
                            // `10.1.2.0/24` is a network (or an already truncated address).
                            || (check == Check::Ipv4 && text[m.1..].starts_with('/'))
                            // A word followed by more of the header value is its scheme, not
                            // its credential (`BearerX [REDACTED:jwt:…]` on a rescrub).
                            || (check == Check::Authorization
                                && ((!after_scheme(&text[..m.0]) && scheme_word(&text[m.1..]))
                                    // The rest of a token that a redaction has cut (a rescrub
                                    // must decide as the first scrub did on the whole token).
                                    || text[m.1..].starts_with(MARKER)))
                        {
                            // Resume past the rejected candidate, never one character later:
                            // re-searching from inside it would cost the candidate's length
                            // again for each of its characters (quadratic time on a crafted
                            // User-Agent such as `eyJ` repeated to 8 KB).
                            pos = whole.1.max(next_char(text, whole.0));
                            continue;
                        }
                        // `scheme://user:password@host`: the `password@host` of a URL is no
                        // e-mail address; the password is the secret, the host stays.
                        if d.kind == Kind::Email && url_password(&text[..m.0]) {
                            let at = s.find('@').or_else(|| s.find("%40")).unwrap_or(s.len());
                            m.1 = m.0 + at;
                            hits.push(Hit { start: m.0, end: m.1, kind: Kind::Password, prio });
                            continue;
                        }
                        if check == Check::Context {
                            let word = name.map_or("", |n| &text[n.0..n.1]);
                            // `arn:aws:secretsmanager:…:secret:db-AbCdEf`: the word is an ARN's
                            // resource type, its value the resource's name.
                            if name.is_some_and(|n| in_arn(text, n.0)) {
                                continue;
                            }
                            let value = s.trim_end_matches(['.', ':', '!', '?']);
                            m.1 = m.0 + value.len();
                            // `ssn 123-45-6789`-shaped values only after `ssn` words.
                            let Some(kind) = context_kind(word, value) else { continue };
                            kind
                        } else {
                            d.kind
                        }
                    }
                };
                hits.push(Hit { start: m.0, end: m.1, kind, prio });
            }
        }
        let base = self.detectors.len();
        for i in vendor {
            let rule = &self.catalogue.rules[i as usize];
            let kind = rule.kind;
            let stopped = rule.find(text, MAX_DETECTOR_HITS, |start, end| {
                hits.push(Hit { start, end, kind, prio: base + i as usize });
            });
            if let Some(pos) = stopped {
                flood_from = Some(flood_from.map_or(pos, |f: usize| f.min(pos)));
            }
        }
        let last = base + self.catalogue.rules.len();
        hits.extend(bare.into_iter().map(|(start, end)| Hit { start, end, kind: Kind::Token, prio: last }));
        // URL-encoded text (`token%3D…`, `%2B44%2020…`, `jane%40…`): detect on a decoded copy
        // and map the hits back onto the encoded bytes.
        if has_pct {
            let (decoded, map) = percent_decode_mapped(text);
            let decoded = form_spaces(decoded, text.as_bytes());
            if decoded.len() != text.len() {
                for h in self.find_inner(&decoded, decode_levels - 1) {
                    let start = map[h.start];
                    let end = map.get(h.end).copied().unwrap_or(text.len());
                    hits.push(Hit { start, end, ..h });
                }
            }
        }
        if let Some(from) = flood_from {
            let from = floor_char(text, from.min(text.len()));
            // Nothing but markers (a flood marker already) from there on: nothing to hide.
            if !only_markers(&text[from..]) {
                hits.push(Hit { start: from, end: text.len(), kind: Kind::Flood, prio: 0 });
            }
        }
        if hits.is_empty() {
            return hits;
        }
        self.resolve(text, hits)
    }

    /// Which numeric detectors can match in `text` (bit i: the i-th of them).
    pub(super) fn numeric_armed(&self, text: &str, ascii: bool) -> u64 {
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
    pub(super) fn kv_hit(
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
                // The shell's `PWD=/home/deploy` (sudo, env dumps) is the working directory.
                if benign_value(k, decoded) || (matches!(name, "PWD" | "OLDPWD") && decoded.starts_with('/'))
                {
                    return true;
                }
                if validate::jwt(decoded) { Kind::Jwt } else { k }
            }
            NameClass::IfRandom(k) => {
                if !random_enough(k, &percent_decoded(decoded)) {
                    return false;
                }
                k
            }
            NameClass::Cookie => {
                self.cookie_hits(text, value.0, s, prio, hits);
                return true;
            }
            // `authorization=[…]`: a header map printed by Java (`{name=[value], …}`). Other
            // forms (`Authorization=AWS4-HMAC-SHA256 Credential=…`) are the header detectors'.
            NameClass::Authorization if s.len() > 2 && s.starts_with('[') && s.ends_with(']') => {
                let inner = &s[1..s.len() - 1];
                if inner.len() >= 8 && !benign_value(Kind::Bearer, inner) && !inner.bytes().all(|b| b == b'*')
                {
                    hits.push(Hit { start: value.0 + 1, end: value.1 - 1, kind: Kind::Bearer, prio });
                }
                return true;
            }
            // Any parameter whose value looks like a generated credential (`t=…`, `k=…`), but not
            // the documented cookies of analytics and load-balancer affinity in a CDN's cookie
            // field (`AWSALB=…`): they grant nothing.
            NameClass::Plain
                if random_token(&percent_decoded(decoded))
                    && !names::analytics_cookie(name.trim().trim_start_matches("%20")) =>
            {
                Kind::Token
            }
            // Base64 of a document that holds a secret (AppSync's real-time `header=` parameter:
            // the JSON of its `Authorization` or `x-api-key` header).
            NameClass::Plain
                if decoded.starts_with("ey") && self.encodes_secret(&percent_decoded(decoded)) =>
            {
                Kind::Token
            }
            _ => return false,
        };
        if !s.is_empty() {
            // A SigV4 credential (`Credential=AKIA…/20250420/eu-west-2/lambda/aws4_request`):
            // the access key id is the secret, its scope is a date, a region and a service.
            let lead = s.len() - s.trim_start().len();
            let end = match sigv4_key_id(decoded) {
                Some(n) => value.0 + lead + n,
                None => value.1,
            };
            hits.push(Hit {
                start: value.0,
                end,
                kind: if end < value.1 { Kind::AwsSigv4 } else { kind },
                prio,
            });
        }
        true
    }

    /// Whether `v` is base64 of a JSON document in which the scrubber finds a secret (decoded
    /// as a base64 body in JSON is, [`super::json::base64_text`]). Each level of encoding is a
    /// quarter shorter than the one around it, so nested encodings cost a few times the value.
    fn encodes_secret(&self, v: &str) -> bool {
        super::json::base64_text(v)
            .is_some_and(|doc| doc.trim_end().ends_with('}') && self.scrub_line(&doc) != doc)
    }

    pub(super) fn cookie_hits(&self, text: &str, base: usize, value: &str, prio: usize, hits: &mut Vec<Hit>) {
        let mut off = 0;
        let first = hits.len();
        for part in value.split(';') {
            // A flood of cookie pairs: the rest of the text becomes one `flood` marker.
            if hits.len() - first >= MAX_DETECTOR_HITS {
                let from = floor_char(text, base + off);
                if !only_markers(&text[from..]) {
                    hits.push(Hit { start: from, end: text.len(), kind: Kind::Flood, prio: 0 });
                }
                return;
            }
            if let Some(eq) = part.find('=') {
                let name = &part[..eq];
                let v = &part[eq + 1..];
                let lead = v.len() - v.trim_start().len();
                let v_trim = v.trim();
                if !is_cookie_attribute(name) && !v_trim.is_empty() && !self.plain_cookie(name, v_trim) {
                    let start = base + off + eq + 1 + lead;
                    hits.push(Hit { start, end: start + v_trim.len(), kind: Kind::Cookie, prio });
                }
            }
            off += part.len() + 1;
        }
    }

    /// A cookie that is a preference, not a credential or an identifier: a name that is not a
    /// secret's or a session's, and a short value with no random look, no digits to speak of
    /// and no address (`tz=Europe%2FBerlin`, `cookie_consent=accepted`, `ab=checkout-b`). Also
    /// the documented cookies of analytics, consent and load-balancer affinity, whatever their
    /// value ([`names::analytics_cookie`]): they grant nothing.
    pub(super) fn plain_cookie(&self, name: &str, value: &str) -> bool {
        // (`a=1;%20_ga=…`: a cookie header percent-encoded in a CDN's log.)
        let bare = name.trim().trim_start_matches("%20");
        if names::analytics_cookie(bare) && !value.contains('@') && !value.contains("%40") {
            return true;
        }
        if !matches!(self.classify(name.trim()), NameClass::Plain | NameClass::Fact) {
            return false;
        }
        let v = percent_decoded(value);
        v.len() <= 32
            && v.bytes().filter(u8::is_ascii_digit).count() < 4
            && !v.contains('@')
            && !validate::high_entropy(&v)
            && !random_token(&v)
    }

    /// Drops disabled kinds, allowlisted secrets, hits inside existing markers, and overlaps
    /// (earliest start wins, then the longer, then detector priority). Text that only a
    /// discarded candidate covered is looked at again by the next pass (`scrub_text`).
    pub(super) fn resolve(&self, text: &str, mut hits: Vec<Hit>) -> Vec<Hit> {
        let markers = marker_spans(text);
        let certificates = certificate_spans(text);
        hits.retain(|h| {
            let span = &text[h.start..h.end];
            !self.disabled.contains(&h.kind)
                && (h.kind == Kind::Flood
                    || (!overlaps(&markers, h.start, h.end)
                        && !validate::placeholder(span)
                        && !inside(&certificates, h.start, h.end)))
                && !self.allow.iter().any(|a| a.is_match(span))
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
                }
                continue;
            }
            out.push(h);
        }
        out
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

/// Whether the word at `at` is part of an ARN (`arn:<partition>:<service>:…` earlier in the
/// same run of non-blank, unquoted characters). Looks back at most 256 bytes.
fn in_arn(text: &str, at: usize) -> bool {
    let from = floor_char(text, at.saturating_sub(256));
    let run = &text[from..at];
    let start = run
        .rfind(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\' | ',' | '(' | '['))
        .map_or(0, |i| i + 1);
    names::aws_arn(&run[start..])
}

/// Whether what follows a header value's first word is more of the value (white space, then
/// anything but the end of the value): then that word was the scheme.
pub(super) fn scheme_word(rest: &str) -> bool {
    let t = rest.trim_start_matches([' ', '\t']);
    t.len() < rest.len() && !t.is_empty() && !t.starts_with([',', '}', ';', '"', '\'', '\\'])
}

/// Whether a credential starts after a scheme word (`Token <credential>`), not right after the
/// header's `:` or `=`.
pub(super) fn after_scheme(before: &str) -> bool {
    before
        .trim_end_matches([' ', '\t'])
        .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && before.ends_with([' ', '\t'])
}

/// Whether a phone-shaped match is a piece of a dashed identifier (`9e0c2f67-0269-4144-9650-…`):
/// a dash after it, or a dash before it that follows three or more letters or digits (a
/// country code `1-` is shorter).
pub(super) fn dashed_id(text: &str, start: usize, end: usize) -> bool {
    if text[end..].starts_with('-') {
        return true;
    }
    let Some(before) = text[..start].strip_suffix('-') else { return false };
    before.bytes().rev().take(3).take_while(u8::is_ascii_alphanumeric).count() >= 3
}

/// The largest character boundary at or before `i`.
pub(super) fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary at or after `i` (`i <= text.len()`).
pub(super) fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The byte offset of the character after the one at `i`.
pub(super) fn next_char(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(text.len(), |c| i + c.len_utf8())
}

/// Byte offset of `needle` (ASCII, case-insensitive) in `hay`.
pub(super) fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A byte range of a text.
pub(super) type Span = (usize, usize);

/// Bytes of a long match that capture resolution reads (see [`tail_groups`]).
pub(super) const CAPTURE_WINDOW: usize = 512;

/// Groups 1 and `d.group` of the match `text[s..e]` of a detector whose captured group ends
/// the pattern (so it ends where the match does). Resolving groups costs the regex engine a
/// second, slower pass over the match; a value that runs on for a megabyte would cost that
/// much again per candidate. Only the match's first [`CAPTURE_WINDOW`] bytes are resolved:
/// the path the engine prefers through them is the one it prefers through the whole match
/// (what follows is the group's own repetition), so the groups start where they would, and
/// the captured group is extended to the match's end.
pub(super) fn tail_groups(
    d: &Detector,
    locs: &mut regex::CaptureLocations,
    text: &str,
    s: usize,
    e: usize,
) -> (Option<Span>, Option<Span>) {
    let mut cut = e.min(s + CAPTURE_WINDOW);
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    if cut < e
        && d.re.captures_read_at(locs, &text[..cut], s).is_some_and(|m| m.start() == s)
        && let Some(g) = locs.get(d.group)
        && g.1 == cut
    {
        let value = Some((g.0, e));
        return (if d.group == 1 { value } else { locs.get(1) }, value);
    }
    // A short match, or a window that does not end inside the group: the full pass.
    match d.re.captures_read_at(locs, text, s) {
        Some(m) if m.start() == s => (locs.get(1), locs.get(d.group)),
        _ => (None, None),
    }
}

/// The bodies of PEM certificates in `text`: public data (a client certificate in an access log),
/// however random its base64 looks. Private keys are other PEM blocks.
fn certificate_spans(text: &str) -> Vec<(usize, usize)> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(b) = text[from..].find(BEGIN) {
        let start = from + b + BEGIN.len();
        let Some(e) = text[start..].find(END) else { break };
        out.push((start, start + e));
        from = start + e + END.len();
    }
    out
}

/// Whether `[start, end)` lies inside one of `spans` (sorted, disjoint): one binary search.
fn inside(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = spans.partition_point(|&(s, _)| s <= start);
    i > 0 && end <= spans[i - 1].1
}

/// A reader of the flat lists and objects that dumped events print (`[ 'a', "b" ]`,
/// `{'a': '1', b: "2"}`), at most 4 KB from where they open.
struct Flat<'a> {
    b: &'a [u8],
    i: usize,
    end: usize,
}

impl<'a> Flat<'a> {
    fn new(b: &'a [u8], open: usize) -> Self {
        Flat { b, i: open + 1, end: b.len().min(open + 4096) }
    }

    fn spaces(&mut self) {
        while self.i < self.end && self.b[self.i] == b' ' {
            self.i += 1;
        }
    }

    /// A quoted string here (holding no quote of its kind, backslash or line break): its span
    /// without the quotes.
    fn quoted(&mut self) -> Option<(usize, usize)> {
        self.spaces();
        let q = *self.b.get(self.i).filter(|&&q| (q == b'\'' || q == b'"') && self.i < self.end)?;
        let start = self.i + 1;
        let len = self.b[start..self.end].iter().position(|&c| c == q || c == b'\\' || c == b'\n')?;
        (self.b[start + len] == q).then(|| {
            self.i = start + len + 1;
            (start, start + len)
        })
    }

    /// A bare name here (letters, digits, `_`).
    fn bare(&mut self) -> Option<(usize, usize)> {
        self.spaces();
        let start = self.i;
        while self.i < self.end && (self.b[self.i].is_ascii_alphanumeric() || self.b[self.i] == b'_') {
            self.i += 1;
        }
        (self.i > start).then_some((start, self.i))
    }

    /// Past `c`, if it comes next.
    fn eat(&mut self, c: u8) -> bool {
        self.spaces();
        let here = self.i < self.end && self.b[self.i] == c;
        self.i += usize::from(here);
        here
    }
}

/// The spans of the elements of a list of quoted strings opening at `open` (`[ 'a', "b" ]`),
/// quotes excluded; empty when it is not one.
fn quoted_list(b: &[u8], open: usize) -> Vec<(usize, usize)> {
    let mut f = Flat::new(b, open);
    let mut out = Vec::new();
    while let Some(v) = f.quoted() {
        out.push(v);
        if !f.eat(b',') {
            break;
        }
    }
    out
}

/// The span inside an escaped quoted string opening at `at` (`\"…\"`, any number of
/// backslashes), quotes excluded; `None` when none opens there. The value holds no quote or
/// backslash and is read at most 512 bytes far.
fn escaped_quoted(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    while i < b.len() && b[i] == b'\\' {
        i += 1;
    }
    if i == at || b.get(i) != Some(&b'"') {
        return None;
    }
    let start = i + 1;
    let end = b.len().min(start + 512);
    let len = b[start..end].iter().position(|&c| c == b'"' || c == b'\\' || c == b'\n')?;
    (b[start + len] == b'\\' && len > 0).then_some((start, start + len))
}

/// The spans of the members' names and quoted values of a flat object opening at `open`
/// (`{'a': '1', b: "2"}`), quotes excluded; it stops at the first thing that is not a
/// `name: 'value'` member (a nested object or list, an unquoted value).
fn quoted_object_values(b: &[u8], open: usize) -> Vec<((usize, usize), (usize, usize))> {
    let mut f = Flat::new(b, open);
    let mut out = Vec::new();
    while let Some(name) = f.quoted().or_else(|| f.bare()) {
        if !f.eat(b':') {
            break;
        }
        let Some(value) = f.quoted() else { break };
        if value.1 > value.0 {
            out.push((name, value));
        }
        if !f.eat(b',') {
            break;
        }
    }
    out
}

/// Whether `before` ends with a URL's `scheme://user:` (at most 256 bytes of user name, none of
/// them a separator), so what follows is the password of the URL's user information.
fn url_password(before: &str) -> bool {
    let Some(head) = before.strip_suffix(':') else { return false };
    let tail = &head[ceil_char(head, head.len().saturating_sub(256))..];
    let Some(at) = tail.rfind("://") else { return false };
    let user = &tail[at + 3..];
    !user.is_empty()
        && !user.bytes().any(|b| matches!(b, b'/' | b'@' | b':' | b' ' | b'"' | b'\'' | b'<' | b'>'))
}

/// The length of the access key id at the start of a SigV4 credential with its scope
/// (`AKIA…/20250420/…` or `%2F`-encoded), if `v` is one.
fn sigv4_key_id(v: &str) -> Option<usize> {
    let b = v.as_bytes();
    let id = b.get(..20)?;
    let key = (id.starts_with(b"AKIA") || id.starts_with(b"ASIA"))
        && id.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !key {
        return None;
    }
    // ASCII up to here, so byte 20 is a character boundary.
    let rest = &v[20..];
    let scope =
        rest.strip_prefix('/').or_else(|| rest.strip_prefix("%2F")).or_else(|| rest.strip_prefix("%2f"));
    scope.is_some_and(|r| r.len() >= 8 && r.as_bytes()[..8].iter().all(u8::is_ascii_digit)).then_some(20)
}
