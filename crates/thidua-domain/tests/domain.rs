//! Behaviour of the domain through its public API: commands in, events or typed errors out.

use chrono::NaiveDate;
use proptest::prelude::*;
use thidua_domain::calendar::default_calendar;
use thidua_domain::model::*;
use thidua_domain::*;

/// A state plus the plumbing to run commands against it the way the service does.
struct World {
    state: State,
    /// Every event applied, in order (the log).
    events: Vec<Event>,
}

fn t(s: &str) -> Text {
    Text::parse("test", s, 500).unwrap()
}
fn u(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}
fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn user(s: &str) -> Actor {
    Actor::User(UserId::parse(s).unwrap())
}
fn cum() -> ClusterId {
    ClusterId::parse("cum-12").unwrap()
}
fn cov() -> CovenantId {
    CovenantId::parse("gu-2024").unwrap()
}

const UNITS: [&str; 3] = ["ca-kg", "ca-ag", "ca-hg"];

/// Runs a command at `time_ms` the way the service does: decided and applied, every event
/// through its own canonical encoding and back (which must give the same event) before it is
/// applied; `state` and `events` change only when all of it succeeds.
fn run_like_the_service(
    state: &mut State,
    events: &mut Vec<Event>,
    time_ms: i64,
    actor: &Actor,
    command: Command,
) -> Result<Vec<Payload>, DomainError> {
    let (payloads, _) = decide_and_apply(state, actor, time_ms, command)?;
    let mut scratch = state.clone();
    let mut applied = Vec::new();
    for payload in &payloads {
        let event = Event {
            index: scratch.size,
            time_ms,
            actor: actor.clone(),
            salt: "00".repeat(16),
            payload: payload.clone(),
        };
        let decoded = Event::decode(event.index, &event.canonical_bytes()).unwrap();
        assert_eq!(decoded, event);
        scratch.apply(&decoded)?;
        applied.push(decoded);
    }
    *state = scratch;
    events.extend(applied);
    Ok(payloads)
}

/// The time the tests' commands run at unless they say otherwise: 26/03/2024.
pub(crate) const TIME_MS: i64 = 1_711_420_000_000;

impl World {
    fn run(&mut self, actor: &Actor, command: Command) -> Result<Vec<Payload>, DomainError> {
        self.run_at(TIME_MS, actor, command)
    }

    /// Runs a command at `time_ms` the way the service does (decode round trip included).
    fn run_at(
        &mut self,
        time_ms: i64,
        actor: &Actor,
        command: Command,
    ) -> Result<Vec<Payload>, DomainError> {
        run_like_the_service(&mut self.state, &mut self.events, time_ms, actor, command)
    }

    fn ok(&mut self, actor: &Actor, command: Command) -> Vec<Payload> {
        self.run(actor, command).unwrap()
    }

    fn err(&mut self, actor: &Actor, command: Command) -> &'static str {
        let before = self.state.clone();
        let code = self.run(actor, command).unwrap_err().code();
        assert_eq!(self.state, before, "a refused command changes nothing");
        code
    }

    /// Three units in cluster 12 for 2024, a movement, users for each role.
    fn cluster() -> Self {
        Self::cluster_with_calendar(default_calendar(2024))
    }

    /// [`World::cluster`] with the movement's reporting calendar given.
    fn cluster_with_calendar(calendar: Vec<thidua_domain::model::ReportingWindow>) -> Self {
        let mut w = World {
            state: State::default(),
            events: Vec::new(),
        };
        let sys = Actor::System;
        for id in UNITS {
            w.ok(
                &sys,
                Command::CreateUnit {
                    unit: u(id),
                    name: t(&format!("Công an {id}")),
                    short_code: t(&id[3..].to_uppercase()),
                    kind: UnitKind::ProvincialPolice,
                    parent: None,
                    established: d(2004, 1, 1),
                },
            );
        }
        w.ok(
            &sys,
            Command::CreateCluster {
                cluster: cum(),
                name: t("Cụm thi đua số 12"),
            },
        );
        w.ok(
            &sys,
            Command::SetClusterYear {
                cluster: cum(),
                year: 2024,
                members: UNITS.iter().map(|x| u(x)).collect(),
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
                calendar,
            },
        );
        let mut accounts = vec![
            ("thuky", Role::Secretariat { cluster: cum() }),
            ("admin", Role::Admin),
        ];
        for id in UNITS {
            accounts.push((
                Box::leak(format!("lanhdao.{}", &id[3..]).into_boxed_str()),
                Role::Leader { unit: u(id) },
            ));
            accounts.push((
                Box::leak(format!("canbo.{}", &id[3..]).into_boxed_str()),
                Role::Officer { unit: u(id) },
            ));
        }
        for (name, role) in accounts {
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
        w
    }

    fn draft(&mut self) {
        let content = content("Giao ước 2024");
        self.ok(
            &user("thuky"),
            Command::DraftCovenant {
                covenant: cov(),
                movement: MovementId::parse("vanttq-2024").unwrap(),
                cluster: cum(),
                content,
            },
        );
    }

    fn hash(&self) -> String {
        self.state.covenants[&cov()].latest().hash.clone()
    }

    fn sign(&mut self, unit: &str) -> Result<Vec<Payload>, DomainError> {
        let hash = self.hash();
        let version = self.state.covenants[&cov()].latest().version;
        self.run(
            &user(&format!("lanhdao.{}", &unit[3..])),
            Command::SignCovenant {
                covenant: cov(),
                version,
                unit: u(unit),
                hash,
            },
        )
    }
}

/// The example regulation of Cluster No. 12, in canonical form.
fn regulation_text() -> String {
    thidua_scoring::canonical_form(include_str!("../../../examples/cum12-2024/regulation.toml"))
        .unwrap()
}

fn content(title: &str) -> CovenantContent {
    let text = regulation_text();
    CovenantContent {
        title: t(title),
        place: t("Kiên Giang"),
        signing_date: d(2024, 3, 26),
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
            sha256: hex_sha256(&text),
            text,
        },
    }
}

