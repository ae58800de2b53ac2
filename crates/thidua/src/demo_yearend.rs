//! The demonstration's 2024 year-end of Cluster No. 12, run through the real commands after the
//! year of figures (`demo_figures`): the rest of the year's figures approved, each unit's
//! INVENTED dossier (self-scores of the manual criteria from the example data, justifications;
//! Kiên Giang attaches the cluster's mid-year review workbook to its criterion C2a as evidence),
//! Kiên Giang's declared case files, one declared conflict of interest, seeds committed and
//! revealed, the draw, the findings (Kiên Giang's inspector proposes a lower score and re-checks
//! its case files), Kiên Giang's answer, the council's decision, Bạc Liêu's pending discipline
//! record, the lock and the published results. The demonstration's seed secrets are fixed
//! (derived from a phrase), so the draw is the same on every load; a real leader uses 32 random
//! bytes. The deadlines are set from the loading day (the events carry the server's clock).

use std::collections::BTreeMap;

use chrono::Duration;
use sha2::{Digest, Sha256};
use thidua_domain::figures::local_date;
use thidua_domain::yearend::draw::commitment;
use thidua_domain::yearend::{
    Answer, DossierEntry, FindingItem, Points, Recheck, Verdict, YearEndCommand,
};
use thidua_domain::{Actor, Command, CovenantId, Text, UnitId, UserId};
use thidua_service::Service;

use crate::demo::{COVENANT, MEMBERS_2024};
use crate::demo_figures::{report_month, DATA};

fn t(s: &str) -> Text {
    Text::parse("demo", s, 2000).expect("demo text is valid")
}

fn user(s: &str) -> Actor {
    Actor::User(UserId::parse(s).expect("demo id"))
}

fn ye(c: YearEndCommand) -> Command {
    Command::YearEnd(c)
}

fn code_of(unit: &UnitId) -> String {
    unit.as_str()[3..].to_owned()
}

fn officer(unit: &UnitId) -> Actor {
    user(&format!("canbo.{}", code_of(unit)))
}

fn leader(unit: &UnitId) -> Actor {
    user(&format!("lanhdao.{}", code_of(unit)))
}

/// Records re-checked per inspected unit in the demonstration.
pub const RECORD_SAMPLE: u32 = 20;

/// The fixed demonstration secret of a unit (INVENTED; a real leader uses random bytes).
pub fn demo_secret(unit: &UnitId) -> String {
    hex::encode(Sha256::digest(format!(
        "bí mật minh hoạ tổng kết 2024 {unit}"
    )))
}

/// A unit's self-scores of the manual criteria, from the example data (`@manual:ID`).
fn self_scores(code: &str) -> BTreeMap<String, String> {
    DATA.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix(&format!("{code},@manual:"))?;
            let mut parts = rest.split(',');
            let criterion = parts.next()?.to_owned();
            let _period = parts.next()?;
            Some((criterion, parts.next()?.to_owned()))
        })
        .collect()
}

fn justification(criterion: &str) -> &'static str {
    match criterion {
        "C2a" => "Đã triển khai ba giải pháp đột phá theo kế hoạch của Bộ; có báo cáo sơ kết 6 tháng và tổng kết năm (giả định, minh hoạ).",
        _ => "Đảng bộ được xếp loại hoàn thành tốt nhiệm vụ; đơn vị không có tổ chức Đảng yếu kém (giả định, minh hoạ).",
    }
}

/// The cluster's mid-year review workbook as the unit's officer downloads it, stored as an
/// evidence file (content-addressed, its type read from its bytes as an upload's is).
fn midyear_workbook(
    service: &Service,
    covenant: &CovenantId,
    unit: &UnitId,
) -> anyhow::Result<thidua_domain::yearend::Evidence> {
    let state = service.read();
    let Actor::User(id) = officer(unit) else {
        unreachable!("an officer is a user")
    };
    let roles = state.users.get(&id).map(|u| u.roles.clone());
    let scope = thidua_web::authz::Scope::new(id, roles.unwrap_or_default());
    let bytes = thidua_web::api::midyear::xlsx(&state, &scope, covenant)
        .map_err(|e| anyhow::anyhow!("the mid-year workbook: {}", e.message))?;
    let media_type = thidua_domain::yearend::evidence::check(&bytes)?;
    let sha256 = hex::encode(service.store().put_blob(&bytes)?);
    Ok(thidua_domain::yearend::Evidence {
        sha256,
        name: t(&format!("so-ket-6-thang-{covenant}.xlsx")),
        media_type: media_type.to_owned(),
        size: bytes.len() as u64,
    })
}

