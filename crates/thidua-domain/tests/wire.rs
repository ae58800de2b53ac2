//! The log's byte format: one event of every kind pinned to its exact bytes and leaf hash
//! (`tests/golden/events.txt`, refreshed only with `THIDUA_BLESS=1` and reviewed in the diff),
//! and a log written by the format-1 code (`crates/thidua/tests/data/log-format1.jsonl`) that
//! must decode and replay to the same covenants and hashes for ever.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use thidua_domain::calendar::default_calendar;
use thidua_domain::model::*;
use thidua_domain::*;

fn t(s: &str) -> Text {
    Text::parse("test", s, 500).unwrap()
}
fn u(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}
fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn cov() -> CovenantId {
    CovenantId::parse("gu-2024").unwrap()
}
fn cum() -> ClusterId {
    ClusterId::parse("cum-12").unwrap()
}

fn leaf_hash(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(bytes);
    hex::encode(h.finalize())
}

fn content() -> CovenantContent {
    CovenantContent {
        title: t("Giao ước thi đua năm 2024"),
        place: t("Kiên Giang"),
        signing_date: d(2024, 3, 26),
        targets: vec![
            Target {
                id: TargetId::parse("tam-dinh-chi").unwrap(),
                area: t("Phòng, chống tội phạm"),
                kind: TargetKind::Change,
                subject: t("Giảm số vụ án tạm đình chỉ"),
                comparison: Comparison::Between,
                threshold: None,
                range: Some(("5".parse().unwrap(), "10".parse().unwrap())),
                baseline_year: Some(2023),
                unit_of_measure: Some(t("% giảm")),
                indicator: Some("suspended_change".into()),
            },
            Target {
                id: TargetId::parse("bang-nhom").unwrap(),
                area: t("Bảo đảm trật tự"),
                kind: TargetKind::YesNo,
                subject: t("Không để hình thành băng nhóm “lộng hành”"),
                comparison: Comparison::Holds,
                threshold: None,
                range: None,
                baseline_year: None,
                unit_of_measure: None,
                indicator: None,
            },
        ],
        regulation: RegulationDoc {
            text: "format = 1\nname = \"Quy định\"\n".into(),
            sha256: "ab".repeat(32),
        },
    }
}

