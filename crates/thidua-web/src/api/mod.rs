//! The JSON API under `/api/v1`: the same capabilities as the pages, authenticated by session
//! cookie (writes then need `x-csrf-token`) or bearer token, answering errors as
//! `{"error": "code", "message": "…"}`. Reads are checked by [`crate::authz`], writes by the
//! domain. The OpenAPI document is generated from these handlers ([`crate::openapi`]).

mod account;
pub mod awards;
pub mod changes;
pub mod documents;
pub mod dto;
pub mod explain;
pub mod extract;
pub mod figures;
pub mod flags;
pub mod history;
pub mod midyear;
pub mod problems;
pub mod progress;
pub mod yearend;

pub use account::*;

use std::str::FromStr;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use thidua_domain::model::{LeadershipMethod, LeadershipPosition, Role};
use thidua_domain::{Actor, ClusterId, Command, CovenantId, Text, UnitId, UserId};
use utoipa::{IntoParams, ToSchema};

use crate::accounts;
use crate::auth::Viewer;
use crate::authz::Scope;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;
use dto::*;
use extract::{ApiJson, ApiQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(crate::openapi::document))
        .route("/api/v1/bootstrap", post(bootstrap))
        .route("/api/v1/me", get(me))
        .route("/api/v1/me/password", post(change_password))
        .route("/api/v1/me/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/me/tokens/{id}", delete(revoke_token))
        .route("/api/v1/clusters", get(list_clusters))
        .route("/api/v1/clusters/{id}", get(get_cluster))
        .route("/api/v1/clusters/{id}/leadership", post(set_leadership))
        .route("/api/v1/units", get(list_units))
        .route("/api/v1/units/{id}", get(get_unit))
        .route("/api/v1/units/{id}/users", get(unit_users))
        .route("/api/v1/movements", get(list_movements))
        .route("/api/v1/holidays", get(list_holidays))
        .route("/api/v1/covenants", get(list_covenants))
        .route("/api/v1/covenants/{id}", get(get_covenant))
        .route(
            "/api/v1/covenants/{id}/regulation.toml",
            get(get_regulation),
        )
        .route("/api/v1/covenants/{id}/sign", post(sign_covenant))
        .route("/api/v1/events", get(list_events))
        .route("/api/v1/users", get(list_users).post(create_user))
        .route("/api/v1/users/{id}", get(get_user))
        .route("/api/v1/users/{id}/roles", post(grant_role))
        .route("/api/v1/users/{id}/roles/{role}", delete(revoke_role))
        .route("/api/v1/users/{id}/password", post(reset_password))
        .route("/api/v1/users/{id}/tokens", get(list_user_tokens))
        .route(
            "/api/v1/users/{id}/tokens/{token}",
            delete(revoke_user_token),
        )
        .route("/api/v1/commands", post(command))
        .route("/api/v1/commands/binding", post(binding_command))
        .merge(awards::routes())
        .merge(figures::routes())
        .merge(flags::routes())
        .merge(progress::routes())
        .merge(midyear::routes())
        .merge(yearend::routes())
        .route("/api/v1/log/key", get(log_key))
        .merge(documents::routes())
}

pub(crate) fn parse_id<T>(
    raw: &str,
    parse: fn(&str) -> Result<T, thidua_domain::DomainError>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|_| ApiError::not_found())
}

/// Executes commands as the viewer, on the blocking pool. A command naming something the viewer
/// may not see is answered as if that thing did not exist ([`crate::authz::commands`]).
pub async fn execute(
    app: &AppState,
    viewer: &Viewer,
    commands: Vec<Command>,
) -> Result<ReceiptDto, ApiError> {
    execute_with_files(app, viewer, commands, &[]).await
}

/// What the service would answer to `command` from `actor` at `now_ms`, without recording
/// anything: the forms' dry runs, judged at the log's clock ([`Viewer::now_ms`],
/// `Service::now_ms`) as the append would be (a submission waits for its window's cut-off, a
/// dossier freezes at its deadline).
pub fn dry_run(
    state: &thidua_domain::State,
    actor: &Actor,
    now_ms: i64,
    command: Command,
) -> Result<Vec<thidua_domain::Payload>, thidua_domain::DomainError> {
    thidua_domain::decide_and_apply(state, actor, now_ms, command).map(|(payloads, _)| payloads)
}

