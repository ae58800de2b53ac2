//! A score's explanation follows the page's language: the progress page of a unit explains the
//! provisional score in English on an English page (the regulation's names stay Vietnamese),
//! in Vietnamese on a Vietnamese one; so does the level each target must reach, said as the
//! covenant's sentence (never "≥ 5% giảm" on an English page).

use serde_json::json;

use super::support::{signed_in, spawn, Backend, TestApp};

const COV: &str = "gu-12-2024";

fn explained_in_the_pages_language(app: &TestApp) {
    super::support::load_figures(&app.service);
    let leader = signed_in(app, "lanhdao-kg");
    let r = leader.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M01/approve"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let page = format!("/covenants/{COV}/progress/ca-kg");
    let vi = leader.get(&page);
    assert_eq!(vi.status, 200, "{}", vi.body);
    assert!(
        vi.body.contains("<th scope=\"col\">Giải trình</th>"),
        "{}",
        vi.body
    );
    assert!(vi.body.contains("số liệu đã duyệt"), "{}", vi.body);
    let level = "<td data-label=\"Mức giao ước\">Giảm ít nhất 5% so với năm 2023</td>";
    assert!(vi.body.contains(level), "{}", vi.body);
    let home = leader.get("/");
    let r = leader.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let en = leader.get(&page);
    assert_eq!(en.status, 200, "{}", en.body);
    let level =
        "<td data-label=\"Covenant threshold\">Reduce by at least 5% compared with 2023</td>";
    assert!(en.body.contains(level), "{}", en.body);
    let at = en.body.find("id=\"explanation\"").expect("an explanation");
    let explanation = &en.body[at..];
    for english in [
        "<section class=\"thidua-unit\" data-unit=",
        "lang=\"en\">",
        "<th scope=\"col\">Code</th><th scope=\"col\">Description</th><th scope=\"col\">Max. points</th><th scope=\"col\">Points</th><th scope=\"col\">Explanation</th>",
        "<p class=\"total\">Total: <strong>",
        " — not yet scored",
        "Not yet scored: this criterion has no score yet",
        "(approved figures",
    ] {
        assert!(
            explanation.contains(english),
            "{english} not in {explanation}"
        );
    }
    for vietnamese in [
        "Giải trình",
        "Điểm chuẩn",
        "Tổng điểm:",
        "chưa chấm",
        "số liệu đã duyệt",
        "Số liệu «",
        "Thang điểm",
    ] {
        assert!(
            !explanation.contains(vietnamese),
            "{vietnamese} in {explanation}"
        );
    }
}

#[test]
fn explanation_in_english_sqlite() {
    explained_in_the_pages_language(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn explanation_in_english_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        explained_in_the_pages_language(&app);
    }
}
