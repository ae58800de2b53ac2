//! Sign-in (throttled per account and per address), sign-out, the one-time administrator
//! bootstrap page and the language switch. Forms before sign-in carry the `thidua_csrf` cookie's
//! token; a successful sign-in always starts a fresh session.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::{Text, UserId};

use super::{render, Layout};
use crate::accounts::{self, now_ms, random_token};
use crate::auth::{
    cookie, end_session_cookie, request_lang, set_cookie, start_session, CsrfForm, MaybeViewer,
    LANG_COOKIE, PRE_CSRF_COOKIE,
};
use crate::client::ClientInfo;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::throttle;
use crate::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    user: String,
    error: Option<&'static str>,
    /// Offered only while no administrator exists.
    show_bootstrap: bool,
}

#[derive(Template)]
#[template(path = "bootstrap.html")]
struct BootstrapPage {
    l: Layout,
    user: String,
    display_name: String,
    errors: Vec<(&'static str, &'static str)>,
    closed: bool,
}

impl BootstrapPage {
    fn error_for(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| *m)
    }
}

/// The pre-session CSRF token: the cookie's, or a new one to set.
pub(crate) fn pre_csrf(app: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match cookie(headers, PRE_CSRF_COOKIE) {
        Some(v) if v.len() >= 20 => (v.to_owned(), None),
        _ => {
            let token = random_token(24);
            let c = set_cookie(
                PRE_CSRF_COOKIE,
                &token,
                3600,
                app.config.secure_cookies,
                "Strict",
            );
            (token, Some(c))
        }
    }
}

