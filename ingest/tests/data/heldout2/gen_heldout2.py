#!/usr/bin/env python3
"""Generate heldout2.jsonl: a labelled evaluation corpus for a log scrubber.

Every value is random (fixed seed) and fake; formats follow public AWS and
vendor documentation (see README.md).  Standard library only.

    python3 gen_heldout2.py            # writes heldout2.jsonl next to this file
"""
import base64
import collections
import datetime
import hashlib
import json
import os
import random
import string
import sys
import urllib.parse
import uuid

SEED = 0x4E1D0B2
R = random.Random(SEED)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout2.jsonl")

# --------------------------------------------------------------------------
# primitive generators
# --------------------------------------------------------------------------
UP = string.ascii_uppercase
LO = string.ascii_lowercase
DIG = string.digits
ALNUM = UP + LO + DIG
LOWNUM = LO + DIG
UPNUM = UP + DIG
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64U = ALNUM + "-_"
BECH32U = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"


def rs(alpha, n):
    return "".join(R.choice(alpha) for _ in range(n))


def mixed(alpha, n):
    """random string that contains at least one digit and one letter when possible"""
    while True:
        s = rs(alpha, n)
        need_d = any(c.isdigit() for c in alpha)
        need_a = any(c.isalpha() for c in alpha)
        if n < 8 or ((not need_d or any(c.isdigit() for c in s)) and (not need_a or any(c.isalpha() for c in s))):
            return s


def hexs(n):
    return rs(HEX, n)


def digits(n):
    return str(R.randint(1, 9)) + rs(DIG, n - 1)


def uid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def b64(s):
    return base64.b64encode(s.encode()).decode()


def b64u_nopad(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def q1(s):
    return urllib.parse.quote(s, safe="")


def q2(s):
    return q1(q1(s))


def qp(s):
    return urllib.parse.quote_plus(s, safe="")


T0 = datetime.datetime(2024, 1, 3, tzinfo=datetime.timezone.utc)


def rand_dt():
    return T0 + datetime.timedelta(seconds=R.randint(0, 540 * 86400), milliseconds=R.randint(0, 999))


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def iso_s(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def clf_time(dt):
    return dt.strftime("%d/%b/%Y:%H:%M:%S +0000")


def epoch_ms(dt):
    return int(dt.timestamp() * 1000)


def account_id():
    return digits(12)


def api_id():
    return rs(LOWNUM, 10)


def ext_req_id():
    return rs(UP + LO + DIG, 15) + "="


def xray_root(dt):
    return "1-%08x-%s" % (int(dt.timestamp()), hexs(24))


def public_ip():
    while True:
        a = R.randint(11, 223)
        if a in (127, 169, 172, 192, 10, 100):
            continue
        return "%d.%d.%d.%d" % (a, R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))


def priv_ip():
    return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))


def semver():
    v = "%d.%d.%d" % (R.randint(0, 9), R.randint(0, 30), R.randint(0, 40))
    if R.random() < 0.25:
        v += R.choice(["-beta.%d" % R.randint(1, 9), "-rc.%d" % R.randint(1, 5), "+build.%d" % R.randint(100, 999)])
    return v


def sha256_hex():
    return hashlib.sha256(rs(ALNUM, 24).encode()).hexdigest()


def sha1_hex():
    return hashlib.sha1(rs(ALNUM, 24).encode()).hexdigest()


def md5_hex():
    return hashlib.md5(rs(ALNUM, 24).encode()).hexdigest()


def isbn13():
    body = "978" + rs(DIG, 9)
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    chk = (10 - s % 10) % 10
    full = body + str(chk)
    return "%s-%s-%s-%s-%s" % (full[:3], full[3], full[4:8], full[8:12], full[12])


UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "okhttp/4.12.0",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "axios/1.6.8",
    "PostmanRuntime/7.37.3",
    "Go-http-client/2.0",
    "aws-sdk-js/3.583.0 ua/2.0 os/linux#5.10 lang/js md/nodejs#20.12.2",
    "Amazon CloudFront",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP1A.240505.004)",
]

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"]
STAGES = ["prod", "dev", "staging", "v1", "live", "canary", "$default"]
FUNCS = ["orders-api", "checkout-handler", "user-profile", "payments-webhook", "auth-callback", "kyc-verify",
         "notify-dispatch", "catalog-search", "invoice-render", "signup-flow", "partner-sync", "ledger-writer"]

FIRST = ["olivia", "liam", "emma", "noah", "ava", "mateo", "sofia", "lukas", "chloe", "arjun", "yuki", "lucia",
         "daan", "camille", "giulia", "thiago", "priya", "hannah", "oscar", "isla", "jonas", "ines", "kenji", "maya"]
LAST = ["martin", "schmidt", "garcia", "rossi", "dubois", "jansen", "silva", "sharma", "tanaka", "nguyen",
        "oconnor", "kowalski", "muller", "fernandez", "bianchi", "smith", "taylor", "lopez", "bakker", "moreau"]
DOMAINS = ["gmail.com", "yahoo.co.uk", "web.de", "orange.fr", "libero.it", "hotmail.es", "ziggo.nl", "uol.com.br",
           "rediffmail.com", "yahoo.co.jp", "bigpond.com", "prodigy.net.mx", "outlook.com", "proton.me",
           "acme-corp.example", "northwind.example.org"]


def person():
    return R.choice(FIRST), R.choice(LAST)


def email():
    f, l = person()
    sep = R.choice([".", "_", "", "-"])
    local = f + sep + l
    if R.random() < 0.4:
        local += str(R.randint(1, 99))
    if R.random() < 0.12:
        local += "+" + R.choice(["alerts", "shop", "news", "test"])
    return local + "@" + R.choice(DOMAINS)


def username():
    f, l = person()
    return R.choice([f + "." + l, f[0] + l, f + str(R.randint(10, 99)), l + "_" + f[:3]])


def password():
    style = R.random()
    if style < 0.35:
        w = R.choice(["Summer", "Winter", "Dragon", "Sunshine", "Monkey", "Football", "Liverpool", "Pa55word",
                      "Welcome", "Qwerty", "Berlin", "Chocolate", "Tigger", "Matrix"])
        return w + str(R.randint(10, 2025)) + R.choice("!@#$&*?")
    if style < 0.7:
        return mixed(ALNUM + "!#$&*?-_.", R.randint(10, 18))
    return "-".join(rs(LO, R.randint(4, 7)) for _ in range(3)) + str(R.randint(0, 9))


# ---------------- phones (E.164 and national formats) ----------------
def phone():
    c = R.choice(["US", "UK", "DE", "FR", "ES", "IT", "NL", "BR", "IN", "JP", "AU", "MX"])
    d = lambda n: rs(DIG, n)
    if c == "US":
        a = str(R.randint(201, 989))
        while a[1:] == "11":
            a = str(R.randint(201, 989))
        e = str(R.randint(200, 999))
        n = d(4)
        return R.choice(["+1 %s %s %s" % (a, e, n), "(%s) %s-%s" % (a, e, n), "%s-%s-%s" % (a, e, n),
                         "+1%s%s%s" % (a, e, n), "1-%s-%s-%s" % (a, e, n), "%s.%s.%s" % (a, e, n)])
    if c == "UK":
        if R.random() < 0.7:
            m = "7" + str(R.randint(4, 9)) + d(8)
            return R.choice(["+44 %s %s" % (m[:4], m[4:]), "0%s %s" % (m[:4], m[4:]), "+44%s" % m,
                             "+44 (0)%s %s" % (m[:4], m[4:])])
        a, b = d(4), d(4)
        return R.choice(["+44 20 %s %s" % (a, b), "020 %s %s" % (a, b)])
    if c == "DE":
        if R.random() < 0.6:
            m = "15" + R.choice("1279") + d(8)
            return R.choice(["+49 %s %s" % (m[:3], m[3:]), "0%s/%s" % (m[:3], m[3:]), "+49%s" % m,
                             "0%s %s" % (m[:3], m[3:])])
        a, b = d(4), d(4)
        return R.choice(["+49 30 %s%s" % (a, b), "030 %s %s" % (a, b), "+49 (0)30 %s %s" % (a, b)])
    if c == "FR":
        m = R.choice("67") + d(8)
        p = [m[1:3], m[3:5], m[5:7], m[7:9]]
        return R.choice(["+33 %s %s" % (m[0], " ".join(p)), "0%s %s" % (m[0], " ".join(p)), "+33%s" % m,
                         "0%s.%s" % (m[0], ".".join(p))])
    if c == "ES":
        m = R.choice("67") + d(8)
        return R.choice(["+34 %s %s %s" % (m[:3], m[3:6], m[6:]), "%s %s %s %s" % (m[:3], m[3:5], m[5:7], m[7:]),
                         "+34%s" % m])
    if c == "IT":
        if R.random() < 0.7:
            m = "3" + str(R.randint(20, 99)) + d(7)
            return R.choice(["+39 %s %s %s" % (m[:3], m[3:6], m[6:]), "%s %s" % (m[:3], m[3:]), "+39%s" % m])
        return R.choice(["+39 06 %s %s" % (d(4), d(4)), "06 %s %s" % (d(4), d(4))])
    if c == "NL":
        m = d(8)
        return R.choice(["+31 6 %s" % m, "06-%s" % m, "+316%s" % m, "06 %s %s" % (m[:4], m[4:])])
    if c == "BR":
        a, b = d(4), d(4)
        ddd = R.choice(["11", "21", "31", "41", "51", "61"])
        return R.choice(["+55 %s 9%s-%s" % (ddd, a, b), "(%s) 9%s-%s" % (ddd, a, b), "+55%s9%s%s" % (ddd, a, b)])
    if c == "IN":
        m = R.choice("6789") + d(9)
        return R.choice(["+91 %s %s" % (m[:5], m[5:]), "0%s %s" % (m[:5], m[5:]), "+91-%s" % m, "+91%s" % m])
    if c == "JP":
        if R.random() < 0.7:
            p = R.choice(["90", "80", "70"])
            a, b = d(4), d(4)
            return R.choice(["+81 %s-%s-%s" % (p, a, b), "0%s-%s-%s" % (p, a, b), "+81%s%s%s" % (p, a, b)])
        return R.choice(["03-%s-%s" % (d(4), d(4)), "+81 3-%s-%s" % (d(4), d(4))])
    if c == "AU":
        if R.random() < 0.7:
            m = "4" + d(8)
            return R.choice(["+61 %s %s %s" % (m[:3], m[3:6], m[6:]), "0%s %s %s" % (m[:3], m[3:6], m[6:]),
                             "+61%s" % m])
        return R.choice(["(02) %s %s" % (d(4), d(4)), "+61 2 %s %s" % (d(4), d(4))])
    # MX
    a, b = d(4), d(4)
    return R.choice(["+52 55 %s %s" % (a, b), "55 %s %s" % (a, b), "+52 1 55 %s %s" % (a, b), "+5255%s%s" % (a, b)])


