//! Response hardening and request tracing: security headers on every response (a CSP without
//! inline script, frame-ancestors 'none', nosniff, a strict referrer policy) and a request id
//! (`x-request-id`) carried by a tracing span. Logs the method, the path (never the query, which
//! could carry a token) and the status.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::client::ClientInfo;
use crate::AppState;

/// The Content-Security-Policy sent with every response. `'wasm-unsafe-eval'` lets the voting
/// page compile the ballot module (`/static/ballot.wasm`, served by this server); it allows no
/// JavaScript eval.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// How long a browser that reached the server over HTTPS keeps to HTTPS (one year).
pub const HSTS: &str = "max-age=31536000";

/// Adds the security headers and the request id, and logs the request. A request served over
/// HTTPS (the deployment says so with `--secure-cookies`, or a trusted proxy with
/// `X-Forwarded-Proto`) gets HSTS, and every cookie of its response is marked `Secure`.
pub async fn security_layer(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let https =
        app.config.secure_cookies || ClientInfo::of(req.extensions(), req.headers(), &app).https;
    let id = crate::accounts::random_token(9);
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let span = tracing::info_span!("request", id = %id, method = %method, path = %path);
    let started = std::time::Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
        secure_every_cookie(h);
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert(REQUEST_ID.clone(), v);
    }
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "served"
        )
    });
    res
}

/// Marks `Secure` every cookie the response sets that is not yet.
fn secure_every_cookie(h: &mut HeaderMap) {
    let cookies: Vec<HeaderValue> = h
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| match v.to_str() {
            Ok(text) if !text.contains("; Secure") => {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| v.clone())
            }
            _ => v.clone(),
        })
        .collect();
    h.remove(header::SET_COOKIE);
    for c in cookies {
        h.append(header::SET_COOKIE, c);
    }
}
