#!/usr/bin/env python3
"""Generate the held-out scrubber evaluation corpus ``heldout.jsonl``.

Written from public documentation only (see README.md for the sources); the
author has not read the scrubber's source code.  Standard library only, fixed
seed, so the output is byte-for-byte reproducible:

    python3 gen_heldout.py            # writes heldout.jsonl next to this file

Every value that looks like a credential or personal datum is random (drawn
from the documented alphabet and length of its format) and is NOT a real
secret.
"""
import base64
import collections
import datetime
import json
import os
import random
import string
import sys
import urllib.parse
import uuid

SEED = 20240611
rng = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "heldout.jsonl")

UP, LO, DG = string.ascii_uppercase, string.ascii_lowercase, string.digits
ALNUM = UP + LO + DG
HEX = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"
BASE32 = UP + "234567"
BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"


# ---------------------------------------------------------------- helpers
def rs(alpha, n):
    return "".join(rng.choice(alpha) for _ in range(n))


def hexs(n):
    return rs(HEX, n)


def digits(n):
    return str(rng.randint(1, 9)) + rs(DG, n - 1)


def rbytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def b64(b):
    return base64.b64encode(b).decode()


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def ruuid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def pick(seq):
    return rng.choice(seq)


def chance(p):
    return rng.random() < p


def q(s):
    """percent-encode everything outside RFC 3986 unreserved"""
    return urllib.parse.quote(s, safe="")


def qp(s):
    """application/x-www-form-urlencoded encoding (space -> '+')"""
    return urllib.parse.quote_plus(s, safe="")


def esc1(s):
    return json.dumps(s)[1:-1]


def cjson(obj, spaced=False):
    return json.dumps(obj, separators=(", ", ": ") if spaced else (",", ":"))


URL_SAFE_CHARS = set(ALNUM + "-._~")


def url_needs_encoding(s):
    return any(c not in URL_SAFE_CHARS for c in s)


# ---------------------------------------------------------------- time
T0 = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)


def rtime():
    return T0 + datetime.timedelta(seconds=rng.randint(0, 200 * 86400),
                                   milliseconds=rng.randint(0, 999))


def clf_time(t):
    return t.strftime("%d/%b/%Y:%H:%M:%S +0000")


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def epoch_ms(t):
    return int(t.timestamp() * 1000)


def amz_date(t):
    return t.strftime("%Y%m%dT%H%M%SZ")


def http_date(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S GMT")


# ---------------------------------------------------------------- benign AWS-ish values
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1",
           "ap-southeast-2", "ap-northeast-1", "sa-east-1", "ap-south-1", "ca-central-1"]
STAGES = ["prod", "dev", "staging", "v1", "live"]
FUNCS = ["orders-api", "auth-handler", "payments-service", "user-profile", "search-indexer",
         "webhook-ingest", "graphql-gateway", "file-download", "notifications", "checkout"]


def account_id():
    return digits(12)


def api_id():
    return rs(LO + DG, 10)


def ext_req_id():
    return rs(ALNUM, 15) + "="


def xray_root(t):
    return "Root=1-%08x-%s" % (int(t.timestamp()), hexs(24))


def ipv4():
    first = pick([3, 13, 18, 24, 34, 44, 52, 54, 63, 66, 71, 73, 81, 86, 90, 98, 101, 104,
                  122, 136, 151, 162, 178, 176, 185, 188, 203, 212, 217])
    return "%d.%d.%d.%d" % (first, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))


def ipv6():
    return pick(["2001:db8", "2600:1f18", "2a02:c7f", "2406:da14"]) + ":" + ":".join(
        "%x" % rng.getrandbits(16) for _ in range(6))


def source_ip():
    return ipv6() if chance(0.15) else ipv4()


def user_agent():
    k = rng.randint(0, 11)
    if k == 0:
        return "curl/8.%d.%d" % (rng.randint(0, 9), rng.randint(0, 1))
    if k == 1:
        return ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/%d.0.%d.%d Safari/537.36" % (rng.randint(118, 126), rng.randint(5000, 6500),
                                                     rng.randint(10, 200)))
    if k == 2:
        return ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 "
                "(KHTML, like Gecko) Version/17.%d Mobile/15E148 Safari/604.1" % (rng.randint(0, 5), rng.randint(0, 5)))
    if k == 3:
        return "python-requests/2.%d.%d" % (rng.randint(25, 32), rng.randint(0, 3))
    if k == 4:
        return "okhttp/4.%d.%d" % (rng.randint(9, 12), rng.randint(0, 3))
    if k == 5:
        return "PostmanRuntime/7.%d.%d" % (rng.randint(30, 39), rng.randint(0, 3))
    if k == 6:
        return "aws-sdk-js/3.%d.0 ua/2.0 os/linux#5.10 lang/js md/nodejs#20.11.1 api/api-gateway#3.%d.0" % (
            rng.randint(400, 600), rng.randint(400, 600))
    if k == 7:
        return "Go-http-client/2.0"
    if k == 8:
        return "Apache-HttpClient/4.5.14 (Java/17.0.%d)" % rng.randint(1, 11)
    if k == 9:
        return "Amazon CloudFront"
    if k == 10:
        return "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.%d.001)" % rng.randint(200000, 240000)
    return ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_%d) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.%d Safari/605.1.15" % (rng.randint(0, 5), rng.randint(0, 5)))


def lambda_arn(region, acct, fn):
    return "arn:aws:lambda:%s:%s:function:%s" % (region, acct, fn)


def execute_api_arn(region, acct, apiid, stage, method, path):
    return "arn:aws:execute-api:%s:%s:%s/%s/%s%s" % (region, acct, apiid, stage, method, path)


# ---------------------------------------------------------------- personal data
FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
         "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "wendy", "yusuf", "zoe",
         "amelie", "jonas", "priya", "arjun", "lucia", "mateo", "sofia", "kenji", "aiko", "liam", "noah"]
LAST = ["smith", "jones", "garcia", "muller", "dubois", "rossi", "tanaka", "patel", "sharma", "kowalski",
        "nguyen", "silva", "johansson", "obrien", "novak", "fischer", "martin", "bernard", "kumar", "lopez"]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "corp.example.co.uk",
                 "example.de", "example.fr", "example.in", "users.example.io"]


def email():
    f, l = pick(FIRST), pick(LAST)
    k = rng.randint(0, 4)
    local = [f + "." + l, f[0] + l, "%s_%s%d" % (f, l, rng.randint(1, 99)), "%s%d" % (f, rng.randint(1970, 2010)),
             "%s.%s+%s" % (f, l, pick(["shop", "news", "test", "work"]))][k]
    return local + "@" + pick(EMAIL_DOMAINS)


def phone():
    """returns (string, country) in a national or international format"""
    c = rng.randint(0, 11)
    p4 = lambda: "%04d" % rng.randint(0, 9999)
    p2 = lambda: "%02d" % rng.randint(0, 99)
    if c in (0, 1):  # US / NANP
        a, e = rng.randint(201, 989), rng.randint(200, 999)
        l = p4()
        f = pick(["(%d) %d-%s", "%d-%d-%s", "+1 %d %d %s", "%d.%d.%s", "+1-%d-%d-%s", "+1 (%d) %d-%s"])
        return f % (a, e, l), "US"
    if c == 2:  # UK (Ofcom drama ranges)
        n3 = "%03d" % rng.randint(0, 999)
        return pick(["020 7946 0" + n3, "+44 20 7946 0" + n3, "07700 900" + n3, "+44 7700 900" + n3,
                     "0161 496 0" + n3, "+44 113 496 0" + n3]), "GB"
    if c == 3:  # FR
        d = rng.randint(1, 7)
        return pick(["0%d %s %s %s %s", "+33 %d %s %s %s %s", "+33 (0)%d %s %s %s %s"]) % (d, p2(), p2(), p2(), p2()), "FR"
    if c == 4:  # DE
        return pick(["030 " + digits(8), "+49 30 " + digits(8), "0151 " + digits(8), "+49 151 " + digits(8),
                     "089 " + digits(7), "+49 (0)89 " + digits(7)]), "DE"
    if c == 5:  # IN
        a = str(rng.randint(6, 9)) + rs(DG, 4)
        b = rs(DG, 5)
        return pick(["+91 %s %s", "+91-%s-%s", "0%s %s", "+91 %s%s"]) % (a, b), "IN"
    if c == 6:  # AU
        return pick(["04%s %s %s" % (rs(DG, 2), rs(DG, 3), rs(DG, 3)), "+61 4%s %s %s" % (rs(DG, 2), rs(DG, 3), rs(DG, 3)),
                     "(02) %s %s" % (digits(4), rs(DG, 4))]), "AU"
    if c == 7:  # JP
        return pick(["03-%s-%s" % (digits(4), rs(DG, 4)), "+81 3-%s-%s" % (digits(4), rs(DG, 4)),
                     "090-%s-%s" % (digits(4), rs(DG, 4)), "+81 90-%s-%s" % (digits(4), rs(DG, 4))]), "JP"
    if c == 8:  # BR
        return pick(["+55 11 9%s-%s" % (rs(DG, 4), rs(DG, 4)), "(11) 9%s-%s" % (rs(DG, 4), rs(DG, 4))]), "BR"
    if c == 9:  # ES
        return pick(["+34 6%s %s %s %s" % (rs(DG, 2), rs(DG, 2), rs(DG, 2), rs(DG, 2)),
                     "6%s %s %s" % (rs(DG, 2), rs(DG, 3), rs(DG, 3))]), "ES"
    if c == 10:  # IT
        return pick(["+39 06 %s %s" % (digits(4), rs(DG, 4)), "+39 3%s %s %s" % (rs(DG, 2), rs(DG, 3), rs(DG, 4))]), "IT"
    return pick(["+31 6 " + rs(DG, 8), "06-" + rs(DG, 8)]), "NL"


def e164_phone():
    return "+1%d%d%s" % (rng.randint(201, 989), rng.randint(200, 999), "%04d" % rng.randint(0, 9999))


def ssn():
    area = rng.randint(1, 899)
    while area == 666:
        area = rng.randint(1, 899)
    g, s = rng.randint(1, 99), rng.randint(1, 9999)
    f = rng.randint(0, 9)
    if f < 8:
        return "%03d-%02d-%04d" % (area, g, s)
    if f == 8:
        return "%03d %02d %04d" % (area, g, s)
    return "%03d%02d%04d" % (area, g, s)


def nino():
    first = pick("ABCEGHJKLMNPRSTWXYZ")
    second = pick("ABCEGHJKLMNPRSTWXYZ")
    d = rs(DG, 6)
    suf = pick("ABCD")
    if chance(0.5):
        return "%s%s %s %s %s %s" % (first, second, d[:2], d[2:4], d[4:], suf)
    return first + second + d + suf


