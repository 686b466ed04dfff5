//! What a field or parameter name, or a word in free text, says about its value.

use super::*;

/// How a field or parameter name marks its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameClass {
    /// Always secret, reported under this kind.
    Secret(Kind),
    /// Secret only if the value looks random (`key=…`, `auth=…`).
    IfRandom(Kind),
    /// `authorization`: scheme-aware.
    Authorization,
    /// `cookie` / `set-cookie`.
    Cookie,
    /// Never scrubbed (source IP fields keep their value byte for byte).
    Exempt,
    /// A fact about a credential (`tokenType`, `password_min_length`, `Expiration`): scrubbed as
    /// plain text even inside a secret object.
    Fact,
    Plain,
}

/// Classifies a field/parameter name (case, `-`, `_` and `.` ignored). A dotted name
/// (`authorizer.sessionId`, `authorizer.claims.phone_number`) is classified by its last
/// component first: a custom access-log format names its fields after where they came from.
pub(crate) fn classify_name(name: &str, extra: &[String]) -> NameClass {
    // A name from escaped JSON in text (`\u5bc6\u7801`, 密码) is judged by its characters.
    if name.contains("\\u") {
        let decoded = decode_unicode_escapes(name);
        if decoded != name {
            return classify_name(&decoded, extra);
        }
    }
    if let Some((_, last)) = name.rsplit_once(['.', ':'])
        && !last.is_empty()
    {
        match classify_whole_name(last, extra) {
            NameClass::Plain => {}
            class => return class,
        }
    }
    classify_whole_name(name, extra)
}

