//! Browser tests of the covenant workflow as its users need it (issue 11), in headless
//! Chromium: a changed draft leads the signer to the new version (step-up password first), the
//! covenant form reports every problem beside its row with the focus on the error summary, the
//! regulation page puts a diagnostic beside its line, a draft is withdrawn and a new version
//! proposed and compared, a merged unit is refused by name, history tells events with names, a
//! frozen covenant is issued as an official document from its cluster's page.
//! And a tour takes every page at 1366 and 390 px (`THIDUA_SCREENSHOTS` or
//! `target/artifacts/screenshots`).
//!
//! Each is a `#[test]` of its own (`scenarios::…`), with its own browser and server on a fresh
//! fixture: a flow that needs a second covenant drafts it first ([`second_covenant_drafted`]).
//! Over HTTP only: the history names reporting windows and key-ceremony steps in words, the
//! covenant page names the indicator measuring each target.

use std::path::PathBuf;

use thidua_domain::{Actor, Command, CovenantId, Text};

use super::browser::{browser_scenarios, Browser};
use super::support::{TestApp, PASSWORD, REGULATION};

browser_scenarios!(
    changed_draft_leads_to_the_new_version,
    targets_with_errors_beside_the_rows,
    regulation_diagnostic_at_its_line,
    withdraw_then_propose_and_compare,
    merged_unit_refused,
    names_in_history,
    issue_a_frozen_covenant,
    enter_in_a_field_keeps_the_targets,
    tour,
);

fn covenant_page(b: &Browser, app: &TestApp, id: &str) {
    b.goto(&format!("{}/covenants/{id}", app.base));
}

/// The regulation file as a secretariat would upload it (and a broken copy).
fn regulation_files(dir: &std::path::Path) -> (PathBuf, PathBuf) {
    let good = dir.join("quy-dinh.toml");
    std::fs::write(&good, REGULATION).unwrap();
    let broken = dir.join("quy-dinh-loi.toml");
    let text = REGULATION.replace(
        "expr = \"pct_change(crimes, crimes@baseline)\"",
        "expr = \"pct_change(crimez, crimes@baseline)\"",
    );
    assert_ne!(text, REGULATION);
    std::fs::write(&broken, text).unwrap();
    (good, broken)
}

/// The line of the regulation holding `needle` (1-based).
fn line_of(needle: &str) -> usize {
    REGULATION
        .lines()
        .position(|l| l.contains(needle))
        .expect("the line")
        + 1
}

fn attribute(b: &Browser, css: &str, name: &str) -> String {
    b.exec(&format!(
        "var e = document.querySelector({css:?}); return e ? e.getAttribute({name:?}) : null"
    ))
    .as_str()
    .unwrap_or("")
    .to_owned()
}

/// Step-up signing: a wrong password is refused beside the field (the summary takes the focus);
/// when the draft changes while the leader reads it, the signature is refused and the page leads
/// to the new version's confirmation.
fn changed_draft_leads_to_the_new_version(b: &Browser, app: &TestApp) {
    b.sign_in(app, "lanhdao-kg");
    b.goto(&format!(
        "{}/covenants/gu-12-2024/sign?unit=ca-kg",
        app.base
    ));
    assert!(b.wait_for("#sign-password"));
    b.type_into("#sign-password", "không phải mật khẩu");
    b.click("#confirm-sign");
    assert!(b.wait_for("#sign-password-error"), "{}", b.url());
    assert_eq!(
        b.focused(),
        "error-summary",
        "the focus moves to the summary"
    );
    assert!(attribute(b, "#sign-password", "aria-describedby").contains("sign-password-error"));
    b.shots("sign-password-refused");
    // Meanwhile the secretariat amends the draft.
    let id = CovenantId::parse("gu-12-2024").unwrap();
    let mut content = app.service.read().covenants[&id].latest().content.clone();
    content.title = Text::parse("title", "Giao ước thi đua năm 2024 — Cụm 12 (sửa)", 300).unwrap();
    app.service
        .execute(
            &Actor::System,
            Command::AmendCovenantDraft {
                covenant: id.clone(),
                content,
            },
        )
        .unwrap();
    b.type_into("#sign-password", PASSWORD);
    b.click("#confirm-sign");
    assert!(b.wait_for("#sign-latest"), "a way to the new version");
    assert!(b.text("#error-message").contains("đã thay đổi"));
    b.shots("sign-refused-changed-draft");
    b.click("#sign-latest");
    assert!(b.wait_for("#confirm-hash"));
    let hash = app.service.read().covenants[&id].latest().hash.clone();
    assert_eq!(attribute(b, "#confirm-hash", "data-hash"), hash);
    assert!(b.source().contains("(sửa)"), "the new version is shown");
}

