#!/usr/bin/env python3
"""Generate heldout10.jsonl: HTTP captures by debugging/client tooling around an API behind AWS API Gateway.

Python 3 standard library only. Fixed seed, byte-for-byte deterministic. Every value is random and fake.
Usage: gen_heldout10.py [--hash-only] [--no-hashseed-check]
"""
import base64
import datetime
import hashlib
import json
import os
import random
import re
import string
import subprocess
import sys
from urllib.parse import quote, quote_plus

SEED = 0x4E1D10
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'heldout10.jsonl')
R = random.Random(SEED)

AN = string.ascii_letters + string.digits
LO = string.ascii_lowercase + string.digits
UP = string.ascii_uppercase + string.digits
UPL = string.ascii_uppercase
HEX = '0123456789abcdef'
UHEX = '0123456789ABCDEF'
B64 = AN + '+/'
B64U = AN + '-_'
DIG = string.digits
LET = string.ascii_letters
B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
BECH = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'

PH0, PH1 = '\ue000', '\ue001'
PHRE = re.compile('\ue000(\\d+)\ue001')


class Fail(Exception):
    pass


def die(msg):
    sys.stderr.write('SELF-CHECK FAILED: ' + msg + '\n')
    sys.exit(1)


# ----------------------------------------------------------------------------------------------- random values
def rs(n, a=AN):
    return ''.join(R.choice(a) for _ in range(n))


def rd(n):
    return str(R.randint(1, 9)) + rs(n - 1, DIG)


def ch(seq):
    return R.choice(seq)


def uuid4():
    h = rs(32, HEX)
    return f'{h[:8]}-{h[8:12]}-4{h[13:16]}-{ch("89ab")}{h[17:20]}-{h[20:]}'


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b'=').decode()


def b64(s):
    return base64.b64encode(s.encode()).decode()


FIRST = ['jane', 'amelie', 'omar', 'li', 'sofia', 'noah', 'priya', 'mateo', 'yuki', 'lena', 'kwame', 'ines', 'tom',
         'fatima', 'lucas', 'chen', 'maria', 'arjun', 'emma', 'david', 'zoe', 'hugo', 'nadia', 'felix', 'aiko']
LAST = ['doe', 'martin', 'haddad', 'wei', 'rossi', 'smith', 'iyer', 'garcia', 'tanaka', 'schulz', 'mensah',
        'moreau', 'kowalski', 'rahman', 'silva', 'novak', 'okafor', 'berg', 'costa', 'nguyen', 'fischer']
EDOM = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'example.co.uk', 'example.de',
        'corp.example.com', 'example.fr']
STREETS = ['Maple', 'Oak', 'Cedar', 'Willow', 'Harbor View', 'Linden', 'Juniper', 'Birch Hollow', 'Lakeshore',
           'Magnolia', 'Elm', 'Chestnut', 'Sycamore', 'Riverside', 'Hawthorne', 'Aspen', 'Prospect', 'Orchard']
SUFF = ['St', 'Ave', 'Rd', 'Blvd', 'Lane', 'Drive', 'Way', 'Court', 'Street', 'Avenue']
WORDS = ['harbor', 'violet', 'falcon', 'cobalt', 'meadow', 'quartz', 'ember', 'tundra', 'saffron', 'lagoon',
         'orbit', 'marble', 'pepper', 'summit', 'willow', 'zephyr']


def email():
    f, l = ch(FIRST), ch(LAST)
    local = ch([f'{f}.{l}', f'{f}{l}{rd(2)}', f'{f[0]}{l}', f'{f}_{l}{R.randint(1, 99)}', f'{f}.{l}+{ch(["work", "test", "hr"])}'])
    return f'{local}@{ch(EDOM)}'


def phone():
    k = R.randint(0, 9)
    dd = f'{R.randint(0, 99):02d}'
    area = ch(['202', '212', '303', '312', '415', '503', '617', '646', '702', '718', '805', '917'])
    ddd = f'{R.randint(0, 999):03d}'
    return [f'+1 {area}-555-01{dd}', f'({area}) 555-01{dd}', f'+1{area}55501{dd}', f'{area}.555.01{dd}',
            f'+44 7700 900{ddd}', f'07700 900{ddd}', f'+447700900{ddd}', f'+61 491 570 1{dd}',
            f'0491 570 1{dd}', f'+1-{area}-555-01{dd}'][k]


def luhn_digit(s):
    t = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        t += d
    return str((10 - t % 10) % 10)


def luhn_ok(s):
    return luhn_digit(s[:-1]) == s[-1]


def card():
    p = ch(['4' + rs(14, DIG), '5' + str(R.randint(1, 5)) + rs(13, DIG), ch(['34', '37']) + rs(12, DIG),
            '6011' + rs(11, DIG), '2221' + rs(11, DIG)])
    n = p + luhn_digit(p)
    assert luhn_ok(n)
    f = R.random()
    if f < 0.5 or len(n) != 16:
        return n
    sep = ' ' if f < 0.8 else '-'
    return sep.join(n[i:i + 4] for i in range(0, 16, 4))


def iban_check(s):
    s = s.replace(' ', '')
    t = s[4:] + s[:4]
    return int(''.join(str(int(c, 36)) for c in t)) % 97 == 1


def iban():
    cc, bban = ch([('DE', rs(18, DIG)), ('GB', rs(4, UPL) + rs(14, DIG)), ('FR', rs(23, DIG)),
                   ('NL', rs(4, UPL) + rs(10, DIG)), ('ES', rs(20, DIG)), ('IT', ch(UPL) + rs(22, DIG))])
    n = int(''.join(str(int(c, 36)) for c in bban + cc + '00'))
    s = f'{cc}{98 - n % 97:02d}{bban}'
    assert iban_check(s)
    if R.random() < 0.35:
        s = ' '.join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def ssn():
    a = R.randint(1, 899)
    while a == 666:
        a = R.randint(1, 899)
    s = f'{a:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}'
    return s if R.random() < 0.8 else s.replace('-', '')


VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff(num):
    c = 0
    for i, x in enumerate(reversed(num)):
        c = VD[c][VP[(i + 1) % 8][int(x)]]
    return str(VINV[c])


def national_id():
    k = R.randint(0, 3)
    if k == 0:  # Brazilian CPF
        d = [R.randint(0, 9) for _ in range(9)]
        for n in (10, 11):
            s = sum(x * (n - i) for i, x in enumerate(d))
            r_ = (s * 10) % 11
            d.append(0 if r_ == 10 else r_)
        s = ''.join(map(str, d))
        return f'{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}'
    if k == 1:  # Spanish DNI
        n = R.randint(10000000, 99999999)
        return f'{n}{"TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]}'
    if k == 2:  # Aadhaar (Verhoeff)
        s = str(R.randint(2, 9)) + rs(10, DIG)
        s += verhoeff(s)
        return f'{s[:4]} {s[4:8]} {s[8:]}'
    a = ch('ABCEGHJKLMNPRSTWXYZ') + ch('ABCEGHJKLMNPRSTWXYZ')
    while a in ('BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'):
        a = ch('ABCEGHJKLMNPRSTWXYZ') + ch('ABCEGHJKLMNPRSTWXYZ')
    d = rs(6, DIG)
    return ch([f'{a}{d}{ch("ABCD")}', f'{a} {d[:2]} {d[2:4]} {d[4:]} {ch("ABCD")}'])


def dob():
    y, m, d = R.randint(1946, 2006), R.randint(1, 12), R.randint(1, 28)
    return ch([f'{y}-{m:02d}-{d:02d}', f'{m:02d}/{d:02d}/{y}', f'{d:02d}.{m:02d}.{y}'])


def address():
    a = f'{R.randint(10, 9899)} {ch(STREETS)} {ch(SUFF)}'
    if R.random() < 0.35:
        a += ch([f', Apt {R.randint(1, 40)}{ch("ABCD")}', f' Unit {R.randint(100, 999)}', f', Suite {R.randint(100, 990)}'])
    return a


def passport():
    return ch([ch(UPL) + rs(8, DIG), rd(9), ch(UPL) + ch(UPL) + rs(7, DIG)])


def member_id():
    return ch(['W' + rs(9, DIG), ch(['XEH', 'ZGP', 'MBR', 'JQU']) + rs(9, DIG), rs(3, UPL) + rd(8) + '01'])


def password():
    k = R.randint(0, 3)
    sy = '!#$%*-_.@^~+&='
    if k == 0:
        return ch(WORDS).capitalize() + rs(2, DIG) + ch(sy) + rs(R.randint(3, 6), LET)
    if k == 1:
        return rs(R.randint(12, 20), AN + '!#$%*-_.@^~')
    if k == 2:
        return '-'.join(ch(WORDS) for _ in range(3)) + rd(2)
    return rs(4, LET) + ch(sy) + rs(4, DIG) + ch(sy) + rs(3, UPL)


def otp():
    return f'{R.randint(0, 999999):06d}'


def akid(kind=None):
    return (kind or ch(['ASIA', 'ASIA', 'AKIA'])) + rs(16, B32)


def aws_secret():
    return rs(40, B64)


def aws_token():
    return 'IQoJb3JpZ2luX2Vj' + rs(R.randint(18, 26) * 16 + 4, B64) + ch(['', '=', '=='])


def pem_body(n=None):
    body = rs(n or R.randint(14, 24) * 64, B64)
    return '\n'.join(body[i:i + 64] for i in range(0, len(body), 64))


def apikey():
    return rs(40, AN)


def refresh():
    if R.random() < 0.5:
        return 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.' + rs(342, B64U) + '.' + rs(22, B64U) + '.' + rs(R.randint(500, 900), B64U) + '.' + rs(22, B64U)
    return rs(R.randint(40, 64), B64U)


def opaque():
    return ch([rs(43, B64U), 'at_' + rs(40, AN), rs(64, HEX), 'ya29.' + rs(150, B64U)])


# ----------------------------------------------------------------------------------------------- keep look-alikes
REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1']


def acct():
    return rd(12)


def apigw_id():
    return rs(15, AN) + '='


def trace_root():
    return f'Root=1-{rs(8, HEX)}-{rs(24, HEX)}'


def traceparent():
    return f'00-{rs(32, HEX)}-{rs(16, HEX)}-01'


def pool_id(reg):
    return f'{reg}_{rs(9, AN)}'


def sha256hex():
    return rs(64, HEX)


UAS = {
    'curl': ['curl/8.5.0', 'curl/7.88.1', 'curl/8.7.1', 'curl/8.11.0'],
    'httpie': ['HTTPie/3.2.2', 'HTTPie/3.2.4'],
    'wget': ['Wget/1.21.4', 'Wget/1.21.2'],
    'postman': ['PostmanRuntime/7.36.1', 'PostmanRuntime/7.39.0', 'PostmanRuntime/7.42.0'],
    'insomnia': ['insomnia/8.6.1', 'insomnia/9.3.2', 'insomnia/10.1.0'],
    'browser': ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
                'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
                'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0'],
    'python': ['python-requests/2.31.0', 'python-requests/2.32.3', 'Python-urllib/3.11', 'python-httpx/0.27.0'],
    'okhttp': ['okhttp/4.12.0', 'okhttp/4.11.0', 'ExampleApp/5.2.1 (Android 14; Pixel 8) okhttp/4.12.0'],
    'apache': ['Apache-HttpClient/4.5.14 (Java/17.0.9)', 'Apache-HttpClient/5.3 (Java/21.0.2)'],
    'go': ['Go-http-client/1.1', 'Go-http-client/2.0', 'example-sync/1.8.3 (+https://example.com/bot) Go-http-client/1.1'],
    'dotnet': ['ExampleClinic.Api/3.4.0', 'Microsoft.NET/8.0.2'],
    'node': ['axios/1.6.7', 'axios/1.7.2', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'undici'],
    'boto': ['Boto3/1.34.50 md/Botocore#1.34.50 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.50',
             'aws-cli/2.15.20 Python/3.11.6 Linux/6.1.0 exe/x86_64.amzn.2 prompt/off command/apigateway.test-invoke-method'],
    'jsv3': ['aws-sdk-js/3.540.0 ua/2.0 os/linux#6.1.0 lang/js md/nodejs#20.11.1 api/lambda#3.540.0'],
    'java': ['aws-sdk-java/2.25.10 Linux/6.1.0 OpenJDK_64-Bit_Server_VM/17.0.9+9-LTS Java/17.0.9 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy'],
    'envoy': ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
              'ExampleApp/5.2.1 (iOS 17.3; iPhone15,2)', 'okhttp/4.12.0', 'curl/8.5.0'],
}


# ----------------------------------------------------------------------------------------------- record builder
CUR = [None]


class Rec:
    def __init__(self):
        self.vals = []
        self.vendors = []
        self.t = datetime.datetime(2025, 3, 1) + datetime.timedelta(seconds=R.randint(0, 80 * 86400), milliseconds=R.randint(0, 999))
        self.region = ch(REGIONS)
        CUR[0] = self

    def reg(self, v, t, kind):
        v = str(v)
        assert PH0 not in v and PH1 not in v, v
        self.vals.append((v, t, kind))
        return f'{PH0}{len(self.vals) - 1}{PH1}'

    def S(self, v, kind):
        return self.reg(v, 'S', kind)

    def K(self, v):
        return self.reg(v, 'K', None)

    def tx(self, text, fn):
        out, pos = [], 0
        for m in PHRE.finditer(text):
            out.append(fn(text[pos:m.start()]))
            v, t, k = self.vals[int(m.group(1))]
            nv = fn(v)
            out.append(m.group(0) if nv == v else self.reg(nv, t, k))
            pos = m.end()
        out.append(fn(text[pos:]))
        return ''.join(out)

    def txv(self, text, fn):  # apply fn to the values only (the template text is already escaped)
        def sub(m):
            v, t, k = self.vals[int(m.group(1))]
            nv = fn(v)
            return m.group(0) if nv == v else self.reg(nv, t, k)
        return PHRE.sub(sub, text)

    def plain(self, text):
        return PHRE.sub(lambda m: self.vals[int(m.group(1))][0], text)

    def has_secret(self, text):
        return any(self.vals[int(m.group(1))][1] == 'S' for m in PHRE.finditer(text))

    def chars(self, text):
        out, pos = [], 0
        for m in PHRE.finditer(text):
            out.extend((c, None) for c in text[pos:m.start()])
            i = int(m.group(1))
            out.extend((c, i) for c in self.vals[i][0])
            pos = m.end()
        out.extend((c, None) for c in text[pos:])
        return out

    def regroup(self, cl):
        """Turn a list of (char, idx) back into text; fragments of a value become new labels or plain text."""
        out, j = [], 0
        while j < len(cl):
            i = cl[j][1]
            k = j
            while k < len(cl) and cl[k][1] == i:
                k += 1
            s = ''.join(c for c, _ in cl[j:k])
            if i is None:
                out.append(s)
            else:
                v, t, kind = self.vals[i]
                if s == v:
                    out.append(self.reg(v, t, kind))
                elif t == 'S' and len(s.strip()) >= 8:
                    core = s.strip()
                    a_ = s.index(core)
                    out.append(s[:a_] + self.reg(core, 'S', kind) + s[a_ + len(core):])
                else:
                    out.append(s)
            j = k
        return ''.join(out)

    def ts(self, fmt='iso', delta_ms=0):
        t = self.t + datetime.timedelta(milliseconds=delta_ms)
        if fmt == 'iso':
            return t.strftime('%Y-%m-%dT%H:%M:%S.') + f'{t.microsecond // 1000:03d}Z'
        if fmt == 'rfc':
            return t.strftime('%a, %d %b %Y %H:%M:%S GMT')
        if fmt == 'amz':
            return t.strftime('%Y%m%dT%H%M%SZ')
        if fmt == 'py':
            return t.strftime('%Y-%m-%d %H:%M:%S,') + f'{t.microsecond // 1000:03d}'
        if fmt == 'clf':
            return t.strftime('%d/%b/%Y:%H:%M:%S +0000')
        if fmt == 'apigw':
            return t.strftime('%a %b %d %H:%M:%S UTC %Y')
        if fmt == 'epoch':
            return str(int(t.replace(tzinfo=datetime.timezone.utc).timestamp()))
        if fmt == 'ms':
            return str(int(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000))
        if fmt == 'date':
            return t.strftime('%Y%m%d')
        if fmt == 'logcat':
            return t.strftime('%Y-%m-%d %H:%M:%S.') + f'{t.microsecond // 1000:03d}'
        raise ValueError(fmt)


