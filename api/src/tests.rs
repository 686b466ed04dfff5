use super::*;
use axum::body::Body;
use axum::http::Request;
use gatewatch_core::{Alert, ClientKey, ClientKind, MinuteAgg, Rule, Severity, Subject, SubjectKind};
use gatewatch_store::{BatchWrite, MinuteRow};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Fixture {
    app: Router,
    store: Store,
    read: String,
    admin: String,
}

async fn token(store: &Store, scope: &str) -> String {
    let (id, token, hash) = auth::new_token();
    store.create_token(&id, "test", scope, &hash, 0).await.unwrap();
    token
}

async fn fixture_with(cfg: ApiConfig) -> Fixture {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let mut rows = vec![];
    for (ip, n403) in [("198.51.100.1", 5u16), ("198.51.100.2", 9), ("198.51.100.3", 1)] {
        let mut agg = MinuteAgg::new();
        for i in 0..10u16 {
            let status = if i < n403 { 403 } else { 200 };
            agg.observe(status, 100, Some(i as f64), &format!("/p/{i}"), Some(ip));
        }
        rows.push(MinuteRow { client: ClientKey::new(ClientKind::Ip, ip), minute: 1_795_531_200_000, agg });
    }
    let alert = Alert {
        id: "alt_0001".into(),
        kind: Rule::BruteForce.kind(),
        rule: Rule::BruteForce,
        severity: Severity::High,
        status: gatewatch_core::Status::Open,
        subject: Subject::new(SubjectKind::Ip, "198.51.100.2"),
        first_seen: 1_795_531_200_000,
        last_seen: 1_795_531_260_000,
        detected_at: 1_795_531_260_000,
        count: 1,
        evidence: json!({"summary": "failed authentication 9 times"}),
    };
    let w = BatchWrite {
        source: "t".into(),
        position: "lines=1".into(),
        rows,
        alerts: vec![alert],
        ..Default::default()
    };
    store.commit_batch(w).await.unwrap();
    let read = token(&store, "read").await;
    let admin = token(&store, "admin").await;
    Fixture { app: router(store.clone(), &cfg, None), store, read, admin }
}

async fn fixture() -> Fixture {
    fixture_with(ApiConfig::default()).await
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn get(f: &Fixture, uri: &str) -> (StatusCode, Value) {
    let req =
        Request::get(uri).header("authorization", format!("Bearer {}", f.read)).body(Body::empty()).unwrap();
    let (s, _, v) = call(&f.app, req).await;
    (s, v)
}

fn post(uri: &str, token: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn top_clients_orders_by_metric() {
    let f = fixture().await;
    let (s, v) = get(&f, "/v1/clients?metric=s403&limit=2").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c = v["clients"].as_array().unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0]["client"], json!({"type": "ip", "value": "198.51.100.2"}));
    assert_eq!(c[0]["s403"], 9);
    assert_eq!(c[0]["s4xx"], 9);
    assert_eq!(c[0]["total"], 10);
    assert_eq!(c[0]["distinct_paths"], 10);
    assert_eq!(c[1]["s403"], 5);
}

