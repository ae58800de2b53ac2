//! The year-end review through the public API: dossiers, commit–reveal, the draw (recomputed
//! at apply), findings, responses, resolutions, the lock and the published results, with the
//! refusals' codes.

use std::collections::BTreeMap;

use super::*;
use thidua_domain::figures::{FigureValue, HistoricalReport};
use thidua_domain::yearend::draw::commitment;
use thidua_domain::yearend::score::{scoreboard, Scores};
use thidua_domain::yearend::*;

mod audit13;
mod mergers_2025;
mod responses_and_flags;

fn ms(y: i32, m: u32, day: u32) -> i64 {
    d(y, m, day)
        .and_hms_opt(3, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

fn ye(c: YearEndCommand) -> Command {
    Command::YearEnd(c)
}

fn secret(unit: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(format!("bí mật {unit}")))
}

fn values(elements: &[String], unit: usize, year: i32) -> BTreeMap<String, FigureValue> {
    elements
        .iter()
        .map(|e| {
            let v = match e.as_str() {
                "reports_due" | "reports_received" => 120,
                "reports_resolved" => 110 - unit as i64 * 4,
                "personnel" => 4200,
                "crimes" => 40 - unit as i64 * 2 - i64::from(year == 2024) * 5,
                _ => 5,
            };
            (e.clone(), FigureValue::Number(v.into()))
        })
        .collect()
}

impl World {
    fn cluster_signed() -> World {
        let mut w = World::cluster();
        w.draft();
        for unit in UNITS {
            w.sign(unit).unwrap();
        }
        w
    }

    fn code_at(&mut self, time_ms: i64, actor: &Actor, command: Command) -> &'static str {
        let before = self.state.clone();
        let code = self.run_at(time_ms, actor, command).unwrap_err().code();
        assert_eq!(self.state, before, "a refused command changes nothing");
        code
    }

    /// The cluster with its figures of 2023 (historical) and 2024 (approved month by month).
    fn with_figures() -> World {
        World::with_figures_but(None)
    }

    /// [`World::with_figures`], `missing`'s figures approved only for the months before the
    /// one given.
    fn with_figures_but(missing: Option<(&str, u32)>) -> World {
        World::with_figures_lacking(missing, None)
    }

    /// [`World::with_figures_but`], `earlier`'s 2023 figures imported but for the months
    /// given.
    fn with_figures_lacking(
        missing: Option<(&str, u32)>,
        earlier: Option<(&str, &[u32])>,
    ) -> World {
        let mut w = World::cluster_signed();
        let form = w.state.reporting_form(&cov()).unwrap();
        let elements: Vec<String> = form
            .elements
            .iter()
            .filter(|e| e.missing.is_none())
            .map(|e| e.id.clone())
            .collect();
        let elements = &elements;
        let reports = UNITS
            .iter()
            .enumerate()
            .flat_map(|(i, unit)| {
                let lacked =
                    move |m: &u32| earlier.is_some_and(|(x, ms)| x == *unit && ms.contains(m));
                (1..=12)
                    .filter(move |m| !lacked(m))
                    .map(move |m| HistoricalReport {
                        unit: u(unit),
                        year: 2023,
                        window: format!("M{m:02}"),
                        values: values(elements, i, 2023),
                    })
            })
            .collect();
        w.ok(
            &user("thuky"),
            Command::ImportHistoricalFigures {
                covenant: cov(),
                file_name: t("2023.csv"),
                sha256: "ab".repeat(32),
                reports,
            },
        );
        for (i, unit) in UNITS.iter().enumerate() {
            let code = &unit[3..];
            let last = match missing {
                Some((m, from)) if m == *unit => from - 1,
                _ => 12,
            };
            for m in 1..=last {
                let window = format!("M{m:02}");
                let at = ms(2024, m, 15);
                let (covenant, unit) = (cov(), u(unit));
                let officer = user(&format!("canbo.{code}"));
                let leader = user(&format!("lanhdao.{code}"));
                let values = values(elements, i, 2024);
                w.run_at(
                    at,
                    &officer,
                    Command::SaveFigures {
                        covenant: covenant.clone(),
                        unit: unit.clone(),
                        window: window.clone(),
                        values,
                        comments: BTreeMap::new(),
                    },
                )
                .unwrap();
                w.run_at(
                    at,
                    &officer,
                    Command::SubmitFigures {
                        covenant: covenant.clone(),
                        unit: unit.clone(),
                        window: window.clone(),
                        revision: 1,
                    },
                )
                .unwrap();
                w.run_at(
                    at,
                    &leader,
                    Command::ApproveFigures {
                        covenant,
                        unit,
                        window,
                        revision: 1,
                    },
                )
                .unwrap();
            }
        }
        w
    }

    /// Opens the review on 01/12/2024 (acknowledging figures missing, for the worlds of
    /// [`World::with_figures_but`]).
    fn open(&mut self) {
        self.run_at(
            ms(2024, 12, 1),
            &user("thuky"),
            ye(YearEndCommand::Open {
                covenant: cov(),
                dossier_deadline: d(2024, 12, 20),
                commit_deadline: d(2024, 12, 22),
                reveal_deadline: None,
                response_deadline: d(2025, 1, 5),
                inspectors: 1,
                record_sample: 10,
                acknowledge_missing_figures: true,
            }),
        )
        .unwrap();
    }
}

fn entry(score: &str, why: &str) -> DossierEntry {
    DossierEntry {
        score: Points(score.parse().unwrap()),
        justification: t(why),
        evidence: vec![],
    }
}

fn dossier(a: &str, b: &str) -> BTreeMap<String, DossierEntry> {
    BTreeMap::from([
        (
            "C2a".to_owned(),
            entry(a, "Hoàn thành ba giải pháp đột phá"),
        ),
        ("C2b".to_owned(), entry(b, "Đảng bộ trong sạch, vững mạnh")),
    ])
}

fn save(unit: &str, entries: BTreeMap<String, DossierEntry>) -> Command {
    ye(YearEndCommand::SaveDossier {
        covenant: cov(),
        unit: u(unit),
        entries,
    })
}

fn review(w: &World) -> std::sync::Arc<Review> {
    w.state.review(&cov()).unwrap().clone()
}

/// Dossiers submitted, seeds committed and revealed, assignment drawn (at 23/12/2024).
/// The unit's leader commits to the unit's test secret.
fn commit_own_seed(w: &mut World, at: i64, unit: &str) {
    w.run_at(
        at,
        &user(&format!("lanhdao.{}", &unit[3..])),
        ye(YearEndCommand::CommitSeed {
            covenant: cov(),
            unit: u(unit),
            commitment: commitment("gu-2024", &u(unit), &secret(unit)),
        }),
    )
    .unwrap();
}

/// Every unit's leader reveals its test secret at `at`.
fn reveal_every_seed(w: &mut World, at: i64) {
    for unit in UNITS {
        w.run_at(
            at,
            &user(&format!("lanhdao.{}", &unit[3..])),
            ye(YearEndCommand::RevealSeed {
                covenant: cov(),
                unit: u(unit),
                value: secret(unit),
            }),
        )
        .unwrap();
    }
}

/// Every inspecting unit's leader submits findings agreeing with everything (27/12/2024).
fn agree_everywhere(w: &mut World) {
    submit_findings(w, |_| BTreeMap::new());
}

/// Every inspecting unit's leader submits its findings (27/12/2024), `items_of` giving the
/// items of each pair (none: agreement with everything).
fn submit_findings(w: &mut World, items_of: impl Fn(&Pair) -> BTreeMap<String, FindingItem>) {
    for p in review(w).pairs() {
        let officer = user(&format!("lanhdao.{}", &p.inspector.as_str()[3..]));
        w.run_at(
            ms(2024, 12, 27),
            &officer,
            ye(YearEndCommand::SubmitFinding {
                covenant: cov(),
                items: items_of(&p),
                inspector: p.inspector,
                inspected: p.inspected,
                recheck: None,
            }),
        )
        .unwrap();
    }
}

/// Findings disputing each of `criteria` because December's figures are missing.
fn disputed_for_missing_figures(criteria: &[String]) -> BTreeMap<String, FindingItem> {
    let dispute = || FindingItem {
        verdict: Verdict::Dispute,
        score: None,
        reason: Some(t("Thiếu số liệu tháng 12")),
    };
    criteria.iter().map(|c| (c.clone(), dispute())).collect()
}

/// Hậu Giang's inspector proposes 3 points for C2b ("Chi bộ chưa đạt"); every other pair agrees.
fn c2b_proposed_for_hau_giang(p: &Pair) -> BTreeMap<String, FindingItem> {
    if p.inspected != u("ca-hg") {
        return BTreeMap::new();
    }
    let item = FindingItem {
        verdict: Verdict::Propose,
        score: Some(Points("3".parse().unwrap())),
        reason: Some(t("Chi bộ chưa đạt")),
    };
    BTreeMap::from([("C2b".to_owned(), item)])
}

fn drawn_world() -> World {
    drawn_world_without(None)
}

/// As [`drawn_world`], `without`'s dossier never submitted.
fn drawn_world_without(without: Option<&str>) -> World {
    drawn_on(without, ms(2024, 12, 23))
}

