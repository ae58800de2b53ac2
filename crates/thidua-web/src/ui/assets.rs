//! Static assets compiled into the binary: the style sheet and the Liberation Sans web fonts
//! (SIL Open Font License 1.1, subset to Latin and Vietnamese; see `assets/fonts/LICENSE`).
//! Served from this server only: deployments are on closed networks, no CDN.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../../assets/app.css");
const SANS_REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.woff2");
const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.woff2");
/// The voting page's script and the ballot module (`scripts/build-ballot-wasm.sh`).
const BALLOT_JS: &str = include_str!("../../assets/ballot.js");
const BALLOT_WASM: &[u8] = include_bytes!("../../assets/ballot.wasm");
/// The tab's icon: a yellow star on red, drawn here (also answered at `/favicon.ico`, which
/// browsers ask for by themselves).
const FAVICON: &str = include_str!("../../assets/favicon.svg");
/// The year-end page's script: a unit's seed secret made in the leader's browser.
const YEAREND_JS: &str = include_str!("../../assets/yearend.js");

/// Every page's print: folded sections (`<details>`) opened while printing.
const PRINT_JS: &str = include_str!("../../assets/print.js");

/// The code boxes' line numbers kept right while typing ([`crate::ui::code`]).
const CODE_JS: &str = include_str!("../../assets/code.js");

/// The figures grid's keys and pastes, as in a spreadsheet ([`crate::ui::figures`]).
const GRID_JS: &str = include_str!("../../assets/grid.js");

/// One of the pages' scripts, revalidated on every use (it changes with the binary).
fn script(source: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        source,
    )
        .into_response()
}

pub async fn yearend_js() -> Response {
    script(YEAREND_JS)
}

pub async fn ballot_js() -> Response {
    script(BALLOT_JS)
}

pub async fn print_js() -> Response {
    script(PRINT_JS)
}

pub async fn code_js() -> Response {
    script(CODE_JS)
}

pub async fn grid_js() -> Response {
    script(GRID_JS)
}

pub async fn ballot_wasm() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/wasm"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        BALLOT_WASM,
    )
        .into_response()
}

pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
        .into_response()
}

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