/// One payload of every kind, with Vietnamese text, optional values both set and absent.
fn samples() -> Vec<(Actor, Payload)> {
    let admin = Actor::User(UserId::parse("quantri").unwrap());
    let system = Actor::System;
    let mut samples = vec![
        (
            system.clone(),
            Payload::UserRegistered {
                user: UserId::parse("lanhdao.ag").unwrap(),
                display_name: t("Phạm Quốc An"),
                demo: true,
            },
        ),
        (
            admin.clone(),
            Payload::RoleGranted {
                user: UserId::parse("lanhdao.ag").unwrap(),
                role: Role::Leader { unit: u("ca-ag") },
            },
        ),
        (
            admin.clone(),
            Payload::RoleRevoked {
                user: UserId::parse("thuky").unwrap(),
                role: Role::Secretariat { cluster: cum() },
            },
        ),
        (
            system.clone(),
            Payload::UnitCreated {
                unit: u("ca-ag"),
                name: t("Công an tỉnh An Giang"),
                short_code: t("AG"),
                kind: UnitKind::ProvincialPolice,
                parent: Some(u("bo-cong-an")),
                established: d(1976, 2, 20),
            },
        ),
        (
            admin.clone(),
            Payload::UnitRenamed {
                unit: u("ca-p1"),
                name: t("Công an phường Mỹ Bình"),
                short_code: t("MB"),
                effective: d(2025, 7, 1),
                decision: t("QĐ 12/QĐ-BCA"),
            },
        ),
        (
            admin.clone(),
            Payload::LineageRecorded(LineageChange {
                kind: LineageKind::Merge,
                predecessors: vec![u("ca-ag"), u("ca-kg")],
                successors: vec![u("ca-ag")],
                effective: d(2025, 7, 1),
                decision: t("Nghị quyết 202/2025/QH15"),
            }),
        ),
        (
            admin.clone(),
            Payload::ClusterCreated {
                cluster: cum(),
                name: t("Cụm thi đua số 12"),
            },
        ),
        (
            admin.clone(),
            Payload::ClusterYearSet {
                cluster: cum(),
                year: 2025,
                members: vec![u("ca-ag"), u("ca-cm"), u("ca-ct")],
            },
        ),
        (
            admin.clone(),
            Payload::ClusterLeadershipSet {
                cluster: cum(),
                year: 2024,
                position: LeadershipPosition::Deputy,
                unit: u("ca-ag"),
                method: LeadershipMethod::Elected,
                decision: t("Biên bản hội nghị"),
            },
        ),
        (
            admin.clone(),
            Payload::MovementCreated {
                movement: MovementId::parse("vanttq-2024").unwrap(),
                name: t("Vì an ninh Tổ quốc"),
                year: 2024,
                plan_ref: t("84/KH-BCA"),
                slogan: None,
                calendar: default_calendar(2024)[..2].to_vec(),
            },
        ),
        (
            admin.clone(),
            Payload::CovenantDrafted {
                covenant: cov(),
                movement: MovementId::parse("vanttq-2024").unwrap(),
                cluster: cum(),
                version: 1,
                content: content(),
            },
        ),
        (
            admin.clone(),
            Payload::CovenantDraftAmended {
                covenant: cov(),
                version: 1,
                content: content(),
            },
        ),
        (
            admin.clone(),
            Payload::CovenantDraftWithdrawn {
                covenant: cov(),
                version: 2,
                reason: t("Soạn nhầm năm; thay bằng bản mới"),
            },
        ),
        (
            admin.clone(),
            Payload::CovenantSigned {
                covenant: cov(),
                version: 1,
                unit: u("ca-ag"),
                hash: "cd".repeat(32),
            },
        ),
        (
            admin.clone(),
            Payload::CovenantFrozen {
                covenant: cov(),
                version: 1,
                hash: "cd".repeat(32),
            },
        ),
        (
            admin.clone(),
            Payload::WitnessKeyRegistered {
                unit: u("ca-ag"),
                key: "ca-ag.witness+0a1b2c3d+BAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH".into(),
            },
        ),
        // Kinds added later go at the end, so that the lines above never move.
        (
            admin.clone(),
            Payload::WitnessPolicySet {
                witnesses: vec![u("ca-ag"), u("ca-kg"), u("ca-hg")],
                quorum: 2,
            },
        ),
        (
            Actor::User(UserId::parse("canbo.ag").unwrap()),
            Payload::FiguresSaved {
                covenant: cov(),
                unit: u("ca-ag"),
                window: "M01".into(),
                revision: 2,
                values: [
                    (
                        "crimes".to_owned(),
                        figures::FigureValue::Number("85".parse().unwrap()),
                    ),
                    (
                        "assets_due".to_owned(),
                        figures::FigureValue::Number("12.5".parse().unwrap()),
                    ),
                    ("gov_flag".to_owned(), figures::FigureValue::NotApplicable),
                ]
                .into_iter()
                .collect(),
                comments: [("crimes".to_owned(), t("Gồm 3 vụ chuyển từ tháng trước"))]
                    .into_iter()
                    .collect(),
            },
        ),
        (
            Actor::User(UserId::parse("canbo.ag").unwrap()),
            Payload::FiguresSubmitted {
                covenant: cov(),
                unit: u("ca-ag"),
                window: "M01".into(),
                revision: 2,
            },
        ),
        (
            Actor::User(UserId::parse("lanhdao.ag").unwrap()),
            Payload::FiguresApproved {
                covenant: cov(),
                unit: u("ca-ag"),
                window: "M01".into(),
                revision: 2,
            },
        ),
        (
            Actor::User(UserId::parse("lanhdao.ag").unwrap()),
            Payload::FiguresReopened {
                covenant: cov(),
                unit: u("ca-ag"),
                window: "M01".into(),
                reason: t("Sai số vụ tạm đình chỉ, cần sửa"),
            },
        ),
        (
            admin.clone(),
            Payload::FiguresDeadlineSet {
                covenant: cov(),
                window: "M02".into(),
                deadline: d(2024, 2, 19),
            },
        ),
        (
            admin.clone(),
            Payload::FiguresRulesSet {
                covenant: cov(),
                rules: vec![figures::ValidationRule {
                    id: "resolved_le_received".into(),
                    name: t("Tin đã giải quyết không vượt quá tin đã tiếp nhận"),
                    check: "reports_resolved <= reports_received".into(),
                    severity: figures::Severity::Error,
                }],
            },
        ),
        (
            admin.clone(),
            Payload::HistoricalImportRecorded {
                covenant: cov(),
                file_name: t("so-lieu-2023.csv"),
                sha256: "ef".repeat(32),
                reports: 60,
            },
        ),
        (
            admin.clone(),
            Payload::HistoricalFiguresRecorded {
                covenant: cov(),
                import: 1021,
                unit: u("ca-kg"),
                year: 2023,
                window: "M12".into(),
                values: [(
                    "crimes".to_owned(),
                    figures::FigureValue::Number("92".parse().unwrap()),
                )]
                .into_iter()
                .collect(),
            },
        ),
        (
            admin.clone(),
            Payload::DocumentIssued {
                cluster: cum(),
                year: 2024,
                kind: thidua_domain::documents::DocumentKind::Results,
                date: d(2024, 12, 20),
                number: Some(1),
                symbol: Some(t("BC-CTĐ12")),
                title: t("Kết quả chấm điểm thi đua năm 2024"),
                sha256: "ef".repeat(32),
                subject: Some(t("results:gu-2024")),
            },
        ),
    ];
    samples.extend(vote_samples(&admin));
    // Kinds added later go last, so the pinned bytes of every earlier sample keep their index.
    samples.push((
        admin.clone(),
        Payload::Vote(thidua_domain::votes::VoteEvent::PaperCountWithdrawn {
            election: ElectionId::parse("co-bo-2024").unwrap(),
            round: 2,
            reason: t("Nhập nhầm số phiếu đồng ý; các thành viên chưa xác nhận"),
        }),
    ));
    samples.extend(yearend::beacon_samples());
    samples.push(explanation_sample());
    samples.push(yearend::deadline_sample());
    samples.push((
        admin.clone(),
        Payload::Vote(thidua_domain::votes::VoteEvent::ElectronicCountAbandoned {
            election: ElectionId::parse("co-bo-2024").unwrap(),
            round: 1,
            reason: t("Hai đơn vị giữ khoá mất tệp khoá: không đủ 2 phần giải mã; hội nghị bỏ phiếu lại bằng phiếu giấy"),
        }),
    ));
    samples.push(holidays_sample());
    samples.push((
        admin.clone(),
        Payload::Vote(thidua_domain::votes::VoteEvent::ElectionCancelled {
            election: ElectionId::parse("co-bo-2024").unwrap(),
            reason: t("Mở nhầm số đơn vị được chọn (2 thay vì 1); mở lại cuộc bỏ phiếu"),
        }),
    ));
    samples.push((
        admin.clone(),
        Payload::Vote(thidua_domain::votes::VoteEvent::ElectionConcluded {
            election: ElectionId::parse("co-bo-2024").unwrap(),
            reason: t("Hội đồng cụm quyết định không bỏ phiếu vòng 2"),
        }),
    ));
    samples.push((
        admin.clone(),
        Payload::LineageWithdrawn(thidua_domain::lineage::LineageWithdrawn {
            index: 5,
            change: LineageChange {
                kind: LineageKind::Merge,
                predecessors: vec![u("ca-ag"), u("ca-kg")],
                successors: vec![u("ca-ag")],
                effective: d(2025, 7, 1),
                decision: t("Nghị quyết 202/2025/QH15"),
            },
            reason: t("Ghi nhầm: Nghị quyết quy định sáp nhập từ ngày 01/07/2025, ghi lại theo đúng quyết định"),
        }),
    ));
    samples.push((
        admin.clone(),
        Payload::PasswordReset {
            user: UserId::parse("lanhdao.ag").unwrap(),
        },
    ));
    samples
}

