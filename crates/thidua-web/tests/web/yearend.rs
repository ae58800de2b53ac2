//! The year-end in a real browser: five units of a fresh cluster complete it as their own
//! roles — the secretariat opens it, officers and leaders fill and submit the dossiers, the
//! leaders commit and reveal their seeds, the secretariat draws, the inspecting leaders submit
//! findings (one dispute with a record re-check), the inspected unit answers, the council
//! decides, the scores lock and the results are published ("chờ chứng thực" until witnessed).
//! Also over HTTP: what each role may read of the review.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use thidua_domain::model::Role;
use thidua_domain::yearend::draw::commitment;
use thidua_domain::{Actor, Command, CovenantId, State, Text, UnitId, UserId};
use thidua_service::Service;

use super::browser::Browser;
use super::support::{
    approved_year, element_text, full_figures, signed_in, spawn, spawn_at, Backend, TestApp,
    PASSWORD,
};

const COV: &str = "gu-12-2024";
const UNITS: [&str; 5] = ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"];

fn unit(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}

fn cov() -> CovenantId {
    CovenantId::parse(COV).unwrap()
}

fn leader(u: &str) -> String {
    format!("lanhdao-{}", &u[3..])
}

fn secret(u: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(format!("bí mật của {u}")))
}

/// The covenant signed, a full year of approved figures (2023 imported), leaders for every
/// member (the fixture has two).
fn prepare(app: &TestApp) {
    signed(app);
    let service: &Service = &app.service;
    approved_year(service, COV, &UNITS, |i, _, _| {
        full_figures(service, COV, 7 + i as i64)
    });
}

/// The covenant signed by every member, a leader with a password for each (no figures yet).
fn signed(app: &TestApp) {
    let service: &Service = &app.service;
    let id = cov();
    let hash = service.read().covenants[&id].latest().hash.clone();
    let mut cmds: Vec<Command> = UNITS
        .iter()
        .map(|u| Command::SignCovenant {
            covenant: id.clone(),
            version: 1,
            unit: unit(u),
            hash: hash.clone(),
        })
        .collect();
    for u in ["ca-hg", "ca-cm", "ca-bl"] {
        let user = UserId::parse(&leader(u)).unwrap();
        cmds.push(Command::RegisterUser {
            user: user.clone(),
            display_name: Text::parse("t", &format!("Lãnh Đạo {}", &u[3..].to_uppercase()), 100)
                .unwrap(),
            demo: true,
        });
        cmds.push(Command::GrantRole {
            user,
            role: Role::Leader { unit: unit(u) },
        });
    }
    service.execute_all(&Actor::System, cmds).unwrap();
    for u in ["ca-hg", "ca-cm", "ca-bl"] {
        thidua_web::accounts::set_password(
            &*app.accounts,
            service,
            &UserId::parse(&leader(u)).unwrap(),
            PASSWORD,
        )
        .unwrap();
    }
}

