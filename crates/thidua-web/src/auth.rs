//! Authentication: server-side sessions (cookie `thidua_session`, HttpOnly, SameSite=Lax,
//! `Secure` when configured) and bearer API tokens; the [`Viewer`] extractor; CSRF checks
//! ([`CsrfForm`] for forms, the `x-csrf-token` header for cookie-authenticated API writes).
//!
//! Owns cookies and the request's identity. Never logs a cookie, a token or a password.

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use thidua_domain::UserId;
use thidua_store::accounts::{AccountStore, SessionRecord};
use thidua_store::Hash;

use crate::accounts::{now_ms, random_token, secret_hash, secrets_equal};
use crate::authz::Scope;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::AppState;

pub const SESSION_COOKIE: &str = "thidua_session";
/// Anti-CSRF token for forms shown before sign-in (sign-in, bootstrap, language).
pub const PRE_CSRF_COOKIE: &str = "thidua_csrf";
/// The language chosen before sign-in.
pub const LANG_COOKIE: &str = "thidua_lang";
/// The header carrying the session's CSRF token on cookie-authenticated API writes.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The largest request body accepted.
pub const MAX_BODY: usize = 1024 * 1024;
/// The largest file accepted by the figures imports (a cluster's years of figures).
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;

/// Whether a path takes a file upload (and [`MAX_UPLOAD`] bytes).
fn is_upload(path: &str) -> bool {
    path.ends_with("/figures/import")
        || path.ends_with("/figures/historical")
        || path.ends_with("/yearend/evidence")
}

/// The most bytes a request's body may hold: [`MAX_UPLOAD`] for a signed-in caller's upload,
/// [`MAX_BODY`] otherwise. The one rule that enforces the limit, and what a refusal says.
pub fn body_limit(signed_in: bool, path: &str) -> usize {
    if signed_in && is_upload(path) {
        MAX_UPLOAD
    } else {
        MAX_BODY
    }
}

/// The page route of an upload (a figures file, a year-end evidence file), whose refusal of a
/// file over the limit is its page with the message (the handler answers it: [`UploadTooLarge`]).
fn is_upload_page(path: &str) -> bool {
    !path.starts_with("/api/") && is_upload(path)
}

/// Marks a request whose upload was over [`MAX_UPLOAD`]: its body was read to the end and
/// dropped (memory stays bounded), and the handler answers with its own page.
#[derive(Clone, Copy, Debug)]
pub struct UploadTooLarge;

/// The most bytes read and dropped after an upload's limit, so that a browser still sending
/// gets the page rather than a reset connection; a longer body is cut off.
const DRAIN_MAX: usize = 4 * MAX_UPLOAD;

/// Reads a body of at most `limit` bytes; a longer one is read on to its end (at most
/// [`DRAIN_MAX`] bytes more) and dropped, never held: `None`.
async fn read_or_drain(
    mut body: axum::body::Body,
    limit: usize,
) -> Result<Option<axum::body::Bytes>, axum::Error> {
    use axum::body::HttpBody;
    let mut kept: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen <= limit {
            kept.extend_from_slice(&data);
        } else {
            kept = Vec::new();
            if seen > limit.saturating_add(DRAIN_MAX) {
                break;
            }
        }
    }
    Ok((seen <= limit).then(|| kept.into()))
}
/// Sessions last 12 hours.
pub const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;

/// How the request authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

/// The signed-in user of a request.
#[derive(Clone)]
pub struct Viewer {
    pub user: UserId,
    pub display_name: String,
    /// An invented person of the demonstration.
    pub demo: bool,
    pub scope: Scope,
    pub lang: Lang,
    /// The session's CSRF token (empty for bearer tokens, which cannot post forms).
    pub csrf: String,
    pub via: Via,
    /// SHA-256 of the session id, for sign-out.
    pub session: Option<Hash>,
    /// Whether this request re-entered the user's password ([`crate::api::recheck_password`]),
    /// which a binding act needs ([`crate::authz::commands::binding`]).
    pub password_rechecked: PasswordRechecked,
    /// The request's time on the log's clock (`Service::now_ms`): what the pages' dry runs and
    /// deadlines are judged at, so that a page offers what the append would accept.
    pub now_ms: i64,
}

