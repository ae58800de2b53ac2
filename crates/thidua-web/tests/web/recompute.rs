//! The promise that any member recomputes every published score, end to end over HTTP: a
//! cluster's year-end results are published (figures with bonuses and penalties, self-scores,
//! a proposal accepted, a dispute the council settled, a unit moved down by the quota); a
//! member's leader downloads the signed regulation (`regulation.toml`, whose SHA-256 is the
//! covenant's signed hash) and the approved figures with the final scores
//! (`figures/export?scores=final`), runs the scoring engine on them exactly as `thidua score`
//! does, and gets every unit's published total, rank and band; `scores=self` gives the
//! published self-assessed totals. The results workbook names its columns as the file does and
//! says which band is the official one.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use thidua_domain::figures::FigureValue;
use thidua_domain::yearend::draw::commitment;
use thidua_domain::yearend::YearEndCommand as Y;
use thidua_domain::yearend::{Answer, DossierEntry, FindingItem, Points, Verdict};
use thidua_domain::{Actor, Command, CovenantId, Text, UnitId};
use thidua_scoring::data::ReadOptions;
use thidua_scoring::{compile, CompiledRegulation, Dataset, EvalOptions, Scoreboard};

use super::support::{approved_year, full_figures, signed_in, spawn, Backend, Client, TestApp};

const COV: &str = "gu-12-2024";
const UNITS: [&str; 5] = ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"];

fn unit(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}

fn cov() -> CovenantId {
    CovenantId::parse(COV).unwrap()
}

fn t(s: &str) -> Text {
    Text::parse("t", s, 500).unwrap()
}

fn secret(u: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(format!("bí mật của {u}")))
}

/// Figures nobody is obliged to report, which the regulation counts as 0 when missing: the
/// flags and commendations (bonuses), scandals and dismissals (penalties), by unit and month.
/// A unit reports the element only in the month it happened and leaves the other months blank,
/// as an officer would: each blank month counts as the declared 0, so the year adds up the
/// months given (a blank month must not void the whole year's bonus).
const EXTRA: [(&str, &str, u32, i64); 6] = [
    ("ca-ag", "gov_flag", 12, 1),
    ("ca-bl", "gov_flag", 6, 1),
    ("ca-kg", "commendations", 3, 1),
    ("ca-kg", "commendations", 9, 1),
    ("ca-hg", "dismissed", 5, 1),
    ("ca-cm", "scandals", 7, 1),
];

/// The covenant signed, 2023 imported, every month of 2024 approved (with the figures above).
fn prepare(app: &TestApp) {
    let service = &app.service;
    let id = cov();
    let hash = service.read().covenants[&id].latest().hash.clone();
    let cmds: Vec<Command> = UNITS
        .iter()
        .map(|u| Command::SignCovenant {
            covenant: id.clone(),
            version: 1,
            unit: unit(u),
            hash: hash.clone(),
        })
        .collect();
    service.execute_all(&Actor::System, cmds).unwrap();
    approved_year(service, COV, &UNITS, |i, u, m| {
        let mut values = full_figures(service, COV, 7 + i as i64);
        for (_, element, _, v) in EXTRA.iter().filter(|e| e.0 == u && e.2 == m) {
            values.insert((*element).into(), FigureValue::Number((*v).into()));
        }
        values
    });
}

/// The self-scores (C2a of 8, C2b of 4) each unit hands in.
fn dossier(u: &str) -> BTreeMap<String, DossierEntry> {
    let (a, b) = match u {
        "ca-kg" => ("7", "3.5"),
        "ca-ag" => ("8", "4"),
        "ca-hg" => ("6", "4"),
        "ca-cm" => ("7.5", "3"),
        _ => ("8", "4"),
    };
    let entry = |x: &str| DossierEntry {
        score: Points(x.parse().unwrap()),
        justification: t("Giải trình"),
        evidence: vec![],
    };
    [("C2a".to_owned(), entry(a)), ("C2b".to_owned(), entry(b))]
        .into_iter()
        .collect()
}

