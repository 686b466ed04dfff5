#!/usr/bin/env python3
"""Generator for the heldout8 scrubber evaluation corpus (AWS API Gateway front door).

Writes heldout8.jsonl next to this script: 1,000 single-line log records, each with the substrings a scrubber
must remove (``secrets``) and look-alike substrings it must keep (``keep``).  Python 3 standard library only,
fixed seed, byte-for-byte deterministic.  Every value is random and fake.  See README.md.

    python3 gen_heldout8.py                      # write heldout8.jsonl, print statistics
    python3 gen_heldout8.py --hash-only          # build in memory, print only the SHA-256
    python3 gen_heldout8.py --no-hashseed-check  # skip the PYTHONHASHSEED re-runs
"""
import base64
import collections
import datetime
import hashlib
import json
import os
import random
import re
import string
import subprocess
import sys
import urllib.parse

SEED = 0x4E1D08
R = random.Random(SEED)

OUT_NAME = 'heldout8.jsonl'
MAX_LINE_BYTES = 16000
N_RECORDS = 1000

# ----------------------------------------------------------------------------------------------------------------
# Labelled fragments
# ----------------------------------------------------------------------------------------------------------------
# A line is built from segments (text, tag).  tag is None (plain), 'K' (keep) or ('S', kind) (secret).  Every
# character-wise transform (JSON escaping, percent-encoding, XML entities, repr escaping) is applied to each
# segment separately, so a label is always the exact form in the final line.


class F:
    __slots__ = ('segs',)

    def __init__(self, segs=()):
        self.segs = list(segs)

    def __add__(self, other):
        return C(self, other)

    def __radd__(self, other):
        return C(other, self)

    def text(self):
        return ''.join(t for t, _ in self.segs)

    def map(self, fn):
        return F([(fn(t), g) for t, g in self.segs])

    def has_secret(self):
        return any(isinstance(g, tuple) for _, g in self.segs)

    def plain(self):
        """Same text, labels removed."""
        return F([(self.text(), None)]) if self.segs else F()

    def unkeep(self):
        """Same text, keep labels removed (secrets stay)."""
        return F([(t, None if g == 'K' else g) for t, g in self.segs])

    def __len__(self):
        return len(self.text())


def S(value, kind):
    value = str(value)
    assert value and value == value.strip(), (value, kind)
    return F([(value, ('S', kind))])


def K(value):
    return F([(str(value), 'K')])


def C(*parts):
    segs = []
    for x in parts:
        if x is None:
            continue
        src = x.segs if isinstance(x, F) else [(str(x), None)]
        for t, g in src:
            if t == '':
                continue
            if g is None and segs and segs[-1][1] is None:
                segs[-1] = (segs[-1][0] + t, None)
            else:
                segs.append((t, g))
    return F(segs)


def JN(sep, parts):
    out = []
    for i, p in enumerate(parts):
        if i:
            out.append(sep)
        out.append(p)
    return C(*out)


def tof(x):
    return x if isinstance(x, F) else C(x)


class Raw:
    """An already rendered fragment inside a structure given to a serializer."""
    __slots__ = ('f',)

    def __init__(self, f):
        self.f = tof(f)


# ----------------------------------------------------------------------------------------------------------------
# Character-wise escapers
# ----------------------------------------------------------------------------------------------------------------

def _u(o, upper=False):
    if o > 0xFFFF:
        o -= 0x10000
        hi, lo = 0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)
        return (_u(hi, upper) + _u(lo, upper))
    return ('\\u%04X' if upper else '\\u%04x') % o


def jesc(s, mode='std'):
    """JSON string escaping.  Modes: std (ensure_ascii off), ascii (Python default), go (HTML-safe),
    net (System.Text.Json default), at (escapes @ + = < > & as \\uXXXX), slash (escapes /)."""
    out = []
    for c in s:
        o = ord(c)
        if c == '"':
            out.append('\\u0022' if mode == 'net' else '\\"')
        elif c == '\\':
            out.append('\\\\')
        elif c == '\n':
            out.append('\\n')
        elif c == '\r':
            out.append('\\r')
        elif c == '\t':
            out.append('\\t')
        elif o < 0x20:
            out.append(_u(o))
        elif mode == 'go' and c in '<>&':
            out.append(_u(o))
        elif mode == 'go' and o in (0x2028, 0x2029):
            out.append(_u(o))
        elif mode == 'net' and (c in "+<>&'`" or o > 0x7E):
            out.append(_u(o, upper=True))
        elif mode == 'ascii' and o > 0x7E:
            out.append(_u(o))
        elif mode == 'at' and (c in '@+=<>&' or o > 0x7E):
            out.append(_u(o))
        elif mode == 'slash' and c == '/':
            out.append('\\/')
        else:
            out.append(c)
    return ''.join(out)


def pct(s, safe=''):
    return urllib.parse.quote(s, safe=safe)


def pct_form(s):
    return urllib.parse.quote_plus(s, safe='')


def xesc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;').replace("'", '&apos;')


def csv_esc(s):
    return s.replace('"', '""')


def bytes_repr_esc(s):
    """Escaping used by Python's repr() of bytes (single-quoted) applied to the UTF-8 form of s."""
    out = []
    for b in s.encode('utf-8'):
        c = chr(b)
        if c == '\\':
            out.append('\\\\')
        elif c == "'":
            out.append("\\'")
        elif c == '\n':
            out.append('\\n')
        elif c == '\r':
            out.append('\\r')
        elif c == '\t':
            out.append('\\t')
        elif b < 0x20 or b >= 0x7F:
            out.append('\\x%02x' % b)
        else:
            out.append(c)
    return ''.join(out)


# ----------------------------------------------------------------------------------------------------------------
# Serializers that accept fragments
# ----------------------------------------------------------------------------------------------------------------

def jstr(x, mode='std'):
    return C('"', tof(x).map(lambda t: jesc(t, mode)), '"')


def jd(o, mode='std', sp=False):
    """JSON of nested dict/list/str/F/int/float/bool/None/Raw; sp=True gives Python's ', ' and ': '."""
    isep, ksep = (', ', ': ') if sp else (',', ':')
    if isinstance(o, Raw):
        return o.f
    if isinstance(o, (str, F)):
        return jstr(o, mode)
    if o is None:
        return C('null')
    if o is True:
        return C('true')
    if o is False:
        return C('false')
    if isinstance(o, (int, float)):
        return C(repr(o))
    if isinstance(o, dict):
        return C('{', JN(isep, [C(jstr(k, mode), ksep, jd(v, mode, sp)) for k, v in o.items()]), '}')
    if isinstance(o, (list, tuple)):
        return C('[', JN(isep, [jd(v, mode, sp) for v in o]), ']')
    raise TypeError(type(o))


def pyq(x):
    """Python repr() of a str fragment."""
    f = tof(x)
    t = f.text()
    q = '"' if ("'" in t and '"' not in t) else "'"

    def esc(s):
        s = s.replace('\\', '\\\\').replace('\n', '\\n').replace('\r', '\\r').replace('\t', '\\t')
        return s.replace(q, '\\' + q)
    return C(q, f.map(esc), q)


def pr(o):
    """Python repr() of nested structures."""
    if isinstance(o, Raw):
        return o.f
    if isinstance(o, (str, F)):
        return pyq(o)
    if o is None:
        return C('None')
    if o is True:
        return C('True')
    if o is False:
        return C('False')
    if isinstance(o, (int, float)):
        return C(repr(o))
    if isinstance(o, dict):
        return C('{', JN(', ', [C(pyq(k), ': ', pr(v)) for k, v in o.items()]), '}')
    if isinstance(o, (list, tuple)):
        return C('[', JN(', ', [pr(v) for v in o]), ']')
    raise TypeError(type(o))


def jmap(pairs):
    """java.util.Map.toString(): {a=b, c=d} (as in API Gateway execution logs)."""
    return C('{', JN(', ', [C(k, '=', v) for k, v in pairs]), '}')


def b64f(f, kind='base64_secret', label=True, urlsafe=False):
    """Base64 of a fragment's text: labelled whole as `kind` if it hides a secret and label is set, a keep if the
    content is harmless, and unlabelled otherwise."""
    f = tof(f)
    raw = f.text().encode('utf-8')
    enc = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode('ascii')
    if f.has_secret():
        return S(enc, kind) if label else C(enc)
    return K(enc)


def truncate(f, max_bytes, suffix=' [TRUNCATED]', min_visible=12):
    """Cut a fragment at max_bytes of UTF-8.  A secret cut by the limit keeps its visible prefix as a label when
    that prefix has at least min_visible characters; otherwise the cut moves to just before it."""
    out, used = [], 0
    for t, g in f.segs:
        b = len(t.encode('utf-8'))
        if used + b <= max_bytes:
            out.append((t, g))
            used += b
            continue
        room = max_bytes - used
        vis = ''
        for ch in t:
            cb = len(ch.encode('utf-8'))
            if cb > room:
                break
            vis += ch
            room -= cb
        if isinstance(g, tuple):
            vis = vis.rstrip()
            if len(vis) >= min_visible and not (g[1] == 'jwt' and '.' not in vis):
                out.append((vis, g))
        elif vis:
            out.append((vis, None))
        return C(F(out), suffix), True
    return f, False


def ellipsis_cut(value, kind, n, is_jwt=False):
    """A value shortened by an application to n characters plus '…'.  The visible part is labelled only when it
    is itself secret-bearing and at least 12 characters long."""
    vis = value[:n]
    if is_jwt and '.' not in vis:
        return C(vis, '…')            # only the public JOSE header is visible
    if len(vis) >= 12:
        return C(S(vis, kind), '…')
    return C(vis, '…')


# ----------------------------------------------------------------------------------------------------------------
# Random primitives
# ----------------------------------------------------------------------------------------------------------------
DIG = string.digits
HEX = '0123456789abcdef'
UHEX = '0123456789ABCDEF'
LOW = string.ascii_lowercase
UP = string.ascii_uppercase
ALNUM = UP + LOW + DIG
LALNUM = LOW + DIG
UALNUM = UP + DIG
B64 = ALNUM + '+/'
B64U = ALNUM + '-_'
B32 = UP + '234567'


def rs(n, cs=ALNUM):
    return ''.join(R.choice(cs) for _ in range(n))


def ch(seq):
    return R.choice(seq)


def wch(pairs):
    """Weighted choice over [(value, weight), ...]."""
    total = sum(w for _, w in pairs)
    x = R.random() * total
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def chance(p):
    return R.random() < p


def uuid4():
    h = rs(32, HEX)
    h = h[:12] + '4' + h[13:16] + ch('89ab') + h[17:]
    return '%s-%s-%s-%s-%s' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def b64_of_bytes(n):
    return base64.b64encode(bytes(R.randrange(256) for _ in range(n))).decode()


def b64url_nopad(s):
    return base64.urlsafe_b64encode(s.encode('utf-8')).decode().rstrip('=')


# ----------------------------------------------------------------------------------------------------------------
# Time
# ----------------------------------------------------------------------------------------------------------------
T0 = 1740787200000          # 2025-03-01T00:00:00Z in ms
MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
DAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
UTC = datetime.timezone.utc


def rtime():
    return T0 + R.randrange(120 * 86400 * 1000)


def dt(ms):
    return datetime.datetime.fromtimestamp(ms / 1000.0, tz=UTC)


def t_iso(ms, digits=3):
    d = dt(ms)
    frac = '%03d' % (ms % 1000)
    if digits == 6:
        frac += '%03d' % R.randrange(1000)
    return d.strftime('%Y-%m-%dT%H:%M:%S') + ('.' + frac if digits else '') + 'Z'


def t_clf(ms):
    d = dt(ms)
    return '%02d/%s/%04d:%02d:%02d:%02d +0000' % (d.day, MON[d.month - 1], d.year, d.hour, d.minute, d.second)


def t_rfc1123(ms):
    d = dt(ms)
    return '%s, %02d %s %04d %02d:%02d:%02d GMT' % (DAY[d.weekday()], d.day, MON[d.month - 1], d.year,
                                                   d.hour, d.minute, d.second)


def t_amz(ms):
    return dt(ms).strftime('%Y%m%dT%H%M%SZ')


def t_amzdate(ms):
    return dt(ms).strftime('%Y%m%d')


def t_py(ms):
    return dt(ms).strftime('%Y-%m-%d %H:%M:%S') + ',%03d' % (ms % 1000)


def t_offset(ms):
    return dt(ms).strftime('%Y-%m-%dT%H:%M:%S') + '.%03d%03d+00:00' % (ms % 1000, R.randrange(1000))


def t_java(ms):
    d = dt(ms)
    return '%s %s %02d %02d:%02d:%02d UTC %d' % (DAY[d.weekday()], MON[d.month - 1], d.day, d.hour, d.minute, d.second, d.year)


def t_any(ms):
    return ch([t_iso, t_clf, t_rfc1123, t_py, t_offset])(ms)


# ----------------------------------------------------------------------------------------------------------------
# Keep-side identifiers (look-alikes that must survive)
# ----------------------------------------------------------------------------------------------------------------
REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'eu-west-2', 'ap-northeast-1',
           'ap-south-1', 'sa-east-1', 'ap-southeast-2', 'ca-central-1', 'eu-north-1']
STAGES = ['prod', 'production', 'v1', 'v2', 'staging', 'dev', 'live', 'beta', 'qa', 'sandbox']


def api_id():
    return rs(10, LALNUM)


def account_id():
    return ch('123456789') + rs(11, DIG)


def ext_id():
    return rs(15, ALNUM + '/') + '='


def http_reqid():
    return rs(15, ALNUM) + '='


def trace_root(ms):
    return '1-%08x-%s' % (ms // 1000, rs(24, HEX))


def trace_hdr(ms):
    return 'Root=%s;Parent=%s;Sampled=%d' % (trace_root(ms), rs(16, HEX), R.randrange(2))


def cw_event_id():
    return ch('34') + rs(55, DIG)


def kinesis_seq():
    return '49' + rs(54, DIG)


def usage_plan_id():
    return rs(6, LALNUM)


def api_key_id():
    return rs(10, LALNUM)


def user_pool_id(region):
    return '%s_%s' % (region, rs(9, ALNUM))


def app_client_id():
    return rs(26, LALNUM)


def kms_key_id():
    return ('mrk-' + rs(32, HEX)) if chance(0.3) else uuid4()


def sha256hex():
    return rs(64, HEX)


def etag():
    return rs(32, HEX) + (('-%d' % R.randrange(2, 40)) if chance(0.25) else '')


def commit_sha():
    return rs(40, HEX)


def build_id():
    return ch(['build-%s-%04d' % (t_amzdate(rtime()), R.randrange(10000)),
               'orders-ci:%s' % uuid4(), '%d' % R.randrange(1000, 99999),
               'b%s' % rs(7, HEX), 'bld_%s' % rs(12, LALNUM)])


def version():
    return ch(['%d.%d.%d' % (R.randrange(1, 9), R.randrange(30), R.randrange(40)),
               'v%d.%d.%d' % (R.randrange(1, 5), R.randrange(20), R.randrange(30)),
               '%d.%d.%d-rc.%d' % (R.randrange(1, 5), R.randrange(20), R.randrange(30), R.randrange(1, 5)),
               '%d.%d.%d+%s' % (R.randrange(1, 5), R.randrange(20), R.randrange(30), rs(7, HEX))])


def s3_key():
    return ch(['uploads/%s/%s.pdf' % (t_amzdate(rtime()), sha256hex()),
               'assets/app.%s.js' % rs(8, HEX),
               'exports/%s/part-%05d-%s.snappy.parquet' % (dt(rtime()).strftime('dt=%Y-%m-%d'), R.randrange(200), uuid4()),
               'artifacts/%s/lambda.zip' % commit_sha(),
               'media/%s/%s.jpg' % (rs(2, HEX), rs(40, HEX))])


def booking_ref():
    return rs(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')


def swift_bic():
    return rs(4, UP) + ch(['DE', 'GB', 'FR', 'ES', 'NL', 'IT', 'BR', 'JP', 'IN', 'AU', 'US', 'CH']) + rs(2, UALNUM) + \
        (rs(3, UALNUM) if chance(0.4) else '')


def amount():
    return ch(['%d.%02d' % (R.randrange(1, 5000), R.randrange(100)), '%d' % R.randrange(100, 900000)])


def currency():
    return ch(['EUR', 'USD', 'GBP', 'JPY', 'INR', 'BRL', 'AUD', 'CHF'])


def order_no():
    return ch(['ORD-%d-%06d' % (R.randrange(2024, 2026), R.randrange(10 ** 6)), uuid4(),
               '%d' % R.randrange(10 ** 9, 10 ** 10)])


def tracking_no():
    return ch(['1Z%s' % rs(16, UALNUM), '9400%s' % rs(18, DIG), 'JJD%s' % rs(18, DIG)])


def employee_id():
    return ch(['E-%06d' % R.randrange(10 ** 6), 'EMP%05d' % R.randrange(10 ** 5), 'W%07d' % R.randrange(10 ** 7)])


def claim_id():
    return 'CLM-%d-%07d' % (R.randrange(2024, 2026), R.randrange(10 ** 7))


def npi():
    # National Provider Identifier: public provider id, Luhn over 80840 + 9 digits.
    base = '1' + rs(8, DIG)
    d = luhn_digit('80840' + base)
    return base + d


def routing_number():
    while True:
        d = [R.randrange(10) for _ in range(8)]
        d[0] = R.choice([0, 1, 2, 3])
        s = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5])
        c = (10 - s % 10) % 10
        return ''.join(map(str, d)) + str(c)


def luhn_digit(num):
    total = 0
    for i, c in enumerate(reversed(num)):
        n = int(c)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def ip4():
    return wch([('192.0.2.%d' % R.randrange(1, 255), 3), ('198.51.100.%d' % R.randrange(1, 255), 3),
                ('203.0.113.%d' % R.randrange(1, 255), 3),
                ('10.%d.%d.%d' % (R.randrange(256), R.randrange(256), R.randrange(1, 255)), 2)])


def ip_public():
    return ch(['192.0.2.%d', '198.51.100.%d', '203.0.113.%d']) % R.randrange(1, 255)


def ip6():
    return '2001:db8:%x:%x::%x' % (R.randrange(1, 0xffff), R.randrange(0xffff), R.randrange(1, 0xffff))


def client_ip():
    return ip6() if chance(0.12) else ip_public()


UAS = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    'Mozilla/5.0 (X11; Linux x86_64; rv:135.0) Gecko/20100101 Firefox/135.0',
    'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.6943.49 Mobile Safari/537.36',
    'okhttp/4.12.0', 'python-requests/2.32.3', 'curl/8.5.0', 'PostmanRuntime/7.43.0', 'axios/1.7.9',
    'aws-sdk-js/3.758.0 ua/2.1 os/linux#5.10 lang/js md/nodejs#20.18.2 api/api-gateway#3.758.0',
    'Boto3/1.36.26 md/Botocore#1.36.26 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.12.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.36.26',
    'Go-http-client/2.0', 'Apache-HttpClient/5.4.1 (Java/21.0.6)', 'Dart/3.6 (dart:io)', 'ExampleShop/5.12.0 (iOS 18.3; iPhone15,2)',
    'ExampleHealth-Android/3.4.1 (build 3401; Android 14)', 'Amazon CloudFront', 'ELB-HealthChecker/2.0',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
    'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'Slackbot 1.0 (+https://api.slack.com/robots)',
]


def ua():
    return ch(UAS)


COMPANY_HOSTS = ['api.example.com', 'api.shop.example.com', 'partners.example.org', 'health-api.example.net',
                 'pay.example.com', 'booking.example.org', 'hr.example.net', 'api.example.co.uk', 'api.example.de',
                 'gw.example.jp', 'api.example.com.br', 'api.example.in', 'api.example.com.au']


def company_host():
    return ch(COMPANY_HOSTS)


def execute_api_host(api, region):
    return '%s.execute-api.%s.amazonaws.com' % (api, region)


# ----------------------------------------------------------------------------------------------------------------
# Personal data (random, fake by construction where a fictional range exists)
# ----------------------------------------------------------------------------------------------------------------
FIRST = ['jane', 'john', 'maria', 'liwei', 'akira', 'priya', 'joao', 'lucia', 'hans', 'amelie', 'noah', 'sofia',
         'raj', 'yuki', 'carlos', 'emma', 'oliver', 'ana', 'fatima', 'kenji', 'ines', 'lukas', 'chloe', 'arjun',
         'beatriz', 'tomas', 'hana', 'sven', 'aisha', 'pedro', 'mei', 'felix', 'ravi', 'clara', 'diego', 'nora']
LAST = ['doe', 'smith', 'silva', 'tanaka', 'sharma', 'mueller', 'martin', 'garcia', 'rossi', 'nguyen', 'kowalski',
        'santos', 'suzuki', 'patel', 'schmidt', 'dubois', 'lopez', 'costa', 'yamamoto', 'iyer', 'weber', 'moreau']
UNI_LOCAL = ['josé.garcía', 'müller.anna', 'françois.bérard', 'joão.conceição', 'søren.ålund', 'zoë.brontë']
EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'example.co.uk', 'example.de',
                 'example.fr', 'example.es', 'example.com.br', 'example.jp', 'example.in', 'example.com.au',
                 'corp.example.com', 'patients.example.org']


def email():
    if chance(0.06):
        local = ch(UNI_LOCAL) + (str(R.randrange(10, 99)) if chance(0.5) else '')
    else:
        f, l = ch(FIRST), ch(LAST)
        local = ch(['%s.%s' % (f, l), '%s%s' % (f[0], l), '%s_%s%d' % (f, l, R.randrange(10, 99)),
                    '%s.%s+%s' % (f, l, ch(['orders', 'travel', 'hr', 'billing', 'test'])), '%s%d' % (f, R.randrange(100, 9999)),
                    '%s-%s' % (l, f)])
    return local + '@' + ch(EMAIL_DOMAINS)


def phone(country=None):
    """Phone numbers in fictional ranges: NANP 555-01xx, UK 07700 900xxx, AU 0491 570 1xx; for other countries
    the subscriber digits carry a 5550 1xx block."""
    country = country or ch(['US', 'UK', 'DE', 'FR', 'ES', 'JP', 'IN', 'BR', 'AU'])
    x = R.randrange(100)
    if country == 'US':
        area = ch(['202', '212', '312', '415', '512', '617', '206', '303'])
        return ch(['(%s) 555-01%02d', '+1-%s-555-01%02d', '+1%s55501%02d', '%s.555.01%02d', '+1 %s 555 01%02d']) % (area, x)
    if country == 'UK':
        n = R.randrange(1000)
        return ch(['+44 7700 900%03d', '07700 900%03d', '+447700900%03d', '+44 (0)7700 900%03d']) % n
    if country == 'DE':
        return ch(['+49 30 5550 1%02d', '+49 (0)30 55501%02d', '030 5550 1%02d', '+49 151 55501%02d']) % x
    if country == 'FR':
        return ch(['+33 6 55 50 01 %02d', '06 55 50 01 %02d', '+33 6 5550 01%02d']) % x
    if country == 'ES':
        return ch(['+34 655 501 1%02d', '655 50 11 %02d']) % x
    if country == 'JP':
        return ch(['+81 90-5550-01%02d', '090-5550-01%02d', '+81 3-5550-01%02d', '+8190555001%02d']) % x
    if country == 'IN':
        return ch(['+91 95550 01%03d', '+91-95550-01%03d', '095550 01%03d', '+919555001%03d']) % R.randrange(1000)
    if country == 'BR':
        return ch(['+55 11 95550-01%02d', '+55 (21) 95550-01%02d', '(11) 95550-01%02d', '+55119555001%02d']) % x
    if country == 'AU':
        return ch(['+61 491 570 1%02d', '0491 570 1%02d', '+614915701%02d']) % x
    raise ValueError(country)


def phone_e164(country=None):
    p = phone(country)
    digits = ''.join(c for c in p if c.isdigit())
    cc = {'US': '1', 'UK': '44', 'DE': '49', 'FR': '33', 'ES': '34', 'JP': '81', 'IN': '91', 'BR': '55', 'AU': '61'}
    country = country or 'US'
    if p.startswith('+'):
        return '+' + digits
    return '+' + cc[country] + digits.lstrip('0')


MON_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre',
          'novembre', 'décembre']
MON_ES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre',
          'noviembre', 'diciembre']
MON_PT = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro',
          'novembro', 'dezembro']
MON_DE = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober',
          'November', 'Dezember']
MON_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
            'November', 'December']


def dob(lang=None):
    y, m, d = R.randrange(1941, 2007), R.randrange(1, 13), R.randrange(1, 29)
    lang = lang or 'en'
    if lang == 'de':
        return ch(['%02d.%02d.%04d' % (d, m, y), '%d. %s %d' % (d, MON_DE[m - 1], y)])
    if lang == 'fr':
        return ch(['%02d/%02d/%04d' % (d, m, y), '%d %s %d' % (d, MON_FR[m - 1], y)])
    if lang == 'es':
        return ch(['%02d/%02d/%04d' % (d, m, y), '%d de %s de %d' % (d, MON_ES[m - 1], y)])
    if lang == 'pt':
        return ch(['%02d/%02d/%04d' % (d, m, y), '%d de %s de %d' % (d, MON_PT[m - 1], y)])
    if lang == 'ja':
        return ch(['%d年%d月%d日' % (y, m, d), '%04d/%02d/%02d' % (y, m, d)])
    if lang == 'hi':
        return ch(['%02d-%02d-%04d' % (d, m, y), '%02d/%02d/%04d' % (d, m, y)])
    return ch(['%04d-%02d-%02d' % (y, m, d), '%02d/%02d/%04d' % (m, d, y), '%d-%s-%04d' % (d, MON[m - 1], y),
               '%s %d, %d' % (MON_LONG[m - 1], d, y), '%04d%02d%02d' % (y, m, d), '%02d-%s-%04d' % (d, MON[m - 1].upper(), y),
               '%04d-%02d-%02dT00:00:00Z' % (y, m, d)])


STREETS = {
    'en': ['Maple Avenue', 'Oak Street', 'Cedar Lane', 'Birch Road', 'Willow Drive', 'Elm Court', 'Harbor View Road',
           'Juniper Way', 'Aspen Boulevard', 'Sycamore Terrace'],
    'uk': ['Acacia Road', 'Orchard Close', 'Station Road', 'Mill Lane', 'Church Walk', 'Kingsway Gardens'],
    'de': ['Lindenstraße', 'Ahornweg', 'Birkenallee', 'Am Mühlbach', 'Kastanienstraße', 'Rosenplatz'],
    'fr': ['rue des Lilas', 'avenue des Tilleuls', 'boulevard des Cerisiers', 'impasse du Moulin', 'allée des Peupliers'],
    'es': ['Calle del Olmo', 'Avenida de los Pinos', 'Calle de la Acacia', 'Paseo de los Almendros'],
    'pt': ['Rua das Acácias', 'Avenida dos Ipês', 'Rua do Limoeiro', 'Travessa das Palmeiras'],
    'ja': ['桜丘町', '若葉台', '緑ヶ丘', '旭町', '本町'],
    'hi': ['गांधी मार्ग', 'नेहरू नगर', 'शिवाजी पथ', 'MG Road', 'Residency Road'],
    'au': ['Wattle Street', 'Banksia Crescent', 'Eucalyptus Drive', 'Kookaburra Lane'],
}


def address(lang='en'):
    n = R.randrange(1, 400)
    if lang == 'de':
        return '%s %d%s' % (ch(STREETS['de']), n, ch(['', '', 'a', 'b']))
    if lang == 'fr':
        return '%d%s %s' % (n, ch(['', '', ' bis']), ch(STREETS['fr']))
    if lang == 'es':
        return '%s %d%s' % (ch(STREETS['es']), n, ch(['', ', 3º B', ', 1º izq.']))
    if lang == 'pt':
        return '%s, %d%s' % (ch(STREETS['pt']), n, ch(['', ' apto 42', ' - casa 2']))
    if lang == 'ja':
        return '%s%d丁目%d-%d' % (ch(STREETS['ja']), R.randrange(1, 9), R.randrange(1, 30), R.randrange(1, 20))
    if lang == 'hi':
        return ch(['%d, %s', 'मकान नं. %d, %s']) % (n, ch(STREETS['hi']))
    if lang == 'uk':
        return '%d %s' % (n, ch(STREETS['uk']))
    if lang == 'au':
        return '%d %s' % (n, ch(STREETS['au']))
    return '%d %s' % (R.randrange(100, 9999), ch(STREETS['en'])) + \
        ch(['', '', ', Apt %d' % R.randrange(1, 40), ' Suite %d' % R.randrange(100, 900)])


CITY = {'en': ('Springfield', 'US'), 'uk': ('Leeds', 'GB'), 'de': ('Berlin', 'DE'), 'fr': ('Lyon', 'FR'),
        'es': ('Valencia', 'ES'), 'pt': ('São Paulo', 'BR'), 'ja': ('東京都渋谷区', 'JP'), 'hi': ('Bengaluru', 'IN'),
        'au': ('Brisbane', 'AU')}


def card_number(fmt=None):
    brand = ch(['visa', 'visa', 'mc', 'amex', 'disc'])
    if brand == 'visa':
        base = '4' + rs(14, DIG)
    elif brand == 'mc':
        base = '5' + ch('12345') + rs(13, DIG)
    elif brand == 'amex':
        base = ch(['34', '37']) + rs(12, DIG)
    else:
        base = '6011' + rs(11, DIG)
    num = base + luhn_digit(base)
    fmt = fmt or ch(['compact', 'space', 'dash'])
    if fmt == 'compact':
        return num
    sep = ' ' if fmt == 'space' else '-'
    if len(num) == 15:
        return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i:i + 4] for i in range(0, 16, 4))


