//! The server-rendered web UI (askama templates compiled into the binary; every page works
//! without script, which only helps where it is loaded): the page
//! routes, the shared page [`Layout`], and error pages. Pages show the same data shapes as the
//! API ([`crate::api::dto`]), so both reveal exactly what [`crate::authz`] allows.

mod admin;
mod assets;
mod awards;
mod chart;
pub(crate) mod code;
mod covenant;
pub(crate) mod describe;
mod diff;
pub(crate) mod documents;
mod editor;
pub(crate) mod extract;
mod figures;
mod flags;
pub(crate) mod form;
pub(crate) mod history;
mod lineage;
mod manage;
mod midyear;
pub(crate) mod names;
pub(crate) mod pages;
pub(crate) mod progress;
pub(crate) mod proof;
pub(crate) mod refused;
mod regulation;
mod session;
mod targets;
mod todo_year;
mod transparency;
pub(crate) mod votes;
pub(crate) mod yearend;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use thidua_domain::model::Role;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::{Lang, Strings};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(assets::css))
        .route("/favicon.svg", get(assets::favicon))
        .route("/favicon.ico", get(assets::favicon))
        .route("/static/yearend.js", get(assets::yearend_js))
        .route("/static/code.js", get(assets::code_js))
        .route("/static/grid.js", get(assets::grid_js))
        .route("/static/print.js", get(assets::print_js))
        .route("/static/fonts/{name}", get(assets::font))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route(
            "/bootstrap",
            get(session::bootstrap_page).post(session::bootstrap),
        )
        .route("/lang", post(session::switch_lang))
        .route("/", get(pages::home))
        .route("/clusters/{id}", get(pages::cluster))
        .route("/clusters/{id}/members", post(manage::set_members))
        .route("/clusters/{id}/leadership", post(manage::set_leadership))
        .route(
            "/clusters/{id}/covenants/new",
            get(editor::new_page).post(editor::create),
        )
        .route("/covenants/{id}", get(covenant::covenant))
        .route(
            "/covenants/{id}/edit",
            get(editor::edit_page).post(editor::update),
        )
        .route(
            "/covenants/{id}/withdraw",
            get(covenant::withdraw_page).post(covenant::withdraw),
        )
        .route(
            "/covenants/{id}/regulation",
            get(regulation::regulation_page).post(regulation::replace_regulation),
        )
        .route(
            "/covenants/{id}/regulation/preview",
            post(regulation::preview),
        )
        .route("/covenants/{id}/diff", get(diff::diff))
        .route(
            "/covenants/{id}/sign",
            get(covenant::sign_confirm).post(covenant::sign),
        )
        .route("/record/{index}", get(proof::record))
        .route("/about/record", get(proof::about))
        .route("/people/{id}", get(pages::person))
        .route("/units/{id}", get(pages::unit))
        .route("/units/{id}/admin", get(pages::unit_admin))
        .route(
            "/units/{id}/rename",
            get(lineage::rename_page).post(lineage::rename),
        )
        .route(
            "/units/{id}/lineage",
            get(lineage::lineage_page).post(lineage::record_lineage),
        )
        .route(
            "/units/{id}/lineage/{index}/withdraw",
            get(lineage::withdraw_page).post(lineage::withdraw),
        )
        .route("/history", get(history::history))
        .route("/transparency", get(transparency::transparency))
        .route("/admin", get(admin::admin_page))
        .route("/admin/users", post(admin::create_user))
        .route(
            "/admin/roles",
            get(admin::admin_section).post(admin::grant_role),
        )
        .route("/admin/people", get(admin::admin_section))
        .route("/admin/tokens", get(admin::admin_section))
        .route("/admin/log", get(admin::admin_section))
        .route(
            "/admin/roles/revoke",
            get(admin::revoke_confirm).post(admin::revoke_role),
        )
        .route("/admin/password", post(admin::reset_password))
        .route("/admin/users/{id}/tokens", get(admin::user_tokens_page))
        .route(
            "/admin/users/{id}/tokens/revoke",
            post(admin::revoke_user_token),
        )
        .route("/admin/clusters", post(admin::create_cluster))
        .route("/admin/witness-policy", post(admin::set_witness_policy))
        .route(
            "/admin/holidays",
            get(admin::admin_section).post(admin::declare_holidays),
        )
        .route(
            "/admin/units",
            get(admin::admin_section).post(admin::create_unit),
        )
        .route(
            "/admin/movements",
            get(admin::admin_section).post(admin::create_movement),
        )
        .route("/account", get(admin::account_page))
        .route("/account/password", post(admin::change_password))
        .route("/account/tokens", post(admin::create_token))
        .route("/account/tokens/revoke", post(admin::revoke_token))
        .merge(awards::routes())
        .merge(figures::routes())
        .merge(flags::routes())
        .merge(progress::routes())
        .merge(midyear::routes())
        .merge(documents::routes())
        .merge(votes::routes())
        .merge(yearend::routes())
        .layer(axum::middleware::from_fn(form::refuse_bad_encoding))
}