#[tokio::test]
async fn series_is_zero_filled_and_rolls_up() {
    let f = fixture().await;
    let uri = "/v1/clients/ip:198.51.100.1/series?from=2026-11-24T14:40:00Z&to=2026-11-24T14:45:00Z";
    let (s, v) = get(&f, uri).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let p = v["points"].as_array().unwrap();
    assert_eq!(p.len(), 5);
    assert_eq!(p[0]["t"], "2026-11-24T14:40:00Z");
    assert_eq!(p[0]["total"], 10);
    assert_eq!(p[1]["total"], 0);
    let (_, v) =
        get(&f, "/v1/clients/ip:198.51.100.1/series?from=1795528800000&to=1795536000000&step=1h").await;
    assert_eq!(v["points"].as_array().unwrap().len(), 2);
    assert_eq!(v["points"][0]["total"], 10);
    // Days come from the day rows: the day holding the minute, then an empty one.
    let (s, v) = get(
        &f,
        "/v1/clients/ip:198.51.100.1/series?from=2026-11-24T12:00:00Z&to=2026-11-25T12:00:00Z&step=1d",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["from"], "2026-11-24T00:00:00Z");
    assert_eq!(v["points"].as_array().unwrap().len(), 2);
    assert_eq!((v["points"][0]["total"].clone(), v["points"][1]["total"].clone()), (json!(10), json!(0)));
    // A year of days is one request; a year of minutes is refused, naming the step.
    let year = "from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z";
    let (s, v) = get(&f, &format!("/v1/clients/ip:198.51.100.1/series?{year}&step=1d")).await;
    assert_eq!((s, v["points"].as_array().map(Vec::len)), (StatusCode::OK, Some(365)), "{v}");
    let (s, v) = get(&f, &format!("/v1/clients/ip:198.51.100.1/series?{year}")).await;
    assert_eq!((s, v["invalid_params"][0]["name"].clone()), (StatusCode::BAD_REQUEST, json!("step")), "{v}");
    let (s, v) = get(&f, &format!("/v1/clients?{year}&metric=s403&limit=1")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["clients"][0]["s403"], 9);
}