/// One event of every vote kind, the cryptography made from a fixed seed (deterministic).
fn vote_samples(admin: &Actor) -> Vec<(Actor, Payload)> {
    use thidua_ballot::*;
    use thidua_domain::votes::*;
    let el = ElectionId::parse("co-bo-2024").unwrap();
    let mut rng = rng_from_seed([42; 32]);
    let params = TrusteeParams {
        election: el.to_string(),
        attempt: 1,
        trustees: 2,
        threshold: 2,
    };
    let sim = ceremony::simulate(&params, &mut rng).unwrap();
    let keys = KeySet::from_reveals(&params, &sim.reveals).unwrap();
    let ctx = BallotContext {
        election: el.to_string(),
        round: 1,
        candidates: 2,
        seats: 1,
    };
    let voter = VoterSecret::from_seed([3; 32]);
    let ballot = Ballot::create(
        &ctx,
        keys.election_key(),
        &voter,
        &Selection::Approve(vec![1]),
        &mut rng,
    )
    .unwrap();
    let totals = Totals::sum(2, [&ballot]);
    let shares = DecryptionShares::create(&sim.trustees[0], &totals, &mut rng).unwrap();
    let leader = Actor::User(UserId::parse("lanhdao.ag").unwrap());
    let v = |p: VoteEvent| Payload::Vote(p);
    vec![
        (
            admin.clone(),
            v(VoteEvent::StandingRecorded {
                cluster: cum(),
                year: 2024,
                unit: u("ca-ag"),
                rank: 1,
                eligible: true,
                basis: t("Xếp thứ nhất, không bị kỷ luật"),
            }),
        ),
        (
            admin.clone(),
            v(VoteEvent::ElectionOpened {
                election: el.clone(),
                cluster: cum(),
                year: 2024,
                award: AwardKind::MinistryFlag,
                title: t("Đề nghị tặng Cờ thi đua của Bộ Công an"),
                candidates: vec![u("ca-ag"), u("ca-kg")],
                seats: 1,
                approval: Fraction { num: 4, den: 5 },
                quorum: Fraction { num: 2, den: 3 },
                members: vec![u("ca-ag"), u("ca-kg")],
                trustee_threshold: 2,
            }),
        ),
        (
            leader.clone(),
            v(VoteEvent::CeremonyPosted {
                election: el.clone(),
                attempt: 1,
                unit: u("ca-ag"),
                message: CeremonyMessage::Commit(sim.commitments[0].clone()),
            }),
        ),
        (
            leader.clone(),
            v(VoteEvent::VoterKeyRegistered {
                election: el.clone(),
                unit: u("ca-ag"),
                key: voter.public(),
            }),
        ),
        (
            leader.clone(),
            v(VoteEvent::BallotCast {
                election: el.clone(),
                round: 1,
                unit: u("ca-ag"),
                ballot: Box::new(ballot),
            }),
        ),
        (
            admin.clone(),
            v(VoteEvent::RoundClosed {
                election: el.clone(),
                round: 1,
            }),
        ),
        (
            leader.clone(),
            v(VoteEvent::DecryptionPosted {
                election: el.clone(),
                round: 1,
                unit: u("ca-ag"),
                shares,
            }),
        ),
        (
            leader.clone(),
            v(VoteEvent::RoundCounted {
                election: el.clone(),
                round: 1,
                approvals: vec![0, 1],
                abstentions: 0,
            }),
        ),
        (
            admin.clone(),
            v(VoteEvent::SecondRoundOpened {
                election: el.clone(),
                candidates: vec![u("ca-kg")],
                seats: 1,
            }),
        ),
        (
            leader.clone(),
            v(VoteEvent::TieDecided {
                election: el.clone(),
                round: 2,
                unit: u("ca-ag"),
                chosen: vec![u("ca-kg")],
                decision: t("Cụm trưởng quyết định"),
                deputy_silent: true,
            }),
        ),
        (
            admin.clone(),
            v(VoteEvent::PaperCountRecorded {
                election: el.clone(),
                round: 2,
                count: PaperCount {
                    approvals: vec![2],
                    abstentions: 0,
                    issued: 2,
                    returned: 2,
                    invalid: 0,
                    counting_team: vec![t("Trần Văn Kiểm")],
                    note: Some(t("Kiểm phiếu tại hội trường")),
                },
            }),
        ),
        (
            leader,
            v(VoteEvent::PaperCountConfirmed {
                election: el,
                round: 2,
                unit: u("ca-ag"),
            }),
        ),
    ]
    .into_iter()
    .chain(yearend::samples())
    .chain([midyear_sample()])
    .collect()
}

