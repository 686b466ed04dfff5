//! The REST API's query strings and paths on arbitrary bytes, through the real router over an
//! in-memory store: never a panic and never a 5XX; every answer is JSON.
#![no_main]

use axum::body::Body;
use axum::http::Request;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use gatewatch_api::config::ApiConfig;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower::ServiceExt;

struct Fixture {
    rt: tokio::runtime::Runtime,
    app: axum::Router,
    token: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (app, token) = rt.block_on(async {
            let store = Store::open("sqlite::memory:").await.unwrap();
            let (id, token, hash) = gatewatch_api::auth::new_token();
            store.create_token(&id, "fuzz", "admin", &hash, 0).await.unwrap();
            let cfg = ApiConfig { rate_limit_per_minute: 1_000_000_000, rate_limit_burst: 1_000_000, ..ApiConfig::default() };
            (gatewatch_api::router(store, &cfg, None), token)
        });
        Fixture { rt, app, token }
    })
}

const ROUTES: [&str; 8] = [
    "/v1/alerts",
    "/v1/alerts/",
    "/v1/clients",
    "/v1/clients/ip:198.51.100.1/series",
    "/v1/stats",
    "/v1/report",
    "/v1/dead-letters",
    "/v1/suppressions",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let f = fixture();
    let tail = String::from_utf8_lossy(rest);
    let uri = if pick & 0x80 == 0 {
        format!("{}?{}", ROUTES[pick as usize % ROUTES.len()], tail)
    } else {
        format!("{}{}", ROUTES[pick as usize % ROUTES.len()], tail)
    };
    let Ok(req) = Request::get(uri.as_str()).header("authorization", format!("Bearer {}", f.token)).body(Body::empty())
    else {
        return; // not a URI at all: the HTTP server would have refused it before the router
    };
    let (status, body) = f.rt.block_on(async {
        let res = f.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        (status, axum::body::to_bytes(res.into_body(), 1 << 22).await.unwrap())
    });
    assert!(!status.is_server_error(), "{uri} answered {status}");
    if status != 404 || !body.is_empty() {
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok(), "{uri} answered non-JSON");
    }
});