/// [`dry_run`] of `commands` in order, each seeing the ones before (a batch, an import): the
/// position of the first one refused and its refusal, if any.
pub fn dry_run_all(
    state: &thidua_domain::State,
    actor: &Actor,
    now_ms: i64,
    commands: &[Command],
) -> Result<(), (usize, thidua_domain::DomainError)> {
    let mut scratch = state.clone();
    for (i, c) in commands.iter().enumerate() {
        scratch = thidua_domain::decide_and_apply(&scratch, actor, now_ms, c.clone())
            .map_err(|e| (i, e))?
            .1;
    }
    Ok(())
}

/// [`execute`] for commands that come with the files `uploaded` (their SHA-256, hex): only such
/// files may be newly attached to a dossier ([`evidence::new_files`]).
///
/// [`evidence::new_files`]: thidua_domain::yearend::evidence::new_files
pub async fn execute_with_files(
    app: &AppState,
    viewer: &Viewer,
    commands: Vec<Command>,
    uploaded: &[String],
) -> Result<ReceiptDto, ApiError> {
    let actor = Actor::User(viewer.user.clone());
    // Before anything is looked up: the answer is the same whether what the command names
    // exists, is hidden from the viewer or is missing.
    if !viewer.password_rechecked.yes() && commands.iter().any(crate::authz::commands::binding) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "password_required",
            "signing, recording or confirming a paper count and deciding a tie need the \
             password again in the same request: POST /api/v1/commands/binding with \
             `command` and `password` (or /covenants/{id}/sign for a signature), or the page",
        ));
    }
    if commands
        .iter()
        .any(|c| matches!(c, Command::IssueDocument { .. }))
    {
        // Its SHA-256 names content the server must have made (`thidua_docs::issue`): named
        // by a caller, it could point at any stored file, another unit's evidence included.
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "document_not_by_command",
            "a document is issued through POST /api/v1/clusters/{id}/documents/issue or \
             /covenants/{id}/document/issue, which make its content; never by naming a SHA-256",
        ));
    }
    {
        let state = app.service.read();
        for command in &commands {
            if let Some(answer) = crate::authz::commands::hidden_answer(
                &viewer.scope,
                &state,
                &actor,
                viewer.now_ms,
                command,
            ) {
                return Err(answer);
            }
        }
        for command in &commands {
            let new = thidua_domain::yearend::evidence::new_files(&state, &actor, command);
            if let Some(file) = new.iter().find(|f| !uploaded.contains(&f.sha256)) {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "yearend_evidence_not_uploaded",
                    format!(
                        "{}: a new evidence file is attached by uploading it \
                         (POST /covenants/{{id}}/yearend/evidence), not by naming its SHA-256",
                        file.name
                    ),
                ));
            }
        }
    }
    let started = std::time::Instant::now();
    let result: Result<ReceiptDto, ApiError> = app
        .blocking(move |app| Ok(app.service.execute_all(&actor, commands)?.into()))
        .await;
    let (outcome, events) = match &result {
        Ok(receipt) => ("appended", receipt.count),
        Err(e) if e.status.is_client_error() => ("refused", 0),
        Err(_) => ("failed", 0),
    };
    app.config
        .metrics
        .command(outcome, events, started.elapsed());
    result
}

/// Readiness: the service accepts writes and the store answers. A halted service (the log read
/// back did not match its state, or the snapshot it started from did not) is not ready; the
/// answer says so without the details, which name events and users and are in the server's
/// log, since this endpoint is public.
pub async fn readyz(State(app): State<AppState>) -> Response {
    if app.service.halted().is_some() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: halted (writes have stopped because the log read back does not match \
             the service's state; the reason is in the server's log)",
        )
            .into_response();
    }
    match app.blocking(|app| Ok(app.service.store().size()?)).await {
        Ok(_) => (StatusCode::OK, "ready").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response(),
    }
}