#[tokio::test]
async fn bad_input_names_the_parameter() {
    let f = fixture().await;
    for (uri, param) in [
        ("/v1/clients?metric=s418", "metric"),
        ("/v1/clients?limit=0", "limit"),
        ("/v1/clients?from=yesterday", "from"),
        ("/v1/clients?from=2000&to=1000", "from"),
        ("/v1/clients?from=-5", "from"),
        ("/v1/clients?to=9223372036854775807", "to"),
        ("/v1/clients?from=0&to=253402300799999", "from"),
        ("/v1/clients/ip:1.2.3.4/series?from=99999999999999999", "from"),
        ("/v1/clients?bogus=1", "bogus"),
        ("/v1/clients/nobody/series", "client"),
        ("/v1/clients/ip:1.2.3.4/series?step=5m", "step"),
        ("/v1/alerts?rule=nap", "rule"),
        ("/v1/alerts?cursor=12", "cursor"),
        ("/v1/alerts/alt%27%20OR%201=1", "id"),
        ("/v1/stats?x=1", "x"),
    ] {
        let (s, v) = get(&f, uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["invalid_params"][0]["name"], param, "{uri}: {v}");
    }
    let (s, _) = get(&f, "/v2/nothing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, h, _) = call(&f.app, post("/v1/clients", &f.read, "")).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(h["content-type"], "application/problem+json");
}

#[tokio::test]
async fn data_routes_need_a_valid_token_and_admin_routes_an_admin_one() {
    let f = fixture().await;
    for (auth, want) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some("Basic dXNlcjpwYXNz".to_string()), StatusCode::UNAUTHORIZED),
        (Some("Bearer gwt_0000".to_string()), StatusCode::UNAUTHORIZED),
        (Some("Bearer not.a.jwt".to_string()), StatusCode::UNAUTHORIZED),
        (Some(format!("Bearer {}", f.read)), StatusCode::OK),
        (Some(format!("bearer {}", f.admin)), StatusCode::OK),
    ] {
        let mut req = Request::get("/v1/alerts");
        if let Some(a) = &auth {
            req = req.header("authorization", a);
        }
        let (s, h, v) = call(&f.app, req.body(Body::empty()).unwrap()).await;
        assert_eq!(s, want, "{auth:?}: {v}");
        if s == StatusCode::UNAUTHORIZED {
            assert_eq!(h["content-type"], "application/problem+json");
        }
    }
    // A read token may not change anything.
    let (s, _, v) = call(&f.app, post("/v1/alerts/alt_0001/ack", &f.read, "")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("admin"));
    // Health, the OpenAPI document and the dashboard need none.
    for uri in ["/healthz", "/readyz", "/openapi.json"] {
        let (s, _, _) = call(&f.app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
    }
    // /metrics needs a token unless made public.
    let (s, _, _) = call(&f.app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let req = Request::get("/metrics").header("authorization", format!("Bearer {}", f.read));
    let res = f.app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text =
        String::from_utf8(axum::body::to_bytes(res.into_body(), 1 << 22).await.unwrap().to_vec()).unwrap();
    assert!(
        text.contains(r#"gatewatch_alerts{status="open",rule="brute_force",severity="high"} 1"#),
        "{text}"
    );
}

#[tokio::test]
async fn a_revoked_token_stops_working() {
    let f = fixture().await;
    let token = f.read.clone();
    let id = f.store.tokens().await.unwrap().into_iter().find(|t| t.scope == "read").unwrap().id;
    assert!(f.store.revoke_token(&id, 1).await.unwrap());
    // A fresh router has no cached lookup (the cache keeps an answer for 5 s at most).
    let app = router(f.store.clone(), &ApiConfig::default(), None);
    let req = Request::get("/v1/alerts").header("authorization", format!("Bearer {token}"));
    let (s, _, _) = call(&app, req.body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_flood_from_one_token_is_limited_while_another_is_served() {
    let cfg = ApiConfig { rate_limit_per_minute: 60, rate_limit_burst: 5, ..ApiConfig::default() };
    let f = fixture_with(cfg).await;
    let mut codes = vec![];
    for _ in 0..8 {
        let (s, h, _) = call(
            &f.app,
            Request::get("/v1/alerts")
                .header("authorization", format!("Bearer {}", f.read))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            let secs: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=60).contains(&secs), "retry-after {secs}");
        }
        codes.push(s);
    }
    assert_eq!(codes.iter().filter(|s| **s == StatusCode::OK).count(), 5, "{codes:?}");
    assert_eq!(codes.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 3, "{codes:?}");
    let req = Request::get("/v1/alerts").header("authorization", format!("Bearer {}", f.admin));
    let (s, _, _) = call(&f.app, req.body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK, "another token is served");
}

#[tokio::test]
async fn ack_and_resolve_change_the_alert_and_tell_the_siems() {
    let f = fixture().await;
    let (s, _, v) = call(&f.app, post("/v1/alerts/alt_0001/ack", &f.admin, "")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "acknowledged");
    let (s, _, v) = call(&f.app, post("/v1/alerts/alt_0001/resolve", &f.admin, "")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "resolved");
    let (s, _, _) = call(&f.app, post("/v1/alerts/alt_0001/ack", &f.admin, "")).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _, _) = call(&f.app, post("/v1/alerts/alt_9999/ack", &f.admin, "")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, v) = get(&f, "/v1/alerts/alt_0001").await;
    assert_eq!(v["status"], "resolved");
    let events: Vec<String> =
        f.store.outbox_after(0, 10).await.unwrap().into_iter().map(|e| e.event).collect();
    assert_eq!(events, ["opened", "updated", "resolved"]);
}

#[tokio::test]
async fn suppressions_are_validated_created_listed_and_deleted() {
    let f = fixture().await;
    for (body, field) in [
        (r#"{"rule": "nap", "reason": "x"}"#, "rule"),
        (r#"{"rule": "probing", "subject": "ip", "reason": "x"}"#, "subject"),
        (r#"{"rule": "probing", "cidr": "10.0.0.0/99", "reason": "x"}"#, "cidr"),
        (r#"{"cidr": "10.0.0.0/8", "reason": "x"}"#, "rule"),
        (r#"{"rule": "probing", "until": "soon", "reason": "x"}"#, "until"),
        (r#"{"rule": "probing"}"#, "reason"),
        (r#"{"rule": "probing", "reason": "x", "extra": 1}"#, "extra"),
        (r#"{"rule": 5, "reason": "x"}"#, "body"),
        (r#"{"reason": "x"}"#, "rule"),
        ("[", "body"),
    ] {
        let (s, _, v) = call(&f.app, post("/v1/suppressions", &f.admin, body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_eq!(v["invalid_params"][0]["name"], field, "{body}: {v}");
    }
    let mut req = post("/v1/suppressions", &f.admin, r#"{"rule": "probing", "reason": "x"}"#);
    req.headers_mut().insert("content-type", HeaderValue::from_static("text/plain"));
    let (s, _, _) = call(&f.app, req).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body = r#"{"rule": "probing", "cidr": "203.0.113.0/24", "reason": "our scanner"}"#;
    let (s, _, created) = call(&f.app, post("/v1/suppressions", &f.admin, body)).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert!(created["created_by"].as_str().unwrap().starts_with("tok_"));
    let (_, v) = get(&f, "/v1/suppressions").await;
    assert_eq!(v["suppressions"][0]["cidr"], "203.0.113.0/24");
    assert_eq!(f.store.suppressions().await.unwrap()[0].to_config().rule, "probing");
    let del = |token: &str| {
        Request::delete(format!("/v1/suppressions/{id}"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let (s, _, _) = call(&f.app, del(&f.read)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = call(&f.app, del(&f.admin)).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _, _) = call(&f.app, del(&f.admin)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let f = fixture_with(ApiConfig { max_body_bytes: 1024, ..ApiConfig::default() }).await;
    let big = format!(r#"{{"rule": "probing", "reason": "{}"}}"#, "x".repeat(4096));
    let (s, h, v) = call(&f.app, post("/v1/suppressions", &f.admin, &big)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(h["content-type"], "application/problem+json");
}

#[tokio::test]
async fn dead_letters_page_for_admins() {
    let f = fixture().await;
    let letters = (0..3)
        .map(|i| gatewatch_store::DeadLetter {
            source: "s".into(),
            position: format!("line {i}"),
            reason: "not JSON".into(),
            excerpt: Some("[REDACTED:jwt:0011aabb]".into()),
        })
        .collect();
    let w = BatchWrite {
        source: "s".into(),
        position: "lines=3".into(),
        dead_letters: letters,
        ..Default::default()
    };
    f.store.commit_batch(w).await.unwrap();
    let (s, _) = get(&f, "/v1/dead-letters").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let req = |uri: &str| {
        Request::get(uri).header("authorization", format!("Bearer {}", f.admin)).body(Body::empty()).unwrap()
    };
    let (s, _, v) = call(&f.app, req("/v1/dead-letters?limit=2")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["dead_letters"].as_array().unwrap().len(), 2);
    let after = v["next_after"].as_i64().unwrap();
    let (_, _, v) = call(&f.app, req(&format!("/v1/dead-letters?after={after}"))).await;
    assert_eq!(v["dead_letters"][0]["position"], "line 2");
    assert_eq!(v["next_after"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_covers_every_route() {
    let doc: Value = serde_json::from_str(&openapi::document()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/v1/stats", "get"),
        ("/v1/clients", "get"),
        ("/v1/clients/{client}/series", "get"),
        ("/v1/alerts", "get"),
        ("/v1/alerts/{id}", "get"),
        ("/v1/alerts/{id}/ack", "post"),
        ("/v1/alerts/{id}/resolve", "post"),
        ("/v1/suppressions", "get"),
        ("/v1/suppressions", "post"),
        ("/v1/suppressions/{id}", "delete"),
        ("/v1/dead-letters", "get"),
        ("/v1/report", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing");
    }
    // And the router answers every documented route (not 404).
    let f = fixture().await;
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let uri = path.replace("{client}", "ip:198.51.100.1").replace("{id}", "alt_0001")
                + if path == "/v1/report" {
                    "?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z"
                } else {
                    ""
                };
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header("authorization", format!("Bearer {}", f.admin))
                .body(Body::empty())
                .unwrap();
            let (s, _, v) = call(&f.app, req).await;
            assert_ne!(v["detail"], "no such route", "{method} {uri}");
            assert_ne!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        }
    }
}

#[tokio::test]
async fn sso_jwts_are_checked_for_signature_issuer_audience_expiry_and_scope() {
    use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
    use base64::Engine;
    use jsonwebtoken::{EncodingKey, Header, encode};
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let other = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let public = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap().public_key().as_ref().to_vec();
    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("jwks.json");
    let set = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": b64(&public), "kid": "k1", "alg": "EdDSA", "use": "sig"}]});
    std::fs::write(&jwks, set.to_string()).unwrap();
    let mut cfg = ApiConfig::default();
    cfg.jwt.issuer = "https://idp.example.com/".into();
    cfg.jwt.audience = "gatewatch".into();
    cfg.jwt.jwks_file = jwks.display().to_string();
    cfg.validate().unwrap();
    let f = fixture().await;
    let app = router(f.store.clone(), &cfg, Some(JwtVerifier::load(&cfg.jwt).await.unwrap()));
    let now = chrono::Utc::now().timestamp();
    let sign = |claims: Value, key: &[u8]| {
        let mut h = Header::new(jsonwebtoken::Algorithm::EdDSA);
        h.kid = Some("k1".into());
        encode(&h, &claims, &EncodingKey::from_ed_der(key)).unwrap()
    };
    let claims = |scope: &str, iss: &str, aud: &str, exp: i64| json!({"sub": "alice", "iss": iss, "aud": aud, "exp": exp, "scope": scope});
    let (iss, aud) = ("https://idp.example.com/", "gatewatch");
    let send = |jwt: String, req: axum::http::request::Builder| {
        req.header("authorization", format!("Bearer {jwt}")).body(Body::empty()).unwrap()
    };
    let read = sign(claims("openid gatewatch:read", iss, aud, now + 600), pkcs8.as_ref());
    let (s, _, v) = call(&app, send(read.clone(), Request::get("/v1/alerts"))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _, _) = call(&app, send(read, Request::post("/v1/alerts/alt_0001/ack"))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = sign(
        json!({"sub": "bob", "iss": iss, "aud": aud, "exp": now + 600, "scope": ["gatewatch:admin"]}),
        pkcs8.as_ref(),
    );
    let (s, _, v) = call(&app, send(admin, Request::post("/v1/alerts/alt_0001/ack"))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    for (jwt, want, why) in [
        (
            sign(claims("gatewatch:read", iss, aud, now - 3600), pkcs8.as_ref()),
            StatusCode::UNAUTHORIZED,
            "expired",
        ),
        (
            sign(claims("gatewatch:read", "https://evil.example/", aud, now + 600), pkcs8.as_ref()),
            StatusCode::UNAUTHORIZED,
            "issuer",
        ),
        (
            sign(claims("gatewatch:read", iss, "someone-else", now + 600), pkcs8.as_ref()),
            StatusCode::UNAUTHORIZED,
            "audience",
        ),
        (
            sign(claims("gatewatch:read", iss, aud, now + 600), other.as_ref()),
            StatusCode::UNAUTHORIZED,
            "signature",
        ),
        (sign(claims("openid profile", iss, aud, now + 600), pkcs8.as_ref()), StatusCode::FORBIDDEN, "scope"),
        // alg=none and HS256 keyed with the public key (algorithm confusion) are refused.
        (
            format!(
                "{}.{}.",
                b64(br#"{"alg":"none","kid":"k1"}"#),
                b64(claims("gatewatch:admin", iss, aud, now + 600).to_string().as_bytes())
            ),
            StatusCode::UNAUTHORIZED,
            "malformed",
        ),
        (
            encode(
                &Header::new(jsonwebtoken::Algorithm::HS256),
                &claims("gatewatch:admin", iss, aud, now + 600),
                &EncodingKey::from_secret(&public),
            )
            .unwrap(),
            StatusCode::UNAUTHORIZED,
            "symmetric",
        ),
    ] {
        let (s, _, v) = call(&app, send(jwt, Request::get("/v1/alerts"))).await;
        assert_eq!(s, want, "{why}: {v}");
        assert!(v["detail"].as_str().unwrap().contains(why), "{why}: {v}");
    }
}
