//! The demonstration: Cluster No. 12 and its covenant for the 2024 movement "Vì an ninh Tổ
//! quốc", the five signatures, the 2025 mergers as lineage, a 2025 cluster year of the
//! successor units, the 2025 movement (its covenant is the secretariat's next to-do) and a year
//! of figures (`demo_figures`), its year-end to the published results (`demo_yearend`) and the
//! award vote on those results (`demo_vote`). Every person, account and figure here is
//! INVENTED for the demonstration. The events carry the server's clock as their recording time; the business
//! date of the signatures is the signing date the covenant records (26/03/2024), and the pages
//! show both, labelled.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use thidua_domain::calendar::default_calendar;
use thidua_domain::model::{
    Comparison, CovenantContent, LeadershipMethod, LeadershipPosition, LineageChange, LineageKind,
    RegulationDoc, Role, Target, TargetKind, UnitKind,
};
use thidua_domain::{
    Actor, ClusterId, Command, CovenantId, MovementId, TargetId, Text, UnitId, UserId,
};

/// The example scoring regulation the covenant carries (an illustration, see its header).
pub const REGULATION: &str = include_str!("../../../examples/cum12-2024/regulation.toml");

/// The password of every demonstration account. Demonstration only: printed on the console.
pub const DEMO_PASSWORD: &str = "thidua-demo-2024";

pub const CLUSTER: &str = "cum-12";
pub const MOVEMENT: &str = "vanttq-2024";
pub const MOVEMENT_2025: &str = "vanttq-2025";
pub const COVENANT: &str = "giao-uoc-cum-12-2024";

/// The five members of 2024: id, name, short code (the code used in the example data files).
pub const MEMBERS_2024: [(&str, &str, &str); 5] = [
    ("ca-kg", "Công an tỉnh Kiên Giang", "KG"),
    ("ca-ag", "Công an tỉnh An Giang", "AG"),
    ("ca-hg", "Công an tỉnh Hậu Giang", "HG"),
    ("ca-cm", "Công an tỉnh Cà Mau", "CM"),
    ("ca-bl", "Công an tỉnh Bạc Liêu", "BL"),
];

/// An invented demonstration account: login, display name, role.
pub struct DemoAccount {
    pub user: &'static str,
    pub name: &'static str,
    pub role: Role,
}

fn t(s: &str) -> Text {
    Text::parse("demo", s, 500).expect("demo text is valid")
}
fn unit(s: &str) -> UnitId {
    UnitId::parse(s).expect("demo id")
}
fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("demo date")
}
fn cluster() -> ClusterId {
    ClusterId::parse(CLUSTER).expect("demo id")
}

/// The invented accounts: one per role, so each view of the system can be tried.
pub fn accounts() -> Vec<DemoAccount> {
    let mut out = vec![
        DemoAccount {
            user: "quantri",
            name: "Quản trị hệ thống (minh hoạ)",
            role: Role::Admin,
        },
        DemoAccount {
            user: "thuky.cum12",
            name: "Trần Thị Thu — Thư ký Cụm 12 (minh hoạ)",
            role: Role::Secretariat { cluster: cluster() },
        },
        DemoAccount {
            user: "giamsat.x01",
            name: "Lê Minh Giám — Cục X01 (minh hoạ)",
            role: Role::Supervisor { cluster: cluster() },
        },
    ];
    let leaders = [
        ("lanhdao.kg", "Nguyễn Văn Kiên (minh hoạ)"),
        ("lanhdao.ag", "Phạm Quốc An (minh hoạ)"),
        ("lanhdao.hg", "Võ Thị Hậu (minh hoạ)"),
        ("lanhdao.cm", "Đặng Minh Cà (minh hoạ)"),
        ("lanhdao.bl", "Huỳnh Bạc Lâm (minh hoạ)"),
        ("lanhdao.ct", "Trương Văn Thơ (minh hoạ)"),
    ];
    let officers = [
        ("canbo.kg", "Lý Thị Giang (minh hoạ)"),
        ("canbo.ag", "Trịnh Văn Giang (minh hoạ)"),
        ("canbo.hg", "Mai Thị Hương (minh hoạ)"),
        ("canbo.cm", "Tô Văn Mau (minh hoạ)"),
        ("canbo.bl", "Châu Thị Liêu (minh hoạ)"),
        ("canbo.ct", "Lâm Thị Cần (minh hoạ)"),
    ];
    // The 2024 members, then Cần Thơ, a member from 2025 (after the mergers), so that the
    // 2025 year can be tried by every one of its members.
    let units = MEMBERS_2024.iter().map(|(id, _, _)| *id).chain(["ca-ct"]);
    for (i, id) in units.enumerate() {
        out.push(DemoAccount {
            user: leaders[i].0,
            name: leaders[i].1,
            role: Role::Leader { unit: unit(id) },
        });
        out.push(DemoAccount {
            user: officers[i].0,
            name: officers[i].1,
            role: Role::Officer { unit: unit(id) },
        });
    }
    out
}

