//! HTTP for Thi Đua: the web UI, the JSON API, accounts and sessions. Only this crate knows HTTP.
#![forbid(unsafe_code)]

pub mod accounts;

use std::net::SocketAddr;
use std::sync::Arc;

use thidua_service::Service;

/// How the HTTP server runs.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Address to listen on (port 0 picks a free port).
    pub bind: SocketAddr,
    /// Mark session cookies `Secure` (set when served over HTTPS behind a proxy).
    pub secure_cookies: bool,
}

/// Serves until `shutdown` resolves. Calls `ready(addr)` once the socket is bound.
pub async fn serve(
    service: Arc<Service>,
    config: WebConfig,
    ready: impl FnOnce(SocketAddr) + Send,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = axum::Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .with_state(service);
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