/// `name` with its `\uXXXX` escapes (behind any number of backslashes) replaced by their
/// characters; anything else is kept as it is.
fn decode_unicode_escapes(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = rest[at..].trim_start_matches('\\');
        let escape = tail
            .strip_prefix('u')
            .and_then(|h| h.get(..4))
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| char::from_u32(u32::from_str_radix(h, 16).ok()?));
        match escape {
            Some(c) => {
                out.push(c);
                rest = &tail[5..];
            }
            None => {
                out.push_str(&rest[at..rest.len() - tail.len()]);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// "Password" in scripts the ASCII normalisation below drops (Cyrillic, Japanese, Korean,
/// Chinese, Arabic, Hebrew, Thai, Greek) and in Turkish.
const PASSWORD_WORDS: &[&str] = &[
    "пароль",
    "パスワード",
    "비밀번호",
    "密码",
    "密碼",
    "كلمة المرور",
    "كلمة_المرور",
    "סיסמה",
    "รหัสผ่าน",
    "κωδικός",
    "şifre",
    "mật khẩu",
    // Hindi; Japanese "PIN" (暗証番号).
    "पासवर्ड",
    "कूटशब्द",
    "暗証番号",
];

/// "Date of birth" in scripts the ASCII normalisation drops (Japanese, Chinese, Korean,
/// Russian) and in Turkish.
const BIRTH_WORDS: &[&str] = &[
    "生年月日",
    "出生日期",
    "出生年月日",
    "생년월일",
    "дата рождения",
    "датарождения",
    "doğum tarihi",
    "doğumtarihi",
    // Hindi.
    "जन्म_तिथि",
    "जन्म तिथि",
    "जन्मतिथि",
];

/// "Address" (of a home) in scripts the ASCII normalisation drops: Japanese, Chinese, Korean,
/// Russian, Greek, Arabic, Hebrew.
const ADDRESS_WORDS: &[&str] =
    &["住所", "地址", "住址", "주소", "адрес", "адрес проживания", "διεύθυνση", "العنوان", "כתובת", "पता"];

/// Identity, tax and passport numbers in scripts the ASCII normalisation drops: Japan's My
/// Number and passport number, China's resident id and passport, Korea's resident registration
/// and passport numbers, India's Aadhaar and PAN, Russia's passport.
const NATIONAL_WORDS: &[&str] = &[
    "マイナンバー",
    "個人番号",
    "パスポート番号",
    "旅券番号",
    "身份证",
    "护照",
    "주민등록번호",
    "여권번호",
    "आधार",
    "पैन",
    "पासपोर्ट",
    "паспорт",
];

/// Membership numbers (health insurance, loyalty programmes) and bank accounts, in scripts the
/// ASCII normalisation drops.
const MEMBER_WORDS: &[&str] = &["被保険者番号", "会員番号", "保険証番号", "सदस्य_आईडी", "सदस्य आईडी", "सदस्यता"];
const ACCOUNT_WORDS: &[&str] = &["口座番号", "银行账号", "계좌번호", "बैंक_खाता", "बैंक खाता", "खाता_संख्या"];

pub(super) fn classify_whole_name(name: &str, extra: &[String]) -> NameClass {
    if !name.is_ascii() {
        let lower = name.to_lowercase();
        if PASSWORD_WORDS.iter().any(|w| lower.contains(w)) {
            return NameClass::Secret(Kind::Password);
        }
        if BIRTH_WORDS.iter().any(|w| lower.contains(w)) {
            return NameClass::Secret(Kind::DateOfBirth);
        }
        if ADDRESS_WORDS
            .iter()
            .any(|w| lower == *w || lower.ends_with(w) || lower.starts_with(&format!("{w}_")))
        {
            return NameClass::Secret(Kind::Address);
        }
        if NATIONAL_WORDS.iter().any(|w| lower.contains(w)) {
            return NameClass::Secret(Kind::NationalId);
        }
        if MEMBER_WORDS.iter().any(|w| lower.contains(w)) {
            return NameClass::Secret(Kind::MemberId);
        }
        if ACCOUNT_WORDS.iter().any(|w| lower.contains(w)) {
            return NameClass::Secret(Kind::AccountNumber);
        }
    }
    // A one-time code under any name that has `otp` as a word (`EMAIL_OTP_CODE`, `smsOtp`).
    if name.len() >= 3 && has_word(name, "otp") {
        return NameClass::Secret(Kind::Token);
    }
    // Normalised on the stack: this runs for every key of every JSON line.
    let mut buf = [0u8; 64];
    let mut len = 0;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            if len == buf.len() {
                return NameClass::Plain; // no sensitive name is that long
            }
            buf[len] = b.to_ascii_lowercase();
            len += 1;
        }
    }
    let n = std::str::from_utf8(&buf[..len]).expect("ASCII");
    if !extra.is_empty() && extra.iter().any(|e| e == n) {
        return NameClass::Secret(Kind::Secret);
    }
    match n {
        "ip" | "sourceip" | "clientip" | "remoteaddr" => return NameClass::Exempt,
        // The WebSocket handshake's nonce and its answer (RFC 6455): public, not keys.
        "secwebsocketkey" | "secwebsocketaccept" => return NameClass::Plain,
        "authorization" | "proxyauthorization" => return NameClass::Authorization,
        "cookie" | "setcookie" | "cookies" => return NameClass::Cookie,
        // A one-time challenge's answer (Cognito custom auth) and invitation codes.
        "challengeanswer" | "privatechallengeparameters" => return NameClass::Secret(Kind::Token),
        "invitecode" | "invitetoken" | "invitationcode" | "invitationtoken" => {
            return NameClass::IfRandom(Kind::Token);
        }
        "ssn" | "socialsecuritynumber" => return NameClass::Secret(Kind::Ssn),
        // A health plan's or club's member named by the bare word (`member=HNF-1408-4957`).
        "member" => return NameClass::Secret(Kind::MemberId),
        "cardnumber" | "ccnumber" | "creditcard" | "creditcardnumber" | "pan" | "cvv" | "cvc" => {
            return NameClass::Secret(Kind::Card);
        }
        // `confirm` beside a password in a sign-up form is its repetition; `clave` (Spanish)
        // and `katasandi` (Indonesian) are passwords.
        "pwd" | "pass" | "pin" | "pincode" | "passphrase" | "confirm" | "clave" | "katasandi" | "sifre" => {
            return NameClass::Secret(Kind::Password);
        }
        // `CLAVE_BD`, `clave_acceso` (Spanish: the database's, the access password).
        _ if n.starts_with("clave") => return NameClass::Secret(Kind::Password),
        // "Key" in German, Spanish, Portuguese and Italian: secret when random.
        "schluessel" | "schlussel" | "schlssel" | "llave" | "chave" | "chiave" => {
            return NameClass::IfRandom(Kind::ApiKey);
        }
        // Confirmation and verification codes in German, Spanish, Portuguese and French.
        "bestaetigungscode"
        | "bestatigungscode"
        | "besttigungscode"
        | "verifizierungscode"
        | "codigodeverificacion"
        | "codigoverificacion"
        | "codigodeverificacao"
        | "codigoverificacao"
        | "codedeverification"
        | "codeverification" => return NameClass::Secret(Kind::Token),
        "xamzsignature" | "xamzsecuritytoken" | "signature" => {
            return NameClass::Secret(Kind::AwsSigv4);
        }
        // OAuth's and SAML's round-trip values against request forgery (RFC 6749, 10.12):
        // opaque, bound to one browser's flow, no credential. Detectors still look inside.
        "state" | "relaystate" => return NameClass::Fact,
        // Pagination cursors (AWS `NextToken`, Google `pageToken`, S3 `ContinuationToken`): a
        // position in a listing, not a credential.
        "nexttoken"
        | "nextpagetoken"
        | "pagetoken"
        | "continuationtoken"
        | "nextcontinuationtoken"
        | "paginationtoken"
        | "startingtoken"
        | "cursor"
        | "nextcursor"
        | "nextmarker" => {
            return NameClass::Fact;
        }
        // Keys that name records, not secrets: Kinesis partition and hash keys, DynamoDB keys,
        // Cognito device keys, S3 object keys, cache and routing keys.
        "partitionkey" | "explicithashkey" | "hashkey" | "rangekey" | "sortkey" | "devicekey"
        | "objectkey" | "s3key" | "cachekey" | "routingkey" | "messagekey" => return NameClass::Fact,
        // Webhook signatures (`Stripe-Signature`, `X-Hub-Signature-256`, `X-Slack-Signature`,
        // `X-Shopify-Hmac-Sha256`): an HMAC of the body that replays within the sender's window.
        _ if (n.contains("signature") || n.contains("hmac"))
            && ![
                "method",
                "version",
                "algorithm",
                "alg",
                "type",
                "expires",
                "expiry",
                "header",
                "headers",
            ]
            .iter()
            .any(|m| n.ends_with(m)) =>
        {
            return NameClass::Secret(Kind::Secret);
        }
        // A SigV4 credential is an access key id and its scope (a date, a region, a service):
        // read as text, so the key id's own detector takes it and the scope stays.
        "xamzcredential" => return NameClass::Fact,
        "sid" | "sessionid" | "session" | "jsessionid" | "phpsessid" => {
            return NameClass::Secret(Kind::Token);
        }
        // OAuth authorization codes: secret when they look random.
        "code" | "authcode" | "authorizationcode" => return NameClass::IfRandom(Kind::Token),
        // One-time codes are short numbers: the name is all there is to go on.
        "otp" | "totp" | "otpcode" | "mfacode" | "verificationcode" | "smscode" | "onetimecode"
        | "onetimepassword" | "passcode" => return NameClass::Secret(Kind::Token),
        // A SAML response is a signed bearer assertion.
        "samlresponse" | "samlassertion" => return NameClass::Secret(Kind::Token),
        // PKCE's verifier (RFC 7636): with the authorization code it buys the tokens.
        "codeverifier" | "pkceverifier" => return NameClass::Secret(Kind::Token),
        // A date of birth as travel APIs name it (`born_on`).
        "bornon" | "borndate" | "dateborn" => return NameClass::Secret(Kind::DateOfBirth),
        _ => {}
    }
    // National identity numbers (the UK's National Insurance number, passports, tax ids).
    // A Set-Cookie header logged under a prefixed name (`resp_set_cookie`): it sets sessions.
    if n.ends_with("setcookie") {
        return NameClass::Cookie;
    }
    // Before the facts below: `national_id` ends like an id, `tax_ref` like a reference.
    if n.contains("nationalinsurance")
        || n == "nino"
        || n.contains("passportnumber")
        || n == "taxid"
        || n.contains("nationalid")
        || n.contains("taxref")
    {
        return NameClass::Secret(Kind::NationalId);
    }
    // Numbers that name a person in a register, before the facts below (`insuredId`,
    // `memberNo` end like ids): health-plan member and beneficiary numbers (HIPAA counts them
    // as identifiers), loyalty and frequent-flyer numbers, tax and government id numbers and
    // bank accounts, also behind a prefix (`custom:member_id`, `authorizerInsuredId`).
    if let Some(kind) = personal_number(n) {
        return NameClass::Secret(kind);
    }
    // Personal access tokens (`pat`, `AZURE_DEVOPS_EXT_PAT`): secret when they look random.
    if n.ends_with("pat") {
        return NameClass::IfRandom(Kind::Token);
    }
    // Session cookies and ids by any prefix (`_app_session`, `__Host-session`, `connect.sid`).
    if n.ends_with("session")
        || n.ends_with("sessid")
        || n.ends_with("sessionid")
        || n.ends_with("sessiontoken")
    {
        return NameClass::Secret(Kind::Token);
    }
    match n {
        "privatekeyid" => return NameClass::Secret(Kind::Secret),
        "phone" | "phonenumber" | "mobile" | "mobilenumber" | "msisdn" | "tel" | "telephone" | "cell"
        | "cellphone" => {
            return NameClass::Secret(Kind::Phone);
        }
        _ => {}
    }
    // Facts about credentials (apiKeyId, tokenType, password_min_length, token_ttl_seconds…)
    // are not credentials.
    const META: &[&str] = &[
        "id",
        "type",
        "name",
        "expiry",
        "expires",
        "expiration",
        "expiresin",
        "expiresat",
        "length",
        "len",
        "ttl",
        "seconds",
        "secs",
        "ms",
        "minutes",
        "count",
        "policy",
        "required",
        "enabled",
        "strength",
        "hint",
        "format",
        "version",
        "at",
        "url",
        "uri",
        "endpoint",
        "reset",
        "rules",
        "location",
        "source",
        "usage",
        "scope",
        "scopes",
        // `SECRET_REF`, `db_password_arn`: where a secret is kept, not the secret.
        "ref",
        "arn",
        // `PASSWORD_HASHERS`, `password_validators`, `token_algorithm`: settings.
        "hasher",
        "hashers",
        "validators",
        "algorithm",
    ];
    if META.iter().any(|m| n.ends_with(m)) || n.contains("requires") {
        return NameClass::Fact;
    }
    // Digests and checksums look random but are facts about content, not credentials.
    const DIGESTS: &[&str] =
        &["checksum", "sha1", "sha256", "sha512", "md5", "digest", "hash", "etag", "crc32"];
    if DIGESTS.iter().any(|d| n.contains(d)) && !n.contains("password") && !n.contains("secret") {
        return NameClass::Fact;
    }
    // Request, trace and idempotency ids look random too (`x-amz-id-2`, `Idempotency-Key`).
    const IDS: &[&str] =
        &["requestid", "traceid", "spanid", "amzid", "correlation", "idempotency", "messageid"];
    if IDS.iter().any(|d| n.contains(d)) {
        return NameClass::Fact;
    }
    // `telefon`, `telefone`, `telefono`, `téléphone` (its accents dropped by the normalisation).
    if n.contains("phone")
        || n.ends_with("mobile")
        || n.ends_with("msisdn")
        || n.contains("telefon")
        || n.contains("tlphone")
    {
        return NameClass::Secret(Kind::Phone);
    }
    // Personal data that no pattern recognises but the field name does.
    if n.ends_with("ssn")
        || n.starts_with("ssn")
        || n.contains("socialsecurity")
        || n == "tin"
        || n.ends_with("taxid")
    {
        return NameClass::Secret(Kind::Ssn);
    }
    // National identity and tax numbers by their own short names: Brazil's CPF, Spain's DNI,
    // NIE and NIF, Mexico's CURP, Turkey's TCKN, Poland's PESEL, the Netherlands' BSN, Sweden's
    // personnummer, Italy's codice fiscale, France's NIR, Russia's SNILS and INN, India's
    // Aadhaar, Chile's RUT, Argentina's CUIL/CUIT, Singapore's NRIC, Indonesia's NIK, Canada's SIN.
    const NATIONAL: &[&str] = &[
        "cpf",
        "dni",
        "nie",
        "nif",
        "curp",
        "tckn",
        "tcno",
        "tckimlikno",
        "kimlikno",
        "pesel",
        "bsn",
        "personnummer",
        "codicefiscale",
        "nir",
        "snils",
        "inn",
        "aadhaar",
        "aadhar",
        "rut",
        "cuil",
        "cuit",
        "nric",
        "nik",
        "sin",
        "hkid",
        "dninumber",
        "cpfnumber",
        "nienumber",
        "nifnumber",
    ];
    // Also as `numero_cpf`, `cpf_number`, `dni_no`, `nr_pesel`.
    let bare = ["numero", "numro", "nmero", "num", "no", "nr"]
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .or_else(|| ["number", "num", "no", "nr"].iter().find_map(|s| n.strip_suffix(s)))
        .unwrap_or(n);
    if NATIONAL.contains(&n) || NATIONAL.contains(&bare) {
        return NameClass::Secret(Kind::NationalId);
    }
    if n.contains("passport")
        || n.ends_with("nino")
        || n.contains("nationalid")
        || n.contains("idnumber")
        || n.contains("documentnumber")
    {
        return NameClass::Secret(Kind::NationalId);
    }
    // Dates of birth, also as Spanish, German, French, Portuguese and Italian field names.
    const BIRTH: &[&str] = &[
        "dateofbirth",
        "birthdate",
        "birthday",
        "fechadenacimiento",
        "fechanacimiento",
        "geburtsdatum",
        "datedenaissance",
        "datadenascimento",
        "datanascimento",
        "datadinascita",
        "naissance",
        "nascimento",
        "nacimiento",
        "geburtstag",
    ];
    if n == "dob" || n.ends_with("dob") || BIRTH.iter().any(|w| n.contains(w)) {
        return NameClass::Secret(Kind::DateOfBirth);
    }
    const NOT_POSTAL: &[&str] = &[
        "ip", "mail", "mac", "remote", "source", "client", "host", "server", "wallet", "url", "web", "net",
        "peer", "local", "bind", "listen", "contract", "node",
    ];
    // `address1`, `address_2` (shop checkouts); `line1`, `line2` (payment APIs' address objects).
    // `Anschrift`, `Adresse`, `dirección`, `endereço`, `indirizzo`, `adres` (accents dropped).
    const HOME: &[&str] = &[
        "strasse",
        "hausnummer",
        "anschrift",
        "adresse",
        "wohnadresse",
        "direccion",
        "direccin",
        "endereco",
        "endereo",
        "indirizzo",
        "adres",
        "domicilio",
    ];
    let numbered_address =
        n.strip_prefix("address").is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
            || matches!(n, "line1" | "line2" | "line3");
    if (n.ends_with("address")
        || numbered_address
        || n.contains("street")
        || n.starts_with("addressline")
        || n.ends_with("addressline1")
        || HOME.iter().any(|w| n.contains(w)))
        && !NOT_POSTAL.iter().any(|w| n.contains(w))
    {
        return NameClass::Secret(Kind::Address);
    }
    // Password in other languages (accented letters are dropped by the normalisation:
    // `contraseña` is `contrasea`, `lösenord` is `lsenord`).
    const PASSWORD: &[&str] = &[
        "password",
        "passwd",
        "motdepasse",
        "contrase",
        "passwort",
        "kennwort",
        "senha",
        "wachtwoord",
        "haslo",
        "heslo",
        "salasana",
        "lsenord",
        "losenord",
        "adgangskode",
        "passord",
        "jelszo",
        "parola",
        "lozinka",
        "geslo",
        "pincode",
    ];
    if PASSWORD.iter().any(|w| n.contains(w)) {
        NameClass::Secret(Kind::Password)
    } else if n.contains("secret") || n.contains("credential") || n.contains("privatekey") {
        NameClass::Secret(Kind::Secret)
    } else if n.contains("apikey") || n == "xapikey" || n.contains("accesskey") {
        NameClass::Secret(Kind::ApiKey)
    } else if n.contains("token") {
        NameClass::Secret(Kind::Token)
    } else if n == "key"
        || n.ends_with("key")
        || n.replace("authorizer", "").contains("auth")
        || n.ends_with("sig")
    {
        NameClass::IfRandom(Kind::ApiKey)
    } else {
        NameClass::Plain
    }
}

