//! What the forms share: a submitted form read strictly ([`Submitted`]: URL-encoded or
//! multipart with files, UTF-8 required, the CSRF token checked), the refusal of undecodable
//! form bodies on every page route ([`refuse_bad_encoding`]), and [`Errors`], the messages a
//! page shows beside each field (linked with `aria-describedby`) and in the error summary that
//! takes the focus after a failed submit; [`step_up`], the password asked again before an act
//! that binds.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{request_lang, Authn, Viewer};
use crate::AppState;

/// One message for one field; `id` is the field's element id (the summary links to `#id`, the
/// message's own id is `{id}-error`).
#[derive(Clone, Debug)]
pub struct FieldError {
    pub id: String,
    /// Where the field is, for the summary ("Chỉ tiêu 2, Ngưỡng"); empty when the label is
    /// enough.
    pub context: String,
    pub message: String,
}

/// The messages of a form, in page order; `refusal` when the form was read and the action
/// refused for the state of things (nothing in the form to correct).
#[derive(Clone, Debug, Default)]
pub struct Errors(Vec<FieldError>, bool);

impl Errors {
    /// Marks the messages as a refusal of the action, not of the form's fields: the summary
    /// says "not done" rather than asking for corrections.
    pub fn refusal(mut self) -> Self {
        self.1 = true;
        self
    }

    pub fn is_refusal(&self) -> bool {
        self.1
    }

    pub fn push(&mut self, id: impl Into<String>, message: impl Into<String>) {
        self.push_in(id, String::new(), message);
    }

    /// [`Errors::push`] with where the field is, for the summary.
    pub fn push_in(
        &mut self,
        id: impl Into<String>,
        context: impl Into<String>,
        message: impl Into<String>,
    ) {
        let id = id.into();
        // One message per field: the first one found.
        if self.get(&id).is_none() {
            self.0.push(FieldError {
                id,
                context: context.into(),
                message: message.into(),
            });
        }
    }

    /// Names the fields in the summary: each message for a field of `labels` (id, label) that
    /// says nothing of where it is gets the field's label ("Địa điểm ký: Không được để trống."),
    /// whoever pushed it (the form's reading, a shared helper, the domain's refusal).
    pub fn name_fields(&mut self, labels: &[(&str, &str)]) {
        for e in self.0.iter_mut().filter(|e| e.context.is_empty()) {
            if let Some((_, label)) = labels.iter().find(|(id, _)| *id == e.id) {
                e.context = (*label).to_owned();
            }
        }
    }

    /// Puts the messages in the order of `ids` (the page's fields, top to bottom), those of
    /// other fields after them as they came: rules checked after the fields were read (a
    /// total over several fields) push their messages late.
    pub fn in_page_order(&mut self, ids: &[&str]) {
        self.0
            .sort_by_key(|e| ids.iter().position(|id| *id == e.id).unwrap_or(ids.len()));
    }

