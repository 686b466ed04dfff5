#!/usr/bin/env python3
"""Generate heldout7.jsonl: a labelled evaluation corpus for a web/API log scrubber.

Theme: what a platform team running AWS API Gateway feeds a scrubber -- access and
execution logs, the same events inside CloudWatch Logs subscription envelopes, Firehose
HTTP-endpoint deliveries and S3 exports, backend Lambda logs in five runtimes, and the
services that share the front door (ALB, CloudFront, WAF, Cognito triggers, AppSync).

Every value is random and fake and comes from the seeded generator below.

    python3 gen_heldout7.py        # writes heldout7.jsonl next to this file

Only the Python 3 standard library is used.  Output is byte-for-byte deterministic.
"""
import base64
import hashlib
import json
import os
import random
import re
import string
import sys
import urllib.parse

SEED = 0x4E1D07
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout7.jsonl")
R = random.Random(SEED)

LAYOUTS = [  # (layout, records); every count is a multiple of 5 so exactly 20 % are clean
    ("apigw_json_access", 110),
    ("apigw_text_access", 100),
    ("apigw_execution", 120),
    ("cwl_subscription", 70),
    ("firehose_http", 50),
    ("s3_export", 40),
    ("lambda_node", 70),
    ("lambda_python", 70),
    ("lambda_java", 50),
    ("lambda_go", 45),
    ("lambda_dotnet", 45),
    ("alb", 50),
    ("cloudfront", 50),
    ("waf", 50),
    ("cognito_trigger", 40),
    ("appsync", 40),
]
MAX_LINE = 16000

class Abort(Exception):
    pass

def die(msg):
    print("SELF-CHECK FAILED: " + msg, file=sys.stderr)
    sys.exit(1)

# ---------------------------------------------------------------------------
# Labelled text.  A line is a list of parts (text, role, kind); role is 's'
# (secret), 'k' (keep) or None.  Character-wise transforms are applied to every
# part, so labels always have the exact form that ends up in the line.
# ---------------------------------------------------------------------------
class T:
    __slots__ = ("parts",)

    def __init__(self, parts=()):
        self.parts = [p for p in parts if p[0] != ""]

    def __add__(self, other):
        return T(self.parts + lab(other).parts)

    def __radd__(self, other):
        return T(lab(other).parts + self.parts)

    def map(self, fn):
        return T([(fn(t), r, k) for t, r, k in self.parts])

    @property
    def text(self):
        return "".join(p[0] for p in self.parts)

    def has_secret(self):
        return any(r == "s" for _, r, _ in self.parts)

    def unlabel(self):
        return T([(t, None, None) for t, _, _ in self.parts])

def lab(x):
    if isinstance(x, T):
        return x
    if x is None:
        return T()
    if isinstance(x, bool):
        return T([("true" if x else "false", None, None)])
    return T([(str(x), None, None)])

def S(value, kind):
    if len(value) < 6 or value != value.strip():
        raise Abort("bad secret %r" % value)
    return T([(value, "s", kind)])

def K(value):
    value = str(value)
    return T([(value, "k" if len(value) >= 3 else None, None)])

def cat(*xs):
    out = T()
    for x in xs:
        out = out + x
    return out

def join(sep, xs):
    out = T()
    for i, x in enumerate(xs):
        if i:
            out = out + sep
        out = out + x
    return out

# --- character-wise transforms ---------------------------------------------
def jesc(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]

def goesc(s):  # Go encoding/json: HTML-safe escaping
    return jesc(s).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

def netesc(s):  # System.Text.Json default encoder
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch in "<>&'+`\"" or o > 126 or o < 32:
            out.append("\\u%04X" % o)
        else:
            out.append(ch)
    return "".join(out)

def pct(s):
    return urllib.parse.quote(s, safe="")

def formenc(s):
    return urllib.parse.quote_plus(s)

def xmlesc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

def flat_nl(s):  # only newlines shown as \n (stack traces printed by a logger)
    return s.replace("\r", "").replace("\n", "\\n").replace("\t", "    ")

def cf_enc(s):  # CloudFront standard log: spaces and a few specials percent-encoded
    return s.replace("%", "%25").replace(" ", "%20").replace("\t", "%09").replace("\\", "%5C")

# --- serialisers over labelled leaves ---------------------------------------
class Raw:
    """Emitted verbatim by every serialiser (numbers with a label, nested dumps)."""

    def __init__(self, t):
        self.t = lab(t)

class Obj:
    """A named object: Java/Lombok `Name(k=v)`, Go `{K:v}`."""

    def __init__(self, name, fields):
        self.name = name
        self.fields = fields

def jstr(x, esc=jesc):
    return cat('"', lab(x).map(esc), '"')

def jd(o, esc=jesc, sp=False, indent=None, _lvl=0):
    """JSON over labelled leaves.  sp=True gives Python-style ', ' and ': '."""
    comma, colon = (", ", ": ") if sp else (",", ":")
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, Obj):
        o = o.fields
    if isinstance(o, dict):
        if not o:
            return T([("{}", None, None)])
        items = [cat(jstr(k, esc), colon, jd(v, esc, sp, indent, _lvl + 1)) for k, v in o.items()]
        return cat("{", join(comma, items), "}")
    if isinstance(o, (list, tuple)):
        return cat("[", join(comma, [jd(v, esc, sp, indent, _lvl + 1) for v in o]), "]")
    if isinstance(o, bool):
        return lab("true" if o else "false")
    if o is None:
        return lab("null")
    if isinstance(o, (int, float)):
        return lab(o)
    return jstr(o, esc)

def _pyq(t):
    plain = t.text
    q = '"' if ("'" in plain and '"' not in plain) else "'"

    def e(s):
        s = s.replace("\\", "\\\\").replace(q, "\\" + q)
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return cat(q, t.map(e), q)

def pyr(o):
    """Python repr over labelled leaves."""
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, Obj):
        o = o.fields
    if isinstance(o, dict):
        return cat("{", join(", ", [cat(pyr(k), ": ", pyr(v)) for k, v in o.items()]), "}")
    if isinstance(o, (list, tuple)):
        return cat("[", join(", ", [pyr(v) for v in o]), "]")
    if isinstance(o, bool):
        return lab("True" if o else "False")
    if o is None:
        return lab("None")
    if isinstance(o, (int, float)):
        return lab(o)
    return _pyq(lab(o))

_IDENT = re.compile(r"^[A-Za-z_$][\w$]*$")

def _nodeq(t):
    plain = t.text
    q = '"' if ("'" in plain and '"' not in plain) else "'"
    return cat(q, t.map(lambda s: s.replace("\\", "\\\\").replace(q, "\\" + q).replace("\n", "\\n")), q)

def ni(o, depth=0, maxdepth=2):
    """Node util.inspect (single line, default depth 2)."""
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, Obj):
        o = o.fields
    if isinstance(o, dict):
        if not o:
            return lab("{}")
        if depth > maxdepth:
            return lab("[Object]")
        items = []
        for k, v in o.items():
            kt = lab(k) if _IDENT.match(lab(k).text) else _nodeq(lab(k))
            items.append(cat(kt, ": ", ni(v, depth + 1, maxdepth)))
        return cat("{ ", join(", ", items), " }")
    if isinstance(o, (list, tuple)):
        if not o:
            return lab("[]")
        if depth > maxdepth:
            return lab("[Array]")
        return cat("[ ", join(", ", [ni(v, depth + 1, maxdepth) for v in o]), " ]")
    if isinstance(o, bool):
        return lab("true" if o else "false")
    if o is None:
        return lab("null")
    if isinstance(o, (int, float)):
        return lab(o)
    return _nodeq(lab(o))

def jt(o):
    """Java toString: Lombok `Name(k=v, ...)`, maps `{k=v}`, lists `[a, b]`."""
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, Obj):
        return cat(o.name, "(", join(", ", [cat(k, "=", jt(v)) for k, v in o.fields.items()]), ")")
    if isinstance(o, dict):
        return cat("{", join(", ", [cat(jt(k), "=", jt(v)) for k, v in o.items()]), "}")
    if isinstance(o, (list, tuple)):
        return cat("[", join(", ", [jt(v) for v in o]), "]")
    if o is None:
        return lab("null")
    if isinstance(o, bool):
        return lab("true" if o else "false")
    return lab(o)

def gv(o, ptr=False):
    """Go fmt %+v: structs `{Field:val}`, maps `map[k:v]` with sorted keys."""
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, Obj):
        return cat("&" if ptr else "", "{", join(" ", [cat(k, ":", gv(v)) for k, v in o.fields.items()]), "}")
    if isinstance(o, dict):
        keys = sorted(o.keys(), key=lambda k: lab(k).text)
        return cat("map[", join(" ", [cat(lab(k), ":", gv(o[k])) for k in keys]), "]")
    if isinstance(o, (list, tuple)):
        return cat("[", join(" ", [gv(v) for v in o]), "]")
    if o is None:
        return lab("<nil>")
    if isinstance(o, bool):
        return lab("true" if o else "false")
    return lab(o)

# --- non-character-wise transforms -------------------------------------------
def b64_of(t, kind="base64_secret", urlsafe=False, keep_if_clean=True):
    """Base64 of a labelled text: labelled whole when it carries a secret."""
    raw = t.text.encode("utf-8")
    enc = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()
    if t.has_secret():
        return S(enc, kind)
    return K(enc) if keep_if_clean else lab(enc)

def truncate(t, limit, marker=" [TRUNCATED]"):
    """Cut at `limit` characters like API Gateway execution logging.

    A secret cut by the limit is labelled by its visible prefix (>= 12 characters);
    otherwise the cut moves to just before that secret.  A cut keep loses its label.
    """
    if len(t.text) <= limit:
        return t
    out, pos = [], 0
    for text, role, kind in t.parts:
        if pos + len(text) <= limit:
            out.append((text, role, kind))
            pos += len(text)
            continue
        room = limit - pos
        if role == "s":
            if room >= 12:
                out.append((text[:room], "s", kind))
        elif room > 0:
            out.append((text[:room], None, None))
        break
    return T(out) + marker

# ---------------------------------------------------------------------------
# Random primitives
# ---------------------------------------------------------------------------
LOW, UP, DIG = string.ascii_lowercase, string.ascii_uppercase, string.digits
ALNUM = LOW + UP + DIG
HEX = "0123456789abcdef"
B64C = ALNUM + "+/"
B64U = ALNUM + "-_"
B32 = UP + "234567"

def rs(n, alpha=ALNUM):
    return "".join(R.choice(alpha) for _ in range(n))

def pick(seq):
    return seq[R.randrange(len(seq))]

def chance(p):
    return R.random() < p

def uuid4():
    h = rs(32, HEX)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], pick("89ab"), h[17:20], h[20:32])

def b64u(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")

class Clock:
    """Timestamps advance monotonically from a fixed start so output is stable."""
    t = 1741000000  # 2025-03-03

    @classmethod
    def tick(cls):
        cls.t += R.randint(7, 9000)
        return cls.t

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

def civil(ts):
    days, rem = divmod(ts, 86400)
    # days since 1970-01-01 -> y/m/d (Howard Hinnant's algorithm)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d, rem // 3600, rem % 3600 // 60, rem % 60

class Ts:
    def __init__(self):
        self.t = Clock.tick()
        self.ms = R.randint(0, 999)
        self.y, self.mo, self.d, self.h, self.mi, self.s = civil(self.t)

    def iso(self, ms=True):
        base = "%04d-%02d-%02dT%02d:%02d:%02d" % (self.y, self.mo, self.d, self.h, self.mi, self.s)
        return base + (".%03dZ" % self.ms if ms else "Z")

    def clf(self):
        return "%02d/%s/%04d:%02d:%02d:%02d +0000" % (self.d, MONTHS[self.mo - 1], self.y, self.h, self.mi, self.s)

    def date(self):
        return "%04d-%02d-%02d" % (self.y, self.mo, self.d)

    def hms(self):
        return "%02d:%02d:%02d" % (self.h, self.mi, self.s)

    def epoch_ms(self):
        return self.t * 1000 + self.ms

    def amz(self):
        return "%04d%02d%02dT%02d%02d%02dZ" % (self.y, self.mo, self.d, self.h, self.mi, self.s)

    def ymd(self):
        return "%04d%02d%02d" % (self.y, self.mo, self.d)

def luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)

def luhn_ok(num):
    return luhn_digit(num[:-1]) == num[-1]

# ---------------------------------------------------------------------------
# Personal data (fake)
# ---------------------------------------------------------------------------
FIRST = ["jane", "omar", "li", "sofia", "mateo", "aiko", "lena", "ravi", "chloe", "tomasz", "ines", "kwame",
         "yuki", "marta", "diego", "anika", "pierre", "fatma", "noah", "ivana", "joao", "elif", "hannah", "arjun"]
LAST = ["doe", "haddad", "wei", "rossi", "garcia", "tanaka", "schmidt", "patel", "martin", "nowak", "costa",
        "mensah", "sato", "lopez", "fernandes", "kaya", "novak", "dubois", "becker", "silva", "murphy", "yilmaz"]
MAILDOM = ["example.com", "example.org", "example.net", "mail.example.co.uk", "corp.example.de", "gmail.com",
           "outlook.com", "yahoo.co.jp", "gmx.de", "icloud.com", "proton.me"]

def g_email():
    f, l = pick(FIRST), pick(LAST)
    style = R.randrange(5)
    local = [f + "." + l, f[0] + l + str(R.randint(1, 99)), f + "_" + l + str(R.randint(70, 99)),
             f + "+" + pick(["shop", "aws", "test", "news"]), l + "." + f + str(R.randint(100, 999))][style]
    return local + "@" + pick(MAILDOM)

def g_phone():
    k = R.randrange(7)
    if k == 0:
        return "+1%d55501%s" % (R.randint(201, 989), rs(2, DIG))
    if k == 1:
        return "+44 7700 900%s" % rs(3, DIG)
    if k == 2:
        return "+447700900%s" % rs(3, DIG)
    if k == 3:
        return "(%d) 555-01%s" % (R.randint(201, 989), rs(2, DIG))
    if k == 4:
        return "+61 491 570 %s" % rs(3, DIG)
    if k == 5:
        return "+49 30 %s %s" % (rs(4, DIG), rs(4, DIG))
    return "+33 6 %s %s %s %s" % (rs(2, DIG), rs(2, DIG), rs(2, DIG), rs(2, DIG))

def g_card():
    kind = R.randrange(4)
    if kind == 3:
        body = pick(["34", "37"]) + rs(12, DIG)
        num = body + luhn_digit(body)
        return num if chance(0.6) else "%s %s %s" % (num[:4], num[4:10], num[10:])
    body = (pick(["4", "51", "52", "53", "54", "55", "2221"]))
    body = body + rs(15 - len(body), DIG)
    num = body + luhn_digit(body)
    sep = pick(["", "", " ", "-"])
    return sep.join([num[0:4], num[4:8], num[8:12], num[12:16]])

def iban_check(country, bban):
    s = bban + country + "00"
    n = "".join(str(int(c, 36)) for c in s)
    return "%02d" % (98 - int(n) % 97)

def g_iban():
    c = pick(["DE", "GB", "FR", "ES", "NL", "IT"])
    if c == "DE":
        bban = rs(18, DIG)
    elif c == "GB":
        bban = pick(["NWBK", "BARC", "MIDL"]) + rs(14, DIG)
    elif c == "FR":
        bban = rs(23, DIG)
    elif c == "ES":
        bban = rs(20, DIG)
    elif c == "NL":
        bban = pick(["ABNA", "INGB", "RABO"]) + rs(10, DIG)
    else:
        bban = pick(UP) + rs(10, DIG) + rs(12, DIG)
    iban = c + iban_check(c, bban) + bban
    if chance(0.4):
        return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    return iban

def g_ssn():
    a = R.randint(1, 899)
    while a == 666:
        a = R.randint(1, 899)
    return "%03d-%02d-%04d" % (a, R.randint(1, 99), R.randint(1, 9999))

def g_cpf():
    d = [R.randint(0, 9) for _ in range(9)]
    for n in (10, 11):
        s = sum(x * w for x, w in zip(d, range(n, 1, -1)))
        r = s * 10 % 11
        d.append(0 if r == 10 else r)
    s = "".join(map(str, d))
    return "%s.%s.%s-%s" % (s[:3], s[3:6], s[6:9], s[9:])

def g_dni():
    n = R.randint(10000000, 99999999)
    return "%d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23])

def g_tckn():
    d = [R.randint(1, 9)] + [R.randint(0, 9) for _ in range(8)]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d.append(d10)
    d.append(sum(d) % 10)
    return "".join(map(str, d))

def g_national_id():
    return pick([g_cpf, g_dni, g_tckn])()

def g_passport():
    return pick([lambda: pick("CFGHJK") + rs(8, UP.replace("O", "") + DIG),
                 lambda: pick(UP) + rs(7, DIG),
                 lambda: rs(2, UP) + rs(7, DIG)])()

def g_dob():
    y, m, d = R.randint(1948, 2005), R.randint(1, 12), R.randint(1, 28)
    return pick(["%04d-%02d-%02d" % (y, m, d), "%02d/%02d/%04d" % (d, m, y), "%02d.%02d.%04d" % (d, m, y),
                 "%s %d, %d" % (["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"][m - 1], d, y),
                 "%d年%d月%d日" % (y, m, d)])

STREETS = ["Maple Avenue", "Calle de Alcala", "Rua Augusta", "Hauptstrasse", "Rue de Rivoli", "Elm Street",
           "Baker Street", "Via Roma", "Kastanienallee", "Oak Lane"]

