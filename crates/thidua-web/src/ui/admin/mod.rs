//! Administration in sections, each its own page (`/admin/{section}`: units and clusters,
//! movements, people, roles picked from lists with a confirmation before revoking, API tokens,
//! the log's key and witnesses) and the user's own account page (password, API tokens). Forms are validated on the server; messages appear next
//! to the field they concern; text is NFC-normalised and measured in graphemes by `Text::parse`.

use std::collections::HashMap;

use crate::ui::extract::Path;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::event::parse_date;
use thidua_domain::model::{Role, UnitKind};
use thidua_domain::text::limits;
use thidua_domain::{ClusterId, Command, MovementId, Text, UnitId, UserId};

use super::proof::LogStatus;
use super::{render, role_label, viewer_error, Layout};
use crate::api::dto::{self, *};
use crate::api::{self as api_mod, TokenCreated, TokenDto};
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::AppState;

mod holidays;
pub use holidays::declare_holidays;
use holidays::{holiday_rows, holidays_form, HolidayRow};

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

    /// The error summary's entries: each message linked to its field's input and named by
    /// its label, in the order of `places` — (form, field, input id, label), the page's order;
    /// a message for a field no place names comes last, linked to its message.
    pub fn summary(&self, places: &[(&str, &str, &str, &str)]) -> super::form::Errors {
        let mut out = super::form::Errors::default();
        for (form, field, input, label) in places {
            if let Some(m) = self.get(form, field) {
                out.push_in(*input, *label, m);
            }
        }
        for (form, field, m) in &self.0 {
            if !places.iter().any(|p| p.0 == *form && p.1 == *field) {
                out.push(format!("{form}-{field}-error"), m.as_str());
            }
        }
        out
    }

    /// `aria-describedby="{id}-error" aria-invalid="true"` when `field` of `form` has a message
    /// (the message's element has the id `{id}-error`, `id` being the input's).
    pub fn aria(&self, form: &str, field: &str, id: &str) -> String {
        if self.get(form, field).is_some() {
            format!("aria-describedby=\"{id}-error\" aria-invalid=\"true\"")
        } else {
            String::new()
        }
    }
}

/// One user row of the administration page: the person, and each role with whether it may be
/// revoked (the last administrator's role may not: the domain refuses it).
pub struct UserRow {
    pub user: UserDto,
    pub roles: Vec<(String, super::RoleLabel, bool)>,
}

/// One API token as the administrator sees it.
pub struct TokenRow {
    /// The holder's id (the link to its tokens, where they are revoked) and display name.
    pub user_id: String,
    pub user: String,
    pub label: String,
    pub created: String,
    pub revoked: bool,
}

/// One registered witness key.
pub struct WitnessRow {
    pub unit: super::names::Named,
    /// The unit's id (the policy form's checkbox is `w_{id}`).
    pub id: String,
    pub key: String,
    pub registered_at: u64,
    /// Named by the witness policy in force.
    pub required: bool,
    /// "No longer counts: the unit ceased on dd/mm/yyyy", for a unit whose end is recorded
    /// (not offered to a new policy).
    pub ceased: Option<String>,
}

/// The sections of the administration, each its own page (`/admin/{section}`).
pub const SECTIONS: &[&str] = &[
    "units",
    "movements",
    "holidays",
    "people",
    "roles",
    "tokens",
    "log",
];

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    l: Layout,
    section: &'static str,
    users: Vec<UserRow>,
    clusters: Vec<ClusterSummary>,
    units: Vec<UnitSummary>,
    movements: Vec<MovementDto>,
    covenants: Vec<CovenantSummary>,
    tokens: Vec<TokenRow>,
    witnesses: Vec<WitnessRow>,
    holidays: Vec<HolidayRow>,
    /// The holidays' strings in the viewer's language.
    hs: &'static crate::i18n::holidays::HolidayStrings,
    log_key: String,
    signed_size: u64,
    witnessed: Option<(u64, usize)>,
    /// The witness policy in force: its sentence, and its quorum for the form.
    policy: Option<(String, u32)>,
    /// Said when the quorum in force can no longer be met (a new policy must be recorded).
    unmeetable: Option<String>,
    /// The new unit form's choices of parent: the active units that may be parents, grouped
    /// by kind (the group's label, and each unit's id and name).
    parents: Vec<(&'static str, Vec<(String, String)>)>,
    /// Warnings the administrator must confirm before the user is created.
    warnings: Vec<String>,
    form: HashMap<String, String>,
    errors: FieldErrors,
    saved: bool,
}

