//! Official documents over HTTP, on SQLite and on PostgreSQL: the "Văn bản" section of the
//! cluster and unit pages, preview files, issuing a frozen covenant from the page (CSRF) and
//! through the API, the issued files (PDF, DOCX) with their record, and who may see and issue.

use serde_json::json;
use thidua_domain::{Actor, Command, CovenantId, UnitId, UserId};

use super::support::{signed_in, spawn, Backend, Client, TestApp};

/// Status, media type and bytes of a file (the client's cookies, no UTF-8 decoding).
fn file(c: &Client, path: &str) -> (u16, String, Vec<u8>) {
    let mut req = ureq::get(&format!("{}{}", c.base, path));
    if let Some(s) = c.cookie("thidua_session") {
        req = req.set("Cookie", &format!("thidua_session={s}"));
    }
    let res = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = res.status();
    let kind = res.content_type().to_owned();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut res.into_reader(), &mut bytes).unwrap();
    (status, kind, bytes)
}

/// Every member signs version 1 of the fixture's covenant of Cluster No. 12 (it freezes).
fn sign_all(app: &TestApp) {
    let covenant = CovenantId::parse("gu-12-2024").unwrap();
    let state = app.service.read();
    let v = state.covenants[&covenant].latest().clone();
    drop(state);
    for unit in &v.members {
        let leader = match unit.as_str() {
            "ca-kg" => Actor::User(UserId::parse("lanhdao-kg").unwrap()),
            "ca-ag" => Actor::User(UserId::parse("lanhdao-ag").unwrap()),
            _ => Actor::System,
        };
        let cmd = Command::SignCovenant {
            covenant: covenant.clone(),
            version: v.version,
            unit: UnitId::parse(unit.as_str()).unwrap(),
            hash: v.hash.clone(),
        };
        app.service.execute(&leader, cmd).unwrap();
    }
}