/// The latest signed checkpoint of the log (C2SP signed note), public.
#[utoipa::path(get, path = "/api/v1/log/checkpoint", tag = "log",
    responses((status = 200, description = "signed note", content_type = "text/plain", body = String),
              (status = 404, body = ErrorBody)))]
pub async fn checkpoint(State(app): State<AppState>) -> Result<Response, ApiError> {
    let cp = app
        .blocking(|app| Ok(app.service.store().latest_checkpoint()?))
        .await?;
    match cp {
        Some(cp) => Ok((
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            cp.note,
        )
            .into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "empty_log",
            "the log is empty",
        )),
    }
}

/// The log's public verifier key (C2SP note verifier key `<name>+<hash>+<base64 key>`), public:
/// what `thidua witness --log-key` and `thidua verify --log-key` need.
#[utoipa::path(get, path = "/api/v1/log/key", tag = "log", security(()),
    responses((status = 200, description = "the verifier key and a newline", content_type = "text/plain", body = String)))]
pub async fn log_key(State(app): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{}\n", app.service.key().verifier_key()),
    )
        .into_response()
}

/// Clusters the viewer may see.
#[utoipa::path(get, path = "/api/v1/clusters", tag = "clusters", params(PageQuery),
    responses((status = 200, body = Page<ClusterSummary>)))]
pub async fn list_clusters(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Json<Page<ClusterSummary>> {
    Json(q.page(clusters(&app.service.read(), &viewer.scope)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year to show; default: the latest with a membership.
    pub year: Option<i32>,
}

/// A cluster: members of a year in Vietnamese collation order, head, deputy, covenants.
#[utoipa::path(get, path = "/api/v1/clusters/{id}", tag = "clusters",
    params(("id" = String, Path, description = "cluster id"), YearQuery),
    responses((status = 200, body = ClusterDetail), (status = 404, body = ErrorBody)))]
pub async fn get_cluster(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<ClusterDetail>, ApiError> {
    let id = parse_id(&id, ClusterId::parse)?;
    Ok(Json(cluster_detail(
        &app.service.read(),
        &viewer.scope,
        &id,
        q.year,
    )?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadershipRequest {
    pub year: i32,
    /// `head` or `deputy`.
    #[schema(pattern = "^(head|deputy)$")]
    pub position: String,
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub unit: String,
    /// `elected` or `assigned`.
    #[schema(pattern = "^(elected|assigned)$")]
    pub method: String,
    /// The decision's number and symbol.
    #[schema(min_length = 1, max_length = 100)]
    pub decision: String,
}

/// Records the head or deputy of a cluster for a year (cluster secretariat).
#[utoipa::path(post, path = "/api/v1/clusters/{id}/leadership", tag = "clusters", request_body = LeadershipRequest,
    params(("id" = String, Path, description = "cluster id")),
    responses((status = 200, body = ReceiptDto), (status = 403, description = "not the cluster's secretariat (`forbidden`)", body = ErrorBody),
              (status = 422, description = "a position, method or unit the cluster's year cannot take: a unit not a member that year, or one that had ceased (`unit_dissolved`), a position already held by the other unit, a decision that is not one line of text (`invalid_text`)", body = ErrorBody)))]
pub async fn set_leadership(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<LeadershipRequest>,
) -> Result<Json<ReceiptDto>, ApiError> {
    let cluster = parse_id(&id, ClusterId::parse)?;
    if !viewer.scope.can_view_cluster(&app.service.read(), &cluster) {
        return Err(ApiError::not_found());
    }
    let position = match req.position.as_str() {
        "head" => LeadershipPosition::Head,
        "deputy" => LeadershipPosition::Deputy,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_value",
                "position: head or deputy",
            ))
        }
    };
    let method = match req.method.as_str() {
        "elected" => LeadershipMethod::Elected,
        "assigned" => LeadershipMethod::Assigned,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_value",
                "method: elected or assigned",
            ))
        }
    };
    let command = Command::SetClusterLeadership {
        cluster,
        year: req.year,
        position,
        unit: UnitId::parse(&req.unit)?,
        method,
        decision: Text::parse(
            "decision",
            &req.decision,
            thidua_domain::text::limits::DECISION,
        )?,
    };
    Ok(Json(execute(&app, &viewer, vec![command]).await?))
}

