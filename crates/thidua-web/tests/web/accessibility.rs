//! Accessibility in headless Chromium: axe-core (from npm, never vendored here) is injected into
//! a handful of representative pages — an officer's home, the figures grid, the year-end review
//! open and published, the results, a ballot, the administration — in Vietnamese and in English,
//! with every `<details>` opened, and no serious or critical violation of WCAG 2.0–2.2 A/AA or of
//! axe's best practices may be found. The harness first shows it sees one: an unlabelled field
//! put into a page is reported.
//!
//! axe-core is read from `THIDUA_AXE_JS`, else from where `scripts/install-test-deps` installs it
//! ([`AXE_JS`]). Missing, the test fails with `CI=true` and skips elsewhere, as the other
//! Chromium tests do.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::browser::Browser;
use super::support::{load_figures, spawn, Backend, TestApp};

/// Where `scripts/install-test-deps` installs axe-core (its pinned version, from the npm registry).
const AXE_JS: &str = "/opt/thidua-test/axe/node_modules/axe-core/axe.min.js";

/// The rules run: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
const TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// axe-core's source, from `THIDUA_AXE_JS` or [`AXE_JS`]; `None` after skipping (fails in CI).
fn axe_source() -> Option<String> {
    let path = std::env::var_os("THIDUA_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(AXE_JS));
    let found = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (scripts/install-test-deps installs it, or set THIDUA_AXE_JS)",
            path.display()
        )
    });
    thidua_test_support::required("axe-core", found)
}

/// The serious and critical violations axe-core finds on the page shown, its `<details>` opened
/// first: one line each (rule, impact, how many elements, the first one's selector and markup).
fn serious_violations(b: &Browser, axe: &str) -> Vec<String> {
    b.exec("document.querySelectorAll('details').forEach(d => { d.open = true; });");
    b.exec(&format!("{axe}\n;return typeof axe;"));
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}, resultTypes: ['violations']}})
           .then(r => done(r.violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ' (' + v.impact + ', ' + v.nodes.length + '): '
                  + v.nodes[0].target.join(' ') + ' ' + v.nodes[0].html.slice(0, 200))))
           .catch(e => done({{failed: String(e)}}));",
        tags = json!(TAGS)
    );
    let found = b.cmd(
        "POST",
        "/execute/async",
        Some(json!({"script": script, "args": []})),
    );
    let Value::Array(lines) = found else {
        panic!("axe-core did not run on {}: {found}", b.url());
    };
    lines
        .iter()
        .map(|l| l.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// [`serious_violations`] on the page shown, each line led by `what` (who, language, page).
fn audit_here(b: &Browser, axe: &str, what: &str) -> Vec<String> {
    serious_violations(b, axe)
        .into_iter()
        .map(|v| format!("{what}: {v}"))
        .collect()
}

/// Audits each page of `paths` as `user`, in Vietnamese then in English (the user's language is
/// put back after): each must open (no error page) and show what `expect` names, and each
/// violation found is returned with its page and language.
fn audit_pages(
    b: &Browser,
    app: &TestApp,
    axe: &str,
    user: &str,
    paths: &[(&str, &str)],
) -> Vec<String> {
    b.sign_in(app, user);
    let mut found = Vec::new();
    for lang in ["vi", "en"] {
        for (path, expect) in paths {
            b.goto(&format!("{}{path}", app.base));
            assert!(
                b.find("#error-message").is_none() && b.wait_for(expect),
                "{user} {lang} {path}: no {expect}"
            );
            let page = b.exec("return document.documentElement.lang");
            assert_eq!(page, json!(lang), "{user} {path}");
            found.extend(audit_here(b, axe, &format!("{user} {lang} {path}")));
        }
        b.click("#lang-switch");
        let other = if lang == "vi" { "en" } else { "vi" };
        assert!(b.wait_for(&format!("html[lang={other}]")), "{user} {other}");
    }
    found
}

/// The harness sees a violation: an unlabelled field added to a page is reported as one.
fn axe_reports_an_unlabelled_field(b: &Browser, app: &TestApp, axe: &str) {
    b.sign_in(app, "quantri");
    b.goto(&format!("{}/admin", app.base));
    b.exec("document.getElementById('main').insertAdjacentHTML('beforeend', '<input id=\"axe-probe\">');");
    let found = serious_violations(b, axe);
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("label (") && v.contains("#axe-probe")),
        "the unlabelled field is reported: {found:?}"
    );
}