/// Whether `word` (lowercase) is one of `name`'s words: split at separators and where a lower
/// case letter meets an upper case one (`EMAIL_OTP_CODE`, `smsOtp`, `otp-code`).
fn has_word(name: &str, word: &str) -> bool {
    let b = name.as_bytes();
    let mut start = 0;
    for i in 0..=b.len() {
        let boundary = i == b.len()
            || !b[i].is_ascii_alphanumeric()
            || (i > start && b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase());
        if boundary {
            if b[start..i].eq_ignore_ascii_case(word.as_bytes()) {
                return true;
            }
            start = if i < b.len() && b[i].is_ascii_alphanumeric() { i } else { i + 1 };
        }
    }
    false
}

/// The kind of personal number a normalised name holds, if it names one (see the caller).
fn personal_number(n: &str) -> Option<Kind> {
    const MEMBER: &[&str] = &[
        "memberid",
        "memberno",
        "membernum",
        "insuredid",
        "insurednum",
        "insuredno",
        "insurancememberid",
        "insurancenumber",
        "beneficiaryid",
        "beneficiarynum",
        "subscriberid",
        "healthcard",
        "medicare",
        "medicaid",
        "nhsnumber",
        "versichertennummer",
        "versichertennr",
        "numeroadherent",
        "numerodemutuelle",
        "numrodemutuelle",
        "mutuelle",
        "tarjetasanitaria",
        "carteirinha",
        "cartaosus",
        "ffpnumber",
        "ffpno",
        "frequentflyer",
        "frequentflier",
        "viajerofrecuente",
        "fidelidade",
        "loyaltynumber",
        "loyaltyid",
        "loyaltyno",
        "smilesnumero",
        "milesandmore",
        "mileagenumber",
        "medicalrecordnumber",
        "patientnumber",
    ];
    const NATIONAL: &[&str] = &[
        "taxid",
        "taxnumber",
        "taxidentification",
        "taxpayerid",
        "steuerid",
        "steuernummer",
        "steueridentifikation",
        "numerofiscal",
        "nmerofiscal",
        "govid",
        "governmentid",
        "personalausweis",
        "ausweisnummer",
        "idcardnumber",
        "docnumber",
        "documentno",
        "driverslicense",
        "driverlicense",
        "drivinglicence",
        "securitesociale",
        "scuritsociale",
        "numrosc",
        "numerosecu",
        "mynumber",
        "niedni",
        "passaporte",
        "pasaporte",
        "reisepass",
    ];
    const ACCOUNT: &[&str] = &[
        "bankaccount",
        "accountnumber",
        "accountno",
        "kontonummer",
        "contacorrente",
        "numerocuenta",
        "numerodecuenta",
        "cuentabancaria",
        "numerodeconta",
    ];
    // An AWS or cloud account number is an identifier of infrastructure, not of a person.
    let cloud = ["aws", "cloud", "azure", "gcp", "billing", "stripe"].iter().any(|w| n.contains(w));
    if MEMBER.iter().any(|w| n.contains(w)) || matches!(n, "ffp" | "ffn" | "mrn") {
        Some(Kind::MemberId)
    } else if NATIONAL.iter().any(|w| n.contains(w)) || n.ends_with("tin") && n.starts_with("custom") {
        Some(Kind::NationalId)
    } else if ACCOUNT.iter().any(|w| n.contains(w)) && !cloud {
        Some(Kind::AccountNumber)
    } else {
        None
    }
}

