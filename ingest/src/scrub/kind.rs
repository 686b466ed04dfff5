//! What a redaction marker says was there: `[REDACTED:<kind>:<hmac8>]`. The built-in kinds are
//! an enum; a vendor rule of the catalogue and a configured rule (`[[scrub.rules]]`) bring
//! their own kind names.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

macro_rules! kinds {
    ($($variant:ident = $name:literal,)*) => {
        /// The kind of a redacted value.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($variant,)*
            /// A kind that is not built in: a vendor rule's (`twilio_key`, from the catalogue)
            /// or a configured rule's. Made with [`Kind::named`], never for a built-in name.
            Named(&'static str),
        }

        impl Kind {
            /// Every built-in kind, for `disabled_kinds` validation, metrics and documentation.
            pub const BUILTIN: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The name markers, metrics and config use.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                    Kind::Named(s) => s,
                }
            }

            /// The built-in kind of that name.
            pub fn builtin(name: &str) -> Option<Kind> {
                match name {
                    $($name => Some(Kind::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

kinds! {
    Jwt = "jwt",
    Bearer = "bearer",
    BasicAuth = "basic_auth",
    Authorization = "authorization",
    AwsAccessKey = "aws_access_key",
    AwsSecretKey = "aws_secret_key",
    AwsSigv4 = "aws_sigv4",
    AwsSessionToken = "aws_session_token",
    GithubToken = "github_token",
    GitlabToken = "gitlab_token",
    SlackToken = "slack_token",
    DiscordWebhook = "discord_webhook",
    TeamsWebhook = "teams_webhook",
    StripeKey = "stripe_key",
    GoogleApiKey = "google_api_key",
    SendgridKey = "sendgrid_key",
    NpmToken = "npm_token",
    OpenaiKey = "openai_key",
    PrivateKey = "private_key",
    Password = "password",
    Secret = "secret",
    Token = "token",
    Cookie = "cookie",
    ApiKey = "api_key",
    Email = "email",
    Phone = "phone",
    Card = "card",
    Ssn = "ssn",
    NationalId = "national_id",
    MemberId = "member_id",
    AccountNumber = "account_number",
    DateOfBirth = "date_of_birth",
    PushToken = "push_token",
    Address = "address",
    TelegramBotToken = "telegram_bot_token",
    Flood = "flood",
    Iban = "iban",
    Ip = "ip",
    MailgunKey = "mailgun_key",
    HerokuKey = "heroku_key",
}

impl Kind {
    /// The kind of that name: built in, or a vendor or configured kind (interned, so that a kind
    /// is `Copy`: such names are few, from the catalogue and the config, and live as long as
    /// the process).
    pub fn named(name: &str) -> Kind {
        if let Some(k) = Kind::builtin(name) {
            return k;
        }
        static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
        let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        match names.get(name) {
            Some(&n) => Kind::Named(n),
            None => {
                let n: &'static str = Box::leak(name.to_string().into_boxed_str());
                names.insert(n);
                Kind::Named(n)
            }
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Kind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_built_in_names_stay_built_in() {
        for k in Kind::BUILTIN {
            assert_eq!(Kind::builtin(k.as_str()), Some(*k));
            assert_eq!(Kind::named(k.as_str()), *k);
        }
        let vendor = Kind::named("twilio_key");
        assert_eq!(vendor, Kind::Named("twilio_key"));
        assert_eq!(Kind::named("twilio_key"), vendor, "one name, one kind");
        assert_eq!(vendor.to_string(), "twilio_key");
    }
}
