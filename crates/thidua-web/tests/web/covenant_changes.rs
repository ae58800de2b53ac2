//! What a new version of a covenant changed from the one it replaces, where the members who
//! must sign it read it: on the covenant page (Vietnamese, English), on the comparison page and
//! in the API's covenant representation, documented in the OpenAPI document.

use rust_decimal::Decimal;
use thidua_domain::model::{Comparison, Target, TargetKind};
use thidua_domain::{Actor, Command, TargetId, Text};

use super::support::{element_text, signed_in, spawn, Backend, TestApp};

const COV: &str = "gu-12-2025";

/// Cluster 12's signed covenant of 2025, and its version 2 proposed by the secretariat: a
/// new title, target t4's threshold raised from 75% to 80%, t7 removed, t8 added, and in the
/// regulation criterion A1's scale (a reduction of 7% instead of 5%) and the bonus cap (15 →
/// 15,5).
fn second_version() -> TestApp {
    let app = spawn(Backend::Sqlite).unwrap();
    let covenant = super::support::signed_2025_covenant(&app.service);
    let mut content = app.service.read().covenants[&covenant]
        .latest()
        .content
        .clone();
    content.title = text("Giao ước thi đua năm 2025 — Cụm thi đua số 12 (sửa đổi)");
    for t in &mut content.targets {
        if t.id.as_str() == "t4" {
            t.threshold = Some(Decimal::from(80));
        }
    }
    content.targets.retain(|t| t.id.as_str() != "t7");
    content.targets.push(asset_recovery());
    let regulation = content
        .regulation
        .text
        .replace(
            "target = -5, better = \"lower\", per = 2 }",
            "target = -7, better = \"lower\", per = 2 }",
        )
        .replace("bonus_cap = 15\n", "bonus_cap = 15.5\n");
    assert_ne!(regulation, content.regulation.text);
    content.regulation = thidua_domain::covenant::regulation_doc(&regulation).unwrap();
    let propose = Command::ProposeCovenantVersion { covenant, content };
    app.service.execute(&Actor::System, propose).unwrap();
    app
}

fn text(s: &str) -> Text {
    Text::parse("test", s, 300).unwrap()
}

fn asset_recovery() -> Target {
    Target {
        id: TargetId::parse("t8").unwrap(),
        area: text("Phòng, chống tội phạm"),
        kind: TargetKind::Rate,
        subject: text("Thu hồi tài sản trong các vụ án tham nhũng"),
        comparison: Comparison::AtLeast,
        threshold: Some(Decimal::from(60)),
        range: None,
        baseline_year: None,
        unit_of_measure: Some(text("%")),
        indicator: None,
    }
}

/// A leader asked to sign version 2 reads on its page what changed from version 1: the title,
/// each target added, removed or changed (old and new threshold), the criterion in words, the
/// bonus cap in Vietnamese numbers; without script. Version 1's page has no such section.
#[test]
fn the_covenant_page_says_what_a_new_version_changed() {
    let app = second_version();
    let leader = signed_in(&app, "lanhdao-ag");
    let page = leader.get(&format!("/covenants/{COV}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"sign-ca-ag\""), "{}", page.body);
    let section = element_text(&page.body, "changes", "section");
    assert!(
        section.contains("Những thay đổi so với phiên bản 1"),
        "{section}"
    );
    let covenant = element_text(&page.body, "covenant-changes", "table");
    for said in [
        "Tiêu đề",
        "(sửa đổi)",
        "Chỉ tiêu sửa",
        "75%",
        "80%",
        "Chỉ tiêu thêm",
        "Thu hồi tài sản trong các vụ án tham nhũng",
        "Chỉ tiêu bỏ",
        "Ba khâu đột phá",
    ] {
        assert!(covenant.contains(said), "{said}: {covenant}");
    }
    let criteria = element_text(&page.body, "criteria-rows", "table");
    assert!(
        criteria.contains("Tiêu chí sửa")
            && criteria.contains("giảm từ 5% trở lên")
            && criteria.contains("giảm từ 7% trở lên"),
        "{criteria}"
    );
    let regulation = element_text(&page.body, "regulation-rows", "table");
    assert!(
        regulation.contains("bonus_cap") && regulation.contains("15,5"),
        "{regulation}"
    );
    assert!(page
        .body
        .contains(&format!("href=\"/covenants/{COV}/diff?from=1&amp;to=2\"")));
    let first = leader.get(&format!("/covenants/{COV}?version=1"));
    assert_eq!(first.status, 200);
    assert!(!first.body.contains("id=\"changes\""), "{}", first.body);
}

/// The same section in English when the leader reads English; the data stays Vietnamese.
#[test]
fn the_changes_are_said_in_english_too() {
    let app = second_version();
    let leader = signed_in(&app, "lanhdao-ag");
    let home = leader.get("/");
    let r = leader.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = leader.get(&format!("/covenants/{COV}"));
    let section = element_text(&page.body, "changes", "section");
    for said in [
        "What changed from version 1",
        "Target changed",
        "Target added",
        "Target removed",
        "Criterion changed",
    ] {
        assert!(section.contains(said), "{said}: {section}");
    }
}