fn target(
    id: &str,
    area: &str,
    kind: TargetKind,
    subject: &str,
    comparison: Comparison,
    threshold: Option<&str>,
    unit_of_measure: Option<&str>,
) -> Target {
    Target {
        id: TargetId::parse(id).expect("demo id"),
        area: t(area),
        kind,
        subject: t(subject),
        comparison,
        threshold: threshold.map(|s| s.parse::<Decimal>().expect("demo number")),
        range: None,
        baseline_year: (kind == TargetKind::Change).then_some(2023),
        unit_of_measure: unit_of_measure.map(t),
        indicator: None,
    }
}

/// The regulation's indicator (or element) that measures each target, for progress.
const MEASURED_BY: &[(&str, &str)] = &[
    ("toi-pham-ttxh", "crime_change"),
    ("tam-dinh-chi", "suspended_change"),
    ("tiep-nhan-tin-bao", "received_rate"),
    ("giai-quyet-tin-bao", "resolved_rate"),
    ("dieu-tra-kham-pha", "solve_rate"),
    ("an-nghiem-trong", "serious_rate"),
    ("thu-hoi-tai-san", "asset_rate"),
    ("bang-nhom", "gangs"),
    ("tai-nan-giao-thong", "accidents"),
    ("chay-no", "serious_fires"),
    ("co-so-giam-giu", "detention_incidents"),
    ("ky-luat", "discipline_rate"),
];

/// The targets of the article (BRIEF.md, "The targets the article names"), each with the
/// regulation's indicator that measures it.
pub fn targets() -> Vec<Target> {
    let mut targets = article_targets();
    for target in &mut targets {
        target.indicator = MEASURED_BY
            .iter()
            .find(|(id, _)| *id == target.id.as_str())
            .map(|(_, indicator)| (*indicator).to_owned());
    }
    targets
}

fn article_targets() -> Vec<Target> {
    use Comparison::*;
    use TargetKind::*;
    const A: &str = "Phòng, chống tội phạm";
    const B: &str = "Bảo đảm trật tự, an toàn xã hội";
    const C: &str = "Xây dựng lực lượng";
    let mut suspended = target(
        "tam-dinh-chi",
        A,
        Change,
        "Giảm số vụ án, vụ việc tạm đình chỉ so với năm 2023",
        Between,
        None,
        Some("% giảm"),
    );
    suspended.range = Some((Decimal::from(5), Decimal::from(10)));
    vec![
        target(
            "toi-pham-ttxh",
            A,
            Change,
            "Kéo giảm số vụ phạm tội về trật tự xã hội so với năm 2023",
            AtLeast,
            Some("5"),
            Some("% giảm"),
        ),
        suspended,
        target(
            "tiep-nhan-tin-bao",
            A,
            Rate,
            "Tố giác, tin báo về tội phạm, kiến nghị khởi tố được tiếp nhận, xử lý",
            AtLeast,
            Some("100"),
            Some("%"),
        ),
        target(
            "giai-quyet-tin-bao",
            A,
            Rate,
            "Tỷ lệ giải quyết tố giác, tin báo, kiến nghị khởi tố",
            Above,
            Some("90"),
            Some("%"),
        ),
        target(
            "dieu-tra-kham-pha",
            A,
            Rate,
            "Tỷ lệ điều tra, khám phá án",
            Above,
            Some("75"),
            Some("%"),
        ),
        target(
            "an-nghiem-trong",
            A,
            Rate,
            "Tỷ lệ điều tra, khám phá án rất nghiêm trọng, đặc biệt nghiêm trọng",
            Above,
            Some("90"),
            Some("%"),
        ),
        target(
            "thu-hoi-tai-san",
            A,
            Rate,
            "Thu hồi tài sản trong các vụ án tham nhũng",
            AtLeast,
            Some("60"),
            Some("%"),
        ),
        target(
            "bang-nhom",
            B,
            YesNo,
            "Không để hình thành băng, nhóm tội phạm nguy hiểm hoạt động “lộng hành”",
            Holds,
            None,
            None,
        ),
        target(
            "tai-nan-giao-thong",
            B,
            Change,
            "Kiềm chế tai nạn giao thông (không tăng so với năm 2023)",
            AtLeast,
            Some("0"),
            Some("% giảm"),
        ),
        target(
            "chay-no",
            B,
            Change,
            "Hạn chế cháy, nổ đặc biệt nghiêm trọng (không tăng so với năm 2023)",
            AtLeast,
            Some("0"),
            Some("% giảm"),
        ),
        target(
            "co-so-giam-giu",
            B,
            YesNo,
            "Bảo đảm an ninh, an toàn các cơ sở giam, giữ",
            Holds,
            None,
            None,
        ),
        target(
            "ky-luat",
            C,
            Rate,
            "Tỷ lệ cán bộ, chiến sĩ bị kỷ luật trên tổng quân số",
            Below,
            Some("0.5"),
            Some("%"),
        ),
        target(
            "giai-phap-dot-pha",
            C,
            Qualitative,
            "Thực hiện 03 giải pháp trọng tâm “đột phá” và xây dựng Đảng",
            Judged,
            None,
            None,
        ),
    ]
}