/// The "Văn bản" section: once every member signed, the covenant is issued from the cluster's
/// page and listed with its record and its files.
fn issue_a_frozen_covenant(b: &Browser, app: &TestApp) {
    let id = CovenantId::parse("gu-13-2024").unwrap();
    let v = app.service.read().covenants[&id].latest().clone();
    for unit in &v.members {
        let sign = Command::SignCovenant {
            covenant: id.clone(),
            version: v.version,
            unit: unit.clone(),
            hash: v.hash.clone(),
        };
        app.service.execute(&Actor::System, sign).unwrap();
    }
    b.sign_in(app, "quantri");
    b.goto(&format!("{}/clusters/cum-13?year=2024", app.base));
    assert!(b.wait_for("#issue-gu-13-2024"), "the issuing button");
    // Issuing gives the document its number for good: the button alone does not issue it,
    // the box saying so must be ticked first (one click issued it).
    let size = app.service.read().size;
    b.click("#issue-gu-13-2024");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(app.service.read().size, size, "nothing issued unconfirmed");
    assert!(b.find("#issued-documents").is_none(), "{}", b.url());
    assert_eq!(
        b.exec("return document.querySelector('#issue-confirm-gu-13-2024').validity.valueMissing"),
        serde_json::json!(true),
        "the box is what is missing"
    );
    b.click("#issue-confirm-gu-13-2024");
    b.click("#issue-gu-13-2024");
    assert!(b.wait_for("#issued-documents"), "{}", b.url());
    assert!(b
        .text("#issued-documents")
        .contains("Giao ước thi đua năm 2024"));
    assert!(b.find("#issued-documents a[href$='/pdf']").is_some());
    assert!(b.find("#issue-gu-13-2024").is_none(), "issued once");
    b.shots("documents-issued");
}

/// The secretariat fills the form of a second covenant of cluster 12 for 2024 (`gu-12-2024-b`,
/// with the regulation file `regulation`): two rows, the second added without losing what was
/// typed in the first; `t1_threshold` and `t0_baseline` as given, unsaved.
fn fill_second_covenant(
    b: &Browser,
    app: &TestApp,
    regulation: &std::path::Path,
    t1_threshold: &str,
    t0_baseline: &str,
) {
    b.sign_in(app, "thuky12");
    b.goto(&format!(
        "{}/clusters/cum-12/covenants/new?year=2024",
        app.base
    ));
    assert!(b.wait_for("#t0-subject"));
    b.type_into("#covenant", "gu-12-2024-b");
    b.type_into("#title", "Giao ước bổ sung năm 2024");
    b.type_into("#place", "Cà Mau");
    b.type_into("#date", "20/04/2024");
    b.type_into("#t0-area", "Phòng, chống tội phạm");
    b.type_into("#t0-subject", "Kéo giảm tội phạm về trật tự xã hội");
    b.type_into("#t0-threshold", "5");
    b.type_into("#t0-baseline", "2023");
    b.upload("#regulation_file", regulation);
    b.click("#add-row");
    assert!(b.wait_for("#t1-subject"), "a second row");
    assert_eq!(
        attribute(b, "#t0-subject", "value"),
        "Kéo giảm tội phạm về trật tự xã hội",
        "what was typed is kept"
    );
    assert_eq!(attribute(b, "#t1-area", "value"), "Phòng, chống tội phạm");
    b.click("#t1-shape option[value=rate_above]");
    b.type_into("#t1-subject", "Tỷ lệ điều tra, khám phá án");
    b.type_into("#t1-threshold", t1_threshold);
    b.type_into("#t0-baseline", t0_baseline);
}

/// The second covenant saved as a draft (what a flow that reads, withdraws or amends it starts
/// from), the secretariat signed in on its page.
fn second_covenant_drafted(b: &Browser, app: &TestApp, regulation: &std::path::Path) {
    fill_second_covenant(b, app, regulation, "75", "2023");
    b.click("#save-covenant");
    assert!(b.wait_for("#signed-notice"), "saved: {}", b.url());
    assert!(b.url().contains("/covenants/gu-12-2024-b"));
}

/// The covenant form: rows added without losing what was typed, every problem beside its row's
/// field, the focus on the summary; then saved, targets read as sentences.
fn targets_with_errors_beside_the_rows(b: &Browser, app: &TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let (regulation, _) = regulation_files(dir.path());
    fill_second_covenant(b, app, &regulation, "150", "99999");
    b.click("#save-covenant");
    assert!(b.wait_for("#error-summary"), "{}", b.url());
    assert_eq!(b.focused(), "error-summary");
    assert!(b.text("#t1-threshold-error").contains("từ 0 đến 100"));
    assert!(b.text("#t0-baseline-error").contains("Năm gốc"));
    assert_eq!(
        attribute(b, "#t1-threshold", "aria-describedby"),
        "t1-threshold-error"
    );
    b.shots("covenant-form-errors");
    b.type_into("#t1-threshold", "75");
    b.type_into("#t0-baseline", "2023");
    b.click("#save-covenant");
    assert!(b.wait_for("#signed-notice"), "saved: {}", b.url());
    assert!(b.url().contains("/covenants/gu-12-2024-b"));
    let targets = b.text("#targets");
    assert!(
        targets.contains("Giảm ít nhất 5% so với năm 2023"),
        "{targets}"
    );
    assert!(targets.contains("Tỷ lệ đạt trên 75%"), "{targets}");
}

/// Presses Enter in the field `css` (the keyboard's implicit submission of its form).
fn press_enter(b: &Browser, css: &str) {
    let el = b.must(css);
    b.cmd(
        "POST",
        &format!("/element/{el}/value"),
        Some(serde_json::json!({"text": "\u{E007}"})),
    );
}