impl AdminPage {
    fn section_title(&self, s: &str) -> &'static str {
        let t = self.l.t;
        match s {
            "units" => t.admin_units,
            "movements" => t.admin_movements,
            "holidays" => self.hs.section,
            "people" => t.users,
            "roles" => t.roles,
            "tokens" => t.api_tokens,
            "log" => t.admin_log,
            _ => t.admin_title,
        }
    }

    /// What a section holds, in a sentence (its position in [`SECTIONS`]).
    fn section_help(&self, s: &str) -> &'static str {
        SECTIONS
            .iter()
            .position(|x| *x == s)
            .map_or("", |i| self.l.t.admin_section_help[i])
    }

    fn is_section(&self, s: &str) -> bool {
        self.section == s
    }

    fn kind_label(&self, k: &str) -> &'static str {
        super::pages::kind_label(self.l.t, k)
    }

    fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }

    /// For the holidays' form's year: where the lunar calendar puts the first day of Tết and
    /// the Hùng Kings' day (a hint; the days off are the announced ones).
    fn lunar_hint(&self) -> Option<String> {
        holidays::lunar_hint(self.hs, self.value("holidays_year"))
    }

    /// Whether the form brought back `v` as the value of `k` (a choice to show selected).
    fn chosen(&self, k: &str, v: &str) -> bool {
        self.value(k) == v
    }

    /// Whether the policy form ticks witness `w`: as sent when the form comes back, else
    /// whether the policy in force names it.
    fn ticked(&self, w: &WitnessRow) -> bool {
        match self.form.contains_key("policy_sent") {
            true => self.form.contains_key(&format!("policy_w_{}", w.id)),
            false => w.required,
        }
    }

    /// The witness policy form's quorum: as typed when the form comes back, else the policy's.
    fn policy_quorum(&self) -> String {
        match (self.form.get("policy_quorum"), &self.policy) {
            (Some(typed), _) => typed.clone(),
            (None, Some((_, quorum))) => quorum.to_string(),
            (None, None) => String::new(),
        }
    }

    fn aria(&self, form: &str, field: &str, id: &str) -> String {
        self.errors.aria(form, field, id)
    }

    /// The error summary: each message linked to its field.
    fn summary(&self) -> super::form::Errors {
        let t = self.l.t;
        self.errors.summary(&[
            ("unit", "kind", "nn-kind", t.unit_kind),
            ("unit", "parent", "nn-parent", t.parent),
            ("unit", "name", "nn-name", t.name_label),
            ("unit", "short_code", "nn-code", t.short_code),
            ("unit", "id", "nn-id", t.unit_id_label),
            ("unit", "established", "nn-date", t.established_label),
            ("cluster", "id", "nc-id", t.cluster_id_label),
            ("cluster", "name", "nc-name", t.name_label),
            ("movement", "name", "mv-name", t.name_label),
            ("movement", "year", "mv-year", t.year),
            ("movement", "id", "mv-id", t.movement_id_label),
            ("movement", "plan_ref", "mv-plan", t.plan_ref),
            ("movement", "slogan", "mv-slogan", t.slogan),
            ("policy", "quorum", "policy-quorum", t.witness_policy_quorum),
            ("holidays", "year", "hd-year", self.hs.year),
            ("holidays", "days", "hd-days", self.hs.days),
            ("holidays", "reference", "hd-ref", self.hs.reference),
            ("user", "display_name", "nu-name", t.display_name_label),
            ("user", "id", "nu-id", t.user_id_label),
            ("user", "password", "nu-pw", t.new_password),
            ("reset", "user", "rp-user", t.person),
            ("reset", "password", "rp-pw", t.new_password),
            ("grant", "user", "gr-user", t.person),
            ("grant", "role", "gr-role", t.role_kind),
            ("grant", "unit", "gr-unit", t.scope_unit),
            ("grant", "cluster", "gr-cluster", t.scope_cluster),
            ("revoke", "role", "revoke-error", t.role_kind),
        ])
    }

    fn unit_name(&self, id: &str) -> String {
        self.units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| id.to_owned())
    }
}

/// What a form brought back: its section, messages, warnings and typed values.
#[derive(Default)]
struct Back {
    errors: FieldErrors,
    warnings: Vec<String>,
    form: HashMap<String, String>,
}

