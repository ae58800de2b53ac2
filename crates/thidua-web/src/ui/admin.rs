//! Administration (users, roles, clusters, units, movements, covenants) and the user's own
//! account page (password, API tokens). Forms are validated on the server; messages appear next
//! to the field they concern; text is NFC-normalised and measured in graphemes by `Text::parse`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::event::parse_date;
use thidua_domain::model::{Role, UnitKind};
use thidua_domain::{ClusterId, Command, MovementId, Text, UnitId, UserId};

use super::{render, role_label, viewer_error, Layout};
use crate::api::dto::{self, *};
use crate::api::{self as api_mod, TokenCreated, TokenDto};
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::AppState;

/// Messages for form fields: (form, field, message).
#[derive(Default)]
pub struct FieldErrors(Vec<(&'static str, &'static str, String)>);

impl FieldErrors {
    pub fn push(&mut self, form: &'static str, field: &'static str, message: impl Into<String>) {
        self.0.push((form, field, message.into()));
    }

    /// The message for `field` of `form`, if any (templates call this next to each field).
    pub fn get(&self, form: &str, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, x, _)| *f == form && *x == field)
            .map(|(_, _, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One user row of the administration page.
pub struct UserRow {
    pub user: UserDto,
    pub roles: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    l: Layout,
    users: Vec<UserRow>,
    clusters: Vec<ClusterSummary>,
    units: Vec<UnitSummary>,
    movements: Vec<MovementDto>,
    covenants: Vec<CovenantSummary>,
    errors: FieldErrors,
    saved: bool,
}

fn admin_view(app: &AppState, viewer: &Viewer, errors: FieldErrors, saved: bool) -> Response {
    let t = viewer.lang.strings();
    let state = app.service.read();
    let users = match dto::users(&state, &viewer.scope, None) {
        Ok(u) => u,
        Err(e) => return viewer_error(viewer, e),
    };
    let page = AdminPage {
        l: Layout::new(viewer, t.admin_title),
        users: users
            .into_iter()
            .map(|u| UserRow {
                roles: u
                    .roles
                    .iter()
                    .map(|r| (r.clone(), super::role_str_label(t, &state, r)))
                    .collect(),
                user: u,
            })
            .collect(),
        clusters: dto::clusters(&state, &viewer.scope),
        units: dto::units(&state, &viewer.scope),
        movements: dto::movements(&state),
        covenants: dto::covenants(&state, &viewer.scope),
        errors,
        saved,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    res
}

/// The refusal page for anyone but an administrator.
fn unless_admin(viewer: &Viewer) -> Option<Response> {
    (!viewer.scope.is_admin()).then(|| viewer_error(viewer, ApiError::forbidden()))
}

#[derive(Deserialize)]
pub struct SavedParam {
    saved: Option<String>,
}

pub async fn admin_page(
    State(app): State<AppState>,
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<SavedParam>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    admin_view(&app, &viewer, FieldErrors::default(), q.saved.is_some())
}

/// Executes one command for a form: success redirects, a domain error shows next to `field`.
async fn submit(
    app: &AppState,
    viewer: &Viewer,
    command: Command,
    form: &'static str,
    field: &'static str,
) -> Response {
    match api_mod::execute(app, viewer, vec![command]).await {
        Ok(_) => Redirect::to("/admin?saved=1").into_response(),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN => {
            let mut errors = FieldErrors::default();
            errors.push(form, field, viewer.lang.error(e.code));
            admin_view(app, viewer, errors, false)
        }
        Err(e) => viewer_error(viewer, e),
    }
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

pub async fn create_user(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<NewUserForm>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let lang = viewer.lang;
    let mut errors = FieldErrors::default();
    let id = UserId::parse(f.id.trim())
        .map_err(|e| errors.push("user", "id", lang.error(e.code())))
        .ok();
    let name = Text::parse("display_name", &f.display_name, 200)
        .map_err(|e| errors.push("user", "display_name", lang.error(e.code())))
        .ok();
    if let Err(e) = crate::accounts::check_password_policy(&f.password) {
        errors.push("user", "password", lang.error(e.code()));
    }
    let (Some(id), Some(name), true) = (id, name, errors.is_empty()) else {
        return admin_view(&app, &viewer, errors, false);
    };
    let command = Command::RegisterUser {
        user: id.clone(),
        display_name: name,
        demo: false,
    };
    if let Err(e) = api_mod::execute(&app, &viewer, vec![command]).await {
        let mut errors = FieldErrors::default();
        errors.push("user", "id", lang.error(e.code));
        return admin_view(&app, &viewer, errors, false);
    }
    let password = f.password;
    match app
        .blocking(move |app| {
            Ok(crate::accounts::set_password(
                &*app.accounts,
                &app.service,
                &id,
                &password,
            )?)
        })
        .await
    {
        Ok(()) => Redirect::to("/admin?saved=1").into_response(),
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    role: String,
}

fn parse_role_form(
    lang: Lang,
    f: &RoleForm,
    form: &'static str,
) -> Result<(UserId, Role), FieldErrors> {
    let mut errors = FieldErrors::default();
    let user = UserId::parse(f.user.trim())
        .map_err(|e| errors.push(form, "user", lang.error(e.code())))
        .ok();
    let role = f
        .role
        .trim()
        .parse::<Role>()
        .map_err(|e| errors.push(form, "role", lang.error(e.code())))
        .ok();
    match (user, role) {
        (Some(u), Some(r)) => Ok((u, r)),
        _ => Err(errors),
    }
}

pub async fn grant_role(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> Response {
    change_role(&app, &viewer, &f, "grant", |user, role| {
        Command::GrantRole { user, role }
    })
    .await
}

pub async fn revoke_role(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> Response {
    change_role(&app, &viewer, &f, "revoke", |user, role| {
        Command::RevokeRole { user, role }
    })
    .await
}

/// Grants or revokes (as `command` says) the role the form names, for an administrator.
async fn change_role(
    app: &AppState,
    viewer: &Viewer,
    f: &RoleForm,
    form: &'static str,
    command: impl FnOnce(UserId, Role) -> Command,
) -> Response {
    if let Some(r) = unless_admin(viewer) {
        return r;
    }
    match parse_role_form(viewer.lang, f, form) {
        Ok((user, role)) => submit(app, viewer, command(user, role), "grant", "role").await,
        Err(errors) => admin_view(app, viewer, errors, false),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<ResetForm>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let lang = viewer.lang;
    let Ok(user) = UserId::parse(f.user.trim()) else {
        let mut errors = FieldErrors::default();
        errors.push("reset", "user", lang.error("invalid_id"));
        return admin_view(&app, &viewer, errors, false);
    };
    match api_mod::admin_reset(&app, &viewer, user, f.password).await {
        Ok(()) => Redirect::to("/admin?saved=1").into_response(),
        Err(e) if e.status.is_client_error() => {
            let mut errors = FieldErrors::default();
            let field = if e.code == "unknown_user" {
                "user"
            } else {
                "password"
            };
            errors.push("reset", field, lang.error(e.code));
            admin_view(&app, &viewer, errors, false)
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Deserialize)]
pub struct ClusterForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
}

pub async fn create_cluster(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<ClusterForm>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let lang = viewer.lang;
    let mut errors = FieldErrors::default();
    let id = ClusterId::parse(f.id.trim())
        .map_err(|e| errors.push("cluster", "id", lang.error(e.code())))
        .ok();
    let name = Text::parse("name", &f.name, 200)
        .map_err(|e| errors.push("cluster", "name", lang.error(e.code())))
        .ok();
    match (id, name) {
        (Some(cluster), Some(name)) => {
            submit(
                &app,
                &viewer,
                Command::CreateCluster { cluster, name },
                "cluster",
                "id",
            )
            .await
        }
        _ => admin_view(&app, &viewer, errors, false),
    }
}

#[derive(Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_code: String,
    #[serde(default)]
    established: String,
}

#[derive(Deserialize)]
pub struct MovementForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    plan_ref: String,
    #[serde(default)]
    slogan: String,
}

/// Launches a movement with the standard reporting calendar of its year (cut-off on the 14th).
pub async fn create_movement(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<MovementForm>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let lang = viewer.lang;
    let mut errors = FieldErrors::default();
    let id = MovementId::parse(f.id.trim())
        .map_err(|e| errors.push("movement", "id", lang.error(e.code())))
        .ok();
    let name = Text::parse("name", &f.name, 200)
        .map_err(|e| errors.push("movement", "name", lang.error(e.code())))
        .ok();
    let year = f
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.push("movement", "year", lang.error("invalid_value"));
    }
    let plan_ref = Text::parse("plan_ref", &f.plan_ref, 50)
        .map_err(|e| errors.push("movement", "plan_ref", lang.error(e.code())))
        .ok();
    let slogan = if f.slogan.trim().is_empty() {
        None
    } else {
        Text::parse("slogan", &f.slogan, 200)
            .map_err(|e| errors.push("movement", "slogan", lang.error(e.code())))
            .ok()
    };
    match (id, name, year, plan_ref) {
        (Some(movement), Some(name), Some(year), Some(plan_ref)) if errors.is_empty() => {
            let command = Command::CreateMovement {
                movement,
                name,
                year,
                plan_ref,
                slogan,
                calendar: thidua_domain::calendar::default_calendar(year),
            };
            submit(&app, &viewer, command, "movement", "id").await
        }
        _ => admin_view(&app, &viewer, errors, false),
    }
}

pub async fn create_unit(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let lang = viewer.lang;
    let mut errors = FieldErrors::default();
    let id = UnitId::parse(f.id.trim())
        .map_err(|e| errors.push("unit", "id", lang.error(e.code())))
        .ok();
    let name = Text::parse("name", &f.name, 200)
        .map_err(|e| errors.push("unit", "name", lang.error(e.code())))
        .ok();
    let short_code = Text::parse("short_code", &f.short_code, 20)
        .map_err(|e| errors.push("unit", "short_code", lang.error(e.code())))
        .ok();
    let established = parse_date(&f.established);
    if established.is_none() {
        errors.push("unit", "established", lang.error("invalid_date"));
    }
    match (id, name, short_code, established) {
        (Some(unit), Some(name), Some(short_code), Some(established)) => {
            let command = Command::CreateUnit {
                unit,
                name,
                short_code,
                kind: UnitKind::ProvincialPolice,
                parent: None,
                established,
            };
            submit(&app, &viewer, command, "unit", "id").await
        }
        _ => admin_view(&app, &viewer, errors, false),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    roles: Vec<String>,
    tokens: Vec<TokenDto>,
    created: Option<TokenCreated>,
    errors: FieldErrors,
    saved: bool,
}

impl AccountPage {
    fn time(&self, ms: &i64) -> String {
        crate::format::time_ms(*ms)
    }
}

async fn account_view(
    app: &AppState,
    viewer: &Viewer,
    created: Option<TokenCreated>,
    errors: FieldErrors,
    saved: bool,
) -> Response {
    let t = viewer.lang.strings();
    let tokens = match api_mod::tokens_of(app, viewer).await {
        Ok(t) => t,
        Err(e) => return viewer_error(viewer, e),
    };
    let roles = {
        let state = app.service.read();
        viewer
            .scope
            .roles
            .iter()
            .map(|r| role_label(t, &state, r))
            .collect()
    };
    let page = AccountPage {
        l: Layout::new(viewer, t.account_title),
        roles,
        tokens,
        created,
        saved,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    res
}

pub async fn account_page(
    State(app): State<AppState>,
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<SavedParam>,
) -> Response {
    account_view(
        &app,
        &viewer,
        None,
        FieldErrors::default(),
        q.saved.is_some(),
    )
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

pub async fn change_password(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Response {
    let lang = viewer.lang;
    if let Err(e) = crate::accounts::check_password_policy(&f.new) {
        let mut errors = FieldErrors::default();
        errors.push("password", "new", lang.error(e.code()));
        return account_view(&app, &viewer, None, errors, false).await;
    }
    match api_mod::change_own_password(&app, &viewer, f.current, f.new).await {
        Ok(()) => {
            // The change ended every session of the user: sign in again.
            let mut res = Redirect::to("/login").into_response();
            res.headers_mut().append(
                axum::http::header::SET_COOKIE,
                crate::auth::end_session_cookie(&app),
            );
            res
        }
        Err(e) if e.status.is_client_error() => {
            let mut errors = FieldErrors::default();
            let field = if e.code == "wrong_password" {
                "current"
            } else {
                "new"
            };
            errors.push("password", field, lang.error(e.code));
            account_view(&app, &viewer, None, errors, false).await
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

pub async fn create_token(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Response {
    match api_mod::new_token(&app, &viewer, &f.label).await {
        Ok(created) => {
            account_view(&app, &viewer, Some(created), FieldErrors::default(), false).await
        }
        Err(e) if e.status.is_client_error() => {
            let mut errors = FieldErrors::default();
            errors.push("token", "label", viewer.lang.error(e.code));
            account_view(&app, &viewer, None, errors, false).await
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    id: String,
}

pub async fn revoke_token(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<RevokeForm>,
) -> Response {
    match api_mod::revoke_token_of(&app, viewer.user.to_string(), f.id).await {
        Ok(_) => Redirect::to("/account?saved=1").into_response(),
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Template)]
#[template(path = "user_tokens.html")]
struct UserTokensPage {
    l: Layout,
    user: String,
    display_name: String,
    tokens: Vec<TokenDto>,
    saved: bool,
}

impl UserTokensPage {
    fn time(&self, ms: &i64) -> String {
        crate::format::time_ms(*ms)
    }
}

/// `/admin/users/{id}/tokens`: an administrator sees a user's API tokens and revokes them.
pub async fn user_tokens_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<SavedParam>,
) -> Response {
    let user = match api_mod::administered_user(&app, &viewer, &id) {
        Ok(u) => u,
        Err(e) => return viewer_error(&viewer, e),
    };
    let tokens = match api_mod::user_tokens(&app, user.to_string()).await {
        Ok(t) => t,
        Err(e) => return viewer_error(&viewer, e),
    };
    let display_name = app.service.read().users[&user].display_name.to_string();
    render(&UserTokensPage {
        l: Layout::new(&viewer, viewer.lang.strings().api_tokens),
        user: user.to_string(),
        display_name,
        tokens,
        saved: q.saved.is_some(),
    })
}

/// Revokes one of a user's tokens (administrators), back to the user's token list.
pub async fn revoke_user_token(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<RevokeForm>,
) -> Response {
    let user = match api_mod::administered_user(&app, &viewer, &id) {
        Ok(u) => u,
        Err(e) => return viewer_error(&viewer, e),
    };
    match api_mod::revoke_token_of(&app, user.to_string(), f.id).await {
        Ok(_) => Redirect::to(&format!("/admin/users/{user}/tokens?saved=1")).into_response(),
        Err(e) => viewer_error(&viewer, e),
    }
}