/// Enter in a text field of the covenant form saves, as "Lưu" does: it never presses a row's
/// "Bỏ chỉ tiêu" (the first button of the form used to be row 1's removal). The default button
/// is first in the form, out of the Tab order and hidden from screen readers. The same form
/// amends a draft.
fn enter_in_a_field_keeps_the_targets(b: &Browser, app: &TestApp) {
    b.sign_in(app, "thuky12");
    b.goto(&format!(
        "{}/clusters/cum-12/covenants/new?year=2024",
        app.base
    ));
    assert!(b.wait_for("#t0-subject"));
    let first = b.exec("return document.querySelector('#covenant-form [type=submit]').id");
    assert_eq!(first, "default-save", "the default button comes first");
    assert_eq!(attribute(b, "#default-save", "value"), "save");
    assert_eq!(attribute(b, "#default-save", "tabindex"), "-1");
    assert_eq!(attribute(b, "#default-save", "aria-hidden"), "true");
    b.type_into("#covenant", "gu-12-2024-b");
    b.type_into("#place", "Cà Mau");
    b.type_into("#date", "20/04/2024");
    b.type_into("#t0-area", "Phòng, chống tội phạm");
    b.type_into("#t0-subject", "Kéo giảm tội phạm về trật tự xã hội");
    b.type_into("#t0-threshold", "5");
    b.type_into("#t0-baseline", "2023");
    b.type_into("#title", "Giao ước bổ sung năm 2024");
    press_enter(b, "#title");
    // Submitted (the regulation is missing, so the form comes back) with target 1 kept.
    assert!(b.wait_for("#error-summary"), "{}", b.url());
    assert!(b.text("#error-summary").contains("Văn bản quy định"));
    assert_eq!(
        attribute(b, "#t0-subject", "value"),
        "Kéo giảm tội phạm về trật tự xã hội",
        "target 1 is still there"
    );
    assert_eq!(attribute(b, "#title", "value"), "Giao ước bổ sung năm 2024");
    assert!(b.find("#t0-threshold-error").is_none());
    // Amending the fixture's unsigned draft: Enter in the title saves it, every target kept.
    let id = CovenantId::parse("gu-12-2024").unwrap();
    let before = app.service.read().covenants[&id]
        .latest()
        .content
        .targets
        .clone();
    assert!(before.len() > 1);
    b.goto(&format!("{}/covenants/gu-12-2024/edit", app.base));
    assert!(b.wait_for("#t0-subject"));
    b.type_into("#title", "Giao ước thi đua năm 2024 — Cụm 12 (sửa)");
    press_enter(b, "#title");
    assert!(b.wait_for("#signed-notice"), "saved: {}", b.url());
    let latest = app.service.read().covenants[&id].latest().content.clone();
    assert_eq!(
        latest.title.as_str(),
        "Giao ước thi đua năm 2024 — Cụm 12 (sửa)"
    );
    assert_eq!(latest.targets, before, "no target removed");
}

/// The regulation page: the criteria in words, and a broken upload's diagnostic beside its line.
fn regulation_diagnostic_at_its_line(b: &Browser, app: &TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let (good, broken) = regulation_files(dir.path());
    second_covenant_drafted(b, app, &good);
    b.goto(&format!("{}/covenants/gu-12-2024-b/regulation", app.base));
    assert!(b.wait_for("#criteria-table"));
    assert!(b
        .text("#criteria-table")
        .contains("Đấu tranh phòng, chống tội phạm"));
    b.shots("regulation");
    b.upload("#regulation_file", &broken);
    b.click("#save-regulation");
    assert!(b.wait_for("#error-summary"));
    let line = line_of("expr = \"pct_change(crimes, crimes@baseline)\"");
    let row = format!("#L{line}.has-diag");
    assert!(b.find(&row).is_some(), "a diagnostic at line {line}");
    assert!(b.text(&row).contains("crimez"), "{}", b.text(&row));
    b.shots("regulation-diagnostic");
    code_box_numbers_its_lines(b);
}

/// The regulation's box has its line numbers beside it: each number level with its line (same
/// line height, same top), one per row, the box as tall as its text so they never scroll
/// apart; typing more lines grows both (`/static/code.js`).
fn code_box_numbers_its_lines(b: &Browser) {
    let measure = "const box = document.querySelector('#edit-regulation .code-box');
        const g = box.querySelector('.gutter'), a = box.querySelector('textarea');
        const gs = getComputedStyle(g), ts = getComputedStyle(a);
        const top = (el, s) => el.getBoundingClientRect().top
            + parseFloat(s.borderTopWidth) + parseFloat(s.paddingTop);
        return [gs.lineHeight === ts.lineHeight, Math.abs(top(g, gs) - top(a, ts)) < 0.5,
            a.rows, a.value.split('\\n').length, g.textContent.split('\\n').length,
            a.scrollHeight <= a.clientHeight + 1];";
    let m = b.exec(measure);
    let m = m.as_array().unwrap();
    assert_eq!(
        (&m[0], &m[1]),
        (&serde_json::json!(true), &serde_json::json!(true)),
        "level: {m:?}"
    );
    let (rows, lines, numbers) = (m[2].as_u64(), m[3].as_u64(), m[4].as_u64());
    assert_eq!(rows, numbers, "one number per row: {m:?}");
    assert!(rows >= lines, "the box holds every line: {m:?}");
    assert_eq!(
        m[5],
        serde_json::json!(true),
        "no scrolling inside the box: {m:?}"
    );
    b.exec(
        "const a = document.querySelector('#edit-regulation textarea');
         a.value += '\\n'.repeat(30); a.dispatchEvent(new Event('input'));",
    );
    let after = b.exec(measure);
    let after = after.as_array().unwrap();
    assert_eq!(after[2].as_u64(), Some(rows.unwrap() + 30), "{after:?}");
    assert_eq!(after[2], after[4], "{after:?}");
}