/// The review up to the lock: dossiers, commitments, reveals and the draw; Kiên Giang accepts
/// its inspector's 5 for C2a; An Giang disputes a 3 for C2b and the council settles on 3,5.
fn locked_review(app: &TestApp) {
    let (sys, s) = (Actor::System, &app.service);
    let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis());
    let mut steps = vec![super::support::year_end_opening(&cov(), today, 0)];
    for u in UNITS {
        steps.push(Y::SaveDossier {
            covenant: cov(),
            unit: unit(u),
            entries: dossier(u),
        });
        steps.push(Y::SubmitDossier {
            covenant: cov(),
            unit: unit(u),
            revision: 1,
        });
    }
    for u in UNITS {
        steps.push(Y::CommitSeed {
            covenant: cov(),
            unit: unit(u),
            commitment: commitment(COV, &unit(u), &secret(u)),
        });
    }
    for u in UNITS {
        steps.push(Y::RevealSeed {
            covenant: cov(),
            unit: unit(u),
            value: secret(u),
        });
    }
    steps.push(Y::DrawAssignment { covenant: cov() });
    for step in steps.drain(..) {
        s.execute(&sys, Command::YearEnd(step)).unwrap();
    }
    let proposal = |criterion: &str, score: &str| {
        [(
            criterion.to_owned(),
            FindingItem {
                verdict: Verdict::Propose,
                score: Some(Points(score.parse().unwrap())),
                reason: Some(t("Chưa đủ hồ sơ chứng minh")),
            },
        )]
        .into_iter()
        .collect()
    };
    for p in s.read().review(&cov()).unwrap().pairs() {
        let items = match p.inspected.as_str() {
            "ca-kg" => proposal("C2a", "5"),
            "ca-ag" => proposal("C2b", "3"),
            _ => Default::default(),
        };
        steps.push(Y::SubmitFinding {
            covenant: cov(),
            inspector: p.inspector,
            inspected: p.inspected,
            items,
            recheck: None,
        });
    }
    let answer = |criterion: &str, accept: bool| {
        [(
            criterion.to_owned(),
            Answer {
                accept,
                text: t("Trả lời của đơn vị"),
            },
        )]
        .into_iter()
        .collect()
    };
    steps.push(Y::SubmitResponse {
        covenant: cov(),
        unit: unit("ca-kg"),
        answers: answer("C2a", true),
    });
    steps.push(Y::SubmitResponse {
        covenant: cov(),
        unit: unit("ca-ag"),
        answers: answer("C2b", false),
    });
    steps.push(Y::ResolveDispute {
        covenant: cov(),
        unit: unit("ca-ag"),
        criterion: "C2b".into(),
        score: Some(Points("3.5".parse().unwrap())),
        reason: t("Hội đồng cụm biểu quyết"),
    });
    steps.push(Y::Lock {
        covenant: cov(),
        confirm: true,
    });
    for step in steps {
        s.execute(&sys, Command::YearEnd(step)).unwrap();
    }
}

/// The cluster's year-end results published: [`prepare`], [`locked_review`], then published.
pub(super) fn published_results(app: &TestApp) {
    prepare(app);
    locked_review(app);
    let publish = Y::PublishResults {
        covenant: cov(),
        confirm: true,
    };
    app.service
        .execute(&Actor::System, Command::YearEnd(publish))
        .unwrap();
}

/// What `thidua score --regulation R --data D` computes, in-process: the same calls.
fn score(regulation: &str, data: &[u8]) -> (CompiledRegulation, Dataset, Scoreboard) {
    let reg = compile(regulation).unwrap_or_else(|d| panic!("the regulation compiles: {d}"));
    let data = Dataset::from_bytes(data, false, ReadOptions::default())
        .unwrap_or_else(|e| panic!("the export reads: {e:?}"));
    data.check(&reg)
        .unwrap_or_else(|e| panic!("the export fits the regulation: {e:?}"));
    let board = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .unwrap();
    (reg, data, board)
}

