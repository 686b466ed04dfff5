//! The web dashboard: one HTML page, one script, one stylesheet, embedded in the binary and
//! served without authentication (they hold no data; the script reads the API with the
//! caller's bearer token). Every response carries a strict Content-Security-Policy: no inline
//! script or style, nothing loaded from elsewhere, no framing.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");

/// The policy the dashboard is written for (`data:` images: the empty favicon).
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// `GET /`, `GET /assets/app.js`, `GET /assets/app.css`.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }))
        .route("/assets/app.css", get(|| async { asset("text/css; charset=utf-8", APP_CSS) }))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[tokio::test]
    async fn assets_are_served_with_their_types_and_the_policy() {
        let app: Router = routes();
        for (uri, ty, needle) in [
            ("/", "text/html; charset=utf-8", "<title>gatewatch</title>"),
            ("/assets/app.js", "text/javascript; charset=utf-8", "'use strict'"),
            ("/assets/app.css", "text/css; charset=utf-8", ".badge"),
        ] {
            let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{uri}");
            assert_eq!(res.headers()[header::CONTENT_TYPE], ty, "{uri}");
            assert_eq!(res.headers()[header::CONTENT_SECURITY_POLICY], CSP, "{uri}");
            let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
            assert!(String::from_utf8_lossy(&body).contains(needle), "{uri}");
        }
        let res = app.oneshot(Request::get("/assets/other.js").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }

    /// The page works under the policy only if nothing is inline, and data never becomes markup.
    #[test]
    fn nothing_inline_and_no_html_sinks() {
        let lower = INDEX_HTML.to_ascii_lowercase();
        assert!(!lower.contains("style="), "inline style attribute in index.html");
        assert!(!lower.contains("<style"), "inline stylesheet in index.html");
        for (i, _) in lower.match_indices("<script") {
            let tag = &lower[i..i + lower[i..].find('>').unwrap()];
            assert!(tag.contains(" src="), "inline script in index.html: {tag}");
        }
        let attrs =
            lower.split(|c: char| c.is_whitespace()).filter(|w| w.starts_with("on") && w.contains('='));
        assert_eq!(attrs.count(), 0, "inline event handler in index.html");
        assert!(!lower.contains("http://") && !lower.contains("https://"), "external resource in index.html");
        for sink in
            ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"]
        {
            assert!(!APP_JS.contains(sink), "app.js uses {sink}");
        }
        let js = APP_JS.replace("'http://www.w3.org/2000/svg'", "");
        assert!(!js.contains("http://") && !js.contains("https://"), "app.js loads from elsewhere");
    }
}