/// The regulation in canonical form with its hash.
pub fn regulation() -> anyhow::Result<RegulationDoc> {
    thidua_domain::covenant::regulation_doc(REGULATION)
        .map_err(|e| anyhow::anyhow!("the example regulation is invalid: {e}"))
}

/// Every step of the demonstration, as (actor, commands) batches in order.
pub fn script() -> anyhow::Result<Vec<(Actor, Vec<Command>)>> {
    let covenant = CovenantId::parse(COVENANT).expect("demo id");
    let secretariat = Actor::User(UserId::parse("thuky.cum12").expect("demo id"));
    let draft = vec![Command::DraftCovenant {
        covenant: covenant.clone(),
        movement: MovementId::parse(MOVEMENT).expect("demo id"),
        cluster: cluster(),
        content: CovenantContent {
            title: t("Giao ước thi đua thực hiện phong trào thi đua “Vì an ninh Tổ quốc” năm 2024"),
            place: t("Kiên Giang"),
            signing_date: date(2024, 3, 26),
            targets: targets(),
            regulation: regulation()?,
        },
    }];
    let mut script = vec![(Actor::System, setup()), (secretariat, draft)];
    script.extend(signatures(&covenant));
    script.push((Actor::System, mergers()));
    Ok(script)
}

/// The Ministry, its department, the provinces of 2024 and 2025 and a commune police unit.
fn units() -> Vec<Command> {
    let mut setup = vec![
        Command::CreateUnit {
            unit: unit("bo-cong-an"),
            name: t("Bộ Công an"),
            short_code: t("BCA"),
            kind: UnitKind::Ministry,
            parent: None,
            established: date(1945, 8, 19),
        },
        Command::CreateUnit {
            unit: unit("cuc-x01"),
            name: t("Cục Công tác đảng và công tác chính trị"),
            short_code: t("X01"),
            kind: UnitKind::MinistryDepartment,
            parent: Some(unit("bo-cong-an")),
            established: date(2018, 8, 1),
        },
    ];
    // Founding dates are those of the provinces as they stood before 2025 (illustrative).
    let founded = [
        date(1976, 2, 20),
        date(1976, 2, 20),
        date(2004, 1, 1),
        date(1997, 1, 1),
        date(1997, 1, 1),
    ];
    for ((id, name, code), established) in MEMBERS_2024.iter().zip(founded) {
        setup.push(Command::CreateUnit {
            unit: unit(id),
            name: t(name),
            short_code: t(code),
            kind: UnitKind::ProvincialPolice,
            parent: Some(unit("bo-cong-an")),
            established,
        });
    }
    for (id, name, code, established) in [
        ("ca-ct", "Công an thành phố Cần Thơ", "CT", date(2004, 1, 1)),
        ("ca-st", "Công an tỉnh Sóc Trăng", "ST", date(1992, 4, 1)),
    ] {
        setup.push(Command::CreateUnit {
            unit: unit(id),
            name: t(name),
            short_code: t(code),
            kind: UnitKind::ProvincialPolice,
            parent: Some(unit("bo-cong-an")),
            established,
        });
    }
    setup.push(Command::CreateUnit {
        unit: unit("ca-p-long-xuyen"),
        name: t("Công an phường Long Xuyên"),
        short_code: t("LX"),
        kind: UnitKind::CommunePolice,
        parent: Some(unit("ca-ag")),
        established: date(2025, 7, 1),
    });
    setup
}

