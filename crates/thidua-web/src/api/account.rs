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
use crate::auth::{PasswordRechecked, Viewer};
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
#[utoipa::path(post, path = "/api/v1/bootstrap", tag = "accounts", request_body = BootstrapRequest, security(()),
    responses((status = 201, description = "the first administrator, created", body = UserDto),
              (status = 403, description = "the bootstrap token is wrong or was already used (`bad_bootstrap_token`), or an administrator already exists (`admin_exists`)", body = ErrorBody),
              (status = 422, description = "a user id that is not an id (`invalid_id`), a display name that is empty or too long (`empty_text`, `text_too_long`), a password under 10 or over 256 characters (`password_too_short`, `password_too_long`)", body = ErrorBody)))]
pub async fn bootstrap(
    State(app): State<AppState>,
    ApiJson(req): ApiJson<BootstrapRequest>,
) -> Result<Response, ApiError> {
    let user = UserId::parse(&req.user)?;
    let name = Text::parse("display_name", &req.display_name, 200)?;
    let dto = app
        .hashing(move |app| {
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
    responses((status = 200, description = "the signed-in user, its roles, and a cookie session's CSRF token", body = MeDto),
              (status = 401, description = "not signed in (`unauthenticated`) or a bad bearer token (`invalid_token`)", body = ErrorBody)), security(("bearer" = []), ("cookie" = [])))]
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

/// Changes the signed-in user's own password. Ends every session and API token of the user,
/// the calling one included: sign in again with the new password.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 204, description = "changed: every session and API token of the user has ended"),
              (status = 403, description = "the current password is wrong (`wrong_password`), or a cookie session without the `x-csrf-token` header (`csrf`)", body = ErrorBody),
              (status = 422, description = "a new password under 10 or over 256 characters (`password_too_short`, `password_too_long`)", body = ErrorBody),
              (status = 429, description = "too many wrong passwords: wait (`too_many_attempts`)", body = ErrorBody),
              (status = 503, description = "every password-hashing slot is busy (`busy`)", body = ErrorBody)))]
pub async fn change_password(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    change_own_password(&app, &viewer, req.current, req.new).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the current password, then sets the new one (ending every session and API token of
/// the user). The check is [`recheck_password`], under the sign-in throttle.
pub async fn change_own_password(
    app: &AppState,
    viewer: &Viewer,
    current: String,
    new: String,
) -> Result<(), ApiError> {
    recheck_password(app, viewer, current).await?;
    let user = viewer.user.clone();
    app.hashing(move |app| {
        Ok(accounts::set_password(
            &*app.accounts,
            &app.service,
            &user,
            &new,
        )?)
    })
    .await
}

/// Checks a signed-in user's password again (a password change, the step-up before signing).
/// The one rule for every such re-check: the attempt is counted by the sign-in throttle
/// *before* the password is checked, against the account (the counter shared with the sign-in
/// page, so a stolen session cannot guess faster than sign-in allows) and against the user's own
/// counter, which stands for the address. Not the client address: behind a reverse proxy or an
/// office's shared address one user's wrong passwords would delay everyone else's signing.
/// Answers the viewer marked as having re-entered the password, which a binding act needs.
pub async fn recheck_password(
    app: &AppState,
    viewer: &Viewer,
    password: String,
) -> Result<Viewer, ApiError> {
    let user = viewer.user.clone();
    let key = crate::throttle::account_key(user.as_str());
    let own = crate::throttle::own_key(&user);
    let counted = {
        let (key, own) = (key.clone(), own.clone());
        app.blocking(move |app| Ok(app.throttle.attempt(&*app.accounts, &key, &own, now_ms())))
            .await?
    };
    let counted = match counted {
        Ok(counted) => counted,
        Err(crate::throttle::Refused::Wait { .. }) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "too many wrong passwords; wait and retry",
            ))
        }
        Err(crate::throttle::Refused::Store(e)) => return Err(e.into()),
    };
    app.hashing(move |app| {
        let phc = app.accounts.password_hash(user.as_str())?;
        if !phc.is_some_and(|p| accounts::verify_password(&password, &p)) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "wrong_password",
                "the current password is wrong",
            ));
        }
        app.throttle
            .succeeded(&*app.accounts, &key, &own, counted)?;
        Ok(())
    })
    .await?;
    Ok(Viewer {
        password_rechecked: PasswordRechecked::checked_just_now(),
        ..viewer.clone()
    })
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
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts", responses((status = 200, description = "the user's API tokens, revoked ones with when (never their secrets)", body = [TokenDto])))]
pub async fn list_tokens(
    State(app): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<TokenDto>>, ApiError> {
    Ok(Json(tokens_of(&app, &viewer).await?))
}

pub async fn tokens_of(app: &AppState, viewer: &Viewer) -> Result<Vec<TokenDto>, ApiError> {
    user_tokens(app, viewer.user.to_string()).await
}

/// Any user's API tokens (labels, dates, revocation; never the secrets).
pub async fn user_tokens(app: &AppState, user: String) -> Result<Vec<TokenDto>, ApiError> {
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
    responses((status = 201, description = "created: the secret is in this answer only", body = TokenCreated),
              (status = 422, description = "a label that is empty or over 100 characters (`empty_text`, `text_too_long`)", body = ErrorBody)))]
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
    responses((status = 204, description = "revoked: the token no longer signs in"),
              (status = 404, description = "no active token of the signed-in user with this id, perhaps already revoked (`token_not_active`)", body = ErrorBody)))]