/// The Tết break of 2026 and the other days off of the year, as the administrator declares them,
/// with a Saturday worked in exchange (made up).
fn holidays_sample() -> (Actor, Payload) {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let mut days = vec![d(1, 1)];
    days.extend(d(2, 14).iter_days().take(9));
    days.extend([d(4, 27), d(4, 30), d(5, 1), d(9, 1), d(9, 2)]);
    (
        Actor::User(UserId::parse("quantri").unwrap()),
        Payload::HolidaysDeclared(thidua_domain::holidays::HolidaysDeclared {
            year: 2026,
            days,
            working_days: vec![d(5, 9)],
            reference: t("Lịch nghỉ lễ, Tết năm 2026 theo thông báo của Bộ Nội vụ"),
        }),
    )
}

/// A leader's explanation of a funnel drop.
fn explanation_sample() -> (Actor, Payload) {
    (
        Actor::User(UserId::parse("lanhdao-ag").unwrap()),
        Payload::FlagExplained(thidua_domain::explanations::FlagExplained {
            covenant: cov(),
            unit: u("ca-ag"),
            period: "2024-M05".into(),
            kind: "funnel_drop".into(),
            subject: Some("tin_bao:reports_received:reports_resolved".into()),
            text: t("Tháng 5 sáp nhập hai phòng, tin báo chuyển sang tháng 6 giải quyết"),
        }),
    )
}