/// Waits (up to 10 s) until the log's state satisfies `check` (a click returns before the
/// form's answer has been handled).
fn wait_state(app: &TestApp, what: &str, check: impl Fn(&State) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check(&app.service.read()) {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn page(app: &TestApp) -> String {
    format!("{}/covenants/{COV}/yearend", app.base)
}

fn ddmmyyyy(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%d/%m/%Y")
        .to_string()
}

fn open_and_fill_dossiers(b: &Browser, app: &TestApp) -> HashMap<String, String> {
    let mut secrets = HashMap::new();
    b.sign_in(app, "thuky12");
    b.goto(&page(app));
    assert!(b.wait_for("#open-button"), "{}", b.source());
    b.shots("yearend-01-not-open");
    b.type_into("#dossier-deadline", &ddmmyyyy(7));
    b.type_into("#commit-deadline", &ddmmyyyy(7));
    b.type_into("#reveal-deadline", &ddmmyyyy(9));
    b.type_into("#response-deadline", &ddmmyyyy(21));
    b.type_into("#record-sample", "10");
    b.click("#open-button");
    wait_state(app, "the review opened", |s| {
        s.yearend.reviews.contains_key(&cov())
    });
    // The schedule shows the reveal deadline the secretariat typed.
    assert!(b.wait_for("#schedule"), "{}", b.source());
    let schedule = b.text("#schedule");
    assert!(
        schedule.contains("Hạn công bố mã bốc thăm") && schedule.contains(&ddmmyyyy(9)),
        "{schedule}"
    );
    // Kiên Giang's officer saves a draft with a Vietnamese decimal; a score above the maximum
    // is refused with a clear message and nothing changes.
    b.sign_in(app, "canbo-kg");
    b.goto(&page(app));
    assert!(b.wait_for("#score-ca-kg-C2a"), "{}", b.source());
    b.type_into("#score-ca-kg-C2a", "9");
    b.type_into("#just-ca-kg-C2a", "Hoàn thành ba giải pháp đột phá");
    b.click("#save-dossier-ca-kg");
    assert!(b.wait_for("#score-ca-kg-C2a-error"), "{}", b.source());
    assert!(
        b.text("#score-ca-kg-C2a-error")
            .contains("C2a: điểm phải từ 0 đến 8."),
        "{}",
        b.text("#score-ca-kg-C2a-error")
    );
    b.type_into("#score-ca-kg-C2a", "7,5");
    b.type_into("#score-ca-kg-C2b", "3,5");
    b.type_into("#just-ca-kg-C2b", "Đảng bộ trong sạch, vững mạnh");
    b.click("#save-dossier-ca-kg");
    wait_state(app, "Kiên Giang's draft", |s| {
        s.review(&cov())
            .unwrap()
            .dossiers
            .get(&unit("ca-kg"))
            .is_some_and(|d| d.revision == 1)
    });
    b.shots("yearend-02-dossier-draft");
    for (i, u) in UNITS.iter().enumerate() {
        b.sign_in(app, &leader(u));
        b.goto(&page(app));
        if *u != "ca-kg" {
            assert!(b.wait_for(&format!("#score-{u}-C2a")), "{}", b.source());
            b.type_into(&format!("#score-{u}-C2a"), &format!("{}", 5 + i % 3));
            b.type_into(&format!("#just-{u}-C2a"), "Đã triển khai theo kế hoạch");
            b.type_into(&format!("#score-{u}-C2b"), "3");
            b.type_into(&format!("#just-{u}-C2b"), "Đảng bộ hoàn thành tốt nhiệm vụ");
            b.click(&format!("#save-dossier-{u}"));
            wait_state(app, "a draft", |s| {
                s.review(&cov()).unwrap().dossiers.contains_key(&unit(u))
            });
            b.goto(&page(app));
        }
        if *u == "ca-kg" {
            // Kiên Giang declares its case files before the draw: the seed picks those re-checked.
            assert!(b.wait_for("#population-ca-kg"), "{}", b.source());
            b.type_into("#population-ca-kg", "480");
            b.type_into(
                "#records-description-ca-kg",
                "Hồ sơ tin báo năm 2024, số 1…480",
            );
            b.click("#declare-records-ca-kg");
            wait_state(app, "the records", |s| {
                s.review(&cov())
                    .unwrap()
                    .records
                    .contains_key(&unit("ca-kg"))
            });
            b.goto(&page(app));
        }
        assert!(
            b.wait_for(&format!("#submit-dossier-{u}")),
            "{}",
            b.source()
        );
        b.click(&format!("#submit-dossier-{u}"));
        wait_state(app, "a submission", |s| {
            s.review(&cov()).unwrap().dossiers[&unit(u)]
                .submitted
                .is_some()
        });
        b.goto(&page(app));
        secrets.insert(u.to_string(), commit_in_browser(b, app, u));
    }
    secrets
}

/// The value of an input, read in the page.
fn value_of(b: &Browser, css: &str) -> String {
    b.exec(&format!("return document.querySelector('{css}').value"))
        .as_str()
        .unwrap_or("")
        .to_owned()
}

/// A leader commits through the page with its script: the secret is made in the browser, shown
/// to be saved, and the form sends only its commitment — the browser's SHA-256 equals
/// `commitment()`, and nothing the server received or logged holds the secret. Returns the
/// secret the leader saved.
fn commit_in_browser(b: &Browser, app: &TestApp, u: &str) -> String {
    assert!(
        b.wait_for(&format!("#seed-maker-{u}:not([hidden])")),
        "the script shows the secret: {}",
        b.source()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let secret = loop {
        let v = value_of(b, &format!("#seed-secret-{u}"));
        if v.len() == 64 {
            break v;
        }
        assert!(Instant::now() < deadline, "no secret made in the browser");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(secret
        .bytes()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert!(
        !page_source_from_server(app, u).contains(&secret),
        "the server never served the secret"
    );
    let expected = commitment(COV, &unit(u), &secret);
    assert_eq!(
        value_of(b, &format!("#commit-hash-{u}")),
        expected,
        "the browser's WebCrypto commitment is thidua_domain's"
    );
    // Nothing is sent until the leader says the secret is saved.
    let button = format!("#commit-{u}");
    assert_eq!(
        b.exec(&format!(
            "return document.querySelector('{button}').disabled"
        )),
        serde_json::json!(true)
    );
    b.click(&format!("#seed-copy-{u}"));
    b.click(&format!("#seed-saved-{u}"));
    if u == "ca-kg" {
        b.exec(&format!(
            "document.getElementById('seed-maker-{u}').scrollIntoView()"
        ));
        b.shots("yearend-02b-commit-in-browser");
    }
    // Record what the form sends (kept across the redirect in this tab's sessionStorage).
    b.exec(
        "document.addEventListener('submit', (e) => sessionStorage.setItem('posted', \
         new URLSearchParams(new FormData(e.target)).toString()), true)",
    );
    b.click(&button);
    wait_state(app, "a commitment", |s| {
        s.review(&cov()).unwrap().commitments.contains_key(&unit(u))
    });
    assert_eq!(
        app.service.read().review(&cov()).unwrap().commitments[&unit(u)],
        expected
    );
    assert!(b.wait_for(&format!("#reveal-form-{u}")), "{}", b.source());
    let posted = b.exec("return sessionStorage.getItem('posted')");
    let posted = posted.as_str().expect("the form's body was recorded");
    let fields: Vec<(String, String)> = posted
        .split('&')
        .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["csrf", "action", "unit", "commitment"], "{posted}");
    assert!(fields.contains(&("commitment".into(), expected.clone())));
    assert!(
        !posted.contains(&secret),
        "the form sent the secret: {posted}"
    );
    let state = app.service.read();
    for e in app.service.store().entries(0, state.size).unwrap() {
        assert!(
            !String::from_utf8_lossy(&e.bytes).contains(&secret),
            "event {} holds the secret before its reveal",
            e.index
        );
    }
    secret
}

/// The review page as the server renders it for `u`'s leader (what the server knows).
fn page_source_from_server(app: &TestApp, u: &str) -> String {
    let client = signed_in(app, &leader(u));
    client.get(&format!("/covenants/{COV}/yearend")).body
}

/// Each leader reveals the secret it saved: Kiên Giang's from its secret file, read in the page
/// (the format `thidua assign commit` writes), the others typed.
fn reveal_and_draw(b: &Browser, app: &TestApp, secrets: &HashMap<String, String>) {
    let files = tempfile::tempdir().unwrap();
    for u in UNITS {
        b.sign_in(app, &leader(u));
        b.goto(&page(app));
        assert!(b.wait_for(&format!("#reveal-secret-{u}")));
        let secret = &secrets[u];
        if u == "ca-kg" {
            assert!(b.wait_for(&format!("#reveal-file-box-{u}:not([hidden])")));
            let path = files.path().join(format!("{u}.{COV}.seed.txt"));
            std::fs::write(
                &path,
                format!(
                    "# thidua\ntag: thidua-commit/v1\ncovenant: {COV}\nunit: {u}\n\
                     value: {secret}\ncommitment: {}\n",
                    commitment(COV, &unit(u), secret)
                ),
            )
            .unwrap();
            b.upload(&format!("#reveal-file-{u}"), &path);
            let deadline = Instant::now() + Duration::from_secs(10);
            while value_of(b, &format!("#reveal-secret-{u}")) != *secret {
                assert!(Instant::now() < deadline, "the file filled in the secret");
                std::thread::sleep(Duration::from_millis(50));
            }
        } else {
            b.type_into(&format!("#reveal-secret-{u}"), secret);
        }
        b.click(&format!("#reveal-{u}"));
        wait_state(app, "a reveal", |s| {
            s.review(&cov()).unwrap().reveals.contains_key(&unit(u))
        });
    }
    b.sign_in(app, "thuky12");
    // The secretariat's home says it is its turn to draw.
    assert!(
        b.wait_text("đã công bố giá trị bốc thăm — bốc thăm phân công chấm chéo"),
        "{}",
        b.source()
    );
    b.goto(&page(app));
    assert!(b.wait_for("#draw-button"));
    b.click("#draw-button");
    assert!(b.wait_for("#seed"), "{}", b.source());
    let r = app.service.read().review(&cov()).unwrap().clone();
    let (d, _) = r.drawn.clone().unwrap();
    assert_eq!(b.text("#seed"), d.seed);
    assert_eq!(
        r.reveals[&unit("ca-kg")],
        secrets["ca-kg"],
        "the secret made in the browser was revealed"
    );
    b.shots("yearend-03-draw");
    // Drawn, a submitted dossier is inspected as submitted: its unit is told, with no form.
    b.sign_in(app, "canbo-kg");
    b.goto(&page(app));
    assert!(b.wait_for("#dossier-frozen-ca-kg"), "{}", b.source());
    assert!(b.find("#save-dossier-ca-kg").is_none());
}

fn inspect_answer_resolve_publish(b: &Browser, app: &TestApp) {
    let pairs = app.service.read().review(&cov()).unwrap().pairs();
    for p in &pairs {
        let (insp, target) = (p.inspector.as_str(), p.inspected.as_str());
        b.sign_in(app, &leader(insp));
        b.goto(&page(app));
        assert!(
            b.wait_for(&format!("#submit-finding-{target}")),
            "{}",
            b.source()
        );
        // The inspector sees the dossier it was assigned.
        assert!(b.find(&format!("#dossier-view-{target}")).is_some());
        // …and the engine's scores of its criteria from the approved figures, explained.
        assert!(b.find(&format!("#computed-{target}")).is_some());
        if target == "ca-kg" {
            assert!(
                b.text("#records-ca-kg").contains("(480)"),
                "{}",
                b.text("#records-ca-kg")
            );
            b.type_into("#checked-ca-kg", "10");
            b.type_into("#correct-ca-kg", "9");
            b.click(&format!("#verdict-{target}-C2a option[value=propose]"));
            b.type_into(&format!("#fscore-{target}-C2a"), "6,5");
            b.type_into(
                &format!("#freason-{target}-C2a"),
                "Giải pháp thứ ba chưa hoàn thành đúng hạn",
            );
        }
        b.click(&format!("#submit-finding-{target}"));
        wait_state(app, "findings", |s| {
            s.review(&cov())
                .unwrap()
                .finding(&p.inspector, &p.inspected)
                .is_some()
        });
    }
    b.sign_in(app, "lanhdao-kg");
    b.goto(&page(app));
    assert!(b.wait_for("#answer-ca-kg-C2a"), "{}", b.source());
    b.type_into(
        "#answer-ca-kg-C2a",
        "Giải pháp thứ ba đã xong ngày 10/12, có biên bản",
    );
    b.click("#submit-response-ca-kg");
    wait_state(app, "the response", |s| {
        s.review(&cov())
            .unwrap()
            .responses
            .contains_key(&unit("ca-kg"))
    });
    b.sign_in(app, "thuky12");
    assert!(
        b.wait_text(
            "đã gửi kết quả chấm chéo năm 2024: giải quyết ý kiến khác nhau (nếu có) và khoá điểm"
        ),
        "the secretariat's home says the lock is its turn: {}",
        b.source()
    );
    b.goto(&page(app));
    // Before the council decides, the lock is not offered: the page says what it waits for.
    assert!(b.wait_for("#lock-blocked"), "{}", b.source());
    assert!(
        b.text("#lock-blocked")
            .contains("chưa được Hội đồng quyết định"),
        "{}",
        b.text("#lock-blocked")
    );
    assert!(b.find("#lock-button").is_none());
    assert!(b.wait_for("#resolve-ca-kg-C2a"), "{}", b.source());
    b.type_into("#resolve-score-ca-kg-C2a", "7");
    b.type_into(
        "#resolve-reason-ca-kg-C2a",
        "Hội đồng cụm biểu quyết: 7 điểm",
    );
    b.click("#resolve-ca-kg-C2a");
    wait_state(app, "the resolution", |s| {
        !s.review(&cov()).unwrap().resolutions.is_empty()
    });
    b.goto(&page(app));
    assert!(b.wait_for("#lock-button"));
    b.shots("yearend-04-resolved");
    // On a phone the members' progress and the council's disputes are one card per row.
    let misfits = b.tables_fit_a_phone(&["#members", "#disputes table"]);
    assert!(misfits.is_empty(), "{misfits:?}");
    b.click("#lock-confirm");
    b.click("#lock-button");
    wait_state(app, "the lock", |s| {
        s.review(&cov()).unwrap().locked_at.is_some()
    });
    b.goto(&page(app));
    assert!(b.wait_for("#publish-button"));
    b.click("#publish-confirm");
    b.click("#publish-button");
    assert!(b.wait_for("#results-link"), "{}", b.source());
    b.click("#results-link");
    assert!(b.wait_for("#results"), "{}", b.source());
    assert!(b.find("#distribution-chart").is_some());
    // Printed, the results keep each unit's breakdown: the folded sections open for the print
    // and close after it.
    let open_count = "return document.querySelectorAll('#breakdown details[open]').length";
    assert_eq!(b.exec(open_count), serde_json::json!(0));
    b.exec("window.dispatchEvent(new Event('beforeprint'))");
    assert_eq!(b.exec(open_count), serde_json::json!(5));
    b.exec("window.dispatchEvent(new Event('afterprint'))");
    assert_eq!(b.exec(open_count), serde_json::json!(0));
    assert!(b.text("#chart-legend").contains("vạch đỏ: điểm tự chấm"));
    assert!(
        b.text("#witness-status").contains("Chờ chứng thực"),
        "{}",
        b.text("#witness-status")
    );
    assert!(
        b.text("#rechecks").contains("9/10"),
        "{}",
        b.text("#rechecks")
    );
    let kg = b.text("#result-ca-kg");
    assert!(kg.contains("0,5"), "self 0,5 above final: {kg}");
    b.shots("yearend-05-results");
    let misfits = b.tables_fit_a_phone(&["#flags table", "#rechecks table"]);
    assert!(misfits.is_empty(), "{misfits:?}");
    b.shots("yearend-results");
}

pub fn five_units_complete_a_year_end(b: &Browser, app: &TestApp) {
    prepare(app);
    let secrets = open_and_fill_dossiers(b, app);
    reveal_and_draw(b, app, &secrets);
    inspect_answer_resolve_publish(b, app);
}

/// The year-end as the secretariat opens it today: a week for the dossiers and the seeds, three
/// for the answers, one inspector per unit, `record_sample` case files re-checked.
fn opening(record_sample: u32) -> thidua_domain::yearend::YearEndCommand {
    let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis());
    opening_on(today, record_sample)
}

/// [`opening`] as the secretariat opens it on `today`.
fn opening_on(
    today: chrono::NaiveDate,
    record_sample: u32,
) -> thidua_domain::yearend::YearEndCommand {
    super::support::year_end_opening(&cov(), today, record_sample)
}

/// Every member commits its seed, then reveals it, then the secretariat draws.
fn commit_reveal_draw() -> Vec<thidua_domain::yearend::YearEndCommand> {
    use thidua_domain::yearend::YearEndCommand as Y;
    let commits = UNITS.iter().map(|u| Y::CommitSeed {
        covenant: cov(),
        unit: unit(u),
        commitment: commitment(COV, &unit(u), &secret(u)),
    });
    let reveals = UNITS.iter().map(|u| Y::RevealSeed {
        covenant: cov(),
        unit: unit(u),
        value: secret(u),
    });
    let draw = Y::DrawAssignment { covenant: cov() };
    commits.chain(reveals).chain([draw]).collect()
}

/// A prepared cluster (SQLite) whose review is open, nothing re-checked.
pub(super) fn opened_review() -> TestApp {
    let app = spawn(Backend::Sqlite).unwrap();
    prepare(&app);
    app.service
        .execute(&Actor::System, Command::YearEnd(opening(0)))
        .unwrap();
    app
}

/// A dossier's self-scores for the covenant's manual criteria (6 and 3 points).
fn self_scores() -> std::collections::BTreeMap<String, thidua_domain::yearend::DossierEntry> {
    let entry = |x: &str| thidua_domain::yearend::DossierEntry {
        score: thidua_domain::yearend::Points(x.parse().unwrap()),
        justification: Text::parse("t", "Giải trình", 100).unwrap(),
        evidence: vec![],
    };
    [
        ("C2a".to_owned(), entry("6")),
        ("C2b".to_owned(), entry("3")),
    ]
    .into_iter()
    .collect()
}

#[test]
fn browser_year_end() {
    let Some(b) = Browser::start() else {
        return;
    };
    let app = spawn(Backend::Sqlite).unwrap();
    five_units_complete_a_year_end(&b, &app);
}

/// An officer types the self-score and justification of C2a and uploads its evidence file
/// without pressing the table's "Lưu" first: the file is attached and what was typed is saved
/// with it (the upload was a form of its own: it was refused, the criterion not scored yet, and
/// the typed score and justification were gone). An upload with no file chosen says so and
/// keeps what was typed.
#[test]
fn browser_evidence_is_uploaded_with_the_typed_scores() {
    let Some(b) = Browser::start() else {
        return;
    };
    let app = opened_review();
    b.sign_in(&app, "canbo-kg");
    b.goto(&page(&app));
    assert!(b.wait_for("#score-ca-kg-C2a"), "{}", b.source());
    b.type_into("#score-ca-kg-C2a", "7,5");
    b.type_into("#just-ca-kg-C2a", "Hoàn thành ba giải pháp đột phá");
    b.click("#evidence-upload-ca-kg-C2a");
    assert!(b.wait_for("#evidence-error"), "{}", b.source());
    assert!(
        b.text("#evidence-error").contains("Chưa chọn tệp"),
        "{}",
        b.text("#evidence-error")
    );
    let typed = |css: &str| {
        b.exec(&format!("return document.querySelector({css:?}).value"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(typed("#score-ca-kg-C2a"), "7,5", "kept after the refusal");
    assert_eq!(typed("#just-ca-kg-C2a"), "Hoàn thành ba giải pháp đột phá");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("bien-ban-nghiem-thu.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n").unwrap();
    b.upload("#evidence-file-ca-kg-C2a", &pdf);
    b.click("#evidence-upload-ca-kg-C2a");
    wait_state(&app, "the file and the typed score saved", |s| {
        s.review(&cov())
            .unwrap()
            .dossiers
            .get(&unit("ca-kg"))
            .and_then(|d| d.entries.get("C2a"))
            .is_some_and(|e| {
                e.score.0.to_string() == "7.5"
                    && e.justification.as_str() == "Hoàn thành ba giải pháp đột phá"
                    && e.evidence.len() == 1
            })
    });
    assert!(
        b.wait_for("#evidence-ca-kg-C2a a[href*='/yearend/evidence/']"),
        "{}",
        b.source()
    );
    assert_eq!(typed("#score-ca-kg-C2a"), "7,5");
    b.shots("yearend-evidence-with-typed-scores");
}

/// Over HTTP, on both backends (the year-end rows of the authorisation matrix): before the
/// draw nobody outside a unit reads its dossier; after it, the assigned inspector does and the
/// others do not; a unit's inspector's findings appear only once submitted; nobody changes a
/// locked score.
#[test]
fn who_reads_what_of_the_year_end_sqlite() {
    who_reads_what_of_the_year_end(Backend::Sqlite);
}

#[test]
fn who_reads_what_of_the_year_end_postgres() {
    who_reads_what_of_the_year_end(Backend::Postgres);
}

fn who_reads_what_of_the_year_end(backend: Backend) {
    let witnessed = super::support::spawn_witnessed(backend);
    let Some(app) = witnessed else {
        return;
    };
    prepare(&app);
    let sys = Actor::System;
    let s = &app.service;
    let ye = |c| Command::YearEnd(c);
    use thidua_domain::yearend::YearEndCommand as Y;
    s.execute(&sys, Command::YearEnd(opening(5))).unwrap();
    // The leaders' home pages list the year-end's first steps for their units.
    let home = signed_in(&app, "lanhdao-ag").get("/").body;
    for step in ["Nộp hồ sơ tự chấm điểm của", "Cam kết giá trị bí mật của"]
    {
        assert!(home.contains(step), "{step}: {home}");
    }
    // Each opens the long year-end page at its step, with a button naming it (all said "Xem"
    // and opened the top of the page).
    assert_eq!(
        super::support::todo_button(&home, &format!("/covenants/{COV}/yearend#leader-ca-ag")),
        "Xem và nộp hồ sơ"
    );
    let page = signed_in(&app, "lanhdao-ag")
        .get(&format!("/covenants/{COV}/yearend"))
        .body;
    assert!(page.contains("id=\"leader-ca-ag\""), "the anchor: {page}");
    for u in UNITS {
        let entries = self_scores();
        s.execute(
            &sys,
            ye(Y::SaveDossier {
                covenant: cov(),
                unit: unit(u),
                entries,
            }),
        )
        .unwrap();
        s.execute(
            &sys,
            ye(Y::SubmitDossier {
                covenant: cov(),
                unit: unit(u),
                revision: 1,
            }),
        )
        .unwrap();
        s.execute(
            &sys,
            ye(Y::CommitSeed {
                covenant: cov(),
                unit: unit(u),
                commitment: commitment(COV, &unit(u), &secret(u)),
            }),
        )
        .unwrap();
    }
    let dossier_units = |user: &str| -> Vec<String> {
        let c = signed_in(&app, user);
        let v = c.get(&format!("/api/v1/covenants/{COV}/yearend")).json();
        v["dossiers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["unit"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        dossier_units("lanhdao-ag"),
        ["ca-ag"],
        "before the draw: its own only"
    );
    assert_eq!(
        dossier_units("thuky12").len(),
        5,
        "the secretariat reads every dossier"
    );
    // …on its page too, as the supervisor does (only "Đã gửi" was shown there); a member
    // reads no other unit's before the draw.
    for user in ["thuky12", "giamsat12"] {
        let page = signed_in(&app, user)
            .get(&format!("/covenants/{COV}/yearend"))
            .body;
        let read = element_text(&page, "dossier-read-ca-kg", "details");
        assert!(
            read.contains("Giải trình") && read.contains("6"),
            "{user}: {read}"
        );
    }
    let page = signed_in(&app, "lanhdao-ag")
        .get(&format!("/covenants/{COV}/yearend"))
        .body;
    assert!(!page.contains("id=\"submitted-dossiers\""), "{page}");
    let home = signed_in(&app, "lanhdao-ag").get("/").body;
    assert!(!home.contains("Nộp hồ sơ tự chấm điểm của"), "submitted");
    // The to-do names the reveal deadline (by default three days after the commitments').
    let reveal_by = s.read().review(&cov()).unwrap().schedule.reveal_deadline;
    let reveal_by = reveal_by.unwrap().format("%d/%m/%Y").to_string();
    assert!(
        home.contains("Công bố giá trị bí mật")
            && home.contains(&format!("kiểm tra chéo (hạn {reveal_by})")),
        "every commitment is in: {home}"
    );
    // The sentence reads naturally (it read «Công bố giá trị bí mật Công an tỉnh An Giang đã
    // cam kết, …»), in English too.
    let read = super::support::without_tags(&home);
    assert!(
        read.contains(&format!(
            "Công bố giá trị bí mật mà Công an tỉnh An Giang đã cam kết, để rút thăm phân công kiểm tra chéo (hạn {reveal_by})."
        )),
        "{read}"
    );
    let ag = signed_in(&app, "lanhdao-ag");
    let r = ag.post_form("/lang", &[("csrf", &ag.get("/").csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let read = super::support::without_tags(&ag.get("/").body);
    assert!(
        read.contains(&format!(
            "Reveal the secret value that Công an tỉnh An Giang committed to, so that the cross-inspections can be drawn (deadline {reveal_by})."
        )),
        "{read}"
    );
    let r = ag.post_form("/lang", &[("csrf", &ag.get("/").csrf()), ("to", "vi")]);
    assert_eq!(r.status, 303, "{}", r.body);
    for u in UNITS {
        s.execute(
            &sys,
            ye(Y::RevealSeed {
                covenant: cov(),
                unit: unit(u),
                value: secret(u),
            }),
        )
        .unwrap();
    }
    s.execute(&sys, ye(Y::DrawAssignment { covenant: cov() }))
        .unwrap();
    let review = s.read().review(&cov()).unwrap().clone();
    let ag_inspects = review
        .pairs()
        .into_iter()
        .find(|p| p.inspector == unit("ca-ag"))
        .unwrap()
        .inspected;
    // The history tells the draw's order by linked unit names.
    let history = signed_in(&app, "thuky12")
        .get("/history?kind=assignment_drawn")
        .body;
    let order = &review.drawn.as_ref().unwrap().0.order;
    let first = s.read().units[&order[0]].name.to_string();
    assert!(
        history.contains(&format!("href=\"/units/{}\"", order[0]))
            && history.contains(&format!("{first}</a> → ")),
        "{history}"
    );
    let mut seen = dossier_units("lanhdao-ag");
    seen.sort();
    let mut expected = vec!["ca-ag".to_owned(), ag_inspects.to_string()];
    expected.sort();
    assert_eq!(
        seen, expected,
        "An Giang reads only the dossier it was assigned"
    );
    let home = signed_in(&app, "lanhdao-ag").get("/").body;
    let inspected_name = s.read().units[&ag_inspects].name.to_string();
    let inspect = home
        .find("Kiểm tra chéo kết quả tự chấm của")
        .map(|i| &home[i..]);
    assert!(
        inspect.is_some_and(
            |rest| rest[..rest.find("</p>").unwrap_or(rest.len())].contains(&inspected_name)
        ),
        "{inspected_name}: {home}"
    );
    assert!(!home.contains("Công bố giá trị bí mật"), "drawn");
    assert_eq!(
        super::support::todo_button(
            &home,
            &format!("/covenants/{COV}/yearend#inspect-{ag_inspects}")
        ),
        "Chấm chéo"
    );
    // The inspecting unit sees the integrity flags of the unit it inspects, with the way to all
    // of them; a member that does not inspect that unit does not.
    let flags = format!("id=\"flags-{ag_inspects}\"");
    let page = signed_in(&app, "lanhdao-ag")
        .get(&format!("/covenants/{COV}/yearend"))
        .body;
    assert!(page.contains(&flags), "{page}");
    assert!(page.contains(&format!(
        "href=\"/covenants/{COV}/flags?unit={ag_inspects}\""
    )));
    let bystander = UNITS
        .iter()
        .find(|u| {
            **u != ag_inspects.as_str() && !review.inspectors_of(&ag_inspects).contains(&unit(u))
        })
        .unwrap();
    let page = signed_in(&app, &leader(bystander))
        .get(&format!("/covenants/{COV}/yearend"))
        .body;
    assert!(
        !page.contains(&flags),
        "{bystander} does not inspect {ag_inspects}"
    );
    // Kiên Giang sees no finding on itself until its inspector submits one.
    let kg_inspector = review.inspectors_of(&unit("ca-kg"))[0].clone();
    let kg = signed_in(&app, "lanhdao-kg");
    let findings = |c: &super::support::Client| {
        c.get(&format!("/api/v1/covenants/{COV}/yearend")).json()["findings"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = findings(&kg);
    s.execute(
        &sys,
        ye(Y::SubmitFinding {
            covenant: cov(),
            inspector: kg_inspector,
            inspected: unit("ca-kg"),
            items: Default::default(),
            recheck: None,
        }),
    )
    .unwrap();
    assert_eq!(findings(&kg), before + 1);
    // Locked: a resolution through the API is refused.
    for p in review.pairs() {
        if p.inspected != unit("ca-kg") {
            s.execute(
                &sys,
                ye(Y::SubmitFinding {
                    covenant: cov(),
                    inspector: p.inspector,
                    inspected: p.inspected,
                    items: Default::default(),
                    recheck: None,
                }),
            )
            .unwrap();
        }
    }
    s.execute(
        &sys,
        ye(Y::Lock {
            covenant: cov(),
            confirm: true,
        }),
    )
    .unwrap();
    let thuky = signed_in(&app, "thuky12");
    let res = thuky.post_json(
        &format!("/api/v1/covenants/{COV}/yearend"),
        serde_json::json!({"action": "record_eligibility", "covenant": COV, "unit": "ca-kg", "discipline_pending": true, "note": "x"}),
    );
    assert_eq!(res.status, 409, "{}", res.body);
    assert_eq!(res.json()["error"], "yearend_locked");
    let res = thuky.post_json(
        &format!("/api/v1/covenants/{COV}/yearend"),
        serde_json::json!({"action": "resolve_dispute", "covenant": COV, "unit": "ca-kg",
                           "criterion": "C2a", "score": "5", "reason": "Sau khi khoá"}),
    );
    assert_eq!(
        (res.status, res.json()["error"].clone()),
        (409, serde_json::json!("yearend_locked")),
        "nobody changes a locked score: {}",
        res.body
    );
    // Published: every member reads the results and downloads the score sheet.
    let xlsx = format!("/api/v1/covenants/{COV}/yearend/results.xlsx");
    assert_eq!(
        signed_in(&app, "lanhdao-ag").get(&xlsx).status,
        404,
        "not before publication"
    );
    assert!(
        signed_in(&app, "thuky12")
            .get("/")
            .body
            .contains("đã khoá: công bố kết quả"),
        "locked, not published: the secretariat's to-do"
    );
    // Locked, not published: the secretariat and the supervisor see beforehand what the
    // publication will give (it was published blind); the members see nothing yet.
    let page = thuky.get(&format!("/covenants/{COV}/yearend")).body;
    assert!(page.contains("id=\"preview-link\""), "{page}");
    let preview: Vec<serde_json::Value> = ["thuky12", "giamsat12"]
        .iter()
        .map(|u| {
            let page = signed_in(&app, u)
                .get(&format!("/covenants/{COV}/results"))
                .body;
            assert!(page.contains("id=\"results-preview\""), "{u}: {page}");
            assert!(!page.contains("id=\"results-xlsx\""), "{u}: {page}");
            signed_in(&app, u)
                .get(&format!("/api/v1/covenants/{COV}/yearend/results"))
                .json()
        })
        .collect();
    assert_eq!(preview[0]["preview"], true);
    assert_eq!(preview[0]["rows"].as_array().unwrap().len(), 5);
    assert_eq!(preview[0]["rows"], preview[1]["rows"]);
    let member = signed_in(&app, "lanhdao-ag");
    let hidden = member
        .get(&format!("/api/v1/covenants/{COV}/yearend/results"))
        .json();
    assert_eq!(
        (&hidden["preview"], &hidden["rows"]),
        (&serde_json::json!(false), &serde_json::json!([]))
    );
    let page = member.get(&format!("/covenants/{COV}/results")).body;
    assert!(
        page.contains("id=\"not-published\"") && !page.contains("id=\"results\""),
        "{page}"
    );
    let before = signed_in(&app, "lanhdao-ag")
        .get(&format!("/covenants/{COV}/progress"))
        .body;
    assert!(!before.contains("id=\"results-published\""), "{before}");
    s.execute(
        &sys,
        ye(Y::PublishResults {
            covenant: cov(),
            confirm: true,
        }),
    )
    .unwrap();
    assert!(!signed_in(&app, "thuky12")
        .get("/")
        .body
        .contains("đã khoá: công bố kết quả"));
    let ag = signed_in(&app, "lanhdao-ag");
    let results = ag
        .get(&format!("/api/v1/covenants/{COV}/yearend/results"))
        .json();
    assert_eq!(results["rows"].as_array().unwrap().len(), 5);
    assert_eq!(
        results["rows"], preview[0]["rows"],
        "published as previewed"
    );
    assert_eq!(results["preview"], false);
    assert_eq!(results["witnessed"], false);
    // The progress page's provisional scores are said not to be the published ones.
    let progress = ag.get(&format!("/covenants/{COV}/progress")).body;
    assert!(
        progress.contains("id=\"results-published\"")
            && progress.contains(&format!("/covenants/{COV}/results")),
        "{progress}"
    );
    let page = ag.get(&format!("/covenants/{COV}/results"));
    assert!(
        page.body.contains("Chờ chứng thực: chưa chính thức"),
        "{}",
        page.body
    );
    // The breakdown's points column is the points at the target, said so: a criterion
    // rewarding more than its target may score above it.
    let breakdown = element_text(&page.body, "breakdown", "section");
    assert!(
        breakdown.contains("Điểm chuẩn")
            && breakdown.contains("Điểm chuẩn là điểm khi đạt chỉ tiêu"),
        "{breakdown}"
    );
    // A self-assessed criterion's final score is named so, never as a score given at an
    // inspection by the engine's words.
    assert!(
        breakdown.contains("Điểm chính thức sau kiểm tra chéo: ")
            && !breakdown.contains("Điểm chấm qua kiểm tra"),
        "{breakdown}"
    );
    // The results lead to the cluster's votes; the secretariat's, to opening one for the year,
    // whose candidates are the published eligible units in rank order.
    assert!(page
        .body
        .contains("id=\"results-votes\" href=\"/clusters/cum-12?year=2024#votes\""));
    let thuky = signed_in(&app, "thuky12");
    let own = thuky.get(&format!("/covenants/{COV}/results"));
    assert!(own
        .body
        .contains("id=\"results-votes\" href=\"/clusters/cum-12/elections/new?year=2024\""));
    let form = thuky.get("/clusters/cum-12/elections/new?year=2024");
    assert_eq!(form.status, 200);
    let nominees = thidua_domain::votes::nominees(
        &app.service.read(),
        &thidua_domain::ClusterId::parse("cum-12").unwrap(),
        2024,
    );
    assert!(!nominees.is_empty());
    let listed = form.body.split("id=\"nominees\"").nth(1).unwrap();
    let listed = listed.split("</ol>").next().unwrap();
    assert_eq!(listed.matches("<li>").count(), nominees.len(), "{listed}");
    // No Government-flag vote yet: the form says the votes go highest award first (a unit
    // proposed by an earlier vote is no candidate in a later one), and stops saying it once
    // that vote is open.
    assert!(form.body.contains("id=\"highest-first\""), "{}", form.body);
    s.execute(
        &sys,
        Command::Vote(thidua_domain::votes::VoteCommand::OpenElection {
            election: thidua_domain::ElectionId::parse("co-cp-2024").unwrap(),
            cluster: thidua_domain::ClusterId::parse("cum-12").unwrap(),
            year: 2024,
            award: thidua_domain::votes::AwardKind::GovernmentFlag,
            title: Text::parse("t", "Cờ thi đua của Chính phủ năm 2024", 200).unwrap(),
            seats: 1,
            approval: thidua_domain::votes::Fraction { num: 4, den: 5 },
            quorum: thidua_domain::votes::Fraction { num: 2, den: 3 },
            trustee_threshold: 3,
        }),
    )
    .unwrap();
    let form = thuky.get("/clusters/cum-12/elections/new?year=2024");
    assert!(!form.body.contains("id=\"highest-first\""), "{}", form.body);
    // Once the witnesses' quorum cosigns a checkpoint that covers the publication, the
    // results are final.
    super::witnessing::witness_everything(&app);
    let results = ag
        .get(&format!("/api/v1/covenants/{COV}/yearend/results"))
        .json();
    assert_eq!(results["witnessed"], true);
    // Each unit's breakdown names the regulation's bonus and penalty items beside its criteria.
    let items: Vec<(String, String)> = results["breakdown"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_owned(),
                i["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        items.contains(&("bonus".into(), "T1".into()))
            && items.iter().any(|(kind, _)| kind == "penalty"),
        "{items:?}"
    );
    let page = ag.get(&format!("/covenants/{COV}/results"));
    // An inspector's mean deviation says over how many criteria it is taken.
    assert!(page.body.contains("0 (trung bình trên "), "{}", page.body);
    assert!(
        page.body.contains("class=\"score-item bonus\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Kết quả chính thức: đã được nhân chứng xác nhận"),
        "{}",
        page.body
    );
    let bytes = ag.get_bytes(&xlsx);
    assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX package");
    assert_eq!(
        signed_in(&app, "canbo-dt").get(&xlsx).status,
        404,
        "another cluster's officer"
    );
    super::documents::offered_documents_after_publication(&app);
}

/// An evidence upload's body: the form's fields and the file (sent as a PDF).
fn multipart(
    csrf: &str,
    unit: &str,
    criterion: &str,
    name: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    super::support::multipart(
        &[("csrf", csrf), ("unit", unit), ("criterion", criterion)],
        name,
        "application/pdf",
        bytes,
    )
}

/// Evidence: a PDF is attached to a criterion (stored by its hash, its name cleaned), a file
/// that is not one of the accepted types by content is refused whatever its name, and the file
/// is served to the unit and not to a unit that may not read the dossier.
#[test]
fn evidence_files_are_checked_by_content_and_served_to_readers_only() {
    let app = opened_review();
    use thidua_domain::yearend::{DossierEntry, Points, YearEndCommand as Y};
    let s = &app.service;
    let entry = DossierEntry {
        score: Points("6".parse().unwrap()),
        justification: Text::parse("t", "Giải trình", 100).unwrap(),
        evidence: vec![],
    };
    s.execute(
        &Actor::System,
        Command::YearEnd(Y::SaveDossier {
            covenant: cov(),
            unit: unit("ca-kg"),
            entries: [("C2a".to_owned(), entry)].into_iter().collect(),
        }),
    )
    .unwrap();
    let officer = signed_in(&app, "canbo-kg");
    let page = officer.get(&format!("/covenants/{COV}/yearend"));
    let csrf = page.csrf();
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "../../Báo cáo tổng kết.pdf", pdf);
    let res = officer.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    let review = s.read().review(&cov()).unwrap().clone();
    let files = &review.dossiers[&unit("ca-kg")].entries["C2a"].evidence;
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name.as_str(), "Báo cáo tổng kết.pdf");
    assert_eq!(files[0].media_type, "application/pdf");
    // A criterion not yet scored, or one the engine computes, is told as such (both said "the
    // dossier does not score every criterion"); the unscored one is told to type its score,
    // saved with the file (it said to save the score first, against the help's word).
    for (criterion, says) in [
        (
            "C2b",
            "Tiêu chí này chưa có điểm tự chấm: hãy nhập điểm tự chấm của tiêu chí ở bảng hồ sơ rồi tải tệp lên lại (điểm được lưu cùng tệp).",
        ),
        ("A1", "được tính tự động từ số liệu đã duyệt"),
    ] {
        let (ct, body) = multipart(&csrf, "ca-kg", criterion, "minh-chung.pdf", pdf);
        let res = officer.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(res.body.contains(says), "{criterion}: {}", res.body);
    }
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "hop-le.pdf", b"MZ\x90\x00 not a pdf");
    let res = officer.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 422, "{}", res.body);
    // A unit of the cluster that is no member of the year (Cần Thơ, a member from 2025) is
    // told so, not that its dossier lacks a score.
    let ct_officer = thidua_domain::UserId::parse("canbo-ct").unwrap();
    s.execute_all(
        &Actor::System,
        vec![
            Command::RegisterUser {
                user: ct_officer.clone(),
                display_name: Text::parse("t", "Cán Bộ Cần Thơ", 100).unwrap(),
                demo: true,
            },
            Command::GrantRole {
                user: ct_officer.clone(),
                role: "officer:ca-ct".parse().unwrap(),
            },
        ],
    )
    .unwrap();
    thidua_web::accounts::set_password(
        app.accounts.as_ref(),
        s,
        &ct_officer,
        super::support::PASSWORD,
    )
    .unwrap();
    let ct_client = signed_in(&app, "canbo-ct");
    let ct_csrf = ct_client.get(&format!("/covenants/{COV}/yearend")).csrf();
    let (ct, body) = multipart(&ct_csrf, "ca-ct", "C2a", "hop-le.pdf", pdf);
    let res = ct_client.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        element_text(&res.body, "error-summary", "div")
            .ends_with("Đơn vị không thuộc cụm trong năm này."),
        "{}",
        res.body
    );
    assert_eq!(
        s.read().review(&cov()).unwrap().dossiers[&unit("ca-kg")].revision,
        2,
        "nothing saved"
    );
    let url = format!("/covenants/{COV}/yearend/evidence/{}", files[0].sha256);
    let got = officer.get(&url);
    assert_eq!(got.status, 200);
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        signed_in(&app, "lanhdao-ag").get(&url).status,
        404,
        "An Giang may not read Kiên Giang's draft"
    );
    // A PDF named as a web page is kept and served as the PDF it is: its name gains ".pdf"
    // (downloaded as "trang.html" a browser would open it as a page).
    let polyglot = b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n";
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "trang.html", polyglot);
    let res = officer.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    let review = s.read().review(&cov()).unwrap().clone();
    let files = &review.dossiers[&unit("ca-kg")].entries["C2a"].evidence;
    let page = files.iter().find(|f| f.name.as_str() == "trang.html.pdf");
    let page = page.expect("named for its content");
    let got = officer.get(&format!(
        "/covenants/{COV}/yearend/evidence/{}",
        page.sha256
    ));
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert_eq!(
        got.header("content-disposition"),
        Some("attachment; filename*=UTF-8''trang.html.pdf")
    );
    // A scanned report of a few megabytes is an ordinary piece of evidence (the 1 MiB limit of
    // forms does not apply to this upload).
    let mut scan = b"%PDF-1.7
"
    .to_vec();
    scan.resize(3 * 1024 * 1024, b'0');
    scan.extend_from_slice(
        b"
%%EOF
",
    );
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "ban-chup.pdf", &scan);
    let res = officer.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    // Another unit's people are refused (403, the refusal page) the same way whichever
    // criterion they name, so a refusal tells nothing of what Kiên Giang's draft has scored.
    let other = signed_in(&app, "lanhdao-ag");
    let csrf = other.get(&format!("/covenants/{COV}/yearend")).csrf();
    let refusals: Vec<String> = ["C2a", "C2b"]
        .iter()
        .map(|criterion| {
            let (ct, body) = multipart(&csrf, "ca-kg", criterion, "x.pdf", pdf);
            let res = other.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
            assert_eq!(res.status, 403, "{}", res.body);
            res.body
        })
        .collect();
    assert_eq!(refusals[0], refusals[1]);
}

/// The secretariat's opening form comes back with what was typed when a date cannot be read.
#[test]
fn the_opening_form_keeps_what_was_typed_after_an_error() {
    let app = spawn(Backend::Sqlite).unwrap();
    prepare(&app);
    let sec = signed_in(&app, "thuky12");
    let csrf = sec.get(&format!("/covenants/{COV}/yearend")).csrf();
    let r = sec.post_form(
        &format!("/covenants/{COV}/yearend"),
        &[
            ("csrf", &csrf),
            ("action", "open"),
            ("dossier_deadline", "31/02/2099"),
            ("commit_deadline", "10/01/2099"),
            ("reveal_deadline", ""),
            ("response_deadline", "20/01/2099"),
            ("inspectors", "2"),
            ("record_sample", "7"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"open-error\""), "{}", r.body);
    for kept in [
        "value=\"31/02/2099\"",
        "value=\"10/01/2099\"",
        "value=\"20/01/2099\"",
        "<option value=\"2\" selected>",
        "value=\"7\"",
    ] {
        assert!(r.body.contains(kept), "{kept} kept: {}", r.body);
    }
}

/// Two inspectors per unit need five member units: a smaller cluster's opening form offers 1
/// and says why, instead of offering 2 and refusing it.
#[test]
fn a_small_clusters_opening_form_offers_one_inspector() {
    let app = spawn(Backend::Sqlite).unwrap();
    let admin = signed_in(&app, "quantri");
    let small = admin.get("/covenants/gu-13-2024/yearend");
    assert_eq!(small.status, 200, "{}", small.body);
    assert!(
        small.body.contains("id=\"open-button\"")
            && small.body.contains("id=\"inspectors-help\"")
            && !small.body.contains("<option value=\"2\""),
        "{}",
        small.body
    );
    let five = admin.get(&format!("/covenants/{COV}/yearend"));
    assert!(
        five.body.contains("<option value=\"2\"") && !five.body.contains("inspectors-help"),
        "{}",
        five.body
    );
}

/// A unit that saves its dossier again after submitting it (to submit it again before the
/// deadline) sees that newer draft and downloads the file it attached to it; the overseers
/// still read what was submitted.
#[test]
fn a_draft_saved_after_submitting_is_seen_by_its_unit() {
    let app = opened_review();
    let s = &app.service;
    let prepare_todo = "Lập hồ sơ tự chấm điểm của";
    let home = |user: &str| signed_in(&app, user).get("/").body;
    assert!(
        home("canbo-kg").contains(prepare_todo),
        "the officer prepares it"
    );
    assert_eq!(
        super::support::todo_button(
            &home("canbo-kg"),
            &format!("/covenants/{COV}/yearend#dossier-ca-kg")
        ),
        "Lập hồ sơ"
    );
    assert!(signed_in(&app, "canbo-kg")
        .get(&format!("/covenants/{COV}/yearend"))
        .body
        .contains("id=\"dossier-ca-kg\""));
    assert!(
        !home("lanhdao-kg").contains(prepare_todo),
        "the leader submits it"
    );
    submit_kg_dossier(s);
    assert!(!home("canbo-kg").contains(prepare_todo), "submitted");
    let officer = signed_in(&app, "canbo-kg");
    let csrf = officer.get(&format!("/covenants/{COV}/yearend")).csrf();
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "bo-sung.pdf", pdf);
    let res = officer.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    let kg_dossier = |user: &str| {
        let v = signed_in(&app, user)
            .get(&format!("/api/v1/covenants/{COV}/yearend"))
            .json();
        v["dossiers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["unit"]["id"] == "ca-kg")
            .cloned()
            .unwrap()
    };
    let own = kg_dossier("canbo-kg");
    assert_eq!(
        (own["revision"].as_u64(), own["submitted"].as_bool()),
        (Some(2), Some(false))
    );
    let sha = own["entries"][0]["evidence"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = officer.get(&format!("/covenants/{COV}/yearend/evidence/{sha}"));
    assert_eq!(got.status, 200, "the unit downloads what it attached");
    let overseen = kg_dossier("thuky12");
    assert_eq!(
        (
            overseen["revision"].as_u64(),
            overseen["submitted"].as_bool()
        ),
        (Some(1), Some(true))
    );
}

/// A dossier saved again after its leader submitted it says so everywhere its unit reads it:
/// the officer is told before saving that changes need the leader to submit again, the status
/// names the revision submitted and the newer one with changes not submitted, and the leader is
/// asked on the home page to submit again (it read "Đã gửi (bản lưu lần 2)", with no to-do and
/// no word to the officer), while the secretariat still reads revision 1 until then.
#[test]
fn a_dossier_changed_after_its_submission_waits_for_the_leader_to_submit_again() {
    let app = opened_review();
    submit_kg_dossier(&app.service);
    let page = |user: &str| {
        signed_in(&app, user)
            .get(&format!("/covenants/{COV}/yearend"))
            .body
    };
    let home = |user: &str| super::support::without_tags(&signed_in(&app, user).get("/").body);
    let resubmit = "Gửi lại hồ sơ tự chấm điểm của Công an tỉnh Kiên Giang";
    let before = element_text(&page("canbo-kg"), "dossier-submitted-ca-kg", "p");
    assert!(
        before.starts_with("Lãnh đạo đơn vị đã gửi hồ sơ (bản lưu lần 1). Nếu lưu thay đổi"),
        "{before}"
    );
    assert!(
        !page("lanhdao-kg").contains("id=\"submit-dossier-ca-kg\""),
        "nothing new to submit"
    );
    assert!(!home("lanhdao-kg").contains(resubmit));
    let saved = post_step(
        &app,
        "canbo-kg",
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("score_C2a", "7"),
            ("just_C2a", "Bổ sung kết quả tháng 12"),
            ("score_C2b", "3"),
            ("just_C2b", "Giải trình"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let officer = page("canbo-kg");
    let note = element_text(&officer, "dossier-unsent-ca-kg", "p");
    assert!(
        note.starts_with(
            "Lãnh đạo đơn vị đã gửi bản lưu lần 1; bản lưu lần 2 có thay đổi chưa gửi."
        ),
        "{note}"
    );
    let row = element_text(&officer, "member-ca-kg", "tr");
    assert!(row.contains("Đã gửi, có thay đổi chưa gửi"), "{row}");
    let leader = page("lanhdao-kg");
    let summary = element_text(&leader, "leader-summary-ca-kg", "dl");
    assert!(
        summary.contains("Đã gửi bản lưu lần 1; bản lưu lần 2 có thay đổi chưa gửi"),
        "{summary}"
    );
    assert_eq!(
        element_text(&leader, "submit-dossier-ca-kg", "button"),
        "Gửi lại hồ sơ (bản lưu lần 2)"
    );
    let todo = home("lanhdao-kg");
    assert!(
        todo.contains(&format!(
            "{resubmit}: có thay đổi sau lần gửi bản lưu lần 1 (bản lưu lần 2 chưa gửi, hạn "
        )) && todo.contains("Xem và gửi lại hồ sơ"),
        "{todo}"
    );
    let secretariat = page("thuky12");
    assert!(element_text(&secretariat, "member-ca-kg", "tr").contains("Đã gửi"));
    assert!(!secretariat.contains("có thay đổi chưa gửi"));
    let submitted = post_step(
        &app,
        "lanhdao-kg",
        &[
            ("action", "submit_dossier"),
            ("unit", "ca-kg"),
            ("revision", "2"),
        ],
    );
    assert_eq!(submitted.status, 303, "{}", submitted.body);
    assert!(!home("lanhdao-kg").contains(resubmit));
    let after = element_text(&page("canbo-kg"), "dossier-submitted-ca-kg", "p");
    assert!(after.contains("(bản lưu lần 2)"), "{after}");
}

/// An evidence file's size is said in the units of the upload limit, its bytes in full on
/// hover (it read "(56458 B)"), in both languages.
#[test]
fn an_evidence_files_size_is_said_as_the_limit_is() {
    let app = opened_review();
    let saved = post_step(
        &app,
        "canbo-kg",
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("score_C2a", "6"),
            ("just_C2a", "Giải trình"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let officer = signed_in(&app, "canbo-kg");
    let path = format!("/covenants/{COV}/yearend");
    let csrf = officer.get(&path).csrf();
    let mut pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n".to_vec();
    let end = b"\n%%EOF\n";
    pdf.resize(56_458 - end.len(), b' ');
    pdf.extend_from_slice(end);
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "bien-ban.pdf", &pdf);
    let res = officer.post_raw(&format!("{path}/evidence"), &ct, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    let page = officer.get(&path).body;
    let at = page.find("id=\"evidence-size-ca-kg-C2a-").expect("listed");
    let span = &page[at..at + page[at..].find("</span>").unwrap()];
    assert!(
        span.contains("title=\"56.458 byte\"") && span.ends_with(">(55 KiB)"),
        "{span}"
    );
    let home = officer.get("/");
    let r = officer.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = officer.get(&path).body;
    assert!(page.contains("title=\"56458 bytes\">(55 KiB)</span>"));
}

/// A year-end command another unit's leader may not give is refused before anything of the
/// review is read: the same 403 whatever revision Kiên Giang's draft has reached, and a member
/// that does not head the cluster cannot probe the scores for a tie at a quota cut-off.
#[test]
fn yearend_commands_are_authorised_before_the_review_is_read() {
    let app = opened_review();
    use thidua_domain::yearend::YearEndCommand as Y;
    app.service
        .execute(
            &Actor::System,
            Command::YearEnd(Y::SaveDossier {
                covenant: cov(),
                unit: unit("ca-kg"),
                entries: self_scores(),
            }),
        )
        .unwrap();
    let ag = signed_in(&app, "lanhdao-ag");
    let path = format!("/api/v1/covenants/{COV}/yearend");
    let answers: Vec<(u16, String)> = [0, 1, 99]
        .into_iter()
        .map(|revision| {
            let r = ag.post_json(
                &path,
                serde_json::json!({"action": "submit_dossier",
                "covenant": COV, "unit": "ca-kg", "revision": revision}),
            );
            (r.status, r.body)
        })
        .collect();
    assert_eq!(answers[0].0, 403, "{}", answers[0].1);
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    for band in ["A", "Z"] {
        let r = ag.post_json(
            &path,
            serde_json::json!({"action": "decide_cutoff_tie",
            "covenant": COV, "band": band, "units": ["ca-ag"], "reason": "x"}),
        );
        assert_eq!(r.status, 403, "{band}: {}", r.body);
    }
}

/// A dossier not yet submitted is its unit's own, from administrators too (as a report of
/// figures not yet approved is): the review shows an administrator neither Kiên Giang's draft
/// nor that it has one, and its evidence file is not served to it. The review showed both.
#[test]
fn an_administrator_reads_no_draft_dossier_nor_its_files() {
    use thidua_domain::yearend::{DossierEntry, Points, YearEndCommand as Y};
    let app = opened_review();
    let entry = DossierEntry {
        score: Points("6".parse().unwrap()),
        justification: Text::parse("t", "Giải trình nháp", 100).unwrap(),
        evidence: vec![],
    };
    app.service
        .execute(
            &Actor::System,
            Command::YearEnd(Y::SaveDossier {
                covenant: cov(),
                unit: unit("ca-kg"),
                entries: [("C2a".to_owned(), entry)].into_iter().collect(),
            }),
        )
        .unwrap();
    let officer = signed_in(&app, "canbo-kg");
    let csrf = officer.get(&format!("/covenants/{COV}/yearend")).csrf();
    let pdf = b"%PDF-1.7\nBan nhap cua Kien Giang\n%%EOF\n";
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "nhap.pdf", pdf);
    let res = officer.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    let sha = app.service.read().review(&cov()).unwrap().dossiers[&unit("ca-kg")].entries["C2a"]
        .evidence[0]
        .sha256
        .clone();
    let file = format!("/covenants/{COV}/yearend/evidence/{sha}");
    assert_eq!(officer.get(&file).status, 200, "its unit reads it");
    let admin = signed_in(&app, "quantri");
    let review = admin
        .get(&format!("/api/v1/covenants/{COV}/yearend"))
        .json();
    assert_eq!(review["dossiers"], serde_json::json!([]), "{review}");
    let kg = review["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["unit"]["id"] == "ca-kg")
        .unwrap();
    assert_eq!(kg["dossier"], "none", "{kg}");
    let page = admin.get(&format!("/covenants/{COV}/yearend")).body;
    assert!(!page.contains("Giải trình nháp"), "{page}");
    assert_eq!(admin.get(&file).status, 404);
}

/// A merger effective during the year but recorded after the review opened: the lineage form
/// says beforehand that the year under review no longer changes its members, and ceased units
/// carry their day; once recorded, the review page tells every reader who ceased and that the
/// review goes on with the signers, and the cluster page offers no succession (the merger was
/// accepted without a word, and the review went on naming a unit that no longer exists).
#[test]
fn a_merger_recorded_after_the_opening_is_said_on_the_review_page() {
    use thidua_domain::model::{LineageChange, LineageKind};
    let app = opened_review();
    let admin = signed_in(&app, "quantri");
    let form = admin.get("/units/ca-bl/lineage");
    assert_eq!(form.status, 200);
    let said = element_text(&form.body, "review-open", "p");
    assert!(
        said.contains("Bạc Liêu") && said.contains("(2024)"),
        "{said}"
    );
    app.service
        .execute(
            &Actor::System,
            Command::RecordLineage {
                change: LineageChange {
                    kind: LineageKind::Merge,
                    predecessors: vec![unit("ca-bl"), unit("ca-cm")],
                    successors: vec![unit("ca-cm")],
                    effective: chrono::NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
                    decision: Text::parse("t", "Nghị quyết 1/2024", 100).unwrap(),
                },
            },
        )
        .unwrap();
    let form = admin.get("/units/ca-cm/lineage").body;
    assert!(form.contains("(đã chấm dứt từ 01/07/2024)"), "{form}");
    for user in ["thuky12", "canbo-kg"] {
        let page = signed_in(&app, user).get(&format!("/covenants/{COV}/yearend"));
        assert_eq!(page.status, 200);
        let said = element_text(&page.body, "ceased-after-opening", "p");
        assert!(
            said.contains("Bạc Liêu (01/07/2024)")
                && said.contains("Cà Mau")
                && said.contains("đã ký giao ước"),
            "{user}: {said}"
        );
    }
    let cluster = signed_in(&app, "thuky12")
        .get("/clusters/cum-12?year=2024")
        .body;
    assert!(!cluster.contains("id=\"members-succession\""), "{cluster}");
    assert!(app
        .service
        .read()
        .review(&cov())
        .unwrap()
        .members
        .contains(&unit("ca-bl")));
}

/// The review page's forms read nothing of another unit's dossier or disputes before the
/// viewer is found to act for that unit: a member posting the dossier, file-removal or answer
/// form for Kiên Giang is refused alike (403) whether Kiên Giang's draft holds a file on the
/// criterion, a score for it, or a dispute on it. The forms were built from the named unit's
/// working dossier first, and their complaints ("a criterion with files keeps its score",
/// "no such criterion", "no such file", an answer's bad text) told what it held.
#[test]
fn the_review_forms_tell_nothing_of_another_units_dossier_or_disputes() {
    use thidua_domain::yearend::{DossierEntry, Evidence, Points, YearEndCommand as Y};
    let app = opened_review();
    let file = Evidence {
        sha256: "ab".repeat(32),
        name: Text::parse("t", "bien-ban.pdf", 200).unwrap(),
        media_type: "application/pdf".to_owned(),
        size: 1234,
    };
    let entry = |evidence: Vec<Evidence>| DossierEntry {
        score: Points("6".parse().unwrap()),
        justification: Text::parse("t", "Giải trình", 100).unwrap(),
        evidence,
    };
    app.service
        .execute(
            &Actor::System,
            Command::YearEnd(Y::SaveDossier {
                covenant: cov(),
                unit: unit("ca-kg"),
                entries: [("C2a".to_owned(), entry(vec![file.clone()]))]
                    .into_iter()
                    .collect(),
            }),
        )
        .unwrap();
    // Kiên Giang holds a file on C2a and nothing on C2b; Hậu Giang has saved nothing.
    let remove_held = format!("C2a:{}", file.sha256);
    let probes: [&[(&str, &str)]; 6] = [
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("score_C2b", "3"),
        ],
        &[
            ("action", "save_dossier"),
            ("unit", "ca-hg"),
            ("score_C2b", "3"),
        ],
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("score_C2a", "3"),
            ("remove", &remove_held),
        ],
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("remove", "C2a:cd"),
        ],
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("remove", "C2b:cd"),
        ],
        &[
            ("action", "save_dossier"),
            ("unit", "ca-hg"),
            ("remove", "C2a:cd"),
        ],
    ];
    // Another member's leader, and the secretariat (which reads no draft either).
    for user in ["lanhdao-ag", "thuky12"] {
        for fields in probes {
            let res = post_step(&app, user, fields);
            assert_eq!(res.status, 403, "{user} {fields:?}: {}", res.body);
        }
    }
    let held = app.service.read().review(&cov()).unwrap().dossiers[&unit("ca-kg")].entries["C2a"]
        .evidence
        .clone();
    assert_eq!(held, vec![file], "nothing changed");

    // The disputes: Kiên Giang's inspector proposes another score for C2a; a member that does not inspect Kiên
    // Giang does not read that, and answering for Kiên Giang tells it nothing.
    let app = drawn_review();
    let review = app.service.read().review(&cov()).unwrap().clone();
    for p in review
        .pairs()
        .into_iter()
        .filter(|p| p.inspected == unit("ca-kg"))
    {
        let item = thidua_domain::yearend::FindingItem {
            verdict: thidua_domain::yearend::Verdict::Propose,
            score: Some(Points("5".parse().unwrap())),
            reason: Some(Text::parse("t", "Thiếu hồ sơ", 500).unwrap()),
        };
        app.service
            .execute(
                &Actor::System,
                Command::YearEnd(Y::SubmitFinding {
                    covenant: cov(),
                    inspector: p.inspector,
                    inspected: p.inspected,
                    items: [("C2a".to_owned(), item)].into_iter().collect(),
                    recheck: None,
                }),
            )
            .unwrap();
    }
    let outsider = UNITS
        .iter()
        .find(|u| **u != "ca-kg" && !review.inspectors_of(&unit("ca-kg")).contains(&unit(u)))
        .unwrap();
    for criterion in ["C2a", "C2b"] {
        let answer = format!("answer_{criterion}");
        let res = post_step(
            &app,
            &leader(outsider),
            &[
                ("action", "submit_response"),
                ("unit", "ca-kg"),
                (&answer, "sai\u{1}"),
            ],
        );
        assert_eq!(res.status, 403, "{criterion}: {}", res.body);
    }
}

/// A file is attached by uploading it, never by naming its SHA-256: An Giang, which has learned
/// the hash of Kiên Giang's evidence, cannot save it into its own dossier and so download it;
/// a unit that may not save a dossier is refused the same way whether or not the file is
/// there; and a dossier entry whose stored file is not of its declared size and type serves
/// nothing.
#[test]
fn evidence_is_attached_by_upload_never_by_naming_its_hash() {
    let app = opened_review();
    use thidua_domain::yearend::{DossierEntry, Evidence, Points, YearEndCommand as Y};
    let s = &app.service;
    let entry = |evidence: Vec<Evidence>| DossierEntry {
        score: Points("6".parse().unwrap()),
        justification: Text::parse("t", "Giải trình", 100).unwrap(),
        evidence,
    };
    for u in ["ca-kg", "ca-ag"] {
        s.execute(
            &Actor::System,
            Command::YearEnd(Y::SaveDossier {
                covenant: cov(),
                unit: unit(u),
                entries: [("C2a".to_owned(), entry(vec![]))].into_iter().collect(),
            }),
        )
        .unwrap();
    }
    let kg = signed_in(&app, "canbo-kg");
    let csrf = kg.get(&format!("/covenants/{COV}/yearend")).csrf();
    let secret = b"%PDF-1.7\nBi mat cua Kien Giang\n%%EOF\n";
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "bi-mat.pdf", secret);
    let res = kg.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    let stolen = s.read().review(&cov()).unwrap().dossiers[&unit("ca-kg")].entries["C2a"].evidence
        [0]
    .clone();
    let save = |u: &str, files: Vec<Evidence>| {
        serde_json::json!({"action": "save_dossier", "covenant": COV, "unit": u,
            "entries": {"C2a": entry(files)}})
    };
    let ag = signed_in(&app, "lanhdao-ag");
    let path = format!("/api/v1/covenants/{COV}/yearend");
    let res = ag.post_json(&path, save("ca-ag", vec![stolen.clone()]));
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.json()["error"], "yearend_evidence_not_uploaded");
    let res = ag.post_json(
        "/api/v1/commands",
        serde_json::json!({"command": "year_end",
        "action": "save_dossier", "covenant": COV, "unit": "ca-ag",
        "entries": {"C2a": entry(vec![stolen.clone()])}}),
    );
    assert_eq!(
        res.json()["error"],
        "yearend_evidence_not_uploaded",
        "{}",
        res.body
    );
    let view = s.read();
    let ag_dossier = &view.review(&cov()).unwrap().dossiers[&unit("ca-ag")];
    assert!(
        ag_dossier.entries["C2a"].evidence.is_empty(),
        "nothing saved"
    );
    let url = format!("/covenants/{COV}/yearend/evidence/{}", stolen.sha256);
    assert_eq!(ag.get(&url).status, 404);
    // Kiên Giang's own save of the file it uploaded goes through, by the API too.
    let res = kg.post_json(&path, save("ca-kg", vec![stolen.clone()]));
    assert_eq!(res.status, 200, "{}", res.body);
    // A save An Giang may not make says nothing of what Kiên Giang's dossier holds.
    let mut invented = stolen.clone();
    invented.sha256 = "ab".repeat(32);
    let held = ag.post_json(&path, save("ca-kg", vec![stolen.clone()]));
    let unknown = ag.post_json(&path, save("ca-kg", vec![invented]));
    assert_eq!(held.status, 403, "{}", held.body);
    assert_eq!((held.status, held.body), (unknown.status, unknown.body));
    // Recorded for An Giang without the web's check (as a log could hold it), the entry still
    // serves nothing: the stored file is not of its declared size, which the server says as
    // its own error (a verifier must not read it as a file hidden from it), without the file.
    let mut claimed = stolen.clone();
    claimed.size = 5;
    s.execute(
        &Actor::System,
        Command::YearEnd(Y::SaveDossier {
            covenant: cov(),
            unit: unit("ca-ag"),
            entries: [("C2a".to_owned(), entry(vec![claimed]))]
                .into_iter()
                .collect(),
        }),
    )
    .unwrap();
    let served = ag.get(&url);
    assert_eq!(served.status, 500);
    assert_eq!(
        served.header("content-type"),
        Some("text/html; charset=utf-8"),
        "an error page, nothing of the file"
    );
}

/// When no assignment meets the hard constraints (Kiên Giang declared a conflict with every
/// other member), the review page offers the secretariat a form to record its own assignment
/// with a reason: each member's two inspectors chosen by name; a unit named twice for one
/// member is refused beside the form, keeps the choices and records nothing.
#[test]
fn the_secretariat_records_an_assignment_when_the_draw_finds_none() {
    let Some(app) = spawn(Backend::Sqlite) else {
        return;
    };
    prepare(&app);
    let (sys, s) = (Actor::System, &app.service);
    use thidua_domain::yearend::YearEndCommand as Y;
    let mut open = opening(5);
    if let Y::Open { inspectors, .. } = &mut open {
        *inspectors = 2;
    }
    let mut steps = vec![open];
    for other in &UNITS[1..] {
        steps.push(Y::DeclareConflict {
            covenant: cov(),
            unit: unit("ca-kg"),
            other: unit(other),
            reason: Text::parse("t", "Cùng địa bàn giáp ranh", 100).unwrap(),
        });
    }
    steps.extend(commit_reveal_draw());
    for step in steps {
        s.execute(&sys, Command::YearEnd(step)).unwrap();
    }
    let sec = signed_in(&app, "thuky12");
    let path = format!("/covenants/{COV}/yearend");
    let review = sec.get(&path);
    assert!(review.body.contains("id=\"infeasible\""), "{}", review.body);
    assert!(review.body.contains("id=\"decide-form\""));
    // Two places per member, units by name.
    for place in ["by-ca-kg-0", "by-ca-kg-1", "by-ca-bl-1"] {
        assert!(review.body.contains(&format!("id=\"{place}\"")), "{place}");
    }
    assert!(review
        .body
        .contains("lang=\"vi\">Công an tỉnh Bạc Liêu</option>"));
    let leader = signed_in(&app, "lanhdao-ag").get(&path);
    assert!(
        !leader.body.contains("id=\"decide-form\""),
        "only the secretariat decides"
    );
    // Each member inspected by the two before it in the cycle Kiên Giang, An Giang, Hậu
    // Giang, Cà Mau, Bạc Liêu.
    let cycle = ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"];
    let mut chosen: Vec<(String, String)> = Vec::new();
    for (i, inspected) in cycle.iter().enumerate() {
        for j in 0..2 {
            let by = cycle[(i + 4 - j) % 5];
            chosen.push((format!("by_{inspected}_{j}"), by.to_owned()));
        }
    }
    let post = |chosen: &[(String, String)]| {
        let page = sec.get(&path);
        let csrf = page.csrf();
        let mut form: Vec<(&str, &str)> = vec![
            ("csrf", &csrf),
            ("action", "decide_assignment"),
            ("reason", "Phân công theo nghị quyết hội nghị cụm"),
        ];
        form.extend(chosen.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        sec.post_form(&path, &form)
    };
    let mut twice = chosen.clone();
    twice[1].1 = twice[0].1.clone();
    let refused = post(&twice);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("id=\"decide_assignment-error\"")
            && refused
                .body
                .contains("các đơn vị kiểm tra một đơn vị phải khác nhau"),
        "{}",
        refused.body
    );
    let kept = &refused.body[refused.body.find("id=\"by-ca-kg-1\"").unwrap()..];
    let kept = &kept[..kept.find("</select>").unwrap()];
    assert!(
        kept.contains("<option value=\"ca-bl\" lang=\"vi\" selected>"),
        "{kept}"
    );
    assert!(refused
        .body
        .contains(">Phân công theo nghị quyết hội nghị cụm</textarea>"));
    assert!(s.read().review(&cov()).unwrap().decided.is_none());
    // Every cycle breaks one of Kiên Giang's conflicts: the decision names the four it breaks
    // and is taken only with each ticked; the page keeps the choices and offers the boxes.
    let r = post(&chosen);
    assert_eq!(r.status, 422, "{}", r.body);
    let boxes = [
        "ack:conflict:ca-bl:ca-kg",
        "ack:conflict:ca-cm:ca-kg",
        "ack:conflict:ca-kg:ca-ag",
        "ack:conflict:ca-kg:ca-hg",
    ];
    assert!(r.body.contains("id=\"decide-breaches\""), "{}", r.body);
    assert!(
        r.body
            .contains("Phân công vi phạm 4 quy tắc của việc bốc thăm (liệt kê bên dưới)")
            && r.body.contains(
                "xung đột lợi ích đã khai: Công an tỉnh Bạc Liêu → Công an tỉnh Kiên Giang"
            ),
        "{}",
        r.body
    );
    for name in boxes {
        assert!(r.body.contains(&format!("name=\"{name}\"")), "{name}");
    }
    let mut three = chosen.clone();
    three.extend(boxes[..3].iter().map(|b| (b.to_string(), "1".to_owned())));
    assert_eq!(post(&three).status, 422, "one breach left unacknowledged");
    let mut all = chosen.clone();
    all.extend(boxes.iter().map(|b| (b.to_string(), "1".to_owned())));
    let r = post(&all);
    assert_eq!(r.status, 303, "{}", r.body);
    let decided = s.read().review(&cov()).unwrap().decided.clone();
    let (decision, _) = decided.expect("the secretariat's assignment is recorded");
    assert_eq!(decision.pairs.len(), 10);
    assert_eq!(decision.acknowledged.len(), 4);
    let after = sec.get(&path);
    assert!(!after.body.contains("id=\"decide-form\""));
    let shown = &after.body[after.body.find("id=\"decision-breaches\"").unwrap()..];
    assert!(
        shown.contains("xung đột lợi ích đã khai: Công an tỉnh Bạc Liêu → Công an tỉnh Kiên Giang"),
        "{shown}"
    );
    // Why the draw found nothing: Kiên Giang's conflicts leave it no place. The page counts
    // the conflicts it is in, whoever declared them (it once said the blocked unit declared
    // them "with almost every unit", of a unit that declared none).
    let blockers = &after.body[after.body.find("id=\"draw-blockers\"").unwrap()..];
    assert!(
        blockers.contains("Công an tỉnh Kiên Giang nằm trong 4 xung đột lợi ích đã khai (do đơn vị mình hoặc đơn vị kia khai): chỉ còn 0 đơn vị"),
        "{blockers}"
    );
    assert!(
        blockers.contains("Công an tỉnh An Giang nằm trong 1 xung đột lợi ích đã khai (do đơn vị mình hoặc đơn vị kia khai): chỉ còn 3 đơn vị"),
        "An Giang declared nothing, and is in one conflict: {blockers}"
    );
    for pair in ["pair-ca-bl-ca-kg", "pair-ca-cm-ca-kg", "pair-ca-kg-ca-ag"] {
        assert!(
            after.body.contains(&format!("id=\"{pair}\"")),
            "{pair}: {}",
            after.body
        );
    }
}

/// Without JavaScript: the page makes no secret (nothing random is served), asks for a
/// commitment made offline and shows the `thidua assign commit` command; the pasted commitment
/// is what the log records, a malformed one is refused and kept as typed, an old-style form
/// sending a secret commits nothing, and the saved secret reveals against the commitment.
#[test]
fn a_leader_without_javascript_pastes_a_commitment_made_offline() {
    let Some(app) = spawn(Backend::Sqlite) else {
        return;
    };
    prepare(&app);
    let (sys, s) = (Actor::System, &app.service);
    use thidua_domain::yearend::YearEndCommand as Y;
    s.execute(&sys, Command::YearEnd(opening(5))).unwrap();
    let path = format!("/covenants/{COV}/yearend");
    let kg = signed_in(&app, "lanhdao-kg");
    let page = kg.get(&path);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"commit-hash-ca-kg\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"commitment\""));
    assert!(
        page.body.contains(&format!(
            "thidua assign commit --covenant {COV} --unit ca-kg --secret-file"
        )),
        "the page shows the offline command"
    );
    assert!(page.body.contains("/static/yearend.js"));
    assert!(
        !page.body.contains("name=\"secret\""),
        "the commit form asks for no secret"
    );
    let served_hex = |body: &str| {
        body.split(|c: char| !c.is_ascii_hexdigit())
            .any(|w| w.len() == 64)
    };
    assert!(!served_hex(&page.body), "the server offers no secret");
    let script = kg.get("/static/yearend.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("crypto.getRandomValues"));

    let post = |fields: &[(&str, &str)]| {
        let page = kg.get(&path);
        let csrf = page.csrf();
        let mut all = vec![("csrf", csrf.as_str()), ("unit", "ca-kg")];
        all.extend_from_slice(fields);
        kg.post_form(&path, &all)
    };
    let committed = |s: &Service| {
        s.read()
            .review(&cov())
            .unwrap()
            .commitments
            .get(&unit("ca-kg"))
            .cloned()
    };
    // The old form's field: a secret is not hashed on the server, and nothing is committed.
    let old = post(&[("action", "commit_seed"), ("secret", &secret("ca-kg"))]);
    assert_eq!(old.status, 422, "{}", old.body);
    assert!(old.body.contains("id=\"commit_seed-error\""));
    assert_eq!(committed(s), None);
    let bad = post(&[("action", "commit_seed"), ("commitment", "abc123")]);
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("id=\"commit_seed-error\""),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"abc123\""), "kept as typed");
    assert_eq!(committed(s), None);

    let made_offline = commitment(COV, &unit("ca-kg"), &secret("ca-kg"));
    let ok = post(&[
        ("action", "commit_seed"),
        ("commitment", &made_offline.to_uppercase()),
    ]);
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(committed(s), Some(made_offline.clone()));
    let after = kg.get(&path);
    assert!(
        !after.body.contains("id=\"commit-hash-ca-kg\""),
        "committed once"
    );
    assert!(after.body.contains("id=\"reveal-secret-ca-kg\""));

    for u in &UNITS[1..] {
        s.execute(
            &sys,
            Command::YearEnd(Y::CommitSeed {
                covenant: cov(),
                unit: unit(u),
                commitment: commitment(COV, &unit(u), &secret(u)),
            }),
        )
        .unwrap();
    }
    let wrong = post(&[("action", "reveal_seed"), ("secret", &secret("ca-ag"))]);
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("id=\"reveal_seed-error\""));
    let revealed = post(&[("action", "reveal_seed"), ("secret", &secret("ca-kg"))]);
    assert_eq!(revealed.status, 303, "{}", revealed.body);
    assert_eq!(
        s.read().review(&cov()).unwrap().reveals[&unit("ca-kg")],
        secret("ca-kg")
    );
}

/// Two inspectors per unit (k = 2): over HTTP, a co-inspector reads neither the other
/// inspector's findings on their unit (year-end page's data, event feed) nor the unit's answers
/// until it has submitted its own; then it reads both findings. The inspected unit reads each
/// finding once submitted.
#[test]
fn co_inspectors_read_each_others_findings_only_after_submitting_their_own_sqlite() {
    co_inspectors_read_each_others_findings_only_after_submitting_their_own(Backend::Sqlite);
}

#[test]
fn co_inspectors_read_each_others_findings_only_after_submitting_their_own_postgres() {
    co_inspectors_read_each_others_findings_only_after_submitting_their_own(Backend::Postgres);
}

/// No unit has answered its disputes yet.
fn no_response_yet(app: &TestApp) -> bool {
    app.service
        .read()
        .review(&cov())
        .unwrap()
        .responses
        .is_empty()
}

/// A review of the five units with two inspectors per unit (k = 2): every dossier submitted,
/// every seed committed and revealed, the assignment drawn.
fn drawn_with_two_inspectors(app: &TestApp) {
    prepare(app);
    let (sys, s) = (Actor::System, &app.service);
    use thidua_domain::yearend::YearEndCommand as Y;
    let ye = |c| s.execute(&sys, Command::YearEnd(c)).unwrap();
    let Y::Open {
        dossier_deadline,
        commit_deadline,
        response_deadline,
        record_sample,
        ..
    } = opening(0)
    else {
        unreachable!()
    };
    ye(Y::Open {
        covenant: cov(),
        dossier_deadline,
        commit_deadline,
        reveal_deadline: None,
        response_deadline,
        inspectors: 2,
        record_sample,
        acknowledge_missing_figures: false,
    });
    for u in UNITS {
        ye(Y::SaveDossier {
            covenant: cov(),
            unit: unit(u),
            entries: self_scores(),
        });
        ye(Y::SubmitDossier {
            covenant: cov(),
            unit: unit(u),
            revision: 1,
        });
        ye(Y::CommitSeed {
            covenant: cov(),
            unit: unit(u),
            commitment: commitment(COV, &unit(u), &secret(u)),
        });
    }
    for u in UNITS {
        ye(Y::RevealSeed {
            covenant: cov(),
            unit: unit(u),
            value: secret(u),
        });
    }
    ye(Y::DrawAssignment { covenant: cov() });
}

fn co_inspectors_read_each_others_findings_only_after_submitting_their_own(backend: Backend) {
    let Some(app) = spawn(backend) else {
        return;
    };
    drawn_with_two_inspectors(&app);
    let (sys, s) = (Actor::System, &app.service);
    use thidua_domain::yearend::YearEndCommand as Y;
    let ye = |c| s.execute(&sys, Command::YearEnd(c)).unwrap();
    let review = s.read().review(&cov()).unwrap().clone();
    let inspected = unit("ca-kg");
    let pair = review.inspectors_of(&inspected);
    assert_eq!(pair.len(), 2, "k = 2");
    let (first, second) = (pair[0].clone(), pair[1].clone());
    let client = |u: &UnitId| signed_in(&app, &leader(u.as_str()));
    let findings_on_kg = |u: &UnitId| -> Vec<String> {
        let v = client(u)
            .get(&format!("/api/v1/covenants/{COV}/yearend"))
            .json();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["inspected"]["id"] == "ca-kg")
            .map(|f| f["inspector"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let feed = |u: &UnitId| -> usize {
        client(u)
            .get("/api/v1/events?kind=finding_submitted")
            .json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["data"]["data"]["inspected"] == "ca-kg")
            .count()
    };
    let submit = |inspector: &UnitId| {
        ye(Y::SubmitFinding {
            covenant: cov(),
            inspector: inspector.clone(),
            inspected: inspected.clone(),
            items: Default::default(),
            recheck: None,
        })
    };
    submit(&first);
    // The minutes of that inspection say what the finding says: offered and served to whoever
    // reads the finding, to nobody else (the co-inspector, another member), whichever path.
    let key = format!("inspection:{COV}:{first}:ca-kg");
    let offers = |c: &super::support::Client| -> Vec<String> {
        c.get("/api/v1/clusters/cum-12/documents/offers?year=2024")
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["key"].as_str().unwrap().to_owned())
            .collect()
    };
    let api_file = format!("/api/v1/clusters/cum-12/documents/file?doc={key}&format=pdf");
    let page_file = format!("/clusters/cum-12/documents/file/pdf?doc={key}");
    let bystander = UNITS
        .iter()
        .map(|u| unit(u))
        .find(|u| u != &inspected && !pair.contains(u))
        .unwrap();
    for (who, reads) in [
        (&first, true),
        (&inspected, true),
        (&second, false),
        (&bystander, false),
    ] {
        let c = client(who);
        assert_eq!(offers(&c).contains(&key), reads, "{who} offered {key}");
        let expected = if reads { 200 } else { 404 };
        assert_eq!(c.get(&api_file).status, expected, "{who}: {api_file}");
        assert_eq!(c.get(&page_file).status, expected, "{who}: {page_file}");
        let cluster_page = c.get("/clusters/cum-12?year=2024").body;
        assert_eq!(cluster_page.contains(&key), reads, "{who}: cluster page");
    }
    // Issued by the secretariat before the results are out, the paper is listed to the
    // overseers only; the two units still read it through its offer.
    let secretariat = signed_in(&app, "thuky12");
    // Dated today: the finding it recites was entered today.
    let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis());
    let issued = secretariat.post_json(
        "/api/v1/clusters/cum-12/documents/issue",
        serde_json::json!({ "doc": key, "date": today.to_string() }),
    );
    assert_eq!(issued.status, 201, "{}", issued.body);
    let sha = issued.json()["sha256"].as_str().unwrap().to_owned();
    for (who, reads) in [(&second, false), (&bystander, false), (&inspected, false)] {
        let c = client(who);
        let listed = c
            .get("/api/v1/clusters/cum-12/documents")
            .body
            .contains(&sha);
        assert_eq!(listed, reads, "{who} lists the issued minutes");
        let status = c.get(&format!("/api/v1/documents/{sha}?format=pdf")).status;
        assert_eq!(status, 404, "{who}: the issued minutes");
    }
    assert_eq!(client(&inspected).get(&api_file).status, 200);
    assert!(secretariat
        .get("/api/v1/clusters/cum-12/documents")
        .body
        .contains(&sha));
    assert_eq!(findings_on_kg(&first), [first.to_string()], "its own");
    assert!(
        findings_on_kg(&second).is_empty(),
        "{second} has not submitted: {first}'s finding is hidden"
    );
    assert_eq!(feed(&second), 0, "nor in the event feed");
    assert_eq!(
        findings_on_kg(&inspected),
        [first.to_string()],
        "the unit reads it"
    );
    submit(&second);
    let mut both = vec![first.to_string(), second.to_string()];
    both.sort();
    let mut seen = findings_on_kg(&second);
    seen.sort();
    assert_eq!(seen, both, "submitted: both findings");
    assert_eq!(feed(&second), 2);
    let mut seen = findings_on_kg(&first);
    seen.sort();
    assert_eq!(seen, both);
}

