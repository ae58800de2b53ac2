//! The OpenAPI 3 document, generated from the API handlers' annotations (the web crate's and
//! the transparency crate's log endpoints) so it cannot drift, then completed by rules that
//! hold for every route ([`Statuses`]): the statuses the layers answer (401 for a bad token,
//! 403 for a missing CSRF header, 400/408/413/415/422 for a body, 400 for a query string, 404
//! for a path id, 503 where a write to the log finds it halted or busy), the id patterns, and
//! the schema of a domain command.

use axum::Json;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::api::dto;
use crate::error::ErrorBody;
use crate::openapi_schemas::{
    command_schema, yearend_step_schema, ID_PATTERN, ROLE_PATTERN, WINDOW_PATTERN,
};

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
        let schema = serde_json::from_value(command_schema()).expect("a valid command schema");
        components.schemas.insert("Command".into(), schema);
        let binding = serde_json::json!({
            "type": "object",
            "required": ["command", "password"],
            "additionalProperties": false,
            "properties": {
                "command": {"$ref": "#/components/schemas/Command"},
                "password": {"type": "string", "format": "password"}
            }
        });
        let schema = serde_json::from_value(binding).expect("a valid binding command schema");
        components.schemas.insert("BindingCommand".into(), schema);
        let schema =
            serde_json::from_value(yearend_step_schema()).expect("a valid year-end step schema");
        components.schemas.insert("YearEndStep".into(), schema);
    }
}

/// The statuses every route may answer because of the layers in front of it, and the patterns
/// of path ids (see the module).
struct Statuses;

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

/// Documents `status` on `op` with `description`, unless the handler's annotation described it.
fn add(op: &mut Operation, status: &str, description: &str) {
    let response = op
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| error_response(description));
    if let RefOr::T(r) = response {
        if r.description.is_empty() {
            r.description = description.to_owned();
        }
    }
}

/// What a status that the handler's annotation declared without a description means on every
/// route (a route whose statuses mean more says so in its annotation).
fn usual_meaning(status: &str, receipt: bool) -> &'static str {
    match status {
        "200" if receipt => {
            "recorded in the log: the new events' first index and count, and the signed \
             checkpoint that covers them"
        }
        "200" => "the answer, as the schema says",
        "201" => "created",
        "204" => "done (no body)",
        "400" => "a request that does not parse (`invalid_query`, `invalid_body`)",
        "403" => "the caller's roles and unit do not allow it (`forbidden`)",
        "404" => "no such resource, or one the caller may not see (`not_found`)",
        "409" => {
            "refused by the state of what it acts on (already done, frozen, locked, taken): \
             `error` names the rule and `message` says it"
        }
        "422" => {
            "a value the domain refuses: `error` names the rule, `message` says it, `problems` \
             lists each field when several are wrong"
        }
        _ => "see `error` and `message`",
    }
}

/// Gives each response still without a description its [`usual_meaning`].
fn describe_the_rest(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(r) = response else { continue };
        if r.description.is_empty() {
            let receipt = r.content.values().any(|c| {
                matches!(&c.schema, Some(RefOr::Ref(s)) if s.ref_location.ends_with("/ReceiptDto"))
            });
            r.description = usual_meaning(status, receipt).to_owned();
        }
    }
}

/// A 413's description: what was over `limit` bytes, and where the answer says the limit.
fn too_large(limit: usize, what: &str) -> String {
    let said = crate::format::byte_limit(limit, crate::i18n::Lang::En);
    format!(
        "{what} over {said} (`too_large`); `limit_bytes` gives the limit, `message` says it in \
         Vietnamese and in English"
    )
}

/// The operations that write without appending to the log (passwords and API tokens in the
/// account store, witnesses' cosignatures): every other operation that is not a GET appends to
/// the log through the service.
const NOT_APPENDING: &[(&str, &str)] = &[
    ("post", "/api/v1/me/password"),
    ("post", "/api/v1/me/tokens"),
    ("delete", "/api/v1/me/tokens/{id}"),
    ("post", "/api/v1/users/{id}/password"),
    ("delete", "/api/v1/users/{id}/tokens/{token}"),
    ("post", "/api/v1/log/cosignature"),
];