/// The units, the cluster of 2024 with its head and deputy, the movement and the accounts.
fn setup() -> Vec<Command> {
    let mut setup = units();
    setup.push(Command::CreateCluster {
        cluster: cluster(),
        name: t("Cụm thi đua số 12"),
    });
    setup.push(Command::SetClusterYear {
        cluster: cluster(),
        year: 2024,
        members: MEMBERS_2024.iter().map(|(id, _, _)| unit(id)).collect(),
    });
    for (position, id) in [
        (LeadershipPosition::Head, "ca-kg"),
        (LeadershipPosition::Deputy, "ca-ag"),
    ] {
        setup.push(Command::SetClusterLeadership {
            cluster: cluster(),
            year: 2024,
            position,
            unit: unit(id),
            method: LeadershipMethod::Elected,
            decision: t("Biên bản hội nghị tổng kết Cụm 12 năm 2023 (minh hoạ)"),
        });
    }
    setup.push(Command::CreateMovement {
        movement: MovementId::parse(MOVEMENT).expect("demo id"),
        name: t("Vì an ninh Tổ quốc"),
        year: 2024,
        plan_ref: t("84/KH-BCA"),
        slogan: Some(t("Xây dựng Công an Nhân dân thật sự trong sạch, vững mạnh, chính quy, tinh nhuệ, hiện đại")),
        calendar: default_calendar(2024),
    });
    setup.push(Command::DeclareHolidays(holidays_2024()));
    for account in accounts() {
        let user = UserId::parse(account.user).expect("demo id");
        setup.push(Command::RegisterUser {
            user: user.clone(),
            display_name: t(account.name),
            demo: true,
        });
        setup.push(Command::GrantRole {
            user,
            role: account.role,
        });
    }
    setup
}

/// The public holidays of 2024 for civil servants: New Year, the Tết break (08/02–14/02), the
/// Hùng Kings' day, 27/04–01/05 (Monday 29/04 off, Saturday 04/05 worked in exchange) and
/// 31/08–03/09. The dates are the year's; the reference is the demonstration's own words.
fn holidays_2024() -> thidua_domain::holidays::HolidaysDeclared {
    let run = |from: NaiveDate, n: usize| from.iter_days().take(n).collect::<Vec<_>>();
    let mut days = vec![date(2024, 1, 1)];
    days.extend(run(date(2024, 2, 8), 7));
    days.push(date(2024, 4, 18));
    days.extend(run(date(2024, 4, 27), 5));
    days.extend(run(date(2024, 8, 31), 4));
    thidua_domain::holidays::HolidaysDeclared {
        year: 2024,
        days,
        working_days: vec![date(2024, 5, 4)],
        reference: t("Lịch nghỉ lễ, Tết năm 2024 của cán bộ, công chức (minh hoạ)"),
    }
}

/// Each 2024 member's leader signs (the hash is filled in by the loader, which reads it from
/// the state).
fn signatures(covenant: &CovenantId) -> Vec<(Actor, Vec<Command>)> {
    let mut script = Vec::new();
    let members_2024: Vec<UnitId> = MEMBERS_2024.iter().map(|(id, _, _)| unit(id)).collect();
    for account in accounts() {
        if let Role::Leader { unit } = &account.role {
            if !members_2024.contains(unit) {
                continue;
            }
            script.push((
                Actor::User(UserId::parse(account.user).expect("demo id")),
                vec![Command::SignCovenant {
                    covenant: covenant.clone(),
                    version: 1,
                    unit: unit.clone(),
                    hash: String::new(),
                }],
            ));
        }
    }
    script
}

/// The 2025 mergers, the cluster of 2025 with its head and deputy, and the 2025 movement.
fn mergers() -> Vec<Command> {
    let decision =
        t("Nghị quyết số 202/2025/QH15 của Quốc hội (sắp xếp đơn vị hành chính cấp tỉnh)");
    let mut mergers = Vec::new();
    for (preds, into) in [
        (vec!["ca-ag", "ca-kg"], "ca-ag"),
        (vec!["ca-bl", "ca-cm"], "ca-cm"),
        (vec!["ca-ct", "ca-hg", "ca-st"], "ca-ct"),
    ] {
        mergers.push(Command::RecordLineage {
            change: LineageChange {
                kind: LineageKind::Merge,
                predecessors: preds.into_iter().map(unit).collect(),
                successors: vec![unit(into)],
                effective: date(2025, 7, 1),
                decision: decision.clone(),
            },
        });
    }
    mergers.push(Command::SetClusterYear {
        cluster: cluster(),
        year: 2025,
        members: vec![unit("ca-ag"), unit("ca-cm"), unit("ca-ct")],
    });
    for (position, id) in [
        (LeadershipPosition::Head, "ca-ag"),
        (LeadershipPosition::Deputy, "ca-ct"),
    ] {
        mergers.push(Command::SetClusterLeadership {
            cluster: cluster(),
            year: 2025,
            position,
            unit: unit(id),
            method: LeadershipMethod::Assigned,
            decision: t("Quyết định phân công Cụm trưởng, Cụm phó năm 2025 (minh hoạ)"),
        });
    }
    // The next year's movement: the cluster's 2025 members are set and the covenant is to be
    // drafted, the first thing the secretariat's home page asks for.
    mergers.push(Command::CreateMovement {
        movement: MovementId::parse(MOVEMENT_2025).expect("demo id"),
        name: t("Vì an ninh Tổ quốc"),
        year: 2025,
        plan_ref: t("15/KH-BCA (minh hoạ)"),
        slogan: None,
        calendar: default_calendar(2025),
    });
    mergers
}