/// A unit answers its disputes once, after every unit inspecting it has submitted: with k = 2,
/// Kiên Giang's first inspector proposes another C2a; Kiên Giang's answer is refused then (the
/// API says whose findings are awaited, the page offers no response form and says why), for
/// an answer then would leave it no way to answer what the second inspector disputes (C2b
/// here) while the council could decide it. Once both are in, the page offers both criteria
/// and the one response answers them.
#[test]
fn a_unit_answers_once_every_inspector_has_submitted() {
    let app = spawn(Backend::Sqlite).unwrap();
    drawn_with_two_inspectors(&app);
    use thidua_domain::yearend::{FindingItem, Points, Verdict, YearEndCommand as Y};
    let inspected = unit("ca-kg");
    let pair = app
        .service
        .read()
        .review(&cov())
        .unwrap()
        .inspectors_of(&inspected);
    let propose = |inspector: &UnitId, criterion: &str| {
        let item = FindingItem {
            verdict: Verdict::Propose,
            score: Some(Points("2".parse().unwrap())),
            reason: Some(Text::parse("t", "Chưa đủ minh chứng", 100).unwrap()),
        };
        let finding = Y::SubmitFinding {
            covenant: cov(),
            inspector: inspector.clone(),
            inspected: inspected.clone(),
            items: [(criterion.to_owned(), item)].into_iter().collect(),
            recheck: None,
        };
        app.service
            .execute(&Actor::System, Command::YearEnd(finding))
            .unwrap();
    };
    propose(&pair[0], "C2a");
    let kg = signed_in(&app, &leader("ca-kg"));
    let path = format!("/api/v1/covenants/{COV}/yearend");
    let answer = |criteria: &[&str]| {
        let answers: serde_json::Map<String, serde_json::Value> = criteria
            .iter()
            .map(|c| {
                let a = serde_json::json!({"accept": false, "text": "Đã hoàn thành đúng hạn"});
                ((*c).to_owned(), a)
            })
            .collect();
        kg.post_json(
            &path,
            serde_json::json!({"action": "submit_response", "covenant": COV,
                "unit": "ca-kg", "answers": answers}),
        )
    };
    let second = app.service.read().units[&pair[1]].name.to_string();
    let early = answer(&["C2a"]);
    assert_eq!(early.status, 409, "{}", early.body);
    assert!(
        early.body.contains("yearend_phase") && early.body.contains(&second),
        "{}",
        early.body
    );
    assert!(no_response_yet(&app));
    let page = kg.get(&format!("/covenants/{COV}/yearend")).body;
    assert!(
        !page.contains("id=\"response-form-ca-kg\""),
        "no response form yet"
    );
    let note = element_text(&page, "response-waits-ca-kg", "p");
    assert!(
        note.contains("còn chờ kết quả chấm chéo") && note.contains(&second),
        "{note}"
    );
    propose(&pair[1], "C2b");
    let page = kg.get(&format!("/covenants/{COV}/yearend")).body;
    assert!(!page.contains("id=\"response-waits-ca-kg\""));
    for c in ["C2a", "C2b"] {
        assert!(
            page.contains(&format!("id=\"answer-ca-kg-{c}\"")),
            "{c} to answer"
        );
    }
    let answered = answer(&["C2a", "C2b"]);
    assert_eq!(answered.status, 200, "{}", answered.body);
    let state = app.service.read();
    let (response, _) = &state.review(&cov()).unwrap().responses[&inspected];
    assert_eq!(response.answers.len(), 2);
}

