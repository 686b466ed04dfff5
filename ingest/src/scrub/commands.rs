//! Detectors for credentials that no name marks as one: the password argument of a command
//! line (`mysql -pX`, `redis-cli -a X`, `docker login -p X`), of a connection call in a stack
//! trace (`PDO->__construct('dsn', 'user', 'X')`), the data a web application firewall quotes
//! from a password field, a password typed where a failed login logs the user name, a password
//! or a date of birth named in prose in other languages than English, a one-time code in the
//! text of a message, a field of a multipart form body (judged by its name), push notification
//! tokens and the token of an emailed link.
//!
//! Each is the documented shape of a tool's own output, so each is tied to the tool's name (its
//! trigger literal) and takes one argument, never the rest of the line.

use super::Kind;
use super::detectors::{Arm, Check};

/// One command-line argument, perhaps quoted: what a password flag takes (the one group).
macro_rules! arg {
    () => {
        r#"['"]?([^\s'"\\&;|]{3,128})"#
    };
}

/// The separator of a command line's arguments: white space, or `&command=` in a Kubernetes
/// exec request's query string (one `command=` parameter per argument).
macro_rules! sep {
    () => {
        r"(?:[ \t]+|&command=)"
    };
}

pub(super) fn builtin() -> Vec<(Kind, &'static str, usize, Check, Arm)> {
    vec![
        // MySQL and MariaDB clients take the password glued to `-p` (`-pS3cret`; `-P` is the
        // port); up to eight arguments may come before it.
        (
            Kind::Password,
            concat!(
                r"(?i:\b(?:mysql|mysqladmin|mysqldump|mariadb|mariadb-dump|mysqlimport|mysqlcheck))",
                sep!(),
                r"(?:[^\s&]+",
                sep!(),
                r"){0,8}?-p([^\s'\x22\\&;|-][^\s'\x22\\&;|]{2,127})"
            ),
            1,
            Check::None,
            Arm::Literals(&["mysql", "mariadb"]),
        ),
        // `redis-cli -a PASSWORD`, `--pass PASSWORD`.
        (
            Kind::Password,
            concat!(r"\bredis-cli", sep!(), r"(?:[^\s&]+", sep!(), r"){0,8}?(?:-a|--pass)", sep!(), arg!()),
            1,
            Check::None,
            Arm::Literals(&["redis-cli"]),
        ),
        // Registry logins: `docker login -u ci -p PASSWORD registry`, also podman, nerdctl,
        // buildah, skopeo, helm and oras.
        (
            Kind::Password,
            concat!(
                r"\b(?:docker|podman|nerdctl|buildah|skopeo|helm|oras)(?:[ \t]+registry)?[ \t]+login\b(?:[ \t]+[^\s]+){0,6}?[ \t]+(?:-p|--password)(?:[ \t]+|=)",
                arg!()
            ),
            1,
            Check::None,
            Arm::Literals(&["login"]),
        ),
        // SQL Server's command-line client: `sqlcmd -S host -U sa -P PASSWORD`.
        (
            Kind::Password,
            concat!(r"(?i:sqlcmd)\b(?:[ \t]+[^\s]+){0,10}?[ \t]+-P[ \t]*", arg!()),
            1,
            Check::None,
            Arm::Literals(&["sqlcmd"]),
        ),
        // `sshpass -p PASSWORD ssh …`.
        (
            Kind::Password,
            concat!(r"\bsshpass[ \t]+-p[ \t]*", arg!()),
            1,
            Check::None,
            Arm::Literals(&["sshpass"]),
        ),
        // PowerShell: `ConvertTo-SecureString 'PASSWORD' -AsPlainText`.
        (
            Kind::Password,
            r#"(?i)ConvertTo-SecureString[ \t]+(?:-String[ \t]+)?['"]?([^\s'"\\-][^\s'"\\]{2,127})['"]?[ \t]+-AsPlainText"#,
            1,
            Check::None,
            Arm::Literals(&["securestring"]),
        ),
        // Windows: `net user NAME PASSWORD /add`, `schtasks /create … /rp PASSWORD`.
        (
            Kind::Password,
            r"(?i)(?:\b|\\[nrt])net[ \t]+user[ \t]+[^\s/]+[ \t]+([^\s/*][^\s]{2,127})[ \t]+/(?:add|domain|active)",
            1,
            Check::None,
            Arm::Literals(&["net user"]),
        ),
        (
            Kind::Password,
            r#"(?i)\bschtasks\b[^\n"]{0,300}?[ \t]/rp[ \t]+([^\s/'"\\][^\s'"\\]{2,127})"#,
            1,
            Check::None,
            Arm::Literals(&["schtasks"]),
        ),
        // A database connection in a PHP stack trace, arguments printed: the third argument of
        // `PDO->__construct('mysql:host=…', 'user', 'PASSWORD', …)`, `new PDO(…)`,
        // `mysqli_connect('host', 'user', 'PASSWORD')`, `mysqli->real_connect(…)`.
        (
            Kind::Password,
            r"(?i)(?:\bPDO->__construct|\bnew PDO|\bmysqli->real_connect|\bmysqli_connect|\bmysqli_real_connect|\bpg_connect)\('[^'\n]{0,256}', '[^'\n]{0,128}', '([^'\n]{1,128})'",
            1,
            Check::None,
            Arm::Literals(&["_connect", "pdo"]),
        ),
        // What a web application firewall matched in a password field: ModSecurity's
        // `Matched Data: PASSWORD found within ARGS:password`.
        (
            Kind::Password,
            r"(?i)Matched Data: (.{1,256}?) found within (?:ARGS|ARGS_POST|ARGS_GET|REQUEST_COOKIES|REQUEST_HEADERS|REQUEST_BODY|JSON):[A-Za-z0-9_.\[\]-]{0,40}(?:passw|pwd|secret|token|key|session)",
            1,
            Check::None,
            Arm::Literals(&["matched data"]),
        ),
        // FreeRADIUS with `auth_badpass`: `Login incorrect (…): [user/PASSWORD]`.
        (
            Kind::Password,
            r"Login (?:incorrect|OK)[^\[\n]{0,160}\[[^/\]\s]{1,64}/([^\]\s]{1,128})\]",
            1,
            Check::None,
            Arm::Literals(&["login"]),
        ),
        // A password typed as the user name of a failed login (sshd, SQL Server, FortiGate):
        // redacted when it looks like a password rather than an account name.
        (
            Kind::Password,
            r#"\binvalid user ([^\s'"\\]{8,128}) from\b"#,
            1,
            Check::PasswordLike,
            Arm::Literals(&["passw"]),
        ),
        (
            Kind::Password,
            r"\bLogin failed for user '([^'\\\n]{8,128})'",
            1,
            Check::PasswordLike,
            Arm::Literals(&["login"]),
        ),
        (
            Kind::Password,
            r#"\blogin failed"[^\n]{0,200}?\buser="([^"\\\n]{8,128})""#,
            1,
            Check::PasswordLike,
            Arm::Literals(&["login"]),
        ),
        // A password named in prose in another language (English is the context rule's), the
        // word not inside another (`ResetPasswort`):
        // `Mein Passwort ist X`, `mot de passe est X`, `Мой пароль: X`, `Şifrem X`, `Senha: X`.
        (
            Kind::Password,
            concat!(
                r"(?i)(?:^|[\s.,;:!?(\[{\x22'>/=+*-])(passwort|kennwort|contrase(?:ñ|n|%C3%B1|\\+u00f1)a|senha|mot de passe|wachtwoord|passord|пароль|şifre[a-zçğıöşü]{0,4}|kata ?sandi|パスワード|비밀번호|密[码碼])",
                r"(?:[ \t]*[:：][ \t]*|(?:[ \t]+[^\s\d:'\x22\\]{1,5}){0,3}[ \t]+|\+(?:[^\s\d:+'\x22\\]{1,5}\+){0,3}|%3A\+?)",
                r"([^\s'\x22\\,+、。，]{6,64})"
            ),
            2,
            Check::Context,
            Arm::Literals(&[
                "passwort",
                "passord",
                "kennwort",
                "contrase",
                "senha",
                "de passe",
                "wachtwoord",
                "ароль",
                "ifre",
                "sandi",
                "パスワード",
                "비밀번호",
                "密",
            ]),
        ),
        // A date of birth named in prose in several languages (`fecha de nacimiento 15/04/1983`,
        // `Doğum tarihim 17.09.1984`, `дата рождения 13.09.1975`, `my date of birth is 1972-11-11`).
        (
            Kind::DateOfBirth,
            r"(?i)(?:date of birth|birth ?date|fecha de nacimiento|data de nascimento|nasci em|data di nascita|n[ée]e? le|geburtsdatum|geboren am|geboortedatum|do[gğ]um tarih[a-zı]{0,3}|дата рождения|tanggal lahir|生年月日は?)(?:[ \t]*[:=：][ \t]*|[ \t]+(?:is|ist|es|é|est|era)[ \t]+|[ \t]+)?[\x22']?(\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}年\d{1,2}月\d{1,2}日)",
            1,
            Check::None,
            Arm::Literals(&[
                "birth",
                "nacimiento",
                "nasci",
                "né le",
                "née le",
                "geburt",
                "geboren",
                "geboorte",
                "oğum",
                "ogum",
                "рождения",
                "lahir",
                "生年月日",
            ]),
        ),
        // A one-time code in the text of a message (an SMS a backend logs, a chat body): four to
        // eight digits after a phrase that names one, in several languages, up to three short
        // words between (`Ihr Bestätigungscode lautet 167966`, `Su código de verificación es
        // 112419`, `sending OTP 889107`, `コード 769925`, also `\u`-escaped).
        (
            Kind::Token,
            concat!(
                r"(?i)(?:\b(?:otp|passcode|one[- ]time (?:code|password|pin)|(?:verification|security|confirmation|login|sign[- ]?in|access|authentication|auth|2fa|mfa|sms|otp) code)",
                r"|(?:best(?:ä|ae|\\+u00e4)tigungs|sicherheits|verifizierungs|einmal|zugangs|anmelde)code",
                r"|\bc(?:ó|o|\\+u00f3)digo|\bcodice|\bkod(?:e|u|unuz)?\b|код|コード|\\+u30b3\\+u30fc\\+u30c9|验证码|驗證碼|인증 ?번호|인증 ?코드)",
                r"(?:[ \t+]+(?:[^\s\d+:,.;'\x22\\<>=&]|\\+u[0-9a-fA-F]{4}){1,14}){0,3}",
                r"[ \t+]*[:：#]?[ \t+]*(\d{4,8})(?:$|[^\w.,:/-]|[.,:](?:$|\s))"
            ),
            1,
            Check::None,
            Arm::Literals(&[
                "otp",
                "passcode",
                "code ",
                "code:",
                "digo",
                "codice",
                "kod",
                "код",
                "コード",
                "u30c9",
                "验证码",
                "驗證碼",
                "인증",
            ]),
        ),
        // A bare `code` with six to eight digits (`Body=Code+780702`, `your code is 123456`):
        // longer than status and error codes.
        (
            Kind::Token,
            r"(?i)\bcode(?:[ \t+]+(?:is|was|ist|est|es|é))?[ \t+]*[:：=]?[ \t+]*(\d{6,8})(?:$|[^\w.,:/-]|[.,:](?:$|\s))",
            1,
            Check::None,
            Arm::Literals(&["code+", "code ", "code:"]),
        ),
        // A field of a multipart form body (`Content-Disposition: form-data; name="passport"`,
        // a blank line, the value), as an execution log prints the request body: the field's
        // name decides, as for `name=value`.
        (
            Kind::Secret,
            r#"(?i)content-disposition:[ \t]*form-data;[ \t]*name=\\*"([^"\\\r\n]{1,64})\\*"(?:;[^\r\n\\]{0,256})?(?:(?:\\+r)?\\+n|\r?\n)(?:(?:\\+r)?\\+n|\r?\n)([^\r\n\\]{1,256})"#,
            2,
            Check::KeyValue,
            Arm::Literals(&["form-data"]),
        ),
        // Push notification addresses: a Firebase Cloud Messaging registration token
        // (`<instance id>:APA91b…`) and an APNs device token (64 hex digits after `device`).
        (
            Kind::PushToken,
            r"[A-Za-z0-9_-]{11,64}:APA91b[A-Za-z0-9_-]{60,400}",
            0,
            Check::None,
            Arm::Literals(&["apa91b"]),
        ),
        (
            Kind::PushToken,
            r"(?i)\bdevice(?:[ _-]?token)?[\x22']?[ \t]*[:=]?[ \t]*[\x22']?([0-9a-f]{64})\b",
            1,
            Check::None,
            Arm::Literals(&["device"]),
        ),
        // The token of an emailed link: `/reset-password/<token>`, `/invite/accept/<token>`,
        // `/verify-email/<token>`, `/magic-link/<token>` (a generated value, not a slug).
        (
            Kind::Token,
            r"(?i)/(?:(?:reset[-_]?password|password[-_]?reset|reset|verify[-_]?email|email[-_]?verification|verify|confirm(?:ation)?|activate|activation|invite/accept|invitations?/accept|magic[-_]?link|login[-_]?link|unsubscribe)/([A-Za-z0-9_-]{16,256})(?:[/?#\s\x22']|$))",
            1,
            Check::LinkToken,
            Arm::Literals(&[
                "/reset",
                "password-reset",
                "password_reset",
                "/verify",
                "/confirm",
                "/activat",
                "/invit",
                "/magic",
                "login-link",
                "/unsubscribe",
            ]),
        ),
        // The same with the token before the action: `/invite/<token>/accept`.
        (
            Kind::Token,
            r"(?i)/(?:invite|invitations?)/([A-Za-z0-9_-]{16,256})/(?:accept|join|claim|redeem)\b",
            1,
            Check::LinkToken,
            Arm::Literals(&["/invit"]),
        ),
        // A password quoted at the end of a sentence about it, in English or another language,
        // after up to eight words and a colon (`Le mot de passe ne respecte pas la politique :
        // X`, `La contraseña no cumple la política: X`, `password does not meet policy: X`):
        // held to the look of a password, since such sentences also end in account names.
        (
            Kind::Password,
            concat!(
                r"(?i)(?:^|[\s.,;!?(\[{\x22'>/=+*-])(?:password|passwort|kennwort|contrase(?:ñ|n|\\+u00f1)a|senha|mot de passe|wachtwoord|passord|пароль)",
                r"(?:[ \t]+[^\s:：'\x22\\]{1,16}){1,8}[ \t]*[:：][ \t]*",
                r"([^\s'\x22\\,]{6,64})"
            ),
            1,
            Check::PasswordLike,
            Arm::Literals(&[
                "passw",
                "kennwort",
                "contrase",
                "senha",
                "de passe",
                "wachtwoord",
                "passord",
                "ароль",
            ]),
        ),
        // A date of birth after a phrase that names one and up to three more words, written
        // with the month's name or in any order of numbers (`Date de naissance illisible : 22
        // décembre 1951`, `born 01-FEB-1942`, `dob: February 23, 1948`, `24 de junho de 1949`).
        (
            Kind::DateOfBirth,
            concat!(
                r"(?i)(?:date of birth|birth ?date|\bdob\b|\bborn(?: on)?\b|fecha de nacimiento|data de nascimento|date de naissance|data di nascita|geburtsdatum|geboren am|geboortedatum|nascimento|naissance|nacimiento)",
                r"(?:[ \t]+[^\s\d:=：'\x22\\]{1,16}){0,3}[ \t]*[:=：]?[ \t]*\\*[\x22']?",
                r"(\d{1,2}\.?[ \t]+(?:de[ \t]+)?\p{L}{3,10}\.?[ \t]+(?:de[ \t]+)?\d{4}|\p{L}{3,10}\.?[ \t]+\d{1,2},?[ \t]+\d{4}|\d{1,2}-\p{L}{3}-\d{4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})",
                r"(?:$|[^\w/.-]|[.,](?:$|\s))"
            ),
            1,
            Check::None,
            Arm::Literals(&[
                "birth",
                "dob",
                "born",
                "nacimiento",
                "nascimento",
                "naissance",
                "nascita",
                "geburt",
                "geboren",
                "geboorte",
            ]),
        ),
        // A validation error that quotes the field's value (Joi, Celebrate: `"date_of_birth"
        // with value "09/10/1988" fails`): the field's name decides, as for `name=value`.
        (
            Kind::Secret,
            r#"\\*"([A-Za-z_][\w:.-]{0,63})\\*"[ \t]+with value[ \t]+\\*"([^"\\\r\n]{1,256})\\*""#,
            2,
            Check::KeyValue,
            Arm::Literals(&["with value"]),
        ),
        // The same in a Joi error's details (`{"path":["fechaNacimiento"],"type":…,"context":
        // {"value":"04/12/1989"`).
        (
            Kind::Secret,
            r#"\\*"path\\*":\[\\*"([A-Za-z_][\w:.-]{0,63})\\*"\][^{}\]]{0,200}?\\*"context\\*":\{(?:[^{}]{0,200}?,)?\\*"value\\*":\\*"([^"\\\r\n]{1,256})\\*""#,
            2,
            Check::KeyValue,
            Arm::Literals(&["\"context"]),
        ),
        // The same from pydantic: the field's name, its message, then `[type=…, input_value='X'`.
        (
            Kind::Secret,
            r#"([A-Za-z_][\w.]{0,63})(?:\\+n|\n|[ \t])+[^\[\r\n\\]{1,300}\[type=\w+, input_value=\\*'([^'\\\r\n]{1,256})\\*'"#,
            2,
            Check::KeyValue,
            Arm::Literals(&["input_value="]),
        ),
        // A street address in prose (`shipping label for ORD-1 to 143 Mill Lane, Leeds`,
        // `Address verification failed for 7147 Cedar Lane`): a house number, one to three
        // capitalised words and a street type, as English-speaking countries write them.
        (
            Kind::Address,
            r"\b(\d{1,5}[A-Za-z]?,?[ \t+]+(?:[A-Z][a-z]+[ \t+]+){1,3}(?:Street|Road|Lane|Avenue|Drive|Court|Close|Way|Walk|Place|Boulevard|Terrace|Crescent|Grove|Gardens|Highway|Parkway|Square|Mews|Row|St|Rd|Ave|Ln|Blvd)\.?)(?:$|[^\w])",
            1,
            Check::None,
            Arm::Literals(&[
                "street",
                "road",
                "lane",
                "avenue",
                "drive",
                "court",
                "close",
                "way",
                "walk",
                "place",
                "boulevard",
                "terrace",
                "crescent",
                "grove",
                "gardens",
                "highway",
                "parkway",
                "square",
                "mews",
                "row",
                " st",
                " rd",
                " ave",
                " ln",
                "blvd",
            ]),
        ),
        // The same as German-speaking countries write them (`Lindenstraße 238b`, `Am Mühlbach 96`,
        // `Birkenallee 154b`).
        (
            Kind::Address,
            r"\b((?:[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|allee|gasse|platz|ring|damm|ufer)|Am[ \t+][A-ZÄÖÜ][a-zäöüß]+)[ \t+]+\d{1,4}[a-z]?)\b",
            1,
            Check::None,
            Arm::Literals(&[
                "straße", "strasse", "str.", "weg", "allee", "gasse", "platz", "ring", "damm", "ufer", "am ",
            ]),
        ),
        // French (`235 bis allée des Peupliers`), Spanish and Portuguese (`Calle del Olmo 9`,
        // `Rua das Flores, 123`) street addresses.
        (
            Kind::Address,
            concat!(
                r"(?i:\b(\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:rue|avenue|boulevard|allée|allee|chemin|impasse|quai|place)[ \t]+(?:de la |de l'|du |des |de |d')?\p{Lu}[\w'-]+(?:[ \t]+\p{Lu}[\w'-]+){0,3})",
                r"|\b((?:calle|avenida|avda\.|paseo|plaza|camino|carrera|rua|travessa|alameda)[ \t]+(?:(?:de la|del|de los|de las|de|da|do|dos|das)[ \t]+)?\p{Lu}[\w'-]+(?:[ \t]+\p{Lu}[\w'-]+){0,3},?[ \t]+(?:n[ºo°]\.?[ \t]*)?\d{1,5}[A-Za-z]?))"
            ),
            0,
            Check::None,
            Arm::Literals(&[
                "rue ",
                "avenue",
                "boulevard",
                "allée",
                "allee",
                "chemin",
                "impasse",
                "quai ",
                "place ",
                "calle",
                "avenida",
                "avda",
                "paseo",
                "plaza",
                "camino",
                "carrera",
                "rua ",
                "travessa",
                "alameda",
            ]),
        ),
        // A value cut short for a log (`…`, `\u2026`, `...`) is judged by its beginning: the
        // start of a JWT, twelve or more digits of a card number, an e-mail address.
        (
            Kind::Jwt,
            r"(eyJ[A-Za-z0-9_-]{17,}(?:\.[A-Za-z0-9_-]*){0,2})(?:…|\\+u2026|\.\.\.)",
            1,
            Check::None,
            Arm::Literals(&["…", "u2026", "..."]),
        ),
        (
            Kind::Card,
            r"(?:^|[^\w.-])(\d{12,19})(?:…|\\+u2026|\.\.\.)",
            1,
            Check::None,
            Arm::Literals(&["…", "u2026", "..."]),
        ),
        // A prefixed token (`hf_…`, `figd_…`) cut short: mixed case, as generated tokens are.
        (
            Kind::Token,
            r"(?:^|[^\w-])([a-z]{2,8}_[A-Za-z0-9_-]{10,})(?:…|\\+u2026|\.\.\.)",
            1,
            Check::PasswordLike,
            Arm::Literals(&["…", "u2026", "..."]),
        ),
        (
            Kind::Email,
            r"(?:^|[^\w.%+-])([\w.%+-]{1,64}@[A-Za-z0-9.-]{0,253})(?:…|\\+u2026|\.\.\.)",
            1,
            Check::None,
            Arm::Literals(&["…", "u2026", "..."]),
        ),
    ]
}