def _iban_check(cc, bban):
    s = bban + cc + '00'
    n = ''.join(str(int(c, 36)) for c in s)
    return '%02d' % (98 - int(n) % 97)


def iban(cc=None, spaced=None):
    cc = cc or ch(['DE', 'GB', 'FR', 'ES', 'NL', 'IT', 'BR', 'PT'])
    if cc == 'DE':
        bban = rs(18, DIG)
    elif cc == 'GB':
        bban = rs(4, UP) + rs(14, DIG)
    elif cc == 'FR':
        bban = rs(23, DIG)
    elif cc == 'ES':
        bban = rs(20, DIG)
    elif cc == 'NL':
        bban = rs(4, UP) + rs(10, DIG)
    elif cc == 'IT':
        bban = ch(UP) + rs(22, DIG)
    elif cc == 'PT':
        bban = rs(21, DIG)
    else:
        bban = rs(23, DIG) + ch(UP) + ch(UALNUM)
    s = cc + _iban_check(cc, bban) + bban
    if spaced is None:
        spaced = chance(0.5)
    if spaced:
        return ' '.join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def bank_account():
    return rs(R.randrange(8, 13), DIG)


def ssn(fmt=None):
    while True:
        a = R.randrange(1, 900)
        if a != 666:
            break
    g, s = R.randrange(1, 100), R.randrange(1, 10000)
    fmt = fmt or ch(['dash', 'dash', 'space', 'compact'])
    if fmt == 'dash':
        return '%03d-%02d-%04d' % (a, g, s)
    if fmt == 'space':
        return '%03d %02d %04d' % (a, g, s)
    return '%03d%02d%04d' % (a, g, s)


def itin():
    return '9%02d-%02d-%04d' % (R.randrange(100), ch([70, 71, 72, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88]), R.randrange(10000))


def steuer_id():
    # 11 digits, ISO 7064 MOD 11,10 check digit
    d = [R.randrange(1, 10)] + [R.randrange(10) for _ in range(9)]
    p = 10
    for x in d:
        s = (x + p) % 10
        s = 10 if s == 0 else s
        p = (s * 2) % 11
    c = 11 - p
    c = 0 if c == 10 else c
    v = ''.join(map(str, d)) + str(c)
    return ch([v, '%s %s %s %s' % (v[:2], v[2:5], v[5:8], v[8:])])


def pan_india():
    return rs(3, UP) + 'P' + ch(UP) + rs(4, DIG) + ch(UP)


def nino():
    first = ch('ABCEGHJKLMNOPRSTWXYZ')
    second = ch('ABCEGHJKLMNPRSTWXYZ')
    d = rs(6, DIG)
    s = ch('ABCD')
    return ch(['%s%s%s%s' % (first, second, d, s), '%s%s %s %s %s %s' % (first, second, d[:2], d[2:4], d[4:], s)])


def nir_fr():
    sex = ch('12')
    yy, mm = '%02d' % R.randrange(100), '%02d' % R.randrange(1, 13)
    dep = '%02d' % R.randrange(1, 96)
    com, order = '%03d' % R.randrange(1, 990), '%03d' % R.randrange(1, 999)
    n = sex + yy + mm + dep + com + order
    key = '%02d' % (97 - int(n) % 97)
    return ch([n + key, '%s %s %s %s %s %s %s' % (sex, yy, mm, dep, com, order, key)])