/// Every user's API tokens, each with its holder's name.
async fn token_rows(app: &AppState) -> Result<Vec<TokenRow>, ApiError> {
    let ids: Vec<String> = app
        .service
        .read()
        .users
        .keys()
        .map(|u| u.to_string())
        .collect();
    let listed = app
        .blocking(move |app| {
            let mut out = Vec::new();
            for id in ids {
                out.extend(app.accounts.api_tokens(&id)?);
            }
            Ok(out)
        })
        .await?;
    let state = app.service.read();
    let name = |id: &str| {
        thidua_domain::UserId::parse(id)
            .ok()
            .and_then(|u| state.users.get(&u).map(|x| x.display_name.to_string()))
            .unwrap_or_else(|| id.to_owned())
    };
    Ok(listed
        .into_iter()
        .map(|tk| TokenRow {
            user: name(&tk.user),
            user_id: tk.user,
            label: tk.label,
            created: crate::format::time_ms(tk.created_ms),
            revoked: tk.revoked_ms.is_some(),
        })
        .collect())
}

/// A user's row: each role labelled, revocable unless it is the last administrator's.
fn user_row(t: &crate::i18n::Strings, state: &thidua_domain::State, user: UserDto) -> UserRow {
    let roles = user
        .roles
        .iter()
        .map(|r| {
            let last_admin = r == "admin" && state.administrators().count() == 1;
            (r.clone(), super::role_str_label(t, state, r), !last_admin)
        })
        .collect();
    UserRow { user, roles }
}

async fn admin_view(
    app: &AppState,
    viewer: &Viewer,
    section: &'static str,
    back: Back,
    saved: bool,
) -> Response {
    let t = viewer.lang.strings();
    let status = LogStatus::load(app).await;
    let tokens = if section == "tokens" {
        match token_rows(app).await {
            Ok(rows) => rows,
            Err(e) => return viewer_error(viewer, e),
        }
    } else {
        Vec::new()
    };
    let state = app.service.read();
    let witnesses = thidua_transparency::api::witness_list(&state);
    let users = match dto::users(&state, &viewer.scope, None) {
        Ok(u) => u,
        Err(e) => return viewer_error(viewer, e),
    };
    let page = AdminPage {
        l: Layout::new(viewer, t.admin_title),
        section,
        users: users.into_iter().map(|u| user_row(t, &state, u)).collect(),
        clusters: dto::clusters(&state, &viewer.scope),
        units: dto::units(&state, &viewer.scope),
        movements: dto::movements(&state),
        covenants: dto::covenants(&state, &viewer.scope),
        tokens,
        witnesses: witness_rows(t, &state, &witnesses),
        unmeetable: super::transparency::unmeetable_notice(t, &witnesses),
        policy: state.witness_policy.as_ref().map(|p| {
            let sentence = crate::i18n::fill(
                t.witness_policy_now,
                &[
                    ("quorum", p.quorum.to_string()),
                    ("count", p.witnesses.len().to_string()),
                    ("record", p.set_at.to_string()),
                ],
            );
            (sentence, p.quorum)
        }),
        holidays: holiday_rows(t, &viewer.scope, &state),
        hs: viewer.lang.holidays(),
        parents: parent_choices(t, &state),
        log_key: app.service.key().verifier_key().to_owned(),
        signed_size: status.signed,
        witnessed: status.witnessed,
        warnings: back.warnings,
        form: back.form,
        errors: back.errors,
        saved,
    };
    let code = if page.errors.is_empty() && page.warnings.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&page);
    *res.status_mut() = code;
    res
}

/// The units a new unit may stand under, grouped by kind: the active units of every kind that
/// some kind stands under ([`UnitKind::parent_kinds`]: the Ministry, the provincial police), by
/// name. Which group fits which kind the field's help says; the domain refuses a mismatch.
fn parent_choices(
    t: &crate::i18n::Strings,
    state: &thidua_domain::State,
) -> Vec<(&'static str, Vec<(String, String)>)> {
    UnitKind::ALL
        .into_iter()
        .filter(|k| UnitKind::ALL.iter().any(|c| c.parent_kinds().contains(k)))
        .filter_map(|k| {
            let mut group: Vec<(String, String)> = state
                .units
                .values()
                .filter(|u| u.kind == k && u.dissolved.is_none())
                .map(|u| (u.id.to_string(), u.name.to_string()))
                .collect();
            thidua_domain::text::sort_units_by_name(&mut group, |(_, name)| name);
            (!group.is_empty()).then(|| (super::pages::kind_label(t, k.as_str()), group))
        })
        .collect()
}