/// Withdrawing the unsigned draft (with a reason, into the history, out of the to-dos), then
/// proposing version 2 and reading the difference.
fn withdraw_then_propose_and_compare(b: &Browser, app: &TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let (good, _) = regulation_files(dir.path());
    second_covenant_drafted(b, app, &good);
    covenant_page(b, app, "gu-12-2024-b");
    b.click("#withdraw-link");
    assert!(b.wait_for("#reason"));
    b.shots("withdraw-confirm");
    b.type_into("#reason", "Soạn trùng với giao ước chính");
    b.click("#confirm-withdraw");
    assert!(b.wait_for("#withdrawal"), "{}", b.url());
    assert!(b.text("#version-status").contains("Đã rút"));
    b.sign_in(app, "lanhdao-ag");
    assert!(
        !b.source().contains("gu-12-2024-b/sign"),
        "the withdrawn draft is no longer a to-do"
    );
    assert!(
        !b.source().contains("href=\"/covenants/gu-12-2024-b\""),
        "nor among the home page's covenants"
    );
    b.goto(&format!("{}/clusters/cum-12?year=2024", app.base));
    assert!(
        !b.source().contains("/covenants/gu-12-2024-b/document/pdf"),
        "nor a paper to prepare: {}",
        b.source()
    );
    b.sign_in(app, "thuky12");
    covenant_page(b, app, "gu-12-2024-b");
    b.click("#edit-link");
    assert!(b.wait_for("#t1-threshold"));
    b.type_into("#t1-threshold", "80");
    // The regulation changes too: A1's target goes from a 5% cut to a 7% cut.
    b.exec(
        "const r = document.querySelector('#regulation');
         r.value = r.value.replace('target = -5, better = \"lower\"', 'target = -7, better = \"lower\"');",
    );
    b.click("#save-covenant");
    assert!(b.wait_for("#diff-link"), "{}", b.url());
    assert!(b.text("#version-status").starts_with('2'));
    // The new version's page says what changed from version 1, there where the leaders sign.
    let changes = b.text("#changes");
    assert!(
        changes.contains("Những thay đổi so với phiên bản 1")
            && changes.contains("Tỷ lệ đạt trên 80%")
            && changes.contains("giảm từ 7% trở lên"),
        "{changes}"
    );
    b.shots("covenant-changes");
    b.click("#diff-link");
    assert!(b.wait_for("#changes"));
    let changes = b.text("#changes");
    assert!(
        changes.contains("Tỷ lệ đạt trên 75%") && changes.contains("Tỷ lệ đạt trên 80%"),
        "{changes}"
    );
    // The criterion in words, before and after (not only the TOML lines).
    let criteria = b.text("#criteria-changes");
    assert!(
        criteria.contains("giảm từ 5% trở lên") && criteria.contains("giảm từ 7% trở lên"),
        "{criteria}"
    );
    b.shots("diff");
    b.goto(&format!(
        "{}/history?kind=covenant_draft_withdrawn",
        app.base
    ));
    let text = b.text("#events");
    assert!(
        text.contains("đã rút dự thảo") && text.contains("Thư Ký Cụm 12"),
        "{text}"
    );
    b.sign_in(app, "lanhdao-ag");
    assert!(
        b.source()
            .contains("/covenants/gu-12-2024-b/sign?unit=ca-ag"),
        "version 2 is to sign"
    );
}

/// Kiên Giang, merged into An Giang on 01/07/2025, cannot be a 2025 member (nor the other
/// merged units): the refusal names them all and their successors beside the membership field.
fn merged_unit_refused(b: &Browser, app: &TestApp) {
    b.sign_in(app, "thuky12");
    b.goto(&format!("{}/clusters/cum-12?year=2024", app.base));
    b.type_into("#mm-year", "2025");
    b.click("#manage form[action$='/members'] button[type=submit]");
    assert!(b.wait_for("#members-members-error"), "{}", b.url());
    let message = b.text("#members-members-error");
    assert!(
        message.contains("Công an tỉnh Kiên Giang")
            && message.contains("Công an tỉnh Bạc Liêu")
            && message.contains("không còn tồn tại từ ngày 01/07/2025")
            && message.contains("Công an tỉnh An Giang"),
        "{message}"
    );
    assert_eq!(b.focused(), "error-summary");
    b.shots("merged-unit-refused");
}