/// The secretariat pins a drand round on the review page (a day after the commitment deadline,
/// the default offered), the page shows the round, when it is published and the drand address
/// to check it, and waits for its value; a signature that is not the round's is refused beside
/// its field and records nothing. Only the secretariat sees the forms, and once a unit has
/// committed no round can be pinned any more. After every reveal the draw waits for the
/// round's value, and the secretariat's page says so.
#[test]
fn the_secretariat_pins_a_public_beacon_round_before_the_commitments() {
    use thidua_domain::yearend::YearEndCommand as Y;
    let app = opened_review();
    let s = &app.service;
    let path = format!("/covenants/{COV}/yearend");
    let leader = signed_in(&app, "lanhdao-ag");
    assert!(!leader.get(&path).body.contains("id=\"beacon-pin-form\""));
    let sec = signed_in(&app, "thuky12");
    let page = sec.get(&path);
    assert!(
        page.body.contains("id=\"beacon-pin-form\""),
        "{}",
        page.body
    );
    let deadline = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis())
        + chrono::Duration::days(7);
    let default_day = (deadline + chrono::Duration::days(2))
        .format("%d/%m/%Y")
        .to_string();
    assert!(page.body.contains(&format!("value=\"{default_day}\"")));
    // A day before the end of the commitment deadline is refused and pins nothing.
    let too_early = sec.post_form(
        &path,
        &[
            ("csrf", &page.csrf()),
            ("action", "pin_beacon"),
            ("beacon_date", &deadline.to_string()),
        ],
    );
    assert!(
        too_early.body.contains("id=\"pin_beacon-error\""),
        "{}",
        too_early.body
    );
    assert!(s.read().review(&cov()).unwrap().beacon.is_none());
    let page = sec.get(&path);
    sec.post_form(
        &path,
        &[
            ("csrf", &page.csrf()),
            ("action", "pin_beacon"),
            ("beacon_date", &default_day),
        ],
    );
    let pinned = s.read().review(&cov()).unwrap().beacon.clone().unwrap();
    let quicknet = thidua_domain::yearend::beacon::QUICKNET;
    let midnight = chrono::NaiveDate::parse_from_str(&default_day, "%d/%m/%Y")
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        - chrono::Duration::hours(7);
    assert_eq!(pinned.round, quicknet.first_round_at(midnight));
    let page = sec.get(&path);
    assert!(page
        .body
        .contains(&format!("id=\"beacon-round\">{}<", pinned.round)));
    assert!(page.body.contains("id=\"beacon-waiting\""));
    assert!(page.body.contains(&format!(
        "https://api.drand.sh/{}/public/{}",
        quicknet.chain, pinned.round
    )));
    assert!(!page.body.contains("id=\"beacon-pin-form\""));
    // Round 1000's genuine signature is not this round's.
    let record_round_1000 = |c: &super::support::Client, csrf: &str| {
        let round_1000 = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
        let form = [
            ("csrf", csrf),
            ("action", "record_beacon"),
            ("signature", round_1000),
        ];
        c.post_form(&path, &form)
    };
    let refused = record_round_1000(&sec, &page.csrf());
    assert!(
        refused.body.contains("id=\"record_beacon-error\""),
        "{}",
        refused.body
    );
    let beacon = s.read().review(&cov()).unwrap().beacon.clone().unwrap();
    assert!(beacon.signature.is_none());
    // History tells it as a sentence, the round among its details.
    let history = sec.get("/history").body;
    assert!(
        history.contains("đã chọn vòng số ngẫu nhiên công khai (drand)"),
        "{history}"
    );
    assert!(history.contains(&pinned.round.to_string()));
    // The leaders read the pinned round too (the draw's inputs are public to the cluster), and
    // may record its signature, which proves itself: a wrong one is refused beside its field.
    let seen = leader.get(&path);
    assert!(seen.body.contains("id=\"beacon-round\""));
    assert!(seen.body.contains("id=\"beacon-record-form\""));
    let refused = record_round_1000(&leader, &seen.csrf());
    assert!(
        refused.body.contains("Chữ ký không đúng"),
        "{}",
        refused.body
    );
    // Every unit commits and reveals: the draw still waits for the round's value, and the
    // secretariat is told so where the draw's button would be.
    let steps = commit_reveal_draw();
    for step in steps
        .into_iter()
        .filter(|s| !matches!(s, Y::DrawAssignment { .. }))
    {
        s.execute(&Actor::System, Command::YearEnd(step)).unwrap();
    }
    let waiting = sec.get(&path).body;
    assert!(!waiting.contains("id=\"draw-button\""), "{waiting}");
    assert_note(
        &waiting,
        "draw-waits",
        &format!("Việc bốc thăm chờ số ngẫu nhiên của vòng {}.", pinned.round),
    );
}