/// Dossiers (but `without`'s) submitted, records declared and seeds revealed on 10/12, the
/// assignment drawn at `drawn_at`.
fn drawn_on(without: Option<&str>, drawn_at: i64) -> World {
    drawn_from(World::with_figures(), without, drawn_at)
}

/// [`drawn_on`] from the world `w`.
fn drawn_from(mut w: World, without: Option<&str>, drawn_at: i64) -> World {
    w.open();
    let at = ms(2024, 12, 10);
    w.run_at(
        at,
        &user("lanhdao.kg"),
        ye(YearEndCommand::DeclareRecords {
            covenant: cov(),
            unit: u("ca-kg"),
            population: 480,
            description: t("Hồ sơ tin báo về tội phạm năm 2024, đánh số 1…480"),
        }),
    )
    .unwrap();
    for (unit, a) in [("ca-kg", "8"), ("ca-ag", "7"), ("ca-hg", "6.5")] {
        let code = &unit[3..];
        if without != Some(unit) {
            w.run_at(
                at,
                &user(&format!("canbo.{code}")),
                save(unit, dossier(a, "4")),
            )
            .unwrap();
            let submit = || {
                ye(YearEndCommand::SubmitDossier {
                    covenant: cov(),
                    unit: u(unit),
                    revision: 1,
                })
            };
            let leader = user(&format!("lanhdao.{code}"));
            w.run_at(at, &leader, submit()).unwrap();
            // The same revision again records nothing: it is submitted already.
            assert_eq!(
                w.code_at(at, &leader, submit()),
                "yearend_dossier_submitted"
            );
        }
        commit_own_seed(&mut w, at, unit);
    }
    reveal_every_seed(&mut w, at);
    w.run_at(
        drawn_at,
        &user("thuky"),
        ye(YearEndCommand::DrawAssignment { covenant: cov() }),
    )
    .unwrap();
    w
}

/// A submitted dossier is what its inspector inspects: drawn before the dossier deadline, it
/// changes no more (it once took a higher self-score after the inspector's finding); a unit
/// that had not submitted may still do so by the deadline.
#[test]
fn a_submitted_dossier_changes_no_more_once_the_inspection_is_drawn() {
    // Drawn on 12/12, before the dossier deadline of 20/12 (`drawn_world` draws after it).
    let drawn_at = ms(2024, 12, 12);
    let mut early = drawn_on(Some("ca-hg"), drawn_at);
    assert_eq!(
        early.code_at(
            drawn_at,
            &user("canbo.kg"),
            save("ca-kg", dossier("9", "4"))
        ),
        "yearend_dossier_frozen"
    );
    assert_eq!(
        early.code_at(
            drawn_at,
            &user("lanhdao.kg"),
            ye(YearEndCommand::SubmitDossier {
                covenant: cov(),
                unit: u("ca-kg"),
                revision: 1,
            })
        ),
        "yearend_dossier_frozen"
    );
    // Hậu Giang had not submitted: it still may, by the deadline.
    early
        .run_at(
            drawn_at,
            &user("canbo.hg"),
            save("ca-hg", dossier("6.5", "4")),
        )
        .unwrap();
}

#[test]
fn dossiers_are_checked_and_freeze_at_the_deadline() {
    let mut w = World::with_figures();
    w.open();
    let at = ms(2024, 12, 10);
    let officer = user("canbo.kg");
    assert_eq!(
        w.code_at(at, &officer, save("ca-kg", dossier("8.5", "4"))),
        "yearend_score_out_of_range"
    );
    let mut computed = dossier("8", "4");
    computed.insert("A1".into(), entry("10", "tự chấm"));
    assert_eq!(
        w.code_at(at, &officer, save("ca-kg", computed)),
        "yearend_not_manual"
    );
    assert_eq!(
        w.code_at(at, &user("canbo.ag"), save("ca-kg", dossier("8", "4"))),
        "forbidden"
    );
    // The regulation rounds to 2 places: a third decimal is a slip, trailing zeros are not.
    assert_eq!(
        w.code_at(at, &officer, save("ca-kg", dossier("7.125", "4"))),
        "yearend_score_places"
    );
    let mut partial = dossier("7.2500", "4");
    partial.remove("C2b");
    w.run_at(at, &officer, save("ca-kg", partial)).unwrap();
    let submit = |revision| {
        ye(YearEndCommand::SubmitDossier {
            covenant: cov(),
            unit: u("ca-kg"),
            revision,
        })
    };
    assert_eq!(
        w.code_at(at, &user("lanhdao.kg"), submit(1)),
        "yearend_dossier_incomplete"
    );
    // An officer saves, only the leader submits.
    w.run_at(at, &officer, save("ca-kg", dossier("8", "4")))
        .unwrap();
    assert_eq!(w.code_at(at, &officer, submit(2)), "forbidden");
    assert_eq!(
        w.code_at(at, &user("lanhdao.kg"), submit(1)),
        "yearend_stale_revision"
    );
    w.run_at(at, &user("lanhdao.kg"), submit(2)).unwrap();
    // 21/12 in Vietnam is after the deadline of 20/12.
    assert_eq!(
        w.code_at(ms(2024, 12, 21), &officer, save("ca-kg", dossier("7", "4"))),
        "yearend_deadline_passed"
    );
    let r = review(&w);
    assert_eq!(r.self_scores(&u("ca-kg"))["C2a"], "8".parse().unwrap());
    // The engine computes the rest: the self-assessed total exists.
    let board = scoreboard(&w.state, &r, Scores::SelfAssessed, false).unwrap();
    let id = thidua_domain::yearend::score::data_id(&r, &u("ca-kg")).unwrap();
    assert!(
        board.unit(&id).unwrap().total.is_some(),
        "{:?}",
        board.unit(&id)
    );
}

#[test]
fn seeds_are_committed_then_revealed_and_the_draw_is_recomputed_at_apply() {
    let mut w = World::with_figures();
    w.open();
    let at = ms(2024, 12, 10);
    let commit = |unit: &str, value: &str| {
        ye(YearEndCommand::CommitSeed {
            covenant: cov(),
            unit: u(unit),
            commitment: commitment("gu-2024", &u(unit), value),
        })
    };
    let reveal = |unit: &str, value: String| {
        ye(YearEndCommand::RevealSeed {
            covenant: cov(),
            unit: u(unit),
            value,
        })
    };
    w.run_at(at, &user("lanhdao.kg"), commit("ca-kg", &secret("ca-kg")))
        .unwrap();
    assert_eq!(
        w.code_at(at, &user("lanhdao.kg"), reveal("ca-kg", secret("ca-kg"))),
        "yearend_phase"
    );
    assert_eq!(
        w.code_at(at, &user("lanhdao.kg"), commit("ca-kg", &secret("x"))),
        "yearend_phase"
    );
    assert_eq!(
        w.code_at(
            at,
            &user("lanhdao.ag"),
            ye(YearEndCommand::CommitSeed {
                covenant: cov(),
                unit: u("ca-ag"),
                commitment: "XYZ".into()
            })
        ),
        "yearend_bad_hex"
    );
    // The same rule holds at replay: such an event written past the commands is refused.
    let forged = Event {
        index: w.state.size,
        time_ms: at,
        actor: user("lanhdao.ag"),
        salt: "ab".repeat(16),
        payload: Payload::YearEnd(YearEndEvent::SeedCommitted(SeedCommitted {
            covenant: cov(),
            unit: u("ca-ag"),
            commitment: "XYZ".into(),
        })),
    };
    let mut replayed = w.state.clone();
    assert_eq!(
        replayed.apply(&forged).unwrap_err().code(),
        "yearend_bad_hex"
    );
    w.run_at(at, &user("lanhdao.ag"), commit("ca-ag", &secret("ca-ag")))
        .unwrap();
    // Ca-hg never commits: after the commitment deadline the others reveal and the draw runs.
    let later = ms(2024, 12, 23);
    assert_eq!(
        w.code_at(later, &user("lanhdao.ag"), reveal("ca-ag", secret("wrong"))),
        "yearend_commitment_mismatch"
    );
    w.run_at(later, &user("lanhdao.ag"), reveal("ca-ag", secret("ca-ag")))
        .unwrap();
    w.run_at(later, &user("lanhdao.kg"), reveal("ca-kg", secret("ca-kg")))
        .unwrap();
    let draw = ye(YearEndCommand::DrawAssignment { covenant: cov() });
    assert_eq!(
        w.code_at(later, &user("lanhdao.kg"), draw.clone()),
        "forbidden"
    );
    let payloads = w.run_at(later, &user("thuky"), draw).unwrap();
    let Payload::YearEnd(YearEndEvent::AssignmentDrawn(drawn)) = &payloads[0] else {
        panic!()
    };
    assert_eq!(drawn.missing, vec![u("ca-hg")]);
    assert_eq!(drawn.order.len(), 3);
    // A draw that differs from the recomputation never enters the state.
    let mut forged = drawn.clone();
    forged.order.swap(0, 1);
    let before_draw = {
        // The state with the draw taken out again.
        let mut s = w.state.clone();
        let mut reviews = s.yearend.reviews.clone();
        let mut r = Review::clone(&reviews[&cov()]);
        r.drawn = None;
        reviews.insert(cov(), std::sync::Arc::new(r));
        s.yearend.reviews = reviews;
        s
    };
    let mut s = before_draw;
    let err = s
        .apply(&Event {
            index: s.size,
            time_ms: later,
            actor: user("thuky"),
            salt: String::new(),
            payload: Payload::YearEnd(YearEndEvent::AssignmentDrawn(forged)),
        })
        .unwrap_err();
    assert_eq!(err.code(), "yearend_draw_mismatch");
}