/// History tells each event as a sentence with names and links, never `user:…` ids.
fn names_in_history(b: &Browser, app: &TestApp) {
    // Ca-kg's leader signs the cluster's covenant (the signing pages have their own flow).
    let id = CovenantId::parse("gu-12-2024").unwrap();
    let (version, hash) = {
        let latest = app.service.read().covenants[&id].latest().clone();
        (latest.version, latest.hash)
    };
    app.service
        .execute(
            &Actor::User(thidua_domain::UserId::parse("lanhdao-kg").unwrap()),
            Command::SignCovenant {
                covenant: id,
                version,
                unit: thidua_domain::UnitId::parse("ca-kg").unwrap(),
                hash,
            },
        )
        .unwrap();
    b.sign_in(app, "quantri");
    b.goto(&format!("{}/history?kind=covenant_signed", app.base));
    let text = b.text("#events");
    assert!(
        text.contains("Lãnh đạo Công an tỉnh Kiên Giang (Lãnh Đạo Kiên Giang) đã ký"),
        "{text}"
    );
    assert!(!b.source().contains("user:"), "no ids for people");
    assert!(b.find("#events a[href='/people/lanhdao-kg']").is_some());
    b.shots("history-signed");
}

/// Every page, as the people who use it, at 1366 and 390 px.
fn tour(b: &Browser, app: &TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let (good, _) = regulation_files(dir.path());
    second_covenant_drafted(b, app, &good);
    b.clear_cookies();
    b.goto(&format!("{}/login", app.base));
    b.shots("page-login");
    let size = app.service.read().size;
    let pages: &[(&str, &[(&str, &str)])] = &[
        (
            "quantri",
            &[
                ("home-admin", "/"),
                ("admin", "/admin"),
                ("admin-units", "/admin/units"),
                ("admin-movements", "/admin/movements"),
                ("admin-holidays", "/admin/holidays"),
                ("awards", "/awards"),
                ("admin-people", "/admin/people"),
                ("admin-roles", "/admin/roles"),
                ("admin-tokens", "/admin/tokens"),
                ("admin-log", "/admin/log"),
                (
                    "admin-revoke",
                    "/admin/roles/revoke?user=canbo-kg&role=officer:ca-kg",
                ),
                ("person", "/people/lanhdao-kg"),
                ("cluster-2024", "/clusters/cum-12?year=2024"),
                ("cluster-2025", "/clusters/cum-12?year=2025"),
                ("cluster-13-documents", "/clusters/cum-13?year=2024"),
                ("covenant", "/covenants/gu-12-2024"),
                ("covenant-old-version", "/covenants/gu-12-2024-b?version=1"),
                ("covenant-edit", "/covenants/gu-12-2024-b/edit"),
                ("covenant-new", "/clusters/cum-13/covenants/new?year=2024"),
                ("unit-ag", "/units/ca-ag"),
                ("unit-kg", "/units/ca-kg"),
                ("unit-st", "/units/ca-st"),
                ("unit-admin", "/units/ca-kg/admin"),
                ("unit-rename", "/units/ca-kg/rename"),
                ("unit-lineage", "/units/ca-kg/lineage"),
                ("history", "/history"),
                ("about-record", "/about/record"),
                ("account", "/account"),
                ("error-404", "/units/khong-co"),
                ("error-405", "/clusters/cum-12/members"),
                ("bootstrap-closed", "/bootstrap"),
            ],
        ),
        ("thuky12", &[("home-secretariat", "/")]),
        (
            "lanhdao-ag",
            &[
                ("home-leader", "/"),
                ("sign-confirm", "/covenants/gu-12-2024/sign?unit=ca-ag"),
                ("unit-ct-leader", "/units/ca-ct"),
            ],
        ),
        ("canbo-kg", &[("home-officer", "/")]),
        ("giamsat12", &[("home-supervisor", "/")]),
    ];
    let take = |pages: &[(&str, &[(&str, &str)])]| {
        for (user, list) in pages {
            b.sign_in(app, user);
            for (name, path) in *list {
                b.goto(&format!("{}{path}", app.base));
                let title = b.exec("return document.title");
                assert!(title.as_str().is_some_and(|t| !t.is_empty()), "{name}");
                b.shots(&format!("page-{name}"));
            }
        }
    };
    take(pages);
    // The reporting year's pages, once the covenants are signed and figures approved.
    super::support::load_figures(&app.service);
    let c = "/covenants/gu-12-2024";
    let withdraw = format!(
        "/units/ca-kg/lineage/{}/withdraw",
        super::accessibility::kg_merger(app)
    );
    take(&[
        (
            "thuky12",
            &[
                ("figures-window", &format!("{c}/figures")),
                ("figures-rules", &format!("{c}/figures/rules")),
                ("progress", &format!("{c}/progress")),
                ("flags", &format!("{c}/flags")),
                ("midyear", &format!("{c}/midyear")),
                ("regulation", &format!("{c}/regulation")),
                ("transparency", "/transparency"),
            ],
        ),
        (
            "canbo-kg",
            &[
                ("home-officer-year", "/"),
                ("figures-report", &format!("{c}/figures/ca-kg/M03")),
            ],
        ),
        ("lanhdao-kg", &[("home-leader-year", "/")]),
        ("giamsat12", &[("progress-overview", "/progress")]),
        (
            "quantri",
            &[
                ("admin-user-tokens", "/admin/users/lanhdao-kg/tokens"),
                ("unit-lineage-withdraw", &withdraw),
            ],
        ),
    ]);
    b.sign_in(app, "quantri");
    b.goto(&format!("{}/record/{}?size={size}", app.base, size - 1));
    assert!(b.wait_for("#check-included"));
    assert!(b.text("#check-included").contains("khớp"));
    b.shots("page-record");
    // English pages mark Vietnamese data as such.
    b.click("#lang-switch");
    assert!(b.wait_text("Checking event number"));
    b.goto(&format!("{}/covenants/gu-12-2024", app.base));
    assert!(b.find("h1[lang=vi]").is_some());
    b.shots("page-covenant-english");
    b.click("#lang-switch");
    assert!(b.wait_text("Ngày ký (theo giao ước)"));
}