def luhn_complete(prefix, length):
    body = prefix + rs(DG, length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def card():
    brand = rng.randint(0, 5)
    if brand == 0:
        pan = luhn_complete("4", 16)
    elif brand == 1:
        pan = luhn_complete(str(rng.randint(51, 55)), 16)
    elif brand == 2:
        pan = luhn_complete(str(rng.randint(2221, 2720)), 16)
    elif brand == 3:
        pan = luhn_complete(pick(["34", "37"]), 15)
    elif brand == 4:
        pan = luhn_complete("6011", 16)
    else:
        pan = luhn_complete(str(rng.randint(3528, 3589)), 16)
    g = rng.randint(0, 3)
    if len(pan) == 15:
        if g == 0:
            return pan
        sep = " " if g < 3 else "-"
        return sep.join([pan[:4], pan[4:10], pan[10:]])
    if g == 0:
        return pan
    sep = [" ", "-", " "][g - 1]
    return sep.join([pan[i:i + 4] for i in range(0, 16, 4)])


# ---------------------------------------------------------------- generic credentials
PW_SPECIAL = "!@#$%^&*()-_=+[]{};:,.?/~"
WORDS = ["Summer", "Winter", "Dragon", "Monkey", "Purple", "Coffee", "Rocket", "Banana", "Falcon", "Tiger",
         "Sunset", "Orange", "Silver", "Shadow", "Maple", "Cobalt", "Harbor", "Meadow"]


def password():
    k = rng.randint(0, 3)
    if k == 0:
        return pick(WORDS) + str(rng.randint(1970, 2025)) + pick("!@#$%&*?")
    if k == 1:
        return rs(ALNUM + PW_SPECIAL, rng.randint(12, 20))
    if k == 2:
        return (pick(WORDS).lower() + pick("-_.") + pick(WORDS).lower() + pick("-_.") + str(rng.randint(10, 99)))
    return rs(ALNUM, 3) + pick(PW_SPECIAL) + rs(ALNUM, 5) + pick(PW_SPECIAL) + rs(DG, 3)


def uri_password():
    """password usable verbatim inside a URI userinfo"""
    return rs(ALNUM, rng.randint(10, 16)) + pick(["", "-", "_", "~", "."]) + rs(ALNUM, rng.randint(3, 6))


COOKIE_NAMES = ["session", "__Host-session", "PHPSESSID", "JSESSIONID", "connect.sid", "sessionid", "_app_session", "sid"]


def session_cookie():
    k = rng.randint(0, 7)
    name = COOKIE_NAMES[k]
    if k == 0:
        v = hexs(32)
    elif k == 1:
        v = b64u(rbytes(32))
    elif k == 2:
        v = rs(LO + DG, 26)
    elif k == 3:
        v = rs(HEXU, 32)
    elif k == 4:
        v = "s%3A" + b64u(rbytes(24)) + "." + b64(rbytes(32)).rstrip("=")
    elif k == 5:
        v = rs(LO + DG, 32)
    elif k == 6:
        v = b64(rbytes(90)).rstrip("=") + "--" + hexs(40)
    else:
        v = b64u(rbytes(24))
    return name, v


def cognito_iss(region):
    return "https://cognito-idp.%s.amazonaws.com/%s_%s" % (region, region, rs(ALNUM, 9))


def jwt(mail=None):
    alg = pick(["RS256", "RS256", "HS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"} if alg == "HS256" else {"kid": b64(rbytes(32)), "alg": alg}
    now = rng.randint(1709251200, 1726000000)
    payload = {"sub": ruuid(), "iss": pick([cognito_iss(pick(REGIONS)), "https://auth.example.com/",
                                             "https://dev-%s.okta.com/oauth2/default" % digits(8)]),
               "iat": now, "exp": now + pick([300, 900, 3600, 86400])}
    if mail:
        payload["email"] = mail
    if chance(0.5):
        payload["scope"] = pick(["openid email", "orders:read orders:write", "aws.cognito.signin.user.admin"])
    sig = {"RS256": 256, "HS256": 32, "ES256": 64}[alg]
    return b64u(cjson(hdr).encode()) + "." + b64u(cjson(payload).encode()) + "." + b64u(rbytes(sig))


def cognito_refresh_token():
    return ("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ." + b64u(rbytes(256)) + "." +
            b64u(rbytes(12)) + "." + b64u(rbytes(rng.randint(300, 500))) + "." + b64u(rbytes(16)))


def basic_auth(user=None):
    user = user or pick(FIRST)
    return b64(("%s:%s" % (user, password())).encode())


def apigw_key():
    return rs(ALNUM, 40)


def aws_akid(temp=False):
    return ("ASIA" if temp else "AKIA") + rs(BASE32, 16)


def aws_secret():
    s = rs(ALNUM + "/+", 40)
    if "/" not in s and "+" not in s:
        i = rng.randint(1, 38)
        s = s[:i] + pick("/+") + s[i + 1:]
    return s


def aws_session_token():
    return "IQoJb3JpZ2luX2VjE" + rs(B64, rng.randint(300, 520)) + pick(["", "=", "=="])


def reset_token():
    return pick([hexs(64), b64u(rbytes(32)), rs(ALNUM, 40)])


def oauth_code():
    return pick([rs(URLSAFE, 43), ruuid().replace("-", "") + rs(ALNUM, 8), "4/0A" + rs(URLSAFE, 70)])


def pem_body(kind):
    if kind == "rsa":
        der = b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + rbytes(1180)
    elif kind == "pkcs8":
        der = b"\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00" + rbytes(1180)
    elif kind == "ec":
        der = b"\x30\x77\x02\x01\x01\x04\x20" + rbytes(32) + b"\xa0\x0a\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\xa1\x44\x03\x42\x00\x04" + rbytes(64)
    else:  # openssh
        der = b"openssh-key-v1\x00\x00\x00\x00\x04none" + rbytes(380)
    s = b64(der)
    return [s[i:i + (70 if kind == "openssh" else 64)] for i in range(0, len(s), 70 if kind == "openssh" else 64)]


PEM_LABEL = {"rsa": "RSA PRIVATE KEY", "pkcs8": "PRIVATE KEY", "ec": "EC PRIVATE KEY", "openssh": "OPENSSH PRIVATE KEY"}


# ---------------------------------------------------------------- vendor token catalogue
# (kind, vendor, generator, env var, (header, value prefix) or None, host, query-param name)
def _grafana_cloud():
    blob = cjson({"o": digits(6), "n": "stack-%s-%s" % (digits(6), pick(["deploy", "alloy", "ci"])),
                  "k": rs(ALNUM, 24), "m": {"r": pick(["us", "eu", "prod-us-east-0"])}})
    return "glc_" + b64(blob.encode()).rstrip("=")


def _discord_bot():
    uid = str(rng.randint(10 ** 17, 10 ** 19 - 1))
    return b64u(uid.encode()) + "." + rs(URLSAFE, 6) + "." + rs(URLSAFE, 38)


def _mapbox_secret():
    return "sk." + b64u(cjson({"u": pick(FIRST) + digits(3), "a": "cl" + rs(LO + DG, 23)}).encode()) + "." + rs(URLSAFE, 22)


def _twitter_bearer():
    return "AAAAAAAAAAAAAAAAAAAAA" + rs(ALNUM, 19) + "%2B" + rs(ALNUM, 14) + "%3D" + rs(ALNUM, 50)


VENDORS = [
    ("aws_access_key_id", "AWS", lambda: aws_akid(), "AWS_ACCESS_KEY_ID", None, "sts.amazonaws.com", "AWSAccessKeyId"),
    ("aws_secret_key", "AWS", aws_secret, "AWS_SECRET_ACCESS_KEY", None, "s3.amazonaws.com", "aws_secret_access_key"),
    ("aws_session_token", "AWS", aws_session_token, "AWS_SESSION_TOKEN", ("X-Amz-Security-Token", ""), "sts.amazonaws.com", "X-Amz-Security-Token"),
    ("github_pat", "GitHub", lambda: "ghp_" + rs(ALNUM, 36), "GITHUB_TOKEN", ("Authorization", "token "), "api.github.com", "access_token"),
    ("github_oauth_token", "GitHub", lambda: "gho_" + rs(ALNUM, 36), "GH_OAUTH_TOKEN", ("Authorization", "Bearer "), "api.github.com", "access_token"),
    ("github_app_token", "GitHub", lambda: "ghs_" + rs(ALNUM, 36), "GITHUB_APP_TOKEN", ("Authorization", "Bearer "), "api.github.com", "token"),
    ("github_refresh_token", "GitHub", lambda: "ghr_" + rs(ALNUM, 76), "GITHUB_REFRESH_TOKEN", None, "github.com", "refresh_token"),
    ("github_fine_grained_pat", "GitHub", lambda: "github_pat_" + rs(ALNUM, 22) + "_" + rs(ALNUM, 59), "GH_TOKEN", ("Authorization", "Bearer "), "api.github.com", "token"),
    ("gitlab_pat", "GitLab", lambda: "glpat-" + rs(URLSAFE, 20), "GITLAB_TOKEN", ("PRIVATE-TOKEN", ""), "gitlab.com", "private_token"),
    ("gitlab_runner_token", "GitLab", lambda: "glrt-" + rs(URLSAFE, 20), "CI_RUNNER_TOKEN", ("Authorization", "Bearer "), "gitlab.example.com", "token"),
    ("gitlab_deploy_token", "GitLab", lambda: "gldt-" + rs(URLSAFE, 20), "GITLAB_DEPLOY_TOKEN", ("Deploy-Token", ""), "gitlab.com", "token"),
    ("gitlab_pipeline_trigger_token", "GitLab", lambda: "glptt-" + hexs(40), "TRIGGER_TOKEN", None, "gitlab.com", "token"),
    ("gitlab_runner_registration_token", "GitLab", lambda: "GR1348941" + rs(URLSAFE, 20), "REGISTRATION_TOKEN", None, "gitlab.example.com", "token"),
    ("slack_bot_token", "Slack", lambda: "xoxb-%s-%s-%s" % (digits(12), digits(13), rs(ALNUM, 24)), "SLACK_BOT_TOKEN", ("Authorization", "Bearer "), "slack.com", "token"),
    ("slack_user_token", "Slack", lambda: "xoxp-%s-%s-%s-%s" % (digits(12), digits(12), digits(13), hexs(32)), "SLACK_USER_TOKEN", ("Authorization", "Bearer "), "slack.com", "token"),
    ("slack_app_token", "Slack", lambda: "xapp-1-A%s-%s-%s" % (rs(UP + DG, 10), digits(13), hexs(64)), "SLACK_APP_TOKEN", ("Authorization", "Bearer "), "slack.com", "token"),
    ("slack_webhook_url", "Slack", lambda: "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(UP + DG, 10), rs(UP + DG, 10), rs(ALNUM, 24)), "SLACK_WEBHOOK_URL", None, "hooks.slack.com", "webhook"),
    ("stripe_secret_key", "Stripe", lambda: "sk_live_" + rs(ALNUM, pick([24, 99])), "STRIPE_SECRET_KEY", ("Authorization", "Bearer "), "api.stripe.com", "key"),
    ("stripe_restricted_key", "Stripe", lambda: "rk_live_" + rs(ALNUM, pick([24, 99])), "STRIPE_RESTRICTED_KEY", ("Authorization", "Bearer "), "api.stripe.com", "key"),
    ("stripe_webhook_secret", "Stripe", lambda: "whsec_" + rs(ALNUM, 32), "STRIPE_WEBHOOK_SECRET", None, "api.stripe.com", "secret"),
    ("twilio_api_key", "Twilio", lambda: "SK" + hexs(32), "TWILIO_API_KEY", None, "api.twilio.com", "api_key"),
    ("twilio_auth_token", "Twilio", lambda: hexs(32), "TWILIO_AUTH_TOKEN", None, "api.twilio.com", "auth_token"),
    ("shopify_access_token", "Shopify", lambda: "shpat_" + hexs(32), "SHOPIFY_ACCESS_TOKEN", ("X-Shopify-Access-Token", ""), "example-shop.myshopify.com", "access_token"),
    ("shopify_custom_app_token", "Shopify", lambda: "shpca_" + hexs(32), "SHOPIFY_ADMIN_TOKEN", ("X-Shopify-Access-Token", ""), "example-shop.myshopify.com", "access_token"),
    ("shopify_private_app_token", "Shopify", lambda: "shppa_" + hexs(32), "SHOPIFY_PRIVATE_APP_PASSWORD", ("X-Shopify-Access-Token", ""), "example-shop.myshopify.com", "password"),
    ("shopify_shared_secret", "Shopify", lambda: "shpss_" + hexs(32), "SHOPIFY_API_SECRET", None, "example-shop.myshopify.com", "client_secret"),
    ("databricks_token", "Databricks", lambda: "dapi" + hexs(32) + pick(["", "-2", "-3"]), "DATABRICKS_TOKEN", ("Authorization", "Bearer "), "dbc-%s.cloud.databricks.com" % hexs(8), "token"),
    ("vault_service_token", "HashiCorp", lambda: "hvs.CAESI" + rs(URLSAFE, 86), "VAULT_TOKEN", ("X-Vault-Token", ""), "vault.example.com:8200", "token"),
    ("vault_batch_token", "HashiCorp", lambda: "hvb.AAAAAQ" + rs(URLSAFE, 130), "VAULT_TOKEN", ("X-Vault-Token", ""), "vault.example.com:8200", "token"),
    ("terraform_cloud_token", "HashiCorp", lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67), "TFE_TOKEN", ("Authorization", "Bearer "), "app.terraform.io", "token"),
    ("atlassian_api_token", "Atlassian", lambda: "ATATT3xFfGF0" + rs(URLSAFE, 170) + "=" + rs(HEXU, 8), "JIRA_API_TOKEN", None, "example.atlassian.net", "api_token"),
    ("bitbucket_app_password", "Atlassian", lambda: "ATBB" + rs(ALNUM, 32), "BITBUCKET_APP_PASSWORD", None, "api.bitbucket.org", "app_password"),
    ("postman_api_key", "Postman", lambda: "PMAK-" + hexs(24) + "-" + hexs(34), "POSTMAN_API_KEY", ("X-Api-Key", ""), "api.getpostman.com", "apikey"),
    ("doppler_personal_token", "Doppler", lambda: "dp.pt." + rs(ALNUM, 43), "DOPPLER_TOKEN", ("Authorization", "Bearer "), "api.doppler.com", "token"),
    ("doppler_service_token", "Doppler", lambda: "dp.st.%s." % pick(["prd", "dev", "stg"]) + rs(ALNUM, 43), "DOPPLER_TOKEN", ("Authorization", "Bearer "), "api.doppler.com", "token"),
    ("doppler_service_account_token", "Doppler", lambda: "dp.sa." + rs(ALNUM, 43), "DOPPLER_SA_TOKEN", ("Authorization", "Bearer "), "api.doppler.com", "token"),
    ("huggingface_token", "Hugging Face", lambda: "hf_" + rs(UP + LO, 34), "HF_TOKEN", ("Authorization", "Bearer "), "huggingface.co", "token"),
    ("age_secret_key", "age", lambda: "AGE-SECRET-KEY-1" + rs(BECH32, 58), "SOPS_AGE_KEY", None, "sops.local", "key"),
    ("azure_storage_account_key", "Microsoft Azure", lambda: b64(rbytes(64)), "AZURE_STORAGE_KEY", None, "exampleacct.blob.core.windows.net", "AccountKey"),
    ("azure_client_secret", "Microsoft Azure", lambda: rs(ALNUM, 3) + "8Q~" + rs(ALNUM + "_~.-", 34), "AZURE_CLIENT_SECRET", None, "login.microsoftonline.com", "client_secret"),
    ("azure_devops_pat", "Microsoft Azure", lambda: rs(LO + "234567", 52), "AZURE_DEVOPS_EXT_PAT", None, "dev.azure.com", "pat"),
    ("artifactory_api_key", "JFrog", lambda: "AKCp" + pick("5678") + rs(ALNUM, 68), "ARTIFACTORY_API_KEY", ("X-JFrog-Art-Api", ""), "example.jfrog.io", "apikey"),
    ("artifactory_reference_token", "JFrog", lambda: "cmVmdGtuOjAxOj" + rs(ALNUM, 50), "JFROG_ACCESS_TOKEN", ("Authorization", "Bearer "), "example.jfrog.io", "access_token"),
    ("sendgrid_api_key", "SendGrid", lambda: "SG." + rs(URLSAFE, 22) + "." + rs(URLSAFE, 43), "SENDGRID_API_KEY", ("Authorization", "Bearer "), "api.sendgrid.com", "api_key"),
    ("npm_token", "npm", lambda: "npm_" + rs(ALNUM, 36), "NPM_TOKEN", ("Authorization", "Bearer "), "registry.npmjs.org", "token"),
    ("pypi_token", "PyPI", lambda: "pypi-AgEIcHlwaS5vcmc" + rs(URLSAFE, rng.randint(110, 160)), "TWINE_PASSWORD", None, "upload.pypi.org", "password"),
    ("mailgun_api_key", "Mailgun", lambda: "key-" + hexs(32), "MAILGUN_API_KEY", None, "api.mailgun.net", "api_key"),
    ("datadog_api_key", "Datadog", lambda: hexs(32), "DD_API_KEY", ("DD-API-KEY", ""), "api.datadoghq.com", "api_key"),
    ("datadog_app_key", "Datadog", lambda: hexs(40), "DD_APP_KEY", ("DD-APPLICATION-KEY", ""), "api.datadoghq.eu", "application_key"),
    ("newrelic_user_api_key", "New Relic", lambda: "NRAK-" + rs(UP + DG, 27), "NEW_RELIC_API_KEY", ("API-Key", ""), "api.newrelic.com", "api_key"),
    ("newrelic_insert_key", "New Relic", lambda: "NRII-" + rs(URLSAFE, 32), "NEW_RELIC_INSERT_KEY", ("X-Insert-Key", ""), "insights-collector.newrelic.com", "insert_key"),
    ("newrelic_license_key", "New Relic", lambda: hexs(36) + "NRAL", "NEW_RELIC_LICENSE_KEY", ("X-License-Key", ""), "log-api.newrelic.com", "license_key"),
    ("heroku_api_key", "Heroku", lambda: "HRKU-AA" + rs(URLSAFE, 58), "HEROKU_API_KEY", ("Authorization", "Bearer "), "api.heroku.com", "token"),
    ("digitalocean_pat", "DigitalOcean", lambda: "dop_v1_" + hexs(64), "DIGITALOCEAN_TOKEN", ("Authorization", "Bearer "), "api.digitalocean.com", "token"),
    ("digitalocean_oauth_token", "DigitalOcean", lambda: "doo_v1_" + hexs(64), "DO_OAUTH_TOKEN", ("Authorization", "Bearer "), "api.digitalocean.com", "access_token"),
    ("digitalocean_refresh_token", "DigitalOcean", lambda: "dor_v1_" + hexs(64), "DO_REFRESH_TOKEN", None, "cloud.digitalocean.com", "refresh_token"),
    ("square_access_token", "Square", lambda: "EAAA" + rs(URLSAFE, 60), "SQUARE_ACCESS_TOKEN", ("Authorization", "Bearer "), "connect.squareup.com", "access_token"),
    ("square_oauth_secret", "Square", lambda: "sq0csp-" + rs(URLSAFE, 43), "SQUARE_APPLICATION_SECRET", None, "connect.squareup.com", "client_secret"),
    ("telegram_bot_token", "Telegram", lambda: "%d:AA%s" % (rng.randint(10 ** 8, 10 ** 10 - 1), rs(URLSAFE, 33)), "TELEGRAM_BOT_TOKEN", None, "api.telegram.org", "bot_token"),
    ("discord_bot_token", "Discord", _discord_bot, "DISCORD_TOKEN", ("Authorization", "Bot "), "discord.com", "token"),
    ("discord_webhook_url", "Discord", lambda: "https://discord.com/api/webhooks/%s/%s" % (digits(19), rs(URLSAFE, 68)), "DISCORD_WEBHOOK", None, "discord.com", "webhook_url"),
    ("okta_api_token", "Okta", lambda: "00" + rs(URLSAFE, 40), "OKTA_API_TOKEN", ("Authorization", "SSWS "), "example.okta.com", "token"),
    ("grafana_service_account_token", "Grafana", lambda: "glsa_" + rs(ALNUM, 32) + "_" + hexs(8), "GRAFANA_SA_TOKEN", ("Authorization", "Bearer "), "example.grafana.net", "token"),
    ("grafana_cloud_token", "Grafana", _grafana_cloud, "GRAFANA_CLOUD_TOKEN", ("Authorization", "Bearer "), "grafana.com", "token"),
    ("anthropic_api_key", "Anthropic", lambda: "sk-ant-api03-" + rs(URLSAFE, 93) + "AA", "ANTHROPIC_API_KEY", ("x-api-key", ""), "api.anthropic.com", "api_key"),
    ("anthropic_admin_key", "Anthropic", lambda: "sk-ant-admin01-" + rs(URLSAFE, 93) + "AA", "ANTHROPIC_ADMIN_KEY", ("x-api-key", ""), "api.anthropic.com", "api_key"),
    ("openai_project_key", "OpenAI", lambda: "sk-proj-" + rs(URLSAFE, 74) + "T3BlbkFJ" + rs(URLSAFE, 74), "OPENAI_API_KEY", ("Authorization", "Bearer "), "api.openai.com", "api_key"),
    ("openai_api_key", "OpenAI", lambda: "sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20), "OPENAI_API_KEY", ("Authorization", "Bearer "), "api.openai.com", "api_key"),
    ("google_api_key", "Google", lambda: "AIza" + rs(URLSAFE, 35), "GOOGLE_API_KEY", ("X-goog-api-key", ""), "maps.googleapis.com", "key"),
    ("google_oauth_client_secret", "Google", lambda: "GOCSPX-" + rs(URLSAFE, 28), "GOOGLE_CLIENT_SECRET", None, "oauth2.googleapis.com", "client_secret"),
    ("google_oauth_access_token", "Google", lambda: "ya29.a0" + rs(URLSAFE, 150), "GOOGLE_ACCESS_TOKEN", ("Authorization", "Bearer "), "www.googleapis.com", "access_token"),
    ("linear_api_key", "Linear", lambda: "lin_api_" + rs(ALNUM, 40), "LINEAR_API_KEY", ("Authorization", ""), "api.linear.app", "api_key"),
    ("pulumi_token", "Pulumi", lambda: "pul-" + hexs(40), "PULUMI_ACCESS_TOKEN", ("Authorization", "token "), "api.pulumi.com", "token"),
    ("sentry_user_token", "Sentry", lambda: "sntryu_" + hexs(64), "SENTRY_AUTH_TOKEN", ("Authorization", "Bearer "), "sentry.io", "token"),
    ("tailscale_api_key", "Tailscale", lambda: "tskey-api-" + rs(ALNUM, 11) + "CNTRL-" + rs(ALNUM, 33), "TS_API_KEY", ("Authorization", "Bearer "), "api.tailscale.com", "key"),
    ("mapbox_secret_token", "Mapbox", _mapbox_secret, "MAPBOX_SECRET_TOKEN", None, "api.mapbox.com", "access_token"),
    ("dropbox_token", "Dropbox", lambda: "sl.B" + rs(URLSAFE, 134), "DROPBOX_TOKEN", ("Authorization", "Bearer "), "api.dropboxapi.com", "access_token"),
    ("planetscale_token", "PlanetScale", lambda: "pscale_tkn_" + rs(URLSAFE, 43), "PLANETSCALE_SERVICE_TOKEN", ("Authorization", ""), "api.planetscale.com", "token"),
    ("planetscale_password", "PlanetScale", lambda: "pscale_pw_" + rs(URLSAFE, 43), "DATABASE_PASSWORD", None, "aws.connect.psdb.cloud", "password"),
    ("supabase_token", "Supabase", lambda: "sbp_" + hexs(40), "SUPABASE_ACCESS_TOKEN", ("Authorization", "Bearer "), "api.supabase.com", "token"),
    ("dockerhub_pat", "Docker", lambda: "dckr_pat_" + rs(URLSAFE, 27), "DOCKERHUB_TOKEN", None, "hub.docker.com", "token"),
    ("flyio_token", "Fly.io", lambda: "fo1_" + rs(URLSAFE, 43), "FLY_API_TOKEN", ("Authorization", "Bearer "), "api.fly.io", "token"),
    ("buildkite_token", "Buildkite", lambda: "bkua_" + hexs(40), "BUILDKITE_API_TOKEN", ("Authorization", "Bearer "), "api.buildkite.com", "access_token"),
    ("replicate_token", "Replicate", lambda: "r8_" + rs(ALNUM, 37), "REPLICATE_API_TOKEN", ("Authorization", "Bearer "), "api.replicate.com", "token"),
    ("groq_api_key", "Groq", lambda: "gsk_" + rs(ALNUM, 52), "GROQ_API_KEY", ("Authorization", "Bearer "), "api.groq.com", "api_key"),
    ("perplexity_api_key", "Perplexity", lambda: "pplx-" + rs(ALNUM, 48), "PERPLEXITY_API_KEY", ("Authorization", "Bearer "), "api.perplexity.ai", "api_key"),
    ("airtable_pat", "Airtable", lambda: "pat" + rs(ALNUM, 14) + "." + hexs(64), "AIRTABLE_TOKEN", ("Authorization", "Bearer "), "api.airtable.com", "api_key"),
    ("notion_token", "Notion", lambda: "ntn_" + rs(DG, 11) + rs(ALNUM, 35), "NOTION_TOKEN", ("Authorization", "Bearer "), "api.notion.com", "token"),
    ("asana_pat", "Asana", lambda: "2/%s/%s:%s" % (digits(16), digits(16), hexs(32)), "ASANA_PAT", ("Authorization", "Bearer "), "app.asana.com", "access_token"),
    ("readme_api_key", "ReadMe", lambda: "rdme_" + rs(LO + DG, 70), "README_API_KEY", None, "dash.readme.com", "api_key"),
    ("facebook_access_token", "Meta", lambda: "EAAB" + rs(ALNUM, rng.randint(150, 200)), "FB_ACCESS_TOKEN", None, "graph.facebook.com", "access_token"),
    ("twitter_bearer_token", "X/Twitter", _twitter_bearer, "TWITTER_BEARER_TOKEN", ("Authorization", "Bearer "), "api.twitter.com", "bearer"),
    ("adafruit_io_key", "Adafruit", lambda: "aio_" + rs(ALNUM, 28), "ADAFRUIT_IO_KEY", ("X-AIO-Key", ""), "io.adafruit.com", "x-aio-key"),
    ("shippo_token", "Shippo", lambda: "shippo_live_" + hexs(40), "SHIPPO_API_TOKEN", ("Authorization", "ShippoToken "), "api.goshippo.com", "token"),
    ("mailchimp_api_key", "Mailchimp", lambda: hexs(32) + "-us" + str(rng.randint(1, 21)), "MAILCHIMP_API_KEY", None, "us6.api.mailchimp.com", "apikey"),
    ("clojars_token", "Clojars", lambda: "CLOJARS_" + rs(LO + DG, 60), "CLOJARS_PASSWORD", None, "clojars.org", "token"),
    ("prefect_api_key", "Prefect", lambda: "pnu_" + rs(ALNUM, 36), "PREFECT_API_KEY", ("Authorization", "Bearer "), "api.prefect.cloud", "api_key"),
    ("cloudflare_origin_ca_key", "Cloudflare", lambda: "v1.0-" + hexs(24) + "-" + hexs(146), "CF_ORIGIN_CA_KEY", ("X-Auth-User-Service-Key", ""), "api.cloudflare.com", "key"),
    ("onepassword_service_account_token", "1Password", lambda: "ops_eyJ" + rs(URLSAFE, 240), "OP_SERVICE_ACCOUNT_TOKEN", None, "my.1password.com", "token"),
    ("jwt", "generic", lambda: jwt(), "ID_TOKEN", ("Authorization", "Bearer "), "auth.example.com", "id_token"),
]
VENDOR_BY_KIND = {v[0]: v for v in VENDORS}


def vendor_token(kind=None):
    v = VENDOR_BY_KIND[kind] if kind else pick(VENDORS)
    return v[0], v[2]()


# ---------------------------------------------------------------- record emitter
RECORDS = []
COUNTERS = collections.Counter()
DROPPED_KEEP = [0]
LAYOUTS = {"json_access": "ja", "clf_access": "clf", "execution": "ex", "text": "tx", "cwl_message": "cwl"}


def surfaces(value, line):
    """forms in which ``value`` occurs in ``line``: raw, JSON-escaped once or twice"""
    e1 = esc1(value)
    e2 = esc1(e1)
    out = []
    for f in (value, e1, e2):
        if f in line and f not in out:
            out.append(f)
    return out


class Rec:
    def __init__(self):
        self.secrets, self.kinds, self.keep = [], [], []

    def s(self, value, kind):
        self.secrets.append(value)
        self.kinds.append(kind)
        return value

    def k(self, *values):
        for v in values:
            if v is not None and str(v) != "":
                self.keep.append(str(v))


def emit(layout, line, rec, json_bodies=()):
    assert layout in LAYOUTS
    assert "\n" not in line and "\r" not in line, line[:200]
    if layout in ("json_access", "cwl_message"):
        json.loads(line)
    for body in json_bodies:
        json.loads(body)
    out_s, out_k = [], []
    for val, kind in zip(rec.secrets, rec.kinds):
        forms = surfaces(val, line)
        if not forms:
            raise AssertionError("secret %r (%s) not in line %r" % (val, kind, line[:300]))
        for f in forms:
            if f not in out_s:
                out_s.append(f)
                out_k.append(kind)
    masked = line
    for sv in sorted(out_s, key=len, reverse=True):
        masked = masked.replace(sv, "\x00")
    keep = []
    for kv in rec.keep:
        forms = surfaces(kv, line)
        if not forms:
            raise AssertionError("keep %r not in line %r" % (kv, line[:300]))
        for f in forms:
            for sv in out_s:
                assert sv not in f, "secret %r inside keep %r" % (sv, f)
            if f in masked:
                if f not in keep:
                    keep.append(f)
            else:
                DROPPED_KEEP[0] += 1
    COUNTERS[layout] += 1
    RECORDS.append({"id": "%s-%04d" % (LAYOUTS[layout], COUNTERS[layout]), "layout": layout, "line": line,
                    "secrets": out_s, "keep": keep, "kinds": out_k})


# ================================================================ access logs
RESOURCES = [
    # resourcePath, concrete-path factory, methods
    ("/pets", lambda: "/pets", ["GET", "POST"]),
    ("/pets/{petId}", lambda: "/pets/%d" % rng.randint(1, 99999), ["GET", "PUT", "DELETE"]),
    ("/orders/{orderId}", lambda: "/orders/" + ruuid(), ["GET", "PATCH"]),
    ("/orders", lambda: "/orders", ["GET", "POST"]),
    ("/users/{userId}/profile", lambda: "/users/%s/profile" % ruuid(), ["GET", "PUT"]),
    ("/login", lambda: "/login", ["POST"]),
    ("/oauth/token", lambda: "/oauth/token", ["POST"]),
    ("/oauth/callback", lambda: "/oauth/callback", ["GET"]),
    ("/v1/payments", lambda: "/v1/payments", ["POST"]),
    ("/search", lambda: "/search", ["GET"]),
    ("/health", lambda: "/health", ["GET"]),
    ("/graphql", lambda: "/graphql", ["POST"]),
    ("/files/{key+}", lambda: "/files/reports/%d/%s.csv" % (rng.randint(2019, 2024), pick(["q1", "q2", "summary", "export"])), ["GET"]),
    ("/webhooks/{provider}", lambda: "/webhooks/" + pick(["stripe", "github", "shopify", "twilio"]), ["POST"]),
    ("/{proxy+}", lambda: "/" + pick(["api/v2/items", "internal/metrics", "v3/customers/" + digits(6)]), ["GET", "POST", "DELETE"]),
]

QUERY_EXTRAS = [lambda: "page=%d" % rng.randint(1, 40), lambda: "limit=%d" % pick([10, 20, 50, 100]),
                lambda: "sort=" + pick(["asc", "desc", "created_at"]), lambda: "lang=" + pick(["en-US", "de-DE", "fr-FR"]),
                lambda: "utm_source=" + pick(["newsletter", "twitter", "partner"]), lambda: "v=%d.%d.%d" % (
                    rng.randint(1, 5), rng.randint(0, 20), rng.randint(0, 9)), lambda: "include=" + pick(["items", "owner", "tags"])]


def query_extras(n):
    return [f() for f in rng.sample(QUERY_EXTRAS, n)]


class Ctx:
    """one API Gateway request"""

    def __init__(self, api_kind):
        self.api = api_kind  # "rest" or "http"
        self.t = rtime()
        self.region = pick(REGIONS)
        self.acct = account_id()
        self.apiid = api_id()
        self.stage = pick(STAGES) if api_kind == "rest" else pick(["$default", "$default", "prod", "v2"])
        self.rid = ruuid()
        self.ext = ext_req_id()
        self.ip = source_ip()
        self.ua = user_agent()
        rp, pf, methods = pick(RESOURCES)
        self.rpath = rp
        self.concrete = pf()
        self.method = pick(methods)
        self.status = pick([200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 504])
        self.length = rng.randint(0, 48000)
        self.query = None  # query string (already encoded) appended to "path" field
        self.path_override = None
        self.rk_override = None
        self.extra = []  # (key, value) appended at the end
        self.domain = "%s.execute-api.%s.amazonaws.com" % (self.apiid, self.region)

    def full_path(self):
        p = self.path_override or self.concrete
        if self.api == "rest" or self.stage != "$default":
            p = "/" + self.stage.strip("$") + p if self.stage != "$default" else p
        if self.query:
            p += "?" + self.query
        return p

    def route_key(self):
        if self.rk_override:
            return self.rk_override
        if self.rpath == "/{proxy+}":
            return "ANY /{proxy+}"
        return "%s %s" % (self.method, self.rpath)


def build_access_fields(ctx, rec, want_path=None):
    """return an ordered dict of access-log fields for ctx (REST or HTTP format)"""
    f = collections.OrderedDict()
    t = ctx.t
    rec.k(ctx.ip, clf_time(t))
    if ctx.api == "rest":
        f["requestId"] = ctx.rid
        rec.k(ctx.rid)
        f["extendedRequestId"] = ctx.ext
        rec.k(ctx.ext)
        f["ip"] = ctx.ip
        f["caller"] = "-"
        f["user"] = "-"
        f["requestTime"] = clf_time(t)
        if chance(0.4):
            f["requestTimeEpoch"] = str(epoch_ms(t))
            rec.k(f["requestTimeEpoch"])
        f["httpMethod"] = ctx.method
        f["resourcePath"] = ctx.rpath
        rec.k(ctx.rpath)
        if want_path if want_path is not None else chance(0.6):
            f["path"] = ctx.full_path()
        f["status"] = str(ctx.status)
        f["protocol"] = "HTTP/1.1"
        f["responseLength"] = str(ctx.length)
        rec.k(f["status"])
        if chance(0.6):
            f["userAgent"] = ctx.ua
        if chance(0.5):
            f["xrayTraceId"] = xray_root(t)
            rec.k(f["xrayTraceId"])
        if chance(0.5):
            f["apiId"] = ctx.apiid
            f["stage"] = ctx.stage
            rec.k(ctx.apiid)
        if chance(0.3):
            f["accountId"] = ctx.acct
            rec.k(ctx.acct)
        if chance(0.4):
            f["integrationLatency"] = str(rng.randint(3, 2900))
            f["responseLatency"] = str(int(f["integrationLatency"]) + rng.randint(1, 40))
            rec.k(f["integrationLatency"], f["responseLatency"])
        if chance(0.3):
            f["apiKeyId"] = rs(LO + DG, 10)
            rec.k(f["apiKeyId"])
    else:
        f["requestId"] = ctx.ext if chance(0.5) else ctx.rid
        rec.k(f["requestId"])
        f["ip"] = ctx.ip
        f["requestTime"] = clf_time(t)
        f["httpMethod"] = ctx.method if ctx.rpath != "/{proxy+}" else pick(["GET", "POST"])
        f["routeKey"] = ctx.route_key()
        rec.k(f["routeKey"])
        if want_path if want_path is not None else chance(0.6):
            f["path"] = ctx.full_path()
        f["status"] = ctx.status if chance(0.4) else str(ctx.status)
        rec.k(str(ctx.status))
        f["protocol"] = pick(["HTTP/1.1", "HTTP/2.0"])
        f["responseLength"] = str(ctx.length)
        if chance(0.5):
            f["integrationLatency"] = str(rng.randint(3, 2900))
            rec.k(f["integrationLatency"])
        if chance(0.5):
            f["userAgent"] = ctx.ua
        if chance(0.4):
            f["domainName"] = ctx.domain
            rec.k(ctx.domain)
        if chance(0.3):
            f["integrationRequestId"] = ruuid()
            rec.k(f["integrationRequestId"])
        if chance(0.3):
            f["apiId"] = ctx.apiid
            rec.k(ctx.apiid)
    if "userAgent" in f and not ctx.ua_secret:
        rec.k(ctx.ua)
    return f


Ctx.ua_secret = False


# ---- secret value pool for query strings / paths
QNAMES = {
    "password": ["password", "pwd", "pass", "passwd", "Password"],
    "jwt": ["access_token", "id_token", "token", "jwt", "auth"],
    "session_cookie": ["sessionid", "session_id", "sid", "PHPSESSID", "JSESSIONID"],
    "api_gateway_api_key": ["api_key", "apikey", "x-api-key", "key"],
    "aws_secret_key": ["aws_secret_access_key", "secret_key", "SecretAccessKey"],
    "oauth_authorization_code": ["code"],
    "oauth_client_secret": ["client_secret"],
    "password_reset_token": ["reset_token", "token", "t"],
    "email": ["email", "user", "login", "recipient"],
    "phone": ["phone", "msisdn", "to", "mobile"],
    "card": ["card", "pan", "cc_number"],
    "ssn": ["ssn", "tin"],
    "refresh_token": ["refresh_token"],
}


def generic_secret():
    k = rng.choices(["password", "jwt", "session_cookie", "api_gateway_api_key", "vendor", "aws_secret_key",
                     "oauth_authorization_code", "oauth_client_secret", "password_reset_token", "email", "phone",
                     "card", "ssn", "refresh_token"],
                    weights=[4, 3, 2, 2, 5, 1, 1, 1, 1, 2, 2, 1, 1, 1])[0]
    if k == "password":
        return k, password(), pick(QNAMES[k])
    if k == "jwt":
        return k, jwt(email() if chance(0.3) else None), pick(QNAMES[k])
    if k == "session_cookie":
        return k, session_cookie()[1], pick(QNAMES[k])
    if k == "api_gateway_api_key":
        return k, apigw_key(), pick(QNAMES[k])
    if k == "aws_secret_key":
        return k, aws_secret(), pick(QNAMES[k])
    if k == "oauth_authorization_code":
        return k, oauth_code(), "code"
    if k == "oauth_client_secret":
        return k, pick([rs(URLSAFE, 40), "GOCSPX-" + rs(URLSAFE, 28)]), "client_secret"
    if k == "password_reset_token":
        return k, reset_token(), pick(QNAMES[k])
    if k == "email":
        return k, email(), pick(QNAMES[k])
    if k == "phone":
        return k, phone()[0], pick(QNAMES[k])
    if k == "card":
        return k, card(), pick(QNAMES[k])
    if k == "ssn":
        return k, ssn(), pick(QNAMES[k])
    if k == "refresh_token":
        return k, cognito_refresh_token(), "refresh_token"
    v = pick(VENDORS)
    return v[0], v[2](), v[6]


def encode_for_query(val):
    """return (surface, mode)"""
    modes = ["pct", "pct", "dbl", "form"] if url_needs_encoding(val) else ["raw", "raw", "pct", "dbl"]
    if url_needs_encoding(val) and not any(c in val for c in "&#% ?\"+"):
        modes.append("raw")  # many clients leave '/', '@', '=' ... unencoded
    m = pick(modes)
    if m == "raw":
        return val, m
    if m == "pct":
        return q(val), m
    if m == "form":
        return qp(val), m
    return q(q(val)), m


def inj_query(ctx, rec):
    kind, val, qname = generic_secret()
    extras = query_extras(rng.randint(0, 2))
    if chance(0.2):
        # a whole URL passed as a parameter: the token ends up double-encoded
        inner = "/api/v1/export?%s=%s&format=csv" % (qname, q(val))
        surf = q(q(val))
        param = "%s=%s" % (pick(["next", "redirect_uri", "returnTo", "continue"]), q(inner))
    else:
        surf, _ = encode_for_query(val)
        param = "%s=%s" % (qname, surf)
    parts = extras + [param]
    rng.shuffle(parts)
    ctx.query = "&".join(parts)
    rec.s(surf, kind)
    return "path"


PATH_SECRETS = [
    ("/v1/reset-password/{token}", "/v1/reset-password/%s", "password_reset_token", reset_token),
    ("/magic-link/{token}", "/magic-link/%s", "jwt", lambda: jwt(email())),
    ("/users/{email}", "/users/%s", "email", email),
    ("/verify/{phone}", "/verify/%s", "phone", lambda: phone()[0]),
    ("/customers/ssn/{ssn}", "/customers/ssn/%s", "ssn", ssn),
    ("/cards/{pan}/balance", "/cards/%s/balance", "card", lambda: card().replace(" ", "").replace("-", "")),
    ("/v1/keys/{apiKey}", "/v1/keys/%s", "vendor", None),
    ("/sessions/{sessionId}", "/sessions/%s", "session_cookie", lambda: session_cookie()[1]),
    ("/hooks/{hookToken}", "/hooks/%s", "vendor_slack", None),
]


def inj_pathseg(ctx, rec):
    rp, fmt, kind, fn = pick(PATH_SECRETS)
    if kind == "vendor":
        kind, val = vendor_token(pick(["stripe_secret_key", "sendgrid_api_key", "github_pat", "openai_project_key",
                                       "google_api_key", "mailgun_api_key", "npm_token", "huggingface_token"]))
    elif kind == "vendor_slack":
        kind = "slack_webhook_secret"
        val = "T%s/B%s/%s" % (rs(UP + DG, 10), rs(UP + DG, 10), rs(ALNUM, 24))
        rp, fmt = "/hooks/slack/{proxy+}", "/hooks/slack/%s"
    else:
        val = fn()
    surf = val
    if url_needs_encoding(val):
        surf = pick([val, q(val)]) if "/" not in val and " " not in val else q(val)
        if " " in val or "%" in val:
            surf = q(val)
    ctx.rpath = rp
    ctx.path_override = fmt % surf
    ctx.method = pick(["GET", "POST"])
    ctx.rk_override = "%s %s" % (ctx.method, rp)
    rec.s(surf, kind)
    return "path"


UA_SECRET_TEMPLATES = [
    ("MyCompanyCLI/{v} (+https://example.com/cli; token={tok})", None),
    ("curl/8.4.0 apikey={tok}", "api_gateway_api_key"),
    ("Zapier-Integration/{v} {tok}", None),
    ("okhttp/4.12.0 Authorization: Bearer {tok}", "jwt"),
    ("python-requests/2.31.0; sessionid={tok}", "session_cookie"),
    ("deploy-bot/{v} ({tok})", None),
    ("Terraform/1.7.{n} terraform-provider-custom/{v} token:{tok}", None),
]


def inj_ua(ctx, rec):
    tpl, kind = pick(UA_SECRET_TEMPLATES)
    if kind == "api_gateway_api_key":
        tok = apigw_key()
    elif kind == "jwt":
        tok = jwt()
    elif kind == "session_cookie":
        tok = session_cookie()[1]
    else:
        kind, tok = vendor_token(pick(["github_pat", "gitlab_pat", "slack_bot_token", "stripe_secret_key", "npm_token",
                                       "digitalocean_pat", "heroku_api_key", "terraform_cloud_token", "doppler_service_token"]))
    ctx.ua = tpl.format(v="%d.%d.%d" % (rng.randint(0, 4), rng.randint(0, 30), rng.randint(0, 9)), tok=tok, n=rng.randint(0, 5))
    ctx.ua_secret = True
    ctx.extra.append(("userAgent", ctx.ua))
    rec.s(tok, kind)
    return "ua"


def db_error(rec):
    pw = uri_password()
    user = pick(["app_user", "admin", "orders_rw", "postgres", "svc_api", "root"])
    host = pick(["orders-db.cluster-%s.%s.rds.amazonaws.com" % (rs(LO + DG, 12), pick(REGIONS)), "db.internal.example.com",
                 "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)), "mysql.example.net"])
    k = rng.randint(0, 6)
    if k == 0:
        msg = "error: password authentication failed for connection postgres://%s:%s@%s:5432/orders" % (user, pw, host)
    elif k == 1:
        msg = "SequelizeConnectionError: connect ETIMEDOUT mysql://%s:%s@%s:3306/shop" % (user, pw, host)
    elif k == 2:
        msg = "MongoServerSelectionError: getaddrinfo ENOTFOUND mongodb+srv://%s:%s@cluster0.%s.mongodb.net/test?retryWrites=true" % (user, pw, rs(LO + DG, 5))
    elif k == 3:
        msg = "Login failed for user '%s'. ConnectionString=Server=tcp:%s,1433;Database=crm;User ID=%s;Password=%s;Encrypt=True;" % (user, host, user, pw)
    elif k == 4:
        msg = "ReplyError: WRONGPASS invalid username-password pair (redis://:%s@cache.%s.cache.amazonaws.com:6379/0)" % (pw, rs(LO, 6))
    elif k == 5:
        msg = "AMQP connection refused: amqp://%s:%s@mq.example.com:5672/vhost" % (user, pw)
    else:
        msg = "psycopg2.OperationalError: FATAL: password authentication failed (dsn: host=%s port=5432 dbname=orders user=%s password=%s sslmode=require)" % (host, user, pw)
    rec.s(pw, "db_password")
    return msg


def secret_error(ctx, rec):
    k = rng.randint(0, 13)
    if k <= 2:
        return db_error(rec)
    if k == 3:
        a, s = aws_akid(), aws_secret()
        rec.s(a, "aws_access_key_id")
        rec.s(s, "aws_secret_key")
        return "The security token included in the request is invalid. aws_access_key_id=%s aws_secret_access_key=%s" % (a, s)
    if k == 4:
        a, s, st = aws_akid(True), aws_secret(), aws_session_token()
        rec.s(a, "aws_access_key_id")
        rec.s(s, "aws_secret_key")
        rec.s(st, "aws_session_token")
        return "botocore.exceptions.ClientError: ExpiredToken when calling AssumeRole: Credentials(access_key='%s', secret_key='%s', token='%s')" % (a, s, st)
    if k == 5:
        kind, tok = vendor_token(pick(["stripe_secret_key", "stripe_restricted_key", "sendgrid_api_key", "openai_project_key",
                                       "anthropic_api_key", "twilio_api_key", "mailgun_api_key", "google_api_key"]))
        rec.s(tok, kind)
        return "Upstream returned 401: Invalid API key provided: %s" % tok
    if k == 6:
        t = rec.s(jwt(email() if chance(0.5) else None), "jwt")
        return "Unauthorized: Bearer %s rejected (token expired)" % t
    if k == 7:
        m, p = email(), password()
        rec.s(m, "email")
        rec.s(p, "password")
        inner = cjson({"errorType": "AuthError", "errorMessage": "Login failed for %s with password %s" % (m, p)})
        return "Lambda returned: " + inner
    if k == 8:
        ph = rec.s(phone()[0], "phone")
        return "Could not deliver OTP SMS to %s: carrier rejected (30007)" % ph
    if k == 9:
        s_, m = ssn(), email()
        rec.s(s_, "ssn")
        rec.s(m, "email")
        return "ValidationError: SSN %s failed checksum for applicant %s" % (s_, m)
    if k == 10:
        c = rec.s(card(), "card")
        return "Payment declined for card %s (insufficient_funds)" % c
    if k == 11:
        name, sid = session_cookie()
        rec.s(sid, "session_cookie")
        return "Unable to decrypt session cookie %s=%s" % (name, sid)
    if k == 12:
        kind, url = vendor_token(pick(["slack_webhook_url", "discord_webhook_url"]))
        rec.s(url, kind)
        return "Failed to POST alert to %s: 404 no_service" % url
    key = rec.s(apigw_key(), "api_gateway_api_key")
    return "Forbidden: x-api-key %s is not associated with a usage plan for this stage" % key


def inj_error(ctx, rec):
    msg = secret_error(ctx, rec)
    if ctx.api == "rest":
        key = pick(["errorMessage", "integrationErrorMessage", "error.message", "integration.error"])
    else:
        key = pick(["integrationErrorMessage", "errorMessage", "error.message"])
    ctx.extra.append((key, msg))
    return "error"


def inj_authorizer(ctx, rec):
    k = rng.randint(0, 6)
    if ctx.api == "rest":
        if k == 0:
            ctx.extra.append(("authorizer.principalId", "user-%s" % digits(6)))
            ctx.extra.append(("authorizer.email", rec.s(email(), "email")))
        elif k == 1:
            sub = ruuid()
            rec.k(sub)
            ctx.extra.append(("authorizer.claims.sub", sub))
            ctx.extra.append(("authorizer.claims.email", rec.s(email(), "email")))
            if chance(0.5):
                ctx.extra.append(("authorizer.claims.phone_number", rec.s(e164_phone(), "phone")))
        elif k == 2:
            kind, tok = vendor_token(pick(["github_pat", "gitlab_pat", "slack_user_token", "okta_api_token", "jwt"]))
            ctx.extra.append(("authorizer.principalId", "svc-%s" % rs(LO, 6)))
            ctx.extra.append(("authorizer.upstreamToken", rec.s(tok, kind)))
        elif k == 3:
            t = rec.s(jwt(), "jwt")
            ctx.extra.append(("authorizer.error", "Unauthorized: invalid token %s" % t))
        elif k == 4:
            tenant = ruuid()
            rec.k(tenant)
            ctx.extra.append(("authorizer.tenantId", tenant))
            ctx.extra.append(("authorizer.phone", rec.s(phone()[0], "phone")))
        elif k == 5:
            ctx.extra.append(("authorizer.principalId", rec.s(email(), "email")))
            lat = str(rng.randint(2, 400))
            rec.k(lat)
            ctx.extra.append(("authorizer.latency", lat))
        else:
            name, sid = session_cookie()
            ctx.extra.append(("authorizer.sessionId", rec.s(sid, "session_cookie")))
    else:
        if k in (0, 1, 2):
            sub = ruuid()
            rec.k(sub)
            ctx.extra.append(("authorizer.claims.sub", sub))
            ctx.extra.append(("authorizer.claims.email", rec.s(email(), "email")))
        elif k == 3:
            t = rec.s(jwt(), "jwt")
            ctx.extra.append(("authorizerError", "JWT token %s is expired" % t))
        elif k == 4:
            ctx.extra.append(("authorizer.claims.phone_number", rec.s(e164_phone(), "phone")))
        else:
            kind, tok = vendor_token(pick(["github_oauth_token", "google_oauth_access_token", "jwt"]))
            ctx.extra.append(("authorizer.lambda.accessToken", rec.s(tok, kind)))
    return "authorizer"


def inj_header(ctx, rec):
    k = rng.randint(0, 4)
    if k == 0 and ctx.api == "rest":
        ctx.extra.append(("identity.apiKey", rec.s(apigw_key(), "api_gateway_api_key")))
        kid = rs(LO + DG, 10)
        rec.k(kid)
        ctx.extra.append(("identity.apiKeyId", kid))
    elif k == 1:
        ctx.extra.append(("x-api-key", rec.s(apigw_key(), "api_gateway_api_key")))
    elif k == 2:
        name, sid = session_cookie()
        ctx.extra.append(("cookie", "%s=%s; theme=dark" % (name, rec.s(sid, "session_cookie"))))
    elif k == 3:
        t = rec.s(jwt(), "jwt")
        ctx.extra.append(("authorization", "Bearer " + t))
    else:
        b = rec.s(basic_auth(), "basic_auth")
        ctx.extra.append(("authorization", "Basic " + b))
    return "header"


INJECTORS = [(inj_query, 6), (inj_pathseg, 2), (inj_ua, 2), (inj_error, 5), (inj_authorizer, 3), (inj_header, 2)]


def pick_injectors():
    n = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
    chosen, slots = [], set()
    pool = [f for f, w in INJECTORS for _ in range(w)]
    while len(chosen) < n:
        f = pick(pool)
        slot = {inj_query: "path", inj_pathseg: "path"}.get(f, f.__name__)
        if slot in slots:
            continue
        slots.add(slot)
        chosen.append(f)
    return chosen


BENIGN_ERRORS = [
    lambda c: "Internal server error",
    lambda c: "Missing Authentication Token",
    lambda c: "Forbidden",
    lambda c: "Endpoint request timed out",
    lambda c: "Unauthorized",
    lambda c: "Limit Exceeded",
    lambda c: "Invalid request body",
    lambda c: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    lambda c: "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '%s'." % b64(rbytes(32)),
    lambda c: "Execution failed due to configuration error: Malformed Lambda proxy response",
    lambda c: "User: anonymous is not authorized to perform: execute-api:Invoke on resource: %s" % execute_api_arn(
        c.region, c.acct, c.apiid, c.stage, c.method, c.rpath),
    lambda c: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
    lambda c: "Lambda invocation failed with status: 429. Lambda request id: %s" % ruuid(),
    lambda c: "Password must be at least 12 characters and contain a symbol",
    lambda c: "Token is missing or expired; please sign in again",
]


def benign_lookalike_path(ctx, rec):
    k = rng.randint(0, 8)
    if k == 0:
        sha = hexs(40)
        ctx.rpath, ctx.path_override = "/commits/{sha}", "/commits/" + sha
        rec.k(sha)
    elif k == 1:
        d = hexs(64)
        ctx.rpath, ctx.path_override = "/images/{digest}", "/images/sha256:" + d
        rec.k("sha256:" + d)
    elif k == 2:
        u = ruuid()
        ctx.rpath, ctx.path_override = "/orders/{orderId}", "/orders/" + u
        ctx.query = "&".join(query_extras(2))
        rec.k(u)
    elif k == 3:
        vid = rs(URLSAFE + ".", 32)
        ctx.rpath, ctx.path_override = "/files/{key+}", "/files/reports/2024/summary.pdf"
        ctx.query = "versionId=" + vid
        rec.k(vid)
    elif k == 4:
        u = ruuid()
        ctx.rpath, ctx.path_override = "/webhooks/{provider}", "/webhooks/github"
        ctx.query = "delivery=" + u
        rec.k(u)
    elif k == 5:
        ctx.rpath, ctx.path_override = "/search", "/search"
        ctx.query = "q=" + qp(pick(["running shoes", "password reset help", "api key rotation docs", "token bucket"])) + "&limit=20"
        rec.k(ctx.query)
    elif k == 6:
        e = hexs(32)
        ctx.rpath, ctx.path_override = "/objects/{etag}", "/objects/" + e
        rec.k(e)
    elif k == 7:
        ctx.query = "X-Amz-Date=%s&page=%d" % (amz_date(ctx.t), rng.randint(1, 9))
        rec.k(amz_date(ctx.t))
    else:
        u = ruuid()
        ctx.rpath, ctx.path_override = "/users/{userId}/profile", "/users/%s/profile" % u
        rec.k(u)
    ctx.rk_override = "%s %s" % (ctx.method, ctx.rpath)


def make_access_line(api_kind, benign, rec, spaced=None):
    ctx = Ctx(api_kind)
    if benign:
        if chance(0.6):
            benign_lookalike_path(ctx, rec)
        f = build_access_fields(ctx, rec, want_path=True)
        if chance(0.4):
            msg = pick(BENIGN_ERRORS)(ctx)
            f["errorMessage" if api_kind == "rest" else "integrationErrorMessage"] = msg
            if "arn:aws" in msg:
                rec.k(msg.rsplit(" ", 1)[-1])
            if "Base64" in msg:
                rec.k(msg.split("'")[1])
            if "request id" in msg:
                rec.k(msg.rsplit(" ", 1)[-1])
        if chance(0.3) and api_kind == "rest" and "apiKeyId" not in f:
            f["apiKeyId"] = rs(LO + DG, 10)
            rec.k(f["apiKeyId"])
        if chance(0.3):
            sub = ruuid()
            f["authorizer.claims.sub"] = sub
            rec.k(sub)
    else:
        slots = [inj(ctx, rec) for inj in pick_injectors()]
        f = build_access_fields(ctx, rec, want_path=("path" in slots) or None)
        for kk, vv in ctx.extra:
            f[kk] = vv
    if spaced is None:
        spaced = chance(0.3)
    return cjson(f, spaced), ctx


def gen_json_access(n_secret, n_benign):
    plan = [False] * n_secret + [True] * n_benign
    rng.shuffle(plan)
    for benign in plan:
        rec = Rec()
        line, _ = make_access_line("rest" if chance(0.6) else "http", benign, rec)
        emit("json_access", line, rec)


def gen_clf(n_secret, n_benign):
    plan = [False] * n_secret + [True] * n_benign
    rng.shuffle(plan)
    for benign in plan:
        rec = Rec()
        ctx = Ctx("rest")
        t = ctx.t
        caller, user = "-", "-"
        style = rng.randint(0, 2)
        if benign:
            if chance(0.5):
                caller = "AROA%s:%s" % (rs(BASE32, 17), pick(["deploy-session", "i-0%s" % hexs(16), "botocore-session-%d" % rng.randint(10 ** 9, 10 ** 10)]))
                user = "AIDA" + rs(BASE32, 17)
                rec.k(caller, user)
            if chance(0.5):
                benign_lookalike_path(ctx, rec)
                style = 1
        else:
            k = rng.randint(0, 3)
            if k == 0:
                inj_query(ctx, rec)
                style = 1
            elif k == 1:
                inj_pathseg(ctx, rec)
                style = 1
            elif k == 2:
                user = rec.s(email(), "email")
                caller = "-"
            else:
                tpl, _ = UA_SECRET_TEMPLATES[0]
                kind, tok = vendor_token(pick(["github_pat", "npm_token", "gitlab_pat", "sendgrid_api_key"]))
                ctx.ua = tpl.format(v="2.%d.0" % rng.randint(0, 9), tok=tok, n=0)
                rec.s(tok, kind)
                ctx.ua_secret = True
                style = 2
        rec.k(ctx.ip, clf_time(t), ctx.rid, str(ctx.status))
        if style == 0:
            line = '%s %s %s [%s] "%s %s %s" %d %d %s' % (ctx.ip, caller, user, clf_time(t), ctx.method, ctx.rpath,
                                                        "HTTP/1.1", ctx.status, ctx.length, ctx.rid)
            rec.k(ctx.rpath)
            if chance(0.5):
                line += " " + ctx.ext
                rec.k(ctx.ext)
        else:
            line = '%s %s %s [%s] "%s %s HTTP/1.1" %d %d "%s" %s' % (ctx.ip, caller, user, clf_time(t), ctx.method,
                                                                   ctx.full_path(), ctx.status, ctx.length, ctx.ua, ctx.rid)
            if not ctx.ua_secret:
                rec.k(ctx.ua)
            if chance(0.5):
                lat = str(rng.randint(3, 2500))
                line += " %s %sms" % (ctx.ext, lat)
                rec.k(ctx.ext, lat + "ms")
        emit("clf_access", line, rec)


# ================================================================ execution logs
def hdr_map(pairs):
    pairs = sorted(pairs, key=lambda kv: kv[0].lower())
    return "{" + ", ".join("%s=%s" % kv for kv in pairs) + "}"


def base_req_headers(ctx, rec, cloudfront=None):
    t = ctx.t
    xr = xray_root(t)
    h = [("Accept", pick(["application/json", "*/*", "application/json, text/plain, */*"])),
         ("Host", ctx.domain), ("User-Agent", ctx.ua), ("X-Amzn-Trace-Id", xr),
         ("X-Forwarded-For", ctx.ip if ":" not in ctx.ip else ipv4()), ("X-Forwarded-Port", "443"), ("X-Forwarded-Proto", "https")]
    rec.k(ctx.domain, xr, h[4][1])
    if not ctx.ua_secret:
        rec.k(ctx.ua)
    if cloudfront if cloudfront is not None else chance(0.5):
        cc = pick(["US", "GB", "DE", "FR", "IN", "JP", "BR", "AU", "CA", "NL"])
        h += [("CloudFront-Forwarded-Proto", "https"), ("CloudFront-Is-Desktop-Viewer", pick(["true", "false"])),
              ("CloudFront-Viewer-Country", cc), ("Via", "2.0 %s.cloudfront.net (CloudFront)" % hexs(32)),
              ("X-Amz-Cf-Id", rs(URLSAFE, 54) + "==")]
        rec.k("CloudFront-Viewer-Country=" + cc)
    if chance(0.3):
        h.append(("Content-Type", pick(["application/json", "application/x-www-form-urlencoded"])))
    return h


def exec_prefix(ctx, rec, msg):
    rec.k(ctx.rid)
    if chance(0.25):
        ts = iso(ctx.t)
        rec.k(ts)
        return "%s (%s) %s" % (ts, ctx.rid, msg)
    return "(%s) %s" % (ctx.rid, msg)


def secret_headers(ctx, rec):
    """1-2 credential-bearing request headers"""
    out = []
    kinds = rng.sample(["bearer", "basic", "sigv4", "apikey", "cookie", "vendor"], rng.choices([1, 2], weights=[3, 1])[0])
    for k in kinds:
        if k == "bearer":
            out.append(("Authorization", "Bearer " + rec.s(jwt(email() if chance(0.3) else None), "jwt")))
        elif k == "basic":
            out.append(("Authorization", "Basic " + rec.s(basic_auth(), "basic_auth")))
        elif k == "sigv4":
            temp = chance(0.5)
            akid = rec.s(aws_akid(temp), "aws_access_key_id")
            sig = rec.s(hexs(64), "aws_sigv4_signature")
            d = amz_date(ctx.t)
            rec.k(d)
            sh = "host;x-amz-date" + (";x-amz-security-token" if temp else "")
            out.append(("Authorization", "AWS4-HMAC-SHA256 Credential=%s/%s/%s/execute-api/aws4_request, SignedHeaders=%s, Signature=%s"
                        % (akid, d[:8], ctx.region, sh, sig)))
            out.append(("X-Amz-Date", d))
            if temp:
                out.append(("X-Amz-Security-Token", rec.s(aws_session_token(), "aws_session_token")))
        elif k == "apikey":
            out.append((pick(["X-Api-Key", "x-api-key"]), rec.s(apigw_key(), "api_gateway_api_key")))
        elif k == "cookie":
            name, sid = session_cookie()
            rec.s(sid, "session_cookie")
            c = "%s=%s" % (name, sid)
            if chance(0.5):
                n2, s2 = session_cookie()
                if n2 != name:
                    c += "; %s=%s" % (n2, rec.s(s2, "session_cookie"))
            if chance(0.5):
                c += "; theme=dark; _ga=GA1.2.%d.%d" % (rng.randint(10 ** 8, 10 ** 9), epoch_ms(ctx.t) // 1000)
            out.append(("Cookie", c))
        else:
            kind, tok = vendor_token(pick([v[0] for v in VENDORS if v[4] is not None]))
            hn, pfx = VENDOR_BY_KIND[kind][4]
            out.append((hn, pfx + rec.s(tok, kind)))
    seen, uniq = set(), []
    alt = ["X-Forwarded-Authorization", "Proxy-Authorization", "X-Original-Authorization"]
    for name, val in out:
        if name.lower() in seen:
            name = [a for a in alt if a.lower() not in seen][0]
        seen.add(name.lower())
        uniq.append((name, val))
    return uniq


def login_body(rec):
    k = rng.randint(0, 4)
    if k == 0:
        return {"username": rec.s(email(), "email"), "password": rec.s(password(), "password")}
    if k == 1:
        return {"email": rec.s(email(), "email"), "password": rec.s(password(), "password"), "rememberMe": True}
    if k == 2:
        return {"user": {"name": "%s %s" % (pick(FIRST).title(), pick(LAST).title()), "email": rec.s(email(), "email"),
                         "phone": rec.s(phone()[0], "phone"), "password": rec.s(password(), "password")}}
    if k == 3:
        return {"grant_type": "password", "username": pick(FIRST) + digits(3), "password": rec.s(password(), "password"),
                "client_id": rs(LO + DG, 26)}
    return {"currentPassword": rec.s(password(), "password"), "newPassword": rec.s(password(), "password")}


def pii_body(rec):
    k = rng.randint(0, 5)
    if k == 0:
        return {"customer": {"id": ruuid(), "ssn": rec.s(ssn(), "ssn"), "phone": rec.s(phone()[0], "phone"),
                             "dob": "%d-%02d-%02d" % (rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))}}
    if k == 1:
        return {"payment": {"card": {"number": rec.s(card(), "card"), "exp_month": rng.randint(1, 12),
                                     "exp_year": rng.randint(2025, 2031)}, "amount": rng.randint(100, 90000), "currency": "usd"},
                "receipt_email": rec.s(email(), "email")}
    if k == 2:
        return {"contact": {"email": rec.s(email(), "email"), "mobile": rec.s(phone()[0], "phone")},
                "notes": "call after 5pm on " + rec.s(phone()[0], "phone")}
    if k == 3:
        return {"applicant": {"name": "%s %s" % (pick(FIRST).title(), pick(LAST).title()), "nationalInsuranceNumber":
                              rec.s(nino(), "national_insurance_number"), "email": rec.s(email(), "email")}}
    if k == 4:
        return {"message": "Hi, my SSN is %s and you can reach me on %s" % (rec.s(ssn(), "ssn"), rec.s(phone()[0], "phone"))}
    return {"cardNumber": rec.s(card(), "card"), "billingPhone": rec.s(phone()[0], "phone")}


def graphql_body(rec):
    k = rng.randint(0, 2)
    if k == 0:
        return {"operationName": "Login",
                "query": "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id } } }",
                "variables": {"email": rec.s(email(), "email"), "password": rec.s(password(), "password")}}
    if k == 1:
        ph, s_ = phone()[0], ssn()
        rec.s(ph, "phone")
        rec.s(s_, "ssn")
        return {"query": 'mutation { updateProfile(input: {phone: "%s", ssn: "%s"}) { id updatedAt } }' % (ph, s_),
                "variables": {}}
    return {"operationName": "ResetPassword",
            "query": "mutation ResetPassword($token: String!, $password: String!) { resetPassword(token: $token, newPassword: $password) { ok } }",
            "variables": {"token": rec.s(reset_token(), "password_reset_token"), "password": rec.s(password(), "password")}}


def proxy_event(ctx, rec, body_obj, headers):
    hdrs = collections.OrderedDict(headers)
    ev = collections.OrderedDict()
    ev["resource"] = ctx.rpath
    ev["path"] = ctx.concrete
    ev["httpMethod"] = ctx.method
    ev["headers"] = hdrs
    ev["multiValueHeaders"] = collections.OrderedDict((k, [v]) for k, v in hdrs.items())
    ev["queryStringParameters"] = None
    ev["multiValueQueryStringParameters"] = None
    ev["pathParameters"] = None
    ev["stageVariables"] = None
    ident = collections.OrderedDict([("cognitoIdentityPoolId", None), ("accountId", None), ("cognitoIdentityId", None),
                                     ("caller", None), ("sourceIp", ctx.ip), ("principalOrgId", None),
                                     ("accessKey", None), ("cognitoAuthenticationType", None),
                                     ("cognitoAuthenticationProvider", None), ("userArn", None),
                                     ("userAgent", ctx.ua), ("user", None)])
    if chance(0.15):
        ident["accessKey"] = rec.s(aws_akid(True), "aws_access_key_id")
        ident["caller"] = "AROA%s:%s" % (rs(BASE32, 17), pick(FUNCS))
    ev["requestContext"] = collections.OrderedDict([
        ("resourceId", rs(LO + DG, 6)), ("resourcePath", ctx.rpath), ("httpMethod", ctx.method),
        ("extendedRequestId", ctx.ext), ("requestTime", clf_time(ctx.t)), ("path", "/" + ctx.stage + ctx.concrete),
        ("accountId", ctx.acct), ("protocol", "HTTP/1.1"), ("stage", ctx.stage), ("domainPrefix", ctx.apiid),
        ("requestTimeEpoch", epoch_ms(ctx.t)), ("requestId", ctx.rid), ("identity", ident),
        ("domainName", ctx.domain), ("apiId", ctx.apiid)])
    ev["body"] = None if body_obj is None else cjson(body_obj)
    ev["isBase64Encoded"] = False
    rec.k(ctx.acct, ctx.apiid, ctx.rpath, ctx.ext, str(epoch_ms(ctx.t)))
    return ev


def form_body(rec):
    parts = []
    k = rng.randint(0, 3)
    if k == 0:
        parts = ["username=" + rec.s(qp(email()), "email"), "password=" + rec.s(qp(password()), "password")]
    elif k == 1:
        parts = ["grant_type=client_credentials", "client_id=" + rs(LO + DG, 26),
                 "client_secret=" + rec.s(qp(rs(URLSAFE, 48)), "oauth_client_secret")]
    elif k == 2:
        parts = ["session_id=" + rec.s(qp(session_cookie()[1]), "session_cookie"), "csrf_token=" + rs(ALNUM, 32),
                 "action=update_phone", "phone=" + rec.s(qp(phone()[0]), "phone")]
    else:
        parts = ["email=" + rec.s(qp(email()), "email"), "password=" + rec.s(qp(password()), "password"),
                 "password_confirmation=PLACEHOLDER", "remember_me=1"]
        parts[2] = "password_confirmation=" + parts[1].split("=", 1)[1]
    return "&".join(parts)


def exec_secret_line(rec):
    ctx = Ctx("rest")
    k = rng.choices(range(13), weights=[8, 3, 3, 5, 6, 3, 4, 5, 3, 2, 2, 2, 2])[0]
    bodies = []
    if k == 0:  # method request headers
        h = base_req_headers(ctx, rec) + secret_headers(ctx, rec)
        msg = "Method request headers: " + hdr_map(h)
    elif k == 1:  # endpoint request headers
        h = [("x-amzn-apigateway-api-id", ctx.apiid), ("Accept", "application/json"),
             ("User-Agent", "AmazonAPIGateway_" + ctx.apiid), ("X-Amzn-Trace-Id", xray_root(ctx.t)),
             ("Host", pick(["backend.internal.example.com", "api.partner.example.net", "orders.svc.example.org"]))]
        rec.k(ctx.apiid, h[3][1])
        h += secret_headers(ctx, rec)
        msg = "Endpoint request headers: " + hdr_map(h)
    elif k == 2:  # set-cookie on response
        name, sid = session_cookie()
        rec.s(sid, "session_cookie")
        amzid = ruuid()
        rec.k(amzid)
        h = [("Date", http_date(ctx.t)), ("Content-Type", "application/json"), ("Content-Length", str(rng.randint(2, 900))),
             ("Connection", "keep-alive"), ("x-amzn-RequestId", amzid),
             ("Set-Cookie", "%s=%s; Path=/; Expires=%s; Secure; HttpOnly; SameSite=Lax" % (name, sid, http_date(ctx.t + datetime.timedelta(days=14))))]
        if chance(0.4):
            root = xray_root(ctx.t)[5:]
            h.append(("X-Amzn-Trace-Id", "root=" + root + ";sampled=0"))
            rec.k(root)
        msg = pick(["Endpoint response headers: ", "Method response headers: "]) + hdr_map(h)
    elif k == 3:  # method request body JSON
        ctx.rpath, ctx.concrete, ctx.method = pick([("/login", "/login", "POST"), ("/signup", "/signup", "POST"),
                                                    ("/oauth/token", "/oauth/token", "POST"), ("/account/password", "/account/password", "PUT")])
        body = cjson(login_body(rec) if chance(0.6) else pii_body(rec), spaced=chance(0.3))
        bodies.append(body)
        msg = "Method request body before transformations: " + body
    elif k == 4:  # lambda proxy event
        body_obj = pick([login_body, pii_body, graphql_body])(rec)
        ctx.rpath, ctx.concrete, ctx.method = pick([("/login", "/login", "POST"), ("/graphql", "/graphql", "POST"),
                                                    ("/v1/payments", "/v1/payments", "POST"), ("/users/{userId}/profile", "/users/%s/profile" % ruuid(), "PUT")])
        h = base_req_headers(ctx, rec, cloudfront=False)
        if chance(0.6):
            h += secret_headers(ctx, rec)
        ev = proxy_event(ctx, rec, body_obj, sorted(h, key=lambda kv: kv[0].lower()))
        body = cjson(ev)
        bodies.append(body)
        msg = "Endpoint request body after transformations: " + body
    elif k == 5:  # graphql body
        ctx.rpath = ctx.concrete = "/graphql"
        body = cjson(graphql_body(rec))
        bodies.append(body)
        msg = "Method request body before transformations: " + body
    elif k == 6:  # form body
        body = form_body(rec)
        msg = "Method request body before transformations: " + body
    elif k == 7:  # response body with PII / tokens
        r = rng.randint(0, 3)
        if r == 0:
            obj = {"token": rec.s(jwt(), "jwt"), "refreshToken": rec.s(cognito_refresh_token(), "refresh_token"),
                   "expiresIn": 3600, "user": {"id": ruuid(), "email": rec.s(email(), "email")}}
        elif r == 1:
            m, ph = email(), phone()[0]
            rec.s(m, "email")
            rec.s(ph, "phone")
            obj = {"errorMessage": "ValidationError: phone %s for user %s is not reachable" % (ph, m), "errorType": "ValidationError"}
        elif r == 2:
            obj = {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                   "body": cjson(pii_body(rec))}
        else:
            kind, tok = vendor_token()
            obj = {"integration": pick(["stripe", "github", "slack", "datadog"]), "config": {"apiKey": rec.s(tok, kind), "enabled": True}}
        body = cjson(obj)
        bodies.append(body)
        msg = pick(["Endpoint response body before transformations: ", "Method response body after transformations: "]) + body
    elif k == 8:  # query string / path maps
        kind, val, qn = generic_secret()
        m2 = "%s=%s" % (qn, rec.s(val, kind))
        extras = ["page=%d" % rng.randint(1, 9), "limit=%d" % pick([10, 25, 50])]
        if chance(0.5):
            msg = "Method request query string: {%s}" % ", ".join(rng.sample(extras, 1) + [m2])
        else:
            msg = "Method request path: {%s}" % m2
    elif k == 9:  # endpoint URI with secret query
        kind, tok = vendor_token(pick(["stripe_secret_key", "google_api_key", "mailgun_api_key", "sendgrid_api_key",
                                       "datadog_api_key", "telegram_bot_token", "mailchimp_api_key", "jwt"]))
        surf = q(tok) if url_needs_encoding(tok) else tok
        rec.s(surf, kind)
        qn = VENDOR_BY_KIND[kind][6]
        host = VENDOR_BY_KIND[kind][5]
        msg = "Endpoint request URI: https://%s/v2/%s?%s=%s" % (host, pick(["charges", "send", "events", "messages"]), qn, surf)
        rec.k(host)
    elif k == 10:  # configuration error with credentials
        r = rng.randint(0, 2)
        if r == 0:
            pw = rec.s(uri_password(), "db_password")
            msg = "Execution failed due to configuration error: Invalid endpoint address: https://%s:%s@backend.internal.example.com/v1" % (pick(FIRST), pw)
        elif r == 1:
            msg = "Execution failed due to configuration error: " + db_error(rec)
        else:
            kind, tok = vendor_token(pick(["stripe_secret_key", "twilio_api_key", "github_pat", "sendgrid_api_key"]))
            msg = "Execution failed due to configuration error: Unable to transform request: $input.params('%s') resolved to %s" % (
                pick(["api_key", "token"]), rec.s(tok, kind))
    elif k == 11:  # lambda customer error
        err = secret_error(ctx, rec)
        body = cjson({"errorMessage": err, "errorType": pick(["Error", "Runtime.UnhandledPromiseRejection", "AuthError"]),
                      "trace": ["Error: " + err, "    at Runtime.handler (/var/task/index.js:%d:%d)" % (rng.randint(1, 300), rng.randint(1, 40))]})
        bodies.append(body)
        msg = "Endpoint response body before transformations: " + body
    else:  # authorizer log lines
        t = jwt(email() if chance(0.5) else None)
        rec.s(t, "jwt")
        az = rs(LO + DG, 6)
        if chance(0.5):
            rec.k(az)
            msg = "Authorizer %s rejected token %s: signature verification failed" % (az, t)
        else:
            msg = "Incoming identity: %s" % t
    return exec_prefix(ctx, rec, msg), bodies


def exec_benign_line(rec):
    ctx = Ctx("rest")
    t = ctx.t
    fn = pick(FUNCS)
    arn = lambda_arn(ctx.region, ctx.acct, fn)
    k = rng.randint(0, 18)
    bodies = []
    if k == 0:
        msg = "Extended Request Id: " + ctx.ext
        rec.k(ctx.ext)
    elif k == 1:
        msg = "Verifying Usage Plan for request: %s. API Key: **********%s API Stage: %s/%s" % (ctx.rid, rs(ALNUM, 4), ctx.apiid, ctx.stage)
        rec.k(ctx.apiid)
    elif k == 2:
        msg = "Usage Plan check succeeded for API Key **********%s and API Stage %s/%s" % (rs(ALNUM, 4), ctx.apiid, ctx.stage)
        rec.k(ctx.apiid)
    elif k == 3:
        msg = "Starting execution for request: " + ctx.rid
    elif k == 4:
        msg = "HTTP Method: %s, Resource Path: %s" % (ctx.method, ctx.concrete)
        rec.k(ctx.concrete)
    elif k == 5:
        msg = "Method request headers: " + hdr_map(base_req_headers(ctx, rec))
    elif k == 6:
        msg = "Endpoint request URI: https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations" % (ctx.region, arn)
        rec.k(arn)
    elif k == 7:
        sha = hexs(64)
        xr = xray_root(t)
        h = [("X-Amz-Date", amz_date(t)), ("x-amzn-apigateway-api-id", ctx.apiid), ("Accept", "application/json"),
             ("User-Agent", "AmazonAPIGateway_" + ctx.apiid), ("Host", "lambda.%s.amazonaws.com" % ctx.region),
             ("X-Amz-Content-Sha256", sha), ("X-Amzn-Trace-Id", xr), ("x-amzn-lambda-integration-tag", ctx.rid),
             ("Authorization", "*" * rng.randint(80, 400) + hexs(6)),
             ("X-Amz-Source-Arn", execute_api_arn(ctx.region, ctx.acct, ctx.apiid, ctx.stage, ctx.method, ctx.rpath))]
        rec.k(sha, xr, ctx.apiid, amz_date(t), h[-1][1])
        msg = "Endpoint request headers: " + hdr_map(h)
    elif k == 8:
        ev = proxy_event(ctx, rec, {"items": [{"sku": rs(UP + DG, 8), "qty": rng.randint(1, 5)}], "couponCode": None},
                         [("Accept", "application/json"), ("Host", ctx.domain), ("X-Amzn-Trace-Id", xray_root(t))])
        body = cjson(ev)
        bodies.append(body)
        msg = "Endpoint request body after transformations: " + body
    elif k == 9:
        msg = "Sending request to https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations" % (ctx.region, arn)
        rec.k(arn)
    elif k == 10:
        lat = str(rng.randint(3, 2900))
        msg = "Received response. Status: 200, Integration latency: %s ms" % lat
        rec.k(lat + " ms")
    elif k == 11:
        amzid = ruuid()
        xr = xray_root(t)[5:]
        msg = "Endpoint response headers: " + hdr_map([("Date", http_date(t)), ("Content-Type", "application/json"),
                                                      ("Content-Length", str(rng.randint(2, 4000))), ("Connection", "keep-alive"),
                                                      ("x-amzn-RequestId", amzid), ("x-amzn-Remapped-Content-Length", "0"),
                                                      ("X-Amz-Executed-Version", "$LATEST"),
                                                      ("X-Amzn-Trace-Id", "root=%s;parent=%s;sampled=0" % (xr, hexs(16)))])
        rec.k(amzid, xr)
    elif k == 12:
        et, sha = hexs(32), hexs(64)
        inner = cjson({"items": [{"id": ruuid(), "etag": et, "sha256": sha, "updatedAt": iso(t)}], "next": None})
        body = cjson({"statusCode": 200, "headers": {"Content-Type": "application/json", "ETag": '"%s"' % et}, "body": inner})
        bodies.append(body)
        rec.k(et, sha, iso(t))
        msg = "Endpoint response body before transformations: " + body
    elif k == 13:
        msg = "Method completed with status: %d" % ctx.status
        rec.k(str(ctx.status))
    elif k == 14:
        msg = "Successfully completed execution"
    elif k == 15:
        msg = "Execution failed due to configuration error: " + pick(
            ["Malformed Lambda proxy response", "Invalid permissions on Lambda function",
             "No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 502",
             "Invalid endpoint address"])
    elif k == 16:
        az = rs(LO + DG, 6)
        msg = pick(["Starting authorizer: %s for request: %s" % (az, ctx.rid), "Successfully completed authorizer execution",
                    "Unauthorized request: " + ctx.rid, "Authorizer %s returned principalId user-%s" % (az, digits(5))])
    elif k == 17:
        h = b64(rbytes(32))
        msg = ("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded "
               "with Base64): '%s'." % h)
        rec.k(h)
    else:
        lid = ruuid()
        msg = "Lambda invocation failed with status: %d. Lambda request id: %s" % (pick([403, 429, 500]), lid)
        rec.k(lid)
    return exec_prefix(ctx, rec, msg), bodies


def gen_execution(n_secret, n_benign):
    plan = [False] * n_secret + [True] * n_benign
    rng.shuffle(plan)
    for benign in plan:
        rec = Rec()
        line, bodies = (exec_benign_line if benign else exec_secret_line)(rec)
        emit("execution", line, rec, bodies)


# ================================================================ CloudWatch Logs envelopes
def cwl_event_id():
    return digits(56)


def presigned_query(ctx, rec, svc=None):
    temp = chance(0.6)
    akid = rec.s(aws_akid(temp), "aws_access_key_id")
    d = amz_date(ctx.t)
    rec.k(d, "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-SignedHeaders=host")
    svc = svc or pick(["s3", "execute-api", "s3"])
    cred = "%s/%s/%s/%s/aws4_request" % (akid, d[:8], ctx.region, svc)
    cred_s = q(cred) if chance(0.8) else cred
    parts = ["X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Credential=" + cred_s, "X-Amz-Date=" + d,
             "X-Amz-Expires=%d" % pick([60, 300, 900, 3600, 604800]), "X-Amz-SignedHeaders=host"]
    if temp:
        tok = aws_session_token()
        tok_s = q(tok)
        rec.s(tok_s, "aws_session_token")
        parts.append("X-Amz-Security-Token=" + tok_s)
    sig = rec.s(hexs(64), "aws_sigv4_signature")
    parts.append("X-Amz-Signature=" + sig)
    if chance(0.3):
        parts.insert(0, "response-content-disposition=" + q('attachment; filename="report.pdf"'))
    return "&".join(parts)


def cwl_inner_access(rec, benign):
    """(inner json string, ctx)"""
    if not benign and chance(0.45):
        ctx = Ctx("rest" if chance(0.5) else "http")
        k = rng.randint(0, 2)
        if k == 0:
            ctx.rpath, ctx.concrete, ctx.method = "/files/{key+}", "/files/%s/%s.%s" % (
                pick(["exports", "invoices", "avatars"]), ruuid(), pick(["pdf", "csv", "png"])), "GET"
            ctx.rk_override = "GET /files/{key+}"
            ctx.query = presigned_query(ctx, rec)
            f = build_access_fields(ctx, rec, want_path=True)
        elif k == 1:
            f = build_access_fields(ctx, rec)
            bucket = pick(["example-exports", "acme-invoices-prod", "media-uploads-%s" % rs(LO + DG, 6)])
            url = "https://%s.s3.%s.amazonaws.com/%s.pdf?%s" % (bucket, ctx.region, ruuid(), presigned_query(ctx, rec, "s3"))
            f["integrationErrorMessage" if ctx.api == "http" else "errorMessage"] = "S3 returned 403 AccessDenied for " + url
        else:
            f = build_access_fields(ctx, rec)
            f["redirectLocation"] = "https://%s.s3.amazonaws.com/%s?%s" % (pick(["dl-bucket", "share-prod"]), ruuid(), presigned_query(ctx, rec, "s3"))
        if chance(0.3):
            inj_authorizer(ctx, rec)
            for kk, vv in ctx.extra:
                f[kk] = vv
        return cjson(f), ctx
    line, ctx = make_access_line("rest" if chance(0.6) else "http", benign, rec, spaced=False)
    return line, ctx


def exec_in_cwl(rec):
    line, bodies = exec_secret_line(rec)
    return line, bodies


def gen_cwl(n_secret, n_benign):
    plan = [False] * n_secret + [True] * n_benign
    rng.shuffle(plan)
    for benign in plan:
        rec = Rec()
        bodies = []
        shape = rng.choices(["event", "envelope", "exec", "lambda"], weights=[11, 4, 2, 2] if not benign else [3, 1, 0, 0])[0]
        if shape in ("event", "envelope"):
            inner, ctx = cwl_inner_access(rec, benign)
            bodies.append(inner)
            t = ctx.t
            ev = collections.OrderedDict([("id", cwl_event_id()), ("timestamp", epoch_ms(t)), ("message", inner)])
            if shape == "event":
                line = cjson(ev)
            else:
                evs = [ev]
                if chance(0.5):
                    r2 = Rec()
                    inner2, ctx2 = cwl_inner_access(r2, True)
                    evs.append(collections.OrderedDict([("id", cwl_event_id()), ("timestamp", epoch_ms(ctx2.t)), ("message", inner2)]))
                    rec.keep.extend(r2.keep)
                    rng.shuffle(evs)
                lg = pick(["/aws/apigateway/%s-access-logs" % pick(FUNCS), "API-Gateway-Access-Logs_%s/%s" % (ctx.apiid, ctx.stage.strip("$") or "default")])
                env = collections.OrderedDict([("messageType", "DATA_MESSAGE"), ("owner", ctx.acct), ("logGroup", lg),
                                               ("logStream", hexs(32)), ("subscriptionFilters", ["ship-to-siem"]),
                                               ("logEvents", evs)])
                rec.k(ctx.acct, lg)
                line = cjson(env)
        elif shape == "exec":
            msg, bodies = exec_in_cwl(rec)
            ev = collections.OrderedDict([("id", cwl_event_id()), ("timestamp", epoch_ms(rtime())), ("message", msg)])
            line = cjson(ev)
        else:  # Lambda function log with an HTTP API (payload v2.0) event dump
            ctx = Ctx("http")
            bobj = login_body(rec) if chance(0.5) else pii_body(rec)
            name, sid = session_cookie()
            rec.s(sid, "session_cookie")
            t = ctx.t
            ev2 = collections.OrderedDict([
                ("version", "2.0"), ("routeKey", "POST /login"), ("rawPath", "/login"), ("rawQueryString", ""),
                ("cookies", ["%s=%s" % (name, sid)]),
                ("headers", {"content-type": "application/json", "host": ctx.domain, "user-agent": ctx.ua,
                             "x-amzn-trace-id": xray_root(t), "x-forwarded-for": ctx.ip}),
                ("requestContext", {"accountId": ctx.acct, "apiId": ctx.apiid, "domainName": ctx.domain,
                                    "http": {"method": "POST", "path": "/login", "protocol": "HTTP/1.1", "sourceIp": ctx.ip,
                                             "userAgent": ctx.ua}, "requestId": ctx.ext, "routeKey": "POST /login",
                                    "stage": "$default", "time": clf_time(t), "timeEpoch": epoch_ms(t)}),
                ("body", cjson(bobj)), ("isBase64Encoded", False)])
            inner = cjson(ev2)
            bodies.append(inner)
            lrid = ruuid()
            msg = "%s\t%s\tINFO\tevent: %s" % (iso(t), lrid, inner)
            rec.k(iso(t), lrid, ctx.acct, ctx.apiid, ctx.ext, ctx.ip, ctx.ua)
            ev = collections.OrderedDict([("id", cwl_event_id()), ("timestamp", epoch_ms(t)), ("message", msg)])
            line = cjson(ev)
        emit("cwl_message", line, rec, bodies)


# ================================================================ free text
TEXT_PATHS = ["v1/charges", "api/v2/messages", "v3/events", "repos/acme/app/dispatches", "v1/chat/completions",
              "api/2.0/clusters/list", "v1/secrets", "admin/api/2024-04/orders.json", "v2/droplets", "services/collector"]


def text_line(kind, tok, rec):
    _, vendor, _, env, hdr, host, qname = VENDOR_BY_KIND[kind]
    t = rtime()
    ts = iso(t)
    rid = ruuid()
    region = pick(REGIONS)
    p = pick(TEXT_PATHS)
    rec.k(ts)
    templates = list(range(11))
    if hdr is None:
        templates = [2, 3, 4, 6, 8, 9, 10]
    k = pick(templates)
    hn, pfx = hdr if hdr else (None, None)
    qsurf = q(tok) if url_needs_encoding(tok) else tok
    if k in (3, 4):
        rec.s(qsurf, kind)
    else:
        rec.s(tok, kind)
    if k == 0:
        line = "%s\t%s\tERROR\tPOST https://%s/%s -> 401 Unauthorized; sent %s: %s%s" % (ts, rid, host, p, hn, pfx, tok)
        rec.k(rid)
    elif k == 1:
        xr = xray_root(t)
        line = '%s\t%s\tDEBUG\toutgoing request headers: {"%s": "%s%s", "Accept": "application/json", "X-Amzn-Trace-Id": "%s"}' % (
            ts, rid, hn, pfx, tok, xr)
        rec.k(rid, xr)
    elif k == 2:
        line = "%s INFO  [config] loaded environment: AWS_REGION=%s %s=%s LOG_LEVEL=debug" % (ts, region, env, tok)
    elif k == 3:
        line = "%s\t%s\tWARN\tretrying GET https://%s/%s?%s=%s&page=2 (attempt 2/3)" % (ts, rid, host, p, qname, qsurf)
        rec.k(rid)
    elif k == 4:
        line = "[ERROR] %s %s requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://%s/%s?%s=%s" % (
            ts, rid, host, p, qname, qsurf)
        rec.k(rid)
    elif k == 5:
        line = "%s [http-nio-8080-exec-%d] DEBUG org.apache.http.headers - http-outgoing-%d >> %s: %s%s" % (
            ts, rng.randint(1, 40), rng.randint(0, 99), hn, pfx, tok)
    elif k == 6:
        fn = pick(FUNCS)
        line = '%s\t%s\tERROR\tUnhandled exception; environment={"%s":"%s","AWS_REGION":"%s","AWS_LAMBDA_FUNCTION_NAME":"%s"}' % (
            ts, rid, env, tok, region, fn)
        rec.k(rid)
    elif k == 7:
        line = "%s\t%s\tINFO\t$ curl -sS -H '%s: %s%s' https://%s/%s" % (ts, rid, hn, pfx, tok, host, p)
        rec.k(rid)
    elif k == 8:
        line = 'time="%s" level=error msg="credential rejected by %s" %s=%s request_id=%s' % (ts, host, env.lower(), tok, rid)
        rec.k(rid)
    elif k == 9:
        line = '%s ERROR terraform: Error: configuring provider: invalid %s "%s" (HTTP 401), request id %s' % (ts, env, tok, rid)
        rec.k(rid)
    else:
        app = pick(FUNCS)
        line = "%s\t%s\tERROR\tvalue of SSM parameter /%s/prod/%s = %s failed validation" % (ts, rid, app, env.lower(), tok)
        rec.k(rid)
    if hdr and hn and k in (0, 1, 5, 7):
        rec.k(host) if k in (0, 7) else None
    return line


def text_pem_line(rec):
    t = rtime()
    ts = iso(t)
    rid = ruuid()
    kind = pick(["rsa", "pkcs8", "ec", "openssh"])
    lines = pem_body(kind)
    label = PEM_LABEL[kind]
    body = "\\n".join(lines)
    rec.k(ts, rid)
    if kind == "pkcs8" and chance(0.6):
        proj = "%s-%s" % (pick(["acme", "orders", "data"]), digits(6))
        rec.s(body, "gcp_service_account_key")
        line = ('%s\t%s\tDEBUG\tcredentials.json: {"type": "service_account", "project_id": "%s", "private_key_id": "%s", '
                '"private_key": "-----BEGIN PRIVATE KEY-----\\n%s\\n-----END PRIVATE KEY-----\\n", "client_email": "%s@%s.iam.gserviceaccount.com"}'
                % (ts, rid, proj, hexs(40), body, pick(FUNCS), proj))
    else:
        rec.s(body, "private_key")
        line = '%s\t%s\tERROR\tfailed to parse key from env JWT_SIGNING_KEY="-----BEGIN %s-----\\n%s\\n-----END %s-----"' % (
            ts, rid, label, body, label)
    return line


def text_azure_line(rec):
    t = rtime()
    ts = iso(t)
    rec.k(ts)
    acct = "%s%s" % (pick(["acme", "orders", "media"]), rs(LO + DG, 6))
    if chance(0.5):
        key = rec.s(b64(rbytes(64)), "azure_storage_account_key")
        return "%s ERROR StorageException: connection string DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s;EndpointSuffix=core.windows.net rejected" % (
            ts, acct, key)
    sig = q(b64(rbytes(32)))
    rec.s(sig, "azure_sas_signature")
    rec.k("sv=2022-11-02", "spr=https")
    st = t - datetime.timedelta(hours=1)
    se = t + datetime.timedelta(hours=8)
    return ("%s WARN blob download failed: https://%s.blob.core.windows.net/exports/%s.csv?sv=2022-11-02&ss=b&srt=co&sp=r&se=%s&st=%s&spr=https&sig=%s (403)"
            % (ts, acct, ruuid(), q(se.strftime("%Y-%m-%dT%H:%M:%SZ")), q(st.strftime("%Y-%m-%dT%H:%M:%SZ")), sig))


# kinds named in the brief get at least four text lines each
PRIORITY_KINDS = ["twilio_api_key", "twilio_auth_token", "shopify_access_token", "databricks_token", "vault_service_token",
                  "atlassian_api_token", "gitlab_pat", "gitlab_runner_token", "postman_api_key", "doppler_personal_token",
                  "huggingface_token", "age_secret_key", "artifactory_api_key", "slack_bot_token", "slack_user_token",
                  "slack_app_token", "github_pat", "stripe_secret_key", "sendgrid_api_key", "npm_token", "pypi_token",
                  "mailgun_api_key", "datadog_api_key", "newrelic_user_api_key", "heroku_api_key", "digitalocean_pat",
                  "square_access_token", "telegram_bot_token", "discord_bot_token", "okta_api_token",
                  "grafana_service_account_token", "anthropic_api_key", "openai_project_key", "google_api_key",
                  "aws_access_key_id", "aws_secret_key", "jwt"]


def gen_text_vendor(n):
    kinds = [v[0] for v in VENDORS]
    specials = ["pem"] * 8 + ["azure"] * 8
    slots = kinds * 2 + PRIORITY_KINDS * 2
    assert len(slots) + len(specials) <= n, len(slots)
    while len(slots) + len(specials) < n:
        slots.append(pick(kinds))
    slots = slots + specials
    rng.shuffle(slots)
    for kind in slots:
        rec = Rec()
        if kind == "pem":
            line = text_pem_line(rec)
        elif kind == "azure":
            line = text_azure_line(rec)
        else:
            line = text_line(kind, VENDOR_BY_KIND[kind][2](), rec)
        emit("text", line, rec)


def gen_text_benign(n):
    for _ in range(n):
        rec = Rec()
        t = rtime()
        ts = iso(t)
        rid = ruuid()
        region, acct, fn = pick(REGIONS), account_id(), pick(FUNCS)
        arn = lambda_arn(region, acct, fn)
        rec.k(ts)
        k = rng.randint(0, 17)
        if k == 0:
            sha = hexs(40)
            line = "%s\t%s\tINFO\tdeployed commit %s (build %d) to %s" % (ts, rid, sha, rng.randint(100, 9999), arn)
            rec.k(rid, sha, arn)
        elif k == 1:
            d = hexs(64)
            line = "%s INFO image pulled %s.dkr.ecr.%s.amazonaws.com/%s@sha256:%s" % (ts, acct, region, fn, d)
            rec.k("sha256:" + d)
        elif k == 2:
            et, vid = hexs(32), rs(URLSAFE + ".", 32)
            line = '%s\t%s\tINFO\tS3 PutObject ok ETag="%s" VersionId=%s' % (ts, rid, et, vid)
            rec.k(rid, et, vid)
        elif k == 3:
            xr = xray_root(t)
            line = "%s INFO X-Amzn-Trace-Id: %s;Parent=%s;Sampled=1" % (ts, xr, hexs(16))
            rec.k(xr)
        elif k == 4:
            words = pick(["hello world", "this is not a secret", "quarterly report", "the quick brown fox", "password reset requested",
                          "api key rotation scheduled"])
            enc = b64(words.encode())
            line = '%s DEBUG decoded payload base64=%s -> "%s"' % (ts, enc, words)
            rec.k(enc)
        elif k == 5:
            amz2 = b64(rbytes(57))
            rqid = rs(HEXU, 16)
            line = "%s INFO S3 response x-amz-request-id: %s x-amz-id-2: %s" % (ts, rqid, amz2)
            rec.k(rqid, amz2)
        elif k == 6:
            lat = rng.randint(3, 2900)
            line = "%s INFO integration %s latency=%dms status=200" % (ts, rid, lat)
            rec.k(rid, "latency=%dms" % lat)
        elif k == 7:
            cf = rs(URLSAFE, 54) + "=="
            line = "%s INFO cloudfront X-Amz-Cf-Id: %s X-Cache: Miss from cloudfront" % (ts, cf)
            rec.k(cf)
        elif k == 8:
            line = "%s INFO checksum sha1=%s md5=%s size=%d" % (ts, hexs(40), hexs(32), rng.randint(100, 10 ** 7))
            rec.k(line.split("sha1=")[1].split(" ")[0], line.split("md5=")[1].split(" ")[0])
        elif k == 9:
            kms = "arn:aws:kms:%s:%s:key/%s" % (region, acct, ruuid())
            line = "%s INFO decrypting with %s via role arn:aws:iam::%s:role/%s-exec" % (ts, kms, acct, fn)
            rec.k(kms, "arn:aws:iam::%s:role/%s-exec" % (acct, fn))
        elif k == 10:
            line = "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 128 MB\tMax Memory Used: %d MB\tInit Duration: %.2f ms" % (
                rid, rng.uniform(1, 900), rng.randint(1, 900), rng.randint(40, 128), rng.uniform(80, 900))
            rec.keep.remove(ts)
            rec.k(rid)
        elif k == 11:
            line = "%s WARN token expired at %s for principal arn:aws:sts::%s:assumed-role/%s/session-%d" % (
                ts, iso(t - datetime.timedelta(minutes=5)), acct, fn, rng.randint(1000, 9999))
            rec.k(iso(t - datetime.timedelta(minutes=5)), acct)
        elif k == 12:
            line = "%s INFO password policy updated: min_length=%d require_symbols=true max_age_days=90" % (ts, pick([12, 14, 16]))
        elif k == 13:
            line = "%s\t%s\tWARN\tAuthorization header missing; api key id %s usage plan %s" % (ts, rid, rs(LO + DG, 10), rs(LO + DG, 6))
            rec.k(rid, line.split("api key id ")[1].split(" ")[0])
        elif k == 14:
            cid, cus = "ch_" + rs(ALNUM, 24), "cus_" + rs(ALNUM, 14)
            line = "%s INFO Stripe charge %s captured for customer %s amount=%d" % (ts, cid, cus, rng.randint(100, 99999))
            rec.k(cid, cus)
        elif k == 15:
            evid = digits(56)
            line = "%s INFO forwarded CloudWatch event id %s from log group /aws/lambda/%s" % (ts, evid, fn)
            rec.k(evid, "/aws/lambda/" + fn)
        elif k == 16:
            u1, u2 = ruuid(), ruuid()
            line = "%s INFO session %s linked to device %s (country=%s)" % (ts, u1, u2, pick(["US", "DE", "IN", "FR", "GB"]))
            rec.k(u1, u2)
        else:
            tag = "v%d.%d.%d" % (rng.randint(0, 9), rng.randint(0, 30), rng.randint(0, 20))
            sha = hexs(40)
            line = "%s INFO git tag %s -> %s (tree %s)" % (ts, tag, sha, hexs(40))
            rec.k(sha)
        emit("text", line, rec)


# ================================================================ main
def main():
    gen_json_access(n_secret=420, n_benign=100)
    gen_clf(n_secret=55, n_benign=25)
    gen_execution(n_secret=330, n_benign=70)
    gen_cwl(n_secret=175, n_benign=25)
    gen_text_vendor(300)
    gen_text_benign(100)

    ids = set()
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        for r in RECORDS:
            assert r["id"] not in ids
            ids.add(r["id"])
            assert len(r["secrets"]) == len(r["kinds"])
            for s in r["secrets"]:
                assert s in r["line"]
            for k in r["keep"]:
                assert k in r["line"]
            fh.write(json.dumps(r, ensure_ascii=True) + "\n")

    by_layout = collections.Counter(r["layout"] for r in RECORDS)
    with_secret = collections.Counter(r["layout"] for r in RECORDS if r["secrets"])
    by_kind = collections.Counter(k for r in RECORDS for k in r["kinds"])
    vendors = sorted({v[1] for v in VENDORS if v[1] != "generic"})
    text_kinds = {k for r in RECORDS if r["layout"] == "text" for k in r["kinds"]}
    print("wrote %d lines to %s" % (len(RECORDS), OUT))
    print("\nper layout (total / with secrets / benign):")
    for lay in LAYOUTS:
        print("  %-12s %5d %5d %5d" % (lay, by_layout[lay], with_secret[lay], by_layout[lay] - with_secret[lay]))
    print("\nsecret labels: %d; keep labels: %d; keep candidates dropped (only inside a secret): %d" % (
        sum(by_kind.values()), sum(len(r["keep"]) for r in RECORDS), DROPPED_KEEP[0]))
    print("vendors in catalogue: %d (%s)" % (len(vendors), ", ".join(vendors)))
    print("distinct kinds in text layout: %d" % len(text_kinds))
    print("\nper kind:")
    for k, c in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %-36s %5d" % (k, c))


if __name__ == "__main__":
    main()
