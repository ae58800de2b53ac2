//! Static assets compiled into the binary: the style sheet and the Liberation Sans web fonts
//! (SIL Open Font License 1.1, subset to Latin and Vietnamese; see `assets/fonts/LICENSE`).
//! Served from this server only: deployments are on closed networks, no CDN.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../../assets/app.css");
const SANS_REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.woff2");
const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.woff2");

pub async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

pub async fn font(Path(name): Path<String>) -> Response {
    let bytes = match name.as_str() {
        "LiberationSans-Regular.woff2" => SANS_REGULAR,
        "LiberationSans-Bold.woff2" => SANS_BOLD,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, "font/woff2"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    )
        .into_response()
}