/// The layout of a page open to everyone (the transparency page, how the record is checked):
/// the viewer's when signed in, else an anonymous one in the request's language with the
/// pre-session CSRF token (and the cookie to set, when new), so the language switch works.
pub(crate) fn public_layout(
    app: &AppState,
    viewer: &Option<crate::auth::Viewer>,
    headers: &HeaderMap,
    title: fn(&'static crate::i18n::Strings) -> &'static str,
) -> (Layout, Option<HeaderValue>) {
    match viewer {
        Some(v) => (Layout::new(v, title(v.lang.strings())), None),
        None => {
            let lang = request_lang(None, headers);
            let (csrf, cookie) = pre_csrf(app, headers);
            (Layout::anonymous(lang, title(lang.strings()), csrf), cookie)
        }
    }
}

pub(crate) fn with_cookie(mut res: Response, c: Option<HeaderValue>) -> Response {
    if let Some(c) = c {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

pub async fn login_page(
    State(app): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    headers: HeaderMap,
) -> Response {
    if viewer.is_some() {
        return Redirect::to("/").into_response();
    }
    let lang = request_lang(None, &headers);
    let (csrf, c) = pre_csrf(&app, &headers);
    let page = LoginPage {
        l: Layout::anonymous(lang, lang.strings().sign_in_title, csrf).on_sign_in_page(),
        user: String::new(),
        error: None,
        show_bootstrap: !accounts::admin_exists(&app.service),
    };
    with_cookie(render(&page), c)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(app): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Response {
    let lang = request_lang(None, &headers);
    let (csrf, c) = pre_csrf(&app, &headers);
    let user_raw = form.user.trim().to_lowercase();
    let again = |status: StatusCode, code: &'static str, user: String| {
        let page = LoginPage {
            l: Layout::anonymous(lang, lang.strings().sign_in_title, csrf.clone())
                .on_sign_in_page(),
            show_bootstrap: !accounts::admin_exists(&app.service),
            user,
            error: Some(if code == "bad_credentials" {
                lang.strings().bad_credentials
            } else {
                lang.error(code)
            }),
        };
        let mut res = render(&page);
        *res.status_mut() = status;
        res
    };
    match check_sign_in(&app, client, &user_raw, form.password).await {
        Ok(SignIn::Started(session_cookie)) => {
            log_sign_in(&user_raw, "signed in");
            let mut res = Redirect::to("/").into_response();
            res.headers_mut().append(header::SET_COOKIE, session_cookie);
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(PRE_CSRF_COOKIE, "", 0, app.config.secure_cookies, "Strict"),
            );
            res
        }
        Ok(SignIn::Failed) => {
            log_sign_in(&user_raw, "sign-in failed");
            app.config.metrics.sign_in_failed(false);
            with_cookie(
                again(StatusCode::UNAUTHORIZED, "bad_credentials", user_raw),
                c,
            )
        }
        Ok(SignIn::Wait { seconds, address }) => {
            log_sign_in(&user_raw, "sign-in refused: too many failures");
            app.config.metrics.sign_in_failed(true);
            let code = match address {
                true => "too_many_attempts_here",
                false => "too_many_attempts",
            };
            let mut res = again(StatusCode::TOO_MANY_REQUESTS, code, user_raw);
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            with_cookie(res, c)
        }
        Err(e) => super::page_error(lang, e),
    }
}

/// Logs a sign-in outcome; the name is the client's text, escaped.
pub(crate) fn log_sign_in(user: &str, outcome: &'static str) {
    tracing::info!(user = %crate::logging::untrusted(user), "{outcome}");
}

/// What a sign-in attempt came to.
enum SignIn {
    Started(HeaderValue),
    Failed,
    /// Refused before the password was checked: retry after this many seconds; `address` when
    /// it is the client address that must wait (others' failures from it), not the account.
    Wait {
        seconds: u64,
        address: bool,
    },
}

/// Counts the attempt (refusing it while the account or address must wait), then checks the
/// password in one of the bounded hashing slots, then starts a session.
async fn check_sign_in(
    app: &AppState,
    client: ClientInfo,
    user_raw: &str,
    password: String,
) -> Result<SignIn, ApiError> {
    let account = throttle::account_key(user_raw);
    let address = throttle::address_key(&client.address);
    let counted = {
        let (account, address) = (account.clone(), address.clone());
        app.blocking(move |app| {
            Ok(app
                .throttle
                .attempt(&*app.accounts, &account, &address, now_ms()))
        })
        .await?
    };
    let counted = match counted {
        Ok(counted) => counted,
        Err(throttle::Refused::Wait { seconds, address }) => {
            return Ok(SignIn::Wait { seconds, address })
        }
        Err(throttle::Refused::Store(e)) => return Err(e.into()),
    };
    let candidate = user_raw.to_owned();
    app.hashing(move |app| {
        let user = UserId::parse(&candidate).ok();
        let known = user
            .as_ref()
            .filter(|u| app.service.read().users.contains_key(*u));
        let phc = match known {
            Some(u) => app.accounts.password_hash(u.as_str())?,
            None => None,
        };
        let ok = match &phc {
            Some(p) => accounts::verify_password(&password, p),
            None => {
                accounts::verify_password(&password, accounts::dummy_hash());
                false
            }
        };
        match (ok, user) {
            (true, Some(u)) => {
                app.throttle
                    .succeeded(&*app.accounts, &account, &address, counted)?;
                Ok(SignIn::Started(start_session(app, &u, client.https)?))
            }
            _ => Ok(SignIn::Failed),
        }
    })
    .await
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(app): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    if let Some(hash) = viewer.and_then(|v| v.session) {
        let _ = app
            .blocking(move |app| Ok(app.accounts.delete_session(&hash)?))
            .await;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, end_session_cookie(&app));
    res
}

pub async fn bootstrap_page(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let lang = request_lang(None, &headers);
    let (csrf, c) = pre_csrf(&app, &headers);
    let closed = accounts::admin_exists(&app.service);
    let page = BootstrapPage {
        l: Layout::anonymous(lang, lang.strings().bootstrap_title, csrf),
        user: String::new(),
        display_name: String::new(),
        errors: Vec::new(),
        closed,
    };
    let mut res = render(&page);
    if closed {
        // Once an administrator exists the page is gone for good; it says so.
        *res.status_mut() = axum::http::StatusCode::GONE;
    }
    with_cookie(res, c)
}

#[derive(Deserialize)]
pub struct BootstrapForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

pub async fn bootstrap(
    State(app): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<BootstrapForm>,
) -> Response {
    let lang = request_lang(None, &headers);
    let (csrf, c) = pre_csrf(&app, &headers);
    let mut errors = Vec::new();
    let user = UserId::parse(form.user.trim())
        .map_err(|e| errors.push(("user", lang.error(e.code()))))
        .ok();
    let name = Text::parse(
        "display_name",
        &form.display_name,
        thidua_domain::text::limits::DISPLAY_NAME,
    )
    .map_err(|e| errors.push(("display_name", lang.error(e.code()))))
    .ok();
    if let Err(e) = accounts::check_password_policy(&form.password) {
        errors.push(("password", lang.error(e.code())));
    }
    if let (true, Some(user), Some(name)) = (errors.is_empty(), user, name) {
        let token = form.token.clone();
        let password = form.password.clone();
        let https = client.https;
        let result = app
            .hashing(move |app| {
                accounts::redeem_bootstrap(
                    &*app.accounts,
                    &app.service,
                    &token,
                    &user,
                    &name,
                    &password,
                )?;
                start_session(app, &user, https)
            })
            .await;
        match result {
            Ok(session_cookie) => {
                tracing::warn!("the first administrator was created with the bootstrap token");
                let mut res = Redirect::to("/").into_response();
                res.headers_mut().append(header::SET_COOKIE, session_cookie);
                return res;
            }
            Err(e) => errors.push(("token", lang.error(e.code))),
        }
    }
    let page = BootstrapPage {
        l: Layout::anonymous(lang, lang.strings().bootstrap_title, csrf),
        user: form.user,
        display_name: form.display_name,
        errors,
        closed: accounts::admin_exists(&app.service),
    };
    let mut res = with_cookie(render(&page), c);
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    res
}

/// A path on this site that is safe to redirect to: starts with one `/`, printable ASCII, no
/// backslash (browsers read `/\host` as `//host`).
fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 2000
        && p.bytes().all(|c| c.is_ascii_graphic() && c != b'\\')
}

#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    back: String,
}