/// A request with a method the address does not take (a GET on a form's POST address): a page
/// that says so in the viewer's language, or the JSON error under `/api/`.
pub async fn method_not_allowed(
    crate::auth::MaybeViewer(viewer): crate::auth::MaybeViewer,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this address does not take this method",
        )
        .into_response();
    }
    // A form sent to a page that takes none is told so; anything else (a GET on a form's
    // address) is told to open the page from its link.
    let code = if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        "method_not_allowed"
    } else {
        "form_not_taken"
    };
    let e = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, code, "");
    match viewer {
        Some(v) => viewer_error(&v, e),
        None => error_page(
            crate::auth::request_lang(None, &headers),
            StatusCode::METHOD_NOT_ALLOWED,
            code,
        ),
    }
}

/// What every page's frame needs: language, strings, the viewer's name and navigation, the
/// CSRF token for the forms in the header.
pub struct Layout {
    pub t: &'static Strings,
    pub lang: &'static str,
    pub title: String,
    pub user: Option<String>,
    pub is_admin: bool,
    /// The viewer oversees clusters (administrator, secretariat, supervisor): the progress
    /// overview is in the menu.
    pub oversees: bool,
    /// The viewer is an invented person of the demonstration.
    pub demo: bool,
    pub csrf: String,
    /// Nobody is signed in and this is not the sign-in page: the banner offers it.
    pub sign_in_link: bool,
    /// A second "skip" link after the one to the main content, to where the page's work is
    /// (the report's grid): its target (`#…`) and words.
    pub skip_to: Option<(&'static str, &'static str)>,
}

impl Layout {
    pub fn new(viewer: &Viewer, title: impl Into<String>) -> Self {
        Self {
            t: viewer.lang.strings(),
            lang: viewer.lang.code(),
            title: title.into(),
            user: Some(viewer.display_name.clone()),
            is_admin: viewer.scope.is_admin(),
            oversees: crate::api::progress::sees_overview(&viewer.scope),
            demo: viewer.demo,
            csrf: viewer.csrf.clone(),
            sign_in_link: false,
            skip_to: None,
        }
    }

    /// The link to a covenant's figures, in the page's language.
    pub fn lang_yearend_link(&self) -> &'static str {
        Lang::parse(self.lang).unwrap_or_default().yearend().link
    }

    pub fn lang_flags_link(&self) -> &'static str {
        Lang::parse(self.lang).unwrap_or_default().flags().link
    }

    /// The menu's link to every cluster's progress, in the page's language.
    pub fn lang_awards_link(&self) -> &'static str {
        Lang::parse(self.lang).unwrap_or_default().awards().link
    }

    pub fn lang_progress_overview_link(&self) -> &'static str {
        Lang::parse(self.lang)
            .unwrap_or_default()
            .progress()
            .overview_link
    }

    /// The link to a covenant's mid-year review, in the page's language.
    pub fn lang_midyear_link(&self) -> &'static str {
        Lang::parse(self.lang).unwrap_or_default().midyear().link
    }

    /// The link to a covenant's progress, in the page's language.
    pub fn lang_progress_link(&self) -> &'static str {
        Lang::parse(self.lang).unwrap_or_default().progress().link
    }

    pub fn lang_figures_link(&self) -> &'static str {
        Lang::parse(self.lang)
            .unwrap_or_default()
            .figures()
            .figures_link
    }

    pub fn anonymous(lang: Lang, title: impl Into<String>, csrf: String) -> Self {
        Self {
            t: lang.strings(),
            lang: lang.code(),
            title: title.into(),
            user: None,
            is_admin: false,
            oversees: false,
            demo: false,
            csrf,
            sign_in_link: true,
            skip_to: None,
        }
    }

    /// The sign-in page's layout: no link to itself.
    pub fn on_sign_in_page(self) -> Self {
        Self {
            sign_in_link: false,
            ..self
        }
    }
}