/// A cookie set by analytics, consent management or a load balancer's affinity, by its
/// documented name: Google Analytics and Ads (`_ga`, `_ga_<id>`, `_gid`, `_gat`, `__utm*`,
/// `_gcl_*`), Meta (`_fbp`, `_fbc`), Hotjar (`_hj*`), Microsoft Clarity (`_clck`, `_clsk`),
/// Segment's anonymous id, OneTrust (`Optanon*`), AWS load balancer stickiness (`AWSALB*`) and
/// Azure's `ARRAffinity*`. None of them authenticates anyone: they are kept.
pub(super) fn analytics_cookie(name: &str) -> bool {
    matches!(name, "_ga" | "_gid" | "_gat" | "_fbp" | "_fbc" | "_clck" | "_clsk" | "ajs_anonymous_id")
        || ["_ga_", "_gat_", "__utm", "_gcl_", "_hj", "Optanon", "AWSALB", "ARRAffinity"]
            .iter()
            .any(|p| name.starts_with(p))
}

/// Whether a candidate holds three or more words between its separators, each four letters
/// or more in lower case or capitalised (`API-Gateway-Execution-Logs_y7eo0yys47`): a name made
/// by people. A generated token's runs between separators are mixed-case noise, and a vendor's
/// prefix is one or two words (`tskey-auth-…`).
fn wordy(s: &str) -> bool {
    let word = |w: &&str| {
        let b = w.as_bytes();
        b.len() >= 4 && b[1..].iter().all(u8::is_ascii_lowercase) && b[0].is_ascii_alphabetic()
    };
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter(word).count() >= 3
}