/// Round 1000 of drand quicknet as drand published it (23/08/2023 15:59:24 UTC), and round
/// 657413's signature, valid for its own round only.
const ROUND_1000: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
const ROUND_657413: &str = "b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b";

fn at_utc(secs: i64) -> i64 {
    secs * 1000
}

#[test]
fn a_pinned_beacon_round_is_mixed_into_the_seed_once_its_signature_verifies() {
    use thidua_domain::yearend::beacon::QUICKNET;
    let mut w = World::with_figures();
    let thuky = user("thuky");
    // A review whose commitments close on 22/08/2023, so that round 1000 (23/08/2023) is
    // published after them.
    w.run_at(
        ms(2023, 8, 1),
        &thuky,
        ye(YearEndCommand::Open {
            covenant: cov(),
            dossier_deadline: d(2023, 8, 15),
            commit_deadline: d(2023, 8, 22),
            reveal_deadline: None,
            response_deadline: d(2023, 9, 30),
            inspectors: 1,
            record_sample: 0,
            acknowledge_missing_figures: false,
        }),
    )
    .unwrap();
    let pin = |round| {
        ye(YearEndCommand::PinBeacon {
            covenant: cov(),
            round,
        })
    };
    let round_out = QUICKNET.round_time(1000).unwrap().timestamp();
    // A round published before the end of the commitment deadline's day is refused, and so is
    // anyone but the secretariat.
    let deadline_ends = QUICKNET.first_round_at(
        d(2023, 8, 23).and_hms_opt(0, 0, 0).unwrap().and_utc() - chrono::Duration::hours(7),
    );
    assert_eq!(
        w.code_at(ms(2023, 8, 2), &thuky, pin(deadline_ends - 1)),
        "yearend_beacon_too_early"
    );
    assert_eq!(
        w.code_at(ms(2023, 8, 2), &user("lanhdao.kg"), pin(1000)),
        "forbidden"
    );
    w.run_at(ms(2023, 8, 2), &thuky, pin(1000)).unwrap();
    assert_eq!(
        w.code_at(ms(2023, 8, 2), &thuky, pin(1001)),
        "yearend_phase"
    );
    for unit in UNITS {
        commit_own_seed(&mut w, ms(2023, 8, 10), unit);
    }
    let reveal = |unit: &str| {
        ye(YearEndCommand::RevealSeed {
            covenant: cov(),
            unit: u(unit),
            value: secret(unit),
        })
    };
    w.run_at(ms(2023, 8, 23), &user("lanhdao.kg"), reveal("ca-kg"))
        .unwrap();
    w.run_at(at_utc(round_out - 1), &user("lanhdao.ag"), reveal("ca-ag"))
        .unwrap();
    // Reveals close when the round is out: the last unit cannot choose knowing the beacon.
    assert_eq!(
        w.code_at(at_utc(round_out), &user("lanhdao.hg"), reveal("ca-hg")),
        "yearend_phase"
    );
    let after = at_utc(round_out + 60);
    let draw = ye(YearEndCommand::DrawAssignment { covenant: cov() });
    assert_eq!(w.code_at(after, &thuky, draw.clone()), "yearend_phase");
    let record = |signature: &str| {
        ye(YearEndCommand::RecordBeacon {
            covenant: cov(),
            signature: signature.into(),
        })
    };
    assert_eq!(
        w.code_at(after, &thuky, record(ROUND_657413)),
        "yearend_beacon_invalid"
    );
    // The signature proves itself, so a member's leader may record it (the draw does not wait
    // on the secretariat); pasted in capitals, as some tools print it, it is recorded in the
    // canonical lowercase, and only once.
    w.run_at(
        after,
        &user("lanhdao.kg"),
        record(&ROUND_1000.to_uppercase()),
    )
    .unwrap();
    assert_eq!(
        w.code_at(after, &thuky, record(ROUND_1000)),
        "yearend_phase"
    );
    let payloads = w.run_at(after, &thuky, draw).unwrap();
    let Payload::YearEnd(YearEndEvent::AssignmentDrawn(drawn)) = &payloads[0] else {
        panic!()
    };
    let beacon_value = QUICKNET.verify(1000, ROUND_1000).unwrap();
    let members = [u("ca-ag"), u("ca-hg"), u("ca-kg")];
    let reveals: BTreeMap<UnitId, String> = [("ca-ag"), ("ca-kg")]
        .iter()
        .map(|x| (u(x), secret(x)))
        .collect();
    let cluster = review(&w).cluster.clone();
    let expected = draw::seed(
        2024,
        &cluster,
        &members,
        |x| reveals.get(x).map(String::as_str),
        Some(&hex::encode(beacon_value)),
    );
    assert_eq!(drawn.seed, hex::encode(expected));
    let without = draw::seed(
        2024,
        &cluster,
        &members,
        |x| reveals.get(x).map(String::as_str),
        None,
    );
    assert_ne!(drawn.seed, hex::encode(without));
    assert_eq!(drawn.missing, vec![u("ca-hg")]);
    // The log replays; a recorded signature altered in a copy is refused when applied.
    let mut replayed = State::default();
    for e in &w.events {
        replayed.apply(e).unwrap();
    }
    assert_eq!(replayed, w.state);
    let mut replayed = State::default();
    for e in &w.events {
        let mut e = e.clone();
        if let Payload::YearEnd(YearEndEvent::BeaconRecorded(b)) = &mut e.payload {
            b.signature = ROUND_657413.into();
            assert_eq!(
                replayed.apply(&e).unwrap_err().code(),
                "yearend_beacon_invalid"
            );
            return;
        }
        replayed.apply(&e).unwrap();
    }
    panic!("the log records the beacon");
}