fn decimal(v: &serde_json::Value) -> Decimal {
    v.as_str().unwrap().parse::<Decimal>().unwrap().normalize()
}

/// The unit of each row of the published results, by the id it has in data files.
fn data_ids(app: &TestApp) -> BTreeMap<String, String> {
    let state = app.service.read();
    UNITS
        .iter()
        .map(|u| {
            (
                u.to_string(),
                thidua_import::export::data_id(state.unit(&unit(u)).unwrap()),
            )
        })
        .collect()
}

fn get_text(c: &Client, path: &str) -> String {
    let r = c.get(path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

#[test]
fn a_member_recomputes_the_published_results_from_what_it_downloads() {
    let Some(app) = spawn(Backend::Sqlite) else {
        return;
    };
    prepare(&app);
    locked_review(&app);
    let member = signed_in(&app, "lanhdao-kg");
    let export = |scores: &str| format!("/api/v1/covenants/{COV}/figures/export?scores={scores}");
    // Locked, not yet published: no scores leave the server.
    for scores in ["final", "self"] {
        let r = member.get(&export(scores));
        assert_eq!(r.status, 409, "{}", r.body);
        assert_eq!(r.json()["error"], "results_not_published");
    }
    assert_eq!(member.get(&export("best")).status, 400);
    app.service
        .execute(
            &Actor::System,
            Command::YearEnd(Y::PublishResults {
                covenant: cov(),
                confirm: true,
            }),
        )
        .unwrap();

    // The signed regulation, byte for byte.
    let covenant = member.get(&format!("/api/v1/covenants/{COV}")).json();
    let signed = covenant["versions"][0]["regulation_sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = member.get(&format!("/api/v1/covenants/{COV}/regulation.toml"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("text/plain; charset=utf-8"),
        "{:?}",
        r.header("content-type")
    );
    let regulation = r.body;
    let sha256 = |s: &str| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(s.as_bytes()))
    };
    assert_eq!(sha256(&regulation), signed, "the text the members signed");
    assert_eq!(
        get_text(
            &member,
            &format!("/api/v1/covenants/{COV}/regulation.toml?version=1")
        ),
        regulation
    );
    assert_eq!(
        member
            .get(&format!(
                "/api/v1/covenants/{COV}/regulation.toml?version=9"
            ))
            .status,
        404
    );
    // The regulation page links to it.
    let page = get_text(&member, &format!("/covenants/{COV}/regulation"));
    assert!(
        page.contains(&format!(
            "id=\"regulation-download\" href=\"/api/v1/covenants/{COV}/regulation.toml?version=1\""
        )),
        "{page}"
    );

    // The figures with the final scores, as `thidua score` reads them.
    let final_csv = get_text(&member, &export("final"));
    assert!(final_csv.contains(",@manual:C2a,2024-Y,5\n"), "{final_csv}");
    assert!(final_csv.contains(",gov_flag,2024-M12,1\n"), "{final_csv}");
    let self_csv = get_text(&member, &export("self"));
    assert!(self_csv.contains(",@manual:C2a,2024-Y,7\n"), "{self_csv}");
    let (reg, data, fin) = score(&regulation, final_csv.as_bytes());
    let (_, _, own) = score(&regulation, self_csv.as_bytes());
    let results = member
        .get(&format!("/api/v1/covenants/{COV}/yearend/results"))
        .json();
    let rows = results["rows"].as_array().unwrap();
    assert_eq!(rows.len(), UNITS.len());
    let ids = data_ids(&app);
    for row in rows {
        let id = &ids[row["unit"]["id"].as_str().unwrap()];
        let f = fin
            .unit(id)
            .unwrap_or_else(|| panic!("{id} in the recomputed board"));
        let total = f
            .total
            .as_ref()
            .and_then(|x| x.to_decimal())
            .map(|d| d.normalize());
        assert_eq!(
            total,
            Some(decimal(&row["final_total"])),
            "{id} final total"
        );
        assert_eq!(f.rank, row["rank"].as_u64().map(|r| r as u32), "{id} rank");
        assert_eq!(
            f.band.as_ref().map(|b| b.id.as_str()),
            row["band"].as_str(),
            "{id} band"
        );
        // Why it stands there: the quota's sentence for a unit it moved down, none otherwise.
        let standing: Vec<&str> = (row["standing"].as_array().unwrap().iter())
            .map(|s| s.as_str().unwrap())
            .collect();
        let demoted = f.band.as_ref().is_some_and(|b| b.demoted_by_quota);
        assert_eq!(
            standing
                .iter()
                .any(|s| s.contains("nhưng mức này chỉ dành cho tối đa")),
            demoted,
            "{id}: {standing:?}"
        );
        let o = own.unit(id).unwrap();
        let total = o
            .total
            .as_ref()
            .and_then(|x| x.to_decimal())
            .map(|d| d.normalize());
        assert_eq!(total, Some(decimal(&row["self_total"])), "{id} self total");
    }
    // The case is the one described: bonuses and penalties count, and the quota moved a unit
    // that reached Xuất sắc down to Tốt.
    assert!(fin
        .units
        .iter()
        .any(|u| u.bonus_total.as_ref().is_some_and(|b| !b.is_zero())));
    assert!(fin
        .units
        .iter()
        .any(|u| u.penalty_total.as_ref().is_some_and(|b| !b.is_zero())));
    assert!(
        fin.units
            .iter()
            .any(|u| u.band.as_ref().is_some_and(|b| b.demoted_by_quota)),
        "{:?}",
        fin.units
            .iter()
            .map(|u| (&u.unit, &u.total, &u.band))
            .collect::<Vec<_>>()
    );

    // The workbook is the one `thidua score --xlsx` writes from the same two files: columns
    // named by the file's ids and names, the engine's rank and band (the workbook's tests
    // check its rows).
    let xlsx = member.get_bytes(&format!("/api/v1/covenants/{COV}/yearend/results.xlsx"));
    assert!(
        xlsx == thidua_scoring::workbook::write(&reg, &data, &fin).unwrap(),
        "the results workbook is the one made from the downloaded files"
    );

    // The results page explains each criterion in the page's language: Vietnamese, then
    // English once the member switches (names stay as the regulation writes them).
    let page = format!("/covenants/{COV}/results");
    let vi = member.get(&page);
    assert!(vi.body.contains("số liệu đã duyệt"), "{}", vi.body);
    assert!(
        vi.body
            .contains("<p class=\"muted small standing\">Tổng điểm đạt mức «Xuất sắc», nhưng"),
        "{}",
        vi.body
    );
    let home = member.get("/");
    let r = member.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303);
    let en = member.get(&page);
    assert!(en.body.contains("approved figures"), "{}", en.body);
    assert!(
        en.body
            .contains("The total reaches «Xuất sắc», but that band is for at most"),
        "{}",
        en.body
    );
    assert!(!en.body.contains("số liệu đã duyệt"), "{}", en.body);
    // The JSON API keeps its one language.
    let api = get_text(&member, &format!("/api/v1/covenants/{COV}/yearend/results"));
    assert!(api.contains("số liệu đã duyệt"), "{api}");

    // Who may not read the results may not download them either.
    let outsider = signed_in(&app, "canbo-dt");
    assert_eq!(outsider.get(&export("final")).status, 404);
    assert_eq!(
        outsider
            .get(&format!("/api/v1/covenants/{COV}/regulation.toml"))
            .status,
        404
    );
    assert_eq!(
        Client::new(&app.base)
            .get(&format!("/api/v1/covenants/{COV}/regulation.toml"))
            .status,
        401
    );
    let supervisor = signed_in(&app, "giamsat12");
    assert_eq!(
        get_text(&supervisor, &export("final")).lines().last(),
        final_csv.lines().last()
    );
}