/// A value a form sent back for the way back (an id, a window, a kind's code) that a URL takes
/// as it is; anything else is dropped from the URL, never copied into it.
pub(crate) fn is_plain_param(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Renders a template into an HTML response.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    message: String,
    /// The page the refused form was on, linked as "Quay lại" beside the way home.
    back: Option<String>,
}

/// An error page's title: a refusal and a page not found are named as such.
fn error_title(lang: Lang, status: StatusCode) -> &'static str {
    let t = lang.strings();
    match status {
        StatusCode::FORBIDDEN => t.forbidden_title,
        StatusCode::NOT_FOUND => t.not_found_title,
        _ => t.error_title,
    }
}

pub fn error_page(lang: Lang, status: StatusCode, code: &str) -> Response {
    error_page_saying(lang, status, lang.error(code).to_owned())
}

/// The page of a form or file over its limit of `limit` bytes (413): the limit, and how to go
/// on ([`Lang::too_large`]).
pub fn too_large_page(lang: Lang, limit: usize) -> Response {
    error_page_saying(lang, StatusCode::PAYLOAD_TOO_LARGE, lang.too_large(limit))
}

fn error_page_saying(lang: Lang, status: StatusCode, message: String) -> Response {
    let l = Layout::anonymous(lang, error_title(lang, status), String::new());
    let mut res = render(&ErrorPage {
        l,
        message,
        back: None,
    });
    *res.status_mut() = status;
    res
}

/// Someone who does not manage the cluster (its secretariat, an administrator) is refused
/// before a management form is read: its fields belong to a form only they are shown (the
/// domain refuses the command anyway). The cluster's members and leadership, a covenant draft's
/// withdrawal, a reported window's deadline.
pub(crate) fn not_managing(
    viewer: &Viewer,
    cluster: &thidua_domain::ClusterId,
) -> Option<Response> {
    (!viewer.scope.manages(cluster)).then(|| viewer_error(viewer, ApiError::forbidden()))
}

/// An error page inside the signed-in frame (navigation, language switch).
pub fn viewer_error(viewer: &Viewer, e: ApiError) -> Response {
    error_in_frame(viewer, e, None)
}

/// [`viewer_error`] for a form refused outright (a round already closed): the page links back
/// to `back`, the page the form was on, so the user is not left with only the way home.
pub fn viewer_error_back(viewer: &Viewer, e: ApiError, back: String) -> Response {
    error_in_frame(viewer, e, Some(back))
}

fn error_in_frame(viewer: &Viewer, e: ApiError, back: Option<String>) -> Response {
    if e.status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    let lang = viewer.lang;
    let mut res = render(&ErrorPage {
        l: Layout::new(viewer, error_title(lang, e.status)),
        message: match e.limit_bytes {
            Some(limit) => lang.too_large(limit as usize),
            None => lang.error(e.code).to_owned(),
        },
        back,
    });
    *res.status_mut() = e.status;
    res
}

/// Turns an API error into an error page (401 redirects to sign-in).
pub fn page_error(lang: Lang, e: ApiError) -> Response {
    if e.status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    match e.limit_bytes {
        Some(limit) => too_large_page(lang, limit as usize),
        None => error_page(lang, e.status, e.code),
    }
}

/// A role in words: its title in the page's language and, for a scoped role, the unit's or
/// cluster's name (Vietnamese data, marked `lang="vi"` by `role.html`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleLabel {
    pub title: String,
    pub place: Option<String>,
    /// For a leader's or officer's role at a unit that has ceased: since when and, after a
    /// merger, into which unit (HTML, the unit's name marked `lang="vi"`).
    pub ceased: Option<String>,
}

impl std::fmt::Display for RoleLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{} — {place}", self.title),
            None => f.write_str(&self.title),
        }
    }
}

