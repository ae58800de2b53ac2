//! One validation for every entry point: each invalid value the forms refuse is sent through
//! `POST /api/v1/commands` as well, and both answer with the same error code and change nothing.

use serde_json::json;

use super::support::{signed_in, spawn, Backend, Client};

/// (form path, form fields, the command sent to the API, expected code)
type Case = (
    &'static str,
    Vec<(&'static str, String)>,
    serde_json::Value,
    &'static str,
);

fn cases() -> Vec<Case> {
    let long_name = "Công an tỉnh ".repeat(20);
    let unit_form = |name: &str, code: &str| {
        vec![
            ("id", "ca-moi".to_owned()),
            ("name", name.to_owned()),
            ("short_code", code.to_owned()),
            ("kind", "provincial_police".to_owned()),
            ("established", "01/01/2004".to_owned()),
        ]
    };
    let unit_cmd = |name: &str, code: &str| {
        json!({"command": "create_unit", "unit": "ca-moi", "name": name, "short_code": code,
               "kind": "provincial_police", "parent": null, "established": "2004-01-01"})
    };
    let mut out: Vec<Case> = Vec::new();
    for (name, code, expected) in [
        (long_name.as_str(), "CM", "text_too_long"),
        ("Công an\u{7}tỉnh", "CM", "invalid_text"),
        ("Công an tỉnh\u{200B} Mới", "CM", "invalid_text"),
        ("Công an tỉnh \u{202E}iớM", "CM", "invalid_text"),
        ("   ", "CM", "empty_text"),
        (
            "Công an tỉnh Mới",
            "MỘT-MÃ-RẤT-RẤT-DÀI-QUÁ",
            "text_too_long",
        ),
    ] {
        out.push((
            "/admin/units",
            unit_form(name, code),
            unit_cmd(name, code),
            expected,
        ));
    }
    out.push((
        "/admin/clusters",
        vec![
            ("id", "cum-99".to_owned()),
            ("name", "Cụm\u{FEFF}99".to_owned()),
        ],
        json!({"command": "create_cluster", "cluster": "cum-99", "name": "Cụm\u{FEFF}99"}),
        "invalid_text",
    ));
    // A withdrawal's reason (the fixture's draft has no signature yet).
    let long_reason = "lý do ".repeat(200);
    for (reason, expected) in [
        ("Soạn trùng\u{202E} giao ước", "invalid_text"),
        ("Soạn\u{0}trùng", "invalid_text"),
        (long_reason.as_str(), "text_too_long"),
        (" ", "empty_text"),
    ] {
        out.push((
            "/covenants/gu-12-2024/withdraw",
            vec![("reason", reason.to_owned())],
            json!({"command": "withdraw_covenant_draft", "covenant": "gu-12-2024", "reason": reason}),
            expected,
        ));
    }
    // A renaming's decision and new name.
    let rename_form = |name: &str, decision: &str| {
        vec![
            ("name", name.to_owned()),
            ("short_code", "KG".to_owned()),
            ("effective", "01/09/2025".to_owned()),
            ("decision", decision.to_owned()),
        ]
    };
    let rename_cmd = |name: &str, decision: &str| {
        json!({"command": "rename_unit", "unit": "ca-kg", "name": name, "short_code": "KG",
               "effective": "2025-09-01", "decision": decision})
    };
    for (name, decision, expected) in [
        (
            "Công an tỉnh Kiên Giang",
            "Quyết định\u{2066} 12/QĐ",
            "invalid_text",
        ),
        ("Công an\u{200D} tỉnh", "Quyết định 12/QĐ", "invalid_text"),
        (
            "Công an tỉnh Kiên Giang",
            &"Quyết định ".repeat(30),
            "text_too_long",
        ),
    ] {
        out.push((
            "/units/ca-kg/rename",
            rename_form(name, decision),
            rename_cmd(name, decision),
            expected,
        ));
    }
    // A new person's display name.
    for (display, expected) in [
        ("Nguyễn\u{202D} Văn A", "invalid_text"),
        (&"Nguyễn Văn ".repeat(30), "text_too_long"),
    ] {
        out.push((
            "/admin/users",
            vec![
                ("id", "nguoi-moi".to_owned()),
                ("display_name", display.to_owned()),
                ("password", "mat-khau-rat-dai-2024".to_owned()),
            ],
            json!({"command": "register_user", "user": "nguoi-moi", "display_name": display, "demo": false}),
            expected,
        ));
    }
    out
}

/// Sends one case through the form and through the API; what went wrong, if anything.
fn check(admin: &Client, (path, fields, command, expected): &Case) -> Result<(), String> {
    let csrf = admin.get("/admin").csrf();
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    let page = admin.post_form(path, &form);
    if page.status != 422 {
        return Err(format!("form answered {}: {}", page.status, page.body));
    }
    let message = thidua_web::i18n::Lang::Vi.error(expected);
    if !page.body.contains(message) {
        return Err(format!("the form does not say {message:?}"));
    }
    let api = admin.post_json("/api/v1/commands", command.clone());
    if api.status != 422 || api.json()["error"] != *expected {
        return Err(format!("API answered {}: {}", api.status, api.body));
    }
    Ok(())
}

/// Every case is tried, and a failure lists each case that went wrong by its form, fields and
/// expected code (one server for all of them: they change nothing).
fn the_api_refuses_what_the_forms_refuse(backend: Backend) {
    let Some(app) = spawn(backend) else { return };
    let admin = signed_in(&app, "quantri");
    let before = admin.get("/api/v1/events?limit=1").json()["items"][0]["index"].clone();
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let (path, fields, _, expected) = case;
            check(&admin, case)
                .err()
                .map(|why| format!("{path} {fields:?} (expected {expected}): {why}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    let after = admin.get("/api/v1/events?limit=1").json()["items"][0]["index"].clone();
    assert_eq!(before, after, "nothing was appended");
}

#[test]
fn the_api_refuses_what_the_forms_refuse_sqlite() {
    the_api_refuses_what_the_forms_refuse(Backend::Sqlite);
}

#[test]
fn the_api_refuses_what_the_forms_refuse_postgres() {
    the_api_refuses_what_the_forms_refuse(Backend::Postgres);
}
