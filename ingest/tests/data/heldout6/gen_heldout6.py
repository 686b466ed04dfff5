#!/usr/bin/env python3
"""Generate heldout6.jsonl: a labelled evaluation corpus of AWS API Gateway logs.

Every value is random and fake and comes from a seeded pseudo-random generator.
Run:  python3 gen_heldout6.py   (writes heldout6.jsonl next to this script)

How labels stay exact
---------------------
Lines are built from *marked* fragments.  A secret is wrapped in private-use
marker characters (U+E000 <kind index> value U+E001), a keep in (U+E002 value
U+E003).  Every encoder used to build a line (percent-encoding, form encoding,
JSON escaping at any depth, ensure_ascii, XML entities, Python repr, truncation)
passes the markers through untouched and transforms only the text between them.
At the end the markers are removed, and the text that was between them *in the
final line* becomes the label.  So a label always has exactly the form in which
its value appears in the line.  Base64 strips the markers inside the encoded
text; the blob is then labelled whole (base64_secret) when its payload held a
secret.
"""
import base64
import collections
import hashlib
import html
import json
import os
import random
import re
import sys
import urllib.parse
import uuid

SEED = 0x4E1D06
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout6.jsonl")

LAYOUTS = [  # (layout, records); 20 % of each layout is clean
    ("rest_access_json", 150),
    ("http_access_json", 110),
    ("access_text", 110),
    ("execution", 200),
    ("cwl_subscription", 120),
    ("firehose", 70),
    ("lambda_proxy", 170),
    ("websocket", 80),
    ("authorizer", 90),
    ("backend_text", 100),
]
TOTAL = sum(n for _, n in LAYOUTS)
MAX_DRAWS = 300

RNG = random.Random(SEED)

# --------------------------------------------------------------------------
# markers
# --------------------------------------------------------------------------
S_OPEN, S_CLOSE, K_OPEN, K_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
KIND_BASE = 0xE100
MARK_RE = re.compile("[\ue000-\ue1ff]")
SPLIT_RE = re.compile("([\ue000-\ue1ff])")


class RecCtx:
    def __init__(self):
        self.kinds = []


CUR = RecCtx()


def sec(value, kind):
    """Mark a secret value of the given kind."""
    value = str(value)
    if MARK_RE.search(value):
        raise ValueError("nested marker in secret")
    if not value or len(CUR.kinds) >= 255:
        raise ValueError("bad secret")
    CUR.kinds.append(kind)
    return S_OPEN + chr(KIND_BASE + len(CUR.kinds) - 1) + value + S_CLOSE


def kp(value):
    """Mark a keep value."""
    value = str(value)
    if MARK_RE.search(value):
        raise ValueError("nested marker in keep")
    return K_OPEN + value + K_CLOSE


def strip(s):
    return MARK_RE.sub("", s)


def has_secret(s):
    return S_OPEN in s


def segmap(fn, s):
    return "".join(p if (len(p) == 1 and MARK_RE.match(p)) else fn(p) for p in SPLIT_RE.split(s) if p)


def pct(s, safe=""):
    return segmap(lambda p: urllib.parse.quote(p, safe=safe), s)


def pct_lower(s, safe=""):
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), pct(s, safe))


def form(s):
    return segmap(lambda p: urllib.parse.quote_plus(p, safe=""), s)


def xml_esc(s):
    return segmap(lambda p: html.escape(p, quote=False), s)


_UFIX = re.compile(r"\\u(e[01][0-9a-f]{2})")


def _fixu(s):
    return _UFIX.sub(lambda m: chr(int(m.group(1), 16)), s)


def jdump(obj, ascii=False, compact=True, **kw):
    seps = (",", ":") if compact else (", ", ": ")
    return _fixu(json.dumps(obj, ensure_ascii=ascii, separators=seps, **kw))


def jstr(s, ascii=False):
    """JSON string literal (with quotes)."""
    return _fixu(json.dumps(s, ensure_ascii=ascii))


def jinner(s, ascii=False):
    """JSON-escaped content without the surrounding quotes."""
    return jstr(s, ascii)[1:-1]


def b64(s, urlsafe=False):
    raw = strip(s).encode("utf-8")
    return (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()


def pyrepr(obj):
    """Python repr of dicts/lists/str/None/bool, markers preserved."""
    if isinstance(obj, dict):
        return "{" + ", ".join(pyrepr(k) + ": " + pyrepr(v) for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(pyrepr(v) for v in obj) + "]"
    if isinstance(obj, str):
        return _fixu(repr(obj))  # repr escapes the private-use markers; undo that
    return repr(obj)


IDENT_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def inspect(obj, depth=0, maxdepth=2):
    """Node util.inspect style (single quotes, [Object] beyond depth)."""
    if isinstance(obj, dict):
        if depth > maxdepth:
            return "[Object]"
        if not obj:
            return "{}"
        items = []
        for k, v in obj.items():
            ks = k if IDENT_RE.match(k) else "'" + k + "'"
            items.append(ks + ": " + inspect(v, depth + 1, maxdepth))
        return "{ " + ", ".join(items) + " }"
    if isinstance(obj, list):
        if depth > maxdepth:
            return "[Array]"
        return "[ " + ", ".join(inspect(v, depth + 1, maxdepth) for v in obj) + " ]" if obj else "[]"
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if isinstance(obj, str):
        return "'" + obj.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return str(obj)


def javamap(d):
    """Java Map.toString() style {k=v, k2=v2} used by API Gateway execution logs."""
    return "{" + ", ".join("%s=%s" % (k, v) for k, v in d.items()) + "}"


def trunc(s, n, suffix=" [TRUNCATED]"):
    """Cut to n visible characters. A cut secret keeps a visible prefix of >= 12
    characters or is dropped entirely (cut moved earlier); a cut keep is dropped."""
    out = []
    vis = 0
    i = 0
    sec_start = keep_start = None
    sec_vis = 0
    while i < len(s):
        c = s[i]
        if c == S_OPEN:
            sec_start, sec_vis = len(out), vis
            out.append(c)
            out.append(s[i + 1])
            i += 2
            continue
        if c == S_CLOSE:
            sec_start = None
            out.append(c)
            i += 1
            continue
        if c == K_OPEN:
            keep_start = len(out)
            out.append(c)
            i += 1
            continue
        if c == K_CLOSE:
            keep_start = None
            out.append(c)
            i += 1
            continue
        if vis >= n:
            break
        out.append(c)
        vis += 1
        i += 1
    if i >= len(s):
        return s
    if sec_start is not None:
        body = "".join(out[sec_start + 2:])
        if len(body.rstrip(" ")) >= 12 and not MARK_RE.search(body):
            out = out[:sec_start + 2] + list(body.rstrip(" ")) + [S_CLOSE]
        else:
            out = out[:sec_start]
    elif keep_start is not None:
        out = out[:keep_start]
    return "".join(out) + suffix


# --------------------------------------------------------------------------
# random primitives
# --------------------------------------------------------------------------
LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = LOWER.upper()
DIG = "0123456789"
ALNUM = LOWER + UPPER + DIG
HEX = "0123456789abcdef"
B64C = ALNUM + "+/"
B64U = ALNUM + "-_"


def rs(n, alpha=ALNUM):
    return "".join(RNG.choice(alpha) for _ in range(n))


def pick(seq):
    return RNG.choice(seq)


def chance(p):
    return RNG.random() < p


def rint(a, b):
    return RNG.randint(a, b)


def b64u_of(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def new_uuid():
    return str(uuid.UUID(int=RNG.getrandbits(128), version=4))


# ---- keeps -----------------------------------------------------------------
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "ap-southeast-2",
           "sa-east-1", "ca-central-1", "eu-north-1", "ap-south-1"]
STAGES = ["prod", "staging", "dev", "live", "beta", "test", "production", "sandbox", "v2-prod"]


def api_id():
    return rs(10, LOWER + DIG)


def account_id():
    return str(rint(100000000000, 999999999999))


def ext_req_id():
    return base64.b64encode(bytes(RNG.getrandbits(8) for _ in range(11))).decode()


def conn_id():
    return base64.b64encode(bytes(RNG.getrandbits(8) for _ in range(11))).decode()


def trace_root():
    return "1-%08x-%s" % (rint(0x65000000, 0x67ffffff), rs(24, HEX))


def epoch_ms():
    return rint(1704067200000, 1735689599000)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def ts_forms(ms=None):
    import datetime
    ms = ms or epoch_ms()
    d = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return {
        "ms": ms,
        "clf": "%02d/%s/%04d:%02d:%02d:%02d +0000" % (d.day, MONTHS[d.month - 1], d.year, d.hour, d.minute, d.second),
        "iso": d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000),
        "iso_s": d.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "amz": d.strftime("%Y%m%dT%H%M%SZ"),
        "day": d.strftime("%Y%m%d"),
        "http": d.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "cw": d.strftime("%Y/%m/%d"),
    }


def ipv4():
    return pick(["192.0.2.", "198.51.100.", "203.0.113."]) + str(rint(1, 254))


def ipv4_private():
    return pick(["10.%d.%d.%d" % (rint(0, 255), rint(0, 255), rint(1, 254)),
                 "172.%d.%d.%d" % (rint(16, 31), rint(0, 255), rint(1, 254)),
                 "192.168.%d.%d" % (rint(0, 255), rint(1, 254))])


def ipv6():
    return "2001:db8:%x:%x::%x" % (rint(1, 0xffff), rint(0, 0xffff), rint(1, 0xffff))


def client_ip():
    return ipv6() if chance(0.25) else ipv4()


def xff_chain(first):
    hops = [first] + [pick([ipv4(), ipv4_private(), "130.176.%d.%d" % (rint(0, 255), rint(1, 254))])
                      for _ in range(rint(0, 3))]
    return hops


UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 320.0.2.34.109 (iPhone14,5; iOS 17_3_1; ja_JP; ja; scale=3.00; 1170x2532; 568394021)",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/121.0.6167.178 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/450.0.0.42.109;]",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "okhttp/4.12.0", "PostmanRuntime/7.36.3", "python-requests/2.31.0", "curl/8.5.0", "Go-http-client/2.0",
    "aws-sdk-js/3.521.0 ua/2.0 os/linux#5.10.209-198.858.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/api-gateway#3.521.0",
    "Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.209 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.51",
    "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230901.001)",
    "ShopApp/5.31.2 (com.example.shop; build:20412; iOS 17.4.0) Alamofire/5.8.1",
    "Amazon CloudFront", "axios/1.6.7", "Apache-HttpClient/4.5.14 (Java/17.0.10)", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Slackbot 1.0 (+https://api.slack.com/robots)", "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.128",
]


def ua():
    return pick(UAS)


def sha256hex():
    return rs(64, HEX)


def etag():
    return pick(['"%s"' % rs(32, HEX), 'W/"%x-%s"' % (rint(100, 99999), rs(27, B64U)), '"%s-%d"' % (rs(32, HEX), rint(2, 40))])


def semver():
    return "%d.%d.%d" % (rint(0, 9), rint(0, 40), rint(0, 200))


def lambda_arn(acct, region, fn):
    return "arn:aws:lambda:%s:%s:function:%s" % (region, acct, fn)


FN_NAMES = ["orders-api", "auth-service", "user-profile-handler", "payments-webhook", "checkout-fn", "ws-connect",
            "notification-sender", "token-authorizer", "search-proxy", "graphql-gateway", "kyc-upload", "support-inbox"]

# ---- personal data -------------------------------------------------------------
FIRST = ["jane", "john", "maria", "lukas", "aiko", "chen", "olga", "mehmet", "priya", "carlos", "fatima", "noah",
         "emma", "sven", "yuki", "ana", "pierre", "dmitri", "ines", "kwame", "laila", "tomasz", "siobhan", "raj"]
LAST = ["doe", "smith", "garcia", "mueller", "tanaka", "wang", "ivanova", "yilmaz", "sharma", "silva", "haddad",
        "johnson", "schmidt", "nakamura", "costa", "dubois", "petrov", "fernandes", "mensah", "nowak", "obrien"]
MAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.jp", "gmx.de", "mail.ru", "web.de", "proton.me", "icloud.com",
                "hotmail.fr", "corp-mail.example.net", "uol.com.br", "yandex.ru", "customers.example.org"]


def email():
    f, l = pick(FIRST), pick(LAST)
    local = pick(["%s.%s" % (f, l), "%s%s%d" % (f[0], l, rint(1, 99)), "%s_%s" % (f, l), "%s+%s" % (f, pick(["shop", "news", "test"])),
                  "%s.%s%d" % (f, l, rint(1950, 2005))])
    return local + "@" + pick(MAIL_DOMAINS)


def phone():
    k = rint(0, 8)
    if k == 0:
        return "+1-%d-555-01%02d" % (rint(201, 989), rint(0, 99))
    if k == 1:
        return "(%d) 555-01%02d" % (rint(201, 989), rint(0, 99))
    if k == 2:
        return "+44 7700 900%03d" % rint(0, 999)
    if k == 3:
        return "+4915%d%07d" % (rint(1, 9), rint(0, 9999999))
    if k == 4:
        return "090-%04d-%04d" % (rint(1000, 9999), rint(0, 9999))
    if k == 5:
        return "+33 6 %02d %02d %02d %02d" % (rint(10, 99), rint(0, 99), rint(0, 99), rint(0, 99))
    if k == 6:
        return "+55 11 9%04d-%04d" % (rint(1000, 9999), rint(0, 9999))
    if k == 7:
        return "+1%d55501%02d" % (rint(201, 989), rint(0, 99))
    return "+61 491 570 %03d" % rint(100, 999)


def luhn_complete(prefix, length):
    digits = [int(c) for c in prefix] + [rint(0, 9) for _ in range(length - len(prefix) - 1)]
    s = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return "".join(map(str, digits)) + str((10 - s % 10) % 10)


def card():
    k = rint(0, 3)
    if k == 3:
        n = luhn_complete(pick(["34", "37"]), 15)
        return pick([n, "%s %s %s" % (n[:4], n[4:10], n[10:])])
    n = luhn_complete(pick(["4", "51", "53", "55", "2221", "6011"]), 16)
    return pick([n, " ".join(n[i:i + 4] for i in range(0, 16, 4)), "-".join(n[i:i + 4] for i in range(0, 16, 4))])


def iban():
    cc, blen = pick([("DE", 18), ("GB", 18), ("FR", 23), ("ES", 20), ("NL", 14), ("IT", 23), ("PT", 21)])
    if cc == "GB":
        bban = "".join(RNG.choice(UPPER) for _ in range(4)) + rs(14, DIG)
    elif cc == "NL":
        bban = "".join(RNG.choice(UPPER) for _ in range(4)) + rs(10, DIG)
    elif cc == "IT":
        bban = RNG.choice(UPPER) + rs(22, DIG)
    else:
        bban = rs(blen, DIG)
    num = "".join(str(int(c, 36)) for c in bban + cc + "00")
    chk = 98 - int(num) % 97
    ib = "%s%02d%s" % (cc, chk, bban)
    return pick([ib, " ".join(ib[i:i + 4] for i in range(0, len(ib), 4))])


def ssn():
    a = rint(1, 899)
    while a == 666:
        a = rint(1, 899)
    return "%03d-%02d-%04d" % (a, rint(1, 99), rint(1, 9999))


def cpf():
    d = [rint(0, 9) for _ in range(9)]
    for n in (10, 11):
        s = sum(x * w for x, w in zip(d, range(n, 1, -1)))
        d.append((s * 10 % 11) % 10)
    s = "".join(map(str, d))
    return "%s.%s.%s-%s" % (s[:3], s[3:6], s[6:9], s[9:])


def national_id():
    k = rint(0, 4)
    if k == 0:
        return cpf()
    if k == 1:
        n = rint(10000000, 99999999)
        return "%d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23])
    if k == 2:
        return "%s%s %d%d %d%d %d%d %s" % (pick("ABCEGHJKLMNPRSTWXYZ"), pick("ABCEGHJKLMNPRSTWXYZ"), rint(0, 9), rint(0, 9),
                                         rint(0, 9), rint(0, 9), rint(0, 9), rint(0, 9), pick("ABCD"))
    if k == 3:
        d = [rint(1, 9)] + [rint(0, 9) for _ in range(8)]
        d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
        d.append(d10)
        d.append(sum(d) % 10)
        return "".join(map(str, d))
    return "%d %04d %04d" % (rint(2000, 9999), rint(0, 9999), rint(0, 9999))


def dob():
    y, m, d = rint(1948, 2005), rint(1, 12), rint(1, 28)
    return pick(["%04d-%02d-%02d" % (y, m, d), "%02d/%02d/%04d" % (d, m, y), "%02d/%02d/%04d" % (m, d, y),
                 "%02d.%02d.%04d" % (d, m, y), "%d年%d月%d日" % (y, m, d)])


def address():
    return pick([
        "%d %s %s" % (rint(1, 9999), pick(["Maple", "Evergreen", "Harbor", "Sunset", "Willow", "Lakeview"]), pick(["Street", "Avenue", "Drive", "Terrace"])),
        "%s %d" % (pick(["Hauptstraße", "Lindenallee", "Bahnhofstraße", "Schillerweg"]), rint(1, 180)),
        "%d rue %s" % (rint(1, 120), pick(["de la Paix", "Victor Hugo", "des Lilas", "Oberkampf"])),
        "Calle %s %d, %dº%s" % (pick(["Mayor", "de Alcalá", "Serrano"]), rint(1, 200), rint(1, 9), pick("ABCD")),
        "Rua %s, %d" % (pick(["Augusta", "das Flores", "Oscar Freire"]), rint(1, 3000)),
        "東京都渋谷区神南%d-%d-%d" % (rint(1, 3), rint(1, 30), rint(1, 20)),
    ])


def passport():
    return pick(UPPER) + pick(UPPER + DIG) + rs(7, DIG)


# ---- credentials -----------------------------------------------------------
PW_WORDS = ["Sunflower", "Tiger", "Winter", "Kaffee", "Sakura", "Lobo", "Dragon", "Matrix", "Porto", "Oceano", "Falcon"]
PW_SYM = "!#$%&*+-.?@^_~=/,;:()[]"