/// Loads the demonstration into an empty log. Signatures confirm the hash the state shows.
/// Returns the secret states of the open vote's trustees, to be written beside the data.
pub fn load(
    service: &thidua_service::Service,
    account_store: &dyn thidua_store::accounts::AccountStore,
) -> anyhow::Result<crate::demo_vote::OpenVoteTrustees> {
    anyhow::ensure!(
        service.read().size == 0,
        "the demonstration loads only into an empty log"
    );
    for (actor, commands) in script()? {
        let commands = commands
            .into_iter()
            .map(|c| match c {
                Command::SignCovenant {
                    covenant,
                    version,
                    unit,
                    ..
                } => {
                    let hash = service.read().covenants[&covenant].latest().hash.clone();
                    Command::SignCovenant {
                        covenant,
                        version,
                        unit,
                        hash,
                    }
                }
                other => other,
            })
            .collect();
        service.execute_all(&actor, commands)?;
    }
    crate::demo_figures::load(service)?;
    crate::demo_yearend::load(service)?;
    let trustees = crate::demo_vote::load(service)?;
    for account in accounts() {
        let user = UserId::parse(account.user)?;
        thidua_web::accounts::set_password(account_store, service, &user, DEMO_PASSWORD)
            .map_err(|e| anyhow::anyhow!("demo password for {user}: {e}"))?;
    }
    Ok(trustees)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::MEMBERS_2024;
    use thidua_domain::Event;
    use thidua_web::authz::Scope;

    /// The demonstration loaded into a fresh SQLite store: the service and every event.
    fn demonstration() -> (tempfile::TempDir, Arc<thidua_service::Service>, Vec<Event>) {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Arc::new(thidua_store_sqlite::SqliteStore::open(&dir.path().join("t.db")).unwrap());
        let key =
            thidua_service::LogKey::load_or_create(&dir.path().join("k"), "demo.test/log").unwrap();
        let service =
            Arc::new(thidua_service::Service::open(store.clone(), key, &|_, _| {}).unwrap());
        super::load(&service, &*store).unwrap();
        let size = service.read().size;
        let events: Vec<Event> = service
            .store()
            .entries(0, size)
            .unwrap()
            .iter()
            .map(|e| Event::decode(e.index, &e.bytes).unwrap())
            .collect();
        (dir, service, events)
    }

    /// The web layer's state on the demonstration's service (accounts in its database).
    fn app(
        dir: &tempfile::TempDir,
        service: &Arc<thidua_service::Service>,
    ) -> thidua_web::AppState {
        let accounts =
            Arc::new(thidua_store_sqlite::SqliteStore::open(&dir.path().join("t.db")).unwrap());
        let config = thidua_web::WebConfig::new(([127, 0, 0, 1], 0).into());
        thidua_web::AppState::new(Arc::clone(service), accounts, config)
    }

    /// The demonstration shows its planted under-recording as funnel drops of Bạc Liêu from
    /// June on, and no other unit's funnel drops; Hậu Giang's corrected May counts in its
    /// data-quality flag of the year with its late October, the one late report. Bạc Liêu sees its own flags; Kiên Giang does not see them.
    #[test]
    fn the_demonstration_shows_its_planted_flags() {
        use thidua_domain::integrity::{self, FlagKind, Settings};
        let (dir, service, _) = demonstration();
        let app = app(&dir, &service);
        let state = service.read();
        let cov = thidua_domain::CovenantId::parse(super::COVENANT).unwrap();
        let panel = integrity::collect::panel(&state, &cov).unwrap();
        let flags = integrity::flags(&panel, &Settings::default());
        let drops: Vec<(String, String)> = flags
            .iter()
            .filter(|f| f.kind == FlagKind::FunnelDrop)
            .map(|f| (f.unit.clone(), f.period.label()))
            .collect();
        assert!(!drops.is_empty(), "{flags:?}");
        assert!(drops.iter().all(|(u, _)| u == "ca-bl"), "{drops:?}");
        assert!(
            drops.iter().all(|(_, p)| p.as_str() >= "2024-M06"),
            "{drops:?}"
        );
        let hg = flags
            .iter()
            .find(|f| f.unit == "ca-hg" && f.kind == FlagKind::DataQuality)
            .expect("Hậu Giang's corrected May");
        assert_eq!(hg.period.label(), "2024-Y");
        assert!(
            hg.reason_vi()
                .ends_with(": 1/12 kỳ nộp muộn, 1/12 kỳ sửa sau phê duyệt"),
            "{}",
            hg.reason_vi()
        );
        // The deadlines moved to the loading week: no other report is late, no other unit
        // flagged for its data quality.
        let figures = &state.figures;
        let late: Vec<(&str, i32, &str)> = figures
            .reports
            .iter()
            .filter(|(_, r)| r.first_submission.as_ref().is_some_and(|s| s.late))
            .map(|(k, _)| (figures.unit_of(k).as_str(), k.year, figures.window_of(k)))
            .collect();
        assert_eq!(late, [("ca-hg", 2024, "M10")]);
        let quality: Vec<&str> = flags
            .iter()
            .filter(|f| f.kind == FlagKind::DataQuality)
            .map(|f| f.unit.as_str())
            .collect();
        assert_eq!(quality, ["ca-hg"], "{flags:?}");
        let c = &state.covenants[&cov];
        let bl = thidua_domain::UnitId::parse("ca-bl").unwrap();
        let scope = |u: &str| {
            let user = thidua_domain::UserId::parse(u).unwrap();
            Scope::new(user.clone(), state.users[&user].roles.clone())
        };
        assert!(scope("lanhdao.bl").reads_flags(&state, c, &bl));
        assert!(scope("thuky.cum12").reads_flags(&state, c, &bl));
        assert!(!scope("lanhdao.kg").reads_flags(&state, c, &bl));
        // Bạc Liêu's inspectors see its flags on the inspection form; nobody else does there.
        for (_, _, code) in MEMBERS_2024 {
            let leader = format!("lanhdao.{}", code.to_lowercase());
            let review = thidua_web::api::yearend::review_dto(
                &app,
                &state,
                &scope(&leader),
                &cov,
                thidua_web::i18n::Lang::Vi,
                service.now_ms(),
            )
            .unwrap();
            let inspects_bl = review
                .pairs
                .iter()
                .any(|p| p.mine && p.inspected.id == "ca-bl");
            let bl_flags = review
                .inspected_flags
                .iter()
                .filter(|f| f.unit.id == "ca-bl" && f.kind == "funnel_drop")
                .count();
            assert_eq!(bl_flags == drops.len(), inspects_bl, "{leader}");
            assert!(inspects_bl || bl_flags == 0, "{leader}");
        }
    }

    /// For every account of the demonstration, with and without a unit or kind filter, the
    /// history index's candidates hold every event the account may read: a page read through the
    /// index equals the page found by scanning the whole log.
    #[test]
    fn the_history_index_finds_what_a_full_scan_finds() {
        use thidua_web::api::history;
        let (_dir, service, events) = demonstration();
        let state = service.read();
        let mut filters: Vec<(Option<thidua_domain::UnitId>, Option<&str>)> = vec![(None, None)];
        filters.extend(state.units.keys().map(|u| (Some(u.clone()), None)));
        filters.extend(thidua_domain::EVENT_KINDS.iter().map(|k| (None, Some(*k))));
        for account in super::accounts() {
            let user = thidua_domain::UserId::parse(account.user).unwrap();
            let scope = Scope::new(user.clone(), state.users[&user].roles.clone());
            let vis = scope.visibility(&state);
            for (unit, kind) in &filters {
                let matches = |e: &Event| {
                    unit.as_ref()
                        .is_none_or(|u| thidua_domain::history::concerns(&e.payload, u))
                        && kind.is_none_or(|k| e.payload.kind() == k)
                        && scope.can_view_event_with(&state, &vis, e)
                };
                let scanned: Vec<u64> = events
                    .iter()
                    .rev()
                    .filter(|e| matches(e))
                    .map(|e| e.index)
                    .collect();
                let candidates: Vec<u64> =
                    history::candidates(&state.history, &vis, unit.as_ref(), *kind, state.size)
                        .collect();
                let indexed: Vec<u64> = history::read(service.store().as_ref(), &candidates)
                    .unwrap()
                    .iter()
                    .filter(|e| matches(e))
                    .map(|e| e.index)
                    .collect();
                assert_eq!(indexed, scanned, "{user}, {unit:?}, {kind:?}");
                if !scope.is_admin() && unit.is_none() && kind.is_none() {
                    assert!(
                        candidates.len() < events.len(),
                        "{user} reads fewer entries"
                    );
                }
            }
        }
    }

    /// The demonstration's vote comes after the published year-end results and takes its
    /// candidates from them, in rank order: the unit with a discipline record pending is left
    /// out, and no standing is recorded by hand.
    #[test]
    fn candidates_come_from_the_published_results() {
        let (_dir, service, _) = demonstration();
        let state = service.read().state.clone();
        let cluster = thidua_domain::ClusterId::parse("cum-12").unwrap();
        let review = state
            .yearend
            .reviews
            .values()
            .find(|r| r.cluster == cluster && r.year == 2024 && r.published.is_some())
            .expect("the demonstration publishes the 2024 results")
            .clone();
        let results = &review.published.as_ref().unwrap().0.results;
        assert!(!state.standings.contains_key(&cluster));
        let nominees = thidua_domain::votes::nominees(&state, &cluster, 2024);
        let flag = thidua_domain::ElectionId::parse(crate::demo_vote::FLAG_VOTE).unwrap();
        assert_eq!(
            state.election(&flag).unwrap().rounds[0].candidates,
            nominees
        );
        let mut expected: Vec<_> = results
            .iter()
            .filter(|r| r.eligible)
            .map(|r| (r.rank.unwrap(), r.unit.clone()))
            .collect();
        expected.sort();
        let expected: Vec<_> = expected.into_iter().map(|(_, u)| u).collect();
        assert_eq!(nominees, expected);
        assert!(
            results.iter().any(|r| !r.eligible),
            "one unit is not eligible"
        );
        assert_eq!(nominees.len(), results.len() - 1);
    }

    /// Kiên Giang's submitted dossier carries the mid-year workbook as C2a's evidence: stored
    /// by its SHA-256, an XLSX by its bytes, of the size recorded.
    #[test]
    fn kien_giangs_dossier_carries_its_evidence_file() {
        let (_dir, service, _) = demonstration();
        let state = service.read().state.clone();
        let kg = thidua_domain::UnitId::parse("ca-kg").unwrap();
        let review = state.yearend.reviews.values().next().unwrap();
        let (_, entries, _) = review.dossiers[&kg].submitted.as_ref().unwrap();
        let [file] = entries["C2a"].evidence.as_slice() else {
            panic!("{:?}", entries["C2a"])
        };
        let mut hash = [0u8; 32];
        hex::decode_to_slice(&file.sha256, &mut hash).unwrap();
        let bytes = service.store().get_blob(&hash).unwrap().unwrap();
        assert_eq!(bytes.len() as u64, file.size);
        assert_eq!(
            thidua_domain::yearend::evidence::sniff(&bytes),
            Some(file.media_type.as_str())
        );
        assert!(file.media_type.contains("spreadsheetml"), "{file:?}");
    }

    /// Every member of the demonstration replays, from the events it may read, the log's set-up
    /// (entry 0, the Ministry) and everything about its clusters.
    #[test]
    fn every_demonstration_member_replays_its_clusters_from_entry_0() {
        let (_dir, service, events) = demonstration();
        let full = service.read().clone();
        for account in super::accounts() {
            let user = thidua_domain::UserId::parse(account.user).unwrap();
            let scope = Scope::new(user.clone(), full.users[&user].roles.clone());
            if scope.is_admin() {
                continue;
            }
            let (rebuilt, original) = scope
                .replay_readable(&full, events.iter().cloned())
                .unwrap_or_else(|(i, e)| panic!("{user}: event {i}: {e}"));
            assert_eq!(original.first(), Some(&0), "{user} reads entry 0");
            let clusters = scope.visible_clusters(&full);
            assert!(!clusters.is_empty(), "{user}");
            for c in &clusters {
                let (a, b) = (&rebuilt.clusters[c], &full.clusters[c]);
                assert_eq!(a.years, b.years, "{user}: {c}");
            }
            for (id, covenant) in full.covenants.iter() {
                if clusters.contains(&covenant.cluster) {
                    let rebuilt = &rebuilt.covenants[id];
                    assert_eq!(rebuilt.versions.len(), covenant.versions.len());
                    for (a, b) in rebuilt.versions.iter().zip(&covenant.versions) {
                        assert_eq!((&a.hash, a.signatures.len()), (&b.hash, b.signatures.len()));
                    }
                }
            }
        }
    }

    /// The demonstration shows its year's progress: every member's approved months through
    /// December 2024 (the year-end needs them all), with provisional scores and targets judged
    /// against 2023; the mid-year review frozen through June; and a member recomputes the
    /// same progress from the events it may read (drafts of other units never count).
    #[test]
    fn the_demonstration_shows_the_year_in_progress_as_every_member_recomputes_it() {
        let (_dir, service, events) = demonstration();
        let full = service.read().clone();
        let covenant = thidua_domain::CovenantId::parse(super::COVENANT).unwrap();
        let p = thidua_domain::progress::compute(&full, &covenant).unwrap();
        assert_eq!(p.as_of, chrono::NaiveDate::from_ymd_opt(2024, 12, 14));
        let through: Vec<_> = p.units.iter().map(|u| u.through).collect();
        assert_eq!(through, vec![Some(12); 5]);
        assert!(p.units.iter().all(|u| u.score.is_some()));
        assert!(p
            .units
            .iter()
            .flat_map(|u| &u.targets)
            .any(|t| t.status != thidua_domain::progress::Status::Unknown));
        // The mid-year review was frozen through June for every member, and recomputes.
        let review = &full.midyear[&covenant].frozen;
        assert_eq!(
            review.units.iter().map(|u| u.through).collect::<Vec<_>>(),
            vec![Some(6); 5]
        );
        assert_eq!(review.as_of, chrono::NaiveDate::from_ymd_opt(2024, 6, 14));
        let audit = thidua_domain::midyear::audit::audit(&events).unwrap();
        assert_eq!((audit.reviews.len(), audit.differences.len()), (1, 0));
        let expected = serde_json::to_string(&p).unwrap();
        let user = thidua_domain::UserId::parse("lanhdao.ag").unwrap();
        let scope = Scope::new(user.clone(), full.users[&user].roles.clone());
        let (rebuilt, _) = scope
            .replay_readable(&full, events.iter().cloned())
            .unwrap_or_else(|(i, e)| panic!("event {i}: {e}"));
        let seen = thidua_domain::progress::compute(&rebuilt, &covenant).unwrap();
        assert_eq!(serde_json::to_string(&seen).unwrap(), expected);
    }
    /// The Ministry's department sees every cluster's awards of 2024 at once: Cluster 12's
    /// published results and who ranked first, its decided Government flag vote (Kiên Giang
    /// proposed, four approvals of five) and its Ministry flag vote still open; a member sees its
    /// cluster.
    #[test]
    fn the_ministry_sees_the_awards_of_every_cluster() {
        let (_dir, service, _) = demonstration();
        let state = service.read();
        let scope = |u: &str| {
            let user = thidua_domain::UserId::parse(u).unwrap();
            Scope::new(user.clone(), state.users[&user].roles.clone())
        };
        let all = thidua_web::api::awards::awards_dto(&state, &scope("giamsat.x01"), None);
        assert_eq!(all.year, Some(2024), "the latest year with a vote");
        let c12 = all
            .clusters
            .iter()
            .find(|c| c.id == super::CLUSTER)
            .unwrap();
        assert!(c12.results_published, "{c12:?}");
        assert_eq!(c12.first.len(), 1, "{c12:?}");
        let statuses: Vec<(&str, &str)> = c12
            .elections
            .iter()
            .map(|e| (e.award.as_str(), e.status.as_str()))
            .collect();
        assert_eq!(
            statuses,
            [
                ("government_flag", "decided"),
                ("ministry_flag", "in_progress")
            ]
        );
        let elected: Vec<(&str, u32, u32, Option<u32>)> = c12.elections[0]
            .elected
            .iter()
            .map(|p| (p.unit.id.as_str(), p.approvals, p.members, p.rank))
            .collect();
        assert_eq!(elected, [("ca-kg", 4, 5, Some(1))]);
        assert!(c12.elections[0].elected.iter().all(|p| p.total.is_some()));
        assert!(c12.submissions.is_empty());
        // The secretariat issues the submission proposing the decided flag: it is listed.
        let election = thidua_domain::ElectionId::parse(&c12.elections[0].id).unwrap();
        let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis());
        let request = thidua_docs::Request::AwardSubmission {
            election,
            place: "Kiên Giang".into(),
            date: today,
        };
        let secretariat =
            thidua_domain::Actor::User(thidua_domain::UserId::parse("thuky.cum12").unwrap());
        thidua_docs::issue::issue(&service, &secretariat, &request).unwrap();
        let state = service.read();
        let after = thidua_web::api::awards::awards_dto(&state, &scope("giamsat.x01"), None);
        let issued = &after.clusters[0].submissions;
        assert_eq!(issued.len(), 1, "{issued:?}");
        assert!(
            issued[0]
                .number
                .as_deref()
                .is_some_and(|n| n.contains("/TTr-")),
            "{issued:?}"
        );
        let member = thidua_web::api::awards::awards_dto(&state, &scope("lanhdao.kg"), Some(2024));
        let seen: Vec<&str> = member.clusters.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(seen, [super::CLUSTER]);
    }
}