/// Whether a request's password was checked again: only [`crate::api::recheck_password`]
/// makes one that says yes, so no other code can mark a request as rechecked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PasswordRechecked(bool);

impl PasswordRechecked {
    /// Yes: for [`crate::api::recheck_password`] alone.
    pub(crate) fn checked_just_now() -> Self {
        PasswordRechecked(true)
    }

    pub fn yes(self) -> bool {
        self.0
    }
}

impl Viewer {
    /// The request's day in Vietnam (UTC+7) on the log's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        thidua_domain::figures::local_date(self.now_ms)
    }
}

impl std::fmt::Debug for Viewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Viewer")
            .field("user", &self.user)
            .field("via", &self.via)
            .finish_non_exhaustive()
    }
}

/// The identity found by [`authenticate_layer`], stored in the request's extensions.
#[derive(Clone)]
pub struct Authn(pub Option<Viewer>);

/// Reads one cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value. `max_age` 0 deletes the cookie.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age_s: i64,
    secure: bool,
    same_site: &str,
) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age_s}{secure}"
    ))
    .expect("cookie values are base64url")
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Finds the request's user from a bearer token or a session cookie.
///
/// The language preference is read only for pages (`wants_lang`): JSON answers do not need it.
async fn authenticate(
    app: &AppState,
    headers: &HeaderMap,
    wants_lang: bool,
) -> Result<Option<Viewer>, ApiError> {
    let token = bearer(headers).map(secret_hash);
    let has_bearer = headers.contains_key(header::AUTHORIZATION);
    let session = cookie(headers, SESSION_COOKIE).map(secret_hash);
    let lang_cookie = cookie(headers, LANG_COOKIE).and_then(Lang::parse);
    if has_bearer && token.is_none() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the Authorization header must be `Bearer <token>`",
        ));
    }
    if token.is_none() && session.is_none() {
        return Ok(None);
    }
    app.blocking(move |app| {
        let (user, csrf, via, session) = if let Some(hash) = token {
            match app.accounts.api_token(&hash)? {
                Some(t) if t.revoked_ms.is_none() => (t.user, String::new(), Via::Bearer, None),
                _ => {
                    return Err(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "invalid_token",
                        "the token is unknown or revoked",
                    ))
                }
            }
        } else {
            let hash = session.expect("a session cookie");
            match app.accounts.session(&hash, now_ms())? {
                Some(s) => (s.user, s.csrf, Via::Cookie, Some(hash)),
                None => return Ok(None),
            }
        };
        let Ok(user) = UserId::parse(&user) else {
            return Ok(None);
        };
        // A signed-in caller sees every write acknowledged before its request, wherever it
        // was made (its own save a moment ago on another server behind the same database).
        let Some(record) = app.service.read_fresh().users.get(&user).cloned() else {
            return Ok(None);
        };
        let preferred = if wants_lang {
            app.accounts.preference(user.as_str(), "lang")?
        } else {
            None
        };
        let lang = preferred
            .as_deref()
            .and_then(Lang::parse)
            .or(lang_cookie)
            .unwrap_or_default();
        Ok(Some(Viewer {
            display_name: record.display_name.to_string(),
            demo: record.demo,
            scope: Scope::new(user.clone(), record.roles),
            user,
            lang,
            csrf,
            via,
            session,
            password_rechecked: PasswordRechecked::default(),
            now_ms: app.service.now_ms(),
        }))
    })
    .await
}

/// The user a request's bearer token or session cookie names, if any (blocking: it asks the
/// account store).
fn identify(accounts: &dyn AccountStore, headers: &HeaderMap) -> Option<UserId> {
    let user = if let Some(token) = bearer(headers) {
        accounts
            .api_token(&secret_hash(token))
            .ok()
            .flatten()
            .filter(|t| t.revoked_ms.is_none())?
            .user
    } else {
        let id = cookie(headers, SESSION_COOKIE)?;
        accounts
            .session(&secret_hash(id), now_ms())
            .ok()
            .flatten()?
            .user
    };
    UserId::parse(&user).ok()
}