/// In Chromium: the secretariat pins the offered beacon day with one click, reads the round,
/// its publication time and the drand address, and a signature that is not the round's is
/// refused beside its field (screenshots at 1366 and 390 px).
#[test]
fn browser_the_secretariat_pins_a_beacon_round() {
    let Some(b) = Browser::start() else {
        return;
    };
    let app = opened_review();
    b.sign_in(&app, "thuky12");
    b.goto(&page(&app));
    assert!(b.wait_for("#beacon-pin-form"), "{}", b.source());
    b.shots("yearend-beacon-01-pin");
    b.click("#beacon-pin");
    assert!(b.wait_for("#beacon-round"), "{}", b.source());
    let round = app.service.read().review(&cov()).unwrap().beacon.clone();
    let round = round.expect("the round is pinned").round;
    assert_eq!(b.text("#beacon-round"), round.to_string());
    assert!(b.text("#beacon-time").contains("(UTC+7)"));
    assert!(b.find("#beacon-waiting").is_some());
    assert!(
        b.find("#draw-button").is_none(),
        "the draw waits for the beacon"
    );
    // (Nobody has committed yet: the reveals are what the draw waits for first.)
    assert!(
        b.text("#draw-waits").starts_with("Việc bốc thăm chờ"),
        "{}",
        b.text("#draw-waits")
    );
    b.type_into(
        "#beacon-signature",
        "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39",
    );
    b.click("#beacon-record");
    assert!(b.wait_for("#record_beacon-error"), "{}", b.source());
    assert!(
        b.text("#record_beacon-error").contains("Chữ ký không đúng"),
        "{}",
        b.text("#record_beacon-error")
    );
    b.shots("yearend-beacon-02-refused");
    let beacon = app.service.read().review(&cov()).unwrap().beacon.clone();
    assert!(beacon.unwrap().signature.is_none());
}

/// A review run to its publication with Kiên Giang's 480 source records re-checked (19 of the
/// 20 drawn found correct) and its C2a disputed and decided by the council.
fn published_with_a_recheck(app: &TestApp) {
    use thidua_domain::yearend::YearEndCommand as Y;
    use thidua_domain::yearend::{Answer, FindingItem, Points, Recheck, Verdict};
    let (sys, s) = (Actor::System, &app.service);
    let t = |x: &str| Text::parse("t", x, 500).unwrap();
    let mut steps = drawing_steps(20);
    for step in steps.drain(..) {
        s.execute(&sys, Command::YearEnd(step)).unwrap();
    }
    let pairs = s.read().review(&cov()).unwrap().pairs();
    for p in pairs {
        let kg = p.inspected == unit("ca-kg");
        let item = FindingItem {
            verdict: Verdict::Propose,
            score: Some(Points("5".parse().unwrap())),
            reason: Some(t("Giải pháp thứ ba chưa hoàn thành")),
        };
        steps.push(Y::SubmitFinding {
            covenant: cov(),
            inspector: p.inspector,
            inspected: p.inspected,
            items: if kg {
                [("C2a".to_owned(), item)].into_iter().collect()
            } else {
                Default::default()
            },
            recheck: kg.then_some(Recheck {
                checked: 20,
                correct: 19,
            }),
        });
    }
    steps.push(Y::SubmitResponse {
        covenant: cov(),
        unit: unit("ca-kg"),
        answers: [(
            "C2a".to_owned(),
            Answer {
                accept: false,
                text: t("Đã hoàn thành, có biên bản nghiệm thu"),
            },
        )]
        .into_iter()
        .collect(),
    });
    steps.push(Y::ResolveDispute {
        covenant: cov(),
        unit: unit("ca-kg"),
        criterion: "C2a".into(),
        score: Some(Points("5.5".parse().unwrap())),
        reason: t("Hội đồng cụm biểu quyết"),
    });
    steps.push(Y::Lock {
        covenant: cov(),
        confirm: true,
    });
    steps.push(Y::PublishResults {
        covenant: cov(),
        confirm: true,
    });
    for step in steps {
        s.execute(&sys, Command::YearEnd(step)).unwrap();
    }
}

/// Over HTTP, a leader after the publication: its unit's card says what became of its dossier
/// and leads to the results; the re-check column shows the records declared, how many were drawn
/// and the inspectors' result, each labelled (never the bare population); the inspection and the
/// council's decisions name each criterion beside its code.
#[test]
fn a_leader_reads_its_unit_and_the_recheck_after_publication() {
    let Some(app) = spawn(Backend::Sqlite) else {
        return;
    };
    prepare(&app);
    published_with_a_recheck(&app);
    let name = |id: &str| {
        let state = app.service.read();
        let review = state.review(&cov()).unwrap();
        format!("{id} — {}", review.criterion(id).unwrap().name)
    };
    let page = signed_in(&app, "lanhdao-kg")
        .get(&format!("/covenants/{COV}/yearend"))
        .body;
    let card = element_text(&page, "leader-ca-kg", "section");
    for expected in [
        "Hồ sơ tự chấm",
        "Đã gửi (bản lưu lần 1)",
        "Điểm năm đã khoá",
        "Xem kết quả tổng kết năm",
        &name("C2a"),
        "Hội đồng cụm quyết định: 5,5",
        "Giữ điểm tự chấm",
    ] {
        assert!(card.contains(expected), "{expected}: {card}");
    }
    assert!(page.contains(&format!("href=\"/covenants/{COV}/results\">Xem kết quả")));
    let cell = element_text(&page, "records-cell-ca-kg", "td");
    for expected in [
        "Tổng số hồ sơ đã khai: 480",
        "Số hồ sơ bốc để kiểm tra lại: 20",
        "Kết quả kiểm tra lại: 19/20 hồ sơ ghi nhận đúng; tỷ lệ ước tính 95% (khoảng tin cậy Wilson 95%: 76,39% – 99,11%)",
    ] {
        assert!(cell.contains(expected), "{expected}: {cell}");
    }
    let findings = element_text(&page, "findings", "section");
    assert!(
        findings.contains(&format!("{}: Đề nghị điểm khác 5", name("C2a"))),
        "{findings}"
    );
    let disputes = element_text(&page, "dispute-ca-kg-C2a", "tr");
    assert!(disputes.contains(&name("C2a")), "{disputes}");
}

/// The review opened (`record_sample` of Kiên Giang's 480 declared case files to re-check),
/// every dossier saved and submitted, seeds committed and revealed, the assignment drawn.
fn drawing_steps(record_sample: u32) -> Vec<thidua_domain::yearend::YearEndCommand> {
    use thidua_domain::yearend::YearEndCommand as Y;
    let mut steps = vec![opening(record_sample)];
    for u in UNITS {
        steps.push(Y::SaveDossier {
            covenant: cov(),
            unit: unit(u),
            entries: self_scores(),
        });
        steps.push(Y::SubmitDossier {
            covenant: cov(),
            unit: unit(u),
            revision: 1,
        });
    }
    steps.push(Y::DeclareRecords {
        covenant: cov(),
        unit: unit("ca-kg"),
        population: 480,
        description: Text::parse("t", "Hồ sơ tin báo năm 2024", 500).unwrap(),
    });
    steps.extend(commit_reveal_draw());
    steps
}

/// A prepared cluster (SQLite) whose review is drawn: every dossier submitted, Kiên Giang's 480
/// case files declared (10 re-checked), seeds committed and revealed.
fn drawn_review() -> TestApp {
    let app = spawn(Backend::Sqlite).unwrap();
    prepare(&app);
    for step in drawing_steps(10) {
        app.service
            .execute(&Actor::System, Command::YearEnd(step))
            .unwrap();
    }
    app
}

/// The unit inspecting `u` in the drawn review.
fn inspector_of(app: &TestApp, u: &str) -> String {
    app.service
        .read()
        .review(&cov())
        .unwrap()
        .inspectors_of(&unit(u))[0]
        .to_string()
}

/// Posts a year-end form of the review page as `user`.
fn post_step(app: &TestApp, user: &str, fields: &[(&str, &str)]) -> super::support::Resp {
    let client = signed_in(app, user);
    let csrf = client.get(&format!("/covenants/{COV}/yearend")).csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post_form(&format!("/covenants/{COV}/yearend"), &all)
}

/// The message beside a form (`{form}-error`), asserting the page's error summary links to it.
fn form_error(page: &super::support::Resp, form: &str) -> String {
    assert_eq!(page.status / 100, 4, "refused: {}", page.body);
    assert!(
        page.body.contains("id=\"error-summary\"")
            && page.body.contains(&format!("href=\"#{form}-error\"")),
        "the summary links to the message: {}",
        page.body
    );
    element_text(&page.body, &format!("{form}-error"), "p")
}

/// The message beside a dossier field (`{input}-error`), asserting the summary links to it and
/// the input (`score-ca-kg-C2a`) is marked invalid and described by it.
fn dossier_field_error(page: &super::support::Resp, input: &str) -> String {
    assert_eq!(page.status / 100, 4, "refused: {}", page.body);
    assert!(
        page.body.contains(&format!("href=\"#{input}-error\"")),
        "the summary links to the field: {}",
        page.body
    );
    let at = page.body.find(&format!("id=\"{input}\"")).unwrap();
    let tag = &page.body[at..at + page.body[at..].find('>').unwrap()];
    assert!(
        tag.contains(&format!("aria-describedby=\"{input}-error\""))
            && tag.contains("aria-invalid=\"true\""),
        "{tag}"
    );
    assert!(
        !page.body.contains("id=\"save_dossier-error\""),
        "said once"
    );
    element_text(&page.body, &format!("{input}-error"), "p")
}

