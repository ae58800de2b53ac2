//! Who signs each document: a report or a submission for the cluster by its head unit's leader
//! ("TM. CỤM THI ĐUA SỐ 12", "CỤM TRƯỞNG", "GIÁM ĐỐC CÔNG AN TỈNH …", the name the covenant of
//! the year has for that leader); the minutes of an inspection by the two parties its text
//! says sign it, and dated by default where it is held (the inspected unit's province); the
//! minutes of a vote count by the secretary (by hand) and the head's leader in the chair. A
//! unit that ceased by a report's date is answered for by the unit it went into; minutes are
//! signed by the units as they were the day of what they record, whenever they are issued.

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
/// a report of 2024 dated after that is dated at An Giang and signed by the unit that answers
/// for Kiên Giang then; minutes of 2024 issued after it still state the day of the meeting
/// (18/12/2024) and are signed by the units and the chair of that day, their copies received
/// by the units that answer for them on the date of issue.
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
    assert_eq!(dated("vote", after).signatures, signatures("vote"));
    let minutes = dated("inspection", after);
    assert_eq!(minutes.signatures, signatures("inspection"));
    assert_eq!(
        minutes.recipients[..2],
        ["- Công an thành phố Cần Thơ;", "- Công an tỉnh An Giang;"]
    );
    let text = format!("{:?}", minutes.body);
    for said in [
        "Vào ngày 18/12/2024, tại Kiên Giang, đoàn kiểm tra của Công an tỉnh Hậu Giang",
        "Đơn vị kiểm tra: Công an tỉnh Hậu Giang.",
        "Đơn vị được kiểm tra: Công an tỉnh Kiên Giang.",
    ] {
        assert!(text.contains(said), "the units of the day: {text}");
    }
    assert!(!text.contains("nay là"), "{text}");
}

/// The fixture's state with Hậu Giang's inspection of Kiên Giang held on `day` (its finding
/// entered then).
fn inspection_held_on(day: chrono::NaiveDate) -> thidua_domain::State {
    let mut state = super::fixture::demo_state().clone();
    let noon = day
        .and_hms_opt(5, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    let keys: Vec<_> = state.yearend.reviews.keys().cloned().collect();
    for key in keys {
        let review = std::sync::Arc::make_mut(state.yearend.reviews.get_mut(&key).unwrap());
        for time in review.finding_times.values_mut() {
            *time = noon;
        }
    }
    state
}

/// Minutes of an inspection held after the mergers are signed by the units that answered for
/// the parties that day: An Giang for Kiên Giang; Cần Thơ for Hậu Giang, by hand (it signed no
/// covenant of 2024 and has no leader account); the composition says who they were.
#[test]
fn minutes_of_a_meeting_after_a_merger_are_signed_by_the_successors() {
    let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 2).unwrap();
    let state = inspection_held_on(day);
    let (_, request, _) = requests()
        .into_iter()
        .find(|(n, ..)| *n == "inspection")
        .unwrap();
    let minutes = prepare(&state, &redated(&request, day)).unwrap().document;
    let Signatures::Pair(inspected, inspector) = &minutes.signatures else {
        panic!("minutes have two blocks")
    };
    assert_eq!(inspected.title, "GIÁM ĐỐC\nCÔNG AN TỈNH AN GIANG");
    assert_eq!(inspector.title, "GIÁM ĐỐC\nCÔNG AN THÀNH PHỐ CẦN THƠ");
    assert_eq!(inspector.name, "", "signed by hand");
    let text = format!("{:?}", minutes.body);
    for said in [
        "Hôm nay, ngày 02/07/2025, tại Kiên Giang,",
        "Đơn vị kiểm tra: Công an tỉnh Hậu Giang (nay là Công an thành phố Cần Thơ).",
        "Đơn vị được kiểm tra: Công an tỉnh Kiên Giang (nay là Công an tỉnh An Giang).",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
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
        place("vote:co-thi-dua-bo-cong-an-2024:1").as_deref(),
        Some("Kiên Giang"),
        "minutes: where the count was held, named that day (18/12/2024)"
    );
    assert_eq!(
        place(&format!("inspection:{covenant}:ca-kg:ca-hg")).as_deref(),
        Some("Hậu Giang"),
        "the inspection was held on 18/12/2024"
    );
    let held_after = inspection_held_on(day);
    let key = format!("inspection:{covenant}:ca-kg:ca-hg");
    assert_eq!(
        default_place(&held_after, &key, day).as_deref(),
        Some("Cần Thơ")
    );
    assert_eq!(
        place(&format!("inspection:{covenant}:ca-hg:ca-cm")).as_deref(),
        Some("Cà Mau")
    );
}

/// A unit that signed no covenant of the year — Cần Thơ, which Hậu Giang went into — signs
/// the minutes of an inspection held after the merger with the name of its one leader account;
/// with two such accounts the name is left blank, to be written by hand.
#[test]
fn a_successor_signs_with_its_one_leaders_name() {
    use thidua_domain::model::{Role, User};
    use thidua_domain::{Text, UnitId, UserId};
    let (_, request, _) = requests()
        .into_iter()
        .find(|(n, ..)| *n == "inspection")
        .unwrap();
    let after = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let state = inspection_held_on(after);
    let leader = |id: &str, name: &str| User {
        id: UserId::parse(id).unwrap(),
        display_name: Text::parse("t", name, 100).unwrap(),
        demo: true,
        roles: vec![Role::Leader {
            unit: UnitId::parse("ca-ct").unwrap(),
        }],
        roles_held: Vec::new(),
        password_reset: None,
    };
    let inspector_name = |state: &thidua_domain::State| {
        let document = prepare(state, &redated(&request, after)).unwrap().document;
        let Signatures::Pair(_, inspector) = document.signatures else {
            panic!("minutes have two blocks")
        };
        inspector.name
    };
    let mut state = state;
    let first = leader("lanhdao.ct", "Trương Văn Thơ (minh hoạ)");
    state.users.insert(first.id.clone(), first);
    assert_eq!(inspector_name(&state), "Trương Văn Thơ (minh hoạ)");
    let second = leader("lanhdao.ct2", "Người thứ hai (minh hoạ)");
    state.users.insert(second.id.clone(), second);
    assert_eq!(inspector_name(&state), "", "two leaders: by hand");
}

/// The opening of the minutes states the day of the meeting they record — "Hôm nay, ngày …"
/// when they are issued that day, "Vào ngày …" when issued later — never their own date: the
/// fixture's inspection and count were held on 18/12/2024.
#[test]
fn minutes_open_with_the_day_of_what_they_record() {
    let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 12, d).unwrap();
    let opening = |name: &str, issued| {
        let body = dated(name, issued).body;
        body.iter()
            .find_map(|b| match b {
                thidua_docs::model::Block::Paragraph(s) => s[0]
                    .text
                    .split_once(", tại Kiên Giang,")
                    .map(|(day, _)| day.to_owned()),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(opening("inspection", day(18)), "Hôm nay, ngày 18/12/2024");
    assert_eq!(opening("inspection", day(23)), "Vào ngày 18/12/2024");
    assert_eq!(opening("vote", day(27)), "Vào ngày 18/12/2024");
    assert_eq!(opening("vote", day(18)), "Hôm nay, ngày 18/12/2024");
}