pub async fn revoke_token(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    revoke_token_of(&app, viewer.user.to_string(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's API tokens (administrators).
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "users",
    params(("id" = String, Path, description = "user id")),
    responses((status = 200, description = "the user's API tokens, revoked ones with when (never their secrets)", body = [TokenDto]),
              (status = 403, description = "not an administrator (`forbidden`)", body = ErrorBody),
              (status = 404, description = "no such user (`not_found`)", body = ErrorBody)))]
pub async fn list_user_tokens(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Vec<TokenDto>>, ApiError> {
    let user = administered_user(&app, &viewer, &id)?;
    Ok(Json(user_tokens(&app, user.to_string()).await?))
}

/// Revokes one of a user's API tokens (administrators).
#[utoipa::path(delete, path = "/api/v1/users/{id}/tokens/{token}", tag = "users",
    params(("id" = String, Path, description = "user id"), ("token" = String, Path, description = "token id")),
    responses((status = 204, description = "revoked: the token no longer signs in"),
              (status = 403, description = "not an administrator (`forbidden`), or a cookie session without the `x-csrf-token` header (`csrf`)", body = ErrorBody),
              (status = 404, description = "no such user (`not_found`), or no active token of the user with this id, perhaps already revoked (`token_not_active`)", body = ErrorBody)))]
pub async fn revoke_user_token(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, token)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let user = administered_user(&app, &viewer, &id)?;
    revoke_token_of(&app, user.to_string(), token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes `user`'s token `id`: 404 (`token_not_active`) if it has no such unrevoked token.
pub async fn revoke_token_of(app: &AppState, user: String, id: String) -> Result<(), ApiError> {
    let revoked = app
        .blocking(move |app| Ok(app.accounts.revoke_api_token(&user, &id, now_ms())?))
        .await?;
    if revoked {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "token_not_active",
            "the user has no active API token with this id (it may already be revoked)",
        ))
    }
}

/// The user an administrator acts on: 403 for anyone else, 404 for a user not in the log.
pub fn administered_user(app: &AppState, viewer: &Viewer, raw: &str) -> Result<UserId, ApiError> {
    if !viewer.scope.is_admin() {
        return Err(ApiError::forbidden());
    }
    let user = UserId::parse(raw).map_err(|_| ApiError::not_found())?;
    if !app.service.read().users.contains_key(&user) {
        return Err(ApiError::not_found());
    }
    Ok(user)
}