/// A self-score out of its criterion's range (C2a = 9, 8 at most) is said beside its input,
/// which is marked invalid, and the summary links to it (it was said under the Save button,
/// 450 px from the input at 390 px, the input unmarked); what was typed is kept.
#[test]
fn a_dossier_score_out_of_range_is_said_beside_its_field() {
    let app = opened_review();
    let page = post_step(
        &app,
        "canbo-kg",
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("score_C2a", "9"),
            ("just_C2a", "Vượt chỉ tiêu"),
            ("score_C2b", "3"),
            ("just_C2b", "Giải trình"),
        ],
    );
    let message = dossier_field_error(&page, "score-ca-kg-C2a");
    assert_eq!(message, "C2a: điểm phải từ 0 đến 8.");
    assert!(
        page.body.contains("name=\"score_C2a\" value=\"9\""),
        "typed value kept"
    );
    assert!(page.body.contains(">Vượt chỉ tiêu</textarea>"));
    let just = page.body.find("id=\"just-ca-kg-C2a\"").unwrap();
    assert!(!page.body[just..just + 200].contains("aria-invalid"));
}

/// Saving the dossier form keeps the evidence files of its criteria (it deleted every one of
/// them); only the upload and the removal change them, and a criterion holding files keeps its
/// score. A file is attached once per criterion, and a long name keeps its extension.
#[test]
fn saving_the_dossier_form_keeps_its_evidence_files() {
    let app = opened_review();
    let officer = "canbo-kg";
    let save = |score: &str, just: &str| {
        post_step(
            &app,
            officer,
            &[
                ("action", "save_dossier"),
                ("unit", "ca-kg"),
                ("score_C2a", score),
                ("just_C2a", just),
                ("score_C2b", "3"),
                ("just_C2b", "Đảng bộ trong sạch, vững mạnh"),
            ],
        )
    };
    assert_eq!(save("6", "Ba giải pháp đột phá").status, 303);
    let client = signed_in(&app, officer);
    let csrf = client.get(&format!("/covenants/{COV}/yearend")).csrf();
    let long = format!("{}.pdf", "Biên bản nghiệm thu giải pháp đột phá ".repeat(5));
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", &long, pdf);
    let path = format!("/covenants/{COV}/yearend/evidence");
    assert_eq!(client.post_raw(&path, &ct, &body).status, 303);
    let files = |app: &TestApp| {
        app.service.read().review(&cov()).unwrap().dossiers[&unit("ca-kg")].entries["C2a"]
            .evidence
            .clone()
    };
    let attached = files(&app);
    assert_eq!(attached.len(), 1);
    assert!(attached[0].name.as_str().ends_with(".pdf"), "{attached:?}");
    // The same file again is refused, naming the file already there.
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "ban-sao.pdf", pdf);
    let again = client.post_raw(&path, &ct, &body);
    assert_eq!(again.status, 422, "{}", again.body);
    let message = element_text(&again.body, "evidence-error", "p");
    assert!(message.contains("đã được đính kèm"), "{message}");
    // The form saved again: the justification changes, the file stays.
    assert_eq!(save("6,5", "Ba giải pháp, có biên bản").status, 303);
    let review = app.service.read().review(&cov()).unwrap().clone();
    let entry = &review.dossiers[&unit("ca-kg")].entries["C2a"];
    assert_eq!(entry.justification.as_str(), "Ba giải pháp, có biên bản");
    assert_eq!(entry.evidence, attached, "the evidence is kept");
    // Emptying the score of a criterion holding files would drop them: refused.
    let refused = save("", "");
    let message = dossier_field_error(&refused, "score-ca-kg-C2a");
    assert!(
        message.contains("C2a") && message.contains("tài liệu"),
        "{message}"
    );
    assert_eq!(files(&app), attached);
    // The removal is a button of the dossier's form: it takes the file off and saves what was
    // typed beside it (a separate form lost the unsaved scores and justifications).
    let page = signed_in(&app, officer).get(&format!("/covenants/{COV}/yearend"));
    let button = format!("evidence-remove-ca-kg-C2a-{}", attached[0].sha256);
    let at = page
        .body
        .find(&format!("id=\"{button}\""))
        .expect("the remove button");
    let tag = &page.body[page.body[..at].rfind('<').unwrap()..at];
    assert!(tag.contains("form=\"dossier-form-ca-kg\""), "{tag}");
    let remove = format!("C2a:{}", attached[0].sha256);
    let removed = post_step(
        &app,
        officer,
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("score_C2a", "7"),
            ("just_C2a", "Ba giải pháp, biên bản nộp sau"),
            ("score_C2b", "3"),
            ("just_C2b", "Đảng bộ trong sạch, vững mạnh"),
            ("remove", &remove),
        ],
    );
    assert_eq!(removed.status, 303, "{}", removed.body);
    let review = app.service.read().review(&cov()).unwrap().clone();
    let entry = &review.dossiers[&unit("ca-kg")].entries["C2a"];
    assert!(entry.evidence.is_empty());
    assert_eq!(
        entry.justification.as_str(),
        "Ba giải pháp, biên bản nộp sau"
    );
    assert_eq!(entry.score.0.to_string(), "7");
    // A file the criterion does not hold is refused, and nothing is saved.
    let refused = post_step(
        &app,
        officer,
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("score_C2a", "8"),
            ("just_C2a", "x"),
            ("remove", &remove),
        ],
    );
    let message = form_error(&refused, "save_dossier");
    assert!(message.contains("không còn trong hồ sơ"), "{message}");
    let again = app.service.read().review(&cov()).unwrap().clone();
    assert_eq!(again.dossiers, review.dossiers);
}

/// A score is read by the figures' number rule: "5,5" is 5.5, "20.000" (twenty thousand to a
/// Vietnamese reader; it was read as 20) is refused as ambiguous; an empty justification names
/// its criterion (it said "Không được để trống." naming nothing); a score with more decimals
/// than the regulation rounds to is refused.
#[test]
fn the_dossier_form_names_what_it_cannot_read() {
    let app = opened_review();
    let save = |score: &str, just: &str| {
        post_step(
            &app,
            "canbo-kg",
            &[
                ("action", "save_dossier"),
                ("unit", "ca-kg"),
                ("score_C2a", score),
                ("just_C2a", just),
            ],
        )
    };
    let message = dossier_field_error(&save("6", ""), "just-ca-kg-C2a");
    assert!(
        message.contains("Không được để trống") && message.contains("Giải trình — Tiêu chí C2a"),
        "{message}"
    );
    let message = dossier_field_error(&save("20.000", "Giải trình"), "score-ca-kg-C2a");
    assert!(
        message.contains("Cách viết số không rõ") && message.contains("Tiêu chí C2a"),
        "{message}"
    );
    // More decimals than the regulation rounds to (2): refused, saying how many it allows.
    let message = dossier_field_error(&save("7,125", "Giải trình"), "score-ca-kg-C2a");
    assert!(
        message.contains("C2a: điểm có tối đa 2 chữ số thập phân"),
        "{message}"
    );
    assert!(!app
        .service
        .read()
        .review(&cov())
        .unwrap()
        .dossiers
        .contains_key(&unit("ca-kg")));
    assert_eq!(save("5,5", "Giải trình").status, 303);
    let review = app.service.read().review(&cov()).unwrap().clone();
    assert_eq!(
        review.dossiers[&unit("ca-kg")].entries["C2a"].score.0,
        "5.5".parse().unwrap()
    );
}

/// An evidence file over the upload limit (a 34 MB scan) is refused on the review page, with
/// the evidence limit in the page's language (it answered `{"error":"too_large",…}` in
/// English); the body is read and dropped, never held.
#[test]
fn an_upload_over_the_limit_is_refused_on_the_page() {
    let app = opened_review();
    app.service
        .execute(
            &Actor::System,
            Command::YearEnd(thidua_domain::yearend::YearEndCommand::SaveDossier {
                covenant: cov(),
                unit: unit("ca-kg"),
                entries: self_scores(),
            }),
        )
        .unwrap();
    let officer = signed_in(&app, "canbo-kg");
    let csrf = officer.get(&format!("/covenants/{COV}/yearend")).csrf();
    let mut scan = b"%PDF-1.7\n".to_vec();
    scan.resize(34 * 1000 * 1000, b'0');
    let (ct, body) = multipart(&csrf, "ca-kg", "C2a", "ban-chup.pdf", &scan);
    let res = officer.post_raw(&format!("/covenants/{COV}/yearend/evidence"), &ct, &body);
    assert_eq!(res.status, 413, "{}", &res.body[..res.body.len().min(500)]);
    assert!(
        res.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{:?}",
        res.headers
    );
    let message = element_text(&res.body, "evidence-error", "p");
    assert!(
        message.contains("tối đa 20 MiB (20.971.520 byte)") && message.contains("chia tệp"),
        "{message}"
    );
    let review = app.service.read().review(&cov()).unwrap().clone();
    assert!(review.dossiers[&unit("ca-kg")].entries["C2a"]
        .evidence
        .is_empty());
}

/// Ticking "accept the proposed score" without an answer records the acceptance (it recorded a
/// response answering nothing, and the unit's one response was spent); a response that answers
/// nothing is refused with a clear message.
#[test]
fn an_acceptance_without_words_is_recorded() {
    use thidua_domain::yearend::{FindingItem, Points, Verdict, YearEndCommand as Y};
    let app = drawn_review();
    for p in app.service.read().review(&cov()).unwrap().pairs() {
        let item = FindingItem {
            verdict: Verdict::Propose,
            score: Some(Points("5".parse().unwrap())),
            reason: Some(Text::parse("t", "Chưa hoàn thành giải pháp thứ ba", 500).unwrap()),
        };
        let kg = p.inspected == unit("ca-kg");
        app.service
            .execute(
                &Actor::System,
                Command::YearEnd(Y::SubmitFinding {
                    covenant: cov(),
                    inspector: p.inspector,
                    inspected: p.inspected,
                    items: if kg {
                        [("C2a".to_owned(), item)].into_iter().collect()
                    } else {
                        Default::default()
                    },
                    recheck: None,
                }),
            )
            .unwrap();
    }
    let respond = |fields: &[(&str, &str)]| {
        let mut all = vec![("action", "submit_response"), ("unit", "ca-kg")];
        all.extend_from_slice(fields);
        post_step(&app, "lanhdao-kg", &all)
    };
    let message = form_error(&respond(&[("answer_C2a", "")]), "submit_response");
    assert!(message.contains("chưa trả lời tiêu chí nào"), "{message}");
    assert!(no_response_yet(&app));
    let accepted = respond(&[("accept_C2a", "1"), ("answer_C2a", "")]);
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let review = app.service.read().review(&cov()).unwrap().clone();
    let answer = &review.responses[&unit("ca-kg")].0.answers["C2a"];
    assert!(answer.accept && answer.text.as_str().is_empty());
    assert_eq!(
        review.settlement(&unit("ca-kg"), "C2a"),
        thidua_domain::yearend::state::Settlement::Accepted("5".parse().unwrap())
    );
    let page = signed_in(&app, "thuky12")
        .get(&format!("/covenants/{COV}/yearend"))
        .body;
    let row = element_text(&page, "dispute-ca-kg-C2a", "tr");
    assert!(row.contains("Chấp nhận điểm đề nghị"), "{row}");
}

/// The record re-check fits the records drawn: 100,000 checked against the 10 drawn of Kiên
/// Giang's 480 is refused with its own reason (it gave "Wilson 95%: 100% – 100%"), and so is a
/// re-check of a unit that declared no records.
#[test]
fn a_recheck_beyond_the_drawn_records_is_refused_with_its_reason() {
    let app = drawn_review();
    let inspector = inspector_of(&app, "ca-kg");
    let refused = post_step(
        &app,
        &leader(&inspector),
        &[
            ("action", "submit_finding"),
            ("inspector", &inspector),
            ("inspected", "ca-kg"),
            ("checked", "100000"),
            ("correct", "100000"),
        ],
    );
    let message = form_error(&refused, "submit_finding");
    assert!(
        message.contains("100000") && message.contains("(10 trong 480"),
        "{message}"
    );
    assert!(!message.contains("đề nghị cần điểm"), "{message}");
    let other = inspector_of(&app, "ca-ag");
    let res = signed_in(&app, &leader(&other)).post_json(
        &format!("/api/v1/covenants/{COV}/yearend"),
        serde_json::json!({"action": "submit_finding", "covenant": COV,
            "inspector": other, "inspected": "ca-ag", "items": {},
            "recheck": {"checked": 1, "correct": 1}}),
    );
    assert_eq!(
        (res.status, res.json()["error"].as_str()),
        (422, Some("yearend_recheck_no_records")),
        "{}",
        res.body
    );
    let ok = post_step(
        &app,
        &leader(&inspector),
        &[
            ("action", "submit_finding"),
            ("inspector", &inspector),
            ("inspected", "ca-kg"),
            ("checked", "10"),
            ("correct", "9"),
        ],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
}

/// The records, conflict and eligibility forms say what was refused beside the form, with the
/// error summary (the page came back 422 with no message).
#[test]
fn the_records_conflict_and_eligibility_forms_say_what_was_refused() {
    let app = opened_review();
    let records = |population: &str, description: &str| {
        post_step(
            &app,
            "lanhdao-kg",
            &[
                ("action", "declare_records"),
                ("unit", "ca-kg"),
                ("population", population),
                ("description", description),
            ],
        )
    };
    let page = records("0", "Hồ sơ tin báo");
    let message = form_error(&page, "declare_records");
    assert!(message.contains("từ 1 trở lên"), "{message}");
    assert!(
        page.body.contains("value=\"Hồ sơ tin báo\""),
        "kept as typed"
    );
    let message = form_error(&records("480", ""), "declare_records");
    assert!(message.contains("Không được để trống"), "{message}");
    let page = post_step(
        &app,
        "thuky12",
        &[
            ("action", "record_eligibility"),
            ("unit", "ca-ag"),
            ("discipline_pending", "1"),
            ("note", ""),
        ],
    );
    let message = form_error(&page, "record_eligibility");
    assert!(message.contains("Không được để trống"), "{message}");
    // The form is the secretariat's, headed and explained; refused, it keeps the ticked box
    // (it came back unticked, so that a second click recorded the unit eligible), and its
    // button records what the box says (it read "Đủ điều kiện đề nghị cờ" either way).
    assert!(
        page.body.contains("<h2>Việc của thư ký cụm</h2>")
            && page
                .body
                .contains("<h3 id=\"eligibility-heading\">Điều kiện đề nghị cờ</h3>")
            && page.body.contains("id=\"discipline-pending\" checked>")
            && page
                .body
                .contains("<option value=\"ca-ag\" lang=\"vi\" selected>")
            && page
                .body
                .contains("<button type=\"submit\" id=\"record-eligibility\">Ghi nhận</button>"),
        "{}",
        page.body
    );
    // After the draw the conflict form is gone; a late declaration still says why it is refused.
    let app = drawn_review();
    let conflict = |reason: &str| {
        post_step(
            &app,
            "lanhdao-kg",
            &[
                ("action", "declare_conflict"),
                ("unit", "ca-kg"),
                ("other", "ca-ag"),
                ("reason", reason),
            ],
        )
    };
    let message = form_error(&conflict(""), "declare_conflict");
    assert!(message.contains("Không được để trống"), "{message}");
    let message = form_error(&conflict("Hai phó giám đốc là anh em"), "declare_conflict");
    assert!(
        message.contains("Đã hết thời gian khai xung đột lợi ích"),
        "{message}"
    );
}

/// Every member commits its seed.
fn commit_every_seed(app: &TestApp) {
    for step in commit_reveal_draw().into_iter().take(UNITS.len()) {
        app.service
            .execute(&Actor::System, Command::YearEnd(step))
            .unwrap();
    }
}

/// A step that is not open says why, with its date (it said only "Bước này chưa mở hoặc đã
/// qua."): the draw waits for the reveals until the reveal deadline.
#[test]
fn a_step_not_open_says_why() {
    let app = opened_review();
    commit_every_seed(&app);
    let reveal = app
        .service
        .read()
        .review(&cov())
        .unwrap()
        .schedule
        .reveal_deadline
        .unwrap();
    let page = post_step(&app, "thuky12", &[("action", "draw_assignment")]);
    let message = form_error(&page, "draw_assignment");
    assert!(
        message.contains("chờ mọi đơn vị đã cam kết công bố mã")
            && message.contains(&reveal.format("%d/%m/%Y").to_string()),
        "{message}"
    );
}

/// Once every unit has committed, the conflict and records forms give way to a note, and a
/// count posted anyway is refused with the reason: the re-checked records are drawn from the
/// seed and the count, so a count chosen when the seed can be known would pick the sample.
#[test]
fn record_counts_close_with_the_commitments_on_the_page() {
    let app = opened_review();
    let leader_page = || signed_in(&app, "lanhdao-kg").get(&format!("/covenants/{COV}/yearend"));
    assert!(leader_page().body.contains("id=\"declare-records-ca-kg\""));
    commit_every_seed(&app);
    let page = leader_page().body;
    assert!(
        !page.contains("id=\"declare-records-ca-kg\"")
            && !page.contains("id=\"conflict-ca-kg\"")
            && page.contains("id=\"draw-inputs-closed-ca-kg\""),
        "{page}"
    );
    let refused = post_step(
        &app,
        "lanhdao-kg",
        &[
            ("action", "declare_records"),
            ("unit", "ca-kg"),
            ("population", "480"),
            ("description", "Hồ sơ tin báo"),
        ],
    );
    let message = form_error(&refused, "declare_records");
    assert!(
        message.contains("Đã hết thời gian khai số hồ sơ"),
        "{message}"
    );
    let state = app.service.read();
    assert!(state.review(&cov()).unwrap().records.is_empty());
}

/// Opening a year-end refuses a schedule it cannot keep (every deadline past; the dossiers due
/// after the commitments); the secretariat then moves a deadline of the open review, with a
/// reason, recorded in the history.
#[test]
fn a_schedule_is_opened_in_order_and_its_deadlines_moved() {
    let app = spawn(Backend::Sqlite).unwrap();
    prepare(&app);
    let sec = signed_in(&app, "thuky12");
    let path = format!("/api/v1/covenants/{COV}/yearend");
    let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis());
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let open = |dossier: i64, commit: i64, response: i64| {
        sec.post_json(
            &path,
            serde_json::json!({"action": "open", "covenant": COV,
                "dossier_deadline": day(dossier), "commit_deadline": day(commit),
                "response_deadline": day(response), "inspectors": 2, "record_sample": 10}),
        )
    };
    let res = open(-30, -20, -10);
    assert_eq!(
        res.json()["error"],
        "yearend_deadline_in_past",
        "{}",
        res.body
    );
    let res = open(9, 7, 21);
    assert_eq!(
        res.json()["error"],
        "yearend_deadlines_order",
        "{}",
        res.body
    );
    assert!(!app.service.read().yearend.reviews.contains_key(&cov()));
    assert_eq!(open(7, 7, 21).status, 200);
    // The page offers the schedule to edit; nothing changed is said so.
    let dmy = |n: i64| {
        (today + chrono::Duration::days(n))
            .format("%d/%m/%Y")
            .to_string()
    };
    let unchanged = post_step(
        &app,
        "thuky12",
        &[
            ("action", "move_deadlines"),
            ("dossier_deadline", &dmy(7)),
            ("commit_deadline", &dmy(7)),
            ("reveal_deadline", &dmy(10)),
            ("response_deadline", &dmy(21)),
            ("reason", "Không đổi"),
        ],
    );
    let message = form_error(&unchanged, "move_deadlines");
    assert!(message.contains("Không hạn nào thay đổi"), "{message}");
    // Dossiers and commitments three days later: moved from the last step back.
    let moved = post_step(
        &app,
        "thuky12",
        &[
            ("action", "move_deadlines"),
            ("dossier_deadline", &dmy(10)),
            ("commit_deadline", &dmy(10)),
            ("reveal_deadline", &dmy(12)),
            ("response_deadline", &dmy(21)),
            ("reason", "Hai đơn vị đề nghị thêm thời gian do mưa lũ"),
        ],
    );
    assert_eq!(moved.status, 303, "{}", moved.body);
    let schedule = app.service.read().review(&cov()).unwrap().schedule.clone();
    assert_eq!(
        (
            schedule.dossier_deadline,
            schedule.commit_deadline,
            schedule.reveal_deadline
        ),
        (
            today + chrono::Duration::days(10),
            today + chrono::Duration::days(10),
            Some(today + chrono::Duration::days(12))
        )
    );
    // Out of order: refused with both deadlines named.
    let refused = post_step(
        &app,
        "thuky12",
        &[
            ("action", "move_deadlines"),
            ("response_deadline", &dmy(11)),
            ("reason", "Rút ngắn"),
        ],
    );
    let message = form_error(&refused, "move_deadlines");
    assert!(
        message.contains("hạn giải trình") && message.contains("hạn công bố mã bốc thăm"),
        "{message}"
    );
    let history = sec.get("/history").body;
    assert!(
        history.contains("đã dời hạn nộp hồ sơ tự chấm của"),
        "{history}"
    );
}