def g_address():
    n = R.randint(2, 4800)
    st = pick(STREETS)
    city = pick(["Springfield, IL 62704", "Madrid 28014", "Lisboa 1100-053", "Berlin 10115", "Paris 75001",
                 "London NW1 6XE", "Portland, OR 97205", "Roma 00185"])
    if chance(0.3):
        return "%d %s, Apt %d%s, %s" % (n, st, R.randint(1, 40), pick("ABCD"), city)
    return "%d %s, %s" % (n, st, city)

PW_SYMS = "!#$%&*+-.=?@^_~"

def g_password():
    k = R.randrange(5)
    if k == 0:
        return pick(["Summer", "Winter", "Lisboa", "Dragon", "Monkey", "Sunshine", "Kaffee"]) + str(R.randint(1970, 2025)) + pick(PW_SYMS)
    if k == 1:
        return rs(R.randint(10, 18), ALNUM + PW_SYMS)
    if k == 2:
        return "-".join(pick(["correct", "horse", "amber", "violin", "granite", "tulip", "otter", "cobalt"]) for _ in range(3)) + str(R.randint(1, 99))
    if k == 3:
        return pick(["contraseña", "Passwört", "motdepasse", "senhaForte", "şifre"]) + rs(4, DIG) + pick(PW_SYMS)
    return rs(4, UP) + pick(PW_SYMS) + rs(6, LOW) + rs(3, DIG) + pick("&+=%@")

def g_jwt(email=None):
    hdr = {"kid": b64u(bytes(R.randrange(256) for _ in range(24))) + "=", "alg": pick(["RS256", "ES256", "HS256"])}
    if chance(0.5):
        hdr["typ"] = "JWT"
    pool = "eu-west-1_" + rs(9, ALNUM)
    body = {"sub": uuid4(), "iss": "https://cognito-idp.eu-west-1.amazonaws.com/" + pool,
            "token_use": pick(["access", "id"]), "auth_time": Clock.t - 300, "exp": Clock.t + 3300,
            "iat": Clock.t - 300, "jti": uuid4()}
    if email:
        body["email"] = email
    if chance(0.5):
        body["scope"] = pick(["openid email", "orders/read orders/write", "aws.cognito.signin.user.admin"])
    sig = rs({"RS256": 342, "ES256": 86, "HS256": 43}[hdr["alg"]], B64U)
    return b64u(json.dumps(hdr, separators=(",", ":")).encode()) + "." + \
        b64u(json.dumps(body, separators=(",", ":")).encode()) + "." + sig

def g_refresh():
    if chance(0.5):  # Cognito refresh tokens are JWE compact serialisations
        return "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ." + rs(342, B64U) + "." + \
            rs(22, B64U) + "." + rs(R.randint(600, 900), B64U) + "." + rs(22, B64U)
    return pick(["rt_", "v1.", "1//0"]) + rs(R.randint(40, 64), B64U)

def g_aws_akid(temp=None):
    return (pick(["AKIA", "ASIA"]) if temp is None else ("ASIA" if temp else "AKIA")) + rs(16, B32)

def g_aws_secret():
    return rs(40, B64C)

def g_session_token():
    return "IQoJb3JpZ2luX2Vj" + rs(R.randint(280, 420), B64C) + pick(["", "=", "=="])

GEN = {
    "email": g_email, "phone": g_phone, "credit_card": g_card, "iban": g_iban, "ssn": g_ssn,
    "national_id": g_national_id, "passport_number": g_passport, "date_of_birth": g_dob,
    "street_address": g_address, "password": g_password, "jwt": g_jwt,
    "bearer_token": lambda: pick(["at_", "tok_", "", "pat_"]) + rs(R.randint(32, 48), ALNUM),
    "session_cookie": lambda: pick([lambda: "s%3A" + rs(32, B64U) + "." + rs(43, B64U),
                                    lambda: rs(26, LOW + DIG), lambda: rs(64, HEX),
                                    lambda: "eyJ" + rs(60, B64U) + "." + rs(6, B64U) + "." + rs(27, B64U)])(),
    "aws_access_key_id": g_aws_akid, "aws_secret_access_key": g_aws_secret,
    "aws_session_token": g_session_token, "sigv4_signature": lambda: rs(64, HEX),
    "api_key": lambda: rs(40, ALNUM), "otp": lambda: rs(6, DIG),
    "reset_token": lambda: pick([lambda: rs(64, HEX), lambda: rs(43, B64U), lambda: rs(40, ALNUM)])(),
    "oauth_code": lambda: pick([uuid4, lambda: rs(32, ALNUM), lambda: "4/0" + rs(70, B64U)])(),
    "refresh_token": g_refresh,
    "client_secret": lambda: rs(R.randint(51, 52), LOW + DIG),
    "database_url_password": lambda: rs(R.randint(14, 24), ALNUM + "-_.~!*"),
}

MASKS = {
    "email": lambda: pick(FIRST)[0] + "***@" + pick(["example.com", "g***.com", "e*****.org"]),
    "phone": lambda: pick(["+1******01", "+44 ***** ***", "***-***-01"]) + rs(2, DIG),
    "credit_card": lambda: pick(["**** **** **** ", "XXXXXXXXXXXX", "************"]) + rs(4, DIG),
    "iban": lambda: pick(["DE", "GB", "FR"]) + "** **** **** **** **" + rs(2, DIG),
    "ssn": lambda: "***-**-" + rs(4, DIG),
}
GENERIC_MASKS = ["REDACTED", "[REDACTED]", "[FILTERED]", "********", "****", "<redacted>", "***", "[MASKED]",
                 "(sensitive)"]

class G:
    clean = False
    vendor_used = {}
    vendor_pending = []
    forced_vendor = None

def sec(kind, value=None):
    """A secret of `kind`, or -- in a clean record -- a masked keep in its place."""
    if G.clean:
        return K(MASKS[kind]() if kind in MASKS and chance(0.7) else pick(GENERIC_MASKS))
    return S(value if value is not None else GEN[kind](), kind)

# ---------------------------------------------------------------------------
# Vendor tokens: prefixes and layouts from public secret-scanner rule sets,
# random characters after the prefix.
# ---------------------------------------------------------------------------
AGE_ALPHA = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
VENDOR_GEN = {
    "github": lambda: pick(["ghp_", "gho_", "ghu_", "ghs_"]) + rs(36),
    "github_fine_grained": lambda: "github_pat_11" + rs(20, UP + DIG) + "_" + rs(59),
    "gitlab": lambda: pick(["glpat-", "glptt-", "glrt-", "gldt-"]) + rs(20, B64U),
    "slack": lambda: pick(["xoxb-", "xoxp-"]) + rs(11, DIG) + "-" + rs(12, DIG) + "-" + rs(24),
    "slack_app": lambda: "xapp-1-A" + rs(10, UP + DIG) + "-" + rs(13, DIG) + "-" + rs(64, HEX),
    "stripe": lambda: pick(["sk_live_", "rk_live_", "sk_test_"]) + rs(pick([24, 99])),
    "stripe_webhook": lambda: "whsec_" + rs(32),
    "twilio": lambda: "SK" + rs(32, HEX),
    "sendgrid": lambda: "SG." + rs(22, B64U) + "." + rs(43, B64U),
    "openai": lambda: pick(["sk-proj-", "sk-svcacct-"]) + rs(58, B64U) + "T3BlbkFJ" + rs(58, B64U),
    "anthropic": lambda: "sk-ant-api03-" + rs(93, B64U) + "AA",
    "google": lambda: "AIza" + rs(35, B64U),
    "mailgun": lambda: "key-" + rs(32, HEX),
    "mailchimp": lambda: rs(32, HEX) + "-us" + str(R.randint(1, 21)),
    "npm": lambda: "npm_" + rs(36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs(R.randint(60, 90), B64U),
    "digitalocean": lambda: pick(["dop_v1_", "doo_v1_"]) + rs(64, HEX),
    "shopify": lambda: pick(["shpat_", "shpca_", "shppa_", "shpss_"]) + rs(32, HEX),
    "huggingface": lambda: "hf_" + rs(34, LOW + UP),
    "telegram": lambda: str(R.randint(10 ** 8, 10 ** 10 - 1)) + ":AA" + rs(33, B64U),
    "square": lambda: pick(["EAAA" + rs(60, B64U), "sq0csp-" + rs(43, B64U)]),
    "linear": lambda: "lin_api_" + rs(40),
    "postman": lambda: "PMAK-" + rs(24, HEX) + "-" + rs(34, HEX),
    "doppler": lambda: "dp.pt." + rs(43),
    "dynatrace": lambda: "dt0c01." + rs(24, UP + DIG) + "." + rs(64, UP + DIG),
    "newrelic": lambda: pick(["NRAK-" + rs(27, UP + DIG), "NRII-" + rs(32, B64U)]),
    "sentry": lambda: "sntryu_" + rs(64, HEX),
    "grafana": lambda: "glsa_" + rs(32) + "_" + rs(8, HEX),
    "vault": lambda: "hvs." + rs(R.randint(90, 110), B64U),
    "terraform": lambda: rs(14) + ".atlasv1." + rs(67, ALNUM),
    "atlassian": lambda: "ATATT3xFfGF0" + rs(170, B64U) + "=" + rs(8, HEX.upper()),
    "databricks": lambda: "dapi" + rs(32, HEX) + pick(["", "-2", "-3"]),
    "pulumi": lambda: "pul-" + rs(40, HEX),
    "age": lambda: "AGE-SECRET-KEY-1" + rs(58, AGE_ALPHA),
    "flutterwave": lambda: "FLWSECK_TEST-" + rs(32, HEX) + "-X",
    "easypost": lambda: "EZAK" + rs(54),
    "shippo": lambda: "shippo_live_" + rs(40, HEX),
    "duffel": lambda: "duffel_live_" + rs(43, B64U),
    "alibaba": lambda: "LTAI" + rs(20),
    "heroku": lambda: "HRKU-AA" + rs(58, B64U),
    "planetscale": lambda: pick(["pscale_tkn_", "pscale_pw_"]) + rs(43, B64U),
    "readme": lambda: "rdme_" + rs(70, LOW + DIG),
    "rubygems": lambda: "rubygems_" + rs(48, HEX),
    "flyio": lambda: "fo1_" + rs(43, B64U),
    "netlify": lambda: "nfp_" + rs(36),
    "supabase": lambda: "sbp_" + rs(40, HEX),
    "groq": lambda: "gsk_" + rs(52),
    "replicate": lambda: "r8_" + rs(37),
    "xai": lambda: "xai-" + rs(80),
    "perplexity": lambda: "pplx-" + rs(48),
    "notion": lambda: "ntn_" + rs(11, DIG) + rs(35),
    "openrouter": lambda: "sk-or-v1-" + rs(64, HEX),
    "nvidia": lambda: "nvapi-" + rs(64, B64U),
    "langsmith": lambda: pick(["lsv2_pt_", "lsv2_sk_"]) + rs(32, HEX) + "_" + rs(10, HEX),
    "contentful": lambda: "CFPAT-" + rs(43, B64U),
    "buildkite": lambda: "bkua_" + rs(40, HEX),
    "circleci": lambda: "CCIPAT_" + rs(22) + "_" + rs(40, HEX),
    "artifactory": lambda: "AKCp" + rs(69),
    "azure_ad": lambda: rs(3, ALNUM + "_~.") + str(R.randint(0, 9)) + "Q~" + rs(34, ALNUM + "_~.-"),
    "dockerhub": lambda: "dckr_pat_" + rs(27, B64U),
    "figma": lambda: "figd_" + rs(40, B64U),
    "hubspot": lambda: "pat-" + pick(["na1", "eu1"]) + "-" + uuid4(),
    "airtable": lambda: "pat" + rs(14) + "." + rs(64, HEX),
    "brevo": lambda: "xkeysib-" + rs(64, HEX) + "-" + rs(16),
    "bitbucket": lambda: "ATBB" + rs(32),
    "clojars": lambda: "CLOJARS_" + rs(60, LOW + DIG),
    "octopus": lambda: "API-" + rs(26, UP + DIG),
    "typeform": lambda: "tfp_" + rs(44, B64U) + "_" + rs(14, B64U),
    "yandex": lambda: "AQVN" + rs(36, B64U),
    "frameio": lambda: "fio-u-" + rs(64, B64U),
    "infracost": lambda: "ico-" + rs(32),
    "prefect": lambda: "pnu_" + rs(36),
    "deno": lambda: "ddp_" + rs(36),
    "render": lambda: "rnd_" + rs(32),
    "sourcegraph": lambda: "sgp_" + rs(16, HEX) + "_" + rs(40, HEX),
    "cloudflare_origin_ca": lambda: "v1.0-" + rs(24, HEX) + "-" + rs(146, HEX),
    "adobe": lambda: "p8e-" + rs(32, LOW + DIG),
    "scalingo": lambda: "tk-us-" + rs(48, B64U),
    "tailscale": lambda: "tskey-" + pick(["auth", "api"]) + "-k" + rs(16, ALNUM) + "-" + rs(33),
}
VENDORS = list(VENDOR_GEN)
# the visible prefix of a masked token (used in clean records)
VENDOR_MASK_PREFIX = {"github": "ghp_", "gitlab": "glpat-", "slack": "xoxb-", "stripe": "sk_live_",
                      "openai": "sk-proj-", "anthropic": "sk-ant-", "sendgrid": "SG.", "google": "AIza",
                      "npm": "npm_", "huggingface": "hf_", "digitalocean": "dop_v1_", "linear": "lin_api_"}

def next_vendor():
    """The least-used vendor so far (counts of accepted labels), ties broken at random."""
    if G.forced_vendor:
        v, G.forced_vendor = G.forced_vendor, None
        return v
    low = min(G.vendor_used.get(v, 0) + G.vendor_pending.count(v) for v in VENDORS)
    v = pick([v for v in VENDORS if G.vendor_used.get(v, 0) + G.vendor_pending.count(v) == low])
    G.vendor_pending.append(v)
    return v

def vend(name=None):
    """(vendor name, labelled token); a masked keep in clean records."""
    if G.clean:
        name = name or pick(list(VENDOR_MASK_PREFIX))
        pre = VENDOR_MASK_PREFIX.get(name, "")
        return name, K(pick([pre + "********" + rs(4, LOW + DIG), pre + "****", "[REDACTED]", "***"])
                       if pre else pick(GENERIC_MASKS))
    name = name or next_vendor()
    return name, S(VENDOR_GEN[name](), "vendor:" + name)

# Where a vendor token is sent when a backend calls the vendor's API.
VENDOR_API = {
    "stripe": ("api.stripe.com", "POST", "/v1/payment_intents", "Bearer"),
    "openai": ("api.openai.com", "POST", "/v1/chat/completions", "Bearer"),
    "anthropic": ("api.anthropic.com", "POST", "/v1/messages", "x-api-key"),
    "github": ("api.github.com", "GET", "/repos/acme-platform/billing/issues", "token"),
    "github_fine_grained": ("api.github.com", "POST", "/repos/acme-platform/infra/dispatches", "Bearer"),
    "gitlab": ("gitlab.example.com", "GET", "/api/v4/projects/412/pipelines", "PRIVATE-TOKEN"),
    "sendgrid": ("api.sendgrid.com", "POST", "/v3/mail/send", "Bearer"),
    "slack": ("slack.com", "POST", "/api/chat.postMessage", "Bearer"),
    "huggingface": ("api-inference.huggingface.co", "POST", "/models/distilbert-base-uncased", "Bearer"),
    "mailgun": ("api.eu.mailgun.net", "POST", "/v3/mg.example.com/messages", "basic:api"),
    "digitalocean": ("api.digitalocean.com", "GET", "/v2/droplets", "Bearer"),
    "linear": ("api.linear.app", "POST", "/graphql", "Authorization"),
    "groq": ("api.groq.com", "POST", "/openai/v1/chat/completions", "Bearer"),
    "xai": ("api.x.ai", "POST", "/v1/chat/completions", "Bearer"),
    "perplexity": ("api.perplexity.ai", "POST", "/chat/completions", "Bearer"),
    "openrouter": ("openrouter.ai", "POST", "/api/v1/chat/completions", "Bearer"),
    "notion": ("api.notion.com", "PATCH", "/v1/pages/" + "1f3c9a0e7b2d4e6f8a1b2c3d4e5f6a7b", "Bearer"),
    "shopify": ("acme-store.myshopify.com", "GET", "/admin/api/2024-07/orders.json", "X-Shopify-Access-Token"),
    "easypost": ("api.easypost.com", "POST", "/v2/shipments", "basic:user"),
    "shippo": ("api.goshippo.com", "POST", "/shipments/", "ShippoToken"),
    "duffel": ("api.duffel.com", "POST", "/air/offer_requests", "Bearer"),
    "square": ("connect.squareup.com", "POST", "/v2/payments", "Bearer"),
    "twilio": ("api.twilio.com", "POST", "/2010-04-01/Accounts/AC" + "4f1e2d3c4b5a69788796a5b4c3d2e1f0" + "/Messages.json", "basic:sid"),
    "replicate": ("api.replicate.com", "POST", "/v1/predictions", "Bearer"),
    "nvidia": ("integrate.api.nvidia.com", "POST", "/v1/chat/completions", "Bearer"),
}

# ---------------------------------------------------------------------------
# Benign look-alikes (keeps)
# ---------------------------------------------------------------------------
REGIONS = ["eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2", "us-west-2", "sa-east-1"]
UAS = ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
       "okhttp/4.12.0", "axios/1.6.8", "python-requests/2.31.0", "curl/8.5.0", "Go-http-client/2.0",
       "aws-sdk-js/3.567.0 ua/2.0 os/linux lang/js md/nodejs#20.12.2", "Amazon CloudFront",
       "PostmanRuntime/7.37.3", "Dart/3.3 (dart:io)", "AcmeShop/5.14.2 (iPhone; iOS 17.4.1; Scale/3.00)",
       "Boto3/1.34.99 md/Botocore#1.34.99 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.12.3"]
