//! One validation for every entry point: each invalid value the forms refuse is sent through
//! `POST /api/v1/commands` (or the figures API) as well, and both answer with the same error code
//! and change nothing.

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
        // A name is one line: a line break would make a line of its own in a document's
        // heading (a form's textarea-like post or an API client can send one).
        ("Công an tỉnh Mới\nĐÃ PHÊ DUYỆT", "CM", "invalid_text"),
        ("Công an tỉnh Mới", "CM\r\nX", "invalid_text"),
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
    out.push((
        "/admin/clusters",
        vec![
            ("id", "cum-99".to_owned()),
            ("name", "Cụm thi đua số 99\nBỘ CÔNG AN".to_owned()),
        ],
        json!({"command": "create_cluster", "cluster": "cum-99", "name": "Cụm thi đua số 99\nBỘ CÔNG AN"}),
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
            "Công an tỉnh\nKiên Giang",
            "Quyết định 12/QĐ",
            "invalid_text",
        ),
        // A decision's reference is printed inside a line of the unit's history.
        (
            "Công an tỉnh Kiên Giang",
            "Quyết định 12/QĐ\nBỘ CÔNG AN",
            "invalid_text",
        ),
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
        ("Nguyễn Văn A\nQuản trị hệ thống", "invalid_text"),
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
    // A text too long is told with its limit ("Quá dài (tối đa 200 ký tự).").
    let message = match *expected {
        "text_too_long" => "Quá dài (tối đa ",
        code => thidua_web::i18n::Lang::Vi.error(code),
    };
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

/// The covenant form's fields: the covenant's own, one target row (`baseline` varies) and the
/// regulation; `blank` leaves the title, the place, the date, the row and the regulation empty.
fn covenant_form<'a>(csrf: &'a str, baseline: &'a str, blank: bool) -> Vec<(&'a str, &'a str)> {
    let pick = |v: &'a str| if blank { "" } else { v };
    vec![
        ("csrf", csrf),
        ("covenant", "gu-12-2024-b"),
        ("movement", "chuyen-de-2024"),
        ("title", pick("Giao ước bổ sung năm 2024")),
        ("place", pick("Cà Mau")),
        ("date", pick("20/04/2024")),
        ("rows", "1"),
        ("t0_area", pick("Phòng, chống tội phạm")),
        ("t0_shape", "reduce_at_least"),
        ("t0_subject", pick("Kéo giảm tội phạm về trật tự xã hội")),
        ("t0_threshold", pick("5")),
        ("t0_baseline", pick(baseline)),
        ("regulation", pick(super::support::REGULATION)),
        ("op", "save"),
    ]
}

/// The error summary of a page (empty when there is none).
fn summary(body: &str) -> &str {
    let Some(start) = body.find("id=\"error-summary\"") else {
        return "";
    };
    let end = body[start..]
        .find("</div>")
        .map_or(body.len(), |e| start + e);
    &body[start..end]
}

/// The covenant form's error summary names the field of each message, in Vietnamese and in
/// English, each item still a link to its field; "a covenant needs 1 to 100 targets" is said of
/// a form with no target filled in, never of a filled-in row that has a problem of its own.
#[test]
fn the_covenant_form_summary_names_each_field() {
    let Some(app) = spawn(Backend::Sqlite) else {
        return;
    };
    let sec = signed_in(&app, "thuky12");
    let new = "/clusters/cum-12/covenants/new";
    let csrf = sec.get(&format!("{new}?year=2024")).csrf();
    let r = sec.post_form(new, &covenant_form(&csrf, "", true));
    assert_eq!(r.status, 422);
    let items = summary(&r.body);
    for (id, item) in [
        ("title", "Tiêu đề: Không được để trống."),
        ("place", "Địa điểm ký: Không được để trống."),
        ("date", "Ngày ký: Ngày không đọc được: viết một ngày có thật dạng dd/mm/yyyy, ví dụ 28/02/2026."),
        ("targets", "Chỉ tiêu: Giao ước cần từ 1 đến 100 chỉ tiêu."),
        ("regulation", "Văn bản quy định: Không được để trống."),
    ] {
        let link = format!("<a href=\"#{id}\">{item}</a>");
        assert!(items.contains(&link), "{link} in {items}");
    }
    let csrf_en = {
        let csrf = sec.get("/account").csrf();
        sec.post_form("/lang", &[("csrf", &csrf), ("to", "en")]);
        sec.get(&format!("{new}?year=2024")).csrf()
    };
    let r = sec.post_form(new, &covenant_form(&csrf_en, "", true));
    assert_eq!(r.status, 422);
    let items = summary(&r.body);
    for (id, item) in [
        ("title", "Title: Must not be empty."),
        ("place", "Place of signing: Must not be empty."),
        (
            "date",
            "Signing date: Not a date: write a real day as dd/mm/yyyy, for example 28/02/2026.",
        ),
        (
            "targets",
            "Targets: A covenant needs between 1 and 100 targets.",
        ),
        ("regulation", "Regulation text: Must not be empty."),
    ] {
        let link = format!("<a href=\"#{id}\">{item}</a>");
        assert!(items.contains(&link), "{link} in {items}");
    }
    let csrf = {
        let csrf = sec.get("/account").csrf();
        sec.post_form("/lang", &[("csrf", &csrf), ("to", "vi")]);
        sec.get(&format!("{new}?year=2024")).csrf()
    };
    // Target 1 filled in, its baseline year unreadable or out of range: told beside the year
    // only.
    for baseline in ["năm 2023", "99999999999", "99999"] {
        let r = sec.post_form(new, &covenant_form(&csrf, baseline, false));
        assert_eq!(r.status, 422, "{baseline}");
        assert!(r.body.contains("id=\"t0-baseline-error\""), "{baseline}");
        let items = summary(&r.body);
        assert!(
            items.contains("<a href=\"#t0-baseline\">Chỉ tiêu 1, Năm gốc: "),
            "{baseline}: {items}"
        );
        assert!(
            !r.body
                .contains(thidua_web::i18n::Lang::Vi.error("target_count")),
            "{baseline}: {items}"
        );
        assert!(!r.body.contains("id=\"targets-error\""), "{baseline}");
    }
}

