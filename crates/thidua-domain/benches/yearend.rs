//! Year-end figures (`cargo bench -p thidua-domain --bench yearend`):
//!
//! - `assign/3400-units-160-clusters`: the seeds and draws of a national year — 160 clusters
//!   of 21–22 units (3,400 in all), each with three declared conflicts and last year's pairs,
//!   from the members' reveals to the assignment (SHA-256, ChaCha20, shuffles, constraints).
//! - `results/national-year`: every cluster's published results recomputed from the log's
//!   state (self-assessed and final scoreboards by the engine, ranking, bands) for a national
//!   year built in memory: 3,400 units in 160 clusters, each cluster's covenant carrying the
//!   example regulation (`examples/cum12-2024`), a year's approved figures and the year-end run
//!   to its publication through the real commands.
//! - `beacon/verify`: checking one drand quicknet round's BLS signature against the pinned
//!   key, as applying `beacon_recorded` does (once per review that pins a beacon).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use thidua_domain::calendar::{default_calendar, Calendar};
use thidua_domain::figures::{FigureMap, FigureValue, HistoricalReport};
use thidua_domain::model::{
    Comparison, CovenantContent, RegulationDoc, Target, TargetKind, UnitKind,
};
use thidua_domain::progress::synth::report_approved;
use thidua_domain::yearend::draw::{self, commitment, Constraints};
use thidua_domain::yearend::{score, DossierEntry, Points, YearEndCommand};
use thidua_domain::{
    decide_and_apply, Actor, ClusterId, Command, CovenantId, MovementId, State, TargetId, Text,
    UnitId,
};

const UNITS: u32 = 3400;
const CLUSTERS: u32 = 160;

fn t(s: &str) -> Text {
    Text::parse("bench", s, 500).unwrap()
}

fn unit_id(i: u32) -> UnitId {
    UnitId::parse(&format!("u{i:05}")).unwrap()
}

/// The members of each cluster: 3,400 units dealt into 160 clusters (21 or 22 each).
fn clusters() -> Vec<Vec<UnitId>> {
    let mut out = vec![Vec::new(); CLUSTERS as usize];
    for i in 0..UNITS {
        out[(i % CLUSTERS) as usize].push(unit_id(i));
    }
    for m in &mut out {
        m.sort();
    }
    out
}

fn hex_of(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s))
}

fn bench_assign(c: &mut Criterion) {
    let clusters = clusters();
    let reveals: Vec<Vec<String>> = clusters
        .iter()
        .map(|m| m.iter().map(|u| hex_of(u.as_str())).collect())
        .collect();
    c.bench_function("assign/3400-units-160-clusters", |b| {
        b.iter(|| {
            let mut redraws = 0u32;
            for (k, members) in clusters.iter().enumerate() {
                let cluster = ClusterId::parse(&format!("cum-{k}")).unwrap();
                let seed = draw::seed(
                    2024,
                    &cluster,
                    members,
                    |u| {
                        members
                            .iter()
                            .position(|x| x == u)
                            .map(|i| reveals[k][i].as_str())
                    },
                    None,
                );
                let n = members.len();
                let mut cons = Constraints::new(n, 1);
                for j in 0..3 {
                    cons.conflict(j, (j * 7 + 5) % n);
                }
                for j in 0..n {
                    cons.last_year(j, (j + 1) % n);
                }
                match draw::draw(&seed, &cons) {
                    draw::Outcome::Drawn { redraws: r, .. } => redraws += r,
                    other => panic!("cluster {k}: {other:?}"),
                }
            }
            redraws
        })
    });
}

/// Runs a command as the operator at `time_ms`, folding its events.
fn run(state: &mut State, time_ms: i64, command: Command) {
    let (_, after) =
        decide_and_apply(state, &Actor::System, time_ms, command).unwrap_or_else(|e| panic!("{e}"));
    *state = after;
}

fn figures(form: &[String], u: u32, year: i32) -> FigureMap {
    form.iter()
        .enumerate()
        .map(|(e, id)| {
            let v: i64 = match id.as_str() {
                "personnel" => 4000,
                "reports_due" | "reports_received" => 1200,
                "reports_resolved" => 1100 + i64::from(u % 90),
                // Under every other count (at least 55), as the regulation's rules expect:
                // solved ≤ crimes, serious solved ≤ serious, recovered ≤ due.
                "solved" | "serious_solved" | "assets_recovered" => 30 + i64::from(u % 20),
                _ => 60 + i64::from((u * 7 + e as u32 * 3) % 40) - i64::from(year == 2024) * 5,
            };
            (id.clone(), FigureValue::Number(v.into()))
        })
        .collect()
}