/// Whether the caller may read one event, given the current state (the shape of the
/// transparency crate's `EntryReader`).
pub type EventReader = Box<dyn Fn(&thidua_domain::State, &thidua_domain::Event) -> bool + Send>;

/// For the transparency crate's `EntryAccess`: which log entries' contents the caller (bearer
/// token or session cookie in `headers`) may read, by the same rules as the history
/// ([`Scope::can_view_event`]). Blocking (it asks the account store); it never locks the
/// service: the roles are read from the `State` handed to the returned closure.
pub fn event_reader(accounts: &dyn AccountStore, headers: &HeaderMap) -> EventReader {
    let Some(user) = identify(accounts, headers) else {
        return Box::new(|_, _| false);
    };
    let seen: std::sync::OnceLock<(Scope, crate::authz::Visibility)> = std::sync::OnceLock::new();
    Box::new(move |state, event| {
        let (scope, vis) = seen.get_or_init(|| {
            let roles = state
                .users
                .get(&user)
                .map(|u| u.roles.clone())
                .unwrap_or_default();
            let scope = Scope::new(user.clone(), roles);
            let vis = scope.visibility(state);
            (scope, vis)
        });
        state.users.contains_key(&user) && scope.can_view_event_with(state, vis, event)
    })
}

/// Authenticates every request once and refuses cookie-authenticated API writes without the
/// session's CSRF token.
pub async fn authenticate_layer(State(app): State<AppState>, req: Request, next: Next) -> Response {
    // Who is asking comes from the headers alone; the body is read before anything is refused
    // (a request refused before its body is read would leave unread bytes behind and the
    // connection would be reset under the client), bounded, and within the body timeout (a
    // client trickling it is cut off). Only a signed-in caller may send an upload's size.
    let (parts, body) = req.into_parts();
    let metrics = parts.uri.path() == "/metrics";
    let wants_lang = !parts.uri.path().starts_with("/api/");
    let authenticated = if metrics {
        // Its bearer token is the metrics token, not a user's (checked by `metrics::endpoint`).
        Ok(None)
    } else {
        authenticate(&app, &parts.headers, wants_lang).await
    };
    let signed_in = matches!(authenticated, Ok(Some(_)));
    let limit = body_limit(signed_in, parts.uri.path());
    let upload_page = signed_in && is_upload_page(parts.uri.path());
    let read = async {
        if upload_page {
            read_or_drain(body, limit).await
        } else {
            axum::body::to_bytes(body, limit).await.map(Some)
        }
    };
    let (body, too_large) = match tokio::time::timeout(app.config.limits.body_timeout, read).await {
        Ok(Ok(Some(b))) => (b, false),
        Ok(Ok(None)) => (axum::body::Bytes::new(), true),
        Ok(Err(_)) if wants_lang => {
            // A page's form: the error page, in the language asked for.
            let viewer = authenticated.as_ref().ok().and_then(Option::as_ref);
            let lang = request_lang(viewer, &parts.headers);
            return crate::ui::too_large_page(lang, limit);
        }
        Ok(Err(_)) => return ApiError::too_large(limit).into_response(),
        Err(_) => {
            return ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                "the request body did not arrive in time",
            )
            .into_response()
        }
    };
    let mut req = Request::from_parts(parts, axum::body::Body::from(body));
    if too_large {
        req.extensions_mut().insert(UploadTooLarge);
    }
    let viewer = match authenticated {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if let Some(v) = &viewer {
        if v.via == Via::Cookie && !safe && req.uri().path().starts_with("/api/") {
            let sent = req
                .headers()
                .get(CSRF_HEADER)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            if !secrets_equal(sent, &v.csrf) {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "cookie-authenticated writes need the x-csrf-token header",
                )
                .into_response();
            }
        }
    }
    req.extensions_mut().insert(Authn(viewer));
    next.run(req).await
}

