//! `[api]`: the REST API's own protection (rate limits, body size, timeouts, CORS) and SSO
//! token validation (`[api.jwt]`), with defaults and validation.

use gatewatch_core::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The REST API's own protection (`[api]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Requests a minute one token may make (callers without a valid token: per address).
    pub rate_limit_per_minute: u32,
    /// Requests one token may make at once above the steady rate.
    pub rate_limit_burst: u32,
    /// Largest request body accepted (413 above it).
    pub max_body_bytes: usize,
    /// A request that takes longer is answered 503.
    pub request_timeout_secs: u64,
    /// Browser origins allowed to call the API (CORS); empty: none (closed).
    pub cors_origins: Vec<String>,
    /// Serve `/metrics` without a token (for scrapers that cannot send one).
    pub metrics_public: bool,
    /// SSO: accept JWTs from an identity provider beside the API's own tokens.
    pub jwt: JwtConfig,
}

/// JWT validation for SSO (`[api.jwt]`); off while `issuer` is empty.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JwtConfig {
    /// Expected `iss`.
    pub issuer: String,
    /// Expected `aud`.
    pub audience: String,
    /// A JWKS file holding the signing keys…
    pub jwks_file: String,
    /// …or the issuer's JWKS URL (fetched at start and every `jwks_refresh_secs`).
    pub jwks_url: String,
    pub jwks_refresh_secs: u64,
    /// The claim holding scopes (space-separated string or array).
    pub scope_claim: String,
    /// Scope values granting read and admin access.
    pub read_scope: String,
    pub admin_scope: String,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway_secs: u64,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            rate_limit_per_minute: 600,
            rate_limit_burst: 60,
            max_body_bytes: 64 * 1024,
            request_timeout_secs: 30,
            cors_origins: Vec::new(),
            metrics_public: false,
            jwt: JwtConfig::default(),
        }
    }
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            audience: String::new(),
            jwks_file: String::new(),
            jwks_url: String::new(),
            jwks_refresh_secs: 900,
            scope_claim: "scope".into(),
            read_scope: "gatewatch:read".into(),
            admin_scope: "gatewatch:admin".into(),
            leeway_secs: 60,
        }
    }
}

impl ApiConfig {
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, why: &str| Err(Error::Config(format!("`api.{field}`: {why}")));
        if self.rate_limit_per_minute == 0 {
            return bad("rate_limit_per_minute", "must be at least 1");
        }
        if self.rate_limit_burst == 0 {
            return bad("rate_limit_burst", "must be at least 1");
        }
        if !(1024..=16 << 20).contains(&self.max_body_bytes) {
            return bad("max_body_bytes", "must be from 1024 to 16777216");
        }
        if !(1..=600).contains(&self.request_timeout_secs) {
            return bad("request_timeout_secs", "must be from 1 to 600");
        }
        for (i, o) in self.cors_origins.iter().enumerate() {
            let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
            if o == "*" || rest.is_none_or(|r| r.is_empty() || r.contains('/')) {
                return bad(
                    &format!("cors_origins[{i}]"),
                    "must be an origin like https://grafana.example.com (no path, no wildcard)",
                );
            }
        }
        let j = &self.jwt;
        let any = [&j.issuer, &j.audience, &j.jwks_file, &j.jwks_url].iter().any(|v| !v.is_empty());
        if any {
            if j.issuer.is_empty() {
                return bad("jwt.issuer", "is required when any api.jwt key is set");
            }
            if j.audience.is_empty() {
                return bad("jwt.audience", "is required when api.jwt.issuer is set");
            }
            if j.jwks_file.is_empty() == j.jwks_url.is_empty() {
                return bad("jwt.jwks_file", "set exactly one of jwks_file and jwks_url");
            }
            if !j.jwks_url.is_empty()
                && !j.jwks_url.starts_with("https://")
                && !j.jwks_url.starts_with("http://")
            {
                return bad("jwt.jwks_url", "must be an http(s) URL");
            }
            if j.scope_claim.is_empty() || j.read_scope.is_empty() || j.admin_scope.is_empty() {
                return bad("jwt.scope_claim", "scope_claim, read_scope and admin_scope must not be empty");
            }
            if j.jwks_refresh_secs < 10 {
                return bad("jwt.jwks_refresh_secs", "must be at least 10");
            }
        }
        Ok(())
    }
}
