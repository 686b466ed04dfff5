#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""
gen_heldout3.py -- deterministic generator for the "heldout3" evaluation corpus
of an API Gateway traffic-log scrubber.

* Python 3 standard library only, fixed seed, fully deterministic.
* Writes heldout3.jsonl next to this file and prints counts per layout / kind.
* Every record is self-checked (see check_record); any violation aborts.
* Every token, key, password, e-mail, phone number, card, IBAN ... is produced
  by the random generator below.  Nothing is real.

Labelled-text algebra
---------------------
Lines are assembled from `T` values: a string plus a list of labels
(kind, substring).  kind is None for "keep" labels and a kind name for
secrets.  Every transformation applied to text (URL-encoding, JSON escaping,
Python repr escaping, XML escaping ...) is applied to the labels with the same
character-wise function, so a label is always recorded in the exact form it
takes in the final line.  Base64 wrapping and truncation are handled
explicitly.
"""
import base64
import datetime as dt
import hashlib
import json
import os
import random
import re
import string
import sys
import uuid
from collections import Counter
from urllib.parse import quote, quote_plus

SEED = 0x4E1D03
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'heldout3.jsonl')

LAYOUT_COUNTS = [
    ('json_access', 210), ('clf_access', 100), ('csv_access', 80), ('xml_access', 70),
    ('execution', 210), ('lambda_log', 210), ('cwl_message', 130), ('alb', 110),
    ('waf', 120), ('cloudfront', 100), ('text', 160),
]
JSON_LAYOUTS = {'json_access', 'waf', 'cwl_message'}
MAX_LINE = 16000

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIG = string.digits
ALNUM = UPPER + LOWER + DIG
B64C = UPPER + LOWER + DIG + '+/'
B64U = UPPER + LOWER + DIG + '-_'
HEXD = '0123456789abcdef'
B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'


def rs(n, cs=ALNUM):
    return ''.join(R.choice(cs) for _ in range(n))


def hx(n, up=False):
    s = rs(n, HEXD)
    return s.upper() if up else s


def dg(n):
    return rs(n, DIG)


def rb(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def ch(x):
    return R.choice(x)


def chance(p):
    return R.random() < p


def ruuid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def b64e(b):
    return base64.b64encode(b if isinstance(b, bytes) else b.encode()).decode()


def b64ue(b):
    return base64.urlsafe_b64encode(b if isinstance(b, bytes) else b.encode()).decode().rstrip('=')


def cjson(o):
    return json.dumps(o, separators=(',', ':'), ensure_ascii=False)


class Retry(Exception):
    pass


class Deck:
    """Draw items in shuffled rounds so every item is used evenly."""

    def __init__(self, items):
        self.items = list(items)
        self.q = []

    def draw(self):
        if not self.q:
            self.q = self.items[:]
            R.shuffle(self.q)
        return self.q.pop()


# ---------------------------------------------------------------------------
# labelled text
# ---------------------------------------------------------------------------
class T:
    __slots__ = ('s', 'labs')

    def __init__(self, s='', labs=None):
        self.s = s
        self.labs = labs if labs is not None else []

    def __add__(self, o):
        o = lift(o)
        return T(self.s + o.s, self.labs + o.labs)

    def __radd__(self, o):
        o = lift(o)
        return T(o.s + self.s, o.labs + self.labs)

    def map(self, fn):
        return T(fn(self.s), [(k, fn(v)) for k, v in self.labs])

    def plain(self):
        return T(self.s)

    def secret(self):
        return any(k for k, _ in self.labs)

    def __repr__(self):
        return 'T(%r)' % self.s


def lift(x):
    if isinstance(x, T):
        return x
    return T(str(x))


def S(v, kind):
    v = str(v)
    return T(v, [(kind, v)])


def K(v):
    v = str(v)
    return T(v, [(None, v)])


def J(sep, parts):
    out = T()
    for i, p in enumerate(parts):
        if i:
            out = out + sep
        out = out + p
    return out


def F(fmt, *args):
    bits = fmt.split('\u00a7')
    assert len(bits) == len(args) + 1, fmt
    out = T(bits[0])
    for a, b in zip(args, bits[1:]):
        out = out + lift(a) + b
    return out


def addk(t, s):
    """Add a literal keep label if s occurs in t."""
    if s in t.s:
        t.labs.append((None, s))
    return t


def b64wrap(t, kind='base64_body', urlsafe=False):
    enc = b64ue(t.s.encode()) if urlsafe else b64e(t.s.encode())
    if t.secret():
        return S(enc, kind)
    return K(enc)


def tail(t, n):
    return T(t.s[n:], [(k, v) for k, v in t.labs if v in t.s[n:]])


def find_all(s, sub):
    out, i = [], s.find(sub)
    while i >= 0:
        out.append(i)
        i = s.find(sub, i + 1)
    return out


def trunc(t, n, marker=' [TRUNCATED]'):
    """Cut t at n characters (API Gateway style).  A secret crossing the cut is
    labelled by its visible prefix; the cut is moved left if that prefix would
    be shorter than 12 characters."""
    if len(t.s) <= n:
        return t
    while True:
        moved = False
        for k, v in t.labs:
            if k is None:
                continue
            for i in find_all(t.s, v):
                if i < n < i + len(v) and n - i < 12:
                    n = i
                    moved = True
        if not moved:
            break
    s = t.s[:n]
    labs = []
    for k, v in t.labs:
        occ = find_all(t.s, v)
        if any(i + len(v) <= n for i in occ):
            labs.append((k, v))
        if k is None:
            continue
        for i in occ:
            if i < n < i + len(v):
                labs.append((k, v[:n - i]))
                break
    return T(s + marker, labs)


# ---------------------------------------------------------------------------
# character-wise encoders (homomorphisms, so labels stay substrings)
# ---------------------------------------------------------------------------
def q_all(s):
    return quote(s, safe='')


def q_loose(s):
    return quote(s, safe="@:/,!$*()")


def q_path(s):
    return quote(s, safe="@:!$&'()*+,;=")


def q_form(s):
    return quote_plus(s, safe='')


def q_lower(s):
    return re.sub(r'%[0-9A-F]{2}', lambda m: m.group(0).lower(), quote(s, safe=''))


def q_mixed(s):
    return re.sub(r'%([0-9A-F])([0-9A-F])',
                  lambda m: '%' + m.group(1) + (m.group(2).lower() if int(m.group(1), 16) % 2 == 0 else m.group(2)),
                  quote(s, safe=''))


def q_space(s):  # CloudFront style: only spaces (and a few controls) encoded
    return s.replace('%', '%25').replace(' ', '%20').replace('\t', '%09').replace('"', '%22')


def xml_esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def html_ent(s):
    return s.replace('&', '&amp;').replace('@', '&#64;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def html_hex(s):
    return s.replace('&', '&amp;').replace('@', '&#x40;').replace('.', '&#46;')


def j_esc(ascii_=True, mode=None):
    def f(s):
        o = json.dumps(s, ensure_ascii=ascii_)[1:-1]
        if mode == 'go':
            o = o.replace('<', '\\u003c').replace('>', '\\u003e').replace('&', '\\u0026')
        elif mode == 'net':
            o = o.replace('\\"', '\\u0022')
            for a, b in (('+', '\\u002B'), ('<', '\\u003C'), ('>', '\\u003E'), ('&', '\\u0026'), ("'", '\\u0027')):
                o = o.replace(a, b)
        elif mode == 'php':
            o = o.replace('/', '\\/')
        elif mode == 'hexat':
            o = o.replace('@', '\\u0040').replace('&', '\\u0026').replace('=', '\\u003d')
        return o
    return f


JE = j_esc(False)
JA = j_esc(True)


class Raw:
    """Embed a T verbatim in structured output."""

    def __init__(self, t):
        self.t = lift(t)


class GoStruct:
    def __init__(self, fields):
        self.fields = fields  # list of (name, value)


class JMap(dict):
    """Marks a dict that Java renders as java.util.Map ({k=v, k2=v2})."""


def jd(o, e=JE, sp=False):
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, dict):
        if not o:
            return T('{}')
        kv = ': ' if sp else ':'
        return T('{') + J(', ' if sp else ',', [T('"') + lift(k).map(e) + T('"' + kv) + jd(v, e, sp)
                                               for k, v in o.items()]) + T('}')
    if isinstance(o, (list, tuple)):
        return T('[') + J(', ' if sp else ',', [jd(x, e, sp) for x in o]) + T(']')
    if o is None:
        return T('null')
    if o is True:
        return T('true')
    if o is False:
        return T('false')
    if isinstance(o, (int, float)):
        return T(str(o))
    return T('"') + lift(o).map(e) + T('"')


def _pyq(s):
    return "'" if ("'" not in s or '"' in s) else '"'


def pr(o):
    """Python repr()."""
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, dict):
        return T('{') + J(', ', [pr(k) + ': ' + pr(v) for k, v in o.items()]) + T('}')
    if isinstance(o, (list, tuple)):
        return T('[') + J(', ', [pr(x) for x in o]) + T(']')
    if o is None:
        return T('None')
    if o is True:
        return T('True')
    if o is False:
        return T('False')
    if isinstance(o, (int, float)):
        return T(str(o))
    t = lift(o)
    q = _pyq(t.s)

    def e(s):
        return s.replace('\\', '\\\\').replace(q, '\\' + q).replace('\n', '\\n').replace('\r', '\\r').replace('\t', '\\t')
    return T(q) + t.map(e) + T(q)


IDENT = re.compile(r'^[A-Za-z_$][\w$]*$')


def ni(o, depth=0, maxd=2):
    """Node.js util.inspect (single-line, breakLength: Infinity)."""
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, dict):
        if not o:
            return T('{}')
        if depth > maxd:
            return T('[Object]')
        parts = []
        for k, v in o.items():
            kt = lift(k)
            kk = kt if IDENT.match(kt.s) else ni_str(kt)
            parts.append(kk + ': ' + ni(v, depth + 1, maxd))
        return T('{ ') + J(', ', parts) + T(' }')
    if isinstance(o, (list, tuple)):
        if not o:
            return T('[]')
        if depth > maxd:
            return T('[Array]')
        return T('[ ') + J(', ', [ni(x, depth + 1, maxd) for x in o]) + T(' ]')
    if o is None:
        return T('null')
    if o is True:
        return T('true')
    if o is False:
        return T('false')
    if isinstance(o, (int, float)):
        return T(str(o))
    return ni_str(lift(o))


def ni_str(t):
    q = "'" if "'" not in t.s else ('"' if '"' not in t.s else '`')

    def e(s):
        return s.replace('\\', '\\\\').replace(q, '\\' + q).replace('\n', '\\n').replace('\t', '\\t')
    return T(q) + t.map(e) + T(q)


def jts(o, top=True):
    """aws-lambda-java-events style toString(): POJOs as {k: v,k2: v2},
    Maps as {k=v, k2=v2}."""
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, JMap):
        return T('{') + J(', ', [lift(k) + '=' + jts(v, False) for k, v in o.items()]) + T('}')
    if isinstance(o, dict):
        return T('{') + J(',', [lift(k) + ': ' + jts(v, False) for k, v in o.items()]) + T('}')
    if isinstance(o, (list, tuple)):
        return T('[') + J(', ', [jts(x, False) for x in o]) + T(']')
    if o is None:
        return T('null')
    if o is True:
        return T('true')
    if o is False:
        return T('false')
    return lift(o)


def gv(o):
    """Go fmt %+v."""
    if isinstance(o, Raw):
        return o.t
    if isinstance(o, GoStruct):
        return T('{') + J(' ', [T(n + ':') + gv(v) for n, v in o.fields]) + T('}')
    if isinstance(o, dict):
        items = sorted(o.items(), key=lambda kv: lift(kv[0]).s)
        return T('map[') + J(' ', [lift(k) + ':' + gv(v) for k, v in items]) + T(']')
    if isinstance(o, (list, tuple)):
        return T('[') + J(' ', [gv(x) for x in o]) + T(']')
    if o is None:
        return T('<nil>')
    if o is True:
        return T('true')
    if o is False:
        return T('false')
    return lift(o)


def rb_inspect(o):
    """Ruby Hash#inspect (=> style)."""
    if isinstance(o, dict):
        return T('{') + J(', ', [rb_inspect(k) + '=>' + rb_inspect(v) for k, v in o.items()]) + T('}')
    if isinstance(o, (list, tuple)):
        return T('[') + J(', ', [rb_inspect(x) for x in o]) + T(']')
    if o is None:
        return T('nil')
    if o is True:
        return T('true')
    if o is False:
        return T('false')
    if isinstance(o, (int, float)):
        return T(str(o))
    return T('"') + lift(o).map(lambda s: s.replace('\\', '\\\\').replace('"', '\\"')) + T('"')


def php_export(o):
    if isinstance(o, dict):
        return T('array ( ') + J(' ', [php_export(k) + ' => ' + php_export(v) + ',' for k, v in o.items()]) + T(' )')
    if isinstance(o, (list, tuple)):
        return php_export({str(i): v for i, v in enumerate(o)})
    if o is None:
        return T('NULL')
    if o is True:
        return T('true')
    if o is False:
        return T('false')
    if isinstance(o, (int, float)):
        return T(str(o))
    return T("'") + lift(o).map(lambda s: s.replace('\\', '\\\\').replace("'", "\\'")) + T("'")


def logfmt_val(t):
    t = lift(t)
    if re.search(r'[\s"=]', t.s) or t.s == '':
        return T('"') + t.map(lambda s: s.replace('\\', '\\\\').replace('"', '\\"')) + T('"')
    return t


def csv_field(t, force=False):
    t = lift(t)
    if force or re.search(r'[",\n]', t.s):
        return T('"') + t.map(lambda s: s.replace('"', '""')) + T('"')
    return t


# ---------------------------------------------------------------------------
# time
# ---------------------------------------------------------------------------
BASE = dt.datetime(2024, 1, 3, tzinfo=dt.timezone.utc)


def rtime():
    return BASE + dt.timedelta(seconds=R.randint(0, 86400 * 560), microseconds=R.randint(0, 999999))


def iso_ms(t):
    return t.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (t.microsecond // 1000)


def iso_us(t):
    return t.strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def iso_s(t):
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


def clf(t):
    return t.strftime('%d/%b/%Y:%H:%M:%S +0000')


def epoch_ms(t):
    return int(t.timestamp() * 1000)


def amzdate(t):
    return t.strftime('%Y%m%dT%H%M%SZ')


# ---------------------------------------------------------------------------
# benign look-alikes (keep material)
# ---------------------------------------------------------------------------
REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'eu-west-2', 'ap-southeast-2',
           'ap-northeast-1', 'ap-south-1', 'sa-east-1', 'ca-central-1', 'eu-north-1', 'ap-southeast-1']
CORP = ['shop-example.com', 'acme-payments.io', 'example-health.org', 'northwind.example', 'contoso-api.net',
        'globex.example', 'initech.example', 'umbrella-labs.io', 'hooli.example', 'wayne-ent.example',
        'tailspin-travel.example', 'fabrikam.example']
SERVICES = ['checkout-api', 'orders', 'payments-svc', 'auth-gateway', 'profile-service', 'catalog', 'notifier',
            'billing-worker', 'search-api', 'inventory', 'ledger', 'kyc-service', 'webhooks-in']
RS_ALPHA = 'bcdfghjklmnpqrstvwxz2456789'


def k_ip():
    r = R.random()
    if r < 0.25:
        return '203.0.113.%d' % R.randint(1, 254)
    if r < 0.38:
        return '198.51.100.%d' % R.randint(1, 254)
    if r < 0.46:
        return '192.0.2.%d' % R.randint(1, 254)
    if r < 0.9:
        return '%d.%d.%d.%d' % (ch([3, 13, 18, 34, 35, 44, 52, 54, 63, 81, 85, 91, 100, 104, 142, 151, 185, 188, 212]),
                                R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    return '2001:db8:%x:%x::%x' % (R.randint(1, 0xffff), R.randint(1, 0xffff), R.randint(1, 0xffff))


def k_priv_ip():
    return '10.%d.%d.%d' % (R.randint(0, 255), R.randint(0, 255), R.randint(2, 254))


def k_xray(t):
    return '1-%08x-%s' % (int(t.timestamp()), hx(24))


def k_traceparent():
    return '00-%s-%s-01' % (hx(32), hx(16))


def k_semver():
    v = '%d.%d.%d' % (R.randint(0, 9), R.randint(0, 40), R.randint(0, 30))
    if chance(0.2):
        v += ch(['-rc.%d' % R.randint(1, 5), '-beta.%d' % R.randint(1, 9), '+build.%d' % R.randint(1, 999)])
    return v


def k_isbn13():
    body = '978' + dg(9)
    s = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    c = (10 - s % 10) % 10
    full = body + str(c)
    return '%s-%s-%s-%s-%s' % (full[:3], full[3], full[4:8], full[8:12], full[12])


def luhn_ok(num):
    tot = 0
    for i, d in enumerate(reversed(num)):
        d = int(d)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return tot % 10 == 0


def k_order_nonluhn(n=16):
    while True:
        s = str(R.randint(1, 9)) + dg(n - 1)
        if not luhn_ok(s):
            return s


def k_b64word():
    words = ['hello world', 'page=2', '{"offset":40}', '{"page":3,"size":25}', 'region=eu-west-1',
             'status:active', '{"returnTo":"/dashboard"}', 'lorem ipsum dolor', 'cursor:000142',
             '{"lastKey":"ORDER#00981"}', 'nothing to see here', 'sort=created_at&dir=desc',
             '{"v":1,"kind":"pagination"}', 'greetings from the catalog']
    return b64e(ch(words) + ('' if chance(.5) else ' #%d' % R.randint(1, 999)))


def k_s3key():
    return '%s/%04d/%02d/%02d/%s' % (ch(['uploads', 'exports', 'invoices', 'thumbnails', 'reports', 'raw/events']),
                                    R.randint(2023, 2025), R.randint(1, 12), R.randint(1, 28),
                                    ch(['invoice-%d.pdf' % R.randint(1000, 99999), 'img_%s.jpg' % hx(8),
                                        'part-%05d.parquet' % R.randint(0, 999), 'report-%s.csv' % hx(6),
                                        '%s.json.gz' % ruuid()]))


def k_cf_dist():
    return 'E' + rs(13, UPPER + DIG)


def k_cf_reqid():
    return rs(54, B64U) + '=='


def k_pod():
    return '%s-%s-%s' % (ch(SERVICES), rs(ch([9, 10]), RS_ALPHA), rs(5, RS_ALPHA))


def k_etag():
    return ch(['"%s"' % hx(32), 'W/"%s"' % hx(32), '"%s-%d"' % (hx(32), R.randint(2, 40))])


def k_cognito_client():
    return rs(26, LOWER + DIG)


def k_apikey_id():
    return rs(10, LOWER + DIG)


def k_lambda_arn(c, fn=None):
    return 'arn:aws:lambda:%s:%s:function:%s' % (c['region'], c['acct'], fn or ch(SERVICES) + '-' + c['stage'])


def k_cwl_id():
    return dg(56)


def benign_pairs(n):
    """(key, K(value)) pairs of benign but secret-looking values."""
    gens = [
        ('etag', lambda: k_etag()), ('sha256', lambda: hx(64)), ('checksum', lambda: 'sha256:' + hx(64)),
        ('md5', lambda: hx(32)), ('commit', lambda: hx(40)), ('gitSha', lambda: hx(40)),
        ('version', k_semver), ('isbn', k_isbn13), ('orderNumber', k_order_nonluhn),
        ('nextToken', k_b64word), ('cursor', k_b64word), ('s3Key', k_s3key),
        ('traceparent', k_traceparent), ('pod', k_pod), ('containerId', lambda: hx(64)),
        ('imageDigest', lambda: 'sha256:' + hx(64)), ('correlationId', ruuid), ('idempotencyKey', ruuid),
        ('ja3', lambda: hx(32)), ('distributionId', k_cf_dist), ('buildId', lambda: 'b-%s' % hx(12)),
        ('contentSha1', lambda: hx(40)), ('sku', lambda: 'SKU-%s-%d' % (rs(4, UPPER), R.randint(100, 9999))),
        ('invoiceId', lambda: 'in_%s' % rs(24)), ('customerId', lambda: 'cus_%s' % rs(14)),
        ('chargeId', lambda: 'ch_%s' % rs(24)), ('paymentIntent', lambda: 'pi_%s' % rs(24)),
        ('trackingNumber', lambda: '1Z%s' % rs(16, UPPER + DIG)), ('uploadId', lambda: rs(64, B64U)),
    ]
    out = []
    for key, g in R.sample(gens, n):
        out.append((key, K(g())))
    return out


UA_LIST = [
    lambda: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36' % R.randint(118, 131),
    lambda: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Safari/605.1.15' % R.randint(0, 6),
    lambda: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148' % R.randint(0, 6),
    lambda: 'Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/%d.0' % ((lambda v: (v, v))(R.randint(115, 132))),
    lambda: 'curl/8.%d.%d' % (R.randint(0, 11), R.randint(0, 2)),
    lambda: 'python-requests/2.%d.0' % R.randint(25, 32),
    lambda: 'okhttp/4.%d.0' % R.randint(9, 12),
    lambda: 'aws-sdk-js/3.%d.0 ua/2.0 os/linux#5.10.219 lang/js md/nodejs#20.11.1 api/api-gateway#3.%d.0' % ((lambda v: (v, v))(R.randint(400, 650))),
    lambda: 'Boto3/1.34.%d md/Botocore#1.34.%d ua/2.0 os/linux#5.10.209 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy' % ((lambda v: (v, v))(R.randint(10, 150))),
    lambda: 'PostmanRuntime/7.%d.%d' % (R.randint(30, 42), R.randint(0, 3)),
    lambda: 'Go-http-client/2.0',
    lambda: 'Apache-HttpClient/5.2.%d (Java/17.0.%d)' % (R.randint(0, 3), R.randint(5, 12)),
    lambda: 'Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UD1A.230803.041)',
    lambda: 'ShopApp/%s (iOS 17.4; iPhone15,2; Scale/3.00)' % k_semver(),
    lambda: 'GitHub-Hookshot/%s' % hx(7),
    lambda: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    lambda: 'Slackbot 1.0 (+https://api.slack.com/robots)',
    lambda: 'ELB-HealthChecker/2.0',
    lambda: 'Amazon CloudFront',
    lambda: 'axios/1.%d.%d' % (R.randint(4, 7), R.randint(0, 9)),
    lambda: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    lambda: 'k6/0.%d.0 (https://k6.io/)' % R.randint(45, 54),
]


def ua_benign():
    return ch(UA_LIST)()


# ---------------------------------------------------------------------------
# personal data (all random)
# ---------------------------------------------------------------------------
FIRST = ['jane', 'john', 'maria', 'li', 'wei', 'olga', 'ahmed', 'fatima', 'lucas', 'sofia', 'noah', 'emma', 'raj',
         'priya', 'kenji', 'yuki', 'lars', 'ingrid', 'pierre', 'chloe', 'mateo', 'valentina', 'oliver', 'amelia',
         'aiko', 'diego', 'lena', 'tomasz', 'zofia', 'musa', 'amara', 'sven', 'freya', 'kofi', 'nia', 'arjun']
LAST = ['doe', 'smith', 'garcia', 'nguyen', 'mueller', 'schmidt', 'dubois', 'martin', 'rossi', 'kowalski',
        'tanaka', 'sato', 'kumar', 'patel', 'silva', 'santos', 'jones', 'brown', 'wilson', 'ivanova', 'haddad',
        'okafor', 'larsen', 'novak', 'moreau', 'fischer', 'costa', 'yamamoto', 'singh', 'mensah', 'lindqvist']
DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'icloud.com', 'web.de', 'gmx.de', 'orange.fr',
           'libero.it', 'yahoo.co.jp', 'hotmail.co.uk', 'example.com', 'example.org', 'corp.example.net',
           'fastmail.com', 'zoho.com', 'uol.com.br', 'rediffmail.com', 'bigpond.com', 'mail.example.co']
IDN = [('josé.garcía', 'correo.es'), ('müller', 'bücher.de'), ('zoë.martin', 'exämple.fr'), ('søren', 'firma.dk'),
       ('françois', 'société.fr'), ('andré.silva', 'empresa.com.br'), ('łukasz', 'poczta.pl'),
       ('renée', 'xn--bcher-kva.de'), ('jürgen', 'xn--mnchen-3ya.de')]


def gen_email():
    f, l = ch(FIRST), ch(LAST)
    n = R.randint(1, 9999)
    r = R.random()
    if r > 0.93:
        loc, dom = ch(IDN)
        return '%s%d@%s' % (loc, n % 100, dom)
    local = ch(['%s.%s' % (f, l), '%s%s%d' % (f, l, n), '%s%s' % (f[0], l), '%s_%s%d' % (f, l, n % 100),
                '%s.%s%d' % (l, f, n % 1000), '%s%d' % (f, n)])
    if r < 0.16:
        local += '+' + ch(['billing', 'news', 'aws', 'test', 'shop', '2fa', 'api']) + str(n % 97)
    return local + '@' + ch(DOMAINS)