def jesc(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def q_enc(s):
    return quote(s, safe='')


def qp_enc(s):
    return quote_plus(s, safe='')


def pyb(s):  # Python bytes repr body (single-quoted)
    out = []
    for c in s:
        if c == '\\':
            out.append('\\\\')
        elif c == "'":
            out.append("\\'")
        elif c == '\r':
            out.append('\\r')
        elif c == '\n':
            out.append('\\n')
        elif c == '\t':
            out.append('\\t')
        elif ord(c) > 126 or ord(c) < 32:
            out.append(''.join(f'\\x{b:02x}' for b in c.encode()))
        else:
            out.append(c)
    return ''.join(out)


def goq(s):  # Go %q
    out = []
    for c in s:
        out.append({'\\': '\\\\', '"': '\\"', '\r': '\\r', '\n': '\\n', '\t': '\\t'}.get(c, c))
    return ''.join(out)


def flat(s):  # multi-line capture shipped as one line: newline -> the two characters \n
    return s.replace('\r\n', '\n').replace('\r', '').replace('\n', '\\n')


def nginx_esc(s):
    return s.replace('\\', '\\x5C').replace('"', '\\x22')


def jd(o, pretty=False):
    if pretty:
        out = json.dumps(o, ensure_ascii=False, indent=4)
    else:
        out = json.dumps(o, ensure_ascii=False, separators=ch([(',', ':'), (', ', ': ')]))
    return CUR[0].txv(out, jesc)


def jwt(r, claims=None, alg=None, kind='jwt'):
    alg = alg or ch(['RS256', 'RS256', 'HS256', 'ES256'])
    hdr = {'alg': alg, 'typ': 'JWT'} if alg == 'HS256' else {'kid': b64u(rs(24, AN).encode()), 'alg': alg}
    now = int(r.t.replace(tzinfo=datetime.timezone.utc).timestamp())
    p = {'sub': uuid4(), 'iss': ch([f'https://cognito-idp.{r.region}.amazonaws.com/{pool_id(r.region)}', 'https://auth.example.com/',
                                     'https://example.okta.example.com/oauth2/default']),
         'client_id': rs(26, LO), 'token_use': 'access', 'scope': ch(['openid profile email', 'orders/read orders/write', 'aws.cognito.signin.user.admin']),
         'auth_time': now - R.randint(10, 900), 'exp': now + 3600, 'iat': now - R.randint(1, 9), 'jti': uuid4()}
    if claims:
        p.update(claims)
    sig = rs({'RS256': 342, 'HS256': 43, 'ES256': 86}[alg], B64U)
    return r.S(b64u(json.dumps(hdr, separators=(',', ':')).encode()) + '.' + b64u(json.dumps(p, separators=(',', ':')).encode()) + '.' + sig, kind)


def session_cookie(r):
    k = R.randint(0, 6)
    name, v = [('session', rs(64, HEX)), ('connect.sid', 's%3A' + rs(32, B64U) + '.' + rs(43, B64)),
               ('JSESSIONID', rs(32, UHEX)), ('PHPSESSID', rs(26, LO)), ('__Host-session', rs(43, B64U)),
               ('__Secure-next-auth.session-token', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..' + rs(16, B64U) + '.' + rs(300, B64U) + '.' + rs(22, B64U)),
               ('sid', 'Fe26.2**' + rs(64, HEX) + '*' + rs(22, B64U) + '*' + rs(86, B64U) + '**' + rs(64, HEX) + '*' + rs(43, B64U))][k]
    return name, r.S(v, 'session_cookie')


def keep_cookies(r):
    out = []
    if R.random() < 0.5:
        out.append(('AWSALB', r.K(rs(R.randint(100, 140), B64))))
        if R.random() < 0.5:
            out.append(('AWSALBCORS', r.K(rs(R.randint(100, 140), B64))))
    if R.random() < 0.4:
        out.append(('_ga', r.K(f'GA1.2.{rd(10)}.{r.ts("epoch")}')))
    if R.random() < 0.3:
        out.append(('lang', ch(['en-US', 'de-DE', 'fr-FR', 'pt-BR'])))
    return out


# ----------------------------------------------------------------------------------------------- vendors
def v_basic(user_first):
    return ('BASIC', user_first)


VENDORS = [
    ('github', lambda: ch(['ghp_', 'gho_', 'ghs_']) + rs(36, AN), 'api.github.com', '/user/repos', 'T:token '),
    ('github_fine_grained', lambda: 'github_pat_' + rs(22, AN) + '_' + rs(59, AN), 'api.github.com', '/repos/example-org/billing/issues', 'B'),
    ('gitlab', lambda: 'glpat-' + rs(20, B64U), 'gitlab.example.com', '/api/v4/projects', 'H:PRIVATE-TOKEN'),
    ('slack', lambda: ch(['xoxb-', 'xoxp-']) + rd(12) + '-' + rd(13) + '-' + rs(24, AN), 'slack.com', '/api/chat.postMessage', 'B'),
    ('slack_webhook', lambda: rs(24, AN), 'hooks.slack.com', '/services/T{A}/B{B}/{T}', 'PATH'),
    ('stripe', lambda: ch(['sk_live_', 'rk_live_']) + rs(ch([24, 99]), AN), 'api.stripe.com', '/v1/payment_intents', 'B'),
    ('stripe_webhook', lambda: 'whsec_' + rs(32, AN), 'config.example.com', '/v1/integrations/stripe', 'J:webhook_signing_secret'),
    ('sendgrid', lambda: 'SG.' + rs(22, B64U) + '.' + rs(43, B64U), 'api.sendgrid.com', '/v3/mail/send', 'B'),
    ('twilio', lambda: rs(32, HEX), 'api.twilio.com', '/2010-04-01/Accounts/{AC}/Messages.json', 'BASIC:{AC}'),
    ('mailgun', lambda: 'key-' + rs(32, HEX), 'api.mailgun.net', '/v3/mg.example.com/messages', 'BASIC:api'),
    ('mailchimp', lambda: rs(32, HEX) + '-us' + str(R.randint(1, 21)), 'us14.api.mailchimp.com', '/3.0/lists', 'BASIC:anystring'),
    ('openai', lambda: 'sk-proj-' + rs(74, B64U) + 'T3BlbkFJ' + rs(74, B64U), 'api.openai.com', '/v1/chat/completions', 'B'),
    ('anthropic', lambda: 'sk-ant-api03-' + rs(93, B64U) + 'AA', 'api.anthropic.com', '/v1/messages', 'H:x-api-key'),
    ('huggingface', lambda: 'hf_' + rs(34, LET), 'huggingface.co', '/api/whoami-v2', 'B'),
    ('google', lambda: 'AIza' + rs(35, B64U), 'maps.googleapis.com', '/maps/api/geocode/json', 'Q:key'),
    ('firebase', lambda: 'AAAA' + rs(7, B64U) + ':APA91b' + rs(134, B64U), 'fcm.googleapis.com', '/fcm/send', 'T:key='),
    ('npm', lambda: 'npm_' + rs(36, AN), 'registry.npmjs.org', '/-/whoami', 'B'),
    ('pypi', lambda: 'pypi-AgEIcHlwaS5vcmc' + rs(70, B64U), 'upload.pypi.org', '/legacy/', 'BASIC:__token__'),
    ('rubygems', lambda: 'rubygems_' + rs(48, HEX), 'rubygems.org', '/api/v1/gems', 'T:'),
    ('dockerhub', lambda: 'dckr_pat_' + rs(27, B64U), 'hub.docker.com', '/v2/users/login', 'J:password'),
    ('digitalocean', lambda: 'dop_v1_' + rs(64, HEX), 'api.digitalocean.com', '/v2/droplets', 'B'),
    ('doppler', lambda: 'dp.pt.' + rs(43, AN), 'api.doppler.com', '/v3/configs/config/secrets', 'B'),
    ('vault', lambda: 'hvs.' + rs(90, B64U), 'vault.example.com', '/v1/secret/data/payments', 'H:X-Vault-Token'),
    ('terraform', lambda: rs(14, AN) + '.atlasv1.' + rs(67, AN), 'app.terraform.io', '/api/v2/organizations', 'B'),
    ('pulumi', lambda: 'pul-' + rs(40, HEX), 'api.pulumi.com', '/api/user/stacks', 'T:token '),
    ('planetscale', lambda: 'pscale_tkn_' + rs(43, B64U), 'api.planetscale.com', '/v1/organizations', 'T:{PSID}:'),
    ('shopify', lambda: 'shpat_' + rs(32, HEX), 'example-shop.myshopify.com', '/admin/api/2024-01/orders.json', 'H:X-Shopify-Access-Token'),
    ('square', lambda: 'EAAA' + rs(60, B64U), 'connect.squareup.com', '/v2/payments', 'B'),
    ('paypal', lambda: 'A21AA' + rs(92, B64U), 'api-m.paypal.com', '/v2/checkout/orders', 'B'),
    ('braintree', lambda: 'access_token$production$' + rs(16, LO) + '$' + rs(32, HEX), 'payments.braintree-api.com', '/graphql', 'B'),
    ('databricks', lambda: 'dapi' + rs(32, HEX), 'dbc-example.cloud.databricks.com', '/api/2.0/clusters/list', 'B'),
    ('datadog', lambda: rs(32, HEX), 'api.datadoghq.com', '/api/v2/logs', 'H:DD-API-KEY'),
    ('newrelic', lambda: 'NRAK-' + rs(27, UP), 'api.newrelic.com', '/graphql', 'H:API-Key'),
    ('sentry', lambda: 'sntryu_' + rs(64, HEX), 'sentry.io', '/api/0/projects/', 'B'),
    ('grafana', lambda: 'glsa_' + rs(32, AN) + '_' + rs(8, HEX), 'grafana.example.com', '/api/dashboards/uid/payments', 'B'),
    ('linear', lambda: 'lin_api_' + rs(40, AN), 'api.linear.app', '/graphql', 'T:'),
    ('notion', lambda: 'ntn_' + rs(11, DIG) + rs(35, AN), 'api.notion.com', '/v1/pages', 'B'),
    ('airtable', lambda: 'pat' + rs(14, AN) + '.' + rs(64, HEX), 'api.airtable.com', '/v0/appExampleBase01/Members', 'B'),
    ('atlassian', lambda: 'ATATT3xFfGF0' + rs(170, B64U) + '=' + rs(8, UHEX), 'example.atlassian.net', '/rest/api/3/issue', 'BASIC:{EMAIL}'),
    ('okta', lambda: '00' + rs(40, B64U), 'example.okta.com', '/api/v1/users', 'T:SSWS '),
    ('figma', lambda: 'figd_' + rs(40, B64U), 'api.figma.com', '/v1/files/aB3dE5gH7jK9', 'H:X-Figma-Token'),
    ('postman', lambda: 'PMAK-' + rs(24, HEX) + '-' + rs(34, HEX), 'api.getpostman.com', '/collections', 'H:X-Api-Key'),
    ('heroku', lambda: 'HRKU-AA' + rs(58, B64U), 'api.heroku.com', '/apps', 'B'),
    ('netlify', lambda: 'nfp_' + rs(36, AN), 'api.netlify.com', '/api/v1/sites', 'B'),
    ('flyio', lambda: 'fm2_' + rs(180, B64), 'api.machines.dev', '/v1/apps', 'T:FlyV1 '),
    ('render', lambda: 'rnd_' + rs(32, AN), 'api.render.com', '/v1/services', 'B'),
    ('railway', uuid4, 'backboard.railway.app', '/graphql/v2', 'H:Project-Access-Token'),
    ('supabase', lambda: 'sbp_' + rs(40, HEX), 'api.supabase.com', '/v1/projects', 'B'),
    ('tailscale', lambda: 'tskey-api-' + rs(12, AN) + 'CNTRL-' + rs(33, AN), 'api.tailscale.com', '/api/v2/tailnet/-/devices', 'B'),
    ('cloudflare', lambda: 'v1.0-' + rs(24, HEX) + '-' + rs(146, HEX), 'api.cloudflare.com', '/client/v4/certificates', 'H:X-Auth-User-Service-Key'),
    ('fastly', lambda: rs(32, B64U), 'api.fastly.com', '/service', 'H:Fastly-Key'),
    ('circleci', lambda: 'CCIPAT_' + rs(22, AN) + '_' + rs(40, HEX), 'circleci.com', '/api/v2/me', 'H:Circle-Token'),
    ('buildkite', lambda: 'bkua_' + rs(40, HEX), 'api.buildkite.com', '/v2/user', 'B'),
    ('launchdarkly', lambda: 'api-' + uuid4(), 'app.launchdarkly.com', '/api/v2/flags/default', 'T:'),
    ('pagerduty', lambda: 'u+' + rs(18, B64U), 'api.pagerduty.com', '/incidents', 'T:Token token='),
    ('hubspot', lambda: 'pat-na1-' + uuid4(), 'api.hubapi.com', '/crm/v3/objects/contacts', 'B'),
    ('zendesk', lambda: rs(40, AN), 'example.zendesk.com', '/api/v2/tickets.json', 'BASIC:{EMAIL}/token'),
    ('twitch', lambda: rs(30, LO), 'api.twitch.tv', '/helix/users', 'B'),
    ('discord', lambda: ch('MN') + rs(25, B64U) + '.' + rs(6, B64U) + '.' + rs(38, B64U), 'discord.com', '/api/v10/channels/{N}/messages', 'T:Bot '),
    ('discord_webhook', lambda: rs(68, B64U), 'discord.com', '/api/webhooks/{N}/{T}', 'PATH'),
    ('telegram', lambda: rd(10) + ':AA' + rs(33, B64U), 'api.telegram.org', '/bot{T}/sendMessage', 'PATH'),
    ('mapbox', lambda: 'sk.eyJ1IjoiZXhhbXBsZSIsImEiOiJ' + rs(24, AN) + 'In0.' + rs(22, B64U), 'api.mapbox.com', '/search/geocode/v6/forward', 'Q:access_token'),
    ('algolia', lambda: rs(32, HEX), 'EXAMPLE01-dsn.algolia.net', '/1/indexes/members/query', 'H:X-Algolia-API-Key'),
    ('contentful', lambda: 'CFPAT-' + rs(43, B64U), 'api.contentful.com', '/spaces/x7k2m9/entries', 'B'),
    ('typeform', lambda: 'tfp_' + rs(44, AN) + '_' + rs(14, AN), 'api.typeform.com', '/forms', 'B'),
    ('sourcegraph', lambda: 'sgp_' + rs(16, HEX) + '_' + rs(40, HEX), 'sourcegraph.example.com', '/.api/graphql', 'T:token '),
    ('groq', lambda: 'gsk_' + rs(52, AN), 'api.groq.com', '/openai/v1/chat/completions', 'B'),
    ('xai', lambda: 'xai-' + rs(80, AN), 'api.x.ai', '/v1/chat/completions', 'B'),
    ('perplexity', lambda: 'pplx-' + rs(48, AN), 'api.perplexity.ai', '/chat/completions', 'B'),
    ('replicate', lambda: 'r8_' + rs(37, AN), 'api.replicate.com', '/v1/predictions', 'B'),
    ('openrouter', lambda: 'sk-or-v1-' + rs(64, HEX), 'openrouter.ai', '/api/v1/chat/completions', 'B'),
    ('nvidia', lambda: 'nvapi-' + rs(64, B64U), 'integrate.api.nvidia.com', '/v1/chat/completions', 'B'),
    ('langsmith', lambda: 'lsv2_pt_' + rs(32, HEX) + '_' + rs(10, HEX), 'api.smith.langchain.com', '/runs', 'H:x-api-key'),
    ('age', lambda: 'AGE-SECRET-KEY-1' + rs(58, BECH), 'config.example.com', '/v1/keys/backup', 'J:identity'),
    ('shippo', lambda: 'shippo_live_' + rs(40, HEX), 'api.goshippo.com', '/shipments/', 'T:ShippoToken '),
    ('easypost', lambda: 'EZAK' + rs(54, AN), 'api.easypost.com', '/v2/shipments', 'BASICU'),
    ('duffel', lambda: 'duffel_live_' + rs(43, B64U), 'api.duffel.com', '/air/orders', 'B'),
    ('plaid', lambda: 'access-production-' + uuid4(), 'production.plaid.com', '/accounts/get', 'J:access_token'),
    ('mercadopago', lambda: 'APP_USR-' + rd(16) + '-' + rd(6) + '-' + rs(32, HEX) + '-' + rd(9), 'api.mercadopago.com', '/v1/payments', 'B'),
    ('klaviyo', lambda: 'pk_' + rs(34, HEX), 'a.klaviyo.com', '/api/profiles/', 'T:Klaviyo-API-Key '),
    ('segment', lambda: rs(32, AN), 'api.segment.io', '/v1/track', 'BASICU'),
    ('brevo', lambda: 'xkeysib-' + rs(64, HEX) + '-' + rs(16, AN), 'api.brevo.com', '/v3/smtp/email', 'H:api-key'),
    ('infracost', lambda: 'ico-' + rs(32, AN), 'pricing.api.infracost.io', '/graphql', 'H:X-Api-Key'),
    ('dropbox', lambda: 'sl.' + rs(136, B64U), 'api.dropboxapi.com', '/2/files/list_folder', 'B'),
    ('salesforce', lambda: '00D' + rs(12, AN) + '!' + rs(96, AN + '._'), 'example.my.salesforce.com', '/services/data/v59.0/sobjects/Contact', 'B'),
    ('azure_ad', lambda: rs(3, AN) + rs(1, DIG) + 'Q~' + rs(34, AN + '_~.-'), 'login.microsoftonline.com', '/{TEN}/oauth2/v2.0/token', 'F:client_secret'),
    ('artifactory', lambda: 'AKCp' + rs(69, AN), 'example.jfrog.io', '/artifactory/api/repositories', 'H:X-JFrog-Art-Api'),
    ('deno', lambda: 'ddp_' + rs(36, AN), 'api.deno.com', '/v1/organizations/example/projects', 'B'),
    ('adafruit', lambda: 'aio_' + rs(28, AN), 'io.adafruit.com', '/api/v2/example/feeds', 'H:X-AIO-Key'),
    ('readme', lambda: 'rdme_' + rs(70, LO), 'dash.readme.com', '/api/v1/api-specification', 'BASICU'),
    ('prefect', lambda: 'pnu_' + rs(36, AN), 'api.prefect.cloud', '/api/me/', 'B'),
    ('octopus', lambda: 'API-' + rs(26, UP), 'example.octopus.app', '/api/projects', 'H:X-Octopus-ApiKey'),
    ('harness', lambda: 'pat.' + rs(22, B64U) + '.' + rs(24, HEX) + '.' + rs(20, AN), 'app.harness.io', '/ng/api/user/currentUser', 'H:x-api-key'),
    ('postmark', uuid4, 'api.postmarkapp.com', '/email', 'H:X-Postmark-Server-Token'),
    ('gocardless', lambda: 'live_' + rs(40, B64U), 'api.gocardless.com', '/customers', 'B'),
    ('frameio', lambda: 'fio-u-' + rs(64, B64U), 'api.frame.io', '/v2/me', 'B'),
    ('scalingo', lambda: 'tk-us-' + rs(48, B64U), 'auth.scalingo.com', '/v1/tokens/exchange', 'BASIC:'),
    ('azure_storage', lambda: rs(86, B64) + '==', 'config.example.com', '/v1/integrations/blob', 'CS'),
]
VCOUNT = {v[0]: 0 for v in VENDORS}


def pick_vendor(r):
    m = min(VCOUNT[v[0]] + r.vendors.count(v[0]) for v in VENDORS)
    cands = [v for v in VENDORS if VCOUNT[v[0]] + r.vendors.count(v[0]) == m]
    v = ch(cands)
    r.vendors.append(v[0])
    return v


# ----------------------------------------------------------------------------------------------- exchanges
def api_host(r):
    if R.random() < 0.5:
        return f'{rs(10, LO)}.execute-api.{r.region}.amazonaws.com', ch(['/prod', '/staging', '/live', '/dev', '/v2024'])
    return ch(['api.example.com', 'api.example.org', 'gateway.example.net', 'partner-api.example.com',
               'health-api.example.org', 'pay.example.com', 'hr.example.net', 'travel-api.example.com']), ''


def EX(r, m, host, path, **kw):
    ex = dict(m=m, host=host, path=path, q=[], h=[], body=None, ctype=None, st=200, rh=[], rbody=None,
              rctype='application/json', cookies=[], setc=[], form=None, proto='HTTP/1.1')
    ex.update(kw)
    return ex


def bearer(r, clean=False):
    if clean:
        return r.K(ch(['Bearer [REDACTED]', 'Bearer ****', 'Bearer <hidden>', 'Bearer {{access_token}}', 'Bearer ${TOKEN}']))
    if R.random() < 0.75:
        return 'Bearer ' + jwt(r, {'username': rs(8, LO)} if R.random() < 0.5 else None)
    return 'Bearer ' + r.S(opaque(), 'access_token')


def form_body(r, pairs, enc=qp_enc):
    return '&'.join(f'{k}={r.tx(v, enc)}' for k, v in pairs)


def token_response(r, with_id=True, refresh_tok=True):
    o = {'access_token': jwt(r) if R.random() < 0.7 else r.S(opaque(), 'access_token')}
    if with_id:
        o['id_token'] = jwt(r, {'email': email(), 'token_use': 'id', 'nonce': rs(22, B64U)})
    if refresh_tok:
        o['refresh_token'] = r.S(refresh(), 'refresh_token')
    o['expires_in'] = 3600
    o['token_type'] = 'Bearer'
    return jd(o)


def idp_host(r):
    return ch([f'auth-{rs(6, LO)}.auth.{r.region}.amazoncognito.com', 'auth.example.com', 'login.example.org', 'example.okta.example.com'])


def sc_login(r):
    h, st = api_host(r)
    e, pw = r.S(email(), 'email'), r.S(password(), 'password')
    name, sv = session_cookie(r)
    body = jd({'email': e, 'password': pw, 'remember_me': ch([True, False])})
    uid = r.K(uuid4())
    rb = jd({'user': {'id': uid, 'email': e, 'phone': r.S(phone(), 'phone') if R.random() < 0.5 else None}, 'mfa_required': False})
    return EX(r, 'POST', h, st + ch(['/v1/auth/login', '/auth/signin', '/api/session']), body=body, ctype='application/json',
              setc=[(name, sv, 'Path=/; HttpOnly; Secure; SameSite=Lax')], rbody=rb)


def sc_oauth_code(r):
    host = idp_host(r)
    cid = r.K(rs(26, LO))
    pairs = [('grant_type', 'authorization_code'), ('code', r.S(ch([uuid4(), rs(43, B64U), rs(32, AN)]), 'oauth_code')),
             ('redirect_uri', 'https://app.example.com/callback'), ('client_id', cid)]
    if R.random() < 0.6:
        pairs.append(('code_verifier', r.S(rs(R.randint(43, 96), B64U + '.~'), 'pkce_verifier')))
    hd = []
    if R.random() < 0.5:
        pairs.append(('client_secret', r.S(rs(52, LO), 'client_secret')))
    elif R.random() < 0.6:
        hd.append(('Authorization', 'Basic ' + r.S(b64(r.plain(cid) + ':' + rs(52, LO)), 'basic_auth')))
    return EX(r, 'POST', host, '/oauth2/token', h=hd, body=form_body(r, pairs), form=pairs,
              ctype='application/x-www-form-urlencoded', rbody=token_response(r))


def sc_authorize(r, clean=False):
    host = idp_host(r)
    cid, state, nonce = r.K(rs(26, LO)), r.K(rs(32, B64U)), r.K(rs(22, B64U))
    q = [('response_type', 'code'), ('client_id', cid), ('redirect_uri', 'https://app.example.com/callback'),
         ('scope', 'openid email profile'), ('state', state), ('nonce', nonce),
         ('code_challenge', r.K(rs(43, B64U))), ('code_challenge_method', 'S256')]
    if clean:
        return EX(r, 'GET', host, '/oauth2/authorize', q=q, st=302, rbody='', rctype='text/html',
                  rh=[('Location', f'https://{host}/login?client_id={r.plain(cid)}&state={r.plain(state)}')])
    if R.random() < 0.4:
        q.append(('login_hint', r.S(email(), 'email')))
    code = r.S(ch([uuid4(), rs(43, B64U)]), 'oauth_code')
    name, sv = session_cookie(r)
    return EX(r, 'GET', host, '/oauth2/authorize', q=q, st=302, rbody='', rctype='text/html',
              cookies=[(name, sv)] + keep_cookies(r),
              rh=[('Location', f'https://app.example.com/callback?code={code}&state={state}')])


def sc_client_credentials(r):
    host = idp_host(r)
    cid = r.K(rs(26, LO))
    sec = rs(52, LO)
    pairs = [('grant_type', 'client_credentials'), ('scope', 'orders/read payments/write')]
    hd = []
    if R.random() < 0.5:
        hd.append(('Authorization', 'Basic ' + r.S(b64(r.plain(cid) + ':' + sec), 'basic_auth')))
    else:
        pairs += [('client_id', cid), ('client_secret', r.S(sec, 'client_secret'))]
    return EX(r, 'POST', host, '/oauth2/token', h=hd, body=form_body(r, pairs), form=pairs,
              ctype='application/x-www-form-urlencoded', rbody=token_response(r, False, False))


def sc_refresh(r):
    host = idp_host(r)
    pairs = [('grant_type', 'refresh_token'), ('client_id', r.K(rs(26, LO))), ('refresh_token', r.S(refresh(), 'refresh_token'))]
    return EX(r, 'POST', host, '/oauth2/token', body=form_body(r, pairs), form=pairs,
              ctype='application/x-www-form-urlencoded', rbody=token_response(r, R.random() < 0.5, False))


def sc_device(r):
    host = idp_host(r)
    cid = r.K(rs(26, LO))
    dc = r.S(rs(43, B64U), 'device_code')
    if R.random() < 0.5:
        uc = r.S(rs(4, 'BCDFGHJKLMNPQRSTVWXZ') + '-' + rs(4, 'BCDFGHJKLMNPQRSTVWXZ'), 'device_user_code')
        pairs = [('client_id', cid), ('scope', 'openid offline_access')]
        rb = jd({'device_code': dc, 'user_code': uc, 'verification_uri': f'https://{host}/activate',
                 'verification_uri_complete': f'https://{host}/activate?user_code={uc}', 'expires_in': 900, 'interval': 5})
        return EX(r, 'POST', host, '/oauth2/device/code', body=form_body(r, pairs), form=pairs,
                  ctype='application/x-www-form-urlencoded', rbody=rb)
    pairs = [('grant_type', 'urn:ietf:params:oauth:grant-type:device_code'), ('device_code', dc), ('client_id', cid)]
    return EX(r, 'POST', host, '/oauth2/token', body=form_body(r, pairs), form=pairs,
              ctype='application/x-www-form-urlencoded', rbody=token_response(r, True, True))


def sc_apikey(r):
    h, st = api_host(r)
    key = r.S(apikey(), 'api_key')
    res = ch(['orders', 'claims', 'shipments', 'invoices', 'flights', 'employees'])
    q = [('limit', str(ch([10, 25, 50, 100]))), ('cursor', r.K(rd(12)))]
    hd = []
    if R.random() < 0.25:
        q.append(ch([('api_key', key), ('apiKey', key), ('x-api-key', key)]))
    else:
        hd.append(('x-api-key', key))
    items = [{'id': r.K(uuid4()), 'status': ch(['OPEN', 'PAID', 'SHIPPED']), 'etag': r.K(rs(32, HEX))} for _ in range(R.randint(1, 3))]
    return EX(r, 'GET', h, f'{st}/v1/{res}', q=q, h=hd, rbody=jd({'items': items, 'next': r.K(rd(12))}))


def sc_basic(r):
    h, st = api_host(r)
    user = ch([email(), ch(FIRST) + '.' + ch(LAST), 'svc-reporting', 'batch-export'])
    pw = password()
    return EX(r, ch(['GET', 'POST']), h, st + ch(['/internal/v1/reports/daily', '/admin/export', '/v1/reconciliation']),
              h=[('Authorization', 'Basic ' + r.S(b64(user + ':' + pw), 'basic_auth'))],
              rbody=jd({'status': 'queued', 'jobId': r.K(uuid4())}), user=(user, pw))


def sc_graphql(r):
    h, st = api_host(r)
    if R.random() < 0.5:
        var = {'input': {'email': r.S(email(), 'email'), 'phone': r.S(phone(), 'phone'), 'dateOfBirth': r.S(dob(), 'dob'),
                         'address': {'line1': r.S(address(), 'address'), 'postalCode': rs(5, DIG)}}}
        body = {'operationName': 'UpdateProfile', 'query': 'mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { id updatedAt } }', 'variables': var}
    else:
        body = {'operationName': 'MemberClaims', 'variables': {'memberId': r.S(member_id(), 'member_id'), 'first': 20},
                'extensions': {'persistedQuery': {'version': 1, 'sha256Hash': r.K(sha256hex())}}}
    return EX(r, 'POST', h, st + '/graphql', h=[('Authorization', bearer(r))], body=jd(body), ctype='application/json',
              rbody=jd({'data': {'result': {'id': r.K(uuid4())}}}))


def sc_upload(r):
    h, st = api_host(r)
    bnd = ch(['----WebKitFormBoundary' + rs(16, AN), '------------------------' + rs(16, HEX), '--------------------------' + rd(24)])
    emp = r.K('EMP-' + rd(6))
    parts = [f'--{bnd}\r\nContent-Disposition: form-data; name="employee_id"\r\n\r\n{emp}\r\n']
    if R.random() < 0.5:
        parts.append(f'--{bnd}\r\nContent-Disposition: form-data; name="passport_number"\r\n\r\n{r.S(passport(), "passport")}\r\n')
        parts.append(f'--{bnd}\r\nContent-Disposition: form-data; name="date_of_birth"\r\n\r\n{r.S(dob(), "dob")}\r\n')
        parts.append(f'--{bnd}\r\nContent-Disposition: form-data; name="file"; filename="passport_scan.png"\r\nContent-Type: image/png\r\n\r\n<binary {R.randint(90, 900)} KB>\r\n')
    else:
        rows = ['employee_id,email,ssn,iban']
        for _ in range(R.randint(1, 3)):
            rows.append(f'{r.K("EMP-" + rd(6))},{r.S(email(), "email")},{r.S(ssn(), "ssn")},{r.S(iban().replace(" ", ""), "iban")}')
        parts.append(f'--{bnd}\r\nContent-Disposition: form-data; name="file"; filename="payroll_{r.ts("date")}.csv"\r\nContent-Type: text/csv\r\n\r\n' + '\n'.join(rows) + '\r\n')
    body = ''.join(parts) + f'--{bnd}--\r\n'
    return EX(r, 'POST', h, st + ch(['/v1/documents', '/v1/employees/uploads', '/hr/v2/imports']), h=[('Authorization', bearer(r))],
              body=body, ctype=f'multipart/form-data; boundary={bnd}', st=201,
              rbody=jd({'documentId': r.K(uuid4()), 'sha256': r.K(sha256hex())}))


def sc_webhook(r):
    h, st = api_host(r)
    t = r.ts('epoch')
    k = R.randint(0, 4)
    e = r.S(email(), 'email')
    if k == 0:
        hd = [('Stripe-Signature', f't={t},v1={r.S(rs(64, HEX), "webhook_signature")}')]
        body = {'id': r.K('evt_' + rs(24, AN)), 'object': 'event', 'type': 'customer.created', 'data': {'object': {'id': r.K('cus_' + rs(14, AN)), 'email': e, 'phone': r.S(phone(), 'phone')}}}
        p = '/webhooks/stripe'
    elif k == 1:
        hd = [('X-GitHub-Event', 'push'), ('X-GitHub-Delivery', r.K(uuid4())), ('X-Hub-Signature-256', 'sha256=' + r.S(rs(64, HEX), 'webhook_signature'))]
        body = {'ref': 'refs/heads/main', 'after': r.K(rs(40, HEX)), 'pusher': {'name': rs(8, LO), 'email': e}}
        p = '/webhooks/github'
    elif k == 2:
        hd = [('X-Slack-Request-Timestamp', t), ('X-Slack-Signature', 'v0=' + r.S(rs(64, HEX), 'webhook_signature'))]
        body = {'type': 'event_callback', 'event_id': r.K('Ev' + rs(9, UP)), 'event': {'type': 'team_join', 'user': {'id': r.K('U' + rs(10, UP)), 'profile': {'email': e}}}}
        p = '/webhooks/slack'
    elif k == 3:
        hd = [('X-Shopify-Hmac-Sha256', r.S(rs(43, B64) + '=', 'webhook_signature')), ('X-Shopify-Webhook-Id', r.K(uuid4())), ('X-Shopify-Topic', 'orders/create')]
        body = {'id': int(rd(13)), 'email': e, 'shipping_address': {'address1': r.S(address(), 'address'), 'phone': r.S(phone(), 'phone')}}
        p = '/webhooks/shopify'
    else:
        hd = [('X-Twilio-Signature', r.S(rs(27, B64) + '=', 'webhook_signature'))]
        pairs = [('MessageSid', r.K('SM' + rs(32, HEX))), ('From', r.S(phone(), 'phone')), ('Body', f'Your code is {r.S(otp(), "otp")}')]
        return EX(r, 'POST', h, st + '/webhooks/twilio/sms', h=hd, body=form_body(r, pairs), form=pairs,
                  ctype='application/x-www-form-urlencoded', rbody='<Response/>', rctype='application/xml')
    return EX(r, 'POST', h, st + p, h=hd, body=jd(body), ctype='application/json', rbody=jd({'received': True}))


def sc_payment(r):
    h, st = api_host(r)
    hd = [('Authorization', bearer(r)), ('Idempotency-Key', r.K(uuid4()))]
    if R.random() < 0.6:
        c = card()
        body = {'amount': R.randint(500, 99999), 'currency': ch(['usd', 'eur', 'gbp']), 'payment_method': {'type': 'card', 'card': {'number': r.S(c, 'card_number'), 'exp_month': R.randint(1, 12), 'exp_year': R.randint(2026, 2031), 'cvc': '***'}},
                'billing_details': {'email': r.S(email(), 'email'), 'address': {'line1': r.S(address(), 'address'), 'postal_code': rs(5, DIG)}}}
        rb = {'id': r.K('pi_' + rs(24, AN)), 'status': 'succeeded', 'card': {'brand': 'visa', 'last4': c.replace(' ', '').replace('-', '')[-4:]}, 'masked': r.K('**** **** **** ' + c.replace(' ', '').replace('-', '')[-4:])}
    else:
        body = {'amount': {'value': f'{R.randint(10, 9999)}.{R.randint(0, 99):02d}', 'currency': 'EUR'}, 'debtor': {'iban': r.S(iban(), 'iban'), 'email': r.S(email(), 'email')},
                'creditor': {'bic': r.K(rs(4, UPL) + 'DEFF' + rs(3, UP))}, 'endToEndId': r.K('E2E' + rs(20, UP))}
        rb = {'paymentId': r.K(uuid4()), 'status': 'ACSC'}
    return EX(r, 'POST', h, st + ch(['/v1/payments', '/v2/charges', '/payments/sepa']), h=hd, body=jd(body), ctype='application/json', st=201, rbody=jd(rb))


def sc_health(r):
    h, st = api_host(r)
    pid = r.K(uuid4())
    rb = {'patientId': pid, 'memberId': r.S(member_id(), 'member_id'), 'dateOfBirth': r.S(dob(), 'dob'), 'phone': r.S(phone(), 'phone'),
          'address': {'line1': r.S(address(), 'address'), 'city': ch(['Springfield', 'Riverton', 'Lakeview'])}, 'npi': r.K(rd(10)),
          'plan': {'group': r.K('GRP-' + rd(6)), 'code': ch(['PPO-GOLD', 'HMO-BASIC'])}}
    if R.random() < 0.4:
        rb['ssn'] = r.S(ssn(), 'ssn')
    return EX(r, 'GET', h, f'{st}/v1/patients/{pid}', h=[('Authorization', bearer(r))], rbody=jd(rb))


def sc_hr(r):
    h, st = api_host(r)
    body = {'employeeId': r.K('EMP-' + rd(6)), 'workEmail': r.S(email(), 'email'), 'homeAddress': r.S(address(), 'address'),
            'birthDate': r.S(dob(), 'dob'), 'bank': {'iban': r.S(iban(), 'iban')}, 'costCenter': r.K('CC-' + rd(4))}
    if R.random() < 0.5:
        body['ssn'] = r.S(ssn(), 'ssn')
    else:
        body['nationalId'] = r.S(national_id(), 'national_id')
    return EX(r, ch(['POST', 'PUT', 'PATCH']), h, st + '/v1/employees', h=[('Authorization', bearer(r))], body=jd(body),
              ctype='application/json', st=ch([200, 201]), rbody=jd({'ok': True, 'revision': r.K(rs(40, HEX))}))


def sc_travel(r):
    h, st = api_host(r)
    pax = [{'type': 'adult', 'born_on': r.S(dob(), 'dob'), 'email': r.S(email(), 'email'), 'phone_number': r.S(phone(), 'phone'),
            'identity_documents': [{'type': 'passport', 'unique_identifier': r.S(passport(), 'passport'), 'issuing_country_code': ch(['GB', 'US', 'DE', 'FR'])}]}
           for _ in range(R.randint(1, 2))]
    return EX(r, 'POST', h, st + '/v1/bookings', h=[('Authorization', bearer(r))], body=jd({'offerId': r.K('off_' + rs(22, AN)), 'passengers': pax}),
              ctype='application/json', st=201, rbody=jd({'bookingReference': r.K(rs(6, UPL)), 'flight': r.K(ch(['BA', 'LH', 'AF', 'UA']) + rd(4))}))


def sc_reset(r):
    h, st = api_host(r)
    k = R.randint(0, 2)
    if k == 0:
        return EX(r, 'POST', h, st + '/v1/password/forgot', body=jd({'email': r.S(email(), 'email')}), ctype='application/json', st=202, rbody=jd({'status': 'sent'}))
    tok = r.S(rs(43, B64U), 'reset_token')
    if k == 1:
        return EX(r, 'GET', h, st + '/v1/password/reset', q=[('token', tok), ('utm_source', 'email')], rbody='<html>…</html>', rctype='text/html')
    return EX(r, 'POST', h, st + '/v1/password/reset', body=jd({'token': tok, 'newPassword': r.S(password(), 'password')}), ctype='application/json', rbody=jd({'ok': True}))


def sc_otp(r):
    h, st = api_host(r)
    body = {'otp': r.S(otp(), 'otp'), 'session': r.S(rs(R.randint(200, 400), B64U), 'session_token'), 'username': r.S(email(), 'email')}
    return EX(r, 'POST', h, st + ch(['/v1/mfa/verify', '/auth/otp/confirm']), body=jd(body), ctype='application/json', rbody=token_response(r, True, True))


def sc_pem(r):
    h, st = api_host(r)
    kt = ch(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY'])
    pem = f'-----BEGIN {kt}-----\n' + r.S(pem_body(), 'private_key') + f'\n-----END {kt}-----\n'
    body = {'type': 'sftp', 'host': 'sftp.example.net', 'username': 'acme-sync', 'private_key': pem, 'fingerprint': r.K('SHA256:' + rs(43, B64))}
    if R.random() < 0.5:
        body['passphrase'] = r.S(password(), 'password')
    return EX(r, 'PUT', h, st + '/v1/integrations/sftp', h=[('Authorization', bearer(r))], body=jd(body), ctype='application/json', rbody=jd({'id': r.K(uuid4())}))


def sc_awscreds(r):
    h, st = api_host(r)
    rb = {'Credentials': {'AccessKeyId': r.S(akid('ASIA'), 'aws_access_key_id'), 'SecretAccessKey': r.S(aws_secret(), 'aws_secret_key'),
                          'SessionToken': r.S(aws_token(), 'aws_session_token'), 'Expiration': r.K(r.ts('iso'))},
          'IdentityId': r.K(f'{r.region}:{uuid4()}')}
    return EX(r, 'POST', h, st + '/v1/credentials', h=[('Authorization', bearer(r))], body='{}', ctype='application/json', rbody=jd(rb))


def sc_ws(r, clean=False):
    h = f'{rs(10, LO)}.execute-api.{r.region}.amazonaws.com'
    hd = [('Upgrade', 'websocket'), ('Connection', 'Upgrade'), ('Sec-WebSocket-Key', r.K(rs(22, B64) + '==')), ('Sec-WebSocket-Version', '13')]
    q = []
    ck = keep_cookies(r)
    if not clean:
        if R.random() < 0.5:
            q = [('token', jwt(r))]
        else:
            ck = [session_cookie(r)] + ck
    return EX(r, 'GET', h, '/production', q=q, h=hd, cookies=ck, st=101, rbody='', rctype='',
              rh=[('Sec-WebSocket-Accept', r.K(rs(27, B64) + '='))])


def sc_vendor(r):
    name, gen, host, path, place = pick_vendor(r)
    tok = gen()
    S = lambda v: r.S(v, 'vendor:' + name)
    hd, q, body, ctype, form = [], [], None, None, None
    subs = {'{AC}': 'AC' + rs(32, HEX), '{N}': rd(18), '{A}': rs(10, UP), '{B}': rs(10, UP), '{TEN}': uuid4(), '{EMAIL}': email(), '{PSID}': rs(12, LO)}
    for k_, v_ in subs.items():
        if k_ not in ('{EMAIL}', '{PSID}') and k_ in path:
            path = path.replace(k_, r.K(v_) if len(v_) >= 8 else v_)
    pii = {'to': r.S(email(), 'email')} if R.random() < 0.5 else {'phone': r.S(phone(), 'phone')}
    if place == 'B':
        hd.append(('Authorization', 'Bearer ' + S(tok)))
    elif place.startswith('T:'):
        pre = place[2:].replace('{PSID}', subs['{PSID}'])
        hd.append(('Authorization', pre + S(tok)))
    elif place.startswith('H:'):
        hd.append((place[2:], S(tok)))
    elif place.startswith('Q:'):
        q.append((place[2:], S(tok)))
    elif place == 'PATH':
        path = path.replace('{T}', S(tok))
    elif place.startswith('BASIC'):
        user = place[6:].replace('{AC}', r.plain(path).split('/')[3] if '{AC}' in place else '').replace('{EMAIL}', subs['{EMAIL}'])
        cred = (tok + ':') if place == 'BASICU' else (user + ':' + tok)
        hd.append(('Authorization', 'Basic ' + S(b64(cred))))
    elif place.startswith('J:'):
        hd.append(('Authorization', bearer(r)))
        pii[place[2:]] = S(tok)
    elif place.startswith('F:'):
        form = [('client_id', r.K(uuid4())), ('scope', 'https://graph.microsoft.com/.default'), ('client_secret', S(tok)), ('grant_type', 'client_credentials')]
        body, ctype = form_body(r, form), 'application/x-www-form-urlencoded'
    elif place == 'CS':
        hd.append(('Authorization', bearer(r)))
        pii['connectionString'] = f'DefaultEndpointsProtocol=https;AccountName=examplestore{rs(4, LO)};AccountKey={S(tok)};EndpointSuffix=core.windows.net'
    if body is None:
        body, ctype = jd(pii), 'application/json'
    m = 'GET' if place.startswith('Q:') else 'POST'
    if m == 'GET':
        q.append(('address', r.S(address(), 'address')))
        body = None
        ctype = None
    return EX(r, m, host, path, h=hd, q=q, body=body, ctype=ctype, form=form,
              rbody=jd({'id': r.K(ch(['msg_', 'req_', 'evt_']) + rs(24, AN)), 'status': 'ok'}))


def sigv4(r, ex, service='execute-api'):
    date = r.ts('amz')
    kid = r.S(akid(), 'aws_access_key_id')
    scope = r.K(f'/{date[:8]}/{r.region}/{service}/aws4_request')
    sh = r.K('host;x-amz-content-sha256;x-amz-date;x-amz-security-token')
    auth = f'AWS4-HMAC-SHA256 Credential={kid}{scope}, SignedHeaders={sh}, Signature={r.S(rs(64, HEX), "sigv4_signature")}'
    ex['h'] = [x for x in ex['h'] if x[0] != 'Authorization'] + [
        ('X-Amz-Date', r.K(date)), ('X-Amz-Content-Sha256', r.K(sha256hex())),
        ('X-Amz-Security-Token', r.S(aws_token(), 'aws_session_token')), ('Authorization', auth)]
    return ex


def sc_sigv4(r):
    ex = ch([sc_health, sc_hr, sc_payment, sc_travel])(r)
    ex['host'] = f'{rs(10, LO)}.execute-api.{r.region}.amazonaws.com'
    return sigv4(r, ex)


def sc_presigned(r):
    bucket = ch(['example-uploads', 'example-claims-docs', 'example-hr-exports', 'example-boarding-passes'])
    host = f'{bucket}.s3.{r.region}.amazonaws.com'
    date = r.ts('amz')
    q = [('X-Amz-Algorithm', 'AWS4-HMAC-SHA256'), ('X-Amz-Credential', r.S(akid(), 'aws_access_key_id') + r.K(f'/{date[:8]}/{r.region}/s3/aws4_request')),
         ('X-Amz-Date', r.K(date)), ('X-Amz-Expires', str(ch([300, 900, 3600]))), ('X-Amz-SignedHeaders', 'host')]
    if R.random() < 0.7:
        q.append(('X-Amz-Security-Token', r.S(aws_token(), 'aws_session_token')))
    q.append(('X-Amz-Signature', r.S(rs(64, HEX), 'url_signature')))
    key = f'/{ch(["uploads", "claims", "exports"])}/{r.K(uuid4())}/{ch(["statement.pdf", "scan.png", "export.csv"])}'
    m = ch(['GET', 'PUT'])
    return EX(r, m, host, key, q=q, body=('<binary>' if m == 'PUT' else None), ctype=('application/pdf' if m == 'PUT' else None),
              rbody='' if m == 'PUT' else '%PDF-1.7 …', rctype='application/pdf', rh=[('ETag', '"' + r.K(rs(32, HEX)) + '"'), ('x-amz-id-2', r.K(rs(76, B64)))])


# clean scenarios
def c_health(r):
    h, st = api_host(r)
    return EX(r, 'GET', h, st + ch(['/health', '/healthz', '/v1/status', '/ping']), rbody=jd({'status': 'ok', 'version': r.K(f'{R.randint(1, 9)}.{R.randint(0, 30)}.{R.randint(0, 99)}'), 'commit': r.K(rs(40, HEX))}))


def c_catalog(r):
    h, st = api_host(r)
    items = [{'sku': r.K(rs(3, UPL) + '-' + rd(5)), 'price': f'{R.randint(1, 999)}.{R.randint(0, 99):02d}', 'etag': r.K(rs(32, HEX))} for _ in range(R.randint(1, 3))]
    return EX(r, 'GET', h, st + '/v1/products', q=[('page', str(R.randint(1, 9))), ('sort', 'price')], rbody=jd({'items': items}),
              rh=[('ETag', 'W/"' + r.K(rs(27, B64U)) + '"'), ('Cache-Control', 'max-age=60')])


def c_cors(r):
    h, st = api_host(r)
    return EX(r, 'OPTIONS', h, st + '/v1/orders', h=[('Origin', 'https://app.example.com'), ('Access-Control-Request-Method', 'POST'),
                                                     ('Access-Control-Request-Headers', 'authorization,content-type,x-api-key')],
              st=204, rbody='', rctype='', rh=[('Access-Control-Allow-Origin', 'https://app.example.com'), ('Access-Control-Max-Age', '600')])


def c_304(r):
    h, st = api_host(r)
    et = r.K(rs(32, HEX))
    return EX(r, 'GET', h, st + f'/v1/orders/{r.K(uuid4())}', h=[('If-None-Match', f'"{et}"'), ('Authorization', bearer(r, True))], st=304, rbody='', rctype='',
              rh=[('ETag', f'"{et}"')])


def c_masked(r):
    ex = ch([c_health, c_catalog])(r)
    ex['h'].append(ch([('Authorization', bearer(r, True)), ('x-api-key', r.K(ch(['****', '[FILTERED]', '********', '{{apiKey}}'])))]))
    ex['h'].append(('X-Api-Key-Id', r.K(rs(10, LO))))
    return ex


def c_jwks(r):
    host = idp_host(r)
    keys = [{'alg': 'RS256', 'e': 'AQAB', 'kid': r.K(rs(43, B64) + '='), 'kty': 'RSA', 'n': r.K(rs(342, B64U)), 'use': 'sig'} for _ in range(2)]
    return EX(r, 'GET', host, ch([f'/{r.K(pool_id(r.region))}/.well-known/jwks.json', '/.well-known/jwks.json']), rbody=jd({'keys': keys}))


def c_401(r):
    h, st = api_host(r)
    return EX(r, 'GET', h, st + '/v1/claims', st=401, h=[('Authorization', bearer(r, True))],
              rh=[('WWW-Authenticate', 'Bearer error="invalid_token", error_description="The access token expired"'), ('x-amzn-ErrorType', 'UnauthorizedException')],
              rbody=jd({'message': 'Unauthorized'}))


def c_public_s3(r):
    bucket = ch(['example-public-assets', 'example-static-site'])
    return EX(r, 'GET', f'{bucket}.s3.{r.region}.amazonaws.com', f'/assets/{r.K(rs(20, HEX))}/app.js', rbody='', rctype='application/javascript',
              rh=[('ETag', '"' + r.K(rs(32, HEX)) + '-' + str(R.randint(2, 9)) + '"'), ('x-amz-version-id', r.K(rs(32, B64U)))])


SECRET_SC = [(sc_login, 8), (sc_oauth_code, 6), (sc_authorize, 4), (sc_client_credentials, 4), (sc_refresh, 4), (sc_device, 3),
             (sc_apikey, 7), (sc_basic, 6), (sc_graphql, 5), (sc_upload, 4), (sc_webhook, 6), (sc_payment, 9), (sc_health, 5),
             (sc_hr, 6), (sc_travel, 5), (sc_reset, 4), (sc_otp, 3), (sc_pem, 4), (sc_awscreds, 4), (sc_ws, 2), (sc_presigned, 4),
             (sc_sigv4, 5), (sc_vendor, 88)]
CLEAN_SC = [c_health, c_catalog, c_cors, c_304, c_masked, c_jwks, c_401, c_public_s3,
            lambda r: sc_authorize(r, True), lambda r: sc_ws(r, True)]


def pick_ex(r, clean, ua, aws=False):
    if clean:
        ex = ch(CLEAN_SC)(r)
    else:
        fns, ws = zip(*SECRET_SC)
        ex = R.choices(fns, ws)[0](r)
    if aws:
        aws_target(r, ex)
    decorate(r, ex, ua)
    return ex


def decorate(r, ex, ua):
    h = [('Host', r.K(ex['host']))]
    if ua:
        h.append(('User-Agent', r.K(ua)))
    h.append(('Accept', ch(['*/*', 'application/json', 'application/json, text/plain, */*'])))
    if ex['ctype']:
        h.append(('Content-Type', ex['ctype']))
        h.append(('Content-Length', str(len(r.plain(ex['body'] or '').encode()))))
    if R.random() < 0.4:
        h.append(('X-Amzn-Trace-Id', r.K(trace_root())))
    if R.random() < 0.3:
        h.append(('traceparent', r.K(traceparent())))
    if R.random() < 0.3:
        h.append(('X-Request-Id', r.K(uuid4())))
    ex['h'] = h + ex['h']
    if ex['cookies']:
        ex['h'].append(('Cookie', '; '.join(f'{a}={b}' for a, b in ex['cookies'])))
    rh = [('Date', r.K(r.ts('rfc', R.randint(5, 900))))]
    if ex['rctype']:
        rh.append(('Content-Type', ex['rctype'] + ('; charset=utf-8' if 'json' in ex['rctype'] else '')))
    rh.append(('Content-Length', str(len(r.plain(ex['rbody'] or '').encode()))))
    if 'amazonaws.com' in ex['host'] and 's3.' not in ex['host'] or R.random() < 0.5:
        rh += [('x-amzn-RequestId', r.K(uuid4())), ('x-amz-apigw-id', r.K(apigw_id())), ('X-Amzn-Trace-Id', r.K(trace_root() + ';Sampled=' + ch('01')))]
    rh += ex['rh']
    for a, b, attrs in ex['setc']:
        rh.append(('Set-Cookie', f'{a}={b}; {attrs}'))
    if R.random() < 0.3:
        rh.append(('Set-Cookie', f'AWSALB={r.K(rs(R.randint(100, 140), B64))}; Expires={r.ts("rfc", 7 * 86400000)}; Path=/'))
    ex['rh'] = rh
    ex['ms'] = R.randint(12, 2400)
    ex['reason'] = {200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 101: 'Switching Protocols', 302: 'Found', 304: 'Not Modified', 401: 'Unauthorized'}[ex['st']]
    ex['sip'] = ch([f'203.0.113.{R.randint(1, 254)}', f'198.51.100.{R.randint(1, 254)}', f'2001:db8:{rs(4, HEX)}::{rs(2, HEX)}'])
    ex['cip'] = ch([f'192.0.2.{R.randint(1, 254)}', f'10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}', f'198.51.100.{R.randint(1, 254)}'])
    ex['reqid'] = uuid4()


def qs(r, ex, enc=q_enc):
    return '&'.join(f'{k}={r.tx(v, enc)}' for k, v in ex['q'])


def target(r, ex):
    s = ex['path']
    if ex['q']:
        s += '?' + qs(r, ex)
    return s


def url(r, ex):
    return f'https://{ex["host"]}{target(r, ex)}'


def hlines(ex, which='h', lower=False):
    return [f'{(a.lower() if lower else a)}: {b}' for a, b in ex[which]]


def body_of(ex, which='body'):
    return ex[which] or ''


# ----------------------------------------------------------------------------------------------- renderers
def L_har(r, ex, clean):
    chrome = R.random() < 0.5
    req = {'method': ex['m'], 'url': url(r, ex), 'httpVersion': ch(['HTTP/1.1', 'http/2.0', 'h2']),
           'cookies': [{'name': a, 'value': b, 'path': '/', 'domain': r.plain(ex['host']), 'expires': None, 'httpOnly': False, 'secure': True} for a, b in ex['cookies']],
           'headers': [{'name': a, 'value': b} for a, b in ex['h']],
           'queryString': [{'name': a, 'value': (r.tx(b, q_enc) if chrome else b)} for a, b in ex['q']],
           'headersSize': -1, 'bodySize': len(r.plain(body_of(ex)))}
    if ex['body'] is not None:
        pd = {'mimeType': ex['ctype'] or '', 'text': ex['body']}
        if ex['form']:
            pd['params'] = [{'name': a, 'value': (r.tx(b, qp_enc) if chrome else b)} for a, b in ex['form']]
        req['postData'] = pd
    content = {'size': len(r.plain(body_of(ex, 'rbody'))), 'mimeType': ex['rctype'] or 'x-unknown'}
    rb = body_of(ex, 'rbody')
    if rb and R.random() < 0.3:
        enc = b64(r.plain(rb))
        content['text'] = r.S(enc, 'base64_secret') if r.has_secret(rb) else r.K(enc)
        content['encoding'] = 'base64'
    else:
        content['text'] = rb
    setc = []
    for a, b, attrs in ex['setc']:
        setc.append({'name': a, 'value': b, 'path': '/', 'httpOnly': True, 'secure': True})
    resp = {'status': ex['st'], 'statusText': ex['reason'], 'httpVersion': req['httpVersion'], 'cookies': setc,
            'headers': [{'name': a, 'value': b} for a, b in ex['rh']], 'content': content,
            'redirectURL': next((b for a, b in ex['rh'] if a == 'Location'), ''), 'headersSize': -1, 'bodySize': content['size']}
    e = {'startedDateTime': r.K(r.ts('iso')), 'time': ex['ms'] + 0.5, 'request': req, 'response': resp, 'cache': {},
         'timings': {'blocked': 1.2, 'dns': -1, 'ssl': -1, 'connect': -1, 'send': 0.3, 'wait': ex['ms'] - 3, 'receive': 2.1},
         'serverIPAddress': r.K(ex['sip']), 'connection': str(R.randint(1000, 99999))}
    if chrome:
        e['_initiator'] = {'type': 'script'}
        e['_resourceType'] = ch(['xhr', 'fetch'])
    return jd(e)


def curl_cmd(r, ex):
    parts = ['curl', ch(['-v', '-sv', '--verbose', '-vk'])]
    if ex['m'] != 'GET':
        parts += ['-X', ex['m']]
    basic_u = ex.get('user') and R.random() < 0.6
    if basic_u:
        u, pw = ex['user']
        parts += ['-u', "'" + (r.S(u, 'email') if '@' in u else r.K(u)) + ':' + r.S(pw, 'password') + "'"]
    for a, b in ex['h']:
        if a in ('Host', 'User-Agent', 'Content-Length', 'Accept') or (basic_u and a == 'Authorization'):
            continue
        parts += ['-H', f"'{a}: {b}'"]
    if ex['body'] is not None and '\r' not in r.plain(ex['body']):
        parts += [ch(['-d', '--data-raw', '--data']), "'" + ex['body'] + "'"]
    parts.append("'" + url(r, ex) + "'")
    return '$ ' + ' '.join(parts)


def L_curl(r, ex, clean):
    h2 = R.random() < 0.5
    host = ex['host']
    lines = []
    if R.random() < 0.5:
        lines.append(curl_cmd(r, ex))
    lines += [f'* Host {host}:443 was resolved.', '* IPv6: (none)', f'* IPv4: {r.K(ex["sip"])}', f'*   Trying {ex["sip"]}:443...',
              f'* Connected to {host} ({ex["sip"]}) port 443', '* ALPN: curl offers h2,http/1.1',
              '* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256 / X25519 / RSASSA-PSS', '* Server certificate:',
              f'*  subject: CN=*.{".".join(r.plain(host).split(".")[1:])}', f'*  issuer: C=US; O=Amazon; CN=Amazon RSA 2048 M0{R.randint(1, 4)}',
              '*  SSL certificate verify ok.']
    if h2:
        lines.append('* using HTTP/2')
        lines.append(f'* [HTTP/2] [1] OPENED stream for {url(r, ex)}')
        lines.append(f'* [HTTP/2] [1] [:method: {ex["m"]}]')
        lines.append(f'* [HTTP/2] [1] [:path: {target(r, ex)}]')
        for a, b in ex['h'][1:]:
            lines.append(f'* [HTTP/2] [1] [{a.lower()}: {b}]')
        lines.append(f'> {ex["m"]} {target(r, ex)} HTTP/2')
    else:
        lines.append(f'> {ex["m"]} {target(r, ex)} HTTP/1.1')
    lines += ['> ' + x for x in hlines(ex)]
    lines.append('> ')
    if ex['body']:
        lines.append(f'}} [{len(r.plain(ex["body"]))} bytes data]')
        lines.append('* upload completely sent off: %d bytes' % len(r.plain(ex['body'])))
    lines.append(f'< HTTP/2 {ex["st"]} ' if h2 else f'< HTTP/1.1 {ex["st"]} {ex["reason"]}')
    lines += ['< ' + x for x in hlines(ex, 'rh', h2)]
    lines.append('< ')
    if ex['rbody']:
        lines.append(ex['rbody'])
    lines.append(f'* Connection #0 to host {host} left intact')
    return r.tx('\n'.join(lines), flat)


def L_trace(r, ex, clean):
    hexmode = R.random() < 0.35  # curl --trace (hex + ASCII columns) instead of --trace-ascii
    out = [f'== Info: Connected to {ex["host"]} ({r.K(ex["sip"])}) port 443 (#0)']

    def block(label, text):
        raw = r.plain(text)
        out.append(f'{label}, {len(raw.encode())} bytes (0x{len(raw.encode()):x})')
        cl = r.chars(text)
        if hexmode and raw.isascii():
            for st in range(0, len(cl), 16):
                row = cl[st:st + 16]
                parts, j = [], 0
                while j < len(row):
                    i = row[j][1]
                    k = j
                    while k < len(row) and row[k][1] == i:
                        k += 1
                    frag = ''.join(c for c, _ in row[j:k])
                    hx = ' '.join(f'{ord(c):02x}' for c in frag)
                    if i is not None and r.vals[i][1] == 'S' and len(frag.strip()) >= 8:
                        core = frag.strip()
                        a_ = frag.index(core)
                        hs = lambda t: ' '.join(f'{ord(c):02x}' for c in t)
                        hx = ' '.join(x for x in (hs(frag[:a_]), r.reg(hs(core), 'S', r.vals[i][2]), hs(frag[a_ + len(core):])) if x)
                    parts.append(hx)
                    j = k
                asc = r.regroup([(c if 32 <= ord(c) < 127 else '.', i) for c, i in row])
                out.append(f'{st:04x}: ' + ' '.join(parts) + ' ' + '   ' * (16 - len(row)) + asc)
            return
        rows, cur, i = [], [], 0
        start = 0
        while i < len(cl):
            if cl[i][0] == '\r' and i + 1 < len(cl) and cl[i + 1][0] == '\n':
                rows.append((start, cur))
                i += 2
                start, cur = i, []
                continue
            cur.append(('.' if cl[i][0] in '\r\n' else cl[i][0], cl[i][1]))
            i += 1
            if len(cur) == 64:
                rows.append((start, cur))
                start, cur = i, []
        if cur:
            rows.append((start, cur))
        for st, row in rows:
            out.append(f'{st:04x}: ' + r.regroup(row))
    head = f'{ex["m"]} {target(r, ex)} HTTP/1.1\r\n' + ''.join(x + '\r\n' for x in hlines(ex)) + '\r\n'
    block('=> Send header', head)
    if ex['body']:
        block('=> Send data', ex['body'].replace('\n', '\r\n') if '\r' not in ex['body'] else ex['body'])
    rh = f'HTTP/1.1 {ex["st"]} {ex["reason"]}\r\n' + ''.join(x + '\r\n' for x in hlines(ex, 'rh')) + '\r\n'
    block('<= Recv header', rh)
    if ex['rbody']:
        block('<= Recv data', ex['rbody'])
    out.append(f'== Info: Connection #0 to host {ex["host"]} left intact')
    return r.tx('\n'.join(out), flat)


def pretty_body(r, b):
    try:
        return json.dumps(json.loads(b), ensure_ascii=False, indent=4)
    except Exception:
        return b


def L_httpie(r, ex, clean):
    lines = []
    if R.random() < 0.5:
        cmd = ['http', ch(['-v', '--verbose', '-v --follow']), ex['m'], url(r, ex)]
        if ex.get('user') and R.random() < 0.6:
            u, pw = ex['user']
            cmd[1:1] = ['-a', "'" + (r.S(u, 'email') if '@' in u else r.K(u)) + ':' + r.S(pw, 'password') + "'"]
        for a, b in ex['h']:
            if a not in ('Host', 'User-Agent', 'Content-Length', 'Accept', 'Content-Type'):
                cmd.append(f"'{a}:{b}'")
        lines.append('$ ' + ' '.join(cmd))
    lines.append(f'{ex["m"]} {target(r, ex)} HTTP/1.1')
    hs = [(a, b) for a, b in ex['h']]
    hs.sort(key=lambda x: x[0])
    lines += [f'{a}: {b}' for a, b in hs]
    lines.append('')
    if ex['body']:
        lines.append(pretty_body(r, ex['body']))
        lines.append('')
    lines.append('')
    lines.append(f'HTTP/1.1 {ex["st"]} {ex["reason"]}')
    lines += hlines(ex, 'rh')
    lines.append('')
    if ex['rbody']:
        lines.append(pretty_body(r, ex['rbody']))
    return r.tx('\n'.join(lines), flat)


def L_wget(r, ex, clean):
    ver = r.K(ch(['1.21.4', '1.21.2', '1.24.5']))
    lines = [f'Setting --verbose (verbose) to 1', f'DEBUG output created by Wget {ver} on linux-gnu.', '', "URI encoding = 'UTF-8'",
             f'--{r.ts("py")[:19]}--  {url(r, ex)}', f'Resolving {ex["host"]} ({ex["host"]})... {r.K(ex["sip"])}',
             f'Caching {ex["host"]} => {ex["sip"]}', f'Connecting to {ex["host"]} ({ex["host"]})|{ex["sip"]}|:443... connected.',
             'Created socket 3.', f'Releasing 0x0000{rs(8, HEX)} (new refcount 1).', 'Initiating SSL handshake.', 'Handshake successful; connected socket 3 to SSL handle 0x0000' + rs(8, HEX),
             '', '---request begin---', f'{ex["m"]} {target(r, ex)} HTTP/1.1']
    lines += hlines(ex)
    lines += ['', '---request end---']
    if ex['body']:
        lines.append(f'[POST data: {ex["body"]}]')
    lines += ['HTTP request sent, awaiting response... ', '---response begin---', f'HTTP/1.1 {ex["st"]} {ex["reason"]}']
    lines += hlines(ex, 'rh')
    lines += ['', '---response end---', f'{ex["st"]} {ex["reason"]}', 'Registered socket 3 for persistent reuse.']
    for a, b, attrs in ex['setc']:
        lines.append(f'Stored cookie {ex["host"]} -1 (ANY) / <permanent> <insecure> [expiry none] {a} {b}')
    lines.append(f'Length: {len(r.plain(body_of(ex, "rbody")))} [{ex["rctype"] or "text/plain"}]')
    lines.append("Saving to: 'response.json'")
    return r.tx('\n'.join(lines), flat)


def L_postman(r, ex, clean):
    k = R.randint(0, 2)
    if k == 0:  # Postman console copied as text
        lines = [f'{ex["m"]} {url(r, ex)}', f'{ex["st"]}', f'{ex["ms"]} ms', 'Network', f'addresses: {{"local":{{"address":"{ex["cip"]}","family":"IPv4","port":{R.randint(49152, 65535)}}},"remote":{{"address":"{r.K(ex["sip"])}","family":"IPv4","port":443}}}}',
                 'Request Headers'] + hlines(ex) + (['Request Body', ex['body']] if ex['body'] else []) + ['Response Headers'] + hlines(ex, 'rh') + ['Response Body', body_of(ex, 'rbody')]
        return r.tx('\n'.join(lines), flat)
    if k == 1:  # newman --verbose cli
        name = ch(['Login', 'Get token', 'Create order', 'Fetch member', 'Upload document', 'Send SMS', 'Create booking'])
        lines = [f'→ {name}', f'  {ex["m"]} {url(r, ex)} [{ex["st"]} {ex["reason"]}, {R.randint(1, 9)}.{R.randint(0, 9)}kB, {ex["ms"]}ms]',
                 '  ┌ ↓ request headers'] + ['  │ ' + x for x in hlines(ex)]
        if ex['body']:
            lines += ['  ├ ↑ request body'] + ['  │ ' + ex['body'].replace('\n', '\n  │ ')]
        lines += ['  ├ ↓ response headers'] + ['  │ ' + x for x in hlines(ex, 'rh')] + ['  ├ ↓ ' + (ex['rctype'] or 'text') + ' ★ ' + ch(['json', 'text']), '  │ ' + body_of(ex, 'rbody'), '  └ ', '  ✓  Status code is ' + str(ex['st'])]
        return r.tx('\n'.join(lines), flat)
    # newman JSON reporter: one execution
    u = ex
    pth = [p for p in r.plain(ex['path']).split('/') if p]
    exe = {'id': r.K(uuid4()), 'item': {'id': r.K(uuid4()), 'name': ch(['Login', 'Get token', 'Create order', 'Fetch member'])},
           'request': {'url': {'protocol': 'https', 'host': r.plain(ex['host']).split('.'), 'path': [r.tx(x, lambda s: s) for x in ex['path'].split('/') if x],
                               'query': [{'key': a, 'value': b} for a, b in ex['q']]},
                       'header': [{'key': a, 'value': b} for a, b in ex['h']], 'method': ex['m']},
           'response': {'id': r.K(uuid4()), 'status': ex['reason'], 'code': ex['st'], 'header': [{'key': a, 'value': b} for a, b in ex['rh']],
                        'responseTime': ex['ms'], 'responseSize': len(r.plain(body_of(ex, 'rbody')))},
           'assertions': [{'assertion': f'Status code is {ex["st"]}'}]}
    del pth, u
    if ex['body']:
        exe['request']['body'] = {'mode': 'urlencoded' if ex['form'] else 'raw', 'raw': ex['body']} if not ex['form'] else {'mode': 'urlencoded', 'urlencoded': [{'key': a, 'value': b} for a, b in ex['form']]}
    return jd(exe)


def L_insomnia(r, ex, clean):
    lines = [f'* Preparing request to {url(r, ex)}', f'* Current time is {r.ts("iso")}', '* Enable automatic URL encoding', '* Using default HTTP version',
             '* Enable SSL validation', '* Enable cookie sending with jar of 3 cookies', f'*   Trying {r.K(ex["sip"])}:443...',
             f'* Connected to {ex["host"]} ({ex["sip"]}) port 443 (#{R.randint(0, 40)})', '* ALPN: offers h2,http/1.1', '* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256',
             f'> {ex["m"]} {target(r, ex)} HTTP/2'] + ['> ' + x for x in hlines(ex, lower=True)] + ['']
    if ex['body']:
        lines += ['| ' + x for x in ex['body'].replace('\r\n', '\n').split('\n')]
        lines.append('* We are completely uploaded and fine')
    lines += [f'< HTTP/2 {ex["st"]} '] + ['< ' + x for x in hlines(ex, 'rh', True)] + ['']
    lines += [f'* Received {R.randint(1, 9)}.{R.randint(0, 9)} KB chunk', f'* Connection #0 to host {ex["host"]} left intact']
    return r.tx('\n'.join(lines), flat)


def L_mitm(r, ex, clean):
    if R.random() < 0.4:  # flow summary line (-v flow detail 1)
        return r.tx(f'{ex["cip"]}:{R.randint(49152, 65535)}: {ex["m"]} {url(r, ex)}\n' + ''.join(f'    {a}: {b}\n' for a, b in ex['h']) +
                 (('    ' + ex['body'].replace('\n', '\n    ') + '\n') if ex['body'] else '') +
                 f' << {ex["st"]} {ex["reason"]} {len(r.plain(body_of(ex, "rbody")))}b\n' + ''.join(f'    {a}: {b}\n' for a, b in ex['rh']) +
                 ('    ' + body_of(ex, 'rbody')), flat)
    # mitmdump --flow-detail 3 with a [timestamp] prefix
    lines = [f'[{r.ts("logcat")[11:]}][{r.K(ex["cip"])}:{R.randint(49152, 65535)}] client connect', f'{ex["cip"]}:{R.randint(49152, 65535)}: {ex["m"]} {url(r, ex)} {ex["proto"]}']
    lines += ['    ' + x for x in hlines(ex)]
    if ex['form']:
        lines += ['    ' + ch(['URLEncoded form', '[m:URLEncoded form]'])] + [f'    {a}: {b}' for a, b in ex['form']]
    elif ex['body']:
        lines += ['    ' + x for x in pretty_body(r, ex['body']).replace('\r\n', '\n').split('\n')]
    lines += [f' << {ex["proto"]} {ex["st"]} {ex["reason"]} {len(r.plain(body_of(ex, "rbody")))}b'] + ['    ' + x for x in hlines(ex, 'rh')]
    if ex['rbody']:
        lines += ['    ' + x for x in pretty_body(r, ex['rbody']).split('\n')]
    return r.tx('\n'.join(lines), flat)


def L_charles(r, ex, clean):
    if R.random() < 0.5:  # Charles .chlsj session export (one transaction)
        o = {'status': 'COMPLETE', 'method': ex['m'], 'protocolVersion': 'HTTP/1.1', 'scheme': 'https', 'host': r.plain(ex['host']), 'actualPort': 443,
             'path': ex['path'], 'query': qs(r, ex) if ex['q'] else None, 'tunnel': False, 'keptAlive': True, 'webSocket': ex['st'] == 101,
             'remoteAddress': f'{r.plain(ex["host"])}/{r.K(ex["sip"])}', 'clientAddress': f'/{r.K(ex["cip"])}', 'clientPort': R.randint(49152, 65535),
             'times': {'start': r.K(r.ts('iso')[:-1] + '+00:00'), 'end': r.ts('iso', ex['ms'])[:-1] + '+00:00'},
             'durations': {'total': ex['ms'], 'dns': 0, 'connect': 0, 'ssl': 0, 'request': 1, 'response': 2, 'latency': ex['ms'] - 3},
             'request': {'sizes': {'headers': R.randint(300, 900), 'body': len(r.plain(body_of(ex)))}, 'mimeType': ex['ctype'], 'charset': 'UTF-8',
                         'header': {'firstLine': f'{ex["m"]} {target(r, ex)} HTTP/1.1', 'headers': [{'name': a, 'value': b} for a, b in ex['h']]},
                         'body': {'text': ex['body'], 'charset': 'UTF-8'} if ex['body'] else None},
             'response': {'status': ex['st'], 'sizes': {'headers': R.randint(200, 700), 'body': len(r.plain(body_of(ex, 'rbody')))}, 'mimeType': ex['rctype'],
                          'header': {'firstLine': f'HTTP/1.1 {ex["st"]} {ex["reason"]}', 'headers': [{'name': a, 'value': b} for a, b in ex['rh']]},
                          'body': {'text': ex['rbody'], 'charset': 'UTF-8'} if ex['rbody'] else None}}
        return jd(o)
    # Fiddler raw session text (request then response), CRLF shown as \r\n escapes by the log shipper
    req = f'{ex["m"]} {url(r, ex)} HTTP/1.1\r\n' + ''.join(x + '\r\n' for x in hlines(ex)) + '\r\n' + body_of(ex)
    resp = f'HTTP/1.1 {ex["st"]} {ex["reason"]}\r\n' + ''.join(x + '\r\n' for x in hlines(ex, 'rh')) + '\r\n' + body_of(ex, 'rbody')
    pre = f'Fiddler session #{R.randint(1, 999)} [{r.K(ex["cip"])} -> {ex["host"]}] '
    if R.random() < 0.5:
        return pre + r.tx(req + '\r\n\r\n------------------------------------------------------------------\r\n\r\n' + resp, lambda s: s.replace('\r', '\\r').replace('\n', '\\n'))
    return pre + r.tx(req + '\n\n' + resp, flat)


def L_python(r, ex, clean):
    k = R.randint(0, 3)
    head = f'{ex["m"]} {target(r, ex)} HTTP/1.1\r\n' + ''.join(f'{a}: {b}\r\n' for a, b in ex['h']) + '\r\n'
    if k == 0:
        s = "send: b'" + r.tx(head, pyb) + "'"
        if ex['body'] and R.random() < 0.7:
            s += "\nsend: b'" + r.tx(ex['body'], pyb) + "'"
        return r.tx(s, flat) if '\n' in s else s
    if k == 1:  # full http.client debuglevel output
        lines = ["send: b'" + r.tx(head + body_of(ex), pyb) + "'", f"reply: 'HTTP/1.1 {ex['st']} {ex['reason']}\\r\\n'"]
        lines += [f'header: {a}: {b}' for a, b in ex['rh']]
        return r.tx('\n'.join(lines), flat)
    if k == 2:  # urllib3 connectionpool
        pre = ch([f'{r.ts("py")} DEBUG urllib3.connectionpool ', 'DEBUG:urllib3.connectionpool:', f'[{r.ts("py")}] [DEBUG] [urllib3.connectionpool] '])
        if not ex['q']:
            ex['q'] = [('trace', r.K(rs(16, HEX)))] if clean else [('access_token', jwt(r) if R.random() < 0.5 else r.S(opaque(), 'access_token'))]
        return pre + f'https://{ex["host"]}:443 "{ex["m"]} {target(r, ex)} HTTP/1.1" {ex["st"]} {len(r.plain(body_of(ex, "rbody")))}'
    # requests-toolbelt dump_all
    s = '< ' + f'{ex["m"]} {target(r, ex)} HTTP/1.1\r\n' + ''.join(f'< {a}: {b}\r\n' for a, b in ex['h']) + '< \r\n' + ('< ' + body_of(ex) + '\r\n' if ex['body'] else '')
    s += f'> HTTP/1.1 {ex["st"]} {ex["reason"]}\r\n' + ''.join(f'> {a}: {b}\r\n' for a, b in ex['rh']) + '> \r\n' + body_of(ex, 'rbody')
    return "b'" + r.tx(s, pyb) + "'"


def L_okhttp(r, ex, clean):
    pid = f'{R.randint(2000, 30000)}-{R.randint(2000, 30000)}'
    pre = lambda: ch([f'{r.ts("logcat")} {pid} okhttp.OkHttpClient com.example.app I  ', f'{r.ts("logcat")[5:]} I/okhttp.OkHttpClient({pid.split("-")[0]}): ', 'I/okhttp.OkHttpClient: ', ''])
    lines = [f'--> {ex["m"]} {url(r, ex)}' + (' h2' if R.random() < 0.3 else '')]
    lines += hlines(ex)[1:]
    if ex['body']:
        lines += ['', ex['body'], f'--> END {ex["m"]} ({len(r.plain(ex["body"]))}-byte body)']
    else:
        lines.append(f'--> END {ex["m"]}')
    lines.append(f'<-- {ex["st"]} {ex["reason"]} {url(r, ex)} ({ex["ms"]}ms)')
    lines += hlines(ex, 'rh')
    if ex['rbody']:
        lines += ['', ex['rbody'], f'<-- END HTTP ({len(r.plain(ex["rbody"]))}-byte body)']
    else:
        lines.append('<-- END HTTP')
    if R.random() < 0.45:  # a single logcat line, as most pipelines see it
        cands = [x for x in lines if r.has_secret(x)] if not clean else [x for x in lines if PH0 in x]
        if cands:
            return r.tx(pre() + ch(cands), flat)
    p = pre()
    return r.tx('\n'.join(p + x for x in lines), flat)


def L_apache(r, ex, clean):
    conn = f'http-outgoing-{R.randint(0, 40)}'
    v5 = R.random() < 0.5
    wire = 'org.apache.hc.client5.http.wire' if v5 else 'org.apache.http.wire'
    hdrs = 'org.apache.hc.client5.http.headers' if v5 else 'org.apache.http.headers'
    pre = lambda cat: f'{r.ts("py")} DEBUG [{ch(["main", "pool-1-thread-3", "http-nio-8080-exec-7"])}] {cat} - '
    w = lambda s: s.replace('\r', '[\\r]').replace('\n', '[\\n]').replace('\t', '[\\t]')
    k = R.randint(0, 2)
    if k == 0:  # header log
        lines = [pre(hdrs) + f'{conn} >> {ex["m"]} {target(r, ex)} HTTP/1.1'] + [pre(hdrs) + f'{conn} >> {x}' for x in hlines(ex)]
        lines += [pre(hdrs) + f'{conn} << HTTP/1.1 {ex["st"]} {ex["reason"]}'] + [pre(hdrs) + f'{conn} << {x}' for x in hlines(ex, 'rh')]
        if R.random() < 0.4:
            cands = [x for x in lines if (r.has_secret(x) if not clean else PH0 in x)]
            if cands:
                return ch(cands)
        return r.tx('\n'.join(lines), flat)
    lines = [pre(wire) + f'{conn} >> "{ex["m"]} {target(r, ex)} HTTP/1.1[\\r][\\n]"'] + [pre(wire) + f'{conn} >> "{x}[\\r][\\n]"' for x in hlines(ex)]
    lines.append(pre(wire) + f'{conn} >> "[\\r][\\n]"')
    if ex['body']:
        lines.append(pre(wire) + f'{conn} >> "' + r.tx(ex['body'], w) + '"')
    lines += [pre(wire) + f'{conn} << "HTTP/1.1 {ex["st"]} {ex["reason"]}[\\r][\\n]"'] + [pre(wire) + f'{conn} << "{x}[\\r][\\n]"' for x in hlines(ex, 'rh')]
    lines.append(pre(wire) + f'{conn} << "[\\r][\\n]"')
    if ex['rbody']:
        lines.append(pre(wire) + f'{conn} << "' + r.tx(ex['rbody'], w) + '"')
    if k == 1:
        cands = [x for x in lines if (r.has_secret(x) if not clean else PH0 in x)]
        if cands:
            return ch(cands)
    return r.tx('\n'.join(lines), flat)


def L_go(r, ex, clean):
    hs = [('Host', ex['host']), ('User-Agent', next(b for a, b in ex['h'] if a == 'User-Agent'))]
    hs += [(a, b) for a, b in ex['h'] if a not in ('Host', 'User-Agent', 'Accept')]
    dump = f'{ex["m"]} {target(r, ex)} HTTP/1.1\r\n' + ''.join(f'{a}: {b}\r\n' for a, b in hs) + 'Accept-Encoding: gzip\r\n\r\n' + body_of(ex)
    pre = ch([f'{r.ts("py")[:19].replace("-", "/")} ', f'time="{r.ts("iso")}" level=debug msg=', '', f'{r.ts("iso")}\tDEBUG\thttpclient/client.go:{R.randint(40, 400)}\t'])
    if R.random() < 0.3:
        resp = f'HTTP/1.1 {ex["st"]} {ex["reason"]}\r\n' + ''.join(f'{a}: {b}\r\n' for a, b in ex['rh']) + '\r\n' + body_of(ex, 'rbody')
        return pre + ch(['response dump: ', 'DumpResponse: ']) + '"' + r.tx(resp, goq) + '"'
    if pre.startswith('time='):
        return pre + '"request dump: ' + r.tx(dump, goq) + '"'
    return pre + ch(['request dump: ', 'DumpRequestOut: ', '']) + '"' + r.tx(dump, goq) + '"'


def L_dotnet(r, ex, clean):
    cli = ch(['PaymentsApi', 'ClaimsClient', 'IdentityProvider', 'BookingGateway', 'Default'])
    k = R.randint(0, 2)
    hb = ''.join(f'{a}: {b}\r\n' for a, b in ex['h'] if a != 'Host')
    if k == 0:  # JSON console formatter
        o = {'Timestamp': r.K(r.ts('iso')), 'EventId': 102, 'LogLevel': 'Trace', 'Category': f'System.Net.Http.HttpClient.{cli}.ClientHandler',
             'Message': f'Sending HTTP request {ex["m"]} {url(r, ex)}', 'State': {'Message': f'Sending HTTP request {ex["m"]} {url(r, ex)}',
                                                                                 'HttpMethod': ex['m'], 'Uri': url(r, ex), '{OriginalFormat}': 'Sending HTTP request {HttpMethod} {Uri}'},
             'Scopes': [{'Message': f'HTTP {ex["m"]} {url(r, ex)}', 'HttpMethod': ex['m'], 'Uri': url(r, ex)}]}
        if R.random() < 0.7:
            o['EventId'] = 102
            o['Message'] = 'Request Headers:\r\n' + hb
        return r.tx(jd(o), lambda s: s.replace('+', '\\u002B').replace("'", '\\u0027')) if R.random() < 0.3 else jd(o)
    if k == 1:  # simple console
        lines = [f'info: System.Net.Http.HttpClient.{cli}.LogicalHandler[100]', f'      Start processing HTTP request {ex["m"]} {url(r, ex)}',
                 f'trce: System.Net.Http.HttpClient.{cli}.ClientHandler[102]', '      Request Headers:'] + ['      ' + f'{a}: {b}' for a, b in ex['h'] if a != 'Host']
        lines += [f'info: System.Net.Http.HttpClient.{cli}.ClientHandler[101]', f'      Received HTTP response headers after {ex["ms"]}.{R.randint(1000, 9999)}ms - {ex["st"]}',
                  f'trce: System.Net.Http.HttpClient.{cli}.ClientHandler[103]', '      Response Headers:'] + ['      ' + x for x in hlines(ex, 'rh')]
        return r.tx('\n'.join(lines), flat)
    # ASP.NET Core HttpLogging middleware (server side, behind API Gateway)
    lines = [f'info: Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware[1]', '      Request:', f'      Protocol: HTTP/1.1', f'      Method: {ex["m"]}', '      Scheme: https',
             '      PathBase: ', f'      Path: {ex["path"]}'] + ['      ' + f'{a}: {b}' for a, b in ex['h']]
    if ex['body']:
        lines += [f'info: Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware[3]', '      RequestBody: ' + ex['body']]
    lines += [f'info: Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware[2]', '      Response:', f'      StatusCode: {ex["st"]}'] + ['      ' + x for x in hlines(ex, 'rh')]
    return r.tx('\n'.join(lines), flat)


def L_node(r, ex, clean):
    k = R.randint(0, 2)
    hd = {a: b for a, b in ex['h'] if a not in ('Host', 'Content-Length')}
    if k == 0:  # axios error toJSON
        st = ch([400, 401, 403, 422, 500, 502])
        o = {'message': f'Request failed with status code {st}', 'name': 'AxiosError', 'stack': f'AxiosError: Request failed with status code {st}\n    at settle (/var/task/node_modules/axios/dist/node/axios.cjs:1966:12)',
             'config': {'transitional': {'silentJSONParsing': True}, 'adapter': ['xhr', 'http', 'fetch'], 'timeout': 10000, 'xsrfCookieName': 'XSRF-TOKEN',
                        'headers': hd, 'method': ex['m'].lower(), 'url': url(r, ex), 'data': ex['body']},
             'code': 'ERR_BAD_REQUEST' if st < 500 else 'ERR_BAD_RESPONSE', 'status': st}
        return jd(o)
    if k == 1:  # util.inspect of the request config (single line)
        items = ', '.join(f"'{a}': '{b}'" if '-' in a else f"{a}: '{b}'" for a, b in hd.items())
        s = f"{{ method: '{ex['m'].lower()}', url: '{url(r, ex)}', headers: {{ {items} }}" + (f", data: '{r.tx(ex['body'], lambda s: s.replace(chr(39), chr(92) + chr(39)).replace(chr(10), chr(92) + 'n').replace(chr(13), chr(92) + 'r'))}'" if ex['body'] else '') + ' }'
        return ch(['axios request ', f'{r.ts("iso")} DEBUG [http] outgoing ', '[debug] ']) + s
    # NODE_DEBUG=http,axios-debug-log
    lines = [f'axios {ex["m"]} {url(r, ex)} +0ms', f'HTTP {R.randint(1000, 99999)}: call onSocket 0 0', f'HTTP {R.randint(1000, 99999)}: outgoing message end.',
             f'axios {ex["st"]} {ex["reason"]} ({ex["m"]} {url(r, ex)}) +{ex["ms"]}ms']
    if ex['body']:
        lines.insert(1, 'axios request data ' + ex['body'])
    lines.insert(1, 'axios request headers ' + jd(hd))
    return r.tx('\n'.join(lines), flat)


class Bytes(str):
    pass


def pyrepr(r, o):
    if isinstance(o, dict):
        return '{' + ', '.join(f'{pyrepr(r, k)}: {pyrepr(r, v)}' for k, v in o.items()) + '}'
    if isinstance(o, list):
        return '[' + ', '.join(pyrepr(r, v) for v in o) + ']'
    if isinstance(o, Bytes):
        return "b'" + r.tx(str(o), pyb) + "'"
    if isinstance(o, str):
        return "'" + r.tx(o, pyb) + "'"
    return repr(o)


def aws_target(r, ex):
    ex['host'] = ex['host'] if 'execute-api' in r.plain(ex['host']) or 's3.' in r.plain(ex['host']) else f'{rs(10, LO)}.execute-api.{r.region}.amazonaws.com'


def L_aws(r, ex, clean):
    k = R.randint(0, 3)
    if not clean and not any(a == 'X-Amz-Security-Token' for a, b in ex['h']) and 's3.' not in r.plain(ex['host']):
        sigv4(r, ex)
    if k == 0:  # botocore debug
        hd = {a: b for a, b in ex['h'] if a not in ('Host',)}
        pre = f'{r.ts("py")} botocore.endpoint [DEBUG] '
        if clean or R.random() < 0.4:
            params = {'url_path': ex['path'], 'query_string': {a: b for a, b in ex['q']}, 'method': ex['m'],
                      'headers': {a: b for a, b in hd.items() if not a.startswith('X-Amz') and a != 'Authorization'},
                      'body': Bytes(body_of(ex)), 'url': url(r, ex), 'context': {'client_region': r.region, 'has_streaming_input': False}}
            return pre + 'Making request for OperationModel(name=' + ch(['TestInvokeMethod', 'Invoke', 'PutObject', 'GetSecretValue']) + ') with params: ' + pyrepr(r, params)
        items = ', '.join(f"'{a}': b'{r.tx(b, pyb)}'" for a, b in hd.items())
        return pre + f"Sending http request: <AWSPreparedRequest stream_output=False, method={ex['m']}, url={url(r, ex)}, headers={{{items}}}>"
    if k == 1:  # JS v3 middleware logger
        op = ch(['InvokeCommand', 'GetSecretValueCommand', 'PutObjectCommand', 'AssumeRoleCommand'])
        o = {'clientName': op.replace('Command', 'Client').replace('Invoke', 'Lambda').replace('GetSecretValue', 'SecretsManager').replace('PutObject', 'S3').replace('AssumeRole', 'STS'),
             'commandName': op, 'input': {'FunctionName': r.K(f'arn:aws:lambda:{r.region}:{acct()}:function:{ch(["claims", "payments", "bookings"])}-handler'),
                                          'Payload': body_of(ex) or '{}'}, 'output': {'StatusCode': 200, 'ExecutedVersion': '$LATEST', 'Payload': body_of(ex, 'rbody')},
             'metadata': {'httpStatusCode': 200, 'requestId': r.K(uuid4()), 'attempts': 1, 'totalRetryDelay': 0}}
        if op == 'GetSecretValueCommand':
            o['input'] = {'SecretId': r.K(f'arn:aws:secretsmanager:{r.region}:{acct()}:secret:prod/db-{rs(6, AN)}')}
            o['output'] = {'ARN': o['input']['SecretId'], 'Name': 'prod/db', 'SecretString': jd({'username': 'app', 'password': r.S(password(), 'password') if not clean else r.K('********')}),
                           'VersionId': r.K(uuid4()), 'CreatedDate': r.K(r.ts('iso'))}
        if op == 'AssumeRoleCommand' and not clean:
            o['output'] = {'Credentials': {'AccessKeyId': r.S(akid('ASIA'), 'aws_access_key_id'), 'SecretAccessKey': r.S(aws_secret(), 'aws_secret_key'),
                                           'SessionToken': r.S(aws_token(), 'aws_session_token'), 'Expiration': r.K(r.ts('iso'))},
                           'AssumedRoleUser': {'AssumedRoleId': r.K('AROA' + rs(17, B32) + ':session-' + rd(6)), 'Arn': r.K(f'arn:aws:sts::{acct()}:assumed-role/app-role/session')}}
        if R.random() < 0.5:
            return jd(o)
        return r.tx(ch(['', f'{r.ts("iso")}\t{uuid4()}\tINFO\t']) + 'middleware logger ' + jd(o), lambda s: s)
    if k == 2:  # Java SDK v2 request log + wire
        lines = [f'{r.ts("py")} DEBUG software.amazon.awssdk.request - Sending Request: DefaultSdkHttpFullRequest(httpMethod={ex["m"]}, protocol=https, host={ex["host"]}, encodedPath={ex["path"]}, headers=[{", ".join(a for a, b in ex["h"])}], queryParameters=[{", ".join(a for a, b in ex["q"])}])']
        lines += [f'{r.ts("py")} DEBUG org.apache.http.wire - http-outgoing-0 >> "{x}[\\r][\\n]"' for x in hlines(ex)]
        if ex['body']:
            lines.append(f'{r.ts("py")} DEBUG org.apache.http.wire - http-outgoing-0 >> "' + r.tx(ex['body'], lambda s: s.replace('\r', '[\\r]').replace('\n', '[\\n]')) + '"')
        lines.append(f'{r.ts("py")} DEBUG org.apache.http.wire - http-outgoing-0 << "HTTP/1.1 {ex["st"]} {ex["reason"]}[\\r][\\n]"')
        lines.append(f'{r.ts("py")} DEBUG software.amazon.awssdk.request - Received successful response: {ex["st"]}, Request ID: {r.K(uuid4())}, Extended Request ID: {r.K(rs(76, B64))}')
        if R.random() < 0.5:
            cands = [x for x in lines if (r.has_secret(x) if not clean else PH0 in x)]
            if cands:
                return ch(cands)
        return r.tx('\n'.join(lines), flat)
    # botocore auth debug: canonical request / string to sign / signature
    date = r.ts('amz')
    ch_ = f'{ex["m"]}\n{ex["path"]}\n{qs(r, ex)}\n' + ''.join(f'{a.lower()}:{b}\n' for a, b in ex['h'] if a.lower() in ('host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256')) + '\nhost;x-amz-content-sha256;x-amz-date;x-amz-security-token\n' + r.K(sha256hex())
    lines = [f'{r.ts("py")} botocore.auth [DEBUG] Calculating signature using v4 auth.', f'{r.ts("py")} botocore.auth [DEBUG] CanonicalRequest:\n{ch_}',
             f'{r.ts("py")} botocore.auth [DEBUG] StringToSign:\nAWS4-HMAC-SHA256\n{date}\n{date[:8]}/{r.region}/execute-api/aws4_request\n{r.K(sha256hex())}']
    if not clean:
        lines.append(f'{r.ts("py")} botocore.auth [DEBUG] Signature:\n{r.S(rs(64, HEX), "sigv4_signature")}')
    return r.tx('\n'.join(lines), flat)


def L_envoy(r, ex, clean):
    k = R.randint(0, 3)
    auth = next((b for a, b in ex['h'] if a == 'Authorization'), '-')
    ck = next((b for a, b in ex['h'] if a == 'Cookie'), '-')
    ua = next((b for a, b in ex['h'] if a == 'User-Agent'), '-')
    xff = r.K(ex['cip'])
    if k == 0:  # envoy default text format + custom %REQ(AUTHORIZATION)%
        return (f'[{r.ts("iso")}] "{ex["m"]} {target(r, ex)} {ex["proto"]}" {ex["st"]} - {len(r.plain(body_of(ex)))} {len(r.plain(body_of(ex, "rbody")))} {ex["ms"]} {ex["ms"] - 2} '
                f'"{xff}" "{ua}" "{r.K(uuid4())}" "{ex["host"]}" "10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}:8080" auth="{auth}" cookie="{ck}"')
    if k == 1:  # envoy/istio JSON access log
        o = {'start_time': r.K(r.ts('iso')), 'method': ex['m'], 'path': target(r, ex), 'protocol': ex['proto'], 'response_code': ex['st'], 'response_flags': '-',
             'bytes_received': len(r.plain(body_of(ex))), 'bytes_sent': len(r.plain(body_of(ex, 'rbody'))), 'duration': ex['ms'], 'x_forwarded_for': xff,
             'user_agent': ua, 'request_id': r.K(uuid4()), 'authority': ex['host'], 'upstream_host': f'10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}:8080',
             'upstream_cluster': 'outbound|8080||claims.prod.svc.cluster.local', 'authorization': auth, 'cookie': ck, 'x_api_key': next((b for a, b in ex['h'] if a == 'x-api-key'), None)}
        return jd(o)
    if k == 2:  # envoy tap (http_buffered_trace), one JSON per line
        tr = {'http_buffered_trace': {'request': {'headers': [{'key': ':authority', 'value': ex['host']}, {'key': ':path', 'value': target(r, ex)}, {'key': ':method', 'value': ex['m']}] +
                                                  [{'key': a.lower(), 'value': b} for a, b in ex['h'][1:]], 'body': {'truncated': False, 'as_string': body_of(ex)}},
                                      'response': {'headers': [{'key': ':status', 'value': str(ex['st'])}] + [{'key': a.lower(), 'value': b} for a, b in ex['rh']],
                                                   'body': {'truncated': False, 'as_string': body_of(ex, 'rbody')}}}}
        return jd(tr)
    # nginx custom log_format with $request_body and $http_* (escape=default -> \x22)
    fields = [xff, '-', f'[{r.ts("clf")}]', f'"{ex["m"]} {target(r, ex)} HTTP/1.1"', str(ex['st']), str(len(r.plain(body_of(ex, 'rbody')))), '"-"', f'"{ua}"',
              f'"{auth}"', f'"{ck}"', f'"{r.tx(body_of(ex) or "-", lambda s: nginx_esc(s).replace(chr(13), chr(92) + "x0D").replace(chr(10), chr(92) + "x0A"))}"', f'rt={ex["ms"] / 1000:.3f}']
    return ' '.join(fields)


def L_testinvoke(r, ex, clean):
    rid = r.K(uuid4())
    ts = r.ts('apigw')
    mh = '{' + ', '.join(f'{a}={b}' for a, b in ex['h'] if a not in ('Host',)) + '}'
    pq = '{' + ', '.join(f'{a}={b}' for a, b in ex['q']) + '}'
    log = [f'Execution log for request {rid}', f'{ts} : Starting execution for request: {rid}', f'{ts} : HTTP Method: {ex["m"]}, Resource Path: {ex["path"]}',
           f'{ts} : Method request path: {{}}', f'{ts} : Method request query string: {pq}', f'{ts} : Method request headers: {mh}',
           f'{ts} : Method request body before transformations: {body_of(ex)}',
           f'{ts} : Endpoint request URI: https://lambda.{r.region}.amazonaws.com/2015-03-31/functions/{r.K(f"arn:aws:lambda:{r.region}:{acct()}:function:api-handler")}/invocations',
           f'{ts} : Sending request to https://lambda.{r.region}.amazonaws.com/2015-03-31/functions/arn:aws:lambda:{r.region}:{acct()}:function:api-handler/invocations',
           f'{ts} : Received response. Status: 200, Integration latency: {ex["ms"]} ms',
           f'{ts} : Endpoint response headers: {{Date={r.ts("rfc")}, Content-Type=application/json, x-amzn-RequestId={r.K(uuid4())}, X-Amz-Executed-Version=$LATEST}}',
           f'{ts} : Endpoint response body before transformations: {body_of(ex, "rbody")}', f'{ts} : Method response body after transformations: {body_of(ex, "rbody")}',
           f'{ts} : Method response headers: {{' + ', '.join(f'{a}={b}' for a, b in ex['rh'] if a != 'Date') + '}', f'{ts} : Successfully completed execution',
           f'{ts} : Method completed with status: {ex["st"]}']
    if R.random() < 0.5:
        o = {'status': ex['st'], 'body': body_of(ex, 'rbody'), 'headers': {a: b for a, b in ex['rh']}, 'multiValueHeaders': {a: [b] for a, b in ex['rh']},
             'log': '\n'.join(log) + '\n', 'latency': ex['ms'] + R.randint(5, 50)}
        return jd(o)
    return r.tx('\n'.join(log), flat)


LAYOUTS = [
    ('har_entry', 110, L_har, 'browser'), ('curl_verbose', 80, L_curl, 'curl'), ('curl_trace_ascii', 40, L_trace, 'curl'),
    ('httpie_verbose', 50, L_httpie, 'httpie'), ('wget_debug', 40, L_wget, 'wget'), ('postman_newman', 60, L_postman, 'postman'),
    ('insomnia_timeline', 40, L_insomnia, 'insomnia'), ('mitmproxy_dump', 50, L_mitm, 'browser'), ('charles_fiddler', 60, L_charles, 'browser'),
    ('python_http_debug', 80, L_python, 'python'), ('okhttp_logging', 60, L_okhttp, 'okhttp'), ('apache_httpclient', 50, L_apache, 'apache'),
    ('go_httputil_dump', 40, L_go, 'go'), ('dotnet_httpclient', 40, L_dotnet, 'dotnet'), ('node_axios', 40, L_node, 'node'),
    ('aws_sdk_wire', 70, L_aws, None), ('envoy_nginx', 50, L_envoy, 'envoy'), ('apigw_test_invoke', 40, L_testinvoke, 'browser'),
]
JSON_LAYOUTS = {'har_entry'}
AWS_UA = ['boto', 'jsv3', 'java']


# ----------------------------------------------------------------------------------------------- finalize + checks
STATS = {'redraw_nosecret': 0, 'redraw_copy': 0, 'redraw_nokeep': 0, 'redraw_len': 0, 'dropped_keeps': 0, 'short_keeps': 0, 'capped_keeps': 0}
KIND_RE = re.compile(r'^(vendor:)?[a-z0-9]+(_[a-z0-9]+)*$')


def occurrences(s, sub):
    out, i = [], s.find(sub)
    while i >= 0:
        out.append(i)
        i = s.find(sub, i + 1)
    return out


def keep_score(k):
    sc = len(k)
    if re.search(r'\d', k) and re.search(r'[A-Za-z]', k):
        sc += 30
    if re.fullmatch(r'[0-9a-f-]{16,}', k):
        sc += 20
    return sc


def finalize(r, text, clean):
    line, spans = resolve(r, text)
    if '\r' in line or '\n' in line:
        raise Fail('CR/LF in line')
    if len(line.encode()) > 16000:
        STATS['redraw_len'] += 1
        return None
    secrets, kinds = [], []
    for a, b, i in spans:
        v, t, k = r.vals[i]
        if t == 'S' and v not in secrets:
            secrets.append(v)
            kinds.append(k)
    if clean and secrets:
        raise Fail('clean record has a secret')
    if not clean and not secrets:
        STATS['redraw_nosecret'] += 1
        return None
    sspans = [(a, b) for a, b, i in spans if r.vals[i][1] == 'S']
    socc = []
    for s in secrets:
        for o in occurrences(line, s):
            if not any(a <= o and o + len(s) <= b for a, b in sspans):
                STATS['redraw_copy'] += 1
                return None
            socc.append((o, o + len(s)))
    keeps = []
    for a, b, i in spans:
        v, t, k = r.vals[i]
        if t != 'K' or v in keeps:
            continue
        if len(v) < 3 or v != v.strip():
            STATS['short_keeps'] += 1
            continue
        if v in secrets or any(s in v for s in secrets) or any(not (o + len(v) <= x or o >= y) for o in occurrences(line, v) for x, y in socc):
            STATS['dropped_keeps'] += 1
            continue
        keeps.append(v)
    cap = 9 if clean else 5 * len(secrets) + 1
    if len(keeps) > cap:
        STATS['capped_keeps'] += len(keeps) - cap
        order = sorted(range(len(keeps)), key=lambda j: (-keep_score(keeps[j]), j))[:cap]
        keeps = [keeps[j] for j in sorted(order)]
    if not keeps:
        STATS['redraw_nokeep'] += 1
        return None
    return line, secrets, kinds, keeps


def resolve(r, text):
    out, spans, pos, n = [], [], 0, 0
    for m in PHRE.finditer(text):
        seg = text[pos:m.start()]
        out.append(seg)
        n += len(seg)
        i = int(m.group(1))
        v = r.vals[i][0]
        spans.append((n, n + len(v), i))
        out.append(v)
        n += len(v)
        pos = m.end()
    out.append(text[pos:])
    line = ''.join(out)
    if PH0 in line or PH1 in line:
        raise Fail('unresolved placeholder')
    return line, spans


LAYOUT_NAMES = {l[0] for l in LAYOUTS}


def check_record(rec, n=None):
    if list(rec.keys()) != ['id', 'layout', 'line', 'secrets', 'kinds', 'keep']:
        raise Fail(f'fields {list(rec.keys())}')
    lay = rec['layout']
    if lay not in LAYOUT_NAMES or not re.fullmatch(r'h10-' + re.escape(lay) + r'-\d{4}', rec['id']):
        raise Fail('bad id ' + rec['id'])
    if n is not None and rec['id'] != f'h10-{lay}-{n:04d}':
        raise Fail('id order ' + rec['id'])
    line = rec['line']
    if '\r' in line or '\n' in line or len(line.encode()) > 16000:
        raise Fail('line CR/LF/len ' + rec['id'])
    S, K, Kd = rec['secrets'], rec['kinds'], rec['keep']
    if len(S) != len(K) or len(set(S)) != len(S) or len(set(Kd)) != len(Kd) or not Kd:
        raise Fail('lists ' + rec['id'])
    for k in K:
        if not KIND_RE.match(k):
            raise Fail('kind ' + k)
    for s in S:
        if len(s) < 6 or s != s.strip() or s not in line:
            raise Fail(f'secret {s!r} in {rec["id"]}')
    socc = [(o, o + len(s)) for s in S for o in occurrences(line, s)]
    for k in Kd:
        if len(k) < 3 or k not in line or any(s in k for s in S):
            raise Fail(f'keep {k!r} in {rec["id"]}')
        for o in occurrences(line, k):
            if any(not (o + len(k) <= x or o >= y) for x, y in socc):
                raise Fail(f'keep {k!r} overlaps a secret in {rec["id"]}')
    if lay in JSON_LAYOUTS or line.startswith('{'):
        try:
            if not isinstance(json.loads(line), dict):
                raise Fail('not an object ' + rec['id'])
        except ValueError:
            raise Fail('JSON ' + rec['id'])


def check_copies(rec, spans_ok):
    pass


def build():
    records = []
    n = 0
    for lay, cnt, fn, uak in LAYOUTS:
        nclean = cnt // 5
        flags = [True] * nclean + [False] * (cnt - nclean)
        R.shuffle(flags)
        for clean in flags:
            n += 1
            for attempt in range(300):
                r = Rec()
                ua = ch(UAS[uak] if uak else UAS[ch(AWS_UA)])
                ex = pick_ex(r, clean, ua, lay == 'aws_sdk_wire')
                text = fn(r, ex, clean)
                try:
                    res = finalize(r, text, clean)
                except Fail as e:
                    raise Fail(f'{lay} {e}: {r.plain(text)[:300]!r}')
                if res:
                    break
            else:
                raise Fail('300 redraws for ' + lay)
            line, secrets, kinds, keeps = res
            for v in set(r.vendors):
                if any(k == 'vendor:' + v for k in kinds):
                    VCOUNT[v] += 1
            rec = {'id': f'h10-{lay}-{n:04d}', 'layout': lay, 'line': line, 'secrets': secrets, 'kinds': kinds, 'keep': keeps}
            check_record(rec, n)
            records.append(rec)
    return records


def corpus_checks(records):
    if len(records) != 1000:
        raise Fail('count')
    if len({x['id'] for x in records}) != 1000:
        raise Fail('dup ids')
    for lay, cnt, _, _ in LAYOUTS:
        rs_ = [x for x in records if x['layout'] == lay]
        if len(rs_) != cnt or sum(1 for x in rs_ if not x['secrets']) != cnt // 5:
            raise Fail('layout counts ' + lay)
    vc = {}
    for x in records:
        for k in x['kinds']:
            if k.startswith('vendor:'):
                vc[k[7:]] = vc.get(k[7:], 0) + 1
    if len(vc) < 60 or min(vc.values()) < 3:
        raise Fail(f'vendors {len(vc)} min {min(vc.values())} {sorted(vc.items(), key=lambda z: z[1])[:12]} total {sum(vc.values())}')
    return vc


def serialize(records):
    return ''.join(json.dumps(x, ensure_ascii=False) + '\n' for x in records).encode('utf-8')


def main():
    args = sys.argv[1:]
    try:
        records = build()
        vc = corpus_checks(records)
    except Fail as e:
        die(str(e))
    data = serialize(records)
    digest = hashlib.sha256(data).hexdigest()
    if '--hash-only' in args:
        print(digest)
        return
    tmp = OUT + '.tmp'
    try:
        with open(tmp, 'wb') as f:
            f.write(data)
        with open(tmp, 'rb') as f:
            back = f.read()
        if back != data:
            raise Fail('read-back differs')
        recs2 = [json.loads(l) for l in back.decode('utf-8').split('\n') if l]
        if recs2 != records:
            raise Fail('read-back records differ')
        for i, x in enumerate(recs2, 1):
            check_record(x, i)
        corpus_checks(recs2)
        if '--no-hashseed-check' not in args:
            for hs in ('1', '7'):
                env = dict(os.environ, PYTHONHASHSEED=hs)
                out = subprocess.run([sys.executable, os.path.abspath(__file__), '--hash-only'], env=env, capture_output=True, text=True)
                if out.returncode != 0 or out.stdout.strip() != digest:
                    raise Fail(f'PYTHONHASHSEED={hs} gave {out.stdout.strip()!r} != {digest}')
    except Fail as e:
        if os.path.exists(tmp):
            os.remove(tmp)
        die(str(e))
    os.replace(tmp, OUT)
    # statistics
    print('layout                 records clean secrets keeps')
    for lay, cnt, _, _ in LAYOUTS:
        rs_ = [x for x in records if x['layout'] == lay]
        print(f'{lay:22s} {len(rs_):7d} {sum(1 for x in rs_ if not x["secrets"]):5d} {sum(len(x["secrets"]) for x in rs_):7d} {sum(len(x["keep"]) for x in rs_):5d}')
    print(f'total secrets {sum(len(x["secrets"]) for x in records)} keeps {sum(len(x["keep"]) for x in records)}')
    print('json-object lines', sum(1 for x in records if x['line'].startswith('{')))
    kh = {}
    for x in records:
        for k in x['kinds']:
            kk = 'vendor:*' if k.startswith('vendor:') else k
            kh[kk] = kh.get(kk, 0) + 1
    print('kinds', ', '.join(f'{k} {v}' for k, v in sorted(kh.items(), key=lambda z: (-z[1], z[0]))))
    print(f'vendors {len(vc)}:', ', '.join(f'{k} {v}' for k, v in sorted(vc.items())))
    print('stats', STATS)
    print('max line bytes', max(len(x['line'].encode()) for x in records))
    print('backslash labels', sum(1 for x in records for s in x['secrets'] if '\\' in s))
    print('sha256', digest)


if __name__ == '__main__':
    main()
