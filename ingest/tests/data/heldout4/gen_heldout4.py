#!/usr/bin/env python3
"""gen_heldout4.py - build heldout4.jsonl, a labelled evaluation corpus for a log scrubber.

Python 3 standard library only.  Fixed seed, byte-for-byte deterministic output.
Every value is random and fake.  Run:  python3 gen_heldout4.py
"""
import base64
import collections
import datetime as _dt
import hashlib
import json
import os
import random
import re
import sys
import urllib.parse

SEED = 0x4E1D04
R = random.Random(SEED)
OUT_NAME = "heldout4.jsonl"
MAX_LINE_BYTES = 16000

LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = LOWER.upper()
DIG = "0123456789"
ALNUM = LOWER + UPPER + DIG
HEX = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
BASE32L = "abcdefghijklmnopqrstuvwxyz234567"
K8S = "bcdfghjklmnpqrstvwxz2456789"
BCRYPT = "./" + UPPER + LOWER + DIG


def rs(n, a=ALNUM):
    return "".join(R.choice(a) for _ in range(n))


def rhex(n):
    return rs(n, HEX)


def ri(a, b):
    return R.randint(a, b)


def ch(seq):
    return R.choice(seq)


def chance(p):
    return R.random() < p


def digits(n, first_nonzero=True):
    s = rs(n, DIG)
    if first_nonzero and s[0] == "0":
        s = str(ri(1, 9)) + s[1:]
    return s


def b64(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return base64.b64encode(s).decode("ascii")


def b64url(s, pad=False):
    if isinstance(s, str):
        s = s.encode("utf-8")
    out = base64.urlsafe_b64encode(s).decode("ascii")
    return out if pad else out.rstrip("=")


# ----------------------------------------------------------------------------------------
# Fragments: text plus the labels (secrets, keeps) it contains.  Character-wise transforms
# (JSON escaping, percent-encoding, entity encoding, ...) are applied to text and labels
# alike through fmap(), so labels always show the exact form that is in the line.
# ----------------------------------------------------------------------------------------
class F(object):
    __slots__ = ("t", "s", "k")

    def __init__(self, t="", s=(), k=()):
        self.t = t
        self.s = list(s)
        self.k = list(k)

    def __add__(self, o):
        return cat(self, o)

    def __radd__(self, o):
        return cat(o, self)


def asF(x):
    if isinstance(x, F):
        return x
    if x is None:
        return F("")
    return F(str(x))


def cat(*parts):
    t, s, k = [], [], []
    for p in parts:
        if p is None:
            continue
        if isinstance(p, F):
            t.append(p.t)
            s.extend(p.s)
            k.extend(p.k)
        else:
            t.append(str(p))
    return F("".join(t), s, k)


def join(sep, parts):
    out = []
    for i, p in enumerate(parts):
        if i:
            out.append(sep)
        out.append(p)
    return cat(*out)


def S(v, kind):
    assert isinstance(v, str) and v, (v, kind)
    return F(v, [(v, kind)], [])


def K(v):
    v = str(v)
    return F(v, [], [v])


def fmap(f, fn):
    f = asF(f)
    return F(fn(f.t), [(fn(l), kd) for l, kd in f.s], [fn(x) for x in f.k])


def has_secret(f):
    return bool(asF(f).s)


# ---------------------------------------------------------------- character-wise encoders
def q(x):
    return urllib.parse.quote(x, safe="")


def q_path(x):
    return urllib.parse.quote(x, safe="/")


def q_lower(x):
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(x, safe=""))


def q_plus(x):
    return urllib.parse.quote_plus(x, safe="")


def q_soft(x):
    # browser-like: keeps @ : , / unencoded in query values
    return urllib.parse.quote(x, safe="@:,/!*$")


def qq(x):
    return q(q(x))


def html_esc(x):
    return (x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def jenc(x, ascii_=False, style=None):
    o = json.dumps(x, ensure_ascii=ascii_)[1:-1]
    if style == "net":      # System.Text.Json default encoder
        o = json.dumps(x, ensure_ascii=True)[1:-1]
        o = (o.replace('\\"', "\\u0022").replace("+", "\\u002B").replace("<", "\\u003C")
             .replace(">", "\\u003E").replace("&", "\\u0026").replace("'", "\\u0027")
             .replace("`", "\\u0060"))
    elif style == "go":     # encoding/json with HTML escaping
        o = o.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    elif style == "php":    # json_encode default escapes slashes
        o = json.dumps(x, ensure_ascii=True)[1:-1].replace("/", "\\/")
    return o


def jesc(f, ascii_=False, style=None):
    return fmap(f, lambda x: jenc(x, ascii_, style))


def sq_esc(x):
    # single-quoted JS / Python repr body (our raw secrets never contain quotes/backslashes)
    return x.replace("\\", "\\\\").replace("'", "\\'")


class JRaw(object):
    """A pre-serialised JSON fragment inserted verbatim (numbers, nested docs)."""
    __slots__ = ("f",)

    def __init__(self, f):
        self.f = asF(f)


def jdump(o, ascii_=False, style=None, sep=(",", ":")):
    if isinstance(o, JRaw):
        return o.f
    if isinstance(o, F):
        return cat('"', jesc(o, ascii_, style), '"')
    if isinstance(o, str):
        return F('"' + jenc(o, ascii_, style) + '"')
    if o is None or isinstance(o, (bool, int, float)):
        return F(json.dumps(o))
    if isinstance(o, dict):
        items = []
        for kk, vv in o.items():
            items.append(cat(jdump(kk, ascii_, style, sep), sep[1], jdump(vv, ascii_, style, sep)))
        return cat("{", join(sep[0], items), "}")
    if isinstance(o, (list, tuple)):
        return cat("[", join(sep[0], [jdump(x, ascii_, style, sep) for x in o]), "]")
    raise TypeError(type(o))


SEP_COMPACT = (",", ":")
SEP_SPACED = (", ", ": ")


def jd(o, **kw):
    return jdump(o, **kw)


def js_inspect(o, depth=0):
    """Node util.inspect-like rendering (single quotes, unquoted identifier keys)."""
    if isinstance(o, JRaw):
        return o.f
    if isinstance(o, F):
        return cat("'", fmap(o, sq_esc), "'")
    if isinstance(o, str):
        return F("'" + sq_esc(o) + "'")
    if o is None:
        return F("null")
    if isinstance(o, bool):
        return F("true" if o else "false")
    if isinstance(o, (int, float)):
        return F(str(o))
    if isinstance(o, dict):
        if depth >= 3:
            return F("[Object]")
        items = []
        for kk, vv in o.items():
            kt = kk.t if isinstance(kk, F) else kk
            key = kk if re.match(r"^[A-Za-z_$][A-Za-z0-9_$]*$", kt) else js_inspect(kk)
            items.append(cat(key, ": ", js_inspect(vv, depth + 1)))
        if not items:
            return F("{}")
        return cat("{ ", join(", ", items), " }")
    if isinstance(o, (list, tuple)):
        if not o:
            return F("[]")
        return cat("[ ", join(", ", [js_inspect(x, depth + 1) for x in o]), " ]")
    raise TypeError(type(o))


def py_repr(o):
    """Python repr of dict/list/str with single quotes."""
    if isinstance(o, JRaw):
        return o.f
    if isinstance(o, F):
        return cat("'", fmap(o, sq_esc), "'")
    if isinstance(o, str):
        return F("'" + sq_esc(o) + "'")
    if o is None:
        return F("None")
    if isinstance(o, bool):
        return F("True" if o else "False")
    if isinstance(o, (int, float)):
        return F(repr(o))
    if isinstance(o, dict):
        return cat("{", join(", ", [cat(py_repr(kk), ": ", py_repr(vv)) for kk, vv in o.items()]), "}")
    if isinstance(o, tuple):
        return cat("(", join(", ", [py_repr(x) for x in o]), ",)" if len(o) == 1 else ")")
    if isinstance(o, list):
        return cat("[", join(", ", [py_repr(x) for x in o]), "]")
    raise TypeError(type(o))


def rb_inspect(o, modern=False):
    """Ruby Hash#inspect (=> style, or Ruby 3.4 `"k" => v`)."""
    arrow = " => " if modern else "=>"
    if isinstance(o, JRaw):
        return o.f
    if isinstance(o, F):
        return cat('"', o, '"')
    if isinstance(o, str):
        return F(json.dumps(o, ensure_ascii=False))
    if o is None:
        return F("nil")
    if isinstance(o, bool):
        return F("true" if o else "false")
    if isinstance(o, (int, float)):
        return F(str(o))
    if isinstance(o, dict):
        return cat("{", join(", ", [cat(rb_inspect(kk, modern), arrow, rb_inspect(vv, modern))
                                    for kk, vv in o.items()]), "}")
    if isinstance(o, (list, tuple)):
        return cat("[", join(", ", [rb_inspect(x, modern) for x in o]), "]")
    raise TypeError(type(o))


# ========================================================================================
# Time and benign identifiers (keeps)
# ========================================================================================
BASE_EPOCH = 1704067200  # 2024-01-01T00:00:00Z
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Clock(object):
    def __init__(self):
        self.t = BASE_EPOCH

    def new(self):
        self.t = BASE_EPOCH + ri(0, 420 * 86400) + ri(0, 999) / 1000.0
        return self.t


CLK = Clock()


def _d(t):
    return _dt.datetime.fromtimestamp(t, _dt.timezone.utc)


def ts_iso(t, frac=3, z=True):
    d = _d(t)
    s = d.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        us = int(round((t - int(t)) * 1e6)) % 1000000
        s += "." + ("%06d0" % us)[:frac]
    return s + ("Z" if z else "+00:00")


def ts_clf(t):
    d = _d(t)
    return "%02d/%s/%04d:%02d:%02d:%02d +0000" % (d.day, MONTHS[d.month - 1], d.year, d.hour, d.minute, d.second)


def ts_space(t, frac=3):
    d = _d(t)
    s = d.strftime("%Y-%m-%d %H:%M:%S")
    if frac:
        s += "." + ("%06d" % (int((t - int(t)) * 1e6)))[:frac]
    return s


def ts_nginx_err(t):
    return _d(t).strftime("%Y/%m/%d %H:%M:%S")


def epoch_ms(t):
    return str(int(t * 1000))


def epoch_ns(t):
    return str(int(t * 1000) * 1000000 + ri(0, 999999))


def uuid4():
    return "%s-%s-4%s-%s%s-%s" % (rhex(8), rhex(4), rhex(3), ch("89ab"), rhex(3), rhex(12))


def apigw_rid():
    return rs(15, ALNUM) + "="


def api_id():
    return rs(10, LOWER + DIG)


REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "ap-south-1",
           "sa-east-1", "eu-west-2", "ap-southeast-2", "ca-central-1"]


def acct():
    return str(ri(100000000000, 999999999999))


def xray(t):
    return "1-%08x-%s" % (int(t), rhex(24))


def traceparent():
    return "00-%s-%s-01" % (rhex(32), rhex(16))


def ip_pub():
    return ch(["203.0.113.%d" % ri(1, 254), "198.51.100.%d" % ri(1, 254), "192.0.2.%d" % ri(1, 254),
               "%d.%d.%d.%d" % (ch([34, 52, 81, 85, 91, 109, 151, 176, 185, 212]), ri(0, 255), ri(0, 255), ri(1, 254))])


def ip_priv():
    return ch(["10.%d.%d.%d" % (ri(0, 255), ri(0, 255), ri(1, 254)),
               "172.%d.%d.%d" % (ri(16, 31), ri(0, 255), ri(1, 254)),
               "192.168.%d.%d" % (ri(0, 255), ri(1, 254))])


def ip6():
    return "2001:db8:%s:%s::%s" % (rhex(4).lstrip("0") or "1", rhex(4).lstrip("0") or "2", rhex(4).lstrip("0") or "3")


UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.64 Mobile Safari/537.36",
    "curl/8.5.0", "okhttp/4.12.0", "python-requests/2.31.0", "axios/1.6.7", "Go-http-client/2.0",
    "PostmanRuntime/7.36.3", "aws-sdk-java/2.25.6 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS",
    "Dart/3.3 (dart:io)", "grpc-go/1.62.1", "Apache-HttpClient/5.3.1 (Java/17.0.10)", "node-fetch/1.0",
    "MyShop/5.12.0 (com.example.myshop; build:5120; iOS 17.3.1) Alamofire/5.8.1",
    "Expo/2.31.2 CFNetwork/1494.0.7 Darwin/23.4.0", "Amazon CloudFront", "ELB-HealthChecker/2.0",
]


def ua():
    return ch(UAS)


def sha256hex():
    return rhex(64)


def sha1hex():
    return rhex(40)


def semver():
    return "%d.%d.%d" % (ri(0, 9), ri(0, 40), ri(0, 30))


def pod(svc):
    return "%s-%s-%s" % (svc, rs(ch([9, 10]), K8S), rs(5, K8S))


SVCS = ["orders-api", "auth-svc", "checkout", "users", "billing", "gateway", "catalog", "notify",
        "payments", "profile", "search", "inventory", "ledger", "kyc-service", "chat-ws"]


def luhn_digit(num):
    total = 0
    for i, c in enumerate(reversed(num)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(num):
    return luhn_digit(num[:-1]) == num[-1]


def luhn_fail(n=16):
    while True:
        s = digits(n)
        if not luhn_ok(s):
            return s


def isbn13():
    core = "978" + rs(9, DIG)
    tot = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(core))
    return core + str((10 - tot % 10) % 10)


def cursor():
    obj = ch([{"offset": ri(20, 900)}, {"last_id": uuid4()}, {"page": ri(2, 40), "sort": "created_at"},
              {"pk": "ORDER#%d" % ri(10000, 99999), "sk": "TS#%d" % ri(1700000000, 1730000000)}])
    return b64(json.dumps(obj, separators=(",", ":")))


ROUTE_TEMPLATES = ["/users/{userId}", "/orders/{orderId}/items", "/v1/accounts/{accountId}/cards",
                   "/{proxy+}", "/api/v2/tenants/{tenant}/invoices/{invoiceId}", "/items/:id",
                   "/users/:userId/sessions", "/v1/password/reset/{token}", "/auth/{provider}/callback",
                   "/reset-password/:token", "^api/users/(?P<pk>[0-9]+)/$", "/customers/{customerId}/payment-methods"]

MASKS = ["********", "****", "[FILTERED]", "[REDACTED]", "REDACTED", "<redacted>", "[PROTECTED]",
         "******", "***", "(sensitive value)", "[Redacted]", "xxxxxxxx", "<hidden>", "[MASKED]"]


def mask():
    return ch(MASKS)


def etag():
    return ch(['"%s"' % rhex(32), 'W/"%s"' % rhex(ch([16, 24, 40])), '"%s-%d"' % (rhex(32), ri(2, 40))])


# ========================================================================================
# Personal data (secrets)
# ========================================================================================
FIRST = ["jane", "omar", "priya", "lukas", "chloe", "kenji", "ana", "mateus", "olga", "fatima", "liam",
         "sofia", "arjun", "yuki", "noah", "amelie", "diego", "ingrid", "wei", "zara", "tomasz", "leila",
         "felix", "aiko", "rafael", "nadia", "samuel", "elif", "hugo", "mei", "ivan", "grace", "kwame",
         "siobhan", "matteo", "hana", "oskar", "beatriz", "dmitri", "anika"]
LAST = ["doe", "haddad", "sharma", "mueller", "martin", "tanaka", "silva", "costa", "ivanova", "khan",
        "obrien", "rossi", "patel", "sato", "johnson", "dubois", "garcia", "lindqvist", "zhang", "ahmed",
        "nowak", "farah", "schmidt", "suzuki", "oliveira", "petrov", "okafor", "yilmaz", "lefebvre", "chen",
        "volkov", "murphy", "mensah", "kowalski", "nakamura", "fernandes"]
UNI_FIRST = ["josé", "zoë", "françois", "søren", "łukasz", "jürgen", "inés", "çağla", "andré", "renée"]
DOMAINS_FAKE = ["example.com", "example.org", "example.net", "mail.example", "post.example.de",
                "inbox.example.fr", "correo.example.es", "kunden.example.at", "users.example.co.uk"]
DOMAINS_REAL = ["gmail.com", "outlook.com", "yahoo.co.jp", "web.de", "gmx.de", "orange.fr", "uol.com.br",
                "rediffmail.com", "proton.me", "icloud.com", "hotmail.co.uk", "fastmail.com", "t-online.de",
                "naver.com", "qq.com", "libero.it", "mail.ru"]


def person():
    return ch(FIRST), ch(LAST)


def email(first=None, last=None, unicode_ok=False):
    f, l = person()
    f = first or f
    l = last or l
    if unicode_ok and chance(0.5):
        f = ch(UNI_FIRST)
    if chance(0.55):
        dom = ch(DOMAINS_FAKE)
        local = ch(["%s.%s" % (f, l), "%s%s" % (f[0], l), "%s_%s" % (f, l), "%s.%s%d" % (f, l, ri(1, 99)),
                    "%s+%s" % (f, ch(["shop", "news", "test", "promo", "2fa"])), "%s.%s" % (l, f)])
    else:
        dom = ch(DOMAINS_REAL)
        local = ch(["%s.%s%d" % (f, l, ri(10, 9999)), "%s%s%d" % (f, l, ri(10, 9999)),
                    "%s_%s%d" % (f[0], l, ri(100, 999)), "%s%d" % (f, ri(1000, 99999))])
    if chance(0.06):
        local = local[0].upper() + local[1:]
        dom = dom.upper() if chance(0.3) else dom
    return "%s@%s" % (local, dom)


def email_obf(e):
    """Non char-wise obfuscations; the result itself is the label."""
    local, dom = e.split("@", 1)
    m = ch(["at_dot", "entity_dec", "entity_named", "entity_hex", "paren"])
    if m == "at_dot":
        parts = dom.split(".")
        return "%s [at] %s" % (local, " [dot] ".join(parts))
    if m == "entity_dec":
        return local + "&#64;" + dom
    if m == "entity_named":
        return local + "&commat;" + dom
    if m == "entity_hex":
        return local + "&#x40;" + dom
    return "%s (at) %s" % (local, dom)


def EM(enc=None, raw=None, obf=False, unicode_ok=False):
    e = raw or email(unicode_ok=unicode_ok)
    if obf:
        e = email_obf(e)
    f = S(e, "email")
    if enc:
        f = fmap(f, enc)
    return f


def phone(cc=None, with_intl=None):
    cc = cc or ch(["UK", "DE", "FR", "IN", "BR", "JP", "US", "AU"])
    if cc == "UK":
        n = "%03d" % ri(0, 999)
        return ch(["07700 900" + n, "+44 7700 900" + n, "+447700900" + n, "020 7946 0" + n,
                   "+44 20 7946 0" + n, "(0)7700 900 " + n, "0044 7700 900" + n])
    if cc == "DE":
        mob = ch(["151", "152", "160", "162", "170", "171", "172", "175", "176", "179"])
        rest = digits(8, False)
        return ch(["+49 %s %s" % (mob, rest), "0%s %s %s" % (mob, rest[:4], rest[4:]), "0%s/%s" % (mob, rest),
                   "+49 (0)30 %s" % rest, "030/%s" % rest[:7], "0049 %s %s" % (mob, rest), "+49%s%s" % (mob, rest)])
    if cc == "FR":
        p = [ch(["6", "7"])] + ["%02d" % ri(0, 99) for _ in range(4)]
        return ch(["+33 %s %s %s %s %s" % tuple(p), "0%s %s %s %s %s" % tuple(p), "0%s.%s.%s.%s.%s" % tuple(p),
                   "+33 (0)1 %02d %02d %02d %02d" % (ri(0, 99), ri(0, 99), ri(0, 99), ri(0, 99)),
                   "0%s%s%s%s%s" % tuple(p)])
    if cc == "IN":
        m = str(ri(6, 9)) + digits(9, False)
        return ch(["+91 %s %s" % (m[:5], m[5:]), "+91-%s" % m, "0%s" % m, "%s-%s" % (m[:5], m[5:]), "+91%s" % m])
    if cc == "BR":
        ddd = ch(["11", "21", "31", "41", "51", "61", "71", "81", "85"])
        m = "9" + digits(8, False)
        return ch(["+55 %s %s-%s" % (ddd, m[:5], m[5:]), "(%s) %s-%s" % (ddd, m[:5], m[5:]),
                   "+55 (%s) %s-%s" % (ddd, digits(4), digits(4, False)), "%s%s" % (ddd, m), "+55%s%s" % (ddd, m)])
    if cc == "JP":
        a, b = digits(4, False), digits(4, False)
        pre = ch(["090", "080", "070"])
        return ch(["%s-%s-%s" % (pre, a, b), "+81 %s-%s-%s" % (pre[1:], a, b), "03-%s-%s" % (a, b),
                   "+81-3-%s-%s" % (a, b), "%s%s%s" % (pre, a, b),
                   "".join(chr(0xFF10 + int(c)) if c.isdigit() else ("\u2212" if c == "-" else c)
                           for c in "%s-%s-%s" % (pre, a, b))])
    if cc == "US":
        area = ch(["212", "312", "415", "503", "617", "646", "702", "737", "808", "917"])
        line = "01%02d" % ri(0, 99)
        return ch(["(%s) 555-%s" % (area, line), "+1 %s-555-%s" % (area, line), "%s.555.%s" % (area, line),
                   "+1%s555%s" % (area, line), "1-%s-555-%s" % (area, line), "%s-555-%s" % (area, line)])
    # AU
    m = "4" + digits(8, False)
    return ch(["+61 %s %s %s" % (m[:3], m[3:6], m[6:]), "0%s %s %s" % (m[:3], m[3:6], m[6:]), "+61%s" % m])


def PH(enc=None, cc=None):
    f = S(phone(cc), "phone")
    return fmap(f, enc) if enc else f


def card():
    kind = ch(["visa", "visa", "mc", "mc2", "amex", "disc", "jcb"])
    if kind == "visa":
        body = "4" + rs(14, DIG)
    elif kind == "mc":
        body = str(ri(51, 55)) + rs(13, DIG)
    elif kind == "mc2":
        body = str(ri(2221, 2720)) + rs(11, DIG)
    elif kind == "amex":
        body = ch(["34", "37"]) + rs(12, DIG)
    elif kind == "disc":
        body = "6011" + rs(11, DIG)
    else:
        body = "35" + str(ri(28, 89)) + rs(10, DIG)
    num = body + luhn_digit(body)
    assert luhn_ok(num)
    style = ri(0, 3)
    if style == 0 or len(num) != 16:
        if len(num) == 15 and chance(0.5):
            return "%s %s %s" % (num[:4], num[4:10], num[10:])
        return num
    sep = " " if style == 1 else "-" if style == 2 else ""
    return sep.join(num[i:i + 4] for i in range(0, 16, 4))


IBAN_SPEC = {"DE": ("8n", "10n"), "GB": ("4a", "6n", "8n"), "FR": ("5n", "5n", "11c", "2n"), "ES": ("20n",),
             "NL": ("4a", "10n"), "IT": ("1a", "5n", "5n", "12c"), "BE": ("12n",), "CH": ("5n", "12c"),
             "PL": ("24n",), "PT": ("21n",), "AT": ("16n",), "IE": ("4a", "6n", "8n")}


def iban(cc=None, grouped=None):
    cc = cc or ch(list(IBAN_SPEC))
    bban = ""
    for part in IBAN_SPEC[cc]:
        n, t = int(part[:-1]), part[-1]
        bban += rs(n, DIG if t == "n" else UPPER if t == "a" else UPPER + DIG)
    rearr = bban + cc + "00"
    num = "".join(str(int(c, 36)) for c in rearr)
    check = 98 - int(num) % 97
    ib = cc + "%02d" % check + bban
    num2 = "".join(str(int(c, 36)) for c in ib[4:] + ib[:4])
    assert int(num2) % 97 == 1
    if grouped is None:
        grouped = chance(0.4)
    if grouped:
        return " ".join(ib[i:i + 4] for i in range(0, len(ib), 4))
    return ib


def ssn(dashes=True):
    area = ri(1, 899)
    while area == 666:
        area = ri(1, 899)
    s = "%03d%02d%04d" % (area, ri(1, 99), ri(1, 9999))
    return "%s-%s-%s" % (s[:3], s[3:5], s[5:]) if dashes else s


def nino(spaced=None):
    bad1, bad2 = "DFIQUV", "DFIOQUV"
    while True:
        a, b = ch(UPPER), ch(UPPER)
        if a in bad1 or b in bad2 or (a + b) in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            continue
        break
    d = rs(6, DIG)
    suf = ch("ABCD")
    if spaced is None:
        spaced = chance(0.4)
    if spaced:
        return "%s%s %s %s %s %s" % (a, b, d[:2], d[2:4], d[4:], suf)
    return a + b + d + suf


def passport(cc=None):
    cc = cc or ch(["US", "UK", "DE", "FR", "IN", "JP", "BR", "CA"])
    if cc in ("US", "UK"):
        return rs(9, DIG)
    if cc == "DE":
        return "C" + rs(8, "CFGHJKLMNPRTVWXYZ0123456789")
    if cc == "FR":
        return rs(2, DIG) + rs(2, UPPER) + rs(5, DIG)
    if cc == "IN":
        return ch(UPPER) + rs(7, DIG)
    if cc == "JP":
        return rs(2, "TMR") + rs(7, DIG)
    return rs(2, UPPER) + rs(6, DIG)


def dob(fmt=None):
    y, m, d = ri(1948, 2006), ri(1, 12), ri(1, 28)
    fmt = fmt or ch(["iso", "dmy", "mdy", "dot", "jp", "long", "dmy_dash"])
    if fmt == "iso":
        return "%04d-%02d-%02d" % (y, m, d)
    if fmt == "dmy":
        return "%02d/%02d/%04d" % (d, m, y)
    if fmt == "mdy":
        return "%02d/%02d/%04d" % (m, d, y)
    if fmt == "dot":
        return "%02d.%02d.%04d" % (d, m, y)
    if fmt == "jp":
        return "%d年%d月%d日" % (y, m, d)
    if fmt == "dmy_dash":
        return "%02d-%02d-%04d" % (d, m, y)
    return "%s %d, %d" % (["January", "February", "March", "April", "May", "June", "July", "August",
                           "September", "October", "November", "December"][m - 1], d, y)


STREETS_US = ["Maple Avenue", "Oak Street", "Cedar Lane", "Pine Court", "Elm Drive", "Lakeview Road", "Hillcrest Blvd"]
CITIES_US = [("Springfield", "IL", "627"), ("Portland", "OR", "972"), ("Austin", "TX", "787"),
             ("Columbus", "OH", "432"), ("Boise", "ID", "837")]


def address(cc=None):
    cc = cc or ch(["US", "UK", "DE", "FR", "BR", "JP", "IN", "ES"])
    if cc == "US":
        c = ch(CITIES_US)
        return "%d %s%s, %s, %s %s%02d" % (ri(10, 9899), ch(STREETS_US), ch(["", ", Apt %d%s" % (ri(1, 30), ch("ABCD"))]),
                                         c[0], c[1], c[2], ri(1, 99))
    if cc == "UK":
        return "%d %s, %s %s%d %d%s" % (ri(1, 240), ch(["Kingsley Road", "Mill Lane", "Church Street", "Victoria Terrace"]),
                                       ch(["Leeds", "Bristol", "Manchester", "Glasgow"]), ch(["LS", "BS", "M", "G"]),
                                       ri(1, 28), ri(1, 9), rs(2, "ABDEFGHJLNPQRSTUWXYZ"))
    if cc == "DE":
        return "%s %d, %05d %s" % (ch(["Lindenstraße", "Hauptstraße", "Gartenweg", "Schillerstr.", "Am Markt"]), ri(1, 180),
                                  ri(10115, 99998), ch(["Berlin", "München", "Köln", "Hamburg", "Leipzig"]))
    if cc == "FR":
        return "%d %s, %05d %s" % (ri(1, 120), ch(["rue des Lilas", "avenue Victor Hugo", "boulevard Voltaire", "rue de la Paix"]),
                                  ri(10000, 95999), ch(["Paris", "Lyon", "Marseille", "Nantes", "Lille"]))
    if cc == "BR":
        return "Rua %s, %d - Apto %d, %s - %s, %05d-%03d" % (ch(["das Flores", "Augusta", "Oscar Freire", "XV de Novembro"]),
                                                           ri(10, 2500), ri(11, 190), ch(["São Paulo", "Curitiba", "Recife"]),
                                                           ch(["SP", "PR", "PE"]), ri(1000, 99999), ri(0, 999))
    if cc == "JP":
        return "東京都%s%s%d-%d-%d" % (ch(["新宿区", "渋谷区", "港区", "千代田区"]), ch(["西新宿", "恵比寿", "六本木", "丸の内"]),
                                   ri(1, 5), ri(1, 20), ri(1, 30))
    if cc == "IN":
        return "Flat %d, %s, %s, %s %06d" % (ri(101, 1204), ch(["Sai Residency", "Green Park Apts", "Lotus Towers"]),
                                           ch(["MG Road", "Linking Road", "Anna Salai"]), ch(["Bengaluru", "Mumbai", "Chennai"]),
                                           ri(400001, 600099))
    return "Calle %s %d, %d%s, %05d %s" % (ch(["Mayor", "de Alcalá", "Gran Vía", "del Sol"]), ri(1, 200), ri(1, 8),
                                         ch(["º A", "º B", "º izq."]), ri(28001, 28099), ch(["Madrid", "Sevilla", "Valencia"]))


def cpf():
    n = [ri(0, 9) for _ in range(9)]
    for _ in range(2):
        s = sum(v * w for v, w in zip(n, range(len(n) + 1, 1, -1)))
        d = (s * 10) % 11
        n.append(0 if d == 10 else d)
    s = "".join(map(str, n))
    return "%s.%s.%s-%s" % (s[:3], s[3:6], s[6:9], s[9:]) if chance(0.7) else s


def tax_id(cc=None):
    cc = cc or ch(["US", "DE", "IN", "BR", "FR", "UK", "ES"])
    if cc == "US":
        return ch(["%02d-%07d" % (ri(10, 98), ri(0, 9999999)), "9%02d-7%d-%04d" % (ri(0, 99), ri(0, 9), ri(0, 9999))])
    if cc == "DE":
        return digits(11)
    if cc == "IN":
        return rs(3, UPPER) + "P" + ch(UPPER) + rs(4, DIG) + ch(UPPER)
    if cc == "BR":
        return cpf()
    if cc == "FR":
        return str(ri(0, 3)) + rs(12, DIG)
    if cc == "UK":
        return digits(10)
    n = ri(10000000, 99999999)
    return "%d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23])


def aadhaar():
    d = str(ri(2, 9)) + rs(11, DIG)
    return ch(["%s %s %s" % (d[:4], d[4:8], d[8:]), d])


# ========================================================================================
# Passwords and password hashes
# ========================================================================================
PW_WORDS = ["Sommer", "Winter", "Katze", "Soleil", "Primavera", "Sakura", "Tiger", "Falcon", "Dragon", "Brisa",
            "Mariposa", "Zvezda", "Lotus", "Orion", "Kiwi", "Nebula", "Jaguar", "Cobalt", "Saturn", "Herbst",
            "Fenix", "Aurora", "Pumpkin", "Galaxy"]
PW_UNI = ["Contraseña", "Пароль", "Зима", "さくら", "パスワード", "Mot2Passe€", "Ärger", "Öfen", "Senha", "Çiçek",
          "密码", "Żółw", "Smörgås", "Niño", "Ελπίδα"]
PW_SYMS = "!#$%*+-.=?@^_~"
PW_CHARS = ALNUM + PW_SYMS


def password(space_ok=False, unicode_ok=True):
    while True:
        st = ri(0, 7)
        if st == 0:
            p = ch(PW_WORDS) + str(ri(1990, 2026)) + ch(PW_SYMS)
        elif st in (1, 2):
            p = rs(ri(12, 24), PW_CHARS)
        elif st == 3 and unicode_ok:
            p = ch(PW_UNI) + ch(["#", "_", "!", "-", ""]) + str(ri(10, 9999)) + rs(ri(0, 3), ALNUM)
        elif st == 4:
            p = "-".join(ch(["maple", "orbit", "ladder", "velvet", "cactus", "harbor", "pixel", "quartz", "tundra",
                             "walnut", "bison", "ember"]) for _ in range(ri(3, 4))) + str(ri(1, 99))
        elif st == 5 and space_ok:
            p = " ".join(ch(["tiger", "lamp", "Oslo", "river", "blue", "kettle", "seven", "moon", "Paris"])
                         for _ in range(4)) + " " + str(ri(10, 99))
        elif st == 6:
            p = ch(["P@ssw0rd", "Welcome", "Passw0rt", "Qwerty", "Secret", "Admin"]) + ch(PW_SYMS) + rs(ri(3, 6), ALNUM)
        else:
            p = rs(ri(8, 10), LOWER + DIG)
        if 6 <= len(p) and p.strip() == p:
            return p