fn hex_sha256(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn all_members_sign_then_the_covenant_freezes() {
    let mut w = World::cluster();
    w.draft();
    assert_eq!(w.sign("ca-kg").unwrap().len(), 1);
    assert_eq!(w.sign("ca-ag").unwrap().len(), 1);
    let last = w.sign("ca-hg").unwrap();
    assert_eq!(last.len(), 2, "the last signature freezes the version");
    assert!(matches!(last[1], Payload::CovenantFrozen { .. }));
    assert!(w.state.covenants[&cov()].latest().frozen_at.is_some());
}

/// Once anyone has signed a year's covenant, its members stay as signed (a new draft version
/// reopens them); a ministry is never a member of a cluster.
/// The Ministry (`bo-ca`), created by the system.
fn create_ministry(w: &mut World) {
    w.ok(
        &Actor::System,
        Command::CreateUnit {
            unit: u("bo-ca"),
            name: t("Bộ Công an"),
            short_code: t("BCA"),
            kind: UnitKind::Ministry,
            parent: None,
            established: d(2004, 1, 1),
        },
    );
}

#[test]
fn a_signed_year_keeps_its_members_and_a_ministry_is_never_one() {
    let mut w = World::cluster();
    let set = |members: &[&str]| Command::SetClusterYear {
        cluster: cum(),
        year: 2024,
        members: members.iter().map(|x| u(x)).collect(),
    };
    create_ministry(&mut w);
    let mut with_ministry = UNITS.to_vec();
    with_ministry.push("bo-ca");
    assert_eq!(
        w.err(&user("thuky"), set(&with_ministry)),
        "ministry_not_member"
    );
    w.draft();
    w.ok(&user("thuky"), set(&UNITS[..2]));
    w.ok(&user("thuky"), set(&UNITS));
    w.sign("ca-kg").unwrap();
    assert_eq!(w.err(&user("thuky"), set(&UNITS[..2])), "membership_signed");
    // The same members: nothing to record (and nothing changes).
    assert_eq!(w.err(&user("thuky"), set(&UNITS)), "cluster_year_unchanged");
    assert_eq!(
        w.err(&user("thuky"), set(&UNITS[..1])),
        "membership_signed",
        "a signed year's membership is fixed before it is too small"
    );
    for unit in &UNITS[1..] {
        w.sign(unit).unwrap();
    }
    assert_eq!(w.err(&Actor::System, set(&UNITS[..2])), "membership_signed");
}

#[test]
fn signing_errors_have_stable_codes() {
    let mut w = World::cluster();
    w.draft();
    w.sign("ca-kg").unwrap();
    let before = w.state.clone();
    assert_eq!(w.sign("ca-kg").unwrap_err().code(), "already_signed");
    assert_eq!(w.state, before);
    // A leader signing for another unit.
    let hash = w.hash();
    assert_eq!(
        w.err(
            &user("lanhdao.kg"),
            Command::SignCovenant {
                covenant: cov(),
                version: 1,
                unit: u("ca-ag"),
                hash: hash.clone()
            }
        ),
        "forbidden"
    );
    // An officer cannot sign, even for their own unit.
    assert_eq!(
        w.err(
            &user("canbo.ag"),
            Command::SignCovenant {
                covenant: cov(),
                version: 1,
                unit: u("ca-ag"),
                hash
            }
        ),
        "forbidden"
    );
    assert_eq!(
        w.err(
            &user("lanhdao.ag"),
            Command::SignCovenant {
                covenant: cov(),
                version: 1,
                unit: u("ca-ag"),
                hash: "00".into()
            }
        ),
        "hash_mismatch"
    );
    assert_eq!(
        w.err(
            &user("lanhdao.ag"),
            Command::SignCovenant {
                covenant: cov(),
                version: 9,
                unit: u("ca-ag"),
                hash: "00".into()
            }
        ),
        "unknown_version"
    );
}

/// A mistake found after the first signature is mended by a new version that supersedes the
/// partly signed one (whose signatures lapse: it can no longer be signed); a cluster has one
/// covenant per movement, a withdrawn one aside.
#[test]
fn a_partly_signed_version_is_superseded_and_a_cluster_has_one_covenant_per_movement() {
    let mut w = World::cluster();
    w.draft();
    w.sign("ca-kg").unwrap();
    let first_hash = w.hash();
    w.ok(
        &user("thuky"),
        Command::ProposeCovenantVersion {
            covenant: cov(),
            content: content("Giao ước 2024 (sửa sau chữ ký đầu)"),
        },
    );
    let c = &w.state.covenants[&cov()];
    assert_eq!(c.latest().version, 2);
    assert!(c.latest().signatures.is_empty(), "everyone signs again");
    let old = Command::SignCovenant {
        covenant: cov(),
        version: 1,
        unit: u("ca-ag"),
        hash: first_hash,
    };
    assert_eq!(w.err(&user("lanhdao.ag"), old), "invalid_value");
    for unit in ["ca-kg", "ca-ag", "ca-hg"] {
        w.sign(unit).unwrap();
    }
    assert!(w.state.covenants[&cov()].latest().frozen_at.is_some());
    let second = Command::DraftCovenant {
        covenant: CovenantId::parse("gu-thu-hai").unwrap(),
        movement: MovementId::parse("vanttq-2024").unwrap(),
        cluster: cum(),
        content: content("Giao ước thứ hai cùng năm"),
    };
    assert_eq!(w.err(&user("thuky"), second), "covenant_year_exists");
}

/// A new version that changes nothing is refused, so a save without changes never cancels the
/// signatures given; a withdrawn covenant comes back by a new version only while the cluster
/// has no other covenant for the movement (it brought back a second covenant of the year, both
/// then signed and frozen).
#[test]
fn an_unchanged_version_and_a_second_covenant_of_the_year_are_refused() {
    let mut w = World::cluster();
    w.draft();
    w.sign("ca-kg").unwrap();
    let same = Command::ProposeCovenantVersion {
        covenant: cov(),
        content: content("Giao ước 2024"),
    };
    assert_eq!(w.err(&user("thuky"), same), "covenant_unchanged");
    let c = &w.state.covenants[&cov()];
    assert_eq!((c.latest().version, c.latest().signatures.len()), (1, 1));
    // A changed version supersedes it; that one, signed by nobody yet, is withdrawn.
    w.ok(
        &user("thuky"),
        Command::ProposeCovenantVersion {
            covenant: cov(),
            content: content("Giao ước 2024 (sửa)"),
        },
    );
    w.ok(
        &user("thuky"),
        Command::WithdrawCovenantDraft {
            covenant: cov(),
            reason: t("Soạn lại từ đầu"),
        },
    );
    let other = CovenantId::parse("gu-thu-hai").unwrap();
    w.ok(
        &user("thuky"),
        Command::DraftCovenant {
            covenant: other.clone(),
            movement: MovementId::parse("vanttq-2024").unwrap(),
            cluster: cum(),
            content: content("Giao ước 2024 (soạn lại)"),
        },
    );
    let back = |title: &str| Command::ProposeCovenantVersion {
        covenant: cov(),
        content: content(title),
    };
    assert_eq!(
        w.err(&user("thuky"), back("Giao ước 2024")),
        "covenant_year_exists"
    );
    // Once the other is withdrawn too, the first may come back, unchanged or not.
    w.ok(
        &user("thuky"),
        Command::WithdrawCovenantDraft {
            covenant: other,
            reason: t("Dùng lại giao ước cũ"),
        },
    );
    w.ok(&user("thuky"), back("Giao ước 2024 (sửa)"));
    assert_eq!(w.state.covenants[&cov()].latest().version, 3);
}

#[test]
fn a_signed_or_frozen_covenant_cannot_be_edited_and_a_new_version_needs_new_signatures() {
    let mut w = World::cluster();
    w.draft();
    let first_hash = w.hash();
    w.ok(
        &user("thuky"),
        Command::AmendCovenantDraft {
            covenant: cov(),
            content: content("Giao ước 2024 (sửa)"),
        },
    );
    assert_ne!(w.hash(), first_hash, "amending changes the hash");
    // What the amendment changed is kept for the members to read: the title, nothing else.
    let c = &w.state.covenants[&cov()];
    let amended = c
        .latest()
        .amended
        .as_ref()
        .expect("the amendment is recorded");
    assert_eq!(amended.before, content("Giao ước 2024"));
    let d = c.amendment_changes(1).expect("the amendment's changes");
    assert_eq!((d.from, d.to), (1, 1));
    let title = d
        .title
        .as_ref()
        .map(|(a, b)| (a.to_string(), b.to_string()));
    let said = ("Giao ước 2024".to_owned(), "Giao ước 2024 (sửa)".to_owned());
    assert_eq!(title, Some(said));
    assert!(d.targets.is_empty() && d.regulation.is_none(), "{d:?}");
    assert_eq!(
        w.err(
            &user("thuky"),
            Command::ProposeCovenantVersion {
                covenant: cov(),
                content: content("v2")
            }
        ),
        "covenant_not_frozen"
    );
    w.sign("ca-kg").unwrap();
    assert_eq!(
        w.err(
            &user("thuky"),
            Command::AmendCovenantDraft {
                covenant: cov(),
                content: content("x")
            }
        ),
        "covenant_has_signatures"
    );
    w.sign("ca-ag").unwrap();
    w.sign("ca-hg").unwrap();
    assert_eq!(
        w.err(
            &user("thuky"),
            Command::AmendCovenantDraft {
                covenant: cov(),
                content: content("x")
            }
        ),
        "covenant_frozen"
    );
    w.ok(
        &user("thuky"),
        Command::ProposeCovenantVersion {
            covenant: cov(),
            content: content("Giao ước 2024, bản 2"),
        },
    );
    let c = &w.state.covenants[&cov()];
    assert_eq!(c.versions.len(), 2);
    assert!(c.latest().signatures.is_empty());
    assert!(
        c.versions[0].frozen_at.is_some(),
        "the old version stays frozen"
    );
    // Signing the superseded version is refused.
    let old_hash = c.versions[0].hash.clone();
    assert_eq!(
        w.err(
            &user("lanhdao.kg"),
            Command::SignCovenant {
                covenant: cov(),
                version: 1,
                unit: u("ca-kg"),
                hash: old_hash
            }
        ),
        "already_signed"
    );
    w.sign("ca-kg").unwrap();
}

#[test]
fn cluster_and_lineage_errors() {
    let mut w = World::cluster();
    let sys = Actor::System;
    assert_eq!(
        w.err(
            &sys,
            Command::SetClusterYear {
                cluster: cum(),
                year: 2025,
                members: vec![u("ca-kg"), u("ca-kg")]
            }
        ),
        "duplicate_member"
    );
    assert_eq!(
        w.err(
            &sys,
            Command::SetClusterYear {
                cluster: cum(),
                year: 2025,
                members: vec![u("ca-xx")]
            }
        ),
        "unknown_unit"
    );
    assert_eq!(
        w.err(
            &sys,
            Command::CreateCluster {
                cluster: cum(),
                name: t("x")
            }
        ),
        "cluster_exists"
    );
    let merge_before = LineageChange {
        kind: LineageKind::Merge,
        predecessors: vec![u("ca-ag"), u("ca-kg")],
        successors: vec![u("ca-ag")],
        effective: d(2003, 1, 1),
        decision: t("QĐ"),
    };
    assert_eq!(
        w.err(
            &sys,
            Command::RecordLineage {
                change: merge_before
            }
        ),
        "lineage_before_established"
    );
    let malformed = LineageChange {
        kind: LineageKind::Merge,
        predecessors: vec![u("ca-kg")],
        successors: vec![u("ca-ag")],
        effective: d(2025, 7, 1),
        decision: t("QĐ"),
    };
    assert_eq!(
        w.err(&sys, Command::RecordLineage { change: malformed }),
        "invalid_lineage"
    );
    w.ok(
        &sys,
        Command::SetClusterLeadership {
            cluster: cum(),
            year: 2024,
            position: LeadershipPosition::Head,
            unit: u("ca-kg"),
            method: LeadershipMethod::Elected,
            decision: t("Biên bản"),
        },
    );
    assert_eq!(
        w.err(
            &sys,
            Command::SetClusterLeadership {
                cluster: cum(),
                year: 2024,
                position: LeadershipPosition::Deputy,
                unit: u("ca-kg"),
                method: LeadershipMethod::Elected,
                decision: t("Biên bản"),
            }
        ),
        "head_is_deputy"
    );
    assert_eq!(
        w.err(
            &sys,
            Command::SetClusterLeadership {
                cluster: cum(),
                year: 2031,
                position: LeadershipPosition::Head,
                unit: u("ca-kg"),
                method: LeadershipMethod::Assigned,
                decision: t("QĐ"),
            }
        ),
        "no_cluster_year"
    );
    // A secretariat of another cluster may not touch this one; an officer may not either.
    assert_eq!(
        w.err(
            &user("canbo.kg"),
            Command::SetClusterYear {
                cluster: cum(),
                year: 2025,
                members: vec![u("ca-kg")]
            }
        ),
        "forbidden"
    );
    assert_eq!(
        w.err(
            &user("thuky"),
            Command::CreateCluster {
                cluster: ClusterId::parse("cum-1").unwrap(),
                name: t("x")
            }
        ),
        "forbidden"
    );
    assert_eq!(
        w.err(
            &user("nobody"),
            Command::CreateCluster {
                cluster: ClusterId::parse("cum-1").unwrap(),
                name: t("x")
            }
        ),
        "forbidden"
    );
}

#[test]
fn lineage_answers_predecessors_and_successors_at_any_date() {
    let mut w = World::cluster();
    kien_giang_merged_into_an_giang(&mut w);
    let ag = u("ca-ag");
    let kg = u("ca-kg");
    assert!(w.state.predecessors(&ag, d(2025, 6, 30)).is_empty());
    assert_eq!(w.state.predecessors(&ag, d(2025, 7, 1)), vec![kg.clone()]);
    assert_eq!(w.state.successors(&kg, d(2025, 7, 1)), vec![ag.clone()]);
    assert!(w.state.units[&kg].active_on(d(2025, 6, 30)));
    assert!(!w.state.units[&kg].active_on(d(2025, 7, 1)));
    assert!(w.state.units[&ag].active_on(d(2025, 7, 1)));
    // Who answers for Kiên Giang: itself until the merger, An Giang from its day.
    let answering = |unit: &UnitId, date| w.state.continuing_unit(unit, date).map(|x| &x.id);
    assert_eq!(answering(&kg, d(2025, 6, 30)), Some(&kg));
    assert_eq!(answering(&kg, d(2025, 7, 1)), Some(&ag));
    assert_eq!(answering(&ag, d(2026, 1, 1)), Some(&ag));
    assert_eq!(answering(&u("ca-nowhere"), d(2026, 1, 1)), None);
    assert_eq!(
        w.state.lineage_closure(&ag, d(2026, 1, 1)),
        vec![ag.clone(), kg.clone()]
    );
    // A dissolved unit cannot be merged again, nor join a later cluster year.
    let again = LineageChange {
        kind: LineageKind::Merge,
        predecessors: vec![u("ca-hg"), u("ca-kg")],
        successors: vec![u("ca-hg")],
        effective: d(2025, 8, 1),
        decision: t("QĐ"),
    };
    assert_eq!(
        w.err(&Actor::System, Command::RecordLineage { change: again }),
        "unit_not_active"
    );
    assert_eq!(
        w.err(
            &Actor::System,
            Command::SetClusterYear {
                cluster: cum(),
                year: 2026,
                members: vec![kg]
            }
        ),
        "unit_not_active"
    );
    // Renames keep the old name for earlier dates.
    w.ok(
        &Actor::System,
        Command::RenameUnit {
            unit: u("ca-hg"),
            name: t("Công an tỉnh Hậu Giang mới"),
            short_code: t("HGM"),
            effective: d(2025, 1, 1),
            decision: t("QĐ"),
        },
    );
    let hg = &w.state.units[&u("ca-hg")];
    assert_eq!(hg.name_on(d(2024, 12, 31)).as_str(), "Công an ca-hg");
    assert_eq!(
        hg.name_on(d(2025, 1, 1)).as_str(),
        "Công an tỉnh Hậu Giang mới"
    );
}

#[test]
fn roles_are_granted_and_revoked_through_the_log() {
    let mut w = World::cluster();
    let sys = Actor::System;
    let id = UserId::parse("lanhdao.kg").unwrap();
    assert_eq!(
        w.err(
            &sys,
            Command::GrantRole {
                user: id.clone(),
                role: Role::Leader { unit: u("ca-kg") }
            }
        ),
        "role_already_granted"
    );
    assert_eq!(
        w.err(
            &sys,
            Command::GrantRole {
                user: id.clone(),
                role: Role::Leader { unit: u("ca-zz") }
            }
        ),
        "unknown_unit"
    );
    assert_eq!(
        w.err(
            &user("thuky"),
            Command::GrantRole {
                user: id.clone(),
                role: Role::Admin
            }
        ),
        "forbidden"
    );
    w.ok(
        &user("admin"),
        Command::RevokeRole {
            user: id.clone(),
            role: Role::Leader { unit: u("ca-kg") },
        },
    );
    assert!(w.state.users[&id].roles.is_empty());
    w.draft();
    assert_eq!(
        w.sign("ca-kg").unwrap_err().code(),
        "forbidden",
        "a revoked leader cannot sign"
    );
}

#[test]
fn members_sort_in_vietnamese_order() {
    let mut w = World {
        state: State::default(),
        events: Vec::new(),
    };
    for (id, name) in [
        ("a", "Kiên Giang"),
        ("b", "Đồng Tháp"),
        ("c", "Cà Mau"),
        ("e", "Bạc Liêu"),
        ("f", "An Giang"),
        ("g", "Dak Lak"),
    ] {
        w.ok(
            &Actor::System,
            Command::CreateUnit {
                unit: u(id),
                name: t(name),
                short_code: t(id),
                kind: UnitKind::ProvincialPolice,
                parent: None,
                established: d(2000, 1, 1),
            },
        );
    }
    let ids: Vec<UnitId> = w.state.units.keys().cloned().collect();
    let names: Vec<&str> = w
        .state
        .sorted_by_name(&ids)
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "An Giang",
            "Bạc Liêu",
            "Cà Mau",
            "Dak Lak",
            "Đồng Tháp",
            "Kiên Giang"
        ]
    );
}

