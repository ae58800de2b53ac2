//! A body over its limit (413) says the limit, taken from the constant that enforces it
//! (`thidua_web::auth::body_limit`): the API in its JSON error (`too_large`, `limit_bytes`, the
//! message in Vietnamese and in English) and in the OpenAPI document, a page's form on an error
//! page in the reader's language that says how to go on.

use thidua_web::auth::{MAX_BODY, MAX_UPLOAD};

use super::support::{element_text, signed_in, spawn, Backend, Client};

/// The limit as a Vietnamese and as an English sentence say it.
fn said(limit: usize) -> (String, String) {
    use thidua_web::i18n::Lang;
    let vi = thidua_web::format::byte_limit(limit, Lang::Vi);
    let en = thidua_web::format::byte_limit(limit, Lang::En);
    (vi, en)
}

/// A command over 1 MiB and an import over 32 MiB are answered with the JSON error naming
/// their own limit; an anonymous caller naming an import's address is held to 1 MiB, and told
/// so.
#[test]
fn an_api_body_over_the_limit_says_the_limit() {
    let app = spawn(Backend::Sqlite).unwrap();
    let officer = signed_in(&app, "canbo-kg");
    let import = "/api/v1/covenants/gu-12-2024/figures/import?file_name=x.csv";
    let anonymous = Client::new(&app.base);
    for (client, path, limit) in [
        (&officer, "/api/v1/commands", MAX_BODY),
        (&officer, import, MAX_UPLOAD),
        (&anonymous, import, MAX_BODY),
    ] {
        let r = client.post_raw(path, "application/json", &vec![b' '; limit + 1]);
        assert_eq!(r.status, 413, "{path}: {}", r.body);
        let error = r.json();
        assert_eq!(error["error"], "too_large", "{error}");
        assert_eq!(error["limit_bytes"], limit as u64, "{error}");
        let message = error["message"].as_str().unwrap();
        let (vi, en) = said(limit);
        assert!(
            message.contains(&format!("vượt quá giới hạn {vi}"))
                && message.contains(&format!("over the limit of {en}")),
            "{message}"
        );
    }
    assert_eq!(said(MAX_BODY).0, "1 MiB (1.048.576 byte)");
    let r = officer.post_raw("/api/v1/commands", "application/json", b"{}");
    assert_ne!(r.status, 413, "a small body is read: {}", r.body);
}

/// The OpenAPI document says each 413 with the limit of its body and names `limit_bytes`.
#[test]
fn the_openapi_document_says_the_limits() {
    let app = spawn(Backend::Sqlite).unwrap();
    let doc = Client::new(&app.base).get("/api/openapi.json").json();
    let described = |path: &str| {
        doc["paths"][path]["post"]["responses"]["413"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let command = described("/api/v1/commands");
    assert!(command.contains(&said(MAX_BODY).1), "{command}");
    let import = described("/api/v1/covenants/{id}/figures/import");
    assert!(import.contains(&said(MAX_UPLOAD).1), "{import}");
    let body = &doc["components"]["schemas"]["ErrorBody"]["properties"];
    assert!(body["limit_bytes"].is_object(), "{body}");
    // An upload's body is a binary string, not an array of integers.
    for path in [
        "/api/v1/covenants/{id}/figures/import",
        "/api/v1/covenants/{id}/figures/historical",
    ] {
        let schema = &doc["paths"][path]["post"]["requestBody"]["content"]
            ["application/octet-stream"]["schema"];
        let schema = match schema["$ref"].as_str() {
            Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap()],
            None => schema,
        };
        assert_eq!(
            (&schema["type"], &schema["format"]),
            (&serde_json::json!("string"), &serde_json::json!("binary")),
            "{path}: {schema}"
        );
    }
}

/// A form over 1 MiB, before sign-in or after, answers an error page that says the limit and
/// what to do, in Vietnamese, and in English for a reader who chose English.
#[test]
fn a_form_over_the_limit_is_told_on_a_page() {
    let app = spawn(Backend::Sqlite).unwrap();
    let mut big = b"note=".to_vec();
    big.resize(MAX_BODY + 1, b'a');
    let form = "application/x-www-form-urlencoded";
    let anonymous = Client::new(&app.base);
    let r = anonymous.post_raw("/login", form, &big);
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("<title>Lỗi"), "{}", r.body);
    let message = element_text(&r.body, "error-message", "p");
    let (vi, en) = said(MAX_BODY);
    assert!(
        message.contains(&format!("giới hạn {vi}")) && message.contains("chia tệp"),
        "{message}"
    );
    let leader = signed_in(&app, "lanhdao-kg");
    let home = leader.get("/");
    let r = leader.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let r = leader.post_raw("/covenants/gu-12-2024/withdraw", form, &big);
    assert_eq!(r.status, 413, "{}", r.body);
    let message = element_text(&r.body, "error-message", "p");
    assert!(
        message.contains(&format!("limit of {en}")) && message.contains("split the file"),
        "{message}"
    );
}