/// What an operation that appends to the log may answer with 503
/// ([`crate::error::ApiError::halted`], [`crate::error::ApiError::busy`]).
const APPEND_UNAVAILABLE: &str = "nothing was recorded: the service has halted its writes \
    because the log read back does not match its state, until an operator restarts it \
    (`halted`); or it is busy (other servers kept appending first, every password-hashing slot \
    in use): retry (`busy`)";

fn complete(path: &str, method: &str, op: &mut Operation) {
    let anonymous = SecurityRequirement::default();
    // Public: every security requirement is empty. Open to anonymous callers: one of them is
    // (`/api/v1/log/entries`, whose answer depends on who asks); neither answers 401 without a
    // credential, only for a bearer token that is given and invalid.
    let public = op
        .security
        .as_ref()
        .is_some_and(|s| s.iter().all(|r| *r == anonymous));
    let open = op.security.as_ref().is_some_and(|s| s.contains(&anonymous));
    add(
        op,
        "401",
        if public {
            "an `Authorization` header that is not a valid bearer token (`invalid_token`); \
             without one the endpoint answers anyone"
        } else if open {
            "only when an `Authorization` header is given and is not a valid bearer token \
             (`invalid_token`): without credentials (or with an expired session cookie) the \
             endpoint answers as for an anonymous caller, who sees only what the public may see"
        } else {
            "not signed in (`unauthenticated`) or a bad bearer token (`invalid_token`)"
        },
    );
    if method != "get" && !public {
        add(op, "403", "a cookie session without the `x-csrf-token` header (`csrf`), or not allowed (`forbidden`)");
    }
    if method != "get" && !NOT_APPENDING.contains(&(method, path)) {
        op.responses
            .responses
            .insert("503".to_owned(), error_response(APPEND_UNAVAILABLE));
    }
    // A JSON body, or a file's bytes (the figures imports: any content type, up to
    // `auth::MAX_UPLOAD`). A 413 says the limit (`limit_bytes`), as `auth::body_limit` has it.
    let json_body = op
        .request_body
        .as_ref()
        .map(|b| b.content.contains_key("application/json"));
    if json_body == Some(true) {
        add(op, "400", "a body that is not JSON (`invalid_body`)");
        add(
            op,
            "408",
            "the body did not arrive in time (`body_timeout`)",
        );
        add(op, "413", &too_large(crate::auth::MAX_BODY, "a body"));
        add(
            op,
            "415",
            "no `Content-Type: application/json` (`invalid_body`)",
        );
        add(op, "422", "JSON of the wrong shape: unknown or missing fields, wrong types (`invalid_body`), or a value the domain refuses");
    } else if json_body == Some(false) {
        add(
            op,
            "408",
            "the file did not arrive in time (`body_timeout`)",
        );
        add(op, "413", &too_large(crate::auth::MAX_UPLOAD, "a file"));
    }
    let params = op.parameters.get_or_insert_with(Vec::new);
    if params.iter().any(|p| p.parameter_in == ParameterIn::Query) {
        add(
            op,
            "400",
            "a query string that does not parse: unknown parameters, wrong types (`invalid_query`)",
        );
    }
    let mut has_path_id = false;
    for p in op.parameters.iter_mut().flatten() {
        if p.parameter_in == ParameterIn::Path {
            has_path_id = true;
            let pattern = match p.name.as_str() {
                "role" => ROLE_PATTERN,
                "window" => WINDOW_PATTERN,
                _ => ID_PATTERN,
            };
            p.schema = Some(RefOr::T(
                serde_json::from_value(serde_json::json!({"type": "string", "pattern": pattern}))
                    .expect("a string schema"),
            ));
        }
    }
    if has_path_id {
        add(
            op,
            "404",
            "no such resource, or one the caller may not see (`not_found`)",
        );
    }
    // Bodies whose schemas are written by hand (`openapi_schemas`), not derived from a type.
    let body_schema = match (path, method) {
        ("/api/v1/commands", _) => Some("Command"),
        ("/api/v1/commands/binding", _) => Some("BindingCommand"),
        ("/api/v1/covenants/{id}/yearend", "post") => Some("YearEndStep"),
        _ => None,
    };
    if let (Some(name), Some(body)) = (body_schema, op.request_body.as_mut()) {
        for content in body.content.values_mut() {
            content.schema = Some(Ref::from_schema_name(name).into());
        }
    }
    describe_the_rest(op);
}