/// A value that looks like a generated credential whatever its name: 32 to 4096 characters of
/// a token alphabet, upper and lower case and digits mixed, at least 4 bits of entropy per
/// character. Hex digests, UUIDs and request ids (one case, or shorter) do not qualify.
pub(super) fn random_token(s: &str) -> bool {
    let b = s.as_bytes();
    // A URL or the rest of one (`//host/path` after `https:`) is an address, not a token.
    (32..=4096).contains(&b.len())
        && !s.starts_with("//")
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"-_.~+/=".contains(c))
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_digit)
        && validate::entropy(s) >= 4.0
        && !base64_of_text(s)
        && !dns_name(s)
        && !wordy(s)
}

/// A fully qualified host name (`SRV-SQL01.corp.example.com`): three labels or more, the last
/// one letters (a top-level domain). JWTs and dotted tokens end in a random segment.
fn dns_name(s: &str) -> bool {
    s.bytes().filter(|&b| b == b'.').count() >= 2
        && host_name(s)
        && s.rsplit('.')
            .next()
            .is_some_and(|tld| (2..=24).contains(&tld.len()) && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Base64 of readable text (`YXBpIGtleSByb3RhdGlvbg==`, "api key rotation") or of a JSON
/// object or array (pagination cursors: `eyJwayI6…` is `{"pk":…}`): data, not a generated
/// credential, whose bytes would not be text. (A credential inside such a blob is found by the
/// base64 detectors, which decode it.)
pub(super) fn base64_of_text(s: &str) -> bool {
    use base64::Engine as _;
    let engines = [base64::engine::general_purpose::STANDARD, base64::engine::general_purpose::URL_SAFE];
    engines.iter().any(|e| {
        e.decode(s.trim_end_matches('=')).or_else(|_| e.decode(s)).is_ok_and(|b| {
            std::str::from_utf8(&b).is_ok_and(|t| {
                let json =
                    (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']'));
                (t.contains(' ') || json) && t.chars().all(|c| !c.is_control() || c == '\n' || c == '\t')
            })
        })
    })
}

/// Whether a value named in free text (`password Silver1997$`) looks like a credential rather
/// than prose (`password incorrect`, `token expired`): at least eight characters, a letter, and
/// a digit or a symbol; or nine digits after `ssn` (checked by the caller's kind).
pub(super) fn context_value(s: &str) -> bool {
    let s = s.trim_end_matches(['.', ':', '!', '?']);
    if s.starts_with(MARKER) || s.contains("://") || aws_unique_id(s) {
        return false;
    }
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if digits == 9 && s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return validate::ssn(s);
    }
    s.len() >= 8
        && s.bytes().any(|b| b.is_ascii_alphabetic())
        && (digits > 0 || s.bytes().any(|b| b.is_ascii_punctuation() && b != b'-' && b != b'_' && b != b'.'))
}