#[test]
fn the_covenant_hash_is_pinned_to_fixed_bytes() {
    // What leaders sign must never change for the same content: the exact bytes of the hash
    // input and the hash are fixed here, not recomputed.
    let small = CovenantContent {
        title: t("Giao ước 2024"),
        place: t("Kiên Giang"),
        signing_date: d(2024, 3, 26),
        targets: vec![Target {
            id: TargetId::parse("ky-luat").unwrap(),
            area: t("Xây dựng lực lượng"),
            kind: TargetKind::Rate,
            subject: t("Tỷ lệ kỷ luật"),
            comparison: Comparison::Below,
            threshold: Some("0.5".parse().unwrap()),
            range: None,
            baseline_year: None,
            unit_of_measure: Some(t("%")),
            indicator: None,
        }],
        regulation: RegulationDoc {
            text: "format = 1\n".into(),
            sha256: hex_sha256("format = 1\n"),
        },
    };
    let members: Vec<UnitId> = UNITS.iter().map(|x| u(x)).collect();
    let movement = MovementId::parse("vanttq-2024").unwrap();
    let input = thidua_domain::wire::covenant_hash_input(
        &cov(),
        1,
        &movement,
        &cum(),
        2024,
        &members,
        &small,
    );
    assert_eq!(
        String::from_utf8(input).unwrap(),
        r#"{"cluster":"cum-12","content":{"place":"Kiên Giang","regulation":{"sha256":"PINNED_SHA","text":"format = 1\n"},"signing_date":"2024-03-26","targets":[{"area":"Xây dựng lực lượng","baseline_year":null,"comparison":"below","id":"ky-luat","kind":"rate","range":null,"subject":"Tỷ lệ kỷ luật","threshold":"0.5","unit_of_measure":"%"}],"title":"Giao ước 2024"},"covenant":"gu-2024","format":"thidua-covenant/v1","members":["ca-kg","ca-ag","ca-hg"],"movement":"vanttq-2024","version":1,"year":2024}"#
            .replace("PINNED_SHA", &hex_sha256("format = 1\n"))
    );
    let hash =
        thidua_domain::state::covenant_hash(&cov(), 1, &movement, &cum(), 2024, &members, &small);
    assert_eq!(
        hash,
        "badd31a413c0fd3c56b26213c105b62f2ae8cceb2f3aac93974465a6b5f29d2d"
    );
    // A target that names its indicator changes the hash (the field is signed when present).
    let mut measured = small.clone();
    measured.targets[0].indicator = Some("discipline_rate".into());
    assert_ne!(
        thidua_domain::state::covenant_hash(
            &cov(),
            1,
            &movement,
            &cum(),
            2024,
            &members,
            &measured
        ),
        hash
    );
}

fn arbitrary_command() -> impl Strategy<Value = (usize, Command)> {
    let unit = prop::sample::select(vec!["ca-kg", "ca-ag", "ca-hg", "ca-zz"]);
    let actor = 0usize..6;
    let cmd = prop_oneof![
        (unit.clone(), unit.clone()).prop_map(|(a, b)| Command::SetClusterYear {
            cluster: cum(),
            year: 2025,
            members: vec![u(a), u(b)]
        }),
        (unit.clone(), 0u32..3).prop_map(|(a, v)| Command::SignCovenant {
            covenant: cov(),
            version: v,
            unit: u(a),
            hash: String::new()
        }),
        unit.clone().prop_map(|a| Command::SetClusterLeadership {
            cluster: cum(),
            year: 2024,
            position: LeadershipPosition::Head,
            unit: u(a),
            method: LeadershipMethod::Elected,
            decision: t("QĐ"),
        }),
        Just(Command::AmendCovenantDraft {
            covenant: cov(),
            content: content("sửa")
        }),
        Just(Command::ProposeCovenantVersion {
            covenant: cov(),
            content: content("mới")
        }),
        (unit.clone(), unit, 2020i32..2030).prop_map(|(a, b, y)| Command::RecordLineage {
            change: LineageChange {
                kind: LineageKind::Merge,
                predecessors: vec![u(a), u(b)],
                successors: vec![u(a)],
                effective: d(y, 7, 1),
                decision: t("QĐ"),
            }
        }),
    ];
    (actor, cmd)
}