/// A refused new user keeps the typed display name and user name; only the password is cleared.
#[test]
fn a_refused_new_user_keeps_what_was_typed() {
    let Some(app) = spawn(Backend::Sqlite) else {
        return;
    };
    let admin = signed_in(&app, "quantri");
    let csrf = admin.get("/admin/people").csrf();
    let r = admin.post_form(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("display_name", "Lãnh Đạo Cần Thơ"),
            ("id", "Lanh Dao CT!"),
            ("password", "abc"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"nu-id-error\""), "{}", r.body);
    assert!(r.body.contains("id=\"nu-pw-error\""), "{}", r.body);
    assert!(
        r.body
            .contains("id=\"nu-name\" name=\"display_name\" value=\"Lãnh Đạo Cần Thơ\""),
        "the name is kept"
    );
    assert!(
        r.body
            .contains("id=\"nu-id\" name=\"id\" value=\"Lanh Dao CT!\""),
        "the user name is kept"
    );
    assert!(
        r.body
            .contains("<input id=\"nu-pw\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required"),
        "the password is cleared"
    );
    assert!(!r.body.contains("value=\"abc\""), "the password is cleared");
    assert!(
        app.service
            .read()
            .users
            .keys()
            .all(|u| u.as_str() != "lanh-dao-ct"),
        "nobody was registered"
    );
}

/// A field the API does not know is refused at any depth of a command, never dropped on the
/// way into the log: in a role, a lineage change, a reporting window, a covenant's content, its
/// targets and its regulation.
#[test]
fn unknown_fields_inside_a_command_are_refused() {
    let Some(app) = spawn(Backend::Sqlite) else {
        return;
    };
    let admin = signed_in(&app, "quantri");
    let before = admin.get("/api/v1/events?limit=1").json()["items"][0]["index"].clone();
    let target = json!({"id": "t1", "area": "Phòng, chống tội phạm", "kind": "change",
        "subject": "Tội phạm về trật tự xã hội", "comparison": "at_least", "threshold": "5",
        "range": null, "baseline_year": 2023, "unit_of_measure": "%", "indicator": null});
    let regulation = json!({"text": "", "sha256": "00"});
    let content = json!({"title": "Giao ước", "place": "Kiên Giang",
        "signing_date": "2024-03-26", "targets": [target], "regulation": regulation});
    let with_extra = |mut v: serde_json::Value| {
        v["thêm"] = json!(1);
        v
    };
    let draft = |content: serde_json::Value| {
        json!({"command": "draft_covenant", "covenant": "gu-moi", "cluster": "cum-12",
               "movement": "pt-2024", "content": content})
    };
    let mut bad_target = content.clone();
    bad_target["targets"][0] = with_extra(target.clone());
    let mut bad_regulation = content.clone();
    bad_regulation["regulation"] = with_extra(regulation.clone());
    let bodies = [
        json!({"command": "grant_role", "user": "canbo-kg",
               "role": {"role": "leader", "unit": "ca-kg", "thêm": 1}}),
        json!({"command": "record_lineage", "change": with_extra(json!({"kind": "merge",
               "predecessors": ["ca-kg"], "successors": ["ca-ag"], "effective": "2025-07-01",
               "decision": "1/QĐ"}))}),
        json!({"command": "create_movement", "movement": "pt-moi", "name": "Phong trào",
               "year": 2026, "calendar": [with_extra(json!({"key": "M01", "name": "Tháng 1",
               "start": "2025-12-15", "end": "2026-01-14"}))]}),
        draft(with_extra(content.clone())),
        draft(bad_target),
        draft(bad_regulation),
    ];
    for body in bodies {
        let r = admin.post_json("/api/v1/commands", body.clone());
        assert!(
            r.status == 422 && r.json()["error"] == "invalid_body" && r.body.contains("thêm"),
            "{body}: {} {}",
            r.status,
            r.body
        );
    }
    let after = admin.get("/api/v1/events?limit=1").json()["items"][0]["index"].clone();
    assert_eq!(before, after, "nothing was appended");
}