impl Modify for Statuses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, op) in [
                ("get", &mut item.get),
                ("post", &mut item.post),
                ("put", &mut item.put),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ] {
                if let Some(op) = op {
                    complete(path, method, op);
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Thi Đua API", description = "Emulation covenants between police units. Errors are {\"error\": code, \"message\": text}. The log endpoints under /api/v1/log/ are public (security: []); on /api/v1/log/entries anonymous callers see only what the public may see (every leaf hash, no event's bytes), and a member's token or session reads what that member may read. The witness keys are public at /api/v1/log/witnesses."),
    modifiers(&Security, &Statuses),
    security(("bearer" = []), ("cookie" = [])),
    paths(
        thidua_transparency::api::checkpoint, thidua_transparency::api::checkpoints,
        thidua_transparency::api::witnessed, thidua_transparency::api::witness_keys,
        thidua_transparency::api::inclusion, thidua_transparency::api::consistency,
        thidua_transparency::api::leaves, thidua_transparency::api::entries,
        thidua_transparency::api::cosignature, api::log_key,
        api::bootstrap, api::me, api::change_password, api::list_tokens,
        api::create_token, api::revoke_token, api::list_clusters, api::get_cluster,
        api::set_leadership, api::list_units, api::get_unit, api::unit_users, api::list_movements, api::list_holidays,
        api::list_covenants, api::get_covenant, api::get_regulation, api::sign_covenant, api::list_events,
        api::list_users, api::get_user, api::create_user, api::grant_role, api::revoke_role,
        api::reset_password, api::list_user_tokens, api::revoke_user_token, api::command,
        api::binding_command,
        api::figures::window, api::figures::report, api::figures::save, api::figures::submit,
        api::figures::approve, api::figures::reopen, api::figures::import, api::figures::historical,
        api::figures::template, api::figures::export_csv, api::figures::set_deadline,
        api::flags::list, api::flags::export,
        api::progress::covenant, api::progress::unit, api::progress::overview,
        api::midyear::get_review, api::midyear::post_review, api::midyear::get_xlsx,
        api::documents::list_documents, api::documents::get_document, api::documents::get_content,
        api::documents::covenant_document, api::documents::issue_covenant,
        api::documents::list_offers, api::documents::offer_document, api::documents::issue_offer,
        api::yearend::review, api::yearend::results, api::yearend::step, api::yearend::results_xlsx,
        crate::ui::votes::election_api, api::awards::awards, api::awards::awards_workbook,
    ),
    components(schemas(ErrorBody, crate::error::FieldProblem, dto::UnitRef, dto::ClusterSummary, dto::ClusterDetail, dto::UnitSummary,
        dto::UnitDetail, dto::MovementDto, dto::HolidaysDto, dto::CovenantSummary, dto::CovenantDetail, dto::EventDto,
        dto::EventPage, dto::UserDto, api::CreatedUserDto, dto::ReceiptDto, api::figures::WindowDto, api::figures::ReportDto,
        api::figures::ImportOutcome, api::figures::HistoricalYearDto, api::figures::ImportFailure, api::flags::FlagsDto, api::documents::IssuedDocumentDto,
        api::documents::OfferDto, api::documents::OfferQuery,
        api::yearend::ReviewDto, api::yearend::ResultsDto, api::progress::ProgressDto,
        api::progress::UnitDetailDto, api::progress::RecomputeDto, api::midyear::FreezeRequest, api::progress::OverviewDto, api::progress::AwaitingCovenant, api::midyear::MidyearDto, api::awards::AwardsDto))
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    /// The names of the types deriving `ToSchema` in `dir` and below, with the files they are in.
    fn documented_types(dir: &Path, out: &mut BTreeMap<String, Vec<String>>) {
        for path in thidua_test_support::source::rust_files(dir) {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut derives = false;
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[derive(") {
                    derives = line.contains("ToSchema");
                } else if derives && !line.starts_with("#[") && !line.starts_with("///") {
                    let name = line
                        .strip_prefix("pub struct ")
                        .or_else(|| line.strip_prefix("pub enum "))
                        .and_then(|rest| rest.split([' ', '{', '(', '<']).next());
                    if let Some(name) = name {
                        out.entry(name.to_owned())
                            .or_default()
                            .push(path.display().to_string());
                    }
                    derives = false;
                }
            }
        }
    }

    /// The `/api/v1/` paths routed in the web and transparency crates' sources (the string
    /// after each `.route(`).
    fn routed_api_paths() -> std::collections::BTreeSet<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dirs = [root.join("src"), root.join("../thidua-transparency/src")];
        thidua_test_support::source::routes(&dirs)
            .into_iter()
            .map(|r| r.path)
            .filter(|p| p.starts_with("/api/v1/"))
            .collect()
    }

    /// Every API route is in the OpenAPI document (one was served and undocumented).
    /// utoipa takes a field's pattern only as a literal: the role request's is the one the paths
    /// use.
    #[test]
    fn the_role_request_has_the_role_pattern() {
        use utoipa::OpenApi;
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        let pattern = &doc["components"]["schemas"]["RoleRequest"]["properties"]["role"]["pattern"];
        assert_eq!(pattern, super::ROLE_PATTERN);
    }

    #[test]
    fn every_api_route_is_documented() {
        use utoipa::OpenApi;
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        let routed = routed_api_paths();
        assert!(routed.len() > 40, "{routed:?}");
        let missing: Vec<_> = routed.iter().filter(|p| !paths.contains_key(*p)).collect();
        assert!(missing.is_empty(), "routed but not documented: {missing:?}");
    }

    /// Every answer of every route says what it means (OpenAPI requires a description; one
    /// in three was empty).
    #[test]
    fn every_response_is_described() {
        use utoipa::OpenApi;
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        let mut described = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for (status, r) in op["responses"].as_object().unwrap() {
                    let said = r["description"].as_str().unwrap_or_default();
                    assert!(!said.trim().is_empty(), "{method} {path} {status}");
                    described += 1;
                }
            }
        }
        assert!(described > 300, "{described}");
        let sign = &doc["paths"]["/api/v1/covenants/{id}/sign"]["post"]["responses"];
        let said = sign["200"]["description"].as_str().unwrap();
        assert!(said.starts_with("recorded in the log"), "{said}");
    }

    /// Every operation that appends to the log documents the 503 of a halted (or busy) log,
    /// and no other does; the operations said not to append are in the document, so the list
    /// cannot go stale when one is renamed.
    #[test]
    fn writes_to_the_log_document_their_503() {
        use utoipa::OpenApi;
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        for (method, path) in super::NOT_APPENDING {
            assert!(paths[*path][*method].is_object(), "{method} {path}");
        }
        let mut appending = 0;
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap() {
                let documented = op["responses"]["503"]["description"]
                    .as_str()
                    .is_some_and(|d| d.contains("`halted`"));
                let appends = method != "get"
                    && !super::NOT_APPENDING.contains(&(method.as_str(), path.as_str()));
                assert_eq!(documented, appends, "{method} {path}");
                appending += usize::from(appends);
            }
        }
        assert!(appending >= 15, "{appending}");
    }

    /// The log endpoints as a verifier reads them: `/entries` takes no `level` (only `/leaves`
    /// does) and, open to anonymous callers, documents its 401 for a bad token only; the
    /// witness list and the checkpoint sizes are public, with their statuses.
    #[test]
    fn the_log_endpoints_document_what_they_answer() {
        use utoipa::OpenApi;
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        let op = |path: &str| doc["paths"][path]["get"].clone();
        let names = |path: &str| -> Vec<String> {
            op(path)["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(names("/api/v1/log/entries"), ["start", "end"]);
        assert_eq!(names("/api/v1/log/leaves"), ["start", "end", "level"]);
        assert_eq!(names("/api/v1/log/checkpoints"), ["from", "limit"]);
        let entries_401 = op("/api/v1/log/entries")["responses"]["401"]["description"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(entries_401.starts_with("only when an `Authorization` header is given"));
        assert!(!entries_401.contains("unauthenticated"), "{entries_401}");
        for path in ["/api/v1/log/witnesses", "/api/v1/log/checkpoints"] {
            assert_eq!(op(path)["security"], serde_json::json!([{}]), "{path}");
            assert!(op(path)["responses"]["200"].is_object(), "{path}");
            assert!(op(path)["responses"]["401"].is_object(), "{path}");
        }
        assert!(op("/api/v1/log/checkpoints")["responses"]["400"].is_object());
        let schemas = &doc["components"]["schemas"];
        for field in ["quorum", "policy", "witnesses"] {
            assert!(
                schemas["WitnessList"]["properties"][field].is_object(),
                "{field}"
            );
        }
        for field in ["unit", "key", "registered_at", "counts"] {
            assert!(
                schemas["WitnessEntry"]["properties"][field].is_object(),
                "{field}"
            );
        }
    }

    /// The figures imports take a file's bytes, not JSON: their statuses say so (no JSON
    /// wording, no 415), and they document what the routes answer, the unit import's 409 of a
    /// year whose figures the year-end review locked among them; the template its 400 for a
    /// format other than XLSX or CSV.
    #[test]
    fn the_figures_imports_document_a_file_body_and_their_statuses() {
        use utoipa::OpenApi;
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        for path in [
            "/api/v1/covenants/{id}/figures/import",
            "/api/v1/covenants/{id}/figures/historical",
        ] {
            let op = &doc["paths"][path]["post"];
            assert!(
                op["requestBody"]["content"]["application/octet-stream"].is_object(),
                "{path}"
            );
            let responses = op["responses"].as_object().unwrap();
            for status in ["200", "400", "403", "404", "408", "413", "422", "503"] {
                assert!(responses.contains_key(status), "{path}: {status}");
            }
            assert!(!responses.contains_key("415"), "{path}");
            for (status, r) in responses {
                let said = r["description"].as_str().unwrap();
                assert!(!said.contains("JSON"), "{path} {status}: {said}");
            }
        }
        let import = &doc["paths"]["/api/v1/covenants/{id}/figures/import"]["post"];
        let locked = import["responses"]["409"]["description"].as_str().unwrap();
        assert!(locked.contains("`yearend_locked`"), "{locked}");
        let template = &doc["paths"]["/api/v1/covenants/{id}/figures/template"]["get"];
        let bad = template["responses"]["400"]["description"]
            .as_str()
            .unwrap();
        assert!(bad.contains("`format`"), "{bad}");
    }

    /// utoipa names a schema after its type alone, so two types of one name would share one
    /// schema and one of them would be documented with the other's fields (a fuzzer found
    /// integrity flags documented as the inspection's statistics, and a movement's windows as
    /// a window's reports).
    #[test]
    fn every_documented_type_has_a_name_of_its_own() {
        let mut names = BTreeMap::new();
        documented_types(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut names,
        );
        assert!(names.len() > 40, "the scan finds the types: {names:?}");
        let shared: Vec<_> = names.iter().filter(|(_, files)| files.len() > 1).collect();
        assert!(shared.is_empty(), "one name, several types: {shared:?}");
        let doc = serde_json::to_value(<super::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        let fields = |schema: &str| doc["components"]["schemas"][schema]["properties"].clone();
        assert!(fields("FlagDto")["reason_vi"].is_object());
        assert!(fields("InspectionFlagDto")["flagged"].is_object());
        assert!(fields("CalendarWindowDto")["start"].is_object());
        assert!(fields("WindowDto")["windows"].is_object());
        // A unit's score is null before any approval, and the document says so.
        let score = fields("UnitDetailDto")["score"].to_string();
        assert!(score.contains("null"), "{score}");
    }
}