/// Judges every write of a signed-in caller from its route before its handler parses the body
/// ([`crate::authz::writes`]): what the path names must be visible (else 404) and the caller
/// must hold a role that could act on it (else 403), whatever fields are sent. Runs after
/// [`authenticate_layer`], which finds the caller.
pub async fn write_gate_layer(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let viewer = req.extensions().get::<Authn>().and_then(|a| a.0.as_ref());
    let matched = req.extensions().get::<axum::extract::MatchedPath>();
    if let (false, Some(viewer), Some(matched)) = (safe, viewer, matched) {
        let named = crate::authz::writes::Named::of(matched.as_str(), req.uri().path());
        if let Err(e) = viewer.scope.may_write(&app.service.read(), &named) {
            return if req.uri().path().starts_with("/api/") {
                e.into_response()
            } else {
                crate::ui::viewer_error(viewer, e)
            };
        }
    }
    next.run(req).await
}

fn authn(parts: &Parts) -> Option<Viewer> {
    parts.extensions.get::<Authn>().and_then(|a| a.0.clone())
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        match authn(parts) {
            Some(v) => Ok(v),
            None if parts.uri.path().starts_with("/api/") => {
                Err(ApiError::unauthenticated().into_response())
            }
            None => Err(Redirect::to("/login").into_response()),
        }
    }
}

/// The signed-in user, if any.
pub struct MaybeViewer(pub Option<Viewer>);

impl FromRequestParts<AppState> for MaybeViewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(authn(parts)))
    }
}

/// The language of a request: the user's preference, else the cookie, else Vietnamese.
pub fn request_lang(viewer: Option<&Viewer>, headers: &HeaderMap) -> Lang {
    viewer
        .map(|v| v.lang)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct WithCsrf<T> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    inner: T,
}

/// A form whose `csrf` field must match the session's token (or, before sign-in, the
/// `thidua_csrf` cookie). Every state-changing form of the UI is read through this extractor.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let viewer = req.extensions().get::<Authn>().and_then(|a| a.0.clone());
        let expected = match &viewer {
            Some(v) => v.csrf.clone(),
            None => cookie(req.headers(), PRE_CSRF_COOKIE)
                .unwrap_or("")
                .to_owned(),
        };
        let lang = request_lang(viewer.as_ref(), req.headers());
        let axum::Form(form) = axum::Form::<WithCsrf<T>>::from_request(req, state)
            .await
            .map_err(|e| {
                tracing::debug!(error = %crate::logging::untrusted(&e.to_string()), "unreadable form");
                crate::ui::error_page(lang, StatusCode::BAD_REQUEST, "invalid_body")
            })?;
        if expected.is_empty() || !secrets_equal(&expected, &form.csrf) {
            return Err(crate::ui::error_page(lang, StatusCode::FORBIDDEN, "csrf"));
        }
        Ok(CsrfForm(form.inner))
    }
}

/// Starts a session for `user`: stores it and returns the `Set-Cookie` header value.
///
/// The cookie is `Secure` when configured so or when the request came over HTTPS through a
/// trusted proxy (`secure_hint`, [`crate::client::ClientInfo::https`]). Expired sessions are swept at the same time.
pub fn start_session(
    app: &AppState,
    user: &UserId,
    secure_hint: bool,
) -> Result<HeaderValue, ApiError> {
    let id = random_token(32);
    let now = now_ms();
    app.accounts.delete_expired_sessions(now)?;
    app.accounts.create_session(&SessionRecord {
        id_hash: secret_hash(&id),
        user: user.to_string(),
        csrf: random_token(24),
        created_ms: now,
        expires_ms: now + SESSION_TTL_MS,
    })?;
    Ok(set_cookie(
        SESSION_COOKIE,
        &id,
        SESSION_TTL_MS / 1000,
        app.config.secure_cookies || secure_hint,
        "Lax",
    ))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn end_session_cookie(app: &AppState) -> HeaderValue {
    set_cookie(SESSION_COOKIE, "", 0, app.config.secure_cookies, "Lax")
}
