//! Who signs each document: a report or a submission for the cluster by its head unit's leader
//! ("TM. CỤM THI ĐUA SỐ 12", "CỤM TRƯỞNG", "GIÁM ĐỐC CÔNG AN TỈNH …", the name the covenant of
//! the year has for that leader); the minutes of an inspection by the two parties its text
//! says sign it, and dated by default where it is held (the inspected unit's province).

use thidua_docs::model::{SignatureBlock, Signatures};
use thidua_docs::prepare;

use super::render::requests;

fn signatures(name: &str) -> Signatures {
    let (_, request, state) = requests().into_iter().find(|(n, ..)| *n == name).unwrap();
    prepare(state, &request).unwrap().document.signatures
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