proptest! {
    /// Whatever sequence of commands arrives, decide never panics, a refused command changes
    /// nothing, and replaying the accepted events rebuilds exactly the same state.
    #[test]
    fn replay_rebuilds_the_same_state(commands in prop::collection::vec(arbitrary_command(), 0..25)) {
        let mut w = World::cluster();
        w.draft();
        let actors = [Actor::System, user("thuky"), user("lanhdao.kg"), user("lanhdao.ag"), user("canbo.hg"), user("lanhdao.hg")];
        let mut log: Vec<Event> = Vec::new();
        let mut replayed = World::cluster();
        replayed.draft();
        for (who, mut command) in commands {
            if let Command::SignCovenant { hash, .. } = &mut command {
                *hash = w.hash();
            }
            let size = w.state.size;
            match w.run(&actors[who], command) {
                Ok(payloads) => {
                    for (i, payload) in payloads.into_iter().enumerate() {
                        log.push(Event { index: size + i as u64, time_ms: 1_711_420_000_000, actor: actors[who].clone(), salt: "00".repeat(16), payload });
                    }
                }
                Err(_) => prop_assert_eq!(w.state.size, size),
            }
        }
        for event in &log {
            replayed.state.apply(event).unwrap();
        }
        prop_assert_eq!(&replayed.state, &w.state);
    }
}

/// A well-formed witness verifier key (the domain checks only its shape).
fn witness_key(name: &str) -> String {
    format!("{name}+0a1b2c3d+BAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH")
}

#[test]
fn witness_keys_are_registered_by_the_unit_leader_only() {
    let mut w = World::cluster();
    let kg = u("ca-kg");
    w.ok(
        &user("lanhdao.kg"),
        Command::RegisterWitnessKey {
            unit: kg.clone(),
            key: witness_key("ca-kg.witness"),
        },
    );
    assert_eq!(w.state.witness_keys[&kg].key, witness_key("ca-kg.witness"));
    let at = w.state.witness_keys[&kg].registered_at;
    assert_eq!(at, w.state.size - 1);
    // Rotation replaces the key; registering the same key twice is refused.
    let rotate = Command::RegisterWitnessKey {
        unit: kg.clone(),
        key: witness_key("ca-kg.witness2"),
    };
    w.ok(&user("lanhdao.kg"), rotate.clone());
    assert_eq!(w.state.witness_keys[&kg].key, witness_key("ca-kg.witness2"));
    assert_eq!(w.err(&user("lanhdao.kg"), rotate), "invalid_value");
    // The administrator runs the server the witnesses check, so cannot name a unit's witness.
    let by_admin = Command::RegisterWitnessKey {
        unit: kg.clone(),
        key: witness_key("ca-kg.witness3"),
    };
    assert_eq!(w.err(&user("admin"), by_admin), "forbidden");
    // Another unit's leader, an officer of the unit, an unknown unit: refused.
    let other = Command::RegisterWitnessKey {
        unit: kg.clone(),
        key: witness_key("x"),
    };
    assert_eq!(w.err(&user("lanhdao.ag"), other.clone()), "forbidden");
    assert_eq!(w.err(&user("canbo.kg"), other), "forbidden");
    let unknown = Command::RegisterWitnessKey {
        unit: u("ca-xx"),
        key: witness_key("x"),
    };
    assert_eq!(w.err(&Actor::System, unknown), "unknown_unit");
}

#[test]
fn malformed_witness_keys_never_enter_the_log() {
    let mut w = World::cluster();
    let good = witness_key("ca-kg.witness");
    let bad = [
        String::new(),
        "ca-kg.witness".to_owned(),
        good.replace("+0a1b2c3d+", "+0A1B2C3D+"),
        good.replace("+0a1b2c3d+", "+0a1b2c+"),
        good.replace("ca-kg.witness", "ca kg"),
        format!("{good}="),
        good.replace("BAcH", "BA-H"),
        format!("{good}+extra"),
    ];
    for key in bad {
        let cmd = Command::RegisterWitnessKey {
            unit: u("ca-kg"),
            key: key.clone(),
        };
        assert_eq!(w.err(&user("lanhdao.kg"), cmd), "invalid_value", "{key:?}");
    }
    assert!(w.state.witness_keys.is_empty());
}

/// 01/08/2025, a month after the merger of [`absorb_kg`].
const AUGUST_2025_MS: i64 = 1_754_006_400_000;

/// Kiên Giang merges into An Giang on 01/07/2025.
fn absorb_kg(w: &mut World) {
    let merge = LineageChange {
        kind: LineageKind::Merge,
        predecessors: vec![u("ca-ag"), u("ca-kg")],
        successors: vec![u("ca-ag")],
        effective: d(2025, 7, 1),
        decision: t("QĐ hợp nhất"),
    };
    w.ok(&Actor::System, Command::RecordLineage { change: merge });
}

/// Issue 10: a unit dissolved by a merger on the command's date, or one outside every cluster of
/// the log, cannot register a witness key (and so cannot change anyone's quorum).
#[test]
fn only_a_unit_that_exists_and_belongs_to_a_cluster_registers_a_witness_key() {
    let mut w = World::cluster();
    absorb_kg(&mut w);
    let register = |unit: &str, name: &str| Command::RegisterWitnessKey {
        unit: u(unit),
        key: witness_key(name),
    };
    let sys = Actor::System;
    // After the merger Kiên Giang no longer exists; An Giang, its successor, still does.
    let code = w
        .run_at(AUGUST_2025_MS, &sys, register("ca-kg", "kg"))
        .unwrap_err()
        .code();
    assert_eq!(code, "unit_dissolved");
    w.run_at(AUGUST_2025_MS, &sys, register("ca-ag", "ag"))
        .unwrap();
    // Before the merger's date it still exists, but its end is recorded: its key would count
    // for no checkpoint, so it is refused too, and a policy cannot designate it.
    assert_eq!(w.err(&sys, register("ca-kg", "kg")), "unit_dissolved");
    let policy = Command::SetWitnessPolicy {
        witnesses: vec![u("ca-ag"), u("ca-kg")],
        quorum: 1,
    };
    assert_eq!(w.err(&user("admin"), policy), "unit_dissolved");
    // A unit in no cluster of the log.
    w.ok(
        &sys,
        Command::CreateUnit {
            unit: u("ca-tn"),
            name: t("Công an Tây Ninh"),
            short_code: t("TN"),
            kind: UnitKind::ProvincialPolice,
            parent: None,
            established: d(2004, 1, 1),
        },
    );
    assert_eq!(
        w.err(&sys, register("ca-tn", "tn")),
        "witness_outside_clusters"
    );
    assert_eq!(w.state.witness_keys.len(), 1);
}

/// A witness key stops counting at the log index that records its unit's end (Kiên Giang
/// merged into An Giang from 01/07/2025): a checkpoint that includes the merger does not count
/// it and names it with the day; one before the merger keeps it.
#[test]
fn a_merger_ends_the_witness_key_of_the_unit_it_ends_from_its_index() {
    let mut w = World::cluster();
    let sys = Actor::System;
    for unit in ["ca-kg", "ca-ag"] {
        let key = witness_key(unit);
        let unit = u(unit);
        w.ok(&sys, Command::RegisterWitnessKey { unit, key });
    }
    let merger = w.state.size;
    absorb_kg(&mut w);
    let before = w.state.witnesses_at(merger);
    assert_eq!(before.keys.len(), 2);
    assert!(before.ceased.is_empty());
    let after = w.state.witnesses_at(merger + 1);
    assert_eq!(after.keys.keys().collect::<Vec<_>>(), [&u("ca-ag")]);
    let kg = &after.ceased[&u("ca-kg")];
    assert_eq!((kg.date, kg.at), (d(2025, 7, 1), merger));
    assert_eq!(kg.key, w.state.witness_keys[&u("ca-kg")]);
}

/// Issue 10: the witness set is kept by log index; a checkpoint of size N is judged by what the
/// log recorded in its first N entries, so a later key, rotation or policy never acts backwards.
#[test]
fn the_witness_set_in_force_at_a_size_ignores_later_changes() {
    let mut w = World::cluster();
    let register = |unit: &str, name: &str| Command::RegisterWitnessKey {
        unit: u(unit),
        key: witness_key(name),
    };
    let sys = Actor::System;
    w.ok(&sys, register("ca-kg", "kg1"));
    let kg = w.state.size - 1;
    w.ok(&sys, register("ca-ag", "ag"));
    let ag = w.state.size - 1;
    w.ok(&sys, register("ca-kg", "kg2"));
    let rotated = w.state.size - 1;
    w.ok(
        &user("admin"),
        Command::SetWitnessPolicy {
            witnesses: vec![u("ca-ag")],
            quorum: 1,
        },
    );
    let policy = w.state.size - 1;
    let keys = |size: u64| {
        w.state
            .witnesses_at(size)
            .keys
            .iter()
            .map(|(u, k)| format!("{u}={}", &k.key[..k.key.find('+').unwrap()]))
            .collect::<Vec<_>>()
    };
    assert!(keys(kg).is_empty());
    assert_eq!(keys(kg + 1), ["ca-kg=kg1"]);
    assert_eq!(keys(ag + 1), ["ca-ag=ag", "ca-kg=kg1"]);
    assert_eq!(keys(rotated + 1), ["ca-ag=ag", "ca-kg=kg2"]);
    assert_eq!(w.state.witnesses_at(policy).policy, None);
    let p = w.state.witnesses_at(policy + 1).policy.unwrap();
    assert_eq!((p.quorum, p.set_at), (1, policy));
    // The newest set is the state's current one.
    let now = w.state.witnesses_at(w.state.size);
    assert_eq!(now.keys.len(), w.state.witness_keys.len());
    assert_eq!(now.policy, w.state.witness_policy);
}