# ---------------- cards ----------------
def luhn_ok(num):
    s = 0
    for i, ch in enumerate(reversed(num)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        s += v
    return s % 10 == 0


def luhn_complete(prefix, length):
    body = prefix + rs(DIG, length - len(prefix) - 1)
    for c in DIG:
        if luhn_ok(body + c):
            return body + c
    raise AssertionError


def card_number():
    brand = R.choice(["visa", "visa", "mc", "mc2", "amex", "discover", "jcb"])
    if brand == "visa":
        n = luhn_complete("4", 16)
    elif brand == "mc":
        n = luhn_complete("5" + str(R.randint(1, 5)), 16)
    elif brand == "mc2":
        n = luhn_complete(str(R.randint(2221, 2720)), 16)
    elif brand == "amex":
        n = luhn_complete(R.choice(["34", "37"]), 15)
    elif brand == "discover":
        n = luhn_complete("6011", 16)
    else:
        n = luhn_complete("35" + str(R.randint(28, 89)), 16)
    assert luhn_ok(n)
    g = R.choice(["plain", "space", "dash", "plain", "space"])
    if g == "plain":
        return n
    sep = " " if g == "space" else "-"
    if len(n) == 15:
        return sep.join([n[:4], n[4:10], n[10:]])
    return sep.join([n[i:i + 4] for i in range(0, 16, 4)])


def non_luhn_16():
    while True:
        n = digits(16)
        if not luhn_ok(n):
            return n


def masked_card():
    return R.choice(["************%s", "**** **** **** %s", "XXXX-XXXX-XXXX-%s", "ending in %s"]) % rs(DIG, 4)


# ---------------- national ids ----------------
def us_ssn():
    while True:
        a = R.randint(1, 899)
        if a != 666:
            break
    g, s = R.randint(1, 99), R.randint(1, 9999)
    return R.choice(["%03d-%02d-%04d", "%03d-%02d-%04d", "%03d %02d %04d", "%03d%02d%04d"]) % (a, g, s)


def uk_nino():
    while True:
        p = R.choice("ABCEGHJKLMNOPRSTWXYZ") + R.choice("ABCEGHJKLMNPRSTWXYZ")
        if p not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"):
            break
    n = rs(DIG, 6)
    sfx = R.choice("ABCD")
    return R.choice(["%s%s%s" % (p, n, sfx), "%s %s %s %s %s" % (p, n[:2], n[2:4], n[4:], sfx)])


def iban():
    cc = R.choice(["DE", "GB", "FR", "ES", "IT", "NL", "BE", "AT"])
    if cc == "DE":
        bban = rs(DIG, 18)
    elif cc == "GB":
        bban = rs(UP, 4) + rs(DIG, 14)
    elif cc == "FR":
        bban = rs(DIG, 10) + rs(UPNUM, 11) + rs(DIG, 2)
    elif cc == "ES":
        bban = rs(DIG, 20)
    elif cc == "IT":
        bban = rs(UP, 1) + rs(DIG, 10) + rs(UPNUM, 12)
    elif cc == "NL":
        bban = rs(UP, 4) + rs(DIG, 10)
    elif cc == "BE":
        bban = rs(DIG, 12)
    else:
        bban = rs(DIG, 16)
    num = "".join(str(int(ch, 36)) for ch in bban + cc + "00")
    chk = 98 - int(num) % 97
    full = "%s%02d%s" % (cc, chk, bban)
    assert int("".join(str(int(ch, 36)) for ch in full[4:] + full[:4])) % 97 == 1
    if R.random() < 0.45:
        return " ".join(full[i:i + 4] for i in range(0, len(full), 4))
    return full


def passport():
    c = R.choice(["US", "UK", "DE", "FR", "IN", "JP", "ES", "IT"])
    if c in ("US", "UK"):
        return R.choice([rs(DIG, 9), R.choice(UP) + rs(DIG, 8)])
    if c == "DE":
        return "C" + rs("CFGHJKLMNPRTVWXYZ0123456789", 8)
    if c == "FR":
        return rs(DIG, 2) + rs(UP, 2) + rs(DIG, 5)
    if c == "IN":
        return R.choice(UP) + rs(DIG, 7)
    if c == "JP":
        return rs(UP, 2) + rs(DIG, 7)
    if c == "ES":
        return rs(UP, 3) + rs(DIG, 6)
    return rs(UP, 2) + rs(DIG, 7)


def dob():
    y, m, d = R.randint(1941, 2006), R.randint(1, 12), R.randint(1, 28)
    return R.choice(["%04d-%02d-%02d" % (y, m, d), "%02d/%02d/%04d" % (d, m, y), "%02d/%02d/%04d" % (m, d, y),
                     "%02d.%02d.%04d" % (d, m, y), "%04d-%02d-%02d" % (y, m, d)])


US_STREETS = ["Maple", "Oak", "Elm", "Cedar", "Washington", "Lakeview", "Sunset", "Pine", "Highland", "Mill"]
US_CITIES = [("Springfield", "IL", "627"), ("Austin", "TX", "787"), ("Portland", "OR", "972"),
             ("Columbus", "OH", "432"), ("Raleigh", "NC", "276"), ("Denver", "CO", "802")]


def address():
    c = R.choice(["US", "US", "UK", "DE", "FR", "ES", "IT", "NL", "AU", "BR"])
    n = R.randint(1, 4999)
    if c == "US":
        city, st, z = R.choice(US_CITIES)
        return "%d %s %s, %s, %s %s%s" % (n, R.choice(US_STREETS), R.choice(["St", "Ave", "Blvd", "Rd", "Lane"]),
                                           city, st, z, rs(DIG, 2))
    if c == "UK":
        pc = R.choice(["NW1", "SW19", "M4", "LS6", "EH8", "BS1"]) + " " + str(R.randint(1, 9)) + rs("ABDEFGHJLNPQRSTUWXYZ", 2)
        return "%d %s Road, %s %s" % (n % 300 + 1, R.choice(["Victoria", "Church", "Station", "Mill", "Queens"]),
                                      R.choice(["London", "Manchester", "Leeds", "Edinburgh", "Bristol"]), pc)
    if c == "DE":
        return "%s %d, %s %s" % (R.choice(["Hauptstraße", "Gartenweg", "Lindenallee", "Schillerstraße", "Bahnhofstr."]),
                                 n % 180 + 1, rs(DIG, 5), R.choice(["Berlin", "München", "Köln", "Hamburg", "Leipzig"]))
    if c == "FR":
        return "%d rue %s, %s %s" % (n % 150 + 1, R.choice(["de la Paix", "Victor Hugo", "des Lilas", "Pasteur"]),
                                     rs(DIG, 5), R.choice(["Paris", "Lyon", "Nantes", "Lille"]))
    if c == "ES":
        return "Calle %s %d, %s %s" % (R.choice(["Mayor", "de Alcalá", "Real", "del Sol"]), n % 200 + 1, rs(DIG, 5),
                                       R.choice(["Madrid", "Sevilla", "Valencia"]))
    if c == "IT":
        return "Via %s %d, %s %s" % (R.choice(["Roma", "Garibaldi", "Dante", "Mazzini"]), n % 200 + 1, rs(DIG, 5),
                                     R.choice(["Milano", "Torino", "Bologna"]))
    if c == "NL":
        return "%s %d, %s %s %s" % (R.choice(["Keizersgracht", "Dorpsstraat", "Kerkstraat"]), n % 400 + 1,
                                    rs(DIG, 4), rs(UP, 2), R.choice(["Amsterdam", "Utrecht", "Rotterdam"]))
    if c == "AU":
        return "%d %s Street, %s NSW %d" % (n % 400 + 1, R.choice(["George", "Pitt", "King", "Oxford"]),
                                           R.choice(["Sydney", "Parramatta", "Newcastle"]), R.randint(2000, 2999))
    return "Rua %s, %d - %s, São Paulo - SP, %s-%s" % (R.choice(["Augusta", "Oscar Freire", "da Consolação"]),
                                                        n % 3000 + 1, R.choice(["Jardins", "Pinheiros", "Centro"]),
                                                        rs(DIG, 5), rs(DIG, 3))


def jwt(extra=None):
    alg = R.choice(["RS256", "HS256", "ES256", "RS256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if R.random() < 0.6:
        hdr["kid"] = rs(ALNUM, 20)
    now = epoch_ms(rand_dt()) // 1000
    pl = {"sub": uid(), "iss": R.choice(["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_" + rs(ALNUM, 9),
                                          "https://auth.acme-corp.example/", "https://login.partner.example/oauth2"]),
          "iat": now, "exp": now + 3600}
    if extra:
        pl.update(extra)
    if R.random() < 0.5:
        pl["scope"] = R.choice(["openid profile", "orders:read orders:write", "aws.cognito.signin.user.admin"])
    sig_len = {"HS256": 43, "ES256": 86, "RS256": 342}[alg]
    return "%s.%s.%s" % (b64u_nopad(json.dumps(hdr, separators=(",", ":")).encode()),
                         b64u_nopad(json.dumps(pl, separators=(",", ":")).encode()), rs(B64U, sig_len))


def aws_session_token():
    return "IQoJb3JpZ2luX2VjE" + rs(ALNUM, 2) + "//////////wEaCX" + rs(B64, R.randint(380, 560))


def phone_e164():
    p = phone()
    e = "".join(ch for ch in p if ch.isdigit() or ch == "+")
    return e if e.startswith("+") else p


def apigw_key():
    return mixed(ALNUM, 40)


def session_value():
    return R.choice([mixed(ALNUM, 32), hexs(64), "s%3A" + rs(B64U, 32) + "." + rs(ALNUM, 43), mixed(B64U, 43)])


# --------------------------------------------------------------------------
# vendor token registry
# --------------------------------------------------------------------------
class Tok:
    def __init__(self, kind, vendor, gen, words, header=None, prefixed=True):
        self.kind, self.vendor, self.gen, self.words = kind, vendor, gen, words
        self.header = header  # (header name, value prefix)
        self.prefixed = prefixed  # distinctive prefix -> safe to show without a field name


def slack_webhook():
    sec = mixed(ALNUM, 24)
    return "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(UPNUM, 8), rs(UPNUM, 10), sec), sec


def discord_webhook():
    sec = mixed(B64U, 68)
    return "https://discord.com/api/webhooks/%s/%s" % (digits(19), sec), sec


def telegram_tok():
    return digits(10) + ":AA" + mixed(B64U, 33)


TOKENS = [
    Tok("stripe_secret_key", "Stripe", lambda: "sk_live_" + R.choice(["51", ""]) + mixed(ALNUM, R.choice([24, 97])),
        [["stripe", "secret", "key"], ["stripe", "api", "key"]], ("Authorization", "Bearer ")),
    Tok("stripe_restricted_key", "Stripe", lambda: "rk_live_" + mixed(ALNUM, R.choice([24, 97])),
        [["stripe", "restricted", "key"]], ("Authorization", "Bearer ")),
    Tok("stripe_webhook_secret", "Stripe", lambda: "whsec_" + mixed(ALNUM, 32), [["stripe", "webhook", "secret"], ["endpoint", "secret"]]),
    Tok("github_pat", "GitHub", lambda: "ghp_" + mixed(ALNUM, 36), [["github", "token"], ["gh", "token"]], ("Authorization", "token ")),
    Tok("github_oauth_token", "GitHub", lambda: "gho_" + mixed(ALNUM, 36), [["github", "oauth", "token"]], ("Authorization", "Bearer ")),
    Tok("github_app_token", "GitHub", lambda: R.choice(["ghs_", "ghu_"]) + mixed(ALNUM, 36), [["installation", "token"]], ("Authorization", "token ")),
    Tok("github_fine_grained_pat", "GitHub", lambda: "github_pat_11" + rs(UPNUM, 20) + "_" + mixed(ALNUM, 59),
        [["github", "pat"]], ("Authorization", "Bearer ")),
    Tok("gitlab_pat", "GitLab", lambda: "glpat-" + mixed(ALNUM + "_-", 20), [["gitlab", "token"], ["private", "token"]], ("PRIVATE-TOKEN", "")),
    Tok("gitlab_runner_token", "GitLab", lambda: "glrt-" + mixed(ALNUM + "_-", 20), [["runner", "token"]]),
    Tok("gitlab_trigger_token", "GitLab", lambda: "glptt-" + hexs(40), [["trigger", "token"]]),
    Tok("slack_bot_token", "Slack", lambda: "xoxb-%s-%s-%s" % (digits(12), digits(13), mixed(ALNUM, 24)),
        [["slack", "bot", "token"]], ("Authorization", "Bearer ")),
    Tok("slack_user_token", "Slack", lambda: "xoxp-%s-%s-%s-%s" % (digits(12), digits(12), digits(13), hexs(32)),
        [["slack", "user", "token"]], ("Authorization", "Bearer ")),
    Tok("slack_app_token", "Slack", lambda: "xapp-1-A%s-%s-%s" % (rs(UPNUM, 10), digits(13), hexs(64)), [["slack", "app", "token"]]),
    Tok("slack_webhook", "Slack", slack_webhook, [["slack", "webhook", "url"]]),
    Tok("twilio_auth_token", "Twilio", lambda: hexs(32), [["twilio", "auth", "token"]], None, False),
    Tok("twilio_api_secret", "Twilio", lambda: mixed(ALNUM, 32), [["twilio", "api", "secret"]], None, False),
    Tok("sendgrid_api_key", "SendGrid", lambda: "SG." + mixed(B64U, 22) + "." + mixed(B64U, 43),
        [["sendgrid", "api", "key"]], ("Authorization", "Bearer ")),
    Tok("mailchimp_api_key", "Mailchimp", lambda: hexs(32) + "-us" + str(R.randint(1, 21)), [["mailchimp", "api", "key"]]),
    Tok("mailgun_api_key", "Mailgun", lambda: "key-" + hexs(32), [["mailgun", "api", "key"]]),
    Tok("shopify_access_token", "Shopify", lambda: R.choice(["shpat_", "shpca_", "shppa_"]) + hexs(32),
        [["shopify", "access", "token"]], ("X-Shopify-Access-Token", "")),
    Tok("shopify_shared_secret", "Shopify", lambda: "shpss_" + hexs(32), [["shopify", "api", "secret"]]),
    Tok("atlassian_api_token", "Atlassian", lambda: "ATATT3xFfGF0" + mixed(B64U, 170) + "=" + hexs(8).upper(),
        [["jira", "api", "token"], ["atlassian", "token"], ["confluence", "token"]]),
    Tok("okta_api_token", "Okta", lambda: "00" + mixed(ALNUM + "_-", 40), [["okta", "api", "token"]], ("Authorization", "SSWS "), False),
    Tok("auth0_client_secret", "Auth0", lambda: mixed(B64U, 64), [["auth0", "client", "secret"]], None, False),
    Tok("azure_client_secret", "Azure", lambda: rs(ALNUM, 3) + str(R.randint(0, 9)) + "Q~" + mixed(ALNUM + "_~.-", 34),
        [["azure", "client", "secret"], ["aad", "client", "secret"]]),
    Tok("azure_storage_key", "Azure", lambda: mixed(B64, 86) + "==", [["storage", "account", "key"], ["azure", "storage", "key"]], None, False),
    Tok("gcp_api_key", "GCP", lambda: "AIza" + mixed(B64U, 35), [["google", "api", "key"], ["maps", "api", "key"]]),
    Tok("firebase_server_key", "Firebase", lambda: "AAAA" + mixed(B64U, 7) + ":APA91b" + mixed(B64U, 134),
        [["fcm", "server", "key"], ["firebase", "server", "key"]], ("Authorization", "key=")),
    Tok("algolia_admin_key", "Algolia", lambda: hexs(32), [["algolia", "admin", "key"], ["algolia", "api", "key"]],
        ("X-Algolia-API-Key", ""), False),
    Tok("contentful_token", "Contentful", lambda: "CFPAT-" + mixed(B64U, 43), [["contentful", "management", "token"]], ("Authorization", "Bearer ")),
    Tok("cloudflare_api_token", "Cloudflare", lambda: mixed(B64U, 40), [["cloudflare", "api", "token"], ["cf", "api", "token"]],
        ("Authorization", "Bearer "), False),
    Tok("cloudflare_global_key", "Cloudflare", lambda: hexs(37), [["cloudflare", "api", "key"]], ("X-Auth-Key", ""), False),
    Tok("fastly_api_token", "Fastly", lambda: mixed(B64U, 32), [["fastly", "api", "token"], ["fastly", "key"]], ("Fastly-Key", ""), False),
    Tok("linear_api_key", "Linear", lambda: "lin_api_" + mixed(ALNUM, 40), [["linear", "api", "key"]], ("Authorization", "")),
    Tok("notion_token", "Notion", lambda: R.choice(["ntn_" + rs(DIG, 11) + mixed(ALNUM, 35), "secret_" + mixed(ALNUM, 43)]),
        [["notion", "token"], ["notion", "integration", "secret"]], ("Authorization", "Bearer ")),
    Tok("airtable_pat", "Airtable", lambda: "pat" + mixed(ALNUM, 14) + "." + hexs(64), [["airtable", "token"]], ("Authorization", "Bearer ")),
    Tok("vercel_token", "Vercel", lambda: "vcp_" + mixed(ALNUM, 56), [["vercel", "token"]], ("Authorization", "Bearer ")),
    Tok("netlify_token", "Netlify", lambda: "nfp_" + mixed(ALNUM, 36), [["netlify", "auth", "token"]], ("Authorization", "Bearer ")),
    Tok("sentry_auth_token", "Sentry", lambda: "sntryu_" + hexs(64), [["sentry", "auth", "token"]], ("Authorization", "Bearer ")),
    Tok("datadog_api_key", "Datadog", lambda: hexs(32), [["dd", "api", "key"], ["datadog", "api", "key"]], ("DD-API-KEY", ""), False),
    Tok("datadog_app_key", "Datadog", lambda: hexs(40), [["dd", "app", "key"], ["datadog", "application", "key"]],
        ("DD-APPLICATION-KEY", ""), False),
    Tok("newrelic_user_key", "New Relic", lambda: "NRAK-" + mixed(UPNUM, 27), [["newrelic", "api", "key"]], ("API-Key", "")),
    Tok("newrelic_license_key", "New Relic", lambda: hexs(36) + "NRAL", [["new", "relic", "license", "key"]], ("X-License-Key", "")),
    Tok("pagerduty_api_key", "PagerDuty", lambda: "u+" + mixed(ALNUM + "_-", 18), [["pagerduty", "api", "token"]],
        ("Authorization", "Token token="), False),
    Tok("openai_api_key", "OpenAI", lambda: "sk-proj-" + mixed(B64U, 58) + "T3BlbkFJ" + mixed(B64U, 58),
        [["openai", "api", "key"]], ("Authorization", "Bearer ")),
    Tok("anthropic_api_key", "Anthropic", lambda: "sk-ant-api03-" + mixed(B64U, 93) + "AA", [["anthropic", "api", "key"]], ("x-api-key", "")),
    Tok("huggingface_token", "Hugging Face", lambda: "hf_" + mixed(UP + LO, 34), [["hf", "token"], ["huggingface", "hub", "token"]],
        ("Authorization", "Bearer ")),
    Tok("replicate_token", "Replicate", lambda: "r8_" + mixed(ALNUM, 37), [["replicate", "api", "token"]], ("Authorization", "Bearer ")),
    Tok("postman_api_key", "Postman", lambda: "PMAK-" + hexs(24) + "-" + hexs(34), [["postman", "api", "key"]], ("X-Api-Key", "")),
    Tok("doppler_token", "Doppler", lambda: "dp.pt." + mixed(ALNUM, 43), [["doppler", "token"]], ("Authorization", "Bearer ")),
    Tok("vault_token", "HashiCorp Vault", lambda: "hvs." + mixed(B64U, 92), [["vault", "token"]], ("X-Vault-Token", "")),
    Tok("age_secret_key", "age", lambda: "AGE-SECRET-KEY-1" + rs(BECH32U, 58), [["age", "identity"], ["sops", "age", "key"]]),
    Tok("npm_token", "npm", lambda: "npm_" + mixed(ALNUM, 36), [["npm", "token"]], ("Authorization", "Bearer ")),
    Tok("pypi_token", "PyPI", lambda: "pypi-AgEIcHlwaS5vcmc" + mixed(B64U, R.randint(60, 140)), [["pypi", "token"], ["twine", "password"]]),
    Tok("rubygems_api_key", "RubyGems", lambda: "rubygems_" + hexs(48), [["gem", "host", "api", "key"]], ("Authorization", "")),
    Tok("nuget_api_key", "NuGet", lambda: "oy2" + mixed(LOWNUM, 43), [["nuget", "api", "key"]], ("X-NuGet-ApiKey", "")),
    Tok("dockerhub_pat", "Docker Hub", lambda: "dckr_pat_" + mixed(B64U, 27), [["docker", "password"], ["dockerhub", "token"]]),
    Tok("digitalocean_pat", "DigitalOcean", lambda: "dop_v1_" + hexs(64), [["digitalocean", "token"], ["do", "token"]], ("Authorization", "Bearer ")),
    Tok("heroku_api_key", "Heroku", lambda: "HRKU-AA" + mixed(B64U, 58), [["heroku", "api", "key"]], ("Authorization", "Bearer ")),
    Tok("flyio_token", "Fly.io", lambda: "fo1_" + mixed(B64U, 43), [["fly", "api", "token"]], ("Authorization", "Bearer ")),
    Tok("render_api_key", "Render", lambda: "rnd_" + mixed(ALNUM, 32), [["render", "api", "key"]], ("Authorization", "Bearer ")),
    Tok("supabase_pat", "Supabase", lambda: "sbp_" + hexs(40), [["supabase", "access", "token"]], ("Authorization", "Bearer ")),
    Tok("supabase_secret_key", "Supabase", lambda: "sb_secret_" + mixed(B64U, 31), [["supabase", "secret", "key"]], ("apikey", "")),
    Tok("planetscale_token", "PlanetScale", lambda: "pscale_tkn_" + mixed(B64U, 43), [["planetscale", "service", "token"]]),
    Tok("planetscale_password", "PlanetScale", lambda: "pscale_pw_" + mixed(B64U, 43), [["database", "password"]]),
    Tok("databricks_token", "Databricks", lambda: "dapi" + hexs(32), [["databricks", "token"]], ("Authorization", "Bearer ")),
    Tok("snowflake_password", "Snowflake", password, [["snowflake", "password"], ["sf", "password"]], None, False),
    Tok("confluent_api_secret", "Confluent", lambda: mixed(ALNUM + "+/", 64), [["confluent", "api", "secret"], ["kafka", "api", "secret"]], None, False),
    Tok("telegram_bot_token", "Telegram", telegram_tok, [["telegram", "bot", "token"]]),
    Tok("discord_bot_token", "Discord", lambda: R.choice("MN") + mixed(ALNUM, 25) + "." + mixed(B64U, 6) + "." + mixed(B64U, 38),
        [["discord", "bot", "token"]], ("Authorization", "Bot ")),
    Tok("discord_webhook", "Discord", discord_webhook, [["discord", "webhook"]]),
    Tok("square_access_token", "Square", lambda: "EAAA" + mixed(B64U, 60), [["square", "access", "token"]], ("Authorization", "Bearer ")),
    Tok("square_oauth_secret", "Square", lambda: "sq0csp-" + mixed(B64U, 43), [["square", "application", "secret"]]),
    Tok("braintree_access_token", "Braintree", lambda: "access_token$production$%s$%s" % (rs(LOWNUM, 16), hexs(32)),
        [["braintree", "access", "token"]], ("Authorization", "Bearer ")),
    Tok("paypal_client_secret", "PayPal", lambda: "E" + mixed(B64U, 79), [["paypal", "client", "secret"]], None, False),
    Tok("adyen_api_key", "Adyen", lambda: "AQE" + mixed(ALNUM, 3) + mixed(B64, 80) + "=-" + mixed(B64, 43) + "=-" + mixed(ALNUM, 12),
        [["adyen", "api", "key"]], ("X-API-Key", "")),
    Tok("plaid_access_token", "Plaid", lambda: "access-production-" + uid(), [["plaid", "access", "token"]]),
    Tok("plaid_secret", "Plaid", lambda: hexs(30), [["plaid", "secret"]], ("PLAID-SECRET", ""), False),
    Tok("coinbase_api_secret", "Coinbase", lambda: mixed(B64, 86) + "==", [["coinbase", "api", "secret"]], ("CB-ACCESS-SECRET", ""), False),
    Tok("aws_access_key_id", "AWS", lambda: "AKIA" + rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), [["aws", "access", "key", "id"]]),
    Tok("aws_secret_access_key", "AWS", lambda: mixed(B64, 40), [["aws", "secret", "access", "key"]], None, False),
    Tok("grafana_sa_token", "Grafana", lambda: "glsa_" + mixed(ALNUM, 32) + "_" + hexs(8), [["grafana", "token"]], ("Authorization", "Bearer ")),
    Tok("dynatrace_token", "Dynatrace", lambda: "dt0c01." + rs(UPNUM, 24) + "." + rs(UPNUM, 64), [["dt", "api", "token"]], ("Authorization", "Api-Token ")),
    Tok("pulumi_token", "Pulumi", lambda: "pul-" + hexs(40), [["pulumi", "access", "token"]], ("Authorization", "token ")),
]
TOK_BY_KIND = {t.kind: t for t in TOKENS}


def gen_tok(t):
    v = t.gen()
    if isinstance(v, tuple):
        return v
    return v, v


# --------------------------------------------------------------------------
# naming styles and separators
# --------------------------------------------------------------------------
STYLES = ["camel", "snake", "screaming", "kebab", "dotted", "pascal", "train"]


def style(words, st=None):
    st = st or R.choice(STYLES)
    w = [x.lower() for x in words]
    if st == "camel":
        return w[0] + "".join(x.capitalize() for x in w[1:])
    if st == "pascal":
        return "".join(x.capitalize() for x in w)
    if st == "snake":
        return "_".join(w)
    if st == "screaming":
        return "_".join(w).upper()
    if st == "kebab":
        return "-".join(w)
    if st == "dotted":
        return ".".join(w)
    return "-".join(x.capitalize() for x in w)


def kv(key, val, sep=None):
    sep = sep or R.choice(["eq", "colon", "json", "arrow", "yaml", "ini", "sq", "xml", "tf", "ruby"])
    if sep == "eq":
        return "%s=%s" % (key, val)
    if sep == "colon":
        return "%s: %s" % (key, val)
    if sep == "json":
        return '"%s":"%s"' % (key, val)
    if sep == "arrow":
        return '"%s" => "%s"' % (key, val)
    if sep == "yaml":
        return "%s: '%s'" % (key, val)
    if sep == "ini":
        return "%s = %s" % (key, val)
    if sep == "sq":
        return "'%s': '%s'" % (key, val)
    if sep == "xml":
        k = key.replace(".", "_")
        return "<%s>%s</%s>" % (k, val, k)
    if sep == "ruby":
        return ":%s => '%s'" % (key.replace("-", "_").replace(".", "_").lower(), val)
    return '%s = "%s"' % (key, val)


# --------------------------------------------------------------------------
# line record
# --------------------------------------------------------------------------
class Line:
    def __init__(self, layout):
        self.layout = layout
        self.secrets, self.kinds, self.keep = [], [], []
        self.allow_missing = False

    def s(self, val, kind):
        val = str(val)
        if val not in self.secrets:
            self.secrets.append(val)
            self.kinds.append(kind)
        return val

    def k(self, val):
        val = str(val)
        if val and val not in self.keep:
            self.keep.append(val)
        return val

    def merge(self, other):
        for v, kd in zip(other.secrets, other.kinds):
            self.s(v, kd)
        for v in other.keep:
            self.k(v)


# --------------------------------------------------------------------------
# request context
# --------------------------------------------------------------------------
RESOURCES = [
    ("/orders/{orderId}", lambda: "/orders/ORD-%d-%06d" % (R.randint(2021, 2025), R.randint(1, 999999))),
    ("/users/{userId}/profile", lambda: "/users/%s/profile" % uid()),
    ("/catalog/items", lambda: "/catalog/items"),
    ("/catalog/items/{sku}", lambda: "/catalog/items/SKU-%s" % rs(UPNUM, 8)),
    ("/health", lambda: "/health"),
    ("/v2/invoices/{invoiceId}/pdf", lambda: "/v2/invoices/inv_%s/pdf" % rs(LOWNUM, 12)),
    ("/cart", lambda: "/cart"),
    ("/search", lambda: "/search"),
    ("/books/{isbn}", None),
    ("/v1/shipments/{trackingId}", lambda: "/v1/shipments/1Z%s" % rs(UPNUM, 16)),
    ("/payments/intents", lambda: "/payments/intents"),
    ("/webhooks/inbound", lambda: "/webhooks/inbound"),
]


class Ctx:
    def __init__(self):
        self.dt = rand_dt()
        self.rid = uid()
        self.ext = ext_req_id()
        self.api = api_id()
        self.acct = account_id()
        self.region = R.choice(REGIONS)
        self.stage = R.choice(STAGES)
        self.ip = public_ip()
        self.ua = R.choice(UAS)
        self.method = R.choice(["GET", "GET", "POST", "PUT", "DELETE", "PATCH"])
        res, concrete = R.choice(RESOURCES)
        if res == "/books/{isbn}":
            self.isbn = isbn13()
            self.path = "/books/" + self.isbn
        else:
            self.isbn = None
            self.path = concrete()
        self.resource = res
        self.status = R.choice([200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502, 504])
        self.lat = R.randint(3, 2900)
        self.ilat = max(1, self.lat - R.randint(1, 40))
        self.length = R.randint(0, 48000)
        self.xray = xray_root(self.dt)
        self.domain = R.choice(["%s.execute-api.%s.amazonaws.com" % (self.api, self.region), "api.acme-corp.example",
                                "gateway.northwind.example.org"])
        self.keyid = rs(LOWNUM, 10)
        self.fn = R.choice(FUNCS)
        self.fn_arn = "arn:aws:lambda:%s:%s:function:%s" % (self.region, self.acct, self.fn)
        self.proto = R.choice(["HTTP/1.1", "HTTP/1.1", "HTTP/2.0"])


# --------------------------------------------------------------------------
# payload fields (PII bundles and secrets) -> list of (words, value, kind)
# --------------------------------------------------------------------------
def pii_bundle(kind=None):
    kind = kind or R.choice(["signup", "payment", "kyc", "contact", "payout", "login", "config", "benign", "uk", "us"])
    F = []
    if kind == "signup":
        F += [(["email"], email(), "email"), (["password"], password(), "password"), (["phone", "number"], phone(), "phone"),
              (["date", "of", "birth"], dob(), "date_of_birth"), (["marketing", "opt", "in"], R.choice(["true", "false"]), None)]
    elif kind == "payment":
        F += [(["card", "number"], card_number(), "card_number"), (["cardholder", "name"], " ".join(x.capitalize() for x in person()), None),
              (["billing", "address"], address(), "street_address"), (["amount"], str(R.randint(100, 99999)), None),
              (["currency"], R.choice(["EUR", "USD", "GBP", "BRL", "JPY"]), None)]
    elif kind == "kyc":
        F += [(["passport", "number"], passport(), "passport_number"), (["nationality"], R.choice(["DE", "FR", "GB", "US", "IN", "JP"]), None),
              (["dob"], dob(), "date_of_birth"), (["home", "address"], address(), "street_address")]
    elif kind == "contact":
        F += [(["contact", "email"], email(), "email"), (["mobile"], phone(), "phone"), (["street", "address"], address(), "street_address")]
    elif kind == "payout":
        F += [(["iban"], iban(), "iban"), (["account", "holder", "email"], email(), "email"), (["reference"], "PO-%d" % R.randint(10000, 99999), None)]
    elif kind == "login":
        F += [(["username"], email(), "email"), (["password"], password(), "password"), (["remember", "me"], "true", None)]
    elif kind == "uk":
        F += [(["national", "insurance", "number"], uk_nino(), "uk_nino"), (["email"], email(), "email"), (["phone"], phone(), "phone")]
    elif kind == "us":
        F += [(["ssn"], us_ssn(), "us_ssn"), (["date", "of", "birth"], dob(), "date_of_birth"), (["email"], email(), "email")]
    elif kind == "config":
        t = R.choice(TOKENS)
        disp, sec = gen_tok(t)
        F += [(["provider"], t.vendor, None), (t.words[0], disp, (t.kind, sec)), (["timeout", "ms"], str(R.randint(1000, 30000)), None)]
    else:
        F += [(["action"], R.choice(["ping", "list", "refresh", "sync"]), None), (["page"], str(R.randint(1, 40)), None),
              (["sort"], R.choice(["asc", "desc"]), None)]
    return F


def register_field(L, value, kind, transform=lambda x: x):
    """register a field's secret in the form it takes after `transform`"""
    if kind is None:
        return
    if isinstance(kind, tuple):
        kd, sec = kind
        if sec == value:
            L.s(transform(value), kd)
        else:
            L.s(transform(sec), kd)
    else:
        L.s(transform(value), kind)


def fields_to_dict(L, F, st=None):
    st = st or R.choice(["camel", "snake", "camel", "screaming", "kebab"])
    d = collections.OrderedDict()
    for words, val, kind in F:
        d[style(words, st)] = val
        register_field(L, val, kind)
    return d


def fields_to_form(L, F, double=False):
    parts = []
    enc = (lambda v: qp(qp(v))) if double else qp
    for words, val, kind in F:
        parts.append("%s=%s" % (style(words, "snake"), enc(val)))
        register_field(L, val, kind, enc)
    return "&".join(parts)


def fields_has_secret(F):
    return any(k is not None for _, _, k in F)


def body_for(L, ctx, allow_b64=True):
    """request body string + isBase64Encoded flag"""
    mode = R.choice(["json", "form", "b64", "b64"] if allow_b64 else ["json", "json", "form"])
    F = pii_bundle("benign" if (mode == "b64" and R.random() < 0.35) else None)
    if mode == "b64":
        sub = Line("x")
        raw = json.dumps(fields_to_dict(sub, F), ensure_ascii=False, separators=(",", ":"))
        enc = b64(raw)
        if sub.secrets:
            L.s(enc, "base64_body")
        else:
            L.k(enc)
        return enc, True
    if mode == "form":
        return fields_to_form(L, F, double=R.random() < 0.2), False
    return json.dumps(fields_to_dict(L, F), ensure_ascii=False, separators=(",", ":")), False


# --------------------------------------------------------------------------
# auth header variants
# --------------------------------------------------------------------------
def auth_value(L):
    r = R.random()
    if r < 0.35:
        j = jwt({"email": email()} if R.random() < 0.5 else None)
        L.s(j, "jwt")
        return "Bearer " + j
    if r < 0.5:
        u = R.choice([email(), username(), "AC" + hexs(32)])
        cred = b64(u + ":" + R.choice([password(), hexs(32)]))
        L.s(cred, "basic_auth")
        return "Basic " + cred
    t = R.choice([x for x in TOKENS if x.header and x.header[0] == "Authorization"])
    disp, sec = gen_tok(t)
    L.s(sec, t.kind)
    return t.header[1] + disp


def cookie_value(L):
    parts = []
    name = R.choice(["session", "sid", "connect.sid", "JSESSIONID", "__Host-session", "_app_session", "auth_token"])
    v = session_value()
    L.s(v, "session_cookie")
    parts.append("%s=%s" % (name, v))
    if R.random() < 0.6:
        parts.append("theme=%s" % R.choice(["dark", "light"]))
    if R.random() < 0.5:
        ga = "GA1.2.%d.%d" % (R.randint(10 ** 8, 10 ** 9), R.randint(1700000000, 1750000000))
        parts.append("_ga=" + ga)
    if R.random() < 0.4:
        parts.append("lang=%s" % R.choice(["en-GB", "de-DE", "fr-FR", "pt-BR", "ja-JP"]))
    R.shuffle(parts)
    return "; ".join(parts)


# --------------------------------------------------------------------------
# free-text error messages with secrets
# --------------------------------------------------------------------------
def error_text(L):
    r = R.randint(0, 11)
    if r == 0:
        u, p = R.choice([email(), username()]), password()
        if "@" in u:
            L.s(u, "email")
        L.s(p, "password")
        return "invalid credentials for user %s with password %s" % (u, p)
    if r == 1:
        t = R.choice(TOKENS)
        disp, sec = gen_tok(t)
        L.s(sec, t.kind)
        if t.prefixed:
            return "token %s rejected by %s (401)" % (disp, t.vendor)
        return "%s rejected by %s: 401 Unauthorized" % (kv(style(t.words[0]), disp, "eq"), t.vendor)
    if r == 2:
        j = jwt()
        L.s(j, "jwt")
        return "Authorization header 'Bearer %s' malformed" % j
    if r == 3:
        e = email()
        L.s(e, "email")
        return "User %s not found in pool eu-west-1_%s" % (e, rs(ALNUM, 9))
    if r == 4:
        c = card_number()
        L.s(c, "card_number")
        return "card_declined: card %s has insufficient funds" % c
    if r == 5:
        p = password()
        u = username()
        L.s(p, "password")
        return "FATAL: password authentication failed for user \"%s\" (connection postgres://%s:%s@db.internal:5432/app)" % (u, u, qp(p)) \
            if qp(p) == p else "could not login %s / %s: account locked" % (u, p)
    if r == 6:
        k = apigw_key()
        L.s(k, "apigw_api_key")
        return "Forbidden: API key %s is not associated with usage plan" % k
    if r == 7:
        ph = phone()
        L.s(ph, "phone")
        return "SMS delivery to %s failed: carrier rejected" % ph
    if r == 8:
        ssn = us_ssn()
        L.s(ssn, "us_ssn")
        return "identity check failed: ssn %s does not match records" % ssn
    if r == 9:
        ib = iban()
        L.s(ib, "iban")
        return "payout rejected: IBAN %s closed" % ib
    if r == 10:
        t = R.choice([x for x in TOKENS if x.prefixed])
        disp, sec = gen_tok(t)
        L.s(sec, t.kind)
        return "Unable to refresh: credential %s has been revoked" % disp
    n = uk_nino()
    L.s(n, "uk_nino")
    return "HMRC lookup failed for NI number %s" % n


def benign_extras(L, d, st):
    """add benign look-alike fields to a dict"""
    opts = R.sample(range(9), R.randint(0, 3))
    for o in opts:
        if o == 0:
            d[style(["etag"], st)] = L.k(md5_hex())
        elif o == 1:
            d[style(["body", "sha256"], st)] = L.k(sha256_hex())
        elif o == 2:
            d[style(["build", "commit"], st)] = L.k(sha1_hex())
        elif o == 3:
            d[style(["client", "version"], st)] = L.k(semver())
        elif o == 4:
            d[style(["order", "number"], st)] = L.k(non_luhn_16())
        elif o == 5:
            d[style(["traceparent"], st)] = L.k("00-%s-%s-01" % (hexs(32), hexs(16)))
        elif o == 6:
            d[style(["invoice", "date"], st)] = L.k(rand_dt().strftime("%Y-%m-%d"))
        elif o == 7:
            d[style(["card", "last4"], st)] = L.k(masked_card())
        else:
            d[style(["correlation", "id"], st)] = L.k(uid())


# --------------------------------------------------------------------------
# layout: json_access
# --------------------------------------------------------------------------
def secret_path(L, ctx):
    r = R.randint(0, 6)
    if r == 0:
        e = email()
        enc = R.choice(["raw", "once", "twice"])
        v = e if enc == "raw" else (q1(e) if enc == "once" else q2(e))
        L.s(v, "email")
        return "/users/%s/preferences" % v, "/users/{email}/preferences"
    if r == 1:
        t = mixed(B64U, R.choice([32, 43, 48]))
        L.s(t, "url_token")
        return "/auth/password-reset/%s" % t, "/auth/password-reset/{token}"
    if r == 2:
        t = telegram_tok()
        L.s(t, "telegram_bot_token")
        return "/hooks/telegram/bot%s/update" % t, "/hooks/telegram/{proxy+}"
    if r == 3:
        c = card_number().replace(" ", "").replace("-", "")
        L.s(c, "card_number")
        return "/cards/%s/verify" % c, "/cards/{pan}/verify"
    if r == 4:
        ib = iban().replace(" ", "")
        L.s(ib, "iban")
        return "/payouts/accounts/%s" % ib, "/payouts/accounts/{iban}"
    if r == 5:
        j = jwt()
        L.s(j, "jwt")
        return "/auth/magic-link/%s" % j, "/auth/magic-link/{token}"
    ph = phone().replace(" ", "")
    encp = q1(ph)
    L.s(encp, "phone")
    return "/otp/send/%s" % encp, "/otp/send/{msisdn}"


def json_access_line():
    L = Line("json_access")
    c = Ctx()
    variant = R.choice(["standard", "http", "nested", "flat_custom", "screaming", "kebab_dotted"])
    path, resource = c.path, c.resource
    if R.random() < 0.3:
        path, resource = secret_path(L, c)
    L.k(c.rid)
    L.k(c.ip)
    L.k(resource)
    L.k(str(c.status))
    if variant == "standard":
        user = "-"
        if R.random() < 0.4:
            user = L.s(email(), "email")
        elif R.random() < 0.3:
            user = L.k("AIDA" + rs(UPNUM, 17))
        d = collections.OrderedDict([
            ("requestId", c.rid), ("ip", c.ip), ("user", user), ("caller", "-"), ("requestTime", L.k(clf_time(c.dt))),
            ("httpMethod", c.method), ("resourcePath", resource), ("status", str(c.status)), ("protocol", c.proto),
            ("responseLength", str(c.length))])
        if R.random() < 0.5:
            d["extendedRequestId"] = L.k(c.ext)
        if path != c.path or R.random() < 0.4:
            d["path"] = "/%s%s" % (c.stage, path)
        benign_extras(L, d, "camel")
    elif variant == "http":
        d = collections.OrderedDict([
            ("requestId", c.rid), ("ip", c.ip), ("requestTime", L.k(clf_time(c.dt))), ("httpMethod", c.method),
            ("routeKey", L.k("%s %s" % (c.method, resource))), ("status", str(c.status)), ("protocol", c.proto),
            ("responseLength", str(c.length)), ("integrationLatency", L.k(str(c.ilat))),
            ("domainName", c.domain)])
        r = R.random()
        if r < 0.45:
            d["jwtEmail"] = L.s(email(), "email")
            d["jwtSub"] = L.k(uid())
        if R.random() < 0.35:
            d["integrationErrorMessage"] = error_text(L)
        if R.random() < 0.25:
            pick = R.randint(0, 2)
            d["authorizerError"] = "-" if pick == 0 else ("Unauthorized" if pick == 1 else error_text(L))
        d["path"] = path
        benign_extras(L, d, "camel")
    elif variant == "nested":
        ident = collections.OrderedDict([("sourceIp", c.ip), ("userAgent", L.k(c.ua))])
        if R.random() < 0.6:
            ident["apiKeyId"] = L.k(c.keyid)
            if R.random() < 0.6:
                ident["apiKey"] = L.s(apigw_key(), "apigw_api_key")
        claims = collections.OrderedDict()
        if R.random() < 0.7:
            claims["sub"] = L.k(uid())
            claims["email"] = L.s(email(), "email")
            if R.random() < 0.5:
                claims["phone_number"] = L.s(phone_e164(), "phone")
            if R.random() < 0.3:
                claims["birthdate"] = L.s(dob(), "date_of_birth")
            if R.random() < 0.3:
                a = address()
                L.s(a, "street_address")
                claims["address"] = json.dumps({"formatted": a}, ensure_ascii=False)  # OIDC address claim is a JSON string
            if R.random() < 0.2:
                claims["custom:passport_no"] = L.s(passport(), "passport_number")
        d = collections.OrderedDict([
            ("requestId", c.rid), ("extendedRequestId", L.k(c.ext)), ("apiId", L.k(c.api)), ("accountId", L.k(c.acct)),
            ("stage", c.stage), ("requestTime", L.k(iso(c.dt))), ("httpMethod", c.method), ("path", path),
            ("resourcePath", resource), ("status", c.status), ("identity", ident),
            ("authorizer", {"claims": claims, "principalId": claims.get("sub", "-")} if claims else {"principalId": "-"}),
            ("integration", {"status": str(c.status), "latency": L.k(str(c.ilat)), "error": "-"}),
            ("xrayTraceId", L.k(c.xray)), ("responseLatency", L.k(str(c.lat)))])
        if R.random() < 0.4:
            inner = collections.OrderedDict([("message", error_text(L)), ("responseType", R.choice(["UNAUTHORIZED", "ACCESS_DENIED", "DEFAULT_5XX"]))])
            d["integration"]["error"] = json.dumps(inner, ensure_ascii=False)  # JSON inside JSON string
        benign_extras(L, d, "camel")
    elif variant == "flat_custom":
        st = R.choice(["snake", "camel", "pascal"])
        d = collections.OrderedDict()
        d[style(["request", "id"], st)] = c.rid
        d[style(["source", "ip"], st)] = c.ip
        d[style(["request", "time", "epoch"], st)] = L.k(epoch_ms(c.dt))
        d[style(["method"], st)] = c.method
        d[style(["resource", "path"], st)] = resource
        d[style(["path"], st)] = path
        d[style(["status"], st)] = c.status
        d[style(["latency"], st)] = L.k(c.lat)
        d[style(["user", "agent"], st)] = L.k(c.ua)
        d[style(["api", "key", "id"], st)] = L.k(c.keyid)
        n = R.randint(0, 2)
        for _ in range(n):
            t = R.choice(TOKENS)
            if style(["authorizer"] + t.words[0], st) in d:
                continue
            disp, sec = gen_tok(t)
            L.s(sec, t.kind)
            d[style(["authorizer"] + t.words[0], st)] = disp
        if R.random() < 0.4:
            d[style(["authorizer", "error"], st)] = error_text(L)
        if R.random() < 0.3:
            # double-escaped: authorizer context holding a JSON string that itself holds a JSON string
            sub = Line("x")
            innermost = json.dumps({"email": sub.s(email(), "email"), "tier": "gold"})
            mid = json.dumps({"profile": innermost, "ver": 2})
            L.merge(sub)
            d[style(["authorizer", "context"], st)] = mid
        benign_extras(L, d, st)
    elif variant == "screaming":
        d = collections.OrderedDict([
            ("REQUEST_ID", c.rid), ("SOURCE_IP", c.ip), ("HTTP_METHOD", c.method), ("RESOURCE_PATH", resource),
            ("STATUS", str(c.status)), ("API_ID", L.k(c.api)), ("STAGE", c.stage), ("REQUEST_TIME", L.k(iso(c.dt))),
            ("X_RAY_TRACE_ID", L.k(c.xray)), ("PATH", path)])
        if R.random() < 0.5:
            d["IDENTITY_API_KEY"] = L.s(apigw_key(), "apigw_api_key")
            d["IDENTITY_API_KEY_ID"] = L.k(c.keyid)
        if R.random() < 0.5:
            F = pii_bundle(R.choice(["contact", "kyc", "uk", "us", "payout"]))
            for words, val, kind in F:
                d["CLAIMS_" + style(words, "screaming")] = val
                register_field(L, val, kind)
        if R.random() < 0.3:
            d["ERROR_MESSAGE"] = error_text(L)
        benign_extras(L, d, "screaming")
    else:
        d = collections.OrderedDict([
            ("request-id", c.rid), ("identity.source-ip", c.ip), ("http-method", c.method), ("resource-path", resource),
            ("path", path), ("status", str(c.status)), ("response-latency", L.k(str(c.lat))),
            ("request-time", L.k(clf_time(c.dt))), ("account-id", L.k(c.acct)),
            ("integration.latency", L.k(str(c.ilat))), ("identity.user-agent", L.k(c.ua))])
        if R.random() < 0.5:
            e = email()
            d["authorizer.claims.email"] = L.s(e, "email")
        if R.random() < 0.4:
            t = R.choice(TOKENS)
            disp, sec = gen_tok(t)
            L.s(sec, t.kind)
            d["authorizer." + style(t.words[0], "kebab")] = disp
        if R.random() < 0.3:
            d["error.message-string"] = json.dumps(error_text(L), ensure_ascii=False)
        if c.isbn:
            L.k(c.isbn)
        benign_extras(L, d, "kebab")
    if c.isbn and path == c.path:
        L.k(c.isbn)
    return L, json.dumps(d, ensure_ascii=False, separators=R.choice([(",", ":"), (", ", ": ")]))


# --------------------------------------------------------------------------
# layout: clf_access (CLF, CSV, XML as in the API Gateway docs; ALB access logs)
# --------------------------------------------------------------------------
def clf_line():
    L = Line("clf_access")
    c = Ctx()
    kind = R.choice(["clf", "clf", "csv", "xml", "alb", "alb"])
    path, resource = c.path, c.resource
    if R.random() < 0.4 and kind == "clf":
        path, resource = secret_path(L, c)
    user = "-"
    if R.random() < 0.35 and kind != "alb":
        user = L.s(email(), "email")
    caller = R.choice(["-", "-", "AROA" + rs(UPNUM, 17) + ":" + R.choice(FUNCS)])
    if caller != "-":
        L.k(caller)
    L.k(c.rid)
    L.k(c.ip)
    if kind == "clf":
        rt = L.k(clf_time(c.dt))
        s = '%s %s %s [%s] "%s %s %s" %d %d %s' % (c.ip, caller, user, rt, c.method, path, c.proto, c.status, c.length, c.rid)
        L.k('"%s %s' % (c.method, path) if path == c.path else c.method)
        return L, s
    if kind == "csv":
        rt = L.k(clf_time(c.dt))
        s = "%s,%s,%s,%s,%s,%s,%s,%d,%d,%s" % (c.ip, caller, user, rt, c.method, resource, c.proto, c.status, c.length, c.rid)
        L.k(resource)
        return L, s
    if kind == "xml":
        rt = L.k(clf_time(c.dt))
        s = ('<request id="%s"> <ip>%s</ip> <caller>%s</caller> <user>%s</user> <requestTime>%s</requestTime> '
             '<httpMethod>%s</httpMethod> <resourcePath>%s</resourcePath> <status>%d</status> <protocol>%s</protocol> '
             '<responseLength>%d</responseLength> </request>') % (c.rid, c.ip, caller, user, rt, c.method, resource,
                                                                  c.status, c.proto, c.length)
        L.k(resource)
        return L, s
    # ALB access log entry
    typ = R.choice(["https", "h2", "http"])
    lb = "app/%s-alb/%s" % (R.choice(["prod", "edge", "public"]), hexs(16))
    tg = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s-tg/%s" % (c.region, c.acct, c.fn, hexs(16))
    host = R.choice(["www.acme-corp.example", "shop.northwind.example.org", "api.acme-corp.example"])
    port = "443" if typ != "http" else "80"
    q = []
    nsec = R.randint(0, 2)
    for _ in range(nsec):
        r = R.randint(0, 4)
        if r == 0:
            e = email()
            enc = R.choice([q1, q2])
            q.append("email=" + L.s(enc(e), "email"))
        elif r == 1:
            t = R.choice([x for x in TOKENS if x.prefixed])
            disp, sec = gen_tok(t)
            L.s(q1(sec), t.kind)
            q.append(R.choice(["access_token", "api_key", "token", "key"]) + "=" + q1(disp))
        elif r == 2:
            p = password()
            q.append("password=" + L.s(q1(p), "password"))
        elif r == 3:
            ph = phone()
            q.append("phone=" + L.s(q1(ph), "phone"))
        else:
            j = jwt()
            q.append("id_token=" + L.s(j, "jwt"))
    if R.random() < 0.5:
        q.append("page=%d" % R.randint(1, 30))
    qs = ("?" + "&".join(q)) if q else ""
    url = "%s://%s:%s%s%s" % ("https" if typ != "http" else "http", host, port, c.path, qs)
    xr = "Root=" + c.xray
    L.k(c.xray)
    L.k(tg)
    L.k(c.ua)
    tcp = "%s:%d" % (priv_ip(), R.choice([80, 8080, 3000]))
    s = ('%s %s %s %s:%d %s %.3f %.3f %.3f %d %d %d %d "%s %s %s" "%s" %s %s %s "%s" "%s" "%s" %d %s "%s" "%s" "%s" "%s" "%s" "-" "-"'
         % (typ, iso(c.dt), lb, c.ip, R.randint(1024, 65535), tcp, R.random() / 100, c.lat / 1000.0, R.random() / 100,
            c.status, c.status, R.randint(0, 900), c.length, c.method, url, "HTTP/2.0" if typ == "h2" else "HTTP/1.1",
            c.ua, "ECDHE-RSA-AES128-GCM-SHA256" if typ != "http" else "-", "TLSv1.2" if typ != "http" else "-", tg, xr,
            host, "arn:aws:acm:%s:%s:certificate/%s" % (c.region, c.acct, uid()) if typ != "http" else "-",
            R.randint(0, 3), iso(c.dt - datetime.timedelta(milliseconds=c.lat)), "forward", "-", "-", tcp, str(c.status)))
    return L, s


# --------------------------------------------------------------------------
# Lambda proxy events (payload v1 and v2)
# --------------------------------------------------------------------------
def event_v1(L, c):
    hdr = collections.OrderedDict([
        ("Accept", R.choice(["application/json", "*/*"])), ("Host", c.domain), ("User-Agent", L.k(c.ua)),
        ("X-Amzn-Trace-Id", "Root=" + L.k(c.xray)), ("X-Forwarded-For", "%s, %s" % (c.ip, public_ip())),
        ("X-Forwarded-Port", "443"), ("X-Forwarded-Proto", "https")])
    if R.random() < 0.75:
        hdr["Authorization"] = auth_value(L)
    if R.random() < 0.4:
        hdr["x-api-key"] = L.s(apigw_key(), "apigw_api_key")
    if R.random() < 0.45:
        hdr["Cookie"] = cookie_value(L)
    if R.random() < 0.25:
        t = R.choice([x for x in TOKENS if x.header and x.header[0] != "Authorization"])
        disp, sec = gen_tok(t)
        L.s(sec, t.kind)
        hdr[t.header[0]] = t.header[1] + disp
    qsp = None
    if R.random() < 0.5:
        qsp = collections.OrderedDict()
        if R.random() < 0.6:
            qsp["email"] = L.s(email(), "email")
        if R.random() < 0.4:
            t = R.choice([x for x in TOKENS if x.prefixed])
            disp, sec = gen_tok(t)
            L.s(sec, t.kind)
            qsp["access_token"] = disp
        qsp["page"] = str(R.randint(1, 9))
    claims = None
    if R.random() < 0.55:
        claims = collections.OrderedDict([("sub", L.k(uid())), ("email", L.s(email(), "email")),
                                          ("email_verified", "true"), ("cognito:username", username())])
        if R.random() < 0.4:
            claims["phone_number"] = L.s(phone_e164(), "phone")
    ident = collections.OrderedDict([("cognitoIdentityPoolId", None), ("accountId", None), ("cognitoIdentityId", None),
                                     ("caller", None), ("sourceIp", c.ip), ("principalOrgId", None), ("accessKey", None),
                                     ("cognitoAuthenticationType", None), ("cognitoAuthenticationProvider", None),
                                     ("userArn", None), ("userAgent", c.ua), ("user", None)])
    if "x-api-key" in hdr:
        ident["apiKey"] = hdr["x-api-key"]
        ident["apiKeyId"] = L.k(c.keyid)
    rc = collections.OrderedDict([
        ("resourceId", rs(LOWNUM, 6)), ("resourcePath", c.resource), ("httpMethod", c.method),
        ("extendedRequestId", L.k(c.ext)), ("requestTime", L.k(clf_time(c.dt))), ("path", "/%s%s" % (c.stage, c.path)),
        ("accountId", L.k(c.acct)), ("protocol", c.proto), ("stage", c.stage), ("domainPrefix", c.api),
        ("requestTimeEpoch", epoch_ms(c.dt)), ("requestId", c.rid), ("identity", ident), ("domainName", c.domain),
        ("apiId", L.k(c.api))])
    if claims:
        rc["authorizer"] = {"claims": claims}
    body, isb64 = (None, False)
    if c.method in ("POST", "PUT", "PATCH") or R.random() < 0.25:
        body, isb64 = body_for(L, c)
    ev = collections.OrderedDict([
        ("resource", c.resource), ("path", c.path), ("httpMethod", c.method), ("headers", hdr),
        ("multiValueHeaders", collections.OrderedDict((k, [v]) for k, v in hdr.items())),
        ("queryStringParameters", qsp),
        ("multiValueQueryStringParameters", collections.OrderedDict((k, [v]) for k, v in qsp.items()) if qsp else None),
        ("pathParameters", None), ("stageVariables", None), ("requestContext", rc), ("body", body),
        ("isBase64Encoded", isb64)])
    L.k(c.rid)
    L.k(c.resource)
    return ev


def event_v2(L, c):
    hdr = collections.OrderedDict([
        ("accept", "application/json"), ("content-length", str(R.randint(0, 900))), ("host", c.domain),
        ("user-agent", L.k(c.ua)), ("x-amzn-trace-id", "Root=" + L.k(c.xray)), ("x-forwarded-for", c.ip),
        ("x-forwarded-port", "443"), ("x-forwarded-proto", "https")])
    if R.random() < 0.7:
        hdr["authorization"] = auth_value(L)
    if R.random() < 0.2:
        t = R.choice([x for x in TOKENS if x.header and x.header[0] != "Authorization"])
        disp, sec = gen_tok(t)
        L.s(sec, t.kind)
        hdr[t.header[0].lower()] = t.header[1] + disp
    cookies = None
    if R.random() < 0.6:
        cookies = cookie_value(L).split("; ")
    raw_q = ""
    qsp = None
    if R.random() < 0.5:
        qsp = collections.OrderedDict()
        parts = []
        if R.random() < 0.6:
            e = email()
            L.s(e, "email")
            enc = q1(e)
            L.s(enc, "email")
            qsp["email"] = e
            parts.append("email=" + enc)
        if R.random() < 0.35:
            ph = phone()
            L.s(ph, "phone")
            encp = qp(ph)
            L.s(encp, "phone")
            qsp["phone"] = ph
            parts.append("phone=" + encp)
        qsp["lang"] = "en"
        parts.append("lang=en")
        raw_q = "&".join(parts)
    rk = "%s %s" % (c.method, c.resource)
    auth = None
    if R.random() < 0.55:
        claims = collections.OrderedDict([("sub", L.k(uid())), ("email", L.s(email(), "email")),
                                          ("iss", "https://cognito-idp.%s.amazonaws.com/%s_%s" % (c.region, c.region, rs(ALNUM, 9))),
                                          ("token_use", "access"), ("auth_time", str(epoch_ms(c.dt) // 1000))])
        if R.random() < 0.3:
            claims["phone_number"] = L.s(phone_e164(), "phone")
        if R.random() < 0.2:
            claims["custom:ni_number"] = L.s(uk_nino(), "uk_nino")
        auth = {"jwt": {"claims": claims, "scopes": ["openid", "email"]}}
    elif R.random() < 0.3:
        t = R.choice(TOKENS)
        disp, sec = gen_tok(t)
        L.s(sec, t.kind)
        auth = {"lambda": {style(t.words[0], "camel"): disp, "tenant": "t-%d" % R.randint(100, 999)}}
    rc = collections.OrderedDict([
        ("accountId", L.k(c.acct)), ("apiId", L.k(c.api))])
    if auth:
        rc["authorizer"] = auth
    rc.update([("domainName", c.domain), ("domainPrefix", c.api),
               ("http", collections.OrderedDict([("method", c.method), ("path", c.path), ("protocol", c.proto),
                                                 ("sourceIp", c.ip), ("userAgent", c.ua)])),
               ("requestId", L.k(c.ext)), ("routeKey", L.k(rk)), ("stage", c.stage), ("time", clf_time(c.dt)),
               ("timeEpoch", epoch_ms(c.dt))])
    ev = collections.OrderedDict([("version", "2.0"), ("routeKey", rk), ("rawPath", c.path), ("rawQueryString", raw_q)])
    if cookies:
        ev["cookies"] = cookies
    ev["headers"] = hdr
    if qsp:
        ev["queryStringParameters"] = qsp
    ev["requestContext"] = rc
    if c.method in ("POST", "PUT", "PATCH") or R.random() < 0.3:
        body, isb64 = body_for(L, c)
        ev["body"] = body
        ev["isBase64Encoded"] = isb64
    else:
        ev["isBase64Encoded"] = False
    L.k(c.ip)
    return ev


def compact(o):
    return json.dumps(o, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------
# layout: execution (API Gateway REST execution logs)
# --------------------------------------------------------------------------
def jmap(d):
    return "{" + ", ".join("%s=%s" % (k, v) for k, v in d.items()) + "}"


def truncate_safe(L, text, limit):
    """truncate like API Gateway does, never cutting through a registered secret"""
    if len(text) <= limit:
        return text
    cut = limit
    for s in L.secrets:
        i = text.find(s)
        while i != -1:
            if i < cut < i + len(s):
                cut = i
            i = text.find(s, i + 1)
    L.allow_missing = True
    return text[:cut] + " [TRUNCATED]"


def execution_line():
    L = Line("execution")
    c = Ctx()
    L.k(c.rid)
    pre = "(%s) " % c.rid
    if R.random() < 0.2:
        pre = "%s %s" % (L.k(iso(c.dt)), pre)
    kind = R.choices(
        ["mreq_headers", "mreq_query", "mreq_path", "mreq_body", "ep_uri", "ep_headers", "ep_body", "ep_resp_body",
         "ep_resp_headers", "m_resp_headers", "m_resp_body", "completed", "ext", "usage", "authorizer_body",
         "lambda_failed", "starting", "http_uri", "sigv4_token"],
        [16, 9, 4, 12, 4, 6, 12, 10, 3, 5, 6, 5, 3, 4, 6, 6, 3, 6, 4])[0]
    if kind == "mreq_headers":
        h = collections.OrderedDict([("Accept", "*/*"), ("CloudFront-Forwarded-Proto", "https"),
                                     ("CloudFront-Viewer-Country", R.choice(["DE", "US", "GB", "FR", "BR", "JP", "IN"])),
                                     ("Host", c.domain), ("User-Agent", L.k(c.ua)), ("Via", "2.0 %s.cloudfront.net (CloudFront)" % hexs(32)),
                                     ("X-Amz-Cf-Id", L.k(rs(B64U, 54) + "==")), ("X-Amzn-Trace-Id", "Root=" + L.k(c.xray)),
                                     ("X-Forwarded-For", "%s, %s" % (c.ip, public_ip()))])
        if R.random() < 0.7:
            if R.random() < 0.2:
                h["Authorization"] = "*" * R.randint(60, 120) + rs(ALNUM, 6)
            else:
                h["Authorization"] = auth_value(L)
        if R.random() < 0.4:
            h["x-api-key"] = "*" * 34 + L.k(rs(ALNUM, 6)) if R.random() < 0.3 else L.s(apigw_key(), "apigw_api_key")
        if R.random() < 0.4:
            h["Cookie"] = cookie_value(L)
        if R.random() < 0.3:
            t = R.choice([x for x in TOKENS if x.header and x.header[0] != "Authorization"])
            disp, sec = gen_tok(t)
            L.s(sec, t.kind)
            h[t.header[0]] = t.header[1] + disp
        if R.random() < 0.2:
            h["X-User-Email"] = L.s(email(), "email")
        items = list(h.items())
        R.shuffle(items)
        return L, pre + "Method request headers: " + jmap(collections.OrderedDict(items))
    if kind == "mreq_query":
        q = collections.OrderedDict()
        used = set()
        for _ in range(R.randint(1, 3)):
            r = R.randint(0, 5)
            if r in used:
                continue
            used.add(r)
            if r == 0:
                q["email"] = L.s(email(), "email")
            elif r == 1:
                t = R.choice([x for x in TOKENS if x.prefixed])
                disp, sec = gen_tok(t)
                L.s(sec, t.kind)
                q[R.choice(["token", "access_token", "apiKey", "key"])] = disp
            elif r == 2:
                q["phone"] = L.s(phone(), "phone")
            elif r == 3:
                q["redirect_uri"] = L.k("https://app.acme-corp.example/callback")
            elif r == 4:
                q["code"] = L.s(mixed(B64U, 40), "oauth_code")
            else:
                q["sort"] = "desc"
        return L, pre + "Method request query string: " + jmap(q)
    if kind == "mreq_path":
        e = R.random()
        if e < 0.4:
            v = L.s(email(), "email")
            return L, pre + "Method request path: {email=%s}" % v
        if e < 0.6:
            v = L.s(mixed(B64U, 43), "url_token")
            return L, pre + "Method request path: {token=%s}" % v
        oid = L.k("ORD-%d" % R.randint(100000, 999999))
        return L, pre + "Method request path: {orderId=%s}" % oid
    if kind == "mreq_body":
        body, _ = body_for(L, c, allow_b64=False)
        if R.random() < 0.2:
            body = truncate_safe(L, body, R.randint(40, 120))
        return L, pre + "Method request body before transformations: " + body
    if kind == "ep_uri":
        uri = "https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations" % (c.region, L.k(c.fn_arn))
        return L, pre + "Endpoint request URI: " + uri
    if kind == "http_uri":
        q = []
        t = R.choice([x for x in TOKENS if x.prefixed])
        disp, sec = gen_tok(t)
        L.s(q1(sec), t.kind)
        q.append("%s=%s" % (R.choice(["api_key", "apikey", "access_token", "token", "key"]), q1(disp)))
        if R.random() < 0.5:
            e = email()
            q.append("user=" + L.s(R.choice([q1, q2])(e), "email"))
        host = R.choice(["backend.acme-corp.example", "api.partner.example", "internal-alb-%s.%s.elb.amazonaws.com" % (rs(DIG, 9), c.region)])
        return L, pre + "Endpoint request URI: https://%s%s?%s" % (host, c.path, "&".join(q))
    if kind == "ep_headers":
        h = collections.OrderedDict([("x-amzn-lambda-integration-tag", c.rid),
                                     ("Authorization", "*" * R.randint(400, 520) + rs(HEX, 6)),
                                     ("X-Amz-Date", c.dt.strftime("%Y%m%dT%H%M%SZ")),
                                     ("x-amzn-apigateway-api-id", L.k(c.api)),
                                     ("X-Amz-Source-Arn", L.k("arn:aws:execute-api:%s:%s:%s/%s/%s%s" % (c.region, c.acct, c.api, c.stage, c.method, c.resource))),
                                     ("Accept", "application/json"), ("User-Agent", "AmazonAPIGateway_" + c.api)])
        tok = aws_session_token()
        line = pre + "Endpoint request headers: " + jmap(h)[:-1] + ", X-Amz-Security-Token=" + tok
        if len(line) > 1024:
            visible = line[:1024]
            frag = visible.split("X-Amz-Security-Token=")[1]
            L.s(frag, "aws_session_token")
            return L, visible + " [TRUNCATED]"
        L.s(tok, "aws_session_token")
        return L, line + "}"
    if kind == "ep_body":
        ev = event_v1(L, c)
        text = compact(ev)
        if R.random() < 0.35:
            text = truncate_safe(L, text, R.randint(900, 1900))
        return L, pre + "Endpoint request body after transformations: " + text
    if kind == "ep_resp_body":
        inner = collections.OrderedDict()
        r = R.randint(0, 4)
        if r == 0:
            inner["accessToken"] = L.s(jwt(), "jwt")
            inner["refreshToken"] = L.s(mixed(B64U, R.choice([64, 86])), "refresh_token")
            inner["expiresIn"] = 3600
        elif r == 1:
            F = pii_bundle(R.choice(["contact", "kyc", "payout", "us", "uk"]))
            inner = fields_to_dict(L, F)
        elif r == 2:
            t = R.choice(TOKENS)
            disp, sec = gen_tok(t)
            L.s(sec, t.kind)
            inner["integration"] = t.vendor
            inner[style(t.words[0], "camel")] = disp
        elif r == 3:
            inner["items"] = [{"sku": L.k("SKU-" + rs(UPNUM, 8)), "etag": L.k(md5_hex())}]
            inner["next"] = None
        else:
            inner["error"] = error_text(L)
        resp = collections.OrderedDict([("statusCode", c.status), ("headers", {"Content-Type": "application/json"}),
                                        ("body", json.dumps(inner, ensure_ascii=False))])
        if R.random() < 0.5:
            resp["multiValueHeaders"] = {"Set-Cookie": ["%s=%s; Path=/; Secure; HttpOnly" % ("session", L.s(session_value(), "session_cookie"))]}
        return L, pre + "Endpoint response body before transformations: " + compact(resp)
    if kind == "ep_resp_headers":
        h = collections.OrderedDict([("Date", c.dt.strftime("%a, %d %b %Y %H:%M:%S GMT")), ("Content-Type", "application/json"),
                                     ("Content-Length", str(c.length)), ("Connection", "keep-alive"),
                                     ("x-amzn-RequestId", L.k(uid())), ("x-amzn-Remapped-Content-Length", "0"),
                                     ("X-Amz-Executed-Version", "$LATEST"), ("X-Amzn-Trace-Id", "root=%s;parent=%s;sampled=0" % (L.k(c.xray), hexs(16)))])
        return L, pre + "Endpoint response headers: " + jmap(h)
    if kind == "m_resp_headers":
        h = collections.OrderedDict([("X-Amzn-Trace-Id", "Root=" + L.k(c.xray)), ("Content-Type", "application/json")])
        if R.random() < 0.7:
            h["Set-Cookie"] = "%s=%s; Path=/; Secure; HttpOnly; SameSite=Lax" % (
                R.choice(["session", "sid", "__Host-auth"]), L.s(session_value(), "session_cookie"))
        if R.random() < 0.3:
            h["ETag"] = '"%s"' % L.k(md5_hex())
        return L, pre + "Method response headers: " + jmap(h)
    if kind == "m_resp_body":
        inner = collections.OrderedDict()
        r = R.random()
        if r < 0.4:
            inner = fields_to_dict(L, pii_bundle(R.choice(["signup", "contact", "kyc", "us", "uk", "payout"])))
            inner.pop(style(["password"], "camel"), None)
            # drop kinds for popped password keys
            present = compact(inner)
            keep_pairs = [(s, k) for s, k in zip(L.secrets, L.kinds) if s in present]
            L.secrets, L.kinds = [p[0] for p in keep_pairs], [p[1] for p in keep_pairs]
        elif r < 0.7:
            inner["token_type"] = "Bearer"
            inner["access_token"] = L.s(R.choice([jwt(), mixed(B64U, 43)]), "oauth_access_token")
            inner["id_token"] = L.s(jwt({"email": email(), "name": " ".join(x.capitalize() for x in person())}), "jwt")
        else:
            inner["orderId"] = L.k("ORD-%d-%06d" % (R.randint(2021, 2025), R.randint(1, 999999)))
            inner["status"] = R.choice(["PAID", "SHIPPED", "PENDING"])
            inner["version"] = L.k(semver())
            inner["checksum"] = L.k(sha256_hex())
        text = compact(inner)
        if R.random() < 0.2:
            text = truncate_safe(L, text, R.randint(60, 200))
        return L, pre + "Method response body after transformations: " + text
    if kind == "completed":
        return L, pre + "Method completed with status: %s" % L.k(str(c.status))
    if kind == "ext":
        return L, pre + "Extended Request Id: %s" % L.k(c.ext)
    if kind == "usage":
        masked = "*" * 36 + L.k(rs(ALNUM, 4))
        return L, pre + "Verifying Usage Plan for request: %s. API Key: %s API Stage: %s/%s" % (c.rid, masked, L.k(c.api), c.stage)
    if kind == "starting":
        auid = rs(LOWNUM, 6)
        return L, pre + "Starting authorizer: %s for request: %s" % (L.k(auid), c.rid)
    if kind == "authorizer_body":
        ctxd = collections.OrderedDict()
        r = R.randint(0, 3)
        if r == 0:
            ctxd["email"] = L.s(email(), "email")
            ctxd["tenantId"] = L.k(uid())
        elif r == 1:
            t = R.choice(TOKENS)
            disp, sec = gen_tok(t)
            L.s(sec, t.kind)
            ctxd[style(["upstream"] + t.words[0], "camel")] = disp
        elif r == 2:
            # stringified JSON in the context map (Lambda authorizer context values must be scalars)
            sub = Line("x")
            prof = fields_to_dict(sub, pii_bundle(R.choice(["contact", "uk", "us"])))
            ctxd["profile"] = json.dumps(prof, ensure_ascii=False)
            L.merge(sub)
        else:
            ctxd["scope"] = "orders:read"
        body = collections.OrderedDict([
            ("principalId", L.k("user|" + hexs(24))),
            ("policyDocument", {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow",
                                                                        "Resource": L.k("arn:aws:execute-api:%s:%s:%s/%s/*" % (c.region, c.acct, c.api, c.stage))}]}),
            ("context", ctxd)])
        return L, pre + "Authorizer result body before parsing: " + compact(body)
    if kind == "sigv4_token":
        tok = aws_session_token()
        akid = "ASIA" + rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        L.s(akid, "aws_access_key_id")
        L.s(tok, "aws_session_token")
        return L, pre + "Endpoint request headers: {X-Amz-Date=%s, X-Amz-Security-Token=%s, Credential=%s/%s/%s/lambda/aws4_request}" % (
            c.dt.strftime("%Y%m%dT%H%M%SZ"), tok, akid, c.dt.strftime("%Y%m%d"), c.region)
    # lambda_failed
    msg = error_text(L)
    return L, pre + "Lambda execution failed with status 200 due to customer function error: %s. Lambda request id: %s" % (msg, L.k(uid()))


# --------------------------------------------------------------------------
# layout: lambda_log (function log lines)
# --------------------------------------------------------------------------
def lambda_message(L, c):
    r = R.choices(range(12), [22, 9, 8, 8, 7, 8, 7, 6, 7, 6, 5, 5])[0]
    if r == 0:
        ev = event_v1(L, c) if R.random() < 0.45 else event_v2(L, c)
        return "Received event: " + compact(ev)
    if r == 1:
        return error_text(L)
    if r == 2:
        t = R.choice(TOKENS)
        disp, sec = gen_tok(t)
        L.s(sec, t.kind)
        return "calling %s API with %s" % (t.vendor, kv(style(t.words[0]), disp))
    if r == 3:
        inner = fields_to_dict(L, pii_bundle(R.choice(["contact", "kyc", "payout", "signup", "us", "uk"])))
        resp = {"statusCode": 200, "body": json.dumps(inner, ensure_ascii=False)}
        return "upstream response: " + json.dumps(resp, ensure_ascii=False)
    if r == 4:
        F = pii_bundle(R.choice(["contact", "kyc", "uk", "us", "payment"]))
        parts = []
        for words, val, kind in F:
            parts.append("'%s': '%s'" % (style(words, "snake"), val))
            register_field(L, val, kind)
        return "customer record: {" + ", ".join(parts) + "}"
    if r == 5:
        c2 = card_number()
        L.s(c2, "card_number")
        return "charge failed card=%s amount=%d currency=%s order=%s" % (c2, R.randint(100, 99999), R.choice(["EUR", "USD", "GBP"]),
                                                                         L.k("ORD-%d" % R.randint(100000, 999999)))
    if r == 6:
        pp, d = passport(), dob()
        L.s(pp, "passport_number")
        L.s(d, "date_of_birth")
        return "KYC check passport_no => %s, date_of_birth => %s, result => %s" % (pp, d, R.choice(["MATCH", "NO_MATCH"]))
    if r == 7:
        e, ph, a = email(), phone(), address()
        L.s(e, "email")
        L.s(ph, "phone")
        L.s(a, "street_address")
        return "shipping label user: {email: %s, phone: '%s', address: '%s'}" % (e, ph, a)
    if r == 8:
        t1 = R.choice(TOKENS)
        d1, s1 = gen_tok(t1)
        L.s(s1, t1.kind)
        pw = password()
        u = username()
        if qp(pw) == pw:
            L.s(pw, "password")
            dsn = "postgres://%s:%s@%s.cluster-%s.%s.rds.amazonaws.com:5432/app" % (u, pw, c.fn, rs(LOWNUM, 12), c.region)
        else:
            L.s(qp(pw), "password")
            dsn = "postgres://%s:%s@%s.cluster-%s.%s.rds.amazonaws.com:5432/app" % (u, qp(pw), c.fn, rs(LOWNUM, 12), c.region)
        return "Loaded config: DATABASE_URL=%s %s=%s NODE_ENV=production" % (dsn, style(t1.words[0], "screaming"), d1)
    if r == 9:
        ib = iban()
        L.s(ib, "iban")
        e = email()
        L.s(e, "email")
        return "SEPA mandate created iban=%s holder_email=%s mandate_ref=%s" % (ib, e, L.k("MNDT-" + rs(UPNUM, 10)))
    if r == 10:
        # benign message with look-alikes
        return "cache refreshed etag=%s commit=%s version=%s digest=sha256:%s" % (L.k(md5_hex()), L.k(sha1_hex()), L.k(semver()), L.k(sha256_hex()))
    sub_ssn = us_ssn()
    L.s(sub_ssn, "us_ssn")
    return "W-9 received tin=%s for vendor %s" % (sub_ssn, L.k("V-%05d" % R.randint(1, 99999)))


def lambda_line():
    L = Line("lambda_log")
    c = Ctx()
    ts = iso(c.dt)
    fmt = R.choices(["node", "python", "json", "powertools", "java", "startend", "report"], [30, 20, 14, 12, 8, 4, 4])[0]
    if fmt == "startend":
        L.k(c.rid)
        return L, R.choice(["START RequestId: %s Version: $LATEST" % c.rid, "END RequestId: %s" % c.rid])
    if fmt == "report":
        L.k(c.rid)
        dur = "%.2f" % (R.randint(100, 900000) / 100.0)
        L.k(dur)
        s = "REPORT RequestId: %s\tDuration: %s ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB" % (
            c.rid, dur, int(float(dur)) + 1, R.choice([128, 256, 512, 1024]), R.randint(60, 120))
        if R.random() < 0.4:
            s += "\tInit Duration: %.2f ms" % (R.randint(10000, 90000) / 100.0)
        if R.random() < 0.5:
            s += "\t\nXRAY TraceId: %s\tSegmentId: %s\tSampled: true" % (c.xray, hexs(16))
            s = s.replace("\t\n", "\t")
            L.k(c.xray)
        return L, s
    level = R.choice(["INFO", "INFO", "WARN", "ERROR", "DEBUG"])
    msg = lambda_message(L, c)
    L.k(c.rid)
    if fmt == "node":
        L.k(ts)
        return L, "%s\t%s\t%s\t%s" % (ts, c.rid, level, msg)
    if fmt == "python":
        L.k(ts)
        return L, "[%s]\t%s\t%s\t%s" % ("WARNING" if level == "WARN" else level, ts, c.rid, msg)
    if fmt == "json":
        L.k(ts)
        return L, compact(collections.OrderedDict([("timestamp", ts), ("level", level), ("requestId", c.rid), ("message", msg)]))
    if fmt == "powertools":
        d = collections.OrderedDict([
            ("level", level), ("location", "%s:%d" % (R.choice(["handler", "process_payment", "lambda_handler"]), R.randint(10, 400))),
            ("message", msg), ("timestamp", L.k(c.dt.strftime("%Y-%m-%d %H:%M:%S,") + "%03d+0000" % (c.dt.microsecond // 1000))),
            ("service", c.fn), ("cold_start", R.choice([True, False])), ("function_name", c.fn),
            ("function_memory_size", "512"), ("function_arn", L.k(c.fn_arn)), ("function_request_id", c.rid),
            ("xray_trace_id", L.k(c.xray))])
        if R.random() < 0.4:
            F = pii_bundle(R.choice(["contact", "uk", "us", "config", "payout"]))
            st = R.choice(STYLES)
            for words, val, kind in F:
                d[style(words, st)] = val
                register_field(L, val, kind)
        return L, compact(d)
    L.k(ts)
    return L, "%s %s %s %s - %s" % (ts, c.rid, level, R.choice(["com.acme.auth.TokenService", "c.a.p.PaymentClient", "o.s.w.s.DispatcherServlet"]), msg)


# --------------------------------------------------------------------------
# layout: waf
# --------------------------------------------------------------------------
def waf_line():
    L = Line("waf")
    c = Ctx()
    src = R.choice(["APIGW", "ALB", "CF"])
    acl_name = R.choice(["prod-edge-acl", "api-protection", "CreatedByALB-%s" % rs(LOWNUM, 6)])
    scope = "global" if src == "CF" else "regional"
    region = "us-east-1" if src == "CF" else c.region
    acl = "arn:aws:wafv2:%s:%s:%s/webacl/%s/%s" % (region, c.acct, scope, acl_name, uid())
    L.k(acl)
    if src == "APIGW":
        sid = "%s:%s:%s" % (c.acct, c.api, c.stage)
    elif src == "ALB":
        sid = "%s-app/%s/%s" % (c.acct, R.choice(["prod-alb", "edge"]), hexs(16))
    else:
        sid = "E" + rs(UPNUM, 13)
    L.k(sid)
    hdrs = [{"name": "Host", "value": c.domain}, {"name": "user-agent", "value": L.k(c.ua)},
            {"name": "accept", "value": "application/json"}]
    if R.random() < 0.7:
        hdrs.append({"name": R.choice(["authorization", "Authorization"]), "value": auth_value(L)})
    if R.random() < 0.45:
        hdrs.append({"name": "cookie", "value": cookie_value(L)})
    if R.random() < 0.35:
        hdrs.append({"name": "x-api-key", "value": L.s(apigw_key(), "apigw_api_key")})
    if R.random() < 0.25:
        t = R.choice([x for x in TOKENS if x.header])
        disp, sec = gen_tok(t)
        L.s(sec, t.kind)
        hdrs.append({"name": t.header[0].lower(), "value": t.header[1] + disp})
    if R.random() < 0.15:
        hdrs.append({"name": "x-customer-email", "value": L.s(email(), "email")})
    R.shuffle(hdrs)
    args = []
    for _ in range(R.randint(0, 2)):
        r = R.randint(0, 4)
        if r == 0:
            args.append("email=" + L.s(R.choice([q1, q2])(email()), "email"))
        elif r == 1:
            t = R.choice([x for x in TOKENS if x.prefixed])
            disp, sec = gen_tok(t)
            L.s(q1(sec), t.kind)
            args.append("token=" + q1(disp))
        elif r == 2:
            args.append("password=" + L.s(q1(password()), "password"))
        elif r == 3:
            args.append("q=" + L.k(R.choice(["running+shoes", "1%27+OR+%271%27%3D%271", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"])))
        else:
            args.append("session_id=" + L.s(session_value().replace("%3A", "_"), "session_cookie"))
    uri = c.path
    if R.random() < 0.2:
        uri, _ = secret_path(L, c)
    action = R.choice(["ALLOW", "ALLOW", "BLOCK", "COUNT", "CAPTCHA"])
    rule = R.choice(["Default_Action", "AWS-AWSManagedRulesCommonRuleSet", "AWS-AWSManagedRulesSQLiRuleSet",
                     "RateBasedRule", "AWS-AWSManagedRulesKnownBadInputsRuleSet"])
    if action == "ALLOW":
        rule = "Default_Action"
    L.k(rule)
    ja3 = md5_hex()
    L.k(ja3)
    ts = epoch_ms(c.dt)
    L.k(ts)
    details = []
    if action == "BLOCK" and "SQLi" in rule:
        details = [{"conditionType": "SQL_INJECTION", "sensitivityLevel": "LOW", "location": "QUERY_STRING",
                    "matchedData": ["1", "OR", "1", "="]}]
    req_id = c.rid if src == "APIGW" else (rs(B64U, 54) + "==" if src == "CF" else "1-" + hexs(8) + "-" + hexs(24))
    L.k(req_id)
    rec = collections.OrderedDict([
        ("timestamp", ts), ("formatVersion", 1), ("webaclId", acl), ("terminatingRuleId", rule),
        ("terminatingRuleType", "REGULAR" if rule != "RateBasedRule" else "RATE_BASED"), ("action", action),
        ("terminatingRuleMatchDetails", details), ("httpSourceName", src), ("httpSourceId", sid),
        ("ruleGroupList", [{"ruleGroupId": "AWS#AWSManagedRulesCommonRuleSet", "terminatingRule": None,
                            "nonTerminatingMatchingRules": [], "excludedRules": None}]),
        ("rateBasedRuleList", []), ("nonTerminatingMatchingRules", []), ("requestHeadersInserted", None),
        ("responseCodeSent", None if action != "BLOCK" else 403),
        ("httpRequest", collections.OrderedDict([
            ("clientIp", c.ip), ("country", R.choice(["US", "DE", "GB", "FR", "BR", "IN", "JP", "AU", "MX", "NL"])),
            ("headers", hdrs), ("uri", uri), ("args", "&".join(args)), ("httpVersion", c.proto), ("httpMethod", c.method),
            ("requestId", req_id), ("fragment", ""), ("scheme", "https"), ("host", c.domain)])),
        ("labels", [{"name": "awswaf:managed:aws:core-rule-set:NoUserAgent_Header"}] if R.random() < 0.2 else []),
        ("ja3Fingerprint", ja3)])
    if R.random() < 0.5:
        rec["ja4Fingerprint"] = L.k("t13d%04d_%s_%s" % (R.randint(1000, 2099), hexs(12), hexs(12)))
    L.k(c.ip)
    return L, json.dumps(rec, ensure_ascii=False, separators=R.choice([(",", ":"), (", ", ": ")]))


# --------------------------------------------------------------------------
# layout: cwl_message (CloudWatch Logs subscription envelope)
# --------------------------------------------------------------------------
def cwl_line():
    L = Line("cwl_message")
    c = Ctx()
    if R.random() < 0.05:
        L.k("CWL CONTROL MESSAGE: Checking health of destination Firehose.")
        env = collections.OrderedDict([("messageType", "CONTROL_MESSAGE"), ("owner", "CloudwatchLogs"), ("logGroup", ""),
                                       ("logStream", ""), ("subscriptionFilters", []),
                                       ("logEvents", [{"id": "", "timestamp": L.k(epoch_ms(c.dt)),
                                                       "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}])])
        return L, compact(env)
    src = R.choice(["access", "execution", "lambda", "lambda", "mixed"])
    events = []
    n = R.randint(1, 3)
    for i in range(n):
        if src == "access" or (src == "mixed" and i == 0):
            sub, msg = json_access_line()
        elif src == "execution":
            sub, msg = execution_line()
        else:
            sub, msg = lambda_line()
        if sub.allow_missing:
            L.allow_missing = True
        L.merge(sub)
        eid = rs(DIG, 56)
        L.k(eid)
        events.append(collections.OrderedDict([("id", eid), ("timestamp", epoch_ms(c.dt) + i), ("message", msg)]))
    if src == "access":
        grp = "/aws/apigateway/%s-access-logs" % c.api
        stream = hexs(32)
    elif src == "execution":
        grp = "API-Gateway-Execution-Logs_%s/%s" % (c.api, c.stage)
        stream = hexs(32)
    else:
        grp = "/aws/lambda/%s" % c.fn
        stream = "%s/[$LATEST]%s" % (c.dt.strftime("%Y/%m/%d"), hexs(32))
    L.k(grp)
    L.k(stream)
    env = collections.OrderedDict([("messageType", "DATA_MESSAGE"), ("owner", L.k(c.acct)), ("logGroup", grp),
                                   ("logStream", stream), ("subscriptionFilters", [R.choice(["to-siem", "ship-logs", "Destination"])]),
                                   ("logEvents", events)])
    return L, json.dumps(env, ensure_ascii=False, separators=R.choice([(",", ":"), (", ", ": ")]))


# --------------------------------------------------------------------------
# layout: text (one vendor token per line, or a benign look-alike)
# --------------------------------------------------------------------------
SAMPLE_URLS = ["https://api.partner.example/v2/sync", "https://hooks.acme-corp.example/ingest",
               "https://internal.northwind.example.org/jobs", "https://ci.acme-corp.example/api/v4/projects/118/trigger"]


def text_secret_line(t):
    L = Line("text")
    dt = rand_dt()
    ts = iso(dt)
    disp, sec = gen_tok(t)
    L.s(sec, t.kind)
    key = style(R.choice(t.words))
    opts = ["kv", "kv", "logfmt", "env", "yamlflow", "pydict", "ruby", "hdr"]
    if t.prefixed:
        opts += ["bare_rej", "bare_revoked", "bare_retry", "url", "authmal", "pasted"]
    if t.kind in ("gitlab_pat", "github_pat", "github_oauth_token", "github_app_token", "github_fine_grained_pat"):
        opts += ["git"]
    if t.kind == "npm_token":
        opts += ["npmrc"]
    if t.kind == "dockerhub_pat":
        opts += ["docker"]
    if t.kind == "telegram_bot_token":
        opts += ["tg"]
    if t.kind == "gcp_api_key":
        opts += ["maps"]
    if t.kind == "azure_storage_key":
        opts += ["azconn"]
    if t.kind == "confluent_api_secret":
        opts += ["jaas"]
    if t.kind == "snowflake_password":
        opts += ["sfconn"]
    if not t.header:
        opts = [o for o in opts if o != "hdr"]
    if t.kind in ("slack_webhook", "discord_webhook"):
        opts = ["webhook", "kv"]
    o = R.choice(opts)
    if o == "kv":
        s = "%s %s config: %s" % (ts, R.choice(["WARN ", "DEBUG", "INFO "]), kv(key, disp))
    elif o == "logfmt":
        s = 'level=error ts=%s caller=client.go:%d msg="upstream auth failed" %s=%s attempt=%d' % (
            ts, R.randint(40, 400), style(R.choice(t.words), "snake"), disp, R.randint(1, 5))
    elif o == "env":
        s = "%s INFO env dump: %s=%s NODE_ENV=production AWS_REGION=%s" % (ts, style(R.choice(t.words), "screaming"), disp, R.choice(REGIONS))
    elif o == "yamlflow":
        s = "loaded settings {%s: %s, region: %s, retries: 3}" % (style(R.choice(t.words), "snake"), disp, R.choice(REGIONS))
    elif o == "pydict":
        s = "DEBUG kwargs={'%s': '%s', 'timeout': 30}" % (style(R.choice(t.words), "snake"), disp)
    elif o == "ruby":
        s = "params => { :%s => \"%s\", :verbose => true }" % (style(R.choice(t.words), "snake"), disp)
    elif o == "hdr":
        h, p = t.header
        s = R.choice(["%s outgoing POST %s headers: %s: %s%s" % (ts, R.choice(SAMPLE_URLS), h, p, disp),
                      "curl -sS -H '%s: %s%s' %s" % (h, p, disp, R.choice(SAMPLE_URLS)),
                      "Request header %s '%s%s' malformed" % (h, p, disp)])
    elif o == "bare_rej":
        s = "%s ERROR token %s rejected: 401 Unauthorized" % (ts, disp)
    elif o == "bare_revoked":
        s = "AuthError: credential %s has been revoked (vendor=%s)" % (disp, t.vendor)
    elif o == "bare_retry":
        s = "retrying with fallback key %s (attempt 2 of 5)" % disp
    elif o == "url":
        L.secrets, L.kinds = [], []
        L.s(q1(sec), t.kind)
        s = "GET %s?access_token=%s&run=%d -> 403" % (R.choice(SAMPLE_URLS), q1(disp), R.randint(100, 9999))
    elif o == "authmal":
        s = "Authorization header 'Bearer %s' malformed" % disp
    elif o == "pasted":
        s = "audit: user %s pasted a credential into the search box: %s" % (L.k("u-" + rs(DIG, 6)), disp)
    elif o == "git":
        host = "gitlab.com" if t.kind.startswith("gitlab") else "github.com"
        user = "oauth2" if host == "gitlab.com" else "x-access-token"
        s = "fatal: unable to access 'https://%s:%s@%s/acme/%s.git/': The requested URL returned error: 403" % (user, disp, host, R.choice(FUNCS))
    elif o == "npmrc":
        s = "npm ERR! 403 Forbidden - PUT https://registry.npmjs.org/@acme%%2fui - //registry.npmjs.org/:_authToken=%s" % disp
    elif o == "docker":
        s = "+ docker login -u ci-bot -p %s registry-1.docker.io" % disp
    elif o == "tg":
        s = "POST https://api.telegram.org/bot%s/sendMessage failed: 429 Too Many Requests" % disp
    elif o == "maps":
        s = "GET https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=%s -> REQUEST_DENIED" % disp
    elif o == "azconn":
        s = "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acme%s;AccountKey=%s;EndpointSuffix=core.windows.net" % (rs(LOWNUM, 6), disp)
    elif o == "jaas":
        s = "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username='%s' password='%s';" % (rs(UPNUM, 16), disp)
    elif o == "sfconn":
        s = "connecting snowflake://svc_etl:%s@%s.%s/ANALYTICS?warehouse=ETL_WH" % (disp, rs(LO, 2) + rs(DIG, 5), R.choice(["eu-central-1", "us-east-2.aws"]))
    elif o == "webhook":
        s = "%s notifier posting to %s" % (ts, disp) if R.random() < 0.5 else "%s: %s" % (style(R.choice(t.words)), disp)
    else:
        raise AssertionError(o)
    if ts in s:
        L.k(ts)
    return L, s


def text_benign_line():
    L = Line("text")
    dt = rand_dt()
    ts = iso(dt)
    r = R.randint(0, 17)
    if r == 0:
        s = "deploy ok commit=%s image=sha256:%s version=v%s" % (L.k(sha1_hex()), L.k(sha256_hex()), L.k(semver()))
    elif r == 1:
        s = '%s cache hit etag="%s" key=product:%d' % (L.k(ts), L.k(md5_hex()), R.randint(1000, 99999))
    elif r == 2:
        s = "order %s shipped; book isbn %s; weight 1.2kg" % (L.k(non_luhn_16()), L.k(isbn13()))
    elif r == 3:
        s = "stripe: customer %s charge %s payment_intent %s succeeded" % (
            L.k("cus_" + rs(ALNUM, 14)), L.k("ch_3" + rs(ALNUM, 23)), L.k("pi_3" + rs(ALNUM, 23)))
    elif r == 4:
        d = ctxish = Ctx()
        s = "trace %s request %s completed in %d ms status=%d" % (L.k("Root=" + d.xray), L.k(d.rid), d.lat, d.status)
    elif r == 5:
        s = "payload checksum md5=%s sha1=%s sha256=%s" % (L.k(md5_hex()), L.k(sha1_hex()), L.k(sha256_hex()))
    elif r == 6:
        w = R.choice(["hello world", "status: ok", "ping", "no content", "welcome back", "the quick brown fox"])
        s = "decoded greeting body=%s isBase64Encoded=true" % L.k(b64(w))
    elif r == 7:
        s = "slack message posted channel=C%s team=T%s ts=%d.%06d" % (L.k(rs(UPNUM, 10))[:10], rs(UPNUM, 8), R.randint(1700000000, 1750000000), R.randint(0, 999999))
    elif r == 8:
        c = Ctx()
        s = "usage plan %s throttled apiKeyId=%s api=%s stage=%s" % (L.k(rs(LOWNUM, 6)), L.k(c.keyid), L.k(c.api), c.stage)
    elif r == 9:
        s = "git describe: v%s-%d-g%s" % (L.k(semver().split("-")[0].split("+")[0]), R.randint(1, 99), L.k(sha1_hex()[:7]))
    elif r == 10:
        c = Ctx()
        s = "invoked %s:$LATEST request id %s" % (L.k(c.fn_arn), L.k(c.rid))
    elif r == 11:
        s = "reference number %s is not a card (checksum mismatch)" % L.k(" ".join(non_luhn_16()[i:i + 4] for i in (0, 4, 8, 12)))
    elif r == 12:
        s = "twilio message %s queued to messaging service %s" % (L.k("SM" + hexs(32)), L.k("MG" + hexs(32)))
    elif r == 13:
        s = 'S3 put ok bucket=acme-logs-%s etag="%s-%d" versionId=%s' % (L.k(account_id()), L.k(md5_hex()), R.randint(2, 9), L.k(rs(B64U, 32)))
    elif r == 14:
        s = "stripe event %s type=invoice.paid livemode=true" % L.k("evt_1" + rs(ALNUM, 23))
    elif r == 15:
        s = "Idempotency-Key: %s accepted at %s" % (L.k(uid()), L.k(ts))
    elif r == 16:
        s = "kid=%s alg=RS256 jwks refreshed from https://cognito-idp.%s.amazonaws.com/%s_%s/.well-known/jwks.json" % (
            L.k(rs(B64, 43) + "="), R.choice(REGIONS), "eu-west-1", rs(ALNUM, 9))
    else:
        s = "build %s of @acme/ui@%s published (integrity sha512-%s)" % (L.k("%s.%d" % (dt.strftime("%Y%m%d"), R.randint(1, 30))),
                                                                         L.k(semver()), L.k(rs(B64, 86) + "=="))
    return L, s


# --------------------------------------------------------------------------
# validation and driver
# --------------------------------------------------------------------------
def spans(line, sub):
    out, i = [], line.find(sub)
    while i != -1:
        out.append((i, i + len(sub)))
        i = line.find(sub, i + 1)
    return out


def finalize(L, line):
    assert "\n" not in line and "\r" not in line, line[:200]
    secs, kinds = [], []
    for s, kd in zip(L.secrets, L.kinds):
        if s in line:
            secs.append(s)
            kinds.append(kd)
        elif not L.allow_missing:
            raise AssertionError("secret missing %r (%s) in %s" % (s, kd, line))
    # drop secrets that are substrings of other secrets with the same kind (keeps list minimal)
    sec_spans = [sp for s in secs for sp in spans(line, s)]
    keep = []
    for k in L.keep:
        if not k or k in keep:
            continue
        if any(s in k for s in secs):
            continue
        ok = any(all(e <= a or b <= st for (a, b) in sec_spans) for (st, e) in spans(line, k))
        if ok:
            keep.append(k)
    return secs, kinds, keep


def main():
    plan = [("json_access", 290, json_access_line), ("clf_access", 60, clf_line), ("execution", 250, execution_line),
            ("lambda_log", 150, lambda_line), ("waf", 80, waf_line), ("cwl_message", 120, cwl_line)]
    rows = []
    for layout, n, fn in plan:
        for i in range(n):
            L, line = fn()
            L.layout = layout
            rows.append((L, line))
    # text: every token kind at least twice, then random; 70 benign look-alikes
    kinds = [t for t in TOKENS] * 2
    while len(kinds) < 180:
        kinds.append(R.choice(TOKENS))
    R.shuffle(kinds)
    text_rows = [text_secret_line(t) for t in kinds[:180]] + [text_benign_line() for _ in range(70)]
    R.shuffle(text_rows)
    rows += text_rows

    out = []
    per_layout = collections.Counter()
    per_kind = collections.Counter()
    vendors = set()
    counters = collections.Counter()
    for L, line in rows:
        secs, kinds_, keep = finalize(L, line)
        if L.layout in ("json_access", "waf", "cwl_message") or (line.startswith("{") and line.endswith("}")):
            json.loads(line)
        per_layout[L.layout] += 1
        counters[L.layout] += 1
        rid = "h2-%s-%04d" % (L.layout.replace("_", ""), counters[L.layout])
        for kd in kinds_:
            per_kind[kd] += 1
            if kd in TOK_BY_KIND:
                vendors.add(TOK_BY_KIND[kd].vendor)
        if not secs:
            per_kind["(none: benign line)"] += 1
        out.append(collections.OrderedDict([("id", rid), ("layout", L.layout), ("line", line), ("secrets", secs),
                                            ("keep", keep), ("kinds", kinds_)]))
    with open(OUT, "w", encoding="utf-8") as f:
        for o in out:
            assert len(o["secrets"]) == len(o["kinds"])
            for s in o["secrets"] + o["keep"]:
                assert s in o["line"]
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print("wrote %d lines to %s" % (len(out), OUT))
    print("\nper layout:")
    for k, v in sorted(per_layout.items()):
        print("  %-14s %5d" % (k, v))
    print("\nper kind (secret occurrences):")
    for k, v in sorted(per_kind.items(), key=lambda x: (-x[1], x[0])):
        print("  %-28s %5d" % (k, v))
    print("\nvendors with labelled tokens: %d" % len(vendors))
    print("  " + ", ".join(sorted(vendors)))


if __name__ == "__main__":
    main()
