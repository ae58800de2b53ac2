//! HTTP for Thi Đua: the Vietnamese web UI, the JSON API and its OpenAPI document, accounts,
//! sessions and API tokens. Only this crate knows HTTP.
//!
//! Invariants: every route authenticates through [`auth`] and checks reads through [`authz`]
//! (commands are checked again by the domain); every state-changing form carries a CSRF token;
//! blocking calls (the service, the account store) run on the blocking pool, never on the
//! runtime's threads; no secret (password, session id, token) is ever logged.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod api;
pub mod auth;
pub mod authz;
pub mod client;
pub mod derived;
pub mod error;
pub mod format;
pub mod headers;
pub mod i18n;
pub mod logging;
pub mod metrics;
pub mod openapi;
mod openapi_schemas;
pub mod server;
pub mod throttle;
pub mod ui;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::routing::get;
use thidua_service::Service;
use thidua_store::accounts::AccountStore;
use thidua_store::witness::WitnessStore;

use crate::error::ApiError;

pub use auth::{event_reader, EventReader};

/// Log filter directives the binary must add to its subscriber: `tokio_postgres` logs every
/// statement's parameters at DEBUG (password hashes among them), so it is capped at INFO.
pub const REQUIRED_LOG_DIRECTIVES: &str = "tokio_postgres=info,postgres=info";

/// How the HTTP server runs.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Address to listen on (port 0 picks a free port).
    pub bind: SocketAddr,
    /// Mark session cookies `Secure` (set when served over HTTPS behind a proxy).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed
    /// ([`client`]); from any other peer those headers are ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// Connection limit and read timeouts ([`server::Limits`]).
    pub limits: server::Limits,
    /// Who may read `/metrics` (nobody by default).
    pub metrics_access: metrics::MetricsAccess,
    /// The server's counters (shared, so the binary can record the replay done before serving).
    pub metrics: Arc<metrics::Metrics>,
}

impl WebConfig {
    /// Listens on `bind`, cookies not marked `Secure`, no trusted proxy, default limits.
    pub fn new(bind: SocketAddr) -> Self {
        Self {
            bind,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            limits: server::Limits::default(),
            metrics_access: metrics::MetricsAccess::Off,
            metrics: Arc::default(),
        }
    }
}

/// What the pages need to tell whether a witnessed checkpoint covers an event: the store of
/// witness cosignatures, judged by the log's own quorum as the public log endpoints
/// (`thidua_transparency::router`) judge it, so that pages and `/api/v1/log/witnessed` agree.
#[derive(Clone)]
pub struct Witnessing {
    pub witnesses: Arc<dyn WitnessStore>,
}

impl Witnessing {
    /// The pages' witnessing from the witness store.
    pub fn new(witnesses: Arc<dyn WitnessStore>) -> Self {
        Self { witnesses }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The shared parts behind [`AppState`].
pub struct Inner {
    pub service: Arc<Service>,
    pub accounts: Arc<dyn AccountStore>,
    pub config: WebConfig,
    pub throttle: throttle::Throttle,
    /// Without it no event is shown as witnessed (only the newest signed checkpoint is known).
    pub witnessing: Option<Witnessing>,
    /// Each covenant's progress (without explanations), until the log grows.
    pub progress: derived::Derived<
        thidua_domain::CovenantId,
        thidua_domain::progress::Incremental,
        thidua_domain::progress::Progress,
    >,
    /// Each covenant's integrity flags for every member (filtered per viewer when read).
    pub flags: api::flags::FlagsCache,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(service: Arc<Service>, accounts: Arc<dyn AccountStore>, config: WebConfig) -> Self {
        Self::with_witnessing(service, accounts, config, None)
    }

    /// [`AppState::new`] with the witness cosignatures, so pages show which events a witnessed
    /// checkpoint covers.
    pub fn with_witnessing(
        service: Arc<Service>,
        accounts: Arc<dyn AccountStore>,
        config: WebConfig,
        witnessing: Option<Witnessing>,
    ) -> Self {
        Self(Arc::new(Inner {
            service,
            accounts,
            config,
            throttle: throttle::Throttle::default(),
            witnessing,
            progress: derived::Derived::default(),
            flags: api::flags::FlagsCache::default(),
        }))
    }

    /// Runs a blocking closure that hashes a password (Argon2, 19 MiB) on one of the few
    /// hashing threads ([`throttle::Throttle::hash`]); answers "busy" when none frees up.
    pub async fn hashing<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
    {
        let app = self.clone();
        match self.throttle.hash(move || f(&app)).await {
            Some(result) => result,
            None => Err(ApiError::busy()),
        }
    }

    /// Runs a blocking closure (service or account store) on the blocking pool.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
    {
        let app = self.clone();
        tokio::task::spawn_blocking(move || f(&app))
            .await
            .map_err(ApiError::internal)?
    }
}

/// The whole application: pages, API, static files, with the security headers, request ids and
/// authentication layers.
pub fn router(app: AppState) -> axum::Router {
    router_with(app, None)
}

/// [`router`] with `extra` routes merged in before the layers, so they get the security
/// headers, the request id and the caller's identity too. When `extra` is given, it owns
/// `/api/v1/log/checkpoint` (the transparency crate serves it with the rest of `/api/v1/log/…`);
/// otherwise the built-in one answers.
pub fn router_with(app: AppState, extra: Option<axum::Router<AppState>>) -> axum::Router {
    let base = axum::Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(api::readyz))
        .route("/metrics", get(metrics::endpoint))
        .merge(api::routes())
        .merge(ui::routes());
    let base = match extra {
        Some(extra) => base.merge(extra),
        None => base.route("/api/v1/log/checkpoint", get(api::checkpoint)),
    };
    base.fallback(not_found)
        .method_not_allowed_fallback(ui::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            auth::write_gate_layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            auth::authenticate_layer,
        ))
        .layer(axum::middleware::from_fn(ui::refused::layer))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            headers::security_layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            metrics::layer,
        ))
        .with_state(app)
}