/// Units the viewer may see.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(PageQuery), responses((status = 200, body = Page<UnitSummary>)))]
pub async fn list_units(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Json<Page<UnitSummary>> {
    Json(q.page(units(&app.service.read(), &viewer.scope)))
}

/// A unit with its former names and lineage (mergers and splits).
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = String, Path, description = "unit id")),
    responses((status = 200, body = UnitDetail), (status = 404, body = ErrorBody)))]
pub async fn get_unit(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<UnitDetail>, ApiError> {
    let id = parse_id(&id, UnitId::parse)?;
    Ok(Json(unit_detail(&app.service.read(), &viewer.scope, &id)?))
}

/// The users holding a role on a unit: the unit itself and administrators only.
#[utoipa::path(get, path = "/api/v1/units/{id}/users", tag = "units", params(("id" = String, Path, description = "unit id")),
    responses((status = 200, body = [UserDto]), (status = 403, body = ErrorBody)))]
pub async fn unit_users(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Vec<UserDto>>, ApiError> {
    let id = parse_id(&id, UnitId::parse)?;
    Ok(Json(users(&app.service.read(), &viewer.scope, Some(&id))?))
}

/// Emulation movements (public to every signed-in user).
#[utoipa::path(get, path = "/api/v1/movements", tag = "movements", params(PageQuery), responses((status = 200, body = Page<MovementDto>)))]
pub async fn list_movements(
    State(app): State<AppState>,
    _viewer: Viewer,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Json<Page<MovementDto>> {
    Json(q.page(movements(&app.service.read())))
}

/// Every year's declared public holidays (public to every signed-in user): the days, besides
/// Saturdays and Sundays, that a deadline counted in working days skips.
#[utoipa::path(get, path = "/api/v1/holidays", tag = "movements", responses((status = 200, body = Vec<HolidaysDto>)))]
pub async fn list_holidays(State(app): State<AppState>, _viewer: Viewer) -> Json<Vec<HolidaysDto>> {
    Json(holidays(&app.service.read()))
}

/// Covenants the viewer may see.
#[utoipa::path(get, path = "/api/v1/covenants", tag = "covenants", params(PageQuery), responses((status = 200, body = Page<CovenantSummary>)))]
pub async fn list_covenants(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Json<Page<CovenantSummary>> {
    Json(q.page(covenants(&app.service.read(), &viewer.scope)))
}

/// A covenant with its versions, targets and signature status.
#[utoipa::path(get, path = "/api/v1/covenants/{id}", tag = "covenants", params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, body = CovenantDetail), (status = 404, body = ErrorBody)))]
pub async fn get_covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<CovenantDetail>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    Ok(Json(covenant_detail(
        &app.service.read(),
        &viewer.scope,
        &id,
    )?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RegulationQuery {
    /// The covenant version; default: the version in force (the newest signed by every
    /// member), else the latest draft.
    #[param(minimum = 1)]
    pub version: Option<u32>,
}

/// The scoring regulation of a covenant version as a file: its exact canonical text (UTF-8),
/// whose SHA-256 is the version's `regulation_sha256` that the members signed, for
/// `thidua score --regulation` (with the figures export) to recompute the scores offline.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/regulation.toml", tag = "covenants",
    params(("id" = String, Path, description = "covenant id"), RegulationQuery),
    responses((status = 200, description = "the regulation's canonical text (TOML); its SHA-256 is the version's `regulation_sha256` (UTF-8)", content_type = "text/plain", body = String),
        (status = 404, description = "no such covenant or version, or one the caller may not see (`not_found`)", body = ErrorBody)))]
pub async fn get_regulation(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<RegulationQuery>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let state = app.service.read();
    let c = state.covenants.get(&id).ok_or_else(ApiError::not_found)?;
    if !viewer.scope.can_view_covenant(&state, c) {
        return Err(ApiError::not_found());
    }
    let v = match q.version {
        Some(n) => c.version(n).ok_or_else(ApiError::not_found)?,
        None => c.in_force().unwrap_or_else(|| c.latest()),
    };
    let name = format!("quy-dinh_{id}_v{}.toml", v.version);
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        v.content.regulation.text.clone(),
    )
        .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    /// The unit signing (the viewer must be its leader).
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub unit: String,
    #[schema(minimum = 1)]
    pub version: u32,
    /// The covenant version's hash as shown to the leader.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub hash: String,
    /// The leader's password again: a signature binds the unit, so it is never made on a
    /// session or token alone (`password_required` without it; `wrong_password`,
    /// `too_many_attempts`).
    #[schema(format = Password)]
    pub password: Option<String>,
}

/// Signs a covenant version for a unit (its leader), confirming the hash, with the leader's
/// password again.
#[utoipa::path(post, path = "/api/v1/covenants/{id}/sign", tag = "covenants", request_body = SignRequest,
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, body = ReceiptDto),
              (status = 403, description = "not the unit's leader, no password (`password_required`) or a wrong one (`wrong_password`)", body = ErrorBody),
              (status = 409, description = "the unit already signed this version (`already_signed`), the hash is not the version's (`hash_mismatch`), or the covenant is frozen or withdrawn (`covenant_frozen`, `covenant_withdrawn`)", body = ErrorBody),
              (status = 429, description = "too many wrong passwords (`too_many_attempts`)", body = ErrorBody)))]