/// Over HTTP: a reporting window in the history is named as its users know it, from the
/// covenant's calendar ("Tháng 1/2024"), never by its key (`M01`).
#[test]
fn history_names_the_reporting_window() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let kg = super::support::signed_in(&app, "lanhdao-kg");
    for kind in ["figures_saved", "figures_submitted"] {
        let page = kg.get(&format!("/history?kind={kind}")).body;
        assert!(
            page.contains("số liệu kỳ Tháng 1/2024 của"),
            "{kind}: {page}"
        );
        assert!(!page.contains("kỳ M0"), "{kind}: no window keys");
    }
    english(&kg);
    let en = kg.get("/history?kind=figures_submitted").body;
    assert!(en.contains("the Month 1/2024 figures of"), "{en}");
}

/// In English, a role's title is English and its unit's name, Vietnamese data, is marked
/// `lang="vi"` (home, account, a person's page, and the history, where it links to the unit).
#[test]
fn roles_in_english_mark_the_unit_name_as_vietnamese() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    let kg = super::support::signed_in(&app, "lanhdao-kg");
    english(&kg);
    let role = "Unit leader — <span lang=\"vi\">Công an tỉnh Kiên Giang</span>";
    for path in ["/", "/account", "/people/lanhdao-kg"] {
        let page = kg.get(path).body;
        assert!(page.contains(role), "{path}: {page}");
    }
    let admin = super::support::signed_in(&app, "quantri");
    english(&admin);
    let history = admin.get("/history?kind=role_granted").body;
    assert!(
        history.contains(
            "Unit leader — <a href=\"/units/ca-kg\" lang=\"vi\">Công an tỉnh Kiên Giang</a>"
        ),
        "{history}"
    );
}

/// Switches the client's pages to English.
fn english(c: &super::support::Client) {
    let csrf = c.get("/account").csrf();
    c.post_form("/lang", &[("csrf", &csrf), ("to", "en")]);
}

/// Over HTTP: each step of an election's key ceremony is told in words, in Vietnamese and in
/// English, never by the log's step name (`commit`, `confirm`…).
#[test]
fn history_words_the_key_ceremony_steps() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    // The Ministry's flag vote of the votes' tests, its key ceremony completed.
    super::votes::election(&app);
    let kg = super::support::signed_in(&app, "lanhdao-kg");
    let vi = kg.get("/history?kind=ceremony_posted").body;
    for step in [
        "(1/4: cam kết phần khoá của đơn vị",
        "(2/4: công bố phần khoá công khai",
        "(3/4: gửi các mảnh khoá đã mã hoá",
        "(4/4: xác nhận khoá bỏ phiếu chung",
        "Lần tạo khoá",
    ] {
        assert!(vi.contains(step), "{step}: {vi}");
    }
    english(&kg);
    let en = kg.get("/history?kind=ceremony_posted").body;
    assert!(
        en.contains("(4 of 4: confirmation of the joint ballot key"),
        "{en}"
    );
    for (page, lang) in [(&vi, "vi"), (&en, "en")] {
        for code in ["(commit", "(reveal", "(deal", "(confirm", ", 1)"] {
            assert!(!page.contains(code), "{lang}: {code}");
        }
    }
}

/// Over HTTP: the covenant page names the regulation's indicator or element that measures a
/// target, never its id (`crimes`, `resolved_rate`).
#[test]
fn covenant_page_names_the_measuring_indicator() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    let page = super::support::signed_in(&app, "lanhdao-kg")
        .get("/covenants/gu-12-2024")
        .body;
    let names: std::collections::BTreeMap<String, String> =
        thidua_domain::covenant::regulation_indicators(REGULATION)
            .unwrap()
            .into_iter()
            .collect();
    for id in ["crimes", "resolved_rate"] {
        let shown = format!("<span lang=\"vi\">{}</span>", names[id]);
        assert!(page.contains(&shown), "{id}: {page}");
        assert!(!page.contains(&format!("<code>{id}</code>")), "{id}");
    }
}

