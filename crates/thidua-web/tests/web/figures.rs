//! Figures over HTTP on both backends: a template downloaded, an import with a bad row refused
//! with its row and column and nothing stored, the real import, drafts invisible to another
//! unit, an officer unable to approve, the leader's approval, a correction with its reason and
//! old and new values, the history filtered by the read rules, the export, and the grid page.

use serde_json::json;

use super::support::{signed_in, spawn, spawn_at, Backend, TestApp};

const COV: &str = "gu-12-2024";

fn csv(rows: &[(&str, &str)]) -> String {
    let mut out = String::from("unit,element,period,value\n");
    for (element, value) in rows {
        out.push_str(&format!("CAKG,{element},2024-M03,{value}\n"));
    }
    out
}

fn full_rows(app: &TestApp, n: i64) -> Vec<(String, String)> {
    super::support::full_figures(&app.service, COV, n)
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

/// How many elements the covenant's reporting form has.
fn element_count(app: &TestApp) -> usize {
    let id = thidua_domain::CovenantId::parse(COV).unwrap();
    app.service
        .read()
        .reporting_form(&id)
        .unwrap()
        .elements
        .len()
}

/// A column to paste as Excel copies it (each cell's line ended by CR LF): a line per element
/// of the form, `value` on line `at` (from 1), the others blank (they keep their cells).
fn pasted_column(app: &TestApp, at: usize, value: &str) -> String {
    (1..=element_count(app))
        .map(|i| format!("{}\r\n", if i == at { value } else { "" }))
        .collect()
}

fn flow(app: &TestApp) {
    super::support::load_figures(&app.service);
    let officer = signed_in(app, "canbo-kg");
    let leader = signed_in(app, "lanhdao-kg");
    let other = signed_in(app, "lanhdao-ag");
    let supervisor = signed_in(app, "giamsat12");
    // The template, as XLSX.
    let t = officer.get(&format!(
        "/api/v1/covenants/{COV}/figures/template?unit=ca-kg&window=M03"
    ));
    assert_eq!(t.status, 200, "{}", t.body);
    assert!(t.header("content-type").unwrap().contains("spreadsheetml"));
    // One bad row: nothing is imported, the error names the row and the column.
    let rows = full_rows(app, 4);
    let mut bad: Vec<(&str, &str)> = rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    bad[2].1 = "mười";
    let r = officer.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/import?file_name=m03.csv&submit=true"),
        csv(&bad).as_bytes(),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let e = &r.json()["errors"][0];
    assert_eq!(
        (e["row"].as_u64(), e["column"].as_str()),
        (Some(4), Some("D (value)")),
        "{}",
        r.body
    );
    assert!(e["message_vi"].as_str().unwrap().contains("mười"));
    // A file whose figures break a rule of the signed regulation (more reports resolved than
    // received): refused when submitted, the report named, in both languages.
    let mut broken = rows.clone();
    for (element, value) in broken.iter_mut() {
        if element == "reports_resolved" {
            *value = "100000".into();
        }
    }
    let broken: Vec<(&str, &str)> = broken
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = officer.post_bytes(
        &format!(
            "/api/v1/covenants/{COV}/figures/import?file_name=m03.csv&submit=true&dry_run=true"
        ),
        csv(&broken).as_bytes(),
    );
    assert_eq!(r.json()["error"], "rule_violated", "{}", r.body);
    let e = &r.json()["errors"][0];
    assert!(
        e["message_vi"]
            .as_str()
            .is_some_and(|m| m.starts_with("Báo cáo của Công an tỉnh Kiên Giang, Tháng 3: "))
            && e["message_en"]
                .as_str()
                .is_some_and(|m| m.starts_with("The report of Công an tỉnh Kiên Giang, Month 3: ")),
        "{}",
        r.body
    );
    let status = |c: &super::support::Client| {
        c.get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
            .json()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status(&officer), "none", "nothing stored");
    // A dry run changes nothing; the real import saves and submits.
    let good: Vec<(&str, &str)> = rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = officer.post_bytes(
        &format!(
            "/api/v1/covenants/{COV}/figures/import?file_name=m03.csv&submit=true&dry_run=true"
        ),
        csv(&good).as_bytes(),
    );
    assert_eq!(
        (r.status, r.json()["dry_run"].as_bool()),
        (200, Some(true)),
        "{}",
        r.body
    );
    assert_eq!(status(&officer), "none");
    let r = officer.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/import?file_name=m03.csv&submit=true"),
        csv(&good).as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status(&officer), "submitted");
    // The same file again, dry run or not: the domain refuses (a submitted report takes no
    // save), told as a file's error is, in both languages, naming the report.
    for dry in ["true", "false"] {
        let r = officer.post_bytes(
            &format!(
                "/api/v1/covenants/{COV}/figures/import?file_name=m03.csv&submit=true&dry_run={dry}"
            ),
            csv(&good).as_bytes(),
        );
        assert!(r.status >= 400, "{}", r.body);
        let e = &r.json()["errors"][0];
        let said = |key: &str| e[key].as_str().unwrap_or_default().to_owned();
        assert!(
            said("message_vi").contains("Công an tỉnh Kiên Giang")
                && said("message_vi").contains("Tháng 3")
                && said("message_en").contains("Công an tỉnh Kiên Giang")
                && said("message_en").contains("cannot"),
            "{}",
            r.body
        );
    }
    assert_eq!(status(&officer), "submitted");
    // The leader's to-do names what the report waits for: its button says to review and
    // approve (a bare "Xem" left the leader guessing what was asked).
    assert_eq!(
        super::support::todo_button(
            &leader.get("/").body,
            &format!("/covenants/{COV}/figures/ca-kg/M03")
        ),
        "Xem và phê duyệt"
    );
    // Submitted, the report takes no file, and its page says why instead of a bare section.
    let page = officer
        .get(&format!("/covenants/{COV}/figures/ca-kg/M03"))
        .body;
    assert!(!page.contains("id=\"import-file\""));
    assert!(page.contains("id=\"import-closed\""), "{page}");
    // Another unit sees no unapproved figure; a supervisor cannot write; an officer cannot approve.
    let seen = other
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
        .json();
    assert_eq!(seen["status"], "not_published");
    assert_eq!(seen["revision"], 0, "nor how many times it was saved");
    let page = other
        .get(&format!("/covenants/{COV}/figures/ca-kg/M03"))
        .body;
    assert!(page.contains("id=\"drafts-hidden\""), "{page}");
    let saves_seen_by_other = || {
        other
            .get("/api/v1/events?kind=figures_saved&unit=ca-kg")
            .json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["data"]["revision"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert!(
        saves_seen_by_other().is_empty(),
        "an unapproved save is the unit's own"
    );
    assert!(seen["elements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["value"].is_null()));
    let r = supervisor.put_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M04"),
        json!({"values": {"crimes": "1"}}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // A comment typed in VNI, or UTF-8 read as Windows-1252, is refused, never stored garbled
    // (the unit's own template would then refuse it on import).
    let size = app.service.read().size;
    for garbled in ["Soá lieäu ñaõ kieåm tra", "Sá»‘ liá»‡u Ä‘Ã£ kiá»ƒm tra"] {
        let r = officer.put_json(
            &format!("/api/v1/covenants/{COV}/figures/ca-kg/M04"),
            json!({"values": {"crimes": "1"}, "comments": {"crimes": garbled}}),
        );
        assert_eq!(r.status, 400, "{garbled}: {}", r.body);
        assert_eq!(r.json()["error"], "legacy_encoding", "{}", r.body);
    }
    assert_eq!(app.service.read().size, size, "nothing stored");
    // A Vietnamese decimal comma in the JSON body: told how a JSON value is written (it was
    // told to add a data file's `# number_format` line, or to use `thidua score`).
    let r = officer.put_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M04"),
        json!({"values": {"crimes": "95,5"}}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let said = r.json()["message"].as_str().unwrap_or_default().to_owned();
    assert!(
        said.contains("a JSON value is a decimal with a point") && !said.contains("number_format"),
        "{}",
        r.body
    );
    assert_eq!(app.service.read().size, size, "nothing stored");
    // A figure given twice is refused with where, not the last one kept.
    let r = officer.put_raw_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M04"),
        r#"{"values": {"crimes": "1", "crimes": "2"}}"#,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("`values.crimes` is given twice"));
    assert_eq!(app.service.read().size, size, "nothing stored");
    let r = officer.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M03/approve"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = leader.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M03/approve"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let seen = other
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
        .json();
    assert_eq!(seen["status"], "approved");
    let crimes = |j: &serde_json::Value| {
        j["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == "crimes")
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(crimes(&seen), json!("4"), "published to the cluster");
    // Approved, nothing of it is hidden: the page does not say drafts are.
    let page = other
        .get(&format!("/covenants/{COV}/figures/ca-kg/M03"))
        .body;
    assert!(!page.contains("id=\"drafts-hidden\""), "{page}");
    // A correction: reopened with a reason, saved, submitted, approved; old and new values shown.
    let r = leader.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M03/reopen"),
        json!({"reason": "Bổ sung 2 vụ bị bỏ sót"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // While the correction is in progress, the report says so with the leader's reason.
    let reopened = other
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
        .json();
    assert_eq!(reopened["status"], "reopened");
    assert_eq!(reopened["reopen_reason"], "Bổ sung 2 vụ bị bỏ sót");
    let page = officer.get(&format!("/covenants/{COV}/figures/ca-kg/M03"));
    assert!(
        page.body.contains("id=\"reopened\"") && page.body.contains("Bổ sung 2 vụ bị bỏ sót"),
        "{}",
        page.body
    );
    let home = officer.get("/").body;
    assert!(
        home.contains("Lãnh đạo đơn vị đã mở lại số liệu Tháng 3 của")
            && home.contains("href=\"/covenants/gu-12-2024/figures/ca-kg/M03\""),
        "the officer's to-do asks for the correction: {home}"
    );
    assert_eq!(
        super::support::todo_button(&home, &format!("/covenants/{COV}/figures/ca-kg/M03")),
        "Sửa số liệu"
    );
    let mut values: serde_json::Map<String, serde_json::Value> =
        rows.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    values.insert("crimes".into(), json!("6"));
    let r = officer.put_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"),
        json!({"values": values, "submit": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        crimes(
            &other
                .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
                .json()
        ),
        json!("4"),
        "the old approval stays published meanwhile"
    );
    let page = officer.get(&format!("/covenants/{COV}/figures/ca-kg/M03"));
    assert!(
        page.body
            .contains("Bản điều chỉnh đã được gửi, chờ lãnh đạo phê duyệt"),
        "the reopening's notice says the correction is submitted: {}",
        page.body
    );
    let r = leader.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M03/approve"),
        json!({"revision": 2}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let seen = other
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
        .json();
    let correction = &seen["approvals"][1];
    assert_eq!(correction["reason"], "Bổ sung 2 vụ bị bỏ sót");
    // Each approval names who gave it, in the API and on the report's page.
    assert_eq!(correction["by"], "Lãnh Đạo Kiên Giang");
    assert_eq!(seen["approvals"][0]["by"], "Lãnh Đạo Kiên Giang");
    let page = other.get(&format!("/covenants/{COV}/figures/ca-kg/M03"));
    assert!(
        super::support::element_text(&page.body, "approval-2", "div")
            .contains("Lãnh Đạo Kiên Giang"),
        "{}",
        page.body
    );
    // The history tells what each save held, by the elements' names.
    let history = officer.get("/history").body;
    assert!(
        history.contains("Số liệu đã lưu") && history.contains("Tội phạm về trật tự xã hội"),
        "{history}"
    );
    assert_eq!(
        correction["changes"][0],
        json!({"element": "crimes", "name": correction["changes"][0]["name"], "before": "4", "after": "6"})
    );
    // The history: another unit sees the approved revisions' saves (newest first), so that it
    // replays what was published; the unit sees its own.
    let mine = officer
        .get("/api/v1/events?kind=figures_saved&unit=ca-kg")
        .json();
    assert!(!mine["items"].as_array().unwrap().is_empty());
    assert_eq!(saves_seen_by_other(), vec![2, 1]);
    assert!(!other
        .get("/api/v1/events?kind=figures_approved&unit=ca-kg")
        .json()["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // The export holds the approved figures only.
    let r = supervisor.get(&format!(
        "/api/v1/covenants/{COV}/figures/export?window=M03"
    ));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("CAKG,crimes,2024-M03,6\n"), "{}", r.body);
    assert!(
        !r.body.contains("2024-M02"),
        "drafts are not exported: {}",
        r.body
    );
    // Integrity flags: the late submission (the test runs after 2024) and the correction of
    // Kiên Giang's March are its data-quality flag of the year, shown to the
    // unit and the supervisor, not to another member; the CSV holds exactly that line.
    let flags = |c: &super::support::Client| {
        let r = c.get(&format!("/api/v1/covenants/{COV}/flags"));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["flags"].as_array().unwrap().clone()
    };
    for c in [&leader, &supervisor] {
        let f = flags(c);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (&f[0]["unit"]["id"], &f[0]["period"], &f[0]["kind"]),
            (&json!("ca-kg"), &json!("2024-Y"), &json!("data_quality"))
        );
        assert_eq!(
            f[0]["reason_vi"],
            "Trong năm 2024: 1/1 kỳ nộp muộn, 1/1 kỳ sửa sau phê duyệt"
        );
        assert_eq!(
            f[0]["reason_en"],
            "In 2024: 1 of 1 windows submitted late, 1 of 1 corrected after approval"
        );
    }
    assert!(
        flags(&other).is_empty(),
        "another unit does not see Kiên Giang's flags"
    );
    assert_eq!(
        other
            .get(&format!("/api/v1/covenants/{COV}/flags?unit=ca-kg"))
            .status,
        404
    );
    let r = supervisor.get(&format!("/api/v1/covenants/{COV}/flags/export"));
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(
        r.body,
        "unit,period,kind,reason,explanation\nca-kg,2024-Y,data_quality,\"Trong năm 2024: 1/1 kỳ nộp muộn, 1/1 kỳ sửa sau phê duyệt\",\n"
    );
    let r = other.get(&format!("/api/v1/covenants/{COV}/flags/export"));
    assert_eq!(r.body, "unit,period,kind,reason,explanation\n");
    let page = leader.get(&format!("/covenants/{COV}/flags"));
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("class=\"flag-data_quality\" data-unit=\"ca-kg\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"never-score\""));
    // "Số liệu tính đến ngày": the flags count the figures the progress pages count.
    let progress = leader
        .get(&format!("/api/v1/covenants/{COV}/progress"))
        .json();
    let kg = progress["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["id"] == "ca-kg")
        .unwrap()
        .clone();
    let as_of = leader.get(&format!("/api/v1/covenants/{COV}/flags")).json()["as_of"].clone();
    assert_eq!(as_of, kg["as_of"], "{kg}");
    let shown = match as_of.as_str() {
        Some(iso) => format!(
            "Số liệu tính đến ngày <strong>{}/{}/{}</strong>",
            &iso[8..10],
            &iso[5..7],
            &iso[..4]
        ),
        None => "Chưa có số liệu được phê duyệt liên tục".to_owned(),
    };
    assert!(page.body.contains(&shown), "{shown}: {}", page.body);
    let page = other.get(&format!("/covenants/{COV}/flags"));
    assert!(page.body.contains("id=\"no-flags\""), "{}", page.body);
    the_leader_explains_a_flag(&leader, &officer, &supervisor, &other);
    // Every unit's reporting quality, in the order of the units' names.
    let r = supervisor
        .get(&format!("/api/v1/covenants/{COV}/flags"))
        .json();
    let order: Vec<&str> = r["quality"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["unit"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["ca-ag", "ca-bl", "ca-cm", "ca-hg", "ca-kg"]);
    // A unit typed by hand on the page: its short code or a part of its name, in any case.
    for typed in ["cakg", "ki%C3%AAn%20giang"] {
        let page = supervisor.get(&format!("/covenants/{COV}/flags?unit={typed}"));
        assert_eq!(page.status, 200, "{typed}: {}", page.body);
        assert!(
            page.body.contains("data-unit=\"ca-kg\"") && !page.body.contains("data-unit=\"ca-ag\""),
            "{typed}: {}",
            page.body
        );
    }
    // "Giang" names three units: nothing is guessed.
    assert_eq!(
        supervisor
            .get(&format!("/covenants/{COV}/flags?unit=Giang"))
            .status,
        404
    );
    // Filtered by kind, on the page and in the API and the CSV; an unknown kind is refused.
    let only = |kind: &str| {
        let r = supervisor.get(&format!("/api/v1/covenants/{COV}/flags?kind={kind}"));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["flags"].as_array().unwrap().len()
    };
    assert_eq!((only("data_quality"), only("funnel_drop")), (1, 0));
    let r = supervisor.get(&format!("/api/v1/covenants/{COV}/flags?kind=everything"));
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (400, Some("unknown_flag_kind"))
    );
    let r = supervisor.get(&format!(
        "/api/v1/covenants/{COV}/flags/export?kind=series_break"
    ));
    assert_eq!(r.body, "unit,period,kind,reason,explanation\n");
    let page = supervisor.get(&format!("/covenants/{COV}/flags?kind=funnel_drop"));
    assert!(page.body.contains("id=\"no-flags\""), "{}", page.body);
    assert!(page
        .body
        .contains("<option value=\"funnel_drop\" selected>"));
    assert!(
        page.body
            .contains("href=\"/api/v1/covenants/gu-12-2024/flags/export?kind=funnel_drop\""),
        "the export keeps the filter"
    );
    // The grid page: a bad figure comes back beside its field, in Vietnamese.
    let page = officer.get(&format!("/covenants/{COV}/figures/ca-kg/M04"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"v-crimes\""));
    let r = officer.post_form(
        &format!("/covenants/{COV}/figures/ca-kg/M04"),
        &[
            ("csrf", &page.csrf()),
            ("v_crimes", "1.23"),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("id=\"grid-errors\"") && r.body.contains("Chưa lưu: 1 ô có lỗi"),
        "a summary above the grid: {}",
        r.body
    );
    assert!(
        r.body.contains("id=\"v-crimes-error\"")
            && r.body.contains("«1.23» không đúng cách viết số")
            && r.body.contains("ví dụ 1.234,5"),
        "{}",
        r.body
    );
    // A count is a whole number, said beside the field; nothing is saved.
    let r = officer.post_form(
        &format!("/covenants/{COV}/figures/ca-kg/M04"),
        &[
            ("csrf", &page.csrf()),
            ("v_crimes", "12,5"),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("id=\"v-crimes-error\"")
            && r.body
                .contains("Tội phạm về trật tự xã hội: số liệu đếm số lượng: phải là số nguyên"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<span lang=\"vi\">Tội phạm về trật tự xã hội</span>: số liệu đếm số lượng"),
        "the summary names the element once: {}",
        r.body
    );
    // A pasted column refused for another cell's mistake: its figures stay in the grid, the
    // box is emptied, so that the corrected grid is what the next save sends. The column has
    // a line per element, blank ones keeping their cells.
    let column = pasted_column(app, 3, "17");
    let r = officer.post_form(
        &format!("/covenants/{COV}/figures/ca-kg/M04"),
        &[
            ("csrf", &page.csrf()),
            ("v_crimes", "12,5"),
            ("paste", &column),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let pasted = r.body.contains("value=\"17\"");
    let emptied = r
        .body
        .contains("aria-describedby=\"paste-help\"></textarea>");
    assert!(pasted && emptied, "{}", r.body);
    let r = officer.post_form(
        &format!("/covenants/{COV}/figures/ca-kg/M04"),
        &[
            ("csrf", &page.csrf()),
            ("v_crimes", "1.234"),
            ("paste", &column),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").unwrap().to_owned();
    assert_eq!(
        location,
        format!("/covenants/{COV}/figures/ca-kg/M04?done=saved#grid-card"),
        "a saved draft comes back at the grid"
    );
    let done = officer.get(&location);
    assert!(
        done.body.contains("id=\"done\"") && done.body.contains("Đã lưu số liệu"),
        "the page says what was done: {}",
        done.body
    );
    let saved = officer
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M04"))
        .json();
    assert_eq!(
        crimes(&saved),
        json!("1234"),
        "«1.234» is a thousand two hundred and thirty-four"
    );
    assert_eq!(
        saved["elements"][2]["value"],
        json!("17"),
        "the pasted column fills the third element"
    );
    english_grid_says_how_to_write_numbers(&officer);
    an_administrator_reads_only_what_was_published(app);
    // The secretariat imports an earlier year; the window page names who did it. A file with
    // bad rows first: every row's error in a table (sheet, row, column, reason), nothing
    // imported, the dry-run box still ticked.
    let secretariat = signed_in(app, "thuky12");
    let page = secretariat.get(&format!("/covenants/{COV}/figures"));
    let (ct, body) = super::support::multipart(
        &[("csrf", &page.csrf()), ("window", ""), ("dry_run", "1")],
        "hist-bad.csv",
        "text/csv",
        b"unit,element,period,value\nCAKG,crimes,2023-M01,1x\nCAKG,crimes,2023-M02,9O\n",
    );
    let r = secretariat.post_raw(&format!("/covenants/{COV}/figures/historical"), &ct, &body);
    assert_eq!(r.status, 422, "{}", r.body);
    let table = &r.body[r
        .body
        .find("id=\"import-errors\"")
        .expect("a table of errors")..];
    assert_eq!(
        table.matches("class=\"import-error\"").count(),
        2,
        "{table}"
    );
    assert!(table.contains("«1x»") && table.contains("«9O»"), "{table}");
    assert!(!table.contains('`'), "no programmer's quotes: {table}");
    assert!(r.body.contains("id=\"historical-dry\" checked"));
    assert!(
        r.body.contains("id=\"import-errors\" role=\"alert\" tabindex=\"-1\" autofocus")
            && r.body.contains(
                "id=\"historical-file\" type=\"file\" name=\"file\" accept=\".csv,.xlsx\" required aria-describedby=\"import-errors\" aria-invalid=\"true\""
            ),
        "the focus goes to the errors, the file field points to them: {}",
        r.body
    );
    // Someone else sending the same file (a unit's leader) is told it is not theirs to do: a
    // page saying so, not the secretariat's form's errors on a page without the form.
    let not_secretariat = signed_in(app, "lanhdao-kg");
    let (ct, body) = super::support::multipart(
        &[("csrf", &not_secretariat.get("/").csrf()), ("window", "")],
        "hist-bad.csv",
        "text/csv",
        b"unit,element,period,value\nCAKG,crimes,2023-M01,1x\n",
    );
    let r = not_secretariat.post_raw(&format!("/covenants/{COV}/figures/historical"), &ct, &body);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("<h1>Không có quyền</h1>"), "{}", r.body);
    // A dry run of a sound file says what it would record, unit by unit and year by year.
    let (ct, body) = super::support::multipart(
        &[("csrf", &page.csrf()), ("window", ""), ("dry_run", "1")],
        "hist.csv",
        "text/csv",
        b"unit,element,period,value\nCAKG,crimes,2023-M01,5\nCAKG,crimes,2023-M02,6\n",
    );
    let r = secretariat.post_raw(&format!("/covenants/{COV}/figures/historical"), &ct, &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains(
            "id=\"historical-dry-result\">Xem trước: các thay đổi · sẽ ghi 2 số liệu: Công an \
             tỉnh Kiên Giang năm 2023 (2 kỳ) · sha256 "
        ),
        "{}",
        r.body
    );
    let r = secretariat.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/historical?file_name=2023.csv"),
        b"unit,element,period,value\nCAKG,crimes,2023-M01,5\n",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let page = secretariat.get(&format!("/covenants/{COV}/figures"));
    let imports = &page.body[page.body.find("id=\"imports\"").expect("the imports table")..];
    assert!(
        imports.contains("<a href=\"/people/thuky12\" lang=\"vi\">Thư Ký Cụm 12</a>"),
        "{imports}"
    );
    // A flag kind the page does not list is named as such, not "could not be done".
    let r = secretariat.get(&format!("/covenants/{COV}/flags?kind=x"));
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("Không có loại cảnh báo này"), "{}", r.body);
    english_flags_write_numbers_the_vietnamese_way(&secretariat);
    // A report the viewer cannot edit names its elements as text: a label names a field only.
    switch_lang(&secretariat, "vi");
    let read_only = secretariat.get(&format!("/covenants/{COV}/figures/ca-kg/M03"));
    assert_eq!(read_only.status, 200, "{}", read_only.body);
    assert!(
        read_only
            .body
            .contains("<span lang=\"vi\">Tội phạm về trật tự xã hội</span>")
            && !read_only.body.contains("<label for=\"v-"),
        "{}",
        read_only.body
    );
    the_secretariat_sets_the_covenants_rules(app);
    the_next_covenant_starts_from_the_last(app);
    regulation_previewed_on_last_years_figures(app);
    home_lists_the_figures_to_submit(app);
    the_secretariat_moves_a_deadline(&secretariat);
    a_supervisor_cannot_move_a_deadline(&supervisor);
    // Nor does the Ministry's supervisor, nor a unit's leader.
    for user in ["giamsat-bo", "lanhdao-kg"] {
        a_supervisor_cannot_move_a_deadline(&signed_in(app, user));
    }
    a_submission_refused_for_its_rules_marks_their_cells(app);
    the_administrator_declares_holidays(app, &secretariat, &officer);
}

/// The administrator declares the public holidays of 2024 in its section: every line it cannot
/// read is named at once and nothing is recorded; then the days push April's default deadline
/// (cut-off Sunday 14/04, two working days: Tuesday 16/04) past the declared Tuesday, and the
/// figures page says which day it skipped; the same declaration again changes nothing; the API
/// lists it, the history tells it, and nobody else may declare. (The day is made up.)
fn the_administrator_declares_holidays(
    app: &TestApp,
    secretariat: &super::support::Client,
    officer: &super::support::Client,
) {
    let april = format!("/covenants/{COV}/figures?window=M04");
    let before = secretariat.get(&april);
    assert!(
        before
            .body
            .contains("<strong id=\"deadline\">16/04/2024</strong>")
            && before
                .body
                .contains("không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ đã khai báo")
            && !before.body.contains("Ngày nghỉ lễ được bỏ qua"),
        "{}",
        before.body
    );
    let admin = signed_in(app, "quantri");
    let declare_with = |days: &str, working_days: &str| {
        let csrf = admin.get("/admin/holidays").csrf();
        admin.post_form(
            "/admin/holidays",
            &[
                ("csrf", csrf.as_str()),
                ("year", "2024"),
                ("days", days),
                ("working_days", working_days),
                ("reference", "Thông báo nghỉ lễ (giả định)"),
            ],
        )
    };
    let declare = |days: &str| declare_with(days, "");
    let r = declare("31/04/2024\n16/04/2024\n01/01/2023");
    assert_eq!(r.status, 422, "{}", r.body);
    let error = super::support::element_text(&r.body, "hd-days-error", "p");
    assert_eq!(
        error,
        "Dòng 1: “31/04/2024” không phải là ngày dd/mm/yyyy hay khoảng ngày. Dòng 3: 01/01/2023 không thuộc năm 2024.",
    );
    assert!(r
        .body
        .contains("31/04/2024\n16/04/2024\n01/01/2023</textarea>"));
    assert_eq!(admin.get("/api/v1/holidays").json(), serde_json::json!([]));
    let r = declare("16/04/2024");
    assert_eq!(r.status, 303, "{}", r.body);
    let section = admin.get("/admin/holidays?year=2024");
    assert_eq!(
        super::support::element_text(&section.body, "hd-lunar", "p"),
        "Theo âm lịch, năm 2024 mùng 1 Tết là ngày 10/02/2024 và Giỗ Tổ Hùng Vương (10/3 âm lịch) là ngày 18/04/2024; ngày nghỉ cụ thể theo thông báo của năm."
    );
    assert!(
        section.body.contains(
            "<th scope=\"row\" class=\"num\">2024</th><td data-label=\"Ngày nghỉ\">16/04/2024</td>"
        ) && section.body.contains(">16/04/2024</textarea>"),
        "listed, and the form filled to declare it again: {}",
        section.body
    );
    let after = secretariat.get(&april);
    assert!(
        after
            .body
            .contains("<strong id=\"deadline\">17/04/2024</strong>")
            && after.body.contains("Ngày nghỉ lễ được bỏ qua: 16/04/2024."),
        "{}",
        after.body
    );
    // The year's calendar says each window's deadline: April's past the holiday, March's as
    // the secretariat moved it.
    let april_row = super::support::element_text(&after.body, "calendar-M04", "tr");
    assert!(
        april_row.contains("17/04/2024")
            && april_row.contains("Ngày nghỉ lễ được bỏ qua: 16/04/2024."),
        "{april_row}"
    );
    let march_row = super::support::element_text(&after.body, "calendar-M03", "tr");
    assert!(
        march_row.contains("25/03/2024") && march_row.contains("Do thư ký cụm đặt."),
        "{march_row}"
    );
    let r = declare("16/04/2024");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("không có gì thay đổi để ghi"), "{}", r.body);
    a_worked_saturday_counts_in_the_deadline(secretariat, &declare_with);
    let listed = officer.get("/api/v1/holidays").json();
    assert_eq!(listed[0]["days"], serde_json::json!(["2024-04-16"]));
    assert_eq!(listed[0]["working_days"], serde_json::json!(["2024-06-15"]));
    let history = officer.get("/history");
    assert!(
        super::support::without_tags(&history.body).contains(
            "đã khai báo 1 ngày nghỉ lễ, Tết năm 2024 theo Thông báo nghỉ lễ (giả định)."
        ),
        "{}",
        history.body
    );
    // A movement of next year without declared holidays is the administrator's to-do, which
    // opens the form with the year filled in; a past year's is not.
    let next = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    app.service
        .execute(
            &thidua_domain::Actor::System,
            thidua_domain::Command::CreateMovement {
                movement: thidua_domain::MovementId::parse("phong-trao-nam-sau").unwrap(),
                name: thidua_domain::Text::parse("name", "Phong trào năm sau", 200).unwrap(),
                year: next,
                plan_ref: thidua_domain::Text::parse("plan_ref", "01/KH-BCA", 50).unwrap(),
                slogan: None,
                calendar: thidua_domain::calendar::default_calendar(next),
            },
        )
        .unwrap();
    let home = admin.get("/").body;
    let todo = format!("Chưa khai báo ngày nghỉ lễ, Tết năm {next}:");
    assert!(
        home.contains(&todo) && !home.contains("Tết năm 2024:"),
        "{home}"
    );
    let href = format!("/admin/holidays?year={next}#hd-form");
    assert!(home.contains(&href), "{home}");
    let form = admin.get(&href).body;
    assert!(
        form.contains(&format!("id=\"hd-year\" name=\"year\" value=\"{next}\"")),
        "{form}"
    );
    let fixed = format!("01/01/{next}\n30/04/{next} - 01/05/{next}\n02/09/{next}</textarea>");
    assert!(
        form.contains(&fixed),
        "the solar holidays filled in: {form}"
    );
    for other in [secretariat, officer] {
        let csrf = other.get("/").csrf();
        let r = other.post_form(
            "/admin/holidays",
            &[
                ("csrf", csrf.as_str()),
                ("year", "2025"),
                ("days", "01/01/2025"),
                ("reference", "x"),
            ],
        );
        assert_eq!(r.status, 403);
    }
}

/// Weekend days worked in exchange (made up): a weekday or a day off among them is named, every
/// one at once, and nothing is recorded; a worked Saturday then counts in June's default deadline
/// (cut-off Friday 14/06: Monday 17 and Tuesday 18, or Saturday 15 and Monday 17), which the
/// figures page says, and the administration lists.
fn a_worked_saturday_counts_in_the_deadline(
    secretariat: &super::support::Client,
    declare_with: &dyn Fn(&str, &str) -> super::support::Resp,
) {
    let june = format!("/covenants/{COV}/figures?window=M06");
    let deadline = |d: &str| format!("<strong id=\"deadline\">{d}</strong>");
    assert!(secretariat
        .get(&june)
        .body
        .contains(&deadline("18/06/2024")));
    let r = declare_with("16/04/2024\n15/06/2024", "17/06/2024\n15/06/2024");
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        super::support::element_text(&r.body, "hd-worked-error", "p"),
        "15/06/2024 vừa là ngày nghỉ vừa là ngày làm bù. 17/06/2024 không phải thứ Bảy hay Chủ nhật: ngày thường đã là ngày làm việc.",
    );
    assert!(
        r.body.contains(">17/06/2024\n15/06/2024</textarea>"),
        "{}",
        r.body
    );
    let r = declare_with("16/04/2024", "15/06/2024");
    assert_eq!(r.status, 303, "{}", r.body);
    let page = secretariat.get(&june).body;
    assert!(
        page.contains(&deadline("17/06/2024"))
            && page.contains("Ngày làm bù được tính là ngày làm việc: 15/06/2024."),
        "{page}"
    );
}

/// A unit's draft is its own, hidden from an administrator as a year-end draft is: the page
/// shows what was published and offers no button the administrator cannot use (saving,
/// submitting and importing for a unit are its officers' acts; they answered 403).
fn an_administrator_reads_only_what_was_published(app: &TestApp) {
    let admin = signed_in(app, "quantri");
    let api = admin
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M04"))
        .json();
    assert_eq!(
        (&api["own"], &api["status"], &api["can_edit"]),
        (&json!(false), &json!("not_published"), &json!(false)),
        "{api}"
    );
    assert!(
        api["elements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["value"].is_null()),
        "the draft's figures stay the unit's: {api}"
    );
    // Nor does the log tell it: the draft's events are the unit's, as on the page (the
    // history and the events API gave them to an administrator).
    let drafts = |user: &str| -> Vec<serde_json::Value> {
        let events = signed_in(app, user)
            .get("/api/v1/events?unit=ca-kg&kind=figures_saved&limit=200")
            .json();
        let items = events["items"].as_array().unwrap().clone();
        items
            .into_iter()
            .filter(|e| e.to_string().contains("\"M04\""))
            .collect()
    };
    assert!(!drafts("canbo-kg").is_empty(), "the unit reads its draft");
    assert_eq!(drafts("quantri"), Vec::<serde_json::Value>::new());
    let history = admin.get("/history?unit=ca-kg").body;
    assert!(!history.contains("04/2024"), "{history}");
    let page = admin.get(&format!("/covenants/{COV}/figures/ca-kg/M04"));
    assert_eq!(page.status, 200, "{}", page.body);
    for button in [
        "id=\"save\"",
        "id=\"save-submit\"",
        "id=\"import-file\"",
        "id=\"approve\"",
    ] {
        assert!(!page.body.contains(button), "{button}: {}", page.body);
    }
    assert!(page.body.contains("id=\"drafts-hidden\""), "{}", page.body);
    let template = admin.get(&format!(
        "/api/v1/covenants/{COV}/figures/template?unit=ca-kg&window=M04"
    ));
    assert_eq!(
        template.status, 404,
        "the template carries the draft's figures"
    );
    let window = admin
        .get(&format!("/api/v1/covenants/{COV}/figures?window=M04"))
        .json();
    let kg = window["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["id"] == "ca-kg")
        .unwrap();
    assert_eq!(
        (&kg["status"], &kg["own"]),
        (&json!("not_published"), &json!(false))
    );
    // April 2024's deadline is long past: a unit with nothing published is overdue to those
    // who cannot see its draft, and the page says so.
    assert_eq!(kg["overdue"], json!(true), "{kg}");
    let page = admin.get(&format!("/covenants/{COV}/figures?window=M04"));
    assert!(
        page.body.contains("id=\"overdue-ca-kg\"") && page.body.contains("Quá hạn"),
        "{}",
        page.body
    );
}

/// A submission refused by the validation rules marks every rule that blocks it on the grid:
/// an error on the figures it names (the regulation's `tin_giai_quyet`), a warning on their
/// comments (one the secretariat added; added rules only warn), all linked from the summary.
fn a_submission_refused_for_its_rules_marks_their_cells(app: &TestApp) {
    use thidua_domain::figures::{Severity, ValidationRule};
    use thidua_domain::{Actor, Command, CovenantId, Text};
    let rule = |id: &str, name: &str, check: &str, severity| ValidationRule {
        id: id.into(),
        name: Text::parse("name", name, 200).unwrap(),
        check: check.into(),
        severity,
    };
    let rules = vec![rule(
        "solved_le_crimes",
        "Số vụ khám phá không vượt quá số vụ phạm tội",
        "solved <= crimes",
        Severity::Warning,
    )];
    let covenant = CovenantId::parse(COV).unwrap();
    app.service
        .execute_all(
            &Actor::System,
            vec![Command::SetFiguresRules { covenant, rules }],
        )
        .unwrap();
    let officer = signed_in(app, "canbo-kg");
    let grid = format!("/covenants/{COV}/figures/ca-kg/M04");
    let csrf = officer.get(&grid).csrf();
    let mut fields: Vec<(String, String)> = full_rows(app, 5)
        .into_iter()
        .map(|(k, v)| (format!("v_{k}"), v))
        .collect();
    for (field, value) in [("v_reports_resolved", "60"), ("v_solved", "9")] {
        fields.retain(|(k, _)| k != field);
        fields.push((field.into(), value.into()));
    }
    fields.extend([("csrf".into(), csrf), ("action".into(), "submit".into())]);
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = officer.post_form(&grid, &form);
    assert_eq!(r.status, 422, "{}", r.body);
    // The summary tells errors from warnings that only wait for a comment.
    assert!(
        r.body
            .contains("Chưa lưu: 2 ô có lỗi, 2 cảnh báo cần ghi chú; xem lời nhắc"),
        "{}",
        r.body
    );
    for (field, says) in [
        (
            "v-reports_resolved",
            "Vi phạm quy tắc kiểm tra «Tin đã giải quyết",
        ),
        (
            "v-reports_received",
            "Vi phạm quy tắc kiểm tra «Tin đã giải quyết",
        ),
        (
            "c-solved",
            "Cảnh báo «Số vụ khám phá không vượt quá số vụ phạm tội»",
        ),
        ("c-crimes", "Cảnh báo «Số vụ khám phá"),
    ] {
        assert!(
            r.body.contains(&format!("<a href=\"#{field}\">")),
            "{field} in the summary: {}",
            r.body
        );
        let beside = &r.body[r.body.find(&format!("id=\"{field}-error\"")).expect(field)..];
        assert!(beside.contains(says), "{field}: {beside}");
    }
    assert!(r
        .body
        .contains("id=\"c-solved\" name=\"c_solved\" value=\"\" maxlength=\"1000\" aria-label"));
    // Saved as a draft, the page's checks say each rule as broken, never its name alone.
    let saved: Vec<(&str, &str)> = form
        .iter()
        .map(|(k, v)| (*k, if *k == "action" { "save" } else { *v }))
        .collect();
    let r = officer.post_form(&grid, &saved);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = officer.get(&grid).body;
    let issues = super::support::element_text(&page, "issues", "section");
    assert!(
        issues.contains("Lỗi: vi phạm quy tắc «Tin đã giải quyết"),
        "{issues}"
    );
}

/// The supervising department reads the figures but moves no deadline: the form's answer is
/// the refusal page (403), not the form again with the refusal beside a field.
fn a_supervisor_cannot_move_a_deadline(supervisor: &super::support::Client) {
    let csrf = supervisor.get(&format!("/covenants/{COV}/figures")).csrf();
    // An empty form too: the refusal, not the secretariat's form's field errors.
    let r = supervisor.post_form(
        &format!("/covenants/{COV}/figures/deadline"),
        &[("csrf", csrf.as_str()), ("window", ""), ("deadline", "")],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("<h1>Không có quyền</h1>"), "{}", r.body);
    let r = supervisor.post_form(
        &format!("/covenants/{COV}/figures/deadline"),
        &[
            ("csrf", csrf.as_str()),
            ("window", "M03"),
            ("deadline", "25/03/2024"),
        ],
    );
    assert_eq!(r.status, 403, "{}", r.body);
}

/// The deadline form: an impossible date or one outside the window's range is refused beside
/// the field, which keeps what was typed; a good one is saved and the page says so.
fn the_secretariat_moves_a_deadline(secretariat: &super::support::Client) {
    let page = format!("/covenants/{COV}/figures?window=M03");
    let set = |typed: &str| {
        let csrf = secretariat.get(&page).csrf();
        secretariat.post_form(
            &format!("/covenants/{COV}/figures/deadline"),
            &[
                ("csrf", csrf.as_str()),
                ("window", "M03"),
                ("deadline", typed),
            ],
        )
    };
    for (typed, says) in [
        ("30/02/2024", "Ngày không đọc được: viết một ngày có thật"),
        (
            "10/03/2024",
            "Hạn nộp Tháng 3 không được trước 14/03/2024, ngày chốt số liệu của kỳ.",
        ),
    ] {
        let r = set(typed);
        assert_eq!(r.status, 422, "{typed}: {}", r.body);
        assert!(
            r.body.contains(says)
                && r.body.contains(&format!("value=\"{typed}\" aria-describedby=\"deadline-help deadline-error\" aria-invalid=\"true\"")),
            "{typed}: refused beside the field, as typed: {}",
            r.body
        );
    }
    let r = set("25/03/2024");
    assert_eq!(r.status, 303, "{}", r.body);
    let back = r.header("location").unwrap();
    assert_eq!(back, format!("{page}&done=deadline"));
    let shown = secretariat.get(back);
    assert!(
        shown.body.contains("Đã lưu hạn nộp mới.")
            && shown
                .body
                .contains("<strong id=\"deadline\">25/03/2024</strong>"),
        "{}",
        shown.body
    );
}

/// Switches the signed-in user's pages to `to` (`vi`, `en`).
fn switch_lang(c: &super::support::Client, to: &str) {
    let page = c.get("/");
    let r = c.post_form("/lang", &[("csrf", &page.csrf()), ("to", to)]);
    assert_eq!(r.status, 303, "{}", r.body);
}

/// Kiên Giang's April (a draft) on an English page: the help says that numbers are written the
/// Vietnamese way and what to type for "not applicable"; "n/a" and "không áp dụng" are both
/// read, and the grid shows "n/a" (the Vietnamese page "không áp dụng"); the unit's and the
/// elements' names are marked Vietnamese.
fn english_grid_says_how_to_write_numbers(officer: &super::support::Client) {
    let grid = format!("/covenants/{COV}/figures/ca-kg/M04");
    switch_lang(officer, "en");
    let page = officer.get(&grid);
    assert_eq!(page.status, 200, "{}", page.body);
    for said in [
        "Numbers are written the Vietnamese way: 1.234 is one thousand two hundred and thirty-four, 12,5 is twelve and a half.",
        "Type “n/a” (or “không áp dụng”) when the element does not apply",
        "<h1><span lang=\"vi\">Công an tỉnh Kiên Giang</span> — Month 4/2024</h1>",
        "Same period last year (2023)</th>",
        "<label for=\"v-crimes\" lang=\"vi\">Tội phạm về trật tự xã hội</label>",
        "<span lang=\"vi\" id=\"u-crimes\">vụ</span>",
    ] {
        assert!(page.body.contains(said), "{said}: {}", page.body);
    }
    assert!(!page.body.contains("«"), "{}", page.body);
    let r = officer.post_form(
        &grid,
        &[
            ("csrf", &page.csrf()),
            ("v_crimes", "n/a"),
            ("v_suspended", "Không áp dụng"),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let saved = officer
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M04"))
        .json();
    for id in ["crimes", "suspended"] {
        let e = saved["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap();
        assert_eq!(e["value"], "na", "{id}: {saved}");
    }
    let page = officer.get(&grid);
    for id in ["crimes", "suspended"] {
        assert!(
            page.body
                .contains(&format!("name=\"v_{id}\" value=\"n/a\"")),
            "{id}: {}",
            page.body
        );
    }
    assert!(!page.body.contains("value=\"không áp dụng\""));
    switch_lang(officer, "vi");
    let page = officer.get(&grid);
    assert!(
        page.body
            .contains("name=\"v_crimes\" value=\"không áp dụng\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Cùng kỳ 2023</th>"), "{}", page.body);
}

/// Kiên Giang's 2023 from May on (8 windows of about 100 crimes, median 100,5) makes its
/// approved March 2024 (6 crimes) a break in the series: the English flags page writes the
/// reason's numbers the Vietnamese way, as every page does, with the names marked Vietnamese;
/// the API's English reason says the same and the CSV keeps the Vietnamese reason.
fn english_flags_write_numbers_the_vietnamese_way(secretariat: &super::support::Client) {
    let mut file = String::from("unit,element,period,value\n");
    for m in 5..=12 {
        file.push_str(&format!("CAKG,crimes,2023-M{m:02},{}\n", 100 + m % 2));
    }
    let r = secretariat.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/historical?file_name=2023b.csv"),
        file.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let api = secretariat
        .get(&format!("/api/v1/covenants/{COV}/flags?kind=series_break"))
        .json();
    let flags = api["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{api}");
    assert_eq!(flags[0]["period"], "2024-M03");
    let en = flags[0]["reason_en"].as_str().unwrap();
    assert!(
        en.ends_with("6 lies far outside the unit's previous 12 windows (median 100,5, more than 5 spreads away)"),
        "{en}"
    );
    let csv = secretariat
        .get(&format!(
            "/api/v1/covenants/{COV}/flags/export?kind=series_break"
        ))
        .body;
    assert!(
        csv.contains("nằm xa ngoài khoảng 12 kỳ trước của đơn vị (trung vị 100,5"),
        "{csv}"
    );
    switch_lang(secretariat, "en");
    let page = secretariat.get(&format!("/covenants/{COV}/flags?kind=series_break"));
    assert_eq!(page.status, 200, "{}", page.body);
    for said in [
        "<th scope=\"row\"><a href=\"/units/ca-kg\" lang=\"vi\">Công an tỉnh Kiên Giang</a></th><td data-label=\"Window\"><a href=\"/covenants/gu-12-2024/figures/ca-kg/M03\">Month 3/2024</a></td>",
        "<td class=\"reason\" data-label=\"Reason\"><span lang=\"vi\">Tội phạm về trật tự xã hội</span>: 6 lies far outside",
        "(median 100,5, more than 5 spreads away)</td>",
    ] {
        assert!(page.body.contains(said), "{said}: {}", page.body);
    }
    assert!(!page.body.contains("100.5"), "{}", page.body);
    switch_lang(secretariat, "vi");
}

/// Every window of 2024 has passed its cut-off: the officer's home page says how many of
/// Kiên Giang's are still to submit and links the earliest.
fn home_lists_the_figures_to_submit(app: &TestApp) {
    let home = signed_in(app, "canbo-kg").get("/");
    assert!(
        home.body.contains("kỳ chưa nộp số liệu; sớm nhất là")
            && home
                .body
                .contains("href=\"/covenants/gu-12-2024/figures/ca-kg/M"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("id=\"nothing-to-do\""));
    // Its button says what the page is opened for: entering the figures (it said "Xem").
    let earliest = home
        .body
        .find("href=\"/covenants/gu-12-2024/figures/ca-kg/M")
        .map(|at| &home.body[at + 6..])
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert_eq!(
        super::support::todo_button(&home.body, &earliest),
        "Nhập số liệu"
    );
    // The report's page says the deadline has passed (it showed the date alone until the
    // figures were submitted, then "Nộp muộn").
    let officer = signed_in(app, "canbo-kg");
    let report = officer.get(&earliest).body;
    assert_eq!(
        super::support::element_text(&report, "overdue", "span"),
        "Đã quá hạn, chưa nộp"
    );
    // The API says it as the window's overview does, from the same rule.
    let api = officer.get(&format!("/api/v1{earliest}")).json();
    assert_eq!(api["overdue"], json!(true), "{api}");
    // The signed covenant's year is one click away: its figures, progress and year-end.
    assert!(
        home.body.contains("<span class=\"small\" id=\"year-links-gu-12-2024\"><a href=\"/covenants/gu-12-2024/figures\">"),
        "{}",
        home.body
    );
    assert!(
        home.body.contains(", đã quá hạn)"),
        "2024's deadlines have passed: {}",
        home.body
    );
    let officer = signed_in(app, "canbo-kg");
    switch_lang(&officer, "en");
    let home = officer.get("/");
    assert!(
        home.body.contains("the earliest is Month ") && home.body.contains(", overdue)"),
        "the window named in English: {}",
        home.body
    );
    assert_eq!(
        super::support::todo_button(&home.body, &earliest),
        "Enter the figures"
    );
    switch_lang(&officer, "vi");
    // Every window of 2024 past its cut-off and no year-end opened: the secretariat is asked
    // to open it, at the page's opening form (nothing said so).
    let sec_home = signed_in(app, "thuky12").get("/").body;
    assert_eq!(
        super::support::todo_button(&sec_home, "/covenants/gu-12-2024/yearend#open"),
        "Mở tổng kết năm"
    );
    assert!(
        sec_home.contains("Các kỳ báo cáo năm 2024 của"),
        "{sec_home}"
    );
    assert!(
        !signed_in(app, "lanhdao-kg")
            .get("/")
            .body
            .contains("yearend#open"),
        "the secretariat's step"
    );
    // The secretariat is told which members owe overdue figures, each with how many windows
    // and the earliest (the latest window alone hid the months owed before it).
    let sec = signed_in(app, "thuky12").get("/").body;
    let overdue = sec
        .find("Quá hạn nộp số liệu: ")
        .map(|at| &sec[at..at + sec[at..].find("</li>").unwrap()]);
    assert!(
        overdue.is_some_and(
            |s| s.contains("Kiên Giang</a> chưa nộp ") && s.contains(" kỳ, sớm nhất là Tháng ")
        ),
        "{overdue:?}: {sec}"
    );
    // Kiên Giang's leader, who enters nothing, is told its unit is late.
    let leader = signed_in(app, "lanhdao-kg").get("/").body;
    assert!(
        leader.contains("Kiên Giang</a> chưa nộp số liệu ")
            && leader.contains(" kỳ đã quá hạn; sớm nhất là Tháng "),
        "{leader}"
    );
    let elsewhere = signed_in(app, "canbo-dt").get("/");
    assert!(
        !elsewhere.body.contains("ca-kg/M"),
        "another cluster's officer is not asked for Kiên Giang's figures"
    );
}

/// The secretariat sees the regulation's validation rules and sets the covenant's own on a
/// page of its own (it was only `POST /api/v1/commands`): one box per rule, each problem
/// beside its field, set through `SetFiguresRules` as the API does; a unit's officer may read
/// them, not set them.
fn the_secretariat_sets_the_covenants_rules(app: &TestApp) {
    let sec = signed_in(app, "thuky12");
    let window = sec.get(&format!("/covenants/{COV}/figures"));
    assert!(
        window.body.contains(&format!(
            "id=\"rules-link\" href=\"/covenants/{COV}/figures/rules\""
        )),
        "{}",
        window.body
    );
    let path = format!("/covenants/{COV}/figures/rules");
    let page = sec.get(&path);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("id=\"rule-tin_giai_quyet\"")
            && page
                .body
                .contains("Tin đã giải quyết không vượt quá tin đã tiếp nhận"),
        "the regulation's own rules: {}",
        page.body
    );
    // Each check in words, its figures by their names (not `reports_resolved <= …`).
    let table = &page.body[page.body.find("id=\"regulation-rules\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(
        table.contains("«Tố giác, tin báo, kiến nghị khởi tố đã giải quyết» ≤ «Tố giác, tin báo, kiến nghị khởi tố đã tiếp nhận, phân loại»")
            && !table.contains("reports_resolved"),
        "{table}"
    );
    let size = app.service.read().size;
    // Three empty boxes, and the form's element codes to write checks with.
    assert!(page.body.contains("id=\"id_2\"") && !page.body.contains("id=\"id_3\""));
    assert!(page
        .body
        .contains("<th scope=\"row\"><code>reports_resolved</code></th>"));
    let csrf = page.csrf();
    let send = |rows: &[[&str; 4]]| {
        let mut form = vec![("csrf".to_owned(), csrf.clone())];
        for (i, row) in rows.iter().enumerate() {
            for (k, v) in ["id", "name", "check", "severity"].into_iter().zip(row) {
                form.push((format!("{k}_{i}"), (*v).to_owned()));
            }
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        sec.post_form(&path, &pairs)
    };
    let serious = [
        "kg_serious",
        "Án nghiêm trọng không vượt quá số vụ",
        "serious <= crimez",
        "warning",
    ];
    let taken = ["kham_pha", "Trùng mã", "solved <= crimes", "error"];
    let half = ["Kg half", "", "serious <=", "error"];
    let blank = ["", "", "", "error"];
    // Box 1 names an element the form lacks, box 2's id is one of the regulation's, box 3 is
    // half filled with a bad id and a check cut short: each told beside its field, all at once.
    let r = send(&[serious, taken, half, blank]);
    assert_eq!(r.status, 422, "{}", r.body);
    for (field, said) in [
        ("check_0", "biểu mẫu không có mã số liệu crimez"),
        ("id_1", "Mã này là của một quy tắc trong quy định chấm điểm"),
        ("name_2", "Cần điền đủ mã, tên và biểu thức kiểm tra"),
        ("id_2", "Mã quy tắc bắt đầu bằng chữ cái thường không dấu"),
        ("check_2", "biểu thức chưa hết"),
    ] {
        assert!(
            r.body
                .contains(&format!("<p class=\"field-error\" id=\"{field}-error\">"))
                && r.body.contains(said)
                && r.body.contains(&format!("href=\"#{field}\"")),
            "{field}: {}",
            r.body
        );
    }
    assert!(
        r.body.contains("id=\"error-summary\" role=\"alert\"")
            && r.body
                .contains("aria-describedby=\"check-help check_0-error\" aria-invalid=\"true\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"serious &#60;= crimez\""),
        "kept as typed: {}",
        r.body
    );
    // The summary in the page's order: box 3's id before its name and its check.
    let at = |field: &str| r.body.find(&format!("href=\"#{field}\"")).unwrap();
    assert!(
        at("check_0") < at("id_1") && at("id_2") < at("name_2") && at("name_2") < at("check_2")
    );
    assert!(
        r.body.contains("<option value=\"warning\" selected>"),
        "{}",
        r.body
    );
    assert_eq!(app.service.read().size, size, "nothing is stored");
    // More rules than a covenant may add: the domain's refusal above the boxes, kept as typed.
    let ids: Vec<String> = (0..201).map(|i| format!("kg_many_{i}")).collect();
    let many: Vec<[&str; 4]> = ids
        .iter()
        .map(|id| [id.as_str(), "Quân số", "personnel >= 1", "warning"])
        .collect();
    let r = send(&many);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("id=\"rules-form-error\">Một giao ước có tối đa 200 quy tắc bổ sung.")
            && r.body.contains("value=\"kg_many_200\""),
        "{}",
        r.body
    );
    assert_eq!(app.service.read().size, size, "nothing is stored");
    let fixed = ["kg_serious", serious[1], "serious <= crimes", "warning"];
    let personnel = ["kg_personnel", "Trùng mã", "personnel >= 10", "warning"];
    let r = send(&[fixed, blank, personnel, blank]);
    assert_eq!(r.status, 303, "{}", r.body);
    let cov = thidua_domain::CovenantId::parse(COV).unwrap();
    let set: Vec<String> = app.service.read().figures.rules[&cov]
        .iter()
        .map(|r| r.id.clone())
        .collect();
    assert_eq!(set, ["kg_serious", "kg_personnel"]);
    let saved = sec.get(r.header("location").unwrap());
    assert!(
        saved.body.contains("id=\"done\"") && saved.body.contains("id=\"added-kg_serious\""),
        "{}",
        saved.body
    );
    // The two rules in their boxes, then three empty ones.
    assert!(
        saved
            .body
            .contains("id=\"id_1\" name=\"id_1\" value=\"kg_personnel\"")
            && saved.body.contains("id=\"id_4\" name=\"id_4\" value=\"\"")
            && !saved.body.contains("id=\"id_5\""),
        "{}",
        saved.body
    );
    // A unit reads them; setting them is the secretariat's.
    let officer = signed_in(app, "canbo-kg");
    let read = officer.get(&path);
    assert_eq!(read.status, 200);
    assert!(!read.body.contains("id=\"rules-form\""), "{}", read.body);
    let refused = officer.post_form(&path, &[("csrf", &read.csrf()), ("id_0", "")]);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(app.service.read().figures.rules[&cov].len(), 2);
}

/// The secretariat drafts the next year's covenant from the last one in force: its targets
/// (baseline years moved on a year), regulation, title and place, nothing stored until saved.
fn the_next_covenant_starts_from_the_last(app: &TestApp) {
    let sec = signed_in(app, "thuky12");
    let cluster = sec.get("/clusters/cum-12?year=2025");
    let link = format!("/clusters/cum-12/covenants/new?year=2025&amp;from={COV}");
    assert!(
        cluster
            .body
            .contains(&format!("id=\"new-covenant-from\" href=\"{link}\"")),
        "{}",
        cluster.body
    );
    let size = app.service.read().size;
    let page = sec.get(&link.replace("&amp;", "&"));
    assert_eq!(page.status, 200, "{}", page.body);
    let last = &app.service.read().covenants[&thidua_domain::CovenantId::parse(COV).unwrap()];
    let content = &last.latest().content;
    let first = &content.targets[0];
    assert!(page.body.contains(first.subject.as_str()), "{}", page.body);
    // Signed at Kiên Giang, a province merged in 2025: the copy leaves the place to be typed
    // anew, the 2025 cluster having no head yet whose province it would take.
    assert_eq!(content.place.as_str(), "Kiên Giang");
    assert!(
        page.body.contains("name=\"place\" value=\"\" maxlength"),
        "{}",
        page.body
    );
    // The title speaks of the new year (a copy said "năm 2024" on the 2025 covenant).
    assert!(content.title.as_str().contains("năm 2024"));
    assert!(
        page.body
            .contains("Giao ước thi đua năm 2025 — Cụm thi đua số 12"),
        "{}",
        page.body
    );
    let (i, b) = content
        .targets
        .iter()
        .enumerate()
        .find_map(|(i, t)| Some((i, t.baseline_year?)))
        .expect("the model covenant has a target with a baseline year");
    assert!(
        page.body
            .contains(&format!("name=\"t{i}_baseline\" value=\"{}\"", b + 1)),
        "the baseline moves on a year: {}",
        page.body
    );
    assert!(
        page.body.contains("[[element]]"),
        "the regulation comes along"
    );
    assert!(
        page.body.contains("id = &#34;kg_serious&#34;")
            && page
                .body
                .contains("check = &#34;serious &#60;= crimes&#34;"),
        "the rules the secretariat added to last year's covenant travel in the regulation: {}",
        page.body
    );
    // Moved on a year as the targets are: written for 2025, compared with 2024 (a copy kept
    // `year = 2024` and `baseline_year = 2023`, and progress compared with the wrong year).
    assert!(
        page.body.contains("\nyear = 2025\n")
            && page.body.contains("\nbaseline_year = 2024\n")
            && page.body.contains("period = &#34;2025-Y&#34;")
            && !page.body.contains("\nyear = 2024\n"),
        "the regulation's years move on: {}",
        page.body
    );
    // And so do the names that speak of them: the regulation's own and its indicators' and
    // criteria's (a copy signed for 2025 still measured "so với năm 2023").
    assert!(
        page.body
            .contains("năm 2025 — Cụm thi đua số 12 (minh hoạ)")
            && page
                .body
                .contains("Tăng/giảm tội phạm về TTXH so với năm 2024")
            && page
                .body
                .contains("Kéo giảm tội phạm về trật tự xã hội ít nhất 5% so với năm 2024")
            && !page.body.contains("so với năm 2023"),
        "the regulation's names move on: {}",
        page.body
    );
    assert_eq!(app.service.read().size, size, "nothing is stored");
    let elsewhere = signed_in(app, "canbo-dt");
    let r = elsewhere.get(&link.replace("&amp;", "&"));
    assert!(r.status == 403 || r.status == 404, "{}", r.status);
}

/// The 2025 draft's regulation page offers a preview on the 2024 approved figures (the export
/// `thidua score --data` reads, scored at the same period a year earlier); nothing is stored.
fn regulation_previewed_on_last_years_figures(app: &TestApp) {
    use thidua_domain::{Actor, Command, CovenantId, MovementId};
    let last = app.service.read().covenants[&CovenantId::parse(COV).unwrap()]
        .latest()
        .content
        .clone();
    let movement = MovementId::parse("vi-an-ninh-2025").unwrap();
    let mut content = last;
    content.title = thidua_domain::Text::parse("title", "Giao ước thi đua năm 2025", 200).unwrap();
    content.signing_date = chrono::NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
    // The 2025 regulation (written for 2025, compared with 2024) adds a validation rule,
    // signed with it and shown before signing.
    let moved = content
        .regulation
        .text
        .replacen("\nyear = 2024\n", "\nyear = 2025\n", 1)
        .replacen("period = \"2024-Y\"", "period = \"2025-Y\"", 1)
        .replacen("baseline_year = 2023", "baseline_year = 2024", 1);
    let text = format!(
        "{moved}\n[[rule]]\nid = \"solved_le_crimes\"\nname = \"Số vụ khám phá không vượt quá số vụ phạm tội\"\ncheck = \"solved <= crimes\"\nseverity = \"warning\"\n",
    );
    content.regulation = thidua_domain::covenant::regulation_doc(&text).unwrap();
    let commands = vec![
        Command::CreateMovement {
            movement: movement.clone(),
            name: content.title.clone(),
            year: 2025,
            plan_ref: content.title.clone(),
            slogan: None,
            calendar: thidua_domain::calendar::default_calendar(2025),
        },
        Command::DraftCovenant {
            covenant: CovenantId::parse("gu-12-2025").unwrap(),
            movement,
            cluster: thidua_domain::ClusterId::parse("cum-12").unwrap(),
            content,
        },
    ];
    app.service.execute_all(&Actor::System, commands).unwrap();
    let member = signed_in(app, "lanhdao-ag");
    let page = member.get("/covenants/gu-12-2025/regulation");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"preview-last-year\"") && page.body.contains("năm 2024</a>"),
        "{}",
        page.body
    );
    let rules = &page.body[page.body.find("id=\"rules\"").expect("the rules")..];
    assert!(
        rules.contains("Số vụ khám phá không vượt quá số vụ phạm tội")
            && rules.contains(
                "«Vụ phạm tội về trật tự xã hội đã điều tra, khám phá» ≤ «Tội phạm về trật tự xã hội» — cảnh báo: cần ghi chú giải thích"
            ),
        "{rules}"
    );
    let size = app.service.read().size;
    let shown = member.get("/covenants/gu-12-2025/regulation?version=1&preview=last-year");
    assert_eq!(shown.status, 200, "{}", shown.body);
    let table = &shown.body[shown
        .body
        .find("id=\"preview-table\"")
        .expect("the preview")..];
    assert!(table.contains("Công an tỉnh Kiên Giang"), "{table}");
    assert!(
        shown.body.contains("15/12/2023 – 14/12/2024"),
        "scored over the 2024 reporting year: {}",
        shown.body
    );
    assert_eq!(app.service.read().size, size, "nothing is stored");
    let outsider = signed_in(app, "canbo-dt");
    let hidden = outsider.get("/covenants/gu-12-2025/regulation?preview=last-year");
    assert_eq!(hidden.status, 404);
    // Saving figures of a covenant the viewer cannot see answers as for one that does not
    // exist: nothing about its reporting form (it answered "not signed" before it looked).
    let csrf = outsider.get("/").csrf();
    let post = |covenant: &str| {
        outsider.post_form(
            &format!("/covenants/{covenant}/figures/ca-kg/2025-M01"),
            &[("csrf", csrf.as_str()), ("personnel", "10")],
        )
    };
    let (unseen, missing) = (post("gu-12-2025"), post("khong-co-2025"));
    assert_eq!(
        (unseen.status, missing.status),
        (404, 404),
        "{}",
        unseen.body
    );
    assert_eq!(unseen.body, missing.body);
    // Last year's regulation as it was, for the 2025 covenant: refused at its `year` line.
    let sec = signed_in(app, "thuky12");
    let content = app.service.read().covenants[&CovenantId::parse(COV).unwrap()]
        .latest()
        .content
        .clone();
    let size = app.service.read().size;
    let form = sec.get("/clusters/cum-12/covenants/new?year=2025");
    let r = sec.post_form(
        "/clusters/cum-12/covenants/new",
        &[
            ("csrf", &form.csrf()),
            ("movement", "vi-an-ninh-2025"),
            ("regulation", &content.regulation.text),
            ("op", "save"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let line = content
        .regulation
        .text
        .lines()
        .position(|l| l.starts_with("year = "))
        .unwrap()
        + 1;
    let row = &r.body[r
        .body
        .find(&format!("id=\"L{line}\" class=\"has-diag\""))
        .unwrap_or_else(|| panic!("a diagnostic at line {line}: {}", r.body))..];
    assert!(
        row[..row.find("</tr>").unwrap()].contains("giao ước là năm 2025"),
        "{row}"
    );
    assert_eq!(app.service.read().size, size, "nothing is stored");
}

#[test]
fn figures_over_http_sqlite() {
    flow(&spawn(Backend::Sqlite).unwrap());
}

/// A save that changes nothing of the saved draft records nothing (409 `figures_unchanged`):
/// the log grew by a revision at each press of "Lưu". Saved and submitted unchanged, the saved
/// revision is submitted as it is.
#[test]
fn a_save_that_changes_nothing_is_not_recorded() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let officer = signed_in(&app, "canbo-kg");
    let values: serde_json::Map<String, serde_json::Value> = full_rows(&app, 4)
        .into_iter()
        .map(|(k, v)| (k, json!(v)))
        .collect();
    let path = format!("/api/v1/covenants/{COV}/figures/ca-kg/M03");
    let r = officer.put_json(&path, json!({"values": values}));
    assert_eq!(r.status, 200, "{}", r.body);
    let size = app.service.read().size;
    let r = officer.put_json(&path, json!({"values": values}));
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.json()["error"], "figures_unchanged");
    assert_eq!(app.service.read().size, size, "nothing recorded");
    let r = officer.put_json(&path, json!({"values": values, "submit": true}));
    assert_eq!(r.status, 200, "{}", r.body);
    let report = officer.get(&path).json();
    assert_eq!(
        (report["status"].as_str(), report["revision"].as_u64()),
        (Some("submitted"), Some(1))
    );
    assert_eq!(app.service.read().size, size + 1, "only the submission");
}

/// A window's figures are saved as drafts while it runs and submitted from its cut-off: before
/// it, the report's page offers no submit button but says from when, and an import asking to
/// submit is refused as a whole; on the cut-off day both are offered and accepted. The page and
/// the service read the same clock (the log's, set here).
#[test]
fn a_report_is_submitted_from_its_windows_cut_off() {
    let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 3, d).unwrap();
    let app = spawn_at(Backend::Sqlite, day(10)).unwrap();
    super::support::load_figures(&app.service);
    let officer = signed_in(&app, "canbo-kg");
    let report = || {
        officer
            .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
            .json()
    };
    assert_eq!(
        (report()["end"].as_str(), report()["can_submit"].as_bool()),
        (Some("2024-03-14"), Some(false))
    );
    let page = officer.get(&format!("/covenants/{COV}/figures/ca-kg/M03"));
    assert!(
        !page.body.contains("id=\"save-submit\"")
            && !page.body.contains("id=\"import-submit\"")
            && page.body.contains("id=\"submit-from\"")
            && page.body.contains("14/03/2024"),
        "{}",
        page.body
    );
    let rows = full_rows(&app, 4);
    let rows: Vec<(&str, &str)> = rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let import = |submit: bool| {
        officer.post_bytes(
            &format!("/api/v1/covenants/{COV}/figures/import?file_name=m03.csv&submit={submit}"),
            csv(&rows).as_bytes(),
        )
    };
    let size = app.service.read().size;
    for dry_run in [true, false] {
        let r = officer.post_bytes(
            &format!(
                "/api/v1/covenants/{COV}/figures/import?file_name=m03.csv&submit=true&dry_run={dry_run}"
            ),
            csv(&rows).as_bytes(),
        );
        assert_eq!(r.json()["error"], "window_still_open", "{}", r.body);
    }
    assert_eq!(app.service.read().size, size, "nothing imported");
    // A draft is saved while the window runs.
    assert_eq!(import(false).status, 200);
    assert_eq!(report()["status"], "draft");
    // The home page asks for February alone (March not yet)...
    let home = || super::support::element_text(&officer.get("/").body, "todo-1", "p");
    assert!(home().starts_with("Nộp số liệu Tháng 2 của"), "{}", home());
    // The cut-off day: the button is there and the submission is taken, on time; the home
    // page asks for March too from that day.
    app.clock.as_ref().unwrap().set(day(14));
    assert!(home().contains("còn 2 kỳ chưa nộp số liệu"), "{}", home());
    let page = officer.get(&format!("/covenants/{COV}/figures/ca-kg/M03"));
    assert!(page.body.contains("id=\"save-submit\""), "{}", page.body);
    let r = officer.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M03/submit"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let submitted = report();
    assert_eq!(
        (submitted["status"].as_str(), submitted["late"].as_bool()),
        (Some("submitted"), Some(false)),
        "{submitted}"
    );
}

/// A figures file over the 32 MiB upload limit is refused on the page it was sent from, in
/// the page's language, which says the limit with its bytes, and nothing is imported (it answered `{"error":"too_large",…}`): a
/// unit's import on its report's page, the secretariat's historical import on the figures page.
#[test]
fn a_figures_file_over_the_limit_is_refused_on_its_page() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let size = app.service.read().size;
    let mut big = b"unit,element,period,value\n".to_vec();
    big.resize(33 * 1024 * 1024, b'0');
    let officer = signed_in(&app, "canbo-kg");
    let csrf = officer
        .get(&format!("/covenants/{COV}/figures/ca-kg/M03"))
        .csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("unit", "ca-kg"),
        ("window", "M03"),
    ];
    let (ct, body) = super::support::multipart(&fields, "lon.csv", "text/csv", &big);
    let path = format!("/covenants/{COV}/figures/import?unit=ca-kg&window=M03");
    let r = officer.post_raw(&path, &ct, &body);
    assert_eq!(r.status, 413, "{}", &r.body[..r.body.len().min(300)]);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(
        r.body.contains("Tệp lớn hơn 32 MiB (33.554.432 byte)")
            && r.body.contains("id=\"import-file\""),
        "the report's page with the message: {}",
        r.body
    );
    let secretariat = signed_in(&app, "thuky12");
    let csrf = secretariat.get(&format!("/covenants/{COV}/figures")).csrf();
    let (ct, body) =
        super::support::multipart(&[("csrf", csrf.as_str())], "lon.csv", "text/csv", &big);
    let path = format!("/covenants/{COV}/figures/historical?window=M03");
    let r = secretariat.post_raw(&path, &ct, &body);
    assert_eq!(r.status, 413, "{}", &r.body[..r.body.len().min(300)]);
    assert!(
        r.body.contains("id=\"historical-error\"")
            && r.body.contains("Tệp lớn hơn 32 MiB (33.554.432 byte)"),
        "{}",
        r.body
    );
    assert_eq!(app.service.read().size, size, "nothing is stored");
}

/// An import is planned for whoever sends it: another unit's leader and the supervisor are
/// refused (403) with nothing of Kiên Giang's draft in the answer, dry run or not; the unit's
/// officer sees the change from its draft. A historical dry run says, by unit and year, what
/// it would record. A template is only for a member of the covenant (Cần Thơ joins the cluster
/// in 2025), in XLSX or CSV, the same bytes every time.
#[test]
fn imports_and_templates_answer_only_what_the_caller_may_have() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let officer = signed_in(&app, "canbo-kg");
    let r = officer.put_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"),
        json!({"values": {"crimes": "91"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let file = b"unit,element,period,value\nCAKG,crimes,2024-M03,92\n";
    for who in ["lanhdao-ag", "giamsat12", "thuky12"] {
        let c = signed_in(&app, who);
        for dry in ["true", "false"] {
            let r = c.post_bytes(
                &format!("/api/v1/covenants/{COV}/figures/import?file_name=kg.csv&dry_run={dry}"),
                file,
            );
            assert_eq!(r.status, 403, "{who}: {}", r.body);
            assert!(
                !r.body.contains("91") && !r.body.contains("crimes"),
                "{who}: {}",
                r.body
            );
        }
    }
    // Whoever reports for no member is refused the same whatever the file holds: a file
    // with a bad row is not read for them (its errors were told before the refusal).
    let broken = b"unit,element,period,value\nCAKG,crimes,2024-M03,muoi\n";
    for (who, code) in [
        ("lanhdao-kg", "figures_by_officers"),
        ("thuky12", "forbidden"),
    ] {
        let r = signed_in(&app, who).post_bytes(
            &format!("/api/v1/covenants/{COV}/figures/import?file_name=kg.csv"),
            broken,
        );
        assert_eq!(
            (r.status, r.json()["error"].as_str()),
            (403, Some(code)),
            "{who}: {}",
            r.body
        );
    }
    let r = officer.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/import?file_name=kg.csv&dry_run=true"),
        file,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let change = &r.json()["reports"][0]["changes"][0];
    assert_eq!(
        (&change["before"], &change["after"]),
        (&json!("91"), &json!("92")),
        "{}",
        r.body
    );
    assert_eq!(r.json()["historical"], json!([]));
    // The historical dry run: what it would record, by unit and year.
    let secretariat = signed_in(&app, "thuky12");
    let history = b"unit,element,period,value\nCAKG,crimes,2022-M01,5\nCAKG,crimes,2022-M02,6\nCAAG,crimes,2023-M01,7\n";
    let r = secretariat.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/historical?file_name=old.csv&dry_run=true"),
        history,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    assert_eq!(body["reports"], json!([]), "{body}");
    assert_eq!(
        body["historical"],
        json!([
            {"unit": "ca-ag", "year": 2023, "windows": ["M01"], "values": 1},
            {"unit": "ca-kg", "year": 2022, "windows": ["M01", "M02"], "values": 2},
        ]),
        "{body}"
    );
    let r = officer.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/historical?file_name=old.csv&dry_run=true"),
        history,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // Templates: XLSX, the same bytes twice; CSV; any other format refused.
    let path = format!("/api/v1/covenants/{COV}/figures/template?unit=ca-kg&window=M03");
    let first = officer.get_bytes(&path);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(first == officer.get_bytes(&path), "two downloads differ");
    let csv = officer.get(&format!("{path}&format=csv"));
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    for bad in ["pdf", "csv2"] {
        let r = officer.get(&format!("{path}&format={bad}"));
        assert_eq!(
            (r.status, r.json()["error"].as_str()),
            (400, Some("invalid_query")),
            "{bad}: {}",
            r.body
        );
    }
    // Cần Thơ, of the cluster in 2025 but not a member of its 2024 covenant: its officer sees
    // the covenant and gets no template of it for its unit.
    grant_officer(&app, "canbo-dt", "ca-ct");
    let outsider = signed_in(&app, "canbo-dt");
    let r = outsider.get(&format!(
        "/api/v1/covenants/{COV}/figures/template?unit=ca-ct&window=M03"
    ));
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (422, Some("not_member")),
        "{}",
        r.body
    );
    assert_eq!(
        r.json()["message"],
        json!("unit «ca-ct» is not a member of covenant «gu-12-2024» (cluster «cum-12» in 2024)"),
        "{}",
        r.body
    );
}

#[test]
fn figures_over_http_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        flow(&app);
    }
}

/// Kiên Giang's leader explains its data-quality flag on the flags page: an empty text is
/// refused beside the open form; the explanation then shows beside the flag to whoever sees
/// the flag (the supervisor, in the API and the history too), never to another member; the
/// unit's officer and another unit's leader cannot explain it.
fn the_leader_explains_a_flag(
    leader: &super::support::Client,
    officer: &super::support::Client,
    supervisor: &super::support::Client,
    other: &super::support::Client,
) {
    let flags = format!("/covenants/{COV}/flags");
    let row = "flag-ca-kg-2024-Y-data_quality-";
    assert!(
        !officer.get(&flags).body.contains("/flags/explain"),
        "an officer does not explain"
    );
    let page = leader.get(&flags);
    assert!(
        page.body.contains(&format!("id=\"{row}-text\"")),
        "{}",
        page.body
    );
    let todo = "có 1 dấu hiệu bất thường chưa giải trình";
    let home = leader.get("/").body;
    assert!(home.contains(todo), "the leader's to-do");
    assert_eq!(
        super::support::todo_button(&home, &format!("{flags}?unit=ca-kg")),
        "Giải trình"
    );
    assert!(!officer.get("/").body.contains(todo), "the leader's alone");
    let follow = "có 1 dấu hiệu bất thường, 1 dấu hiệu chưa được đơn vị giải trình";
    assert!(
        supervisor.get("/").body.contains(follow),
        "the supervisor follows: {}",
        supervisor.get("/").body
    );
    assert!(!other.get("/").body.contains("dấu hiệu bất thường"));
    let explain = |c: &super::support::Client, text: &str| {
        let csrf = c.get(&flags).csrf();
        c.post_form(
            &format!("{flags}/explain"),
            &[
                ("csrf", csrf.as_str()),
                ("unit", "ca-kg"),
                ("period", "2024-Y"),
                ("kind", "data_quality"),
                ("subject", ""),
                ("f_unit", ""),
                ("f_kind", ""),
                ("page", "1"),
                ("text", text),
            ],
        )
    };
    let r = explain(leader, "   ");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("<title>Lỗi: Dấu hiệu bất thường trong số liệu: "),
        "the title says it first: {}",
        &r.body[..400]
    );
    assert!(
        r.body.contains("id=\"explain-error\"")
            && r.body.contains("<details class=\"noprint explain\" open>")
            && r.body.contains("aria-invalid=\"true\""),
        "refused beside the open form: {}",
        r.body
    );
    // Two lines typed in a browser arrive as CRLF: kept as one line break.
    let typed = "Tháng 3 nhập nhầm số vụ,\r\nđơn vị đã sửa ngay sau khi phát hiện";
    let text = "Tháng 3 nhập nhầm số vụ,\nđơn vị đã sửa ngay sau khi phát hiện";
    let r = explain(leader, typed);
    assert_eq!(r.status, 303, "{}", r.body);
    let back = format!("/covenants/{COV}/flags?page=1&done=explained&row={row}#{row}");
    assert_eq!(r.header("location").unwrap(), back);
    let page = leader.get(back.split('#').next().unwrap());
    let saved_row = &page.body[page.body.find(&format!("id=\"{row}\"")).expect("the row")..];
    assert!(
        saved_row.contains("role=\"status\" id=\"done\""),
        "the row says it was saved: {}",
        page.body
    );
    assert!(page.body.contains(text) && page.body.contains("Sửa giải trình"));
    // A second click of the same text writes nothing.
    let r = explain(leader, typed);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Giải trình này đã được lưu"), "{}", r.body);
    assert!(
        page.body.contains(&format!("{text}</textarea>")),
        "the form starts from the explanation"
    );
    assert!(
        !leader.get("/").body.contains(todo),
        "explained: no more to-do"
    );
    assert!(supervisor
        .get("/")
        .body
        .contains("có 1 dấu hiệu bất thường, 0 dấu hiệu chưa được đơn vị giải trình"));
    let api = supervisor
        .get(&format!("/api/v1/covenants/{COV}/flags"))
        .json();
    let e = &api["flags"][0]["explanation"];
    assert_eq!(
        (&e["text"], &e["by"]),
        (&json!(text), &json!("lanhdao-kg")),
        "{api}"
    );
    let seen = |c: &super::support::Client| {
        c.get("/api/v1/events?kind=flag_explained").json()["items"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((seen(supervisor), seen(leader), seen(other)), (1, 1, 0));
    assert!(!other.get(&flags).body.contains(text));
    for c in [officer, other] {
        let r = explain(c, "Không phải đơn vị mình");
        assert!(
            r.status == 403 || r.status == 404,
            "{}: {}",
            r.status,
            r.body
        );
    }
    // A covenant nobody has: not found, whoever asks (the refusal does not claim a page).
    let csrf = officer.get(&flags).csrf();
    let r = officer.post_form(
        "/covenants/khong-co-2024/flags/explain",
        &[
            ("csrf", csrf.as_str()),
            ("unit", "ca-kg"),
            ("period", "2024-Y"),
            ("kind", "data_quality"),
            ("text", "x"),
        ],
    );
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(seen(supervisor), 1, "nothing more was written");
    // The API takes the same command; the newest explanation is the one shown.
    let newer = "Đã rà soát lại: số liệu tháng 3 đúng sau khi sửa";
    let r = leader.post_json(
        "/api/v1/commands",
        json!({"command": "explain_flag", "covenant": COV, "unit": "ca-kg",
            "period": "2024-Y", "kind": "data_quality", "text": newer}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let api = supervisor
        .get(&format!("/api/v1/covenants/{COV}/flags"))
        .json();
    assert_eq!(api["flags"][0]["explanation"]["text"], newer, "{api}");
    assert_eq!(seen(supervisor), 2, "both stay in the log");
    // The CSV carries the newest explanation beside its flag.
    let csv = supervisor.get(&format!("/api/v1/covenants/{COV}/flags/export"));
    assert!(csv.body.ends_with(&format!(",{newer}\n")), "{}", csv.body);
}

/// Once next year's movement is launched, the secretariat's to-do drafts the covenant from the
/// cluster's last one in force, as the cluster page's first button does (it opened a blank
/// form).
#[test]
fn the_drafting_todo_starts_from_the_last_covenant() {
    use thidua_domain::{Actor, Command, MovementId};
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let movement = Command::CreateMovement {
        movement: MovementId::parse("vanttq-2025").unwrap(),
        name: thidua_domain::Text::parse("name", "Vì an ninh Tổ quốc", 200).unwrap(),
        year: 2025,
        plan_ref: thidua_domain::Text::parse("plan_ref", "15/KH-BCA", 200).unwrap(),
        slogan: None,
        calendar: thidua_domain::calendar::default_calendar(2025),
    };
    app.service.execute(&Actor::System, movement).unwrap();
    let home = signed_in(&app, "thuky12").get("/").body;
    let link = format!("/clusters/cum-12/covenants/new?year=2025&#38;from={COV}");
    assert!(home.contains(&format!("href=\"{link}\"")), "{home}");
}

/// When every late member owes only the latest window past its deadline, the secretariat's
/// home names that window, its deadline, how many have not submitted and who, in the order
/// of Vietnamese names; the members that submitted are not named.
#[test]
fn the_secretariat_is_told_the_latest_overdue_window_and_who_owes_it() {
    use thidua_domain::{Actor, Command, CovenantId, UnitId};
    let app = spawn(Backend::Sqlite).unwrap();
    let service = &app.service;
    let id = CovenantId::parse(COV).unwrap();
    let unit = |u: &str| UnitId::parse(u).unwrap();
    let hash = service.read().covenants[&id].latest().hash.clone();
    let signatures = ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"].map(|u| Command::SignCovenant {
        covenant: id.clone(),
        version: 1,
        unit: unit(u),
        hash: hash.clone(),
    });
    service
        .execute_all(&Actor::System, signatures.to_vec())
        .unwrap();
    super::support::approved_year(service, COV, &["ca-ag", "ca-hg", "ca-cm"], |i, _, _| {
        super::support::full_figures(service, COV, 7 + i as i64)
    });
    // Kiên Giang and Bạc Liêu submitted every month but the last.
    let cmds = ["ca-kg", "ca-bl"]
        .into_iter()
        .flat_map(|u| {
            super::support::monthly_reports(COV, u, 1..=11, false, |_| {
                super::support::full_figures(service, COV, 7)
            })
        })
        .collect();
    service.execute_all(&Actor::System, cmds).unwrap();
    let deadline = {
        let state = service.read();
        let d = state.figures_deadline(&id, "M12").unwrap();
        d.format("%d/%m/%Y").to_string()
    };
    let home = signed_in(&app, "thuky12").get("/").body;
    let at = home
        .find("Đã quá hạn nộp số liệu ")
        .unwrap_or_else(|| panic!("no overdue to-do: {home}"));
    let item = &home[at..at + home[at..].find("</p>").unwrap()];
    let said = super::support::without_tags(item);
    assert_eq!(
        said,
        format!(
            "Đã quá hạn nộp số liệu Tháng 12 ({deadline}): 2 đơn vị chưa nộp — \
             Công an tỉnh Bạc Liêu, Công an tỉnh Kiên Giang."
        )
    );
}

/// A pasted column that does not fit the form is refused before it touches the grid: a
/// heading copied with the column (one line too many) is named and its removal suggested,
/// any other count says how many lines came for how many elements, and a row of cells (tabs)
/// asks for one figure per line. The grid comes back as it was sent, the box with what was
/// pasted, and nothing is saved. (A heading and 23 figures once moved every figure one row
/// down and said only "Giá trị không hợp lệ.")
#[test]
fn a_pasted_column_that_does_not_fit_the_form_is_refused_before_the_grid() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let n = element_count(&app);
    let officer = signed_in(&app, "canbo-kg");
    let path = format!("/covenants/{COV}/figures/ca-kg/M03");
    let csrf = officer.get(&path).csrf();
    let size = app.service.read().size;
    let figures: Vec<String> = (1..=n).map(|i| (100 + i).to_string()).collect();
    let with_heading = format!("Số liệu\r\n{}", figures.join("\r\n"));
    let short = figures[1..].join("\r\n");
    // A heading copied with a column one figure short: as many lines as elements.
    let heading_short = format!("Số liệu\r\n{short}");
    // The whole column with one figure mistyped on line 6: the line and its element are named,
    // and no heading is suspected (it said "có lẽ có dòng tiêu đề" for any line).
    let mut mistyped = figures.clone();
    mistyped[5] = "abc".to_owned();
    let mistyped = mistyped.join("\r\n");
    let sixth = {
        let id = thidua_domain::CovenantId::parse(COV).unwrap();
        app.service.read().reporting_form(&id).unwrap().elements[5]
            .name
            .clone()
    };
    let cases = [
        (
            with_heading.as_str(),
            vec![
                format!("Đã dán {} dòng nhưng biểu mẫu có {n} số liệu", n + 1),
                "Dòng đầu «Số liệu» không phải số liệu".to_owned(),
                "hãy bỏ dòng đó rồi dán lại".to_owned(),
            ],
        ),
        (
            short.as_str(),
            vec![format!(
                "Đã dán {} dòng nhưng biểu mẫu có {n} số liệu",
                n - 1
            )],
        ),
        (
            heading_short.as_str(),
            vec![
                "Dòng 1 «Số liệu» không phải số liệu".to_owned(),
                "Chưa ô nào được thay đổi".to_owned(),
            ],
        ),
        (
            mistyped.as_str(),
            vec![
                format!("Dòng 6 «abc» (ứng với {sixth}) không phải số liệu"),
                "hãy sửa dòng đó rồi dán lại".to_owned(),
            ],
        ),
        (
            "190\t11\t272",
            vec![
                "Dòng 1 có 3 ô".to_owned(),
                "mỗi dòng một số liệu".to_owned(),
            ],
        ),
    ];
    for (paste, said) in cases {
        let r = officer.post_form(
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("v_crimes", "5"),
                ("paste", paste),
                ("action", "save"),
            ],
        );
        assert_eq!(r.status, 422, "{paste}: {}", r.body);
        let error = super::support::element_text(&r.body, "paste-error", "p");
        for s in &said {
            assert!(error.contains(s.as_str()), "{paste}: «{s}» in «{error}»");
        }
        if paste == mistyped {
            assert!(!error.contains("tiêu đề"), "no heading in «{error}»");
        }
        assert!(
            !r.body.contains("Giá trị không hợp lệ") && !r.body.contains("id=\"grid-errors\""),
            "no cell took a pasted line: {}",
            r.body
        );
        assert!(
            r.body.contains("name=\"v_crimes\" value=\"5\"")
                && !r.body.contains("value=\"Số liệu\"")
                && !r.body.contains("value=\"190\""),
            "the grid keeps what it had: {}",
            r.body
        );
        assert!(
            r.body
                .contains(&format!(">{}</textarea>", paste.replace('\t', "&#9;")))
                || r.body.contains(&format!(">{paste}</textarea>")),
            "the box keeps what was pasted: {}",
            r.body
        );
    }
    // In English too.
    switch_lang(&officer, "en");
    let r = officer.post_form(
        &path,
        &[
            ("csrf", csrf.as_str()),
            ("paste", with_heading.as_str()),
            ("action", "save"),
        ],
    );
    let error = super::support::element_text(&r.body, "paste-error", "p");
    assert!(
        error.contains(&format!(
            "{} lines were pasted but the form has {n} elements",
            n + 1
        )) && error.contains("remove that line and paste again"),
        "{error}"
    );
    assert_eq!(app.service.read().size, size, "nothing saved");
    // The column without its heading fills the grid, a figure per element.
    switch_lang(&officer, "vi");
    let r = officer.post_form(
        &path,
        &[
            ("csrf", csrf.as_str()),
            ("paste", &format!("{}\r\n\r\n", figures.join("\r\n"))),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let saved = officer
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
        .json();
    let values: Vec<String> = saved["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(values, figures);
}

/// A file holding another unit's figures, imported on a unit's report page, is refused with a
/// 422 that says whose figures the file holds — not a bare 403 (Kiên Giang's officer with Cà
/// Mau's template), nor "not this window" although it is (Cà Mau's officer posting the same
/// file to Kiên Giang's page) — and nothing changes. Through the API, a leader (who approves
/// and does not enter figures) is refused for the unit the file names: another unit's figures
/// are plainly forbidden, its own unit's named (it named the leader's unit whatever the file
/// held).
#[test]
fn a_file_of_another_unit_is_refused_naming_whose_figures_it_holds() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    grant_officer(&app, "canbo-dt", "ca-cm");
    let kg = signed_in(&app, "canbo-kg");
    let cm = signed_in(&app, "canbo-dt");
    let template = cm.get_bytes(&format!(
        "/api/v1/covenants/{COV}/figures/template?unit=ca-cm&window=M02&format=xlsx"
    ));
    let size = app.service.read().size;
    for (who, c) in [("canbo-kg", &kg), ("canbo-cm", &cm)] {
        let page = c.get(&format!("/covenants/{COV}/figures/ca-kg/M02"));
        let csrf = page.csrf();
        let fields = [
            ("csrf", csrf.as_str()),
            ("unit", "ca-kg"),
            ("window", "M02"),
            ("dry_run", "1"),
        ];
        let (ct, body) = super::support::multipart(
            &fields,
            "mau-ca-mau.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &template,
        );
        let r = c.post_raw(
            &format!("/covenants/{COV}/figures/import?unit=ca-kg&window=M02"),
            &ct,
            &body,
        );
        if who == "canbo-cm" {
            // Cà Mau's officer may not report Kiên Giang's figures: refused as such before the
            // file is read (it was told what the file holds, a content error).
            assert_eq!(r.status, 403, "{who}: {}", r.body);
            assert!(!r.body.contains("Tệp này chứa"), "{who}: {}", r.body);
            continue;
        }
        assert_eq!(r.status, 422, "{who}: {}", r.body);
        let said = super::support::element_text(&r.body, "import-errors", "section");
        assert!(
            said.contains("Tệp này chứa số liệu của Công an tỉnh Cà Mau, không phải của Công an tỉnh Kiên Giang")
                && !said.contains("Tháng 2"),
            "{who}: {said}"
        );
    }
    // The API's steps and saves check the right on the unit before the body: an officer
    // approving (no revision), another unit's officer saving (a bad body) get 403, not 422.
    let r = kg.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M02/approve"),
        json!({}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = cm.put_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M02"),
        json!({"values": 5}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = kg.put_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M02"),
        json!({"values": 5}),
    );
    assert_eq!(
        r.status, 422,
        "the unit's officer is told the body is wrong: {}",
        r.body
    );
    // The window's page of Kiên Giang's own file still says which window it holds.
    let file = b"unit,element,period,value\nCAKG,crimes,2024-M05,3\n";
    let csrf = kg
        .get(&format!("/covenants/{COV}/figures/ca-kg/M04"))
        .csrf();
    let (ct, body) = super::support::multipart(
        &[("csrf", &csrf), ("unit", "ca-kg"), ("window", "M04")],
        "kg.csv",
        "text/csv",
        file,
    );
    let r = kg.post_raw(
        &format!("/covenants/{COV}/figures/import?unit=ca-kg&window=M04"),
        &ct,
        &body,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let said = super::support::element_text(&r.body, "import-errors", "section");
    assert!(
        said.contains("Tệp này chứa số liệu của Tháng 5, không phải của kỳ trên trang này"),
        "{said}"
    );
    // In English the window is named in English, as the page names it.
    switch_lang(&kg, "en");
    let r = kg.post_raw(
        &format!("/covenants/{COV}/figures/import?unit=ca-kg&window=M04"),
        &ct,
        &body,
    );
    let said = super::support::element_text(&r.body, "import-errors", "section");
    assert!(
        said.contains("This file holds the figures of Month 5, not those of this page"),
        "{said}"
    );
    switch_lang(&kg, "vi");
    assert_eq!(app.service.read().size, size, "nothing imported");
    // The API: An Giang's leader with a row of Kiên Giang is forbidden, with one of An Giang
    // told that its officers enter An Giang's figures.
    let leader = signed_in(&app, "lanhdao-ag");
    for (row, code, named) in [
        ("CAKG", "forbidden", None),
        ("CAAG", "figures_by_officers", Some("Công an tỉnh An Giang")),
    ] {
        let r = leader.post_bytes(
            &format!("/api/v1/covenants/{COV}/figures/import?file_name=x.csv&dry_run=true"),
            format!("unit,element,period,value\n{row},crimes,2024-M03,4\n").as_bytes(),
        );
        assert_eq!(
            (r.status, r.json()["error"].as_str()),
            (403, Some(code)),
            "{row}: {}",
            r.body
        );
        let body = r.json();
        let message = body["errors"][0]["message_vi"].as_str().unwrap_or_default();
        match named {
            Some(name) => assert!(
                message.contains(name) && !message.contains("Kiên Giang"),
                "{row}: {}",
                r.body
            ),
            None => assert!(
                !r.body.contains("An Giang") && !r.body.contains("ca-ag"),
                "{row}: {}",
                r.body
            ),
        }
    }
}

/// A reopening refused for its reason (over 1000 characters) comes back with the reason as
/// typed, beside its message, to be shortened rather than typed again (the box was emptied);
/// the reason's box and the grid's comments say their limit (`maxlength`), and the rules'
/// names theirs.
#[test]
fn a_refused_reopening_keeps_its_reason() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let leader = signed_in(&app, "lanhdao-kg");
    let path = format!("/covenants/{COV}/figures/ca-kg/M01");
    let page = leader.get(&path);
    assert!(
        page.body
            .contains("<input id=\"reason\" name=\"reason\" size=\"50\" maxlength=\"1000\""),
        "{}",
        page.body
    );
    let reason = format!("Bổ sung {}", "số liệu ".repeat(130));
    let r = leader.post_form(
        &format!("{path}/step"),
        &[
            ("csrf", &page.csrf()),
            ("action", "reopen"),
            ("reason", &reason),
        ],
    );
    assert!(r.status >= 400 && r.status < 500, "{}", r.body);
    assert!(
        r.body.contains(&format!("value=\"{reason}\"")) && r.body.contains("id=\"reason-error\""),
        "{}",
        r.body
    );
    let status = leader
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M01"))
        .json();
    assert_eq!(status["status"], "submitted", "nothing reopened");
    // Only the unit's leader reopens: anyone else posting the form with no reason (the
    // supervisors, another unit's leader) is told so, not that the reason is missing.
    for user in ["giamsat-bo", "giamsat12", "lanhdao-ag"] {
        let c = signed_in(&app, user);
        let csrf = c.get(&format!("/covenants/{COV}/figures")).csrf();
        let r = c.post_form(
            &format!("{path}/step"),
            &[("csrf", &csrf), ("action", "reopen"), ("reason", "")],
        );
        assert_eq!(r.status, 403, "{user}: {}", r.body);
        assert!(r.body.contains("<h1>Không có quyền</h1>"), "{}", r.body);
        let r = c.post_json(
            &format!("/api/v1/covenants/{COV}/figures/ca-kg/M01/reopen"),
            serde_json::json!({"reason": ""}),
        );
        assert_eq!(r.status, 403, "{user}: {}", r.body);
    }
    let officer = signed_in(&app, "canbo-kg");
    let grid = officer
        .get(&format!("/covenants/{COV}/figures/ca-kg/M03"))
        .body;
    assert!(
        grid.contains("name=\"c_crimes\" value=\"\" maxlength=\"1000\""),
        "{grid}"
    );
    let rules = signed_in(&app, "thuky12")
        .get(&format!("/covenants/{COV}/figures/rules"))
        .body;
    assert!(rules.contains("maxlength=\"500\""), "{rules}");
}

/// The secretariat's historical import of figures that already exist lists every conflicting
/// row in the file's table of errors (row, column, reason), the unit by name and the period as
/// users name it, in Vietnamese and English; nothing is imported. (It said only "Số liệu của
/// Công an tỉnh Bạc Liêu kỳ 2023-M05 đã có.")
#[test]
fn a_historical_import_lists_every_row_whose_figures_exist() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let secretariat = signed_in(&app, "thuky12");
    let r = secretariat.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/historical?file_name=may.csv"),
        b"unit,element,period,value\nCABL,crimes,2023-M05,4\n",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let size = app.service.read().size;
    let file = b"unit,element,period,value\nCABL,crimes,2023-M06,1\nCABL,crimes,2023-M05,2\nCABL,personnel,2023-M05,3\n";
    for (lang, said) in [
        (
            "vi",
            "số liệu của Công an tỉnh Bạc Liêu kỳ Tháng 5/2023 đã có",
        ),
        (
            "en",
            "the figures of Công an tỉnh Bạc Liêu for Month 5/2023 already exist",
        ),
    ] {
        switch_lang(&secretariat, lang);
        let page = secretariat.get(&format!("/covenants/{COV}/figures"));
        let (ct, body) = super::support::multipart(
            &[("csrf", &page.csrf()), ("window", "M03")],
            "lich-su.csv",
            "text/csv",
            file,
        );
        let r = secretariat.post_raw(&format!("/covenants/{COV}/figures/historical"), &ct, &body);
        assert_eq!(r.status, 422, "{}", r.body);
        let table = &r.body[r.body.find("id=\"import-errors\"").expect("a table")..];
        let rows: Vec<String> = table
            .split("<tr class=\"import-error\">")
            .skip(1)
            .map(|row| super::support::without_tags(row.split("</tr>").next().unwrap()))
            .collect();
        assert_eq!(rows.len(), 2, "{lang}: {rows:?}");
        for (row, line) in rows.iter().zip(["3", "4"]) {
            assert!(
                row.starts_with(&format!("lich-su.csv{line}C (period)")) && row.contains(said),
                "{lang}: {row}"
            );
        }
    }
    // The API says the same, row by row.
    let r = secretariat.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/historical?file_name=lich-su.csv&dry_run=true"),
        file,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let rows: Vec<u64> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [3, 4], "{}", r.body);
    assert_eq!(app.service.read().size, size, "nothing imported");
}

/// The report page's words: a report with no figures reads "No figures yet" in English (it
/// read "Status: None"); a dry run answers with the import form's boxes as they were set (the
/// submit box came back unticked); an import with "submit after import" ticked says it was
/// submitted to the leader too (it said only that the figures were imported).
#[test]
fn the_report_page_says_what_an_import_did_and_keeps_its_boxes() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let officer = signed_in(&app, "canbo-kg");
    let path = format!("/covenants/{COV}/figures/ca-kg/M03");
    switch_lang(&officer, "en");
    let page = officer.get(&path);
    assert_eq!(
        super::support::element_text(&page.body, "status", "dd"),
        "No figures yet"
    );
    switch_lang(&officer, "vi");
    let rows = full_rows(&app, 4);
    let rows: Vec<(&str, &str)> = rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let file = csv(&rows);
    let import = |extra: &[(&str, &str)]| {
        let csrf = officer.get(&path).csrf();
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("unit", "ca-kg"),
            ("window", "M03"),
        ];
        fields.extend_from_slice(extra);
        let (ct, body) = super::support::multipart(&fields, "m03.csv", "text/csv", file.as_bytes());
        officer.post_raw(
            &format!("/covenants/{COV}/figures/import?unit=ca-kg&window=M03"),
            &ct,
            &body,
        )
    };
    let r = import(&[("dry_run", "1"), ("submit", "1")]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("id=\"dry-run\"")
            && r.body.contains("id=\"import-dry\" checked")
            && r.body.contains("id=\"import-submit\" checked"),
        "{}",
        r.body
    );
    let r = import(&[("submit", "1")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let done = officer.get(r.header("location").unwrap());
    assert_eq!(
        super::support::element_text(&done.body, "done", "p"),
        "Đã nhập số liệu từ tệp và đã gửi lãnh đạo duyệt."
    );
    switch_lang(&officer, "en");
    let done = officer.get(r.header("location").unwrap());
    assert_eq!(
        super::support::element_text(&done.body, "done", "p"),
        "Figures imported from the file and submitted to the leader for approval."
    );
    let report = officer
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
        .json();
    assert_eq!(report["status"], "submitted");
}

/// A window's overview past its deadline: another unit's report submitted but not approved
/// reads as "not published", never "no figures" (it read "Quá hạn, chưa có số liệu"), and
/// exactly as a unit that reported nothing does, on the page and in the API; the viewer's own
/// unit with a draft only is told it has not submitted.
#[test]
fn an_overdue_report_of_another_unit_reads_as_not_published() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    // An Giang's January is submitted, not approved; Hậu Giang has reported nothing.
    let officer = signed_in(&app, "canbo-kg");
    let page = officer
        .get(&format!("/covenants/{COV}/figures?window=M01"))
        .body;
    let row = |unit: &str| {
        let at = page.find(&format!("<tr id=\"unit-{unit}\">")).unwrap();
        let row = &page[at..at + page[at..].find("</tr>").unwrap()];
        super::support::without_tags(row)
    };
    let (ag, hg) = (row("ca-ag"), row("ca-hg"));
    assert!(
        ag.contains("Quá hạn, chưa công bố số liệu") && !ag.contains("chưa có số liệu"),
        "{ag}"
    );
    assert_eq!(
        ag.replace("Công an tỉnh An Giang", ""),
        hg.replace("Công an tỉnh Hậu Giang", ""),
        "a submission reads as nothing published"
    );
    let window = officer
        .get(&format!("/api/v1/covenants/{COV}/figures?window=M01"))
        .json();
    let status = |unit: &str| {
        let mut u = super::support::unit_entry(&window, unit).clone();
        u.as_object_mut().unwrap().remove("unit");
        u
    };
    assert_eq!(status("ca-ag"), status("ca-hg"));
    assert_eq!(
        (&status("ca-ag")["status"], &status("ca-ag")["overdue"]),
        (&json!("not_published"), &json!(true))
    );
    // Kiên Giang's own February, a draft: not submitted.
    let page = officer
        .get(&format!("/covenants/{COV}/figures?window=M02"))
        .body;
    assert_eq!(
        super::support::element_text(&page, "overdue-ca-kg", "span"),
        "Quá hạn, chưa gửi số liệu"
    );
    switch_lang(&officer, "en");
    let page = officer
        .get(&format!("/covenants/{COV}/figures?window=M01"))
        .body;
    assert_eq!(
        super::support::element_text(&page, "overdue-ca-ag", "span"),
        "Overdue, figures not published"
    );
}

/// A report submitted after its deadline stays late when the secretariat later moves the
/// deadline, and says which deadline it missed — the one in force when it was submitted —
/// beside the new one, on the report page, in the window's overview and in the API (the page
/// showed "Hạn nộp: 31/12/2026" beside a bare "Nộp muộn"). Others learn it once published.
#[test]
fn a_late_report_names_the_deadline_it_missed() {
    let app = spawn(Backend::Sqlite).unwrap();
    // Kiên Giang's January is submitted now, long after its deadline (16/01/2024).
    super::support::load_figures(&app.service);
    let secretariat = signed_in(&app, "thuky12");
    let page = secretariat.get(&format!("/covenants/{COV}/figures?window=M01"));
    let r = secretariat.post_form(
        &format!("/covenants/{COV}/figures/deadline"),
        &[
            ("csrf", &page.csrf()),
            ("window", "M01"),
            ("deadline", "31/12/2026"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let officer = signed_in(&app, "canbo-kg");
    let report = officer
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M01"))
        .json();
    assert_eq!(
        (
            &report["late"],
            &report["submission_deadline"],
            &report["deadline"]
        ),
        (&json!(true), &json!("2024-01-16"), &json!("2026-12-31")),
        "{report}"
    );
    let page = officer
        .get(&format!("/covenants/{COV}/figures/ca-kg/M01"))
        .body;
    assert_eq!(
        super::support::element_text(&page, "deadline", "dd"),
        "31/12/2026"
    );
    assert_eq!(
        super::support::element_text(&page, "late", "span"),
        "Nộp muộn (hạn khi nộp: 16/01/2024)"
    );
    assert!(!page.contains("id=\"overdue\""), "submitted: {page}");
    assert_eq!(report["overdue"], json!(false), "submitted: {report}");
    let overview =
        |c: &super::support::Client| c.get(&format!("/covenants/{COV}/figures?window=M01")).body;
    assert_eq!(
        super::support::element_text(&overview(&officer), "late-ca-kg", "span"),
        "Nộp muộn (hạn khi nộp: 16/01/2024)"
    );
    let window = officer
        .get(&format!("/api/v1/covenants/{COV}/figures?window=M01"))
        .json();
    assert_eq!(
        super::support::unit_entry(&window, "ca-kg")["submission_deadline"],
        json!("2024-01-16")
    );
    // Another unit learns nothing of it before it is published; then the same.
    let other = signed_in(&app, "lanhdao-ag");
    assert!(!overview(&other).contains("id=\"late-ca-kg\""));
    let seen = other
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M01"))
        .json();
    assert_eq!(
        (&seen["late"], &seen["submission_deadline"]),
        (&json!(false), &json!(null))
    );
    let r = signed_in(&app, "lanhdao-kg").post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M01/approve"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    switch_lang(&other, "en");
    assert_eq!(
        super::support::element_text(&overview(&other), "late-ca-kg", "span"),
        "Late (deadline when submitted: 16/01/2024)"
    );
    let page = other
        .get(&format!("/covenants/{COV}/figures/ca-kg/M01"))
        .body;
    assert_eq!(
        super::support::element_text(&page, "late", "span"),
        "Late (deadline when submitted: 16/01/2024)"
    );
}

/// Only the unit's leader explains its flags, and only a member's: anyone else posting the form
/// with no text (the supervisors, the unit's officer, another member's leader, the leader of a
/// unit that is not a member) is told it is not theirs, not that the text is missing; the
/// unit's leader is told what the text lacks.
#[test]
fn only_a_members_leader_explains_its_flags() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    // Kiên Giang's leader leads Đồng Tháp too, a unit outside the cluster.
    app.service
        .execute(
            &thidua_domain::Actor::System,
            thidua_domain::Command::GrantRole {
                user: thidua_domain::UserId::parse("lanhdao-kg").unwrap(),
                role: thidua_domain::model::Role::Leader {
                    unit: thidua_domain::UnitId::parse("ca-dt").unwrap(),
                },
            },
        )
        .unwrap();
    let explain = |user: &str, unit: &str| {
        let c = signed_in(&app, user);
        let csrf = c.get(&format!("/covenants/{COV}/figures")).csrf();
        c.post_form(
            &format!("/covenants/{COV}/flags/explain"),
            &[
                ("csrf", csrf.as_str()),
                ("unit", unit),
                ("period", ""),
                ("kind", ""),
                ("text", ""),
            ],
        )
    };
    for (user, unit) in [
        ("giamsat-bo", "ca-kg"),
        ("giamsat12", "ca-kg"),
        ("canbo-kg", "ca-kg"),
        ("lanhdao-ag", "ca-kg"),
        ("lanhdao-kg", "ca-dt"),
    ] {
        let r = explain(user, unit);
        assert_eq!(r.status, 403, "{user} for {unit}: {}", r.body);
        assert!(r.body.contains("<h1>Không có quyền</h1>"), "{}", r.body);
    }
    let r = explain("lanhdao-kg", "ca-kg");
    assert_eq!(r.status, 422, "the leader's own form: {}", r.body);
}

/// Makes `user` an officer of `unit` as well (a fixture account acting for a unit it lacks).
fn grant_officer(app: &TestApp, user: &str, unit: &str) {
    app.service
        .execute(
            &thidua_domain::Actor::System,
            thidua_domain::Command::GrantRole {
                user: thidua_domain::UserId::parse(user).unwrap(),
                role: thidua_domain::model::Role::Officer {
                    unit: thidua_domain::UnitId::parse(unit).unwrap(),
                },
            },
        )
        .unwrap();
}

/// A member whose last year's figures are missing (Cần Thơ in 2025: neither it nor Hậu Giang
/// and Sóc Trăng, which merged into it, have approved figures of 2024) is told so on its
/// report, with who imports earlier years and a link to where.
#[test]
fn a_missing_same_period_says_who_imports_earlier_years_and_where() {
    let app = spawn(Backend::Sqlite).unwrap();
    let covenant = super::support::signed_2025_covenant(&app.service);
    let page = signed_in(&app, "thuky12")
        .get(&format!("/covenants/{covenant}/figures/ca-ct/M01"))
        .body;
    let notice = super::support::element_text(&page, "same-period-missing", "p");
    assert!(
        notice.starts_with("Chưa tính được cùng kỳ của kỳ này")
            && notice.contains("Công an tỉnh Hậu Giang")
            && notice.contains("Thư ký cụm nhập số liệu đã phê duyệt của các năm trước"),
        "{notice}"
    );
    assert!(
        page.contains(&format!(
            "href=\"/covenants/{covenant}/figures#historical\" id=\"historical-link\""
        )),
        "{page}"
    );
}

/// The values of a report's figures as the grid shows them (a decimal comma), by element.
fn grid_values(c: &super::support::Client, window: &str) -> Vec<(String, String)> {
    c.get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/{window}"))
        .json()["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let v = e["value"].as_str().unwrap_or_default().replace('.', ",");
            (e["id"].as_str().unwrap().to_owned(), v)
        })
        .collect()
}

/// The grid posted as the page sends it: every figure and comment, `changed` over the report's
/// figures, `comments` by element.
fn post_grid(
    c: &super::support::Client,
    window: &str,
    changed: &[(&str, &str)],
    comments: &[(&str, &str)],
    action: &str,
) -> super::support::Resp {
    let path = format!("/covenants/{COV}/figures/ca-kg/{window}");
    let csrf = c.get(&path).csrf();
    let mut fields: Vec<(String, String)> =
        vec![("csrf".into(), csrf), ("action".into(), action.into())];
    for (id, v) in grid_values(c, window) {
        let v = changed
            .iter()
            .find(|(k, _)| *k == id)
            .map_or(v, |(_, v)| (*v).to_owned());
        let comment = comments.iter().find(|(k, _)| *k == id).map_or("", |c| c.1);
        fields.push((format!("v_{id}"), v));
        fields.push((format!("c_{id}"), comment.to_owned()));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post_form(&path, &fields)
}

/// A correction, as the tester did it: the leader reopens January; the officer's page says
/// what to do and the leader's import box that the unit's officer corrects it (no longer "to
/// import again, the leader reopens it"); a saved draft comes back at the grid, which a second
/// "skip" link reaches; the correction changes a figure and its comment, and its record — in
/// the API and on the page — shows both changes and names who submitted it and who approved it.
#[test]
fn a_correction_shows_its_changed_comments_and_who_submitted_it() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let officer = signed_in(&app, "canbo-kg");
    let leader = signed_in(&app, "lanhdao-kg");
    let page = format!("/covenants/{COV}/figures/ca-kg/M01");
    let api = format!("/api/v1/covenants/{COV}/figures/ca-kg/M01");
    let approve = |revision: u64| {
        let r = leader.post_json(&format!("{api}/approve"), json!({ "revision": revision }));
        assert_eq!(r.status, 200, "{}", r.body);
    };
    let reopen = |reason: &str| {
        let csrf = leader.get(&page).csrf();
        let r = leader.post_form(
            &format!("{page}/step"),
            &[("csrf", &csrf), ("action", "reopen"), ("reason", reason)],
        );
        assert_eq!(r.status, 303, "{}", r.body);
    };
    // Not yet submitted, the leader's page says who enters the figures.
    let m02 = leader
        .get(&format!("/covenants/{COV}/figures/ca-kg/M02"))
        .body;
    let closed = super::support::element_text(&m02, "import-closed", "p");
    assert!(
        closed.contains("Cán bộ của đơn vị nhập số liệu"),
        "{closed}"
    );
    approve(1);
    reopen("Bổ sung ghi chú đối chiếu");
    // The leader's page: reopened, waiting for the officer, not "reopen it to import again".
    let seen = leader.get(&page).body;
    let closed = super::support::element_text(&seen, "import-closed", "p");
    assert!(
        closed.contains("Báo cáo đã được mở lại để điều chỉnh")
            && closed.contains("cán bộ của đơn vị sửa số liệu")
            && !closed.contains("lãnh đạo đơn vị mở lại báo cáo"),
        "{closed}"
    );
    let todo = super::support::element_text(&seen, "reopened-todo", "p");
    assert!(todo.contains("Đang chờ cán bộ của đơn vị"), "{todo}");
    // The officer's page says what to do, with the button's words.
    let seen = officer.get(&page).body;
    let todo = super::support::element_text(&seen, "reopened-todo", "p");
    assert!(
        todo.contains("sửa số liệu hoặc ghi chú") && todo.contains("«Lưu và gửi lãnh đạo duyệt»"),
        "{todo}"
    );
    // A second skip link leads to the grid; a saved draft comes back there, saying so there.
    assert!(
        seen.contains(
            "<a class=\"skip\" href=\"#grid-card\" id=\"skip-to\">Chuyển đến bảng số liệu</a>"
        ),
        "{seen}"
    );
    let comment = "Số liệu tạm, chờ PC02 đối chiếu";
    let r = post_grid(&officer, "M01", &[], &[("crimes", comment)], "save");
    assert_eq!(r.status, 303, "{}", r.body);
    let back = r.header("location").unwrap().to_owned();
    assert_eq!(back, format!("{page}?done=saved#grid-card"));
    let saved = officer.get(&back).body;
    let card = &saved[saved.find("id=\"grid-card\"").expect("the grid's card")..];
    assert!(
        card.contains("id=\"done\"") && card.contains("Đã lưu số liệu"),
        "the saved notice is at the grid: {saved}"
    );
    let r = post_grid(&officer, "M01", &[], &[("crimes", comment)], "submit");
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        !r.header("location").unwrap().contains('#'),
        "a submission comes back at the top"
    );
    // Submitted as saved: the saved revision 2, no save of nothing before it.
    approve(2);
    reopen("Đã đối chiếu với PC02");
    let crimes_before = grid_values(&officer, "M01")
        .into_iter()
        .find(|(k, _)| k == "crimes")
        .unwrap()
        .1;
    let r = post_grid(
        &officer,
        "M01",
        &[("crimes", "11")],
        &[("crimes", "Đã đối chiếu với PC02")],
        "submit",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    approve(3);
    let seen = leader.get(&api).json();
    let approvals = seen["approvals"].as_array().unwrap();
    assert_eq!(approvals.len(), 3, "{seen}");
    // The first correction added a comment only: its figure is unchanged.
    assert_eq!(
        approvals[1]["changes"],
        json!([{"element": "crimes", "name": approvals[1]["changes"][0]["name"],
            "before": crimes_before, "after": crimes_before,
            "comment_changed": true, "comment_after": comment}]),
        "{seen}"
    );
    let last = &approvals[2];
    assert_eq!(
        last["changes"],
        json!([{"element": "crimes", "name": last["changes"][0]["name"],
            "before": crimes_before, "after": "11",
            "comment_changed": true, "comment_before": comment,
            "comment_after": "Đã đối chiếu với PC02"}]),
        "{seen}"
    );
    assert_eq!(last["submitted_by"], "Cán Bộ Kiên Giang", "{seen}");
    assert_eq!(last["by"], "Lãnh Đạo Kiên Giang", "{seen}");
    assert_eq!(
        approvals[0]["submitted_by"], "system",
        "load_figures submitted it"
    );
    // Another unit reads the same record on the page.
    let other = signed_in(&app, "lanhdao-ag");
    let shown = other.get(&page).body;
    let record = super::support::element_text(&shown, "approval-3", "div");
    assert!(
        record.contains("Người nhập và gửi: Cán Bộ Kiên Giang")
            && record.contains("Người phê duyệt: Lãnh Đạo Kiên Giang")
            && record.contains("Lý do: Đã đối chiếu với PC02"),
        "{record}"
    );
    let third = &shown[shown.find("id=\"approval-3\"").unwrap()..];
    // Each correction's rows have ids of their own (the revision approved, then the element).
    let row = super::support::element_text(third, "change-3-comment-crimes", "tr");
    assert!(
        row.contains(comment) && row.contains("Đã đối chiếu với PC02"),
        "{row}"
    );
    assert!(super::support::element_text(third, "change-3-crimes", "tr").contains("11"));
    let first = super::support::element_text(&shown, "approval-2", "div");
    assert!(first.contains(comment), "{first}");
    assert!(!shown
        [shown.find("id=\"approval-2\"").unwrap()..shown.find("id=\"approval-3\"").unwrap()]
        .contains("<tr class=\"change\" id="));
    // A correction approved with nothing changed says so, not an empty table.
    reopen("Kiểm tra lại, không sai");
    let same = [("crimes", "Đã đối chiếu với PC02")];
    let r = post_grid(&officer, "M01", &[], &same, "submit");
    assert_eq!(r.status, 303, "{}", r.body);
    let revision = leader.get(&api).json()["revision"].as_u64().unwrap();
    approve(revision);
    let shown = leader.get(&page).body;
    let record = super::support::element_text(&shown, "approval-4", "div");
    assert!(
        record.contains("Không thay đổi số liệu hay ghi chú nào so với lần phê duyệt trước."),
        "{record}"
    );
}

/// A column pasted into one cell of the grid (a browser's text box joins its lines with
/// spaces) is refused saying it looks like a pasted column and pointing to the paste box; a
/// cell that also reads as one number with a space between thousands says how to write it.
/// The paste box reads "1 650" (a space or a no-break space between groups of three digits)
/// as the grid reads "1.650", and names a space that is no such grouping.
#[test]
fn a_column_pasted_into_one_cell_points_to_the_paste_box() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let officer = signed_in(&app, "canbo-kg");
    let path = format!("/covenants/{COV}/figures/ca-kg/M03");
    let csrf = officer.get(&path).csrf();
    let size = app.service.read().size;
    for (typed, hint) in [
        ("160 9 250", false),
        ("160\r\n9\r\n250", false),
        ("1 650", true),
    ] {
        let r = officer.post_form(
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("v_crimes", typed),
                ("action", "save"),
            ],
        );
        assert_eq!(r.status, 422, "{typed}: {}", r.body);
        let error = super::support::element_text(&r.body, "v-crimes-error", "p");
        assert!(
            error.contains("có lẽ là một cột dán từ Excel vào một ô")
                && error.contains("«Dán một cột từ Excel»")
                && !error.contains("không phải số"),
            "{typed}: {error}"
        );
        assert_eq!(
            error.contains("Nếu đây là một số, viết 1.650 hoặc 1650"),
            hint,
            "{typed}: {error}"
        );
        assert!(
            r.body.contains("<a href=\"#v-crimes\">"),
            "in the summary: {}",
            r.body
        );
    }
    switch_lang(&officer, "en");
    let r = officer.post_form(
        &path,
        &[
            ("csrf", csrf.as_str()),
            ("v_crimes", "160 9 250"),
            ("action", "save"),
        ],
    );
    let error = super::support::element_text(&r.body, "v-crimes-error", "p");
    assert!(
        error.contains("looks like a column copied from Excel"),
        "{error}"
    );
    switch_lang(&officer, "vi");
    // The paste box: "16 50" is refused for its space, naming it, not a heading.
    let r = officer.post_form(
        &path,
        &[
            ("csrf", csrf.as_str()),
            ("paste", &pasted_column(&app, 1, "16 50")),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let error = super::support::element_text(&r.body, "paste-error", "p");
    assert!(
        error.contains("Dòng 1 «16 50» có dấu cách giữa các chữ số") && !error.contains("tiêu đề"),
        "{error}"
    );
    assert_eq!(app.service.read().size, size, "nothing saved");
    // "1 650" and "12\u{a0}345" (a no-break space, as Excel may copy it) are read.
    let column: String = (1..=element_count(&app))
        .map(|i| match i {
            1 => "1 650\r\n".to_owned(),
            2 => "12\u{a0}345\r\n".to_owned(),
            _ => "\r\n".to_owned(),
        })
        .collect();
    let r = officer.post_form(
        &path,
        &[
            ("csrf", csrf.as_str()),
            ("paste", &column),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let saved = officer
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M03"))
        .json();
    assert_eq!(saved["elements"][0]["value"], "1650", "{saved}");
    assert_eq!(saved["elements"][1]["value"], "12345", "{saved}");
}

/// A leader sending a submission back before approving it speaks to its own unit: the reason is
/// never shown to another unit, neither while the report waits (its page named the reopening
/// and its reason to every member) nor, once approved, as the reason of the correction (the
/// correction's reason was the last reopening's, a submission sent back, not the reopening of
/// the approved report). The history already kept both to the unit.
#[test]
fn a_submission_sent_back_before_approval_is_the_units_own() {
    use thidua_domain::{Actor, Command, CovenantId, Text, UnitId};
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let (cov, kg) = (
        CovenantId::parse(COV).unwrap(),
        UnitId::parse("ca-kg").unwrap(),
    );
    let window = "M01".to_owned();
    let reopen = |reason: &str| Command::ReopenFigures {
        covenant: cov.clone(),
        unit: kg.clone(),
        window: window.clone(),
        reason: Text::parse("reason", reason, 1000).unwrap(),
    };
    let resubmit = |revision: u32, n: i64| {
        vec![
            Command::SaveFigures {
                covenant: cov.clone(),
                unit: kg.clone(),
                window: window.clone(),
                values: super::support::full_figures(&app.service, COV, n),
                comments: Default::default(),
            },
            Command::SubmitFigures {
                covenant: cov.clone(),
                unit: kg.clone(),
                window: window.clone(),
                revision,
            },
        ]
    };
    let approve = |revision: u32| Command::ApproveFigures {
        covenant: cov.clone(),
        unit: kg.clone(),
        window: window.clone(),
        revision,
    };
    let run = |cmds: Vec<Command>| app.service.execute_all(&Actor::System, cmds).unwrap();
    let api = format!("/api/v1/covenants/{COV}/figures/ca-kg/M01");
    let page = format!("/covenants/{COV}/figures/ca-kg/M01");
    let (ag, own) = (signed_in(&app, "lanhdao-ag"), signed_in(&app, "lanhdao-kg"));
    // Kiên Giang's January (revision 1) is submitted; its leader sends it back.
    run(vec![reopen("Trả lại: số vụ 7 chưa khớp sổ PC02")]);
    let report = ag.get(&api).json();
    assert_eq!(
        (&report["reopened_at"], &report["reopen_reason"]),
        (&json!(null), &json!(null)),
        "{report}"
    );
    assert!(!ag.get(&page).body.contains("chưa khớp sổ PC02"));
    let mine = own.get(&api).json();
    assert_eq!(mine["reopen_reason"], "Trả lại: số vụ 7 chưa khớp sổ PC02");
    // Resubmitted and approved, reopened for a correction (published), resubmitted and sent
    // back again (the unit's), then resubmitted and approved.
    let mut cmds = resubmit(2, 8);
    cmds.push(approve(2));
    cmds.push(reopen("Điều chỉnh theo kết quả đối chiếu quý I"));
    cmds.extend(resubmit(3, 9));
    cmds.push(reopen("Trả lại lần hai: số vụ 9 vẫn sai"));
    run(cmds);
    let report = ag.get(&api).json();
    assert_eq!(
        report["reopen_reason"], "Điều chỉnh theo kết quả đối chiếu quý I",
        "the published reopening, not the sending back: {report}"
    );
    assert!(!ag.get(&page).body.contains("vẫn sai"));
    assert_eq!(
        own.get(&api).json()["reopen_reason"],
        "Trả lại lần hai: số vụ 9 vẫn sai",
        "the unit reads its own"
    );
    let mut cmds = resubmit(4, 10);
    cmds.push(approve(4));
    run(cmds);
    for (who, c) in [("An Giang", &ag), ("Kiên Giang", &own)] {
        let report = c.get(&api).json();
        let reasons: Vec<&serde_json::Value> = report["approvals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| &a["reason"])
            .collect();
        assert_eq!(
            reasons,
            [
                &json!(null),
                &json!("Điều chỉnh theo kết quả đối chiếu quý I")
            ],
            "{who}: {report}"
        );
        assert!(!c.get(&page).body.contains("vẫn sai") || who == "Kiên Giang");
    }
    assert!(!ag.get(&page).body.contains("chưa khớp sổ PC02"));
}

/// A figure far from last year's is pointed out beside it, on the officer's grid and on the
/// report as others read it, and carried in the API as its ratio: Kiên Giang's February holds 7
/// crimes against 2023's 70 ("Chỉ bằng 10% cùng kỳ"), the officer types 70 solved cases
/// against 7 (ten times as many); 4,000 personnel against 3,990 is not far, and a figure with
/// no last year is never far.
#[test]
fn a_figure_far_from_last_years_is_pointed_out() {
    let app = spawn(Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let secretariat = signed_in(&app, "thuky12");
    let r = secretariat.post_bytes(
        &format!("/api/v1/covenants/{COV}/figures/historical?file_name=2023.csv"),
        b"unit,element,period,value\nCAKG,crimes,2023-M02,70\nCAKG,solved,2023-M02,7\nCAKG,personnel,2023-M02,3990\n",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let officer = signed_in(&app, "canbo-kg");
    let saved = post_grid(&officer, "M02", &[("solved", "70")], &[], "save");
    assert_eq!(saved.status, 303, "{}", saved.body);
    let api = officer
        .get(&format!("/api/v1/covenants/{COV}/figures/ca-kg/M02"))
        .json();
    let ratio = |id: &str| {
        let rows = api["elements"].as_array().unwrap();
        rows.iter().find(|e| e["id"] == id).unwrap()["same_period_ratio"].clone()
    };
    assert_eq!(ratio("crimes"), "0.1");
    assert_eq!(ratio("solved"), "10");
    assert!(ratio("personnel").is_null());
    assert!(ratio("serious").is_null(), "no figure last year");
    let page = officer
        .get(&format!("/covenants/{COV}/figures/ca-kg/M02"))
        .body;
    let note = super::support::element_text(&page, "v-crimes-far", "p");
    assert!(note.starts_with("Chỉ bằng 10% cùng kỳ"), "{note}");
    let note = super::support::element_text(&page, "v-solved-far", "p");
    assert!(note.starts_with("Gấp 10 lần cùng kỳ"), "{note}");
    // Not far: its note is there for the grid's script to fill as a figure is typed, empty.
    assert!(
        page.contains("<p class=\"far-note small\" id=\"v-personnel-far\" hidden></p>"),
        "{page}"
    );
    assert!(!page.contains("v-personnel-far grid-help"), "{page}");
    assert!(
        !page.contains("id=\"v-serious-far\""),
        "no figure last year: {page}"
    );
    assert!(
        page.contains("v-crimes-far grid-help"),
        "the input is described by it"
    );
}
