//! The HTTP/1.1 connection loop, hardened against slow clients (slowloris): at most
//! [`Limits::max_connections`] connections are served at once (past that, new ones wait in the
//! kernel's accept queue), a connection that takes longer than [`Limits::header_timeout`] to
//! send a request's headers (or to start the next request on a kept-alive connection) is closed,
//! and a request body must arrive within [`Limits::body_timeout`] (enforced where the body is
//! read, `auth::authenticate_layer`). One address holds at most [`Limits::per_address`] of
//! those connections (a trusted reverse proxy, which carries everyone's, excepted), so that one
//! client trickling bodies on every slot cannot keep the others waiting. Each request carries
//! the peer's address as axum's `ConnectInfo<SocketAddr>`.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How much a client may hold of the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Connections one address may hold at once (past that, its new ones are closed).
    pub per_address: usize,
    /// Time to send a request's headers (or, on a kept-alive connection, to start the next one).
    pub header_timeout: Duration,
    /// Time to send a request's body, from the end of its headers.
    pub body_timeout: Duration,
}

impl Default for Limits {
    /// 1,024 connections, 128 from one address, 10 s for the headers, 30 s for a body (at most
    /// 1 MiB).
    fn default() -> Self {
        Self {
            max_connections: 1024,
            per_address: 128,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// The connections each address holds, and one address's share of them.
struct PerAddress {
    open: std::sync::Mutex<std::collections::HashMap<IpAddr, usize>>,
    max: usize,
    exempt: Vec<IpAddr>,
}

/// One counted connection: uncounted when dropped.
struct Counted(Arc<PerAddress>, IpAddr);

impl PerAddress {
    /// Counts a connection from `ip`, or none when `ip` already holds its share.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Option<Counted>> {
        if self.exempt.contains(&ip) {
            return Some(None);
        }
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let held = open.entry(ip).or_insert(0);
        if *held >= self.max {
            return None;
        }
        *held += 1;
        Some(Some(Counted(self.clone(), ip)))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut open = self.0.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(held) = open.get_mut(&self.1) {
            *held -= 1;
            if *held == 0 {
                open.remove(&self.1);
            }
        }
    }
}

/// How long open connections may take to finish once shutdown is asked.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish (at
/// most [`SHUTDOWN_GRACE`]). Connections from `trusted_proxies` are not limited per address.
pub async fn run(
    listener: TcpListener,
    router: axum::Router,
    limits: Limits,
    trusted_proxies: Vec<IpAddr>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let per_address = Arc::new(PerAddress {
        open: Default::default(),
        max: limits.per_address.max(1),
        exempt: trusted_proxies,
    });
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(counted) = per_address.admit(peer.ip()) else {
            tracing::warn!(peer = %peer.ip(), "connection refused: the address holds its share of connections");
            continue;
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move { Ok::<_, Infallible>(router.oneshot(req).await.unwrap_or_else(|e| match e {})) }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, peer = %peer, "connection closed");
            }
            drop((slot, counted));
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period");
    }
    Ok(())
}
