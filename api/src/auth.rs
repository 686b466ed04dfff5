//! Who is calling. The API's own bearer tokens (`gatewatch token create`): 256 random bits,
//! stored only as their SHA-256, looked up by that hash (so the time a lookup takes says
//! nothing about the token) and compared again in constant time. Optionally, JWTs from an SSO
//! provider: signature against a JWKS, issuer, audience, expiry, and a scope claim.
//!
//! Tokens never reach a log line: nothing here logs a header, and errors name only the reason.

use crate::ApiError;
use crate::config::JwtConfig;
use axum::http::StatusCode;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// What a caller may do. `Admin` includes `Read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Read,
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }
}

/// An authenticated caller: a token id (`tok_…`) or an SSO subject (`jwt:…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id: String,
    pub scope: Scope,
}

/// A new API token: `(id, token, sha256 hex)`. Only the id and the hash are stored.
pub fn new_token() -> (String, String, String) {
    let mut secret = [0u8; 32];
    let mut id = [0u8; 6];
    getrandom::fill(&mut secret).expect("the operating system's random source failed");
    getrandom::fill(&mut id).expect("the operating system's random source failed");
    let token = format!("gwt_{}", hex::encode(secret));
    let hash = hash_token(&token);
    (format!("tok_{}", hex::encode(id)), token, hash)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How long a token lookup is trusted: a revoked token stops working within this time.
const CACHE_TTL: Duration = Duration::from_secs(5);
/// Cached lookups kept at most (a flood of made-up tokens only clears the cache).
const CACHE_CAP: usize = 10_000;
/// `last_used` is written at most this often per token.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

pub struct Authenticator {
    store: Store,
    cache: Mutex<HashMap<String, (Option<Caller>, Instant)>>,
    touched: Mutex<HashMap<String, Instant>>,
    jwt: Option<Arc<JwtVerifier>>,
}

impl Authenticator {
    pub fn new(store: Store, jwt: Option<Arc<JwtVerifier>>) -> Self {
        Self { store, cache: Mutex::default(), touched: Mutex::default(), jwt }
    }

    /// The caller named by an `Authorization` header value.
    pub async fn authenticate(&self, header: Option<&str>) -> Result<Caller, ApiError> {
        let Some(header) = header else {
            return Err(unauthorized("send Authorization: Bearer <token> (gatewatch token create)"));
        };
        let token = match header.split_once(' ') {
            Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
            _ => return Err(unauthorized("the Authorization header must use the Bearer scheme")),
        };
        if token.is_empty() || token.len() > 8192 {
            return Err(unauthorized("invalid token"));
        }
        if token.starts_with("gwt_") {
            return self.own_token(token).await;
        }
        match &self.jwt {
            Some(v) if token.bytes().filter(|&b| b == b'.').count() == 2 => v.verify(token),
            _ => Err(unauthorized("invalid token")),
        }
    }

    async fn own_token(&self, token: &str) -> Result<Caller, ApiError> {
        let hash = hash_token(token);
        let cached = {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache.get(&hash).filter(|(_, at)| at.elapsed() < CACHE_TTL).map(|(c, _)| c.clone())
        };
        let caller = match cached {
            Some(c) => c,
            None => {
                let found = self.store.token_by_hash(&hash).await?;
                let caller = found.and_then(|t| {
                    // Found by this hash; compared again without an early exit.
                    bool::from(t.token_hash.as_bytes().ct_eq(hash.as_bytes()))
                        .then(|| Scope::parse(&t.scope).map(|scope| Caller { id: t.id, scope }))
                        .flatten()
                });
                let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                if cache.len() >= CACHE_CAP {
                    cache.clear();
                }
                cache.insert(hash, (caller.clone(), Instant::now()));
                caller
            }
        };
        let caller = caller.ok_or_else(|| unauthorized("invalid or revoked token"))?;
        self.touch(&caller.id);
        Ok(caller)
    }

    fn touch(&self, id: &str) {
        let due = {
            let mut t = self.touched.lock().unwrap_or_else(|e| e.into_inner());
            let due = t.get(id).is_none_or(|at| at.elapsed() >= TOUCH_EVERY);
            if due {
                if t.len() >= CACHE_CAP {
                    t.clear();
                }
                t.insert(id.to_string(), Instant::now());
            }
            due
        };
        if due {
            let (store, id) = (self.store.clone(), id.to_string());
            tokio::spawn(async move {
                if let Err(e) = store.touch_token(&id, chrono::Utc::now().timestamp_millis()).await {
                    tracing::warn!(error = %e, token_id = %id, "could not record token use");
                }
            });
        }
    }
}

pub fn unauthorized(detail: &str) -> ApiError {
    ApiError { status: StatusCode::UNAUTHORIZED, detail: detail.into(), param: None }
}

/// Verifies SSO JWTs against the issuer's keys.
pub struct JwtVerifier {
    cfg: JwtConfig,
    keys: RwLock<JwkSet>,
}

/// Why a JWKS could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("api.jwt.jwks_file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("api.jwt.jwks_url: {0}")]
    Url(String),
}