/// Issue 10: a member reads every witness event, including those naming a unit it does not
/// see: its partial replay folds them (their unit and leader hidden) and so finds the same
/// witness set as the full log.
#[test]
fn a_partial_replay_folds_witness_events_of_units_it_does_not_see() {
    let mut w = World::cluster();
    w.ok(
        &user("lanhdao.kg"),
        Command::RegisterWitnessKey {
            unit: u("ca-kg"),
            key: witness_key("kg"),
        },
    );
    w.ok(
        &user("admin"),
        Command::SetWitnessPolicy {
            witnesses: vec![u("ca-kg"), u("ca-hg")],
            quorum: 1,
        },
    );
    let n = w.events.len();
    // A reader who sees the administrator but no unit: its registration and grant, and the two
    // witness events.
    let admin = UserId::parse("admin").unwrap();
    let readable = w.events.iter().enumerate().filter(|(i, e)| {
        *i >= n - 2
            || matches!(&e.payload, Payload::UserRegistered { user, .. }
                | Payload::RoleGranted { user, .. } if *user == admin)
    });
    let mut partial = State::default();
    for (_, e) in readable {
        partial.apply_readable(e).unwrap();
    }
    assert!(partial.units.is_empty());
    assert_eq!(
        partial.witnesses_at(partial.size),
        w.state.witnesses_at(w.state.size)
    );
    // A full replay still checks them: the key of a unit that does not exist is refused.
    let mut bad = w.events[n - 2].clone();
    bad.payload = Payload::WitnessKeyRegistered {
        unit: u("ca-zz"),
        key: witness_key("zz"),
    };
    let mut full = State::default();
    for e in &w.events[..n - 2] {
        full.apply(e).unwrap();
    }
    assert!(full.apply(&bad).is_err());
}

#[test]
fn a_split_divides_one_unit_into_successors_from_its_date() {
    let mut w = World::cluster();
    let sys = Actor::System;
    for id in ["ca-hg-a", "ca-hg-b"] {
        w.ok(
            &sys,
            Command::CreateUnit {
                unit: u(id),
                name: t(&format!("Công an {id}")),
                short_code: t(id),
                kind: UnitKind::ProvincialPolice,
                parent: None,
                established: d(2026, 1, 1),
            },
        );
    }
    let split = |effective| LineageChange {
        kind: LineageKind::Split,
        predecessors: vec![u("ca-hg")],
        successors: vec![u("ca-hg-a"), u("ca-hg-b")],
        effective,
        decision: t("QĐ chia tách"),
    };
    // The successors do not exist yet on 31/12/2025.
    assert_eq!(
        w.err(
            &sys,
            Command::RecordLineage {
                change: split(d(2025, 12, 31))
            }
        ),
        "lineage_before_established"
    );
    // A split with one successor is a rename, not a split.
    let mut one = split(d(2026, 1, 1));
    one.successors.pop();
    assert_eq!(
        w.err(&sys, Command::RecordLineage { change: one }),
        "invalid_lineage"
    );
    w.ok(
        &sys,
        Command::RecordLineage {
            change: split(d(2026, 1, 1)),
        },
    );
    assert_eq!(
        w.state.successors(&u("ca-hg"), d(2026, 1, 1)),
        vec![u("ca-hg-a"), u("ca-hg-b")]
    );
    assert_eq!(
        w.state.predecessors(&u("ca-hg-b"), d(2026, 1, 1)),
        vec![u("ca-hg")]
    );
    assert!(w.state.successors(&u("ca-hg"), d(2025, 12, 31)).is_empty());
    assert!(!w.state.units[&u("ca-hg")].active_on(d(2026, 1, 1)));
    // A unit split in several has no one unit answering for it.
    assert!(w
        .state
        .continuing_unit(&u("ca-hg"), d(2026, 1, 1))
        .is_none());
    assert!(w
        .state
        .continuing_unit(&u("ca-hg"), d(2025, 12, 31))
        .is_some());
}

#[test]
fn the_witness_policy_is_k_of_n_designated_units_set_by_an_administrator() {
    let mut w = World::cluster();
    let policy = |units: &[&str], quorum| Command::SetWitnessPolicy {
        witnesses: units.iter().map(|x| u(x)).collect(),
        quorum,
    };
    assert_eq!(
        w.err(&user("lanhdao.kg"), policy(&["ca-kg"], 1)),
        "forbidden"
    );
    assert_eq!(
        w.err(&user("admin"), policy(&["ca-kg", "ca-kg"], 1)),
        "invalid_value"
    );
    assert_eq!(
        w.err(&user("admin"), policy(&["ca-kg", "ca-ag"], 3)),
        "witness_quorum"
    );
    assert_eq!(
        w.err(&user("admin"), policy(&["ca-kg"], 0)),
        "witness_quorum"
    );
    assert_eq!(w.err(&user("admin"), policy(&["ca-zz"], 1)), "unknown_unit");
    w.ok(&user("admin"), policy(&["ca-kg", "ca-ag", "ca-hg"], 2));
    let p = w.state.witness_policy.clone().unwrap();
    assert_eq!((p.witnesses.len(), p.quorum), (3, 2));
}

/// Issue 11: every field is checked against its meaning, at decide, for every entry point.
#[test]
fn fields_are_checked_against_their_meaning() {
    let mut w = World::cluster();
    let draft = |content: CovenantContent| Command::DraftCovenant {
        covenant: cov(),
        movement: MovementId::parse("vanttq-2024").unwrap(),
        cluster: cum(),
        content,
    };
    let mut ancient = content("Giao ước");
    ancient.signing_date = d(1, 1, 1);
    assert_eq!(
        w.err(&user("thuky"), draft(ancient)),
        "signing_date_out_of_range"
    );
    let mut rate = content("Giao ước");
    rate.targets[0].kind = TargetKind::Rate;
    rate.targets[0].baseline_year = None;
    rate.targets[0].unit_of_measure = Some(t("%"));
    rate.targets[0].threshold = Some("150".parse().unwrap());
    assert_eq!(w.err(&user("thuky"), draft(rate)), "target_percent_range");
    let mut twice = content("Giao ước");
    let mut copy = twice.targets[0].clone();
    copy.id = TargetId::parse("lan-hai").unwrap();
    twice.targets.push(copy);
    assert_eq!(w.err(&user("thuky"), draft(twice)), "duplicate_target");
    let mut far = content("Giao ước");
    far.targets[0].baseline_year = Some(99999);
    assert_eq!(w.err(&user("thuky"), draft(far)), "target_baseline_range");
    // Two active units under the same parent cannot share a name or a short code.
    let same_name = Command::CreateUnit {
        unit: u("ca-kg2"),
        name: t("công an CA-KG"),
        short_code: t("KG2"),
        kind: UnitKind::ProvincialPolice,
        parent: None,
        established: d(2004, 1, 1),
    };
    assert_eq!(w.err(&Actor::System, same_name), "unit_name_taken");
    let same_code = Command::CreateUnit {
        unit: u("ca-kg2"),
        name: t("Công an tỉnh khác"),
        short_code: t("kg"),
        kind: UnitKind::ProvincialPolice,
        parent: None,
        established: d(2004, 1, 1),
    };
    assert_eq!(w.err(&Actor::System, same_code), "short_code_taken");
    // Read as people read it: repeated spaces aside; and a unit with no parent stands at the
    // Ministry's level, so it cannot copy the name of one under the Ministry either.
    let spaced = Command::CreateUnit {
        unit: u("ca-kg2"),
        name: t("công  an   CA-KG"),
        short_code: t("KG2"),
        kind: UnitKind::ProvincialPolice,
        parent: None,
        established: d(2004, 1, 1),
    };
    assert_eq!(w.err(&Actor::System, spaced), "unit_name_taken");
    create_ministry(&mut w);
    w.ok(
        &Actor::System,
        Command::CreateUnit {
            unit: u("ca-lan"),
            name: t("Công an tỉnh Lân Cận"),
            short_code: t("LC"),
            kind: UnitKind::ProvincialPolice,
            parent: Some(u("bo-ca")),
            established: d(2004, 1, 1),
        },
    );
    let copied = Command::CreateUnit {
        unit: u("ca-lan2"),
        name: t("Công an tỉnh Lân  Cận"),
        short_code: t("LC2"),
        kind: UnitKind::ProvincialPolice,
        parent: None,
        established: d(2004, 1, 1),
    };
    assert_eq!(w.err(&Actor::System, copied), "unit_name_taken");
    let ancient = Command::CreateUnit {
        unit: u("ca-xua"),
        name: t("Công an tỉnh xưa"),
        short_code: t("XUA"),
        kind: UnitKind::ProvincialPolice,
        parent: None,
        established: d(0, 1, 1),
    };
    assert_eq!(w.err(&Actor::System, ancient), "date_out_of_range");
    // A movement with thousands of reporting windows is refused.
    let mut calendar = default_calendar(2025);
    while calendar.len() < 5000 {
        let mut extra = calendar[0].clone();
        extra.key = format!("X{}", calendar.len());
        calendar.push(extra);
    }
    let movement = Command::CreateMovement {
        movement: MovementId::parse("m-2025").unwrap(),
        name: t("Phong trào"),
        year: 2025,
        plan_ref: t("1/KH"),
        slogan: None,
        calendar,
    };
    assert_eq!(w.err(&Actor::System, movement), "invalid_calendar");
}