pub async fn sign_covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SignRequest>,
) -> Result<Json<ReceiptDto>, ApiError> {
    let covenant = parse_id(&id, CovenantId::parse)?;
    let unit = UnitId::parse(&req.unit)?;
    // Without a password the signature is refused as `password_required` by `execute`, the
    // one place that asks it of every binding command.
    let viewer = match req.password {
        Some(password) => recheck_password(&app, &viewer, password).await?,
        None => viewer,
    };
    Ok(Json(
        sign(&app, &viewer, covenant, req.version, unit, req.hash).await?,
    ))
}

/// Signing, shared by the API and the confirmation page.
pub async fn sign(
    app: &AppState,
    viewer: &Viewer,
    covenant: CovenantId,
    version: u32,
    unit: UnitId,
    hash: String,
) -> Result<ReceiptDto, ApiError> {
    {
        let state = app.service.read();
        let c = state
            .covenants
            .get(&covenant)
            .ok_or_else(ApiError::not_found)?;
        if !viewer.scope.can_view_covenant(&state, c) {
            return Err(ApiError::not_found());
        }
    }
    execute(
        app,
        viewer,
        vec![Command::SignCovenant {
            covenant,
            version,
            unit,
            hash,
        }],
    )
    .await
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only events concerning this unit.
    #[param(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub unit: Option<String>,
    /// Only events of this kind (e.g. `covenant_signed`).
    #[param(pattern = "^[a-z_]{1,64}$")]
    pub kind: Option<String>,
    /// Only events with a log index below this (the cursor of the next page).
    pub before: Option<u64>,
    /// 1–200, default 50 (others are brought into that range).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
}

/// The log's events the viewer may see, newest first.
#[utoipa::path(get, path = "/api/v1/events", tag = "log", params(EventQuery),
    responses((status = 200, body = EventPage), (status = 422, description = "`unit` is not an id (`invalid_id`)", body = ErrorBody)))]