/// An IAM unique id (`AIDA…` user, `AROA…` role, …): an identifier, not a credential.
pub(super) fn aws_unique_id(s: &str) -> bool {
    const PREFIXES: &[&str] = &["AIDA", "AROA", "AIPA", "ANPA", "ANVA", "AGPA", "ASCA", "APKA"];
    s.len() >= 20
        && PREFIXES.iter().any(|p| s.starts_with(p))
        && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b':')
}

/// The kind a context word gives its value; `None` when the two do not go together (nine
/// digits are an SSN only after `ssn`, and `ssn` names nothing else).
pub(super) fn context_kind(word: &str, value: &str) -> Option<Kind> {
    let w = word.to_ascii_lowercase();
    let ssn_word = w == "ssn" || w.starts_with("social");
    let ssn_value = value.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if ssn_word || ssn_value {
        return (ssn_word && ssn_value).then_some(Kind::Ssn);
    }
    // The password words of other languages (the prose rule in `commands.rs`).
    let foreign = !w.is_ascii()
        || ["kennwort", "contrase", "senha", "mot de passe", "wachtwoord", "passord", "sandi"]
            .iter()
            .any(|p| w.contains(p));
    Some(if w.starts_with("pass") || w == "pwd" || foreign {
        Kind::Password
    } else if w.contains("key") {
        Kind::ApiKey
    } else if w.contains("token") || w.starts_with("session") {
        Kind::Token
    } else {
        Kind::Secret
    })
}

