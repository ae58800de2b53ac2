//! Account endpoints: the one-time bootstrap, the signed-in user, their password and their API
//! tokens (created by the user, shown once, stored hashed, revocable).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use thidua_domain::{Text, UserId};
use thidua_store::accounts::ApiTokenRecord;
use utoipa::ToSchema;

use super::dto::{user_detail, user_dto, UserDto};
use super::extract::ApiJson;
use crate::accounts::{self, now_ms, random_token, secret_hash};
use crate::auth::Viewer;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BootstrapRequest {
    /// The one-time token printed on the server's console.
    pub token: String,
    pub user: String,
    pub display_name: String,
    pub password: String,
}

/// Creates the first administrator with the one-time bootstrap token.
#[utoipa::path(post, path = "/api/v1/bootstrap", tag = "accounts", request_body = BootstrapRequest,
    responses((status = 201, body = UserDto), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn bootstrap(
    State(app): State<AppState>,
    ApiJson(req): ApiJson<BootstrapRequest>,
) -> Result<Response, ApiError> {
    let user = UserId::parse(&req.user)?;
    let name = Text::parse("display_name", &req.display_name, 200)?;
    let dto = app
        .blocking(move |app| {
            accounts::redeem_bootstrap(
                &*app.accounts,
                &app.service,
                &req.token,
                &user,
                &name,
                &req.password,
            )?;
            Ok(user_dto(&app.service.read().users[&user]))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(dto)).into_response())
}

/// The signed-in user, and for a cookie session the token that its API writes must send as
/// `x-csrf-token`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MeDto {
    #[serde(flatten)]
    pub user: UserDto,
    /// Present for cookie sessions only (bearer requests need no CSRF token).
    pub csrf_token: Option<String>,
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)), security(("bearer" = []), ("cookie" = [])))]
pub async fn me(State(app): State<AppState>, viewer: Viewer) -> Result<Json<MeDto>, ApiError> {
    let user = user_detail(&app.service.read(), &viewer.scope, &viewer.user)?;
    let csrf_token = (viewer.via == crate::auth::Via::Cookie).then(|| viewer.csrf.clone());
    Ok(Json(MeDto { user, csrf_token }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Changes the signed-in user's own password (ends their other sessions).
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_password(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    change_own_password(&app, &viewer, req.current, req.new).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the current password, then sets the new one.
pub async fn change_own_password(
    app: &AppState,
    viewer: &Viewer,
    current: String,
    new: String,
) -> Result<(), ApiError> {
    let user = viewer.user.clone();
    app.blocking(move |app| {
        let phc = app.accounts.password_hash(user.as_str())?;
        if !phc.is_some_and(|p| accounts::verify_password(&current, &p)) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "wrong_password",
                "the current password is wrong",
            ));
        }
        accounts::set_password(&*app.accounts, &app.service, &user, &new)?;
        Ok(())
    })
    .await
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TokenDto {
    pub id: String,
    pub label: String,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    pub id: String,
    pub label: String,
    /// The secret, shown once: send it as `Authorization: Bearer <token>`.
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub label: String,
}

/// The signed-in user's API tokens.
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts", responses((status = 200, body = [TokenDto])))]
pub async fn list_tokens(
    State(app): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<TokenDto>>, ApiError> {
    Ok(Json(tokens_of(&app, &viewer).await?))
}

pub async fn tokens_of(app: &AppState, viewer: &Viewer) -> Result<Vec<TokenDto>, ApiError> {
    let user = viewer.user.to_string();
    app.blocking(move |app| {
        Ok(app
            .accounts
            .api_tokens(&user)?
            .into_iter()
            .map(|t| TokenDto {
                id: t.id,
                label: t.label,
                created_ms: t.created_ms,
                revoked_ms: t.revoked_ms,
            })
            .collect())
    })
    .await
}

/// Creates an API token for scripts; the secret is returned once.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts", request_body = NewToken,
    responses((status = 201, body = TokenCreated), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiJson(req): ApiJson<NewToken>,
) -> Result<Response, ApiError> {
    let created = new_token(&app, &viewer, &req.label).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

pub async fn new_token(
    app: &AppState,
    viewer: &Viewer,
    label: &str,
) -> Result<TokenCreated, ApiError> {
    let label = Text::parse("label", label, 100)?.to_string();
    let secret = format!("thd_{}", random_token(32));
    let record = ApiTokenRecord {
        id: random_token(6),
        token_hash: secret_hash(&secret),
        user: viewer.user.to_string(),
        label: label.clone(),
        created_ms: now_ms(),
        revoked_ms: None,
    };
    let id = record.id.clone();
    app.blocking(move |app| Ok(app.accounts.create_api_token(&record)?))
        .await?;
    Ok(TokenCreated {
        id,
        label,
        token: secret,
    })
}

/// Revokes one of the signed-in user's tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts",
    params(("id" = String, Path, description = "token id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let user = viewer.user.to_string();
    let done = app
        .blocking(move |app| Ok(app.accounts.revoke_api_token(&user, &id, now_ms())?))
        .await?;
    if done {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}
