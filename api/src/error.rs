//! The API's one error type, rendered in exactly one place as RFC 9457 problem details
//! (`application/problem+json`), naming the parameter at fault when there is one.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// RFC 9457 problem details.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    /// The parameter (or body field) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_params: Option<Vec<InvalidParam>>,
}

#[derive(Serialize, ToSchema)]
pub struct InvalidParam {
    pub name: String,
    pub reason: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: String,
    /// The query or path parameter that was rejected.
    pub param: Option<String>,
}

impl ApiError {
    pub fn bad_param(param: &str, detail: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, detail: detail.into(), param: Some(param.to_string()) }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, detail: detail.into(), param: None }
    }

    pub fn method_not_allowed() -> Self {
        Self {
            status: StatusCode::METHOD_NOT_ALLOWED,
            detail: "this route does not accept that method".into(),
            param: None,
        }
    }
}

impl From<gatewatch_store::Error> for ApiError {
    fn from(e: gatewatch_store::Error) -> Self {
        // Store errors are logged server-side; the caller gets no internals.
        tracing::error!(error = %e, "store error while serving a request");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            detail: "the store failed to answer; see the service log".into(),
            param: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            type_: "about:blank",
            title: self.status.canonical_reason().unwrap_or("error"),
            status: self.status.as_u16(),
            invalid_params: self.param.map(|name| vec![InvalidParam { name, reason: self.detail.clone() }]),
            detail: self.detail,
        };
        let body = serde_json::to_string(&body).expect("a problem serialises");
        (self.status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
    }
}