#[test]
fn a_beacon_is_pinned_before_any_unit_commits() {
    let mut w = World::with_figures();
    w.open();
    w.run_at(
        ms(2024, 12, 10),
        &user("lanhdao.kg"),
        ye(YearEndCommand::CommitSeed {
            covenant: cov(),
            unit: u("ca-kg"),
            commitment: commitment("gu-2024", &u("ca-kg"), &secret("ca-kg")),
        }),
    )
    .unwrap();
    let late_round = thidua_domain::yearend::beacon::QUICKNET
        .first_round_at(d(2025, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc());
    assert_eq!(
        w.code_at(
            ms(2024, 12, 10),
            &user("thuky"),
            ye(YearEndCommand::PinBeacon {
                covenant: cov(),
                round: late_round,
            })
        ),
        "yearend_phase"
    );
}

#[test]
fn a_year_end_runs_from_findings_to_published_results() {
    let mut w = drawn_world();
    let r = review(&w);
    let pairs = r.pairs();
    assert_eq!(pairs.len(), 3);
    let inspector_of = |unit: &str| {
        pairs
            .iter()
            .find(|p| p.inspected == u(unit))
            .unwrap()
            .inspector
            .clone()
    };
    let kg_inspector = inspector_of("ca-kg");
    let officer_of = |unit: &UnitId| user(&format!("lanhdao.{}", &unit.as_str()[3..]));
    let at = ms(2024, 12, 27);
    let finding =
        |inspector: &UnitId, inspected: &str, items: BTreeMap<String, FindingItem>, recheck| {
            ye(YearEndCommand::SubmitFinding {
                covenant: cov(),
                inspector: inspector.clone(),
                inspected: u(inspected),
                items,
                recheck,
            })
        };
    // Only the assigned inspector may inspect.
    let not_kg = UNITS
        .iter()
        .map(|x| u(x))
        .find(|x| *x != kg_inspector && *x != u("ca-kg"))
        .unwrap();
    assert_eq!(
        w.code_at(
            at,
            &officer_of(&not_kg),
            finding(&not_kg, "ca-kg", BTreeMap::new(), None)
        ),
        "yearend_not_assigned"
    );
    let propose = BTreeMap::from([(
        "C2a".to_owned(),
        FindingItem {
            verdict: Verdict::Propose,
            score: Some(Points("7".parse().unwrap())),
            reason: Some(t("Giải pháp thứ ba chưa hoàn thành")),
        },
    )]);
    let mut bad = propose.clone();
    bad.get_mut("C2a").unwrap().score = Some(Points("6.999".parse().unwrap()));
    assert_eq!(
        w.code_at(
            at,
            &officer_of(&kg_inspector),
            finding(&kg_inspector, "ca-kg", bad.clone(), None)
        ),
        "yearend_score_places"
    );
    bad.get_mut("C2a").unwrap().score = propose["C2a"].score;
    bad.get_mut("C2a").unwrap().reason = None;
    assert_eq!(
        w.code_at(
            at,
            &officer_of(&kg_inspector),
            finding(&kg_inspector, "ca-kg", bad, None)
        ),
        "yearend_finding_invalid"
    );
    w.run_at(
        at,
        &officer_of(&kg_inspector),
        finding(
            &kg_inspector,
            "ca-kg",
            propose,
            Some(Recheck {
                checked: 10,
                correct: 9,
            }),
        ),
    )
    .unwrap();
    for unit in ["ca-ag", "ca-hg"] {
        let insp = inspector_of(unit);
        w.run_at(
            at,
            &officer_of(&insp),
            finding(&insp, unit, BTreeMap::new(), None),
        )
        .unwrap();
    }
    let lock = ye(YearEndCommand::Lock {
        covenant: cov(),
        confirm: true,
    });
    assert_eq!(
        w.code_at(at, &user("thuky"), lock.clone()),
        "yearend_not_settled"
    );
    // The unit contests within its window; the council resolves with a reason.
    let answer = BTreeMap::from([(
        "C2a".to_owned(),
        Answer {
            accept: false,
            text: t("Giải pháp thứ ba đã xong ngày 10/12"),
        },
    )]);
    w.run_at(
        ms(2025, 1, 3),
        &user("lanhdao.kg"),
        ye(YearEndCommand::SubmitResponse {
            covenant: cov(),
            unit: u("ca-kg"),
            answers: answer,
        }),
    )
    .unwrap();
    let resolve = |score: &str| {
        ye(YearEndCommand::ResolveDispute {
            covenant: cov(),
            unit: u("ca-kg"),
            criterion: "C2a".into(),
            score: Some(Points(score.parse().unwrap())),
            reason: t("Hội đồng cụm họp ngày 08/01/2025 thống nhất"),
        })
    };
    assert_eq!(
        w.code_at(ms(2025, 1, 8), &user("thuky"), resolve("9")),
        "yearend_score_out_of_range"
    );
    assert_eq!(
        w.code_at(ms(2025, 1, 8), &user("thuky"), resolve("7.505")),
        "yearend_score_places"
    );
    w.run_at(ms(2025, 1, 8), &user("thuky"), resolve("7.5"))
        .unwrap();
    // The council decides once: a second decision would silently replace the first.
    assert_eq!(
        w.code_at(ms(2025, 1, 8), &user("thuky"), resolve("7")),
        "yearend_dispute_resolved"
    );
    w.run_at(ms(2025, 1, 8), &user("thuky"), lock).unwrap();
    // Nobody edits a locked score.
    assert_eq!(
        w.code_at(ms(2025, 1, 8), &user("thuky"), resolve("7")),
        "yearend_locked"
    );
    let payloads = w
        .run_at(
            ms(2025, 1, 9),
            &user("thuky"),
            ye(YearEndCommand::PublishResults {
                covenant: cov(),
                confirm: true,
            }),
        )
        .unwrap();
    let Payload::YearEnd(YearEndEvent::ResultsPublished(published)) = &payloads[0] else {
        panic!()
    };
    let kg = published
        .results
        .iter()
        .find(|x| x.unit == u("ca-kg"))
        .unwrap();
    let (own, fin) = (kg.self_total.unwrap().0, kg.final_total.unwrap().0);
    assert_eq!(own - fin, "0.5".parse().unwrap(), "{published:?}");
    let mut ranks: Vec<u32> = published.results.iter().map(|x| x.rank.unwrap()).collect();
    ranks.sort();
    assert_eq!(ranks, vec![1, 2, 3]);
    assert!(published
        .results
        .iter()
        .all(|x| x.band.is_some() && x.eligible));
    assert_eq!(
        w.code_at(
            ms(2025, 1, 9),
            &user("thuky"),
            ye(YearEndCommand::PublishResults {
                covenant: cov(),
                confirm: true
            })
        ),
        "yearend_published"
    );
}

fn published_world() -> World {
    let mut w = drawn_world();
    publish(&mut w);
    w
}

/// Findings, Hậu Giang's answer, An Giang's pending discipline record, the lock, publication.
fn publish(w: &mut World) {
    submit_findings(w, c2b_proposed_for_hau_giang);
    // Hậu Giang accepts the proposal: settled without the council.
    let answer = BTreeMap::from([(
        "C2b".to_owned(),
        Answer {
            accept: true,
            text: t("Đồng ý"),
        },
    )]);
    w.run_at(
        ms(2025, 1, 2),
        &user("lanhdao.hg"),
        ye(YearEndCommand::SubmitResponse {
            covenant: cov(),
            unit: u("ca-hg"),
            answers: answer,
        }),
    )
    .unwrap();
    w.run_at(
        ms(2025, 1, 8),
        &user("thuky"),
        ye(YearEndCommand::RecordEligibility {
            covenant: cov(),
            unit: u("ca-ag"),
            discipline_pending: true,
            note: t("Một cán bộ đang bị xem xét kỷ luật"),
        }),
    )
    .unwrap();
    w.run_at(
        ms(2025, 1, 8),
        &user("thuky"),
        ye(YearEndCommand::Lock {
            covenant: cov(),
            confirm: true,
        }),
    )
    .unwrap();
    w.run_at(
        ms(2025, 1, 9),
        &user("thuky"),
        ye(YearEndCommand::PublishResults {
            covenant: cov(),
            confirm: true,
        }),
    )
    .unwrap();
}

/// Once the year's scores are locked, none of its figures changes (a reopened report would
/// change the breakdown of results already published under their total), nor its head.
#[test]
fn a_locked_year_refuses_every_change_to_its_figures_and_its_head() {
    let mut w = published_world();
    let code = UNITS[0][3..].to_owned();
    let (officer, leader) = (
        user(&format!("canbo.{code}")),
        user(&format!("lanhdao.{code}")),
    );
    let unit = u(UNITS[0]);
    let window = "M12".to_owned();
    let reopen = Command::ReopenFigures {
        covenant: cov(),
        unit: unit.clone(),
        window: window.clone(),
        reason: t("Điều chỉnh số vụ theo báo cáo bổ sung"),
    };
    assert_eq!(w.err(&leader, reopen), "yearend_locked");
    let save = Command::SaveFigures {
        covenant: cov(),
        unit: unit.clone(),
        window: window.clone(),
        values: BTreeMap::new(),
        comments: BTreeMap::new(),
    };
    assert_eq!(w.err(&officer, save), "yearend_locked");
    let approve = Command::ApproveFigures {
        covenant: cov(),
        unit,
        window,
        revision: 1,
    };
    assert_eq!(w.err(&leader, approve), "yearend_locked");
    assert!(w.state.figures_locked(&cov()));
    // Nor does the year's head, who decides its ties.
    let head = Command::SetClusterLeadership {
        cluster: cum(),
        year: 2024,
        position: thidua_domain::model::LeadershipPosition::Head,
        unit: u(UNITS[1]),
        method: thidua_domain::model::LeadershipMethod::Assigned,
        decision: t("Quyết định sửa lại"),
    };
    assert_eq!(w.err(&user("thuky"), head), "leadership_locked");
}

/// The award vote's candidates are the published results' eligible units in rank order: a
/// standing recorded before publication (for a year scored outside the system) gives way to
/// them, and none can be recorded after.
#[test]
fn published_results_are_the_years_standings_for_the_award_vote() {
    use thidua_domain::votes::{nominees, VoteCommand};
    let mut w = drawn_world();
    let standing = |unit: &str| {
        Command::Vote(VoteCommand::RecordStanding {
            cluster: cum(),
            year: 2024,
            unit: u(unit),
            rank: 1,
            eligible: true,
            basis: t("Xếp thứ nhất (ghi tay)"),
        })
    };
    w.ok(&user("thuky"), standing("ca-ag"));
    assert_eq!(nominees(&w.state, &cum(), 2024), [u("ca-ag")]);
    publish(&mut w);
    let results = &review(&w).published.clone().unwrap().0.results;
    let mut ranked: Vec<(u32, UnitId)> = results
        .iter()
        .filter(|r| r.eligible)
        .filter_map(|r| Some((r.rank?, r.unit.clone())))
        .collect();
    ranked.sort();
    let expected: Vec<UnitId> = ranked.into_iter().map(|(_, u)| u).collect();
    assert!(!expected.contains(&u("ca-ag")), "discipline pending");
    assert!(!expected.is_empty());
    assert_eq!(nominees(&w.state, &cum(), 2024), expected);
    // A pending discipline bars an award, not leading the cluster: every ranked unit may be
    // elected head or deputy; a flag's candidates are the nominees.
    let leaders = thidua_domain::votes::candidates(
        &w.state,
        &cum(),
        2024,
        thidua_domain::votes::AwardKind::Head,
    );
    assert!(leaders.contains(&u("ca-ag")), "{leaders:?}");
    assert_eq!(
        leaders.len(),
        results.iter().filter(|r| r.rank.is_some()).count()
    );
    let flag = thidua_domain::votes::candidates(
        &w.state,
        &cum(),
        2024,
        thidua_domain::votes::AwardKind::MinistryFlag,
    );
    assert_eq!(flag, expected);
    assert_eq!(
        w.err(&user("thuky"), standing("ca-hg")),
        "standings_published"
    );
}

/// A unit that did not hand in its dossier by the deadline is not assessed: its inspectors agree
/// with nothing (there is nothing to inspect), and it is published without totals, rank or band,
/// and not eligible for a flag; the others are ranked among themselves.
#[test]
fn a_unit_without_a_dossier_is_published_unranked_and_not_eligible() {
    let mut w = drawn_world_without(Some("ca-ag"));
    agree_everywhere(&mut w);
    for (at, c) in [
        (
            ms(2025, 1, 8),
            YearEndCommand::Lock {
                covenant: cov(),
                confirm: true,
            },
        ),
        (
            ms(2025, 1, 9),
            YearEndCommand::PublishResults {
                covenant: cov(),
                confirm: true,
            },
        ),
    ] {
        w.run_at(at, &user("thuky"), ye(c)).unwrap();
    }
    let results = &review(&w).published.clone().unwrap().0.results;
    let ag = results.iter().find(|x| x.unit == u("ca-ag")).unwrap();
    assert_eq!(
        (
            &ag.self_total,
            &ag.final_total,
            ag.rank,
            &ag.band,
            ag.eligible
        ),
        (&None, &None, None, &None, false),
        "{ag:?}"
    );
    let mut ranks: Vec<u32> = results.iter().filter_map(|x| x.rank).collect();
    ranks.sort();
    assert_eq!(ranks, [1, 2], "{results:?}");
    assert!(results
        .iter()
        .filter(|x| x.unit != u("ca-ag"))
        .all(|x| x.final_total.is_some() && x.eligible));
}

#[test]
fn the_audit_recomputes_draw_and_results_and_reports_a_tampered_score() {
    let w = published_world();
    let r = review(&w);
    assert_eq!(r.final_scores(&u("ca-hg"))["C2b"], "3".parse().unwrap());
    let audit = thidua_domain::yearend::audit::audit(&w.events).unwrap();
    assert_eq!(audit.draws.len(), 1);
    assert_eq!(audit.publications.len(), 1);
    assert!(audit.differences.is_empty(), "{:?}", audit.differences);
    let (published, _) = r.published.clone().unwrap();
    assert!(
        !published
            .results
            .iter()
            .find(|x| x.unit == u("ca-ag"))
            .unwrap()
            .eligible
    );
    // A final score changed in the log (and re-encoded canonically) is reported.
    let mut events = w.events.clone();
    let last = events.last_mut().unwrap();
    let Payload::YearEnd(YearEndEvent::ResultsPublished(p)) = &mut last.payload else {
        panic!()
    };
    let hg = p.results.iter_mut().find(|x| x.unit == u("ca-hg")).unwrap();
    hg.final_total = Some(Points(
        hg.final_total.unwrap().0 + rust_decimal::Decimal::ONE,
    ));
    let audit = thidua_domain::yearend::audit::audit(&events).unwrap();
    assert_eq!(audit.differences.len(), 1, "{:?}", audit.differences);
    assert!(
        audit.differences[0].contains("ca-hg"),
        "{:?}",
        audit.differences
    );
}

#[test]
fn council_flags_show_self_excess_and_leniency() {
    let w = published_world();
    let r = review(&w);
    let (published, _) = r.published.clone().unwrap();
    let c = thidua_domain::yearend::stats::council(&w.state, &r, &published.results);
    let hg = c
        .self_minus_final
        .iter()
        .find(|x| x.0 == u("ca-hg"))
        .unwrap();
    assert_eq!(hg.1, "1".parse().unwrap());
    assert!(!hg.2, "one point is not flagged");
    // Hậu Giang's inspector proposed 3 for C2b and 3 became final: no deviation.
    assert!(c.leniency.iter().all(|x| x.1.is_zero()), "{:?}", c.leniency);
    assert!(c.agreement.is_empty(), "one inspector per unit");
    assert!(c.mutual_high.is_empty());
}

/// The council's flags raised: Kiên Giang's inspector proposes 2 of 8 for C2a (self 8), Kiên
/// Giang contests and the council keeps 2: self-score 6 points above the final one (flagged at
/// 5); An Giang's inspector proposes 3 for C2a (self 7), An Giang contests and the council
/// keeps 7: that inspector's implied scores are 2 points below the final ones on average
/// (flagged at 1); Hậu Giang's inspector agrees with everything (0).
#[test]
fn council_flags_are_raised_by_a_large_self_excess_and_a_deviating_inspector() {
    let mut w = drawn_world();
    let r = review(&w);
    let inspector_of = |unit: &str| r.inspectors_of(&u(unit))[0].clone();
    let leader_of = |unit: &UnitId| user(&format!("lanhdao.{}", &unit.as_str()[3..]));
    let propose = |score: &str| {
        BTreeMap::from([(
            "C2a".to_owned(),
            FindingItem {
                verdict: Verdict::Propose,
                score: Some(Points(score.parse().unwrap())),
                reason: Some(t("Chưa đủ minh chứng")),
            },
        )])
    };
    for (unit, items) in [
        ("ca-kg", propose("2")),
        ("ca-ag", propose("3")),
        ("ca-hg", BTreeMap::new()),
    ] {
        let inspector = inspector_of(unit);
        let finding = ye(YearEndCommand::SubmitFinding {
            covenant: cov(),
            inspector: inspector.clone(),
            inspected: u(unit),
            items,
            recheck: None,
        });
        w.run_at(ms(2024, 12, 27), &leader_of(&inspector), finding)
            .unwrap();
    }
    for (unit, kept) in [("ca-kg", "2"), ("ca-ag", "7")] {
        let answers = BTreeMap::from([(
            "C2a".to_owned(),
            Answer {
                accept: false,
                text: t("Đơn vị không đồng ý"),
            },
        )]);
        let respond = ye(YearEndCommand::SubmitResponse {
            covenant: cov(),
            unit: u(unit),
            answers,
        });
        w.run_at(ms(2025, 1, 3), &leader_of(&u(unit)), respond)
            .unwrap();
        let resolve = ye(YearEndCommand::ResolveDispute {
            covenant: cov(),
            unit: u(unit),
            criterion: "C2a".into(),
            score: Some(Points(kept.parse().unwrap())),
            reason: t("Hội đồng cụm thống nhất"),
        });
        w.run_at(ms(2025, 1, 8), &user("thuky"), resolve).unwrap();
    }
    for c in [
        YearEndCommand::Lock {
            covenant: cov(),
            confirm: true,
        },
        YearEndCommand::PublishResults {
            covenant: cov(),
            confirm: true,
        },
    ] {
        w.run_at(ms(2025, 1, 9), &user("thuky"), ye(c)).unwrap();
    }
    let r = review(&w);
    let (published, _) = r.published.clone().unwrap();
    let c = thidua_domain::yearend::stats::council(&w.state, &r, &published.results);
    let excess = |unit: &str| c.self_minus_final.iter().find(|x| x.0 == u(unit)).cloned();
    assert_eq!(
        excess("ca-kg"),
        Some((u("ca-kg"), "6".parse().unwrap(), true))
    );
    assert_eq!(
        excess("ca-ag"),
        Some((u("ca-ag"), "0".parse().unwrap(), false))
    );
    let leniency = |unit: &UnitId| c.leniency.iter().find(|x| &x.0 == unit).cloned();
    let strict = inspector_of("ca-ag");
    assert_eq!(
        leniency(&strict),
        Some((strict.clone(), "-2".parse().unwrap(), 2, true)),
        "{:?}",
        c.leniency
    );
    let fair = inspector_of("ca-kg");
    assert_eq!(
        leniency(&fair).map(|x| (x.1, x.3)),
        Some(("0".parse().unwrap(), false))
    );
}

/// A regulation scored by judgement alone, with a 20% quota on the top band.
const TIE_REGULATION: &str = include_str!("quota-tie.toml");

/// Two of five units tie at the top band's quota cut-off: publication waits for the cluster
/// head, whose leader keeps one of them in the band (any other leader is refused).
/// Units `u1`…`u5`.
const FIVE: [&str; 5] = ["u1", "u2", "u3", "u4", "u5"];

/// A world of [`FIVE`] provincial units and the cluster `cum()`, nothing else.
fn five_units() -> World {
    provincial_world(
        FIVE.map(|id| (id, format!("Đơn vị {id}"), id.to_uppercase())),
        "Cụm thử",
    )
}

/// A world of the given provincial units (id, name, short code), founded in 2004, and the
/// cluster `cum()` named `cluster`, nothing else.
fn provincial_world(
    units: impl IntoIterator<Item = (&'static str, String, String)>,
    cluster: &str,
) -> World {
    let mut w = World {
        state: State::default(),
        events: Vec::new(),
    };
    for (id, name, code) in units {
        w.ok(
            &Actor::System,
            Command::CreateUnit {
                unit: u(id),
                name: t(&name),
                short_code: t(&code),
                kind: UnitKind::ProvincialPolice,
                parent: None,
                established: d(2004, 1, 1),
            },
        );
    }
    w.ok(
        &Actor::System,
        Command::CreateCluster {
            cluster: cum(),
            name: t(cluster),
        },
    );
    w
}

#[test]
fn the_cluster_head_decides_a_tie_at_a_quota_cut_off() {
    let sys = Actor::System;
    let mut w = five_units();
    let five = FIVE;
    w.ok(
        &sys,
        Command::SetClusterYear {
            cluster: cum(),
            year: 2024,
            members: five.iter().map(|x| u(x)).collect(),
        },
    );
    w.ok(
        &sys,
        Command::SetClusterLeadership {
            cluster: cum(),
            year: 2024,
            position: LeadershipPosition::Head,
            unit: u("u3"),
            method: LeadershipMethod::Elected,
            decision: t("Biên bản bầu cụm trưởng"),
        },
    );
    w.ok(
        &sys,
        Command::CreateMovement {
            movement: MovementId::parse("vanttq-2024").unwrap(),
            name: t("Vì an ninh Tổ quốc"),
            year: 2024,
            plan_ref: t("84/KH-BCA"),
            slogan: None,
            calendar: default_calendar(2024),
        },
    );
    for (name, role) in [
        ("lanhdao.u3", Role::Leader { unit: u("u3") }),
        ("lanhdao.u1", Role::Leader { unit: u("u1") }),
    ] {
        let id = UserId::parse(name).unwrap();
        w.ok(
            &sys,
            Command::RegisterUser {
                user: id.clone(),
                display_name: t(name),
                demo: true,
            },
        );
        w.ok(&sys, Command::GrantRole { user: id, role });
    }
    let text = thidua_scoring::canonical_form(TIE_REGULATION).unwrap();
    let mut c = content("Giao ước thử");
    c.regulation = RegulationDoc {
        sha256: hex_sha256(&text),
        text,
    };
    w.ok(
        &sys,
        Command::DraftCovenant {
            covenant: cov(),
            movement: MovementId::parse("vanttq-2024").unwrap(),
            cluster: cum(),
            content: c,
        },
    );
    let hash = w.state.covenants[&cov()].latest().hash.clone();
    for id in five {
        w.ok(
            &sys,
            Command::SignCovenant {
                covenant: cov(),
                version: 1,
                unit: u(id),
                hash: hash.clone(),
            },
        );
    }
    let at = ms(2024, 12, 10);
    w.run_at(
        at,
        &sys,
        ye(YearEndCommand::Open {
            covenant: cov(),
            dossier_deadline: d(2024, 12, 20),
            commit_deadline: d(2024, 12, 20),
            reveal_deadline: None,
            response_deadline: d(2024, 12, 30),
            inspectors: 1,
            record_sample: 0,
            acknowledge_missing_figures: false,
        }),
    )
    .unwrap();
    for (id, score) in five.iter().zip(["95", "95", "80", "70", "60"]) {
        let entries = BTreeMap::from([("A1".to_owned(), entry(score, "Tự đánh giá"))]);
        w.run_at(at, &sys, save(id, entries)).unwrap();
        w.run_at(
            at,
            &sys,
            ye(YearEndCommand::SubmitDossier {
                covenant: cov(),
                unit: u(id),
                revision: 1,
            }),
        )
        .unwrap();
        w.run_at(
            at,
            &sys,
            ye(YearEndCommand::CommitSeed {
                covenant: cov(),
                unit: u(id),
                commitment: commitment("gu-2024", &u(id), &secret(id)),
            }),
        )
        .unwrap();
    }
    for id in five {
        w.run_at(
            at,
            &sys,
            ye(YearEndCommand::RevealSeed {
                covenant: cov(),
                unit: u(id),
                value: secret(id),
            }),
        )
        .unwrap();
    }
    w.run_at(
        at,
        &sys,
        ye(YearEndCommand::DrawAssignment { covenant: cov() }),
    )
    .unwrap();
    for p in review(&w).pairs() {
        w.run_at(
            at,
            &sys,
            ye(YearEndCommand::SubmitFinding {
                covenant: cov(),
                inspector: p.inspector,
                inspected: p.inspected,
                items: BTreeMap::new(),
                recheck: None,
            }),
        )
        .unwrap();
    }
    w.run_at(
        at,
        &sys,
        ye(YearEndCommand::Lock {
            covenant: cov(),
            confirm: true,
        }),
    )
    .unwrap();
    let publish = ye(YearEndCommand::PublishResults {
        covenant: cov(),
        confirm: true,
    });
    assert_eq!(
        w.code_at(at, &sys, publish.clone()),
        "yearend_tie_undecided"
    );
    let decide = |units: &[&str]| {
        ye(YearEndCommand::DecideCutoffTie {
            covenant: cov(),
            band: "xuat_sac".into(),
            units: units.iter().map(|x| u(x)).collect(),
            reason: t("Cụm trưởng quyết định theo biên bản họp"),
        })
    };
    assert_eq!(
        w.code_at(at, &user("lanhdao.u1"), decide(&["u1"])),
        "forbidden",
        "only the head's leader"
    );
    assert_eq!(
        w.code_at(at, &user("lanhdao.u3"), decide(&["u1", "u2"])),
        "yearend_tie_invalid",
        "one seat"
    );
    assert_eq!(
        w.code_at(at, &user("lanhdao.u3"), decide(&["u3"])),
        "yearend_tie_invalid",
        "not tied"
    );
    w.run_at(at, &user("lanhdao.u3"), decide(&["u2"])).unwrap();
    let payloads = w.run_at(at, &sys, publish).unwrap();
    let Payload::YearEnd(YearEndEvent::ResultsPublished(p)) = &payloads[0] else {
        panic!()
    };
    let band = |id: &str| {
        p.results
            .iter()
            .find(|r| r.unit == u(id))
            .unwrap()
            .band
            .clone()
            .unwrap()
    };
    assert_eq!(
        (band("u1").as_str(), band("u2").as_str()),
        ("tot", "xuat_sac")
    );
    // The published scoreboard is the engine's with the decision (what the results page, the
    // documents and an exported data file show); without it, both units are still tied.
    let r = review(&w);
    let at = r.cutoff_ties["xuat_sac"].1;
    let engine_band = |which, id: &str| {
        let board = scoreboard(&w.state, &r, which, false).unwrap();
        let data = thidua_domain::yearend::score::data_id(&r, &u(id)).unwrap();
        board.unit(&data).unwrap().band.clone().unwrap()
    };
    let kept = engine_band(Scores::Final, "u2");
    let moved = engine_band(Scores::Final, "u1");
    assert_eq!((kept.id.as_str(), moved.id.as_str()), ("xuat_sac", "tot"));
    assert_eq!(
        kept.cutoff_decision.map(|d| (d.kept, d.decision)),
        Some((true, at))
    );
    assert_eq!(
        moved.cutoff_decision.map(|d| (d.kept, d.decision)),
        Some((false, at))
    );
    assert_eq!(engine_band(Scores::FinalUndecided, "u2").id, "tot");
    let audit = thidua_domain::yearend::audit::audit(&w.events).unwrap();
    assert!(audit.differences.is_empty(), "{:?}", audit.differences);
}

/// The reveal deadline (three days after the commitment deadline when the secretariat names
/// none): until it has passed the draw waits for every unit that committed, so that whoever
/// records the draw cannot choose between drawing now and waiting; reveals close after it.
#[test]
fn the_draw_waits_for_every_committed_reveal_until_the_reveal_deadline() {
    let thuky = user("thuky");
    let reveal = |unit: &str| {
        ye(YearEndCommand::RevealSeed {
            covenant: cov(),
            unit: u(unit),
            value: secret(unit),
        })
    };
    let draw = ye(YearEndCommand::DrawAssignment { covenant: cov() });
    let run = |hg_reveals_on: Option<i64>| {
        let mut w = World::with_figures();
        w.open();
        assert_eq!(review(&w).schedule.reveal_deadline, Some(d(2024, 12, 25)));
        for unit in UNITS {
            commit_own_seed(&mut w, ms(2024, 12, 20), unit);
        }
        for unit in ["ca-ag", "ca-kg"] {
            w.run_at(
                ms(2024, 12, 21),
                &user(&format!("lanhdao.{}", &unit[3..])),
                reveal(unit),
            )
            .unwrap();
        }
        // The commitment deadline (22/12) has passed, Hậu Giang has not revealed yet.
        assert_eq!(
            w.code_at(ms(2024, 12, 23), &thuky, draw.clone()),
            "yearend_phase"
        );
        if let Some(at) = hg_reveals_on {
            w.run_at(at, &user("lanhdao.hg"), reveal("ca-hg")).unwrap();
        }
        w
    };
    // Hậu Giang reveals on the deadline's day: the draw runs at once, nobody missing.
    let mut w = run(Some(ms(2024, 12, 25)));
    let payloads = w.run_at(ms(2024, 12, 25), &thuky, draw.clone()).unwrap();
    let Payload::YearEnd(YearEndEvent::AssignmentDrawn(drawn)) = &payloads[0] else {
        panic!("{payloads:?}")
    };
    assert!(drawn.missing.is_empty(), "{drawn:?}");
    // It does not: its reveal is refused after the deadline, and the draw runs without it.
    let mut w = run(None);
    assert_eq!(
        w.code_at(ms(2024, 12, 26), &user("lanhdao.hg"), reveal("ca-hg")),
        "yearend_deadline_passed"
    );
    let payloads = w.run_at(ms(2024, 12, 26), &thuky, draw).unwrap();
    let Payload::YearEnd(YearEndEvent::AssignmentDrawn(drawn)) = &payloads[0] else {
        panic!("{payloads:?}")
    };
    assert_eq!(drawn.missing, vec![u("ca-hg")]);
    // A reveal deadline before the commitment deadline is refused beside its field.
    let mut w = World::with_figures();
    let err = w
        .run_at(
            ms(2024, 12, 1),
            &thuky,
            ye(YearEndCommand::Open {
                covenant: cov(),
                dossier_deadline: d(2024, 12, 20),
                commit_deadline: d(2024, 12, 22),
                reveal_deadline: Some(d(2024, 12, 21)),
                response_deadline: d(2025, 1, 5),
                inspectors: 1,
                record_sample: 0,
                acknowledge_missing_figures: false,
            }),
        )
        .unwrap_err();
    assert!(err.to_string().contains("reveal_deadline"), "{err}");
}

impl World {
    /// The year-end refusal of `command` (nothing changes).
    fn refusal_at(&mut self, time_ms: i64, actor: &Actor, command: Command) -> YearEndError {
        let before = self.state.clone();
        let err = self.run_at(time_ms, actor, command).unwrap_err();
        assert_eq!(self.state, before, "a refused command changes nothing");
        match err {
            DomainError::YearEnd(e) => e,
            other => panic!("not a year-end refusal: {other:?}"),
        }
    }
}

fn opening(
    dossier: chrono::NaiveDate,
    commit: chrono::NaiveDate,
    reveal: Option<chrono::NaiveDate>,
    response: chrono::NaiveDate,
    inspectors: u8,
) -> Command {
    ye(YearEndCommand::Open {
        covenant: cov(),
        dossier_deadline: dossier,
        commit_deadline: commit,
        reveal_deadline: reveal,
        response_deadline: response,
        inspectors,
        record_sample: 10,
        acknowledge_missing_figures: false,
    })
}

/// A schedule the review cannot keep is refused when opened: two inspectors per unit need at
/// least five units (the cluster has three), each step's deadline comes no earlier than the one
/// before it, and none is past on the day it is opened. The rules are `decide`'s: an opening
/// written before them still replays.
#[test]
fn an_impossible_schedule_is_refused_when_opened() {
    let mut w = World::with_figures();
    let (at, thuky) = (ms(2024, 12, 1), user("thuky"));
    let e = w.refusal_at(
        at,
        &thuky,
        opening(d(2024, 12, 20), d(2024, 12, 22), None, d(2025, 1, 5), 2),
    );
    assert_eq!(
        (e.code, e.arg("count"), e.arg("min")),
        ("yearend_too_few_members", Some("3"), Some("5"))
    );
    // The dossiers due after the commitments.
    let e = w.refusal_at(
        at,
        &thuky,
        opening(d(2024, 12, 23), d(2024, 12, 22), None, d(2025, 1, 5), 1),
    );
    assert_eq!(
        (e.code, e.arg("later"), e.arg("earlier")),
        ("yearend_deadlines_order", Some("commit"), Some("dossier"))
    );
    assert_eq!(e.arg("later_date"), Some("2024-12-22"));
    // The answers due before the reveals.
    let e = w.refusal_at(
        at,
        &thuky,
        opening(
            d(2024, 12, 20),
            d(2024, 12, 22),
            Some(d(2024, 12, 28)),
            d(2024, 12, 26),
            1,
        ),
    );
    assert_eq!(
        (e.code, e.arg("later"), e.arg("earlier")),
        ("yearend_deadlines_order", Some("response"), Some("reveal"))
    );
    // Every deadline already past on 01/12/2024.
    let e = w.refusal_at(
        at,
        &thuky,
        opening(d(2024, 11, 1), d(2024, 11, 2), None, d(2024, 11, 20), 1),
    );
    assert_eq!(
        (e.code, e.arg("step"), e.arg("date")),
        (
            "yearend_deadline_in_past",
            Some("dossier"),
            Some("2024-11-01")
        )
    );
    // Written before these rules, such an opening still replays.
    let forged = Event {
        index: w.state.size,
        time_ms: at,
        actor: thuky.clone(),
        salt: "ab".repeat(16),
        payload: Payload::YearEnd(YearEndEvent::YearEndOpened(YearEndOpened {
            covenant: cov(),
            dossier_deadline: d(2024, 11, 3),
            commit_deadline: d(2024, 11, 2),
            reveal_deadline: Some(d(2024, 11, 4)),
            response_deadline: d(2024, 11, 20),
            inspectors: 2,
            record_sample: 10,
            last_year_by_lineage: false,
        })),
    };
    w.state.clone().apply(&forged).unwrap();
    // The schedule the secretariat means is taken.
    w.run_at(
        at,
        &thuky,
        opening(d(2024, 12, 20), d(2024, 12, 22), None, d(2025, 1, 5), 1),
    )
    .unwrap();
}

fn move_deadline(step: Step, day: chrono::NaiveDate) -> Command {
    ye(YearEndCommand::MoveDeadline {
        covenant: cov(),
        step,
        deadline: day,
        reason: t("Hai đơn vị đề nghị thêm thời gian do mưa lũ"),
    })
}

/// The secretariat corrects the schedule by moving one deadline at a time, with a reason, while
/// the step it closes is open: not past by its current deadline and not over (commitments close
/// with the first reveal, reveals with the draw); the new day is not past and keeps the schedule
/// in order. The move is an event: the history shows it and the log replays.
#[test]
fn the_secretariat_moves_a_deadline_while_its_step_is_open() {
    let mut w = World::with_figures();
    w.open();
    let thuky = user("thuky");
    let at = ms(2024, 12, 10);
    assert_eq!(
        w.code_at(
            at,
            &user("lanhdao.kg"),
            move_deadline(Step::Dossier, d(2024, 12, 21))
        ),
        "forbidden"
    );
    // After the commitment deadline (22/12): out of order.
    let e = w.refusal_at(at, &thuky, move_deadline(Step::Dossier, d(2024, 12, 23)));
    assert_eq!(e.code, "yearend_deadlines_order");
    let e = w.refusal_at(at, &thuky, move_deadline(Step::Dossier, d(2024, 12, 9)));
    assert_eq!(
        (e.code, e.arg("date")),
        ("yearend_deadline_in_past", Some("2024-12-09"))
    );
    assert_eq!(
        w.code_at(at, &thuky, move_deadline(Step::Dossier, d(2024, 12, 20))),
        "yearend_deadline_unchanged"
    );
    w.run_at(at, &thuky, move_deadline(Step::Dossier, d(2024, 12, 22)))
        .unwrap();
    assert_eq!(review(&w).schedule.dossier_deadline, d(2024, 12, 22));
    // A dossier saved on 21/12, past the first deadline, is taken.
    w.run_at(
        ms(2024, 12, 21),
        &user("canbo.kg"),
        save("ca-kg", dossier("8", "4")),
    )
    .unwrap();
    // Once its deadline has passed, a step's deadline moves no more.
    let e = w.refusal_at(
        ms(2024, 12, 23),
        &thuky,
        move_deadline(Step::Dossier, d(2024, 12, 24)),
    );
    assert_eq!(
        (e.code, e.arg("why"), e.arg("date")),
        (
            "yearend_phase",
            Some("deadline_step_past"),
            Some("2024-12-22")
        )
    );
    w.run_at(
        ms(2024, 12, 23),
        &thuky,
        move_deadline(Step::Response, d(2025, 1, 10)),
    )
    .unwrap();
    assert_eq!(review(&w).schedule.response_deadline, d(2025, 1, 10));
    // The log replays to the same state.
    let mut replayed = State::default();
    for e in &w.events {
        replayed.apply(e).unwrap();
    }
    assert_eq!(replayed, w.state);
    // Commitments close with the first reveal, reveals with the draw.
    let mut w = drawn_world();
    for step in [Step::Commit, Step::Reveal] {
        let e = w.refusal_at(
            ms(2024, 12, 12),
            &thuky,
            move_deadline(step, d(2024, 12, 26)),
        );
        assert_eq!(
            (e.code, e.arg("why")),
            ("yearend_phase", Some("deadline_step_done")),
            "{step:?}"
        );
    }
}

/// The record re-check fits the records drawn: the inspected unit declared its records, and at
/// most the records the seed drew (the review's sample of 10, within the 480 declared) were
/// checked — 100,000 of 100,000 gave "Wilson 95%: 100% – 100%".
#[test]
fn a_recheck_fits_the_records_drawn() {
    let mut w = drawn_world();
    let r = review(&w);
    let inspector_of = |unit: &str| r.inspectors_of(&u(unit))[0].clone();
    let finding = |inspected: &str, checked: u32, correct: u32| {
        let inspector = inspector_of(inspected);
        let leader = user(&format!("lanhdao.{}", &inspector.as_str()[3..]));
        let command = ye(YearEndCommand::SubmitFinding {
            covenant: cov(),
            inspector,
            inspected: u(inspected),
            items: BTreeMap::new(),
            recheck: Some(Recheck { checked, correct }),
        });
        (leader, command)
    };
    let at = ms(2024, 12, 27);
    let (leader, c) = finding("ca-kg", 100_000, 100_000);
    let e = w.refusal_at(at, &leader, c);
    assert_eq!(
        (
            e.code,
            e.arg("checked"),
            e.arg("sample"),
            e.arg("population")
        ),
        (
            "yearend_recheck_over_sample",
            Some("100000"),
            Some("10"),
            Some("480")
        )
    );
    let (leader, c) = finding("ca-kg", 10, 11);
    assert_eq!(w.refusal_at(at, &leader, c).code, "yearend_recheck_invalid");
    // An Giang declared no records: there is nothing to re-check.
    let (leader, c) = finding("ca-ag", 1, 1);
    assert_eq!(
        w.refusal_at(at, &leader, c).code,
        "yearend_recheck_no_records"
    );
    let (leader, c) = finding("ca-kg", 10, 9);
    w.run_at(at, &leader, c).unwrap();
}

/// Ticking "accept the proposed score" records the acceptance without words (it was dropped and
/// the unit's one response was spent on nothing); a response that answers nothing is refused,
/// and so is an answer that neither accepts nor says why not.
#[test]
fn an_acceptance_needs_no_words_and_a_response_answers_something() {
    let mut w = drawn_world();
    submit_findings(&mut w, c2b_proposed_for_hau_giang);
    let respond = |accept: bool, text: Text| {
        ye(YearEndCommand::SubmitResponse {
            covenant: cov(),
            unit: u("ca-hg"),
            answers: BTreeMap::from([("C2b".to_owned(), Answer { accept, text })]),
        })
    };
    let (at, leader) = (ms(2025, 1, 2), user("lanhdao.hg"));
    assert_eq!(
        w.code_at(
            at,
            &leader,
            ye(YearEndCommand::SubmitResponse {
                covenant: cov(),
                unit: u("ca-hg"),
                answers: BTreeMap::new(),
            })
        ),
        "yearend_response_empty"
    );
    let e = w.refusal_at(at, &leader, respond(false, Text::empty()));
    assert_eq!(
        (e.code, e.arg("criterion")),
        ("yearend_answer_empty", Some("C2b"))
    );
    w.run_at(at, &leader, respond(true, Text::empty())).unwrap();
    assert_eq!(
        review(&w).settlement(&u("ca-hg"), "C2b"),
        thidua_domain::yearend::state::Settlement::Accepted("3".parse().unwrap())
    );
    // Written before these rules, a response that answers nothing still replays.
    let forged = Event {
        index: w.state.size,
        time_ms: at,
        actor: user("lanhdao.kg"),
        salt: "ab".repeat(16),
        payload: Payload::YearEnd(YearEndEvent::ResponseSubmitted(ResponseSubmitted {
            covenant: cov(),
            unit: u("ca-kg"),
            answers: BTreeMap::new(),
        })),
    };
    w.state.clone().apply(&forged).unwrap();
}

/// A council decision on a manual criterion without a score has its own refusal (it borrowed
/// the finding's "a proposal needs a score and a reason").
#[test]
fn a_manual_resolution_without_a_score_has_its_own_refusal() {
    let mut w = drawn_world();
    let r = review(&w);
    let inspector = r.inspectors_of(&u("ca-kg"))[0].clone();
    w.run_at(
        ms(2024, 12, 27),
        &user(&format!("lanhdao.{}", &inspector.as_str()[3..])),
        ye(YearEndCommand::SubmitFinding {
            covenant: cov(),
            inspector,
            inspected: u("ca-kg"),
            items: BTreeMap::from([(
                "C2a".to_owned(),
                FindingItem {
                    verdict: Verdict::Propose,
                    score: Some(Points("7".parse().unwrap())),
                    reason: Some(t("Giải pháp thứ ba chưa hoàn thành")),
                },
            )]),
            recheck: None,
        }),
    )
    .unwrap();
    let resolve = ye(YearEndCommand::ResolveDispute {
        covenant: cov(),
        unit: u("ca-kg"),
        criterion: "C2a".into(),
        score: None,
        reason: t("Hội đồng cụm họp ngày 08/01/2025"),
    });
    assert_eq!(
        w.code_at(ms(2025, 1, 8), &user("thuky"), resolve),
        "yearend_resolution_score_missing"
    );
}

/// A step that is not open says which and why, with its date or round (the page translates
/// it): the draw before the reveals are in names the reveal deadline.
#[test]
fn a_step_not_open_says_why() {
    let mut w = World::with_figures();
    w.open();
    for unit in UNITS {
        commit_own_seed(&mut w, ms(2024, 12, 20), unit);
    }
    let e = w.refusal_at(
        ms(2024, 12, 23),
        &user("thuky"),
        ye(YearEndCommand::DrawAssignment { covenant: cov() }),
    );
    assert_eq!(
        (e.code, e.arg("why"), e.arg("date")),
        (
            "yearend_phase",
            Some("draw_waits_reveals"),
            Some("2024-12-25")
        )
    );
    // A second commitment.
    let e = w.refusal_at(
        ms(2024, 12, 21),
        &user("lanhdao.kg"),
        ye(YearEndCommand::CommitSeed {
            covenant: cov(),
            unit: u("ca-kg"),
            commitment: commitment("gu-2024", &u("ca-kg"), &secret("x")),
        }),
    );
    assert_eq!(e.arg("why"), Some("already_committed"));
    // A deadline passed names its step and day.
    let e = w.refusal_at(
        ms(2024, 12, 21),
        &user("canbo.kg"),
        save("ca-kg", dossier("8", "4")),
    );
    assert_eq!(
        (e.code, e.arg("step"), e.arg("date")),
        (
            "yearend_deadline_passed",
            Some("dossier"),
            Some("2024-12-20")
        )
    );
    // Every reason has its key in the list the UI translates.
    for why in ["draw_waits_reveals", "already_committed"] {
        assert!(thidua_domain::yearend::error::PHASE_REASONS.contains(&why));
    }
}

/// A file is attached once to a criterion: the same bytes (by their SHA-256) a second time are
/// refused, naming the file already there.
#[test]
fn a_file_is_attached_once_to_a_criterion() {
    let mut w = World::with_figures();
    w.open();
    let file = |name: &str| Evidence {
        sha256: "ab".repeat(32),
        name: t(name),
        media_type: "application/pdf".into(),
        size: 1000,
    };
    let mut entries = dossier("8", "4");
    entries.get_mut("C2a").unwrap().evidence = vec![file("bao-cao.pdf"), file("ban-sao.pdf")];
    let e = w.refusal_at(ms(2024, 12, 10), &user("canbo.kg"), save("ca-kg", entries));
    assert_eq!(
        (e.code, e.arg("criterion"), e.arg("name")),
        (
            "yearend_evidence_duplicate",
            Some("C2a"),
            Some("bao-cao.pdf")
        )
    );
    // The same file under two criteria is two pieces of evidence.
    let mut entries = dossier("8", "4");
    entries.get_mut("C2a").unwrap().evidence = vec![file("bao-cao.pdf")];
    entries.get_mut("C2b").unwrap().evidence = vec![file("bao-cao.pdf")];
    w.run_at(ms(2024, 12, 10), &user("canbo.kg"), save("ca-kg", entries))
        .unwrap();
}

/// The scores lock only when every assessed unit's total can be computed: with Hậu Giang's
/// December figures never approved and its dossier submitted in a log written before dossiers
/// needed their criteria computed (`audit13`), locking is refused naming the unit and the
/// criteria that cannot be computed, and nothing changes; a lock would have published "—" for
/// it and ranked it nowhere.
#[test]
fn the_scores_do_not_lock_while_a_total_cannot_be_computed() {
    let world = World::with_figures_but(Some(("ca-hg", 12)));
    let mut w = drawn_from(world, Some("ca-hg"), ms(2024, 12, 12));
    let at = ms(2024, 12, 13);
    w.run_at(at, &user("canbo.hg"), save("ca-hg", dossier("6", "4")))
        .unwrap();
    let entries = review(&w).dossiers[&u("ca-hg")].entries.clone();
    let submitted = DossierSubmitted {
        covenant: cov(),
        unit: u("ca-hg"),
        revision: 1,
        entries,
    };
    let event = Event {
        index: w.state.size,
        time_ms: at,
        actor: user("lanhdao.hg"),
        salt: "00".repeat(16),
        payload: Payload::YearEnd(YearEndEvent::DossierSubmitted(submitted)),
    };
    w.state.apply(&event).unwrap();
    let uncomputed =
        thidua_domain::yearend::rules::uncomputed(&w.state, &review(&w), &u("ca-hg")).unwrap();
    submit_findings(&mut w, |p| match p.inspected.as_str() {
        "ca-hg" => disputed_for_missing_figures(&uncomputed),
        _ => BTreeMap::new(),
    });
    let lock = ye(YearEndCommand::Lock {
        covenant: cov(),
        confirm: true,
    });
    let before = w.state.clone();
    let refused = w.run_at(ms(2025, 1, 8), &user("thuky"), lock).unwrap_err();
    assert_eq!(refused.code(), "yearend_scores_uncomputable");
    assert_eq!(w.state, before, "a refused command changes nothing");
    let said = refused.to_string();
    let hg = w.state.units[&u("ca-hg")].name.to_string();
    assert!(said.contains(&hg), "{said}");
    for other in ["ca-kg", "ca-ag"] {
        let name = w.state.units[&u(other)].name.to_string();
        assert!(!said.contains(&name), "{other} computes: {said}");
    }
}
