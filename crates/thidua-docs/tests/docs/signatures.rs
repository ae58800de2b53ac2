//! Who signs each document: a report or a submission for the cluster by its head unit's leader
//! ("TM. CỤM THI ĐUA SỐ 12", "CỤM TRƯỞNG", "GIÁM ĐỐC CÔNG AN TỈNH …", the name the covenant of
//! the year has for that leader).

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