def password():
    k = rint(0, 4)
    if k == 0:
        return pick(PW_WORDS) + str(rint(10, 9999)) + pick(PW_SYM)
    if k == 1:
        return rs(rint(10, 20), ALNUM + "!#$%&*+-.?@^_~")
    if k == 2:
        return "%s%s%s%d" % (pick(PW_WORDS).lower(), pick("&@#$"), pick(PW_WORDS), rint(0, 99))
    if k == 3:
        return pick(["contraseña", "Passwört", "motdepasse", "senhaforte", "Пароль"]) + str(rint(100, 999)) + pick("!?#")
    return rs(4, UPPER) + pick("-_ ") + rs(4, LOWER) + pick("-_") + rs(4, DIG) + pick("!%&")


def bcrypt_hash():
    return "$2b$12$" + rs(53, ALNUM + "./")


def jwt(claims=None, alg=None):
    alg = alg or pick(["RS256", "RS256", "HS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"} if chance(0.5) else {"kid": rs(43, B64U) + "=", "alg": alg}
    now = epoch_ms() // 1000
    body = claims or pick([
        {"sub": new_uuid(), "iss": "https://cognito-idp.%s.amazonaws.com/%s_%s" % (pick(REGIONS), pick(REGIONS), rs(9, ALNUM)),
         "client_id": rs(26, LOWER + DIG), "token_use": "access", "scope": "openid email", "auth_time": now, "exp": now + 3600,
         "iat": now, "jti": new_uuid(), "username": new_uuid()},
        {"sub": "auth0|" + rs(24, HEX), "aud": "https://api.example.com", "iat": now, "exp": now + 86400, "azp": rs(32, ALNUM),
         "scope": "read:orders write:orders"},
        {"sub": str(rint(1000, 999999)), "name": pick(FIRST).title(), "role": pick(["user", "admin"]), "iat": now},
    ])
    sig_len = {"RS256": 342, "HS256": 43, "ES256": 86}[alg]
    return b64u_of(hdr) + "." + b64u_of(body) + "." + rs(sig_len, B64U)


def cognito_refresh():
    return b64u_of({"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}) + "." + rs(342, B64U) + "." + rs(22, B64U) + "." + \
        rs(rint(600, 900), B64U) + "." + rs(22, B64U)


def opaque(n=None):
    return rs(n or rint(32, 64), B64U)


def akid(temp=False):
    return ("ASIA" if temp else "AKIA") + rs(16, UPPER + "234567")


def aws_secret():
    return rs(40, B64C)


def aws_session_token():
    return pick(["IQoJb3JpZ2luX2VjE", "FwoGZXIvYXdzE", "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH"]) + rs(rint(300, 520), B64C)


def apigw_key():
    return rs(40, ALNUM)


def otp():
    return "%06d" % rint(0, 999999) if chance(0.85) else "%08d" % rint(0, 99999999)


def pem_lines(n=None):
    return [rs(64, B64C) for _ in range(n or rint(3, 6))] + [rs(rint(12, 60), B64C) + pick(["", "=", "=="])]


def sigv4_sig():
    return rs(64, HEX)


# --------------------------------------------------------------------------
# vendor tokens: public prefix/layout, random characters after it
# (name, generator, header name, header scheme, env/config name)
# --------------------------------------------------------------------------
VENDORS = [
    ("github", lambda: pick(["ghp_", "gho_", "ghs_", "ghu_"]) + rs(36), "Authorization", "token ", "GITHUB_TOKEN"),
    ("github", lambda: "github_pat_" + rs(22) + "_" + rs(59), "Authorization", "Bearer ", "GH_PAT"),
    ("gitlab", lambda: pick(["glpat-", "glptt-", "gldt-"]) + rs(20, ALNUM + "-_"), "PRIVATE-TOKEN", "", "GITLAB_TOKEN"),
    ("slack", lambda: "xoxb-%d-%d-%s" % (rint(10 ** 10, 10 ** 12), rint(10 ** 12, 10 ** 13), rs(24)), "Authorization", "Bearer ", "SLACK_BOT_TOKEN"),
    ("slack", lambda: "xoxp-%d-%d-%d-%s" % (rint(10 ** 10, 10 ** 12), rint(10 ** 10, 10 ** 12), rint(10 ** 12, 10 ** 13), rs(32, HEX)), "Authorization", "Bearer ", "SLACK_USER_TOKEN"),
    ("stripe", lambda: pick(["sk_live_", "rk_live_"]) + rs(pick([24, 99])), "Authorization", "Bearer ", "STRIPE_SECRET_KEY"),
    ("stripe", lambda: "whsec_" + rs(32), None, None, "STRIPE_WEBHOOK_SECRET"),
    ("openai", lambda: "sk-proj-" + rs(58, ALNUM + "-_") + "T3BlbkFJ" + rs(58, ALNUM + "-_"), "Authorization", "Bearer ", "OPENAI_API_KEY"),
    ("anthropic", lambda: "sk-ant-api03-" + rs(93, ALNUM + "-_") + "AA", "x-api-key", "", "ANTHROPIC_API_KEY"),
    ("google", lambda: "AIza" + rs(35, ALNUM + "-_"), "X-Goog-Api-Key", "", "GOOGLE_MAPS_API_KEY"),
    ("sendgrid", lambda: "SG." + rs(22, ALNUM + "-_") + "." + rs(43, ALNUM + "-_"), "Authorization", "Bearer ", "SENDGRID_API_KEY"),
    ("twilio", lambda: "SK" + rs(32, HEX), None, None, "TWILIO_API_KEY"),
    ("mailgun", lambda: "key-" + rs(32, HEX), None, None, "MAILGUN_API_KEY"),
    ("mailchimp", lambda: rs(32, HEX) + "-us" + str(rint(1, 21)), None, None, "MAILCHIMP_API_KEY"),
    ("npm", lambda: "npm_" + rs(36), "Authorization", "Bearer ", "NPM_TOKEN"),
    ("pypi", lambda: "pypi-AgEIcHlwaS5vcmc" + rs(rint(60, 90), ALNUM + "-_"), None, None, "TWINE_PASSWORD"),
    ("digitalocean", lambda: "dop_v1_" + rs(64, HEX), "Authorization", "Bearer ", "DIGITALOCEAN_TOKEN"),
    ("huggingface", lambda: "hf_" + rs(34, LOWER + UPPER), "Authorization", "Bearer ", "HF_TOKEN"),
    ("shopify", lambda: pick(["shpat_", "shpca_", "shppa_"]) + rs(32, HEX), "X-Shopify-Access-Token", "", "SHOPIFY_ACCESS_TOKEN"),
    ("square", lambda: "EAAA" + rs(60, ALNUM + "-_"), "Authorization", "Bearer ", "SQUARE_ACCESS_TOKEN"),
    ("sentry", lambda: "sntryu_" + rs(64, HEX), "Authorization", "Bearer ", "SENTRY_AUTH_TOKEN"),
    ("newrelic", lambda: "NRAK-" + rs(27, UPPER + DIG), "Api-Key", "", "NEW_RELIC_API_KEY"),
    ("datadog", lambda: rs(32, HEX), "DD-API-KEY", "", "DD_API_KEY"),
    ("grafana", lambda: "glsa_" + rs(32) + "_" + rs(8, HEX), "Authorization", "Bearer ", "GRAFANA_SA_TOKEN"),
    ("vault", lambda: "hvs." + rs(rint(90, 100), ALNUM + "-_"), "X-Vault-Token", "", "VAULT_TOKEN"),
    ("terraform", lambda: rs(14) + ".atlasv1." + rs(67, ALNUM + "-_="), "Authorization", "Bearer ", "TFC_TOKEN"),
    ("pulumi", lambda: "pul-" + rs(40, HEX), "Authorization", "token ", "PULUMI_ACCESS_TOKEN"),
    ("doppler", lambda: "dp.pt." + rs(43), "Authorization", "Bearer ", "DOPPLER_TOKEN"),
    ("postman", lambda: "PMAK-" + rs(24, HEX) + "-" + rs(34, HEX), "X-Api-Key", "", "POSTMAN_API_KEY"),
    ("databricks", lambda: "dapi" + rs(32, HEX), "Authorization", "Bearer ", "DATABRICKS_TOKEN"),
    ("atlassian", lambda: "ATATT3" + rs(186, ALNUM + "-_="), None, None, "JIRA_API_TOKEN"),
    ("okta", lambda: "00" + rs(40, ALNUM + "-_"), "Authorization", "SSWS ", "OKTA_API_TOKEN"),
    ("telegram", lambda: "%d:AA%s" % (rint(10 ** 8, 10 ** 10), rs(33, ALNUM + "-_")), None, None, "TELEGRAM_BOT_TOKEN"),
    ("discord", lambda: "%s.%s.%s" % (rs(26, ALNUM), rs(6, ALNUM + "-_"), rs(38, ALNUM + "-_")), "Authorization", "Bot ", "DISCORD_BOT_TOKEN"),
    ("linear", lambda: "lin_api_" + rs(40), "Authorization", "", "LINEAR_API_KEY"),
    ("notion", lambda: "ntn_" + rs(11, DIG) + rs(35), "Authorization", "Bearer ", "NOTION_TOKEN"),
    ("airtable", lambda: "pat" + rs(14) + "." + rs(64, HEX), "Authorization", "Bearer ", "AIRTABLE_PAT"),
    ("planetscale", lambda: pick(["pscale_tkn_", "pscale_pw_"]) + rs(43, ALNUM + "-_"), None, None, "PLANETSCALE_TOKEN"),
    ("dynatrace", lambda: "dt0c01." + rs(24, UPPER + DIG) + "." + rs(64, UPPER + DIG), "Authorization", "Api-Token ", "DT_API_TOKEN"),
    ("shippo", lambda: "shippo_live_" + rs(40, HEX), "Authorization", "ShippoToken ", "SHIPPO_TOKEN"),
    ("easypost", lambda: "EZAK" + rs(54), None, None, "EASYPOST_API_KEY"),
    ("flutterwave", lambda: "FLWSECK_TEST-" + rs(32, HEX) + "-X", "Authorization", "Bearer ", "FLW_SECRET_KEY"),
    ("heroku", lambda: "HRKU-AA" + rs(58, ALNUM + "-_"), "Authorization", "Bearer ", "HEROKU_API_KEY"),
    ("age", lambda: "AGE-SECRET-KEY-1" + rs(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"), None, None, "SOPS_AGE_KEY"),
    ("alibaba", lambda: "LTAI" + rs(20), None, None, "ALIBABA_CLOUD_ACCESS_KEY_ID"),
    ("azure", lambda: rs(3) + str(rint(7, 8)) + "Q~" + rs(31, ALNUM + "-_.~"), None, None, "AZURE_CLIENT_SECRET"),
    ("mapbox", lambda: "sk.eyJ1Ijoi" + rs(50, ALNUM) + "." + rs(22, ALNUM + "-_"), None, None, "MAPBOX_SECRET_TOKEN"),
    ("groq", lambda: "gsk_" + rs(52), "Authorization", "Bearer ", "GROQ_API_KEY"),
    ("xai", lambda: "xai-" + rs(80), "Authorization", "Bearer ", "XAI_API_KEY"),
    ("replicate", lambda: "r8_" + rs(37), "Authorization", "Bearer ", "REPLICATE_API_TOKEN"),
    ("supabase", lambda: "sbp_" + rs(40, HEX), "Authorization", "Bearer ", "SUPABASE_ACCESS_TOKEN"),
    ("netlify", lambda: "nfp_" + rs(36), "Authorization", "Bearer ", "NETLIFY_AUTH_TOKEN"),
    ("nvidia", lambda: "nvapi-" + rs(64, ALNUM + "-_"), "Authorization", "Bearer ", "NVIDIA_API_KEY"),
    ("openrouter", lambda: "sk-or-v1-" + rs(64, HEX), "Authorization", "Bearer ", "OPENROUTER_API_KEY"),
    ("langsmith", lambda: "lsv2_pt_" + rs(32, HEX) + "_" + rs(10, HEX), "x-api-key", "", "LANGSMITH_API_KEY"),
    ("contentful", lambda: "CFPAT-" + rs(43, ALNUM + "-_"), "Authorization", "Bearer ", "CONTENTFUL_MANAGEMENT_TOKEN"),
    ("hubspot", lambda: "pat-na1-" + new_uuid(), "Authorization", "Bearer ", "HUBSPOT_PRIVATE_APP_TOKEN"),
    ("circleci", lambda: "CCIPAT_" + rs(22) + "_" + rs(40, HEX), "Circle-Token", "", "CIRCLE_TOKEN"),
    ("buildkite", lambda: "bkua_" + rs(40, HEX), "Authorization", "Bearer ", "BUILDKITE_API_TOKEN"),
    ("perplexity", lambda: "pplx-" + rs(48), "Authorization", "Bearer ", "PPLX_API_KEY"),
    ("brevo", lambda: "xkeysib-" + rs(64, HEX) + "-" + rs(16), "api-key", "", "BREVO_API_KEY"),
    ("flyio", lambda: "fo1_" + rs(43, ALNUM + "-_"), "Authorization", "Bearer ", "FLY_API_TOKEN"),
    ("rubygems", lambda: "rubygems_" + rs(48, HEX), "Authorization", "", "GEM_HOST_API_KEY"),
    ("readme", lambda: "rdme_" + rs(70, LOWER + DIG), None, None, "README_API_KEY"),
    ("prefect", lambda: "pnu_" + rs(36), "Authorization", "Bearer ", "PREFECT_API_KEY"),
    ("sourcegraph", lambda: "sgp_" + rs(40, HEX), "Authorization", "token ", "SRC_ACCESS_TOKEN"),
    ("artifactory", lambda: "AKCp" + rs(69), "X-JFrog-Art-Api", "", "ARTIFACTORY_API_KEY"),
    ("adobe", lambda: "p8e-" + rs(32, ALNUM + "-_"), None, None, "ADOBE_CLIENT_SECRET"),
    ("algolia", lambda: rs(32, HEX), "X-Algolia-API-Key", "", "ALGOLIA_ADMIN_KEY"),
    ("postmark", lambda: new_uuid(), "X-Postmark-Server-Token", "", "POSTMARK_SERVER_TOKEN"),
    ("fastly", lambda: rs(32, ALNUM + "-_"), "Fastly-Key", "", "FASTLY_API_TOKEN"),
    ("deno", lambda: "ddp_" + rs(36), "Authorization", "Bearer ", "DENO_DEPLOY_TOKEN"),
    ("pinecone", lambda: "pcsk_" + rs(5) + "_" + rs(63), "Api-Key", "", "PINECONE_API_KEY"),
    ("resend", lambda: "re_" + rs(8) + "_" + rs(24), "Authorization", "Bearer ", "RESEND_API_KEY"),
]
VENDOR_NAMES = []
for _v in VENDORS:
    if _v[0] not in VENDOR_NAMES:
        VENDOR_NAMES.append(_v[0])
VENDOR_ENTRIES = collections.OrderedDict((n, [v for v in VENDORS if v[0] == n]) for n in VENDOR_NAMES)


class VendorPicker:
    """Round-robin over a shuffled vendor order so every vendor is drawn often."""

    def __init__(self):
        self.order = list(VENDOR_NAMES)
        RNG.shuffle(self.order)
        self.i = 0
        self.forced = []
        self.pending = []

    def next(self):
        if self.forced:
            return self.forced.pop(0)
        n = self.order[self.i % len(self.order)]
        self.i += 1
        return n


VP = VendorPicker()


def vendor(name=None):
    """Return (name, marked token, header name, scheme, env name)."""
    if name is None and VP.pending:
        name = VP.pending.pop(0)
    name = name or VP.next()
    _, gen, hdr, scheme, env = pick(VENDOR_ENTRIES[name])
    tok = gen()
    return name, sec(tok, "vendor:" + name), hdr, scheme, env


def vendor_header(name=None):
    """A (header name, marked value) pair carrying a vendor token.  A vendor drawn
    here that has no HTTP header is deferred to the next config/env placement."""
    for _ in range(len(VENDOR_NAMES)):
        n = name or VP.next()
        entries = [e for e in VENDOR_ENTRIES[n] if e[2]]
        if entries:
            _, gen, hdr, scheme, env = pick(entries)
            return hdr, scheme + sec(gen(), "vendor:" + n)
        if name:
            break
        VP.pending.append(n)
    raise ValueError("no header vendor")


def camel(env):
    parts = env.lower().split("_")
    return parts[0] + "".join(p.title() for p in parts[1:])


def vendor_kv(name=None, style=None):
    """(config key naming the vendor, marked token)."""
    n, tok, hdr, scheme, env = vendor(name)
    style = style or pick(["env", "camel", "snake", "dotted"])
    key = {"env": env, "camel": camel(env), "snake": env.lower(), "dotted": env.lower().replace("_", ".", 1)}[style]
    return key, tok


# --------------------------------------------------------------------------
# per-record environment (benign identifiers, all keeps)
# --------------------------------------------------------------------------
class Env:
    def __init__(self, http=False):
        self.region = pick(REGIONS)
        self.account = account_id()
        self.api_id = api_id()
        http_api = http
        self.stage = "$default" if (http_api and chance(0.5)) else pick(STAGES)
        self.http_api = http_api
        self.custom_domain = chance(0.4)
        self.domain = (pick(["api", "gateway", "public-api", "m", "auth"]) + "." + pick(["example.com", "example-shop.io", "example.co.uk", "acme-corp.example"])
                       if self.custom_domain else "%s.execute-api.%s.amazonaws.com" % (self.api_id, self.region))
        self.domain_prefix = self.domain.split(".")[0]
        self.request_id = ext_req_id() if (http_api and chance(0.6)) else new_uuid()
        self.ext_id = ext_req_id()
        self.trace = trace_root()
        self.ip = client_ip()
        self.xff = xff_chain(self.ip)
        self.ua = ua()
        self.t = ts_forms()
        self.latency = rint(3, 2900)
        self.int_latency = max(1, self.latency - rint(1, 60))
        self.lambda_req = new_uuid()
        self.fn = pick(FN_NAMES)
        self.fn_arn = lambda_arn(self.account, self.region, self.fn)
        self.resp_len = rint(0, 48000)
        self.api_key_id = rs(10, LOWER + DIG)
        self.cf_id = rs(54, B64U) + "=="
        self.conn_id = conn_id()
        self.log_stream = rs(32, HEX)

    def stage_path(self):
        return "" if self.stage == "$default" else "/" + self.stage

    def exec_arn(self, method, resource):
        st = "$default" if self.stage == "$default" else self.stage
        return "arn:aws:execute-api:%s:%s:%s/%s/%s%s" % (self.region, self.account, self.api_id, st, method, resource)


E = None  # current Env


# --------------------------------------------------------------------------
# request model
# --------------------------------------------------------------------------
class Req:
    def __init__(self, method="GET", resource="/"):
        self.method = method
        self.resource = resource      # template, e.g. /v1/users/{id}
        self.segs = []                # marked, decoded path segments (after stage)
        self.path_params = {}
        self.query = []               # (key, marked decoded value)
        self.headers = []             # (Name, marked value)
        self.cookies = []             # (name, marked value)
        self.body = None              # marked text
        self.ctype = None
        self.b64 = False
        self.status = 200
        self.resp_body = None
        self.resp_headers = []
        self.claims = {}
        self.auth_ctx = {}
        self.principal = None
        self.api_key = None
        self.access_key = None
        self.error = None
        self.ws_route = None

    def set_path(self, *segs):
        self.segs = list(segs)

    def path(self, enc=False, safe="@:+!$,;=*'()~"):
        return "/" + "/".join((pct(s, safe) if enc else s) for s in self.segs)

    def raw_query(self, enc=form):
        return "&".join("%s=%s" % (k, enc(v)) for k, v in self.query)

    def header(self, name, value):
        self.headers.append((name, value))

    def secret_bearing(self):
        return any(has_secret(v) for _, v in self.headers + self.cookies + self.query) or has_secret(self.path()) or \
            has_secret(self.body or "") or has_secret(self.resp_body or "")


PW_KEYS = ["password", "Password", "passwd", "pwd", "pass", "userPassword", "user_password", "secret", "contraseña",
           "passwort", "mot_de_passe", "senha", "パスワード", "пароль", "密码", "şifre", "wachtwoord", "kata_sandi", "hasło",
           "clave", "motDePasse", "Kennwort", "PIN_code_login"]
EMAIL_KEYS = ["email", "Email", "emailAddress", "email_address", "username", "login", "correo", "e_mail", "メールアドレス",
              "courriel", "userEmail", "contact_email"]


def std_headers(req, extra_ct=True):
    """Common benign request headers (keeps where meaningful)."""
    hs = []
    hs.append(("Host", kp(E.domain)))
    if chance(0.7):
        hs.append(("User-Agent", kp(E.ua)))
    hs.append(("X-Amzn-Trace-Id", "Root=" + kp(E.trace) if chance(0.5) else kp("Root=" + E.trace)))
    if chance(0.7):
        hs.append(("X-Forwarded-For", ", ".join(kp(x) if i == 0 or chance(0.5) else x for i, x in enumerate(E.xff))))
        hs.append(("X-Forwarded-Port", "443"))
        hs.append(("X-Forwarded-Proto", "https"))
    if chance(0.5):
        hs.append(("Accept", pick(["application/json", "*/*", "application/json, text/plain, */*"])))
    if req.ctype and extra_ct:
        hs.append(("Content-Type", req.ctype))
    if chance(0.3):
        hs.append(("CloudFront-Viewer-Country", pick(["US", "DE", "JP", "BR", "FR", "IN", "GB"])))
        hs.append(("Via", "2.0 %s.cloudfront.net (CloudFront)" % kp(rs(32, HEX))))
        hs.append(("X-Amz-Cf-Id", kp(E.cf_id)))
    if chance(0.2):
        hs.append(("traceparent", kp("00-%s-%s-01" % (rs(32, HEX), rs(16, HEX)))))
    if chance(0.2):
        hs.append(("X-Request-Id", kp(new_uuid())))
    if chance(0.15):
        hs.append(("If-None-Match", kp(etag())))
    if chance(0.2):
        hs.append(("Accept-Language", pick(["en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", "ja-JP", "pt-BR,pt;q=0.9"])))
    RNG.shuffle(hs)
    return hs


def add_auth(req, clean, p=0.6):
    """Decorate a request with credentials (or, for clean requests, masked/benign ones)."""
    if clean:
        if chance(0.3):
            req.header("Authorization", kp(pick(["Bearer ****", "Bearer REDACTED", "Bearer <token>", "Bearer ${TOKEN}",
                                                 "Basic ********", "[FILTERED]"])))
        if chance(0.3):
            req.cookies.append(("theme", pick(["dark", "light"])))
            req.cookies.append((pick(["lang", "locale"]), kp(pick(["en-US", "de-DE", "ja-JP", "pt-BR"]))))
        if chance(0.2):
            req.header("x-api-key", kp("*" * rint(20, 36) + rs(4)))
        return
    if not chance(p):
        return
    k = rint(0, 10)
    if k <= 2:
        req.header("Authorization", "Bearer " + sec(jwt(), "jwt"))
    elif k == 3:
        req.header("Authorization", pick(["Bearer ", "bearer "]) + sec(opaque(), "bearer_token"))
    elif k == 4:
        req.header("Authorization", "Basic " + sec(base64.b64encode(("%s:%s" % (pick(FIRST), password())).encode()).decode(), "basic_auth"))
    elif k in (5, 9, 10):
        h, v = vendor_header()
        req.header(h, v)
    elif k == 6:
        req.header("x-api-key", sec(apigw_key(), "api_key"))
        req.api_key = req.headers[-1][1]
        req.api_key_id = E.api_key_id
    elif k == 7:
        sigv4_headers(req)
    else:
        req.header("Authorization", jwt_or_token_header())
    if chance(0.35):
        name = pick(["session", "sessionid", "connect.sid", "JSESSIONID", "__Host-session", "_app_session", "sid", "PHPSESSID", "laravel_session"])
        val = sec(("s:" + opaque(32) + "." + rs(43, B64U)) if name == "connect.sid" else opaque(), "session_cookie")
        if name == "connect.sid":
            val = pct(val)
        req.cookies.append((kp(name), val))
        if chance(0.4):
            req.cookies.append((kp(pick(["XSRF-TOKEN", "csrftoken", "_csrf"])), sec(rs(40, B64U), "csrf_token")))
        if chance(0.4):
            req.cookies.append(("_ga", "GA1.2.%d.%d" % (rint(10 ** 8, 10 ** 9), rint(1600000000, 1720000000))))


def jwt_or_token_header():
    return pick(["Bearer ", "JWT ", ""]) + sec(jwt(), "jwt")


def sigv4_headers(req, temp=None):
    temp = chance(0.6) if temp is None else temp
    req.access_key = sec(akid(temp), "aws_access_key_id")
    req.header("X-Amz-Date", kp(E.t["amz"]))
    req.header("Authorization", "AWS4-HMAC-SHA256 Credential=%s/%s/%s/execute-api/aws4_request, %s, Signature=%s" % (
        req.access_key, E.t["day"], E.region, kp("SignedHeaders=host;x-amz-date" + (";x-amz-security-token" if temp else "")),
        sec(sigv4_sig(), "sigv4_signature")))
    if temp:
        req.header("X-Amz-Security-Token", sec(aws_session_token(), "aws_session_token"))
    req.header("X-Amz-Content-Sha256", kp(sha256hex()))


# --------------------------------------------------------------------------
# scenarios: what the client sent and what the backend answered
# --------------------------------------------------------------------------
def token_response(kind="cognito"):
    if kind == "cognito":
        return {"AuthenticationResult": {"AccessToken": sec(jwt(), "jwt"), "ExpiresIn": 3600, "IdToken": sec(jwt(), "jwt"),
                                         "RefreshToken": sec(cognito_refresh(), "refresh_token"), "TokenType": "Bearer"},
                "ChallengeParameters": {}}
    d = {"access_token": sec(jwt(), "jwt") if chance(0.6) else sec(opaque(), "bearer_token"), "token_type": "Bearer",
         "expires_in": pick([300, 3600, 86400])}
    if chance(0.7):
        d["refresh_token"] = sec(pick([opaque(48), "def50200" + rs(rint(200, 400), HEX), "1//0" + rs(100, B64U)]), "refresh_token")
    if chance(0.3):
        d["id_token"] = sec(jwt(), "jwt")
    d["scope"] = pick(["openid profile email", "read write", "orders:read"])
    return d


def sc_login_json(req):
    req.method, req.resource = "POST", pick(["/auth/login", "/v1/sessions", "/api/signin", "/users/login", "/v2/auth/token"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = "application/json"
    ek, pk = pick(EMAIL_KEYS), pick(PW_KEYS)
    body = {ek: sec(email(), "email"), pk: sec(password(), "password")}
    if chance(0.3):
        body = {"user": body, "rememberMe": True, "device": {"id": kp(new_uuid()), "os": "iOS 17.4"}}
    if chance(0.2):
        body = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": kp(rs(26, LOWER + DIG)),
                "AuthParameters": {"USERNAME": sec(email(), "email"), "PASSWORD": sec(password(), "password")}}
    req.body = jdump(body, compact=chance(0.7))
    if chance(0.6):
        req.resp_body = jdump(token_response(pick(["cognito", "oauth"])))
    else:
        req.status = 401
        req.resp_body = jdump({"message": pick(["Incorrect username or password.", "Invalid credentials", "NotAuthorizedException"])})


def sc_login_form(req):
    req.method, req.resource = "POST", pick(["/login", "/wp-login.php", "/account/signin", "/j_security_check"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = "application/x-www-form-urlencoded"
    u = pick(["username", "user", "log", "j_username", "email"])
    p = pick(["password", "pwd", "j_password", "pass", "senha"])
    parts = ["%s=%s" % (u, form(sec(email(), "email"))), "%s=%s" % (p, form(sec(password(), "password")))]
    if chance(0.5):
        parts.append("remember=1")
    if chance(0.4):
        parts.append("csrf_token=" + sec(rs(40, B64U), "csrf_token"))
    req.body = "&".join(parts)
    req.status = pick([302, 200, 401])
    if req.status == 302 and chance(0.6):
        req.resp_headers.append(("Set-Cookie", "%s=%s; Path=/; HttpOnly; Secure; SameSite=Lax" % (kp("session"), sec(opaque(), "session_cookie"))))


def sc_oauth_token(req):
    req.method, req.resource = "POST", pick(["/oauth2/token", "/oauth/token", "/connect/token", "/v1/token"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = "application/x-www-form-urlencoded"
    cid = kp(rs(26, LOWER + DIG))
    g = rint(0, 2)
    if g == 0:
        parts = ["grant_type=authorization_code", "code=" + sec(pick([new_uuid(), rs(rint(20, 43), B64U)]), "oauth_code"),
                 "redirect_uri=" + pct("https://app.example.com/callback"), "client_id=" + cid]
        if chance(0.5):
            parts.append("code_verifier=" + sec(rs(rint(43, 64), B64U), "pkce_code_verifier"))
    elif g == 1:
        parts = ["grant_type=refresh_token", "refresh_token=" + sec(opaque(48), "refresh_token"), "client_id=" + cid]
    else:
        parts = ["grant_type=client_credentials", "scope=" + form("orders/read orders/write")]
    if chance(0.5):
        parts.append("client_secret=" + sec(rs(52, LOWER + DIG), "client_secret"))
    else:
        req.header("Authorization", "Basic " + sec(base64.b64encode(("%s:%s" % (strip(cid), rs(52, LOWER + DIG))).encode()).decode(), "basic_auth"))
    RNG.shuffle(parts)
    req.body = "&".join(parts)
    req.resp_body = jdump(token_response("oauth"))


def sc_reset(req):
    tok = sec(pick([rs(rint(32, 64), B64U), rs(40, HEX), new_uuid().replace("-", "")]), "reset_token")
    k = rint(0, 3)
    if k == 0:
        req.method, req.resource = "POST", "/v1/password-reset/{token}"
        req.set_path("v1", "password-reset", tok)
        req.path_params = {"token": tok}
        req.ctype = "application/json"
        pw = sec(password(), "password")
        req.body = jdump({"newPassword": pw, "confirmPassword": pw})
    elif k == 1:
        req.method, req.resource = "GET", pick(["/verify-email/{token}", "/auth/magic-link/{token}", "/invite/{token}/accept"])
        segs = req.resource.strip("/").split("/")
        req.set_path(*[tok if s == "{token}" else s for s in segs])
        req.path_params = {"token": tok}
        if chance(0.5):
            req.query.append(("email", sec(email(), "email")))
    elif k == 2:
        req.method, req.resource = "GET", "/reset"
        req.set_path("reset")
        req.query += [("token", tok), ("uid", kp(str(rint(1000, 99999999))))]
    else:
        req.method, req.resource = "GET", "/users/{email}/password/reset"
        em = sec(email(), "email")
        req.set_path("users", em, "password", "reset")
        req.path_params = {"email": em}
        req.query.append(("next", "/reset?token=" + tok))
    req.status = pick([200, 302, 410])


def sc_callback(req):
    req.method, req.resource = "GET", pick(["/oauth/callback", "/auth/callback/{provider}", "/sso/acs"])
    segs = req.resource.strip("/").split("/")
    req.set_path(*[pick(["google", "github", "okta"]) if s == "{provider}" else s for s in segs])
    req.query.append(("code", sec(pick([rs(rint(20, 40), B64U), "4/0" + rs(70, B64U)]), "oauth_code")))
    req.query.append(("state", rs(24, B64U)))
    if chance(0.3):
        req.query.append(("scope", "openid email profile"))
    req.status = 302
    if chance(0.5):
        req.resp_headers.append(("Location", "https://app.example.com/#access_token=" + sec(jwt(), "jwt") + "&token_type=Bearer&expires_in=3600"))


def sc_otp(req):
    code = sec(otp(), "otp")
    k = rint(0, 2)
    if k == 0:
        req.method, req.resource = "POST", pick(["/mfa/verify", "/v1/otp/confirm", "/auth/2fa"])
        req.ctype = "application/json"
        req.body = jdump({pick(["phone", "phoneNumber", "msisdn"]): sec(phone(), "phone"), pick(["code", "otp", "verificationCode", "pin"]): code})
    elif k == 1:
        req.method, req.resource = "POST", "/sms/send"
        req.ctype = "application/json"
        msg = pick(["Your verification code is %s", "%s is your login code. Do not share it.", "Ihr Bestätigungscode lautet %s",
                    "Su código de verificación es %s", "認証コード: %s (5分間有効)", "Seu código de acesso é %s", "Ваш код: %s"])
        req.body = jdump({"to": sec(phone(), "phone"), "message": msg.replace("%s", code), "senderId": kp("ACMEAUTH")},
                         ascii=chance(0.3))
    else:
        req.method, req.resource = "POST", "/webhooks/twilio/inbound"
        req.ctype = "application/x-www-form-urlencoded"
        req.body = "&".join(["ToCountry=US", "SmsMessageSid=" + kp("SM" + rs(32, HEX)), "From=" + form(sec(phone(), "phone")),
                             "Body=" + form("Code " + code), "AccountSid=" + kp("AC" + rs(32, HEX)), "NumMedia=0"])
    req.set_path(*req.resource.strip("/").split("/"))


def sc_signup(req):
    req.method, req.resource = pick([("POST", "/v1/users"), ("PUT", "/v1/users/{id}/profile"), ("PATCH", "/customers/{id}")])
    uid = kp(new_uuid())
    req.set_path(*[uid if s == "{id}" else s for s in req.resource.strip("/").split("/")])
    if "{id}" in req.resource:
        req.path_params = {"id": uid}
    req.ctype = "application/json"
    lang = rint(0, 3)
    if lang == 0:
        body = {"firstName": pick(FIRST).title(), "email": sec(email(), "email"), "phone": sec(phone(), "phone"),
                "dateOfBirth": sec(dob(), "date_of_birth"), "address": {"line1": sec(address(), "street_address"), "city": "Springfield", "postalCode": "62704"}}
        if chance(0.5):
            body["ssn"] = sec(ssn(), "ssn")
    elif lang == 1:
        body = {"nombre": "Lucía", "correo": sec(email(), "email"), "teléfono": sec(phone(), "phone"),
                "fecha_de_nacimiento": sec(dob(), "date_of_birth"), "documento": {"tipo": "DNI", "número": sec(national_id(), "national_id")}}
    elif lang == 2:
        body = {"profil": {"vorname": "Jürgen", "geburtsdatum": sec(dob(), "date_of_birth"), "anschrift": sec(address(), "street_address"),
                           "kontakt": {"e_mail": sec(email(), "email")}}, "iban": sec(iban(), "iban")}
    else:
        body = {"data": {"attributes": {"氏名": "山田 太郎", "生年月日": sec(dob(), "date_of_birth"), "電話番号": sec(phone(), "phone"),
                                        "住所": sec(address(), "street_address")}, "type": "customers", "id": uid}}
    if chance(0.3):
        body["password"] = sec(password(), "password")
    req.body = jdump(body, ascii=chance(0.35), compact=chance(0.6))
    req.status = pick([200, 201, 400, 409])
    if req.status == 409:
        req.resp_body = jdump({"error": "Conflict", "message": "duplicate key value violates unique constraint \"users_email_key\""})


def sc_payment(req):
    req.method, req.resource = "POST", pick(["/v1/payments", "/checkout/{cartId}/pay", "/billing/payment-methods"])
    cart = kp(new_uuid())
    req.set_path(*[cart if s == "{cartId}" else s for s in req.resource.strip("/").split("/")])
    req.ctype = "application/json"
    if chance(0.65):
        body = {"amount": rint(100, 99999), "currency": pick(["USD", "EUR", "JPY", "BRL"]),
                "source": {"type": "card", "card": {"number": sec(card(), "credit_card"), "exp_month": rint(1, 12), "exp_year": rint(2025, 2031),
                                                    "name": "%s %s" % (pick(FIRST).title(), pick(LAST).title())}},
                "orderRef": kp("ORD-%d" % rint(10 ** 7, 10 ** 8))}
    else:
        body = {"mandate": {"iban": sec(iban(), "iban"), "accountHolder": "%s %s" % (pick(FIRST).title(), pick(LAST).title()),
                            "email": sec(email(), "email")}, "scheme": "SEPA_DIRECT_DEBIT"}
    req.body = jdump(body, compact=chance(0.5))
    req.status = pick([200, 201, 402])


def sc_graphql(req):
    req.method, req.resource = "POST", "/graphql"
    req.set_path("graphql")
    req.ctype = "application/json"
    k = rint(0, 2)
    if k == 0:
        q = "mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token user { id } } }"
        body = {"operationName": "SignIn", "query": q, "variables": {"email": sec(email(), "email"), "password": sec(password(), "password")}}
    elif k == 1:
        tok = sec(rs(40, B64U), "reset_token")
        pw = password().replace("\\", "")
        q = 'mutation { resetPassword(token: "%s", newPassword: "%s") { ok errors { field message } } }' % (tok, sec(pw, "password"))
        body = {"query": q}
    else:
        q = "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { id } }"
        body = {"operationName": "UpdateProfile", "query": q,
                "variables": {"input": {"id": kp(new_uuid()), "phone": sec(phone(), "phone"), "birthDate": sec(dob(), "date_of_birth"),
                                        "paymentToken": {"cardNumber": sec(card(), "credit_card")}}}}
    req.body = jdump(body)


def sc_soap(req):
    req.method, req.resource = "POST", pick(["/soap/AccountService", "/services/LegacyAuth"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = "text/xml; charset=utf-8"
    req.header("SOAPAction", '"urn:Authenticate"')
    u, pw = sec(email(), "email"), sec(password(), "password")
    req.body = ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                'xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><soapenv:Header><wsse:Security>'
                '<wsse:UsernameToken><wsse:Username>%s</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/'
                'oasis-200401-wss-username-token-profile-1.0#PasswordText">%s</wsse:Password></wsse:UsernameToken></wsse:Security>'
                '</soapenv:Header><soapenv:Body><acc:GetBalance xmlns:acc="urn:acme:accounts"><acc:AccountId>%s</acc:AccountId>'
                '</acc:GetBalance></soapenv:Body></soapenv:Envelope>') % (xml_esc(u), xml_esc(pw), kp(str(rint(10 ** 6, 10 ** 9))))


def sc_multipart(req):
    req.method, req.resource = "POST", pick(["/kyc/documents", "/v1/uploads", "/support/attachments"])
    req.set_path(*req.resource.strip("/").split("/"))
    bnd = "----WebKitFormBoundary" + rs(16)
    req.ctype = "multipart/form-data; boundary=" + bnd
    parts = []
    parts.append('Content-Disposition: form-data; name="email"\r\n\r\n' + sec(email(), "email"))
    if chance(0.6):
        parts.append('Content-Disposition: form-data; name="%s"\r\n\r\n' % pick(["national_id", "documentNumber", "cpf", "nif"]) + sec(national_id(), "national_id"))
    else:
        parts.append('Content-Disposition: form-data; name="passport"\r\n\r\n' + sec(passport(), "passport_number"))
    parts.append('Content-Disposition: form-data; name="file"; filename="%s"\r\nContent-Type: image/jpeg\r\n\r\n\u00ff\u00d8\u00ff\u00e0' % pick(["id_front.jpg", "scan.jpeg"]))
    req.body = "".join("--" + bnd + "\r\n" + p + "\r\n" for p in parts) + "--" + bnd + "--"


def sc_integrations(req):
    req.method, req.resource = pick(["PUT", "POST"]), pick(["/v1/integrations/{id}", "/settings/connectors", "/tenants/{id}/secrets"])
    tid = kp(str(rint(1000, 999999)))
    req.set_path(*[tid if s == "{id}" else s for s in req.resource.strip("/").split("/")])
    req.ctype = "application/json"
    n = rint(1, 3)
    cfg = {}
    for _ in range(n):
        k, v = vendor_kv()
        cfg[k] = v
    body = pick([{"provider": pick(["slack", "github", "stripe", "custom"]), "config": cfg, "enabled": True},
                 {"connectors": [{"name": k, "credentials": {"value": v}} for k, v in cfg.items()]},
                 {"settings": {"env": [{"name": k, "value": v} for k, v in cfg.items()]}}])
    req.body = jdump(body, compact=chance(0.5))


def sc_vendor_proxy(req):
    req.method, req.resource = pick(["GET", "POST"]), "/proxy/{proxy+}"
    rest = pick(["v1/charges", "repos/acme/app/issues", "api/v2/series", "chat/completions", "v3/mail/send", "messages"])
    req.set_path("proxy", *rest.split("/"))
    req.path_params = {"proxy": rest}
    h, v = vendor_header()
    req.header(h, v)
    if chance(0.4):
        h, v = vendor_header()
        req.header(h, v)
    if req.method == "POST":
        req.ctype = "application/json"
        req.body = jdump({"model": pick(["gpt-4o-mini", "claude-3-haiku", "llama3-8b"]), "messages": [{"role": "user", "content": "summarise order %s" % kp("ORD-%d" % rint(10 ** 7, 10 ** 8))}]})


def sc_sigv4(req):
    req.method, req.resource = pick(["GET", "POST", "DELETE"]), pick(["/admin/users/{id}", "/internal/jobs", "/v1/reports/{id}"])
    rid = kp(new_uuid())
    req.set_path(*[rid if s == "{id}" else s for s in req.resource.strip("/").split("/")])
    sigv4_headers(req)
    req.header("X-Amz-User-Agent", "aws-sdk-js/3.521.0")


def sc_presigned(req):
    req.method, req.resource = "GET", "/files/{id}/download"
    fid = kp(new_uuid())
    req.set_path("files", fid, "download")
    req.path_params = {"id": fid}
    req.status = 302
    key = sec(akid(True), "aws_access_key_id")
    url = ("https://%s.s3.%s.amazonaws.com/uploads/%s.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%s%%2F%s%%2F%s%%2Fs3%%2Faws4_request"
           "&X-Amz-Date=%s&X-Amz-Expires=900&X-Amz-Security-Token=%s&X-Amz-Signature=%s&X-Amz-SignedHeaders=host") % (
        pick(["acme-docs", "invoices-prod", "kyc-uploads"]), E.region, strip(fid), key, E.t["day"], E.region, E.t["amz"],
        pct(sec(aws_session_token(), "aws_session_token")), sec(sigv4_sig(), "sigv4_signature"))
    req.resp_headers.append(("Location", url))
    if chance(0.5):
        req.resp_body = jdump({"url": url, "expiresIn": 900})


def sc_sts(req):
    req.method, req.resource = "POST", pick(["/identity/credentials", "/v1/assume"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = "application/json"
    req.body = jdump({"IdentityId": "%s:%s" % (E.region, new_uuid())})
    req.resp_body = jdump({"Credentials": {"AccessKeyId": sec(akid(True), "aws_access_key_id"), "SecretKey": sec(aws_secret(), "aws_secret_access_key"),
                                           "SessionToken": sec(aws_session_token(), "aws_session_token"), "Expiration": E.t["iso_s"]},
                           "IdentityId": "%s:%s" % (E.region, new_uuid())})


PROSE = [
    ("en", "Hi, I can't log in. My password is %s and my email is %s. Please help."),
    ("en", "reset didn't work, tried pass: %s twice - account %s"),
    ("es", "Hola, no puedo entrar. Mi contraseña es %s y mi correo %s"),
    ("pt", "Olá! Esqueci o acesso, minha senha é %s, e-mail %s"),
    ("de", "Hallo, mein Passwort lautet %s, E-Mail-Adresse %s. Danke"),
    ("fr", "Bonjour, mon mot de passe est %s et mon adresse %s"),
    ("ja", "ログインできません。パスワードは %s です。メールは %s"),
    ("ru", "Не могу войти, пароль %s, почта %s"),
    ("tr", "Merhaba, şifrem %s ve e-postam %s"),
    ("it", "Ciao, la mia password è %s, email %s"),
]


def sc_support(req):
    req.method, req.resource = "POST", pick(["/support/tickets", "/v1/chat/messages", "/feedback"])
    req.set_path(*req.resource.strip("/").split("/"))
    lang, tpl = pick(PROSE)
    msg = tpl % (sec(password(), "password"), sec(email(), "email"))
    extra = {}
    if chance(0.3):
        extra["phone"] = sec(phone(), "phone")
    if chance(0.5):
        req.ctype = "application/json"
        req.body = jdump(dict({"subject": "login", "locale": lang, "message": msg}, **extra), ascii=chance(0.4))
    else:
        req.ctype = "application/x-www-form-urlencoded"
        req.body = "subject=login&message=" + form(msg) + "&lang=" + lang


def sc_b64body(req):
    req.method, req.resource = "POST", pick(["/auth/login", "/v1/devices/register", "/webhook"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = pick(["application/x-www-form-urlencoded", "application/json"])
    inner = ("username=%s&password=%s" % (form(email()), form(password()))) if "form" in req.ctype else \
        jdump({"email": email(), "password": password(), "deviceToken": rs(64, HEX)})
    req.body = sec(b64(inner), "base64_secret")
    req.b64 = True


def sc_apikey(req):
    req.method, req.resource = pick(["GET", "POST"]), pick(["/v1/quotes", "/partner/orders", "/v2/rates/{symbol}"])
    req.set_path(*[pick(["EURUSD", "BTC-USD"]) if s == "{symbol}" else s for s in req.resource.strip("/").split("/")])
    key = sec(apigw_key(), "api_key")
    req.api_key, req.api_key_id = key, E.api_key_id
    if chance(0.75):
        req.header(pick(["x-api-key", "X-API-Key", "X-Api-Key"]), key)
    else:
        req.query.append((pick(["api_key", "apikey", "key"]), key))


def sc_privkey(req):
    req.method, req.resource = "POST", pick(["/v1/deploy-keys", "/integrations/sftp", "/tenants/certificates"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = "application/json"
    kind = pick(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"])
    pem = "-----BEGIN %s-----\n" % kind + "\n".join(sec(l, "private_key") for l in pem_lines()) + "\n-----END %s-----\n" % kind
    req.body = jdump({"name": kp("sftp-%s" % rs(6, LOWER)), "host": "sftp.partner.example", "privateKey": pem,
                      "fingerprint": kp("SHA256:" + rs(43, ALNUM + "+/"))})


def sc_connstring(req):
    req.method, req.resource = "POST", pick(["/admin/datasources", "/v1/connections/test"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = "application/json"
    pw = sec(password().replace("@", "").replace("/", "").replace(":", ""), "password")
    url = pick(["postgres://app:%s@db.internal.example:5432/app", "mysql://report:%s@10.0.4.21:3306/sales",
                "mongodb+srv://svc:%s@cluster0.ab1cd.mongodb.net/prod", "redis://:%s@cache.internal.example:6379/0"]).replace("%s", pw)
    req.body = jdump({"name": "warehouse", "connectionString": url, "sslmode": "require"})
    req.status = pick([200, 500])
    if req.status == 500:
        req.resp_body = jdump({"errorMessage": "could not connect to server: Connection timed out (%s)" % url, "errorType": "OperationalError"})


def sc_telegram(req):
    req.method, req.resource = "POST", "/tg/{proxy+}"
    n, tok, _, _, _ = vendor("telegram")
    req.set_path("tg", "bot" + tok, "sendMessage")
    req.path_params = {"proxy": "bot" + tok + "/sendMessage"}
    req.ctype = "application/json"
    req.body = jdump({"chat_id": kp(str(rint(10 ** 8, 10 ** 10))), "text": "Order shipped"})


SECRET_SCENARIOS = [(sc_login_json, 10), (sc_login_form, 5), (sc_oauth_token, 6), (sc_reset, 7), (sc_callback, 4), (sc_otp, 6),
                    (sc_signup, 7), (sc_payment, 6), (sc_graphql, 5), (sc_soap, 2), (sc_multipart, 3), (sc_integrations, 10),
                    (sc_vendor_proxy, 14), (sc_sigv4, 4), (sc_presigned, 3), (sc_sts, 3), (sc_support, 5), (sc_b64body, 3),
                    (sc_apikey, 5), (sc_privkey, 2), (sc_connstring, 3), (sc_telegram, 1)]


# ---- clean scenarios: look-alikes only ---------------------------------------
def cl_list(req):
    req.method, req.resource = "GET", pick(["/v1/orders", "/products", "/v2/catalog/items", "/api/notifications"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.query += [("limit", str(pick([10, 20, 50, 100]))), ("cursor", kp(base64.b64encode(jdump({"offset": rint(0, 5000), "sort": "createdAt"}).encode()).decode()))]
    if chance(0.4):
        req.query.append(("q", pick(["running shoes", "café crème", "token ring adapter", "password manager", "ñandú"])))
    req.resp_body = jdump({"items": [{"id": kp(new_uuid()), "sku": kp("SKU-%05d" % rint(0, 99999)), "etag": kp(etag())}],
                           "nextToken": kp(base64.b64encode(("page=%d" % rint(2, 40)).encode()).decode())})


def cl_get(req):
    req.method, req.resource = pick(["GET", "DELETE", "HEAD"]), pick(["/v1/orders/{id}", "/users/{id}/avatar", "/files/{id}"])
    rid = kp(new_uuid() if chance(0.7) else str(rint(10 ** 5, 10 ** 12)))
    req.set_path(*[rid if s == "{id}" else s for s in req.resource.strip("/").split("/")])
    req.path_params = {"id": rid}
    req.status = pick([200, 204, 304, 404])
    if req.status == 200:
        req.resp_headers.append(("ETag", kp(etag())))


def cl_health(req):
    req.method, req.resource = "GET", pick(["/health", "/ping", "/status", "/version"])
    req.set_path(req.resource.strip("/"))
    req.resp_body = jdump({"status": "ok", "version": kp(semver()), "commit": kp(rs(40, HEX)), "region": E.region})


def cl_policy(req):
    req.method, req.resource = "GET", pick(["/v1/password-policy", "/auth/config", "/settings/security"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.resp_body = jdump({"passwordPolicy": {"minLength": 12, "requireSymbols": True, "requireNumbers": True},
                           "mfa": "OPTIONAL", "token_type": "Bearer", "expires_in": 3600, "apiKeyId": kp(E.api_key_id)})


def cl_masked(req):
    req.method, req.resource = "POST", pick(["/v1/orders", "/checkout", "/audit/events"])
    req.set_path(*req.resource.strip("/").split("/"))
    req.ctype = "application/json"
    req.body = jdump({"orderId": kp("ORD-%d" % rint(10 ** 7, 10 ** 8)), "card": kp(pick(["**** **** **** %04d" % rint(0, 9999), "************%04d" % rint(0, 9999)])),
                      "password": kp(pick(["********", "REDACTED", "[FILTERED]"])), "apiKey": kp(pick(["<your-api-key>", "${API_KEY}", "sk_live_********"])),
                      "email": kp("%s***@%s***.com" % (pick(FIRST)[0], pick("gmoy"))), "items": [{"isbn": kp("978" + rs(10, DIG)), "qty": rint(1, 5)}],
                      "checksum": kp(sha256hex())})


def cl_options(req):
    req.method, req.resource = "OPTIONS", pick(["/v1/orders", "/{proxy+}", "/graphql"])
    req.set_path(*pick([["v1", "orders"], ["graphql"], ["assets", "app.%s.js" % rs(8, HEX)]]))
    req.header("Origin", "https://app.example.com")
    req.header("Access-Control-Request-Method", "POST")
    req.header("Access-Control-Request-Headers", "authorization,content-type,x-api-key")
    req.status = 204


def cl_search_graphql(req):
    req.method, req.resource = "POST", "/graphql"
    req.set_path("graphql")
    req.ctype = "application/json"
    req.body = jdump({"operationName": "Products", "query": "query Products($first: Int, $after: String) { products(first: $first, after: $after) { edges { node { id name } } } }",
                      "variables": {"first": 20, "after": kp(base64.b64encode(("cursor:%d" % rint(1, 999)).encode()).decode())}})


CLEAN_SCENARIOS = [(cl_list, 4), (cl_get, 4), (cl_health, 2), (cl_policy, 2), (cl_masked, 3), (cl_options, 1), (cl_search_graphql, 2)]


def wpick(table):
    tot = sum(w for _, w in table)
    x = RNG.uniform(0, tot)
    for f, w in table:
        x -= w
        if x <= 0:
            return f
    return table[-1][0]


def make_req(clean, scen=None):
    req = Req()
    (scen or wpick(CLEAN_SCENARIOS if clean else SECRET_SCENARIOS))(req)
    add_auth(req, clean, p=0.5)
    req.headers = std_headers(req) + req.headers
    RNG.shuffle(req.headers) if chance(0.3) else None
    if req.cookies:
        req.headers.append(("Cookie", "; ".join("%s=%s" % c for c in req.cookies)))
    if not clean and chance(0.45):
        cl = {"sub": new_uuid(), "email": sec(email(), "email"), "email_verified": "true", "cognito:username": new_uuid()}
        if chance(0.3):
            cl["phone_number"] = sec(phone().replace(" ", "").replace("-", "").replace("(", "").replace(")", ""), "phone")
        if chance(0.15):
            cl["birthdate"] = sec(dob(), "date_of_birth")
        cl["custom:tenant_id"] = kp("tenant-%04d" % rint(1, 9999))
        req.claims = cl
    elif clean and chance(0.3):
        req.claims = {"sub": new_uuid(), "custom:tenant_id": kp("tenant-%04d" % rint(1, 9999)), "scope": "orders/read"}
    req.principal = pick(["user|" + rs(12, HEX), "auth0|" + rs(24, HEX), new_uuid(), "svc-orders"])
    return req


def flat(s):
    return s.replace("\r", "\\r").replace("\n", "\\n")


def hdr_dict(req, lower=False, join=True):
    d = collections.OrderedDict()
    for k, v in req.headers:
        k2 = k.lower() if lower else k
        if k2 in d:
            d[k2] = d[k2] + ("," if lower else ", ") + v
        else:
            d[k2] = v
    return d


def mv_hdr_dict(req):
    d = collections.OrderedDict()
    for k, v in req.headers:
        if k == "X-Forwarded-For" and chance(0.5):
            d.setdefault(k, []).extend(v.split(", "))
        else:
            d.setdefault(k, []).append(v)
    return d


def qs_dict(req):
    return collections.OrderedDict(req.query) if req.query else None


# --------------------------------------------------------------------------
# Lambda proxy integration events (payload format 1.0 and 2.0)
# --------------------------------------------------------------------------
def authorizer_block(req, v2=False):
    if v2:
        if req.claims:
            return {"jwt": {"claims": dict(req.claims), "scopes": None}}
        if chance(0.5):
            return {"lambda": {"tenantId": kp("tenant-%04d" % rint(1, 9999)), "userId": req.principal}}
        return None
    if req.claims:
        return {"claims": dict(req.claims)}
    if req.auth_ctx:
        return dict(req.auth_ctx, principalId=req.principal, integrationLatency=rint(1, 400))
    return None


def event_v1(req, with_identity_key=True):
    path = req.path()
    rc = collections.OrderedDict()
    rc["resourceId"] = rs(6, LOWER + DIG)
    rc["resourcePath"] = kp(req.resource)
    rc["httpMethod"] = req.method
    rc["extendedRequestId"] = kp(E.ext_id)
    rc["requestTime"] = kp(E.t["clf"])
    rc["path"] = E.stage_path() + path
    rc["accountId"] = kp(E.account)
    rc["protocol"] = "HTTP/1.1"
    rc["stage"] = E.stage
    rc["domainPrefix"] = E.domain_prefix
    rc["requestTimeEpoch"] = E.t["ms"]
    rc["requestId"] = kp(E.request_id)
    ident = collections.OrderedDict([("cognitoIdentityPoolId", None), ("accountId", None), ("cognitoIdentityId", None), ("caller", None),
                                     ("sourceIp", kp(E.ip)), ("principalOrgId", None), ("accessKey", req.access_key), ("cognitoAuthenticationType", None),
                                     ("cognitoAuthenticationProvider", None), ("userArn", None), ("userAgent", kp(E.ua)), ("user", None)])
    if req.api_key and with_identity_key:
        ident["apiKey"] = req.api_key
        ident["apiKeyId"] = kp(E.api_key_id)
    rc["identity"] = ident
    rc["domainName"] = kp(E.domain)
    rc["deploymentId"] = rs(6, LOWER + DIG)
    rc["apiId"] = kp(E.api_id)
    au = authorizer_block(req)
    if au:
        rc["authorizer"] = au
    ev = collections.OrderedDict()
    ev["resource"] = kp(req.resource)
    ev["path"] = path
    ev["httpMethod"] = req.method
    ev["headers"] = hdr_dict(req) or None
    ev["multiValueHeaders"] = mv_hdr_dict(req) or None
    ev["queryStringParameters"] = qs_dict(req)
    ev["multiValueQueryStringParameters"] = collections.OrderedDict((k, [v]) for k, v in req.query) if req.query else None
    ev["pathParameters"] = req.path_params or None
    ev["stageVariables"] = {"lambdaAlias": "live"} if chance(0.2) else None
    ev["requestContext"] = rc
    ev["body"] = req.body
    ev["isBase64Encoded"] = req.b64
    if chance(0.3):  # some loggers drop multiValue* to save space
        ev.pop("multiValueHeaders")
        ev.pop("multiValueQueryStringParameters")
    return ev


def event_v2(req):
    ev = collections.OrderedDict()
    ev["version"] = "2.0"
    route = "%s %s" % (req.method, req.resource) if chance(0.8) else "$default"
    ev["routeKey"] = kp(route)
    ev["rawPath"] = E.stage_path() + req.path(enc=True)
    ev["rawQueryString"] = req.raw_query(enc=pct)
    if req.cookies:
        ev["cookies"] = ["%s=%s" % c for c in req.cookies]
    hd = hdr_dict(req, lower=True)
    hd.pop("cookie", None)
    ev["headers"] = hd
    if req.query:
        ev["queryStringParameters"] = collections.OrderedDict(req.query)
    rc = collections.OrderedDict()
    rc["accountId"] = kp(E.account)
    rc["apiId"] = kp(E.api_id)
    au = authorizer_block(req, v2=True)
    if au:
        rc["authorizer"] = au
    rc["domainName"] = kp(E.domain)
    rc["domainPrefix"] = E.domain_prefix
    rc["http"] = collections.OrderedDict([("method", req.method), ("path", E.stage_path() + req.path()), ("protocol", "HTTP/1.1"),
                                          ("sourceIp", kp(E.ip)), ("userAgent", kp(E.ua))])
    rc["requestId"] = kp(E.request_id)
    rc["routeKey"] = kp(route)
    rc["stage"] = E.stage
    rc["time"] = kp(E.t["clf"])
    rc["timeEpoch"] = E.t["ms"]
    ev["requestContext"] = rc
    if req.path_params:
        ev["pathParameters"] = req.path_params
    if req.body is not None:
        ev["body"] = req.body
    ev["isBase64Encoded"] = req.b64
    return ev


def to_plain(o):
    if isinstance(o, dict):
        return {k: to_plain(v) for k, v in o.items()}
    if isinstance(o, list):
        return [to_plain(v) for v in o]
    return o


def java_event_string(ev):
    """aws-lambda-java-events APIGatewayProxyRequestEvent.toString() style."""
    def val(v):
        if isinstance(v, dict):
            return "{" + ", ".join("%s=%s" % (k, val(x)) for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(val(x) for x in v) + "]"
        return "null" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
    keys = [k for k in ev if ev[k] is not None]
    return "{" + ",".join("%s: %s" % (k, flat(val(ev[k]))) for k in keys) + "}"


def lambda_log_line(payload_text, level="INFO"):
    """Wrap a message in one of the Lambda runtime log prefixes."""
    k = rint(0, 3)
    if k == 0:   # Node runtime text format
        return "%s\t%s\t%s\t%s" % (kp(E.t["iso"]), kp(E.lambda_req), level, payload_text)
    if k == 1:   # Python runtime text format
        return "[%s]\t%s\t%s\t%s" % (level, kp(E.t["iso"]), kp(E.lambda_req), payload_text)
    if k == 2:   # Lambda JSON log format
        return jdump(collections.OrderedDict([("timestamp", kp(E.t["iso"])), ("level", level), ("requestId", kp(E.lambda_req)),
                                              ("message", payload_text)]))
    return payload_text


def render_event(ev, style=None):
    """Render a Lambda event the way a backend would log it. Returns a line (marked)."""
    style = style or pick(["stringify", "stringify", "python_repr", "python_json", "inspect", "powertools", "java", "jsonlog"])
    if style == "stringify":
        return lambda_log_line("%s %s" % (pick(["event:", "Received event:", "EVENT", "incoming request"]), jdump(ev)) if chance(0.6) else jdump(ev))
    if style == "python_repr":
        return "[INFO]\t%s\t%s\tReceived event: %s" % (kp(E.t["iso"]), kp(E.lambda_req), pyrepr(to_plain(ev)))
    if style == "python_json":
        return "[%s]\t%s\t%s\t%s" % (pick(["INFO", "DEBUG"]), kp(E.t["iso"]), kp(E.lambda_req), jdump(ev, ascii=True, compact=False))
    if style == "inspect":
        return "%s\t%s\tINFO\t%s" % (kp(E.t["iso"]), kp(E.lambda_req), flat(inspect(ev, maxdepth=pick([2, 3, 5]))))
    if style == "powertools":
        return jdump(collections.OrderedDict([
            ("level", "INFO"), ("location", "handler:%d" % rint(10, 200)), ("message", pick(["Incoming event", "event"])),
            ("timestamp", kp(E.t["iso"].replace("T", " ").replace("Z", "+0000"))), ("service", pick(["orders", "auth", "payments"])),
            ("cold_start", chance(0.2)), ("function_name", kp(E.fn)), ("function_memory_size", "512"), ("function_arn", kp(E.fn_arn)),
            ("function_request_id", kp(E.lambda_req)), ("correlation_id", kp(E.request_id)), ("event", ev),
            ("xray_trace_id", kp(E.trace))]))
    if style == "java":
        return "%s %s INFO  c.e.Handler - request: %s" % (kp(E.t["iso"]), kp(E.lambda_req), java_event_string(ev))
    # jsonlog: Lambda JSON log format with the event stringified into message
    return jdump(collections.OrderedDict([("timestamp", kp(E.t["iso"])), ("level", "INFO"), ("requestId", kp(E.lambda_req)),
                                          ("message", "event " + jdump(ev))]))


# --------------------------------------------------------------------------
# access-log variables ($context.*)
# --------------------------------------------------------------------------
NAMES = {
    "requestId": ["requestId", "request_id", "reqId", "rid", "requestID", "request.id", "req_id", "x-request-id", "awsRequestId"],
    "extendedRequestId": ["extendedRequestId", "extended_request_id", "extRequestId", "request.extendedId", "xrid"],
    "ip": ["ip", "sourceIp", "source_ip", "clientIp", "client.ip", "identity.sourceIp", "remoteAddr", "src", "caller_ip"],
    "caller": ["caller", "identity.caller", "callerId"],
    "user": ["user", "identity.user", "iamUser"],
    "requestTime": ["requestTime", "request_time", "time", "timestamp", "request.time", "@timestamp", "ts"],
    "requestTimeEpoch": ["requestTimeEpoch", "epoch", "request.epoch", "timeEpoch", "time_ms"],
    "httpMethod": ["httpMethod", "method", "http_method", "request.method", "verb", "httpVerb"],
    "resourcePath": ["resourcePath", "resource", "resource_path", "request.resource", "route"],
    "routeKey": ["routeKey", "route_key", "route", "request.route"],
    "path": ["path", "request_path", "uri", "request.path", "fullPath", "url_path"],
    "status": ["status", "statusCode", "status_code", "response.status", "httpStatus", "code"],
    "protocol": ["protocol", "proto", "request.protocol", "httpVersion"],
    "responseLength": ["responseLength", "response_length", "bytes", "response.length", "size", "contentLength"],
    "responseLatency": ["responseLatency", "latency", "response.latency", "latency_ms", "duration"],
    "integrationLatency": ["integrationLatency", "integration_latency", "integration.latency", "backendLatency"],
    "integrationStatus": ["integrationStatus", "integration.status", "integration_status", "backendStatus"],
    "domainName": ["domainName", "domain", "host", "request.host", "domain_name"],
    "apiId": ["apiId", "api_id", "api", "gateway.apiId"],
    "stage": ["stage", "apiStage", "env", "gateway.stage"],
    "userAgent": ["userAgent", "user_agent", "ua", "identity.userAgent", "request.userAgent", "agent"],
    "xrayTraceId": ["xrayTraceId", "traceId", "trace_id", "xray", "tracing.xray"],
    "apiKeyId": ["apiKeyId", "api_key_id", "identity.apiKeyId", "keyId", "usagePlanKeyId"],
    "apiKey": ["apiKey", "api_key", "identity.apiKey", "x_api_key", "clientKey", "apikey_value"],
    "accessKey": ["accessKey", "identity.accessKey", "access_key", "awsAccessKey", "iam.accessKey"],
    "userArn": ["userArn", "identity.userArn", "user_arn", "caller_arn"],
    "principalId": ["principalId", "authorizer.principalId", "principal", "principal_id"],
    "claims.email": ["email", "authorizer.claims.email", "claims.email", "userEmail", "authorizerClaimsEmail", "jwt.email", "auth.email"],
    "claims.phone_number": ["phone", "authorizer.claims.phone_number", "claims.phone_number", "phoneNumber", "auth.phone"],
    "claims.birthdate": ["birthdate", "claims.birthdate", "authorizer.claims.birthdate", "dob"],
    "claims.sub": ["sub", "claims.sub", "authorizer.claims.sub", "userId", "user_sub"],
    "claims.tenant": ["tenant", "claims.custom:tenant_id", "tenantId", "authorizer.tenant"],
    "errorMessage": ["errorMessage", "error.message", "error", "err", "gatewayError", "error_message", "errMsg"],
    "responseType": ["errorResponseType", "error.responseType", "responseType", "error_type"],
    "authorizerError": ["authorizerError", "authorizer.error", "authError", "authorizer_error"],
    "integrationError": ["integrationErrorMessage", "integration.error", "integrationError", "backendError", "integration_error_message"],
    "authCtx": ["authorizer.upstream", "authorizerContext", "authorizer.ctx", "auth.context"],
    "wafResponseCode": ["wafResponseCode", "waf.responseCode", "waf", "waf_status"],
    "accountId": ["accountId", "account", "aws_account", "accountID"],
    "cognitoIdentityId": ["cognitoIdentityId", "identity.cognitoIdentityId", "cognitoId"],
    "connectionId": ["connectionId", "connection_id", "conn", "wsConnectionId"],
    "eventType": ["eventType", "event_type", "wsEvent"],
    "messageId": ["messageId", "message_id", "msgId"],
    "clientCertSubject": ["clientCertSubjectDN", "identity.clientCert.subjectDN", "mtls.subject"],
    "requestOverride": ["requestOverride.header.X-Customer-Email", "override.customerEmail", "xCustomerEmail"],
}

UA_SECRET_TPL = ["ShopApp/5.31.2 (iOS 17.4; user=%s)", "MyCompanyCLI/2.3.0 (+account:%s)", "Mozilla/5.0 (Linux; Android 14) AcmeWallet/8.1.0 login/%s"]

ERR_CLEAN = ["Unauthorized", "Forbidden", "Missing Authentication Token", "Invalid API Key identifier specified",
             "The security token included in the request is invalid.", "Endpoint request timed out", "Internal server error",
             "Too Many Requests", "Limit Exceeded", "Request failed due to WAF block", "Invalid request body", "-"]


def access_vars(req, clean, http=False, ws=False):
    """Return an ordered dict canonical-name -> (marked value, is_number). Extra
    secret-bearing fields are created here for non-clean records."""
    v = collections.OrderedDict()
    v["requestId"] = kp(E.request_id)
    v["extendedRequestId"] = kp(E.ext_id)
    v["ip"] = kp(E.ip)
    v["caller"] = pick(["-", kp("AIDA" + rs(17, UPPER + "234567"))])
    v["user"] = pick(["-", kp("AIDA" + rs(17, UPPER + "234567"))])
    v["requestTime"] = kp(pick([E.t["clf"], E.t["iso"]]))
    v["requestTimeEpoch"] = kp(str(E.t["ms"]))
    v["httpMethod"] = req.method
    v["resourcePath"] = kp(req.resource)
    v["routeKey"] = kp("%s %s" % (req.method, req.resource) if not ws else (req.ws_route or "$default"))
    v["path"] = E.stage_path() + req.path(enc=chance(0.5))
    v["status"] = kp(str(req.status))
    v["protocol"] = pick(["HTTP/1.1", "HTTP/2.0"])
    v["responseLength"] = str(E.resp_len)
    v["responseLatency"] = kp(str(E.latency))
    v["integrationLatency"] = str(E.int_latency)
    v["integrationStatus"] = str(pick([200, 200, 500, 502]))
    v["domainName"] = kp(E.domain)
    v["apiId"] = kp(E.api_id)
    v["stage"] = kp(E.stage)
    v["userAgent"] = kp(E.ua)
    v["xrayTraceId"] = kp("Root=" + E.trace)
    v["apiKeyId"] = kp(E.api_key_id) if (req.api_key or chance(0.3)) else "-"
    v["userArn"] = pick(["-", kp("arn:aws:sts::%s:assumed-role/%s/%s" % (E.account, pick(["OpsRole", "ci-deployer", "PartnerAccess"]), pick(["session-1", "botocore-session-%d" % rint(10 ** 9, 10 ** 10)])))])
    v["principalId"] = req.principal if not http else "-"
    v["accountId"] = kp(E.account)
    v["wafResponseCode"] = pick(["WAF_ALLOW", "-", "WAF_BLOCK"])
    v["cognitoIdentityId"] = pick(["-", "%s:%s" % (E.region, new_uuid())])
    v["errorMessage"] = kp(pick(ERR_CLEAN[:-1])) if req.status >= 400 else "-"
    v["responseType"] = pick(["UNAUTHORIZED", "ACCESS_DENIED", "DEFAULT_4XX", "INTEGRATION_TIMEOUT", "-"]) if req.status >= 400 else "-"
    if ws:
        v["connectionId"] = kp(E.conn_id)
        v["eventType"] = pick(["CONNECT", "MESSAGE", "DISCONNECT"])
        v["messageId"] = kp(ext_req_id()) if v["eventType"] == "MESSAGE" else "-"
    if req.claims:
        v["claims.sub"] = req.claims["sub"]
        v["claims.tenant"] = req.claims.get("custom:tenant_id", "-")
        for c in ("email", "phone_number", "birthdate"):
            if c in req.claims:
                v["claims." + c] = req.claims[c]
    if req.api_key:
        v["apiKey"] = req.api_key
    if req.access_key:
        v["accessKey"] = req.access_key
    if clean:
        if chance(0.3):
            v["errorMessage"] = kp("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '%s'." %
                                   base64.b64encode(bytes(RNG.getrandbits(8) for _ in range(32))).decode())
            v["status"] = kp("403")
        if chance(0.2):
            v["clientCertSubject"] = kp("CN=%s.partner.example,O=Partner Ltd,C=GB" % rs(6, LOWER))
        return v
    # extra secret-bearing sources, chosen at random (at least one used by the renderer)
    extras = []
    k = rint(0, 7)
    if k == 0:
        v["errorMessage"] = ("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                             "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a "
                             "'X-Amz-Date' or a 'Date' header. Authorization=Bearer " + sec(jwt(), "jwt"))
        v["status"] = kp("403")
    elif k == 1:
        v["integrationError"] = pick(["UserNotFoundException: no account for %s" % sec(email(), "email"),
                                      "ValidationError: '%s' is not a valid phone number" % sec(phone(), "phone"),
                                      "ConditionalCheckFailedException: resetToken %s already used" % sec(rs(40, B64U), "reset_token"),
                                      "Lambda.Unknown: password %s rejected by policy" % sec(password(), "password")])
        v["status"] = kp(pick(["500", "502", "400"]))
    elif k == 2:
        v["authCtx"] = pick([sec(email(), "email"), vendor()[1], sec(jwt(), "jwt")])
    elif k == 3:
        v["userAgent"] = pick(UA_SECRET_TPL) % sec(email(), "email")
    elif k == 4:
        v["apiKey"] = sec(apigw_key(), "api_key")
        v["apiKeyId"] = kp(E.api_key_id)
    elif k == 5:
        v["claims.email"] = sec(email(), "email")
    elif k == 6:
        v["requestOverride"] = sec(email(), "email")
    else:
        v["authorizerError"] = pick(["Token %s expired" % sec(jwt(), "jwt"), "invalid api key %s" % sec(apigw_key(), "api_key"),
                                     "jwt malformed: %s" % sec(opaque(), "bearer_token")])
    return v


BASE_REST = ["requestId", "ip", "requestTime", "httpMethod", "resourcePath", "status", "protocol", "responseLength"]
OPTIONAL_REST = ["extendedRequestId", "caller", "user", "requestTimeEpoch", "path", "responseLatency", "integrationLatency",
                 "integrationStatus", "domainName", "apiId", "stage", "userAgent", "xrayTraceId", "apiKeyId", "userArn",
                 "principalId", "accountId", "wafResponseCode", "cognitoIdentityId", "errorMessage", "responseType"]
BASE_HTTP = ["requestId", "ip", "requestTime", "httpMethod", "routeKey", "status", "protocol", "responseLength"]
OPTIONAL_HTTP = ["extendedRequestId", "requestTimeEpoch", "path", "responseLatency", "integrationLatency", "integrationStatus",
                 "domainName", "apiId", "stage", "userAgent", "errorMessage", "accountId"]
SECRETISH = ["path", "apiKey", "accessKey", "claims.email", "claims.phone_number", "claims.birthdate", "errorMessage", "integrationError",
             "authCtx", "userAgent", "authorizerError", "requestOverride"]


def choose_fields(v, base, optional, clean):
    fields = [f for f in base if f in v]
    opt = [f for f in optional if f in v and f not in fields]
    fields += RNG.sample(opt, min(len(opt), rint(2, 9)))
    extra = [f for f in v if f not in fields and f not in base and f not in optional]
    fields += [f for f in extra if chance(0.7)]
    if not clean:
        sf = [f for f in v if f in SECRETISH and has_secret(v[f])]
        if sf and not any(has_secret(v[f]) for f in fields):
            fields.append(pick(sf))
    if chance(0.3):
        RNG.shuffle(fields)
    return fields


def name_for(field, style):
    names = NAMES[field]
    n = names[0] if style == "doc" else pick(names)
    if style == "snake":
        n = re.sub(r"(?<=[a-z])([A-Z])", r"_\1", n).lower().replace(".", "_")
    elif style == "pascal":
        n = "".join(p[:1].upper() + p[1:] for p in re.split(r"[._]", n))
    return n


def json_access_line(v, fields, clean):
    fields = list(collections.OrderedDict.fromkeys(fields))
    style = pick(["doc", "mixed", "mixed", "snake", "pascal"])
    nested = chance(0.35)
    numeric = chance(0.4)
    out = collections.OrderedDict()
    used = set()
    for f in fields:
        n = name_for(f, style)
        if n in used:
            n = n + "_" + f.split(".")[-1]
        used.add(n)
        val = v[f]
        if numeric and f in ("status", "responseLength", "responseLatency", "integrationLatency", "requestTimeEpoch") and strip(val).isdigit():
            val = int(strip(val)) if not MARK_RE.search(val) else val
        if nested and "." in n and not n.startswith("@"):
            head, tail = n.split(".", 1)
            if head in out and not isinstance(out[head], dict):
                out[n] = val
            else:
                out.setdefault(head, collections.OrderedDict())[tail] = val
        else:
            out[n] = val
    return jdump(out, compact=chance(0.7))


# --------------------------------------------------------------------------
# layout: REST / HTTP access logs (JSON) and text formats
# --------------------------------------------------------------------------
def gen_rest_access_json(clean):
    global E
    E = Env(http=False)
    req = make_req(clean)
    v = access_vars(req, clean)
    return json_access_line(v, choose_fields(v, BASE_REST, OPTIONAL_REST, clean), clean)


def gen_http_access_json(clean):
    global E
    E = Env(http=True)
    req = make_req(clean)
    v = access_vars(req, clean, http=True)
    return json_access_line(v, choose_fields(v, BASE_HTTP, OPTIONAL_HTTP, clean), clean)


def xml_name(n):
    return re.sub(r"[^A-Za-z0-9_.-]", "", n) or "field"


def gen_access_text(clean):
    global E
    E = Env(http=chance(0.3))
    req = make_req(clean)
    v = access_vars(req, clean, http=E.http_api)
    base, opt = (BASE_HTTP, OPTIONAL_HTTP) if E.http_api else (BASE_REST, OPTIONAL_REST)
    fields = choose_fields(v, base, opt, clean)
    extras = [f for f in fields if f not in ("ip", "caller", "user", "requestTime", "httpMethod", "resourcePath", "routeKey", "protocol",
                                             "status", "responseLength", "requestId")]
    fmt = pick(["clf", "clf", "csv", "xml", "kv", "pipe", "tsv"])
    res = v["routeKey"] if E.http_api else (v["path"] if chance(0.5) else v["resourcePath"])
    if fmt == "clf":
        line = '%s %s %s [%s] "%s %s %s" %s %s %s' % (v["ip"], v["caller"], v["user"], kp(E.t["clf"]), v["httpMethod"],
                                                      strip(res).split(" ")[-1] if E.http_api else res, v["protocol"], v["status"],
                                                      v["responseLength"], v["requestId"])
        for f in extras:
            val = v[f]
            line += pick([' %s="%s"' % (name_for(f, "mixed"), val), ' "%s"' % val]) if " " in strip(val) else " %s=%s" % (name_for(f, "mixed"), val)
        return line
    order = ["ip", "caller", "user", "requestTime", "httpMethod", "resourcePath" if not E.http_api else "routeKey", "protocol",
             "status", "responseLength", "requestId"] + extras
    vals = [v[f] for f in order]
    if fmt == "csv":
        force = chance(0.4)
        return ",".join('"%s"' % x.replace('"', '""') if (force or "," in strip(x) or '"' in strip(x)) else x for x in vals)
    if fmt == "pipe":
        return " | ".join(vals)
    if fmt == "tsv":
        return "\t".join(vals)
    if fmt == "xml":
        tags = {f: xml_name(name_for(f, "mixed")) for f in order}
        body = "".join("<%s>%s</%s>" % (tags[f], xml_esc(v[f]), tags[f]) for f in order if f != "requestId")
        return '<request id="%s">%s</request>' % (v["requestId"], body) if chance(0.6) else \
            '<request id="%s"> %s </request>' % (v["requestId"], body.replace("><", "> <"))
    # kv
    sep = pick([" ", ", ", " "])
    return sep.join('%s=%s' % (name_for(f, pick(["doc", "snake", "mixed"])), ('"%s"' % v[f]) if " " in strip(v[f]) or not strip(v[f]) else v[f])
                    for f in order)


# --------------------------------------------------------------------------
# layout: REST execution logs
# --------------------------------------------------------------------------
MASK_HDRS = ("authorization", "x-api-key")


def exec_headers_text(req, masked):
    d = collections.OrderedDict()
    for k, v in req.headers:
        if masked and k.lower() in MASK_HDRS and strip(v):
            raw = strip(v)
            v = kp("*" * max(8, len(raw) - 6) + raw[-6:]) if len(raw) > 12 else kp("*" * len(raw))
        d[k] = v if k not in d else d[k] + ", " + v
    return javamap(d)


def exec_prefix(msg):
    rid = kp(E.request_id)
    k = rint(0, 5)
    if k <= 2:
        return "(%s) %s" % (rid, msg)
    if k == 3:
        return "%s (%s) %s" % (kp(E.t["iso"]), rid, msg)
    if k == 4:
        return "%s %s (%s) %s" % (kp(E.t["iso"][:10]), kp(E.t["iso"][11:23]), rid, msg)
    return "[%s] (%s) %s" % (kp(E.t["iso"]), rid, msg)


def limit(msg, big=False):
    """API Gateway cuts execution-log events at 1 KB (newer logging allows more)."""
    if big or chance(0.3):
        return msg
    return trunc(msg, 1024 - len("(%s) " % E.request_id))


def exec_messages(req, clean):
    """Candidate execution-log messages for one request: list of (message, is_body)."""
    ms = []
    masked = chance(0.5)
    integ = pick(["lambda_proxy", "http", "lambda"])
    ms.append("Extended Request Id: %s" % kp(E.ext_id))
    ms.append("Starting execution for request: %s" % kp(E.request_id))
    ms.append("HTTP Method: %s, Resource Path: %s" % (req.method, (E.stage_path() + req.path()) if chance(0.3) else kp(req.resource)))
    if req.api_key or chance(0.2):
        mk = kp("*" * rint(30, 36) + rs(4))
        ms.append(pick(["API Key %s authorized because method '%s %s' does not require API Key. Request will not contribute to throttle or quota limits" % (mk, req.method, req.resource),
                        "Verifying Usage Plan for request: %s. API Key: %s API Stage: %s" % (kp(E.request_id), mk, kp("%s/%s" % (E.api_id, E.stage))),
                        "Usage Plan check succeeded for API Key %s and API Stage %s" % (mk, kp("%s/%s" % (E.api_id, E.stage)))]))
    if req.path_params:
        ms.append("Method request path: %s" % javamap(req.path_params))
    ms.append("Method request query string: %s" % javamap(collections.OrderedDict(req.query)))
    ms.append("Method request headers: %s" % exec_headers_text(req, masked))
    if req.body is not None:
        ms.append("Method request body before transformations: %s" % (flat(req.body) if not req.b64 else pick([flat(req.body), "[Binary Data]"])))
    if integ == "lambda_proxy":
        uri = "https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations" % (E.region, E.fn_arn)
        ms.append("Endpoint request URI: %s" % kp(uri))
        eh = collections.OrderedDict([("x-amzn-lambda-integration-tag", kp(E.request_id)),
                                      ("Authorization", kp("*" * rint(100, 200) + rs(6, HEX))), ("X-Amz-Date", kp(E.t["amz"])),
                                      ("x-amzn-apigateway-api-id", kp(E.api_id)), ("Accept", "application/json"),
                                      ("User-Agent", kp("AmazonAPIGateway_" + E.api_id)),
                                      ("X-Amz-Security-Token", sec(aws_session_token(), "aws_session_token") if not clean else kp("*" * 40)),
                                      ("X-Amz-Source-Arn", kp(E.exec_arn(req.method, req.resource)))])
        ms.append("Endpoint request headers: %s" % javamap(eh))
        ms.append("Endpoint request body after transformations: %s" % jdump(event_v1(req)))
    else:
        host = pick(["backend.internal.example", "orders.svc.example.net", "api.partner.example"])
        ms.append("Endpoint request URI: %s" % ("https://%s%s%s" % (kp(host), req.path(enc=True), ("?" + req.raw_query(pct)) if req.query else "")))
        eh = collections.OrderedDict([("x-amzn-apigateway-api-id", kp(E.api_id)), ("User-Agent", kp("AmazonAPIGateway_" + E.api_id)),
                                      ("X-Amzn-Trace-Id", kp("Root=" + E.trace))])
        if not clean and chance(0.5):
            h, vv = vendor_header()
            eh[h] = vv
        ms.append("Endpoint request headers: %s" % javamap(eh))
        if req.body is not None:
            ms.append("Endpoint request body after transformations: %s" % flat(req.body))
    ms.append("Sending request to %s" % kp("https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations" % (E.region, E.fn_arn)))
    ms.append("Received response. Status: %d, Integration latency: %s ms" % (req.status if req.status < 500 else 200, kp(str(E.int_latency))))
    rh = collections.OrderedDict([("Date", kp(E.t["http"])), ("Content-Type", "application/json"), ("Content-Length", str(rint(2, 4000))),
                                  ("Connection", "keep-alive"), ("x-amzn-RequestId", kp(E.lambda_req)),
                                  ("X-Amzn-Trace-Id", kp("root=%s;sampled=0;lineage=%s:0" % (E.trace, rs(8, HEX))))])
    for k, v in req.resp_headers:
        rh[k] = v
    ms.append("Endpoint response headers: %s" % javamap(rh))
    if req.resp_body is not None:
        if integ == "lambda_proxy":
            rb = jdump({"statusCode": req.status, "headers": {"Content-Type": "application/json"}, "body": req.resp_body})
        else:
            rb = req.resp_body
        ms.append("Endpoint response body before transformations: %s" % rb)
        ms.append("Method response body after transformations: %s" % req.resp_body)
    mh = collections.OrderedDict([("X-Amzn-Trace-Id", kp("Root=" + E.trace)), ("Content-Type", "application/json")])
    for k, v in req.resp_headers:
        mh[k] = v
    ms.append("Method response headers: %s" % javamap(mh))
    ms.append("Successfully completed execution")
    ms.append("Method completed with status: %s" % kp(str(req.status)))
    if req.status >= 500 or chance(0.15):
        if not clean and chance(0.6):
            err = pick(["Lambda execution failed with status 200 due to customer function error: %s. Lambda request id: %s" % (
                pick(["User %s not found" % sec(email(), "email"), "invalid card %s" % sec(card(), "credit_card"),
                      "password for %s did not match" % sec(email(), "email"),
                      "Could not connect: postgres://app:%s@db.internal.example:5432/app" % sec(rs(16), "password")]), kp(E.lambda_req)),
                "Endpoint response body before transformations: " + jdump({"errorMessage": "SignatureDoesNotMatch for key %s" % sec(akid(), "aws_access_key_id"),
                                                                           "errorType": "Error", "trace": ["Error: at sign (/var/task/index.js:42:11)"]})])
        else:
            err = pick(["Execution failed due to configuration error: Invalid permissions on Lambda function",
                        "Execution failed due to configuration error: Malformed Lambda proxy response",
                        "Execution failed due to a timeout error", "Execution failed due to configuration error: Unable to transform request",
                        "Execution failed due to configuration error: There was an internal error while executing your request",
                        "Lambda execution failed with status 200 due to customer function error: Task timed out after 29.03 seconds. Lambda request id: %s" % kp(E.lambda_req),
                        "Gateway response type: DEFAULT_5XX with status code: 502", "Gateway response body: {\"message\": \"Internal server error\"}"])
        ms.append(err)
    return ms


def gen_execution(clean, req=None):
    global E
    if req is None:
        E = Env(http=False)
        req = make_req(clean)
    ms = exec_messages(req, clean)
    if clean:
        cands = ms
    else:
        cands = [m for m in ms if has_secret(m)] or ms
    m = pick(cands)
    big = len(strip(m)) > 1024 and chance(0.3)
    return exec_prefix(limit(m, big))


# --------------------------------------------------------------------------
# layout: Lambda proxy events logged by the backend
# --------------------------------------------------------------------------
def response_obj(req):
    r = collections.OrderedDict([("statusCode", req.status), ("headers", collections.OrderedDict([("Content-Type", "application/json"),
                                                                                                ("Access-Control-Allow-Origin", "*")]))])
    for k, v in req.resp_headers:
        r["headers"][k] = v
    if chance(0.3) and req.resp_headers:
        r["multiValueHeaders"] = {k: [v] for k, v in req.resp_headers}
    r["body"] = req.resp_body if req.resp_body is not None else jdump({"ok": True, "requestId": kp(E.request_id)})
    r["isBase64Encoded"] = False
    return r


def gen_lambda_proxy(clean):
    global E
    E = Env(http=chance(0.45))
    req = make_req(clean)
    k = rint(0, 9)
    if k <= 6:
        ev = event_v2(req) if E.http_api else event_v1(req)
        return render_event(ev)
    if k == 7:  # response logged
        return lambda_log_line("Response: " + jdump(response_obj(req)))
    if k == 8:  # only headers or body
        if req.body is not None and chance(0.6):
            return lambda_log_line("%s %s" % (pick(["body:", "Parsed body", "request.body ="]),
                                              jdump(req.body) if chance(0.5) else flat(req.body)))
        return lambda_log_line("headers " + jdump(hdr_dict(req, lower=E.http_api)))
    # Express/serverless-http access style line inside Lambda
    return lambda_log_line('%s - - [%s] "%s %s%s HTTP/1.1" %s %d "-" "%s"' % (
        kp(E.ip), kp(E.t["clf"]), req.method, req.path(enc=True), ("?" + req.raw_query(pct)) if req.query else "",
        kp(str(req.status)), rint(2, 9000), kp(E.ua)))


# --------------------------------------------------------------------------
# layout: CloudWatch Logs subscription envelopes
# --------------------------------------------------------------------------
def cw_event_id():
    return kp(str(rint(10 ** 55, 10 ** 56 - 1)))


def inner_messages(clean, n):
    """n log messages about one request, for one log group.  Returns (logGroup, [messages])."""
    global E
    kind = pick(["exec", "exec", "access", "lambda"])
    E = Env(http=kind == "access" and chance(0.4))
    req = make_req(clean)
    if kind == "exec":
        group = "API-Gateway-Execution-Logs_%s/%s" % (E.api_id, E.stage)
        ms = exec_messages(req, clean)
        if not clean:
            sec_ms = [m for m in ms if has_secret(m)]
            chosen = ([pick(sec_ms)] if sec_ms else []) + RNG.sample(ms, min(len(ms), n - 1 if sec_ms else n))
        else:
            chosen = RNG.sample(ms, min(len(ms), n))
        return group, ["(%s) %s" % (kp(E.request_id), limit(m)) for m in chosen]
    if kind == "access":
        group = pick(["/aws/apigateway/%s/%s" % (E.api_id, E.stage), "API-Gateway-Access-Logs_%s/%s" % (E.api_id, E.stage), "apigw-access-%s" % E.stage])
        v = access_vars(req, clean, http=E.http_api)
        base, opt = (BASE_HTTP, OPTIONAL_HTTP) if E.http_api else (BASE_REST, OPTIONAL_REST)
        return group, [json_access_line(v, choose_fields(v, base, opt, clean), clean)]
    group = "/aws/lambda/" + E.fn
    ev = event_v2(req) if E.http_api else event_v1(req)
    return group, [render_event(ev, pick(["stringify", "python_repr", "powertools", "jsonlog"]))]


def gen_cwl_subscription(clean):
    if clean and chance(0.15):
        return jdump(collections.OrderedDict([("messageType", "CONTROL_MESSAGE"), ("owner", "CloudwatchLogs"), ("logGroup", ""), ("logStream", ""),
                                              ("subscriptionFilters", []), ("logEvents", [{"id": "", "timestamp": epoch_ms(),
                                                                                            "message": kp("CWL CONTROL MESSAGE: Checking health of destination %s." % pick(["Firehose", "Kinesis stream"]))}])]))
    group, msgs = inner_messages(clean, rint(1, 3))
    base_ms = E.t["ms"]
    events = [collections.OrderedDict([("id", cw_event_id()), ("timestamp", base_ms + i), ("message", m)]) for i, m in enumerate(msgs)]
    env = collections.OrderedDict([("messageType", "DATA_MESSAGE"), ("owner", kp(E.account)), ("logGroup", kp(group)),
                                   ("logStream", kp(E.log_stream if not group.startswith("/aws/lambda") else "%s/[$LATEST]%s" % (E.t["cw"], rs(32, HEX)))),
                                   ("subscriptionFilters", [pick(["ToKinesis", "apigw-to-firehose", "LambdaStream_log-shipper", "all-logs"])]),
                                   ("logEvents", events)])
    if chance(0.15):
        env["policyLevel"] = "ACCOUNT_LEVEL_POLICY"
    k = rint(0, 5)
    if k <= 3:
        return jdump(env, compact=chance(0.8))
    if k == 4:  # shipper Lambda logging the decoded payload (one more escaping level)
        return lambda_log_line("decoded payload: " + jdump(jdump(env)) if chance(0.5) else jdump(env))
    # Kinesis consumer record with the envelope as a string
    return jdump(collections.OrderedDict([("partitionKey", rs(32, HEX)), ("sequenceNumber", kp(str(rint(10 ** 55, 10 ** 56 - 1)))),
                                          ("approximateArrivalTimestamp", base_ms / 1000.0), ("payload", jdump(env))]))


# --------------------------------------------------------------------------
# layout: Kinesis Data Firehose records
# --------------------------------------------------------------------------
def fh_record_payload(clean):
    """A payload line as Firehose would receive it (access log, CWL envelope or lambda line)."""
    global E
    if chance(0.5):
        E = Env(http=chance(0.4))
        req = make_req(clean)
        v = access_vars(req, clean, http=E.http_api)
        base, opt = (BASE_HTTP, OPTIONAL_HTTP) if E.http_api else (BASE_REST, OPTIONAL_REST)
        return json_access_line(v, choose_fields(v, base, opt, clean), clean)
    group, msgs = inner_messages(clean, rint(1, 2))
    return jdump({"messageType": "DATA_MESSAGE", "owner": kp(E.account), "logGroup": kp(group), "logStream": kp(E.log_stream),
                  "subscriptionFilters": ["to-firehose"], "logEvents": [{"id": cw_event_id(), "timestamp": E.t["ms"], "message": m} for m in msgs]})


def b64_field(payload):
    """Base64 of a payload: labelled whole when the payload holds a secret, else a keep."""
    data = b64(payload)
    return sec(data, "base64_secret") if has_secret(payload) else kp(data)


def fh_record_id():
    return kp(str(rint(10 ** 55, 10 ** 56 - 1)) + "%09d" % rint(0, 10 ** 9 - 1))


def gen_firehose(clean):
    k = rint(0, 5)
    payloads = [fh_record_payload(clean)] + [fh_record_payload(True) for _ in range(rint(0, 1))]
    arn = kp("arn:aws:firehose:%s:%s:deliverystream/%s" % (E.region, E.account, pick(["apigw-logs", "PUT-S3-access", "cwl-to-opensearch"])))
    if k == 0:
        return jdump(collections.OrderedDict([("invocationId", kp(new_uuid())), ("deliveryStreamArn", arn), ("region", E.region),
                                              ("records", [collections.OrderedDict([("recordId", fh_record_id()),
                                                                                   ("approximateArrivalTimestamp", E.t["ms"]),
                                                                                   ("data", b64_field(p))]) for p in payloads])]))
    if k == 1:
        return jdump({"records": [{"recordId": fh_record_id(), "result": pick(["Ok", "Ok", "ProcessingFailed"]), "data": b64_field(p)} for p in payloads]})
    if k == 2:
        return jdump(collections.OrderedDict([("attemptsMade", rint(1, 4)), ("arrivalTimestamp", E.t["ms"]), ("errorCode", "Lambda.FunctionError"),
                                              ("errorMessage", "The Lambda function was successfully invoked but it returned an error result."),
                                              ("attemptEndingTimestamp", E.t["ms"] + rint(100, 90000)), ("rawData", b64_field(payloads[0])),
                                              ("lambdaArn", kp(E.fn_arn + ":$LATEST"))]))
    if k == 3:
        return jdump(collections.OrderedDict([("requestId", kp(new_uuid())), ("timestamp", E.t["ms"]),
                                              ("records", [{"data": b64_field(p)} for p in payloads])]))
    if k == 4:  # decompressed + message-extracted delivery to S3 / OpenSearch (plain)
        return strip_wrapper(payloads[0])
    return jdump(collections.OrderedDict([("@timestamp", kp(E.t["iso"])), ("owner", kp(E.account)), ("logGroup", kp("API-Gateway-Execution-Logs_%s/%s" % (E.api_id, E.stage))),
                                          ("id", cw_event_id()), ("message", payloads[0]), ("firehose", {"deliveryStream": strip(arn).split("/")[-1]})]))


def strip_wrapper(p):
    return p


# --------------------------------------------------------------------------
# layout: WebSocket APIs
# --------------------------------------------------------------------------
def ws_event(req, clean, route):
    rc = collections.OrderedDict([("routeKey", kp(route)), ("eventType", {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route, "MESSAGE")),
                                  ("extendedRequestId", kp(E.ext_id)), ("requestTime", kp(E.t["clf"])), ("messageDirection", "IN"),
                                  ("stage", E.stage), ("connectedAt", E.t["ms"] - rint(0, 600000)), ("requestTimeEpoch", E.t["ms"]),
                                  ("identity", {"userAgent": kp(E.ua), "sourceIp": kp(E.ip)}), ("requestId", kp(E.request_id)),
                                  ("domainName", kp(E.domain)), ("connectionId", kp(E.conn_id)), ("apiId", kp(E.api_id))])
    ev = collections.OrderedDict()
    if route == "$connect":
        hd = collections.OrderedDict([("Host", kp(E.domain)), ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
                                      ("Sec-WebSocket-Key", kp(base64.b64encode(bytes(RNG.getrandbits(8) for _ in range(16))).decode())),
                                      ("Sec-WebSocket-Version", "13"), ("X-Amzn-Trace-Id", kp("Root=" + E.trace)),
                                      ("X-Forwarded-For", kp(E.ip)), ("X-Forwarded-Port", "443"), ("X-Forwarded-Proto", "https")])
        q = collections.OrderedDict()
        if not clean:
            c = rint(0, 3)
            if c == 0:
                q["token"] = sec(jwt(), "jwt")
            elif c == 1:
                q["access_token"] = sec(opaque(), "bearer_token")
            elif c == 2:
                hd["Sec-WebSocket-Protocol"] = "graphql-ws, " + sec(jwt(), "jwt")
            else:
                hd["Cookie"] = "%s=%s" % (kp("session"), sec(opaque(), "session_cookie"))
        q["room"] = kp("room-%d" % rint(1, 9999))
        ev["headers"] = hd
        ev["multiValueHeaders"] = {k: [v] for k, v in hd.items()}
        ev["queryStringParameters"] = q
        ev["multiValueQueryStringParameters"] = {k: [v] for k, v in q.items()}
        ev["requestContext"] = rc
        ev["isBase64Encoded"] = False
        return ev
    if route == "$disconnect":
        rc["disconnectStatusCode"] = pick([1000, 1001, 1006])
        rc["disconnectReason"] = pick(["Client-side close frame status code 1000", "Going away"])
        ev["requestContext"] = rc
        ev["isBase64Encoded"] = False
        return ev
    rc["messageId"] = kp(ext_req_id())
    if clean:
        data = {"action": route, "data": {"roomId": kp("room-%d" % rint(1, 9999)), "text": pick(["hello", "typing…", "see you tomorrow", "ok 👍"])}}
    else:
        c = rint(0, 3)
        if c == 0:
            data = {"action": route, "data": {"text": "my new password is %s" % sec(password(), "password")}}
        elif c == 1:
            data = {"action": "authenticate", "token": sec(jwt(), "jwt")}
        elif c == 2:
            data = {"action": route, "payload": {"email": sec(email(), "email"), "phone": sec(phone(), "phone")}}
        else:
            data = {"action": route, "data": {"text": pick(["Your code is %s", "código: %s", "コード %s"]) % sec(otp(), "otp")}}
    ev["requestContext"] = rc
    ev["body"] = jdump(data, ascii=chance(0.3))
    ev["isBase64Encoded"] = False
    return ev


def gen_websocket(clean):
    global E
    E = Env(http=False)
    route = pick(["$connect", "$connect", "sendMessage", "$default", "$disconnect", "subscribe"])
    k = rint(0, 4)
    if k <= 1:
        return render_event(ws_event(None, clean, route), pick(["stringify", "python_repr", "powertools", "inspect", "jsonlog"]))
    if k == 2:  # access log
        req = make_req(clean)
        req.ws_route = route
        req.method = "-" if route != "$connect" else "GET"
        v = access_vars(req, clean, ws=True)
        fields = ["requestId", "ip", "requestTime", "routeKey", "status", "connectionId", "eventType"] + \
            [f for f in ("messageId", "extendedRequestId", "userAgent", "errorMessage", "integrationError", "authorizerError", "claims.email",
                         "authCtx", "apiId", "stage", "domainName", "integrationLatency") if f in v and (chance(0.5) or has_secret(v[f]))]
        return json_access_line(v, fields, clean)
    if k == 3:  # execution log
        ev = ws_event(None, clean, route)
        msg = pick([
            "Endpoint request body after transformations: %s" % jdump(ev),
            "Method request body before transformations: %s" % (ev.get("body") or "null"),
            "Method request headers: %s" % javamap(ev.get("headers") or {"Host": kp(E.domain)}),
        ])
        if clean and chance(0.4):
            msg = pick(["Route key: %s" % kp(route), "Client [UserAgent: %s, SourceIp: %s] is connecting" % (kp(E.ua), kp(E.ip)),
                        "Connection %s closed with status code 1001" % kp(E.conn_id)])
        return "(%s) %s" % (kp(E.conn_id if chance(0.5) else E.request_id), limit(msg))
    # backend lambda using the management API
    if clean:
        return lambda_log_line(pick(["postToConnection failed for %s: GoneException (410)" % kp(E.conn_id),
                                     "Broadcast to %d connections in %s ms (stage %s)" % (rint(2, 400), kp(str(rint(10, 900))), kp(E.stage)),
                                     "POST https://%s/%s/@connections/%s 200" % (kp(E.domain), E.stage, pct(strip(kp(E.conn_id))))]))
    return lambda_log_line(pick(["Broadcasting %s to %s" % (jdump({"from": sec(email(), "email"), "text": "hi"}), kp(E.conn_id)),
                                 "Auth ok for connection %s token=%s" % (kp(E.conn_id), sec(jwt(), "jwt")),
                                 "sending OTP %s to %s for connection %s" % (sec(otp(), "otp"), sec(phone(), "phone"), kp(E.conn_id))]))


# --------------------------------------------------------------------------
# layout: custom (Lambda) authorizers
# --------------------------------------------------------------------------
def policy_doc(arn, effect):
    return {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": kp(arn)}]}


def gen_authorizer(clean):
    global E
    E = Env(http=chance(0.35))
    method, resource = pick([("GET", "/v1/orders"), ("POST", "/v1/payments"), ("GET", "/me"), ("DELETE", "/admin/users/{id}")])
    arn = E.exec_arn(method, resource)
    if clean:
        tok_txt = kp(pick(["Bearer ****", "REDACTED", "<token>", "Bearer [FILTERED]"]))
    else:
        c = rint(0, 3)
        tok_txt = ["Bearer " + sec(jwt(), "jwt"), sec(jwt(), "jwt"), "Bearer " + sec(opaque(), "bearer_token"),
                   "Basic " + sec(base64.b64encode(("%s:%s" % (pick(FIRST), password())).encode()).decode(), "basic_auth")][c]
    k = rint(0, 7)
    if k == 0:  # TOKEN authorizer event
        ev = collections.OrderedDict([("type", "TOKEN"), ("authorizationToken", tok_txt), ("methodArn", kp(arn))])
        return render_event(ev, pick(["stringify", "python_repr", "inspect", "powertools", "jsonlog"]))
    if k == 1:  # REQUEST authorizer, payload 2.0 (HTTP API)
        req = make_req(clean, scen=None)
        ev = collections.OrderedDict([("version", "2.0"), ("type", "REQUEST"), ("routeArn", kp(arn)), ("identitySource", [tok_txt]),
                                      ("routeKey", kp("%s %s" % (method, resource))), ("rawPath", E.stage_path() + req.path(enc=True)),
                                      ("rawQueryString", req.raw_query(pct))])
        if req.cookies:
            ev["cookies"] = ["%s=%s" % c for c in req.cookies]
        hd = hdr_dict(req, lower=True)
        hd["authorization"] = tok_txt
        ev["headers"] = hd
        ev["requestContext"] = {"accountId": kp(E.account), "apiId": kp(E.api_id), "domainName": kp(E.domain), "requestId": kp(E.request_id),
                                "routeKey": kp("%s %s" % (method, resource)), "stage": E.stage, "time": kp(E.t["clf"]), "timeEpoch": E.t["ms"],
                                "http": {"method": method, "path": req.path(), "protocol": "HTTP/1.1", "sourceIp": kp(E.ip), "userAgent": kp(E.ua)}}
        return render_event(ev, pick(["stringify", "python_json", "powertools"]))
    if k == 2:  # REQUEST authorizer, payload 1.0 (REST)
        req = make_req(clean)
        req.header("Authorization", tok_txt)
        ev = event_v1(req)
        ev = collections.OrderedDict([("type", "REQUEST"), ("methodArn", kp(arn))] + [(a, b) for a, b in ev.items() if a not in ("body", "isBase64Encoded")])
        return render_event(ev, pick(["stringify", "python_repr", "java"]))
    if k == 3:  # authorizer response
        ctx = collections.OrderedDict([("tenantId", kp("tenant-%04d" % rint(1, 9999))), ("stripeCustomer", kp("cus_" + rs(14)))])
        if not clean:
            c = rint(0, 3)
            if c == 0:
                ctx["email"] = sec(email(), "email")
            elif c == 1:
                k2, v2 = vendor_kv(style="camel")
                ctx[k2] = v2
            elif c == 2:
                ctx["upstreamToken"] = sec(jwt(), "jwt")
            else:
                ctx["phone"] = sec(phone(), "phone")
        if E.http_api and chance(0.5):
            resp = collections.OrderedDict([("isAuthorized", True), ("context", ctx)])
        else:
            resp = collections.OrderedDict([("principalId", pick(["user|" + rs(12, HEX), new_uuid()])),
                                            ("policyDocument", policy_doc(arn, pick(["Allow", "Deny"]))), ("context", ctx)])
            if chance(0.4):
                resp["usageIdentifierKey"] = sec(apigw_key(), "api_key") if not clean else kp("*" * 36 + rs(4))
        pre = pick(["Returning policy: ", "authorizer result ", "Authorizer result body before parsing: "])
        if pre.startswith("Authorizer"):
            return "(%s) %s%s" % (kp(E.request_id), pre, limit(jdump(resp)))
        return lambda_log_line(pre + jdump(resp))
    if k == 4:  # execution log lines of the authorizer
        msgs = ["Starting authorizer: %s for request: %s" % (kp(rs(6, LOWER + DIG)), kp(E.request_id)),
                "Incoming identity: %s" % kp("*" * rint(40, 300) + rs(6, ALNUM)),
                "Endpoint request URI: %s" % kp("https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations" % (E.region, E.fn_arn)),
                "Endpoint request body after transformations: %s" % jdump({"type": "TOKEN", "methodArn": kp(arn), "authorizationToken": tok_txt}),
                "Using valid authorizer policy for principal: %s" % pick(["user|" + rs(12, HEX), "anonymous"]),
                "Successfully completed authorizer execution", "Unauthorized request: %s" % kp(E.request_id),
                "Execution failed due to configuration error: Authorizer error",
                "Authorizer result body before parsing: %s" % jdump({"principalId": "user|" + rs(12, HEX), "policyDocument": policy_doc(arn, "Allow")})]
        cands = msgs if clean else [m for m in msgs if has_secret(m)]
        return "(%s) %s" % (kp(E.request_id), limit(pick(cands)))
    if k == 5:  # verification errors in the authorizer function
        if clean:
            return lambda_log_line(pick([
                "Failed to verify token: kid %s not found in JWKS %s" % (kp(rs(43, B64U) + "="), kp("https://cognito-idp.%s.amazonaws.com/%s_%s/.well-known/jwks.json" % (E.region, E.region, rs(9)))),
                "TokenExpiredError: jwt expired at %s" % kp(E.t["iso"]),
                "Authorizer cache miss for identity hash %s" % kp(sha256hex()),
                "Deny %s %s for principal user|%s: missing scope orders:write" % (method, kp(resource), rs(12, HEX))]), "WARN")
        return lambda_log_line(pick([
            "JsonWebTokenError: invalid signature - token: %s" % tok_txt,
            "Unable to verify %s against issuer https://auth.example.com/" % tok_txt,
            "api key lookup failed for key=%s (table api-keys)" % sec(apigw_key(), "api_key"),
            "Denying %s: header Authorization=%s" % (kp(arn), tok_txt),
            "introspection response: %s" % jdump({"active": True, "username": sec(email(), "email"), "client_id": kp(rs(26, LOWER + DIG)),
                                                  "token": strip(tok_txt).split(" ")[-1] and tok_txt})]), "ERROR")
    if k == 6:  # Cognito JWT authorizer claims in an access log
        req = make_req(clean)
        if not clean and not req.claims:
            req.claims = {"sub": new_uuid(), "email": sec(email(), "email"), "custom:tenant_id": kp("tenant-%04d" % rint(1, 9999))}
        v = access_vars(req, clean, http=E.http_api)
        v["authorizerError"] = v.get("authorizerError") or pick(["-", kp("The incoming token has expired")])
        fields = ["requestId", "ip", "requestTime", "routeKey" if E.http_api else "resourcePath", "status", "principalId", "authorizerError"] + \
            [f for f in v if f.startswith("claims.") or (f in SECRETISH and has_secret(v[f]))]
        return json_access_line(v, fields, clean)
    # authorizer Lambda calling the IdP / token endpoint
    if clean:
        return lambda_log_line("GET %s 200 %s ms" % (kp("https://cognito-idp.%s.amazonaws.com/%s_%s/.well-known/jwks.json" % (E.region, E.region, rs(9))), kp(str(rint(10, 900)))))
    return lambda_log_line("POST https://auth.example.com/oauth2/introspect body=%s" % ("token=" + form(tok_txt.split(" ")[-1]) + "&client_id=" + kp(rs(26, LOWER + DIG)) +
                                                                                  "&client_secret=" + sec(rs(40, ALNUM), "client_secret")), "DEBUG")


# --------------------------------------------------------------------------
# layout: backend application logs behind the API (free text)
# --------------------------------------------------------------------------
def env_dump(n=None):
    items = [("AWS_REGION", E.region), ("STAGE", kp(E.stage)), ("TABLE_NAME", kp("orders-%s" % E.stage)), ("LOG_LEVEL", "debug")]
    for _ in range(n or rint(1, 3)):
        items.append(vendor_kv(style=pick(["env", "env", "camel"])))
    RNG.shuffle(items)
    st = rint(0, 2)
    if st == 0:
        return "config loaded: " + jdump(collections.OrderedDict(items))
    if st == 1:
        return "process.env = " + inspect(collections.OrderedDict(items))
    return "settings: " + " ".join("%s=%s" % (a, b) for a, b in items)


def gen_backend_text(clean, force_env=False):
    global E
    E = Env(http=chance(0.4))
    if force_env:
        VP.forced = list(force_env)
        return lambda_log_line(env_dump(len(force_env)), "DEBUG")
    if clean:
        msg = pick([
            "Processed %d records in %s ms (batch %s)" % (rint(1, 500), kp(str(rint(10, 9000))), kp(new_uuid())),
            "Token refreshed for user id %s; next refresh in 3600 s" % kp(str(rint(10 ** 5, 10 ** 9))),
            "Password policy check passed (length>=12, symbols=true) for tenant %s" % kp("tenant-%04d" % rint(1, 9999)),
            "Login failed for user %s: password=%s (attempt %d of 5)" % (kp("user-%d" % rint(1000, 99999)), kp(pick(["********", "[REDACTED]", "<hidden>"])), rint(1, 5)),
            "Card %s authorised, amount %d.%02d EUR, order %s" % (kp("**** **** **** %04d" % rint(0, 9999)), rint(1, 900), rint(0, 99), kp("ORD-%d" % rint(10 ** 7, 10 ** 8))),
            "The security token included in the request is invalid. (Service: Lambda, Status Code: 403, Request ID: %s)" % kp(new_uuid()),
            "PutItem ok table=%s consumed=1.0 requestId=%s" % (kp("orders-%s" % E.stage), kp(rs(52, UPPER + DIG))),
            "Downloaded s3://%s/%s (etag %s, %d bytes)" % (kp("acme-exports-%s" % E.region), kp("exports/%s.csv" % new_uuid()), kp(etag()), rint(100, 10 ** 7)),
            "Using API key id %s (value redacted) for partner %s" % (kp(E.api_key_id), kp("partner-%d" % rint(1, 999))),
            "Invoking %s version %s" % (kp(E.fn_arn), kp(semver())),
            "Usuario %s actualizó su contraseña correctamente" % kp("usr_%d" % rint(10 ** 5, 10 ** 7)),
            "パスワードの再設定メールを送信しました (user_id=%s)" % kp(str(rint(10 ** 5, 10 ** 8))),
        ])
        return lambda_log_line(msg, pick(["INFO", "WARN"])) if chance(0.8) else jdump(collections.OrderedDict([
            ("level", "INFO"), ("message", msg), ("timestamp", kp(E.t["iso"])), ("service", "api"), ("xray_trace_id", kp(E.trace))]))
    k = rint(0, 17)
    if k in (15, 16, 17):
        k = pick([7, 8, 14])
    if k == 0:
        msg = "Login attempt for %s with password %s failed (attempt %d)" % (sec(email(), "email"), sec(password(), "password"), rint(1, 5))
    elif k == 1:
        msg = pick(["Sending SMS via SNS to %s: Your verification code is %s", "SNS publish ok: to=%s message=\"%s is your sign-in code\"",
                    "Twilio message queued to %s body='Código de verificação: %s'"]) % (sec(phone(), "phone"), sec(otp(), "otp"))
    elif k == 2:
        msg = "Password reset link for %s: https://app.example.com/reset-password/%s?email=%s" % (
            sec(email(), "email"), sec(rs(48, B64U), "reset_token"), pct(sec(email(), "email")))
    elif k == 3:
        msg = "Verification URL generated: https://%s/%s/verify/%s (expires %s)" % (kp(E.domain), E.stage, sec(rs(32, HEX), "reset_token"), kp(E.t["iso"]))
    elif k == 4:
        lang, tpl = pick(PROSE)
        msg = "support note [%s]: %s" % (lang, tpl % (sec(password(), "password"), sec(email(), "email")))
    elif k == 5:
        msg = 'error: duplicate key value violates unique constraint "users_email_key" DETAIL: Key (email)=(%s) already exists.' % sec(email(), "email")
    elif k == 6:
        pw = sec(rs(rint(12, 24)), "password")
        msg = "OperationalError: could not connect to %s" % pick(["postgresql://app_user:%s@orders-db.cluster-%s.%s.rds.amazonaws.com:5432/orders" % (pw, rs(12, LOWER + DIG), E.region),
                                                                   "mysql://admin:%s@10.0.12.7:3306/shop" % pw])
    elif k == 7:
        msg = env_dump()
    elif k == 8:
        n, tok, hdr, scheme, env = vendor()
        msg = "calling upstream %s with %s=%s%s" % (kp("https://api.partner.example/v2/items"), hdr or env, scheme or "", tok)
    elif k == 9:
        msg = "Resolved credentials from env: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s" % (sec(akid(), "aws_access_key_id"), sec(aws_secret(), "aws_secret_access_key"))
    elif k == 10:
        msg = "Payment declined for card %s (holder %s %s), billing %s" % (sec(card(), "credit_card"), pick(FIRST).title(), pick(LAST).title(), sec(address(), "street_address"))
    elif k == 11:
        msg = "KYC check: name=%s %s dob=%s id=%s ssn=%s" % (pick(FIRST).title(), pick(LAST).title(), sec(dob(), "date_of_birth"), sec(national_id(), "national_id"), sec(ssn(), "ssn"))
    elif k == 12:
        msg = "SEPA mandate created: iban=%s email=%s mandate=%s" % (sec(iban(), "iban"), sec(email(), "email"), kp("MD" + rs(12, UPPER + DIG)))
    elif k == 13:
        req = make_req(False)
        msg = "request headers: " + jdump(hdr_dict(req, lower=True))
    else:
        msg = "Stripe webhook endpoint secret %s loaded for account %s" % (vendor("stripe")[1], kp("acct_" + rs(16)))
    if chance(0.75):
        return lambda_log_line(msg, pick(["INFO", "ERROR", "WARN", "DEBUG"]))
    return jdump(collections.OrderedDict([("level", "ERROR"), ("message", msg), ("timestamp", kp(E.t["iso"])), ("service", "api"),
                                          ("cold_start", False), ("function_request_id", kp(E.lambda_req)), ("xray_trace_id", kp(E.trace))]),
                 ascii=chance(0.3))


GENS = {
    "rest_access_json": gen_rest_access_json, "http_access_json": gen_http_access_json, "access_text": gen_access_text,
    "execution": gen_execution, "cwl_subscription": gen_cwl_subscription, "firehose": gen_firehose, "lambda_proxy": gen_lambda_proxy,
    "websocket": gen_websocket, "authorizer": gen_authorizer, "backend_text": gen_backend_text,
}
JSON_LAYOUTS = {"rest_access_json", "http_access_json"}


# --------------------------------------------------------------------------
# labels from markers, and the self-checks
# --------------------------------------------------------------------------
class CheckError(Exception):
    pass


def finalize(marked):
    """Remove markers. Returns (line, secret spans [(label, kind, start)], keep spans [(label, start)])."""
    out = []
    pos = 0
    secrets, keeps = [], []
    cur = None  # (type, kind, start, buf)
    i = 0
    while i < len(marked):
        c = marked[i]
        if c == S_OPEN:
            if cur:
                raise CheckError("nested marker")
            cur = ("s", CUR.kinds[ord(marked[i + 1]) - KIND_BASE], pos, [])
            i += 2
            continue
        if c == K_OPEN:
            if cur:
                raise CheckError("nested marker")
            cur = ("k", None, pos, [])
            i += 1
            continue
        if c in (S_CLOSE, K_CLOSE):
            if not cur or (c == S_CLOSE) != (cur[0] == "s"):
                raise CheckError("unbalanced marker")
            label = "".join(cur[3])
            (secrets.append((label, cur[1], cur[2])) if cur[0] == "s" else keeps.append((label, cur[2])))
            cur = None
            i += 1
            continue
        if MARK_RE.match(c):
            raise CheckError("stray marker")
        out.append(c)
        if cur:
            cur[3].append(c)
        pos += 1
        i += 1
    if cur:
        raise CheckError("unclosed marker")
    return "".join(out), secrets, keeps


def occurrences(hay, needle):
    res, i = [], hay.find(needle)
    while i >= 0:
        res.append(i)
        i = hay.find(needle, i + 1)
    return res


ID_RE = re.compile(r"^h6-([a-z_0-9]+)-(\d{4})$")
KIND_RE = re.compile(r"^(vendor:)?[a-z0-9_]+$")


def check_record(rec, spans=None, planned_clean=None):
    if list(rec.keys()) != ["id", "layout", "line", "secrets", "kinds", "keep"]:
        raise CheckError("fields")
    m = ID_RE.match(rec["id"])
    if not m or m.group(1) != rec["layout"] or rec["layout"] not in GENS:
        raise CheckError("id/layout")
    line = rec["line"]
    if "\r" in line or "\n" in line or MARK_RE.search(line):
        raise CheckError("CR/LF or marker in line")
    if len(line.encode("utf-8")) > 16000:
        raise CheckError("line too long")
    S, K, kinds = rec["secrets"], rec["keep"], rec["kinds"]
    if len(S) != len(kinds) or len(set(S)) != len(S) or len(set(K)) != len(K):
        raise CheckError("list shape")
    if not K:
        raise CheckError("no keep")
    if planned_clean is not None and (planned_clean != (len(S) == 0)):
        raise CheckError("clean plan mismatch")
    for s, kd in zip(S, kinds):
        if len(s) < 6 or s != s.strip() or s not in line:
            raise CheckError("bad secret %r" % s)
        if not KIND_RE.match(kd):
            raise CheckError("bad kind")
    sec_occ = []
    for s in S:
        for o in occurrences(line, s):
            sec_occ.append((o, o + len(s), s))
    for k in K:
        if len(k) < 3 or k not in line:
            raise CheckError("bad keep %r" % k)
        for s in S:
            if s in k:
                raise CheckError("keep contains secret")
        for o in occurrences(line, k):
            for a, b, s in sec_occ:
                if o < b and a < o + len(k):
                    raise CheckError("keep %r overlaps secret %r" % (k, s))
    if spans is not None:
        inserted = collections.defaultdict(set)
        for label, kind, start in spans:
            inserted[label].add(start)
        for s in S:
            for o in occurrences(line, s):
                if o in inserted[s]:
                    continue
                if any(a <= o and o + len(s) <= b and len(t) > len(s) for a, b, t in sec_occ):
                    continue
                raise CheckError("accidental copy of %r" % s)
    if line.startswith("{") or rec["layout"] in JSON_LAYOUTS:
        try:
            if not isinstance(json.loads(line), dict):
                raise CheckError("not a JSON object")
        except ValueError:
            raise CheckError("JSON does not parse")


def build(layout, clean, **kw):
    global CUR
    CUR = RecCtx()
    marked = GENS[layout](clean, **kw)
    line, spans, keeps = finalize(marked)
    S, kinds = [], []
    for label, kind, start in spans:
        if label not in S:
            S.append(label)
            kinds.append(kind)
    K = []
    for label, start in keeps:
        if label not in K and len(label) >= 3:
            K.append(label)
    # drop keeps that coincide with, contain or overlap a secret (a benign id that
    # happens to sit inside a labelled blob is not a keep there)
    rec = collections.OrderedDict([("id", ""), ("layout", layout), ("line", line), ("secrets", S), ("kinds", kinds), ("keep", K)])
    return rec, spans


def make_record(layout, clean, idx, stats, **kw):
    for attempt in range(MAX_DRAWS):
        rec, spans = build(layout, clean, **kw)
        rec["id"] = "h6-%s-%04d" % (layout, idx)
        try:
            check_record(rec, spans, planned_clean=clean)
            return rec, spans
        except CheckError as e:
            stats["redraw:" + str(e).split(" ")[0]] += 1
            if os.environ.get("H6_DEBUG") and "JSON" in str(e):
                print(layout, e, rec["line"][:3000], file=sys.stderr)
    fail("record %s failed %d draws" % (layout, MAX_DRAWS))


def fail(msg):
    print("SELF-CHECK FAILED: " + msg, file=sys.stderr)
    sys.exit(1)


def vendor_counts(records):
    c = collections.Counter()
    for r in records:
        for k in r["kinds"]:
            if k.startswith("vendor:"):
                c[k[7:]] += 1
    return c


def main():
    stats = collections.Counter()
    records, all_spans, plan = [], [], []
    idx = 0
    for layout, n in LAYOUTS:
        n_clean = n // 5
        clean_slots = set(RNG.sample(range(n), n_clean))
        for j in range(n):
            idx += 1
            rec, spans = make_record(layout, j in clean_slots, idx, stats)
            records.append(rec)
            all_spans.append(spans)
            plan.append(j in clean_slots)
    # vendor top-up: rebuild backend_text records without vendor labels with forced vendors
    vc = vendor_counts(records)
    missing = [v for v in VENDOR_NAMES if vc[v] < 3]
    if missing:
        need = []
        for rnd in range(3):  # chunks of distinct vendors
            need += [v for v in missing if 3 - vc[v] > rnd]
        slots = [i for i, r in enumerate(records) if r["layout"] == "backend_text" and not plan[i]
                 and not any(k.startswith("vendor:") for k in r["kinds"])]
        while need:
            if not slots:
                fail("no slot for vendor top-up")
            i = slots.pop(0)
            chunk = []
            for v in list(need):
                if v not in chunk and len(chunk) < 3:
                    chunk.append(v)
                    need.remove(v)
            VP.forced = list(chunk)
            VP.pending = []
            rec, spans = make_record("backend_text", False, i + 1, stats, force_env=chunk)
            VP.forced = []
            got = collections.Counter(k[7:] for k in rec["kinds"] if k.startswith("vendor:"))
            if sorted(got.elements()) != sorted(chunk):
                fail("top-up did not place %s" % chunk)
            records[i], all_spans[i] = rec, spans
            stats["vendor top-up rebuilds"] += 1
    # whole-file checks
    ids = set()
    for rec, spans, cl in zip(records, all_spans, plan):
        check_record(rec, spans, planned_clean=cl)
        if rec["id"] in ids:
            fail("duplicate id")
        ids.add(rec["id"])
    if len(records) != TOTAL:
        fail("record count")
    n_clean = sum(1 for r in records if not r["secrets"])
    if not (0.18 <= n_clean / TOTAL <= 0.22):
        fail("clean share")
    vc = vendor_counts(records)
    if len(vc) < 40 or min(vc[v] for v in VENDOR_NAMES) < 3:
        fail("vendor coverage: %s" % sorted((vc[v], v) for v in VENDOR_NAMES)[:5])
    # write, read back, compare
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    with open(tmp, encoding="utf-8") as f:
        back = [json.loads(l, object_pairs_hook=collections.OrderedDict) for l in f.read().split("\n") if l]
    if back != records:
        os.remove(tmp)
        fail("read-back mismatch")
    for rec, spans, cl in zip(back, all_spans, plan):
        try:
            check_record(rec, spans, planned_clean=cl)
        except CheckError as e:
            os.remove(tmp)
            fail("%s: %s" % (rec["id"], e))
    os.replace(tmp, OUT)
    # statistics
    print("records: %d  (clean: %d = %.1f %%)" % (len(records), n_clean, 100.0 * n_clean / len(records)))
    print("\nper layout (records / clean / secrets / keeps):")
    for layout, n in LAYOUTS:
        rs_ = [r for r in records if r["layout"] == layout]
        print("  %-18s %4d %4d %5d %6d" % (layout, len(rs_), sum(1 for r in rs_ if not r["secrets"]),
                                           sum(len(r["secrets"]) for r in rs_), sum(len(r["keep"]) for r in rs_)))
    kc = collections.Counter(k for r in records for k in r["kinds"])
    print("\nsecrets: %d   keeps: %d" % (sum(kc.values()), sum(len(r["keep"]) for r in records)))
    print("\nper kind (non-vendor):")
    for k, c in sorted(kc.items(), key=lambda x: (-x[1], x[0])):
        if not k.startswith("vendor:"):
            print("  %-24s %d" % (k, c))
    print("\nvendor labels: %d across %d vendors" % (sum(vc.values()), len(vc)))
    print("  " + ", ".join("%s %d" % (v, vc[v]) for v in sorted(vc)))
    js = sum(1 for r in records if r["line"].startswith("{"))
    print("\nJSON lines checked: %d; largest line: %d bytes" % (js, max(len(r["line"].encode()) for r in records)))
    print("generator: " + ", ".join("%s %d" % kv for kv in sorted(stats.items())))
    print("sha256: " + hashlib.sha256(text.encode("utf-8")).hexdigest())


if __name__ == "__main__":
    main()