/// Switches the language: remembered for the user, and in a cookie before sign-in.
pub async fn switch_lang(
    State(app): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LangForm>,
) -> Response {
    let lang = Lang::parse(&form.to).unwrap_or_default();
    if let Some(v) = viewer {
        let user = v.user.to_string();
        let r: Result<(), ApiError> = app
            .blocking(move |app| Ok(app.accounts.set_preference(&user, "lang", lang.code())?))
            .await;
        if let Err(e) = r {
            return super::page_error(lang, e);
        }
    }
    // Back to the page the switch was pressed on: the form's `back`, else the same-origin
    // Referer's path; never another site.
    let referer = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_default();
    let back = [form.back, referer]
        .into_iter()
        .find(|b| is_local_path(b) && !b.starts_with("/lang"))
        .unwrap_or_else(|| "/".to_owned());
    let mut res = Redirect::to(&back).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            LANG_COOKIE,
            lang.code(),
            365 * 24 * 3600,
            app.config.secure_cookies,
            "Lax",
        ),
    );
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert!(super::is_local_path("/history?unit=ca-kg"));
        assert!(!super::is_local_path("//evil.example"));
        assert!(!super::is_local_path("/\\evil.example"));
        assert!(!super::is_local_path("https://evil.example/"));
        assert!(!super::is_local_path("/a\nSet-Cookie: x=y"));
        assert!(!super::is_local_path("/a b"));
    }
}

#[cfg(test)]
mod log_tests {
    use std::sync::{Arc, Mutex};

    /// Collects what a plain-text subscriber writes.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_newline_in_the_user_name_cannot_forge_a_log_line() {
        let out = Lines::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            super::log_sign_in(
                "an\n2024-01-01T00:00:00Z  INFO signed in user=quantri\u{202E}",
                "sign-in failed",
            );
        });
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.contains("an\\n2024") && text.contains("\\u{202e}"),
            "{text}"
        );
    }
}
