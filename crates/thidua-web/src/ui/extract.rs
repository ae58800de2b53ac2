//! The page routes' path and query extractors: what axum's `Path` and `Query` read, but a value
//! that cannot be read (`/record/abc`, `/history?before=abc`, an unknown parameter) answers the
//! usual error page in the viewer's language with status 400 instead of axum's plain English
//! text. Query values are read without their surrounding spaces (a receipt's index pasted as
//! " 429"). Every page route takes these; the JSON API has its own (`api::extract`), which
//! answers the API's error body.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::auth::{request_lang, Authn};
use crate::error::ApiError;

/// The error page for a request whose address could not be read (`code`: `invalid_query`,
/// `invalid_path`), inside the signed-in frame when there is a viewer.
fn refuse(parts: &Parts, code: &'static str) -> Response {
    let viewer = parts.extensions.get::<Authn>().and_then(|a| a.0.clone());
    match viewer {
        Some(v) => super::viewer_error(&v, ApiError::bad_request(code, code)),
        None => super::error_page(
            request_lang(None, &parts.headers),
            StatusCode::BAD_REQUEST,
            code,
        ),
    }
}

/// Path parameters (axum's `Path`), refused with a page.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(refuse(parts, "invalid_path")),
        }
    }
}

/// A query string (axum's `Query`) with every value trimmed, refused with a page.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let trimmed = trimmed_query(parts.uri.query().unwrap_or(""))
            .and_then(|q| format!("/?{q}").parse::<Uri>().ok());
        match trimmed.map(|uri| axum::extract::Query::<T>::try_from_uri(&uri)) {
            Some(Ok(axum::extract::Query(v))) => Ok(Query(v)),
            _ => Err(refuse(parts, "invalid_query")),
        }
    }
}

/// The query string with surrounding spaces removed from every name and value (`None` when it
/// is not UTF-8 once decoded).
fn trimmed_query(raw: &str) -> Option<String> {
    let pairs = super::form::decode_urlencoded(raw.as_bytes())?;
    Some(
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k.trim()), encode(v.trim())))
            .collect::<Vec<_>>()
            .join("&"),
    )
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::trimmed_query;

    #[test]
    fn query_values_are_trimmed_and_reencoded() {
        assert_eq!(
            trimmed_query("index=%20429&hash=ab+").as_deref(),
            Some("index=429&hash=ab")
        );
        assert_eq!(
            trimmed_query("q=C%C3%A0+Mau&x=").as_deref(),
            Some("q=C%C3%A0%20Mau&x=")
        );
        assert_eq!(trimmed_query("n=%FF"), None);
    }
}