    /// The message for the field `id` (templates call this beside each field).
    pub fn get(&self, id: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// `aria-describedby="{id}-error" aria-invalid="true"` when the field has a message (for
    /// templates: `<input … {{ errors.aria("x")|safe }}>`).
    pub fn aria(&self, id: &str) -> String {
        if self.get(id).is_some() {
            format!("aria-describedby=\"{id}-error\" aria-invalid=\"true\"")
        } else {
            String::new()
        }
    }
}

/// Checks the viewer's password again before an act that binds (signing a covenant, recording
/// or confirming a paper count, deciding a tie), by the one rule for every re-check of a
/// signed-in user's password ([`crate::api::recheck_password`]: counted by the sign-in throttle
/// before it is checked). A refusal (`wrong_password`, `too_many_attempts`, `busy`) is told
/// beside the password field `field`; when the password passed, the viewer that may now act
/// ([`crate::auth::PasswordRechecked`]).
pub async fn step_up(
    app: &AppState,
    viewer: &Viewer,
    password: String,
    field: &str,
    errors: &mut Errors,
) -> Option<Viewer> {
    match crate::api::recheck_password(app, viewer, password).await {
        Ok(rechecked) => Some(rechecked),
        Err(e) => {
            // "Mật khẩu không đúng.": the change-password form's "current password" does not
            // fit a confirmation.
            let message = match e.code {
                "wrong_password" => viewer.lang.strings().step_up_wrong_password,
                code => viewer.lang.error(code),
            };
            errors.push(field, message);
            None
        }
    }
}

/// A form as submitted: its text fields and its files. Read from
/// `application/x-www-form-urlencoded` or `multipart/form-data`, refusing text that is not
/// UTF-8 (never stored as replacement characters), with the session's CSRF token checked.
pub struct Submitted {
    pub fields: HashMap<String, String>,
    /// File fields with content: name → bytes (empty file inputs are left out).
    pub files: HashMap<String, Vec<u8>>,
}

impl Submitted {
    /// A text field, or "" when absent.
    pub fn get(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

impl FromRequest<AppState> for Submitted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let viewer = req.extensions().get::<Authn>().and_then(|a| a.0.clone());
        let lang = request_lang(viewer.as_ref(), req.headers());
        let refuse = |status, code| crate::ui::error_page(lang, status, code);
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let (fields, files) = if multipart {
            let mp = Multipart::from_request(req, state)
                .await
                .map_err(|_| refuse(StatusCode::BAD_REQUEST, "invalid_body"))?;
            read_multipart(mp)
                .await
                .map_err(|code| refuse(StatusCode::BAD_REQUEST, code))?
        } else {
            let body = axum::body::to_bytes(req.into_body(), crate::auth::MAX_BODY)
                .await
                .map_err(|_| crate::ui::too_large_page(lang, crate::auth::MAX_BODY))?;
            let pairs = decode_urlencoded(&body)
                .ok_or_else(|| refuse(StatusCode::BAD_REQUEST, "invalid_encoding"))?;
            (pairs.into_iter().collect(), HashMap::new())
        };
        let expected = viewer.map(|v| v.csrf).unwrap_or_default();
        let sent = fields.get("csrf").map(String::as_str).unwrap_or("");
        if expected.is_empty() || !crate::accounts::secrets_equal(&expected, sent) {
            return Err(refuse(StatusCode::FORBIDDEN, "csrf"));
        }
        Ok(Submitted { fields, files })
    }
}

type Parts = (HashMap<String, String>, HashMap<String, Vec<u8>>);

async fn read_multipart(mut mp: Multipart) -> Result<Parts, &'static str> {
    let mut fields = HashMap::new();
    let mut files = HashMap::new();
    while let Some(field) = mp.next_field().await.map_err(|_| "invalid_body")? {
        let name = field.name().unwrap_or("").to_owned();
        let is_file = field.file_name().is_some();
        let bytes = field.bytes().await.map_err(|_| "invalid_body")?;
        if is_file {
            if !bytes.is_empty() {
                files.insert(name, bytes.to_vec());
            }
        } else {
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| "invalid_encoding")?;
            fields.insert(name, text);
        }
    }
    Ok((fields, files))
}

/// Decodes an `application/x-www-form-urlencoded` body strictly: `None` when a name or value
/// is not UTF-8 once percent-decoded (browsers never send that; a forged body might).
pub fn decode_urlencoded(body: &[u8]) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let mut it = pair.splitn(2, |b| *b == b'=');
        let name = percent_decode(it.next().unwrap_or(b""))?;
        let value = percent_decode(it.next().unwrap_or(b""))?;
        out.push((name, value));
    }
    Some(out)
}

fn percent_decode(raw: &[u8]) -> Option<String> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => bytes.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(h), Some(l)) => {
                    bytes.push(h * 16 + l);
                    i += 2;
                }
                _ => bytes.push(b'%'),
            },
            b => bytes.push(b),
        }
        i += 1;
    }
    String::from_utf8(bytes).ok()
}

/// Refuses, on the page routes, a URL-encoded form whose text is not UTF-8 (400 with a page in
/// the viewer's language), so that no handler ever stores replacement characters.
pub async fn refuse_bad_encoding(req: Request, next: Next) -> Response {
    let urlencoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if req.method() != Method::POST || !urlencoded {
        return next.run(req).await;
    }
    let viewer = req.extensions().get::<Authn>().and_then(|a| a.0.clone());
    let lang = request_lang(viewer.as_ref(), req.headers());
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::auth::MAX_BODY).await else {
        return crate::ui::too_large_page(lang, crate::auth::MAX_BODY);
    };
    if decode_urlencoded(&bytes).is_none() {
        return crate::ui::error_page(lang, StatusCode::BAD_REQUEST, "invalid_encoding");
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_text_must_be_utf8() {
        assert_eq!(
            decode_urlencoded(b"a=C%C3%A0+Mau&b=&c").unwrap(),
            vec![
                ("a".into(), "Cà Mau".into()),
                ("b".into(), String::new()),
                ("c".into(), String::new())
            ]
        );
        assert!(decode_urlencoded(b"name=%FF%FE").is_none());
        assert!(decode_urlencoded(b"n%C3=1").is_none());
        assert_eq!(decode_urlencoded(b"x=100%").unwrap()[0].1, "100%");
        assert_eq!(decode_urlencoded(b"x=%4").unwrap()[0].1, "%4");
    }
}