/// The refusal page for anyone but an administrator.
fn unless_admin(viewer: &Viewer) -> Option<Response> {
    (!viewer.scope.is_admin()).then(|| viewer_error(viewer, ApiError::forbidden()))
}

#[derive(Deserialize)]
pub struct SavedParam {
    saved: Option<String>,
    /// The year whose declared holidays fill the holidays' form (to declare it again).
    year: Option<i32>,
}

/// `GET /admin`: the sections, and the overview.
pub async fn admin_page(
    State(app): State<AppState>,
    viewer: Viewer,
    crate::ui::extract::Query(q): crate::ui::extract::Query<SavedParam>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    admin_view(
        &app,
        &viewer,
        "overview",
        Back::default(),
        q.saved.is_some(),
    )
    .await
}

/// `GET /admin/{section}` (each section has its own address).
pub async fn admin_section(
    State(app): State<AppState>,
    viewer: Viewer,
    uri: axum::http::Uri,
    crate::ui::extract::Query(q): crate::ui::extract::Query<SavedParam>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let section = uri.path().rsplit('/').next().unwrap_or("");
    let form = match section {
        "holidays" => holidays_form(&app, q.year),
        _ => HashMap::new(),
    };
    let back = Back {
        form,
        ..Back::default()
    };
    match SECTIONS.iter().find(|s| **s == section) {
        Some(s) => admin_view(&app, &viewer, s, back, q.saved.is_some()).await,
        None => viewer_error(&viewer, ApiError::not_found()),
    }
}

/// Shows a section again with the form's messages and what was typed (`typed`: the
/// template's value keys, e.g. `cluster_name`).
async fn again(
    app: &AppState,
    viewer: &Viewer,
    section: &'static str,
    errors: FieldErrors,
    typed: &[(&str, &str)],
) -> Response {
    let form = typed
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let back = Back {
        errors,
        form,
        ..Back::default()
    };
    admin_view(app, viewer, section, back, false).await
}