def gen_phone(cc=None):
    cc = cc or ch(['US', 'US', 'UK', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU'])
    if cc == 'US':
        a = str(R.randint(2, 9)) + dg(2)
        e = str(R.randint(2, 9)) + dg(2)
        l = dg(4)
        return ch(['(%s) %s-%s' % (a, e, l), '%s-%s-%s' % (a, e, l), '%s.%s.%s' % (a, e, l), '+1 %s-%s-%s' % (a, e, l),
                   '+1 (%s) %s-%s' % (a, e, l), '+1%s%s%s' % (a, e, l), '1-%s-%s-%s' % (a, e, l), '+1 %s %s %s' % (a, e, l)])
    if cc == 'UK':
        if chance(0.6):
            m = '7' + str(R.randint(4, 9)) + dg(2)
            r6 = dg(6)
            return ch(['0%s %s' % (m, r6), '+44 %s %s' % (m, r6), '+44%s%s' % (m, r6), '+44 (0)%s %s' % (m, r6),
                       '0%s %s %s' % (m, r6[:3], r6[3:])])
        a, b = dg(4), dg(4)
        return ch(['020 %s %s' % (a, b), '+44 20 %s %s' % (a, b), '(020) %s %s' % (a, b), '+442%s%s' % ('0' + a[:3], a[3] + b)])
    if cc == 'DE':
        if chance(0.5):
            p = ch(['151', '160', '170', '171', '176', '157'])
            n = dg(8)
            return ch(['+49 %s %s' % (p, n), '0%s %s' % (p, n), '0%s/%s' % (p, n), '+49 (0)%s %s %s' % (p, n[:4], n[4:]),
                       '+49%s%s' % (p, n)])
        ac = ch(['30', '40', '89', '69', '221', '211'])
        n = dg(7)
        return ch(['+49 %s %s' % (ac, n), '0%s %s' % (ac, n), '0%s-%s' % (ac, n), '+49 (0)%s %s' % (ac, n)])
    if cc == 'FR':
        d = [ch('67')] + [dg(2) for _ in range(4)]
        return ch(['+33 %s %s %s %s %s' % tuple(d), '0%s %s %s %s %s' % tuple(d), '0%s.%s.%s.%s.%s' % tuple(d),
                   '+33%s%s%s%s%s' % tuple(d), '0%s-%s-%s-%s-%s' % tuple(d)])
    if cc == 'IN':
        n = str(R.randint(6, 9)) + dg(9)
        return ch(['+91 %s %s' % (n[:5], n[5:]), '+91-%s-%s' % (n[:5], n[5:]), '0%s %s' % (n[:5], n[5:]), '+91%s' % n,
                   '+91 %s' % n])
    if cc == 'BR':
        ddd = ch(['11', '21', '31', '41', '51', '61', '71', '81'])
        if chance(0.7):
            n = '9' + dg(8)
            return ch(['+55 %s %s-%s' % (ddd, n[:5], n[5:]), '(%s) %s-%s' % (ddd, n[:5], n[5:]), '+55%s%s' % (ddd, n),
                       '+55 (%s) %s-%s' % (ddd, n[:5], n[5:])])
        n = str(R.randint(2, 5)) + dg(7)
        return ch(['+55 (%s) %s-%s' % (ddd, n[:4], n[4:]), '(%s) %s-%s' % (ddd, n[:4], n[4:])])
    if cc == 'JP':
        if chance(0.5):
            p = ch(['90', '80', '70'])
            a, b = dg(4), dg(4)
            return ch(['0%s-%s-%s' % (p, a, b), '+81 %s-%s-%s' % (p, a, b), '+81 %s %s %s' % (p, a, b), '+81%s%s%s' % (p, a, b)])
        a, b = dg(4), dg(4)
        return ch(['03-%s-%s' % (a, b), '+81 3-%s-%s' % (a, b), '(03) %s-%s' % (a, b)])
    # AU
    if chance(0.6):
        n = '4' + dg(8)
        return ch(['0%s %s %s' % (n[:3], n[3:6], n[6:]), '+61 %s %s %s' % (n[0], n[1:5], n[5:]), '+61%s' % n,
                   '+61 %s %s %s' % (n[:3], n[3:6], n[6:])])
    ac = ch(['2', '3', '7', '8'])
    a, b = dg(4), dg(4)
    return ch(['(0%s) %s %s' % (ac, a, b), '+61 %s %s %s' % (ac, a, b), '0%s %s %s' % (ac, a, b)])


def e164(cc=None):
    cc = cc or ch(['1', '44', '49', '33', '91', '55', '81', '61'])
    lens = {'1': 10, '44': 10, '49': 11, '33': 9, '91': 10, '55': 11, '81': 10, '61': 9}
    first = {'1': str(R.randint(2, 9)), '44': '7', '49': '1', '33': ch('67'), '91': str(R.randint(6, 9)),
             '55': str(R.randint(1, 9)), '81': '9', '61': '4'}
    return '+' + cc + first[cc] + dg(lens[cc] - 1)


def gen_ssn(style=None):
    a = R.randint(1, 899)
    while a == 666:
        a = R.randint(1, 899)
    g, s = R.randint(1, 99), R.randint(1, 9999)
    style = style or ch(['-', '-', '-', ' ', ''])
    return '%03d%s%02d%s%04d' % (a, style, g, style, s)


NINO1 = 'ABCEGHJKLMNOPRSTWXYZ'
NINO2 = 'ABCEGHJKLMNPRSTWXYZ'


def gen_nino():
    while True:
        p = ch(NINO1) + ch(NINO2)
        if p not in ('BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'):
            break
    d = dg(6)
    s = ch('ABCD')
    return ch(['%s%s%s' % (p, d, s), '%s %s %s %s %s' % (p, d[:2], d[2:4], d[4:], s), '%s %s %s' % (p, d, s)])


def luhn_complete(prefix, length):
    body = prefix + dg(length - len(prefix) - 1)
    for c in DIG:
        if luhn_ok(body + c):
            return body + c


def gen_card(fmt=None):
    brand = ch(['visa', 'visa', 'mc', 'mc2', 'amex', 'discover', 'jcb', 'visa'])
    if brand == 'visa':
        num = luhn_complete('4', 16)
    elif brand == 'mc':
        num = luhn_complete(str(R.randint(51, 55)), 16)
    elif brand == 'mc2':
        num = luhn_complete(str(R.randint(2221, 2720)), 16)
    elif brand == 'amex':
        num = luhn_complete(ch(['34', '37']), 15)
    elif brand == 'discover':
        num = luhn_complete('6011', 16)
    else:
        num = luhn_complete(str(R.randint(3528, 3589)), 16)
    assert luhn_ok(num)
    fmt = fmt or ch(['', '', ' ', '-'])
    if not fmt:
        return num
    if len(num) == 15:
        return fmt.join([num[:4], num[4:10], num[10:]])
    return fmt.join(num[i:i + 4] for i in range(0, 16, 4))


IBAN_SPECS = {
    'DE': lambda: dg(18), 'GB': lambda: rs(4, UPPER) + dg(14), 'FR': lambda: dg(10) + rs(11, UPPER + DIG) + dg(2),
    'NL': lambda: rs(4, UPPER) + dg(10), 'ES': lambda: dg(20), 'IT': lambda: rs(1, UPPER) + dg(10) + rs(12, UPPER + DIG),
    'BE': lambda: dg(12), 'CH': lambda: dg(5) + rs(12, UPPER + DIG), 'IE': lambda: rs(4, UPPER) + dg(14),
    'PL': lambda: dg(24), 'AT': lambda: dg(16), 'PT': lambda: dg(21),
}


def iban_valid(ib):
    s = ib[4:] + ib[:4]
    return int(''.join(str(int(c, 36)) for c in s)) % 97 == 1


def gen_iban(grouped=None):
    cc = ch(list(IBAN_SPECS))
    bban = IBAN_SPECS[cc]()
    n = int(''.join(str(int(c, 36)) for c in bban + cc + '00'))
    ib = cc + '%02d' % (98 - n % 97) + bban
    assert iban_valid(ib)
    if grouped is None:
        grouped = chance(0.5)
    if grouped:
        return ' '.join(ib[i:i + 4] for i in range(0, len(ib), 4))
    return ib


def gen_passport():
    return ch([lambda: dg(9), lambda: ch(UPPER) + dg(8), lambda: 'C' + rs(8, 'CFGHJKLMNPRTVWXYZ0123456789'),
               lambda: ch('JKLMNPRSTUVWZ') + dg(7), lambda: dg(2) + rs(2, UPPER) + dg(5), lambda: rs(2, UPPER) + dg(7)])()


MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
          'November', 'December']


def gen_dob():
    y, m, d = R.randint(1941, 2005), R.randint(1, 12), R.randint(1, 28)
    return ch(['%04d-%02d-%02d' % (y, m, d), '%02d/%02d/%04d' % (d, m, y), '%02d/%02d/%04d' % (m, d, y),
               '%02d.%02d.%04d' % (d, m, y), '%s %d, %04d' % (MONTHS[m - 1], d, y), '%d %s %04d' % (d, MONTHS[m - 1][:3], y),
               '%04d%02d%02d' % (y, m, d)])


STREETS = ['Elm', 'Maple', 'Oak', 'Cedar', 'Pine', 'Lakeview', 'Hillcrest', 'Sunset', 'Washington', 'Park', 'Willow']
US_CITIES = [('Springfield', 'IL', '627'), ('Austin', 'TX', '787'), ('Portland', 'OR', '972'), ('Denver', 'CO', '802'),
             ('Columbus', 'OH', '432'), ('Madison', 'WI', '537'), ('Raleigh', 'NC', '276')]


def gen_address():
    r = R.randint(0, 4)
    if r == 0:
        c, st, z = ch(US_CITIES)
        return '%d %s %s, %s, %s %s%02d' % (R.randint(10, 9999), ch(STREETS), ch(['Street', 'Ave', 'Rd', 'Blvd', 'Lane']),
                                            c, st, z, R.randint(1, 99))
    if r == 1:
        return 'Flat %d, %d %s Road, %s %s%d %d%s' % (R.randint(1, 40), R.randint(1, 200), ch(STREETS),
                                                   ch(['London', 'Leeds', 'Bristol', 'Manchester']),
                                                   ch(['NW', 'SE', 'LS', 'BS', 'M']), R.randint(1, 20), R.randint(1, 9),
                                                   rs(2, 'ABDEFGHJLNPQRSTUWXYZ'))
    if r == 2:
        return '%sstraße %d, %05d %s' % (ch(['Haupt', 'Linden', 'Garten', 'Schiller', 'Goethe', 'Berg']), R.randint(1, 120),
                                        R.randint(10115, 99998), ch(['Berlin', 'München', 'Hamburg', 'Köln', 'Leipzig']))
    if r == 3:
        return '%d rue %s, %05d %s' % (R.randint(1, 200), ch(['de la Paix', 'Victor Hugo', 'des Lilas', 'Pasteur']),
                                      R.randint(75001, 75020), 'Paris')
    return '%d-%d-%d %s, %s-ku, Tokyo %03d-%04d' % (R.randint(1, 9), R.randint(1, 30), R.randint(1, 20),
                                                   ch(['Jingumae', 'Ebisu', 'Nishi-Shinjuku']),
                                                   ch(['Shibuya', 'Shinjuku', 'Minato']), R.randint(100, 199), R.randint(0, 9999))


WORDS = ['correct', 'horse', 'battery', 'staple', 'falcon', 'river', 'orbit', 'maple', 'copper', 'violet', 'glacier',
         'harbor', 'lantern', 'meadow', 'quartz', 'saffron', 'thunder', 'velvet', 'walnut', 'zephyr', 'ember', 'cobalt']
PW_SYMS = '!#$%&*()-_=+[]{};:,.?~^@/|'


def gen_password():
    r = R.random()
    if r < 0.42:
        while True:
            p = rs(R.randint(11, 20), ALNUM + PW_SYMS * 2)
            if re.search(r'\d', p) and re.search(r'[A-Za-z]', p):
                return p
    if r < 0.6:
        return ch('-_.') .join(R.sample(WORDS, R.randint(3, 4))) + str(R.randint(10, 99))
    if r < 0.76:
        return ch(WORDS).capitalize() + str(R.randint(1960, 2030)) + ch('!?#$%&*@') + rs(3)
    if r < 0.86:
        return ' '.join(R.sample(WORDS, 3)) + ' %d' % R.randint(10, 999)
    if r < 0.94:
        return ch(['Pässwört', 'contraseña', 'Mötley', 'Ünïcode', 'パスワード', 'пароль', 'Straße', 'Çiçek']) + \
            ch('-_#!') + rs(4) + str(R.randint(10, 99))
    return rs(R.randint(24, 40), B64U)


PW_KEYS = ['password', 'password', 'password', 'passwd', 'pwd', 'pass', 'Password', 'userPassword', 'currentPassword',
           'user_password', 'passwort', 'kennwort', 'contraseña', 'mot_de_passe', 'motDePasse', 'senha', 'wachtwoord',
           'parola', 'hasło', 'пароль', 'パスワード', '密码', 'lösenord', 'salasana', 'şifre', 'adgangskode', 'jelszó',
           'secret', 'passphrase', 'PASSWORD', 'loginPassword', 'newPassword']
EMAIL_KEYS = ['email', 'email', 'username', 'login', 'user', 'emailAddress', 'e-mail', 'E-Mail', 'correo', 'courriel',
              'user_email', 'mail', 'Email', 'contactEmail', 'billing_email']
PHONE_KEYS = ['phone', 'phoneNumber', 'phone_number', 'mobile', 'tel', 'telefon', 'msisdn', 'cell', 'telephone',
              'numero_telephone', 'celular', 'contactPhone', 'recipient']
DOB_KEYS = ['dob', 'dateOfBirth', 'birthdate', 'birth_date', 'date_of_birth', 'DOB', 'geburtsdatum',
            'fecha_de_nacimiento', 'date_naissance', 'birthDate', 'data_nascimento']
ADDR_KEYS = ['address', 'street_address', 'addressLine', 'billingAddress', 'shipping_address', 'adresse', 'direccion',
             'home_address', 'anschrift']
SSN_KEYS = ['ssn', 'SSN', 'social_security_number', 'taxId', 'tin', 'socialSecurityNumber']
NINO_KEYS = ['nino', 'ni_number', 'nationalInsuranceNumber', 'NINO']
PASSPORT_KEYS = ['passport', 'passportNumber', 'passport_no', 'passportNo', 'reisepassnummer', 'numero_passeport',
                 'document_number']
CARD_KEYS = ['number', 'card_number', 'cardNumber', 'pan', 'cc_number', 'ccnum', 'creditCard', 'kartennummer', 'numero_carte']
IBAN_KEYS = ['iban', 'IBAN', 'bank_account', 'accountNumber', 'debtorIban', 'creditor_iban', 'payout_iban']

PII_DECK = Deck(['email', 'phone', 'ssn', 'uk_nino', 'card_number', 'iban', 'passport_number', 'date_of_birth',
                 'street_address', 'email', 'phone', 'card_number'])


def pii(kind=None):
    """Return (json_key, kind, raw value)."""
    if kind is None and chance(.5):
        ks = ['email', 'phone', 'ssn', 'uk_nino', 'card_number', 'iban', 'passport_number', 'date_of_birth', 'street_address']
        m = min(RENDERED_KINDS[k] + PENDING[k] for k in ks)
        kind = ch([k for k in ks if RENDERED_KINDS[k] + PENDING[k] == m])
        PENDING[kind] += 3
    kind = kind or PII_DECK.draw()
    if kind == 'email':
        return ch(EMAIL_KEYS), kind, gen_email()
    if kind == 'phone':
        return ch(PHONE_KEYS), kind, gen_phone()
    if kind == 'ssn':
        return ch(SSN_KEYS), kind, gen_ssn()
    if kind == 'uk_nino':
        return ch(NINO_KEYS), kind, gen_nino()
    if kind == 'card_number':
        return ch(CARD_KEYS), kind, gen_card()
    if kind == 'iban':
        return ch(IBAN_KEYS), kind, gen_iban()
    if kind == 'passport_number':
        return ch(PASSPORT_KEYS), kind, gen_passport()
    if kind == 'date_of_birth':
        return ch(DOB_KEYS), kind, gen_dob()
    return ch(ADDR_KEYS), 'street_address', gen_address()


# ---------------------------------------------------------------------------
# credentials
# ---------------------------------------------------------------------------
ISSUERS = [
    lambda c: 'https://cognito-idp.%s.amazonaws.com/%s_%s' % (c['region'], c['region'], rs(9)),
    lambda c: 'https://%s.us.auth0.com/' % ch(['acme', 'globex', 'initech', 'hooli']),
    lambda c: 'https://%s.okta.com/oauth2/default' % ch(['dev-%s' % dg(8), 'northwind', 'contoso']),
    lambda c: 'https://login.microsoftonline.com/%s/v2.0' % ruuid(),
    lambda c: 'https://accounts.google.com',
    lambda c: 'https://sso.%s/realms/%s' % (ch(CORP), ch(['master', 'customers', 'staff'])),
    lambda c: 'https://securetoken.google.com/%s-%s' % (ch(['shop', 'app', 'prod']), dg(5)),
]
SIGLEN = {'RS256': 256, 'RS512': 256, 'PS256': 256, 'ES256': 64, 'ES384': 96, 'HS256': 32, 'EdDSA': 64}


def gen_jwt(c, email=None, alg=None, use='access', extra=None):
    alg = alg or ch(['RS256', 'RS256', 'RS256', 'ES256', 'HS256', 'PS256', 'EdDSA', 'RS512', 'ES384'])
    hdr = {'alg': alg, 'typ': 'JWT'} if chance(0.5) else {'kid': rs(ch([8, 27, 43]), B64U), 'alg': alg}
    now = int(c['t'].timestamp())
    pl = {'sub': ruuid(), 'iss': ch(ISSUERS)(c), 'iat': now - R.randint(0, 3000)}
    pl['exp'] = pl['iat'] + ch([300, 900, 3600, 86400])
    if use == 'access':
        pl['scope'] = ch(['openid profile email', 'orders:read orders:write', 'aws.cognito.signin.user.admin', 'api://default/.default'])
        pl['client_id'] = rs(26, LOWER + DIG)
        pl['token_use'] = 'access'
    else:
        pl['aud'] = rs(26, LOWER + DIG)
        pl['token_use'] = 'id'
    if email:
        pl['email'] = email
    if extra:
        pl.update(extra)
    pl['jti'] = ruuid()
    return b64ue(cjson(hdr)) + '.' + b64ue(cjson(pl)) + '.' + b64ue(rb(SIGLEN[alg]))


def gen_jwe(direct=False, small=False):
    if direct:
        hdr = {'alg': 'dir', 'enc': ch(['A256GCM', 'A256CBC-HS512'])}
        ek = ''
    else:
        hdr = {'cty': 'JWT', 'enc': 'A256GCM', 'alg': ch(['RSA-OAEP', 'RSA-OAEP-256'])}
        ek = b64ue(rb(256))
    n = R.randint(120, 300) if small else R.randint(300, 800)
    return '.'.join([b64ue(cjson(hdr)), ek, b64ue(rb(12)), b64ue(rb(n)), b64ue(rb(16))])


def gen_jwt_none(c, email=None):
    hdr = {'alg': 'none', 'typ': 'JWT'}
    pl = {'sub': ruuid(), 'role': ch(['admin', 'user', 'service']), 'iat': int(c['t'].timestamp())}
    if email:
        pl['email'] = email
    return b64ue(cjson(hdr)) + '.' + b64ue(cjson(pl))


def gen_opaque():
    return ch([lambda: rs(R.randint(32, 64), ALNUM), lambda: rs(R.randint(40, 86), B64U),
               lambda: 'ory_at_' + rs(43, B64U) + '.' + rs(43, B64U), lambda: hx(64),
               lambda: 'at_' + rs(40), lambda: rs(28, ALNUM) + '~' + rs(12, ALNUM)])()


def gen_refresh():
    return ch([lambda: rs(R.randint(48, 96), B64U), lambda: 'ory_rt_' + rs(43, B64U) + '.' + rs(43, B64U),
               lambda: 'v1.' + rs(120, B64U), lambda: '1//0' + rs(100, B64U), lambda: rs(64, ALNUM)])()


def gen_auth_code():
    return ch([lambda: '4/0A' + rs(R.randint(60, 80), B64U), lambda: rs(43, B64U), lambda: ruuid(),
               lambda: rs(32, ALNUM), lambda: 'SplxlOBe' + rs(16, ALNUM), lambda: '0.A' + rs(R.randint(200, 300), B64U)])()


def gen_client_secret():
    return ch([lambda: rs(64, B64U), lambda: 'GOCSPX-' + rs(28, B64U), lambda: rs(40, ALNUM),
               lambda: rs(3, ALNUM) + '8Q~' + rs(31, ALNUM + '_-.~'), lambda: rs(52, LOWER + DIG)])()


def gen_code_verifier():
    return rs(R.randint(43, 96), B64U + '.~')


def gen_client_id():
    return ch([lambda: '%s-%s.apps.googleusercontent.com' % (dg(12), rs(32, LOWER + DIG)),
               lambda: '0oa' + rs(17, ALNUM), lambda: rs(26, LOWER + DIG), lambda: ruuid(), lambda: rs(32, ALNUM)])()


def gen_akid(temp=None):
    temp = chance(0.5) if temp is None else temp
    return ('ASIA' if temp else 'AKIA') + rs(16, B32)


def gen_aws_secret():
    return rs(40, ALNUM + '/+')


def gen_session_token():
    return ch(['IQoJb3JpZ2luX2Vj', 'IQoJb3JpZ2luX2VjE', 'FwoGZXIvYXdzE']) + rs(R.randint(560, 900), B64C) + ch(['', '=', '=='])


def gen_apigw_key():
    return rs(ch([40, 40, 30, 20, 32, 36]), ALNUM)


def gen_sigv4():
    return hx(64)


def gen_reset_token():
    return ch([lambda: rs(40, B64U), lambda: hx(64), lambda: rs(32, ALNUM), lambda: rs(20, UPPER + DIG)])()


def k_role_id(prefix='AROA'):
    return prefix + rs(17, B32)


PEM_PREFIX = {
    'PRIVATE KEY': ('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ', 1620),
    'EC PRIVATE KEY': ('MHcCAQEEI', 160),
    'RSA PRIVATE KEY': ('MIIEowIBAAKCAQEA', 1580),
    'ENCRYPTED PRIVATE KEY': ('MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI', 1700),
}


def gen_pem(typ=None, short=False):
    """Return (header, body_lines, footer).  Body lines are each a secret label."""
    typ = typ or ch(['PRIVATE KEY', 'EC PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'PRIVATE KEY'])
    pre, n = PEM_PREFIX[typ]
    if typ == 'PRIVATE KEY' and chance(0.6):
        pre, n = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg', 184
    if short:
        n = min(n, R.randint(300, 420))
    body = pre + rs(n - len(pre), B64C)
    body = body[:len(body) - len(body) % 4] if len(body) % 4 else body
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return '-----BEGIN %s-----' % typ, lines, '-----END %s-----' % typ


def gen_openssh(comment=None):
    comment = comment or ch(['deploy@ci', 'root@bastion', 'github-actions', 'svc-backup'])
    def sstr(b):
        return len(b).to_bytes(4, 'big') + b
    pub = rb(32)
    pubblob = sstr(b'ssh-ed25519') + sstr(pub)
    chk = rb(4)
    priv = chk + chk + sstr(b'ssh-ed25519') + sstr(pub) + sstr(rb(32) + pub) + sstr(comment.encode())
    pad = 8 - len(priv) % 8
    priv += bytes(range(1, pad + 1)) if pad < 8 else b''
    blob = b'openssh-key-v1\x00' + sstr(b'none') + sstr(b'none') + sstr(b'') + (1).to_bytes(4, 'big') + sstr(pubblob) + sstr(priv)
    b = base64.b64encode(blob).decode()
    lines = [b[i:i + 70] for i in range(0, len(b), 70)]
    return '-----BEGIN OPENSSH PRIVATE KEY-----', lines, '-----END OPENSSH PRIVATE KEY-----'


def pem_T(hdr, lines, ftr, nl='\n', kind='private_key', skip_const_first=False):
    """PEM block as T; each body line labelled (the fully constant first line
    of an OpenSSH key is left unlabelled)."""
    parts = [T(hdr)]
    for i, l in enumerate(lines):
        if skip_const_first and i == 0:
            parts.append(T(l))
        else:
            parts.append(S(l, kind))
    parts.append(T(ftr))
    return J(nl, parts) + nl


def gen_saml(c, email):
    now = iso_s(c['t'])
    x = ('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0" IssueInstant="%s" '
         'Destination="https://%s/saml/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
         'https://idp.%s/saml2/idp/metadata</saml:Issuer><samlp:Status><samlp:StatusCode '
         'Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion '
         'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_%s" IssueInstant="%s" Version="2.0">'
         '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:DigestValue>%s</ds:DigestValue>'
         '</ds:SignedInfo><ds:SignatureValue>%s</ds:SignatureValue></ds:Signature><saml:Subject><saml:NameID '
         'Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">%s</saml:NameID></saml:Subject>'
         '<saml:AttributeStatement><saml:Attribute Name="groups"><saml:AttributeValue>%s</saml:AttributeValue>'
         '</saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>') % (
        hx(40), now, c['host'], ch(CORP), hx(40), now, b64e(rb(32)), b64e(rb(ch([128, 256]))), email,
        ch(['engineering', 'finance', 'support', 'admins']))
    return b64e(x.encode())


def digest_header(user):
    return F('Digest username="%s", realm="%s", nonce="%s", uri="%s", qop=auth, nc=%08x, cnonce="%s", response="§", opaque="%s"'
             % (user, ch(['api@' + ch(CORP), 'Restricted', 'testrealm@host.com']), hx(32), ch(['/v1/reports', '/dir/index.html', '/api/export']),
                R.randint(1, 9), hx(8), hx(32)), S(hx(32), 'digest_response'))


# ---------------------------------------------------------------------------
# vendor tokens
# ---------------------------------------------------------------------------
VENDORS = []


def vendor(name, gen, hdr=(('Authorization', 'Bearer \u00a7'),), env=None, key=None, q=('access_token',)):
    VENDORS.append({'name': name, 'gen': gen, 'hdr': list(hdr), 'env': list(env or [name.upper() + '_API_KEY']),
                    'key': list(key or ['api_key', 'token']), 'q': list(q)})


BEARER = (('Authorization', 'Bearer \u00a7'),)
NOHDR = ()


def g_github():
    r = R.random()
    if r < 0.5:
        return 'ghp_' + rs(36)
    if r < 0.7:
        return ch(['gho_', 'ghu_', 'ghs_', 'ghr_']) + rs(36)
    return 'github_pat_11' + rs(20, UPPER + DIG) + '_' + rs(59)


def g_slack():
    return ch([lambda: 'xoxb-%s-%s-%s' % (dg(ch([10, 11, 12])), dg(ch([11, 12, 13])), rs(24)),
               lambda: 'xoxp-%s-%s-%s-%s' % (dg(11), dg(11), dg(13), hx(32)),
               lambda: 'xapp-1-A%s-%s-%s' % (rs(10, UPPER + DIG), dg(13), hx(64)),
               lambda: 'xoxe.xoxp-1-' + rs(140, ALNUM)])()


def g_stripe():
    return ch([lambda: 'sk_live_51' + rs(R.randint(50, 96)), lambda: 'rk_live_51' + rs(R.randint(50, 96)),
               lambda: 'whsec_' + rs(32), lambda: 'sk_test_51' + rs(R.randint(50, 96))])()


def g_discord():
    sf = str(R.randint(10 ** 17, 10 ** 18))
    return b64e(sf).rstrip('=') + '.' + rs(6, B64U) + '.' + rs(38, B64U)


def g_mapbox():
    return 'sk.' + b64ue(cjson({'u': ch(FIRST) + dg(3), 'a': rs(25, LOWER + DIG)})) + '.' + rs(22, B64U)


def g_intercom():
    return b64e(('tok:%s_%s_%s:1:0' % (hx(8), hx(4), hx(20))).encode())


def g_twitter():
    return 'A' * 21 + rs(R.randint(20, 26)) + '%2B' + rs(10) + '%3D' + rs(50)


def g_grafana():
    if chance(0.6):
        return 'glsa_' + rs(32) + '_' + hx(8)
    return 'glc_' + b64e(cjson({'o': dg(6), 'n': 'stack-%s-%s' % (dg(6), ch(['hm-read', 'logs-write'])), 'k': rs(24),
                                'm': {'r': 'prod-us-east-0'}})).rstrip('=')


vendor('github', g_github, hdr=[('Authorization', 'token \u00a7'), ('Authorization', 'Bearer \u00a7')],
       env=['GITHUB_TOKEN', 'GH_TOKEN', 'GH_ENTERPRISE_TOKEN'], key=['github_token', 'token', 'ghToken'])
vendor('gitlab', lambda: ch(['glpat-', 'glpat-', 'gldt-', 'glrt-', 'glptt-']) + rs(20, ALNUM + '-_'),
       hdr=[('PRIVATE-TOKEN', '\u00a7'), ('Authorization', 'Bearer \u00a7')], env=['GITLAB_TOKEN', 'GL_TOKEN'],
       key=['gitlab_token', 'private_token'], q=['private_token'])
vendor('slack', g_slack, env=['SLACK_BOT_TOKEN', 'SLACK_TOKEN', 'SLACK_APP_TOKEN'], key=['slack_token', 'botToken'], q=['token'])
vendor('stripe', g_stripe, env=['STRIPE_SECRET_KEY', 'STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET'], key=['stripe_secret_key', 'secretKey'])
vendor('twilio', lambda: hx(32), hdr=NOHDR, env=['TWILIO_AUTH_TOKEN'], key=['twilio_auth_token', 'authToken'])
vendor('twilio', lambda: 'SK' + hx(32) + ':' + rs(32), hdr=NOHDR, env=['TWILIO_API_KEY_PAIR'], key=['twilio_api_key'])
vendor('sendgrid', lambda: 'SG.' + rs(22, B64U) + '.' + rs(43, B64U), env=['SENDGRID_API_KEY'], key=['sendgrid_api_key', 'apiKey'])
vendor('mailgun', lambda: 'key-' + hx(32), hdr=NOHDR, env=['MAILGUN_API_KEY'], key=['mailgun_key', 'api_key'])
vendor('shopify', lambda: ch(['shpat_', 'shpss_', 'shpca_', 'shppa_']) + hx(32), hdr=[('X-Shopify-Access-Token', '\u00a7')],
       env=['SHOPIFY_ACCESS_TOKEN', 'SHOPIFY_API_SECRET'], key=['shopify_token', 'accessToken'])
vendor('atlassian', lambda: 'ATATT3xFfGF0' + rs(R.randint(168, 176), ALNUM + '-_') + '=' + hx(8, True), env=['JIRA_API_TOKEN', 'CONFLUENCE_API_TOKEN'],
       key=['jira_token', 'apiToken'])
vendor('bitbucket', lambda: 'ATBB' + rs(28) + hx(8, True), env=['BITBUCKET_APP_PASSWORD'], key=['app_password'])
vendor('trello', lambda: 'ATTA' + hx(64) + hx(8, True), hdr=NOHDR, env=['TRELLO_TOKEN'], key=['trello_token'], q=['token'])
vendor('okta', lambda: '00' + rs(40, ALNUM + '-_'), hdr=[('Authorization', 'SSWS \u00a7')], env=['OKTA_API_TOKEN', 'OKTA_CLIENT_TOKEN'],
       key=['okta_api_token'])
vendor('azure', lambda: rs(3, ALNUM) + '8Q~' + rs(31, ALNUM + '_-.~'), hdr=NOHDR, env=['AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET'],
       key=['clientSecret', 'azure_client_secret'])
vendor('azure', lambda: hx(32), hdr=[('api-key', '\u00a7'), ('Ocp-Apim-Subscription-Key', '\u00a7')], env=['AZURE_OPENAI_API_KEY'],
       key=['azure_openai_key', 'subscriptionKey'])
vendor('azure_devops', lambda: ch([lambda: rs(52, LOWER + '234567'), lambda: rs(76, ALNUM) + 'AZDO' + rs(4, ALNUM)])(),
       hdr=NOHDR, env=['AZURE_DEVOPS_EXT_PAT', 'SYSTEM_ACCESSTOKEN'], key=['ado_pat'])
vendor('google', lambda: 'AIza' + rs(35, ALNUM + '-_'), hdr=[('X-Goog-Api-Key', '\u00a7')], env=['GOOGLE_API_KEY', 'GEMINI_API_KEY', 'MAPS_API_KEY'],
       key=['apiKey', 'google_api_key'], q=['key'])
vendor('google', lambda: 'ya29.' + ch(['a0', 'c.']) + rs(R.randint(140, 200), ALNUM + '-_'), env=['GOOGLE_OAUTH_ACCESS_TOKEN'],
       key=['access_token'])
vendor('huggingface', lambda: 'hf_' + rs(34, string.ascii_letters), env=['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'], key=['hf_token'])
vendor('openai', lambda: ch([lambda: 'sk-proj-' + rs(156, ALNUM + '-_'), lambda: 'sk-' + rs(20) + 'T3BlbkFJ' + rs(20),
                             lambda: 'sk-svcacct-' + rs(120, ALNUM + '-_'), lambda: 'sk-admin-' + rs(120, ALNUM + '-_')])(),
       env=['OPENAI_API_KEY'], key=['openai_api_key', 'apiKey'])
vendor('anthropic', lambda: ch(['sk-ant-api03-', 'sk-ant-api03-', 'sk-ant-admin01-']) + rs(93, ALNUM + '-_') + 'AA',
       hdr=[('x-api-key', '\u00a7')], env=['ANTHROPIC_API_KEY'], key=['anthropic_api_key'])
vendor('databricks', lambda: 'dapi' + hx(32) + ch(['', '-2', '-3']), env=['DATABRICKS_TOKEN'], key=['databricks_token'])
vendor('doppler', lambda: ch(['dp.st.prd.', 'dp.st.dev.', 'dp.pt.', 'dp.sa.', 'dp.ct.']) + rs(43), env=['DOPPLER_TOKEN'], key=['doppler_token'])
vendor('vault', lambda: ch([lambda: 'hvs.CAESI' + rs(R.randint(80, 100), ALNUM + '-_'), lambda: 'hvs.' + rs(24), lambda: 'hvb.AAAAAQ' + rs(120, ALNUM + '-_')])(),
       hdr=[('X-Vault-Token', '\u00a7')], env=['VAULT_TOKEN'], key=['vault_token', 'client_token'])
vendor('postman', lambda: 'PMAK-' + hx(24) + '-' + hx(34), hdr=[('X-Api-Key', '\u00a7')], env=['POSTMAN_API_KEY'], key=['postman_api_key'])
vendor('npm', lambda: 'npm_' + rs(36), env=['NPM_TOKEN', 'NODE_AUTH_TOKEN'], key=['npm_token', '_authToken'])
vendor('pypi', lambda: 'pypi-AgEIcHlwaS5vcmc' + rs(R.randint(130, 170), ALNUM + '-_'), hdr=NOHDR, env=['TWINE_PASSWORD', 'PYPI_API_TOKEN'],
       key=['pypi_token'])
vendor('dockerhub', lambda: 'dckr_pat_' + rs(27, ALNUM + '-_'), hdr=NOHDR, env=['DOCKERHUB_TOKEN', 'DOCKER_PASSWORD'], key=['docker_token'])
vendor('digitalocean', lambda: ch(['dop_v1_', 'doo_v1_', 'dor_v1_']) + hx(64), env=['DIGITALOCEAN_ACCESS_TOKEN'], key=['do_token'])
vendor('linear', lambda: 'lin_api_' + rs(40), hdr=[('Authorization', '\u00a7')], env=['LINEAR_API_KEY'], key=['linear_api_key'])
vendor('sentry', lambda: ch([lambda: 'sntryu_' + hx(64), lambda: 'sntrys_eyJ' + rs(150, ALNUM) + '_' + rs(43, ALNUM + '/+')])(),
       env=['SENTRY_AUTH_TOKEN'], key=['sentry_auth_token'])
vendor('newrelic', lambda: ch([lambda: 'NRAK-' + rs(27, UPPER + DIG), lambda: hx(36) + 'NRAL', lambda: 'NRII-' + rs(32, ALNUM + '-_')])(),
       hdr=[('Api-Key', '\u00a7'), ('X-License-Key', '\u00a7')], env=['NEW_RELIC_API_KEY', 'NEW_RELIC_LICENSE_KEY'], key=['newrelic_key'])
vendor('grafana', g_grafana, env=['GRAFANA_SERVICE_ACCOUNT_TOKEN', 'GRAFANA_CLOUD_TOKEN'], key=['grafana_token'])
vendor('cloudflare', lambda: rs(40, ALNUM + '-_'), env=['CLOUDFLARE_API_TOKEN', 'CF_API_TOKEN'], key=['cloudflare_api_token'])
vendor('cloudflare', lambda: hx(37), hdr=[('X-Auth-Key', '\u00a7')], env=['CLOUDFLARE_API_KEY'], key=['cf_global_key'])
vendor('cloudflare', lambda: 'v1.0-' + hx(24) + '-' + hx(146), hdr=[('X-Auth-User-Service-Key', '\u00a7')], env=['CF_ORIGIN_CA_KEY'], key=['origin_ca_key'])
vendor('heroku', lambda: 'HRKU-AA' + rs(58, ALNUM + '-_'), env=['HEROKU_API_KEY'], key=['heroku_api_key'])
vendor('square', lambda: ch([lambda: 'EAAA' + rs(60, ALNUM + '-_'), lambda: 'sq0csp-' + rs(43, ALNUM + '-_'), lambda: 'sq0atp-' + rs(22, ALNUM + '-_')])(),
       env=['SQUARE_ACCESS_TOKEN', 'SQUARE_APP_SECRET'], key=['square_token'])
vendor('braintree', lambda: 'access_token$production$' + rs(16, LOWER + DIG) + '$' + hx(32), env=['BRAINTREE_ACCESS_TOKEN'], key=['braintree_token'])
vendor('paypal', lambda: 'A21AA' + rs(R.randint(80, 100), ALNUM + '-_'), env=['PAYPAL_ACCESS_TOKEN'], key=['paypal_token'])
vendor('adyen', lambda: 'AQE' + rs(77, B64C) + '==-' + rs(43, B64C) + '=-' + rs(16, ALNUM), hdr=[('X-API-Key', '\u00a7')], env=['ADYEN_API_KEY'],
       key=['adyen_api_key'])
vendor('plaid', lambda: 'access-production-' + ruuid(), hdr=NOHDR, env=['PLAID_ACCESS_TOKEN'], key=['access_token', 'plaid_access_token'])
vendor('plaid', lambda: hx(30), hdr=[('PLAID-SECRET', '\u00a7')], env=['PLAID_SECRET'], key=['secret', 'plaid_secret'])
vendor('discord', g_discord, hdr=[('Authorization', 'Bot \u00a7')], env=['DISCORD_BOT_TOKEN', 'DISCORD_TOKEN'], key=['discord_token'])
vendor('telegram', lambda: str(R.randint(10 ** 8, 8 * 10 ** 9)) + ':AA' + rs(33, ALNUM + '-_'), hdr=NOHDR, env=['TELEGRAM_BOT_TOKEN'],
       key=['telegram_bot_token', 'bot_token'])
vendor('age', lambda: 'AGE-SECRET-KEY-1' + rs(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'), hdr=NOHDR, env=['SOPS_AGE_KEY'], key=['age_key'])
vendor('pulumi', lambda: 'pul-' + hx(40), hdr=[('Authorization', 'token \u00a7')], env=['PULUMI_ACCESS_TOKEN'], key=['pulumi_token'])
vendor('terraform', lambda: rs(14) + '.atlasv1.' + rs(67, ALNUM), env=['TFE_TOKEN', 'TF_TOKEN_app_terraform_io'], key=['tfc_token'])
vendor('flyio', lambda: ch([lambda: 'fo1_' + rs(43, ALNUM + '-_'), lambda: 'fm2_' + rs(R.randint(120, 200), B64U)])(),
       hdr=[('Authorization', 'FlyV1 \u00a7'), ('Authorization', 'Bearer \u00a7')], env=['FLY_API_TOKEN'], key=['fly_token'])
vendor('vercel', lambda: rs(24), env=['VERCEL_TOKEN'], key=['vercel_token'])
vendor('netlify', lambda: ch(['nfp_', 'nfc_', 'nfo_']) + rs(36), env=['NETLIFY_AUTH_TOKEN'], key=['netlify_token'])
vendor('supabase', lambda: ch([lambda: 'sbp_' + hx(40), lambda: 'sb_secret_' + rs(31, ALNUM + '-_')])(),
       hdr=[('apikey', '\u00a7'), ('Authorization', 'Bearer \u00a7')], env=['SUPABASE_ACCESS_TOKEN', 'SUPABASE_SECRET_KEY'], key=['supabase_key'])
vendor('planetscale', lambda: ch(['pscale_tkn_', 'pscale_pw_', 'pscale_oauth_']) + rs(43, ALNUM + '-_'), hdr=[('Authorization', '\u00a7')],
       env=['PLANETSCALE_SERVICE_TOKEN', 'DATABASE_PASSWORD'], key=['pscale_token'])
vendor('artifactory', lambda: ch([lambda: 'AKCp8' + rs(68), lambda: 'cmVmdGtuOjAxOj' + rs(50)])(),
       hdr=[('X-JFrog-Art-Api', '\u00a7'), ('Authorization', 'Bearer \u00a7')], env=['ARTIFACTORY_API_KEY', 'JFROG_ACCESS_TOKEN'], key=['artifactory_key'])
vendor('dropbox', lambda: ch(['sl.', 'sl.u.']) + rs(R.randint(130, 150), ALNUM + '-_'), env=['DROPBOX_ACCESS_TOKEN'], key=['dropbox_token'])
vendor('figma', lambda: 'figd_' + rs(40, ALNUM + '-_'), hdr=[('X-Figma-Token', '\u00a7')], env=['FIGMA_TOKEN'], key=['figma_token'])
vendor('asana', lambda: '2/' + dg(16) + '/' + dg(16) + ':' + hx(32), env=['ASANA_ACCESS_TOKEN'], key=['asana_pat'])
vendor('notion', lambda: ch([lambda: 'secret_' + rs(43), lambda: 'ntn_' + dg(11) + rs(35)])(), env=['NOTION_TOKEN', 'NOTION_API_KEY'], key=['notion_token'])
vendor('airtable', lambda: 'pat' + rs(14) + '.' + hx(64), env=['AIRTABLE_API_KEY', 'AIRTABLE_PAT'], key=['airtable_token'])
vendor('mapbox', g_mapbox, hdr=NOHDR, env=['MAPBOX_SECRET_TOKEN'], key=['mapbox_token'], q=['access_token'])
vendor('algolia', lambda: hx(32), hdr=[('X-Algolia-API-Key', '\u00a7')], env=['ALGOLIA_ADMIN_KEY'], key=['adminApiKey'])
vendor('contentful', lambda: 'CFPAT-' + rs(43, ALNUM + '-_'), env=['CONTENTFUL_MANAGEMENT_TOKEN'], key=['cma_token'])
vendor('zendesk', lambda: rs(40), hdr=NOHDR, env=['ZENDESK_API_TOKEN'], key=['zendesk_api_token'])
vendor('intercom', g_intercom, env=['INTERCOM_ACCESS_TOKEN'], key=['intercom_token'])
vendor('segment', lambda: rs(32), hdr=NOHDR, env=['SEGMENT_WRITE_KEY'], key=['writeKey'])
vendor('mixpanel', lambda: hx(32), hdr=NOHDR, env=['MIXPANEL_API_SECRET', 'MIXPANEL_SERVICE_ACCOUNT_SECRET'], key=['api_secret'])
vendor('launchdarkly', lambda: ch(['api-', 'sdk-']) + ruuid(), hdr=[('Authorization', '\u00a7')], env=['LD_SDK_KEY', 'LAUNCHDARKLY_ACCESS_TOKEN'],
       key=['sdkKey'])
vendor('snyk', lambda: ruuid(), hdr=[('Authorization', 'token \u00a7')], env=['SNYK_TOKEN'], key=['snyk_token'])
vendor('circleci', lambda: ch(['CCIPAT_', 'CCIPRJ_']) + rs(22) + '_' + hx(40), hdr=[('Circle-Token', '\u00a7')], env=['CIRCLECI_TOKEN', 'CIRCLE_TOKEN'],
       key=['circle_token'])
vendor('buildkite', lambda: ch(['bkua_', 'bkct_']) + hx(40), env=['BUILDKITE_API_TOKEN'], key=['buildkite_token'])
vendor('datadog', lambda: hx(32), hdr=[('DD-API-KEY', '\u00a7')], env=['DD_API_KEY', 'DATADOG_API_KEY'], key=['dd_api_key'])
vendor('datadog', lambda: hx(40), hdr=[('DD-APPLICATION-KEY', '\u00a7')], env=['DD_APP_KEY'], key=['dd_app_key'])
vendor('pagerduty', lambda: 'u+' + rs(18, ALNUM + '-_'), hdr=[('Authorization', 'Token token=\u00a7')], env=['PAGERDUTY_TOKEN'], key=['pd_token'])
vendor('mailchimp', lambda: hx(32) + '-us' + str(R.randint(1, 21)), hdr=NOHDR, env=['MAILCHIMP_API_KEY'], key=['mailchimp_api_key'])
vendor('confluent', lambda: rs(64, B64C), hdr=NOHDR, env=['CONFLUENT_CLOUD_API_SECRET', 'KAFKA_SASL_PASSWORD'], key=['sasl.password', 'api_secret'])
vendor('shippo', lambda: 'shippo_live_' + hx(40), hdr=[('Authorization', 'ShippoToken \u00a7')], env=['SHIPPO_API_TOKEN'], key=['shippo_token'])
vendor('typeform', lambda: 'tfp_' + rs(44, ALNUM + '-_') + '_' + rs(14), env=['TYPEFORM_TOKEN'], key=['typeform_token'])
vendor('pinecone', lambda: 'pcsk_' + rs(5) + '_' + rs(60), hdr=[('Api-Key', '\u00a7')], env=['PINECONE_API_KEY'], key=['pinecone_api_key'])
vendor('groq', lambda: 'gsk_' + rs(52), env=['GROQ_API_KEY'], key=['groq_api_key'])
vendor('replicate', lambda: 'r8_' + rs(37), hdr=[('Authorization', 'Token \u00a7'), ('Authorization', 'Bearer \u00a7')], env=['REPLICATE_API_TOKEN'],
       key=['replicate_token'])
vendor('perplexity', lambda: 'pplx-' + rs(48), env=['PERPLEXITY_API_KEY'], key=['pplx_key'])
vendor('xai', lambda: 'xai-' + rs(80), env=['XAI_API_KEY'], key=['xai_api_key'])
vendor('nvidia', lambda: 'nvapi-' + rs(64, ALNUM + '-_'), env=['NVIDIA_API_KEY', 'NGC_API_KEY'], key=['nvapi_key'])
vendor('openrouter', lambda: 'sk-or-v1-' + hx(64), env=['OPENROUTER_API_KEY'], key=['openrouter_key'])
vendor('facebook', lambda: 'EAA' + ch('BGJIC') + rs(R.randint(150, 190)), hdr=NOHDR, env=['FB_ACCESS_TOKEN', 'META_PAGE_TOKEN'],
       key=['page_access_token'], q=['access_token'])
vendor('twitter', g_twitter, env=['TWITTER_BEARER_TOKEN', 'X_BEARER_TOKEN'], key=['bearer_token'])
vendor('salesforce', lambda: '00D' + rs(12) + '!' + rs(96, ALNUM + '._'), env=['SF_ACCESS_TOKEN', 'SFDC_SESSION_ID'], key=['sf_token'])
vendor('hubspot', lambda: 'pat-' + ch(['na1', 'eu1', 'na2']) + '-' + ruuid(), env=['HUBSPOT_ACCESS_TOKEN'], key=['hubspot_token'])
vendor('alibaba', lambda: 'LTAI' + rs(20), hdr=NOHDR, env=['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY'], key=['AccessKeyId'])
vendor('alibaba', lambda: rs(30), hdr=NOHDR, env=['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'], key=['AccessKeySecret'])
vendor('render', lambda: 'rnd_' + rs(32), env=['RENDER_API_KEY'], key=['render_api_key'])
vendor('postmark', lambda: ruuid(), hdr=[('X-Postmark-Server-Token', '\u00a7'), ('X-Postmark-Account-Token', '\u00a7')],
       env=['POSTMARK_SERVER_TOKEN'], key=['postmark_token'])
vendor('resend', lambda: 're_' + rs(8) + '_' + rs(24), env=['RESEND_API_KEY'], key=['resend_key'])
vendor('deno', lambda: 'ddp_' + rs(36), env=['DENO_DEPLOY_TOKEN'], key=['deno_token'])
vendor('langsmith', lambda: ch(['lsv2_pt_', 'lsv2_sk_']) + hx(32) + '_' + hx(10), hdr=[('x-api-key', '\u00a7')],
       env=['LANGSMITH_API_KEY', 'LANGCHAIN_API_KEY'], key=['langsmith_key'])
vendor('nuget', lambda: 'oy2' + rs(43, LOWER + DIG), hdr=[('X-NuGet-ApiKey', '\u00a7')], env=['NUGET_API_KEY'], key=['nuget_key'])
vendor('firebase', lambda: 'AAAA' + rs(7, ALNUM + '-_') + ':APA91b' + rs(134, ALNUM + '-_'), hdr=[('Authorization', 'key=\u00a7')],
       env=['FCM_SERVER_KEY'], key=['fcm_server_key'])
vendor('dynatrace', lambda: 'dt0c01.' + rs(24, UPPER + DIG) + '.' + rs(64, UPPER + DIG), hdr=[('Authorization', 'Api-Token \u00a7')],
       env=['DT_API_TOKEN'], key=['dt_token'])
vendor('rubygems', lambda: 'rubygems_' + hx(48), hdr=[('Authorization', '\u00a7')], env=['GEM_HOST_API_KEY'], key=['rubygems_api_key'])
vendor('clojars', lambda: 'CLOJARS_' + hx(60), hdr=NOHDR, env=['CLOJARS_DEPLOY_TOKEN'], key=['clojars_token'])
vendor('tailscale', lambda: 'tskey-' + ch(['api', 'auth', 'client']) + '-k' + rs(10) + 'CNTRL-' + rs(33), env=['TS_AUTHKEY', 'TAILSCALE_API_KEY'],
       key=['authkey'])
vendor('1password', lambda: 'ops_eyJ' + rs(R.randint(200, 300), ALNUM), env=['OP_SERVICE_ACCOUNT_TOKEN'], key=['op_token'])
vendor('prefect', lambda: 'pnu_' + rs(36), env=['PREFECT_API_KEY'], key=['prefect_key'])
vendor('scalingo', lambda: 'tk-us-' + rs(48, ALNUM + '-_'), env=['SCALINGO_API_TOKEN'], key=['scalingo_token'])
vendor('harness', lambda: 'pat.' + rs(22, ALNUM + '-_') + '.' + hx(24) + '.' + rs(20), hdr=[('x-api-key', '\u00a7')],
       env=['HARNESS_PLATFORM_API_KEY'], key=['harness_key'])
vendor('klaviyo', lambda: 'pk_' + hx(34), hdr=[('Authorization', 'Klaviyo-API-Key \u00a7')], env=['KLAVIYO_PRIVATE_KEY'], key=['klaviyo_key'])
vendor('easypost', lambda: 'EZAK' + hx(54), hdr=NOHDR, env=['EASYPOST_API_KEY'], key=['easypost_key'])
vendor('readme', lambda: 'rdme_' + rs(70, LOWER + DIG), env=['README_API_KEY'], key=['readme_key'])
vendor('elastic', lambda: b64e((rs(20, ALNUM + '-_') + ':' + rs(22, ALNUM + '-_')).encode()), hdr=[('Authorization', 'ApiKey \u00a7')],
       env=['ELASTIC_API_KEY'], key=['es_api_key'])
vendor('fastly', lambda: rs(32, ALNUM + '-_'), hdr=[('Fastly-Key', '\u00a7')], env=['FASTLY_API_TOKEN'], key=['fastly_token'])
vendor('sonarqube', lambda: ch(['squ_', 'sqp_', 'sqa_']) + hx(40), env=['SONAR_TOKEN'], key=['sonar_token'])
vendor('octopus', lambda: 'API-' + rs(26, UPPER + DIG), hdr=[('X-Octopus-ApiKey', '\u00a7')], env=['OCTOPUS_API_KEY'], key=['octopus_key'])
vendor('rollbar', lambda: hx(32), hdr=[('X-Rollbar-Access-Token', '\u00a7')], env=['ROLLBAR_ACCESS_TOKEN'], key=['rollbar_token'])
vendor('frameio', lambda: 'fio-u-' + rs(64, ALNUM + '-_'), env=['FRAMEIO_TOKEN'], key=['frameio_token'])
vendor('telnyx', lambda: 'KEY' + hx(32, True) + '_' + rs(22), env=['TELNYX_API_KEY'], key=['telnyx_key'])
vendor('ably', lambda: rs(6) + '.' + rs(6) + ':' + rs(43, ALNUM + '-_'), hdr=NOHDR, env=['ABLY_API_KEY'], key=['ably_key'])
vendor('duffel', lambda: 'duffel_live_' + rs(43, ALNUM + '-_'), env=['DUFFEL_ACCESS_TOKEN'], key=['duffel_token'])
vendor('flutterwave', lambda: 'FLWSECK-' + hx(32) + '-X', env=['FLW_SECRET_KEY'], key=['flw_secret'])
vendor('mollie', lambda: 'live_' + rs(30), env=['MOLLIE_API_KEY'], key=['mollie_key'])
vendor('auth0', lambda: rs(64, ALNUM + '-_'), hdr=NOHDR, env=['AUTH0_CLIENT_SECRET'], key=['auth0_client_secret'])
vendor('cloudinary', lambda: rs(27, ALNUM + '-_'), hdr=NOHDR, env=['CLOUDINARY_API_SECRET'], key=['api_secret'])

VENDOR_DECK = Deck(range(len(VENDORS)))
RENDERED = Counter()   # vendor name -> labels written so far (used to balance coverage)


def pick_vendor(need_hdr=False):
    pool = [v for v in VENDORS if v['hdr'] or not need_hdr]
    if chance(.95):
        m = min(RENDERED[v['name']] + PENDING['vendor:' + v['name']] for v in pool)
        pool = [v for v in pool if RENDERED[v['name']] + PENDING['vendor:' + v['name']] <= m]
    v = ch(pool)
    PENDING['vendor:' + v['name']] += 1
    return v


def vtok(v=None):
    v = v or pick_vendor()
    return v, S(v['gen'](), 'vendor:' + v['name'])


def vendor_header(v=None):
    """(header name, T value) for a vendor that authenticates by header."""
    v0 = v if (v and v['hdr']) else pick_vendor(True)
    _, t = vtok(v0)
    name, fmt = ch(v0['hdr'])
    return name, F(fmt, t)


def vendor_env(v=None):
    v, t = vtok(v)
    return F(ch(v['env']) + '=\u00a7', t)


def vendor_kv(v=None):
    v, t = vtok(v)
    return ch(v['key']), t


def slack_webhook():
    return F('https://hooks.slack.com/services/T%s/B%s/\u00a7' % (rs(ch([8, 10]), UPPER + DIG), rs(ch([8, 10, 11]), UPPER + DIG)),
             S(rs(24), 'vendor:slack'))


def discord_webhook():
    return F('https://discord.com/api/webhooks/%s/\u00a7' % dg(19), S(rs(68, B64U), 'vendor:discord'))


def telegram_url(method='sendMessage'):
    return F('https://api.telegram.org/bot\u00a7/%s' % method,
             S(str(R.randint(10 ** 8, 8 * 10 ** 9)) + ':AA' + rs(33, ALNUM + '-_'), 'vendor:telegram'))


def teams_webhook():
    return F('https://%s.webhook.office.com/webhookb2/%s@%s/IncomingWebhook/%s/%s/\u00a7' % (
        ch(['contoso', 'fabrikam', 'northwind']), ruuid(), ruuid(), hx(32), ruuid()), S('V2' + rs(43, B64U), 'vendor:microsoft_teams'))


def cloudinary_url():
    return F('cloudinary://%s:\u00a7@%s' % (dg(15), ch(['demo-cloud', 'acme-media', 'dxk' + rs(6, LOWER)])),
             S(rs(27, ALNUM + '-_'), 'vendor:cloudinary'))


def webhook_url():
    return ch([slack_webhook, discord_webhook, telegram_url, teams_webhook])()


# ---------------------------------------------------------------------------
# request model
# ---------------------------------------------------------------------------
def new_ctx():
    t = rtime()
    apiid = rs(10, LOWER + DIG)
    region = ch(REGIONS)
    c = {'t': t, 'apiid': apiid, 'region': region, 'stage': ch(['prod', 'prod', 'v1', 'dev', 'staging', 'live', 'api']),
         'acct': str(R.randint(10 ** 11, 10 ** 12 - 1)), 'reqid': ruuid(), 'extid': rs(15) + '=', 'ip': k_ip(),
         'xray': k_xray(t), 'lreqid': ruuid(), 'apikey_id': k_apikey_id(), 'resid': rs(6, LOWER + DIG)}
    c['http_api'] = chance(0.35)
    if c['http_api']:
        c['stage'] = ch(['$default', '$default', 'prod', 'v2'])
    c['hcase'] = 'lower' if c['http_api'] else ch(['canon', 'canon', 'canon', 'mixed'])
    c['host'] = ch(['%s.execute-api.%s.amazonaws.com' % (apiid, region)] * 3 +
                   [ch(['api.', 'gateway.', 'public-api.', 'svc.', 'auth.']) + ch(CORP)])
    c['ua'] = K(ua_benign())
    return c


def hn(c, name):
    if c['hcase'] == 'lower':
        return name.lower()
    if c['hcase'] == 'mixed':
        return ch([name, name.lower(), name.upper(), name.title()])
    return name


class Req:
    def __init__(self, c, method, resource, path=None):
        self.c = c
        self.method = method
        self.resource = resource
        self.path = lift(path if path is not None else resource)
        self.query = []          # (name, T raw value)
        self.headers = []        # (name, T)
        self.cookies = []        # T "name=value"
        self.body = None         # T
        self.ctype = None
        self.b64 = False
        self.status = 200
        self.resp_headers = []
        self.resp_body = None
        self.claims = None
        self.authctx = None
        self.principal = None
        self.identity = {}
        self.path_params = {}
        self.err = None
        self.ierr = None
        self.backend = None
        self.ua = c['ua']
        self.clean = False
        self.latency = R.randint(4, 2900)
        self.ilat = max(1, self.latency - R.randint(1, 40))
        self.resp_len = R.randint(0, 9000)
        self.notes = []          # extra T snippets usable in free text
        self.enc = q_all
        self.referer = None

    def h(self, name, value):
        self.headers.append((hn(self.c, name), lift(value)))

    def rh(self, name, value):
        self.resp_headers.append((name, lift(value)))

    def qs(self, enc=q_all):
        return J('&', [T(n + '=') + v.map(enc) for n, v in self.query])

    def full_path(self, enc=q_all):
        if self.query:
            return self.path + '?' + self.qs(enc)
        return self.path

    def add_cookies(self, pairs):
        # pairs: (name, T value, keep_name)
        parts = []
        for name, val, kn in pairs:
            nt = K(name) if kn else T(name)
            parts.append(nt + '=' + val)
        self.cookies = parts
        self.h('Cookie', J('; ', parts))


def form(pairs, enc=q_form):
    return J('&', [T(quote_plus(k)) + '=' + lift(v).map(enc) for k, v in pairs])


def std_headers(q, ctype=None):
    c = q.c
    q.h('Host', K(c['host']))
    q.h('User-Agent', q.ua)
    if chance(.8):
        q.h('Accept', ch(['application/json', '*/*', 'application/json, text/plain, */*',
                          'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8']))
    if ctype:
        q.h('Content-Type', ctype)
    if chance(.7):
        q.h('X-Amzn-Trace-Id', K('Root=' + c['xray']))
    q.h('X-Forwarded-For', K(c['ip']) if chance(.7) else K(c['ip']) + ', ' + K(k_priv_ip()))
    if chance(.6):
        q.h('X-Forwarded-Proto', 'https')
        q.h('X-Forwarded-Port', '443')
    if chance(.3):
        q.h('traceparent', K(k_traceparent()))
    if chance(.25):
        q.h('X-Request-Id', K(ruuid()))
    if chance(.2):
        q.h('Accept-Language', ch(['en-GB,en;q=0.9', 'de-DE,de;q=0.9,en;q=0.8', 'fr-FR,fr;q=0.9', 'ja-JP,ja;q=0.9', 'pt-BR,pt;q=0.9']))
    if chance(.2):
        q.h('CloudFront-Viewer-Country', ch(['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU']))
    if chance(.15):
        q.h('Via', K('2.0 %s.cloudfront.net (CloudFront)' % hx(32)))
    if chance(.15):
        q.h('X-Amz-Cf-Id', K(k_cf_reqid()))
    if chance(.1):
        q.h('If-None-Match', K(k_etag()))
    if chance(.1):
        q.h('X-Amz-Content-Sha256', K(hx(64)))


def benign_cookies():
    opts = [('theme', T(ch(['dark', 'light'])), True), ('lang', T(ch(['en-GB', 'de-DE', 'fr-FR', 'ja-JP'])), False),
            ('cookie_consent', K('accepted'), True), ('tz', K(q_all(ch(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo']))), False),
            ('currency', T(ch(['EUR', 'USD', 'GBP'])), True), ('sidebar_collapsed', T('true'), True),
            ('ab_variant', K('checkout-' + ch(['a', 'b', 'c'])), True)]
    return R.sample(opts, R.randint(1, 3))


def session_cookie(c):
    """(name, T value, keep_name)."""
    r = R.randint(0, 21)
    sk = 'session_cookie'
    if r == 0:
        return 'sid', S(rs(32, B64U), sk), False
    if r == 1:
        return 'connect.sid', S(q_all('s:' + rs(32, B64U) + '.' + rs(43, B64C)), sk), True
    if r == 2:
        return 'JSESSIONID', S(hx(32, True) + ch(['', '.node0', '-n1.tomcat1']), sk), True
    if r == 3:
        return 'PHPSESSID', S(rs(26, LOWER + DIG), sk), True
    if r == 4:
        v = b64e(cjson({'iv': b64e(rb(16)), 'value': b64e(rb(48)), 'mac': hx(64), 'tag': ''}))
        return 'laravel_session', S(q_all(v), sk), True
    if r == 5:
        return '_session_id', S(hx(32), sk), True
    if r == 6:
        return '_%s_session' % ch(['shop', 'myapp', 'storefront']), S(q_all(b64e(rb(60))) + '--' + q_all(b64e(rb(12))) + '--' + q_all(b64e(rb(16))), sk), False
    if r == 7:
        return '__Host-session', S(rs(43, B64U), sk), True
    if r == 8:
        return '__Secure-next-auth.session-token', S(gen_jwe(direct=True, small=True), sk), True
    if r == 9:
        return 'AWSELBAuthSessionCookie-0', S(rs(R.randint(300, 600), B64C.replace('/', '') + '-_'), sk), True
    if r == 10:
        return 'sessionid', S(rs(32, LOWER + DIG), sk), True
    if r == 11:
        return 'ASP.NET_SessionId', S(rs(24, LOWER + DIG), sk), True
    if r == 12:
        return '.AspNetCore.Cookies', S('CfDJ8' + rs(R.randint(250, 400), B64U), sk), True
    if r == 13:
        return 'auth_token', S(hx(40), sk), True
    if r == 14:
        return 'remember_web_' + hx(40), S(q_all(b64e(cjson({'iv': b64e(rb(16)), 'value': b64e(rb(64)), 'mac': hx(64)}))), sk), True
    if r == 15:
        return 'wordpress_logged_in_' + hx(32), S(q_all('%s|%d|%s|%s' % (ch(['editor', 'shopmgr', 'admin2']), int(c['t'].timestamp()) + 172800, rs(43), hx(64))), sk), True
    if r == 16:
        return 'SESSION', S(b64e(ruuid()), sk), True
    if r == 17:
        return '__Secure-authjs.session-token', S(gen_jwe(direct=True, small=True), sk), True
    if r == 18:
        return 'appSession', S(gen_jwe(direct=True, small=True), sk), True
    if r == 19:
        return '_oauth2_proxy', S(rs(R.randint(120, 220), B64U) + '|' + str(int(c['t'].timestamp())) + '|' + rs(43, B64U) + '=', sk), True
    if r == 20:
        return '__Secure-3PSID', S(rs(72, B64U) + '.', sk), True
    return 'id_token', S(gen_jwt(c, use='id'), 'id_token'), True


def csrf_cookie():
    return ch([('csrftoken', S(rs(32), 'csrf_token'), True), ('XSRF-TOKEN', S(q_all(b64e(cjson({'iv': b64e(rb(16)), 'value': b64e(rb(40)), 'mac': hx(64)}))), 'csrf_token'), True),
               ('_csrf', S(rs(24, B64U), 'csrf_token'), True), ('__Host-csrf', S(rs(43, B64U), 'csrf_token'), True)])


def add_cookie_header(q, n_session=1, csrf=False):
    pairs = benign_cookies()
    for _ in range(n_session):
        pairs.append(session_cookie(q.c))
    if csrf:
        pairs.append(csrf_cookie())
    R.shuffle(pairs)
    q.add_cookies(pairs)


def basic_cred():
    user = ch([gen_email(), 'svc-' + ch(WORDS), 'admin', 'api', 'reporting', 'ci-bot'])
    return S(b64e(user + ':' + gen_password()), 'basic_auth')


AUTH_DECK = Deck(['jwt', 'jwt', 'jwt', 'opaque', 'basic', 'digest', 'sigv4', 'vendor', 'vendor', 'vendor', 'vendor', 'vendor', 'apikey', 'apikey',
                  'jwe', 'jwe', 'jwt_none', 'apikey_vendor', 'apikey_vendor', 'digest'])


RENDERED_KINDS = Counter()
PENDING = Counter()      # kinds already drawn for the record being built
MODE_KIND = {'jwt': 'jwt', 'opaque': 'bearer_token', 'basic': 'basic_auth', 'digest': 'digest_response', 'sigv4': 'aws_sigv4_signature',
             'apikey': 'api_gateway_api_key', 'jwe': 'jwe', 'jwt_none': 'jwt_unsigned'}


def add_auth(q, mode=None, email=None):
    c = q.c
    if mode is None and chance(.35):
        m = min(RENDERED_KINDS[k] + PENDING[k] for k in MODE_KIND.values())
        mode = ch([md for md, k in MODE_KIND.items() if RENDERED_KINDS[k] + PENDING[k] == m])
        PENDING[MODE_KIND[mode]] += 3
    mode = mode or AUTH_DECK.draw()
    if mode == 'jwt':
        q.h('Authorization', F(ch(['Bearer \u00a7', 'Bearer \u00a7', 'bearer \u00a7', 'BEARER \u00a7', 'JWT \u00a7']),
                               S(gen_jwt(c, email=email), 'jwt')))
    elif mode == 'opaque':
        q.h('Authorization', F('Bearer \u00a7', S(gen_opaque(), 'bearer_token')))
    elif mode == 'basic':
        q.h('Authorization', F(ch(['Basic \u00a7', 'basic \u00a7']), basic_cred()))
    elif mode == 'digest':
        q.h('Authorization', digest_header(ch(['svc-reports', 'exporter', 'admin'])))
    elif mode == 'sigv4':
        temp = chance(0.6)
        ak = gen_akid(temp)
        d = c['t'].strftime('%Y%m%d')
        q.h('Authorization', F('AWS4-HMAC-SHA256 Credential=\u00a7/%s/%s/execute-api/aws4_request, SignedHeaders=\u00a7, Signature=\u00a7' % (d, c['region']),
                               S(ak, 'aws_access_key_id'), K('host;x-amz-date' + (';x-amz-security-token' if temp else '')), S(gen_sigv4(), 'aws_sigv4_signature')))
        q.h('X-Amz-Date', K(amzdate(c['t'])))
        if temp:
            q.h('X-Amz-Security-Token', S(gen_session_token(), 'aws_session_token'))
        sess = ch(['botocore-session-%d' % R.randint(10 ** 9, 10 ** 10), 'deploy', 'GitHubActions', 'lambda-runner'])
        role = ch(['DeployRole', 'OrdersReader', 'ops-admin', 'ci-runner'])
        rid = k_role_id()
        q.identity.update({'accessKey': S(ak, 'aws_access_key_id'), 'caller': K('%s:%s' % (rid, sess)),
                           'user': K('%s:%s' % (rid, sess)), 'accountId': K(c['acct']),
                           'userArn': K('arn:aws:sts::%s:assumed-role/%s/%s' % (c['acct'], role, sess))})
    elif mode == 'apikey' or mode == 'apikey_vendor':
        key = gen_apigw_key()
        q.h(ch(['x-api-key', 'X-API-Key', 'X-Api-Key']), S(key, 'api_gateway_api_key'))
        q.identity.update({'apiKey': S(key, 'api_gateway_api_key'), 'apiKeyId': K(c['apikey_id'])})
        if mode == 'apikey_vendor':
            n, v = vendor_header()
            q.h(n, v)
    elif mode == 'jwe':
        q.h('Authorization', F('Bearer \u00a7', S(gen_jwe(), 'jwe')))
    elif mode == 'jwt_none':
        q.h('Authorization', F('Bearer \u00a7', S(gen_jwt_none(c, email=email), 'jwt_unsigned')))
    else:
        n, v = vendor_header()
        q.h(n, v)
    return mode


def attach_authorizer(q, clean=False):
    c = q.c
    r = R.random()
    if r < 0.35:
        iss = ch(ISSUERS)(c)
        cl = {'sub': ruuid(), 'email_verified': 'true', 'iss': K(iss), 'cognito:username': ruuid(),
              'aud': K(k_cognito_client()), 'token_use': 'id', 'auth_time': str(int(c['t'].timestamp()) - R.randint(10, 5000))}
        if not clean:
            cl['email'] = S(gen_email(), 'email')
            if chance(.4):
                cl['phone_number'] = S(e164(), 'phone')
            if chance(.2):
                cl['custom:dob'] = S(gen_dob(), 'date_of_birth')
        if chance(.4):
            cl['custom:tenant_id'] = K(ruuid())
        q.claims = cl
    elif r < 0.6:
        q.principal = S(gen_email(), 'email') if (not clean and chance(.5)) else T('user|' + hx(24))
        ctx = {'tenantId': K(ruuid()), 'scope': K(ch(['orders:read orders:write', 'read:reports', 'admin'])),
               'plan': ch(['free', 'pro', 'enterprise'])}
        if not clean:
            w = R.randint(0, 6)
            if w == 0:
                ctx['email'] = S(gen_email(), 'email')
            elif w in (1, 5, 6):
                k, t = vendor_kv()
                ctx[ch(['upstreamToken', k, 'partnerKey', 'downstreamAuth'])] = t
            elif w == 2:
                ctx['accessToken'] = S(gen_opaque(), 'oauth_access_token')
            elif w == 3:
                ctx['phone'] = S(gen_phone(), 'phone')
            else:
                ctx['apiKey'] = S(gen_apigw_key(), 'api_gateway_api_key')
        q.authctx = ctx
    elif r < 0.72 and 'accessKey' not in q.identity:
        if not clean:
            add_auth_identity_iam(q)
    elif r < 0.82:
        dn = K('CN=%s.%s,OU=%s,O=Example Corp,C=US' % (ch(['device-%d' % R.randint(1, 999), 'svc-billing', 'partner-gw']), ch(CORP),
                                                       ch(['IoT', 'Partners', 'Platform'])))
        if not clean and chance(.5):
            dn = F('emailAddress=\u00a7,', S(gen_email(), 'email')) + dn
        q.identity['clientCert'] = {'subjectDN': dn, 'issuerDN': K('CN=Example Issuing CA %d,O=Example Corp,C=US' % R.randint(1, 4)),
                                    'serialNumber': K(':'.join(hx(2) for _ in range(16))),
                                    'validity': {'notBefore': 'May 28 12:30:02 2024 GMT', 'notAfter': 'Aug  5 09:36:04 2026 GMT'}}


def add_auth_identity_iam(q):
    c = q.c
    ak = gen_akid(True)
    sess = S(gen_email(), 'email') if chance(.5) else T(ch(['i-%s' % hx(17), 'deploy-%d' % R.randint(100, 999)]))
    rid = k_role_id()
    q.identity.update({'accessKey': S(ak, 'aws_access_key_id'), 'caller': K(rid) + ':' + sess, 'user': K(rid) + ':' + sess,
                       'accountId': K(c['acct']),
                       'userArn': K('arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s_%s' % (c['acct'], ch(['Admin', 'ReadOnly', 'Dev']), hx(16))) + '/' + sess})


def attach_error(q, clean=False):
    c = q.c
    q.status = ch([401, 403, 403, 429, 500, 502, 504, 400])
    if not clean and chance(0.45):
        w = R.randint(0, 4)
        if w == 0:
            q.status = 403
            q.err = F("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                      "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a "
                      "'X-Amz-Date' or a 'Date' header. Authorization=Bearer \u00a7", S(gen_jwt(c), 'jwt'))
        elif w == 1:
            q.status = 403
            tok = S(gen_opaque(), 'bearer_token')
            q.err = F("'\u00a7' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer \u00a7'.", tok, tok)
        elif w == 2:
            q.status = 400
            q.err = F('Invalid request body: email "\u00a7" is already registered', S(gen_email(), 'email'))
        elif w == 3:
            q.status = 500
            q.ierr = F('Lambda function failed: password authentication failed for connection postgres://app:\u00a7@%s:5432/app' % k_db_host(c),
                       S(gen_password(), 'password').map(q_all))
            q.err = T('Internal server error')
        else:
            q.status = 401
            k, t = vendor_kv()
            q.ierr = F('Upstream 401 from provider using key \u00a7', t)
            q.err = T('Unauthorized')
        return
    st = q.status
    msg = {401: ['Unauthorized'], 403: ['Missing Authentication Token', 'Forbidden',
                                        'User is not authorized to access this resource with an explicit deny',
                                        'The security token included in the request is invalid.', 'Invalid API Key identifier specified'],
           429: ['Too Many Requests', 'Limit Exceeded'], 500: ['Internal server error'], 502: ['Internal server error'],
           504: ['Endpoint request timed out'], 400: ['Invalid request body', 'Bad Request']}[st]
    q.err = T(ch(msg))
    if st == 403 and chance(.35):
        q.err = F("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and displayed in hex): '\u00a7'.", K(hx(64)))
    elif st == 403 and chance(.3):
        q.err = F("Authorization header requires 'Credential' parameter. Authorization=\u00a7", K('****' + rs(4)))


def k_db_host(c):
    return ch(['db-prod.cluster-%s.%s.rds.amazonaws.com' % (rs(12, LOWER + DIG), c['region']), 'postgres.internal',
               'mysql-primary.svc.cluster.local', '10.0.%d.%d' % (R.randint(0, 255), R.randint(2, 254)), 'db.%s' % ch(CORP)])


# ---------------------------------------------------------------------------
# scenarios: each returns a Req whose parts carry their own labels
# ---------------------------------------------------------------------------
def json_body(o):
    mode = ch([None] * 8 + ['php', 'go', 'hexat'])
    return jd(o, j_esc(ascii_=chance(.5), mode=mode), sp=chance(.35))


def token_response(c, email=None, cognito=False):
    if cognito:
        return {'AuthenticationResult': {'AccessToken': S(gen_jwt(c), 'jwt'), 'ExpiresIn': 3600,
                                         'IdToken': S(gen_jwt(c, email=email, use='id'), 'id_token'),
                                         'RefreshToken': S(gen_jwe(), 'oauth_refresh_token'), 'TokenType': 'Bearer'},
                'ChallengeParameters': {}}
    o = {'access_token': S(gen_jwt(c), 'jwt') if chance(.5) else S(gen_opaque(), 'oauth_access_token'),
         'token_type': 'Bearer', 'expires_in': ch([300, 3600, 7200])}
    if chance(.6):
        o['refresh_token'] = S(gen_refresh(), 'oauth_refresh_token')
    if chance(.4):
        o['id_token'] = S(gen_jwt(c, email=email, use='id', alg='RS256'), 'id_token')
    o['scope'] = K(ch(['openid profile email', 'openid offline_access', 'read write']))
    return o


def sc_login(c):
    path = ch(['/auth/login', '/v1/sessions', '/api/login', '/signin', '/users/login', '/v2/auth/token', '/account/authenticate'])
    q = Req(c, 'POST', path)
    email = gen_email()
    E = S(email, 'email')
    P = S(gen_password(), 'password')
    ek, pk = ch(EMAIL_KEYS), ch(PW_KEYS)
    shape = R.randint(0, 8)
    cognito = False
    if shape == 0:
        body = {ek: E, pk: P, 'rememberMe': chance(.5), 'client': {'version': K(k_semver()), 'platform': ch(['ios', 'android', 'web'])}}
    elif shape == 1:
        body = {'data': {'type': 'sessions', 'attributes': {'credentials': {ek: E, pk: P}}}}
    elif shape == 2:
        cognito = True
        body = {'AuthFlow': 'USER_PASSWORD_AUTH', 'ClientId': K(k_cognito_client()), 'AuthParameters': {'USERNAME': E, 'PASSWORD': P}}
    elif shape == 3:
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {'name': E, 'domain': {'name': 'Default'}, 'password': P}}}}}
    elif shape == 4:
        body = {'fields': [{'name': 'email', 'value': E}, {'name': 'password', 'value': P}], 'formId': K(ruuid())}
    elif shape == 5:
        body = {'grant_type': 'password', 'username': E, 'password': P, 'client_id': K(gen_client_id()), 'scope': 'openid profile'}
    elif shape == 6:
        body = {'user': {ek: E, pk: P, 'password_confirmation': P, 'phone': S(gen_phone(), 'phone')}, 'commit': 'Sign up'}
    elif shape == 7:
        body = {'login': {'identifier': E, 'secret': P}, 'device': {'id': K(ruuid()), 'model': ch(['Pixel 8', 'iPhone15,2', 'SM-S918B'])}}
    else:
        body = {'credentials': [{'type': 'password', 'value': P, 'temporary': False}], 'username': E, 'enabled': True}
    q.body = json_body(body)
    q.ctype = 'application/json'
    std_headers(q, 'application/json')
    if chance(.3):
        add_cookie_header(q, n_session=0, csrf=True)
    if chance(.3):
        q.status = 401
        q.resp_body = json_body(ch([{'message': 'Incorrect username or password.'}, {'error': 'invalid_grant', 'error_description': 'Invalid user credentials'},
                                    {'__type': 'NotAuthorizedException', 'message': 'Incorrect username or password.'}]))
    else:
        q.resp_body = json_body(token_response(c, email, cognito))
        if chance(.4):
            n, v, _ = session_cookie(c)
            q.rh('Set-Cookie', T(n + '=') + v + K('; Path=/; Secure; HttpOnly') + '; SameSite=Lax')
    q.notes.append(F('login attempt for \u00a7', E))
    return q


def sc_login_form(c):
    q = Req(c, 'POST', ch(['/login', '/accounts/login/', '/wp-login.php', '/session', '/auth/signin']))
    email = S(gen_email(), 'email')
    pw = S(gen_password(), 'password')
    enc = ch([q_form, q_form, q_all, q_lower])
    pairs = [(ch(['username', 'email', 'log', 'user[email]', 'login']), email), (ch(['password', 'pwd', 'user[password]', 'passwort', 'contraseña', 'mot_de_passe']), pw)]
    csrf = S(rs(64), 'csrf_token')
    pairs.append((ch(['csrfmiddlewaretoken', 'authenticity_token', '_csrf', '_token', '__RequestVerificationToken']), csrf))
    pairs.append(('next', K(ch(['/dashboard', '/account/orders', '/admin/']))))
    R.shuffle(pairs)
    q.body = form(pairs, enc)
    q.ctype = 'application/x-www-form-urlencoded'
    std_headers(q, 'application/x-www-form-urlencoded')
    add_cookie_header(q, n_session=0, csrf=True)
    q.status = 302
    q.rh('Location', K('/dashboard'))
    n, v, _ = session_cookie(c)
    q.rh('Set-Cookie', T(n + '=') + v + K('; Path=/; Secure; HttpOnly'))
    q.notes.append(F('user \u00a7 logged in', email))
    return q


def sc_oauth_token(c):
    q = Req(c, 'POST', ch(['/oauth2/token', '/oauth/token', '/connect/token', '/v1/token', '/realms/customers/protocol/openid-connect/token']))
    cid = K(gen_client_id())
    w = R.randint(0, 4)
    redirect = K(q_all('https://app.%s/callback' % ch(CORP)))
    if w == 0:
        pairs = [('grant_type', 'authorization_code'), ('code', S(gen_auth_code(), 'authorization_code')), ('redirect_uri', Raw(redirect)),
                 ('client_id', cid), ('code_verifier', S(gen_code_verifier(), 'pkce_code_verifier'))]
        if chance(.5):
            pairs.append(('client_secret', S(gen_client_secret(), 'client_secret')))
    elif w == 1:
        pairs = [('grant_type', 'refresh_token'), ('refresh_token', S(gen_refresh(), 'oauth_refresh_token')), ('client_id', cid)]
    elif w == 2:
        pairs = [('grant_type', 'client_credentials'), ('scope', K(ch(['orders/read', 'https://graph.microsoft.com/.default', 'api:write'])))]
        q.h('Authorization', F('Basic \u00a7', S(b64e(cid.s + ':' + gen_client_secret()), 'basic_auth')))
    elif w == 3:
        pairs = [('grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'), ('assertion', S(gen_jwt(c, alg='RS256'), 'jwt'))]
    else:
        pairs = [('grant_type', 'password'), ('username', S(gen_email(), 'email')), ('password', S(gen_password(), 'password')),
                 ('client_id', cid), ('client_secret', S(gen_client_secret(), 'client_secret'))]
    enc = ch([q_form, q_all])
    q.body = J('&', [T(k + '=') + (v.t if isinstance(v, Raw) else lift(v).map(enc)) for k, v in pairs])
    q.ctype = 'application/x-www-form-urlencoded'
    std_headers(q, 'application/x-www-form-urlencoded')
    if chance(.25):
        q.status = 400
        q.resp_body = json_body({'error': ch(['invalid_grant', 'invalid_client']), 'error_description': 'Code not valid'})
    else:
        q.resp_body = json_body(token_response(c))
    return q


def sc_oauth_callback(c):
    w = R.randint(0, 3)
    if w == 0:
        q = Req(c, 'GET', ch(['/callback', '/auth/callback', '/oauth2/idpresponse', '/signin-oidc']))
        q.query = [('code', S(gen_auth_code(), 'authorization_code')), ('state', T(rs(32, B64U)))]
        if chance(.4):
            q.query.append(('session_state', T(ruuid() + '.' + rs(8))))
        if chance(.3):
            q.query.append(('iss', K('https://idp.%s' % ch(CORP))))
        std_headers(q)
        q.status = 302
        q.rh('Location', K('/home'))
    elif w == 1:
        q = Req(c, 'POST', ch(['/signin-oidc', '/auth/form_post', '/oidc/callback']))
        q.body = form([('id_token', S(gen_jwt(c, email=gen_email(), use='id'), 'id_token')), ('state', T(rs(40, B64U))),
                       ('session_state', T(ruuid()))])
        q.ctype = 'application/x-www-form-urlencoded'
        std_headers(q, q.ctype)
    elif w == 2:
        q = Req(c, 'POST', ch(['/v1/client-logs', '/telemetry/navigation', '/rum/events']))
        frag = F('https://app.%s/callback#access_token=\u00a7&token_type=Bearer&expires_in=3600&id_token=\u00a7&state=%s' % (ch(CORP), rs(16)),
                 S(gen_opaque(), 'oauth_access_token'), S(gen_jwt(c, use='id'), 'id_token'))
        q.body = json_body({'event': 'navigation', 'url': frag, 'ts': epoch_ms(c['t']), 'sessionId': K(ruuid())})
        q.ctype = 'application/json'
        std_headers(q, q.ctype)
    else:
        q = Req(c, 'GET', ch(['/authorize', '/oauth2/authorize']))
        q.query = [('response_type', T('id_token token')), ('client_id', K(gen_client_id())),
                   ('redirect_uri', K('https://app.%s/cb' % ch(CORP))), ('nonce', T(rs(16)))]
        std_headers(q)
        q.status = 302
        q.rh('Location', F('https://app.%s/cb#id_token=\u00a7&access_token=\u00a7&token_type=Bearer' % ch(CORP),
                           S(gen_jwt(c, use='id'), 'id_token'), S(gen_opaque(), 'oauth_access_token')))
    return q


def sc_saml(c):
    q = Req(c, 'POST', ch(['/saml/acs', '/saml2/acs', '/sso/saml', '/Shibboleth.sso/SAML2/POST']))
    q.body = form([('SAMLResponse', S(gen_saml(c, gen_email()), 'saml_response')), ('RelayState', K('/dashboard'))], ch([q_form, q_all]))
    q.ctype = 'application/x-www-form-urlencoded'
    std_headers(q, q.ctype)
    q.status = 302
    n, v, _ = session_cookie(c)
    q.rh('Set-Cookie', T(n + '=') + v + K('; Path=/; Secure; HttpOnly'))
    return q


RESOURCES = [('/v1/orders', None), ('/v1/orders/{orderId}', 'order'), ('/v2/customers/{customerId}/invoices', 'cus'),
             ('/pets/{petId}', 'num'), ('/api/reports', None), ('/inventory/{sku}', 'sku'), ('/v1/shipments/{id}/labels', 'uuid'),
             ('/v1/books/{isbn}', 'isbn'), ('/files/{key+}', 's3'), ('/v1/builds/{buildId}', 'sha')]


def resource_path():
    res, kind = ch(RESOURCES)
    if not kind:
        return res, T(res), {}
    val = {'order': lambda: K(k_order_nonluhn()), 'cus': lambda: K('cus_' + rs(14)), 'num': lambda: T(str(R.randint(1, 99999))),
           'sku': lambda: K('SKU-%s-%d' % (rs(4, UPPER), R.randint(100, 9999))), 'uuid': lambda: K(ruuid()),
           'isbn': lambda: K(k_isbn13()), 's3': lambda: K(k_s3key()), 'sha': lambda: K(hx(40))}[kind]()
    pre, post = res.split('{', 1)
    pname, post = post.split('}', 1)
    return res, T(pre) + val + T(post), {pname.rstrip('+'): val}


def sc_api_bearer(c):
    res, path, pp = resource_path()
    q = Req(c, ch(['GET', 'GET', 'POST', 'PUT', 'DELETE']), res, path)
    q.path_params = pp
    if chance(.6):
        q.query = [('limit', T(str(ch([10, 20, 50, 100]))))]
        if chance(.6):
            q.query.append(('cursor', K(k_b64word())))
        if chance(.3):
            q.query.append(('sort', T(ch(['-created_at', 'name', 'updatedAt']))))
    std_headers(q, 'application/json' if q.method in ('POST', 'PUT') else None)
    add_auth(q)
    if chance(.3):
        add_cookie_header(q, n_session=1)
    if q.method in ('POST', 'PUT'):
        q.body = json_body(dict(benign_pairs(R.randint(2, 4))))
    q.resp_body = json_body({'items': [dict(benign_pairs(2)) for _ in range(R.randint(1, 2))], 'nextToken': K(k_b64word())})
    return q


def sc_vendor_config(c):
    q = Req(c, ch(['POST', 'PUT', 'PATCH']), ch(['/v1/integrations', '/settings/connectors/{id}', '/admin/secrets', '/v1/tenants/{tenantId}/providers']))
    if '{' in q.resource:
        val = K(ruuid())
        q.path = T(q.resource.split('{')[0]) + val
        q.path_params = {'id': val}
    n = R.randint(1, 3)
    shape = R.randint(0, 3)
    if shape == 0:
        creds = {}
        for _ in range(n):
            k, t = vendor_kv()
            creds[k] = t
        body = {'provider': ch(['payments', 'messaging', 'ci', 'observability']), 'credentials': creds, 'enabled': True}
    elif shape == 1:
        v, t = vtok()
        body = {'integrations': [{'name': v['name'], 'config': {'auth': {'type': 'bearer', 'token': t}}, 'region': c['region']}]}
    elif shape == 2:
        envs = []
        for _ in range(n):
            v, t = vtok()
            envs.append({'name': ch(v['env']), 'value': t})
        body = {'service': ch(SERVICES), 'env': envs, 'commit': K(hx(40))}
    else:
        v, t = vtok()
        body = {'Name': K('/%s/%s/%s' % (c['stage'], ch(SERVICES), ch(v['env']).lower())), 'Type': 'SecureString', 'Value': t, 'Overwrite': True}
    q.body = json_body(body)
    q.ctype = 'application/json'
    std_headers(q, q.ctype)
    add_auth(q, ch(['jwt', 'sigv4', 'apikey', 'opaque']))
    q.resp_body = json_body({'status': 'saved', 'id': K(ruuid()), 'version': R.randint(1, 40)})
    return q


def sc_payment(c):
    q = Req(c, 'POST', ch(['/v1/payments', '/checkout/pay', '/api/v2/charges', '/billing/payment-methods']))
    card = S(gen_card(), 'card_number')
    ck = ch(CARD_KEYS)
    shape = R.randint(0, 3)
    pk = ch(['phone', 'phoneNumber', 'mobile'])
    if shape == 0:
        body = {'amount': R.randint(100, 99999), 'currency': ch(['usd', 'eur', 'gbp']), 'source': {'object': 'card', ck: card,
                'exp_month': R.randint(1, 12), 'exp_year': R.randint(2026, 2031)},
                'billing_details': {'email': S(gen_email(), 'email'), pk: S(gen_phone(), 'phone'),
                                    'address': {'line1': S(gen_address(), 'street_address')}}, 'idempotencyKey': K(ruuid())}
    elif shape == 1:
        body = {'mandate': {'type': 'sepa_debit', 'iban': S(gen_iban(), 'iban'), 'accountHolderEmail': S(gen_email(), 'email')},
                'orderNumber': K(k_order_nonluhn())}
    elif shape == 2:
        body = {'payment': {'method': 'card', 'card': {ck: card, 'holderDob': S(gen_dob(), 'date_of_birth')}},
                'order': {'id': K(k_order_nonluhn()), 'items': [{'isbn': K(k_isbn13()), 'qty': 1}]}}
    else:
        body = {'payout': {'iban': S(gen_iban(), 'iban'), 'reference': K('PO-%d' % R.randint(10000, 99999))}, ck: card}
    q.body = json_body(body)
    q.ctype = 'application/json'
    std_headers(q, q.ctype)
    add_auth(q, ch(['jwt', 'apikey', 'vendor', 'opaque']))
    last4 = re.sub(r'\D', '', card.s)[-4:]
    pi = 'pi_' + rs(24)
    resp = {'id': K(pi), 'status': ch(['succeeded', 'requires_action', 'processing']),
            'card': {'brand': ch(['visa', 'mastercard', 'amex']), 'last4': last4, 'display': K('**** **** **** ' + last4)}}
    if chance(.4):
        resp['client_secret'] = S(pi + '_secret_' + rs(25), 'client_secret')
    q.resp_body = json_body(resp)
    return q


def sc_profile(c):
    uid = K(ruuid())
    q = Req(c, ch(['PATCH', 'PUT', 'POST']), '/users/{userId}' if chance(.6) else '/v1/kyc/{userId}/verify', None)
    q.path = T(q.resource.split('{')[0]) + uid + T(q.resource.split('}')[1])
    q.path_params = {'userId': uid}
    fields = {}
    for _ in range(R.randint(2, 4)):
        k, kind, v = pii()
        fields[k] = S(v, kind)
    shape = R.randint(0, 3)
    if shape == 0:
        body = fields
    elif shape == 1:
        body = {'profile': {'contact': fields, 'preferences': {'newsletter': chance(.5)}}}
    elif shape == 2:
        em = S(gen_email(), 'email')
        body = {'user': {'id': uid, 'attributes': fields}, 'notify': {em: {'channel': 'email', 'locale': 'de-DE'}}}
    else:
        body = {'applicant': {'documents': [{'type': 'passport', 'number': S(gen_passport(), 'passport_number'), 'country': ch(['DE', 'GB', 'US', 'IN'])}],
                              'residence': fields}}
    q.body = json_body(body)
    q.ctype = 'application/json'
    std_headers(q, q.ctype)
    add_auth(q, ch(['jwt', 'jwt', 'opaque', 'apikey']))
    resp = {'id': uid, 'updated': True, 'etag': K(k_etag())}
    if chance(.3):
        resp['user'] = {'email': S(gen_email(), 'email'), ch(['password', 'passwordHash', 'password_digest', 'encrypted_password']): S(bcrypt_hash(), 'password_hash')}
    q.resp_body = json_body(resp)
    return q


def sc_password_reset(c):
    w = R.randint(0, 4)
    if w == 0:
        em = S(gen_email(), 'email')
        enc = ch([q_all, q_lower, q_path])
        q = Req(c, 'POST', '/users/{email}/reset', T('/users/') + em.map(enc) + '/reset')
        q.path_params = {'email': em}
    elif w == 1:
        tok = S(gen_reset_token(), 'reset_token')
        q = Req(c, 'GET', ch(['/reset-password/{token}', '/v1/tokens/{token}', '/verify-email/{token}', '/invite/{token}']))
        q.path = T(q.resource.split('{')[0]) + tok
        q.path_params = {'token': tok}
    elif w == 2:
        q = Req(c, 'POST', ch(['/password/reset', '/v1/account/password']))
        P = S(gen_password(), 'password')
        q.body = json_body({'token': S(gen_reset_token(), 'reset_token'), ch(['new_password', 'newPassword', 'neuesPasswort', 'nouveau_mot_de_passe']): P,
                            'confirm': P})
        q.ctype = 'application/json'
    elif w == 3:
        q = Req(c, 'GET', ch(['/auth/magic', '/login/magic-link', '/auth/verify']))
        q.query = [('token', S(gen_reset_token(), 'reset_token')), ('email', S(gen_email(), 'email'))]
    else:
        q = Req(c, 'POST', ch(['/v1/otp/verify', '/mfa/challenge']))
        q.body = json_body({ch(['phone', 'phoneNumber']): S(e164(), 'phone'), ch(['otp', 'code', 'mfaCode']): S(dg(6), 'otp_code'),
                            'challengeId': K(ruuid())})
        q.ctype = 'application/json'
    std_headers(q, q.ctype)
    q.resp_body = json_body({'ok': True})
    return q


def presigned_url(c, method_get=True):
    temp = chance(0.7)
    ak = gen_akid(temp)
    bucket = ch(['acme-uploads', 'invoices-prod', 'media-%s' % c['region'], 'exports-%s' % dg(4)])
    key = k_s3key()
    d = c['t'].strftime('%Y%m%d')
    parts = [T('X-Amz-Algorithm=') + K('AWS4-HMAC-SHA256'),
             T('X-Amz-Credential=') + S(ak, 'aws_access_key_id') + q_all('/%s/%s/s3/aws4_request' % (d, c['region'])),
             K('X-Amz-Date=' + amzdate(c['t'])), T('X-Amz-Expires=%d' % ch([300, 900, 3600, 604800]))]
    if temp:
        parts.append(T('X-Amz-Security-Token=') + S(gen_session_token(), 'aws_session_token').map(q_all))
    parts.append(T('X-Amz-SignedHeaders=host'))
    parts.append(T('X-Amz-Signature=') + S(gen_sigv4(), 'aws_sigv4_signature'))
    return T('https://%s.s3.%s.amazonaws.com/' % (bucket, c['region'])) + K(key) + '?' + J('&', parts)


def sc_presigned(c):
    w = R.randint(0, 2)
    if w == 0:
        q = Req(c, 'GET', '/files/{id}/download')
        fid = K(ruuid())
        q.path = T('/files/') + fid + '/download'
        std_headers(q)
        add_auth(q, ch(['jwt', 'apikey']))
        q.status = 302
        q.rh('Location', presigned_url(c))
    elif w == 1:
        q = Req(c, 'POST', ch(['/v1/uploads', '/attachments/presign']))
        q.body = json_body({'filename': ch(['scan.pdf', 'avatar.png', 'export.csv']), 'contentType': 'application/pdf', 'sha256': K(hx(64))})
        q.ctype = 'application/json'
        std_headers(q, q.ctype)
        add_auth(q, ch(['jwt', 'opaque']))
        q.resp_body = json_body({'uploadUrl': presigned_url(c), 'expiresIn': 900})
    else:
        q = Req(c, 'GET', '/v1/reports/{id}', None)
        q.path = T('/v1/reports/') + K(ruuid())
        std_headers(q)
        add_auth(q, 'sigv4')
        q.resp_body = json_body({'status': 'ready', 'download': presigned_url(c)})
    return q


def sc_sts(c):
    q = Req(c, ch(['GET', 'POST']), ch(['/v1/credentials', '/identity/credentials', '/internal/assume']))
    std_headers(q)
    add_auth(q, ch(['jwt', 'sigv4']))
    ak, sk, st = S(gen_akid(True), 'aws_access_key_id'), S(gen_aws_secret(), 'aws_secret_access_key'), S(gen_session_token(), 'aws_session_token')
    exp = iso_s(q.c['t'] + dt.timedelta(hours=1))
    if chance(.6):
        q.resp_body = json_body({'Credentials': {'AccessKeyId': ak, 'SecretAccessKey': sk, 'SessionToken': st, 'Expiration': K(exp)},
                                 'AssumedRoleUser': {'Arn': K('arn:aws:sts::%s:assumed-role/%s/%s' % (c['acct'], ch(['AppRole', 'Uploader']), ch(['web', 'ios-client'])))}})
    else:
        q.resp_body = (T('<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>') + ak +
                       '</AccessKeyId><SecretAccessKey>' + sk.map(xml_esc) + '</SecretAccessKey><SessionToken>' + st.map(xml_esc) +
                       '</SessionToken><Expiration>' + K(exp) + '</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>' +
                       K(ruuid()) + '</RequestId></ResponseMetadata></AssumeRoleResponse>')
    return q


def sc_graphql(c):
    q = Req(c, 'POST', '/graphql')
    w = R.randint(0, 3)
    if w == 0:
        body = {'operationName': 'Login', 'query': 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id } } }',
                'variables': {'email': S(gen_email(), 'email'), 'password': S(gen_password(), 'password')}}
    elif w == 1:
        em = S(gen_email(), 'email')
        body = {'query': T('mutation { updateProfile(input: {email: "') + em + '", phone: "' + S(gen_phone(), 'phone') + '"}) { id } }'}
    elif w == 2:
        body = {'operationName': 'AddPaymentMethod', 'query': 'mutation AddPaymentMethod($input: CardInput!) { addCard(input: $input) { id last4 } }',
                'variables': {'input': {'number': S(gen_card(), 'card_number'), 'billing': {'postalAddress': S(gen_address(), 'street_address')}}}}
    else:
        k, t = vendor_kv()
        body = {'operationName': 'ConnectIntegration', 'query': 'mutation ConnectIntegration($token: String!) { connect(token: $token) { ok } }',
                'variables': {'token': t, 'workspaceId': K(ruuid())}}
    q.body = json_body(body)
    q.ctype = 'application/json'
    std_headers(q, q.ctype)
    add_auth(q, ch(['jwt', 'opaque', 'apikey', None]))
    if chance(.4):
        q.resp_body = json_body({'errors': [{'message': 'Variable "$input" got invalid value; Field "cvc" of required type "String!" was not provided.',
                                             'locations': [{'line': 1, 'column': 25}], 'extensions': {'code': 'BAD_USER_INPUT'}}], 'data': None})
    else:
        q.resp_body = json_body({'data': {'ok': True}, 'extensions': {'traceId': K(hx(32))}})
    return q


def sc_webhook_in(c):
    w = R.randint(0, 3)
    if w == 0:
        q = Req(c, 'POST', '/webhooks/stripe')
        q.ua = K('Stripe/1.0 (+https://stripe.com/docs/webhooks)')
        obj = {'id': K('cus_' + rs(14)), 'object': 'customer', 'email': S(gen_email(), 'email'), 'phone': S(gen_phone(), 'phone'),
               'address': {'line1': S(gen_address(), 'street_address'), 'country': ch(['US', 'DE', 'GB'])}}
        q.body = json_body({'id': K('evt_' + rs(24)), 'object': 'event', 'type': 'customer.created', 'data': {'object': obj}, 'livemode': True})
        q.ctype = 'application/json; charset=utf-8'
        std_headers(q, q.ctype)
        q.h('Stripe-Signature', T('t=%d,v1=%s' % (int(c['t'].timestamp()), hx(64))))
    elif w == 1:
        q = Req(c, 'POST', '/webhooks/twilio/sms')
        q.ua = K('TwilioProxy/1.1')
        code = S(dg(6), 'otp_code')
        q.body = form([('ToCountry', 'US'), ('From', S(e164(), 'phone')), ('To', S(e164('1'), 'phone')),
                       ('Body', T('Your verification code is ') + code), ('MessageSid', K('SM' + hx(32))), ('NumMedia', '0')])
        q.ctype = 'application/x-www-form-urlencoded'
        std_headers(q, q.ctype)
        q.h('X-Twilio-Signature', T(b64e(rb(20))))
    elif w == 2:
        q = Req(c, 'POST', '/webhooks/github')
        q.ua = K('GitHub-Hookshot/%s' % hx(7))
        q.body = json_body({'ref': 'refs/heads/main', 'after': K(hx(40)), 'pusher': {'name': ch(['octo-dev', 'release-bot']), 'email': S(gen_email(), 'email')},
                            'head_commit': {'id': K(hx(40)), 'message': 'Bump version to v%s' % k_semver(), 'timestamp': K(iso_s(c['t']))}})
        q.ctype = 'application/json'
        std_headers(q, q.ctype)
        q.h('X-GitHub-Delivery', K(ruuid()))
        q.h('X-GitHub-Event', 'push')
        q.h('X-Hub-Signature-256', T('sha256=' + hx(64)))
    else:
        q = Req(c, 'POST', '/webhooks/shopify/orders-create')
        q.ua = K('Shopify-Captain-Hook')
        q.body = json_body({'id': R.randint(10 ** 12, 10 ** 13), 'email': S(gen_email(), 'email'), 'phone': S(gen_phone(), 'phone'),
                            'order_number': K(k_order_nonluhn(ch([8, 12, 16]))),
                            'billing_address': {'address1': S(gen_address(), 'street_address'), 'phone': S(gen_phone(), 'phone')}})
        q.ctype = 'application/json'
        std_headers(q, q.ctype)
        q.h('X-Shopify-Hmac-Sha256', T(b64e(rb(32))))
        q.h('X-Shopify-Webhook-Id', K(ruuid()))
    q.resp_body = T('{"received":true}')
    return q


def sc_soap(c):
    q = Req(c, 'POST', ch(['/soap/AccountService', '/ws/v1/ledger', '/services/Payments.asmx']))
    pw = S(gen_password(), 'password').map(xml_esc)
    w = R.randint(0, 2)
    if w == 0:
        x = (T('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:acc="urn:example:accounts"><soapenv:Header><wsse:Security><wsse:UsernameToken><wsse:Username>svc-ledger</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">')
             + pw + '</wsse:Password></wsse:UsernameToken></wsse:Security></soapenv:Header><soapenv:Body><acc:GetStatement><acc:IBAN>' +
             S(gen_iban(), 'iban') + '</acc:IBAN><acc:From>2024-01-01</acc:From><acc:RequestRef>' + K(ruuid()) + '</acc:RequestRef></acc:GetStatement></soapenv:Body></soapenv:Envelope>')
        q.ctype = 'text/xml; charset=utf-8'
        q.h('SOAPAction', K('"urn:example:accounts/GetStatement"'))
    elif w == 1:
        x = (T('<?xml version="1.0" encoding="UTF-8"?><login><email>') + S(gen_email(), 'email').map(xml_esc) + '</email><password>' + pw +
             '</password><device id="' + K(ruuid()) + '"/></login>')
        q.ctype = 'application/xml'
    else:
        x = (T('<CustomerUpdate><Customer id="') + K(ruuid()) + '"><Phone type="mobile">' + S(gen_phone(), 'phone').map(xml_esc) +
             '</Phone><SSN>' + S(gen_ssn(), 'ssn') + '</SSN><Birthdate>' + S(gen_dob(), 'date_of_birth') + '</Birthdate></Customer></CustomerUpdate>')
        q.ctype = 'application/xml'
        add_auth(q, 'basic')
    q.body = x
    std_headers(q, q.ctype)
    q.resp_body = T('<Result><Status>OK</Status><CorrelationId>') + K(ruuid()) + '</CorrelationId></Result>'
    return q


def sc_b64body(c):
    q = Req(c, 'POST', ch(['/v1/ingest', '/upload/form', '/api/import']))
    inner_w = R.randint(0, 2)
    if inner_w == 0:
        inner = form([('email', S(gen_email(), 'email')), ('password', S(gen_password(), 'password'))])
    elif inner_w == 1:
        k, t = vendor_kv()
        inner = jd({'config': {k: t}, 'version': k_semver()})
    else:
        inner = jd({'items': [{'sku': 'SKU-%d' % R.randint(100, 999), 'qty': R.randint(1, 5)}], 'note': 'restock'})
    q.body = b64wrap(inner, 'base64_secret')
    q.b64 = True
    q.ctype = ch(['application/octet-stream', 'multipart/form-data; boundary=----WebKitFormBoundary' + rs(16), 'application/x-www-form-urlencoded'])
    std_headers(q, q.ctype)
    add_auth(q, ch(['jwt', 'apikey', 'basic']))
    q.resp_body = json_body({'accepted': True, 'importId': K(ruuid())})
    return q


def sc_search_pii(c):
    q = Req(c, 'GET', ch(['/v1/customers/search', '/api/users', '/lookup', '/v2/contacts']))
    enc = ch([q_all, q_lower, q_loose, q_mixed])
    items = []
    for _ in range(R.randint(1, 2)):
        k, kind, v = pii(ch(['email', 'phone', 'email', 'ssn', 'date_of_birth', 'iban', 'phone']))
        items.append((ch([k, 'q', 'filter[%s]' % k]), S(v, kind)))
    items.append(('limit', T(str(ch([10, 25, 50])))))
    if chance(.35):
        inner = F('/account/verify?email=\u00a7&token=\u00a7', S(gen_email(), 'email'), S(gen_reset_token(), 'reset_token'))
        items.append(('next', inner.map(ch([q_all, q_lower]))))
    q.query = items
    q.enc = enc
    std_headers(q)
    add_auth(q, ch(['jwt', 'apikey', 'opaque', 'basic']))
    q.resp_body = json_body({'results': [], 'total': 0, 'took_ms': R.randint(2, 90)})
    return q


def conn_string(c):
    user = ch(['app', 'postgres', 'admin', 'svc_reporting', 'root', 'readonly', 'etl'])
    pw = gen_password()
    P = S(pw, 'password').map(q_all)
    host = k_db_host(c)
    w = R.randint(0, 10)
    if w == 0:
        return F('postgres://%s:\u00a7@%s:5432/%s?sslmode=require' % (user, host, ch(['app', 'orders', 'analytics'])), P)
    if w == 1:
        return F('postgresql+psycopg2://%s:\u00a7@%s/%s' % (user, host, ch(['app', 'ledger'])), P)
    if w == 2:
        return F('mysql://%s:\u00a7@%s:3306/%s' % (user, host, ch(['shop', 'wp'])), P)
    if w == 3:
        return F('mongodb+srv://%s:\u00a7@cluster0.%s.mongodb.net/?retryWrites=true&w=majority' % (user, rs(5, LOWER + DIG)), P)
    if w == 4:
        return F('redis://:\u00a7@%s:6379/0' % host, P)
    if w == 5:
        return F('amqps://%s:\u00a7@b-%s.mq.%s.amazonaws.com:5671' % (user, ruuid(), c['region']), P)
    if w == 6:
        return F('jdbc:postgresql://%s:5432/app?user=%s&password=\u00a7&ssl=true' % (host, user), P)
    if w == 7:
        pw2 = pw.replace(';', '')
        return F('Server=tcp:%s.database.windows.net,1433;Initial Catalog=app;User ID=%s;Password=\u00a7;Encrypt=True;' % (rs(8, LOWER), user),
                 S(pw2, 'password'))
    if w == 8:
        return F('DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=\u00a7;EndpointSuffix=core.windows.net' % rs(12, LOWER + DIG),
                 S(b64e(rb(64)), 'vendor:azure'))
    if w == 9:
        em = gen_email()
        return F('smtp://\u00a7:\u00a7@smtp.%s:587' % ch(CORP), S(em, 'email').map(q_all), P)
    return F('https://%s:\u00a7@%s/artifactory/api/npm/npm-remote/' % (user, ch(['artifacts.' + ch(CORP), 'nexus.internal'])), P)


def sc_db_connect(c):
    q = Req(c, 'POST', ch(['/admin/datasources', '/v1/connections', '/internal/health/db']))
    cs = conn_string(c)
    if chance(.5):
        q.body = json_body({'name': ch(['reporting', 'primary', 'cache']), 'url': cs, 'poolSize': ch([5, 10, 20])})
        q.resp_body = json_body({'id': K(ruuid()), 'status': 'created'})
    else:
        q.body = json_body({'check': 'db'})
        q.status = 500
        q.resp_body = json_body({'error': 'ConnectionError', 'detail': T('could not connect to ') + cs + ': timeout after 5000ms'})
    q.ctype = 'application/json'
    std_headers(q, q.ctype)
    add_auth(q, ch(['jwt', 'sigv4', 'apikey']))
    q.notes.append(T('datasource ') + cs)
    return q


def gcp_sa_json(c):
    proj = '%s-%s-%d' % (ch(['acme', 'shop', 'data']), ch(['prod', 'analytics', 'ml']), R.randint(100000, 999999))
    h, lines, f = gen_pem('PRIVATE KEY')
    return {'type': 'service_account', 'project_id': K(proj), 'private_key_id': hx(40), 'private_key': pem_T(h, lines, f),
            'client_email': '%s@%s.iam.gserviceaccount.com' % (ch(['exporter', 'bq-loader', 'ci-deployer']), proj),
            'client_id': dg(21), 'auth_uri': K('https://accounts.google.com/o/oauth2/auth'), 'token_uri': K('https://oauth2.googleapis.com/token')}


def sc_keys_upload(c):
    q = Req(c, 'POST', ch(['/v1/deploy-keys', '/api/credentials/import', '/settings/ssh-keys']))
    w = R.randint(0, 2)
    if w == 0:
        h, lines, f = gen_openssh()
        body = {'title': ch(['ci', 'backup', 'deploy']), 'key': pem_T(h, lines, f, kind='ssh_private_key', skip_const_first=True), 'read_only': True}
    elif w == 1:
        body = {'provider': 'gcp', 'serviceAccount': gcp_sa_json(c)}
    else:
        h, lines, f = gen_pem(short=chance(.5))
        body = {'name': 'tls-' + ch(['api', 'edge']), 'certificateArn': K('arn:aws:acm:%s:%s:certificate/%s' % (c['region'], c['acct'], ruuid())),
                'privateKey': pem_T(h, lines, f)}
    q.body = json_body(body)
    q.ctype = 'application/json'
    std_headers(q, q.ctype)
    add_auth(q, ch(['jwt', 'sigv4', 'opaque']))
    q.resp_body = json_body({'id': R.randint(1000, 99999), 'fingerprint': K('SHA256:' + b64e(rb(32)).rstrip('='))})
    return q


def sc_notify_config(c):
    q = Req(c, 'PUT', ch(['/v1/alerts/channels', '/settings/notifications']))
    recips = {}
    for _ in range(R.randint(1, 3)):
        recips[S(gen_email(), 'email')] = {'sms': S(gen_phone(), 'phone'), 'severity': ch(['critical', 'warning'])}
    body = {'slack': {'webhookUrl': slack_webhook(), 'channel': '#alerts'}, 'recipients': recips}
    if chance(.5):
        body['discord'] = {'url': discord_webhook()}
    if chance(.3):
        body['teams'] = {'url': teams_webhook()}
    if chance(.3):
        body['telegram'] = {'endpoint': telegram_url(), 'chatId': T(str(-R.randint(10 ** 9, 10 ** 10)))}
    q.body = json_body(body)
    q.ctype = 'application/json'
    std_headers(q, q.ctype)
    add_auth(q, ch(['jwt', 'opaque']))
    q.resp_body = json_body({'saved': True})
    return q


def sc_ua_token(c):
    res, path, pp = resource_path()
    q = Req(c, 'GET', res, path)
    w = R.randint(-1, 3)
    if w <= 0:
        v, t = vtok()
        q.ua = F('deploy-cli/%s (linux; amd64) token/\u00a7' % k_semver(), t)
    elif w == 1:
        q.ua = F('HealthMonitor/1.%d (+https://status.%s; contact: \u00a7)' % (R.randint(0, 9), ch(CORP)), S(gen_email(), 'email'))
    elif w == 2:
        q.ua = F('python-requests/2.31.0 apikey=\u00a7', S(gen_apigw_key(), 'api_gateway_api_key'))
    else:
        q.ua = F('okhttp/4.12.0 Bearer \u00a7', S(gen_jwt(c), 'jwt'))
    std_headers(q)
    q.resp_body = json_body(dict(benign_pairs(2)))
    return q


def sc_clean(c):
    w = R.randint(0, 7)
    if w == 0:
        isbn = K(k_isbn13())
        q = Req(c, 'GET', '/v1/books/{isbn}', T('/v1/books/') + isbn)
        q.path_params = {'isbn': isbn}
        q.resp_body = json_body({'isbn': isbn, 'title': 'Distributed Systems', 'etag': K(k_etag()), 'sha1': K(hx(40))})
    elif w == 1:
        q = Req(c, 'GET', ch(['/health', '/healthz', '/status', '/ping']))
        q.ua = K(ch(['ELB-HealthChecker/2.0', 'kube-probe/1.29', 'Amazon-Route53-Health-Check-Service (ref %s; report http://amzn.to/1vsZADi)' % ruuid()]))
        q.resp_body = json_body({'status': 'ok', 'version': K(k_semver()), 'commit': K(hx(40)), 'pod': K(k_pod())})
    elif w == 2:
        q = Req(c, 'GET', '/v1/orders')
        q.query = [('cursor', K(k_b64word())), ('limit', T('25'))]
        l4 = dg(4)
        q.resp_body = json_body({'orders': [{'orderNumber': K(k_order_nonluhn()), 'card': K('**** **** **** ' + l4), 'total': '%d.%02d' % (R.randint(1, 999), R.randint(0, 99))}
                                            for _ in range(2)], 'nextToken': K(k_b64word())})
    elif w == 3:
        q = Req(c, 'POST', '/v1/events')
        q.body = json_body({'type': ch(['page_view', 'add_to_cart']), 'traceparent': K(k_traceparent()), 'props': dict(benign_pairs(3))})
        q.ctype = 'application/json'
        q.status = 202
    elif w == 4:
        key = K(k_s3key())
        q = Req(c, 'GET', '/assets/{key+}', T('/assets/') + key)
        q.status = 304
        q.resp_body = None
        q.rh('ETag', K(k_etag()))
    elif w == 5:
        q = Req(c, 'POST', '/v1/deployments')
        q.body = json_body({'image': K('123456789012.dkr.ecr.%s.amazonaws.com/%s@sha256:%s' % (c['region'], ch(SERVICES), hx(64))),
                            'pod': K(k_pod()), 'containerId': K(hx(64)), 'gitSha': K(hx(40)), 'version': K(k_semver())})
        q.ctype = 'application/json'
    elif w == 6:
        q = Req(c, 'GET', '/v1/usage')
        q.resp_body = json_body({'apiKeyId': K(c['apikey_id']), 'apiKey': K('*' * 36 + rs(4)), 'plan': 'gold', 'used': R.randint(0, 10000)})
    else:
        q = Req(c, 'OPTIONS', ch(['/v1/orders', '/graphql', '/auth/login']))
        q.status = 204
        q.rh('Access-Control-Allow-Origin', K('https://app.' + ch(CORP)))
        q.rh('Access-Control-Allow-Headers', K('Content-Type,Authorization,X-Api-Key,X-Amz-Date,X-Amz-Security-Token'))
    q.clean = True
    std_headers(q, q.ctype)
    if chance(.4):
        q.h('X-Api-Key-Id', K(c['apikey_id']))
        q.identity['apiKeyId'] = K(c['apikey_id'])
    if chance(.3):
        q.add_cookies(benign_cookies())
    return q


def sc_query_secret(c):
    w = R.randint(-2, 10)
    if w == 10:
        w = 1
    if w <= 0:
        v, t = vtok()
        q = Req(c, 'GET', ch(['/v1/export', '/api/reports/download', '/integrations/sync']))
        q.query = [(ch(v['q'] + ['api_key', 'token', 'key', 'apikey']), t), ('format', T(ch(['csv', 'json'])))]
    elif w == 1:
        q = Req(c, 'GET', ch(['/api/login', '/legacy/auth.php', '/cgi-bin/login']))
        q.query = [(ch(['username', 'user', 'email', 'login']), S(gen_email(), 'email')), (ch(['password', 'pass', 'pwd', 'passwort', 'senha']), S(gen_password(), 'password'))]
    elif w == 2:
        q = Req(c, 'GET', ch(['/ws', '/socket.io/', '/realtime', '/v1/stream']))
        q.query = [('EIO', T('4')), ('transport', T('websocket')), (ch(['token', 'access_token', 'auth']), S(gen_jwt(c), 'jwt'))]
    elif w == 3:
        q = Req(c, 'GET', ch(['/v1/maps/geocode', '/proxy/places']))
        q.query = [('address', S(gen_address(), 'street_address')), ('key', S('AIza' + rs(35, ALNUM + '-_'), 'vendor:google'))]
    elif w == 4:
        q = Req(c, 'GET', ch(['/track/open', '/t/click', '/email/unsubscribe']))
        q.query = [('email', S(gen_email(), 'email')), ('campaign', K('cmp_' + rs(10, LOWER + DIG))), ('sig', T(hx(40)))]
        if chance(.5):
            q.query.append(('phone', S(gen_phone(), 'phone')))
    elif w == 5:
        q = Req(c, 'GET', ch(['/hooks/incoming', '/api/v1/webhook']))
        q.query = [(ch(['secret', 'webhook_secret', 'signing_secret']), S('whsec_' + rs(32), 'vendor:stripe') if chance(.5) else S(rs(40), 'client_secret'))]
    elif w == 6:
        q = Req(c, 'GET', '/files/proxy')
        q.query = [('url', presigned_url(c))]
    elif w == 7:
        q = Req(c, 'GET', ch(['/oauth/authorize', '/connect/authorize']))
        q.query = [('client_id', K(gen_client_id())), ('client_secret', S(gen_client_secret(), 'client_secret')), ('response_type', T('code')),
                   ('redirect_uri', K('https://app.%s/cb' % ch(CORP)))]
    elif w == 8 and chance(.4):
        q = Req(c, 'GET', ch(['/signup/continue', '/auth/next']))
        inner = F('https://app.%s/verify?email=\u00a7&otp=\u00a7' % ch(CORP), S(gen_email(), 'email'), S(dg(6), 'otp_code'))
        q.query = [('continue', inner.map(ch([q_all, q_lower]))), ('lang', T('en'))]
    elif w == 8:
        q = Req(c, 'GET', ch(['/v1/verify', '/kyc/lookup']))
        k, kind, v = pii(ch(['ssn', 'uk_nino', 'passport_number', 'date_of_birth', 'iban', 'card_number']))
        q.query = [(k, S(v, kind)), ('country', T(ch(['US', 'GB', 'DE'])))]
    else:
        q = Req(c, 'GET', ch(['/v2/sessions/validate', '/api/session']))
        n, v, _ = session_cookie(c)
        q.query = [(ch(['sid', 'session', 'session_id', n]), v)]
    q.enc = ch([q_all, q_all, q_lower, q_loose, q_mixed])
    std_headers(q)
    if chance(.4):
        add_auth(q)
    q.resp_body = json_body({'ok': q.status < 400})
    return q


def sc_path_secret(c):
    w = R.randint(0, 8)
    if w == 0:
        em = S(gen_email(), 'email')
        enc = ch([q_all, q_path, q_lower])
        q = Req(c, ch(['GET', 'DELETE', 'POST']), ch(['/users/{email}', '/users/{email}/reset', '/v1/subscribers/{email}']), None)
        pre, post = q.resource.split('{email}')
        q.path = T(pre) + em.map(enc) + post
        q.path_params = {'email': em}
    elif w == 1:
        tok = S(gen_opaque(), 'bearer_token')
        q = Req(c, ch(['GET', 'DELETE']), ch(['/v1/tokens/{token}', '/oauth/revoke/{token}', '/sessions/{token}']), None)
        q.path = T(q.resource.split('{')[0]) + tok
        q.path_params = {'token': tok}
    elif w == 2:
        u = telegram_url(ch(['sendMessage', 'getUpdates', 'setWebhook']))
        path = T('/bot') + T(u.s.split('/bot', 1)[1], [l for l in u.labs])
        q = Req(c, 'POST', '/bot{token}/{method}', path)
    elif w == 3:
        ph = S(gen_phone(), 'phone')
        q = Req(c, 'GET', '/customers/by-phone/{phone}', T('/customers/by-phone/') + ph.map(ch([q_all, q_lower])))
        q.path_params = {'phone': ph}
    elif w == 4:
        v, t = vtok()
        q = Req(c, 'POST', '/v1/keys/{key}/revoke', T('/v1/keys/') + t.map(q_all) + '/revoke')
        q.path_params = {'key': t}
    elif w == 5:
        em = gen_email()
        b = S(b64ue(em) if chance(.5) else b64e(em), 'base64_secret')
        q = Req(c, 'GET', '/unsubscribe/{token}', T('/unsubscribe/') + b.map(q_all))
        q.path_params = {'token': b}
    elif w == 6:
        tok = S(gen_jwt(c), 'jwt')
        q = Req(c, 'GET', '/invite/accept/{jwt}', T('/invite/accept/') + tok)
        q.path_params = {'jwt': tok}
    elif w == 7:
        hook = discord_webhook()
        q = Req(c, 'POST', '/api/webhooks/{id}/{token}', T('/api/webhooks/') + T(hook.s.split('/api/webhooks/', 1)[1], hook.labs))
    else:
        k, kind, v = pii(ch(['ssn', 'iban', 'passport_number', 'card_number']))
        sv = S(v, kind)
        q = Req(c, 'GET', '/v1/lookup/%s/{value}' % kind, T('/v1/lookup/%s/' % kind) + sv.map(q_all))
        q.path_params = {'value': sv}
    std_headers(q)
    if chance(.5):
        add_auth(q)
    q.resp_body = json_body({'ok': True, 'requestId': K(c['reqid'])})
    return q


SCENARIOS = [(sc_login, 18), (sc_login_form, 8), (sc_oauth_token, 10), (sc_oauth_callback, 6), (sc_saml, 5), (sc_api_bearer, 12),
             (sc_vendor_config, 15), (sc_payment, 12), (sc_profile, 8), (sc_password_reset, 6), (sc_presigned, 5), (sc_sts, 4),
             (sc_graphql, 6), (sc_webhook_in, 6), (sc_soap, 4), (sc_b64body, 4), (sc_search_pii, 5), (sc_db_connect, 4),
             (sc_keys_upload, 3), (sc_notify_config, 4), (sc_ua_token, 3)]


ACCESS_POOL = [(sc_query_secret, 14), (sc_path_secret, 14), (sc_api_bearer, 8), (sc_ua_token, 5), (sc_password_reset, 4),
               (sc_oauth_callback, 4), (sc_search_pii, 6), (sc_vendor_config, 4), (sc_login, 3), (sc_presigned, 3), (sc_graphql, 2),
               (sc_profile, 2), (sc_payment, 2), (sc_sts, 1), (sc_webhook_in, 2)]
BODY_POOL = SCENARIOS + [(sc_query_secret, 5), (sc_path_secret, 4)]
LAYOUT_POOL = {'json_access': ACCESS_POOL, 'clf_access': ACCESS_POOL, 'csv_access': ACCESS_POOL, 'xml_access': ACCESS_POOL,
               'alb': ACCESS_POOL, 'cloudfront': ACCESS_POOL, 'waf': ACCESS_POOL + [(sc_login_form, 4), (sc_login, 4)]}


def scenario(c, clean=False, pool=None):
    if clean:
        q = sc_clean(c)
        if chance(.5):
            attach_authorizer(q, clean=True)
        if chance(.15):
            attach_error(q, clean=True)
        return q
    pool = pool or SCENARIOS
    fns, ws = zip(*pool)
    q = R.choices(fns, ws)[0](c)
    if chance(.55):
        attach_authorizer(q)
    if chance(.2):
        attach_error(q)
    if chance(.45):
        n, v = vendor_header()
        q.h(n if chance(.6) else ch(['X-Upstream-Authorization', 'X-Forwarded-Token', 'X-Partner-Key']), v)
    if chance(.18):
        q.referer = ch([
            lambda: F('https://app.%s/account/reset?token=\u00a7&email=\u00a7' % ch(CORP), S(gen_reset_token(), 'reset_token'), S(gen_email(), 'email').map(q_all)),
            lambda: F('https://app.%s/welcome?invite=\u00a7' % ch(CORP), S(gen_jwt(c), 'jwt')),
            lambda: F('https://portal.%s/search?q=\u00a7' % ch(CORP), S(gen_phone(), 'phone').map(q_form)),
            lambda: F('https://app.%s/cb?code=\u00a7&state=%s' % (ch(CORP), rs(12)), S(gen_auth_code(), 'authorization_code').map(q_all)),
        ])()
        if chance(.6):
            q.h('Referer', q.referer)
    return q


# ---------------------------------------------------------------------------
# layout renderers
# ---------------------------------------------------------------------------
def stage_path(q):
    c = q.c
    if c['http_api'] or c['stage'] == '$default':
        return q.path
    return T('/' + c['stage']) + q.path


def masked(v, n=None):
    v = lift(v).s
    n = n or max(8, len(v) - 4)
    return K('*' * n + v[-4:])


def camel(parts):
    out = parts[0]
    for p in parts[1:]:
        p = re.sub(r'[^A-Za-z0-9]', '', p)
        out += p[:1].upper() + p[1:]
    return out


def L_json_access(c, q):
    rest = not c['http_api']
    style = ch(['flat', 'flat', 'nested', 'dotted'])
    fields = []

    def put(path, v, p=1.0):
        if v is None or not chance(p):
            return
        fields.append((path, v))
    put(('requestId',), K(c['reqid'] if rest else c['extid']))
    if rest:
        put(('extendedRequestId',), K(c['extid']), .6)
    put(('identity', 'sourceIp'), K(c['ip']), .95)
    put(('requestTime',), K(clf(c['t'])) if chance(.7) else K(iso_ms(c['t'])), .9)
    put(('requestTimeEpoch',), epoch_ms(c['t']), .3)
    put(('httpMethod',), q.method)
    if rest:
        put(('resourcePath',), K(q.resource), .8)
    else:
        put(('routeKey',), K('%s %s' % (q.method, q.resource)), .9)
    put(('path',), stage_path(q), .75)
    put(('status',), K(str(q.status)))
    put(('protocol',), 'HTTP/1.1', .6)
    put(('responseLength',), str(q.resp_len), .7)
    put(('integrationLatency',), str(q.ilat), .5)
    put(('responseLatency',), str(q.latency), .6)
    put(('domainName',), K(c['host']), .4)
    put(('apiId',), K(c['apiid']), .4)
    put(('stage',), c['stage'], .3)
    put(('identity', 'userAgent'), q.ua, .6 if not q.ua.secret() else .95)
    put(('xrayTraceId',), K(c['xray']), .35)
    idn = q.identity
    for k in ('apiKeyId', 'apiKey', 'caller', 'user', 'userArn', 'accountId', 'accessKey'):
        if k in idn:
            put(('identity', k), idn[k], .9 if lift(idn[k]).secret() else .6)
    if 'clientCert' in idn:
        cc = idn['clientCert']
        put(('identity', 'clientCert', 'subjectDN'), cc['subjectDN'])
        put(('identity', 'clientCert', 'serialNumber'), cc['serialNumber'], .6)
    put(('identity', 'cognitoIdentityId'), '%s:%s' % (c['region'], ruuid()), .1)
    if q.claims:
        for k, v in q.claims.items():
            if lift(v).secret() or chance(.35):
                put(('authorizer', 'claims', k), v)
    if q.authctx is not None:
        put(('authorizer', 'principalId'), q.principal, .9)
        for k, v in q.authctx.items():
            if lift(v).secret() or chance(.5):
                put(('authorizer', k), v)
        put(('authorizer', 'integrationLatency'), str(R.randint(1, 300)), .4)
    if q.err is not None:
        put(('error', 'message'), q.err, .95)
        put(('error', 'responseType'), K(ch(['UNAUTHORIZED', 'ACCESS_DENIED', 'MISSING_AUTHENTICATION_TOKEN', 'DEFAULT_4XX', 'DEFAULT_5XX', 'THROTTLED'])), .5)
    if q.ierr is not None:
        put(('integrationErrorMessage',) if not rest else ('integration', 'error'), q.ierr, .95)
    if q.referer is not None and chance(.5):
        put(('requestOverride', 'header', 'Referer'), q.referer)
    if chance(.15):
        put(('waf', 'error'), '-')
    put(('integration', 'status'), str(q.status if q.status < 500 else 200), .2)
    put(('wafResponseCode',), ch(['WAF_ALLOW', 'WAF_BLOCK', '-']), .15)
    # build object
    if style == 'nested':
        obj = {}
        for path, v in fields:
            d = obj
            for p in path[:-1]:
                d = d.setdefault(p, {})
            d[path[-1]] = v
    elif style == 'dotted':
        obj = {'.'.join(path) if len(path) > 1 else path[0]: v for path, v in fields}
    else:
        obj = {}
        for path, v in fields:
            name = path[-1] if len(path) == 1 or path[0] == 'identity' and path[-1] in ('sourceIp', 'userAgent') else camel(list(path))
            if name == 'sourceIp':
                name = ch(['ip', 'sourceIp'])
            obj[name] = v
    t = jd(obj, JA if chance(.5) else JE, sp=chance(.2))
    for kv in ('"status":"%d"' % q.status, '"status": "%d"' % q.status, '"httpMethod":"%s"' % q.method):
        addk(t, kv)
    return t


def opt(t):
    if t is None:
        return T('-')
    t = lift(t)
    return t if t.s else T('-')


def L_clf(c, q):
    fmt = R.randint(0, 4)
    idn = q.identity
    caller, user = opt(idn.get('caller')), opt(idn.get('user'))
    if q.principal is not None and chance(.5):
        user = q.principal
    if q.claims and 'email' in q.claims and chance(.6):
        user = q.claims['email']
    tm = T('[') + K(clf(c['t'])) + ']'
    if fmt == 0:
        return J(' ', [K(c['ip']), caller, user, tm, T('"%s ' % q.method) + K(q.resource) + ' HTTP/1.1"', K(str(q.status)), T(str(q.resp_len)),
                       K(c['reqid'])])
    if fmt == 1:
        return J(' ', [K(c['ip']), caller, user, tm, T('"%s ' % q.method) + stage_path(q) + ' HTTP/1.1"', K(str(q.status)), T(str(q.resp_len)),
                       K(c['reqid']), K(c['extid']), T('"') + q.ua + '"'])
    if fmt == 2:
        ref = q.referer if q.referer is not None else T('-')
        return J(' ', [K(c['ip']), T('-'), user, tm, T('"%s ' % q.method) + q.full_path(q.enc) + ' HTTP/1.1"', K(str(q.status)),
                       T(str(q.resp_len)), T('"') + ref + '"', T('"') + q.ua + '"', T('rt=%.3f' % (q.latency / 1000.0)),
                       T('uct="0.000" urt="%.3f"' % (q.ilat / 1000.0))])
    if fmt == 3:
        extra = [T('apiKeyId=') + opt(idn.get('apiKeyId')), T('principal=') + opt(q.principal), T('latency=%dms' % q.latency)]
        if 'apiKey' in idn and chance(.6):
            extra.append(T('apiKey=') + idn['apiKey'])
        if q.err is not None:
            extra.append(T('error="') + q.err + '"')
        if q.authctx:
            for k, v in q.authctx.items():
                if lift(v).secret():
                    extra.append(T(k + '=') + logfmt_val(v))
        return J(' ', [K(c['ip']), caller, user, tm, T('"%s ' % q.method) + stage_path(q) + ' HTTP/1.1"', K(str(q.status)),
                       T(str(q.resp_len)), K(c['reqid'])] + extra)
    # fmt 4: apache-ish vhost + request id header
    return J(' ', [K(c['host']) + ':443', K(c['ip']), T('-'), user, tm, T('"%s ' % q.method) + q.full_path(q.enc) + ' HTTP/2.0"',
                   K(str(q.status)), T(str(q.resp_len)), T('"') + (q.referer if q.referer is not None else T('-')) + '"',
                   T('"') + q.ua + '"', K(c['xray'])])


def L_csv(c, q):
    idn = q.identity
    cols = [K(c['ip']), opt(idn.get('caller')), opt(idn.get('user') if q.principal is None else q.principal), K(clf(c['t'])),
            T(q.method), K(q.resource), T('HTTP/1.1'), K(str(q.status)), T(str(q.resp_len)), K(c['reqid'])]
    if chance(.6):
        cols.append(stage_path(q))
    if chance(.5) or q.ua.secret():
        cols.append(q.ua)
    if 'apiKeyId' in idn:
        cols.append(idn['apiKeyId'])
    if 'apiKey' in idn and chance(.7):
        cols.append(idn['apiKey'])
    if q.claims:
        for k in ('email', 'phone_number'):
            if k in q.claims:
                cols.append(q.claims[k])
    if q.authctx:
        for k, v in q.authctx.items():
            if lift(v).secret():
                cols.append(v)
    if q.err is not None:
        cols.append(q.err)
    if chance(.3):
        cols.append(K(c['xray']))
    force = chance(.3)
    return J(',', [csv_field(x, force) for x in cols])


def L_xml(c, q):
    idn = q.identity
    sp = ' ' if chance(.6) else ''
    parts = [T('<request id="') + K(c['reqid']) + '">']

    def el(name, v):
        parts.append(T('<%s>' % name) + lift(v) + '</%s>' % name)
    el('ip', K(c['ip']))
    el('caller', opt(idn.get('caller')))
    el('user', opt(idn.get('user')))
    el('requestTime', K(clf(c['t'])))
    el('httpMethod', q.method)
    el('resourcePath', K(q.resource))
    if chance(.5):
        el('path', stage_path(q))
    el('status', K(str(q.status)))
    el('protocol', 'HTTP/1.1')
    el('responseLength', str(q.resp_len))
    if chance(.4) or q.ua.secret():
        el('userAgent', q.ua.map(xml_esc))
    if 'apiKeyId' in idn:
        el('apiKeyId', idn['apiKeyId'])
    if 'apiKey' in idn and chance(.7):
        el('apiKey', idn['apiKey'])
    if 'accessKey' in idn and chance(.7):
        el('accessKey', idn['accessKey'])
    if q.principal is not None:
        el('principalId', q.principal)
    if q.claims:
        for k, v in q.claims.items():
            if lift(v).secret():
                el(k.replace(':', '_'), v)
    if q.authctx:
        for k, v in q.authctx.items():
            if lift(v).secret():
                el(k, v)
    if q.err is not None:
        el('errorMessage', q.err.map(xml_esc))
    if chance(.3):
        el('extendedRequestId', K(c['extid']))
    parts.append(T('</request>'))
    return J(sp, parts)


def exec_map(pairs):
    return T('{') + J(', ', [lift(k) + '=' + lift(v) for k, v in pairs]) + T('}')


SENSITIVE_HDRS = {'authorization', 'x-api-key'}


def exec_headers(q, redact):
    out = []
    for n, v in q.headers:
        if redact and n.lower() in SENSITIVE_HDRS:
            v = masked(v)
        out.append((n, v))
    return out


def lambda_invoke_uri(c, fn=None):
    return T('https://lambda.%s.amazonaws.com/2015-03-31/functions/' % c['region']) + K(k_lambda_arn(c, fn)) + '/invocations'


def exec_phases(c, q):
    """Candidate execution-log messages (T)."""
    ph = []
    redact = chance(.5)
    ph.append(T('Extended Request Id: ') + K(c['extid']))
    ph.append(T('Starting execution for request: ') + K(c['reqid']))
    ph.append(T('HTTP Method: %s, Resource Path: ' % q.method) + K(q.resource))
    if 'apiKey' in q.identity:
        ph.append(T('Verifying Usage Plan for request: ') + K(c['reqid']) + '. API Key: ' + masked(q.identity['apiKey']) +
                  ' API Stage: ' + K('%s/%s' % (c['apiid'], c['stage'])))
        ph.append(T('Usage Plan check succeeded for API Key ') + masked(q.identity['apiKey']) + ' and API Stage ' + K('%s/%s' % (c['apiid'], c['stage'])))
    if q.path_params:
        ph.append(T('Method request path: ') + exec_map(list(q.path_params.items())))
    if q.query:
        ph.append(T('Method request query string: ') + exec_map(q.query))
    ph.append(T('Method request headers: ') + exec_map(exec_headers(q, redact)))
    if q.body is not None:
        ph.append(T('Method request body before transformations: ') + q.body)
    if q.authctx is not None or q.claims is not None:
        auth_id = rs(6, LOWER + DIG)
        ph.append(T('Starting authorizer: %s for request: ' % auth_id) + K(c['reqid']))
        tok = None
        for n, v in q.headers:
            if n.lower() == 'authorization':
                tok = v
        if tok is not None:
            ev = {'type': 'TOKEN', 'methodArn': K('arn:aws:execute-api:%s:%s:%s/%s/%s%s' % (c['region'], c['acct'], c['apiid'], c['stage'], q.method, q.resource)),
                  'authorizationToken': tok}
            ph.append(T('Endpoint request body after transformations: ') + jd(ev))
            ph.append(T('Incoming identity: ') + masked(tok))
        if q.authctx is not None:
            pol = {'principalId': q.principal, 'policyDocument': {'Version': '2012-10-17', 'Statement': [{'Action': 'execute-api:Invoke', 'Effect': 'Allow',
                   'Resource': K('arn:aws:execute-api:%s:%s:%s/*' % (c['region'], c['acct'], c['apiid']))}]}, 'context': q.authctx}
            ph.append(T('Endpoint response body before transformations: ') + jd(pol))
            ph.append(T('Authorizer result body before parsing: ') + jd(pol))
            ph.append(T('Using valid authorizer policy for principal: ') + lift(q.principal))
    lam = chance(.6)
    if lam:
        uri = lambda_invoke_uri(c)
    else:
        uri = T('https://%s%s' % (ch(['backend.internal.', 'origin.', 'legacy.']), ch(CORP))) + q.full_path(q.enc)
    ph.append(T('Endpoint request URI: ') + uri)
    ph.append(T('Sending request to ') + uri)
    eh = [('x-amzn-apigateway-api-id', K(c['apiid'])), ('Accept', 'application/json'), ('User-Agent', K('AmazonAPIGateway_' + c['apiid']))]
    if lam or chance(.3):
        eh = [('Authorization', K('*' * R.randint(200, 420) + hx(6))), ('X-Amz-Date', K(amzdate(c['t'])))] + eh
        eh.append(('X-Amz-Security-Token', S(gen_session_token(), 'aws_session_token')))
    else:
        eh += [(n, v) for n, v in q.headers if n.lower() in ('authorization', 'cookie', 'x-api-key') or n.lower().startswith('x-')]
    ph.append(T('Endpoint request headers: ') + exec_map(eh))
    if lam:
        ph.append(T('Endpoint request body after transformations: ') + jd(event_v1(q)))
    elif q.body is not None:
        ph.append(T('Endpoint request body after transformations: ') + q.body)
    ph.append(T('Received response. Status: %d, Integration latency: %d ms' % (q.status if q.status < 500 else 200, q.ilat)))
    rh = [('Date', K(q.c['t'].strftime('%a, %d %b %Y %H:%M:%S GMT'))), ('Content-Type', 'application/json'),
          ('x-amzn-RequestId', K(c['lreqid'])), ('X-Amzn-Trace-Id', K('root=%s;sampled=0' % c['xray']))] + q.resp_headers
    ph.append(T('Endpoint response headers: ') + exec_map(rh))
    if q.resp_body is not None:
        ph.append(T('Endpoint response body before transformations: ') + q.resp_body)
        ph.append(T('Method response body after transformations: ') + q.resp_body)
    ph.append(T('Method response headers: ') + exec_map([('X-Amzn-Trace-Id', K('Root=' + c['xray'])), ('Content-Type', 'application/json')] + q.resp_headers))
    ph.append(T('Successfully completed execution'))
    ph.append(T('Method completed with status: %d' % q.status))
    if q.ierr is not None:
        ph.append(T('Lambda execution failed with status 200 due to customer function error: ') + q.ierr + '. Lambda request id: ' + K(c['lreqid']))
        ph.append(T('Execution failed due to configuration error: ') + q.ierr)
    return ph


def L_execution(c, q):
    ph = exec_phases(c, q)
    sec = [p for p in ph if p.secret()]
    if sec and chance(.85):
        msg = ch(sec)
    else:
        msg = ch(ph)
    limit = 1024 if chance(.7) else R.randint(2000, 6000)
    line = T('(') + K(c['reqid']) + ') ' + msg
    line = trunc(line, limit)
    if chance(.3):
        line = K(iso_ms(c['t'])) + ch([' ', '\t']) + line
    return line


# ----- Lambda events -----
def ident_dict(q):
    c, idn = q.c, q.identity
    d = {'cognitoIdentityPoolId': None, 'accountId': idn.get('accountId'), 'cognitoIdentityId': None, 'caller': idn.get('caller'),
         'sourceIp': K(c['ip']), 'principalOrgId': None, 'accessKey': idn.get('accessKey'), 'cognitoAuthenticationType': None,
         'cognitoAuthenticationProvider': None, 'userArn': idn.get('userArn'), 'userAgent': q.ua, 'user': idn.get('user')}
    if 'apiKey' in idn:
        d['apiKey'] = idn['apiKey']
    if 'apiKeyId' in idn:
        d['apiKeyId'] = idn['apiKeyId']
    if 'clientCert' in idn:
        d['clientCert'] = {'subjectDN': idn['clientCert']['subjectDN'], 'serialNumber': idn['clientCert']['serialNumber']}
    return d


def authorizer_dict(q):
    if q.claims:
        return {'claims': dict(q.claims)}
    if q.authctx is not None:
        d = {'principalId': q.principal, 'integrationLatency': R.randint(1, 300)}
        d.update(q.authctx)
        return d
    return None


def event_v1(q, mv=None, compact=False):
    c = q.c
    hdrs, mvh = {}, {}
    for n, v in q.headers:
        hdrs[n] = v
        mvh.setdefault(n, []).append(v)
    ev = {'resource': K(q.resource), 'path': q.path, 'httpMethod': q.method, 'headers': hdrs}
    if mv if mv is not None else chance(.3):
        ev['multiValueHeaders'] = mvh
    ev['queryStringParameters'] = dict(q.query) if q.query else None
    ev['pathParameters'] = dict(q.path_params) if q.path_params else None
    ev['stageVariables'] = None if chance(.7) else {'lambdaAlias': 'live'}
    rc = {'resourceId': c['resid'], 'resourcePath': K(q.resource), 'httpMethod': q.method, 'extendedRequestId': K(c['extid']),
          'requestTime': K(clf(c['t'])), 'path': stage_path(q), 'accountId': K(c['acct']), 'protocol': 'HTTP/1.1', 'stage': c['stage'],
          'domainPrefix': c['apiid'], 'requestTimeEpoch': epoch_ms(c['t']), 'requestId': K(c['reqid']), 'identity': ident_dict(q),
          'domainName': K(c['host']), 'apiId': K(c['apiid'])}
    a = authorizer_dict(q)
    if a is not None:
        rc['authorizer'] = a
    if compact:
        rc = {k: rc[k] for k in ('requestId', 'identity', 'stage', 'apiId') if k in rc}
        if a is not None:
            rc['authorizer'] = a
    ev['requestContext'] = rc
    ev['body'] = q.body
    ev['isBase64Encoded'] = q.b64
    return ev


def event_v2(q):
    c = q.c
    hdrs = {}
    for n, v in q.headers:
        if n.lower() == 'cookie':
            continue
        ln = n.lower()
        hdrs[ln] = hdrs[ln] + ',' + v if ln in hdrs else v
    ev = {'version': '2.0', 'routeKey': K('%s %s' % (q.method, q.resource)), 'rawPath': q.path,
          'rawQueryString': q.qs(q.enc) if q.query else ''}
    if q.cookies:
        ev['cookies'] = list(q.cookies)
    ev['headers'] = hdrs
    if q.query:
        ev['queryStringParameters'] = dict(q.query)
    rc = {'accountId': K(c['acct']), 'apiId': K(c['apiid']), 'domainName': K(c['host']), 'domainPrefix': c['apiid'],
          'http': {'method': q.method, 'path': q.path, 'protocol': 'HTTP/1.1', 'sourceIp': K(c['ip']), 'userAgent': q.ua},
          'requestId': K(c['extid']), 'routeKey': K('%s %s' % (q.method, q.resource)), 'stage': c['stage'], 'time': K(clf(c['t'])),
          'timeEpoch': epoch_ms(c['t'])}
    if q.claims:
        rc['authorizer'] = {'jwt': {'claims': dict(q.claims), 'scopes': None}}
    elif q.authctx is not None:
        rc['authorizer'] = {'lambda': dict(q.authctx)}
    ev['requestContext'] = rc
    if q.path_params:
        ev['pathParameters'] = dict(q.path_params)
    if q.body is not None:
        ev['body'] = q.body
    ev['isBase64Encoded'] = q.b64
    return ev


GO_NAMES = {'resource': 'Resource', 'path': 'Path', 'httpMethod': 'HTTPMethod', 'headers': 'Headers', 'multiValueHeaders': 'MultiValueHeaders',
            'queryStringParameters': 'QueryStringParameters', 'pathParameters': 'PathParameters', 'stageVariables': 'StageVariables',
            'requestContext': 'RequestContext', 'body': 'Body', 'isBase64Encoded': 'IsBase64Encoded', 'resourceId': 'ResourceID',
            'resourcePath': 'ResourcePath', 'extendedRequestId': 'ExtendedRequestID', 'requestTime': 'RequestTime', 'accountId': 'AccountID',
            'protocol': 'Protocol', 'stage': 'Stage', 'domainPrefix': 'DomainPrefix', 'requestTimeEpoch': 'RequestTimeEpoch',
            'requestId': 'RequestID', 'identity': 'Identity', 'domainName': 'DomainName', 'apiId': 'APIID', 'authorizer': 'Authorizer',
            'cognitoIdentityPoolId': 'CognitoIdentityPoolID', 'cognitoIdentityId': 'CognitoIdentityID', 'caller': 'Caller',
            'sourceIp': 'SourceIP', 'principalOrgId': 'PrincipalOrgID', 'accessKey': 'AccessKey', 'cognitoAuthenticationType': 'CognitoAuthenticationType',
            'cognitoAuthenticationProvider': 'CognitoAuthenticationProvider', 'userArn': 'UserArn', 'userAgent': 'UserAgent', 'user': 'User',
            'apiKey': 'APIKey', 'apiKeyId': 'APIKeyID', 'clientCert': 'ClientCert', 'subjectDN': 'SubjectDN', 'serialNumber': 'SerialNumber'}
GO_MAPS = {'headers', 'multiValueHeaders', 'queryStringParameters', 'pathParameters', 'stageVariables', 'authorizer', 'claims'}
JAVA_MAPS = GO_MAPS


def to_go(o, key=None):
    if isinstance(o, dict):
        if key in GO_MAPS:
            return {k: to_go(v, k) for k, v in o.items()}
        return GoStruct([(GO_NAMES.get(lift(k).s, camel([lift(k).s])[:1].upper() + camel([lift(k).s])[1:]), to_go(v, lift(k).s)) for k, v in o.items()])
    if isinstance(o, list):
        return [to_go(x) for x in o]
    if o is None:
        return {} if key in GO_MAPS else ''
    return o


def to_java(o, key=None):
    if isinstance(o, dict):
        if key in JAVA_MAPS:
            return JMap({k: to_java(v, k) for k, v in o.items()})
        return {k: to_java(v, lift(k).s) for k, v in o.items()}
    if isinstance(o, list):
        return [to_java(x) for x in o]
    return o


def lam_prefix(c, rt):
    if rt == 'node':
        return T(iso_ms(c['t']) + '\t') + K(c['lreqid']) + '\t' + ch(['INFO', 'INFO', 'ERROR', 'WARN', 'DEBUG']) + '\t'
    if rt == 'python':
        return T('[%s]\t' % ch(['INFO', 'INFO', 'ERROR', 'WARNING', 'DEBUG']) + iso_ms(c['t']) + '\t') + K(c['lreqid']) + '\t'
    if rt == 'java':
        return T(c['t'].strftime('%Y-%m-%d %H:%M:%S') + ' ') + K(c['lreqid']) + ' ' + ch(['INFO ', 'ERROR', 'DEBUG']) + ' ' + \
            ch(['ApiHandler', 'c.e.orders.Handler', 'AuthService']) + ':' + str(R.randint(20, 400)) + ' - '
    if rt == 'go':
        return T(c['t'].strftime('%Y/%m/%d %H:%M:%S') + ' ')
    if rt == 'dotnet':
        return T(iso_ms(c['t']) + '\t') + K(c['lreqid']) + '\t' + ch(['info', 'fail', 'warn']) + '\t'
    if rt == 'ruby':
        return T('I, [') + K(c['t'].strftime('%Y-%m-%dT%H:%M:%S.%f')) + ' #%d]  INFO -- : ' % R.randint(1, 99)
    return T('')


def app_payload(c, q):
    """Free-form object an application might log (dict with T leaves) + a message."""
    w = R.randint(0, 14)
    if w > 9:
        w = ch([1, 6])
    if q.clean:
        return 'request summary', {'requestId': K(c['reqid']), 'route': K('%s %s' % (q.method, q.resource)), 'status': q.status,
                                   'durationMs': q.latency, 'pod': K(k_pod()), 'traceparent': K(k_traceparent())}
    if w == 0:
        d = {'email': S(gen_email(), 'email'), 'ip': K(c['ip']), 'success': chance(.5), 'mfa': ch(['sms', 'totp', None])}
        if chance(.6):
            d[ch(PW_KEYS)] = S(gen_password(), 'password')
        return 'login attempt', d
    if w == 1:
        n, v = vendor_header()
        return 'calling upstream', {'url': K('https://api.%s/v1/%s' % (ch(CORP), ch(['charges', 'messages', 'contacts']))), 'method': 'POST',
                                    'headers': {n: v, 'Content-Type': 'application/json', 'Idempotency-Key': K(ruuid())}, 'timeoutMs': 5000}
    if w == 2:
        return 'loaded config', {'db': {'url': conn_string(c), 'pool': 10}, 'features': {'newCheckout': True}, 'build': K(hx(40))}
    if w == 3:
        k1, kind1, v1 = pii()
        k2, kind2, v2 = pii()
        return 'user profile', {'userId': K(ruuid()), k1: S(v1, kind1), k2 + ('_2' if k2 == k1 else ''): S(v2, kind2), 'locale': ch(['en-GB', 'de-DE', 'ja-JP'])}
    if w == 4:
        return 'token refreshed', {'access_token': S(gen_opaque(), 'oauth_access_token'), 'refresh_token': S(gen_refresh(), 'oauth_refresh_token'),
                                   'expires_in': 3600, 'token_type': 'Bearer'}
    if w == 5:
        return 'assumed role', {'Credentials': {'AccessKeyId': S(gen_akid(True), 'aws_access_key_id'), 'SecretAccessKey': S(gen_aws_secret(), 'aws_secret_access_key'),
                                                'SessionToken': S(gen_session_token()[:R.randint(120, 300)], 'aws_session_token'), 'Expiration': K(iso_s(c['t']))}}
    if w == 6:
        k, t = vendor_kv()
        return 'integration settings', {'tenant': K(ruuid()), k: t, 'webhook': webhook_url()}
    if w == 7 and chance(.5):
        return 'db connection', {'host': K(k_db_host(c)), 'port': 5432, 'user': ch(['app', 'etl', 'reporting']),
                                 ch(PW_KEYS): S(gen_password(), 'password'), 'sslmode': 'verify-full'}
    if w == 7:
        return 'sending notification', {'to': S(gen_phone(), 'phone'), 'template': 'otp', 'vars': {'code': S(dg(6), 'otp_code')}, 'messageId': K(ruuid())}
    if w == 8 and chance(.5):
        x = R.randint(0, 3)
        if x == 0:
            return 'saml assertion received', {'RelayState': K('/home'), 'SAMLResponse': S(gen_saml(c, gen_email()), 'saml_response')}
        if x == 1:
            return 'oauth code exchange', {'code': S(gen_auth_code(), 'authorization_code'), 'code_verifier': S(gen_code_verifier(), 'pkce_code_verifier'),
                                           'redirect_uri': K('https://app.%s/callback' % ch(CORP)), 'client_id': K(gen_client_id())}
        if x == 2:
            return 'user record loaded', {'id': K(ruuid()), 'email': S(gen_email(), 'email'), 'password_hash': S(bcrypt_hash(), 'password_hash'),
                                          'created_at': K(iso_s(c['t']))}
        return 'session restored', {'session': S(gen_jwe(direct=chance(.5), small=True), 'jwe'), 'user': K(ruuid())}
    if w == 8:
        return 'payment method added', {'customer': K('cus_' + rs(14)), 'card': S(gen_card(), 'card_number'), 'billing_email': S(gen_email(), 'email')}
    return 'incoming cookies', {'cookies': dict((n, v) for n, v, _ in [session_cookie(c), csrf_cookie()])}


def L_lambda(c, q):
    rt = ch(['node', 'node', 'python', 'python', 'java', 'go', 'dotnet', 'powertools', 'lambda_json', 'ruby', 'php', 'logfmt', 'platform'])
    if q.clean and chance(.35):
        rt = 'platform'
    as_event = chance(.5)
    if rt == 'platform':
        w = R.randint(0, 3)
        if w == 0:
            return T('START RequestId: ') + K(c['lreqid']) + ' Version: $LATEST'
        if w == 1:
            return T('END RequestId: ') + K(c['lreqid'])
        if w == 2:
            return (T('REPORT RequestId: ') + K(c['lreqid']) + '\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t' %
                    (q.latency * 0.9, q.latency, ch([128, 256, 512, 1024]), R.randint(60, 120)) +
                    (('Init Duration: %.2f ms\t' % (R.random() * 900)) if chance(.3) else '') + ('XRAY TraceId: ' + c['xray'] + '\tSegmentId: ' + hx(16) + '\tSampled: true' if chance(.5) else ''))
        return jd({'time': K(iso_ms(c['t'])), 'type': 'platform.report', 'record': {'requestId': K(c['lreqid']), 'metrics': {'durationMs': q.latency, 'billedDurationMs': q.latency + 1,
                   'memorySizeMB': 512, 'maxMemoryUsedMB': R.randint(60, 200)}, 'tracing': {'spanId': K(hx(16)), 'type': 'X-Amzn-Trace-Id', 'value': K('Root=%s;Sampled=1' % c['xray'])}, 'status': 'success'}})
    ev = event_v2(q) if (c['http_api'] and chance(.7)) else event_v1(q)
    msg, obj = app_payload(c, q)
    pre = lam_prefix(c, rt)
    if rt == 'node':
        if as_event:
            return pre + ch(['event: ', 'Received event: ', '']) + (ni(ev) if chance(.6) else jd(ev))
        return pre + msg + ' ' + ni(obj)
    if rt == 'python':
        if as_event:
            return pre + ch(['Received event: ', 'event=', '']) + (pr(ev) if chance(.6) else jd(ev, JA, sp=True))
        return pre + msg + ': ' + pr(obj)
    if rt == 'java':
        if as_event:
            return pre + 'Request: ' + jts(to_java(ev))
        name = ch(['AppConfig', 'UserDto', 'TokenResponse', 'OutboundRequest'])
        flat = []
        for k, v in obj.items():
            flat.append(lift(k) + '=' + (jts(to_java(v)) if not isinstance(v, (T, str)) else lift(v)))
        return pre + msg + ': ' + name + '(' + J(', ', flat) + ')'
    if rt == 'go':
        if as_event:
            return pre + 'event: ' + gv(to_go(ev))
        if chance(.5):
            return pre + msg + ': ' + gv(to_go(obj))
        return T('{"level":"info","ts":%.3f,"caller":"handler/main.go:%d","msg":"%s",' % (c['t'].timestamp(), R.randint(20, 300), msg)) + \
            tail(jd(obj, j_esc(True, 'go')), 1)
    if rt == 'dotnet':
        e = j_esc(True, 'net')
        if as_event:
            return pre + jd(ev, e)
        return pre + msg + ' ' + jd(obj, e)
    if rt == 'powertools':
        d = {'level': ch(['INFO', 'ERROR', 'DEBUG']), 'location': 'handler:%d' % R.randint(10, 200), 'message': msg if not as_event else 'Received event',
             'timestamp': K(c['t'].strftime('%Y-%m-%d %H:%M:%S,') + '%03d+0000' % (c['t'].microsecond // 1000)), 'service': ch(SERVICES), 'cold_start': chance(.2),
             'function_name': ch(SERVICES) + '-fn', 'function_memory_size': '512', 'function_arn': K(k_lambda_arn(c)),
             'function_request_id': K(c['lreqid']), 'xray_trace_id': K(c['xray'])}
        d['event' if as_event else 'extra'] = ev if as_event else obj
        return jd(d, ch([JA, JE]))
    if rt == 'lambda_json':
        return jd({'timestamp': K(iso_ms(c['t'])), 'level': 'INFO', 'requestId': K(c['lreqid']), 'message': ev if as_event else obj})
    if rt == 'ruby':
        if as_event:
            return pre + 'Processing by ' + ch(['SessionsController#create', 'UsersController#update']) + ' as JSON Parameters: ' + rb_inspect(obj)
        return pre + msg + ' ' + rb_inspect(obj)
    if rt == 'php':
        return T('[') + K(c['t'].strftime('%d-%b-%Y %H:%M:%S')) + ' UTC] PHP Notice:  %s: ' % msg + php_export(obj) + ' in /var/task/src/Handler.php on line %d' % R.randint(10, 300)
    # logfmt (Go/Elixir style)
    kv = [T('time=') + K(iso_s(c['t'])), T('level=') + ch(['info', 'warn', 'error']), T('msg=') + logfmt_val(T(msg)), T('request_id=') + K(c['lreqid'])]
    for k, v in obj.items():
        if isinstance(v, (T, str)):
            kv.append(T(re.sub(r'\W', '_', k) + '=') + logfmt_val(v))
        elif isinstance(v, dict):
            for k2, v2 in v.items():
                if isinstance(v2, (T, str)):
                    kv.append(T('%s.%s=' % (re.sub(r'\W', '_', k), re.sub(r'\W', '_', lift(k2).s))) + logfmt_val(v2))
    return J(' ', kv)


def L_cwl(c, q):
    kind = ch(['access', 'exec', 'exec', 'lambda'])
    events = []
    n = R.randint(1, 3)
    t0 = epoch_ms(c['t'])
    if kind == 'access':
        group = ch(['/aws/apigateway/%s/access' % c['apiid'], 'API-Gateway-Access-Logs_%s/%s' % (c['apiid'], c['stage']), '/aws/vendedlogs/apigw/%s' % ch(SERVICES)])
        stream = c['apiid'] if chance(.5) else hx(32)
        for i in range(n):
            qq = q if i == 0 else scenario(new_ctx(), clean=chance(.3))
            events.append(L_json_access(qq.c, qq) if chance(.7) else L_clf(qq.c, qq))
    elif kind == 'exec':
        group = 'API-Gateway-Execution-Logs_%s/%s' % (c['apiid'], c['stage'])
        stream = hx(32)
        ph = exec_phases(c, q)
        sec = [p for p in ph if p.secret()]
        picks = R.sample(ph, min(n, len(ph)))
        if sec and not any(p.secret() for p in picks):
            picks[0] = ch(sec)
        for p in picks:
            events.append(trunc(T('(') + K(c['reqid']) + ') ' + p, 1024))
    else:
        group = '/aws/lambda/%s-%s' % (ch(SERVICES), c['stage'].strip('$'))
        stream = K(c['t'].strftime('%Y/%m/%d') + '/[$LATEST]' + hx(32))
        for i in range(n):
            events.append(L_lambda(c, q))
    les = []
    for i, m in enumerate(events):
        les.append({'id': K(k_cwl_id()), 'timestamp': t0 + i * R.randint(0, 40), 'message': m})
    env = {'messageType': 'DATA_MESSAGE', 'owner': K(c['acct']), 'logGroup': group, 'logStream': stream,
           'subscriptionFilters': [ch(['to-firehose', 'scrubber', 'siem-forwarder', 'LambdaStream_%s' % ch(SERVICES)])], 'logEvents': les}
    if chance(.15):
        env['policyLevel'] = 'ACCOUNT_LEVEL_POLICY'
    t = jd(env, JE if chance(.6) else JA)
    if len(t.s.encode()) > MAX_LINE - 200 and len(les) > 1:
        env['logEvents'] = les[:1]
        t = jd(env, JE)
    return t


def L_cwl_control(c):
    return jd({'messageType': 'CONTROL_MESSAGE', 'owner': 'CloudwatchLogs', 'logGroup': '', 'logStream': '', 'subscriptionFilters': [],
               'logEvents': [{'id': K(ruuid()), 'timestamp': epoch_ms(c['t']), 'message': 'CWL CONTROL MESSAGE: Checking health of destination Firehose.'}]})


def L_firehose(c, q):
    """Kinesis Data Firehose transformation event carrying base64 records."""
    recs = []
    for i in range(R.randint(1, 2)):
        inner = L_json_access(c, q) if i == 0 else L_json_access(*(lambda qq: (qq.c, qq))(scenario(new_ctx(), clean=True)))
        recs.append({'recordId': K(dg(56)), 'approximateArrivalTimestamp': epoch_ms(c['t']), 'data': b64wrap(inner, 'base64_secret')})
    return jd({'invocationId': K(ruuid()), 'deliveryStreamArn': K('arn:aws:firehose:%s:%s:deliverystream/%s' % (c['region'], c['acct'], ch(['apigw-logs', 'waf-logs']))),
               'region': c['region'], 'records': recs})


def L_alb(c, q):
    typ = ch(['https', 'https', 'h2', 'http'])
    lam = chance(.3)
    tgt = T('-') if lam else K(k_priv_ip()) + ':' + str(ch([80, 8080, 3000, 443]))
    st = q.status
    loc = None
    for n, v in q.resp_headers:
        if n.lower() == 'location' and v.s.startswith('http'):
            loc = v
    port = 443 if typ != 'http' else 80
    url = T('%s://' % ('http' if typ == 'http' else 'https')) + K(c['host']) + ':%d' % port + q.full_path(q.enc)
    proto = 'HTTP/2.0' if typ == 'h2' else 'HTTP/1.1'
    actions = 'forward' if loc is None else 'redirect'
    if chance(.2):
        actions = 'authenticate,forward'
    name = ch(['my-loadbalancer', 'api-alb', 'internal-svc', 'edge-prod'])
    f = [T(typ), K(iso_us(c['t'])), K('app/%s/%s' % (name, hx(16))), K(c['ip']) + ':' + str(R.randint(1024, 65535)), tgt,
         T('%.3f' % (R.random() / 100)), T('%.3f' % (q.latency / 1000.0)), T('%.3f' % (R.random() / 100)), K(str(st)), T(str(st) if not lam else '-'),
         T(str(R.randint(100, 4000))), T(str(q.resp_len)), T('"%s ' % q.method) + url + ' %s"' % proto, T('"') + q.ua + '"',
         K(ch(['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384'])) if typ != 'http' else T('-'),
         T(ch(['TLSv1.2', 'TLSv1.3']) if typ != 'http' else '-'),
         K('arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s' % (c['region'], c['acct'], ch(['api-targets', 'lambda-tg', 'web']), hx(16))),
         T('"') + K('Root=' + c['xray']) + '"', T('"') + K(c['host']) + '"',
         T('"') + K('arn:aws:acm:%s:%s:certificate/%s' % (c['region'], c['acct'], ruuid())) + '"', T(str(R.randint(0, 50))),
         K(iso_us(c['t'] - dt.timedelta(milliseconds=q.latency))), T('"%s"' % actions), T('"') + (loc if loc is not None else T('-')) + '"',
         T('"-"'), T('"') + (T('-') if lam else tgt) + '"', T('"%s"' % (st if not lam else '-')), T('"-"'), T('"-"'), K('TID_' + hx(32))]
    return J(' ', f)


def L_waf(c, q):
    src = ch(['APIGW', 'APIGW', 'ALB', 'CF'])
    if src == 'APIGW':
        sid = K('%s:%s:%s' % (c['acct'], c['apiid'], c['stage'].strip('$') or 'default'))
    elif src == 'ALB':
        sid = K('%s-app/%s/%s' % (c['acct'], ch(['api-alb', 'edge-prod']), hx(16)))
    else:
        sid = K(k_cf_dist())
    hdrs = []
    redact = chance(.2)
    for n, v in q.headers:
        if redact and n.lower() in ('authorization', 'cookie'):
            v = K('REDACTED')
        hdrs.append({'name': n, 'value': v})
    action = ch(['ALLOW', 'ALLOW', 'ALLOW', 'BLOCK', 'COUNT', 'CAPTCHA'])
    rule = 'Default_Action' if action == 'ALLOW' else ch(['AWS-AWSManagedRulesCommonRuleSet', 'RateLimit-per-IP', 'AWS-AWSManagedRulesSQLiRuleSet', 'BlockBadBots'])
    det = []
    if 'SQLi' in rule:
        det = [{'conditionType': 'SQL_INJECTION', 'sensitivityLevel': 'LOW', 'location': 'QUERY_STRING', 'matchedData': ['1', 'OR', '1']}]
    hr = {'clientIp': K(c['ip']), 'country': ch(['US', 'DE', 'GB', 'IN', 'BR', 'JP', 'FR', 'AU']), 'headers': hdrs, 'uri': q.path,
          'args': q.qs(q.enc) if q.query else '', 'httpVersion': 'HTTP/1.1', 'httpMethod': q.method, 'requestId': K(c['extid'] if src == 'APIGW' else k_cf_reqid())}
    if chance(.3):
        hr['scheme'] = 'https'
        hr['host'] = K(c['host'])
        hr['fragment'] = ''
    d = {'timestamp': epoch_ms(c['t']), 'formatVersion': 1,
         'webaclId': K('arn:aws:wafv2:%s:%s:%s/webacl/%s/%s' % (c['region'] if src != 'CF' else 'us-east-1', c['acct'], 'regional' if src != 'CF' else 'global',
                                                          ch(['api-protection', 'prod-acl', 'edge-acl']), ruuid())),
         'terminatingRuleId': rule, 'terminatingRuleType': 'REGULAR' if action == 'ALLOW' else ch(['MANAGED_RULE_GROUP', 'RATE_BASED', 'REGULAR']),
         'action': action, 'terminatingRuleMatchDetails': det, 'httpSourceName': src, 'httpSourceId': sid,
         'ruleGroupList': [{'ruleGroupId': 'AWS#AWSManagedRulesCommonRuleSet', 'terminatingRule': None, 'nonTerminatingMatchingRules': [], 'excludedRules': None}],
         'rateBasedRuleList': [], 'nonTerminatingMatchingRules': [], 'requestHeadersInserted': None, 'responseCodeSent': None, 'httpRequest': hr}
    if chance(.5):
        d['labels'] = [{'name': ch(['awswaf:managed:aws:bot-control:bot:category:http_library', 'awswaf:clientip:geo:country:US',
                                     'awswaf:managed:token:absent'])}]
    if chance(.6):
        d['ja3Fingerprint'] = K(hx(32))
    if chance(.3):
        d['ja4Fingerprint'] = K('t13d%04dh2_%s_%s' % (R.randint(1000, 1999), hx(12), hx(12)))
    if q.body is not None and chance(.3):
        d['requestBodySize'] = len(q.body.s)
        d['requestBodySizeInspectedByWAF'] = min(len(q.body.s), 8192)
    if action == 'CAPTCHA':
        d['captchaResponse'] = {'responseCode': 405, 'solveTimestamp': 0, 'failureReason': 'TOKEN_MISSING'}
    return jd(d, JE if chance(.7) else JA)


def L_cloudfront(c, q):
    dist = '%s.cloudfront.net' % ('d' + rs(13, LOWER + DIG))
    ua = q.ua.map(q_space)
    cookie = None
    for n, v in q.headers:
        if n.lower() == 'cookie':
            cookie = v.map(q_space)
    ref = q.referer if q.referer is not None else T('-')
    qs = q.qs(q.enc) if q.query else T('-')
    res = ch(['Miss', 'Hit', 'RefreshHit', 'Error', 'FunctionGeneratedResponse'])
    f = [K(c['t'].strftime('%Y-%m-%d')), K(c['t'].strftime('%H:%M:%S')), T(ch(['IAD89-C3', 'FRA56-P7', 'LHR61-C2', 'NRT57-P2', 'GRU3-C1', 'BOM78-P4', 'SYD62-P1'])),
         T(str(q.resp_len + 300)), K(c['ip']), T(q.method), K(dist), q.path.map(lambda s: s.replace(' ', '%20')), K(str(q.status)), ref, ua, qs,
         cookie if cookie is not None else T('-'), T(res), K(k_cf_reqid()), K(c['host']), T('https'), T(str(R.randint(100, 3000))),
         T('%.3f' % (q.latency / 1000.0)), T('-'), T('TLSv1.3'), T('TLS_AES_128_GCM_SHA256'), T(res), T(ch(['HTTP/2.0', 'HTTP/1.1'])), T('-'), T('-'),
         T(str(R.randint(1024, 65535))), T('%.3f' % (q.ilat / 1000.0)), T(res), T('application/json'), T(str(q.resp_len)), T('-'), T('-')]
    return J('\t', f)


# ----- free text -----
def bcrypt_hash():
    return ch([lambda: '$2b$12$' + rs(53, './' + ALNUM), lambda: '$2y$10$' + rs(53, './' + ALNUM),
               lambda: '$argon2id$v=19$m=65536,t=3,p=4$' + b64e(rb(16)).rstrip('=') + '$' + b64e(rb(32)).rstrip('='),
               lambda: 'pbkdf2_sha256$600000$' + rs(22) + '$' + b64e(rb(32)),
               lambda: '$6$rounds=656000$' + rs(16, './' + ALNUM) + '$' + rs(86, './' + ALNUM)])()


def vendor_with_q():
    while True:
        v = VENDORS[VENDOR_DECK.draw()]
        if v['q'] and v['name'] in ('facebook', 'mapbox', 'trello', 'google', 'slack', 'gitlab') or chance(.15):
            return v


RARE_TEXT = {'password': 8, 'card_number': 26, 'iban': 23, 'street_address': 21, 'pkce_code_verifier': 32, 'ssh_private_key': 13, 'password_hash': 4, 'uk_nino': 27, 'saml_response': 33, 'jwe': 34,
             'jwt_unsigned': 30, 'digest_response': 35, 'passport_number': 27, 'ssn': 22, 'basic_auth': 12}


def text_dirty(c):
    w = R.randint(0, 41)
    if w > 31:
        w = ch([9, 31, 31])
    if chance(.3):
        m = min(RENDERED_KINDS[k] for k in RARE_TEXT)
        w = RARE_TEXT[ch([k for k in RARE_TEXT if RENDERED_KINDS[k] == m])]
    if w == 32:
        v = gen_code_verifier()
        chal = b64ue(hashlib.sha256(v.encode()).digest())
        return (T('invalid_grant: PKCE verification failed: code_verifier=') + S(v, 'pkce_code_verifier') + ' code_challenge=' + K(chal) +
                ' code_challenge_method=S256 client_id=' + K(gen_client_id()))
    if w == 33:
        return T('saml2: signature validation failed for assertion; raw SAMLResponse=') + S(gen_saml(c, gen_email()), 'saml_response') + ' RelayState=' + K('/home')
    if w == 34:
        return (T('jose.exceptions.JWEError: Unable to decrypt token ') + S(gen_jwe(small=True), 'jwe') + ' with key id ' + K(ruuid()))
    if w == 35:
        return T('> GET /v1/reports HTTP/1.1 > Host: %s > Authorization: ' % c['host']) + digest_header(ch(['exporter', 'svc-reports'])) + ' < HTTP/1.1 401 Unauthorized'
    if w == 12 and RENDERED_KINDS['basic_auth'] < 20:
        return T('* Connected to %s port 443 > GET /v1/me HTTP/2 > Host: %s > Authorization: Basic ' % (c['host'], c['host'])) + basic_cred() + ' > user-agent: curl/8.5.0 < HTTP/2 401'
    ts = K(iso_ms(c['t']))
    lvl = ch(['ERROR', 'WARN', 'INFO', 'error', 'E'])
    if w == 0:
        v = vendor_with_q()
        _, t = vtok(v)
        url = T('https://%s/v1/%s?fields=id,name&%s=' % (ch(['graph.facebook.com', 'api.mapbox.com', 'api.trello.com', 'maps.googleapis.com', 'api.' + ch(CORP)]),
                                                        ch(['me', 'geocode/json', 'members/me', 'boards']), ch(v['q']))) + t.map(q_all)
        return (T('Traceback (most recent call last): File "/var/task/app.py", line %d, in handler resp.raise_for_status() '
                  'File "/opt/python/requests/models.py", line 1021, in raise_for_status raise HTTPError(http_error_msg, response=self) '
                  'requests.exceptions.HTTPError: %d Client Error: %s for url: ' % (R.randint(20, 300), ch([401, 403]), ch(['Unauthorized', 'Forbidden']))) + url)
    if w == 1:
        em = S(gen_email(), 'email')
        return ts + ' ' + ('%s:  duplicate key value violates unique constraint "users_email_key" DETAIL:  Key (email)=(' % ch(['ERROR', 'FATAL'])) + em + ') already exists.'
    if w == 2:
        return T("ERROR 1062 (23000) at line %d: Duplicate entry '" % R.randint(1, 90)) + S(gen_email(), 'email') + "' for key 'users.uniq_email'"
    if w == 3:
        return (T('MongoServerError: E11000 duplicate key error collection: app.users index: phone_1 dup key: { phone: "') +
                S(gen_phone(), 'phone') + '" }')
    if w == 4:
        return (ts + ' STATEMENT:  INSERT INTO users (email, password_hash, phone, created_at) VALUES (\'' + S(gen_email(), 'email') + "', '" +
                S(bcrypt_hash(), 'password_hash') + "', '" + S(gen_phone(), 'phone') + "', now()) RETURNING id")
    if w == 5:
        return (T('com.example.auth.AuthenticationException: Invalid credentials for user=') + S(gen_email(), 'email') + ' password=' +
                S(gen_password().replace(' ', '_'), 'password') + ' at com.example.auth.LoginService.login(LoginService.java:%d) at '
                'com.example.api.Handler.handleRequest(Handler.java:%d) at java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)' % (R.randint(20, 200), R.randint(20, 200)))
    if w == 6:
        n, v = vendor_header()
        cfg = {'url': K('https://api.%s/v1/%s' % (ch(CORP), ch(['charges', 'send', 'search']))), 'method': 'post', 'headers': {'Accept': 'application/json', n: v},
               'timeout': 10000}
        return T('AxiosError: Request failed with status code %d at settle (/var/task/node_modules/axios/dist/node/axios.cjs:1966:12) { code: \'ERR_BAD_REQUEST\', config: ' % ch([401, 403, 429])) + ni(cfg, 1, 4) + ' }'
    if w == 7:
        k, t = vendor_kv()
        cfg = GoStruct([('DSN', conn_string(c)), ('Region', c['region']), ('APIKey', t), ('Debug', False)])
        return T('panic: dial tcp %s:5432: connect: connection refused goroutine 1 [running]: main.mustConnect(...) /app/main.go:%d config=' % (k_priv_ip(), R.randint(20, 300))) + gv(cfg)
    if w == 8:
        em, pw = S(gen_email(), 'email'), S(gen_password(), 'password')
        return ch([lambda: F('Temporary password for \u00a7 is \u00a7 (expires in 24h)', em, pw),
                   lambda: F('User \u00a7 reset their password; new password is \u00a7', em, pw),
                   lambda: F('Neues Passwort für \u00a7 lautet: \u00a7', em, pw),
                   lambda: F('La contraseña de \u00a7 es \u00a7', em, pw),
                   lambda: F('Le mot de passe de \u00a7 est « \u00a7 »', em, pw),
                   lambda: F('ユーザー \u00a7 のパスワードは \u00a7 です', em, pw),
                   lambda: F('A senha do usuário \u00a7 é \u00a7', em, pw),
                   lambda: F('support ticket #%d: customer \u00a7 says the password is \u00a7 and it does not work' % R.randint(1000, 99999), em, pw)])()
    if w == 9:
        parts = [T('Environment: AWS_REGION=%s AWS_EXECUTION_ENV=AWS_Lambda_nodejs20.x' % c['region'])]
        temp = chance(.6)
        parts.append(T('AWS_ACCESS_KEY_ID=') + S(gen_akid(temp), 'aws_access_key_id'))
        parts.append(T('AWS_SECRET_ACCESS_KEY=') + S(gen_aws_secret(), 'aws_secret_access_key'))
        if temp:
            parts.append(T('AWS_SESSION_TOKEN=') + S(gen_session_token(), 'aws_session_token'))
        for _ in range(R.randint(1, 3)):
            parts.append(vendor_env())
        parts.append(T('_HANDLER=index.handler'))
        parts.append(T('_X_AMZN_TRACE_ID=') + K('Root=%s;Parent=%s;Sampled=0' % (c['xray'], hx(16))))
        return J(' ', parts)
    if w == 10:
        x = R.randint(0, 3)
        if x == 0:
            v = [vv for vv in VENDORS if vv['name'] == 'npm'][0]
            _, t = vtok(v)
            return T('npm ERR! code E401 npm ERR! Unable to authenticate, your authentication token seems to be invalid. .npmrc: //registry.npmjs.org/:_authToken=') + t
        if x == 1:
            em = S(gen_email(), 'email')
            _, t = vtok([vv for vv in VENDORS if vv['name'] == 'heroku'][0])
            return T('Read ~/.netrc: machine api.heroku.com login ') + em + ' password ' + t + ' machine git.heroku.com login ' + em + ' password ' + t
        if x == 2:
            return (T('docker: Error response from daemon: unauthorized. ~/.docker/config.json: {"auths":{"https://index.docker.io/v1/":{"auth":"') +
                    S(b64e('%s:%s' % (ch(['acmebot', 'ci-user']), 'dckr_pat_' + rs(27, ALNUM + '-_'))), 'basic_auth') + '"}}}')
        return T('pip: Looking in indexes: https://') + T('__token__:') + S('pypi-AgEIcHlwaS5vcmc' + rs(140, ALNUM + '-_'), 'vendor:pypi') + '@upload.pypi.org/legacy/'
    if w == 11:
        h, lines, f = gen_pem('RSA PRIVATE KEY', short=True)
        data = b64e('\n'.join([h] + lines + [f]) + '\n')
        return (T('kubectl: error: loading config: users[0].user: client-certificate-data: ') + K(b64e('-----BEGIN CERTIFICATE-----\nMIIC' + rs(40, B64C))) +
                ' client-key-data: ' + S(data, 'base64_secret'))
    if w == 12:
        x = R.randint(0, 2)
        if x == 0:
            return T('* Connected to %s (%s) port 443 > GET /v1/me HTTP/2 > Host: %s > Authorization: Basic ' % (c['host'], c['ip'], c['host'])) + basic_cred() + ' > user-agent: curl/8.5.0 < HTTP/2 401'
        if x == 1:
            return T("+ curl -sS -H 'Authorization: Bearer ") + S(gen_jwt(c), 'jwt') + "' https://%s/%s/v1/orders" % (c['host'], c['stage'].strip('$'))
        pw = S(gen_password().replace("'", ''), 'password')
        return T("+ curl -u 'admin:") + pw + "' https://jenkins.%s/job/deploy/build" % ch(CORP)
    if w == 13:
        h, lines, f = gen_openssh()
        return T('Loaded deploy key from SSM: ') + pem_T(h, lines, f, nl='\\n', kind='ssh_private_key', skip_const_first=True)
    if w == 14:
        h, lines, f = gen_pem(short=chance(.5))
        return T("ValueError: Could not deserialize key data. The data may be in an incorrect format. key='") + pem_T(h, lines, f, nl='\\n') + "'"
    if w == 15:
        return (T('GraphQLError: Variable "$input" got invalid value { email: "') + S(gen_email(), 'email') + '", password: "' +
                S(gen_password(), 'password') + '" }; Field "acceptTerms" of required type "Boolean!" was not provided.')
    if w == 16:
        return (T('Started POST "/users/sign_in" for ') + K(c['ip']) + ' at %s Processing by Devise::SessionsController#create as HTML Parameters: ' % c['t'].strftime('%Y-%m-%d %H:%M:%S +0000') +
                rb_inspect({'authenticity_token': S(b64e(rb(48)), 'csrf_token'), 'user': {'email': S(gen_email(), 'email'), 'password': K('[FILTERED]'), 'remember_me': '0'}, 'commit': 'Log in'}))
    if w == 17:
        return (T('Delivered message <') + K('%s@%s' % (hx(24), ch(['email.amazonses.com', 'mail.' + ch(CORP)]))) + '> to ' + S(gen_email(), 'email') +
                ' (250 2.0.0 OK %s) relay=%s' % (rs(10), ch(['email-smtp.%s.amazonaws.com' % c['region'], 'smtp.sendgrid.net'])))
    if w == 18:
        return (T('Sending SMS to ') + S(gen_phone(), 'phone') + ' with OTP ' + S(dg(6), 'otp_code') + ' via SNS messageId=' + K(ruuid()))
    if w == 19:
        return T('POST ') + webhook_url() + ' failed: %s' % ch(['404 no_service', '403 invalid_token', '429 rate_limited', 'timeout after 10s'])
    if w == 20:
        em = S(gen_email(), 'email')
        return (T('<html><body><h1>Password reset</h1><p>No account found for ') + em.map(ch([html_ent, html_hex])) +
                '</p><form><input type="hidden" name="email" value="' + em.map(html_ent) + '"><input type="password" value="' +
                S(gen_password(), 'password').map(html_ent) + '"></form></body></html>')
    if w == 21:
        return J(' ', [T('AUDIT'), T('ts=') + ts, T('actor=svc-admin'), T('action=UpdateCustomer'), T('target=') + logfmt_val(S(gen_email(), 'email')),
                       T('phone=') + logfmt_val(S(gen_phone(), 'phone')), T('dob=') + logfmt_val(S(gen_dob(), 'date_of_birth')),
                       T('address=') + logfmt_val(S(gen_address(), 'street_address')), T('request_id=') + K(c['reqid'])])
    if w == 22:
        return T("pydantic_core._pydantic_core.ValidationError: 1 validation error for Applicant ssn String should match pattern '^\\d{3}-\\d{2}-\\d{4}$' [type=string_pattern_mismatch, input_value='") + S(gen_ssn(ch(['', ' '])), 'ssn') + "', input_type=str]"
    if w == 23:
        return T('ERROR:  value too long for type character varying(22) CONTEXT:  COPY payouts, line %d, column iban: "' % R.randint(1, 9000)) + S(gen_iban(True), 'iban') + '"'
    if w == 24:
        return T('fatal: unable to access \'https://x-access-token:') + S('ghs_' + rs(36), 'vendor:github') + "@github.com/%s/%s.git/': The requested URL returned error: 403" % (ch(['acme', 'globex']), ch(SERVICES))
    if w == 25:
        return jd({'evt': 'signup', 'email': S(gen_email(), 'email'), 'password': S(gen_password(), 'password'), 'ts': K(iso_ms(c['t']))}, j_esc(True, 'hexat'))
    if w == 26:
        return (T('Payment declined for card ') + S(gen_card(ch([' ', '-'])), 'card_number') + ' (exp %02d/%02d) customer=' % (R.randint(1, 12), R.randint(26, 31)) +
                S(gen_email(), 'email') + ' decline_code=insufficient_funds charge=' + K('ch_' + rs(24)))
    if w == 27:
        return (T('SEPA mandate created: IBAN ') + S(gen_iban(), 'iban') + ' holder_email=' + S(gen_email(), 'email') + ' NINO ' + S(gen_nino(), 'uk_nino') +
                ' passport ' + S(gen_passport(), 'passport_number') + ' ref=' + K('MNDT-%s' % rs(10, UPPER + DIG)))
    if w == 28:
        ak = S(gen_akid(False), 'aws_access_key_id')
        return (T('botocore.exceptions.ClientError: An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match the signature you provided. '
                  'Check your AWS Secret Access Key and signing method. credentials: aws_access_key_id=') + ak + ' aws_secret_access_key=' + S(gen_aws_secret(), 'aws_secret_access_key'))
    if w == 29:
        return T('Connecting to ') + conn_string(c) + ' (attempt %d/5) failed: %s' % (R.randint(1, 5), ch(['timeout', 'SSL SYSCALL error: EOF detected', 'FATAL: too many connections']))
    if w == 30 and chance(.4):
        return (T('jose.exceptions.JWEError: Unable to decrypt token ') + S(gen_jwe(small=True), 'jwe') + ' with key id ' + K(ruuid()))
    if w == 30:
        return (T('Exception in thread "main" java.lang.IllegalStateException: Invalid token: ') + S(gen_jwt_none(c, gen_email()), 'jwt_unsigned') +
                '. (alg=none rejected) at io.jsonwebtoken.impl.DefaultJwtParser.parse(DefaultJwtParser.java:%d)' % R.randint(200, 600))
    # 31: dotenv / config dumps with several vendors, SAML / digest debugging, or cookie dump
    if chance(.12):
        return T('saml2: signature validation failed for assertion; raw SAMLResponse=') + S(gen_saml(c, gen_email()), 'saml_response') + ' RelayState=' + K('/home')
    if chance(.12):
        return T('> GET /v1/reports HTTP/1.1 > Host: %s > Authorization: ' % c['host']) + digest_header(ch(['exporter', 'svc-reports'])) + ' < HTTP/1.1 401 Unauthorized'
    if chance(.75):
        parts = [vendor_env() for _ in range(R.randint(2, 5))]
        if chance(.4):
            parts.append(T('DATABASE_URL=') + conn_string(c))
        return T(ch(['Loaded .env: ', 'Effective configuration: ', 'printenv | ', 'Task definition environment: '])) + J(ch([' ', '; ', ', ']), parts)
    n, v, _ = session_cookie(c)
    return T('WARN session decode failed for cookie ') + K(n) + '=' + v + ' (' + ch(['JWEDecryptionFailed', 'bad signature', 'expired']) + ')'


def text_clean(c):
    w = R.randint(0, 11)
    ts = K(iso_ms(c['t']))
    if w == 0:
        return (ts + ' INFO Deployed commit ' + K(hx(40)) + ' version ' + K('v' + k_semver()) + ' to pod ' + K(k_pod()) + ' (container ' + K(hx(64)) + ', image sha256:' + K(hx(64)) + ')')
    if w == 1:
        return T('Order ') + K(k_order_nonluhn()) + ' shipped; items: ISBN ' + K(k_isbn13()) + ', ISBN ' + K(k_isbn13()) + '; tracking ' + K('1Z' + rs(16, UPPER + DIG))
    if w == 2:
        return T('cache miss key=') + K(k_s3key()) + ' etag=' + K(k_etag()) + ' md5=' + K(hx(32)) + ' latency_ms=%d' % R.randint(1, 300)
    if w == 3:
        return T('StripeAuthenticationError: Invalid API Key provided: ') + K('sk_live_' + '*' * 20 + rs(4)) + ' (request ' + K('req_' + rs(14)) + ')'
    if w == 4:
        return T('sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server failed (Background on this error at: https://sqlalche.me/e/20/e3q8) url=') + K('postgresql://app:***@db-prod:5432/app')
    if w == 5:
        return T('CreateInvalidation succeeded: DistributionId=') + K(k_cf_dist()) + ' InvalidationId=' + K('I' + rs(13, UPPER + DIG)) + ' paths=/assets/*'
    if w == 6:
        return T('[k8s] Pulled image "') + K('registry.%s/%s@sha256:%s' % (ch(CORP), ch(SERVICES), hx(64))) + '" in 2.31s; Started container ' + K(hx(64)[:12]) + ' in pod ' + K(k_pod())
    if w == 7:
        return T('Request ') + K(c['reqid']) + ' traceparent=' + K(k_traceparent()) + ' x-amzn-trace-id=' + K('Root=' + c['xray']) + ' completed in %d ms status=200' % R.randint(1, 900)
    if w == 8:
        return T('Webhook signature verified for event ') + K('evt_' + rs(24)) + ' payload sha256=' + K(hx(64)) + ' cursor=' + K(k_b64word())
    if w == 9:
        return T('JA3 ') + K(hx(32)) + ' JA4 ' + K('t13d1516h2_%s_%s' % (hx(12), hx(12))) + ' from ' + K(c['ip']) + ' classified as ' + ch(['browser', 'http_library', 'scanner'])
    if w == 10:
        return T('Rotated secret ') + K('arn:aws:secretsmanager:%s:%s:secret:prod/db-%s' % (c['region'], c['acct'], rs(6))) + ' version ' + K(ruuid()) + ' (AWSCURRENT); old value masked as ' + K('********' + rs(4))
    return T('Usage plan ') + K(rs(6, LOWER + DIG)) + ' throttled API key id ' + K(c['apikey_id']) + ' on stage ' + K('%s/%s' % (c['apiid'], c['stage'])) + ' (burst=%d rate=%d)' % (R.randint(10, 500), R.randint(10, 1000))


def text_prefix(c):
    r = R.randint(0, 4)
    if r == 0:
        return K(iso_ms(c['t'])) + ' ' + ch(['ERROR', 'WARN', 'INFO']) + ' [' + K(k_pod()) + '] '
    if r == 1:
        return K(c['t'].strftime('%b %d %H:%M:%S')) + ' ' + ch(['ip-10-0-1-17', 'web-1', 'worker-3']) + ' ' + ch(SERVICES) + '[%d]: ' % R.randint(100, 40000)
    if r == 2:
        return T('level=error ts=') + K(iso_ms(c['t'])) + ' trace_id=' + K(hx(32)) + ' msg='
    if r == 3:
        return K(iso_ms(c['t'])) + ' ' + K(c['lreqid']) + ' '
    return T('[') + K(c['t'].strftime('%Y-%m-%d %H:%M:%S,') + '%03d' % (c['t'].microsecond // 1000)) + '] ERROR in app: '


def L_text(c, q, clean):
    if clean:
        t = text_clean(c)
    elif q is not None and q.notes and chance(.2):
        t = K(iso_ms(c['t'])) + ' ' + ch(['INFO', 'DEBUG', 'WARN']) + ' [' + ch(SERVICES) + '] ' + ch(q.notes)
    else:
        t = text_dirty(c)
    if chance(.35) or not any(k is None for k, _ in t.labs):
        t = text_prefix(c) + t
    return t


# ---------------------------------------------------------------------------
# record assembly and checks
# ---------------------------------------------------------------------------
ID_RE = re.compile(r'^h3-([a-z_]+)-(\d{4})$')
LAYOUTS = [l for l, _ in LAYOUT_COUNTS]


class Violation(Exception):
    pass


def assemble(layout, idx, t):
    secrets, kinds, keeps = [], [], []
    for k, v in t.labs:
        if k is not None and v not in secrets:
            secrets.append(v)
            kinds.append(k)
    sp = spans(t.s, secrets)
    for k, v in t.labs:
        if k is None and v not in keeps:
            # a keep is only kept if none of its occurrences touches a secret
            # span and it does not contain a secret
            if any(s in v for s in secrets):
                continue
            if any(not (i + len(v) <= a or i >= b) for i in find_all(t.s, v) for a, b in sp):
                continue
            if len(v) < 3:
                continue
            keeps.append(v)
    rec = {'id': 'h3-%s-%04d' % (layout, idx), 'layout': layout, 'line': t.s, 'secrets': secrets, 'kinds': kinds, 'keep': keeps}
    return rec


def spans(line, secrets):
    out = []
    for s in secrets:
        for i in find_all(line, s):
            out.append((i, i + len(s)))
    return out


def check_record(rec, labs=None):
    if set(rec) != {'id', 'layout', 'line', 'secrets', 'kinds', 'keep'}:
        raise Violation('fields')
    m = ID_RE.match(rec['id'])
    if not m or m.group(1) != rec['layout'] or rec['layout'] not in LAYOUTS:
        raise Violation('id/layout')
    line = rec['line']
    if not isinstance(line, str) or '\n' in line or '\r' in line:
        raise Violation('newline')
    if len(line.encode('utf-8')) > MAX_LINE:
        raise Violation('line too long: %d' % len(line.encode('utf-8')))
    sec, kinds, keep = rec['secrets'], rec['kinds'], rec['keep']
    if len(sec) != len(kinds) or len(set(sec)) != len(sec) or len(set(keep)) != len(keep):
        raise Violation('lists')
    if not keep:
        raise Violation('no keep')
    for s, k in zip(sec, kinds):
        if not isinstance(s, str) or not isinstance(k, str) or not k or len(s) < 6 or s.strip() != s:
            raise Violation('bad secret %r %r' % (s, k))
        if s not in line:
            raise Violation('secret not in line: %r' % s)
    sp = spans(line, sec)
    for kv in keep:
        if not isinstance(kv, str) or len(kv) < 3:
            raise Violation('bad keep %r' % kv)
        if kv not in line:
            raise Violation('keep not in line: %r' % kv)
        for s in sec:
            if s in kv:
                raise Violation('secret inside keep: %r in %r' % (s, kv))
        for i in find_all(line, kv):
            j = i + len(kv)
            if not all(j <= a or i >= b for a, b in sp):
                raise Violation('keep overlaps a secret: %r' % kv)
    if rec['layout'] in JSON_LAYOUTS:
        try:
            o = json.loads(line)
        except ValueError as e:
            raise Violation('invalid json: %s' % e)
        if not isinstance(o, dict):
            raise Violation('json not object')
    if labs is not None:
        # every occurrence of a secret must be an intended (labelled) one, unless
        # it lies inside a longer secret's occurrence
        cnt = Counter(v for k, v in labs if k is not None)
        for s in sec:
            longer = [(i, i + len(o)) for o in sec if len(o) > len(s) and s in o for i in find_all(line, o)]
            occ = [i for i in find_all(line, s) if not any(a <= i and i + len(s) <= b for a, b in longer)]
            if len(occ) > cnt[s]:
                raise Violation('accidental extra occurrence of %r' % s)


CLEAN_P = {'json_access': .22, 'clf_access': .23, 'csv_access': .23, 'xml_access': .23, 'execution': .22, 'lambda_log': .19,
           'cwl_message': .21, 'alb': .23, 'waf': .23, 'cloudfront': .23, 'text': .23}
RENDER = {'json_access': L_json_access, 'clf_access': L_clf, 'csv_access': L_csv, 'xml_access': L_xml, 'execution': L_execution,
          'lambda_log': L_lambda, 'alb': L_alb, 'waf': L_waf, 'cloudfront': L_cloudfront}


def render(layout, clean):
    c = new_ctx()
    if layout == 'text':
        q = None if clean or chance(.8) else scenario(c)
        return L_text(c, q, clean)
    if layout == 'cwl_message':
        r = R.random()
        if clean and r < 0.2:
            return L_cwl_control(c)
        q = scenario(c, clean, BODY_POOL)
        if r > 0.88:
            return L_firehose(c, q)
        return L_cwl(c, q)
    q = scenario(c, clean, LAYOUT_POOL.get(layout, BODY_POOL))
    if not clean and not q.cookies and chance(.25):
        add_cookie_header(q, n_session=1, csrf=chance(.3))
    return RENDER[layout](c, q)


def make_record(layout, idx, stats):
    clean = chance(CLEAN_P[layout])
    last = None
    for attempt in range(60):
        PENDING.clear()
        try:
            t = render(layout, clean)
            rec = assemble(layout, idx, t)
            if not clean and not rec['secrets'] and attempt < 8:
                stats['resample_no_secret'] += 1
                continue
            check_record(rec, t.labs)
            for k in rec['kinds']:
                RENDERED_KINDS[k] += 1
                if k.startswith('vendor:'):
                    RENDERED[k[7:]] += 1
            return rec
        except (Retry, Violation) as e:
            stats['retry:' + type(e).__name__ + ':' + str(e).split(':')[0][:40]] += 1
            last = e
    raise SystemExit('could not build %s #%d: %s' % (layout, idx, last))


def main():
    stats = Counter()
    records = []
    for layout, n in LAYOUT_COUNTS:
        for i in range(1, n + 1):
            records.append(make_record(layout, i, stats))
    # final independent pass over everything that will be written
    for rec in records:
        try:
            check_record(rec)
        except Violation as e:
            print('VIOLATION in %s: %s' % (rec['id'], e), file=sys.stderr)
            sys.exit(1)
    ids = [r['id'] for r in records]
    if len(set(ids)) != len(ids):
        print('duplicate ids', file=sys.stderr)
        sys.exit(1)
    with open(OUT, 'w', encoding='utf-8', newline='\n') as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + '\n')
    # re-read and re-check what was written
    with open(OUT, encoding='utf-8') as fh:
        back = [json.loads(l) for l in fh]
    if back != records:
        print('round-trip mismatch', file=sys.stderr)
        sys.exit(1)
    size = os.path.getsize(OUT)
    by_layout = Counter(r['layout'] for r in records)
    by_kind = Counter(k for r in records for k in r['kinds'])
    zero = sum(1 for r in records if not r['secrets'])
    vendors = sorted({k.split(':', 1)[1] for k in by_kind if k.startswith('vendor:')})
    print('wrote %s: %d records, %d bytes' % (OUT, len(records), size))
    print('records without secrets: %d (%.1f%%)' % (zero, 100.0 * zero / len(records)))
    print('total secrets: %d, total keeps: %d, max line bytes: %d' % (sum(len(r['secrets']) for r in records), sum(len(r['keep']) for r in records),
                                                                    max(len(r['line'].encode()) for r in records)))
    print('\nper layout:')
    for l in LAYOUTS:
        print('  %-12s %5d' % (l, by_layout[l]))
    print('\nper kind:')
    for k, n in by_kind.most_common():
        print('  %-34s %5d' % (k, n))
    print('\ndistinct vendors: %d' % len(vendors))
    print('  ' + ', '.join(vendors))
    print('\ngenerator stats: ' + ', '.join('%s=%d' % kv for kv in sorted(stats.items())))


if __name__ == '__main__':
    main()