/// Unknown paths: the JSON error body under `/api/`, an error page elsewhere.
async fn not_found(
    auth::MaybeViewer(viewer): auth::MaybeViewer,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return ApiError::not_found().into_response();
    }
    match viewer {
        Some(v) => ui::viewer_error(&v, ApiError::not_found()),
        None => ui::error_page(
            auth::request_lang(None, &headers),
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
        ),
    }
}

/// Serves until `shutdown` resolves. Calls `ready(addr)` once the socket is bound.
///
/// When no administrator exists yet, a one-time bootstrap token is printed on standard error
/// (never logged): open `/bootstrap` and enter it to create the first administrator.
pub async fn serve(
    service: Arc<Service>,
    accounts: Arc<dyn AccountStore>,
    config: WebConfig,
    ready: impl FnOnce(SocketAddr) + Send,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with(service, accounts, config, None, ready, shutdown).await
}

/// [`serve`] with extra routes (e.g. `thidua_transparency::router(..)`, which is generic over
/// the state) merged in by [`router_with`].
pub async fn serve_with(
    service: Arc<Service>,
    accounts: Arc<dyn AccountStore>,
    config: WebConfig,
    extra: Option<axum::Router<AppState>>,
    ready: impl FnOnce(SocketAddr) + Send,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_witnessed(service, accounts, config, extra, None, ready, shutdown).await
}

/// [`serve_with`] with the witness cosignatures: the history and covenant pages then show, for
/// each event, the witnessed checkpoint that covers it (see [`Witnessing`]).
pub async fn serve_witnessed(
    service: Arc<Service>,
    accounts: Arc<dyn AccountStore>,
    config: WebConfig,
    extra: Option<axum::Router<AppState>>,
    witnessing: Option<Witnessing>,
    ready: impl FnOnce(SocketAddr) + Send,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let app = AppState::with_witnessing(service, accounts, config, witnessing);
    let token = app
        .blocking(|app| {
            Ok(accounts::issue_bootstrap_token(
                &*app.accounts,
                &app.service,
            )?)
        })
        .await
        .map_err(|e| anyhow::anyhow!("bootstrap token: {}", e.message))?;
    if let Some(token) = token {
        // On standard output, the console's: never in the log stream (standard error, JSON
        // lines with THIDUA_LOG_FORMAT=json), which log collectors keep.
        // A closed standard output (a service started without a console) never stops the
        // server: the log says, without the token, that it could not be shown.
        use std::io::Write;
        let shown = writeln!(
            std::io::stdout(),
            "Chưa có quản trị viên. Mở http://{addr}/bootstrap và nhập mã dùng một lần này / No administrator exists yet. Open http://{addr}/bootstrap and enter this one-time token:\n\n    {token}\n"
        );
        if shown.is_err() {
            tracing::warn!(
                "no administrator yet, and the one-time bootstrap token could not be shown: standard output is closed (restart with a console, or create one with `thidua user add`)"
            );
        }
    }
    let limits = app.config.limits;
    let proxies = app.config.trusted_proxies.clone();
    let router = router_with(app, extra);
    ready(addr);
    server::run(listener, router, limits, proxies, shutdown).await?;
    Ok(())
}