PW_KEYS = ["password", "passwd", "pwd", "pass", "Password", "userPassword", "passwort", "Passwort", "kennwort",
           "mot_de_passe", "motDePasse", "contraseña", "contrasena", "clave", "パスワード", "senha", "пароль",
           "密码", "wachtwoord", "hasło", "haslo", "parola", "lösenord", "salasana", "şifre", "kata_sandi",
           "mật_khẩu", "비밀번호", "adgangskode", "passord", "user_pass", "login_password", "secret_password"]
PW_CONFIRM_KEYS = ["confirm", "confirmPassword", "password_confirmation", "passwordConfirm", "confirm_password",
                   "password2", "repeatPassword", "passwort_wiederholen", "confirmation_mot_de_passe",
                   "confirmar_contraseña", "confirmarSenha", "повтор_пароля", "パスワード確認", "verifyPassword"]
PW_NEW_KEYS = ["newPassword", "new_password", "neues_passwort", "nouveau_mot_de_passe", "nueva_contraseña",
               "novaSenha", "новый_пароль", "新しいパスワード"]
PW_OLD_KEYS = ["oldPassword", "old_password", "currentPassword", "current_password", "altes_passwort",
               "ancien_mot_de_passe", "senhaAtual", "текущий_пароль"]
EMAIL_KEYS = ["email", "e-mail", "mail", "emailAddress", "email_address", "userEmail", "correo", "courriel",
              "e_mail", "メールアドレス", "электронная_почта", "login", "username", "user"]
PHONE_KEYS = ["phone", "phoneNumber", "phone_number", "mobile", "tel", "msisdn", "telefon", "handy", "téléphone",
              "telefono", "celular", "電話番号", "телефон", "contact_number", "whatsapp"]
DOB_KEYS = ["dob", "date_of_birth", "dateOfBirth", "birthDate", "birthdate", "geburtsdatum", "date_naissance",
            "fecha_nacimiento", "data_nascimento", "生年月日", "дата_рождения", "birthday"]
ADDR_KEYS = ["address", "street_address", "streetAddress", "billingAddress", "adresse", "anschrift", "direccion",
             "endereco", "住所", "shipping_address", "homeAddress"]


def pw_hash():
    k = ri(0, 10)
    if k == 9:
        return ch(["AQAAAAIAAYagAAAAE", "AQAAAAEAACcQAAAAE"]) + rs(67, ALNUM + "+/") + "=="
    if k == 10:
        return "$apr1$%s$%s" % (rs(8, BCRYPT), rs(22, BCRYPT))
    if k <= 1:
        return "$2%s$%02d$%s" % (ch("aby"), ch([10, 11, 12, 12, 13, 14]), rs(53, BCRYPT))
    if k == 2:
        m, t, p = ch([(65536, 3, 4), (19456, 2, 1), (47104, 1, 1), (102400, 2, 8)])
        return "$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s" % (m, t, p, rs(22, ALNUM + "+/"), rs(43, ALNUM + "+/"))
    if k == 3:
        return "pbkdf2_sha256$%d$%s$%s=" % (ch([600000, 720000, 870000, 1000000]), rs(22, ALNUM), rs(43, ALNUM + "+/"))
    if k == 4:
        return ch(["scrypt:32768:8:1$%s$%s" % (rs(16, ALNUM), rhex(128)),
                   "$scrypt$ln=16,r=8,p=1$%s$%s" % (rs(22, ALNUM + "+/"), rs(43, ALNUM + "+/"))])
    if k == 5:
        return "pbkdf2:sha256:%d$%s$%s" % (ch([260000, 600000]), rs(16, ALNUM), rhex(64))
    if k == 6:
        return "$6$%s$%s" % (rs(16, BCRYPT), rs(86, BCRYPT))
    if k == 7:
        return "argon2$argon2id$v=19$m=102400,t=2,p=8$%s$%s" % (rs(22, ALNUM), rs(22, ALNUM + "+/"))
    return "{bcrypt}$2a$10$%s" % rs(53, BCRYPT)


# ========================================================================================
# Tokens, cookies, AWS, keys
# ========================================================================================
def jwt(claims=None, alg=None, typ="JWT"):
    alg = alg or ch(["RS256", "RS256", "ES256", "HS256", "PS256"])
    hdr = {"alg": alg, "typ": typ}
    if alg != "HS256":
        hdr["kid"] = ch([rs(43, B64URL), rhex(16), uuid4()])
    now = ri(1704067200, 1740000000)
    c = claims or {"sub": uuid4(), "iat": now, "exp": now + ch([300, 900, 3600]),
                   "iss": ch(["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_%s" % rs(9),
                              "https://login.example.com/", "https://auth.example.org/realms/prod"]),
                   "scope": ch(["openid profile email", "orders:read orders:write", "read"])}
    sig_len = {"RS256": 342, "PS256": 342, "ES256": 86, "HS256": 43}[alg]
    return "%s.%s.%s" % (b64url(json.dumps(hdr, separators=(",", ":"))),
                         b64url(json.dumps(c, separators=(",", ":"))), rs(sig_len, B64URL))


def jwt_short():
    return jwt(alg=ch(["HS256", "ES256"]))


def opaque_token(n=None):
    return rs(n or ri(32, 64), B64URL)


