#!/usr/bin/env python3
"""gen_heldout9.py -- writes heldout9.jsonl, a labelled evaluation corpus for a log scrubber.

Theme: AWS edge and front-door logs other than plain API Gateway access logs (AWS WAF full logs, ALB access
logs, CloudFront standard and real-time logs, API Gateway WebSocket access/execution logs, REST execution logs
with full request/response data logging, AppSync logs, Cognito triggers and auth logs, Lambda authorizers,
EventBridge / Step Functions events and CloudTrail events).

Every value is random and fake (seeded PRNG). Python 3 standard library only.

    python3 gen_heldout9.py                      # write heldout9.jsonl, print statistics
    python3 gen_heldout9.py --hash-only          # build in memory, print the SHA-256 only
    python3 gen_heldout9.py --no-hashseed-check  # skip the PYTHONHASHSEED re-runs
"""
import base64
import collections
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.parse
import random

SEED = 0x4E1D09
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'heldout9.jsonl')
MAX_LINE = 16000
RNG = random.Random(SEED)


class Fail(Exception):
    pass


class G:  # per-draw state
    clean = False
    pending = []


STATS = collections.Counter()

# ----------------------------------------------------------------------------------------------------------------
# labelled strings
# ----------------------------------------------------------------------------------------------------------------


class Rs:
    """A string made of parts; each part is (text, tag), tag None | ('s', kind) | ('k',)."""
    __slots__ = ('p',)

    def __init__(self, p=()):
        self.p = tuple(p)

    def __add__(self, o):
        return Rs(self.p + _pp(o))

    def __radd__(self, o):
        return Rs(_pp(o) + self.p)

    @property
    def t(self):
        return ''.join(a for a, _ in self.p)

    def __repr__(self):
        return 'Rs(%r)' % (self.p,)


def _pp(x):
    if x is None:
        return ()
    if isinstance(x, Rs):
        return x.p
    if isinstance(x, str):
        return ((x, None),) if x else ()
    if isinstance(x, bool):
        return (('true' if x else 'false', None),)
    if isinstance(x, (int, float)):
        return ((str(x), None),)
    raise TypeError(type(x))


def C(*xs):
    p = []
    for x in xs:
        p.extend(_pp(x))
    return Rs(p)


def JN(sep, xs):
    p = []
    for i, x in enumerate(xs):
        if i:
            p.extend(_pp(sep))
        p.extend(_pp(x))
    return Rs(p)


def S(v, kind):
    return Rs(((v, ('s', kind)),))


def K(v):
    return Rs(((v, ('k',)),))


def T(x):
    return x.t if isinstance(x, Rs) else str(x)


def has_secret(x):
    return any(g and g[0] == 's' for _, g in _pp(x))


def plain(x):
    """drop all labels (the text stays)."""
    return Rs(((T(x), None),))


def unkeep(x):
    return Rs(tuple((a, g if (g and g[0] == 's') else None) for a, g in _pp(x)))


def tm(x, f):
    out = []
    for a, g in _pp(x):
        b = f(a)
        if b:
            out.append((b, g))
    return Rs(out)


# ----------------------------------------------------------------------------------------------------------------
# encoders (all character-wise, so they are applied part by part)
# ----------------------------------------------------------------------------------------------------------------

def pct(x, safe=''):
    return tm(x, lambda s: urllib.parse.quote(s, safe=safe))


def form(x):
    return tm(x, lambda s: urllib.parse.quote_plus(s, safe=''))


def _jesc(s, ea=False, sl=False):
    r = json.dumps(s, ensure_ascii=ea)[1:-1]
    if sl:
        r = r.replace('/', '\\/')
    return r


def jesc(x, ea=False, sl=False):
    return tm(x, lambda s: _jesc(s, ea, sl))


CF_ENC = '"<>\\^`{|}%'


def _cf(s):
    out = []
    for ch in s:
        o = ord(ch)
        if o <= 32 or o >= 127 or ch in CF_ENC:
            out.append(''.join('%%%02X' % b for b in ch.encode('utf-8')))
        else:
            out.append(ch)
    return ''.join(out)


def cf(x):
    """CloudFront log-field encoding: control chars, space, non-ASCII, " < > \\ ^ ` { | } and % are %-encoded."""
    return tm(x, _cf)


def nl_lit(x):
    """multi-line text in a one-line text log: newline becomes the two characters \\n."""
    return tm(x, lambda s: s.replace('\r', '\\r').replace('\n', '\\n'))


def _pyesc(s, q):
    s = s.replace('\\', '\\\\')
    if q == "'":
        s = s.replace("'", "\\'")
    else:
        s = s.replace('"', '\\"')
    return s.replace('\n', '\\n').replace('\r', '\\r').replace('\t', '\\t')


def pystr(x):
    t = T(x)
    q = '"' if ("'" in t and '"' not in t) else "'"
    return C(q, tm(x, lambda s: _pyesc(s, q)), q)


def _bytes_esc(s):
    out = []
    for ch in s:
        if ch == '\\':
            out.append('\\\\')
        elif ch == "'":
            out.append("\\'")
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\r':
            out.append('\\r')
        elif ch == '\t':
            out.append('\\t')
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.append(''.join('\\x%02x' % b for b in ch.encode('utf-8')))
    return ''.join(out)


def pybytes(x):
    return C("b'", tm(x, _bytes_esc), "'")


def b64x(x, kind='base64_secret', urlsafe=False, keep=True):
    """base64 of a labelled string: a secret if the plain text holds one, else a keep (or plain)."""
    raw = T(x).encode('utf-8')
    enc = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()
    if has_secret(x):
        return S(enc, kind)
    return K(enc) if keep else C(enc)


class PB:
    """python bytes literal inside a repr()"""
    def __init__(self, x):
        self.x = x


def jd(o, sp=False, ea=False, sl=False):
    """JSON serialiser for dict/list/str/Rs/int/float/bool/None, one line."""
    ks, cs = (': ', ', ') if sp else (':', ',')
    out = []

    def ser(v):
        if isinstance(v, dict):
            out.append(('{', None))
            for i, (k, val) in enumerate(v.items()):
                if i:
                    out.append((cs, None))
                out.append(('"', None))
                out.extend(jesc(k, ea, sl).p)
                out.append(('"' + ks, None))
                ser(val)
            out.append(('}', None))
        elif isinstance(v, (list, tuple)):
            out.append(('[', None))
            for i, val in enumerate(v):
                if i:
                    out.append((cs, None))
                ser(val)
            out.append((']', None))
        elif isinstance(v, (str, Rs)):
            out.append(('"', None))
            out.extend(jesc(v, ea, sl).p)
            out.append(('"', None))
        elif v is None:
            out.append(('null', None))
        elif isinstance(v, bool):
            out.append(('true' if v else 'false', None))
        elif isinstance(v, (int, float)):
            out.append((repr(v) if isinstance(v, float) else str(v), None))
        else:
            raise TypeError(type(v))
    ser(o)
    return Rs([p for p in out if p[0]])


def pr(o):
    """python repr() of dict/list/str/Rs/int/bool/None/PB."""
    out = []

    def ser(v):
        if isinstance(v, dict):
            out.append(('{', None))
            for i, (k, val) in enumerate(v.items()):
                if i:
                    out.append((', ', None))
                out.extend(pystr(k).p)
                out.append((': ', None))
                ser(val)
            out.append(('}', None))
        elif isinstance(v, (list, tuple)):
            out.append(('[', None))
            for i, val in enumerate(v):
                if i:
                    out.append((', ', None))
                ser(val)
            out.append((']', None))
        elif isinstance(v, PB):
            out.extend(pybytes(v.x).p)
        elif isinstance(v, (str, Rs)):
            out.extend(pystr(v).p)
        elif v is None:
            out.append(('None', None))
        elif isinstance(v, bool):
            out.append(('True' if v else 'False', None))
        elif isinstance(v, (int, float)):
            out.append((str(v), None))
        else:
            raise TypeError(type(v))
    ser(o)
    return Rs([p for p in out if p[0]])


def jm(o):
    """java.util.Map.toString(): {k=v, k2=v2}; nested maps and lists as Java prints them."""
    if isinstance(o, dict):
        return C('{', JN(', ', [C(k, '=', jm(v)) for k, v in o.items()]), '}')
    if isinstance(o, (list, tuple)):
        return C('[', JN(', ', [jm(v) for v in o]), ']')
    if o is None:
        return C('null')
    return C(o)


def qs(pairs, enc=pct):
    """query string from decoded (name, value) pairs."""
    return JN('&', [C(enc(k), '=', enc(v)) for k, v in pairs])


def trunc(x, limit, suffix=' [TRUNCATED]'):
    """cut at `limit` UTF-8 bytes like API Gateway execution logs. A secret cut by the limit keeps its
    visible prefix as label when it has >= 12 characters (a JWT only when the payload is reached),
    otherwise the cut moves to just before it."""
    r = C(x)
    if len(r.t.encode('utf-8')) <= limit:
        return r, False
    out, used = [], 0
    for a, g in r.p:
        b = len(a.encode('utf-8'))
        if used + b <= limit:
            out.append((a, g))
            used += b
            continue
        vis = a.encode('utf-8')[:limit - used].decode('utf-8', 'ignore')
        if g and g[0] == 's':
            ok = len(vis) >= 12 and vis == vis.strip()
            if g[1] in ('jwt', 'refresh_token') and vis.startswith('eyJ'):
                ok = ok and '.' in vis and not vis.endswith('.')
            if ok:
                out.append((vis, g))
                STATS['trunc_secret_prefix'] += 1
            else:
                STATS['trunc_moved_before_secret'] += 1
        elif vis:
            out.append((vis, None))
        break
    out.append((suffix, None))
    STATS['truncated_events'] += 1
    return Rs(out), True


# ----------------------------------------------------------------------------------------------------------------
# random primitives
# ----------------------------------------------------------------------------------------------------------------

DIG = '0123456789'
LOW = 'abcdefghijklmnopqrstuvwxyz'
UPP = LOW.upper()
LET = LOW + UPP
AN = LET + DIG
LOWN = LOW + DIG
UPN = UPP + DIG
HEXL = '0123456789abcdef'
HEXU = HEXL.upper()
B64 = AN + '+/'
B64U = AN + '-_'
B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'


def rch(seq):
    return RNG.choice(seq)


def rint(a, b):
    return RNG.randint(a, b)


def chance(p):
    return RNG.random() < p


def rstr(n, alpha=AN):
    return ''.join(RNG.choice(alpha) for _ in range(n))


def rdig(n):
    return str(rint(1, 9)) + rstr(n - 1, DIG)


def wpick(items):
    """items: list of (weight, value)"""
    tot = sum(w for w, _ in items)
    x = RNG.random() * tot
    for w, v in items:
        x -= w
        if x < 0:
            return v
    return items[-1][1]


def ruuid():
    h = rstr(32, HEXL)
    return '%s-%s-4%s-%s%s-%s' % (h[:8], h[8:12], h[13:16], rch('89ab'), h[17:20], h[20:])


def b64r(nbytes, urlsafe=False, pad=True):
    raw = bytes(RNG.getrandbits(8) for _ in range(nbytes))
    s = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()
    return s if pad else s.rstrip('=')


def b64s(s, urlsafe=False, pad=True):
    e = (base64.urlsafe_b64encode(s.encode()) if urlsafe else base64.b64encode(s.encode())).decode()
    return e if pad else e.rstrip('=')


# time: a record's time is drawn in 2025-01-01 .. 2025-06-30
import datetime as _dt
EPOCH0 = 1735689600
MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
DOW = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']


class TS:
    def __init__(self, epoch=None, ms=None):
        self.e = epoch if epoch is not None else EPOCH0 + rint(0, 180 * 86400)
        self.ms = ms if ms is not None else rint(0, 999)
        self.d = _dt.datetime.fromtimestamp(self.e, _dt.timezone.utc)

    def plus(self, ms):
        t = self.e * 1000 + self.ms + ms
        return TS(t // 1000, t % 1000)

    def iso(self, frac=3):
        base = self.d.strftime('%Y-%m-%dT%H:%M:%S')
        if frac == 0:
            return base + 'Z'
        if frac == 3:
            return base + '.%03dZ' % self.ms
        return base + '.%03d%03dZ' % (self.ms, rint(0, 999))

    def clf(self):
        return '%02d/%s/%d:%s +0000' % (self.d.day, MON[self.d.month - 1], self.d.year, self.d.strftime('%H:%M:%S'))

    def date(self):
        return self.d.strftime('%Y-%m-%d')

    def time(self):
        return self.d.strftime('%H:%M:%S')

    def epms(self):
        return self.e * 1000 + self.ms

    def amz(self):
        return self.d.strftime('%Y%m%dT%H%M%SZ')

    def ymd(self):
        return self.d.strftime('%Y%m%d')

    def rfc1123(self):
        return '%s, %02d %s %d %s GMT' % (DOW[self.d.weekday()], self.d.day, MON[self.d.month - 1], self.d.year,
                                         self.d.strftime('%H:%M:%S'))


# ----------------------------------------------------------------------------------------------------------------
# AWS identifiers (keeps)
# ----------------------------------------------------------------------------------------------------------------

REGIONS = ['us-east-1', 'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1',
           'ap-northeast-1', 'eu-west-2', 'ca-central-1']


def acct():
    return rdig(12)


def api_id():
    return rstr(10, LOWN)


def ext_id():
    """API Gateway HTTP/WebSocket style request id / connection id"""
    return b64r(11)


def xray_root(ts=None):
    ts = ts or TS()
    return '1-%08x-%s' % (ts.e, rstr(24, HEXL))


def trace_hdr(ts=None, parent=True):
    r = 'Root=' + xray_root(ts)
    if parent:
        r += ';Parent=%s;Sampled=%d' % (rstr(16, HEXL), rint(0, 1))
    return r


def cf_reqid():
    return b64r(40, urlsafe=True)


def cf_dist_id():
    return 'E' + rstr(13, UPN)


def cf_domain():
    return 'd' + rstr(13, LOWN) + '.cloudfront.net'


def pool_id(region):
    return region + '_' + rstr(9, AN)


def client_id():
    return rstr(26, LOWN)


def appsync_id():
    return rstr(26, LOWN)


def kms_arn(region, a):
    return 'arn:aws:kms:%s:%s:key/%s' % (region, a, ruuid())


def lambda_arn(region, a, fn):
    return 'arn:aws:lambda:%s:%s:function:%s' % (region, a, fn)


def tgt_group_arn(region, a):
    return 'arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s' % (
        region, a, rch(['api-blue', 'api-green', 'web-tg', 'checkout-tg', 'members-tg', 'ws-gateway']), rstr(16, HEXL))


def acm_arn(region, a):
    return 'arn:aws:acm:%s:%s:certificate/%s' % (region, a, ruuid())


def ip4():
    return wpick([(3, lambda: '192.0.2.%d' % rint(1, 254)), (3, lambda: '198.51.100.%d' % rint(1, 254)),
                  (3, lambda: '203.0.113.%d' % rint(1, 254)),
                  (1, lambda: '10.%d.%d.%d' % (rint(0, 255), rint(0, 255), rint(1, 254)))])()


def ip_client():
    if chance(0.12):
        return '2001:db8:%x:%x::%x' % (rint(0, 0xffff), rint(0, 0xffff), rint(1, 0xffff))
    return wpick([(1, lambda: '192.0.2.%d' % rint(1, 254)), (1, lambda: '198.51.100.%d' % rint(1, 254)),
                  (1, lambda: '203.0.113.%d' % rint(1, 254))])()


def ip_private():
    return '10.%d.%d.%d' % (rint(0, 255), rint(0, 255), rint(1, 254))


def sha256hex():
    return rstr(64, HEXL)


UAS = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{c}.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{m} Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_{m} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{c}.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64; rv:{f}.0) Gecko/20100101 Firefox/{f}.0',
    'okhttp/4.12.0', 'curl/8.{m}.0', 'python-requests/2.32.{m}', 'axios/1.7.{m}', 'Go-http-client/2.0',
    'PostmanRuntime/7.{m}.1', 'aws-sdk-js/3.{c}.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.{m}.0 api/lambda#3.{c}.0',
    'Boto3/1.35.{m} md/Botocore#1.35.{m} ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.12.{m} cfg/retry-mode#legacy',
    'ExampleHealth/5.{m}.2 (iPhone; iOS 17.{m}; Scale/3.00)', 'ExamplePay-Android/8.{m}.0 (build 80{c}; Android 14)',
    'Amazon CloudFront', 'ELB-HealthChecker/2.0', 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'Dart/3.{m} (dart:io)', 'aws-amplify/6.{m}.0 api/1 framework/2',
]


def ua():
    return rch(UAS).format(c=rint(118, 131), m=rint(0, 9), f=rint(115, 130))


def ver():
    return '%d.%d.%d' % (rint(1, 9), rint(0, 40), rint(0, 30))


# ----------------------------------------------------------------------------------------------------------------
# personal data generators (raw values; check digits valid so that values look real; everything random)
# ----------------------------------------------------------------------------------------------------------------

FIRST = ['amelie', 'jonas', 'priya', 'mateo', 'chen', 'olivia', 'liam', 'fatima', 'noah', 'yuki', 'sofia', 'lucas',
         'aisha', 'ethan', 'ines', 'ravi', 'emma', 'kenji', 'lea', 'omar', 'hannah', 'diego', 'zoe', 'arjun', 'mia',
         'felix', 'camila', 'tobias', 'nadia', 'samuel', 'clara', 'ahmed', 'julia', 'marco', 'ingrid', 'kwame']
LAST = ['fischer', 'garcia', 'nguyen', 'patel', 'schmidt', 'okafor', 'rossi', 'tanaka', 'silva', 'kowalski',
        'muller', 'dubois', 'johnson', 'lee', 'haddad', 'novak', 'andersson', 'brown', 'kim', 'moreau', 'santos',
        'wagner', 'murphy', 'sato', 'costa', 'ivanova', 'walker', 'yilmaz', 'mendes', 'obrien']
EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'example.co.uk', 'example.de',
                 'example.com.br', 'example.fr', 'example.es', 'corp.example.com']


def gen_email():
    f, l = rch(FIRST), rch(LAST)
    loc = rch(['%s.%s' % (f, l), '%s%d' % (f, rint(10, 9999)), '%s%s%d' % (f[0], l, rint(1, 99)), '%s_%s' % (f, l),
               '%s.%s+%s' % (f, l, rch(['shop', 'travel', 'claims', 'hr', 'pay'])), '%s.%s%d' % (f, l, rint(1, 99))])
    return loc + '@' + rch(EMAIL_DOMAINS)


def mask_email(e):
    loc, dom = e.split('@', 1)
    return loc[0] + '***@' + dom


def gen_phone():
    k = rint(0, 11)
    n2 = rint(0, 99)
    if k <= 3:  # US 555-01xx
        area = rch(['202', '212', '312', '415', '617', '646', '720', '305', '512'])
        return rch(['+1 %s-555-01%02d', '(%s) 555-01%02d', '+1%s55501%02d', '%s-555-01%02d', '+1 (%s) 555-01%02d']) % (area, n2)
    if k <= 6:  # UK 07700 900xxx
        n3 = rint(0, 999)
        return rch(['+44 7700 900%03d', '07700 900%03d', '+447700900%03d', '+44 (0)7700 900%03d']) % n3
    if k <= 7:  # AU 0491 570 1xx
        return rch(['+61 491 570 1%02d', '0491 570 1%02d', '+614915701%02d']) % n2
    if k == 8:
        return rch(['+49 151 5550 1%02d', '+49 30 5550 1%02d']) % n2
    if k == 9:
        return rch(['+33 6 55 50 01 %02d', '+34 655 501 1%02d', '06 55 50 01 %02d']) % n2
    if k == 10:
        return rch(['+91 98 5550 01%02d', '+81 90-5550-01%02d']) % n2
    return rch(['+55 11 95550-01%02d', '+55 (21) 95550-01%02d']) % n2


def luhn_digit(body):
    s = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return str((10 - s % 10) % 10)


def gen_card(fmt=None):
    brand = rint(0, 4)
    if brand <= 1:
        body = '4' + rstr(14, DIG)
    elif brand == 2:
        body = rch(['51', '52', '53', '54', '55']) + rstr(13, DIG)
    elif brand == 3:
        body = rch(['34', '37']) + rstr(12, DIG)
    else:
        body = '6011' + rstr(11, DIG)
    n = body + luhn_digit(body)
    fmt = fmt if fmt is not None else rint(0, 3)
    if fmt == 1 and len(n) == 16:
        return ' '.join(n[i:i + 4] for i in range(0, 16, 4))
    if fmt == 2 and len(n) == 16:
        return '-'.join(n[i:i + 4] for i in range(0, 16, 4))
    return n


def mask_card():
    return rch(['**** **** **** %04d', '************%04d', 'XXXX-XXXX-XXXX-%04d', '411111******%04d']) % rint(0, 9999)


IBAN_SPEC = {'DE': (18, DIG), 'GB': None, 'FR': None, 'ES': (20, DIG), 'NL': None, 'IT': None, 'AT': (16, DIG),
             'BE': (12, DIG), 'IE': None, 'PT': (21, DIG)}


def _iban_bban(cc):
    if cc == 'GB':
        return rch(['NWBK', 'BARC', 'MIDL', 'LOYD']) + rstr(14, DIG)
    if cc == 'IE':
        return rch(['AIBK', 'BOFI']) + rstr(14, DIG)
    if cc == 'NL':
        return rch(['ABNA', 'INGB', 'RABO']) + rstr(10, DIG)
    if cc == 'FR':
        return rstr(10, DIG) + rstr(11, UPN) + rstr(2, DIG)
    if cc == 'IT':
        return rch(UPP) + rstr(10, DIG) + rstr(12, UPN)
    n, a = IBAN_SPEC[cc]
    return rstr(n, a)


def _mod97(s):
    num = ''.join(str(int(ch, 36)) for ch in s)
    return int(num) % 97


def gen_iban(grouped=None):
    cc = rch(['DE', 'DE', 'GB', 'FR', 'ES', 'NL', 'IT', 'AT', 'BE', 'IE', 'PT'])
    bban = _iban_bban(cc)
    chk = 98 - _mod97(bban + cc + '00')
    ib = '%s%02d%s' % (cc, chk, bban)
    assert _mod97(ib[4:] + ib[:4]) == 1
    if grouped if grouped is not None else chance(0.35):
        return ' '.join(ib[i:i + 4] for i in range(0, len(ib), 4))
    return ib


def gen_ssn(dashed=None):
    a = rint(1, 899)
    while a == 666:
        a = rint(1, 899)
    g, s = rint(1, 99), rint(1, 9999)
    if dashed if dashed is not None else chance(0.8):
        return '%03d-%02d-%04d' % (a, g, s)
    return '%03d%02d%04d' % (a, g, s)


