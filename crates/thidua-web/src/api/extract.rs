//! Extractors for the API that answer malformed input with the stable error body: JSON bodies
//! and query strings are parsed strictly (the request types deny unknown fields, and no object
//! of a body may give a key twice).

use std::collections::BTreeSet;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::error::ApiError;

/// A JSON body; a body that is not JSON answers 400, unknown fields, bad types and a key given
/// twice 422, a content type other than JSON 415, each as `{"error": "invalid_body"}`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "invalid_body",
                "Expected request with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), "invalid_body", e.body_text()))?;
        // Last one wins in serde's maps: a figure or a score given twice is refused instead.
        if let Some(path) = key_given_twice(&bytes) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("`{path}` is given twice: give each key once"),
            ));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError::new(e.status(), "invalid_body", e.body_text())),
        }
    }
}

/// `application/json` or `application/*+json`, with any parameters (as axum's own `Json`).
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence
        .strip_prefix("application/")
        .is_some_and(|sub| sub == "json" || sub.ends_with("+json"))
}

/// The path (`values.crimes`, `entries.C2a`) of the first key some object of `json` gives
/// twice; `None` when there is none, or when the bytes are not JSON (the parse that follows
/// says why).
fn key_given_twice(json: &[u8]) -> Option<String> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let walk = Keys {
        path: String::new(),
    };
    let said = walk.deserialize(&mut de).err()?.to_string();
    // Only the walk's own refusal names a key; any other error is the parse's to tell.
    let path = said.strip_prefix(GIVEN_TWICE)?;
    Some(path.split(" at line ").next()?.to_owned())
}

/// How [`Keys`] starts its refusal, so that no other error is taken for it.
const GIVEN_TWICE: &str = "given twice: ";

/// A walk over a JSON value that refuses an object giving a key twice, naming where.
struct Keys {
    path: String,
}

impl Keys {
    fn at(&self, step: &str) -> Keys {
        let path = if self.path.is_empty() {
            step.to_owned()
        } else {
            format!("{}.{step}", self.path)
        };
        Keys { path }
    }
}

impl<'de> DeserializeSeed<'de> for Keys {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Keys {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let inner = self.at(&key);
            if !seen.insert(key) {
                return Err(serde::de::Error::custom(format!(
                    "{GIVEN_TWICE}{}",
                    inner.path
                )));
            }
            map.next_value_seed(inner)?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        while seq.next_element_seed(self.at(&i.to_string()))?.is_some() {
            i += 1;
        }
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A query string; unknown parameters answer `400 {"error": "invalid_query"}`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError::bad_request("invalid_query", e.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key_given_twice;

    #[test]
    fn a_key_given_twice_is_found_where_it_is() {
        let at = |s: &str| key_given_twice(s.as_bytes());
        assert_eq!(
            at(r#"{"values":{"crimes":"1","crimes":"2"}}"#).as_deref(),
            Some("values.crimes")
        );
        assert_eq!(
            at(r#"{"a":[{"b":1},{"b":1,"b":2}]}"#).as_deref(),
            Some("a.1.b")
        );
        assert_eq!(at(r#"{"unit":"x","unit":"y"}"#).as_deref(), Some("unit"));
        assert_eq!(
            at(r#"{"values":{"crimes":"1","solved":"2"},"n":[1,2.5,null,true]}"#),
            None
        );
        assert_eq!(at("not json"), None, "the parse that follows says why");
    }
}