fn suite(app: &TestApp) {
    let sec = signed_in(app, "thuky12");
    // A draft: preview files, no issuing.
    let page = sec.get("/clusters/cum-12?year=2024");
    assert!(
        page.body.contains("id=\"documents\""),
        "the section is on the page"
    );
    assert!(page.body.contains("Chưa đủ chữ ký"));
    assert!(!page.body.contains("id=\"issue-gu-12-2024\""));
    let (status, kind, pdf) = file(&sec, "/covenants/gu-12-2024/document/pdf");
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let r = sec.post_json("/api/v1/covenants/gu-12-2024/document/issue", json!({}));
    assert_eq!(r.status, 409, "a draft is not issued: {}", r.body);
    assert_eq!(r.json()["error"], "covenant_not_frozen");

    let to_do = ">1 văn bản năm 2024 của ";
    assert!(
        !sec.get("/").body.contains(to_do),
        "a draft's document waits for nobody"
    );
    sign_all(app);
    let page = sec.get("/clusters/cum-12?year=2024");
    assert!(
        page.body.contains("id=\"issue-gu-12-2024\""),
        "the secretariat may issue"
    );
    let home = sec.get("/").body;
    assert!(
        home.contains(to_do),
        "the frozen covenant's document waits: {home}"
    );
    // A leader sees the section but may not issue.
    let leader = signed_in(app, "lanhdao-kg");
    let lp = leader.get("/clusters/cum-12?year=2024");
    assert!(lp.body.contains("id=\"documents\"") && !lp.body.contains("id=\"issue-gu-12-2024\""));
    let r = leader.post_form(
        "/covenants/gu-12-2024/document/issue",
        &[("csrf", &lp.csrf())],
    );
    assert_eq!(r.status, 403);
    // Without the CSRF token: refused.
    let r = sec.post_form("/covenants/gu-12-2024/document/issue", &[("csrf", "x")]);
    assert_eq!(r.status, 403);
    // Without the box confirming the preview was read: nothing issued, and said.
    let r = sec.post_form(
        "/covenants/gu-12-2024/document/issue",
        &[("csrf", &page.csrf())],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Bước này không hoàn tác được"),
        "{}",
        r.body
    );
    assert!(sec.get("/api/v1/clusters/cum-12/documents").json()[0].is_null());
    let r = sec.post_form(
        "/covenants/gu-12-2024/document/issue",
        &[("csrf", &page.csrf()), ("confirm", "1")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // Back on the page, the issue is confirmed with its files.
    let location = r.header("location").unwrap().to_owned();
    let confirmed = sec.get(location.split('#').next().unwrap()).body;
    assert!(confirmed.contains("id=\"document-issued\""), "{location}");
    assert!(
        !sec.get("/").body.contains(to_do),
        "issued: no longer waiting"
    );
    let list = sec.get("/api/v1/clusters/cum-12/documents").json();
    let docs = list.as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["kind"], "covenant");
    assert_eq!(docs[0]["number"], serde_json::Value::Null);
    let sha = docs[0]["sha256"].as_str().unwrap().to_owned();
    let index = docs[0]["index"].as_u64().unwrap();
    // Issuing again answers the same record.
    let again = sec.post_json("/api/v1/covenants/gu-12-2024/document/issue", json!({}));
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.json()["index"], index);
    // To anyone else, as before it was issued: refused (it answered them the record, 201).
    let r = leader.post_json("/api/v1/covenants/gu-12-2024/document/issue", json!({}));
    assert_eq!(r.status, 403, "{}", r.body);
    // The issued files carry the record; the page lists them.
    let (status, _, issued_pdf) = file(&sec, &format!("/documents/{sha}/pdf"));
    assert_eq!(status, 200);
    assert_ne!(issued_pdf, pdf, "the issued file names its record");
    let (status, kind, docx) = file(&sec, &format!("/api/v1/documents/{sha}?format=docx"));
    assert_eq!(status, 200);
    assert!(kind.contains("wordprocessingml") && docx.starts_with(b"PK"));
    let (_, _, preview_now) = file(&sec, "/covenants/gu-12-2024/document/pdf");
    assert_eq!(
        preview_now, issued_pdf,
        "the covenant's file is the issued one now"
    );
    let page = sec.get("/clusters/cum-12?year=2024");
    assert!(page.body.contains(&format!("/documents/{sha}/docx")));
    assert!(page.body.contains("Đã phát hành"));
    let unit_page = sec.get("/units/ca-ag");
    assert!(
        unit_page.body.contains(&format!("/documents/{sha}/pdf")),
        "the member's page lists it"
    );
    // The history tells it.
    let history = sec.get("/history");
    assert!(
        history.body.contains("đã phát hành văn bản"),
        "{}",
        history.body
    );
    // Another cluster's officer sees none of it.
    let other = signed_in(app, "canbo-dt");
    assert_eq!(other.get("/api/v1/clusters/cum-12/documents").status, 404);
    assert_eq!(file(&other, &format!("/documents/{sha}/pdf")).0, 404);
    assert_eq!(file(&other, &format!("/api/v1/documents/{sha}")).0, 404);
    assert_eq!(file(&other, "/covenants/gu-12-2024/document/docx").0, 404);
    assert_eq!(file(&sec, "/documents/00/pdf").0, 404);
    assert_eq!(
        file(&sec, &format!("/api/v1/documents/{sha}?format=odt")).0,
        400
    );
    // A covenant's version means nothing for an issued document: refused, not ignored.
    assert_eq!(
        file(&sec, &format!("/api/v1/documents/{sha}?version=2")).0,
        400
    );
    let docx = sec.get(&format!("/api/v1/documents/{sha}?format=docx"));
    assert_eq!(docx.status, 200);
    assert!(docx
        .header("content-type")
        .is_some_and(|t| t.contains("wordprocessingml")));
}

#[test]
fn documents_sqlite() {
    suite(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn documents_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        suite(&app);
    }
}

/// Today in Vietnam, ISO and dd/mm/yyyy: the log's events of the test are entered today, so
/// the documents that recite them are dated today.
fn today() -> (String, String) {
    let day = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis());
    (day.to_string(), day.format("%d/%m/%Y").to_string())
}