pub async fn list_events(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> Result<Json<EventPage>, ApiError> {
    Ok(Json(history(&app, &viewer.scope, q).await?))
}

/// The visible events that match the filters, newest first from `before`.
pub async fn history(app: &AppState, scope: &Scope, q: EventQuery) -> Result<EventPage, ApiError> {
    let (events, next_before) = history_events(app, scope, q).await?;
    Ok(EventPage {
        items: events.iter().map(event_dto).collect(),
        next_before,
    })
}

/// The events of [`fn@history`] themselves (for the pages, which tell them as sentences), and the
/// cursor of the next page. Only the candidates the state's history index names for the
/// viewer and the filters are read from the store ([`history::candidates`]), so a page costs
/// what it shows; each is then checked against the filters and the viewer's scope.
pub async fn history_events(
    app: &AppState,
    scope: &Scope,
    q: EventQuery,
) -> Result<(Vec<thidua_domain::Event>, Option<u64>), ApiError> {
    let unit = match q.unit.as_deref().filter(|s| !s.is_empty()) {
        Some(u) => Some(UnitId::parse(u)?),
        None => None,
    };
    let kind = q.kind.filter(|k| !k.is_empty());
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let scope = scope.clone();
    app.blocking(move |app| {
        let state = app.service.read();
        let vis = scope.visibility(&state);
        let before = q.before.unwrap_or(state.size).min(state.size);
        let mut candidates =
            history::candidates(&state.history, &vis, unit.as_ref(), kind.as_deref(), before);
        let mut items = Vec::new();
        while items.len() < limit {
            let batch: Vec<u64> = candidates.by_ref().take(64).collect();
            if batch.is_empty() {
                break;
            }
            for event in history::read(app.service.store().as_ref(), &batch)? {
                if unit.as_ref().is_some_and(|u| !concerns(&event.payload, u))
                    || kind.as_deref().is_some_and(|k| event.payload.kind() != k)
                    || !scope.can_view_event_with(&state, &vis, &event)
                {
                    continue;
                }
                items.push(event);
                if items.len() == limit {
                    break;
                }
            }
        }
        let next_before = match items.last() {
            Some(last) if items.len() == limit && last.index > 0 => Some(last.index),
            _ => None,
        };
        Ok((items, next_before))
    })
    .await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only users holding a role on this unit (the unit itself and administrators only).
    #[param(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub unit: Option<String>,
    pub offset: Option<usize>,
    pub limit: Option<usize>,
}

/// Users the viewer may see (administrators: everyone; others: their unit's people).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = Page<UserDto>), (status = 403, body = ErrorBody),
              (status = 422, description = "`unit` is not an id (`invalid_id`)", body = ErrorBody)))]
pub async fn list_users(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> Result<Json<Page<UserDto>>, ApiError> {
    let unit = match q.unit.as_deref() {
        Some(u) => Some(UnitId::parse(u)?),
        None => None,
    };
    let all = users(&app.service.read(), &viewer.scope, unit.as_ref())?;
    Ok(Json(
        PageQuery {
            offset: q.offset,
            limit: q.limit,
        }
        .page(all),
    ))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = UserDto), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<UserDto>, ApiError> {
    let id = parse_id(&id, UserId::parse)?;
    Ok(Json(user_detail(&app.service.read(), &viewer.scope, &id)?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub id: String,
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: String,
    #[serde(default)]
    pub demo: bool,
    /// An initial password (optional; an administrator can set one later).
    #[schema(min_length = 10, max_length = 256)]
    pub password: Option<String>,
}

/// A user just registered, with what should make the administrator look again
/// ([`user_warnings`]); `warnings` is left out when there are none.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CreatedUserDto {
    #[serde(flatten)]
    pub user: UserDto,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What should make an administrator pause before registering a user: one home for the page's
/// warnings and the API's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserWarning {
    /// The id is also a unit's, a cluster's, a covenant's or a movement's.
    IdTaken { id: String },
    /// Another user (`id`) already has this display name (compared without regard to case).
    SameName { name: String, id: String },
}

impl std::fmt::Display for UserWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UserWarning::IdTaken { id } => write!(
                f,
                "{id} is also the id of a unit, cluster, covenant or movement"
            ),
            UserWarning::SameName { name, id } => write!(f, "user {id} is already called {name}"),
        }
    }
}

/// The warnings about registering `id` called `name` ([`UserWarning`]).
pub fn user_warnings(state: &thidua_domain::State, id: &str, name: &str) -> Vec<UserWarning> {
    let mut out = Vec::new();
    let taken = state.units.keys().any(|u| u.as_str() == id)
        || state.clusters.keys().any(|c| c.as_str() == id)
        || state.covenants.keys().any(|c| c.as_str() == id)
        || state.movements.keys().any(|m| m.as_str() == id);
    if taken {
        out.push(UserWarning::IdTaken { id: id.to_owned() });
    }
    let name = thidua_domain::text::nfc(name.trim());
    if let Some(other) = state
        .users
        .values()
        .find(|u| thidua_domain::text::same_name(u.display_name.as_str(), &name))
    {
        out.push(UserWarning::SameName {
            name: other.display_name.to_string(),
            id: other.id.to_string(),
        });
    }
    out
}