/// States a visit by address does not reach: the secretariat's covenant form sent empty (its
/// error summary, each message a link), and an officer's home and figures grid on a 390 px
/// phone (the banner's buttons wrapped).
fn refusals_and_phone(b: &Browser, app: &TestApp, axe: &str, grid: &str) -> Vec<String> {
    b.sign_in(app, "thuky12");
    let form = "/clusters/cum-12/covenants/new?year=2025";
    b.goto(&format!("{}{form}", app.base));
    b.exec("document.getElementById('save-covenant').form.noValidate = true;");
    b.click("#save-covenant");
    assert!(b.wait_for("#error-summary li + li"), "{}", b.source());
    let mut found = audit_here(b, axe, &format!("thuky12 {form} sent empty"));
    b.sign_in(app, "canbo-kg");
    b.resize(390, 844);
    for path in ["/", grid] {
        b.goto(&format!("{}{path}", app.base));
        found.extend(audit_here(b, axe, &format!("canbo-kg {path} at 390 px")));
    }
    b.resize(1280, 900);
    found
}

/// The pages of the reporting year: an officer's home and figures grid, a leader's ballot, the
/// secretariat's window of figures and the candidates of a new vote, the administration and its
/// log's witnesses; the year's figures loaded, a vote open (its key ceremony played), two units'
/// witness keys registered; then [`refusals_and_phone`].
/// The log index of the fixture's record of Kiên Giang's merger into An Giang.
pub(super) fn kg_merger(app: &TestApp) -> u64 {
    let state = app.service.read();
    let kg = thidua_domain::UnitId::parse("ca-kg").unwrap();
    state
        .lineage
        .iter()
        .find(|r| r.change.predecessors.contains(&kg))
        .expect("the fixture merges Kiên Giang")
        .at
}

fn reporting_year(axe: &str) -> Vec<String> {
    let Some(b) = Browser::start() else {
        return Vec::new();
    };
    let app = spawn(Backend::Sqlite).unwrap();
    load_figures(&app.service);
    super::votes::election(&app);
    super::witnessing::register_witnesses(&app);
    axe_reports_an_unlabelled_field(&b, &app, axe);
    let c = "/covenants/gu-12-2024";
    let grid = format!("{c}/figures/ca-kg/M02");
    let window = format!("{c}/figures");
    let withdraw = format!("/units/ca-kg/lineage/{}/withdraw", kg_merger(&app));
    let pages: [(&str, Vec<(&str, &str)>); 4] = [
        ("canbo-kg", vec![("/", "#who"), (&grid, "input.figure")]),
        (
            "lanhdao-ag",
            vec![("/elections/co-bo-2024/vote?unit=ca-ag", "#vote-choices")],
        ),
        (
            "thuky12",
            vec![
                (&window, "#deadline"),
                ("/clusters/cum-12/elections/new?year=2024", "#nominees"),
            ],
        ),
        (
            "quantri",
            vec![
                ("/admin", "#who"),
                ("/admin/log", "#policy-form"),
                ("/units/ca-kg", "#lineage"),
                (&withdraw, "#withdraw-blocked"),
            ],
        ),
    ];
    let mut found: Vec<String> = pages
        .iter()
        .flat_map(|(user, paths)| audit_pages(&b, &app, axe, user, paths))
        .collect();
    found.extend(refusals_and_phone(&b, &app, axe, &grid));
    found
}

/// The year-end review open (a leader's dossier form, the secretariat's page), then published
/// (the review and the results).
fn year_end(axe: &str) -> Vec<String> {
    let Some(b) = Browser::start() else {
        return Vec::new();
    };
    let review = "/covenants/gu-12-2024/yearend";
    let results = "/covenants/gu-12-2024/results";
    let open = super::yearend::opened_review();
    let mut found = audit_pages(&b, &open, axe, "lanhdao-kg", &[(review, "#who")]);
    found.extend(audit_pages(&b, &open, axe, "thuky12", &[(review, "#who")]));
    drop(b);
    let Some(b) = Browser::start() else {
        return found;
    };
    let published = spawn(Backend::Sqlite).unwrap();
    super::recompute::published_results(&published);
    found.extend(audit_pages(
        &b,
        &published,
        axe,
        "lanhdao-kg",
        &[(review, "#who"), (results, "#results")],
    ));
    found
}

#[test]
fn browser_pages_have_no_serious_accessibility_violations() {
    let Some(axe) = axe_source() else {
        return;
    };
    let mut found = reporting_year(&axe);
    found.extend(year_end(&axe));
    assert!(
        found.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        found.join("\n")
    );
}