STAGES = ["prod", "v1", "$default", "staging", "live", "dev", "v2"]
SVC = ["orders", "payments", "identity", "catalog", "notifications", "billing", "kyc", "shipping", "support"]

def k_ip():
    return pick(["192.0.2.", "198.51.100.", "203.0.113.", "10.0.%d." % R.randint(0, 255)]) + str(R.randint(1, 254))

def k_ip6():
    return "2001:db8:%x:%x::%x" % (R.randint(0, 0xffff), R.randint(0, 0xffff), R.randint(1, 0xfff))

def k_api_id():
    return rs(10, LOW + DIG)

def k_account():
    return str(R.randint(100000000000, 999999999999))

def k_ext_id():
    return rs(14, B64C) + "="

def k_xray():
    return "1-%08x-%s" % (Clock.t, rs(24, HEX))

def k_trace_hdr():
    return "Root=%s;Parent=%s;Sampled=%d" % (k_xray(), rs(16, HEX), R.randint(0, 1))

def k_order_no():
    while True:
        n = rs(16, DIG)
        if n[0] != "0" and not luhn_ok(n):
            return n

def k_tracking():
    return pick(["1Z" + rs(6, UP + DIG) + rs(10, DIG), "94001" + rs(17, DIG), "JD01460" + rs(11, DIG),
                 "LX" + rs(9, DIG) + "DE"])

def k_cursor():
    obj = pick([{"offset": R.randint(20, 900)}, {"lastKey": {"pk": "ORDER#" + rs(8, DIG), "sk": "META"}},
                {"page": R.randint(2, 40), "size": 50}])
    return base64.b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()

def k_etag():
    return pick(['"%s"' % rs(32, HEX), 'W/"%s"' % rs(27, B64U), '"%s-%d"' % (rs(32, HEX), R.randint(2, 40))])

def k_s3key():
    return "%s/%d/%02d/%02d/%s" % (pick(["uploads", "exports", "invoices", "AWSLogs/" + k_account() + "/elasticloadbalancing"]),
                                   R.randint(2023, 2025), R.randint(1, 12), R.randint(1, 28),
                                   pick(["invoice-%d.pdf", "report_%d.csv.gz", "avatar-%d.png", "batch-%d.parquet"]) % R.randint(1000, 99999))

def k_kms(region, acct):
    kid = pick([uuid4(), "mrk-" + rs(32, HEX)])
    return pick([kid, "arn:aws:kms:%s:%s:key/%s" % (region, acct, kid)])

def k_version():
    return pick(["v%d.%d.%d" % (R.randint(1, 9), R.randint(0, 30), R.randint(0, 99)),
                 "%d.%d.%d-rc.%d" % (R.randint(0, 5), R.randint(0, 30), R.randint(0, 9), R.randint(1, 5)),
                 "2024-07-%02d" % R.randint(1, 28)])

def k_masked():
    return pick(["****", "REDACTED", "[FILTERED]", "********" + rs(4, LOW + DIG), "<hidden>", "***"])

def k_sha256():
    return rs(64, HEX)

def k_ja3():
    return rs(32, HEX)

def k_ja4():
    return "t13d%02d%02dh2_%s_%s" % (R.randint(10, 19), R.randint(8, 16), rs(12, HEX), rs(12, HEX))

# ---------------------------------------------------------------------------
# Per-record context and request scenarios
# ---------------------------------------------------------------------------
class Ctx:
    def __init__(self):
        self.ts = Ts()
        self.region = pick(REGIONS)
        self.acct = k_account()
        self.api_id = k_api_id()
        self.stage = pick(STAGES)
        self.kind = pick(["REST", "REST", "HTTP", "HTTP", "WS"])
        self.domain = pick(["%s.execute-api.%s.amazonaws.com" % (self.api_id, self.region),
                            "api.example.com", "api.%s.example.net" % pick(SVC), "gw.example.io"])
        self.rid = uuid4()
        self.xrid = k_ext_id()
        self.trace = k_trace_hdr()
        self.ip = k_ip() if chance(0.85) else k_ip6()
        self.ua = pick(UAS)
        self.svc = pick(SVC)
        self.fn = "%s-%s-%s" % (self.svc, pick(["api", "handler", "worker", "authorizer"]), pick(["prod", "live", "main"]))
        self.lrid = uuid4()
        self.status = pick(["200", "200", "201", "204", "400", "401", "403", "404", "429", "500", "502", "504"])
        self.latency = str(R.randint(3, 2900))
        self.conn_id = rs(14, B64C) + "="
        self.key_id = rs(10, LOW + DIG)

    def fn_arn(self):
        return "arn:aws:lambda:%s:%s:function:%s" % (self.region, self.acct, self.fn)

    def src_arn(self, method, resource):
        return "arn:aws:execute-api:%s:%s:%s/%s/%s%s" % (self.region, self.acct, self.api_id, self.stage, method, resource)

class Req:
    def __init__(self, method, resource, path=None):
        self.method = method
        self.resource = resource
        self.path = lab(path if path is not None else resource)
        self.path_params = {}
        self.query = []      # (name, labelled raw value)
        self.headers = []    # (name, labelled value)
        self.cookies = []    # (name, labelled value)
        self.body = None     # labelled body text as sent
        self.body_obj = None
        self.ctype = None
        self.b64 = False
        self.resp = None     # labelled response body
        self.claims = {}
        self.authz = {}      # Lambda-authorizer context
        self.principal = None
        self.error = None
        self.ws_route = None

    def qs(self, enc=pct):
        return join("&", [cat(n, "=", v.map(enc)) for n, v in self.query])

    def full_path(self, enc=pct):
        return self.path + (cat("?", self.qs(enc)) if self.query else "")

    def body_text(self):
        if self.body is not None:
            return self.body
        if self.body_obj is not None:
            return jd(self.body_obj)
        return None

    def cookie_header(self, sep="; "):
        return join(sep, [cat(n, "=", v) for n, v in self.cookies])

    def all_headers(self):
        hs = list(self.headers)
        if self.cookies:
            hs.append(("Cookie", self.cookie_header()))
        return hs

def auth_headers(c, weights=(3, 2, 1, 2, 2, 1)):
    k = R.choices(range(6), weights=weights)[0]
    if k == 0:
        return [("Authorization", cat("Bearer ", sec("jwt", g_jwt(g_email() if chance(0.3) else None))))]
    if k == 1:
        return [("Authorization", cat("Bearer ", sec("bearer_token")))]
    if k == 2:
        raw = "%s:%s" % (pick(FIRST) + pick(["", ".ops", "@example.com"]), g_password())
        return [("Authorization", cat("Basic ", K(pick(GENERIC_MASKS)) if G.clean else S(base64.b64encode(raw.encode()).decode(), "basic_auth")))]
    if k == 3:
        temp = chance(0.6)
        hs = [("Authorization", sigv4_header(c, temp)), ("X-Amz-Date", K(c.ts.amz()))]
        if temp:
            hs.append(("X-Amz-Security-Token", sec("aws_session_token")))
        return hs
    if k == 4:
        return [("x-api-key", sec("api_key"))]
    return [("Authorization", sec("jwt"))]

def sigv4_header(c, temp=True, service="execute-api"):
    return cat("AWS4-HMAC-SHA256 Credential=", sec("aws_access_key_id", g_aws_akid(temp)),
               "/%s/%s/%s/aws4_request, " % (c.ts.ymd(), c.region, service),
               K("SignedHeaders=host;x-amz-date" + (";x-amz-security-token" if temp else "")),
               ", Signature=", sec("sigv4_signature"))

def base_headers(c, q, lower=False):
    hs = [("Host", K(c.domain)), ("User-Agent", K(c.ua)), ("X-Amzn-Trace-Id", K(c.trace)),
          ("X-Forwarded-For", K(c.ip if chance(0.5) else c.ip + ", " + k_ip())), ("X-Forwarded-Port", "443"),
          ("X-Forwarded-Proto", "https")]
    if chance(0.5):
        hs.append(("Accept", "application/json"))
    if q.ctype:
        hs.append(("Content-Type", q.ctype))
    if lower:
        hs = [(n.lower(), v) for n, v in hs]
    return hs

def cookies(with_session=True):
    out = []
    if with_session:
        out.append((pick(["session", "sid", "connect.sid", "__Host-session", "PHPSESSID", "_app_session"]), sec("session_cookie")))
    if chance(0.5):
        out.append(("_ga", K("GA1.2.%d.%d" % (R.randint(10 ** 8, 10 ** 9), Clock.t - R.randint(0, 10 ** 6)))))
    if chance(0.4):
        out.append(("AWSALB", K(rs(96, B64C))))
    if chance(0.3):
        out.append(("theme", "dark"))
    R.shuffle(out)
    return out

def vendor_field_name():
    return pick(["x7", "blob", "value", "s", "cfg", "lastValue", "v2", "extra", "p", "hdr_3", "opaque", "ref",
                 "data", "k", "tag", "note", "payload_hint", "prev", "seed", "arg0"])

def vendor_blurb():
    """A sentence that carries a vendor token without naming it as a secret."""
    name, tok = vend()
    k = R.randrange(13)
    host = pick(["api.partner.example", "sync.example.net", "hooks.example.org", "ingest.example.io"])
    if k == 0:
        return cat("upstream rejected credentials ", tok, " (HTTP 401)")
    if k == 1:
        return cat("GET https://", host, "/v1/sync?k=", tok.map(pct), " -> 403")
    if k == 2:
        return cat("cache miss for cfg/", pick(SVC), "/", tok)
    if k == 3:
        return cat("KeyError: '", tok, "'")
    if k == 4:
        return cat("invalid literal for int() with base 10: '", tok, "'")
    if k == 5:
        return cat('could not parse value "', tok, '" for field "retries"')
    if k == 6:
        return cat("Unexpected token ", tok, " in JSON at position 0")
    if k == 7:
        return cat("dispatching batch to https://", tok.map(pct), "@", host, "/in")
    if k == 8 and name.startswith("github"):
        return cat("git clone https://x-access-token:", tok, "@github.com/acme-platform/deploy-config.git failed: exit 128")
    if k == 9:
        return cat("Retrying (attempt ", R.randint(2, 4), "/5) POST https://", host, "/v2/events/", tok.map(pct), "/ack")
    if k == 10:
        return cat("tenant lookup: value ", tok, " did not match any tenant")
    if k == 11:
        return cat("settings loaded: ", jd({"region": pick(REGIONS), vendor_field_name(): tok, "timeout": R.randint(3, 30)}))
    return cat("sync failed for account ", K(k_order_no()), ": ", tok, " is not a valid value")

def vendor_obj():
    """A small config dict with a vendor token under an arbitrary field name."""
    name, tok = vend()
    d = {"id": K(uuid4()), vendor_field_name(): tok}
    if chance(0.5):
        d["updatedAt"] = K(Ts().iso())
    return d

def webhook_url():
    k = R.randrange(3)
    if k == 0:
        pre = "https://hooks.slack.com/services/T%s/B%s/" % (rs(10, UP + DIG), rs(10, UP + DIG))
        return cat(pre, K(pick(GENERIC_MASKS)) if G.clean else S(rs(24), "webhook_url"))
    if k == 1:
        pre = "https://discord.com/api/webhooks/%d/" % R.randint(10 ** 17, 10 ** 19 - 1)
        return cat(pre, K(pick(GENERIC_MASKS)) if G.clean else S(rs(68, B64U), "webhook_url"))
    pre = "https://acme.webhook.office.com/webhookb2/%s@%s/IncomingWebhook/" % (uuid4(), uuid4())
    return cat(pre, K(pick(GENERIC_MASKS)) if G.clean else S(rs(32, HEX) + "/" + uuid4(), "webhook_url"))

