//! Samples of the year-end kinds (format 1; `year_end_opened` in format 3), pinned with the
//! others in `golden/events.txt`.

use std::collections::BTreeMap;

use super::*;
use thidua_domain::yearend::*;

fn p(s: &str) -> Points {
    Points(s.parse().unwrap())
}

fn ye(e: YearEndEvent) -> Payload {
    Payload::YearEnd(e)
}

pub fn samples() -> Vec<(Actor, Payload)> {
    let secretariat = Actor::User(UserId::parse("thuky").unwrap());
    let leader = Actor::User(UserId::parse("lanhdao.kg").unwrap());
    let officer = Actor::User(UserId::parse("canbo.ag").unwrap());
    let hex = |c: char| c.to_string().repeat(64);
    vec![
        (
            secretariat.clone(),
            ye(YearEndEvent::YearEndOpened(YearEndOpened {
                covenant: cov(),
                dossier_deadline: NaiveDate::from_ymd_opt(2024, 12, 20).unwrap(),
                commit_deadline: NaiveDate::from_ymd_opt(2024, 12, 22).unwrap(),
                reveal_deadline: Some(NaiveDate::from_ymd_opt(2024, 12, 27).unwrap()),
                response_deadline: NaiveDate::from_ymd_opt(2025, 1, 5).unwrap(),
                inspectors: 1,
                record_sample: 20,
                last_year_by_lineage: true,
            })),
        ),
        (
            officer.clone(),
            ye(YearEndEvent::DossierSaved(DossierSaved {
                covenant: cov(),
                unit: u("ca-ag"),
                revision: 1,
                entries: BTreeMap::from([(
                    "C2a".to_owned(),
                    DossierEntry {
                        score: p("7.5"),
                        justification: t("Hoàn thành ba giải pháp đột phá"),
                        evidence: vec![Evidence {
                            sha256: hex('a'),
                            name: t("Báo cáo tổng kết.pdf"),
                            media_type: "application/pdf".into(),
                            size: 182_044,
                        }],
                    },
                )]),
            })),
        ),
        (
            leader.clone(),
            ye(YearEndEvent::DossierSubmitted(DossierSubmitted {
                covenant: cov(),
                unit: u("ca-kg"),
                revision: 2,
                entries: BTreeMap::from([(
                    "C2b".to_owned(),
                    DossierEntry {
                        score: p("3.5"),
                        justification: t("Đảng bộ trong sạch, vững mạnh"),
                        evidence: vec![],
                    },
                )]),
            })),
        ),
        (
            leader.clone(),
            ye(YearEndEvent::ConflictDeclared(ConflictDeclared {
                covenant: cov(),
                unit: u("ca-kg"),
                other: u("ca-ag"),
                reason: t("Giám đốc hai đơn vị là anh em ruột"),
            })),
        ),
        (
            leader.clone(),
            ye(YearEndEvent::SeedCommitted(SeedCommitted {
                covenant: cov(),
                unit: u("ca-kg"),
                commitment: hex('b'),
            })),
        ),
        (
            leader.clone(),
            ye(YearEndEvent::SeedRevealed(SeedRevealed {
                covenant: cov(),
                unit: u("ca-kg"),
                value: hex('c'),
            })),
        ),
        (
            secretariat.clone(),
            ye(YearEndEvent::AssignmentDrawn(AssignmentDrawn {
                covenant: cov(),
                seed: hex('d'),
                missing: vec![u("ca-hg")],
                order: vec![u("ca-kg"), u("ca-hg"), u("ca-ag")],
                redraws: 3,
                relaxed: vec!["reverse_of_last_year".into()],
                searched: false,
                infeasible: None,
            })),
        ),
        (
            secretariat.clone(),
            ye(YearEndEvent::AssignmentDecided(AssignmentDecided {
                covenant: cov(),
                pairs: vec![Pair {
                    inspector: u("ca-ag"),
                    inspected: u("ca-kg"),
                }],
                reason: t("Quyết định của Hội đồng cụm"),
                acknowledged: vec![],
            })),
        ),
        (
            leader.clone(),
            ye(YearEndEvent::RecordsDeclared(RecordsDeclared {
                covenant: cov(),
                unit: u("ca-kg"),
                population: 480,
                description: t("Hồ sơ tin báo năm 2024"),
            })),
        ),
        (
            Actor::User(UserId::parse("lanhdao.ag").unwrap()),
            ye(YearEndEvent::FindingSubmitted(FindingSubmitted {
                covenant: cov(),
                inspector: u("ca-ag"),
                inspected: u("ca-kg"),
                items: BTreeMap::from([(
                    "C2a".to_owned(),
                    FindingItem {
                        verdict: Verdict::Propose,
                        score: Some(p("7")),
                        reason: Some(t("Giải pháp thứ ba chưa xong")),
                    },
                )]),
                recheck: Some(Recheck {
                    checked: 20,
                    correct: 19,
                }),
            })),
        ),
        (
            leader.clone(),
            ye(YearEndEvent::ResponseSubmitted(ResponseSubmitted {
                covenant: cov(),
                unit: u("ca-kg"),
                answers: BTreeMap::from([(
                    "C2a".to_owned(),
                    Answer {
                        accept: false,
                        text: t("Đã xong ngày 10/12"),
                    },
                )]),
            })),
        ),
        (
            secretariat.clone(),
            ye(YearEndEvent::DisputeResolved(DisputeResolved {
                covenant: cov(),
                unit: u("ca-kg"),
                criterion: "C2a".into(),
                score: Some(p("7.5")),
                reason: t("Hội đồng cụm thống nhất"),
            })),
        ),
        (
            secretariat.clone(),
            ye(YearEndEvent::EligibilityRecorded(EligibilityRecorded {
                covenant: cov(),
                unit: u("ca-hg"),
                discipline_pending: true,
                note: t("Đang xem xét kỷ luật"),
            })),
        ),
        (
            secretariat.clone(),
            ye(YearEndEvent::YearEndLocked(YearEndLocked {
                covenant: cov(),
            })),
        ),
        (
            leader.clone(),
            ye(YearEndEvent::CutoffTieDecided(CutoffTieDecided {
                covenant: cov(),
                band: "xuat_sac".into(),
                units: vec![u("ca-kg")],
                reason: t("Cụm trưởng quyết định theo biên bản họp cụm"),
            })),
        ),
        (
            secretariat,
            ye(YearEndEvent::ResultsPublished(ResultsPublished {
                covenant: cov(),
                regulation: hex('e'),
                results: vec![PublishedResult {
                    unit: u("ca-kg"),
                    self_total: Some(p("86.5")),
                    final_total: Some(p("86")),
                    rank: Some(1),
                    band: Some("tot".into()),
                    eligible: true,
                }],
            })),
        ),
    ]
}

/// The beacon kinds (added after the mid-year review's).
pub fn beacon_samples() -> Vec<(Actor, Payload)> {
    let secretariat = Actor::User(UserId::parse("thuky").unwrap());
    vec![
        (
            secretariat.clone(),
            ye(YearEndEvent::BeaconPinned(BeaconPinned {
                covenant: cov(),
                chain: beacon::QUICKNET.chain.into(),
                round: 1000,
            })),
        ),
        (
            secretariat,
            ye(YearEndEvent::BeaconRecorded(BeaconRecorded {
                covenant: cov(),
                round: 1000,
                signature: "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39".into(),
            })),
        ),
    ]
}

/// The secretariat moving a deadline (added after the integrity flags' explanations).
pub fn deadline_sample() -> (Actor, Payload) {
    (
        Actor::User(UserId::parse("thuky").unwrap()),
        ye(YearEndEvent::DeadlineMoved(DeadlineMoved {
            covenant: cov(),
            step: Step::Dossier,
            deadline: chrono::NaiveDate::from_ymd_opt(2024, 12, 27).unwrap(),
            reason: t("Hai đơn vị đề nghị thêm thời gian do mưa lũ"),
        })),
    )
}
