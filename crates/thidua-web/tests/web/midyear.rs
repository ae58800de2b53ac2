//! The mid-year review over HTTP on both backends: nobody but the cluster's secretariat (or an
//! administrator) may freeze it, once; the page (no JavaScript: a form with its CSRF token)
//! and the API show the same frozen snapshot with its log index and SHA-256; later approvals
//! do not move it; the XLSX is the same bytes on every download and carries the review;
//! another cluster's member sees nothing.

use serde_json::json;

use super::support::{signed_in, spawn, unit_entry as unit, Backend, TestApp};

const COV: &str = "gu-12-2024";

/// Every cell of the workbook, sheet by sheet, as text.
pub(super) fn cells(bytes: &[u8]) -> Vec<(String, Vec<String>)> {
    let mut rows = Vec::new();
    thidua_import::table::read(
        bytes,
        "x.xlsx",
        &Default::default(),
        &mut |sheet, _, cells| {
            rows.push((
                sheet.to_owned(),
                cells.iter().map(|c| c.text().to_owned()).collect(),
            ));
            true
        },
    )
    .unwrap();
    rows
}

fn flow(app: &TestApp) {
    super::support::load_figures(&app.service);
    let leader = signed_in(app, "lanhdao-kg");
    let member = signed_in(app, "lanhdao-ag");
    let officer = signed_in(app, "canbo-kg");
    let supervisor = signed_in(app, "giamsat12");
    let secretariat = signed_in(app, "thuky12");
    let outsider = signed_in(app, "canbo-dt");
    let api = format!("/api/v1/covenants/{COV}/midyear");
    let page = format!("/covenants/{COV}/midyear");
    let r = leader.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M01/approve"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // Not frozen yet: the members see so; only the secretariat is offered the form.
    let d = member.get(&api);
    assert_eq!(d.status, 200, "{}", d.body);
    let d = d.json();
    assert!(d["frozen"].is_null());
    assert_eq!(
        (d["can_freeze"].as_bool(), d["cutoff"].as_str()),
        (Some(false), Some("2024-06-14"))
    );
    assert!(!member.get(&page).body.contains("freeze-button"));
    assert_eq!(
        member.get(&format!("{api}.xlsx")).status,
        404,
        "nothing to download yet"
    );
    let form = secretariat.get(&page);
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("id=\"freeze-button\""), "{}", form.body);
    assert!(form.body.contains("14/06/2024"));
    // Officers, leaders and the supervisor may not freeze; an outsider does not see it.
    for c in [&officer, &leader, &supervisor] {
        let r = c.post_json(&api, json!(null));
        assert_eq!(
            (r.status, r.json()["error"].as_str()),
            (403, Some("forbidden")),
            "{}",
            r.body
        );
    }
    assert_eq!(outsider.get(&api).status, 404);
    assert_eq!(outsider.get(&page).status, 404);
    assert_eq!(outsider.post_json(&api, json!(null)).status, 404);
    // Before the button, each member's approved windows through month 6 and a plain warning:
    // only Kiên Giang's January is approved.
    for needle in [
        "id=\"complete-ca-kg\" class=\"warn\"><span lang=\"vi\">Công an tỉnh Kiên Giang</span>: 1/6 kỳ đã phê duyệt",
        "<span lang=\"vi\">Công an tỉnh An Giang</span>: 0/6 kỳ đã phê duyệt (sơ kết chưa tính được tháng nào)",
        "Kiên Giang</span>: 1/6 kỳ đã phê duyệt (sơ kết tính liên tục đến hết tháng 1)",
        "id=\"incomplete-warning\"",
        "5/5 đơn vị chưa có đủ số liệu",
        "id=\"freeze-confirm\" required",
    ] {
        assert!(form.body.contains(needle), "{needle}: {}", form.body);
    }
    let listed = member.get(&api).json()["completeness"].clone();
    let kg = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["unit"]["id"] == "ca-kg")
        .unwrap();
    assert_eq!(
        (
            kg["approved"].as_u64(),
            kg["windows"].as_u64(),
            kg["complete"].as_bool()
        ),
        (Some(1), Some(6), Some(false)),
        "the API says the same: {listed}"
    );
    // The API asks the same acknowledgement as the page: without it (no body, `{}`) an
    // incomplete review is refused and nothing is recorded; an unknown field is a bad body.
    let size = app.service.read().size;
    for body in [
        json!(null),
        json!({}),
        json!({"acknowledge_incomplete": false}),
    ] {
        let r = secretariat.post_json(&api, body);
        assert_eq!(
            (r.status, r.json()["error"].as_str()),
            (422, Some("midyear_incomplete")),
            "{}",
            r.body
        );
        assert!(r.body.contains("ca-kg (1/6)"), "{}", r.body);
    }
    let r = secretariat.post_json(&api, json!({"acknowledge": true}));
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(app.service.read().size, size, "nothing recorded");
    // The secretariat freezes it through the page's form (no JavaScript), the box ticked:
    // without it, the page again with the message beside the box, and nothing recorded.
    let size = app.service.read().size;
    let r = secretariat.post_form(&page, &[("csrf", &form.csrf())]);
    assert_eq!(r.status, 422, "{}", r.body);
    let box_and_error = &r.body[r.body.find("id=\"freeze-confirm\"").expect("the box")..];
    assert!(
        box_and_error[..box_and_error.find("</form>").unwrap()]
            .contains("id=\"freeze-error\" role=\"alert\">Hãy đánh dấu ô xác nhận"),
        "{}",
        r.body
    );
    assert_eq!(app.service.read().size, size, "nothing recorded");
    assert!(member.get(&api).json()["frozen"].is_null());
    let r = secretariat.post_form(&page, &[("csrf", &form.csrf()), ("confirm", "1")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some(page.as_str()));
    let d = member.get(&api).json();
    let f = &d["frozen"];
    assert_eq!(
        f["index"].as_u64(),
        Some(size),
        "computed at the log's size before it"
    );
    assert_eq!(f["as_of"], "2024-01-14");
    assert_eq!(f["frozen_by"], "thuky12");
    let sha = f["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha.len(), 64);
    let kg = unit(f, "ca-kg");
    assert_eq!(kg["through"].as_u64(), Some(1));
    assert_eq!(kg["as_of"], "2024-01-14");
    assert_eq!(kg["targets"][0]["measured"], "7");
    assert!(
        unit(f, "ca-ag")["through"].is_null(),
        "submitted only: not counted"
    );
    // The live provisional score of ca-kg is the frozen one.
    let live = member
        .get(&format!("/api/v1/covenants/{COV}/progress"))
        .json();
    assert_eq!(
        unit(&live, "ca-kg")["provisional_total"],
        kg["provisional_total"]
    );
    let shown = member.get(&page);
    assert_eq!(shown.status, 200);
    for needle in [
        "Số liệu tính đến ngày <strong>14/01/2024</strong>",
        &format!("<code id=\"sha256\">{sha}</code>"),
        &format!("id=\"log-index\" href=\"/record/{size}\">{size}</a>"),
        "id=\"midyear-xlsx\"",
        // A member may not open the secretariat's page: the name, without a dead link.
        "<dd id=\"frozen-by\"><span lang=\"vi\">Thư Ký Cụm 12</span></dd>",
        // Each target beside the level the covenant sets for it.
        "<td data-label=\"Mức giao ước\">Giảm ít nhất 5% so với năm 2023</td>",
        // How each member's year end was projected, as the progress pages say it.
        "<th scope=\"col\">Giả định dự báo</th>",
    ] {
        assert!(shown.body.contains(needle), "{needle}: {}", shown.body);
    }
    assert!(!shown.body.contains("freeze-button"));
    // Once per covenant: the API answers 409, the page says why in Vietnamese.
    let again = secretariat.post_json(&api, json!(null));
    assert_eq!(
        (again.status, again.json()["error"].as_str()),
        (409, Some("midyear_exists"))
    );
    let again = secretariat.post_form(&page, &[("csrf", &form.csrf()), ("confirm", "1")]);
    assert_eq!(again.status, 422);
    assert!(again.body.contains("đã được chốt"), "{}", again.body);
    // A later approval moves live progress, never the review.
    let r = member.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-ag/M01/approve"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(member.get(&api).json()["frozen"]["sha256"], sha);
    // The workbook: the same bytes each time, Vietnamese headings, the index and the hash.
    let xlsx = supervisor.get_bytes(&format!("{api}.xlsx"));
    assert!(xlsx.starts_with(b"PK\x03\x04"));
    assert_eq!(
        xlsx,
        member.get_bytes(&format!("{page}.xlsx")),
        "deterministic"
    );
    let rows = cells(&xlsx);
    let find = |label: &str| {
        rows.iter()
            .find(|(_, r)| r[0] == label)
            .map(|(_, r)| r[1].clone())
    };
    assert_eq!(find("SHA-256").as_deref(), Some(sha.as_str()));
    assert_eq!(find("Vị trí trong sổ nhật ký"), Some(size.to_string()));
    assert_eq!(find("Số liệu tính đến ngày").as_deref(), Some("14/01/2024"));
    assert!(rows
        .iter()
        .any(|(s, r)| s == "Chỉ tiêu" && r.contains(&"Chỉ số đo cùng kỳ năm trước".to_owned())));
    assert!(
        rows.iter().any(|(s, r)| s == "Chỉ tiêu"
            && r.get(3).map(String::as_str) == Some("Giảm ít nhất 5% so với năm 2023")),
        "the covenant's level beside each target"
    );
    let kg_row = rows
        .iter()
        .find(|(s, r)| s == "Điểm tạm tính" && r.get(1).is_some_and(|n| n.contains("Kiên Giang")))
        .expect("ca-kg's row");
    assert_eq!(kg_row.1[2], "1", "through month 1");
}

/// The review of a covenant with a range target reduced beyond its top, a yes/no target and
/// a reduction of traffic accidents: the review's API and page say the status progress says
/// (`beyond_range`, not the `off_track` its snapshot records); the workbook writes "Đạt" where
/// the page says it (it wrote the number 0), and heads the accidents' counts (7 against 8)
/// with their own unit, "vụ", and the reduction with "% giảm" (it headed both "% giảm").
#[test]
fn the_review_says_the_pages_status_and_words_and_units_in_its_workbook() {
    let app = spawn(Backend::Sqlite).unwrap();
    let cov = super::progress::thirteen(&app);
    let admin = signed_in(&app, "quantri");
    let api = format!("/api/v1/covenants/{cov}/midyear");
    let r = admin.post_json(&api, json!({"acknowledge_incomplete": true}));
    assert_eq!(r.status, 200, "{}", r.body);
    let f = admin.get(&api).json()["frozen"].clone();
    let range = &unit(&f, "ca-dt")["targets"][0];
    assert_eq!(
        (range["target"].as_str(), range["status"].as_str()),
        (Some("khoang"), Some("beyond_range")),
        "{range}"
    );
    let page = admin.get(&format!("/covenants/{cov}/midyear")).body;
    assert!(page.contains("status-beyond_range"), "{page}");
    assert!(!page.contains("status-off_track"), "{page}");
    let rows = cells(&admin.get_bytes(&format!("{api}.xlsx")));
    let row = |subject: &str| {
        rows.iter()
            .find(|(s, r)| {
                s == "Chỉ tiêu"
                    && r.get(1).is_some_and(|u| u.contains("Đồng Tháp"))
                    && r[2] == subject
            })
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{subject}: {rows:?}"))
    };
    let gangs = row("Chỉ tiêu bang-nhom");
    assert_eq!(gangs[8..11], ["Đạt", "Đạt", "Đúng tiến độ"], "{gangs:?}");
    let accidents = row("Chỉ tiêu tai-nan");
    assert_eq!(
        accidents[4..10],
        ["vụ", "42", "48", "% giảm", "12.5", "12.5"],
        "{accidents:?}"
    );
}

#[test]
fn midyear_over_http_sqlite() {
    flow(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn midyear_over_http_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        flow(&app);
    }
}