def db_url():
    eng = pick(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqps"])
    host = pick(["orders-db.cluster-%s.%s.rds.amazonaws.com" % (rs(12, LOW + DIG), pick(REGIONS)),
                 "cluster0.%s.mongodb.net" % rs(5, LOW + DIG), "cache.%s.ng.0001.euw1.cache.amazonaws.com" % rs(6, LOW + DIG),
                 "b-%s.mq.eu-west-1.amazonaws.com" % uuid4()])
    user = pick(["app", "svc_orders", "admin", "reporting_ro", "lambda"])
    pw = K("***") if G.clean else S(pct(GEN["database_url_password"]()), "database_url_password")
    return cat(eng, "://", user, ":", pw, "@", host, pick([":5432/orders", ":3306/app", "/test?retryWrites=true", ":6379/0", ":5671/"]))

# --- scenarios ---------------------------------------------------------------
def sc_get(c):
    res = pick(["/orders/{orderId}", "/v1/accounts/{accountId}/invoices", "/catalog/items/{sku}", "/shipments/{id}/events"])
    pid = pick([uuid4(), k_order_no(), "SKU-" + rs(6, UP + DIG)])
    q = Req("GET", res, cat(res.split("{")[0], K(pid), "/events" if res.endswith("events") else ""))
    q.path_params = {res.split("{")[1].split("}")[0]: K(pid)}
    if chance(0.6):
        q.query = [("limit", lab(pick(["25", "50", "100"]))), ("cursor", K(k_cursor()))]
    q.headers = auth_headers(c)
    if chance(0.4):
        q.cookies = cookies()
    q.resp = jd({"items": [{"id": K(uuid4()), "tracking": K(k_tracking()), "etag": K(k_etag())}], "next": K(k_cursor())})
    return q

def sc_login(c):
    q = Req("POST", pick(["/auth/login", "/v1/session", "/login", "/api/users/sign_in"]))
    em, pw = sec("email"), sec("password")
    if chance(0.7):
        q.ctype = "application/json"
        q.body_obj = {"email" if chance(0.7) else "username": em, "password": pw, "rememberMe": chance(0.5),
                      "device": {"id": K(uuid4()), "platform": pick(["ios", "android", "web"])}}
    else:
        q.ctype = "application/x-www-form-urlencoded"
        q.body = cat("username=", em.map(formenc), "&password=", pw.map(formenc), "&remember=1")
    q.headers = [("x-api-key", sec("api_key"))] if chance(0.3) else []
    q.resp = jd({"token": sec("jwt"), "expiresIn": 3600}) if chance(0.5) else jd({"error": "invalid_credentials"})
    return q

def sc_token(c):
    q = Req("POST", pick(["/oauth2/token", "/oauth/token", "/connect/token"]))
    q.ctype = "application/x-www-form-urlencoded"
    cid = K(rs(26, LOW + DIG))
    if chance(0.55):
        parts = [("grant_type", lab("authorization_code")), ("code", sec("oauth_code")),
                 ("redirect_uri", lab("https://app.example.com/callback")), ("client_id", cid)]
        if chance(0.5):
            parts.append(("client_secret", sec("client_secret")))
        else:
            parts.append(("code_challenge_method", lab("S256")))
    else:
        parts = [("grant_type", lab("refresh_token")), ("refresh_token", sec("refresh_token")), ("client_id", cid)]
    q.body = join("&", [cat(n, "=", v.map(formenc)) for n, v in parts])
    if chance(0.4):
        raw = "%s:%s" % (cid.text, GEN["client_secret"]())
        q.headers = [("Authorization", cat("Basic ", K("****") if G.clean else S(base64.b64encode(raw.encode()).decode(), "basic_auth")))]
    q.resp = jd({"access_token": sec("jwt"), "refresh_token": sec("refresh_token"), "token_type": "Bearer", "expires_in": 3600})
    return q

def sc_reset(c):
    if chance(0.5):
        q = Req("GET", "/password/reset")
        q.query = [("token", sec("reset_token")), ("email", sec("email"))]
        if chance(0.4):
            q.query.append(("next", lab("/account")))
    else:
        em = sec("email")
        q = Req("POST", "/v1/users/{email}/password-reset", cat("/v1/users/", em.map(pct), "/password-reset"))
        q.path_params = {"email": em}
        q.ctype = "application/json"
        q.body_obj = {"newPassword": sec("password"), "resetToken": sec("reset_token")}
    return q

def sc_payment(c):
    q = Req("POST", pick(["/v1/payments", "/checkout/{cartId}/pay", "/billing/charges"]))
    q.ctype = "application/json"
    q.body_obj = {"amount": R.randint(100, 99999), "currency": pick(["eur", "usd", "gbp"]),
                  "customer": K("cus_" + rs(14)), "source": {"card": {"number": sec("credit_card"), "exp_month": R.randint(1, 12),
                                                                        "exp_year": R.randint(2026, 2031), "cvc": lab(rs(3, DIG))}},
                  "billing_details": {"name": pick(FIRST).title() + " " + pick(LAST).title(), "address": {"line1": sec("street_address")},
                                      "email": sec("email")},
                  "metadata": {"order_no": K(k_order_no())}}
    q.headers = auth_headers(c)
    q.resp = jd({"id": K("pi_" + rs(24)), "status": "requires_action", "client_secret": K("pi_%s_secret_%s" % (rs(24), rs(25))) if G.clean else S("pi_%s_secret_%s" % (rs(24), rs(25)), "client_secret")})
    return q

def sc_signup(c):
    q = Req("POST", pick(["/v1/customers", "/users", "/register", "/v2/onboarding/applicants"]))
    q.ctype = "application/json"
    prof = {"givenName": pick(FIRST).title(), "familyName": pick(LAST).title(), "birthDate": sec("date_of_birth"),
            "contact": {"phone": sec("phone"), "email": sec("email")}}
    if chance(0.6):
        prof["address"] = {"formatted": sec("street_address"), "country": pick(["US", "DE", "PT", "ES", "GB"])}
    if chance(0.4):
        prof["identity"] = {"documents": [{"type": "national_id", "number": sec("national_id")}]}
    elif chance(0.4):
        prof["taxId"] = sec("ssn")
    q.body_obj = {"profile": prof, "password": sec("password"), "marketingOptIn": False}
    q.resp = jd({"customerId": K(uuid4()), "status": "PENDING_VERIFICATION"})
    return q

def sc_kyc(c):
    q = Req("POST", "/kyc/{applicantId}/documents", cat("/kyc/", K(uuid4()), "/documents"))
    b = "----WebKitFormBoundary" + rs(16)
    q.ctype = "multipart/form-data; boundary=" + b
    fields = [("document_type", lab("passport")), ("passport_number", sec("passport_number")),
              ("date_of_birth", sec("date_of_birth"))]
    if chance(0.5):
        fields.append(("national_id", sec("national_id")))
    body = T()
    for n, v in fields:
        body = body + cat("--", b, '\r\nContent-Disposition: form-data; name="', n, '"\r\n\r\n', v, "\r\n")
    body = body + cat("--", b, '\r\nContent-Disposition: form-data; name="scan"; filename="', K("scan-%d.jpg" % R.randint(1000, 9999)),
                      '"\r\nContent-Type: image/jpeg\r\n\r\n<binary>\r\n--', b, "--\r\n")
    q.body = body
    q.headers = auth_headers(c)
    return q

def sc_graphql(c):
    q = Req("POST", "/graphql")
    q.ctype = "application/json"
    if chance(0.5):
        q.body_obj = {"operationName": "UpdateProfile",
                      "query": "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { id updatedAt } }",
                      "variables": {"input": {"id": K(uuid4()), "phone": sec("phone"), "dob": sec("date_of_birth"),
                                              "billing": {"iban": sec("iban")}}}}
    else:
        em, pw = sec("email"), sec("password")
        q.body_obj = {"query": cat('mutation { signIn(email: "', em, '", password: "', pw, '") { accessToken refreshToken } }')}
    q.headers = auth_headers(c, (2, 1, 0, 1, 3, 1))
    return q

def sc_soap(c):
    q = Req("POST", pick(["/soap/AccountService", "/legacy/PaymentService.svc"]))
    q.ctype = "text/xml; charset=utf-8"
    user = pick(FIRST) + "." + pick(LAST)
    q.body = cat('<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">',
                 "<soapenv:Header><wsse:Security><wsse:UsernameToken><wsse:Username>", user, "</wsse:Username>",
                 '<wsse:Password Type="#PasswordText">', sec("password").map(xmlesc), "</wsse:Password></wsse:UsernameToken>",
                 "</wsse:Security></soapenv:Header><soapenv:Body><acc:UpdateBankDetails><acc:Iban>", sec("iban"),
                 "</acc:Iban><acc:Reference>", K(k_order_no()), "</acc:Reference></acc:UpdateBankDetails></soapenv:Body></soapenv:Envelope>")
    return q

def sc_transfer(c):
    q = Req("POST", "/v2/transfers")
    q.ctype = "application/json"
    q.body_obj = {"from": {"account": K(uuid4())}, "to": {"iban": sec("iban"), "name": pick(FIRST).title() + " " + pick(LAST).title()},
                  "amount": {"value": "%d.%02d" % (R.randint(5, 9000), R.randint(0, 99)), "currency": "EUR"},
                  "reference": K("INV-" + rs(8, DIG)), "idempotencyKey": K(uuid4())}
    q.headers = auth_headers(c)
    return q

def sc_mfa(c):
    q = Req("POST", pick(["/mfa/verify", "/v1/auth/otp/confirm", "/2fa"]))
    q.ctype = "application/json"
    q.body_obj = {"challengeId": K(uuid4()), "otp" if chance(0.5) else "code": sec("otp"), "phone": sec("phone")}
    q.headers = auth_headers(c)
    return q

def sc_presign(c):
    key = k_s3key()
    q = Req("GET", "/files/{proxy+}", cat("/files/", K(key)))
    temp = chance(0.6)
    q.query = [("X-Amz-Algorithm", K("AWS4-HMAC-SHA256")),
               ("X-Amz-Credential", cat(sec("aws_access_key_id", g_aws_akid(temp)), "/%s/%s/s3/aws4_request" % (c.ts.ymd(), c.region))),
               ("X-Amz-Date", K(c.ts.amz())), ("X-Amz-Expires", lab("900"))]
    if temp:
        q.query.append(("X-Amz-Security-Token", sec("aws_session_token")))
    q.query += [("X-Amz-SignedHeaders", lab("host")), ("X-Amz-Signature", sec("sigv4_signature"))]
    return q

def sc_integration(c):
    iid = uuid4()
    q = Req("PUT", "/integrations/{integrationId}", cat("/integrations/", K(iid)))
    q.ctype = "application/json"
    cfg = {"notify": webhook_url(), vendor_field_name(): vend()[1]}
    if chance(0.5):
        cfg["dsn"] = db_url()
    q.body_obj = {"name": pick(["crm sync", "alerts", "nightly export", "ledger"]), "enabled": True, "config": cfg}
    q.headers = auth_headers(c)
    return q

def sc_ws(c):
    if chance(0.5):
        q = Req("GET", "$connect", "/")
        q.ws_route = "$connect"
        q.query = [("token", sec("jwt")), ("clientVersion", K(k_version()))]
        if chance(0.4):
            q.query.append(("email", sec("email")))
    else:
        q = Req("POST", "sendMessage", "/")
        q.ws_route = pick(["sendMessage", "$default", "notify"])
        q.body_obj = {"action": q.ws_route, "data": {"to": sec("phone"), "text": cat("Your code is ", sec("otp")), "room": K(uuid4())}}
    return q

def sc_b64(c):
    q = Req("POST", pick(["/upload", "/v1/forms/{formId}/submit", "/ingest"]))
    inner = cat("email=", sec("email").map(formenc), "&password=", sec("password").map(formenc))
    q.ctype = "application/x-www-form-urlencoded"
    q.body = b64_of(inner)
    q.b64 = True
    return q

def sc_lookup(c):
    if chance(0.5):
        q = Req("GET", "/v1/lookup")
        q.query = [("email", sec("email")), ("phone", sec("phone"))]
    else:
        v = sec(pick(["ssn", "national_id", "passport_number"]))
        q = Req("GET", "/v1/identity/{documentNumber}", cat("/v1/identity/", v.map(pct)))
        q.path_params = {"documentNumber": v}
    q.headers = auth_headers(c)
    return q

def sc_webhook_in(c):
    q = Req("POST", pick(["/webhooks/stripe", "/hooks/payments", "/integrations/stripe/events"]))
    q.ctype = "application/json"
    q.headers = [("Stripe-Signature", lab("t=%d,v1=%s" % (Clock.t, rs(64, HEX))))]
    q.body_obj = {"id": K("evt_" + rs(24)), "type": "customer.updated", "data": {"object": {"id": K("cus_" + rs(14)),
                  "email": sec("email"), "phone": sec("phone"), "address": {"line1": sec("street_address")}}}}
    return q

def sc_health(c):
    q = Req("GET", pick(["/health", "/ping", "/v1/status", "/.well-known/jwks.json"]))
    q.query = [("v", K(k_version()))] if chance(0.4) else []
    return q

def sc_callback(c):
    q = Req("GET", pick(["/oauth2/callback", "/auth/callback", "/sso/return"]))
    q.query = [("code", sec("oauth_code")), ("state", lab(rs(32, B64U)))]
    if chance(0.3):
        q.query.append(("session_state", lab(uuid4())))
    q.cookies = [("refresh", sec("refresh_token"))] if chance(0.4) else []
    return q

SCENARIOS = [(sc_get, 6), (sc_login, 5), (sc_token, 4), (sc_callback, 3), (sc_reset, 3), (sc_payment, 4), (sc_signup, 3), (sc_kyc, 1),
             (sc_graphql, 2), (sc_soap, 1), (sc_transfer, 2), (sc_mfa, 2), (sc_presign, 2), (sc_integration, 3),
             (sc_ws, 2), (sc_b64, 1), (sc_lookup, 2), (sc_webhook_in, 2), (sc_health, 1)]

def scenario(c, only=None):
    fns = [f for f, _ in SCENARIOS if not only or f.__name__ in only]
    ws = [w for f, w in SCENARIOS if not only or f.__name__ in only]
    q = R.choices(fns, weights=ws)[0](c)
    if not q.headers or chance(0.5):
        q.headers = base_headers(c, q, lower=(c.kind != "REST")) + q.headers
    if c.kind == "WS" and not q.ws_route:
        q.ws_route = pick(["$default", "sendMessage"])
    return q

def api_error(c, q):
    """$context.error.message / integrationErrorMessage values."""
    k = R.randrange(9)
    if k == 0:
        return K("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and displayed in hex): '%s'." % k_sha256())
    if k == 1:
        return cat("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                   "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a "
                   "'X-Amz-Date' or a 'Date' header. Authorization=Bearer ", sec("jwt"))
    if k == 2:
        return lab(pick(["Unauthorized", "Forbidden", "Missing Authentication Token", "Endpoint request timed out",
                         "Internal server error", "Too Many Requests", "Invalid request body"]))
    if k == 3:
        return cat("The Lambda function returned the following error: Error: customer ", sec("email"), " already exists")
    if k == 4:
        return cat("Invalid request: value ", sec(pick(["phone", "ssn", "credit_card"])), " failed format check")
    if k == 5:
        return cat("Execution failed due to an authorizer error: ", vendor_blurb())
    if k == 6:
        return lab("The security token included in the request is invalid.")
    if k == 7:
        return cat("User: ", K("arn:aws:sts::%s:assumed-role/%s-role/%s" % (c.acct, c.svc, c.fn)),
                   " is not authorized to perform: execute-api:Invoke on resource: ", K(c.src_arn(q.method, q.resource)))
    return cat("Integration error: connect ECONNREFUSED ", db_url())

# ---------------------------------------------------------------------------
# Authorizer output shared by several layouts
# ---------------------------------------------------------------------------
def cognito_claims(c):
    d = {"sub": uuid4(), "email": sec("email")}
    if chance(0.5):
        d["phone_number"] = sec("phone")
    if chance(0.3):
        d["custom:" + pick(["national_id", "tax_ref", "passport"])] = sec(pick(["national_id", "passport_number"]))
    if chance(0.5):
        d["cognito:groups"] = pick(["admins", "customers", "support"])
    d["client_id"] = K(rs(26, LOW + DIG))
    return d

def lambda_authz(c):
    d = {"principalId": "user|" + rs(24, HEX), "tenantId": K(uuid4())}
    k = R.randrange(4)
    if k == 0:
        d["upstreamToken"] = sec("bearer_token")
    elif k == 1:
        d[vendor_field_name()] = vend()[1]
    elif k == 2:
        d["email"] = sec("email")
    else:
        d["dbUrl"] = db_url()
    return d

# ---------------------------------------------------------------------------
# Layout: API Gateway JSON access logs with unusual names and nesting
# ---------------------------------------------------------------------------
# canonical field -> names in six naming schemes (flat camel, snake, nested path,
# dotted context names, terse, literal $context variables)
NAMES = {
    "rid": ("requestId", "request_id", "req.id", "context.requestId", "rid", "$context.requestId"),
    "xrid": ("extendedRequestId", "ext_request_id", "req.ext", "context.extendedRequestId", "xrid", "$context.extendedRequestId"),
    "ip": ("ip", "source_ip", "client.ip", "identity.sourceIp", "c", "$context.identity.sourceIp"),
    "time": ("requestTime", "request_time", "req.time", "context.requestTime", "t", "$context.requestTime"),
    "epoch": ("requestTimeEpoch", "ts_ms", "req.epoch", "context.requestTimeEpoch", "e", "$context.requestTimeEpoch"),
    "method": ("httpMethod", "http_method", "req.method", "context.httpMethod", "m", "$context.httpMethod"),
    "resource": ("resourcePath", "route", "req.route", "context.resourcePath", "r", "$context.resourcePath"),
    "path": ("path", "raw_path", "req.path", "context.path", "p", "$context.path"),
    "status": ("status", "status_code", "resp.status", "context.status", "s", "$context.status"),
    "proto": ("protocol", "protocol", "req.proto", "context.protocol", "pr", "$context.protocol"),
    "len": ("responseLength", "bytes_out", "resp.bytes", "context.responseLength", "b", "$context.responseLength"),
    "latency": ("responseLatency", "latency_ms", "resp.latencyMs", "context.responseLatency", "l", "$context.responseLatency"),
    "ilatency": ("integrationLatency", "integration_latency", "integration.latency", "context.integrationLatency", "il", "$context.integrationLatency"),
    "istatus": ("integrationStatus", "integration_status", "integration.status", "context.integration.status", "is", "$context.integration.status"),
    "ua": ("userAgent", "user_agent", "client.ua", "identity.userAgent", "ua", "$context.identity.userAgent"),
    "api": ("apiId", "api_id", "api.id", "context.apiId", "a", "$context.apiId"),
    "stage": ("stage", "stage", "api.stage", "context.stage", "st", "$context.stage"),
    "domain": ("domainName", "domain", "api.domain", "context.domainName", "d", "$context.domainName"),
    "xray": ("xrayTraceId", "xray_trace_id", "trace.xray", "context.xrayTraceId", "x", "$context.xrayTraceId"),
    "apikey": ("apiKey", "api_key", "identity.key", "identity.apiKey", "k", "$context.identity.apiKey"),
    "apikeyid": ("apiKeyId", "api_key_id", "identity.keyId", "identity.apiKeyId", "kid", "$context.identity.apiKeyId"),
    "caller": ("caller", "caller", "identity.caller", "identity.caller", "cl", "$context.identity.caller"),
    "user": ("user", "iam_user", "identity.user", "identity.user", "u", "$context.identity.user"),
    "userarn": ("userArn", "user_arn", "identity.arn", "identity.userArn", "ua_arn", "$context.identity.userArn"),
    "accesskey": ("accessKey", "access_key", "identity.accessKey", "identity.accessKey", "ak", "$context.identity.accessKey"),
    "claims": ("authorizerClaims", "authorizer_claims", "auth.claims", "authorizer.claims", "ac", "$context.authorizer.claims"),
    "authz": ("authorizerContext", "authorizer", "auth.ctx", "authorizer", "az", "$context.authorizer"),
    "err": ("errorMessage", "error_message", "err.msg", "error.message", "em", "$context.error.message"),
    "errtype": ("errorResponseType", "error_type", "err.type", "error.responseType", "et", "$context.error.responseType"),
    "interr": ("integrationErrorMessage", "integration_error", "integration.error", "context.integrationErrorMessage", "ie", "$context.integrationErrorMessage"),
    "ovhdr": ("backendAuth", "override_header_auth", "override.header.auth", "requestOverride.header.X-Backend-Auth", "oh", "$context.requestOverride.header.X-Backend-Auth"),
    "ovqs": ("overrideQuery", "override_qs", "override.qs", "requestOverride.querystring.q", "oq", "$context.requestOverride.querystring.q"),
    "setcookie": ("responseSetCookie", "resp_set_cookie", "resp.setCookie", "responseOverride.header.Set-Cookie", "sc", "$context.responseOverride.header.Set-Cookie"),
    "waf": ("wafResponseCode", "waf_code", "waf.code", "context.wafResponseCode", "w", "$context.wafResponseCode"),
    "conn": ("connectionId", "connection_id", "ws.conn", "context.connectionId", "cid", "$context.connectionId"),
    "evt": ("eventType", "event_type", "ws.event", "context.eventType", "ev", "$context.eventType"),
    "routekey": ("routeKey", "route_key", "req.routeKey", "context.routeKey", "rk", "$context.routeKey"),
    "certdn": ("clientCertSubject", "client_cert_dn", "identity.cert.dn", "identity.clientCert.subjectDN", "cdn", "$context.identity.clientCert.subjectDN"),
}

def access_fields(c, q):
    """Ordered (canonical, value) pairs drawn for one access-log event."""
    f = [("rid", K(c.rid)), ("ip", K(c.ip)), ("time", K(c.ts.clf())), ("method", q.method)]
    if chance(0.5):
        f.append(("xrid", K(c.xrid)))
    if chance(0.4):
        f.append(("epoch", Raw(K(c.ts.epoch_ms()))))
    if c.kind == "WS":
        f += [("conn", K(c.conn_id)), ("evt", pick(["CONNECT", "MESSAGE", "DISCONNECT"])), ("routekey", K(q.ws_route or "$default"))]
    elif c.kind == "HTTP":
        f.append(("routekey", K("%s %s" % (q.method, q.resource))))
    else:
        f.append(("resource", K(q.resource)))
    if chance(0.6):
        f.append(("path", q.full_path() if chance(0.3) else q.path))
    f += [("status", K(c.status)), ("proto", "HTTP/1.1")]
    if chance(0.6):
        f.append(("len", Raw(R.randint(0, 9000)) if chance(0.5) else str(R.randint(0, 9000))))
    if chance(0.5):
        f += [("latency", c.latency), ("ilatency", str(R.randint(1, int(c.latency))))]
    if chance(0.4):
        f.append(("istatus", K(pick(["200", "500", "202"]))))
    if chance(0.5):
        f.append(("ua", K(c.ua)))
    if chance(0.4):
        f += [("api", K(c.api_id)), ("stage", K(c.stage))]
    if chance(0.3):
        f.append(("domain", K(c.domain)))
    if chance(0.4):
        f.append(("xray", K(k_xray())))
    # identity and authorizer values -- where the secrets live
    extras = R.sample(["apikey", "iam", "claims", "authz", "err", "ovhdr", "ovqs", "setcookie", "certdn"], R.randint(1, 3))
    for e in extras:
        if e == "apikey":
            f += [("apikey", sec("api_key")), ("apikeyid", K(c.key_id))]
        elif e == "iam":
            em = sec("email")
            f += [("caller", cat(K("AROA" + rs(17, B32)), ":", em)),
                  ("userarn", cat("arn:aws:sts::%s:assumed-role/%s-support/" % (c.acct, c.svc), em)),
                  ("accesskey", sec("aws_access_key_id", g_aws_akid(True)))]
        elif e == "claims":
            f.append(("claims", cognito_claims(c)))
        elif e == "authz":
            f.append(("authz", lambda_authz(c)))
        elif e == "err":
            f += [("err", api_error(c, q)), ("errtype", K(pick(["UNAUTHORIZED", "ACCESS_DENIED", "INTEGRATION_FAILURE", "BAD_REQUEST_BODY", "DEFAULT_4XX"])))]
            if chance(0.4):
                f.append(("interr", cat("Lambda invocation failed: ", vendor_blurb())))
        elif e == "ovhdr":
            f.append(("ovhdr", cat("Bearer ", vend()[1])))
        elif e == "ovqs":
            f.append(("ovqs", pick([lambda: sec("email"), lambda: sec("phone"), lambda: sec("reset_token")])()))
        elif e == "setcookie":
            f.append(("setcookie", cat(pick(["session", "sid", "refresh"]), "=", sec("session_cookie"), "; Path=/; Secure; HttpOnly")))
        else:
            f.append(("certdn", cat("CN=", sec("email"), ",OU=devices,O=Example Corp,C=DE")))
    if chance(0.3):
        f.append(("waf", K(pick(["WAF_ALLOW", "WAF_BLOCK", "WAF_COUNT"]))))
    return f

def set_path(d, path, v):
    parts = path.split(".")
    for p in parts[:-1]:
        d = d.setdefault(p, {})
        if not isinstance(d, dict):
            return False
    d[parts[-1]] = v
    return True

def r_json_access(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    scheme = R.randrange(6)
    out = {}
    for canon, v in access_fields(c, q):
        name = NAMES[canon][scheme]
        if isinstance(v, dict) and scheme in (1, 3, 5) and chance(0.6):
            for k2, v2 in v.items():  # flattened authorizer values: "authorizer.claims.email"
                out["%s.%s" % (name, k2) if scheme != 1 else "%s_%s" % (name, re.sub(r"\W", "_", k2))] = v2
            continue
        if scheme == 2:
            if not set_path(out, name, v):
                out[name] = v
        else:
            out[name] = v
    if chance(0.2):  # some teams nest the whole thing under a top-level key
        out = {pick(["apigw", "access", "http"]): out, "logType": "access"}
    return jd(out, sp=chance(0.2))

# ---------------------------------------------------------------------------
# Layout: API Gateway text access formats (CLF, CSV, TSV, pipe, k=v, XML)
# ---------------------------------------------------------------------------
def csvq(t):
    s = t.text
    if any(ch in s for ch in ',"\n') or chance(0.15):
        return cat('"', t.map(lambda x: x.replace('"', '""')), '"')
    return t

def text_extras(c, q):
    ex = []
    for e in R.sample(["apikey", "email", "authz", "err", "caller", "phone"], R.randint(1, 2)):
        if e == "apikey":
            ex.append(("apiKey", sec("api_key")))
        elif e == "email":
            ex.append(("authorizer.claims.email", sec("email")))
        elif e == "authz":
            ex.append(("authorizer.token", pick([lambda: vend()[1], lambda: sec("jwt"), lambda: sec("bearer_token")])()))
        elif e == "err":
            ex.append(("error", api_error(c, q)))
        elif e == "caller":
            ex.append(("caller", cat(K("AROA" + rs(17, B32)), ":", sec("email"))))
        else:
            ex.append(("authorizer.claims.phone_number", sec("phone")))
    return ex

def r_text_access(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    ex = text_extras(c, q)
    fmt = R.randrange(7)
    user = cat(K("AROA" + rs(17, B32)), ":", sec("email")) if chance(0.2) else lab("-")
    if fmt == 0:  # the documentation CLF, plus trailers
        line = cat(K(c.ip), " - ", user, " [", K(c.ts.clf()), '] "', q.method, " ", K(q.resource), ' HTTP/1.1" ', K(c.status), " ",
                   str(R.randint(0, 5000)), " ", K(c.rid))
        for n, v in ex:
            line = line + cat(" ", n.split(".")[-1], '="', v, '"')
        return line
    if fmt == 1:  # nginx-like with full path and UA
        return cat(K(c.ip), " - - [", K(c.ts.clf()), '] "', q.method, " ", q.full_path(), ' HTTP/1.1" ', K(c.status), " ",
                   str(R.randint(0, 5000)), ' "-" "', K(c.ua), '" ', K(c.rid), " ", K(c.xrid), " ",
                   join(" ", [cat(n, "=", v) for n, v in ex]))
    if fmt == 2:  # CSV
        cols = [K(c.ip), user, K(c.ts.clf()), lab(q.method), K(q.resource), lab("HTTP/1.1"), K(c.status),
                lab(str(R.randint(0, 5000))), K(c.rid)] + [q.path] * chance(0.5) + [v for _, v in ex]
        return join(",", [csvq(x) for x in cols])
    if fmt == 3:  # TSV
        cols = [K(c.ts.iso()), K(c.ip), lab(q.method), q.path, K(c.status), lab(c.latency), K(c.ua)] + [v for _, v in ex] + [K(c.key_id)]
        return join("\t", cols)
    if fmt == 4:  # pipe-separated
        cols = [K(c.rid), K(c.ip), K(c.ts.iso(ms=False)), lab(q.method), q.full_path() if chance(0.5) else q.path, K(c.status)] + [v for _, v in ex]
        return join("|", cols)
    if fmt == 5:  # key=value
        kv = [("requestId", K(c.rid)), ("ip", K(c.ip)), ("caller", lab("-")), ("user", user), ("time", cat('"', K(c.ts.clf()), '"')),
              ("method", lab(q.method)), ("route", K(q.resource)), ("status", K(c.status)), ("ms", lab(c.latency))]
        kv += [(n, cat('"', v, '"') if " " in v.text else v) for n, v in ex]
        return join(" ", [cat(n, "=", v) for n, v in kv])
    # XML, as in the documentation, plus extra elements
    line = cat('<request id="', K(c.rid), '"> <ip>', K(c.ip), "</ip> <caller>-</caller> <user>", user.map(xmlesc),
               "</user> <requestTime>", K(c.ts.clf()), "</requestTime> <httpMethod>", q.method, "</httpMethod> <resourcePath>",
               K(q.resource), "</resourcePath> <status>", K(c.status), "</status> <protocol>HTTP/1.1</protocol> <responseLength>",
               str(R.randint(0, 5000)), "</responseLength>")
    for n, v in ex:
        tag = n.split(".")[-1]
        line = line + cat(" <", tag, ">", v.map(xmlesc), "</", tag, ">")
    return line + " </request>"

# ---------------------------------------------------------------------------
# Layout: REST API execution logs
# ---------------------------------------------------------------------------
def event_v1(c, q):
    hs = q.all_headers()
    hdr = {n: v for n, v in hs}
    ev = {"resource": K(q.resource), "path": q.path, "httpMethod": q.method, "headers": hdr or None}
    if chance(0.4):
        ev["multiValueHeaders"] = {n: [v] for n, v in hs} or None
    ev["queryStringParameters"] = {n: v for n, v in q.query} or None
    if chance(0.3):
        ev["multiValueQueryStringParameters"] = {n: [v] for n, v in q.query} or None
    ev["pathParameters"] = q.path_params or None
    ev["stageVariables"] = None
    rc = {"resourceId": rs(6, LOW + DIG), "resourcePath": K(q.resource), "httpMethod": q.method,
          "extendedRequestId": K(c.xrid), "requestTime": K(c.ts.clf()), "path": cat("/", c.stage, q.path) if chance(0.3) else q.path,
          "accountId": K(c.acct), "protocol": "HTTP/1.1", "stage": K(c.stage), "domainPrefix": K(c.api_id),
          "requestTimeEpoch": Raw(K(c.ts.epoch_ms())), "requestId": K(c.rid),
          "identity": {"cognitoIdentityPoolId": None, "accountId": None, "cognitoIdentityId": None, "caller": None,
                       "sourceIp": K(c.ip), "principalOrgId": None, "accessKey": None, "cognitoAuthenticationType": None,
                       "cognitoAuthenticationProvider": None, "userArn": None, "userAgent": K(c.ua), "user": None},
          "domainName": K(c.domain), "apiId": K(c.api_id)}
    if chance(0.4):
        rc["identity"]["apiKey"] = sec("api_key")
        rc["identity"]["apiKeyId"] = K(c.key_id)
    if chance(0.5):
        rc["authorizer"] = {"claims": cognito_claims(c)} if chance(0.5) else lambda_authz(c)
    ev["requestContext"] = rc
    body = q.body_text()
    ev["body"] = body
    ev["isBase64Encoded"] = q.b64
    return ev

def event_v2(c, q):
    hs = [(n.lower(), v) for n, v in q.headers]
    ev = {"version": "2.0", "routeKey": K("%s %s" % (q.method, q.resource)), "rawPath": q.path,
          "rawQueryString": q.qs(), "cookies": [cat(n, "=", v) for n, v in q.cookies] or None,
          "headers": {n: v for n, v in hs}, "queryStringParameters": {n: v for n, v in q.query} or None,
          "requestContext": {"accountId": K(c.acct), "apiId": K(c.api_id), "domainName": K(c.domain),
                             "domainPrefix": K(c.api_id), "http": {"method": q.method, "path": q.path, "protocol": "HTTP/1.1",
                                                                      "sourceIp": K(c.ip), "userAgent": K(c.ua)},
                             "requestId": K(c.xrid), "routeKey": K("%s %s" % (q.method, q.resource)), "stage": K(c.stage),
                             "time": K(c.ts.clf()), "timeEpoch": Raw(K(c.ts.epoch_ms()))},
          "pathParameters": q.path_params or None, "body": q.body_text(), "isBase64Encoded": q.b64}
    if ev["cookies"] is None:
        del ev["cookies"]
    if chance(0.5):
        ev["requestContext"]["authorizer"] = {"jwt": {"claims": cognito_claims(c), "scopes": None}} if chance(0.5) else {"lambda": lambda_authz(c)}
    return ev

def event_ws(c, q):
    ev = {"requestContext": {"routeKey": K(q.ws_route or "$default"), "eventType": "CONNECT" if q.ws_route == "$connect" else "MESSAGE",
                             "extendedRequestId": K(c.xrid), "requestTime": K(c.ts.clf()), "messageDirection": "IN",
                             "stage": K(c.stage), "connectedAt": Raw(K(c.ts.epoch_ms() - 5000)),
                             "requestTimeEpoch": Raw(K(c.ts.epoch_ms())), "identity": {"sourceIp": K(c.ip), "userAgent": K(c.ua)},
                             "requestId": K(c.xrid), "domainName": K(c.domain), "connectionId": K(c.conn_id), "apiId": K(c.api_id)},
          "isBase64Encoded": False}
    if q.ws_route == "$connect":
        ev["queryStringParameters"] = {n: v for n, v in q.query}
        ev["headers"] = {n: v for n, v in q.headers}
    else:
        ev["body"] = q.body_text()
    return ev

def proxy_event(c, q):
    if c.kind == "WS" or q.ws_route:
        return event_ws(c, q)
    return event_v2(c, q) if c.kind == "HTTP" else event_v1(c, q)

def masked_auth():
    return "*" * R.randint(40, 300) + rs(6, HEX)

def r_execution(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    mask = chance(0.5)
    k = R.choices(range(16), weights=[2, 3, 5, 5, 2, 3, 7, 1, 4, 2, 4, 4, 1, 3, 3, 3])[0]
    if k == 0:
        msg = cat("Method request path: ", jt(q.path_params or {"proxy": q.path}))
    elif k == 1:
        msg = cat("Method request query string: ", jt({n: v for n, v in q.query} or {"email": sec("email")}))
    elif k == 2:
        hs = {}
        for n, v in q.all_headers():
            if mask and n.lower() in ("authorization", "x-api-key"):
                v = K(masked_auth())
            hs[n] = v
        msg = cat("Method request headers: ", jt(hs))
    elif k == 3:
        b = q.body_text()
        msg = cat("Method request body before transformations: ", (b if b is not None else jd(vendor_obj())).map(flat_nl))
    elif k == 4:
        if chance(0.5):
            msg = lab("Endpoint request URI: https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations" % (c.region, c.fn_arn()))
        else:
            name, tok = vend()
            msg = cat("Endpoint request URI: https://", pick(["partner-api.example.com", "legacy.example.net", "erp.example.org"]),
                      "/v1/", pick(["lookup", "customers", "accounts"]), "?", pick(["email=" , "phone="]), sec(pick(["email", "phone"])).map(pct),
                      "&", pick(["apikey", "auth", "t"]), "=", tok.map(pct))
    elif k == 5:
        hs = {"x-amzn-lambda-integration-tag": K(c.rid), "Authorization": K(masked_auth()), "X-Amz-Date": K(c.ts.amz()),
              "x-amzn-apigateway-api-id": K(c.api_id), "X-Amz-Source-Arn": K(c.src_arn(q.method, q.resource)),
              "Accept": "application/json", "User-Agent": K("AmazonAPIGateway_" + c.api_id), "X-Amzn-Trace-Id": K(c.trace)}
        if chance(0.8):
            hs["X-Amz-Security-Token"] = sec("aws_session_token")
        msg = cat("Endpoint request headers: ", jt(hs))
    elif k == 6:
        msg = cat("Endpoint request body after transformations: ", jd(proxy_event(c, q)))
    elif k == 7:
        msg = cat("Endpoint response headers: ", jt({"Date": pick(["Mon", "Tue", "Wed"]) + ", 03 Mar 2025 10:15:32 GMT",
                                                     "Content-Type": "application/json", "Content-Length": str(R.randint(20, 900)),
                                                     "Connection": "keep-alive", "x-amzn-RequestId": K(c.lrid),
                                                     "X-Amz-Executed-Version": "$LATEST", "X-Amzn-Trace-Id": K(c.trace)}))
    elif k == 8:
        inner = q.resp if q.resp is not None else jd({"ok": True, "id": K(uuid4())})
        hdrs = {"Content-Type": "application/json"}
        if chance(0.5):
            hdrs["Set-Cookie"] = cat("session=", sec("session_cookie"), "; Path=/; HttpOnly; Secure")
        msg = cat("Endpoint response body before transformations: ", jd({"statusCode": int(c.status), "headers": hdrs, "body": inner}))
    elif k == 9:
        msg = cat("Method response body after transformations: ", q.resp if q.resp is not None else jd({"message": api_error(c, q)}))
    elif k == 10:  # TOKEN / REQUEST authorizer input
        if chance(0.6):
            tok = pick([lambda: cat("Bearer ", sec("jwt")), lambda: sec("jwt"), lambda: cat("Bearer ", vend()[1])])()
            ev = {"type": "TOKEN", "authorizationToken": tok, "methodArn": K(c.src_arn(q.method, q.resource))}
        else:
            ev = {"type": "REQUEST", "methodArn": K(c.src_arn(q.method, q.resource)), "resource": K(q.resource), "path": q.path,
                  "httpMethod": q.method, "headers": {n: v for n, v in q.all_headers()}, "queryStringParameters": {n: v for n, v in q.query}}
        msg = cat("Endpoint request body after transformations: ", jd(ev))
    elif k == 11:
        ctx = lambda_authz(c)
        msg = cat("Authorizer result body before parsing: ", jd({"principalId": ctx.pop("principalId"), "policyDocument": {
            "Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": pick(["Allow", "Deny"]),
                                                   "Resource": K(c.src_arn("*", "/*"))}]}, "context": ctx,
            "usageIdentifierKey": sec("api_key") if chance(0.3) else None}))
    elif k == 12:
        msg = cat("Verifying Usage Plan for request: ", K(c.rid), ". API Key: ", K("*" * 36 + rs(4, LOW + DIG)),
                  " API Stage: ", K("%s/%s" % (c.api_id, c.stage)))
    elif k == 13:
        msg = cat("Lambda execution failed with status 200 due to customer function error: ", exc_message(c),
                  ". Lambda request id: ", K(c.lrid))
    elif k == 14:  # mapping-template output for service integrations
        if chance(0.5):
            msg = cat("Endpoint request body after transformations: Action=SendMessage&MessageBody=",
                      jd({"email": sec("email"), "phone": sec("phone"), "orderNo": K(k_order_no())}).map(pct),
                      "&QueueUrl=", K("https://sqs.%s.amazonaws.com/%s/%s-events" % (c.region, c.acct, c.svc)).map(pct))
        else:
            msg = cat("Endpoint request body after transformations: ", jd({"TableName": c.svc + "-users", "Item": {
                "pk": {"S": K("USER#" + uuid4())}, "email": {"S": sec("email")}, "dob": {"S": sec("date_of_birth")},
                "ssn": {"S": sec("ssn")}}}))
    else:
        msg = cat("Endpoint response body before transformations: ", jd({"errorMessage": vendor_blurb(), "errorType": "Error",
                                                                       "trace": ["Error: upstream", "    at sync (/var/task/index.js:41:11)"]}))
    if chance(0.7):
        msg = truncate(msg, 1024 - 39)
    return cat("(", K(c.rid), ") ", msg)

def exc_message(c):
    """Exception messages that quote user input."""
    k = R.randrange(11)
    if k == 0:
        return cat("invalid email address: \"", sec("email"), "\"")
    if k == 1:
        return cat("Card ", sec("credit_card"), " was declined (do_not_honor)")
    if k == 2:
        return cat("Duplicate entry '", sec("email"), "' for key 'users.email_UNIQUE'")
    if k == 3:
        return cat("could not parse date of birth '", sec("date_of_birth"), "'")
    if k == 4:
        return cat("IBAN ", sec("iban"), " failed checksum validation")
    if k == 5:
        return vendor_blurb()
    if k == 6:
        return cat("password for user admin does not meet policy: '", sec("password"), "' is too common")
    if k == 7:
        return cat("no customer found for phone ", sec("phone"))
    if k == 8:
        return cat("connection refused: ", db_url())
    if k == 9:
        return cat("partner call failed: ", vendor_blurb())
    return cat("token expired: ", sec("jwt"))

# ---------------------------------------------------------------------------
# Backend content shared by the Lambda runtimes
# ---------------------------------------------------------------------------
def outbound(c):
    """A third-party API call: (vendor, method, url, headers dict, body obj or None, status)."""
    if chance(0.15):  # Slack / Discord / Teams incoming webhooks
        url = webhook_url()
        return "webhook", "POST", url, {"Content-Type": "application/json"}, {"text": cat("New signup: ", sec("email"))}, pick([200, 400, 404, 500])
    if chance(0.12):  # OAuth client-credentials call to an identity provider
        body = cat("grant_type=client_credentials&client_id=", K(rs(26, LOW + DIG)), "&client_secret=", sec("client_secret").map(formenc))
        return "idp", "POST", lab("https://auth.%s.example.com/oauth2/token" % pick(SVC)), {"Content-Type": "application/x-www-form-urlencoded"}, \
            Raw(jstr(body)), pick([200, 400, 401])
    name, tok = vend()
    host, method, path, scheme = VENDOR_API.get(name, ("api.%s.example.com" % name.split("_")[0], "POST", "/v1/events", "Bearer"))
    hdr = {"User-Agent": pick(["axios/1.7.2", "python-requests/2.32.3", "Go-http-client/1.1", "okhttp/4.12.0",
                               "System.Net.Http/8.0"]), "Content-Type": "application/json"}
    url = lab("https://%s%s" % (host, path))
    if scheme == "Bearer":
        hdr["Authorization"] = cat("Bearer ", tok)
    elif scheme == "token":
        hdr["Authorization"] = cat("token ", tok)
    elif scheme in ("Authorization",):
        hdr["Authorization"] = tok
    elif scheme == "ShippoToken":
        hdr["Authorization"] = cat("ShippoToken ", tok)
    elif scheme.startswith("basic:"):
        user = {"api": "api", "user": tok.text, "sid": "AC4f1e2d3c4b5a69788796a5b4c3d2e1f0"}[scheme[6:]]
        if G.clean:
            hdr["Authorization"] = cat("Basic ", K("****"))
        else:
            raw = "%s:%s" % (user, tok.text) if scheme != "basic:user" else "%s:" % tok.text
            hdr["Authorization"] = cat("Basic ", S(base64.b64encode(raw.encode()).decode(), "vendor:" + name))
        if chance(0.4):
            url = cat("https://", K(user) if scheme == "basic:sid" else lab("api"), ":", tok.map(pct), "@", host, path) if scheme != "basic:user" else url
    else:
        hdr[scheme] = tok
    body = None
    if method in ("POST", "PATCH", "PUT"):
        body = pick([lambda: {"to": sec("phone"), "body": cat("Your verification code is ", sec("otp"))},
                     lambda: {"personalizations": [{"to": [{"email": sec("email")}]}], "template_id": K("d-" + rs(32, HEX))},
                     lambda: {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": cat("Summarise the ticket from ", sec("email"),
                                                                                                  ", phone ", sec("phone"))}]},
                     lambda: {"amount": R.randint(100, 90000), "currency": "eur", "customer": K("cus_" + rs(14)),
                              "receipt_email": sec("email"), "metadata": {"order": K(k_order_no())}},
                     lambda: {"event": "order.created", "order_id": K(uuid4())}])()
    return name, method, url, hdr, body, pick([200, 201, 400, 401, 403, 429, 500, 503])

