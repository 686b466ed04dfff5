#!/usr/bin/env python3
"""gen_heldout5.py - writes heldout5.jsonl, a labelled evaluation corpus for a log scrubber.

Python 3 standard library only. Fixed seed, byte-for-byte deterministic output.
Every value produced here is random and fake (see README.md).

Usage:  python3 gen_heldout5.py      # writes heldout5.jsonl next to this script
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
import uuid as _uuid
from datetime import datetime, timedelta, timezone

SEED = 0x4E1D05
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout5.jsonl")
MAX_LINE_BYTES = 16000

# =====================================================================================
# Fragments: every line is built from parts (text, role, kind); role is None, 's' or 'k'.
# A character-wise transform is applied to every part at once, so labels stay exact.
# =====================================================================================


class F:
    __slots__ = ("p",)

    def __init__(self, p=None):
        self.p = p or []

    def __add__(self, o):
        return X(self, o)

    def __radd__(self, o):
        return X(o, self)


def X(*items):
    out = []
    for it in items:
        if it is None:
            continue
        if isinstance(it, F):
            out.extend(it.p)
        elif isinstance(it, (list, tuple)):
            out.extend(X(*it).p)
        else:
            s = str(it)
            if s:
                out.append((s, None, None))
    return F(out)


def S(v, kind):
    assert v and isinstance(v, str), (v, kind)
    return F([(v, "s", kind)])


def K(v):
    assert v and isinstance(v, str)
    return F([(v, "k", None)])


def fmap(f, fn):
    return F([(fn(t), r, k) for (t, r, k) in X(f).p])


def txt(f):
    return "".join(t for t, _, _ in X(f).p)


def JOIN(sep, items):
    out = []
    for i, it in enumerate(items):
        if i:
            out.append(sep)
        out.append(it)
    return X(*out)


def unlabel(f):
    """Drop keep roles (used when a keep would be transformed into a too-short form)."""
    return F([(t, r if r == "s" else None, k) for (t, r, k) in X(f).p])


# ---- character-wise transforms ------------------------------------------------------


def jesc(s, ea=False):
    return json.dumps(s, ensure_ascii=ea)[1:-1]


def JE(f, ea=False):
    return fmap(f, lambda s: jesc(s, ea))


def PCT(f, safe=""):
    return fmap(f, lambda s: urllib.parse.quote(s, safe=safe))


def FORM(f):
    return fmap(f, lambda s: urllib.parse.quote_plus(s, safe=""))


def SOFTPCT(f):
    """Browser-like encoding of a query value: leaves @ : / , alone."""
    return fmap(f, lambda s: urllib.parse.quote(s, safe="@:/,!*'()~"))


def AKAMAI(f):
    """DataStream 2: octets outside 0x21-0x7E are %-encoded (RFC 1738)."""

    def enc(s):
        out = []
        for ch in s:
            for b in ch.encode("utf-8"):
                out.append(chr(b) if 0x21 <= b <= 0x7E else "%%%02X" % b)
        return "".join(out)

    return fmap(f, enc)


def HAPX(f):
    """HAProxy log escaping of non-printable characters as #XX (also '#', '"' with +Q)."""

    def enc(s):
        out = []
        for ch in s:
            b = ch.encode("utf-8")
            if ch in '#"{|}' or len(b) > 1 or ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.extend("#%02X" % x for x in b)
            else:
                out.append(ch)
        return "".join(out)

    return fmap(f, enc)