/// The field a refusal is shown beside: a name taken beside the name, anything else beside
/// `default` (the id).
fn field_of(code: &str, default: &'static str) -> &'static str {
    if code.ends_with("_name_taken") {
        "name"
    } else {
        default
    }
}

/// Executes one command for a form: success redirects to the section, a domain error shows
/// next to `field` (or the name, [`field_of`]), told with names; the form comes back with what
/// was `typed`.
async fn submit(
    app: &AppState,
    viewer: &Viewer,
    command: Command,
    section: &'static str,
    form: &'static str,
    field: &'static str,
    typed: &[(&str, &str)],
) -> Response {
    let refused = {
        let state = app.service.read();
        let actor = thidua_domain::Actor::User(viewer.user.clone());
        crate::api::dry_run(&state, &actor, viewer.now_ms, command.clone())
            .err()
            .filter(|e| e.code() != "forbidden")
            .map(|e| {
                let message = super::names::domain_error(viewer.lang, &state, &e);
                (field_of(e.code(), field), message)
            })
    };
    if let Some((field, message)) = refused {
        let mut errors = FieldErrors::default();
        errors.push(form, field, message);
        return again(app, viewer, section, errors, typed).await;
    }
    match api_mod::execute(app, viewer, vec![command]).await {
        Ok(_) => Redirect::to(&format!("/admin/{section}?saved=1")).into_response(),
        Err(e) if e.shown_in_form() => {
            let mut errors = FieldErrors::default();
            errors.push(form, field_of(e.code, field), viewer.lang.api_error(&e));
            again(app, viewer, section, errors, typed).await
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
    /// The administrator confirmed the warnings.
    #[serde(default)]
    confirm: String,
}

/// The warnings of [`api_mod::user_warnings`] in the viewer's words.
fn user_warnings(
    t: &crate::i18n::Strings,
    state: &thidua_domain::State,
    id: &str,
    name: &str,
) -> Vec<String> {
    api_mod::user_warnings(state, id, name)
        .into_iter()
        .map(|w| match w {
            api_mod::UserWarning::IdTaken { id } => t.warn_id_taken.replace("{id}", &id),
            api_mod::UserWarning::SameName { name, id } => t
                .warn_same_name
                .replace("{name}", &name)
                .replace("{id}", &id),
        })
        .collect()
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
        .map_err(|e| errors.push("user", "id", lang.refusal(&e)))
        .ok();
    let name = Text::parse("display_name", &f.display_name, limits::DISPLAY_NAME)
        .map_err(|e| errors.push("user", "display_name", lang.refusal(&e)))
        .ok();
    if let Err(e) = crate::accounts::check_password_policy(&f.password) {
        errors.push("user", "password", lang.error(e.code()));
    }
    // What was typed comes back with any message or warning; the password never does.
    let typed = || {
        HashMap::from([
            ("id".to_owned(), f.id.clone()),
            ("display_name".to_owned(), f.display_name.clone()),
        ])
    };
    let (Some(id), Some(name), true) = (id, name, errors.is_empty()) else {
        let back = Back {
            errors,
            form: typed(),
            ..Back::default()
        };
        return admin_view(&app, &viewer, "people", back, false).await;
    };
    let warnings = user_warnings(
        lang.strings(),
        &app.service.read(),
        id.as_str(),
        name.as_str(),
    );
    if !warnings.is_empty() && f.confirm.is_empty() {
        let back = Back {
            warnings,
            form: typed(),
            ..Back::default()
        };
        return admin_view(&app, &viewer, "people", back, false).await;
    }
    let command = Command::RegisterUser {
        user: id.clone(),
        display_name: name,
        demo: false,
    };
    if let Err(e) = api_mod::execute(&app, &viewer, vec![command]).await {
        let mut errors = FieldErrors::default();
        errors.push("user", "id", lang.api_error(&e));
        let back = Back {
            errors,
            form: typed(),
            ..Back::default()
        };
        return admin_view(&app, &viewer, "people", back, false).await;
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
        Ok(()) => Redirect::to("/admin/people?saved=1").into_response(),
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    user: String,
    /// The role as text (`leader:ca-kg`), as the API writes it; or `kind` with its scope.
    #[serde(default)]
    role: String,
    /// `admin`, `secretariat`, `supervisor`, `officer` or `leader`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    cluster: String,
}

/// The role a form names: a kind picked from the list and its scope picked among the units or
/// clusters (or the role's text).
fn parse_role_form(
    lang: Lang,
    f: &RoleForm,
    form: &'static str,
) -> Result<(UserId, Role), FieldErrors> {
    let mut errors = FieldErrors::default();
    let user = UserId::parse(f.user.trim())
        .map_err(|e| errors.push(form, "user", lang.refusal(&e)))
        .ok();
    let role = if f.kind.is_empty() {
        f.role
            .trim()
            .parse::<Role>()
            .map_err(|e| errors.push(form, "role", lang.refusal(&e)))
            .ok()
    } else {
        let unit = || UnitId::parse(f.unit.trim());
        let cluster = || ClusterId::parse(f.cluster.trim());
        let scoped = match f.kind.as_str() {
            "admin" => Ok(Role::Admin),
            "ministry_supervisor" => Ok(Role::MinistrySupervisor),
            "secretariat" => cluster().map(|cluster| Role::Secretariat { cluster }),
            "supervisor" => cluster().map(|cluster| Role::Supervisor { cluster }),
            "officer" => unit().map(|unit| Role::Officer { unit }),
            "leader" => unit().map(|unit| Role::Leader { unit }),
            _ => Err(thidua_domain::DomainError::Forbidden),
        };
        match scoped {
            Ok(r) => Some(r),
            Err(thidua_domain::DomainError::Forbidden) => {
                errors.push(form, "role", lang.error("invalid_value"));
                None
            }
            Err(_) => {
                let t = lang.strings();
                let (field, message) = if matches!(f.kind.as_str(), "officer" | "leader") {
                    ("unit", t.choose_unit)
                } else {
                    ("cluster", t.choose_cluster)
                };
                errors.push(form, field, message);
                None
            }
        }
    };
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
    // The grant form comes back with its choices (a revocation is asked from a link).
    let typed = [
        ("grant_user", f.user.as_str()),
        ("grant_kind", f.kind.as_str()),
        ("grant_unit", f.unit.as_str()),
        ("grant_cluster", f.cluster.as_str()),
    ];
    match parse_role_form(viewer.lang, f, form) {
        Ok((user, role)) => {
            submit(
                app,
                viewer,
                command(user, role),
                "roles",
                form,
                "role",
                &typed,
            )
            .await
        }
        Err(errors) => again(app, viewer, "roles", errors, &typed).await,
    }
}

#[derive(Template)]
#[template(path = "revoke.html")]
struct RevokePage {
    l: Layout,
    user: String,
    person: String,
    role: String,
    label: super::RoleLabel,
    /// Revoking would leave nobody to administer: the domain refuses it, so it is not offered.
    last_admin: bool,
}

#[derive(Deserialize)]
pub struct RevokeQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    role: String,
}

/// `GET /admin/roles/revoke?user=&role=`: asks before revoking.
pub async fn revoke_confirm(
    State(app): State<AppState>,
    viewer: Viewer,
    crate::ui::extract::Query(q): crate::ui::extract::Query<RevokeQuery>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let t = viewer.lang.strings();
    let state = app.service.read();
    let (Ok(user), Ok(role)) = (UserId::parse(&q.user), q.role.parse::<Role>()) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let Some(u) = state.users.get(&user).filter(|u| u.roles.contains(&role)) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    render(&RevokePage {
        l: Layout::new(&viewer, t.revoke_title),
        user: user.to_string(),
        person: u.display_name.to_string(),
        label: role_label(t, &state, &role),
        last_admin: role == Role::Admin && state.administrators().count() == 1,
        role: role.to_string(),
    })
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
        return again(&app, &viewer, "people", errors, &[]).await;
    };
    match api_mod::admin_reset(&app, &viewer, user, f.password).await {
        Ok(()) => Redirect::to("/admin/people?saved=1").into_response(),
        Err(e) if e.shown_in_form() => {
            let mut errors = FieldErrors::default();
            let field = if e.code == "unknown_user" {
                "user"
            } else {
                "password"
            };
            errors.push("reset", field, lang.api_error(&e));
            again(&app, &viewer, "people", errors, &[]).await
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
        .map_err(|e| errors.push("cluster", "id", lang.refusal(&e)))
        .ok();
    let name = Text::parse("name", &f.name, limits::NAME)
        .map_err(|e| errors.push("cluster", "name", lang.refusal(&e)))
        .ok();
    let typed = [
        ("cluster_id", f.id.as_str()),
        ("cluster_name", f.name.as_str()),
    ];
    match (id, name) {
        (Some(cluster), Some(name)) => {
            let command = Command::CreateCluster { cluster, name };
            submit(&app, &viewer, command, "units", "cluster", "id", &typed).await
        }
        _ => again(&app, &viewer, "units", errors, &typed).await,
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
    /// `ministry`, `ministry_department`, `provincial_police` (default) or `commune_police`.
    #[serde(default)]
    kind: String,
    /// The parent unit's id, or empty.
    #[serde(default)]
    parent: String,
}

/// The registered witness keys as `/admin/log` lists them: as `/api/v1/log/witnesses` serves
/// them, with why a ceased unit's key no longer counts.
fn witness_rows(
    t: &crate::i18n::Strings,
    state: &thidua_domain::State,
    list: &thidua_transparency::api::WitnessList,
) -> Vec<WitnessRow> {
    list.witnesses
        .iter()
        .filter_map(|w| {
            let u = UnitId::parse(&w.unit).ok()?;
            Some(WitnessRow {
                unit: super::names::unit(state, &u),
                required: list
                    .policy
                    .as_ref()
                    .is_some_and(|p| p.witnesses.contains(&w.unit)),
                ceased: w
                    .ceased
                    .as_deref()
                    .map(|d| super::transparency::ceased_sentence(t, d)),
                id: w.unit.clone(),
                key: w.key.clone(),
                registered_at: w.registered_at,
            })
        })
        .collect()
}

/// Records the witness policy: the registered witness units ticked (`w_{unit}`) and how many
/// of them must cosign (`quorum`); the domain checks 1 ≤ quorum ≤ units.
pub async fn set_witness_policy(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<HashMap<String, String>>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let mut witnesses: Vec<UnitId> = f
        .keys()
        .filter_map(|k| k.strip_prefix("w_"))
        .filter_map(|u| UnitId::parse(u).ok())
        .collect();
    witnesses.sort();
    // What was sent comes back with a refusal: the quorum typed and the units ticked.
    let mut sent: Vec<(String, String)> = witnesses
        .iter()
        .map(|u| (format!("policy_w_{u}"), "1".to_owned()))
        .collect();
    sent.push(("policy_sent".into(), "1".into()));
    let typed_quorum = f.get("quorum").cloned().unwrap_or_default();
    sent.push(("policy_quorum".into(), typed_quorum.clone()));
    let typed: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let Ok(quorum) = typed_quorum.trim().parse::<u32>() else {
        let mut errors = FieldErrors::default();
        errors.push("policy", "quorum", viewer.lang.error("invalid_number"));
        return again(&app, &viewer, "log", errors, &typed).await;
    };
    let command = Command::SetWitnessPolicy { witnesses, quorum };
    submit(&app, &viewer, command, "log", "policy", "quorum", &typed).await
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
        .map_err(|e| errors.push("movement", "id", lang.refusal(&e)))
        .ok();
    let name = Text::parse("name", &f.name, limits::NAME)
        .map_err(|e| errors.push("movement", "name", lang.refusal(&e)))
        .ok();
    let year = form_year(&f.year, lang, &mut errors, "movement");
    let plan_ref = Text::parse("plan_ref", &f.plan_ref, limits::PLAN_REF)
        .map_err(|e| errors.push("movement", "plan_ref", lang.refusal(&e)))
        .ok();
    let slogan = if f.slogan.trim().is_empty() {
        None
    } else {
        Text::parse("slogan", &f.slogan, limits::SLOGAN)
            .map_err(|e| errors.push("movement", "slogan", lang.refusal(&e)))
            .ok()
    };
    let typed = [
        ("movement_id", f.id.as_str()),
        ("movement_name", f.name.as_str()),
        ("movement_year", f.year.as_str()),
        ("movement_plan_ref", f.plan_ref.as_str()),
        ("movement_slogan", f.slogan.as_str()),
    ];
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
            submit(
                &app,
                &viewer,
                command,
                "movements",
                "movement",
                "id",
                &typed,
            )
            .await
        }
        _ => again(&app, &viewer, "movements", errors, &typed).await,
    }
}

/// A form's year, within the domain's range (`org::validate_year`, told with its bounds), or
/// its message beside the form's `year` field.
fn form_year(raw: &str, lang: Lang, errors: &mut FieldErrors, form: &'static str) -> Option<i32> {
    match raw.trim().parse::<i32>() {
        Ok(y) => thidua_domain::org::validate_year(y)
            .map(|()| y)
            .map_err(|e| errors.push(form, "year", lang.refusal(&e)))
            .ok(),
        Err(_) => {
            errors.push(form, "year", lang.error("invalid_value"));
            None
        }
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
    // What was typed comes back with any message, each beside its own field.
    let back = |errors: FieldErrors| Back {
        errors,
        form: HashMap::from([
            ("unit_id".to_owned(), f.id.clone()),
            ("unit_name".to_owned(), f.name.clone()),
            ("unit_short_code".to_owned(), f.short_code.clone()),
            ("unit_kind".to_owned(), f.kind.clone()),
            ("unit_parent".to_owned(), f.parent.trim().to_owned()),
            ("unit_established".to_owned(), f.established.clone()),
        ]),
        ..Back::default()
    };
    let command = match unit_command(&f, lang) {
        Ok(command) => command,
        Err(errors) => return admin_view(&app, &viewer, "units", back(errors), false).await,
    };
    let refused = {
        let state = app.service.read();
        let actor = thidua_domain::Actor::User(viewer.user.clone());
        crate::api::dry_run(&state, &actor, viewer.now_ms, command.clone())
            .err()
            .filter(|e| e.code() != "forbidden")
            .map(|e| unit_refusal(lang, &state, &e))
    };
    let (field, message) = match refused {
        Some(refusal) => refusal,
        None => match api_mod::execute(&app, &viewer, vec![command]).await {
            Ok(_) => return Redirect::to("/admin/units?saved=1").into_response(),
            Err(e) if e.shown_in_form() => {
                let state = app.service.read();
                match &e.domain {
                    Some(d) => unit_refusal(lang, &state, d),
                    None => ("id", lang.api_error(&e)),
                }
            }
            Err(e) => return viewer_error(&viewer, e),
        },
    };
    let mut errors = FieldErrors::default();
    errors.push("unit", field, message);
    admin_view(&app, &viewer, "units", back(errors), false).await
}

/// The new unit's form read into its command, or every field's problem beside the field.
fn unit_command(f: &UnitForm, lang: crate::i18n::Lang) -> Result<Command, FieldErrors> {
    let mut errors = FieldErrors::default();
    let id = UnitId::parse(f.id.trim())
        .map_err(|e| errors.push("unit", "id", lang.refusal(&e)))
        .ok();
    let name = Text::parse("name", &f.name, limits::NAME)
        .map_err(|e| errors.push("unit", "name", lang.refusal(&e)))
        .ok();
    let short_code = Text::parse("short_code", &f.short_code, limits::SHORT_CODE)
        .map_err(|e| errors.push("unit", "short_code", lang.refusal(&e)))
        .ok();
    let established = parse_date(&f.established);
    if established.is_none() {
        errors.push("unit", "established", lang.error("invalid_date"));
    }
    let kind = match f.kind.as_str() {
        "" | "provincial_police" => Some(UnitKind::ProvincialPolice),
        "ministry" => Some(UnitKind::Ministry),
        "ministry_department" => Some(UnitKind::MinistryDepartment),
        "commune_police" => Some(UnitKind::CommunePolice),
        _ => {
            errors.push("unit", "kind", lang.error("invalid_kind"));
            None
        }
    };
    // The parent is chosen from a list: an id that is not one is no unit.
    let parent = match f.parent.trim() {
        "" => Ok(None),
        p => UnitId::parse(p).map(Some),
    }
    .map_err(|_| errors.push("unit", "parent", lang.error("unknown_parent")))
    .ok();
    let (Some(unit), Some(name), Some(short_code), Some(established), Some(kind), Some(parent)) =
        (id, name, short_code, established, kind, parent)
    else {
        return Err(errors);
    };
    Ok(Command::CreateUnit {
        unit,
        name,
        short_code,
        kind,
        parent,
        established,
    })
}

/// A refusal of a new unit, beside the field it concerns and in the page's language: a name or
/// short code taken, a text's problem beside its text, the date beside the date, and whatever
/// is wrong with the parent (none such, dissolved, not of the kind above the unit's) beside the
/// parent; what is left concerns the id.
fn unit_refusal(
    lang: Lang,
    state: &thidua_domain::State,
    e: &thidua_domain::DomainError,
) -> (&'static str, String) {
    use thidua_domain::DomainError as E;
    match e {
        E::EmptyText { field } | E::TextTooLong { field, .. } | E::InvalidText { field }
            if *field == "name" || *field == "short_code" =>
        {
            (field, lang.refusal(e))
        }
        E::UnitNameTaken(_) => ("name", lang.refusal(e)),
        E::ShortCodeTaken(_) => ("short_code", lang.refusal(e)),
        E::DateOutOfRange { .. } => ("established", lang.refusal(e)),
        E::UnknownUnit(_) => ("parent", lang.error("unknown_parent").to_owned()),
        E::ParentKind { .. }
        | E::ParentDissolved { .. }
        | E::ParentCycle(_)
        | E::UnitDissolved { .. }
        | E::UnitNotActive { .. } => ("parent", super::names::domain_error(lang, state, e)),
        _ => ("id", super::names::domain_error(lang, state, e)),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    roles: Vec<super::RoleLabel>,
    tokens: Vec<TokenDto>,
    created: Option<TokenCreated>,
    errors: FieldErrors,
    saved: bool,
    /// The log index of the latest reset of the account's password, if any.
    password_reset: Option<u64>,
}

impl AccountPage {
    /// The error summary: each message linked to its field.
    fn summary(&self) -> super::form::Errors {
        let t = self.l.t;
        self.errors.summary(&[
            ("password", "current", "cp-current", t.current_password),
            ("password", "new", "cp-new", t.new_password),
            ("token", "label", "tk-label", t.token_label),
        ])
    }
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
    let (roles, password_reset) = {
        let state = app.service.read();
        let roles = viewer
            .scope
            .roles
            .iter()
            .map(|r| role_label(t, &state, r))
            .collect();
        let reset = state.users.get(&viewer.user).and_then(|u| u.password_reset);
        (roles, reset)
    };
    let page = AccountPage {
        l: Layout::new(viewer, t.account_title),
        roles,
        tokens,
        created,
        saved,
        errors,
        password_reset,
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
    crate::ui::extract::Query(q): crate::ui::extract::Query<SavedParam>,
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
    // Every problem of the form at once: an empty current password and a new one too short.
    let mut errors = FieldErrors::default();
    if f.current.is_empty() {
        errors.push("password", "current", lang.error("empty_text"));
    }
    if let Err(e) = crate::accounts::check_password_policy(&f.new) {
        errors.push("password", "new", lang.error(e.code()));
    }
    if !errors.is_empty() {
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
        // A wrong current password answers 403 in the API: here it is the form's mistake.
        Err(e) if e.status.is_client_error() => {
            let mut errors = FieldErrors::default();
            let field = if e.code == "wrong_password" {
                "current"
            } else {
                "new"
            };
            errors.push("password", field, lang.api_error(&e));
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
        Err(e) if e.shown_in_form() => {
            let mut errors = FieldErrors::default();
            errors.push("token", "label", viewer.lang.api_error(&e));
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
    crate::ui::extract::Query(q): crate::ui::extract::Query<SavedParam>,
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