/// A unit's figures take text too — a value's comment, a reopening's reason — and the figures
/// API refuses what the figures forms refuse, with the same code, and saves nothing.
#[test]
fn the_figures_api_refuses_what_the_figures_forms_refuse() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let officer = signed_in(&app, "canbo-kg");
    let leader = signed_in(&app, "lanhdao-kg");
    let m01 = "/covenants/gu-12-2024/figures/ca-kg/M01";
    let r = leader.post_json(&format!("/api/v1{m01}/approve"), json!({"revision": 1}));
    assert_eq!(r.status, 200, "{}", r.body);
    let before = officer.get("/api/v1/events?limit=1").json()["items"][0]["index"].clone();
    let long = "Ghi chú ".repeat(200);
    for comment in [long.as_str(), "Ghi\u{202E} chú"] {
        let path = "/covenants/gu-12-2024/figures/ca-kg/M04";
        let csrf = officer.get(path).csrf();
        let form = [
            ("csrf", csrf.as_str()),
            ("v_crimes", "12"),
            ("c_crimes", comment),
            ("action", "save"),
        ];
        let page = officer.post_form(path, &form);
        assert_eq!(page.status, 422, "form, comment {comment:?}: {}", page.body);
        let api = officer.put_json(
            &format!("/api/v1{path}"),
            json!({"values": {"crimes": "12"}, "comments": {"crimes": comment}}),
        );
        assert_eq!(api.status, 422, "API, comment {comment:?}: {}", api.body);
        let code = api.json()["error"].as_str().unwrap().to_owned();
        let said = match code.as_str() {
            "text_too_long" => "Quá dài (tối đa 1.000 ký tự).",
            other => thidua_web::i18n::Lang::Vi.error(other),
        };
        assert!(
            page.body.contains(said),
            "the form says {said:?}: {}",
            page.body
        );
    }
    // A reopening's reason, on the month the leader approved.
    let path = m01;
    let csrf = leader.get(path).csrf();
    let reason = "lý do ".repeat(200);
    let page = leader.post_form(
        &format!("{path}/step"),
        &[("csrf", &csrf), ("action", "reopen"), ("reason", &reason)],
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains("Quá dài (tối đa 1.000 ký tự)."),
        "{}",
        page.body
    );
    let api = leader.post_json(&format!("/api/v1{path}/reopen"), json!({"reason": reason}));
    assert_eq!(
        (api.status, api.json()["error"].clone()),
        (422, json!("text_too_long"))
    );
    let after = officer.get("/api/v1/events?limit=1").json()["items"][0]["index"].clone();
    assert_eq!(before, after, "nothing was appended");
}

/// A covenant's content with several mistakes is refused with all of them, each with its
/// field, as the editor shows them beside their fields; the refusal is the first of them, and
/// nothing is recorded.
#[test]
fn a_refused_covenant_content_lists_every_problem() {
    let Some(app) = spawn(Backend::Sqlite) else {
        return;
    };
    let sec = signed_in(&app, "thuky12");
    let before = sec.get("/api/v1/events?limit=1").json()["items"][0]["index"].clone();
    let change = json!({"id": "t1", "area": "Phòng, chống tội phạm", "kind": "change",
        "subject": "Tội phạm về trật tự xã hội", "comparison": "at_least", "threshold": "5",
        "range": null, "baseline_year": 99999, "unit_of_measure": "%", "indicator": null});
    let rate = json!({"id": "t2", "area": "Phòng, chống tội phạm", "kind": "rate",
        "subject": "Tỷ lệ điều tra khám phá", "comparison": "at_least", "threshold": "150",
        "range": null, "baseline_year": null, "unit_of_measure": "%", "indicator": null});
    let content = json!({"title": " ", "place": "Kiên Giang", "signing_date": "0001-01-01",
        "targets": [change, rate], "regulation": {"text": "", "sha256": "00"}});
    let r = sec.post_json(
        "/api/v1/commands",
        json!({"command": "amend_covenant_draft", "covenant": "gu-12-2024", "content": content}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let body = r.json();
    let problems = body["problems"].as_array().expect(&r.body);
    let fields: Vec<&str> = problems
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    for field in [
        "title",
        "signing_date",
        "regulation",
        "targets[0].baseline_year",
        "targets[1].threshold",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    assert_eq!(
        body["error"], problems[0]["error"],
        "the refusal is the first"
    );
    assert!(problems.iter().all(|p| p["message"].as_str().is_some()));
    // A refusal that is not the content's lists nothing.
    let officer = signed_in(&app, "canbo-kg");
    let r = officer.post_json(
        "/api/v1/commands",
        json!({"command": "amend_covenant_draft", "covenant": "gu-12-2024",
               "content": {"title": " ", "place": "Kiên Giang", "signing_date": "2024-03-26",
               "targets": [], "regulation": {"text": "", "sha256": "00"}}}),
    );
    assert!(r.status == 403 || r.status == 404, "{}", r.body);
    assert!(r.json().get("problems").is_none(), "{}", r.body);
    let after = sec.get("/api/v1/events?limit=1").json()["items"][0]["index"].clone();
    assert_eq!(before, after, "nothing was appended");
}