/// Completes the year's figures: every month of 2024 approved by each unit's leader.
fn complete_figures(service: &Service) -> anyhow::Result<()> {
    let cov = CovenantId::parse(COVENANT)?;
    for (id, _, code) in MEMBERS_2024 {
        let unit = UnitId::parse(id)?;
        for month in 10..=12u32 {
            let window = format!("M{month:02}");
            let status = service
                .read()
                .figures
                .report(&unit, 2024, &window)
                .map(|r| (r.status, r.revision));
            use thidua_domain::figures::ReportStatus as S;
            let revision = match status {
                Some((S::Submitted, rev)) => rev,
                Some((S::Draft, rev)) => {
                    service.execute(
                        &officer(&unit),
                        Command::SubmitFigures {
                            covenant: cov.clone(),
                            unit: unit.clone(),
                            window: window.clone(),
                            revision: rev,
                        },
                    )?;
                    rev
                }
                Some((_, _)) => continue,
                None => {
                    report_month(service, code, month, true)?;
                    1
                }
            };
            service.execute(
                &leader(&unit),
                Command::ApproveFigures {
                    covenant: cov.clone(),
                    unit: unit.clone(),
                    window,
                    revision,
                },
            )?;
        }
    }
    Ok(())
}

/// Runs the 2024 year-end of Cluster 12 to its published results.
pub fn load(service: &Service) -> anyhow::Result<()> {
    complete_figures(service)?;
    let cov = CovenantId::parse(COVENANT)?;
    let secretariat = user("thuky.cum12");
    open(service, &secretariat, &cov)?;
    let members: Vec<UnitId> = MEMBERS_2024
        .iter()
        .map(|(id, _, _)| UnitId::parse(id))
        .collect::<Result<_, _>>()?;
    submit_dossiers(service, &cov, &members)?;
    let kg = UnitId::parse("ca-kg")?;
    declare(service, &cov, &kg)?;
    commit_reveal_draw(service, &secretariat, &cov, &members)?;
    inspect(service, &cov, &kg)?;
    answer_and_resolve(service, &secretariat, &cov, &kg)?;
    lock_and_publish(service, &secretariat, &cov)
}

/// The secretariat opens the review from the loading day: a week for the dossiers and the
/// seeds, three for the answers, one inspector per unit.
fn open(service: &Service, secretariat: &Actor, cov: &CovenantId) -> anyhow::Result<()> {
    let today = local_date(service.now_ms());
    service.execute(
        secretariat,
        ye(YearEndCommand::Open {
            covenant: cov.clone(),
            dossier_deadline: today + Duration::days(7),
            commit_deadline: today + Duration::days(7),
            reveal_deadline: None,
            response_deadline: today + Duration::days(21),
            inspectors: 1,
            record_sample: RECORD_SAMPLE,
            acknowledge_missing_figures: false,
        }),
    )?;
    Ok(())
}

/// Each member's officer saves its self-scores (Kiên Giang's C2a with the mid-year workbook as
/// evidence) and its leader submits the dossier.
fn submit_dossiers(service: &Service, cov: &CovenantId, members: &[UnitId]) -> anyhow::Result<()> {
    for (unit, (_, _, code)) in members.iter().zip(MEMBERS_2024) {
        let mut entries: BTreeMap<String, DossierEntry> = self_scores(code)
            .into_iter()
            .map(|(c, score)| {
                let entry = DossierEntry {
                    score: Points(score.parse().expect("example scores are decimals")),
                    justification: t(justification(&c)),
                    evidence: vec![],
                };
                (c, entry)
            })
            .collect();
        if unit.as_str() == "ca-kg" {
            if let Some(entry) = entries.get_mut("C2a") {
                entry.evidence.push(midyear_workbook(service, cov, unit)?);
            }
        }
        service.execute(
            &officer(unit),
            ye(YearEndCommand::SaveDossier {
                covenant: cov.clone(),
                unit: unit.clone(),
                entries,
            }),
        )?;
        service.execute(
            &leader(unit),
            ye(YearEndCommand::SubmitDossier {
                covenant: cov.clone(),
                unit: unit.clone(),
                revision: 1,
            }),
        )?;
    }
    Ok(())
}