/// Whether a value under a name that takes random values (`code`, `…key`, `auth`) is the
/// secret: it looks generated, or (for token names) it is a one-time code (`"code": "909882"`:
/// six digits, the length of TOTP and SMS codes; status and error codes are shorter).
pub(super) fn random_enough(kind: Kind, v: &str) -> bool {
    validate::high_entropy(v)
        || (kind == Kind::Token && v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()))
}

/// A value under a secret name that holds nothing secret: none (`-`, `null`), a flag
/// (`"confirm":"true"`), a mask or reference ([`validate::placeholder`]), or, under an address
/// name, a socket or host (`peer.address: 10.1.2.3:5443`, `server.address: api.example.com`)
/// rather than a street, and a membership or account number without digits.
pub(super) fn benign_value(kind: Kind, v: &str) -> bool {
    const NONE: &[&str] =
        &["-", "null", "nil", "none", "undefined", "true", "false", "yes", "no", "on", "off"];
    v.is_empty()
        || NONE.iter().any(|w| v.eq_ignore_ascii_case(w))
        // An ARN names a resource (`secretId: arn:aws:secretsmanager:…:secret:db-AbCdEf`); a
        // password is whatever its owner typed.
        || (kind != Kind::Password && aws_arn(v))
        || validate::placeholder(v)
        || (kind == Kind::Address && (is_address(v) || host_name(v)))
        // A membership or account number has digits: `{memberId}`, `self`, `primary` are not one.
        || (matches!(kind, Kind::MemberId | Kind::AccountNumber) && v.bytes().filter(u8::is_ascii_digit).count() < 4)
}

