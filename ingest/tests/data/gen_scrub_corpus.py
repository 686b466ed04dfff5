#!/usr/bin/env python3
"""Generate the labelled scrubber test corpus ``scrub_corpus.jsonl``.

Run with Python 3.11+ (stdlib only -- random, json, base64, hmac, hashlib,
urllib.parse, plus datetime/uuid/string/os/sys for formatting -- no network)::

    python3 gen_scrub_corpus.py            # writes scrub_corpus.jsonl next to this file
    python3 gen_scrub_corpus.py OUT.jsonl  # writes elsewhere

The output is deterministic: every random choice comes from one
``random.Random(SEED)``; re-running rewrites a byte-identical file.

Format
------
One JSON object per line (UTF-8, ASCII-only in practice)::

    {"line": "...", "secrets": [{"kind": "...", "value": "..."}], "keep": ["..."]}

``line``
    One input log line exactly as it would appear in an API Gateway log file
    (JSON access log, CLF access log, or REST execution-log line).  Never
    contains a newline; PEM bodies use literal ``\\n`` escapes.
``secrets``
    Each ``value`` is an exact substring of ``line`` (as written in the raw
    line, i.e. already URL-encoded / JSON-escaped where it sits in such a
    context).  After scrubbing, ``value`` must not occur anywhere in the
    output.  ``kind`` is one of KINDS below.  A value may occur more than once
    in a line (e.g. the same e-mail in the path and in principalId); every
    occurrence must go.
``keep``
    Exact substrings of ``line`` that must still occur byte-for-byte in the
    scrubbed output: the tokens a naive scrubber tends to over-redact (request
    ids, trace ids, digests, epoch-ms timestamps, Luhn-invalid 16-digit numbers,
    mod-97-invalid IBAN-shaped strings, invalid SSN-shaped numbers, IPs, user
    agents, apiKeyId values, field names, ARNs, ...).  A keep never contains,
    is contained in, or overlaps any occurrence of any secret of its line.

Lines with ``secrets == []`` are negative-only lines (>= 35% of the corpus).

Self-checks run before anything is written (substring presence, no
keep/secret overlap, Luhn / mod-97 / SSN validity as labelled, JWT header and
payload decode to JSON with alg/typ and sub/iat/exp, newline-free lines,
negative share, file size).  A per-kind count summary is printed to stdout.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import random
import string
import sys
import uuid
from urllib.parse import quote

SEED = 20261124
R = random.Random(SEED)
SCALE = 0.85  # multiplies the per-kind line counts in POSITIVE

KINDS = [
    "jwt", "bearer", "basic_auth", "aws_access_key", "aws_secret_key", "aws_sigv4",
    "github_token", "slack_token", "stripe_key", "google_api_key", "private_key",
    "password", "secret", "cookie", "api_key", "email", "phone", "card", "ssn", "iban",
]

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DIG = string.digits
ALNUM = UP + LO + DIG
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"


def rs(n, alpha=ALNUM):
    return "".join(R.choice(alpha) for _ in range(n))


def ruuid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


# --------------------------------------------------------------------------
# validators (also used by the self-check)
# --------------------------------------------------------------------------

def luhn_ok(s):
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_make(prefix, n):
    body = prefix + "".join(R.choice(DIG) for _ in range(n - len(prefix) - 1))
    for c in DIG:
        if luhn_ok(body + c):
            return body + c
    raise AssertionError


def luhn_invalid(prefix, n):
    v = luhn_make(prefix, n)
    bad = v[:-1] + str((int(v[-1]) + R.randint(1, 9)) % 10)
    assert not luhn_ok(bad)
    return bad


def iban_mod(s):
    s = s.replace(" ", "")
    re = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in re)) % 97


IBAN_BBAN = {
    "DE": lambda: rs(8, DIG) + rs(10, DIG),
    "GB": lambda: rs(4, UP) + rs(6, DIG) + rs(8, DIG),
    "FR": lambda: rs(5, DIG) + rs(5, DIG) + rs(11, DIG) + rs(2, DIG),
    "NL": lambda: rs(4, UP) + rs(10, DIG),
    "ES": lambda: rs(20, DIG),
    "IT": lambda: rs(1, UP) + rs(5, DIG) + rs(5, DIG) + rs(12, DIG),
}
IBAN_LEN = {"DE": 22, "GB": 22, "FR": 27, "NL": 18, "ES": 24, "IT": 27}


def iban_make(cc=None, valid=True):
    cc = cc or R.choice(list(IBAN_BBAN))
    bban = IBAN_BBAN[cc]()
    chk = 98 - iban_mod(cc + "00" + bban)
    if not valid:
        chk = (chk + R.randint(1, 96)) % 97 or 2
        if chk < 2:
            chk += 2
    s = f"{cc}{chk:02d}{bban}"
    assert len(s) == IBAN_LEN[cc]
    assert (iban_mod(s) == 1) == valid, s
    return s


def group4(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def ssn_ok(s):
    a, g, n = s.split("-")
    return (len(a), len(g), len(n)) == (3, 2, 4) and a not in ("000", "666") and a[0] != "9" \
        and g != "00" and n != "0000"


def ssn_make():
    while True:
        a = R.randint(1, 899)
        if a != 666:
            break
    return f"{a:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"


def ssn_invalid():
    a = R.choice(["000", "666", f"9{R.randint(0, 99):02d}"])
    return f"{a}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jwt_ok(t):
    h, p, s = t.split(".")
    hd, pd = json.loads(b64url_decode(h)), json.loads(b64url_decode(p))
    return "alg" in hd and "typ" in hd and {"sub", "iat", "exp"} <= set(pd) and len(s) > 20


# --------------------------------------------------------------------------
# secret value generators
# --------------------------------------------------------------------------

FIRST = ["jane", "john", "maria", "li", "ahmed", "olga", "priya", "lucas", "emma", "noah", "sofia",
         "kenji", "fatima", "liam", "chloe", "mateo", "aisha", "oliver", "zoe", "ravi"]
LAST = ["doe", "smith", "garcia", "wei", "hassan", "petrova", "patel", "martin", "mueller",
        "rossi", "tanaka", "okafor", "nguyen", "kowalski", "dubois", "silva", "jensen"]
DOMAINS = ["example.org", "example.com", "mail.example.net", "corp.example.co.uk", "example.de"]


def email():
    f, l = R.choice(FIRST), R.choice(LAST)
    local = R.choice([f"{f}.{l}", f"{f[0]}.{l}", f"{f}{l}{R.randint(1, 99)}", f"{f}_{l}",
                      f"{f}.{l}+orders", f"{f}-{l}"])
    return f"{local}@{R.choice(DOMAINS)}"


def jwt_token():
    alg = R.choice(["HS256", "HS256", "RS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256" and R.random() < 0.7:
        hdr["kid"] = rs(R.choice([8, 16]), LO + DIG)
    iat = 1795963253 + R.randint(-200000, 200000)
    pl = {"sub": R.choice([ruuid(), str(R.randint(10 ** 5, 10 ** 9)), "auth0|" + rs(24, HEX)]),
          "iss": R.choice(["https://auth.example.com/", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_"
                           + rs(9, ALNUM), "https://login.example.org"]),
          "aud": R.choice(["orders-api", rs(26, LO + DIG), "https://api.example.com"]),
          "iat": iat, "exp": iat + R.choice([300, 900, 3600, 86400])}
    if R.random() < 0.4:
        pl["scope"] = R.choice(["openid profile", "read:orders write:orders", "openid email"])
    if R.random() < 0.3:
        pl["token_use"] = R.choice(["access", "id"])
    enc = lambda d: b64url(json.dumps(d, separators=(",", ":")).encode())
    si = enc(hdr) + "." + enc(pl)
    if alg == "HS256":
        sig = hmac.new(rbytes(32), si.encode(), hashlib.sha256).digest()
    elif alg == "RS256":
        sig = rbytes(256)
    else:
        sig = rbytes(64)
    return si + "." + b64url(sig)


def opaque_bearer():
    return R.choice([
        lambda: rs(R.choice([32, 40, 48]), ALNUM),
        lambda: "ya29.a0" + rs(R.randint(90, 140), ALNUM + "_-"),
        lambda: rs(64, HEX),
        lambda: rs(8, LO + DIG) + "-" + rs(4, LO + DIG) + "." + rs(40, ALNUM + "_-"),
        lambda: "at_" + rs(43, ALNUM + "_-"),
    ])()


def basic_cred():
    user = R.choice([R.choice(FIRST), "admin", "svc-orders", "api", "sk_live_" + rs(24), "deploy"])
    pw = R.choice(PASSWORDS + [rs(20, ALNUM + "!#$%")])
    if user.startswith("sk_live_"):
        pw = ""
    return base64.b64encode(f"{user}:{pw}".encode()).decode()


def akid():
    return R.choice(["AKIA", "ASIA"]) + rs(16, UP + "234567")


def aws_secret():
    while True:
        s = rs(40, B64)
        if s[0] not in "+/" and s[-1] not in "+/":
            return s


def sts_token():
    return "IQoJb3JpZ2luX2Vj" + base64.b64encode(rbytes(R.randint(150, 300))).decode()


def github_tok():
    if R.random() < 0.25:
        return "github_pat_" + rs(22, ALNUM) + "_" + rs(59, ALNUM)
    return R.choice(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + rs(36, ALNUM)


def slack_tok():
    p = R.choice(["xoxb", "xoxp", "xoxa", "xoxr"])
    d = lambda: str(R.randint(10 ** 9, 10 ** 12))
    if p == "xoxp":
        return f"xoxp-{d()}-{d()}-{d()}-{rs(32, HEX)}"
    if p == "xoxa":
        return f"xoxa-2-{d()}-{d()}-{rs(32, HEX)}"
    return f"{p}-{d()}-{d()}-{rs(24, ALNUM)}"


def slack_hook():
    return f"https://hooks.slack.com/services/T{rs(R.choice([8, 10]), UP + DIG)}/B{rs(R.choice([8, 10]), UP + DIG)}/{rs(24, ALNUM)}"


def stripe():
    return R.choice(["sk_live_", "sk_live_", "rk_live_", "sk_test_"]) + rs(R.choice([24, 34, 58, 99]), ALNUM)


def gkey():
    return "AIzaSy" + rs(33, ALNUM + "_-")


PEM_PREFIX = {
    "RSA ": "MIIEpAIBAAKCAQEA",
    "": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ",
    "EC ": "MHcCAQEEI",
    "OPENSSH ": "b3BlbnNzaC1rZXktdjEAAAAA",
}


def pem():
    """returns (pem_text_with_literal_backslash_n, [secret chunks])"""
    kind = R.choice(list(PEM_PREFIX))
    nlines = 2 if kind == "EC " else R.randint(3, 7)
    raw = PEM_PREFIX[kind] + base64.b64encode(rbytes(48 * nlines)).decode()
    body = raw[:64 * nlines - R.randint(0, 20)]
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    text = f"-----BEGIN {kind}PRIVATE KEY-----\\n" + "\\n".join(lines) + f"\\n-----END {kind}PRIVATE KEY-----\\n"
    chunks = [lines[0]]
    if len(lines) > 2:
        chunks.append(lines[-2])
    return text, chunks


PASSWORDS = ["hunter2!", "summer2024", "password123", "Winter2025!", "letmein99", "qwerty123",
             "iloveyou1", "Passw0rd!", "monkey2023", "dragon77", "Welcome1!", "Spring#2026",
             "correct-horse-battery-staple", "Tr0ub4dor&3", "p@ssw0rd", "Autumn_leaves_88",
             "123456789a", "changeme", "football7", "sunshine!1", "Qwerty!2345", "admin1234"]


def password():
    if R.random() < 0.55:
        return R.choice(PASSWORDS)
    return rs(R.randint(12, 24), ALNUM + "!#$%*+-.:;=?@^_~&")


def generic_secret():
    return R.choice([
        lambda: rs(R.choice([32, 40, 64]), ALNUM),
        lambda: rs(40, HEX),
        lambda: b64url(rbytes(32)),
        lambda: "whsec_" + rs(32, ALNUM),
        lambda: rs(3, ALNUM) + "8Q~" + rs(34, ALNUM + "_.-~"),
        lambda: "GOCSPX-" + rs(28, ALNUM + "_-"),
        lambda: rs(26, ALNUM) + "==",
    ])()


def cookie_val():
    return R.choice([
        lambda: rs(32, HEX),
        lambda: b64url(rbytes(32)),
        lambda: "s%3A" + rs(32, ALNUM + "_-") + "." + rs(43, ALNUM + "%"),
        lambda: rs(32, "0123456789ABCDEF"),
        lambda: rs(R.randint(24, 40), ALNUM),
    ])()


def apikey():
    return R.choice([lambda: rs(40, ALNUM), lambda: rs(32, HEX), lambda: rs(R.randint(20, 30), ALNUM)])()


def phone():
    us = lambda: (R.choice([415, 212, 646, 312, 206, 617, 303, 512, 718]), R.randint(201, 989), R.randint(0, 9999))
    a, b, c = us()
    return R.choice([
        f"+1{a}{b}{c:04d}",
        f"({a}) {b}-{c:04d}",
        f"{a}-{b}-{c:04d}",
        f"+44 20 7946 0{R.randint(0, 999):03d}",
        f"020 7946 0{R.randint(0, 999):03d}",
        f"+44 7700 900{R.randint(0, 999):03d}",
        "06 " + " ".join(f"{R.randint(10, 99)}" for _ in range(4)),
        f"+33 6 {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}",
        f"+4915{R.randint(1, 9)}{R.randint(10 ** 7, 10 ** 8 - 1)}",
    ])


def card():
    t = R.choice(["visa", "mc", "mc2", "amex", "disc", "disc65"])
    return {"visa": lambda: luhn_make("4", 16),
            "mc": lambda: luhn_make(str(R.randint(51, 55)), 16),
            "mc2": lambda: luhn_make(str(R.randint(2221, 2720)), 16),
            "amex": lambda: luhn_make(R.choice(["34", "37"]), 15),
            "disc": lambda: luhn_make("6011", 16),
            "disc65": lambda: luhn_make("65", 16)}[t]()


# --------------------------------------------------------------------------
# per-line context and request model
# --------------------------------------------------------------------------

UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "curl/8.4.0", "python-requests/2.32.3", "okhttp/4.12.0", "Go-http-client/2.0", "PostmanRuntime/7.42.0",
    "aws-sdk-js/3.700.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.18.0",
    "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240905.003)",
    "npm/10.8.2 node/v20.18.0 linux x64 workspaces/false", "Amazon CloudFront",
    "Boto3/1.35.66 md/Botocore#1.35.66 ua/2.0 os/linux#5.10.228 md/arch#x86_64 lang/python#3.12.7",
]
HOSTS = ["api.example.com", "orders.example.org", "pay.example.net"]
BASE_EPOCH = int(datetime.datetime(2026, 11, 24, 14, 40, 53, tzinfo=datetime.timezone.utc).timestamp())


def ipv4():
    return R.choice(["203.0.113.", "198.51.100.", "192.0.2."]) + str(R.randint(1, 254))


def ipv6():
    return "2001:db8:" + ":".join(f"{R.randint(0, 0xffff):x}" for _ in range(R.choice([2, 3]))) + "::" + f"{R.randint(1, 0xffff):x}"


class Ctx:
    def __init__(self):
        self.reqid = ruuid()
        # HTTP API request ids look like "JTHoQgr2oAMEPMg=" (16 chars, base64-ish, often "...AME...=")
        self.http_id = rs(9, ALNUM) + "AME" + rs(3, ALNUM) + "=" if R.random() < 0.6 else rs(15, ALNUM) + "="
        self.ip = ipv6() if R.random() < 0.2 else ipv4()
        ts = BASE_EPOCH + R.randint(-3 * 86400, 3 * 86400)
        self.dt = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
        self.rtime = self.dt.strftime("%d/%b/%Y:%H:%M:%S +0000")
        self.epoch_ms = str(ts * 1000 + R.randint(0, 999))
        self.ua = R.choice(UAS)
        self.trace = f"Root=1-{ts:08x}-{rs(24, HEX)}"
        self.api_id = rs(10, LO + DIG)
        self.apikeyid = rs(10, LO + DIG) if R.random() < 0.5 else "-"
        self.host = R.choice(HOSTS + [f"{self.api_id}.execute-api.us-east-1.amazonaws.com"])
        self.account = str(R.randint(10 ** 11, 10 ** 12 - 1))
        self.stage = R.choice(["prod", "v1", "staging"])
        self.xff = self.ip if R.random() < 0.6 else f"{self.ip}, {ipv4()}"


class Req:
    def __init__(self):
        self.c = Ctx()
        self.method = "GET"
        self.resource = "/"
        self.path = "/"
        self.query = []            # [(k, v as written)]
        self.headers = []          # [(k, v)]
        self.body = None           # str
        self.raw_body = False      # body already JSON-escaped (\u0022 ...): only JSON renderers
        self.error = None
        self.principal = None
        self.authz = None
        self.resp_body = None
        self.resp_headers = []
        self.path_params = []
        self.backend = "https://backend.internal"
        self.status = "200"
        self.secrets = []          # [(kind, value, component)]
        self.keeps = []
        self.forced = None         # renderer name

    def sec(self, kind, value, comp):
        self.secrets.append((kind, value, comp))

    def keep(self, *vals):
        self.keeps.extend(vals)

    def q(self, k, v, kind=None):
        self.query.append((k, v))
        if kind:
            self.sec(kind, v, "query")

    def h(self, k, v, kind=None, value=None):
        self.headers.append((k, v))
        if kind:
            self.sec(kind, value if value is not None else v, "headers")

    def qs(self):
        return "&".join(f"{k}={v}" for k, v in self.query)

    def full_path(self):
        return self.path + ("?" + self.qs() if self.query else "")


def std_headers(r):
    hs = [("Accept", R.choice(["application/json", "*/*"])), ("Host", r.c.host), ("User-Agent", r.c.ua),
          ("X-Amzn-Trace-Id", r.c.trace), ("X-Forwarded-For", r.c.xff),
          ("X-Forwarded-Port", "443"), ("X-Forwarded-Proto", "https")]
    if R.random() < 0.5:
        hs = hs[:5]
    return hs


def merged_headers(r):
    hs = std_headers(r)
    out = []
    custom = list(r.headers)
    # interleave custom headers in a roughly alphabetical order, like AWS prints them
    allh = sorted(hs + custom, key=lambda kv: kv[0].lower()) if R.random() < 0.7 else custom + hs
    for kv in allh:
        out.append(kv)
    return out


# --------------------------------------------------------------------------
# renderers
# --------------------------------------------------------------------------

RAW_MARK = "\x00RAWBODY\x00"


def dumps(d):
    return json.dumps(d, separators=(",", ":"))


def auto_keeps(r, *extra):
    ks = [r.c.reqid, r.c.rtime, r.c.ua, r.c.trace, r.c.ip]
    if r.c.apikeyid != "-":
        ks.append(r.c.apikeyid)
    if "{" in r.resource:
        ks.append(r.resource)
    ks.extend(extra)
    return ks


def render_rest_json(r):
    c = r.c
    d = {"requestId": c.reqid, "ip": c.ip, "caller": "-", "user": "-", "requestTime": c.rtime,
         "httpMethod": r.method, "resourcePath": r.resource, "path": r.full_path(), "status": r.status,
         "protocol": "HTTP/1.1", "responseLength": str(R.randint(0, 4000)),
         "principalId": r.principal or "-", "apiKeyId": c.apikeyid, "userAgent": c.ua,
         "errorMessage": r.error or "-", "authorizerError": r.authz or "-"}
    if r.headers:
        d["requestHeaders"] = dumps(dict(merged_headers(r)))
    if r.body is not None:
        d["requestBody"] = RAW_MARK if r.raw_body else r.body
    line = dumps(d)
    if r.raw_body:
        line = line.replace(dumps(RAW_MARK), '"' + r.body + '"')
    return line, auto_keeps(r, f'"status":"{r.status}"', f'"apiKeyId":"{c.apikeyid}"' if c.apikeyid != "-" else "")


def render_http_json(r):
    c = r.c
    d = {"requestId": c.http_id, "ip": c.ip, "requestTime": c.rtime, "requestTimeEpoch": c.epoch_ms,
         "httpMethod": r.method, "routeKey": f"{r.method} {r.resource}", "path": r.full_path(),
         "status": r.status, "protocol": "HTTP/1.1", "responseLength": str(R.randint(0, 4000)),
         "integrationErrorMessage": r.error or "-", "authorizerError": r.authz or "-",
         "principalId": r.principal or "-", "userAgent": c.ua}
    if r.headers:
        d["requestHeaders"] = dumps(dict(merged_headers(r)))
    if r.body is not None:
        d["requestBody"] = RAW_MARK if r.raw_body else r.body
    line = dumps(d)
    if r.raw_body:
        line = line.replace(dumps(RAW_MARK), '"' + r.body + '"')
    ks = auto_keeps(r, c.http_id, c.epoch_ms)
    ks.remove(c.reqid)
    if "{" in r.resource:
        ks.append(f"{r.method} {r.resource}")
    return line, ks


def render_clf(r):
    c = r.c
    line = f'{c.ip} - - [{c.rtime}] "{r.method} {r.full_path()} HTTP/1.1" {r.status} {R.randint(0, 4000)} {c.reqid}'
    return line, [c.ip, c.rtime, c.reqid, f"HTTP/1.1\" {r.status}"]


def exec_prefix(r):
    return f"({r.c.reqid}) "


def render_exec_headers(r):
    hs = merged_headers(r)
    return exec_prefix(r) + "Method request headers: {" + ", ".join(f"{k}={v}" for k, v in hs) + "}", \
        [r.c.reqid, r.c.trace, r.c.ua, r.c.xff, r.c.ip]


def render_exec_endpoint_headers(r):
    hs = [("x-amzn-apigateway-api-id", r.c.api_id), ("Accept", "application/json"),
          ("User-Agent", f"AmazonAPIGateway_{r.c.api_id}"), ("X-Amzn-Trace-Id", r.c.trace)] + list(r.headers)
    return exec_prefix(r) + "Endpoint request headers: {" + ", ".join(f"{k}={v}" for k, v in hs) + "}", \
        [r.c.reqid, r.c.trace, f"AmazonAPIGateway_{r.c.api_id}"]


def render_exec_body(r):
    return exec_prefix(r) + "Method request body before transformations: " + r.body, [r.c.reqid]


def render_exec_query(r):
    return exec_prefix(r) + "Method request query string: {" + ", ".join(f"{k}={v}" for k, v in r.query) + "}", \
        [r.c.reqid]


def render_exec_uri(r):
    return exec_prefix(r) + "Endpoint request URI: " + r.backend + r.full_path(), [r.c.reqid]


def render_exec_pathparams(r):
    return exec_prefix(r) + "Method request path: {" + ", ".join(f"{k}={v}" for k, v in r.path_params) + "}", \
        [r.c.reqid]


def render_exec_resp_body(r):
    return exec_prefix(r) + "Endpoint response body before transformations: " + r.resp_body, [r.c.reqid]


def render_exec_resp_headers(r):
    hs = [("Date", r.c.dt.strftime("%a, %d %b %Y %H:%M:%S GMT")), ("Content-Type", "application/json"),
          ("Connection", "keep-alive"), ("x-amzn-RequestId", r.c.reqid), ("X-Amzn-Trace-Id", r.c.trace)]
    hs += r.resp_headers
    return exec_prefix(r) + "Endpoint response headers: {" + ", ".join(f"{k}={v}" for k, v in hs) + "}", \
        [r.c.reqid, r.c.trace, hs[0][1]]


def render_exec_error(r):
    v = R.randrange(3)
    lam = ruuid()
    if v == 0:
        line = f"Lambda execution failed with status 200 due to customer function error: {r.error}. Lambda request id: {lam}"
        ks = [lam]
    elif v == 1:
        line = f"Execution failed due to configuration error: {r.error}"
        ks = []
    else:
        line = f"Endpoint response body before transformations: {dumps({'errorMessage': r.error, 'errorType': 'Error'})}"
        ks = ['"errorType":"Error"']
    return exec_prefix(r) + line, [r.c.reqid] + ks


def render_lambda_event(r):
    ev = {"resource": r.resource, "path": r.path, "httpMethod": r.method,
          "headers": dict(merged_headers(r)),
          "queryStringParameters": dict(r.query) if r.query else None,
          "pathParameters": dict(r.path_params) if r.path_params else None,
          "requestContext": {"accountId": r.c.account, "apiId": r.c.api_id, "stage": r.c.stage,
                             "requestId": r.c.reqid, "requestTimeEpoch": int(r.c.epoch_ms),
                             "identity": {"sourceIp": r.c.ip, "userAgent": r.c.ua}},
          "body": r.body, "isBase64Encoded": False}
    return exec_prefix(r) + "Endpoint request body after transformations: " + dumps(ev), \
        [r.c.reqid, f'"accountId":"{r.c.account}"', r.c.epoch_ms, r.c.trace, r.c.ua]


RENDERERS = {
    "rest_json": (render_rest_json, {"path", "query", "headers", "body", "rawbody", "error", "principal", "authz"}, 6),
    "http_json": (render_http_json, {"path", "query", "headers", "body", "rawbody", "error", "principal", "authz"}, 4),
    "clf": (render_clf, {"path", "query"}, 4),
    "exec_headers": (render_exec_headers, {"headers"}, 6),
    "exec_endpoint_headers": (render_exec_endpoint_headers, {"headers"}, 2),
    "exec_body": (render_exec_body, {"body"}, 6),
    "exec_query": (render_exec_query, {"query"}, 4),
    "exec_uri": (render_exec_uri, {"path", "query"}, 3),
    "exec_pathparams": (render_exec_pathparams, {"pathparams"}, 3),
    "exec_resp_body": (render_exec_resp_body, {"resp_body"}, 5),
    "exec_resp_headers": (render_exec_resp_headers, {"resp_headers"}, 4),
    "exec_error": (render_exec_error, {"error"}, 3),
    "lambda_event": (render_lambda_event, {"path", "query", "headers", "body", "pathparams"}, 1),
}


def present_components(r):
    comps = set()
    if r.query:
        comps.add("query")
    if r.headers:
        comps.add("headers")
    if r.body is not None:
        comps.add("rawbody" if r.raw_body else "body")
    for a, n in [("error", "error"), ("principal", "principal"), ("authz", "authz"), ("resp_body", "resp_body")]:
        if getattr(r, a):
            comps.add(n)
    if r.resp_headers:
        comps.add("resp_headers")
    if r.path_params:
        comps.add("pathparams")
    if "{" in r.resource or r.path != "/":
        comps.add("path")
    return comps


def render(r):
    need = {c for _, _, c in r.secrets}
    if r.forced:
        names = [r.forced]
    else:
        if not need:
            need = present_components(r)
            # for negatives pick a renderer that shows at least one populated component
            names = [n for n, (_, cov, _) in RENDERERS.items() if cov & need] or ["rest_json"]
        else:
            names = [n for n, (_, cov, _) in RENDERERS.items() if need <= cov]
            if not names:
                best = max(len(need & cov) for _, cov, _ in RENDERERS.values())
                names = [n for n, (_, cov, _) in RENDERERS.items() if len(need & cov) == best]
    weights = [RENDERERS[n][2] for n in names]
    name = R.choices(names, weights)[0]
    fn = RENDERERS[name][0]
    line, ks = fn(r)
    return name, line, ks


# --------------------------------------------------------------------------
# positive scenarios (one function per kind; each picks a variant)
# --------------------------------------------------------------------------

def jbody(d):
    return dumps(d)


def sc_jwt(r):
    t = jwt_token()
    v = R.randrange(10)
    r.resource, r.path = "/orders", "/orders"
    if v == 0:
        r.h("Authorization", "Bearer " + t, "jwt", t)
    elif v == 1:
        r.resource, r.path = "/oauth2/callback", "/oauth2/callback"
        r.q("id_token", t, "jwt")
        r.q("state", rs(16, LO + DIG))
    elif v == 2:
        r.h("Referer", f"https://app.example.com/callback#access_token={t}&token_type=Bearer&expires_in=3600", "jwt", t)
        r.keep("token_type=Bearer&expires_in=3600")
    elif v == 3:
        r.resource, r.path = "/callback/{token}", "/callback/" + t
        r.sec("jwt", t, "path")
        r.path_params.append(("token", t))
        if R.random() < 0.3:
            r.forced = "exec_pathparams"
    elif v == 4:
        r.status = "401"
        r.error = R.choice(["Invalid JWT: signature verification failed for token ", "Token expired: ", "jwt malformed: "]) + t
        r.sec("jwt", t, "error")
    elif v == 5:
        r.method = "POST"
        r.resource = r.path = "/auth/session"
        r.body = jbody({"id_token": t, "client_id": rs(26, LO + DIG)})
        r.sec("jwt", t, "body")
    elif v == 6:
        r.status = "403"
        r.authz = f"Unauthorized: token expired (jwt={t})"
        r.sec("jwt", t, "authz")
    elif v == 7:
        r.q("auth", "Bearer%20" + t, "jwt")
        r.query[-1] = ("auth", "Bearer%20" + t)
        r.secrets[-1] = ("jwt", t, "query")
    elif v == 8:
        r.method = "POST"
        r.resource = r.path = "/auth/refresh"
        r.body = "{\\u0022access_token\\u0022:\\u0022" + t + "\\u0022,\\u0022grant_type\\u0022:\\u0022refresh_token\\u0022}"
        r.raw_body = True
        r.sec("jwt", t, "rawbody")
        r.keep("\\u0022grant_type\\u0022:\\u0022refresh_token\\u0022")
    else:
        r.resp_body = jbody({"access_token": t, "token_type": "Bearer", "expires_in": 3600})
        r.sec("jwt", t, "resp_body")
        r.keep('"token_type":"Bearer"', '"expires_in":3600')


def sc_bearer(r):
    t = opaque_bearer()
    v = R.randrange(4)
    r.resource, r.path = "/v1/accounts/{accountId}", f"/v1/accounts/{R.randint(10 ** 9, 10 ** 10 - 1)}"
    if v <= 1:
        r.h("Authorization", "Bearer " + t, "bearer", t)
    elif v == 2:
        r.h("authorization", "Bearer " + t, "bearer", t)
        r.forced = R.choice(["rest_json", "exec_endpoint_headers"])
    else:
        r.q("authorization", "Bearer%20" + t)
        r.sec("bearer", t, "query")


def sc_basic(r):
    b = basic_cred()
    r.resource = r.path = R.choice(["/admin/reports", "/v1/charges", "/internal/metrics"])
    if R.random() < 0.85:
        r.h("Authorization", "Basic " + b, "basic_auth", b)
    else:
        r.status = "401"
        r.error = f"Invalid credentials in header: Basic {b}"
        r.sec("basic_auth", b, "error")


def sc_akid(r):
    k = akid()
    v = R.randrange(5)
    if v == 0:
        r.status = "403"
        r.error = f"The security token included in the request is invalid. AccessKeyId: {k}"
        r.sec("aws_access_key", k, "error")
        r.keep("The security token included in the request is invalid.")
    elif v == 1:
        r.method = "POST"; r.resource = r.path = "/integrations/s3"
        r.body = jbody({"bucket": "exports-" + r.c.account, "aws_access_key_id": k, "region": "eu-west-1"})
        r.sec("aws_access_key", k, "body")
        r.keep('"aws_access_key_id":', '"region":"eu-west-1"')
    elif v == 2:
        r.resource = r.path = "/exports/report.csv"
        r.q("AWSAccessKeyId", k, "aws_access_key")
        r.q("Expires", str(BASE_EPOCH + 900))
        r.keep(f"Expires={BASE_EPOCH + 900}")
    elif v == 3:
        r.h("X-Amz-Date", r.c.dt.strftime("%Y%m%dT%H%M%SZ"))
        r.h("X-Debug-Access-Key", k, "aws_access_key")
        r.keep(r.c.dt.strftime("%Y%m%dT%H%M%SZ"))
    else:
        r.resp_body = jbody({"User": {"UserName": "ci-deployer", "Arn": f"arn:aws:iam::{r.c.account}:user/ci-deployer"},
                             "AccessKey": {"AccessKeyId": k, "Status": "Active"}})
        r.sec("aws_access_key", k, "resp_body")
        r.keep(f"arn:aws:iam::{r.c.account}:user/ci-deployer")


def sc_aws_secret(r):
    s = aws_secret()
    k = akid()
    v = R.randrange(5)
    if v == 0:
        r.method = "POST"; r.resource = r.path = "/integrations/s3"
        r.body = jbody({"aws_access_key_id": k, "aws_secret_access_key": s, "region": "us-east-1"})
        r.sec("aws_access_key", k, "body"); r.sec("aws_secret_key", s, "body")
        r.keep('"aws_secret_access_key":')
    elif v == 1:
        exp = (r.c.dt + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        tok = sts_token()
        k = "ASIA" + k[4:]
        r.resp_body = jbody({"Credentials": {"AccessKeyId": k, "SecretAccessKey": s, "SessionToken": tok, "Expiration": exp},
                             "AssumedRoleUser": {"Arn": f"arn:aws:sts::{r.c.account}:assumed-role/app/session"}})
        r.sec("aws_access_key", k, "resp_body"); r.sec("aws_secret_key", s, "resp_body"); r.sec("secret", tok, "resp_body")
        r.keep(exp, f"arn:aws:sts::{r.c.account}:assumed-role/app/session")
    elif v == 2:
        r.status = "500"
        r.error = f"botocore config dump: aws_access_key_id={k} aws_secret_access_key={s} region=us-east-1"
        r.sec("aws_access_key", k, "error"); r.sec("aws_secret_key", s, "error")
    elif v == 3:
        r.method = "PUT"; r.resource = r.path = "/settings/storage"
        r.body = jbody({"provider": "s3", "accessKey": k, "secretKey": s})
        r.sec("aws_access_key", k, "body"); r.sec("aws_secret_key", s, "body")
        r.keep('"provider":"s3"')
    else:
        r.q("aws_secret_access_key", quote(s, safe=""))
        r.sec("aws_secret_key", quote(s, safe=""), "query")


def sc_sigv4(r):
    k = akid()
    day = r.c.dt.strftime("%Y%m%d")
    svc = R.choice(["execute-api", "s3"])
    region = R.choice(["us-east-1", "eu-west-1", "ap-southeast-2"])
    cred = f"{k}/{day}/{region}/{svc}/aws4_request"
    sig = rs(64, HEX)
    amzdate = r.c.dt.strftime("%Y%m%dT%H%M%SZ")
    v = R.randrange(3)
    if v <= 1:
        r.resource, r.path = "/files/{key+}", f"/files/exports/{ruuid()}.csv"
        credw = quote(cred, safe="") if R.random() < 0.7 else cred
        r.q("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
        r.q("X-Amz-Credential", credw, "aws_sigv4")
        r.q("X-Amz-Date", amzdate)
        r.q("X-Amz-Expires", str(R.choice([300, 900, 3600])))
        if k.startswith("ASIA") or R.random() < 0.3:
            tok = sts_token()
            r.q("X-Amz-Security-Token", quote(tok, safe="") if R.random() < 0.8 else tok, "aws_sigv4")
        r.q("X-Amz-SignedHeaders", "host")
        r.q("X-Amz-Signature", sig, "aws_sigv4")
        r.keep("X-Amz-Algorithm=AWS4-HMAC-SHA256", f"X-Amz-Date={amzdate}", "X-Amz-SignedHeaders=host",
               "X-Amz-Algorithm", "AWS4-HMAC-SHA256", amzdate)
    else:
        r.h("Authorization", f"AWS4-HMAC-SHA256 Credential={cred}, SignedHeaders=host;x-amz-date, Signature={sig}")
        r.h("X-Amz-Date", amzdate)
        r.sec("aws_sigv4", cred, "headers"); r.sec("aws_sigv4", sig, "headers")
        r.keep(amzdate, "AWS4-HMAC-SHA256")


def sc_github(r):
    t = github_tok()
    v = R.randrange(4)
    if v == 0:
        r.h("Authorization", "token " + t, "github_token", t)
    elif v == 1:
        r.method = "POST"; r.resource = r.path = "/integrations/github"
        r.body = jbody({"repo": "acme/orders-service", "github_token": t, "branch": "main"})
        r.sec("github_token", t, "body"); r.keep('"repo":"acme/orders-service"')
    elif v == 2:
        r.status = "502"
        r.error = f"GitHub API returned 401 Bad credentials for {t}"
        r.sec("github_token", t, "error")
    else:
        r.resource = r.path = "/repos/sync"
        r.q("access_token", t, "github_token"); r.q("per_page", "100")


def sc_slack(r):
    v = R.randrange(5)
    if v == 0:
        u = slack_hook()
        r.backend = ""
        r.path = u; r.resource = "/notify"
        r.forced = "exec_uri"
        r.sec("slack_token", u, "path")
    elif v == 1:
        u = slack_hook()
        r.method = "POST"; r.resource = r.path = "/alerts/config"
        r.body = jbody({"channel": "#ops-alerts", "webhook_url": u, "enabled": True})
        r.sec("slack_token", u, "body"); r.keep('"channel":"#ops-alerts"')
    elif v == 2:
        t = slack_tok()
        r.h("Authorization", "Bearer " + t, "slack_token", t)
    elif v == 3:
        t = slack_tok()
        r.method = "POST"; r.resource = r.path = "/slack/post"
        r.body = f"token={t}&channel=C024BE91L&text=deploy%20finished"
        r.sec("slack_token", t, "body"); r.keep("channel=C024BE91L")
    else:
        t = slack_tok()
        r.status = "500"
        r.error = f"slack chat.postMessage failed: invalid_auth (token {t})"
        r.sec("slack_token", t, "error")


def sc_stripe(r):
    k = stripe()
    v = R.randrange(4)
    if v == 0:
        r.h("Authorization", "Bearer " + k, "stripe_key", k)
    elif v == 1:
        r.method = "POST"; r.resource = r.path = "/billing/setup"
        r.body = jbody({"stripe_secret": k, "currency": "eur", "amount": "129.99"})
        r.sec("stripe_key", k, "body"); r.keep('"amount":"129.99"')
    elif v == 2:
        r.status = "402"
        r.error = f"Invalid API Key provided: {k}"
        r.sec("stripe_key", k, "error")
    else:
        r.method = "POST"; r.resource = r.path = "/v1/charges"
        r.body = f"amount=12999&currency=usd&key={k}&description=Order%20{R.randint(10 ** 9, 10 ** 10 - 1)}"
        r.sec("stripe_key", k, "body"); r.keep("amount=12999&currency=usd")


def sc_google(r):
    k = gkey()
    v = R.randrange(3)
    if v == 0:
        r.resource = r.path = "/geo/lookup"
        r.q("address", "10%20Downing%20St"); r.q("key", k, "google_api_key")
    elif v == 1:
        r.backend = "https://maps.googleapis.com"
        r.path = "/maps/api/geocode/json"
        r.q("latlng", "40.714224,-73.961452"); r.q("key", k, "google_api_key")
        r.forced = "exec_uri"
        r.keep("latlng=40.714224,-73.961452")
    else:
        r.resp_body = jbody({"firebase": {"apiKey": k, "authDomain": "acme-app.firebaseapp.com", "projectId": "acme-app"}})
        r.sec("google_api_key", k, "resp_body"); r.keep('"projectId":"acme-app"')


def sc_pem(r):
    text, chunks = pem()
    v = R.randrange(3)
    if v == 0:
        r.method = "POST"; r.resource = r.path = "/v1/certificates/import"
        r.body = jbody({"name": "edge-cert", "private_key": "@@PEM@@"}).replace("@@PEM@@", text)
        for ch in chunks:
            r.sec("private_key", ch, "body")
        r.keep('"name":"edge-cert"')
    elif v == 1:
        kid = rs(40, HEX)
        r.resp_body = jbody({"type": "service_account", "project_id": "acme-prod-4471", "private_key_id": kid,
                             "private_key": "@@PEM@@"}).replace("@@PEM@@", text)
        for ch in chunks:
            r.sec("private_key", ch, "resp_body")
        r.sec("secret", kid, "resp_body")
        r.keep('"type":"service_account"', '"project_id":"acme-prod-4471"')
    else:
        r.method = "PUT"; r.resource = r.path = "/deploy-keys/{keyId}".replace("{keyId}", str(R.randint(1000, 99999)))
        r.resource = "/deploy-keys/{keyId}"
        r.body = jbody({"title": "ci", "key": "@@PEM@@"}).replace("@@PEM@@", text)
        for ch in chunks:
            r.sec("private_key", ch, "body")


PW_FIELDS = ["password", "passwd", "pwd", "pass", "new_password", "current_password", "confirm_password"]


def sc_password(r):
    pw = password()
    f = R.choice(PW_FIELDS)
    user = R.choice(FIRST) + str(R.randint(1, 999))
    v = R.randrange(7)
    r.method = "POST"
    r.resource = r.path = R.choice(["/login", "/auth/signin", "/users/{userId}/password", "/v1/session"])
    if "{" in r.resource:
        r.path = r.resource.replace("{userId}", str(R.randint(10 ** 6, 10 ** 7)))
    if v in (0, 1):
        r.body = jbody({"username": user, f: pw, "remember_me": True})
        r.sec("password", pw, "body")
        r.keep(f'"{f}":', f'\\"{f}\\":', '"remember_me":true', '\\"remember_me\\":true')
    elif v == 2:
        enc = quote(pw, safe="")
        r.body = f"username={user}&{f}={enc}&grant_type=password"
        r.sec("password", enc, "body")
        r.keep("grant_type=password", f"&{f}=")
    elif v == 3:
        r.method = "GET"
        enc = quote(pw, safe="")
        r.q("user", user); r.q(f, enc, "password")
        r.keep(f"{f}=")
    elif v == 4:
        r.body = "{\\u0022username\\u0022:\\u0022" + user + "\\u0022,\\u0022" + f + "\\u0022:\\u0022" + pw + "\\u0022}"
        r.raw_body = True
        r.sec("password", pw, "rawbody")
        r.keep("\\u0022" + f + "\\u0022")
    elif v == 5:
        inner = quote(pw, safe="")
        dbl = quote(inner, safe="")
        r.method = "GET"; r.resource = r.path = "/sso/redirect"
        r.q("next", f"%2Flogin%3Fuser%3D{user}%26{f}%3D{dbl}")
        r.sec("password", dbl, "query")
        r.keep(f"%26{f}%3D")
    else:
        r.body = jbody({"event": "signup", "data": dumps({"email_verified": False, f: pw})})
        r.sec("password", pw, "body")
        r.keep('"event":"signup"', '\\"email_verified\\":false')


SECRET_FIELDS = ["client_secret", "api_secret", "secret", "webhook_secret", "app_secret", "consumer_secret",
                 "signing_secret", "credentials", "refresh_token", "secretKey", "shared_secret"]


def sc_secret(r):
    s = generic_secret()
    f = R.choice(SECRET_FIELDS)
    v = R.randrange(6)
    if v == 0:
        r.method = "POST"; r.resource = r.path = "/oauth2/token"
        cid = rs(26, LO + DIG)
        enc = quote(s, safe="")
        r.body = f"grant_type=client_credentials&client_id={cid}&client_secret={enc}&scope=orders%2Fread"
        r.sec("secret", enc, "body")
        r.keep("grant_type=client_credentials", f"client_id={cid}")
    elif v == 1:
        r.method = "POST"; r.resource = r.path = "/integrations"
        r.body = jbody({"provider": R.choice(["hubspot", "zendesk", "twilio"]), f: s, "enabled": True})
        r.sec("secret", s, "body")
        r.keep(f'"{f}":', f'\\"{f}\\":')
    elif v == 2:
        r.q("token", s, "secret")
        r.q("page", str(R.randint(2, 9)))
        r.forced = R.choice(["exec_query", "exec_query", "clf", "rest_json"])
    elif v == 3:
        r.resp_body = jbody({"client_id": rs(20, LO + DIG), f: s, "created_at": r.c.dt.strftime("%Y-%m-%dT%H:%M:%SZ")})
        r.sec("secret", s, "resp_body")
        r.keep(r.c.dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    elif v == 4:
        r.h("X-Webhook-Secret", s, "secret")
    else:
        enc = quote(s, safe="")
        r.resource = r.path = "/oauth2/authorize"
        r.q("redirect_uri", f"https%3A%2F%2Fapp.example.com%2Fcb%3Ftoken%3D{enc}%26lang%3Den")
        r.q("response_type", "code")
        r.sec("secret", enc, "query")
        r.keep("response_type=code")


def sc_cookie(r):
    cv = cookie_val()
    name = R.choice(["session", "sid", "sessionid", "JSESSIONID", "__Host-session", "connect.sid", "auth"])
    v = R.randrange(4)
    extra = R.choice(["theme=dark", "lang=en-US", f"_ga=GA1.2.{R.randint(10 ** 9, 10 ** 10 - 1)}.{BASE_EPOCH}", ""])
    if v <= 1:
        cookie = f"{name}={cv}" + (f"; {extra}" if extra else "")
        if R.random() < 0.3:
            csrf = rs(32, ALNUM)
            cookie += f"; csrftoken={csrf}"
            r.h("Cookie", cookie, "cookie", cv)
            r.sec("cookie", csrf, "headers")
        else:
            r.h("Cookie", cookie, "cookie", cv)
    elif v == 2:
        r.method = "POST"; r.resource = r.path = "/login"
        r.resp_headers.append(("Set-Cookie", f"{name}={cv}; Path=/; HttpOnly; Secure; SameSite=Lax"))
        r.sec("cookie", cv, "resp_headers")
        r.keep("Path=/; HttpOnly; Secure; SameSite=Lax")
    else:
        r.h("cookie", f"{name}={cv}", "cookie", cv)
        r.forced = "rest_json"


def sc_apikey(r):
    k = apikey()
    v = R.randrange(6)
    r.resource, r.path = "/pets/{petId}", f"/pets/{R.randint(1, 9999)}"
    if v <= 1:
        r.h("X-Api-Key", k, "api_key")
        r.forced = R.choice(["exec_headers", "exec_headers", "rest_json", "http_json"])
    elif v == 2:
        r.h("x-api-key", k, "api_key")
        r.forced = R.choice(["rest_json", "lambda_event"])
    else:
        name = R.choice(["api_key", "apikey", "key"])
        r.q(name, k, "api_key")
        if R.random() < 0.5:
            r.q("limit", "25")
            r.keep("limit=25")
    if r.c.apikeyid == "-":
        r.c.apikeyid = rs(10, LO + DIG)


def sc_email(r):
    e = email()
    v = R.randrange(6)
    if v == 0:
        r.resource, r.path = "/users/{userId}/orders", f"/users/{e}/orders"
        r.sec("email", e, "path")
    elif v == 1:
        enc = quote(e, safe="")
        r.resource, r.path = "/users/{userId}/orders", f"/users/{enc}/orders"
        r.sec("email", enc, "path")
    elif v == 2:
        r.principal = e
        r.sec("email", e, "principal")
    elif v == 3:
        r.status = "404"
        r.error = f"User {e} not found"
        r.sec("email", e, "error")
    elif v == 4:
        r.method = "POST"; r.resource = r.path = "/newsletter/subscribe"
        r.body = jbody({"email": e, "consent": True, "source": "footer"})
        r.sec("email", e, "body")
        r.keep('"source":"footer"', '\\"source\\":\\"footer\\"')
    else:
        enc = quote(e, safe="")
        r.resource = r.path = "/password/reset"
        r.q("email", enc, "email")
        r.keep("/password/reset")
    if v in (0, 1):
        r.path_params.append(("userId", r.path.split("/")[2]))
        if R.random() < 0.3:
            r.forced = "exec_pathparams"


def sc_phone(r):
    p = phone()
    v = R.randrange(4)
    fld = R.choice(["phone", "mobile", "phone_number", "msisdn"])
    if v <= 1:
        r.method = "POST"; r.resource = r.path = "/v1/contacts"
        cc = {"+44": "GB", "020": "GB", "+33": "FR", "06 ": "FR", "+49": "DE"}.get(p[:3], "US")
        r.body = jbody({"name": R.choice(FIRST).title(), fld: p, "country": cc})
        r.sec("phone", p, "body")
    elif v == 2:
        w = quote(p, safe="") if ("(" in p or R.random() < 0.5) else p.replace(" ", "")
        r.resource = r.path = "/v1/otp/send"
        r.q(fld, w, "phone")
        r.q("channel", "sms")
        r.keep("channel=sms")
    else:
        r.status = "500"
        r.error = f"SMS delivery failed for {p}: carrier rejected"
        r.sec("phone", p, "error")


def sc_card(r):
    cn = card()
    v = R.randrange(4)
    r.method = "POST"; r.resource = r.path = "/v1/payments"
    if v <= 1:
        fld = R.choice(["card_number", "pan", "cardNumber", "number"])
        r.body = jbody({"amount": f"{R.randint(1, 999)}.{R.randint(0, 99):02d}", "currency": "EUR",
                        "card": {fld: cn, "exp_month": R.randint(1, 12), "exp_year": 2028, "cvc": str(R.randint(100, 999))}})
        r.sec("card", cn, "body")
        r.keep('"exp_year":2028', '\\"exp_year\\":2028')
    elif v == 2:
        r.body = f"cc_number={cn}&cc_exp=0{R.randint(1, 9)}%2F28&amount=4999"
        r.sec("card", cn, "body"); r.keep("amount=4999")
    else:
        r.status = "402"
        r.error = f"Card {cn} declined: insufficient_funds"
        r.sec("card", cn, "error")
        r.keep("insufficient_funds")


def sc_ssn(r):
    s = ssn_make()
    v = R.randrange(4)
    r.method = "POST"; r.resource = r.path = "/v1/applicants"
    if v <= 1:
        r.body = jbody({"first_name": R.choice(FIRST).title(), "ssn": s, "state": "CA"})
        r.sec("ssn", s, "body")
        r.keep('"ssn":', '\\"ssn\\":')
    elif v == 2:
        r.status = "422"
        r.error = f"SSN {s} failed verification"
        r.sec("ssn", s, "error")
    else:
        r.method = "GET"; r.resource = r.path = "/v1/credit-check"
        r.q("ssn", s, "ssn")


def sc_iban(r):
    ib = iban_make()
    w = group4(ib) if R.random() < 0.45 else ib
    v = R.randrange(4)
    r.method = "POST"; r.resource = r.path = "/v1/payouts"
    bic = R.choice(["NWBKGB2L", "DEUTDEFF", "BNPAFRPP", "INGBNL2A", "CAIXESBB", "UNCRITMM"])
    if v <= 1:
        r.body = jbody({"beneficiary": R.choice(FIRST).title() + " " + R.choice(LAST).title(), "iban": w, "bic": bic,
                        "amount": "250.00"})
        r.sec("iban", w, "body")
        r.keep(bic)
    elif v == 2:
        r.status = "400"
        r.error = f"IBAN {w} rejected by payment provider"
        r.sec("iban", w, "error")
    else:
        r.method = "GET"; r.resource = r.path = "/v1/iban/validate"
        r.q("iban", ib, "iban")
        w = ib
    r.keep('"amount":"250.00"')


def sc_combo(r):
    """signup / checkout style lines carrying several PII kinds at once"""
    e, p, pw = email(), phone(), password()
    r.method = "POST"; r.resource = r.path = "/v1/signup"
    d = {"email": e, "phone": p, "password": pw, "plan": "pro-annual", "marketing_opt_in": False}
    r.sec("email", e, "body"); r.sec("phone", p, "body"); r.sec("password", pw, "body")
    if R.random() < 0.5:
        s = ssn_make(); d["ssn"] = s; r.sec("ssn", s, "body")
    if R.random() < 0.5:
        cn = card(); d["card_number"] = cn; r.sec("card", cn, "body")
    if R.random() < 0.3:
        ib = iban_make(); d["iban"] = ib; r.sec("iban", ib, "body")
    r.body = jbody(d)
    r.keep('"plan":"pro-annual"', '\\"plan\\":\\"pro-annual\\"')
    if R.random() < 0.5:
        t = jwt_token(); r.h("Authorization", "Bearer " + t, "jwt", t)
        r.forced = R.choice(["rest_json", "lambda_event"])


POSITIVE = {
    "jwt": (sc_jwt, 110), "bearer": (sc_bearer, 60), "basic_auth": (sc_basic, 55), "aws_access_key": (sc_akid, 55),
    "aws_secret_key": (sc_aws_secret, 60), "aws_sigv4": (sc_sigv4, 55), "github_token": (sc_github, 55),
    "slack_token": (sc_slack, 55), "stripe_key": (sc_stripe, 55), "google_api_key": (sc_google, 50),
    "private_key": (sc_pem, 40), "password": (sc_password, 120), "secret": (sc_secret, 70), "cookie": (sc_cookie, 65),
    "api_key": (sc_apikey, 75), "email": (sc_email, 80), "phone": (sc_phone, 70), "card": (sc_card, 60),
    "ssn": (sc_ssn, 50), "iban": (sc_iban, 60), "combo": (sc_combo, 60),
}


# --------------------------------------------------------------------------
# negative scenarios: only keeps
# --------------------------------------------------------------------------

NEG_ERRORS = ["password reset email sent", "Missing Authentication Token", "Invalid token", "Unauthorized",
              "secret rotation scheduled for 2026-12-01", "The security token included in the request is expired",
              "Endpoint request timed out", "Forbidden", "token refresh not required",
              "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
              "Invalid API Key identifier specified", "Limit Exceeded", "User is not authorized to access this resource",
              "password must be at least 12 characters", "api key quota exceeded for usage plan"]
RESOURCES = ["/users/{userId}/tokens", "/secrets/{secretId}", "/api-keys/{keyId}", "/auth/password/reset",
             "/orders/{orderId}", "/sessions/{sessionId}", "/pets/{petId}", "/credentials/{credentialId}/rotate"]


def neg_snippets(r):
    """return list of (component, callable) each adding a negative token to r"""
    out = []

    def uuid_path():
        u = ruuid()
        res = R.choice(["/orders/{orderId}", "/sessions/{sessionId}", "/documents/{docId}"])
        r.resource = res
        r.path = res.split("{")[0] + u
        r.path_params.append((res.split("{")[1].rstrip("}"), u))
        r.keep(u)
    out.append(uuid_path)

    def luhn_bad():
        n = luhn_invalid(R.choice(["4", "5", "6011", "1Z"[0]]), 16)
        if R.random() < 0.5:
            r.q("tracking", n)
        else:
            r.body = jbody({"order_number": n, "items": R.randint(1, 9)}) if r.body is None else r.body
        r.keep(n)
    out.append(luhn_bad)

    def digests():
        dg = R.choice([hashlib.sha256(rbytes(16)).hexdigest(), hashlib.sha1(rbytes(16)).hexdigest(),
                       hashlib.md5(rbytes(16)).hexdigest()])
        v = R.randrange(3)
        if v == 0:
            r.resp_headers.append(("ETag", f'"{dg}"'))
        elif v == 1:
            r.resource, r.path = "/artifacts/{sha}", f"/artifacts/{dg}"
            r.path_params.append(("sha", dg))
        else:
            r.resp_body = jbody({"checksum_sha256": dg, "size": R.randint(100, 10 ** 7)}) if r.resp_body is None else r.resp_body
        r.keep(dg)
    out.append(digests)

    def epoch_and_ids():
        ms = str(int(r.c.epoch_ms) + R.randint(1, 5000))
        ten = str(R.randint(10 ** 9, 10 ** 10 - 1))
        if R.random() < 0.5:
            r.q("since", ms); r.q("customerId", ten)
        else:
            r.resp_body = jbody({"customerId": ten, "updatedAt": int(ms), "status": "ACTIVE"}) if r.resp_body is None else r.resp_body
        r.keep(ms, ten)
    out.append(epoch_and_ids)

    def b64_nonjwt():
        v = R.randrange(3)
        if v == 0:
            cur = base64.b64encode(f"offset:{R.randint(10, 900)};sort=desc".encode()).decode()
            r.q("cursor", quote(cur, safe=""))
            r.keep(quote(cur, safe=""))
        elif v == 1:
            m = base64.b64encode(hashlib.md5(rbytes(8)).digest()).decode()
            r.h("Content-MD5", m); r.keep(m)
        else:
            m = base64.b64encode(hashlib.sha256(rbytes(8)).digest()).decode()
            r.resp_headers.append(("x-amz-checksum-sha256", m)); r.keep(m)
    out.append(b64_nonjwt)

    def bad_iban():
        ib = iban_make(valid=False)
        w = group4(ib) if R.random() < 0.4 else ib
        r.body = jbody({"batchRef": w, "count": R.randint(1, 50)}) if r.body is None else r.body
        if w not in r.body:
            r.q("ref", ib); w = ib
        r.keep(w)
    out.append(bad_iban)

    def bad_ssn():
        s = ssn_invalid()
        fld = R.choice(["partNumber", "ticket", "sku", "route"])
        if r.body is None:
            r.body = jbody({fld: s, "qty": R.randint(1, 9)})
        else:
            r.q(fld, s)
        r.keep(s)
    out.append(bad_ssn)

    def sku_price():
        sku = R.choice([f"SKU-{R.randint(1000, 9999)}-BLK-XL", "B0" + rs(8, UP + DIG), f"ACME-{R.randint(100, 999)}-{rs(3, UP)}"])
        price = f"{R.randint(1, 999)}.{R.randint(0, 99):02d}"
        r.resp_body = jbody({"sku": sku, "price": price, "currency": "USD", "inStock": True}) if r.resp_body is None else r.resp_body
        if sku in r.resp_body:
            r.keep(sku, f'"price":"{price}"')
    out.append(sku_price)

    def text_error():
        r.status = R.choice(["400", "401", "403", "429", "504"])
        r.error = R.choice(NEG_ERRORS)
        r.keep(r.error)
    out.append(text_error)

    def templ():
        r.resource = R.choice(RESOURCES)
        r.path = r.resource.split("{")[0] + str(R.randint(1000, 99999)) + (r.resource.split("}")[1] if "}" in r.resource else "")
        r.keep(r.resource)
    out.append(templ)

    def arn():
        a = R.choice([f"arn:aws:execute-api:us-east-1:{r.c.account}:{r.c.api_id}/{r.c.stage}/GET/pets",
                      f"arn:aws:lambda:eu-west-1:{r.c.account}:function:orders-handler",
                      f"arn:aws:iam::{r.c.account}:role/apigw-invoke"])
        r.principal = r.principal or "user|" + str(R.randint(10 ** 5, 10 ** 6))
        r.authz = f"User is not authorized to access resource {a}" if r.authz is None else r.authz
        if a in r.authz:
            r.keep(a)
    out.append(arn)

    def semver():
        ver = f"{R.randint(0, 12)}.{R.randint(0, 40)}.{R.randint(0, 30)}"
        r.q("client_version", ver); r.keep(f"client_version={ver}")
    out.append(semver)

    def oauth_meta():
        r.resp_body = jbody({"token_type": "Bearer", "expires_in": 3600, "scope": "read:orders write:orders"}) \
            if r.resp_body is None else r.resp_body
        if "token_type" in r.resp_body:
            r.keep('"token_type":"Bearer"', '"scope":"read:orders write:orders"')
    out.append(oauth_meta)

    def lowentropy_key():
        r.q(R.choice(["key", "sort_key", "apikey_name"]), R.choice(["created_at", "status", "name", "default"]))
        r.keep(f"{r.query[-1][0]}={r.query[-1][1]}")
    out.append(lowentropy_key)

    def field_names():
        r.method = "POST"
        r.resource = r.path = "/auth/password/policy"
        r.body = jbody({"password_min_length": 12, "password_requires_symbol": True, "token_ttl_seconds": 900}) \
            if r.body is None else r.body
        if "password_min_length" in r.body:
            r.keep('"password_min_length":12', '\\"password_min_length\\":12', '"token_ttl_seconds":900',
                   '\\"token_ttl_seconds\\":900')
    out.append(field_names)

    def isbn_dates():
        r.q("isbn", f"978-0-{R.randint(100, 999)}-{R.randint(10000, 99999)}-{R.randint(0, 9)}")
        r.q("from", r.c.dt.strftime("%Y-%m-%d"))
        r.keep(r.query[-2][1], "from=" + r.c.dt.strftime("%Y-%m-%d"))
    out.append(isbn_dates)

    def ipv6_xff():
        r.c.ip = ipv6()
        r.c.xff = f"{r.c.ip}, {ipv4()}"
        r.h("X-Real-Ip", r.c.ip)
        r.keep(r.c.ip)
    out.append(ipv6_xff)
    return out


EXEC_NEG = [
    lambda r: (f"Starting execution for request: {r.c.reqid}", [r.c.reqid]),
    lambda r: (f"HTTP Method: GET, Resource Path: {R.choice(RESOURCES).split('{')[0]}{R.randint(1, 9999)}", []),
    lambda r: (f"Method completed with status: {R.choice(['200', '201', '204', '403', '502'])}", []),
    lambda r: (f"Extended Request Id: {r.c.http_id}", [r.c.http_id]),
    lambda r: (f"Verifying Usage Plan for request: {r.c.reqid}. API Key:  API Stage: {r.c.api_id}/{r.c.stage}",
               [f"{r.c.api_id}/{r.c.stage}"]),
    lambda r: (f"API Key authorized because method 'GET /pets' does not require API Key. Request will not contribute "
               f"to throttle or quota limits", []),
    lambda r: (f"Usage Plan check succeeded for API Key ID: {(k := rs(10, LO + DIG))} and API Stage: {r.c.api_id}/{r.c.stage}",
               [f"API Key ID: {k}"]),
    lambda r: (f"Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
               f"arn:aws:lambda:us-east-1:{r.c.account}:function:orders-handler/invocations",
               [f"arn:aws:lambda:us-east-1:{r.c.account}:function:orders-handler"]),
    lambda r: (f"Received response. Status: 200, Integration latency: {R.randint(3, 900)} ms", []),
    lambda r: (f"Method response headers: {{X-Amzn-Trace-Id={r.c.trace}, Content-Type=application/json, "
               f"ETag=W/\"{(e := rs(32, HEX))}\"}}", [r.c.trace, e]),
]


def neg_line():
    r = Req()
    if R.random() < 0.12:
        f = R.choice(EXEC_NEG)
        body, ks = f(r)
        line = exec_prefix(r) + body
        ks = [r.c.reqid] + ks
        r.keeps = []
        return line, [], ks + [k for k in () if k]
    snips = neg_snippets(r)
    for fn in R.sample(snips, R.randint(2, 4)):
        fn()
    if R.random() < 0.3:
        r.h("Accept-Language", "en-US,en;q=0.9")
    name, line, ks = render(r)
    return line, [], r.keeps + ks


# --------------------------------------------------------------------------
# assembly and self-check
# --------------------------------------------------------------------------

def occurrences(hay, needle):
    out, i = [], hay.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = hay.find(needle, i + 1)
    return out


def finalize(line, secrets, keeps):
    """dedupe, drop keeps that conflict with a secret or are absent; returns record or None"""
    sec = []
    seen = set()
    for kind, val in secrets:
        if val in line and (kind, val) not in seen:
            seen.add((kind, val))
            sec.append({"kind": kind, "value": val})
    spans = [sp for s in sec for sp in occurrences(line, s["value"])]
    kp = []
    for k in keeps:
        if not k or len(k) < 3 or k in kp or k not in line or k in ("-",):
            continue
        if any(k in s["value"] or s["value"] in k for s in sec):
            continue
        if any(a < d and c < b for a, b in occurrences(line, k) for c, d in spans):
            continue
        kp.append(k)
    return {"line": line, "secrets": sec, "keep": kp}


def positive_line(fn):
    for _ in range(20):
        r = Req()
        fn(r)
        name, line, ks = render(r)
        rec = finalize(line, [(k, v) for k, v, _ in r.secrets], r.keeps + ks)
        if rec["secrets"]:
            return rec
    raise AssertionError(f"could not render {fn.__name__}")


def self_check(records):
    assert set(s["kind"] for rec in records for s in rec["secrets"]) <= set(KINDS)
    for rec in records:
        line = rec["line"]
        assert "\n" not in line and "\r" not in line
        assert rec["secrets"] or rec["keep"], rec
        spans = []
        for s in rec["secrets"]:
            v, kind = s["value"], s["kind"]
            assert v in line, (kind, v, line)
            assert len(v) >= 6, (kind, v)
            spans += occurrences(line, v)
            if kind == "jwt":
                assert jwt_ok(v), v
            elif kind == "card":
                assert v.isdigit() and len(v) in (15, 16) and luhn_ok(v), v
            elif kind == "iban":
                assert iban_mod(v) == 1, v
            elif kind == "ssn":
                assert ssn_ok(v), v
            elif kind == "github_token":
                assert (v[:4] in ("ghp_", "gho_", "ghu_", "ghs_", "ghr_") and len(v) == 40) or \
                       (v.startswith("github_pat_") and len(v) == 93), v
            elif kind == "google_api_key":
                assert v.startswith("AIza") and len(v) == 39
            elif kind == "aws_access_key":
                assert v[:4] in ("AKIA", "ASIA") and len(v) == 20
            elif kind == "aws_secret_key":
                assert len(v.replace("%2B", "+").replace("%2F", "/")) == 40
            elif kind == "basic_auth":
                assert ":" in base64.b64decode(v).decode()
            elif kind == "stripe_key":
                assert v[:8] in ("sk_live_", "rk_live_", "sk_test_") and 24 <= len(v) - 8 <= 99
        for k in rec["keep"]:
            assert k in line
            for s in rec["secrets"]:
                assert k not in s["value"] and s["value"] not in k, (k, s)
            for a, b in occurrences(line, k):
                for c, d in spans:
                    assert not (a < d and c < b), (k, line)
        json.loads(line) if line.startswith("{") else None
        # lines shaped as JSON must parse
    # every JSON object written must round-trip
    for rec in records:
        assert json.loads(json.dumps(rec)) == rec
    neg = sum(1 for rec in records if not rec["secrets"])
    assert neg / len(records) >= 0.35, neg / len(records)
    # invalid look-alikes are really invalid (spot checks on the keep side)
    for rec in records:
        for k in rec["keep"]:
            if k.isdigit() and len(k) == 16:
                assert not luhn_ok(k), k
            c = k.replace(" ", "")
            if len(c) in IBAN_LEN.values() and c[:2] in IBAN_LEN and c[2:4].isdigit() and c[4:].isalnum() \
                    and len(c) == IBAN_LEN[c[:2]]:
                assert iban_mod(c) != 1, k
            if len(k) == 11 and k[3] == "-" and k[6] == "-" and k.replace("-", "").isdigit():
                assert not ssn_ok(k), k


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                              "scrub_corpus.jsonl")
    records = []
    for name, (fn, n) in POSITIVE.items():
        for _ in range(round(n * SCALE)):
            records.append(positive_line(fn))
    npos = len(records)
    nneg = int(npos * 0.68)  # ~40% of the corpus
    for _ in range(nneg):
        line, _, ks = neg_line()
        rec = finalize(line, [], ks)
        if rec["keep"]:
            records.append(rec)
    R.shuffle(records)
    self_check(records)
    data = "".join(json.dumps(rec, ensure_ascii=True) + "\n" for rec in records)
    assert len(data.encode()) < 2 * 1024 * 1024, len(data)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(data)

    counts = {k: 0 for k in KINDS}
    lines_with = {k: 0 for k in KINDS}
    for rec in records:
        for s in rec["secrets"]:
            counts[s["kind"]] += 1
        for k in {s["kind"] for s in rec["secrets"]}:
            lines_with[k] += 1
    neg = sum(1 for rec in records if not rec["secrets"])
    print(f"wrote {out}: {len(records)} lines, {len(data.encode())} bytes")
    print(f"negative-only lines: {neg} ({100 * neg / len(records):.1f}%)  lines with secrets: {len(records) - neg}")
    print(f"keep strings: {sum(len(r['keep']) for r in records)}")
    print(f"{'kind':16} {'values':>7} {'lines':>6}")
    for k in KINDS:
        print(f"{k:16} {counts[k]:>7} {lines_with[k]:>6}")
    print(f"{'total':16} {sum(counts.values()):>7}")


if __name__ == "__main__":
    main()
