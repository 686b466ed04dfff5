//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations, their
//! typed parameters and the types they return (the domain types of `gatewatch-core` and the
//! records of `gatewatch-store`, with their `openapi` feature).

use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gatewatch API",
        description = "Alerts, per-client series and pipeline health of gatewatch. Data routes need \
            `Authorization: Bearer <token>` (`gatewatch token create --scope read|admin`); errors are \
            RFC 9457 problem details naming the bad parameter.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        crate::healthz,
        crate::readyz,
        crate::metrics_route,
        crate::stats,
        crate::clients::top_clients,
        crate::clients::series,
        crate::alerts::list_alerts,
        crate::alerts::get_alert,
        crate::alerts::ack,
        crate::alerts::resolve,
        crate::admin::list_suppressions,
        crate::admin::create_suppression,
        crate::admin::delete_suppression,
        crate::admin::dead_letters,
    ),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

/// `/v1/report`, merged into the document.
#[derive(OpenApi)]
#[openapi(paths(crate::report::report), components(schemas(ReportFormat)))]
struct ReportDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("gatewatch token (gwt_…) or an SSO JWT"))
                    .build(),
            ),
        );
    }
}

/// The document as JSON (built once).
pub fn document() -> String {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        doc.merge(ReportDoc::openapi());
        doc.to_pretty_json().expect("the OpenAPI document serialises")
    })
    .clone()
}

pub use crate::error::{InvalidParam, Problem};

/// `{"status": "ok"}` (or `"ready"`)
#[derive(serde::Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Json,
    Md,
    Html,
}