/// A national year in memory, run to published results in every cluster.
fn national_year() -> State {
    let text = thidua_scoring::canonical_form(include_str!(
        "../../../examples/cum12-2024/regulation.toml"
    ))
    .unwrap();
    let sha = hex_of(&text);
    let mut s = State::default();
    let time = |d: u32| {
        NaiveDate::from_ymd_opt(2024, 12, d)
            .unwrap()
            .and_hms_opt(3, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis()
    };
    for i in 0..UNITS {
        run(
            &mut s,
            time(1),
            Command::CreateUnit {
                unit: unit_id(i),
                name: t(&format!("Đơn vị {i:05}")),
                short_code: t(&format!("U{i:05}")),
                kind: UnitKind::ProvincialPolice,
                parent: None,
                established: NaiveDate::from_ymd_opt(2004, 1, 1).unwrap(),
            },
        );
    }
    let movement = MovementId::parse("vanttq-2024").unwrap();
    run(
        &mut s,
        time(1),
        Command::CreateMovement {
            movement: movement.clone(),
            name: t("Vì an ninh Tổ quốc"),
            year: 2024,
            plan_ref: t("84/KH-BCA"),
            slogan: None,
            calendar: default_calendar(2024),
        },
    );
    for (k, members) in clusters().into_iter().enumerate() {
        let cluster = ClusterId::parse(&format!("cum-{k}")).unwrap();
        let cov = CovenantId::parse(&format!("gu-{k}")).unwrap();
        run(
            &mut s,
            time(1),
            Command::CreateCluster {
                cluster: cluster.clone(),
                name: t(&format!("Cụm {k}")),
            },
        );
        run(
            &mut s,
            time(1),
            Command::SetClusterYear {
                cluster: cluster.clone(),
                year: 2024,
                members: members.clone(),
            },
        );
        run(
            &mut s,
            time(1),
            Command::DraftCovenant {
                covenant: cov.clone(),
                movement: movement.clone(),
                cluster,
                content: CovenantContent {
                    title: t("Giao ước (thử tải)"),
                    place: t("Hà Nội"),
                    signing_date: NaiveDate::from_ymd_opt(2024, 3, 26).unwrap(),
                    targets: vec![Target {
                        id: TargetId::parse("toi-pham").unwrap(),
                        area: t("Phòng, chống tội phạm"),
                        kind: TargetKind::Change,
                        subject: t("Kéo giảm tội phạm về trật tự xã hội"),
                        comparison: Comparison::AtLeast,
                        threshold: Some("5".parse().unwrap()),
                        range: None,
                        baseline_year: Some(2023),
                        unit_of_measure: Some(t("% giảm")),
                        indicator: None,
                    }],
                    regulation: RegulationDoc {
                        text: text.clone(),
                        sha256: sha.clone(),
                    },
                },
            },
        );
        let hash = s.covenants[&cov].latest().hash.clone();
        for u in &members {
            run(
                &mut s,
                time(1),
                Command::SignCovenant {
                    covenant: cov.clone(),
                    version: 1,
                    unit: u.clone(),
                    hash: hash.clone(),
                },
            );
        }
        let form: Vec<String> = s
            .reporting_form(&cov)
            .unwrap()
            .elements
            .iter()
            .filter(|e| e.missing.is_none())
            .map(|e| e.id.clone())
            .collect();
        let n = |u: &UnitId| u.as_str()[1..].parse::<u32>().unwrap();
        run(
            &mut s,
            time(1),
            Command::ImportHistoricalFigures {
                covenant: cov.clone(),
                file_name: t("2023.csv"),
                sha256: "ab".repeat(32),
                reports: members
                    .iter()
                    .flat_map(|u| {
                        months().into_iter().map(|window| HistoricalReport {
                            unit: u.clone(),
                            year: 2023,
                            window,
                            values: figures(&form, n(u), 2023),
                        })
                    })
                    .collect(),
            },
        );
        for u in &members {
            approve_year(&mut s, &cov, u, &figures(&form, n(u), 2024));
        }
        year_end(&mut s, &cov, &members, time(2));
    }
    s
}

/// Every reported window of the movement's calendar (the months; the year and its parts are
/// sums of them), each unit's saved, submitted and approved through the real commands, on the
/// last window's cut-off (14/12, 10:00 in Vietnam: a report waits for its window's end).
fn approve_year(s: &mut State, cov: &CovenantId, unit: &UnitId, values: &FigureMap) {
    let at = NaiveDate::from_ymd_opt(2024, 12, 14)
        .unwrap()
        .and_hms_opt(3, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    for window in months() {
        for command in report_approved(cov, unit, &window, values.clone()) {
            run(s, at, command);
        }
    }
}

/// The keys of the reported windows of the 2024 calendar.
fn months() -> Vec<String> {
    let calendar = default_calendar(2024);
    Calendar::new(&calendar)
        .reported()
        .iter()
        .map(|r| r.key().to_owned())
        .collect()
}

fn year_end(s: &mut State, cov: &CovenantId, members: &[UnitId], time: i64) {
    let ye = |c| Command::YearEnd(c);
    let day = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap();
    run(
        s,
        time,
        ye(YearEndCommand::Open {
            covenant: cov.clone(),
            dossier_deadline: day,
            commit_deadline: day,
            reveal_deadline: None,
            response_deadline: day,
            inspectors: 1,
            record_sample: 0,
            acknowledge_missing_figures: true,
        }),
    );
    for (i, u) in members.iter().enumerate() {
        let entry = |x: &str| DossierEntry {
            score: Points(x.parse().unwrap()),
            justification: t("Giải trình (thử tải)"),
            evidence: vec![],
        };
        let entries = [
            ("C2a".to_owned(), entry(["6", "7", "7.5", "8"][i % 4])),
            ("C2b".to_owned(), entry("3")),
        ]
        .into_iter()
        .collect();
        run(
            s,
            time,
            ye(YearEndCommand::SaveDossier {
                covenant: cov.clone(),
                unit: u.clone(),
                entries,
            }),
        );
        run(
            s,
            time,
            ye(YearEndCommand::SubmitDossier {
                covenant: cov.clone(),
                unit: u.clone(),
                revision: 1,
            }),
        );
        run(
            s,
            time,
            ye(YearEndCommand::CommitSeed {
                covenant: cov.clone(),
                unit: u.clone(),
                commitment: commitment(cov.as_str(), u, &hex_of(u.as_str())),
            }),
        );
    }
    for u in members {
        run(
            s,
            time,
            ye(YearEndCommand::RevealSeed {
                covenant: cov.clone(),
                unit: u.clone(),
                value: hex_of(u.as_str()),
            }),
        );
    }
    run(
        s,
        time,
        ye(YearEndCommand::DrawAssignment {
            covenant: cov.clone(),
        }),
    );
    for p in s.review(cov).unwrap().pairs() {
        run(
            s,
            time,
            ye(YearEndCommand::SubmitFinding {
                covenant: cov.clone(),
                inspector: p.inspector,
                inspected: p.inspected,
                items: BTreeMap::new(),
                recheck: None,
            }),
        );
    }
    run(
        s,
        time,
        ye(YearEndCommand::Lock {
            covenant: cov.clone(),
            confirm: true,
        }),
    );
    run(
        s,
        time,
        ye(YearEndCommand::PublishResults {
            covenant: cov.clone(),
            confirm: true,
        }),
    );
}

fn bench_results(c: &mut Criterion) {
    let started = std::time::Instant::now();
    let state = national_year();
    eprintln!(
        "national year built in memory: {} events, {} reviews, {:.1} s",
        state.size,
        state.yearend.reviews.len(),
        started.elapsed().as_secs_f64()
    );
    let mut group = c.benchmark_group("results");
    group.sample_size(10);
    group.bench_function("national-year", |b| {
        b.iter(|| {
            let mut units = 0;
            for review in state.yearend.reviews.values() {
                let again = score::results(&state, review).unwrap();
                assert_eq!(
                    Some(&again),
                    review.published.as_ref().map(|(p, _)| &p.results)
                );
                units += again.len();
            }
            assert_eq!(units, UNITS as usize);
        })
    });
    group.finish();
}

fn bench_beacon(c: &mut Criterion) {
    use thidua_domain::yearend::beacon::QUICKNET;
    let signature = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
    c.bench_function("beacon/verify", |b| {
        b.iter(|| QUICKNET.verify(1000, signature).unwrap())
    });
}

criterion_group!(benches, bench_assign, bench_results, bench_beacon);
criterion_main!(benches);