/// A proposed score or a reason typed on a criterion left on «Thống nhất» is refused beside that
/// criterion, everything typed kept and nothing stored (the proposal was dropped: the inspected
/// unit had nothing to answer, the results kept its self-score and the minutes said «Thống
/// nhất»). With «Đề nghị điểm khác» chosen, the proposal is recorded.
#[test]
fn a_proposal_left_on_agree_is_refused_beside_its_criterion() {
    let app = drawn_review();
    let inspector = inspector_of(&app, "ca-kg");
    let boss = leader(&inspector);
    let finding = |verdict: &str, score: &str, reason: &str| {
        post_step(
            &app,
            &boss,
            &[
                ("action", "submit_finding"),
                ("inspector", &inspector),
                ("inspected", "ca-kg"),
                ("verdict_C2a", verdict),
                ("score_C2a", score),
                ("reason_C2a", reason),
                ("verdict_C2b", "agree"),
                ("score_C2b", ""),
                ("reason_C2b", ""),
            ],
        )
    };
    let refused = finding("agree", "4,5", "Thiếu biên bản nghiệm thu");
    assert_eq!(refused.status, 422);
    let message = form_error(&refused, "submit_finding");
    assert!(
        message.contains("Đã nhập điểm đề nghị nhưng chọn «Thống nhất»")
            && message.contains("Đề nghị điểm khác")
            && message.contains("C2a"),
        "{message}"
    );
    let body = &refused.body;
    // Said in the criterion's row, before the next criterion and the form's button.
    let at = body.find("id=\"submit_finding-error\"").unwrap();
    assert!(
        at < body.find("id=\"verdict-ca-kg-C2b\"").unwrap(),
        "{body}"
    );
    assert_eq!(body.matches("id=\"submit_finding-error\"").count(), 1);
    assert!(
        body.contains(r#"id="fscore-ca-kg-C2a" size="5" inputmode="decimal" aria-label="Điểm đề nghị C2a" value="4,5" aria-describedby="submit_finding-error" aria-invalid="true""#),
        "{body}"
    );
    assert!(
        body.contains("value=\"Thiếu biên bản nghiệm thu\""),
        "{body}"
    );
    let stored = |app: &TestApp| {
        app.service
            .read()
            .review(&cov())
            .unwrap()
            .finding(&unit(&inspector), &unit("ca-kg"))
            .cloned()
    };
    assert!(stored(&app).is_none());
    // A reason alone with «Thống nhất»: refused too, the verdict kept as chosen.
    let refused = finding("agree", "", "Hồ sơ đầy đủ");
    let message = form_error(&refused, "submit_finding");
    assert!(
        message.contains("Đã nhập lý do nhưng chọn «Thống nhất»") && message.contains("C2a"),
        "{message}"
    );
    assert!(stored(&app).is_none());
    // Another verdict typed is shown again as chosen.
    let refused = finding("propose", "", "Thiếu biên bản");
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("<option value=\"propose\" selected>"),
        "{}",
        refused.body
    );
    let done = finding("propose", "4,5", "Thiếu biên bản nghiệm thu");
    assert_eq!(done.status, 303, "{}", done.body);
    let f = stored(&app).expect("recorded");
    assert_eq!(
        f.items["C2a"].score.map(|s| s.0),
        Some("4.5".parse().unwrap())
    );
}

/// The page offers only what the year-end accepts from the viewer: an officer of an inspecting
/// unit reads the inspection but the findings are its leader's to submit (the form was offered
/// and refused); a leader's submitted dossier, once drawn, offers no submission; a single
/// inspector per unit is not told of co-inspectors.
#[test]
fn the_review_page_offers_only_what_the_viewer_may_do() {
    let app = drawn_review();
    // The unit Kiên Giang inspects (the fixture has Kiên Giang's officer).
    let target = app
        .service
        .read()
        .review(&cov())
        .unwrap()
        .pairs()
        .iter()
        .find(|p| p.inspector == unit("ca-kg"))
        .unwrap()
        .inspected
        .to_string();
    let page_of = |user: &str| signed_in(&app, user).get(&format!("/covenants/{COV}/yearend"));
    let officers = page_of("canbo-kg").body;
    assert!(
        officers.contains(&format!("id=\"inspect-{target}\"")),
        "{officers}"
    );
    assert!(!officers.contains(&format!("id=\"submit-finding-{target}\"")));
    assert!(
        officers.contains(&format!("id=\"finding-by-leader-{target}\"")),
        "{officers}"
    );
    let leaders = page_of("lanhdao-kg").body;
    assert!(
        leaders.contains(&format!("id=\"submit-finding-{target}\"")),
        "{leaders}"
    );
    assert!(!leaders.contains("chấm cùng được ẩn"), "{leaders}");
    assert!(
        !leaders.contains("id=\"submit-dossier-ca-kg\""),
        "{leaders}"
    );
}

/// A computed criterion of the dossier's table says in one sentence that it is computed from
/// the approved figures and its value, the way the product shows numbers (a rate with its %),
/// or why it cannot be computed yet (it read «Máy tính từ số liệu đã duyệt — -12,5.» followed
/// by every step, and «… LỖI: thiếu số liệu …»), in both languages.
#[test]
fn a_computed_criterion_of_the_dossier_says_its_value_or_why_it_has_none() {
    let app = opened_review();
    let officer = signed_in(&app, "canbo-kg");
    let path = format!("/covenants/{COV}/yearend");
    let note = element_text(&officer.get(&path).body, "computed-note-ca-kg-A1", "td");
    assert_eq!(note, "Tính tự động từ số liệu đã duyệt: -12,5%.");
    let home = officer.get("/");
    let r = officer.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let note = element_text(&officer.get(&path).body, "computed-note-ca-kg-A1", "td");
    assert_eq!(
        note,
        "Computed automatically from the approved figures: -12,5%."
    );

    // A review opened without 2023's figures: the criteria comparing with 2023 cannot be
    // computed yet, said so.
    let app = spawn(Backend::Sqlite).unwrap();
    signed(&app);
    let s = &app.service;
    for u in UNITS {
        let figures = full_figures(s, COV, 7);
        let reports = super::support::monthly_reports(COV, u, 1..=12, true, |_| figures.clone());
        s.execute_all(&Actor::System, reports).unwrap();
    }
    let mut open = serde_json::to_value(opening(0)).unwrap();
    open["acknowledge_missing_figures"] = true.into();
    let res =
        signed_in(&app, "thuky12").post_json(&format!("/api/v1/covenants/{COV}/yearend"), open);
    assert_eq!(res.status, 200, "{}", res.body);
    let officer = signed_in(&app, "canbo-kg");
    let note = element_text(&officer.get(&path).body, "computed-note-ca-kg-A1", "td");
    assert!(
        note.starts_with("Chưa tính được: ") && !note.contains("LỖI") && note.ends_with('.'),
        "{note}"
    );
    let home = officer.get("/");
    let r = officer.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let note = element_text(&officer.get(&path).body, "computed-note-ca-kg-A1", "td");
    assert!(
        note.starts_with("Not computed yet: ") && !note.contains("ERROR"),
        "{note}"
    );
}

/// Officers preparing the dossier see their unit's computed criteria with the engine's values
/// and explanations (the same table an inspector reads), not only "Tính tự động từ số liệu đã duyệt".
#[test]
fn a_unit_self_assessing_sees_its_computed_criteria() {
    let app = opened_review();
    let body = signed_in(&app, "canbo-kg")
        .get(&format!("/covenants/{COV}/yearend"))
        .body;
    assert!(body.contains("id=\"computed-ca-kg\""), "{body}");
    assert!(body.contains("id=\"computed-score-ca-kg-"), "{body}");
    // Another unit's engine view stays its own.
    assert!(!body.contains("id=\"computed-ca-ag\""), "{body}");
}

/// Before any draw, the breakdown of a unit's own scores names a self-assessed criterion's
/// score as its self-score, in both languages (it read «Điểm chấm qua kiểm tra: 6», "Score
/// given at inspection", before any inspection).
#[test]
fn a_self_assessed_criterion_is_explained_as_the_self_score() {
    let app = opened_review();
    submit_kg_dossier(&app.service);
    let officer = signed_in(&app, "canbo-kg");
    let path = format!("/covenants/{COV}/yearend");
    let vi = element_text(&officer.get(&path).body, "computed-ca-kg", "details");
    assert!(
        vi.contains("Điểm tự chấm: 6") && !vi.contains("Điểm chấm qua kiểm tra"),
        "{vi}"
    );
    let home = officer.get("/");
    let r = officer.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let en = element_text(&officer.get(&path).body, "computed-ca-kg", "details");
    assert!(
        en.contains("Self-assessed score: 6") && !en.contains("at inspection"),
        "{en}"
    );
}

/// A year-end action the viewer may not take answers 403 with the reason (it came back 422 as
/// a form to correct, and a leader's deadline move with no message beside anything).
#[test]
fn a_year_end_action_not_the_viewers_is_forbidden() {
    let app = drawn_review();
    let cases: [(&str, &[(&str, &str)]); 3] = [
        ("canbo-kg", &[("action", "publish_results")]),
        (
            "lanhdao-ag",
            &[
                ("action", "submit_dossier"),
                ("unit", "ca-kg"),
                ("revision", "1"),
            ],
        ),
        (
            "lanhdao-kg",
            &[
                ("action", "move_deadlines"),
                ("response_deadline", "01/01/2099"),
                ("reason", "Dời hạn"),
            ],
        ),
    ];
    for (user, fields) in cases {
        let res = post_step(&app, user, fields);
        assert_eq!(res.status, 403, "{user}: {}", res.body);
        assert!(
            res.body
                .contains("Anh/chị không có quyền thực hiện thao tác này."),
            "{user}: {}",
            res.body
        );
    }
}

