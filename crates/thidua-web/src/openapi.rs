//! The OpenAPI 3 document, generated from the API handlers' annotations so it cannot drift.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::api::dto;
use crate::error::ErrorBody;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(
                utoipa::openapi::security::ApiKeyValue::new("thidua_session"),
            )),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Thi Đua API", description = "Emulation covenants between police units. Errors are {\"error\": code, \"message\": text}."),
    modifiers(&Security),
    security(("bearer" = []), ("cookie" = [])),
    paths(
        api::checkpoint, api::bootstrap, api::me, api::change_password, api::list_tokens,
        api::create_token, api::revoke_token, api::list_clusters, api::get_cluster,
        api::set_leadership, api::list_units, api::get_unit, api::unit_users, api::list_movements,
        api::list_covenants, api::get_covenant, api::sign_covenant, api::list_events,
        api::list_users, api::get_user, api::create_user, api::grant_role, api::revoke_role,
        api::reset_password, api::command,
        api::documents::list_documents, api::documents::get_document,
        api::documents::covenant_document, api::documents::issue_covenant,
    ),
    components(schemas(ErrorBody, dto::UnitRef, dto::ClusterSummary, dto::ClusterDetail, dto::UnitSummary,
        dto::UnitDetail, dto::MovementDto, dto::CovenantSummary, dto::CovenantDetail, dto::EventDto,
        dto::EventPage, dto::UserDto, dto::ReceiptDto, api::documents::IssuedDocumentDto))
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