/// An Amazon Resource Name: `arn:<partition>:<service>:<region>:<account>:<resource>`.
pub(super) fn aws_arn(v: &str) -> bool {
    ["arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:"].iter().any(|p| v.starts_with(p))
        && v.bytes().filter(|&b| b == b':').count() >= 5
        && !v.bytes().any(|b| b.is_ascii_whitespace())
}

/// An address, or a list of them (`X-Forwarded-For` style), with or without a port: what an
/// IP-named field is entitled to keep unscrubbed. `-` and empty (API Gateway's "no value") too.
pub(super) fn is_address(v: &str) -> bool {
    let v = v.trim();
    v.is_empty()
        || v == "-"
        || v.split(',').all(|a| {
            let a = a.trim();
            a.parse::<std::net::IpAddr>().is_ok() || a.parse::<std::net::SocketAddr>().is_ok()
        })
}

/// A DNS name, with an optional port (`api.example.com`, `db-1.internal:5432`).
fn host_name(s: &str) -> bool {
    let host = s.rsplit_once(':').filter(|(_, p)| p.parse::<u16>().is_ok()).map_or(s, |(h, _)| h);
    (3..=253).contains(&host.len())
        && host.contains('.')
        && host.bytes().any(|b| b.is_ascii_alphabetic())
        && host.split('.').all(|l| {
            !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && !l.starts_with('-')
        })
}