/// After the year-end of `gu-12-2024` is published (five inspections with empty findings): the
/// cluster page offers the inspection minutes and the year-end report; the secretariat previews
/// one (PDF, DOCX), issues it through the API and the page (CSRF); a leader may preview but
/// not issue; another cluster's officer sees nothing; a bad key or date is refused.
pub fn offered_documents_after_publication(app: &TestApp) {
    let (iso, dmy) = today();
    let sec = signed_in(app, "thuky12");
    let home = sec.get("/").body;
    assert!(
        home.contains("href=\"/clusters/cum-12?year=2024#documents\""),
        "the home page says documents wait to be issued: {home}"
    );
    assert_eq!(
        super::support::todo_button(&home, "/clusters/cum-12?year=2024#documents"),
        "Phát hành văn bản"
    );
    let offers = sec
        .get("/api/v1/clusters/cum-12/documents/offers?year=2024")
        .json();
    let offers = offers.as_array().unwrap();
    let keys: Vec<&str> = offers.iter().map(|o| o["key"].as_str().unwrap()).collect();
    assert_eq!(
        offers
            .iter()
            .filter(|o| o["kind"] == "inspection_minutes")
            .count(),
        5,
        "{keys:?}"
    );
    assert!(keys.contains(&"year:gu-12-2024"), "{keys:?}");
    assert!(keys.contains(&"results:gu-12-2024"), "{keys:?}");
    // The home page counts what the section lists: the offers not issued and the covenant in
    // force when its document is not issued either (it counted the offers alone).
    let state = app.service.read();
    let cluster = thidua_domain::ClusterId::parse("cum-12").unwrap();
    let covenant_waiting = !thidua_domain::documents::issued_by(&state, &cluster)
        .any(|d| d.kind == thidua_domain::documents::DocumentKind::Covenant && d.year == 2024);
    drop(state);
    let waiting =
        offers.iter().filter(|o| o["issued"].is_null()).count() + usize::from(covenant_waiting);
    assert!(
        home.contains(&format!(">{waiting} văn bản năm 2024 của ")),
        "{waiting} waiting: {home}"
    );
    // Each offered document downloads under a name of its own: the pair of units for an
    // inspection's minutes.
    let mut names = std::collections::BTreeSet::new();
    for key in &keys {
        let r = sec.get(&format!(
            "/clusters/cum-12/documents/file/pdf?doc={key}&date={iso}"
        ));
        assert_eq!(r.status, 200, "{key}");
        let disposition = r.header("content-disposition").unwrap().to_owned();
        if let ["inspection", _, inspector, inspected] = key.split(':').collect::<Vec<_>>()[..] {
            assert_eq!(
                disposition,
                format!(
                    "inline; filename=\"inspection_minutes-cum-12-2024-{inspector}-{inspected}.pdf\""
                )
            );
        }
        assert!(names.insert(disposition.clone()), "{disposition} twice");
    }
    let covenant_file = |q: &str| {
        sec.get(&format!("/covenants/gu-12-2024/document/pdf{q}"))
            .header("content-disposition")
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        covenant_file("?version=1"),
        "inline; filename=\"covenant-gu-12-2024-v1.pdf\"",
        "a PDF opens in the browser"
    );
    assert_eq!(covenant_file(""), covenant_file("?version=1"));
    let page = sec.get("/clusters/cum-12?year=2024");
    assert!(page.body.contains("id=\"offered-documents\""));
    // The kind is interface text; the title is Vietnamese data, marked so.
    assert!(page.body.contains(
        "Báo cáo tổng kết: <span lang=\"vi\">Tổng kết phong trào thi đua năm 2024</span>"
    ));
    let (status, kind, pdf) = file(
        &sec,
        &format!("/clusters/cum-12/documents/file/pdf?doc=year:gu-12-2024&date={iso}"),
    );
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let (status, _, docx) = file(
        &sec,
        &format!(
            "/api/v1/clusters/cum-12/documents/file?doc=year:gu-12-2024&date={iso}&format=docx"
        ),
    );
    assert_eq!(status, 200);
    assert!(docx.starts_with(b"PK"));
    let bad = file(&sec, "/clusters/cum-12/documents/file/pdf?doc=year:nothing");
    assert_eq!(bad.0, 404);
    let bad = sec.post_json(
        "/api/v1/clusters/cum-12/documents/issue",
        json!({"doc": "year:gu-12-2024", "date": "31/02/2024"}),
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.json()["error"], "invalid_date", "{}", bad.body);
    // A leader previews, may not issue; another cluster's officer sees nothing.
    let leader = signed_in(app, "lanhdao-kg");
    let inspection = keys
        .iter()
        .find(|k| k.starts_with("inspection:"))
        .unwrap()
        .to_string();
    assert_eq!(
        file(
            &leader,
            &format!("/clusters/cum-12/documents/file/pdf?doc={inspection}")
        )
        .0,
        200
    );
    let r = leader.post_json(
        "/api/v1/clusters/cum-12/documents/issue",
        json!({"doc": inspection, "date": iso}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    inspection_minutes_are_dated_where_typed(&sec, &inspection, (&iso, &dmy));
    let other = signed_in(app, "canbo-dt");
    assert_eq!(
        other
            .get("/api/v1/clusters/cum-12/documents/offers?year=2024")
            .status,
        404
    );
    // The secretariat issues the report (API) and an inspection's minutes (page).
    let r = sec.post_json(
        "/api/v1/clusters/cum-12/documents/issue",
        json!({"doc": "year:gu-12-2024", "date": iso}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["kind"], "year_report");
    assert_eq!(r.json()["number"], "01/BC-CTĐ12");
    // The same report again, dated otherwise: refused, naming the one issued.
    let again = sec.post_json(
        "/api/v1/clusters/cum-12/documents/issue",
        json!({"doc": "year:gu-12-2024", "date": "2024-12-31"}),
    );
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(again.json()["error"], "document_already_issued");
    assert!(again.body.contains("01/BC-CTĐ12"), "{}", again.body);
    let page = sec.get("/clusters/cum-12?year=2024");
    assert!(
        page.body
            .contains(&format!("name=\"date\" value=\"{dmy}\"")),
        "the form's date is typed and shown dd/mm/yyyy, whatever the browser's language"
    );
    // Issuing cannot be undone: each offer's issuing asks for a ticked box first, which the
    // previews do not (they issue nothing).
    let form = {
        let at = page.body.find("id=\"offer-1\"").expect("an offer's form");
        let rest = &page.body[at..];
        rest[..rest.find("</form>").unwrap()].to_owned()
    };
    assert!(
        form.contains(
            "<input type=\"checkbox\" name=\"confirm\" value=\"1\" required id=\"offer-1-confirm\"> \
             Tôi đã xem bản xem trước: phát hành sẽ cấp số văn bản"
        ) && form.matches("formnovalidate").count() == 2,
        "{form}"
    );
    let unconfirmed = sec.post_form(
        "/clusters/cum-12/documents/issue",
        &[("csrf", &page.csrf()), ("doc", &inspection), ("date", &dmy)],
    );
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.body);
    assert!(
        unconfirmed.body.contains("Bước này không hoàn tác được")
            && unconfirmed.body.contains("id=\"offered-documents\""),
        "told beside the offer: {}",
        unconfirmed.body
    );
    let r = sec.post_form(
        "/clusters/cum-12/documents/issue",
        &[
            ("csrf", &page.csrf()),
            ("doc", &inspection),
            ("date", &dmy),
            ("confirm", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // Back on the page, the issue is confirmed with its number and files.
    let location = r.header("location").unwrap().to_owned();
    assert!(location.contains("&issued="), "{location}");
    let confirmed = sec.get(location.split('#').next().unwrap()).body;
    assert!(confirmed.contains("id=\"document-issued\""), "{confirmed}");
    assert!(confirmed.contains("Đã phát hành văn bản số <strong>02/BB-CTĐ12</strong>"));
    // The same minutes sent again from a stale tab, placed otherwise: the refusal is told
    // beside the issued offer, which has no form to carry it (the page said nothing).
    let page = sec.get("/clusters/cum-12?year=2024");
    let r = sec.post_form(
        "/clusters/cum-12/documents/issue",
        &[
            ("csrf", &page.csrf()),
            ("doc", &inspection),
            ("date", &dmy),
            ("place", "Cần Thơ"),
            ("confirm", "1"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("class=\"notice error\" role=\"alert\" id=\"offer-")
            && r.body.contains("02/BB-CTĐ12"),
        "{}",
        r.body
    );
    // The secretariat's one form previews by POST (its CSRF token never in an address)…
    let page = sec.get("/clusters/cum-12?year=2024");
    let preview = sec.post_form(
        "/clusters/cum-12/documents/file/pdf",
        &[
            ("csrf", &page.csrf()),
            ("doc", "results:gu-12-2024"),
            ("date", &iso),
        ],
    );
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(
        preview.header("content-type"),
        Some("application/pdf"),
        "the results report, from the log"
    );
    // The results report posted with `date` to `action` (issue, or a file's preview).
    let post_dated = |action: &str, date: &str| {
        sec.post_form(
            action,
            &[
                ("csrf", &page.csrf()),
                ("doc", "results:gu-12-2024"),
                ("date", date),
                ("confirm", "1"),
            ],
        )
    };
    let issue = "/clusters/cum-12/documents/issue";
    // …and a date in the future, or before the year it concerns, is refused.
    for date in ["01/01/2099", "2023-12-31"] {
        let r = post_dated(issue, date);
        assert_eq!(r.status, 422, "{date}: {}", r.body);
        assert!(r.body.contains("Ngày văn bản phải từ 01/01"), "{}", r.body);
        // Told beside the offer's date on the cluster page, the date as typed, not on a
        // page that leads nowhere.
        assert!(r.body.contains("id=\"offered-documents\""), "{}", r.body);
        assert!(
            r.body.contains(&format!("name=\"date\" value=\"{date}\""))
                && r.body.contains("aria-describedby=\"offer-"),
            "{}",
            r.body
        );
        // A preview is dated as issuing would accept it, or not made.
        let preview = post_dated("/clusters/cum-12/documents/file/pdf", date);
        assert_eq!(preview.status, 422, "{date}: preview {}", preview.body);
        assert!(
            preview.body.contains("Ngày văn bản phải từ 01/01")
                && preview.body.contains("aria-describedby=\"offer-"),
            "the preview's refusal is told beside the form too: {}",
            preview.body
        );
    }
    // A date that is none says how to write one.
    let r = post_dated(issue, "32/12/2024");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(
            "Ngày không đọc được: viết một ngày có thật dạng dd/mm/yyyy, ví dụ 28/02/2026."
        ),
        "{}",
        r.body
    );
    // A date in the year but before the results it reports were published (today): refused,
    // the earliest date told beside the offer's date.
    let r = post_dated(issue, "30/12/2024");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains(&format!("Ngày văn bản không được trước {dmy}")),
        "{}",
        r.body
    );
    assert!(r.body.contains("aria-describedby=\"offer-"), "{}", r.body);
    let list = sec.get("/api/v1/clusters/cum-12/documents").json();
    let numbers: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["number"].as_str())
        .collect();
    assert!(numbers.contains(&"02/BB-CTĐ12"), "{numbers:?}");
    let offers = sec
        .get("/api/v1/clusters/cum-12/documents/offers?year=2024")
        .json();
    let issued = offers
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| !o["issued"].is_null())
        .count();
    assert_eq!(issued, 2, "the offers know what was issued");
}

/// An offered document is dated at the place the secretariat types (the inspected unit's
/// province for an inspection's minutes, say), else at the covenant's; a place that is not
/// plain text is refused.
fn inspection_minutes_are_dated_where_typed(
    sec: &Client,
    inspection: &str,
    (iso, dmy): (&str, &str),
) {
    let url = |place: &str| {
        format!("/api/v1/clusters/cum-12/documents/file?doc={inspection}&date={iso}&place={place}")
    };
    let (status, _, pdf) = file(sec, &url("C%C3%A0%20Mau"));
    assert_eq!(status, 200);
    let refused = sec.get(&url("C%C3%A0%0AMau"));
    assert_eq!(refused.status, 422, "{}", refused.body);
    if thidua_test_support::program("pdftotext", "-v", "poppler-utils").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minutes.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("ngày {dmy}, tại Cà Mau,")), "{text}");
}