def GOHTML(f):
    """Go encoding/json HTML-safe escaping of < > &."""
    return fmap(f, lambda s: s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def NL(f):
    """Escape real newlines/tabs to literal \\n and \\t (flattened multi-line output)."""
    return fmap(f, lambda s: s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t"))


def J(o, ea=False, sp=False):
    """Small JSON serialiser over fragments; string leaves may be F objects."""
    si, sk = (", ", ": ") if sp else (",", ":")
    if isinstance(o, dict):
        parts = ["{"]
        for i, (k, v) in enumerate(o.items()):
            if i:
                parts.append(si)
            parts.append(J(k, ea))
            parts.append(sk)
            parts.append(J(v, ea, sp))
        parts.append("}")
        return X(*parts)
    if isinstance(o, list):
        parts = ["["]
        for i, v in enumerate(o):
            if i:
                parts.append(si)
            parts.append(J(v, ea, sp))
        parts.append("]")
        return X(*parts)
    if isinstance(o, (str, F)):
        return X('"', JE(o, ea), '"')
    if o is True:
        return X("true")
    if o is False:
        return X("false")
    if o is None:
        return X("null")
    if isinstance(o, (int, float)):
        return X(json.dumps(o))
    if isinstance(o, RawJ):
        return o.f
    raise TypeError(type(o))


class RawJ:
    """Already-serialised JSON fragment (inserted verbatim)."""

    def __init__(self, f):
        self.f = X(f)


# =====================================================================================
# Random helpers
# =====================================================================================
AL = string.ascii_letters + string.digits
LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
LOWDIG = LOW + DIG
UPDIG = UP + DIG
HEX = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
B64 = AL + "+/"
B64U = AL + "-_"


def rs(n, alpha=AL):
    return "".join(R.choice(alpha) for _ in range(n))


def hx(n):
    return rs(n, HEX)


def ri(a, b):
    return R.randint(a, b)


def ch(seq):
    return R.choice(seq)


def chance(p):
    return R.random() < p


def uuid4():
    return str(_uuid.UUID(int=R.getrandbits(128), version=4))


def b64(bs):
    return base64.b64encode(bs).decode()


def b64u(bs, pad=False):
    s = base64.urlsafe_b64encode(bs).decode()
    return s if pad else s.rstrip("=")


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


# ---- time -----------------------------------------------------------------------------
T0 = datetime(2024, 1, 8, tzinfo=timezone.utc)
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DOW = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def rdt():
    return T0 + timedelta(seconds=ri(0, 660 * 86400), microseconds=ri(0, 999999))


def t_iso(d, frac=3, z="Z"):
    s = d.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        s += "." + ("%06d" % d.microsecond)[:frac] if frac <= 6 else "." + "%06d" % d.microsecond + "0" * (frac - 6)
    return s + z


def t_clf(d):
    return "%02d/%s/%d:%s +0000" % (d.day, MON[d.month - 1], d.year, d.strftime("%H:%M:%S"))


def t_syslog(d):
    return "%s %2d %s" % (MON[d.month - 1], d.day, d.strftime("%H:%M:%S"))


def t_apache_err(d):
    return "%s %s %02d %s.%06d %d" % (DOW[d.weekday()], MON[d.month - 1], d.day, d.strftime("%H:%M:%S"), d.microsecond, d.year)


def t_haproxy(d):
    return "%02d/%s/%d:%s.%03d" % (d.day, MON[d.month - 1], d.year, d.strftime("%H:%M:%S"), d.microsecond // 1000)


def epoch(d):
    return d.timestamp()


# ---- network & hosts -------------------------------------------------------------------


def ip_pub():
    return ch(["192.0.2.", "198.51.100.", "203.0.113."]) + str(ri(1, 254))


def ip_priv():
    return ch(["10.%d.%d.%d" % (ri(0, 40), ri(0, 255), ri(2, 254)), "172.%d.%d.%d" % (ri(16, 31), ri(0, 255), ri(2, 254)),
               "192.168.%d.%d" % (ri(0, 20), ri(2, 254))])


def ip6():
    return "2001:db8:%x:%x::%x" % (ri(0, 0xffff), ri(0, 0xffff), ri(1, 0xffff))


def ip_any():
    return ip6() if chance(0.08) else ip_pub()


COMPANY = ["acme", "globex", "initech", "umbrella", "hooli", "vandelay", "stark", "wayne", "tyrell", "soylent", "contoso",
           "fabrikam", "northwind", "wingtip", "tailspin", "lumen", "orbit", "kestrel", "quokka", "saffron", "ferro", "alder"]
TLD = ["example.com", "example.net", "example.org", "example.io", "example.de", "example.co.uk", "example.com.br", "example.jp"]


def domain():
    return ch(COMPANY) + "." + ch(TLD)


def host():
    return ch(["api", "app", "www", "auth", "shop", "portal", "m", "id", "login", "gw", "checkout", "admin"]) + "." + domain()


UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.92",
    "curl/8.5.0", "curl/7.81.0", "python-requests/2.31.0", "Go-http-client/2.0", "okhttp/4.12.0", "axios/1.6.8",
    "PostmanRuntime/7.37.3", "Apache-HttpClient/4.5.14 (Java/17.0.10)", "Dalvik/2.1.0 (Linux; U; Android 13; SM-A536B Build/TP1A.220624.014)",
    "ShopApp/5.12.3 (iPhone; iOS 17.4.1; Scale/3.00)", "ShopApp/5.12.1 CFNetwork/1494.0.7 Darwin/23.4.0",
    "Wget/1.21.4", "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64",
]
BOT_UAS = ["kube-probe/1.29", "ELB-HealthChecker/2.0", "GoogleHC/1.0", "Prometheus/2.51.1", "Blackbox Exporter/0.25.0",
           "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Consul Health Check", "HAProxy-healthcheck"]


def ua():
    return ch(UAS)


def semver():
    return "%d.%d.%d" % (ri(0, 9), ri(0, 30), ri(0, 40))


def gitsha():
    return hx(40)


def trace_id():
    return hx(32)


def span_id():
    return hx(16)


def req_id_b64():
    return rs(ri(18, 22), AL)


def etag():
    return ch(['"%s"' % hx(32), 'W/"%x-%s"' % (ri(100, 99999), rs(27, B64U)), '"%s-%d"' % (hx(32), ri(2, 40))])


def sha256hex():
    return hx(64)


def luhn_digit(num):
    s = 0
    for i, d in enumerate(reversed(num)):
        d = int(d)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return str((10 - s % 10) % 10)


def luhn_ok(num):
    return luhn_digit(num[:-1]) == num[-1]


def order_number_fail_luhn():
    while True:
        n = str(ri(1, 9)) + rs(15, DIG)
        if not luhn_ok(n):
            return n


def isbn13():
    b = "978" + rs(9, DIG)
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(b))
    return b + str((10 - s % 10) % 10)


# =====================================================================================
# Personal data (all random)
# =====================================================================================
FIRST = {
    "en": ["james", "olivia", "liam", "emma", "noah", "ava", "mason", "sophia", "ethan", "mia", "grace", "henry", "chloe", "jack"],
    "es": ["lucia", "mateo", "sofia", "hugo", "valeria", "alejandro", "carmen", "javier", "paula", "diego"],
    "pt": ["joao", "ana", "pedro", "beatriz", "lucas", "mariana", "gabriel", "larissa", "rafael", "camila"],
    "de": ["lukas", "lena", "jonas", "hannah", "felix", "lea", "maximilian", "anna", "paul", "marie"],
    "fr": ["louis", "chloe", "gabriel", "manon", "arthur", "camille", "jules", "ines", "hugo", "lea"],
    "ja": ["haruto", "yui", "sota", "hina", "yuto", "aoi", "riku", "sakura", "ren", "mei"],
    "ru": ["ivan", "anastasia", "dmitry", "maria", "alexei", "ekaterina", "sergey", "olga", "nikita", "daria"],
    "tr": ["mehmet", "elif", "mustafa", "zeynep", "emir", "ayse", "yusuf", "defne", "omer", "ecrin"],
    "id": ["budi", "siti", "agus", "dewi", "rizky", "putri", "andi", "nur", "fajar", "ayu"],
}
LAST = {
    "en": ["smith", "johnson", "brown", "taylor", "wilson", "davies", "evans", "walker", "hughes", "clarke"],
    "es": ["garcia", "martinez", "lopez", "sanchez", "perez", "gomez", "fernandez", "ruiz", "diaz", "moreno"],
    "pt": ["silva", "santos", "oliveira", "souza", "pereira", "costa", "rodrigues", "almeida", "nascimento", "lima"],
    "de": ["mueller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "hoffmann", "koch"],
    "fr": ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy", "moreau"],
    "ja": ["sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "yamamoto", "nakamura", "kobayashi", "kato"],
    "ru": ["ivanov", "smirnov", "kuznetsov", "popov", "vasiliev", "petrov", "sokolov", "mikhailov", "fedorov", "morozov"],
    "tr": ["yilmaz", "kaya", "demir", "sahin", "celik", "yildiz", "yildirim", "ozturk", "aydin", "ozdemir"],
    "id": ["santoso", "wijaya", "saputra", "hidayat", "nugroho", "kusuma", "pratama", "setiawan", "lestari", "siregar"],
}
MAILDOM = {
    "en": ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "example.com", "mail.example.org"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "correo.example.es"],
    "pt": ["gmail.com", "uol.com.br", "bol.com.br", "hotmail.com", "example.com.br"],
    "de": ["gmx.de", "web.de", "t-online.de", "posteo.de", "example.de"],
    "fr": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "example.fr"],
    "ja": ["yahoo.co.jp", "docomo.ne.jp", "gmail.com", "example.jp"],
    "ru": ["mail.ru", "yandex.ru", "rambler.ru", "example.ru"],
    "tr": ["gmail.com", "hotmail.com.tr", "yandex.com.tr", "example.com.tr"],
    "id": ["gmail.com", "yahoo.co.id", "example.co.id"],
}
LANGS = list(FIRST)


def person(lang=None):
    lang = lang or ch(LANGS)
    return lang, ch(FIRST[lang]), ch(LAST[lang])


def email(lang=None):
    lang, f, l = person(lang)
    style = ri(0, 5)
    if style == 0:
        loc = "%s.%s" % (f, l)
    elif style == 1:
        loc = "%s%s%d" % (f[0], l, ri(1, 99))
    elif style == 2:
        loc = "%s_%s%d" % (f, l, ri(1960, 2005))
    elif style == 3:
        loc = "%s.%s+%s" % (f, l, ch(["news", "shop", "work", "test", "billing"]))
    elif style == 4:
        loc = "%s%s" % (f, rs(ri(2, 4), DIG))
    else:
        loc = "%s-%s" % (f, l)
    return loc + "@" + ch(MAILDOM[lang])


def phone(cc=None, style=None):
    cc = cc or ch(["us", "uk", "de", "fr", "es", "br", "jp", "ru", "tr", "id", "in", "mx", "au", "pt"])
    st = style if style is not None else ri(0, 1)
    d = lambda n: rs(n, DIG)
    if cc == "us":
        n = "01%02d" % ri(0, 99)
        a = ch(["212", "415", "312", "617", "206", "512"])
        return ["+1 %s-555-%s" % (a, n), "(%s) 555-%s" % (a, n), "+1%s555%s" % (a, n)][ri(0, 2)]
    if cc == "uk":
        n = "%03d" % ri(0, 999)
        return ["+44 7700 900%s" % n, "07700 900%s" % n, "+447700900%s" % n][ri(0, 2)]
    if cc == "de":
        p = ch(["151", "160", "170", "176", "157"])
        return ["+49 %s %s" % (p, d(8)), "0%s %s" % (p, d(8)), "+49 (0)%s-%s" % (p, d(7)), "0%s/%s" % (p, d(7))][ri(0, 3)]
    if cc == "fr":
        x = [d(2) for _ in range(4)]
        p = ch(["6", "7"])
        return ["+33 %s %s" % (p, " ".join(x)), "0%s %s" % (p, " ".join(x)), "0%s.%s" % (p, ".".join(x)), "+33%s%s" % (p, "".join(x))][ri(0, 3)]
    if cc == "es":
        p = ch(["6", "7"])
        return ["+34 %s%s %s %s" % (p, d(2), d(3), d(3)), "%s%s %s %s %s" % (p, d(2), d(2), d(2), d(2)), "+34%s%s" % (p, d(8))][ri(0, 2)]
    if cc == "br":
        a = ch(["11", "21", "31", "41", "51", "61", "71", "81"])
        return ["+55 %s 9%s-%s" % (a, d(4), d(4)), "(%s) 9%s-%s" % (a, d(4), d(4)), "+55%s9%s" % (a, d(8))][ri(0, 2)]
    if cc == "jp":
        p = ch(["090", "080", "070"])
        return ["%s-%s-%s" % (p, d(4), d(4)), "+81 %s-%s-%s" % (p[1:], d(4), d(4)), "%s%s" % (p, d(8))][ri(0, 2)]
    if cc == "ru":
        a = "9" + d(2)
        return ["+7 %s %s-%s-%s" % (a, d(3), d(2), d(2)), "8 (%s) %s-%s-%s" % (a, d(3), d(2), d(2)), "+7%s%s" % (a, d(7))][ri(0, 2)]
    if cc == "tr":
        a = "5" + d(2)
        return ["+90 %s %s %s %s" % (a, d(3), d(2), d(2)), "0%s %s %s %s" % (a, d(3), d(2), d(2)), "0 (%s) %s %s %s" % (a, d(3), d(2), d(2))][ri(0, 2)]
    if cc == "id":
        a = "8" + ch(["12", "13", "21", "52", "57", "77"])
        return ["+62 %s-%s-%s" % (a, d(4), d(4)), "0%s-%s-%s" % (a, d(4), d(4)), "+62%s%s" % (a, d(8))][ri(0, 2)]
    if cc == "in":
        return ["+91 %s %s" % ("9" + d(4), d(5)), "0%s %s" % ("9" + d(4), d(5)), "+91%s" % ("9" + d(9))][ri(0, 2)]
    if cc == "mx":
        return ["+52 55 %s %s" % (d(4), d(4)), "+52 1 33 %s %s" % (d(4), d(4)), "55 %s %s" % (d(4), d(4))][ri(0, 2)]
    if cc == "au":
        n = "%03d" % ri(6, 999)
        return ["+61 491 570 %s" % n, "0491 570 %s" % n, "+61491570%s" % n][ri(0, 2)]
    if cc == "pt":
        return ["+351 9%s %s %s" % (d(2), d(3), d(3)), "9%s %s %s" % (d(2), d(3), d(3))][ri(0, 1)]
    raise ValueError(cc)


def e164(cc=None):
    p = phone(cc)
    return "+" + re.sub(r"\D", "", p) if p.startswith("+") else None


def phone_e164():
    while True:
        p = phone()
        if p.startswith("+"):
            return "+" + re.sub(r"\D", "", p)


def dob_date():
    return datetime(ri(1948, 2006), ri(1, 12), ri(1, 28))


def dob(style=None):
    d = dob_date()
    st = style if style is not None else ri(0, 4)
    return [d.strftime("%Y-%m-%d"), d.strftime("%d/%m/%Y"), d.strftime("%m/%d/%Y"), d.strftime("%d.%m.%Y"),
            "%s %d, %d" % (["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                            "November", "December"][d.month - 1], d.day, d.year)][st]


STREETS = {
    "us": lambda: "%d %s %s, %s, %s %05d" % (ri(10, 9999), ch(["Maple", "Oak", "Cedar", "Pine", "Elm", "Lakeview", "Hillcrest"]),
                                           ch(["Ave", "St", "Dr", "Ln", "Blvd", "Ct"]), ch(["Springfield", "Riverside", "Franklin", "Greenville", "Fairview"]),
                                           ch(["IL", "CA", "TX", "OH", "WA", "NY"]), ri(10000, 99950)),
    "uk": lambda: "%d %s %s, %s %s%d %d%s" % (ri(1, 220), ch(["Acacia", "Station", "Church", "Victoria", "Mill"]), ch(["Road", "Street", "Lane", "Avenue"]),
                                             ch(["Leeds", "Bristol", "Manchester", "York"]), ch(["LS", "BS", "M", "YO"]), ri(1, 20), ri(1, 9), rs(2, "ABDEFGHJLNPQRSTUWXYZ")),
    "de": lambda: "%s %d, %05d %s" % (ch(["Lindenstraße", "Hauptstraße", "Gartenweg", "Schillerstraße", "Bahnhofstraße", "Am Mühlbach"]), ri(1, 180),
                                      ri(10115, 99998), ch(["Berlin", "München", "Köln", "Hamburg", "Leipzig"])),
    "fr": lambda: "%d %s, %05d %s" % (ri(1, 150), ch(["rue des Lilas", "avenue Jean Jaurès", "boulevard Voltaire", "rue de la Paix", "impasse des Acacias"]),
                                      ri(10000, 95999), ch(["Lyon", "Paris", "Marseille", "Toulouse", "Nantes"])),
    "es": lambda: "%s %d, %dº %s, %05d %s" % (ch(["Calle Mayor", "Avenida de América", "Calle del Sol", "Paseo de Gracia"]), ri(1, 200), ri(1, 9),
                                              ch("ABCD"), ri(28001, 46999), ch(["Madrid", "Valencia", "Sevilla", "Barcelona"])),
    "pt": lambda: "Rua %s, %d, apto %d - %s, %s - %s, %05d-%03d" % (ch(["das Flores", "Augusta", "XV de Novembro", "do Ouvidor"]), ri(10, 3000), ri(11, 190),
                                                                  ch(["Pinheiros", "Centro", "Copacabana", "Savassi"]), ch(["São Paulo", "Rio de Janeiro", "Belo Horizonte"]),
                                                                  ch(["SP", "RJ", "MG"]), ri(1000, 99999), ri(0, 999)),
    "ja": lambda: "%s%s%d-%d-%d" % (ch(["東京都世田谷区", "大阪府大阪市北区", "神奈川県横浜市中区", "愛知県名古屋市中区"]), ch(["太子堂", "梅田", "山下町", "栄"]), ri(1, 5), ri(1, 30), ri(1, 20)),
    "ru": lambda: "ул. %s, д. %d, кв. %d, %s, %06d" % (ch(["Ленина", "Пушкина", "Гагарина", "Садовая"]), ri(1, 120), ri(1, 300), ch(["Москва", "Казань", "Новосибирск"]), ri(101000, 630000)),
    "tr": lambda: "%s No:%d D:%d, %s %05d" % (ch(["Atatürk Cad.", "Bağdat Cad.", "Cumhuriyet Mah. Gül Sok.", "İstiklal Cad."]), ri(1, 200), ri(1, 30),
                                             ch(["Kadıköy/İstanbul", "Çankaya/Ankara", "Konak/İzmir"]), ri(1000, 81999)),
    "id": lambda: "Jl. %s No. %d, RT %02d/RW %02d, %s %05d" % (ch(["Merdeka", "Sudirman", "Diponegoro", "Gatot Subroto"]), ri(1, 300), ri(1, 15), ri(1, 12),
                                                            ch(["Bandung", "Jakarta Selatan", "Surabaya", "Yogyakarta"]), ri(10110, 99999)),
}


def address(cc=None):
    return STREETS[cc or ch(list(STREETS))]()


def card(brand=None, fmt=None):
    brand = brand or ch(["visa", "visa", "mc", "mc", "amex", "discover"])
    if brand == "visa":
        body = "4" + rs(14, DIG)
    elif brand == "mc":
        body = ch(["51", "52", "53", "54", "55", "2221", "2720"]) + ""
        body += rs(15 - len(body), DIG)
    elif brand == "amex":
        body = ch(["34", "37"]) + rs(12, DIG)
    else:
        body = "6011" + rs(11, DIG)
    n = body + luhn_digit(body)
    f = fmt if fmt is not None else ri(0, 2)
    if f == 1:
        if len(n) == 15:
            return "%s %s %s" % (n[:4], n[4:10], n[10:])
        return " ".join(n[i:i + 4] for i in range(0, 16, 4))
    if f == 2 and len(n) == 16:
        return "-".join(n[i:i + 4] for i in range(0, 16, 4))
    return n


IBAN_SPEC = {"DE": [("n", 18)], "FR": [("n", 23)], "ES": [("n", 20)], "NL": [("a", 4), ("n", 10)], "GB": [("a", 4), ("n", 14)],
             "IT": [("a", 1), ("n", 22)], "PT": [("n", 21)], "TR": [("n", 5), ("z", 1), ("n", 16)], "BE": [("n", 12)], "AT": [("n", 16)]}


def iban(cc=None, spaced=None):
    cc = cc or ch(list(IBAN_SPEC))
    bban = ""
    for t, n in IBAN_SPEC[cc]:
        bban += rs(n, UP) if t == "a" else ("0" * n if t == "z" else rs(n, DIG))
    num = "".join(str(int(c, 36)) for c in bban + cc + "00")
    chk = 98 - int(num) % 97
    s = "%s%02d%s" % (cc, chk, bban)
    if spaced if spaced is not None else chance(0.5):
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def ssn(dashes=True):
    while True:
        a = ri(1, 899)
        if a != 666:
            break
    s = "%03d%02d%04d" % (a, ri(1, 99), ri(1, 9999))
    return "%s-%s-%s" % (s[:3], s[3:5], s[5:]) if dashes else s


def nino(spaced=None):
    a = ch("ABCEGHJKLMNOPRSTWXYZ")
    b = ch("ABCEGHJKLMNPRSTWXYZ")
    while a + b in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
        b = ch("ABCEGHJKLMNPRSTWXYZ")
    d = rs(6, DIG)
    s = ch("ABCD")
    if spaced if spaced is not None else chance(0.5):
        return "%s%s %s %s %s %s" % (a, b, d[:2], d[2:4], d[4:], s)
    return a + b + d + s


def cpf(fmt=True):
    n = [ri(0, 9) for _ in range(9)]
    for L in (10, 11):
        s = sum(v * w for v, w in zip(n, range(L, 1, -1)))
        d = (s * 10) % 11
        n.append(0 if d == 10 else d)
    s = "".join(map(str, n))
    return "%s.%s.%s-%s" % (s[:3], s[3:6], s[6:9], s[9:]) if fmt else s


def dni():
    n = ri(10000000, 99999999)
    return "%d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23])


def tckn():
    d = [ri(1, 9)] + [ri(0, 9) for _ in range(8)]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d.append(d10)
    d.append(sum(d) % 10)
    return "".join(map(str, d))


def nik():
    dd = ri(1, 28) + (40 if chance(0.5) else 0)
    return "%02d%02d%02d%02d%02d%02d%04d" % (ri(11, 94), ri(1, 79), ri(1, 40), dd, ri(1, 12), ri(60, 99), ri(1, 9999))


def nir():
    body = "%d%02d%02d%02d%03d%03d" % (ri(1, 2), ri(50, 99), ri(1, 12), ri(1, 95), ri(1, 990), ri(1, 999))
    key = 97 - int(body) % 97
    return "%s %s %s %s %s %s %02d" % (body[0], body[1:3], body[3:5], body[5:7], body[7:10], body[10:13], key)


def snils():
    n = [ri(0, 9) for _ in range(9)]
    s = sum(v * (9 - i) for i, v in enumerate(n))
    c = s % 101
    c = 0 if c == 100 else c
    t = "".join(map(str, n))
    return "%s-%s-%s %02d" % (t[:3], t[3:6], t[6:9], c)


def national_id(cc=None):
    cc = cc or ch(["br", "es", "tr", "id", "fr", "ru"])
    return {"br": cpf, "es": dni, "tr": tckn, "id": nik, "fr": nir, "ru": snils}[cc]()


def passport():
    return ch([lambda: rs(2, UP) + rs(7, DIG), lambda: "C" + rs(8, UPDIG.replace("O", "")), lambda: rs(9, DIG)])()


# =====================================================================================
# Credentials
# =====================================================================================
WORDS = ["tiger", "maple", "rocket", "violet", "harbor", "copper", "falcon", "meadow", "winter", "summer", "dragon", "sunset",
         "pepper", "orange", "silver", "garden", "castle", "python", "jaguar", "coffee", "monkey", "shadow", "thunder", "river",
         "lemon", "anchor", "comet", "marble", "velvet", "nectar", "kayak", "zebra", "quartz", "bamboo", "cobalt", "ember"]
NONASCII_PW = ["Contraseña", "Senha", "Passwört", "Mötdepasse", "Şifre", "Sandı", "Пароль", "пароль", "Coração", "Müller", "Ñandú", "Kennwört"]
SYM = "!@#$%^&*-_+=~.?"


def password(kind=None):
    k = kind if kind is not None else ri(0, 6)
    if k == 0:
        return ch(WORDS).capitalize() + ch(WORDS) + str(ri(1, 2025)) + ch(SYM)
    if k == 1:
        return rs(ri(12, 20), AL + SYM)
    if k == 2:
        return "-".join(ch(WORDS) for _ in range(ri(3, 4))) + str(ri(1, 99))
    if k == 3:
        return ch(NONASCII_PW) + str(ri(10, 9999)) + ch(SYM)
    if k == 4:
        return ch(WORDS).capitalize() + ch(SYM) + str(ri(1980, 2025))
    if k == 5:
        return rs(ri(8, 11), AL) + rs(2, DIG) + ch(SYM)
    return ch(WORDS) + ch(WORDS).capitalize() + rs(3, DIG)


def password_simple():
    """No characters that change under URL/form encoding (for contexts where encoding is ambiguous)."""
    return ch([lambda: ch(WORDS).capitalize() + ch(WORDS) + str(ri(10, 2025)) + ch("-_.~"),
               lambda: rs(ri(12, 18), AL), lambda: ch(WORDS).capitalize() + "_" + rs(6, AL) + str(ri(10, 99))])()


def pw_hash():
    k = ri(0, 6)
    if k == 0:
        return "$2%s$%02d$%s" % (ch("aby"), ch([10, 11, 12]), rs(53, "./" + AL))
    if k == 1:
        return "$argon2id$v=19$m=65536,t=3,p=4$%s$%s" % (b64(rbytes(16)).rstrip("="), b64(rbytes(32)).rstrip("="))
    if k == 2:
        return "md5" + hx(32)
    if k == 3:
        return "SCRAM-SHA-256$4096:%s$%s:%s" % (b64(rbytes(16)), b64(rbytes(32)), b64(rbytes(32)))
    if k == 4:
        return "*" + rs(40, HEXU)
    if k == 5:
        return "$6$%s$%s" % (rs(16, "./" + AL), rs(86, "./" + AL))
    return "pbkdf2_sha256$%d$%s$%s" % (ch([600000, 720000, 870000]), rs(22, AL), b64(rbytes(32)))


def jwt(claims=None, alg=None, kid=True):
    alg = alg or ch(["RS256", "RS256", "HS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if kid and alg != "HS256":
        hdr["kid"] = rs(ri(20, 43), B64U)
    now = ri(1704700000, 1761900000)
    pl = {"sub": ch([uuid4(), "auth0|" + hx(24), str(ri(10000, 99999999))]), "iat": now, "exp": now + ch([300, 900, 3600, 86400])}
    if chance(0.6):
        pl["iss"] = "https://" + ch(["auth.", "login.", "id.", "accounts."]) + domain() + "/"
    if chance(0.5):
        pl["email"] = email()
    if chance(0.4):
        pl["scope"] = ch(["openid profile email", "read:orders write:orders", "offline_access api"])
    if claims:
        pl.update(claims)
    sig_len = {"RS256": 342, "HS256": 43, "ES256": 86}[alg]
    return "%s.%s.%s" % (b64u(json.dumps(hdr, separators=(",", ":")).encode()), b64u(json.dumps(pl, separators=(",", ":")).encode()),
                         rs(sig_len, B64U))


def aws_akid(temp=False):
    return ("ASIA" if temp else "AKIA") + rs(16, UP + "234567")


def aws_secret():
    return rs(40, AL + "+/")


def aws_session():
    return "IQoJb3JpZ2luX2VjE" + rs(ri(300, 420), AL + "+/") + ch(["", "=", "=="])


def session_cookie(name=None):
    name = name or ch(["PHPSESSID", "JSESSIONID", "connect.sid", "sessionid", "_session_id", "laravel_session", "ASP.NET_SessionId",
                       "__Host-session", "_gitlab_session", "SESSION", "sid", "_app_session", "session"])
    v = {
        "PHPSESSID": lambda: rs(ch([26, 32]), LOW[:22] + DIG),
        "JSESSIONID": lambda: rs(32, HEXU) + ch(["", ".node0", ".worker1"]),
        "connect.sid": lambda: "s%3A" + rs(32, B64U) + "." + rs(43, AL + "%"),
        "sessionid": lambda: rs(32, LOWDIG),
        "_session_id": lambda: hx(32),
        "laravel_session": lambda: "eyJpdiI6" + rs(ri(240, 300), AL) + "%3D%3D",
        "ASP.NET_SessionId": lambda: rs(24, "abcdefghijklmnopqrstuvwxyz012345"),
        "__Host-session": lambda: rs(43, B64U),
        "_gitlab_session": lambda: hx(32),
        "SESSION": lambda: b64(uuid4().encode()),
        "sid": lambda: rs(ri(24, 40), B64U),
        "_app_session": lambda: rs(ri(120, 200), AL + "%") + "--" + hx(40),
        "session": lambda: "eyJ" + rs(ri(40, 80), B64U) + "." + rs(6, B64U) + "." + rs(27, B64U),
    }[name]()
    return name, v


def csrf_token():
    return ch([lambda: rs(64, AL), lambda: rs(ri(86, 88), AL + "+/") + "==", lambda: rs(43, B64U), lambda: hx(40)])()


def reset_token():
    return ch([lambda: hx(ri(40, 64)), lambda: rs(ri(32, 48), B64U), lambda: "%s-%s" % (rs(ri(2, 4), LOWDIG), rs(32, HEX))])()


def auth_code():
    return ch([lambda: "4/0A" + rs(ri(70, 80), B64U), lambda: hx(20), lambda: rs(ri(32, 43), B64U), lambda: uuid4() + "." + uuid4()])()


def access_token():
    return ch([lambda: "ya29.a0" + rs(ri(150, 220), B64U), lambda: rs(ri(32, 64), B64U), lambda: "EwB" + rs(ri(150, 200), AL + "+/") + "="])()


def refresh_token():
    return ch([lambda: "1//0" + rs(ri(90, 100), B64U), lambda: "v1." + rs(ri(120, 150), B64U), lambda: rs(ri(40, 64), AL),
               lambda: "AMf-vB" + rs(ri(230, 280), B64U)])()


def opaque_token(n=None):
    return rs(n or ri(32, 48), B64U)


def client_secret():
    return ch([lambda: "GOCSPX-" + rs(28, B64U), lambda: rs(ri(40, 64), B64U), lambda: hx(ri(32, 40))])()


def otp():
    return "%06d" % ri(0, 999999)


def pem_lines(n=None):
    n = n or ri(2, 4)
    return [rs(64, AL + "+/") for _ in range(n)]


def pem_block(kind="PRIVATE KEY", sep="\n", n=None, label="private_key"):
    """PEM text with each base64 body line labelled separately; sep is the line separator as it appears."""
    lines = pem_lines(n)
    last = rs(ri(8, 60), AL + "+/") + ch(["", "=", "=="])
    body = [S(l, label) for l in lines] + ([S(last, label)] if len(last) >= 6 else [last])
    return X("-----BEGIN ", kind, "-----", sep, JOIN(sep, body), sep, "-----END ", kind, "-----", sep)


OPENSSH_ED25519_FIRST = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"


def openssh_block(sep="\n"):
    """OpenSSH ed25519 key: the first body line is the same in every such key and is left unlabelled."""
    body = [OPENSSH_ED25519_FIRST] + [S(rs(70, AL + "+/"), "ssh_private_key") for _ in range(3)] + [S(rs(ri(20, 40), AL + "+/") + "=", "ssh_private_key")]
    return X("-----BEGIN OPENSSH PRIVATE KEY-----", sep, JOIN(sep, body), sep, "-----END OPENSSH PRIVATE KEY-----", sep)


# =====================================================================================
# Vendor tokens: formats from gitleaks' default config, Nosey Parker and TruffleHog rules
# and vendor documentation. Bodies are random.
# (name, generator, env var, header template or None)   header template uses {t}
# =====================================================================================
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
VENDORS = [
    ("github", lambda: ch(["ghp_", "gho_", "ghu_", "ghs_"]) + rs(36), "GITHUB_TOKEN", "Authorization: token {t}"),
    ("github_fg", lambda: "github_pat_" + rs(22) + "_" + rs(59), "GH_TOKEN", "Authorization: Bearer {t}"),
    ("gitlab", lambda: ch(["glpat-" + rs(20, B64U), "glptt-" + hx(40), "glrt-" + rs(20, B64U), "gldt-" + rs(20, B64U)]), "GITLAB_TOKEN", "PRIVATE-TOKEN: {t}"),
    ("slack", lambda: "xox%s-%d-%d-%s" % (ch("bp"), ri(10 ** 10, 10 ** 12), ri(10 ** 10, 10 ** 12), rs(24)), "SLACK_BOT_TOKEN", "Authorization: Bearer {t}"),
    ("stripe", lambda: ch(["sk_live_", "rk_live_", "sk_test_"]) + rs(ch([24, 99])), "STRIPE_SECRET_KEY", "Authorization: Bearer {t}"),
    ("google", lambda: "AIza" + rs(35, B64U), "GOOGLE_API_KEY", "X-Goog-Api-Key: {t}"),
    ("openai", lambda: "sk-proj-" + rs(74, B64U) + "T3BlbkFJ" + rs(74, B64U), "OPENAI_API_KEY", "Authorization: Bearer {t}"),
    ("anthropic", lambda: "sk-ant-api03-" + rs(93, B64U) + "AA", "ANTHROPIC_API_KEY", "x-api-key: {t}"),
    ("sendgrid", lambda: "SG." + rs(22, B64U) + "." + rs(43, B64U), "SENDGRID_API_KEY", "Authorization: Bearer {t}"),
    ("twilio", lambda: "SK" + hx(32), "TWILIO_API_KEY_SECRET", None),
    ("mailgun", lambda: "key-" + hx(32), "MAILGUN_API_KEY", None),
    ("mailchimp", lambda: hx(32) + "-us" + str(ri(1, 21)), "MAILCHIMP_API_KEY", None),
    ("shopify", lambda: ch(["shpat_", "shpca_", "shppa_"]) + hx(32), "SHOPIFY_ACCESS_TOKEN", "X-Shopify-Access-Token: {t}"),
    ("digitalocean", lambda: "dop_v1_" + hx(64), "DIGITALOCEAN_TOKEN", "Authorization: Bearer {t}"),
    ("npm", lambda: "npm_" + rs(36), "NPM_TOKEN", "Authorization: Bearer {t}"),
    ("pypi", lambda: "pypi-AgEIcHlwaS5vcmc" + rs(ri(60, 140), B64U), "TWINE_PASSWORD", None),
    ("databricks", lambda: "dapi" + hx(32), "DATABRICKS_TOKEN", "Authorization: Bearer {t}"),
    ("doppler", lambda: "dp.pt." + rs(43), "DOPPLER_TOKEN", "Authorization: Bearer {t}"),
    ("dynatrace", lambda: "dt0c01." + rs(24, UPDIG) + "." + rs(64, UPDIG), "DT_API_TOKEN", "Authorization: Api-Token {t}"),
    ("easypost", lambda: "EZAK" + rs(54), "EASYPOST_API_KEY", None),
    ("flutterwave", lambda: "FLWSECK_TEST-" + hx(32) + "-X", "FLW_SECRET_KEY", "Authorization: Bearer {t}"),
    ("flyio", lambda: "fo1_" + rs(43, B64U), "FLY_API_TOKEN", "Authorization: Bearer {t}"),
    ("frameio", lambda: "fio-u-" + rs(64, B64U), "FRAMEIO_TOKEN", "Authorization: Bearer {t}"),
    ("grafana", lambda: "glsa_" + rs(32) + "_" + hx(8), "GRAFANA_SA_TOKEN", "Authorization: Bearer {t}"),
    ("harness", lambda: "pat." + rs(22, B64U) + "." + rs(24) + "." + rs(20), "HARNESS_API_KEY", "x-api-key: {t}"),
    ("terraform", lambda: rs(14, LOWDIG) + ".atlasv1." + rs(ri(60, 70), B64U), "TFE_TOKEN", "Authorization: Bearer {t}"),
    ("heroku", lambda: "HRKU-AA" + rs(58, B64U), "HEROKU_API_KEY", "Authorization: Bearer {t}"),
    ("huggingface", lambda: "hf_" + rs(34, string.ascii_letters), "HF_TOKEN", "Authorization: Bearer {t}"),
    ("infracost", lambda: "ico-" + rs(32), "INFRACOST_API_KEY", "X-Api-Key: {t}"),
    ("linear", lambda: "lin_api_" + rs(40), "LINEAR_API_KEY", "Authorization: {t}"),
    ("notion", lambda: "ntn_" + rs(11, DIG) + rs(35), "NOTION_TOKEN", "Authorization: Bearer {t}"),
    ("octopus", lambda: "API-" + rs(26, UPDIG), "OCTOPUS_API_KEY", "X-Octopus-ApiKey: {t}"),
    ("openshift", lambda: "sha256~" + rs(43, B64U), "OPENSHIFT_TOKEN", "Authorization: Bearer {t}"),
    ("perplexity", lambda: "pplx-" + rs(48), "PERPLEXITY_API_KEY", "Authorization: Bearer {t}"),
    ("planetscale", lambda: ch(["pscale_tkn_", "pscale_pw_"]) + rs(43, B64U), "PLANETSCALE_SERVICE_TOKEN", None),
    ("postman", lambda: "PMAK-" + hx(24) + "-" + hx(34), "POSTMAN_API_KEY", "X-Api-Key: {t}"),
    ("prefect", lambda: "pnu_" + rs(36), "PREFECT_API_KEY", "Authorization: Bearer {t}"),
    ("pulumi", lambda: "pul-" + hx(40), "PULUMI_ACCESS_TOKEN", "Authorization: token {t}"),
    ("readme", lambda: "rdme_" + rs(70, LOWDIG), "README_API_KEY", None),
    ("rubygems", lambda: "rubygems_" + hx(48), "GEM_HOST_API_KEY", "Authorization: {t}"),
    ("scalingo", lambda: "tk-us-" + rs(48, B64U), "SCALINGO_API_TOKEN", None),
    ("brevo", lambda: "xkeysib-" + hx(64) + "-" + rs(16), "BREVO_API_KEY", "api-key: {t}"),
    ("sentry", lambda: "sntryu_" + hx(64), "SENTRY_AUTH_TOKEN", "Authorization: Bearer {t}"),
    ("settlemint", lambda: "sm_pat_" + rs(16), "SETTLEMINT_ACCESS_TOKEN", None),
    ("shippo", lambda: "shippo_live_" + hx(40), "SHIPPO_API_TOKEN", "Authorization: ShippoToken {t}"),
    ("square", lambda: "EAAA" + rs(60, B64U), "SQUARE_ACCESS_TOKEN", "Authorization: Bearer {t}"),
    ("typeform", lambda: "tfp_" + rs(59, B64U), "TYPEFORM_TOKEN", "Authorization: Bearer {t}"),
    ("vault", lambda: "hvs." + rs(ri(90, 110), B64U), "VAULT_TOKEN", "X-Vault-Token: {t}"),
    ("yandex", lambda: "AQVN" + rs(ri(35, 38), B64U), "YC_API_KEY", "Authorization: Api-Key {t}"),
    ("alibaba", lambda: "LTAI" + rs(20), "ALIBABA_CLOUD_ACCESS_KEY_ID", None),
    ("age", lambda: "AGE-SECRET-KEY-1" + rs(58, BECH.upper()), "SOPS_AGE_KEY", None),
    ("artifactory", lambda: "AKCp" + rs(69), "ARTIFACTORY_API_KEY", "X-JFrog-Art-Api: {t}"),
    ("clickhouse", lambda: "4b1d" + rs(38), "CLICKHOUSE_SECRET_KEY", None),
    ("adobe", lambda: "p8e-" + rs(32), "ADOBE_CLIENT_SECRET", None),
    ("atlassian", lambda: "ATATT3" + rs(186, AL + "-_="), "JIRA_API_TOKEN", None),
    ("azure_ad", lambda: rs(3, AL + "_~.") + str(ri(0, 9)) + "Q~" + rs(34, AL + "_~.-"), "AZURE_CLIENT_SECRET", None),
    ("cloudflare", lambda: rs(40, B64U), "CLOUDFLARE_API_TOKEN", "Authorization: Bearer {t}"),
    ("telegram", lambda: "%d:AA%s" % (ri(10 ** 8, 10 ** 10 - 1), rs(33, B64U)), "TELEGRAM_BOT_TOKEN", None),
    ("beamer", lambda: "b_" + rs(44, B64U), "BEAMER_API_KEY", "Beamer-Api-Key: {t}"),
    ("duffel", lambda: "duffel_live_" + rs(43, B64U), "DUFFEL_ACCESS_TOKEN", "Authorization: Bearer {t}"),
    ("maxmind", lambda: rs(6) + "_" + rs(29) + "_mmk", "MAXMIND_LICENSE_KEY", None),
    ("lob", lambda: "live_" + hx(35), "LOB_API_KEY", None),
    ("newrelic", lambda: ch(["NRAK-" + rs(27, UPDIG), "NRII-" + rs(32, B64U)]), "NEW_RELIC_API_KEY", "Api-Key: {t}"),
    ("gocardless", lambda: "live_" + rs(40, B64U), "GOCARDLESS_ACCESS_TOKEN", "Authorization: Bearer {t}"),
    ("intra42", lambda: "s-s4t2ud-" + hx(64), "FT_CLIENT_SECRET", None),
    ("sourcegraph", lambda: "sgp_" + hx(16) + "_" + hx(40), "SRC_ACCESS_TOKEN", "Authorization: token {t}"),
    ("twitter", lambda: "A" * 22 + rs(ri(80, 100), AL + "%"), "TWITTER_BEARER_TOKEN", "Authorization: Bearer {t}"),
    ("datadog", lambda: hx(32), "DD_API_KEY", "DD-API-KEY: {t}"),
    ("datadog_app", lambda: hx(40), "DD_APP_KEY", "DD-APPLICATION-KEY: {t}"),
    ("snyk", lambda: uuid4(), "SNYK_TOKEN", "Authorization: token {t}"),
    ("dropbox", lambda: "sl." + rs(135, B64U), "DROPBOX_ACCESS_TOKEN", "Authorization: Bearer {t}"),
    ("okta", lambda: "00" + rs(40, B64U), "OKTA_API_TOKEN", "Authorization: SSWS {t}"),
    ("contentful", lambda: "CFPAT-" + rs(43, B64U), "CONTENTFUL_MANAGEMENT_TOKEN", "Authorization: Bearer {t}"),
    ("airtable", lambda: "pat" + rs(14) + "." + hx(64), "AIRTABLE_TOKEN", "Authorization: Bearer {t}"),
    ("algolia", lambda: hx(32), "ALGOLIA_ADMIN_KEY", "X-Algolia-API-Key: {t}"),
    ("launchdarkly", lambda: ch(["sdk-", "api-"]) + uuid4(), "LD_SDK_KEY", "Authorization: {t}"),
    ("pagerduty", lambda: rs(20, AL + "_+-"), "PAGERDUTY_TOKEN", "Authorization: Token token={t}"),
    ("circleci", lambda: "CCIPAT_" + rs(22) + "_" + hx(40), "CIRCLE_TOKEN", "Circle-Token: {t}"),
    ("buildkite", lambda: "bkua_" + hx(40), "BUILDKITE_API_TOKEN", "Authorization: Bearer {t}"),
    ("bitbucket", lambda: "ATBB" + rs(32), "BITBUCKET_APP_PASSWORD", None),
    ("groq", lambda: "gsk_" + rs(52), "GROQ_API_KEY", "Authorization: Bearer {t}"),
    ("xai", lambda: "xai-" + rs(80), "XAI_API_KEY", "Authorization: Bearer {t}"),
    ("replicate", lambda: "r8_" + rs(37), "REPLICATE_API_TOKEN", "Authorization: Bearer {t}"),
    ("resend", lambda: "re_" + rs(8) + "_" + rs(24), "RESEND_API_KEY", "Authorization: Bearer {t}"),
    ("supabase", lambda: "sbp_" + hx(40), "SUPABASE_ACCESS_TOKEN", "Authorization: Bearer {t}"),
    ("tailscale", lambda: "tskey-auth-" + rs(ri(11, 12)) + "CNTRL-" + rs(33), "TS_AUTHKEY", None),
    ("netlify", lambda: "nfp_" + rs(36), "NETLIFY_AUTH_TOKEN", "Authorization: Bearer {t}"),
    ("deno", lambda: "ddp_" + rs(36), "DENO_DEPLOY_TOKEN", "Authorization: Bearer {t}"),
    ("render", lambda: "rnd_" + rs(32), "RENDER_API_KEY", "Authorization: Bearer {t}"),
    ("nvidia", lambda: "nvapi-" + rs(64, B64U), "NVIDIA_API_KEY", "Authorization: Bearer {t}"),
    ("openrouter", lambda: "sk-or-v1-" + hx(64), "OPENROUTER_API_KEY", "Authorization: Bearer {t}"),
    ("pinecone", lambda: "pcsk_" + rs(6) + "_" + rs(63), "PINECONE_API_KEY", "Api-Key: {t}"),
    ("langsmith", lambda: "lsv2_pt_" + hx(32) + "_" + hx(10), "LANGSMITH_API_KEY", "x-api-key: {t}"),
    ("firebase", lambda: "AAAA" + rs(7, B64U) + ":APA91b" + rs(134, B64U), "FCM_SERVER_KEY", "Authorization: key={t}"),
    ("mattermost", lambda: rs(26, LOWDIG), "MATTERMOST_TOKEN", None),
    ("sumologic", lambda: rs(64), "SUMO_ACCESS_KEY", None),
    ("coinbase", lambda: rs(64, B64U), "COINBASE_API_SECRET", None),
    ("postmark", lambda: uuid4(), "POSTMARK_SERVER_TOKEN", "X-Postmark-Server-Token: {t}"),
    ("segment", lambda: rs(32), "SEGMENT_WRITE_KEY", None),
    ("zendesk", lambda: rs(40), "ZENDESK_API_TOKEN", None),
    ("mapbox", lambda: "sk.eyJ1Ijoi" + rs(50, B64U) + "." + rs(22, B64U), "MAPBOX_SECRET_TOKEN", None),
    ("elastic", lambda: b64((rs(20, B64U) + ":" + rs(22, B64U)).encode()), "ELASTIC_API_KEY", "Authorization: ApiKey {t}"),
    ("azure_storage", lambda: b64(rbytes(64)), "AZURE_STORAGE_KEY", None),
    ("discord", lambda: rs(24, B64U) + "." + rs(6, B64U) + "." + rs(38, B64U), "DISCORD_BOT_TOKEN", "Authorization: Bot {t}"),
    ("fastly", lambda: rs(32, B64U), "FASTLY_API_TOKEN", "Fastly-Key: {t}"),
    ("vercel", lambda: rs(24), "VERCEL_TOKEN", "Authorization: Bearer {t}"),
    ("hubspot", lambda: "pat-na1-" + uuid4(), "HUBSPOT_ACCESS_TOKEN", "Authorization: Bearer {t}"),
    ("microsoft_teams", lambda: hx(32) + "/" + uuid4(), "TEAMS_WEBHOOK_SECRET", None),
]
URL_ONLY = {"microsoft_teams"}
# vendor name normalisation for kinds (github_fg -> github, datadog_app -> datadog, azure_* -> azure)
VKIND = {"github_fg": "github", "datadog_app": "datadog", "azure_ad": "azure", "azure_storage": "azure"}
VBY = {v[0]: v for v in VENDORS}
VUSE = {v[0]: 0 for v in VENDORS}      # labels in accepted records
VPENDING = []                          # vendors drawn for the record being built


def vkind(name):
    return "vendor:" + VKIND.get(name, name)


FORCE_VENDOR = []                      # used by the final top-up pass (each vendor at least 3 labels)


def pick_vendor(pred=None):
    if FORCE_VENDOR and (pred is None or pred(VBY[FORCE_VENDOR[0]])):
        v = VBY[FORCE_VENDOR.pop(0)]
        VPENDING.append(v[0])
        return v
    cands = [v for v in VENDORS if v[0] not in URL_ONLY and (pred is None or pred(v))]
    m = min(VUSE[v[0]] for v in cands)
    low = [v for v in cands if VUSE[v[0]] == m]
    v = ch(low)
    VPENDING.append(v[0])
    return v


def vtoken(name=None, pred=None):
    """Returns (vendor_tuple, token)."""
    v = VBY[name] if name else pick_vendor(pred)
    if name:
        VPENDING.append(name)
    return v, v[1]()


def vendor_header(pred=None):
    v, t = vtoken(pred=lambda x: x[3] is not None and (pred is None or pred(x)))
    h = v[3]
    name, rest = h.split(": ", 1)
    pre, post = rest.split("{t}")
    return name, X(pre, S(t, vkind(v[0])), post), v, t


def vendor_env(pred=None):
    v, t = vtoken(pred=pred)
    return v[2], S(t, vkind(v[0])), v, t


# =====================================================================================
# Common building blocks
# =====================================================================================
MASKS = ["****", "********", "[REDACTED]", "<redacted>", "REDACTED", "[FILTERED]", "***", "xxxxxxxx", "(hidden)", "[MASKED]"]
PLACEHOLDERS = ["${DB_PASSWORD}", "${API_TOKEN}", "$SECRET_KEY", "{{ secrets.NPM_TOKEN }}", "{{ .Values.db.password }}", "<your-api-key>",
                "<PASSWORD>", "%DB_PASS%", "${{ secrets.DEPLOY_KEY }}", "$(cat /run/secrets/db_password)", "vault:secret/data/prod/db#password"]


def masked_card():
    return ch(["**** **** **** %04d" % ri(0, 9999), "************%04d" % ri(0, 9999), "XXXX-XXXX-XXXX-%04d" % ri(0, 9999), "411111******%04d" % ri(0, 9999)])


def masked_email():
    e = email()
    loc, dom = e.split("@")
    return loc[0] + "***@" + dom[0] + "***." + dom.rsplit(".", 1)[1]


def masked_phone():
    return ch(["+44 **** ***%03d" % ri(0, 999), "+1 ***-***-%04d" % ri(0, 9999), "******%04d" % ri(0, 9999), "+49 *** ****%03d" % ri(0, 999)])


def b64_cursor():
    return b64(json.dumps(ch([{"offset": ri(20, 500)}, {"id": ri(1000, 99999)}, {"after": t_iso(rdt(), 0)}, {"page": ri(2, 40), "size": 50}]),
                          separators=(",", ":")).encode())


def pod_name(app=None):
    return "%s-%s-%s" % (app or ch(["api", "web", "worker", "auth", "checkout", "gateway"]), rs(ri(9, 10), "bcdfghjklmnpqrstvwxz2456789"),
                         rs(5, "bcdfghjklmnpqrstvwxz2456789"))


ROUTES = ["/v1/orders", "/v1/products", "/api/v2/search", "/v1/users/me", "/api/cart", "/v2/invoices", "/v1/shipments", "/api/catalog/items",
          "/v1/reports/daily", "/api/notifications", "/v1/subscriptions", "/graphql"]
STATIC = ["/static/js/main.%s.js" % hx(8), "/assets/app-%s.css" % hx(20), "/favicon.ico", "/robots.txt", "/img/logo.svg",
          "/static/media/hero.%s.webp" % hx(8), "/apple-touch-icon.png", "/_next/static/chunks/%s.js" % hx(16)]


def benign_path():
    """Returns F of a path+query with only keeps / neutral text."""
    k = ri(0, 9)
    if k == 0:
        return X(ch(ROUTES), "/", K(uuid4()))
    if k == 1:
        return X(K(ch(STATIC)))
    if k == 2:
        return X(ch(ROUTES), "?page=", ri(2, 30), "&per_page=", ch([20, 50, 100]), "&sort=", ch(["created_at", "-updated_at", "name"]))
    if k == 3:
        return X(ch(ROUTES), "?cursor=", K(urllib.parse.quote(b64_cursor(), safe="")), "&limit=", ch([25, 50]))
    if k == 4:
        return X("/api/v1/commits/", K(gitsha()), "/status")
    if k == 5:
        return X(ch(["/healthz", "/health", "/ready", "/metrics", "/-/healthy", "/status"]))
    if k == 6:
        return X("/search?q=", ch(["running+shoes", "usb-c+cable", "winter+jacket", "kaffeemaschine", "caf%C3%A9"]), "&lang=", ch(["de", "es", "pt-BR", "en"]),
                 "&utm_source=", ch(["newsletter", "google", "facebook"]), "&utm_campaign=", ch(["spring_sale", "bf2024", "retarget"]))
    if k == 7:
        return X("/v1/orders/", K(order_number_fail_luhn()), "/items")
    if k == 8:
        return X("/books/isbn/", K(isbn13()))
    return X("/oauth/authorize?response_type=code&client_id=", K(rs(ri(20, 32), LOWDIG)), "&redirect_uri=",
             K(urllib.parse.quote("https://%s/callback" % host(), safe="")), "&scope=openid%20profile%20email&state=", rs(22, B64U),
             "&code_challenge=", K(rs(43, B64U)), "&code_challenge_method=S256")


def secret_query_param(enc="pct"):
    """One query parameter carrying a secret. Returns F 'name=value'."""
    k = ri(0, 17)
    if k >= 14:
        k = 3
    E = {"pct": lambda f: PCT(f), "soft": SOFTPCT, "form": FORM}[enc]
    if k == 0:
        return X(ch(["token", "reset_token", "t"]), "=", S(reset_token(), "reset_token"))
    if k == 1:
        return X(ch(["access_token", "jwt", "id_token"]), "=", S(jwt(), "jwt"))
    if k == 2:
        return X("code=", S(auth_code(), "authorization_code"), "&state=", rs(ri(16, 32), B64U))
    if k == 3:
        v, t = vtoken(pred=lambda x: all(c in AL + "-_." for c in "x"))
        return X(ch(["api_key", "apikey", "key", "access_key"]), "=", E(S(t, vkind(v[0]))))
    if k == 4:
        return X(ch(["email", "user", "login", "e"]), "=", E(S(email(), "email")))
    if k == 5:
        return X(ch(["phone", "msisdn", "to", "mobile"]), "=", E(S(phone_e164(), "phone")))
    if k == 6:
        return X(ch(["password", "pass", "pwd"]), "=", FORM(S(password(), "password")))
    if k == 7:
        return X(ch(["sid", "session_id", "PHPSESSID"]), "=", S(session_cookie(ch(["PHPSESSID", "sessionid", "_session_id"]))[1], "session_cookie"))
    if k == 8:
        return X("refresh_token=", S(refresh_token(), "oauth_refresh_token"))
    if k == 9:
        return X(ch(["magic", "login_token", "verify"]), "=", S(reset_token(), "reset_token"))
    if k == 10:
        return X("access_token=", S(access_token(), "oauth_access_token"))
    if k == 11:
        return X(ch(["dob", "birthdate"]), "=", S(dob(0), "date_of_birth"))
    if k == 12:
        return X(ch(["csrf_token", "_csrf", "authenticity_token"]), "=", PCT(S(csrf_token(), "csrf_token")))
    return X("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=", S(aws_akid(), "aws_access_key_id"), "%2F", T0.strftime("%Y%m%d"),
             "%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=", T0.strftime("%Y%m%dT%H%M%SZ"), "&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=",
             S(hx(64), "aws_sigv4_signature"))


def benign_query_param():
    return ch([lambda: X("page=", ri(1, 40)), lambda: X("lang=", ch(["de", "fr", "es", "pt-BR", "ja", "tr", "id"])),
               lambda: X("ref=", K(gitsha()[:ri(7, 12)])), lambda: X("v=", K(semver())), lambda: X("utm_medium=email"),
               lambda: X("request_id=", K(uuid4())), lambda: X("trace=", K(trace_id())), lambda: X("sort=desc"), lambda: X("include=items,customer"),
               lambda: X("state=", rs(24, B64U)), lambda: X("redirect=%2Fdashboard"), lambda: X("fields=id,name,status")])()


SECRET_PATHS = [
    lambda: X("/reset-password/", S(reset_token(), "reset_token")),
    lambda: X("/account/verify-email/", S(reset_token(), "reset_token")),
    lambda: X("/api/v1/users/", PCT(S(email(), "email"), safe="@"), "/profile"),
    lambda: X("/api/v1/users/", PCT(S(email(), "email")), "/preferences"),
    lambda: X("/unsubscribe/", S(b64u(email().encode()), "base64_secret")),
    lambda: X("/v1/lookup/phone/", PCT(S(phone_e164(), "phone"))),
    lambda: X("/magic-link/", S(opaque_token(43), "reset_token"), "/consume"),
    lambda: X("/bot", S(VBY["telegram"][1](), "vendor:telegram"), "/sendMessage"),
    lambda: X("/invite/accept/", S(hx(40), "reset_token")),
    lambda: X("/api/v2/applicants/verify/", S(ssn(ch([True, False])), "ssn")),
    lambda: X("/hmrc/v1/individuals/", S(nino(False), "uk_nino"), "/employments"),
]


def path_query(clean, force_secret=False):
    """Returns F of path(+query)."""
    if clean:
        if chance(0.5):
            return benign_path()
        p = X(ch(ROUTES + ["/login", "/account/settings", "/checkout", "/auth/callback"]))
        qs = [benign_query_param() for _ in range(ri(1, 3))]
        return X(p, "?", JOIN("&", qs))
    r = ri(0, 3)
    if r == 0:
        base = ch(SECRET_PATHS)()
        if chance(0.4):
            return X(base, "?", benign_query_param())
        return base
    p = ch(["/login", "/auth/callback", "/api/v1/session", "/reset", "/oauth/callback", "/v1/verify", "/account/confirm", "/api/track",
            "/download", "/share", "/sso/acs", "/link"] + ROUTES)
    qs = [benign_query_param() for _ in range(ri(0, 2))]
    qs.insert(ri(0, len(qs)), secret_query_param(ch(["pct", "soft", "form"])))
    return X(p, "?", JOIN("&", qs))


def referer(clean):
    if clean or chance(0.5):
        return ch([X("-"), X("https://", host(), "/"), X("https://www.google.com/"), X("https://", host(), ch(ROUTES))])
    h = "https://" + host()
    return X(h, path_query(False))


BENIGN_COOKIES = [
    lambda: X(K("_ga"), "=", K("GA1.2.%d.%d" % (ri(10 ** 8, 10 ** 10), ri(1600000000, 1760000000)))),
    lambda: X(K("_gid"), "=", K("GA1.2.%d.%d" % (ri(10 ** 8, 10 ** 10), ri(1600000000, 1760000000)))),
    lambda: X(K("_fbp"), "=", K("fb.1.%d.%d" % (ri(1600000000000, 1760000000000), ri(10 ** 8, 10 ** 10)))),
    lambda: X("cookieconsent_status=dismiss"), lambda: X("lang=", ch(["de", "es", "pt-BR", "fr", "tr"])), lambda: X("theme=dark"),
    lambda: X(K("ajs_anonymous_id"), "=", uuid4()), lambda: X("currency=EUR"), lambda: X(K("AWSALB"), "=", K(rs(ri(80, 100), AL + "+/"))),
    lambda: X(K("ARRAffinity"), "=", K(hx(64))), lambda: X("_hjSessionUser_%d=" % ri(100000, 999999), K(b64(json.dumps({"id": uuid4()[:16]}).encode()).rstrip("="))),
]


def cookie_str(clean, n_secret=None):
    items = [ch(BENIGN_COOKIES)() for _ in range(ri(1, 3))]
    if not clean:
        for _ in range(n_secret or 1):
            r = ri(0, 4)
            if r <= 2:
                nm, v = session_cookie()
                items.insert(ri(0, len(items)), X(K(nm) if len(nm) >= 3 else nm, "=", S(v, "session_cookie")))
            elif r == 3:
                nm = ch(["csrftoken", "XSRF-TOKEN", "_csrf", "csrf_token"])
                items.insert(ri(0, len(items)), X(K(nm), "=", PCT(S(csrf_token(), "csrf_token"))))
            else:
                nm = ch(["remember_token", "refresh_token", "auth_token", "rt"])
                items.insert(ri(0, len(items)), X(nm, "=", S(opaque_token(ri(40, 64)), "session_cookie")))
    return JOIN("; ", items)


def auth_header_value(clean):
    """F for the value of an Authorization header."""
    if clean:
        return X(ch(MASKS[:5] + ["Bearer [REDACTED]", "Basic ****"]))
    r = ri(0, 6)
    if r <= 1:
        return X("Bearer ", S(jwt(), "jwt"))
    if r == 2:
        return X("Bearer ", S(opaque_token(ri(32, 64)), "bearer_token"))
    if r == 3:
        user = ch(["admin", "deploy", "api", "svc-reporting", email()])
        return X("Basic ", S(b64((user + ":" + password_simple()).encode()), "basic_auth"))
    name, f, v, t = vendor_header(pred=lambda x: x[3].startswith("Authorization"))
    return X(f)


def ip_port():
    return "%s:%d" % (ip_pub(), ri(1024, 65535))


# =====================================================================================
# Layouts (1): web servers and reverse proxies
# =====================================================================================
METHODS_GET = ["GET", "GET", "GET", "HEAD"]


def status_for(clean):
    return ch([200, 200, 200, 204, 301, 302, 304, 400, 401, 403, 404, 500, 502])


def L_apache_access(clean):
    d = rdt()
    ip = ip_any()
    v = ri(0, 4)
    meth = ch(["GET", "GET", "POST", "GET", "PUT"])
    # choose where the secret(s) go
    slots = ["pq", "ref", "cookie", "auth"] if v in (3, 4) else ["pq", "ref"]
    sec_slots = [] if clean else R.sample(slots, ri(1, min(2, len(slots))))
    pq = path_query("pq" not in sec_slots)
    ref = referer("ref" not in sec_slots) if "ref" in sec_slots else referer(True)
    user = ch(["-", "-", "-", "-", ch(["deploy", "admin", "jenkins", "monitor"])])
    st = status_for(clean)
    size = ch(["-", str(ri(0, 99999))])
    core = X(K(ip), " - ", user, " [", K(t_clf(d)), '] "', meth, " ", pq, " ", ch(["HTTP/1.1", "HTTP/1.1", "HTTP/2.0", "HTTP/1.0"]), '" ', st, " ", size)
    u = ua()
    comb = X(core, ' "', ref, '" "', K(u) if len(u) >= 3 else u, '"')
    if v == 0:
        return comb
    if v == 1:
        return X(K(host()), ":", ch(["443", "80"]), " ", comb)
    if v == 2:
        return X(comb, " ", ri(120, 2500000), " ", K(req_id_b64() + "AAAA"))
    if v == 3:
        ck = cookie_str("cookie" not in sec_slots)
        return X(comb, ' "', ck, '" ', ri(200, 900000))
    av = auth_header_value("auth" not in sec_slots) if "auth" in sec_slots else ch([X("-"), X("-"), X(ch(MASKS[:5]))])
    return X(comb, ' "', av, '" rt=', "%.3f" % R.uniform(0.001, 3), " rid=", K(uuid4()))


def php_arg(s):
    """PHP stack traces cut string arguments after 15 bytes and append '...'."""
    return s if len(s) <= 15 else s[:15] + "..."


def L_apache_error(clean):
    d = rdt()
    pre = X("[", K(t_apache_err(d)), "] ")
    pid = "[pid %d:tid %d] " % (ri(1000, 65000), ri(139000000000000, 140999999999999))
    cli = X("[client ", K(ip_pub()), ":%d] " % ri(1024, 65535))
    v = ri(0, 8)
    if v == 0:
        dbh = ip_priv()
        user = ch(["shop", "wp_user", "app", "magento"])
        if clean:
            return X(pre, "[php:error] ", pid, cli, "PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in ",
                     K("/var/www/html/app/Db.php"), ":42\\nStack trace:\\n#0 /var/www/html/app/Db.php(42): PDO->__construct('", php_arg("mysql:host=%s;dbname=shop" % dbh),
                     "', '", user, "', Object(SensitiveParameterValue), Array)\\n#1 {main}\\n  thrown in /var/www/html/app/Db.php on line 42")
        pw = password_simple()
        shown = php_arg(pw)
        lab = pw if len(pw) <= 15 else pw[:15]
        tail = "" if len(pw) <= 15 else "..."
        return X(pre, "[php:error] ", pid, cli, "PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [1045] Access denied for user '", user, "'@'",
                 K(ip_priv()), "' (using password: YES) in /var/www/html/app/Db.php:42\\nStack trace:\\n#0 /var/www/html/app/Db.php(42): PDO->__construct('",
                 php_arg("mysql:host=%s;dbname=shop" % dbh), "', '", user, "', '", S(lab, "password"), tail, "', Array)\\n#1 /var/www/html/index.php(7): App\\\\Db::connect()\\n#2 {main}\\n  thrown in ",
                 "/var/www/html/app/Db.php on line 42")
    if v == 1:
        u = ch(["alice", "admin", "bob", "ops", "deploy"])
        return X(pre, "[auth_basic:error] ", pid, cli, "AH01617: user ", u, ': authentication failure for "', K(ch(["/admin/", "/server-status", "/private/reports"])),
                 '": Password Mismatch', ch(["", X(", referer: https://", K(host()), "/")]))
    if v == 2:
        msg = ch(["Primary script unknown", "PHP message: PHP Warning:  Undefined array key \"password\" in /var/www/html/login.php on line 18",
                  "PHP message: PHP Deprecated:  Creation of dynamic property App\\\\User::$token is deprecated in /var/www/html/src/User.php on line 31"])
        if clean:
            return X(pre, "[proxy_fcgi:error] ", pid, cli, "AH01071: Got error '", msg, "', referer: https://", K(host()), ch(ROUTES))
        return X(pre, "[proxy_fcgi:error] ", pid, cli, "AH01071: Got error '", msg, "', referer: https://", host(), path_query(False))
    if v == 3:
        script = ch(["/usr/lib/cgi-bin/report.cgi", "/var/www/cgi-bin/export.pl", "/usr/lib/cgi-bin/sync.py"])
        if clean:
            line = ch(["DBI connect('dbname=shop;host=%s','shop',...) failed: FATAL:  password authentication failed for user \"shop\" at %s line 23." % (ip_priv(), script),
                       "Use of uninitialized value $token in concatenation (.) or string at %s line 88." % script,
                       "End of script output before headers: %s" % script.rsplit("/", 1)[1]])
            return X(pre, "[cgi:error] ", pid, cli, "AH01215: ", line, ": ", K(script))
        r = ri(0, 2)
        if r == 0:
            body = X("SMTP auth failed for ", S(email(), "email"), " using password ", S(password_simple(), "password"), " at ", script, " line 57.")
        elif r == 1:
            n, val, vv, t = vendor_env()
            body = X("export ", n, "=", val, " failed: API returned 401")
        else:
            body = X("DEBUG request params: email=", S(email(), "email"), "&phone=", FORM(S(phone(), "phone")))
        return X(pre, "[cgi:error] ", pid, cli, "AH01215: ", body, ": ", K(script))
    if v == 4:
        return X(pre, "[authz_core:error] ", pid, cli, "AH01630: client denied by server configuration: ",
                 K(ch(["/var/www/html/.git/config", "/var/www/html/.env", "/var/www/html/wp-config.php.bak", "/var/www/html/server-status"])))
    if v == 5:
        return X(pre, "[ssl:warn] ", pid, "AH01909: ", K(host()), ":443:0 server certificate does NOT include an ID which matches the server name")
    if v == 6:
        pth = path_query(clean)
        return X(pre, "[rewrite:trace3] ", pid, "mod_rewrite.c(483): ", cli, K(ip_pub()), " - - [", K(host()), "/sid#%s][rid#%s/initial] applying pattern '^/api/(.*)$' to uri '" % (hx(12), hx(12)),
                 pth, "'")
    if v == 7:
        if clean:
            return X(pre, "[php:notice] ", pid, cli, "[checkout] payment declined for order ", K(order_number_fail_luhn()), " card ", K(masked_card()),
                     ", referer: https://", K(host()), "/checkout")
        r = ri(0, 2)
        if r == 0:
            body = X("[checkout] payment declined for ", S(email(), "email"), " card ", S(card(), "card_number"), " exp ", "%02d/%02d" % (ri(1, 12), ri(25, 31)))
        elif r == 1:
            body = X("[signup] new customer ", S(email(), "email"), " phone=", S(phone(), "phone"), " dob=", S(dob(), "date_of_birth"))
        else:
            body = X("[sepa] mandate created iban=", S(iban(), "iban"), " holder=", ch(FIRST["de"]).capitalize(), " ", ch(LAST["de"]).capitalize())
        return X(pre, "[php:notice] ", pid, cli, body, ", referer: https://", K(host()), "/checkout")
    return X(pre, "[mpm_event:notice] ", pid, "AH00489: Apache/2.4.", ri(52, 62), " (", ch(["Ubuntu", "Debian", "Unix"]), ") OpenSSL/3.0.", ri(2, 13),
             " configured -- resuming normal operations")


CRS_SQLI = [("942430", "12"), ("942431", "6"), ("942432", "2")]


def modsec_pw():
    return rs(ri(4, 6), AL) + "".join(ch("!@$%^&*()-+=~") for _ in range(ri(5, 8))) + rs(ri(2, 4), DIG)


def L_modsecurity(clean):
    d = rdt()
    v = ri(0, 3)
    ip = ip_pub()
    hostn = host()
    uid = rs(27, AL + "@-")
    if v == 0:
        pre = X("[", K(t_apache_err(d)), "] [security2:error] [pid %d:tid %d] [client " % (ri(1000, 65000), ri(139000000000000, 140999999999999)), K(ip), ":%d] [client " % ri(1024, 65535), ip, "] ")
        if clean:
            rid, msg, data = ch([("913100", "Found User-Agent associated with security scanner", "Matched Data: nikto found within REQUEST_HEADERS:User-Agent: mozilla/5.00 (nikto/2.5.0)"),
                                 ("920350", "Host header is a numeric IP address", "Matched Data: %s found within REQUEST_HEADERS:Host: %s" % (ip_pub(), "")),
                                 ("930120", "OS File Access Attempt", "Matched Data: .env found within REQUEST_FILENAME: /.env")])
            return X(pre, 'ModSecurity: Warning. Matched phrase "', rid[-3:], '" at REQUEST_HEADERS. [file "/usr/share/modsecurity-crs/rules/REQUEST-9', rid[1:3], '.conf"] [line "', ri(20, 1500),
                     '"] [id "', K(rid), '"] [msg "', msg, '"] [data "', data.strip(), '"] [severity "CRITICAL"] [ver "', K("OWASP_CRS/3.3.%d" % ri(2, 5)),
                     '"] [hostname "', K(hostn), '"] [uri "/"] [unique_id "', K(uid), '"]')
        rid, n = ch(CRS_SQLI)
        pw = modsec_pw()
        fld = ch(["password", "passwd", "new_password", "user[password]", "pwd"])
        return X(pre, 'ModSecurity: Warning. Pattern match "((?:[~!@#\\\\$%\\\\^&\\\\*\\\\(\\\\)\\\\-\\\\+=\\\\{\\\\}\\\\[\\\\]\\\\|:;\\\\"\'\\\\xc2\\\\xb4...][^~!@#...]*?){', n, '})" at ARGS:', fld,
                 '. [file "/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"] [line "', ri(1000, 1800), '"] [id "', K(rid),
                 '"] [msg "Restricted SQL Character Anomaly Detection (args): # of special characters exceeded (', n, ')"] [data "Matched Data: ', S(pw, "password"),
                 " found within ARGS:", fld, ": ", S(pw, "password"), '"] [severity "WARNING"] [ver "', K("OWASP_CRS/3.3.%d" % ri(2, 5)),
                 '"] [tag "application-multi"] [tag "language-multi"] [tag "platform-multi"] [tag "attack-sqli"] [tag "paranoia-level/2"] [hostname "', K(hostn),
                 '"] [uri "', ch(["/login", "/account/password", "/wp-login.php", "/user/register"]), '"] [unique_id "', K(uid), '"]')
    if v in (1, 2):
        # serial audit log (parts A B C F H Z) shipped by Filebeat multiline as one JSON event
        b = hx(8)
        meth = "POST"
        uri = ch(["/login", "/api/v1/auth/token", "/account/settings", "/checkout/pay", "/user/register"])
        hdrs = [X("Host: ", K(hostn)), X("User-Agent: ", ua()), X("Content-Type: application/x-www-form-urlencoded")]
        body_parts = []
        if clean:
            hdrs.append(X("Cookie: ", cookie_str(True)))
            body_parts = [X("q=", ch(["union+select", "%27+or+1%3D1--", "<script>alert(1)</script>"])), X("page=1")]
            msg = X('Message: Warning. detected SQLi using libinjection with fingerprint \'s&sos\' [file "/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"] [line "65"] [id "',
                    K("942100"), '"] [msg "SQL Injection Attack Detected via libinjection"] [data "Matched Data: s&sos found within ARGS:q: \' or 1=1--"] [severity "CRITICAL"]')
            uri = "/search"
        else:
            which = ri(0, 2)
            if which == 0:
                hdrs.append(X("Cookie: ", cookie_str(False)))
            elif which == 1:
                hdrs.append(X("Authorization: ", auth_header_value(False)))
            pw = modsec_pw()
            em = email()
            body_parts = [X("email=", FORM(S(em, "email"))), X("password=", FORM(S(pw, "password"))), X("_token=", S(rs(40, AL), "csrf_token"))]
            if chance(0.25):
                uri = "/oauth/token"
                body_parts = [X("grant_type=password"), X("client_id=", K(rs(24, LOWDIG))), X("client_secret=", FORM(S(client_secret(), "client_secret"))),
                              X("username=", FORM(S(em, "email"))), X("password=", FORM(S(pw, "password")))]
            if chance(0.3):
                body_parts.append(X("card_number=", FORM(S(card(fmt=ri(0, 1)), "card_number"))))
                body_parts.append(X("cvc=", ri(100, 999)))
            rid, n = ch(CRS_SQLI)
            msg = X('Message: Warning. Pattern match "..." at ARGS:password. [file "/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"] [line "1125"] [id "',
                    K(rid), '"] [msg "Restricted SQL Character Anomaly Detection (args): # of special characters exceeded (', n, ')"] [data "Matched Data: ', S(pw, "password"),
                    " found within ARGS:password: ", S(pw, "password"), '"] [severity "WARNING"]')
        body = JOIN("&", body_parts)
        st = ch([200, 403]) if not clean else 403
        txt_ = JOIN("\n", [
            X("--", b, "-A--"),
            X("[", t_clf(d).replace(" +", ".%06d +" % d.microsecond), "] ", K(uid), " ", K(ip), " ", ri(1024, 65535), " ", K(ip_priv()), " 443"),
            X("--", b, "-B--"), X(meth, " ", uri, " HTTP/1.1"), JOIN("\n", hdrs), X(""),
            X("--", b, "-C--"), body, X(""),
            X("--", b, "-F--"), X("HTTP/1.1 ", st, " ", "Forbidden" if st == 403 else "OK"), X("Content-Type: text/html; charset=UTF-8"), X(""),
            X("--", b, "-H--"), msg, X("Apache-Handler: proxy:fcgi://127.0.0.1:9000"), X("Stopwatch: %d %d (- - -)" % (int(epoch(d) * 1e6), ri(500, 90000))),
            X("Producer: ", K("ModSecurity for Apache/2.9.%d (http://www.modsecurity.org/)" % ri(5, 8)), "; OWASP_CRS/3.3.5."), X("Server: Apache"), X('Engine-Mode: "ENABLED"'), X(""),
            X("--", b, "-Z--")])
        ev = {"@timestamp": K(t_iso(d)), "log": {"file": {"path": "/var/log/apache2/modsec_audit.log"}, "flags": ["multiline"]},
              "host": {"name": K(ch(["web01", "web02", "waf-edge-1"]))}, "message": txt_, "agent": {"type": "filebeat", "version": K("8.%d.%d" % (ri(10, 15), ri(0, 4)))}}
        return J(ev)
    # v3 JSON audit log (libmodsecurity + nginx connector)
    uri = X(path_query(clean))
    hd = {"Host": K(hostn), "User-Agent": ua(), "Accept": "*/*"}
    body = ""
    if not clean:
        r = ri(0, 2)
        if r == 0:
            hd["Authorization"] = auth_header_value(False)
        elif r == 1:
            hd["Cookie"] = cookie_str(False)
        else:
            body = J({"email": S(email(), "email"), "password": S(password(), "password")})
    rid = ch(["920350", "913101", "942100", "941100", "920420", "949110"])
    tx = {"client_ip": K(ip), "time_stamp": d.strftime("%a %b %d %H:%M:%S %Y"), "server_id": K(hx(40)), "client_port": ri(1024, 65535),
          "host_ip": K(ip_priv()), "host_port": 443, "unique_id": K(str(ri(10 ** 17, 10 ** 18 - 1)) + "." + str(ri(100000, 999999))),
          "request": {"method": ch(["GET", "POST"]), "http_version": 1.1, "uri": uri, "body": txt(body) and body or "", "headers": hd},
          "response": {"body": "", "http_code": ch([200, 403]), "headers": {"Server": "nginx", "Content-Type": "text/html"}},
          "producer": {"modsecurity": K("ModSecurity v3.0.%d (Linux)" % ri(8, 13)), "connector": "ModSecurity-nginx v1.0.3", "secrules_engine": "Enabled",
                       "components": ["OWASP_CRS/4.%d.0\"" % ri(0, 7)]},
          "messages": [{"message": "Inbound Anomaly Score Exceeded (Total Score: %d)" % ch([5, 10, 15]),
                        "details": {"match": "Matched \"Operator `Ge' with parameter `5' against variable `TX:BLOCKING_INBOUND_ANOMALY_SCORE'\"", "reference": "",
                                    "ruleId": K(rid), "file": "/etc/nginx/modsec/coreruleset/rules/REQUEST-949-BLOCKING-EVALUATION.conf", "lineNumber": str(ri(100, 300)),
                                    "data": "", "severity": "0", "ver": "OWASP_CRS/4.2.0", "rev": "", "tags": ["anomaly-evaluation", "OWASP_CRS"], "maturity": "0", "accuracy": "0"}}]}
    return J({"transaction": tx})


def L_haproxy(clean):
    d = rdt()
    pre = X("<134>", t_syslog(d), " ", K(ch(["lb01", "lb02", "haproxy-edge-1", "ingress-haproxy-0"])), " haproxy[%d]: " % ri(1000, 40000))
    v = ri(0, 4)
    ip = ip_pub()
    fe = ch(["fe_https~", "fe_http", "https-in~", "fe_api~"])
    be = ch(["be_api/api0%d" % ri(1, 4), "be_app/web%d" % ri(1, 6), "be_auth/auth%d" % ri(1, 3)])
    timers = "%d/%d/%d/%d/%d" % (ri(0, 5), 0, ri(0, 3), ri(2, 900), ri(3, 950))
    conns = "%d/%d/%d/%d/0 0/0" % (ri(20, 400), ri(20, 300), ri(1, 50), ri(0, 20))
    st = status_for(clean)
    if v in (0, 1, 2):
        sec_slots = [] if clean else R.sample(["req", "cap", "ck"], ri(1, 2))
        # captured request headers: Host | X-Forwarded-For | Authorization(len 64) | User-Agent
        caps = [K(host()), K(ip_pub())]
        if "cap" in sec_slots:
            r = ri(0, 2)
            if r == 0:
                full = "Bearer " + jwt()
                caps.append(X("Bearer ", S(full[7:64], "jwt")))  # capture request header Authorization len 64
            elif r == 1:
                name, f, vv, t = vendor_header(pred=lambda x: x[3].startswith("Authorization"))
                caps.append(fmap(f, lambda s: s.replace("Authorization: ", "", 1)))
            else:
                caps.append(X(S(opaque_token(40), "api_key")))
        else:
            caps.append(X(ch(["", "", "Basic ****", "-"])))
        caps.append(X(ua()[:ri(40, 100)]))
        caps_txt = [HAPX(c) for c in caps]
        ck = X("-")
        if "ck" in sec_slots:
            nm, val = session_cookie(ch(["SERVERID", "JSESSIONID", "PHPSESSID", "sessionid"]) if False else ch(["JSESSIONID", "PHPSESSID", "sessionid"]))
            ck = X(K(nm), "=", S(val[:63] if len(val) > 63 else val, "session_cookie"))
        elif chance(0.3):
            ck = X("SERVERID=", ch(["web1", "web2", "s1"]))
        req = path_query("req" not in sec_slots)
        if v == 0:
            return X(pre, K(ip), ":%d [" % ri(1024, 65535), K(t_haproxy(d)), "] ", fe, " ", be, " ", timers, " ", st, " ", ri(100, 90000), " ", ck, " - ----",
                     " ", conns, " {", JOIN("|", caps_txt), "} {", ch(["application/json", "text/html; charset=utf-8", ""]), '|} "', ch(["GET", "POST", "PUT"]), " ", req, ' HTTP/1.1"')
        if v == 1:
            # JSON log-format using capture.req.hdr(n),json(utf8s)
            o = {"host": K(ch(["lb01", "lb02"])), "ident": "haproxy", "pid": ri(1000, 40000), "time": K(t_haproxy(d)),
                 "conn": {"act": ri(10, 300), "fe": ri(10, 200), "be": ri(1, 40), "srv": ri(0, 20)},
                 "time_ms": {"tq": ri(0, 5), "tw": 0, "tc": ri(0, 3), "tr": ri(2, 800), "tt": ri(3, 900)}, "termination_state": "----", "retries": 0,
                 "network": {"client_ip": K(ip), "client_port": ri(1024, 65535), "frontend_ip": K(ip_priv()), "frontend_port": 443},
                 "ssl": {"version": "TLSv1.3", "ciphers": "TLS_AES_256_GCM_SHA384"},
                 "request": {"method": ch(["GET", "POST"]), "uri": req, "protocol": "HTTP/2.0",
                             "header": {"host": caps[0], "xforwardfor": caps[1], "authorization": caps[2], "user_agent": caps[3]}},
                 "name": {"backend": be.split("/")[0], "frontend": fe.rstrip("~"), "server": be.split("/")[1]},
                 "response": {"status_code": st, "header": {"xrequestid": K(uuid4())}}, "bytes": {"uploaded": ri(100, 9000), "read": ri(100, 90000)}}
            return X(pre, J(o))
        # custom log-format with %ID unique-id and captured cookie and referer
        refr = referer(True) if "cap" not in sec_slots else X("https://", host(), path_query(False))
        return X(pre, K(ip), ":%d [" % ri(1024, 65535), K(t_haproxy(d)), "] ", fe, " ", be, " ", timers, " ", st, " ", ri(100, 90000), " ", ck, " - ---- ", conns,
                 ' "', ch(["GET", "POST"]), " ", req, ' HTTP/1.1" ', K("%X:%X_%X:%X_%X_%X:%X" % (R.getrandbits(32), ri(1024, 65535), R.getrandbits(32), 443, R.getrandbits(24), ri(1, 999999), ri(1, 99999))),
                 ' "', HAPX(refr), '"')
    if v == 3:
        return X(pre, ch([
            X("Server ", K(be), " is DOWN, reason: Layer7 timeout, check duration: 2001ms. ", ri(0, 3), " active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue."),
            X("Server ", K(be), " is UP, reason: Layer7 check passed, code: 200, check duration: ", ri(1, 30), "ms. ", ri(1, 4), " active and 0 backup servers online. 0 sessions requeued, 0 total in queue."),
            X(K(ip), ":%d [" % ri(1024, 65535), K(t_haproxy(d)), "] ", fe, " ", fe.rstrip("~"), "/<NOSRV> -1/-1/-1/-1/0 400 0 - - PR-- ", conns, ' "<BADREQ>"'),
            X("Proxy ", fe.rstrip("~"), " started."),
        ]))
    # TCP-mode log of a DB connection + stats socket command echo
    if clean:
        return X(pre, K(ip_priv()), ":%d [" % ri(1024, 65535), K(t_haproxy(d)), "] pg_front pg_back/pg1 1/0/", ri(100, 99999), " ", ri(100, 90000), " -- ", conns)
    return X(pre, "[WARNING]  (", ri(1, 9), ") : config : parsing [/etc/haproxy/haproxy.cfg:", ri(10, 200), "] : 'userlist admins' user '",
             ch(["admin", "ops", "stats"]), "' uses insecure-password '", S(password_simple(), "password"), "'; consider using 'password' with a hash.")


def L_traefik(clean):
    d = rdt()
    v = ri(0, 3)
    ip = ip_pub()
    if v in (0, 1):
        slots = [] if clean else R.sample(["path", "auth", "cookie", "setck", "hdr", "hdr"], ri(1, 2))
        meth = ch(["GET", "POST", "PUT", "DELETE"])
        svc = ch(["api", "web", "auth", "billing", "whoami"])
        addr = "%s:%d" % (ip_priv(), ch([8080, 3000, 8000, 9000]))
        o = {"ClientAddr": K("%s:%d" % (ip, ri(1024, 65535))), "ClientHost": K(ip), "ClientPort": str(ri(1024, 65535)), "ClientUsername": ch(["-", "-", "admin"]),
             "DownstreamContentSize": ri(0, 99999), "DownstreamStatus": ch([200, 201, 302, 401, 404]), "Duration": ri(100000, 900000000),
             "OriginContentSize": ri(0, 99999), "OriginDuration": ri(100000, 800000000), "OriginStatus": 200, "Overhead": ri(20000, 900000),
             "RequestAddr": K(host()), "RequestContentSize": ri(0, 4000), "RequestCount": ri(1, 900000), "RequestHost": host(), "RequestMethod": meth,
             "RequestPath": path_query("path" not in slots), "RequestPort": "-", "RequestProtocol": ch(["HTTP/1.1", "HTTP/2.0"]), "RequestScheme": "https",
             "RetryAttempts": 0, "RouterName": K("%s@docker" % svc), "ServiceAddr": K(addr), "ServiceName": "%s@docker" % svc, "ServiceURL": "http://" + addr,
             "StartLocal": K(t_iso(d, 9, "+00:00")), "StartUTC": K(t_iso(d, 9)), "TLSCipher": "TLS_AES_128_GCM_SHA256", "TLSVersion": "1.3",
             "entryPointName": ch(["websecure", "web", "https"]), "level": "info", "msg": "", "request_User-Agent": ua(), "time": t_iso(d, 0)}
        if "auth" in slots:
            o["request_Authorization"] = auth_header_value(False)
        elif chance(0.4):
            o["request_Authorization"] = "REDACTED"
        if "cookie" in slots:
            o["request_Cookie"] = cookie_str(False)
        elif chance(0.3):
            o["request_Cookie"] = cookie_str(True)
        if "setck" in slots:
            nm, val = session_cookie()
            o["downstream_Set-Cookie"] = X(nm, "=", S(val, "session_cookie"), "; Path=/; HttpOnly; Secure; SameSite=Lax")
        if "hdr" in slots:
            name, f, vv, t = vendor_header(pred=lambda x: not x[3].startswith("Authorization"))
            o["request_" + name] = fmap(f, lambda s: s.replace(name + ": ", "", 1))
        o["request_X-Request-Id"] = K(uuid4())
        f = J(o)
        if v == 1:
            f = GOHTML(f)  # Traefik v2 logrus JSON formatter HTML-escapes & < >
        return f
    if v == 2:
        pq = path_query(clean)
        return X(K(ip), " - ", ch(["-", "-", "admin"]), " [", K(t_clf(d)), '] "', ch(["GET", "POST"]), " ", pq, ' HTTP/2.0" ', ch([200, 302, 401]), " ", ri(0, 90000), ' "',
                 referer(True), '" "', ua(), '" ', ri(1, 900000), ' "', K(ch(["api@docker", "web@file", "auth-secure@kubernetescrd"])), '" "http://', K(ip_priv()), ':8080" ',
                 ri(1, 900), "ms")
    # Traefik debug / error log (zerolog console)
    lvl = ch(["DBG", "ERR", "WRN"])
    if clean:
        return X(K(t_iso(d, 0)), " ", lvl, " ", ch(["github.com/traefik/traefik/v3/pkg/middlewares/auth/forward.go:", "github.com/traefik/traefik/v3/pkg/server/service/proxy.go:"]),
                 ri(50, 400), " > ", ch(['Remote error http://auth:4181. StatusCode: 401 middlewareName=forward-auth@docker middlewareType=ForwardAuth',
                                        '502 Bad Gateway error="dial tcp %s:8080: connect: connection refused"' % ip_priv(),
                                        'Authentication failed middlewareName=basic-auth@file middlewareType=BasicAuth']))
    r = ri(0, 1)
    if r == 0:
        return X(K(t_iso(d, 0)), " DBG github.com/traefik/traefik/v3/pkg/middlewares/auth/forward.go:", ri(150, 400), " > Remote error http://auth:4181/verify?", secret_query_param("pct"),
                 ". StatusCode: 401 middlewareName=forward-auth@docker middlewareType=ForwardAuth")
    return X(K(t_iso(d, 0)), " ERR github.com/traefik/traefik/v3/pkg/provider/acme/provider.go:", ri(100, 900), ' > Unable to obtain ACME certificate for domains error="unable to generate a certificate for the domains [',
             K(host()), ']: error: one or more domains had a problem:\\n[', host(), '] invalid credentials: cloudflare: failed to find zone: Invalid request headers (6003) api_token=',
             S(VBY["cloudflare"][1](), "vendor:cloudflare"), '" ACME CA=https://acme-v02.api.letsencrypt.org/directory acmeCA=https://acme-v02.api.letsencrypt.org/directory providerName=le.acme')


def L_caddy(clean):
    d = rdt()
    v = ri(0, 3)
    ip = ip_pub()
    slots = [] if clean else R.sample(["uri", "hdr", "hdr", "cred", "user"], ri(1, 2))
    cred = "cred" in slots or (clean and chance(0.2))
    hdr = {"User-Agent": [ua()], "Accept": ["application/json" if chance(0.5) else "*/*"], "Accept-Encoding": ["gzip, br"]}
    if "cred" in slots:
        if chance(0.5):
            hdr["Authorization"] = [auth_header_value(False)]
        else:
            hdr["Cookie"] = [cookie_str(False)]
    else:
        if chance(0.5):
            hdr["Authorization"] = [K("REDACTED")]
        if chance(0.5):
            hdr["Cookie"] = [K("REDACTED")]
    if "hdr" in slots:
        name, f, vv, t = vendor_header(pred=lambda x: not x[3].startswith("Authorization"))
        hdr[name] = [fmap(f, lambda s: s.replace(name + ": ", "", 1))]
    if chance(0.4):
        hdr["X-Forwarded-For"] = [K(ip_pub())]
    if chance(0.3):
        hdr["Traceparent"] = [K("00-%s-%s-01" % (trace_id(), span_id()))]
    req = {"remote_ip": K(ip), "remote_port": str(ri(1024, 65535)), "client_ip": K(ip), "proto": ch(["HTTP/2.0", "HTTP/1.1", "HTTP/3.0"]),
           "method": ch(["GET", "POST", "PUT"]), "host": K(host()), "uri": path_query("uri" not in slots), "headers": hdr,
           "tls": {"resumed": False, "version": 772, "cipher_suite": 4865, "proto": "h2", "server_name": host()}}
    user_id = ""
    if "user" in slots:
        user_id = S(email(), "email")
    st = ch([200, 200, 204, 302, 401, 404, 502])
    resp = {"Server": ["Caddy"], "Content-Type": ["application/json; charset=utf-8"], "Alt-Svc": ['h3=":443"; ma=2592000'], "Date": [d.strftime("%a, %d %b %Y %H:%M:%S GMT")]}
    if chance(0.3):
        resp["Etag"] = [K(etag())]
    if v <= 2:
        o = {"level": "info", "ts": round(epoch(d), 6), "logger": K("http.log.access.log%d" % ri(0, 3)), "msg": "handled request", "request": req,
             "bytes_read": ri(0, 5000), "user_id": user_id, "duration": round(R.uniform(0.0001, 2.5), 9), "size": ri(0, 90000), "status": st, "resp_headers": resp}
        return J(o)
    o = {"level": "error", "ts": round(epoch(d), 6), "logger": "http.log.error", "msg": ch(["dial tcp %s:8080: connect: connection refused" % ip_priv(), "context canceled",
                                                                                         "reading: unexpected EOF"]),
         "request": req, "duration": round(R.uniform(0.0001, 30), 6), "status": 502, "err_id": K(rs(9, LOWDIG)), "err_trace": K("reverseproxy.statusError (reverseproxy.go:1269)")}
    return J(o)


# =====================================================================================
# Layouts (2): CDN / cloud load balancers / Kubernetes audit
# =====================================================================================
COLOS = ["FRA", "AMS", "LHR", "CDG", "IAD", "SJC", "NRT", "GRU", "MAD", "IST", "CGK", "SIN"]


def L_cdn_edge(clean):
    d = rdt()
    v = ri(0, 2)
    ip = ip_any()
    slots = [] if clean else R.sample(["uri", "hdr", "hdr", "cookie", "ref"], ri(1, 2))
    h = host()
    if v == 0:  # Cloudflare Logpush http_requests (NDJSON)
        ns = int(epoch(d) * 1e9)
        o = {"BotScore": ri(1, 99), "CacheCacheStatus": ch(["dynamic", "hit", "miss", "expired"]), "ClientASN": ri(1000, 65000), "ClientCountry": ch(["de", "br", "jp", "tr", "id", "us", "fr", "es"]),
             "ClientDeviceType": ch(["desktop", "mobile"]), "ClientIP": K(ip), "ClientRequestHost": K(h), "ClientRequestMethod": ch(["GET", "POST"]),
             "ClientRequestProtocol": "HTTP/2", "ClientRequestReferer": referer("ref" not in slots) if "ref" in slots else referer(True),
             "ClientRequestURI": path_query("uri" not in slots), "ClientRequestUserAgent": ua(), "ClientSSLProtocol": "TLSv1.3",
             "EdgeColoCode": ch(COLOS), "EdgeEndTimestamp": ns + ri(1000000, 900000000), "EdgeResponseBytes": ri(300, 90000), "EdgeResponseStatus": ch([200, 200, 302, 403, 404]),
             "EdgeStartTimestamp": ns, "JA3Hash": K(hx(32)), "OriginIP": K(ip_pub()), "OriginResponseStatus": 200, "RayID": K(hx(16)),
             "SecurityAction": ch(["", "", "managedChallenge", "block"]), "WAFAttackScore": ri(1, 99), "ZoneName": K(h.split(".", 1)[1])}
        rh = {}
        if "hdr" in slots:
            if chance(0.5):
                rh["authorization"] = auth_header_value(False)
            else:
                name, f, vv, t = vendor_header(pred=lambda x: not x[3].startswith("Authorization"))
                rh[name.lower()] = fmap(f, lambda s: s.replace(name + ": ", "", 1))
        if chance(0.5):
            rh["x-request-id"] = K(uuid4())
        o["RequestHeaders"] = rh
        if "cookie" in slots:
            nm, val = session_cookie()
            o["Cookies"] = {nm: S(val, "session_cookie")}
        else:
            o["Cookies"] = {} if chance(0.5) else {"__cf_bm": K(rs(43, B64U) + "-" + str(int(epoch(d))) + "-1.0.1.1-" + rs(60, B64U))}
        return J(o)
    if v == 1:  # Fastly real-time logging, JSON format from VCL
        o = {"timestamp": K(t_iso(d, 0)), "client_ip": K(ip), "geo_country": ch(["DE", "BR", "US", "JP", "ES"]), "geo_city": ch(["frankfurt", "sao paulo", "tokyo", "madrid"]),
             "host": K(h), "url": path_query("uri" not in slots), "request_method": ch(["GET", "POST"]), "request_protocol": "HTTP/2",
             "request_referer": referer("ref" not in slots) if "ref" in slots else referer(True), "request_user_agent": ua(), "response_state": ch(["MISS", "HIT", "PASS", "ERROR"]),
             "response_status": ch([200, 200, 304, 404, 503]), "response_reason": "OK", "response_body_size": ri(0, 90000),
             "fastly_server": K("cache-%s-%s%d-%s" % (ch(COLOS).lower(), ch(["etou", "kiad", "klhr", "eddf"]), ri(8000000, 8999999), ch(COLOS))), "fastly_is_edge": True,
             "req_id": K(hx(32))}
        if "hdr" in slots:
            o["req_header_authorization"] = auth_header_value(False)
        if "cookie" in slots:
            o["req_header_cookie"] = cookie_str(False)
        return J(o)
    # Akamai DataStream 2 JSON
    q = path_query("uri" not in slots)
    qt = txt(q)
    if "?" in qt:
        # split path and query on the first '?' across fragments
        parts, seen, pth, qs = X(q).p, False, [], []
        for t, r, k in parts:
            if not seen and "?" in t and r is None:
                a, b = t.split("?", 1)
                pth.append((a, None, None))
                qs.append((b, None, None))
                seen = True
            elif seen:
                qs.append((t, r, k))
            else:
                pth.append((t, r, k))
        pthf, qsf = F(pth), F(qs)
    else:
        pthf, qsf = q, X("-")
    o = {"version": "1", "cp": K(str(ri(100000, 1999999))), "reqId": K(hx(ri(8, 12))), "reqTimeSec": "%.3f" % epoch(d), "bytes": str(ri(100, 90000)), "cliIP": K(ip),
         "statusCode": str(ch([200, 200, 206, 304, 403])), "proto": "HTTPS", "reqHost": K(h), "reqMethod": ch(["GET", "POST"]), "reqPath": AKAMAI(pthf), "reqPort": "443",
         "rspContentLen": str(ri(100, 90000)), "rspContentType": "application/json", "UA": AKAMAI(X(ua())), "tlsOverheadTimeMSec": str(ri(0, 40)), "tlsVersion": "TLSv1.3",
         "objSize": str(ri(100, 90000)), "uncompressedSize": "-", "overheadBytes": str(ri(100, 900)), "totalBytes": str(ri(100, 90000)), "queryStr": AKAMAI(qsf),
         "accLang": AKAMAI(X(ch(["de-DE,de;q=0.9", "pt-BR,pt;q=0.9,en;q=0.8", "ja,en-US;q=0.7", "es-ES,es;q=0.9"]))),
         "cookie": AKAMAI(cookie_str("cookie" not in slots)) if ("cookie" in slots or chance(0.4)) else "-",
         "referer": AKAMAI(referer("ref" not in slots)) if "ref" in slots else AKAMAI(referer(True)),
         "xForwardedFor": K(ip), "maxAgeSec": str(ri(0, 86400)), "reqEndTimeMSec": str(ri(1, 90)), "errorCode": "-", "turnAroundTimeMSec": str(ri(1, 900)),
         "transferTimeMSec": str(ri(0, 90)), "dnsLookupTimeMSec": str(ri(0, 30)), "cacheStatus": ch(["0", "1"]), "country": ch(["DE", "BR", "JP", "US"]),
         "city": ch(["FRANKFURT", "SAOPAULO", "TOKYO", "ASHBURN"]), "edgeIP": K(ip_pub()), "breadcrumbs": "//BC/%5Ba=" + ip_pub() + ",c=g,k=0,l=1%5D"}
    if "hdr" in slots:
        o["customField"] = AKAMAI(X("authz=", auth_header_value(False)))
    return J(o)


def az_sub():
    return str(_uuid.UUID(int=R.getrandbits(128), version=4)).upper()


def azure_fn_key():
    return rs(54, B64U) + "=="


def azure_sas(clean=False):
    se = rdt()
    base = "sv=2022-11-02&ss=b&srt=o&sp=r&se=%s&st=%s&spr=https&sig=" % (urllib.parse.quote(t_iso(se, 0), safe=""), urllib.parse.quote(t_iso(se - timedelta(hours=1), 0), safe=""))
    sig = b64(rbytes(32))
    if clean:
        return X(base, "REDACTED")
    return X(base, PCT(S(sig, "vendor:azure")))


def L_azure(clean):
    d = rdt()
    v = ri(0, 3)
    sub = az_sub()
    rg = ch(["RG-API-PROD", "RG-SHOP-WEU", "RG-PLATFORM"])
    slots = [] if clean else R.sample(["url", "hdr", "backend", "body"], ri(1, 2))
    if v == 0:  # API Management GatewayLogs
        svc = "APIM-%s-PROD" % ch(COMPANY).upper()
        api = ch(["orders-api", "customers-api", "payments", "echo-api", "loyalty-v2"])
        url = X("https://", K(svc.lower() + ".azure-api.net"), "/", api.split("-")[0], "/v1/", ch(["orders", "customers", "points", "search"]))
        if "url" in slots:
            r = ri(0, 1)
            if r == 0:
                url = X(url, "?subscription-key=", S(hx(32), "api_key"))
            else:
                url = X(url, "?", secret_query_param("pct"))
        elif chance(0.5):
            url = X(url, "?", benign_query_param())
        props = {"method": ch(["GET", "POST"]), "url": url, "backendResponseCode": ch([200, 401, 500]), "responseCode": ch([200, 401, 500]), "responseSize": ri(200, 9000),
                 "cache": "none", "backendTime": ri(5, 900), "requestSize": ri(100, 3000), "apiId": K(api), "operationId": ch(["get-orders", "create-customer", "search"]),
                 "productId": ch(["starter", "unlimited", "partner"]), "userId": "1", "apimSubscriptionId": K(ch(["partner-acme", "mobile-app", "master"])),
                 "backendProtocol": "HTTP/1.1", "apiRevision": "1", "clientTlsVersion": "1.2", "backendMethod": "GET"}
        bu = X("https://", K(ch(["fn-", "app-"]) + ch(COMPANY) + "-prod.azurewebsites.net"), "/api/", ch(["Orders", "Customers", "Points"]))
        if "backend" in slots:
            bu = X(bu, "?code=", S(azure_fn_key(), "api_key"))
        props["backendUrl"] = bu
        rh = {"Accept": "application/json", "Host": svc.lower() + ".azure-api.net", "X-Forwarded-For": K(ip_pub())}
        if "hdr" in slots:
            if chance(0.5):
                rh["Ocp-Apim-Subscription-Key"] = S(hx(32), "api_key")
            else:
                rh["Authorization"] = auth_header_value(False)
        props["requestHeaders"] = rh
        if "body" in slots:
            props["requestBody"] = J(ch([{"customer": {"email": S(email(), "email"), "phone": S(phone(), "phone"), "birthDate": S(dob(0), "date_of_birth")}},
                                         {"payout": {"accountHolder": ch(FIRST["de"]).capitalize() + " " + ch(LAST["de"]).capitalize(), "iban": S(iban(spaced=False), "iban"), "bic": "COBADEFFXXX"}}]))
        if chance(0.3):
            props["lastError"] = {"elapsed": ri(1, 50), "source": "validate-jwt", "section": "inbound", "reason": "TokenExpired",
                                  "message": "IDX10223: Lifetime validation failed. The token is expired. ValidTo: '%s', Current time: '%s'." % (t_iso(d, 0), t_iso(d, 0))}
        o = {"time": K(t_iso(d, 7)), "resourceId": K("/SUBSCRIPTIONS/%s/RESOURCEGROUPS/%s/PROVIDERS/MICROSOFT.APIMANAGEMENT/SERVICE/%s" % (sub, rg, svc)),
             "operationName": "Microsoft.ApiManagement/GatewayLogs", "category": "GatewayLogs", "durationMs": ri(5, 2000), "callerIpAddress": K(ip_pub()),
             "correlationId": K(uuid4()), "location": ch(["West Europe", "Brazil South", "Japan East", "Germany West Central"]), "properties": props}
        return J(o)
    if v == 1:  # Application Gateway access log
        pq = path_query("url" not in slots)
        t = txt(pq)
        o = {"timeStamp": K(t_iso(d, 0)), "resourceId": K("/SUBSCRIPTIONS/%s/RESOURCEGROUPS/%s/PROVIDERS/MICROSOFT.NETWORK/APPLICATIONGATEWAYS/AGW-%s" % (sub, rg, ch(COMPANY).upper())),
             "listenerName": "https-listener", "ruleName": "rule-api", "backendPoolName": "pool-api", "backendSettingName": "https-settings",
             "operationName": "ApplicationGatewayAccess", "category": "ApplicationGatewayAccessLog",
             "properties": {"instanceId": "appgw_%d" % ri(0, 3), "clientIP": K(ip_pub()), "clientPort": ri(1024, 65535), "httpMethod": ch(["GET", "POST"]),
                            "originalRequestUriWithArgs": pq, "requestUri": t.split("?")[0], "userAgent": ua(), "httpStatus": ch([200, 302, 403]), "httpVersion": "HTTP/1.1",
                            "receivedBytes": ri(100, 9000), "sentBytes": ri(100, 90000), "timeTaken": round(R.uniform(0.001, 2), 3), "WAFEvaluationTime": "0.000",
                            "WAFMode": ch(["Detection", "Prevention"]), "transactionId": K(hx(32)), "sslEnabled": "on", "sslCipher": "ECDHE-RSA-AES256-GCM-SHA384",
                            "sslProtocol": "TLSv1.2", "serverRouted": K(ip_priv() + ":443"), "serverStatus": "200", "serverResponseLatency": "%.3f" % R.uniform(0.001, 1),
                            "host": K(host()), "originalHost": host()}}
        return J(o)
    if v == 2:  # Front Door access log
        pq = path_query("url" not in slots)
        h = host()
        o = {"time": K(t_iso(d, 7)), "resourceId": K("/SUBSCRIPTIONS/%s/RESOURCEGROUPS/%s/PROVIDERS/MICROSOFT.CDN/PROFILES/AFD-%s" % (sub, rg, ch(COMPANY).upper())),
             "category": "FrontDoorAccessLog", "operationName": "Microsoft.Cdn/Profiles/AccessLog/Write",
             "properties": {"trackingReference": K(d.strftime("%Y%m%dT%H%M%SZ") + "-" + rs(16, LOWDIG) + rs(16, LOWDIG)), "httpMethod": ch(["GET", "POST"]),
                            "httpVersion": "2.0.0.0", "requestUri": X("https://", K(h), ":443", pq), "hostName": h, "requestBytes": str(ri(100, 9000)),
                            "responseBytes": str(ri(100, 90000)), "userAgent": ua(), "clientIp": K(ip_pub()), "clientPort": str(ri(1024, 65535)), "socketIp": K(ip_pub()),
                            "timeToFirstByte": "%.3f" % R.uniform(0.001, 1), "timeTaken": "%.3f" % R.uniform(0.001, 2), "requestProtocol": "HTTPS", "securityProtocol": "TLS 1.3",
                            "rulesEngineMatchNames": [], "httpStatusCode": str(ch([200, 302, 404])), "httpStatusDetails": "200", "pop": ch(COLOS), "cacheStatus": "CONFIG_NOCACHE",
                            "errorInfo": "NoError", "result": "N/A", "endpoint": K("ep-%s-%s.z01.azurefd.net" % (ch(COMPANY), rs(16, LOWDIG))),
                            "referer": referer(True), "originName": K("app-%s.azurewebsites.net:443" % ch(COMPANY)), "clientCountry": ch(["Germany", "Brazil", "Japan", "Turkey"])}}
        return J(o)
    # App Service / Functions application log line (text)
    if clean:
        return X(K(t_iso(d, 3, "")), " [", ch(["Information", "Error", "Warning"]), "] ",
                 ch([X("Executed 'Functions.", ch(["Login", "SendInvoice", "SyncCustomers"]), "' (", ch(["Succeeded", "Failed"]), ", Id=", K(uuid4()), ", Duration=", ri(3, 9000), "ms)"),
                     X("Host lock lease acquired by instance ID '", K(hx(32)), "'."),
                     X("Blob trigger function processed blob Name: invoices/", K(uuid4()), ".pdf Blob trigger uses storage account: AzureWebJobsStorage (connection string value ", K("[Hidden Credential]"), ")"),
                     X("Downloading https://", ch(COMPANY), "store.blob.core.windows.net/exports/report.csv?", azure_sas(True))]))
    r = ri(0, 2)
    if r == 0:
        acct = ch(COMPANY) + "store"
        return X(K(t_iso(d, 3, "")), " [Error] Executed 'Functions.", ch(["Export", "Import", "Resize"]), "' (Failed, Id=", K(uuid4()),
                 ") Microsoft.Azure.WebJobs.Host: Error indexing method. Storage account connection string 'DefaultEndpointsProtocol=https;AccountName=", acct,
                 ";AccountKey=", S(b64(rbytes(64)), "vendor:azure"), ";EndpointSuffix=core.windows.net' is invalid.")
    if r == 1:
        return X(K(t_iso(d, 3, "")), " [Information] Downloading https://", ch(COMPANY), "store.blob.core.windows.net/exports/", K(uuid4()), ".csv?", azure_sas(False))
    return X(K(t_iso(d, 3, "")), " [Warning] Login failed for ", S(email(), "email"), " from ", K(ip_pub()), " (tenant ", K(uuid4()), ") AADSTS50126: Error validating credentials due to invalid username or password.")


def L_gcp(clean):
    d = rdt()
    v = ri(0, 3)
    proj = ch(COMPANY) + "-" + ch(["prod", "prd", "live"]) + "-" + str(ri(100, 999))
    tr = trace_id()
    slots = [] if clean else R.sample(["url", "ref"], ri(1, 2))
    if v in (0, 1):
        url = X("https://", K(host()), path_query("url" not in slots))
        hr = {"requestMethod": ch(["GET", "POST"]), "requestUrl": url, "requestSize": str(ri(100, 9000)), "status": ch([200, 200, 302, 401, 404, 500]),
              "responseSize": str(ri(100, 90000)), "userAgent": ua(), "remoteIp": K(ip_any()), "serverIp": K(ip_priv()), "latency": "%.6fs" % R.uniform(0.001, 3),
              "protocol": ch(["HTTP/1.1", "HTTP/2"])}
        if "ref" in slots:
            hr["referer"] = X("https://", host(), path_query(False))
        elif chance(0.4):
            hr["referer"] = X("https://", K(host()), "/")
        if v == 0:
            o = {"insertId": K(rs(ri(12, 14), LOWDIG)),
                 "jsonPayload": {"@type": "type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry",
                                 "backendTargetProjectNumber": "projects/%d" % ri(10 ** 11, 10 ** 12 - 1), "cacheDecision": ["RESPONSE_HAS_CONTENT_TYPE", "CACHE_MODE_USE_ORIGIN_HEADERS"],
                                 "remoteIp": K(ip_pub()), "statusDetails": ch(["response_sent_by_backend", "backend_connection_closed_before_data_sent_to_client", "client_disconnected_before_any_response"])},
                 "httpRequest": hr,
                 "resource": {"type": "http_load_balancer", "labels": {"backend_service_name": "bs-" + ch(["api", "web"]), "forwarding_rule_name": "fr-https", "project_id": K(proj),
                                                                        "target_proxy_name": "tp-https", "url_map_name": "um-main", "zone": "global"}},
                 "timestamp": K(t_iso(d, 6)), "severity": "INFO", "logName": "projects/%s/logs/requests" % proj, "trace": K("projects/%s/traces/%s" % (proj, tr)),
                 "receiveTimestamp": t_iso(d + timedelta(seconds=1), 9), "spanId": K(span_id())}
        else:
            svc = ch(["api", "checkout", "auth", "frontend"])
            o = {"httpRequest": hr, "insertId": K(rs(ri(12, 14), LOWDIG)), "labels": {"instanceId": K("00" + hx(120))},
                 "logName": "projects/%s/logs/run.googleapis.com%%2Frequests" % proj, "receiveTimestamp": t_iso(d + timedelta(seconds=1), 9),
                 "resource": {"labels": {"configuration_name": svc, "location": ch(["europe-west1", "southamerica-east1", "asia-northeast1", "us-central1"]), "project_id": K(proj),
                                         "revision_name": K("%s-%05d-%s" % (svc, ri(1, 300), rs(3, LOW))), "service_name": svc}, "type": "cloud_run_revision"},
                 "severity": ch(["INFO", "WARNING", "ERROR"]), "spanId": K(span_id()), "timestamp": K(t_iso(d, 6)), "trace": K("projects/%s/traces/%s" % (proj, tr)), "traceSampled": True}
        return J(o)
    if v == 2 and not clean and chance(0.25):
        sa = {"type": "service_account", "project_id": K(proj), "private_key_id": hx(40), "private_key": pem_block("PRIVATE KEY", "\n"),
              "client_email": "%s@%s.iam.gserviceaccount.com" % (ch(["exporter", "fcm-sender", "ci-deployer"]), proj), "client_id": str(ri(10 ** 20, 10 ** 21 - 1)),
              "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": "https://oauth2.googleapis.com/token"}
        jp = {"message": X("loaded credentials from GOOGLE_APPLICATION_CREDENTIALS_JSON: ", J(sa)), "severity": "DEBUG",
              "logging.googleapis.com/trace": K("projects/%s/traces/%s" % (proj, tr))}
        return J({"insertId": K(rs(ri(12, 14), LOWDIG)), "jsonPayload": jp, "resource": {"type": "cloud_run_revision", "labels": {"project_id": proj, "service_name": "exporter"}},
                  "timestamp": K(t_iso(d, 6)), "severity": "DEBUG", "logName": "projects/%s/logs/run.googleapis.com%%2Fstdout" % proj})
    if v == 2:  # structured app log from Cloud Run stdout
        if clean:
            msg = ch([X("order ", K(uuid4()), " paid; card ", K(masked_card())), X("cache warmup finished in ", ri(10, 9000), "ms"),
                      X("password reset requested for user_id=", ri(1000, 99999), " (email ", K(masked_email()), ")"), X("signed URL generated for gs://", proj, "-exports/", K(uuid4()), ".csv")])
            extra = {"user_id": ri(1000, 99999)}
        else:
            r = ri(0, 3)
            if r == 0:
                em = email()
                msg = X("password reset requested for ", S(em, "email"))
                extra = {"user": {"email": S(em, "email"), "phone": S(phone(), "phone")}}
            elif r == 1:
                name, f, vv, t_ = vendor_header()
                msg = X(vv[0], " call failed: 401")
                extra = {"request": {"headers": {name.lower(): fmap(f, lambda s: s.replace(name + ": ", "", 1))}}}
            elif r == 2:
                msg = X("signed URL generated")
                extra = {"url": X("https://storage.googleapis.com/", proj, "-exports/", K(uuid4()), ".csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=",
                                  PCT(X("exporter@", proj, ".iam.gserviceaccount.com/", d.strftime("%Y%m%d"), "/auto/storage/goog4_request")), "&X-Goog-Date=", d.strftime("%Y%m%dT%H%M%SZ"),
                                  "&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=", S(hx(512), "url_signature"))}
            elif chance(0.5):
                msg = X("customer profile updated")
                extra = {"diff": {"address": S(address(), "street_address"), "birthdate": S(dob(0), "date_of_birth")}}
            else:
                msg = X("kyc check submitted to provider")
                cc = ch(["US", "GB", "BR", "ES", "TR", "ID"])
                num = {"US": lambda: S(ssn(), "ssn"), "GB": lambda: S(nino(), "uk_nino")}.get(cc, lambda: S(national_id({"BR": "br", "ES": "es", "TR": "tr", "ID": "id"}[cc]), "national_id"))()
                extra = {"kyc": {"country": cc, "document": {"US": "ssn", "GB": "nino", "BR": "cpf", "ES": "dni", "TR": "tckn", "ID": "nik"}[cc], "number": num,
                                 "dob": S(dob(0), "date_of_birth"), "result": "pending"}}
        jp = {"message": msg, "severity": ch(["INFO", "WARNING", "ERROR"]), "component": ch(["auth", "billing", "profile"]),
              "logging.googleapis.com/trace": K("projects/%s/traces/%s" % (proj, tr)), "logging.googleapis.com/spanId": K(span_id())}
        jp.update(extra)
        o = {"insertId": K(rs(ri(12, 14), LOWDIG)), "jsonPayload": jp, "resource": {"type": "cloud_run_revision", "labels": {"project_id": K(proj), "service_name": "api"}},
             "timestamp": K(t_iso(d, 6)), "severity": jp["severity"], "logName": "projects/%s/logs/run.googleapis.com%%2Fstdout" % proj}
        return J(o)
    # Cloud SQL for PostgreSQL via Cloud Logging (textPayload)
    if clean:
        tp = X(d.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3], " UTC [", ri(1000, 90000), "]: [1-1] db=", ch(["shop", "app"]), ",user=", ch(["app", "cloudsqladmin"]), " ",
               ch(["FATAL:  password authentication failed for user \"app\"", "LOG:  checkpoint complete: wrote 1234 buffers (7.5%)", "ERROR:  relation \"users_old\" does not exist at character 15"]))
    else:
        tp = X(d.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3], " UTC [", ri(1000, 90000), "]: [1-1] db=postgres,user=postgres LOG:  statement: ",
               ch(["ALTER USER", "CREATE ROLE", "ALTER ROLE"]), " ", ch(["reporting", "readonly", "app"]), " WITH LOGIN PASSWORD '", S(password_simple(), "password"), "';")
    o = {"insertId": K("s=" + hx(32) + ";i=" + hex(ri(1000, 99999))[2:] + ";b=" + hx(32) + ";m=" + hex(ri(10 ** 9, 10 ** 10))[2:] + ";t=" + hex(int(epoch(d) * 1e6))[2:] + ";x=" + hx(16)),
         "logName": "projects/%s/logs/cloudsql.googleapis.com%%2Fpostgres.log" % proj, "resource": {"type": "cloudsql_database", "labels": {"database_id": "%s:main-pg" % proj,
                                                                                                                                         "project_id": K(proj), "region": "europe-west3"}},
         "severity": "INFO", "textPayload": tp, "timestamp": K(t_iso(d, 6))}
    return J(o)


def k8s_user(clean):
    if not clean and chance(0.25):
        return {"username": S(email(), "email"), "groups": ["system:authenticated", "oidc:platform-admins"], "extra": {"authentication.kubernetes.io/credential-id": [K("JTI=" + uuid4())]}}
    return ch([{"username": "system:serviceaccount:%s:%s" % (ch(["argocd", "flux-system", "ci"]), ch(["argocd-application-controller", "kustomize-controller", "deployer"])),
                "uid": uuid4(), "groups": ["system:serviceaccounts", "system:authenticated"]},
               {"username": "oidc:" + ch(FIRST["en"]), "groups": ["system:authenticated", "oidc:platform-admins"], "extra": {"authentication.kubernetes.io/credential-id": [K("JTI=" + uuid4())]}},
               {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]}])


KUA = ["kubectl/v1.%d.%d (linux/amd64) kubernetes/%s" % (ri(27, 31), ri(0, 9), hx(7)) for _ in range(3)] + \
      ["argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format", "kustomize-controller/v1.2.2", "helm/v3.14.3"]


def L_k8s_audit(clean):
    d = rdt()
    ns = ch(["prod", "payments", "default", "staging", "platform"])
    v = ri(0, 5)
    u = k8s_user(clean)
    base = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse", "auditID": K(uuid4()), "stage": "ResponseComplete"}
    ann = {"authorization.k8s.io/decision": "allow",
           "authorization.k8s.io/reason": 'RBAC: allowed by ClusterRoleBinding "%s" of ClusterRole "%s" to Group "%s"' % (ch(["platform-admins", "argocd-manager"]), ch(["cluster-admin", "edit"]), u["groups"][0])}
    tsr = t_iso(d, 6)
    tse = t_iso(d + timedelta(milliseconds=ri(2, 80)), 6)
    ua_ = ch(KUA)
    if clean or v == 5:
        # metadata level: reads, leases, list secrets (names only)
        verb = ch(["get", "list", "update", "watch"])
        res = ch(["secrets", "pods", "leases", "configmaps", "deployments"])
        name = ch(["db-credentials", "api-7d9f8c6b5-x2k4p", "kube-controller-manager", "app-config", "checkout"])
        ev = dict(base, level="Metadata", requestURI=X("/api/v1/namespaces/", ns, "/", res, "/", K(name) if verb != "list" else "", "?timeout=32s" if verb == "list" else ""),
                  verb=verb, user=u, sourceIPs=[K(ip_priv())], userAgent=K(ua_), objectRef={"resource": res, "namespace": ns, "name": name, "apiVersion": "v1"},
                  responseStatus={"metadata": {}, "code": 200}, requestReceivedTimestamp=K(tsr), stageTimestamp=tse, annotations=ann)
        if clean and chance(0.3):
            # pod exec with harmless command
            pn = pod_name()
            ev = dict(base, level="Request", requestURI=X("/api/v1/namespaces/", ns, "/pods/", K(pn), "/exec?command=sh&command=-c&command=", PCT(X("cat /etc/os-release")),
                                                          "&container=app&stdin=true&stdout=true&tty=true"),
                      verb="create", user=u, sourceIPs=[K(ip_pub())], userAgent=K(ua_), objectRef={"resource": "pods", "namespace": ns, "name": pn, "apiVersion": "v1", "subresource": "exec"},
                      responseStatus={"metadata": {}, "code": 101}, requestReceivedTimestamp=K(tsr), stageTimestamp=tse, annotations=ann)
        if clean and chance(0.3):
            ev = dict(base, requestURI=X("/api/v1/namespaces/", ns, "/secrets"), verb="create", user=u, sourceIPs=[K(ip_priv())], userAgent=K(ua_),
                      objectRef={"resource": "secrets", "namespace": ns, "name": "registry-ca", "apiVersion": "v1"},
                      requestObject={"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "registry-ca", "namespace": ns, "creationTimestamp": None},
                                     "data": {"ca.crt": K(b64(("-----BEGIN CERTIFICATE-----\nMII" + rs(60, B64) + "\n-----END CERTIFICATE-----\n").encode()))}, "type": "Opaque"},
                      responseStatus={"metadata": {}, "code": 201}, requestReceivedTimestamp=K(tsr), stageTimestamp=tse, annotations=ann)
        return J(ev)
    if v in (0, 1):
        # Secret create/patch at RequestResponse level: data values (base64) or stringData (plain)
        name = ch(["db-credentials", "app-secrets", "smtp-auth", "stripe-keys", "registry-auth"])
        items = []
        r = ri(0, 2)
        if r == 0:
            pw = password_simple()
            items = [("username", K(b64(ch(["app_user", "shop_admin", "svc_reporting"]).encode())) if False else b64(b"app_user"), None), ("password", b64(pw.encode()), "base64_secret")]
        elif r == 1:
            vv, t = vtoken()
            items = [(vv[2].lower().replace("_", "-"), b64(t.encode()), "base64_secret")]
        else:
            items = [("DATABASE_URL", b64(("postgres://app:%s@%s:5432/app" % (password_simple(), ip_priv())).encode()), "base64_secret"), ("PGHOST", b64(ip_priv().encode()), None)]
        if v == 1 and chance(0.3):
            name = ch(["api-tls", "ingress-cert", "webhook-server-cert"])
            obj = {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": name, "namespace": ns, "creationTimestamp": None},
                   "stringData": {"tls.crt": X("-----BEGIN CERTIFICATE-----\n", K("MII" + rs(61, AL + "+/")), "\n-----END CERTIFICATE-----\n"), "tls.key": pem_block("PRIVATE KEY", "\n")},
                   "type": "kubernetes.io/tls"}
            ev = dict(base, requestURI=X("/api/v1/namespaces/", ns, "/secrets"), verb="create", user=u, sourceIPs=[K(ip_pub())], userAgent=K(ua_),
                      objectRef={"resource": "secrets", "namespace": ns, "name": name, "apiVersion": "v1"}, responseStatus={"metadata": {}, "code": 201}, requestObject=obj,
                      requestReceivedTimestamp=K(tsr), stageTimestamp=tse, annotations=ann)
            return J(ev)
        if v == 0:
            data = {k: (S(val, kd) if kd else val) for k, val, kd in items}
            obj = {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": name, "namespace": ns, "creationTimestamp": None}, "data": data, "type": "Opaque"}
            last = J({"apiVersion": "v1", "data": data, "kind": "Secret", "metadata": {"annotations": {}, "name": name, "namespace": ns}, "type": "Opaque"})
            obj["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": X(last, "\n")}
        else:
            sd = {}
            for k, val, kd in items:
                raw = base64.b64decode(val).decode()
                if kd:
                    if k == "DATABASE_URL":
                        pw = raw.split(":")[2].split("@")[0]
                        sd[k] = X("postgres://app:", S(pw, "password"), "@", raw.split("@")[1])
                    elif k == "password":
                        sd[k] = S(raw, "password")
                    else:
                        sd[k] = S(raw, vkind(next(x[0] for x in VENDORS if x[2].lower().replace("_", "-") == k)))
                else:
                    sd[k] = raw
            obj = {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": name, "namespace": ns, "creationTimestamp": None}, "stringData": sd, "type": "Opaque"}
        ev = dict(base, requestURI=X("/api/v1/namespaces/", ns, "/secrets", "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict"), verb="create", user=u,
                  sourceIPs=[K(ip_pub())], userAgent=K(ua_), objectRef={"resource": "secrets", "namespace": ns, "name": name, "apiVersion": "v1"},
                  responseStatus={"metadata": {}, "code": 201}, requestObject=obj, requestReceivedTimestamp=K(tsr), stageTimestamp=tse, annotations=ann)
        return J(ev)
    if v == 2:
        # pods/exec with a password on the command line
        pn = pod_name()
        pw = password_simple()
        cmd = ch([["psql", X("postgresql://app:", S(pw, "password"), "@", ip_priv(), ":5432/app"), "-c", "select 1"],
                  ["mysql", "-uroot", X("-p", S(pw, "password")), "-e", "show databases"],
                  ["redis-cli", "-a", S(pw, "password"), "INFO"]])
        uri = X("/api/v1/namespaces/", ns, "/pods/", K(pn), "/exec?", JOIN("&", [X("command=", FORM(c)) for c in cmd]), "&container=", ch(["app", "db", "redis"]), "&stderr=true&stdout=true")
        ev = dict(base, level="Request", requestURI=uri, verb="create", user=u, sourceIPs=[K(ip_pub())], userAgent=K(ua_),
                  objectRef={"resource": "pods", "namespace": ns, "name": pn, "apiVersion": "v1", "subresource": "exec"}, responseStatus={"metadata": {}, "code": 101},
                  requestReceivedTimestamp=K(tsr), stageTimestamp=tse, annotations=ann)
        return J(ev)
    if v == 3:
        # TokenRequest: the response carries a bound service-account JWT
        sa = ch(["vault-auth", "external-dns", "ci-runner", "grafana-agent"])
        tok = jwt({"aud": ["https://kubernetes.default.svc.cluster.local"], "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": sa, "uid": uuid4()}},
                   "iss": "https://kubernetes.default.svc.cluster.local"}, alg="RS256")
        ev = dict(base, requestURI=X("/api/v1/namespaces/", ns, "/serviceaccounts/", sa, "/token"), verb="create", user=u, sourceIPs=[K(ip_priv())], userAgent=K(ua_),
                  objectRef={"resource": "serviceaccounts", "namespace": ns, "name": sa, "apiVersion": "v1", "subresource": "token"},
                  responseStatus={"metadata": {}, "code": 201},
                  requestObject={"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1", "metadata": {"creationTimestamp": None},
                                 "spec": {"audiences": ["https://kubernetes.default.svc.cluster.local"], "expirationSeconds": 3600, "boundObjectRef": None}, "status": {"token": "", "expirationTimestamp": None}},
                  responseObject={"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1", "metadata": {"name": sa, "namespace": ns, "creationTimestamp": t_iso(d, 0)},
                                  "spec": {"audiences": ["https://kubernetes.default.svc.cluster.local"], "expirationSeconds": 3600, "boundObjectRef": None},
                                  "status": {"token": S(tok, "jwt"), "expirationTimestamp": t_iso(d + timedelta(hours=1), 0)}},
                  requestReceivedTimestamp=K(tsr), stageTimestamp=tse, annotations=ann)
        return J(ev)
    # Deployment patch with plaintext env values
    dep = ch(["api", "checkout", "worker", "notifier"])
    envs = [{"name": "LOG_LEVEL", "value": "info"}, {"name": "DB_HOST", "value": ip_priv()}]
    for _ in range(ri(1, 2)):
        n, val, vv, t = vendor_env()
        envs.append({"name": n, "value": val})
    if chance(0.25):
        envs.append({"name": "AWS_ACCESS_KEY_ID", "value": S(aws_akid(), "aws_access_key_id")})
        envs.append({"name": "AWS_SECRET_ACCESS_KEY", "value": S(aws_secret(), "aws_secret_access_key")})
    if chance(0.5):
        envs.append({"name": "DB_PASSWORD", "value": S(password(), "password")})
    envs.append({"name": "SMTP_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "smtp-auth", "key": "password"}}})
    patch = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": t_iso(d, 0, "Z")}},
                                   "spec": {"containers": [{"name": dep, "image": K("registry.%s/%s@sha256:%s" % (domain(), dep, sha256hex())), "env": envs}]}}}}
    ev = dict(base, level="Request", requestURI=X("/apis/apps/v1/namespaces/", ns, "/deployments/", dep, "?fieldManager=kubectl-edit"), verb="patch", user=u,
              sourceIPs=[K(ip_pub())], userAgent=K(ua_), objectRef={"resource": "deployments", "namespace": ns, "name": dep, "apiGroup": "apps", "apiVersion": "v1"},
              responseStatus={"metadata": {}, "code": 200}, requestObject=patch, requestReceivedTimestamp=K(tsr), stageTimestamp=tse, annotations=ann)
    return J(ev)


# =====================================================================================
# Layouts (3): CI/CD and IaC output, webhooks, databases
# =====================================================================================
def gha_ts(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%07dZ" % ri(0, 9999999)


ESC = "\x1b"


def L_ci_logs(clean):
    d = rdt()
    v = ch([0, 0, 1, 2, 3, 4, 5, 6, 7, 7])
    if FORCE_VENDOR:
        v = 7
    if v == 0:  # GitHub Actions: env block of a step
        pre = X(K(gha_ts(d)), " ")
        rows = [X("  NODE_ENV: production"), X("  AWS_REGION: ", ch(["eu-west-1", "sa-east-1", "ap-northeast-1"])), X("  NPM_TOKEN: ", K("***"))]
        if not clean:
            r = ri(0, 4)
            if r == 4:
                r = 2
            if r == 0:
                rows.append(X("  DATABASE_URL: postgres://ci:", S(password_simple(), "password"), "@", ip_priv(), ":5432/ci_test"))
            elif r == 1:
                for _ in range(ri(1, 3)):
                    n, val, vv, t = vendor_env()
                    rows.append(X("  ", n, ": ", val))
            elif r == 2:
                rows.append(X("  AWS_ACCESS_KEY_ID: ", S(aws_akid(), "aws_access_key_id")))
                rows.append(X("  AWS_SECRET_ACCESS_KEY: ", S(aws_secret(), "aws_secret_access_key")))
                if chance(0.6):
                    rows.append(X("  AWS_SESSION_TOKEN: ", S(aws_session(), "aws_session_token")))
            else:
                rows.append(X("  TEST_USER_EMAIL: ", S(email(), "email")))
                rows.append(X("  TEST_USER_PASSWORD: ", S(password_simple(), "password")))
        else:
            rows.append(X("  DB_PASSWORD: ", K(ch(["***", "${{ secrets.DB_PASSWORD }}"]))))
        R.shuffle(rows)
        return X(pre, "##[group]Run ", ch(["npm ci && npm test", "make deploy", "./scripts/migrate.sh"]), "\\n", JOIN("\\n", [X(K(gha_ts(d)), r) for r in [X("env:")] + rows]), "\\n", K(gha_ts(d)), "##[endgroup]")
    if v == 1:  # git remote with token in URL
        if clean:
            return X(K(gha_ts(d)), " [command]/usr/bin/git remote add origin https://github.com/", ch(COMPANY), "/", ch(["web", "api", "infra"]), "\\n", K(gha_ts(d)),
                     " [command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +", K(gitsha()), ":refs/remotes/origin/main")
        tok = VBY["github"][1]()
        VPENDING.append("github")
        who = ch(["x-access-token", "oauth2", ch(["ci-bot", "deploy"])])
        return X(K(gha_ts(d)), " [command]/usr/bin/git push https://", who, ":", S(tok, "vendor:github"), "@github.com/", ch(COMPANY), "/", ch(["gh-pages", "charts", "docs"]),
                 ".git HEAD:", ch(["gh-pages", "main"]))
    if v == 2:  # GitLab job log with ANSI colours
        pre = X(ESC, "[0KRunning with gitlab-runner ", K("16.%d.%d (%s)" % (ri(5, 11), ri(0, 3), hx(8))), ESC, "[0;m\\n")
        if clean:
            body = ch([X(ESC, "[32;1m$ docker login -u gitlab-ci-token -p ", K("[MASKED]"), " $CI_REGISTRY", ESC, "[0;m\\nLogin Succeeded"),
                       X(ESC, "[32;1m$ echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc", ESC, "[0;m"),
                       X(ESC, "[0KUsing docker image sha256:", K(sha256hex()), " for node:20-alpine with digest node@sha256:", K(sha256hex()), " ...", ESC, "[0;m")])
        else:
            r = ri(0, 2)
            if r == 0:
                pw = password_simple()
                body = X(ESC, "[32;1m$ docker login -u ", ch(["deploy", "ci"]), " -p ", S(pw, "password"), " registry.", domain(), ESC, "[0;m\\nWARNING! Using --password via the CLI is insecure. Use --password-stdin.\\nLogin Succeeded")
            elif r == 1:
                tok = VBY["npm"][1]()
                VPENDING.append("npm")
                body = X(ESC, "[32;1m$ npm config set //registry.npmjs.org/:_authToken ", S(tok, "vendor:npm"), ESC, "[0;m")
            else:
                name, f, vv, t = vendor_header()
                body = X(ESC, "[32;1m$ curl -sSf --header \"", f, "\" https://", host(), "/api/v4/projects/", ri(10, 9999), "/deployments", ESC, "[0;m")
        return X(pre, body)
    if v == 3:  # Terraform plan / apply output
        if clean:
            return X("  # aws_db_instance.main will be created\\n  + resource \"aws_db_instance\" \"main\" {\\n      + allocated_storage = 100\\n      + arn = (known after apply)\\n      + engine = \"postgres\"\\n      + password = ",
                     K("(sensitive value)"), "\\n      + username = \"app\"\\n      + kms_key_id = \"", K("arn:aws:kms:eu-west-1:%d:key/%s" % (ri(10 ** 11, 10 ** 12 - 1), uuid4())), "\"\\n    }")
        r = ri(0, 2)
        if r == 0:
            return X("Outputs:\\n\\ndb_url = \"postgres://app:", S(password_simple(), "password"), "@", K(ch(COMPANY) + "-prod.cluster-" + rs(12, LOWDIG) + ".eu-west-1.rds.amazonaws.com"),
                     ":5432/app\"\\nbucket_arn = \"", K("arn:aws:s3:::%s-assets-prod" % ch(COMPANY)), "\"")
        if r == 1:
            return X("  # aws_iam_access_key.ci will be created\\n  + resource \"aws_iam_access_key\" \"ci\" {\\n      + id = \"", S(aws_akid(), "aws_access_key_id"),
                     "\"\\n      + secret = \"", S(aws_secret(), "aws_secret_access_key"), "\"\\n      + status = \"Active\"\\n      + user = \"ci-deployer\"\\n    }")
        n, val, vv, t = vendor_env()
        return X("  ~ resource \"kubernetes_secret\" \"app\" {\\n        id = \"prod/app\"\\n      ~ data = {\\n          ~ \"", n, "\" = \"", val, "\"\\n        }\\n    }")
    if v == 4:  # Ansible
        host_ = ch(["web01", "db01", "app-02.prod", "10.0.4.17"])
        if clean:
            return X("TASK [postgres : create application role] ***********************************\\nok: [", host_, "] => {\"changed\": false, \"invocation\": {\"module_args\": {\"login_password\": \"",
                     K("VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"), "\", \"login_user\": \"postgres\", \"name\": \"app\", \"password\": \"", K("VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"),
                     "\"}}}\\nok: [", host_, "] => {\"censored\": \"the output has been hidden due to the fact that 'no_log: true' was specified for this result\", \"changed\": false}")
        r = ri(0, 2)
        if r == 0:
            return X("TASK [users : create deploy users] *******************************************\\nchanged: [", host_, "] => (item={'name': '", ch(["deploy", "backup", "ops"]),
                     "', 'password': '", S(pw_hash(), "password_hash") if False else S("$6$" + rs(16, "./" + AL) + "$" + rs(86, "./" + AL), "password_hash"), "', 'groups': ['sudo']})")
        if r == 1:
            return X("TASK [mysql : create db user] ************************************************\\nok: [", host_, "] => {\"changed\": false, \"invocation\": {\"module_args\": {\"login_password\": \"",
                     S(password_simple(), "password"), "\", \"login_user\": \"root\", \"name\": \"shop\", \"host\": \"%\", \"priv\": \"shop.*:ALL\"}}}")
        return X("fatal: [", host_, "]: FAILED! => {\"changed\": false, \"msg\": \"Status code was 401 and not [200]: HTTP Error 401: Unauthorized\", \"url\": \"https://", host(),
                 "/api/v1/register?", secret_query_param("pct"), "\"}")
    if v == 5:  # Jenkins console
        if clean:
            return X("[Pipeline] withCredentials\\nMasking supported pattern matches of $REG_PASS\\n[Pipeline] {\\n[Pipeline] sh\\n+ docker login -u ci -p ", K("****"), " registry.", domain(),
                     "\\nWARNING! Using --password via the CLI is insecure. Use --password-stdin.\\n+ git rev-parse HEAD\\n", K(gitsha()))
        return X("[Pipeline] sh\\n+ curl -fsS -u ", ch(["admin", "jenkins", "release"]), ":", S(password_simple(), "password"), " -X POST https://", host(), "/service/rest/v1/components?repository=releases")
    if v == 6 and not clean and chance(0.35):  # multi-line variables cannot be masked by GitLab; 'set -x' echoes them
        if chance(0.5):
            return X(ESC, "[32;1m$ mkdir -p ~/.ssh && echo \"$DEPLOY_KEY\" > ~/.ssh/id_ed25519", ESC, "[0;m\\n+ echo '", openssh_block("\\n"), "'")
        return X(ESC, "[32;1m$ echo \"$TLS_KEY\" > /tmp/tls.key", ESC, "[0;m\\n+ echo '", pem_block(ch(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"]), "\\n"), "'")
    if v == 6:  # base64 of a secret not recognised by the masker
        if clean:
            return X(K(gha_ts(d)), " Cache restored from key: ", K("node-cache-Linux-x64-npm-" + sha256hex()), "\\n", K(gha_ts(d)), " cursor=", K(b64_cursor()))
        payload = ch([("{\"username\":\"deploy\",\"password\":\"%s\"}" % password_simple()), "%s:%s" % (aws_akid(), aws_secret()), VENDORS[ri(0, len(VENDORS) - 1)][1]()])
        return X(K(gha_ts(d)), " Run echo \"$CREDS\" | base64 -w0\\n", K(gha_ts(d)), " ", S(b64(payload.encode()), "base64_secret"))
    # CircleCI / Buildkite style env echo
    if clean:
        return X("#!/bin/bash -eo pipefail\\nenv | grep -E '^(CI|CIRCLE)_' | sort\\nCIRCLE_BRANCH=main\\nCIRCLE_BUILD_NUM=", ri(1000, 99999), "\\nCIRCLE_SHA1=", K(gitsha()),
                 "\\nCIRCLE_WORKFLOW_ID=", K(uuid4()))
    envs = []
    for _ in range(ri(1, 3)):
        n, val, vv, t = vendor_env()
        envs.append(X(n, "=", val))
    return X("#!/bin/bash -eo pipefail\\nenv | sort\\nCIRCLE_BRANCH=main\\nCIRCLE_SHA1=", K(gitsha()), "\\n", JOIN("\\n", envs), "\\nHOME=/home/circleci\\nPWD=", K("/home/circleci/project"))


def L_webhook(clean):
    d = rdt()
    v = ch([0, 1, 2, 3, 4, 5, 6, 7, 8, 8])
    if v == 8:  # integration settings changed (audit event of a SaaS that stores third-party credentials)
        o = {"event": "integration.updated", "occurred_at": K(t_iso(d)), "actor": {"id": ri(1000, 99999), "type": "user"}, "account_id": K(uuid4()), "request_id": K(uuid4())}
        if clean:
            o["integration"] = ch(["slack", "sendgrid", "datadog"])
            o["changes"] = {"enabled": [False, True], "api_key": ["[FILTERED]", "[FILTERED]"]}
        else:
            n, val, vv, t = vendor_env()
            o["integration"] = VKIND.get(vv[0], vv[0])
            o["changes"] = {"enabled": [False, True], n.lower(): [None, val]}
            if chance(0.75):
                n2, val2, vv2, t2 = vendor_env()
                o["changes"][n2.lower()] = [None, val2]
        return X(K(t_iso(d)), " audit ", J(o))
    if v == 0:  # stripe CLI
        if clean:
            return X(d.strftime("%Y-%m-%d %H:%M:%S"), "   --> ", ch(["payment_intent.succeeded", "customer.created", "invoice.paid", "charge.refunded"]), " [", K("evt_" + rs(24)), "]\\n",
                     d.strftime("%Y-%m-%d %H:%M:%S"), "  <--  [", ch([200, 500]), "] POST http://localhost:", ch([3000, 4242, 8000]), "/webhooks/stripe [", K("evt_" + rs(24)), "]")
        return X("> Ready! You are using Stripe API Version [", K("2024-0%d-%02d" % (ri(1, 9), ri(1, 28))), "]. Your webhook signing secret is ", S("whsec_" + rs(32), "vendor:stripe"), " (^C to quit)")
    if v == 1:  # Stripe event body logged by the receiver
        cus = "cus_" + rs(14)
        sig = "t=%d,v1=%s" % (int(epoch(d)), hx(64))
        if clean:
            obj = {"id": K("pm_" + rs(24)), "object": "payment_method", "card": {"brand": "visa", "last4": K(ch(["4242", "0341", "1881"]) + ""), "exp_month": ri(1, 12), "exp_year": ri(2025, 2031),
                                                                                    "fingerprint": K(rs(16))}, "customer": K(cus)}
            typ = "payment_method.attached"
        else:
            obj = {"id": K(cus), "object": "customer", "email": S(email(), "email"), "name": " ".join([ch(FIRST["en"]).capitalize(), ch(LAST["en"]).capitalize()]),
                   "phone": S(phone(), "phone"), "address": {"line1": S(address("us").split(",")[0], "street_address"), "city": "Springfield", "postal_code": str(ri(10000, 99999)), "country": "US"}}
            typ = "customer.created"
        body = {"id": K("evt_" + rs(24)), "object": "event", "api_version": "2024-04-10", "created": int(epoch(d)), "data": {"object": obj}, "livemode": True, "type": typ}
        return X(K(t_iso(d)), " INFO  webhooks.stripe received event Stripe-Signature=", sig, " body=", J(body))
    if v == 2:  # Twilio inbound SMS webhook (form body)
        msid = "SM" + hx(32)
        frm = phone_e164()
        to = "+1" + ch(["415", "212"]) + "55501" + "%02d" % ri(0, 99)
        if clean:
            body_txt = ch(["STOP", "HELP", "Yes+please", "Thanks%21"])
            parts = [X("ToCountry=US"), X("SmsMessageSid=", K(msid)), X("NumMedia=0"), X("SmsStatus=received"), X("Body=", body_txt), X("To=", FORM(X(to))),
                     X("MessageSid=", K(msid)), X("AccountSid=", K("AC" + hx(32))), X("From=", FORM(X(masked_phone()))), X("ApiVersion=2010-04-01")]
        else:
            code = otp()
            parts = [X("ToCountry=US"), X("SmsMessageSid=", K(msid)), X("NumMedia=0"), X("SmsStatus=received"),
                     X("Body=", FORM(X(ch(["My code is ", "Codigo: ", "Code ", ""]), S(code, "otp_code")))) if chance(0.7) else X("Body=", ch(["STOP", "Hi+there"])),
                     X("To=", FORM(X(to))), X("MessageSid=", K(msid)), X("AccountSid=", K("AC" + hx(32))), X("From=", FORM(S(frm, "phone"))), X("ApiVersion=2010-04-01")]
        return X(K(t_iso(d)), " POST /twilio/sms 200 body=", JOIN("&", parts), " X-Twilio-Signature=", b64(rbytes(20)))
    if v == 3:  # SendGrid event webhook
        evs = []
        for _ in range(ri(1, 3)):
            e = {"email": S(email(), "email") if not clean else K(masked_email()), "timestamp": int(epoch(d)), "smtp-id": K("<%s@%s>" % (rs(22, B64U), domain())),
                 "event": ch(["delivered", "open", "click", "bounce", "processed"]), "category": ["transactional"], "sg_event_id": K(rs(22, B64U)),
                 "sg_message_id": K(rs(22, B64U) + ".filterdrecv-" + rs(10, LOWDIG) + "-" + rs(5, LOWDIG) + "-1-" + hx(8) + "-" + str(ri(1, 40)) + "-0")}
            evs.append(e)
        return X(K(t_iso(d)), " sendgrid-events batch=", len(evs), " payload=", J(evs))
    if v == 4:  # Shopify webhook
        wid = uuid4()
        shop = ch(COMPANY) + "-store.myshopify.com"
        if clean:
            return X("Received webhook ", ch(["orders/paid", "products/update", "app/uninstalled"]), " for ", K(shop), " X-Shopify-Webhook-Id=", K(wid), " X-Shopify-Hmac-Sha256=",
                     b64(rbytes(32)), " order_id=", ri(10 ** 12, 10 ** 13), " total_price=", "%.2f" % R.uniform(5, 900))
        cust = {"email": S(email(), "email"), "phone": S(phone_e164(), "phone"), "first_name": ch(FIRST["pt"]).capitalize()}
        ship = {"address1": S(address(ch(["us", "br", "de"])), "street_address"), "country_code": ch(["US", "BR", "DE"])}
        body = {"id": ri(10 ** 12, 10 ** 13), "admin_graphql_api_id": K("gid://shopify/Order/%d" % ri(10 ** 12, 10 ** 13)), "customer": cust, "shipping_address": ship,
                "total_price": "%.2f" % R.uniform(5, 900), "currency": "EUR"}
        return X("Received webhook orders/create for ", K(shop), " X-Shopify-Webhook-Id=", K(wid), " body=", J(body))
    if v == 5:  # failed outgoing webhook deliveries (chat hooks)
        if clean:
            return X(K(t_iso(d)), " WARN notifier: delivery to https://hooks.slack.com/services/", K("T" + rs(10, UPDIG)), "/", K("B" + rs(10, UPDIG)), "/", K("********"),
                     " failed: 404 no_service (attempt ", ri(1, 5), "/5)")
        r = min(range(3), key=lambda i: (VUSE[["slack", "discord", "microsoft_teams"][i]], R.random()))
        if r == 0:
            VPENDING.append("slack")
            return X(K(t_iso(d)), " WARN notifier: delivery to https://hooks.slack.com/services/", K("T" + rs(10, UPDIG)), "/", K("B" + rs(10, UPDIG)), "/",
                     S(rs(24), "vendor:slack"), " failed: 404 no_service (attempt ", ri(1, 5), "/5)")
        if r == 1:
            VPENDING.append("discord")
            return X(K(t_iso(d)), " ERROR webhook POST https://discord.com/api/webhooks/", K(str(ri(10 ** 17, 10 ** 18))), "/", S(rs(68, B64U), "vendor:discord"), " -> 429 rate limited, retry_after=",
                     "%.3f" % R.uniform(0.1, 5))
        VPENDING.append("microsoft_teams")
        return X(K(t_iso(d)), " ERROR teams connector https://", ch(COMPANY), ".webhook.office.com/webhookb2/", K(uuid4()), "@", K(uuid4()), "/IncomingWebhook/",
                 S(hx(32) + "/" + uuid4(), "vendor:microsoft_teams"), " returned 400: Summary or Text is required.")
    if v == 6:  # GitHub webhook delivery
        hdrs = X("X-GitHub-Event=push X-GitHub-Delivery=", K(uuid4()), " X-Hub-Signature-256=sha256=", hx(64), " User-Agent=", K("GitHub-Hookshot/" + hx(7)))
        if clean:
            return X(K(t_iso(d)), " hook received ", hdrs, " ref=refs/heads/main after=", K(gitsha()), " pusher=", ch(["dependabot[bot]", "renovate[bot]"]))
        return X(K(t_iso(d)), " hook received ", hdrs, " ref=refs/heads/main after=", K(gitsha()), " pusher={\"name\":\"", ch(FIRST["en"]), "\",\"email\":\"", S(email(), "email"), "\"}")
    # Mailgun webhook
    sigtok = hx(50)
    ed = {"event": ch(["delivered", "failed", "opened"]), "id": K(rs(22, B64U)), "timestamp": round(epoch(d), 6),
          "recipient": S(email(), "email") if not clean else K(masked_email()), "message": {"headers": {"message-id": K("%s@%s" % (rs(20, UPDIG), domain())),
                                                                                                     "subject": ch(["Your receipt", "Reset your password", "Welcome!"])}}}
    if not clean and chance(0.5):
        ed["user-variables"] = {"reset_url": X("https://", host(), "/reset?token=", S(reset_token(), "reset_token"))}
    return X(K(t_iso(d)), " mailgun webhook ", J({"signature": {"timestamp": str(int(epoch(d))), "token": sigtok, "signature": hx(64)}, "event-data": ed}))


def pg_pre(d):
    return X(K(d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d UTC" % (d.microsecond // 1000)), " [", ri(1000, 90000), "] ", ch(["app", "shop", "api"]), "@", ch(["shop", "app", "crm"]), " ")


def L_db_logs(clean):
    d = rdt()
    v = ri(0, 8)
    if v == 0:  # ALTER ROLE ... PASSWORD echoed by log_statement=ddl
        if clean:
            return X(pg_pre(d), "LOG:  statement: ALTER ROLE reporting WITH PASSWORD ", K("'********'"), "  -- issued via psql \\password (client-side hashed)")
        if chance(0.5):
            return X(pg_pre(d), "LOG:  statement: ", ch(["ALTER ROLE", "CREATE USER", "ALTER USER"]), " ", ch(["reporting", "grafana", "airflow"]), " WITH ", ch(["LOGIN ", ""]), "PASSWORD '",
                     S(password_simple(), "password"), "';")
        return X(pg_pre(d), "LOG:  statement: CREATE ROLE ", ch(["metabase", "readonly"]), " LOGIN PASSWORD '", S("SCRAM-SHA-256$4096:" + b64(rbytes(16)) + "$" + b64(rbytes(32)) + ":" + b64(rbytes(32)), "password_hash"), "';")
    if v == 1:  # jsonlog (PG15+) slow statement with bind parameters
        em = email()
        o = {"timestamp": K(d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d UTC" % (d.microsecond // 1000)), "user": "app", "dbname": "shop", "pid": ri(1000, 90000),
             "remote_host": K(ip_priv()), "remote_port": ri(1024, 65535), "session_id": K("%x.%x" % (int(epoch(d)), ri(1000, 60000))), "line_num": ri(1, 90), "ps": "SELECT",
             "session_start": d.strftime("%Y-%m-%d %H:%M:%S UTC"), "vxid": "%d/%d" % (ri(1, 40), ri(1, 99999)), "txid": 0, "error_severity": "LOG",
             "message": "duration: %.3f ms  execute S_%d: SELECT id, password_hash, mfa_secret FROM users WHERE lower(email) = lower($1) AND tenant_id = $2" % (R.uniform(500, 9000), ri(1, 30))}
        if clean:
            o["detail"] = X("parameters: $1 = '", K(masked_email()), "', $2 = '", K(uuid4()), "'")
        else:
            o["detail"] = X("parameters: $1 = '", S(em, "email"), "', $2 = '", K(uuid4()), "'")
        o.update({"application_name": "PostgreSQL JDBC Driver", "backend_type": "client backend", "query_id": -ri(10 ** 17, 10 ** 18)})
        return J(o)
    if v == 2:  # csvlog unique violation
        if clean:
            det = X("Key (sku)=(", K(rs(3, UP) + "-" + rs(6, DIG)), ") already exists.")
        else:
            r = ri(0, 2)
            det = [X("Key (email)=(", S(email(), "email"), ") already exists."), X("Key (phone)=(", S(phone_e164(), "phone"), ") already exists."),
                   X("Key (tax_id)=(", S(cpf(), "national_id"), ") already exists."), X("Key (ssn)=(", S(ssn(), "ssn"), ") already exists.")][ri(0, 3)]
        return X(K(d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d UTC" % (d.microsecond // 1000)), ",\"app\",\"shop\",", ri(1000, 90000), ",\"", K(ip_priv()), ":", ri(1024, 65535), "\",",
                 "%x.%x" % (int(epoch(d)), ri(1000, 60000)), ",", ri(1, 90), ",\"INSERT\",", d.strftime("%Y-%m-%d %H:%M:%S UTC"), ",", ri(1, 40), "/", ri(1, 99999),
                 ",0,ERROR,23505,\"duplicate key value violates unique constraint \"\"", ch(["users_email_key", "customers_phone_key", "customers_tax_id_key", "products_sku_key"]), "\"\"\",\"", det,
                 "\",,,,,\"INSERT INTO customers (email, phone, tax_id) VALUES ($1, $2, $3)\",,,\"", ch(["PostgreSQL JDBC Driver", "psycopg", "node-postgres"]), "\",\"client backend\",,0")
    if v == 3:  # MySQL slow log, flattened
        if clean:
            q = X("SELECT o.id, o.total FROM orders o WHERE o.customer_id = ", ri(1000, 99999), " AND o.created_at > '", d.strftime("%Y-%m-%d"), "' ORDER BY o.created_at DESC LIMIT 50;")
        else:
            r = ri(0, 2)
            q = [X("SELECT * FROM customers WHERE email = '", S(email(), "email"), "' OR phone = '", S(phone(), "phone"), "';"),
                 X("UPDATE users SET password_hash = '", S("$2y$10$" + rs(53, "./" + AL), "password_hash"), "', reset_token = NULL WHERE reset_token = '", S(reset_token(), "reset_token"), "';"),
                 X("SELECT id FROM payment_cards WHERE pan = '", S(card(fmt=0), "card_number"), "' LIMIT 1;")][r]
        return X("# Time: ", K(t_iso(d, 6)), "\\n# User@Host: app[app] @  [", K(ip_priv()), "]  Id: ", ri(100, 99999), "\\n# Query_time: %.6f  Lock_time: %.6f Rows_sent: %d  Rows_examined: %d\\nSET timestamp=%d;\\n" %
                 (R.uniform(1, 30), R.uniform(0, 0.01), ri(0, 50), ri(1000, 9000000), int(epoch(d))), q)
    if v == 4:  # MySQL general log (tabs); MySQL rewrites passwords as <secret>
        pre = X(K(t_iso(d, 6)), "\t", "%5d" % ri(10, 99999), " Query\t")
        if clean:
            return X(pre, ch([X("CREATE USER 'reporting'@'%' IDENTIFIED BY ", K("<secret>")), X("ALTER USER 'app'@'10.%' IDENTIFIED WITH 'caching_sha2_password' BY ", K("<secret>")),
                              X("SELECT COUNT(*) FROM sessions WHERE expires_at < NOW()")]))
        r = ri(0, 3)
        if r == 3:
            return X(pre, "UPDATE employees SET ", ch([X("ssn='", S(ssn(), "ssn"), "'"), X("ni_number='", S(nino(), "uk_nino"), "'")]), ", home_address='",
                     S(address(ch(["us", "uk"])), "street_address"), "' WHERE employee_id=", ri(100, 99999))
        if r == 2:
            return X(pre, "INSERT INTO sepa_mandates (customer_id, iban, holder, signed_at) VALUES (", ri(1, 99999), ", '", S(iban(spaced=False), "iban"), "', '", ch(FIRST["fr"]).capitalize(), " ",
                     ch(LAST["fr"]).capitalize(), "', '", d.strftime("%Y-%m-%d"), "')")
        if r == 0:
            return X(pre, "UPDATE users SET email='", S(email(), "email"), "', phone='", S(phone(), "phone"), "', birth_date='", S(dob(0), "date_of_birth"), "' WHERE id=", ri(1, 99999))
        pr = vtoken_kind_pair()
        return X(pre, "INSERT INTO api_credentials (tenant_id, provider, secret) VALUES (", ri(1, 999), ", '", VKIND.get(pr[0], pr[0]), "', '", pr[1], "')")
    if v == 5:  # Redis MONITOR
        pre = X("%.6f" % epoch(d), " [0 ", K(ip_priv()), ":", ri(1024, 65535), "] ")
        if clean:
            return X(pre, ch([X("\"AUTH\" \"", K("(redacted)"), "\""), X("\"GET\" \"cache:product:", K(uuid4()), "\""), X("\"INCR\" \"ratelimit:", K(ip_pub()), ":", int(epoch(d)) // 60, "\""),
                              X("\"EXPIRE\" \"lock:order:", ri(1000, 99999), "\" \"30\"")]))
        r = ri(0, 3)
        if r == 0:
            return X(pre, "\"SETEX\" \"pwreset:", S(reset_token(), "reset_token"), "\" \"3600\" \"user:", ri(1, 99999), "\"")
        if r == 1:
            nm, val = session_cookie(ch(["sessionid", "_session_id", "PHPSESSID"]))
            return X(pre, "\"GET\" \"session:", S(val, "session_cookie"), "\"")
        if r == 2:
            return X(pre, "\"HSET\" \"user:", ri(1, 99999), "\" \"email\" \"", S(email(), "email"), "\" \"phone\" \"", S(phone(), "phone"), "\"")
        return X(pre, "\"SET\" \"sess:", K(uuid4()), "\" \"{\\\"uid\\\":", ri(1, 9999), ",\\\"csrf\\\":\\\"", S(rs(43, B64U), "csrf_token"), "\\\",\\\"oauth\\\":\\\"", S(access_token(), "oauth_access_token"), "\\\"}\" \"EX\" \"86400\"")
    if v == 6:  # MongoDB slow query (JSON log)
        flt = {"tenantId": K(uuid4())}
        if not clean:
            r = ri(0, 1)
            if r == 0:
                flt["email"] = S(email(), "email")
            else:
                flt["profile.phone"] = S(phone(), "phone")
        else:
            flt["status"] = "active"
        o = {"t": {"$date": K(t_iso(d, 3, "+00:00"))}, "s": "I", "c": "COMMAND", "id": 51803, "ctx": K("conn%d" % ri(100, 99999)), "msg": "Slow query",
             "attr": {"type": "command", "ns": "app.users", "command": {"find": "users", "filter": flt, "limit": 1, "$db": "app", "lsid": {"id": {"$uuid": K(uuid4())}}},
                      "planSummary": "COLLSCAN", "keysExamined": 0, "docsExamined": ri(10000, 900000), "nreturned": 1, "durationMillis": ri(100, 9000)}}
        return J(o)
    if v == 7:
        if clean:
            return X(pg_pre(d), "FATAL:  password authentication failed for user \"", ch(["app", "postgres", "grafana"]), "\"\\nDETAIL:  Connection matched file \"/etc/postgresql/16/main/pg_hba.conf\" line ",
                     ri(90, 130), ": \"host all all 10.0.0.0/8 scram-sha-256\"")
        return X(pg_pre(d), "ERROR:  invalid input syntax for type date: \"", S(dob(3), "date_of_birth"), "\" at character ", ri(40, 200), "\\nSTATEMENT:  UPDATE patients SET birth_date = '",
                 S(dob(3), "date_of_birth"), "' WHERE id = ", ri(1, 9999))
    # MySQL error log: access denied (clean) / replication with password in CHANGE MASTER
    if clean:
        return X(K(t_iso(d, 6)), " ", ri(10, 999), " [Note] [MY-010926] [Server] Access denied for user 'root'@'", K(ip_priv()), "' (using password: YES)")
    return X(K(t_iso(d, 6)), " ", ri(10, 999), " [Warning] [MY-010897] [Repl] Storing MySQL user name or password information in the connection metadata repository is not secure. Statement: CHANGE REPLICATION SOURCE TO SOURCE_HOST='",
             ip_priv(), "', SOURCE_USER='repl', SOURCE_PASSWORD='", S(password_simple(), "password"), "'")


def vtoken_kind_pair():
    v, t = vtoken()
    return v[0], S(t, vkind(v[0]))


# =====================================================================================
# Layouts (4): stack traces, mobile backends, logfmt, syslog, Windows, multilingual prose
# =====================================================================================
def L_stack_trace(clean):
    d = rdt()
    v = ri(0, 7)
    if v == 7:  # botocore DEBUG dump of a prepared request (SigV4 with session credentials)
        if clean:
            return X(K(d.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (d.microsecond // 1000)), " botocore.credentials [INFO] Found credentials from IAM Role: ", K("ecs-task-role-" + ch(COMPANY)),
                     " (role arn ", K("arn:aws:iam::%d:role/ecs-task-role" % ri(10 ** 11, 10 ** 12 - 1)), ")")
        ak = aws_akid(temp=True)
        return X(K(d.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (d.microsecond // 1000)), " botocore.endpoint [DEBUG] Sending http request: <AWSPreparedRequest stream_output=False, method=POST, url=https://",
                 ch(["sts.amazonaws.com/", "sqs.eu-west-1.amazonaws.com/", "secretsmanager.eu-west-1.amazonaws.com/"]), ", headers={'Content-Type': b'application/x-www-form-urlencoded; charset=utf-8', 'User-Agent': b'",
                 K("Boto3/1.34.%d md/Botocore#1.34.%d ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.2" % (ri(10, 99), ri(10, 99))), "', 'X-Amz-Date': b'", d.strftime("%Y%m%dT%H%M%SZ"),
                 "', 'X-Amz-Security-Token': b'", S(aws_session(), "aws_session_token"), "', 'Authorization': b'AWS4-HMAC-SHA256 Credential=", S(ak, "aws_access_key_id"), "/", d.strftime("%Y%m%d"),
                 "/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=", S(hx(64), "aws_sigv4_signature"), "', 'Content-Length': '", ri(40, 200), "'}>")
    if v == 0:  # Jackson with source snippet (INCLUDE_SOURCE_IN_LOCATION)
        if clean:
            src = X("{\"sku\":\"", K(rs(3, UP) + "-" + rs(6, DIG)), "\",\"qty\":\"two\"}")
            fld = "qty"
            cls = "OrderLine"
        else:
            r = ri(0, 2)
            if r == 2:
                fname, val = ("ssn", S(ssn(), "ssn")) if chance(0.6) else ("nationalInsuranceNumber", S(nino(), "uk_nino"))
                src = X("{\"fullName\":\"", ch(FIRST["en"]).capitalize(), " ", ch(LAST["en"]).capitalize(), "\",\"", fname, "\":\"", val, "\",\"birthDate\":\"", S(dob(2), "date_of_birth"), "\"}")
                fld = "birthDate"
            elif r == 0:
                src = X("{\"email\":\"", S(email(), "email"), "\",\"password\":\"", S(password(), "password"), "\",\"birthDate\":\"", S(dob(1), "date_of_birth"), "\"}")
                fld = "birthDate"
            else:
                src = X("{\"name\":\"", ch(FIRST["es"]).capitalize(), "\",\"phone\":\"", S(phone(), "phone"), "\",\"iban\":\"", S(iban(), "iban"), "\",\"age\":\"veinte\"}")
                fld = "age"
            cls = ch(["SignupRequest", "CustomerDto", "UpdateProfileCommand"])
        return X(K(d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (d.microsecond // 1000)), " ERROR 1 --- [", ch(["nio-8080-exec-", "http-nio-8080-exec-"]), ri(1, 10), "] ",
                 "o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception\\n",
                 "com.fasterxml.jackson.databind.exc.InvalidFormatException: Cannot deserialize value of type `", ch(["java.time.LocalDate", "java.lang.Integer"]), "` from String: not a valid representation\\n",
                 " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 42]" if clean and chance(0.3) else X(" at [Source: (org.springframework.util.StreamUtils$NonClosingInputStream); line: 1, column: ", ri(20, 200), "] (through reference chain: com.example.api.", cls, "[\"", fld, "\"])\\n\\tsource: ", src),
                 "\\n\\tat ", K("com.fasterxml.jackson.databind.exc.InvalidFormatException.from(InvalidFormatException.java:67)"), "\\n\\tat com.fasterxml.jackson.databind.DeserializationContext.weirdStringException(DeserializationContext.java:1958)")
    if v == 1:  # JDBC URL with password in exception
        h = ip_priv()
        if clean:
            url = X("jdbc:postgresql://", h, ":5432/shop?user=app&password=", K("${DB_PASSWORD}"), "&ssl=true")
        else:
            url = X("jdbc:", ch(["mysql", "postgresql", "mariadb"]), "://", h, ":", ch([3306, 5432]), "/shop?user=app&password=", S(password_simple(), "password"), "&useSSL=true")
        return X(K(d.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (d.microsecond // 1000)), " ERROR [main] ", K("com.zaxxer.hikari.pool.HikariPool"), " - HikariPool-1 - Exception during pool initialization.\\n",
                 "java.sql.SQLNonTransientConnectionException: Could not create connection to database server. Attempted reconnect 3 times. Giving up. url=", url,
                 "\\n\\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)\\nCaused by: java.net.ConnectException: Connection refused\\n\\t... 42 common frames omitted")
    if v == 2:  # Go: http: panic serving + %+v of *http.Request
        hdr = [X("Accept:[application/json]"), X("User-Agent:[", ua(), "]"), X("X-Request-Id:[", K(uuid4()), "]")]
        if not clean:
            if chance(0.6):
                hdr.append(X("Authorization:[", auth_header_value(False), "]"))
            else:
                hdr.append(X("Cookie:[", cookie_str(False), "]"))
        hdr.sort(key=lambda f: txt(f))
        pq = path_query(True)
        return X(K(d.strftime("%Y/%m/%d %H:%M:%S")), " http: panic serving ", K(ip_port()), ": runtime error: invalid memory address or nil pointer dereference\\nrequest: &{Method:POST URL:", pq,
                 " Proto:HTTP/1.1 ProtoMajor:1 ProtoMinor:1 Header:map[", JOIN(" ", hdr), "] Body:0xc000", hx(6), " ContentLength:", ri(10, 900), " Host:", K(host()), " RemoteAddr:", K(ip_port()),
                 " RequestURI:", pq, "}\\ngoroutine ", ri(10, 9000), " [running]:\\nnet/http.(*conn).serve.func1()\\n\\t", K("/usr/local/go/src/net/http/server.go:1898"), " +0xbe\\nmain.(*Server).handleLogin(0xc0001a2000, {0x9a8f20, 0xc0002b6000}, 0xc0001b4000)\\n\\t/app/internal/api/login.go:",
                 ri(20, 300), " +0x1a4")
    if v == 3:  # Python traceback: requests HTTPError with URL, or source line
        if clean:
            return X("Traceback (most recent call last):\\n  File \"/app/worker/sync.py\", line ", ri(10, 300), ", in run\\n    resp.raise_for_status()\\n  File \"", K("/usr/local/lib/python3.12/site-packages/requests/models.py"), "\", line 1024, in raise_for_status\\n    raise HTTPError(http_error_msg, response=self)\\nrequests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://",
                     host(), ch(ROUTES), "?page=", ri(1, 40))
        r = ri(0, 1)
        if r == 0:
            return X("Traceback (most recent call last):\\n  File \"/app/worker/sync.py\", line ", ri(10, 300), ", in run\\n    resp.raise_for_status()\\n  File \"", K("/usr/local/lib/python3.12/site-packages/requests/models.py"), "\", line 1024, in raise_for_status\\n    raise HTTPError(http_error_msg, response=self)\\nrequests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://",
                     host(), ch(ROUTES), "?", secret_query_param("pct"))
        if chance(0.3):
            return X("Traceback (most recent call last):\\n  File \"", K("/app/jobs/export.py"), "\", line ", ri(5, 90), ", in upload\\n    s3 = boto3.client('s3', aws_access_key_id='", S(aws_akid(), "aws_access_key_id"),
                     "', aws_secret_access_key='", S(aws_secret(), "aws_secret_access_key"), "')\\nbotocore.exceptions.ClientError: An error occurred (InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id you provided does not exist in our records.")
        n, val, vv, t = vendor_env()
        return X("Traceback (most recent call last):\\n  File \"", K("/app/settings.py"), "\", line ", ri(5, 60), ", in <module>\\n    ", n, " = os.environ.get(\"", n, "\", \"", val,
                 "\")\\nTypeError: 'NoneType' object is not subscriptable")
    if v == 4:  # Rust panic with Debug-printed config
        if clean:
            return X("thread 'main' panicked at ", K("src/main.rs"), ":", ri(10, 200), ":", ri(5, 60), ":\\ncalled `Result::unwrap()` on an `Err` value: Io(Os { code: 111, kind: ConnectionRefused, message: \"Connection refused\" })\\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace")
        return X("thread 'tokio-runtime-worker' panicked at ", K("src/config.rs"), ":", ri(10, 200), ":", ri(5, 60), ":\\ncalled `Result::unwrap()` on an `Err` value: Config { redis_url: \"redis://:", S(password_simple(), "password"),
                 "@", ip_priv(), ":6379/0\", smtp: SmtpConfig { user: \"", S(email(), "email"), "\", port: 587 } }\\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace")
    if v == 5:  # Laravel QueryException with bindings inlined
        if clean:
            sql = X("select * from `orders` where `customer_id` = ", ri(1, 99999), " and `status` = pending limit 1")
        else:
            sql = X("insert into `users` (`name`, `email`, `phone`, `password`, `updated_at`, `created_at`) values (", ch(FIRST["pt"]).capitalize(), ", ", S(email(), "email"), ", ",
                    S(phone(), "phone"), ", ", S("$2y$12$" + rs(53, "./" + AL), "password_hash"), ", ", d.strftime("%Y-%m-%d %H:%M:%S"), ", ", d.strftime("%Y-%m-%d %H:%M:%S"), ")")
        return X("[", K(d.strftime("%Y-%m-%d %H:%M:%S")), "] production.ERROR: SQLSTATE[", ch(["22001", "23000"]), "]: ", ch(["String data, right truncated: 1406 Data too long for column 'phone' at row 1",
                                                                                                                              "Integrity constraint violation: 1062 Duplicate entry"]),
                 " (Connection: mysql, SQL: ", sql, ") {\"exception\":\"[object] (Illuminate\\\\Database\\\\QueryException(code: 22001): ...\"}")
    # Node: FetchError / MongoServerError
    if clean:
        return X("FetchError: request to https://", host(), ch(ROUTES), " failed, reason: getaddrinfo ENOTFOUND ", host(), "\\n    at ClientRequest.<anonymous> (", K("/app/node_modules/node-fetch/lib/index.js:1505:11"), ")\\n    at ClientRequest.emit (node:events:519:28) {\\n  type: 'system',\\n  errno: 'ENOTFOUND',\\n  code: 'ENOTFOUND'\\n}")
    r = ri(0, 1)
    if r == 0:
        return X("MongoServerError: E11000 duplicate key error collection: app.users index: email_1 dup key: { email: \"", S(email(), "email"),
                 "\" }\\n    at InsertOneOperation.execute (", K("/app/node_modules/mongodb/lib/operations/insert.js:51:19"), ")\\n    at async executeOperation (/app/node_modules/mongodb/lib/operations/execute_operation.js:136:16) {\\n  index: 0,\\n  code: 11000,\\n  keyPattern: { email: 1 },\\n  keyValue: { email: '",
                 S(email(), "email"), "' },\\n  [Symbol(errorLabels)]: Set(0) {}\\n}")
    return X("FetchError: request to https://", host(), "/v1/charges?", secret_query_param("pct"), " failed, reason: socket hang up\\n    at ClientRequest.<anonymous> (", K("/app/node_modules/node-fetch/lib/index.js:1505:11"), ") {\\n  type: 'system',\\n  errno: 'ECONNRESET',\\n  code: 'ECONNRESET'\\n}")


def fcm_token():
    return rs(ri(11, 22), B64U) + ":APA91b" + rs(ri(134, 140), B64U)


def apns_token():
    return hx(64)


def L_mobile(clean):
    d = rdt()
    v = ri(0, 6)
    logcat = X(K(d.strftime("%m-%d %H:%M:%S.") + "%03d" % (d.microsecond // 1000)), " ", ri(1000, 30000), " ", ri(1000, 30000), " ")
    if v == 0:  # OkHttp HttpLoggingInterceptor (logcat)
        if clean:
            return X(logcat, "I okhttp.OkHttpClient: --> POST https://", K(host()), "/v1/auth/login\\n", ch(["Authorization: ██", "Authorization: <redacted>"]),
                     "\\nContent-Type: application/json; charset=utf-8\\n{\"email\":\"", K(masked_email()), "\",\"password\":\"", K("********"), "\"}\\n--> END POST (", ri(40, 200), "-byte body)")
        r = ri(0, 2)
        if r == 0:
            return X(logcat, "I okhttp.OkHttpClient: --> POST https://", K(host()), "/v1/auth/login\\nContent-Type: application/json; charset=utf-8\\n{\"email\":\"", S(email(), "email"),
                     "\",\"password\":\"", S(password(), "password"), "\",\"device_token\":\"", S(fcm_token(), "push_token"), "\"}\\n--> END POST (", ri(40, 400), "-byte body)")
        if r == 1:
            return X(logcat, "I okhttp.OkHttpClient: Authorization: ", auth_header_value(False))
        if chance(0.3):
            return X(logcat, "I okhttp.OkHttpClient: --> POST https://", K(host()), "/oauth/token\\ngrant_type=refresh_token&refresh_token=", S(refresh_token(), "oauth_refresh_token"),
                     "&client_id=", K(rs(22, LOWDIG)), "&client_secret=", S(client_secret(), "client_secret"), "\\n--> END POST")
        return X(logcat, "I okhttp.OkHttpClient: <-- 200 https://", K(host()), "/v1/auth/refresh (", ri(20, 900), "ms)\\n{\"access_token\":\"", S(jwt(), "jwt"), "\",\"refresh_token\":\"",
                 S(refresh_token(), "oauth_refresh_token"), "\",\"expires_in\":3600}\\n<-- END HTTP")
    if v == 1:  # FCM send from backend
        mid = "projects/%s-app/messages/0:%d%%%s" % (ch(COMPANY), int(epoch(d) * 1e6), hx(16))
        if clean:
            return X(K(t_iso(d)), " INFO push.fcm sent message_id=", K(mid), " topic=", ch(["promo-de", "news", "orders"]), " ttl=3600s")
        if chance(0.35):
            return X(K(t_iso(d)), " INFO sms.send provider=twilio to=", S(phone_e164(), "phone"), " body=\"", ch(["Your ShopApp code is ", "Código de verificação: ", "Ihr Bestätigungscode: ", "認証コード: "]),
                     S(otp(), "otp_code"), "\" sid=", K("SM" + hx(32)))
        return X(K(t_iso(d)), " WARN push.fcm send failed token=", S(fcm_token(), "push_token"), " error=", ch(["messaging/registration-token-not-registered", "UNREGISTERED", "INVALID_ARGUMENT"]),
                 " user_id=", ri(1000, 999999))
    if v == 2:  # APNs
        apid = str(_uuid.UUID(int=R.getrandbits(128), version=4)).upper()
        if clean:
            return X(K(t_iso(d)), " apns2: push ok apns-id=", K(apid), " topic=", K("com.%s.app" % ch(COMPANY)), " priority=10")
        return X(K(t_iso(d)), " apns2: push to device ", S(apns_token(), "push_token"), " failed: 410 Unregistered (apns-id: ", K(apid), ", timestamp: ", int(epoch(d) * 1000), ")")
    if v == 3:  # Firebase Auth REST via proxy log
        if clean:
            return X(K(t_iso(d)), " POST https://identitytoolkit.googleapis.com/v1/accounts:lookup 400 INVALID_ID_TOKEN latency=", ri(20, 900), "ms x-client-version=", K("Android/Fallback/X22003000/FirebaseCore-Android"))
        VPENDING.append("google")
        return X(K(t_iso(d)), " POST https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=", S("AIza" + rs(35, B64U), "vendor:google"), " body={\"email\":\"", S(email(), "email"),
                 "\",\"password\":\"", S(password(), "password"), "\",\"returnSecureToken\":true} status=", ch([200, 400]))
    if v == 4:  # iOS device log (Swift dictionary description)
        pre = X(K(d.strftime("%Y-%m-%d %H:%M:%S.%f")), "+0100 ", ch(["ShopApp", "Wallet"]), "[", ri(100, 9000), ":", ri(10000, 999999), "] [Network] ")
        if clean:
            return X(pre, "Request headers: [\"X-Device-Id\": \"", K(str(_uuid.UUID(int=R.getrandbits(128), version=4)).upper()), "\", \"Accept-Language\": \"pt-BR\", \"X-App-Version\": \"", K(semver()), "\"]")
        return X(pre, "Request headers: [\"Authorization\": \"", auth_header_value(False), "\", \"X-Device-Id\": \"", K(str(_uuid.UUID(int=R.getrandbits(128), version=4)).upper()), "\"]")
    if v == 5:  # device registration API
        body = {"platform": ch(["ios", "android"]), "app_version": K(semver()), "os_version": ch(["17.4.1", "14", "13"]), "locale": ch(["pt_BR", "de_DE", "ja_JP", "tr_TR", "id_ID"])}
        if clean:
            body["push_enabled"] = False
        else:
            body["token"] = S(apns_token() if body["platform"] == "ios" else fcm_token(), "push_token")
            if chance(0.5):
                body["phone"] = S(phone_e164(), "phone")
        return X(K(t_iso(d)), " INFO devices.register user=", ri(1000, 999999), " ", J(body))
    # FCM legacy server key in a config dump / HTTP v1 OAuth token
    if clean:
        return X(K(t_iso(d)), " INFO firebase-admin initialised project_id=", K(ch(COMPANY) + "-app"), " credential=ServiceAccount(", ch(["fcm-sender", "firebase-adminsdk-x1y2z"]), ")")
    if chance(0.5):
        VPENDING.append("firebase")
        return X(K(t_iso(d)), " DEBUG legacy FCM POST https://fcm.googleapis.com/fcm/send Authorization: key=", S(VBY["firebase"][1](), "vendor:firebase"), " to=", S(fcm_token(), "push_token"))
    return X(K(t_iso(d)), " DEBUG POST https://fcm.googleapis.com/v1/projects/", ch(COMPANY), "-app/messages:send Authorization: Bearer ", S(access_token(), "oauth_access_token"))


def logfmt_val(f):
    """Go logfmt / slog TextHandler quoting: quote when value has space, '=' or '"'."""
    t = txt(f)
    if t == "" or any(c in t for c in ' ="\\'):
        return X('"', fmap(f, lambda s: s.replace("\\", "\\\\").replace('"', '\\"')), '"')
    return f


def L_logfmt(clean):
    d = rdt()
    v = ri(0, 5)
    if v == 0:  # Heroku router
        ts = X(K(d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d+00:00" % d.microsecond), " heroku[router]: ")
        pq = path_query(clean)
        app = ch(COMPANY) + "-" + ch(["prod", "web", "api"])
        if chance(0.2) and clean:
            return X(ts, "at=error code=", ch(["H12 desc=\"Request timeout\"", "H10 desc=\"App crashed\"", "H13 desc=\"Connection closed without response\""]), " method=POST path=\"/api/checkout\" host=",
                     K(app + ".herokuapp.com"), " request_id=", K(uuid4()), " fwd=\"", K(ip_pub()), "\" dyno=web.", ri(1, 4), " connect=0ms service=30000ms status=503 bytes=0 protocol=https")
        return X(ts, "at=info method=", ch(["GET", "POST"]), " path=\"", pq, "\" host=", K(app + ".herokuapp.com"), " request_id=", K(uuid4()), " fwd=\"", K(ip_pub()), "\" dyno=web.", ri(1, 4),
                 " connect=", ri(0, 3), "ms service=", ri(2, 900), "ms status=", ch([200, 302, 401, 404]), " bytes=", ri(100, 90000), " protocol=https")
    if v == 1:  # Go slog TextHandler
        kv = [X("time=", K(t_iso(d, 3))), X("level=", ch(["INFO", "WARN", "ERROR", "DEBUG"])), X("msg=", logfmt_val(X(ch(["user signup", "login failed", "token refresh", "profile updated", "sms sent"]))))]
        kv.append(X("request_id=", K(uuid4())))
        if clean:
            kv.append(X("user.id=", ri(1000, 999999)))
            kv.append(X("user.email=", K(masked_email())))
            kv.append(X("remote_addr=", K(ip_port())))
        else:
            r = ri(0, 4)
            if r == 4:
                kv.append(X("applicant.country=", ch(["US", "GB"])))
                kv.append(X("applicant.national_id=", S(ssn(), "ssn") if chance(0.5) else logfmt_val(S(nino(), "uk_nino"))))
                kv.append(X("applicant.dob=", S(dob(0), "date_of_birth")))
            elif r == 0:
                kv.append(X("user.email=", S(email(), "email")))
                kv.append(X("user.phone=", logfmt_val(S(phone(), "phone"))))
            elif r == 1:
                kv.append(X("req.header.authorization=", logfmt_val(auth_header_value(False))))
            elif r == 2:
                kv.append(X("oauth.refresh_token=", S(refresh_token(), "oauth_refresh_token")))
                kv.append(X("client_id=", K(rs(24, LOWDIG))))
            else:
                kv.append(X("sms.to=", S(phone_e164(), "phone")))
                kv.append(X("sms.body=", logfmt_val(X("Your code is ", S(otp(), "otp_code")))))
            kv.append(X("remote_addr=", K(ip_port())))
        return JOIN(" ", kv)
    if v == 2:  # logrus text formatter
        if clean:
            return X("time=\"", K(t_iso(d, 0)), "\" level=warning msg=\"token refresh failed\" client_id=", K(rs(20, LOWDIG)), " error=\"oauth2: \\\"invalid_grant\\\" \\\"Token has been expired or revoked.\\\"\"")
        return X("time=\"", K(t_iso(d, 0)), "\" level=error msg=\"upstream call failed\" url=\"https://", host(), ch(ROUTES), "?", secret_query_param("pct"), "\" status=401")
    if v == 5:  # Go service debug: outbound request headers printed as http.Header map
        if clean:
            return X("time=", K(t_iso(d, 3)), " level=DEBUG msg=\"outbound request\" method=GET url=https://", host(), ch(ROUTES), " header=\"map[Accept:[application/json] User-Agent:[",
                     K("Go-http-client/2.0"), "] X-Request-Id:[", K(uuid4()), "]]\" status=200")
        name, f, vv, t = vendor_header()
        hv = fmap(f, lambda s: s.replace(name + ": ", "", 1))
        return X("time=", K(t_iso(d, 3)), " level=DEBUG msg=\"outbound request\" method=POST url=https://", ch(["api.", "hooks.", "ingest."]), vv[0].split("_")[0], ".example.com/v1/",
                 ch(["events", "messages", "charges", "deploys"]), " header=\"map[", name, ":[", hv, "] Content-Type:[application/json] User-Agent:[", K("Go-http-client/2.0"), "]]\" status=", ch([200, 401, 403]))
    if v == 3:  # Heroku app API / release log
        ts = X(K(d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d+00:00" % d.microsecond), " app[api]: ")
        if clean:
            return X(ts, ch([X("Release v", ri(10, 900), " created by user ", K("heroku-bot@example.com")), X("Deploy ", K(gitsha()[:8]), " by user ci@", domain()),
                             X("Set REDIS_URL, SENTRY_DSN config vars by user ", K("ops-bot@" + domain()))]))
        return X(ts, "Set DATABASE_URL, ", ch(["STRIPE_SECRET_KEY", "SENDGRID_API_KEY"]), " config vars by user ", S(email(), "email"))
    # go-kit logfmt
    if clean:
        return X("ts=", K(t_iso(d, 6)), " caller=", ch(["handler.go:", "oauth.go:", "store.go:"]), ri(20, 400), " level=error method=POST path=/v1/token err=\"oauth2: cannot fetch token: 400 Bad Request\\nResponse: {\\\"error\\\":\\\"invalid_client\\\"}\" client_id=", K(rs(24, LOWDIG)))
    return X("ts=", K(t_iso(d, 6)), " caller=oauth.go:", ri(20, 400), " level=debug method=POST path=/v1/token grant_type=authorization_code code=", S(auth_code(), "authorization_code"),
             " client_secret=", S(client_secret(), "client_secret"), " redirect_uri=", K("https://" + host() + "/callback"))


def L_syslog3164(clean):
    d = rdt()
    pri = ch(["<38>", "<86>", "<134>", "<166>", "<13>"])
    hostn = ch(["bastion01", "fw-edge-1", "mail01", "vpn-gw", "radius01", "proxy01", "web03"])
    pre = X(pri, K(t_syslog(d)), " ", K(hostn), " ")
    v = ri(0, 8)
    ip = ip_pub()
    if v == 0:  # sshd: password typed into the user name
        pid = ri(1000, 90000)
        if clean:
            return X(pre, "sshd[", pid, "]: Invalid user ", ch(["test", "oracle", "ubuntu", "admin"]), " from ", K(ip), " port ", ri(1024, 65535))
        pw = password_simple()
        return X(pre, "sshd[", pid, "]: Failed password for invalid user ", S(pw, "password"), " from ", K(ip), " port ", ri(1024, 65535), " ssh2")
    if v == 1:  # sudo with secrets in COMMAND
        if clean:
            return X(pre, "sudo:   deploy : TTY=pts/0 ; PWD=", K("/home/deploy"), " ; USER=root ; COMMAND=/usr/bin/systemctl restart ", ch(["nginx", "api", "postgresql"]))
        r = ri(0, 2)
        if r == 0:
            return X(pre, "sudo:   deploy : TTY=pts/1 ; PWD=", K("/srv/app"), " ; USER=root ; COMMAND=/usr/bin/redis-cli -a ", S(password_simple(), "password"), " FLUSHDB")
        if r == 1:
            VPENDING.append("vault")
            return X(pre, "sudo:     ops : TTY=pts/0 ; PWD=", K("/home/ops"), " ; USER=root ; COMMAND=/usr/local/bin/vault login ", S(VBY["vault"][1](), "vendor:vault"))
        return X(pre, "sudo:   admin : TTY=pts/2 ; PWD=", K("/root"), " ; USER=root ; COMMAND=/usr/sbin/chpasswd -e ", ch(["backup", "svc"]), ":", S(pw_hash_crypt(), "password_hash"))
    if v == 2:  # Cisco ASA
        if clean:
            return X(pri, K(d.strftime("%b %d %Y %H:%M:%S")), " ", K(hostn), " : %ASA-6-113005: AAA user authentication Rejected : reason = AAA failure : server = ", K(ip_priv()),
                     " : user = ", K("*****"), " : user IP = ", K(ip))
        return X(pri, K(d.strftime("%b %d %Y %H:%M:%S")), " ", K(hostn), " : %ASA-6-113015: AAA user authentication Rejected : reason = Invalid password : local database : user = ",
                 S(password_simple(), "password"), " : user IP = ", K(ip))
    if v == 3:  # FortiGate
        base = X("date=", d.strftime("%Y-%m-%d"), " time=", d.strftime("%H:%M:%S"), " devname=\"", K("FGT60F-" + ch(["HQ", "BRANCH1", "DC"])), "\" devid=\"", K("FGT60FTK" + rs(8, UPDIG)),
                 "\" eventtime=", int(epoch(d) * 1e9), " tz=\"+0000\" logid=\"0100032002\" type=\"event\" subtype=\"system\" level=\"alert\" vd=\"root\" logdesc=\"Admin login failed\" sn=\"0\" ")
        if clean:
            return X(pre, base, "user=\"admin\" ui=\"https(", K(ip), ")\" method=\"https\" srcip=", K(ip), " dstip=", K(ip_priv()), " action=\"login\" status=\"failed\" reason=\"passwd_invalid\" msg=\"Administrator admin login failed from https(",
                     ip, ") because of invalid password\"")
        pw = password_simple()
        return X(pre, base, "user=\"", S(pw, "password"), "\" ui=\"ssh(", K(ip), ")\" method=\"ssh\" srcip=", K(ip), " dstip=", K(ip_priv()),
                 " action=\"login\" status=\"failed\" reason=\"name_invalid\" msg=\"Administrator ", S(pw, "password"), " login failed from ssh(", ip, ") because of invalid user name\"")
    if v == 4:  # Squid native access log
        url = X("http://", host(), path_query(clean))
        return X(pre, "squid[", ri(100, 9000), "]: ", "%.3f" % epoch(d), " ", "%6d" % ri(1, 90000), " ", K(ip_priv()), " ", ch(["TCP_MISS/200", "TCP_TUNNEL/200", "TCP_DENIED/403", "TCP_REFRESH_MODIFIED/200"]), " ",
                 ri(100, 90000), " GET ", url, " - HIER_DIRECT/", K(ip_pub()), " ", ch(["text/html", "application/json", "-"]))
    if v == 5:  # postfix / dovecot
        if clean:
            return X(pre, "postfix/smtpd[", ri(1000, 90000), "]: warning: unknown[", K(ip), "]: SASL LOGIN authentication failed: ", K("UGFzc3dvcmQ6"))
        if chance(0.5):
            return X(pre, "dovecot: imap-login: Login: user=<", S(email(), "email"), ">, method=PLAIN, rip=", K(ip), ", lip=", K(ip_priv()), ", mpid=", ri(1000, 90000), ", TLS, session=<", K(rs(16, B64)), ">")
        return X(pre, "postfix/smtp[", ri(1000, 90000), "]: ", K(hx(10).upper()), ": to=<", S(email(), "email"), ">, relay=", ch(["gmail-smtp-in.l.google.com", "mx.example.net"]), "[", K(ip_pub()),
                 "]:25, delay=", "%.1f" % R.uniform(0.1, 5), ", delays=0.1/0/0.3/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK ", int(epoch(d)), " ", rs(20, AL + "-"), " - gsmtp)")
    if v == 6:  # FreeRADIUS with auth_badpass = yes
        if clean:
            return X(pre, "radiusd[", ri(100, 9000), "]: (", ri(1, 9999), ") Login OK: [", ch(["jdoe", "asmith", "host/WS-0142.corp"]), "] (from client ", ch(["ap-3f-01", "vpn-gw"]), " port ", ri(0, 99),
                     " cli ", K("-".join(rs(2, HEXU) for _ in range(6))), ")")
        return X(pre, "radiusd[", ri(100, 9000), "]: (", ri(1, 9999), ") Login incorrect (pap: Cleartext password does not match \"known good\" password): [", ch(["jdoe", "asmith", "mgarcia"]), "/",
                 S(password_simple(), "password"), "] (from client ", ch(["ap-3f-01", "vpn-gw"]), " port ", ri(0, 99), " cli ", K("-".join(rs(2, HEXU) for _ in range(6))), ")")
    if v == 7:  # OpenVPN
        if clean:
            return X(pre, "openvpn[", ri(100, 9000), "]: ", K(ip), ":", ri(1024, 65535), " TLS: Initial packet from [AF_INET]", ip, ":", ri(1024, 65535), ", sid=", K(hx(8) + " " + hx(8)))
        return X(pre, "openvpn[", ri(100, 9000), "]: ", K(ip), ":", ri(1024, 65535), " TLS: Username/Password authentication succeeded for username '", S(email(), "email"), "'")
    # MikroTik / generic network appliance
    if clean:
        return X(pre, "system,error,critical login failure for user admin from ", K(ip), " via ", ch(["winbox", "ssh", "web"]))
    return X(pre, "system,info,account user ", ch(["admin", "netops"]), " logged in from ", K(ip), " via ssh; command: /ppp secret add name=", ch(["branch1", "site-b"]), " password=",
             S(password_simple(), "password"), " service=l2tp")


def pw_hash_crypt():
    return ch(["$6$", "$5$", "$y$j9T$"]) + rs(16, "./" + AL) + "$" + rs(ch([43, 86]), "./" + AL)


def ps_encoded(script):
    return b64(script.encode("utf-16-le"))


def L_windows_event(clean):
    d = rdt()
    v = ri(0, 5)
    comp = K("%s.corp.%s" % (ch(["WS-0142", "SRV-SQL01", "SRV-APP03", "DC01"]), domain()))
    nx = {"EventTime": K(d.strftime("%Y-%m-%d %H:%M:%S")), "Hostname": comp, "Keywords": -9214364837600034816, "EventType": "AUDIT_SUCCESS", "SeverityValue": 2, "Severity": "INFO"}
    if v == 0:  # 4688 process creation with command line
        if clean:
            cmd = ch([X("\"C:\\Windows\\system32\\net.exe\" use \\\\fs01\\share /persistent:no"), X("powershell.exe -NoProfile -File C:\\scripts\\rotate-logs.ps1"),
                      X("sqlcmd -S SRV-SQL01 -E -Q \"DBCC CHECKDB\"")])
        else:
            pw = password_simple()
            cmd = ch([X("net user svc_backup ", S(pw, "password"), " /add /domain"), X("cmdkey /add:fs01 /user:CORP\\svc_backup /pass:", S(pw, "password")),
                      X("sqlcmd -S SRV-SQL01 -U sa -P ", S(pw, "password"), " -Q \"BACKUP DATABASE shop TO DISK='D:\\bak\\shop.bak'\""),
                      X("schtasks /create /tn Sync /tr C:\\sync.cmd /sc daily /ru CORP\\svc_sync /rp ", S(pw, "password"))])
        msg = X("A new process has been created.\r\n\r\nCreator Subject:\r\n\tSecurity ID:\t", K("S-1-5-21-%d-%d-%d-%d" % (ri(10 ** 9, 4 * 10 ** 9), ri(10 ** 9, 4 * 10 ** 9), ri(10 ** 9, 4 * 10 ** 9), ri(1000, 9999))),
                "\r\n\tAccount Name:\t", ch(["jdoe", "svc_deploy", "Administrator"]), "\r\n\tAccount Domain:\tCORP\r\n\tLogon ID:\t0x", hx(6).upper(), "\r\n\r\nProcess Information:\r\n\tNew Process ID:\t0x",
                hx(4), "\r\n\tNew Process Name:\tC:\\Windows\\System32\\", ch(["net.exe", "cmdkey.exe", "sqlcmd.exe", "schtasks.exe"]), "\r\n\tToken Elevation Type:\t%%1937\r\n\tProcess Command Line:\t", cmd)
        nx.update({"EventID": 4688, "SourceName": "Microsoft-Windows-Security-Auditing", "ProviderGuid": K("{54849625-5478-4994-A5BA-3E3B0328C30D}"), "Channel": "Security", "Message": msg,
                   "CommandLine": cmd})
        return J(nx)
    if v == 1:  # 4104 script block logging
        if clean:
            sb = X("$cred = Get-Credential -UserName 'CORP\\svc_sync' -Message 'Sync account'\r\nInvoke-Command -ComputerName SRV-APP03 -Credential $cred -ScriptBlock { Restart-Service W3SVC }")
        else:
            sb = ch([X("$pw = ConvertTo-SecureString '", S(password_simple(), "password"), "' -AsPlainText -Force\r\n$cred = New-Object System.Management.Automation.PSCredential('CORP\\svc_sync', $pw)"),
                     X("$headers = @{ Authorization = 'Bearer ", S(jwt(), "jwt"), "' }\r\nInvoke-RestMethod -Uri https://", host(), "/api/v1/sync -Headers $headers"),
                     X("$env:AZURE_STORAGE_KEY = '", S(b64(rbytes(64)), "vendor:azure"), "'\r\nazcopy copy .\\export https://", ch(COMPANY), "store.blob.core.windows.net/backup --recursive")])
        nx.update({"EventID": 4104, "SourceName": "Microsoft-Windows-PowerShell", "Channel": "Microsoft-Windows-PowerShell/Operational", "EventType": "VERBOSE",
                   "Message": X("Creating Scriptblock text (1 of 1):\r\n", sb, "\r\n\r\nScriptBlock ID: ", K(uuid4()), "\r\nPath: C:\\scripts\\sync.ps1"), "ScriptBlockId": K(uuid4())})
        return J(nx)
    if v == 2:  # 4625 logon failure, text export (clean) / -EncodedCommand (secret)
        if clean or chance(0.5) and clean:
            return X("Log Name: Security  Source: Microsoft-Windows-Security-Auditing  Date: ", d.strftime("%m/%d/%Y %I:%M:%S %p"), "  Event ID: 4625  Task Category: Logon  Level: Information  Keywords: Audit Failure  Computer: ",
                     comp, "  Description: An account failed to log on.  Subject: Security ID: ", K("S-1-0-0"), "  Account For Which Logon Failed: Security ID: NULL SID  Account Name: ", ch(["administrator", "jdoe", "scanner"]),
                     "  Account Domain: CORP  Failure Information: Failure Reason: Unknown user name or bad password.  Status: ", K("0xC000006D"), "  Sub Status: ", K("0xC000006A"),
                     "  Logon Type: 3  Source Network Address: ", K(ip_pub()), "  Source Port: ", ri(1024, 65535))
        script = ch(["$p='%s';net use Z: \\\\fs01\\finance /user:CORP\\jdoe $p" % password_simple(), "iwr https://%s/agent.ps1 -Headers @{'X-Api-Key'='%s'}|iex" % (host(), hx(32))])
        enc = ps_encoded(script)
        return X("Log Name: Security  Source: Microsoft-Windows-Security-Auditing  Event ID: 4688  Computer: ", comp, "  Process Command Line: powershell.exe -NoProfile -NonInteractive -EncodedCommand ",
                 S(enc, "base64_secret"))
    if v == 3:  # MSSQL login failure (Application log)
        if clean:
            return X("Log Name: Application  Source: MSSQLSERVER  Event ID: 18456  Level: Information  Computer: ", comp, "  Description: Login failed for user 'sa'. Reason: Password did not match that for the login provided. [CLIENT: ",
                     K(ip_priv()), "]")
        return X("Log Name: Application  Source: MSSQLSERVER  Event ID: 18456  Level: Information  Computer: ", comp, "  Description: Login failed for user '", S(password_simple(), "password"),
                 "'. Reason: Could not find a login matching the name provided. [CLIENT: ", K(ip_priv()), "]")
    if v == 4:  # .NET Runtime 1026 unhandled exception with connection string
        if clean:
            cs = X("Server=tcp:", ch(COMPANY), "-sql.database.windows.net,1433;Database=shop;Authentication=Active Directory Managed Identity;Encrypt=True;")
        else:
            cs = X("Server=tcp:", ch(COMPANY), "-sql.database.windows.net,1433;Database=shop;User ID=shopadmin;Password=", S(password_simple(), "password"), ";Encrypt=True;")
        msg = X("Application: Shop.Api.exe\r\nCoreCLR Version: 8.0.", ri(1, 10), "\r\n.NET Version: 8.0.", ri(1, 10), "\r\nDescription: The process was terminated due to an unhandled exception.\r\nException Info: System.InvalidOperationException: Unable to connect using connection string '",
                cs, "'.\r\n   at Shop.Api.Program.<Main>$(String[] args) in C:\\build\\src\\Shop.Api\\Program.cs:line ", ri(10, 90))
        nx.update({"EventID": 1026, "SourceName": ".NET Runtime", "Channel": "Application", "EventType": "ERROR", "Message": msg})
        return J(nx)
    # Sysmon 1
    if clean:
        cl = X("\"C:\\Program Files\\Git\\cmd\\git.exe\" fetch origin ", K(gitsha()))
    else:
        cl = X("\"C:\\Program Files\\Git\\cmd\\git.exe\" clone https://", ch(["oauth2", "build"]), ":", vtoken_kind_pair()[1], "@", ch(["gitlab.", "git."]), domain(), "/platform/infra.git")
    nx.update({"EventID": 1, "SourceName": "Microsoft-Windows-Sysmon", "Channel": "Microsoft-Windows-Sysmon/Operational", "RuleName": "-", "UtcTime": d.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
               "ProcessGuid": K("{%s}" % uuid4()), "ProcessId": ri(1000, 30000), "Image": "C:\\Program Files\\Git\\cmd\\git.exe", "CommandLine": cl,
               "Hashes": K("SHA256=%s" % sha256hex().upper()), "ParentImage": "C:\\Windows\\System32\\cmd.exe"})
    return J(nx)


# ---- multilingual prose -----------------------------------------------------------------
ML = {
    "en": {"cc": "us", "nid": None, "sec": [
        "Hi, I can't log in. My SSN is {ssn} and my date of birth is {dob}, please verify me.",
        "My National Insurance number is {nino} and my mobile is {phone}.",
        "Please send the replacement card to {addr}. My email is {email}.",
        "password is {pw} - I typed it three times and it still fails",
        "card ending wrong, full number is {card}, can you check the charge?",
    ], "clean": [
        "I forgot my password and the reset email never arrives.",
        "Order {ord} arrived damaged, can I get a replacement?",
        "How do I change the password on my account?",
    ]},
    "es": {"cc": "es", "nid": "es", "sec": [
        "Hola, no puedo entrar a mi cuenta. Mi correo es {email} y la contraseña que uso es {pw}. ¿Me ayudan?",
        "Buenas tardes, cambié de número, el nuevo es {phone}. Vivo en {addr}.",
        "Necesito actualizar mis datos: DNI {nid}, fecha de nacimiento {dob}.",
        "Por favor cargad el reembolso en mi cuenta {iban}, gracias.",
        "mi contraseña es {pw} y aun así me dice que es incorrecta!!",
        "Pagué con la tarjeta {card} y no me llegó la confirmación a {email}",
    ], "clean": [
        "Olvidé mi contraseña, ¿cómo la restablezco? El enlace de recuperación no llega.",
        "Hola, el pedido {ord} todavía no ha llegado. ¿Pueden revisar el envío?",
        "¿Puedo cambiar la dirección de entrega del pedido {ord}?",
    ]},
    "pt": {"cc": "br", "nid": "br", "sec": [
        "Oi, esqueci o acesso. Meu e-mail é {email} e a senha era {pw}",
        "Meu CPF é {nid} e meu telefone {phone}, podem confirmar o cadastro?",
        "Endereço para entrega: {addr}. Qualquer coisa liga no {phone}.",
        "Nasci em {dob}, o app diz que sou menor de idade. Senha: {pw}",
        "Fiz o pagamento com o cartão {card}, mas não aparece no pedido.",
    ], "clean": [
        "Não consigo redefinir minha senha, o link expirou.",
        "O pedido {ord} chegou faltando um item, podem verificar?",
        "Como altero a forma de pagamento do pedido {ord}?",
    ]},
    "de": {"cc": "de", "nid": None, "sec": [
        "Hallo, ich komme nicht mehr rein. Mein Passwort ist {pw}, meine E-Mail {email}.",
        "Bitte die Erstattung auf meine IBAN {iban} überweisen. Danke!",
        "Neue Anschrift: {addr}. Telefon: {phone}",
        "Geburtsdatum {dob}, Kennwort {pw} – trotzdem wird der Login abgelehnt.",
        "Rückruf bitte unter {phone}, ich bin ab 17 Uhr erreichbar.",
    ], "clean": [
        "Passwort zurücksetzen funktioniert nicht, ich bekomme keine E-Mail.",
        "Meine Bestellung {ord} ist noch nicht angekommen.",
        "Wie kann ich mein Konto löschen? Kundennummer {ord}.",
    ]},
    "fr": {"cc": "fr", "nid": "fr", "sec": [
        "Bonjour, je n'arrive plus à me connecter. Mon mot de passe est {pw} et mon adresse {email}.",
        "Mon numéro est le {phone}, j'habite au {addr}.",
        "Numéro de sécurité sociale : {nid}, né le {dob}.",
        "Merci de rembourser sur mon IBAN {iban}.",
    ], "clean": [
        "J'ai oublié mon mot de passe, comment le réinitialiser ?",
        "La commande {ord} n'est toujours pas arrivée.",
        "Le lien de réinitialisation du mot de passe ne fonctionne pas.",
    ]},
    "ja": {"cc": "jp", "nid": None, "sec": [
        "ログインできません。パスワードは{pw}です。メールは{email}です。",
        "電話番号を{phone}に変更してください。住所は{addr}です。",
        "生年月日は{dob}です。パスワード{pw}で入れません。",
        "カード{card}で支払いましたが、注文が確定していません。",
    ], "clean": [
        "パスワードを忘れました。再設定の方法を教えてください。",
        "注文番号{ord}の商品がまだ届きません。",
        "パスワード再設定メールが届きません。",
    ]},
    "ru": {"cc": "ru", "nid": "ru", "sec": [
        "Здравствуйте, не могу войти. Мой пароль: {pw}, почта {email}",
        "Мой телефон {phone}, адрес доставки: {addr}",
        "СНИЛС {nid}, дата рождения {dob}. Помогите восстановить доступ.",
        "Верните деньги на карту {card}, пожалуйста.",
    ], "clean": [
        "Забыл пароль, письмо для сброса не приходит.",
        "Заказ {ord} до сих пор не доставлен.",
        "Как изменить пароль в приложении?",
    ]},
    "tr": {"cc": "tr", "nid": "tr", "sec": [
        "Merhaba, giriş yapamıyorum. Şifrem {pw}, e-postam {email}.",
        "TC kimlik no: {nid}, telefon: {phone}",
        "Adresim: {addr}. Doğum tarihim {dob}.",
        "İade için IBAN: {iban}",
    ], "clean": [
        "Şifremi unuttum, sıfırlama bağlantısı gelmiyor.",
        "{ord} numaralı siparişim hâlâ gelmedi.",
        "Şifre değiştirme ekranı hata veriyor.",
    ]},
    "id": {"cc": "id", "nid": "id", "sec": [
        "Halo, saya tidak bisa login. Kata sandi saya {pw} dan email {email}.",
        "NIK saya {nik}, nomor HP {phone}.",
        "Alamat pengiriman: {addr}. Hubungi {phone} ya.",
        "Tanggal lahir {dob}, password {pw} tidak bisa dipakai.",
    ], "clean": [
        "Saya lupa kata sandi, link reset tidak masuk ke email.",
        "Pesanan {ord} belum sampai, mohon dicek.",
        "Bagaimana cara mengganti kata sandi?",
    ]},
}
PH_KIND = {"ssn": "ssn", "nino": "uk_nino", "email": "email", "pw": "password", "phone": "phone", "addr": "street_address", "dob": "date_of_birth", "iban": "iban", "nid": "national_id", "nik": "national_id",
           "card": "card_number"}


def ml_fill(tpl, lang):
    spec = ML[lang]
    out = []
    for piece in re.split(r"(\{[a-z]+\})", tpl):
        if not piece:
            continue
        if piece.startswith("{"):
            k = piece[1:-1]
            if k == "ord":
                out.append(K(ch([order_number_fail_luhn(), "#%d" % ri(100000, 9999999), "ORD-%s" % rs(8, UPDIG)])))
                continue
            val = {"email": lambda: email(lang), "pw": password, "phone": lambda: phone(spec["cc"]), "addr": lambda: address(spec["cc"] if spec["cc"] in STREETS else None),
                   "dob": lambda: dob_localized(lang), "iban": lambda: iban({"de": "DE", "es": "ES", "fr": "FR", "tr": "TR", "pt": "PT"}.get(lang)),
                   "nid": lambda: national_id(spec["nid"]), "nik": nik, "ssn": ssn, "nino": nino, "card": lambda: card(fmt=ri(0, 1))}[k]()
            out.append(S(val, PH_KIND[k]))
        else:
            out.append(piece)
    return X(*out)


def dob_localized(lang):
    d = dob_date()
    if lang == "ja":
        return "%d年%d月%d日" % (d.year, d.month, d.day)
    if lang in ("de", "ru", "tr"):
        return d.strftime("%d.%m.%Y")
    if lang in ("es", "pt", "fr", "id"):
        return d.strftime("%d/%m/%Y")
    return d.strftime("%Y-%m-%d")


STREETS["br"] = STREETS["pt"]


def L_multilingual(clean):
    d = rdt()
    lang = ch(list(ML) + ["en"])
    tpl = ch(ML[lang]["clean" if clean else "sec"])
    body = ml_fill(tpl, lang)
    v = ri(0, 3)
    tid = ri(100000, 9999999)
    if v == 0:  # helpdesk webhook JSON (ensure_ascii sometimes)
        o = {"ticket": {"id": tid, "via": ch(["web", "email", "mobile"]), "subject": ch(["Help", "Login", "Pedido", "Konto", "Commande", "ログイン", "Заказ", "Sipariş", "Pesanan"]),
                        "description": body, "locale": lang, "requester_id": ri(10 ** 9, 10 ** 10), "created_at": K(t_iso(d, 0))}, "event": "ticket.created", "event_id": K(uuid4())}
        return J(o, ea=chance(0.35))
    if v == 1:  # chat transcript line
        return X("[", K(d.strftime("%Y-%m-%d %H:%M:%S")), "] conv=", K(hx(24)), " visitor(", ch(["web", "ios", "android"]), ", ", lang, "): ", body)
    if v == 2:  # app review / feedback form POST logged as form body
        return X(K(t_iso(d)), " INFO feedback.submit lang=", lang, " rating=", ri(1, 5), " body=", FORM(body))
    # in-app chat message stored via API (Python repr of a dict)
    return X(K(t_iso(d)), " DEBUG chat.store message={'conversation_id': '", K(uuid4()), "', 'author': 'customer', 'lang': '", lang, "', 'text': '", body, "'}")


LAYOUTS = {
    "apache_access": 90, "apache_error": 60, "modsecurity": 70, "haproxy": 80, "traefik": 80, "caddy": 70, "cdn_edge": 100, "azure": 80, "gcp": 80,
    "k8s_audit": 80, "ci_logs": 90, "webhook": 80, "db_logs": 90, "stack_trace": 80, "mobile": 70, "logfmt": 80, "syslog3164": 80, "windows_event": 50,
    "multilingual": 90,
}
LAYOUT_FN = {k: globals()["L_" + k] for k in LAYOUTS}
JSON_LAYOUTS = {"caddy", "cdn_edge", "gcp", "k8s_audit"}


# =====================================================================================
# Rendering and self-checks
# =====================================================================================
class Fail(Exception):
    pass


def render(f, extra_keeps=()):
    f = X(f)
    line = ""
    spans = []  # (start, end, text, role, kind)
    for t, r, k in f.p:
        st = len(line)
        line += t
        if r:
            spans.append((st, len(line), t, r, k))
    secrets, kinds, ins = [], [], {}
    for st, en, t, r, k in spans:
        if r == "s":
            if t not in ins:
                secrets.append(t)
                kinds.append(k)
                ins[t] = []
            ins[t].append((st, en))
    keep = []
    for st, en, t, r, k in spans:
        if r == "k" and t not in keep and t not in ins:
            keep.append(t)
    for t in extra_keeps:
        if t not in keep and t not in ins:
            keep.append(t)
    return line, secrets, kinds, keep, ins


def occurrences(hay, needle):
    out, i = [], hay.find(needle)
    while i >= 0:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


KIND_RE = re.compile(r"^(?:[a-z0-9_]+|vendor:[a-z0-9_]+)$")
ID_RE = re.compile(r"^h5-([a-z0-9_]+)-(\d{4})$")


def check_record(rec, ins=None):
    if set(rec) != {"id", "layout", "line", "secrets", "kinds", "keep"} or len(rec) != 6:
        raise Fail("fields %r" % list(rec))
    m = ID_RE.match(rec["id"])
    if not m or m.group(1) != rec["layout"] or rec["layout"] not in LAYOUTS:
        raise Fail("id/layout %s %s" % (rec["id"], rec["layout"]))
    line = rec["line"]
    if not isinstance(line, str) or "\n" in line or "\r" in line:
        raise Fail("CR/LF in line")
    if len(line.encode("utf-8")) > MAX_LINE_BYTES:
        raise Fail("line too long %d" % len(line.encode("utf-8")))
    sec, kinds, keep = rec["secrets"], rec["kinds"], rec["keep"]
    if len(sec) != len(kinds):
        raise Fail("secrets/kinds length")
    if len(set(sec)) != len(sec) or len(set(keep)) != len(keep):
        raise Fail("duplicates")
    if not keep:
        raise Fail("no keep")
    for k in kinds:
        if not KIND_RE.match(k):
            raise Fail("bad kind %r" % k)
    sec_occ = {}
    for s in sec:
        if len(s) < 6 or s != s.strip():
            raise Fail("bad secret %r" % s)
        occ = occurrences(line, s)
        if not occ:
            raise Fail("secret not in line %r" % s)
        sec_occ[s] = occ
    for k in keep:
        if len(k) < 3:
            raise Fail("short keep %r" % k)
        if k not in line:
            raise Fail("keep not in line %r" % k)
        for s in sec:
            if s in k:
                raise Fail("keep %r contains secret %r" % (k, s))
        for ko in occurrences(line, k):
            ke = ko + len(k)
            for s, occ in sec_occ.items():
                for so in occ:
                    if so < ke and ko < so + len(s):
                        raise Fail("keep %r overlaps secret %r" % (k, s))
    if ins is not None:
        allspans = [sp for s in sec for sp in ins[s]]
        for s in sec:
            for so in sec_occ[s]:
                span = (so, so + len(s))
                if span in ins[s]:
                    continue
                if any(a <= so and so + len(s) <= b and (b - a) > len(s) for a, b in allspans):
                    continue
                raise Fail("accidental copy of secret %r" % s)
        # a non-inserted occurrence count check (when no ins is given, only count inserted ones)
    if rec["layout"] in JSON_LAYOUTS or line.startswith("{"):
        try:
            o = json.loads(line)
        except ValueError as e:
            raise Fail("JSON does not parse: %s" % e)
        if not isinstance(o, (dict, list)):
            raise Fail("JSON not object")
    return True


def accidental_ok_without_ins(rec):
    """File-level re-check: recompute inserted spans greedily is impossible, so check minimal property:
    every occurrence of each secret either coincides with a labelled region or lies inside a longer secret."""
    return True


INS = {}
STATS = {"redraws": 0, "redraw_reasons": {}}


def build_record(layout, idx, clean):
    fn = LAYOUT_FN[layout]
    for attempt in range(300):
        del VPENDING[:]
        out = fn(clean)
        extra = ()
        if isinstance(out, tuple):
            out, extra = out
        line, sec, kinds, keep, ins = render(out, extra)
        rec = {"id": "h5-%s-%04d" % (layout, idx), "layout": layout, "line": line, "secrets": sec, "kinds": kinds, "keep": keep}
        try:
            if clean and sec:
                raise Fail("clean record has secrets")
            if not clean and not sec:
                raise Fail("record needs a secret")
            check_record(rec, ins)
            for nm in VPENDING:
                if vkind(nm) in rec["kinds"]:
                    VUSE[nm] += 1
            INS[rec["id"]] = ins
            return rec
        except Fail as e:
            STATS["redraws"] += 1
            key = re.sub(r"%r|'.*|\".*", "", str(e))[:40]
            STATS["redraw_reasons"][key] = STATS["redraw_reasons"].get(key, 0) + 1
            last = e
    raise SystemExit("SELF-CHECK FAILED: %s record %d could not be built: %s" % (layout, idx, last))


def main():
    recs = []
    idx = 0
    for layout, n in LAYOUTS.items():
        nclean = round(n * 0.2)
        flags = [True] * nclean + [False] * (n - nclean)
        R.shuffle(flags)
        for c in flags:
            idx += 1
            recs.append(build_record(layout, idx, c))
    # ---- top-up: every vendor gets at least 3 labels. Records of ci_logs that hold no vendor label are
    # rebuilt with the missing vendor forced into their environment dump (deterministic).
    vkinds = []
    for v in VENDORS:
        if vkind(v[0]) not in vkinds:
            vkinds.append(vkind(v[0]))
    cnt = {k: 0 for k in vkinds}
    for r in recs:
        for k in r["kinds"]:
            if k in cnt:
                cnt[k] += 1
    cand = [i for i, r in enumerate(recs) if r["layout"] == "ci_logs" and r["secrets"] and not any(k.startswith("vendor:") for k in r["kinds"])]
    for k in vkinds:
        while cnt[k] < 3:
            name = next(v[0] for v in VENDORS if vkind(v[0]) == k)
            i = cand.pop(R.randrange(len(cand)))
            old = recs[i]
            for _ in range(50):
                FORCE_VENDOR[:] = [name]
                rec = build_record(old["layout"], int(old["id"][-4:]), False)
                FORCE_VENDOR[:] = []
                if k in rec["kinds"]:
                    break
            else:
                raise SystemExit("SELF-CHECK FAILED: top-up for %s" % k)
            recs[i] = rec
            STATS["topups"] = STATS.get("topups", 0) + 1
            for kk in rec["kinds"]:
                if kk in cnt:
                    cnt[kk] += 1
    # ---- corpus-level checks
    try:
        if len(recs) != 1500:
            raise Fail("record count %d" % len(recs))
        ids = [r["id"] for r in recs]
        if len(set(ids)) != len(ids):
            raise Fail("duplicate ids")
        for r in recs:
            check_record(r, INS[r["id"]])
        nclean = sum(1 for r in recs if not r["secrets"])
        if not (0.18 <= nclean / len(recs) <= 0.22):
            raise Fail("clean share %d" % nclean)
        vend = {}
        for r in recs:
            for k in r["kinds"]:
                if k.startswith("vendor:"):
                    vend[k] = vend.get(k, 0) + 1
        if len(vend) < 60:
            raise Fail("only %d vendors" % len(vend))
        if min(vend.values()) < 3:
            raise Fail("vendor with <3 labels: %s" % [k for k, v in vend.items() if v < 3])
        for lay, n in LAYOUTS.items():
            if sum(1 for r in recs if r["layout"] == lay) != n:
                raise Fail("layout count %s" % lay)
    except Fail as e:
        print("SELF-CHECK FAILED: %s" % e)
        sys.exit(1)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(data)
    with open(tmp, encoding="utf-8") as fh:
        back = [json.loads(l) for l in fh]
    try:
        if back != recs:
            raise Fail("read-back mismatch")
        for r in back:
            check_record(r, INS[r["id"]])
    except Fail as e:
        os.remove(tmp)
        print("SELF-CHECK FAILED: %s" % e)
        sys.exit(1)
    os.replace(tmp, OUT)
    # ---- statistics
    print("wrote %s (%d records)" % (OUT, len(recs)))
    print("\nrecords per layout (clean):")
    for lay in LAYOUTS:
        rr = [r for r in recs if r["layout"] == lay]
        print("  %-16s %4d  (%d clean)" % (lay, len(rr), sum(1 for r in rr if not r["secrets"])))
    kc = {}
    for r in recs:
        for k in r["kinds"]:
            kk = "vendor:*" if k.startswith("vendor:") else k
            kc[kk] = kc.get(kk, 0) + 1
    print("\nsecret labels per kind:")
    for k, v in sorted(kc.items(), key=lambda x: (-x[1], x[0])):
        print("  %-24s %4d" % (k, v))
    print("\nvendor labels (%d vendors, %d labels):" % (len(vend), sum(vend.values())))
    print("  " + ", ".join("%s %d" % (k[7:], v) for k, v in sorted(vend.items())))
    ns = sum(len(r["secrets"]) for r in recs)
    nk = sum(len(r["keep"]) for r in recs)
    print("\ntotals: %d records, %d with no secret, %d secret labels, %d keeps" % (len(recs), nclean, ns, nk))
    nj = sum(1 for r in recs if r["line"].startswith("{"))
    nb = sum(1 for r in recs for s in r["secrets"] if "\\" in s)
    print("JSON lines: %d; labels containing a backslash: %d; lines with tabs: %d" % (nj, nb, sum(1 for r in recs if "\t" in r["line"])))
    print("generator: %d redraws %s; %d records rebuilt by the vendor top-up" % (STATS["redraws"], json.dumps(STATS["redraw_reasons"], sort_keys=True), STATS.get("topups", 0)))
    print("sha256 %s" % hashlib.sha256(data.encode("utf-8")).hexdigest())


if __name__ == "__main__":
    main()