impl JwtVerifier {
    /// Loads the key set (file, or one fetch of the URL).
    pub async fn load(cfg: &JwtConfig) -> Result<Arc<JwtVerifier>, JwksError> {
        let keys = fetch_jwks(cfg).await?;
        Ok(Arc::new(JwtVerifier { cfg: cfg.clone(), keys: RwLock::new(keys) }))
    }

    /// Re-reads the key set every `jwks_refresh_secs` (key rotation) until the process ends.
    pub fn spawn_refresh(self: &Arc<Self>) {
        let me = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(me.cfg.jwks_refresh_secs)).await;
                match fetch_jwks(&me.cfg).await {
                    Ok(k) => *me.keys.write().unwrap_or_else(|e| e.into_inner()) = k,
                    Err(e) => tracing::warn!(error = %e, "JWKS refresh failed; keeping the previous keys"),
                }
            }
        });
    }

    pub fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        let bad = |why: &str| unauthorized(&format!("invalid token: {why}"));
        let header = jsonwebtoken::decode_header(token).map_err(|_| bad("malformed JWT"))?;
        if matches!(header.alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512) {
            return Err(bad("symmetric algorithms are not accepted"));
        }
        let key = {
            let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
            let jwk = match &header.kid {
                Some(kid) => keys.find(kid),
                None if keys.keys.len() == 1 => keys.keys.first(),
                None => None,
            }
            .ok_or_else(|| bad("unknown signing key"))?;
            if let Some(alg) = jwk.common.key_algorithm
                && format!("{alg:?}") != format!("{:?}", header.alg)
            {
                return Err(bad("algorithm does not match the key"));
            }
            DecodingKey::from_jwk(jwk).map_err(|_| bad("unusable signing key"))?
        };
        let mut v = Validation::new(header.alg);
        v.set_issuer(&[&self.cfg.issuer]);
        v.set_audience(&[&self.cfg.audience]);
        v.set_required_spec_claims(&["exp", "iss", "aud"]);
        v.validate_nbf = true;
        v.leeway = self.cfg.leeway_secs;
        let data = jsonwebtoken::decode::<serde_json::Value>(token, &key, &v).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::ExpiredSignature => bad("expired"),
                K::ImmatureSignature => bad("not valid yet"),
                K::InvalidIssuer => bad("wrong issuer"),
                K::InvalidAudience => bad("wrong audience"),
                K::InvalidSignature => bad("bad signature"),
                K::MissingRequiredClaim(_) => bad("missing exp, iss or aud"),
                _ => bad("rejected"),
            }
        })?;
        let claims = data.claims;
        let scopes: Vec<&str> = match &claims[&self.cfg.scope_claim] {
            serde_json::Value::String(s) => s.split_whitespace().collect(),
            serde_json::Value::Array(a) => a.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        let scope = if scopes.contains(&self.cfg.admin_scope.as_str()) {
            Scope::Admin
        } else if scopes.contains(&self.cfg.read_scope.as_str()) {
            Scope::Read
        } else {
            return Err(ApiError {
                status: StatusCode::FORBIDDEN,
                detail: format!("the token's `{}` claim grants no gatewatch scope", self.cfg.scope_claim),
                param: None,
            });
        };
        let sub = claims["sub"].as_str().unwrap_or("unknown");
        Ok(Caller { id: format!("jwt:{sub}"), scope })
    }
}

async fn fetch_jwks(cfg: &JwtConfig) -> Result<JwkSet, JwksError> {
    if !cfg.jwks_file.is_empty() {
        let file = |reason: String| JwksError::File { path: cfg.jwks_file.clone(), reason };
        let text = tokio::fs::read_to_string(&cfg.jwks_file).await.map_err(|e| file(e.to_string()))?;
        return serde_json::from_str(&text).map_err(|e| file(format!("not a JWKS: {e}")));
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| JwksError::Url(e.to_string()))?;
    let res = client.get(&cfg.jwks_url).send().await.map_err(|e| JwksError::Url(e.to_string()))?;
    if !res.status().is_success() {
        return Err(JwksError::Url(format!("answered {}", res.status())));
    }
    let body = res.bytes().await.map_err(|e| JwksError::Url(e.to_string()))?;
    if body.len() > 1 << 20 {
        return Err(JwksError::Url("JWKS larger than 1 MiB".into()));
    }
    serde_json::from_slice(&body).map_err(|e| JwksError::Url(format!("not a JWKS: {e}")))
}