/// A mid-year review (its hash computed, as the command does).
fn midyear_sample() -> (Actor, Payload) {
    use thidua_domain::midyear::*;
    let mut e = MidyearReviewFrozen {
        covenant: cov(),
        version: 1,
        regulation: "e".repeat(64),
        year: 2024,
        month: 6,
        at: 1054,
        cutoff: d(2024, 6, 14),
        as_of: Some(d(2024, 6, 14)),
        units: vec![
            UnitSnapshot {
                unit: u("ca-ag"),
                through: Some(6),
                total: Some("95.5".into()),
                score_status: Some("not_scored".into()),
                method: "seasonal".into(),
                targets: vec![TargetSnapshot {
                    target: "giam-toi-pham".into(),
                    measured: Some("60".into()),
                    same_period: Some("70".into()),
                    to_date: Some("100/7".into()),
                    projected: Some("12.5".into()),
                    status: "on_track".into(),
                }],
            },
            UnitSnapshot {
                unit: u("ca-hg"),
                through: None,
                total: None,
                score_status: None,
                method: "none".into(),
                targets: vec![TargetSnapshot {
                    target: "giam-toi-pham".into(),
                    measured: None,
                    same_period: Some("64".into()),
                    to_date: None,
                    projected: None,
                    status: "unknown".into(),
                }],
            },
        ],
        sha256: String::new(),
    };
    e.sha256 = snapshot_hash(&e, SnapshotFormat::V1);
    (
        Actor::User(UserId::parse("thuky").unwrap()),
        Payload::MidyearReviewFrozen(e),
    )
}

#[path = "wire/yearend.rs"]
mod yearend;