/// The API's covenant gives each version's changes from the one before (none for version 1),
/// the same as the page; the OpenAPI document describes the field.
#[test]
fn the_api_gives_each_versions_changes() {
    let app = second_version();
    let leader = signed_in(&app, "lanhdao-ag");
    let cov = leader.get(&format!("/api/v1/covenants/{COV}")).json();
    let versions = cov["versions"].as_array().unwrap();
    assert!(versions[0]["changes"].is_null(), "{}", versions[0]);
    let changes = &versions[1]["changes"];
    assert_eq!(changes["from_version"], 1);
    assert_eq!(changes["unchanged"], false);
    assert_eq!(changes["fields"][0]["field"], "title");
    let targets = changes["targets"].as_array().unwrap();
    let said: Vec<(&str, &str)> = targets
        .iter()
        .map(|t| (t["id"].as_str().unwrap(), t["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        said,
        [("t4", "changed"), ("t8", "added"), ("t7", "removed")]
    );
    assert_eq!(targets[0]["fields"], serde_json::json!(["threshold"]));
    assert_eq!(targets[0]["before"]["threshold"], "75");
    assert_eq!(targets[0]["after"]["threshold"], "80");
    let regulation = &changes["regulation"];
    assert_ne!(regulation["sha256_before"], regulation["sha256_after"]);
    let settings = regulation["settings"].as_array().unwrap();
    assert!(
        settings
            .iter()
            .any(|s| s["key"] == "bonus_cap" && s["before"] == "15" && s["after"] == "15.5"),
        "{settings:?}"
    );
    let a1 = &regulation["tables"][0];
    assert_eq!(
        (a1["table"].as_str(), a1["id"].as_str()),
        (Some("criterion"), Some("A1"))
    );
    assert_eq!(a1["values"][0]["key"], "scale");
    let doc = leader.get("/api/openapi.json").json();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["VersionDto"]["properties"]["changes"].is_object());
    assert!(schemas["VersionChangesDto"]["properties"]["targets"].is_object());
    assert!(schemas["RegulationTableChangeDto"]["properties"]["values"].is_object());
}

/// The comparison page lists the regulation's settings and other tables as well as the
/// criteria, from the same computation.
#[test]
fn the_comparison_page_lists_the_regulation_settings() {
    let app = second_version();
    let page = signed_in(&app, "thuky12").get(&format!("/covenants/{COV}/diff?from=1&to=2"));
    assert_eq!(page.status, 200, "{}", page.body);
    let regulation = element_text(&page.body, "regulation-changes", "section");
    assert!(regulation.contains("15,5"), "{regulation}");
    assert!(page.body.contains("id=\"criteria-changes\""));
}

/// A draft amended in place (before anyone signed it) says what the amendment changed, beside
/// what the version changed from the one before: t4's threshold raised again, 80% → 85%, with
/// the columns "before" and "after the amendment"; in English too.
#[test]
fn an_amended_draft_says_what_its_amendment_changed() {
    let app = second_version();
    let covenant = thidua_domain::CovenantId::parse(COV).unwrap();
    let mut content = app.service.read().covenants[&covenant]
        .latest()
        .content
        .clone();
    for t in &mut content.targets {
        if t.id.as_str() == "t4" {
            t.threshold = Some(Decimal::from(85));
        }
    }
    let amend = Command::AmendCovenantDraft { covenant, content };
    app.service.execute(&Actor::System, amend).unwrap();
    let leader = signed_in(&app, "lanhdao-ag");
    let page = leader.get(&format!("/covenants/{COV}"));
    assert_eq!(page.status, 200, "{}", page.body);
    let versions = element_text(&page.body, "changes", "section");
    assert!(versions.contains("85"), "{versions}");
    let section = element_text(&page.body, "amendment-changes", "section");
    assert!(section.contains("Dự thảo đã được sửa lúc"), "{section}");
    let rows = element_text(&page.body, "amendment-covenant-changes", "table");
    assert!(
        rows.contains("Trước khi sửa") && rows.contains("Sau khi sửa"),
        "{rows}"
    );
    assert!(rows.contains("80") && rows.contains("85"), "{rows}");
    assert!(
        !rows.contains("sửa đổi"),
        "only the amendment's change: {rows}"
    );
    assert!(!page.body.contains("id=\"amendment-changes-full\""));
    // The API says the same, and the OpenAPI document describes it.
    let api = leader.get(&format!("/api/v1/covenants/{COV}")).json();
    let versions = api["versions"].as_array().unwrap();
    assert!(versions[0]["amended"].is_null(), "{}", versions[0]);
    let amended = &versions[1]["amended"];
    assert!(amended["index"].as_u64().is_some(), "{amended}");
    let t4 = &amended["changes"]["targets"][0];
    assert_eq!(
        (t4["id"].as_str(), t4["change"].as_str()),
        (Some("t4"), Some("changed"))
    );
    assert_eq!(
        (
            t4["before"]["threshold"].as_str(),
            t4["after"]["threshold"].as_str()
        ),
        (Some("80"), Some("85"))
    );
    let doc = leader.get("/api/openapi.json").json();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["VersionDto"]["properties"]["amended"].is_object());
    assert!(schemas["AmendmentDto"]["properties"]["changes"].is_object());
    let r = leader.post_form("/lang", &[("csrf", &page.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = leader.get(&format!("/covenants/{COV}"));
    let section = element_text(&page.body, "amendment-changes", "section");
    assert!(
        section.contains("The draft was amended on") && section.contains("After the amendment"),
        "{section}"
    );
}