/// Registers a user (administrators). What the page warns about before registering (an id that
/// is also a unit's, cluster's, covenant's or movement's; a display name another user has) is
/// answered with the new user as `warnings`, in English: a script is not stopped, and its
/// administrator is told.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = CreatedUserDto), (status = 403, body = ErrorBody),
              (status = 409, description = "the user exists (`user_exists`)", body = ErrorBody)))]
pub async fn create_user(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiJson(req): ApiJson<NewUser>,
) -> Result<Response, ApiError> {
    let user = UserId::parse(&req.id)?;
    let display_name = Text::parse(
        "display_name",
        &req.display_name,
        thidua_domain::text::limits::DISPLAY_NAME,
    )?;
    if !viewer.scope.is_admin() {
        return Err(ApiError::forbidden());
    }
    if let Some(p) = &req.password {
        accounts::check_password_policy(p)?;
    }
    let warnings = user_warnings(&app.service.read(), user.as_str(), display_name.as_str());
    execute(
        &app,
        &viewer,
        vec![Command::RegisterUser {
            user: user.clone(),
            display_name,
            demo: req.demo,
        }],
    )
    .await?;
    let dto = app
        .hashing(move |app| {
            if let Some(p) = req.password {
                accounts::set_password(&*app.accounts, &app.service, &user, &p)?;
            }
            Ok(user_dto(&app.service.read().users[&user]))
        })
        .await?;
    let created = CreatedUserDto {
        user: dto,
        warnings: warnings.iter().map(ToString::to_string).collect(),
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    /// `admin`, `secretariat:CLUSTER`, `officer:UNIT`, `leader:UNIT`, `supervisor:CLUSTER` or
    /// `ministry_supervisor` (read-only, every cluster).
    /// (The pattern is `openapi_schemas::ROLE_PATTERN`, which utoipa takes only as a literal; a
    /// test holds the two equal.)
    #[schema(
        pattern = "^(admin|ministry_supervisor|(secretariat|supervisor|officer|leader):[a-z0-9][a-z0-9._-]{0,63})$"
    )]
    pub role: String,
}

fn parse_role(raw: &str) -> Result<Role, ApiError> {
    Role::from_str(raw).map_err(ApiError::from)
}

/// Grants a role (administrators); recorded in the log.
#[utoipa::path(post, path = "/api/v1/users/{id}/roles", tag = "users", request_body = RoleRequest,
    params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = ReceiptDto), (status = 403, description = "not an administrator (`forbidden`)", body = ErrorBody),
              (status = 409, description = "the user already has the role (`role_already_granted`)", body = ErrorBody)))]
pub async fn grant_role(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RoleRequest>,
) -> Result<Json<ReceiptDto>, ApiError> {
    let user = parse_id(&id, UserId::parse)?;
    let role = parse_role(&req.role)?;
    Ok(Json(
        execute(&app, &viewer, vec![Command::GrantRole { user, role }]).await?,
    ))
}

/// Revokes a role (administrators); recorded in the log.
#[utoipa::path(delete, path = "/api/v1/users/{id}/roles/{role}", tag = "users",
    params(("id" = String, Path, description = "user id"), ("role" = String, Path, description = "e.g. leader:ca-kg")),
    responses((status = 200, body = ReceiptDto), (status = 403, description = "not an administrator (`forbidden`)", body = ErrorBody),
              (status = 409, description = "the user does not have the role (`role_not_granted`)", body = ErrorBody),
              (status = 422, description = "not a role (`invalid_role`…)", body = ErrorBody)))]