/// Over HTTP: a wrong password when signing is told as such ("Mật khẩu không đúng."), not in
/// the change-password form's words, under a heading that says the covenant is not signed.
#[test]
fn signing_with_a_wrong_password_says_so() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    let kg = super::support::signed_in(&app, "lanhdao-kg");
    let attempt = |c: &super::support::Client| {
        let page = c.get("/covenants/gu-12-2024/sign?unit=ca-kg");
        let hash = app.service.read().covenants[&CovenantId::parse("gu-12-2024").unwrap()]
            .latest()
            .hash
            .clone();
        c.post_form(
            "/covenants/gu-12-2024/sign",
            &[
                ("csrf", &page.csrf()),
                ("unit", "ca-kg"),
                ("version", "1"),
                ("hash", &hash),
                ("password", "không phải mật khẩu"),
            ],
        )
    };
    let r = attempt(&kg);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Chưa ký được: cần sửa các mục sau"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Mật khẩu không đúng."), "{}", r.body);
    assert!(!r.body.contains("Mật khẩu hiện tại") && !r.body.contains("Chưa lưu được"));
    english(&kg);
    let r = attempt(&kg);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Not signed: please correct the following"));
    assert!(r.body.contains("Wrong password.") && !r.body.contains("current password"));
}

/// Over HTTP: a figure's comment that is too long says the limit, as do the other text fields
/// (a withdrawal's reason); nothing is saved.
#[test]
fn too_long_says_the_limit() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let officer = super::support::signed_in(&app, "canbo-kg");
    let path = "/covenants/gu-12-2024/figures/ca-kg/M04";
    let page = officer.get(path);
    let long = "Ghi chú ".repeat(200);
    let r = officer.post_form(
        path,
        &[
            ("csrf", &page.csrf()),
            ("v_crimes", "12"),
            ("c_crimes", &long),
            ("action", "save"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Quá dài (tối đa 1.000 ký tự)."),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Quá dài."));
    // Any text field refused by the domain's length rule says its limit, in either language.
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    let sec = super::support::signed_in(&app, "thuky12");
    english(&sec);
    let csrf = sec.get("/covenants/gu-12-2024/withdraw").csrf();
    let r = sec.post_form(
        "/covenants/gu-12-2024/withdraw",
        &[("csrf", &csrf), ("reason", &"lý do ".repeat(200))],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Too long (at most 1.000 characters)."),
        "{}",
        r.body
    );
}

/// Over HTTP: the figures page offers the approved figures as a download in plain words; the
/// command that reads the file is named only in the link's title.
#[test]
fn figures_export_link_in_plain_words() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    let kg = super::support::signed_in(&app, "lanhdao-kg");
    let page = kg.get("/covenants/gu-12-2024/figures").body;
    assert!(
        page.contains(
            "title=\"Tệp CSV đọc được bằng lệnh «thidua score --data»\">Tải số liệu đã duyệt (CSV, để tự tính lại điểm)</a>"
        ),
        "{page}"
    );
    english(&kg);
    let page = kg.get("/covenants/gu-12-2024/figures").body;
    assert!(
        page.contains(">Download the approved figures (CSV, to recompute the scores yourself)</a>"),
        "{page}"
    );
    assert_eq!(page.matches("thidua score").count(), 1, "only in the title");
}

/// Over HTTP: the election page names each step of a key ceremony under way with how many
/// trustees have sent it, and says the key is ready in one sentence once it is (no bare
/// "5/5 · 5/5 · 5/5 · 5/5").
#[test]
fn election_page_names_the_key_ceremony_steps() {
    use thidua_domain::votes::{AwardKind, Fraction, VoteCommand};
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    super::votes::election(&app);
    // A second vote (next year's head: an award vote could not open while the flag's may
    // still elect its candidates), its key ceremony not started.
    app.service
        .execute(
            &Actor::User(thidua_domain::UserId::parse("thuky12").unwrap()),
            Command::Vote(VoteCommand::OpenElection {
                election: thidua_domain::ElectionId::parse("cum-truong-2025").unwrap(),
                cluster: thidua_domain::ClusterId::parse("cum-12").unwrap(),
                year: 2024,
                award: AwardKind::Head,
                title: Text::parse("t", "Bầu cụm trưởng năm 2025", 300).unwrap(),
                seats: 1,
                approval: Fraction { num: 4, den: 5 },
                quorum: Fraction { num: 2, den: 3 },
                trustee_threshold: 3,
            }),
        )
        .unwrap();
    let kg = super::support::signed_in(&app, "lanhdao-kg");
    let done = kg.get("/elections/co-bo-2024").body;
    assert!(
        done.contains("Khoá bỏ phiếu đã được tạo; mọi người kiểm tra lại được từ sổ."),
        "{done}"
    );
    assert!(!done.contains("5/5 ·") && !done.contains("id=\"ceremony-steps\""));
    let waiting = kg.get("/elections/cum-truong-2025").body;
    for step in [
        "<li>Cam kết phần khoá của đơn vị: 0/5 đơn vị giữ khoá đã gửi</li>",
        "<li>Công bố phần khoá công khai: 0/5 đơn vị giữ khoá đã gửi</li>",
        "<li>Gửi các mảnh khoá đã mã hoá cho các đơn vị giữ khoá khác: 0/5 đơn vị giữ khoá đã gửi</li>",
        "<li>Xác nhận khoá bỏ phiếu chung: 0/5 đơn vị giữ khoá đã gửi</li>",
    ] {
        assert!(waiting.contains(step), "{step}: {waiting}");
    }
    english(&kg);
    let waiting = kg.get("/elections/cum-truong-2025").body;
    assert!(
        waiting.contains("<li>Confirmation of the joint ballot key: 0 of 5 trustees done</li>"),
        "{waiting}"
    );
}