/// A role in words, with the unit's or cluster's name when the state knows it.
pub fn role_label(t: &Strings, state: &thidua_domain::State, role: &Role) -> RoleLabel {
    let unit = |u: &thidua_domain::UnitId| names::unit(state, u).text;
    let cluster = |c: &thidua_domain::ClusterId| names::cluster(state, c).text;
    let (title, place) = match role {
        Role::Admin => (t.role_admin, None),
        Role::Secretariat { cluster: c } => (t.role_secretariat, Some(cluster(c))),
        Role::Officer { unit: u } => (t.role_officer, Some(unit(u))),
        Role::Leader { unit: u } => (t.role_leader, Some(unit(u))),
        Role::Supervisor { cluster: c } => (t.role_supervisor, Some(cluster(c))),
        Role::MinistrySupervisor => (t.role_ministry_supervisor, None),
    };
    let ceased = match role {
        Role::Officer { unit: u } | Role::Leader { unit: u } => ceased_note(t, state, u),
        _ => None,
    };
    RoleLabel {
        title: title.to_owned(),
        place,
        ceased,
    }
}

/// For a unit that has ceased (merged, split or dissolved): "đơn vị đã chấm dứt hoạt động từ
/// 01/07/2025, hợp nhất vào Công an tỉnh An Giang; …" — what a role at it still serves and, when
/// one unit continues it (`State::continuing_unit`), which. HTML. `None` for a unit in being.
fn ceased_note(
    t: &Strings,
    state: &thidua_domain::State,
    unit: &thidua_domain::UnitId,
) -> Option<String> {
    let ceased = state.units.get(unit)?.dissolved?;
    let date = ceased.format("%d/%m/%Y").to_string();
    let into = state
        .continuing_unit(unit, ceased)
        .filter(|u| &u.id != unit);
    Some(match into {
        Some(u) => crate::i18n::fill(
            t.role_unit_ceased_into,
            &[
                ("date", date),
                ("unit", names::vietnamese_html(u.name.as_str())),
            ],
        ),
        None => crate::i18n::fill(t.role_unit_ceased, &[("date", date)]),
    })
}

/// A role string (`leader:ca-kg`) in words.
pub fn role_str_label(t: &Strings, state: &thidua_domain::State, raw: &str) -> RoleLabel {
    raw.parse::<Role>()
        .map(|r| role_label(t, state, &r))
        .unwrap_or_else(|_| RoleLabel {
            title: raw.to_owned(),
            place: None,
            ceased: None,
        })
}

/// Helpers the templates call.
pub mod fmt {
    pub use crate::format::{decimal_str, iso_date, time_ms};
}

/// The positions of page `asked`'s items among `count`, `per_page` a page (pages from 1; out of
/// range: the nearest page), the page and the number of pages (at least 1). Long lists of a
/// national covenant (progress cards, flags) are paged by it.
pub fn page_of(
    count: usize,
    per_page: usize,
    asked: Option<usize>,
) -> (std::ops::Range<usize>, usize, usize) {
    let pages = count.div_ceil(per_page).max(1);
    let page = asked.unwrap_or(1).clamp(1, pages);
    let start = (page - 1) * per_page;
    (start..count.min(start + per_page), page, pages)
}

/// How the pages' example commands take an API token: read into `THIDUA_TOKEN` without being
/// shown or kept in the shell's history, never on the command line (the process list).
pub const READ_TOKEN: &str = "read -rs THIDUA_TOKEN && export THIDUA_TOKEN";

/// This server's address as the client reached it (the scheme from a trusted proxy's word or
/// the secure-cookie setting, the host from the request): what the pages' example commands
/// (transparency, ballot, trustee) put after `--server`.
pub fn server_address(
    app: &crate::AppState,
    client: &crate::client::ClientInfo,
    headers: &axum::http::HeaderMap,
) -> String {
    let scheme = if client.https || app.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod paging_tests {
    use super::page_of;

    #[test]
    fn items_are_paged_and_a_page_out_of_range_is_the_nearest() {
        let n = 60 * 2 + 5;
        assert_eq!(page_of(n, 60, None), (0..60, 1, 3));
        assert_eq!(page_of(n, 60, Some(9)), (120..n, 3, 3));
        assert_eq!(page_of(n, 60, Some(2)), (60..120, 2, 3));
        assert_eq!(page_of(0, 60, Some(0)), (0..0, 1, 1));
    }
}