pub async fn revoke_role(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, role)): Path<(String, String)>,
) -> Result<Json<ReceiptDto>, ApiError> {
    let user = parse_id(&id, UserId::parse)?;
    let role = parse_role(&role)?;
    Ok(Json(
        execute(&app, &viewer, vec![Command::RevokeRole { user, role }]).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
}

/// Resets a user's password (administrators); ends the user's sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "users", request_body = PasswordReset,
    params(("id" = String, Path, description = "user id")),
    responses((status = 204, description = "set: the user's sessions have ended"),
              (status = 403, description = "not an administrator (`forbidden`)", body = ErrorBody),
              (status = 422, description = "a password under 10 or over 256 characters (`password_too_short`, `password_too_long`)", body = ErrorBody)))]
pub async fn reset_password(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    let user = parse_id(&id, UserId::parse)?;
    admin_reset(&app, &viewer, user, req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn admin_reset(
    app: &AppState,
    viewer: &Viewer,
    user: UserId,
    password: String,
) -> Result<(), ApiError> {
    if !viewer.scope.is_admin() {
        return Err(ApiError::forbidden());
    }
    let actor = thidua_domain::Actor::User(viewer.user.clone());
    app.hashing(move |app| {
        Ok(accounts::reset_password(
            &*app.accounts,
            &app.service,
            &actor,
            &user,
            &password,
        )?)
    })
    .await
}

/// Executes any domain command (JSON with a `command` tag, unknown fields rejected) as the
/// viewer; the domain decides whether the viewer's roles allow it.
#[utoipa::path(post, path = "/api/v1/commands", tag = "log",
    request_body(content = Object, description = "a domain command, e.g. {\"command\": \"create_cluster\", \"cluster\": \"cum-1\", \"name\": \"Cụm 1\"}"),
    responses((status = 200, body = ReceiptDto),
              (status = 403, description = "the caller's roles do not allow it (`forbidden`), or it binds and needs the password again (`password_required`: send it to /api/v1/commands/binding with the password)", body = ErrorBody),
              (status = 404, description = "a cluster, unit, covenant, movement or user that does not exist or that the caller may not see (`unknown_*`)", body = ErrorBody),
              (status = 409, description = "a conflict with the log (`already_signed`, `covenant_exists`…)", body = ErrorBody),
              (status = 422, description = "a command the domain refuses: `error` names the rule (`invalid_value`, `invalid_regulation`, `unit_dissolved`…), `message` says it, `problems` lists each field when several are wrong", body = ErrorBody)))]
pub async fn command(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiJson(cmd): ApiJson<Command>,
) -> Result<Json<ReceiptDto>, ApiError> {
    match execute(&app, &viewer, vec![cmd.clone()]).await {
        Ok(receipt) => Ok(Json(receipt)),
        Err(e) => Err(problems::listed(&app, &cmd, e)),
    }
}

/// A command with the caller's password again, for the acts that bind
/// ([`crate::authz::commands::binding`]: a paper count recorded or confirmed, a tie decided, a
/// signature), as their pages ask for it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindingCommand {
    pub command: Command,
    pub password: String,
}

/// Runs a command once the caller's password is checked again (counted by the sign-in
/// throttle, as every re-check).
#[utoipa::path(post, path = "/api/v1/commands/binding", tag = "log",
    request_body(content = Object, description = "{\"command\": a domain command, \"password\": the caller's password}"),
    responses((status = 200, body = ReceiptDto),
              (status = 403, description = "a wrong password (`wrong_password`), or the caller's roles do not allow it (`forbidden`)", body = ErrorBody),
              (status = 404, description = "a cluster, unit, covenant, election or user that does not exist or that the caller may not see (`unknown_*`)", body = ErrorBody),
              (status = 409, description = "a conflict with the log (`already_signed`, `covenant_frozen`…)", body = ErrorBody),
              (status = 422, description = "a command the domain refuses: `error` names the rule, `message` says it, `problems` lists each field when several are wrong", body = ErrorBody),
              (status = 429, description = "too many wrong passwords (`too_many_attempts`)", body = ErrorBody)))]
pub async fn binding_command(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiJson(req): ApiJson<BindingCommand>,
) -> Result<Json<ReceiptDto>, ApiError> {
    let viewer = recheck_password(&app, &viewer, req.password).await?;
    Ok(Json(execute(&app, &viewer, vec![req.command]).await?))
}
