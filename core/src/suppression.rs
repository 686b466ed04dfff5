//! A suppression: an operator's decision that some alerts are not wanted (one rule, a subject, a
//! network, until a time), from `[[detect.suppressions]]` or made through the API.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Suppression {
    /// Rule name; empty: every rule.
    pub rule: String,
    /// `type:value`; empty: every subject.
    pub subject: String,
    /// Suppress when the subject IP (or every top IP of the evidence) is inside this network.
    pub cidr: String,
    /// RFC 3339; empty: forever.
    pub until: String,
    /// Why (shown by `config check`).
    pub reason: String,
}

impl Suppression {
    /// `Err((field, why))` when a field is not usable; field is empty when the whole is at fault.
    pub fn check(&self) -> std::result::Result<(), (String, String)> {
        let bad = |f: &str, why: &str| Err((f.to_string(), why.to_string()));
        if !self.rule.is_empty() && self.rule.parse::<crate::alert::Rule>().is_err() {
            return bad("rule", "is not a rule name");
        }
        if !self.subject.is_empty()
            && let Err(e) = self.subject.parse::<crate::alert::Subject>()
        {
            return bad("subject", &e);
        }
        if !self.cidr.is_empty() && crate::net::parse_cidr(&self.cidr).is_none() {
            return bad("cidr", "must be a network like 10.0.0.0/8 or 2001:db8::/32");
        }
        if !self.until.is_empty() && crate::time::parse_time_param(&self.until).is_none() {
            return bad("until", "must be RFC 3339, e.g. 2026-12-01T00:00:00Z");
        }
        if self.rule.is_empty() && self.subject.is_empty() && self.cidr.is_empty() {
            return bad("", "names no rule, subject or cidr (it would hide every alert)");
        }
        Ok(())
    }
}
