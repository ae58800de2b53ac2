//! A page that answers with a refusal says so first: every HTML response with a 4xx or 5xx
//! status (a form shown again with its messages, a refused action, a page not found) gets
//! "Lỗi: " / "Error: " at the start of its `<title>`, so that a screen reader announces the
//! failure before anything else and a browser tab shows it. One layer for every page, present
//! and future, rather than a flag each form must remember to set.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::i18n::Lang;

/// Pages are rendered whole in memory; anything larger is passed on untouched.
const MAX_PAGE: usize = 16 << 20;

/// Where `base.html` puts the page's language and title: within its first bytes.
const HEAD: usize = 1024;

/// Marks the title of a refused HTML page (see the module's doc).
pub async fn layer(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE).await else {
        // Unreadable or too long: the status alone still says what happened.
        return Response::from_parts(parts, Body::empty());
    };
    match marked(&bytes) {
        Some(page) => {
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(page.len() as u64));
            Response::from_parts(parts, Body::from(page))
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}

/// The page with its title prefixed in its own language (`<html lang="…">`), or `None` when it
/// has no title or already says so.
fn marked(page: &[u8]) -> Option<Vec<u8>> {
    let head = &page[..page.len().min(HEAD)];
    let title = find(head, b"<title>")? + b"<title>".len();
    let lang = find(head, b"<html lang=\"")
        .and_then(|at| {
            let rest = &head[at + b"<html lang=\"".len()..];
            let end = rest.iter().position(|b| *b == b'"')?;
            Lang::parse(std::str::from_utf8(&rest[..end]).ok()?)
        })
        .unwrap_or_default();
    let prefix = lang.strings().refused_title_prefix.as_bytes();
    if page[title..].starts_with(prefix) {
        return None;
    }
    let mut out = Vec::with_capacity(page.len() + prefix.len());
    out.extend_from_slice(&page[..title]);
    out.extend_from_slice(prefix);
    out.extend_from_slice(&page[title..]);
    Some(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::marked;

    #[test]
    fn the_title_says_error_first_in_the_pages_language() {
        let vi =
            "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<title>Ký giao ước · Thi Đua</title>";
        assert_eq!(
            String::from_utf8(marked(vi.as_bytes()).unwrap()).unwrap(),
            vi.replace("<title>", "<title>Lỗi: ")
        );
        let en = vi.replace("lang=\"vi\"", "lang=\"en\"");
        assert_eq!(
            String::from_utf8(marked(en.as_bytes()).unwrap()).unwrap(),
            en.replace("<title>", "<title>Error: ")
        );
    }

    #[test]
    fn a_page_without_a_title_or_already_marked_is_left_alone() {
        assert_eq!(marked(b"<p>no title</p>"), None);
        let once = marked(b"<html lang=\"vi\"><title>X</title>").unwrap();
        assert_eq!(marked(&once), None);
    }
}