def sql_stmt():
    """(sql, params) where params are labelled values."""
    k = R.randrange(4)
    if k == 0:
        return ("INSERT INTO customers (id, email, phone, date_of_birth, created_at) VALUES ($1, $2, $3, $4, now())",
                [K(uuid4()), sec("email"), sec("phone"), sec("date_of_birth")])
    if k == 1:
        return ("UPDATE users SET password_hash = $1, reset_token = NULL WHERE reset_token = $2",
                [K("$2b$12$" + rs(53, ALNUM + "./")) if chance(0.2) else lab("$argon2id"), sec("reset_token")])
    if k == 2:
        return ("SELECT id, status FROM payment_methods WHERE iban = $1 AND customer_id = $2", [sec("iban"), K(uuid4())])
    return ("SELECT * FROM orders WHERE order_no = $1 AND tracking_no = $2 LIMIT 50", [K(k_order_no()), K(k_tracking())])

LAMBDA_PLATFORM = ["START RequestId: {r} Version: $LATEST", "END RequestId: {r}",
                   "REPORT RequestId: {r}\tDuration: {d}.{f} ms\tBilled Duration: {b} ms\tMemory Size: 512 MB\tMax Memory Used: {m} MB\tInit Duration: 312.45 ms",
                   "INIT_START Runtime Version: {rt}\tRuntime Version ARN: arn:aws:lambda:{reg}::runtime:{h}"]