def aws_akid(temp=None):
    temp = chance(0.4) if temp is None else temp
    return ("ASIA" if temp else "AKIA") + rs(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def aws_secret():
    return rs(40, ALNUM + "+/")


def aws_session_token():
    return "IQoJb3JpZ2luX2Vj" + rs(ri(280, 560), ALNUM + "+/") + ch(["", "=", "=="])


def apigw_key():
    return rs(40, ALNUM)


def apigw_key_id():
    return rs(10, LOWER + DIG)


def pem_lines(n=None):
    n = n or ri(2, 5)
    first = ch(["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MIIEpAIBAAKCAQEA", "MHcCAQEEI", "MIIJQgIBADANBgkqhkiG9w0BAQEFAASC"])
    lines = [first + rs(64 - len(first), B64)]
    for _ in range(n - 1):
        lines.append(rs(64, B64))
    return lines


def pem_block(kind="PRIVATE KEY", nl="\\n", n=None, label="private_key"):
    lines = pem_lines(n)
    body = [S(l, label) for l in lines]
    return cat("-----BEGIN %s-----" % kind, nl, join(nl, body), nl, "-----END %s-----" % kind)


OPENSSH_FIRST = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"


def openssh_block(nl="\\n"):
    body = [OPENSSH_FIRST] + [S(rs(70, B64), "ssh_private_key") for _ in range(ri(2, 4))]
    return cat("-----BEGIN OPENSSH PRIVATE KEY-----", nl, join(nl, body), nl, "-----END OPENSSH PRIVATE KEY-----")


def cfdj8(n=None):
    return "CfDJ8" + rs(n or ri(150, 360), B64URL)


def session_cookie(framework=None):
    """Returns (cookie_name, F value-with-label)."""
    fw = framework or ch(["jsession", "php", "connect", "laravel", "rails_id", "rails_enc", "aspcore", "aspcore_sess",
                          "aspnet_classic", "aspxauth", "django", "flask", "host", "secure_next", "ci", "gitlab",
                          "rack", "express_sess", "wp", "drupal", "oidc"])
    if fw == "jsession":
        v = ch([rs(32, HEXU), rs(32, HEXU) + ".node0", rs(32, HEXU) + "." + ch(["worker1", "jvm2", "tomcat-3"]),
                rs(24, ALNUM + "-_") + "!" + str(ri(-2000000000, 2000000000))])
        return "JSESSIONID", S(v, "session_cookie")
    if fw == "php":
        return "PHPSESSID", S(rs(ch([26, 32]), LOWER + DIG), "session_cookie")
    if fw == "connect":
        return "connect.sid", S("s%3A" + rs(32, B64URL) + "." + rs(43, ALNUM + "+/").replace("+", "%2B").replace("/", "%2F"),
                                "session_cookie")
    if fw == "laravel":
        payload = b64(json.dumps({"iv": b64(rs(16)), "value": b64(rs(40)), "mac": rhex(64), "tag": ""},
                                 separators=(",", ":")))
        return ch(["laravel_session", "%s_session" % ch(["myapp", "shop", "portal"])]), S(payload.replace("=", "%3D"), "session_cookie")
    if fw == "rails_id":
        return "_session_id", S(rhex(32), "session_cookie")
    if fw == "rails_enc":
        v = "%s--%s--%s" % (rs(ri(120, 240), B64), rs(16, B64), rs(22, B64) + "==")
        return "_%s_session" % ch(["myapp", "storefront", "admin"]), S(q(v) if chance(0.5) else v, "session_cookie")
    if fw == "aspcore":
        return ".AspNetCore.Cookies", S(cfdj8(), "session_cookie")
    if fw == "aspcore_sess":
        return ".AspNetCore.Session", S(cfdj8(ri(90, 140)), "session_cookie")
    if fw == "aspnet_classic":
        return "ASP.NET_SessionId", S(rs(24, "abcdefghijklmnopqrstuvwxyz012345"), "session_cookie")
    if fw == "aspxauth":
        return ".ASPXAUTH", S(rs(ch([160, 224, 288]), HEXU), "session_cookie")
    if fw == "django":
        return "sessionid", S(rs(32, LOWER + DIG), "session_cookie")
    if fw == "flask":
        return "session", S("%s.%s.%s" % (b64url(json.dumps({"_user_id": str(ri(1, 99999)), "_fresh": True},
                                                         separators=(",", ":"))), rs(6, B64URL), rs(27, B64URL)),
                            "session_cookie")
    if fw == "host":
        return "__Host-session", S(rs(ri(40, 64), B64URL), "session_cookie")
    if fw == "secure_next":
        return ch(["__Secure-next-auth.session-token", "__Secure-authjs.session-token"]), S(
            "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.." + rs(16, B64URL) + "." + rs(ri(200, 400), B64URL) + "." + rs(22, B64URL),
            "session_cookie")
    if fw == "ci":
        return "ci_session", S(rs(40, LOWER + DIG), "session_cookie")
    if fw == "gitlab":
        return "_gitlab_session", S(rhex(32), "session_cookie")
    if fw == "rack":
        return "rack.session", S(q(rs(ri(80, 160), B64)) + "--" + rhex(40), "session_cookie")
    if fw == "express_sess":
        return "express:sess", S(b64(json.dumps({"passport": {"user": ri(1, 99999)}, "csrfSecret": rs(24, B64URL)},
                                                separators=(",", ":"))), "session_cookie")
    if fw == "wp":
        return "wordpress_logged_in_" + rhex(32), S("%s%%7C%d%%7C%s%%7C%s" % (ch(FIRST), ri(1710000000, 1740000000),
                                                                               rs(43, ALNUM), rhex(64)), "session_cookie")
    if fw == "drupal":
        return "SSESS" + rhex(32), S(rs(43, B64URL) + "%2C" + rs(20, B64URL), "session_cookie")
    return "__Host-oidc_session", S(rs(ri(43, 86), B64URL), "session_cookie")


def csrf_cookie():
    k = ri(0, 4)
    if k == 0:
        return "csrftoken", S(rs(ch([32, 64]), ALNUM), "csrf_token")
    if k == 1:
        return "XSRF-TOKEN", S(b64(json.dumps({"iv": b64(rs(16)), "value": b64(rs(40)), "mac": rhex(64), "tag": ""},
                                              separators=(",", ":"))).replace("=", "%3D"), "csrf_token")
    if k == 2:
        return ".AspNetCore.Antiforgery." + rs(11, B64URL), S(cfdj8(ri(110, 160)), "csrf_token")
    if k == 3:
        return "__Host-csrf", S(rs(43, B64URL), "csrf_token")
    return "_csrf", S(rs(24, B64URL), "csrf_token")


def benign_cookie():
    k = ri(0, 9)
    if k == 0:
        return "_ga", K("GA1.2.%d.%d" % (ri(100000000, 2147483647), ri(1700000000, 1740000000)))
    if k == 1:
        return "ARRAffinity", K(rhex(64))
    if k == 2:
        return "lang", K(ch(["en-GB", "de-DE", "pt-BR", "ja-JP", "fr-FR"]))
    if k == 3:
        return "theme", K(ch(["dark", "light", "system"]))
    if k == 4:
        return "cookie_consent", K(ch(["accepted", "necessary%2Canalytics", "v2-all"]))
    if k == 5:
        return "tz", K(ch(["Europe%2FBerlin", "Asia%2FTokyo", "America%2FSao_Paulo"]))
    if k == 6:
        return "_gid", K("GA1.2.%d.%d" % (ri(100000000, 2147483647), ri(1700000000, 1740000000)))
    if k == 7:
        return "ab_bucket", K(ch(["checkout-v2:B", "search-rank:control", "pricing:treatment-3"]))
    if k == 8:
        return "ARRAffinitySameSite", K(rhex(64))
    return "currency", K(ch(["EUR", "GBP", "JPY", "BRL", "USD"]))


def cookie_header(clean, n_secret=None, sep="; "):
    pairs = []
    for _ in range(ri(0, 2)):
        pairs.append(benign_cookie())
    if not clean:
        n_secret = n_secret or ri(1, 2)
        for i in range(n_secret):
            pairs.append(session_cookie() if i == 0 or chance(0.5) else csrf_cookie())
    R.shuffle(pairs)
    if not pairs:
        pairs.append(benign_cookie())
    return join(sep, [cat(K(nm) if chance(0.5) and len(nm) >= 3 else nm, "=", v) for nm, v in pairs])


def reset_token():
    return ch([rs(ri(32, 64), B64URL), rhex(40), rhex(64), "%s-%s" % (rs(3, LOWER + DIG), rs(32, HEX)),
               b64url(rs(24, ALNUM)) + "." + rs(27, B64URL)])


def auth_code():
    return ch([rs(ri(20, 43), B64URL), "4/0A" + rs(ri(60, 80), B64URL), uuid4() + "." + uuid4() + "." + uuid4()[:8],
               rs(32, HEX)])


def pkce_verifier():
    return rs(ri(43, 128), B64URL + "~.")


def otp():
    return str(ri(100000, 999999))


def refresh_token():
    return ch(["v1." + rs(ri(80, 140), B64URL), rs(ri(40, 80), B64URL), "rt_" + rs(48, B64URL),
               "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ." + rs(342, B64URL) + "." + rs(22, B64URL)
               + "." + rs(ri(400, 700), B64URL) + "." + rs(22, B64URL)])


def client_secret():
    return ch([rs(ri(32, 64), B64URL), rs(40, ALNUM), "cs_" + rs(40, ALNUM)])


def conn_string(clean=False):
    """Returns F: connection string, password (or AccountKey) labelled."""
    user = ch(["app", "svc_orders", "admin", "postgres", "root", "reporting", "django", "api_user", "sa"])
    host = ch(["db.internal", "10.0.%d.%d" % (ri(0, 255), ri(1, 254)), "prod-db.cluster-%s.%s.rds.amazonaws.com" % (rs(12, LOWER + DIG), ch(REGIONS)),
               "mongo-0.mongo.svc.cluster.local", "redis-master", "rabbitmq.prod.svc", "sql-%s.database.windows.net" % rs(6, LOWER)])
    pw = password(unicode_ok=False)
    PWF = (lambda: K(mask())) if clean else (lambda: S(pw, "password"))
    PWQ = (lambda: K(ch(["%2A%2A%2A", "***", "xxxxx"]))) if clean else (lambda: S(q(pw), "password"))
    k = ri(0, 9)
    if k == 0:
        return cat("postgresql://", user, ":", PWQ(), "@", host, ":5432/", ch(["app", "orders", "ledger"]), ch(["", "?sslmode=require"]))
    if k == 1:
        return cat("mysql://", user, ":", PWQ(), "@", host, ":3306/", ch(["shop", "crm"]))
    if k == 2:
        return cat("mongodb+srv://", user, ":", PWQ(), "@cluster0.", rs(5, LOWER + DIG), ".mongodb.net/", ch(["prod", "events"]), "?retryWrites=true&w=majority")
    if k == 3:
        return cat("redis://", ch(["", "default"]), ":", PWQ(), "@", host, ":6379/", str(ri(0, 5)))
    if k == 4:
        return cat("amqps://", user, ":", PWQ(), "@", host, ":5671/", ch(["%2F", "orders"]))
    if k == 5:
        return cat("jdbc:postgresql://", host, ":5432/app?user=", user, "&password=", PWQ(), "&ssl=true")
    if k == 6:
        return cat("Server=tcp:", host, ",1433;Initial Catalog=", ch(["Orders", "Identity"]), ";User ID=", user,
                   ";Password=", PWF(), ";Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;")
    if k == 7:
        if clean:
            return cat("DefaultEndpointsProtocol=https;AccountName=", rs(10, LOWER + DIG), ";AccountKey=", K(mask()), ";EndpointSuffix=core.windows.net")
        return cat("DefaultEndpointsProtocol=https;AccountName=", rs(10, LOWER + DIG), ";AccountKey=",
                   S(rs(86, B64) + "==", "vendor:azure"), ";EndpointSuffix=core.windows.net")
    if k == 8:
        return cat("smtp://", ch(["apikey", "postmaster", "noreply"]), ":", PWQ(), "@", ch(["smtp.sendgrid.net", "smtp.mailgun.org", "email-smtp.eu-west-1.amazonaws.com"]), ":587")
    return cat("Host=", host, ";Port=5432;Database=app;Username=", user, ";Password=", PWF(), ";SSL Mode=Require")


# ========================================================================================
# Vendor tokens (formats follow public secret-scanner rule sets; the random part is random)
# ========================================================================================
class Vendor(object):
    def __init__(self, name, gens, hdr, env, key=None, prefixless=False, url=None):
        self.name = name
        self.gens = gens if isinstance(gens, list) else [gens]
        self.hdr = hdr            # (header name, scheme prefix)
        self.env = env
        self.key = key or env.lower()
        self.prefixless = prefixless
        self.url = url            # fn(token) -> (prefix, suffix) for URL-embedded forms

    def token(self):
        return ch(self.gens)()

    @property
    def kind(self):
        return "vendor:" + self.name


def _uuid():
    return uuid4()


V_LIST = [
    Vendor("github", [lambda: "ghp_" + rs(36), lambda: "gho_" + rs(36), lambda: "ghs_" + rs(36), lambda: "ghu_" + rs(36),
                      lambda: "github_pat_" + rs(22) + "_" + rs(59)], ("Authorization", "token "), "GITHUB_TOKEN"),
    Vendor("gitlab", [lambda: "glpat-" + rs(20, B64URL), lambda: "glptt-" + rhex(40), lambda: "gldt-" + rs(20, B64URL),
                      lambda: "glrt-" + rs(20, B64URL), lambda: "GR1348941" + rs(20, B64URL)], ("PRIVATE-TOKEN", ""), "GITLAB_TOKEN"),
    Vendor("slack", [lambda: "xoxb-%s-%s-%s" % (digits(11), digits(13), rs(24)),
                     lambda: "xoxp-%s-%s-%s-%s" % (digits(11), digits(11), digits(13), rhex(32)),
                     lambda: "xapp-1-A%s-%s-%s" % (rs(10, UPPER + DIG), digits(13), rhex(64))],
           ("Authorization", "Bearer "), "SLACK_BOT_TOKEN",
           url=lambda: ("https://hooks.slack.com/services/T%s/B%s/" % (rs(8, UPPER + DIG), rs(10, UPPER + DIG)), rs(24), "")),
    Vendor("stripe", [lambda: "sk_live_51" + rs(ri(60, 97)), lambda: "rk_live_51" + rs(ri(60, 97)), lambda: "whsec_" + rs(32)],
           ("Authorization", "Bearer "), "STRIPE_SECRET_KEY"),
    Vendor("openai", [lambda: "sk-proj-" + rs(74, B64URL) + "T3BlbkFJ" + rs(74, B64URL),
                      lambda: "sk-" + rs(20) + "T3BlbkFJ" + rs(20), lambda: "sk-svcacct-" + rs(58, B64URL) + "T3BlbkFJ" + rs(58, B64URL)],
           ("Authorization", "Bearer "), "OPENAI_API_KEY"),
    Vendor("anthropic", [lambda: "sk-ant-api03-" + rs(93, B64URL) + "AA", lambda: "sk-ant-admin01-" + rs(93, B64URL) + "AA"],
           ("x-api-key", ""), "ANTHROPIC_API_KEY"),
    Vendor("huggingface", [lambda: "hf_" + rs(34, LOWER + UPPER), lambda: "api_org_" + rs(34, LOWER + UPPER)],
           ("Authorization", "Bearer "), "HF_TOKEN"),
    Vendor("npm", lambda: "npm_" + rs(36), ("Authorization", "Bearer "), "NPM_TOKEN"),
    Vendor("pypi", lambda: "pypi-AgEIcHlwaS5vcmc" + rs(ri(60, 140), B64URL), ("Authorization", "Bearer "), "PYPI_API_TOKEN"),
    Vendor("dockerhub", lambda: "dckr_pat_" + rs(27, B64URL), ("Authorization", "Bearer "), "DOCKERHUB_TOKEN"),
    Vendor("digitalocean", [lambda: "dop_v1_" + rhex(64), lambda: "doo_v1_" + rhex(64), lambda: "dor_v1_" + rhex(64)],
           ("Authorization", "Bearer "), "DIGITALOCEAN_ACCESS_TOKEN"),
    Vendor("shopify", [lambda: "shpat_" + rhex(32), lambda: "shpss_" + rhex(32), lambda: "shpca_" + rhex(32), lambda: "shppa_" + rhex(32)],
           ("X-Shopify-Access-Token", ""), "SHOPIFY_ACCESS_TOKEN"),
    Vendor("sendgrid", lambda: "SG." + rs(22, B64URL) + "." + rs(43, B64URL), ("Authorization", "Bearer "), "SENDGRID_API_KEY"),
    Vendor("twilio", lambda: rhex(32), ("X-Twilio-Auth-Token", ""), "TWILIO_AUTH_TOKEN", prefixless=True),
    Vendor("mailgun", lambda: "key-" + rhex(32), ("X-Mailgun-Api-Key", ""), "MAILGUN_API_KEY"),
    Vendor("mailchimp", lambda: rhex(32) + "-us" + str(ri(1, 21)), ("Authorization", "apikey "), "MAILCHIMP_API_KEY"),
    Vendor("atlassian", lambda: "ATATT3xFfGF0" + rs(171, B64URL) + "=" + rs(8, HEXU), ("X-Atlassian-Token-Value", ""), "JIRA_API_TOKEN"),
    Vendor("age", lambda: "AGE-SECRET-KEY-1" + rs(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"), ("X-Age-Identity", ""), "SOPS_AGE_KEY"),
    Vendor("alibaba", [lambda: "LTAI" + rs(20), lambda: "LTAI5t" + rs(18)], ("X-Acs-AccessKeyId", ""), "ALIBABA_CLOUD_ACCESS_KEY_ID"),
    Vendor("airtable", lambda: "pat" + rs(14) + "." + rhex(64), ("Authorization", "Bearer "), "AIRTABLE_TOKEN"),
    Vendor("algolia", lambda: rhex(32), ("X-Algolia-API-Key", ""), "ALGOLIA_ADMIN_API_KEY", prefixless=True),
    Vendor("artifactory", [lambda: "AKCp" + rs(69), lambda: "cmVmdGtuOjAxOj" + rs(50)], ("X-JFrog-Art-Api", ""), "ARTIFACTORY_API_KEY"),
    Vendor("asana", lambda: "2/%s/%s:%s" % (digits(16), digits(16), rhex(32)), ("Authorization", "Bearer "), "ASANA_ACCESS_TOKEN"),
    Vendor("auth0", lambda: rs(64, B64URL), ("X-Auth0-Client-Secret", ""), "AUTH0_CLIENT_SECRET", prefixless=True),
    Vendor("azure", [lambda: rs(3, ALNUM) + str(ri(0, 9)) + "Q~" + rs(34, ALNUM + "_~.-"), lambda: rs(86, B64) + "=="],
           ("x-ms-client-secret", ""), "AZURE_CLIENT_SECRET"),
    Vendor("azure_devops", lambda: rs(52, BASE32L), ("X-TFS-PAT", ""), "AZURE_DEVOPS_EXT_PAT", prefixless=True),
    Vendor("bitbucket", lambda: "ATBB" + rs(28) + rs(8, HEXU), ("X-Bitbucket-App-Password", ""), "BITBUCKET_APP_PASSWORD"),
    Vendor("braintree", lambda: "access_token$production$%s$%s" % (rs(16, LOWER + DIG), rhex(32)), ("Authorization", "Bearer "), "BRAINTREE_ACCESS_TOKEN"),
    Vendor("buildkite", lambda: "bkua_" + rhex(40), ("Authorization", "Bearer "), "BUILDKITE_API_TOKEN"),
    Vendor("circleci", lambda: "CCIPAT_" + rs(22) + "_" + rhex(40), ("Circle-Token", ""), "CIRCLE_TOKEN"),
    Vendor("clojars", lambda: "CLOJARS_" + rs(60, LOWER + DIG), ("Authorization", "Bearer "), "CLOJARS_DEPLOY_TOKEN"),
    Vendor("cloudflare", [lambda: rs(40, B64URL), lambda: "v1.0-" + rhex(24) + "-" + rhex(146)], ("Authorization", "Bearer "),
           "CLOUDFLARE_API_TOKEN", prefixless=True),
    Vendor("cloudinary", lambda: rs(27, B64URL), ("X-Cloudinary-Api-Secret", ""), "CLOUDINARY_API_SECRET", prefixless=True,
           url=lambda: ("cloudinary://%s:" % digits(15), None, "@%s" % ch(["demo-shop", "acme-media", "dx8k2"]))),
    Vendor("confluent", lambda: rs(64, ALNUM + "+/"), ("X-Confluent-Api-Secret", ""), "CONFLUENT_CLOUD_API_SECRET", prefixless=True),
    Vendor("contentful", lambda: "CFPAT-" + rs(43, B64URL), ("Authorization", "Bearer "), "CONTENTFUL_MANAGEMENT_TOKEN"),
    Vendor("databricks", lambda: "dapi" + rhex(32), ("Authorization", "Bearer "), "DATABRICKS_TOKEN"),
    Vendor("datadog", [lambda: rhex(32), lambda: rhex(40)], ("DD-API-KEY", ""), "DD_API_KEY", prefixless=True),
    Vendor("deno", [lambda: "ddp_" + rs(36), lambda: "ddw_" + rs(36)], ("Authorization", "Bearer "), "DENO_DEPLOY_TOKEN"),
    Vendor("discord", lambda: "%s.%s.%s" % (b64(digits(18)).rstrip("="), rs(6, B64URL), rs(38, B64URL)), ("Authorization", "Bot "),
           "DISCORD_BOT_TOKEN", url=lambda: ("https://discord.com/api/webhooks/%s/" % digits(18), rs(68, B64URL), "")),
    Vendor("doppler", [lambda: "dp.pt." + rs(43), lambda: "dp.st.prd." + rs(43), lambda: "dp.ct." + rs(43)], ("Authorization", "Bearer "), "DOPPLER_TOKEN"),
    Vendor("dropbox", lambda: "sl." + rs(135, B64URL), ("Authorization", "Bearer "), "DROPBOX_ACCESS_TOKEN"),
    Vendor("duffel", lambda: "duffel_live_" + rs(43, B64URL), ("Authorization", "Bearer "), "DUFFEL_ACCESS_TOKEN"),
    Vendor("dynatrace", lambda: "dt0c01.%s.%s" % (rs(24, UPPER + DIG), rs(64, UPPER + DIG)), ("Authorization", "Api-Token "), "DT_API_TOKEN"),
    Vendor("easypost", [lambda: "EZAK" + rs(54), lambda: "EZTK" + rs(54)], ("Authorization", "Bearer "), "EASYPOST_API_KEY"),
    Vendor("elastic", lambda: b64(rs(20, B64URL) + ":" + rs(22, B64URL)), ("Authorization", "ApiKey "), "ELASTIC_API_KEY"),
    Vendor("facebook", lambda: "EAAC" + rs(ri(110, 180)), ("Authorization", "Bearer "), "FACEBOOK_ACCESS_TOKEN"),
    Vendor("fastly", lambda: rs(32, B64URL), ("Fastly-Key", ""), "FASTLY_API_TOKEN", prefixless=True),
    Vendor("figma", lambda: "figd_" + rs(40, B64URL), ("X-Figma-Token", ""), "FIGMA_TOKEN"),
    Vendor("firebase", lambda: "AAAA" + rs(7, B64URL) + ":APA91b" + rs(134, B64URL), ("Authorization", "key="), "FCM_SERVER_KEY"),
    Vendor("flutterwave", [lambda: "FLWSECK-" + rhex(32) + "-X", lambda: "FLWSECK_TEST-" + rhex(32) + "-X"], ("Authorization", "Bearer "), "FLW_SECRET_KEY"),
    Vendor("flyio", [lambda: "fo1_" + rs(43, B64URL), lambda: "fm2_" + rs(ri(120, 200), ALNUM + "+/") + "=="], ("Authorization", "Bearer "), "FLY_API_TOKEN"),
    Vendor("frameio", lambda: "fio-u-" + rs(64, B64URL), ("Authorization", "Bearer "), "FRAMEIO_TOKEN"),
    Vendor("google", [lambda: "AIza" + rs(35, B64URL), lambda: "GOCSPX-" + rs(28, B64URL), lambda: "ya29." + rs(ri(140, 200), B64URL),
                      lambda: "1//0" + rs(ri(90, 100), B64URL)], ("X-Goog-Api-Key", ""), "GOOGLE_API_KEY"),
    Vendor("grafana", [lambda: "glsa_" + rs(32) + "_" + rhex(8), lambda: "glc_eyJvIjoi" + rs(ri(90, 140), ALNUM) + "fQ=="],
           ("Authorization", "Bearer "), "GRAFANA_SERVICE_ACCOUNT_TOKEN"),
    Vendor("groq", lambda: "gsk_" + rs(52), ("Authorization", "Bearer "), "GROQ_API_KEY"),
    Vendor("harness", lambda: "pat.%s.%s.%s" % (rs(22, B64URL), rs(24), rs(20)), ("x-api-key", ""), "HARNESS_PLATFORM_API_KEY"),
    Vendor("heroku", lambda: "HRKU-AA" + rs(58, B64URL), ("Authorization", "Bearer "), "HEROKU_API_KEY"),
    Vendor("hubspot", lambda: "pat-%s-%s" % (ch(["na1", "eu1", "na2"]), uuid4()), ("Authorization", "Bearer "), "HUBSPOT_ACCESS_TOKEN"),
    Vendor("intercom", lambda: b64("tok:%s:1:0" % uuid4()), ("Authorization", "Bearer "), "INTERCOM_ACCESS_TOKEN"),
    Vendor("klaviyo", lambda: "pk_" + rhex(34), ("Authorization", "Klaviyo-API-Key "), "KLAVIYO_PRIVATE_API_KEY"),
    Vendor("langsmith", [lambda: "lsv2_pt_" + rhex(32) + "_" + rhex(10), lambda: "lsv2_sk_" + rhex(32) + "_" + rhex(10)], ("x-api-key", ""), "LANGSMITH_API_KEY"),
    Vendor("launchdarkly", [lambda: "api-" + uuid4(), lambda: "sdk-" + uuid4()], ("Authorization", ""), "LAUNCHDARKLY_SDK_KEY"),
    Vendor("linear", lambda: "lin_api_" + rs(40), ("Authorization", ""), "LINEAR_API_KEY"),
    Vendor("mapbox", lambda: "sk." + b64url(json.dumps({"u": ch(FIRST) + str(ri(1, 99)), "a": rs(25, LOWER + DIG)}, separators=(",", ":")))
           + "." + rs(22, B64URL), ("X-Mapbox-Token", ""), "MAPBOX_SECRET_TOKEN"),
    Vendor("microsoft_teams", lambda: rhex(32) + "/" + uuid4(), ("X-Teams-Webhook-Key", ""), "TEAMS_WEBHOOK_KEY",
           url=lambda: ("https://%s.webhook.office.com/webhookb2/%s@%s/IncomingWebhook/" % (ch(["contoso", "fabrikam", "northwind"]), uuid4(), uuid4()), None, "")),
    Vendor("mixpanel", lambda: rhex(32), ("X-Mixpanel-Api-Secret", ""), "MIXPANEL_API_SECRET", prefixless=True),
    Vendor("mollie", [lambda: "live_" + rs(30), lambda: "test_" + rs(30)], ("Authorization", "Bearer "), "MOLLIE_API_KEY"),
    Vendor("netlify", lambda: "nfp_" + rs(36), ("Authorization", "Bearer "), "NETLIFY_AUTH_TOKEN"),
    Vendor("newrelic", [lambda: "NRAK-" + rs(27, UPPER + DIG), lambda: "NRII-" + rs(32, B64URL), lambda: rhex(36) + "NRAL"], ("Api-Key", ""), "NEW_RELIC_API_KEY"),
    Vendor("notion", [lambda: "ntn_" + digits(11) + rs(35), lambda: "secret_" + rs(43)], ("Authorization", "Bearer "), "NOTION_TOKEN"),
    Vendor("nuget", lambda: "oy2" + rs(43, LOWER + DIG), ("X-NuGet-ApiKey", ""), "NUGET_API_KEY"),
    Vendor("nvidia", lambda: "nvapi-" + rs(64, B64URL), ("Authorization", "Bearer "), "NVIDIA_API_KEY"),
    Vendor("octopus", lambda: "API-" + rs(26, UPPER + DIG), ("X-Octopus-ApiKey", ""), "OCTOPUS_API_KEY"),
    Vendor("okta", lambda: "00" + rs(40, B64URL), ("Authorization", "SSWS "), "OKTA_API_TOKEN"),
    Vendor("1password", [lambda: "ops_eyJ" + rs(ri(250, 320), ALNUM + "+/") + "=",
                         lambda: "A3-%s-%s-%s-%s-%s-%s" % (rs(6, UPPER + DIG), rs(6, UPPER + DIG), rs(5, UPPER + DIG), rs(5, UPPER + DIG), rs(5, UPPER + DIG), rs(5, UPPER + DIG))],
           ("Authorization", "Bearer "), "OP_SERVICE_ACCOUNT_TOKEN"),
    Vendor("openrouter", lambda: "sk-or-v1-" + rhex(64), ("Authorization", "Bearer "), "OPENROUTER_API_KEY"),
    Vendor("pagerduty", lambda: ch(["u+", "y_", ""]) + rs(20, B64URL), ("Authorization", "Token token="), "PAGERDUTY_API_TOKEN", prefixless=True),
    Vendor("paypal", [lambda: "A21AA" + rs(ri(80, 95), B64URL), lambda: "E" + rs(79, B64URL)], ("Authorization", "Bearer "), "PAYPAL_ACCESS_TOKEN"),
    Vendor("perplexity", lambda: "pplx-" + rs(48), ("Authorization", "Bearer "), "PERPLEXITY_API_KEY"),
    Vendor("pinecone", lambda: "pcsk_" + rs(5) + "_" + rs(63), ("Api-Key", ""), "PINECONE_API_KEY"),
    Vendor("plaid", [lambda: "access-production-" + uuid4(), lambda: "access-sandbox-" + uuid4()], ("PLAID-SECRET", ""), "PLAID_ACCESS_TOKEN"),
    Vendor("planetscale", [lambda: "pscale_tkn_" + rs(43, B64URL), lambda: "pscale_pw_" + rs(43, B64URL), lambda: "pscale_oauth_" + rs(43, B64URL)],
           ("Authorization", ""), "PLANETSCALE_SERVICE_TOKEN"),
    Vendor("postman", lambda: "PMAK-" + rhex(24) + "-" + rhex(34), ("X-Api-Key", ""), "POSTMAN_API_KEY"),
    Vendor("postmark", lambda: uuid4(), ("X-Postmark-Server-Token", ""), "POSTMARK_SERVER_TOKEN", prefixless=True),
    Vendor("prefect", lambda: "pnu_" + rs(36), ("Authorization", "Bearer "), "PREFECT_API_KEY"),
    Vendor("pulumi", lambda: "pul-" + rhex(40), ("Authorization", "token "), "PULUMI_ACCESS_TOKEN"),
    Vendor("readme", lambda: "rdme_" + rs(70, LOWER + DIG), ("Authorization", "Bearer "), "README_API_KEY"),
    Vendor("render", lambda: "rnd_" + rs(32), ("Authorization", "Bearer "), "RENDER_API_KEY"),
    Vendor("replicate", lambda: "r8_" + rs(37), ("Authorization", "Bearer "), "REPLICATE_API_TOKEN"),
    Vendor("resend", lambda: "re_" + rs(8) + "_" + rs(24), ("Authorization", "Bearer "), "RESEND_API_KEY"),
    Vendor("rollbar", lambda: rhex(32), ("X-Rollbar-Access-Token", ""), "ROLLBAR_ACCESS_TOKEN", prefixless=True),
    Vendor("rubygems", lambda: "rubygems_" + rhex(48), ("Authorization", ""), "GEM_HOST_API_KEY"),
    Vendor("salesforce", lambda: "00D%s!AQ%s" % (rs(12), rs(ri(90, 100), ALNUM + "._")), ("Authorization", "Bearer "), "SF_ACCESS_TOKEN"),
    Vendor("scalingo", lambda: "tk-us-" + rs(48, B64URL), ("Authorization", "Bearer "), "SCALINGO_API_TOKEN"),
    Vendor("segment", lambda: rs(32), ("X-Segment-Write-Key", ""), "SEGMENT_WRITE_KEY", prefixless=True),
    Vendor("brevo", lambda: "xkeysib-" + rhex(64) + "-" + rs(16), ("api-key", ""), "BREVO_API_KEY"),
    Vendor("sentry", lambda: "sntryu_" + rhex(64), ("Authorization", "Bearer "), "SENTRY_AUTH_TOKEN"),
    Vendor("shippo", lambda: ch(["shippo_live_", "shippo_test_"]) + rhex(40), ("Authorization", "ShippoToken "), "SHIPPO_API_TOKEN"),
    Vendor("snyk", lambda: uuid4(), ("Authorization", "token "), "SNYK_TOKEN", prefixless=True),
    Vendor("sonarqube", [lambda: "squ_" + rhex(40), lambda: "sqp_" + rhex(40), lambda: "sqa_" + rhex(40)], ("Authorization", "Bearer "), "SONAR_TOKEN"),
    Vendor("square", [lambda: "EAAA" + rs(60, B64URL), lambda: "sq0csp-" + rs(43, B64URL), lambda: "sq0atp-" + rs(22, B64URL)],
           ("Authorization", "Bearer "), "SQUARE_ACCESS_TOKEN"),
    Vendor("supabase", lambda: "sbp_" + rhex(40), ("Authorization", "Bearer "), "SUPABASE_ACCESS_TOKEN"),
    Vendor("tailscale", [lambda: "tskey-api-k" + rs(10) + "CNTRL-" + rs(33), lambda: "tskey-auth-k" + rs(10) + "CNTRL-" + rs(33)],
           ("Authorization", "Bearer "), "TS_API_KEY"),
    Vendor("telegram", lambda: "%s:AA%s" % (digits(10), rs(33, B64URL)), ("X-Telegram-Bot-Token", ""), "TELEGRAM_BOT_TOKEN",
           url=lambda: ("https://api.telegram.org/bot", None, "/%s" % ch(["sendMessage", "getUpdates", "setWebhook"]))),
    Vendor("terraform", lambda: "%s.atlasv1.%s" % (rs(14, LOWER + DIG), rs(67, B64URL)), ("Authorization", "Bearer "), "TF_TOKEN_app_terraform_io"),
    Vendor("trello", lambda: "ATTA" + rhex(64) + rs(8, HEXU), ("X-Trello-Token", ""), "TRELLO_TOKEN"),
    Vendor("twitter", lambda: "A" * 22 + rs(ri(60, 80)) + "%3D" + rs(ri(20, 40)), ("Authorization", "Bearer "), "TWITTER_BEARER_TOKEN"),
    Vendor("typeform", lambda: "tfp_" + rs(59, B64URL), ("Authorization", "Bearer "), "TYPEFORM_TOKEN"),
    Vendor("vault", [lambda: "hvs." + rs(ri(90, 110), B64URL), lambda: "hvb." + rs(ri(140, 180), B64URL)], ("X-Vault-Token", ""), "VAULT_TOKEN"),
    Vendor("vercel", lambda: rs(24), ("Authorization", "Bearer "), "VERCEL_TOKEN", prefixless=True),
    Vendor("xai", lambda: "xai-" + rs(80), ("Authorization", "Bearer "), "XAI_API_KEY"),
    Vendor("zendesk", lambda: rs(40), ("X-Zendesk-Api-Token", ""), "ZENDESK_API_TOKEN", prefixless=True),
    Vendor("yandex", [lambda: "AQVN" + rs(36, B64URL), lambda: "y0_" + rs(55, B64URL), lambda: "YC" + rs(38, B64URL)], ("Authorization", "Api-Key "), "YC_API_KEY"),
    Vendor("adobe", lambda: "p8e-" + rs(32), ("X-Adobe-Client-Secret", ""), "ADOBE_CLIENT_SECRET"),
    Vendor("beamer", lambda: "b_" + rs(44, B64URL), ("Beamer-Api-Key", ""), "BEAMER_API_KEY"),
    Vendor("infracost", lambda: "ico-" + rs(32), ("X-Api-Key", ""), "INFRACOST_API_KEY"),
    Vendor("openshift", lambda: "sha256~" + rs(43, B64URL), ("Authorization", "Bearer "), "OPENSHIFT_TOKEN"),
    Vendor("sourcegraph", lambda: "sgp_" + rhex(16) + "_" + rhex(40), ("Authorization", "token "), "SRC_ACCESS_TOKEN"),
    Vendor("maxmind", lambda: rs(6) + "_" + rs(29) + "_mmk", ("X-MaxMind-License-Key", ""), "MAXMIND_LICENSE_KEY"),
    Vendor("clickhouse", lambda: "4b1d" + rs(38), ("X-ClickHouse-Key", ""), "CLICKHOUSE_API_SECRET"),
    Vendor("lob", lambda: "live_" + rhex(35), ("X-Lob-Api-Key", ""), "LOB_API_KEY"),
    Vendor("gocardless", lambda: "live_" + rs(40, B64URL), ("Authorization", "Bearer "), "GOCARDLESS_ACCESS_TOKEN"),
    Vendor("codecov", lambda: uuid4(), ("X-Codecov-Token", ""), "CODECOV_TOKEN", prefixless=True),
    Vendor("cohere", lambda: rs(40), ("Authorization", "Bearer "), "CO_API_KEY", prefixless=True),
    Vendor("adafruit", lambda: "aio_" + rs(28), ("X-AIO-Key", ""), "ADAFRUIT_IO_KEY"),
    Vendor("mailersend", lambda: "mlsn." + rhex(64), ("Authorization", "Bearer "), "MAILERSEND_API_KEY"),
    Vendor("ably", lambda: "%s.%s:%s" % (rs(6), rs(6, B64URL), rs(43, B64URL)), ("X-Ably-Key", ""), "ABLY_API_KEY"),
    Vendor("pusher", lambda: rhex(20), ("X-Pusher-Secret", ""), "PUSHER_APP_SECRET", prefixless=True),
    Vendor("meraki", lambda: rhex(40), ("X-Cisco-Meraki-API-Key", ""), "MERAKI_DASHBOARD_API_KEY", prefixless=True),
    Vendor("twitch", lambda: rs(30, LOWER + DIG), ("Authorization", "OAuth "), "TWITCH_OAUTH_TOKEN", prefixless=True),
    Vendor("adyen", lambda: "AQE" + rs(ri(90, 110), ALNUM + "+/") + "==-" + rs(43, ALNUM + "+/") + "=", ("X-API-Key", ""), "ADYEN_API_KEY"),
    Vendor("settlemint", [lambda: "sm_pat_" + rs(16), lambda: "sm_aat_" + rs(16)], ("x-auth-token", ""), "SETTLEMINT_ACCESS_TOKEN"),
    Vendor("intra42", lambda: ch(["s-s4t2ud-", "s-s4t2af-"]) + rhex(64), ("X-Intra-Secret", ""), "FT_CLIENT_SECRET"),
    Vendor("mattermost", lambda: rs(26, LOWER + DIG), ("Authorization", "Bearer "), "MATTERMOST_TOKEN", prefixless=True),
    Vendor("sumologic", lambda: rs(64), ("X-Sumo-Access-Key", ""), "SUMO_ACCESS_KEY", prefixless=True),
    Vendor("coinbase", lambda: rs(64, B64URL), ("CB-ACCESS-KEY", ""), "COINBASE_API_SECRET", prefixless=True),
    Vendor("infisical", lambda: "st." + uuid4() + "." + rhex(32) + "." + rhex(32), ("Authorization", "Bearer "), "INFISICAL_TOKEN"),
]
VENDORS = collections.OrderedDict((v.name, v) for v in V_LIST)
assert len(VENDORS) == len(V_LIST)

VENDOR_COUNT = collections.OrderedDict((v.name, 0) for v in V_LIST)   # committed (accepted records)
VENDOR_PENDING = []                                                   # picks in the record being built


def pick_vendor(pred=None):
    cands = [v for v in V_LIST if pred is None or pred(v)]
    pend = collections.Counter(VENDOR_PENDING)
    best = min(VENDOR_COUNT[v.name] + pend[v.name] for v in cands)
    pool = [v for v in cands if VENDOR_COUNT[v.name] + pend[v.name] == best]
    v = ch(pool)
    VENDOR_PENDING.append(v.name)
    return v


def vtok(v):
    return S(v.token(), v.kind)


def vend_header(v=None, lower=False):
    """-> (header name, F value) with only the token labelled."""
    v = v or pick_vendor()
    name, scheme = v.hdr
    return (name.lower() if lower else name), cat(scheme, vtok(v))


def vend_url(v=None):
    """-> F URL with only the secret path part labelled (webhooks, telegram, cloudinary)."""
    v = v or pick_vendor(lambda x: x.url is not None)
    pre, mid, suf = v.url()
    tok = S(mid, v.kind) if mid is not None else vtok(v)
    return cat(pre, tok, suf)


def vend_kv(v=None, style=None):
    """-> (key name, F value).  style: env|key|camel|dotted"""
    v = v or pick_vendor()
    style = style or ch(["env", "key", "camel", "dotted"])
    if style == "env":
        k = v.env
    elif style == "key":
        k = v.key
    elif style == "camel":
        parts = v.key.split("_")
        k = parts[0] + "".join(p.title() for p in parts[1:])
    else:
        k = v.key.replace("_", ".")
    return k, vtok(v)


# ========================================================================================
# Reusable slots: headers, query strings, bodies, paths, free text
# ========================================================================================
API_HOSTS = ["api.acme-shop.example", "auth.globex.example", "gw.initech.example", "orders.umbrella.example",
             "api.northwind.example", "id.contoso.example", "pay.wayne-ent.example", "m.stark.example"]


def apigw_host(aid=None, region=None):
    return "%s.execute-api.%s.amazonaws.com" % (aid or api_id(), region or ch(REGIONS))


def api_host():
    return ch(API_HOSTS)


def hname(name, lower):
    return name.lower() if lower else name


def secret_header(lower=False, allow=None):
    """-> (header name, F value) carrying one secret."""
    opts = allow or ["jwt", "jwt", "opaque", "basic", "apikey", "vendor", "vendor", "vendor", "vendor", "vendor", "vendor", "cookie", "sts", "csrf"]
    k = ch(opts)
    if k == "jwt":
        return hname("Authorization", lower), cat("Bearer ", S(jwt(), "jwt"))
    if k == "opaque":
        return hname("Authorization", lower), cat(ch(["Bearer ", "bearer "]), S(opaque_token(), "bearer_token"))
    if k == "basic":
        u = ch([ch(FIRST), email(), "svc-%s" % ch(SVCS), "admin"])
        return hname("Authorization", lower), cat("Basic ", S(b64("%s:%s" % (u, password(unicode_ok=False))), "basic_auth"))
    if k == "apikey":
        return hname(ch(["x-api-key", "X-API-Key"]), lower), S(apigw_key(), "api_gateway_api_key")
    if k == "vendor":
        return vend_header(lower=lower)
    if k == "cookie":
        return hname("Cookie", lower), cookie_header(False)
    if k == "sts":
        return hname("X-Amz-Security-Token", lower), S(aws_session_token(), "aws_session_token")
    nm, v = csrf_cookie()
    return hname(ch(["X-CSRF-Token", "X-XSRF-TOKEN", "RequestVerificationToken", "X-CSRFToken"]), lower), \
        S(rs(ch([32, 43, 64]), B64URL), "csrf_token")


def benign_headers(t, lower=False, n=None, host=None):
    pool = [
        lambda: ("Host", K(host or api_host())),
        lambda: ("User-Agent", K(ua())),
        lambda: ("Accept", F(ch(["application/json", "*/*", "text/html,application/xhtml+xml"]))),
        lambda: ("Content-Type", F(ch(["application/json", "application/x-www-form-urlencoded", "application/grpc"]))),
        lambda: ("X-Forwarded-For", K(", ".join([ip_pub()] + [ip_priv() for _ in range(ri(0, 2))]))),
        lambda: ("X-Amzn-Trace-Id", K("Root=" + xray(t))),
        lambda: ("traceparent", K(traceparent())),
        lambda: ("X-Request-Id", K(uuid4())),
        lambda: ("If-None-Match", K(etag())),
        lambda: ("Accept-Language", F(ch(["en-GB,en;q=0.9", "de-DE,de;q=0.8", "ja-JP", "pt-BR,pt;q=0.9"]))),
        lambda: ("X-Correlation-ID", K(uuid4())),
        lambda: ("CloudFront-Viewer-Country", F(ch(["DE", "GB", "JP", "BR", "IN", "US", "FR"]))),
        lambda: ("X-Forwarded-Proto", F("https")),
        lambda: ("Content-Length", F(str(ri(20, 4000)))),
    ]
    n = n if n is not None else ri(2, 5)
    idx = R.sample(range(len(pool)), n)
    out = []
    for i in idx:
        nm, v = pool[i]()
        out.append((hname(nm, lower), v))
    return out


def masked_header(lower=False):
    k = ri(0, 4)
    if k == 0:
        return hname("Authorization", lower), K(ch(["REDACTED", "[REDACTED]", "Bearer ****", "***", "[Redacted]"]))
    if k == 1:
        return hname("x-api-key", lower), K("*" * 36 + rs(4, ALNUM))
    if k == 2:
        return hname("Cookie", lower), K(ch(["[REDACTED]", "<redacted>", "REDACTED"]))
    if k == 3:
        return hname("Authorization", lower), K("Bearer " + ch(["<token>", "${TOKEN}", "{{access_token}}", "$ACCESS_TOKEN"]))
    return hname("X-Amz-Security-Token", lower), K(ch(["[FILTERED]", "REDACTED"]))


def header_set(t, clean, lower=False, n_sec=None, host=None, masked_p=0.3):
    hs = benign_headers(t, lower, host=host)
    if not clean:
        for _ in range(n_sec or ch([1, 1, 1, 2])):
            hs.insert(ri(0, len(hs)), secret_header(lower))
        if chance(0.25):
            hs.insert(ri(0, len(hs)), vend_header(lower=lower))
    if chance(masked_p):
        hs.insert(ri(0, len(hs)), masked_header(lower))
    return hs


def secret_query(t=None, allow=None):
    """-> list of (name, F raw value)"""
    opts = allow or ["token", "access_token", "id_token", "code", "apikey", "vendor", "email", "phone", "password",
                     "refresh_token", "presign", "otp", "sas", "vendor", "vendor", "vendor", "next", "phone", "email", "next"]
    k = ch(opts)
    if "vendor" in opts and k != "vendor" and chance(0.25):
        k = "vendor"
    if k == "token":
        return [(ch(["token", "reset_token", "t", "verify", "magic", "confirmation_token", "invite"]), S(reset_token(), "reset_token"))]
    if k == "access_token":
        if chance(0.6):
            return [("access_token", S(jwt(), "jwt"))]
        return [("access_token", S(opaque_token(), "oauth_access_token"))]
    if k == "id_token":
        return [("id_token", S(jwt(), "id_token"))]
    if k == "code":
        return [("code", S(auth_code(), "authorization_code")), ("state", F(rs(22, B64URL)))]
    if k == "apikey":
        return [(ch(["api_key", "apikey", "x-api-key"]), S(apigw_key(), "api_gateway_api_key"))]
    if k == "vendor":
        v = pick_vendor()
        return [(ch(["key", "api_key", "token", "access_token", "auth"]), vtok(v))]
    if k == "email":
        return [(ch(["email", "user", "login", "e"]), EM())]
    if k == "phone":
        return [(ch(["phone", "msisdn", "to", "mobile"]), PH())]
    if k == "password":
        return [(ch(["user", "username"]), F(ch(FIRST))), (ch(["password", "pwd", "pass", "senha", "passwort"]), S(password(), "password"))]
    if k == "refresh_token":
        if chance(0.5):
            return [("grant_type", F("authorization_code")), ("code", S(auth_code(), "authorization_code")),
                    ("code_verifier", S(pkce_verifier(), "pkce_code_verifier"))]
        return [("grant_type", F("refresh_token")), ("refresh_token", S(refresh_token(), "oauth_refresh_token"))]
    if k == "presign":
        t = t or CLK.t
        d = _d(t).strftime("%Y%m%d")
        out = [("X-Amz-Algorithm", K("AWS4-HMAC-SHA256")),
               ("X-Amz-Credential", cat(S(aws_akid(), "aws_access_key_id"), "/%s/%s/s3/aws4_request" % (d, ch(REGIONS)))),
               ("X-Amz-Date", F(_d(t).strftime("%Y%m%dT%H%M%SZ"))), ("X-Amz-Expires", F(str(ch([300, 900, 3600])))),
               ("X-Amz-SignedHeaders", K("host"))]
        if chance(0.5):
            out.append(("X-Amz-Security-Token", S(aws_session_token(), "aws_session_token")))
        out.append(("X-Amz-Signature", S(rhex(64), "aws_sigv4_signature")))
        return out
    if k == "otp":
        return [(ch(["otp", "code", "verification_code", "mfa_code"]), S(otp(), "otp_code"))]
    if k == "next":
        # a return URL that itself carries an already-encoded value -> encoded twice in the line
        inner = ch([lambda: cat("/verify?email=", EM(q)), lambda: cat("/reset?token=", S(reset_token(), "reset_token")),
                    lambda: cat("/welcome?phone=", PH(q))])()
        return [(ch(["next", "return_to", "redirect", "continue"]), inner)]
    # Azure SAS
    return [("sv", F("2022-11-02")), ("ss", F("b")), ("srt", F("co")), ("sp", F("rl")),
            ("se", F(ts_iso(CLK.t + 86400, 0))), ("sig", S(rs(43, B64) + "=", "vendor:azure"))]


def benign_query(n=None):
    pool = [
        lambda: ("page", F(str(ri(1, 40)))), lambda: ("limit", F(str(ch([10, 20, 25, 50, 100])))),
        lambda: ("sort", F(ch(["-created_at", "name", "price_asc"]))), lambda: ("cursor", K(cursor())),
        lambda: ("lang", F(ch(["en", "de", "ja", "pt-BR"]))), lambda: ("utm_source", F(ch(["newsletter", "google", "app"]))),
        lambda: ("client_id", K(rs(26, LOWER + DIG))), lambda: ("response_type", F("code")),
        lambda: ("scope", F(ch(["openid profile email", "orders:read"]))), lambda: ("include", F(ch(["items,customer", "lines"]))),
        lambda: ("fields", F(ch(["id,name,status", "sku,price"]))), lambda: ("q", F(ch(["red shoes", "router 5g", "size:xl"]))),
        lambda: ("version", K(semver())), lambda: ("ref", K(rhex(40))),
        lambda: ("order_no", K(luhn_fail())), lambda: ("nextToken", K(cursor())),
    ]
    n = n if n is not None else ri(0, 3)
    return [pool[i]() for i in R.sample(range(len(pool)), n)]


def qs(pairs, enc=q, sep="&"):
    return join(sep, [cat(k, "=", fmap(v, enc)) for k, v in pairs])


def query_set(clean, n_sec=None, t=None, allow=None):
    pairs = benign_query()
    if not clean:
        for _ in range(n_sec or 1):
            sq = secret_query(t, allow)
            pos = ri(0, len(pairs))
            pairs[pos:pos] = sq
    return pairs


def secret_path(clean=False):
    """-> F path.  Secret-carrying paths unless clean."""
    if clean:
        return ch([lambda: cat("/v1/orders/", K(luhn_fail())), lambda: cat("/users/", K(uuid4()), "/profile"),
                   lambda: F("/v2/products/sku-%s" % rs(6, UPPER + DIG)), lambda: cat("/api/invoices/", K("INV-%d-%06d" % (ri(2023, 2025), ri(1, 999999)))),
                   lambda: F("/health"), lambda: cat("/static/app.", K(rhex(20)), ".js"),
                   lambda: cat("/books/isbn/", K(isbn13())), lambda: F("/v1/password/policy")])()
    k = ri(0, 11)
    if k >= 10:
        v = pick_vendor()
        return cat("/v1/integrations/", v.name, "/verify/", vtok(v))
    if k == 0:
        return cat(ch(["/v1/password/reset/", "/reset-password/", "/auth/magic-link/", "/verify-email/", "/invite/accept/"]), S(reset_token(), "reset_token"))
    if k == 1:
        return cat(ch(["/users/", "/v1/customers/by-email/", "/api/unsubscribe/", "/accounts/"]), EM(q), ch(["", "/profile", "/preferences"]))
    if k == 2:
        return cat("/v1/keys/", S(apigw_key(), "api_gateway_api_key"), "/usage")
    if k == 3:
        return cat("/v1/sms/", PH(q), "/verify")
    if k == 4:
        u = vend_url()
        return cat("/proxy/", fmap(u, q))
    if k == 5:
        return cat("/unsubscribe/", S(b64(email()).rstrip("="), "base64_secret"))
    if k == 6:
        return cat("/v1/lookup/ssn/", S(ssn(), "ssn"))
    if k == 7:
        return cat("/oauth/callback/", S(auth_code(), "authorization_code"))
    if k == 8:
        return cat("/share/", S(opaque_token(43), "bearer_token"), "/download")
    return cat("/v2/verify/", S(b64url(email()), "base64_secret"), "/", S(rhex(40), "reset_token"))


def pw_pair(clean, keys=None):
    """-> (key, F value) for a password field."""
    key = ch(keys or PW_KEYS)
    if clean:
        return key, K(mask())
    return key, S(password(), "password")


def body_login(clean, email_key=None):
    d = collections.OrderedDict()
    d[email_key or ch(EMAIL_KEYS)] = K("j***@e***.com") if clean else EM()
    k, v = pw_pair(clean)
    d[k] = v
    if chance(0.4):
        d["remember_me"] = ch([True, False])
    if chance(0.3):
        d["device_id"] = K(uuid4())
    return d


def body_signup(clean):
    d = collections.OrderedDict()
    d[ch(EMAIL_KEYS[:9])] = K("u***@example.com") if clean else EM()
    pw = password()
    if clean:
        d[ch(PW_KEYS)] = K(mask())
        d[ch(PW_CONFIRM_KEYS)] = K(mask())
    else:
        d[ch(PW_KEYS)] = S(pw, "password")
        d[ch(PW_CONFIRM_KEYS)] = S(pw, "password")
    if chance(0.5):
        d[ch(PHONE_KEYS)] = K("+44 **** ***%03d" % ri(0, 999)) if clean else PH()
    if chance(0.4):
        d[ch(DOB_KEYS)] = K("****-**-**") if clean else S(dob(), "date_of_birth")
    d["locale"] = ch(["en-GB", "de-DE", "fr-FR", "ja-JP", "pt-BR", "es-ES", "ru-RU"])
    d["terms_version"] = K(ch(["2024-01", "v3.2", "2023.11.1"]))
    return d


def body_pwchange(clean):
    d = collections.OrderedDict()
    if clean:
        d[ch(PW_OLD_KEYS)] = K(mask())
        d[ch(PW_NEW_KEYS)] = K(mask())
        return d
    p1, p2 = password(), password()
    d[ch(PW_OLD_KEYS)] = S(p1, "password")
    d[ch(PW_NEW_KEYS)] = S(p2, "password")
    if chance(0.7):
        d[ch(PW_CONFIRM_KEYS)] = S(p2, "password")
    return d


def body_profile(clean):
    d = collections.OrderedDict()
    d["userId"] = K(uuid4())
    n = 0
    if chance(0.75):
        d[ch(PHONE_KEYS)] = K("***-***-%04d" % ri(0, 9999)) if clean else PH()
        n += 1
    if chance(0.5):
        d[ch(ADDR_KEYS)] = K("[REDACTED]") if clean else S(address(), "street_address")
        n += 1
    if chance(0.5) or n == 0:
        d[ch(DOB_KEYS)] = K("**/**/****") if clean else S(dob(), "date_of_birth")
    for x in R.sample(range(6), ch([1, 1, 2])):
        body_profile_id(d, x, clean)
    d["updatedAt"] = K(ts_iso(CLK.t))
    return d


def body_profile_id(d, x, clean):
    if x == 0:
        d[ch(["ssn", "socialSecurityNumber", "ssn_last4"])] = K("***-**-%04d" % ri(0, 9999)) if clean else S(ssn(chance(0.7)), "ssn")
    elif x == 1:
        d[ch(["nino", "nationalInsuranceNumber", "ni_number"])] = K("QQ******C") if clean else S(nino(), "uk_nino")
    elif x == 2:
        d[ch(["passport_number", "passportNo", "reisepassnummer", "numero_passeport", "pasaporte"])] = K("*******%02d" % ri(0, 99)) if clean else S(passport(), "passport_number")
    elif x == 3:
        d[ch(["tax_id", "taxId", "steuer_id", "pan", "cpf", "ein", "nif", "utr"])] = K("[FILTERED]") if clean else S(tax_id(), "tax_id")
    elif x == 4:
        d[ch(["aadhaar", "aadhaar_number", "national_id"])] = K("XXXX XXXX %04d" % ri(0, 9999)) if clean else S(aadhaar(), "national_id")
    elif x == 5:
        d[ch(["passwordHash", "password_hash", "hashed_password", "PasswordHash"])] = K("<hidden>") if clean else S(pw_hash(), "password_hash")


def body_payment(clean):
    d = collections.OrderedDict()
    d["orderId"] = K(luhn_fail())
    d["amount"] = ri(100, 99999)
    d["currency"] = ch(["EUR", "GBP", "USD", "BRL", "JPY", "INR"])
    if chance(0.6):
        d[ch(["card_number", "cardNumber", "pan", "number", "kartennummer", "numero_carte"])] = \
            K("**** **** **** %04d" % ri(0, 9999)) if clean else S(card(), "card_number")
        d["exp"] = "%02d/%02d" % (ri(1, 12), ri(25, 31))
    else:
        d[ch(["iban", "IBAN", "debtorIban", "iban_number", "conta_iban"])] = K("DE** **** **** **** **%02d %02d" % (ri(0, 99), ri(0, 99))) if clean else S(iban(), "iban")
        d["bic"] = K(ch(["DEUTDEFFXXX", "COBADEFFXXX", "BNPAFRPPXXX", "NWBKGB2L", "INGBNL2A"]))
    d["idempotencyKey"] = K(uuid4())
    return d


def body_oauth_form(clean):
    pairs = [("grant_type", F(ch(["authorization_code", "authorization_code", "client_credentials"])))]
    if pairs[0][1].t == "authorization_code":
        pairs.append(("code", K("[FILTERED]") if clean else S(auth_code(), "authorization_code")))
        pairs.append(("redirect_uri", K("https://app.%s/callback" % ch(["acme-shop.example", "globex.example"]))))
        if chance(0.6):
            pairs.append(("code_verifier", K("[FILTERED]") if clean else S(pkce_verifier(), "pkce_code_verifier")))
    pairs.append(("client_id", K(rs(26, LOWER + DIG))))
    if chance(0.7):
        pairs.append(("client_secret", K("********") if clean else S(client_secret(), "client_secret")))
    return pairs


def body_token_response(clean):
    d = collections.OrderedDict()
    d["access_token"] = K("eyJ...REDACTED") if clean else S(jwt(), "jwt")
    d["token_type"] = "Bearer"
    d["expires_in"] = ch([300, 900, 3600])
    if chance(0.6):
        d["refresh_token"] = K("[FILTERED]") if clean else S(refresh_token(), "oauth_refresh_token")
    if chance(0.4):
        d["id_token"] = K("[FILTERED]") if clean else S(jwt(), "id_token")
    d["scope"] = ch(["openid profile email", "orders:read orders:write"])
    return d


def body_reset(clean):
    d = collections.OrderedDict()
    d[ch(["token", "resetToken", "reset_token", "code"])] = K("[FILTERED]") if clean else S(reset_token(), "reset_token")
    if clean:
        d[ch(PW_KEYS)] = K(mask())
    else:
        pw = password()
        d[ch(PW_KEYS)] = S(pw, "password")
        d[ch(PW_CONFIRM_KEYS)] = S(pw, "password")
    return d


def body_sms(clean):
    d = collections.OrderedDict()
    d[ch(["to", "recipient", "msisdn", "destination"])] = K("+49 *** *****%02d" % ri(0, 99)) if clean else PH()
    if clean:
        d["template"] = K(ch(["otp_v2", "order_shipped", "welcome"]))
    else:
        code = otp()
        d["body"] = cat(ch(["Your verification code is ", "Ihr Code lautet ", "Votre code : ", "Seu código é ", "認証コード: "]),
                        S(code, "otp_code"))
    d["messageId"] = K("SM" + rhex(32))
    return d


def body_integration(clean):
    """Third-party integration settings posted by an admin UI."""
    d = collections.OrderedDict()
    v = pick_vendor() if not clean else None
    d["provider"] = v.name if v else ch(["stripe", "twilio", "sendgrid", "slack"])
    d["enabled"] = True
    if clean:
        d[ch(["apiKey", "api_key", "token", "secret"])] = K(ch(["****" + rs(4, ALNUM), "<unchanged>", "[REDACTED]"]))
    else:
        kn, tk = vend_kv(v, style=ch(["camel", "key"]))
        d[ch(["apiKey", "api_key", "token", "secret", kn])] = tk
        if chance(0.3):
            d["webhookUrl"] = vend_url()
    d["integrationId"] = K(uuid4())
    return d


def body_oauth_json(clean):
    return collections.OrderedDict(body_oauth_form(clean))


BODIES = [body_login, body_signup, body_pwchange, body_profile, body_payment, body_token_response, body_reset, body_sms,
          body_integration, body_integration, body_oauth_json]


def body_any(clean, pool=None):
    return ch(pool or BODIES)(clean)


def free_text_pii(clean):
    """A sentence with PII and no field name (phones and e-mails without context)."""
    if clean:
        return ch([F("customer asked for a callback tomorrow"), cat("order ", K(luhn_fail()), " delayed at depot"),
                   cat("ticket ", K("INC-%07d" % ri(1, 9999999)), " reopened"), F("pls reset my pw, the link expired")])
    k = ri(0, 12)
    if k >= 11:
        k = 1
    if k == 9:
        return cat(ch(["new number: ", "neue Nummer ", "nouveau numéro : ", "meu novo número ", "my cell is ", "WhatsApp "]), PH())
    if k == 10:
        return cat("callback requested ", PH(), ch([" (urgent)", " after 5pm", ""]))
    if k == 8:
        v = pick_vendor()
        return cat(ch(["here is the ", "new ", "rotated ", "pls use the "]), v.name, ch([" key: ", " token ", " secret = "]), vtok(v))
    if k == 0:
        return cat(ch(["call me back on ", "ruf mich an: ", "rappelez-moi au ", "me liga no ", "折り返しは "]), PH())
    if k == 1:
        if chance(0.3):
            e = email()
            return cat("contact <mailto:", EM(raw=e), "|", EM(raw=e), "> re refund")
        return cat(ch(["reach me at ", "schreib an ", "écrivez à ", "mande para "]), EM(obf=chance(0.7)), ch(["", " thx", " pls"]))
    if k == 2:
        return cat("my new password is ", S(password(), "password"), ch(["", " - dont tell anyone", " lol"]))
    if k == 3:
        return cat(ch(["mein Passwort ist ", "mi contraseña es ", "mon mot de passe est ", "minha senha é ", "パスワードは "]),
                   S(password(), "password"))
    if k == 4:
        return cat("deliver to ", S(address(), "street_address"), " before 6pm")
    if k == 5:
        return cat("card ", S(card(), "card_number"), " was declined twice")
    if k == 6:
        return cat("pls refund to ", S(iban(), "iban"))
    if chance(0.5):
        return cat(ch(["my NI number is ", "NINO ", "national insurance no. "]), S(nino(), "uk_nino"))
    return cat("born ", S(dob(), "date_of_birth"), ", passport ", S(passport(), "passport_number"))


# ========================================================================================
# Record assembly and self-checks
# ========================================================================================
class CheckError(Exception):
    pass


ID_RE = re.compile(r"^h4-([a-z0-9_]+)-(\d{4})$")
JSON_LAYOUTS = ("httpapi_json", "envoy_json", "otel")
LAYOUT_NAMES = []   # filled by the layout table


def occurrences(hay, needle):
    out, i = [], hay.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = hay.find(needle, i + 1)
    return out


def check_record(rec, inserted=None):
    keys = list(rec.keys())
    if keys != ["id", "layout", "line", "secrets", "kinds", "keep"]:
        raise CheckError("fields %r" % keys)
    m = ID_RE.match(rec["id"])
    if not m or m.group(1) != rec["layout"] or rec["layout"] not in LAYOUT_NAMES:
        raise CheckError("bad id/layout %s %s" % (rec["id"], rec["layout"]))
    line = rec["line"]
    if not isinstance(line, str) or "\n" in line or "\r" in line:
        raise CheckError("CR/LF in line")
    if len(line.encode("utf-8")) > MAX_LINE_BYTES:
        raise CheckError("line too long (%d bytes)" % len(line.encode("utf-8")))
    sec, kinds, keep = rec["secrets"], rec["kinds"], rec["keep"]
    if len(sec) != len(kinds):
        raise CheckError("secrets/kinds length")
    if len(set(sec)) != len(sec) or len(set(keep)) != len(keep):
        raise CheckError("duplicates in secrets or keep")
    if not keep:
        raise CheckError("no keep")
    for s in sec:
        if len(s) < 6 or s != s.strip():
            raise CheckError("bad secret shape %r" % s)
        if s not in line:
            raise CheckError("secret not in line %r" % s)
    for k in kinds:
        if not re.match(r"^[a-z0-9_]+(:[a-z0-9_]+)?$", k):
            raise CheckError("bad kind %r" % k)
    for k in keep:
        if len(k) < 3:
            raise CheckError("short keep %r" % k)
        if k not in line:
            raise CheckError("keep not in line %r" % k)
        for s in sec:
            if s in k:
                raise CheckError("keep %r contains secret %r" % (k, s))
    sec_occ = []
    for s in sec:
        sec_occ.extend(occurrences(line, s))
    for k in keep:
        for (a, b) in occurrences(line, k):
            for (c, d) in sec_occ:
                if a < d and c < b:
                    raise CheckError("keep %r overlaps a secret occurrence" % k)
    # no accidental copies: occurrences not inside a longer labelled secret <= deliberate insertions
    if inserted is not None:
        for s in sec:
            longer = [x for x in sec if len(x) > len(s) and s in x]
            spans = []
            for x in longer:
                spans.extend(occurrences(line, x))
            n = 0
            for (a, b) in occurrences(line, s):
                if not any(c <= a and b <= d for (c, d) in spans):
                    n += 1
            if n > inserted.get(s, 0):
                raise CheckError("secret %r occurs %d times, inserted %d" % (s, n, inserted.get(s, 0)))
    if rec["layout"] in JSON_LAYOUTS or line.startswith("{"):
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise CheckError("JSON layout does not parse: %s" % e)
        if not isinstance(obj, dict):
            raise CheckError("JSON layout is not an object")


def make_record(layout, seq, frag, clean):
    f = asF(frag)
    line = f.t
    secrets, kinds, inserted = [], [], collections.OrderedDict()
    for lab, kd in f.s:
        inserted[lab] = inserted.get(lab, 0) + 1
        if lab in secrets:
            if kinds[secrets.index(lab)] != kd:
                raise CheckError("label %r has two kinds" % lab)
            continue
        secrets.append(lab)
        kinds.append(kd)
    keep = []
    for k in f.k:
        if k not in keep:
            keep.append(k)
    if clean and secrets:
        raise CheckError("clean record has secrets")
    if not clean and not secrets:
        raise CheckError("secret record has no secrets")
    rec = collections.OrderedDict()
    rec["id"] = "h4-%s-%04d" % (layout, seq)
    rec["layout"] = layout
    rec["line"] = line
    rec["secrets"] = secrets
    rec["kinds"] = kinds
    rec["keep"] = keep
    check_record(rec, inserted)
    return rec, inserted


# ========================================================================================
# Layout: httpapi_json - API Gateway HTTP API (v2) JSON access logs, custom field names
# ========================================================================================
HTTP_ROUTES = [("POST", "/auth/login"), ("POST", "/auth/signup"), ("GET", "/users/{userId}"), ("PUT", "/users/{userId}/profile"),
               ("POST", "/v1/payments"), ("GET", "/orders/{orderId}"), ("ANY", "/{proxy+}"), ("POST", "/password/reset"),
               ("GET", "/v1/keys/{keyId}/usage"), ("POST", "/oauth2/token"), ("DELETE", "/sessions/{sessionId}"),
               ("GET", "/unsubscribe/{token}"), ("PATCH", "/accounts/{accountId}")]


def cognito_iss(region):
    return "https://cognito-idp.%s.amazonaws.com/%s_%s" % (region, region, rs(9))


def jwt_claims(clean, region, style="flat"):
    """JWT authorizer claims ($context.authorizer.claims.*) with personal data."""
    c = collections.OrderedDict()
    c["sub"] = F(uuid4())                             # unlabelled on purpose
    c["iss"] = K(cognito_iss(region))
    c["client_id"] = K(rs(26, LOWER + DIG))
    c["token_use"] = "access"
    c["scope"] = ch(["openid profile email", "aws.cognito.signin.user.admin", "orders/read orders/write"])
    if clean:
        c["email_verified"] = "true"
        c["cognito:groups"] = ch(["[admin]", "[customers]", "[support ops]"])
        return c
    sel = R.sample(["email", "phone_number", "birthdate", "address", "username_email", "custom:tax_id", "custom:iban"], ri(1, 3))
    for s in sel:
        if s == "email":
            c["email"] = EM()
        elif s == "phone_number":
            c["phone_number"] = PH()
        elif s == "birthdate":
            c["birthdate"] = S(dob("iso"), "date_of_birth")
        elif s == "address":
            c["address"] = S(address(), "street_address")
        elif s == "username_email":
            c["cognito:username"] = EM()
        elif s == "custom:tax_id":
            c["custom:tax_id"] = S(tax_id(), "tax_id")
        else:
            c["custom:iban"] = S(iban(), "iban")
    return c


def L_httpapi_json(clean):
    t = CLK.new()
    region, aid = ch(REGIONS), api_id()
    rid = apigw_rid()
    method, route = ch(HTTP_ROUTES)
    if method == "ANY":
        method = ch(["GET", "POST"])
    route_key = "%s %s" % (method if route != "/{proxy+}" else "ANY", route)
    path = secret_path(clean or chance(0.6))
    status = ch([200, 200, 201, 204, 302, 400, 401, 403, 404, 429, 500, 502, 503])
    ipf = ch([ip_pub(), ip_pub(), ip6()])
    v = ri(0, 5)
    sep = ch([SEP_COMPACT, SEP_SPACED])
    d = collections.OrderedDict()
    extra_secret = []

    def need_secret():
        return not clean and not has_secret(jdump(d))

    if v == 0:   # flat, short custom names
        d["rid"] = K(rid)
        d["ts"] = K(ts_clf(t)) if chance(0.5) else K(ts_iso(t))
        d["epoch"] = int(t * 1000)
        d["ip"] = K(ipf)
        d["ua"] = K(ua())
        d["route"] = K(route_key)
        d["path"] = path
        d["st"] = status if chance(0.5) else str(status)
        d["len"] = ri(0, 9000)
        d["ilat"] = ri(3, 2900)
        if chance(0.5):
            d["jwt_iss"] = K(cognito_iss(region))
        if not clean and chance(0.6):
            d[ch(["email", "claims_email", "user_email", "mail"])] = EM()
        if not clean and chance(0.3):
            d[ch(["phone", "claims_phone"])] = PH()
        if chance(0.4):
            d["stage"] = ch(["$default", "prod", "v1"])
    elif v == 1:  # nested objects
        d["requestId"] = K(rid)
        d["http"] = collections.OrderedDict([("method", method), ("path", path), ("protocol", ch(["HTTP/1.1", "HTTP/2.0"])),
                                             ("status", status), ("routeKey", K(route_key))])
        d["identity"] = collections.OrderedDict([("sourceIp", K(ipf)), ("userAgent", K(ua()))])
        d["authorizer"] = collections.OrderedDict([("claims", jwt_claims(clean, region))])
        if chance(0.5):
            d["authorizer"]["error"] = ch(["", "The incoming token has expired", "Invalid issuer"])
        d["integration"] = collections.OrderedDict([("status", str(status)), ("latency", ri(2, 1900)),
                                                    ("requestId", K(uuid4())), ("error", "-")])
        d["domain"] = K(apigw_host(aid, region))
    elif v == 2:  # dotted $context names used as keys
        d["context.requestId"] = K(rid)
        d["context.extendedRequestId"] = K(rid)
        d["context.requestTime"] = K(ts_clf(t))
        d["context.identity.sourceIp"] = K(ipf)
        d["context.routeKey"] = K(route_key)
        d["context.path"] = path
        d["context.status"] = str(status)
        d["context.authorizer.principalId"] = F("user|" + rhex(24))     # unlabelled on purpose
        if not clean:
            ks = R.sample(["email", "phone_number", "birthdate", "custom:passport"], ri(1, 2))
            for k in ks:
                if k == "email":
                    d["context.authorizer.claims.email"] = EM()
                elif k == "phone_number":
                    d["context.authorizer.claims.phone_number"] = PH()
                elif k == "birthdate":
                    d["context.authorizer.claims.birthdate"] = S(dob("iso"), "date_of_birth")
                else:
                    d["context.authorizer.claims.custom:passport"] = S(passport(), "passport_number")
        else:
            d["context.authorizer.claims.email_verified"] = "true"
        d["context.integrationLatency"] = str(ri(3, 900))
        d["context.awsEndpointRequestId"] = K(uuid4())
    elif v == 3:  # Lambda authorizer context values leaking into access log
        d["requestId"] = K(rid)
        d["requestTime"] = K(ts_clf(t))
        d["sourceIp"] = K(ipf)
        d["routeKey"] = K(route_key)
        d["status"] = str(status)
        d["authorizer.principalId"] = F(ch(["user|", "auth0|", "tenant#"]) + rhex(24))
        d["authorizer.tenantId"] = K("tnt_" + rs(12, LOWER + DIG))
        d["authorizer.latency"] = ri(1, 300)
        if clean:
            d["authorizer.scopes"] = "orders:read profile:read"
            d["authorizer.apiKeyHint"] = K("****" + rs(4, ALNUM))
        else:
            opts = R.sample(["email", "upstream", "session", "phone", "apikey", "vendor"], ri(1, 2))
            for o in opts:
                if o == "email":
                    d["authorizer.userEmail"] = EM()
                elif o == "upstream":
                    d["authorizer.upstreamToken"] = S(jwt(), "jwt")
                elif o == "session":
                    d["authorizer.sessionToken"] = S(opaque_token(), "bearer_token")
                elif o == "phone":
                    d["authorizer.mobile"] = PH()
                elif o == "apikey":
                    d["authorizer.apiKey"] = S(apigw_key(), "api_gateway_api_key")
                else:
                    kname, tok = vend_kv(style="camel")
                    d["authorizer." + kname] = tok
        d["path"] = path
    elif v == 4:  # mTLS client certificate fields
        d["requestId"] = K(rid)
        d["ip"] = K(ipf)
        d["requestTime"] = K(ts_iso(t))
        d["routeKey"] = K(route_key)
        d["status"] = status
        cn = ch(["device-%s" % rs(8, LOWER + DIG), "svc-%s.internal" % ch(SVCS)])
        if clean:
            dn = F("CN=%s,OU=Devices,O=Example Corp,C=DE" % cn)
        else:
            dn = cat("EMAILADDRESS=", EM(), ",CN=", ch(FIRST).title(), " ", ch(LAST).title(), ",O=Example Corp,C=", ch(["DE", "GB", "FR"]))
        d["clientCert"] = collections.OrderedDict([
            ("subjectDN", dn), ("issuerDN", "CN=Example Issuing CA 2,O=Example Corp,C=DE"),
            ("serialNumber", K(":".join(rs(2, HEXU) for _ in range(16)))),
            ("notAfter", K(ts_iso(t + 86400 * ri(30, 700), 0))),
            ("pem", K("-----BEGIN CERTIFICATE-----\nMIID" + rs(56, B64) + "\n" + rs(64, B64) + "\n-----END CERTIFICATE-----"))])
        d["path"] = path
    else:  # error-focused
        d["requestId"] = K(rid)
        d["ip"] = K(ipf)
        d["requestTime"] = K(ts_clf(t))
        d["routeKey"] = K(route_key)
        d["status"] = ch([401, 403, 500, 502, 504])
        d["path"] = path
        if clean:
            d["errorMessage"] = ch([K("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '%s'." % b64(hashlib.sha256(rs(20).encode()).digest())),
                                    F("Unauthorized"), F("Internal Server Error"), F("Endpoint request timed out")])
            d["integrationErrorMessage"] = ch(["-", "Lambda.ServiceException", "connect ETIMEDOUT 10.0.3.4:5432"])
        else:
            e = ri(0, 4)
            if e == 0:
                d["integrationErrorMessage"] = cat("connect ECONNREFUSED ", conn_string())
            elif e == 1:
                hn, hv = vend_header()
                d["integrationErrorMessage"] = cat("Request failed with status code 401 (", hn, ": ", hv, ")")
            elif e == 2:
                d["errorMessage"] = cat("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization=Bearer ",
                                        S(jwt(), "jwt"))
            elif e == 3:
                d["integrationErrorMessage"] = cat("duplicate key value violates unique constraint \"users_email_key\": Key (email)=(", EM(), ") already exists.")
            else:
                d["authorizerError"] = cat("API key not found: ", S(apigw_key(), "api_gateway_api_key"))
            d["integrationStatus"] = str(ch([500, 502, 401]))
    if not clean and chance(0.35):
        kn, tk = vend_kv(style=ch(["camel", "dotted"]))
        d[ch(["authorizer.", "ctx.", "upstream."]) + kn] = tk
    if need_secret():
        d[ch(["claims_email", "userEmail", "authorizer.email"])] = EM()
    return jdump(d, sep=sep, ascii_=chance(0.2))


# ========================================================================================
# Layout: websocket - API Gateway WebSocket API access and execution logs, $connect events
# ========================================================================================
def ws_conn_id():
    return rs(15, ALNUM) + "="


def ws_url(aid, region, stage, qpairs):
    return cat("wss://", apigw_host(aid, region), "/", stage, "?", qs(qpairs))


def L_websocket(clean):
    t = CLK.new()
    region, aid, stage = ch(REGIONS), api_id(), ch(["production", "prod", "dev", "v1"])
    cid, rid = ws_conn_id(), apigw_rid()
    ipf = ip_pub()
    v = ri(0, 7)
    if v == 0:   # access log JSON
        d = collections.OrderedDict()
        d["requestId"] = K(rid)
        d["ip"] = K(ipf)
        d["caller"] = "-"
        d["user"] = "-"
        d["requestTime"] = K(ts_clf(t))
        ev = ch(["CONNECT", "MESSAGE", "DISCONNECT"])
        d["eventType"] = ev
        d["routeKey"] = K({"CONNECT": "$connect", "MESSAGE": ch(["sendMessage", "$default", "subscribe"]), "DISCONNECT": "$disconnect"}[ev])
        d["status"] = str(ch([200, 200, 401, 403, 500]))
        d["connectionId"] = K(cid)
        if ev == "MESSAGE":
            d["messageId"] = K(apigw_rid())
        d["connectedAt"] = int(t * 1000) - ri(0, 600000)
        if not clean:
            for o in R.sample(["email", "apikey", "phone", "error", "vendor", "vendor"], ri(1, 2)):
                if o == "email":
                    d["authorizer.email"] = EM()
                elif o == "apikey":
                    d["apiKey"] = S(apigw_key(), "api_gateway_api_key")
                elif o == "phone":
                    d["authorizer.phone"] = PH()
                elif o == "vendor":
                    kn, tk = vend_kv(style="camel")
                    d["authorizer." + kn] = tk
                else:
                    d["error"] = cat("Unauthorized: invalid token ", S(jwt(), "jwt"))
        else:
            d["authorizer.principalId"] = F("user|" + rhex(20))
            d["error"] = "-"
        return jdump(d, sep=ch([SEP_COMPACT, SEP_SPACED]))
    if v == 1:   # CLF-like custom access format
        ev = ch(["CONNECT", "MESSAGE", "DISCONNECT"])
        rk = {"CONNECT": "$connect", "MESSAGE": "sendMessage", "DISCONNECT": "$disconnect"}[ev]
        tail = F("-")
        if not clean:
            tail = ch([lambda: cat("principal=", EM()), lambda: cat("apiKey=", S(apigw_key(), "api_gateway_api_key")),
                       lambda: cat("err=\"Forbidden token=", S(opaque_token(), "bearer_token"), "\"")])()
        return cat(K(ipf), " - - [", K(ts_clf(t)), "] \"", ev, " ", K(rk), "\" ", str(ch([200, 403, 410])), " ", K(cid), " ", K(rid), " ", tail)
    if v == 2:   # execution log: client connecting
        return cat("(", K(rid), ") Client [UserAgent: ", K(ua()), ", SourceIp: ", K(ipf), "] is connecting to WebSocket API [",
                   K(aid), "].", "" if clean else cat(" Query string: {", join(", ", [cat(k, "=", v_) for k, v_ in query_set(False, allow=["token", "access_token", "apikey", "email", "vendor"])]), "}"))
    if v == 3:   # execution log: endpoint request body ($connect proxy event)
        qp = collections.OrderedDict()
        if clean:
            qp["room"] = "lobby"
            qp["v"] = K(semver())
        else:
            for k, vv in secret_query(t, allow=["token", "access_token", "apikey", "vendor", "email", "id_token"]):
                qp[k] = vv
            if chance(0.5):
                qp["room"] = ch(["support", "orders", "lobby"])
        hdr = collections.OrderedDict()
        hdr["Host"] = K(apigw_host(aid, region))
        hdr["Sec-WebSocket-Extensions"] = "permessage-deflate; client_max_window_bits"
        hdr["Sec-WebSocket-Key"] = K(b64(rs(16)))
        hdr["Sec-WebSocket-Version"] = "13"
        if not clean and chance(0.4):
            hdr["Sec-WebSocket-Protocol"] = cat("access_token, ", S(jwt(), "jwt"))
        hdr["X-Forwarded-For"] = K(ipf)
        hdr["X-Amzn-Trace-Id"] = K("Root=" + xray(t))
        ev = collections.OrderedDict([("headers", hdr), ("queryStringParameters", qp),
                                      ("requestContext", collections.OrderedDict([
                                          ("routeKey", K("$connect")), ("eventType", "CONNECT"), ("extendedRequestId", K(rid)),
                                          ("requestTime", K(ts_clf(t))), ("messageDirection", "IN"), ("stage", stage),
                                          ("connectedAt", int(t * 1000)), ("requestTimeEpoch", int(t * 1000)),
                                          ("identity", collections.OrderedDict([("sourceIp", K(ipf)), ("userAgent", K(ua()))])),
                                          ("requestId", K(rid)), ("domainName", apigw_host(aid, region)), ("connectionId", K(cid)),
                                          ("apiId", K(aid))])), ("isBase64Encoded", False)])
        return cat("(", K(rid), ") Endpoint request body after transformations: ", jdump(ev))
    if v == 4:   # Lambda $connect handler, Node util.inspect of the event
        qp = collections.OrderedDict()
        if clean:
            qp["clientVersion"] = K(semver())
        else:
            for k, vv in secret_query(t, allow=["token", "access_token", "vendor", "email", "phone"]):
                qp[k] = vv
        hdr = collections.OrderedDict([("Host", apigw_host(aid, region)), ("Origin", "https://app.%s" % ch(["acme-shop.example", "globex.example"])),
                                       ("Sec-WebSocket-Key", K(b64(rs(16)))), ("Sec-WebSocket-Version", "13")])
        if not clean and chance(0.5):
            nm, val = session_cookie()
            hdr["Cookie"] = cat(nm, "=", val)
        ev = collections.OrderedDict([("headers", hdr), ("queryStringParameters", qp),
                                      ("requestContext", collections.OrderedDict([("routeKey", K("$connect")), ("eventType", "CONNECT"),
                                                                                  ("connectionId", K(cid)), ("apiId", K(aid)),
                                                                                  ("identity", collections.OrderedDict([("sourceIp", K(ipf))]))])),
                                      ("isBase64Encoded", False)])
        return cat(K(ts_iso(t)), "\t", K(uuid4()), "\tINFO\tconnect event ", js_inspect(ev))
    if v == 5:   # browser/client console error with wss URL
        qp = benign_query(ri(0, 1))
        if not clean:
            qp = qp + secret_query(t, allow=["token", "access_token", "apikey", "email", "vendor"])
        else:
            qp.append(("room", F("lobby")))
        return cat("WebSocket connection to '", ws_url(aid, region, stage, qp), "' failed: ",
                   ch(["Error during WebSocket handshake: Unexpected response code: 403", "Connection closed before receiving a handshake response"]),
                   " [connId=", K(cid), "]")
    if v == 6:   # MESSAGE route body in execution log
        d = collections.OrderedDict([("action", ch(["sendMessage", "chat", "support"])), ("roomId", K(uuid4()))])
        if clean:
            d["text"] = free_text_pii(True)
        else:
            d["text"] = free_text_pii(False) if chance(0.6) else cat(ch(["my email is ", "mail me: ", "kontakt: ", "email: "]), EM(obf=True))
            if chance(0.3):
                d["to"] = PH()
        return cat("(", K(rid), ") Endpoint request body after transformations: ", jdump(d, ascii_=chance(0.3)),
                   " [connectionId: ", K(cid), "]")
    # v == 7: @connections management API call logged by backend
    body = collections.OrderedDict([("type", ch(["order.updated", "notification", "otp"])), ("ts", K(ts_iso(t)))])
    if not clean:
        x = ri(0, 2)
        if x == 0:
            body["otp"] = S(otp(), "otp_code")
        elif x == 1:
            body["email"] = EM()
        else:
            body["resetLink"] = cat("https://app.acme-shop.example/reset?token=", S(reset_token(), "reset_token"))
    else:
        body["orderId"] = K(luhn_fail())
    return cat("POST https://", apigw_host(aid, region), "/", stage, "/@connections/", K(q(cid)), " 200 payload=", jdump(body))


# ========================================================================================
# Layout: authorizer - Lambda authorizer function logs and authorizer execution-log lines
# ========================================================================================
def exec_arn(region, acc, aid, stage, method, path):
    return "arn:aws:execute-api:%s:%s:%s/%s/%s%s" % (region, acc, aid, stage, method, path)


def lambda_prefix(t, style=None):
    rid = uuid4()
    style = style or ch(["node", "python", "plain"])
    if style == "node":
        return cat(K(ts_iso(t)), "\t", K(rid), "\t", ch(["INFO", "WARN", "ERROR"]), "\t")
    if style == "python":
        return cat("[", ch(["INFO", "WARNING", "ERROR"]), "]\t", K(ts_iso(t)), "\t", K(rid), "\t")
    return F("")


def L_authorizer(clean):
    t = CLK.new()
    region, acc, aid = ch(REGIONS), acct(), api_id()
    stage = ch(["prod", "dev", "v1", "$default"])
    method = ch(["GET", "POST", "PUT", "DELETE"])
    path = ch(["/orders", "/users/me", "/v1/payments", "/admin/reports", "/items/42"])
    arn = K(exec_arn(region, acc, aid, stage, method, path))
    pre = lambda_prefix(t)
    v = ri(0, 8)
    if v == 0:   # TOKEN event
        if clean:
            tok = K(ch(["Bearer <redacted>", "REDACTED", "Bearer ****"]))
        else:
            tok = ch([lambda: cat("Bearer ", S(jwt(), "jwt")), lambda: S(jwt(), "jwt"), lambda: cat(*vend_header()[1:]),
                      lambda: cat("Bearer ", S(opaque_token(), "bearer_token")), lambda: cat(*vend_header()[1:])])()
        d = collections.OrderedDict([("type", "TOKEN"), ("authorizationToken", tok), ("methodArn", arn)])
        return cat(pre, ch(["Event: ", "event=", "Received event: "]), jdump(d, sep=ch([SEP_COMPACT, SEP_SPACED])))
    if v == 1:   # REQUEST event (REST, payload v1)
        hdr = collections.OrderedDict((nm, val) for nm, val in header_set(t, clean, lower=chance(0.5), masked_p=0.2))
        qsp = collections.OrderedDict((k, val) for k, val in query_set(clean and True, allow=["token", "apikey", "email", "vendor"]))
        d = collections.OrderedDict([("type", "REQUEST"), ("methodArn", arn), ("resource", K(ch(ROUTE_TEMPLATES))), ("path", path),
                                     ("httpMethod", method), ("headers", hdr), ("queryStringParameters", qsp or None),
                                     ("pathParameters", {}), ("stageVariables", {"env": stage}),
                                     ("requestContext", collections.OrderedDict([("accountId", K(acc)), ("apiId", K(aid)), ("requestId", K(uuid4())),
                                                                                 ("identity", collections.OrderedDict([("sourceIp", K(ip_pub()))]))]))])
        return cat(pre, jdump(d))
    if v == 2:   # HTTP API payload v2 authorizer event
        idsrc = []
        ck = []
        if clean:
            idsrc.append(K("Bearer [REDACTED]"))
            ck.append(cat(*benign_cookie_pair()))
        else:
            idsrc.append(cat("Bearer ", S(jwt(), "jwt")))
            if chance(0.5):
                idsrc.append(S(apigw_key(), "api_gateway_api_key"))
            for _ in range(ri(1, 2)):
                nm, val = session_cookie() if chance(0.7) else csrf_cookie()
                ck.append(cat(nm, "=", val))
            ck.append(cat(*benign_cookie_pair()))
        qp = query_set(clean, allow=["token", "email", "vendor", "apikey"]) if chance(0.5) else benign_query(ri(0, 2))
        d = collections.OrderedDict([("version", "2.0"), ("type", "REQUEST"),
                                     ("routeArn", arn), ("identitySource", idsrc), ("routeKey", K("%s %s" % (method, ch(ROUTE_TEMPLATES)))),
                                     ("rawPath", path), ("rawQueryString", qs(qp)), ("cookies", ck),
                                     ("requestContext", collections.OrderedDict([("accountId", K(acc)), ("apiId", K(aid)), ("domainName", apigw_host(aid, region)),
                                                                                 ("http", collections.OrderedDict([("method", method), ("path", path), ("sourceIp", K(ip_pub())), ("userAgent", K(ua()))])),
                                                                                 ("requestId", K(apigw_rid())), ("timeEpoch", int(t * 1000))]))])
        return cat(pre, "authorizer input ", jdump(d))
    if v == 3:   # IAM policy response with context
        ctx = collections.OrderedDict([("tenant", K("tnt_" + rs(10, LOWER + DIG))), ("scopes", "orders:read orders:write"),
                                       ("stripeCustomer", K("cus_" + rs(14)))])
        if not clean:
            for o in R.sample(["email", "phone", "upstream", "vendor", "dob"], ri(1, 2)):
                if o == "email":
                    ctx["email"] = EM()
                elif o == "phone":
                    ctx["phone"] = PH()
                elif o == "upstream":
                    ctx["downstreamToken"] = S(jwt(), "jwt")
                elif o == "vendor":
                    kn, tk = vend_kv(style="camel")
                    ctx[kn] = tk
                else:
                    ctx["birthdate"] = S(dob(), "date_of_birth")
        pol = collections.OrderedDict([("principalId", F("user|" + rhex(24))),
                                       ("policyDocument", collections.OrderedDict([("Version", "2012-10-17"), ("Statement", [collections.OrderedDict([
                                           ("Action", "execute-api:Invoke"), ("Effect", ch(["Allow", "Deny"])), ("Resource", arn)])])])),
                                       ("context", ctx), ("usageIdentifierKey", S(apigw_key(), "api_gateway_api_key") if (not clean and chance(0.3)) else K(apigw_key_id()))])
        return cat(pre, "returning policy ", jdump(pol))
    if v == 4:   # simple response (HTTP API)
        ctx = collections.OrderedDict([("userId", K(uuid4()))])
        if not clean:
            ctx[ch(["userEmail", "email", "mail"])] = EM()
            if chance(0.4):
                ctx["sessionToken"] = S(opaque_token(), "bearer_token")
        else:
            ctx["plan"] = ch(["free", "pro", "enterprise"])
        return cat(pre, jdump(collections.OrderedDict([("isAuthorized", True), ("context", ctx)])))
    if v == 5:   # python logging lines in authorizer
        if clean:
            return cat(pre, "Validating token kid=", K(rs(43, B64URL)), " iss=", K(cognito_iss(region)), " aud=", K(rs(26, LOWER + DIG)),
                       " alg=RS256 jwks_cache_age=", str(ri(1, 3599)), "s")
        x = ri(0, 4)
        if chance(0.35):
            x = 3
        if x == 0:
            return cat(pre, "Invalid signature for token ", S(jwt(), "jwt"), " (kid=", K(rhex(16)), ")")
        if x == 1:
            return cat(pre, "API key lookup failed for key=", S(apigw_key(), "api_gateway_api_key"), " usagePlan=", K(rs(6, LOWER + DIG)))
        if x == 2:
            return cat(pre, "User ", EM(), " is not in group 'admins'; denying ", arn)
        if x == 3:
            hn, hv = vend_header()
            return cat(pre, "Upstream introspection call with ", hn, ": ", hv, " returned 401 (x-request-id ", K(uuid4()), ")")
        return cat(pre, "decoded claims for kid ", K(rhex(16)), ": ", py_repr(collections.OrderedDict([("sub", uuid4()), ("email", EM()), ("phone_number", PH()),
                                                                             ("cognito:groups", ["customers"]), ("auth_time", int(t))])))
    if v == 6:   # Java toString of the event
        if clean:
            tok = K("Bearer ********")
        else:
            tok = cat("Bearer ", S(jwt(), "jwt"))
        return cat(K(ts_space(t)), " ", K(uuid4()), " INFO  AuthHandler - APIGatewayCustomAuthorizerEvent(version=null, type=TOKEN, methodArn=", arn,
                   ", identitySource=null, authorizationToken=", tok, ", resource=null, path=null, httpMethod=null, headers=null, queryStringParameters=null)")
    if v == 7:   # REST execution-log lines around a custom authorizer
        rid = uuid4()
        x = ri(1, 3)
        if clean:
            return cat("(", K(rid), ") ", ch([cat("Starting authorizer: ", K(rs(6, LOWER + DIG)), " for request: ", K(rid)),
                                               cat("Incoming identity: ", K("**" + rs(6, B64URL) + "..." + rs(6, B64URL))),
                                               cat("Using valid authorizer policy for principal: ", F("user|" + rhex(24))),
                                               F("Successfully completed authorizer execution"),
                                               cat("Authorizer result: ", K("Unauthorized"))]))
        if x == 1:
            return cat("(", K(rid), ") Endpoint request body after transformations: ",
                       jdump(collections.OrderedDict([("type", "TOKEN"), ("methodArn", arn), ("authorizationToken", cat("Bearer ", S(jwt(), "jwt")))])))
        if x == 2:
            ctx = collections.OrderedDict([("email", EM()), ("tenant", K("tnt_" + rs(8, LOWER + DIG)))])
            return cat("(", K(rid), ") Authorizer result body before parsing: ",
                       jdump(collections.OrderedDict([("principalId", F("user|" + rhex(24))), ("context", ctx),
                                                      ("policyDocument", {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": arn}]})])))
        return cat("(", K(rid), ") Authorizer request: ",
                   jdump(collections.OrderedDict([("type", "REQUEST"), ("methodArn", arn),
                                                  ("queryStringParameters", collections.OrderedDict(secret_query(t, allow=["token", "access_token", "apikey"])))])))
    # v == 8: decoded JWT header/payload debug
    payload = collections.OrderedDict([("sub", uuid4()), ("iss", K(cognito_iss(region))), ("aud", K(rs(26, LOWER + DIG))),
                                       ("exp", int(t) + 3600), ("token_use", "id")])
    if not clean:
        for o in R.sample(["email", "phone_number", "birthdate", "address", "custom:ssn"], ri(1, 3)):
            payload[o] = {"email": EM, "phone_number": PH}.get(o, lambda: None)() if o in ("email", "phone_number") else \
                S(dob("iso"), "date_of_birth") if o == "birthdate" else S(address(), "street_address") if o == "address" else S(ssn(), "ssn")
    hdrj = collections.OrderedDict([("alg", "RS256"), ("kid", K(rs(43, B64URL) + "=")), ("typ", "JWT")])
    return cat(pre, "decoded header=", jdump(hdrj), " payload=", jdump(payload, ascii_=chance(0.3)))


def benign_cookie_pair():
    nm, v = benign_cookie()
    return nm, "=", v


# ========================================================================================
# Layouts: envoy_text and envoy_json - Envoy / Istio access logs
# ========================================================================================
ENVOY_FLAGS = ["-", "-", "-", "UH", "UF", "URX", "NR", "DC", "UT", "RL", "UAEX"]


def request_target(clean, t):
    """-> (method, F path-with-query)"""
    method = ch(["GET", "GET", "POST", "PUT", "DELETE", "PATCH"])
    if chance(0.5):
        p = secret_path(clean or chance(0.5))
    else:
        p = F(ch(["/api/v1/orders", "/login", "/oauth2/authorize", "/v2/search", "/callback", "/graphql", "/reset", "/api/users"]))
    qp = query_set(clean or has_secret(p), t=t) if chance(0.85) else []
    if not clean and not has_secret(p) and not any(has_secret(v) for _, v in qp):
        qp = qp + secret_query(t)
    elif not clean and chance(0.15):
        qp = qp + secret_query(t, ["vendor"])
    if qp:
        p = cat(p, "?", qs(qp, enc=ch([q, q, q_lower, q_soft])))
    return method, p


def istio_cluster(svc, port):
    return "outbound|%d||%s.%s.svc.cluster.local" % (port, svc, ch(["default", "prod", "shop", "identity"]))


def L_envoy_text(clean):
    t = CLK.new()
    method, target = request_target(clean, t)
    proto = ch(["HTTP/1.1", "HTTP/2", "HTTP/1.1"])
    code = ch([200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 503, 0])
    flags = ch(ENVOY_FLAGS)
    xff = K(", ".join([ip_pub()] + [ip_priv() for _ in range(ri(0, 2))]))
    reqid = K(uuid4())
    authority = K(ch(API_HOSTS + ["%s.default.svc.cluster.local:8080" % ch(SVCS)]))
    up = K("%s:%d" % (ip_priv(), ch([8080, 9090, 3000, 8443])))
    rx, tx, dur = ri(0, 9000), ri(0, 90000), ri(0, 3000)
    svt = str(ri(0, dur)) if dur else "-"
    uaF = K(ua()) if chance(0.85) else F("-")
    v = ri(0, 5)
    if v == 0:   # Envoy default format
        return cat("[", K(ts_iso(t)), "] \"", method, " ", target, " ", proto, "\" ", str(code), " ", flags, " ", str(rx), " ", str(tx), " ",
                   str(dur), " ", svt, " \"", xff, "\" \"", uaF, "\" \"", reqid, "\" \"", authority, "\" \"", up, "\"")
    if v == 1:   # Istio default TEXT format
        svc = ch(SVCS)
        return cat("[", K(ts_iso(t)), "] \"", method, " ", target, " ", proto, "\" ", str(code), " ", flags, " ",
                   ch(["via_upstream", "-", "ext_authz_denied", "upstream_reset_before_response_started{connection_termination}"]), " - \"-\" ",
                   str(rx), " ", str(tx), " ", str(dur), " ", svt, " \"", xff, "\" \"", uaF, "\" \"", reqid, "\" \"", authority, "\" \"", up, "\" ",
                   K(istio_cluster(svc, ch([8080, 9090]))), " ", K("%s:%d" % (ip_priv(), ri(30000, 60000))), " ", up, " ",
                   K("%s:%d" % (ip_priv(), ri(30000, 60000))), " - ", ch(["default", "-"]))
    if v == 2:   # custom format with request headers appended
        hs = [secret_header(False, ["jwt", "opaque", "basic", "vendor", "cookie", "apikey"])] if not clean else [masked_header(False)]
        extra = join(" ", [cat(nm.lower(), "=\"", val, "\"") for nm, val in hs])
        return cat("[", K(ts_iso(t)), "] \"", method, " ", target, " ", proto, "\" ", str(code), " ", flags, " ", str(rx), " ", str(tx), " ",
                   str(dur), " \"", xff, "\" \"", uaF, "\" \"", reqid, "\" \"", authority, "\" \"", up, "\" ", extra)
    if v == 3:   # debug header dump (multi-line in the original, \n-escaped here)
        conn, stream = ri(1, 9999), ri(10 ** 17, 10 ** 19)
        lines = [cat("':authority', '", authority, "'"), cat("':path', '", target, "'"), cat("':method', '", method, "'")]
        for nm, val in header_set(t, clean, lower=True, masked_p=0.3):
            lines.append(cat("'", nm, "', '", val, "'"))
        return cat("[", K(ts_space(t)), "][", str(ri(10, 60)), "][debug][http] [source/common/http/conn_manager_impl.cc:", str(ri(900, 1400)),
                   "] [Tags: \"ConnectionId\":\"", str(conn), "\",\"StreamId\":\"", K(str(stream)), "\"] request headers complete (end_stream=",
                   ch(["false", "true"]), "):\\n", join("\\n", lines))
    if v == 4:   # jwt_authn / ext_authz debug
        if clean:
            return cat("[", K(ts_space(t)), "][", str(ri(10, 60)), "][debug][jwt] [source/extensions/filters/http/jwt_authn/authenticator.cc:",
                       str(ri(100, 300)), "] ", authority, K("/v1/orders"), ": JWT authentication completed with: ",
                       ch(["OK", "Jwt is expired", "Jwks doesn't have key to match kid or alg from Jwt", "Jwt issuer is not configured"]))
        tok = S(jwt(), "jwt")
        return cat("[", K(ts_space(t)), "][", str(ri(10, 60)), "][debug][jwt] [source/extensions/filters/http/jwt_authn/extractor.cc:",
                   str(ri(100, 300)), "] extract authorizationBearer ", tok, " ; verify status: ",
                   ch(["Jwt verification fails", "Jwt is expired", "Jwt audiences are not allowed"]), " request_id=", reqid)
    # v == 5: TCP proxy line or gRPC request
    if clean and chance(0.5):
        return cat("[", K(ts_iso(t)), "] \"- - -\" 0 - - - \"-\" ", str(rx), " ", str(tx), " ", str(ri(1000, 900000)), " - \"-\" \"-\" \"-\" \"-\" \"", up, "\" ",
                   K(istio_cluster(ch(["postgres", "redis", "kafka"]), ch([5432, 6379, 9092]))), " ", K("%s:%d" % (ip_priv(), ri(30000, 60000))), " ", up, " ",
                   K("%s:%d" % (ip_priv(), ri(30000, 60000))), " - -")
    gm = K("/%s.%s.v1.%s/%s" % (ch(["acme", "globex"]), ch(["auth", "users", "payments"]), ch(["AuthService", "UserService", "PaymentService"]),
                                 ch(["Login", "GetUser", "Charge", "RefreshToken"])))
    tail = F("")
    if not clean:
        tail = cat(" \"", ch([lambda: cat("Bearer ", S(jwt(), "jwt")), lambda: cat(*vend_header(lower=True)[1:]),
                              lambda: S(apigw_key(), "api_gateway_api_key")])(), "\"")
    return cat("[", K(ts_iso(t)), "] \"POST ", gm, " HTTP/2\" 200 - via_upstream - \"-\" ", str(rx), " ", str(tx), " ", str(dur), " ", svt,
               " \"", xff, "\" \"", K("grpc-go/1.%d.%d" % (ri(50, 64), ri(0, 3))), "\" \"", reqid, "\" \"", authority, "\" \"", up, "\" grpc-status=",
               ch(["0", "16", "7", "14"]), tail)


def L_envoy_json(clean):
    t = CLK.new()
    method, target = request_target(clean, t)
    code = ch([200, 200, 201, 302, 401, 403, 404, 500, 503])
    svc = ch(SVCS)
    d = collections.OrderedDict()
    typed = chance(0.5)
    d["start_time"] = K(ts_iso(t))
    d["method"] = method
    d["path"] = target
    d["protocol"] = ch(["HTTP/1.1", "HTTP/2"])
    d["response_code"] = code if typed else str(code)
    d["response_flags"] = ch(ENVOY_FLAGS)
    d["response_code_details"] = ch(["via_upstream", "ext_authz_denied", "jwt_authn_access_denied{Jwt_is_expired}", "route_not_found"])
    d["connection_termination_details"] = None if typed else "-"
    d["upstream_transport_failure_reason"] = None if typed else "-"
    d["bytes_received"] = ri(0, 9000)
    d["bytes_sent"] = ri(0, 90000)
    d["duration"] = ri(0, 3000)
    d["upstream_service_time"] = str(ri(0, 900))
    d["x_forwarded_for"] = K(", ".join([ip_pub()] + [ip_priv() for _ in range(ri(0, 2))]))
    d["user_agent"] = K(ua())
    d["request_id"] = K(uuid4())
    d["authority"] = K(ch(API_HOSTS))
    d["upstream_host"] = K("%s:%d" % (ip_priv(), ch([8080, 9090])))
    d["upstream_cluster"] = K(istio_cluster(svc, 8080))
    d["upstream_local_address"] = K("%s:%d" % (ip_priv(), ri(30000, 60000)))
    d["downstream_local_address"] = K("%s:%d" % (ip_priv(), 8080))
    d["downstream_remote_address"] = K("%s:%d" % (ip_pub(), ri(1024, 65535)))
    d["requested_server_name"] = ch([None, "outbound_.8080_._.%s.default.svc.cluster.local" % svc])
    d["route_name"] = ch(["default", "%s-route" % svc, None])
    if chance(0.4):
        d["downstream_peer_uri_san"] = K("spiffe://cluster.local/ns/%s/sa/%s" % (ch(["default", "shop"]), ch(SVCS)))
    if chance(0.3):
        d["traceparent"] = K(traceparent())
    # custom additions
    x = ri(0, 4)
    if x == 0:
        if clean:
            d["authorization"] = K(ch(["REDACTED", "Bearer ****"])) if chance(0.7) else "-"
        else:
            d["authorization"] = secret_header(False, ["jwt", "opaque", "basic", "vendor"])[1]
    elif x == 1:
        d["cookie"] = cookie_header(clean) if chance(0.8) else None
    elif x == 2:
        d["x_api_key"] = F("-") if clean else ch([lambda: S(apigw_key(), "api_gateway_api_key"), lambda: vtok(pick_vendor())])()
    elif x == 3:
        pl = collections.OrderedDict([("iss", K(ch(["https://accounts.google.com", "https://login.example.com/", cognito_iss(ch(REGIONS))]))),
                                      ("sub", uuid4()), ("aud", K(rs(26, LOWER + DIG))), ("exp", int(t) + 3600)])
        if not clean:
            for o in R.sample(["email", "phone_number", "birthdate", "name"], ri(1, 2)):
                if o == "email":
                    pl["email"] = EM()
                elif o == "phone_number":
                    pl["phone_number"] = PH()
                elif o == "birthdate":
                    pl["birthdate"] = S(dob("iso"), "date_of_birth")
                else:
                    pl["preferred_username"] = EM()
        d["jwt_payload"] = pl
    else:
        d["grpc_status"] = ch(["OK", "Unauthenticated", "PermissionDenied", None])
        if not clean:
            d["x_user_token_bin"] = S(b64(opaque_token(32)), "base64_secret")
    return jdump(d, sep=ch([SEP_COMPACT, SEP_SPACED]))


# ========================================================================================
# Layout: kong - Kong Gateway file-log / http-log JSON, proxy access log and error log
# ========================================================================================
def L_kong(clean):
    t = CLK.new()
    v = ri(0, 5)
    host = ch(API_HOSTS)
    cip = ip_pub()
    if v <= 2:   # file-log JSON (the basic serializer; Authorization is REDACTED by Kong)
        method = ch(["GET", "POST", "PUT", "DELETE"])
        upath = ch(["/orders", "/v1/users", "/payments/charge", "/search", "/auth/token", "/profile"])
        qpairs = benign_query(ri(0, 2))
        if not clean and chance(0.6):
            qpairs = qpairs + secret_query(t, allow=["apikey", "token", "email", "vendor", "access_token", "phone"])
        qobj = collections.OrderedDict()
        for k, val in qpairs:
            qobj[k] = val
        url = cat("https://", host, ":8443", upath, ("?" if qpairs else ""), qs(qpairs) if qpairs else "")
        hdr = collections.OrderedDict()
        hdr["host"] = K(host)
        hdr["user-agent"] = K(ua())
        hdr["accept"] = "application/json"
        hdr["x-forwarded-for"] = K(cip)
        hdr["authorization"] = K("REDACTED")
        if not clean:
            for o in R.sample(["apikey", "cookie", "vendor", "sts", "none"], ri(1, 2)):
                if o == "apikey":
                    hdr[ch(["apikey", "x-api-key"])] = S(rs(ch([32, 40]), ALNUM + "-_"), "api_key")   # Kong key-auth credential
                elif o == "cookie":
                    hdr["cookie"] = cookie_header(False)
                elif o == "vendor":
                    hn, hv = vend_header(lower=True)
                    if hn != "authorization":
                        hdr[hn] = hv
                    else:
                        hdr["x-upstream-authorization"] = hv
                elif o == "sts":
                    hdr["x-amz-security-token"] = S(aws_session_token(), "aws_session_token")
        if not clean and chance(0.4):
            hn, hv = vend_header(lower=True)
            hdr["x-upstream-" + hn.replace("authorization", "auth")] = hv
        cons = collections.OrderedDict([("id", K(uuid4())), ("username", ch(["mobile-app", "partner-%s" % rs(4, LOWER), "web-frontend"])),
                                        ("created_at", ri(1690000000, 1720000000))])
        if not clean and chance(0.4):
            cons["custom_id"] = EM()
        resp_h = collections.OrderedDict([("content-type", "application/json"), ("x-kong-upstream-latency", str(ri(1, 900))),
                                          ("x-kong-proxy-latency", str(ri(0, 20))), ("via", K("1.1 kong/%s" % ch(["3.6.1", "3.7.0", "3.8.0.0-enterprise-edition"])))])
        if not clean and chance(0.3):
            nm, val = session_cookie()
            resp_h["set-cookie"] = cat(nm, "=", val, "; Path=/; HttpOnly; Secure; SameSite=Lax")
        d = collections.OrderedDict([
            ("request", collections.OrderedDict([("method", method), ("uri", cat(upath, ("?" if qpairs else ""), qs(qpairs) if qpairs else "")),
                                                 ("url", url), ("size", ri(80, 4000)), ("querystring", qobj), ("headers", hdr),
                                                 ("id", K(rhex(32)))])),
            ("response", collections.OrderedDict([("status", ch([200, 201, 401, 403, 429, 502])), ("size", ri(100, 9000)), ("headers", resp_h)])),
            ("route", collections.OrderedDict([("id", K(uuid4())), ("paths", [K(upath)]), ("protocols", ["http", "https"]),
                                               ("strip_path", True), ("name", "%s-route" % ch(SVCS))])),
            ("service", collections.OrderedDict([("host", "%s.internal" % ch(SVCS)), ("port", 8080), ("protocol", "http"), ("id", K(uuid4()))])),
            ("consumer", cons),
            ("authenticated_entity", collections.OrderedDict([("id", K(uuid4()))])),
            ("latencies", collections.OrderedDict([("request", ri(1, 900)), ("kong", ri(0, 30)), ("proxy", ri(1, 800))])),
            ("tries", [collections.OrderedDict([("balancer_latency", 0), ("port", 8080), ("ip", K(ip_priv()))])]),
            ("client_ip", K(cip)), ("upstream_uri", K(upath)), ("started_at", int(t * 1000)),
            ("workspace", K(uuid4())), ("source", "upstream")])
        if v == 2 and not clean and chance(0.6):
            # request body logging via custom_fields_by_lua
            # body captured via custom_fields_by_lua, logged as a JSON string (escaped twice)
            d["request"]["body"] = jdump(body_any(False, [body_login, body_signup, body_payment, body_profile, body_oauth_json, body_integration, body_token_response]))
        return jdump(d)
    if v == 3:   # proxy access log (nginx combined + kong_request_id)
        method, target = request_target(clean, t)
        return cat(K(cip), " - - [", K(ts_clf(t)), "] \"", method, " ", target, " HTTP/1.1\" ", str(ch([200, 401, 404, 429])), " ",
                   str(ri(0, 9000)), " \"-\" \"", K(ua()), "\" kong_request_id: \"", K(rhex(32)), "\"")
    if v == 4:   # error.log with [kong] plugin messages
        method, target = request_target(clean, t)
        plug = ch(["jwt", "key-auth", "openid-connect", "oauth2", "basic-auth", "rate-limiting"])
        msg = ch(["[%s] no credentials found" % plug, "[%s] invalid credentials" % plug, "[%s] failed to reach introspection endpoint" % plug,
                  "[%s] token expired" % plug])
        extra = F("")
        if not clean and chance(0.5):
            extra = ch([lambda: cat(" (credential=", S(rs(32, ALNUM), "api_key"), ")"),
                        lambda: cat(" (username=", EM(), ")")])()
        return cat(K(ts_nginx_err(t)), " [", ch(["warn", "error", "notice"]), "] ", str(ri(1000, 9999)), "#0: *", str(ri(1, 999999)),
                   " [kong] handler.lua:", str(ri(40, 400)), " ", msg, extra, ", client: ", K(cip), ", server: kong, request: \"",
                   method, " ", target, " HTTP/1.1\", host: \"", K(host), "\", request_id: \"", K(rhex(32)), "\"")
    # v == 5: Admin API / decK audit-ish line
    if clean:
        return cat(K(ts_iso(t)), " [admin] PATCH /consumers/", K(uuid4()), "/key-auth/", K(uuid4()), " 200 rbac_user=", ch(["ops-bot", "deck-sync"]),
                   " payload={\"ttl\":", str(ri(3600, 86400)), ",\"key\":\"", K("<redacted>"), "\"}")
    x = ri(0, 2)
    if x == 0:
        return cat(K(ts_iso(t)), " [admin] POST /consumers/", ch(["partner-", "mobile-"]), rs(4, LOWER), "/key-auth 201 payload=",
                   jdump(collections.OrderedDict([("key", S(rs(32, ALNUM), "api_key")), ("tags", ["partner"])])), " request_id=", K(rhex(32)))
    if x == 1:
        cid = uuid4()
        line = cat(K(ts_iso(t)), " [admin] POST /consumers/", K(cid), "/basic-auth 201 payload=",
                   jdump(collections.OrderedDict([("username", EM()), ("password", S(password(), "password"))])))
        if chance(0.6):
            line = cat(line, " response=", jdump(collections.OrderedDict([("id", K(uuid4())), ("consumer", {"id": K(cid)}), ("username", F("ops-" + rs(4, LOWER))),
                                                                          ("password", S(sha1hex(), "password_hash")), ("created_at", int(t))])))
        return cat(line, " request_id=", K(rhex(32)))
    return cat(K(ts_iso(t)), " [admin] POST /consumers/", K(uuid4()), "/oauth2 201 payload=",
               jdump(collections.OrderedDict([("name", "partner-app"), ("client_id", K(rs(32, ALNUM))), ("client_secret", S(client_secret(), "client_secret")),
                                              ("redirect_uris", [K("https://partner.example/callback")])])), " request_id=", K(rhex(32)))


# ========================================================================================
# Layout: nginx_ingress - ingress-nginx upstreaminfo, JSON / logfmt custom formats, error log
# ========================================================================================
def L_nginx_ingress(clean):
    t = CLK.new()
    cip = ip_pub()
    ns, svc = ch(["default", "shop", "identity", "payments"]), ch(SVCS)
    upname = K("%s-%s-%d" % (ns, svc, ch([80, 8080, 443])))
    upaddr = K("%s:%d" % (ip_priv(), ch([8080, 3000, 9000])))
    reqid = K(rhex(32))
    v = ri(0, 6)
    if v <= 1:   # upstreaminfo default
        method, target = request_target(clean, t)
        ref = F("-")
        if chance(0.4):
            rq = query_set(clean or has_secret(target), allow=["token", "email", "code"]) if chance(0.6) else benign_query(1)
            ref = cat("https://app.", ch(["acme-shop.example", "globex.example"]), ch(["/login", "/reset", "/account"]), ("?" if rq else ""), qs(rq))
        remote_user = F("-") if chance(0.7) else F(ch(FIRST))
        return cat(K(cip), " - ", remote_user, " [", K(ts_clf(t)), "] \"", method, " ", target, " ", ch(["HTTP/1.1", "HTTP/2.0"]), "\" ",
                   str(ch([200, 200, 302, 401, 404, 499, 502])), " ", str(ri(0, 90000)), " \"", ref, "\" \"", K(ua()), "\" ",
                   str(ri(100, 5000)), " ", "%.3f" % (ri(1, 3000) / 1000.0), " [", upname, "] [] ", upaddr, " ", str(ri(0, 90000)), " ",
                   "%.3f" % (ri(1, 3000) / 1000.0), " ", str(ch([200, 302, 401, 502])), " ", reqid)
    if v == 2:   # JSON log-format-upstream
        method, target = request_target(clean, t)
        path, _, query = target.t.partition("?")
        # rebuild so labels stay attached: split fragment on '?'
        tf = target
        d = collections.OrderedDict([("time", K(ts_iso(t, 0, False))), ("remote_addr", K(cip)), ("x_forwarded_for", K("%s, %s" % (cip, ip_priv()))),
                                     ("request_id", reqid), ("remote_user", ""), ("bytes_sent", ri(100, 90000)), ("request_time", ri(1, 3000) / 1000.0),
                                     ("status", ch([200, 401, 404, 502])), ("vhost", K(ch(API_HOSTS))), ("request_proto", "HTTP/2.0"),
                                     ("request", cat(method, " ", tf, " HTTP/2.0")), ("request_method", method),
                                     ("http_referrer", ""), ("http_user_agent", K(ua())), ("namespace", ns), ("ingress_name", svc),
                                     ("service_name", svc), ("service_port", 8080), ("upstream_addr", upaddr)])
        if not clean and chance(0.3):
            d["http_authorization"] = secret_header(False, ["jwt", "basic", "opaque"])[1]
        return jdump(d, sep=ch([SEP_COMPACT, SEP_SPACED]))
    if v == 3:   # logfmt custom format
        method, target = request_target(clean, t)
        return cat("latency=", "%.3f" % (ri(1, 3000) / 1000.0), " protocol=HTTP/1.1 proxyUpstreamName=", upname, " referer=- remoteIp=", K(cip),
                   " requestID=", reqid, " requestMethod=", method, " requestSize=", str(ri(100, 5000)), " requestUrl=", K(ch(API_HOSTS)), target,
                   " responseSize=", str(ri(0, 90000)), " status=", str(ch([200, 401, 500])), " timestamp=", K(ts_iso(t, 0, False)),
                   " upstreamAddr=", upaddr, " userAgent=\"", K(ua()), "\"")
    if v == 4:   # error log; the request and upstream both carry the same query string
        method = ch(["GET", "POST"])
        path = ch(["/api/v1/items", "/login", "/oauth/callback", "/export"])
        qp = query_set(clean, allow=["apikey", "token", "access_token", "code", "email", "vendor", "password"])
        qstr = qs(qp) if qp else F("")
        sep = "?" if qp else ""
        return cat(K(ts_nginx_err(t)), " [error] ", str(ri(20, 99)), "#", str(ri(20, 99)), ": *", str(ri(1, 9999999)),
                   " connect() failed (111: Connection refused) while connecting to upstream, client: ", K(cip), ", server: ",
                   K(ch(API_HOSTS)), ", request: \"", method, " ", path, sep, qstr, " HTTP/1.1\", upstream: \"http://", upaddr, path, sep,
                   qstr, "\", host: \"", K(ch(API_HOSTS)), "\"")
    if v == 5:   # ModSecurity / CRS audit message
        arg = ch(["password", "pwd", "senha", "passwort", "q", "email", "comment"])
        if clean:
            val = K(ch(["1' OR '1'='1", "<script>alert(1)</script>", "../../etc/passwd", "UNION SELECT NULL--"]))
            val2 = val
        elif arg in ("q", "comment"):
            pw = phone()
            val, val2 = S(pw, "phone"), S(pw, "phone")
        elif arg == "email":
            e = email() + "' OR 1=1--"
            val, val2 = cat(EM(raw=e.split("'")[0]), "' OR 1=1--"), None
            val2 = val
        else:
            pw = password(unicode_ok=False) + "'--"
            core = pw[:-3]
            val, val2 = cat(S(core, "password"), "'--"), cat(S(core, "password"), "'--")
        return cat(K(ts_nginx_err(t)), " [error] ", str(ri(20, 99)), "#", str(ri(20, 99)), ": *", str(ri(1, 9999999)),
                   " [client ", K(cip), "] ModSecurity: Access denied with code 403 (phase 2). Matched \"Operator `Ge' with parameter `5' against variable `TX:ANOMALY_SCORE'\" ",
                   "[file \"/etc/nginx/owasp-modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf\"] [id \"942100\"] ",
                   "[msg \"SQL Injection Attack Detected via libinjection\"] [data \"Matched Data: s&1c found within ARGS:", arg, ": ", val,
                   "\"] [severity \"2\"] [ver \"OWASP_CRS/3.3.5\"] [hostname \"", K(ip_priv()), "\"] [uri \"/login\"] [unique_id \"",
                   K(str(ri(10 ** 17, 10 ** 18))), "\"] [ref \"v", str(ri(100, 900)), ",", str(ri(5, 40)), "t:urlDecodeUni\"] value: ", val2)
    # v == 6: external auth subrequest failure / controller lines
    if clean:
        return cat("I", _d(t).strftime("%m%d %H:%M:%S"), ".", str(ri(100000, 999999)), "       7 event.go:298] Event(v1.ObjectReference{Kind:\"Ingress\", Namespace:\"",
                   ns, "\", Name:\"", svc, "\", UID:\"", K(uuid4()), "\", APIVersion:\"networking.k8s.io/v1\", ResourceVersion:\"", K(str(ri(100000, 9999999))),
                   "\", FieldPath:\"\"}): type: 'Normal' reason: 'Sync' Scheduled for sync")
    method, target = request_target(False, t)
    return cat(K(ts_nginx_err(t)), " [error] ", str(ri(20, 99)), "#", str(ri(20, 99)), ": *", str(ri(1, 9999999)),
               " auth request unexpected status: 401 while sending to client, client: ", K(cip), ", server: ", K(ch(API_HOSTS)),
               ", request: \"", method, " ", target, " HTTP/2.0\", host: \"", K(ch(API_HOSTS)), "\"")


# ========================================================================================
# Layout: spring - Spring Boot / Logback lines with MDC, request logging, Security, Hibernate
# ========================================================================================
JAVA_LOGGERS = ["c.a.o.web.LoginController", "c.a.o.s.AuthService", "o.s.w.f.CommonsRequestLoggingFilter",
                "c.a.p.PaymentService", "c.a.u.UserRegistrationService", "o.s.s.w.FilterChainProxy",
                "c.a.n.SmsGateway", "o.h.orm.jdbc.bind", "c.a.i.PartnerClient"]


def boot_prefix(t, app, logger, level=None, corr=True):
    level = level or ch(["INFO", "INFO", "WARN", "DEBUG", "ERROR", "TRACE"])
    thread = ch(["nio-8080-exec-%d" % ri(1, 10), "           main", "task-%d" % ri(1, 8), "ctor-http-nio-%d" % ri(1, 4)])
    parts = [K(ts_iso(t, 3, False)), " %5s " % level, str(ri(1, 99999)), " --- [", app, "] [", thread, "] "]
    if corr:
        parts += ["[", K("%s-%s" % (rhex(32), rhex(16))), "] "]
    parts += ["%-40s" % logger[:40], " : "]
    return cat(*parts)


def L_spring(clean):
    t = CLK.new()
    app = ch(["orders-api", "identity", "payments", "customer-portal", "notification-svc"])
    v = ri(0, 9)
    if v == 0:
        if clean:
            msg = ch([cat("Login attempt user=", K("j***@e***.com"), " ip=", K(ip_pub()), " result=FAILURE"),
                      cat("Order ", K(luhn_fail()), " accepted, total=", str(ri(100, 9999)), ".", str(ri(10, 99)), " EUR"),
                      cat("Password policy updated: minLength=12 maxAgeDays=90 historySize=5 rev=", K(rhex(12)))])
        else:
            msg = ch([lambda: cat("Login attempt user=", EM(), " ip=", K(ip_pub()), " result=", ch(["SUCCESS", "FAILURE"])),
                      lambda: cat("Sending SMS OTP to ", PH(), " template=otp_v2 id=", K("SM" + rhex(32))),
                      lambda: cat("Charging card ", S(card(), "card_number"), " for order ", K(luhn_fail())),
                      lambda: cat("SEPA mandate created iban=", S(iban(), "iban"), " mandateRef=", K("MNDT-" + rs(10, UPPER + DIG))),
                      lambda: cat("Registered user ", EM(), " dob=", S(dob(), "date_of_birth")),
                      lambda: cat("KYC check passport=", S(passport(), "passport_number"), " country=", ch(["DE", "GB", "FR", "JP"]), " case=", K(uuid4())),
                      lambda: cat("Initialised client for ", ch(["payments", "messaging", "search", "storage"]), " with ", join("=", vend_kv(style="dotted")), " id=", K(uuid4())),
                      lambda: cat("Webhook delivery to ", vend_url(), " failed: 404 attempt=", str(ri(1, 5)), " id=", K(uuid4())),
                      lambda: cat("Contact form submitted from=", EM(obf=True), " topic=", ch(["billing", "gdpr", "refund"]), " ticket=", K("INC-%07d" % ri(1, 9999999)))])()
        return cat(boot_prefix(t, app, ch(JAVA_LOGGERS)), msg)
    if v == 1:   # CommonsRequestLoggingFilter
        method = ch(["POST", "PUT", "GET"])
        path = ch(["/api/login", "/api/users", "/api/payments", "/api/password", "/api/profile"])
        qp = query_set(clean or chance(0.5), allow=["token", "email", "apikey"]) if chance(0.5) else []
        hs = header_set(t, clean or chance(0.4), lower=True, masked_p=0.2)
        hdrs = join(", ", [cat(nm, ":\"", val, "\"") for nm, val in hs])
        payload = jdump(body_any(clean, [body_login, body_signup, body_pwchange, body_payment, body_reset, body_oauth_json, body_integration]))
        return cat(boot_prefix(t, app, "o.s.w.f.CommonsRequestLoggingFilter", "DEBUG"), "After request [", method, " ", path,
                   ("?" if qp else ""), qs(qp) if qp else "", ", client=", K(ip_priv()), ", session=",
                   (K(mask()) if clean else S(rs(32, HEXU), "session_cookie")) if chance(0.4) else F("null"),
                   ", headers=[", hdrs, "], payload=", payload, "]")
    if v == 2:   # Spring Security debug
        who = K("j***@e***.com") if clean else EM()
        sid = K("[PROTECTED]") if clean else S(rs(32, HEXU), "session_cookie")
        return cat(boot_prefix(t, app, "o.s.s.w.a.AnonymousAuthenticationFilter" if clean else "o.s.s.w.c.HttpSessionSecurityContextRepository", "DEBUG"),
                   "Stored SecurityContextImpl [Authentication=UsernamePasswordAuthenticationToken [Principal=org.springframework.security.core.userdetails.User [Username=",
                   who, ", Password=", K("[PROTECTED]"), ", Enabled=true, AccountNonExpired=true, CredentialsNonExpired=true, AccountNonLocked=true, Granted Authorities=[ROLE_USER]], Credentials=",
                   K("[PROTECTED]"), ", Authenticated=true, Details=WebAuthenticationDetails [RemoteIpAddress=", K(ip_pub()), ", SessionId=", sid,
                   "], Granted Authorities=[ROLE_USER]]] to HttpSession [", K("org.apache.catalina.session.StandardSessionFacade@" + rhex(8)), "]")
    if v == 3:   # Hibernate parameter binding (TRACE)
        n = ri(1, 4)
        if clean:
            val = ch([K(uuid4()), K(ts_iso(t)), K(luhn_fail()), F("ACTIVE")])
        else:
            val = ch([lambda: EM(), lambda: S(pw_hash(), "password_hash"), lambda: PH(), lambda: S(iban(False), "iban"),
                      lambda: S(tax_id(), "tax_id"), lambda: S(reset_token(), "reset_token")])()
        typ = ch(["VARCHAR", "VARCHAR", "CHAR", "CLOB"])
        if chance(0.5):
            return cat(boot_prefix(t, app, "org.hibernate.orm.jdbc.bind", "TRACE", corr=chance(0.5)), "binding parameter (", str(n), ":", typ, ") <- [", val, "]")
        return cat(K(ts_space(t)), " TRACE ", str(ri(1, 99999)), " --- [nio-8080-exec-", str(ri(1, 9)), "] o.h.type.descriptor.sql.BasicBinder      : binding parameter [",
                   str(n), "] as [", typ, "] - [", val, "] req=", K(uuid4()))
    if v == 4:   # logstash-logback-encoder JSON
        d = collections.OrderedDict([("@timestamp", K(ts_iso(t, 3, False))), ("@version", "1"), ("message", None), ("logger_name", ch(["com.acme.orders.web.LoginController", "com.acme.payments.PaymentService", "com.acme.identity.PasswordResetService"])),
                                     ("thread_name", "http-nio-8080-exec-%d" % ri(1, 10)), ("level", ch(["INFO", "WARN", "ERROR"])), ("level_value", 20000),
                                     ("traceId", K(rhex(32))), ("spanId", K(rhex(16))), ("app", app)])
        if clean:
            d["message"] = ch(["Password reset requested", "Login failed: bad credentials", "Payment authorised"])
            d["userId"] = K(uuid4())
            d["emailMasked"] = K("j***@example.com")
        else:
            x = ri(0, 3)
            if x == 0:
                d["message"] = cat("Password reset link sent: https://", ch(API_HOSTS), "/reset?token=", S(reset_token(), "reset_token"))
            elif x == 1:
                d["message"] = "Login failed: bad credentials"
                d["username"] = EM()
                d["attemptedPassword"] = S(password(), "password")
            elif x == 2:
                d["message"] = "Payment authorised"
                d["cardNumber"] = S(card(), "card_number")
                d["customerEmail"] = EM()
            else:
                d["message"] = cat("Calling partner API with ", *vend_header()[1:2])
            d["userId"] = K(uuid4())
        return jdump(d, ascii_=chance(0.2))
    if v == 5:   # Feign / RestTemplate / WebClient
        x = ri(0, 3)
        if clean:
            return cat(K(ts_space(t)), " DEBUG ", str(ri(1, 9999)), " --- [ctor-http-nio-", str(ri(1, 4)), "] o.s.w.r.f.client.ExchangeFunctions       : [",
                       K(rhex(8)), "] HTTP POST https://", ch(API_HOSTS), "/v1/charges, headers=", K("{masked}"))
        if x == 0:
            hn, hv = secret_header(False, ["jwt", "vendor", "basic", "apikey"])
            return cat(K(ts_space(t)), " DEBUG ", str(ri(1, 9999)), " --- [nio-8080-exec-", str(ri(1, 9)), "] c.a.i.PartnerClient                      : [PartnerClient#",
                       ch(["getUser", "createOrder", "refresh"]), "] ", hn, ": ", hv)
        if x == 1:
            pairs = body_oauth_form(False)
            mv = join(", ", [cat(k, "=[", val, "]") for k, val in pairs])
            return cat(K(ts_space(t)), " DEBUG ", str(ri(1, 9999)), " --- [nio-8080-exec-", str(ri(1, 9)), "] o.s.web.client.RestTemplate              : Writing [{",
                       mv, "}] as \"application/x-www-form-urlencoded\"")
        if x == 2:
            hn, hv = secret_header(False, ["jwt", "vendor", "opaque", "cookie"])
            return cat(K(ts_space(t)), " DEBUG ", str(ri(1, 9999)), " --- [ctor-http-nio-", str(ri(1, 4)), "] o.s.w.r.f.client.ExchangeFunctions       : [",
                       K(rhex(8)), "] HTTP GET https://", ch(API_HOSTS), "/v1/me, headers=[", hn, ":\"", hv, "\", Accept:\"application/json\"]")
        return cat(K(ts_space(t)), " DEBUG ", str(ri(1, 9999)), " --- [nio-8080-exec-", str(ri(1, 9)), "] o.s.web.client.RestTemplate              : Reading to [com.acme.auth.TokenResponse] as \"application/json\" body=",
                   jdump(body_token_response(False)))
    if v == 6:   # JDBC / startup
        if clean:
            return cat(boot_prefix(t, app, "o.s.b.w.embedded.tomcat.TomcatWebServer", "INFO", corr=False), "Tomcat started on port ", ch(["8080", "8443"]),
                       " (http) with context path '/' in ", K(ts_iso(t)), " build=", K(semver()))
        return cat(boot_prefix(t, app, "com.zaxxer.hikari.pool.HikariPool", "ERROR", corr=False), "HikariPool-1 - Exception during pool initialization. url=",
                   conn_string(), " : FATAL: password authentication failed for user \"", ch(["app", "orders", "postgres"]), "\"")
    if v == 7:   # Tomcat access log valve with %{JSESSIONID}c
        method, target = request_target(clean, t)
        cook = F("-") if clean else S(rs(32, HEXU), "session_cookie")
        return cat(K(ip_pub()), " - - [", K(ts_clf(t)), "] \"", method, " ", target, " HTTP/1.1\" ", str(ch([200, 302, 401])), " ", str(ri(0, 9000)),
                   " ", str(ri(1, 900)), "ms JSESSIONID=", cook)
    if v == 8:   # plain Logback pattern with MDC map in brackets
        mdc = [cat("traceId=", K(rhex(32))), cat("spanId=", K(rhex(16)))]
        if not clean:
            mdc.append(cat(ch(["userEmail=", "user=", "principal="]), EM()))
            if chance(0.3):
                mdc.append(cat("msisdn=", PH()))
        else:
            mdc.append(cat("userId=", K(uuid4())))
        msg = ch([F("Checkout completed"), F("Address validation failed"), cat("Card ", K("**** **** **** %04d" % ri(0, 9999)), " tokenised")])
        return cat(K(_d(t).strftime("%H:%M:%S.") + "%03d" % ri(0, 999)), " [http-nio-8080-exec-", str(ri(1, 9)), "] ", ch(["INFO ", "WARN "]), " ",
                   ch(["c.a.c.CheckoutService", "c.a.a.AddressService"]), " - [", join(", ", mdc), "] ", msg)
    # v == 9: bean validation error echoing rejected value
    if clean:
        return cat(boot_prefix(t, app, "o.s.w.s.m.s.DefaultHandlerExceptionResolver", "WARN"),
                   "Resolved [org.springframework.web.bind.MethodArgumentNotValidException: Validation failed for argument [0] in public ResponseEntity<?> com.acme.web.SignupController.signup(SignupRequest): [Field error in object 'signupRequest' on field 'password': rejected value [",
                   K("[PROTECTED]"), "]; codes [Size.signupRequest.password,Size.password]; default message [size must be between 12 and 128]] ]")
    field = ch(["password", "confirmPassword", "email", "phone", "iban"])
    if field in ("password", "confirmPassword"):
        val = S(password(), "password")
    elif field == "email":
        val = EM()
    elif field == "phone":
        val = PH()
    else:
        val = S(iban(), "iban")
    return cat(boot_prefix(t, app, "o.s.w.s.m.s.DefaultHandlerExceptionResolver", "WARN"),
               "Resolved [org.springframework.web.bind.MethodArgumentNotValidException: Validation failed for argument [0] in public ResponseEntity<?> com.acme.web.SignupController.signup(SignupRequest): [Field error in object 'signupRequest' on field '",
               field, "': rejected value [", val, "]; codes [Pattern.signupRequest.", field, ",Pattern.", field, "]; default message [must match \"",
               K("^(?=.*[A-Z])(?=.*\\d).{12,}$"), "\"]] ]")


# ========================================================================================
# Layout: aspnet - ASP.NET Core console / HttpLogging / Serilog CLEF & JSON / EF Core / IIS
# ========================================================================================
def kestrel_conn():
    return "0H" + rs(11, UPPER + DIG)


def aspnet_cookie_obj(clean):
    d = collections.OrderedDict()
    if clean:
        d["ARRAffinity"] = K(rhex(64))
        d[".AspNetCore.Culture"] = K("c%3Den-GB%7Cuic%3Den-GB")
        return d
    nm, val = session_cookie(ch(["aspcore", "aspcore", "aspcore_sess", "aspnet_classic", "aspxauth"]))
    d[nm] = val
    if chance(0.6):
        nm2, val2 = csrf_cookie() if chance(0.5) else (".AspNetCore.Antiforgery." + rs(11, B64URL), S(cfdj8(ri(110, 160)), "csrf_token"))
        d[nm2] = val2
    if chance(0.5):
        nm3, val3 = session_cookie("aspcore_sess")
        d[nm3] = val3
    d["ARRAffinity"] = K(rhex(64))
    return d


def L_aspnet(clean):
    t = CLK.new()
    conn = kestrel_conn()
    reqid = "%s:%08X" % (conn, ri(1, 64))
    v = ri(0, 8)
    if v == 0:   # console formatter, single line
        method, target = request_target(clean, t)
        return cat(ch(["info", "dbug"]), ": Microsoft.AspNetCore.Hosting.Diagnostics[1] Request starting HTTP/1.1 ", method, " https://",
                   K(ch(API_HOSTS)), target, " - ", ch(["application/json", "-"]), " ", ch(["-", str(ri(20, 900))]), " RequestId=", K(reqid))
    if v == 1:   # HttpLogging middleware, multi-line flattened (\n + 6 spaces)
        method = ch(["POST", "GET", "PUT"])
        path = ch(["/api/account/login", "/api/orders", "/connect/token", "/Identity/Account/Login", "/api/profile"])
        lines = [F("info: Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware[1]"), F("      Request:"), F("      Protocol: HTTP/2"),
                 F("      Method: " + method), F("      Scheme: https"), F("      PathBase: "), F("      Path: " + path),
                 cat("      Host: ", K(ch(API_HOSTS))), cat("      User-Agent: ", K(ua()))]
        redacted_all = clean or chance(0.3)
        if redacted_all:
            lines += [cat("      Authorization: ", K("[Redacted]")), cat("      Cookie: ", K("[Redacted]"))]
        else:
            x = ri(0, 2)
            if chance(0.4):
                hn, hv = vend_header()
                if hn != "Authorization":
                    lines.append(cat("      ", hn, ": ", hv))
                else:
                    lines.append(cat("      X-Forwarded-Authorization: ", hv))
            if x == 0:
                lines += [cat("      Authorization: ", secret_header(False, ["jwt", "basic", "vendor", "opaque"])[1]), cat("      Cookie: ", K("[Redacted]"))]
            else:
                lines += [cat("      Authorization: ", K("[Redacted]")),
                          cat("      Cookie: ", join("; ", [cat(k, "=", vv) for k, vv in aspnet_cookie_obj(False).items()]))]
        if not clean and (redacted_all or chance(0.4)):
            if path == "/connect/token":
                lines.append(cat("      RequestBody: ", qs(body_oauth_form(False))))
            elif chance(0.5):
                lines.append(cat("      RequestBody: ", jdump(body_any(False, [body_login, body_signup, body_pwchange]), style="net")))
            else:
                pairs = [("__RequestVerificationToken", S(cfdj8(ri(100, 150)), "csrf_token")), ("Input.Email", EM()),
                         ("Input.Password", S(password(), "password")), ("Input.RememberMe", F("false"))]
                lines.append(cat("      RequestBody: ", qs(pairs, enc=q_plus)))
        return join("\\n", lines)
    if v == 2:   # Serilog CLEF
        d = collections.OrderedDict([("@t", K(ts_iso(t, 7))), ("@mt", None), ("@l", ch(["Warning", "Error", "Information"]))])
        d["SourceContext"] = ch(["MyShop.Web.Controllers.AccountController", "MyShop.Identity.LoginService", "Serilog.AspNetCore.RequestLoggingMiddleware"])
        d["RequestId"] = K(reqid)
        d["RequestPath"] = ch(["/api/account/login", "/connect/token", "/api/checkout"])
        d["ConnectionId"] = K(conn)
        if clean:
            d["@mt"] = K(ch(["User {Email} failed to sign in with password {Password}", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
                             "Token refreshed for {UserId}"]))
            d["Email"] = K("j***@e***.com")
            d["Password"] = K("***")
            d["UserId"] = K(uuid4())
        else:
            x = ri(0, 3)
            if chance(0.3):
                x = 2
            if x == 0:
                d["@mt"] = K("User {Email} failed to sign in with password {Password}")
                d["Email"] = EM()
                d["Password"] = S(password(), "password")
            elif x == 1:
                d["@mt"] = K("Incoming cookies {@Cookies}")
                d["Cookies"] = aspnet_cookie_obj(False)
            elif x == 2:
                d["@mt"] = K("Calling {Provider} with key {ApiKey}")
                v_ = pick_vendor()
                d["Provider"] = v_.name
                d["ApiKey"] = vtok(v_)
            else:
                d["@mt"] = K("Customer {CustomerId} updated phone {Phone} and address {Address}")
                d["CustomerId"] = K(uuid4())
                d["Phone"] = PH()
                d["Address"] = S(address(), "street_address")
        return jdump(d, ascii_=chance(0.3))
    if v == 3:   # Serilog JsonFormatter with RenderedMessage (value appears twice)
        if clean:
            val = K("[REDACTED]")
            val2 = val
            tmpl, prop = "Password reset requested for {UserId}", "UserId"
            val = K(uuid4())
            val2 = val
        else:
            tmpl, prop, mk = ch([("Password reset requested for {Email}", "Email", lambda: EM()),
                                 ("SMS verification sent to {Phone}", "Phone", lambda: PH()),
                                 ("Refund to {Iban} queued", "Iban", lambda: S(iban(), "iban")),
                                 ("Magic link issued {Token}", "Token", lambda: S(reset_token(), "reset_token")),
                                 ("Support ticket opened by {ContactEmail}", "ContactEmail", lambda: EM(obf=True))])
            val = mk()
            val2 = val
        rendered = cat(tmpl.split("{")[0], "\"" if prop != "UserId" else "", val, "\"" if prop != "UserId" else "", tmpl.split("}")[1])
        d = collections.OrderedDict([("Timestamp", K(ts_iso(t, 7, False))), ("Level", "Information"), ("MessageTemplate", K(tmpl)),
                                     ("RenderedMessage", rendered), ("Properties", collections.OrderedDict([(prop, val2), ("RequestId", K(reqid)),
                                                                                                           ("SourceContext", "MyShop.Identity.AccountService")]))])
        return jdump(d)
    if v == 4:   # JS object dump of cookies from a Blazor / browser console forwarder
        obj = aspnet_cookie_obj(clean)
        return cat("[", K(ts_iso(t)), "] [client] document cookies => ", js_inspect(obj), " (circuit ", K(rs(22, B64URL)), ")")
    if v == 5:   # EF Core command logging
        if clean or chance(0.3):
            params = cat("@__email_0='?' (Size = 256), @__normalizedEmail_1='?' (Size = 256)")
            if not clean:
                params = cat(params, ", @p2='", S(pw_hash(), "password_hash"), "' (Size = 4000)")
        else:
            e = email()
            params = cat("@__email_0='", EM(raw=e), "' (Size = 256), @__normalizedEmail_1='", EM(raw=e.upper()), "' (Size = 256)")
        return cat("info: Microsoft.EntityFrameworkCore.Database.Command[20101]\\n      Executed DbCommand (", str(ri(1, 90)), "ms) [Parameters=[",
                   params, "], CommandType='Text', CommandTimeout='30']\\n      SELECT TOP(1) [a].[Id], [a].[PasswordHash] FROM [AspNetUsers] AS [a] WHERE [a].[NormalizedEmail] = @__normalizedEmail_1",
                   " -- ", K(reqid))
    if v == 6:   # System.Text.Json payload inside a log message (\u002B escaping), then CLEF
        body = body_any(clean, [body_login, body_signup, body_profile, body_payment, body_oauth_json])
        inner = jdump(body, style="net")
        d = collections.OrderedDict([("@t", K(ts_iso(t, 7))), ("@mt", "Request body {Body}"), ("Body", inner), ("RequestId", K(reqid))])
        return jdump(d)
    if v == 7:   # IIS W3C extended log (classic ASP.NET cookies)
        method = ch(["GET", "POST"])
        stem = ch(["/default.aspx", "/Account/Login.aspx", "/api/orders", "/checkout/pay.aspx"])
        qp = query_set(clean or chance(0.5), allow=["email", "token", "apikey"]) if chance(0.5) else []
        uq = qs(qp, enc=q_plus) if qp else F("-")
        if clean:
            ck = cat("ARRAffinity=", K(rhex(64)), ";+lang=en-GB")
        else:
            nm, val = session_cookie(ch(["aspnet_classic", "aspxauth", "aspcore"]))
            ck = cat(nm, "=", val, ";+ARRAffinity=", K(rhex(64)))
        return cat(K(ts_space(t, 0)), " ", K(ip_priv()), " ", method, " ", stem, " ", uq, " 443 - ", K(ip_pub()), " ",
                   K(ua().replace(" ", "+")), " ", ck, " https://", ch(API_HOSTS), "/ ", str(ch([200, 302, 401])), " 0 0 ", str(ri(1, 900)))
    # v == 8: Kestrel / unhandled exception with connection ids (+ optional secret in message)
    msg = F("An unhandled exception was thrown by the application.")
    if not clean:
        msg = ch([lambda: cat("An unhandled exception was thrown by the application. Refit.ApiException: Response status code does not indicate success: 401 (Unauthorized). Request header ",
                              join(": ", vend_header())),
                  lambda: cat("An unhandled exception was thrown by the application. System.ArgumentException: Invalid configuration value '", join("=", vend_kv(style="env")), "'"),lambda: cat("An unhandled exception was thrown by the application. System.Data.SqlClient.SqlException (0x80131904): Login failed for user 'app'. ConnectionString: ",
                              conn_string()),
                  lambda: cat("An unhandled exception was thrown by the application. System.Net.Http.HttpRequestException: Response status code does not indicate success: 401 (Unauthorized). Token=",
                              S(jwt(), "jwt"))])()
    return cat("fail: Microsoft.AspNetCore.Server.Kestrel[13] Connection id \"", K(conn), "\", Request id \"", K(reqid), "\": ", msg)


# ========================================================================================
# Layout: webfw - Django, Flask/Werkzeug, Rails, Express (morgan, pino-http), Laravel, Uvicorn
# ========================================================================================
RAILS_FILTERED = ("passw", "secret", "token", "_key", "crypt", "salt", "certificate", "otp", "ssn", "cvv", "cvc")


def rails_params(clean):
    """Rails parameter log: keys matching filter_parameters are [FILTERED]; others leak."""
    user = collections.OrderedDict()
    user["email"] = K("[FILTERED]") if clean and chance(0.5) else (K("j***@e***.com") if clean else EM())
    pkey = ch(["password", "passwort", "senha", "contraseña", "mot_de_passe", "pwd", "пароль", "パスワード", "kennwort", "clave"])
    filtered = any(f in pkey for f in RAILS_FILTERED)
    if clean or filtered:
        user[pkey] = K("[FILTERED]")
    else:
        user[pkey] = S(password(), "password")
    if chance(0.4):
        ck = ch(["password_confirmation", "senha_confirmacao", "confirmar_clave"])
        if clean or any(f in ck for f in RAILS_FILTERED):
            user[ck] = K("[FILTERED]")
        else:
            user[ck] = user[pkey]
    if not clean and chance(0.3):
        user[ch(["phone", "telefone", "telefono"])] = PH()
    p = collections.OrderedDict([("authenticity_token", K("[FILTERED]")), ("user", user), ("commit", "Log in")])
    if not clean and chance(0.35):
        # keys not matched by filter_parameters leak (e.g. *_url, credential)
        p["integration"] = collections.OrderedDict([(ch(["webhook_url", "callback_url", "notify_url"]), vend_url()) if chance(0.4)
                                                    else (ch(["credential", "provider_cred", "bearer"]), vtok(pick_vendor()))])
    return p


def html_mail_snippet(clean):
    """Rendered HTML (e-mail template / error page) with entity-encoded addresses."""
    if clean:
        return cat("<p>Order <b>", K(luhn_fail()), "</b> has shipped.</p><p>Questions? <a href=\"/help\">Help centre</a></p>")
    x = ri(0, 3)
    if x == 0:
        e = email()
        ent = ch(["&#64;", "&commat;", "&#x40;"])
        lab = e.replace("@", ent)
        return cat("<p>We sent a sign-in link to <b>", S(lab, "email"), "</b>.</p><a href=\"mailto:", S(e.replace("@", ch(["&#64;", "&#x40;"])), "email"), "\">change</a>")
    if x == 1:
        p_ = phone()
        return cat("<p>We will text <span class=\"tel\">", S(html_esc(p_), "phone"), "</span> with a code.</p>")
    if x == 2:
        return cat("<td>", S(html_esc(address()), "street_address"), "</td><td>", S(html_esc(email()).replace("@", "&#64;"), "email"), "</td>")
    return cat("<p>Hello ", ch(FIRST).title(), ", your temporary password is <code>", S(html_esc(password(unicode_ok=False)), "password"), "</code></p>")


def L_webfw(clean):
    t = CLK.new()
    v = ri(0, 12)
    if v == 12:
        v = 11
    if v == 11:   # rendered mail template / HTML error page logged by the app
        return cat(K(ts_iso(t)), " DEBUG mailer: rendered ", K(ch(["welcome.html", "magic_link.html.erb", "reset_password.blade.php", "order_shipped.jinja2"])),
                   " to queue ", K("msg-" + uuid4()), " html=", html_mail_snippet(clean))
    if v == 0:   # Django runserver / django.server
        method, target = request_target(clean, t)
        return cat("[", K(_d(t).strftime("%d/%b/%Y %H:%M:%S")), "] \"", method, " ", target, " HTTP/1.1\" ", str(ch([200, 302, 403, 404])), " ", str(ri(0, 9000)))
    if v == 1:   # Django DEBUG SQL logging (django.db.backends) - value twice
        if clean:
            val = K(uuid4())
            return cat("(0.00", str(ri(1, 9)), ") SELECT \"auth_user\".\"id\", \"auth_user\".\"password\" FROM \"auth_user\" WHERE \"auth_user\".\"id\" = '", val,
                       "'::uuid LIMIT 21; args=('", val, "',); alias=default")
        x = ri(0, 2)
        if x == 0:
            e = email()
            return cat("(0.00", str(ri(1, 9)), ") SELECT \"auth_user\".\"id\", \"auth_user\".\"password\", \"auth_user\".\"email\" FROM \"auth_user\" WHERE \"auth_user\".\"email\" = '",
                       EM(raw=e), "' LIMIT 21; args=('", EM(raw=e), "',); alias=default")
        if x == 1:
            h = pw_hash() if chance(0.3) else "pbkdf2_sha256$%d$%s$%s=" % (ch([720000, 870000]), rs(22, ALNUM), rs(43, ALNUM + "+/"))
            uid = ri(1, 99999)
            return cat("(0.00", str(ri(1, 9)), ") UPDATE \"auth_user\" SET \"password\" = '", S(h, "password_hash"), "', \"last_login\" = '",
                       K(ts_space(t, 6) + "+00:00"), "' WHERE \"auth_user\".\"id\" = ", str(uid), "; args=('", S(h, "password_hash"), "', ", str(uid), "); alias=default")
        sk = rs(32, LOWER + DIG)
        return cat("(0.00", str(ri(1, 9)), ") SELECT \"django_session\".\"session_key\", \"django_session\".\"session_data\" FROM \"django_session\" WHERE (\"django_session\".\"expire_date\" > '",
                   K(ts_space(t, 6) + "+00:00"), "'::timestamptz AND \"django_session\".\"session_key\" = '", S(sk, "session_cookie"), "') LIMIT 21; args=(",
                   K(ts_space(t, 6)), ", '", S(sk, "session_cookie"), "'); alias=default")
    if v == 2 and chance(0.3):   # django-oauth-toolkit token endpoint
        d = collections.OrderedDict((k, [val]) for k, val in body_oauth_form(clean))
        return cat("WARNING ", K(ts_space(t).replace(".", ",")), " log ", str(ri(100, 9999)), " ", str(ri(10 ** 14, 10 ** 15)), " Bad Request: /o/token/ POST=<QueryDict: ",
                   py_repr(d), ">")
    if v == 2:   # Django request.POST QueryDict repr / sensitive_post_parameters
        d = collections.OrderedDict()
        d["csrfmiddlewaretoken"] = [K("*" * 20)] if clean or chance(0.4) else [S(rs(64, ALNUM), "csrf_token")]
        d["username"] = [K("j***") if clean else EM()]
        k, val = pw_pair(clean)
        if not clean and chance(0.3):
            val = K("*" * 20)
            d[k] = [val]
            d["next"] = [F("/dashboard/")]
            d[ch(PHONE_KEYS)] = [PH()]
        else:
            d[k] = [val]
        return cat("WARNING ", K(ts_space(t).replace(".", ",")), " log ", str(ri(100, 9999)), " ", str(ri(10 ** 14, 10 ** 15)), " Bad Request: /accounts/login/ POST=<QueryDict: ",
                   py_repr(d), ">")
    if v == 3:   # Werkzeug / Flask dev server
        method, target = request_target(clean, t)
        ck = F("")
        if chance(0.3):
            if clean:
                ck = cat(" session=", K("<masked>"))
            else:
                nm, val = session_cookie("flask")
                ck = cat(" ", nm, "=", val)
        return cat(K(ip_priv()), " - - [", K(_d(t).strftime("%d/%b/%Y %H:%M:%S")), "] \"", method, " ", target, " HTTP/1.1\" ", str(ch([200, 302, 400, 401])), " -", ck)
    if v == 4:   # Rails request log (parameters line)
        modern = chance(0.4)
        p = rails_params(clean)
        return cat("I, [", K(ts_iso(t, 6, False)[:-6]), " #", str(ri(1, 999)), "]  INFO -- : [", K(uuid4()), "]   Parameters: ", rb_inspect(p, modern))
    if v == 5:   # Rails Started line + lograge
        if chance(0.5):
            method, target = request_target(clean, t)
            return cat("I, [", K(ts_iso(t, 6, False)[:-6]), " #", str(ri(1, 999)), "]  INFO -- : [", K(uuid4()), "] Started ", method, " \"", target,
                       "\" for ", K(ip_pub()), " at ", K(ts_space(t, 0) + " +0000"))
        params = rails_params(clean)
        return cat("method=POST path=/users/sign_in format=html controller=Devise::SessionsController action=create status=", str(ch([302, 401, 422])),
                   " duration=", "%.2f" % (ri(100, 90000) / 100.0), " view=0.00 db=", "%.2f" % (ri(10, 900) / 100.0), " request_id=", K(uuid4()),
                   " params=", rb_inspect(params))
    if v == 6:   # morgan combined / dev with :req[...] tokens
        method, target = request_target(clean, t)
        if chance(0.5):
            ref = F("-")
            if chance(0.4):
                ref = cat("https://app.", ch(["acme-shop.example", "globex.example"]), "/login?", qs(query_set(clean, allow=["email", "token"])) if not clean else qs(benign_query(1)) if chance(0.5) else F(""))
            return cat(K("::ffff:" + ip_priv()), " - - [", K(_d(t).strftime("%d/%b/%Y:%H:%M:%S +0000")), "] \"", method, " ", target, " HTTP/1.1\" ",
                       str(ch([200, 304, 401])), " ", str(ri(0, 9000)), " \"", ref, "\" \"", K(ua()), "\"")
        extra = F("-")
        if not clean:
            hn, hv = secret_header(True, ["jwt", "cookie", "vendor", "opaque"])
            extra = hv
        return cat(method, " ", target, " ", str(ch([200, 401, 500])), " ", "%.3f" % (ri(100, 99999) / 1000.0), " ms - ", str(ri(10, 9000)), " ", extra,
                   " reqId=", K(uuid4()))
    if v == 7:   # pino-http JSON
        method, target = request_target(True, t)
        hdr = collections.OrderedDict([("host", K(ch(API_HOSTS))), ("user-agent", K(ua())), ("accept", "application/json")])
        if clean:
            hdr["authorization"] = K("[Redacted]")
            hdr["cookie"] = K("[Redacted]")
        else:
            o = ch(["auth", "cookie", "both"])
            if o in ("auth", "both"):
                hdr["authorization"] = secret_header(True, ["jwt", "opaque", "basic", "vendor"])[1]
            else:
                hdr["authorization"] = K("[Redacted]")
            if o in ("cookie", "both"):
                nm, val = session_cookie(ch(["connect", "express_sess", "host", "secure_next"]))
                hdr["cookie"] = cat(nm, "=", val)
        d = collections.OrderedDict([("level", 30), ("time", int(t * 1000)), ("pid", ri(1, 999)), ("hostname", K(pod(ch(SVCS)))),
                                     ("req", collections.OrderedDict([("id", ri(1, 99999)), ("method", method), ("url", target), ("query", {}),
                                                                      ("params", {}), ("headers", hdr), ("remoteAddress", K("::ffff:" + ip_priv())), ("remotePort", ri(1024, 65535))])),
                                     ("res", collections.OrderedDict([("statusCode", ch([200, 401, 500]))])), ("responseTime", ri(1, 900)), ("msg", "request completed")])
        return jdump(d)
    if v == 8:   # Laravel / PHP
        if clean:
            return cat("[", K(ts_space(t, 0)), "] production.INFO: Login throttled {\"ip\":\"", K(ip_pub()), "\",\"attempts\":", str(ri(5, 9)),
                       ",\"session\":\"", K("<masked>"), "\"} []")
        x = ri(0, 3)
        if x == 3:
            return cat("[", K(ts_space(t, 0)), "] production.ERROR: Client error: `POST https://", K(ch(API_HOSTS)), "/v3/send` resulted in a `401 Unauthorized` response {\"exception\":\"[object] (GuzzleHttp\\\\Exception\\\\ClientException(code: 401): ",
                       join(": ", vend_header()), ")\"} []")
        if x == 0:
            nm, val = session_cookie("laravel")
            nm2, val2 = csrf_cookie() if chance(0.5) else ("XSRF-TOKEN", S(b64(rs(40)).replace("=", "%3D"), "csrf_token"))
            return cat("[", K(ts_space(t, 0)), "] production.DEBUG: Incoming cookies {\"", nm, "\":\"", val, "\",\"", nm2, "\":\"", val2, "\"} []")
        if x == 1:
            body = body_any(False, [body_login, body_signup, body_reset])
            return cat("[", K(ts_space(t, 0)), "] production.ERROR: Validation failed {\"input\":", jdump(body, style="php"), ",\"url\":\"https:\\/\\/",
                       K(ch(API_HOSTS)), "\\/register\"} []")
        return cat("[", K(ts_space(t, 0)), "] production.INFO: PHPSESSID=", S(rs(26, LOWER + DIG), "session_cookie"), " user=", EM(), " ip=", K(ip_pub()))
    if v == 9:   # Uvicorn / FastAPI
        method, target = request_target(clean, t)
        return cat("INFO:     ", K("%s:%d" % (ip_pub(), ri(1024, 65535))), " - \"", method, " ", target, " HTTP/1.1\" ", str(ch([200, 401, 422])), " ",
                   ch(["OK", "Unauthorized", "Unprocessable Entity"]))
    # v == 10: gunicorn access log with custom format including request headers
    method, target = request_target(clean, t)
    hv = F("-")
    if not clean and chance(0.6):
        hv = secret_header(False, ["jwt", "basic", "opaque", "vendor"])[1]
    return cat(K(ip_pub()), " - - [", K(ts_clf(t)), "] \"", method, " ", target, " HTTP/1.1\" ", str(ch([200, 201, 401])), " ", str(ri(0, 9000)),
               " \"-\" \"", K(ua()), "\" auth=\"", hv, "\" rt=", str(ri(1000, 999999)))


# ========================================================================================
# Layout: otel - OpenTelemetry log records (OTLP/JSON with attribute arrays, SDK console JSON)
# ========================================================================================
def okv(k, v):
    if isinstance(v, bool):
        val = {"boolValue": v}
    elif isinstance(v, int):
        val = {"intValue": str(v)}
    elif isinstance(v, float):
        val = {"doubleValue": v}
    elif isinstance(v, list):
        val = {"arrayValue": {"values": [okv("_", x)["value"] for x in v]}}
    elif isinstance(v, dict):
        val = {"kvlistValue": {"values": [okv(kk, vv) for kk, vv in v.items()]}}
    else:
        val = {"stringValue": v}
    return collections.OrderedDict([("key", k), ("value", val)])


SEV = [(5, "DEBUG"), (9, "INFO"), (13, "WARN"), (17, "ERROR")]


def otel_resource(svc):
    return [okv("service.name", svc), okv("service.version", K(semver())), okv("service.instance.id", K(uuid4())),
            okv("k8s.pod.name", K(pod(svc))), okv("k8s.namespace.name", ch(["default", "shop", "payments"])),
            okv("container.id", K(rhex(64))), okv("telemetry.sdk.language", ch(["java", "python", "nodejs", "dotnet", "go"])),
            okv("telemetry.sdk.version", K(semver()))]


def otel_attrs(clean, t):
    a = []
    x = ri(0, 5)
    method, target = request_target(clean or x != 0, t)
    a.append(okv("http.request.method", method))
    a.append(okv("url.full", cat("https://", K(ch(API_HOSTS)), target)))
    a.append(okv("client.address", K(ip_pub())))
    a.append(okv("user_agent.original", K(ua())))
    a.append(okv("http.response.status_code", ch([200, 201, 401, 403, 500])))
    if clean:
        a.append(okv("http.request.header.authorization", [K(ch(["REDACTED", "[REDACTED]", "Bearer ***"]))]))
        a.append(okv("enduser.id", K(uuid4())))
        return a
    if chance(0.35):
        hn, hv = vend_header(lower=True)
        a.append(okv("http.request.header." + hn, [hv]))
        if x == 1:
            return a
    if x == 1:
        hn, hv = secret_header(True, ["jwt", "opaque", "basic", "vendor", "apikey", "cookie"])
        a.append(okv("http.request.header." + hn, [hv]))
    elif x == 2:
        a.append(okv(ch(["user.email", "enduser.id", "user.name"]), EM()))
        if chance(0.4):
            a.append(okv("user.phone", PH()))
    elif x == 3:
        e = email()
        a.append(okv("db.system", "postgresql"))
        if chance(0.4):
            a.append(okv("db.query.text", cat("UPDATE users SET password_hash = '", S(pw_hash(), "password_hash"), "' WHERE email = '", EM(raw=e), "'")))
        else:
            a.append(okv("db.query.text", cat("SELECT id, password_hash FROM users WHERE email = '", EM(raw=e), "' AND status = 'active'")))
        if chance(0.5):
            a.append(okv("db.query.parameter.0", EM(raw=e)))
    elif x == 4:
        a.append(okv("rpc.grpc.request.metadata.authorization", [cat("Bearer ", S(jwt(), "jwt"))]))
        a.append(okv("rpc.grpc.request.metadata.x-api-key", [S(apigw_key(), "api_gateway_api_key")]))
    elif x == 5:
        b = body_any(False, [body_login, body_signup, body_payment, body_profile, body_oauth_json, body_integration])
        a.append(okv("http.request.body", b))
    return a


def L_otel(clean):
    t = CLK.new()
    svc = ch(SVCS)
    sevn, sevt = ch(SEV)
    v = ri(0, 4)
    if v <= 2:   # OTLP/JSON export
        if v == 2:   # exception with real multi-line stack trace (JSON-escaped \n in the line)
            if clean:
                msg = F("connection reset by peer")
            else:
                msg = ch([lambda: cat("401 Unauthorized for url: https://", K(ch(API_HOSTS)), "/v1/me?access_token=", S(opaque_token(), "oauth_access_token")),
                          lambda: cat("duplicate key value violates unique constraint \"users_email_key\" DETAIL: Key (email)=(", EM(), ") already exists."),
                          lambda: cat("could not connect: ", conn_string())])()
            st = cat("Traceback (most recent call last):\n  File \"/app/", svc.replace("-", "_"), "/handlers.py\", line ", str(ri(10, 400)),
                     ", in handle\n    resp = client.send(req)\n  File \"/usr/local/lib/python3.12/site-packages/httpx/_client.py\", line 1015, in send\n    raise exc\n",
                     ch(["httpx.HTTPStatusError", "psycopg.errors.UniqueViolation", "psycopg.OperationalError"]), ": ", msg)
            attrs = [okv("exception.type", ch(["HTTPStatusError", "UniqueViolation", "OperationalError"])), okv("exception.message", msg),
                     okv("exception.stacktrace", st), okv("code.function", "handle"), okv("code.lineno", ri(10, 400))]
            body = {"stringValue": ch(["Unhandled exception", "request failed"])}
            # the message appears twice (message + stacktrace): reuse same labelled fragment
        else:
            attrs = otel_attrs(clean, t)
            if clean:
                body = {"stringValue": ch(["request completed", "cache miss", "token refreshed for user %s" % uuid4()])}
            else:
                body = {"stringValue": ch([F("request completed"), F("authentication failed"), free_text_pii(False)])}
        rec = collections.OrderedDict([("timeUnixNano", K(epoch_ns(t))), ("observedTimeUnixNano", epoch_ns(t + 0.002)),
                                       ("severityNumber", sevn), ("severityText", sevt), ("body", body), ("attributes", attrs),
                                       ("droppedAttributesCount", 0), ("flags", 1), ("traceId", K(rhex(32))), ("spanId", K(rhex(16)))])
        doc = collections.OrderedDict([("resourceLogs", [collections.OrderedDict([
            ("resource", collections.OrderedDict([("attributes", otel_resource(svc))])),
            ("scopeLogs", [collections.OrderedDict([("scope", collections.OrderedDict([("name", ch(["io.opentelemetry.tomcat-10.0", "opentelemetry.instrumentation.fastapi", "@opentelemetry/instrumentation-http", "Microsoft.AspNetCore.Hosting"])),
                                                                                        ("version", K(semver()))])),
                                                    ("logRecords", [rec])])]),
            ("schemaUrl", K("https://opentelemetry.io/schemas/1.%d.0" % ri(20, 27)))])])])
        return jdump(doc)
    if v == 3:   # Python SDK ConsoleLogExporter (one line)
        attrs = collections.OrderedDict([("code.filepath", "/app/%s/service.py" % svc.replace("-", "_")), ("code.function", ch(["login", "register", "charge"])),
                                         ("code.lineno", ri(10, 400)), ("otelServiceName", svc)])
        if clean:
            bodyf = ch([F("login failed for user id %s" % uuid4()), F("payment declined"), cat("order ", K(luhn_fail()), " created")])
        else:
            x = ri(0, 3)
            if x == 0:
                bodyf = cat("login failed for ", EM(), " with password ", S(password(), "password"))
            elif x == 1:
                bodyf = F("payment declined")
                attrs["card.number"] = S(card(), "card_number")
            elif x == 2:
                bodyf = cat("sent OTP ", S(otp(), "otp_code"), " to ", PH())
            else:
                bodyf = F("calling upstream")
                kn, tk = vend_kv(style="dotted")
                attrs[kn] = tk
            if x != 3 and chance(0.3):
                kn, tk = vend_kv(style="dotted")
                attrs["config." + kn] = tk
        d = collections.OrderedDict([("body", bodyf), ("severity_number", sevn), ("severity_text", sevt), ("attributes", attrs),
                                     ("dropped_attributes", 0), ("timestamp", K(ts_iso(t, 6))), ("observed_timestamp", ts_iso(t + 0.001, 6)),
                                     ("trace_id", K("0x" + rhex(32))), ("span_id", K("0x" + rhex(16))), ("trace_flags", 1),
                                     ("resource", collections.OrderedDict([("attributes", collections.OrderedDict([("service.name", svc), ("telemetry.sdk.version", K(semver()))])),
                                                                           ("schema_url", "")]))])
        return jdump(d, ascii_=chance(0.4))
    # v == 4: log record with kvlist body (structured body) and event name
    b = collections.OrderedDict([("event", ch(["user.signup", "user.password_changed", "payment.created", "profile.updated"])),
                                 ("userId", K(uuid4()))])
    if clean:
        b["email"] = K("u***@e***.com")
    else:
        for kk, vv in body_any(False, [body_signup, body_pwchange, body_profile, body_payment, body_token_response]).items():
            b[kk] = vv
    rec = collections.OrderedDict([("timeUnixNano", K(epoch_ns(t))), ("severityNumber", 9), ("severityText", "INFO"),
                                   ("eventName", b["event"]), ("body", okv("_", b)["value"]),
                                   ("attributes", [okv("event.domain", "app")]), ("traceId", K(rhex(32))), ("spanId", K(rhex(16)))])
    doc = collections.OrderedDict([("resourceLogs", [collections.OrderedDict([
        ("resource", collections.OrderedDict([("attributes", otel_resource(svc))])),
        ("scopeLogs", [collections.OrderedDict([("scope", {"name": "app.audit"}), ("logRecords", [rec])])])])])])
    return jdump(doc, ascii_=chance(0.3))


# ========================================================================================
# Layout: syslog5424 - RFC 5424 messages with structured data
# ========================================================================================
def sd_escape(x):
    return x.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def sd_elem(sdid, params):
    return cat("[", sdid, join("", [cat(" ", k, "=\"", fmap(val, sd_escape), "\"") for k, val in params]), "]")


def L_syslog5424(clean):
    t = CLK.new()
    fac, sev = ch([1, 4, 10, 16, 20, 23]), ch([3, 4, 5, 6, 7])
    pri = "<%d>1 " % (fac * 8 + sev)
    host = K(ch(["api-gw-%02d" % ri(1, 12), "edge-%s" % rs(4, LOWER + DIG), pod(ch(SVCS)), "fw-%s-%d" % (ch(["fra", "lhr", "nrt", "gru"]), ri(1, 4))]))
    ts = K(ch([ts_iso(t, 3), ts_iso(t, 6, False)]))
    procid = str(ri(100, 65535)) if chance(0.8) else "-"
    v = ri(0, 7)
    bom = "\ufeff" if chance(0.2) else ""
    if v == 0:   # application auth event with SD
        params = [("result", F(ch(["failure", "success", "locked"]))), ("src", K(ip_pub())), ("method", F(ch(["password", "otp", "webauthn"])))]
        msg = F("login attempt")
        if clean:
            params.insert(0, ("uid", K(uuid4())))
        else:
            params.insert(0, ("user", EM()))
            if chance(0.5):
                msg = cat("login attempt rejected, submitted password '", S(password(unicode_ok=False), "password"), "' does not match")
        sd = cat(sd_elem("auth@32473", params), sd_elem("meta", [("sequenceId", F(str(ri(1, 99999))))]))
        return cat(pri, ts, " ", host, " ", ch(["identity", "auth-svc", "sso"]), " ", procid, " ", K("AUTH%03d" % ri(1, 999)), " ", sd, " ", bom, msg)
    if v == 1:   # access log carried over syslog
        method, target = request_target(clean, t)
        sd = sd_elem("origin", [("ip", K(ip_priv())), ("software", F("nginx")), ("swVersion", K("1.%d.%d" % (ri(20, 27), ri(0, 5))))])
        return cat(pri, ts, " ", host, " nginx ", procid, " access ", sd, " ", bom, K(ip_pub()), " - - [", K(ts_clf(t)), "] \"", method, " ", target,
                   " HTTP/1.1\" ", str(ch([200, 302, 401, 404])), " ", str(ri(0, 9000)))
    if v == 2:   # sudo / shell command with password on the command line
        if clean:
            cmd = ch([F("/usr/bin/systemctl restart api-gateway"), cat("/usr/bin/mysql -u root -p --database=", ch(["shop", "crm"])),
                      F("/usr/bin/psql -h db.internal -U app -W")])
        else:
            pw = password(unicode_ok=False)
            cmd = ch([lambda: cat("/usr/bin/mysql -u root -p", S(pw, "password"), " -h ", K(ip_priv()), " shop"),
                      lambda: cat("/usr/bin/curl -u admin:", S(pw, "password"), " https://", K(ch(API_HOSTS)), "/admin/reindex"),
                      lambda: cat("/usr/local/bin/aws configure set aws_secret_access_key ", S(aws_secret(), "aws_secret_access_key")),
                      lambda: cat("/usr/bin/htpasswd -b /etc/nginx/.htpasswd ops ", S(pw, "password")),
                      lambda: cat("/usr/bin/env PGPASSWORD=", S(pw, "password"), " pg_dump -h ", K(ip_priv()), " -U app app"),
                      lambda: cat("/usr/bin/curl -sS -H \"", join(": ", vend_header()), "\" https://", K(ch(API_HOSTS)), "/v1/sync"),
                      lambda: cat("/usr/bin/env ", join("=", vend_kv(style="env")), " /opt/", ch(SVCS), "/bin/migrate --apply"),
                      lambda: cat("/usr/sbin/usermod -p '", S("$6$%s$%s" % (rs(16, BCRYPT), rs(86, BCRYPT)), "password_hash"), "' ", ch(["deploy", "backup", "ops"])),
                      lambda: cat("/usr/bin/htpasswd -i -B /etc/nginx/.htpasswd ops  # stored ops:", S(pw_hash(), "password_hash"))])()
        user = ch(["deploy", "ubuntu", "ec2-user", "ops"])
        return cat(pri, ts, " ", host, " sudo ", procid, " - - ", bom, user, " : TTY=pts/", str(ri(0, 9)), " ; PWD=", K("/home/%s" % user), " ; USER=root ; COMMAND=", cmd)
    if v == 3:   # sshd (clean look-alikes: fingerprints)
        if clean:
            return cat(pri, ts, " ", host, " sshd ", procid, " - - ", bom, "Accepted publickey for ", ch(["deploy", "git", "ubuntu"]), " from ", K(ip_pub()), " port ",
                       str(ri(1024, 65535)), " ssh2: ", ch(["ED25519", "RSA", "ECDSA"]), " ", K("SHA256:" + rs(43, ALNUM + "+/")))
        return cat(pri, ts, " ", host, " sshd ", procid, " - - ", bom, "Failed password for invalid user ", EM(), " from ", K(ip_pub()), " port ",
                   str(ri(1024, 65535)), " ssh2")
    if v == 4:   # postfix
        qid = K(rs(10, HEXU))
        to = K("<u***@example.com>") if clean else cat("<", EM(), ">")
        return cat(pri, ts, " ", host, " postfix/smtp ", procid, " - - ", bom, qid, ": to=", to, ", relay=", K("mx%d.mail.example.net[%s]:25" % (ri(1, 4), ip_pub())),
                   ", delay=", "%.1f" % (ri(1, 90) / 10.0), ", dsn=2.0.0, status=sent (250 2.0.0 OK ", K(str(ri(1700000000, 1740000000)) + " " + rs(12, LOWER + DIG)), ")")
    if v == 5:   # firewall/VPN (Cisco ASA style) over 5424
        if clean:
            return cat(pri, ts, " ", host, " asa ", procid, " - - ", bom, "%ASA-6-302013: Built inbound TCP connection ", str(ri(100000, 9999999)), " for outside:",
                       K(ip_pub()), "/", str(ri(1024, 65535)), " (", K(ip_pub()), "/", str(ri(1024, 65535)), ") to inside:", K(ip_priv()), "/443")
        return cat(pri, ts, " ", host, " asa ", procid, " - - ", bom, "%ASA-6-113004: AAA user authentication Successful : server = ", K(ip_priv()), " : user = ", EM())
    if v == 6:   # CEE/JSON payload after @cee:
        d = collections.OrderedDict([("msg", ch(["password change", "profile update", "payment"])), ("req", K(uuid4()))])
        if clean:
            d["user"] = K(uuid4())
        else:
            for kk, vv in body_any(False, [body_pwchange, body_profile, body_payment, body_login, body_oauth_json, body_integration]).items():
                d[kk] = vv
        return cat(pri, ts, " ", host, " ", ch(["app", "portal", "billing"]), " ", procid, " - [", K("timeQuality"), " tzKnown=\"1\" isSynced=\"1\"] @cee: ", jdump(d))
    # v == 7: SD with many params incl. quoted/escaped values
    params = [("ua", K(ua())), ("path", F(ch(["/login", "/api/v1/payments", "/reset"])))]
    if not clean:
        x = ri(0, 3)
        if chance(0.4):
            x = 3
        if x == 0:
            params.append(("token", S(reset_token(), "reset_token")))
        elif x == 1:
            params.append(("phone", PH()))
        elif x == 2:
            params.append(("apikey", S(apigw_key(), "api_gateway_api_key")))
        else:
            kn, tk = vend_kv(style="key")
            params.append((kn.replace(".", "_")[:32], tk))
    else:
        params.append(("reqid", K(uuid4())))
    return cat(pri, ts, " ", host, " ", ch(["gateway", "kong", "envoy"]), " ", procid, " ", K("REQ%03d" % ri(1, 999)), " ", sd_elem("http@32473", params),
               " ", bom, ch(["request", "denied", "throttled"]))


# ========================================================================================
# Layout: graphql - GraphQL persisted queries, variables and errors
# ========================================================================================
GQL_OPS = [("Login", "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id } } }"),
           ("Signup", "mutation Signup($input: SignupInput!) { signup(input: $input) { id } }"),
           ("GetViewer", "query GetViewer { viewer { id name orders(first: 10) { edges { node { id total } } } } }"),
           ("UpdateProfile", "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { id updatedAt } }"),
           ("ResetPassword", "mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }"),
           ("AddPaymentMethod", "mutation AddPaymentMethod($card: CardInput!) { addPaymentMethod(card: $card) { id last4 } }"),
           ("ConnectIntegration", "mutation ConnectIntegration($input: IntegrationInput!) { connectIntegration(input: $input) { id status } }"),
           ("ConnectIntegration", "mutation ConnectIntegration($input: IntegrationInput!) { connectIntegration(input: $input) { id status } }")]


def gql_vars(op, clean):
    d = collections.OrderedDict()
    if op == "Login":
        d["email"] = K("j***@e***.com") if clean else EM()
        d["password"] = K("********") if clean else S(password(space_ok=True), "password")
    elif op == "Signup":
        d["input"] = body_signup(clean)
    elif op == "UpdateProfile":
        d["input"] = body_profile(clean)
    elif op == "ResetPassword":
        d["token"] = K("[FILTERED]") if clean else S(reset_token(), "reset_token")
        d["newPassword"] = K("[FILTERED]") if clean else S(password(), "password")
    elif op == "ConnectIntegration":
        d["input"] = body_integration(clean)
    elif op == "AddPaymentMethod":
        d["card"] = collections.OrderedDict([("number", K("************%04d" % ri(0, 9999)) if clean else S(card(), "card_number")),
                                             ("expMonth", ri(1, 12)), ("expYear", ri(2025, 2031))])
    else:
        d["first"] = ri(5, 50)
        d["after"] = K(cursor())
    return d


def L_graphql(clean):
    t = CLK.new()
    op, doc = ch(GQL_OPS)
    if clean and chance(0.4):
        op, doc = "GetViewer", GQL_OPS[2][1]
    while not clean and op == "GetViewer":
        op, doc = ch(GQL_OPS)
    h = hashlib.sha256(doc.encode()).hexdigest()
    if chance(0.5):
        h = sha256hex()
    v = ri(0, 6)
    if v == 0:   # Apollo-style structured request log
        d = collections.OrderedDict([("level", "info"), ("time", K(ts_iso(t))), ("msg", "graphql request"), ("operationName", K(op)),
                                     ("extensions", {"persistedQuery": collections.OrderedDict([("version", 1), ("sha256Hash", K(h))])}),
                                     ("variables", gql_vars(op, clean)), ("clientName", ch(["ios", "web", "android"])),
                                     ("clientVersion", K(semver())), ("requestId", K(uuid4()))])
        return jdump(d, ascii_=chance(0.3))
    if v == 1:   # GET persisted query in an access log: variables are URL-encoded JSON
        varsj = jdump(gql_vars(op, clean))
        ext = jdump({"persistedQuery": collections.OrderedDict([("version", 1), ("sha256Hash", K(h))])})
        target = cat("/graphql?operationName=", K(op), "&variables=", fmap(varsj, q), "&extensions=", fmap(ext, q))
        return cat(K(ip_pub()), " - - [", K(ts_clf(t)), "] \"GET ", target, " HTTP/2.0\" ", str(ch([200, 200, 400])), " ", str(ri(50, 9000)), " \"-\" \"", K(ua()), "\"")
    if v == 2:   # inline literals in the query document (no variables)
        if clean:
            qd = cat("query { order(id: \"", K(uuid4()), "\") { id status total } }")
        else:
            x = ri(0, 2)
            if x == 0:
                qd = cat("mutation { login(email: \"", EM(), "\", password: \"", S(password(), "password"), "\") { token } }")
            elif x == 1:
                qd = cat("mutation { updateProfile(input: {phone: \"", PH(), "\", birthDate: \"", S(dob("iso"), "date_of_birth"), "\"}) { id } }")
            else:
                qd = cat("mutation { connectIntegration(provider: STRIPE, secretKey: \"", vtok(VENDORS["stripe"]) if chance(0.3) else vtok(pick_vendor()), "\") { ok } }")
        d = collections.OrderedDict([("query", qd), ("operationName", None), ("variables", {})])
        return cat(K(ts_iso(t)), " DEBUG graphql-http body=", jdump(d), " ip=", K(ip_pub()))
    if v == 3:   # PersistedQueryNotFound / APQ registration (clean-ish)
        if clean or chance(0.5):
            return cat(K(ts_iso(t)), " WARN apollo-router: PersistedQueryNotFound hash=", K(h), " operation=", K(op), " client=", ch(["ios", "web"]),
                       "/", K(semver()), " trace_id=", K(rhex(32)))
        return cat(K(ts_iso(t)), " INFO apollo-router: APQ registered hash=", K(h), " operation=", K(op), " variables=", jdump(gql_vars(op, False)))
    if v == 4:   # graphql-js variable coercion error (echoes the value)
        if clean:
            return cat("GraphQLError: Variable \"$input\" got invalid value { first: -1 }; Expected type \"PositiveInt\". path=", K("[\"viewer\",\"orders\"]"),
                       " requestId=", K(uuid4()))
        pw = password()
        x = ri(0, 2)
        if x == 0:
            val = cat("{ email: \"", EM(), "\", password: \"", S(pw, "password"), "\", passwordConfirm: \"", S(pw, "password"), "\" }")
            hint = "Field \"passwordConfirm\" is not defined by type \"SignupInput\"."
        elif x == 1:
            val = cat("{ phone: \"", PH(), "\" }")
            hint = "Expected type \"E164\"."
        else:
            val = cat("{ number: \"", S(card(), "card_number"), "\", expMonth: 13 }")
            hint = "Int cannot represent value 13 as expMonth."
        return cat("GraphQLError: Variable \"$input\" got invalid value ", val, "; ", hint, " requestId=", K(uuid4()))
    if v == 5:   # Hasura http-log
        d = collections.OrderedDict([("type", "http-log"), ("timestamp", K(ts_iso(t, 3, False))), ("level", "info"),
                                     ("detail", collections.OrderedDict([
                                         ("operation", collections.OrderedDict([("query", collections.OrderedDict([("operationName", K(op)), ("variables", gql_vars(op, clean))])),
                                                                                ("user_vars", collections.OrderedDict([("x-hasura-role", "user"), ("x-hasura-user-id", K(uuid4()))])),
                                                                                ("request_id", K(uuid4())), ("response_size", ri(20, 9000)),
                                                                                ("query_execution_time", ri(1, 900) / 1000.0)])),
                                         ("http_info", collections.OrderedDict([("status", 200), ("http_version", "HTTP/1.1"), ("url", "/v1/graphql"), ("ip", K(ip_pub())), ("method", "POST")]))]))])
        return jdump(d)
    # v == 6: GraphQL response errors with extensions (server logs response)
    if clean:
        err = collections.OrderedDict([("message", "Not authorised"), ("extensions", {"code": "UNAUTHENTICATED"}), ("path", [K("viewer")])])
    else:
        x = ri(0, 2)
        if x == 0:
            err = collections.OrderedDict([("message", cat("User with email ", EM(), " already exists")), ("extensions", {"code": "BAD_USER_INPUT"}), ("path", [K("signup")])])
        elif x == 1:
            err = collections.OrderedDict([("message", "Upstream error"), ("extensions", collections.OrderedDict([("code", "INTERNAL_SERVER_ERROR"),
                                                                                                         ("exception", {"config": {"headers": {"Authorization": cat("Bearer ", S(jwt(), "jwt"))}}})])),
                                           ("path", [K("viewer")])])
        else:
            err = collections.OrderedDict([("message", cat("Invalid reset token ", S(reset_token(), "reset_token"))), ("extensions", {"code": "FORBIDDEN"}), ("path", [K("resetPassword")])])
    data = None
    if not clean and chance(0.4):
        data = {"viewer": collections.OrderedDict([("id", K(uuid4())), ("email", EM()), ("passwordHash", S(pw_hash(), "password_hash")),
                                                   ("lastLoginAt", K(ts_iso(t)))])}
    d = collections.OrderedDict([("errors", [err]), ("data", data)])
    return cat(K(ts_iso(t)), " ERROR graphql response op=", K(op), " ", jdump(d), " hash=", K(h))


# ========================================================================================
# Layout: grpc - gRPC metadata dumps (Go, Java, Python, grpcurl, grpc-gateway), status errors
# ========================================================================================
GRPC_METHODS = ["/acme.users.v1.UserService/GetUser", "/acme.auth.v1.AuthService/Login", "/acme.payments.v1.PaymentService/Charge",
                "/acme.auth.v1.AuthService/RefreshToken", "/acme.orders.v1.OrderService/ListOrders", "/grpc.health.v1.Health/Check",
                "/acme.kyc.v1.VerificationService/SubmitDocument"]


def pb_c_escape(x):
    out = []
    for c in x:
        b = c.encode("utf-8")
        if len(b) == 1 and 32 <= b[0] < 127 and c not in "\\\"'":
            out.append(c)
        else:
            out.extend("\\%03o" % v for v in b)
    return "".join(out)


def grpc_md(clean, t, lower_only=True):
    """-> list of (key, F value) gRPC metadata."""
    md = [(":authority", K("%s:%d" % (ch(SVCS), ch([50051, 443, 9090])))), ("content-type", F("application/grpc")),
          ("user-agent", K(ch(["grpc-go/1.%d.%d" % (ri(55, 64), ri(0, 3)), "grpc-java-netty/1.%d.%d" % (ri(55, 64), ri(0, 3)),
                                "grpc-python/1.%d.%d grpc-c/%d.0.0 (linux; chttp2)" % (ri(55, 64), ri(0, 3), ri(30, 40)), "grpc-node-js/1.10.%d" % ri(0, 9)]))),
          ("grpc-timeout", F("%dm" % ri(100, 30000))), ("grpc-accept-encoding", F("identity,deflate,gzip"))]
    if chance(0.5):
        md.append(("grpc-trace-bin", K(b64(b"\x00\x00" + bytes(R.getrandbits(8) for _ in range(16)) + b"\x01" + bytes(R.getrandbits(8) for _ in range(8)) + b"\x02\x01"))))
    if chance(0.5):
        md.append(("x-request-id", K(uuid4())))
    if clean:
        if chance(0.5):
            md.append(("authorization", K(ch(["REDACTED", "Bearer [redacted]", "<redacted>"]))))
        return md
    for _ in range(ch([1, 1, 2])):
        x = ri(0, 5)
        if chance(0.3):
            x = 2
        if x == 0:
            md.append(("authorization", cat("Bearer ", S(jwt(), "jwt"))))
        elif x == 1:
            md.append(("x-api-key", S(apigw_key(), "api_gateway_api_key")))
        elif x == 2:
            hn, hv = vend_header(lower=True)
            md.append((hn, hv))
        elif x == 3:
            md.append(("x-user-token-bin", S(b64(opaque_token(32)), "base64_secret")))
        elif x == 4:
            md.append(("x-user-email", EM()))
        else:
            md.append(("cookie", cookie_header(False)))
    R.shuffle(md)
    return md


def L_grpc(clean):
    t = CLK.new()
    meth = ch(GRPC_METHODS)
    svc, m = meth[1:].split("/")
    peer = K("%s:%d" % (ip_priv(), ri(30000, 60000)))
    v = ri(0, 7)
    if v == 0:   # Go map[...] rendering
        md = grpc_md(clean, t)
        mp = join(" ", [cat(k, ":[", val, "]") for k, val in md])
        return cat(K(ts_iso(t, 6)), "\tINFO\tgrpc/server.go:", str(ri(40, 300)), "\tfinished unary call\t{\"grpc.service\": \"", K(svc), "\", \"grpc.method\": \"", m,
                   "\", \"peer.address\": \"", peer, "\", \"grpc.code\": \"", ch(["OK", "Unauthenticated", "PermissionDenied", "Internal"]), "\", \"grpc.time_ms\": ",
                   "%.3f" % (ri(100, 900000) / 1000.0), "} metadata=map[", mp, "]")
    if v == 1:   # grpc-java Metadata toString
        md = grpc_md(clean, t)
        mp = join(",", [cat(k, "=", val) for k, val in md if not k.startswith(":")])
        return cat(K(ts_space(t)), " [grpc-default-executor-", str(ri(0, 20)), "] DEBUG c.a.grpc.LoggingInterceptor - call ", K(meth), " headers=Metadata(", mp, ")")
    if v == 2:   # Python invocation_metadata tuple
        md = grpc_md(clean, t)
        mp = join(", ", [cat("_Metadatum(key='", k, "', value='", fmap(val, sq_esc), "')") for k, val in md if not k.startswith(":")])
        return cat(K(ts_space(t).replace(".", ",")), " DEBUG [", svc.split(".")[1], ".server] ", m, " invocation_metadata=(", mp, ")")
    if v == 3:   # grpcurl -v (multi-line, \n-escaped)
        md = [(k, val) for k, val in grpc_md(clean, t) if not k.startswith(":") and k not in ("content-type", "user-agent", "grpc-timeout", "grpc-accept-encoding")]
        if not md:
            md = [("x-request-id", K(uuid4()))]
        req = jdump(body_any(clean, [body_login, body_profile, body_payment, body_reset, body_oauth_json, body_token_response]), sep=SEP_SPACED)
        lines = [cat("Resolved method descriptor:"), cat("rpc ", m, " ( .", K(svc), "Request ) returns ( .", svc, "Response );"), F(""),
                 F("Request metadata to send:")] + [cat(k, ": ", val) for k, val in md] + \
                [F(""), F("Response headers received:"), F("content-type: application/grpc"), cat("date: ", K(_d(t).strftime("%a, %d %b %Y %H:%M:%S GMT"))), F(""),
                 cat("Request contents: ", req)]
        return join("\\n", lines)
    if v == 4:   # protobuf text format dump (octal escapes for non-ASCII, as in C++/Python text_format)
        esc = chance(0.6)
        enc = (lambda f: fmap(f, pb_c_escape)) if esc else (lambda f: f)
        fields = []
        if clean:
            fields = [cat("user_id: \"", K(uuid4()), "\""), F("page_size: 20"), cat("page_token: \"", K(cursor()), "\"")]
        else:
            b = body_any(False, [body_login, body_signup, body_profile, body_payment, body_pwchange, body_oauth_json, body_integration])
            for kk, vv in b.items():
                kn = re.sub(r"[^a-z0-9_]", "_", (kk.t if isinstance(kk, F) else kk).lower()) or "field"
                if isinstance(vv, F):
                    fields.append(cat(kn, ": \"", enc(vv), "\""))
                elif isinstance(vv, bool):
                    fields.append(F("%s: %s" % (kn, "true" if vv else "false")))
                elif isinstance(vv, int):
                    fields.append(F("%s: %d" % (kn, vv)))
                else:
                    fields.append(cat(kn, ": \"", enc(asF(vv)), "\""))
            if esc and chance(0.8):
                # a non-ASCII value, so the octal escaping is visible in the label
                uv = ch([lambda: S(ch(PW_UNI) + ch(["#", "_", "!", ""]) + str(ri(10, 9999)), "password"),
                         lambda: S(address(ch(["DE", "JP", "BR", "ES"])), "street_address"),
                         lambda: S(dob("jp"), "date_of_birth")])()
                fields.append(cat({"password": "new_password", "street_address": "shipping_address", "date_of_birth": "birth_date"}[uv.s[0][1]],
                                  ": \"", enc(uv), "\""))
        return cat(K(ts_iso(t)), " I ", K(meth), " request: ", join(" ", fields), " peer=", peer)
    if v == 5:   # grpc-gateway forwarded headers
        md = [("grpcgateway-user-agent", K(ua())), ("x-forwarded-for", K(ip_pub())), ("x-forwarded-host", K(ch(API_HOSTS)))]
        if clean:
            md.append(("grpcgateway-authorization", K("Bearer [REDACTED]")))
        else:
            x = ri(0, 2)
            if x == 0:
                md.append(("grpcgateway-authorization", cat("Bearer ", S(jwt(), "jwt"))))
            elif x == 1:
                md.append(("grpcgateway-cookie", cookie_header(False)))
            else:
                hn, hv = vend_header(lower=True)
                md.append(("grpcgateway-" + hn, hv))
        return cat(K(ts_iso(t)), " DEBUG gateway: forwarding ", K(meth), " md=", jdump(collections.OrderedDict((k, [val]) for k, val in md)))
    if v == 6:   # status error strings
        if clean:
            return cat("rpc error: code = ", ch(["Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp ", "DeadlineExceeded desc = context deadline exceeded \""]),
                       peer, "\" method=", K(meth), " attempt=", str(ri(1, 5)))
        x = ri(0, 3)
        if x == 0:
            msg = cat("invalid API key \"", S(apigw_key(), "api_gateway_api_key"), "\"")
        elif x == 1:
            msg = cat("token ", S(jwt(), "jwt"), " is expired")
        elif x == 2:
            msg = cat("user ", EM(), " not found")
        else:
            msg = cat("could not open ", conn_string())
        return cat("rpc error: code = ", ch(["Unauthenticated", "NotFound", "Internal"]), " desc = ", msg, " method=", K(meth), " peer=", peer)
    # v == 7: binary metadata and status-details
    md = grpc_md(clean, t)
    md.append(("grpc-status-details-bin", K(b64(b"\x08\x10\x12" + bytes([ri(10, 30)]) + b"invalid credentials"))))
    return cat(K(ts_iso(t)), " WARN interceptor: ", K(meth), " failed status=16 trailers={", join(", ", [cat(k, "=", val) for k, val in md]), "}")


# ========================================================================================
# Layout: trace_flat - multi-line stack traces flattened onto one line (\n / \t escapes, or
# real newlines inside a Docker json-file / CloudWatch JSON wrapper)
# ========================================================================================
def trace_secret_msg(clean, lang):
    if clean:
        return ch([F("Connection refused"), cat("Order ", K(luhn_fail()), " not found"), F("Read timed out"),
                   cat("Invalid password for user id ", K(uuid4()), " (attempt 3/5)")])
    x = ri(0, 7)
    if chance(0.3):
        x = 4
    elif chance(0.15):
        e = email()
        ent = ch(["&#64;", "&commat;", "&#x40;"])
        return cat("upstream returned HTML: <html><body><h1>403 Forbidden</h1><p>The account ", S(e.replace("@", ent), "email"),
                   " is locked.</p></body></html>")
    if x == 0:
        return cat("401 Client Error: Unauthorized for url: https://", K(ch(API_HOSTS)), "/v1/me?", qs(secret_query(None, ["access_token", "apikey", "vendor", "token"])))
    if x == 1:
        return cat("could not connect to server: ", conn_string())
    if x == 2:
        return cat("duplicate key value violates unique constraint \"users_email_key\"", "\\n" if lang != "wrap" else "\n", "DETAIL:  Key (email)=(", EM(), ") already exists.")
    if x == 3:
        return cat("Invalid signature for JWT ", S(jwt(), "jwt"))
    if x == 4:
        hn, hv = vend_header()
        return cat("Request failed with status code 403 (headers: {\"", hn, "\":\"", hv, "\"})")
    if x == 5:
        if chance(0.5):
            return cat("ERROR: value too long for type character varying(60)", "\\n" if lang != "wrap" else "\n", "STATEMENT:  INSERT INTO users (email, password_hash) VALUES ('",
                       EM(), "', '", S(pw_hash(), "password_hash"), "')")
        return cat("Card ", S(card(), "card_number"), " rejected by processor: do_not_honor")
    if x == 6:
        return cat("password authentication failed for user \"app\" (password=", S(password(unicode_ok=False), "password"), ")")
    return cat("AccessDenied: User arn:aws:sts::", K(acct()), ":assumed-role/", ch(["deploy", "lambda-exec"]), "/", ch(SVCS), " with key ", S(aws_akid(), "aws_access_key_id"),
               " is not authorized to perform: s3:GetObject")


def L_trace_flat(clean):
    t = CLK.new()
    v = ri(0, 6)
    NL = "\\n"
    if v == 0:   # Java stack trace, \n\t escaped
        exc = ch(["org.springframework.web.client.HttpClientErrorException$Unauthorized", "org.postgresql.util.PSQLException",
                  "java.lang.IllegalStateException", "com.acme.payments.ProcessorException"])
        msg = trace_secret_msg(clean, "java")
        frames = ["at org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:%d)" % ri(80, 200),
                  "at com.acme.%s.%s(%s.java:%d)" % (ch(["payments.PaymentService", "auth.TokenClient", "users.UserRepository"]), ch(["charge", "refresh", "findByEmail"]),
                                                      ch(["PaymentService", "TokenClient", "UserRepository"]), ri(20, 400)),
                  "at java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)", "... %d common frames omitted" % ri(10, 90)]
        return cat(K(ts_space(t)), " ERROR ", str(ri(1, 99999)), " --- [nio-8080-exec-", str(ri(1, 9)), "] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception",
                   NL, exc, ": ", msg, NL, join(NL, [F("\\t" + f) for f in frames]), " traceId=", K(rhex(32)))
    if v == 1:   # Python traceback, \n escaped
        msg = trace_secret_msg(clean, "py")
        code_line = ch([F("resp = requests.post(url, json=payload, timeout=5)"), F("conn = psycopg.connect(DSN)"), F("user = User.objects.get(email=email)")])
        if not clean and chance(0.4):
            code_line = ch([lambda: cat("token = \"", S(jwt(), "jwt"), "\"  # TODO remove"),
                            lambda: cat("client = boto3.client(\"s3\", aws_access_key_id=\"", S(aws_akid(False), "aws_access_key_id"), "\", aws_secret_access_key=\"",
                                        S(aws_secret(), "aws_secret_access_key"), "\")"),
                            lambda: cat("api.login(\"", EM(), "\", \"", S(password(unicode_ok=False), "password"), "\")")])()
        return cat("Traceback (most recent call last):", NL, "  File \"/var/task/handler.py\", line ", str(ri(10, 300)), ", in lambda_handler", NL, "    ", code_line, NL,
                   "  File \"/var/lang/lib/python3.12/site-packages/requests/models.py\", line 1021, in raise_for_status", NL, "    raise HTTPError(http_error_msg, response=self)",
                   NL, ch(["requests.exceptions.HTTPError", "psycopg.OperationalError", "botocore.exceptions.ClientError"]), ": ", msg, " [RequestId: ", K(uuid4()), "]")
    if v == 2:   # Node error with axios config (util.inspect, multi-line)
        cfg = collections.OrderedDict([("url", "https://%s/v1/charges" % ch(API_HOSTS)), ("method", "post")])
        hdr = collections.OrderedDict([("Accept", "application/json, text/plain, */*"), ("Content-Type", "application/json"), ("User-Agent", K("axios/1.6.7"))])
        if clean:
            hdr["Authorization"] = K("Bearer [REDACTED]")
        else:
            hn, hv = secret_header(False, ["jwt", "vendor", "basic", "apikey", "opaque"])
            hdr[hn] = hv
        cfg["headers"] = hdr
        if not clean and chance(0.5):
            cfg["data"] = jdump(body_any(False, [body_login, body_payment, body_reset, body_oauth_json]))
        return cat("AxiosError: Request failed with status code ", str(ch([401, 403, 500])), NL, "    at settle (/var/task/node_modules/axios/dist/node/axios.cjs:", str(ri(1900, 2100)), ":12)",
                   NL, "    at IncomingMessage.handleStreamEnd (/var/task/node_modules/axios/dist/node/axios.cjs:", str(ri(3000, 3200)), ":11) {", NL,
                   "  code: 'ERR_BAD_REQUEST',", NL, "  config: ", js_inspect(cfg), NL, "} requestId=", K(uuid4()))
    if v == 3:   # Go panic with DSN in arguments
        msg = trace_secret_msg(clean, "go")
        return cat("panic: ", msg, NL, NL, "goroutine ", str(ri(1, 400)), " [running]:", NL, "main.mustConnect({0xc000", rhex(6), ", 0x", rhex(2), "})", NL, "\\t/app/cmd/api/main.go:",
                   str(ri(20, 200)), " +0x", rhex(3), NL, "main.main()", NL, "\\t/app/cmd/api/main.go:", str(ri(20, 200)), " +0x", rhex(2), " build=", K(rhex(40)))
    if v == 4:   # .NET exception
        msg = trace_secret_msg(clean, "net")
        return cat("System.InvalidOperationException: ", msg, NL, "   at MyShop.Payments.StripeGateway.ChargeAsync(ChargeRequest request) in /src/MyShop.Payments/StripeGateway.cs:line ",
                   str(ri(20, 300)), NL, "   at MyShop.Web.Controllers.CheckoutController.Pay(PayModel model) in /src/MyShop.Web/Controllers/CheckoutController.cs:line ", str(ri(20, 300)),
                   NL, "--- End of stack trace from previous location ---", " TraceIdentifier=", K(kestrel_conn() + ":%08X" % ri(1, 40)))
    if v == 5:   # Docker json-file wrapper: real newlines inside the JSON string
        msg = trace_secret_msg(clean, "wrap")
        body = cat("Traceback (most recent call last):\n  File \"/app/worker.py\", line ", str(ri(10, 300)), ", in run\n    job.execute()\n", ch(["RuntimeError", "ValueError", "KeyError"]), ": ", msg, "\n")
        d = collections.OrderedDict([("log", body), ("stream", "stderr"), ("time", K(ts_iso(t, 6)))])
        return jdump(d)
    # v == 6: Ruby / Rails backtrace
    msg = trace_secret_msg(clean, "rb")
    return cat("F, [", K(ts_iso(t, 6, False)[:-6]), " #", str(ri(1, 999)), "] FATAL -- : [", K(uuid4()), "] ", NL, "[", K(uuid4()), "] ",
               ch(["ActiveRecord::ConnectionNotEstablished", "Faraday::UnauthorizedError", "Stripe::CardError"]), " (", msg, "):", NL, "[", K(uuid4()), "]   ",
               "app/services/", ch(["billing", "sync", "auth"]), "_service.rb:", str(ri(10, 200)), ":in `call'")


# ========================================================================================
# Layout: config_dump - YAML / TOML / properties / env / HCL config dumps logged on one line
# ========================================================================================
def cfg_secret_entries(clean, n=None):
    """-> list of (dotted key path, F value, kind-of-entry) ; benign look-alikes included."""
    out = []
    n = n or ri(1, 3)
    looks = [("password_min_length", F(str(ch([8, 10, 12, 14])))), ("password_file", K("/run/secrets/db_password")),
             ("token_ttl", F(str(ch([300, 900, 3600])))), ("secret_name", K("prod/%s/credentials" % ch(SVCS))),
             ("kms_key_id", K("arn:aws:kms:%s:%s:key/%s" % (ch(REGIONS), acct(), uuid4()))), ("api_key_header", K("X-Api-Key")),
             ("db_password", K("${DB_PASSWORD}")), ("client_secret", K("vault:secret/data/%s#client_secret" % ch(SVCS))),
             ("jwt_public_key_url", K("https://%s/.well-known/jwks.json" % ch(API_HOSTS))), ("session_cookie_name", K(ch(["JSESSIONID", "__Host-session", "connect.sid"]))),
             ("password_hashers", K("django.contrib.auth.hashers.Argon2PasswordHasher")), ("pwd", K("/srv/%s" % ch(SVCS))),
             ("image", K("%s.dkr.ecr.%s.amazonaws.com/%s@sha256:%s" % (acct(), ch(REGIONS), ch(SVCS), sha256hex()))),
             ("git_sha", K(sha1hex())), ("secret_ref", K("{{resolve:secretsmanager:prod/db:SecretString:password}}")),
             ("access_key_id_hint", K("AKIA************" + rs(4, UPPER)))]
    for _ in range(ri(1, 3)):
        out.append(ch(looks) + ("look",))
    if clean:
        out.append(("database.password", K(mask()), "mask"))
        return out
    for _ in range(n):
        x = ri(0, 9)
        if chance(0.35):
            x = 2
        if x == 0:
            out.append((ch(["database.password", "db.pass", "spring.datasource.password", "DATABASE_PASSWORD", "mysql.root_password", "redis.auth"]),
                        S(password(unicode_ok=False), "password"), "pw"))
        elif x == 1:
            out.append((ch(["database.url", "DATABASE_URL", "spring.datasource.url", "redis.url", "broker_url", "SQLALCHEMY_DATABASE_URI"]), conn_string(), "conn"))
        elif x == 2:
            kn, tk = vend_kv(style=ch(["env", "key"]))
            out.append((kn, tk, "vendor"))
        elif x == 3:
            out.append(("aws.access_key_id", S(aws_akid(False), "aws_access_key_id"), "aws"))
            out.append(("aws.secret_access_key", S(aws_secret(), "aws_secret_access_key"), "aws"))
        elif x == 4:
            out.append((ch(["jwt.secret", "JWT_SECRET", "SECRET_KEY", "app.signing_key", "SESSION_SECRET", "cookie_secret"]),
                        S(ch([rs(50, ALNUM + "!@#%^*-_=+"), rhex(64), b64(rs(32))]), "signing_secret"), "sk"))
        elif x == 5:
            out.append((ch(["oauth.client_secret", "OIDC_CLIENT_SECRET", "auth0.client_secret", "keycloak.credentials.secret"]), S(client_secret(), "client_secret"), "cs"))
        elif x == 6:
            out.append(("smtp.password", S(password(unicode_ok=False), "password"), "pw"))
            out.append(("smtp.user", EM(), "em"))
        elif x == 7:
            out.append(("admin.email", EM(), "em"))
            out.append(("admin.initial_password", S(password(unicode_ok=False), "password"), "pw"))
        elif x == 8:
            out.append(("apigateway.api_key", S(apigw_key(), "api_gateway_api_key"), "ak"))
            if chance(0.5):
                out.append(("aws.session_token", S(aws_session_token(), "aws_session_token"), "aws"))
                out.append(("aws.access_key_id", S(aws_akid(True), "aws_access_key_id"), "aws"))
        elif x == 9 and chance(0.35):
            out.append((ch(["deploy.ssh_key", "GIT_SSH_KEY", "sftp.identity"]), openssh_block(), "pk"))
        elif x == 9 and chance(0.5):
            out.append((ch(["jwt.private_key", "JWT_PRIVATE_KEY", "tls.key", "saml.sp_private_key", "apns.p8_key", "github_app.private_key"]),
                        pem_block(ch(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"])), "pk"))
        elif x == 9:
            out.append((ch(["admin.password_hash", "basic_auth.users.ops", "users.admin.hash", "ADMIN_PASSWORD_HASH"]), S(pw_hash(), "password_hash"), "ph"))
        else:
            out.append(("support.phone", PH(), "ph"))
    return out


def yaml_scalar(f):
    t_ = f.t
    if t_ == "" or re.search(r"[:#\[\]{},&*!|>'\"%@`]|^\s|\s$|^[-?]", t_):
        return cat('"', f, '"')
    return f


def L_config_dump(clean):
    t = CLK.new()
    ents = cfg_secret_entries(clean)
    R.shuffle(ents)
    app = ch(SVCS)
    base = [("app.name", F(app)), ("app.version", K(semver())), ("server.port", F(str(ch([8080, 3000, 9000])))), ("log.level", F(ch(["info", "debug", "warn"])))]
    items = base + [(k, v) for k, v, _ in ents]
    v = ri(0, 8)
    if v == 0:   # YAML flow mapping on one line
        body = join(", ", [cat(k.split(".")[-1] if chance(0.3) else k, ": ", yaml_scalar(val)) for k, val in items])
        return cat(K(ts_iso(t)), " INFO config loaded: {", body, "}")
    if v in (1, 2):   # group keys by top-level section
        secs = collections.OrderedDict()
        for k, val in items:
            parts = k.split(".")
            sec = parts[0] if len(parts) > 1 else ""
            secs.setdefault(sec, []).append((".".join(parts[1:]) if sec else k, val))
        if "" in secs:
            secs.move_to_end("", last=False)
    if v == 1:   # YAML block, \n-escaped
        lines = []
        for sec, kvs in secs.items():
            if sec:
                lines.append(F(sec + ":"))
            for k, val in kvs:
                lines.append(cat("  " if sec else "", k, ": ", yaml_scalar(val)))
        return cat("effective config (", K(app + "-config.yaml"), "):\\n---\\n", join("\\n", lines))
    if v == 2:   # TOML, \n-escaped
        lines = []
        for sec, kvs in secs.items():
            if sec:
                lines.append(F("[%s]" % sec))
            for k, val in kvs:
                lines.append(cat(k, " = \"", val, "\""))
        return cat("Loaded ", K("/etc/%s/config.toml" % app), ":\\n", join("\\n", lines))
    if v == 3:   # TOML inline table
        return cat(K(ts_iso(t)), " settings = { ", join(", ", [cat('"' + k + '"' if "." in k else k, " = \"", val, "\"") for k, val in items]), " }")
    if v == 4:   # Java .properties dump
        return cat(K(ts_space(t)), " DEBUG PropertiesLoader - resolved: ", join(" ", [cat(k.lower(), "=", val) for k, val in items]))
    if v == 5:   # env dump
        envs = [cat(re.sub(r"[^A-Z0-9]", "_", k.upper()), "=", val) for k, val in items]
        envs.insert(ri(0, len(envs)), cat("PWD=", K("/app")))
        envs.insert(ri(0, len(envs)), cat("HOSTNAME=", K(pod(app))))
        return cat("container env: ", join(" ", envs))
    if v == 6:   # Kubernetes Secret manifest (data is base64; stringData raw)
        data = []
        for k, val, kind in ents:
            if kind in ("look", "mask"):
                continue
            raw = val.t
            if chance(0.5) and val.s:
                data.append(cat("    ", re.sub(r"[^A-Za-z0-9_.-]", "_", k), ": ", S(b64(raw), "base64_secret")))
            else:
                data.append(cat("    ", re.sub(r"[^A-Za-z0-9_.-]", "_", k), ": ", yaml_scalar(val)))
        if not data:
            data.append(cat("    ", "ca.crt", ": ", K(b64("-----BEGIN CERTIFICATE-----\n" + rs(40, B64)))))
        kind_ = ch(["data", "stringData"])
        return cat("kubectl apply -f - <<'EOF'\\napiVersion: v1\\nkind: Secret\\nmetadata:\\n  name: ", K(app + "-secrets"), "\\n  namespace: ",
                   ch(["default", "prod"]), "\\ntype: Opaque\\n", "data:" if kind_ == "data" else "stringData:", "\\n", join("\\n", data), "\\nEOF")
    if v == 7:   # Terraform plan output (sensitive values masked) + one leaked output
        lines = [cat("  + resource \"aws_db_instance\" \"", app.replace("-", "_"), "\" {"), F("      + engine   = \"postgres\""),
                 cat("      + password = ", K("(sensitive value)")), cat("      + username = \"", F("app"), "\""),
                 cat("      + kms_key_id = \"", K("arn:aws:kms:%s:%s:key/%s" % (ch(REGIONS), acct(), uuid4())), "\"")]
        for k, val, kind in ents:
            if kind != "look":
                lines.append(cat("      + ", re.sub(r"[^a-z0-9_]", "_", k.lower()), " = \"", val, "\""))
        return cat("Terraform will perform the following actions:\\n", join("\\n", lines), "\\n    }")
    if v == 8 and chance(0.3):   # GCP service-account JSON passed through an env var
        proj = "%s-%d" % (ch(["acme-prod", "shop-data", "kyc-platform"]), ri(100000, 999999))
        sa = collections.OrderedDict([("type", "service_account"), ("project_id", K(proj)), ("private_key_id", F(rhex(40))),
                                      ("private_key", K("-----BEGIN PRIVATE KEY-----\n<redacted>\n-----END PRIVATE KEY-----\n") if clean else
                                       cat(pem_block("PRIVATE KEY", nl="\n", n=ri(2, 4)), "\n")),
                                      ("client_email", F("%s@%s.iam.gserviceaccount.com" % (ch(SVCS), proj))), ("client_id", F(digits(21))),
                                      ("token_uri", "https://oauth2.googleapis.com/token")])
        return cat(K(ts_iso(t)), " DEBUG bootstrap: GOOGLE_APPLICATION_CREDENTIALS_JSON=", jdump(sa))
    # v == 8: Spring Boot actuator /env JSON (masked values) with leaked custom keys
    props = collections.OrderedDict()
    props["spring.datasource.password"] = collections.OrderedDict([("value", K("******")), ("origin", "System Environment Property \"SPRING_DATASOURCE_PASSWORD\"")])
    for k, val, kind in ents:
        props[k] = collections.OrderedDict([("value", val)])
    d = collections.OrderedDict([("activeProfiles", ["prod"]), ("propertySources", [collections.OrderedDict([("name", "systemEnvironment"), ("properties", props)])])])
    return jdump(d)


# ========================================================================================
# Driver
# ========================================================================================
LAYOUTS = [
    ("httpapi_json", 150, L_httpapi_json),
    ("websocket", 90, L_websocket),
    ("authorizer", 90, L_authorizer),
    ("envoy_text", 90, L_envoy_text),
    ("envoy_json", 80, L_envoy_json),
    ("kong", 80, L_kong),
    ("nginx_ingress", 90, L_nginx_ingress),
    ("spring", 100, L_spring),
    ("aspnet", 100, L_aspnet),
    ("webfw", 110, L_webfw),
    ("otel", 90, L_otel),
    ("syslog5424", 80, L_syslog5424),
    ("graphql", 80, L_graphql),
    ("grpc", 80, L_grpc),
    ("trace_flat", 90, L_trace_flat),
    ("config_dump", 100, L_config_dump),
]
TOTAL = 1500
CLEAN_FRACTION = 0.2
MIN_PER_VENDOR = 3
MIN_VENDORS = 80
MAX_ATTEMPTS = 200


def fail(msg):
    sys.stderr.write("SELF-CHECK FAILED: %s\n" % msg)
    sys.exit(1)


def build():
    LAYOUT_NAMES[:] = [n for n, _, _ in LAYOUTS]
    if sum(n for _, n, _ in LAYOUTS) != TOTAL:
        fail("layout counts do not add up to %d" % TOTAL)
    records, inserted_all = [], []
    stats = collections.Counter()
    seq = 0
    for name, n, fn in LAYOUTS:
        n_clean = int(round(n * CLEAN_FRACTION))
        clean_idx = set(R.sample(range(n), n_clean))
        for i in range(n):
            seq += 1
            clean = i in clean_idx
            for attempt in range(MAX_ATTEMPTS):
                del VENDOR_PENDING[:]
                try:
                    rec, ins = make_record(name, seq, fn(clean), clean)
                except CheckError as e:
                    stats["regenerated"] += 1
                    stats["regenerated:" + re.sub(r"[\"'].*", "", str(e))[:40].strip()] += 1
                    continue
                break
            else:
                fail("could not build a valid record for %s #%d" % (name, seq))
            for s, k in zip(rec["secrets"], rec["kinds"]):
                if k.startswith("vendor:") and k[7:] in VENDOR_COUNT:
                    VENDOR_COUNT[k[7:]] += 1
            records.append(rec)
            inserted_all.append(ins)
    return records, inserted_all, stats


def whole_file_checks(records, inserted_all):
    if len(records) != TOTAL:
        fail("record count %d" % len(records))
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        fail("duplicate ids")
    for r, ins in zip(records, inserted_all):
        try:
            check_record(r, ins)
        except CheckError as e:
            fail("%s: %s" % (r["id"], e))
    n_clean = sum(1 for r in records if not r["secrets"])
    if not (0.18 * TOTAL <= n_clean <= 0.22 * TOTAL):
        fail("clean fraction %d" % n_clean)
    vend = collections.Counter()
    for r in records:
        for k in r["kinds"]:
            if k.startswith("vendor:"):
                vend[k[7:]] += 1
    if len(vend) < MIN_VENDORS:
        fail("only %d vendors" % len(vend))
    low = [v for v in VENDORS if vend[v] < MIN_PER_VENDOR]
    if low:
        fail("vendors below %d labels: %s" % (MIN_PER_VENDOR, ", ".join(low)))
    for name, n, _ in LAYOUTS:
        got = sum(1 for r in records if r["layout"] == name)
        if got != n:
            fail("layout %s has %d records, expected %d" % (name, got, n))
    return vend


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = os.path.join(here, OUT_NAME)
    records, inserted_all, stats = build()
    vend = whole_file_checks(records, inserted_all)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    tmp = out_path + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(data)
        # read back and compare
        with open(tmp, "r", encoding="utf-8") as fh:
            back = [json.loads(l, object_pairs_hook=collections.OrderedDict) for l in fh.read().split("\n") if l]
        if len(back) != len(records):
            fail("read-back count mismatch")
        for a, b in zip(records, back):
            if json.dumps(a, ensure_ascii=False) != json.dumps(b, ensure_ascii=False):
                fail("read-back mismatch at %s" % a["id"])
        for r, ins in zip(back, inserted_all):
            try:
                check_record(r, ins)
            except CheckError as e:
                fail("read-back %s: %s" % (r["id"], e))
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)

    # ---------------------------------------------------------------- statistics
    per_layout = collections.Counter(r["layout"] for r in records)
    per_kind = collections.Counter(k for r in records for k in r["kinds"])
    n_clean = sum(1 for r in records if not r["secrets"])
    n_sec = sum(len(r["secrets"]) for r in records)
    n_keep = sum(len(r["keep"]) for r in records)
    print("wrote %s: %d records, %d with no secret, %d secrets, %d keeps" % (out_path, len(records), n_clean, n_sec, n_keep))
    print("\nper layout (records / clean):")
    for name, n, _ in LAYOUTS:
        c = sum(1 for r in records if r["layout"] == name and not r["secrets"])
        print("  %-14s %4d  %3d" % (name, per_layout[name], c))
    print("\nper kind (non-vendor):")
    for k, c in sorted(per_kind.items(), key=lambda x: (-x[1], x[0])):
        if not k.startswith("vendor:"):
            print("  %-24s %4d" % (k, c))
    print("\nvendor labels: %d across %d vendors (min %d, max %d)" % (sum(vend.values()), len(vend), min(vend.values()), max(vend.values())))
    print("  " + ", ".join("%s=%d" % (v, vend[v]) for v in sorted(vend)))
    print("\ngenerator statistics:")
    for k, c in sorted(stats.items()):
        print("  %-50s %d" % (k, c))
    print("\nsha256 %s" % hashlib.sha256(data.encode("utf-8")).hexdigest())


if __name__ == "__main__":
    main()