/// Over HTTP: the home page lists a unit's own covenants, not every covenant its leader may
/// read: Cần Thơ, in Cluster 12 since 2025, does not see the cluster's 2024 covenant as its
/// own (it still reads it from the cluster's page); the members, the cluster's supervisor and
/// the administrator see it.
#[test]
fn home_lists_only_the_viewers_own_covenants() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    let link = "href=\"/covenants/gu-12-2024\"";
    let ct = super::http::leader_of(&app, "ca-ct");
    let home = ct.get("/").body;
    assert!(!home.contains(link), "{home}");
    assert!(home.contains("href=\"/clusters/cum-12\""), "{home}");
    assert_eq!(
        ct.get("/covenants/gu-12-2024").status,
        200,
        "still readable"
    );
    for user in ["lanhdao-kg", "giamsat12", "quantri"] {
        let home = super::support::signed_in(&app, user).get("/").body;
        assert!(home.contains(link), "{user}: {home}");
        assert!(
            !home.contains("href=\"/covenants/gu-13-2024\"") || user == "quantri",
            "{user}: another cluster's covenant"
        );
    }
}

/// The home page lists the newest year's covenant first (the 2024 one came first, each line
/// reading "…năm 2024 — 2024"), and gives the year beside a title only when the title lacks it.
#[test]
fn home_lists_the_newest_covenant_first_without_repeating_its_year() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    super::support::signed_2025_covenant(&app.service);
    let page = super::support::signed_in(&app, "lanhdao-ag").get("/").body;
    // The covenants' list: the page's last list under a heading (to-dos link covenants too).
    let home = &page[page.rfind("</h2>\n<ul>").expect("the covenants' list")..];
    let at = |id: &str| home.find(&format!("href=\"/covenants/{id}\"")).expect(id);
    assert!(at("gu-12-2025") < at("gu-12-2024"), "{home}");
    let line = |id: &str| super::support::without_tags(&home[at(id)..][..400]);
    for (id, year) in [("gu-12-2025", "2025"), ("gu-12-2024", "2024")] {
        assert!(
            !line(id).contains(&format!("— {year},")),
            "{id}: {}",
            line(id)
        );
    }
}

/// Over HTTP: a refused file's page shows the errors and the import form again, and leads back
/// to the report by GET (reloading the answer would post the file again) with a word why.
#[test]
fn import_errors_lead_back_without_posting_again() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    super::support::load_figures(&app.service);
    let officer = super::support::signed_in(&app, "canbo-kg");
    let page = officer.get("/covenants/gu-12-2024/figures/ca-kg/M03");
    let (ct, body) = super::support::multipart(
        &[("csrf", &page.csrf()), ("unit", "ca-kg"), ("window", "M03")],
        "m03.csv",
        "text/csv",
        b"unit,element,period,value\nCAKG,crimes,2024-M03,1x\n",
    );
    let r = officer.post_raw("/covenants/gu-12-2024/figures/import", &ct, &body);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"import-errors\"") && r.body.contains("«1x»"));
    assert!(
        r.body.contains("id=\"import-file\""),
        "the form to choose the file again"
    );
    let retry = &r.body[r.body.find("id=\"import-retry\"").expect("what to do next")..];
    assert!(retry.contains("Đừng tải lại trang này (F5)"), "{retry}");
    assert!(
        retry.contains("<a href=\"#import-file\">Chọn tệp đã sửa</a>"),
        "{retry}"
    );
    assert!(
        retry.contains("<a href=\"/covenants/gu-12-2024/figures/ca-kg/M03\" id=\"import-back\">"),
        "{retry}"
    );
    // A report that takes no file now (January is submitted): no advice to choose another.
    let (ct, body) = super::support::multipart(
        &[("csrf", &page.csrf()), ("unit", "ca-kg"), ("window", "M01")],
        "m01.csv",
        "text/csv",
        b"unit,element,period,value\nCAKG,crimes,2024-M01,5\n",
    );
    let r = officer.post_raw("/covenants/gu-12-2024/figures/import", &ct, &body);
    let retry = &r.body[r.body.find("id=\"import-retry\"").expect("what to do next")..];
    assert!(!retry.contains("#import-file") && retry.contains("id=\"import-back\""));
    // Another month's file sent from March's page: refused, saying which month it holds, and
    // nothing imported (February stays as it was).
    let before = app.service.read().size;
    let (ct, body) = super::support::multipart(
        &[("csrf", &page.csrf()), ("unit", "ca-kg"), ("window", "M03")],
        "m02.csv",
        "text/csv",
        b"unit,element,period,value\nCAKG,crimes,2024-M02,5\n",
    );
    let r = officer.post_raw("/covenants/gu-12-2024/figures/import", &ct, &body);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Tệp này chứa số liệu của Tháng 2, không phải của kỳ trên trang này"),
        "{}",
        r.body
    );
    assert_eq!(app.service.read().size, before, "nothing imported");
}