VERHOEFF_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
              [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
              [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
              [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VERHOEFF_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
              [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
              [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff(body):
    c = 0
    for i, ch in enumerate(reversed(body)):
        c = VERHOEFF_D[c][VERHOEFF_P[(i + 1) % 8][int(ch)]]
    return str(VERHOEFF_INV[c])


def gen_national_id():
    k = rint(0, 7)
    if k == 0:  # UK NINO
        p1 = rch('ABCEGHJKLMNOPRSTWXYZ')
        p2 = rch('ABCEGHJKLMNPRSTWXYZ')
        while p1 + p2 in ('BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'):
            p2 = rch('ABCEGHJKLMNPRSTWXYZ')
        d = rstr(6, DIG)
        if chance(0.4):
            return '%s%s %s %s %s %s' % (p1, p2, d[:2], d[2:4], d[4:], rch('ABCD'))
        return '%s%s%s%s' % (p1, p2, d, rch('ABCD'))
    if k == 1:  # CPF
        b = [rint(0, 9) for _ in range(9)]
        d1 = (sum((10 - i) * b[i] for i in range(9)) * 10) % 11 % 10
        b2 = b + [d1]
        d2 = (sum((11 - i) * b2[i] for i in range(10)) * 10) % 11 % 10
        s = ''.join(map(str, b2 + [d2]))
        return '%s.%s.%s-%s' % (s[:3], s[3:6], s[6:9], s[9:])
    if k == 2:  # DNI
        n = rint(10000000, 99999999)
        return '%08d%s' % (n, 'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23])
    if k == 3:  # Aadhaar
        b = str(rint(2, 9)) + rstr(10, DIG)
        s = b + verhoeff(b)
        return rch([s, '%s %s %s' % (s[:4], s[4:8], s[8:])])
    if k == 4:  # Canadian SIN
        b = str(rch([1, 2, 3, 4, 5, 6, 7, 9])) + rstr(7, DIG)
        s = b + luhn_digit(b)
        return '%s %s %s' % (s[:3], s[3:6], s[6:])
    if k == 5:  # Swedish personnummer
        y, m, d = rint(40, 99), rint(1, 12), rint(1, 28)
        b = '%02d%02d%02d%03d' % (y, m, d, rint(0, 999))
        return '19%s-%s%s' % (b[:6], b[6:], luhn_digit(b))
    if k == 6:  # PESEL
        y, m, d = rint(50, 99), rint(1, 12), rint(1, 28)
        b = '%02d%02d%02d%04d' % (y, m, d, rint(0, 9999))
        w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        c = (10 - sum(int(b[i]) * w[i] for i in range(10)) % 10) % 10
        return b + str(c)
    # French NIR
    sex, yy, mm = rint(1, 2), rint(40, 99), rint(1, 12)
    dep, com, ordn = rint(1, 95), rint(1, 990), rint(1, 999)
    b = '%d%02d%02d%02d%03d%03d' % (sex, yy, mm, dep, com, ordn)
    key = 97 - int(b) % 97
    return '%s %s %s %s %s %s %02d' % (b[0], b[1:3], b[3:5], b[5:7], b[7:10], b[10:13], key)


def gen_dob(fmt=None):
    y, m, d = rint(1941, 2006), rint(1, 12), rint(1, 28)
    fmt = fmt if fmt is not None else rint(0, 4)
    return ['%04d-%02d-%02d' % (y, m, d), '%02d/%02d/%04d' % (m, d, y), '%02d.%02d.%04d' % (d, m, y),
            '%04d-%02d-%02d' % (y, m, d), '%04d%02d%02d' % (y, m, d)][fmt]


STREETS = ['Elm Street', 'Maple Avenue', 'Oak Lane', 'Harbor View Road', 'Cedar Court', 'Willow Drive',
           'Sunset Boulevard', 'Mill Road', 'Station Road', 'Church Lane', 'Queen Street', 'Riverside Drive']
STREETS_DE = ['Lindenstraße', 'Hauptstraße', 'Gartenweg', 'Schillerstraße', 'Am Markt', 'Bahnhofstraße']
STREETS_FR = ['rue des Lilas', 'avenue Victor Hugo', 'boulevard Voltaire', 'rue de la Paix']
STREETS_ES = ['Calle Mayor', 'Avenida de la Constitución', 'Calle del Sol']


def gen_address():
    k = rint(0, 5)
    if k <= 2:
        a = '%d %s' % (rint(2, 9899), rch(STREETS))
        if chance(0.25):
            a += rch([' Apt %d', ' Suite %d', ' Unit %d']) % rint(1, 420)
        return a
    if k == 3:
        return '%s %d' % (rch(STREETS_DE), rint(1, 140))
    if k == 4:
        return '%d %s' % (rint(1, 120), rch(STREETS_FR))
    return '%s %d' % (rch(STREETS_ES), rint(1, 99))


def gen_passport():
    k = rint(0, 3)
    if k == 0:
        return rstr(9, DIG)
    if k == 1:
        return rch('CFGHJK') + rstr(8, 'CFGHJKLMNPRTVWXYZ0123456789')
    if k == 2:
        return rch(UPP) + rch(UPP) + rstr(7, DIG)
    return rch(UPP) + rstr(8, DIG)


def gen_member_id():
    return rch(['%s%s' % (rstr(3, UPP), rstr(9, DIG)), 'W%s' % rstr(9, DIG), '%s-%s-%s' % (rstr(3, UPP), rstr(4, DIG), rstr(4, DIG)),
                '%s%s' % (rch(UPP), rstr(10, DIG))])


def gen_ff():
    return rch(['%s%s' % (rch(['UA', 'LH', 'BA', 'AF', 'QF', 'DL', 'AA']), rstr(9, DIG)), rstr(10, DIG), '%s%s' % (rstr(2, UPP), rstr(8, DIG))])


def gen_otp():
    return '%06d' % rint(0, 999999)


WORDS = ['maple', 'orbit', 'tiger', 'velvet', 'harbor', 'quartz', 'lemon', 'falcon', 'cobalt', 'meadow', 'rocket',
         'saffron', 'winter', 'pixel', 'canyon', 'ember', 'nebula', 'pepper', 'summit', 'willow']


def gen_password():
    k = rint(0, 5)
    sym = '!#$%&*+-.=?@^_~'
    if k == 0:
        return rch(WORDS).capitalize() + rch(sym) + str(rint(10, 9999)) + rch(WORDS)
    if k == 1:
        return rstr(rint(12, 20), AN + sym)
    if k == 2:
        return '%s-%s-%s-%d' % (rch(WORDS), rch(WORDS), rch(WORDS), rint(1, 99))
    if k == 3:
        return rch(WORDS).capitalize() + str(rint(1970, 2024)) + rch(sym) + rch(sym)
    if k == 4:
        return rstr(4, UPP) + rch(sym) + rstr(4, LOW) + rch(sym) + rstr(4, DIG)
    return rch(WORDS) + ' ' + rch(WORDS) + ' ' + str(rint(2, 99)) + ' ' + rch(WORDS)


def gen_reset_token():
    return rch([lambda: b64r(32, urlsafe=True, pad=False), lambda: rstr(64, HEXL), lambda: rstr(40, AN),
                lambda: 'rst_' + rstr(32, AN)])()


def gen_session():
    k = rint(0, 5)
    if k == 0:
        return rstr(32, HEXL)
    if k == 1:
        return b64r(32, urlsafe=True, pad=False)
    if k == 2:
        return 's:' + b64r(24, urlsafe=True, pad=False) + '.' + b64r(32).rstrip('=')
    if k == 3:
        return rstr(26, LOWN)
    if k == 4:
        return rstr(32, HEXU)
    return b64r(90) + '--' + rstr(40, HEXL)


def gen_opaque():
    return rch([lambda: rstr(40, AN), lambda: 'at_' + b64r(32, urlsafe=True, pad=False),
                lambda: b64r(48, urlsafe=True, pad=False), lambda: 'v2.local.' + b64r(96, urlsafe=True, pad=False),
                lambda: rstr(64, HEXL)])()


def gen_refresh():
    return rch([lambda: b64r(48, urlsafe=True, pad=False), lambda: 'rt_' + rstr(48, AN), lambda: cognito_refresh()])()


def cognito_refresh():
    return ('eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.' + b64r(256, True, False) + '.' +
            b64r(12, True, False) + '.' + b64r(rint(900, 1300), True, False) + '.' + b64r(16, True, False))


def gen_code():
    return rch([ruuid, lambda: rstr(32, AN), lambda: b64r(24, urlsafe=True, pad=False), lambda: 'ac_' + rstr(40, AN)])()


def gen_client_secret():
    return rch([lambda: rstr(51, LOWN), lambda: b64r(32, urlsafe=True, pad=False), lambda: rstr(40, AN)])()


def gen_pkce():
    return b64r(rint(32, 64), urlsafe=True, pad=False)


def gen_apigw_key():
    return rstr(40, AN)


def gen_appsync_key():
    return 'da2-' + rstr(26, LOWN)


def gen_akid(temp=None):
    return ('ASIA' if (temp if temp is not None else chance(0.6)) else 'AKIA') + rstr(16, B32)


def gen_aws_secret():
    return rstr(40, AN + '+/')


def gen_session_token():
    return 'IQoJb3JpZ2luX2Vj' + rch('EFGH') + rstr(rint(560, 900), B64) + rch(['', '=', '=='])


def gen_sig4():
    return rstr(64, HEXL)


def gen_cf_sig():
    return b64r(256).replace('+', '-').replace('=', '_').replace('/', '~')


def gen_totp_secret():
    return rstr(32, B32)


def gen_secret_key():
    return rch([lambda: rstr(64, HEXL), lambda: b64r(32), lambda: b64r(48, urlsafe=True, pad=False)])()


def gen_pem_body():
    raw = b64r(rint(600, 1190))
    return '\n'.join(raw[i:i + 64] for i in range(0, len(raw), 64))


def b64url_json(o):
    return base64.urlsafe_b64encode(json.dumps(o, separators=(',', ':')).encode()).decode().rstrip('=')


def gen_jwt(claims=None, alg=None):
    alg = alg or rch(['RS256', 'RS256', 'RS256', 'ES256', 'HS256'])
    hdr = {'alg': alg, 'typ': 'JWT'} if alg == 'HS256' else {'kid': b64r(32), 'alg': alg}
    ts = TS()
    c = {'sub': ruuid(), 'iss': 'https://cognito-idp.%s.amazonaws.com/%s' % ('us-east-1', pool_id('us-east-1')),
         'token_use': 'access', 'scope': 'openid email', 'auth_time': ts.e, 'exp': ts.e + 3600, 'iat': ts.e,
         'jti': ruuid(), 'client_id': client_id()}
    if claims:
        c = dict(claims)
    sig = {'RS256': 256, 'ES256': 64, 'HS256': 32}[alg]
    return b64url_json(hdr) + '.' + b64url_json(c) + '.' + b64r(sig, urlsafe=True, pad=False)


def cognito_id_token(email, region, pool, cid, sub):
    ts = TS()
    return gen_jwt({'sub': sub, 'email_verified': True, 'iss': 'https://cognito-idp.%s.amazonaws.com/%s' % (region, pool),
                    'cognito:username': sub, 'origin_jti': ruuid(), 'aud': cid, 'event_id': ruuid(),
                    'token_use': 'id', 'auth_time': ts.e, 'exp': ts.e + 3600, 'iat': ts.e, 'jti': ruuid(),
                    'email': email}, 'RS256')


def cognito_access_token(region, pool, cid, sub):
    ts = TS()
    return gen_jwt({'sub': sub, 'iss': 'https://cognito-idp.%s.amazonaws.com/%s' % (region, pool), 'client_id': cid,
                    'origin_jti': ruuid(), 'event_id': ruuid(), 'token_use': 'access',
                    'scope': 'aws.cognito.signin.user.admin', 'auth_time': ts.e, 'exp': ts.e + 3600, 'iat': ts.e,
                    'jti': ruuid(), 'username': sub}, 'RS256')


MASKS = ['[REDACTED]', '********', '****', '[FILTERED]', 'REDACTED', '<redacted>', '***', '[MASKED]']


def mask_for(kind):
    if kind == 'email':
        return mask_email(gen_email())
    if kind == 'card_number':
        return mask_card()
    if kind == 'phone':
        return rch(['+1 ***-***-01%02d', '*******01%02d', '+44 **** ***%03d']) % rint(0, 99)
    return rch(MASKS)


GEN = {'email': gen_email, 'phone': gen_phone, 'card_number': gen_card, 'iban': gen_iban, 'ssn': gen_ssn,
       'national_id': gen_national_id, 'dob': gen_dob, 'address': gen_address, 'passport': gen_passport,
       'member_id': gen_member_id, 'frequent_flyer': gen_ff, 'otp': gen_otp, 'password': gen_password,
       'reset_token': gen_reset_token, 'session_cookie': gen_session, 'bearer_token': gen_opaque,
       'refresh_token': gen_refresh, 'oauth_code': gen_code, 'client_secret': gen_client_secret,
       'pkce_verifier': gen_pkce, 'api_key': gen_apigw_key, 'aws_access_key_id': gen_akid,
       'aws_secret_key': gen_aws_secret, 'aws_session_token': gen_session_token, 'sigv4_signature': gen_sig4,
       'url_signature': gen_cf_sig, 'totp_secret': gen_totp_secret, 'secret_key': gen_secret_key,
       'jwt': gen_jwt, 'session_id': lambda: rstr(32, HEXU), 'session_token': lambda: 'AYABe' + rstr(rint(700, 900), B64U)}


def P(kind, value=None, clean_alt=None):
    """a sensitive slot: a labelled secret normally; in a clean record a masked keep instead."""
    if G.clean:
        alt = clean_alt if clean_alt is not None else mask_for(kind)
        if isinstance(alt, Rs):
            return alt
        return K(alt) if len(alt) >= 3 else C(alt)
    return S(value if value is not None else GEN[kind](), kind)


# ----------------------------------------------------------------------------------------------------------------
# vendor tokens: prefixes and lengths as public secret-scanner rule sets and vendor docs describe them
# ----------------------------------------------------------------------------------------------------------------

def _discord_bot():
    uid = rdig(18)
    return b64s(uid, pad=False) + '.' + rstr(6, B64U) + '.' + rstr(38, B64U)


def _azure_sig():
    return urllib.parse.quote(b64r(32), safe='')


def _mapbox():
    return 'sk.eyJ1Ijoi' + rstr(60, AN) + '.' + rstr(22, AN + '-_')


# name, token generator, header spec, API host, API path, environment variable, extra headers
#   header spec: ('H', name, prefix) | ('B', user) Basic user:token | None (not sent in a header)
VENDOR_TABLE = [
    ('github', lambda: rch(['ghp_', 'gho_', 'ghu_', 'ghs_']) + rstr(36), ('H', 'Authorization', lambda: rch(['token ', 'Bearer '])),
     'api.github.com', '/repos/example-org/platform/dispatches', 'GITHUB_TOKEN', [('Accept', 'application/vnd.github+json'), ('X-GitHub-Api-Version', '2022-11-28')]),
    ('github_fine_grained', lambda: 'github_pat_' + rstr(22) + '_' + rstr(59), ('H', 'Authorization', 'Bearer '),
     'api.github.com', '/repos/example-org/infra/contents/config.yaml', 'GH_PAT', [('Accept', 'application/vnd.github+json')]),
    ('gitlab', lambda: 'glpat-' + rstr(20, AN + '_-'), ('H', 'PRIVATE-TOKEN', ''), 'gitlab.example.com',
     '/api/v4/projects/4417/pipeline', 'GITLAB_TOKEN', []),
    ('slack', lambda: rch(['xoxb-', 'xoxp-']) + rdig(11) + '-' + rdig(13) + '-' + rstr(24), ('H', 'Authorization', 'Bearer '),
     'slack.com', '/api/chat.postMessage', 'SLACK_BOT_TOKEN', []),
    ('slack_webhook', lambda: rstr(24), None, 'hooks.slack.com', None, 'SLACK_WEBHOOK_URL', []),
    ('stripe', lambda: rch(['sk_live_', 'rk_live_']) + rstr(rch([24, 99])), ('H', 'Authorization', 'Bearer '),
     'api.stripe.com', '/v1/payment_intents', 'STRIPE_SECRET_KEY', [('Stripe-Version', '2024-06-20')]),
    ('stripe_webhook', lambda: 'whsec_' + rstr(32), None, None, None, 'STRIPE_WEBHOOK_SECRET', []),
    ('sendgrid', lambda: 'SG.' + rstr(22, B64U) + '.' + rstr(43, B64U), ('H', 'Authorization', 'Bearer '),
     'api.sendgrid.com', '/v3/mail/send', 'SENDGRID_API_KEY', []),
    ('twilio', lambda: rstr(32, HEXL), ('B', lambda: 'AC' + rstr(32, HEXL)), 'api.twilio.com',
     '/2010-04-01/Accounts/AC%s/Messages.json' % rstr(32, HEXL), 'TWILIO_AUTH_TOKEN', []),
    ('mailgun', lambda: 'key-' + rstr(32, HEXL), ('B', lambda: 'api'), 'api.mailgun.net', '/v3/mg.example.com/messages',
     'MAILGUN_API_KEY', []),
    ('openai', lambda: 'sk-proj-' + rstr(rint(58, 74), AN + '_-') + 'T3BlbkFJ' + rstr(rint(58, 74), AN + '_-'),
     ('H', 'Authorization', 'Bearer '), 'api.openai.com', '/v1/chat/completions', 'OPENAI_API_KEY', []),
    ('anthropic', lambda: 'sk-ant-api03-' + rstr(93, AN + '_-') + 'AA', ('H', 'x-api-key', ''), 'api.anthropic.com',
     '/v1/messages', 'ANTHROPIC_API_KEY', [('anthropic-version', '2023-06-01')]),
    ('google', lambda: 'AIza' + rstr(35, AN + '_-'), ('H', 'X-Goog-Api-Key', ''), 'maps.googleapis.com',
     '/maps/api/geocode/json', 'GOOGLE_MAPS_API_KEY', []),
    ('google_oauth', lambda: 'GOCSPX-' + rstr(28, AN + '_-'), None, 'oauth2.googleapis.com', '/token',
     'GOOGLE_CLIENT_SECRET', []),
    ('azure_ad', lambda: rstr(3, AN) + str(rint(0, 9)) + 'Q~' + rstr(34, AN + '_~.-'), None, 'login.microsoftonline.com',
     '/%s/oauth2/v2.0/token' % ruuid(), 'AZURE_CLIENT_SECRET', []),
    ('digitalocean', lambda: 'dop_v1_' + rstr(64, HEXL), ('H', 'Authorization', 'Bearer '), 'api.digitalocean.com',
     '/v2/droplets', 'DIGITALOCEAN_TOKEN', []),
    ('vault', lambda: 'hvs.' + rstr(rint(90, 100), AN + '_-'), ('H', 'X-Vault-Token', ''), 'vault.example.com',
     '/v1/secret/data/payments', 'VAULT_TOKEN', []),
    ('terraform', lambda: rstr(14, LOWN) + '.atlasv1.' + rstr(67, LOWN), ('H', 'Authorization', 'Bearer '),
     'app.terraform.io', '/api/v2/runs', 'TFE_TOKEN', []),
    ('pulumi', lambda: 'pul-' + rstr(40, HEXL), ('H', 'Authorization', 'token '), 'api.pulumi.com',
     '/api/stacks/example/edge/prod/updates', 'PULUMI_ACCESS_TOKEN', []),
    ('npm', lambda: 'npm_' + rstr(36), ('H', 'Authorization', 'Bearer '), 'registry.npmjs.org', '/@example%2fsdk',
     'NPM_TOKEN', []),
    ('pypi', lambda: 'pypi-AgEIcHlwaS5vcmc' + rstr(rint(70, 90), AN + '_-'), ('B', lambda: '__token__'),
     'upload.pypi.org', '/legacy/', 'TWINE_PASSWORD', []),
    ('rubygems', lambda: 'rubygems_' + rstr(48, HEXL), ('H', 'Authorization', ''), 'rubygems.org', '/api/v1/gems',
     'GEM_HOST_API_KEY', []),
    ('dockerhub', lambda: 'dckr_pat_' + rstr(27, AN + '_-'), ('B', lambda: 'examplebot'), 'hub.docker.com',
     '/v2/users/login', 'DOCKERHUB_TOKEN', []),
    ('huggingface', lambda: 'hf_' + rstr(34, LET), ('H', 'Authorization', 'Bearer '), 'huggingface.co',
     '/api/models/example/summarizer', 'HF_TOKEN', []),
    ('shopify', lambda: rch(['shpat_', 'shpca_', 'shppa_']) + rstr(32, HEXL), ('H', 'X-Shopify-Access-Token', ''),
     'example.myshopify.com', '/admin/api/2024-07/orders.json', 'SHOPIFY_ACCESS_TOKEN', []),
    ('databricks', lambda: 'dapi' + rstr(32, HEXL), ('H', 'Authorization', 'Bearer '),
     'dbc-%s.cloud.databricks.com' % rstr(8, HEXL), '/api/2.1/jobs/run-now', 'DATABRICKS_TOKEN', []),
    ('doppler', lambda: 'dp.pt.' + rstr(43), ('H', 'Authorization', 'Bearer '), 'api.doppler.com',
     '/v3/configs/config/secrets', 'DOPPLER_TOKEN', []),
    ('planetscale', lambda: 'pscale_tkn_' + rstr(43, AN + '_'), ('H', 'Authorization', lambda: rstr(12, LOWN) + ':'),
     'api.planetscale.com', '/v1/organizations/example/databases', 'PLANETSCALE_SERVICE_TOKEN', []),
    ('postman', lambda: 'PMAK-' + rstr(24, HEXL) + '-' + rstr(34, HEXL), ('H', 'X-Api-Key', ''), 'api.getpostman.com',
     '/collections', 'POSTMAN_API_KEY', []),
    ('linear', lambda: 'lin_api_' + rstr(40), ('H', 'Authorization', ''), 'api.linear.app', '/graphql',
     'LINEAR_API_KEY', []),
    ('notion', lambda: rch([lambda: 'ntn_' + rdig(11) + rstr(35), lambda: 'secret_' + rstr(43)])(),
     ('H', 'Authorization', 'Bearer '), 'api.notion.com', '/v1/pages', 'NOTION_TOKEN', [('Notion-Version', '2022-06-28')]),
    ('figma', lambda: 'figd_' + rstr(40, AN + '_-'), ('H', 'X-Figma-Token', ''), 'api.figma.com',
     '/v1/files/%s' % rstr(22), 'FIGMA_TOKEN', []),
    ('sentry', lambda: 'sntryu_' + rstr(64, HEXL), ('H', 'Authorization', 'Bearer '), 'sentry.io',
     '/api/0/projects/example/edge/events/', 'SENTRY_AUTH_TOKEN', []),
    ('newrelic', lambda: 'NRAK-' + rstr(27, UPN), ('H', 'Api-Key', ''), 'api.newrelic.com', '/graphql',
     'NEW_RELIC_API_KEY', []),
    ('datadog', lambda: rstr(32, HEXL), ('H', 'DD-API-KEY', ''), 'http-intake.logs.datadoghq.com', '/api/v2/logs',
     'DD_API_KEY', []),
    ('grafana', lambda: 'glsa_' + rstr(32) + '_' + rstr(8, HEXL), ('H', 'Authorization', 'Bearer '),
     'example.grafana.net', '/api/annotations', 'GRAFANA_SERVICE_ACCOUNT_TOKEN', []),
    ('pagerduty', lambda: 'u+' + rstr(18, AN + '_-'), ('H', 'Authorization', 'Token token='), 'api.pagerduty.com',
     '/incidents', 'PAGERDUTY_API_TOKEN', [('Accept', 'application/vnd.pagerduty+json;version=2')]),
    ('atlassian', lambda: 'ATATT3xFfGF0' + rstr(170, AN + '_-') + '=' + rstr(8, HEXU), ('B', lambda: gen_email()),
     'example.atlassian.net', '/rest/api/3/issue', 'JIRA_API_TOKEN', []),
    ('okta', lambda: '00' + rstr(40, AN + '_-'), ('H', 'Authorization', 'SSWS '), 'example.okta.com',
     '/api/v1/users', 'OKTA_API_TOKEN', []),
    ('heroku', lambda: 'HRKU-AA' + rstr(58, AN + '_-'), ('H', 'Authorization', 'Bearer '), 'api.heroku.com',
     '/apps/example-web/config-vars', 'HEROKU_API_KEY', [('Accept', 'application/vnd.heroku+json; version=3')]),
    ('square', lambda: 'EAAA' + rstr(60, AN + '_-'), ('H', 'Authorization', 'Bearer '), 'connect.squareup.com',
     '/v2/payments', 'SQUARE_ACCESS_TOKEN', [('Square-Version', '2024-07-17')]),
    ('braintree', lambda: 'access_token$production$' + rstr(16, LOWN) + '$' + rstr(32, HEXL),
     ('H', 'Authorization', 'Bearer '), 'payments.braintree-api.com', '/graphql', 'BRAINTREE_ACCESS_TOKEN', []),
    ('mapbox', _mapbox, None, 'api.mapbox.com', '/geocoding/v5/mapbox.places/berlin.json', 'MAPBOX_ACCESS_TOKEN', []),
    ('age', lambda: 'AGE-SECRET-KEY-1' + rstr(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'), None, None, None,
     'SOPS_AGE_KEY', []),
    ('discord', _discord_bot, ('H', 'Authorization', 'Bot '), 'discord.com', '/api/v10/channels/%s/messages' % rdig(18),
     'DISCORD_BOT_TOKEN', []),
    ('discord_webhook', lambda: rstr(68, AN + '_-'), None, 'discord.com', None, 'DISCORD_WEBHOOK_URL', []),
    ('telegram', lambda: rdig(10) + ':AA' + rstr(33, AN + '_-'), None, 'api.telegram.org', None,
     'TELEGRAM_BOT_TOKEN', []),
    ('cloudflare', lambda: 'v1.0-' + rstr(24, HEXL) + '-' + rstr(146, HEXL), ('H', 'X-Auth-User-Service-Key', ''),
     'api.cloudflare.com', '/client/v4/certificates', 'CF_ORIGIN_CA_KEY', []),
    ('fastly', lambda: rstr(32, AN + '_-'), ('H', 'Fastly-Key', ''), 'api.fastly.com',
     '/service/%s/purge_all' % rstr(22), 'FASTLY_API_TOKEN', []),
    ('algolia', lambda: rstr(32, HEXL), ('H', 'X-Algolia-API-Key', ''), '%s-dsn.algolia.net' % rstr(10, UPN),
     '/1/indexes/products/query', 'ALGOLIA_ADMIN_API_KEY', [('X-Algolia-Application-Id', rstr(10, UPN))]),
    ('airtable', lambda: 'pat' + rstr(14) + '.' + rstr(64, HEXL), ('H', 'Authorization', 'Bearer '),
     'api.airtable.com', '/v0/app%s/Bookings' % rstr(14), 'AIRTABLE_TOKEN', []),
    ('asana', lambda: '2/' + rdig(16) + '/' + rdig(16) + ':' + rstr(32, HEXL), ('H', 'Authorization', 'Bearer '),
     'app.asana.com', '/api/1.0/tasks', 'ASANA_PAT', []),
    ('contentful', lambda: 'CFPAT-' + rstr(43, AN + '_-'), ('H', 'Authorization', 'Bearer '), 'api.contentful.com',
     '/spaces/%s/entries' % rstr(12, LOWN), 'CONTENTFUL_MANAGEMENT_TOKEN', []),
    ('dropbox', lambda: 'sl.u.' + rstr(rint(130, 140), AN + '_-'), ('H', 'Authorization', 'Bearer '),
     'api.dropboxapi.com', '/2/files/list_folder', 'DROPBOX_ACCESS_TOKEN', []),
    ('flyio', lambda: 'fo1_' + rstr(43, AN + '_-'), ('H', 'Authorization', 'Bearer '), 'api.machines.dev',
     '/v1/apps/example-edge/machines', 'FLY_API_TOKEN', []),
    ('klaviyo', lambda: 'pk_' + rstr(34, LOWN), ('H', 'Authorization', 'Klaviyo-API-Key '), 'a.klaviyo.com',
     '/api/profiles/', 'KLAVIYO_PRIVATE_KEY', [('revision', '2024-07-15')]),
    ('launchdarkly', lambda: 'api-' + ruuid(), ('H', 'Authorization', ''), 'app.launchdarkly.com',
     '/api/v2/flags/default', 'LD_API_KEY', []),
    ('mailchimp', lambda: rstr(32, HEXL) + '-us' + str(rint(1, 21)), ('B', lambda: 'anystring'),
     'us6.api.mailchimp.com', '/3.0/lists/%s/members' % rstr(10, HEXL), 'MAILCHIMP_API_KEY', []),
    ('netlify', lambda: 'nfp_' + rstr(36), ('H', 'Authorization', 'Bearer '), 'api.netlify.com',
     '/api/v1/sites', 'NETLIFY_AUTH_TOKEN', []),
    ('openrouter', lambda: 'sk-or-v1-' + rstr(64, HEXL), ('H', 'Authorization', 'Bearer '), 'openrouter.ai',
     '/api/v1/chat/completions', 'OPENROUTER_API_KEY', []),
    ('groq', lambda: 'gsk_' + rstr(52), ('H', 'Authorization', 'Bearer '), 'api.groq.com',
     '/openai/v1/chat/completions', 'GROQ_API_KEY', []),
    ('perplexity', lambda: 'pplx-' + rstr(48), ('H', 'Authorization', 'Bearer '), 'api.perplexity.ai',
     '/chat/completions', 'PERPLEXITY_API_KEY', []),
    ('xai', lambda: 'xai-' + rstr(80), ('H', 'Authorization', 'Bearer '), 'api.x.ai', '/v1/chat/completions',
     'XAI_API_KEY', []),
    ('replicate', lambda: 'r8_' + rstr(37), ('H', 'Authorization', 'Bearer '), 'api.replicate.com',
     '/v1/predictions', 'REPLICATE_API_TOKEN', []),
    ('langsmith', lambda: rch(['lsv2_pt_', 'lsv2_sk_']) + rstr(32, HEXL) + '_' + rstr(10, HEXL), ('H', 'x-api-key', ''),
     'api.smith.langchain.com', '/runs/batch', 'LANGSMITH_API_KEY', []),
    ('nvidia', lambda: 'nvapi-' + rstr(64, AN + '_-'), ('H', 'Authorization', 'Bearer '), 'integrate.api.nvidia.com',
     '/v1/chat/completions', 'NVIDIA_API_KEY', []),
    ('render', lambda: 'rnd_' + rstr(32), ('H', 'Authorization', 'Bearer '), 'api.render.com', '/v1/services',
     'RENDER_API_KEY', []),
    ('supabase', lambda: 'sbp_' + rstr(40, HEXL), ('H', 'Authorization', 'Bearer '), 'api.supabase.com',
     '/v1/projects', 'SUPABASE_ACCESS_TOKEN', []),
    ('sourcegraph', lambda: 'sgp_' + rstr(16, HEXL) + '_' + rstr(40, HEXL), ('H', 'Authorization', 'token '),
     'sourcegraph.example.com', '/.api/graphql', 'SRC_ACCESS_TOKEN', []),
    ('buildkite', lambda: 'bkua_' + rstr(40, HEXL), ('H', 'Authorization', 'Bearer '), 'api.buildkite.com',
     '/v2/organizations/example/pipelines/edge/builds', 'BUILDKITE_API_TOKEN', []),
    ('circleci', lambda: 'CCIPAT_' + rstr(22) + '_' + rstr(40, HEXL), ('H', 'Circle-Token', ''), 'circleci.com',
     '/api/v2/project/gh/example/edge/pipeline', 'CIRCLE_TOKEN', []),
    ('infracost', lambda: 'ico-' + rstr(32), ('H', 'X-Api-Key', ''), 'pricing.api.infracost.io', '/graphql',
     'INFRACOST_API_KEY', []),
    ('shippo', lambda: 'shippo_live_' + rstr(40, HEXL), ('H', 'Authorization', 'ShippoToken '), 'api.goshippo.com',
     '/shipments/', 'SHIPPO_API_TOKEN', []),
    ('easypost', lambda: 'EZAK' + rstr(54), ('B', lambda: ''), 'api.easypost.com', '/v2/shipments',
     'EASYPOST_API_KEY', []),
    ('duffel', lambda: 'duffel_live_' + rstr(43, AN + '_-'), ('H', 'Authorization', 'Bearer '), 'api.duffel.com',
     '/air/orders', 'DUFFEL_ACCESS_TOKEN', [('Duffel-Version', 'v2')]),
    ('mercadopago', lambda: 'APP_USR-' + rdig(16) + '-' + rdig(6) + '-' + rstr(32, HEXL) + '-' + rdig(9),
     ('H', 'Authorization', 'Bearer '), 'api.mercadopago.com', '/v1/payments', 'MP_ACCESS_TOKEN', []),
    ('plaid', lambda: 'access-production-' + ruuid(), None, 'production.plaid.com', '/accounts/balance/get',
     'PLAID_ACCESS_TOKEN', []),
    ('hubspot', lambda: 'pat-na1-' + ruuid(), ('H', 'Authorization', 'Bearer '), 'api.hubapi.com',
     '/crm/v3/objects/contacts', 'HUBSPOT_ACCESS_TOKEN', []),
    ('adobe', lambda: 'p8e-' + rstr(32, LOWN), None, 'ims-na1.adobelogin.com', '/ims/token/v3', 'ADOBE_CLIENT_SECRET', []),
    ('dynatrace', lambda: 'dt0c01.' + rstr(24, UPN) + '.' + rstr(64, UPN), ('H', 'Authorization', 'Api-Token '),
     '%s.live.dynatrace.com' % rstr(8, LOWN), '/api/v2/logs/ingest', 'DT_API_TOKEN', []),
    ('octopus', lambda: 'API-' + rstr(26, UPN), ('H', 'X-Octopus-ApiKey', ''), 'octopus.example.com',
     '/api/Spaces-1/deployments', 'OCTOPUS_API_KEY', []),
    ('readme', lambda: 'rdme_' + rstr(70, LOWN), ('H', 'Authorization', 'Bearer '), 'dash.readme.com',
     '/api/v1/docs', 'README_API_KEY', []),
    ('brevo', lambda: 'xkeysib-' + rstr(64, HEXL) + '-' + rstr(16), ('H', 'api-key', ''), 'api.brevo.com',
     '/v3/smtp/email', 'BREVO_API_KEY', []),
    ('artifactory', lambda: 'AKCp' + rstr(69), ('H', 'X-JFrog-Art-Api', ''), 'example.jfrog.io',
     '/artifactory/api/npm/npm-remote/', 'ARTIFACTORY_API_KEY', []),
    ('openshift', lambda: 'sha256~' + rstr(43, AN + '_-'), ('H', 'Authorization', 'Bearer '),
     'api.ocp.example.com:6443', '/apis/apps/v1/namespaces/edge/deployments', 'OPENSHIFT_TOKEN', []),
    ('posthog', lambda: 'phx_' + rstr(43), ('H', 'Authorization', 'Bearer '), 'us.posthog.com',
     '/api/projects/%d/insights/' % rint(1000, 99999), 'POSTHOG_PERSONAL_API_KEY', []),
    ('mailersend', lambda: 'mlsn.' + rstr(64, HEXL), ('H', 'Authorization', 'Bearer '), 'api.mailersend.com',
     '/v1/email', 'MAILERSEND_API_TOKEN', []),
    ('azure_storage', lambda: b64r(64), None, None, None, 'AZURE_STORAGE_CONNECTION_STRING', []),
    ('azure_sas', _azure_sig, None, None, None, 'EXPORT_CONTAINER_SAS_URL', []),
    ('zendesk', lambda: rstr(40), ('B', lambda: gen_email() + '/token'), 'example.zendesk.com',
     '/api/v2/tickets.json', 'ZENDESK_API_TOKEN', []),
]

VENDORS = collections.OrderedDict((v[0], v) for v in VENDOR_TABLE)
VCOUNT = collections.Counter()


class VUse:
    pass


MESSAGING = ['sendgrid', 'mailgun', 'twilio', 'brevo', 'mailersend', 'mailchimp', 'klaviyo']


def pick_vendor(mode, pool=None):
    """least-used vendor first (over accepted records); mode 'hdr' needs a header scheme."""
    cands = [n for n, v in VENDORS.items() if (mode != 'hdr' or v[2] is not None) and (pool is None or n in pool)]
    pend = collections.Counter(G.pending)
    best = min(VCOUNT[n] + 100 * pend[n] for n in cands)
    pool = [n for n in cands if VCOUNT[n] + 100 * pend[n] == best]
    name = rch(pool)
    G.pending.append(name)
    return name


def vendor(mode='any', name=None, pool=None):
    """a vendor credential with the ways it travels: .tok, .headers, .conf (VAR, value), .url, .host, .path"""
    name = name or pick_vendor(mode, pool)
    _, gen, hdr, host, path, env, extra = VENDORS[name]
    u = VUse()
    u.name, u.host, u.path, u.env = name, host, path, env
    kind = 'vendor:' + name
    raw = gen()
    u.raw = raw
    u.tok = S(raw, kind)
    u.headers = []
    if hdr is not None:
        if hdr[0] == 'H':
            pre = hdr[2]() if callable(hdr[2]) else hdr[2]
            u.headers.append((hdr[1], C(pre, u.tok)))
        else:
            user = hdr[1]()
            u.headers.append(('Authorization', C('Basic ', S(b64s(user + ':' + raw), kind))))
    u.headers.extend([(n, K(v)) for n, v in extra])
    # configuration value (environment variable, stage variable, context field)
    if name == 'slack_webhook':
        u.conf_val = C('https://hooks.slack.com/services/T%s/B%s/' % (rstr(8, UPN), rstr(8, UPN)), u.tok)
        u.url = u.conf_val
    elif name == 'discord_webhook':
        u.conf_val = C('https://discord.com/api/webhooks/%s/' % rdig(18), u.tok)
        u.url = u.conf_val
    elif name == 'telegram':
        u.conf_val = u.tok
        u.url = C('https://api.telegram.org/bot', u.tok, '/sendMessage')
    elif name == 'azure_storage':
        u.conf_val = C('DefaultEndpointsProtocol=https;AccountName=examplestore%s;AccountKey=' % rstr(4, LOWN), u.tok,
                       ';EndpointSuffix=core.windows.net')
        u.url = None
    elif name == 'azure_sas':
        u.conf_val = C('https://examplestore%s.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2025-12-31T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=' % rstr(4, LOWN), u.tok)
        u.url = u.conf_val
    elif name == 'google':
        u.conf_val = u.tok
        u.url = C('https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=', u.tok)
    elif name == 'mapbox':
        u.conf_val = u.tok
        u.url = C('https://api.mapbox.com/geocoding/v5/mapbox.places/berlin.json?access_token=', u.tok)
    else:
        u.conf_val = u.tok
        u.url = None
    u.conf = (env, u.conf_val)
    return u


CONF_NAMES = {'stripe': ['stripeKey', 'stripe_secret'], 'sendgrid': ['sendgridKey', 'mailKey'],
              'openai': ['openaiKey', 'llmKey'], 'datadog': ['ddApiKey'], 'slack_webhook': ['alertsWebhook'],
              'twilio': ['twilioAuthToken'], 'github': ['ghToken'], 'shopify': ['shopToken']}


def conf_name(u):
    """a stage-variable / context style name for a vendor value"""
    if u.name in CONF_NAMES and chance(0.6):
        return rch(CONF_NAMES[u.name])
    parts = u.env.lower().split('_')
    return parts[0] + ''.join(p.capitalize() for p in parts[1:])


# ----------------------------------------------------------------------------------------------------------------
# inbound requests at the edge (shared by WAF, ALB, CloudFront, API Gateway, authorizers, ...)
# ----------------------------------------------------------------------------------------------------------------

HOSTS = {
    'health': ['api.carebridge.example.com', 'members.example.org', 'fhir.example.net'],
    'fintech': ['api.pay.example.net', 'ledger.example.com', 'api.example.de'],
    'travel': ['api.trips.example.com', 'booking.example.co.uk', 'api.example.es'],
    'ecom': ['shop.example.com', 'api.store.example.de', 'checkout.example.fr'],
    'hr': ['hr.example.com', 'payroll.example.org', 'people.example.com.br'],
    'auth': ['auth.example.com', 'login.example.net', 'id.example.org'],
}
INDUSTRIES = ['health', 'fintech', 'travel', 'ecom', 'hr', 'auth']
IATA = ['FRA', 'JFK', 'LHR', 'CDG', 'MAD', 'SYD', 'GRU', 'NRT', 'SFO', 'ORD', 'AMS', 'DXB', 'SIN', 'LIS']


def k_uuid():
    return K(ruuid())


def k_id(prefix, n=14, alpha=AN):
    return K(prefix + rstr(n, alpha))


def npi():
    b = '80840' + str(rint(1, 2)) + rstr(8, DIG)
    return b[5:] + luhn_digit(b)


def pnr():
    return rstr(6, UPN.replace('0', '').replace('O', '').replace('1', '').replace('I', ''))


class Req:
    def __init__(self):
        self.q = []
        self.headers = []
        self.body = None
        self.ctype = None
        self.cookies = []
        self.method = 'GET'
        self.route = '/'
        self.path = C('/')
        self.status = 200

    def qstr(self, enc=pct):
        if not self.q:
            return None
        return qs(self.q, enc)

    def target(self, enc=pct):
        q = self.qstr(enc)
        return C(self.path, '?', q) if q is not None else C(self.path)

    def body_rs(self, ea=False, sp=False):
        if self.body is None:
            return None
        if self.ctype == 'form':
            return qs(self.body, form)
        return jd(self.body, sp=sp, ea=ea)

    def pathk(self):
        return self.path if has_secret(self.path) else K(T(self.path))

    def hdr(self, name):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None


def rt_health(r, clean):
    k = rint(0, 5)
    if k == 0:
        r.method, r.route = 'GET', '/v1/members/{memberId}/claims'
        mid = K(ruuid()) if (clean or chance(0.3)) else P('member_id')
        r.path = C('/v1/members/', mid, '/claims')
        r.q = [('status', rch(['open', 'paid', 'denied'])), ('page', str(rint(1, 9)))]
        if not clean and chance(0.4):
            r.q.append(('dob', P('dob', gen_dob(0))))
    elif k == 1:
        r.method, r.route = 'GET', '/fhir/r4/Patient'
        r.path = C('/fhir/r4/Patient')
        if clean:
            r.q = [('_id', k_uuid()), ('_count', '20')]
        else:
            r.q = [('family', rch(LAST).capitalize()), ('birthdate', P('dob', gen_dob(0)))]
            if chance(0.6):
                r.q.append(('identifier', C('http://hl7.org/fhir/sid/us-ssn|', P('ssn', gen_ssn(True)))))
            if chance(0.3):
                r.q.append(('email', P('email')))
    elif k == 2:
        r.method, r.route, r.path = 'POST', '/v1/appointments', C('/v1/appointments')
        r.ctype = 'json'
        r.body = {'patientId': k_uuid(), 'providerNpi': K(npi()), 'slot': TS().iso(0),
                  'reason': rch(['follow-up', 'annual physical', 'lab results', 'telehealth consult'])}
        if not clean:
            r.body['dateOfBirth'] = P('dob', gen_dob(0))
            if chance(0.7):
                r.body['contact'] = {'email': P('email'), 'phone': P('phone')}
            if chance(0.3):
                r.body['memberId'] = P('member_id')
    elif k == 3:
        r.method, r.route, r.path = 'POST', '/v1/eligibility/check', C('/v1/eligibility/check')
        r.ctype = 'json'
        r.body = {'planCode': K('PLN-%s' % rstr(6, UPN)), 'serviceDate': TS().date(), 'payerId': K(rstr(5, DIG))}
        if not clean:
            r.body['subscriber'] = {'memberId': P('member_id'), 'dob': P('dob', gen_dob(0))}
            if chance(0.4):
                r.body['subscriber']['ssn'] = P('ssn')
    elif k == 4:
        r.method, r.route = 'GET', '/v1/providers'
        r.path = C('/v1/providers')
        r.q = [('zip', str(rint(10000, 99999))), ('specialty', rch(['cardiology', 'dermatology', 'pediatrics'])),
               ('radius', str(rint(5, 50)))]
    else:
        r.method, r.route = 'GET', '/v1/prescriptions/{rxId}/status'
        r.path = C('/v1/prescriptions/', K('rx_' + rstr(16, LOWN)), '/status')


def rt_fintech(r, clean):
    k = rint(0, 5)
    if k == 0:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/payments', C('/v1/payments'), 'json'
        r.body = {'amount': rint(100, 250000), 'currency': rch(['USD', 'EUR', 'GBP', 'BRL']),
                  'idempotencyKey': k_uuid(), 'merchantId': K('mch_' + rstr(12, AN))}
        if not clean:
            r.body['card'] = {'number': P('card_number', gen_card(0)), 'exp_month': rint(1, 12),
                              'exp_year': rint(2026, 2031), 'cvc': '***'}
            if chance(0.5):
                r.body['receiptEmail'] = P('email')
        else:
            r.body['paymentMethod'] = K('pm_' + rstr(24))
    elif k == 1:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/transfers', C('/v1/transfers'), 'json'
        r.body = {'fromAccount': K('acc_' + rstr(16, LOWN)), 'amount': '%d.%02d' % (rint(1, 9000), rint(0, 99)),
                  'currency': 'EUR', 'reference': K('INV-%d-%s' % (rint(2024, 2025), rstr(6, DIG)))}
        if not clean:
            r.body['beneficiary'] = {'iban': P('iban'), 'bic': K(rch(['DEUTDEFF', 'COBADEFFXXX', 'BNPAFRPP', 'INGBNL2A', 'BARCGB22']))}
        else:
            r.body['beneficiaryId'] = K('ben_' + rstr(16, LOWN))
    elif k == 2:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/kyc/verify', C('/v1/kyc/verify'), 'json'
        r.body = {'applicationId': k_uuid(), 'country': rch(['US', 'GB', 'DE', 'BR'])}
        if not clean:
            r.body['person'] = {'ssn': P('ssn'), 'dob': P('dob'), 'address': {'line1': P('address'), 'postalCode': str(rint(10000, 99999))}}
            if chance(0.5):
                r.body['person']['phone'] = P('phone')
    elif k == 3:
        r.method, r.route = 'GET', '/v1/accounts/{accountId}/statements'
        r.path = C('/v1/accounts/', K('acc_' + rstr(16, LOWN)), '/statements')
        r.q = [('from', '2025-01-01'), ('to', '2025-03-31'), ('format', rch(['pdf', 'csv']))]
    elif k == 4:
        r.method, r.route = 'GET', '/v1/cards/{cardId}/details'
        r.path = C('/v1/cards/', K('card_' + rstr(20)), '/details')
        if not clean:
            r.q = [('otp', P('otp')), ('reveal', 'pan')]
    else:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/payouts', C('/v1/payouts'), 'json'
        r.body = {'amount': rint(1000, 90000), 'currency': 'GBP', 'destination': K('ba_' + rstr(24))}
        if not clean and chance(0.7):
            r.body['accountHolderEmail'] = P('email')


def rt_travel(r, clean):
    k = rint(0, 4)
    if k == 0:
        r.method, r.route, r.path, r.ctype = 'POST', '/v2/bookings', C('/v2/bookings'), 'json'
        pax = []
        for _ in range(rint(1, 2)):
            p = {'type': 'adult', 'given_name': rch(FIRST).capitalize(), 'family_name': rch(LAST).capitalize()}
            if not clean:
                p['born_on'] = P('dob', gen_dob(0))
                if chance(0.7):
                    p['passport'] = {'number': P('passport'), 'expires_on': '20%d-%02d-%02d' % (rint(27, 34), rint(1, 12), rint(1, 28)),
                                     'issuing_country': rch(['US', 'DE', 'GB', 'FR', 'BR'])}
                if chance(0.6):
                    p['email'] = P('email')
                if chance(0.5):
                    p['phone_number'] = P('phone')
                if chance(0.3):
                    p['loyalty'] = {'airline': rch(['LH', 'UA', 'BA']), 'number': P('frequent_flyer')}
            pax.append(p)
        r.body = {'offerId': K('off_' + rstr(22)), 'passengers': pax}
    elif k == 1:
        r.method, r.route, r.path = 'GET', '/v1/trips', C('/v1/trips')
        r.q = [('pnr', K(pnr())), ('lastName', rch(LAST).capitalize())]
        if not clean and chance(0.6):
            r.q.append(('email', P('email')))
    elif k == 2:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/checkin', C('/v1/checkin'), 'json'
        r.body = {'pnr': K(pnr()), 'flight': K('%s%d' % (rch(['LH', 'UA', 'BA', 'IB', 'AF']), rint(100, 9999))),
                  'seat': '%d%s' % (rint(1, 45), rch('ABCDEF'))}
        if not clean:
            r.body['travelDocument'] = {'passportNumber': P('passport'), 'dateOfBirth': P('dob', gen_dob(0)),
                                        'nationality': rch(['DE', 'US', 'ES', 'GB'])}
    elif k == 3:
        r.method, r.route, r.path = 'GET', '/v1/flights/search', C('/v1/flights/search')
        a, b = RNG.sample(IATA, 2)
        r.q = [('from', a), ('to', b), ('date', TS().date()), ('adults', str(rint(1, 4))), ('cabin', rch(['economy', 'business']))]
    else:
        r.method, r.route = 'GET', '/v1/bookings/{bookingRef}/boarding-pass'
        r.path = C('/v1/bookings/', K(pnr()), '/boarding-pass')
        if not clean:
            r.q = [('token', P('bearer_token'))]


def rt_ecom(r, clean):
    k = rint(0, 4)
    if k == 0:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/checkout', C('/v1/checkout'), 'json'
        r.body = {'cartId': K('cart_' + rstr(20, LOWN)), 'coupon': rch(['SPRING25', 'WELCOME10', 'FREESHIP']),
                  'shipping': {'postcode': str(rint(10000, 99999)), 'city': rch(['Berlin', 'Austin', 'Leeds', 'Lyon', 'Porto']),
                               'country': rch(['DE', 'US', 'GB', 'FR', 'PT'])}}
        if not clean:
            r.body['email'] = P('email')
            r.body['shipping']['line1'] = P('address')
            if chance(0.5):
                r.body['phone'] = P('phone')
            if chance(0.4):
                r.body['payment'] = {'card': P('card_number'), 'holder': rch(FIRST).capitalize() + ' ' + rch(LAST).capitalize()}
    elif k == 1:
        r.method, r.route = 'GET', '/v1/orders/{orderId}'
        r.path = C('/v1/orders/', K('ord_' + rstr(20)))
    elif k == 2:
        r.method, r.route, r.path = 'GET', '/v1/products', C('/v1/products')
        r.q = [('q', rch(['running shoes', 'usb-c hub', 'rain jacket', 'espresso beans'])), ('page', str(rint(1, 12))),
               ('sort', rch(['-rating', 'price', '-created_at']))]
    elif k == 3:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/newsletter/subscribe', C('/v1/newsletter/subscribe'), 'json'
        r.body = {'list': K('lst_' + rstr(10, LOWN)), 'source': 'footer'}
        if not clean:
            r.body['email'] = P('email')
    else:
        r.method, r.route = 'GET', '/v1/customers/{customerId}/addresses'
        r.path = C('/v1/customers/', K('cus_' + rstr(14)), '/addresses')


def rt_hr(r, clean):
    k = rint(0, 3)
    if k == 0:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/employees', C('/v1/employees'), 'json'
        r.body = {'employeeId': K('E%s' % rstr(6, DIG)), 'costCenter': K('CC-%s' % rstr(4, DIG)),
                  'startDate': TS().date(), 'department': rch(['Finance', 'Engineering', 'Sales', 'Care'])}
        if not clean:
            r.body['personal'] = {'dateOfBirth': P('dob', gen_dob(0)), 'homeAddress': P('address'), 'email': P('email')}
            if chance(0.5):
                r.body['personal']['ssn'] = P('ssn')
            else:
                r.body['personal']['nationalId'] = P('national_id')
            if chance(0.5):
                r.body['payroll'] = {'iban': P('iban')}
    elif k == 1:
        r.method, r.route, r.ctype = 'PUT', '/v1/employees/{employeeId}/bank-account', 'json'
        eid = 'E%s' % rstr(6, DIG)
        r.path = C('/v1/employees/', K(eid), '/bank-account')
        r.body = {'effectiveFrom': TS().date()}
        if not clean:
            r.body['iban'] = P('iban')
    elif k == 2:
        r.method, r.route = 'GET', '/v1/payslips/{payslipId}'
        r.path = C('/v1/payslips/', k_uuid(), '.pdf')
    else:
        r.method, r.route, r.path = 'GET', '/v1/directory/search', C('/v1/directory/search')
        if clean:
            r.q = [('department', rch(['Finance', 'Engineering'])), ('limit', '25')]
        else:
            r.q = [(rch(['email', 'workEmail']), P('email')), ('limit', '5')]


def rt_auth(r, clean, host):
    k = rint(0, 7)
    cid = client_id()
    redirect = 'https://app.%s/callback' % rch(['example.com', 'example.org', 'example.net'])
    if k == 0:
        r.method, r.route, r.path, r.ctype = 'POST', '/oauth2/token', C('/oauth2/token'), 'form'
        if clean:
            r.body = [('grant_type', 'client_credentials'), ('scope', 'orders/read')]
        else:
            g = rint(0, 3)
            if g == 0:
                r.body = [('grant_type', 'authorization_code'), ('client_id', K(cid)), ('code', P('oauth_code')),
                          ('redirect_uri', redirect)]
                if chance(0.6):
                    r.body.append(('code_verifier', P('pkce_verifier')))
            elif g == 1:
                r.body = [('grant_type', 'refresh_token'), ('client_id', K(cid)), ('refresh_token', P('refresh_token'))]
            elif g == 2:
                r.body = [('grant_type', 'client_credentials'), ('client_id', K(cid)),
                          ('client_secret', P('client_secret')), ('scope', 'payments/write')]
            else:
                r.body = [('grant_type', 'password'), ('username', P('email')), ('password', P('password')),
                          ('client_id', K(cid))]
    elif k == 1:
        r.method, r.route, r.path = 'GET', '/oauth2/authorize', C('/oauth2/authorize')
        r.q = [('response_type', 'code'), ('client_id', K(cid)), ('redirect_uri', redirect),
               ('state', K(b64r(24, True, False))), ('scope', 'openid email profile')]
        if not clean:
            r.q.append(('login_hint', P('email')))
        r.q.append(('code_challenge_method', 'S256'))
    elif k == 2:
        r.method, r.route, r.path = 'GET', '/callback', C('/callback')
        if clean:
            r.q = [('error', 'access_denied'), ('state', K(b64r(24, True, False)))]
        else:
            r.q = [('code', P('oauth_code')), ('state', K(b64r(24, True, False)))]
    elif k == 3:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/login', C('/v1/login'), 'json'
        r.body = {'username': P('email'), 'password': P('password'), 'rememberMe': chance(0.5)}
    elif k == 4:
        r.method, r.route, r.path = 'POST', '/v1/password/reset', C('/v1/password/reset')
        r.ctype = 'json'
        if clean:
            r.body = {'status': 'requested'}
        else:
            r.q = [('token', P('reset_token'))]
            r.body = {'newPassword': P('password')}
    elif k == 5:
        r.method, r.route, r.path = 'GET', '/v1/verify-email', C('/v1/verify-email')
        if not clean:
            r.q = [('token', P('reset_token')), ('email', P('email'))]
        else:
            r.q = [('lang', rch(['en', 'de', 'pt-BR']))]
    elif k == 6:
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/mfa/verify', C('/v1/mfa/verify'), 'json'
        r.body = {'challengeId': k_uuid(), 'method': rch(['totp', 'sms'])}
        if not clean:
            r.body['code'] = P('otp')
    else:
        r.method, r.route, r.path = 'GET', '/.well-known/openid-configuration', C('/.well-known/openid-configuration')


def benign_cookies():
    cs = []
    if chance(0.6):
        cs.append(('_ga', K('GA1.2.%d.%d' % (rint(10 ** 8, 10 ** 10), TS().e))))
    if chance(0.4):
        cs.append(('AWSALB', K(b64r(rint(90, 110)))))
    if chance(0.3):
        cs.append(('lang', rch(['de-DE', 'en-GB', 'pt-BR', 'es-ES'])))
    if chance(0.25):
        cs.append(('cookie_consent', 'necessary%2Canalytics'))
    return cs


SESSION_COOKIE_NAMES = ['session', 'sid', 'connect.sid', 'JSESSIONID', 'PHPSESSID', '_app_session', '__Host-session',
                        '__Secure-next-auth.session-token', 'SESSION']


def session_cookie():
    name = rch(SESSION_COOKIE_NAMES)
    if name == '__Secure-next-auth.session-token':
        v = S(gen_jwt(), 'session_cookie')
    else:
        v = gen_session()
        v = S(urllib.parse.quote(v, safe=''), 'session_cookie') if v.startswith('s:') else S(v, 'session_cookie')
    return (name, v)


def cookie_header(pairs):
    return JN('; ', [C(n, '=', v) for n, v in pairs])


def sigv4_headers(ts, region, service, temp=None):
    temp = chance(0.7) if temp is None else temp
    akid = S(gen_akid(temp), 'aws_access_key_id')
    hs = [('X-Amz-Date', K(ts.amz()))]
    signed = 'host;x-amz-content-sha256;x-amz-date' + (';x-amz-security-token' if temp else '')
    hs.append(('X-Amz-Content-Sha256', K(sha256hex())))
    if temp:
        hs.append(('X-Amz-Security-Token', S(gen_session_token(), 'aws_session_token')))
    auth = C('AWS4-HMAC-SHA256 Credential=', akid, K('/%s/%s/%s/aws4_request' % (ts.ymd(), region, service)),
             ', SignedHeaders=', K(signed), ', Signature=', S(gen_sig4(), 'sigv4_signature'))
    return [('Authorization', auth)] + hs


def add_auth(r, clean, ts, region, allow=None):
    """authentication headers / cookies for a request"""
    if clean:
        r.cookies = benign_cookies()
        if chance(0.15):
            r.headers.append(('Authorization', K(rch(['Bearer [REDACTED]', 'Bearer ****', 'REDACTED']))))
        return
    kinds = allow or ['jwt', 'jwt', 'opaque', 'basic', 'sigv4', 'apikey', 'apikey', 'cookie', 'cookie', 'vendor', 'vendor', 'vendor', 'vendor', 'vendor']
    a = rch(kinds)
    r.auth = a
    cs = benign_cookies()
    if a == 'jwt':
        r.headers.append(('Authorization', C(rch(['Bearer ', 'Bearer ', '']), S(gen_jwt(), 'jwt'))))
    elif a == 'opaque':
        r.headers.append(('Authorization', C('Bearer ', S(gen_opaque(), 'bearer_token'))))
    elif a == 'basic':
        user = rch([gen_email(), 'svc-%s' % rch(['billing', 'export', 'sync']), 'partner_%s' % rstr(6, LOWN)])
        r.headers.append(('Authorization', C('Basic ', S(b64s(user + ':' + gen_password()), 'basic_auth'))))
    elif a == 'sigv4':
        r.headers.extend(sigv4_headers(ts, region, rch(['execute-api', 'execute-api', 'lambda', 'appsync'])))
    elif a == 'apikey':
        r.headers.append((rch(['x-api-key', 'X-API-Key', 'x-api-key']), S(gen_apigw_key(), 'api_key')))
    elif a == 'cookie':
        cs.insert(rint(0, len(cs)), session_cookie())
        if chance(0.3):
            cs.append(('XSRF-TOKEN', rstr(36, AN)))
    elif a == 'vendor':
        u = vendor('hdr')
        r.headers.extend(u.headers)
        r.vendor = u
    r.cookies = cs


def integration_credentials():
    """(provider, credentials dict) as a tenant submits them when it connects an account"""
    k = wpick([(5, 'vendor'), (3, 'aws'), (3, 'gcp'), (2, 'db'), (3, 'ghapp')])
    if k == 'vendor':
        u = vendor('any')
        cred = od((conf_name(u), u.conf_val))
        if chance(0.3):
            u2 = vendor('any')
            cred[conf_name(u2)] = u2.conf_val
        return u.name, cred
    if k == 'aws':
        return 'aws-s3-export', od(('accessKeyId', S(gen_akid(False), 'aws_access_key_id')), ('secretAccessKey', S(gen_aws_secret(), 'aws_secret_key')),
                                   ('bucket', 'example-exports-%s' % rstr(6, LOWN)), ('region', rch(REGIONS)))
    if k == 'gcp':
        proj = 'example-%s-%d' % (rch(['analytics', 'warehouse', 'ml']), rint(100000, 999999))
        return 'gcp-bigquery', od(('type', 'service_account'), ('project_id', proj), ('private_key_id', K(rstr(40, HEXL))),
                                  ('private_key', C('-----BEGIN PRIVATE KEY-----\n', S(gen_pem_body(), 'private_key'), '\n-----END PRIVATE KEY-----\n')),
                                  ('client_email', 'exporter@%s.iam.gserviceaccount.com' % proj), ('client_id', K(rdig(21))),
                                  ('token_uri', 'https://oauth2.googleapis.com/token'))
    if k == 'ghapp':
        return 'github-app', od(('appId', str(rint(100000, 999999))), ('installationId', K(rdig(8))),
                                ('privateKey', C('-----BEGIN RSA PRIVATE KEY-----\n', S(gen_pem_body(), 'private_key'), '\n-----END RSA PRIVATE KEY-----\n')),
                                ('webhookSecret', S(rstr(40, HEXL), 'secret_key')))
    pw = S(gen_password().replace(' ', '').replace('@', '').replace('/', '').replace(':', ''), 'connection_string_password')
    host = K('warehouse.cluster-%s.%s.rds.amazonaws.com' % (rstr(12, LOWN), rch(REGIONS)))
    return 'postgres', od(('url', C('postgresql://reporting:', pw, '@', host, ':5432/analytics?sslmode=require')))


WEBHOOKS = [('stripe', 'Stripe-Signature'), ('github', 'X-Hub-Signature-256'), ('slack', 'X-Slack-Signature'),
            ('shopify', 'X-Shopify-Hmac-Sha256'), ('twilio', 'X-Twilio-Signature'), ('docusign', 'X-DocuSign-Signature-1')]


def inbound_webhook(r):
    """a vendor calls the platform's webhook endpoint: an HMAC signature header and a payload with personal data"""
    prov, hname = rch(WEBHOOKS)
    r.method, r.route, r.ctype = 'POST', '/webhooks/%s' % prov, 'json'
    r.path = C(r.route)
    if prov == 'stripe':
        sig = C('t=', str(TS().e), ',v1=', S(rstr(64, HEXL), 'hmac_signature'))
        r.body = od(('id', K('evt_' + rstr(24))), ('type', 'customer.updated'), ('data', od(('object', od(('id', K('cus_' + rstr(14))), ('email', S(gen_email(), 'email')),
                                                                                                      ('phone', S(gen_phone(), 'phone')))))))
    elif prov == 'github':
        sig = C('sha256=', S(rstr(64, HEXL), 'hmac_signature'))
        r.body = od(('action', 'opened'), ('sender', od(('login', 'octo-' + rstr(6, LOWN)), ('id', rint(10 ** 6, 10 ** 8)))), ('pusher', od(('email', S(gen_email(), 'email')))))
    elif prov == 'slack':
        sig = C('v0=', S(rstr(64, HEXL), 'hmac_signature'))
        r.body = od(('type', 'event_callback'), ('team_id', K('T' + rstr(10, UPN))), ('event', od(('type', 'app_mention'), ('user', K('U' + rstr(10, UPN))),
                                                                                             ('text', C('please update my email to ', S(gen_email(), 'email'))))))
    elif prov in ('shopify', 'twilio'):
        sig = S(b64r(32 if prov == 'shopify' else 20), 'hmac_signature')
        r.body = od(('id', rint(10 ** 9, 10 ** 10)), ('email', S(gen_email(), 'email')), ('phone', S(gen_phone(), 'phone')))
    else:
        sig = S(b64r(32), 'hmac_signature')
        r.body = od(('envelopeId', k_uuid()), ('status', 'completed'), ('recipient', od(('email', S(gen_email(), 'email')))))
    r.headers.append((hname, sig))
    if prov == 'slack':
        r.headers.append(('X-Slack-Request-Timestamp', str(TS().e)))


def make_req(clean, ts=None, region=None, ind=None, allow_auth=None):
    r = Req()
    r.ts = ts or TS()
    r.region = region or rch(REGIONS)
    r.ind = ind or rch(INDUSTRIES)
    r.host = rch(HOSTS[r.ind])
    r.ip = ip_client()
    r.ua = ua()
    r.auth = None
    r.vendor = None
    w = rch(['integ', 'integ', 'hook'] + ['none'] * 15) if not clean else 'none'
    if w == 'integ':
        # a tenant connects its own vendor / cloud account through the platform API
        prov, cred = integration_credentials()
        r.method, r.route, r.path, r.ctype = 'POST', '/v1/integrations', C('/v1/integrations'), 'json'
        r.body = od(('provider', prov), ('displayName', rch(['prod', 'EU shop', 'alerts', 'exports'])), ('credentials', cred))
    elif w == 'hook':
        inbound_webhook(r)
    elif r.ind == 'auth':
        rt_auth(r, clean, r.host)
    else:
        {'health': rt_health, 'fintech': rt_fintech, 'travel': rt_travel, 'ecom': rt_ecom, 'hr': rt_hr}[r.ind](r, clean)
    # legacy Java back ends put the session id into the path
    if not clean and chance(0.05):
        r.path = C(r.path, ';jsessionid=', S(rstr(32, HEXU), 'session_id'))
    # occasionally a credential in the query string
    if not clean and chance(0.12) and r.method == 'GET':
        r.q.append((rch(['access_token', 'api_key', 'token', 'apiKey']),
                    rch([lambda: S(gen_jwt(), 'jwt'), lambda: S(gen_apigw_key(), 'api_key'),
                         lambda: S(gen_opaque(), 'bearer_token')])()))
    add_auth(r, clean, r.ts, r.region, allow_auth)
    r.status = wpick([(10, 200), (2, 201), (1, 204), (1, 302), (2, 400), (2, 401), (2, 403), (1, 404), (1, 429), (1, 500), (1, 502)])
    if r.method == 'POST' and r.status == 200:
        r.status = rch([200, 201])
    # standard request headers
    hs = [('Host', K(r.host)), ('User-Agent', K(r.ua)), ('Accept', rch(['application/json', '*/*', 'application/json, text/plain, */*']))]
    if chance(0.5):
        hs.append(('Accept-Language', rch(['en-US,en;q=0.9', 'de-DE,de;q=0.9,en;q=0.8', 'pt-BR,pt;q=0.9', 'es-ES,es;q=0.9'])))
    if r.body is not None:
        hs.append(('Content-Type', 'application/x-www-form-urlencoded' if r.ctype == 'form' else 'application/json'))
    hs.extend(r.headers)
    if r.cookies:
        hs.append(('Cookie', cookie_header(r.cookies)))
    if chance(0.5):
        hs.append(('X-Amzn-Trace-Id', K(trace_hdr(r.ts, parent=False))))
    if chance(0.3):
        hs.append(('traceparent', K('00-%s-%s-01' % (rstr(32, HEXL), rstr(16, HEXL)))))
    if chance(0.3):
        hs.append(('X-Request-Id', k_uuid()))
    if not clean and chance(0.15):
        # a referer that leaks the previous page's query
        hs.append(('Referer', C('https://app.example.com/account/reset?token=', S(gen_reset_token(), 'reset_token'),
                                '&email=', pct(S(gen_email(), 'email')))))
    elif chance(0.3):
        hs.append(('Referer', 'https://app.example.com/' + rch(['checkout', 'account', 'trips', 'claims', ''])))
    r.headers = hs
    return r


# ----------------------------------------------------------------------------------------------------------------
# layout: AWS WAF full logs
# ----------------------------------------------------------------------------------------------------------------

WAF_LABELS_CLEAN = ['awswaf:clientip:geo:country:%s', 'awswaf:clientip:geo:region:%s-%s', 'awswaf:managed:token:absent',
                    'awswaf:managed:aws:bot-control:bot:category:http_library', 'awswaf:managed:aws:anonymous-ip-list:HostingProviderIPList',
                    'awswaf:managed:aws:core-rule-set:NoUserAgent_Header', 'awswaf:managed:aws:bot-control:signal:non_browser_user_agent']
COUNTRIES = ['US', 'DE', 'GB', 'BR', 'FR', 'ES', 'AU', 'JP', 'IN', 'NL']


def waf_labels(country):
    out = []
    for _ in range(rint(0, 3)):
        l = rch(WAF_LABELS_CLEAN)
        if '%s-%s' in l:
            l = l % (country, rch(['CA', 'BE', 'NY', 'TX', 'SP', 'NSW', 'ENG']))
        elif '%s' in l:
            l = l % country
        if {'name': l} not in out:
            out.append({'name': l})
    return out


def g_waf(clean):
    ts = TS()
    region = rch(REGIONS)
    a = acct()
    src = wpick([(4, 'CF'), (4, 'APIGW'), (3, 'ALB'), (1, 'APPSYNC'), (1, 'COGNITOIDP')])
    r = make_req(clean, ts, region)
    h2 = src == 'CF' and chance(0.6)
    scope = 'global' if src == 'CF' else 'regional'
    wregion = 'us-east-1' if src == 'CF' else region
    acl_name = rch(['edge-acl', 'api-protect', 'prod-web-acl', 'members-portal-acl'] +
                   (['CreatedByCloudFront-%s' % rstr(8, HEXL)] if src == 'CF' else []))
    webacl = K('arn:aws:wafv2:%s:%s:%s/webacl/%s/%s' % (wregion, a, scope, acl_name, ruuid()))
    if src == 'CF':
        srcid, reqid = cf_dist_id(), cf_reqid()
    elif src == 'APIGW':
        srcid, reqid = '%s:%s:%s' % (a, api_id(), rch(['prod', 'v1', 'live', 'CanaryTest'])), ext_id()
    elif src == 'ALB':
        srcid, reqid = '%s-app/%s/%s' % (a, rch(['edge-alb', 'api-alb', 'portal']), rstr(16, HEXL)), xray_root(ts)
    elif src == 'APPSYNC':
        srcid, reqid = '%s:%s' % (a, appsync_id()), ruuid()
    else:
        srcid, reqid = '%s:%s' % (a, pool_id(region)), ruuid()
    country = rch(COUNTRIES)
    details, rgl, rbl, ntm = [], [], [], []
    action, term_id, term_type = 'ALLOW', 'Default_Action', 'REGULAR'
    labels = waf_labels(country)
    extra_hdrs = []
    if not clean and r.vendor is None and chance(0.5):
        u = vendor('hdr')
        extra_hdrs.extend(u.headers)
    scen = wpick([(5, 'allow'), (2, 'managed'), (3, 'sqli'), (3, 'rate'), (1, 'captcha')])
    if scen == 'managed':
        action = 'BLOCK'
        grp = rch([('AWS#AWSManagedRulesCommonRuleSet#Version_1.%d' % rint(10, 19), 'SizeRestrictions_BODY', 'core-rule-set'),
                   ('AWS#AWSManagedRulesKnownBadInputsRuleSet#Version_1.%d' % rint(10, 22), 'Host_localhost_HEADER', 'known-bad-inputs'),
                   ('AWS#AWSManagedRulesBotControlRuleSet#Version_3.%d' % rint(0, 3), 'CategoryHttpLibrary', 'bot-control'),
                   ('AWS#AWSManagedRulesAnonymousIpList#Version_1.%d' % rint(0, 9), 'HostingProviderIPList', 'anonymous-ip-list')])
        term_id, term_type = 'AWS-' + grp[0].split('#')[1], 'MANAGED_RULE_GROUP'
        rgl.append({'ruleGroupId': K(grp[0]), 'terminatingRule': {'ruleId': grp[1], 'action': 'BLOCK', 'ruleMatchDetails': None},
                    'nonTerminatingMatchingRules': [], 'excludedRules': None, 'customerConfig': None})
        labels.append({'name': K('awswaf:managed:aws:%s:%s' % (grp[2], grp[1]))})
    elif scen == 'sqli':
        action, term_id, term_type = 'BLOCK', rch(['BlockSQLi', 'SQLiBodyAndQuery', 'sqli-guard']), 'REGULAR'
        tgt = rch(['query', 'body', 'cookie']) if not clean else 'xss'
        if tgt == 'query':
            e = S(gen_email(), 'email')
            r.q.append((rch(['email', 'user', 'login']), C(e, "' OR 1=1--")))
            details.append({'conditionType': 'SQL_INJECTION', 'sensitivityLevel': rch(['LOW', 'HIGH']),
                            'location': rch(['QUERY_STRING', 'ALL_QUERY_ARGS']), 'matchedData': [C(e, "'"), 'OR', '1=1']})
        elif tgt == 'body':
            pw = gen_password().replace(' ', '')
            details.append({'conditionType': 'SQL_INJECTION', 'sensitivityLevel': 'HIGH', 'location': 'BODY',
                            'matchedData': [C(S(pw, 'password'), "'"), '--'], 'matchedFieldName': rch(['', '/password'])})
        elif tgt == 'cookie':
            sid = S(gen_session().replace('s:', ''), 'session_cookie')
            details.append({'conditionType': 'SQL_INJECTION', 'sensitivityLevel': 'LOW', 'location': 'HEADER',
                            'matchedData': [C('sid=', sid, "'"), 'OR', "'1'='1"], 'matchedFieldName': 'cookie'})
            extra_hdrs.append(('Cookie', C('sid=', sid, "' OR '1'='1")))
        else:
            r.q.append(('q', '<script>alert(1)</script>'))
            details.append({'conditionType': 'XSS', 'location': 'QUERY_STRING', 'matchedData': ['<', 'script']})
    elif scen == 'rate':
        action, term_id, term_type = 'BLOCK', rch(['RateLimitPerKey', 'RateBasedRule', 'login-throttle']), 'RATE_BASED'
        cv = []
        if not clean:
            w = rch(['hdr', 'cookie', 'query'])
            if w == 'hdr':
                key = S(gen_apigw_key(), 'api_key')
                cv.append({'key': 'HEADER', 'name': 'x-api-key', 'value': key})
                extra_hdrs.append(('x-api-key', key))
            elif w == 'cookie':
                n, v = session_cookie()
                cv.append({'key': 'COOKIE', 'name': n, 'value': v})
                extra_hdrs.append(('Cookie', C(n, '=', v)))
            else:
                t = S(gen_opaque(), 'bearer_token')
                cv.append({'key': 'QUERY_ARGUMENT', 'name': 'access_token', 'value': t})
                r.q.append(('access_token', t))
            if chance(0.5):
                cv.append({'key': 'HTTP_METHOD', 'value': r.method})
            limit_key = 'CUSTOMKEYS'
        else:
            limit_key = rch(['IP', 'CUSTOMKEYS'])
            if limit_key == 'CUSTOMKEYS':
                cv.append({'key': 'URI_PATH', 'value': T(r.path)})
        rbl.append({'rateBasedRuleId': K(ruuid()),
                    'rateBasedRuleName': term_id, 'limitKey': limit_key, 'maxRateAllowed': rch([100, 300, 1000, 2000]),
                    'evaluationWindowSec': str(rch([60, 120, 300])), 'customValues': cv})
    elif scen == 'captcha':
        action, term_id, term_type = rch(['CAPTCHA', 'CHALLENGE']), 'LoginChallenge', 'REGULAR'
        labels.append({'name': 'awswaf:managed:token:absent'})
    else:
        if chance(0.4):
            ntm.append({'ruleId': rch(['CountSignupBurst', 'MonitorLargeBodies']), 'action': 'COUNT', 'ruleMatchDetails': []})
    # header list as WAF logs it: name/value pairs in received order
    hdrs = []
    xnames = [x[0].lower() for x in extra_hdrs]
    for n, v in [h for h in r.headers if h[0].lower() not in xnames] + extra_hdrs:
        hdrs.append((n.lower() if h2 else n, v))
    if src in ('APIGW', 'ALB'):
        hdrs.append(('X-Forwarded-For', K(r.ip)))
    redact = [] if not chance(0.25) else [rch(['authorization', 'cookie', 'x-api-key', 'args'])]
    hl = []
    for n, v in hdrs:
        if n.lower() in redact:
            v = K('REDACTED')
        hl.append({'name': n, 'value': v})
    args = r.qstr(pct)
    if 'args' in redact and args is not None:
        args = K('REDACTED')
    req = collections.OrderedDict()
    req['clientIp'] = K(r.ip)
    req['country'] = country
    req['headers'] = hl
    req['uri'] = r.pathk()
    req['args'] = args if args is not None else ''
    req['httpVersion'] = 'HTTP/2.0' if h2 else 'HTTP/1.1'
    req['httpMethod'] = r.method
    req['requestId'] = K(reqid)
    if chance(0.5):
        req['fragment'] = ''
        req['scheme'] = 'https'
        req['host'] = r.host
    o = collections.OrderedDict()
    o['timestamp'] = ts.epms()
    o['formatVersion'] = 1
    o['webaclId'] = webacl
    o['terminatingRuleId'] = term_id
    o['terminatingRuleType'] = term_type
    o['action'] = action
    o['terminatingRuleMatchDetails'] = details
    o['httpSourceName'] = src
    o['httpSourceId'] = K(srcid)
    o['ruleGroupList'] = rgl
    o['rateBasedRuleList'] = rbl
    o['nonTerminatingMatchingRules'] = ntm
    o['requestHeadersInserted'] = None
    o['responseCodeSent'] = 429 if scen == 'rate' and chance(0.5) else None
    o['httpRequest'] = req
    if labels:
        o['labels'] = labels
    if r.method in ('POST', 'PUT'):
        n = len(T(r.body_rs() or ''))
        o['requestBodySize'] = n
        o['requestBodySizeInspectedByWAF'] = min(n, 8192 if src == 'ALB' else 16384)
    if action in ('CAPTCHA', 'CHALLENGE'):
        o['captchaResponse' if action == 'CAPTCHA' else 'challengeResponse'] = {'responseCode': 405, 'failureReason': 'TOKEN_MISSING'}
    if src in ('CF', 'ALB') or chance(0.3):
        o['ja3Fingerprint'] = K(rstr(32, HEXL))
        o['ja4Fingerprint'] = K('t13d%02d%02dh2_%s_%s' % (rint(10, 19), rint(8, 16), rstr(12, HEXL), rstr(12, HEXL)))
    line = jd(o)
    if chance(0.12):
        line = C(ts.iso(6).replace('Z', '+00:00'), ' ', K('%s_%s_%d' % (wregion, acl_name, rint(0, 3))), ' ', line)
    return line


# ----------------------------------------------------------------------------------------------------------------
# credentials and personal data that travel in URLs (query strings, paths)
# ----------------------------------------------------------------------------------------------------------------

def presign_params(ts, region, service='s3'):
    temp = chance(0.7)
    ps = [('X-Amz-Algorithm', 'AWS4-HMAC-SHA256'),
          ('X-Amz-Credential', C(S(gen_akid(temp), 'aws_access_key_id'), K('/%s/%s/%s/aws4_request' % (ts.ymd(), region, service)))),
          ('X-Amz-Date', K(ts.amz())), ('X-Amz-Expires', str(rch([300, 900, 3600, 604800])))]
    if temp:
        ps.append(('X-Amz-Security-Token', S(gen_session_token(), 'aws_session_token')))
    ps += [('X-Amz-SignedHeaders', 'host'), ('X-Amz-Signature', S(gen_sig4(), 'sigv4_signature'))]
    return ps


def cf_signed_params(ts):
    if chance(0.7):
        return [('Expires', str(ts.e + rint(300, 86400))), ('Signature', S(gen_cf_sig(), 'url_signature')),
                ('Key-Pair-Id', K('K' + rstr(13, UPN)))]
    pol = {'Statement': [{'Resource': 'https://%s/*' % cf_domain(), 'Condition': {'DateLessThan': {'AWS:EpochTime': ts.e + 3600}}}]}
    enc = base64.b64encode(json.dumps(pol, separators=(',', ':')).encode()).decode().replace('+', '-').replace('=', '_').replace('/', '~')
    return [('Policy', K(enc)), ('Signature', S(gen_cf_sig(), 'url_signature')), ('Key-Pair-Id', K('K' + rstr(13, UPN)))]


def query_secret(r, ts, region):
    """append a credential or personal value to the query string (or path) of a GET-style request"""
    k = wpick([(3, 'access_token'), (2, 'api_key'), (2, 'email'), (2, 'reset'), (2, 'oauth'), (2, 'presign'),
               (2, 'cfsigned'), (1, 'id_token'), (1, 'phone'), (1, 'redirect'), (6, 'vendor'), (1, 'path_email'),
               (2, 'session'), (1, 'dob'), (2, 'refresh')])
    if k == 'access_token':
        r.q.append(('access_token', rch([lambda: S(gen_jwt(), 'jwt'), lambda: S(gen_opaque(), 'bearer_token')])()))
    elif k == 'api_key':
        r.q.append((rch(['api_key', 'apiKey', 'x-api-key', 'key']), S(gen_apigw_key(), 'api_key')))
    elif k == 'email':
        r.q.append((rch(['email', 'login_hint', 'user', 'recipient']), S(gen_email(), 'email')))
    elif k == 'reset':
        r.q.append((rch(['token', 'reset_token', 'confirmation_token']), S(gen_reset_token(), 'reset_token')))
        if chance(0.5):
            r.q.append(('email', S(gen_email(), 'email')))
    elif k == 'oauth':
        r.method = 'GET'
        r.path = C(rch(['/auth/callback', '/oauth/callback', '/login/oauth2/code/cognito', '/sso/acs']))
        r.q = [('code', S(gen_code(), 'oauth_code')), ('state', K(b64r(24, True, False)))]
    elif k == 'presign':
        r.path = C('/exports/', K(ruuid()), '/', rch(['statement.pdf', 'claims.csv', 'payslip.pdf', 'itinerary.pdf']))
        r.q = presign_params(ts, region)
    elif k == 'cfsigned':
        r.path = C('/media/', K(rstr(24, LOWN)), '/', rch(['scan.jpg', 'lab-report.pdf', 'boarding-pass.pkpass']))
        r.q = cf_signed_params(ts)
    elif k == 'id_token':
        r.q.append(('id_token', S(gen_jwt(), 'jwt')))
    elif k == 'phone':
        r.q.append((rch(['phone', 'msisdn', 'to']), S(gen_phone(), 'phone')))
    elif k == 'redirect':
        e = S(gen_email(), 'email')
        r.q.append(('redirect_uri', C('https://app.example.com/welcome?email=', pct(e), '&plan=pro')))
    elif k == 'vendor':
        u = vendor('any')
        if u.url is not None and chance(0.5):
            r.q.append(('webhook', u.url))
        else:
            r.q.append((rch(['key', 'api_key', 'token', 'apiKey']), u.tok))
    elif k == 'path_email':
        r.path = C('/v1/users/', pct(S(gen_email(), 'email')), '/preferences')
    elif k == 'session':
        if chance(0.5):
            r.path = C(r.path, ';jsessionid=', S(rstr(32, HEXU), 'session_id'))
        else:
            r.q.append((rch(['PHPSESSID', 'sid', 'sessionId']), S(rch([lambda: rstr(26, LOWN), lambda: rstr(32, HEXL)])(), 'session_id')))
    elif k == 'refresh':
        r.path = C(rch(['/oauth/token', '/v1/session/refresh', '/auth/refresh']))
        r.q = [('grant_type', 'refresh_token'), ('refresh_token', S(gen_refresh(), 'refresh_token')), ('client_id', K(client_id()))]
    elif k == 'dob':
        r.q.append(('dob', S(gen_dob(0), 'dob')))
        r.q.append(('lastName', rch(LAST).capitalize()))


# ----------------------------------------------------------------------------------------------------------------
# layout: Application Load Balancer access logs
# ----------------------------------------------------------------------------------------------------------------

ALB_ERRORS = ['AuthInvalidCookie', 'AuthInvalidGrantError', 'AuthInvalidIdToken', 'AuthInvalidStateParam',
              'AuthTokenEpRequestTimeout', 'LambdaInvalidResponse', 'LambdaUnhandled', 'TargetConnectionErrorCode']
CIPHERS = ['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_AES_256_GCM_SHA384']


def q(x):
    return C('"', x, '"')


def g_alb(clean):
    ts = TS()
    region = rch(REGIONS)
    a = acct()
    r = make_req(clean, ts, region)
    albname = rch(['edge-alb', 'api-prod', 'portal-public', 'ws-gateway', 'checkout'])
    elb = K('app/%s/%s' % (albname, rstr(16, HEXL)))
    scen = wpick([(6, 'forward'), (2, 'oidc'), (1, 'redirect'), (1, 'ws'), (1, 'waf'), (1, 'lambda')] + ([(2, 'grpc')] if clean else []))
    typ = rch(['https', 'https', 'h2'])
    port = 443
    target = '%s:%d' % (ip_private(), rch([80, 8080, 3000, 8443]))
    status, tstatus = r.status, r.status
    actions, redirect_url, err = 'forward', None, '-'
    ver_ = 'HTTP/2.0' if typ == 'h2' else 'HTTP/1.1'
    if not clean and scen not in ('grpc',):
        if scen == 'oidc':
            pass
        elif chance(0.5):
            u = vendor('any')
            r.q.append((rch(['key', 'api_key', 'token', 'apiKey', 'upstream_key']), u.tok) if (u.url is None or chance(0.5)) else ('webhook', u.url))
        elif not any(has_secret(v) for _, v in r.q) and not has_secret(r.path):
            query_secret(r, ts, region)
    if scen == 'oidc':
        r.method = 'GET'
        r.path = C('/oauth2/idpresponse')
        r.q = [('code', P('oauth_code', clean_alt=C())), ('state', K(b64r(rint(180, 260), True, False)))]
        if clean:
            r.q = [('error', 'access_denied'), ('error_description', 'User cancelled the login'), r.q[1]]
        actions, status, tstatus, target = 'authenticate', 302, '-', '-'
        if chance(0.3):
            err = rch(ALB_ERRORS[:5])
            status = rch([401, 500, 561])
    elif scen == 'redirect':
        typ, port, ver_ = 'http', 80, 'HTTP/1.1'
        actions, status, tstatus, target = 'redirect', 301, '-', '-'
        redirect_url = C('https://', r.host, ':443', r.target(pct))
    elif scen == 'ws':
        typ = rch(['ws', 'wss'])
        port = 443 if typ == 'wss' else 80
        r.method = 'GET'
        r.path = C('/', rch(['socket', 'ws', 'realtime', 'live/updates']))
        if clean:
            r.q = [('v', '2'), ('channel', K('chn_' + rstr(12, LOWN)))]
        else:
            r.q = [(rch(['token', 'access_token', 'auth']), rch([lambda: S(gen_jwt(), 'jwt'), lambda: S(gen_opaque(), 'bearer_token')])())]
        status = tstatus = 101
    elif scen == 'waf':
        if chance(0.5):
            actions, status, tstatus, target = 'waf', 403, '-', '-'
        else:
            actions = 'waf,forward'
    elif scen == 'lambda':
        target = '-'
        if chance(0.4):
            err = rch(['LambdaInvalidResponse', 'LambdaUnhandled'])
            status, tstatus = 502, '-'
    elif scen == 'grpc':
        typ, ver_ = 'h2', 'HTTP/2.0'
        r.method = 'POST'
        r.path = C('/%s/%s' % (rch(['payments.v1.PaymentService', 'trips.v2.ItineraryService', 'claims.v1.ClaimsService']),
                               rch(['Authorize', 'GetItinerary', 'Submit', 'List'])))
        r.q = []
    scheme = 'https' if typ in ('https', 'h2', 'wss') else 'http'
    if scen == 'ws':
        host_part = '%s:%d' % (ip_private(), port) if chance(0.5) else '%s:%d' % (r.host, port)
        request = C(r.method, ' ', 'http' if typ == 'ws' else 'https', '://', host_part, r.target(pct), ' ', ver_)
    else:
        request = C(r.method, ' ', scheme, '://', r.host, ':', str(port), r.target(pct), ' ', ver_)
    dispatched = target != '-' or scen in ('lambda',)
    if dispatched:
        times = '%.3f %.3f %.3f' % (RNG.random() / 500, RNG.random() * rch([0.1, 1, 3]), RNG.random() / 1000)
    else:
        times = '-1 -1 -1'
    t_end = ts.plus(rint(1, 3000))
    ssl = ('-', '-') if scheme == 'http' else (rch(CIPHERS), rch(['TLSv1.2', 'TLSv1.3']))
    tg = K(tgt_group_arn(region, a)) if target != '-' or scen == 'lambda' else '-'
    cert = q(K(acm_arn(region, a))) if scheme == 'https' else '"-"'
    parts = [typ, K(t_end.iso(6)), elb, K('%s:%d' % (r.ip if ':' not in r.ip else ip4(), rint(1024, 65535))), target, times,
             str(status), str(tstatus), str(rint(80, 9000)), str(rint(0, 60000)),
             q(request), q(K(r.ua)), ssl[0], ssl[1], tg, q(K(trace_hdr(ts, parent=False).replace('Root=', 'Root='))),
             q(r.host if scheme == 'https' else '-'), cert, str(rch([0, 1, 2, 10, 100]) if target != '-' or scen == 'oidc' else '-'),
             K(ts.iso(6)), q(actions), q(redirect_url if redirect_url is not None else '-'), q(err),
             q(target if target != '-' else '-'), q(str(tstatus) if target != '-' else '-'),
             q(rch(['-', '-', '-', 'Acceptable'])), q('-'), K('TID_' + rstr(32, HEXL))]
    line = JN(' ', parts)
    if chance(0.12):
        fn = 'AWSLogs/%s/elasticloadbalancing/%s/%s/%s_elasticloadbalancing_%s_app.%s.%s_%s_%s_%s.log.gz' % (
            a, region, t_end.d.strftime('%Y/%m/%d'), a, region, albname, rstr(16, HEXL), t_end.d.strftime('%Y%m%dT%H%MZ'),
            ip4(), rstr(8, LOWN))
        line = C(K(fn), ':', line)
    return line


# ----------------------------------------------------------------------------------------------------------------
# layouts: CloudFront standard logs (legacy W3C, tab-separated) and real-time logs (Kinesis records)
# ----------------------------------------------------------------------------------------------------------------

CF_FIELDS = ('date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) '
             'cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken '
             'x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status '
             'fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len '
             'sc-range-start sc-range-end').split()
EDGES = ['IAD89-C1', 'IAD12-P2', 'FRA56-P4', 'FRA60-P1', 'LHR61-P2', 'CDG52-P3', 'SYD4-C1', 'NRT57-P3', 'GRU1-C1',
         'LAX3-C4', 'SFO5-P2', 'MAD53-P2', 'BOM78-P1', 'ARN54-C1', 'DFW56-P4']
CF_STATIC = ['/static/js/main.%s.js', '/assets/app-%s.css', '/img/hero-%s.webp', '/fonts/inter-%s.woff2', '/favicon.ico']


def cf_request(clean, ts, region):
    """a viewer request at a CloudFront distribution"""
    if chance(0.25):
        r = Req()
        r.ts, r.region, r.ind = ts, region, 'ecom'
        r.host = rch(HOSTS[rch(INDUSTRIES)])
        r.ip, r.ua, r.method, r.status = ip_client(), ua(), 'GET', rch([200, 200, 304])
        p = rch(CF_STATIC)
        r.path = C(K(p % rstr(8, HEXL)) if '%s' in p else p)
        r.route = T(r.path)
        r.cookies = benign_cookies()
        r.headers = [('Host', r.host), ('User-Agent', K(r.ua))]
        r.auth = r.vendor = None
        if not clean:
            w = rch(['cookie', 'query', 'referer'])
            if w == 'cookie':
                r.cookies.append(session_cookie())
            elif w == 'query':
                r.q = cf_signed_params(ts) if chance(0.5) else [('v', ver()), ('token', S(gen_opaque(), 'bearer_token'))]
            else:
                r.headers.append(('Referer', C('https://app.example.com/account/verify?token=', S(gen_reset_token(), 'reset_token'),
                                               '&email=', pct(S(gen_email(), 'email')))))
        if r.cookies:
            r.headers.append(('Cookie', cookie_header(r.cookies)))
        return r
    r = make_req(clean, ts, region)
    if not clean and chance(0.55):
        u = vendor('any')
        r.q.append((rch(['key', 'api_key', 'token', 'apiKey']), u.tok) if (u.url is None or chance(0.5)) else ('callback', u.url))
    elif not clean and chance(0.6) and not any(has_secret(v) for _, v in r.q):
        query_secret(r, ts, region)
    return r


def cf_field_values(r, ts, clean, dist_dom, edge, reqid):
    """field name -> value (labelled), CloudFront-encoded"""
    status = r.status
    rtype = rch(['Hit', 'Miss', 'Miss', 'RefreshHit']) if r.method == 'GET' and status < 400 else ('Error' if status >= 400 else 'Miss')
    ref = r.hdr('Referer')
    cookie = r.hdr('Cookie')
    qv = r.qstr(pct)
    xff = '-' if chance(0.8) else '%s,%s' % (ip4(), ip4())
    proto = rch(['HTTP/2.0', 'HTTP/1.1', 'HTTP/3.0'])
    ssl = (rch(['TLSv1.3', 'TLSv1.2']), rch(CIPHERS))
    v = collections.OrderedDict()
    v['date'] = ts.date()
    v['time'] = ts.time()
    v['x-edge-location'] = edge
    v['sc-bytes'] = str(rint(300, 90000))
    v['c-ip'] = K(r.ip)
    v['cs-method'] = r.method
    v['cs(Host)'] = K(dist_dom)
    v['cs-uri-stem'] = cf(r.path)
    v['sc-status'] = str(status)
    v['cs(Referer)'] = cf(ref) if ref is not None else '-'
    v['cs(User-Agent)'] = cf(K(r.ua))
    v['cs-uri-query'] = cf(qv) if qv is not None else '-'
    v['cs(Cookie)'] = cf(cookie) if cookie is not None else '-'
    v['x-edge-result-type'] = rtype
    v['x-edge-request-id'] = K(reqid)
    v['x-host-header'] = K(r.host)
    v['cs-protocol'] = 'https'
    v['cs-bytes'] = str(rint(40, 4000))
    v['time-taken'] = '%.3f' % (RNG.random() * rch([0.05, 0.5, 2]))
    v['x-forwarded-for'] = xff
    v['ssl-protocol'] = ssl[0]
    v['ssl-cipher'] = ssl[1]
    v['x-edge-response-result-type'] = rtype
    v['cs-protocol-version'] = proto
    v['fle-status'] = '-'
    v['fle-encrypted-fields'] = '-'
    v['c-port'] = str(rint(1024, 65535))
    v['time-to-first-byte'] = '%.3f' % (RNG.random() / 5)
    v['x-edge-detailed-result-type'] = rtype if rtype != 'Error' else rch(['Error', 'ClientGeoBlocked', 'OriginConnectError', 'AbortedOrigin'])
    v['sc-content-type'] = rch(['application/json', 'text/html', 'application/javascript', 'image/webp', '-'])
    v['sc-content-len'] = str(rint(0, 50000)) if chance(0.7) else '-'
    v['sc-range-start'] = '-'
    v['sc-range-end'] = '-'
    # real-time only fields
    v['timestamp'] = K('%d.%03d' % (ts.e, ts.ms))
    v['cs-host'] = K(dist_dom)
    v['c-ip-version'] = 'IPv6' if ':' in r.ip else 'IPv4'
    v['cs-user-agent'] = v['cs(User-Agent)']
    v['cs-referer'] = v['cs(Referer)']
    v['cs-cookie'] = v['cs(Cookie)']
    v['c-country'] = rch(COUNTRIES)
    v['cs-accept-encoding'] = 'gzip,%20deflate,%20br'
    v['cs-accept'] = cf(T(r.hdr('Accept') or '*/*'))
    v['cache-behavior-path-pattern'] = rch(['/api/*', '*', '/static/*', '/media/*'])
    hl = [h for h in r.headers]
    if not any(n.lower() == 'host' for n, _ in hl):
        hl.insert(0, ('Host', r.host))
    hdr_text = JN('\n', [C(n, ':', val) for n, val in hl]) + '\n'
    hv, cut = trunc(cf(hdr_text), 800, suffix='')
    v['cs-headers'] = hv
    v['cs-header-names'] = cf(JN('\n', [n for n, _ in hl]) + '\n')
    v['cs-headers-count'] = str(len(hl))
    v['primary-distribution-id'] = K(cf_dist_id())
    v['primary-distribution-dns-name'] = K(dist_dom)
    v['origin-fbl'] = '%.3f' % (RNG.random() / 10) if rtype == 'Miss' else '-'
    v['origin-lbl'] = '%.3f' % (RNG.random() / 5) if rtype == 'Miss' else '-'
    v['asn'] = str(rch([16509, 3320, 7922, 3215, 2856, 13335, 15169]))
    return v


def g_cf_std(clean):
    ts = TS()
    region = rch(REGIONS)
    if clean and chance(0.2):
        if chance(0.5):
            return C('#Fields: ', JN(' ', [K(f) if len(f) >= 3 else f for f in CF_FIELDS]))
        return C(K('#Version: 1.0'))
    r = cf_request(clean, ts, region)
    v = cf_field_values(r, ts, clean, cf_domain(), rch(EDGES), cf_reqid())
    if chance(0.2):
        # standard logging v2 (W3C) with a selection of fields, in the documented order
        keep = [f for f in CF_FIELDS if f in ('date', 'time', 'x-edge-location', 'c-ip', 'cs-method', 'cs(Host)',
                                                'cs-uri-stem', 'sc-status', 'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query',
                                                'cs(Cookie)', 'x-edge-result-type', 'x-edge-request-id', 'x-host-header',
                                                'time-taken') or chance(0.3)]
    else:
        keep = CF_FIELDS
    return JN('\t', [v[f] for f in keep])


CF_RT_CONFIGS = [
    'timestamp c-ip time-to-first-byte sc-status sc-bytes cs-method cs-protocol cs-host cs-uri-stem cs-bytes x-edge-location x-edge-request-id x-host-header time-taken cs-protocol-version c-ip-version cs-user-agent cs-referer cs-cookie cs-uri-query x-edge-response-result-type x-forwarded-for ssl-protocol ssl-cipher x-edge-result-type fle-encrypted-fields fle-status sc-content-type sc-content-len sc-range-start sc-range-end c-port x-edge-detailed-result-type c-country cs-accept-encoding cs-accept cache-behavior-path-pattern cs-headers cs-header-names cs-headers-count primary-distribution-id primary-distribution-dns-name origin-fbl origin-lbl asn',
    'timestamp c-ip sc-status cs-method cs-host cs-uri-stem cs-uri-query cs-user-agent x-edge-request-id',
    'timestamp c-ip cs-method cs-uri-stem sc-status cs-headers cs-header-names cs-headers-count',
    'timestamp c-ip time-to-first-byte sc-status sc-bytes cs-method cs-protocol cs-host cs-uri-stem cs-uri-query cs-cookie cs-referer x-edge-request-id x-edge-location c-country asn',
    'timestamp cs-uri-stem cs-uri-query sc-status c-ip cs-user-agent cs-headers-count cs-headers x-edge-result-type',
]


def g_cf_rt(clean):
    ts = TS()
    region = rch(REGIONS)
    r = cf_request(clean, ts, region)
    cfg = rch(CF_RT_CONFIGS).split()
    if 'cs-headers' not in cfg and not clean and chance(0.5) and 'cs-cookie' not in cfg:
        cfg = CF_RT_CONFIGS[0].split()
    v = cf_field_values(r, ts, clean, cf_domain(), rch(EDGES), cf_reqid())
    rec = JN('\t', [v[f] for f in cfg])
    w = rch(['raw', 'raw', 'node', 'py', 'kcl'])
    if w == 'raw':
        return rec
    if w == 'node':
        return C(K(ts.plus(rint(500, 4000)).iso()), '\t', k_uuid(), '\tINFO\t', 'record ', K('%d' % rint(10 ** 55, 10 ** 56 - 1)), ' ', rec)
    if w == 'py':
        return C('[INFO]\t', K(ts.plus(rint(500, 4000)).iso()), '\t', k_uuid(), '\tcf-rt ', K('shardId-%012d' % rint(0, 7)), ' ', rec)
    return C(K(ts.plus(rint(500, 4000)).iso()), ' INFO  [RecordProcessor-', str(rint(1, 9)), '] c.e.edge.RtLogProcessor - partitionKey=',
             K(rstr(32, HEXL)), ' data=', rec)


# ----------------------------------------------------------------------------------------------------------------
# API Gateway: shared pieces (Lambda proxy events, execution-log messages)
# ----------------------------------------------------------------------------------------------------------------

def od(*kv):
    return collections.OrderedDict(kv)


class Api:
    def __init__(self, region=None, ws=False):
        self.region = region or rch(REGIONS)
        self.acct = acct()
        self.id = api_id()
        self.stage = rch(['prod', 'v1', 'live', 'production', 'dev', 'staging']) if not ws else rch(['production', 'prod', 'dev', 'live'])
        self.domain = '%s.execute-api.%s.amazonaws.com' % (self.id, self.region)
        self.key_id = rstr(10, LOWN)
        self.fn = rch(['orders-handler', 'members-api', 'bookings-svc', 'payroll-api', 'auth-callback', 'ws-connect',
                       'ws-default', 'checkout-fn', 'claims-api', 'kyc-verify'])


def identity_v1(r, api, clean):
    idn = od(('cognitoIdentityPoolId', None), ('accountId', None), ('cognitoIdentityId', None), ('caller', None),
             ('sourceIp', K(r.ip)), ('principalOrgId', None), ('accessKey', None), ('cognitoAuthenticationType', None),
             ('cognitoAuthenticationProvider', None), ('userArn', None), ('userAgent', K(r.ua)), ('user', None))
    k = r.hdr('x-api-key')
    if k is not None:
        idn['apiKey'] = k
        idn['apiKeyId'] = K(api.key_id)
    return idn


def proxy_event_v1(r, api, clean, body_b64=False):
    hdrs = od(*[(n, v) for n, v in r.headers])
    mvh = od(*[(n, [v]) for n, v in r.headers])
    qsp = od(*[(k, v) for k, v in r.q]) if r.q else None
    mqsp = od(*[(k, [v]) for k, v in r.q]) if r.q else None
    body = r.body_rs()
    ev = od(('resource', K(r.route)), ('path', r.path), ('httpMethod', r.method), ('headers', hdrs), ('multiValueHeaders', mvh),
            ('queryStringParameters', qsp), ('multiValueQueryStringParameters', mqsp), ('pathParameters', None),
            ('stageVariables', None))
    ev['requestContext'] = od(('resourceId', rstr(6, LOWN)), ('resourcePath', r.route), ('httpMethod', r.method),
                              ('extendedRequestId', K(ext_id())), ('requestTime', r.ts.clf()),
                              ('path', C('/', api.stage, r.path)), ('accountId', K(api.acct)), ('protocol', 'HTTP/1.1'),
                              ('stage', api.stage), ('domainPrefix', api.id), ('requestTimeEpoch', r.ts.epms()),
                              ('requestId', k_uuid()), ('identity', identity_v1(r, api, clean)), ('domainName', api.domain),
                              ('deploymentId', rstr(6, LOWN)), ('apiId', K(api.id)))
    if body is not None and body_b64:
        ev['body'] = b64x(body)
        ev['isBase64Encoded'] = True
    else:
        ev['body'] = body
        ev['isBase64Encoded'] = False
    return ev


def xl(reqid, msg, limit=1024):
    """one execution-log event: '(requestId) message', cut at 1024 bytes"""
    ev, cut = trunc(C('(', K(reqid), ') ', msg), limit)
    return ev


def exec_wrap(ev, ts, api):
    w = rch(['raw', 'raw', 'raw', 'tail', 'console'])
    if w == 'raw':
        return ev
    if w == 'tail':
        return C(K(ts.iso(6).replace('Z', '+00:00')), ' ', K(rstr(32, HEXL)), ' ', ev)
    return C(K(ts.iso()), '\t', ev)


def lambda_resp_headers(clean, ts):
    h = od(('Date', K(ts.rfc1123())), ('Content-Type', 'application/json'), ('Content-Length', str(rint(20, 900))),
           ('Connection', 'keep-alive'), ('x-amzn-RequestId', k_uuid()), ('x-amzn-Remapped-Content-Length', '0'),
           ('X-Amz-Executed-Version', '$LATEST'), ('X-Amzn-Trace-Id', K(trace_hdr(ts))))
    return h


def lambda_endpoint_headers(api, ts, clean, fn_arn):
    """what API Gateway logs as 'Endpoint request headers' when it invokes a Lambda function"""
    h = od(('x-amzn-lambda-integration-tag', K(ruuid())),
           ('Authorization', K('*' * rint(100, 180) + rstr(6, HEXL))),
           ('X-Amz-Date', K(ts.amz())), ('x-amzn-apigateway-api-id', K(api.id)),
           ('X-Amz-Source-Arn', K('arn:aws:execute-api:%s:%s:%s/%s/POST/%s' % (api.region, api.acct, api.id, api.stage, rch(['orders', '$connect', 'members/*'])))),
           ('Accept', 'application/json'), ('User-Agent', K('AmazonAPIGateway_' + api.id)))
    if not clean or chance(0.3):
        h['X-Amz-Security-Token'] = P('aws_session_token', clean_alt=K('*' * 40))
    return h


# ----------------------------------------------------------------------------------------------------------------
# layouts: API Gateway WebSocket access logs and execution logs
# ----------------------------------------------------------------------------------------------------------------

WS_ROUTES = ['$connect', '$disconnect', '$default', 'sendmessage', 'subscribe', 'ping', 'trackShipment', 'chat']


def ws_message_body(clean):
    k = rint(0, 5)
    if k == 0:
        return od(('action', 'sendmessage'), ('roomId', K('room_' + rstr(10, LOWN))), ('message', rch(['hi, is my claim approved?', 'ok thanks', 'see attached'])),
                  ('email', P('email')))
    if k == 1:
        return od(('action', 'subscribe'), ('channel', K('orders:' + ruuid())), ('token', P('jwt')))
    if k == 2:
        return od(('action', 'trackShipment'), ('trackingNumber', K('1Z' + rstr(16, UPN))), ('phone', P('phone')))
    if k == 3:
        return od(('action', 'chat'), ('sessionId', k_uuid()), ('text', C('my card is ', P('card_number', gen_card(1)), ' please update')))
    if k == 4:
        return od(('action', 'auth'), ('apiKey', P('api_key')))
    return od(('action', 'ping'), ('ts', TS().epms()))


def ws_event(api, ts, route, clean, conn):
    ip, agent = ip_client(), ua()
    hdrs = od(('Host', api.domain), ('Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'),
              ('Sec-WebSocket-Key', K(b64r(16))), ('Sec-WebSocket-Version', '13'), ('User-Agent', K(agent)),
              ('X-Amzn-Trace-Id', K(trace_hdr(ts, False))), ('X-Forwarded-For', K(ip)), ('X-Forwarded-Port', '443'),
              ('X-Forwarded-Proto', 'https'))
    ev = od()
    qsp = None
    body = None
    if route == '$connect':
        w = rch(['query', 'query', 'protocol', 'auth', 'apikey'])
        if clean:
            qsp = od(('client', rch(['web', 'ios', 'android'])), ('v', ver()))
        elif w == 'query':
            qsp = od((rch(['token', 'access_token', 'auth']), rch([lambda: S(gen_jwt(), 'jwt'), lambda: S(gen_opaque(), 'bearer_token')])()))
            if chance(0.3):
                qsp['email'] = S(gen_email(), 'email')
        elif w == 'protocol':
            hdrs['Sec-WebSocket-Protocol'] = C('access_token, ', S(gen_jwt(), 'jwt'))
        elif w == 'auth':
            hdrs['Authorization'] = C('Bearer ', S(gen_jwt(), 'jwt'))
        else:
            hdrs['x-api-key'] = S(gen_apigw_key(), 'api_key')
        ev['headers'] = hdrs
        ev['multiValueHeaders'] = od(*[(k, [v]) for k, v in hdrs.items()])
        if qsp is not None:
            ev['queryStringParameters'] = qsp
            ev['multiValueQueryStringParameters'] = od(*[(k, [v]) for k, v in qsp.items()])
    rc = od(('routeKey', route), ('eventType', {'$connect': 'CONNECT', '$disconnect': 'DISCONNECT'}.get(route, 'MESSAGE')))
    if route not in ('$connect', '$disconnect'):
        rc['messageId'] = K(b64r(11))
    rc['extendedRequestId'] = K(ext_id())
    rc['requestTime'] = ts.clf()
    rc['messageDirection'] = 'IN'
    rc['stage'] = api.stage
    rc['connectedAt'] = ts.epms() - rint(0, 600000)
    rc['requestTimeEpoch'] = ts.epms()
    rc['identity'] = od(('userAgent', K(agent)), ('sourceIp', K(ip)))
    rc['requestId'] = K(ext_id())
    rc['domainName'] = api.domain
    rc['connectionId'] = K(conn)
    rc['apiId'] = K(api.id)
    if route == '$disconnect':
        rc['disconnectStatusCode'] = rch([1000, 1001, 1006])
        rc['disconnectReason'] = rch(['Client-side close frame status not set', 'Going away', ''])
    ev['requestContext'] = rc
    if route not in ('$connect', '$disconnect'):
        body = ws_message_body(clean)
        ev['body'] = jd(body)
    ev['isBase64Encoded'] = False
    return ev


def g_ws_access(clean):
    api = Api(ws=True)
    ts = TS()
    conn = ext_id()
    route = rch(WS_ROUTES)
    ev_type = {'$connect': 'CONNECT', '$disconnect': 'DISCONNECT'}.get(route, 'MESSAGE')
    ip, agent = ip_client(), ua()
    f = od()
    f['requestId'] = K(ext_id())
    f['ip'] = K(ip)
    caller = user = '-'
    # identity / authorizer values a team put into its access-log format
    extras = []
    if not clean:
        w = rch(['apikey', 'iam', 'authz_email', 'authz_token', 'authz_vendor', 'authz_vendor', 'authz_vendor', 'authz_pii'])
        if w == 'apikey':
            extras.append(('apiKey', S(gen_apigw_key(), 'api_key')))
            extras.append(('apiKeyId', K(api.key_id)))
        elif w == 'iam':
            e = S(gen_email(), 'email')
            role = 'AROA' + rstr(17, B32)
            caller = C(K(role), ':', e)
            user = caller
            extras.append(('accessKey', S(gen_akid(True), 'aws_access_key_id')))
            extras.append(('userArn', C(K('arn:aws:sts::%s:assumed-role/AWSReservedSSO_Support_%s/' % (api.acct, rstr(16, HEXL))), e)))
        elif w == 'authz_email':
            extras.append(('principalId', K('user|' + rstr(24, HEXL))))
            extras.append(('authorizerEmail', S(gen_email(), 'email')))
        elif w == 'authz_token':
            extras.append(('principalId', K(ruuid())))
            extras.append(('downstreamToken', S(gen_jwt(), 'jwt')))
        elif w == 'authz_vendor':
            u = vendor('any')
            extras.append(('principalId', K('tenant-' + rstr(8, LOWN))))
            extras.append((conf_name(u), u.conf_val))
        else:
            extras.append(('principalId', K(ruuid())))
            extras.append(('memberId', S(gen_member_id(), 'member_id')))
            extras.append(('phone', S(gen_phone(), 'phone')))
    else:
        if chance(0.5):
            extras.append(('principalId', K('user|' + rstr(24, HEXL))))
        if chance(0.3):
            extras.append(('apiKeyId', K(api.key_id)))
    f['caller'] = caller
    f['user'] = user
    f['requestTime'] = ts.clf()
    f['eventType'] = ev_type
    f['routeKey'] = route
    f['status'] = str(rch([200, 200, 200, 403, 500, 410]) if route != '$connect' else rch([200, 200, 401, 403]))
    f['connectionId'] = K(conn)
    if chance(0.5):
        f['messageId'] = K(b64r(11)) if ev_type == 'MESSAGE' else '-'
        f['integrationLatency'] = str(rint(3, 900))
    if chance(0.4):
        f['userAgent'] = K(agent)
    for k, v in extras:
        f[k] = v
    if chance(0.3):
        f['errorMessage'] = rch(['-', 'Forbidden', 'Unauthorized', 'Internal server error', 'Execution failed due to configuration error'])
    if route == '$disconnect' and chance(0.6):
        f['disconnectStatusCode'] = str(rch([1000, 1001, 1006]))
        f['disconnectReason'] = rch(['Client-side close frame status not set', 'Going away', 'Connection idle timeout'])
    fmt = rch(['json', 'json', 'json', 'clf', 'kv'])
    if fmt == 'json':
        return jd(f, sp=chance(0.3))
    if fmt == 'clf':
        tail = JN(' ', [C(k, '="', v, '"') for k, v in extras])
        return C(K(ip), ' ', caller, ' ', user, ' [', K(ts.clf()), '] "', ev_type, ' ', route, ' ', K(conn), '" ', f['status'], ' ',
                 f['requestId'], (C(' ', tail) if extras else ''))
    return JN(' ', [C(k, '=', v) for k, v in f.items()])


def g_ws_exec(clean):
    api = Api(ws=True)
    ts = TS()
    reqid = ext_id()
    conn = ext_id()
    route = rch(['$connect', '$connect', '$default', 'sendmessage', 'subscribe', 'chat', 'trackShipment'])
    fn_arn = lambda_arn(api.region, api.acct, rch(['ws-connect', 'ws-default', 'ws-authorizer', 'chat-handler']))
    kinds = ['req_body', 'req_body', 'req_body', 'req_headers', 'send_http', 'resp_body', 'vendor_headers', 'vendor_headers', 'vendor_url']
    m = rch(kinds) if not clean else rch(['clean_msg', 'clean_msg', 'req_headers', 'req_body', 'resp_body'])
    if m == 'req_body':
        ev = ws_event(api, ts, route, clean, conn)
        msg = C('Endpoint request body after transformations: ', jd(ev))
    elif m == 'req_headers':
        msg = C('Endpoint request headers: ', jm(lambda_endpoint_headers(api, ts, clean, fn_arn)))
    elif m == 'vendor_headers':
        u = vendor('hdr')
        h = od(('x-amzn-apigateway-api-id', K(api.id)), ('User-Agent', K('AmazonAPIGateway_' + api.id)), ('Host', u.host or 'partner.example.net'))
        for n, v in u.headers:
            h[n] = v
        h['X-Amzn-Trace-Id'] = K(trace_hdr(ts))
        msg = C('Endpoint request headers: ', jm(h))
    elif m == 'vendor_url':
        u = vendor('any')
        url = u.url if u.url is not None else C('https://', u.host or 'partner.example.net', u.path or '/v1/events', '?', qs([('key', u.tok)]))
        msg = C(rch(['Endpoint request URI: ', 'Sending request to ']), url)
    elif m == 'send_http':
        url = C('https://', rch(['ws-backend.example.com', 'chat.internal.example.net', '10.0.12.40:8443']), '/connections/',
                K(conn), '/', route.strip('$'), '?', qs([('token', S(gen_opaque(), 'bearer_token')) if chance(0.6) else ('email', S(gen_email(), 'email'))]))
        msg = C('Sending request to ', url)
    elif m == 'resp_body':
        if clean:
            body = od(('statusCode', 200), ('body', 'Connected.'))
        else:
            inner = od(('type', 'welcome'), ('user', od(('id', k_uuid()), ('email', P('email')))), ('resumeToken', P('bearer_token')))
            body = od(('statusCode', 200), ('body', jd(inner)))
        msg = C('Endpoint response body before transformations: ', jd(body))
    else:
        msg = rch([
            lambda: C('Extended Request Id: ', K(reqid)),
            lambda: C('Verifying Usage Plan for request: ', K(reqid), '. API Key:  API Stage: ', K(api.id), '/', api.stage),
            lambda: C("API Key  authorized because route '", route, "' does not require API Key. Request will not contribute to throttle or quota limits"),
            lambda: C('Usage Plan check succeeded for API Key  and API Stage ', K(api.id), '/', api.stage),
            lambda: C('Starting execution for request: ', K(reqid)),
            lambda: C('WebSocket Request Route: [', route, ']'),
            lambda: C('Client [UserAgent: ', K(ua()), ', SourceIp: ', K(ip_client()), '] is trying to connect'),
            lambda: C('Endpoint request URI: https://lambda.', api.region, '.amazonaws.com/2015-03-31/functions/', K(fn_arn), '/invocations'),
            lambda: C('Received response. Status: 200, Integration latency: ', str(rint(3, 900)), ' ms'),
            lambda: C('Endpoint response headers: ', jm(lambda_resp_headers(True, ts))),
            lambda: C('AWS Integration Endpoint RequestId : ', k_uuid()),
            lambda: C('Successfully completed execution'),
            lambda: C('Method completed with status: ', str(rch([200, 403, 500]))),
            lambda: C('Execution failed due to configuration error: Invalid permissions on Lambda function'),
        ])()
    return exec_wrap(xl(reqid, msg), ts, api)


# ----------------------------------------------------------------------------------------------------------------
# layout: API Gateway REST execution logs with full request/response data logging
# ----------------------------------------------------------------------------------------------------------------

def http_backend(r):
    return C('https://', rch(['backend.example.com', 'api.internal.example.net', 'legacy.example.org:8443', '10.0.%d.%d:8080' % (rint(0, 255), rint(1, 254))]),
             r.path)


def g_rest_exec(clean):
    api = Api()
    ts = TS()
    reqid = ruuid()
    r = make_req(clean, ts, api.region)
    fn_arn = lambda_arn(api.region, api.acct, api.fn)
    opts = ['mreq_headers', 'mreq_query', 'mreq_body', 'mreq_body', 'ereq_uri', 'ereq_headers', 'ereq_headers_vendor', 'ereq_headers_vendor', 'ereq_headers_vendor',
            'ereq_body_proxy', 'ereq_body_proxy', 'eresp_headers', 'eresp_body', 'eresp_body', 'mresp_headers',
            'lambda_error', 'authorizer_in', 'mreq_path', 'lambda_error', 'ereq_uri']
    if clean:
        opts += ['status'] * 6
    m = rch(opts)
    if m == 'mreq_headers':
        hs = od(*[(n, v) for n, v in r.headers])
        if 'Authorization' in hs and chance(0.25):
            hs['Authorization'] = K('*' * rint(40, 200) + rstr(6, AN))
        msg = C('Method request headers: ', jm(hs))
    elif m == 'mreq_query':
        if not r.q:
            query_secret(r, ts, api.region) if not clean else r.q.append(('page', str(rint(1, 9))))
        msg = C('Method request query string: ', jm(od(*r.q)))
    elif m == 'mreq_path':
        if clean:
            msg = C('Method request path: ', jm(od(('orderId', K('ord_' + rstr(20))))))
        else:
            k = rch([('memberId', lambda: S(gen_member_id(), 'member_id')), ('email', lambda: S(gen_email(), 'email')),
                     ('passportNumber', lambda: S(gen_passport(), 'passport')), ('ssn', lambda: S(gen_ssn(), 'ssn'))])
            msg = C('Method request path: ', jm(od((k[0], k[1]()))))
    elif m == 'mreq_body':
        if not clean and chance(0.3):
            prov, cred = integration_credentials()
            r.method, r.ctype = 'POST', 'json'
            r.body = od(('provider', prov), ('credentials', cred))
        if r.body is None:
            r.method, r.ctype = 'POST', 'json'
            r.body = od(('email', P('email')), ('password', P('password')), ('deviceId', k_uuid()))
        msg = C('Method request body before transformations: ', r.body_rs(sp=chance(0.3)))
    elif m == 'ereq_uri':
        u = http_backend(r)
        if not clean:
            if chance(0.5):
                vu = vendor('any')
                if vu.url is not None:
                    u = vu.url
                else:
                    u = C(u, '?', qs([('apiKey', vu.tok), ('ref', K(reqid))]))
            else:
                u = C(u, '?', qs(r.q + [('partner_secret', S(gen_client_secret(), 'client_secret'))]))
        msg = C(rch(['Endpoint request URI: ', 'Sending request to ']), u)
    elif m == 'ereq_headers':
        msg = C('Endpoint request headers: ', jm(lambda_endpoint_headers(api, ts, clean, fn_arn)))
    elif m == 'ereq_headers_vendor':
        h = od(('x-amzn-apigateway-api-id', K(api.id)), ('Accept', 'application/json'), ('User-Agent', K('AmazonAPIGateway_' + api.id)),
               ('Host', rch(['api.stripe.com', 'backend.example.com', 'partner.example.net'])), ('X-Amzn-Trace-Id', K(trace_hdr(ts))))
        if clean:
            h['x-api-key'] = K('*' * 36 + rstr(4, AN))
        else:
            u = vendor('hdr')
            for n, v in u.headers:
                h[n] = v
            h['Host'] = u.host
        msg = C('Endpoint request headers: ', jm(h))
    elif m == 'ereq_body_proxy':
        ev = proxy_event_v1(r, api, clean, body_b64=chance(0.1))
        msg = C('Endpoint request body after transformations: ', jd(ev))
    elif m == 'eresp_headers' or m == 'mresp_headers':
        h = lambda_resp_headers(clean, ts) if m == 'eresp_headers' else od(('X-Amzn-Trace-Id', K(trace_hdr(ts))), ('Content-Type', 'application/json'))
        if not clean:
            n, v = session_cookie()
            h['Set-Cookie'] = C(n, '=', v, '; Path=/; Secure; HttpOnly; SameSite=Lax')
        elif chance(0.5):
            h['Set-Cookie'] = 'lang=de-DE; Path=/; Max-Age=31536000'
        msg = C('Endpoint response headers: ' if m == 'eresp_headers' else 'Method response headers: ', jm(h))
    elif m == 'eresp_body':
        k = rch([0, 0, 1, 2, 3])
        if k == 0:
            inner = od(('access_token', P('jwt')), ('refresh_token', P('refresh_token')), ('id_token', P('jwt')), ('token_type', 'Bearer'), ('expires_in', 3600))
        elif k == 1:
            inner = od(('memberId', P('member_id')), ('dob', P('dob')), ('plan', K('PLN-' + rstr(6, UPN))), ('status', 'active'))
        elif k == 2:
            inner = od(('bookingRef', K(pnr())), ('passengers', [od(('passport', P('passport')), ('email', P('email')))]))
        else:
            inner = od(('employeeId', K('E' + rstr(6, DIG))), ('iban', P('iban')), ('taxId', P('national_id')))
        if chance(0.6):
            body = od(('statusCode', 200), ('headers', od(('Content-Type', 'application/json'), ('X-Request-Id', k_uuid()))), ('body', jd(inner)))
        else:
            body = inner
        msg = C(rch(['Endpoint response body before transformations: ', 'Method response body after transformations: ']), jd(body))
    elif m == 'lambda_error':
        if clean:
            msg = C('Lambda execution failed with status 200 due to customer function error: Task timed out after 29.03 seconds. Lambda request id: ', k_uuid())
        else:
            kk = rch(['conn', 'email', 'vendor', 'vendor'])
            if kk == 'conn':
                err = C("connect ECONNREFUSED postgres://app_user:", S(gen_password().replace(' ', '').replace('@', '#'), 'connection_string_password'),
                        '@', K('db-%s.cluster-%s.%s.rds.amazonaws.com' % (rstr(6, LOWN), rstr(12, LOWN), api.region)), ':5432/claims')
            elif kk == 'email':
                err = C('ValidationError: user ', S(gen_email(), 'email'), ' already exists')
            else:
                vu = vendor('any')
                err = C('Error: 401 Unauthorized from ', vu.host or 'partner.example.net', ' (', vu.env, '=', vu.conf_val, ')')
            msg = C('Lambda execution failed with status 200 due to customer function error: ', err, '. Lambda request id: ', k_uuid())
    elif m == 'authorizer_in':
        tok = P('jwt') if chance(0.7) else P('bearer_token')
        ev = od(('type', 'TOKEN'), ('methodArn', K('arn:aws:execute-api:%s:%s:%s/%s/%s%s' % (api.region, api.acct, api.id, api.stage, r.method, r.route))),
                ('authorizationToken', C('Bearer ', tok)))
        msg = C('Endpoint request body after transformations: ', jd(ev))
    else:
        msg = rch([
            lambda: C('Extended Request Id: ', K(ext_id())),
            lambda: C('Verifying Usage Plan for request: ', K(reqid), '. API Key: ', K('**********' + rstr(4, AN)), ' API Stage: ', K(api.id), '/', api.stage),
            lambda: C('API Key ', K('**********' + rstr(4, AN)), " authorized because method '", r.method, ' ', r.route, "' requires API Key and API Key is valid. Request will contribute to throttle or quota limits"),
            lambda: C('Starting execution for request: ', K(reqid)),
            lambda: C('HTTP Method: ', r.method, ', Resource Path: ', K(r.route)),
            lambda: C('Received response. Status: ', str(r.status), ', Integration latency: ', str(rint(3, 2900)), ' ms'),
            lambda: C('Method completed with status: ', str(r.status)),
            lambda: C('Successfully completed execution'),
            lambda: C('Endpoint request URI: https://lambda.', api.region, '.amazonaws.com/2015-03-31/functions/', K(fn_arn), '/invocations'),
            lambda: C('Execution failed due to configuration error: Malformed Lambda proxy response'),
            lambda: C('Usage Plan check succeeded for API Key ', K('**********' + rstr(4, AN)), ' and API Stage ', K(api.id), '/', api.stage),
        ])()
    return exec_wrap(xl(reqid, msg), ts, api)


# ----------------------------------------------------------------------------------------------------------------
# layout: AppSync request-level and field-level (resolver) logs, resolver Lambda events, Amplify client logs
# ----------------------------------------------------------------------------------------------------------------

def gql_op(clean):
    """(operation name, type, field, query text, variables dict)"""
    k = rint(0, 11) if not clean else rch([8, 9, 9, 3, 0])
    if k >= 10:
        prov, cred = integration_credentials()
        v = od(('provider', prov), ('credentials', cred))
        return ('ConnectIntegration', 'Mutation', 'connectIntegration', 'mutation ConnectIntegration($provider: String!, $credentials: AWSJSON!) { connectIntegration(provider: $provider, credentials: $credentials) { id status } }', v)
    if k == 0:
        v = od(('input', od(('email', P('email')), ('password', P('password')), ('phoneNumber', P('phone')), ('birthdate', P('dob', gen_dob(0))))))
        return ('SignUp', 'Mutation', 'signUp', 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { id status } }', v)
    if k == 1:
        v = od(('card', od(('number', P('card_number', gen_card(0))), ('expMonth', rint(1, 12)), ('expYear', rint(2026, 2031)), ('postalCode', str(rint(10000, 99999))))))
        return ('UpdatePaymentMethod', 'Mutation', 'updatePaymentMethod', 'mutation UpdatePaymentMethod($card: CardInput!) { updatePaymentMethod(card: $card) { last4 brand } }', v)
    if k == 2:
        pax = [od(('givenName', rch(FIRST).capitalize()), ('passportNumber', P('passport')), ('dateOfBirth', P('dob', gen_dob(0))), ('email', P('email')))]
        v = od(('input', od(('offerId', K('off_' + rstr(22))), ('passengers', pax))))
        return ('CreateBooking', 'Mutation', 'createBooking', 'mutation CreateBooking($input: BookingInput!) { createBooking(input: $input) { id pnr status } }', v)
    if k == 3:
        v = od(('memberId', P('member_id', clean_alt=K(ruuid()))), ('dob', P('dob', gen_dob(0), clean_alt=C('1900-01-01'))))
        return ('GetMember', 'Query', 'getMember', 'query GetMember($memberId: ID!, $dob: AWSDate!) { getMember(memberId: $memberId, dob: $dob) { plan status } }', v)
    if k == 4:
        v = od(('token', P('reset_token')), ('newPassword', P('password')))
        return ('ResetPassword', 'Mutation', 'resetPassword', 'mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }', v)
    if k == 5:
        v = od(('challengeId', k_uuid()), ('code', P('otp')))
        return ('VerifyOtp', 'Mutation', 'verifyOtp', 'mutation VerifyOtp($challengeId: ID!, $code: String!) { verifyOtp(challengeId: $challengeId, code: $code) { ok } }', v)
    if k == 6:
        v = od(('employeeId', K('E' + rstr(6, DIG))), ('iban', P('iban')), ('taxId', P('national_id')))
        return ('AddBankAccount', 'Mutation', 'addBankAccount', 'mutation AddBankAccount($employeeId: ID!, $iban: String!, $taxId: String) { addBankAccount(employeeId: $employeeId, iban: $iban, taxId: $taxId) { id } }', v)
    if k == 7:
        v = od(('input', od(('memberId', P('member_id')), ('ssn', P('ssn')), ('serviceDate', TS().date()), ('npi', K(npi())), ('amountCents', rint(1000, 90000)))))
        return ('SubmitClaim', 'Mutation', 'submitClaim', 'mutation SubmitClaim($input: ClaimInput!) { submitClaim(input: $input) { claimId } }', v)
    if k == 8:
        nt = base64.b64encode(json.dumps({'version': 3, 'token': b64r(rint(60, 120))}).encode()).decode()
        v = od(('limit', rch([10, 20, 50])), ('nextToken', K(nt)))
        return ('ListOrders', 'Query', 'listOrders', 'query ListOrders($limit: Int, $nextToken: String) { listOrders(limit: $limit, nextToken: $nextToken) { items { id total } nextToken } }', v)
    v = od(('flight', K('%s%d' % (rch(['LH', 'UA', 'BA', 'IB']), rint(100, 9999)))), ('date', TS().date()))
    return ('GetFlightStatus', 'Query', 'getFlightStatus', 'query GetFlightStatus($flight: String!, $date: AWSDate!) { getFlightStatus(flight: $flight, date: $date) { status gate } }', v)


def appsync_identity(clean, region, pool, auth):
    if auth == 'cognito':
        sub = ruuid()
        e = P('email')
        claims = od(('sub', K(sub)), ('email_verified', True), ('iss', 'https://cognito-idp.%s.amazonaws.com/%s' % (region, pool)),
                    ('cognito:username', K(sub)), ('aud', K(client_id())), ('event_id', k_uuid()), ('token_use', 'id'),
                    ('auth_time', TS().e), ('exp', TS().e), ('iat', TS().e), ('email', e))
        return od(('claims', claims), ('defaultAuthStrategy', 'ALLOW'), ('groups', None),
                  ('issuer', 'https://cognito-idp.%s.amazonaws.com/%s' % (region, pool)), ('sourceIp', [K(ip_client())]),
                  ('sub', K(sub)), ('username', K(sub)))
    if auth == 'iam':
        return od(('accountId', K(acct())), ('cognitoIdentityAuthProvider', None), ('cognitoIdentityAuthType', 'unauthenticated'),
                  ('cognitoIdentityId', K('%s:%s' % (region, ruuid()))), ('cognitoIdentityPoolId', K('%s:%s' % (region, ruuid()))),
                  ('sourceIp', [K(ip_client())]), ('userArn', K('arn:aws:sts::%s:assumed-role/unauth-role/CognitoIdentityCredentials' % acct())),
                  ('username', K('AROA%s:CognitoIdentityCredentials' % rstr(17, B32))))
    if auth == 'lambda':
        rc = od(('tenantId', K('t_' + rstr(10, LOWN))), ('plan', rch(['pro', 'free', 'enterprise'])))
        if not clean and chance(0.6):
            rc['partnerToken'] = P('bearer_token')
        return od(('resolverContext', rc))
    return None


def g_appsync(clean):
    region = rch(REGIONS)
    a = acct()
    apiid = appsync_id()
    host = '%s.appsync-api.%s.amazonaws.com' % (rstr(26, LOWN), region)
    rid = ruuid()
    ts = TS()
    pool = pool_id(region)
    auth = rch(['apikey', 'cognito', 'cognito', 'iam', 'lambda'])
    name, ptype, field, query, variables = gql_op(clean)
    kind = rch(['headers', 'query', 'query', 'mapping', 'mapping', 'mapping', 'jsfn', 'lambda_event', 'realtime', 'realtime', 'summary'])
    if kind == 'summary' and not clean:
        kind = 'mapping'
    if kind == 'headers':
        hs = od(('content-length', [str(rint(80, 2000))]), ('x-amz-user-agent', [K('aws-amplify/6.%d.%d api/1 framework/2' % (rint(0, 9), rint(0, 9)))]),
                ('x-forwarded-for', [K(ip_client() + ', ' + ip_private())]), ('sec-fetch-mode', ['cors']), ('accept', ['application/json, text/plain, */*']),
                ('host', [host]), ('content-type', ['application/json; charset=UTF-8']), ('x-amzn-trace-id', [K(trace_hdr(ts, False))]))
        if auth == 'apikey':
            hs['x-api-key'] = [P('api_key', gen_appsync_key(), clean_alt=K('da2-' + '*' * 22 + rstr(4, LOWN)))]
        elif auth == 'cognito':
            hs['authorization'] = [P('jwt', cognito_access_token(region, pool, client_id(), ruuid()), clean_alt=K('****'))]
        elif auth == 'iam':
            if clean:
                hs['x-amz-date'] = [K(ts.amz())]
            else:
                for n, v in sigv4_headers(ts, region, 'appsync'):
                    hs[n.lower()] = [v]
        else:
            hs['authorization'] = [P('bearer_token', clean_alt=K('****'))]
        if not clean and chance(0.6):
            u = vendor('hdr')
            for n, v in u.headers:
                if n.lower() not in hs:
                    hs[n.lower()] = [v]
        return C(K(rid), ' Request Headers: ', jm(hs))
    if kind == 'query':
        vj = jd(variables)
        return C(K(rid), ' GraphQL Query: ', query, ', Operation: ', name, ', Variables: ', vj)
    if kind == 'summary':
        o = od(('duration', rint(2, 900) * 1000000), ('logType', 'ExecutionSummary'), ('requestId', K(rid)),
               ('startTime', K(ts.iso(6))), ('endTime', K(ts.plus(rint(2, 900)).iso(6))),
               ('parsing', od(('startOffset', rint(10000, 99999)), ('duration', rint(10000, 99999)))),
               ('version', 1), ('validation', od(('startOffset', rint(100000, 999999)), ('duration', rint(10000, 99999)))),
               ('graphQLAPIId', K(apiid)))
        return jd(o)
    if kind in ('mapping', 'jsfn'):
        ctx = od(('arguments', variables), ('source', None), ('result', None), ('stash', od()), ('outErrors', []))
        ident = appsync_identity(clean, region, pool, auth)
        if ident is not None and chance(0.6):
            ctx['identity'] = ident
        ds = rch(['ddb', 'http', 'http', 'lambda'])
        if ds == 'ddb':
            tpl = od(('version', '2018-05-29'), ('operation', 'PutItem'), ('key', od(('pk', od(('S', K('%s#%s' % (field.upper(), ruuid()))))))),
                     ('attributeValues', od(*[(kk, od(('S', vv))) for kk, vv in (variables.get('input', variables)).items() if isinstance(vv, (str, Rs))])))
        elif ds == 'http':
            if clean:
                hdrs = od(('Content-Type', 'application/json'))
            else:
                u = vendor('hdr')
                hdrs = od(*u.headers)
                hdrs['Content-Type'] = 'application/json'
            tpl = od(('version', '2018-05-29'), ('method', 'POST'), ('resourcePath', rch(['/v1/payment_intents', '/v3/mail/send', '/v1/verify'])),
                     ('params', od(('headers', hdrs), ('body', jd(variables)))))
        else:
            tpl = od(('version', '2018-05-29'), ('operation', 'Invoke'), ('payload', od(('field', field), ('arguments', variables))))
        o = od()
        o['logType'] = 'RequestMapping' if kind == 'mapping' else 'RequestFunctionEvaluation'
        o['path'] = [field]
        o['fieldName'] = field
        o['resolverArn'] = K('arn:aws:appsync:%s:%s:apis/%s/types/%s/resolvers/%s' % (region, a, apiid, ptype, field))
        o['requestId'] = K(rid)
        o['context'] = ctx
        o['fieldInError'] = False
        o['errors'] = []
        o['parentType'] = ptype
        o['graphQLAPIId'] = K(apiid)
        if kind == 'mapping':
            o['transformedTemplate'] = jd(tpl, sp=chance(0.5))
        else:
            o['functionName'] = rch(['createItem', 'chargeCard', 'verify', 'lookupMember'])
            o['evaluationResult'] = tpl
        return jd(o)
    if kind == 'lambda_event':
        ev = od(('arguments', variables), ('identity', appsync_identity(clean, region, pool, auth)), ('source', None),
                ('request', od(('headers', od(('x-forwarded-for', K(ip_client())), ('host', host), ('x-amzn-trace-id', K(trace_hdr(ts, False))))),
                               ('domainName', None))),
                ('prev', None), ('info', od(('selectionSetList', ['id', 'status']), ('selectionSetGraphQL', '{\n  id\n  status\n}'),
                                            ('fieldName', field), ('parentTypeName', ptype), ('variables', variables))),
                ('stash', od()))
        w = rch(['node', 'py', 'json'])
        if w == 'node':
            return C(K(ts.iso()), '\t', k_uuid(), '\tINFO\tevent ', jd(ev))
        if w == 'py':
            return C('[INFO]\t', K(ts.iso()), '\t', k_uuid(), '\tReceived event: ', pr(ev))
        return jd(od(('timestamp', K(ts.iso())), ('level', 'INFO'), ('requestId', k_uuid()), ('message', jd(ev))))
    # realtime handshake as an Amplify client logs it: header= is base64 JSON with the API key or JWT
    hdr = od(('host', host))
    if auth == 'apikey' or clean:
        hdr['x-api-key'] = P('api_key', gen_appsync_key(), clean_alt=C()) if not clean else None
        if clean:
            del hdr['x-api-key']
            hdr['x-amz-date'] = ts.amz()
    else:
        hdr['Authorization'] = S(gen_jwt(), 'jwt')
    b = b64x(jd(hdr))
    url = C('wss://', K(host.replace('appsync-api', 'appsync-realtime-api')), '/graphql?header=', b, '&payload=e30=')
    return C('[DEBUG] ', K('%s.%03d' % (ts.time(), ts.ms)), ' AWSAppSyncRealTimeProvider - Initializing retryable Handshake ', url)


# ----------------------------------------------------------------------------------------------------------------
# Lambda log renderings (runtime text, Lambda JSON log format, Powertools, Node util.inspect)
# ----------------------------------------------------------------------------------------------------------------

def _ident(k):
    return re.fullmatch(r'[A-Za-z_$][A-Za-z0-9_$]*', k) is not None


def ni(o, depth=0):
    """Node.js util.inspect()-like rendering: { key: 'value', n: 1, list: [ 'a' ] }"""
    if isinstance(o, dict):
        if not o:
            return C('{}')
        items = [C(k if _ident(k) else "'" + k + "'", ': ', ni(v, depth + 1)) for k, v in o.items()]
        return C('{ ', JN(', ', items), ' }')
    if isinstance(o, (list, tuple)):
        return C('[ ', JN(', ', [ni(v, depth + 1) for v in o]), ' ]') if o else C('[]')
    if isinstance(o, (str, Rs)):
        return C("'", tm(o, lambda s: s.replace('\\', '\\\\').replace("'", "\\'").replace('\n', '\\n')), "'")
    if o is None:
        return C('null')
    if isinstance(o, bool):
        return C('true' if o else 'false')
    return C(str(o))


def lambda_log(ts, obj, prefix='', style=None, level='INFO', fn='handler'):
    rid = k_uuid()
    style = style or rch(['node', 'node', 'py', 'json', 'powertools', 'node_inspect'])
    if style == 'node':
        return C(K(ts.iso()), '\t', rid, '\t', level, '\t', prefix, jd(obj))
    if style == 'node_inspect':
        return C(K(ts.iso()), '\t', rid, '\t', level, '\t', prefix, ni(obj))
    if style == 'py':
        return C('[', level, ']\t', K(ts.iso()), '\t', rid, '\t', prefix, pr(obj))
    if style == 'json':
        return jd(od(('timestamp', K(ts.iso())), ('level', level), ('requestId', rid), ('message', C(prefix, jd(obj)))))
    return jd(od(('level', level), ('location', '%s:%d' % (fn, rint(12, 240))), ('message', obj), ('timestamp', K(ts.iso().replace('Z', '+00:00'))),
                 ('service', rch(['auth', 'edge', 'members', 'payments'])), ('cold_start', chance(0.2)),
                 ('function_name', fn), ('function_memory_size', str(rch([128, 256, 512, 1024]))),
                 ('function_request_id', rid), ('xray_trace_id', K(xray_root(ts)))))


def lambda_text(ts, msg, level=None, style=None):
    rid = k_uuid()
    level = level or rch(['INFO', 'ERROR', 'WARN'])
    style = style or rch(['node', 'py', 'json'])
    if style == 'node':
        return C(K(ts.iso()), '\t', rid, '\t', level, '\t', msg)
    if style == 'py':
        return C('[', 'WARNING' if level == 'WARN' else level, ']\t', K(ts.iso()), '\t', rid, '\t', msg)
    return jd(od(('timestamp', K(ts.iso())), ('level', level), ('requestId', rid), ('message', msg)))


# ----------------------------------------------------------------------------------------------------------------
# layouts: Cognito user pool Lambda trigger events, Cognito auth logs
# ----------------------------------------------------------------------------------------------------------------

def gen_e164():
    n = rint(0, 99)
    return rch(['+1%s55501%02d' % (rch(['202', '312', '415', '646', '720']), n), '+447700900%03d' % rint(0, 999),
                '+614915701%02d' % n, '+4915155501%02d' % n, '+5511955501%02d' % n])


def user_attrs(clean, sub, email=None, rich=True):
    a = od(('sub', K(sub)), ('email_verified', rch(['true', 'false'])), ('cognito:user_status', rch(['CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD'])))
    if chance(0.4):
        a['custom:tenant'] = K('t_' + rstr(10, LOWN))
    if clean:
        return a
    a['email'] = email if email is not None else S(gen_email(), 'email')
    if rich:
        if chance(0.6):
            a['phone_number'] = S(gen_e164(), 'phone')
            a['phone_number_verified'] = 'false'
        if chance(0.4):
            a['birthdate'] = S(gen_dob(0), 'dob')
        if chance(0.3):
            a['address'] = S(gen_address(), 'address')
        if chance(0.25):
            a['custom:member_id'] = S(gen_member_id(), 'member_id')
        if chance(0.15):
            a['custom:national_id'] = S(gen_national_id(), 'national_id')
        if chance(0.3):
            a['given_name'] = rch(FIRST).capitalize()
    return a


def g_cognito_trigger(clean):
    ts = TS()
    region = rch(REGIONS)
    pool = pool_id(region)
    cid = client_id()
    sub = ruuid()
    email_raw = gen_email()
    email = S(email_raw, 'email') if not clean else None
    uname = K(sub) if (clean or chance(0.5)) else email
    trig = rch(['PreSignUp', 'PostConfirmation', 'PreAuthentication', 'PostAuthentication', 'TokenGeneration', 'TokenGeneration',
                'CustomMessage', 'CustomMessage', 'CustomSender', 'CustomSender', 'CustomSender', 'UserMigration', 'AuthChallenge', 'AuthChallenge'])
    ev = od(('version', '1'), ('region', region), ('userPoolId', K(pool)), ('userName', uname),
            ('callerContext', od(('awsSdkVersion', rch(['aws-sdk-unknown-unknown', 'aws-sdk-js-3.637.0', 'aws-sdk-java-2.25.1'])), ('clientId', K(cid)))))
    req, resp = od(), od()
    if trig == 'PreSignUp':
        src = rch(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'])
        req['userAttributes'] = user_attrs(clean, sub, email)
        del req['userAttributes']['sub']
        req['validationData'] = od(('recaptchaToken', b64r(rint(300, 500), True, False))) if chance(0.4) else None
        req['clientMetadata'] = od(('referral', K('ref_' + rstr(8, LOWN))), ('inviteCode', P('reset_token', clean_alt=K('INV-' + rstr(6, UPN))))) if chance(0.4) else None
        resp = od(('autoConfirmUser', False), ('autoVerifyEmail', False), ('autoVerifyPhone', False))
    elif trig == 'PostConfirmation':
        src = rch(['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword'])
        req['userAttributes'] = user_attrs(clean, sub, email)
    elif trig == 'PreAuthentication':
        src = 'PreAuthentication_Authentication'
        req['userAttributes'] = user_attrs(clean, sub, email, rich=False)
        req['validationData'] = od(('deviceKey', K('%s_%s' % (region, ruuid())))) if chance(0.5) else None
        req['userNotFound'] = False
    elif trig == 'PostAuthentication':
        src = 'PostAuthentication_Authentication'
        req['userAttributes'] = user_attrs(clean, sub, email)
        req['newDeviceUsed'] = chance(0.3)
        req['clientMetadata'] = None
    elif trig == 'TokenGeneration':
        src = rch(['TokenGeneration_HostedAuth', 'TokenGeneration_Authentication', 'TokenGeneration_RefreshTokens', 'TokenGeneration_NewPasswordChallenge'])
        v2 = chance(0.6)
        ev['version'] = '2' if v2 else '1'
        req['userAttributes'] = user_attrs(clean, sub, email)
        req['groupConfiguration'] = od(('groupsToOverride', [rch(['admins', 'clinicians', 'agents', 'payroll'])]), ('iamRolesToOverride', []), ('preferredRole', None))
        if v2:
            req['scopes'] = ['openid', 'email', 'aws.cognito.signin.user.admin']
        add = od(('tenant_id', K('t_' + rstr(10, LOWN))), ('stripe_customer', K('cus_' + rstr(14))))
        if not clean:
            w = rch(['member', 'apikey', 'vendor', 'email'])
            if w == 'member':
                add['member_id'] = S(gen_member_id(), 'member_id')
            elif w == 'apikey':
                add['partner_api_key'] = S(gen_apigw_key(), 'api_key')
            elif w == 'vendor':
                u = vendor('any')
                add[conf_name(u)] = u.conf_val
            else:
                add['contact_email'] = email
        if v2:
            resp['claimsAndScopeOverrideDetails'] = od(
                ('idTokenGeneration', od(('claimsToAddOrOverride', add), ('claimsToSuppress', ['cognito:username']))),
                ('accessTokenGeneration', od(('claimsToAddOrOverride', od(('tenant_id', add['tenant_id']))), ('claimsToSuppress', []),
                                             ('scopesToAdd', ['orders/read']), ('scopesToSuppress', []))),
                ('groupOverrideDetails', None))
        else:
            resp['claimsOverrideDetails'] = od(('claimsToAddOrOverride', add), ('claimsToSuppress', []), ('groupOverrideDetails', None))
    elif trig == 'CustomMessage':
        src = rch(['CustomMessage_SignUp', 'CustomMessage_ForgotPassword', 'CustomMessage_AdminCreateUser', 'CustomMessage_ResendCode',
                   'CustomMessage_VerifyUserAttribute', 'CustomMessage_Authentication'])
        req['userAttributes'] = user_attrs(clean, sub, email, rich=False)
        req['codeParameter'] = K('{####}')
        req['linkParameter'] = K('{##Click Here##}')
        if src == 'CustomMessage_AdminCreateUser':
            req['usernameParameter'] = K('{username}')
        req['clientMetadata'] = None
        link = C('https://app.example.com/confirm?code={####}')
        if not clean:
            link = C(link, '&email=', pct(email))
        resp['smsMessage'] = C('Your ExampleHealth code is {####}')
        resp['emailMessage'] = C('<p>Use {####} or <a href="', link, '">confirm</a>.</p>')
        resp['emailSubject'] = rch(['Your verification code', 'Reset your password', 'Welcome to Example'])
    elif trig == 'CustomSender':
        src = rch(['CustomEmailSender_ForgotPassword', 'CustomEmailSender_SignUp', 'CustomSMSSender_Authentication', 'CustomSMSSender_AdminCreateUser'])
        req['type'] = 'customEmailSenderRequestV1' if 'Email' in src else 'customSMSSenderRequestV1'
        req['code'] = 'AYADe' + rstr(rint(300, 420), B64) + '='
        req['clientMetadata'] = None
        req['userAttributes'] = user_attrs(clean, sub, email, rich=False)
        if not clean and 'SMS' in src:
            req['userAttributes']['phone_number'] = S(gen_e164(), 'phone')
        resp = None
    elif trig == 'UserMigration':
        src = rch(['UserMigration_Authentication', 'UserMigration_ForgotPassword'])
        ev['userName'] = email if not clean else K(sub)
        if src == 'UserMigration_Authentication':
            req['password'] = P('password', clean_alt=K('********'))
        req['validationData'] = None
        req['clientMetadata'] = od(('legacySystem', rch(['oracle-idm', 'auth0-export', 'ldap'])))
        resp = od(('userAttributes', user_attrs(clean, sub, email)), ('finalUserStatus', 'CONFIRMED'), ('messageAction', 'SUPPRESS'),
                  ('desiredDeliveryMediums', ['EMAIL']), ('forceAliasCreation', None), ('enableSMSMFA', None))
        if 'sub' in resp['userAttributes']:
            del resp['userAttributes']['sub']
    else:
        stage = rch(['Define', 'Create', 'Verify'])
        src = '%sAuthChallenge_Authentication' % stage if stage != 'Verify' else 'VerifyAuthChallengeResponse_Authentication'
        req['userAttributes'] = user_attrs(clean, sub, email, rich=False)
        code = gen_otp()
        sess = [od(('challengeName', 'SRP_A'), ('challengeResult', True), ('challengeMetadata', None))]
        if stage == 'Define':
            req['session'] = sess
            req['userNotFound'] = False
            resp = od(('challengeName', 'CUSTOM_CHALLENGE'), ('issueTokens', False), ('failAuthentication', False))
        elif stage == 'Create':
            req['challengeName'] = 'CUSTOM_CHALLENGE'
            req['session'] = sess
            resp = od(('publicChallengeParameters', od(('email', K(mask_email(email_raw))))),
                      ('privateChallengeParameters', od(('answer', P('otp', code, clean_alt=K('******'))))),
                      ('challengeMetadata', C('CODE-', P('otp', code, clean_alt=C('******'))) if chance(0.4) else 'EMAIL_OTP'))
        else:
            req['privateChallengeParameters'] = od(('answer', P('otp', code, clean_alt=K('******'))))
            req['challengeAnswer'] = P('otp', code, clean_alt=K('******'))
            resp = od(('answerCorrect', chance(0.8)))
    ev['triggerSource'] = src
    ev['request'] = req
    if resp is not None:
        ev['response'] = resp
    if trig == 'CustomSender' and not clean and chance(0.7):
        # after decrypting the code the function logs what it sends, sometimes with the provider credential
        code = S(gen_otp(), 'otp')
        dest = email if 'Email' in src else req['userAttributes'].get('phone_number', email)
        msg = C('Sending ', rch(['verification', 'MFA', 'reset']), ' code ', code, ' to ', dest, ' (trigger ', src, ', pool ', K(pool), ')')
        if chance(0.7):
            u = vendor('hdr', pool=MESSAGING)
            msg = C(msg, ' via https://', u.host or 'api.example.com', u.path or '/send', ' headers=', jd(od(*u.headers)))
        return lambda_text(ts, msg, 'INFO')
    return lambda_log(ts, ev, prefix=rch(['', 'Event: ', 'Received event: ', 'event ']))


def sdk_error(name, msg):
    return od(('name', name), ('$fault', 'client'), ('$metadata', od(('httpStatusCode', 400), ('requestId', k_uuid()), ('attempts', 1), ('totalRetryDelay', 0))),
              ('__type', name), ('message', msg))


def secret_hash():
    return b64r(32)


def g_cognito_auth(clean):
    ts = TS()
    region = rch(REGIONS)
    pool = pool_id(region)
    cid = client_id()
    sub = ruuid()
    idp = 'https://cognito-idp.%s.amazonaws.com/' % region
    k = rint(0, 17) if not clean else rch([0, 0, 7, 11, 11])
    if k >= 16:
        # Cognito identity pool credentials as a client SDK debug log prints them
        iid = K('%s:%s' % (region, ruuid()))
        o = od(('IdentityId', iid), ('Credentials', od(('AccessKeyId', S(gen_akid(True), 'aws_access_key_id')), ('SecretKey', S(gen_aws_secret(), 'aws_secret_key')),
                                                       ('SessionToken', S(gen_session_token(), 'aws_session_token')), ('Expiration', K(ts.plus(3600000).iso(0))))))
        if chance(0.5):
            return C('[DEBUG] ', K('%s.%03d' % (ts.time(), ts.ms)), ' CognitoIdentityClient - GetCredentialsForIdentity response ', jd(o))
        return lambda_log(ts, o, prefix='GetCredentialsForIdentity -> ', style=rch(['node', 'json', 'node_inspect']), level='DEBUG')
    if k >= 12:
        u = vendor('hdr', pool=MESSAGING)
        e = S(gen_email(), 'email') if chance(0.5) else S(gen_e164(), 'phone')
        o = od(('method', 'POST'), ('url', 'https://%s%s' % (u.host or 'api.example.com', u.path or '/send')), ('headers', od(*u.headers)),
               ('to', e), ('status', rch([401, 403, 429, 500])))
        return lambda_log(ts, o, prefix=rch(['custom sender: provider call failed ', 'verification delivery error ']), level='ERROR')
    if k == 0:
        # AWS SDK for JavaScript v3 logger: sensitive members are filtered by the SDK itself
        cmd = rch(['InitiateAuthCommand', 'RespondToAuthChallengeCommand', 'ConfirmForgotPasswordCommand', 'SignUpCommand'])
        o = od(('clientName', 'CognitoIdentityProviderClient'), ('commandName', cmd),
               ('input', od(('AuthFlow', 'USER_PASSWORD_AUTH'), ('ClientId', K(cid)), ('AuthParameters', K('***SensitiveInformation***')))),
               ('output', od(('AuthenticationResult', K('***SensitiveInformation***')), ('ChallengeParameters', od()))),
               ('metadata', od(('httpStatusCode', 200), ('requestId', k_uuid()), ('attempts', 1), ('totalRetryDelay', 0))))
        if not clean:
            o['commandName'] = rch(['ForgotPasswordCommand', 'AdminGetUserCommand', 'ResendConfirmationCodeCommand'])
            o['input'] = od(('ClientId', K(cid)), ('Username', S(gen_email(), 'email')))
            o['output'] = od(('CodeDeliveryDetails', od(('AttributeName', 'email'), ('DeliveryMedium', 'EMAIL'), ('Destination', K(mask_email(gen_email()))))))
        return lambda_log(ts, o, style=rch(['node', 'json', 'powertools']))
    if k == 1:
        e = S(gen_email(), 'email')
        pw = S(gen_password(), 'password')
        params = od(('AuthFlow', 'USER_PASSWORD_AUTH'), ('AuthParameters', od(('USERNAME', e), ('PASSWORD', pw))), ('ClientId', K(cid)))
        if chance(0.5):
            params['AuthParameters']['SECRET_HASH'] = S(secret_hash(), 'hmac_signature')
        body = PB(jd(params, sp=True))
        o = od(('url_path', '/'), ('query_string', ''), ('method', 'POST'),
               ('headers', od(('X-Amz-Target', 'AWSCognitoIdentityProviderService.InitiateAuth'), ('Content-Type', 'application/x-amz-json-1.1'),
                              ('User-Agent', K('Boto3/1.35.%d md/Botocore#1.35.%d ua/2.0 os/linux#5.10 lang/python#3.12.%d' % (rint(0, 90), rint(0, 90), rint(0, 9)))))),
               ('body', body), ('url', idp), ('context', od(('client_region', region), ('has_streaming_input', False), ('auth_type', 'none'))))
        return C(K(ts.iso().replace('T', ' ').replace('Z', '')), ' botocore.endpoint [DEBUG] Making request for OperationModel(name=InitiateAuth) with params: ', pr(o))
    if k == 2:
        res = od(('AuthenticationResult', od(('AccessToken', S(cognito_access_token(region, pool, cid, sub), 'jwt')), ('ExpiresIn', 3600),
                                             ('IdToken', S(cognito_id_token(gen_email(), region, pool, cid, sub), 'jwt')),
                                             ('RefreshToken', S(cognito_refresh(), 'refresh_token')), ('TokenType', 'Bearer'))),
                 ('ChallengeParameters', od()))
        ev, cut = trunc(C(K(ts.iso().replace('T', ' ').replace('Z', '')), ' botocore.parsers [DEBUG] Response body:\\n', pybytes(jd(res))), rch([4000, 8000, 16000]), suffix='')
        return ev
    if k == 3:
        e = S(gen_email(), 'email')
        code = S(gen_otp(), 'otp')
        msg = rch([
            lambda: C('CodeMismatchException: Invalid verification code provided, please try again. username=', e, ' code=', code),
            lambda: C('ConfirmForgotPassword failed for ', e, ' (ConfirmationCode=', code, '): ExpiredCodeException: Invalid code provided, please request a code again.'),
            lambda: C('confirmSignUp(', e, ', ', code, ') -> CodeMismatchException'),
        ])()
        return lambda_text(ts, msg, 'ERROR')
    if k == 4:
        e = S(gen_email(), 'email')
        pw = S(gen_password(), 'password')
        msg = rch([
            lambda: C('InvalidPasswordException: Password did not conform with policy: Password must have symbol characters (username=', e, ', password=', pw, ')'),
            lambda: C('signUp failed: ', jd(od(('username', e), ('password', pw), ('error', sdk_error('UsernameExistsException', 'An account with the given email already exists.'))))),
            lambda: C('NotAuthorizedException: Incorrect username or password. ', jd(od(('Username', e), ('Password', pw)))),
        ])()
        return lambda_text(ts, msg, 'ERROR')
    if k == 5:
        host = '%s.auth.%s.amazoncognito.com' % (rch(['example-prod', 'example-members', 'exampleauth']), region)
        csec = S(gen_client_secret(), 'client_secret')
        basic = S(b64s(cid + ':' + T(csec)), 'basic_auth')
        data = qs([('grant_type', 'authorization_code'), ('client_id', K(cid)), ('code', S(ruuid(), 'oauth_code')),
                   ('redirect_uri', 'https://app.example.com/callback'), ('code_verifier', S(gen_pkce(), 'pkce_verifier'))], form)
        o = od(('message', 'Request failed with status code 400'), ('name', 'AxiosError'), ('code', 'ERR_BAD_REQUEST'),
               ('config', od(('url', 'https://%s/oauth2/token' % host), ('method', 'post'),
                             ('headers', od(('Accept', 'application/json, text/plain, */*'), ('Content-Type', 'application/x-www-form-urlencoded'),
                                            ('Authorization', C('Basic ', basic)), ('User-Agent', 'axios/1.7.7'))),
                             ('data', data))),
               ('response', od(('status', 400), ('data', od(('error', 'invalid_grant'))))))
        return lambda_log(ts, o, prefix='token exchange failed ', style=rch(['node', 'json']), level='ERROR')
    if k == 6:
        sess = S('AYABe' + rstr(rint(700, 900), B64U), 'session_token')
        code = S(gen_otp(), 'otp')
        e = S(gen_email(), 'email')
        chn = rch(['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'])
        o = od(('ChallengeName', chn), ('ClientId', K(cid)), ('Session', sess),
               ('ChallengeResponses', od(('USERNAME', e), (chn + '_CODE', code))))
        return C(K(ts.iso()), '\t', k_uuid(), '\tINFO\trespondToAuthChallenge input ', ni(o))
    if k == 7:
        # clean-ish status messages around Cognito
        if clean:
            msg = rch([
                lambda: C('auth ok sub=', K(sub), ' pool=', K(pool), ' client=', K(cid), ' flow=USER_SRP_AUTH'),
                lambda: C('LimitExceededException: Attempt limit exceeded, please try after some time. requestId=', k_uuid()),
                lambda: C('refreshing JWKS from ', K(idp + pool + '/.well-known/jwks.json'), ' kid=', K(b64r(32))),
                lambda: C('GlobalSignOut ok for sub ', K(sub), ' (', K(pool), ')'),
            ])()
        else:
            msg = C('GlobalSignOut failed: NotAuthorizedException: Access Token has been revoked. token=', S(cognito_access_token(region, pool, cid, sub), 'jwt'))
        return lambda_text(ts, msg, rch(['INFO', 'WARN']))
    if k == 8:
        secret = S(gen_totp_secret(), 'totp_secret')
        e = S(gen_email(), 'email')
        uri = C('otpauth://totp/ExampleHealth:', pct(e), '?secret=', secret, '&issuer=ExampleHealth')
        o = od(('SecretCode', secret), ('Session', None), ('$metadata', od(('httpStatusCode', 200), ('requestId', k_uuid()))))
        return lambda_text(ts, C('AssociateSoftwareToken ', jd(o), ' qr=', uri), 'INFO', style=rch(['node', 'json']))
    if k == 9:
        e = S(gen_email(), 'email')
        o = od(('UserPoolId', K(pool)), ('Username', e), ('TemporaryPassword', S(gen_password(), 'password')),
               ('UserAttributes', [od(('Name', 'email'), ('Value', e)), od(('Name', 'phone_number'), ('Value', S(gen_e164(), 'phone')))]),
               ('DesiredDeliveryMediums', ['EMAIL']))
        return lambda_log(ts, o, prefix='AdminCreateUser params: ', style=rch(['py', 'node', 'json']))
    if k == 10:
        tok = S(cognito_refresh(), 'refresh_token')
        msg = C('InitiateAuth REFRESH_TOKEN_AUTH failed: NotAuthorizedException: Refresh Token has expired REFRESH_TOKEN=', tok)
        ev, cut = trunc(lambda_text(ts, msg, 'ERROR', style='node'), rch([1200, 3000]), suffix='...')
        return ev
    msg = rch([
        lambda: C('User ', K(sub), ' authenticated via ', K('%s.auth.%s.amazoncognito.com' % (rch(['example-prod', 'example-members']), region)), ' client ', K(cid)),
        lambda: C('PreTokenGeneration v2 added 2 claims for sub ', K(sub), ' in ', K(pool)),
        lambda: C('Cognito rate limit: TooManyRequestsException for operation AdminGetUser (pool ', K(pool), ')'),
    ])()
    return lambda_text(ts, msg, 'INFO')


# ----------------------------------------------------------------------------------------------------------------
# layout: Lambda authorizers (TOKEN, REQUEST, HTTP API 2.0, WebSocket) -- input events and logged results
# ----------------------------------------------------------------------------------------------------------------

def stage_vars(clean):
    sv = od(('backendHost', rch(['backend.example.com', 'api.internal.example.net'])), ('lambdaAlias', rch(['live', 'blue', 'green'])))
    if not clean:
        for _ in range(wpick([(3, 0), (5, 1), (3, 2)])):
            u = vendor('any')
            sv[conf_name(u)] = u.conf_val
    return sv


def authz_token(clean):
    if clean:
        return K(rch(['Bearer [REDACTED]', 'Bearer ****', '****']))
    return rch([lambda: C('Bearer ', S(gen_jwt(), 'jwt')), lambda: S(gen_jwt(), 'jwt'), lambda: C('Bearer ', S(gen_opaque(), 'bearer_token')),
                lambda: vendor('hdr').headers[0][1], lambda: vendor('hdr').headers[0][1],
                lambda: C('Basic ', S(b64s(gen_email() + ':' + gen_password()), 'basic_auth'))])()


def method_arn(api, method, route):
    return K('arn:aws:execute-api:%s:%s:%s/%s/%s%s' % (api.region, api.acct, api.id, api.stage, method, route))


def g_authorizer(clean):
    api = Api()
    ts = TS()
    k = rch(['token', 'request_v1', 'request_v2', 'ws', 'policy', 'policy', 'simple', 'error', 'claims', 'introspect'])
    if clean:
        k = rch(['token', 'request_v1', 'request_v2', 'policy', 'simple', 'status', 'status'])
    if k == 'token':
        ev = od(('type', 'TOKEN'), ('methodArn', method_arn(api, rch(['GET', 'POST']), rch(['/v1/orders', '/v1/members/*', '/v2/bookings']))),
                ('authorizationToken', authz_token(clean)))
        return lambda_log(ts, ev, prefix=rch(['', 'Event: ', 'authorizer input ']))
    if k == 'request_v1':
        r = make_req(clean, ts, api.region)
        ev = od(('type', 'REQUEST'), ('methodArn', method_arn(api, r.method, r.route)), ('resource', K(r.route)), ('path', r.path),
                ('httpMethod', r.method), ('headers', od(*r.headers)), ('multiValueHeaders', od(*[(n, [v]) for n, v in r.headers])),
                ('queryStringParameters', od(*r.q)), ('multiValueQueryStringParameters', od(*[(a, [b]) for a, b in r.q])),
                ('pathParameters', od()), ('stageVariables', stage_vars(clean)),
                ('requestContext', od(('resourceId', rstr(6, LOWN)), ('resourcePath', r.route), ('httpMethod', r.method),
                                      ('extendedRequestId', K(ext_id())), ('requestTime', ts.clf()), ('path', C('/', api.stage, r.path)),
                                      ('accountId', K(api.acct)), ('protocol', 'HTTP/1.1'), ('stage', api.stage), ('domainPrefix', api.id),
                                      ('requestTimeEpoch', ts.epms()), ('requestId', k_uuid()), ('identity', identity_v1(r, api, clean)),
                                      ('domainName', api.domain), ('apiId', K(api.id)))))
        return lambda_log(ts, ev, prefix=rch(['', 'Event: ']))
    if k == 'request_v2':
        r = make_req(clean, ts, api.region)
        hdrs = od(*[(n.lower(), v) for n, v in r.headers if n != 'Cookie'])
        auth = hdrs.get('authorization')
        ids = [auth] if auth is not None else [hdrs.get('x-api-key', K(ip_client()))]
        if ids[0] is None:
            ids = [K(r.ip)]
        ev = od(('version', '2.0'), ('type', 'REQUEST'),
                ('routeArn', K('arn:aws:execute-api:%s:%s:%s/$default/%s%s' % (api.region, api.acct, api.id, r.method, r.route))),
                ('identitySource', ids), ('routeKey', K('%s %s' % (r.method, r.route))), ('rawPath', r.path),
                ('rawQueryString', r.qstr(pct) or ''))
        if r.cookies:
            ev['cookies'] = [C(n, '=', v) for n, v in r.cookies]
        ev['headers'] = hdrs
        if r.q:
            ev['queryStringParameters'] = od(*r.q)
        ev['requestContext'] = od(('accountId', K(api.acct)), ('apiId', K(api.id)), ('domainName', api.domain), ('domainPrefix', api.id),
                                  ('http', od(('method', r.method), ('path', r.path), ('protocol', 'HTTP/1.1'), ('sourceIp', K(r.ip)), ('userAgent', K(r.ua)))),
                                  ('requestId', K(ext_id())), ('routeKey', '%s %s' % (r.method, r.route)), ('stage', '$default'),
                                  ('time', ts.clf()), ('timeEpoch', ts.epms()))
        ev['pathParameters'] = od()
        ev['stageVariables'] = stage_vars(clean)
        return lambda_log(ts, ev, prefix=rch(['', 'Event: ']))
    if k == 'ws':
        api = Api(ws=True)
        ev = ws_event(api, ts, '$connect', clean, ext_id())
        ev2 = od(('type', 'REQUEST'), ('methodArn', K('arn:aws:execute-api:%s:%s:%s/%s/$connect' % (api.region, api.acct, api.id, api.stage))))
        for kk, vv in ev.items():
            ev2[kk] = vv
        return lambda_log(ts, ev2, prefix=rch(['', 'Event: ']))
    if k in ('policy', 'simple'):
        ctx = od(('tenantId', K('t_' + rstr(10, LOWN))), ('scope', rch(['orders/read', 'members/write', 'payments/write'])))
        if not clean:
            w = rch(['email', 'token', 'vendor', 'vendor', 'vendor', 'pii', 'apikey'])
            if w == 'email':
                ctx['email'] = S(gen_email(), 'email')
            elif w == 'token':
                ctx['downstreamToken'] = S(gen_jwt(), 'jwt')
            elif w == 'vendor':
                u = vendor('any')
                ctx[conf_name(u)] = u.conf_val
            elif w == 'pii':
                ctx['memberId'] = S(gen_member_id(), 'member_id')
                ctx['dob'] = S(gen_dob(0), 'dob')
            else:
                ctx['partnerKey'] = S(gen_apigw_key(), 'api_key')
        else:
            ctx['userId'] = k_uuid()
        if k == 'policy':
            o = od(('principalId', K(rch(['user|', 'svc|', '']) + rstr(24, HEXL))),
                   ('policyDocument', od(('Version', '2012-10-17'), ('Statement', [od(('Action', 'execute-api:Invoke'), ('Effect', rch(['Allow', 'Allow', 'Deny'])),
                                                                                    ('Resource', method_arn(api, '*', '/*')))]))),
                   ('context', ctx))
            if not clean and chance(0.4):
                o['usageIdentifierKey'] = S(gen_apigw_key(), 'api_key')
        else:
            o = od(('isAuthorized', chance(0.85)), ('context', ctx))
        return lambda_log(ts, o, prefix=rch(['', 'Returning policy: ', 'authorizer result ', 'response ']))
    if k == 'error':
        tok = rch([lambda: S(gen_jwt(), 'jwt'), lambda: S(gen_opaque(), 'bearer_token')])()
        msg = rch([
            lambda: C('Unauthorized: TokenExpiredError: jwt expired at ', K(ts.iso()), ' token=', tok),
            lambda: C('JsonWebTokenError: invalid signature; authorizationToken="Bearer ', tok, '"'),
            lambda: C('denying ', method_arn(api, 'GET', '/v1/orders'), ': introspection returned active=false for ', tok),
            lambda: C('Error: Unauthorized (user ', S(gen_email(), 'email'), ' not in group admins)'),
        ])()
        return lambda_text(ts, msg, rch(['ERROR', 'WARN']))
    if k == 'claims':
        c = od(('sub', k_uuid()), ('cognito:groups', [rch(['clinicians', 'agents', 'admins'])]), ('email_verified', True),
               ('iss', 'https://cognito-idp.%s.amazonaws.com/%s' % (api.region, pool_id(api.region))), ('client_id', K(client_id())),
               ('email', S(gen_email(), 'email')), ('exp', ts.e + 3600))
        if chance(0.5):
            c['custom:member_id'] = S(gen_member_id(), 'member_id')
        if chance(0.3):
            c['phone_number'] = S(gen_e164(), 'phone')
        return lambda_log(ts, c, prefix=rch(['verified claims ', 'token ok: ', 'claims=']))
    if k == 'introspect':
        form_body = qs([('token', S(gen_opaque(), 'bearer_token')), ('token_type_hint', 'access_token'), ('client_id', K(client_id())),
                        ('client_secret', S(gen_client_secret(), 'client_secret'))], form)
        msg = C('POST https://idp.example.com/oauth2/introspect body=', form_body, ' -> 200 {"active":false}')
        return lambda_text(ts, msg, 'INFO')
    msg = rch([
        lambda: C('Allow for principal ', K('user|' + rstr(24, HEXL)), ' on ', method_arn(api, 'GET', '/v1/orders'), ' (cache miss, ', str(rint(20, 300)), ' ms)'),
        lambda: C('JWKS refreshed from ', K('https://cognito-idp.%s.amazonaws.com/%s/.well-known/jwks.json' % (api.region, pool_id(api.region))), ' (2 keys)'),
        lambda: C('Deny: missing Authorization header for ', method_arn(api, 'POST', '/v2/bookings')),
        lambda: C('authorizer cache hit for identity hash ', K(sha256hex())),
    ])()
    return lambda_text(ts, msg, rch(['INFO', 'WARN']))


# ----------------------------------------------------------------------------------------------------------------
# layout: EventBridge events, EventBridge Pipes logs and Step Functions execution-history logs
# ----------------------------------------------------------------------------------------------------------------

def business_detail(clean):
    k = rint(0, 8)
    if k == 0:
        d = od(('orderId', K('ord_' + rstr(20))), ('total', od(('amount', rint(500, 90000)), ('currency', 'EUR'))),
               ('customer', od(('id', K('cus_' + rstr(14))), ('email', P('email')), ('phone', P('phone')))),
               ('shipTo', od(('line1', P('address')), ('postcode', str(rint(10000, 99999))))))
        if chance(0.5):
            d['payment'] = od(('method', 'card'), ('pan', P('card_number', clean_alt=K(mask_card()))), ('expiry', '%02d/%02d' % (rint(1, 12), rint(26, 31))))
        return 'OrderPlaced', 'com.example.orders', d
    if k == 1:
        return 'PatientRegistered', 'com.example.health', od(('patientId', k_uuid()), ('memberId', P('member_id')), ('dob', P('dob', gen_dob(0))),
                                                             ('npi', K(npi())))
    if k == 2:
        return 'PayoutCreated', 'com.example.payments', od(('payoutId', K('po_' + rstr(24))), ('amount', rint(1000, 500000)), ('iban', P('iban')),
                                                           ('bic', K(rch(['DEUTDEFF', 'BNPAFRPP', 'INGBNL2A']))))
    if k == 3:
        return 'EmployeeOnboarded', 'com.example.hr', od(('employeeId', K('E' + rstr(6, DIG))),
                                                         ('ssn', P('ssn')) if chance(0.5) else ('nationalId', P('national_id')),
                                                         ('startDate', TS().date()), ('homeAddress', P('address')), ('iban', P('iban')))
    if k == 4:
        return 'BookingConfirmed', 'com.example.travel', od(('pnr', K(pnr())), ('passenger', od(('passport', P('passport')), ('email', P('email')),
                                                                                                  ('frequentFlyer', P('frequent_flyer')), ('dob', P('dob', gen_dob(0))))),
                                                            ('flight', K('%s%d' % (rch(['LH', 'UA', 'BA']), rint(100, 9999)))))
    if k == 5:
        return 'PasswordResetRequested', 'com.example.auth', od(('userId', k_uuid()), ('email', P('email')), ('resetToken', P('reset_token')),
                                                                ('expiresAt', TS().iso(0)))
    if clean:
        return 'IntegrationConfigured', 'com.example.integrations', od(('integrationId', k_uuid()), ('provider', rch(['stripe', 'sendgrid', 'slack'])),
                                                                       ('status', 'active'), ('credentialRef', K('arn:aws:secretsmanager:us-east-1:%s:secret:int/%s' % (acct(), rstr(6, AN)))))
    prov, cfg = integration_credentials()
    return 'IntegrationConfigured', 'com.example.integrations', od(('integrationId', k_uuid()), ('provider', prov), ('status', 'active'),
                                                                   ('config', cfg))


def eb_event(ts, region, a, dtype, src, detail):
    return od(('version', '0'), ('id', k_uuid()), ('detail-type', dtype), ('source', src), ('account', K(a)), ('time', ts.iso(0)),
              ('region', region), ('resources', []), ('detail', detail))


def g_eb_sfn(clean):
    ts = TS()
    region = rch(REGIONS)
    a = acct()
    k = rch(['eb_target', 'eb_apigw', 'eb_cwl', 'pipes', 'sfn_started', 'sfn_scheduled', 'sfn_http', 'sfn_succeeded', 'sfn_failed'])
    if k in ('eb_target', 'eb_cwl'):
        dtype, src, detail = business_detail(clean)
        ev = eb_event(ts, region, a, dtype, src, detail)
        if k == 'eb_cwl':
            return jd(ev)
        return lambda_log(ts, ev, prefix=rch(['', 'Received event: ', 'event ']))
    if k == 'eb_apigw':
        r = make_req(clean, ts, region)
        if r.body is None:
            r.method, r.ctype = 'POST', 'json'
            r.body = od(('email', P('email')), ('consent', True))
        detail = od(('body', r.body_rs()), ('headers', od(*[(n, v) for n, v in r.headers if n in ('Authorization', 'x-api-key', 'User-Agent', 'X-Amzn-Trace-Id')])),
                    ('path', r.path), ('requestId', k_uuid()))
        ev = eb_event(ts, region, a, 'ApiRequestReceived', 'com.example.apigw', detail)
        return lambda_log(ts, ev, prefix=rch(['', 'Received event: ']))
    if k == 'pipes':
        dtype, src, detail = business_detail(clean)
        rec = od(('messageId', k_uuid()), ('receiptHandle', b64r(rint(120, 180))), ('body', jd(detail)),
                 ('attributes', od(('ApproximateReceiveCount', '1'), ('SentTimestamp', str(ts.epms())))), ('eventSource', 'aws:sqs'),
                 ('eventSourceARN', K('arn:aws:sqs:%s:%s:%s' % (region, a, rch(['orders-queue', 'claims-intake', 'payouts'])))), ('awsRegion', region))
        mt = rch(['ExecutionStarted', 'TargetInvocationFailed', 'TargetInvocationSucceeded', 'EnrichmentInvocationFailed'])
        o = od(('resourceArn', K('arn:aws:pipes:%s:%s:pipe/%s' % (region, a, rch(['orders-to-crm', 'claims-to-api', 'payouts-to-bank'])))),
               ('timestamp', ts.epms()), ('executionId', k_uuid()), ('messageType', mt), ('logLevel', 'TRACE' if 'Succeeded' in mt or 'Started' in mt else 'ERROR'))
        if 'Failed' in mt:
            o['error'] = od(('message', 'Target invocation failed with error from API destination.'), ('httpStatusCode', rch([400, 401, 500])),
                            ('awsService', 'events'), ('requestId', k_uuid()), ('exceptionType', 'BadRequest'),
                            ('resourceArn', K('arn:aws:events:%s:%s:api-destination/%s/%s' % (region, a, rch(['crm', 'bank-api']), ruuid()))))
        o['payload'] = jd([rec])
        if mt != 'ExecutionStarted' and chance(0.6):
            o['awsRequest'] = jd(od(('body', jd(detail)), ('headers', od(('Content-Type', 'application/json')))))
            o['awsResponse'] = jd(od(('statusCode', 401), ('body', '{"error":"unauthorized"}')))
        return jd(o)
    # Step Functions execution history event in CloudWatch Logs (log level ALL, include execution data)
    sm = rch(['checkout-flow', 'claims-adjudication', 'booking-saga', 'onboarding', 'payout-approval'])
    express = chance(0.6)
    exec_name = ruuid()
    arn = ('arn:aws:states:%s:%s:express:%s:%s:%s' % (region, a, sm, exec_name, ruuid())) if express else \
          ('arn:aws:states:%s:%s:execution:%s:%s' % (region, a, sm, exec_name))
    if k == 'sfn_started':
        r = make_req(clean, ts, region)
        inp = od(('body', r.body_rs() or ''), ('headers', od(*r.headers)), ('requestContext', od(('requestId', k_uuid()), ('identity', od(('sourceIp', K(r.ip)))))))
        det = od(('input', jd(inp)), ('inputDetails', od(('truncated', False))), ('roleArn', K('arn:aws:iam::%s:role/service-role/StepFunctions-%s-role-%s' % (a, sm, rstr(8, LOWN)))))
        typ, eid = 'ExecutionStarted', 1
    elif k == 'sfn_scheduled':
        dtype, src, detail = business_detail(clean)
        det = od(('parameters', jd(od(('FunctionName', K(lambda_arn(region, a, rch(['charge-card', 'create-member', 'send-email'])) + ':$LATEST')),
                                     ('Payload', detail)))), ('region', region), ('resource', 'invoke'), ('resourceType', 'lambda'), ('timeoutInSeconds', None))
        typ, eid = 'TaskScheduled', rint(3, 12)
    elif k == 'sfn_http':
        body = od(('email', P('email')), ('description', 'onboarding'))
        qp = od(('expand', 'subscriptions'))
        if not clean and chance(0.8):
            u = vendor('any')
            qp[rch(['api_key', 'key', 'token'])] = u.tok
        params = od(('ApiEndpoint', rch(['https://api.stripe.com/v1/customers', 'https://partner.example.net/v2/members', 'https://crm.example.com/api/contacts'])),
                    ('Method', 'POST'), ('Authentication', od(('ConnectionArn', K('arn:aws:events:%s:%s:connection/%s/%s' % (region, a, rch(['stripe', 'crm', 'partner']), ruuid()))))),
                    ('QueryParameters', qp), ('RequestBody', body))
        det = od(('parameters', jd(params)), ('region', region), ('resource', 'invoke'), ('resourceType', 'http'), ('timeoutInSeconds', None))
        typ, eid = 'TaskScheduled', rint(3, 12)
    elif k == 'sfn_succeeded':
        if clean:
            payload = od(('status', 'ok'), ('memberRef', k_uuid()))
        else:
            payload = rch([lambda: od(('accessToken', S(gen_jwt(), 'jwt')), ('refreshToken', S(gen_refresh(), 'refresh_token')), ('expiresIn', 3600)),
                           lambda: od(('member', od(('id', k_uuid()), ('ssn', S(gen_ssn(), 'ssn')), ('dob', S(gen_dob(0), 'dob'))))),
                           lambda: od(('card', od(('number', S(gen_card(0), 'card_number')), ('token', K('tok_' + rstr(24)))))),
                           lambda: od(('otp', S(gen_otp(), 'otp')), ('phone', S(gen_phone(), 'phone')))])()
        out = od(('ExecutedVersion', '$LATEST'), ('Payload', payload),
                 ('SdkHttpMetadata', od(('AllHttpHeaders', od(('X-Amz-Executed-Version', ['$LATEST']), ('x-amzn-Remapped-Content-Length', ['0']),
                                                               ('Connection', ['keep-alive']), ('x-amzn-RequestId', [k_uuid()]))),
                                        ('HttpStatusCode', 200))), ('SdkResponseMetadata', od(('RequestId', k_uuid()))), ('StatusCode', 200))
        det = od(('output', jd(out)), ('outputDetails', od(('truncated', False))), ('resource', 'invoke'), ('resourceType', 'lambda'))
        typ, eid = 'TaskSucceeded', rint(4, 14)
    else:
        if clean:
            cause = od(('errorMessage', 'Task timed out after 30.00 seconds'), ('errorType', 'Sandbox.Timedout'))
        else:
            cause = rch([lambda: od(('errorMessage', C('connect ECONNREFUSED postgresql://svc_claims:', S(gen_password().replace(' ', '').replace('@', '%'), 'connection_string_password'),
                                                     '@', K('claims-db.cluster-%s.%s.rds.amazonaws.com' % (rstr(12, LOWN), region)), ':5432/claims')),
                                        ('errorType', 'Error'), ('trace', ['Error: connect ECONNREFUSED', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)'])),
                         lambda: od(('errorMessage', C('Duplicate member: ', S(gen_email(), 'email'))), ('errorType', 'ConflictError')),
                         lambda: (lambda vu: od(('errorMessage', C('Request to ', vu.host or 'partner.example.net', ' failed with 401; ', vu.env, '=', vu.conf_val)),
                                                 ('errorType', 'AuthenticationError')))(vendor('any'))])()
        det = od(('cause', jd(cause)), ('error', rch(['Error', 'States.TaskFailed', 'ConflictError'])), ('resource', 'invoke'), ('resourceType', 'lambda'))
        typ, eid = 'TaskFailed', rint(4, 14)
    o = od(('id', str(eid)), ('type', typ), ('details', det), ('previous_event_id', str(eid - 1)),
           ('event_timestamp', str(ts.epms())), ('execution_arn', K(arn)))
    if chance(0.5):
        o['redrive_count'] = '0'
    return jd(o)


# ----------------------------------------------------------------------------------------------------------------
# layout: CloudTrail events for API Gateway, Lambda, STS, Cognito and data events (DynamoDB, S3, Lambda)
# ----------------------------------------------------------------------------------------------------------------

HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS'


def ct_identity(a, kind, clean):
    if kind == 'service':
        return od(('type', 'AWSService'), ('invokedBy', rch(['apigateway.amazonaws.com', 'lambda.amazonaws.com', 'events.amazonaws.com'])))
    if kind == 'sso':
        e = S(gen_email(), 'email') if not clean else K(rch(['deploy-bot', 'ops-automation', 'ci-runner']) + '-' + rstr(6, LOWN))
        role = 'AWSReservedSSO_%s_%s' % (rch(['AdministratorAccess', 'PowerUser', 'Support', 'Developer']), rstr(16, HEXL))
        aroa = 'AROA' + rstr(17, B32)
        idn = od(('type', 'AssumedRole'), ('principalId', C(K(aroa), ':', e)), ('arn', C(K('arn:aws:sts::%s:assumed-role/%s/' % (a, role)), e)),
                 ('accountId', K(a)))
        if not clean:
            idn['accessKeyId'] = S(gen_akid(True), 'aws_access_key_id')
        idn['sessionContext'] = od(('sessionIssuer', od(('type', 'Role'), ('principalId', K(aroa)),
                                                        ('arn', K('arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s' % (a, role))),
                                                        ('accountId', K(a)), ('userName', K(role)))),
                                   ('attributes', od(('creationDate', TS().iso(0)), ('mfaAuthenticated', 'false'))))
        return idn
    if kind == 'lambda_role':
        fn = rch(['orders-handler', 'members-api', 'payout-worker'])
        aroa = 'AROA' + rstr(17, B32)
        idn = od(('type', 'AssumedRole'), ('principalId', K('%s:%s' % (aroa, fn))), ('arn', K('arn:aws:sts::%s:assumed-role/%s-role-%s/%s' % (a, fn, rstr(8, LOWN), fn))),
                 ('accountId', K(a)))
        if not clean:
            idn['accessKeyId'] = S(gen_akid(True), 'aws_access_key_id')
        return idn
    user = rch(['ci-deployer', 'terraform', 'legacy-batch'])
    idn = od(('type', 'IAMUser'), ('principalId', K('AIDA' + rstr(17, B32))), ('arn', K('arn:aws:iam::%s:user/%s' % (a, user))), ('accountId', K(a)))
    if not clean:
        idn['accessKeyId'] = S(gen_akid(False), 'aws_access_key_id')
    idn['userName'] = user
    return idn


def g_cloudtrail(clean):
    ts = TS()
    region = rch(REGIONS)
    a = acct()
    ev = rch(['lambda_invoke', 'ddb_key', 's3_key', 'apigw_stage', 'apigw_stage', 'apigw_integration', 'apigw_integration', 'sts_assume', 'access_denied', 'cognito', 'apigw_key'])
    if clean:
        ev = rch(['lambda_invoke', 'cognito', 'apigw_key', 'secrets', 'ddb_key', 'apigw_stage'])
    src, name, rp, re_, extra = None, None, None, None, od()
    cat, ro, mgmt = 'Management', False, True
    ident_kind = rch(['sso', 'lambda_role', 'iam_user'])
    resources = None
    if ev == 'lambda_invoke':
        src, name, cat, mgmt = 'lambda.amazonaws.com', 'Invoke', 'Data', False
        fn = lambda_arn(region, a, rch(['orders-handler', 'members-api', 'auth-callback']))
        rp = od(('functionName', K(fn)))
        if chance(0.4):
            rp['invocationType'] = rch(['Event', 'RequestResponse'])
        extra['additionalEventData'] = od(('functionVersion', K(fn + ':$LATEST')))
        resources = [od(('accountId', K(a)), ('type', 'AWS::Lambda::Function'), ('ARN', K(fn)))]
        ident_kind = 'service' if clean else rch(['sso', 'lambda_role'])
    elif ev == 'ddb_key':
        src, cat, mgmt = 'dynamodb.amazonaws.com', 'Data', False
        name = rch(['GetItem', 'DeleteItem', 'UpdateItem', 'Query'])
        ro = name in ('GetItem', 'Query')
        tbl = rch(['members', 'customers', 'bookings', 'employees'])
        if clean:
            key = od(('pk', K('MEMBER#' + ruuid())), ('sk', 'PROFILE'))
        else:
            kk = rch([('email', 'email'), ('ssn', 'ssn'), ('passportNumber', 'passport'), ('memberId', 'member_id'), ('phone', 'phone')])
            key = od((kk[0], S(GEN[kk[1]](), kk[1])))
        if name == 'Query':
            rp = od(('tableName', tbl), ('indexName', 'byEmail'), ('keyConditionExpression', 'email = :e'), ('limit', 1))
            if not clean:
                rp['keyConditionExpression'] = '#k = :v'
                rp['expressionAttributeValues'] = od((':v', od(('S', key[list(key)[0]]))))
        else:
            rp = od(('tableName', tbl), ('key', key))
            if name == 'GetItem':
                rp['consistentRead'] = False
        resources = [od(('accountId', K(a)), ('type', 'AWS::DynamoDB::Table'), ('ARN', K('arn:aws:dynamodb:%s:%s:table/%s' % (region, a, tbl))))]
        ident_kind = rch(['lambda_role', 'sso']) if not clean else 'lambda_role'
    elif ev == 's3_key':
        src, cat, mgmt = 's3.amazonaws.com', 'Data', False
        name = rch(['GetObject', 'PutObject'])
        ro = name == 'GetObject'
        bucket = rch(['example-exports-prod', 'example-member-docs', 'example-payslips'])
        key = C(rch(['exports/', 'uploads/', 'statements/']), S(gen_email(), 'email'), '/', rch(['statement-2025-03.pdf', 'id-scan.jpg', 'payslip.pdf']))
        rp = od(('bucketName', bucket), ('Host', '%s.s3.%s.amazonaws.com' % (bucket, region)), ('key', key))
        extra['additionalEventData'] = od(('SignatureVersion', 'SigV4'), ('CipherSuite', 'TLS_AES_128_GCM_SHA256'), ('bytesTransferredIn', 0),
                                          ('AuthenticationMethod', rch(['QueryString', 'AuthHeader'])), ('x-amz-id-2', K(b64r(56))), ('bytesTransferredOut', rint(1000, 900000)))
        resources = [od(('type', 'AWS::S3::Object'), ('ARN', C('arn:aws:s3:::%s/' % bucket, key)))]
    elif ev == 'apigw_stage':
        src, name = 'apigateway.amazonaws.com', 'UpdateStage'
        rest, stage = api_id(), rch(['prod', 'v1', 'live'])
        if clean:
            ops = [od(('op', 'replace'), ('path', '/variables/backendHost'), ('value', 'backend.example.com')),
                   od(('op', 'replace'), ('path', '/*/*/logging/dataTrace'), ('value', 'false'))]
            vars_ = od(('backendHost', 'backend.example.com'))
        else:
            u = vendor('any')
            nm = conf_name(u)
            ops = [od(('op', 'replace'), ('path', '/variables/' + nm), ('value', u.conf_val))]
            vars_ = od((nm, u.conf_val), ('backendHost', 'backend.example.com'))
        rp = od(('restApiId', K(rest)), ('stageName', stage), ('patchOperations', ops))
        re_ = od(('stageName', stage), ('deploymentId', K(rstr(6, LOWN))), ('variables', vars_), ('tracingEnabled', False),
                 ('lastUpdatedDate', ts.iso(0)), ('self', od(('restApiId', K(rest)), ('stageName', stage))))
    elif ev == 'apigw_integration':
        src, name = 'apigateway.amazonaws.com', 'PutIntegration'
        u = vendor('hdr')
        hn, hv = u.headers[0]
        rp = od(('restApiId', K(api_id())), ('resourceId', K(rstr(6, LOWN))), ('httpMethod', 'POST'), ('type', 'HTTP'),
                ('integrationHttpMethod', 'POST'), ('uri', 'https://%s%s' % (u.host or 'partner.example.net', u.path or '/v1')),
                ('requestParameters', od(('integration.request.header.%s' % hn, C("'", hv, "'")))),
                ('passthroughBehavior', 'WHEN_NO_MATCH'), ('timeoutInMillis', 29000))
    elif ev == 'sts_assume':
        src, name = 'sts.amazonaws.com', 'AssumeRole'
        fn = rch(['orders-handler', 'members-api', 'payout-worker'])
        ident_kind = 'service'
        role = 'arn:aws:iam::%s:role/%s-role-%s' % (a, fn, rstr(8, LOWN))
        rp = od(('roleArn', K(role)), ('roleSessionName', fn))
        re_ = od(('credentials', od(('accessKeyId', S(gen_akid(True), 'aws_access_key_id')), ('sessionToken', S(gen_session_token(), 'aws_session_token')),
                                    ('expiration', 'Mar %d, 2025, %d:%02d:%02d PM' % (rint(1, 28), rint(1, 11), rint(0, 59), rint(0, 59))))),
                  ('assumedRoleUser', od(('assumedRoleId', K('AROA%s:%s' % (rstr(17, B32), fn))), ('arn', K('arn:aws:sts::%s:assumed-role/%s-role/%s' % (a, fn, fn))))))
        resources = [od(('accountId', K(a)), ('type', 'AWS::IAM::Role'), ('ARN', K(role)))]
    elif ev == 'access_denied':
        src, name = 'lambda.amazonaws.com', 'Invoke'
        cat, mgmt = 'Data', False
        ident_kind = 'sso'
        fn = lambda_arn(region, a, rch(['payout-worker', 'members-api']))
        rp = None
        extra['errorCode'] = 'AccessDenied'
        extra['_deny_fn'] = fn
    elif ev == 'cognito':
        src, name = 'cognito-idp.amazonaws.com', rch(['InitiateAuth', 'ConfirmForgotPassword', 'SignUp', 'RespondToAuthChallenge'])
        ident_kind = None
        rp = od(('clientId', K(HIDDEN)), ('authParameters' if name == 'InitiateAuth' else 'username', K(HIDDEN)))
        if name == 'InitiateAuth':
            rp['authFlow'] = rch(['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'])
            re_ = od(('challengeParameters', od()), ('authenticationResult', od(('accessToken', K(HIDDEN)), ('expiresIn', 3600), ('tokenType', 'Bearer'),
                                                                             ('refreshToken', K(HIDDEN)), ('idToken', K(HIDDEN)))))
        extra['additionalEventData'] = od(('sub', k_uuid()), ('userPoolId', K(pool_id(region))))
    elif ev == 'apigw_key':
        src, name = 'apigateway.amazonaws.com', 'CreateApiKey'
        kid = rstr(10, LOWN)
        rp = od(('name', 'partner-' + rch(['acme', 'globex', 'initech'])), ('enabled', True), ('value', K(HIDDEN)))
        re_ = od(('id', K(kid)), ('name', rp['name']), ('enabled', True), ('createdDate', ts.iso(0)), ('stageKeys', []),
                 ('self', od(('apiKey', K(kid)))))
        if not clean and chance(0.6):
            rp['description'] = C('partner key ', S(gen_apigw_key(), 'api_key'), ' issued to ', S(gen_email(), 'email'))
    else:
        src, name, ro = 'secretsmanager.amazonaws.com', 'GetSecretValue', True
        ident_kind = 'lambda_role'
        rp = od(('secretId', K('arn:aws:secretsmanager:%s:%s:secret:prod/%s-%s' % (region, a, rch(['stripe', 'db', 'partner']), rstr(6, AN)))))
    o = od()
    o['eventVersion'] = rch(['1.08', '1.09', '1.10'])
    if ident_kind is None:
        o['userIdentity'] = od(('type', 'Unknown'), ('principalId', 'Anonymous'))
    else:
        o['userIdentity'] = ct_identity(a, ident_kind, clean)
    o['eventTime'] = K(ts.iso(0))
    o['eventSource'] = src
    o['eventName'] = name
    o['awsRegion'] = region
    o['sourceIPAddress'] = o['userIdentity']['invokedBy'] if ident_kind == 'service' else K(ip_client())
    o['userAgent'] = K(rch(['aws-cli/2.22.%d md/awscrt#0.23.4 ua/2.0 os/macos#24.2.0 md/arch#arm64 lang/python#3.12.6 cmd/apigateway.update-stage' % rint(0, 30),
                            'aws-sdk-js/3.637.0 ua/2.1 os/linux#5.10 lang/js md/nodejs#20.17.0 api/lambda#3.637.0',
                            'Boto3/1.35.20 md/Botocore#1.35.20 ua/2.0 os/linux#5.10 lang/python#3.12.5', 'APIGateway, aws-internal/3',
                            'Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.67.0']))
    if ev == 'access_denied':
        arn_user = o['userIdentity']['arn']
        o['errorCode'] = 'AccessDenied'
        o['errorMessage'] = C('User: ', arn_user, ' is not authorized to perform: lambda:InvokeFunction on resource: ', K(extra['_deny_fn']),
                              ' because no identity-based policy allows the lambda:InvokeFunction action')
        rp = od(('functionName', K(extra['_deny_fn'])))
    o['requestParameters'] = rp
    o['responseElements'] = re_
    for kk, vv in extra.items():
        if not kk.startswith('_') and kk != 'errorCode':
            o[kk] = vv
    o['requestID'] = k_uuid()
    o['eventID'] = k_uuid()
    o['readOnly'] = ro
    if resources:
        o['resources'] = resources
    o['eventType'] = 'AwsApiCall'
    o['managementEvent'] = mgmt
    o['recipientAccountId'] = K(a)
    o['eventCategory'] = cat
    if chance(0.6):
        o['tlsDetails'] = od(('tlsVersion', rch(['TLSv1.3', 'TLSv1.2'])), ('cipherSuite', rch(['TLS_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'])),
                             ('clientProvidedHostHeader', '%s.%s.amazonaws.com' % (src.split('.')[0], region)))
    if chance(0.15):
        return jd(od(('Records', [o])))
    return jd(o)


# ==== BUILD ====================================================================================================

KIND_RE = re.compile(r'^(vendor:)?[a-z][a-z0-9]*(_[a-z0-9]+)*$')


def kscore(k):
    s = 0
    if re.search(r'\d', k) and re.search(r'[A-Za-z]', k):
        s += 3
    if len(k) >= 16:
        s += 2
    if len(k) >= 8:
        s += 1
    if re.fullmatch(r'[0-9a-fA-F-]{16,}', k):
        s += 2
    if re.fullmatch(r'[A-Za-z0-9+/=_.~-]{16,}', k):
        s += 2
    if k.startswith(('arn:', 'Root=', '1-', 'us-', 'eu-', 'AWS4', 'awswaf:')) or '/' in k or ':' in k:
        s += 1
    return s


def occurrences(line, s):
    out = []
    i = line.find(s)
    while i != -1:
        out.append(i)
        i = line.find(s, i + 1)
    return out


def finalize(rs, clean):
    """turn a labelled line into (line, secrets, kinds, keep, spans) or a reason string for a redraw."""
    line = rs.t
    if '\r' in line or '\n' in line:
        return 'crlf'
    if len(line.encode('utf-8')) > MAX_LINE:
        return 'too_long'
    spans, keeps, pos = [], [], 0
    for a, g in rs.p:
        if g:
            if g[0] == 's':
                spans.append((pos, pos + len(a), a, g[1]))
            else:
                keeps.append(a)
        pos += len(a)
    if clean and spans:
        raise Fail('clean record with secret %r' % (spans[0],))
    if not clean and not spans:
        return 'no_secret'
    kinds = collections.OrderedDict()
    for st, en, a, k in spans:
        if len(a) < 6 or a != a.strip():
            return 'short_secret'
        if not KIND_RE.match(k):
            raise Fail('bad kind %r' % k)
        if a in kinds and kinds[a] != k:
            return 'kind_conflict'
        kinds.setdefault(a, k)
    occ = []
    for a in kinds:
        for i in occurrences(line, a):
            j = i + len(a)
            ok = any((st == i and en == j) or (st <= i and j <= en and en - st > len(a)) for st, en, _, _ in spans)
            if not ok:
                return 'accidental_copy'
            occ.append((i, j))
    secrets = list(kinds)
    kc = []
    for k in collections.OrderedDict.fromkeys(keeps):
        if len(k) < 3:
            STATS['keep_short'] += 1
            continue
        if k in kinds or any(s in k for s in secrets):
            STATS['keep_contains_secret'] += 1
            continue
        if any(o0 < i + len(k) and i < o1 for i in occurrences(line, k) for o0, o1 in occ):
            STATS['keep_overlap_dropped'] += 1
            continue
        kc.append(k)
    cap = 10 if clean else min(4 * len(secrets) + 4, 24)
    if len(kc) > cap:
        order = sorted(range(len(kc)), key=lambda i: (-kscore(kc[i]), i))[:cap]
        STATS['keep_capped'] += len(kc) - cap
        kc = [kc[i] for i in sorted(order)]
    if not kc:
        return 'no_keep'
    return line, secrets, [kinds[s] for s in secrets], kc, [(st, en) for st, en, _, _ in spans]


def is_json_obj(line):
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def check_record(rec, spans=None):
    def bad(msg):
        raise Fail('%s: %s' % (rec.get('id'), msg))
    if list(rec.keys()) != ['id', 'layout', 'line', 'secrets', 'kinds', 'keep']:
        bad('fields %r' % list(rec.keys()))
    lay = rec['layout']
    if lay not in LAYOUT_N:
        bad('unknown layout')
    if not re.fullmatch(r'h9-%s-\d{4}' % re.escape(lay), rec['id']):
        bad('id format')
    line = rec['line']
    if not isinstance(line, str) or '\r' in line or '\n' in line:
        bad('line CR/LF')
    if len(line.encode('utf-8')) > MAX_LINE:
        bad('line too long')
    sec, kinds, keep = rec['secrets'], rec['kinds'], rec['keep']
    if len(sec) != len(kinds):
        bad('secrets/kinds length')
    if len(set(sec)) != len(sec) or len(set(keep)) != len(keep):
        bad('duplicates')
    if not keep:
        bad('no keep')
    for k in kinds:
        if not KIND_RE.match(k):
            bad('kind %r' % k)
    occ = []
    for s in sec:
        if len(s) < 6 or s != s.strip() or s not in line:
            bad('secret %r' % s)
        occ += [(i, i + len(s)) for i in occurrences(line, s)]
    for k in keep:
        if len(k) < 3 or k not in line:
            bad('keep %r' % k)
        if any(s in k for s in sec):
            bad('keep contains secret %r' % k)
        if any(o0 < i + len(k) and i < o1 for i in occurrences(line, k) for o0, o1 in occ):
            bad('keep overlaps secret %r' % k)
    if spans is not None:
        for s in sec:
            for i in occurrences(line, s):
                j = i + len(s)
                if not any((st == i and en == j) or (st <= i and j <= en and en - st > len(s)) for st, en in spans):
                    bad('accidental copy of %r' % s)
    if lay in JSON_LAYOUTS or line.startswith('{'):
        if not is_json_obj(line):
            bad('not a JSON object')


def draw(layout, clean):
    for attempt in range(300):
        G.clean = clean
        G.pending = []
        rs = GENS[layout](clean)
        res = finalize(rs, clean)
        if isinstance(res, str):
            STATS['redraw_' + res] += 1
            continue
        return res
    raise Fail('%s: 300 draws failed' % layout)


def build():
    recs, spans_by_id = [], {}
    n = 0
    for layout, cnt in PLAN:
        nclean = cnt // 5
        flags = [True] * nclean + [False] * (cnt - nclean)
        RNG.shuffle(flags)
        for clean in flags:
            n += 1
            line, secrets, kinds, keep, spans = draw(layout, clean)
            for k in kinds:
                if k.startswith('vendor:'):
                    VCOUNT[k[7:]] += 1
            rec = collections.OrderedDict([('id', 'h9-%s-%04d' % (layout, n)), ('layout', layout), ('line', line),
                                           ('secrets', secrets), ('kinds', kinds), ('keep', keep)])
            check_record(rec, spans)
            recs.append(rec)
            spans_by_id[rec['id']] = spans
    return recs, spans_by_id


def serialise(recs):
    return ''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in recs).encode('utf-8')


def corpus_checks(recs):
    if len(recs) != 1000:
        raise Fail('record count %d' % len(recs))
    ids = [r['id'] for r in recs]
    if len(set(ids)) != len(ids):
        raise Fail('duplicate ids')
    for i, r in enumerate(recs):
        if not r['id'].endswith('-%04d' % (i + 1)):
            raise Fail('id order at %s' % r['id'])
    per = collections.Counter(r['layout'] for r in recs)
    cl = collections.Counter(r['layout'] for r in recs if not r['secrets'])
    for lay, cnt in PLAN:
        if per[lay] != cnt:
            raise Fail('layout %s has %d records, planned %d' % (lay, per[lay], cnt))
        if cl[lay] * 5 != cnt:
            raise Fail('layout %s has %d clean records, want exactly 20%%' % (lay, cl[lay]))
    vc = collections.Counter(k[7:] for r in recs for k in r['kinds'] if k.startswith('vendor:'))
    if len(vc) < 60:
        raise Fail('only %d vendors' % len(vc))
    few = [v for v, c in vc.items() if c < 3]
    if few:
        raise Fail('vendors with fewer than 3 labels: %s' % ', '.join(sorted(few)))
    return per, cl, vc


def stats_text(recs, data):
    per = collections.OrderedDict((lay, [0, 0, 0, 0]) for lay, _ in PLAN)
    for r in recs:
        p = per[r['layout']]
        p[0] += 1
        p[1] += 0 if r['secrets'] else 1
        p[2] += len(r['secrets'])
        p[3] += len(r['keep'])
    out = ['%-22s %5s %5s %7s %6s' % ('layout', 'n', 'clean', 'secrets', 'keeps')]
    tot = [0, 0, 0, 0]
    for lay, p in per.items():
        out.append('%-22s %5d %5d %7d %6d' % (lay, p[0], p[1], p[2], p[3]))
        tot = [a + b for a, b in zip(tot, p)]
    out.append('%-22s %5d %5d %7d %6d' % ('total', tot[0], tot[1], tot[2], tot[3]))
    nj = sum(1 for r in recs if is_json_obj(r['line']))
    out.append('JSON-object lines: %d' % nj)
    kc = collections.Counter(k for r in recs for k in r['kinds'])
    out.append('kinds (non-vendor): ' + ', '.join('%s %d' % (k, c) for k, c in sorted(kc.items(), key=lambda x: (-x[1], x[0])) if not k.startswith('vendor:')))
    vc = collections.Counter(k[7:] for r in recs for k in r['kinds'] if k.startswith('vendor:'))
    out.append('vendor labels: %d over %d vendors' % (sum(vc.values()), len(vc)))
    out.append('vendors: ' + ', '.join('%s %d' % (k, c) for k, c in sorted(vc.items())))
    out.append('generator stats: ' + ', '.join('%s %d' % (k, v) for k, v in sorted(STATS.items())))
    big = max(recs, key=lambda r: len(r['line'].encode('utf-8')))
    out.append('largest line: %d bytes (%s)' % (len(big['line'].encode('utf-8')), big['id']))
    out.append('lines with a tab: %d' % sum(1 for r in recs if '\t' in r['line']))
    out.append('sha256: ' + hashlib.sha256(data).hexdigest())
    return '\n'.join(out)


def main(argv):
    hash_only = '--hash-only' in argv
    tmp = OUT + '.tmp'
    try:
        recs, spans = build()
        corpus_checks(recs)
        data = serialise(recs)
        digest = hashlib.sha256(data).hexdigest()
        if hash_only:
            print(digest)
            return 0
        with open(tmp, 'wb') as f:
            f.write(data)
        with open(tmp, 'rb') as f:
            back = f.read()
        if back != data:
            raise Fail('read-back differs')
        recs2 = [json.loads(l, object_pairs_hook=collections.OrderedDict) for l in back.decode('utf-8').split('\n') if l]
        if recs2 != recs:
            raise Fail('read-back records differ')
        for r in recs2:
            check_record(r, spans[r['id']])
        corpus_checks(recs2)
        if '--no-hashseed-check' not in argv:
            for hs in ('1', '7'):
                env = dict(os.environ, PYTHONHASHSEED=hs)
                p = subprocess.run([sys.executable, os.path.abspath(__file__), '--hash-only'], env=env,
                                   capture_output=True, text=True)
                got = p.stdout.strip()
                if p.returncode != 0 or got != digest:
                    raise Fail('PYTHONHASHSEED=%s gives %s, expected %s %s' % (hs, got, digest, p.stderr[-500:]))
        os.replace(tmp, OUT)
        print(stats_text(recs, data))
        return 0
    except Fail as e:
        if os.path.exists(tmp):
            os.remove(tmp)
        print('SELF-CHECK FAILED: %s' % e, file=sys.stderr)
        return 1
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


PLAN = [
    ('waf_full', 130),
    ('alb_access', 90),
    ('cloudfront_std', 90),
    ('cloudfront_rt', 60),
    ('apigw_ws_access', 50),
    ('apigw_ws_execution', 70),
    ('apigw_rest_exec_data', 110),
    ('appsync', 80),
    ('cognito_trigger', 70),
    ('cognito_auth_log', 40),
    ('lambda_authorizer', 70),
    ('eventbridge_sfn', 80),
    ('cloudtrail', 60),
]
LAYOUT_N = dict(PLAN)
JSON_LAYOUTS = {'cloudtrail'}
GENS = {'waf_full': g_waf, 'alb_access': g_alb, 'cloudfront_std': g_cf_std, 'cloudfront_rt': g_cf_rt,
        'apigw_ws_access': g_ws_access, 'apigw_ws_execution': g_ws_exec,
        'apigw_rest_exec_data': g_rest_exec, 'appsync': g_appsync,
        'cognito_trigger': g_cognito_trigger, 'cognito_auth_log': g_cognito_auth,
        'lambda_authorizer': g_authorizer, 'eventbridge_sfn': g_eb_sfn, 'cloudtrail': g_cloudtrail}

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