#[test]
fn every_event_kind_is_pinned_to_its_bytes_and_leaf_hash() {
    let mut lines = Vec::new();
    let samples = samples();
    let mut kinds: Vec<&str> = samples.iter().map(|(_, p)| p.kind()).collect();
    let mut all = EVENT_KINDS.to_vec();
    kinds.sort_unstable();
    all.sort_unstable();
    assert_eq!(kinds, all, "one sample of every kind");
    for (i, (actor, payload)) in samples.into_iter().enumerate() {
        let event = Event {
            index: 1000 + i as u64,
            time_ms: 1_711_420_000_000 + i as i64,
            actor,
            salt: format!(
                "{:032x}",
                0x0011_2233_4455_6677_8899_aabb_ccdd_eeffu128 + i as u128
            ),
            payload,
        };
        let bytes = event.canonical_bytes();
        assert_eq!(
            Event::decode(event.index, &bytes).unwrap(),
            event,
            "round trip"
        );
        lines.push(format!(
            "{} {}\n{}\n",
            event.payload.kind(),
            leaf_hash(&bytes),
            String::from_utf8(bytes).unwrap()
        ));
    }
    let actual = lines.concat();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/events.txt");
    if std::env::var_os("THIDUA_BLESS").is_some() {
        std::fs::write(path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(path).expect("golden file (THIDUA_BLESS=1 writes it)");
    assert_eq!(
        actual, expected,
        "the bytes of an event kind changed: stored logs would no longer verify"
    );
}

/// `year_end_opened` as format 1 wrote it (before the reveal deadline): it still decodes to a
/// review without a reveal deadline, and encodes again to the same bytes and format.
#[test]
fn a_year_end_opened_in_format_1_decodes_unchanged() {
    let v1 = r#"{"actor":{"id":"thuky","type":"user"},"data":{"commit_deadline":"2024-12-22","covenant":"gu-2024","dossier_deadline":"2024-12-20","inspectors":1,"record_sample":20,"response_deadline":"2025-01-05"},"index":1038,"kind":"year_end_opened","salt":"00112233445566778899aabbccddef25","time_ms":1711420000038,"v":1}"#;
    let event = Event::decode(1038, v1.as_bytes()).unwrap();
    let Payload::YearEnd(thidua_domain::yearend::YearEndEvent::YearEndOpened(o)) = &event.payload
    else {
        panic!("{event:?}")
    };
    assert_eq!(o.reveal_deadline, None);
    assert_eq!(event.canonical_bytes(), v1.as_bytes());
    // Format 1 with the field, or format 2 without it, is not canonical.
    let with_field = v1.replace(
        r#""record_sample":20,"#,
        r#""record_sample":20,"reveal_deadline":"2024-12-27","#,
    );
    assert!(Event::decode(1038, with_field.as_bytes()).is_err());
    let v2_without = v1.replace(r#""v":1}"#, r#""v":2}"#);
    assert!(Event::decode(1038, v2_without.as_bytes()).is_err());
}

/// `year_end_opened` as format 2 wrote it (the golden event before format 3): it still
/// decodes, to the same leaf hash, as a review whose draw takes only last year's pairs of its
/// own members; written in format 2 with `last_year_by_lineage`, or in format 3 without it
/// or with `false`, it is not canonical.
#[test]
fn a_year_end_opened_in_format_2_decodes_unchanged() {
    let v2 = r#"{"actor":{"id":"thuky","type":"user"},"data":{"commit_deadline":"2024-12-22","covenant":"gu-2024","dossier_deadline":"2024-12-20","inspectors":1,"record_sample":20,"response_deadline":"2025-01-05","reveal_deadline":"2024-12-27"},"index":1038,"kind":"year_end_opened","salt":"00112233445566778899aabbccddef25","time_ms":1711420000038,"v":2}"#;
    let event = Event::decode(1038, v2.as_bytes()).unwrap();
    let Payload::YearEnd(thidua_domain::yearend::YearEndEvent::YearEndOpened(o)) = &event.payload
    else {
        panic!("{event:?}")
    };
    assert!(!o.last_year_by_lineage);
    assert_eq!(event.canonical_bytes(), v2.as_bytes());
    assert_eq!(
        leaf_hash(v2.as_bytes()),
        "c3667b09b55051677c086153c60072803159166c1fc44264544cbcdac70101a7"
    );
    let with = |value: &str| {
        v2.replace(
            r#""inspectors":1,"#,
            &format!(r#""inspectors":1,"last_year_by_lineage":{value},"#),
        )
    };
    assert!(Event::decode(1038, with("true").as_bytes()).is_err());
    let v3 = |s: String| s.replace(r#""v":2}"#, r#""v":3}"#);
    assert!(Event::decode(1038, v3(v2.to_owned()).as_bytes()).is_err());
    assert!(Event::decode(1038, v3(with("false")).as_bytes()).is_err());
    assert!(Event::decode(1038, v3(with("true")).as_bytes()).is_ok());
}

/// `document_issued` as format 1 wrote it (before subjects were recorded): it still decodes,
/// without a subject, and encodes again to the same bytes and format; format 1 with a subject,
/// or format 2 without one, is not canonical.
#[test]
fn a_document_issued_in_format_1_decodes_unchanged() {
    let v1 = r#"{"actor":{"id":"quantri","type":"user"},"data":{"cluster":"cum-12","date":"2024-12-20","kind":"results","number":1,"sha256":"efefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefef","symbol":"BC-CTĐ12","title":"Kết quả chấm điểm thi đua năm 2024","year":2024},"index":1025,"kind":"document_issued","salt":"00112233445566778899aabbccddef18","time_ms":1711420000025,"v":1}"#;
    let event = Event::decode(1025, v1.as_bytes()).unwrap();
    let Payload::DocumentIssued { subject, .. } = &event.payload else {
        panic!("{event:?}")
    };
    assert_eq!(subject, &None);
    assert_eq!(event.canonical_bytes(), v1.as_bytes());
    let with_subject = v1.replace(r#","symbol":"#, r#","subject":"results:gu-2024","symbol":"#);
    assert!(Event::decode(1025, with_subject.as_bytes()).is_err());
    let v2_without = v1.replace(r#""v":1}"#, r#""v":2}"#);
    assert!(Event::decode(1025, v2_without.as_bytes()).is_err());
}

/// An event as format 1 of its kind wrote it, before format 2 added a field: it still decodes;
/// written again today, it is format 2 with the field (`field` is the canonical JSON inserted
/// before `before`); format 1 with the field, or format 2 without it, is not canonical.
fn format_1_still_decodes(index: u64, v1: &str, before: &str, field: &str) -> Event {
    let event = Event::decode(index, v1.as_bytes()).unwrap();
    let with_field = v1.replace(before, &format!("{field}{before}"));
    let v2 = String::from_utf8(event.canonical_bytes()).unwrap();
    assert_eq!(v2, with_field.replace(r#""v":1}"#, r#""v":2}"#));
    assert_eq!(Event::decode(index, v2.as_bytes()).unwrap(), event);
    assert!(Event::decode(index, with_field.as_bytes()).is_err());
    let v2_without = v1.replace(r#""v":1}"#, r#""v":2}"#);
    assert!(Event::decode(index, v2_without.as_bytes()).is_err());
    event
}

/// `holidays_declared` as format 1 wrote it (before worked weekend days were declared): it
/// decodes without worked days.
#[test]
fn a_holidays_declaration_in_format_1_decodes_unchanged() {
    let v1 = r#"{"actor":{"id":"quantri","type":"user"},"data":{"days":["2026-01-01","2026-02-14","2026-02-15"],"reference":"Lịch nghỉ lễ, Tết năm 2026 theo thông báo của Bộ Nội vụ","year":2026},"index":1061,"kind":"holidays_declared","salt":"00112233445566778899aabbccddef3c","time_ms":1711420000061,"v":1}"#;
    let event = format_1_still_decodes(1061, v1, r#""year":2026}"#, r#""working_days":[],"#);
    let Payload::HolidaysDeclared(e) = &event.payload else {
        panic!("{event:?}")
    };
    assert_eq!((e.days.len(), e.working_days.len()), (3, 0));
}

/// `tie_decided` as format 1 wrote it (before a head's decision could stand for the deputy's
/// silence): it decodes as a decision that claims no silence.
#[test]
fn a_tie_decided_in_format_1_decodes_unchanged() {
    let v1 = r#"{"actor":{"id":"lanhdao.ag","type":"user"},"data":{"chosen":["ca-kg"],"decision":"Cụm trưởng quyết định","election":"co-bo-2024","round":2,"unit":"ca-ag"},"index":1035,"kind":"tie_decided","salt":"00112233445566778899aabbccddef22","time_ms":1711420000035,"v":1}"#;
    let event = format_1_still_decodes(1035, v1, r#""election":"#, r#""deputy_silent":false,"#);
    let Payload::Vote(thidua_domain::votes::VoteEvent::TieDecided { deputy_silent, .. }) =
        &event.payload
    else {
        panic!("{event:?}")
    };
    assert!(!deputy_silent);
}

fn fixture() -> Vec<String> {
    let text = include_str!("../../thidua/tests/data/log-format1.jsonl");
    text.lines().map(str::to_owned).collect()
}

#[test]
fn a_log_written_with_format_1_decodes_and_replays_unchanged() {
    let mut state = State::default();
    for (i, line) in fixture().iter().enumerate() {
        let event = Event::decode(i as u64, line.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        state
            .apply(&event)
            .unwrap_or_else(|e| panic!("event {i}: {e}"));
    }
    assert_eq!(state.size, 60);
    // The hashes the format-1 code computed (its leaders signed the first one).
    let c2024 = &state.covenants[&CovenantId::parse("giao-uoc-cum-12-2024").unwrap()];
    assert_eq!(
        c2024.latest().hash,
        "f789113fb6f4e79742f56ea39c71b6649ffe2445563b47a1509a2465a4c3e32c"
    );
    assert_eq!(c2024.latest().signatures.len(), 5);
    assert!(c2024.latest().frozen_at.is_some());
    let c2025 = &state.covenants[&CovenantId::parse("giao-uoc-cum-12-2025").unwrap()];
    assert_eq!(
        c2025.latest().hash,
        "dff6bdfe44d1fb4f61e8ed5cb44b10bf5202a1d0c0b8837701d736dec3b23512"
    );
    assert_eq!(
        c2025.latest().content.place.as_str(),
        "Thành phố Long Xuyên, An Giang"
    );
    assert!(c2025
        .latest()
        .content
        .targets
        .iter()
        .all(|t| t.indicator.is_none()));
    assert_eq!(state.users.len(), 13);
    assert_eq!(state.units.len(), 10);
    assert_eq!(state.lineage.len(), 3);
    assert_eq!(state.units[&u("ca-kg")].dissolved, Some(d(2025, 7, 1)));
    assert_eq!(
        state.units[&u("ca-p-long-xuyen")].name.as_str(),
        "Công an phường Long Xuyên (tên mới)"
    );
    assert!(!state.users[&UserId::parse("canbo.bl").unwrap()]
        .roles
        .contains(&Role::Officer { unit: u("ca-bl") }));
    assert!(state.witness_keys.contains_key(&u("ca-ag")));
    assert_eq!(
        state.members(&cum(), 2025).unwrap(),
        &[u("ca-ag"), u("ca-cm"), u("ca-ct")]
    );
}

#[test]
fn format_1_events_are_read_but_new_events_are_written_in_the_newest_format() {
    let line = fixture()
        .into_iter()
        .find(|l| l.contains(r#""kind":"covenant_drafted""#))
        .unwrap();
    assert!(line.contains(r#""v":1"#));
    let index: u64 = serde_json::from_str::<serde_json::Value>(&line).unwrap()["index"]
        .as_u64()
        .unwrap();
    let event = Event::decode(index, line.as_bytes()).unwrap();
    let rewritten = String::from_utf8(event.canonical_bytes()).unwrap();
    // Same data (the new optional field is absent), newer format number.
    assert_eq!(rewritten, line.replace(r#""v":1"#, r#""v":2"#));
}

#[test]
fn bytes_that_are_not_exactly_canonical_are_refused() {
    let lines = fixture();
    let line = &lines[0];
    let cases = [
        line.replacen(',', ", ", 1),
        line.replace(r#""v":1"#, r#""v":9"#),
        line.replace(r#""kind":"unit_created""#, r#""kind":"unit_exploded""#),
        line.replace(r#""established""#, r#""extra":1,"established""#),
        line.replace(r#""index":0"#, r#""index":0.0"#),
        line.replace("Bộ Công an", "Bo\u{323}\u{302} Công an"),
    ];
    for bad in cases {
        assert!(Event::decode(0, bad.as_bytes()).is_err(), "{bad}");
    }
    assert!(matches!(
        Event::decode(1, line.as_bytes()),
        Err(DecodeError::IndexMismatch { .. })
    ));
    // An explicit null where format 2 omits an absent indicator is not canonical either.
    let event = Event {
        index: 5,
        time_ms: 1,
        actor: Actor::System,
        salt: "00".into(),
        payload: Payload::CovenantDraftAmended {
            covenant: cov(),
            version: 1,
            content: content(),
        },
    };
    let with_null = String::from_utf8(event.canonical_bytes()).unwrap().replace(
        r#""comparison":"holds","#,
        r#""comparison":"holds","indicator":null,"#,
    );
    assert!(Event::decode(5, with_null.as_bytes()).is_err());
}

#[test]
fn replay_refuses_an_event_whose_actor_lacked_the_role() {
    let mut state = State::default();
    let lines = fixture();
    for (i, line) in lines.iter().enumerate().take(40) {
        state
            .apply(&Event::decode(i as u64, line.as_bytes()).unwrap())
            .unwrap();
    }
    // An officer of An Giang "grants" himself the leader role: well-formed, but not allowed.
    let forged = Event {
        index: 40,
        time_ms: 1,
        actor: Actor::User(UserId::parse("canbo.ag").unwrap()),
        salt: "00".repeat(16),
        payload: Payload::RoleGranted {
            user: UserId::parse("canbo.ag").unwrap(),
            role: Role::Leader { unit: u("ca-ag") },
        },
    };
    let before = state.clone();
    let err = state.apply(&forged).unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let message = err.to_string();
    assert!(
        message.contains("user:canbo.ag")
            && message.contains("role_granted")
            && message.contains("admin"),
        "{message}"
    );
    assert_eq!(state, before, "a refused event changes nothing");
}

/// `docs/event-encoding.md` names every kind of the log (its table of kinds and formats).
#[test]
fn the_encoding_document_names_every_event_kind() {
    let doc = include_str!("../../../docs/event-encoding.md");
    let missing: Vec<&str> = EVENT_KINDS
        .iter()
        .copied()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "kinds missing from docs/event-encoding.md: {missing:?}"
    );
}

/// The Ministry-wide supervisor, a role value added to `role_granted` format 1 after it was
/// first written: its bytes are pinned, it round-trips, and the older values keep theirs (the
/// golden file's `role_granted`). A scope on it is not canonical.
#[test]
fn a_ministry_supervisor_grant_has_fixed_bytes() {
    let bytes = r#"{"actor":{"id":"quantri","type":"user"},"data":{"role":{"role":"ministry_supervisor"},"user":"giamsat.bo"},"index":7,"kind":"role_granted","salt":"00112233445566778899aabbccddeeff","time_ms":1711420000000,"v":1}"#;
    let event = Event::decode(7, bytes.as_bytes()).unwrap();
    assert_eq!(
        event.payload,
        Payload::RoleGranted {
            user: UserId::parse("giamsat.bo").unwrap(),
            role: Role::MinistrySupervisor,
        }
    );
    assert_eq!(event.canonical_bytes(), bytes.as_bytes());
    assert_eq!(
        leaf_hash(&event.canonical_bytes()),
        "16019f6b108e5d3d007672e11961e5e183abeb4dc676c2f91e0910a74ee68655"
    );
    let scoped = bytes.replace(
        r#"{"role":"ministry_supervisor"}"#,
        r#"{"cluster":"cum-12","role":"ministry_supervisor"}"#,
    );
    assert!(Event::decode(7, scoped.as_bytes()).is_err());
    assert_eq!(
        "ministry_supervisor".parse::<Role>().unwrap(),
        Role::MinistrySupervisor
    );
    assert_eq!(Role::MinistrySupervisor.to_string(), "ministry_supervisor");
}
