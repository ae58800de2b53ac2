//! Who signs each document: a report or a submission for the cluster by its head unit's leader
//! ("TM. CỤM THI ĐUA SỐ 12", "CỤM TRƯỞNG", "GIÁM ĐỐC CÔNG AN TỈNH …", the name the covenant of
//! the year has for that leader); the minutes of an inspection by the two parties its text
//! says sign it, and dated by default where it is held (the inspected unit's province); the
//! minutes of a vote count by the secretary (by hand) and the head's leader in the chair. A
//! unit that ceased by a document's date is answered for by the unit it went into.

use thidua_docs::model::{SignatureBlock, Signatures};
use thidua_docs::prepare;

use super::render::{redated, requests};

fn signatures(name: &str) -> Signatures {
    let (_, request, state) = requests().into_iter().find(|(n, ..)| *n == name).unwrap();
    prepare(state, &request).unwrap().document.signatures
}

/// The document `name` of the fixtures dated `day`.
fn dated(name: &str, day: chrono::NaiveDate) -> thidua_docs::model::Document {
    let (_, request, state) = requests().into_iter().find(|(n, ..)| *n == name).unwrap();
    prepare(state, &redated(&request, day)).unwrap().document
}

#[test]
fn reports_and_submissions_are_signed_for_the_cluster_by_its_head() {
    let head = Signatures::Single(SignatureBlock {
        authority: Some("TM. CỤM THI ĐUA SỐ 12".to_owned()),
        title: "CỤM TRƯỞNG\nGIÁM ĐỐC CÔNG AN TỈNH KIÊN GIANG".to_owned(),
        name: "Nguyễn Văn Kiên (minh hoạ)".to_owned(),
    });
    for name in ["results", "year", "award"] {
        assert_eq!(signatures(name), head, "{name}");
    }
}

#[test]
fn inspection_minutes_are_signed_by_both_units() {
    let party = |role: &str, unit: &str, name: &str| SignatureBlock {
        authority: Some(role.to_owned()),
        title: format!("GIÁM ĐỐC\n{unit}"),
        name: name.to_owned(),
    };
    assert_eq!(
        signatures("inspection"),
        Signatures::Pair(
            party(
                "ĐƠN VỊ ĐƯỢC KIỂM TRA",
                "CÔNG AN TỈNH KIÊN GIANG",
                "Nguyễn Văn Kiên (minh hoạ)"
            ),
            party(
                "ĐƠN VỊ KIỂM TRA",
                "CÔNG AN TỈNH HẬU GIANG",
                "Võ Thị Hậu (minh hoạ)"
            ),
        )
    );
}

#[test]
fn inspection_minutes_are_dated_in_the_inspected_province() {
    use thidua_docs::templates::offers::default_place;
    let state = super::fixture::demo_state();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 12, 18).unwrap();
    let place = |key: &str| default_place(state, key, day);
    let covenant = "giao-uoc-cum-12-2024";
    assert_eq!(
        place(&format!("inspection:{covenant}:ca-hg:ca-kg")).as_deref(),
        Some("Kiên Giang")
    );
    assert_eq!(
        place(&format!("inspection:{covenant}:ca-kg:ca-cm")).as_deref(),
        Some("Cà Mau"),
        "the inspected unit's province, not the covenant's place"
    );
    assert_eq!(
        place(&format!("year:{covenant}")).as_deref(),
        Some("Kiên Giang"),
        "other documents: the covenant's place"
    );
}

#[test]
fn the_count_is_chaired_by_the_heads_leader_and_minuted_by_hand() {
    let block = |title: &str, name: &str| SignatureBlock {
        authority: None,
        title: title.to_owned(),
        name: name.to_owned(),
    };
    assert_eq!(
        signatures("vote"),
        Signatures::Pair(
            block("THƯ KÝ", ""),
            block("CHỦ TỌA", "Nguyễn Văn Kiên (minh hoạ)")
        )
    );
}