/// Kiên Giang declares its case files for the record re-check; Hậu Giang declares a conflict
/// of interest with Cà Mau (invented, said so).
fn declare(service: &Service, cov: &CovenantId, kg: &UnitId) -> anyhow::Result<()> {
    service.execute(
        &leader(kg),
        ye(YearEndCommand::DeclareRecords {
            covenant: cov.clone(),
            unit: kg.clone(),
            population: 480,
            description: t("Hồ sơ tin báo, tố giác về tội phạm năm 2024, đánh số 1…480 (giả định)"),
        }),
    )?;
    let (hg, cm) = (UnitId::parse("ca-hg")?, UnitId::parse("ca-cm")?);
    service.execute(
        &leader(&hg),
        ye(YearEndCommand::DeclareConflict {
            covenant: cov.clone(),
            unit: hg.clone(),
            other: cm,
            reason: t("Phó Giám đốc hai đơn vị là vợ chồng (giả định, minh hoạ)"),
        }),
    )?;
    Ok(())
}

/// Every leader commits to its (fixed, demonstration) secret, then reveals it; the secretariat
/// draws.
fn commit_reveal_draw(
    service: &Service,
    secretariat: &Actor,
    cov: &CovenantId,
    members: &[UnitId],
) -> anyhow::Result<()> {
    for unit in members {
        let value = demo_secret(unit);
        let commitment = commitment(COVENANT, unit, &value);
        service.execute(
            &leader(unit),
            ye(YearEndCommand::CommitSeed {
                covenant: cov.clone(),
                unit: unit.clone(),
                commitment,
            }),
        )?;
    }
    for unit in members {
        service.execute(
            &leader(unit),
            ye(YearEndCommand::RevealSeed {
                covenant: cov.clone(),
                unit: unit.clone(),
                value: demo_secret(unit),
            }),
        )?;
    }
    service.execute(
        secretariat,
        ye(YearEndCommand::DrawAssignment {
            covenant: cov.clone(),
        }),
    )?;
    Ok(())
}

/// Kiên Giang answers its disputed criterion; the council resolves it; Bạc Liêu's pending
/// discipline record is recorded.
fn answer_and_resolve(
    service: &Service,
    secretariat: &Actor,
    cov: &CovenantId,
    kg: &UnitId,
) -> anyhow::Result<()> {
    service.execute(
        &leader(kg),
        ye(YearEndCommand::SubmitResponse {
            covenant: cov.clone(),
            unit: kg.clone(),
            answers: BTreeMap::from([(
                "C2a".to_owned(),
                Answer {
                    accept: false,
                    text: t("Giải pháp thứ ba (chuyển đổi số hồ sơ) đã hoàn thành ngày 10/12/2024, có biên bản nghiệm thu kèm theo (giả định)."),
                },
            )]),
        }),
    )?;
    service.execute(
        secretariat,
        ye(YearEndCommand::ResolveDispute {
            covenant: cov.clone(),
            unit: kg.clone(),
            criterion: "C2a".into(),
            score: Some(Points("7".parse()?)),
            reason: t("Hội đồng cụm họp, biểu quyết: giải pháp thứ ba hoàn thành muộn so với kế hoạch, chấm 7/8 điểm (giả định)."),
        }),
    )?;
    service.execute(
        secretariat,
        ye(YearEndCommand::RecordEligibility {
            covenant: cov.clone(),
            unit: UnitId::parse("ca-bl")?,
            discipline_pending: true,
            note: t("Một cán bộ đang bị xem xét kỷ luật (giả định, minh hoạ)"),
        }),
    )?;
    Ok(())
}

/// The secretariat locks the year's scores and publishes the results.
fn lock_and_publish(
    service: &Service,
    secretariat: &Actor,
    cov: &CovenantId,
) -> anyhow::Result<()> {
    service.execute(
        secretariat,
        ye(YearEndCommand::Lock {
            covenant: cov.clone(),
            confirm: true,
        }),
    )?;
    service.execute(
        secretariat,
        ye(YearEndCommand::PublishResults {
            covenant: cov.clone(),
            confirm: true,
        }),
    )?;
    Ok(())
}

