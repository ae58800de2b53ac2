//! `/transparency`: public, signed in or not. The log's public verifier key (what witnesses and
//! verifiers pass as `--log-key`), the newest signed and witnessed checkpoints, and the commands
//! a member unit runs to witness the log or verify it.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;

use super::proof::LogStatus;
use super::{render, Layout};
use crate::auth::{request_lang, MaybeViewer};
use crate::client::ClientInfo;
use crate::i18n::fill;
use crate::AppState;

#[derive(Template)]
#[template(path = "transparency.html")]
struct TransparencyPage {
    l: Layout,
    key: String,
    signed: String,
    witnessed: String,
    /// This server's address as the client reached it, for the example commands.
    server: String,
}

pub async fn transparency(
    State(app): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    client: ClientInfo,
    headers: HeaderMap,
) -> Response {
    let status = LogStatus::load(&app).await;
    let (l, cookie) = match &viewer {
        Some(v) => (Layout::new(v, v.lang.strings().transparency_title), None),
        None => {
            let lang = request_lang(None, &headers);
            let (csrf, cookie) = super::session::pre_csrf(&app, &headers);
            let l = Layout::anonymous(lang, lang.strings().transparency_title, csrf);
            (l, cookie)
        }
    };
    let t = l.t;
    let witnessed = match status.witnessed {
        Some((size, units)) => fill(
            t.transparency_witnessed,
            &[("size", size), ("units", units as u64)],
        ),
        None => t.transparency_not_witnessed.to_owned(),
    };
    let scheme = if client.https || app.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let page = TransparencyPage {
        signed: fill(t.transparency_signed, &[("size", status.signed)]),
        witnessed,
        key: app.service.key().verifier_key().to_owned(),
        server: format!("{scheme}://{host}"),
        l,
    };
    super::session::with_cookie(render(&page), cookie)
}