/// Kiên Giang, the 2024 head, merged into An Giang on 01/07/2025 and Hậu Giang into Cần Thơ:
/// a paper of 2024 dated after that is dated at An Giang and signed and received by the units
/// that answer for them then, while its text still names the units of the year.
#[test]
fn a_unit_that_ceased_is_answered_for_by_the_unit_it_went_into() {
    let before = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    let after = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let year = dated("year", after);
    assert_eq!(
        year.signatures,
        Signatures::Single(SignatureBlock {
            authority: Some("TM. CỤM THI ĐUA SỐ 12".to_owned()),
            title: "CỤM TRƯỞNG\nGIÁM ĐỐC CÔNG AN TỈNH AN GIANG".to_owned(),
            name: "Phạm Quốc An (minh hoạ)".to_owned(),
        })
    );
    assert_eq!(dated("year", before).signatures, signatures("year"));
    let Signatures::Pair(_, chair) = dated("vote", after).signatures else {
        panic!("minutes have two blocks")
    };
    assert_eq!(chair.name, "Phạm Quốc An (minh hoạ)");
    let minutes = dated("inspection", after);
    let Signatures::Pair(inspected, inspector) = &minutes.signatures else {
        panic!("minutes have two blocks")
    };
    assert_eq!(inspected.title, "GIÁM ĐỐC\nCÔNG AN TỈNH AN GIANG");
    assert_eq!(inspector.title, "GIÁM ĐỐC\nCÔNG AN THÀNH PHỐ CẦN THƠ");
    assert_eq!(
        inspector.name, "",
        "Cần Thơ signed no covenant of 2024 and has no leader account: signed by hand"
    );
    assert_eq!(
        minutes.recipients[..2],
        ["- Công an thành phố Cần Thơ;", "- Công an tỉnh An Giang;"]
    );
    let text = format!("{:?}", minutes.body);
    for said in [
        "Đơn vị kiểm tra: Công an tỉnh Hậu Giang (nay là Công an thành phố Cần Thơ).",
        "Đơn vị được kiểm tra: Công an tỉnh Kiên Giang (nay là Công an tỉnh An Giang).",
    ] {
        assert!(
            text.contains(said),
            "the year's units, and who answers for them: {text}"
        );
    }
    let before = format!("{:?}", dated("inspection", before).body);
    assert!(
        before.contains("Đơn vị kiểm tra: Công an tỉnh Hậu Giang.") && !before.contains("nay là"),
        "{before}"
    );
}

#[test]
fn places_of_units_that_ceased_become_the_places_of_their_successors() {
    use thidua_docs::templates::offers::default_place;
    let state = super::fixture::demo_state();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let covenant = "giao-uoc-cum-12-2024";
    let place = |key: &str| default_place(state, key, day);
    assert_eq!(
        place(&format!("year:{covenant}")).as_deref(),
        Some("An Giang")
    );
    assert_eq!(
        place(&format!("inspection:{covenant}:ca-kg:ca-hg")).as_deref(),
        Some("Cần Thơ")
    );
    assert_eq!(
        place(&format!("inspection:{covenant}:ca-hg:ca-cm")).as_deref(),
        Some("Cà Mau")
    );
}

/// A unit that signed no covenant of the year — Cần Thơ, which Hậu Giang went into — signs
/// inspection minutes dated after the merger with the name of its one leader account; with two
/// such accounts the name is left blank, to be written by hand.
#[test]
fn a_successor_signs_with_its_one_leaders_name() {
    use thidua_domain::model::{Role, User};
    use thidua_domain::{Text, UnitId, UserId};
    let (_, request, state) = requests()
        .into_iter()
        .find(|(n, ..)| *n == "inspection")
        .unwrap();
    let after = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let leader = |id: &str, name: &str| User {
        id: UserId::parse(id).unwrap(),
        display_name: Text::parse("t", name, 100).unwrap(),
        demo: true,
        roles: vec![Role::Leader {
            unit: UnitId::parse("ca-ct").unwrap(),
        }],
        roles_held: Vec::new(),
    };
    let inspector_name = |state: &thidua_domain::State| {
        let document = prepare(state, &redated(&request, after)).unwrap().document;
        let Signatures::Pair(_, inspector) = document.signatures else {
            panic!("minutes have two blocks")
        };
        inspector.name
    };
    let mut state = state.clone();
    let first = leader("lanhdao.ct", "Trương Văn Thơ (minh hoạ)");
    state.users.insert(first.id.clone(), first);
    assert_eq!(inspector_name(&state), "Trương Văn Thơ (minh hoạ)");
    let second = leader("lanhdao.ct2", "Người thứ hai (minh hoạ)");
    state.users.insert(second.id.clone(), second);
    assert_eq!(inspector_name(&state), "", "two leaders: by hand");
}