def platform_line(c, rt):
    tpl = pick(LAMBDA_PLATFORM)
    d = R.randint(2, 900)
    s = tpl.format(r=c.lrid, d=d, f=R.randint(10, 99), b=d + 1, m=R.randint(60, 300), rt=rt, reg=c.region, h=rs(64, HEX))
    line = lab(s)
    for kept in (c.lrid,):
        if kept in s:
            a, b = s.split(kept, 1)
            line = cat(a, K(kept), b)
    return line

def app_message(c, q):
    """(message, structured extras) for an application log statement."""
    k = R.randrange(9)
    if k == 0:
        return lab("Received event"), {"event": proxy_event(c, q)}
    if k >= 7:  # cold-start environment dump with arbitrary variable names
        env = {"AWS_REGION": K(c.region), "TABLE_NAME": c.svc + "-prod", "POWERTOOLS_SERVICE_NAME": c.svc}
        for _ in range(R.randint(1, 2)):
            env[pick(["SYNC_TARGET", "PLUGIN_OPTS", "UPSTREAM_1", "PARTNER_CFG", "FEATURE_SEED", "LEGACY_VALUE", "EXT_A", "BRIDGE"])
                + "_" + rs(2, UP)] = vend()[1]
        if chance(0.3):
            env["IDP_" + pick(["CS", "CLIENT_S", "APP"])] = sec("client_secret")
        return lab("environment"), {"env": env}
    if k == 1:
        name, method, url, hdr, body, st = outbound(c)
        return cat("HTTP ", method, " ", url, " -> ", st), {"request": {"method": method, "url": url, "headers": hdr, "body": body},
                                                            "attempt": R.randint(1, 3)}
    if k == 2:
        sql, params = sql_stmt()
        return lab("query"), {"sql": sql, "params": params, "durationMs": R.randint(1, 400)}
    if k == 3:
        return cat("request failed: ", exc_message(c)), {"requestId": K(c.rid), "path": q.path}
    if k == 4:
        return lab("loaded configuration"), {"config": {"region": K(c.region), "table": c.svc + "-prod",
                                                        "kmsKeyId": K(k_kms(c.region, c.acct)), "bucket": K("acme-%s-%s" % (c.svc, c.acct)),
                                                        "integrations": vendor_obj(), "database": db_url()}}
    if k == 5:
        return lab("headers"), {"headers": {n: v for n, v in q.all_headers()}, "query": {n: v for n, v in q.query}}
    return lab("body"), {"body": q.body_text() if q.body_text() is not None else jd({"note": vendor_blurb()}), "contentType": q.ctype}