/// Issue 11: a unit that ceases to exist during a year cannot be a member of that year; the
/// error names its successor.
#[test]
fn a_merged_unit_cannot_join_the_year_of_its_merger() {
    let mut w = World::cluster();
    kien_giang_merged_into_an_giang(&mut w);
    let err = decide(
        &w.state,
        &user("thuky"),
        Command::SetClusterYear {
            cluster: cum(),
            year: 2025,
            members: vec![u("ca-ag"), u("ca-kg")],
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        DomainError::UnitDissolved {
            unit: "ca-kg".into(),
            date: "2025-07-01".into(),
            successors: "ca-ag".into()
        }
    );
    w.ok(
        &user("thuky"),
        Command::SetClusterYear {
            cluster: cum(),
            year: 2025,
            members: vec![u("ca-ag"), u("ca-hg")],
        },
    );
}
/// Issue 11: a dissolved unit's name and short code stay its own for the time it existed: a
/// unit dated within that time cannot take them (a second "Kiên Giang" founded in 2020 while the
/// first existed until the 2025 merger), nor can a rename effective then; from the dissolution
/// on they are free again.
#[test]
fn a_dissolved_units_name_is_taken_for_the_time_it_existed() {
    let mut w = World::cluster();
    kien_giang_merged_into_an_giang(&mut w);
    let kg = w.state.units[&u("ca-kg")].clone();
    let again = |established: NaiveDate, name: &str, code: &str| Command::CreateUnit {
        unit: u("ca-kg2"),
        name: t(name),
        short_code: t(code),
        kind: UnitKind::ProvincialPolice,
        parent: None,
        established,
    };
    let (name, code) = (kg.name.as_str(), kg.short_code.as_str());
    let during = again(d(2020, 1, 1), name, "KG2");
    assert_eq!(w.err(&Actor::System, during), "unit_name_taken");
    let during = again(d(2025, 6, 30), "Công an tỉnh mới", &code.to_lowercase());
    assert_eq!(w.err(&Actor::System, during), "short_code_taken");
    let rename = |effective: NaiveDate| Command::RenameUnit {
        unit: u("ca-hg"),
        name: t(name),
        short_code: t("HG2"),
        effective,
        decision: t("Quyết định đổi tên"),
    };
    assert_eq!(
        w.err(&Actor::System, rename(d(2025, 1, 1))),
        "unit_name_taken"
    );
    w.ok(&Actor::System, rename(d(2025, 7, 1)));
    w.ok(
        &Actor::System,
        again(d(2025, 7, 1), "Công an tỉnh mới", code),
    );
}

/// The command that issues a results report of cluster 12's 2024 numbered `number`.
fn issue(subject: &str, title: &str, sha: char, date: NaiveDate, number: u32) -> Command {
    Command::IssueDocument {
        cluster: cum(),
        year: 2024,
        kind: thidua_domain::documents::DocumentKind::Results,
        date,
        number: Some(number),
        title: t(title),
        sha256: sha.to_string().repeat(64),
        subject: t(subject),
    }
}

/// One document of a kind per subject: a second results report of the same covenant is
/// refused with the number and date of the one issued, whatever its content; a subject of
/// another kind is refused. A record of format 1 (no subject) is matched by its year and title,
/// and a log with two such records still replays: the rule is decide's, added after them.
#[test]
fn a_second_document_about_the_same_subject_is_refused() {
    use thidua_domain::documents::DocumentKind;
    let mut w = World::cluster();
    let thuky = user("thuky");
    let title = "Kết quả chấm điểm thi đua năm 2024";
    w.ok(
        &thuky,
        issue("results:gu-2024", title, 'a', d(2024, 12, 20), 1),
    );
    let again = issue("results:gu-2024", title, 'b', d(2024, 12, 21), 2);
    let refused = w.run(&thuky, again.clone()).unwrap_err();
    assert_eq!(
        refused,
        DomainError::DocumentAlreadyIssued {
            kind: "results",
            number: Some("01/BC-CTĐ12".into()),
            date: "20/12/2024".into(),
            index: w.state.documents[0].index,
        }
    );
    assert_eq!(w.err(&thuky, again), "document_already_issued");
    w.ok(
        &thuky,
        issue("results:gu-2025", title, 'c', d(2024, 12, 21), 2),
    );
    let wrong = issue("year:cum-12:2024", title, 'd', d(2024, 12, 21), 3);
    assert_eq!(w.err(&thuky, wrong), "invalid_value");

    // Records of format 1: replayed as they are, even two about one subject…
    let mut old = World::cluster();
    for (i, sha) in ['e', 'f'].into_iter().enumerate() {
        let event = Event {
            index: old.state.size,
            time_ms: 1_711_420_000_000,
            actor: thuky.clone(),
            salt: "00".repeat(16),
            payload: Payload::DocumentIssued {
                cluster: cum(),
                year: 2024,
                kind: DocumentKind::Results,
                date: d(2024, 12, 20),
                number: Some(i as u32 + 1),
                symbol: Some(t("BC-CTĐ12")),
                title: t(title),
                sha256: sha.to_string().repeat(64),
                subject: None,
            },
        };
        let decoded = Event::decode(event.index, &event.canonical_bytes()).unwrap();
        assert!(decoded.canonical_bytes().ends_with(br#""v":1}"#));
        old.state.apply(&decoded).unwrap();
    }
    // …and a new document with their title and kind is refused, naming the first.
    let third = issue("results:gu-2024", title, '9', d(2024, 12, 22), 3);
    let refused = old.run(&thuky, third).unwrap_err();
    assert!(
        matches!(&refused, DomainError::DocumentAlreadyIssued { number: Some(n), .. } if n == "01/BC-CTĐ12"),
        "{refused:?}"
    );
}

/// Numbers follow the order of the dates within the cluster's year (Decree 30/2020): a
/// numbered document dated before the previous one of its year is refused with that one's
/// number and date; the next year starts its own sequence.
#[test]
fn a_numbered_document_is_not_dated_before_the_previous_one() {
    use thidua_domain::documents::DateFloor;
    let mut w = World::cluster();
    let thuky = user("thuky");
    let title = "Kết quả chấm điểm thi đua năm 2024";
    w.ok(
        &thuky,
        issue("results:gu-2024", title, 'a', d(2024, 12, 20), 1),
    );
    assert_eq!(
        w.run(
            &thuky,
            issue("results:gu-2025", title, 'b', d(2024, 12, 19), 2)
        )
        .unwrap_err(),
        DomainError::DocumentDateTooEarly {
            date: "19/12/2024".into(),
            earliest: "20/12/2024".into(),
            after: DateFloor::Document("01/BC-CTĐ12".into()),
        }
    );
    w.ok(
        &thuky,
        issue("results:gu-2025", title, 'b', d(2024, 12, 20), 2),
    );
    w.ok(
        &thuky,
        issue("results:gu-2026", title, 'c', d(2025, 1, 2), 1),
    );
}

#[path = "figures/mod.rs"]
mod figures;
#[path = "integrity/mod.rs"]
mod integrity_tests;
#[path = "midyear/mod.rs"]
mod midyear_tests;
#[path = "progress/mod.rs"]
mod progress_tests;

#[path = "replay/mod.rs"]
mod replay_strict;
#[path = "domain_votes/mod.rs"]
mod votes;
mod yearend;

/// A regulation is written for its covenant's year: a copy of last year's (`year = 2023`,
/// comparing with 2022) is refused when drafted, as is a baseline year that is not before the
/// covenant's; a draft an earlier release accepted that way is not signed as it is.
#[test]
fn a_regulation_written_for_another_year_is_refused() {
    let with = |from: &[(&str, &str)]| {
        let mut c = content("Giao ước 2024");
        let mut text = c.regulation.text.clone();
        for (a, b) in from {
            assert!(text.contains(a), "{a}");
            text = text.replacen(a, b, 1);
        }
        c.regulation = RegulationDoc {
            sha256: hex_sha256(&text),
            text,
        };
        c
    };
    let last_years = with(&[
        ("\nyear = 2024\n", "\nyear = 2023\n"),
        ("period = \"2024-Y\"", "period = \"2023-Y\""),
        ("baseline_year = 2023", "baseline_year = 2022"),
    ]);
    let draft = |content: CovenantContent| Command::DraftCovenant {
        covenant: cov(),
        movement: MovementId::parse("vanttq-2024").unwrap(),
        cluster: cum(),
        content,
    };
    let mut w = World::cluster();
    let e = w
        .run(&user("thuky"), draft(last_years.clone()))
        .unwrap_err();
    assert_eq!(e.code(), "regulation_year");
    assert!(e.to_string().contains("year = 2023"), "{e}");
    let same_year_baseline = with(&[("baseline_year = 2023", "baseline_year = 2024")]);
    let e = w
        .run(&user("thuky"), draft(same_year_baseline))
        .unwrap_err();
    assert!(
        matches!(
            e,
            DomainError::RegulationYear {
                field: "baseline_year",
                found: 2024,
                year: 2024
            }
        ),
        "{e:?}"
    );
    // An earlier release drafted it: the log replays, the signature is refused.
    drafted_by_an_earlier_release(&mut w, last_years);
    assert_eq!(w.sign("ca-kg").unwrap_err().code(), "regulation_year");
}

/// Nobody signs a regulation the engine cannot score: a draft stored by an earlier release whose
/// regulation no longer compiles replays, and its signature is refused until it is amended.
#[test]
fn a_regulation_the_engine_rejects_is_not_signed() {
    let mut w = World::cluster();
    let mut broken = content("Giao ước 2024");
    let text = broken
        .regulation
        .text
        .replacen("year = 2024", "year = hai nghìn", 1);
    broken.regulation = RegulationDoc {
        sha256: hex_sha256(&text),
        text,
    };
    drafted_by_an_earlier_release(&mut w, broken);
    assert_eq!(w.sign("ca-kg").unwrap_err().code(), "invalid_regulation");
}

/// The covenant drafted with `content` as an earlier release stored it: applied as an event,
/// without today's `decide`.
fn drafted_by_an_earlier_release(w: &mut World, content: CovenantContent) {
    let event = Event {
        index: w.state.size,
        time_ms: 1_711_411_200_000,
        actor: user("thuky"),
        salt: "00".repeat(16),
        payload: Payload::CovenantDrafted {
            covenant: cov(),
            movement: MovementId::parse("vanttq-2024").unwrap(),
            cluster: cum(),
            version: 1,
            content,
        },
    };
    w.state.apply(&event).unwrap();
}

/// The 2025 merger of Kiên Giang into An Giang (effective 01/07/2025).
fn kien_giang_merged_into_an_giang(w: &mut World) {
    let change = LineageChange {
        kind: LineageKind::Merge,
        predecessors: vec![u("ca-ag"), u("ca-kg")],
        successors: vec![u("ca-ag")],
        effective: d(2025, 7, 1),
        decision: t("Nghị quyết 202/2025/QH15"),
    };
    w.ok(&Actor::System, Command::RecordLineage { change });
}

fn new_unit(id: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> Command {
    Command::CreateUnit {
        unit: u(id),
        name: t(name),
        short_code: t(&id.to_uppercase()),
        kind,
        parent: parent.map(u),
        established: d(2025, 7, 1),
    }
}

/// A unit stands where its kind belongs: the Ministry at the top, its departments and the
/// provincial police under it (a provincial police may stand at the top where the Ministry is
/// not recorded), commune and ward police under a provincial police. A parent that does not
/// exist or has ceased to exist is refused. Nothing of it is asked when a log is replayed.
#[test]
fn a_unit_stands_under_a_parent_of_the_kind_above_it() {
    use UnitKind::*;
    let mut w = World::cluster();
    let sys = Actor::System;
    w.ok(&sys, new_unit("bo-ca", "Bộ Công an", Ministry, None));
    w.ok(
        &sys,
        new_unit("x01", "Cục X01", MinistryDepartment, Some("bo-ca")),
    );
    w.ok(
        &sys,
        new_unit(
            "ca-dn",
            "Công an tỉnh Đồng Nai",
            ProvincialPolice,
            Some("bo-ca"),
        ),
    );
    w.ok(
        &sys,
        new_unit("ca-p1", "Công an phường 1", CommunePolice, Some("ca-kg")),
    );
    for (kind, parent) in [
        (Ministry, Some("bo-ca")),
        (Ministry, Some("ca-kg")),
        (MinistryDepartment, None),
        (MinistryDepartment, Some("ca-kg")),
        (ProvincialPolice, Some("ca-p1")),
        (ProvincialPolice, Some("x01")),
        (ProvincialPolice, Some("ca-kg")),
        (CommunePolice, None),
        (CommunePolice, Some("bo-ca")),
        (CommunePolice, Some("x01")),
        (CommunePolice, Some("ca-p1")),
    ] {
        let e = w
            .run(&sys, new_unit("moi", "Đơn vị mới", kind, parent))
            .unwrap_err();
        let parent_kind = parent.map(|p| w.state.units[&u(p)].kind);
        assert_eq!(
            e,
            DomainError::ParentKind {
                kind,
                parent: parent_kind
            },
            "{kind:?} under {parent:?}"
        );
        assert_eq!(e.code(), "parent_kind");
    }
    assert_eq!(
        w.err(
            &sys,
            new_unit("moi", "Đơn vị mới", CommunePolice, Some("ca-khong"))
        ),
        "unknown_unit"
    );
    // Kiên Giang merged into An Giang: new communes go under An Giang, not Kiên Giang.
    w.ok(
        &sys,
        Command::RecordLineage {
            change: LineageChange {
                kind: LineageKind::Merge,
                predecessors: vec![u("ca-kg"), u("ca-ag")],
                successors: vec![u("ca-ag")],
                effective: d(2025, 7, 1),
                decision: t("1234/QĐ-BCA"),
            },
        },
    );
    let e = w
        .run(
            &sys,
            new_unit("ca-x", "Công an xã X", CommunePolice, Some("ca-kg")),
        )
        .unwrap_err();
    assert_eq!(e.code(), "parent_dissolved");
    assert!(matches!(e, DomainError::ParentDissolved { ref parent, .. } if parent == "ca-kg"));
    w.ok(
        &sys,
        new_unit("ca-x", "Công an xã X", CommunePolice, Some("ca-ag")),
    );

    // A log written before the rule replays: a commune police without a parent, a provincial
    // police under a commune police.
    for (id, kind, parent) in [
        ("ca-cu", CommunePolice, None),
        ("ca-la", ProvincialPolice, Some("ca-p1")),
    ] {
        let event = Event {
            index: w.state.size,
            time_ms: 1_711_420_000_000,
            actor: sys.clone(),
            salt: "00".repeat(16),
            payload: Payload::UnitCreated {
                unit: u(id),
                name: t(id),
                short_code: t(id),
                kind,
                parent: parent.map(u),
                established: d(2020, 1, 1),
            },
        };
        w.state.apply(&event).unwrap();
    }
}

/// A cluster's members in a year are units of one kind: a commune police or a department is
/// refused in a cluster of provinces, and the other way round; a log written before the rule
/// replays.
#[test]
fn a_cluster_year_has_members_of_one_kind() {
    use UnitKind::*;
    let mut w = World::cluster();
    let sys = Actor::System;
    w.ok(&sys, new_unit("bo-ca", "Bộ Công an", Ministry, None));
    w.ok(
        &sys,
        new_unit("x01", "Cục X01", MinistryDepartment, Some("bo-ca")),
    );
    w.ok(
        &sys,
        new_unit("x02", "Cục X02", MinistryDepartment, Some("bo-ca")),
    );
    w.ok(
        &sys,
        new_unit("ca-p1", "Công an phường 1", CommunePolice, Some("ca-kg")),
    );
    w.ok(
        &sys,
        new_unit("ca-p2", "Công an phường 2", CommunePolice, Some("ca-kg")),
    );
    let set = |year: i32, members: &[&str]| Command::SetClusterYear {
        cluster: cum(),
        year,
        members: members.iter().map(|x| u(x)).collect(),
    };
    let e = w
        .run(&user("thuky"), set(2025, &["ca-kg", "ca-ag", "ca-p1"]))
        .unwrap_err();
    assert_eq!(e.code(), "member_kinds");
    assert!(
        matches!(
            &e,
            DomainError::MemberKinds { unit, found: CommunePolice, expected: ProvincialPolice, .. }
                if unit == "ca-p1"
        ),
        "{e:?}"
    );
    assert_eq!(
        w.err(&user("thuky"), set(2025, &["ca-kg", "x01"])),
        "member_kinds"
    );
    assert_eq!(
        w.err(&user("thuky"), set(2025, &["x01", "ca-kg"])),
        "member_kinds"
    );
    // The Ministry is refused as before, for what it is.
    assert_eq!(
        w.err(&user("thuky"), set(2025, &["ca-kg", "bo-ca"])),
        "ministry_not_member"
    );
    w.ok(&user("thuky"), set(2025, &["ca-kg", "ca-ag"]));
    w.ok(&sys, set(2026, &["x01", "x02"]));
    w.ok(&sys, set(2027, &["ca-p1", "ca-p2"]));
    // Written before the rule: applied as it was.
    let event = Event {
        index: w.state.size,
        time_ms: 1_711_420_000_000,
        actor: sys.clone(),
        salt: "00".repeat(16),
        payload: Payload::ClusterYearSet {
            cluster: cum(),
            year: 2028,
            members: vec![u("ca-kg"), u("ca-p1"), u("x01")],
        },
    };
    w.state.apply(&event).unwrap();
}

/// A merger or split joins units of one level: a ward cannot absorb a province, nor anything
/// the Ministry (which ended the Ministry and left every province under a dissolved parent);
/// refused before anything is recorded. Provinces still merge.
#[test]
fn a_lineage_change_joins_units_of_one_level_never_the_ministry() {
    let mut w = World::cluster();
    let sys = Actor::System;
    let ministry = Command::CreateUnit {
        unit: u("bo-cong-an"),
        name: t("Bộ Công an"),
        short_code: t("BCA"),
        kind: UnitKind::Ministry,
        parent: None,
        established: d(1945, 8, 19),
    };
    w.ok(&sys, ministry);
    let ward = Command::CreateUnit {
        unit: u("ca-p-a"),
        name: t("Công an phường A"),
        short_code: t("PA"),
        kind: UnitKind::CommunePolice,
        parent: Some(u("ca-ag")),
        established: d(2020, 1, 1),
    };
    w.ok(&sys, ward);
    let merge = |predecessors: &[&str], into: &str| Command::RecordLineage {
        change: LineageChange {
            kind: LineageKind::Merge,
            predecessors: predecessors.iter().map(|p| u(p)).collect(),
            successors: vec![u(into)],
            effective: d(2025, 8, 1),
            decision: t("QĐ"),
        },
    };
    assert_eq!(
        w.err(&sys, merge(&["bo-cong-an", "ca-p-a"], "ca-p-a")),
        "lineage_kinds"
    );
    assert_eq!(
        w.err(&sys, merge(&["ca-kg", "ca-p-a"], "ca-kg")),
        "lineage_kinds"
    );
    assert!(w.state.units[&u("bo-cong-an")].dissolved.is_none());
    w.ok(&sys, merge(&["ca-ag", "ca-kg"], "ca-ag"));
}

/// One person is not both officer and leader of a unit (they would enter and approve their own
/// figures): the second role is refused whichever comes first; other units' roles are not.
#[test]
fn one_person_is_not_officer_and_leader_of_one_unit() {
    let mut w = World::cluster();
    let sys = Actor::System;
    let user = UserId::parse("nguoi.a").unwrap();
    w.ok(
        &sys,
        Command::RegisterUser {
            user: user.clone(),
            display_name: t("Người A"),
            demo: true,
        },
    );
    let grant = |role: Role| Command::GrantRole {
        user: user.clone(),
        role,
    };
    w.ok(&sys, grant(Role::Officer { unit: u("ca-kg") }));
    assert_eq!(
        w.err(&sys, grant(Role::Leader { unit: u("ca-kg") })),
        "roles_conflict"
    );
    w.ok(&sys, grant(Role::Leader { unit: u("ca-ag") }));
    assert_eq!(
        w.err(&sys, grant(Role::Officer { unit: u("ca-ag") })),
        "roles_conflict"
    );
}

/// Two clusters cannot share a name (letter case aside): nobody could tell them apart.
#[test]
fn a_cluster_name_is_one_clusters() {
    let mut w = World::cluster();
    let sys = Actor::System;
    let create = |id: &str, name: &str| Command::CreateCluster {
        cluster: ClusterId::parse(id).unwrap(),
        name: t(name),
    };
    assert_eq!(
        w.err(&sys, create("cum-13", "cụm thi đua số 12")),
        "cluster_name_taken"
    );
    w.ok(&sys, create("cum-13", "Cụm thi đua số 13"));
}

/// Two movements of one year cannot share a name (letter case aside); another year's may.
#[test]
fn a_movement_name_is_one_movements_in_its_year() {
    let mut w = World::cluster();
    let sys = Actor::System;
    let create = |id: &str, name: &str, year: i32| Command::CreateMovement {
        movement: thidua_domain::MovementId::parse(id).unwrap(),
        name: t(name),
        year,
        plan_ref: t("1/KH-BCA"),
        slogan: None,
        calendar: thidua_domain::calendar::default_calendar(year),
    };
    w.ok(&sys, create("pt-a-2026", "Vì an ninh Tổ quốc", 2026));
    assert_eq!(
        w.err(&sys, create("pt-b-2026", "VÌ AN NINH TỔ QUỐC", 2026)),
        "movement_name_taken"
    );
    w.ok(&sys, create("pt-a-2027", "Vì an ninh Tổ quốc", 2027));
}

/// The administrator's withdrawal of the lineage record at `index`.
fn withdraw_lineage(index: u64) -> Command {
    Command::WithdrawLineage {
        index,
        reason: t("Ghi nhầm ngày hiệu lực: quyết định quy định từ ngày 01/08/2025"),
    }
}

/// A merger recorded by mistake is withdrawn by the administrator only, with a reason: the
/// record stays, marked withdrawn; the unit it ended exists again and its witness key counts
/// again from the withdrawal (checkpoints between keep the set then in force); the merger can
/// then be recorded again, correctly; a full replay gives the same state.
#[test]
fn a_mistaken_merger_is_withdrawn_and_the_unit_it_ended_exists_again() {
    let mut w = World::cluster();
    let sys = Actor::System;
    for unit in ["ca-kg", "ca-ag"] {
        let key = witness_key(unit);
        w.ok(&sys, Command::RegisterWitnessKey { unit: u(unit), key });
    }
    let merger = w.state.size;
    absorb_kg(&mut w);
    assert_eq!(
        w.err(&user("lanhdao.ag"), withdraw_lineage(merger)),
        "forbidden"
    );
    assert_eq!(w.err(&user("thuky"), withdraw_lineage(merger)), "forbidden");
    assert_eq!(
        w.err(&user("admin"), withdraw_lineage(merger - 1)),
        "lineage_record_not_found"
    );
    let withdrawal = w.state.size;
    w.ok(&user("admin"), withdraw_lineage(merger));

    assert_eq!(w.state.units[&u("ca-kg")].dissolved, None);
    assert_eq!(w.state.lineage_in_force().count(), 0);
    let record = w.state.recorded_lineage(merger).unwrap();
    let gone = record.withdrawn.as_ref().unwrap();
    assert_eq!(gone.index, withdrawal);
    assert!(gone.reason.as_str().starts_with("Ghi nhầm"));
    assert_eq!(
        w.state.successors(&u("ca-kg"), d(2025, 12, 31)),
        Vec::<UnitId>::new()
    );
    assert!(w
        .state
        .witnesses_at(withdrawal)
        .ceased
        .contains_key(&u("ca-kg")));
    let now = w.state.witnesses_at(withdrawal + 1);
    assert!(now.ceased.is_empty());
    assert_eq!(now.keys.len(), 2);
    assert_eq!(
        w.err(&user("admin"), withdraw_lineage(merger)),
        "lineage_record_not_found"
    );

    // Recorded again with the decision's date.
    let corrected = LineageChange {
        kind: LineageKind::Merge,
        predecessors: vec![u("ca-ag"), u("ca-kg")],
        successors: vec![u("ca-ag")],
        effective: d(2025, 8, 1),
        decision: t("QĐ hợp nhất"),
    };
    w.ok(&sys, Command::RecordLineage { change: corrected });
    assert_eq!(w.state.units[&u("ca-kg")].dissolved, Some(d(2025, 8, 1)));
    assert_eq!(w.state.successors(&u("ca-kg"), d(2025, 8, 1)), [u("ca-ag")]);
    assert_eq!(
        w.state.successors(&u("ca-kg"), d(2025, 7, 15)),
        Vec::<UnitId>::new()
    );
    let mut replayed = State::default();
    for e in &w.events {
        replayed.apply(e).unwrap();
    }
    assert_eq!(replayed, w.state);
}

/// A record that a later event may rest on stands: an event concerning one of its units (a
/// rename of the successor) or a cluster with one of them among its members (the cluster's
/// leadership, naming a third unit) refuses the withdrawal, naming the first such event; and a
/// withdrawal written into the log after such an event is refused by a full replay.
#[test]
fn a_merger_that_later_events_rest_on_is_not_withdrawn() {
    let mut w = World::cluster();
    let merger = w.state.size;
    absorb_kg(&mut w);
    let clean = w.state.clone();
    w.ok(
        &Actor::System,
        Command::SetClusterLeadership {
            cluster: cum(),
            year: 2024,
            position: LeadershipPosition::Head,
            unit: u("ca-hg"),
            method: LeadershipMethod::Elected,
            decision: t("Biên bản hội nghị cụm"),
        },
    );
    let leadership = w.state.size - 1;
    w.ok(
        &Actor::System,
        Command::RenameUnit {
            unit: u("ca-ag"),
            name: t("Công an tỉnh An Giang"),
            short_code: t("AGM"),
            effective: d(2025, 7, 1),
            decision: t("QĐ đổi tên"),
        },
    );
    let refused = w.run(&user("admin"), withdraw_lineage(merger)).unwrap_err();
    assert_eq!(
        refused,
        DomainError::LineageReliedUpon {
            record: merger,
            later: leadership,
            unit: None,
            cluster: Some("cum-12".into()),
        }
    );
    assert_eq!(refused.code(), "lineage_relied_upon");
    assert_eq!(
        w.state
            .reliance_on(&w.state.recorded_lineage(merger).unwrap().change, merger)
            .map(|r| r.index),
        Some(leadership)
    );

    // The withdrawal decided before the leadership was recorded, written after it: a full
    // replay refuses it; a member's partial replay, which does not see every event, folds it.
    let decided = decide_and_apply(&clean, &user("admin"), TIME_MS, withdraw_lineage(merger));
    let payloads = decided.unwrap().0;
    let forged = Event {
        index: w.state.size,
        time_ms: TIME_MS,
        actor: user("admin"),
        salt: "00".repeat(16),
        payload: payloads[0].clone(),
    };
    let mut full = State::default();
    for e in &w.events {
        full.apply(e).unwrap();
    }
    let code = full.clone().apply(&forged).unwrap_err().code();
    assert_eq!(code, "lineage_relied_upon");
    // The member does not read the rename (the last event): its replay has a gap.
    let mut partial = State::default();
    for e in &w.events[..w.events.len() - 1] {
        partial.apply_readable(e).unwrap();
    }
    partial.apply_readable(&forged).unwrap();
    assert_eq!(partial.units[&u("ca-kg")].dissolved, None);
}

/// A member who sees none of the units reads the witness events, the merger that ended a
/// witness's unit and its withdrawal: its partial replay finds the same witness set as the
/// full log at every size (the key out after the merger, back after the withdrawal).
#[test]
fn a_partial_replay_follows_a_withdrawn_merger_of_units_it_does_not_see() {
    let mut w = World::cluster();
    for unit in ["ca-kg", "ca-ag"] {
        let key = witness_key(unit);
        let leader = user(&format!("lanhdao.{}", &unit[3..]));
        w.ok(&leader, Command::RegisterWitnessKey { unit: u(unit), key });
    }
    let merger = w.state.size;
    absorb_kg(&mut w);
    w.ok(&user("admin"), withdraw_lineage(merger));
    let admin = UserId::parse("admin").unwrap();
    let readable = w.events.iter().filter(|e| match &e.payload {
        Payload::UserRegistered { user, .. } | Payload::RoleGranted { user, .. } => *user == admin,
        p => matches!(
            p,
            Payload::WitnessKeyRegistered { .. }
                | Payload::LineageRecorded(_)
                | Payload::LineageWithdrawn(_)
        ),
    });
    let mut partial = State::default();
    for e in readable {
        partial.apply_readable(e).unwrap();
    }
    assert!(partial.units.is_empty());
    for size in [merger, merger + 1, w.state.size] {
        assert_eq!(
            partial.witnesses_at(size),
            w.state.witnesses_at(size),
            "{size}"
        );
    }
    assert!(w
        .state
        .witnesses_at(merger + 1)
        .ceased
        .contains_key(&u("ca-kg")));
}