def dni_es():
    n = R.randrange(10 ** 7, 10 ** 8)
    return '%d%s' % (n, 'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23])


def cpf():
    d = [R.randrange(10) for _ in range(9)]
    for k in (10, 11):
        s = sum(x * w for x, w in zip(d, range(k, 1, -1)))
        r = (s * 10) % 11
        d.append(0 if r == 10 else r)
    v = ''.join(map(str, d))
    return ch(['%s.%s.%s-%s' % (v[:3], v[3:6], v[6:9], v[9:]), v])


_VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
       [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
       [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
       [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
       [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
       [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
_VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def aadhaar():
    base = ch('23456789') + rs(10, DIG)
    c = 0
    for i, x in enumerate(reversed(base)):
        c = _VD[c][_VP[(i + 1) % 8][int(x)]]
    v = base + str(_VINV[c])
    return ch([v, '%s %s %s' % (v[:4], v[4:8], v[8:]), '%s-%s-%s' % (v[:4], v[4:8], v[8:])])


def my_number():
    d = [R.randrange(10) for _ in range(11)]
    s = 0
    for n in range(1, 12):
        p = d[11 - n]
        q = n + 1 if n <= 6 else n - 5
        s += p * q
    r = s % 11
    c = 0 if r <= 1 else 11 - r
    v = ''.join(map(str, d)) + str(c)
    return ch([v, '%s %s %s' % (v[:4], v[4:8], v[8:])])


def nhs_number():
    # 999 xxx xxxx is the range reserved for test data; valid modulus-11 check digit.
    while True:
        d = [9, 9, 9] + [R.randrange(10) for _ in range(6)]
        s = sum(x * w for x, w in zip(d, range(10, 1, -1)))
        c = 11 - s % 11
        if c == 11:
            c = 0
        if c != 10:
            break
    v = ''.join(map(str, d)) + str(c)
    return ch(['%s %s %s' % (v[:3], v[3:6], v[6:]), v, '%s-%s-%s' % (v[:3], v[3:6], v[6:])])


def medicare_au():
    d = [R.randrange(2, 7)] + [R.randrange(10) for _ in range(7)]
    c = sum(x * w for x, w in zip(d, [1, 3, 7, 9, 1, 3, 7, 9])) % 10
    v = ''.join(map(str, d)) + str(c) + str(R.randrange(1, 10))
    return ch([v, '%s %s %s' % (v[:4], v[4:9], v[9:])])


def mbi_us():
    A = 'ACDEFGHJKMNPQRTUVWXY'
    AN = A + DIG
    v = ch('123456789') + ch(A) + ch(AN) + ch(DIG) + ch(A) + ch(AN) + ch(DIG) + ch(A) + ch(A) + ch(DIG) + ch(DIG)
    return ch([v, '%s-%s-%s' % (v[:4], v[4:7], v[7:])])


def member_id():
    return ch(['%s%09d' % (rs(3, UP), R.randrange(10 ** 9)), 'W%09d' % R.randrange(10 ** 9),
               'M%08d-%02d' % (R.randrange(10 ** 8), R.randrange(1, 5)), '%s-%s-%s' % (rs(3, UP), rs(4, DIG), rs(4, DIG))])


def passport(country=None):
    country = country or ch(['US', 'GB', 'DE', 'IN', 'JP', 'BR', 'FR', 'ES', 'AU'])
    if country in ('US', 'GB'):
        return ch([rs(9, DIG), ch(UP) + rs(8, DIG)])
    if country == 'DE':
        return rs(9, 'CFGHJKLMNPRTVWXYZ0123456789')
    if country == 'IN':
        return ch(UP) + rs(7, DIG)
    if country == 'JP':
        return rs(2, UP) + rs(7, DIG)
    if country == 'BR':
        return rs(2, UP) + rs(6, DIG)
    if country == 'AU':
        return ch(UP) + rs(7, DIG)
    return rs(2, DIG) + rs(2, UP) + rs(5, DIG)


def frequent_flyer():
    return ch(['992%012d' % R.randrange(10 ** 12), 'LH 992 %04d %04d %03d' % (R.randrange(10 ** 4), R.randrange(10 ** 4), R.randrange(1000)),
               'BA%08d' % R.randrange(10 ** 8), '%s%06d' % (rs(2, UP), R.randrange(10 ** 6)),
               'AF %010d' % R.randrange(10 ** 10), 'NH%010d' % R.randrange(10 ** 10)])


def otp():
    return '%06d' % R.randrange(10 ** 6)


PW_WORDS = ['Sommer', 'Kaffee', 'soleil', 'cerise', 'naranja', 'estrela', 'sakura', 'tokyo', 'monsoon', 'falcon',
            'Äpfel', 'Größe', 'mañana', 'coração', 'さくら', 'パスワード', 'नमस्ते', 'été', 'Frühling', 'tigre']


def password():
    k = R.random()
    if k < 0.45:
        return rs(R.randrange(10, 20), ALNUM + '!#$%&*+-.:;<=>?@^_~')
    if k < 0.75:
        return '%s%s%d%s' % (ch(PW_WORDS), ch(['-', '_', '.', '!', '']), R.randrange(10, 9999), ch(['!', '#', '$', '?', '*', '']))
    if k < 0.9:
        return rs(R.randrange(12, 24), ALNUM)
    return '%s %s %s %d' % (ch(PW_WORDS), ch(PW_WORDS), ch(PW_WORDS), R.randrange(10, 99))


def url_password():
    """A password as stored in a URL (userinfo): percent-encodes reserved characters."""
    p = rs(R.randrange(12, 24), ALNUM + '-._~!$*')
    if chance(0.3):
        p = p[:5] + ch(['%40', '%23', '%2F', '%3A', '%25']) + p[5:]
    return p


# ----------------------------------------------------------------------------------------------------------------
# Credentials
# ----------------------------------------------------------------------------------------------------------------

def jwt(claims=None, alg='RS256', typ=False):
    hdr = {'kid': b64_of_bytes(32), 'alg': alg} if not typ else {'alg': alg, 'typ': 'JWT', 'kid': rs(20, B64U)}
    if claims is None:
        now = rtime() // 1000
        claims = {'sub': uuid4(), 'iss': 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_' + rs(9, ALNUM),
                  'client_id': app_client_id(), 'origin_jti': uuid4(), 'event_id': uuid4(), 'token_use': 'access',
                  'scope': ch(['aws.cognito.signin.user.admin', 'orders/read orders/write', 'openid email profile']),
                  'auth_time': now, 'exp': now + 3600, 'iat': now, 'jti': uuid4(), 'username': uuid4()}
    siglen = {'RS256': 342, 'ES256': 86, 'HS256': 43, 'PS256': 342}[alg]
    return '%s.%s.%s' % (b64url_nopad(json.dumps(hdr, separators=(',', ':'))),
                         b64url_nopad(json.dumps(claims, separators=(',', ':'), ensure_ascii=False)), rs(siglen, B64U))


def id_token_claims(mail, region=None, pool=None):
    region = region or ch(REGIONS)
    now = rtime() // 1000
    return {'sub': uuid4(), 'email_verified': True, 'iss': 'https://cognito-idp.%s.amazonaws.com/%s' % (region, pool or user_pool_id(region)),
            'cognito:username': uuid4(), 'origin_jti': uuid4(), 'aud': app_client_id(), 'event_id': uuid4(),
            'token_use': 'id', 'auth_time': now, 'exp': now + 3600, 'iat': now, 'jti': uuid4(), 'email': mail}


def cognito_refresh():
    return 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.%s.%s.%s.%s' % (
        rs(342, B64U), rs(16, B64U), rs(R.randrange(600, 1000), B64U), rs(22, B64U))


def opaque_token():
    return ch([rs(R.choice([32, 40, 43, 48, 64]), B64U), rs(40, HEX), 'at_' + rs(40, ALNUM), rs(24, ALNUM) + '.' + rs(32, B64U)])


def aws_akid(temp=None):
    temp = chance(0.6) if temp is None else temp
    return ('ASIA' if temp else 'AKIA') + rs(16, B32)


def aws_secret():
    return rs(40, ALNUM + '+/')


def aws_session_token():
    return 'IQoJb3JpZ2luX2Vj' + ch('EFGH') + rs(R.randrange(300, 620), B64) + ch(['', '=', '=='])


def apigw_key():
    return rs(40, ALNUM)


def sigv4_sig():
    return rs(64, HEX)


def oauth_code():
    return ch([rs(R.choice([32, 43]), B64U), uuid4(), 'ac.' + rs(40, B64U), rs(20, LALNUM)])


def client_secret():
    return ch([rs(R.choice([40, 52, 64]), B64U), rs(32, ALNUM), rs(3, ALNUM) + '8Q~' + rs(34, ALNUM + '_~.-')])


def pkce_verifier():
    return rs(R.choice([43, 64, 96]), B64U)


def reset_token():
    return ch([rs(40, HEX), rs(32, B64U), rs(64, HEX)])


def url_sig():
    return ch([rs(44, B64U), rs(64, HEX), rs(43, B64U) + '=', rs(27, B64U)])


def private_key_body():
    lines = [rs(64, B64) for _ in range(R.randrange(5, 9))] + [rs(R.randrange(8, 60), B64) + ch(['', '=', '=='])]
    return '\n'.join(lines)


SESSION_COOKIES = ['sid', 'session', 'connect.sid', 'JSESSIONID', 'PHPSESSID', '__Host-session', '_session_id',
                   'AWSELBAuthSessionCookie-0', 'laravel_session', '__Secure-next-auth.session-token', 'SESSION',
                   'auth_token', 'id_token', 'refresh_token']


def session_cookie(name=None):
    name = name or ch(SESSION_COOKIES)
    if name == 'connect.sid':
        return name, S('s%3A' + rs(32, B64U) + '.' + pct(rs(43, B64)), 'session_cookie')
    if name in ('JSESSIONID',):
        return name, S(rs(32, UHEX) + ch(['', '.node0', '.worker1']), 'session_cookie')
    if name == 'PHPSESSID':
        return name, S(rs(26, LALNUM), 'session_cookie')
    if name == 'AWSELBAuthSessionCookie-0':
        return name, S(rs(R.randrange(180, 320), B64U), 'session_cookie')
    if name == 'laravel_session':
        return name, S('eyJpdiI6' + rs(R.randrange(120, 200), B64) + '%3D', 'session_cookie')
    if name == '__Secure-next-auth.session-token':
        return name, S('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..' + rs(22, B64U) + '.' + rs(R.randrange(200, 400), B64U) + '.' + rs(22, B64U), 'session_cookie')
    if name == 'id_token':
        return name, S(jwt(id_token_claims(email())), 'jwt')
    if name == 'refresh_token':
        return name, S(rs(R.choice([43, 64]), B64U), 'refresh_token')
    if name == 'session':
        return name, S('eyJ' + rs(R.randrange(30, 80), B64U) + '.' + rs(6, B64U) + '.' + rs(27, B64U), 'session_cookie')
    if name == '_session_id':
        return name, S(rs(32, HEX), 'session_cookie')
    return name, S(rs(R.choice([32, 43, 48]), B64U), 'session_cookie')


def keep_cookie():
    k = R.randrange(9)
    ms = rtime()
    if k == 0:
        return '_ga', K('GA1.1.%d.%d' % (R.randrange(10 ** 9, 2 * 10 ** 9), ms // 1000))
    if k == 1:
        return '_gid', K('GA1.2.%d.%d' % (R.randrange(10 ** 8, 10 ** 9), ms // 1000))
    if k == 2:
        return 'theme', K(ch(['dark', 'light', 'system']))
    if k == 3:
        return 'lang', K(ch(['de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP', 'hi-IN', 'en-GB']))
    if k == 4:
        return 'AWSALB', K(rs(R.randrange(100, 140), B64))
    if k == 5:
        return 'AWSALBCORS', K(rs(R.randrange(100, 140), B64))
    if k == 6:
        return 'currency', K(currency())
    if k == 7:
        return 'cookieconsent_status', K(ch(['dismiss', 'allow', 'deny']))
    return 'OptanonAlertBoxClosed', K(t_iso(ms))


# ----------------------------------------------------------------------------------------------------------------
# Vendor tokens: documented prefix and length, random body
# ----------------------------------------------------------------------------------------------------------------

def _twilio_sid():
    return 'AC' + rs(32, HEX)


def _sf():
    return '00D' + rs(12, ALNUM) + '!' + rs(R.randrange(90, 110), ALNUM + '._')


def _intercom():
    return base64.b64encode(('tok:%s:1:0' % uuid4()).encode()).decode()


def _mapbox():
    payload = b64url_nopad('{"u":"%s","a":"%s"}' % (ch(FIRST) + ch(LAST), rs(25, LALNUM)))
    return 'sk.' + payload + '.' + rs(22, B64U)


VENDOR_TOKENS = {
    'github': lambda: ch(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) + rs(36),
    'github_fine_grained': lambda: 'github_pat_' + rs(22) + '_' + rs(59),
    'gitlab': lambda: 'glpat-' + rs(20, B64U),
    'slack': lambda: ch(['xoxb-', 'xoxp-']) + rs(11, DIG) + '-' + rs(13, DIG) + '-' + rs(24),
    'slack_webhook': lambda: rs(24),
    'stripe': lambda: ch(['sk_live_', 'rk_live_']) + rs(99),
    'stripe_webhook': lambda: 'whsec_' + rs(32),
    'twilio': lambda: rs(32, HEX),
    'sendgrid': lambda: 'SG.' + rs(22, B64U) + '.' + rs(43, B64U),
    'mailgun': lambda: 'key-' + rs(32, HEX),
    'shopify': lambda: ch(['shpat_', 'shpca_', 'shppa_']) + rs(32, HEX),
    'atlassian': lambda: 'ATATT3xFfGF0' + rs(171, B64U) + '=' + rs(8, UHEX),
    'datadog': lambda: rs(32, HEX),
    'newrelic': lambda: 'NRAK-' + rs(27, UALNUM),
    'sentry': lambda: rs(32, HEX),
    'npm': lambda: 'npm_' + rs(36),
    'pypi': lambda: 'pypi-AgEIcHlwaS5vcmc' + rs(R.randrange(60, 140), B64U),
    'dockerhub': lambda: 'dckr_pat_' + rs(27, B64U),
    'huggingface': lambda: 'hf_' + rs(34, UP + LOW),
    'openai': lambda: 'sk-proj-' + rs(74, B64U) + 'T3BlbkFJ' + rs(74, B64U),
    'anthropic': lambda: 'sk-ant-api03-' + rs(93, B64U) + 'AA',
    'google': lambda: 'AIza' + rs(35, B64U),
    'azure_sas': lambda: pct(rs(43, B64) + '='),
    'azure_storage': lambda: rs(86, B64) + '==',
    'vault': lambda: 'hvs.CAESI' + rs(R.randrange(80, 100), B64U),
    'doppler': lambda: ch(['dp.pt.' + rs(43), 'dp.st.prd.' + rs(40)]),
    'postman': lambda: 'PMAK-' + rs(24, HEX) + '-' + rs(34, HEX),
    'linear': lambda: 'lin_api_' + rs(40),
    'notion': lambda: 'ntn_' + rs(11, DIG) + rs(35),
    'airtable': lambda: 'pat' + rs(14) + '.' + rs(64, HEX),
    'okta': lambda: '00' + rs(40, B64U),
    'auth0': lambda: rs(64, B64U),
    'firebase': lambda: 'AAAA' + rs(7, B64U) + ':APA91b' + rs(134, B64U),
    'square': lambda: ch(['EAAA' + rs(60, B64U), 'sq0csp-' + rs(43, B64U)]),
    'braintree': lambda: 'access_token$production$' + rs(16, LALNUM) + '$' + rs(32, HEX),
    'paypal': lambda: 'A21AA' + rs(R.randrange(88, 100), B64U),
    'plaid': lambda: 'access-production-' + uuid4(),
    'mapbox': _mapbox,
    'algolia': lambda: rs(32, HEX),
    'cloudflare': lambda: rs(40, B64U),
    'digitalocean': lambda: 'dop_v1_' + rs(64, HEX),
    'heroku': lambda: 'HRKU-AA' + rs(58, B64U),
    'netlify': lambda: 'nfp_' + rs(36),
    'vercel': lambda: rs(24),
    'supabase': lambda: 'sbp_' + rs(40, HEX),
    'planetscale': lambda: 'pscale_tkn_' + rs(43, B64U),
    'databricks': lambda: 'dapi' + rs(32, HEX) + ch(['', '-2', '-3']),
    'snowflake': lambda: 'ver:1-hint:%d-ETMsDgAAA%s' % (R.randrange(10 ** 7, 10 ** 9), rs(R.randrange(100, 140), B64)),
    'grafana': lambda: 'glsa_' + rs(32) + '_' + rs(8, HEX),
    'pagerduty': lambda: 'u+' + rs(18, B64U),
    'telegram': lambda: '%d:AA%s' % (R.randrange(10 ** 9, 8 * 10 ** 9), rs(33, B64U)),
    'discord': lambda: ch('MNO') + rs(23) + '.' + rs(6, B64U) + '.' + rs(38, B64U),
    'discord_webhook': lambda: rs(68, B64U),
    'twitch': lambda: rs(30, LALNUM),
    'dropbox': lambda: 'sl.B' + rs(134, B64U),
    'asana': lambda: '1/%d:%s' % (R.randrange(10 ** 15, 10 ** 16), rs(32, HEX)),
    'figma': lambda: 'figd_' + rs(40, B64U),
    'zendesk': lambda: rs(40),
    'intercom': _intercom,
    'hubspot': lambda: 'pat-%s-%s' % (ch(['na1', 'eu1', 'na2']), uuid4()),
    'segment': lambda: rs(32),
    'amplitude': lambda: rs(32, HEX),
    'mixpanel': lambda: rs(32, HEX),
    'launchdarkly': lambda: 'sdk-' + uuid4(),
    'contentful': lambda: 'CFPAT-' + rs(43, B64U),
    'pulumi': lambda: 'pul-' + rs(40, HEX),
    'terraform': lambda: rs(14) + '.atlasv1.' + rs(67, B64U),
    'circleci': lambda: 'CCIPAT_' + rs(22) + '_' + rs(40, HEX),
    'buildkite': lambda: 'bkua_' + rs(40, HEX),
    'flyio': lambda: 'fo1_' + rs(43, B64U),
    'render': lambda: 'rnd_' + rs(32),
    'railway': uuid4,
    'mailchimp': lambda: rs(32, HEX) + '-us%d' % R.randrange(1, 22),
    'brevo': lambda: 'xkeysib-' + rs(64, HEX) + '-' + rs(16),
    'age': lambda: 'AGE-SECRET-KEY-1' + rs(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'),
    'artifactory': lambda: 'AKCp' + rs(69),
    'shippo': lambda: 'shippo_live_' + rs(40, HEX),
    'easypost': lambda: 'EZAK' + rs(54),
    'duffel': lambda: 'duffel_live_' + rs(43, B64U),
    'salesforce': _sf,
    'mercadopago': lambda: 'APP_USR-%s-%s-%s-%s' % (rs(16, DIG), rs(6, DIG), rs(32, HEX), rs(9, DIG)),
    'fastly': lambda: rs(32, B64U),
    'groq': lambda: 'gsk_' + rs(52),
    'replicate': lambda: 'r8_' + rs(37),
    'xai': lambda: 'xai-' + rs(80),
    'perplexity': lambda: 'pplx-' + rs(48),
    'openrouter': lambda: 'sk-or-v1-' + rs(64, HEX),
    'langsmith': lambda: 'lsv2_pt_' + rs(32, HEX) + '_' + rs(10, HEX),
    'nvidia': lambda: 'nvapi-' + rs(64, B64U),
    'tailscale': lambda: 'tskey-auth-k' + rs(10) + 'CNTRL-' + rs(33),
    'rubygems': lambda: 'rubygems_' + rs(48, HEX),
    'infracost': lambda: 'ico-' + rs(32),
    'typeform': lambda: 'tfp_' + rs(44, B64U) + '_' + rs(14, B64U),
    'klaviyo': lambda: 'pk_' + rs(34, HEX),
    'azure_ad': lambda: rs(3, ALNUM) + '8Q~' + rs(34, ALNUM + '_~.-'),
    'bitbucket': lambda: 'ATBB' + rs(32),
    'sourcegraph': lambda: 'sgp_' + rs(40, HEX),
}

# (environment variable, method, url template, auth placement)
# placement: 'bearer' | ('hdr', name, fmt) | ('basic', fmt) | ('query', name) | 'url' | ('form', field) |
#            ('json', field) | None (configuration only)
VENDOR_USE = {
    'github': ('GITHUB_TOKEN', 'GET', 'https://api.github.com/repos/example-org/orders-service/actions/runs?per_page=20', ('hdr', 'Authorization', 'token {t}')),
    'github_fine_grained': ('GH_PAT', 'POST', 'https://api.github.com/repos/example-org/infra/dispatches', 'bearer'),
    'gitlab': ('GITLAB_TOKEN', 'GET', 'https://gitlab.com/api/v4/projects/4815162/pipelines?ref=main', ('hdr', 'PRIVATE-TOKEN', '{t}')),
    'slack': ('SLACK_BOT_TOKEN', 'POST', 'https://slack.com/api/chat.postMessage', 'bearer'),
    'slack_webhook': ('SLACK_WEBHOOK_URL', 'POST', 'https://hooks.slack.com/services/T0{U8}/B0{U9}/{t}', 'url'),
    'stripe': ('STRIPE_SECRET_KEY', 'POST', 'https://api.stripe.com/v1/payment_intents', 'bearer'),
    'stripe_webhook': ('STRIPE_WEBHOOK_SECRET', None, None, None),
    'twilio': ('TWILIO_AUTH_TOKEN', 'POST', 'https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json', ('basic', '{SID}:{t}')),
    'sendgrid': ('SENDGRID_API_KEY', 'POST', 'https://api.sendgrid.com/v3/mail/send', 'bearer'),
    'mailgun': ('MAILGUN_API_KEY', 'POST', 'https://api.mailgun.net/v3/mg.example.com/messages', ('basic', 'api:{t}')),
    'shopify': ('SHOPIFY_ADMIN_TOKEN', 'POST', 'https://example-shop.myshopify.com/admin/api/2025-01/graphql.json', ('hdr', 'X-Shopify-Access-Token', '{t}')),
    'atlassian': ('JIRA_API_TOKEN', 'POST', 'https://example.atlassian.net/rest/api/3/issue', ('basic', 'ops-bot@example.com:{t}')),
    'datadog': ('DD_API_KEY', 'POST', 'https://http-intake.logs.datadoghq.eu/api/v2/logs', ('hdr', 'DD-API-KEY', '{t}')),
    'newrelic': ('NEW_RELIC_API_KEY', 'POST', 'https://api.newrelic.com/graphql', ('hdr', 'API-Key', '{t}')),
    'sentry': ('SENTRY_DSN', 'POST', 'https://o{N6}.ingest.us.sentry.io/api/{N7}/envelope/', ('hdr', 'X-Sentry-Auth', 'Sentry sentry_version=7, sentry_key={t}, sentry_client=sentry.python.aws_lambda/2.22.0')),
    'npm': ('NPM_TOKEN', 'GET', 'https://registry.npmjs.org/-/whoami', 'bearer'),
    'pypi': ('TWINE_PASSWORD', 'POST', 'https://upload.pypi.org/legacy/', ('basic', '__token__:{t}')),
    'dockerhub': ('DOCKERHUB_TOKEN', 'POST', 'https://hub.docker.com/v2/users/login', ('json', 'password')),
    'huggingface': ('HF_TOKEN', 'POST', 'https://api-inference.huggingface.co/models/example-org/claims-classifier', 'bearer'),
    'openai': ('OPENAI_API_KEY', 'POST', 'https://api.openai.com/v1/chat/completions', 'bearer'),
    'anthropic': ('ANTHROPIC_API_KEY', 'POST', 'https://api.anthropic.com/v1/messages', ('hdr', 'x-api-key', '{t}')),
    'google': ('GOOGLE_MAPS_API_KEY', 'GET', 'https://maps.googleapis.com/maps/api/geocode/json?region=de&key={t}', 'url'),
    'azure_sas': ('AZURE_EXPORT_SAS_URL', 'PUT', 'https://examplestore.blob.core.windows.net/exports/{D8}/report.csv?sv=2022-11-02&ss=b&srt=o&sp=rwc&se=2025-12-31T23%3A59%3A59Z&st=2025-03-01T00%3A00%3A00Z&spr=https&sig={t}', 'url'),
    'azure_storage': ('AZURE_STORAGE_CONNECTION_STRING', None, None, None),
    'vault': ('VAULT_TOKEN', 'GET', 'https://vault.example.internal:8200/v1/secret/data/orders-api', ('hdr', 'X-Vault-Token', '{t}')),
    'doppler': ('DOPPLER_TOKEN', 'GET', 'https://api.doppler.com/v3/configs/config/secrets/download?format=json', 'bearer'),
    'postman': ('POSTMAN_API_KEY', 'GET', 'https://api.getpostman.com/collections', ('hdr', 'X-Api-Key', '{t}')),
    'linear': ('LINEAR_API_KEY', 'POST', 'https://api.linear.app/graphql', ('hdr', 'Authorization', '{t}')),
    'notion': ('NOTION_TOKEN', 'POST', 'https://api.notion.com/v1/pages', 'bearer'),
    'airtable': ('AIRTABLE_TOKEN', 'GET', 'https://api.airtable.com/v0/app{A14}/Orders?maxRecords=50', 'bearer'),
    'okta': ('OKTA_API_TOKEN', 'GET', 'https://example.okta.com/api/v1/users?limit=25', ('hdr', 'Authorization', 'SSWS {t}')),
    'auth0': ('AUTH0_CLIENT_SECRET', 'POST', 'https://example.us.auth0.com/oauth/token', ('json', 'client_secret')),
    'firebase': ('FCM_SERVER_KEY', 'POST', 'https://fcm.googleapis.com/fcm/send', ('hdr', 'Authorization', 'key={t}')),
    'square': ('SQUARE_ACCESS_TOKEN', 'POST', 'https://connect.squareup.com/v2/payments', 'bearer'),
    'braintree': ('BRAINTREE_ACCESS_TOKEN', 'POST', 'https://payments.braintree-api.com/graphql', 'bearer'),
    'paypal': ('PAYPAL_ACCESS_TOKEN', 'POST', 'https://api-m.paypal.com/v2/checkout/orders', 'bearer'),
    'plaid': ('PLAID_ACCESS_TOKEN', 'POST', 'https://production.plaid.com/accounts/balance/get', ('json', 'access_token')),
    'mapbox': ('MAPBOX_SECRET_TOKEN', 'GET', 'https://api.mapbox.com/uploads/v1/example-maps?access_token={t}', 'url'),
    'algolia': ('ALGOLIA_ADMIN_KEY', 'POST', 'https://{U10}.algolia.net/1/indexes/products/batch', ('hdr', 'X-Algolia-API-Key', '{t}')),
    'cloudflare': ('CLOUDFLARE_API_TOKEN', 'POST', 'https://api.cloudflare.com/client/v4/zones/{H32}/purge_cache', 'bearer'),
    'digitalocean': ('DIGITALOCEAN_TOKEN', 'GET', 'https://api.digitalocean.com/v2/droplets?page=1&per_page=20', 'bearer'),
    'heroku': ('HEROKU_API_KEY', 'GET', 'https://api.heroku.com/apps/orders-worker/releases', 'bearer'),
    'netlify': ('NETLIFY_AUTH_TOKEN', 'POST', 'https://api.netlify.com/api/v1/sites/{UUID}/deploys', 'bearer'),
    'vercel': ('VERCEL_TOKEN', 'GET', 'https://api.vercel.com/v9/projects/storefront/domains', 'bearer'),
    'supabase': ('SUPABASE_ACCESS_TOKEN', 'GET', 'https://api.supabase.com/v1/projects', 'bearer'),
    'planetscale': ('PLANETSCALE_SERVICE_TOKEN', 'GET', 'https://api.planetscale.com/v1/organizations/example/databases', ('hdr', 'Authorization', '{L12}:{t}')),
    'databricks': ('DATABRICKS_TOKEN', 'POST', 'https://dbc-{H8}-{H4}.cloud.databricks.com/api/2.1/jobs/run-now', 'bearer'),
    'snowflake': ('SNOWFLAKE_SESSION_TOKEN', 'POST', 'https://example-{L7}.snowflakecomputing.com/queries/v1/query-request?requestId={UUID}', ('hdr', 'Authorization', 'Snowflake Token="{t}"')),
    'grafana': ('GRAFANA_SA_TOKEN', 'POST', 'https://example.grafana.net/api/annotations', 'bearer'),
    'pagerduty': ('PAGERDUTY_API_KEY', 'GET', 'https://api.pagerduty.com/incidents?statuses%5B%5D=triggered', ('hdr', 'Authorization', 'Token token={t}')),
    'telegram': ('TELEGRAM_BOT_TOKEN', 'POST', 'https://api.telegram.org/bot{t}/sendMessage', 'url'),
    'discord': ('DISCORD_BOT_TOKEN', 'POST', 'https://discord.com/api/v10/channels/{N19}/messages', ('hdr', 'Authorization', 'Bot {t}')),
    'discord_webhook': ('DISCORD_WEBHOOK_URL', 'POST', 'https://discord.com/api/webhooks/{N19}/{t}', 'url'),
    'twitch': ('TWITCH_OAUTH_TOKEN', 'GET', 'https://id.twitch.tv/oauth2/validate', ('hdr', 'Authorization', 'OAuth {t}')),
    'dropbox': ('DROPBOX_ACCESS_TOKEN', 'POST', 'https://content.dropboxapi.com/2/files/upload', 'bearer'),
    'asana': ('ASANA_PAT', 'GET', 'https://app.asana.com/api/1.0/users/me', 'bearer'),
    'figma': ('FIGMA_TOKEN', 'GET', 'https://api.figma.com/v1/files/{A22}', ('hdr', 'X-Figma-Token', '{t}')),
    'zendesk': ('ZENDESK_API_TOKEN', 'POST', 'https://example.zendesk.com/api/v2/tickets.json', ('basic', 'support-bot@example.com/token:{t}')),
    'intercom': ('INTERCOM_ACCESS_TOKEN', 'POST', 'https://api.intercom.io/contacts', 'bearer'),
    'hubspot': ('HUBSPOT_PRIVATE_APP_TOKEN', 'POST', 'https://api.hubapi.com/crm/v3/objects/contacts', 'bearer'),
    'segment': ('SEGMENT_WRITE_KEY', 'POST', 'https://api.segment.io/v1/track', ('basic', '{t}:')),
    'amplitude': ('AMPLITUDE_SECRET_KEY', 'GET', 'https://amplitude.com/api/2/export?start=20250301T00&end=20250301T23', ('basic', '{H32}:{t}')),
    'mixpanel': ('MIXPANEL_API_SECRET', 'GET', 'https://data.mixpanel.com/api/2.0/export?from_date=2025-03-01&to_date=2025-03-02', ('basic', '{t}:')),
    'launchdarkly': ('LAUNCHDARKLY_SDK_KEY', 'GET', 'https://sdk.launchdarkly.com/sdk/latest-all', ('hdr', 'Authorization', '{t}')),
    'contentful': ('CONTENTFUL_MANAGEMENT_TOKEN', 'PUT', 'https://api.contentful.com/spaces/{L12}/environments/master/entries/{A22}', 'bearer'),
    'pulumi': ('PULUMI_ACCESS_TOKEN', 'GET', 'https://api.pulumi.com/api/user', ('hdr', 'Authorization', 'token {t}')),
    'terraform': ('TF_TOKEN_app_terraform_io', 'GET', 'https://app.terraform.io/api/v2/organizations/example/workspaces', 'bearer'),
    'circleci': ('CIRCLECI_TOKEN', 'POST', 'https://circleci.com/api/v2/project/gh/example-org/orders-service/pipeline', ('hdr', 'Circle-Token', '{t}')),
    'buildkite': ('BUILDKITE_API_TOKEN', 'GET', 'https://api.buildkite.com/v2/organizations/example/builds?state=failed', 'bearer'),
    'flyio': ('FLY_API_TOKEN', 'GET', 'https://api.machines.dev/v1/apps/orders-api/machines', 'bearer'),
    'render': ('RENDER_API_KEY', 'POST', 'https://api.render.com/v1/services/srv-{L20}/deploys', 'bearer'),
    'railway': ('RAILWAY_TOKEN', 'POST', 'https://backboard.railway.com/graphql/v2', ('hdr', 'Project-Access-Token', '{t}')),
    'mailchimp': ('MAILCHIMP_API_KEY', 'POST', 'https://us21.api.mailchimp.com/3.0/lists/{H10}/members', ('basic', 'anystring:{t}')),
    'brevo': ('BREVO_API_KEY', 'POST', 'https://api.brevo.com/v3/smtp/email', ('hdr', 'api-key', '{t}')),
    'age': ('SOPS_AGE_KEY', None, None, None),
    'artifactory': ('ARTIFACTORY_API_KEY', 'GET', 'https://example.jfrog.io/artifactory/api/npm/npm-virtual/', ('hdr', 'X-JFrog-Art-Api', '{t}')),
    'shippo': ('SHIPPO_API_TOKEN', 'POST', 'https://api.goshippo.com/shipments/', ('hdr', 'Authorization', 'ShippoToken {t}')),
    'easypost': ('EASYPOST_API_KEY', 'POST', 'https://api.easypost.com/v2/shipments', ('basic', '{t}:')),
    'duffel': ('DUFFEL_ACCESS_TOKEN', 'POST', 'https://api.duffel.com/air/offer_requests', 'bearer'),
    'salesforce': ('SF_ACCESS_TOKEN', 'GET', 'https://example.my.salesforce.com/services/data/v62.0/sobjects/Contact/003{A15}', 'bearer'),
    'mercadopago': ('MP_ACCESS_TOKEN', 'POST', 'https://api.mercadopago.com/v1/payments', 'bearer'),
    'fastly': ('FASTLY_API_TOKEN', 'POST', 'https://api.fastly.com/service/{A22}/purge_all', ('hdr', 'Fastly-Key', '{t}')),
    'groq': ('GROQ_API_KEY', 'POST', 'https://api.groq.com/openai/v1/chat/completions', 'bearer'),
    'replicate': ('REPLICATE_API_TOKEN', 'POST', 'https://api.replicate.com/v1/predictions', 'bearer'),
    'xai': ('XAI_API_KEY', 'POST', 'https://api.x.ai/v1/chat/completions', 'bearer'),
    'perplexity': ('PERPLEXITY_API_KEY', 'POST', 'https://api.perplexity.ai/chat/completions', 'bearer'),
    'openrouter': ('OPENROUTER_API_KEY', 'POST', 'https://openrouter.ai/api/v1/chat/completions', 'bearer'),
    'langsmith': ('LANGSMITH_API_KEY', 'POST', 'https://api.smith.langchain.com/runs/batch', ('hdr', 'x-api-key', '{t}')),
    'nvidia': ('NVIDIA_API_KEY', 'POST', 'https://integrate.api.nvidia.com/v1/chat/completions', 'bearer'),
    'tailscale': ('TS_AUTHKEY', None, None, None),
    'rubygems': ('GEM_HOST_API_KEY', 'POST', 'https://rubygems.org/api/v1/gems', ('hdr', 'Authorization', '{t}')),
    'infracost': ('INFRACOST_API_KEY', 'POST', 'https://pricing.api.infracost.io/graphql', ('hdr', 'X-Api-Key', '{t}')),
    'typeform': ('TYPEFORM_TOKEN', 'GET', 'https://api.typeform.com/forms/{A8}/responses?page_size=25', 'bearer'),
    'klaviyo': ('KLAVIYO_PRIVATE_KEY', 'POST', 'https://a.klaviyo.com/api/profiles', ('hdr', 'Authorization', 'Klaviyo-API-Key {t}')),
    'azure_ad': ('AZURE_CLIENT_SECRET', 'POST', 'https://login.microsoftonline.com/{UUID}/oauth2/v2.0/token', ('form', 'client_secret')),
    'bitbucket': ('BITBUCKET_APP_PASSWORD', 'GET', 'https://api.bitbucket.org/2.0/repositories/example-org', ('basic', 'ci-bot:{t}')),
    'sourcegraph': ('SRC_ACCESS_TOKEN', 'POST', 'https://sourcegraph.example.com/.api/graphql', ('hdr', 'Authorization', 'token {t}')),
}
assert set(VENDOR_TOKENS) == set(VENDOR_USE)
VENDORS = sorted(VENDOR_TOKENS)

_PH = re.compile(r'\{([A-Za-z]+[0-9]*|t)\}')


def _ph_value(code, memo):
    if code in memo:
        return memo[code]
    if code == 'UUID':
        v = uuid4()
    elif code == 'SID':
        v = _twilio_sid()
    elif code == 'D8':
        v = t_amzdate(rtime())
    else:
        cs = {'A': ALNUM, 'U': UALNUM, 'L': LALNUM, 'H': HEX, 'N': DIG}[code[0]]
        v = rs(int(code[1:]), cs)
        if code[0] == 'N':
            v = ch('123456789') + v[1:]
    if code not in ('UUID',):
        memo[code] = v
    return v


def fill(tpl, token_frag, memo):
    out = []
    pos = 0
    for m in _PH.finditer(tpl):
        out.append(tpl[pos:m.start()])
        out.append(token_frag if m.group(1) == 't' else _ph_value(m.group(1), memo))
        pos = m.end()
    out.append(tpl[pos:])
    return C(*out)


def vkind(v):
    return 'vendor:' + v


class Draw:
    """Per-attempt state: vendor picks made in this draw."""
    pending = collections.Counter()


VENDOR_COUNT = collections.Counter()


def pick_vendor(need_call=False, among=None):
    cands = among or VENDORS
    if need_call:
        cands = [v for v in cands if VENDOR_USE[v][1] is not None]
    best = min(VENDOR_COUNT[v] + Draw.pending[v] for v in cands)
    pool = [v for v in cands if VENDOR_COUNT[v] + Draw.pending[v] == best]
    v = ch(pool)
    Draw.pending[v] += 1
    return v


def vendor_env_value(v, tok=None):
    tok = tok or VENDOR_TOKENS[v]()
    s = S(tok, vkind(v))
    memo = {}
    if v == 'sentry':
        return fill('https://{t}@o{N6}.ingest.us.sentry.io/{N7}', s, memo)
    if v in ('slack_webhook', 'discord_webhook', 'azure_sas'):
        return fill(VENDOR_USE[v][2], s, memo)
    if v == 'azure_storage':
        return C('DefaultEndpointsProtocol=https;AccountName=examplestore', rs(4, LALNUM), ';AccountKey=', s,
                 ';EndpointSuffix=core.windows.net')
    return s


def vendor_body(v):
    """A request body as the vendor's API takes it, often with the personal data the call is about."""
    country = ch(['US', 'UK', 'DE', 'FR', 'ES', 'JP', 'IN', 'BR', 'AU'])
    if v == 'twilio':
        return C('To=', S(phone_e164(country), 'phone').map(pct_form), '&MessagingServiceSid=', K('MG' + rs(32, HEX)),
                 '&Body=', C('Your Example verification code is ', S(otp(), 'otp')).map(pct_form))
    if v == 'sendgrid':
        return jd({'personalizations': [{'to': [{'email': S(email(), 'email')}], 'dynamic_template_data': {'orderId': K(order_no())}}],
                   'from': {'email': 'no-reply@example.com'}, 'template_id': K('d-' + rs(32, HEX))})
    if v == 'mailgun':
        return C('from=', pct_form('Example <no-reply@mg.example.com>'), '&to=', S(email(), 'email').map(pct_form), '&subject=',
                 pct_form(ch(['Your booking', 'Password reset', 'Ihre Bestellung'])), '&template=', K(ch(['booking-confirmation', 'reset-v2'])))
    if v == 'brevo':
        return jd({'to': [{'email': S(email(), 'email')}], 'templateId': R.randrange(2, 90),
                   'params': {'resetLink': C('https://app.example.com/reset?token=', S(reset_token(), 'reset_token'))}})
    if v == 'stripe':
        return C('amount=', K(str(R.randrange(100, 99999))), '&currency=eur&customer=', K('cus_' + rs(14)), '&receipt_email=',
                 S(email(), 'email').map(pct_form), '&metadata[order_id]=', K(order_no()))
    if v in ('openai', 'anthropic', 'groq', 'xai', 'perplexity', 'openrouter', 'nvidia'):
        canon = ch(['member_id', 'dob', 'email', 'phone', 'passport'])
        prompt = C(ch(['Summarise the claim history for member ', 'Draft a reply to the customer ', 'Classify this ticket from ']),
                   pii(canon, country, 'en'), ch(['.', ' in German.', ' (priority: high).']))
        d = {'model': K(ch(['gpt-4o-mini', 'claude-3-5-haiku-20241022', 'llama-3.3-70b-versatile', 'grok-2', 'sonar'])),
             'messages': [{'role': 'user', 'content': prompt}], 'max_tokens': 512}
        return jd(d)
    if v in ('hubspot', 'intercom', 'klaviyo'):
        props = {'email': S(email(), 'email'), 'phone': S(phone(country), 'phone'), 'lifecyclestage': 'customer'}
        return jd({'properties': props} if v == 'hubspot' else ({'role': 'user', 'email': props['email'], 'phone': props['phone']} if v == 'intercom'
                                                                 else {'data': {'type': 'profile', 'attributes': props}}))
    if v in ('shippo', 'easypost'):
        lang = ADDR_LANG[country]
        addr = {'street1': S(address(lang), 'address'), 'city': CITY[lang][0], 'country': CITY[lang][1], 'phone': S(phone(country), 'phone'),
                'email': S(email(), 'email')}
        return jd({'address_to': addr, 'parcels': [{'weight': '%.1f' % R.uniform(0.2, 9), 'mass_unit': 'kg'}]} if v == 'shippo'
                  else {'shipment': {'to_address': addr, 'reference': K(order_no())}})
    if v == 'duffel':
        return jd({'data': {'passengers': [{'born_on': S('%04d-%02d-%02d' % (R.randrange(1950, 2006), R.randrange(1, 13), R.randrange(1, 29)), 'dob'),
                                            'email': S(email(), 'email'), 'phone_number': S(phone_e164(country), 'phone'),
                                            'identity_documents': [{'type': 'passport', 'unique_identifier': pii('passport', country, 'en'),
                                                                    'issuing_country_code': K(CITY[ADDR_LANG[country]][1])}]}],
                            'slices': [{'origin': K(ch(IATA)), 'destination': K(ch(IATA)), 'departure_date': K(t_iso(rtime())[:10])}]}})
    if v == 'mercadopago':
        return jd({'transaction_amount': float('%d.%02d' % (R.randrange(10, 900), R.randrange(100))), 'payment_method_id': 'pix',
                   'payer': {'email': S(email(), 'email'), 'identification': {'type': 'CPF', 'number': S(cpf(), 'national_id')}}})
    if v == 'square':
        return jd({'idempotency_key': K(uuid4()), 'amount_money': {'amount': R.randrange(100, 90000), 'currency': 'USD'},
                   'source_id': K('cnon:' + rs(24, B64U)), 'buyer_email_address': S(email(), 'email')})
    if v == 'slack':
        return jd({'channel': K('C0' + rs(9, UALNUM)), 'text': C('Payout failed for ', pii('iban', 'DE', 'en') if chance(0.5) else K(order_no()))})
    if chance(0.5):
        return jd({'ref': K(order_no()), 'ts': K(t_iso(rtime()))})
    return None


def vendor_call(v, tok=None):
    """An outbound request to the vendor's API carrying the token where the vendor documents it."""
    env, method, url, place = VENDOR_USE[v]
    assert method is not None, v
    tok = tok or VENDOR_TOKENS[v]()
    kind = vkind(v)
    memo = {}
    st = S(tok, kind)
    headers, body = [], None
    if place == 'url':
        u = fill(url, st, memo)
    else:
        u = fill(url, tok, memo) if '{t}' in url else fill(url, '', memo)
    host = urllib.parse.urlsplit(u.text()).hostname
    if place == 'bearer':
        headers.append(('Authorization', C('Bearer ', st)))
    elif isinstance(place, tuple) and place[0] == 'hdr':
        headers.append((place[1], fill(place[2], st, memo)))
    elif isinstance(place, tuple) and place[0] == 'basic':
        cred = fill(place[1], tok, memo).text()
        headers.append(('Authorization', C('Basic ', S(base64.b64encode(cred.encode()).decode(), kind))))
    elif isinstance(place, tuple) and place[0] == 'json':
        if v == 'auth0':
            body = jd({'client_id': K(rs(32, ALNUM)), 'client_secret': st, 'audience': K('https://api.example.com/'),
                       'grant_type': 'client_credentials'})
        elif v == 'plaid':
            body = jd({'client_id': K(rs(24, HEX)), 'access_token': st, 'options': {'account_ids': [K(rs(37, ALNUM))]}})
        else:
            body = jd({'username': K('ci-bot-' + rs(4, LALNUM)), 'password': st})
    elif isinstance(place, tuple) and place[0] == 'form':
        body = C('client_id=', K(uuid4()), '&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=',
                 st.map(pct_form), '&grant_type=client_credentials')
    if v == 'algolia':
        headers.append(('X-Algolia-Application-Id', K(rs(10, UALNUM))))
    if v == 'duffel':
        headers.append(('Duffel-Version', K('v2')))
    if v == 'anthropic':
        headers.append(('anthropic-version', K('2023-06-01')))
    if v == 'heroku':
        headers.append(('Accept', K('application/vnd.heroku+json; version=3')))
    if body is None and method in ('POST', 'PUT'):
        body = vendor_body(v)
    return {'method': method, 'url': u, 'host': host, 'headers': headers, 'body': body, 'tok': tok, 'kind': kind,
            'env': env}


# ----------------------------------------------------------------------------------------------------------------
# Inbound authentication, cookies and query strings
# ----------------------------------------------------------------------------------------------------------------

def sigv4_auth(ms, region, service, temp=None):
    akid = aws_akid(temp)
    signed = ch(['host;x-amz-date', 'content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token',
                 'accept;content-type;host;x-amz-date;x-amz-security-token', 'host;x-amz-date;x-amz-security-token'])
    val = C('AWS4-HMAC-SHA256 Credential=', S(akid, 'aws_access_key_id'), K('/%s/%s/%s/aws4_request' % (t_amzdate(ms), region, service)),
            ', SignedHeaders=', K(signed), ', Signature=', S(sigv4_sig(), 'sigv4_signature'))
    hdrs = [('Authorization', val), ('X-Amz-Date', K(t_amz(ms)))]
    if akid.startswith('ASIA') or 'security-token' in signed:
        hdrs.append(('X-Amz-Security-Token', S(aws_session_token(), 'aws_session_token')))
    if 'content-sha256' in signed:
        hdrs.append(('X-Amz-Content-Sha256', K(sha256hex())))
    return hdrs


def inbound_auth(ms, region, path='/', mail=None):
    """Authorization header(s) of an inbound request, one of many schemes.  Returns a list of (name, F)."""
    k = wch([('jwt', 22), ('opaque', 8), ('vendor', 16), ('basic', 8), ('digest', 4), ('sigv4', 9), ('hmac', 6),
             ('token', 5), ('apikey_scheme', 4), ('x-api-key', 14), ('bare_jwt', 5)])
    if k == 'jwt':
        claims = id_token_claims(mail or email(), region) if chance(0.4) else None
        return [('Authorization', C('Bearer ', S(jwt(claims), 'jwt')))]
    if k == 'bare_jwt':
        return [('Authorization', S(jwt(), 'jwt'))]
    if k == 'opaque':
        return [('Authorization', C(ch(['Bearer ', 'bearer ', 'BEARER ']), S(opaque_token(), 'bearer_token')))]
    if k == 'vendor':
        v = pick_vendor(among=[x for x in VENDORS if VENDOR_USE[x][3] == 'bearer'] + ['github', 'okta'])
        tok = VENDOR_TOKENS[v]()
        if v == 'okta':
            return [('Authorization', C('SSWS ', S(tok, vkind(v))))]
        return [('Authorization', C(ch(['Bearer ', 'token ']) if v == 'github' else 'Bearer ', S(tok, vkind(v))))]
    if k == 'basic':
        user = ch([mail or email(), 'svc-' + ch(['orders', 'billing', 'claims', 'payroll']), 'partner_%d' % R.randrange(100, 999)])
        cred = '%s:%s' % (user, password())
        return [('Authorization', C('Basic ', S(base64.b64encode(cred.encode()).decode(), 'basic_auth')))]
    if k == 'digest':
        return [('Authorization', C('Digest username="', S(mail or email(), 'email'), '", realm="', K('Example API'),
                                    '", nonce="', K(rs(32, HEX)), '", uri="', path, '", qop=auth, nc=00000001, cnonce="',
                                    K(rs(16, HEX)), '", response="', S(rs(32, HEX), 'digest_response'), '", opaque="',
                                    K(rs(32, HEX)), '", algorithm=MD5'))]
    if k == 'sigv4':
        return sigv4_auth(ms, region, ch(['execute-api', 'execute-api', 'lambda', 's3']))
    if k == 'hmac':
        sig = S(ch([base64.b64encode(bytes(R.randrange(256) for _ in range(32))).decode(), rs(64, HEX)]), 'hmac_signature')
        kid = K(ch(['k_live_', 'partner-', 'key-']) + rs(12, LALNUM))
        v = R.randrange(3)
        if v == 0:
            return [('Authorization', C('HMAC-SHA256 Credential=', kid, '&SignedHeaders=', K('x-ms-date;host;x-ms-content-sha256'),
                                        '&Signature=', sig)), ('x-ms-date', K(t_rfc1123(ms)))]
        if v == 1:
            return [('Authorization', C('hmac username="', kid, '", algorithm="hmac-sha256", headers="date request-line", signature="', sig, '"')),
                    ('Date', K(t_rfc1123(ms)))]
        return [('Signature', C('keyId="', kid, '",algorithm="hmac-sha256",headers="(request-target) host date digest",signature="', sig, '"')),
                ('Digest', C('SHA-256=', K(b64_of_bytes(32))))]
    if k == 'token':
        t = ch([rs(32, HEX), rs(40, ALNUM)])
        if chance(0.5):
            return [('Authorization', C('Token token="', S(t, 'bearer_token'), '"'))]
        return [('Authorization', C('Token ', S(t, 'bearer_token')))]
    if k == 'apikey_scheme':
        if chance(0.5):
            raw = '%s:%s' % (rs(20, B64U), rs(22, B64U))
            return [('Authorization', C('ApiKey ', S(base64.b64encode(raw.encode()).decode(), 'api_key')))]
        return [('Authorization', C(ch(['ApiKey ', 'Apikey ', 'Api-Key ']), S(rs(40, ALNUM), 'api_key')))]
    return [(ch(['x-api-key', 'X-API-Key', 'X-Api-Key']), S(apigw_key(), 'api_key'))]


def cookie_header(clean=False, n_keep=None):
    pairs = []
    for _ in range(n_keep if n_keep is not None else R.randrange(1, 4)):
        pairs.append(keep_cookie())
    if not clean:
        pairs.insert(R.randrange(len(pairs) + 1), session_cookie())
    seen, out = set(), []
    for name, v in pairs:
        if name not in seen:
            seen.add(name)
            out.append((name, v))
    return out


def cookie_str(pairs):
    return JN('; ', [C(n, '=', v) for n, v in pairs])


def set_cookie(clean=False, ms=None):
    ms = ms or rtime()
    if clean:
        name, v = keep_cookie()
    else:
        name, v = session_cookie(ch(['sid', 'session', '__Host-session', 'JSESSIONID', 'id_token', 'refresh_token', 'connect.sid']))
    attrs = ch(['; Path=/; Secure; HttpOnly; SameSite=Lax', '; Path=/; Expires=%s; Secure; HttpOnly' % t_rfc1123(ms + 86400000),
                '; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Strict', '; Domain=.example.com; Path=/; Secure'])
    return C(name, '=', v, attrs)


def secret_query_param(ms, region):
    """One credential-bearing query parameter (decoded value).  Returns list of (name, F)."""
    k = wch([('access_token', 5), ('code', 5), ('id_token', 3), ('client_secret', 3), ('signature', 3), ('sig', 3),
             ('presigned', 4), ('token', 3), ('api_key', 3), ('email', 4), ('refresh_token', 2), ('password', 1),
             ('reset', 3), ('redirect', 10)])
    if k == 'redirect':
        # a URL inside a parameter: its own query is encoded once, and again when the outer query is written,
        # so the raw query string shows jane%2540example.com and the decoded parameter jane%40example.com
        inner = ch([C('https://app.example.com/welcome?email=', S(email(), 'email').map(pct)),
                    C('/account/reset?token=', S(reset_token(), 'reset_token'), '&lang=', ch(['de', 'ja', 'pt-BR'])),
                    C('https://partners.example.org/sso?login_hint=', S(email(), 'email').map(pct), '&tenant=', K('t-' + rs(8, LALNUM)))])
        return [(ch(['redirect_uri', 'next', 'return_to', 'RelayState']), inner)]
    if k == 'access_token':
        return [('access_token', S(jwt(), 'jwt') if chance(0.5) else S(opaque_token(), 'bearer_token'))]
    if k == 'code':
        return [('code', S(oauth_code(), 'oauth_code')), ('state', K(rs(22, B64U)))]
    if k == 'id_token':
        return [('id_token', S(jwt(id_token_claims(email(), region)), 'jwt'))]
    if k == 'client_secret':
        return [('client_id', K(app_client_id())), ('client_secret', S(client_secret(), 'client_secret'))]
    if k == 'signature':
        return [('expires', K(str(ms // 1000 + 900))), ('signature', S(url_sig(), 'url_signature'))]
    if k == 'sig':
        return [('sig', S(url_sig(), 'url_signature')), ('exp', K(str(ms // 1000 + 300)))]
    if k == 'presigned':
        akid = aws_akid(True)
        return [('X-Amz-Algorithm', K('AWS4-HMAC-SHA256')),
                ('X-Amz-Credential', C(S(akid, 'aws_access_key_id'), K('/%s/%s/s3/aws4_request' % (t_amzdate(ms), region)))),
                ('X-Amz-Date', K(t_amz(ms))), ('X-Amz-Expires', K(str(ch([300, 900, 3600, 604800])))),
                ('X-Amz-Security-Token', S(aws_session_token(), 'aws_session_token')),
                ('X-Amz-SignedHeaders', K('host')), ('X-Amz-Signature', S(sigv4_sig(), 'sigv4_signature'))]
    if k == 'token':
        return [('token', S(ch([rs(40, HEX), rs(32, B64U)]), 'bearer_token'))]
    if k == 'api_key':
        return [(ch(['api_key', 'apikey', 'key']), S(apigw_key(), 'api_key'))]
    if k == 'email':
        if chance(0.3):
            # a client that encoded the value before handing it to a URL builder that encodes again
            return [(ch(['email', 'login_hint', 'user']), S(email(), 'email').map(pct))]
        return [(ch(['email', 'login_hint', 'user']), S(email(), 'email'))]
    if k == 'refresh_token':
        return [('grant_type', K('refresh_token')), ('refresh_token', S(rs(64, B64U), 'refresh_token'))]
    if k == 'password':
        return [('username', K('svc-report-' + rs(4, LALNUM))), ('password', S(password(), 'password'))]
    return [('token', S(reset_token(), 'reset_token')), ('uid', K(str(R.randrange(10 ** 5, 10 ** 7))))]


def keep_query_params(n=None):
    opts = [lambda: ('page', K(str(R.randrange(2, 60)))), lambda: ('limit', K(str(ch([25, 50, 100, 200])))),
            lambda: ('cursor', K(str(R.randrange(10 ** 5, 10 ** 12)))), lambda: ('sort', K(ch(['-created_at', 'updated_at', 'price']))),
            lambda: ('lang', K(ch(['de-DE', 'ja-JP', 'pt-BR', 'hi-IN', 'fr-FR', 'es-MX']))),
            lambda: ('fields', K(ch(['id,status,total', 'id,name', 'items(sku,qty)']))), lambda: ('currency', K(currency())),
            lambda: ('from', K(t_amzdate(rtime()))), lambda: ('include', K(ch(['lines', 'payments', 'passengers']))),
            lambda: ('utm_source', K(ch(['newsletter', 'partner', 'google']))), lambda: ('v', K(version()))]
    n = R.randrange(0, 3) if n is None else n
    out, seen = [], set()
    for f in R.sample(opts, n):
        k, v = f()
        if k not in seen:
            seen.add(k)
            out.append((k, v))
    return out


def qs(params, enc=pct):
    """Raw query string from decoded params."""
    return JN('&', [C(k, '=', v.map(enc)) for k, v in params])


# ----------------------------------------------------------------------------------------------------------------
# Industries: personal data under English and non-English field names
# ----------------------------------------------------------------------------------------------------------------
LANG_COUNTRY = {'en': ['US', 'UK', 'AU'], 'de': ['DE'], 'fr': ['FR'], 'es': ['ES'], 'pt': ['BR'], 'ja': ['JP'],
                'hi': ['IN']}
ADDR_LANG = {'US': 'en', 'UK': 'uk', 'AU': 'au', 'DE': 'de', 'FR': 'fr', 'ES': 'es', 'BR': 'pt', 'JP': 'ja', 'IN': 'hi'}
FIELD_NAMES = {
    'en': {'email': ['email', 'emailAddress', 'email_address', 'contactEmail'], 'phone': ['phone', 'phoneNumber', 'mobile', 'msisdn', 'contact_phone'],
           'dob': ['dateOfBirth', 'dob', 'birthDate', 'date_of_birth'], 'address': ['addressLine1', 'street', 'line1', 'address_line_1'],
           'password': ['password', 'passwd', 'pwd', 'new_password', 'currentPassword'], 'national_id': ['nationalId', 'national_insurance_number', 'nino', 'idNumber'],
           'tax_id': ['taxId', 'tin', 'tax_identification_number', 'taxpayerId'], 'iban': ['iban', 'payoutIban', 'beneficiary_iban'],
           'card_number': ['cardNumber', 'pan', 'card_number', 'number'], 'passport': ['passportNumber', 'passport_no', 'documentNumber'],
           'member_id': ['memberId', 'member_id', 'subscriberId', 'insuranceMemberId'], 'nhs_number': ['nhsNumber', 'nhs_no'],
           'medicare_number': ['medicareNumber', 'medicare_id', 'mbi'], 'ssn': ['ssn', 'socialSecurityNumber', 'ssn_full'],
           'bank_account': ['accountNumber', 'account_number', 'bankAccount'], 'frequent_flyer': ['frequentFlyerNumber', 'loyaltyNumber', 'ffn'],
           'otp': ['otp', 'mfaCode', 'verification_code', 'totp']},
    'de': {'email': ['E-Mail', 'email'], 'phone': ['telefonnummer', 'Telefon', 'mobilnummer'], 'dob': ['geburtsdatum', 'Geburtsdatum'],
           'address': ['strasse', 'anschrift', 'Straße_Hausnummer'], 'password': ['passwort', 'Kennwort', 'neues_passwort'],
           'national_id': ['personalausweisnummer', 'ausweisnummer'], 'tax_id': ['steuer_id', 'Steuer-IdNr', 'steueridentifikationsnummer'],
           'iban': ['iban', 'bankverbindung_iban'], 'passport': ['reisepassnummer', 'passnummer'], 'member_id': ['versichertennummer', 'krankenversichertennummer'],
           'card_number': ['kartennummer'], 'bank_account': ['kontonummer'], 'frequent_flyer': ['vielfliegernummer'], 'otp': ['einmalcode', 'bestaetigungscode']},
    'fr': {'email': ['courriel', 'adresse_email', 'e-mail'], 'phone': ['téléphone', 'telephone_portable', 'numéro_de_téléphone'],
           'dob': ['date_de_naissance', 'dateNaissance'], 'address': ['adresse', 'adresse_postale'], 'password': ['mot_de_passe', 'motDePasse'],
           'national_id': ['numero_securite_sociale', 'NIR', 'numéro_sécu'], 'tax_id': ['numero_fiscal', 'numéro_fiscal_de_référence'],
           'iban': ['iban', 'rib_iban'], 'passport': ['numero_passeport', 'numéro_de_passeport'], 'member_id': ['numero_adherent', 'numéro_de_mutuelle'],
           'card_number': ['numero_carte', 'numéro_de_carte'], 'bank_account': ['numero_de_compte'], 'frequent_flyer': ['numero_flying_blue'], 'otp': ['code_de_vérification']},
    'es': {'email': ['correo', 'correo_electrónico', 'email'], 'phone': ['teléfono', 'telefono_movil', 'celular'], 'dob': ['fecha_de_nacimiento', 'fechaNacimiento'],
           'address': ['dirección', 'domicilio', 'direccion_envio'], 'password': ['contraseña', 'clave', 'contrasena'],
           'national_id': ['dni', 'documento_identidad', 'nie_dni'], 'tax_id': ['nif', 'numero_identificacion_fiscal'], 'iban': ['iban', 'cuenta_iban'],
           'passport': ['numero_pasaporte', 'pasaporte'], 'member_id': ['numero_afiliado', 'tarjeta_sanitaria'], 'card_number': ['numero_tarjeta', 'tarjeta'],
           'bank_account': ['numero_cuenta'], 'frequent_flyer': ['numero_viajero_frecuente'], 'otp': ['codigo_verificacion', 'código']},
    'pt': {'email': ['e-mail', 'email', 'endereco_email'], 'phone': ['telefone', 'celular', 'telefone_contato'], 'dob': ['data_de_nascimento', 'dataNascimento', 'nascimento'],
           'address': ['endereço', 'logradouro', 'endereco_entrega'], 'password': ['senha', 'senhaAtual', 'nova_senha'],
           'national_id': ['cpf', 'numero_cpf'], 'tax_id': ['cpf_cnpj', 'cpf'], 'iban': ['iban', 'conta_iban'], 'passport': ['numero_passaporte', 'passaporte'],
           'member_id': ['numero_carteirinha', 'carteirinha_plano'], 'card_number': ['numero_cartao', 'cartão'], 'bank_account': ['conta_corrente', 'numero_conta'],
           'frequent_flyer': ['numero_fidelidade', 'smiles_numero'], 'otp': ['codigo_verificacao', 'token_sms']},
    'ja': {'email': ['メールアドレス', 'メール'], 'phone': ['電話番号', '携帯電話番号'], 'dob': ['生年月日'], 'address': ['住所', '番地'],
           'password': ['パスワード', '暗証番号'], 'national_id': ['マイナンバー', '個人番号'], 'tax_id': ['マイナンバー', '個人番号'], 'iban': ['口座IBAN'],
           'passport': ['旅券番号', 'パスポート番号'], 'member_id': ['被保険者番号', '保険証記号番号'], 'card_number': ['カード番号'], 'bank_account': ['口座番号'],
           'frequent_flyer': ['マイレージ会員番号'], 'otp': ['確認コード', 'ワンタイムパスワード']},
    'hi': {'email': ['ईमेल', 'email'], 'phone': ['फ़ोन_नंबर', 'मोबाइल'], 'dob': ['जन्म_तिथि', 'जन्मतिथि'], 'address': ['पता', 'पता_पंक्ति_1'],
           'password': ['पासवर्ड', 'कूटशब्द'], 'national_id': ['आधार_संख्या', 'आधार'], 'tax_id': ['पैन', 'पैन_नंबर'], 'iban': ['iban'],
           'passport': ['पासपोर्ट_संख्या'], 'member_id': ['सदस्य_आईडी', 'बीमा_सदस्य_संख्या'], 'card_number': ['कार्ड_नंबर'], 'bank_account': ['बैंक_खाता_संख्या', 'खाता_संख्या'],
           'frequent_flyer': ['फ़्रीक्वेंट_फ़्लायर_नंबर'], 'otp': ['ओटीपी', 'सत्यापन_कोड']},
}


def fname(canon, lang):
    names = FIELD_NAMES.get(lang, {}).get(canon) or FIELD_NAMES['en'][canon]
    return ch(names)


def national_id_value(country):
    """(value, kind) of the national identifier of a country."""
    if country == 'US':
        return ssn(), 'ssn'
    if country == 'UK':
        return nino(), 'national_id'
    if country == 'DE':
        return rs(9, 'CFGHJKLMNPRTVWXYZ0123456789'), 'national_id'
    if country == 'FR':
        return nir_fr(), 'national_id'
    if country == 'ES':
        return dni_es(), 'national_id'
    if country == 'BR':
        return cpf(), 'national_id'
    if country == 'JP':
        return my_number(), 'national_id'
    if country == 'IN':
        return aadhaar(), 'national_id'
    return rs(9, DIG), 'national_id'


def tfn_au():
    w = [1, 4, 3, 7, 5, 8, 6, 9, 10]
    while True:
        d = [R.randrange(10) for _ in range(9)]
        if sum(a * b for a, b in zip(d, w)) % 11 == 0:
            v = ''.join(map(str, d))
            return ch([v, '%s %s %s' % (v[:3], v[3:6], v[6:])])


def tax_id_value(country):
    if country == 'US':
        return itin(), 'tax_id'
    if country == 'DE':
        return steuer_id(), 'tax_id'
    if country == 'IN':
        return pan_india(), 'tax_id'
    if country == 'AU':
        return tfn_au(), 'tax_id'
    if country == 'FR':
        return ch('0123') + rs(12, DIG), 'tax_id'
    if country == 'ES':
        return dni_es(), 'tax_id'
    if country == 'BR':
        return cpf(), 'tax_id'
    if country == 'JP':
        return my_number(), 'tax_id'
    return rs(10, DIG), 'tax_id'       # UK UTR


def member_value(country):
    if country == 'UK':
        return nhs_number(), 'nhs_number'
    if country == 'AU':
        return medicare_au(), 'medicare_number'
    if country == 'US' and chance(0.5):
        return mbi_us(), 'medicare_number'
    if country == 'DE':
        return ch(UP) + rs(9, DIG), 'member_id'     # Krankenversichertennummer shape
    return member_id(), 'member_id'


def pii(canon, country, lang):
    """One personal-data value: (F, canonical field)."""
    al = ADDR_LANG[country]
    if canon == 'email':
        return S(email(), 'email')
    if canon == 'phone':
        return S(phone(country), 'phone')
    if canon == 'dob':
        return S(dob(lang if lang != 'en' else ('en' if country == 'US' else ch(['en', 'fr']))), 'dob')
    if canon == 'address':
        return S(address(al), 'address')
    if canon == 'password':
        return S(password(), 'password')
    if canon == 'national_id':
        v, k = national_id_value(country)
        return S(v, k)
    if canon == 'tax_id':
        v, k = tax_id_value(country)
        return S(v, k)
    if canon == 'iban':
        return S(iban({'DE': 'DE', 'FR': 'FR', 'ES': 'ES', 'UK': 'GB', 'BR': 'BR'}.get(country)), 'iban')
    if canon == 'card_number':
        return S(card_number(), 'card_number')
    if canon == 'passport':
        return S(passport({'UK': 'GB'}.get(country, country)), 'passport')
    if canon == 'member_id':
        v, k = member_value(country)
        return S(v, k)
    if canon == 'ssn':
        return S(ssn(), 'ssn')
    if canon == 'bank_account':
        return S(bank_account(), 'bank_account')
    if canon == 'frequent_flyer':
        return S(frequent_flyer(), 'frequent_flyer')
    if canon == 'otp':
        return S(otp(), 'otp')
    raise ValueError(canon)


IATA = ['FRA', 'JFK', 'NRT', 'DEL', 'GRU', 'SYD', 'LHR', 'CDG', 'MAD', 'BOM', 'HND', 'MUC', 'LIS', 'GIG', 'MEL']
FLIGHTS = ['LH400', 'BA117', 'NH9', 'AI101', 'LA8084', 'QF1', 'AF006', 'IB6251', 'TP207', 'JL43', 'UA901']
INDUSTRIES = ['healthcare', 'fintech', 'travel', 'ecommerce', 'hr', 'auth']
IND_SECRETS = {
    'healthcare': ['member_id', 'member_id', 'dob', 'email', 'phone', 'address', 'national_id'],
    'fintech': ['iban', 'card_number', 'card_number', 'bank_account', 'tax_id', 'dob', 'email', 'phone', 'ssn'],
    'travel': ['passport', 'passport', 'frequent_flyer', 'dob', 'email', 'phone', 'national_id'],
    'ecommerce': ['address', 'address', 'address', 'phone', 'email', 'card_number', 'password'],
    'hr': ['national_id', 'tax_id', 'dob', 'iban', 'bank_account', 'email', 'phone', 'address', 'address', 'ssn'],
    'auth': ['email', 'password', 'password', 'otp', 'phone'],
}


def keep_fields(ind, n, camel=True):
    def nm(c, s):
        return c if camel else s
    ms = rtime()
    pool = {
        'healthcare': [(nm('claimId', 'claim_id'), lambda: K(claim_id())), (nm('providerNpi', 'provider_npi'), lambda: K(npi())),
                       (nm('planCode', 'plan_code'), lambda: K(ch(['PPO-GOLD-2025', 'HMO-SILVER-24', 'EPO-BRONZE', 'MEDIGAP-G']))),
                       (nm('encounterId', 'encounter_id'), lambda: K(uuid4())), (nm('serviceDate', 'service_date'), lambda: K(t_iso(ms)[:10])),
                       (nm('groupNumber', 'group_number'), lambda: K('GRP-%06d' % R.randrange(10 ** 6))),
                       (nm('billedAmount', 'billed_amount'), lambda: K(amount()))],
        'fintech': [(nm('routingNumber', 'routing_number'), lambda: K(routing_number())), ('bic', lambda: K(swift_bic())),
                    ('amount', lambda: K(amount())), ('currency', lambda: K(currency())),
                    (nm('transactionId', 'transaction_id'), lambda: K('txn_' + rs(24))), (nm('merchantId', 'merchant_id'), lambda: K('MID%09d' % R.randrange(10 ** 9))),
                    ('mcc', lambda: K(ch(['5411', '5812', '4511', '5999', '6011']))), ('cvv', lambda: K(ch(['***', '****', '[MASKED]']))),
                    (nm('cardLast4', 'card_last4'), lambda: K('%04d' % R.randrange(10000))), (nm('swiftCode', 'swift_code'), lambda: K(swift_bic()))],
        'travel': [(nm('bookingReference', 'booking_reference'), lambda: K(booking_ref())), (nm('flightNumber', 'flight_number'), lambda: K(ch(FLIGHTS))),
                   ('origin', lambda: K(ch(IATA))), ('destination', lambda: K(ch(IATA))), (nm('departureDate', 'departure_date'), lambda: K(t_iso(ms)[:10])),
                   ('seat', lambda: K('%d%s' % (R.randrange(10, 60), ch('ABCDEFK')))), (nm('totalFare', 'total_fare'), lambda: K(amount())),
                   (nm('pnr', 'pnr'), lambda: K(booking_ref()))],
        'ecommerce': [(nm('orderId', 'order_id'), lambda: K(order_no())), ('sku', lambda: K('SKU-%05d' % R.randrange(10 ** 5))),
                      (nm('total', 'total'), lambda: K(amount())), ('currency', lambda: K(currency())),
                      (nm('trackingNumber', 'tracking_number'), lambda: K(tracking_no())), (nm('couponCode', 'coupon_code'), lambda: K(ch(['SPRING25', 'WELCOME10', 'FREESHIP']))),
                      (nm('cartId', 'cart_id'), lambda: K(uuid4()))],
        'hr': [(nm('employeeId', 'employee_id'), lambda: K(employee_id())), (nm('costCenter', 'cost_center'), lambda: K('CC-%04d' % R.randrange(10 ** 4))),
               ('department', lambda: K(ch(['Finance', 'Engineering', 'Operations', 'Vertrieb', 'Ressources humaines']))),
               (nm('startDate', 'start_date'), lambda: K(t_iso(ms)[:10])), (nm('jobCode', 'job_code'), lambda: K('ENG-%d' % R.randrange(1, 9))),
               (nm('payrollRunId', 'payroll_run_id'), lambda: K('PR-%s' % rs(10, UALNUM)))],
        'auth': [(nm('clientId', 'client_id'), lambda: K(app_client_id())), (nm('deviceId', 'device_id'), lambda: K(uuid4())),
                 ('scope', lambda: K(ch(['openid email', 'orders:read orders:write', 'profile']))),
                 (nm('redirectUri', 'redirect_uri'), lambda: K('https://app.example.com/callback')),
                 (nm('tenantId', 'tenant_id'), lambda: K('t-' + rs(8, LALNUM)))],
    }[ind]
    picks = R.sample(pool, min(n, len(pool)))
    return [(k, f()) for k, f in picks]


def industry_fields(ind, country, lang, n_secret, n_keep=None, camel=None):
    """[(field name, F)] mixing n_secret personal-data fields and some keep fields."""
    camel = chance(0.5) if camel is None else camel
    out, used = [], set()
    for _ in range(n_secret):
        canon = ch(IND_SECRETS[ind])
        if canon in used:
            continue
        used.add(canon)
        name = fname(canon, lang)
        if lang == 'en' and not camel:
            name = re.sub(r'([a-z])([A-Z])', r'\1_\2', name).lower()
        out.append((name, pii(canon, country, lang)))
    keeps = keep_fields(ind, R.randrange(2, 5) if n_keep is None else n_keep, camel)
    allf = out + keeps
    R.shuffle(allf)
    return allf


def nest_fields(ind, fields):
    """Put fields into a plausible nested body for the industry."""
    if not fields:
        return {}
    k = R.randrange(4)
    d = dict(fields)
    if k == 0:
        return d
    wrapper = {'healthcare': ch(['patient', 'member', 'subscriber']), 'fintech': ch(['payer', 'beneficiary', 'account']),
               'travel': 'passengers', 'ecommerce': ch(['shipping', 'customer']), 'hr': ch(['employee', 'worker']),
               'auth': ch(['credentials', 'user'])}[ind]
    items = list(d.items())
    cut = R.randrange(1, len(items) + 1)
    inner, outer = dict(items[:cut]), dict(items[cut:])
    if wrapper == 'passengers' or k == 3:
        body = {wrapper: [inner]}
    else:
        body = {wrapper: inner}
    body.update(outer)
    if k == 2:
        body = {'data': body, 'meta': {'requestId': K(uuid4()), 'version': K(version())}}
    return body


# ----------------------------------------------------------------------------------------------------------------
# Connection strings, errors, stack traces
# ----------------------------------------------------------------------------------------------------------------

def rds_host(region):
    return '%s.cluster-%s.%s.rds.amazonaws.com' % (ch(['orders-db', 'claims-pg', 'payroll-aurora', 'bookings']),
                                                   rs(12, LALNUM), region)


CONN_KINDS = ['postgres', 'mongodb', 'redis', 'amqp', 'mysql', 'jdbc', 'sqlserver', 'sqlalchemy', 'upstash']


def conn_string(region, clean=False, kind=None):
    """A connection string; the password (if any) is labelled connection_string_password."""
    pw = C('****') if clean and chance(0.5) else (None if clean else S(url_password(), 'connection_string_password'))
    user = K(ch(['app_rw', 'orders_svc', 'claims_app', 'payroll', 'booking_api', 'admin', 'reporter']))
    k = CONN_KINDS.index(kind) if kind else R.randrange(9)
    if k == 0:
        host = K(rds_host(region))
        return C('postgres://', user, (C(':', pw) if pw else ''), '@', host, ':5432/', ch(['orders', 'claims', 'payroll']),
                 ch(['', '?sslmode=require', '?sslmode=verify-full&application_name=api']))
    if k == 1:
        return C('mongodb+srv://', user, (C(':', pw) if pw else ''), '@', K('cluster0.%s.mongodb.net' % rs(5, LALNUM)),
                 '/', ch(['shop', 'bookings', 'members']), '?retryWrites=true&w=majority')
    if k == 2:
        return C(ch(['redis://', 'rediss://']), (C(':', pw, '@') if pw else ''),
                 K('%s.%s.cache.amazonaws.com' % (ch(['sessions', 'rate-limit', 'cart-cache']), rs(6, LALNUM))), ':6379/0')
    if k == 3:
        return C(ch(['amqp://', 'amqps://']), user, (C(':', pw) if pw else ''), '@', K('b-%s.mq.%s.amazonaws.com' % (uuid4(), region)),
                 ':5671/', ch(['%2F', 'orders', 'events']))
    if k == 4:
        return C('mysql://', user, (C(':', pw) if pw else ''), '@', K(rds_host(region)), ':3306/', ch(['shop', 'crm']))
    if k == 5:
        return C('jdbc:postgresql://', K(rds_host(region)), ':5432/claims?user=', user, (C('&password=', pw) if pw else ''), '&ssl=true')
    if k == 6:
        return C('Server=tcp:', K('sql-%s.database.windows.net' % rs(6, LALNUM)), ',1433;Database=payroll;User Id=', user,
                 (C(';Password=', pw) if pw else ''), ';Encrypt=True;TrustServerCertificate=False')
    if k == 7:
        return C('postgresql+psycopg2://', user, (C(':', pw) if pw else ''), '@', K(rds_host(region)), ':5432/', 'reporting')
    return C('rediss://default', (C(':', pw) if pw else ''), '@', K('%s.upstash.example.net' % rs(8, LALNUM)), ':6379')


def integration_error(region, clean):
    """An error text as a Lambda or HTTP integration reports it (may contain newlines)."""
    if clean:
        return C(ch(['Internal server error', 'Endpoint request timed out',
                     'Task timed out after %d.%02d seconds' % (R.randrange(3, 30), R.randrange(100)),
                     'Execution failed due to configuration error: Malformed Lambda proxy response',
                     'Error: connect ECONNREFUSED %s:5432' % ip4(),
                     'ThrottlingException: Rate exceeded (Service: Lambda, Status Code: 429, Request ID: %s)' % uuid4()]))
    k = R.randrange(6)
    cs = conn_string(region, kind=[ch(['mongodb']), ch(['postgres', 'mysql']), 'sqlalchemy', 'redis', 'jdbc', 'amqp'][k])
    if k == 0:
        return C('MongoServerSelectionError: connection <monitor> to ', ip4(), ':27017 closed\n    at Timeout._onTimeout (/var/task/node_modules/mongodb/lib/sdam/topology.js:292:38) {\n  uri: \'', cs, '\'\n}')
    if k == 1:
        return C('Error: Invalid connection string "', cs, '"\n    at parseUrl (/var/task/node_modules/pg-connection-string/index.js:31:11)\n    at new ConnectionParameters (/var/task/node_modules/pg/lib/connection-parameters.js:56:42)')
    if k == 2:
        return C('(psycopg2.OperationalError) could not translate host name to address: Name or service not known\n(Background on this error at: https://sqlalche.me/e/20/e3q8) url=', cs)
    if k == 3:
        return C('redis.exceptions.ConnectionError: Error 110 connecting to ', cs, '. Connection timed out.')
    if k == 4:
        return C('org.postgresql.util.PSQLException: Connection to ', cs, ' refused. Check that the hostname and port are correct\n\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:352)\n\tat org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)')
    return C('pika.exceptions.AMQPConnectionError: ', cs, ' - ConnectionRefusedError(111, \'Connection refused\')')


def esc_nl(f):
    """Newlines written as the two characters \\n (how a text shipper writes a multi-line message on one line)."""
    return f.map(lambda t: t.replace('\r', '\\r').replace('\n', '\\n').replace('\t', '\\t'))


# ----------------------------------------------------------------------------------------------------------------
# A request through the API Gateway front door
# ----------------------------------------------------------------------------------------------------------------
ROUTES = {
    'healthcare': [('GET', '/v1/members/{memberId}/claims'), ('POST', '/v1/claims'), ('GET', '/fhir/R4/Patient/{id}'),
                   ('POST', '/v2/eligibility/check'), ('PUT', '/v1/patients/{patientId}/contact'), ('POST', '/v1/appointments')],
    'fintech': [('POST', '/v1/payments'), ('POST', '/v1/accounts/{accountId}/transfers'), ('POST', '/v1/cards/tokenize'),
                ('POST', '/v2/kyc/verify'), ('GET', '/v1/payouts/{payoutId}'), ('POST', '/v1/mandates')],
    'travel': [('GET', '/v1/bookings/{bookingRef}'), ('POST', '/v1/bookings/{bookingRef}/passengers'), ('POST', '/v2/checkin'),
               ('GET', '/v1/loyalty/{memberId}/statement'), ('PUT', '/v1/bookings/{bookingRef}/apis')],
    'ecommerce': [('POST', '/v1/orders'), ('GET', '/v1/orders/{orderId}'), ('POST', '/v1/cart/{cartId}/checkout'),
                  ('PUT', '/v1/customers/{customerId}/addresses/{addressId}'), ('GET', '/v1/products/{sku}')],
    'hr': [('GET', '/v1/employees/{employeeId}'), ('POST', '/v1/payroll/runs'), ('POST', '/v1/onboarding/{caseId}/documents'),
           ('PUT', '/v1/employees/{employeeId}/bank-details'), ('POST', '/v1/tax-forms/w4')],
    'auth': [('POST', '/oauth2/token'), ('POST', '/v1/auth/login'), ('POST', '/v1/auth/refresh'), ('POST', '/v1/users/{userId}/mfa/verify'),
             ('POST', '/v1/password/reset'), ('GET', '/oauth2/authorize'), ('POST', '/graphql'), ('POST', '/saml/acs'), ('POST', '/saml/acs'),
             ('POST', '/soap/AccountService')],
}


def path_param_value(name):
    if name == 'bookingRef':
        return K(booking_ref())
    if name == 'orderId':
        return K(order_no())
    if name == 'sku':
        return K('SKU-%05d' % R.randrange(10 ** 5))
    if name in ('cartId', 'caseId'):
        return K(uuid4())
    if name == 'employeeId':
        return K(employee_id())
    return K(ch([str(R.randrange(1000, 10 ** 8)), uuid4()]))


class Scn:
    pass


def soap_body(s, clean):
    pw = K('****') if clean else S(password(), 'password')
    user = K(ch(['svc-partner-%d' % R.randrange(10, 99), 'b2b_gateway', 'legacy-crm']))
    inner = []
    for n, v in industry_fields(ch(['healthcare', 'fintech', 'hr']), s.country, 'en', 0 if clean else R.randrange(1, 3), camel=True):
        tag = n[0].upper() + n[1:]
        inner.append(C('<acc:', tag, '>', tof(v).map(xesc), '</acc:', tag, '>'))
    return C('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:acc="http://example.com/account/v2">',
             '<soapenv:Header><wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" ',
             'xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken wsu:Id="UsernameToken-',
             K(rs(32, UHEX)), '"><wsse:Username>', user, '</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">',
             pw.map(xesc), '</wsse:Password><wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">',
             K(b64_of_bytes(16)), '</wsse:Nonce><wsu:Created>', K(t_iso(s.ms)), '</wsu:Created></wsse:UsernameToken></wsse:Security></soapenv:Header>',
             '<soapenv:Body><acc:UpdateAccount>', C(*inner), '</acc:UpdateAccount></soapenv:Body></soapenv:Envelope>')


def saml_form(s, clean):
    mail = email()
    assertion = ('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0" IssueInstant="%s" '
                 'Destination="https://%s/saml/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.com/%s</saml:Issuer>'
                 '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">%s</saml:NameID>'
                 '</saml:Subject><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>%s</ds:SignatureValue></ds:Signature></saml:Assertion></samlp:Response>'
                 % (rs(40, HEX), t_iso(s.ms), s.host, rs(20, ALNUM), mail, b64_of_bytes(128)))
    b = base64.b64encode(assertion.encode()).decode()
    relay = K(ch(['/dashboard', 'https://app.example.com/claims', 'ss:mem:' + rs(32, HEX)]))
    if clean:
        return C('RelayState=', relay.map(pct_form), '&SigAlg=', K(pct_form('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')))
    return C('SAMLResponse=', S(b, 'saml_response').map(pct_form), '&RelayState=', relay.map(pct_form))


def graphql_body(s, clean, mode='std'):
    if s.industry == 'auth' or chance(0.3):
        if clean:
            return jd({'operationName': 'Me', 'query': 'query Me { me { id locale plan } }', 'variables': {}}, mode)
        var = {'email': S(email(), 'email'), 'password': S(password(), 'password')}
        return jd({'operationName': 'Login', 'variables': var,
                   'query': 'mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    accessToken\n    expiresIn\n  }\n}\n'}, mode)
    fields = industry_fields(s.industry, s.country, s.lang, 0 if clean else R.randrange(1, 3))
    op = {'healthcare': 'SubmitClaim', 'fintech': 'CreatePayout', 'travel': 'AddPassenger', 'ecommerce': 'PlaceOrder',
          'hr': 'UpdateEmployee'}[s.industry]
    return jd({'operationName': op, 'variables': {'input': dict(fields)},
               'query': 'mutation %s($input: %sInput!) { %s(input: $input) { id status } }' % (op, op, op[0].lower() + op[1:])}, mode)


def auth_body(s, clean):
    """(content-type, body F, response F) for an authentication route."""
    r = s.route
    lang = s.lang
    if r == '/oauth2/token':
        g = ch(['password', 'authorization_code', 'refresh_token', 'client_credentials'])
        cid = K(app_client_id())
        if clean:
            body = C('grant_type=', g, '&client_id=', cid, '&scope=', K('orders%2Fread'))
        elif g == 'password':
            body = C('grant_type=password&username=', S(email(), 'email').map(pct_form), '&password=', S(password(), 'password').map(pct_form), '&client_id=', cid)
        elif g == 'authorization_code':
            body = C('grant_type=authorization_code&code=', S(oauth_code(), 'oauth_code'), '&redirect_uri=', K(pct_form('https://app.example.com/callback')),
                     '&client_id=', cid, '&code_verifier=', S(pkce_verifier(), 'pkce_verifier'))
        elif g == 'refresh_token':
            body = C('grant_type=refresh_token&refresh_token=', S(cognito_refresh() if chance(0.3) else rs(64, B64U), 'refresh_token'), '&client_id=', cid)
        else:
            body = C('grant_type=client_credentials&client_id=', cid, '&client_secret=', S(client_secret(), 'client_secret').map(pct_form))
        return 'application/x-www-form-urlencoded', body
    if r == '/v1/auth/login':
        d = {fname('email', lang): S(email(), 'email') if not clean else K('j***@example.com'),
             fname('password', lang): S(password(), 'password') if not clean else K('********'), 'rememberMe': chance(0.5)}
        return 'application/json', jd(d, s.jmode)
    if r == '/v1/auth/refresh':
        d = {'refreshToken': K('[FILTERED]') if clean else S(cognito_refresh() if chance(0.5) else rs(64, B64U), 'refresh_token'), 'clientId': K(app_client_id())}
        return 'application/json', jd(d, s.jmode)
    if r == '/v1/users/{userId}/mfa/verify':
        d = {fname('otp', lang): K('******') if clean else S(otp(), 'otp'), 'deviceKey': K('%s_%s' % (s.region, uuid4())),
             'challengeName': 'SOFTWARE_TOKEN_MFA'}
        return 'application/json', jd(d, s.jmode)
    if r == '/v1/password/reset':
        d = {'token': K('<hidden>') if clean else S(reset_token(), 'reset_token'), fname('password', lang): K('<hidden>') if clean else S(password(), 'password')}
        return 'application/json', jd(d, s.jmode)
    if r == '/oauth2/authorize':
        return None, None
    if r == '/graphql':
        return 'application/json', graphql_body(s, clean, s.jmode)
    if r == '/saml/acs':
        return 'application/x-www-form-urlencoded', saml_form(s, clean)
    return 'text/xml; charset=utf-8', soap_body(s, clean)


def token_response(s, clean):
    if clean:
        return jd({'token_type': 'Bearer', 'expires_in': 3600, 'scope': K('orders/read'), 'request_id': K(uuid4())}, s.jmode)
    if chance(0.5):
        return jd({'AuthenticationResult': {'AccessToken': S(jwt(), 'jwt'), 'ExpiresIn': 3600,
                                            'IdToken': S(jwt(id_token_claims(email(), s.region)), 'jwt'),
                                            'RefreshToken': S(cognito_refresh(), 'refresh_token'), 'TokenType': 'Bearer'},
                   'ChallengeParameters': {}}, s.jmode)
    at = jwt() if chance(0.6) else opaque_token()
    return jd({'access_token': S(at, 'jwt' if at.startswith('eyJ') else 'bearer_token'), 'token_type': 'Bearer',
               'expires_in': 3600, 'refresh_token': S(rs(64, B64U), 'refresh_token')}, s.jmode)


def scenario(clean, rest=None, industry=None, p=None):
    """One API request through the gateway with everything a log line might show."""
    s = Scn()
    s.clean = clean
    s.ms = rtime()
    s.region = ch(REGIONS)
    s.account = account_id()
    s.api = api_id()
    s.stage = ch(STAGES)
    s.rest = chance(0.6) if rest is None else rest
    s.reqid = uuid4() if s.rest else http_reqid()
    s.ext = ext_id()
    s.trace = trace_hdr(s.ms)
    s.ip = client_ip()
    s.ua = ua()
    s.host = company_host() if chance(0.6) else execute_api_host(s.api, s.region)
    s.industry = industry or ch(INDUSTRIES + ['auth'])
    s.lang = wch([('en', 36), ('de', 11), ('fr', 11), ('es', 11), ('pt', 11), ('ja', 10), ('hi', 10)])
    s.country = ch(LANG_COUNTRY[s.lang])
    s.jmode = wch([('std', 62), ('ascii', 12), ('at', 16), ('slash', 4), ('go', 6)])
    s.pool = user_pool_id(s.region)
    s.client_id = app_client_id()
    s.api_key_id = api_key_id()
    s.usage_plan = usage_plan_id()
    s.fn = ch(['orders-api', 'claims-handler', 'payments-svc', 'booking-api', 'payroll-api', 'auth-bff', 'kyc-worker']) + '-' + s.stage
    s.fn_arn = 'arn:aws:lambda:%s:%s:function:%s' % (s.region, s.account, s.fn)
    s.status = ch([200, 200, 200, 201, 202, 204, 400, 401, 403, 404, 409, 422, 429, 500, 502, 504])
    s.latency = R.randrange(8, 2900)
    s.int_latency = max(1, s.latency - R.randrange(1, 40))
    s.resp_len = R.randrange(0, 9000)
    p = p or {}
    pr_ = (lambda k, d: 0.0 if clean else p.get(k, d))
    # route
    method, route = ch(ROUTES[s.industry])
    params = re.findall(r'\{(\w+)\}', route)
    s.path_params = []
    path = route
    pf = []
    pos = 0
    for m in re.finditer(r'\{(\w+)\}', route):
        name = m.group(1)
        pf.append(route[pos:m.start()])
        if name == 'memberId' and chance(pr_('path', 0.5)):
            v, kd = member_value(s.country)
            val = S(v.replace(' ', ''), kd)
        else:
            val = path_param_value(name)
        s.path_params.append((name, val))
        pf.append(val.map(lambda t: pct(t, safe='')))
        pos = m.end()
    pf.append(route[pos:])
    if chance(pr_('email_path', 0.05)):
        route = '/v1/users/{email}/profile'
        mail = S(email(), 'email')
        s.path_params = [('email', mail)]
        pf = ['/v1/users/', mail.map(lambda t: pct(t, safe='')), '/profile']
        method = ch(['GET', 'PUT'])
    s.method, s.route = method, route
    s.path = C(*pf)
    s.route_key = '%s %s' % (method, route)
    s.resource_path = route
    # query
    s.query = keep_query_params()
    if chance(pr_('query', 0.3)) or (s.route == '/oauth2/authorize' and not clean):
        sq = secret_query_param(s.ms, s.region)
        s.query = s.query + sq
        R.shuffle(s.query)
    if s.route == '/oauth2/authorize':
        s.query = [('response_type', K('code')), ('client_id', K(s.client_id)),
                   ('redirect_uri', K('https://app.example.com/callback')), ('scope', K('openid email profile'))] + s.query
    # headers
    h = [('Host', K(s.host)), ('User-Agent', K(s.ua)), ('Accept', K(ch(['application/json', '*/*', 'application/fhir+json'])))]
    if chance(pr_('auth', 0.7)):
        h += inbound_auth(s.ms, s.region, s.route)
    elif clean and chance(0.4):
        h.append(('Authorization', K(ch(['Bearer ' + '*' * 12, 'REDACTED', '[FILTERED]', 'Bearer <redacted>', '****' + rs(6, HEX)]))))
    s.cookies = cookie_header(clean=not chance(pr_('cookie', 0.3)), n_keep=R.randrange(0, 3))
    if s.cookies:
        h.append(('Cookie', cookie_str(s.cookies)))
    h += [('X-Amzn-Trace-Id', K(s.trace)), ('X-Forwarded-For', K(s.ip if chance(0.6) else '%s, %s' % (s.ip, ip4()))),
          ('X-Forwarded-Port', K('443')), ('X-Forwarded-Proto', K('https'))]
    if chance(0.3):
        h.append(('X-Request-Id', K(uuid4())))
    if chance(0.2):
        h.append(('Accept-Language', K(ch(['de-DE,de;q=0.9,en;q=0.8', 'ja-JP', 'pt-BR,pt;q=0.9', 'hi-IN,en-IN;q=0.8', 'fr-FR']))))
    if chance(0.15):
        h.append(('If-None-Match', C('"', K(etag()), '"')))
    # body
    s.ctype, s.body, s.body_struct = None, None, None
    if s.industry == 'auth':
        s.ctype, s.body = auth_body(s, not chance(pr_('body', 0.85)))
    elif method in ('POST', 'PUT'):
        bclean = not chance(pr_('body', 0.7))
        k = wch([('json', 70), ('form', 10), ('graphql', 12), ('soap', 8)])
        if k == 'json':
            fields = industry_fields(s.industry, s.country, s.lang, 0 if bclean else R.randrange(1, 4))
            s.body_struct = nest_fields(s.industry, fields)
            s.ctype, s.body = 'application/json', jd(s.body_struct, s.jmode)
        elif k == 'form':
            fields = industry_fields(s.industry, s.country, s.lang, 0 if bclean else R.randrange(1, 3))
            s.ctype, s.body = 'application/x-www-form-urlencoded', JN('&', [C(pct_form(n), '=', tof(v).map(pct_form)) for n, v in fields])
        elif k == 'graphql':
            s.ctype, s.body = 'application/json', graphql_body(s, bclean, s.jmode)
        else:
            s.ctype, s.body = 'text/xml; charset=utf-8', soap_body(s, bclean)
    if s.ctype:
        h.insert(3, ('Content-Type', K(s.ctype)))
        h.insert(4, ('Content-Length', K(str(len(s.body.text().encode())))))
    s.headers = h
    # authorizer claims (Cognito) and Lambda authorizer context
    csec = not chance(pr_('claims', 0.5))
    mail = S(email(), 'email')
    s.claims = {'sub': K(uuid4()), 'cognito:groups': K(ch(['customers', 'admins', 'partners', 'clinicians'])),
                'iss': K('https://cognito-idp.%s.amazonaws.com/%s' % (s.region, s.pool)), 'client_id': K(s.client_id),
                'token_use': 'access', 'scope': K(ch(['orders/read orders/write', 'aws.cognito.signin.user.admin'])),
                'auth_time': K(str(s.ms // 1000 - R.randrange(30, 3000))), 'exp': K(t_java(s.ms + 3600000)),
                'event_id': K(uuid4())}
    if not csec:
        n_added = 0
        if chance(0.5):
            s.claims['email'] = mail
            n_added += 1
        if chance(0.35):
            s.claims['phone_number'] = S(phone_e164(s.country), 'phone')
            n_added += 1
        if chance(0.6) or not n_added:
            canon = ch(['dob', 'member_id', 'national_id', 'tax_id', 'passport', 'iban', 'frequent_flyer', 'ssn'])
            s.claims['custom:' + ch({'dob': ['birthdate', 'dob'], 'member_id': ['member_id', 'memberNo', 'versichertennummer'],
                                      'national_id': ['national_id', 'gov_id', 'cpf', 'aadhaar'], 'tax_id': ['tax_id', 'tin', 'steuer_id'],
                                      'passport': ['passport_no'], 'iban': ['payout_iban'], 'frequent_flyer': ['ffp_number'],
                                      'ssn': ['ssn']}[canon])] = pii(canon, s.country, s.lang)
    s.principal = 'user|' + rs(12, LALNUM)
    s.auth_ctx = {'principalId': K(s.principal), 'tenantId': K('t-' + rs(8, LALNUM)), 'plan': K(ch(['gold', 'free', 'enterprise'])),
                  'integrationLatency': R.randrange(1, 300)}
    if chance(pr_('authctx', 0.4)):
        k = ch(['email', 'token', 'apikey', 'vendor', 'vendor', 'dburl'])
        if k == 'email':
            s.auth_ctx['email'] = S(email(), 'email')
        elif k == 'token':
            s.auth_ctx[ch(['accessToken', 'upstreamToken', 'token'])] = S(jwt(), 'jwt')
        elif k == 'apikey':
            s.auth_ctx['usageIdentifierKey'] = S(apigw_key(), 'api_key')
        elif k == 'vendor':
            v = pick_vendor()
            s.auth_ctx[ch(['partnerKey', 'downstreamCredential', 'k'])] = vendor_env_value(v)
        else:
            s.auth_ctx['dbUrl'] = conn_string(s.region)
    # response
    s.resp_headers = [('Date', K(t_rfc1123(s.ms))), ('Content-Type', K('application/json')), ('Content-Length', K(str(s.resp_len))),
                      ('Connection', K('keep-alive')), ('x-amzn-RequestId', K(uuid4())), ('X-Amzn-Trace-Id', K(s.trace.split(';')[0]))]
    if chance(0.3):
        s.resp_headers.append(('ETag', C('"', K(etag()), '"')))
    if s.industry == 'auth' or chance(pr_('setcookie', 0.15)):
        s.resp_headers.append(('Set-Cookie', set_cookie(clean=not chance(pr_('setcookie', 0.6)), ms=s.ms)))
    if s.industry == 'auth' and s.route in ('/oauth2/token', '/v1/auth/login', '/v1/auth/refresh'):
        s.resp_body = token_response(s, not chance(pr_('resp', 0.6)))
    else:
        rb = {'id': K(order_no()), 'status': ch(['ACCEPTED', 'CONFIRMED', 'PENDING_REVIEW', 'OK']), 'createdAt': K(t_iso(s.ms))}
        if chance(pr_('resp', 0.25)):
            for n, v in industry_fields(s.industry, s.country, s.lang, 1, n_keep=1):
                rb[n] = v
        s.resp_body = jd(rb, s.jmode)
    s.err = integration_error(s.region, not chance(pr_('err', 0.25)))
    s.api_key_value = S(apigw_key(), 'api_key') if chance(pr_('apikey', 0.3)) else None
    s.stage_vars = {'env': K(s.stage), 'backendHost': K(ch(['internal.example.net', 'legacy.example.org', 'orders.svc.example.internal']))}
    if chance(pr_('stagevar', 0.3)):
        s.stage_vars[ch(['partnerKey', 'vendorToken', 'upstreamSecret', 'sv_k', 'billingApiKey', 'schlüssel', 'clave_proveedor'])] = vendor_env_value(pick_vendor())
    return s


# ----------------------------------------------------------------------------------------------------------------
# Record assembly and self-checks
# ----------------------------------------------------------------------------------------------------------------

class CheckFailed(Exception):
    pass


class Redraw(Exception):
    pass


STATS = collections.Counter()
KIND_RE = re.compile(r'^(?:[a-z][a-z0-9_]*|vendor:[a-z][a-z0-9_]*)$')


def find_all(hay, needle):
    out, i = [], hay.find(needle)
    while i >= 0:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def finalize(f):
    """Turn a fragment into (line, secrets, kinds, keeps, spans).  Raises Redraw for a draw that breaks a rule."""
    line = f.text()
    if '\n' in line or '\r' in line:
        raise CheckFailed('line contains CR or LF: %r' % line[:200])
    if len(line.encode('utf-8')) > MAX_LINE_BYTES:
        raise Redraw('too_long')
    spans, keeps, pos = [], [], 0
    for t, g in f.segs:
        e = pos + len(t)
        if isinstance(g, tuple):
            spans.append((pos, e, t, g[1]))
        elif g == 'K':
            keeps.append(t)
        pos = e
    secrets, kinds = [], []
    for a, b, t, k in spans:
        if t in secrets:
            if kinds[secrets.index(t)] != k:
                raise Redraw('kind_conflict')
            continue
        if len(t) < 6 or t != t.strip():
            raise Redraw('short_secret')
        secrets.append(t)
        kinds.append(k)
    occ = []
    for sct in secrets:
        for o in find_all(line, sct):
            e = o + len(sct)
            if not any((a == o and t == sct) or (a <= o and e <= b and b - a > len(sct)) for a, b, t, _ in spans):
                raise Redraw('accidental_copy')
            occ.append((o, e))
    out_keep = []
    for kp in keeps:
        if kp in out_keep or kp in secrets:
            continue
        if len(kp) < 3 or kp != kp.strip():
            STATS['keep_too_short'] += 1
            continue
        bad = any(sct in kp for sct in secrets)
        if not bad:
            for o in find_all(line, kp):
                e = o + len(kp)
                if any(o < b and a < e for a, b in occ):
                    bad = True
                    break
        if bad:
            STATS['keep_dropped_overlap'] += 1
            continue
        out_keep.append(kp)
    return line, secrets, kinds, out_keep, spans


JSON_LAYOUTS = set()       # layouts whose every line is a JSON object (filled below)
LAYOUT_NAMES = []


def check_record(rec, spans=None):
    if list(rec) != ['id', 'layout', 'line', 'secrets', 'kinds', 'keep']:
        raise CheckFailed('fields %r' % list(rec))
    lay = rec['layout']
    if lay not in LAYOUT_NAMES or not re.fullmatch(r'h8-%s-\d{4}' % re.escape(lay), rec['id']):
        raise CheckFailed('bad id/layout %s' % rec['id'])
    line = rec['line']
    if '\n' in line or '\r' in line or len(line.encode('utf-8')) > MAX_LINE_BYTES:
        raise CheckFailed('%s: CR/LF or too long' % rec['id'])
    sec, kinds, keep = rec['secrets'], rec['kinds'], rec['keep']
    if len(sec) != len(kinds) or len(set(sec)) != len(sec) or len(set(keep)) != len(keep) or not keep:
        raise CheckFailed('%s: list shape' % rec['id'])
    for k in kinds:
        if not KIND_RE.match(k):
            raise CheckFailed('%s: kind %s' % (rec['id'], k))
    occ = []
    for s_ in sec:
        if len(s_) < 6 or s_ != s_.strip() or s_ not in line:
            raise CheckFailed('%s: secret %r' % (rec['id'], s_))
        for o in find_all(line, s_):
            occ.append((o, o + len(s_)))
            if spans is not None:
                e = o + len(s_)
                if not any((a == o and t == s_) or (a <= o and e <= b and b - a > len(s_)) for a, b, t, _ in spans):
                    raise CheckFailed('%s: accidental copy of %r' % (rec['id'], s_))
    for kp in keep:
        if len(kp) < 3 or kp not in line:
            raise CheckFailed('%s: keep %r' % (rec['id'], kp))
        if any(s_ in kp for s_ in sec):
            raise CheckFailed('%s: keep contains secret %r' % (rec['id'], kp))
        for o in find_all(line, kp):
            if any(o < b and a < o + len(kp) for a, b in occ):
                raise CheckFailed('%s: keep overlaps secret %r' % (rec['id'], kp))
    if lay in JSON_LAYOUTS or line.startswith('{'):
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise CheckFailed('%s: JSON does not parse: %s' % (rec['id'], e))
        if not isinstance(obj, dict):
            raise CheckFailed('%s: JSON is not an object' % rec['id'])


# ================================================================================================================
# Layouts
# ================================================================================================================

# ---------------------------------------------------------------- access-log $context values ---------------------

def assumed_role_arn(s, session):
    role = ch(['PartnerInvokeRole', 'OrdersReadOnly', 'SupportConsoleAccess', 'ClaimsBatch'])
    return C(K('arn:aws:sts::%s:assumed-role/%s/' % (s.account, role)), session)


def access_values(s, clean):
    """[(context variable, F or int)] for access logs: keeps, plus personal data and credentials in non-clean
    records (1-3 secret-bearing variables)."""
    v = [('requestId', K(s.reqid)), ('identity.sourceIp', K(s.ip)), ('requestTime', K(t_clf(s.ms))),
         ('httpMethod', K(s.method)), ('routeKey' if not s.rest else 'resourcePath', K(s.route_key if not s.rest else s.resource_path)),
         ('status', K(str(s.status))), ('protocol', K(ch(['HTTP/1.1', 'HTTP/2.0']))), ('responseLength', K(str(s.resp_len)))]
    extra = [('extendedRequestId', K(s.ext)), ('xrayTraceId', K(trace_root(s.ms))), ('apiId', K(s.api)), ('stage', K(s.stage)),
             ('domainName', K(s.host)), ('identity.userAgent', K(s.ua)), ('integrationLatency', K(str(s.int_latency))),
             ('responseLatency', K(str(s.latency))), ('identity.apiKeyId', K(s.api_key_id)), ('requestTimeEpoch', K(str(s.ms))),
             ('integration.status', K(str(ch([200, 200, 500, 502])))), ('awsEndpointRequestId', K(uuid4())),
             ('integration.requestId', K(uuid4())), ('authorizer.principalId', K(s.principal)),
             ('identity.cognitoIdentityId', K('%s:%s' % (s.region, uuid4()))), ('authorizer.usagePlanId', K(s.usage_plan)), ('wafResponseCode', K(ch(['WAF_ALLOW', 'WAF_BLOCK']))),
             ('webaclArn', K('arn:aws:wafv2:%s:%s:regional/webacl/api-acl/%s' % (s.region, s.account, uuid4()))),
             ('authorizer.claims.sub', s.claims['sub']), ('authorizer.claims.client_id', s.claims['client_id']),
             ('authorizer.claims.cognito:groups', s.claims['cognito:groups']), ('authorizer.claims.scope', s.claims['scope']),
             ('authorizer.claims.exp', s.claims['exp']), ('authorizer.tenantId', s.auth_ctx['tenantId']),
             ('authorizer.integrationLatency', K(str(s.auth_ctx['integrationLatency']))),
             ('identity.clientCert.issuerDN', K('CN=Example Issuing CA %d,O=Example Corp,C=US' % R.randrange(1, 4))),
             ('identity.clientCert.serialNumber', K(':'.join(rs(2, UHEX) for _ in range(16)))),
             ('identity.clientCert.validity.notAfter', K('%s %2d %02d:%02d:%02d %d GMT' % (ch(MON), R.randrange(1, 29), R.randrange(24), R.randrange(60), R.randrange(60), R.randrange(2025, 2028)))),
             ('path', s.path if not s.path.has_secret() else K(s.stage and '/' + s.stage + s.route)),
             ('identity.caller', K('-')), ('identity.user', K('-'))]
    R.shuffle(extra)
    v += extra[:R.randrange(3, 10)]
    if clean:
        opts = [('error.message', K(ch(['Unauthorized', 'Forbidden', 'Missing Authentication Token', 'Limit Exceeded',
                                        'Endpoint request timed out', 'Invalid request body',
                                        "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '%s='." % rs(43, B64)]))),
                ('integrationErrorMessage', esc_nl(s.err)), ('identity.apiKey', K(ch(['-', '****' + rs(4, ALNUM)]))),
                ('identity.caller', K('AROA%s:%s' % (rs(17, B32), ch(['i-0' + rs(16, HEX), 'botocore-session-%d' % (s.ms // 1000)])))),
                ('requestOverride.header.X-Tenant', K('t-' + rs(8, LALNUM))), ('responseOverride.header.Cache-Control', K('no-store')),
                ('identity.clientCert.subjectDN', K('CN=device-%05d,OU=Kiosks,O=Example Retail,C=DE' % R.randrange(10 ** 5)))]
        R.shuffle(opts)
        return v + opts[:R.randrange(0, 3)]
    sec = []
    for k, val in s.claims.items():
        if tof(val).has_secret():
            sec.append(('authorizer.claims.' + k, val))
    for k, val in s.auth_ctx.items():
        if isinstance(val, F) and val.has_secret():
            sec.append(('authorizer.' + k, val))
    if s.path.has_secret():
        sec.append(('path', s.path))
    if s.err.has_secret():
        sec.append(('integrationErrorMessage', esc_nl(s.err)))
    if s.api_key_value is not None:
        sec.append(('identity.apiKey', s.api_key_value))
    cand = [
        lambda: ('identity.apiKey', S(apigw_key(), 'api_key')),
        lambda: ('identity.accessKey', S(aws_akid(), 'aws_access_key_id')),
        lambda: ('identity.caller', C(K('AROA%s:' % rs(17, B32)), S(email(), 'email'))),
        lambda: ('identity.userArn', assumed_role_arn(s, S(email(), 'email'))),
        lambda: ('identity.user', S(email(), 'email')),
        lambda: ('error.message', C("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                                    "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a "
                                    "'X-Amz-Date' or a 'Date' header. Authorization=Bearer ", S(jwt(), 'jwt'))),
        lambda: ('error.message', C('User: ', assumed_role_arn(s, S(email(), 'email')), ' is not authorized to perform: execute-api:Invoke on resource: ',
                                    K('arn:aws:execute-api:%s:%s:%s/%s/%s%s' % (s.region, s.account, s.api, s.stage, s.method, s.route)))),
        lambda: ('requestOverride.header.Authorization', C('Bearer ', S(opaque_token(), 'bearer_token'))),
        lambda: ('requestOverride.querystring.access_token', S(jwt(), 'jwt')),
        lambda: ('requestOverride.querystring.email', S(email(), 'email')),
        lambda: ('responseOverride.header.Set-Cookie', set_cookie(False, s.ms)),
        lambda: ('identity.clientCert.subjectDN', C('CN=', K(ch(['jdoe', 'partner-gw', 'pos-terminal-%d' % R.randrange(100)])), ',emailAddress=',
                                                    S(email(), 'email'), ',OU=', ch(['Claims', 'Treasury', 'Payroll']), ',O=Example Corp,C=', ch(['US', 'DE', 'JP']))),
        lambda: ('authorizer.' + ch(['accessToken', 'upstreamAuthorization']), S(jwt(), 'jwt')),
        lambda: ('authorizer.' + ch(['vendorKey', 'billingKey', 'cfg']), vendor_env_value(pick_vendor())),
        lambda: ('authorizer.claims.phone_number', S(phone_e164(s.country), 'phone')),
        lambda: ('authorizer.' + ch(['memberId', 'member', 'insuredId']), pii('member_id', s.country, s.lang)),
        lambda: ('authorizer.' + ch(['payoutIban', 'iban']), pii('iban', s.country, s.lang)),
        lambda: ('requestOverride.header.X-Customer-Phone', S(phone(s.country), 'phone')),
        lambda: ('authorizer.' + ch(['passport', 'docNumber']), pii('passport', s.country, s.lang)),
        lambda: ('authorizer.' + ch(['birthDate', 'dob']), pii('dob', s.country, s.lang)),
        (lambda c=ch(['national_id', 'tax_id']): ('authorizer.' + {'national_id': 'nationalId', 'tax_id': 'taxId'}[c], pii(c, s.country, s.lang))),
        (lambda c=ch(['dob', 'ssn', 'passport', 'iban']): ('authorizer.claims.custom:' + c, pii(c, s.country, s.lang))),
    ]
    R.shuffle(cand)
    want = R.randrange(1, 4)
    picked = sec[:want]
    for c in cand:
        if len(picked) >= want:
            break
        picked.append(c())
    names = set(k for k, _ in picked)
    v = [(k, val) for k, val in v if k not in names]
    return v + picked


def camel_key(sem):
    parts = [p for p in re.split(r'[.:]', sem) if p not in ('identity', 'context')]
    if parts and parts[0] == 'clientCert':
        parts[0] = 'cert'
    if parts[:1] == ['authorizer'] and len(parts) > 2 and parts[1] == 'claims':
        parts = parts[2:] if parts[2] != 'custom' else ['custom'] + parts[3:]
    out = parts[0] if parts else sem
    for p in parts[1:]:
        p = p.replace('-', '')
        out += p[:1].upper() + p[1:]
    return out.replace('-', '')


def snake_key(sem):
    c = camel_key(sem)
    return re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', c).lower()


LOCAL_KEYS = {
    'de': {'requestId': 'anfrage_id', 'identity.sourceIp': 'quell_ip', 'requestTime': 'zeitpunkt', 'httpMethod': 'methode',
           'status': 'statuscode', 'responseLength': 'antwort_bytes', 'authorizer.claims.email': 'benutzer_email',
           'error.message': 'fehlermeldung', 'integrationErrorMessage': 'integrationsfehler', 'identity.userAgent': 'browser',
           'identity.apiKey': 'api_schluessel', 'path': 'pfad'},
    'es': {'requestId': 'id_solicitud', 'identity.sourceIp': 'ip_origen', 'requestTime': 'hora', 'httpMethod': 'metodo',
           'status': 'estado', 'responseLength': 'bytes_respuesta', 'authorizer.claims.email': 'correo_usuario',
           'error.message': 'mensaje_error', 'integrationErrorMessage': 'error_integracion', 'identity.apiKey': 'clave_api', 'path': 'ruta'},
    'pt': {'requestId': 'id_requisicao', 'identity.sourceIp': 'ip_origem', 'requestTime': 'horario', 'httpMethod': 'metodo',
           'status': 'codigo_status', 'responseLength': 'tamanho_resposta', 'authorizer.claims.email': 'email_usuario',
           'error.message': 'mensagem_erro', 'integrationErrorMessage': 'erro_integracao', 'identity.apiKey': 'chave_api', 'path': 'caminho'},
    'fr': {'requestId': 'id_requete', 'identity.sourceIp': 'ip_source', 'requestTime': 'horodatage', 'httpMethod': 'methode',
           'status': 'statut', 'responseLength': 'taille_reponse', 'authorizer.claims.email': 'courriel_utilisateur',
           'error.message': 'message_erreur', 'integrationErrorMessage': 'erreur_integration', 'identity.apiKey': 'cle_api', 'path': 'chemin'},
}


def access_json(s, vals, scheme):
    if scheme == 'httpapi_default':
        keep = {'requestId', 'identity.sourceIp', 'requestTime', 'httpMethod', 'routeKey', 'status', 'protocol', 'responseLength'}
        d = {}
        for k, val in vals:
            key = {'identity.sourceIp': 'ip'}.get(k, camel_key(k)) if k in keep else camel_key(k)
            d[key] = val
        return d
    if scheme == 'literal':
        return {'$context.' + k: val for k, val in vals}
    if scheme == 'dotted':
        return {k: val for k, val in vals}
    if scheme == 'snake':
        return {snake_key(k): val for k, val in vals}
    if scheme in LOCAL_KEYS:
        return {LOCAL_KEYS[scheme].get(k, snake_key(k)): val for k, val in vals}
    if scheme == 'nested':
        d = {}
        for k, val in vals:
            parts = k.split('.')
            if len(parts) == 1:
                top = {'requestId': 'req', 'extendedRequestId': 'req', 'httpMethod': 'req', 'resourcePath': 'req',
                       'routeKey': 'req', 'path': 'req', 'requestTime': 'req', 'requestTimeEpoch': 'req', 'protocol': 'req',
                       'status': 'resp', 'responseLength': 'resp', 'responseLatency': 'resp', 'integrationLatency': 'integration',
                       'integrationErrorMessage': 'integration'}.get(k)
                if top:
                    d.setdefault(top, {})[{'requestId': 'id', 'extendedRequestId': 'extendedId', 'httpMethod': 'method',
                                            'requestTime': 'time', 'requestTimeEpoch': 'epoch', 'responseLength': 'length',
                                            'responseLatency': 'latency', 'integrationLatency': 'latency',
                                            'integrationErrorMessage': 'errorMessage'}.get(k, k)] = val
                else:
                    d[k] = val
            else:
                cur = d
                for p_ in parts[:-1]:
                    nxt = cur.setdefault(p_, {})
                    if not isinstance(nxt, dict):
                        nxt = cur.setdefault(p_ + '_', {})
                    cur = nxt
                cur[parts[-1]] = val
        return d
    return {camel_key(k): val for k, val in vals}


def typed(vals):
    """API Gateway writes unquoted $context values as JSON numbers."""
    out = []
    for k, val in vals:
        t = tof(val).text()
        if k in ('status', 'responseLength', 'integrationLatency', 'responseLatency', 'requestTimeEpoch') and t.isdigit() and chance(0.5):
            out.append((k, Raw(tof(val))))
        else:
            out.append((k, val))
    return out


def gen_apigw_json_access(clean, s=None):
    s = s or scenario(clean, rest=chance(0.55))
    vals = access_values(s, clean)
    if chance(0.3):
        vals = typed(vals)
    scheme = wch([('camel', 25), ('snake', 15), ('nested', 15), ('dotted', 10), ('literal', 10), ('httpapi_default', 10),
                  ('de', 4), ('es', 4), ('pt', 4), ('fr', 3)])
    d = access_json(s, vals, scheme)
    if chance(0.15):
        d = {ch(['apigw', 'access', 'log']): d, 'service': K(s.fn), 'env': K(s.stage)}
    # API Gateway substitutes $context values without JSON-escaping; a string that needs escaping would break the
    # line, so formats that quote such values use jd() escaping here (the $context.error.messageString style).
    return jd(d, ch(['std', 'std', 'std', 'std', 'ascii', 'at']), sp=chance(0.4))


def path_with_query(s):
    if s.query and chance(0.7):
        return C(s.path, '?', qs(s.query))
    return s.path


def clf_val(val):
    t = tof(val)
    return t if t.text() else C('-')


def gen_apigw_clf_access(clean, s=None):
    s = s or scenario(clean, p={'query': 0.45})
    vals = access_values(s, clean)
    d = collections.OrderedDict(vals)
    variant = R.randrange(3)
    if variant == 0:
        # the documentation's CLF plus k="v" trailers
        head = C(d.pop('identity.sourceIp'), ' ', clf_val(d.pop('identity.caller', K('-'))), ' ', clf_val(d.pop('identity.user', K('-'))),
                 ' [', d.pop('requestTime'), '] "', d.pop('httpMethod'), ' ',
                 d.pop('resourcePath', None) or d.pop('routeKey'), ' ', d.pop('protocol'), '" ', d.pop('status'), ' ',
                 d.pop('responseLength'), ' ', d.pop('requestId'))
        if 'extendedRequestId' in d:
            head = C(head, ' ', d.pop('extendedRequestId'))
        trail = [C(camel_key(k), '="', esc_nl(tof(v)), '"') for k, v in d.items()]
        return C(head, ' ' if trail else '', JN(' ', trail))
    if variant == 1:
        # nginx-like: path with query string, referer and user agent
        d.pop('resourcePath', None)
        d.pop('routeKey', None)
        d.pop('path', None)
        uagent = d.pop('identity.userAgent', K(s.ua))
        head = C(d.pop('identity.sourceIp'), ' - ', clf_val(d.pop('identity.user', K('-'))), ' [', d.pop('requestTime'), '] "',
                 d.pop('httpMethod'), ' ', path_with_query(s), ' ', d.pop('protocol'), '" ', d.pop('status'), ' ', d.pop('responseLength'),
                 ' "', ch(['-', 'https://app.example.com/', 'https://www.example.org/checkout']), '" "', uagent, '" rid=', d.pop('requestId'))
        trail = [C(snake_key(k), '=', esc_nl(tof(v)) if ' ' not in tof(v).text() else C('"', esc_nl(tof(v)), '"')) for k, v in d.items()]
        return C(head, ' ' if trail else '', JN(' ', trail))
    # Apache-like with tab-free combined format and latency in ms
    d.pop('resourcePath', None)
    d.pop('routeKey', None)
    pth = d.pop('path', None) or s.path
    head = C('[', d.pop('requestTime'), '] ', d.pop('identity.sourceIp'), ' "', d.pop('httpMethod'), ' ',
             pth, '" ', d.pop('status'), ' ',
             d.pop('responseLength'), 'b ', K(str(s.latency) + 'ms'), ' ', d.pop('requestId'))
    trail = [C(camel_key(k), ':"', esc_nl(tof(v)), '"') for k, v in d.items()]
    return C(head, ' | ' if trail else '', JN(' | ', trail))


def csv_field(val):
    f = esc_nl(tof(val))
    t = f.text()
    if any(c in t for c in ',"') or t != t.strip():
        return C('"', f.map(csv_esc), '"')
    return f


def gen_apigw_csv_access(clean, s=None):
    s = s or scenario(clean)
    vals = access_values(s, clean)
    d = collections.OrderedDict(vals)
    order = ['identity.sourceIp', 'identity.caller', 'identity.user', 'requestTime', 'httpMethod', 'resourcePath', 'routeKey',
             'protocol', 'status', 'responseLength', 'requestId', 'extendedRequestId']
    cols = []
    for k in order:
        if k in d:
            cols.append(csv_field(d.pop(k)))
        elif k in ('identity.caller', 'identity.user'):
            cols.append(C('-'))
    cols += [csv_field(v) for v in d.values()]
    sep = ch([',', ',', ',', ';'])
    if sep == ';':
        cols = [c if ';' not in c.text() else C('"', c.map(csv_esc), '"') for c in cols]
    return JN(sep, cols)


def gen_apigw_kv_access(clean, s=None):
    s = s or scenario(clean, p={'query': 0.35})
    vals = access_values(s, clean)
    if s.query and chance(0.4):
        vals.append(('requestOverride.querystring', qs(s.query)))
    style = R.randrange(4)
    parts = []
    for k, v in vals:
        f = esc_nl(tof(v))
        key = ch([k, camel_key(k)]) if style != 3 else snake_key(k)
        if style == 0:
            parts.append(C(key, '=', C('"', f, '"') if (' ' in f.text() or f.text() == '') else f))
        elif style == 1:
            parts.append(C(key, '="', f, '"'))
        elif style == 2:
            parts.append(C(key, '=', f))
        else:
            parts.append(C(key, ': ', f))
    sep = [' ', ' ', '|', '; '][style]
    prefix = ch(['', 'apigw ', '%s %s ' % (t_iso(s.ms), s.api), 'level=info msg=access '])
    return C(prefix, JN(sep, parts))


def gen_apigw_xml_access(clean, s=None):
    s = s or scenario(clean)
    vals = access_values(s, clean)
    d = collections.OrderedDict(vals)
    rid = d.pop('requestId')
    els = []
    for k, v in d.items():
        tag = camel_key(k).replace(':', '_')
        tag = {'sourceIp': 'ip'}.get(tag, tag)
        els.append(C('<', tag, '>', esc_nl(tof(v)).map(xesc), '</', tag, '>'))
    sep = ch([' ', '', ' '])
    return C('<request id="', rid, '">', sep, JN(sep, els), sep, '</request>')


# ---------------------------------------------------------------- Lambda proxy integration events ---------------

def cert_pem():
    body = '\n'.join(rs(64, B64) for _ in range(R.randrange(4, 7))) + '\n' + rs(R.randrange(10, 60), B64) + '='
    return '-----BEGIN CERTIFICATE-----\nMII' + body + '\n-----END CERTIFICATE-----'


def client_cert(s, clean):
    subj = (C('CN=', K('device-%05d' % R.randrange(10 ** 5)), ',OU=Kiosks,O=Example Corp,C=US') if clean or chance(0.5) else
            C('CN=', K('partner-gw-%d' % R.randrange(100)), ',emailAddress=', S(email(), 'email'), ',O=Example Partner Ltd,C=GB'))
    return {'clientCertPem': K(cert_pem()), 'subjectDN': subj,
            'issuerDN': K('CN=Example Issuing CA %d,O=Example Corp,C=US' % R.randrange(1, 4)),
            'serialNumber': K(':'.join(rs(2, UHEX) for _ in range(16))),
            'validity': {'notBefore': K('%s %2d 00:00:00 2025 GMT' % (ch(MON[:3]), R.randrange(1, 29))),
                         'notAfter': K('%s %2d 23:59:59 2026 GMT' % (ch(MON), R.randrange(1, 29)))}}


def decoded_path(s):
    return s.path.map(urllib.parse.unquote)


def body_for_event(s, b64_label=True):
    """(body value, isBase64Encoded) for a Lambda event."""
    if s.body is None:
        return None, False
    if s.ctype and ('form' in s.ctype or 'xml' in s.ctype) and chance(0.35):
        return b64f(s.body, label=b64_label), True
    if chance(0.08):
        return b64f(s.body, label=b64_label), True
    return s.body, False


def multi_value(h):
    return {k: [v] for k, v in h}


def event_v1(s, b64_label=True):
    hdrs = list(s.headers)
    body, isb64 = body_for_event(s, b64_label)
    identity = {'cognitoIdentityPoolId': None, 'accountId': None, 'cognitoIdentityId': None, 'caller': None,
                'sourceIp': K(s.ip), 'principalOrgId': None, 'accessKey': None, 'cognitoAuthenticationType': None,
                'cognitoAuthenticationProvider': None, 'userArn': None, 'userAgent': K(s.ua), 'user': None}
    if s.api_key_value is not None or chance(0.3):
        identity['apiKey'] = s.api_key_value if s.api_key_value is not None else K('-')
        identity['apiKeyId'] = K(s.api_key_id)
    if chance(0.15):
        identity['clientCert'] = client_cert(s, s.clean)
    if chance(0.5):
        auth = {'claims': dict(s.claims)}
    else:
        auth = dict(s.auth_ctx)
    ev = {'resource': s.route, 'path': decoded_path(s), 'httpMethod': s.method, 'headers': dict(hdrs),
          'multiValueHeaders': multi_value(hdrs),
          'queryStringParameters': {k: v for k, v in s.query} or None,
          'multiValueQueryStringParameters': {k: [v] for k, v in s.query} or None,
          'pathParameters': {k: v for k, v in s.path_params} or None,
          'stageVariables': dict(s.stage_vars, lambdaAlias=K(ch(['live', 'blue', 'green']))) if chance(0.6) else None,
          'requestContext': {'resourceId': K(rs(6, LALNUM)), 'resourcePath': s.route, 'httpMethod': s.method,
                             'extendedRequestId': K(s.ext), 'requestTime': K(t_clf(s.ms)), 'path': C('/', s.stage, decoded_path(s)),
                             'accountId': K(s.account), 'protocol': 'HTTP/1.1', 'stage': K(s.stage), 'domainPrefix': K(s.host.split('.')[0]),
                             'requestTimeEpoch': s.ms, 'requestId': K(s.reqid), 'identity': identity, 'domainName': K(s.host),
                             'deploymentId': K(rs(6, LALNUM)), 'apiId': K(s.api), 'authorizer': auth},
          'body': body, 'isBase64Encoded': isb64}
    return ev


def event_v2(s, b64_label=True):
    body, isb64 = body_for_event(s, b64_label)
    headers = {}
    for k, v in s.headers:
        if k.lower() == 'cookie':
            continue
        headers[k.lower()] = v
    ctx = {'accountId': K(s.account), 'apiId': K(s.api), 'domainName': K(s.host), 'domainPrefix': K(s.host.split('.')[0]),
           'http': {'method': s.method, 'path': decoded_path(s), 'protocol': 'HTTP/1.1', 'sourceIp': K(s.ip), 'userAgent': K(s.ua)},
           'requestId': K(s.reqid if not s.rest else http_reqid()), 'routeKey': K(s.route_key), 'stage': K('$default' if chance(0.5) else s.stage),
           'time': K(t_clf(s.ms)), 'timeEpoch': s.ms}
    k = R.randrange(4)
    if k == 0:
        claims = {kk: vv for kk, vv in s.claims.items() if kk not in ('token_use',)}
        ctx['authorizer'] = {'jwt': {'claims': claims, 'scopes': [K(x) for x in tof(s.claims['scope']).text().split()] or None}}
    elif k == 1:
        ctx['authorizer'] = {'lambda': {kk: vv for kk, vv in s.auth_ctx.items() if kk != 'integrationLatency'}}
    elif k == 2 and not s.clean and chance(0.6):
        sess = S(email(), 'email') if chance(0.5) else K('botocore-session-%d' % (s.ms // 1000))
        roleid = 'AROA' + rs(17, B32)
        ctx['authorizer'] = {'iam': {'accessKey': S(aws_akid(True), 'aws_access_key_id'), 'accountId': K(s.account),
                                     'callerId': C(K(roleid + ':'), sess), 'cognitoIdentity': None,
                                     'principalOrgId': K('o-' + rs(10, LALNUM)), 'userArn': assumed_role_arn(s, sess),
                                     'userId': C(K(roleid + ':'), sess)}}
    if chance(0.2):
        ctx['authentication'] = {'clientCert': client_cert(s, s.clean)}
    ev = {'version': '2.0', 'routeKey': K(s.route_key), 'rawPath': s.path, 'rawQueryString': qs(s.query)}
    cookies = [C(n, '=', v) for n, v in s.cookies]
    if cookies:
        ev['cookies'] = cookies
    ev['headers'] = headers
    if s.query:
        ev['queryStringParameters'] = {k_: v for k_, v in s.query}
    ev['requestContext'] = ctx
    if s.path_params:
        ev['pathParameters'] = {k_: v for k_, v in s.path_params}
    if body is not None:
        ev['body'] = body
    ev['isBase64Encoded'] = isb64
    if chance(0.6):
        ev['stageVariables'] = dict(s.stage_vars)
    return ev


def proxy_response(s):
    """What a proxy Lambda returns: the body is a JSON string inside JSON."""
    hdrs = {'Content-Type': 'application/json', 'X-Request-Id': K(uuid4())}
    sc = [v for k, v in s.resp_headers if k == 'Set-Cookie']
    r = {'statusCode': s.status, 'headers': hdrs}
    if sc:
        if chance(0.5):
            hdrs['Set-Cookie'] = sc[0]
        else:
            r['multiValueHeaders'] = {'Set-Cookie': sc}
    r['body'] = s.resp_body
    r['isBase64Encoded'] = False
    return r


# ---------------------------------------------------------------- REST execution logs ----------------------------

def masked(n_visible=4):
    return K('*' * ch([10, 36, 40]) + rs(n_visible, ALNUM))


def exec_headers(s, clean, mask_auth=None):
    pairs = []
    for k, v in s.headers:
        if k.lower() in ('authorization', 'x-api-key') and (clean or mask_auth):
            pairs.append((k, K('*' * ch([12, 40, 100]) + rs(6, HEX))))
        else:
            pairs.append((k, v))
    return jmap(pairs)


def http_integration_uri(s, clean):
    """An HTTP integration endpoint URI, sometimes with credentials in its query string."""
    host = ch(['backend.example.internal', 'legacy.example.net', 'partner-api.example.org', 'ec2-%s.compute.example.com' % rs(6, DIG)])
    base = C('https://', K(host), s.path)
    if clean:
        return C(base, ('?' + qs(keep_query_params(2)).text()) if chance(0.5) else '')
    k = R.randrange(3)
    if k == 0:
        return C(base, '?api_key=', S(apigw_key(), 'api_key'), '&format=json')
    if k == 1:
        v = pick_vendor(need_call=True)
        vc = vendor_call(v)
        if vc['url'].has_secret():
            return vc['url']
        return C(base, '?', ch(['key', 'token', 'apikey']), '=', S(vc['tok'], vc['kind']).map(pct))
    return C(base, '?', qs(secret_query_param(s.ms, s.region)))


def lambda_uri(s):
    return K('https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations' % (s.region, s.fn_arn))


def endpoint_request_headers(s, clean):
    if chance(0.6):
        ms = s.ms
        akid = aws_akid(True)
        pairs = [('x-amzn-lambda-integration-tag', K(s.reqid)),
                 ('Authorization', C('AWS4-HMAC-SHA256 Credential=', K('*' * 16 + akid[-4:]) if clean else S(akid, 'aws_access_key_id'),
                                     K('/%s/%s/lambda/aws4_request' % (t_amzdate(ms), s.region)),
                                     ', SignedHeaders=', K('accept;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-source-account;x-amz-source-arn'),
                                     ', Signature=', K('*' * 64) if clean else S(sigv4_sig(), 'sigv4_signature'))),
                 ('X-Amz-Date', K(t_amz(ms))), ('x-amzn-apigateway-api-id', K(s.api)), ('X-Amz-Source-Account', K(s.account)),
                 ('Accept', K('application/json')), ('User-Agent', K('AmazonAPIGateway_' + s.api)),
                 ('X-Amz-Security-Token', K('[REDACTED]') if clean else S(aws_session_token(), 'aws_session_token')),
                 ('X-Amz-Source-Arn', K('arn:aws:execute-api:%s:%s:%s/%s/%s%s' % (s.region, s.account, s.api, s.stage, s.method, s.route))),
                 ('X-Amzn-Trace-Id', K(s.trace.split(';')[0]))]
        return jmap(pairs)
    pairs = [(k, v) for k, v in s.headers if k.lower() not in ('host',)]
    if clean:
        pairs = [(k, v) for k, v in pairs if not tof(v).has_secret()]
    elif chance(0.5):
        vc = vendor_call(pick_vendor(need_call=True))
        pairs = [(k, v) for k, v in pairs if k.lower() != 'authorization'] + vc['headers'] if vc['headers'] else pairs
    return jmap(pairs + [('x-amzn-apigateway-api-id', K(s.api))])


def exec_message(s, clean):
    """One REST API execution-log message (without the request-id prefix)."""
    options = [('headers', 14), ('query', 6), ('path', 3), ('body', 14), ('ep_uri', 6), ('ep_headers', 8),
               ('ep_body', 10), ('resp_headers', 5), ('resp_body', 9), ('method_resp_headers', 3), ('lambda_fail', 6),
               ('authorizer_in', 6), ('authorizer_out', 5), ('sending', 4), ('mapping', 4)]
    if clean:
        options += [('usage', 6), ('http_method', 4), ('completed', 4), ('config_error', 3), ('received', 4),
                    ('ext', 3), ('starting', 3), ('auth_misc', 4)]
    kind = wch(options)
    ms = s.ms
    if kind == 'headers':
        return C('Method request headers: ', exec_headers(s, clean, mask_auth=chance(0.4)))
    if kind == 'query':
        q = s.query or keep_query_params(2)
        return C('Method request query string: ', jmap(q))
    if kind == 'path':
        pp = s.path_params or [('proxy', K(s.route.strip('/')))]
        return C('Method request path: ', jmap(pp))
    if kind == 'body':
        if s.body is None:
            return C('Method request body before transformations: ')
        return C('Method request body before transformations: ', s.body)
    if kind == 'ep_uri':
        return C('Endpoint request URI: ', lambda_uri(s) if chance(0.4) else http_integration_uri(s, clean))
    if kind == 'sending':
        return C('Sending request to ', lambda_uri(s) if chance(0.3) else http_integration_uri(s, clean))
    if kind == 'ep_headers':
        return C('Endpoint request headers: ', endpoint_request_headers(s, clean))
    if kind == 'ep_body':
        ev = event_v1(s)
        return C('Endpoint request body after transformations: ', jd(ev))
    if kind == 'resp_headers':
        return C('Endpoint response headers: ', jmap(s.resp_headers))
    if kind == 'resp_body':
        return C('Endpoint response body before transformations: ', jd(proxy_response(s)))
    if kind == 'method_resp_headers':
        pairs = [('X-Amzn-Trace-Id', K(s.trace.split(';')[0])), ('Content-Type', K('application/json'))]
        pairs += [(k, v) for k, v in s.resp_headers if k == 'Set-Cookie']
        return C('Method response headers: ', jmap(pairs))
    if kind == 'lambda_fail':
        err = s.err
        return C('Lambda execution failed with status 200 due to customer function error: ', esc_nl(err),
                 '. Lambda request id: ', K(uuid4()))
    if kind == 'authorizer_in':
        tok = [v for k, v in s.headers if k.lower() == 'authorization']
        if chance(0.5) or not tok:
            t = tof(tok[0]) if tok else (C('Bearer ', S(jwt(), 'jwt')) if not clean else K('Bearer ' + '*' * 20))
            return C('Endpoint request body after transformations: ',
                     jd({'type': 'TOKEN', 'methodArn': K('arn:aws:execute-api:%s:%s:%s/%s/%s%s' % (s.region, s.account, s.api, s.stage, s.method, s.route)),
                         'authorizationToken': t}))
        return C('Incoming identity: ', K('*' * ch([10, 20, 48]) + rs(6, ALNUM)))
    if kind == 'authorizer_out':
        ctxd = {k: v for k, v in s.auth_ctx.items() if k != 'integrationLatency'}
        res = {'principalId': K(s.principal),
               'policyDocument': {'Version': '2012-10-17', 'Statement': [{'Action': 'execute-api:Invoke', 'Effect': 'Allow',
                                                                           'Resource': K('arn:aws:execute-api:%s:%s:%s/*' % (s.region, s.account, s.api))}]},
               'context': ctxd}
        if s.api_key_value is not None:
            res['usageIdentifierKey'] = s.api_key_value
        return C('Authorizer result body before parsing: ', jd(res))
    if kind == 'mapping':
        if chance(0.5):
            body = s.body if s.body is not None else jd({'orderId': K(order_no())})
            return C('Endpoint request body after transformations: Action=SendMessage&MessageBody=', body.map(pct_form),
                     '&MessageAttribute.1.Name=requestId&MessageAttribute.1.Value.StringValue=', K(s.reqid),
                     '&MessageAttribute.1.Value.DataType=String')
        item = {'pk': {'S': K('ORDER#' + order_no())}, 'createdAt': {'S': K(t_iso(ms))}}
        if s.body is not None:
            item['payload'] = {'S': s.body}
        return C('Endpoint request body after transformations: ', jd({'TableName': K(ch(['orders', 'claims', 'bookings'])), 'Item': item}))
    if kind == 'usage':
        kk = rs(4, ALNUM)
        return ch([C('Verifying Usage Plan for request: ', K(s.reqid), '. API Key: ', K('*' * 36 + kk), ' API Stage: ', K('%s/%s' % (s.api, s.stage))),
                   C('Usage Plan ', K(s.usage_plan), ' throttle check passed for API Key ', K(s.api_key_id), ' (rate ', K('%d.0' % ch([50, 100, 500])), ', burst ', K(str(ch([100, 200, 1000]))), ')'),
                   C('API Key ', K('*' * 36 + kk), ' authorized because method \'', K(s.route_key), '\' requires API Key and API Key is associated with a Usage Plan for API Stage ', K('%s/%s' % (s.api, s.stage))),
                   C('Usage Plan check succeeded for API Key ', K('*' * 36 + kk), ' and API Stage ', K('%s/%s' % (s.api, s.stage)))])
    if kind == 'http_method':
        return C('HTTP Method: ', s.method, ', Resource Path: ', s.path)
    if kind == 'completed':
        return C('Method completed with status: ', K(str(s.status)))
    if kind == 'config_error':
        return C('Execution failed due to configuration error: ', ch(['Invalid endpoint address', 'Malformed Lambda proxy response',
                                                                      'Invalid permissions on Lambda function', 'Unable to transform request']))
    if kind == 'received':
        return C('Received response. Status: ', K(str(s.status)), ', Integration latency: ', K('%d ms' % s.int_latency))
    if kind == 'ext':
        return C('Extended Request Id: ', K(s.ext))
    if kind == 'starting':
        return C('Starting execution for request: ', K(s.reqid))
    return ch([C('Starting authorizer: ', K(rs(6, LALNUM)), ' for request: ', K(s.reqid)),
               C('Using valid authorizer policy for principal: ', K(s.principal)),
               C('Successfully completed authorizer execution'),
               C('Authorizer result: ', ch(['Allow', 'Deny']), ' for principal ', K(s.principal))])


EXEC_TRUNCATE = 1024


def exec_line(s, clean, msg=None):
    msg = msg if msg is not None else exec_message(s, clean)
    msg, cut = truncate(msg, EXEC_TRUNCATE)
    if cut:
        STATS['exec_truncated'] += 1
    prefix = C('(', K(s.reqid), ') ')
    form = R.randrange(4)
    if form == 0:
        return C(prefix, msg)
    if form == 1:
        return C(K(t_iso(s.ms)), ' ', prefix, msg)
    if form == 2:
        return C(K(t_offset(s.ms)), '\t', prefix, msg)
    return C(K(t_iso(s.ms)), ' ', K('API-Gateway-Execution-Logs_%s/%s' % (s.api, s.stage)), ' ', K(rs(32, HEX)), ' ', prefix, msg)


def gen_apigw_execution(clean):
    s = scenario(clean, rest=True, p={'query': 0.4, 'auth': 0.85, 'body': 0.85, 'err': 0.5, 'authctx': 0.5})
    return exec_line(s, clean)


# ---------------------------------------------------------------- Lambda runtime line shapes ---------------------

def lambda_reqid():
    return uuid4()


def node_prefix(ms, rid, level='INFO'):
    return C(K(t_iso(ms)), '\t', K(rid), '\t', level, '\t')


def py_prefix(ms, rid, level='INFO'):
    return C('[', level, ']\t', K(t_iso(ms)), '\t', K(rid), '\t')


def powertools(s, rid, msg, extra, level='INFO', mode='std'):
    d = {'level': level, 'location': '%s:%d' % (ch(['handler', 'lambda_handler', 'process_record', 'create_payment', 'submit_claim']), R.randrange(20, 400)),
         'message': msg, 'timestamp': K(dt(s.ms).strftime('%Y-%m-%d %H:%M:%S') + ',%03d+0000' % (s.ms % 1000)),
         'service': K(s.fn.rsplit('-', 1)[0]), 'cold_start': chance(0.2), 'function_name': K(s.fn),
         'function_memory_size': ch([256, 512, 1024, 1769]), 'function_arn': K(s.fn_arn), 'function_request_id': K(rid),
         'xray_trace_id': K(trace_root(s.ms))}
    d.update(extra)
    return jd(d, mode)


def lambda_json_log(s, rid, message, level='INFO'):
    """Lambda's JSON log format (LoggingConfig LogFormat=JSON)."""
    return jd({'timestamp': K(t_iso(s.ms)), 'level': level, 'requestId': K(rid), 'message': message})


def render_event(s, ev, rid):
    k = wch([('raw', 25), ('powertools', 18), ('node_text', 18), ('py_json', 14), ('py_repr', 12), ('json_log', 13)])
    if k == 'raw':
        return jd(ev)
    if k == 'powertools':
        return powertools(s, rid, ch(['Received event', 'Lambda invocation event', 'incoming request']), {'event': ev})
    if k == 'node_text':
        return C(node_prefix(s.ms, rid), ch(['EVENT ', 'event: ', 'Received event: ']), jd(ev))
    if k == 'py_json':
        return jd(ev, 'ascii', sp=True)
    if k == 'py_repr':
        return C(py_prefix(s.ms, rid), ch(['event=', 'Received event: ']), pr(ev))
    return lambda_json_log(s, rid, jd(ev))


def gen_lambda_proxy_v1(clean):
    s = scenario(clean, rest=True, p={'query': 0.35, 'cookie': 0.35})
    ev = event_v1(s, b64_label=True)
    return render_event(s, ev, lambda_reqid())


def gen_lambda_proxy_v2(clean):
    s = scenario(clean, rest=False, p={'query': 0.35, 'cookie': 0.4})
    ev = event_v2(s, b64_label=True)
    return render_event(s, ev, lambda_reqid())


# ---------------------------------------------------------------- backend application logs ---------------------
LOCAL_MSG = {
    'email': {'en': 'Invalid e-mail address: ', 'de': 'Ungültige E-Mail-Adresse: ', 'fr': 'Adresse e-mail invalide : ',
              'es': 'Correo electrónico no válido: ', 'pt': 'E-mail inválido: ', 'ja': '無効なメールアドレスです: ', 'hi': 'अमान्य ईमेल पता: '},
    'password': {'en': 'Password does not meet policy: ', 'de': 'Passwort erfüllt die Richtlinie nicht: ', 'fr': 'Le mot de passe ne respecte pas la politique : ',
                 'es': 'La contraseña no cumple la política: ', 'pt': 'A senha não atende à política: ', 'ja': 'パスワードがポリシーを満たしていません: ',
                 'hi': 'पासवर्ड नीति के अनुरूप नहीं है: '},
    'iban': {'en': 'IBAN checksum failed for ', 'de': 'IBAN-Prüfsumme ungültig: ', 'fr': 'Clé IBAN invalide : ', 'es': 'IBAN no válido: ',
             'pt': 'IBAN inválido: ', 'ja': 'IBANが無効です: ', 'hi': 'अमान्य IBAN: '},
    'phone': {'en': 'Could not normalise phone number ', 'de': 'Telefonnummer konnte nicht normalisiert werden: ', 'fr': 'Numéro de téléphone non reconnu : ',
              'es': 'Número de teléfono no reconocido: ', 'pt': 'Telefone não reconhecido: ', 'ja': '電話番号を正規化できません: ', 'hi': 'फ़ोन नंबर मान्य नहीं है: '},
    'dob': {'en': 'Unparseable date of birth ', 'de': 'Geburtsdatum nicht lesbar: ', 'fr': 'Date de naissance illisible : ', 'es': 'Fecha de nacimiento ilegible: ',
            'pt': 'Data de nascimento ilegível: ', 'ja': '生年月日を解析できません: ', 'hi': 'जन्म तिथि पढ़ी नहीं जा सकी: '},
    'address': {'en': 'Address verification failed for ', 'de': 'Adressprüfung fehlgeschlagen: ', 'fr': "Échec de la vérification de l'adresse : ",
                'es': 'Fallo al verificar la dirección: ', 'pt': 'Falha na validação do endereço: ', 'ja': '住所の確認に失敗しました: ', 'hi': 'पते का सत्यापन विफल: '},
    'national_id': {'en': 'Identity document rejected: ', 'de': 'Ausweisnummer abgelehnt: ', 'fr': "Numéro d'identité refusé : ", 'es': 'Documento de identidad rechazado: ',
                    'pt': 'Documento rejeitado: ', 'ja': '本人確認書類が拒否されました: ', 'hi': 'पहचान दस्तावेज़ अस्वीकृत: '},
}


def app_message(s, clean):
    """(message F, structured extras dict, level) of a backend log statement."""
    k = wch([('payload', 18), ('pydantic', 6), ('joi', 5), ('localized', 12), ('db', 9), ('sql', 8), ('http_client', 15),
             ('ellipsis', 11), ('exception', 9), ('jwt_err', 5), ('cognito', 5), ('secrets_manager', 5), ('card', 5),
             ('domain', 8), ('graphql', 4), ('config', 14)])
    ind, country, lang = s.industry, s.country, s.lang
    if clean and k not in ('payload', 'db', 'sql', 'graphql'):
        return clean_app_message(s)
    if k == 'payload':
        ind2 = ind if ind != 'auth' else ch(['healthcare', 'fintech', 'travel', 'ecommerce', 'hr'])
        fields = industry_fields(ind2, country, lang, 0 if clean else R.randrange(1, 4))
        body = nest_fields(ind2, fields)
        msg = ch({'healthcare': ['claim submitted', 'eligibility request', 'Patient record updated'], 'fintech': ['payment request', 'KYC payload', 'payout created'],
                  'travel': ['APIS data received', 'booking updated', 'check-in request'], 'ecommerce': ['order placed', 'checkout payload', 'address saved'],
                  'hr': ['employee onboarding', 'payroll input', 'W-4 received']}[ind2])
        return C(msg), {'payload': body}, 'INFO'
    if k == 'pydantic':
        canon = ch(['dob', 'phone', 'email', 'national_id', 'iban'])
        v = pii(canon, country, lang)
        return C('1 validation error for ', ch(['PatientIn', 'PayoutRequest', 'PassengerIn', 'EmployeeUpdate']), '\n', fname(canon, 'en'),
                 '\n  ', ch(['Input should be a valid date or datetime, invalid date separator', 'String should match pattern \'^[0-9A-Z]+$\'',
                             'value is not a valid email address: An email address must have an @-sign.', 'Value error, checksum mismatch']),
                 ' [type=', ch(['date_from_datetime_parsing', 'string_pattern_mismatch', 'value_error']), ', input_value=\'', v,
                 '\', input_type=str]\n    For further information visit https://errors.pydantic.dev/2.10/v/value_error'), {}, 'ERROR'
    if k == 'joi':
        canon = ch(['phone', 'email', 'dob', 'card_number'])
        v = pii(canon, country, lang)
        key = fname(canon, lang)
        pattern = {'phone': '/^\\+?[1-9]\\d{1,14}$/', 'dob': '/^\\d{4}-\\d{2}-\\d{2}$/', 'email': '/^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$/',
                   'card_number': '/^\\d{13,19}$/'}[canon]
        return C('ValidationError: "', key, '" with value "', v, '" fails to match the required pattern: ', pattern), \
            {'details': [{'path': [key], 'type': 'string.pattern.base', 'context': {'value': v, 'key': key}}]}, 'WARN'
    if k == 'localized':
        canon = ch(list(LOCAL_MSG))
        v = pii(canon, country, lang)
        return C(LOCAL_MSG[canon][lang], v), {'field': fname(canon, lang)}, 'WARN'
    if k == 'db':
        return integration_error(s.region, clean), {}, 'ERROR'
    if k == 'sql':
        fields = industry_fields(ind if ind != 'auth' else 'ecommerce', country, lang, 0 if clean else R.randrange(1, 3), n_keep=2, camel=False)
        cols = [re.sub(r'\W', '_', n) for n, _ in fields]
        if chance(0.5):
            return C('INSERT INTO ', ch(['patients', 'payments', 'passengers', 'customers', 'employees']), ' (', ', '.join(cols), ') VALUES (',
                     ', '.join('%%(%s)s' % c for c in cols), ')\n[generated in 0.00%d s] ' % R.randrange(10, 99), pr({c: v for c, (_, v) in zip(cols, fields)})), {}, 'INFO'
        parts = [C('binding parameter [%d] as [VARCHAR] - [' % (i + 1), v, ']') for i, (_, v) in enumerate(fields)]
        return JN(' | ', parts), {}, 'TRACE'
    if k == 'http_client':
        v = pick_vendor(need_call=True)
        vc = vendor_call(v)
        style = R.randrange(4)
        if style == 0 or vc['url'].has_secret():
            return C(ch(['requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: ', 'HTTPError 403 for ', 'Post "']),
                     vc['url'], ch(['', '": context deadline exceeded', '": dial tcp ' + ip4() + ':443: i/o timeout'])), {}, 'ERROR'
        cfg = {'url': vc['url'], 'method': vc['method'].lower(), 'headers': dict([('Accept', 'application/json, text/plain, */*')] + vc['headers'])}
        if vc['body'] is not None:
            cfg['data'] = vc['body']
        return C('Request failed with status code ', str(ch([401, 403, 429, 500, 503]))), {'name': 'AxiosError', 'code': ch(['ERR_BAD_REQUEST', 'ERR_BAD_RESPONSE']), 'config': cfg}, 'ERROR'
    if k == 'ellipsis':
        c = R.randrange(4)
        if c == 0:
            return C('auth header: Bearer ', ellipsis_value('jwt', False)), {}, 'DEBUG'
        if c == 1:
            v = pick_vendor()
            return C('using ', VENDOR_USE[v][0], '=', ellipsis_value('vendor', False, v)), {}, 'DEBUG'
        if c == 2:
            return C('reset link sent to ', ellipsis_value('email', False)), {}, 'INFO'
        return C('card=', ellipsis_value('card', False), ' brand=', K(ch(['visa', 'mastercard', 'amex']))), {}, 'DEBUG'
    if k == 'exception':
        v = pick_vendor()
        tok = VENDOR_TOKENS[v]()
        c = R.randrange(4)
        if c == 0:
            return C("Traceback (most recent call last):\n  File \"/var/task/app.py\", line ", str(R.randrange(20, 300)),
                     ", in handler\n    key = KEYS[token]\nKeyError: '", S(tok, vkind(v)), "'"), {}, 'ERROR'
        if c == 1:
            return C('SyntaxError: Unexpected token \'', tok[0], '\', "', S(tok, vkind(v)), '" is not valid JSON\n    at JSON.parse (<anonymous>)\n    at parseConfig (/var/task/config.js:18:21)'), {}, 'ERROR'
        if c == 2:
            return C("ValueError: invalid literal for int() with base 10: '", S(tok, vkind(v)), "'"), {}, 'ERROR'
        return C('java.lang.IllegalArgumentException: Illegal base64 character 5f in "', S(tok, vkind(v)), '"\n\tat java.base/java.util.Base64$Decoder.decode0(Base64.java:848)'), {}, 'ERROR'
    if k == 'jwt_err':
        return C(ch(['JsonWebTokenError: invalid signature', 'TokenExpiredError: jwt expired', 'JWTClaimValidationFailed: "aud" claim check failed']),
                 ' token=', S(jwt(id_token_claims(email(), s.region) if chance(0.5) else None), 'jwt')), {'expiredAt': K(t_iso(s.ms - 60000))}, 'WARN'
    if k == 'cognito':
        params = {'AuthFlow': 'ADMIN_USER_PASSWORD_AUTH', 'ClientId': K(s.client_id), 'UserPoolId': K(s.pool),
                  'AuthParameters': {'USERNAME': S(email(), 'email'), 'PASSWORD': S(password(), 'password'),
                                     'SECRET_HASH': S(b64_of_bytes(32), 'hmac_signature')}}
        return C('AdminInitiateAuth params'), {'params': params}, 'DEBUG'
    if k == 'secrets_manager':
        sec = jd({'username': K('app_rw'), 'password': S(url_password(), 'password'), 'engine': 'postgres',
                  'host': K(rds_host(s.region)), 'port': 5432, 'dbname': K('orders')})
        resp = {'ARN': K('arn:aws:secretsmanager:%s:%s:secret:prod/orders/db-%s' % (s.region, s.account, rs(6, ALNUM))),
                'Name': K('prod/orders/db'), 'VersionId': K(uuid4()), 'SecretString': sec, 'VersionStages': ['AWSCURRENT']}
        return C('get_secret_value response'), {'response': resp}, 'DEBUG'
    if k == 'card':
        return C('charging card ', S(card_number(), 'card_number'), ' amount ', K('%s %s' % (currency(), amount())), ' merchant ',
                 K('MID%09d' % R.randrange(10 ** 9)), ' 3ds=', ch(['frictionless', 'challenge'])), {}, 'INFO'
    if k == 'graphql':
        return C('graphql request'), {'body': Raw(graphql_body(s, clean))}, 'INFO'
    if k == 'config':
        cfg = {'region': K(s.region), 'table': K(ch(['orders', 'claims', 'bookings'])), 'featureFlags': {'newCheckout': chance(0.5)}}
        names = ['k', 'x7', 's', 'cfgA', 'token_v2', 'clé_api', 'schluessel', 'chave', 'llave', 'キー', 'कुंजी', 'upstream', 'b64', 'hook']
        for _ in range(R.randrange(1, 3)):
            v = pick_vendor()
            cfg[ch(names)] = vendor_env_value(v)
        return C('loaded configuration'), {'config': cfg}, 'DEBUG'
    # domain-specific statements
    if ind == 'travel' or (ind == 'auth' and chance(0.3)):
        return C('APIS submitted for PNR ', K(booking_ref()), ': passport=', pii('passport', country, lang), ' nationality=', country,
                 ' ffn=', pii('frequent_flyer', country, lang), ' flight=', K(ch(FLIGHTS))), {}, 'INFO'
    if ind == 'hr':
        return C('W-4 received for ', K(employee_id()), ' ssn=', S(ssn(), 'ssn'), ' routing=', K(routing_number()), ' account=',
                 S(bank_account(), 'bank_account')), {}, 'INFO'
    if ind == 'healthcare':
        v = pii('member_id', country, lang)
        return C('eligibility check member=', v, ' dob=', pii('dob', country, lang), ' npi=', K(npi()), ' payer=', K(ch(['87726', '60054', '62308']))), {}, 'INFO'
    if ind == 'fintech':
        return C('SEPA payout to ', pii('iban', 'DE' if country not in ('DE', 'FR', 'ES') else country, lang), ' BIC ', K(swift_bic()), ' amount ',
                 K('EUR %s' % amount()), ' ref ', K('txn_' + rs(24))), {}, 'INFO'
    return C('shipping label for ', K(order_no()), ' to ', pii('address', country, lang), ', ', CITY[ADDR_LANG[country]][0], ' phone ',
             pii('phone', country, lang)), {}, 'INFO'


def ellipsis_value(what, clean, v=None):
    """A value an application shortened with '…'.  Clean records only show parts that are not secret-bearing (a JWT's
    JOSE header, fewer than 12 characters of a token, a card BIN); other records show at least 12 characters."""
    if what == 'jwt':
        return ellipsis_cut(jwt(), 'jwt', ch([24, 40, 60]) if clean else ch([150, 220, 300]), is_jwt=True)
    if what == 'vendor':
        v = v or (ch(VENDORS) if clean else pick_vendor())
        return ellipsis_cut(VENDOR_TOKENS[v](), vkind(v), ch([6, 8, 10, 11]) if clean else ch([14, 16, 20, 24]))
    if what == 'email':
        e = email()
        return ellipsis_cut(e, 'email', ch([3, 5, 8]) if clean else max(12, e.index('@') + 4))
    return ellipsis_cut(card_number('compact'), 'card_number', 6 if clean else ch([12, 13, 14]))


def clean_app_message(s):
    k = R.randrange(8)
    ms = s.ms
    if k == 0:
        v = ch([x for x in VENDORS if VENDOR_USE[x][1] is not None and VENDOR_USE[x][3] != 'url'])
        vc = vendor_call(v)
        u = urllib.parse.urlsplit(vc['url'].text())
        return C(vc['method'], ' ', K('%s://%s%s' % (u.scheme, u.netloc, u.path)), ' ', K(str(ch([200, 201, 202, 204]))), ' (', K('%d ms' % R.randrange(20, 900)), ')'), {}, 'INFO'
    if k == 1:
        return C('PutObject ok'), {'bucket': K('example-%s-%s' % (ch(['claims-docs', 'exports', 'invoices']), s.region)), 'key': K(s3_key()),
                                   'etag': C('"', K(etag()), '"'), 'versionId': K(rs(32, B64U)), 'sse': 'aws:kms', 'kmsKeyId': K(kms_key_id())}, 'INFO'
    if k == 2:
        return C('request completed'), {'route': K(s.route_key), 'status': s.status, 'latencyMs': s.latency, 'requestId': K(s.reqid),
                                        'traceId': K(trace_root(ms))}, 'INFO'
    if k == 3:
        return C('StartExecution'), {'executionArn': K('arn:aws:states:%s:%s:execution:%s:%s' % (s.region, s.account, ch(['OrderFulfilment', 'ClaimAdjudication']), uuid4())),
                                     'startDate': K(t_iso(ms))}, 'INFO'
    if k == 4:
        return C('deploy info'), {'commit': K(commit_sha()), 'build': K(build_id()), 'version': K(version()), 'imageDigest': K('sha256:' + sha256hex())}, 'INFO'
    if k == 5:
        return C('cache miss for key ', K('%s:%s' % (ch(['order', 'member', 'booking']), uuid4())), ', fetched in ', K('%d ms' % R.randrange(2, 90))), {}, 'DEBUG'
    if k == 6:
        return C('payment authorised'), {'paymentId': K('pi_' + rs(24)), 'amount': K(amount()), 'currency': K(currency()), 'bic': K(swift_bic()),
                                         'card': K(ch(['**** **** **** %04d', '************%04d', 'XXXX-XXXX-XXXX-%04d']) % R.randrange(10000))}, 'INFO'
    return C('Task timed out after ', K('%d.%02d seconds' % (R.randrange(3, 30), R.randrange(100)))), {}, 'ERROR'


def render_app(s, msg, extra, level):
    rid = lambda_reqid()
    if chance(0.2):
        extra = dict(extra)
        what = ch(['jwt', 'vendor', 'email', 'card'])
        extra[{'jwt': 'authPreview', 'vendor': 'keyPreview', 'email': 'userPreview', 'card': 'panPreview'}[what]] = ellipsis_value(what, s.clean)
    k = wch([('pino', 16), ('powertools', 16), ('node_text', 14), ('py_text', 14), ('json_log', 10), ('java', 10), ('zap', 10),
             ('serilog', 6), ('structlog', 4)])
    mode = s.jmode
    if k == 'pino':
        d = {'level': {'TRACE': 10, 'DEBUG': 20, 'INFO': 30, 'WARN': 40, 'ERROR': 50}[level], 'time': s.ms, 'pid': 8,
             'hostname': K('169.254.%d.%d' % (R.randrange(256), R.randrange(1, 255))), 'reqId': K(rid), 'msg': msg}
        d.update(extra)
        return jd(d, mode)
    if k == 'powertools':
        return powertools(s, rid, msg, extra, level if level != 'WARN' else 'WARNING', mode)
    if k in ('node_text', 'py_text'):
        tail = C(' ', jd(extra)) if extra and chance(0.6) else C(' ', pr(extra)) if extra else C()
        pre = node_prefix(s.ms, rid, level) if k == 'node_text' else py_prefix(s.ms, rid, level if level != 'WARN' else 'WARNING')
        return C(pre, esc_nl(C(msg, tail)))
    if k == 'json_log':
        d = {'timestamp': K(t_iso(s.ms)), 'level': level, 'requestId': K(rid), 'message': msg}
        d.update(extra)
        return jd(d)
    if k == 'java':
        cls = ch(['c.e.claims.ClaimService', 'c.e.pay.PayoutHandler', 'c.e.booking.ApisController', 'c.e.hr.OnboardingService'])
        tail = C(' ', jd(extra)) if extra else C()
        return C(K(t_py(s.ms).replace(',', '.')), ' ', level if level != 'WARN' else ' WARN', ' 1 --- [', ch(['main', 'pool-2-thread-1', 'http-nio-8080-exec-3']), '] ',
                 cls, ' : ', esc_nl(C(msg, tail)))
    if k == 'zap':
        d = {'level': level.lower(), 'ts': round(s.ms / 1000.0, 3), 'caller': '%s.go:%d' % (ch(['handler/payment', 'internal/claims', 'cmd/api/main']), R.randrange(20, 300)),
             'msg': msg, 'request_id': K(rid)}
        d.update(extra)
        return jd(d, 'go')
    if k == 'serilog':
        d = {'@t': K(t_iso(s.ms, 6)[:-1] + '0Z'), '@mt': msg, '@l': {'INFO': 'Information', 'WARN': 'Warning', 'ERROR': 'Error', 'DEBUG': 'Debug', 'TRACE': 'Verbose'}[level],
             'RequestId': K(rid), 'SourceContext': ch(['Orders.Api.PaymentsController', 'Claims.Worker'])}
        d.update(extra)
        return jd(d, 'net')
    d = {'event': msg, 'level': level.lower(), 'timestamp': K(t_iso(s.ms)), 'logger': ch(['app.handlers', 'claims.api']), 'aws_request_id': K(rid)}
    d.update(extra)
    return jd(d, mode, sp=True)


def gen_lambda_app(clean, s=None):
    s = s or scenario(clean)
    msg, extra, level = app_message(s, clean)
    return render_app(s, msg, extra, level)


# ---------------------------------------------------------------- log delivery: CloudWatch, Kinesis, Firehose ----

def source_events(clean, n):
    """n log events of one log group.  Returns (scenario, log group, log stream, [(ms, message F)])."""
    k = wch([('exec', 35), ('access', 30), ('lambda', 35)])
    base = None
    out = []
    for i in range(n):
        ci = clean or (i > 0 and chance(0.5))
        s = scenario(ci, rest=True if k == 'exec' else None, p={'query': 0.35, 'body': 0.8, 'auth': 0.8})
        if base is None:
            base = s
        else:
            s.api, s.stage, s.fn, s.account, s.region = base.api, base.stage, base.fn, base.account, base.region
            s.ms = base.ms + R.randrange(1, 4000) * i
        if k == 'exec':
            m, _ = truncate(exec_message(s, ci), EXEC_TRUNCATE)
            msg = C('(', K(s.reqid), ') ', m)
        elif k == 'access':
            msg = ch([gen_apigw_json_access, gen_apigw_json_access, gen_apigw_clf_access, gen_apigw_csv_access,
                      gen_apigw_kv_access, gen_apigw_xml_access])(ci, s)
        else:
            if chance(0.4):
                ev = event_v1(s) if s.rest else event_v2(s)
                msg = render_event(s, ev, lambda_reqid())
            else:
                msg = gen_lambda_app(ci, s)
            if not msg.text().startswith('{') and chance(0.7):
                msg = C(msg, '\n')
        out.append((s.ms, msg))
    s = base
    if k == 'exec':
        group, stream = 'API-Gateway-Execution-Logs_%s/%s' % (s.api, s.stage), rs(32, HEX)
    elif k == 'access':
        group = ch(['/aws/apigateway/%s/access' % s.fn.rsplit('-', 1)[0], 'API-Gateway-Access-Logs_%s/%s' % (s.api, s.stage),
                    '/aws/vendedlogs/apigateway/%s' % s.api])
        stream = ch([rs(32, HEX), s.api + '_' + s.stage])
    else:
        group = '/aws/lambda/' + s.fn
        stream = '%s/[%s]%s' % (dt(s.ms).strftime('%Y/%m/%d'), ch(['$LATEST', '12', '37']), rs(32, HEX))
    return s, group, stream, out


def cwl_envelope(clean, n=None):
    n = n or wch([(1, 55), (2, 30), (3, 15)])
    s, group, stream, evs = source_events(clean, n)
    env = {'messageType': 'DATA_MESSAGE', 'owner': K(s.account), 'logGroup': K(group), 'logStream': K(stream),
           'subscriptionFilters': [K(ch(['scrubber-ingest', 'to-kinesis', 'firehose-central-logging', 'apigw-to-siem']))],
           'logEvents': [{'id': K(cw_event_id()), 'timestamp': ms, 'message': m} for ms, m in evs]}
    if chance(0.25):
        env['policyLevel'] = ch(['ACCOUNT_LEVEL_POLICY', 'LOG_GROUP_LEVEL_POLICY'])
    return s, env


def cwl_control(ms):
    return {'messageType': 'CONTROL_MESSAGE', 'owner': 'CloudwatchLogs', 'logGroup': '', 'logStream': '', 'subscriptionFilters': [],
            'logEvents': [{'id': '', 'timestamp': ms, 'message': 'CWL CONTROL MESSAGE: Checking health of destination ' + ch(['Firehose.', 'Kinesis stream.'])}]}


def gen_cwl_subscription(clean):
    if clean and chance(0.12):
        return jd(cwl_control(rtime()))
    s, env = cwl_envelope(clean)
    return jd(env, ch(['std', 'std', 'std', 'ascii']))


def gen_kinesis_consumer(clean):
    v = wch([('py_decoded', 30), ('py_bytes', 20), ('java_kcl', 30), ('lambda_event', 20)])
    shard = 'shardId-%012d' % R.randrange(0, 12)
    seq = kinesis_seq()
    if v == 'lambda_event':
        # a producer that puts one JSON log line per record (no CloudWatch envelope, no compression)
        s = scenario(clean, p={'body': 0.8, 'auth': 0.8})
        rec = ch([gen_apigw_json_access, gen_lambda_app])(clean, s)
        if not rec.text().startswith('{'):
            rec = gen_apigw_json_access(clean, s)
        ev = {'kinesis': {'kinesisSchemaVersion': '1.0', 'partitionKey': K(s.reqid), 'sequenceNumber': K(seq),
                          'data': b64f(C(rec, '\n')), 'approximateArrivalTimestamp': round(s.ms / 1000.0, 3)},
              'eventSource': 'aws:kinesis', 'eventVersion': '1.0', 'eventID': K('%s:%s' % (shard, seq)), 'eventName': 'aws:kinesis:record',
              'invokeIdentityArn': K('arn:aws:iam::%s:role/%s' % (s.account, ch(['log-shipper-role', 'kinesis-consumer-exec']))),
              'awsRegion': K(s.region), 'eventSourceARN': K('arn:aws:kinesis:%s:%s:stream/%s' % (s.region, s.account, ch(['apigw-logs', 'app-logs', 'central-logs'])))}
        return C(node_prefix(s.ms, lambda_reqid()), 'record ', jd(ev))
    s, env = cwl_envelope(clean, wch([(1, 60), (2, 30), (3, 10)]))
    body = jd(env)
    pk = K(ch([rs(32, HEX), uuid4()]))
    arr = s.ms + R.randrange(50, 4000)
    if v == 'py_decoded':
        return C(K(t_py(arr)), ' INFO consumer ', K(shard), ' seq=', K(seq), ' pk=', pk, ' arrival=', K(t_iso(arr)), ' decoded=', body)
    if v == 'py_bytes':
        d = dt(arr)
        return C(K(t_py(arr)), ' DEBUG get_records -> ', "{'SequenceNumber': '", K(seq), "', 'ApproximateArrivalTimestamp': datetime.datetime(",
                 '%d, %d, %d, %d, %d, %d, %d' % (d.year, d.month, d.day, d.hour, d.minute, d.second, (arr % 1000) * 1000),
                 ", tzinfo=tzlocal()), 'Data': b'", body.map(bytes_repr_esc), "', 'PartitionKey': '", pk, "'}")
    return C(K(t_py(arr)), ' [ShardRecordProcessor-', '%04d' % R.randrange(10), '] INFO  c.e.ingest.LogRecordProcessor - ', K(shard),
             ' seq=', K(seq), ' subSeq=0 pk=', pk, ' arrival=', K(t_iso(arr)), ' data=', body)


def firehose_key():
    return S(rs(R.choice([32, 40, 48]), ALNUM + '-_'), 'api_key')


def gen_firehose_http(clean):
    v = wch([('delivery', 30), ('headers', 20), ('decoded', 28), ('errorlog', 12), ('response', 10)])
    s = scenario(clean, p={'body': 0.8, 'auth': 0.8})
    stream = ch(['apigw-access-to-siem', 'central-logs-http', 'app-logs-scrubber'])
    farn = 'arn:aws:firehose:%s:%s:deliverystream/%s' % (s.region, s.account, stream)
    rid = uuid4()
    if v in ('delivery', 'decoded'):
        n = wch([(1, 40), (2, 35), (3, 25)])
        recs = []
        for i in range(n):
            ci = clean or (i > 0 and chance(0.5))
            si = scenario(ci, p={'body': 0.8, 'auth': 0.8})
            m = ch([gen_apigw_json_access, gen_apigw_kv_access, gen_apigw_clf_access, gen_lambda_app])(ci, si)
            recs.append(m)
        if v == 'delivery':
            return jd({'requestId': K(rid), 'timestamp': s.ms, 'records': [{'data': b64f(C(m, '\n'))} for m in recs]})
        i = R.randrange(len(recs))
        return C(K(t_iso(s.ms)), ' firehose-receiver ', ch(['INFO', 'DEBUG']), ' request=', K(rid), ' record ', str(i + 1), '/', str(len(recs)),
                 ' decoded: ', recs[i])
    if v == 'headers':
        common = {'env': K(s.stage), 'team': K(ch(['payments', 'claims', 'travel-core']))}
        if not clean and chance(0.4):
            vv = pick_vendor(among=['datadog', 'newrelic', 'sentry', 'grafana', 'slack_webhook', 'pagerduty'])
            common[ch(['ddApiKey', 'forwardToken', 'alertHook'])] = vendor_env_value(vv)
        hdrs = {'Content-Type': 'application/json', 'Content-Length': K(str(R.randrange(300, 900000))),
                'X-Amz-Firehose-Protocol-Version': '1.0', 'X-Amz-Firehose-Request-Id': K(rid),
                'X-Amz-Firehose-Source-Arn': K(farn)}
        if not clean or chance(0.5):
            hdrs['X-Amz-Firehose-Access-Key'] = K('****') if clean else firehose_key()
        hdrs['X-Amz-Firehose-Common-Attributes'] = jd({'commonAttributes': common})
        hdrs['User-Agent'] = K('Amazon Kinesis Data Firehose Agent/1.0')
        if chance(0.5):
            return C(K(t_py(s.ms)), ' INFO receiver POST /firehose/v1/ingest headers=', pr(hdrs))
        return jd({'time': K(t_iso(s.ms)), 'msg': 'firehose delivery', 'path': '/firehose/v1/ingest', 'headers': hdrs, 'remote': K(ip4())})
    if v == 'errorlog':
        dest = C('https://', K(ch(['ingest.example.com', 'logs.example.net', 'siem.example.org'])), '/firehose')
        if not clean:
            dest = C(dest, ch(['?token=', '?api_key=', '?access_token=']), S(rs(R.choice([32, 40]), ALNUM), 'api_key'))
        err = ch([('HttpEndpoint.RequestTimeout', 'The delivery timed out before a response was received and will be retried. If this error persists, contact the AWS Firehose service team.'),
                  ('HttpEndpoint.ResponseFailure', 'The response received from the endpoint contained an HTTP status code of 401.'),
                  ('HttpEndpoint.InvalidResponseFromDestination', 'The response received from the specified endpoint is invalid. Contact the owner of the endpoint to resolve the issue.')])
        return jd({'deliveryStreamARN': K(farn), 'destination': dest, 'deliveryStreamVersionId': R.randrange(1, 12),
                   'message': err[1], 'errorCode': K(err[0])})
    body = {'requestId': K(rid), 'timestamp': s.ms}
    if not clean and chance(0.7):
        body['errorMessage'] = C('Invalid access key: ', firehose_key())
    elif chance(0.5):
        body['errorMessage'] = 'Payload too large'
    return C(K(t_iso(s.ms)), ' response ', K(str(ch([200, 401, 413]))), ' ', jd(body))


# ---------------------------------------------------------------- outbound calls to vendors ----------------------

def gen_vendor_outbound(clean):
    s = scenario(True)
    ms = s.ms
    if clean:
        v = ch([x for x in VENDORS if VENDOR_USE[x][1] is not None and VENDOR_USE[x][3] != 'url'])
        vc = vendor_call(v)
        u = urllib.parse.urlsplit(vc['url'].text())
        k = R.randrange(4)
        if k == 0 and not vc['url'].has_secret():
            return C(K(t_py(ms)), ' DEBUG urllib3.connectionpool: ', K('%s://%s:443' % (u.scheme, u.hostname)), ' "', vc['method'], ' ',
                     K(u.path), ' HTTP/1.1" ', K(str(ch([200, 201, 401, 429]))), ' ', str(R.randrange(40, 9000)))
        if k == 1:
            return C(K(t_py(ms).replace(',', '.')), ' DEBUG org.apache.http.wire - http-outgoing-', str(R.randrange(10)), ' >> "',
                     ch(['Content-Type: application/json', 'Accept-Encoding: gzip,deflate', 'Connection: keep-alive', 'User-Agent: Apache-HttpClient/5.4.1 (Java/21.0.6)']),
                     '[\\r][\\n]"')
        if k == 2:
            hdrs = [('Authorization', K(ch(['Bearer [REDACTED]', 'Basic ****', '<hidden>']))), ('Content-Type', 'application/json'),
                    ('X-Request-Id', K(uuid4())), ('traceparent', K('00-%s-%s-01' % (rs(32, HEX), rs(16, HEX))))]
            return jd({'level': 'debug', 'time': K(t_iso(ms)), 'msg': 'outbound request', 'method': vc['method'],
                       'url': K('%s://%s%s' % (u.scheme, u.netloc, u.path)), 'headers': dict(hdrs), 'durationMs': R.randrange(20, 2000)})
        return C(K(t_iso(ms)), ' <-- ', K(str(ch([200, 201, 204]))), ' ', K('%s://%s%s' % (u.scheme, u.netloc, u.path)), ' (', K('%dms' % R.randrange(20, 900)), ', ',
                 str(R.randrange(1, 90)), '-byte body)')
    v = pick_vendor(need_call=True)
    vc = vendor_call(v)
    url = vc['url']
    parts = urllib.parse.urlsplit(url.text())
    host = vc['host']
    k = wch([('py_send', 16), ('go_dump', 12), ('axios', 16), ('wire', 14), ('okhttp', 10), ('urllib3', 10), ('har', 10), ('curl', 12)])
    if k in ('urllib3',) and not url.has_secret():
        k = 'wire'
    # request target (path + query) as a fragment, keeping the token label if it is in the URL
    pos = len(parts.scheme) + 3 + len(parts.netloc)
    target = F()
    acc = 0
    for t, g in url.segs:
        a, b = acc, acc + len(t)
        acc = b
        lo, hi = max(a, pos), b
        if hi > lo:
            target.segs.append((t[lo - a:hi - a], g if (lo == a and hi == b) else (None if not isinstance(g, tuple) else g)))
    target = C(target)
    hdrs = [('Host', K(host)), ('User-Agent', K(ch(UAS[5:13])))] + vc['headers'] + [('Accept', '*/*')]
    if vc['body'] is not None:
        hdrs.append(('Content-Type', 'application/x-www-form-urlencoded' if vc['body'].text()[:1] != '{' else 'application/json'))
        hdrs.append(('Content-Length', str(len(vc['body'].text().encode()))))
    raw = C(vc['method'], ' ', target, ' HTTP/1.1\r\n', JN('\r\n', [C(n, ': ', v_) for n, v_ in hdrs]), '\r\n\r\n', vc['body'] or '')
    if k == 'py_send':
        return C(K(t_py(ms)), ' DEBUG http.client send: b\'', raw.map(bytes_repr_esc), "'")
    if k == 'go_dump':
        return C(K(dt(ms).strftime('%Y/%m/%d %H:%M:%S')), ' outbound request dump: "', raw.map(lambda t: jesc(t, 'std')), '"')
    if k == 'axios':
        cfg = {'url': url, 'method': vc['method'].lower(), 'headers': {n: v_ for n, v_ in hdrs if n not in ('Host',)}}
        if vc['body'] is not None:
            cfg['data'] = vc['body']
        return jd({'level': 'error', 'time': ms, 'msg': 'vendor call failed', 'vendor': v.split('_')[0],
                   'err': {'message': 'Request failed with status code %d' % ch([400, 401, 403, 429, 500]), 'name': 'AxiosError',
                           'code': 'ERR_BAD_REQUEST', 'config': cfg, 'status': ch([401, 403, 429])}})
    if k == 'wire':
        sec = [(n, v_) for n, v_ in hdrs if tof(v_).has_secret()]
        if sec:
            n, v_ = sec[0]
            return C(K(t_py(ms).replace(',', '.')), ' DEBUG org.apache.http.wire - http-outgoing-', str(R.randrange(10)), ' >> "', n, ': ', v_, '[\\r][\\n]"')
        if vc['body'] is not None:
            return C(K(t_py(ms).replace(',', '.')), ' DEBUG org.apache.http.wire - http-outgoing-', str(R.randrange(10)), ' >> "', vc['body'], '"')
        return C(K(t_py(ms).replace(',', '.')), ' DEBUG org.apache.http.wire - http-outgoing-', str(R.randrange(10)), ' >> "', vc['method'], ' ', target, ' HTTP/1.1[\\r][\\n]"')
    if k == 'okhttp':
        sec = [(n, v_) for n, v_ in hdrs if tof(v_).has_secret()]
        if sec:
            n, v_ = sec[0]
            return C(K(dt(ms).strftime('%m-%d %H:%M:%S.') + '%03d' % (ms % 1000)), ' ', str(R.randrange(1000, 30000)), ' I okhttp.OkHttpClient: ', n, ': ', v_)
        return C(K(dt(ms).strftime('%m-%d %H:%M:%S.') + '%03d' % (ms % 1000)), ' ', str(R.randrange(1000, 30000)), ' I okhttp.OkHttpClient: --> ', vc['method'], ' ', url,
                 ' (', str(len((vc['body'] or C()).text())), '-byte body)')
    if k == 'urllib3':
        return C(K(t_py(ms)), ' DEBUG urllib3.connectionpool: ', K('%s://%s:443' % (parts.scheme, host)), ' "', vc['method'], ' ', target, ' HTTP/1.1" ',
                 K(str(ch([200, 401, 404, 429]))), ' ', str(R.randrange(40, 9000)))
    if k == 'har':
        entries = []
        for j, c in enumerate([vc] + ([vendor_call(pick_vendor(need_call=True))] if chance(0.6) else [])):
            hh = [('Host', K(c['host']))] + c['headers'] + [('Accept', '*/*')]
            req = {'method': c['method'], 'url': c['url'], 'httpVersion': 'HTTP/1.1',
                   'headers': [{'name': n, 'value': v_} for n, v_ in hh]}
            if c['body'] is not None:
                req['postData'] = {'mimeType': 'application/json', 'text': c['body']}
            entries.append({'startedDateTime': K(t_iso(ms + 700 * j)), 'time': round(R.uniform(20, 900), 3), 'request': req,
                            'response': {'status': ch([200, 401, 403]), 'statusText': ''}})
        return jd({'log': {'version': '1.2', 'creator': {'name': 'WebInspector', 'version': '537.36'}, 'entries': entries}})
    blocks = []
    for c in [vc] + ([vendor_call(pick_vendor(need_call=True))] if chance(0.6) else []):
        t2 = c['url'] if c is not vc else url
        hh = [('Host', K(c['host']))] + c['headers'] + [('Accept', '*/*')]
        blocks.append(JN(' \\n ', [C('> ', c['method'], ' ', t2, ' HTTP/2')] + [C('> ', n, ': ', v_) for n, v_ in hh]))
    return C(K(t_iso(ms)), ' ci-step[', str(R.randrange(1, 40)), '] curl -v output: ', JN(' \\n * Connection #0 left intact \\n ', blocks))


# ---------------------------------------------------------------- environment and configuration dumps -----------
KEEP_ENV = [
    lambda s: ('AWS_REGION', K(s.region)), lambda s: ('AWS_DEFAULT_REGION', K(s.region)),
    lambda s: ('AWS_LAMBDA_FUNCTION_NAME', K(s.fn)), lambda s: ('AWS_LAMBDA_FUNCTION_VERSION', K(ch(['$LATEST', str(R.randrange(1, 90))]))),
    lambda s: ('AWS_LAMBDA_FUNCTION_MEMORY_SIZE', K(str(ch([256, 512, 1024, 1769])))),
    lambda s: ('AWS_LAMBDA_LOG_GROUP_NAME', K('/aws/lambda/' + s.fn)),
    lambda s: ('AWS_LAMBDA_LOG_STREAM_NAME', K('%s/[$LATEST]%s' % (dt(s.ms).strftime('%Y/%m/%d'), rs(32, HEX)))),
    lambda s: ('_X_AMZN_TRACE_ID', K(s.trace)), lambda s: ('AWS_EXECUTION_ENV', K(ch(['AWS_Lambda_nodejs20.x', 'AWS_Lambda_python3.12', 'AWS_Lambda_java21']))),
    lambda s: ('LAMBDA_TASK_ROOT', K('/var/task')), lambda s: ('NODE_ENV', K('production')), lambda s: ('GIT_SHA', K(commit_sha())),
    lambda s: ('BUILD_ID', K(build_id())), lambda s: ('APP_VERSION', K(version())),
    lambda s: ('KMS_KEY_ARN', K('arn:aws:kms:%s:%s:key/%s' % (s.region, s.account, kms_key_id()))),
    lambda s: ('TABLE_NAME', K(ch(['orders-prod', 'claims', 'bookings-v2']))), lambda s: ('BUCKET', K('example-%s-%s' % (ch(['uploads', 'exports']), s.account))),
    lambda s: ('POWERTOOLS_SERVICE_NAME', K(s.fn.rsplit('-', 1)[0])), lambda s: ('LOG_LEVEL', K(ch(['INFO', 'DEBUG']))),
    lambda s: ('COGNITO_USER_POOL_ID', K(s.pool)), lambda s: ('COGNITO_APP_CLIENT_ID', K(s.client_id)),
    lambda s: ('SQS_QUEUE_URL', K('https://sqs.%s.amazonaws.com/%s/%s' % (s.region, s.account, ch(['claims-intake', 'order-events'])))),
    lambda s: ('API_BASE_URL', K('https://%s/%s' % (s.host, s.stage))), lambda s: ('STRIPE_PUBLISHABLE_ACCOUNT', K('acct_' + rs(16))),
    lambda s: ('CONTENT_SHA256', K(sha256hex())),
]


def secret_env(s):
    k = wch([('vendor', 75), ('aws', 14), ('db', 12), ('local_pw', 8), ('jwt_secret', 7), ('pem', 5), ('apikey', 5), ('smtp', 4)])
    if k == 'vendor':
        v = pick_vendor()
        return [(VENDOR_USE[v][0], vendor_env_value(v))]
    if k == 'aws':
        out = [('AWS_ACCESS_KEY_ID', S(aws_akid(True), 'aws_access_key_id')), ('AWS_SECRET_ACCESS_KEY', S(aws_secret(), 'aws_secret_key'))]
        if chance(0.7):
            out.append(('AWS_SESSION_TOKEN', S(aws_session_token(), 'aws_session_token')))
        return out
    if k == 'db':
        return [(ch(['DATABASE_URL', 'MONGO_URI', 'REDIS_URL', 'AMQP_URL', 'DB_DSN']), conn_string(s.region))]
    if k == 'local_pw':
        return [(ch(['DATENBANK_PASSWORT', 'CLAVE_BD', 'SENHA_BANCO', 'MOT_DE_PASSE_SMTP', 'DB_PASSWORT', 'CONTRASENA_API']), S(password(), 'password'))]
    if k == 'jwt_secret':
        return [(ch(['JWT_SECRET', 'SESSION_SECRET', 'COOKIE_SIGNING_KEY', 'ENCRYPTION_KEY', 'NEXTAUTH_SECRET']), S(ch([rs(64, HEX), b64_of_bytes(32), rs(48, B64U)]), 'secret_key'))]
    if k == 'pem':
        kt = ch(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY'])
        return [(ch(['PRIVATE_KEY', 'JWT_PRIVATE_KEY', 'APNS_KEY', 'SAML_SP_KEY']),
                 C('-----BEGIN %s-----\n' % kt, S(private_key_body(), 'private_key'), '\n-----END %s-----\n' % kt))]
    if k == 'apikey':
        return [(ch(['INTERNAL_API_KEY', 'PARTNER_API_KEY', 'APIGW_KEY']), S(apigw_key(), 'api_key'))]
    return [('SMTP_URL', C('smtps://', 'no-reply%40example.com', ':', S(url_password(), 'connection_string_password'), '@', K('email-smtp.%s.amazonaws.com' % s.region), ':465'))]


def gen_env_config_dump(clean):
    s = scenario(True)
    keeps = [f(s) for f in R.sample(KEEP_ENV, R.randrange(5, 11))]
    secs = []
    if not clean:
        for _ in range(R.randrange(3, 7)):
            secs += secret_env(s)
    names = set()
    env = []
    for n, v in keeps + secs:
        if n not in names:
            names.add(n)
            env.append((n, v))
    R.shuffle(env)
    k = wch([('config', 25), ('printenv', 20), ('py_environ', 20), ('node_env', 15), ('ecs', 10), ('dotenv_json', 10)])
    ms = s.ms
    if k == 'config':
        cfg = {'FunctionName': K(s.fn), 'FunctionArn': K(s.fn_arn), 'Runtime': ch(['nodejs20.x', 'python3.12', 'java21', 'provided.al2023']),
               'Role': K('arn:aws:iam::%s:role/%s-exec' % (s.account, s.fn)), 'Handler': ch(['index.handler', 'app.lambda_handler', 'bootstrap']),
               'CodeSize': R.randrange(10 ** 4, 5 * 10 ** 7), 'Timeout': ch([3, 15, 29, 60]), 'MemorySize': ch([256, 512, 1024]),
               'LastModified': K(dt(ms).strftime('%Y-%m-%dT%H:%M:%S.000+0000')), 'CodeSha256': K(b64_of_bytes(32)), 'Version': '$LATEST',
               'Environment': {'Variables': {n: v for n, v in env}}, 'KMSKeyArn': K('arn:aws:kms:%s:%s:key/%s' % (s.region, s.account, kms_key_id())),
               'TracingConfig': {'Mode': 'Active'}, 'RevisionId': K(uuid4()), 'State': 'Active', 'Architectures': [ch(['arm64', 'x86_64'])],
               'LoggingConfig': {'LogFormat': 'JSON', 'LogGroup': K('/aws/lambda/' + s.fn)}}
        return jd(cfg, ch(['std', 'std', 'ascii']), sp=chance(0.5))
    if k == 'printenv':
        return C(K(t_iso(ms)), ' ', K(lambda_reqid()), ' DEBUG env: ', JN(' ', [C(n, '=', esc_nl(tof(v))) for n, v in env]))
    if k == 'py_environ':
        base = {'PATH': '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin', 'LANG': 'en_US.UTF-8', 'TZ': ':UTC'}
        base.update({n: v for n, v in env})
        return C(py_prefix(ms, lambda_reqid(), 'DEBUG'), 'environ(', pr(base), ')')
    if k == 'node_env':
        return C(node_prefix(ms, lambda_reqid(), 'DEBUG'), 'process.env ', jd({n: v for n, v in env}))
    if k == 'ecs':
        td = {'family': K(s.fn.rsplit('-', 1)[0] + '-task'), 'taskDefinitionArn': K('arn:aws:ecs:%s:%s:task-definition/%s-task:%d' % (s.region, s.account, s.fn.rsplit('-', 1)[0], R.randrange(1, 200))),
              'containerDefinitions': [{'name': 'app', 'image': K('%s.dkr.ecr.%s.amazonaws.com/%s@sha256:%s' % (s.account, s.region, s.fn.rsplit('-', 1)[0], sha256hex())),
                                        'environment': [{'name': n, 'value': v} for n, v in env]}]}
        return jd(td)
    return jd({'source': '.env', 'loadedAt': K(t_iso(ms)), 'values': {n: v for n, v in env}}, 'ascii', sp=True)


# ---------------------------------------------------------------- Lambda authorizers ------------------------------

def gen_lambda_authorizer(clean):
    s = scenario(clean, p={'auth': 0.95, 'query': 0.3, 'claims': 0.7, 'authctx': 0.6})
    ms = s.ms
    rid = lambda_reqid()
    method_arn = 'arn:aws:execute-api:%s:%s:%s/%s/%s%s' % (s.region, s.account, s.api, s.stage, s.method, s.route)
    auth = [v for n, v in s.headers if n.lower() in ('authorization', 'x-api-key')]
    k = wch([('token', 18), ('request', 14), ('v2', 14), ('output', 14), ('introspect', 10), ('claims', 14), ('denied', 8), ('v2_simple', 8)])
    if clean and k in ('introspect',):
        k = 'denied'
    if k == 'token':
        tokv = auth[0] if auth else (K('Bearer ' + '*' * 16) if clean else C('Bearer ', S(jwt(), 'jwt')))
        ev = {'type': 'TOKEN', 'methodArn': K(method_arn), 'authorizationToken': tokv}
        return render_event(s, ev, rid)
    if k == 'request':
        ev = {'type': 'REQUEST', 'methodArn': K(method_arn), 'resource': s.route, 'path': decoded_path(s), 'httpMethod': s.method,
              'headers': dict(s.headers), 'queryStringParameters': {a: b for a, b in s.query}, 'pathParameters': {a: b for a, b in s.path_params},
              'stageVariables': dict(s.stage_vars), 'requestContext': {'path': C('/', s.stage, decoded_path(s)), 'accountId': K(s.account), 'resourceId': K(rs(6, LALNUM)),
                                                       'stage': K(s.stage), 'requestId': K(s.reqid), 'identity': {'sourceIp': K(s.ip), 'userAgent': K(s.ua)},
                                                       'resourcePath': s.route, 'httpMethod': s.method, 'apiId': K(s.api)}}
        return render_event(s, ev, rid)
    if k == 'v2':
        ident = [v for v in auth] or [K('anonymous')]
        ev = {'version': '2.0', 'type': 'REQUEST', 'routeArn': K(method_arn), 'identitySource': ident, 'routeKey': K(s.route_key),
              'rawPath': s.path, 'rawQueryString': qs(s.query), 'cookies': [C(n, '=', v) for n, v in s.cookies],
              'headers': {n.lower(): v for n, v in s.headers if n.lower() != 'cookie'},
              'requestContext': {'accountId': K(s.account), 'apiId': K(s.api), 'domainName': K(s.host), 'http': {'method': s.method, 'path': decoded_path(s), 'sourceIp': K(s.ip)},
                                 'requestId': K(http_reqid()), 'routeKey': K(s.route_key), 'stage': K(s.stage), 'time': K(t_clf(ms)), 'timeEpoch': ms}}
        return render_event(s, ev, rid)
    if k in ('output', 'v2_simple'):
        ctxd = {a: b for a, b in s.auth_ctx.items() if a != 'integrationLatency'}
        for a, b in s.claims.items():
            if tof(b).has_secret():
                ctxd[a.replace('custom:', '')] = b
        if k == 'v2_simple':
            out = {'isAuthorized': not clean or chance(0.7), 'context': ctxd}
        else:
            out = {'principalId': K(s.principal), 'policyDocument': {'Version': '2012-10-17', 'Statement': [
                {'Action': 'execute-api:Invoke', 'Effect': ch(['Allow', 'Deny']), 'Resource': K('arn:aws:execute-api:%s:%s:%s/%s/*' % (s.region, s.account, s.api, s.stage))}]},
                'context': ctxd}
            if s.api_key_value is not None:
                out['usageIdentifierKey'] = s.api_key_value
        return powertools(s, rid, 'authorizer response', {'response': out}) if chance(0.5) else C(node_prefix(ms, rid), 'returning ', jd(out))
    if k == 'introspect':
        tok = S(opaque_token(), 'bearer_token')
        body = C('token=', tok, '&token_type_hint=access_token&client_id=', K(s.client_id), '&client_secret=', S(client_secret(), 'client_secret').map(pct_form))
        return C(py_prefix(ms, rid, 'DEBUG'), 'POST ', K('https://idp.example.com/oauth2/v1/introspect'), ' body=', body, ' -> ', K(str(ch([200, 401]))))
    if k == 'claims':
        claims = {a: b for a, b in s.claims.items()}
        claims['kid'] = K(b64_of_bytes(32))
        return C(node_prefix(ms, rid), 'verified token claims ', jd(claims))
    return C(node_prefix(ms, rid, 'WARN'), 'Denied: ', ch(['token expired', 'audience mismatch', 'unknown kid', 'scope missing']), ' sub=', s.claims['sub'],
             ' iss=', s.claims['iss'], ' client_id=', s.claims['client_id'], ' route=', K(s.route_key))


# ================================================================================================================
# Build, check, write
# ================================================================================================================
LAYOUTS = [
    ('apigw_json_access', 120), ('apigw_clf_access', 60), ('apigw_csv_access', 45), ('apigw_kv_access', 50),
    ('apigw_xml_access', 40), ('apigw_execution', 110), ('cwl_subscription', 80), ('kinesis_consumer', 45),
    ('firehose_http', 50), ('lambda_proxy_v1', 65), ('lambda_proxy_v2', 65), ('lambda_app', 90),
    ('vendor_outbound', 90), ('env_config_dump', 50), ('lambda_authorizer', 40),
]
LAYOUT_NAMES[:] = [n for n, _ in LAYOUTS]
JSON_LAYOUTS.update({'apigw_json_access', 'cwl_subscription'})
MAX_ATTEMPTS = 300
MIN_VENDORS = 60
MIN_PER_VENDOR = 3


KEEP_CAP_CLEAN = 9
KEEP_CAP_PER_SECRET = 5


def keep_priority(k):
    score = 0
    if len(k) >= 12:
        score += 2
    if re.search(r'[0-9]', k) and re.search(r'[A-Za-z]', k):
        score += 2
    if re.fullmatch(r'[0-9A-Fa-f:-]{16,}', k) or re.fullmatch(r'[A-Za-z0-9+/=_-]{20,}', k):
        score += 1
    if len(k) <= 4:
        score -= 2
    return score


def cap_keeps(keep, n_secrets):
    """Keep lists are capped (about five keeps per secret; nine for clean records), preferring look-alikes."""
    cap = KEEP_CAP_CLEAN if n_secrets == 0 else KEEP_CAP_PER_SECRET * n_secrets + 1
    if len(keep) <= cap:
        return keep
    STATS['keeps_capped'] += len(keep) - cap
    order = sorted(range(len(keep)), key=lambda i: (-keep_priority(keep[i]), i))[:cap]
    return [keep[i] for i in sorted(order)]


def build_record(layout, idx, clean):
    gen = globals()['gen_' + layout]
    for attempt in range(MAX_ATTEMPTS):
        Draw.pending = collections.Counter()
        try:
            f = gen(clean)
            line, secrets, kinds, keep, spans = finalize(f)
        except Redraw as e:
            STATS['redraw_' + str(e)] += 1
            continue
        if clean and secrets:
            STATS['redraw_clean_with_secret'] += 1
            continue
        if not clean and not secrets:
            STATS['redraw_no_secret'] += 1
            continue
        if not keep:
            STATS['redraw_no_keep'] += 1
            continue
        keep = cap_keeps(keep, len(secrets))
        rec = collections.OrderedDict([('id', 'h8-%s-%04d' % (layout, idx)), ('layout', layout), ('line', line),
                                       ('secrets', secrets), ('kinds', kinds), ('keep', keep)])
        check_record(rec, spans)
        for k in kinds:
            if k.startswith('vendor:'):
                VENDOR_COUNT[k[7:]] += 1
        return rec, spans
    raise CheckFailed('no acceptable draw for %s %d after %d attempts' % (layout, idx, MAX_ATTEMPTS))


def build_all():
    recs, spans = [], []
    idx = 0
    for layout, n in LAYOUTS:
        assert n % 5 == 0
        clean_set = set(R.sample(range(n), n // 5))
        for i in range(n):
            idx += 1
            rec, sp = build_record(layout, idx, i in clean_set)
            recs.append(rec)
            spans.append(sp)
    return recs, spans


def serialize(recs):
    return ''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in recs).encode('utf-8')


def corpus_checks(recs, spans):
    if len(recs) != N_RECORDS:
        raise CheckFailed('record count %d' % len(recs))
    ids = [r['id'] for r in recs]
    if len(set(ids)) != len(ids):
        raise CheckFailed('duplicate ids')
    for i, r in enumerate(recs):
        if r['id'] != 'h8-%s-%04d' % (r['layout'], i + 1):
            raise CheckFailed('id order %s' % r['id'])
    per = collections.Counter(r['layout'] for r in recs)
    clean = collections.Counter(r['layout'] for r in recs if not r['secrets'])
    for layout, n in LAYOUTS:
        if per[layout] != n:
            raise CheckFailed('layout %s has %d records, planned %d' % (layout, per[layout], n))
        if clean[layout] != n // 5:
            raise CheckFailed('layout %s has %d clean records, planned %d' % (layout, clean[layout], n // 5))
    for r, sp in zip(recs, spans):
        check_record(r, sp)
    vc = collections.Counter()
    for r in recs:
        for k in r['kinds']:
            if k.startswith('vendor:'):
                vc[k[7:]] += 1
    if len(vc) < MIN_VENDORS:
        raise CheckFailed('only %d vendors' % len(vc))
    low = [v for v in VENDORS if vc[v] < MIN_PER_VENDOR]
    if low:
        raise CheckFailed('vendors below %d labels: %s' % (MIN_PER_VENDOR, ', '.join(low)))
    return vc


def stats_report(recs, vc, digest):
    out = []
    per = collections.OrderedDict((n, [0, 0, 0, 0]) for n, _ in LAYOUTS)
    kinds = collections.Counter()
    njson = 0
    for r in recs:
        p = per[r['layout']]
        p[0] += 1
        p[1] += 0 if r['secrets'] else 1
        p[2] += len(r['secrets'])
        p[3] += len(r['keep'])
        kinds.update(r['kinds'])
        if r['line'].startswith('{'):
            njson += 1
    out.append('%-20s %5s %5s %7s %6s' % ('layout', 'n', 'clean', 'secrets', 'keeps'))
    for n, (a, b, c, d) in per.items():
        out.append('%-20s %5d %5d %7d %6d' % (n, a, b, c, d))
    tot_s = sum(p[2] for p in per.values())
    tot_k = sum(p[3] for p in per.values())
    out.append('%-20s %5d %5d %7d %6d' % ('total', len(recs), sum(p[1] for p in per.values()), tot_s, tot_k))
    out.append('JSON-object lines: %d (%.1f%%)' % (njson, 100.0 * njson / len(recs)))
    out.append('kinds (%d labels):' % tot_s)
    plain = sorted(((k, c) for k, c in kinds.items() if not k.startswith('vendor:')), key=lambda x: (-x[1], x[0]))
    out.append('  ' + ', '.join('%s %d' % kc for kc in plain))
    out.append('  vendor:* %d' % sum(c for k, c in kinds.items() if k.startswith('vendor:')))
    out.append('vendors (%d): %s' % (len(vc), ', '.join('%s %d' % (v, vc[v]) for v in sorted(vc))))
    out.append('generator: ' + ', '.join('%s %d' % (k, STATS[k]) for k in sorted(STATS)))
    big = max(recs, key=lambda r: len(r['line'].encode('utf-8')))
    out.append('largest line: %d bytes (%s)' % (len(big['line'].encode('utf-8')), big['id']))
    out.append('tab lines: %d' % sum(1 for r in recs if '\t' in r['line']))
    out.append('SHA-256: %s' % digest)
    return '\n'.join(out)


def main(argv):
    hash_only = '--hash-only' in argv
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        recs, spans = build_all()
        vc = corpus_checks(recs, spans)
        data = serialize(recs)
        digest = hashlib.sha256(data).hexdigest()
        if hash_only:
            print(digest)
            return 0
        out = os.path.join(here, OUT_NAME)
        tmp = out + '.tmp'
        with open(tmp, 'wb') as fh:
            fh.write(data)
        with open(tmp, 'rb') as fh:
            back = fh.read()
        if back != data:
            raise CheckFailed('read-back bytes differ')
        rb = [json.loads(l, object_pairs_hook=collections.OrderedDict) for l in back.decode('utf-8').splitlines()]
        if rb != recs:
            raise CheckFailed('read-back records differ')
        corpus_checks(rb, spans)
        if '--no-hashseed-check' not in argv:
            for seed in ('1', '7'):
                env = dict(os.environ, PYTHONHASHSEED=seed)
                got = subprocess.run([sys.executable, os.path.abspath(__file__), '--hash-only'], env=env,
                                     capture_output=True, text=True, check=True).stdout.strip()
                if got != digest:
                    raise CheckFailed('PYTHONHASHSEED=%s gives %s, expected %s' % (seed, got, digest))
        os.replace(tmp, out)
    except CheckFailed as e:
        try:
            os.remove(os.path.join(here, OUT_NAME + '.tmp'))
        except OSError:
            pass
        print('SELF-CHECK FAILED: %s' % e)
        return 1
    print(stats_report(recs, vc, digest))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