# ---------------------------------------------------------------------------
# Layout: Lambda Node.js
# ---------------------------------------------------------------------------
def r_lambda_node(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    k = R.choices(range(8), weights=[4, 3, 3, 3, 3, 2, 1, 2])[0]
    pre = cat(K(c.ts.iso()), "\t", K(c.lrid), "\t")
    if k == 0:  # console.log('event', event) -> util.inspect
        return cat(pre, "INFO\t", pick(["Received event: ", "event ", "EVENT "]), ni(proxy_event(c, q), maxdepth=pick([2, 4])))
    if k == 1:  # JSON.stringify
        msg, extra = app_message(c, q)
        return cat(pre, pick(["INFO", "DEBUG", "WARN"]), "\t", msg, " ", jd(extra))
    if k == 2:  # pino
        msg, extra = app_message(c, q)
        d = {"level": pick([30, 40, 50]), "time": Raw(K(c.ts.epoch_ms())), "pid": R.randint(8, 20), "hostname": K("169.254.%d.%d" % (R.randint(0, 255), R.randint(1, 254))),
             "reqId": K(c.rid)}
        d.update(extra)
        d["msg"] = msg
        return jd(d)
    if k == 3:  # Powertools for AWS Lambda (TypeScript)
        msg, extra = app_message(c, q)
        d = {"level": pick(["INFO", "ERROR", "DEBUG"]), "message": msg, "sampling_rate": 0, "service": c.svc,
             "timestamp": K(c.ts.iso()), "xray_trace_id": K(k_xray()), "cold_start": chance(0.2), "function_arn": K(c.fn_arn()),
             "function_memory_size": "512", "function_name": K(c.fn), "function_request_id": K(c.lrid)}
        d.update(extra)
        return jd(d)
    if k == 4:  # axios error dump
        name, method, url, hdr, body, st = outbound(c)
        cfg = {"method": method.lower(), "url": url, "headers": hdr, "data": jd(body) if body else None, "timeout": 10000}
        return cat(pre, "ERROR\t", "AxiosError: Request failed with status code ", st, " ",
                   ni({"code": "ERR_BAD_REQUEST", "config": cfg, "response": {"status": st, "data": {"error": {"message": pick(
                       ["Invalid API key provided", "rate limited", "unauthorized"])}}}}, maxdepth=3))
    if k == 5:  # Invoke Error
        return cat(pre, "ERROR\tInvoke Error \t", jd({"errorType": pick(["Error", "TypeError", "ValidationError"]),
                                                       "errorMessage": exc_message(c), "stack": [
                                                           "Error: validation failed", "    at handler (file:///var/task/index.mjs:%d:11)" % R.randint(10, 300),
                                                           "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"]}))
    if k == 6:
        return platform_line(c, "nodejs:20.v%d" % R.randint(10, 40))
    # Lambda JSON log format
    msg, extra = app_message(c, q)
    return jd({"timestamp": K(c.ts.iso()), "level": pick(["INFO", "WARN", "ERROR"]), "requestId": K(c.lrid),
               "message": cat(msg, " ", jd(extra))})

# ---------------------------------------------------------------------------
# Layout: Lambda Python
# ---------------------------------------------------------------------------
def r_lambda_python(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    k = R.choices(range(9), weights=[4, 3, 3, 3, 2, 2, 2, 1, 2])[0]
    pre = cat("[", pick(["INFO", "ERROR", "WARNING", "DEBUG"]), "]\t", K(c.ts.iso()), "\t", K(c.lrid), "\t")
    if k == 0:
        return cat(pre, pick(["Received event: ", "event=", "Incoming: "]), pyr(proxy_event(c, q)))
    if k == 1:
        return cat(pre, "Received event: ", jd(proxy_event(c, q), sp=True))
    if k == 2:  # Powertools logger
        msg, extra = app_message(c, q)
        d = {"level": pick(["INFO", "ERROR", "DEBUG"]), "location": "%s:%d" % (pick(["handler", "lambda_handler", "_call_vendor"]), R.randint(10, 300)),
             "message": msg, "timestamp": K("%s %s,%03d+0000" % (c.ts.date(), c.ts.hms(), c.ts.ms)), "service": c.svc,
             "cold_start": chance(0.2), "function_name": K(c.fn), "function_memory_size": "1024",
             "function_arn": K(c.fn_arn()), "function_request_id": K(c.lrid), "correlation_id": K(c.rid), "xray_trace_id": K(k_xray())}
        d.update(extra)
        return jd(d, sp=True)
    if k == 3:  # requests / urllib3 debug
        name, method, url, hdr, body, st = outbound(c)
        if chance(0.5):
            return cat(pre, "send: b'", method, " ", url, " HTTP/1.1\\r\\nHost: x\\r\\n",
                       join("\\r\\n", [cat(n, ": ", v) for n, v in hdr.items()]), "\\r\\n\\r\\n'")
        return cat(pre, "Starting new HTTPS connection (1): ... ", method, " ", url, " headers=", pyr(hdr),
                   " body=", pyr(jd(body, sp=True) if body else None), " status=", st)
    if k == 4:  # botocore response body with SecretString
        sec_obj = {"username": pick(["app", "svc_orders", "admin"]), "password": sec("database_url_password", rs(20, ALNUM)) if not G.clean else K("***"),
                   "host": "orders-db.cluster-%s.%s.rds.amazonaws.com" % (rs(12, LOW + DIG), c.region), "port": 5432}
        if chance(0.5):
            sec_obj["api_key"] = vend()[1]
        resp = jd({"ARN": K("arn:aws:secretsmanager:%s:%s:secret:prod/%s/db-%s" % (c.region, c.acct, c.svc, rs(6))),
                   "Name": "prod/%s/db" % c.svc, "SecretString": jd(sec_obj), "VersionId": K(uuid4()),
                   "VersionStages": ["AWSCURRENT"], "CreatedDate": 1.7e9})
        return cat(pre, "Response body: b'", resp.map(lambda s: s.replace("\\", "\\\\")), "'")
    if k == 5:  # traceback in the JSON error record
        m = exc_message(c)
        return jd({"errorMessage": m, "errorType": pick(["ValueError", "ClientError", "IntegrityError", "HTTPError"]),
                   "requestId": K(c.lrid), "stackTrace": ["  File \"/var/task/app.py\", line %d, in lambda_handler\n    return process(event)\n" % R.randint(10, 99),
                                                          cat("  File \"/var/task/service.py\", line 57, in process\n    raise ValueError(f\"", m, "\")\n")]}, sp=True)
    if k == 6:  # SQLAlchemy echo
        sql, params = sql_stmt()
        names = ["p%d" % i for i in range(len(params))]
        sql2 = re.sub(r"\$(\d)", lambda m: "%%(p%d)s" % (int(m.group(1)) - 1), sql)
        return cat(pre, "sqlalchemy.engine.Engine [generated in 0.00%d1s] " % R.randint(1, 9), pyr({n: p for n, p in zip(names, params)}),
                   " -- ", sql2)
    if k == 7:
        return platform_line(c, "python:3.12.v%d" % R.randint(10, 40))
    msg, extra = app_message(c, q)
    return cat(pre, msg, " ", pyr(extra))

# ---------------------------------------------------------------------------
# Layout: Lambda Java
# ---------------------------------------------------------------------------
def java_event(c, q):
    f = {"resource": K(q.resource), "path": q.path, "httpMethod": q.method,
         "headers": {n: v for n, v in q.all_headers()}, "queryStringParameters": {n: v for n, v in q.query} or None,
         "pathParameters": q.path_params or None,
         "requestContext": Obj("ProxyRequestContext", {"accountId": K(c.acct), "stage": K(c.stage), "resourceId": rs(6, LOW + DIG),
                                                       "requestId": K(c.rid), "identity": Obj("RequestIdentity", {"sourceIp": K(c.ip), "userAgent": K(c.ua)}),
                                                       "resourcePath": K(q.resource), "httpMethod": q.method, "apiId": K(c.api_id)}),
         "body": q.body_text(), "isBase64Encoded": q.b64}
    return Obj("APIGatewayProxyRequestEvent", f)

def r_lambda_java(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    k = R.choices(range(7), weights=[3, 3, 3, 2, 2, 2, 1])[0]
    pre = cat(K("%s %s" % (c.ts.date(), c.ts.hms())), " ", K(c.lrid), " ", pick(["INFO ", "ERROR", "WARN ", "DEBUG"]), " ",
              pick(["c.e.orders.Handler", "com.example.api.PaymentHandler", "c.e.k.KycFunction"]), " - ")
    if k == 0:
        return cat(pre, "Received ", jt(java_event(c, q)))
    if k == 1:  # logback JSON (logstash encoder)
        msg, extra = app_message(c, q)
        st = None
        if chance(0.4):
            st = cat("com.example.api.ValidationException: ", exc_message(c),
                     "\n\tat com.example.api.PaymentHandler.handleRequest(PaymentHandler.java:%d)\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)" % R.randint(30, 300))
        d = {"@timestamp": K(c.ts.iso()), "@version": "1", "message": cat(msg, " ", jt(extra)), "logger_name": "com.example.api.Handler",
             "thread_name": "main", "level": pick(["INFO", "ERROR"]), "level_value": 20000, "AWSRequestId": K(c.lrid)}
        if st is not None:
            d["stack_trace"] = st
        return jd(d)
    if k == 2:  # Apache HttpClient wire log
        name, method, url, hdr, body, st = outbound(c)
        ln = cat(pre.unlabel(), "http-outgoing-%d >> \"" % R.randint(0, 9), method, " ", url, " HTTP/1.1[\\r][\\n]\"")
        for n, v in hdr.items():
            ln = ln + cat(" http-outgoing-0 >> \"", n, ": ", v, "[\\r][\\n]\"")
        if body:
            ln = ln + cat(" http-outgoing-0 >> \"", jd(body), "\"")
        return ln
    if k == 3:  # Hibernate parameter binding
        sql, params = sql_stmt()
        out = cat(pre, "org.hibernate.SQL - ", re.sub(r"\$\d", "?", sql))
        for i, p in enumerate(params, 1):
            out = out + cat(" | binding parameter (", i, ":VARCHAR) <- [", p, "]")
        return out
    if k == 4:  # Spring RestClient exception with a quoted response body
        name, method, url, hdr, body, st = outbound(c)
        return cat(pre, "org.springframework.web.client.HttpClientErrorException$Unauthorized: 401 Unauthorized on ", method,
                   " request for \"", url, "\": \"", jd({"error": {"message": cat("Incorrect API key provided: ", vend()[1])}}), "\"")
    if k == 5:
        return cat(pre, "java.lang.IllegalArgumentException: ", exc_message(c), " at com.example.api.Validator.check(Validator.java:88)")
    return platform_line(c, "java:21.v%d" % R.randint(10, 40))

# ---------------------------------------------------------------------------
# Layout: Lambda Go
# ---------------------------------------------------------------------------
def go_event(c, q):
    hs = {n: v for n, v in q.all_headers()}
    return Obj("APIGatewayProxyRequest", {
        "Resource": K(q.resource), "Path": q.path, "HTTPMethod": q.method, "Headers": hs,
        "MultiValueHeaders": {n: [v] for n, v in hs.items()} if chance(0.3) else {},
        "QueryStringParameters": {n: v for n, v in q.query}, "PathParameters": q.path_params, "StageVariables": {},
        "RequestContext": Obj("APIGatewayProxyRequestContext", {"AccountID": K(c.acct), "ResourceID": rs(6, LOW + DIG),
                                                               "Stage": K(c.stage), "RequestID": K(c.rid),
                                                               "Identity": Obj("APIGatewayRequestIdentity", {"SourceIP": K(c.ip), "UserAgent": K(c.ua)}),
                                                               "ResourcePath": K(q.resource), "HTTPMethod": q.method, "APIID": K(c.api_id)}),
        "Body": q.body_text() if q.body_text() is not None else "", "IsBase64Encoded": q.b64})

def r_lambda_go(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    k = R.choices(range(7), weights=[3, 3, 3, 2, 2, 2, 1])[0]
    if k == 0:
        return cat(K("%04d/%02d/%02d %s" % (c.ts.y, c.ts.mo, c.ts.d, c.ts.hms())), " event: ", gv(go_event(c, q), ptr=chance(0.5)))
    if k == 1:  # encoding/json of the event (HTML-safe escaping)
        return cat(K("%04d/%02d/%02d %s" % (c.ts.y, c.ts.mo, c.ts.d, c.ts.hms())), " request ", jd(proxy_event(c, q), esc=goesc))
    if k == 2:  # zap production JSON
        msg, extra = app_message(c, q)
        d = {"level": pick(["info", "error", "warn"]), "ts": Raw("%d.%06d" % (c.ts.t, R.randint(0, 999999))), "caller": "handler/main.go:%d" % R.randint(20, 400),
             "msg": msg, "aws_request_id": K(c.lrid)}
        d.update(extra)
        return jd(d)
    if k == 3:  # url.Error from net/http
        name, method, url, hdr, body, st = outbound(c)
        url = url + cat("?", pick(["token", "key", "sig"]), "=", vend()[1]) if chance(0.4) else url
        return cat(K(c.ts.iso(ms=False)), " ERROR ", method.title(), " \"", url, "\": ", pick(
            ["context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "dial tcp 203.0.113.9:443: connect: connection refused",
             "net/http: TLS handshake timeout"]))
    if k == 4:  # slog JSON with an http.Header map printed via %v
        name, method, url, hdr, body, st = outbound(c)
        return jd({"time": K(c.ts.iso()), "level": "DEBUG", "msg": "outbound request", "method": method, "url": url,
                   "header": gv({n: [v] for n, v in hdr.items()}), "status": st}, esc=goesc)
    if k == 5:
        return cat(K(c.ts.iso(ms=False)), " panic: ", exc_message(c), " [recovered] goroutine ", R.randint(20, 400), " [running]")
    return platform_line(c, "provided:al2023.v%d" % R.randint(10, 60))

# ---------------------------------------------------------------------------
# Layout: Lambda .NET
# ---------------------------------------------------------------------------
def r_lambda_dotnet(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    k = R.choices(range(7), weights=[3, 3, 3, 2, 2, 2, 1])[0]
    pre = cat(K(c.ts.iso()), "\t", K(c.lrid), "\t", pick(["info", "fail", "warn", "dbug"]), "\t")
    if k == 0:  # System.Text.Json serialised event
        return cat(pre, "Request: ", jd(proxy_event(c, q), esc=netesc))
    if k == 1:  # Serilog compact JSON
        msg, extra = app_message(c, q)
        d = {"@t": K(c.ts.iso()), "@mt": cat(msg, " {@Payload}"), "@l": pick(["Information", "Error", "Warning"]),
             "Payload": extra, "SourceContext": "Acme.%s.Functions.Handler" % c.svc.title(), "AwsRequestId": K(c.lrid)}
        return jd(d, esc=netesc)
    if k == 2:  # IHttpClientFactory logging
        name, method, url, hdr, body, st = outbound(c)
        return cat(pre, "System.Net.Http.HttpClient.", name.title().replace("_", ""), ".LogicalHandler[100] Start processing HTTP request ",
                   method, " ", url, " ", jt({n: v for n, v in hdr.items()}))
    if k == 3:  # EF Core with EnableSensitiveDataLogging
        sql, params = sql_stmt()
        ps = join(", ", [cat("@p%d='" % i, p, "'", " (Size = 4000)" if i % 2 else "") for i, p in enumerate(params)])
        return cat(pre, "Microsoft.EntityFrameworkCore.Database.Command[20101] Executed DbCommand (", R.randint(1, 90), "ms) [Parameters=[",
                   ps, "], CommandType='Text', CommandTimeout='30'] ", re.sub(r"\$(\d)", lambda m: "@p%d" % (int(m.group(1)) - 1), sql))
    if k == 4:
        return cat(pre, "System.InvalidOperationException: ", exc_message(c), " at Acme.Functions.Handler.FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context)")
    if k == 5:  # Lambda JSON log format from ILambdaLogger
        msg, extra = app_message(c, q)
        return jd({"timestamp": K(c.ts.iso()), "level": pick(["Information", "Error"]), "requestId": K(c.lrid),
                   "traceId": K(k_trace_hdr()), "message": cat(msg, " ", jd(extra, esc=netesc))}, esc=netesc)
    return platform_line(c, "dotnet:8.v%d" % R.randint(10, 40))

# ---------------------------------------------------------------------------
# Delivery wrappers: CloudWatch Logs subscription, Firehose HTTP endpoint, S3 export
# ---------------------------------------------------------------------------
INNER = None  # filled below: renderers usable as inner lines

def inner_line(c):
    fn, group = pick(INNER)
    return fn(c), group.format(api=c.api_id, stage=c.stage, fn=c.fn)

def r_cwl(c=None, q=None):
    c = c or Ctx()
    if chance(0.1):
        return jd({"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
                   "subscriptionFilters": [], "logEvents": [{"id": K(rs(56, DIG)), "timestamp": Raw(K(c.ts.epoch_ms())),
                                                             "message": "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]})
    n = R.choice([1, 1, 2, 3])
    evs, group = [], None
    for _ in range(n):
        line, g = inner_line(c)
        group = group or g
        evs.append({"id": K(rs(56, DIG)), "timestamp": Raw(K(c.ts.epoch_ms() + R.randint(0, 900))), "message": line})
    d = {"messageType": "DATA_MESSAGE", "owner": K(c.acct), "logGroup": K(group),
         "logStream": K(pick([rs(32, HEX), "%s/[$LATEST]%s" % (c.ts.date().replace("-", "/"), rs(32, HEX))])),
         "subscriptionFilters": [pick(["to-siem", "central-logging", "cwl-to-kinesis"])], "logEvents": evs}
    if chance(0.3):
        d["policyLevel"] = "ACCOUNT_LEVEL_POLICY"
    if chance(0.35):  # as printed by a Kinesis consumer that decoded the record
        return cat("decoded kinesis record seq=", K(rs(56, DIG)), " partitionKey=", K(rs(32, HEX)), " payload=", jd(d))
    return jd(d)

def r_firehose(c=None, q=None):
    c = c or Ctx()
    k = R.randrange(4)
    recs = []
    for _ in range(R.randint(1, 3)):
        line, _g = inner_line(c)
        recs.append({"data": b64_of(line + "\n")})
    body = {"requestId": K(uuid4()), "timestamp": Raw(K(c.ts.epoch_ms())), "records": recs}
    if k == 0:
        return jd(body)
    if k == 1:  # the receiving endpoint logs headers and body
        return jd({"method": "POST", "path": "/firehose/ingest", "headers": {
            "X-Amz-Firehose-Protocol-Version": "1.0", "X-Amz-Firehose-Request-Id": K(body["requestId"].text),
            "X-Amz-Firehose-Source-Arn": K("arn:aws:firehose:%s:%s:deliverystream/%s-logs" % (c.region, c.acct, c.svc)),
            "X-Amz-Firehose-Access-Key": sec("api_key"), "X-Amz-Firehose-Common-Attributes": jd({"commonAttributes": {"env": c.stage}}),
            "Content-Type": "application/json"}, "body": body})
    if k == 2:  # error reply logged by the delivery stream destination error log
        return jd({"deliveryStreamARN": K("arn:aws:firehose:%s:%s:deliverystream/%s-logs" % (c.region, c.acct, c.svc)),
                   "destination": "https://logs.example.com/firehose/ingest", "deliveryStreamVersionId": R.randint(1, 9),
                   "message": cat("The response received from the endpoint is invalid. See Troubleshooting HTTP Endpoints. Request body: ", jd(body)),
                   "errorCode": "HttpEndpoint.InvalidResponseFromDestination", "processor": None})
    return cat(K(c.ts.iso()), " INFO firehose-receiver accepted ", len(recs), " records ", jd(body, sp=True))

def r_s3_export(c=None, q=None):
    c = c or Ctx()
    line, _g = inner_line(c)
    return cat(K(c.ts.iso()), " ", line)

# ---------------------------------------------------------------------------
# Layouts sharing the front door: ALB, CloudFront, WAF
# ---------------------------------------------------------------------------
def r_alb(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c, ["sc_get", "sc_reset", "sc_presign", "sc_lookup", "sc_ws", "sc_health", "sc_callback"])
    tg = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s-tg/%s" % (c.region, c.acct, c.svc, rs(16, HEX))
    lam = chance(0.3)
    url = cat("https://", c.domain, ":443", q.full_path())
    redirect = cat('"', "https://login.example.com/authorize?login_hint=", sec("email").map(pct), '"') if chance(0.2) else lab('"-"')
    ua = K(c.ua) if chance(0.8) else cat(c.ua.split(" ")[0], " (token ", vend()[1], ")")
    return cat(pick(["https", "h2", "http"]), " ", K(c.ts.iso(ms=False).replace("Z", ".%06dZ" % R.randint(0, 999999))), " ",
               K("app/%s-alb/%s" % (c.svc, rs(16, HEX))), " ", K("%s:%d" % (c.ip, R.randint(1024, 65000))), " ",
               "-" if lam else K("10.0.%d.%d:8080" % (R.randint(0, 255), R.randint(1, 254))), " ",
               "0.%03d 0.%03d 0.000 " % (R.randint(0, 9), R.randint(1, 900)), K(c.status), " ", K(c.status), " ",
               R.randint(100, 5000), " ", R.randint(100, 90000), ' "', q.method, " ", url, ' HTTP/1.1" "', ua, '" ',
               "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ", K(tg), ' "', K(c.trace.split(";")[0]), '" "', K(c.domain), '" "',
               K("arn:aws:acm:%s:%s:certificate/%s" % (c.region, c.acct, uuid4())), '" ', R.randint(1, 50000), " ",
               K(c.ts.iso(ms=False)), ' "', pick(["forward", "waf,forward", "authenticate,forward", "redirect"]), '" ', redirect,
               ' "-" "', "-" if lam else K("10.0.1.%d:8080" % R.randint(1, 254)), '" "', K(c.status), '" "-" "-" ',
               K("TID_" + rs(32, HEX)))

def r_cloudfront(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c, ["sc_get", "sc_reset", "sc_presign", "sc_lookup", "sc_health", "sc_login", "sc_callback"])
    dist = "d%s.cloudfront.net" % rs(13, LOW + DIG)
    query = q.qs() if q.query else lab("-")
    ck = q.cookie_header().map(cf_enc) if q.cookies else (cat("session=", sec("session_cookie")) if chance(0.3) else lab("-"))
    ref = cat("https://app.example.com/account?email=", sec("email").map(pct)) if chance(0.2) else lab("-")
    edge = K(rs(40, B64U) + "==")
    if chance(0.3):  # real-time log: selected fields, tab separated, epoch first
        return join("\t", [K("%d.%03d" % (c.ts.t, c.ts.ms)), K(c.ip), lab(str(R.randint(5, 900))), K(c.status), lab(str(R.randint(200, 90000))),
                           lab(q.method), lab("https"), K(c.domain), q.path, lab(str(R.randint(100, 3000))),
                           lab(pick(["FRA56-P3", "LHR61-C1", "IAD89-P2"])), edge, K(c.ip), lab("0.0%d" % R.randint(10, 99)), lab("HTTP/2.0"),
                           lab("IPv4"), K(c.ua).map(cf_enc), ref, ck, query, lab("Miss")])
    return join("\t", [K(c.ts.date()), K(c.ts.hms()), lab(pick(["FRA56-P3", "LHR61-C1", "IAD89-P2", "GRU1-C2"])), lab(str(R.randint(300, 90000))),
                       K(c.ip), lab(q.method), K(dist), q.path, K(c.status), ref, K(c.ua).map(cf_enc), query, ck,
                       lab(pick(["Miss", "Hit", "RefreshHit", "Error"])), edge, K(c.domain), lab("https"), lab(str(R.randint(100, 3000))),
                       lab("0.%03d" % R.randint(1, 999)), lab("-"), lab("TLSv1.3"), lab("TLS_AES_128_GCM_SHA256"), lab("Miss"), lab("HTTP/2.0"),
                       lab("-"), lab("-"), lab(str(R.randint(1024, 65000))), lab("0.%03d" % R.randint(1, 999)), lab("Miss"),
                       lab("application/json"), lab(str(R.randint(20, 9000))), lab("-"), lab("-")])

def r_waf(c=None, q=None):
    c = c or Ctx()
    q = q or scenario(c)
    src = pick(["APIGW", "ALB", "CF", "APPSYNC", "COGNITOIDP"])
    hdrs = []
    for n, v in q.all_headers():
        if chance(0.25) and n.lower() in ("authorization", "cookie", "x-api-key"):
            v = K("REDACTED")
        hdrs.append({"name": n, "value": v})
    d = {"timestamp": Raw(K(c.ts.epoch_ms())), "formatVersion": 1,
         "webaclId": K("arn:aws:wafv2:%s:%s:regional/webacl/%s-acl/%s" % (c.region, c.acct, c.svc, uuid4())),
         "terminatingRuleId": pick(["AWS-AWSManagedRulesSQLiRuleSet", "Default_Action", "RateLimit-Login", "AWS-AWSManagedRulesCommonRuleSet"]),
         "terminatingRuleType": pick(["MANAGED_RULE_GROUP", "REGULAR", "RATE_BASED"]), "action": pick(["ALLOW", "BLOCK", "COUNT", "CAPTCHA"]),
         "terminatingRuleMatchDetails": [], "httpSourceName": src,
         "httpSourceId": K("%s:%s:%s" % (c.acct, c.api_id, c.stage)), "ruleGroupList": [], "rateBasedRuleList": [],
         "nonTerminatingMatchingRules": [], "requestHeadersInserted": None, "responseCodeSent": None,
         "httpRequest": {"clientIp": K(c.ip), "country": pick(["DE", "US", "PT", "BR", "JP", "GB"]), "headers": hdrs,
                         "uri": q.path, "args": q.qs() if q.query else "", "httpVersion": "HTTP/1.1", "httpMethod": q.method,
                         "requestId": K(c.xrid if src == "APIGW" else rs(40, B64U) + "==")},
         "labels": [{"name": "awswaf:managed:aws:%s" % pick(["core-rule-set:SizeRestrictions_Body", "sql-database:SQLi_Body",
                                                              "anonymous-ip-list:HostingProviderIPList", "bot-control:signal:non_browser_user_agent"])}],
         "ja3Fingerprint": K(k_ja3())}
    if chance(0.5):
        d["ja4Fingerprint"] = K(k_ja4())
    if chance(0.4) and q.body_text() is not None and not q.b64:  # SQLi match details quote the matched tokens
        pw = sec("password")
        d["terminatingRuleMatchDetails"] = [{"conditionType": "SQL_INJECTION", "sensitivityLevel": "HIGH", "location": "BODY",
                                             "matchedData": [pw, "OR", "1=1", "--"]}]
    return jd(d)

# ---------------------------------------------------------------------------
# Layout: Cognito user-pool triggers (event dumps from the trigger Lambda)
# ---------------------------------------------------------------------------
def r_cognito(c=None, q=None):
    c = c or Ctx()
    pool = "%s_%s" % (c.region, rs(9, ALNUM))
    trig = pick(["PreSignUp_SignUp", "PostConfirmation_ConfirmSignUp", "CustomMessage_ForgotPassword", "UserMigration_Authentication",
                 "CreateAuthChallenge_Authentication", "VerifyAuthChallengeResponse_Authentication", "TokenGeneration_HostedAuth",
                 "PreAuthentication_Authentication", "CustomMessage_SignUp"])
    em = sec("email")
    attrs = {"sub": uuid4(), "email_verified": "true", "cognito:user_status": "CONFIRMED", "email": em}
    if chance(0.6):
        attrs["phone_number"] = sec("phone", g_phone().replace(" ", "").replace("(", "+1").replace(")", "").replace("-", ""))
    if chance(0.4):
        attrs["birthdate"] = sec("date_of_birth")
    if chance(0.3):
        attrs["address"] = sec("street_address")
    req = {"userAttributes": attrs}
    if trig.startswith("CustomMessage"):
        req.update({"codeParameter": K("{####}"), "linkParameter": K("{##Click Here##}"), "usernameParameter": None})
    elif trig == "UserMigration_Authentication":
        req = {"password": sec("password"), "validationData": None, "userAttributes": None}
    elif trig.startswith("CreateAuthChallenge"):
        req.update({"challengeName": "CUSTOM_CHALLENGE", "session": []})
    elif trig.startswith("VerifyAuthChallenge"):
        req.update({"privateChallengeParameters": {"answer": sec("otp")}, "challengeAnswer": sec("otp"), "userNotFound": False})
    elif trig.startswith("PreSignUp") or trig.startswith("PreAuth"):
        req["validationData"] = {"recaptchaToken": K(k_masked()), "inviteCode": sec("reset_token")} if chance(0.5) else None
        if chance(0.3):
            req["clientMetadata"] = {"referrer": vend()[1]}
    resp = {}
    if trig.startswith("CreateAuthChallenge"):
        otp = sec("otp")
        resp = {"publicChallengeParameters": {"phone": K("+*******" + rs(4, DIG))}, "privateChallengeParameters": {"answer": otp},
                "challengeMetadata": cat("CODE-", otp)}
    elif trig.startswith("CustomMessage"):
        resp = {"smsMessage": None, "emailMessage": None, "emailSubject": None}
    ev = {"version": "1", "region": K(c.region), "userPoolId": K(pool), "userName": pick([uuid4(), em]),
          "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": K(rs(26, LOW + DIG))},
          "triggerSource": trig, "request": req, "response": resp}
    style = R.randrange(3)
    if style == 0:
        return cat(K(c.ts.iso()), "\t", K(c.lrid), "\tINFO\t", ni(ev, maxdepth=3))
    if style == 1:
        return cat("[INFO]\t", K(c.ts.iso()), "\t", K(c.lrid), "\tTrigger event: ", pyr(ev))
    return jd({"level": "INFO", "message": "cognito trigger", "service": "auth-triggers", "timestamp": K(c.ts.iso()),
               "function_request_id": K(c.lrid), "event": ev}, sp=True)

# ---------------------------------------------------------------------------
# Layout: AppSync request/resolver logs
# ---------------------------------------------------------------------------
def r_appsync(c=None, q=None):
    c = c or Ctx()
    api = rs(26, LOW + DIG)
    rid = uuid4()
    k = R.randrange(5)
    field = pick(["createUser", "updatePaymentMethod", "verifyPhone", "addAddress", "getOrder"])
    args = {"input": {"id": K(uuid4()), pick(["email", "contactEmail"]): sec("email")}}
    if field == "updatePaymentMethod":
        args["input"]["iban"] = sec("iban")
    elif field == "verifyPhone":
        args["input"].update({"phone": sec("phone"), "code": sec("otp")})
    elif field == "addAddress":
        args["input"]["address"] = sec("street_address")
    ident = {"sub": uuid4(), "issuer": "https://cognito-idp.%s.amazonaws.com/%s_%s" % (c.region, c.region, rs(9)),
             "username": uuid4(), "sourceIp": [K(c.ip)], "defaultAuthStrategy": "ALLOW",
             "claims": {"email": sec("email"), "token_use": "id", "auth_time": Clock.t - 60}}
    base = {"requestId": K(rid), "graphQLAPIId": K(api), "fieldName": field, "parentType": "Mutation",
            "resolverArn": K("arn:aws:appsync:%s:%s:apis/%s/types/Mutation/resolvers/%s" % (c.region, c.acct, api, field)),
            "path": [field]}
    if k == 0:
        tmpl = jd({"version": "2018-05-29", "operation": "PutItem", "key": {"id": {"S": K(uuid4())}},
                   "attributeValues": {n: {"S": v} for n, v in args["input"].items() if n != "id"}})
        base.update({"logType": "RequestMapping", "context": {"arguments": args, "stash": {}, "source": None, "identity": ident},
                     "fieldInError": False, "errors": [], "transformedTemplate": tmpl})
    elif k == 1:
        base.update({"logType": "ResponseMapping", "context": {"arguments": args, "result": {"id": K(uuid4()), "resetToken": sec("reset_token")}},
                     "fieldInError": False, "errors": []})
    elif k == 2:
        v = sec(pick(["ssn", "phone", "credit_card"]))
        base.update({"logType": "RequestMapping", "fieldInError": True, "errors": [cat(
            "Validation error of type WrongType: argument 'input.phone' with value 'StringValue{value='", v, "'}' is not a valid 'AWSPhone'")]})
    elif k == 3:
        base = {"logType": "RequestSummary", "requestId": K(rid), "graphQLAPIId": K(api), "statusCode": int(pick(["200", "401"])),
                "latency": R.randint(1000000, 90000000), "authorizationType": pick(["API_KEY", "AMAZON_COGNITO_USER_POOLS", "AWS_LAMBDA"])}
        if base["authorizationType"] == "AWS_LAMBDA":
            base["authorizationToken"] = vend()[1]
        if chance(0.5):
            base["requestHeaders"] = {"host": K("%s.appsync-api.%s.amazonaws.com" % (api, c.region)), "x-api-key": sec("api_key", "da2-" + rs(26, LOW + DIG))}
    else:
        em, pw = sec("email"), sec("password")
        base = {"logType": "GraphQLQuery", "requestId": K(rid), "graphQLAPIId": K(api),
                "query": cat('mutation { signUp(email: "', em, '", password: "', pw, '", dob: "', sec("date_of_birth"), '") { id } }'),
                "variables": {}}
    return jd(base)

INNER = [(lambda c: r_json_access(c), "API-Gateway-Access-Logs_{api}/{stage}"),
         (lambda c: r_text_access(c), "/aws/apigateway/{api}/{stage}/access"),
         (lambda c: r_execution(c), "API-Gateway-Execution-Logs_{api}/{stage}"),
         (lambda c: r_lambda_node(c), "/aws/lambda/{fn}"),
         (lambda c: r_lambda_python(c), "/aws/lambda/{fn}"),
         (lambda c: r_lambda_go(c), "/aws/lambda/{fn}"),
         (lambda c: r_cognito(c), "/aws/lambda/{fn}")]
RENDER = {"apigw_json_access": r_json_access, "apigw_text_access": r_text_access, "apigw_execution": r_execution,
          "cwl_subscription": r_cwl, "firehose_http": r_firehose, "s3_export": r_s3_export, "lambda_node": r_lambda_node,
          "lambda_python": r_lambda_python, "lambda_java": r_lambda_java, "lambda_go": r_lambda_go,
          "lambda_dotnet": r_lambda_dotnet, "alb": r_alb, "cloudfront": r_cloudfront, "waf": r_waf,
          "cognito_trigger": r_cognito, "appsync": r_appsync}

# ---------------------------------------------------------------------------
# Records, self-checks, statistics
# ---------------------------------------------------------------------------
FIELDS = ["id", "layout", "line", "secrets", "kinds", "keep"]
JSON_LAYOUTS = {"apigw_json_access", "waf", "appsync"}
STATS = {"redraw_no_secret": 0, "redraw_no_keep": 0, "redraw_copy": 0, "redraw_abort": 0,
         "keeps_dropped": 0, "topup": 0}

def occurrences(line, s):
    out, i = [], line.find(s)
    while i >= 0:
        out.append(i)
        i = line.find(s, i + 1)
    return out

def label(t):
    """(line, secrets, kinds, keeps, inserted secret spans) from labelled text."""
    line, pos, spans = t.text, 0, []
    secrets, kinds, keeps = [], [], []
    for text, role, kind in t.parts:
        if role == "s":
            spans.append((pos, pos + len(text), text))
            if text not in secrets:
                secrets.append(text)
                kinds.append(kind)
            elif kinds[secrets.index(text)] != kind:
                raise Abort("kind")
        elif role == "k" and len(text) >= 3 and text not in keeps:
            keeps.append(text)
        pos += len(text)
    return line, secrets, kinds, keeps, spans

def accidental_copies(line, secrets, spans):
    for s in secrets:
        for p in occurrences(line, s):
            if any(a == p and b == p + len(s) and v == s for a, b, v in spans):
                continue
            if any(a <= p and p + len(s) <= b and len(v) > len(s) for a, b, v in spans):
                continue
            return s
    return None

def keep_conflicts(line, keep, secrets):
    if any(s in keep for s in secrets):
        return True
    sec_iv = [(p, p + len(s)) for s in secrets for p in occurrences(line, s)]
    return any(p < b and a < p + len(keep) for p in occurrences(line, keep) for a, b in sec_iv)

def check_record(rec, spans=None):
    def bad(msg):
        raise SystemExit(die("%s: %s" % (rec.get("id"), msg)))
    if list(rec) != FIELDS:
        bad("fields")
    lay = rec["layout"]
    if lay not in RENDER or not re.fullmatch(r"h7-%s-\d{4}" % re.escape(lay), rec["id"]):
        bad("id/layout")
    line = rec["line"]
    if "\r" in line or "\n" in line or len(line.encode("utf-8")) > MAX_LINE:
        bad("CR/LF or size")
    sc, kd, kp = rec["secrets"], rec["kinds"], rec["keep"]
    if len(sc) != len(kd) or len(set(sc)) != len(sc) or len(set(kp)) != len(kp) or not kp:
        bad("list shape")
    for k in kd:
        if not re.fullmatch(r"[a-z0-9_]+|vendor:[a-z0-9_]+", k):
            bad("kind %r" % k)
    for s in sc:
        if len(s) < 6 or s != s.strip() or s not in line:
            bad("secret %r" % s)
    for k in kp:
        if len(k) < 3 or k not in line:
            bad("keep %r" % k)
        if keep_conflicts(line, k, sc):
            bad("keep %r overlaps a secret" % k)
    if spans is not None and accidental_copies(line, sc, spans):
        bad("accidental copy")
    if lay in JSON_LAYOUTS or line.startswith("{"):
        try:
            if not isinstance(json.loads(line), dict):
                bad("JSON not an object")
        except ValueError as e:
            bad("JSON does not parse: %s" % e)

def build(layout, clean, render=None):
    for _ in range(300):
        G.vendor_pending = []
        forced = G.forced_vendor
        G.clean = clean
        try:
            t = (render or RENDER[layout])()
            line, secrets, kinds, keeps, spans = label(t)
        except Abort:
            STATS["redraw_abort"] += 1
            G.forced_vendor = forced
            continue
        finally:
            G.clean = False
        reason = None
        if clean and secrets:
            die("clean record produced a secret in " + layout)
        if not clean and not secrets:
            reason = "redraw_no_secret"
        elif forced and not any(k == "vendor:" + forced for k in kinds):
            reason = "redraw_no_secret"
        elif accidental_copies(line, secrets, spans):
            reason = "redraw_copy"
        else:
            good = [k for k in keeps if not keep_conflicts(line, k, secrets)]
            STATS["keeps_dropped"] += len(keeps) - len(good)
            keeps = good
            if not keeps:
                reason = "redraw_no_keep"
        if reason:
            STATS[reason] += 1
            G.forced_vendor = forced
            continue
        for k in kinds:
            if k.startswith("vendor:"):
                G.vendor_used[k[7:]] = G.vendor_used.get(k[7:], 0) + 1
        return {"layout": layout, "line": line, "secrets": secrets, "kinds": kinds, "keep": keeps}, spans
    die("no valid draw for %s after 300 attempts" % layout)

def topup_render(vendor):
    def render():
        G.forced_vendor = vendor
        c = Ctx()
        pre = cat("[INFO]\t", K(c.ts.iso()), "\t", K(c.lrid), "\t")
        return cat(pre, "loaded configuration ", pyr({"region": K(c.region), "integrations": vendor_obj(),
                                                      "kmsKeyId": K(k_kms(c.region, c.acct))}))
    return render

def generate():
    records, spans_all = [], []
    for layout, n in LAYOUTS:
        clean_idx = set(R.sample(range(n), n // 5))
        for i in range(n):
            rec, spans = build(layout, i in clean_idx)
            records.append(rec)
            spans_all.append(spans)
    # vendor top-up: rebuild lambda_python records without a vendor label
    counts = vendor_counts(records)
    need = [v for v in VENDORS if counts.get(v, 0) < 3]
    cands = [i for i, r in enumerate(records) if r["layout"] == "lambda_python" and r["secrets"]
             and not any(k.startswith("vendor:") for k in r["kinds"])]
    for v in need:
        for _ in range(3 - counts.get(v, 0)):
            if not cands:
                die("no record left for vendor top-up")
            i = cands.pop()
            records[i], spans_all[i] = build("lambda_python", False, topup_render(v))
            STATS["topup"] += 1
    out = []
    for n, (rec, spans) in enumerate(zip(records, spans_all), 1):
        rec = dict([("id", "h7-%s-%04d" % (rec["layout"], n))] + list(rec.items()))
        check_record(rec, spans)
        out.append(rec)
    return out

def vendor_counts(records):
    counts = {}
    for r in records:
        for k in r["kinds"]:
            if k.startswith("vendor:"):
                counts[k[7:]] = counts.get(k[7:], 0) + 1
    return counts

def corpus_checks(records):
    if len(records) != sum(n for _, n in LAYOUTS) or len({r["id"] for r in records}) != len(records):
        die("record count or duplicate ids")
    for layout, n in LAYOUTS:
        rs_ = [r for r in records if r["layout"] == layout]
        if len(rs_) != n or sum(1 for r in rs_ if not r["secrets"]) != n // 5:
            die("layout %s: count or clean share" % layout)
    vc = vendor_counts(records)
    if len(vc) < 40 or min(vc.get(v, 0) for v in VENDORS) < 3:
        die("vendor coverage: %d vendors, min %d" % (len(vc), min(vc.get(v, 0) for v in VENDORS)))

def serialise(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)

def main():
    records = generate()
    corpus_checks(records)
    data = serialise(records)
    digest = hashlib.sha256(data.encode("utf-8")).hexdigest()
    if "--hash-only" in sys.argv:
        print(digest)
        return
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(data)
    with open(tmp, encoding="utf-8") as fh:
        back = [json.loads(ln) for ln in fh]
    if back != records:
        os.remove(tmp)
        die("read-back differs")
    for r in back:
        check_record(r)
    if "--no-hashseed-check" not in sys.argv:  # same bytes under other PYTHONHASHSEED values
        import subprocess
        for hs in ("1", "7"):
            env = dict(os.environ, PYTHONHASHSEED=hs)
            other = subprocess.run([sys.executable, os.path.abspath(__file__), "--hash-only"], env=env,
                                   capture_output=True, text=True).stdout.strip()
            if other != digest:
                os.remove(tmp)
                die("output differs with PYTHONHASHSEED=%s" % hs)
    os.replace(tmp, OUT)
    report(records, digest)

def report(records, digest):
    print("%-20s %6s %6s %8s %6s" % ("layout", "n", "clean", "secrets", "keeps"))
    for layout, n in LAYOUTS:
        rs_ = [r for r in records if r["layout"] == layout]
        print("%-20s %6d %6d %8d %6d" % (layout, n, sum(1 for r in rs_ if not r["secrets"]),
                                         sum(len(r["secrets"]) for r in rs_), sum(len(r["keep"]) for r in rs_)))
    ns = sum(len(r["secrets"]) for r in records)
    nk = sum(len(r["keep"]) for r in records)
    print("records %d, clean %d, secrets %d, keeps %d" % (len(records), sum(1 for r in records if not r["secrets"]), ns, nk))
    kinds = {}
    for r in records:
        for k in r["kinds"]:
            k = "vendor:*" if k.startswith("vendor:") else k
            kinds[k] = kinds.get(k, 0) + 1
    print("kinds: " + ", ".join("%s %d" % kv for kv in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))))
    vc = vendor_counts(records)
    print("vendors (%d): %s" % (len(vc), ", ".join("%s %d" % (v, vc[v]) for v in sorted(vc))))
    print("generator: " + ", ".join("%s %d" % kv for kv in STATS.items()))
    print("max line bytes %d" % max(len(r["line"].encode("utf-8")) for r in records))
    print("sha256 %s" % digest)

if __name__ == "__main__":
    main()