/// The year-end opened on a covenant without approved figures: the secretariat's page lists
/// the members and the windows they lack and the opening needs its box, the API its field
/// (`acknowledge_missing_figures`); a dossier whose computed criteria cannot be computed is
/// refused naming them and the windows, and nothing is stored; the lock without its box is
/// refused by the domain through the API (`confirm`) as on the page.
#[test]
fn a_year_end_on_missing_figures_is_acknowledged_and_its_dossiers_wait() {
    let app = spawn(Backend::Sqlite).unwrap();
    signed(&app);
    let s = &app.service;
    let sec = signed_in(&app, "thuky12");
    let path = format!("/covenants/{COV}/yearend");
    let page = sec.get(&path);
    let at = page.body.find("id=\"missing-figures\"").expect("listed");
    let listed = &page.body[at..];
    assert!(
        listed.contains("Công an tỉnh Kiên Giang</span>: ")
            && listed.contains("name=\"acknowledge_missing_figures\""),
        "{listed}"
    );
    let api = format!("/api/v1/covenants/{COV}/yearend");
    let mut open = serde_json::to_value(opening(0)).unwrap();
    let res = sec.post_json(&api, open.clone());
    assert_eq!(
        res.json()["error"],
        "yearend_figures_missing",
        "{}",
        res.body
    );
    assert!(
        res.json()["message"]
            .as_str()
            .unwrap()
            .contains("Công an tỉnh Kiên Giang (M01, M02"),
        "{}",
        res.body
    );
    assert!(s.read().review(&cov()).is_err(), "not opened");
    open["acknowledge_missing_figures"] = true.into();
    let res = sec.post_json(&api, open);
    assert_eq!(res.status, 200, "{}", res.body);
    use thidua_domain::yearend::YearEndCommand as Y;
    let save = Y::SaveDossier {
        covenant: cov(),
        unit: unit("ca-kg"),
        entries: self_scores(),
    };
    s.execute(&Actor::System, Command::YearEnd(save)).unwrap();
    let size = s.read().size;
    let res = signed_in(&app, "lanhdao-kg").post_json(
        &api,
        serde_json::json!({"action": "submit_dossier", "covenant": COV, "unit": "ca-kg", "revision": 1}),
    );
    assert_eq!(
        res.json()["error"],
        "yearend_criteria_uncomputable",
        "{}",
        res.body
    );
    let said = res.json()["message"].as_str().unwrap().to_owned();
    assert!(said.contains("A1") && said.contains("M12"), "{said}");
    assert_eq!(s.read().size, size, "nothing stored");
    let res = sec.post_json(&api, serde_json::json!({"action": "lock", "covenant": COV}));
    assert_eq!(
        res.json()["error"],
        "yearend_confirm_required",
        "{}",
        res.body
    );
    let page = sec.get(&path);
    let r = sec.post_form(&path, &[("csrf", &page.csrf()), ("action", "lock")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Bước này không hoàn tác được: hãy đánh dấu ô xác nhận rồi bấm lại."),
        "{}",
        r.body
    );
    assert_eq!(s.read().size, size, "nothing stored");
}

/// Kiên Giang's dossier (its self-scores) saved and submitted.
fn submit_kg_dossier(s: &Service) {
    use thidua_domain::yearend::YearEndCommand as Y;
    let save = Y::SaveDossier {
        covenant: cov(),
        unit: unit("ca-kg"),
        entries: self_scores(),
    };
    s.execute(&Actor::System, Command::YearEnd(save)).unwrap();
    let submit = Y::SubmitDossier {
        covenant: cov(),
        unit: unit("ca-kg"),
        revision: 1,
    };
    s.execute(&Actor::System, Command::YearEnd(submit)).unwrap();
}

/// Five members with the same figures and the same self-scores: every total, and every
/// tie-break, is equal, so the "Xuất sắc" band's one seat (20% of 5) is tied at its cut-off.
/// The review is locked; its results wait for the cluster head's decision.
fn tied_at_the_cut_off() -> TestApp {
    use thidua_domain::figures::FigureValue;
    use thidua_domain::yearend::YearEndCommand as Y;
    let app = spawn(Backend::Sqlite).unwrap();
    signed(&app);
    let service: &Service = &app.service;
    // No gang, no incident in custody, no one disciplined: every unit reaches "Xuất sắc".
    let spotless = || {
        let mut values = full_figures(service, COV, 7);
        for element in ["gangs", "detention_incidents", "disciplined"] {
            values.insert(element.to_owned(), FigureValue::Number(0.into()));
        }
        values
    };
    super::support::approved_year_after(service, COV, &UNITS, |_| 8, |_, _, _| spotless());
    let full_marks = |x: &str| thidua_domain::yearend::DossierEntry {
        score: thidua_domain::yearend::Points(x.parse().unwrap()),
        justification: Text::parse("t", "Giải trình", 100).unwrap(),
        evidence: vec![],
    };
    let mut steps = vec![opening(0)];
    for u in UNITS {
        let entries = [("C2a", "8"), ("C2b", "4")]
            .map(|(c, x)| (c.to_owned(), full_marks(x)))
            .into_iter()
            .collect();
        steps.push(Y::SaveDossier {
            covenant: cov(),
            unit: unit(u),
            entries,
        });
        steps.push(Y::SubmitDossier {
            covenant: cov(),
            unit: unit(u),
            revision: 1,
        });
    }
    steps.extend(commit_reveal_draw());
    for step in steps.drain(..) {
        service
            .execute(&Actor::System, Command::YearEnd(step))
            .unwrap();
    }
    for p in service.read().review(&cov()).unwrap().pairs() {
        steps.push(Y::SubmitFinding {
            covenant: cov(),
            inspector: p.inspector,
            inspected: p.inspected,
            items: Default::default(),
            recheck: None,
        });
    }
    steps.push(Y::Lock {
        covenant: cov(),
        confirm: true,
    });
    for step in steps {
        service
            .execute(&Actor::System, Command::YearEnd(step))
            .unwrap();
    }
    app
}

/// Over HTTP, a tie at a quota cut-off: the secretariat is told why the results cannot be
/// published yet instead of being offered the button; only the cluster head's leader is
/// offered the decision, which is refused when it keeps more units than the band has seats;
/// once decided, the results are published and the decision is said on the results page.
#[test]
fn a_tie_at_the_cut_off_waits_for_the_heads_decision() {
    let app = tied_at_the_cut_off();
    let path = format!("/covenants/{COV}/yearend");
    let sec = signed_in(&app, "thuky12");
    let page = sec.get(&path).body;
    let blocked = element_text(&page, "publish-blocked", "p");
    assert!(
        blocked.contains("xếp loại «Xuất sắc»")
            && blocked.contains("cụm trưởng (Công an tỉnh Kiên Giang) quyết định"),
        "the band and who decides: {blocked}"
    );
    assert!(!page.contains("id=\"publish-button\""), "{page}");
    assert!(
        !page.contains("id=\"tie-decide-xuat_sac\""),
        "the secretariat does not decide: {page}"
    );
    let head = signed_in(&app, "lanhdao-kg");
    let page = head.get(&path);
    assert!(
        page.body
            .contains("<legend>Đơn vị giữ xếp loại «Xuất sắc» (1)</legend>")
            && page.body.contains("<label for=\"tie-reason-xuat_sac\">"),
        "the choice and its reason are labelled: {}",
        page.body
    );
    let tie = element_text(&page.body, "tie-xuat_sac", "section");
    for u in UNITS {
        let name = app.service.read().units[&unit(u)].name.to_string();
        assert!(tie.contains(&name), "{name}: {tie}");
    }
    let decide = |kept: &[&str]| {
        let page = head.get(&path);
        let mut fields = vec![
            ("csrf".to_owned(), page.csrf()),
            ("action".to_owned(), "decide_cutoff_tie".to_owned()),
            ("band".to_owned(), "xuat_sac".to_owned()),
            (
                "reason".to_owned(),
                "Cụm trưởng quyết định theo biên bản họp".to_owned(),
            ),
        ];
        fields.extend(kept.iter().map(|u| (format!("tie_{u}"), "1".to_owned())));
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        head.post_form(&path, &fields)
    };
    let size = app.service.read().size;
    let two = decide(&["ca-ag", "ca-hg"]);
    assert_eq!(two.status, 422, "{}", two.body);
    let said = element_text(&two.body, "decide_cutoff_tie-error", "p");
    assert!(
        said.starts_with("Quyết định không hợp lệ: chọn đúng số đơn vị"),
        "{said}: {}",
        two.body
    );
    assert_eq!(app.service.read().size, size, "nothing stored");
    let one = decide(&["ca-hg"]);
    assert_eq!(one.status, 303, "{}", one.body);
    let page = sec.get(&path).body;
    let decided = element_text(&page, "tie-decided-xuat_sac", "p");
    assert!(
        decided.contains("Hậu Giang") && decided.contains("biên bản họp"),
        "{decided}"
    );
    assert!(!page.contains("id=\"publish-blocked\""), "{page}");
    let r = sec.post_form(
        &path,
        &[
            ("csrf", &sec.get(&path).csrf()),
            ("action", "publish_results"),
            ("confirm", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let results = sec.get(&format!("/covenants/{COV}/results")).body;
    let hg = element_text(&results, "result-ca-hg", "tr");
    assert!(hg.contains("Xuất sắc"), "{hg}");
    let ag = element_text(&results, "result-ca-ag", "tr");
    assert!(ag.contains("cụm trưởng quyết định giữ đơn vị khác"), "{ag}");
}

/// A step refused for where the review stands says "not done" (nothing in its form to
/// correct), before any box to tick: the lock posted again on a locked review, with or without
/// its box, and the publication after the results are out; an action the page does not have is
/// refused on a page that links back to the review. Once published, the secretariat's card is gone, and a unit that declared no
/// records says so in the members table.
#[test]
fn a_step_refused_for_where_the_review_stands_says_not_done() {
    use thidua_domain::yearend::YearEndCommand as Y;
    let app = tied_at_the_cut_off();
    let size = app.service.read().size;
    let relock = post_step(&app, "thuky12", &[("action", "lock")]);
    let said = form_error(&relock, "lock");
    assert!(!said.contains("Hãy đánh dấu"), "{said}");
    assert_eq!(
        element_text(&relock.body, "error-summary", "div"),
        format!("Không thực hiện được{said}"),
        "{}",
        relock.body
    );
    let unknown = post_step(&app, "thuky12", &[("action", "frobnicate")]);
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert_eq!(
        element_text(&unknown.body, "error-message", "p"),
        "Trang tổng kết năm không có thao tác này."
    );
    assert!(
        unknown.body.contains(&format!(
            "href=\"/covenants/{COV}/yearend\" id=\"error-back\""
        )),
        "{}",
        unknown.body
    );
    assert_eq!(app.service.read().size, size, "nothing recorded");
    // A supervisor posting a form with nothing in it is told the form is not theirs, not
    // which of its fields is missing.
    let supervisor = post_step(&app, "giamsat12", &[("action", "decide_cutoff_tie")]);
    assert_eq!(supervisor.status, 403, "{}", supervisor.body);
    assert!(supervisor.body.contains("<h1>Không có quyền</h1>"));
    let s = &app.service;
    let decide = Y::DecideCutoffTie {
        covenant: cov(),
        band: "xuat_sac".to_owned(),
        units: vec![unit("ca-hg")],
        reason: Text::parse("t", "Theo biên bản họp", 100).unwrap(),
    };
    s.execute(&Actor::System, Command::YearEnd(decide)).unwrap();
    s.execute(
        &Actor::System,
        Command::YearEnd(Y::PublishResults {
            covenant: cov(),
            confirm: true,
        }),
    )
    .unwrap();
    let page = signed_in(&app, "thuky12").get(&format!("/covenants/{COV}/yearend"));
    assert!(!page.body.contains("id=\"secretariat\""), "{}", page.body);
    assert_eq!(
        element_text(&page.body, "records-cell-ca-ag", "td"),
        "Chưa khai hồ sơ gốc"
    );
    let again = post_step(&app, "thuky12", &[("action", "publish_results")]);
    let said = form_error(&again, "publish_results");
    assert!(
        !said.contains("Hãy đánh dấu"),
        "the domain's refusal: {said}"
    );
    assert!(
        again.body.contains("Không thực hiện được"),
        "{}",
        again.body
    );
}

/// The page's note `id` starts with `start`.
fn assert_note(page: &str, id: &str, start: &str) {
    let note = element_text(page, id, "p");
    assert!(note.starts_with(start), "{note}");
}

/// Each step's forms close with its deadline, by the service's clock (moved here): the day
/// after the dossier deadline, Kiên Giang's unsubmitted dossier offers no form and says the
/// unit is not assessed (it said «inspected as last saved», which the results never do), and a
/// stale form posted anyway is refused beside that note with nothing recorded; An Giang's says
/// it is inspected as submitted, its later revision not counted; Bạc Liêu, which committed and never revealed, keeps its reveal form up to
/// the reveal deadline's last day and is told the next day that the draw records it as missing;
/// the secretariat is told the draw waits for that deadline, then its draw runs and names it.
/// The API lists the steps past; the home page's
/// to-dos follow the same days.
#[test]
fn each_steps_forms_close_with_its_deadline() {
    use thidua_domain::yearend::YearEndCommand as Y;
    let d0 = chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
    let day = |n| d0 + chrono::Days::new(n);
    let app = spawn_at(Backend::Sqlite, d0).unwrap();
    prepare(&app);
    let mut steps = vec![match opening_on(d0, 0) {
        Y::Open {
            covenant,
            dossier_deadline,
            commit_deadline,
            response_deadline,
            inspectors,
            record_sample,
            ..
        } => Y::Open {
            covenant,
            dossier_deadline,
            commit_deadline,
            reveal_deadline: Some(day(10)),
            response_deadline,
            inspectors,
            record_sample,
            acknowledge_missing_figures: false,
        },
        other => other,
    }];
    for u in UNITS {
        steps.push(Y::SaveDossier {
            covenant: cov(),
            unit: unit(u),
            entries: self_scores(),
        });
        if u != "ca-kg" {
            steps.push(Y::SubmitDossier {
                covenant: cov(),
                unit: unit(u),
                revision: 1,
            });
        }
    }
    // An Giang saves again after submitting, and never submits that revision.
    steps.push(Y::SaveDossier {
        covenant: cov(),
        unit: unit("ca-ag"),
        entries: self_scores(),
    });
    steps.extend(
        commit_reveal_draw()
            .into_iter()
            .filter(|s| !matches!(s, Y::RevealSeed { unit, .. } if unit.as_str() == "ca-bl"))
            .filter(|s| !matches!(s, Y::DrawAssignment { .. })),
    );
    for step in steps {
        app.service
            .execute(&Actor::System, Command::YearEnd(step))
            .unwrap();
    }
    let clock = app.clock.as_ref().unwrap();
    let page_of = |user: &str| signed_in(&app, user).get(&format!("/covenants/{COV}/yearend"));
    let todos_of = |user: &str| signed_in(&app, user).get("/").body;
    // (The unit's name is a link inside each sentence.)
    let dossier_todo = "Nộp hồ sơ tự chấm điểm của";
    let reveal_todo = "Công bố giá trị bí mật";
    let draw_todo = "4/5 đơn vị đã công bố giá trị bốc thăm — bốc thăm phân công chấm chéo";

    // The dossier deadline's own day (13/01/2025): the form is there.
    clock.set(day(7));
    let kg = page_of("canbo-kg");
    assert!(
        kg.body.contains("value=\"save_dossier\"")
            && !kg.body.contains("id=\"dossier-closed-ca-kg\""),
        "{}",
        kg.body
    );
    assert!(todos_of("lanhdao-kg").contains(dossier_todo));
    // The next day: no form, the note with the deadline; a stale form is refused beside it.
    clock.set(day(8));
    assert!(!todos_of("lanhdao-kg").contains(dossier_todo));
    let kg = page_of("canbo-kg");
    assert!(!kg.body.contains("value=\"save_dossier\""), "{}", kg.body);
    assert_note(
        &kg.body,
        "dossier-closed-ca-kg",
        "Đã hết hạn gửi hồ sơ (13/01/2025): hồ sơ không sửa, không gửi được nữa. Lãnh đạo đơn vị chưa gửi hồ sơ trước hạn: đơn vị không được xét điểm năm nay.",
    );
    // An Giang's is inspected as submitted; its later revision, never submitted, does not count.
    let ag = page_of("lanhdao-ag");
    assert_note(
        &ag.body,
        "dossier-closed-ca-ag",
        "Đã hết hạn gửi hồ sơ (13/01/2025): hồ sơ không sửa, không gửi được nữa. Đơn vị kiểm tra chéo kiểm tra hồ sơ như đã gửi (bản lưu lần 1).",
    );
    assert_note(
        &ag.body,
        "dossier-not-counted-ca-ag",
        "Thay đổi ở bản lưu lần 2 không được gửi trước hạn nên không được tính",
    );
    let size = app.service.read().size;
    let stale = post_step(
        &app,
        "canbo-kg",
        &[
            ("action", "save_dossier"),
            ("unit", "ca-kg"),
            ("score_C2a", "6"),
            ("just_C2a", "Bổ sung sau hạn"),
            ("score_C2b", "3"),
            ("just_C2b", "Bổ sung sau hạn"),
        ],
    );
    let message = form_error(&stale, "save_dossier");
    assert!(message.contains("13/01/2025"), "{message}");
    assert!(
        stale.body.contains("id=\"dossier-closed-ca-kg\""),
        "{}",
        stale.body
    );
    assert_eq!(app.service.read().size, size, "nothing recorded");
    // Bạc Liêu reveals up to the reveal deadline's day (16/01/2025), not after.
    clock.set(day(10));
    let bl = page_of("lanhdao-bl");
    assert!(bl.body.contains("id=\"reveal-form-ca-bl\""), "{}", bl.body);
    assert!(todos_of("lanhdao-bl").contains(reveal_todo));
    assert!(!todos_of("thuky12").contains(draw_todo), "the draw waits");
    // The secretariat is told what the draw waits for instead of being offered its button.
    let waiting = page_of("thuky12");
    assert!(
        !waiting.body.contains("id=\"draw-button\""),
        "{}",
        waiting.body
    );
    assert_note(
        &waiting.body,
        "draw-waits",
        "Việc bốc thăm chờ mọi đơn vị đã cam kết công bố mã, hoặc hết hạn công bố mã (16/01/2025).",
    );
    clock.set(day(11));
    assert!(!todos_of("lanhdao-bl").contains(reveal_todo));
    assert!(todos_of("thuky12").contains(draw_todo), "the draw's turn");
    let ready = page_of("thuky12");
    assert!(ready.body.contains("id=\"draw-button\""), "{}", ready.body);
    assert!(!ready.body.contains("id=\"draw-waits\""), "{}", ready.body);
    let bl = page_of("lanhdao-bl");
    assert!(!bl.body.contains("id=\"reveal-form-ca-bl\""), "{}", bl.body);
    assert_note(
        &bl.body,
        "reveal-closed-ca-bl",
        "Đã hết hạn công bố (16/01/2025)",
    );
    let api = signed_in(&app, "lanhdao-bl")
        .get(&format!("/api/v1/covenants/{COV}/yearend"))
        .json();
    assert_eq!(
        api["schedule"]["past"],
        serde_json::json!(["dossier", "commit", "reveal"])
    );
    // The draw runs and names the unit whose reveal is missing.
    let drawn = post_step(&app, "thuky12", &[("action", "draw_assignment")]);
    assert_eq!(drawn.status, 303, "{}", drawn.body);
    let secretariat = page_of("thuky12");
    assert_eq!(
        element_text(&secretariat.body, "missing", "dd"),
        "Công an tỉnh Bạc Liêu"
    );
}

/// Cần Thơ's every 2025 window approved, its dossier is still refused (its 2024 is the sum of
/// Hậu Giang's, Sóc Trăng's and its own, of which none has approved figures): the refusal
/// names that earlier year and who lacks it, and who imports earlier years. It said "thiếu số
/// liệu được duyệt của kỳ ." (no window is missing) and sent the leader to the Figures page.
#[test]
fn a_dossier_lacking_an_earlier_years_figures_names_that_year_and_who_lacks_them() {
    use thidua_domain::yearend::YearEndCommand as Y;
    let app = spawn(Backend::Sqlite).unwrap();
    let s = &app.service;
    let c2025 = super::support::signed_2025_covenant(s);
    let figures = super::support::full_figures(s, c2025.as_str(), 9);
    let reports =
        super::support::monthly_reports(c2025.as_str(), "ca-ct", 1..=12, true, |_| figures.clone());
    s.execute_all(&Actor::System, reports).unwrap();
    let today = thidua_domain::figures::local_date(s.now_ms());
    let mut opening = super::support::year_end_opening(&c2025, today, 0);
    if let Y::Open {
        acknowledge_missing_figures,
        ..
    } = &mut opening
    {
        *acknowledge_missing_figures = true;
    }
    let steps = vec![
        Command::YearEnd(opening),
        Command::YearEnd(Y::SaveDossier {
            covenant: c2025.clone(),
            unit: unit("ca-ct"),
            entries: self_scores(),
        }),
        Command::GrantRole {
            user: thidua_domain::UserId::parse("lanhdao-ag").unwrap(),
            role: thidua_domain::model::Role::Leader {
                unit: unit("ca-ct"),
            },
        },
    ];
    s.execute_all(&Actor::System, steps).unwrap();
    let leader = signed_in(&app, "lanhdao-ag");
    let path = format!("/covenants/{c2025}/yearend");
    let csrf = leader.get(&path).csrf();
    let size = s.read().size;
    let page = leader.post_form(
        &path,
        &[
            ("csrf", csrf.as_str()),
            ("action", "submit_dossier"),
            ("unit", "ca-ct"),
            ("revision", "1"),
        ],
    );
    let message = form_error(&page, "submit_dossier");
    assert!(
        message.contains("thiếu số liệu được duyệt của năm trước để so sánh")
            && message.contains("Công an tỉnh Sóc Trăng (01–12/2024)")
            && message.contains("theo đơn vị (tháng/năm)")
            && message.contains("Thư ký cụm nhập số liệu đã phê duyệt của các năm trước")
            && !message.contains("của kỳ ."),
        "{message}"
    );
    assert_eq!(s.read().size, size, "nothing stored");
    // The secretariat, who alone imports earlier years, is asked to on its home page, with
    // who lacks what, and led to the import; the members still missing windows are not named.
    let home = signed_in(&app, "thuky12").get("/").body;
    let at = home
        .find("Nhập số liệu năm trước cho <a href=\"/units/ca-ct\"")
        .unwrap_or_else(|| panic!("{home}"));
    let todo = &home[at..at + home[at..].find("</li>").unwrap_or(home.len() - at)];
    assert!(
        todo.contains("Công an tỉnh Sóc Trăng (01–12/2024)")
            && todo.contains(&format!("/covenants/{c2025}/figures#historical")),
        "{todo}"
    );
    assert!(
        !home.contains("Nhập số liệu năm trước cho <a href=\"/units/ca-ag\""),
        "{home}"
    );
}

/// Cluster 12's 2025 review, after the mergers (Kiên Giang into An Giang, Bạc Liêu into Cà Mau,
/// Hậu Giang into Cần Thơ), opened on `app`'s drawn 2024 review, its three members' seeds
/// committed and revealed and the assignment drawn; `conflict`, declared before the seeds,
/// leaves the draw no cycle.
fn merged_2025_drawn(app: &TestApp, conflict: Option<(&str, &str)>) -> CovenantId {
    use thidua_domain::yearend::YearEndCommand as Y;
    let s = &app.service;
    let c2025 = super::support::signed_2025_covenant(s);
    let members = ["ca-ag", "ca-cm", "ca-ct"];
    let today = thidua_domain::figures::local_date(s.now_ms());
    // No 2025 figures yet: the secretariat opens knowing it.
    let mut opening = super::support::year_end_opening(&c2025, today, 0);
    if let Y::Open {
        acknowledge_missing_figures,
        ..
    } = &mut opening
    {
        *acknowledge_missing_figures = true;
    }
    let mut steps = vec![Command::YearEnd(opening)];
    if let Some((a, b)) = conflict {
        steps.push(Command::YearEnd(Y::DeclareConflict {
            covenant: c2025.clone(),
            unit: unit(a),
            other: unit(b),
            reason: Text::parse("t", "Cùng địa bàn giáp ranh", 100).unwrap(),
        }));
    }
    for m in members {
        steps.push(Command::YearEnd(Y::CommitSeed {
            covenant: c2025.clone(),
            unit: unit(m),
            commitment: commitment(c2025.as_str(), &unit(m), &secret(m)),
        }));
    }
    for m in members {
        steps.push(Command::YearEnd(Y::RevealSeed {
            covenant: c2025.clone(),
            unit: unit(m),
            value: secret(m),
        }));
    }
    steps.push(Command::YearEnd(Y::DrawAssignment {
        covenant: c2025.clone(),
    }));
    for step in steps {
        s.execute(&Actor::System, step).unwrap();
    }
    c2025
}

/// A pair of unit ids, inspector first.
type IdPair = (String, String);

/// 2024's pairs with each unit replaced by the 2025 member it merged into (a pair landing on
/// one member dropped), each with the 2024 pairs it comes from, in 2024's order.
fn carried_into_2025(app: &TestApp) -> Vec<(IdPair, Vec<IdPair>)> {
    let into = |u: &UnitId| match u.as_str() {
        "ca-kg" | "ca-ag" => "ca-ag",
        "ca-bl" | "ca-cm" => "ca-cm",
        _ => "ca-ct",
    };
    let mut out: Vec<(IdPair, Vec<IdPair>)> = Vec::new();
    for p in app.service.read().review(&cov()).unwrap().pairs() {
        let pair = (into(&p.inspector).to_owned(), into(&p.inspected).to_owned());
        let was = (p.inspector.to_string(), p.inspected.to_string());
        match out.iter_mut().find(|(q, _)| *q == pair) {
            Some((_, from)) => from.push(was),
            None if pair.0 != pair.1 => out.push((pair, vec![was])),
            None => {}
        }
    }
    out
}

/// The 2025 draw of Cluster 12, after the mergers, avoids its 2024 inspections carried onto the
/// 2025 members through the lineage (Kiên Giang's are An Giang's, Bạc Liêu's Cà Mau's, Hậu
/// Giang's Cần Thơ's): the review's API and page list exactly those pairs beside the draw.
#[test]
fn the_draw_after_the_mergers_lists_last_years_pairs_carried_through_the_lineage() {
    let app = drawn_review();
    let s = &app.service;
    let c2025 = merged_2025_drawn(&app, None);
    let mut expected: Vec<(String, String)> = carried_into_2025(&app)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert!(!expected.is_empty());
    let secretariat = signed_in(&app, "thuky12");
    let review = secretariat
        .get(&format!("/api/v1/covenants/{c2025}/yearend"))
        .json();
    let mut listed: Vec<(String, String)> = review["draw"]["last_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let id = |i: usize| p[i]["id"].as_str().unwrap().to_owned();
            (id(0), id(1))
        })
        .collect();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
    let page = secretariat.get(&format!("/covenants/{c2025}/yearend"));
    let shown = element_text(&page.body, "last-year-pairs", "dd");
    let name = |id: &str| s.read().units[&unit(id)].name.to_string();
    let (a, b) = &expected[0];
    assert!(
        shown.contains(&format!("{} → {}", name(a), name(b))),
        "{shown}"
    );
}

/// A 2025 pair carried from 2024 through a merger says, on the review page and in the API, the
/// 2024 pair it was (Cà Mau → Cần Thơ: "năm 2024: Công an tỉnh Cà Mau → Công an tỉnh Hậu
/// Giang"), in the list of last year's pairs and in the secretariat's decision: the breach's
/// box, then the acknowledged breach. A pair unchanged since 2024 says nothing more. (The page
/// once named only the successors, a pair that never inspected each other in 2024.)
#[test]
fn a_pair_carried_through_a_merger_names_the_2024_pair_it_was() {
    let app = drawn_review();
    let s = &app.service;
    // An Giang and Cà Mau in conflict: neither cycle of three is possible, the secretariat
    // decides.
    let c2025 = merged_2025_drawn(&app, Some(("ca-ag", "ca-cm")));
    let carried = carried_into_2025(&app);
    let name = |id: &str| s.read().units[&unit(id)].name.to_string();
    let named = |(a, b): &(String, String)| format!("{} → {}", name(a), name(b));
    // «A → B (năm 2024: C → D)», the words beside a carried pair.
    let with_origin = |p: &(String, String), from: &[(String, String)]| {
        let list: Vec<String> = from.iter().map(named).collect();
        format!("{} (năm 2024: {})", named(p), list.join(", "))
    };
    let merged: Vec<_> = carried
        .iter()
        .filter(|(p, from)| from != std::slice::from_ref(p))
        .collect();
    // Preferably a pair no 2024 inspection was as it is (Cà Mau → Cần Thơ).
    let (pair, from) = merged
        .iter()
        .find(|(p, from)| !from.contains(p))
        .or(merged.first())
        .expect("a 2024 pair carried through a merger");
    let sec = signed_in(&app, "thuky12");
    let path = format!("/covenants/{c2025}/yearend");
    let page = sec.get(&path);
    let shown = element_text(&page.body, "last-year-pairs", "dd");
    for (p, f) in &carried {
        let line = with_origin(p, f);
        if f == std::slice::from_ref(p) {
            assert!(
                shown.contains(&named(p)) && !shown.contains(&line),
                "{line}: {shown}"
            );
        } else {
            assert!(shown.contains(&line), "{line}: {shown}");
        }
    }
    let api = sec.get(&format!("/api/v1/{}", &path[1..])).json();
    let ids = |v: &serde_json::Value| -> Vec<(String, String)> {
        let id = |p: &serde_json::Value, i: usize| p[i]["id"].as_str().unwrap().to_owned();
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| (id(p, 0), id(p, 1)))
            .collect()
    };
    let listed = ids(&api["draw"]["last_year"]);
    let at = listed.iter().position(|p| p == pair).unwrap();
    assert_eq!(&ids(&api["draw"]["last_year_carried_from"][at]), from);
    // The secretariat's decision: the cycle holding the carried pair.
    let (x, y) = (pair.0.as_str(), pair.1.as_str());
    let z = ["ca-ag", "ca-cm", "ca-ct"]
        .into_iter()
        .find(|u| *u != x && *u != y)
        .unwrap();
    let post = |boxes: &[String]| {
        let csrf = sec.get(&path).csrf();
        let mut form: Vec<(String, String)> = vec![
            ("csrf".into(), csrf),
            ("action".into(), "decide_assignment".into()),
            (
                "reason".into(),
                "Phân công theo nghị quyết hội nghị cụm".into(),
            ),
            (format!("by_{y}_0"), x.into()),
            (format!("by_{z}_0"), y.into()),
            (format!("by_{x}_0"), z.into()),
        ];
        form.extend(boxes.iter().map(|b| (b.clone(), "1".to_owned())));
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        sec.post_form(&path, &form)
    };
    let breach = format!("trùng cặp chấm chéo năm trước: {}", with_origin(pair, from));
    let refused = post(&[]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    let boxes = element_text(&refused.body, "decide-breaches", "fieldset");
    assert!(boxes.contains(&breach), "{breach}: {boxes}");
    let ticks: Vec<String> = refused
        .body
        .split("name=\"ack:")
        .skip(1)
        .map(|r| format!("ack:{}", &r[..r.find('"').unwrap()]))
        .collect();
    assert!(
        ticks.contains(&format!("ack:last_year:{x}:{y}")),
        "{ticks:?}"
    );
    let decided = post(&ticks);
    assert_eq!(decided.status, 303, "{}", decided.body);
    let after = sec.get(&path);
    let acknowledged = element_text(&after.body, "decision-breaches", "div");
    assert!(acknowledged.contains(&breach), "{breach}: {acknowledged}");
    let api = sec.get(&format!("/api/v1/{}", &path[1..])).json();
    let last_year = api["draw"]["acknowledged"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["rule"] == "last_year" && b["inspector"]["id"] == x)
        .cloned()
        .unwrap();
    assert_eq!(&ids(&last_year["carried_from"]), from);
    // In English, the same pair with its year.
    let home = sec.get("/");
    let r = sec.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let en = element_text(&sec.get(&path).body, "decision-breaches", "div");
    let line = format!(
        "{} (in 2024: {})",
        named(pair),
        from.iter().map(named).collect::<Vec<_>>().join(", ")
    );
    assert!(en.contains(&line), "{line}: {en}");
}