/// Every inspecting unit's leader submits its findings; Kiên Giang's proposes a lower score for C2a and
/// re-checks the drawn case files.
fn inspect(service: &Service, cov: &CovenantId, kg: &UnitId) -> anyhow::Result<()> {
    let pairs = service.read().review(cov)?.pairs();
    for p in pairs {
        let (items, recheck) = if &p.inspected == kg {
            let item = FindingItem {
                verdict: Verdict::Propose,
                score: Some(Points("6.5".parse()?)),
                reason: Some(t(
                    "Giải pháp thứ ba chưa hoàn thành đúng hạn theo kế hoạch (giả định)",
                )),
            };
            (
                BTreeMap::from([("C2a".to_owned(), item)]),
                Some(Recheck {
                    checked: RECORD_SAMPLE,
                    correct: 19,
                }),
            )
        } else {
            (BTreeMap::new(), None)
        };
        service.execute(
            &leader(&p.inspector),
            ye(YearEndCommand::SubmitFinding {
                covenant: cov.clone(),
                inspector: p.inspector,
                inspected: p.inspected,
                items,
                recheck,
            }),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use thidua_domain::yearend::YearEndEvent;
    use thidua_domain::{Event, Payload, State};
    use thidua_web::authz::Scope;

    fn loaded() -> (tempfile::TempDir, Vec<Event>) {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Arc::new(thidua_store_sqlite::SqliteStore::open(&dir.path().join("t.db")).unwrap());
        let key =
            thidua_service::LogKey::load_or_create(&dir.path().join("k"), "demo.test/log").unwrap();
        let service = thidua_service::Service::open(store.clone(), key, &|_, _| {}).unwrap();
        let _trustees = crate::demo::load(&service, &*store).unwrap();
        let size = service.read().size;
        let events = service
            .store()
            .entries(0, size)
            .unwrap()
            .iter()
            .map(|e| Event::decode(e.index, &e.bytes).unwrap())
            .collect();
        (dir, events)
    }

    fn state_of(events: &[Event]) -> State {
        let mut s = State::default();
        for e in events {
            s.apply(e).unwrap();
        }
        s
    }

    /// The demonstration's year-end is published and recomputes identically from the log.
    #[test]
    fn the_demonstration_year_end_is_published_and_recomputes() {
        let (_dir, events) = loaded();
        let audit = thidua_domain::yearend::audit::audit(&events).unwrap();
        assert_eq!((audit.draws.len(), audit.publications.len()), (1, 1));
        assert!(audit.differences.is_empty(), "{:?}", audit.differences);
        let state = state_of(&events);
        let cov = thidua_domain::CovenantId::parse(crate::demo::COVENANT).unwrap();
        let review = state.review(&cov).unwrap();
        let (published, _) = review.published.clone().unwrap();
        assert_eq!(published.results.len(), 5);
        assert!(published
            .results
            .iter()
            .all(|r| r.final_total.is_some() && r.rank.is_some()));
        let kg = thidua_domain::UnitId::parse("ca-kg").unwrap();
        assert_eq!(review.final_scores(&kg)["C2a"], "7".parse().unwrap());
    }

    /// Before the lock, each member reads (and replays) the year-end events its role allows:
    /// the draw's inputs, and a dossier only as its unit or its assigned inspector. (Figures
    /// events are left out of this replay: their own rules are the figures stage's.)
    #[test]
    fn members_read_the_year_end_their_roles_allow_and_replay_it() {
        let (_dir, events) = loaded();
        let lock = events
            .iter()
            .position(|e| matches!(e.payload, Payload::YearEnd(YearEndEvent::YearEndLocked(_))))
            .unwrap();
        let prefix = &events[..lock];
        let state = state_of(prefix);
        let cov = thidua_domain::CovenantId::parse(crate::demo::COVENANT).unwrap();
        let review = state.review(&cov).unwrap().clone();
        let kg = thidua_domain::UnitId::parse("ca-kg").unwrap();
        let kg_inspector = review.inspectors_of(&kg)[0].clone();
        let kg_dossier = prefix
            .iter()
            .find(|e| matches!(&e.payload, Payload::YearEnd(YearEndEvent::DossierSubmitted(d)) if d.unit == kg))
            .unwrap();
        let not_figures = |e: &&Event| {
            !e.payload.kind().starts_with("figures_")
                && !e.payload.kind().starts_with("historical_")
        };
        for account in crate::demo::accounts() {
            let user = thidua_domain::UserId::parse(account.user).unwrap();
            let scope = Scope::new(user.clone(), state.users[&user].roles.clone());
            if scope.is_admin() {
                continue;
            }
            scope
                .replay_readable(&state, prefix.iter().filter(not_figures).cloned())
                .unwrap_or_else(|(i, e)| panic!("{user}: event {i}: {e}"));
            let vis = scope.visibility(&state);
            let own: Vec<_> = scope.own_units().into_iter().cloned().collect();
            let reads = scope.can_view_event_with(&state, &vis, kg_dossier);
            let should = own.is_empty() || own.contains(&kg) || own.contains(&kg_inspector);
            assert_eq!(reads, should, "{user} and Kiên Giang's dossier");
        }
    }
}
