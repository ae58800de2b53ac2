//! What an audit of the demonstration found in the pages, each held over HTTP: a person's name
//! links to their page only when the viewer may open it; the figures forms' refusals read in
//! the page's language with names (no English, no ids); an unreadable path or query answers the
//! error page in the viewer's language (the API its JSON); reporting windows are named in the
//! page's language; the flags page says in words what its CSV holds; no page puts an API token
//! on a command line.

use thidua_domain::{Actor, Command, CovenantId, UnitId, UserId};

use super::support::{load_figures, signed_in, spawn, Backend, Client, TestApp};

const COV: &str = "gu-12-2024";

/// Every `/people/…` address a page links to.
fn people_links(body: &str) -> Vec<String> {
    body.match_indices("href=\"/people/")
        .map(|(i, _)| {
            let rest = &body[i + "href=\"".len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The text of the element whose opening tag carries `id="{id}"`, tags removed.
fn text_of(body: &str, id: &str) -> String {
    let at = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {body}"));
    let start = at + body[at..].find('>').unwrap() + 1;
    let end = start + body[start..].find("</").unwrap();
    body[start..end].to_owned()
}

fn switch_to_english(c: &Client) {
    let page = c.get("/");
    let r = c.post_form("/lang", &[("csrf", &page.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
}

/// An Giang's leader signs as a person (the others by the operator): a leader of Kiên Giang
/// reads the signer's name on the covenant page and in the history, and every link to a
/// person's page there opens.
fn people_links_open(app: &TestApp) {
    let covenant = CovenantId::parse(COV).unwrap();
    let hash = app.service.read().covenants[&covenant]
        .latest()
        .hash
        .clone();
    app.service
        .execute_all(
            &Actor::User(UserId::parse("lanhdao-ag").unwrap()),
            vec![Command::SignCovenant {
                covenant: covenant.clone(),
                version: 1,
                unit: UnitId::parse("ca-ag").unwrap(),
                hash,
            }],
        )
        .unwrap();
    let leader = signed_in(app, "lanhdao-kg");
    for path in [format!("/covenants/{COV}"), "/history".to_owned()] {
        let page = leader.get(&path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(
            page.body.contains("Lãnh Đạo An Giang"),
            "{path} names the signer: {}",
            page.body
        );
        assert!(
            !page.body.contains("href=\"/people/lanhdao-ag\""),
            "{path}: a link the viewer may not open"
        );
        for link in people_links(&page.body) {
            assert_eq!(leader.get(&link).status, 200, "{path} links {link}");
        }
    }
    // An administrator still has the link.
    let admin = signed_in(app, "quantri");
    assert!(admin
        .get(&format!("/covenants/{COV}"))
        .body
        .contains("href=\"/people/lanhdao-ag\""));
}

/// Multipart body of the figures import form.
fn import_form(csrf: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "thidua-audit-boundary";
    let mut body = Vec::new();
    for (k, v) in [("csrf", csrf), ("unit", "ca-kg"), ("window", "M01")] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Kiên Giang's January is submitted: saving it again, importing it, importing a file that is
/// no workbook and another unit's leader saving it are refused in the page's words, with the
/// unit's and the window's names and none of the API's English or ids.
fn figures_refusals_in_the_pages_language(app: &TestApp) {
    load_figures(&app.service);
    let officer = signed_in(app, "canbo-kg");
    let grid = format!("/covenants/{COV}/figures/ca-kg/M01");
    let save = |c: &Client| {
        let page = c.get(&grid);
        c.post_form(&grid, &[("csrf", &page.csrf()), ("action", "save")])
    };
    let r = save(&officer);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        text_of(&r.body, "form-error"),
        "Báo cáo của Công an tỉnh Kiên Giang kỳ Tháng 1 đang ở trạng thái «Đã gửi, chờ duyệt»: không thể lưu."
    );
    // Another unit's leader: refused without the API's English.
    let other = signed_in(app, "lanhdao-ag");
    let r = save(&other);
    assert!(r.status == 403 || r.status == 404, "{}", r.body);
    if r.body.contains("id=\"form-error\"") {
        let m = text_of(&r.body, "form-error");
        assert!(!m.contains("actor") && !m.contains('('), "{m}");
    }
    // The import form: a file that is not a workbook, then the submitted month again.
    let page = officer.get(&grid);
    let (kind, body) = import_form(&page.csrf(), "m01.xlsx", b"PK\x03\x04 a broken archive");
    let r = officer.post_raw(&format!("/covenants/{COV}/figures/import"), &kind, &body);
    let errors = &r.body[r
        .body
        .find("id=\"import-errors\"")
        .unwrap_or_else(|| panic!("{}", r.body))..];
    let errors = &errors[..errors.find("</section>").unwrap()];
    assert!(errors.contains("Tệp không phải .xlsx hợp lệ"), "{errors}");
    for english in ["Zip", "EOCD", "archive", "invalid"] {
        assert!(!errors.contains(english), "{errors}");
    }
    let mut csv = String::from("unit,element,period,value\n");
    for (element, value) in super::support::full_figures(&app.service, COV, 7) {
        csv.push_str(&format!("CAKG,{element},2024-M01,{value}\n"));
    }
    let (kind, body) = import_form(&page.csrf(), "m01.csv", csv.as_bytes());
    let r = officer.post_raw(&format!("/covenants/{COV}/figures/import"), &kind, &body);
    let errors = &r.body[r
        .body
        .find("id=\"import-errors\"")
        .unwrap_or_else(|| panic!("{}", r.body))..];
    let errors = &errors[..errors.find("</section>").unwrap()];
    assert!(
        errors.contains(
            "Báo cáo của Công an tỉnh Kiên Giang kỳ Tháng 1 đang ở trạng thái «Đã gửi, chờ duyệt»: không thể lưu."
        ),
        "{errors}"
    );
    for raw in ["report_state", "ca-kg", "M01", "cannot"] {
        assert!(!errors.contains(raw), "{raw} in {errors}");
    }
    // The same refusal on an English page.
    switch_to_english(&officer);
    let r = save(&officer);
    assert_eq!(
        text_of(&r.body, "form-error"),
        "The report of Công an tỉnh Kiên Giang for Month 1 is “Submitted, awaiting approval”: it cannot be saved."
    );
}

/// The window selector names the months in the page's language, without their keys.
fn windows_named_in_the_pages_language(app: &TestApp) {
    load_figures(&app.service);
    let officer = signed_in(app, "canbo-kg");
    let page = officer.get(&format!("/covenants/{COV}/figures?window=M01"));
    assert!(
        page.body
            .contains(">Tháng 1 (15/12/2023 – 14/01/2024)</option>"),
        "each window with its dates: {}",
        page.body
    );
    assert!(!page.body.contains("(M01)"), "{}", page.body);
    switch_to_english(&officer);
    let page = officer.get(&format!("/covenants/{COV}/figures?window=M01"));
    assert!(
        page.body
            .contains(">Month 1 (15/12/2023 – 14/01/2024)</option>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Tháng"), "{}", page.body);
    let report = officer.get(&format!("/covenants/{COV}/figures/ca-kg/M02"));
    assert!(
        report
            .body
            .contains("<h1><span lang=\"vi\">Công an tỉnh Kiên Giang</span> — Month 2/2024</h1>"),
        "{}",
        report.body
    );
}

/// A path or query that cannot be read answers the error page (400) in the viewer's language;
/// spaces around a number are not an error; the API keeps its JSON error.
fn unreadable_addresses_answer_the_error_page(app: &TestApp) {
    let leader = signed_in(app, "lanhdao-kg");
    for (path, message) in [
        ("/history?before=abc", "Tham số truy vấn không hợp lệ."),
        ("/record/abc", "Địa chỉ trang không hợp lệ."),
        (
            &format!("/covenants/{COV}?version=x") as &str,
            "Tham số truy vấn không hợp lệ.",
        ),
    ] {
        let r = leader.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert!(
            r.header("content-type").unwrap().starts_with("text/html"),
            "{path}"
        );
        assert!(r.body.contains(message), "{path}: {}", r.body);
        assert!(!r.body.contains("Failed to deserialize"), "{path}");
    }
    for path in [
        format!("/covenants/{COV}?version=%201%20"),
        "/history?before=%20100".to_owned(),
    ] {
        assert_eq!(leader.get(&path).status, 200, "{path}");
    }
    let api = leader.get("/api/v1/events?before=abc");
    assert_eq!(api.status, 400);
    assert_eq!(api.json()["error"], "invalid_query", "{}", api.body);
    switch_to_english(&leader);
    let r = leader.get("/history?before=abc");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Invalid query parameters."), "{}", r.body);
}

/// The flags page says what its CSV holds in the page's language.
fn flags_export_said_in_words(app: &TestApp) {
    load_figures(&app.service);
    let sec = signed_in(app, "thuky12");
    let page = sec.get(&format!("/covenants/{COV}/flags"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Tải về tệp CSV: mỗi dòng một dấu hiệu"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("(unit,period,kind,reason)"));
}

/// Once a member signs the year's covenant, the secretariat's cluster page says that the
/// year's members are fixed, and saving other members is refused with the same words.
#[test]
fn a_signed_years_members_are_said_fixed() {
    let app = spawn(Backend::Sqlite).unwrap();
    let sec = signed_in(&app, "thuky12");
    let page = sec.get("/clusters/cum-12?year=2024");
    assert!(
        !page.body.contains("id=\"members-signed\"") && page.body.contains("id=\"members-save\""),
        "{}",
        page.body
    );
    people_links_open(&app); // An Giang's leader signs.
    let page = sec.get("/clusters/cum-12?year=2024");
    assert!(page.body.contains("id=\"members-signed\""), "{}", page.body);
    assert!(page
        .body
        .contains("đã có chữ ký nên không đổi được thành viên cụm"));
    // The members are shown, not offered: the boxes are disabled and there is nothing to save.
    assert!(
        page.body.contains(" disabled><legend>") && !page.body.contains("id=\"members-save\""),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let refused = sec.post_form(
        "/clusters/cum-12/members",
        &[
            ("csrf", &csrf),
            ("year", "2024"),
            ("m_ca-kg", "1"),
            ("m_ca-ag", "1"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused
        .body
        .contains("đã có chữ ký nên không đổi được thành viên cụm"));
}

#[test]
fn people_links_open_for_those_who_see_them() {
    people_links_open(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn figures_refusals_are_in_the_pages_language_sqlite() {
    figures_refusals_in_the_pages_language(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn figures_refusals_are_in_the_pages_language_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        figures_refusals_in_the_pages_language(&app);
    }
}

#[test]
fn reporting_windows_are_named_in_the_pages_language() {
    windows_named_in_the_pages_language(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn unreadable_paths_and_queries_answer_the_error_page() {
    unreadable_addresses_answer_the_error_page(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn the_flags_export_is_said_in_words() {
    flags_export_said_in_words(&spawn(Backend::Sqlite).unwrap());
}

/// The regulation page words open-ended bands and counts as a reader writes them, in both
/// languages ("90 points or more", "under 50 points", "1 point for each"), never "—"; English
/// pages say once how numbers are written; the covenant names its one cluster.
#[test]
fn the_regulation_page_words_bands_and_counts_in_both_languages() {
    let app = spawn(Backend::Sqlite).unwrap();
    let leader = signed_in(&app, "lanhdao-kg");
    let path = format!("/covenants/{COV}/regulation");
    let vi = leader.get(&path);
    assert_eq!(vi.status, 200, "{}", vi.body);
    for words in ["từ 90 điểm trở lên", "dưới 50 điểm", "1 điểm cho mỗi"] {
        assert!(vi.body.contains(words), "{words}: {}", vi.body);
    }
    assert!(!vi.body.contains("id=\"number-note\""));
    // Conditions and measured values in the engine's plain words, not the file's notation.
    let criteria = |body: &str| {
        let at = body.find("id=\"criteria\"").expect("the criteria table");
        body[at..at + body[at..].find("</table>").unwrap()].to_owned()
    };
    for code in ["pct_change(", "pct(", ">=", "<=", "@cung_ky"] {
        assert!(
            !criteria(&vi.body).contains(code),
            "{code}: {}",
            criteria(&vi.body)
        );
    }
    assert!(
        criteria(&vi.body).contains("so với"),
        "{}",
        criteria(&vi.body)
    );
    switch_to_english(&leader);
    let en = leader.get(&path);
    for words in [
        "90 points or more",
        "under 50 points",
        "1 point for each",
        "Numbers are written the Vietnamese way",
    ] {
        assert!(en.body.contains(words), "{words}: {}", en.body);
    }
    for wrong in ["under — points", "from — to", "1 points"] {
        assert!(!en.body.contains(wrong), "{wrong}: {}", en.body);
    }
    for code in ["pct_change(", "pct(", ">=", "@cung_ky"] {
        assert!(
            !criteria(&en.body).contains(code),
            "{code}: {}",
            criteria(&en.body)
        );
    }
    assert!(
        criteria(&en.body).contains("compared with"),
        "{}",
        criteria(&en.body)
    );
    assert!(
        criteria(&en.body).contains("is at least 100"),
        "{}",
        criteria(&en.body)
    );
    let covenant = leader.get(&format!("/covenants/{COV}"));
    assert!(
        covenant.body.contains("<dt>Emulation cluster</dt>"),
        "{}",
        covenant.body
    );
}

/// No page, sentence, script or file a page makes shows a command with an API token on its
/// command line (where the process list and the shell's history keep it): every example reads
/// the token into `THIDUA_TOKEN` (`ui::READ_TOKEN`). Held over the sources the pages come from.
#[test]
fn no_page_puts_a_token_on_a_command_line() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut offenders = Vec::new();
    let mut dirs = vec![
        root.join("templates"),
        root.join("assets"),
        root.join("src/i18n"),
        root.join("src/ui"),
    ];
    let mut files = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue; // fonts and images
            };
            files += 1;
            for (n, line) in text.lines().enumerate() {
                if line.contains("--token") {
                    offenders.push(format!("{}:{}: {line}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(files > 50, "the pages' sources were read ({files} files)");
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
    assert!(thidua_web::ui::READ_TOKEN.contains("read -rs THIDUA_TOKEN"));
}
